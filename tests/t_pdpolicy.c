/*
 * t_pdpolicy.c: the page replacement policies -- their textbook fault
 * counts, selecting one, and the order in which the pagedaemon really
 * takes a process's pages under each.
 */

#include <errno.h>
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
	size_t n = sizeof(refs) / sizeof(refs[0]);

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
	size_t n = sizeof(refs) / sizeof(refs[0]);

	ATF_REQUIRE_EQ(t_faults("fifo", refs, n, 3), 9);
	ATF_REQUIRE_EQ(t_faults("fifo", refs, n, 4), 10);
	ATF_REQUIRE_EQ(t_faults("lru", refs, n, 3), 10);
	ATF_REQUIRE_EQ(t_faults("lru", refs, n, 4), 8);
	ATF_REQUIRE_EQ(t_faults("opt", refs, n, 3), 7);
	ATF_REQUIRE_EQ(t_faults("opt", refs, n, 4), 6);
	ATF_REQUIRE_EQ(t_faults("opt", refs, n, 65), -1);
}

static uint64_t
t_oracle_never(const struct vm_page *pg, void *arg)
{
	return UVMPDPOL_NEVER;
}

ATF_TC_WITHOUT_HEAD(select_checks_name_and_oracle);
ATF_TC_BODY(select_checks_name_and_oracle, tc)
{
	h_boot_kern(256);
	ATF_REQUIRE_STREQ(uvmpdpol->pdp_name, "clock");
	ATF_REQUIRE(!pmap_stamp_refs);
	ATF_REQUIRE_EQ(uvmpdpol_select("nonesuch"), EINVAL);
	ATF_REQUIRE_EQ(uvmpdpol_select("opt"), EINVAL); /* no oracle */
	ATF_REQUIRE_EQ(uvmpdpol_select("lru"), 0);
	ATF_REQUIRE(pmap_stamp_refs);
	ATF_REQUIRE_EQ(uvmpdpol_select("fifo"), 0);
	ATF_REQUIRE(!pmap_stamp_refs);
	uvmpdpol_set_oracle(t_oracle_never, NULL);
	ATF_REQUIRE_EQ(uvmpdpol_select("opt"), 0);
	ATF_REQUIRE_STREQ(uvmpdpol->pdp_name, "opt");
	h_shutdown();
	/* a new machine starts with the clock again */
	h_boot_kern(256);
	ATF_REQUIRE_STREQ(uvmpdpol->pdp_name, "clock");
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
	if (proc_mmap_anon(p, &o->va, PG(NP), RW, MAP_INHERIT_COPY) != 0)
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
t_oracle(const struct vm_page *pg, void *arg)
{
	struct t_order *o = arg;
	int i, pgi = (int)((pg->pg_va - o->va) / PAGE_SIZE);

	if (pg->pg_va < o->va || pgi >= NP)
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

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, textbook_string_fault_counts);
	ATF_TP_ADD_TC(tp, belady_anomaly);
	ATF_TP_ADD_TC(tp, select_checks_name_and_oracle);
	ATF_TP_ADD_TC(tp, lru_takes_least_recently_used);
	ATF_TP_ADD_TC(tp, fifo_takes_first_allocated);
	ATF_TP_ADD_TC(tp, opt_takes_farthest_next_use);
	return atf_no_error();
}
