/*
 * t_map.c: address maps -- lookup, free space, clipping and merging,
 * protection, inheritance, advice, wiring, and the map checker.
 *
 * Pictures: one character per page, `.' for a hole.
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
	return atf_no_error();
}
