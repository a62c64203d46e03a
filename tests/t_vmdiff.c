/*
 * t_vmdiff.c: a randomized differential test of address spaces against a
 * reference model.
 *
 * A seeded random sequence of operations runs over up to M_NSPACE
 * address spaces: map private anonymous memory, map shared anonymous
 * memory (a new anonymous object), map an existing object again (shared,
 * or copy-on-write like a private file mapping), unmap, protect (also the
 * maximum protection), set inheritance (share, copy, none, zero) and
 * advice, wire and unwire, fork, free, and stores and loads (by a program
 * or by the kernel's copyin/copyout, within a page or across pages).
 * h_model.c keeps the model of what every space must contain and
 * explains its rules; after each operation the real result is compared
 * with the model's, a few random bytes are loaded and compared, and the
 * VM system's own checkers run (all of them, after every step: that costs
 * about half the run time, which is affordable).  Every D_FULL_EVERY
 * steps every page of every space is compared: its map entry, its wiring
 * in the pmap, and all its bytes.
 *
 * The model never needs more pages than D_BUDGET (mapped pages of all
 * spaces plus the pages of the live objects).  That is well below the
 * physical memory of the main runs, so memory never runs out there; the
 * runs under pressure have a fifth of it and page, one of them with swap
 * writes failing now and then (the swap-write failpoint re-armed every
 * D_IOERR_EVERY steps): a failed write must lose nothing, so the model
 * holds all the same.
 *
 * Runs are deterministic.  The seed and the number of steps can be set
 * with the environment (UVMSIM_DIFF_SEED, UVMSIM_DIFF_STEPS) or as test
 * suite variables (kyua test -v test_suites.uvmsim.diff_seed=N
 * -v test_suites.uvmsim.diff_steps=N); the test prints both.  A
 * disagreement fails the test with the step, the operation, the space and
 * address, and what was expected and found, after printing the last
 * operations.  For debugging: UVMSIM_DIFF_VERBOSE prints every operation,
 * UVMSIM_DIFF_FULL=N compares everything every N steps, and
 * UVMSIM_DIFF_ENTRIES=N compares the map entries every N steps.
 *
 * The tests at the end of this file are regression tests for the bugs
 * this run found, each reduced to a few operations; all are fixed.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "h_model.c"

#define D_NPAGES      4096 /* physical memory, pages */
#define D_PAGESIZE    4096
#define D_NPG	      640  /* pages in each space's window */
#define D_BUDGET      2300 /* pages the model may need at most */
#define D_FULL_EVERY  50   /* steps between full comparisons */
#define D_SAMPLES     3	   /* random loads checked after each step */
#define D_MAXWIRED    256  /* wired pages (model) at most */
#define D_IOERR_EVERY 32   /* steps between swap write errors, at least */

#define D_SEED_DEFAULT	0x5eed1f02u
#define D_STEPS_DEFAULT 100000ul

struct d_run {
	struct m_ctx ctx;
	uint64_t rng;
	int nwired;	       /* model pages wired (sum of counts) */
	unsigned long nop[16]; /* operations run, by kind */
};

static uint64_t
d_rand(struct d_run *r)
{
	uint64_t x = r->rng;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	r->rng = x;
	return x;
}

/* a number in [0, n) */
static int
d_below(struct d_run *r, int n)
{
	return (int)(d_rand(r) % (uint64_t)n);
}

static bool
d_chance(struct d_run *r, int percent)
{
	return d_below(r, 100) < percent;
}

/* a random existing space, or -1 */
static int
d_space(struct d_run *r)
{
	int s, i, k;

	if (r->ctx.nspace == 0)
		return -1;
	k = d_below(r, r->ctx.nspace);
	for (s = 0, i = 0; s < M_NSPACE; s++)
		if (r->ctx.sp[s].s_vm != NULL && i++ == k)
			return s;
	return -1;
}

/* a space slot that is free, or -1 */
static int
d_free_slot(struct d_run *r)
{
	int s, k = d_below(r, M_NSPACE), i;

	for (i = 0; i < M_NSPACE; i++) {
		s = (k + i) % M_NSPACE;
		if (r->ctx.sp[s].s_vm == NULL)
			return s;
	}
	return -1;
}

/* a random page of space s that is mapped (and wired if asked), or -1 */
static int
d_mapped_page(struct d_run *r, int s, bool wired)
{
	struct m_space *sp = &r->ctx.sp[s];
	int i, k, pgi;

	if (sp->s_nmapped == 0)
		return -1;
	k = d_below(r, r->ctx.npg);
	for (i = 0; i < r->ctx.npg; i++) {
		pgi = (k + i) % r->ctx.npg;
		if (sp->s_pg[pgi].p_mapped &&
		    (!wired || sp->s_pg[pgi].p_wired > 0))
			return pgi;
	}
	return -1;
}

/* a length in pages: mostly short, sometimes long */
static int
d_length(struct d_run *r)
{
	int k = d_below(r, 100);

	if (k < 55)
		return 1 + d_below(r, 4);
	if (k < 88)
		return 5 + d_below(r, 12);
	return 17 + d_below(r, 48);
}

/*
 * d_range: a range of space s to operate on: mostly around a mapped page
 * (so it clips entries), sometimes anywhere (holes included).
 */
static void
d_range(struct d_run *r, int s, int *pgip, int *np)
{
	int pgi = -1, n = d_length(r);

	if (d_chance(r, 85))
		pgi = d_mapped_page(r, s, false);
	if (pgi < 0)
		pgi = d_below(r, r->ctx.npg);
	else
		pgi -= d_below(r, MIN(pgi, 3) + 1);
	if (pgi + n > r->ctx.npg)
		n = r->ctx.npg - pgi;
	*pgip = pgi;
	*np = n;
}

/* the pages space s would give a child: those not inherited `none' */
static int
d_fork_pages(struct d_run *r, int s)
{
	struct m_space *sp = &r->ctx.sp[s];
	int i, n = 0;

	for (i = 0; i < r->ctx.npg; i++)
		if (sp->s_pg[i].p_mapped &&
		    sp->s_pg[i].p_inh != MAP_INHERIT_NONE)
			n++;
	return n;
}

static int
d_used(struct d_run *r)
{
	return r->ctx.mapped + r->ctx.objpages;
}

/*
 * d_wired_in: the wired pages of [pgi, pgi + n) of space s.
 * => the range must lie in the window: checked, so that a range drawn
 *    wrongly fails every build, not only one with AddressSanitizer
 */
static int
d_wired_in(struct d_run *r, int s, int pgi, int n)
{
	int i, w = 0;

	ATF_REQUIRE_MSG(pgi >= 0 && n >= 0 && pgi + n <= r->ctx.npg,
	    "step %lu: range [%d, %d) outside the window of %d pages",
	    r->ctx.step, pgi, pgi + n, r->ctx.npg);
	for (i = pgi; i < pgi + n; i++)
		w += r->ctx.sp[s].s_pg[i].p_wired;
	return w;
}

/* a protection: mostly read-write or read-only, sometimes anything */
static vm_prot_t
d_prot(struct d_run *r)
{
	static const vm_prot_t common[] = { VM_PROT_READ | VM_PROT_WRITE,
		VM_PROT_READ | VM_PROT_WRITE, VM_PROT_READ | VM_PROT_WRITE,
		VM_PROT_READ, VM_PROT_READ, VM_PROT_NONE,
		VM_PROT_READ | VM_PROT_EXECUTE, VM_PROT_ALL };

	if (d_chance(r, 95))
		return common[d_below(r, 8)];
	return (vm_prot_t)d_below(r, 8);
}

static vm_inherit_t
d_inherit(struct d_run *r)
{
	static const vm_inherit_t inh[] = { MAP_INHERIT_COPY, MAP_INHERIT_COPY,
		MAP_INHERIT_COPY, MAP_INHERIT_SHARE, MAP_INHERIT_SHARE,
		MAP_INHERIT_NONE, MAP_INHERIT_ZERO };

	return inh[d_below(r, 7)];
}

/*
 * d_op_map: map something in space s.  Mostly in a hole (a free run
 * found by scanning), sometimes right after a mapping (to merge),
 * sometimes over what is there (UVM_FLAG_UNMAP, or refused).
 */
static void
d_op_map(struct d_run *r, int s)
{
	struct m_ctx *ctx = &r->ctx;
	struct m_space *sp = &ctx->sp[s];
	struct m_obj *obj = NULL;
	const struct m_page *follow = NULL;
	enum m_kind kind;
	vm_prot_t prot, maxprot;
	vm_inherit_t inh;
	int pgi, n, i, k, run, xflags = 0, objpg = 0, need, q, adv;

	k = d_below(r, 100);
	if (k < 60)
		kind = M_ANON;
	else if (k < 80 || ctx->nobj == 0)
		kind = M_SHM;
	else
		kind = d_chance(r, 50) ? M_ALIAS : M_ALIAS_COW;

	n = d_length(r);
	/* now and then a big mapping, so amap_copy copies it in chunks */
	if (kind == M_ANON && d_chance(r, 3))
		n = UVM_AMAP_LARGE + d_below(r, 64);
	if (kind == M_ALIAS || kind == M_ALIAS_COW) {
		q = d_below(r, ctx->nobj);
		for (obj = ctx->objs; q-- > 0; obj = obj->o_next)
			continue;
		n = MIN(n, obj->o_npages);
		objpg = d_below(r, obj->o_npages - n + 1);
	}
	need = n + (kind == M_SHM ? n : 0);
	if (d_used(r) + need > D_BUDGET)
		return;

	/* where */
	k = d_below(r, 100);
	if (k < 20 && (pgi = d_mapped_page(r, s, false)) >= 0) {
		/* right after the mapping around pgi: mergeable */
		while (pgi < ctx->npg && sp->s_pg[pgi].p_mapped)
			pgi++;
		follow = d_chance(r, 70) ? &sp->s_pg[pgi - 1] : NULL;
	} else if (k < 85) {
		/* the first hole of n pages from a random page */
		pgi = d_below(r, ctx->npg);
		for (run = 0, i = 0; i < ctx->npg && run < n; i++) {
			q = (pgi + i) % ctx->npg;
			if (q == 0)
				run = 0;
			run = sp->s_pg[q].p_mapped ? 0 : run + 1;
		}
		pgi = run == n ? (pgi + i - n) % ctx->npg : 0;
	} else {
		pgi = d_below(r, ctx->npg);
		if (d_chance(r, 60))
			xflags |= UVM_FLAG_UNMAP;
	}
	if (pgi + n > ctx->npg)
		pgi = ctx->npg - n;

	prot = d_prot(r);
	maxprot = VM_PROT_ALL;
	if (d_chance(r, 10))
		maxprot = d_chance(r, 70) ? prot | (vm_prot_t)d_below(r, 8) :
					    (vm_prot_t)d_below(r, 8);
	inh = d_inherit(r);
	adv = d_chance(r, 80) ? UVM_ADV_NORMAL : d_below(r, 3);
	if (follow != NULL) {
		/* the attributes of the mapping before, to merge with it */
		prot = follow->p_prot;
		maxprot = follow->p_maxprot;
		inh = follow->p_inh;
		adv = follow->p_adv;
		if (follow->p_obj != NULL &&
		    follow->p_objpg + 1 + n <= follow->p_obj->o_npages) {
			obj = follow->p_obj;
			objpg = follow->p_objpg + 1;
			kind = follow->p_slot != NULL ? M_ALIAS_COW : M_ALIAS;
		} else if (follow->p_obj == NULL)
			kind = M_ANON;
	} else if (d_chance(r, 20))
		xflags |= UVM_FLAG_NOMERGE;
	if (kind == M_ANON && follow == NULL && d_chance(r, 15))
		xflags |= UVM_FLAG_OVERLAY;
	/* UNMAP may drop wired pages: keep the wiring count right */
	for (i = pgi; (xflags & UVM_FLAG_UNMAP) && i < pgi + n; i++)
		if (sp->s_pg[i].p_mapped && (prot & maxprot) == prot)
			r->nwired -= sp->s_pg[i].p_wired;
	m_map(ctx, s, pgi, n, prot, maxprot, inh, adv, kind, obj, objpg,
	    xflags);
}

static void
d_op_unmap(struct d_run *r, int s)
{
	int pgi, n, w;

	d_range(r, s, &pgi, &n);
	w = d_wired_in(r, s, pgi, n);
	if (m_unmap(&r->ctx, s, pgi, n) == 0)
		r->nwired -= w;
}

/* d_op_protect: change the protection (or the maximum) of a range */
static void
d_op_protect(struct d_run *r, int s)
{
	vm_prot_t prot = d_prot(r);
	bool setmax = d_chance(r, 5);
	int pgi, n;

	d_range(r, s, &pgi, &n);
	m_protect(&r->ctx, s, pgi, n, prot, setmax);
}

static void
d_op_wire(struct d_run *r, int s)
{
	int pgi, n, w;
	bool wire = d_chance(r, 50);

	if (wire) {
		d_range(r, s, &pgi, &n);
		n = MIN(n, 8);
		if (r->nwired + n > D_MAXWIRED)
			return;
	} else {
		pgi = d_mapped_page(r, s, d_chance(r, 90));
		if (pgi < 0)
			return;
		/* drawn apart: MIN would draw twice, and could overrun */
		n = 1 + d_below(r, 4);
		n = MIN(n, r->ctx.npg - pgi);
	}
	w = d_wired_in(r, s, pgi, n);
	if (m_wire(&r->ctx, s, pgi, n, wire) == 0)
		r->nwired += d_wired_in(r, s, pgi, n) - w;
}

static void
d_op_fork(struct d_run *r, int s)
{
	int c = d_free_slot(r), pgi, n;

	if (c < 0 || d_used(r) + d_fork_pages(r, s) > D_BUDGET)
		return;
	m_fork(&r->ctx, s, c);
	/* sometimes change the child's inheritance before its own forks */
	if (d_chance(r, 30) && (pgi = d_mapped_page(r, c, false)) >= 0) {
		n = MIN(8, r->ctx.npg - pgi);
		m_inherit(&r->ctx, c, pgi, n, d_inherit(r));
	}
}

static void
d_op_free(struct d_run *r, int s)
{
	r->nwired -= d_wired_in(r, s, 0, r->ctx.npg);
	if (d_chance(r, 10)) {
		/* a second reference: the first free only drops it */
		m_begin(&r->ctx, "addref and free s%d", s);
		uvmspace_addref(r->ctx.sp[s].s_vm);
		uvmspace_free(r->ctx.sp[s].s_vm);
	}
	m_free(&r->ctx, s);
}

/* an address for an access: mostly in a mapped page of space s */
static vaddr_t
d_access_va(struct d_run *r, int s, size_t *lenp)
{
	struct m_ctx *ctx = &r->ctx;
	size_t len, off, psize = ctx->psize;
	vaddr_t va, end = m_va(ctx, ctx->npg);
	int pgi = -1, k = d_below(r, 100);

	if (d_chance(r, 90))
		pgi = d_mapped_page(r, s, false);
	if (pgi < 0)
		pgi = d_below(r, ctx->npg);
	if (k < 60)
		len = 1 + (size_t)d_below(r, 64);
	else if (k < 90)
		len = 1 + (size_t)d_below(r, (int)psize);
	else
		len = 1 + (size_t)d_below(r, (int)(3 * psize));
	off = (size_t)d_below(r, (int)psize);
	/* most accesses stay within their page */
	if (k < 90 && off + len > psize)
		off = psize - len;
	va = m_va(ctx, pgi) + off;
	if (va + len > end)
		len = end - va;
	*lenp = len;
	return va;
}

static void
d_op_store(struct d_run *r, int s)
{
	unsigned char *src = r->ctx.buf;
	size_t len, i;
	vaddr_t va = d_access_va(r, s, &len);
	int k = d_below(r, 100);

	for (i = 0; i < len; i++)
		src[i] = (unsigned char)d_rand(r);
	if (k < 20)
		m_store(&r->ctx, s, va, len, NULL, src[0], M_VIA_PROGRAM);
	else
		m_store(&r->ctx, s, va, len, src, -1,
		    k < 30 ? M_VIA_KERNEL : M_VIA_PROGRAM);
}

static void
d_op_load(struct d_run *r, int s)
{
	size_t len;
	vaddr_t va = d_access_va(r, s, &len);

	m_load(&r->ctx, s, va, len,
	    d_chance(r, 10) ? M_VIA_KERNEL : M_VIA_PROGRAM);
}

enum d_opkind {
	D_MAP,
	D_UNMAP,
	D_PROTECT,
	D_INHERIT,
	D_ADVICE,
	D_WIRE,
	D_FORK,
	D_FREE,
	D_ALLOC,
	D_STORE,
	D_LOAD,
	D_NOPS
};

static const char *const d_opname[] = { "map", "unmap", "protect", "inherit",
	"advice", "wire", "fork", "free", "alloc", "store", "load" };

/* d_step: one random operation */
static void
d_step(struct d_run *r)
{
	static const int weight[D_NOPS] = {
		[D_MAP] = 12,
		[D_UNMAP] = 6,
		[D_PROTECT] = 7,
		[D_INHERIT] = 6,
		[D_ADVICE] = 2,
		[D_WIRE] = 4,
		[D_FORK] = 4,
		[D_FREE] = 2,
		[D_ALLOC] = 1,
		[D_STORE] = 36,
		[D_LOAD] = 16,
	};
	struct m_ctx *ctx = &r->ctx;
	int w[D_NOPS], total = 0, k, op, s, pgi, n;

	memcpy(w, weight, sizeof(w));
	if (d_used(r) > D_BUDGET * 3 / 4) {
		/* memory is getting full: give some back */
		w[D_UNMAP] *= 4;
		w[D_FREE] *= 4;
	}
	if (ctx->nspace < 2)
		w[D_ALLOC] = 20;
	if (ctx->nspace == M_NSPACE)
		w[D_ALLOC] = 0;
	for (op = 0; op < D_NOPS; op++)
		total += w[op];
	k = d_below(r, total);
	for (op = 0; k >= w[op]; op++)
		k -= w[op];

	s = d_space(r);
	if (s < 0 || op == D_ALLOC) {
		if ((s = d_free_slot(r)) < 0)
			return;
		op = D_ALLOC;
	}
	r->nop[op]++;
	switch (op) {
	case D_MAP:
		d_op_map(r, s);
		break;
	case D_UNMAP:
		d_op_unmap(r, s);
		break;
	case D_PROTECT:
		d_op_protect(r, s);
		break;
	case D_INHERIT:
		d_range(r, s, &pgi, &n);
		m_inherit(ctx, s, pgi, n, (vm_inherit_t)d_below(r, 4));
		break;
	case D_ADVICE:
		d_range(r, s, &pgi, &n);
		m_advice(ctx, s, pgi, n, d_below(r, 3));
		break;
	case D_WIRE:
		d_op_wire(r, s);
		break;
	case D_FORK:
		d_op_fork(r, s);
		break;
	case D_FREE:
		d_op_free(r, s);
		break;
	case D_ALLOC:
		m_alloc(ctx, s);
		break;
	case D_STORE:
		d_op_store(r, s);
		break;
	case D_LOAD:
		d_op_load(r, s);
		break;
	}
}

/* d_sample: load a few random bytes from random spaces and compare */
static void
d_sample(struct d_run *r)
{
	struct m_ctx *ctx = &r->ctx;
	int i, s, pgi;

	ctx->quiet = true;
	for (i = 0; i < D_SAMPLES; i++) {
		if ((s = d_space(r)) < 0 ||
		    (pgi = d_mapped_page(r, s, false)) < 0)
			continue;
		m_load(ctx, s,
		    m_va(ctx, pgi) + (vaddr_t)d_below(r, (int)ctx->psize - 8),
		    8, M_VIA_PROGRAM);
	}
	ctx->quiet = false;
}

/* a run's parameter: the environment, else the test suite, else dflt */
static unsigned long
d_param(const atf_tc_t *tc, const char *env, const char *var,
    unsigned long dflt)
{
	const char *v = getenv(env);
	char *end;
	unsigned long x;

	if (v == NULL || *v == '\0')
		v = atf_tc_get_config_var_wd(tc, var, "");
	if (*v == '\0')
		return dflt;
	x = strtoul(v, &end, 0);
	if (*end != '\0')
		atf_tc_fail("bad %s: '%s'", var, v);
	return x;
}

/*
 * d_run: boot a machine, run `steps' random operations from `seed',
 * free everything and check nothing is left.
 */
/* what one run does, wherever it runs (the host, or a kernel thread) */
struct d_args {
	const atf_tc_t *tc;
	size_t pagesize;
	unsigned long steps, seed;
	bool ioerrors; /* swap writes fail now and then */
	bool done;
};

static struct d_run run;

/* the steps, each compared with the model, and the spaces freed */
static void
d_loop(struct d_args *a)
{
	struct d_run *r = &run;
	struct m_ctx *ctx = &r->ctx;
	unsigned long step, full_every, entries_every;
	int s;

	memset(r, 0, sizeof(*r));
	r->rng = (uint64_t)a->seed * 0x9e3779b97f4a7c15ull + 1;
	m_init(ctx, (int)(D_NPG * D_PAGESIZE / a->pagesize), false);
	ctx->verbose = getenv("UVMSIM_DIFF_VERBOSE") != NULL;
	full_every =
	    d_param(a->tc, "UVMSIM_DIFF_FULL", "diff_full", D_FULL_EVERY);
	entries_every =
	    d_param(a->tc, "UVMSIM_DIFF_ENTRIES", "diff_entries", 0);

	for (step = 1; step <= a->steps; step++) {
		ctx->step = step;
		if (a->ioerrors && step % D_IOERR_EVERY == 0 &&
		    !failpoints[FP_SWAPWRITE].fp_armed)
			failpoint_arm(FP_SWAPWRITE, step / D_IOERR_EVERY % 7,
			    1);
		d_step(r);
		d_sample(r);
		m_check_counts(ctx);
		m_deep_check(ctx);
		if (step % full_every == 0)
			m_check_all(ctx);
		else if (entries_every != 0 && step % entries_every == 0)
			for (s = 0; s < M_NSPACE; s++)
				if (ctx->sp[s].s_vm != NULL)
					m_check_entries(ctx, s);
	}
	ctx->step = step;
	failpoint_disarm(FP_SWAPWRITE);
	m_check_all(ctx);
	for (s = 0; s < M_NSPACE; s++)
		if (ctx->sp[s].s_vm != NULL)
			m_free(ctx, s);
	m_deep_check(ctx);
	m_fini(ctx);
	a->done = true;
}

static void
d_thread(void *arg)
{
	d_loop(arg);
	exit1(curproc, 0);
}

static void
d_report(clock_t t0)
{
	int op;

	printf("operations:");
	for (op = 0; op < D_NOPS; op++)
		printf(" %s %lu", d_opname[op], run.nop[op]);
	printf("\nfaults %" PRIu64 ": zero %" PRIu64 ", anon %" PRIu64
	       ", acow %" PRIu64 ", obj %" PRIu64 ", prcopy %" PRIu64
	       ", amcopy %" PRIu64 ", cow_now %" PRIu64 "; merges %" PRIu64
	       "\n",
	    uvmexp.faults, uvmexp.flt_przero, uvmexp.flt_anon, uvmexp.flt_acow,
	    uvmexp.flt_obj, uvmexp.flt_prcopy, uvmexp.flt_amcopy,
	    uvmexp.cow_now, uvmexp.map_merges);
	printf("paging: %" PRIu64 " pages out in %" PRIu64 " writes, %" PRIu64
	       " read back\n",
	    uvmexp.pdpgout, uvmexp.pdpageouts, uvmexp.flt_anget);
	printf("%.1f s of CPU\n", (double)(clock() - t0) / CLOCKS_PER_SEC);
}

/*
 * d_run: a run of `steps' random steps from seed.  With npages 0, on a
 * machine of D_NPAGES pages driven from the host; else on a machine of
 * npages pages, under memory pressure, from inside a kernel thread
 * (faults then sleep for page-ins, and the pagedaemon pages out) -- and
 * the run must really have paged.
 */
static void
d_run_io(const atf_tc_t *tc, size_t pagesize, unsigned long steps,
    unsigned long seed, size_t npages, bool ioerrors)
{
	struct d_args a = { tc, pagesize, steps, seed, ioerrors, false };
	struct machine_config mc;
	int free0, nmapent0, naobj0, nvm0, cached0;
	clock_t t0 = clock();

	printf("seed %lu (0x%lx), %lu steps, page size %zu%s\n", seed, seed,
	    steps, pagesize, npages != 0 ? ", under memory pressure" : "");
	fflush(stdout);
	machine_config_default(&mc);
	mc.mc_pagesize = pagesize;
	mc.mc_npages = npages != 0 ? npages : D_NPAGES;
	mc.mc_swapslots = 4 * D_BUDGET * (D_PAGESIZE / pagesize);
	if (npages != 0)
		h_boot_kern_config(&mc);
	else
		h_boot_config(&mc);
	free0 = uvmexp.free;
	nmapent0 = uvmexp.nmapent;
	naobj0 = uvmexp.naobj;
	nvm0 = uvmexp.nvmspace;
	cached0 = uvm_uarea_cached();
	if (npages == 0)
		d_loop(&a);
	else {
		ATF_REQUIRE_EQ(kthread_create(d_thread, &a, NULL, "vmdiff"), 0);
		h_run_idle();
		ATF_REQUIRE(a.done);
		ATF_REQUIRE_MSG(uvmexp.pdpgout > 0 && uvmexp.flt_anget > 0,
		    "no paging: %" PRIu64 " out, %" PRIu64 " in",
		    uvmexp.pdpgout, uvmexp.flt_anget);
		if (ioerrors)
			ATF_REQUIRE_MSG(swapcounters.wrerrors > 0,
			    "no swap write failed");
		/* the thread's u-area stays in the cache */
		free0 -= (uvm_uarea_cached() - cached0) * (int)UPAGES;
	}
	d_report(t0);

	ATF_REQUIRE_EQ_MSG(uvmexp.nanon, 0, "%d anons left", uvmexp.nanon);
	ATF_REQUIRE_EQ_MSG(uvmexp.namap, 0, "%d amaps left", uvmexp.namap);
	ATF_REQUIRE_EQ_MSG(uvmexp.nvmspace, nvm0, "%d vmspaces left",
	    uvmexp.nvmspace - nvm0);
	ATF_REQUIRE_EQ_MSG(uvmexp.naobj, naobj0, "%d aobjs, %d at boot",
	    uvmexp.naobj, naobj0);
	/* only the slots retired after a write error stay in use */
	ATF_REQUIRE_EQ_MSG((uint64_t)uvmexp.swpginuse, swapcounters.badslots,
	    "%d swap slots left, %" PRIu64 " of them retired", uvmexp.swpginuse,
	    swapcounters.badslots);
	if (npages == 0)
		ATF_REQUIRE_EQ_MSG(uvmexp.nmapent, nmapent0,
		    "%d map entries, %d at boot", uvmexp.nmapent, nmapent0);
	ATF_REQUIRE_EQ_MSG(uvmexp.free, free0, "%d pages free, %d at boot",
	    uvmexp.free, free0);
	h_shutdown();
}

static void
d_run(const atf_tc_t *tc, size_t pagesize, unsigned long steps,
    unsigned long seed, size_t npages)
{
	d_run_io(tc, pagesize, steps, seed, npages, false);
}

/* the long run: 4 KiB pages */
ATF_TC(random_ops_match_model);
ATF_TC_HEAD(random_ops_match_model, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "random map/unmap/protect/inherit/wire/fork/free/store/load "
	    "sequences over several spaces agree with a reference model");
	atf_tc_set_md_var(tc, "timeout", "1200");
}
ATF_TC_BODY(random_ops_match_model, tc)
{
	d_run(tc, D_PAGESIZE,
	    d_param(tc, "UVMSIM_DIFF_STEPS", "diff_steps", D_STEPS_DEFAULT),
	    d_param(tc, "UVMSIM_DIFF_SEED", "diff_seed", D_SEED_DEFAULT), 0);
}

/*
 * small pages: more pages per byte, so more entries, clips and amap
 * slots for the same work; another seed
 */
ATF_TC(random_ops_small_pages);
ATF_TC_HEAD(random_ops_small_pages, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "the random sequences with 1 KiB pages and another seed");
	atf_tc_set_md_var(tc, "timeout", "1200");
}
ATF_TC_BODY(random_ops_small_pages, tc)
{
	d_run(tc, 1024,
	    d_param(tc, "UVMSIM_DIFF_STEPS", "diff_steps", D_STEPS_DEFAULT) / 4,
	    d_param(tc, "UVMSIM_DIFF_SEED", "diff_seed", D_SEED_DEFAULT) + 1,
	    0);
}

/*
 * under memory pressure: the model may use over twice the machine's
 * memory, so the pagedaemon pages out and faults page in, inside a
 * kernel thread; every step still agrees with the model
 */
ATF_TC(random_ops_under_pressure);
ATF_TC_HEAD(random_ops_under_pressure, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "the random sequences on a machine of 512 pages, paging");
	atf_tc_set_md_var(tc, "timeout", "1200");
}
ATF_TC_BODY(random_ops_under_pressure, tc)
{
	d_run(tc, D_PAGESIZE,
	    d_param(tc, "UVMSIM_DIFF_STEPS", "diff_steps", D_STEPS_DEFAULT) / 2,
	    d_param(tc, "UVMSIM_DIFF_SEED", "diff_seed", D_SEED_DEFAULT) + 2,
	    512);
}

/*
 * under memory pressure with swap writes failing now and then: the
 * slots of a failed write are retired and its pages written elsewhere
 * later, and no byte is lost
 */
ATF_TC(random_ops_swap_write_errors);
ATF_TC_HEAD(random_ops_swap_write_errors, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "the random sequences under memory pressure, swap writes "
	    "failing");
	atf_tc_set_md_var(tc, "timeout", "1200");
}
ATF_TC_BODY(random_ops_swap_write_errors, tc)
{
	d_run_io(tc, D_PAGESIZE,
	    d_param(tc, "UVMSIM_DIFF_STEPS", "diff_steps", D_STEPS_DEFAULT) / 4,
	    d_param(tc, "UVMSIM_DIFF_SEED", "diff_seed", D_SEED_DEFAULT) + 3,
	    512, true);
}

/*
 * Seeds that once ran past the model's window: an unwire drew its length
 * inside MIN(), so the draw happened twice and the range could end past
 * the last page (seed 1014 at step 81643, 1017 at step 88798).  The
 * length is now drawn once, which also changes what these seeds do from
 * then on; they stay as two more full runs.
 */
static void
d_run_seed(const atf_tc_t *tc, unsigned long seed)
{
	d_run(tc, D_PAGESIZE,
	    d_param(tc, "UVMSIM_DIFF_STEPS", "diff_steps", D_STEPS_DEFAULT),
	    seed, 0);
}

ATF_TC(random_ops_seed1014_stay_in_window);
ATF_TC_HEAD(random_ops_seed1014_stay_in_window, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "seed 1014 matches the model and never draws a range past the "
	    "window");
	atf_tc_set_md_var(tc, "timeout", "1200");
}
ATF_TC_BODY(random_ops_seed1014_stay_in_window, tc)
{
	d_run_seed(tc, 1014);
}

ATF_TC(random_ops_seed1017_stay_in_window);
ATF_TC_HEAD(random_ops_seed1017_stay_in_window, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "seed 1017 matches the model and never draws a range past the "
	    "window");
	atf_tc_set_md_var(tc, "timeout", "1200");
}
ATF_TC_BODY(random_ops_seed1017_stay_in_window, tc)
{
	d_run_seed(tc, 1017);
}

/*
 * Bugs the random run found, each reduced to a few operations, fixed,
 * and kept as regression tests (a panic fails the test instead of
 * aborting it).
 */

#define K_VA ((vaddr_t)0x100000)
#define K_RW (VM_PROT_READ | VM_PROT_WRITE)

static void __dead
k_panic(const char *msg)
{
	panic_hook = NULL;
	atf_tc_fail("panic: %s", msg);
}

static struct vmspace *
k_boot(void)
{
	h_boot(256, 4096);
	panic_hook = k_panic;
	return uvmspace_alloc(VM_MIN_ADDRESS, VM_MAXUSER_ADDRESS);
}

static void
k_map(struct vmspace *vm, struct uvm_object *uobj, vm_inherit_t inh)
{
	vaddr_t va = K_VA;

	ATF_REQUIRE_EQ(uvm_map(&vm->vm_map, &va, PAGE_SIZE, uobj, 0, 0,
			   UVM_MAPFLAG(K_RW, VM_PROT_ALL, inh, UVM_ADV_NORMAL,
			       UVM_FLAG_FIXED | UVM_FLAG_COPYONW)),
	    0);
}

static char
k_load(struct vmspace *vm)
{
	char c = 0;

	ATF_REQUIRE_EQ(uvm_load(vm, K_VA, &c, 1, NULL), 0);
	return c;
}

static void
k_store(struct vmspace *vm, char c)
{
	ATF_REQUIRE_EQ(uvm_store(vm, K_VA, &c, 1, NULL), 0);
}

static void
k_done(struct vmspace *vm1, struct vmspace *vm2)
{
	h_check();
	uvmspace_free(vm1);
	if (vm2 != NULL)
		uvmspace_free(vm2);
	panic_hook = NULL;
	h_shutdown();
}

/*
 * Known bug 1.  An object mapped copy-on-write and share-inherited: the
 * two spaces share one amap over the object.  The child reads the page
 * (the object's page is mapped in its pmap); the parent writes it, which
 * copies the object's page into a new anon in the shared amap (fault
 * case 2B).  The child must now see the anon, but uvm_fault_lower does
 * not remove the other mappings of the object's page when it promotes
 * into an AMAP_SHARED amap, so the child keeps reading the object.
 */
ATF_TC_WITHOUT_HEAD(shared_view_promotion_unmaps);
ATF_TC_BODY(shared_view_promotion_unmaps, tc)
{
	struct vmspace *vm1, *vm2;

	vm1 = k_boot();
	k_map(vm1, uao_create(PAGE_SIZE, 0), MAP_INHERIT_SHARE);
	vm2 = uvmspace_fork(vm1);
	ATF_REQUIRE(vm2 != NULL);
	ATF_REQUIRE_EQ(k_load(vm2), 0);
	k_store(vm1, 'x');
	ATF_REQUIRE_EQ(k_load(vm1), 'x');
	ATF_REQUIRE_EQ_MSG(k_load(vm2), 'x',
	    "the sharer reads the object's page, not the shared anon");
	atf_tc_expect_pass();
	k_done(vm1, vm2);
}

/*
 * Known bug 2.  Lowering a wired range's protection to one without
 * VM_PROT_READ (here VM_PROT_NONE) makes uvm_map_protect call
 * pmap_protect, which removes the mappings, wired ones included; the
 * unwire then finds no mapping and panics in uvm_fault_unwire_locked.
 * (An unmap or uvmspace_free of the range panics the same way.)
 */
ATF_TC_WITHOUT_HEAD(wired_protect_none_unwire);
ATF_TC_BODY(wired_protect_none_unwire, tc)
{
	struct vmspace *vm;

	vm = k_boot();
	k_map(vm, NULL, MAP_INHERIT_COPY);
	ATF_REQUIRE_EQ(uvm_map_pageable(&vm->vm_map, K_VA, K_VA + PAGE_SIZE,
			   false),
	    0);
	ATF_REQUIRE_EQ(uvm_map_protect(&vm->vm_map, K_VA, K_VA + PAGE_SIZE,
			   VM_PROT_NONE, false),
	    0);
	ATF_REQUIRE_EQ(uvm_map_pageable(&vm->vm_map, K_VA, K_VA + PAGE_SIZE,
			   true),
	    0);
	atf_tc_expect_pass();
	k_done(vm, NULL);
}

/*
 * Known bug 3.  A page wired while read-only and shared copy-on-write
 * with a parent; its protection is raised and it is written.  The write
 * fault (on a wired entry, so with PMAP_WIRED) copies the page (case
 * 1B) but wires only the mapping, not the new page, and the old page
 * stays wired; unwiring then unwires the new page, which panics in
 * uvm_pageunwire.  Any fault on a wired entry that replaces the page has
 * the same flaw: a load too, since a wired entry's faults are taken with
 * all its protection; and a write by another space sharing the amap,
 * which removes the wired mapping (amap_add replacing in a shared amap).
 */
ATF_TC_WITHOUT_HEAD(wired_cow_write_unwire);
ATF_TC_BODY(wired_cow_write_unwire, tc)
{
	struct vmspace *vm1, *vm2;

	vm1 = k_boot();
	k_map(vm1, NULL, MAP_INHERIT_COPY);
	k_store(vm1, 'a');
	vm2 = uvmspace_fork(vm1);
	ATF_REQUIRE(vm2 != NULL);
	ATF_REQUIRE_EQ(uvm_map_protect(&vm2->vm_map, K_VA, K_VA + PAGE_SIZE,
			   VM_PROT_READ, false),
	    0);
	ATF_REQUIRE_EQ(uvm_map_pageable(&vm2->vm_map, K_VA, K_VA + PAGE_SIZE,
			   false),
	    0);
	ATF_REQUIRE_EQ(uvm_map_protect(&vm2->vm_map, K_VA, K_VA + PAGE_SIZE,
			   K_RW, false),
	    0);
	k_store(vm2, 'b');
	ATF_REQUIRE_EQ(k_load(vm1), 'a');
	ATF_REQUIRE_EQ(uvm_map_pageable(&vm2->vm_map, K_VA, K_VA + PAGE_SIZE,
			   true),
	    0);
	atf_tc_expect_pass();
	ATF_REQUIRE_EQ(uvmexp.wired, 0);
	k_done(vm1, vm2);
}

/*
 * Bug 4.  Space 1 shares an amap with space 0; space 2 got a copy of it
 * at a fork, so it holds the same anon, and wires the page read-only (no
 * copy is made).  Space 1's write copies the anon (case 1B) in the
 * shared amap.  The copy used to remove every mapping of the old page:
 * space 2's wired mapping too, which maps the old anon through its own
 * amap and had to stay.  Only the sharers' mappings may go.
 */
ATF_TC_WITHOUT_HEAD(shared_amap_cow_keeps_other_wired);
ATF_TC_BODY(shared_amap_cow_keeps_other_wired, tc)
{
	struct vmspace *vm0, *vm1, *vm2;

	vm0 = k_boot();
	k_map(vm0, NULL, MAP_INHERIT_SHARE);
	k_store(vm0, 'a');
	vm1 = uvmspace_fork(vm0);
	ATF_REQUIRE(vm1 != NULL);
	ATF_REQUIRE_EQ(uvm_map_inherit(&vm0->vm_map, K_VA, K_VA + PAGE_SIZE,
			   MAP_INHERIT_COPY),
	    0);
	vm2 = uvmspace_fork(vm0);
	ATF_REQUIRE(vm2 != NULL);
	ATF_REQUIRE_EQ(uvm_map_protect(&vm2->vm_map, K_VA, K_VA + PAGE_SIZE,
			   VM_PROT_READ, false),
	    0);
	ATF_REQUIRE_EQ(uvm_map_pageable(&vm2->vm_map, K_VA, K_VA + PAGE_SIZE,
			   false),
	    0);
	k_store(vm1, 'b');
	ATF_REQUIRE_EQ(k_load(vm0), 'b');
	ATF_REQUIRE_MSG(pmap_extract(vm2->vm_map.pmap, K_VA, NULL),
	    "space 2's wired page lost its mapping");
	ATF_REQUIRE_EQ(k_load(vm2), 'a');
	ATF_REQUIRE_EQ(uvm_map_pageable(&vm2->vm_map, K_VA, K_VA + PAGE_SIZE,
			   true),
	    0);
	uvmspace_free(vm2);
	k_done(vm0, vm1);
}

/*
 * The other half of bug 4.  Spaces 0 and 1 share an amap; space 0 wires
 * the page.  A fork of space 1 with copy inheritance makes the anon
 * shared (an_ref 2), so space 1's write copies it (1B) into the shared
 * amap: space 0 now sees the new page, and its wiring must have moved
 * there with it -- mapped, wired, and unwired cleanly later.
 *
 *	space 0 --wired--+
 *	                 +-- shared amap: [anon a] -> [anon b] after the write
 *	space 1 ---------+
 *	space 2 (copy of 1): its own amap, still [anon a]
 */
static void
k_require_wired_at(struct vmspace *vm, int wired)
{
	paddr_t pa;

	ATF_REQUIRE_MSG(pmap_extract(vm->vm_map.pmap, K_VA, &pa),
	    "the wired page lost its mapping");
	ATF_REQUIRE_EQ(PHYS_TO_VM_PAGE(pa)->wire_count, wired);
	ATF_REQUIRE_EQ(pmap_wired_count(vm->vm_map.pmap), 1);
}

ATF_TC_WITHOUT_HEAD(shared_amap_cow_moves_sharer_wiring);
ATF_TC_BODY(shared_amap_cow_moves_sharer_wiring, tc)
{
	struct vmspace *vm0, *vm1, *vm2;

	vm0 = k_boot();
	k_map(vm0, NULL, MAP_INHERIT_SHARE);
	k_store(vm0, 'a');
	vm1 = uvmspace_fork(vm0);
	ATF_REQUIRE(vm1 != NULL);
	ATF_REQUIRE_EQ(uvm_map_pageable(&vm0->vm_map, K_VA, K_VA + PAGE_SIZE,
			   false),
	    0);
	ATF_REQUIRE_EQ(uvm_map_inherit(&vm1->vm_map, K_VA, K_VA + PAGE_SIZE,
			   MAP_INHERIT_COPY),
	    0);
	vm2 = uvmspace_fork(vm1);
	ATF_REQUIRE(vm2 != NULL);
	k_store(vm1, 'b');
	ATF_REQUIRE_EQ(uvmexp.flt_acow, 1);
	k_require_wired_at(vm0, 1);
	ATF_REQUIRE_EQ(k_load(vm0), 'b');
	ATF_REQUIRE_EQ(k_load(vm2), 'a');
	ATF_REQUIRE_EQ(uvmexp.wired, 1);
	h_check();
	ATF_REQUIRE_EQ(uvm_map_pageable(&vm0->vm_map, K_VA, K_VA + PAGE_SIZE,
			   true),
	    0);
	ATF_REQUIRE_EQ(uvmexp.wired, 0);
	uvmspace_free(vm2);
	k_done(vm0, vm1);
}

/*
 * The same in case 2B: a shared amap over an object; space 0 wires the
 * object's page (read-only, so no anon is made); space 1's write
 * promotes the page into an anon of the shared amap, and space 0's
 * wiring moves to the anon's page.  Another space mapping the object
 * directly keeps its mapping of the object's page.
 */
ATF_TC_WITHOUT_HEAD(shared_amap_promotion_moves_sharer_wiring);
ATF_TC_BODY(shared_amap_promotion_moves_sharer_wiring, tc)
{
	struct vmspace *vm0, *vm1, *vm3;
	struct uvm_object *uobj;
	vaddr_t va = K_VA;

	vm0 = k_boot();
	uobj = uao_create(PAGE_SIZE, 0);
	uao_reference(uobj);
	k_map(vm0, uobj, MAP_INHERIT_SHARE);
	vm1 = uvmspace_fork(vm0);
	ATF_REQUIRE(vm1 != NULL);
	/* space 3 maps the object shared, with no amap */
	vm3 = uvmspace_alloc(VM_MIN_ADDRESS, VM_MAXUSER_ADDRESS);
	ATF_REQUIRE_EQ(uvm_map(&vm3->vm_map, &va, PAGE_SIZE, uobj, 0, 0,
			   UVM_MAPFLAG(K_RW, VM_PROT_ALL, MAP_INHERIT_SHARE,
			       UVM_ADV_NORMAL, UVM_FLAG_FIXED)),
	    0);
	ATF_REQUIRE_EQ(k_load(vm3), 0);
	ATF_REQUIRE_EQ(uvm_map_protect(&vm0->vm_map, K_VA, K_VA + PAGE_SIZE,
			   VM_PROT_READ, false),
	    0);
	ATF_REQUIRE_EQ(uvm_map_pageable(&vm0->vm_map, K_VA, K_VA + PAGE_SIZE,
			   false),
	    0);
	k_store(vm1, 'p');
	ATF_REQUIRE_EQ(uvmexp.flt_prcopy, 1);
	k_require_wired_at(vm0, 1);
	ATF_REQUIRE_EQ(k_load(vm0), 'p');
	ATF_REQUIRE_MSG(pmap_extract(vm3->vm_map.pmap, K_VA, NULL),
	    "a direct mapping of the object lost its page");
	ATF_REQUIRE_EQ(k_load(vm3), 0);
	ATF_REQUIRE_EQ(uvm_map_pageable(&vm0->vm_map, K_VA, K_VA + PAGE_SIZE,
			   true),
	    0);
	ATF_REQUIRE_EQ(uvmexp.wired, 0);
	uvmspace_free(vm3);
	k_done(vm0, vm1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, random_ops_match_model);
	ATF_TP_ADD_TC(tp, random_ops_small_pages);
	ATF_TP_ADD_TC(tp, random_ops_under_pressure);
	ATF_TP_ADD_TC(tp, random_ops_swap_write_errors);
	ATF_TP_ADD_TC(tp, random_ops_seed1014_stay_in_window);
	ATF_TP_ADD_TC(tp, random_ops_seed1017_stay_in_window);
	ATF_TP_ADD_TC(tp, shared_view_promotion_unmaps);
	ATF_TP_ADD_TC(tp, wired_protect_none_unwire);
	ATF_TP_ADD_TC(tp, wired_cow_write_unwire);
	ATF_TP_ADD_TC(tp, shared_amap_cow_keeps_other_wired);
	ATF_TP_ADD_TC(tp, shared_amap_cow_moves_sharer_wiring);
	ATF_TP_ADD_TC(tp, shared_amap_promotion_moves_sharer_wiring);
	return atf_no_error();
}
