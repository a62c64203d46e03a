/*
 * t_vmfail.c: every allocator failing at every point of a scripted
 * scenario leaves the VM system consistent and the data where it must be.
 *
 * The scenario (f_scenario) maps private and shared anonymous memory and
 * an object mapped again copy-on-write, writes every page, forks with
 * each inheritance, writes in parent and children, changes protection
 * and inheritance, wires and unwires, unmaps and frees.  For each
 * failpoint and each skip count k from 0 until the scenario runs without
 * the failpoint firing, a fresh machine runs the scenario with the
 * (k+1)-th call of that allocator failing (then a second time with three
 * calls in a row failing).  Every operation must succeed or fail the
 * documented way -- ENOMEM from uvm_map, uvm_unmap, uvm_map_protect,
 * uvm_map_inherit, uvm_map_advice, uvm_map_pageable; NULL from
 * uvmspace_fork; SIGKILL from a load or store whose fault ran out of
 * memory (with no swap a fault that cannot get a page or an anon gives
 * up at once, while one that cannot get an amap waits and retries) --
 * and the model of h_model.c follows only what succeeded.  A process
 * killed by SIGKILL exits: its space is freed and the script goes on
 * without it.  After every operation the VM system's checkers run; at
 * checkpoints (with the failpoint paused) every page of every space is
 * compared with the model.  At the end, with every space freed, no anon,
 * amap, map entry, vmspace or object is left and every page is free
 * again.  (FP_KVA is in the list but nothing here allocates kernel
 * virtual memory, so it never fires.)
 *
 * UVMSIM_FAIL_RUN=name:skip:fail runs one such run alone, and
 * UVMSIM_FAIL_VERBOSE prints every operation, for debugging.
 */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "h_model.c"

#define F_NPAGES 512 /* physical memory, pages */
#define F_NPG	 48  /* pages in each space's window */

#define RW (VM_PROT_READ | VM_PROT_WRITE)

/* the scenario's state: the model and the failpoint being exercised */
struct f_run {
	struct m_ctx ctx;
	enum failpoint_id fp;
};

static bool
f_has(struct f_run *f, int s)
{
	return f->ctx.sp[s].s_vm != NULL;
}

/* after every operation: the counts and the deep checkers */
static void
f_after(struct f_run *f)
{
	f->ctx.step++;
	m_check_counts(&f->ctx);
	m_deep_check(&f->ctx);
}

/* f_checkpoint: compare everything, the failpoint paused meanwhile */
static void
f_checkpoint(struct f_run *f)
{
	struct failpoint saved = failpoints[f->fp];

	failpoints[f->fp].fp_armed = false;
	m_check_all(&f->ctx);
	failpoints[f->fp] = saved;
}

static void
f_map(struct f_run *f, int s, int pgi, int n, vm_inherit_t inh,
    enum m_kind kind, struct m_obj *obj, int objpg)
{
	if (!f_has(f, s))
		return;
	m_map(&f->ctx, s, pgi, n, RW, VM_PROT_ALL, inh, UVM_ADV_NORMAL, kind,
	    obj, objpg, UVM_FLAG_NOMERGE);
	f_after(f);
}

/* the model object under page pgi of space s, or NULL */
static struct m_obj *
f_obj(struct f_run *f, int s, int pgi)
{
	return f_has(f, s) ? f->ctx.sp[s].s_pg[pgi].p_obj : NULL;
}

/*
 * f_killed: an access got SIGKILL (its fault ran out of memory): the
 * process dies and its space goes with it.  The space is not looked at
 * again: a fault that copied a page and then could not map it leaves
 * the old read-only mapping in the pmap, which only a dead process could
 * read.
 */
static void f_free(struct f_run *, int);

static void
f_killed(struct f_run *f, int s, int sig)
{
	if (sig == SIGKILL)
		f_free(f, s);
}

/* write a pattern particular to (s, pgi, tag) into part of page pgi */
static void
f_store(struct f_run *f, int s, int pgi, int tag)
{
	struct m_ctx *ctx = &f->ctx;
	size_t off = (size_t)(pgi * 37 + tag * 101) % (ctx->psize / 2);
	size_t len = 64 + (size_t)tag * 8;
	int sig;

	if (!f_has(f, s))
		return;
	h_fill(ctx->buf, len, (unsigned)(s * 100000 + pgi * 100 + tag));
	sig = m_store(ctx, s, m_va(ctx, pgi) + off, len, ctx->buf, -1,
	    M_VIA_PROGRAM);
	f_after(f);
	f_killed(f, s, sig);
}

/* fill all of n pages from pgi with a byte */
static void
f_fill(struct f_run *f, int s, int pgi, int n, int c)
{
	int sig;

	if (!f_has(f, s))
		return;
	sig = m_store(&f->ctx, s, m_va(&f->ctx, pgi), (size_t)n * f->ctx.psize,
	    NULL, c, M_VIA_PROGRAM);
	f_after(f);
	f_killed(f, s, sig);
}

static void
f_load(struct f_run *f, int s, int pgi, int n)
{
	int sig;

	if (!f_has(f, s))
		return;
	sig = m_load(&f->ctx, s, m_va(&f->ctx, pgi), (size_t)n * f->ctx.psize,
	    M_VIA_PROGRAM);
	f_after(f);
	f_killed(f, s, sig);
}

static void
f_protect(struct f_run *f, int s, int pgi, int n, vm_prot_t prot)
{
	if (!f_has(f, s))
		return;
	m_protect(&f->ctx, s, pgi, n, prot, false);
	f_after(f);
}

static void
f_inherit(struct f_run *f, int s, int pgi, int n, vm_inherit_t inh)
{
	if (!f_has(f, s))
		return;
	m_inherit(&f->ctx, s, pgi, n, inh);
	f_after(f);
}

static void
f_advice(struct f_run *f, int s, int pgi, int n, int adv)
{
	if (!f_has(f, s))
		return;
	m_advice(&f->ctx, s, pgi, n, adv);
	f_after(f);
}

/*
 * f_share_private: share-inherit the pages of [pgi, pgi + n) of space s
 * that are private copies, not views of an object: sharing a view runs
 * into known bug 1 (see t_vmdiff.c, shared_view_promotion_unmaps).  A
 * page stays a view when the store that was to copy it failed.
 */
static void
f_share_private(struct f_run *f, int s, int pgi, int n)
{
	const struct m_page *p;
	int i;

	for (i = pgi; f_has(f, s) && i < pgi + n; i++) {
		p = &f->ctx.sp[s].s_pg[i];
		if (p->p_mapped && (p->p_slot == NULL || p->p_slot->sl_priv))
			f_inherit(f, s, i, 1, MAP_INHERIT_SHARE);
	}
}

/* wire or unwire; unwiring what a failed wiring left unwired is skipped */
static void
f_wire(struct f_run *f, int s, int pgi, int n, bool wire)
{
	int i;

	if (!f_has(f, s))
		return;
	for (i = pgi; !wire && i < pgi + n; i++)
		if (f->ctx.sp[s].s_pg[i].p_wired == 0)
			return;
	m_wire(&f->ctx, s, pgi, n, wire);
	f_after(f);
}

static void
f_unmap(struct f_run *f, int s, int pgi, int n)
{
	if (!f_has(f, s))
		return;
	m_unmap(&f->ctx, s, pgi, n);
	f_after(f);
}

static void
f_fork(struct f_run *f, int s, int c)
{
	if (!f_has(f, s))
		return;
	m_fork(&f->ctx, s, c);
	f_after(f);
}

static void
f_free(struct f_run *f, int s)
{
	if (!f_has(f, s))
		return;
	m_free(&f->ctx, s);
	f_after(f);
}

/*
 * f_scenario: the script.  Page layout of space 0 (one letter a page):
 *
 *	0       8   12  16  20 23 26  30      40
 *	AAAAAAAABBBBCCCCDDDDEEEFF.GGGG..........
 *
 *	A  private, copy     B  private, share    C  shared object, copy
 *	D  shared object, share                   E  private, zero
 *	F  private, none     G  C's object again, copy-on-write
 */
static void
f_scenario(struct f_run *f)
{
	int i;

	m_alloc(&f->ctx, 0);
	f_map(f, 0, 0, 8, MAP_INHERIT_COPY, M_ANON, NULL, 0);
	f_map(f, 0, 8, 4, MAP_INHERIT_SHARE, M_ANON, NULL, 0);
	f_map(f, 0, 12, 4, MAP_INHERIT_COPY, M_SHM, NULL, 0);
	f_map(f, 0, 16, 4, MAP_INHERIT_SHARE, M_SHM, NULL, 0);
	f_map(f, 0, 20, 3, MAP_INHERIT_ZERO, M_ANON, NULL, 0);
	f_map(f, 0, 23, 2, MAP_INHERIT_NONE, M_ANON, NULL, 0);
	if (f_obj(f, 0, 12) != NULL)
		f_map(f, 0, 26, 4, MAP_INHERIT_COPY, M_ALIAS_COW,
		    f_obj(f, 0, 12), 0);
	for (i = 0; i < 30; i++)
		f_store(f, 0, i, 1);
	f_fill(f, 0, 4, 2, 0xa5);
	f_protect(f, 0, 6, 2, VM_PROT_READ);
	f_wire(f, 0, 0, 2, true);
	f_advice(f, 0, 2, 2, UVM_ADV_SEQUENTIAL);
	f_checkpoint(f);

	/* a child by each inheritance; both sides write */
	f_fork(f, 0, 1);
	for (i = 0; i < 30; i += 3)
		f_store(f, 0, i, 2);
	for (i = 1; i < 30; i += 3)
		f_store(f, 1, i, 3);
	f_store(f, 1, 20, 4); /* the zero-inherited range */
	f_store(f, 0, 13, 5); /* the child must see it: C is a view */
	f_load(f, 1, 0, 30);
	f_checkpoint(f);

	/* a grandchild that shares what the child copied */
	for (i = 12; i < 16; i++)
		f_store(f, 1, i, 6);
	f_share_private(f, 1, 12, 4);
	f_inherit(f, 1, 0, 4, MAP_INHERIT_NONE);
	f_fork(f, 1, 2);
	f_store(f, 2, 14, 6);
	f_store(f, 1, 15, 7);
	f_store(f, 0, 15, 8);
	f_store(f, 0, 14, 9);
	f_load(f, 2, 4, 26);
	f_protect(f, 1, 4, 2, VM_PROT_NONE);
	f_protect(f, 1, 4, 2, RW);
	f_wire(f, 1, 8, 2, true);
	f_store(f, 1, 8, 10); /* shared with 0 and 2 through B */
	f_wire(f, 1, 8, 2, false);
	f_checkpoint(f);

	/* clip, unwire, replace, and a fourth space */
	f_unmap(f, 0, 3, 2);
	f_wire(f, 0, 0, 2, false);
	f_inherit(f, 0, 20, 3, MAP_INHERIT_COPY);
	if (f_has(f, 2)) {
		m_map(&f->ctx, 2, 28, 6, RW, VM_PROT_ALL, MAP_INHERIT_COPY,
		    UVM_ADV_RANDOM, M_ANON, NULL, 0, UVM_FLAG_UNMAP);
		f_after(f);
	}
	f_fill(f, 2, 28, 6, 0x3c);
	f_fork(f, 2, 3);
	f_fork(f, 0, 4);
	f_store(f, 3, 29, 11);
	f_store(f, 4, 21, 12);
	f_store(f, 0, 16, 13); /* D: 0, 1, 2, 3, 4 share it */
	f_checkpoint(f);

	f_free(f, 1);
	f_store(f, 2, 9, 14);
	f_load(f, 3, 0, 40);
	f_unmap(f, 4, 0, 48);
	f_checkpoint(f);
	for (i = 0; i < M_NSPACE; i++)
		f_free(f, i);
}

static const char *
f_fpname(enum failpoint_id fp)
{
	return failpoints[fp].fp_name;
}

static unsigned long f_nfailed; /* operations failed, all runs */

/*
 * f_one: run the scenario on a fresh machine with failpoint fp failing
 * `fail' calls after `skip'.
 *
 * => returns whether the failpoint fired.
 */
static bool
f_one(enum failpoint_id fp, unsigned long skip, unsigned long fail)
{
	static struct f_run run;
	struct f_run *f = &run;
	int free0, nmapent0, naobj0;
	bool fired;

	h_boot(F_NPAGES, 4096);
	free0 = uvmexp.free;
	nmapent0 = uvmexp.nmapent;
	naobj0 = uvmexp.naobj;
	memset(f, 0, sizeof(*f));
	f->fp = fp;
	m_init(&f->ctx, F_NPG, true);
	snprintf(f->ctx.tag, sizeof(f->ctx.tag),
	    "failpoint %s skip %lu fail %lu: ", f_fpname(fp), skip, fail);
	f->ctx.verbose = getenv("UVMSIM_FAIL_VERBOSE") != NULL;
	failpoint_arm(fp, skip, fail);
	f_scenario(f);
	fired = failpoints[fp].fp_failed > 0;
	failpoint_disarm(fp);
	f_nfailed += f->ctx.nfailed;
	m_fini(&f->ctx);
	if (uvmexp.nanon != 0 || uvmexp.namap != 0 ||
	    uvmexp.nmapent != nmapent0 || uvmexp.nvmspace != 0 ||
	    uvmexp.naobj != naobj0 || uvmexp.free != free0)
		atf_tc_fail("%sleft anons %d, amaps %d, map entries %d (%d at "
			    "boot), vmspaces %d, aobjs %d (%d at boot), free "
			    "pages %d (%d at boot)",
		    f->ctx.tag, uvmexp.nanon, uvmexp.namap, uvmexp.nmapent,
		    nmapent0, uvmexp.nvmspace, uvmexp.naobj, naobj0,
		    uvmexp.free, free0);
	h_shutdown();
	return fired;
}

/* run every skip count of every failpoint, `fail' failures at a time */
static void
f_all(unsigned long fail)
{
	static const enum failpoint_id fps[] = { FP_PAGE, FP_ANON, FP_AMAP,
		FP_MAPENT, FP_PMAP, FP_KVA };
	const char *only = getenv("UVMSIM_FAIL_RUN");
	char name[16];
	unsigned long k;
	size_t i;

	/* UVMSIM_FAIL_RUN=name:skip:fail runs just that (for debugging) */
	if (only != NULL &&
	    sscanf(only, "%15[a-z]:%lu:%lu", name, &k, &fail) == 3) {
		for (i = 0; i < FP_NPOINTS; i++)
			if (strcmp(name, f_fpname(i)) == 0)
				f_one(i, k, fail);
		return;
	}
	/* the scenario must pass untouched first */
	f_one(FP_PAGE, 0, 0);
	for (i = 0; i < sizeof(fps) / sizeof(fps[0]); i++) {
		f_nfailed = 0;
		for (k = 0; f_one(fps[i], k, fail); k++)
			ATF_REQUIRE_MSG(k < 100000, "failpoint %s never stops",
			    f_fpname(fps[i]));
		printf("failpoint %s, %lu failure(s) at a time: fired in %lu "
		       "runs, %lu operations failed cleanly\n",
		    f_fpname(fps[i]), fail, k, f_nfailed);
	}
}

ATF_TC(every_failure_once);
ATF_TC_HEAD(every_failure_once, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "each allocation of the scenario failing once leaves the VM "
	    "system consistent and the data as the model says");
	atf_tc_set_md_var(tc, "timeout", "600");
}
ATF_TC_BODY(every_failure_once, tc)
{
	f_all(1);
}

ATF_TC(every_failure_three_times);
ATF_TC_HEAD(every_failure_three_times, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "three allocations in a row failing, from every point of the "
	    "scenario");
	atf_tc_set_md_var(tc, "timeout", "600");
}
ATF_TC_BODY(every_failure_three_times, tc)
{
	f_all(3);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, every_failure_once);
	ATF_TP_ADD_TC(tp, every_failure_three_times);
	return atf_no_error();
}
