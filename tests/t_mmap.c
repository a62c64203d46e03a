/*
 * t_mmap.c: the VM system calls, from a program in a simulated process:
 * brk under RLIMIT_DATA, mlock and munlock under RLIMIT_MEMLOCK, where
 * mmap places what it maps, and what munmap and munlockall give back.
 * The scenarios of tests/scenarios (t_scenario) go through every call's
 * errors; these are the facts a scenario cannot see (addresses, the
 * machine-wide wired count, a call without a file).
 */

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <string.h>

#include "h_util.h"

#define PG(n) ((vaddr_t)(n)*PAGE_SIZE)
#define RW    (VM_PROT_READ | VM_PROT_WRITE)

struct t_res {
	int err[8];
	int sig;
	bool done;
};

static void
t_run(proc_prog_t prog, struct t_res *r)
{
	struct proc *p;
	int pid, status = -1;

	ATF_REQUIRE_EQ(kern_spawn("t_mmap", prog, r, &p), 0);
	pid = p->p_pid;
	h_run_idle();
	ATF_REQUIRE_EQ(kern_collect(pid, &status), 0);
	r->sig = status & 0x7f;
}

static int
prog_exit0(struct proc *p, void *arg)
{
	return 0;
}

/*
 *	vm_daddr                       + rlim_cur (RLIMIT_DATA)
 *	|--- brk grows here ---->      |
 */
static int
prog_brk(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	struct vmspace *vm = p->p_vmspace;
	vaddr_t base = vm->vm_daddr;
	struct rlimit rl;
	char c = 'd';

	r->err[0] = sys_obreak(p, base + PG(3) - 100); /* 3 pages */
	r->err[1] = (int)vm->vm_dsize;
	(void)proc_store(p, base + PG(2) + 5, &c, 1);
	r->err[2] = sys_obreak(p, base + PG(1)); /* shrink to 1 */
	r->err[3] = (int)vm->vm_dsize;
	r->err[4] = sys_obreak(p, base - PAGE_SIZE);
	rl.rlim_cur = PG(4);
	rl.rlim_max = p->p_rlimit[RLIMIT_DATA].rlim_max;
	r->err[5] = dosetrlimit(p, RLIMIT_DATA, &rl);
	r->err[6] = sys_obreak(p, base + PG(5));
	r->err[7] = sys_obreak(p, base + PG(4));
	r->done = sys_obreak(p, base + PG(1)) == 0;
	/* the pages given back are gone: this store is SIGSEGV */
	(void)proc_store(p, base + PG(2) + 5, &c, 1);
	return 0;
}

ATF_TC_WITHOUT_HEAD(brk_grows_shrinks_under_data_limit);
ATF_TC_BODY(brk_grows_shrinks_under_data_limit, tc)
{
	struct t_res r = { 0 };

	h_boot_kern(512);
	t_run(prog_brk, &r);
	ATF_REQUIRE(r.done);
	ATF_REQUIRE_EQ(r.err[0], 0);
	ATF_REQUIRE_EQ(r.err[1], 3);
	ATF_REQUIRE_EQ(r.err[2], 0);
	ATF_REQUIRE_EQ(r.err[3], 1);
	ATF_REQUIRE_EQ(r.err[4], EINVAL);
	ATF_REQUIRE_EQ(r.err[5], 0);
	ATF_REQUIRE_EQ(r.err[6], ENOMEM); /* 5 pages > RLIMIT_DATA */
	ATF_REQUIRE_EQ(r.err[7], 0);	  /* 4 pages: exactly the limit */
	ATF_REQUIRE_EQ(r.sig, SIGSEGV);
	h_shutdown();
}

static int
prog_mlock(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	struct pmap *pm = vm_map_pmap(&p->p_vmspace->vm_map);
	vaddr_t va = 0;
	struct rlimit rl;

	if (proc_mmap(p, 0, PG(8), RW, MMAP_ANON | MMAP_PRIVATE, -1, 0, &va) !=
	    0)
		return 1;
	rl.rlim_cur = PG(4);
	rl.rlim_max = p->p_rlimit[RLIMIT_MEMLOCK].rlim_max;
	r->err[0] = dosetrlimit(p, RLIMIT_MEMLOCK, &rl);
	/* unaligned: the three pages it touches */
	r->err[1] = sys_mlock(p, va + 10, PG(2));
	r->err[2] = (int)pmap_wired_count(pm);
	/* 3 + 2 > 4 pages */
	r->err[3] = sys_mlock(p, va + PG(4), PG(2));
	r->err[4] = sys_mlock(p, va + PG(4), PG(1));
	r->err[5] = sys_munlock(p, va + 10, PG(2));
	r->err[6] = sys_munlock(p, va + PG(6), PG(1)); /* not locked */
	r->err[7] = sys_mlock(p, VM_MAXUSER_ADDRESS - 10, 100);
	(void)sys_munlock(p, va + PG(4), PG(1));
	r->done = pmap_wired_count(pm) == 0;
	return 0;
}

ATF_TC_WITHOUT_HEAD(mlock_under_memlock_limit);
ATF_TC_BODY(mlock_under_memlock_limit, tc)
{
	struct t_res r = { 0 };

	h_boot_kern(512);
	t_run(prog_mlock, &r);
	ATF_REQUIRE(r.done);
	ATF_REQUIRE_EQ(r.err[0], 0);
	ATF_REQUIRE_EQ(r.err[1], 0);
	ATF_REQUIRE_EQ(r.err[2], 3);
	ATF_REQUIRE_EQ(r.err[3], EAGAIN);
	ATF_REQUIRE_EQ(r.err[4], 0);
	ATF_REQUIRE_EQ(r.err[5], 0);
	ATF_REQUIRE_EQ(r.err[6], ENOMEM);
	ATF_REQUIRE_EQ(r.err[7], EINVAL);
	ATF_REQUIRE_EQ(r.sig, 0);
	h_shutdown();
}

/* where mmap puts things: past the data segment, at a hint, aligned */
static int
prog_placement(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	vaddr_t floor = round_page(p->p_vmspace->vm_daddr + MAXDSIZ), va;

	r->err[0] =
	    sys_mmap(p, 0, PG(2), RW, MMAP_ANON | MMAP_PRIVATE, -1, 0, &va);
	r->err[1] = va == floor;
	/* a hint below the floor is raised to it: the next hole there */
	r->err[2] = sys_mmap(p, PAGE_SIZE, PG(1), RW, MMAP_ANON, -1, 0, &va);
	r->err[3] = va == floor + PG(2);
	/* a free hint above it is taken as it is */
	r->err[4] =
	    sys_mmap(p, floor + PG(64), PG(1), RW, MMAP_ANON, -1, 0, &va);
	r->err[5] = va == floor + PG(64);
	/* MMAP_ALIGNED(20): a 1 MiB boundary */
	(void)sys_mmap(p, 0, PG(1), RW, MMAP_ANON | MMAP_ALIGNED(20), -1, 0,
	    &va);
	r->err[6] = (va & ((1UL << 20) - 1)) == 0 && va > floor;
	/* no file and no MMAP_ANON: no descriptor */
	r->err[7] = sys_mmap(p, 0, PG(1), RW, MMAP_PRIVATE, -1, 0, &va);
	r->done = true;
	return 0;
}

ATF_TC_WITHOUT_HEAD(mmap_placement_and_alignment);
ATF_TC_BODY(mmap_placement_and_alignment, tc)
{
	struct t_res r = { 0 };

	h_boot_kern(512);
	t_run(prog_placement, &r);
	ATF_REQUIRE(r.done);
	ATF_REQUIRE_EQ(r.err[0], 0);
	ATF_REQUIRE_MSG(r.err[1], "not at vm_daddr + MAXDSIZ");
	ATF_REQUIRE_EQ(r.err[2], 0);
	ATF_REQUIRE_MSG(r.err[3], "a low hint was not raised to the floor");
	ATF_REQUIRE_EQ(r.err[4], 0);
	ATF_REQUIRE_MSG(r.err[5], "a free hint was not taken");
	ATF_REQUIRE_MSG(r.err[6], "MMAP_ALIGNED(20) not on 1 MiB");
	ATF_REQUIRE_EQ(r.err[7], EBADF);
	ATF_REQUIRE_EQ(r.sig, 0);
	h_shutdown();
}

/*
 * munmap of wired memory unwires it; munlockall unwires everything
 * however it was wired; MLOCKALL_FUTURE wires what comes later and is
 * not inherited.  The machine's wired count comes back each time.
 */
static int
prog_unwire(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	struct vm_map *map = &p->p_vmspace->vm_map;
	struct pmap *pm = vm_map_pmap(map);
	int wired0 = uvmexp.wired;
	struct rlimit rl;
	struct proc *c;
	vaddr_t a, b;

	(void)sys_mmap(p, 0, PG(4), RW, MMAP_ANON | MMAP_WIRED, -1, 0, &a);
	r->err[0] = uvmexp.wired - wired0;
	(void)sys_munmap(p, a, PG(4));
	r->err[1] = uvmexp.wired - wired0;
	/* small stack, so that all of the space can be wired */
	rl.rlim_cur = PG(4);
	rl.rlim_max = p->p_rlimit[RLIMIT_STACK].rlim_max;
	(void)dosetrlimit(p, RLIMIT_STACK, &rl);
	(void)sys_mmap(p, 0, PG(2), RW, MMAP_ANON, -1, 0, &a);
	(void)sys_mlock(p, a, PG(1));
	r->err[2] = sys_mlockall(p, MLOCKALL_CURRENT | MLOCKALL_FUTURE);
	r->err[3] = (int)pmap_wired_count(pm); /* a's 2 + the stack's 4 */
	(void)sys_mmap(p, 0, PG(3), RW, MMAP_ANON, -1, 0, &b);
	r->err[4] = (int)pmap_wired_count(pm);
	r->err[5] = (map->flags & VM_MAP_WIREFUTURE) != 0;
	if (proc_fork(p, prog_exit0, NULL, &c) == 0)
		r->err[6] =
		    (c->p_vmspace->vm_map.flags & VM_MAP_WIREFUTURE) == 0;
	r->err[7] = sys_munlockall(p) == 0 && pmap_wired_count(pm) == 0 &&
	    (map->flags & VM_MAP_WIREFUTURE) == 0;
	r->done = true;
	return 0;
}

ATF_TC_WITHOUT_HEAD(munmap_and_munlockall_unwire);
ATF_TC_BODY(munmap_and_munlockall_unwire, tc)
{
	struct t_res r = { 0 };

	h_boot_kern(512);
	t_run(prog_unwire, &r);
	ATF_REQUIRE(r.done);
	ATF_REQUIRE_EQ(r.err[0], 4);
	ATF_REQUIRE_EQ(r.err[1], 0);
	ATF_REQUIRE_EQ(r.err[2], 0);
	ATF_REQUIRE_EQ(r.err[3], 6);
	ATF_REQUIRE_EQ(r.err[4], 9);
	ATF_REQUIRE(r.err[5]);
	ATF_REQUIRE_MSG(r.err[6], "the child inherited MLOCKALL_FUTURE");
	ATF_REQUIRE_MSG(r.err[7], "munlockall left wired pages");
	ATF_REQUIRE_EQ(r.sig, 0);
	h_shutdown();
}

/*
 * madvise willneed over a range far larger than memory:
 *
 *	va                                              va + 1 GiB
 *	|==== 64 pages of memory: what can come in ====|..........|
 *
 * It brings pages in only while memory is free above the pagedaemon's
 * target, and looks at no more pages than the machine has: so no page is
 * refused, nobody waits for memory, nothing is paged out, and the faults
 * (each of which may make an amap chunk and an anon in host memory) are
 * bounded by physical memory.  It used to fault every page of the range
 * -- 256K of them here, 64M for 256 GB, and gigabytes of host memory.
 */
static int
prog_willneed_huge(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	uint64_t faults0 = uvmexp.faults, fail0 = uvmexp.pga_fail;
	uint64_t wait0 = uvmexp.pdwait, out0 = uvmexp.pdpageouts;
	uint64_t amcopy0 = uvmexp.flt_amcopy;
	vaddr_t va = 0;
	char vec = 0;

	if (proc_mmap(p, 0, PG(1) << 18, RW, MMAP_ANON | MMAP_PRIVATE, -1, 0,
		&va) != 0)
		return 1;
	r->err[0] = sys_madvise(p, va, PG(1) << 18, MADVISE_WILLNEED);
	r->err[1] = (int)MIN(uvmexp.faults - faults0, INT_MAX);
	r->err[2] = (int)MIN(uvmexp.flt_amcopy - amcopy0, INT_MAX);
	r->err[3] = (int)(uvmexp.pga_fail - fail0);
	r->err[4] = (int)(uvmexp.pdwait - wait0);
	r->err[5] = (int)(uvmexp.pdpageouts - out0);
	/* the first page came in: the advice still does something */
	r->err[6] = sys_mincore(p, va, PG(1), &vec) == 0 && (vec & 1) != 0;
	r->done = true;
	return 0;
}

ATF_TC_WITHOUT_HEAD(madvise_willneed_bounded_by_memory);
ATF_TC_BODY(madvise_willneed_bounded_by_memory, tc)
{
	struct t_res r = { 0 };

	h_boot_kern(64);
	t_run(prog_willneed_huge, &r);
	ATF_REQUIRE(r.done);
	ATF_REQUIRE_EQ(r.err[0], 0);
	ATF_REQUIRE_MSG(r.err[1] <= 64, "%d faults on a 64-page machine",
	    r.err[1]);
	ATF_REQUIRE_MSG(r.err[2] <= 64, "%d amap copies", r.err[2]);
	ATF_REQUIRE_EQ_MSG(r.err[3], 0, "%d allocations refused", r.err[3]);
	ATF_REQUIRE_EQ_MSG(r.err[4], 0, "%d waits for memory", r.err[4]);
	ATF_REQUIRE_EQ_MSG(r.err[5], 0, "%d swap writes", r.err[5]);
	ATF_REQUIRE_MSG(r.err[6], "the first page was not brought in");
	ATF_REQUIRE_EQ(r.sig, 0);
	h_shutdown();
}

/*
 * mincore as NetBSD's sys_mincore and tests/lib/libc/sys/t_mincore.c:
 * a length of 0, and a range whose end wraps past the top of the
 * address space, are EINVAL; an unmapped range stays ENOMEM.
 *
 *	va         va + 1p                           2^64
 *	|== mapped ==|..... wraps back to 0 ...........|
 */
static int
prog_mincore_einval(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	char vec[2] = { 0 };
	vaddr_t va;

	if (sys_mmap(p, 0, PG(1), RW, MMAP_ANON | MMAP_PRIVATE, -1, 0, &va) !=
	    0)
		return 1;
	r->err[0] = sys_mincore(p, va, 0, vec);
	r->err[1] = sys_mincore(p, va, (vsize_t)0 - va, vec);
	r->err[2] = sys_mincore(p, va, (vsize_t)0 - va + PG(1), vec);
	r->err[3] = sys_mincore(p, trunc_page(~(vaddr_t)0), PG(2), vec);
	r->err[4] = sys_mincore(p, va, PG(2), vec); /* the next page: none */
	r->err[5] = sys_mincore(p, va + 1, PG(1), vec); /* unaligned */
	r->err[6] = sys_mincore(p, va, PG(1), vec);
	r->done = true;
	return 0;
}

ATF_TC_WITHOUT_HEAD(mincore_zero_length_and_wrap_are_einval);
ATF_TC_BODY(mincore_zero_length_and_wrap_are_einval, tc)
{
	struct t_res r = { 0 };

	h_boot_kern(512);
	t_run(prog_mincore_einval, &r);
	ATF_REQUIRE(r.done);
	ATF_REQUIRE_EQ_MSG(r.err[0], EINVAL, "len 0: %d", r.err[0]);
	ATF_REQUIRE_EQ_MSG(r.err[1], EINVAL, "end at 0: %d", r.err[1]);
	ATF_REQUIRE_EQ_MSG(r.err[2], EINVAL, "end past 0: %d", r.err[2]);
	ATF_REQUIRE_EQ_MSG(r.err[3], EINVAL, "last page + 2: %d", r.err[3]);
	ATF_REQUIRE_EQ(r.err[4], ENOMEM);
	ATF_REQUIRE_EQ(r.err[5], EINVAL);
	ATF_REQUIRE_EQ(r.err[6], 0);
	ATF_REQUIRE_EQ(r.sig, 0);
	h_shutdown();
}

/*
 * mlock of a range with a PROT_NONE entry in it is EINVAL, as NetBSD's
 * uvm_map_pageable says and its sys_mlock passes on (NetBSD's t_mlock.c
 * only asks for a failure); nothing is wired.  A range whose start is
 * not mapped stays ENOMEM (NetBSD: EFAULT from uvm_map_pageable, made
 * ENOMEM by sys_mlock).
 *
 *	va        va + 2p          va + 4p
 *	|=== rw ===|=== none ===|
 */
static int
prog_mlock_prot_none(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	struct pmap *pm = vm_map_pmap(&p->p_vmspace->vm_map);
	int wired0 = uvmexp.wired;
	vaddr_t va;

	if (sys_mmap(p, 0, PG(4), RW, MMAP_ANON | MMAP_PRIVATE, -1, 0, &va) !=
		0 ||
	    sys_mprotect(p, va + PG(2), PG(2), VM_PROT_NONE) != 0)
		return 1;
	r->err[0] = sys_mlock(p, va, PG(4));
	r->err[1] = sys_mlock(p, va + PG(2), PG(1));
	r->err[2] = (int)pmap_wired_count(pm) + (uvmexp.wired - wired0);
	r->err[3] = sys_mlock(p, va + PG(4), PG(1));
	r->err[4] = sys_mlock(p, va, PG(2));
	r->err[5] = (int)pmap_wired_count(pm);
	r->done = true;
	return 0;
}

ATF_TC_WITHOUT_HEAD(mlock_of_prot_none_is_einval);
ATF_TC_BODY(mlock_of_prot_none_is_einval, tc)
{
	struct t_res r = { 0 };

	h_boot_kern(512);
	t_run(prog_mlock_prot_none, &r);
	ATF_REQUIRE(r.done);
	ATF_REQUIRE_EQ_MSG(r.err[0], EINVAL, "range with PROT_NONE: %d",
	    r.err[0]);
	ATF_REQUIRE_EQ_MSG(r.err[1], EINVAL, "PROT_NONE alone: %d", r.err[1]);
	ATF_REQUIRE_EQ_MSG(r.err[2], 0, "%d pages wired", r.err[2]);
	ATF_REQUIRE_EQ(r.err[3], ENOMEM);
	ATF_REQUIRE_EQ(r.err[4], 0);
	ATF_REQUIRE_EQ(r.err[5], 2);
	ATF_REQUIRE_EQ(r.sig, 0);
	h_shutdown();
}

/*
 * sys_mmap checks a MMAP_FIXED address's alignment and range before it
 * looks at the file argument, in NetBSD's order (its sys_mmap, and
 * tests/lib/libc/sys/t_mmap.c's mmap_err: MAP_FIXED at an unaligned
 * address with no descriptor and no MAP_ANON is EINVAL, not EBADF).
 */
static int
prog_fixed_before_file(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	vaddr_t va, floor = round_page(p->p_vmspace->vm_daddr + MAXDSIZ);

	r->err[0] = sys_mmap(p, floor + 3, PG(1), VM_PROT_READ,
	    MMAP_FIXED | MMAP_PRIVATE, -1, 0, &va);
	r->err[1] = sys_mmap(p, VM_MAXUSER_ADDRESS - PG(1), PG(2), VM_PROT_READ,
	    MMAP_FIXED | MMAP_PRIVATE, -1, 0, &va);
	r->err[2] = sys_mmap(p, trunc_page(~(vaddr_t)0), PG(2), VM_PROT_READ,
	    MMAP_FIXED | MMAP_PRIVATE, -1, 0, &va);
	/* the file argument's own errors come after */
	r->err[3] = sys_mmap(p, floor, PG(1), VM_PROT_READ,
	    MMAP_FIXED | MMAP_PRIVATE, -1, 0, &va);
	r->err[4] = sys_mmap(p, floor + 3, PG(1), VM_PROT_READ,
	    MMAP_FIXED | MMAP_ANON, 0, 0, &va);
	r->err[5] = sys_mmap(p, floor, PG(1), VM_PROT_READ,
	    MMAP_FIXED | MMAP_ANON, 0, 0, &va);
	r->done = true;
	return 0;
}

ATF_TC_WITHOUT_HEAD(mmap_fixed_checked_before_file);
ATF_TC_BODY(mmap_fixed_checked_before_file, tc)
{
	struct t_res r = { 0 };

	h_boot_kern(512);
	t_run(prog_fixed_before_file, &r);
	ATF_REQUIRE(r.done);
	ATF_REQUIRE_EQ_MSG(r.err[0], EINVAL, "unaligned fixed, no file: %d",
	    r.err[0]);
	ATF_REQUIRE_EQ_MSG(r.err[1], EINVAL, "past user space, no file: %d",
	    r.err[1]);
	ATF_REQUIRE_EQ_MSG(r.err[2], EINVAL, "wrapping, no file: %d", r.err[2]);
	ATF_REQUIRE_EQ(r.err[3], EBADF);
	ATF_REQUIRE_EQ(r.err[4], EINVAL);
	ATF_REQUIRE_EQ(r.err[5], EINVAL);
	ATF_REQUIRE_EQ(r.sig, 0);
	h_shutdown();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, brk_grows_shrinks_under_data_limit);
	ATF_TP_ADD_TC(tp, mlock_under_memlock_limit);
	ATF_TP_ADD_TC(tp, mmap_placement_and_alignment);
	ATF_TP_ADD_TC(tp, munmap_and_munlockall_unwire);
	ATF_TP_ADD_TC(tp, madvise_willneed_bounded_by_memory);
	ATF_TP_ADD_TC(tp, mincore_zero_length_and_wrap_are_einval);
	ATF_TP_ADD_TC(tp, mlock_of_prot_none_is_einval);
	ATF_TP_ADD_TC(tp, mmap_fixed_checked_before_file);
	return atf_no_error();
}
