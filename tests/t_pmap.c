/*
 * t_pmap.c: the software MMU -- every pmap function, the R/M bits, the
 * TLB, pmap_collect, and the checker against corrupted tables.
 *
 * The real pmap.c is compiled into this program, so the corruption tests
 * can reach its page tables and TLB; the library's copy is not linked.
 */

#include "../src/machine/pmap.c"

#include <string.h>

#include "h_util.h"

#define RW  (VM_PROT_READ | VM_PROT_WRITE)
#define VA0 ((vaddr_t)0x10000000)

/* a page for the test's own use, owned by nobody and on no queue */
static struct vm_page *
t_page(void)
{
	struct vm_page *pg;

	pg = uvm_pagealloc(NULL, 0, NULL, 0);
	ATF_REQUIRE(pg != NULL);
	pg->flags &= ~(PG_BUSY | PG_FAKE);
	return pg;
}

static int
t_load(struct pmap *pm, vaddr_t va, unsigned char *out)
{
	void *p;
	int error;

	error = pmap_access(pm, va, VM_PROT_READ, &p);
	if (error == 0)
		*out = *(unsigned char *)p;
	return error;
}

static int
t_store(struct pmap *pm, vaddr_t va, unsigned char c)
{
	void *p;
	int error;

	error = pmap_access(pm, va, VM_PROT_WRITE, &p);
	if (error == 0)
		*(unsigned char *)p = c;
	return error;
}

static unsigned char *
t_bytes(struct vm_page *pg)
{
	return physmem_hostaddr(VM_PAGE_TO_PHYS(pg));
}

static int
t_pvcount(struct vm_page *pg)
{
	struct pv_cursor pc;
	struct pmap *pm;
	vaddr_t va;
	int n = 0;

	for (pc.pc_started = false; pmap_pv_next(pg, &pc, &pm, &va);)
		n++;
	return n;
}

/*
 * enter and extract:
 *
 *	VA0        VA0+1p     VA0+2p
 *	| pg       | (hole)   |
 */
ATF_TC_WITHOUT_HEAD(enter_extract);
ATF_TC_BODY(enter_extract, tc)
{
	struct vm_page *pg;
	struct pmap *pm;
	paddr_t pa;

	h_boot(64, 4096);
	pm = pmap_create();
	pg = t_page();
	ATF_REQUIRE_EQ(pmap_enter(pm, VA0, VM_PAGE_TO_PHYS(pg), RW, 0), 0);
	ATF_REQUIRE(pmap_extract(pm, VA0 + 123, &pa));
	ATF_REQUIRE_EQ(pa, VM_PAGE_TO_PHYS(pg) + 123);
	ATF_REQUIRE(!pmap_extract(pm, VA0 + PAGE_SIZE, &pa));
	ATF_REQUIRE(!pmap_extract(pm, VA0 - PAGE_SIZE, &pa));
	ATF_REQUIRE_EQ(pmap_resident_count(pm), 1);
	ATF_REQUIRE_EQ(pmap_wired_count(pm), 0);
	ATF_REQUIRE(pmap_page_is_mapped(pg));
	ATF_REQUIRE_EQ(t_pvcount(pg), 1);
	/* a fresh mapping entered with no access type is unreferenced */
	ATF_REQUIRE(!pmap_is_referenced(pg));
	ATF_REQUIRE(!pmap_is_modified(pg));
	h_check();
	pmap_destroy(pm);
	ATF_REQUIRE(!pmap_page_is_mapped(pg));
	uvm_pagefree(pg);
	h_shutdown();
}

/* the access type given to pmap_enter pre-sets R, or R and M */
ATF_TC_WITHOUT_HEAD(enter_access_type_sets_rm);
ATF_TC_BODY(enter_access_type_sets_rm, tc)
{
	struct vm_page *r, *w;
	struct pmap *pm;

	h_boot(64, 4096);
	pm = pmap_create();
	r = t_page();
	w = t_page();
	pmap_enter(pm, VA0, VM_PAGE_TO_PHYS(r), RW, VM_PROT_READ);
	pmap_enter(pm, VA0 + PAGE_SIZE, VM_PAGE_TO_PHYS(w), RW, VM_PROT_WRITE);
	ATF_REQUIRE(pmap_is_referenced(r));
	ATF_REQUIRE(!pmap_is_modified(r));
	ATF_REQUIRE(pmap_is_referenced(w));
	ATF_REQUIRE(pmap_is_modified(w));
	pmap_destroy(pm);
	/* the bits outlive the mappings: saved in the page attributes */
	ATF_REQUIRE(pmap_is_modified(w));
	ATF_REQUIRE(pmap_clear_modify(w));
	ATF_REQUIRE(!pmap_is_modified(w));
	uvm_pagefree(r);
	uvm_pagefree(w);
	h_shutdown();
}

/* loads set R only, stores set R and M, through the TLB or not */
ATF_TC_WITHOUT_HEAD(access_sets_referenced_and_modified);
ATF_TC_BODY(access_sets_referenced_and_modified, tc)
{
	struct vm_page *pg;
	struct pmap *pm;
	unsigned char c;

	h_boot(64, 4096);
	pm = pmap_create();
	pmap_activate(pm);
	pg = t_page();
	t_bytes(pg)[7] = 'x';
	pmap_enter(pm, VA0, VM_PAGE_TO_PHYS(pg), RW, 0);
	ATF_REQUIRE_EQ(t_load(pm, VA0 + 7, &c), 0);
	ATF_REQUIRE_EQ(c, 'x');
	ATF_REQUIRE(pmap_is_referenced(pg));
	ATF_REQUIRE(!pmap_is_modified(pg));
	/* a second load hits the TLB; still not modified */
	ATF_REQUIRE_EQ(t_load(pm, VA0, &c), 0);
	ATF_REQUIRE(!pmap_is_modified(pg));
	/* the first store must reach the PTE even though the TLB has it */
	ATF_REQUIRE_EQ(t_store(pm, VA0 + 8, 'y'), 0);
	ATF_REQUIRE(pmap_is_modified(pg));
	ATF_REQUIRE_EQ(t_bytes(pg)[8], 'y');
	h_check();
	pmap_destroy(pm);
	uvm_pagefree(pg);
	h_shutdown();
}

/*
 * clearing R or M must invalidate the TLB, or the next access would be
 * served from it and never set the bit again.
 */
ATF_TC_WITHOUT_HEAD(clear_bits_invalidate_tlb);
ATF_TC_BODY(clear_bits_invalidate_tlb, tc)
{
	struct vm_page *pg;
	struct pmap *pm;
	unsigned char c;
	uint64_t inval;

	h_boot(64, 4096);
	pm = pmap_create();
	pmap_activate(pm);
	pg = t_page();
	pmap_enter(pm, VA0, VM_PAGE_TO_PHYS(pg), RW, 0);
	ATF_REQUIRE_EQ(t_store(pm, VA0, 1), 0);
	ATF_REQUIRE_EQ(t_store(pm, VA0, 2), 0); /* TLB hit */

	inval = pmapcounters.tlb_inval;
	ATF_REQUIRE(pmap_clear_reference(pg));
	ATF_REQUIRE(!pmap_is_referenced(pg));
	ATF_REQUIRE(pmapcounters.tlb_inval > inval);
	ATF_REQUIRE(!pmap_clear_reference(pg)); /* nothing left to clear */
	ATF_REQUIRE_EQ(t_load(pm, VA0, &c), 0);
	ATF_REQUIRE(pmap_is_referenced(pg));

	ATF_REQUIRE(pmap_clear_modify(pg));
	ATF_REQUIRE(!pmap_is_modified(pg));
	ATF_REQUIRE_EQ(t_store(pm, VA0, 3), 0);
	ATF_REQUIRE(pmap_is_modified(pg));
	h_check();
	pmap_destroy(pm);
	uvm_pagefree(pg);
	h_shutdown();
}

/* pmap_protect lowers, never raises; without READ it removes */
ATF_TC_WITHOUT_HEAD(protect_lowers_only);
ATF_TC_BODY(protect_lowers_only, tc)
{
	struct vm_page *pg;
	struct pmap *pm;
	unsigned char c;

	h_boot(64, 4096);
	pm = pmap_create();
	pmap_activate(pm);
	pg = t_page();
	pmap_enter(pm, VA0, VM_PAGE_TO_PHYS(pg), RW, 0);
	ATF_REQUIRE_EQ(t_store(pm, VA0, 'a'),
	    0); /* loads a writable TLB entry */

	pmap_protect(pm, VA0, VA0 + PAGE_SIZE, VM_PROT_READ);
	ATF_REQUIRE_EQ(t_store(pm, VA0, 'b'), EACCES);
	ATF_REQUIRE_EQ(t_load(pm, VA0, &c), 0);
	ATF_REQUIRE_EQ(c, 'a');

	pmap_protect(pm, VA0, VA0 + PAGE_SIZE, VM_PROT_ALL);
	ATF_REQUIRE_EQ(t_store(pm, VA0, 'b'), EACCES);
	ATF_REQUIRE_EQ(pmap_access(pm, VA0, VM_PROT_EXECUTE, &(void *){ 0 }),
	    EACCES);

	pmap_protect(pm, VA0, VA0 + PAGE_SIZE, VM_PROT_NONE);
	ATF_REQUIRE(!pmap_extract(pm, VA0, NULL));
	ATF_REQUIRE_EQ(t_load(pm, VA0, &c), EFAULT);
	ATF_REQUIRE(!pmap_page_is_mapped(pg));
	ATF_REQUIRE_EQ(pmapcounters.faults_prot, 3);
	h_check();
	pmap_destroy(pm);
	uvm_pagefree(pg);
	h_shutdown();
}

/*
 * pmap_remove over a range that crosses leaf tables:
 *
 *	      leaf 0 | leaf 1
 *	[0][1] ... [n-2][n-1] | [n][n+1] ...   (pages, one per slot)
 *	        <---- removed ---->
 */
ATF_TC_WITHOUT_HEAD(remove_range_across_tables);
ATF_TC_BODY(remove_range_across_tables, tc)
{
	struct vm_page *pg[8];
	struct pmap *pm;
	vaddr_t base;
	unsigned char c;
	int i;

	h_boot(64, 4096);
	/* four pages below a leaf boundary, four above */
	base = 4 * (PAGE_SIZE / 8) * PAGE_SIZE - 4 * PAGE_SIZE;
	pm = pmap_create();
	pmap_activate(pm);
	for (i = 0; i < 8; i++) {
		pg[i] = t_page();
		pmap_enter(pm, base + ptoa(i), VM_PAGE_TO_PHYS(pg[i]), RW, 0);
		ATF_REQUIRE_EQ(t_load(pm, base + ptoa(i), &c), 0);
	}
	ATF_REQUIRE_EQ(pmap_resident_count(pm), 8);
	pmap_remove(pm, base + ptoa(2), base + ptoa(6));
	ATF_REQUIRE_EQ(pmap_resident_count(pm), 4);
	for (i = 0; i < 8; i++) {
		bool gone = i >= 2 && i < 6;

		ATF_CHECK_EQ_MSG(pmap_extract(pm, base + ptoa(i), NULL), !gone,
		    "page %d", i);
		/* no stale TLB entry survives the remove */
		ATF_CHECK_EQ_MSG(t_load(pm, base + ptoa(i), &c),
		    gone ? EFAULT : 0, "page %d", i);
		ATF_CHECK_EQ(pmap_page_is_mapped(pg[i]), !gone);
		/* the referenced bit of a removed mapping is kept */
		ATF_CHECK(pmap_is_referenced(pg[i]));
	}
	/* removing an empty range, or a hole, changes nothing */
	pmap_remove(pm, base, base);
	pmap_remove(pm, base + ptoa(2), base + ptoa(6));
	ATF_REQUIRE_EQ(pmap_resident_count(pm), 4);
	h_check();
	pmap_destroy(pm);
	for (i = 0; i < 8; i++)
		uvm_pagefree(pg[i]);
	h_shutdown();
}

/* re-entering va with another page replaces the mapping */
ATF_TC_WITHOUT_HEAD(enter_replaces_other_page);
ATF_TC_BODY(enter_replaces_other_page, tc)
{
	struct vm_page *p1, *p2;
	struct pmap *pm;
	unsigned char c;

	h_boot(64, 4096);
	pm = pmap_create();
	pmap_activate(pm);
	p1 = t_page();
	p2 = t_page();
	t_bytes(p2)[0] = '2';
	pmap_enter(pm, VA0, VM_PAGE_TO_PHYS(p1), RW, 0);
	ATF_REQUIRE_EQ(t_store(pm, VA0, '1'), 0); /* TLB holds p1 */
	pmap_enter(pm, VA0, VM_PAGE_TO_PHYS(p2), VM_PROT_READ, 0);
	ATF_REQUIRE_EQ(t_load(pm, VA0, &c), 0);
	ATF_REQUIRE_EQ(c, '2');
	ATF_REQUIRE_EQ(t_bytes(p1)[0], '1');
	ATF_REQUIRE(!pmap_page_is_mapped(p1));
	ATF_REQUIRE(pmap_is_modified(p1)); /* saved when replaced */
	ATF_REQUIRE(!pmap_is_modified(p2));
	ATF_REQUIRE_EQ(pmap_resident_count(pm), 1);
	h_check();
	pmap_destroy(pm);
	uvm_pagefree(p1);
	uvm_pagefree(p2);
	h_shutdown();
}

/* re-entering va with the same page changes prot and wiring, keeps R/M */
ATF_TC_WITHOUT_HEAD(enter_same_page_updates);
ATF_TC_BODY(enter_same_page_updates, tc)
{
	struct vm_page *pg;
	struct pmap *pm;

	h_boot(64, 4096);
	pm = pmap_create();
	pmap_activate(pm);
	pg = t_page();
	pmap_enter(pm, VA0, VM_PAGE_TO_PHYS(pg), VM_PROT_READ, VM_PROT_READ);
	ATF_REQUIRE_EQ(t_store(pm, VA0, 1), EACCES);
	pmap_enter(pm, VA0, VM_PAGE_TO_PHYS(pg), RW,
	    VM_PROT_WRITE | PMAP_WIRED);
	ATF_REQUIRE_EQ(t_pvcount(pg), 1);
	ATF_REQUIRE_EQ(pmap_wired_count(pm), 1);
	ATF_REQUIRE_EQ(t_store(pm, VA0, 1), 0);
	pmap_enter(pm, VA0, VM_PAGE_TO_PHYS(pg), RW, 0);
	ATF_REQUIRE_EQ(pmap_wired_count(pm), 0);
	ATF_REQUIRE(pmap_is_modified(pg));
	ATF_REQUIRE(pmap_is_referenced(pg));
	h_check();
	pmap_destroy(pm);
	uvm_pagefree(pg);
	h_shutdown();
}

/* pmap_unwire clears the wiring of one mapping */
ATF_TC_WITHOUT_HEAD(unwire);
ATF_TC_BODY(unwire, tc)
{
	struct vm_page *pg[2];
	struct pmap *pm;

	h_boot(64, 4096);
	pm = pmap_create();
	pg[0] = t_page();
	pg[1] = t_page();
	pmap_enter(pm, VA0, VM_PAGE_TO_PHYS(pg[0]), RW, PMAP_WIRED);
	pmap_enter(pm, VA0 + PAGE_SIZE, VM_PAGE_TO_PHYS(pg[1]), RW, PMAP_WIRED);
	ATF_REQUIRE_EQ(pmap_wired_count(pm), 2);
	pmap_unwire(pm, VA0);
	ATF_REQUIRE_EQ(pmap_wired_count(pm), 1);
	pmap_unwire(pm, VA0); /* already unwired: no change */
	ATF_REQUIRE_EQ(pmap_wired_count(pm), 1);
	ATF_REQUIRE_EQ(pmap_resident_count(pm), 2);
	h_check();
	pmap_destroy(pm);
	uvm_pagefree(pg[0]);
	uvm_pagefree(pg[1]);
	h_shutdown();
}

/*
 * one page, mapped writable in three pmaps; pmap_page_protect(READ)
 * write-protects every mapping, (NONE) removes every one.
 */
ATF_TC_WITHOUT_HEAD(page_protect_reaches_every_mapping);
ATF_TC_BODY(page_protect_reaches_every_mapping, tc)
{
	struct pmap *pm[3];
	struct vm_page *pg;
	unsigned char c;
	int i;

	h_boot(64, 4096);
	pg = t_page();
	for (i = 0; i < 3; i++) {
		pm[i] = pmap_create();
		pmap_activate(pm[i]);
		pmap_enter(pm[i], VA0 + ptoa(i), VM_PAGE_TO_PHYS(pg), RW, 0);
		ATF_REQUIRE_EQ(t_store(pm[i], VA0 + ptoa(i), 'a' + i), 0);
	}
	ATF_REQUIRE_EQ(t_pvcount(pg), 3);

	pmap_page_protect(pg, VM_PROT_READ);
	for (i = 0; i < 3; i++) {
		ATF_CHECK_EQ(t_store(pm[i], VA0 + ptoa(i), 'z'), EACCES);
		ATF_CHECK_EQ(t_load(pm[i], VA0 + ptoa(i), &c), 0);
		ATF_CHECK_EQ(c, 'c');
	}
	ATF_REQUIRE_EQ(t_pvcount(pg), 3);
	h_check();

	pmap_page_protect(pg, VM_PROT_NONE);
	ATF_REQUIRE(!pmap_page_is_mapped(pg));
	for (i = 0; i < 3; i++) {
		ATF_CHECK_EQ(t_load(pm[i], VA0 + ptoa(i), &c), EFAULT);
		ATF_CHECK_EQ(pmap_resident_count(pm[i]), 0);
	}
	ATF_REQUIRE(pmap_is_modified(pg));
	h_check();
	for (i = 0; i < 3; i++)
		pmap_destroy(pm[i]);
	uvm_pagefree(pg);
	h_shutdown();
}

/* pmap_page_protect with write allowed changes nothing */
ATF_TC_WITHOUT_HEAD(page_protect_all_is_noop);
ATF_TC_BODY(page_protect_all_is_noop, tc)
{
	struct vm_page *pg;
	struct pmap *pm;

	h_boot(64, 4096);
	pm = pmap_create();
	pmap_activate(pm);
	pg = t_page();
	pmap_enter(pm, VA0, VM_PAGE_TO_PHYS(pg), RW, 0);
	pmap_page_protect(pg, VM_PROT_ALL);
	ATF_REQUIRE_EQ(t_store(pm, VA0, 1), 0);
	pmap_destroy(pm);
	uvm_pagefree(pg);
	h_shutdown();
}

/*
 * kenter mappings are unmanaged: on no pv list, untouched by
 * pmap_page_protect, and only reachable through the kernel pmap.
 */
ATF_TC_WITHOUT_HEAD(kenter_kremove);
ATF_TC_BODY(kenter_kremove, tc)
{
	const vaddr_t kva = VM_MIN_KERNEL_ADDRESS + 0x100000;
	struct vm_page *pg;
	struct pmap *pm;
	unsigned char c;

	h_boot(64, 4096);
	pm = pmap_create();
	pmap_activate(pm);
	pg = t_page();
	t_bytes(pg)[1] = 'k';
	pmap_kenter_pa(kva, VM_PAGE_TO_PHYS(pg), RW);
	ATF_REQUIRE(!pmap_page_is_mapped(pg));
	ATF_REQUIRE_EQ(pmap_wired_count(pmap_kernel()), 1);
	ATF_REQUIRE_EQ(t_load(pmap_kernel(), kva + 1, &c), 0);
	ATF_REQUIRE_EQ(c, 'k');
	pmap_page_protect(pg, VM_PROT_NONE);
	ATF_REQUIRE_EQ(t_store(pmap_kernel(), kva, 'w'), 0);
	/* a user pmap cannot reach kernel addresses, nor the kernel user */
	ATF_REQUIRE_EQ(t_load(pm, kva, &c), EFAULT);
	ATF_REQUIRE_EQ(t_load(pmap_kernel(), VA0, &c), EFAULT);
	/* kernel entries are global: a pmap switch keeps them */
	pmap_activate(pmap_create());
	ATF_REQUIRE_EQ(t_load(pmap_kernel(), kva, &c), 0);
	h_check();
	pmap_kremove(kva, PAGE_SIZE);
	ATF_REQUIRE(!pmap_extract(pmap_kernel(), kva, NULL));
	ATF_REQUIRE_EQ(t_load(pmap_kernel(), kva, &c), EFAULT);
	ATF_REQUIRE_EQ(pmap_wired_count(pmap_kernel()), 0);
	h_check();
	pmap_destroy(pm);
	pmap_destroy(pmap_curpmap);
	uvm_pagefree(pg);
	h_shutdown();
}

/*
 * pmap_collect frees only table pages left without a live entry, and
 * never a wired mapping.  With 4 KiB pages, four levels:
 *
 *	root (L3) -- L2 --+-- slot 1 (1 GiB): L1 -- leaf: 3 unwired pages
 *	                  +-- slot 2 (2 GiB): L1 -- leaf: 1 wired page
 *	                  +-- slot 3 (3 GiB): L1 -- leaf: emptied by remove
 *
 * 1 + 1 + 3 * 2 = 8 table pages.  The collect removes the unwired
 * mappings and frees the tables of slots 1 and 3 (four pages); root, L2
 * and the wired page's two tables stay.
 */
ATF_TC_WITHOUT_HEAD(collect_frees_empty_tables_keeps_wired);
ATF_TC_BODY(collect_frees_empty_tables_keeps_wired, tc)
{
	const vaddr_t gib = (vaddr_t)1 << 30;
	struct vm_page *pg[5];
	struct pmap *pm;
	uint64_t freed;
	int i;

	h_boot(64, 4096);
	pm = pmap_create();
	for (i = 0; i < 5; i++)
		pg[i] = t_page();
	for (i = 0; i < 3; i++)
		pmap_enter(pm, gib + ptoa(i), VM_PAGE_TO_PHYS(pg[i]), RW, 0);
	pmap_enter(pm, 2 * gib, VM_PAGE_TO_PHYS(pg[3]), RW, PMAP_WIRED);
	pmap_enter(pm, 3 * gib, VM_PAGE_TO_PHYS(pg[4]), RW, 0);
	pmap_remove(pm, 3 * gib, 3 * gib + PAGE_SIZE);
	ATF_REQUIRE_EQ(pm->pm_ptpages, 8);
	ATF_REQUIRE_EQ(pmap_resident_count(pm), 4);

	freed = pmapcounters.ptp_collect;
	pmap_collect(pm);
	ATF_REQUIRE_EQ(pmapcounters.ptp_collect - freed, 4);
	ATF_REQUIRE_EQ(pm->pm_ptpages, 4);
	ATF_REQUIRE_EQ(pmap_resident_count(pm), 1);
	ATF_REQUIRE_EQ(pmap_wired_count(pm), 1);
	ATF_REQUIRE(pmap_extract(pm, 2 * gib, NULL));
	for (i = 0; i < 3; i++)
		ATF_REQUIRE(!pmap_page_is_mapped(pg[i]));
	h_check();

	/* collecting again finds nothing more to free */
	pmap_collect(pm);
	ATF_REQUIRE_EQ(pm->pm_ptpages, 4);
	/* the tables come back on demand */
	pmap_enter(pm, gib, VM_PAGE_TO_PHYS(pg[0]), RW, 0);
	ATF_REQUIRE_EQ(pm->pm_ptpages, 6);
	h_check();
	pmap_destroy(pm);
	for (i = 0; i < 5; i++)
		uvm_pagefree(pg[i]);
	h_shutdown();
}

/* pmap_copy gives dst src's managed, unwired mappings */
ATF_TC_WITHOUT_HEAD(copy_mappings);
ATF_TC_BODY(copy_mappings, tc)
{
	struct vm_page *pg[3], *other;
	struct pmap *src, *dst;
	unsigned char c;
	paddr_t pa;
	int i;

	h_boot(64, 4096);
	src = pmap_create();
	dst = pmap_create();
	for (i = 0; i < 3; i++) {
		pg[i] = t_page();
		t_bytes(pg[i])[0] = '0' + i;
	}
	other = t_page();
	pmap_enter(src, VA0, VM_PAGE_TO_PHYS(pg[0]), RW, 0);
	pmap_enter(src, VA0 + PAGE_SIZE, VM_PAGE_TO_PHYS(pg[1]), VM_PROT_READ,
	    0);
	pmap_enter(src, VA0 + 2 * PAGE_SIZE, VM_PAGE_TO_PHYS(pg[2]), RW,
	    PMAP_WIRED);
	/* dst already maps the second page's slot: it is kept */
	pmap_enter(dst, VA0 + PAGE_SIZE, VM_PAGE_TO_PHYS(other), RW, 0);

	pmap_copy(dst, src, VA0, 3 * PAGE_SIZE, VA0);
	ATF_REQUIRE(pmap_extract(dst, VA0, &pa));
	ATF_REQUIRE_EQ(pa, VM_PAGE_TO_PHYS(pg[0]));
	ATF_REQUIRE(pmap_extract(dst, VA0 + PAGE_SIZE, &pa));
	ATF_REQUIRE_EQ(pa, VM_PAGE_TO_PHYS(other));
	ATF_REQUIRE(!pmap_extract(dst, VA0 + 2 * PAGE_SIZE, NULL));
	ATF_REQUIRE_EQ(pmap_wired_count(dst), 0);
	ATF_REQUIRE_EQ(t_pvcount(pg[0]), 2);
	/* same protection as the source */
	ATF_REQUIRE_EQ(t_store(dst, VA0, 'w'), 0);
	ATF_REQUIRE_EQ(t_load(src, VA0, &c), 0);
	ATF_REQUIRE_EQ(c, 'w');
	h_check();

	/* into a different place */
	pmap_copy(dst, src, 2 * VA0, PAGE_SIZE * 2, VA0);
	ATF_REQUIRE(pmap_extract(dst, 2 * VA0 + PAGE_SIZE, &pa));
	ATF_REQUIRE_EQ(pa, VM_PAGE_TO_PHYS(pg[1]));
	ATF_REQUIRE_EQ(t_store(dst, 2 * VA0 + PAGE_SIZE, 'w'), EACCES);
	h_check();
	pmap_destroy(src);
	pmap_destroy(dst);
	for (i = 0; i < 3; i++)
		uvm_pagefree(pg[i]);
	uvm_pagefree(other);
	h_shutdown();
}

/*
 * two address spaces map the same va to different pages; switching
 * flushes the user part of the TLB, so each sees its own page.
 */
ATF_TC_WITHOUT_HEAD(activate_flushes_user_tlb);
ATF_TC_BODY(activate_flushes_user_tlb, tc)
{
	struct vm_page *pa, *pb;
	struct pmap *a, *b;
	unsigned char c;
	uint64_t flushes, misses;

	h_boot(64, 4096);
	a = pmap_create();
	b = pmap_create();
	pa = t_page();
	pb = t_page();
	t_bytes(pa)[0] = 'a';
	t_bytes(pb)[0] = 'b';
	pmap_enter(a, VA0, VM_PAGE_TO_PHYS(pa), RW, 0);
	pmap_enter(b, VA0, VM_PAGE_TO_PHYS(pb), RW, 0);

	pmap_activate(a);
	ATF_REQUIRE_EQ(t_load(a, VA0, &c), 0);
	ATF_REQUIRE_EQ(c, 'a');
	flushes = pmapcounters.tlb_flush;
	pmap_activate(b);
	ATF_REQUIRE_EQ(pmapcounters.tlb_flush, flushes + 1);
	ATF_REQUIRE_EQ(t_load(b, VA0, &c), 0);
	ATF_REQUIRE_EQ(c, 'b');
	pmap_activate(b); /* same pmap: no flush */
	ATF_REQUIRE_EQ(pmapcounters.tlb_flush, flushes + 1);

	/* an inactive pmap is translated by a walk, and never cached */
	misses = pmapcounters.tlb_miss;
	ATF_REQUIRE_EQ(t_load(a, VA0, &c), 0);
	ATF_REQUIRE_EQ(c, 'a');
	ATF_REQUIRE_EQ(t_load(a, VA0, &c), 0);
	ATF_REQUIRE_EQ(pmapcounters.tlb_miss, misses + 2);
	ATF_REQUIRE_EQ(t_load(b, VA0, &c), 0);
	ATF_REQUIRE_EQ(c, 'b');
	h_check();
	pmap_deactivate(b);
	pmap_destroy(a);
	pmap_destroy(b);
	uvm_pagefree(pa);
	uvm_pagefree(pb);
	h_shutdown();
}

/* the TLB serves repeated accesses without walking */
ATF_TC_WITHOUT_HEAD(tlb_hits);
ATF_TC_BODY(tlb_hits, tc)
{
	struct vm_page *pg;
	struct pmap *pm;
	unsigned char c;
	uint64_t hits, misses;
	int i;

	h_boot(64, 4096);
	pm = pmap_create();
	pmap_activate(pm);
	pg = t_page();
	pmap_enter(pm, VA0, VM_PAGE_TO_PHYS(pg), RW, 0);
	hits = pmapcounters.tlb_hit;
	misses = pmapcounters.tlb_miss;
	for (i = 0; i < 100; i++)
		ATF_REQUIRE_EQ(t_load(pm, VA0 + i, &c), 0);
	ATF_REQUIRE_EQ(pmapcounters.tlb_miss - misses, 1);
	ATF_REQUIRE_EQ(pmapcounters.tlb_hit - hits, 99);
	/* a store to a clean page must walk once to set M */
	ATF_REQUIRE_EQ(t_store(pm, VA0, 0), 0);
	ATF_REQUIRE_EQ(pmapcounters.tlb_miss - misses, 2);
	ATF_REQUIRE_EQ(t_store(pm, VA0, 0), 0);
	ATF_REQUIRE_EQ(pmapcounters.tlb_miss - misses, 2);
	pmap_destroy(pm);
	uvm_pagefree(pg);
	h_shutdown();
}

/* accesses with no translation, or out of the pmap's range */
ATF_TC_WITHOUT_HEAD(access_faults);
ATF_TC_BODY(access_faults, tc)
{
	struct pmap *pm;
	unsigned char c;

	h_boot(64, 4096);
	pm = pmap_create();
	ATF_REQUIRE_EQ(t_load(pm, VA0, &c), EFAULT);
	ATF_REQUIRE_EQ(t_load(pm, VM_MAXUSER_ADDRESS, &c), EFAULT);
	ATF_REQUIRE_EQ(t_load(pm, ~(vaddr_t)0, &c), EFAULT);
	ATF_REQUIRE_EQ(t_load(pmap_kernel(), VM_MAX_KERNEL_ADDRESS, &c),
	    EFAULT);
	ATF_REQUIRE_EQ(pmapcounters.faults_inval, 4);
	pmap_destroy(pm);
	h_shutdown();
}

/* pmap_zero_page and pmap_copy_page move whole pages */
ATF_TC_WITHOUT_HEAD(zero_and_copy_page);
ATF_TC_BODY(zero_and_copy_page, tc)
{
	struct vm_page *a, *b;
	size_t i;

	h_boot(64, 4096);
	a = t_page();
	b = t_page();
	h_fill(t_bytes(a), PAGE_SIZE, 42);
	pmap_copy_page(VM_PAGE_TO_PHYS(a), VM_PAGE_TO_PHYS(b));
	ATF_REQUIRE(h_same(t_bytes(b), PAGE_SIZE, 42));
	pmap_zero_page(VM_PAGE_TO_PHYS(a));
	for (i = 0; i < PAGE_SIZE; i++)
		ATF_REQUIRE_EQ(t_bytes(a)[i], 0);
	ATF_REQUIRE(h_same(t_bytes(b), PAGE_SIZE, 42));
	uvm_pagefree(a);
	uvm_pagefree(b);
	h_shutdown();
}

/* pmap_destroy of a pmap that still maps pages releases everything */
ATF_TC_WITHOUT_HEAD(destroy_with_mappings);
ATF_TC_BODY(destroy_with_mappings, tc)
{
	struct vm_page *pg;
	struct pmap *pm;

	h_boot(64, 4096);
	pg = t_page();
	pm = pmap_create();
	pmap_reference(pm);
	pmap_enter(pm, VA0, VM_PAGE_TO_PHYS(pg), RW, PMAP_WIRED);
	pmap_destroy(pm); /* one reference left */
	ATF_REQUIRE(pmap_page_is_mapped(pg));
	pmap_destroy(pm);
	ATF_REQUIRE(!pmap_page_is_mapped(pg));
	ATF_REQUIRE_EQ(pmapcounters.pv_alloc, pmapcounters.pv_free);
	/* only the kernel pmap's root table is left */
	ATF_REQUIRE_EQ(pmapcounters.ptp_alloc - pmapcounters.ptp_free, 1);
	uvm_pagefree(pg);
	h_shutdown();
}

/*
 * PMAP_CANFAIL: a table page or pv entry that cannot be had fails the
 * enter with ENOMEM and leaves the old mapping alone.  Fail each of the
 * allocations in turn.
 */
ATF_TC_WITHOUT_HEAD(enter_canfail_leaves_old_mapping);
ATF_TC_BODY(enter_canfail_leaves_old_mapping, tc)
{
	const vaddr_t far = (vaddr_t)5 << 30;
	struct vm_page *p1, *p2;
	struct pmap *pm;
	unsigned long skip;
	paddr_t pa;
	int error;

	h_boot(64, 4096);
	pm = pmap_create();
	p1 = t_page();
	p2 = t_page();
	pmap_enter(pm, VA0, VM_PAGE_TO_PHYS(p1), RW, 0);

	/* replacing: only the pv entry is needed */
	failpoint_arm(FP_PMAP, 0, 1);
	error = pmap_enter(pm, VA0, VM_PAGE_TO_PHYS(p2), RW, PMAP_CANFAIL);
	ATF_REQUIRE_EQ(error, ENOMEM);
	ATF_REQUIRE(pmap_extract(pm, VA0, &pa));
	ATF_REQUIRE_EQ(pa, VM_PAGE_TO_PHYS(p1));
	h_check();

	/*
	 * a new place 5 GiB up shares the root and level-2 tables with VA0
	 * but needs a level-1 table, a leaf and a pv entry: fail each in
	 * turn.
	 */
	for (skip = 0; skip < 3; skip++) {
		failpoint_arm(FP_PMAP, skip, 1);
		error =
		    pmap_enter(pm, far, VM_PAGE_TO_PHYS(p2), RW, PMAP_CANFAIL);
		ATF_REQUIRE_EQ_MSG(error, ENOMEM, "skip %lu", skip);
		ATF_REQUIRE(!pmap_extract(pm, far, NULL));
		h_check();
		pmap_collect(pm); /* reclaim the tables that were made */
		pmap_enter(pm, VA0, VM_PAGE_TO_PHYS(p1), RW, 0);
	}
	failpoint_arm(FP_PMAP, 3, 1);
	ATF_REQUIRE_EQ(pmap_enter(pm, far, VM_PAGE_TO_PHYS(p2), RW,
			   PMAP_CANFAIL),
	    0);
	ATF_REQUIRE_EQ(failpoints[FP_PMAP].fp_skip, 0);
	failpoint_disarm(FP_PMAP);
	/* without PMAP_CANFAIL the failpoint is not consulted */
	failpoint_arm(FP_PMAP, 0, FAILPOINT_FOREVER);
	ATF_REQUIRE_EQ(pmap_enter(pm, VA0 + PAGE_SIZE, VM_PAGE_TO_PHYS(p2), RW,
			   0),
	    0);
	failpoint_disarm(FP_PMAP);
	h_check();
	pmap_destroy(pm);
	uvm_pagefree(p1);
	uvm_pagefree(p2);
	h_shutdown();
}

/*
 * the table pages needed to map va1 and va2: the root, plus at each
 * lower level one table per distinct prefix above that level's index.
 */
static long
t_tables_for(vaddr_t va1, vaddr_t va2)
{
	long n = 1;
	int l;

	for (l = (int)pmap_levels - 2; l >= 0; l--) {
		n++;
		if ((va1 >> PMAP_SLOTSHIFT(l + 1)) !=
		    (va2 >> PMAP_SLOTSHIFT(l + 1)))
			n++;
	}
	return n;
}

/* every page size builds tables of the right depth and works */
ATF_TC_WITHOUT_HEAD(page_sizes);
ATF_TC_BODY(page_sizes, tc)
{
	static const size_t sizes[] = { 512, 4096, 16384, 65536 };
	static const unsigned int levels[] = { 6, 4, 3, 2 };
	struct vm_page *pg;
	struct pmap *pm;
	unsigned char c;
	vaddr_t top;
	size_t i;

	for (i = 0; i < __arraycount(sizes); i++) {
		h_boot(32, sizes[i]);
		ATF_REQUIRE_EQ_MSG(pmap_levels, levels[i], "page size %zu",
		    sizes[i]);
		pm = pmap_create();
		pmap_activate(pm);
		pg = t_page();
		top = VM_MAXUSER_ADDRESS - PAGE_SIZE;
		pmap_enter(pm, top, VM_PAGE_TO_PHYS(pg), RW, 0);
		pmap_enter(pm, 0, VM_PAGE_TO_PHYS(pg), RW, 0);
		ATF_REQUIRE_EQ(t_store(pm, top + PAGE_SIZE - 1, 'e'), 0);
		ATF_REQUIRE_EQ(t_load(pm, PAGE_SIZE - 1, &c), 0);
		ATF_REQUIRE_EQ(c, 'e');
		ATF_REQUIRE_EQ(pm->pm_ptpages, t_tables_for(0, top));
		h_check();
		pmap_destroy(pm);
		uvm_pagefree(pg);
		h_shutdown();
	}
}

/*
 * the checker against deliberately corrupted structures
 */

static struct pmap *
t_corrupt_setup(struct vm_page **pgp)
{
	struct pmap *pm;

	h_boot(64, 4096);
	pm = pmap_create();
	pmap_activate(pm);
	*pgp = t_page();
	pmap_enter(pm, VA0, VM_PAGE_TO_PHYS(*pgp), RW, 0);
	ATF_REQUIRE_EQ(t_store(pm, VA0, 1), 0);
	ATF_REQUIRE_EQ(h_check_count(), 0);
	return pm;
}

static void
t_require_caught(const char *what)
{
	struct kcheck kc;

	kcheck_init(&kc);
	ATF_REQUIRE_MSG(pmap_check(&kc) > 0, "checker missed %s", what);
	ATF_REQUIRE_MSG(strlen(kc.kc_msg) > 0, "no message for %s", what);
}

static pt_entry_t *
t_pte(struct pmap *pm, vaddr_t va)
{
	return pmap_leaf_pte(pmap_leaf(pm, va, false, false), va);
}

ATF_TC_WITHOUT_HEAD(check_catches_missing_pv);
ATF_TC_BODY(check_catches_missing_pv, tc)
{
	struct vm_page_md md;
	struct vm_page *pg;
	struct pmap *pm;

	pm = t_corrupt_setup(&pg);
	md = pg->mdpage;
	pg->mdpage.mdpg_pmap = 0;
	t_require_caught("a mapping missing from its pv list");
	pg->mdpage = md;
	ATF_REQUIRE_EQ(h_check_count(), 0);
	pmap_destroy(pm);
	uvm_pagefree(pg);
	h_shutdown();
}

/*
 * a page's mappings are listed newest first, as a linked list's head
 * insertions would list them: the newest in the page itself, the rest
 * from the pv pool; removing the first, one in the middle or the last
 * keeps the others' order, and a page mapped once again holds no pool
 * entry; the checker catches a page flagged as mapped more than once
 * that is not
 */
static bool
t_mappings_are(struct vm_page *pg, int n, const int *which, vaddr_t base)
{
	struct pmap_mapping m[8];
	int i;

	if (pmap_page_mappings(pg, m, 8) != n)
		return false;
	for (i = 0; i < n; i++)
		if (m[i].pm_va != base + ptoa(which[i]))
			return false;
	return true;
}

ATF_TC_WITHOUT_HEAD(pv_list_first_in_page_then_hash);
ATF_TC_BODY(pv_list_first_in_page_then_hash, tc)
{
	static const int all[] = { 3, 2, 1, 0 }, no3[] = { 2, 1, 0 },
			 no31[] = { 2, 0 }, only2[] = { 2 };
	struct pmap *pm[2];
	struct vm_page *pg;
	uint16_t id;
	size_t out0;
	int i;

	h_boot(64, 4096);
	pg = t_page();
	pm[0] = pmap_create();
	pm[1] = pmap_create();
	out0 = pmap_pv_pool.pr_nout;
	for (i = 0; i < 4; i++)
		pmap_enter(pm[i % 2], VA0 + ptoa(i), VM_PAGE_TO_PHYS(pg), RW,
		    0);
	ATF_REQUIRE(t_mappings_are(pg, 4, all, VA0));
	ATF_REQUIRE_EQ(pmap_pv_pool.pr_nout - out0, 3);
	ATF_REQUIRE(pg->mdpage.mdpg_attrs & PMAP_ATTR_MORE);
	h_check();

	pmap_remove(pm[1], VA0 + ptoa(3), VA0 + ptoa(4));
	ATF_REQUIRE(t_mappings_are(pg, 3, no3, VA0));
	pmap_remove(pm[1], VA0 + ptoa(1), VA0 + ptoa(2));
	ATF_REQUIRE(t_mappings_are(pg, 2, no31, VA0));
	ATF_REQUIRE_EQ(pmap_pv_pool.pr_nout - out0, 1);
	h_check();
	pmap_remove(pm[0], VA0, VA0 + ptoa(1));
	ATF_REQUIRE(t_mappings_are(pg, 1, only2, VA0));
	ATF_REQUIRE_EQ(pmap_pv_pool.pr_nout, out0);
	ATF_REQUIRE_EQ(pg->mdpage.mdpg_attrs & PMAP_ATTR_MORE, 0);
	ATF_REQUIRE_EQ(pmapcounters.pv_alloc - pmapcounters.pv_free, 1);
	h_check();

	pg->mdpage.mdpg_attrs |= PMAP_ATTR_MORE;
	t_require_caught("a page flagged as mapped more than once");
	pg->mdpage.mdpg_attrs &= (uint8_t)~PMAP_ATTR_MORE;
	ATF_REQUIRE_EQ(h_check_count(), 0);
	id = pg->mdpage.mdpg_pmap;
	pg->mdpage.mdpg_pmap = 999;
	t_require_caught("a page naming a pmap that does not exist");
	pg->mdpage.mdpg_pmap = id;
	ATF_REQUIRE_EQ(h_check_count(), 0);
	pmap_destroy(pm[0]);
	pmap_destroy(pm[1]);
	ATF_REQUIRE(!pmap_page_is_mapped(pg));
	uvm_pagefree(pg);
	h_shutdown();
}

ATF_TC_WITHOUT_HEAD(check_catches_stray_pv);
ATF_TC_BODY(check_catches_stray_pv, tc)
{
	struct vm_page *pg, *other;
	struct pmap *pm;

	pm = t_corrupt_setup(&pg);
	other = t_page();
	/* move the pv entry to a page the PTE does not map */
	other->mdpage = pg->mdpage;
	pg->mdpage.mdpg_pmap = 0;
	t_require_caught("a pv entry on the wrong page");
	pg->mdpage = other->mdpage;
	other->mdpage.mdpg_pmap = 0;
	ATF_REQUIRE_EQ(h_check_count(), 0);
	pmap_destroy(pm);
	uvm_pagefree(pg);
	uvm_pagefree(other);
	h_shutdown();
}

ATF_TC_WITHOUT_HEAD(check_catches_table_counts);
ATF_TC_BODY(check_catches_table_counts, tc)
{
	struct vm_page *pg;
	struct pmap *pm;
	struct ptp *leaf;

	pm = t_corrupt_setup(&pg);
	leaf = pmap_leaf(pm, VA0, false, false);
	leaf->ptp_nvalid++;
	t_require_caught("a leaf's valid count");
	leaf->ptp_nvalid--;
	pm->pm_ptpages++;
	t_require_caught("the pmap's table count");
	pm->pm_ptpages--;
	ATF_REQUIRE_EQ(h_check_count(), 0);
	pmap_destroy(pm);
	uvm_pagefree(pg);
	h_shutdown();
}

ATF_TC_WITHOUT_HEAD(check_catches_wired_counts);
ATF_TC_BODY(check_catches_wired_counts, tc)
{
	struct vm_page *pg;
	struct pmap *pm;

	pm = t_corrupt_setup(&pg);
	pm->pm_stats.wired_count++;
	t_require_caught("the pmap's wired count");
	pm->pm_stats.wired_count--;
	/* a PTE wired behind the counts' back */
	*t_pte(pm, VA0) |= PG_WIRED;
	t_require_caught("a PTE wired without counting");
	*t_pte(pm, VA0) &= ~(pt_entry_t)PG_WIRED;
	pm->pm_stats.resident_count--;
	t_require_caught("the pmap's resident count");
	pm->pm_stats.resident_count++;
	ATF_REQUIRE_EQ(h_check_count(), 0);
	pmap_destroy(pm);
	uvm_pagefree(pg);
	h_shutdown();
}

/*
 * pmap_enter with an access type loads the TLB as that access would: the
 * access retried after a fault hits.  A read leaves the entry without
 * write (the PTE is clean); no access type loads nothing; an inactive
 * pmap is never cached.
 */
ATF_TC_WITHOUT_HEAD(enter_with_access_loads_tlb);
ATF_TC_BODY(enter_with_access_loads_tlb, tc)
{
	struct vm_page *pg, *pg2;
	struct pmap *pm, *other;
	unsigned char c;
	uint64_t hits, misses;

	h_boot(64, 4096);
	pm = pmap_create();
	other = pmap_create();
	pmap_activate(pm);
	pg = t_page();
	pg2 = t_page();

	ATF_REQUIRE_EQ(pmap_enter(pm, VA0, VM_PAGE_TO_PHYS(pg), RW,
			   VM_PROT_WRITE),
	    0);
	ATF_REQUIRE_EQ(h_check_count(), 0);
	hits = pmapcounters.tlb_hit;
	misses = pmapcounters.tlb_miss;
	ATF_REQUIRE_EQ(t_store(pm, VA0, 'w'), 0);
	ATF_REQUIRE_EQ(t_load(pm, VA0, &c), 0);
	ATF_REQUIRE_EQ(c, 'w');
	ATF_REQUIRE_EQ(pmapcounters.tlb_miss, misses);
	ATF_REQUIRE_EQ(pmapcounters.tlb_hit, hits + 2);

	/* a read access: loads without write; the first store walks */
	ATF_REQUIRE_EQ(pmap_enter(pm, VA0 + PAGE_SIZE, VM_PAGE_TO_PHYS(pg2), RW,
			   VM_PROT_READ),
	    0);
	ATF_REQUIRE_EQ(h_check_count(), 0);
	ATF_REQUIRE_EQ(t_load(pm, VA0 + PAGE_SIZE, &c), 0);
	ATF_REQUIRE_EQ(pmapcounters.tlb_miss, misses);
	ATF_REQUIRE_EQ(t_store(pm, VA0 + PAGE_SIZE, 'x'), 0);
	ATF_REQUIRE_EQ(pmapcounters.tlb_miss, misses + 1);
	ATF_REQUIRE(pmap_is_modified(pg2));

	/* the same page entered again with an access: still loaded */
	pmap_enter(pm, VA0, VM_PAGE_TO_PHYS(pg), VM_PROT_READ, VM_PROT_READ);
	ATF_REQUIRE_EQ(h_check_count(), 0);
	ATF_REQUIRE_EQ(t_load(pm, VA0, &c), 0);
	ATF_REQUIRE_EQ(pmapcounters.tlb_miss, misses + 1);
	ATF_REQUIRE_EQ(t_store(pm, VA0, 'y'), EACCES);

	/* no access type: nothing loaded, the first use walks */
	pmap_remove(pm, VA0, VA0 + 2 * PAGE_SIZE);
	pmap_enter(pm, VA0, VM_PAGE_TO_PHYS(pg), RW, 0);
	ATF_REQUIRE_EQ(h_check_count(), 0);
	misses = pmapcounters.tlb_miss;
	ATF_REQUIRE_EQ(t_load(pm, VA0, &c), 0);
	ATF_REQUIRE_EQ(pmapcounters.tlb_miss, misses + 1);

	/* an inactive pmap: its translations are not cached */
	pmap_enter(other, VA0, VM_PAGE_TO_PHYS(pg2), RW, VM_PROT_WRITE);
	ATF_REQUIRE_EQ(h_check_count(), 0);
	ATF_REQUIRE_EQ(t_load(pm, VA0, &c), 0);
	ATF_REQUIRE_EQ(c, 'w');
	ATF_REQUIRE_EQ(t_load(other, VA0, &c), 0);
	ATF_REQUIRE_EQ(c, 'x');
	ATF_REQUIRE_EQ(pmapcounters.tlb_miss, misses + 2);

	pmap_destroy(other);
	pmap_deactivate(pm);
	pmap_destroy(pm);
	uvm_pagefree(pg);
	uvm_pagefree(pg2);
	h_shutdown();
}

/*
 * pmap_extract_range: the pages and protections of a range's mappings,
 * across a leaf boundary, with nothing for pages with no table or an
 * invalid PTE, and nothing for a range outside the pmap:
 *
 *	page   0  1  2 | 3  4      (| : a leaf boundary; 1, 4: not mapped)
 *	prot   rx -  rw| r  -
 */
ATF_TC_WITHOUT_HEAD(extract_range);
ATF_TC_BODY(extract_range, tc)
{
	vm_prot_t prots[5];
	struct vm_page *pg[3];
	struct pmap *pm;
	paddr_t pas[5];
	vaddr_t base;
	int i;

	h_boot(64, 4096);
	/* three pages before the end of a leaf's span */
	base = VA0 + ((vaddr_t)PAGE_SIZE << pmap_slotshift) - 3 * PAGE_SIZE;
	pm = pmap_create();
	for (i = 0; i < 3; i++)
		pg[i] = t_page();
	ATF_REQUIRE_EQ(pmap_extract_range(pm, base, 5, pas, prots), 0);
	pmap_enter(pm, base, VM_PAGE_TO_PHYS(pg[0]),
	    VM_PROT_READ | VM_PROT_EXECUTE, 0);
	pmap_enter(pm, base + 2 * PAGE_SIZE, VM_PAGE_TO_PHYS(pg[1]), RW, 0);
	ATF_REQUIRE_EQ(pmap_extract_range(pm, base, 5, pas, prots), 0x5);
	pmap_enter(pm, base + 3 * PAGE_SIZE, VM_PAGE_TO_PHYS(pg[2]),
	    VM_PROT_READ, 0);
	ATF_REQUIRE_EQ(pmap_extract_range(pm, base, 5, pas, prots), 0xd);
	ATF_REQUIRE_EQ(pas[0], VM_PAGE_TO_PHYS(pg[0]));
	ATF_REQUIRE_EQ(prots[0], VM_PROT_READ | VM_PROT_EXECUTE);
	ATF_REQUIRE_EQ(pas[2], VM_PAGE_TO_PHYS(pg[1]));
	ATF_REQUIRE_EQ(prots[2], RW);
	ATF_REQUIRE_EQ(pas[3], VM_PAGE_TO_PHYS(pg[2]));
	ATF_REQUIRE_EQ(prots[3], VM_PROT_READ);
	/* from the middle of the range, and one page */
	ATF_REQUIRE_EQ(pmap_extract_range(pm, base + 2 * PAGE_SIZE, 2, pas,
			   prots),
	    0x3);
	ATF_REQUIRE_EQ(pas[1], VM_PAGE_TO_PHYS(pg[2]));
	ATF_REQUIRE_EQ(pmap_extract_range(pm, base + PAGE_SIZE, 1, pas, prots),
	    0);
	/* lowered, removed, outside the pmap */
	pmap_protect(pm, base, base + PAGE_SIZE, VM_PROT_READ);
	ATF_REQUIRE_EQ(pmap_extract_range(pm, base, 1, pas, prots), 0x1);
	ATF_REQUIRE_EQ(prots[0], VM_PROT_READ);
	pmap_remove(pm, base, base + 5 * PAGE_SIZE);
	ATF_REQUIRE_EQ(pmap_extract_range(pm, base, 5, pas, prots), 0);
	ATF_REQUIRE_EQ(pmap_extract_range(pm, VM_MAXUSER_ADDRESS - PAGE_SIZE, 2,
			   pas, prots),
	    0);
	pmap_destroy(pm);
	for (i = 0; i < 3; i++)
		uvm_pagefree(pg[i]);
	h_shutdown();
}

/*
 * the leaf table each pmap found last is remembered, and forgotten with
 * the table: a leaf freed by pmap_collect or with its pmap must not
 * serve a lookup of that pmap, or of a new one, afterwards; another
 * pmap's lookups leave it be.
 */
ATF_TC_WITHOUT_HEAD(last_leaf_forgotten_when_freed);
ATF_TC_BODY(last_leaf_forgotten_when_freed, tc)
{
	struct vm_page *pg;
	struct pmap *pm, *pm2;
	struct ptp *leaf;
	paddr_t pa;
	int i;

	h_boot(64, 4096);
	pg = t_page();
	pm = pmap_create();
	pmap_enter(pm, VA0, VM_PAGE_TO_PHYS(pg), RW, 0);
	ATF_REQUIRE(pmap_extract(pm, VA0, &pa));
	ATF_REQUIRE((leaf = pm->pm_lastleaf) != NULL);
	/* another pmap's lookups keep it */
	pm2 = pmap_create();
	pmap_enter(pm2, VA0, VM_PAGE_TO_PHYS(pg), RW, 0);
	ATF_REQUIRE(pmap_extract(pm2, VA0, &pa));
	ATF_REQUIRE(pm2->pm_lastleaf != NULL && pm2->pm_lastleaf != leaf);
	ATF_REQUIRE(pm->pm_lastleaf == leaf);
	pmap_destroy(pm2);
	ATF_REQUIRE(pm->pm_lastleaf == leaf);
	pmap_collect(pm);
	ATF_REQUIRE(pm->pm_lastleaf == NULL);
	ATF_REQUIRE(!pmap_extract(pm, VA0, &pa));
	/* entered again: new tables, found and remembered */
	pmap_enter(pm, VA0, VM_PAGE_TO_PHYS(pg), RW, 0);
	ATF_REQUIRE(pmap_extract(pm, VA0 + 8, &pa));
	ATF_REQUIRE_EQ(pa, VM_PAGE_TO_PHYS(pg) + 8);
	ATF_REQUIRE_EQ(h_check_count(), 0);
	pmap_destroy(pm);
	/* new pmaps (one may reuse the old one's memory) start empty */
	for (i = 0; i < 4; i++) {
		pm2 = pmap_create();
		ATF_REQUIRE(!pmap_extract(pm2, VA0, &pa));
		pmap_enter(pm2, VA0 + PAGE_SIZE, VM_PAGE_TO_PHYS(pg), RW, 0);
		ATF_REQUIRE(!pmap_extract(pm2, VA0, &pa));
		ATF_REQUIRE(pmap_extract(pm2, VA0 + PAGE_SIZE, &pa));
		ATF_REQUIRE_EQ(h_check_count(), 0);
		pmap_destroy(pm2);
	}
	uvm_pagefree(pg);
	h_shutdown();
}

/* a PTE lowered without invalidating the TLB leaves a stale entry */
ATF_TC_WITHOUT_HEAD(check_catches_stale_tlb);
ATF_TC_BODY(check_catches_stale_tlb, tc)
{
	struct vm_page *pg;
	struct pmap *pm;
	struct kcheck kc;

	pm = t_corrupt_setup(&pg);
	*t_pte(pm, VA0) &= ~(pt_entry_t)PG_W;
	kcheck_init(&kc);
	ATF_REQUIRE(pmap_tlb_check(&kc) > 0);
	ATF_REQUIRE(strstr(kc.kc_msg, "stale") != NULL);
	pmap_tlb_invalidate(pm, VA0);
	ATF_REQUIRE_EQ(h_check_count(), 0);
	/* a cleared M bit with a writable entry still cached */
	*t_pte(pm, VA0) |= PG_W;
	ATF_REQUIRE_EQ(t_store(pm, VA0, 2), 0);
	*t_pte(pm, VA0) &= ~(pt_entry_t)PG_M;
	t_require_caught("a writable TLB entry over a clean PTE");
	pmap_tlb_invalidate(pm, VA0);
	ATF_REQUIRE_EQ(h_check_count(), 0);
	pmap_destroy(pm);
	uvm_pagefree(pg);
	h_shutdown();
}

/* mapping a range the pmap does not own is a kernel bug */
ATF_TC_WITHOUT_HEAD(enter_outside_range_panics);
ATF_TC_BODY(enter_outside_range_panics, tc)
{
	struct vm_page *pg;
	struct pmap *pm;

	h_boot(64, 4096);
	pm = pmap_create();
	pg = t_page();
	H_REQUIRE_PANIC(pmap_enter(pm, VM_MIN_KERNEL_ADDRESS,
			    VM_PAGE_TO_PHYS(pg), RW, 0),
	    "outside the pmap");
}

ATF_TC_WITHOUT_HEAD(enter_access_beyond_prot_panics);
ATF_TC_BODY(enter_access_beyond_prot_panics, tc)
{
	struct vm_page *pg;
	struct pmap *pm;

	h_boot(64, 4096);
	pm = pmap_create();
	pg = t_page();
	H_REQUIRE_PANIC(pmap_enter(pm, VA0, VM_PAGE_TO_PHYS(pg), VM_PROT_READ,
			    VM_PROT_WRITE),
	    "exceeds prot");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, enter_extract);
	ATF_TP_ADD_TC(tp, enter_access_type_sets_rm);
	ATF_TP_ADD_TC(tp, access_sets_referenced_and_modified);
	ATF_TP_ADD_TC(tp, clear_bits_invalidate_tlb);
	ATF_TP_ADD_TC(tp, protect_lowers_only);
	ATF_TP_ADD_TC(tp, remove_range_across_tables);
	ATF_TP_ADD_TC(tp, enter_replaces_other_page);
	ATF_TP_ADD_TC(tp, enter_same_page_updates);
	ATF_TP_ADD_TC(tp, unwire);
	ATF_TP_ADD_TC(tp, page_protect_reaches_every_mapping);
	ATF_TP_ADD_TC(tp, page_protect_all_is_noop);
	ATF_TP_ADD_TC(tp, kenter_kremove);
	ATF_TP_ADD_TC(tp, collect_frees_empty_tables_keeps_wired);
	ATF_TP_ADD_TC(tp, copy_mappings);
	ATF_TP_ADD_TC(tp, activate_flushes_user_tlb);
	ATF_TP_ADD_TC(tp, tlb_hits);
	ATF_TP_ADD_TC(tp, enter_with_access_loads_tlb);
	ATF_TP_ADD_TC(tp, extract_range);
	ATF_TP_ADD_TC(tp, last_leaf_forgotten_when_freed);
	ATF_TP_ADD_TC(tp, access_faults);
	ATF_TP_ADD_TC(tp, zero_and_copy_page);
	ATF_TP_ADD_TC(tp, destroy_with_mappings);
	ATF_TP_ADD_TC(tp, enter_canfail_leaves_old_mapping);
	ATF_TP_ADD_TC(tp, page_sizes);
	ATF_TP_ADD_TC(tp, check_catches_missing_pv);
	ATF_TP_ADD_TC(tp, check_catches_stray_pv);
	ATF_TP_ADD_TC(tp, pv_list_first_in_page_then_hash);
	ATF_TP_ADD_TC(tp, check_catches_table_counts);
	ATF_TP_ADD_TC(tp, check_catches_wired_counts);
	ATF_TP_ADD_TC(tp, check_catches_stale_tlb);
	ATF_TP_ADD_TC(tp, enter_outside_range_panics);
	ATF_TP_ADD_TC(tp, enter_access_beyond_prot_panics);
	return atf_no_error();
}
