/*
 * guard.c: copies that survive a SIGBUS (guard.h).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>

#include "guard.h"

/* Per thread: a fault in a thread that is not copying is not caught. */
static _Thread_local sigjmp_buf			fault_jump;
static _Thread_local volatile sig_atomic_t	copying;
static unsigned long				faults;

static void
on_sigbus(int sig)
{
	if (copying)
		siglongjmp(fault_jump, 1);
	/* Not a guarded copy: the store faults again and the default
	 * action ends the process, as if nothing had been caught. */
	signal(sig, SIG_DFL);
}

void
guard_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigbus;
	/* The jump leaves the handler early: SIGBUS must stay unblocked. */
	sa.sa_flags = SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGBUS, &sa, NULL);
}

int
guard_copy(void *dst, const void *src, size_t len)
{
	if (sigsetjmp(fault_jump, 0) != 0) {
		copying = 0;
		faults++;
		return -1;
	}
	copying = 1;
	/* The copy stays between the two stores to copying. */
	atomic_signal_fence(memory_order_seq_cst);
	memcpy(dst, src, len);
	atomic_signal_fence(memory_order_seq_cst);
	copying = 0;
	return 0;
}

unsigned long
guard_faults(void)
{
	return faults;
}
