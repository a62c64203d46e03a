/*
 * t_map.c: address maps -- lookup, free space, clipping, merging (of new
 * mappings, and of copy-on-write entries into their neighbour),
 * protection, inheritance, advice, wiring, and the map checker.
 *
 * Pictures: one character per page, `.' for a hole (per chunk in the
 * merging tests, which say so).
 */

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "h_util.h"
#include "uvm/uvm.h"

#define PG(n) ((vaddr_t)(n)*PAGE_SIZE)
#define BASE  ((vaddr_t)0x100000)
#define RW    (VM_PROT_READ | VM_PROT_WRITE)
#define ANONRW                                                         \
	UVM_MAPFLAG(RW, VM_PROT_ALL, MAP_INHERIT_COPY, UVM_ADV_NORMAL, \
	    UVM_FLAG_FIXED | UVM_FLAG_COPYONW)

static struct vmspace *
t_vmspace(void)
{
	return uvmspace_alloc(VM_MIN_ADDRESS, VM_MAXUSER_ADDRESS);
}

/* map npages of anonymous copy-on-write memory at va, with `flags' */
static void
t_map_anon(struct vmspace *vm, vaddr_t va, int npages, int flags)
{
	vaddr_t start = va;

	ATF_REQUIRE_EQ(uvm_map(&vm->vm_map, &start, PG(npages), NULL, 0, 0,
			   flags),
	    0);
	ATF_REQUIRE_EQ(start, va);
}

static struct vm_map_entry *
t_entry(struct vmspace *vm, vaddr_t va)
{
	struct vm_map_entry *e;

	ATF_REQUIRE_MSG(uvm_map_lookup_entry(&vm->vm_map, va, &e),
	    "no entry at 0x%llx", (unsigned long long)va);
	return e;
}

static void
t_map_ok(struct vmspace *vm)
{
	struct kcheck kc;

	kcheck_init(&kc);
	ATF_REQUIRE_MSG(uvm_map_check(&vm->vm_map, &kc) == 0, "map: %s",
	    kc.kc_msg);
}

/* adjacent anonymous mappings with the same attributes merge */
ATF_TC_WITHOUT_HEAD(adjacent_mappings_merge);
ATF_TC_BODY(adjacent_mappings_merge, tc)
{
	struct vmspace *vm;

	h_boot(256, 4096);
	vm = t_vmspace();
	/* AAAA + AAAA = one entry of 8 */
	t_map_anon(vm, BASE, 4, ANONRW);
	t_map_anon(vm, BASE + PG(4), 4, ANONRW);
	ATF_REQUIRE_EQ(vm->vm_map.nentries, 1);
	ATF_REQUIRE_EQ(t_entry(vm, BASE)->end, BASE + PG(8));
	ATF_REQUIRE_EQ(uvmexp.map_merges, 1);
	/* different protection: no merge */
	t_map_anon(vm, BASE + PG(8), 2,
	    UVM_MAPFLAG(VM_PROT_READ, VM_PROT_ALL, MAP_INHERIT_COPY,
		UVM_ADV_NORMAL, UVM_FLAG_FIXED | UVM_FLAG_COPYONW));
	/* NOMERGE: no merge */
	t_map_anon(vm, BASE + PG(10), 2, ANONRW | UVM_FLAG_NOMERGE);
	t_map_anon(vm, BASE + PG(12), 2, ANONRW);
	ATF_REQUIRE_EQ(vm->vm_map.nentries, 4);
	ATF_REQUIRE_EQ(vm->vm_map.size, PG(14));
	t_map_ok(vm);
	uvmspace_free(vm);
	h_shutdown();
}

/* an occupied fixed range is refused; prot above maxprot is EACCES */
ATF_TC_WITHOUT_HEAD(map_refusals);
ATF_TC_BODY(map_refusals, tc)
{
	struct vmspace *vm;
	vaddr_t va;

	h_boot(256, 4096);
	vm = t_vmspace();
	t_map_anon(vm, BASE, 4, ANONRW);
	va = BASE + PG(2);
	ATF_REQUIRE_EQ(uvm_map(&vm->vm_map, &va, PG(4), NULL, 0, 0, ANONRW),
	    ENOMEM);
	va = BASE - PG(1);
	ATF_REQUIRE_EQ(uvm_map(&vm->vm_map, &va, PG(2), NULL, 0, 0, ANONRW),
	    ENOMEM);
	va = BASE + PG(8);
	ATF_REQUIRE_EQ(uvm_map(&vm->vm_map, &va, PG(1), NULL, 0, 0,
			   UVM_MAPFLAG(RW, VM_PROT_READ, MAP_INHERIT_COPY,
			       UVM_ADV_NORMAL, UVM_FLAG_FIXED)),
	    EACCES);
	ATF_REQUIRE_EQ(uvm_map(&vm->vm_map, &va, 0, NULL, 0, 0, ANONRW),
	    EINVAL);
	va = BASE + 1;
	ATF_REQUIRE_EQ(uvm_map(&vm->vm_map, &va, PG(1), NULL, 0, 0, ANONRW),
	    EINVAL);
	va = VM_MAXUSER_ADDRESS - PG(1);
	ATF_REQUIRE_EQ(uvm_map(&vm->vm_map, &va, PG(2), NULL, 0, 0, ANONRW),
	    EINVAL);
	ATF_REQUIRE_EQ(vm->vm_map.nentries, 1);
	t_map_ok(vm);
	uvmspace_free(vm);
	h_shutdown();
}

/*
 * UVM_FLAG_UNMAP replaces what is in the way:
 *
 *	AAAA....       map A
 *	AA BBBB        B over pages 2-5: A is clipped
 */
ATF_TC_WITHOUT_HEAD(fixed_unmap_replaces);
ATF_TC_BODY(fixed_unmap_replaces, tc)
{
	struct vmspace *vm;

	h_boot(256, 4096);
	vm = t_vmspace();
	t_map_anon(vm, BASE, 4, ANONRW);
	t_map_anon(vm, BASE + PG(2), 4,
	    UVM_MAPFLAG(VM_PROT_READ, VM_PROT_ALL, MAP_INHERIT_COPY,
		UVM_ADV_NORMAL,
		UVM_FLAG_FIXED | UVM_FLAG_UNMAP | UVM_FLAG_COPYONW));
	ATF_REQUIRE_EQ(vm->vm_map.nentries, 2);
	ATF_REQUIRE_EQ(t_entry(vm, BASE)->end, BASE + PG(2));
	ATF_REQUIRE_EQ(t_entry(vm, BASE + PG(2))->protection, VM_PROT_READ);
	ATF_REQUIRE_EQ(vm->vm_map.size, PG(6));
	t_map_ok(vm);
	uvmspace_free(vm);
	h_shutdown();
}

/* the free-space search finds the first hole that fits, aligned */
ATF_TC_WITHOUT_HEAD(findspace_first_fit);
ATF_TC_BODY(findspace_first_fit, tc)
{
	struct vmspace *vm;
	vaddr_t va;

	h_boot(256, 4096);
	vm = t_vmspace();
	/* AA..BB....C  */
	t_map_anon(vm, BASE, 2, ANONRW | UVM_FLAG_NOMERGE);
	t_map_anon(vm, BASE + PG(4), 2, ANONRW | UVM_FLAG_NOMERGE);
	t_map_anon(vm, BASE + PG(10), 1, ANONRW | UVM_FLAG_NOMERGE);
	vm_map_lock(&vm->vm_map);
	ATF_REQUIRE_EQ(uvm_map_findspace(&vm->vm_map, BASE, PG(2), 0, &va), 0);
	ATF_REQUIRE_EQ(va, BASE + PG(2));
	ATF_REQUIRE_EQ(uvm_map_findspace(&vm->vm_map, BASE, PG(3), 0, &va), 0);
	ATF_REQUIRE_EQ(va, BASE + PG(6));
	ATF_REQUIRE_EQ(uvm_map_findspace(&vm->vm_map, BASE, PG(1), PG(8), &va),
	    0);
	ATF_REQUIRE_EQ(va, BASE + PG(8));
	ATF_REQUIRE_EQ(uvm_map_findspace(&vm->vm_map, BASE + PG(1), PG(5), 0,
			   &va),
	    0);
	ATF_REQUIRE_EQ(va, BASE + PG(11));
	ATF_REQUIRE_EQ(uvm_map_findspace(&vm->vm_map,
			   VM_MAXUSER_ADDRESS - PG(1), PG(2), 0, &va),
	    ENOMEM);
	vm_map_unlock(&vm->vm_map);
	uvmspace_free(vm);
	h_shutdown();
}

/* lookup: inside an entry, in a hole, before the first, after the last */
ATF_TC_WITHOUT_HEAD(lookup_entry);
ATF_TC_BODY(lookup_entry, tc)
{
	struct vm_map_entry *e;
	struct vmspace *vm;
	int i;

	h_boot(256, 4096);
	vm = t_vmspace();
	for (i = 0; i < 100; i++)
		t_map_anon(vm, BASE + PG(3 * i), 2, ANONRW | UVM_FLAG_NOMERGE);
	ATF_REQUIRE_EQ(vm->vm_map.nentries, 100);
	for (i = 0; i < 100; i++) {
		ATF_REQUIRE(uvm_map_lookup_entry(&vm->vm_map,
		    BASE + PG(3 * i + 1) + 5, &e));
		ATF_REQUIRE_EQ(e->start, BASE + PG(3 * i));
		ATF_REQUIRE(!uvm_map_lookup_entry(&vm->vm_map,
		    BASE + PG(3 * i + 2), &e));
		ATF_REQUIRE_EQ(e->start, BASE + PG(3 * i));
	}
	ATF_REQUIRE(!uvm_map_lookup_entry(&vm->vm_map, BASE - 1, &e));
	ATF_REQUIRE(e == &vm->vm_map.header);
	ATF_REQUIRE(!uvm_map_lookup_entry(&vm->vm_map, BASE + PG(1000), &e));
	ATF_REQUIRE(e == vm->vm_map.header.prev);
	t_map_ok(vm);
	uvmspace_free(vm);
	h_shutdown();
}

/*
 * protect over part of an entry clips it in three:
 *
 *	AAAAAAAA  rw
 *	AA RRR AAA
 *	rw  r   rw
 */
ATF_TC_WITHOUT_HEAD(protect_partial_range_clips);
ATF_TC_BODY(protect_partial_range_clips, tc)
{
	struct vmspace *vm;

	h_boot(256, 4096);
	vm = t_vmspace();
	t_map_anon(vm, BASE, 8, ANONRW);
	ATF_REQUIRE_EQ(uvm_map_protect(&vm->vm_map, BASE + PG(2), BASE + PG(5),
			   VM_PROT_READ, false),
	    0);
	ATF_REQUIRE_EQ(vm->vm_map.nentries, 3);
	ATF_REQUIRE_EQ(t_entry(vm, BASE + PG(1))->protection, RW);
	ATF_REQUIRE_EQ(t_entry(vm, BASE + PG(2))->protection, VM_PROT_READ);
	ATF_REQUIRE_EQ(t_entry(vm, BASE + PG(4))->end, BASE + PG(5));
	ATF_REQUIRE_EQ(t_entry(vm, BASE + PG(5))->protection, RW);
	/* above the maximum: refused, nothing changes */
	ATF_REQUIRE_EQ(uvm_map_protect(&vm->vm_map, BASE, BASE + PG(8),
			   VM_PROT_ALL, true),
	    0);
	ATF_REQUIRE_EQ(uvm_map_protect(&vm->vm_map, BASE, BASE + PG(3),
			   VM_PROT_READ, true),
	    0);
	ATF_REQUIRE_EQ(uvm_map_protect(&vm->vm_map, BASE + PG(1), BASE + PG(7),
			   RW, false),
	    EACCES);
	ATF_REQUIRE_EQ(t_entry(vm, BASE + PG(6))->protection, RW);
	ATF_REQUIRE_EQ(t_entry(vm, BASE)->max_protection, VM_PROT_READ);
	t_map_ok(vm);
	/* checkprot sees the holes and the protections */
	ATF_REQUIRE(
	    uvm_map_checkprot(&vm->vm_map, BASE, BASE + PG(8), VM_PROT_READ));
	ATF_REQUIRE(!uvm_map_checkprot(&vm->vm_map, BASE, BASE + PG(8), RW));
	ATF_REQUIRE(
	    uvm_map_checkprot(&vm->vm_map, BASE + PG(5), BASE + PG(8), RW));
	ATF_REQUIRE(
	    !uvm_map_checkprot(&vm->vm_map, BASE, BASE + PG(9), VM_PROT_READ));
	uvmspace_free(vm);
	h_shutdown();
}

/* protection lowered reaches the pmap at once; data is kept */
ATF_TC_WITHOUT_HEAD(protect_reaches_pmap);
ATF_TC_BODY(protect_reaches_pmap, tc)
{
	struct uvm_access_fault uaf;
	struct vmspace *vm;
	char c = 'x';

	h_boot(256, 4096);
	vm = t_vmspace();
	t_map_anon(vm, BASE, 2, ANONRW);
	ATF_REQUIRE_EQ(uvm_store(vm, BASE, &c, 1, NULL), 0);
	ATF_REQUIRE_EQ(uvm_map_protect(&vm->vm_map, BASE, BASE + PG(2),
			   VM_PROT_READ, false),
	    0);
	ATF_REQUIRE_EQ(uvm_store(vm, BASE, &c, 1, &uaf), SIGSEGV);
	ATF_REQUIRE_EQ(uaf.uaf_error, EACCES);
	ATF_REQUIRE_EQ(uaf.uaf_code, SEGV_ACCERR);
	ATF_REQUIRE_EQ(uaf.uaf_va, BASE);
	c = 0;
	ATF_REQUIRE_EQ(uvm_load(vm, BASE, &c, 1, NULL), 0);
	ATF_REQUIRE_EQ(c, 'x');
	ATF_REQUIRE_EQ(uvm_map_protect(&vm->vm_map, BASE, BASE + PG(2),
			   VM_PROT_NONE, false),
	    0);
	ATF_REQUIRE_EQ(uvm_load(vm, BASE, &c, 1, &uaf), SIGSEGV);
	ATF_REQUIRE_EQ(uaf.uaf_code, SEGV_ACCERR);
	ATF_REQUIRE_EQ(uvm_map_protect(&vm->vm_map, BASE, BASE + PG(2), RW,
			   false),
	    0);
	ATF_REQUIRE_EQ(uvm_load(vm, BASE, &c, 1, NULL), 0);
	ATF_REQUIRE_EQ(c, 'x');
	uvmspace_free(vm);
	h_shutdown();
}

/* inherit and advice over partial ranges; bad values are EINVAL */
ATF_TC_WITHOUT_HEAD(inherit_and_advice_partial);
ATF_TC_BODY(inherit_and_advice_partial, tc)
{
	struct vmspace *vm;

	h_boot(256, 4096);
	vm = t_vmspace();
	t_map_anon(vm, BASE, 6, ANONRW);
	ATF_REQUIRE_EQ(uvm_map_inherit(&vm->vm_map, BASE + PG(4), BASE + PG(6),
			   MAP_INHERIT_SHARE),
	    0);
	ATF_REQUIRE_EQ(uvm_map_advice(&vm->vm_map, BASE, BASE + PG(1),
			   UVM_ADV_SEQUENTIAL),
	    0);
	ATF_REQUIRE_EQ(vm->vm_map.nentries, 3);
	ATF_REQUIRE_EQ(t_entry(vm, BASE)->advice, UVM_ADV_SEQUENTIAL);
	ATF_REQUIRE_EQ(t_entry(vm, BASE)->inheritance, MAP_INHERIT_COPY);
	ATF_REQUIRE_EQ(t_entry(vm, BASE + PG(1))->advice, UVM_ADV_NORMAL);
	ATF_REQUIRE_EQ(t_entry(vm, BASE + PG(5))->inheritance,
	    MAP_INHERIT_SHARE);
	ATF_REQUIRE_EQ(uvm_map_inherit(&vm->vm_map, BASE, BASE + PG(1), 17),
	    EINVAL);
	ATF_REQUIRE_EQ(uvm_map_advice(&vm->vm_map, BASE, BASE + PG(1), 9),
	    EINVAL);
	ATF_REQUIRE_EQ(vm->vm_map.nentries, 3);
	t_map_ok(vm);
	uvmspace_free(vm);
	h_shutdown();
}

/*
 * unmap in the middle of an entry, across entries, and of a hole
 *
 *	AAAAAAAA BBBB
 *	AA....AA .BBB
 */
ATF_TC_WITHOUT_HEAD(unmap_clips_and_frees);
ATF_TC_BODY(unmap_clips_and_frees, tc)
{
	struct vmspace *vm;
	int free0, i;
	char c = 1;

	h_boot(256, 4096);
	vm = t_vmspace();
	t_map_anon(vm, BASE, 8, ANONRW);
	t_map_anon(vm, BASE + PG(9), 4, ANONRW);
	free0 = uvmexp.free;
	for (i = 0; i < 8; i++)
		ATF_REQUIRE_EQ(uvm_store(vm, BASE + PG(i), &c, 1, NULL), 0);
	ATF_REQUIRE_EQ(uvmexp.free, free0 - 8);
	ATF_REQUIRE_EQ(uvm_unmap(&vm->vm_map, BASE + PG(2), BASE + PG(6)), 0);
	/* the amap's per-page references free the four pages at once */
	ATF_REQUIRE_EQ(uvmexp.free, free0 - 4);
	ATF_REQUIRE_EQ(uvm_unmap(&vm->vm_map, BASE + PG(8), BASE + PG(10)), 0);
	ATF_REQUIRE_EQ(vm->vm_map.nentries, 3);
	ATF_REQUIRE_EQ(vm->vm_map.size, PG(7));
	ATF_REQUIRE_EQ(uvm_load(vm, BASE + PG(3), &c, 1, NULL), SIGSEGV);
	ATF_REQUIRE_EQ(uvm_load(vm, BASE + PG(7), &c, 1, NULL), 0);
	ATF_REQUIRE_EQ(c, 1);
	ATF_REQUIRE_EQ(uvm_unmap(&vm->vm_map, BASE + 1, BASE + PG(2)), EINVAL);
	t_map_ok(vm);
	h_check();
	uvmspace_free(vm);
	ATF_REQUIRE_EQ(uvmexp.free, free0);
	h_shutdown();
}

/*
 * wiring: pages come in and stay; counts nest, but one unwire undoes
 * them all (as one munlock does) and the pages go back to the paging
 * queues.
 */
ATF_TC_WITHOUT_HEAD(pageable_wire_unwire);
ATF_TC_BODY(pageable_wire_unwire, tc)
{
	struct vmspace *vm;
	int wired0;

	h_boot(256, 4096);
	vm = t_vmspace();
	wired0 = uvmexp.wired;
	t_map_anon(vm, BASE, 8, ANONRW);
	ATF_REQUIRE_EQ(uvm_map_pageable(&vm->vm_map, BASE + PG(2), BASE + PG(4),
			   false),
	    0);
	ATF_REQUIRE_EQ(uvmexp.wired, wired0 + 2);
	ATF_REQUIRE_EQ(t_entry(vm, BASE + PG(2))->wired_count, 1);
	ATF_REQUIRE_EQ(pmap_wired_count(vm->vm_map.pmap), 2);
	ATF_REQUIRE_EQ(vm->vm_map.nentries, 3);
	/* nested */
	ATF_REQUIRE_EQ(uvm_map_pageable(&vm->vm_map, BASE + PG(2), BASE + PG(4),
			   false),
	    0);
	ATF_REQUIRE_EQ(t_entry(vm, BASE + PG(2))->wired_count, 2);
	ATF_REQUIRE_EQ(uvmexp.wired, wired0 + 2);
	ATF_REQUIRE_EQ(uvm_map_pageable(&vm->vm_map, BASE + PG(2), BASE + PG(4),
			   true),
	    0);
	ATF_REQUIRE_EQ(uvmexp.wired, wired0);
	ATF_REQUIRE_EQ(t_entry(vm, BASE + PG(2))->wired_count, 0);
	ATF_REQUIRE_EQ(uvm_map_pageable(&vm->vm_map, BASE + PG(2), BASE + PG(4),
			   true),
	    EINVAL);
	ATF_REQUIRE_EQ(pmap_wired_count(vm->vm_map.pmap), 0);
	/* unwiring what is not wired, wiring a hole */
	ATF_REQUIRE_EQ(uvm_map_pageable(&vm->vm_map, BASE, BASE + PG(1), true),
	    EINVAL);
	ATF_REQUIRE_EQ(uvm_map_pageable(&vm->vm_map, BASE + PG(6),
			   BASE + PG(10), false),
	    EFAULT);
	ATF_REQUIRE_EQ(t_entry(vm, BASE + PG(7))->wired_count, 0);
	h_check();
	uvmspace_free(vm);
	h_shutdown();
}

/* a PROT_NONE range cannot be wired: EINVAL, as NetBSD says */
ATF_TC_WITHOUT_HEAD(pageable_prot_none_refused);
ATF_TC_BODY(pageable_prot_none_refused, tc)
{
	struct vmspace *vm;

	h_boot(256, 4096);
	vm = t_vmspace();
	t_map_anon(vm, BASE, 4, ANONRW);
	uvm_map_protect(&vm->vm_map, BASE + PG(2), BASE + PG(4), VM_PROT_NONE,
	    false);
	ATF_REQUIRE_EQ(uvm_map_pageable(&vm->vm_map, BASE, BASE + PG(4), false),
	    EINVAL);
	ATF_REQUIRE_EQ(uvmexp.wired, 0);
	ATF_REQUIRE_EQ(t_entry(vm, BASE)->wired_count, 0);
	h_check();
	uvmspace_free(vm);
	h_shutdown();
}

/* wiring that runs out of memory half-way undoes itself */
ATF_TC_WITHOUT_HEAD(pageable_failure_undoes);
ATF_TC_BODY(pageable_failure_undoes, tc)
{
	struct vmspace *vm;
	int free0;

	h_boot(256, 4096);
	vm = t_vmspace();
	t_map_anon(vm, BASE, 4, ANONRW | UVM_FLAG_NOMERGE);
	t_map_anon(vm, BASE + PG(4), 4, ANONRW | UVM_FLAG_NOMERGE);
	free0 = uvmexp.free;
	/* the sixth page cannot be had */
	failpoint_arm(FP_PAGE, 5, 1);
	ATF_REQUIRE_EQ(uvm_map_pageable(&vm->vm_map, BASE, BASE + PG(8), false),
	    ENOMEM);
	ATF_REQUIRE_EQ(uvmexp.wired, 0);
	ATF_REQUIRE_EQ(t_entry(vm, BASE)->wired_count, 0);
	ATF_REQUIRE_EQ(t_entry(vm, BASE + PG(4))->wired_count, 0);
	ATF_REQUIRE_EQ(pmap_wired_count(vm->vm_map.pmap), 0);
	ATF_REQUIRE(uvmexp.free <= free0);
	h_check();
	/* and works once memory is there */
	ATF_REQUIRE_EQ(uvm_map_pageable(&vm->vm_map, BASE, BASE + PG(8), false),
	    0);
	ATF_REQUIRE_EQ(uvmexp.wired, 8);
	h_check();
	uvmspace_free(vm);
	ATF_REQUIRE_EQ(uvmexp.wired, 0);
	h_shutdown();
}

/* every map-entry allocation failing leaves the map as it was */
ATF_TC_WITHOUT_HEAD(mapent_failure_changes_nothing);
ATF_TC_BODY(mapent_failure_changes_nothing, tc)
{
	struct vmspace *vm;
	vaddr_t va;

	h_boot(256, 4096);
	vm = t_vmspace();
	t_map_anon(vm, BASE, 8, ANONRW);
	failpoint_arm(FP_MAPENT, 0, FAILPOINT_FOREVER);
	ATF_REQUIRE_EQ(uvm_map_protect(&vm->vm_map, BASE + PG(2), BASE + PG(4),
			   VM_PROT_READ, false),
	    ENOMEM);
	ATF_REQUIRE_EQ(uvm_map_inherit(&vm->vm_map, BASE + PG(1), BASE + PG(4),
			   MAP_INHERIT_NONE),
	    ENOMEM);
	ATF_REQUIRE_EQ(uvm_unmap(&vm->vm_map, BASE + PG(3), BASE + PG(4)),
	    ENOMEM);
	va = BASE + PG(20);
	ATF_REQUIRE_EQ(uvm_map(&vm->vm_map, &va, PG(1), NULL, 0, 0, ANONRW),
	    ENOMEM);
	/* whole entries need no new entry */
	ATF_REQUIRE_EQ(uvm_map_protect(&vm->vm_map, BASE, BASE + PG(8),
			   VM_PROT_READ, false),
	    0);
	failpoint_disarm(FP_MAPENT);
	ATF_REQUIRE_EQ(vm->vm_map.nentries, 1);
	ATF_REQUIRE_EQ(t_entry(vm, BASE)->inheritance, MAP_INHERIT_COPY);
	t_map_ok(vm);
	uvmspace_free(vm);
	h_shutdown();
}

/* the checker catches corrupted maps */
ATF_TC_WITHOUT_HEAD(check_catches_corruption);
ATF_TC_BODY(check_catches_corruption, tc)
{
	struct vm_map_entry *e;
	struct vmspace *vm;
	struct kcheck kc;

	h_boot(256, 4096);
	vm = t_vmspace();
	t_map_anon(vm, BASE, 2, ANONRW | UVM_FLAG_NOMERGE);
	t_map_anon(vm, BASE + PG(4), 2, ANONRW | UVM_FLAG_NOMERGE);
	e = t_entry(vm, BASE);

	e->end = BASE + PG(5); /* overlaps the next */
	kcheck_init(&kc);
	ATF_REQUIRE(uvm_map_check(&vm->vm_map, &kc) > 0);
	e->end = BASE + PG(2);

	vm->vm_map.size += PAGE_SIZE;
	kcheck_init(&kc);
	ATF_REQUIRE(uvm_map_check(&vm->vm_map, &kc) > 0);
	ATF_REQUIRE(strstr(kc.kc_msg, "size") != NULL);
	vm->vm_map.size -= PAGE_SIZE;

	vm->vm_map.nentries++;
	kcheck_init(&kc);
	ATF_REQUIRE(uvm_map_check(&vm->vm_map, &kc) > 0);
	vm->vm_map.nentries--;

	e->protection = VM_PROT_ALL;
	e->max_protection = VM_PROT_READ;
	kcheck_init(&kc);
	ATF_REQUIRE(uvm_map_check(&vm->vm_map, &kc) > 0);
	e->protection = RW;
	e->max_protection = VM_PROT_ALL;

	t_map_ok(vm);
	uvmspace_free(vm);
	h_shutdown();
}

/* the lock discipline is asserted */
ATF_TC_WITHOUT_HEAD(lock_discipline);
ATF_TC_BODY(lock_discipline, tc)
{
	struct vmspace *vm;

	h_boot(256, 4096);
	vm = t_vmspace();
	vm_map_lock_read(&vm->vm_map);
	vm_map_lock_read(&vm->vm_map);
	ATF_REQUIRE(!vm_map_lock_try(&vm->vm_map));
	vm_map_unlock_read(&vm->vm_map);
	vm_map_upgrade(&vm->vm_map);
	ATF_REQUIRE(vm_map_locked_p(&vm->vm_map));
	vm_map_downgrade(&vm->vm_map);
	vm_map_unlock_read(&vm->vm_map);
	ATF_REQUIRE(vm_map_lock_try(&vm->vm_map));
	H_REQUIRE_PANIC(vm_map_lock(&vm->vm_map), "already locked");
}

/*
 * copy-on-write entries merging into their neighbour (amap_copy ->
 * uvm_mapent_trymerge), so that memory written in order stays one map
 * entry instead of one per UVM_AMAP_CHUNK-page chunk.  In the pictures
 * below, one character per chunk: `n' a needs-copy part with no amap of
 * its own, `A' and `B' amaps.
 */

#define NPAGES	1024 /* 64 chunks, well over UVM_AMAP_LARGE */
/*
 * the merges of NPAGES written in order: a chunk at a time while what is
 * left needs-copy is UVM_AMAP_LARGE pages or more, then the rest at once
 */
#define NMERGES ((NPAGES - UVM_AMAP_LARGE) / UVM_AMAP_CHUNK + 1)
#define ANON(in)                                           \
	UVM_MAPFLAG(RW, VM_PROT_ALL, (in), UVM_ADV_NORMAL, \
	    UVM_FLAG_FIXED | UVM_FLAG_COPYONW)

/* the byte written at page p by writer w (both sides of a fork differ) */
static char
t_byte(int w, int p)
{
	return (char)(w * 31 + p * 7 + 1);
}

/* writer w stores its byte at the start and the end of page p */
static void
t_write(struct vmspace *vm, int w, int p)
{
	char c = t_byte(w, p);

	ATF_REQUIRE_EQ_MSG(uvm_store(vm, BASE + PG(p), &c, 1, NULL), 0,
	    "store at page %d", p);
	ATF_REQUIRE_EQ(uvm_store(vm, BASE + PG(p + 1) - 1, &c, 1, NULL), 0);
}

/* page p holds writer w's bytes, and zeros between them */
static void
t_holds(struct vmspace *vm, int w, int p)
{
	char buf[PAGE_SIZE];
	size_t i;

	ATF_REQUIRE_EQ(uvm_load(vm, BASE + PG(p), buf, sizeof(buf), NULL), 0);
	ATF_REQUIRE_EQ_MSG(buf[0], t_byte(w, p), "page %d: %d, not %d", p,
	    buf[0], t_byte(w, p));
	ATF_REQUIRE_EQ(buf[PAGE_SIZE - 1], t_byte(w, p));
	for (i = 1; i < PAGE_SIZE - 1; i++)
		ATF_REQUIRE_EQ_MSG(buf[i], 0, "page %d byte %zu", p, i);
}

/* boot a machine of ramp pages: a space with NPAGES needs-copy at BASE */
static struct vmspace *
t_boot_anon(size_t ramp, int inh)
{
	struct vmspace *vm;

	h_boot(ramp, 4096);
	vm = t_vmspace();
	t_map_anon(vm, BASE, NPAGES, ANON(inh));
	return vm;
}

/*
 * vm's NPAGES, written once by writer 0, are one entry with one amap,
 * made by NMERGES merges, and every page holds its bytes
 */
static void
t_merged_whole(struct vmspace *vm)
{
	struct vm_map_entry *e = t_entry(vm, BASE);
	int p;

	ATF_REQUIRE_EQ(vm->vm_map.nentries, 1);
	ATF_REQUIRE_EQ(uvmexp.namap, 1);
	ATF_REQUIRE_EQ(uvmexp.map_copymerges, NMERGES);
	ATF_REQUIRE(e->start == BASE && e->end == BASE + PG(NPAGES));
	ATF_REQUIRE(!UVM_ET_ISNEEDSCOPY(e));
	for (p = 0; p < NPAGES; p++)
		t_holds(vm, 0, p);
	h_check();
}

/*
 * pages written in order, first to last: each fault's chunk joins the
 * entry before it, whose amap grows forward.
 *
 *	n n n n ... n      one needs-copy entry
 *	A n n n ... n      the first chunk gets amap A
 *	A A n n ... n      the second merges into it
 *	A A A A ... A      one entry, one amap
 */
ATF_TC_WITHOUT_HEAD(writes_in_order_stay_one_entry);
ATF_TC_BODY(writes_in_order_stay_one_entry, tc)
{
	struct vmspace *vm;
	int p;

	vm = t_boot_anon(2048, MAP_INHERIT_COPY);
	for (p = 0; p < NPAGES; p++)
		t_write(vm, 0, p);
	t_merged_whole(vm);
	uvmspace_free(vm);
	h_shutdown();
}

/*
 * pages written last to first: each chunk joins the entry after it,
 * whose amap grows backward (its slots move up now and then, and the
 * room left before them is used first).
 */
ATF_TC_WITHOUT_HEAD(writes_in_reverse_stay_one_entry);
ATF_TC_BODY(writes_in_reverse_stay_one_entry, tc)
{
	struct vmspace *vm;
	int p;

	vm = t_boot_anon(2048, MAP_INHERIT_COPY);
	for (p = NPAGES - 1; p >= 0; p--) {
		t_write(vm, 0, p);
		if (p % (5 * UVM_AMAP_CHUNK) == 0)
			h_check();
	}
	t_merged_whole(vm);
	uvmspace_free(vm);
	h_shutdown();
}

/*
 * a child writing its copy-on-write memory in order: each chunk is
 * copied from the amap it shares with the parent straight into the
 * child's growing amap.  Both sides keep their own bytes.
 */
ATF_TC_WITHOUT_HEAD(cow_writes_after_fork_stay_one_entry);
ATF_TC_BODY(cow_writes_after_fork_stay_one_entry, tc)
{
	struct vmspace *parent, *child;
	int p;

	parent = t_boot_anon(4096, MAP_INHERIT_COPY);
	for (p = 0; p < NPAGES; p++)
		t_write(parent, 0, p);
	child = uvmspace_fork(parent);
	ATF_REQUIRE(child != NULL);
	ATF_REQUIRE_EQ(child->vm_map.nentries, 1);
	/* the child writes every other page: the rest stays shared */
	for (p = 0; p < NPAGES; p += 2)
		t_write(child, 1, p);
	ATF_REQUIRE_EQ(child->vm_map.nentries, 1);
	ATF_REQUIRE_EQ(t_entry(child, BASE)->end, BASE + PG(NPAGES));
	ATF_REQUIRE_EQ(uvmexp.map_copymerges, 2 * (NMERGES));
	h_check();
	for (p = 0; p < NPAGES; p++) {
		t_holds(parent, 0, p);
		t_holds(child, p % 2 == 0 ? 1 : 0, p);
	}
	/* the parent writes too: its pages now copy, the child's stay */
	for (p = 1; p < NPAGES; p += 2)
		t_write(parent, 2, p);
	ATF_REQUIRE_EQ(parent->vm_map.nentries, 1);
	for (p = 0; p < NPAGES; p++) {
		t_holds(parent, p % 2 == 0 ? 0 : 2, p);
		t_holds(child, p % 2 == 0 ? 1 : 0, p);
	}
	h_check();
	uvmspace_free(child);
	h_check();
	for (p = 0; p < NPAGES; p++)
		t_holds(parent, p % 2 == 0 ? 0 : 2, p);
	uvmspace_free(parent);
	h_shutdown();
}

/*
 * a neighbour that is wired, or has another protection or advice, is
 * not merged into: the chunk after it gets its own entry.
 *
 *	A n n ...   A wired / read-only / random  ->  A B n ...
 */
ATF_TC_WITHOUT_HEAD(merge_stops_at_incompatible_neighbour);
ATF_TC_BODY(merge_stops_at_incompatible_neighbour, tc)
{
	struct vmspace *vm;
	vaddr_t chunk;
	int p, n;

	h_boot(2048, 4096);
	chunk = PG(UVM_AMAP_CHUNK);
	vm = t_vmspace();
	t_map_anon(vm, BASE, NPAGES, ANON(MAP_INHERIT_COPY));
	/* chunk 0: wired */
	t_write(vm, 0, 0);
	ATF_REQUIRE_EQ(uvm_map_pageable(&vm->vm_map, BASE, BASE + chunk, false),
	    0);
	t_write(vm, 0, UVM_AMAP_CHUNK);
	ATF_REQUIRE_EQ(t_entry(vm, BASE)->end, BASE + chunk);
	ATF_REQUIRE_EQ(t_entry(vm, BASE + chunk)->start, BASE + chunk);
	/* chunk 2 merges into chunk 1, which is not wired */
	t_write(vm, 0, 2 * UVM_AMAP_CHUNK);
	ATF_REQUIRE_EQ(t_entry(vm, BASE + chunk)->end, BASE + 3 * chunk);
	ATF_REQUIRE_EQ(uvmexp.map_copymerges, 1);
	/* chunks 1-2 read-only: chunk 3 does not join them */
	ATF_REQUIRE_EQ(uvm_map_protect(&vm->vm_map, BASE + chunk,
			   BASE + 3 * chunk, VM_PROT_READ, false),
	    0);
	t_write(vm, 0, 3 * UVM_AMAP_CHUNK);
	ATF_REQUIRE_EQ(t_entry(vm, BASE + 3 * chunk)->start, BASE + 3 * chunk);
	/* chunk 3 random advice: chunk 4 does not join it */
	ATF_REQUIRE_EQ(uvm_map_advice(&vm->vm_map, BASE + 3 * chunk,
			   BASE + 4 * chunk, UVM_ADV_RANDOM),
	    0);
	t_write(vm, 0, 4 * UVM_AMAP_CHUNK);
	ATF_REQUIRE_EQ(t_entry(vm, BASE + 4 * chunk)->start, BASE + 4 * chunk);
	ATF_REQUIRE_EQ(uvmexp.map_copymerges, 1);
	/* A | BB | C | D | rest */
	n = vm->vm_map.nentries;
	ATF_REQUIRE_EQ(n, 5);
	h_check();
	for (p = 0; p <= 4; p++)
		t_holds(vm, 0, p * UVM_AMAP_CHUNK);
	uvmspace_free(vm);
	h_shutdown();
}

/*
 * an amap shared with another map (share inheritance) is never grown:
 * the needs-copy mapping after it, mapped once the first chunk was
 * shared by fork, gets an amap of its own, and the child sees none of
 * it.
 *
 *	parent  A n n n ...     A shared with the child
 *	child   A
 */
ATF_TC_WITHOUT_HEAD(shared_amap_is_never_extended);
ATF_TC_BODY(shared_amap_is_never_extended, tc)
{
	struct vmspace *parent, *child;
	struct vm_amap *amap;
	vaddr_t va;
	char c;

	h_boot(2048, 4096);
	va = BASE + PG(UVM_AMAP_CHUNK);
	parent = t_vmspace();
	t_map_anon(parent, BASE, UVM_AMAP_CHUNK, ANON(MAP_INHERIT_SHARE));
	t_write(parent, 0, 0);
	amap = t_entry(parent, BASE)->aref.ar_amap;
	ATF_REQUIRE(amap != NULL && amap->am_nslot == UVM_AMAP_CHUNK);
	child = uvmspace_fork(parent);
	ATF_REQUIRE(child != NULL);
	ATF_REQUIRE(amap_flags(amap) & AMAP_SHARED);
	ATF_REQUIRE_EQ(uvm_map(&parent->vm_map, &va, PG(NPAGES), NULL, 0, 0,
			   ANON(MAP_INHERIT_SHARE)),
	    0);
	ATF_REQUIRE_EQ(parent->vm_map.nentries, 2);
	t_write(parent, 0, UVM_AMAP_CHUNK);
	ATF_REQUIRE_EQ(amap->am_nslot, UVM_AMAP_CHUNK);
	ATF_REQUIRE_EQ(t_entry(parent, BASE)->end, BASE + PG(UVM_AMAP_CHUNK));
	ATF_REQUIRE(t_entry(parent, va)->aref.ar_amap != amap);
	ATF_REQUIRE_EQ(uvmexp.map_copymerges, 0);
	h_check();
	t_holds(child, 0, 0);
	ATF_REQUIRE(uvm_load(child, va, &c, 1, NULL) != 0);
	/* once the child is gone the amap is the parent's alone again */
	uvmspace_free(child);
	t_write(parent, 0, 2 * UVM_AMAP_CHUNK);
	ATF_REQUIRE_EQ(uvmexp.map_copymerges, 1);
	h_check();
	uvmspace_free(parent);
	h_shutdown();
}

/*
 * a neighbour whose amap would have to grow, when the amap failpoint
 * refuses, is left alone: the chunk gets an amap of its own instead.
 */
ATF_TC_WITHOUT_HEAD(merge_refused_by_failpoint_gets_own_amap);
ATF_TC_BODY(merge_refused_by_failpoint_gets_own_amap, tc)
{
	struct vmspace *vm;
	int p;

	vm = t_boot_anon(2048, MAP_INHERIT_COPY);
	t_write(vm, 0, 0);
	/* the first amap has no spare slots: growing asks the failpoint */
	failpoint_arm(FP_AMAP, 0, 1);
	t_write(vm, 0, UVM_AMAP_CHUNK);
	ATF_REQUIRE_EQ(vm->vm_map.nentries, 3);
	ATF_REQUIRE_EQ(uvmexp.namap, 2);
	ATF_REQUIRE_EQ(uvmexp.map_copymerges, 0);
	/* later chunks merge again, into the second entry */
	for (p = UVM_AMAP_CHUNK + 1; p < 4 * UVM_AMAP_CHUNK; p++)
		t_write(vm, 0, p);
	ATF_REQUIRE_EQ(vm->vm_map.nentries, 3);
	ATF_REQUIRE_EQ(uvmexp.map_copymerges, 2);
	h_check();
	t_holds(vm, 0, 0);
	for (p = UVM_AMAP_CHUNK; p < 4 * UVM_AMAP_CHUNK; p++)
		t_holds(vm, 0, p);
	uvmspace_free(vm);
	h_shutdown();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, adjacent_mappings_merge);
	ATF_TP_ADD_TC(tp, map_refusals);
	ATF_TP_ADD_TC(tp, fixed_unmap_replaces);
	ATF_TP_ADD_TC(tp, findspace_first_fit);
	ATF_TP_ADD_TC(tp, lookup_entry);
	ATF_TP_ADD_TC(tp, protect_partial_range_clips);
	ATF_TP_ADD_TC(tp, protect_reaches_pmap);
	ATF_TP_ADD_TC(tp, inherit_and_advice_partial);
	ATF_TP_ADD_TC(tp, unmap_clips_and_frees);
	ATF_TP_ADD_TC(tp, pageable_wire_unwire);
	ATF_TP_ADD_TC(tp, pageable_prot_none_refused);
	ATF_TP_ADD_TC(tp, pageable_failure_undoes);
	ATF_TP_ADD_TC(tp, mapent_failure_changes_nothing);
	ATF_TP_ADD_TC(tp, check_catches_corruption);
	ATF_TP_ADD_TC(tp, lock_discipline);
	ATF_TP_ADD_TC(tp, writes_in_order_stay_one_entry);
	ATF_TP_ADD_TC(tp, writes_in_reverse_stay_one_entry);
	ATF_TP_ADD_TC(tp, cow_writes_after_fork_stay_one_entry);
	ATF_TP_ADD_TC(tp, merge_stops_at_incompatible_neighbour);
	ATF_TP_ADD_TC(tp, shared_amap_is_never_extended);
	ATF_TP_ADD_TC(tp, merge_refused_by_failpoint_gets_own_amap);
	return atf_no_error();
}
