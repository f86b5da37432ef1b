/*
 * flush.c: the map and the state file to disk.  Every change is in the
 * page cache before its reply (mapdb.h, statelog.h), which a kill -9
 * does not touch; fdatasync only guards against a power loss, so it is
 * batched, every -s seconds at most, and runs in a thread of its own
 * (syncer.h) while the loop keeps answering.
 */
#include <errno.h>
#include <unistd.h>

#include "dracd.h"
#include "log.h"
#include "mapwrite.h"

/* The files to flush, and what a flush of them from now covers. */
static void
batch_begin(struct dracd *d, struct batch *b)
{
	b->fds[0] = mapdb_fd(&d->db);
	b->paths[0] = d->db.path;
	b->n = 1 + statelog_fds(&d->state, b->fds + 1, b->paths + 1,
	    &b->retire);
	b->map = d->db.written;
	b->state = d->state.written;
	/* Pages the flush writes back are write-protected after it. */
	mapwrite_flushing();
}

static void
batch_done(struct dracd *d, const struct batch *b)
{
	if (d->db.synced < b->map)
		d->db.synced = b->map;
	statelog_flushed(&d->state, b->state);
}

void
flush_start(struct dracd *d, long long mono)
{
	if (flush_collect(d) || !flush_unsynced(d) ||
	    mono - d->last_sync_ms < d->sync_secs * 1000LL)
		return;
	d->last_sync_ms = mono;
	batch_begin(d, &d->flush);
	if (syncer_request(&d->syncer, d->flush.fds, d->flush.n,
	    d->flush.retire) != 0) {
		log_warn("cannot start the flush thread; flushing here");
		if (d->flush.retire >= 0)
			close(d->flush.retire);
		(void)flush_now(d);
	}
}

/* 1 while a flush runs; its end is noted, a failure logged. */
int
flush_collect(struct dracd *d)
{
	int error, which;

	if (!syncer_collect(&d->syncer, &error, &which))
		return flush_running(d);
	if (error != 0) {
		errno = error;
		log_warn("%s: fdatasync", d->flush.paths[which]);
	} else
		batch_done(d, &d->flush);
	return 0;
}

int
flush_now(struct dracd *d)
{
	struct batch b;
	int i, rc = 0;

	if (!flush_unsynced(d))
		return 0;
	batch_begin(d, &b);
	for (i = 0; i < b.n; i++)
		if (fdatasync(b.fds[i]) != 0) {
			log_warn("%s: fdatasync", b.paths[i]);
			rc = -1;
		}
	if (b.retire >= 0)
		close(b.retire);
	if (rc == 0)
		batch_done(d, &b);
	return rc;
}
