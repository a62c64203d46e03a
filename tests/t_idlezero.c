/*
 * t_idlezero.c: the idle loop zeroes free pages (uvm_pageidlezero from
 * sched_idle_switch): that it happens at all, how much each time the CPU
 * goes idle, that it costs no simulated time, and that runs stay
 * deterministic.
 */

#include <string.h>

#include "h_util.h"
#include "uvm/uvm.h"

#define PG(n) ((vaddr_t)(n)*PAGE_SIZE)
#define RW    (VM_PROT_READ | VM_PROT_WRITE)
#define SEC   ((simtime_t)1000000)
#define NPG   64

/* write NPG pages of an anonymous mapping, then exit */
static int
prog_dirty_and_exit(struct proc *p, void *arg)
{
	vaddr_t va;

	if (proc_mmap(p, 0, PG(NPG), RW, MMAP_ANON | MMAP_PRIVATE, -1, 0,
		&va) != 0)
		return 1;
	return proc_fill(p, va, 0xa5, PG(NPG)) != 0;
}

struct t_result {
	simtime_t now;
	uint64_t idlezero, zerohit;
	int zeropages, free;
};

/* run prog_dirty_and_exit to the end on a fresh machine */
static void
t_run_dirty(struct t_result *r)
{
	struct proc *p;
	int pid, st;

	h_boot_kern(256);
	h_run_idle();
	ATF_REQUIRE_EQ(kern_spawn("dirty", prog_dirty_and_exit, NULL, &p), 0);
	pid = p->p_pid;
	h_run_idle();
	ATF_REQUIRE_EQ(kern_collect(pid, &st), 0);
	ATF_REQUIRE_EQ(st, 0);
	h_check(); /* deep: every page on the zero list holds zeros */
	r->now = clock_now();
	r->idlezero = uvmexp.pga_idlezero;
	r->zerohit = uvmexp.pga_zerohit;
	r->zeropages = uvmexp.zeropages;
	r->free = uvmexp.free;
	h_shutdown();
}

/*
 * A process dirties pages and exits: its pages come back to the free
 * list of unknown content, and the idle loop, with nothing to run,
 * zeroes them.  (Before the idle loop called uvm_pageidlezero,
 * pga_idlezero stayed 0 for good.)  The same run twice gives the same
 * clock and counters.
 */
ATF_TC_WITHOUT_HEAD(idle_loop_zeroes_freed_pages);
ATF_TC_BODY(idle_loop_zeroes_freed_pages, tc)
{
	struct t_result a, b;

	t_run_dirty(&a);
	ATF_REQUIRE_MSG(a.idlezero > 0, "no page zeroed while idle");
	ATF_REQUIRE(a.zeropages > 0 && a.zeropages <= a.free);
	t_run_dirty(&b);
	ATF_REQUIRE_EQ(a.now, b.now);
	ATF_REQUIRE_EQ(a.idlezero, b.idlezero);
	ATF_REQUIRE_EQ(a.zerohit, b.zerohit);
	ATF_REQUIRE_EQ(a.zeropages, b.zeropages);
	ATF_REQUIRE_EQ(a.free, b.free);
}

/*
 * Each time the CPU goes idle it zeroes UVM_PAGEIDLEZERO_MAX pages at
 * most, in no simulated time, until every free page is known to be
 * zero; a zero-fill allocation then finds one ready.
 *
 *	kern_run(now): one idle entry, no time passes
 *	100 dirty free pages: 32, 32, 32, 4, then nothing
 */
ATF_TC_WITHOUT_HEAD(idle_zeroing_is_bounded_and_free_of_time);
ATF_TC_BODY(idle_zeroing_is_bounded_and_free_of_time, tc)
{
	struct vm_page *pgs[100], *pg;
	uint64_t before, hits;
	simtime_t t;
	int i, left, want;

	h_boot_kern(256);
	h_run_idle();
	ATF_REQUIRE_EQ(uvmexp.free, uvmexp.zeropages);
	for (i = 0; i < (int)__arraycount(pgs); i++) {
		pgs[i] = uvm_pagealloc(NULL, 0, NULL, 0);
		ATF_REQUIRE(pgs[i] != NULL);
		memset(physmem_hostaddr(VM_PAGE_TO_PHYS(pgs[i])), 0x5a,
		    PAGE_SIZE);
	}
	for (i = 0; i < (int)__arraycount(pgs); i++)
		uvm_pagefree(pgs[i]);
	left = uvmexp.free - uvmexp.zeropages;
	ATF_REQUIRE_EQ(left, (int)__arraycount(pgs));

	t = clock_now();
	while (left > 0) {
		before = uvmexp.pga_idlezero;
		want = MIN(left, UVM_PAGEIDLEZERO_MAX);
		ATF_REQUIRE(!kern_run(t));
		ATF_REQUIRE_EQ(clock_now(), t);
		ATF_REQUIRE_EQ(uvmexp.pga_idlezero - before, (uint64_t)want);
		left -= want;
		ATF_REQUIRE_EQ(uvmexp.free - uvmexp.zeropages, left);
	}
	before = uvmexp.pga_idlezero;
	ATF_REQUIRE(!kern_run(t));
	ATF_REQUIRE_EQ(uvmexp.pga_idlezero, before);
	h_check();

	hits = uvmexp.pga_zerohit;
	pg = uvm_pagealloc(NULL, 0, NULL, UVM_PGA_ZERO);
	ATF_REQUIRE(pg != NULL);
	ATF_REQUIRE_EQ(uvmexp.pga_zerohit, hits + 1);
	uvm_pagefree(pg);
	h_shutdown();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, idle_loop_zeroes_freed_pages);
	ATF_TP_ADD_TC(tp, idle_zeroing_is_bounded_and_free_of_time);
	return atf_no_error();
}
