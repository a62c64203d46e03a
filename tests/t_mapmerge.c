/*
 * t_mapmerge.c: copy-on-write entries merging into their neighbour
 * (amap_copy -> uvm_mapent_trymerge), so that memory written in order
 * stays one map entry instead of one per UVM_AMAP_CHUNK-page chunk.
 *
 * Pictures: one character per chunk of UVM_AMAP_CHUNK pages; `n' a
 * needs-copy part with no amap of its own, `A' and `B' amaps.
 */

#include <errno.h>
#include <string.h>

#include "h_util.h"
#include "uvm/uvm.h"

#define PG(n)	((vaddr_t)(n)*PAGE_SIZE)
#define BASE	((vaddr_t)0x1000000)
#define RW	(VM_PROT_READ | VM_PROT_WRITE)
#define NPAGES	1024 /* 64 chunks, well over UVM_AMAP_LARGE */
/*
 * the merges of NPAGES written in order: a chunk at a time while what is
 * left needs-copy is UVM_AMAP_LARGE pages or more, then the rest at once
 */
#define NMERGES ((NPAGES - UVM_AMAP_LARGE) / UVM_AMAP_CHUNK + 1)
#define ANON(in)                                           \
	UVM_MAPFLAG(RW, VM_PROT_ALL, (in), UVM_ADV_NORMAL, \
	    UVM_FLAG_FIXED | UVM_FLAG_COPYONW)

static struct vmspace *
t_vmspace(void)
{
	return uvmspace_alloc(VM_MIN_ADDRESS, VM_MAXUSER_ADDRESS);
}

/* npages of private anonymous memory at BASE, needs-copy, no amap */
static void
t_map_anon(struct vmspace *vm, int npages, int inh)
{
	vaddr_t va = BASE;

	ATF_REQUIRE_EQ(uvm_map(&vm->vm_map, &va, PG(npages), NULL, 0, 0,
			   ANON(inh)),
	    0);
}

static struct vm_map_entry *
t_entry(struct vmspace *vm, vaddr_t va)
{
	struct vm_map_entry *e;

	ATF_REQUIRE_MSG(uvm_map_lookup_entry(&vm->vm_map, va, &e),
	    "no entry at 0x%llx", (unsigned long long)va);
	return e;
}

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
	struct vm_map_entry *e;
	struct vmspace *vm;
	int p;

	h_boot(2048, 4096);
	vm = t_vmspace();
	t_map_anon(vm, NPAGES, MAP_INHERIT_COPY);
	for (p = 0; p < NPAGES; p++)
		t_write(vm, 0, p);
	ATF_REQUIRE_EQ(vm->vm_map.nentries, 1);
	ATF_REQUIRE_EQ(uvmexp.namap, 1);
	ATF_REQUIRE_EQ(uvmexp.map_copymerges, NMERGES);
	e = t_entry(vm, BASE);
	ATF_REQUIRE(e->start == BASE && e->end == BASE + PG(NPAGES));
	ATF_REQUIRE(!UVM_ET_ISNEEDSCOPY(e));
	for (p = 0; p < NPAGES; p++)
		t_holds(vm, 0, p);
	h_check();
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

	h_boot(2048, 4096);
	vm = t_vmspace();
	t_map_anon(vm, NPAGES, MAP_INHERIT_COPY);
	for (p = NPAGES - 1; p >= 0; p--) {
		t_write(vm, 0, p);
		if (p % (5 * UVM_AMAP_CHUNK) == 0)
			h_check();
	}
	ATF_REQUIRE_EQ(vm->vm_map.nentries, 1);
	ATF_REQUIRE_EQ(uvmexp.namap, 1);
	ATF_REQUIRE_EQ(uvmexp.map_copymerges, NMERGES);
	for (p = 0; p < NPAGES; p++)
		t_holds(vm, 0, p);
	h_check();
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

	h_boot(4096, 4096);
	parent = t_vmspace();
	t_map_anon(parent, NPAGES, MAP_INHERIT_COPY);
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
	t_map_anon(vm, NPAGES, MAP_INHERIT_COPY);
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
	t_map_anon(parent, UVM_AMAP_CHUNK, MAP_INHERIT_SHARE);
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

	h_boot(2048, 4096);
	vm = t_vmspace();
	t_map_anon(vm, NPAGES, MAP_INHERIT_COPY);
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
	ATF_TP_ADD_TC(tp, writes_in_order_stay_one_entry);
	ATF_TP_ADD_TC(tp, writes_in_reverse_stay_one_entry);
	ATF_TP_ADD_TC(tp, cow_writes_after_fork_stay_one_entry);
	ATF_TP_ADD_TC(tp, merge_stops_at_incompatible_neighbour);
	ATF_TP_ADD_TC(tp, shared_amap_is_never_extended);
	ATF_TP_ADD_TC(tp, merge_refused_by_failpoint_gets_own_amap);
	return atf_no_error();
}
