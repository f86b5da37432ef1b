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
static struct sigaction				before;

static void
on_sigbus(int sig)
{
	if (copying)
		siglongjmp(fault_jump, 1);
	/* Not a guarded copy: the store faults again and the handler that
	 * was there before takes it, as if nothing had been caught; by
	 * default that ends the process, under libFuzzer it reports. */
	(void)sigaction(sig, &before, NULL);
}

void
guard_init(void)
{
	struct sigaction sa, now;

	/* Installed already: keep what was there before it. */
	if (sigaction(SIGBUS, NULL, &now) == 0 &&
	    !(now.sa_flags & SA_SIGINFO) && now.sa_handler == on_sigbus)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigbus;
	/* The jump leaves the handler early: SIGBUS must stay unblocked. */
	sa.sa_flags = SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGBUS, &sa, &before);
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
