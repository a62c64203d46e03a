/*
 * pool.c: pools of fixed-size records with free lists (the design is in
 * pool.h).
 */

#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "machine/hostmem.h"
#include "machine/kassert.h"
#include "machine/pool.h"

#if defined(__SANITIZE_ADDRESS__)
#define POOL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define POOL_ASAN 1
#endif
#endif

#ifdef POOL_ASAN
#include <sanitizer/asan_interface.h>
#define POOL_REDZONE	    16 /* poisoned bytes behind every record */
#define POOL_FIFO	    true
#define POOL_POISON(p, n)   ASAN_POISON_MEMORY_REGION((p), (n))
#define POOL_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#define POOL_IS_POISONED(p) __asan_address_is_poisoned(p)
#else
#define POOL_REDZONE	    0
#define POOL_FIFO	    false
#define POOL_POISON(p, n)   ((void)(p), (void)(n))
#define POOL_UNPOISON(p, n) ((void)(p), (void)(n))
#define POOL_IS_POISONED(p) 0
#endif

#define POOL_ALIGN    alignof(max_align_t)
#define POOL_ROUND(n) (((n) + POOL_ALIGN - 1) & ~(size_t)(POOL_ALIGN - 1))

/* the pools that hold batches (pool.h) */
static LIST_HEAD(, pool) pool_head = LIST_HEAD_INITIALIZER(pool_head);

/* a free record: its first word links it to the next free one */
struct pool_item {
	struct pool_item *pi_next;
};

/* a batch of records from the host: this header, then the records */
struct pool_batch {
	struct pool_batch *pb_next;
	alignas(max_align_t) char pb_records[];
};

/*
 * pool_setup: work out the record layout on first use.
 *
 * => a record's slot is its size rounded up to the strictest alignment
 *    (room for the free-list link at least), plus the redzone.
 */
static void
pool_setup(struct pool *pp)
{
	size_t size = pp->pr_size;

	KASSERTMSG(size > 0, "%s: pool %s of empty records", __func__,
	    pp->pr_name);
	if (size < sizeof(struct pool_item))
		size = sizeof(struct pool_item);
	pp->pr_slot = POOL_ROUND(size) + POOL_REDZONE;
	pp->pr_perbatch =
	    (POOL_BATCHBYTES - sizeof(struct pool_batch)) / pp->pr_slot;
	if (pp->pr_perbatch < POOL_MINBATCH)
		pp->pr_perbatch = POOL_MINBATCH;
}

/*
 * pool_init: make pp an empty pool of records of size bytes.
 *
 * => the same as a definition with POOL_INITIALIZER(name, size).
 */
void
pool_init(struct pool *pp, size_t size, const char *name)
{
	memset(pp, 0, sizeof(*pp));
	pp->pr_name = name;
	pp->pr_size = size;
}

/*
 * pool_destroy: give every batch back to the host.
 *
 * => every record must have been put back (panics otherwise).
 * => the pool is empty afterwards, ready to be used again.
 */
void
pool_destroy(struct pool *pp)
{
	struct pool_batch *pb;

	KASSERTMSG(pp->pr_nout == 0, "%s: pool %s has %zu records out",
	    __func__, pp->pr_name, pp->pr_nout);
	if (pp->pr_nbatch > 0)
		LIST_REMOVE(pp, pr_poollist);
	while ((pb = pp->pr_batch) != NULL) {
		pp->pr_batch = pb->pb_next;
		POOL_UNPOISON(pb->pb_records, pp->pr_perbatch * pp->pr_slot);
		free(pb);
	}
	pool_init(pp, pp->pr_size, pp->pr_name);
}

/* pool_newbatch: take a batch from the host; its records are to carve */
static void
pool_newbatch(struct pool *pp)
{
	struct pool_batch *pb;

	if (pp->pr_slot == 0)
		pool_setup(pp);
	pb = hostmem_alloc(sizeof(*pb) + pp->pr_perbatch * pp->pr_slot);
	if (pp->pr_nbatch == 0)
		LIST_INSERT_HEAD(&pool_head, pp, pr_poollist);
	pb->pb_next = pp->pr_batch;
	pp->pr_batch = pb;
	pp->pr_carve = pb->pb_records;
	pp->pr_ncarve = pp->pr_perbatch;
	pp->pr_nbatch++;
	POOL_POISON(pb->pb_records, pp->pr_perbatch * pp->pr_slot);
}

/*
 * pool_get: a record, from the free list, else a new one from the
 * newest batch, else from a new batch.
 *
 * => flags: PR_ZERO for a zeroed record; otherwise its bytes are what
 *    they were (garbage).
 * => never NULL: failpoints are the caller's (pool.h).
 * => under the sanitizer a freed record is reused only once
 *    POOL_QUARANTINE others wait behind it.
 */
void *
pool_get(struct pool *pp, int flags)
{
	struct pool_item *pi;

	if (pp->pr_free != NULL &&
	    (!POOL_FIFO || pp->pr_nidle > POOL_QUARANTINE)) {
		pi = pp->pr_free;
		POOL_UNPOISON(pi, sizeof(*pi));
		pp->pr_free = pi->pi_next;
		if (pp->pr_free == NULL)
			pp->pr_last = NULL;
		pp->pr_nidle--;
	} else {
		if (pp->pr_ncarve == 0)
			pool_newbatch(pp);
		pi = (struct pool_item *)pp->pr_carve;
		pp->pr_carve += pp->pr_slot;
		pp->pr_ncarve--;
	}
	POOL_UNPOISON(pi, pp->pr_size);
	if (flags & PR_ZERO)
		memset(pi, 0, pp->pr_size);
	pp->pr_nget++;
	pp->pr_nout++;
	return pi;
}

/*
 * pool_put: give a record from pool_get back.
 *
 * => the record goes on the free list (at its head; under the sanitizer
 *    at its tail, poisoned: a second pool_put of it panics).
 */
void
pool_put(struct pool *pp, void *v)
{
	struct pool_item *pi = v;

	KASSERTMSG(pp->pr_nout > 0, "%s: pool %s has no record out", __func__,
	    pp->pr_name);
	KASSERTMSG(!POOL_IS_POISONED(v), "%s: pool %s: record %p put twice",
	    __func__, pp->pr_name, v);
	/* a record smaller than the link has its slot's room for it */
	POOL_UNPOISON(pi, sizeof(*pi));
	if (POOL_FIFO) {
		pi->pi_next = NULL;
		if (pp->pr_last != NULL) {
			POOL_UNPOISON(pp->pr_last, sizeof(*pi));
			pp->pr_last->pi_next = pi;
			POOL_POISON(pp->pr_last, pp->pr_slot);
		} else
			pp->pr_free = pi;
		pp->pr_last = pi;
	} else {
		pi->pi_next = pp->pr_free;
		pp->pr_free = pi;
	}
	POOL_POISON(pi, pp->pr_slot);
	pp->pr_nidle++;
	pp->pr_nput++;
	pp->pr_nout--;
}

/* the host bytes of one batch */
static size_t
pool_batchbytes(const struct pool *pp)
{
	return sizeof(struct pool_batch) + pp->pr_perbatch * pp->pr_slot;
}

size_t
pool_hostbytes(const struct pool *pp)
{
	return pp->pr_nbatch * pool_batchbytes(pp);
}

void
pool_usage(const struct pool *pp, struct pool_usage *pu)
{
	pu->pu_nout = pp->pr_nout;
	pu->pu_slot = pp->pr_slot;
	pu->pu_inuse = pp->pr_nbatch == 0 ?
	    0 :
	    pp->pr_nout * pool_batchbytes(pp) / pp->pr_perbatch;
	pu->pu_held = pool_hostbytes(pp);
}

struct pool *
pool_first(void)
{
	return LIST_FIRST(&pool_head);
}

struct pool *
pool_next(const struct pool *pp)
{
	return LIST_NEXT(pp, pr_poollist);
}

struct pool *
pool_lookup(const char *name)
{
	struct pool *pp;

	LIST_FOREACH (pp, &pool_head, pr_poollist)
		if (strcmp(pp->pr_name, name) == 0)
			return pp;
	return NULL;
}

/* a batch and its age, for pool_foreach's search by address */
struct pool_batchref {
	struct pool_batch *br_batch;
	size_t br_age; /* 0: the oldest */
};

static int
pool_batchref_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct pool_batchref *)a)->br_batch;
	uintptr_t y = (uintptr_t)((const struct pool_batchref *)b)->br_batch;

	return x < y ? -1 : x > y;
}

/*
 * pool_recordnum: the number of record r among all the pool's slots
 * (age of its batch times pr_perbatch, plus its slot), found by binary
 * search in the batches sorted by address.
 */
static size_t
pool_recordnum(const struct pool *pp, const struct pool_batchref *sorted,
    const void *r)
{
	size_t lo = 0, hi = pp->pr_nbatch, mid, off;

	/* the last batch that starts at or before r */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if ((uintptr_t)sorted[mid].br_batch <= (uintptr_t)r)
			lo = mid;
		else
			hi = mid;
	}
	off = (size_t)((const char *)r - sorted[lo].br_batch->pb_records);
	KASSERTMSG(off < pp->pr_perbatch * pp->pr_slot &&
		off % pp->pr_slot == 0,
	    "%s: pool %s: free record %p is in no batch", __func__, pp->pr_name,
	    r);
	return sorted[lo].br_age * pp->pr_perbatch + off / pp->pr_slot;
}

/*
 * pool_foreach: the records out are the carved ones that are not on the
 * free list.  The free list is marked in a bitmap of every slot first.
 */
void
pool_foreach(struct pool *pp, void (*fn)(void *, void *), void *arg)
{
	size_t nb = pp->pr_nbatch, age, i, ncarved, nslots;
	struct pool_batchref *byage, *sorted;
	struct pool_item *pi, *next;
	struct pool_batch *pb;
	uint64_t *isfree;

	if (nb == 0)
		return;
	nslots = nb * pp->pr_perbatch;
	byage = hostmem_alloc(2 * nb * sizeof(*byage));
	sorted = byage + nb;
	isfree = hostmem_zalloc((nslots + 63) / 64, sizeof(*isfree));
	age = nb;
	for (pb = pp->pr_batch; pb != NULL; pb = pb->pb_next) {
		age--;
		byage[age].br_batch = pb;
		byage[age].br_age = age;
	}
	memcpy(sorted, byage, nb * sizeof(*byage));
	qsort(sorted, nb, sizeof(*sorted), pool_batchref_cmp);
	for (pi = pp->pr_free; pi != NULL; pi = next) {
		POOL_UNPOISON(pi, sizeof(*pi));
		next = pi->pi_next;
		POOL_POISON(pi, pp->pr_slot);
		i = pool_recordnum(pp, sorted, pi);
		isfree[i / 64] |= (uint64_t)1 << (i % 64);
	}
	for (age = 0; age < nb; age++) {
		pb = byage[age].br_batch;
		ncarved =
		    pp->pr_perbatch - (pb == pp->pr_batch ? pp->pr_ncarve : 0);
		for (i = 0; i < ncarved; i++) {
			size_t n = age * pp->pr_perbatch + i;

			if ((isfree[n / 64] & ((uint64_t)1 << (n % 64))) == 0)
				fn(pb->pb_records + i * pp->pr_slot, arg);
		}
	}
	free(isfree);
	free(byage);
}
