/*
 * t_vmfail.c: every allocator and every disk transfer failing at points
 * all over two workloads leaves the VM system consistent and the data
 * where it must be.
 *
 * The scenario (f_scenario), on a machine of 512 pages with no thread
 * running -- the host calls the VM system directly, so nothing pages --
 * maps private and shared anonymous memory and an object mapped again
 * copy-on-write, writes every page, forks with each inheritance, writes
 * in parent and children, changes protection and inheritance, wires and
 * unwires, unmaps and frees.  For each allocator failpoint (page, anon,
 * amap, map entry, pmap) and each skip count k from 0 until the scenario
 * runs without the failpoint firing, a fresh machine runs the scenario
 * with the (k+1)-th call of that allocator failing (then a second time
 * with three calls in a row failing).  Every operation must succeed or
 * fail the documented way -- ENOMEM from uvm_map, uvm_unmap,
 * uvm_map_protect, uvm_map_inherit, uvm_map_advice, uvm_map_pageable;
 * NULL from uvmspace_fork; SIGKILL from a load or store whose fault ran
 * out of memory (with no thread to wait in, a fault that cannot get a
 * page or an anon gives up at once, while one that cannot get an amap
 * waits and retries) -- and the model of h_model.c follows only what
 * succeeded.  A process killed by SIGKILL exits: its space is freed and
 * the script goes on without it.  After every operation the VM system's
 * checkers run; at checkpoints (with the failpoint paused) every page of
 * every space is compared with the model.  At the end, with every space
 * freed, no anon, amap, map entry, vmspace or object is left and every
 * page is free again.
 *
 * The paging workload (pw_*, described where it starts) runs the whole
 * kernel -- the pagedaemon, the swapper, the reaper -- on a machine of
 * 72 pages with swap: user programs with private and shared anonymous
 * memory, an anonymous object and two files mapped shared and private,
 * touching about three times as much memory as there is, so that the
 * pagedaemon pages anons and aobj pages out to swap and file pages back
 * to their files, faults read them back, the swapper swaps sleeping
 * processes out and in (their u-areas are paged too), and forks take
 * kernel VA for u-areas.  It runs under every failpoint but swap-create
 * (boot only): the allocators as above, swap slots and kernel VA, and
 * the disk's swap reads and writes and file reads and writes (EIO; the
 * writes ENOSPC at every odd skip count).  The skip counts go in a
 * stride, so that each failpoint gets at most PW_MAXRUNS (40) runs per
 * test case: every skip count of those called 40 times or fewer, every
 * 2nd to every 18th of the others (the test prints each stride).  Each
 * run is made in a host process of its own.  Besides consistency after
 * every step and nothing left at the end, no data may be lost: a failed
 * write keeps its page dirty for a later one, a failed read ends the
 * process whose fault it was with SIGBUS (and no other, but for those
 * that shared the page it could not read), and the files hold every byte
 * written to them.  A u-area that cannot be read back panics the kernel,
 * as documented (uvm_swapin, as NetBSD 1.6): that ends the run.
 *
 * UVMSIM_FAIL_RUN=name:skip:fail makes one such run alone, in the
 * workload of the test case run (every_failure_* the scenario,
 * paging_every_failure_* the paging workload), in the test's own
 * process; UVMSIM_FAIL_VERBOSE prints every operation (and for the
 * paging workload the kernel's trace), for debugging.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

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

/*
 * f_only: UVMSIM_FAIL_RUN=name:skip:fail, if set, names one run to make
 * alone (for debugging).
 *
 * => returns whether it is set, with the run in *fpp, *skipp, *failp.
 */
static bool
f_only(enum failpoint_id *fpp, unsigned long *skipp, unsigned long *failp)
{
	const char *only = getenv("UVMSIM_FAIL_RUN");
	char name[16];
	int i;

	if (only == NULL)
		return false;
	ATF_REQUIRE_MSG(sscanf(only, "%15[a-z-]:%lu:%lu", name, skipp, failp) ==
		3,
	    "UVMSIM_FAIL_RUN=%s is not name:skip:fail", only);
	i = failpoint_lookup(name);
	ATF_REQUIRE_MSG(i >= 0, "UVMSIM_FAIL_RUN: no failpoint %s", name);
	*fpp = (enum failpoint_id)i;
	return true;
}

/* run every skip count of every failpoint, `fail' failures at a time */
static void
f_all(unsigned long fail)
{
	static const enum failpoint_id fps[] = { FP_PAGE, FP_ANON, FP_AMAP,
		FP_MAPENT, FP_PMAP };
	enum failpoint_id fp;
	unsigned long k;
	size_t i;

	if (f_only(&fp, &k, &fail)) {
		f_one(fp, k, fail);
		return;
	}
	/* the scenario must pass untouched first */
	f_one(FP_PAGE, 0, 0);
	for (i = 0; i < __arraycount(fps); i++) {
		f_nfailed = 0;
		for (k = 0; f_one(fps[i], k, fail); k++)
			ATF_REQUIRE_MSG(k < 100000, "failpoint %s never stops",
			    f_fpname(fps[i]));
		printf("failpoint %s, %lu failure(s) at a time: fired in %lu "
		       "runs, %lu operations failed cleanly\n",
		    f_fpname(fps[i]), fail, k, f_nfailed);
	}
}

/*
 * The paging workload (pw_).  A whole kernel -- proc0 the swapper, the
 * pagedaemon, the reaper -- runs user programs on a machine of
 * PW_NPAGES pages with swap enough never to fill, the programs touching
 * about three times as much memory as there is.  Their regions (one
 * table, pw_regs; addresses pw_va):
 *
 *	A  private anonymous          S  an anonymous object, shared
 *	T  shared anonymous (amap)    F  file "fs", mapped shared
 *	G  file "fp", mapped private  H  the hog's private anonymous
 *	U  a tick's private anonymous
 *
 * and what they do (every write is a whole page of a pattern of its own,
 * every read compares a whole page with the model):
 *
 *	main   maps A S T F G, writes A, the even pages of S T F and G;
 *	       forks kid; writes a third of A and the even pages of S T F
 *	       again; sleeps 3 s; reads back A G and the even pages of
 *	       S T F; waits for kid; reads back all of S T F; writes
 *	       the even pages of F again and msyncs F
 *	kid    writes the odd pages of S T F, a quarter of A and G; sleeps
 *	       2 s; reads back A G and the odd pages of S T F; writes
 *	       the odd pages of F again and msyncs F
 *	hog    maps H, larger than memory, and writes it; forks PW_NTICK
 *	       ticks one after another (each maps and writes U, reads some
 *	       of H, which it shares copy-on-write, and U back); sleeps
 *	       1.5 s; reads H back, writes half of it, reads it back
 *
 * So the pagedaemon pages anons and aobj pages out to swap and file
 * pages back to their files, faults read them back, processes asleep
 * longer than maxslp are swapped out (their u-areas, in the kernel
 * object, paged out too) and in again, and forks take kernel VA for
 * u-areas once the pagedaemon has drained the u-area cache.
 *
 * The model (pw_model) holds the pattern of each page: a process's own
 * for the private regions (a child starts with a copy of its parent's),
 * one for all for the shared ones.  Each shared page has one writer (by
 * parity), and a process reads another's pages only once the writer has
 * exited, so the model is exact.  A store that fails writes nothing (a
 * page at a time), and the model is updated after it returns.
 *
 * What must hold, the failpoint armed for the whole run:
 *  - a call fails only the documented way, and only when the failpoint
 *    fired during it: ENOMEM from mmap and fork under an allocator
 *    failpoint (the program tries again), EIO from msync under
 *    file-write (again, until it succeeds).  A fault that cannot get
 *    memory waits for the pagedaemon and tries again: with swap never
 *    full no process is killed for memory.
 *  - every program gets to its end within PW_LIMIT of simulated time
 *    (no one waits for good), or is ended by SIGBUS, and only at a
 *    page-in whose read failed: a file page during that access under
 *    file-read; a swap-backed page under swap-read, during that access
 *    or, if the page may be shared with a process whose read failed
 *    before (the data went with the slot), later.  Its memory is then
 *    not checked; what it wrote before stays in the model.  Each failed
 *    file read ends one process, each failed swap read at least one --
 *    but for a u-area's, which panics the kernel, as documented
 *    (uvm_swapin): the run ends there.
 *  - every read gets what the model says: a failed write, to swap or to
 *    a file, loses nothing (the page stays dirty and is written later).
 *  - the VM system's checkers pass after every operation of every
 *    program (run in the program's thread, with the others asleep
 *    wherever they are) and at the end.
 *  - at the end, with every process gone and the u-area cache drained:
 *    no anon, amap, vmspace or object is left, as many map entries and
 *    free pages as at boot, nothing only in swap, and swap in use only
 *    by slots retired after failed transfers; the host file behind F
 *    holds the last pattern of every page, the one behind G is as it
 *    was made.
 */

#define PW_NPAGES    72	  /* physical memory, pages */
#define PW_SWAPSLOTS 512  /* swap: never full */
#define PW_PGSIZE    4096 /* bytes per page */
#define PW_MAXPG     64	  /* pages of the largest region */
#define PW_NTICK     3	  /* the hog's children */
#define PW_TRIES     10	  /* tries of a call that fails the documented way */
#define PW_MAXRUNS   40	  /* runs per failpoint and test case, at most */
#define PW_SEC	     ((simtime_t)1000000)
#define PW_LIMIT     (600 * PW_SEC) /* simulated time a run may take */
#define PW_EXIT_BAD  99		    /* a program's status after a problem */

enum pw_reg { PW_A, PW_S, PW_T, PW_F, PW_G, PW_H, PW_U, PW_NREG };

enum pw_how {
	PW_ANON,     /* private anonymous memory */
	PW_AOBJ,     /* an anonymous object, shared */
	PW_SHANON,   /* MMAP_SHARED | MMAP_ANON: anons in a shared amap */
	PW_FSHARED,  /* a file, MMAP_SHARED */
	PW_FPRIVATE, /* a file, MMAP_PRIVATE */
};

static const struct pw_regdef {
	const char *rd_name;
	enum pw_how rd_how;
	int rd_npages;
	const char *rd_file; /* the sandbox file, or NULL */
} pw_regs[PW_NREG] = {
	[PW_A] = { "A", PW_ANON, 24, NULL },
	[PW_S] = { "S", PW_AOBJ, 12, NULL },
	[PW_T] = { "T", PW_SHANON, 8, NULL },
	[PW_F] = { "F", PW_FSHARED, 8, "fs" },
	[PW_G] = { "G", PW_FPRIVATE, 8, "fp" },
	[PW_H] = { "H", PW_ANON, PW_MAXPG, NULL },
	[PW_U] = { "U", PW_ANON, 2, NULL },
};

enum pw_who { PW_MAIN, PW_KID, PW_HOG, PW_TICK, PW_NPROC = PW_TICK + PW_NTICK };

static const char *const pw_names[PW_NPROC] = { "main", "kid", "hog", "tick0",
	"tick1", "tick2" };

struct pw_run;

/* a process of the workload, and what its program has done */
struct pw_proc {
	struct pw_run *w_run;
	int w_pid;
	bool w_started; /* forked or spawned */
	bool w_exited;	/* the exit hook saw it go */
	bool w_done;	/* its program got to the end */
	int w_status;	/* its wait status */
	/* the pattern of each page of its private regions (0: zeros) */
	unsigned int w_model[PW_NREG][PW_MAXPG];
	/* the operation under way, to judge a signal that ends it */
	char w_op[48];
	enum pw_reg w_reg;		  /* the page it touches, if any */
	int w_pg;			  /* -1: none */
	unsigned long w_fired0;		  /* the armed failpoint's failures */
	unsigned long w_sread0, w_fread0; /* swap and file reads failed */
	unsigned long w_sread, w_fread;	  /* the same when it exited */
	unsigned char w_buf[PW_PGSIZE];
};

struct pw_run {
	enum failpoint_id fp; /* armed for the run */
	char tag[96];	      /* names the run in messages */
	bool verbose;
	unsigned long step;
	unsigned int nextseed;
	unsigned int shared[PW_NREG][PW_MAXPG]; /* the shared regions' model */
	struct pw_proc procs[PW_NPROC];
	char problem[600]; /* the first thing that went wrong in a program */
	unsigned long nfailed; /* calls failed the documented way */
	unsigned long nsigbus; /* processes ended by SIGBUS */
	int kobj_swslots;      /* most kernel object pages seen in swap */
	char dir[64];	       /* the file sandbox */
};

/*
 * What one run did.  Each run is made in a host process of its own (a
 * fork), so that a run that panics -- as documented, or not -- leaves
 * nothing behind for the next; it sends this back through a pipe.
 */
struct pw_result {
	bool fired;    /* the failpoint fired */
	bool panicked; /* the run ended in the documented panic */
	unsigned long calls[FP_NPOINTS]; /* calls of each failpoint */
	unsigned long nfailed, nsigbus;	 /* as in struct pw_run */
	uint64_t pgout, pgin, swapouts, swapins, fpgin, fpgout;
	int kobj_swslots;
	char why[1024]; /* why the run failed, or "" */
};

static struct pw_run *pw_cur;	 /* for the exit and panic hooks */
static struct pw_result *pw_res; /* the result being made */
static int pw_resfd = -1;	 /* the pipe it goes to (-1: no fork) */

/* pw_send: send the result to the parent */
static void
pw_send(void)
{
	const char *p = (const char *)pw_res;
	size_t left = sizeof(*pw_res);
	ssize_t n;

	fflush(stdout);
	while (left > 0) {
		n = write(pw_resfd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(2);
		p += n;
		left -= (size_t)n;
	}
}

/* a new, empty file sandbox for the runs of a test case */
static void
pw_sandbox(struct pw_run *run)
{
	snprintf(run->dir, sizeof(run->dir), "/tmp/uvmsim-vmfail.XXXXXX");
	ATF_REQUIRE(mkdtemp(run->dir) != NULL);
}

/* remove the sandbox, also when a run failed */
static void
pw_sandbox_remove(const char *dir)
{
	char path[128];
	int r;

	for (r = 0; r < PW_NREG; r++) {
		if (pw_regs[r].rd_file == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, pw_regs[r].rd_file);
		(void)unlink(path);
	}
	(void)rmdir(dir);
}

static void pw_fail(const char *, ...) __printflike(1, 2) __dead;

/*
 * pw_fail: the run failed: say why, with the run named, and end it (the
 * test case too, if the run has no process of its own).
 */
static void
pw_fail(const char *fmt, ...)
{
	size_t n;
	va_list ap;

	n = (size_t)snprintf(pw_res->why, sizeof(pw_res->why), "%s",
	    pw_cur->tag);
	va_start(ap, fmt);
	vsnprintf(pw_res->why + n, sizeof(pw_res->why) - n, fmt, ap);
	va_end(ap);
	if (pw_resfd < 0) {
		pw_sandbox_remove(pw_cur->dir);
		atf_tc_fail("%s", pw_res->why);
	}
	pw_send();
	_exit(1);
}

static vaddr_t
pw_va(enum pw_reg r, int pg)
{
	return (vaddr_t)0x40000000 + (vaddr_t)r * 0x1000000 +
	    (vaddr_t)pg * PW_PGSIZE;
}

static bool
pw_isshared(enum pw_reg r)
{
	return pw_regs[r].rd_how == PW_AOBJ || pw_regs[r].rd_how == PW_SHANON ||
	    pw_regs[r].rd_how == PW_FSHARED;
}

/* the pattern a file's page holds when the run starts */
static unsigned int
pw_fileseed(enum pw_reg r, int pg)
{
	return 0x80000000u | (unsigned int)r << 16 | (unsigned int)pg;
}

static bool
pw_isfileseed(unsigned int seed)
{
	return (seed & 0x80000000u) != 0;
}

static unsigned int *
pw_model(struct pw_proc *w, enum pw_reg r)
{
	return pw_isshared(r) ? w->w_run->shared[r] : w->w_model[r];
}

/* the bytes of a page of pattern seed */
static void
pw_pattern(unsigned char *buf, unsigned int seed)
{
	if (seed == 0)
		memset(buf, 0, PW_PGSIZE);
	else
		h_fill(buf, PW_PGSIZE, seed);
}

/* the first byte where buf differs from pattern seed, or -1 */
static int
pw_differs(const unsigned char *buf, unsigned int seed)
{
	static unsigned char want[PW_PGSIZE];
	int i;

	pw_pattern(want, seed);
	for (i = 0; i < PW_PGSIZE; i++)
		if (buf[i] != want[i])
			return i;
	return -1;
}

/* the seed, said for a message */
static const char *
pw_seedname(unsigned int seed)
{
	static char s[48];

	if (seed == 0)
		return "zeros";
	if (pw_isfileseed(seed))
		snprintf(s, sizeof(s), "the file's page %u", seed & 0xffff);
	else
		snprintf(s, sizeof(s), "write #%u", seed);
	return s;
}

static void pw_problem(struct proc *, struct pw_proc *, const char *, ...)
    __printflike(3, 4) __dead;

/*
 * pw_problem: something a program saw is wrong: the first such is kept
 * for the host to report, and the program ends.
 */
static void
pw_problem(struct proc *p, struct pw_proc *w, const char *fmt, ...)
{
	struct pw_run *run = w->w_run;
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (run->problem[0] == '\0')
		snprintf(run->problem, sizeof(run->problem),
		    "step %lu: pid %d (%s): %s: %s", run->step, p->p_pid,
		    pw_names[w - run->procs], w->w_op, msg);
	exit1(p, W_EXITCODE(PW_EXIT_BAD, 0));
}

/* pw_begin: the operation w starts, on page pg of region r (pg -1: none) */
static void
pw_begin(struct proc *p, struct pw_proc *w, const char *what, enum pw_reg r,
    int pg)
{
	struct pw_run *run = w->w_run;

	if (pg >= 0)
		snprintf(w->w_op, sizeof(w->w_op), "%s %s page %d", what,
		    pw_regs[r].rd_name, pg);
	else if (r < PW_NREG)
		snprintf(w->w_op, sizeof(w->w_op), "%s %s", what,
		    pw_regs[r].rd_name);
	else
		snprintf(w->w_op, sizeof(w->w_op), "%s", what);
	w->w_reg = r;
	w->w_pg = pg;
	w->w_fired0 = failpoints[run->fp].fp_failed;
	w->w_sread0 = failpoints[FP_SWAPREAD].fp_failed;
	w->w_fread0 = failpoints[FP_FILEREAD].fp_failed;
	if (run->verbose) {
		printf("step %lu: pid %d (%s): %s\n", run->step, p->p_pid,
		    pw_names[w - run->procs], w->w_op);
		fflush(stdout);
	}
}

/* pw_step: an operation is over: every checker of the VM system */
static void
pw_step(struct proc *p, struct pw_proc *w)
{
	struct pw_run *run = w->w_run;
	struct kcheck kc;
	int n;

	run->step++;
	n = ((struct uvm_aobj *)uvm_kernel_object)->u_nswslots;
	run->kobj_swslots = MAX(run->kobj_swslots, n);
	kcheck_init(&kc);
	if (uvm_check_all(&kc, true) != 0)
		pw_problem(p, w, "consistency check: %u problems, first: %s",
		    kc.kc_nerr, kc.kc_msg);
}

/*
 * pw_documented: `call' failed with `error': that must be its documented
 * failure `expected', under a failpoint that can cause it (`cause'),
 * which fired during the call.
 */
static void
pw_documented(struct proc *p, struct pw_proc *w, const char *call, int error,
    int expected, bool cause)
{
	struct pw_run *run = w->w_run;

	if (error != expected || !cause)
		pw_problem(p, w, "%s failed: %s", call, strerror(error));
	if (failpoints[run->fp].fp_failed == w->w_fired0)
		pw_problem(p, w, "%s failed (%s) with no injected failure",
		    call, strerror(error));
	run->nfailed++;
}

/* map region r: by sys_mmap, or an aobj by hand (shared, at fork too) */
static int
pw_map1(struct proc *p, enum pw_reg r)
{
	const struct pw_regdef *rd = &pw_regs[r];
	vsize_t len = (vsize_t)rd->rd_npages * PW_PGSIZE;
	struct uvm_object *uobj;
	vaddr_t va = pw_va(r, 0);
	int flags = MMAP_FIXED, error, fd;

	switch (rd->rd_how) {
	case PW_AOBJ:
		uobj = uao_create((voff_t)len, 0);
		error = uvm_map(&p->p_vmspace->vm_map, &va, len, uobj, 0, 0,
		    UVM_MAPFLAG(RW, VM_PROT_ALL, MAP_INHERIT_SHARE,
			UVM_ADV_NORMAL, UVM_FLAG_FIXED));
		if (error)
			uao_detach(uobj);
		return error;
	case PW_ANON:
		flags |= MMAP_ANON | MMAP_PRIVATE;
		break;
	case PW_SHANON:
		flags |= MMAP_ANON | MMAP_SHARED;
		break;
	case PW_FSHARED:
		flags |= MMAP_SHARED;
		break;
	case PW_FPRIVATE:
		flags |= MMAP_PRIVATE;
		break;
	}
	if (rd->rd_file == NULL)
		return sys_mmap(p, va, len, RW, flags, -1, 0, &va);
	/* the file by name, as mmap took it: a descriptor for the call */
	if ((error = sys_open(p, rd->rd_file, OPEN_RDWR, &fd)) != 0)
		return error;
	error = sys_mmap(p, va, len, RW, flags, fd, 0, &va);
	(void)sys_close(p, fd);
	return error;
}

static void
pw_map(struct proc *p, struct pw_proc *w, enum pw_reg r)
{
	int error, i;

	for (i = 0;; i++) {
		pw_begin(p, w, "map", r, -1);
		error = pw_map1(p, r);
		pw_step(p, w);
		if (error == 0)
			return;
		pw_documented(p, w, "mmap", error, ENOMEM,
		    w->w_run->fp < FP_FIRST_IO);
		if (i == PW_TRIES)
			pw_problem(p, w, "mmap failed %d times", i + 1);
	}
}

/* write page pg of region r with a pattern of its own */
static void
pw_write(struct proc *p, struct pw_proc *w, enum pw_reg r, int pg)
{
	unsigned int seed = ++w->w_run->nextseed;

	pw_pattern(w->w_buf, seed);
	pw_begin(p, w, "write", r, pg);
	(void)proc_store(p, pw_va(r, pg), w->w_buf, PW_PGSIZE);
	pw_model(w, r)[pg] = seed;
	pw_step(p, w);
}

/* read page pg of region r back and compare it with the model */
static void
pw_read(struct proc *p, struct pw_proc *w, enum pw_reg r, int pg)
{
	unsigned int seed = pw_model(w, r)[pg];
	int i;

	pw_begin(p, w, "read", r, pg);
	(void)proc_load(p, pw_va(r, pg), w->w_buf, PW_PGSIZE);
	if ((i = pw_differs(w->w_buf, seed)) >= 0)
		pw_problem(p, w, "byte %d is 0x%02x: the page is not %s", i,
		    w->w_buf[i], pw_seedname(seed));
	pw_step(p, w);
}

/* write (or read) the pages from, from + stride, ... of region r */
static void
pw_writes(struct proc *p, struct pw_proc *w, enum pw_reg r, int from,
    int stride)
{
	int pg;

	for (pg = from; pg < pw_regs[r].rd_npages; pg += stride)
		pw_write(p, w, r, pg);
}

static void
pw_reads(struct proc *p, struct pw_proc *w, enum pw_reg r, int from, int stride)
{
	int pg;

	for (pg = from; pg < pw_regs[r].rd_npages; pg += stride)
		pw_read(p, w, r, pg);
}

/* fork c, running prog, with a copy of w's model */
static void
pw_fork(struct proc *p, struct pw_proc *w, proc_prog_t prog, struct pw_proc *c)
{
	struct proc *cp;
	int error, i;

	for (i = 0;; i++) {
		memcpy(c->w_model, w->w_model, sizeof(c->w_model));
		c->w_started = true;
		pw_begin(p, w, "fork", PW_NREG, -1);
		error = proc_fork(p, prog, c, &cp);
		if (error == 0)
			c->w_pid = cp->p_pid;
		else
			c->w_started = false;
		pw_step(p, w);
		if (error == 0)
			return;
		pw_documented(p, w, "fork", error, ENOMEM,
		    w->w_run->fp < FP_FIRST_IO);
		if (i == PW_TRIES)
			pw_problem(p, w, "fork failed %d times", i + 1);
	}
}

/* wait for c to exit */
static void
pw_wait(struct proc *p, struct pw_proc *w, struct pw_proc *c)
{
	int pid, status;

	pw_begin(p, w, "wait", PW_NREG, -1);
	pid = kern_wait(p, c->w_pid, &status, 0);
	if (pid != c->w_pid)
		pw_problem(p, w, "wait for pid %d returned %d", c->w_pid, pid);
	pw_step(p, w);
}

static void
pw_sleep(struct proc *p, struct pw_proc *w, simtime_t us)
{
	pw_begin(p, w, "sleep", PW_NREG, -1);
	(void)proc_sleep(p, us);
	pw_step(p, w);
}

/* write region r's dirty pages back to its file, until that succeeds */
static void
pw_msync(struct proc *p, struct pw_proc *w, enum pw_reg r)
{
	vsize_t len = (vsize_t)pw_regs[r].rd_npages * PW_PGSIZE;
	int error, i;

	for (i = 0;; i++) {
		pw_begin(p, w, "msync", r, -1);
		error = sys_msync(p, pw_va(r, 0), len, MS_SYNC);
		pw_step(p, w);
		if (error == 0)
			return;
		pw_documented(p, w, "msync", error, EIO,
		    w->w_run->fp == FP_FILEWRITE);
		if (i == PW_TRIES)
			pw_problem(p, w, "msync failed %d times", i + 1);
	}
}

static int
pw_prog_kid(struct proc *p, void *arg)
{
	struct pw_proc *w = arg;

	pw_writes(p, w, PW_S, 1, 2);
	pw_writes(p, w, PW_T, 1, 2);
	pw_writes(p, w, PW_F, 1, 2);
	pw_writes(p, w, PW_A, 1, 4);
	pw_writes(p, w, PW_G, 1, 4);
	pw_sleep(p, w, 2 * PW_SEC);
	pw_reads(p, w, PW_A, 0, 1);
	pw_reads(p, w, PW_G, 0, 1);
	pw_reads(p, w, PW_S, 1, 2);
	pw_reads(p, w, PW_T, 1, 2);
	pw_reads(p, w, PW_F, 1, 2);
	pw_writes(p, w, PW_F, 1, 2); /* dirty again for msync */
	pw_msync(p, w, PW_F);
	w->w_done = true;
	return 0;
}

static int
pw_prog_main(struct proc *p, void *arg)
{
	struct pw_proc *w = arg, *kid = &w->w_run->procs[PW_KID];
	int r;

	for (r = PW_A; r <= PW_G; r++)
		pw_map(p, w, r);
	pw_writes(p, w, PW_A, 0, 1);
	pw_writes(p, w, PW_S, 0, 2);
	pw_writes(p, w, PW_T, 0, 2);
	pw_writes(p, w, PW_F, 0, 2);
	pw_writes(p, w, PW_G, 0, 2);
	pw_fork(p, w, pw_prog_kid, kid);
	pw_writes(p, w, PW_A, 0, 3);
	pw_writes(p, w, PW_S, 0, 2);
	pw_writes(p, w, PW_T, 0, 2);
	pw_writes(p, w, PW_F, 0, 2);
	pw_sleep(p, w, 3 * PW_SEC);
	pw_reads(p, w, PW_A, 0, 1);
	pw_reads(p, w, PW_G, 0, 1);
	pw_reads(p, w, PW_S, 0, 2);
	pw_reads(p, w, PW_T, 0, 2);
	pw_reads(p, w, PW_F, 0, 2);
	pw_wait(p, w, kid);
	pw_reads(p, w, PW_S, 0, 1);
	pw_reads(p, w, PW_T, 0, 1);
	pw_reads(p, w, PW_F, 0, 1);
	pw_writes(p, w, PW_F, 0, 2);
	pw_msync(p, w, PW_F);
	w->w_done = true;
	return 0;
}

static int
pw_prog_tick(struct proc *p, void *arg)
{
	struct pw_proc *w = arg;
	int n = (int)(w - &w->w_run->procs[PW_TICK]);

	pw_map(p, w, PW_U);
	pw_writes(p, w, PW_U, 0, 1);
	pw_reads(p, w, PW_H, n, 7);
	pw_reads(p, w, PW_U, 0, 1);
	w->w_done = true;
	return 0;
}

static int
pw_prog_hog(struct proc *p, void *arg)
{
	struct pw_proc *w = arg, *tick = &w->w_run->procs[PW_TICK];
	int i;

	pw_map(p, w, PW_H);
	pw_writes(p, w, PW_H, 0, 1);
	for (i = 0; i < PW_NTICK; i++) {
		pw_fork(p, w, pw_prog_tick, &tick[i]);
		pw_wait(p, w, &tick[i]);
	}
	pw_sleep(p, w, 3 * PW_SEC / 2);
	pw_reads(p, w, PW_H, 0, 1);
	pw_writes(p, w, PW_H, 0, 2);
	pw_reads(p, w, PW_H, 0, 1);
	w->w_done = true;
	return 0;
}

/* the kernel's exit hook: how a process of the workload ended */
static void
pw_exit_hook(struct proc *p, int status)
{
	struct pw_run *run = pw_cur;
	struct pw_proc *w = p->p_progarg;

	if (run == NULL || w < run->procs || w >= run->procs + PW_NPROC)
		return;
	w->w_exited = true;
	w->w_status = status;
	w->w_sread = failpoints[FP_SWAPREAD].fp_failed;
	w->w_fread = failpoints[FP_FILEREAD].fp_failed;
}

/*
 * pw_panic: a panic ends the run: as documented when a u-area could not
 * be read back from swap (uvm_swapin panics, as NetBSD 1.6's does), else
 * the run fails.  Either way the machine is left as it is.
 */
static void __dead
pw_panic(const char *msg)
{
	struct pw_run *run = pw_cur;

	panic_hook = NULL;
	if (run->fp == FP_SWAPREAD && failpoints[FP_SWAPREAD].fp_failed > 0 &&
	    strstr(msg, "uvm_swapin: cannot wire the u-area") != NULL) {
		pw_res->fired = true;
		pw_res->panicked = true;
		if (pw_resfd < 0) {
			printf("%spanic: %s (as documented)\n", run->tag, msg);
			fflush(stdout);
			pw_sandbox_remove(run->dir);
			atf_tc_pass();
		}
		pw_send();
		_exit(0);
	}
	pw_fail("step %lu: panic: %s", run->step, msg);
}

/*
 * pw_sigbus_why: why the SIGBUS that ended w is not one it may get, or
 * NULL if it may (see the top of this part).
 */
static const char *
pw_sigbus_why(const struct pw_run *run, const struct pw_proc *w)
{
	bool file;

	if (w->w_pg < 0)
		return "not during an access";
	file = pw_regs[w->w_reg].rd_how == PW_FSHARED ||
	    (pw_regs[w->w_reg].rd_how == PW_FPRIVATE &&
		pw_isfileseed(w->w_model[w->w_reg][w->w_pg]));
	if (file) {
		if (run->fp != FP_FILEREAD || w->w_fread == w->w_fread0)
			return "no file read failed during the access";
		return NULL;
	}
	if (run->fp != FP_SWAPREAD || w->w_sread == 0)
		return "no swap read failed";
	if (w->w_sread == w->w_sread0 && w->w_reg == PW_U)
		return "no swap read failed during the access, and the page "
		       "is the process's alone";
	return NULL;
}

/* pw_judge: w ended as it may */
static void
pw_judge(struct pw_run *run, struct pw_proc *w)
{
	int sig = w->w_status & 0x7f, code = (w->w_status >> 8) & 0xff;
	const char *name = pw_names[w - run->procs], *why;

	if (!w->w_exited)
		pw_fail("pid %d (%s) did not exit", w->w_pid, name);
	if (sig == 0 && code == 0 && w->w_done)
		return;
	if (sig == SIGBUS && (why = pw_sigbus_why(run, w)) == NULL) {
		run->nsigbus++;
		return;
	}
	if (sig == SIGBUS)
		pw_fail("pid %d (%s) got SIGBUS at %s, but %s", w->w_pid, name,
		    w->w_op, why);
	pw_fail("pid %d (%s) ended with status 0x%x at %s", w->w_pid, name,
	    w->w_status, w->w_op);
}

/* make the sandbox's files afresh: every page a pattern of its own */
static void
pw_files_make(struct pw_run *run)
{
	unsigned char buf[PW_PGSIZE];
	char path[128];
	int r, pg, fd;

	for (r = 0; r < PW_NREG; r++) {
		if (pw_regs[r].rd_file == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", run->dir,
		    pw_regs[r].rd_file);
		fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
		ATF_REQUIRE_MSG(fd >= 0, "%s: %s", path, strerror(errno));
		for (pg = 0; pg < pw_regs[r].rd_npages; pg++) {
			pw_pattern(buf, pw_fileseed(r, pg));
			ATF_REQUIRE(write(fd, buf, sizeof(buf)) ==
			    (ssize_t)sizeof(buf));
		}
		close(fd);
	}
}

/*
 * pw_files_check: with the machine off, the host file behind a shared
 * mapping holds the model's last pattern of each page; behind a private
 * one, what it was made with.
 */
static void
pw_files_check(struct pw_run *run)
{
	unsigned char buf[PW_PGSIZE];
	unsigned int seed;
	char path[128];
	int r, pg, fd, i;

	for (r = 0; r < PW_NREG; r++) {
		if (pw_regs[r].rd_file == NULL)
			continue;
		snprintf(path, sizeof(path), "%s/%s", run->dir,
		    pw_regs[r].rd_file);
		fd = open(path, O_RDONLY);
		ATF_REQUIRE_MSG(fd >= 0, "%s: %s", path, strerror(errno));
		for (pg = 0; pg < pw_regs[r].rd_npages; pg++) {
			seed = pw_isshared(r) ? run->shared[r][pg] :
						pw_fileseed(r, pg);
			ATF_REQUIRE(
			    pread(fd, buf, sizeof(buf),
				(off_t)pg * PW_PGSIZE) == (ssize_t)sizeof(buf));
			if ((i = pw_differs(buf, seed)) >= 0)
				pw_fail("file %s, page %d, byte %d is "
					"0x%02x: the page is not %s",
				    pw_regs[r].rd_file, pg, i, buf[i],
				    pw_seedname(seed));
		}
		close(fd);
	}
}

/* swap slots retired after failed transfers: they stay in use for good */
static int
pw_badslots(void)
{
	return (int)swapcounters.badslots;
}

/* how the run's failpoint is armed: I/O fails with EIO, or ENOSPC */
static int
pw_error(enum failpoint_id fp, unsigned long skip)
{
	if ((fp == FP_SWAPWRITE || fp == FP_FILEWRITE) && skip % 2 == 1)
		return ENOSPC;
	return fp >= FP_FIRST_IO ? EIO : 0;
}

/* spawn w running prog from the host */
static void
pw_spawn(struct pw_run *run, struct pw_proc *w, proc_prog_t prog)
{
	struct proc *p;
	unsigned long fired;
	int error, i;

	for (i = 0; i <= PW_TRIES; i++) {
		fired = failpoints[run->fp].fp_failed;
		error = kern_spawn(pw_names[w - run->procs], prog, w, &p);
		if (error == 0) {
			w->w_started = true;
			w->w_pid = p->p_pid;
			return;
		}
		if (error != ENOMEM || run->fp >= FP_FIRST_IO ||
		    failpoints[run->fp].fp_failed == fired)
			pw_fail("kern_spawn: %s", strerror(error));
		run->nfailed++;
	}
	pw_fail("kern_spawn failed %d times", i);
}

/* what process pid is doing, said for a message */
static const char *
pw_state(int pid)
{
	static char s[64];
	struct proc *p = pfind(pid);

	if (p == NULL)
		return "gone";
	if (p->p_wchan != NULL)
		snprintf(s, sizeof(s), "asleep on %s%s", p->p_wmesg,
		    (p->p_flag & P_INMEM) ? "" : ", swapped out");
	else
		snprintf(s, sizeof(s), "state %d%s", p->p_stat,
		    (p->p_flag & P_INMEM) ? "" : ", swapped out");
	return s;
}

/* the run's name in messages, with how to make it alone */
static void
pw_tag(char *tag, size_t size, enum failpoint_id fp, unsigned long skip,
    unsigned long fail)
{
	snprintf(tag, size,
	    "paging, failpoint %s skip %lu fail %lu "
	    "(UVMSIM_FAIL_RUN=%s:%lu:%lu): ",
	    f_fpname(fp), skip, fail, f_fpname(fp), skip, fail);
}

/*
 * pw_one: the paging workload on a fresh machine with failpoint fp
 * failing `fail' calls after `skip' (fail 0: none).
 */
static void
pw_one(struct pw_run *run, enum failpoint_id fp, unsigned long skip,
    unsigned long fail, struct pw_result *res)
{
	struct machine_config mc;
	struct kcheck kc;
	char dir[sizeof(run->dir)];
	int free0, nmapent0, naobj0, nvmspace0, i, r, pg, status;
	unsigned long calls0[FP_NPOINTS];
	struct pw_proc *w;

	memcpy(dir, run->dir, sizeof(dir));
	memset(run, 0, sizeof(*run));
	memcpy(run->dir, dir, sizeof(dir));
	run->fp = fp;
	pw_tag(run->tag, sizeof(run->tag), fp, skip, fail);
	pw_cur = run;
	run->verbose = getenv("UVMSIM_FAIL_VERBOSE") != NULL;
	for (i = 0; i < PW_NPROC; i++) {
		w = &run->procs[i];
		w->w_run = run;
		w->w_pg = -1;
		for (pg = 0; pg < PW_MAXPG; pg++)
			w->w_model[PW_G][pg] = pw_fileseed(PW_G, pg);
	}
	for (r = 0; r < PW_NREG; r++)
		for (pg = 0; pg < PW_MAXPG && pw_regs[r].rd_file != NULL; pg++)
			run->shared[r][pg] = pw_fileseed(r, pg);
	pw_files_make(run);

	machine_config_default(&mc);
	mc.mc_npages = PW_NPAGES;
	mc.mc_pagesize = PW_PGSIZE;
	mc.mc_swapslots = PW_SWAPSLOTS;
	mc.mc_maxslp = 1;
	mc.mc_filedir = run->dir;
	h_boot_kern_config(&mc);
	free0 = uvmexp.free;
	nmapent0 = uvmexp.nmapent;
	naobj0 = uvmexp.naobj;
	nvmspace0 = uvmexp.nvmspace;
	ATF_REQUIRE(uvmexp.nanon == 0 && uvmexp.namap == 0);
	if (run->verbose)
		trace_open(stdout);
	panic_hook = pw_panic;
	kern_exit_hook = pw_exit_hook;

	for (i = 0; i < FP_NPOINTS; i++)
		calls0[i] = failpoints[i].fp_calls;
	failpoint_arm_error(fp, skip, fail, pw_error(fp, skip));
	pw_spawn(run, &run->procs[PW_MAIN], pw_prog_main);
	pw_spawn(run, &run->procs[PW_HOG], pw_prog_hog);
	(void)kern_run(PW_LIMIT);
	for (i = 0; i < PW_NPROC; i++) {
		w = &run->procs[i];
		if (w->w_started && !w->w_exited)
			pw_fail("pid %d (%s) still there after %llu s "
				"simulated, at %s (%s)%s%s",
			    w->w_pid, pw_names[i],
			    (unsigned long long)(PW_LIMIT / PW_SEC), w->w_op,
			    pw_state(w->w_pid),
			    run->problem[0] != '\0' ? "; " : "", run->problem);
	}
	h_run_idle();
	res->fired = failpoints[fp].fp_failed > 0;
	for (i = 0; i < FP_NPOINTS; i++)
		res->calls[i] = failpoints[i].fp_calls - calls0[i];
	failpoint_disarm(fp);
	kern_exit_hook = NULL;

	if (run->problem[0] != '\0')
		pw_fail("%s", run->problem);
	for (i = PW_MAIN; i <= PW_HOG; i += PW_HOG - PW_MAIN)
		if (kern_collect(run->procs[i].w_pid, &status) != 0)
			pw_fail("pid %d (%s) cannot be collected",
			    run->procs[i].w_pid, pw_names[i]);
	for (i = 0; i < PW_NPROC; i++)
		if (run->procs[i].w_started)
			pw_judge(run, &run->procs[i]);
	/* each failed read failed a program's fault, which ended it */
	if (fp == FP_FILEREAD && run->nsigbus != failpoints[fp].fp_failed)
		pw_fail("%lu file reads failed, %lu processes got SIGBUS",
		    failpoints[fp].fp_failed, run->nsigbus);
	if (fp == FP_SWAPREAD && run->nsigbus < failpoints[fp].fp_failed)
		pw_fail("%lu swap reads failed, only %lu processes got "
			"SIGBUS",
		    failpoints[fp].fp_failed, run->nsigbus);

	uvm_uarea_drain();
	kcheck_init(&kc);
	if (uvm_check_all(&kc, true) != 0)
		pw_fail("at the end, consistency check: %u problems, "
			"first: %s",
		    kc.kc_nerr, kc.kc_msg);
	if (uvmexp.nanon != 0 || uvmexp.namap != 0 ||
	    uvmexp.nmapent != nmapent0 || uvmexp.nvmspace != nvmspace0 ||
	    uvmexp.naobj != naobj0 || uvmexp.free != free0)
		pw_fail("left anons %d, amaps %d, map entries %d (%d at "
			"boot), vmspaces %d (%d at boot), aobjs %d (%d at "
			"boot), free pages %d (%d at boot)",
		    uvmexp.nanon, uvmexp.namap, uvmexp.nmapent, nmapent0,
		    uvmexp.nvmspace, nvmspace0, uvmexp.naobj, naobj0,
		    uvmexp.free, free0);
	if (uvmexp.swpgonly != 0 || uvmexp.swpginuse != pw_badslots())
		pw_fail("left %d pages only in swap, %d swap slots in "
			"use (%d retired)",
		    uvmexp.swpgonly, uvmexp.swpginuse, pw_badslots());
	res->nfailed = run->nfailed;
	res->nsigbus = run->nsigbus;
	res->pgout = uvmexp.pdpgout;
	res->pgin = swapcounters.pgreads;
	res->swapouts = uvmexp.swapouts;
	res->swapins = uvmexp.swapins;
	res->fpgin = uvncounters.pgreads;
	res->fpgout = uvncounters.pgwrites;
	res->kobj_swslots = run->kobj_swslots;
	kern_shutdown();
	if (run->verbose)
		trace_close();
	panic_hook = NULL;
	pw_files_check(run);
	pw_cur = NULL;
}

/*
 * pw_run: pw_one in a host process of its own, which sends its result
 * back (see struct pw_result), or here if not `isolated'.
 *
 * => fails the test case if the run failed.
 */
static void
pw_run(struct pw_run *run, enum failpoint_id fp, unsigned long skip,
    unsigned long fail, struct pw_result *res, bool isolated)
{
	char tag[sizeof(run->tag)];
	size_t got = 0;
	ssize_t n;
	pid_t pid;
	int fds[2], status;

	memset(res, 0, sizeof(*res));
	pw_res = res;
	if (!isolated) {
		pw_resfd = -1;
		pw_one(run, fp, skip, fail, res);
		return;
	}
	pw_tag(tag, sizeof(tag), fp, skip, fail);
	ATF_REQUIRE(pipe(fds) == 0);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	ATF_REQUIRE(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		pw_resfd = fds[1];
		pw_one(run, fp, skip, fail, res);
		pw_send();
		exit(0); /* LeakSanitizer looks at the run's host memory */
	}
	close(fds[1]);
	while (got < sizeof(*res)) {
		n = read(fds[0], (char *)res + got, sizeof(*res) - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		ATF_REQUIRE(errno == EINTR);
	if (WIFSIGNALED(status) || got != sizeof(*res) || res->why[0] != '\0' ||
	    WEXITSTATUS(status) != 0)
		pw_sandbox_remove(run->dir);
	if (WIFSIGNALED(status))
		atf_tc_fail("%sits host process died of signal %d", tag,
		    WTERMSIG(status));
	if (got != sizeof(*res))
		atf_tc_fail("%sits host process ended (status %d) without a "
			    "result",
		    tag, WEXITSTATUS(status));
	if (res->why[0] != '\0')
		atf_tc_fail("%s", res->why);
	if (WEXITSTATUS(status) != 0)
		atf_tc_fail("%sits host process exited with status %d after "
			    "the run",
		    tag, WEXITSTATUS(status));
}

static const enum failpoint_id pw_fps[] = { FP_PAGE, FP_ANON, FP_AMAP,
	FP_MAPENT, FP_SWAPSLOT, FP_KVA, FP_PMAP, FP_SWAPREAD, FP_SWAPWRITE,
	FP_FILEREAD, FP_FILEWRITE };

/*
 * pw_untouched: the workload with nothing armed does what it is for --
 * every kind of paging happens and every failpoint is called.
 *
 * => *res says how often each failpoint was called.
 */
static void
pw_untouched(struct pw_run *run, struct pw_result *res)
{
	size_t i;

	pw_run(run, FP_PAGE, 0, 0, res, true);
	printf("paging workload: %llu pages paged out, %llu read back from "
	       "swap, %d kernel object pages in swap at most, %llu swapouts, "
	       "%llu swapins, file pages %llu read, %llu written\n",
	    (unsigned long long)res->pgout, (unsigned long long)res->pgin,
	    res->kobj_swslots, (unsigned long long)res->swapouts,
	    (unsigned long long)res->swapins, (unsigned long long)res->fpgin,
	    (unsigned long long)res->fpgout);
	printf("calls of each failpoint:");
	for (i = 0; i < __arraycount(pw_fps); i++)
		printf(" %s %lu", f_fpname(pw_fps[i]), res->calls[pw_fps[i]]);
	printf("\n");
	ATF_REQUIRE(res->pgout > 0 && res->pgin > 0);
	ATF_REQUIRE(res->kobj_swslots > 0);
	ATF_REQUIRE(res->swapouts > 0 && res->swapins > 0);
	ATF_REQUIRE(res->fpgin > 0 && res->fpgout > 0);
	for (i = 0; i < __arraycount(pw_fps); i++)
		ATF_REQUIRE_MSG(res->calls[pw_fps[i]] > 0,
		    "the paging workload never calls failpoint %s",
		    f_fpname(pw_fps[i]));
}

/*
 * pw_all: the paging workload under every failpoint, `fail' failures at
 * a time, from skip counts 0, s, 2s, ... until the failpoint no longer
 * fires, where the stride s spreads at most PW_MAXRUNS runs over the
 * calls the untouched workload makes.
 */
static void
pw_all(unsigned long fail)
{
	static struct pw_run run;
	struct pw_result res, res0;
	unsigned long k, stride, nrun, nfailed, nsigbus, npanic;
	enum failpoint_id fp;
	size_t i;

	pw_sandbox(&run);
	if (f_only(&fp, &k, &fail)) {
		/* here, not in a process of its own: for the debugger */
		pw_run(&run, fp, k, fail, &res, false);
		pw_sandbox_remove(run.dir);
		return;
	}
	pw_untouched(&run, &res0);
	for (i = 0; i < __arraycount(pw_fps); i++) {
		fp = pw_fps[i];
		stride = howmany(res0.calls[fp], PW_MAXRUNS);
		nrun = nfailed = nsigbus = npanic = 0;
		for (k = 0;; k += stride) {
			pw_run(&run, fp, k, fail, &res, true);
			if (!res.fired)
				break;
			nrun++;
			nfailed += res.nfailed;
			nsigbus += res.nsigbus;
			npanic += res.panicked;
			ATF_REQUIRE_MSG(nrun < 4 * PW_MAXRUNS,
			    "failpoint %s never stops", f_fpname(fp));
		}
		printf("paging, failpoint %s, %lu failure(s) at a time: %lu "
		       "calls, skip counts every %lu: fired in %lu runs, %lu "
		       "calls failed cleanly, %lu processes ended by SIGBUS, "
		       "%lu runs ended by the u-area panic\n",
		    f_fpname(fp), fail, res0.calls[fp], stride, nrun, nfailed,
		    nsigbus, npanic);
	}
	pw_sandbox_remove(run.dir);
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

ATF_TC(paging_every_failure_once);
ATF_TC_HEAD(paging_every_failure_once, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "each allocation and each disk transfer of the paging workload "
	    "failing once loses no data and leaves the VM system consistent");
	atf_tc_set_md_var(tc, "timeout", "900");
}
ATF_TC_BODY(paging_every_failure_once, tc)
{
	pw_all(1);
}

ATF_TC(paging_every_failure_three_times);
ATF_TC_HEAD(paging_every_failure_three_times, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "three allocations or disk transfers in a row failing, from "
	    "points all over the paging workload");
	atf_tc_set_md_var(tc, "timeout", "900");
}
ATF_TC_BODY(paging_every_failure_three_times, tc)
{
	pw_all(3);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, every_failure_once);
	ATF_TP_ADD_TC(tp, every_failure_three_times);
	ATF_TP_ADD_TC(tp, paging_every_failure_once);
	ATF_TP_ADD_TC(tp, paging_every_failure_three_times);
	return atf_no_error();
}
