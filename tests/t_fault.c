/*
 * t_fault.c: the fault handler's cases, fault-ahead, wiring, the access
 * path, and fork by inheritance.
 *
 * Counter assertions prove which case ran: flt_przero (2B, zero fill),
 * flt_anon (1A), flt_acow (1B), flt_obj (2A), flt_prcopy (2B, copy).
 */

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "h_util.h"
#include "uvm/uvm.h"

#define PG(n) ((vaddr_t)(n)*PAGE_SIZE)
#define BASE  ((vaddr_t)0x100000)
#define RW    (VM_PROT_READ | VM_PROT_WRITE)

static struct vmspace *
t_vmspace(void)
{
	return uvmspace_alloc(VM_MIN_ADDRESS, VM_MAXUSER_ADDRESS);
}

/* private anonymous memory, inheritance `inh', advice `adv' */
static void
t_map_anon(struct vmspace *vm, vaddr_t va, int npages, int inh, int adv)
{
	vaddr_t start = va;

	ATF_REQUIRE_EQ(uvm_map(&vm->vm_map, &start, PG(npages), NULL, 0, 0,
			   UVM_MAPFLAG(RW, VM_PROT_ALL, inh, adv,
			       UVM_FLAG_FIXED | UVM_FLAG_COPYONW |
				   UVM_FLAG_NOMERGE)),
	    0);
}

/* shared anonymous memory (an anonymous object) */
static void
t_map_shared(struct vmspace *vm, vaddr_t va, int npages, int inh)
{
	struct uvm_object *uobj;
	vaddr_t start = va;

	uobj = uao_create((voff_t)PG(npages), 0);
	ATF_REQUIRE_EQ(uvm_map(&vm->vm_map, &start, PG(npages), uobj, 0, 0,
			   UVM_MAPFLAG(RW, VM_PROT_ALL, inh, UVM_ADV_NORMAL,
			       UVM_FLAG_FIXED | UVM_FLAG_NOMERGE)),
	    0);
}

static void
t_put(struct vmspace *vm, vaddr_t va, char c)
{
	ATF_REQUIRE_EQ_MSG(uvm_store(vm, va, &c, 1, NULL), 0, "store at 0x%llx",
	    (unsigned long long)va);
}

static char
t_get(struct vmspace *vm, vaddr_t va)
{
	char c;

	ATF_REQUIRE_EQ_MSG(uvm_load(vm, va, &c, 1, NULL), 0, "load at 0x%llx",
	    (unsigned long long)va);
	return c;
}

/* an anonymous page: zero fill on first touch (2B), then 1A */
ATF_TC_WITHOUT_HEAD(zero_fill_then_anon);
ATF_TC_BODY(zero_fill_then_anon, tc)
{
	struct vmspace *vm;

	h_boot(256, 4096);
	vm = t_vmspace();
	t_map_anon(vm, BASE, 4, MAP_INHERIT_COPY, UVM_ADV_RANDOM);
	ATF_REQUIRE_EQ(t_get(vm, BASE + 100), 0);
	ATF_REQUIRE_EQ(uvmexp.flt_przero, 1);
	ATF_REQUIRE_EQ(uvmexp.flt_amcopy,
	    1); /* the first fault made the amap */
	t_put(vm, BASE + 100, 'a');
	/* the zero-fill page was mapped writable: no second fault */
	ATF_REQUIRE_EQ(uvmexp.faults, 1);
	ATF_REQUIRE_EQ(t_get(vm, BASE + 100), 'a');
	/* drop the mapping: the next access finds the anon (1A) */
	pmap_remove(vm->vm_map.pmap, BASE, BASE + PG(4));
	ATF_REQUIRE_EQ(t_get(vm, BASE + 100), 'a');
	ATF_REQUIRE_EQ(uvmexp.flt_anon, 1);
	ATF_REQUIRE_EQ(uvmexp.nanon, 1);
	h_check();
	uvmspace_free(vm);
	ATF_REQUIRE_EQ(uvmexp.nanon, 0);
	h_shutdown();
}

/* nothing mapped is EFAULT -> SIGSEGV/SEGV_MAPERR */
ATF_TC_WITHOUT_HEAD(unmapped_is_segv_maperr);
ATF_TC_BODY(unmapped_is_segv_maperr, tc)
{
	struct uvm_access_fault uaf;
	struct vmspace *vm;
	char buf[8] = { 0 };

	h_boot(256, 4096);
	vm = t_vmspace();
	t_map_anon(vm, BASE, 1, MAP_INHERIT_COPY, UVM_ADV_NORMAL);
	/* a store that runs off the end faults at the first unmapped page */
	ATF_REQUIRE_EQ(uvm_store(vm, BASE + PG(1) - 4, buf, 8, &uaf), SIGSEGV);
	ATF_REQUIRE_EQ(uaf.uaf_va, BASE + PG(1));
	ATF_REQUIRE_EQ(uaf.uaf_error, EFAULT);
	ATF_REQUIRE_EQ(uaf.uaf_code, SEGV_MAPERR);
	ATF_REQUIRE_EQ(uaf.uaf_access, VM_PROT_WRITE);
	/* copyin/copyout say EFAULT, also for kernel addresses */
	ATF_REQUIRE_EQ(uvm_copyin(vm, BASE + PG(4), buf, 1), EFAULT);
	ATF_REQUIRE_EQ(uvm_copyout(vm, buf, VM_MAXUSER_ADDRESS, 1), EFAULT);
	ATF_REQUIRE_EQ(uvm_copyout(vm, buf, VM_MAXUSER_ADDRESS - 1, 2), EFAULT);
	ATF_REQUIRE_EQ(uvm_copyout(vm, "hi", BASE, 2), 0);
	ATF_REQUIRE_EQ(uvm_copyin(vm, BASE, buf, 2), 0);
	ATF_REQUIRE(memcmp(buf, "hi", 2) == 0);
	uvmspace_free(vm);
	h_shutdown();
}

/* the fault signal of every error */
ATF_TC_WITHOUT_HEAD(fault_signals);
ATF_TC_BODY(fault_signals, tc)
{
	int code;

	ATF_REQUIRE_EQ(uvm_fault_signal(EFAULT, &code), SIGSEGV);
	ATF_REQUIRE_EQ(code, SEGV_MAPERR);
	ATF_REQUIRE_EQ(uvm_fault_signal(EACCES, &code), SIGSEGV);
	ATF_REQUIRE_EQ(code, SEGV_ACCERR);
	ATF_REQUIRE_EQ(uvm_fault_signal(EINVAL, &code), SIGBUS);
	ATF_REQUIRE_EQ(code, BUS_ADRERR);
	ATF_REQUIRE_EQ(uvm_fault_signal(EIO, &code), SIGBUS);
	ATF_REQUIRE_EQ(code, BUS_OBJERR);
	ATF_REQUIRE_EQ(uvm_fault_signal(ENOMEM, NULL), SIGKILL);
}

/*
 * fault-ahead maps resident neighbours by advice:
 *
 *	normal: 3 behind, 4 ahead; random: none; sequential: 8 ahead-ish
 *
 * Touch 16 pages, drop the mappings, touch page 8 again: the resident
 * neighbours come back with it.
 */
ATF_TC_WITHOUT_HEAD(fault_ahead_by_advice);
ATF_TC_BODY(fault_ahead_by_advice, tc)
{
	static const struct {
		int adv;
		long mapped; /* resident after the fault at page 8 */
	} cases[] = {
		{ UVM_ADV_NORMAL, 1 + 3 + 4 },
		{ UVM_ADV_RANDOM, 1 },
		{ UVM_ADV_SEQUENTIAL, 1 + 7 },
	};
	struct vmspace *vm;
	size_t i;
	int p;

	for (i = 0; i < __arraycount(cases); i++) {
		h_boot(256, 4096);
		vm = t_vmspace();
		t_map_anon(vm, BASE, 16, MAP_INHERIT_COPY, UVM_ADV_RANDOM);
		for (p = 0; p < 16; p++)
			t_put(vm, BASE + PG(p), (char)p);
		ATF_REQUIRE_EQ(uvm_map_advice(&vm->vm_map, BASE, BASE + PG(16),
				   cases[i].adv),
		    0);
		pmap_remove(vm->vm_map.pmap, BASE, BASE + PG(16));
		ATF_REQUIRE_EQ(t_get(vm, BASE + PG(8)), 8);
		ATF_REQUIRE_EQ_MSG(pmap_resident_count(vm->vm_map.pmap),
		    cases[i].mapped, "advice %d", cases[i].adv);
		ATF_REQUIRE_EQ(uvmexp.flt_namap, (uint64_t)cases[i].mapped - 1);
		if (cases[i].adv == UVM_ADV_SEQUENTIAL) {
			/* the pages behind were deactivated */
			ATF_REQUIRE_EQ(uvmexp.inactive, 8);
		}
		h_check();
		uvmspace_free(vm);
		h_shutdown();
	}
}

/*
 * fault-ahead leaves neighbours alone that are mapped already as it
 * would map them, and maps the others:
 *
 *	page    0  1  2  3  4  5  6  7  8 ...
 *	anon    a  a  a  a  a  a  a  a  -
 *	mapped  x  x  -  r  -  -  x  x  -     (r: read-only; fault at 4)
 *
 * Written in order, each fault's pages behind are mapped: none is
 * entered again.  Then the fault at page 4 enters 2 and 5 (unmapped) and
 * 3 (writable now), and leaves 1, 6 and 7.
 */
ATF_TC_WITHOUT_HEAD(fault_ahead_skips_mapped_neighbours);
ATF_TC_BODY(fault_ahead_skips_mapped_neighbours, tc)
{
	struct vmspace *vm;
	struct pmap *pmap;
	uint64_t faults;
	int p;

	h_boot(256, 4096);
	vm = t_vmspace();
	pmap = vm->vm_map.pmap;
	t_map_anon(vm, BASE, 16, MAP_INHERIT_COPY, UVM_ADV_NORMAL);
	for (p = 0; p < 8; p++)
		t_put(vm, BASE + PG(p), (char)p);
	ATF_REQUIRE_EQ(uvmexp.flt_przero, 8);
	ATF_REQUIRE_EQ(uvmexp.flt_namap, 0);
	ATF_REQUIRE_EQ(pmap_resident_count(pmap), 8);

	pmap_remove(pmap, BASE + PG(2), BASE + PG(3));
	pmap_remove(pmap, BASE + PG(4), BASE + PG(6));
	pmap_protect(pmap, BASE + PG(3), BASE + PG(4), VM_PROT_READ);
	ATF_REQUIRE_EQ(t_get(vm, BASE + PG(4)), 4);
	ATF_REQUIRE_EQ(uvmexp.flt_anon, 1);
	ATF_REQUIRE_EQ(uvmexp.flt_namap, 3);
	ATF_REQUIRE_EQ(pmap_resident_count(pmap), 8);
	/* page 3 was entered writable again: its store does not fault */
	faults = uvmexp.faults;
	for (p = 0; p < 8; p++)
		if (p != 4)
			t_put(vm, BASE + PG(p), (char)(p + 10));
	ATF_REQUIRE_EQ(uvmexp.faults, faults);
	for (p = 0; p < 8; p++)
		ATF_REQUIRE_EQ(t_get(vm, BASE + PG(p)), p == 4 ? 4 : p + 10);
	h_check();
	uvmspace_free(vm);
	h_shutdown();
}

/*
 * a child writing its copy-on-write pages in order maps each neighbour
 * once: read-only, ahead of its own write fault, which replaces it with
 * the copy.  The pages behind, copied already, and the ones ahead, mapped
 * read-only by an earlier fault, are not entered again:
 *
 *	write at   0        1     2     ...   7
 *	entered    1 2 3 4  5     6     ...   11      (16 pages in all)
 */
ATF_TC_WITHOUT_HEAD(cow_maps_each_neighbour_once);
ATF_TC_BODY(cow_maps_each_neighbour_once, tc)
{
	struct vmspace *parent, *child;
	int p;

	h_boot(256, 4096);
	parent = t_vmspace();
	t_map_anon(parent, BASE, 16, MAP_INHERIT_COPY, UVM_ADV_NORMAL);
	for (p = 0; p < 16; p++)
		t_put(parent, BASE + PG(p), 'p');
	child = uvmspace_fork(parent);
	ATF_REQUIRE(child != NULL);
	uvmexp.flt_namap = 0;
	for (p = 0; p < 8; p++)
		t_put(child, BASE + PG(p), 'c');
	ATF_REQUIRE_EQ(uvmexp.flt_acow, 8);
	ATF_REQUIRE_EQ(uvmexp.flt_namap, 4 + 7);
	/* 8 copies and 4 pages ahead mapped read-only */
	ATF_REQUIRE_EQ(pmap_resident_count(child->vm_map.pmap), 12);
	for (p = 0; p < 16; p++) {
		ATF_REQUIRE_EQ(t_get(child, BASE + PG(p)), p < 8 ? 'c' : 'p');
		ATF_REQUIRE_EQ(t_get(parent, BASE + PG(p)), 'p');
	}
	h_check();
	uvmspace_free(child);
	uvmspace_free(parent);
	h_shutdown();
}

/* where the page mapped at va of vm is on the active queue (0: first) */
static int
t_active_place(struct vmspace *vm, vaddr_t va)
{
	struct vm_page *pg;
	paddr_t pa;
	int n = 0;

	ATF_REQUIRE(pmap_extract(vm->vm_map.pmap, va, &pa));
	PGLIST_FOREACH (pg, &uvm.page_active, pageq) {
		if (VM_PAGE_TO_PHYS(pg) == pa)
			return n;
		n++;
	}
	atf_tc_fail("the page at 0x%llx is not active", (unsigned long long)va);
}

/*
 * A neighbour the fault finds mapped already is left alone -- not
 * entered again, and not activated either (NetBSD-current): its own
 * accesses set its referenced bit for the pagedaemon.  Page 0 is
 * faulted, then page 8 (beyond the window of either), then page 1,
 * whose window holds page 0 mapped: page 0 keeps its place before 8.
 */
ATF_TC_WITHOUT_HEAD(mapped_neighbour_keeps_its_queue_place);
ATF_TC_BODY(mapped_neighbour_keeps_its_queue_place, tc)
{
	struct vmspace *vm;

	h_boot(256, 4096);
	vm = t_vmspace();
	t_map_anon(vm, BASE, 16, MAP_INHERIT_COPY, UVM_ADV_NORMAL);
	t_put(vm, BASE + PG(0), 'a');
	t_put(vm, BASE + PG(8), 'b');
	ATF_REQUIRE(t_active_place(vm, BASE + PG(0)) <
	    t_active_place(vm, BASE + PG(8)));
	uvmexp.flt_namap = 0;
	t_put(vm, BASE + PG(1), 'c');
	ATF_REQUIRE_EQ(uvmexp.flt_namap, 0);
	ATF_REQUIRE(t_active_place(vm, BASE + PG(0)) <
	    t_active_place(vm, BASE + PG(8)));
	ATF_REQUIRE(t_active_place(vm, BASE + PG(8)) <
	    t_active_place(vm, BASE + PG(1)));
	h_check();
	uvmspace_free(vm);
	h_shutdown();
}

/*
 * the fault loads the TLB for the access it resolves: the retried access
 * does not walk the tables again.  A first store to a page misses once
 * (the fault), then hits; a first load of a page mapped read-only by
 * the fault likewise.
 */
ATF_TC_WITHOUT_HEAD(fault_loads_tlb_for_the_retry);
ATF_TC_BODY(fault_loads_tlb_for_the_retry, tc)
{
	struct vmspace *vm;
	uint64_t hits, misses, faults;
	int p;

	h_boot(256, 4096);
	vm = t_vmspace();
	t_map_anon(vm, BASE, 8, MAP_INHERIT_COPY, UVM_ADV_RANDOM);
	pmap_activate(vm->vm_map.pmap);
	for (p = 0; p < 8; p++) {
		hits = pmapcounters.tlb_hit;
		misses = pmapcounters.tlb_miss;
		faults = uvmexp.faults;
		if (p % 2 == 0)
			t_put(vm, BASE + PG(p), 'a');
		else
			ATF_REQUIRE_EQ(t_get(vm, BASE + PG(p)), 0);
		ATF_REQUIRE_EQ(uvmexp.faults, faults + 1);
		ATF_REQUIRE_EQ_MSG(pmapcounters.tlb_miss, misses + 1, "page %d",
		    p);
		ATF_REQUIRE_EQ(pmapcounters.tlb_hit, hits + 1);
		h_check();
	}
	/* a read-faulted zero page is writable and clean: a store walks */
	misses = pmapcounters.tlb_miss;
	t_put(vm, BASE + PG(1), 'b');
	ATF_REQUIRE_EQ(pmapcounters.tlb_miss, misses + 1);
	ATF_REQUIRE_EQ(t_get(vm, BASE + PG(1)), 'b');
	ATF_REQUIRE_EQ(pmapcounters.tlb_miss, misses + 1);
	h_check();
	pmap_deactivate(vm->vm_map.pmap);
	uvmspace_free(vm);
	h_shutdown();
}

/*
 * fork, copy inheritance: parent and child share every page until one
 * writes; a write copies that page only (1B).
 */
ATF_TC_WITHOUT_HEAD(fork_copy_shares_until_written);
ATF_TC_BODY(fork_copy_shares_until_written, tc)
{
	struct vmspace *parent, *child;
	uint64_t alloc0;
	int p, nanon0;

	h_boot(256, 4096);
	parent = t_vmspace();
	t_map_anon(parent, BASE, 8, MAP_INHERIT_COPY, UVM_ADV_RANDOM);
	for (p = 0; p < 8; p++)
		t_put(parent, BASE + PG(p), 'p');
	nanon0 = uvmexp.nanon;
	alloc0 = uvmexp.pga_alloc;

	child = uvmspace_fork(parent);
	ATF_REQUIRE(child != NULL);
	/* fork copied no page and made no anon */
	ATF_REQUIRE_EQ(uvmexp.pga_alloc, alloc0);
	ATF_REQUIRE_EQ(uvmexp.nanon, nanon0);
	for (p = 0; p < 8; p++)
		ATF_REQUIRE_EQ(t_get(child, BASE + PG(p)), 'p');
	ATF_REQUIRE_EQ(uvmexp.pga_alloc, alloc0);

	/* the child writes page 2: one copy */
	t_put(child, BASE + PG(2), 'c');
	ATF_REQUIRE_EQ(uvmexp.flt_acow, 1);
	ATF_REQUIRE_EQ(uvmexp.pga_alloc, alloc0 + 1);
	/* the parent writes page 5: one more copy */
	t_put(parent, BASE + PG(5), 'P');
	ATF_REQUIRE_EQ(uvmexp.flt_acow, 2);
	ATF_REQUIRE_EQ(uvmexp.pga_alloc, alloc0 + 2);
	ATF_REQUIRE_EQ(uvmexp.nanon, nanon0 + 2);

	ATF_REQUIRE_EQ(t_get(parent, BASE + PG(2)), 'p');
	ATF_REQUIRE_EQ(t_get(child, BASE + PG(2)), 'c');
	ATF_REQUIRE_EQ(t_get(parent, BASE + PG(5)), 'P');
	ATF_REQUIRE_EQ(t_get(child, BASE + PG(5)), 'p');
	h_check();

	/* the child exits: the parent's pages become its own again */
	uvmspace_free(child);
	ATF_REQUIRE_EQ(uvmexp.nanon, nanon0);
	t_put(parent, BASE + PG(3), 'x'); /* an_ref 1 now: no copy (1A) */
	ATF_REQUIRE_EQ(uvmexp.flt_acow, 2);
	h_check();
	uvmspace_free(parent);
	h_shutdown();
}

/* share inheritance: writes are visible both ways */
ATF_TC_WITHOUT_HEAD(fork_share_sees_both_ways);
ATF_TC_BODY(fork_share_sees_both_ways, tc)
{
	struct vmspace *parent, *child, *grandchild;

	h_boot(256, 4096);
	parent = t_vmspace();
	t_map_anon(parent, BASE, 4, MAP_INHERIT_SHARE, UVM_ADV_NORMAL);
	/* untouched memory is shared too: the amap is made at fork */
	child = uvmspace_fork(parent);
	t_put(parent, BASE, 'a');
	ATF_REQUIRE_EQ(t_get(child, BASE), 'a');
	t_put(child, BASE + PG(3), 'b');
	ATF_REQUIRE_EQ(t_get(parent, BASE + PG(3)), 'b');
	/* the shared amap is copied at once if it is copy-inherited later */
	ATF_REQUIRE_EQ(uvm_map_inherit(&child->vm_map, BASE, BASE + PG(4),
			   MAP_INHERIT_COPY),
	    0);
	grandchild = uvmspace_fork(child);
	t_put(parent, BASE, 'z');
	ATF_REQUIRE_EQ(t_get(child, BASE), 'z');
	ATF_REQUIRE_EQ(t_get(grandchild, BASE), 'a');
	h_check();
	uvmspace_free(grandchild);
	uvmspace_free(child);
	uvmspace_free(parent);
	ATF_REQUIRE_EQ(uvmexp.nanon, 0);
	ATF_REQUIRE_EQ(uvmexp.namap, 0);
	h_shutdown();
}

/* none inheritance leaves the range unmapped in the child */
ATF_TC_WITHOUT_HEAD(fork_none_unmaps);
ATF_TC_BODY(fork_none_unmaps, tc)
{
	struct vmspace *parent, *child;
	char c;

	h_boot(256, 4096);
	parent = t_vmspace();
	t_map_anon(parent, BASE, 2, MAP_INHERIT_NONE, UVM_ADV_NORMAL);
	t_map_anon(parent, BASE + PG(2), 2, MAP_INHERIT_COPY, UVM_ADV_NORMAL);
	t_put(parent, BASE, 'n');
	child = uvmspace_fork(parent);
	ATF_REQUIRE_EQ(child->vm_map.nentries, 1);
	ATF_REQUIRE_EQ(uvm_load(child, BASE, &c, 1, NULL), SIGSEGV);
	ATF_REQUIRE_EQ(t_get(parent, BASE), 'n');
	h_check();
	uvmspace_free(child);
	uvmspace_free(parent);
	h_shutdown();
}

/* zero inheritance: the child gets zeros, the parent keeps its data */
ATF_TC_WITHOUT_HEAD(fork_zero_gives_zeros);
ATF_TC_BODY(fork_zero_gives_zeros, tc)
{
	struct vmspace *parent, *child;

	h_boot(256, 4096);
	parent = t_vmspace();
	t_map_anon(parent, BASE, 2, MAP_INHERIT_ZERO, UVM_ADV_NORMAL);
	t_put(parent, BASE + PG(1), 'q');
	child = uvmspace_fork(parent);
	ATF_REQUIRE_EQ(t_get(child, BASE + PG(1)), 0);
	t_put(child, BASE + PG(1), 'c');
	ATF_REQUIRE_EQ(t_get(parent, BASE + PG(1)), 'q');
	ATF_REQUIRE_EQ(uvmexp.flt_acow, 0);
	h_check();
	uvmspace_free(child);
	uvmspace_free(parent);
	h_shutdown();
}

/*
 * a wired range forks by copying its pages at once, so the parent's
 * wired pages stay writable and are never copied-on-write.
 */
ATF_TC_WITHOUT_HEAD(fork_wired_copies_now);
ATF_TC_BODY(fork_wired_copies_now, tc)
{
	struct vmspace *parent, *child;
	uint64_t faults;

	h_boot(256, 4096);
	parent = t_vmspace();
	t_map_anon(parent, BASE, 4, MAP_INHERIT_COPY, UVM_ADV_NORMAL);
	ATF_REQUIRE_EQ(uvm_map_pageable(&parent->vm_map, BASE, BASE + PG(4),
			   false),
	    0);
	t_put(parent, BASE, 'w');
	child = uvmspace_fork(parent);
	ATF_REQUIRE_EQ(uvmexp.cow_now, 4);
	/* the parent writes without faulting */
	faults = uvmexp.faults;
	t_put(parent, BASE, 'W');
	ATF_REQUIRE_EQ(uvmexp.faults, faults);
	ATF_REQUIRE_EQ(t_get(child, BASE), 'w');
	/* the child's copy is not wired */
	ATF_REQUIRE_EQ(uvmexp.wired, 4);
	h_check();
	uvmspace_free(child);
	uvmspace_free(parent);
	ATF_REQUIRE_EQ(uvmexp.wired, 0);
	h_shutdown();
}

/*
 * shared anonymous memory is an object: 2A maps its page; a write to a
 * copy-on-write view of it promotes a copy (2B).
 */
ATF_TC_WITHOUT_HEAD(object_pages_and_promotion);
ATF_TC_BODY(object_pages_and_promotion, tc)
{
	struct vmspace *parent, *child;

	h_boot(256, 4096);
	parent = t_vmspace();
	t_map_shared(parent, BASE, 4, MAP_INHERIT_COPY);
	t_put(parent, BASE, 's');
	ATF_REQUIRE_EQ(uvmexp.flt_obj, 1);
	child = uvmspace_fork(parent);
	/* the child reads the object's page (2A) ... */
	ATF_REQUIRE_EQ(t_get(child, BASE), 's');
	ATF_REQUIRE_EQ(uvmexp.flt_obj, 2);
	/* ... and sees the parent's later writes until it writes itself */
	t_put(parent, BASE, 't');
	ATF_REQUIRE_EQ(t_get(child, BASE), 't');
	t_put(child, BASE, 'c');
	ATF_REQUIRE_EQ(uvmexp.flt_prcopy, 1);
	ATF_REQUIRE_EQ(t_get(parent, BASE), 't');
	ATF_REQUIRE_EQ(t_get(child, BASE), 'c');
	h_check();
	uvmspace_free(child);
	uvmspace_free(parent);
	ATF_REQUIRE_EQ(uvmexp.naobj, 1); /* only the kernel object */
	h_shutdown();
}

/*
 * fork of a space with many resident pages copies no page and no anon
 * array until someone writes.
 */
ATF_TC_WITHOUT_HEAD(fork_many_pages_copies_nothing);
ATF_TC_BODY(fork_many_pages_copies_nothing, tc)
{
	struct vmspace *parent, *child;
	int nanon, namap, p;
	uint64_t alloc;

	h_boot(2048, 4096);
	parent = t_vmspace();
	t_map_anon(parent, BASE, 1024, MAP_INHERIT_COPY, UVM_ADV_RANDOM);
	for (p = 0; p < 1024; p++)
		t_put(parent, BASE + PG(p), 1);
	nanon = uvmexp.nanon;
	namap = uvmexp.namap;
	alloc = uvmexp.pga_alloc;
	child = uvmspace_fork(parent);
	ATF_REQUIRE_EQ(uvmexp.nanon, nanon);
	ATF_REQUIRE_EQ(uvmexp.namap, namap);
	ATF_REQUIRE_EQ(uvmexp.pga_alloc, alloc);
	/* the parent is write-protected, the child has no mappings yet */
	ATF_REQUIRE_EQ(pmap_resident_count(child->vm_map.pmap), 0);
	/* one write: one page, and an amap chunk rather than a 1024 copy */
	t_put(child, BASE + PG(500), 2);
	ATF_REQUIRE_EQ(uvmexp.pga_alloc, alloc + 1);
	ATF_REQUIRE_EQ(uvmexp.namap, namap + 1);
	ATF_REQUIRE(child->vm_map.nentries > 1);
	h_check();
	uvmspace_free(child);
	uvmspace_free(parent);
	h_shutdown();
}

/* uvm_fault_wire faults in and wires; uvm_fault_unwire undoes it */
ATF_TC_WITHOUT_HEAD(fault_wire_unwire);
ATF_TC_BODY(fault_wire_unwire, tc)
{
	struct vmspace *vm;

	h_boot(256, 4096);
	vm = t_vmspace();
	t_map_anon(vm, BASE, 4, MAP_INHERIT_COPY, UVM_ADV_NORMAL);
	ATF_REQUIRE_EQ(uvm_fault_wire(&vm->vm_map, BASE, BASE + PG(4),
			   VM_FAULT_WIRE, RW),
	    0);
	ATF_REQUIRE_EQ(uvmexp.wired, 4);
	ATF_REQUIRE_EQ(pmap_wired_count(vm->vm_map.pmap), 4);
	uvm_fault_unwire(&vm->vm_map, BASE, BASE + PG(4));
	ATF_REQUIRE_EQ(uvmexp.wired, 0);
	ATF_REQUIRE_EQ(pmap_wired_count(vm->vm_map.pmap), 0);
	/* part-way failure undoes what was wired */
	failpoint_arm(FP_PAGE, 0, 1);
	ATF_REQUIRE_EQ(uvm_fault_wire(&vm->vm_map, BASE + PG(2), BASE + PG(4),
			   VM_FAULT_WIRE, RW),
	    0); /* these pages are resident: no allocation */
	uvm_fault_unwire(&vm->vm_map, BASE + PG(2), BASE + PG(4));
	t_map_anon(vm, BASE + PG(4), 4, MAP_INHERIT_COPY, UVM_ADV_NORMAL);
	failpoint_arm(FP_PAGE, 2, 1);
	ATF_REQUIRE_EQ(uvm_fault_wire(&vm->vm_map, BASE, BASE + PG(8),
			   VM_FAULT_WIRE, RW),
	    ENOMEM);
	ATF_REQUIRE_EQ(uvmexp.wired, 0);
	ATF_REQUIRE_EQ(pmap_wired_count(vm->vm_map.pmap), 0);
	h_check();
	/* a write to a read-only range cannot be wired for writing */
	uvm_map_protect(&vm->vm_map, BASE, BASE + PG(8), VM_PROT_READ, false);
	ATF_REQUIRE_EQ(uvm_fault_wire(&vm->vm_map, BASE, BASE + PG(8),
			   VM_FAULT_WIRE, RW),
	    EACCES);
	/* ... unless with the maximum protection */
	ATF_REQUIRE_EQ(uvm_fault_wire(&vm->vm_map, BASE, BASE + PG(1),
			   VM_FAULT_WIREMAX, RW),
	    0);
	uvm_fault_unwire(&vm->vm_map, BASE, BASE + PG(1));
	h_check();
	uvmspace_free(vm);
	h_shutdown();
}

/* kernel memory: pageable on demand, wired on request, freed whole */
ATF_TC_WITHOUT_HEAD(kernel_memory);
ATF_TC_BODY(kernel_memory, tc)
{
	vaddr_t va, wva;
	size_t kmsize;
	char c = 'k';

	h_boot(256, 4096);
	kmsize = kernel_map->size;
	va = uvm_km_valloc(kernel_map, PG(4));
	ATF_REQUIRE(va != 0);
	ATF_REQUIRE_EQ(kernel_map->size, kmsize + PG(4));
	ATF_REQUIRE_EQ(uvm_kernel_object->uo_npages, 0);
	ATF_REQUIRE_EQ(uvm_kio(va + PG(1), &c, 1, true), 0);
	ATF_REQUIRE_EQ(uvm_kernel_object->uo_npages, 1);
	wva = uvm_km_alloc(kernel_map, PG(2));
	ATF_REQUIRE(wva != 0);
	ATF_REQUIRE_EQ(uvmexp.wired, 2);
	ATF_REQUIRE_EQ(uvm_kernel_object->uo_npages, 3);
	c = 0;
	ATF_REQUIRE_EQ(uvm_kio(va + PG(1), &c, 1, false), 0);
	ATF_REQUIRE_EQ(c, 'k');
	/* aligned */
	va = uvm_km_valloc_align(kernel_map, PG(3), PG(16));
	ATF_REQUIRE(va != 0 && (va & (PG(16) - 1)) == 0);
	uvm_km_free(kernel_map, va, PG(3));
	uvm_km_free(kernel_map, wva, PG(2));
	ATF_REQUIRE_EQ(uvmexp.wired, 0);
	/* kva failpoint */
	failpoint_arm(FP_KVA, 0, 1);
	ATF_REQUIRE_EQ(uvm_km_valloc(kernel_map, PG(1)), 0);
	h_check();
	h_shutdown();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, zero_fill_then_anon);
	ATF_TP_ADD_TC(tp, unmapped_is_segv_maperr);
	ATF_TP_ADD_TC(tp, fault_signals);
	ATF_TP_ADD_TC(tp, fault_ahead_by_advice);
	ATF_TP_ADD_TC(tp, fault_ahead_skips_mapped_neighbours);
	ATF_TP_ADD_TC(tp, fault_loads_tlb_for_the_retry);
	ATF_TP_ADD_TC(tp, mapped_neighbour_keeps_its_queue_place);
	ATF_TP_ADD_TC(tp, cow_maps_each_neighbour_once);
	ATF_TP_ADD_TC(tp, fork_copy_shares_until_written);
	ATF_TP_ADD_TC(tp, fork_share_sees_both_ways);
	ATF_TP_ADD_TC(tp, fork_none_unmaps);
	ATF_TP_ADD_TC(tp, fork_zero_gives_zeros);
	ATF_TP_ADD_TC(tp, fork_wired_copies_now);
	ATF_TP_ADD_TC(tp, object_pages_and_promotion);
	ATF_TP_ADD_TC(tp, fork_many_pages_copies_nothing);
	ATF_TP_ADD_TC(tp, fault_wire_unwire);
	ATF_TP_ADD_TC(tp, kernel_memory);
	return atf_no_error();
}
