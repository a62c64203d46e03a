/*
 * t_pool.c: pools of fixed-size records -- reuse through the free list,
 * batches, the counters, zeroing, destruction, the sanitizer's view of a
 * freed record, and the failpoints of the VM's pooled allocators, which
 * fire with records waiting on the free lists as they did without pools.
 */

#include <errno.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "h_util.h"
#include "machine/pool.h"
#include "uvm/uvm.h"

#if defined(__SANITIZE_ADDRESS__)
#define T_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define T_ASAN 1
#endif
#endif

#ifdef T_ASAN
#include <sanitizer/asan_interface.h>
#endif

/* a record as the VM's are: a few words */
struct t_rec {
	uint64_t r_word[5];
};

#ifdef T_ASAN
/* where the child's load from a freed record goes */
static volatile uint64_t t_sink;
#endif

/* free an anon that no slot holds */
static void
t_anon_free(struct vm_anon *anon)
{
	anon->an_ref = 0;
	uvm_anfree(anon);
}

/* the pool's counters add up (pool.h's invariants) */
static void
t_counts_hold(const struct pool *pp)
{
	ATF_REQUIRE_EQ(pp->pr_nout, pp->pr_nget - pp->pr_nput);
	ATF_REQUIRE(
	    pp->pr_nout + pp->pr_nidle <= pp->pr_nbatch * pp->pr_perbatch);
	ATF_REQUIRE_EQ(pool_hostbytes(pp) != 0, pp->pr_nbatch != 0);
}

/*
 * records a pool hands out from its free list before it carves new ones:
 * all of them, or under the sanitizer those beyond the quarantine
 */
static size_t
t_reusable(const struct pool *pp)
{
#ifdef T_ASAN
	return pp->pr_nidle > POOL_QUARANTINE ? pp->pr_nidle - POOL_QUARANTINE :
						0;
#else
	return pp->pr_nidle;
#endif
}

/*
 * a record put back is handed out again: at once (the free list is a
 * stack), or under the sanitizer once POOL_QUARANTINE records put back
 * after it wait behind it (the free list is a queue)
 */
ATF_TC_WITHOUT_HEAD(put_record_is_reused);
ATF_TC_BODY(put_record_is_reused, tc)
{
	static struct t_rec *recs[POOL_QUARANTINE + 2];
	const size_t n = __arraycount(recs);
	struct pool pl;
	struct t_rec *r;
	size_t i, batches;

	pool_init(&pl, sizeof(struct t_rec), "t_rec");
	for (i = 0; i < n; i++)
		recs[i] = pool_get(&pl, 0);
	batches = pl.pr_nbatch;
	for (i = 0; i < n; i++)
		pool_put(&pl, recs[i]);
	ATF_REQUIRE_EQ(pl.pr_nidle, n);
	ATF_REQUIRE(t_reusable(&pl) > 0);
	r = pool_get(&pl, 0);
#ifdef T_ASAN
	ATF_REQUIRE_MSG(r == recs[0], "not the first record put back");
#else
	ATF_REQUIRE_MSG(r == recs[n - 1], "not the last record put back");
#endif
	ATF_REQUIRE_EQ(pl.pr_nidle, n - 1);
	ATF_REQUIRE_EQ(pl.pr_nbatch, batches);
	t_counts_hold(&pl);
	pool_put(&pl, r);
	ATF_REQUIRE_EQ(pl.pr_nout, 0);
	pool_destroy(&pl);
}

/*
 * records are carved from batches: one batch serves pr_perbatch records,
 * the next record takes a second; records are aligned and never overlap;
 * records put back are handed out again without a new batch
 */
ATF_TC_WITHOUT_HEAD(batches_carve_aligned_records);
ATF_TC_BODY(batches_carve_aligned_records, tc)
{
	struct pool pl = POOL_INITIALIZER("t_rec", sizeof(struct t_rec));
	struct t_rec **recs;
	size_t i, j, n, total, k;

	ATF_REQUIRE_EQ(pl.pr_nbatch, 0);
	recs = calloc(2 * (POOL_BATCHBYTES / sizeof(struct t_rec)) + 1,
	    sizeof(*recs));
	ATF_REQUIRE(recs != NULL);
	recs[0] = pool_get(&pl, 0);
	ATF_REQUIRE_EQ(pl.pr_nbatch, 1);
	n = pl.pr_perbatch;
	ATF_REQUIRE(n >= POOL_MINBATCH);
	ATF_REQUIRE(n * sizeof(struct t_rec) <= POOL_BATCHBYTES);
	for (i = 1; i < n; i++)
		recs[i] = pool_get(&pl, 0);
	ATF_REQUIRE_EQ(pl.pr_nbatch, 1);
	recs[n] = pool_get(&pl, 0);
	ATF_REQUIRE_EQ(pl.pr_nbatch, 2);
	total = 2 * n + 1;
	for (i = n + 1; i < total; i++)
		recs[i] = pool_get(&pl, 0);
	ATF_REQUIRE_EQ(pl.pr_nbatch, 3);
	for (i = 0; i < total; i++) {
		ATF_REQUIRE_EQ((uintptr_t)recs[i] % alignof(max_align_t), 0);
		for (j = 0; j < __arraycount(recs[i]->r_word); j++)
			recs[i]->r_word[j] = i * 8 + j;
	}
	for (i = 0; i < total; i++)
		for (j = 0; j < __arraycount(recs[i]->r_word); j++)
			ATF_REQUIRE_EQ(recs[i]->r_word[j], i * 8 + j);
	ATF_REQUIRE_EQ(pl.pr_nget, total);
	ATF_REQUIRE_EQ(pl.pr_nout, total);
	ATF_REQUIRE_EQ(pl.pr_nidle, 0);
	t_counts_hold(&pl);
	for (i = 0; i < total; i++)
		pool_put(&pl, recs[i]);
	ATF_REQUIRE_EQ(pl.pr_nput, total);
	ATF_REQUIRE_EQ(pl.pr_nidle, total);
	t_counts_hold(&pl);
	/* the free list serves what it may without a new batch */
	k = t_reusable(&pl);
	ATF_REQUIRE(k > 0);
	for (i = 0; i < k; i++)
		recs[i] = pool_get(&pl, 0);
	ATF_REQUIRE_EQ(pl.pr_nbatch, 3);
	ATF_REQUIRE_EQ(pl.pr_nidle, total - k);
	for (i = 0; i < k; i++)
		pool_put(&pl, recs[i]);
	pool_destroy(&pl);
	ATF_REQUIRE_EQ(pl.pr_nbatch, 0);
	ATF_REQUIRE_EQ(pool_hostbytes(&pl), 0);
	free(recs);
}

/* PR_ZERO zeroes a reused record; records smaller than a link work */
ATF_TC_WITHOUT_HEAD(zero_flag_and_tiny_records);
ATF_TC_BODY(zero_flag_and_tiny_records, tc)
{
	static struct t_rec *seen[2 * POOL_QUARANTINE + 4];
	struct pool pl, tiny;
	struct t_rec *r;
	size_t i, j, reused = 0;
	char *c;

	pool_init(&pl, sizeof(struct t_rec), "t_rec");
	/* go round the quarantine too: every record reused is zeroed */
	for (i = 0; i < __arraycount(seen); i++) {
		r = pool_get(&pl, PR_ZERO);
		for (j = 0; j < __arraycount(r->r_word); j++)
			ATF_REQUIRE_EQ(r->r_word[j], 0);
		for (j = 0; j < i; j++)
			if (seen[j] == r) {
				reused++;
				break;
			}
		seen[i] = r;
		memset(r, 0xa5, sizeof(*r));
		pool_put(&pl, r);
	}
	ATF_REQUIRE(reused >= POOL_QUARANTINE);
	pool_destroy(&pl);

	pool_init(&tiny, 1, "t_byte");
	c = pool_get(&tiny, PR_ZERO);
	ATF_REQUIRE_EQ(*c, 0);
	*c = 'x';
	pool_put(&tiny, c);
	c = pool_get(&tiny, PR_ZERO);
	ATF_REQUIRE_EQ(*c, 0);
	pool_put(&tiny, c);
	pool_destroy(&tiny);
}

/* destroying a pool with a record out, or putting what is not out, panics */
ATF_TC_WITHOUT_HEAD(destroy_with_record_out_panics);
ATF_TC_BODY(destroy_with_record_out_panics, tc)
{
	struct pool pl;
	struct t_rec *r;

	pool_init(&pl, sizeof(struct t_rec), "t_rec");
	r = pool_get(&pl, 0);
	H_REQUIRE_PANIC(pool_destroy(&pl), "pool t_rec has 1 records out");
	pool_put(&pl, r);
	H_REQUIRE_PANIC(pool_put(&pl, r), "pool t_rec has no record out");
	pool_destroy(&pl);
}

/*
 * under AddressSanitizer a record on the free list is poisoned: a load
 * from it kills the process, a second put panics, the redzone behind a
 * record is poisoned, and pool_get unpoisons the record
 */
ATF_TC_WITHOUT_HEAD(sanitizer_sees_freed_records);
ATF_TC_BODY(sanitizer_sees_freed_records, tc)
{
#ifdef T_ASAN
	struct pool pl;
	struct t_rec *r, *s;
	int status;
	pid_t pid;

	pool_init(&pl, sizeof(struct t_rec), "t_rec");
	r = pool_get(&pl, 0);
	s = pool_get(&pl, 0);
	ATF_REQUIRE(!__asan_address_is_poisoned(r));
	ATF_REQUIRE(!__asan_address_is_poisoned(&r->r_word[4]));
	ATF_REQUIRE(__asan_address_is_poisoned((char *)(r + 1)));
	pool_put(&pl, r);
	ATF_REQUIRE(__asan_address_is_poisoned(r));
	ATF_REQUIRE(__asan_address_is_poisoned(&r->r_word[4]));
	H_REQUIRE_PANIC(pool_put(&pl, r), "put twice");
	fflush(NULL);
	pid = fork();
	ATF_REQUIRE(pid != -1);
	if (pid == 0) {
		/* the sanitizer's report goes to this child's stderr */
		(void)close(STDERR_FILENO);
		t_sink = r->r_word[2];
		_exit(0);
	}
	ATF_REQUIRE_EQ(waitpid(pid, &status, 0), pid);
	ATF_REQUIRE_MSG(!(WIFEXITED(status) && WEXITSTATUS(status) == 0),
	    "a load from a freed record went unnoticed");
	pool_put(&pl, s);
	pool_destroy(&pl);
#else
	atf_tc_skip("only under AddressSanitizer");
#endif
}

/* pool_foreach's visitor: count each record, in the order seen */
struct t_seen {
	struct t_rec **ts_rec;
	size_t ts_n;
};

static void
t_see(void *r, void *arg)
{
	struct t_seen *ts = arg;

	ts->ts_rec[ts->ts_n++] = r;
}

/*
 * pool_foreach visits every record out once -- over several batches,
 * with records on the free list and records not carved yet -- in the
 * order of the slots, oldest batch first, and none put back; a pool
 * with no batch, or with every record put back, visits nothing
 */
ATF_TC_WITHOUT_HEAD(foreach_visits_records_out);
ATF_TC_BODY(foreach_visits_records_out, tc)
{
	struct pool pl = POOL_INITIALIZER("t_rec", sizeof(struct t_rec));
	struct t_rec **recs, **seen;
	struct t_seen ts;
	size_t i, j, n, total;

	recs =
	    calloc(4 * (POOL_BATCHBYTES / sizeof(struct t_rec)), sizeof(*recs));
	seen =
	    calloc(4 * (POOL_BATCHBYTES / sizeof(struct t_rec)), sizeof(*seen));
	ATF_REQUIRE(recs != NULL && seen != NULL);
	ts.ts_rec = seen;
	ts.ts_n = 0;
	pool_foreach(&pl, t_see, &ts);
	ATF_REQUIRE_EQ(ts.ts_n, 0);

	recs[0] = pool_get(&pl, 0);
	n = pl.pr_perbatch;
	total = 2 * n + n / 2; /* the third batch is half carved */
	for (i = 1; i < total; i++)
		recs[i] = pool_get(&pl, 0);
	/* every third record goes back */
	for (i = 0; i < total; i += 3)
		pool_put(&pl, recs[i]);
	pool_foreach(&pl, t_see, &ts);
	ATF_REQUIRE_EQ(ts.ts_n, pl.pr_nout);
	for (i = 1, j = 0; i < total; i++) {
		if (i % 3 == 0)
			continue;
		ATF_REQUIRE_MSG(seen[j] == recs[i],
		    "record %zu seen as the %zuth out", i, j);
		j++;
	}
	ATF_REQUIRE_EQ(j, ts.ts_n);

	for (i = 0; i < total; i++)
		if (i % 3 != 0)
			pool_put(&pl, recs[i]);
	ts.ts_n = 0;
	pool_foreach(&pl, t_see, &ts);
	ATF_REQUIRE_EQ(ts.ts_n, 0);
	pool_destroy(&pl);
	free(recs);
	free(seen);
}

/*
 * the VM's pooled allocators ask their failpoint before the pool, so an
 * armed failpoint fails the next allocation even when a record waits on
 * the free list, and counts exactly one call per allocation
 */
ATF_TC_WITHOUT_HEAD(failpoints_fire_with_records_free);
ATF_TC_BODY(failpoints_fire_with_records_free, tc)
{
	struct uvm_mapent_reservation umr;
	struct vm_anon *anon;
	struct vm_amap *amap;
	struct vmspace *vm;
	struct vm_page *pg;
	struct pmap *pm;
	unsigned long calls;

	h_boot(64, 4096);

	t_anon_free(uvm_analloc());
	calls = failpoints[FP_ANON].fp_calls;
	failpoint_arm(FP_ANON, 0, 1);
	ATF_REQUIRE(uvm_analloc() == NULL);
	anon = uvm_analloc();
	ATF_REQUIRE(anon != NULL);
	ATF_REQUIRE_EQ(failpoints[FP_ANON].fp_calls, calls + 2);
	t_anon_free(anon);

	amap = amap_alloc(PAGE_SIZE, 0);
	ATF_REQUIRE(amap != NULL);
	amap_unref(amap, 0, 1, true);
	calls = failpoints[FP_AMAP].fp_calls;
	failpoint_arm(FP_AMAP, 0, 1);
	ATF_REQUIRE(amap_alloc(PAGE_SIZE, 0) == NULL);
	amap = amap_alloc(PAGE_SIZE, 0);
	ATF_REQUIRE(amap != NULL);
	ATF_REQUIRE_EQ(failpoints[FP_AMAP].fp_calls, calls + 2);
	amap_unref(amap, 0, 1, true);

	ATF_REQUIRE_EQ(uvm_mapent_reserve(&umr, 2), 0);
	uvm_mapent_unreserve(&umr);
	calls = failpoints[FP_MAPENT].fp_calls;
	failpoint_arm(FP_MAPENT, 1, 1);
	ATF_REQUIRE_EQ(uvm_mapent_reserve(&umr, 2), ENOMEM);
	ATF_REQUIRE_EQ(umr.umr_nentries, 0);
	ATF_REQUIRE_EQ(uvm_mapent_reserve(&umr, 2), 0);
	ATF_REQUIRE_EQ(failpoints[FP_MAPENT].fp_calls, calls + 4);
	uvm_mapent_unreserve(&umr);

	uvmspace_free(uvmspace_alloc(VM_MIN_ADDRESS, VM_MAXUSER_ADDRESS));
	calls = failpoints[FP_VMSPACE].fp_calls;
	failpoint_arm(FP_VMSPACE, 0, 1);
	ATF_REQUIRE(uvmspace_alloc(VM_MIN_ADDRESS, VM_MAXUSER_ADDRESS) == NULL);
	vm = uvmspace_alloc(VM_MIN_ADDRESS, VM_MAXUSER_ADDRESS);
	ATF_REQUIRE(vm != NULL);
	ATF_REQUIRE_EQ(failpoints[FP_VMSPACE].fp_calls, calls + 2);

	/* a pv entry: the tables exist, so the pv is all the enter allocates */
	pm = vm->vm_map.pmap;
	pg = uvm_pagealloc(NULL, 0, NULL, 0);
	ATF_REQUIRE(pg != NULL);
	ATF_REQUIRE_EQ(pmap_enter(pm, 0x100000, VM_PAGE_TO_PHYS(pg),
			   VM_PROT_READ, PMAP_CANFAIL),
	    0);
	pmap_remove(pm, 0x100000, 0x100000 + PAGE_SIZE);
	calls = failpoints[FP_PMAP].fp_calls;
	failpoint_arm(FP_PMAP, 0, 1);
	ATF_REQUIRE_EQ(pmap_enter(pm, 0x100000, VM_PAGE_TO_PHYS(pg),
			   VM_PROT_READ, PMAP_CANFAIL),
	    ENOMEM);
	ATF_REQUIRE_EQ(pmap_enter(pm, 0x100000, VM_PAGE_TO_PHYS(pg),
			   VM_PROT_READ, PMAP_CANFAIL),
	    0);
	ATF_REQUIRE_EQ(failpoints[FP_PMAP].fp_calls, calls + 2);
	pmap_remove(pm, 0x100000, 0x100000 + PAGE_SIZE);
	pg->flags &= ~PG_BUSY;
	uvm_pagefree(pg);
	uvmspace_free(vm);
	h_shutdown();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, put_record_is_reused);
	ATF_TP_ADD_TC(tp, batches_carve_aligned_records);
	ATF_TP_ADD_TC(tp, zero_flag_and_tiny_records);
	ATF_TP_ADD_TC(tp, destroy_with_record_out_panics);
	ATF_TP_ADD_TC(tp, sanitizer_sees_freed_records);
	ATF_TP_ADD_TC(tp, failpoints_fire_with_records_free);
	ATF_TP_ADD_TC(tp, foreach_visits_records_out);
	return atf_no_error();
}
