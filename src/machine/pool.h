/*
 * pool.h: pools of fixed-size records, as NetBSD's pool(9).
 *
 * A pool hands out records of one size -- anons, pv entries, map
 * entries, amaps, vmspaces -- and takes them back onto a free list, so
 * that the next pool_get is a pointer pop instead of a trip through the
 * host's allocator.  When the free list is empty the pool takes a batch
 * of records from the host at once (hostmem.h) and carves it as records
 * are asked for.  Batches stay with the pool until pool_destroy: a pool
 * only grows, to the most records ever out at once.
 *
 * A pool never fails.  Whether the simulated kernel may have one more
 * anon or map entry is the caller's failpoint's question (failpoint.h),
 * asked before pool_get exactly where the allocator asked it before
 * there were pools; the host running out is a panic, as everywhere.
 *
 * Under AddressSanitizer every record on the free list is poisoned, each
 * record has a poisoned redzone behind it, and a record put back waits
 * behind POOL_QUARANTINE others before it is handed out again (the free
 * list is then first in, first out), so a use after pool_put, an
 * overflow past a record and a second pool_put of one record are caught
 * as they are with malloc -- while the sanitizer builds run the same
 * pool code as every other build.
 *
 * Invariants: pr_nout == pr_nget - pr_nput; pr_nidle counts the free
 * list; pr_nout + pr_nidle + (records not yet carved) == pr_nbatch *
 * pr_perbatch.
 */

#ifndef _MACHINE_POOL_H_
#define _MACHINE_POOL_H_

#include <sys/queue.h>

#include "machine/types.h"

/* pool_get flags */
#define PR_ZERO 0x01 /* the record comes back zeroed */

/* records a freed one waits behind before reuse, under AddressSanitizer */
#define POOL_QUARANTINE 256

/* the host memory one batch asks for, at least POOL_MINBATCH records */
#define POOL_BATCHBYTES 16384
#define POOL_MINBATCH	8

struct pool_item;
struct pool_batch;

struct pool {
	const char *pr_name;	   /* for panics and reports */
	size_t pr_size;		   /* a record's size, as asked */
	size_t pr_slot;		   /* its share of a batch, padding included */
	size_t pr_perbatch;	   /* records per batch */
	struct pool_item *pr_free; /* the free list: its first record */
	struct pool_item *pr_last; /* its last (sanitizer: FIFO) */
	struct pool_batch *pr_batch; /* every batch, newest first */
	char *pr_carve;		     /* the newest batch's next new record */
	size_t pr_ncarve;	     /* records left to carve from it */
	/* counters */
	unsigned long pr_nget;	      /* pool_get calls */
	unsigned long pr_nput;	      /* pool_put calls */
	unsigned long pr_nbatch;      /* batches taken from the host */
	size_t pr_nout;		      /* records handed out now */
	size_t pr_nidle;	      /* records on the free list now */
	LIST_ENTRY(pool) pr_poollist; /* on the list of pools (pool_first) */
};

/* a pool of records of size bytes, for a static definition */
#define POOL_INITIALIZER(name, size)                 \
	{                                            \
		.pr_name = (name), .pr_size = (size) \
	}

void pool_init(struct pool *, size_t size, const char *name);
void pool_destroy(struct pool *);
void *pool_get(struct pool *, int flags);
void pool_put(struct pool *, void *);
/* host bytes the pool holds: its batches, whole */
size_t pool_hostbytes(const struct pool *);

/*
 * what a pool costs its records: each record out, with its share of its
 * batch (the batch header, the padding and, under the sanitizer, the
 * redzone of every slot, spread over the batch's records); and all the
 * pool holds, idle records and records not yet carved included.  (The
 * host allocator's own header of each batch, some 16 bytes a batch, is
 * the host's and not counted.)
 */
struct pool_usage {
	size_t pu_nout;	 /* records out */
	size_t pu_slot;	 /* bytes of a record's slot */
	size_t pu_inuse; /* pu_nout records, each with its share */
	size_t pu_held;	 /* pool_hostbytes */
};
void pool_usage(const struct pool *, struct pool_usage *);

/*
 * The list of pools, as NetBSD's pool_head (vmstat -m): a pool joins it
 * when it takes its first batch and leaves it in pool_destroy, so a
 * benchmark or a report can find the VM's pools by name.
 */
struct pool *pool_first(void);
struct pool *pool_next(const struct pool *);
struct pool *pool_lookup(const char *name);

/*
 * pool_foreach: call fn(record, arg) for every record out (handed out
 * and not put back), batch by batch from the oldest, each batch's
 * records in slot order -- an order that follows from the calls made on
 * the pool, not from where the host put the batches.
 * => fn must not get or put records of the pool.
 * => costs the pool's records, and the free list's length times the log
 *    of the batches; it allocates host memory for the walk.
 */
void
pool_foreach(struct pool *, void (*fn)(void *record, void *arg), void *arg);

#endif /* _MACHINE_POOL_H_ */
