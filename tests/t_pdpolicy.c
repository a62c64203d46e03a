/*
 * t_pdpolicy.c: the page replacement policies -- their textbook fault
 * counts, selecting one, the order in which the pagedaemon really takes
 * a process's pages under each, and that none takes a page read in
 * before its fault has used it.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "h_util.h"
#include "uvm/uvm.h"

#define PG(n) ((vaddr_t)(n)*PAGE_SIZE)
#define RW    (VM_PROT_READ | VM_PROT_WRITE)
#define SEC   ((simtime_t)1000000)

static int
t_faults(const char *name, const uint32_t *refs, size_t n, int frames)
{
	const struct uvm_pdpolicy *pol = uvmpdpol_lookup(name);

	ATF_REQUIRE_MSG(pol != NULL, "no policy %s", name);
	return uvmpdpol_faults(pol, refs, n, frames);
}

/*
 * The classic reference string of the operating-systems textbooks, with
 * three frames: FIFO 15 faults, LRU 12, OPT 9.
 */
ATF_TC_WITHOUT_HEAD(textbook_string_fault_counts);
ATF_TC_BODY(textbook_string_fault_counts, tc)
{
	static const uint32_t refs[] = { 7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2,
		1, 2, 0, 1, 7, 0, 1 };
	size_t n = __arraycount(refs);

	ATF_REQUIRE_EQ(t_faults("fifo", refs, n, 3), 15);
	ATF_REQUIRE_EQ(t_faults("lru", refs, n, 3), 12);
	ATF_REQUIRE_EQ(t_faults("opt", refs, n, 3), 9);
	/* no policy beats the optimum */
	ATF_REQUIRE(t_faults("clock", refs, n, 3) >= 9);
	/* with a frame per page only the first touches fault */
	ATF_REQUIRE_EQ(t_faults("lru", refs, n, 6), 6);
}

/*
 * Belady's anomaly: FIFO takes more faults with four frames than with
 * three on 1 2 3 4 1 2 5 1 2 3 4 5 (9, then 10); LRU and OPT, stack
 * algorithms, never do (10, 8; 7, 6).
 */
ATF_TC_WITHOUT_HEAD(belady_anomaly);
ATF_TC_BODY(belady_anomaly, tc)
{
	static const uint32_t refs[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };
	size_t n = __arraycount(refs);

	ATF_REQUIRE_EQ(t_faults("fifo", refs, n, 3), 9);
	ATF_REQUIRE_EQ(t_faults("fifo", refs, n, 4), 10);
	ATF_REQUIRE_EQ(t_faults("lru", refs, n, 3), 10);
	ATF_REQUIRE_EQ(t_faults("lru", refs, n, 4), 8);
	ATF_REQUIRE_EQ(t_faults("opt", refs, n, 3), 7);
	ATF_REQUIRE_EQ(t_faults("opt", refs, n, 4), 6);
	ATF_REQUIRE_EQ(t_faults("opt", refs, n, 65), -1);
}

static uint64_t
t_oracle_never(const struct vm_page *pg, vaddr_t va, void *arg)
{
	return UVMPDPOL_NEVER;
}

ATF_TC_WITHOUT_HEAD(select_checks_name_and_oracle);
ATF_TC_BODY(select_checks_name_and_oracle, tc)
{
	h_boot_kern(256);
	ATF_REQUIRE_STREQ(uvmpdpol_name(), "clock");
	ATF_REQUIRE(pmap_access_hook == NULL);
	ATF_REQUIRE_EQ(uvmpdpol_select("nonesuch"), EINVAL);
	ATF_REQUIRE_EQ(uvmpdpol_select("opt"), EINVAL); /* no oracle */
	ATF_REQUIRE_STREQ(uvmpdpol_name(), "clock");
	/* only the policies that need every use hear of them */
	ATF_REQUIRE_EQ(uvmpdpol_select("lru"), 0);
	ATF_REQUIRE(pmap_access_hook != NULL);
	ATF_REQUIRE_EQ(uvmpdpol_select("fifo"), 0);
	ATF_REQUIRE(pmap_access_hook == NULL);
	uvmpdpol_set_oracle(t_oracle_never, NULL);
	ATF_REQUIRE_EQ(uvmpdpol_select("opt"), 0);
	ATF_REQUIRE_STREQ(uvmpdpol_name(), "opt");
	ATF_REQUIRE(pmap_access_hook != NULL);
	h_shutdown();
	/* a new machine starts with the clock again */
	h_boot_kern(256);
	ATF_REQUIRE_STREQ(uvmpdpol_name(), "clock");
	ATF_REQUIRE(pmap_access_hook == NULL);
	h_shutdown();
}

/*
 * A process writes NP pages in order, then touches them again in a
 * permuted order, and sleeps; the host takes memory so that the
 * pagedaemon must take some of the process's pages.  Which it took is
 * read from the process's amap: an anon with no page is in swap.
 */
#define NP 48

struct t_order {
	int perm[NP];	/* the second pass's order */
	int future[NP]; /* opt: the order of the next uses */
	vaddr_t va;
	bool out[NP]; /* taken by the pagedaemon */
	bool done;
};

static struct t_order t_ord;

static int
prog_touch_pages(struct proc *p, void *arg)
{
	struct t_order *o = arg;
	int i;

	o->va = 0;
	if (proc_mmap(p, 0, PG(NP), RW, MMAP_ANON | MMAP_PRIVATE, -1, 0,
		&o->va) != 0)
		return 1;
	for (i = 0; i < NP; i++)
		(void)proc_fill(p, o->va + PG(i), 'a' + i % 26, PAGE_SIZE);
	for (i = 0; i < NP; i++)
		(void)proc_fill(p, o->va + PG(o->perm[i]), 'A' + i % 26, 1);
	o->done = true;
	(void)proc_sleep(p, 10 * SEC);
	return 0;
}

/* opt's oracle: the position of the page in the future order */
static uint64_t
t_oracle(const struct vm_page *pg, vaddr_t va, void *arg)
{
	struct t_order *o = arg;
	int i, pgi = (int)((va - o->va) / PAGE_SIZE);

	if (va < o->va || pgi >= NP)
		return UVMPDPOL_NEVER;
	for (i = 0; i < NP; i++)
		if (o->future[i] == pgi)
			return (uint64_t)i;
	return UVMPDPOL_NEVER;
}

/* run the workload under policy `name'; fills t_ord.out */
static int
t_run_order(const char *name)
{
	struct vm_page *pgs[512];
	struct vm_anon *anons[NP];
	struct vm_map_entry *e;
	struct proc *p;
	int i, n, nout = 0;

	h_boot_kern(256);
	memset(&t_ord, 0, sizeof(t_ord));
	for (i = 0; i < NP; i++)
		t_ord.perm[i] = (i * 17 + 5) % NP; /* 17 is prime to 48 */
	for (i = 0; i < NP; i++)
		t_ord.future[i] = t_ord.perm[NP - 1 - i];
	uvmpdpol_set_oracle(t_oracle, &t_ord);
	ATF_REQUIRE_EQ(uvmpdpol_select(name), 0);
	ATF_REQUIRE_EQ(kern_spawn("touch", prog_touch_pages, &t_ord, &p), 0);
	ATF_REQUIRE(!kern_run(SEC));
	ATF_REQUIRE(t_ord.done);
	n = h_drain(pgs, 512, uvmexp.freemin - 1);
	ATF_REQUIRE(!kern_run(2 * SEC));
	/* a key order has no second chance: nothing moves between queues */
	ATF_REQUIRE_EQ(uvmexp.pddeact, 0);
	ATF_REQUIRE_EQ(uvmexp.pdreact, 0);
	ATF_REQUIRE(uvm_map_lookup_entry(&p->p_vmspace->vm_map, t_ord.va, &e));
	amap_lookups(&e->aref, t_ord.va - e->start, anons, NP);
	for (i = 0; i < NP; i++) {
		ATF_REQUIRE(anons[i] != NULL);
		t_ord.out[i] = anons[i]->an_page == NULL;
		nout += t_ord.out[i];
	}
	h_undrain(pgs, n);
	h_run_idle();
	h_shutdown();
	return nout;
}

/* the pages taken are exactly the first nout of order[] */
static void
t_require_prefix(const int *order, int nout, const char *what)
{
	int i;

	ATF_REQUIRE_MSG(nout > 0 && nout < NP, "%s: %d of %d pages taken", what,
	    nout, NP);
	for (i = 0; i < NP; i++)
		ATF_REQUIRE_MSG(t_ord.out[order[i]] == (i < nout),
		    "%s: page %d (%d in the order) %s, %d pages taken", what,
		    order[i], i, t_ord.out[order[i]] ? "taken" : "kept", nout);
}

/* lru takes the pages least recently touched: the permutation's first */
ATF_TC_WITHOUT_HEAD(lru_takes_least_recently_used);
ATF_TC_BODY(lru_takes_least_recently_used, tc)
{
	int nout = t_run_order("lru");

	t_require_prefix(t_ord.perm, nout, "lru");
}

/* fifo takes the pages allocated first, however recently touched */
ATF_TC_WITHOUT_HEAD(fifo_takes_first_allocated);
ATF_TC_BODY(fifo_takes_first_allocated, tc)
{
	int order[NP], i, nout = t_run_order("fifo");

	for (i = 0; i < NP; i++)
		order[i] = i;
	t_require_prefix(order, nout, "fifo");
}

/* opt takes the pages whose next use is farthest: the future's last */
ATF_TC_WITHOUT_HEAD(opt_takes_farthest_next_use);
ATF_TC_BODY(opt_takes_farthest_next_use, tc)
{
	int order[NP], i, nout = t_run_order("opt");

	for (i = 0; i < NP; i++)
		order[i] = t_ord.future[NP - 1 - i];
	t_require_prefix(order, nout, "opt");
}

/*
 * The frame the pagedaemon has just taken is the next one allocated.
 * Whatever its last owner left -- the oldest use of all, its place in
 * the policy's order -- the new page is the newest to every key order,
 * the last the pagedaemon would take: it is about to be used.  The
 * policy's scan gives the eight pages, the new one last.
 */
ATF_TC_WITHOUT_HEAD(new_page_goes_last_in_every_order);
ATF_TC_BODY(new_page_goes_last_in_every_order, tc)
{
	static const char *const names[] = { "fifo", "lru", "opt" };
	struct uvm_object *uobj;
	struct vm_page *pgs[8], *pg, *v;
	struct kcheck kc;
	size_t n;
	int i;

	for (n = 0; n < __arraycount(names); n++) {
		h_boot(64, 4096);
		uvmpdpol_set_oracle(t_oracle_never, NULL);
		ATF_REQUIRE_EQ(uvmpdpol_select(names[n]), 0);
		uobj = uao_create((voff_t)PG(9), 0);
		for (i = 0; i < 8; i++) {
			pgs[i] = uvm_pagealloc(uobj, (voff_t)PG(i), NULL, 0);
			ATF_REQUIRE(pgs[i] != NULL);
			pgs[i]->flags &= ~(PG_BUSY | PG_FAKE);
			uvm_pageactivate(pgs[i]);
		}
		/* used through the MMU in order: the first page longest ago */
		for (i = 0; i < 8; i++)
			if (pmap_access_hook != NULL)
				pmap_access_hook(pgs[i], PG(i));
		uvm_pagefree(pgs[0]);
		pg = uvm_pagealloc(uobj, (voff_t)PG(8), NULL, 0);
		ATF_REQUIRE_EQ(pg, pgs[0]);
		pg->flags &= ~(PG_BUSY | PG_FAKE);
		uvm_pageactivate(pg);
		kcheck_init(&kc);
		ATF_REQUIRE_EQ(uvmpdpol_check_state(&kc), 0);
		uvmpdpol_scaninit();
		for (i = 0; i < 8; i++) {
			v = uvmpdpol_selectvictim();
			ATF_REQUIRE_MSG(v != NULL, "%s: %d victims of 8",
			    names[n], i);
			ATF_REQUIRE_MSG((v == pg) == (i == 7),
			    "%s: the new page is victim %d of 8", names[n],
			    i + 1);
		}
		ATF_REQUIRE(uvmpdpol_selectvictim() == NULL);
		uao_detach(uobj);
		h_shutdown();
	}
}

/*
 * A policy chosen on a running machine takes the pages already on the
 * paging queues, in their queue order, and its structure checks out
 * against the queues as pages come and go; the one it replaces lets go.
 */
ATF_TC_WITHOUT_HEAD(select_on_a_running_machine_takes_queued_pages);
ATF_TC_BODY(select_on_a_running_machine_takes_queued_pages, tc)
{
	static const char *const names[] = { "lru", "fifo", "opt", "clock" };
	struct uvm_object *uobj;
	struct vm_page *pgs[8], *v;
	struct kcheck kc;
	size_t n;
	int i;

	h_boot(64, 4096);
	uvmpdpol_set_oracle(t_oracle_never, NULL);
	uobj = uao_create((voff_t)PG(8), 0);
	for (i = 0; i < 8; i++) {
		pgs[i] = uvm_pagealloc(uobj, (voff_t)PG(i), NULL, 0);
		ATF_REQUIRE(pgs[i] != NULL);
		pgs[i]->flags &= ~(PG_BUSY | PG_FAKE);
		uvm_pageactivate(pgs[i]);
	}
	for (n = 0; n < __arraycount(names); n++) {
		ATF_REQUIRE_EQ(uvmpdpol_select(names[n]), 0);
		kcheck_init(&kc);
		ATF_REQUIRE_EQ(uvm_page_check(&kc, true), 0);
		if (strcmp(names[n], "clock") == 0)
			break; /* its victims are inactive pages only */
		uvmpdpol_scaninit();
		for (i = 0; i < 8; i++) {
			v = uvmpdpol_selectvictim();
			ATF_REQUIRE_MSG(v == pgs[i],
			    "%s: victim %d is not page %d", names[n], i, i);
		}
		ATF_REQUIRE(uvmpdpol_selectvictim() == NULL);
	}
	/* wired, unwired, freed: the structure follows */
	ATF_REQUIRE_EQ(uvmpdpol_select("lru"), 0);
	uvm_pagewire(pgs[3]);
	uvm_pagefree(pgs[5]);
	kcheck_init(&kc);
	ATF_REQUIRE_EQ(uvm_page_check(&kc, true), 0);
	uvm_pageunwire(pgs[3]);
	kcheck_init(&kc);
	ATF_REQUIRE_EQ(uvm_page_check(&kc, true), 0);
	/* page 3 came back in its place: used no later than the others */
	uvmpdpol_scaninit();
	for (i = 0; i < 8; i++) {
		if (i == 5)
			continue;
		ATF_REQUIRE(uvmpdpol_selectvictim() == pgs[i]);
	}
	uao_detach(uobj);
	h_shutdown();
}

/*
 * Eight processes on 64 KiB pages with a handful of pages to page with:
 * a parent writes T_NPG pages and forks seven children; each child, once
 * the pagedaemon has taken most of those pages, writes every one (a
 * copy-on-write: the fault reads the original back, then may wait for a
 * page for the copy) and reads it back; the parent reads back its own.
 *
 *	32 pages: | kernel | 8 u-areas of 2 pages, wired | the rest |
 *
 * Under lru this once never ended: a page read in kept the access stamp
 * of its frame's last owner -- the oldest stamp there was, that frame
 * having just been taken as the least recently used -- so it was taken
 * again while its fault waited for the copy's page, in every child, with
 * only page-ins and page-outs for thousands of simulated seconds.  Under
 * every policy the run must end within T_BOUND with every byte intact.
 */
#define T_NPROC 8
#define T_NPG	16
#define T_BOUND (60 * SEC)

struct t_cow {
	vaddr_t va;
	int pos[T_NPROC]; /* pages each has done: T_NPG written, then read */
	bool ok[T_NPROC]; /* it read back what it wrote */
	int ndone;	  /* processes that have read theirs back */
};

struct t_cowproc {
	struct t_cow *c;
	int id; /* 0: the parent */
};

static struct t_cow t_cow;
static struct t_cowproc t_cowprocs[T_NPROC];

/* write every page with the process's byte, in one go (a memset) */
static void
t_cow_write(struct proc *p, struct t_cowproc *cp)
{
	(void)proc_fill(p, cp->c->va, cp->id + 1, PG(T_NPG));
	cp->c->pos[cp->id] = T_NPG;
}

/* read every page back, a page at a time: is each byte the process's? */
static void
t_cow_check(struct proc *p, struct t_cowproc *cp)
{
	struct t_cow *c = cp->c;
	unsigned char *buf = malloc(PAGE_SIZE);
	bool ok = buf != NULL;
	vsize_t j;
	int i;

	for (i = 0; i < T_NPG && buf != NULL; i++, c->pos[cp->id]++) {
		(void)proc_load(p, c->va + PG(i), buf, PAGE_SIZE);
		for (j = 0; j < PAGE_SIZE; j++)
			ok = ok && buf[j] == cp->id + 1;
	}
	c->ok[cp->id] = ok;
	c->ndone++;
	free(buf);
}

static int
prog_cow_child(struct proc *p, void *arg)
{
	(void)proc_sleep(p, SEC / 10);
	t_cow_write(p, arg);
	t_cow_check(p, arg);
	return 0;
}

/* the parent keeps the originals shared until every child is done */
static int
prog_cow_parent(struct proc *p, void *arg)
{
	struct t_cowproc *cp = arg;
	int i, st;

	cp->c->va = 0;
	if (proc_mmap(p, 0, PG(T_NPG), RW, MMAP_ANON | MMAP_PRIVATE, -1, 0,
		&cp->c->va) != 0)
		return 1;
	t_cow_write(p, cp);
	for (i = 1; i < T_NPROC; i++)
		if (proc_fork(p, prog_cow_child, &t_cowprocs[i], NULL) != 0)
			return 1;
	(void)proc_sleep(p, SEC);
	t_cow_check(p, cp);
	for (i = 1; i < T_NPROC; i++)
		(void)kern_wait(p, -1, &st, 0);
	return 0;
}

/*
 * opt's oracle: the fewest accesses any process has to make before it
 * reaches the page's index, as far as it can tell (a write pass counts
 * as one, the reads go page by page).  It knows pages only by where they
 * are mapped, so it cannot tell a child's copy from the original: a
 * guess, not the truth.
 */
static uint64_t
t_cow_oracle(const struct vm_page *pg, vaddr_t va, void *arg)
{
	struct t_cow *c = arg;
	uint64_t next = UVMPDPOL_NEVER;
	int i, k, s;

	if (va < c->va || va >= c->va + PG(T_NPG))
		return UVMPDPOL_NEVER;
	i = (int)((va - c->va) / PAGE_SIZE);
	for (k = 0; k < T_NPROC; k++)
		for (s = c->pos[k]; s < 2 * T_NPG; s++)
			if (s % T_NPG == i) {
				if ((uint64_t)(s - c->pos[k]) < next)
					next = (uint64_t)(s - c->pos[k]);
				break;
			}
	return next;
}

/* run the eight processes under policy `name' */
static void
t_run_cow(const char *name)
{
	struct machine_config mc;
	struct proc *p;
	int k, pid, st;

	machine_config_default(&mc);
	mc.mc_npages = 32;
	mc.mc_pagesize = 65536;
	mc.mc_swapslots = 1024;
	mc.mc_maxslp = 2;
	h_boot_kern_config(&mc);
	memset(&t_cow, 0, sizeof(t_cow));
	for (k = 0; k < T_NPROC; k++)
		t_cowprocs[k] = (struct t_cowproc){ &t_cow, k };
	uvmpdpol_set_oracle(t_cow_oracle, &t_cow);
	ATF_REQUIRE_EQ(uvmpdpol_select(name), 0);
	ATF_REQUIRE_EQ(kern_spawn("parent", prog_cow_parent, &t_cowprocs[0],
			   &p),
	    0);
	pid = p->p_pid;
	(void)kern_run(T_BOUND);
	ATF_REQUIRE_MSG(t_cow.ndone == T_NPROC,
	    "%s: %d of %d processes done after %d s: %llu pages out, "
	    "%llu read back",
	    name, t_cow.ndone, T_NPROC, (int)(T_BOUND / SEC),
	    (unsigned long long)uvmexp.pdpgout,
	    (unsigned long long)uvmexp.flt_anget);
	h_run_idle();
	ATF_REQUIRE_EQ(kern_collect(pid, &st), 0);
	ATF_REQUIRE_EQ(st, 0);
	for (k = 0; k < T_NPROC; k++)
		ATF_REQUIRE_MSG(t_cow.ok[k], "%s: process %d lost its data",
		    name, k);
	/* it did page, and copied pages read back */
	ATF_REQUIRE(uvmexp.pdpgout > 0 && uvmexp.flt_anget > 0);
	ATF_REQUIRE(uvmexp.flt_acow > 0);
	h_shutdown();
}

ATF_TC_WITHOUT_HEAD(eight_cow_writers_finish_under_clock);
ATF_TC_BODY(eight_cow_writers_finish_under_clock, tc)
{
	t_run_cow("clock");
}

ATF_TC_WITHOUT_HEAD(eight_cow_writers_finish_under_fifo);
ATF_TC_BODY(eight_cow_writers_finish_under_fifo, tc)
{
	t_run_cow("fifo");
}

ATF_TC_WITHOUT_HEAD(eight_cow_writers_finish_under_lru);
ATF_TC_BODY(eight_cow_writers_finish_under_lru, tc)
{
	t_run_cow("lru");
}

ATF_TC_WITHOUT_HEAD(eight_cow_writers_finish_under_opt);
ATF_TC_BODY(eight_cow_writers_finish_under_opt, tc)
{
	t_run_cow("opt");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, textbook_string_fault_counts);
	ATF_TP_ADD_TC(tp, belady_anomaly);
	ATF_TP_ADD_TC(tp, select_checks_name_and_oracle);
	ATF_TP_ADD_TC(tp, lru_takes_least_recently_used);
	ATF_TP_ADD_TC(tp, fifo_takes_first_allocated);
	ATF_TP_ADD_TC(tp, opt_takes_farthest_next_use);
	ATF_TP_ADD_TC(tp, new_page_goes_last_in_every_order);
	ATF_TP_ADD_TC(tp, select_on_a_running_machine_takes_queued_pages);
	ATF_TP_ADD_TC(tp, eight_cow_writers_finish_under_clock);
	ATF_TP_ADD_TC(tp, eight_cow_writers_finish_under_fifo);
	ATF_TP_ADD_TC(tp, eight_cow_writers_finish_under_lru);
	ATF_TP_ADD_TC(tp, eight_cow_writers_finish_under_opt);
	return atf_no_error();
}
