/*
 * uvm_page.c: physical pages -- allocation, ownership and the page queues.
 *
 * The page layer keeps every physical page in exactly one place (see the
 * state list in uvm_page.h) and the uvmexp counters equal to the lengths
 * of the lists, which uvm_page_check verifies.  Allocation honours the
 * kernel's reserve: the last reserve_kernel free pages go only to the
 * kernel object and to callers that pass UVM_PGA_USERESERVE, so that the
 * kernel can always make progress when user memory runs out.  (The
 * pagedaemon's reserve, reserve_pagedaemon, is set here for vmstat, as
 * NetBSD sets it; nothing draws on it: uvmsim's pagedaemon allocates no
 * pages of its own.)
 *
 * The paging queues are kept here for every replacement policy; each
 * change to them is told to the policy in force (uvmpdpol_page*, see
 * uvm_pdpolicy.h), which keeps its own order of the pages beside them.
 *
 * Ownership: a page belongs to an anon (PQ_ANON, anon->an_page == pg), or
 * to an object at an offset (PG_TABLED: on the object's memq and in the
 * global (object, offset) hash, as in UVM of 2002), or to nobody while it
 * is free or privately used by the kernel.
 */

#include <stdlib.h>
#include <string.h>

#include "machine/failpoint.h"
#include "machine/hostmem.h"
#include "uvm/uvm.h"

/*
 * the (object, offset) hash
 */

/* 2^64 / the golden ratio: Fibonacci hashing spreads object addresses */
#define UVM_PAGEHASH_MULT 0x9e3779b97f4a7c15ULL

/* free pages only the kernel may take; the pagedaemon's (see above) */
#define UVM_RESERVE_KERNEL     5
#define UVM_RESERVE_PAGEDAEMON 1

static inline size_t
uvm_pagehash(struct uvm_object *obj, voff_t off)
{
	uint64_t h = (uint64_t)(uintptr_t)obj * UVM_PAGEHASH_MULT;

	return (size_t)((h >> 32) ^ atop(off)) & uvm.page_hashmask;
}

static void
uvm_pageinsert(struct vm_page *pg)
{
	struct uvm_object *obj = pg->uobject;

	KASSERT((pg->flags & PG_TABLED) == 0);
	LIST_INSERT_HEAD(&uvm.page_hash[uvm_pagehash(obj, pg->offset)], pg,
	    hashq);
	TAILQ_INSERT_TAIL(&obj->memq, pg, listq);
	obj->uo_npages++;
	pg->flags |= PG_TABLED;
}

static void
uvm_pageremove(struct vm_page *pg)
{
	struct uvm_object *obj = pg->uobject;

	KASSERT(pg->flags & PG_TABLED);
	LIST_REMOVE(pg, hashq);
	TAILQ_REMOVE(&obj->memq, pg, listq);
	obj->uo_npages--;
	pg->flags &= ~PG_TABLED;
	pg->uobject = NULL;
}

/*
 * uvm_pagelookup: the page of obj at offset off, if resident.
 */
struct vm_page *
uvm_pagelookup(struct uvm_object *obj, voff_t off)
{
	struct vm_page *pg;

	LIST_FOREACH (pg, &uvm.page_hash[uvm_pagehash(obj, off)], hashq)
		if (pg->uobject == obj && pg->offset == off)
			return pg;
	return NULL;
}

/*
 * uvm_page_init: describe physical memory with vm_pages and free them all.
 *
 * => physical memory starts out zero, so every page begins on the
 *    known-zero free list.
 * => the reserves and daemon targets are computed here (uvmpd_tune).
 */
void
uvm_page_init(void)
{
	struct vm_page *pg;
	size_t i, nbuckets;

	uvmexp.pagesize = (unsigned int)PAGE_SIZE;
	uvmexp.pagemask = (unsigned int)PAGE_MASK;
	uvmexp.pageshift = PAGE_SHIFT;
	uvmexp.npages = (int)physmem;

	for (i = 0; i < PGFL_NQUEUES; i++)
		TAILQ_INIT(&uvm.page_free[i]);
	TAILQ_INIT(&uvm.page_active);
	TAILQ_INIT(&uvm.page_inactive);

	uvm.pages = hostmem_zalloc(physmem, sizeof(struct vm_page));
	for (nbuckets = 1; nbuckets < physmem; nbuckets <<= 1)
		continue;
	uvm.page_hash = hostmem_zalloc(nbuckets, sizeof(*uvm.page_hash));
	uvm.page_hashmask = nbuckets - 1;
	for (i = 0; i < nbuckets; i++)
		LIST_INIT(&uvm.page_hash[i]);

	for (i = 0; i < physmem; i++) {
		pg = &uvm.pages[i];
		pg->phys_addr = ptoa(i);
		pg->pqflags = PQ_FREE;
		pg->flags = PG_ZERO;
		TAILQ_INSERT_TAIL(&uvm.page_free[PGFL_ZEROS], pg, pageq);
	}
	uvmexp.free = uvmexp.zeropages = (int)physmem;
	physmem_attach_pages(uvm.pages);

	uvmexp.reserve_pagedaemon = UVM_RESERVE_PAGEDAEMON;
	uvmexp.reserve_kernel = UVM_RESERVE_KERNEL;
	uvmpd_tune();
}

/*
 * uvm_page_fini: forget all pages (machine shutdown).
 */
void
uvm_page_fini(void)
{
	physmem_attach_pages(NULL);
	free(uvm.pages);
	free(uvm.page_hash);
	memset(&uvm, 0, sizeof(uvm));
}

/*
 * uvm_pagealloc: allocate a page and give it to an owner.
 *
 * => the owner is obj at offset off, or anon, or neither (a page the
 *    caller keeps for itself); never both.  An object must not already
 *    have a page at off.
 * => flags: UVM_PGA_USERESERVE lets the caller take the kernel's reserve
 *    (the kernel object always may); UVM_PGA_ZERO asks for a zero-filled
 *    page, taken from the known-zero list if it can be.
 * => the page comes back PG_BUSY, PG_FAKE and, unless zero-filled (a
 *    zeroed page matches no backing store), PG_CLEAN; on no queue; not
 *    wired.
 * => to the replacement policy it is new: allocated and used now
 *    (uvmpdpol_pagenew), whatever its frame held before.
 * => returns NULL if free memory is at the reserve, or if the page
 *    failpoint says so.
 */
struct vm_page *
uvm_pagealloc(struct uvm_object *obj, voff_t off, struct vm_anon *anon,
    int flags)
{
	struct vm_page *pg;
	bool use_reserve, zeroit = false;
	int try;

	KASSERT(obj == NULL || anon == NULL);
	KASSERT((off & (voff_t)PAGE_MASK) == 0);
	KDASSERT(obj == NULL || uvm_pagelookup(obj, off) == NULL);

	use_reserve = (flags & UVM_PGA_USERESERVE) != 0 ||
	    (obj != NULL && obj->uo_refs == UVM_OBJ_KERN);
	if (failpoint_hit(FP_PAGE) || uvmexp.free == 0 ||
	    (uvmexp.free <= uvmexp.reserve_kernel && !use_reserve)) {
		uvmexp.pga_fail++;
		return NULL;
	}

	try = (flags & UVM_PGA_ZERO) ? PGFL_ZEROS : PGFL_UNKNOWN;
	pg = TAILQ_FIRST(&uvm.page_free[try]);
	if (pg == NULL) {
		try = PGFL_ZEROS + PGFL_UNKNOWN - try;
		pg = TAILQ_FIRST(&uvm.page_free[try]);
	}
	KASSERTMSG(pg != NULL, "%s: free count %d but no free page", __func__,
	    uvmexp.free);
	TAILQ_REMOVE(&uvm.page_free[try], pg, pageq);
	uvmexp.free--;
	if (pg->flags & PG_ZERO)
		uvmexp.zeropages--;
	if (flags & UVM_PGA_ZERO) {
		if (pg->flags & PG_ZERO)
			uvmexp.pga_zerohit++;
		else {
			uvmexp.pga_zeromiss++;
			zeroit = true;
		}
	}

	pg->offset = off;
	pg->uobject = obj;
	pg->uanon = anon;
	pg->flags = PG_BUSY | PG_CLEAN | PG_FAKE;
	pg->pqflags = 0;
	pg->wire_count = 0;
	if (anon != NULL) {
		anon->an_page = pg;
		pg->pqflags = PQ_ANON;
	} else if (obj != NULL)
		uvm_pageinsert(pg);
	if (flags & UVM_PGA_ZERO) {
		pg->flags &= ~PG_CLEAN;
		if (zeroit)
			pmap_zero_page(VM_PAGE_TO_PHYS(pg));
	}
	/*
	 * The replacement policy sees a new page, not the frame's past: a
	 * stamp left by its last owner made a page just read in (for a
	 * copy-on-write that then waits for memory) lru's oldest, so it was
	 * paged out before its fault could use it, over and over.
	 */
	uvmexp.pga_alloc++;
	uvmpdpol_pagenew(pg);
	if (uvmexp.free < uvmexp.freemin)
		uvm_kick_pdaemon();
	return pg;
}

/*
 * uvm_pagedequeue: take a page off the active or inactive queue (if it
 * is on one), telling the replacement policy first.
 */
void
uvm_pagedequeue(struct vm_page *pg)
{
	if (pg->pqflags & (PQ_ACTIVE | PQ_INACTIVE))
		uvmpdpol_pagedequeue(pg);
	if (pg->pqflags & PQ_ACTIVE) {
		TAILQ_REMOVE(&uvm.page_active, pg, pageq);
		pg->pqflags &= ~PQ_ACTIVE;
		uvmexp.active--;
	} else if (pg->pqflags & PQ_INACTIVE) {
		TAILQ_REMOVE(&uvm.page_inactive, pg, pageq);
		pg->pqflags &= ~PQ_INACTIVE;
		uvmexp.inactive--;
	}
}

/*
 * uvm_pagefree: give a page back to the free lists.
 *
 * => the page must have no mappings left (pmap_page_protect with
 *    VM_PROT_NONE first).
 * => it leaves its owner and its queue; a wired page is unwired.
 * => a caller that knows the page holds only zeros may set PG_ZERO
 *    first: the page then goes to the known-zero list.
 */
void
uvm_pagefree(struct vm_page *pg)
{
	bool zero = (pg->flags & PG_ZERO) != 0;

	KASSERTMSG((pg->pqflags & PQ_FREE) == 0, "%s: page 0x%llx is free",
	    __func__, (unsigned long long)VM_PAGE_TO_PHYS(pg));
	KASSERTMSG(!pmap_page_is_mapped(pg), "%s: page 0x%llx still mapped",
	    __func__, (unsigned long long)VM_PAGE_TO_PHYS(pg));

	if (pg->flags & PG_TABLED)
		uvm_pageremove(pg);
	else if (pg->uanon != NULL) {
		KASSERT(pg->uanon->an_page == pg);
		pg->uanon->an_page = NULL;
	}
	uvm_pagedequeue(pg);
	if (pg->wire_count > 0) {
		pg->wire_count = 0;
		uvmexp.wired--;
	}

	pg->uobject = NULL;
	pg->uanon = NULL;
	pg->offset = 0;
	pg->pqflags = PQ_FREE;
	pg->mdpage.mdpg_attrs = 0;
	if (zero) {
		pg->flags = PG_ZERO;
		TAILQ_INSERT_TAIL(&uvm.page_free[PGFL_ZEROS], pg, pageq);
		uvmexp.zeropages++;
	} else {
		pg->flags = 0;
		TAILQ_INSERT_HEAD(&uvm.page_free[PGFL_UNKNOWN], pg, pageq);
	}
	uvmexp.free++;
	uvmexp.pga_free++;
	uvm_wait_memfreed();
}

/*
 * uvm_pagewire: wire a page; a wired page is on no paging queue.
 */
void
uvm_pagewire(struct vm_page *pg)
{
	KASSERT((pg->pqflags & PQ_FREE) == 0);
	if (pg->wire_count == 0) {
		uvm_pagedequeue(pg);
		uvmexp.wired++;
	}
	pg->wire_count++;
	KASSERT(pg->wire_count != 0);
}

/*
 * uvm_pageunwire: drop one wiring; the last one puts the page on the
 * tail of the active queue.
 */
void
uvm_pageunwire(struct vm_page *pg)
{
	KASSERTMSG(pg->wire_count > 0, "%s: page 0x%llx is not wired", __func__,
	    (unsigned long long)VM_PAGE_TO_PHYS(pg));
	if (--pg->wire_count == 0) {
		KASSERTMSG(pg->uobject != NULL || pg->uanon != NULL,
		    "%s: page 0x%llx has no owner", __func__,
		    (unsigned long long)VM_PAGE_TO_PHYS(pg));
		TAILQ_INSERT_TAIL(&uvm.page_active, pg, pageq);
		pg->pqflags |= PQ_ACTIVE;
		uvmexp.active++;
		uvmexp.wired--;
		uvmpdpol_pageenqueue(pg);
	}
}

/*
 * uvm_pageactivate: put a page at the tail of the active queue.
 *
 * => a wired page only leaves the inactive queue; unwiring will put it
 *    on the active queue.
 * => the replacement policy is told: a page that joins the queues is
 *    enqueued, one that was on them activated.
 */
void
uvm_pageactivate(struct vm_page *pg)
{
	bool queued = (pg->pqflags & (PQ_ACTIVE | PQ_INACTIVE)) != 0;

	KASSERT((pg->pqflags & PQ_FREE) == 0);
	KASSERTMSG(pg->uobject != NULL || pg->uanon != NULL,
	    "%s: page 0x%llx has no owner", __func__,
	    (unsigned long long)VM_PAGE_TO_PHYS(pg));
	if (pg->wire_count > 0) {
		uvm_pagedequeue(pg);
		return;
	}
	if (pg->pqflags & PQ_INACTIVE) {
		TAILQ_REMOVE(&uvm.page_inactive, pg, pageq);
		pg->pqflags &= ~PQ_INACTIVE;
		uvmexp.inactive--;
	}
	if (pg->pqflags & PQ_ACTIVE)
		TAILQ_REMOVE(&uvm.page_active, pg, pageq);
	else {
		pg->pqflags |= PQ_ACTIVE;
		uvmexp.active++;
	}
	TAILQ_INSERT_TAIL(&uvm.page_active, pg, pageq);
	if (queued)
		uvmpdpol_pageactivate(pg);
	else
		uvmpdpol_pageenqueue(pg);
}

/*
 * uvm_pagedeactivate: move a page to the inactive queue.
 *
 * => its referenced bit is cleared, so the pagedaemon's next look tells
 *    whether it was used since.
 * => a page already inactive keeps its place; a wired page only leaves
 *    the active queue.
 * => the replacement policy is told, as by uvm_pageactivate.
 */
void
uvm_pagedeactivate(struct vm_page *pg)
{
	bool queued = (pg->pqflags & (PQ_ACTIVE | PQ_INACTIVE)) != 0;

	KASSERT((pg->pqflags & PQ_FREE) == 0);
	KASSERTMSG(pg->uobject != NULL || pg->uanon != NULL,
	    "%s: page 0x%llx has no owner", __func__,
	    (unsigned long long)VM_PAGE_TO_PHYS(pg));
	if (pg->wire_count > 0) {
		uvm_pagedequeue(pg);
		return;
	}
	if (pg->pqflags & PQ_ACTIVE) {
		TAILQ_REMOVE(&uvm.page_active, pg, pageq);
		pg->pqflags &= ~PQ_ACTIVE;
		uvmexp.active--;
	}
	if ((pg->pqflags & PQ_INACTIVE) == 0) {
		pmap_clear_reference(pg);
		TAILQ_INSERT_TAIL(&uvm.page_inactive, pg, pageq);
		pg->pqflags |= PQ_INACTIVE;
		uvmexp.inactive++;
	}
	if (queued)
		uvmpdpol_pagedeactivate(pg);
	else
		uvmpdpol_pageenqueue(pg);
}

/*
 * uvm_pagezero: fill a page with zeros; it no longer matches its store.
 */
void
uvm_pagezero(struct vm_page *pg)
{
	pg->flags &= ~PG_CLEAN;
	pmap_zero_page(VM_PAGE_TO_PHYS(pg));
}

/*
 * uvm_pagecopy: copy src's data into dst, which becomes dirty.
 */
void
uvm_pagecopy(struct vm_page *src, struct vm_page *dst)
{
	dst->flags &= ~PG_CLEAN;
	pmap_copy_page(VM_PAGE_TO_PHYS(src), VM_PAGE_TO_PHYS(dst));
}

/*
 * uvm_pageidlezero: zero free pages while the CPU has nothing better to
 * do, so later zero-fill allocations find them ready (called by the idle
 * loop, sched_idle_switch).
 *
 * => zeroes free pages of unknown content, most recently freed first,
 *    and moves them to the known-zero list, until every free page is
 *    known to be zero (NetBSD 1.6's target) or max have been zeroed.
 * => costs no simulated time; counted in pga_idlezero.
 * => returns how many it zeroed.
 */
int
uvm_pageidlezero(int max)
{
	struct vm_page *pg;
	int n;

	for (n = 0; n < max; n++) {
		pg = TAILQ_FIRST(&uvm.page_free[PGFL_UNKNOWN]);
		if (pg == NULL)
			break;
		TAILQ_REMOVE(&uvm.page_free[PGFL_UNKNOWN], pg, pageq);
		pmap_zero_page(VM_PAGE_TO_PHYS(pg));
		pg->flags |= PG_ZERO;
		TAILQ_INSERT_TAIL(&uvm.page_free[PGFL_ZEROS], pg, pageq);
		uvmexp.zeropages++;
		uvmexp.pga_idlezero++;
	}
	return n;
}

/*
 * consistency check
 */

static bool
uvm_page_iszero(const struct vm_page *pg)
{
	const uint64_t *p = physmem_hostaddr(VM_PAGE_TO_PHYS(pg));
	size_t i;

	for (i = 0; i < PAGE_SIZE / sizeof(*p); i++)
		if (p[i] != 0)
			return false;
	return true;
}

/*
 * uvm_page_check_queue: walk one queue, checking that each page carries
 * the queue's flag; returns its length.
 *
 * => stops after npages + 1 steps, so a corrupted (cyclic) list is
 *    reported rather than walked forever.
 */
static int
uvm_page_check_queue(struct kcheck *kc, struct pglist *q, const char *name,
    uint16_t pqflag, int zeroflag)
{
	struct vm_page *pg;
	int n = 0;

	TAILQ_FOREACH (pg, q, pageq) {
		if (++n > uvmexp.npages) {
			kcheck_fail(kc, "%s queue longer than memory", name);
			break;
		}
		if ((pg->pqflags & (PQ_FREE | PQ_ACTIVE | PQ_INACTIVE)) !=
		    pqflag)
			kcheck_fail(kc,
			    "page 0x%llx on the %s queue has "
			    "pqflags 0x%x",
			    (unsigned long long)VM_PAGE_TO_PHYS(pg), name,
			    pg->pqflags);
		if (zeroflag >= 0 && ((pg->flags & PG_ZERO) != 0) != zeroflag)
			kcheck_fail(kc,
			    "page 0x%llx on the %s list has flags "
			    "0x%x",
			    (unsigned long long)VM_PAGE_TO_PHYS(pg), name,
			    pg->flags);
		if (pqflag != PQ_FREE && pg->wire_count > 0)
			kcheck_fail(kc, "wired page 0x%llx on the %s queue",
			    (unsigned long long)VM_PAGE_TO_PHYS(pg), name);
	}
	return n;
}

/*
 * uvm_page_check: check every page and queue against the counters.
 *
 * => every page is in one state with the right owner links; every queue
 *    holds only pages of its state; uvmexp's page counts equal the
 *    queues' lengths; the hash finds every tabled page; the
 *    replacement policy's own structure holds the queued pages.
 * => deep also reads every known-zero free page to see it is zero.
 * => returns the number of inconsistencies found.
 */
int
uvm_page_check(struct kcheck *kc, bool deep)
{
	unsigned int before = kc->kc_nerr;
	int nfree = 0, nactive = 0, ninactive = 0, nwired = 0, nzero = 0;
	int qfree, qzero, qactive, qinactive;
	struct vm_page *pg;
	uint16_t q;
	size_t i;

	for (i = 0; i < (size_t)uvmexp.npages; i++) {
		pg = &uvm.pages[i];
		q = pg->pqflags & (PQ_FREE | PQ_ACTIVE | PQ_INACTIVE);
		if (VM_PAGE_TO_PHYS(pg) != ptoa(i))
			kcheck_fail(kc, "page %zu has pa 0x%llx", i,
			    (unsigned long long)VM_PAGE_TO_PHYS(pg));
		if (q != 0 && q != PQ_FREE && q != PQ_ACTIVE &&
		    q != PQ_INACTIVE)
			kcheck_fail(kc, "page 0x%llx on several queues (0x%x)",
			    (unsigned long long)VM_PAGE_TO_PHYS(pg),
			    pg->pqflags);
		if (q == PQ_FREE) {
			nfree++;
			if (pg->flags & PG_ZERO)
				nzero++;
			if (pg->uobject != NULL || pg->uanon != NULL ||
			    pg->wire_count != 0 ||
			    (pg->flags & ~PG_ZERO) != 0 ||
			    pg->mdpage.mdpg_pvh != NULL)
				kcheck_fail(kc, "free page 0x%llx is in use",
				    (unsigned long long)VM_PAGE_TO_PHYS(pg));
			if (deep && (pg->flags & PG_ZERO) &&
			    !uvm_page_iszero(pg))
				kcheck_fail(kc,
				    "free page 0x%llx is marked "
				    "zero but is not",
				    (unsigned long long)VM_PAGE_TO_PHYS(pg));
			continue;
		}
		if (q == PQ_ACTIVE)
			nactive++;
		if (q == PQ_INACTIVE)
			ninactive++;
		if (pg->wire_count > 0)
			nwired++;
		if (pg->uobject != NULL && pg->uanon != NULL)
			kcheck_fail(kc, "page 0x%llx has two owners",
			    (unsigned long long)VM_PAGE_TO_PHYS(pg));
		if (pg->uanon != NULL &&
		    (pg->uanon->an_page != pg || (pg->pqflags & PQ_ANON) == 0))
			kcheck_fail(kc, "anon page 0x%llx is not its anon's",
			    (unsigned long long)VM_PAGE_TO_PHYS(pg));
		if (pg->uobject != NULL &&
		    ((pg->flags & PG_TABLED) == 0 ||
			uvm_pagelookup(pg->uobject, pg->offset) != pg))
			kcheck_fail(kc, "object page 0x%llx is not in the hash",
			    (unsigned long long)VM_PAGE_TO_PHYS(pg));
		if (pg->uobject == NULL && (pg->flags & PG_TABLED))
			kcheck_fail(kc, "page 0x%llx tabled with no object",
			    (unsigned long long)VM_PAGE_TO_PHYS(pg));
		if ((q == PQ_ACTIVE || q == PQ_INACTIVE) &&
		    pg->uobject == NULL && pg->uanon == NULL)
			kcheck_fail(kc,
			    "ownerless page 0x%llx on a paging "
			    "queue",
			    (unsigned long long)VM_PAGE_TO_PHYS(pg));
	}

	qzero = uvm_page_check_queue(kc, &uvm.page_free[PGFL_ZEROS], "zero",
	    PQ_FREE, 1);
	qfree = qzero +
	    uvm_page_check_queue(kc, &uvm.page_free[PGFL_UNKNOWN], "free",
		PQ_FREE, 0);
	qactive =
	    uvm_page_check_queue(kc, &uvm.page_active, "active", PQ_ACTIVE, -1);
	qinactive = uvm_page_check_queue(kc, &uvm.page_inactive, "inactive",
	    PQ_INACTIVE, -1);

	if (qfree != nfree || nfree != uvmexp.free)
		kcheck_fail(kc, "free: counter %d, flags %d, lists %d",
		    uvmexp.free, nfree, qfree);
	if (qzero != nzero || nzero != uvmexp.zeropages)
		kcheck_fail(kc, "zero pages: counter %d, flags %d, list %d",
		    uvmexp.zeropages, nzero, qzero);
	if (qactive != nactive || nactive != uvmexp.active)
		kcheck_fail(kc, "active: counter %d, flags %d, queue %d",
		    uvmexp.active, nactive, qactive);
	if (qinactive != ninactive || ninactive != uvmexp.inactive)
		kcheck_fail(kc, "inactive: counter %d, flags %d, queue %d",
		    uvmexp.inactive, ninactive, qinactive);
	if (nwired != uvmexp.wired)
		kcheck_fail(kc, "wired: counter %d, pages %d", uvmexp.wired,
		    nwired);

	for (i = 0; i <= uvm.page_hashmask; i++)
		LIST_FOREACH (pg, &uvm.page_hash[i], hashq)
			if ((pg->flags & PG_TABLED) == 0 ||
			    uvm_pagehash(pg->uobject, pg->offset) != i)
				kcheck_fail(kc,
				    "page 0x%llx in the wrong "
				    "hash bucket",
				    (unsigned long long)VM_PAGE_TO_PHYS(pg));

	/* the replacement policy's order holds the same pages */
	(void)uvmpdpol_check_state(kc);
	return (int)(kc->kc_nerr - before);
}
