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
 * object's table of pages -- UVM of 2002 had one global (object, offset)
 * hash instead, see uvm_object.h), or to nobody while it is free or
 * privately used by the kernel.
 */

#include <stdlib.h>
#include <string.h>

#include "machine/failpoint.h"
#include "machine/hostmem.h"
#include "uvm/uvm.h"

/* free pages only the kernel may take; the pagedaemon's (see above) */
#define UVM_RESERVE_KERNEL     5
#define UVM_RESERVE_PAGEDAEMON 1

/*
 * an object's table of pages (uvm_object.h)
 */

/* 2^64 / the golden ratio: Fibonacci hashing spreads page numbers */
#define UVM_PGTAB_MULT 0x9e3779b97f4a7c15ULL
#define UVM_PGTAB_MIN  16 /* the smallest table, in slots */

static inline uint32_t
uvm_pgtab_home(const struct uvm_object *obj, voff_t off)
{
	return (uint32_t)((atop(off) * UVM_PGTAB_MULT) >> 32) &
	    (obj->uo_pgtabsize - 1);
}

static inline struct vm_page *
uvm_pgtab_page(uint32_t ent)
{
	return &uvm.pages[ent - 1];
}

static inline uint32_t
uvm_pgtab_ent(const struct vm_page *pg)
{
	return (uint32_t)(pg - uvm.pages) + 1;
}

/* put pg into obj's table, which has room */
static void
uvm_pgtab_put(struct uvm_object *obj, struct vm_page *pg)
{
	uint32_t mask = obj->uo_pgtabsize - 1, i;

	for (i = uvm_pgtab_home(obj, pg->offset); obj->uo_pgtab[i] != 0;
	     i = (i + 1) & mask)
		continue;
	obj->uo_pgtab[i] = uvm_pgtab_ent(pg);
}

/* give obj's table size slots, the pages in it kept */
static void
uvm_pgtab_resize(struct uvm_object *obj, uint32_t size)
{
	uint32_t *old = obj->uo_pgtab, oldsize = obj->uo_pgtabsize, i;

	obj->uo_pgtab = hostmem_zalloc(size, sizeof(uint32_t));
	obj->uo_pgtabsize = size;
	for (i = 0; i < oldsize; i++)
		if (old[i] != 0)
			uvm_pgtab_put(obj, uvm_pgtab_page(old[i]));
	free(old);
}

/* the slot of obj's table that holds the page at off, or -1 */
static long
uvm_pgtab_find(const struct uvm_object *obj, voff_t off)
{
	uint32_t mask = obj->uo_pgtabsize - 1, i;

	if (obj->uo_pgtab == NULL)
		return -1;
	for (i = uvm_pgtab_home(obj, off); obj->uo_pgtab[i] != 0;
	     i = (i + 1) & mask)
		if (uvm_pgtab_page(obj->uo_pgtab[i])->offset == off)
			return (long)i;
	return -1;
}

/*
 * uvm_pgtab_remove: empty slot i of obj's table, moving back the entries
 * after it that their probe would no longer reach (linear probing's
 * deletion), so that no slot needs a tombstone.
 */
static void
uvm_pgtab_remove(struct uvm_object *obj, uint32_t i)
{
	uint32_t mask = obj->uo_pgtabsize - 1, j = i, home;

	for (;;) {
		j = (j + 1) & mask;
		if (obj->uo_pgtab[j] == 0)
			break;
		home = uvm_pgtab_home(obj,
		    uvm_pgtab_page(obj->uo_pgtab[j])->offset);
		/* the entry at j may fill i unless its home lies in (i, j] */
		if (((j - home) & mask) >= ((j - i) & mask)) {
			obj->uo_pgtab[i] = obj->uo_pgtab[j];
			i = j;
		}
	}
	obj->uo_pgtab[i] = 0;
}

static void
uvm_pageinsert(struct vm_page *pg, struct uvm_object *obj)
{
	KASSERT((pg->flags & PG_TABLED) == 0);
	pg->pg_owner.pgo_obj = obj;
	if (2 * ((uint32_t)obj->uo_npages + 1) > obj->uo_pgtabsize)
		uvm_pgtab_resize(obj,
		    obj->uo_pgtabsize == 0 ? UVM_PGTAB_MIN :
					     2 * obj->uo_pgtabsize);
	uvm_pgtab_put(obj, pg);
	PGLIST_INSERT_TAIL(&obj->memq, pg, listq);
	obj->uo_npages++;
	pg->flags |= PG_TABLED;
}

/*
 * uvm_pageremove: take pg out of its object.  The object's last page
 * takes the table with it, so an object with no page holds no memory
 * (and an object is freed only when it has no page).
 */
static void
uvm_pageremove(struct vm_page *pg)
{
	struct uvm_object *obj = pg->pg_owner.pgo_obj;
	long i;

	KASSERT(pg->flags & PG_TABLED);
	i = uvm_pgtab_find(obj, pg->offset);
	KASSERTMSG(i >= 0 && uvm_pgtab_page(obj->uo_pgtab[i]) == pg,
	    "%s: page 0x%llx is not in its object's table", __func__,
	    (unsigned long long)VM_PAGE_TO_PHYS(pg));
	uvm_pgtab_remove(obj, (uint32_t)i);
	PGLIST_REMOVE(&obj->memq, pg, listq);
	if (--obj->uo_npages == 0) {
		free(obj->uo_pgtab);
		obj->uo_pgtab = NULL;
		obj->uo_pgtabsize = 0;
	}
	pg->flags &= ~PG_TABLED;
	pg->pg_owner.pgo_obj = NULL;
}

/*
 * uvm_pagelookup: the page of obj at offset off, if resident.
 */
struct vm_page *
uvm_pagelookup(struct uvm_object *obj, voff_t off)
{
	long i = uvm_pgtab_find(obj, off);

	return i < 0 ? NULL : uvm_pgtab_page(obj->uo_pgtab[i]);
}

/*
 * uvm_obj_check_pages: check obj's table of pages: it holds uo_npages
 * pages, each of them tabled in obj at an offset that finds it, and is
 * at most half full.
 * => returns the number of inconsistencies found.
 */
static int
uvm_obj_check_pages(struct kcheck *kc, const struct uvm_object *obj)
{
	unsigned int before = kc->kc_nerr;
	struct vm_page *pg;
	uint32_t i, n = 0;

	for (i = 0; i < obj->uo_pgtabsize; i++) {
		if (obj->uo_pgtab[i] == 0)
			continue;
		n++;
		if (obj->uo_pgtab[i] > (uint32_t)uvmexp.npages) {
			kcheck_fail(kc, "object %p: table slot %u holds %u",
			    (const void *)obj, i, obj->uo_pgtab[i]);
			continue;
		}
		pg = uvm_pgtab_page(obj->uo_pgtab[i]);
		if ((pg->flags & PG_TABLED) == 0 || uvm_pageobj(pg) != obj ||
		    uvm_pgtab_find(obj, pg->offset) != (long)i)
			kcheck_fail(kc,
			    "object %p: table slot %u holds page 0x%llx, "
			    "not its own",
			    (const void *)obj, i,
			    (unsigned long long)VM_PAGE_TO_PHYS(pg));
	}
	if (n != (uint32_t)obj->uo_npages || 2 * n > obj->uo_pgtabsize ||
	    (n == 0) != (obj->uo_pgtab == NULL))
		kcheck_fail(kc,
		    "object %p: %u pages in a table of %u slots, "
		    "uo_npages %d",
		    (const void *)obj, n, obj->uo_pgtabsize, obj->uo_npages);
	return (int)(kc->kc_nerr - before);
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
	size_t i;

	uvmexp.pagesize = (unsigned int)PAGE_SIZE;
	uvmexp.pagemask = (unsigned int)PAGE_MASK;
	uvmexp.pageshift = PAGE_SHIFT;
	uvmexp.npages = (int)physmem;

	for (i = 0; i < PGFL_NQUEUES; i++)
		PGLIST_INIT(&uvm.page_free[i]);
	PGLIST_INIT(&uvm.page_active);
	PGLIST_INIT(&uvm.page_inactive);

	uvm.pages = hostmem_zalloc(physmem, sizeof(struct vm_page));
	/* the lists' page numbers are indices into it (uvm_page.h) */
	physmem_attach_pages(uvm.pages);
	for (i = 0; i < physmem; i++) {
		pg = &uvm.pages[i];
		pg->pqflags = PQ_FREE;
		pg->flags = PG_ZERO;
		PGLIST_INSERT_TAIL(&uvm.page_free[PGFL_ZEROS], pg, pageq);
	}
	uvmexp.free = uvmexp.zeropages = (int)physmem;

	uvmexp.reserve_pagedaemon = UVM_RESERVE_PAGEDAEMON;
	uvmexp.reserve_kernel = UVM_RESERVE_KERNEL;
	uvmpd_tune();
}

/*
 * uvm_page_fini: forget all pages (machine shutdown).
 *
 * => an object that still holds pages loses them, and its table of
 *    pages, without being told.
 */
void
uvm_page_fini(void)
{
	struct uvm_object *obj;
	size_t i;

	/* the tables of objects that still hold pages go with the pages */
	for (i = 0; i < physmem; i++)
		if ((obj = uvm_pageobj(&uvm.pages[i])) != NULL &&
		    obj->uo_pgtab != NULL) {
			free(obj->uo_pgtab);
			obj->uo_pgtab = NULL;
			obj->uo_pgtabsize = 0;
		}
	physmem_attach_pages(NULL);
	free(uvm.pages);
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

	/* the caller's arguments: checked in DEBUG builds (kassert.h) */
	KDASSERT(obj == NULL || anon == NULL);
	KDASSERT((off & (voff_t)PAGE_MASK) == 0);
	KDASSERT(obj == NULL || uvm_pagelookup(obj, off) == NULL);

	use_reserve = (flags & UVM_PGA_USERESERVE) != 0 ||
	    (obj != NULL && obj->uo_refs == UVM_OBJ_KERN);
	if (failpoint_hit(FP_PAGE) || uvmexp.free == 0 ||
	    (uvmexp.free <= uvmexp.reserve_kernel && !use_reserve)) {
		uvmexp.pga_fail++;
		return NULL;
	}

	try = (flags & UVM_PGA_ZERO) ? PGFL_ZEROS : PGFL_UNKNOWN;
	pg = PGLIST_FIRST(&uvm.page_free[try]);
	if (pg == NULL) {
		try = PGFL_ZEROS + PGFL_UNKNOWN - try;
		pg = PGLIST_FIRST(&uvm.page_free[try]);
	}
	KASSERTMSG(pg != NULL, "%s: free count %d but no free page", __func__,
	    uvmexp.free);
	PGLIST_REMOVE(&uvm.page_free[try], pg, pageq);
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
	pg->pg_owner.pgo_obj = NULL;
	pg->flags = PG_BUSY | PG_CLEAN | PG_FAKE;
	pg->pqflags = 0;
	pg->wire_count = 0;
	if (anon != NULL) {
		anon->an_page = pg;
		pg->pg_owner.pgo_anon = anon;
		pg->pqflags = PQ_ANON;
	} else if (obj != NULL)
		uvm_pageinsert(pg, obj);
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
		PGLIST_REMOVE(&uvm.page_active, pg, pageq);
		pg->pqflags &= ~PQ_ACTIVE;
		uvmexp.active--;
	} else if (pg->pqflags & PQ_INACTIVE) {
		PGLIST_REMOVE(&uvm.page_inactive, pg, pageq);
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
	else if (uvm_pageanon(pg) != NULL) {
		KASSERT(uvm_pageanon(pg)->an_page == pg);
		uvm_pageanon(pg)->an_page = NULL;
	}
	uvm_pagedequeue(pg);
	if (pg->wire_count > 0) {
		pg->wire_count = 0;
		uvmexp.wired--;
	}

	pg->pg_owner.pgo_obj = NULL;
	pg->offset = 0;
	pg->pqflags = PQ_FREE;
	pg->mdpage.mdpg_attrs = 0;
	if (zero) {
		pg->flags = PG_ZERO;
		PGLIST_INSERT_TAIL(&uvm.page_free[PGFL_ZEROS], pg, pageq);
		uvmexp.zeropages++;
	} else {
		pg->flags = 0;
		PGLIST_INSERT_HEAD(&uvm.page_free[PGFL_UNKNOWN], pg, pageq);
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
		KASSERTMSG(uvm_pageobj(pg) != NULL || uvm_pageanon(pg) != NULL,
		    "%s: page 0x%llx has no owner", __func__,
		    (unsigned long long)VM_PAGE_TO_PHYS(pg));
		PGLIST_INSERT_TAIL(&uvm.page_active, pg, pageq);
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
	/* a queued page's owner is uvm_page_check's to check as well */
	KDASSERTMSG(uvm_pageobj(pg) != NULL || uvm_pageanon(pg) != NULL,
	    "%s: page 0x%llx has no owner", __func__,
	    (unsigned long long)VM_PAGE_TO_PHYS(pg));
	if (pg->wire_count > 0) {
		uvm_pagedequeue(pg);
		return;
	}
	if (pg->pqflags & PQ_INACTIVE) {
		PGLIST_REMOVE(&uvm.page_inactive, pg, pageq);
		pg->pqflags &= ~PQ_INACTIVE;
		uvmexp.inactive--;
	}
	if (pg->pqflags & PQ_ACTIVE)
		PGLIST_REMOVE(&uvm.page_active, pg, pageq);
	else {
		pg->pqflags |= PQ_ACTIVE;
		uvmexp.active++;
	}
	PGLIST_INSERT_TAIL(&uvm.page_active, pg, pageq);
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
	/* a queued page's owner is uvm_page_check's to check as well */
	KDASSERTMSG(uvm_pageobj(pg) != NULL || uvm_pageanon(pg) != NULL,
	    "%s: page 0x%llx has no owner", __func__,
	    (unsigned long long)VM_PAGE_TO_PHYS(pg));
	if (pg->wire_count > 0) {
		uvm_pagedequeue(pg);
		return;
	}
	if (pg->pqflags & PQ_ACTIVE) {
		PGLIST_REMOVE(&uvm.page_active, pg, pageq);
		pg->pqflags &= ~PQ_ACTIVE;
		uvmexp.active--;
	}
	if ((pg->pqflags & PQ_INACTIVE) == 0) {
		pmap_clear_reference(pg);
		PGLIST_INSERT_TAIL(&uvm.page_inactive, pg, pageq);
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
		pg = PGLIST_FIRST(&uvm.page_free[PGFL_UNKNOWN]);
		if (pg == NULL)
			break;
		PGLIST_REMOVE(&uvm.page_free[PGFL_UNKNOWN], pg, pageq);
		pmap_zero_page(VM_PAGE_TO_PHYS(pg));
		pg->flags |= PG_ZERO;
		PGLIST_INSERT_TAIL(&uvm.page_free[PGFL_ZEROS], pg, pageq);
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

	PGLIST_FOREACH (pg, q, pageq) {
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
 *    queues' lengths; every tabled page is found in its object's table,
 *    and each such table holds only its object's pages; the
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
	struct uvm_object *obj;
	struct vm_anon *anon;
	struct vm_page *pg;
	uint16_t q;
	size_t i;

	for (i = 0; i < (size_t)uvmexp.npages; i++) {
		pg = &uvm.pages[i];
		q = pg->pqflags & (PQ_FREE | PQ_ACTIVE | PQ_INACTIVE);
		if (q != 0 && q != PQ_FREE && q != PQ_ACTIVE &&
		    q != PQ_INACTIVE)
			kcheck_fail(kc, "page 0x%llx on several queues (0x%x)",
			    (unsigned long long)VM_PAGE_TO_PHYS(pg),
			    pg->pqflags);
		if (q == PQ_FREE) {
			nfree++;
			if (pg->flags & PG_ZERO)
				nzero++;
			if (pg->pg_owner.pgo_obj != NULL ||
			    (pg->pqflags & ~PQ_FREE) != 0 ||
			    pg->wire_count != 0 ||
			    (pg->flags & ~PG_ZERO) != 0 ||
			    pmap_page_is_mapped(pg))
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
		/* one owner field: PQ_ANON and PG_TABLED say whose it is */
		anon = uvm_pageanon(pg);
		obj = uvm_pageobj(pg);
		if ((pg->pqflags & PQ_ANON) && (pg->flags & PG_TABLED))
			kcheck_fail(kc, "page 0x%llx has two owners",
			    (unsigned long long)VM_PAGE_TO_PHYS(pg));
		if ((pg->pqflags & PQ_ANON) &&
		    (anon == NULL || anon->an_page != pg))
			kcheck_fail(kc, "anon page 0x%llx is not its anon's",
			    (unsigned long long)VM_PAGE_TO_PHYS(pg));
		if (obj != NULL && uvm_pagelookup(obj, pg->offset) != pg)
			kcheck_fail(kc,
			    "object page 0x%llx is not in its object's table",
			    (unsigned long long)VM_PAGE_TO_PHYS(pg));
		/* each object's table once: at its first page */
		if (obj != NULL && PGLIST_FIRST(&obj->memq) == pg)
			(void)uvm_obj_check_pages(kc, obj);
		if ((pg->flags & PG_TABLED) && obj == NULL)
			kcheck_fail(kc, "page 0x%llx tabled with no object",
			    (unsigned long long)VM_PAGE_TO_PHYS(pg));
		if (anon == NULL && obj == NULL && pg->pg_owner.pgo_obj != NULL)
			kcheck_fail(kc, "ownerless page 0x%llx names an owner",
			    (unsigned long long)VM_PAGE_TO_PHYS(pg));
		if ((q == PQ_ACTIVE || q == PQ_INACTIVE) && obj == NULL &&
		    anon == NULL)
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

	/* the replacement policy's order holds the same pages */
	(void)uvmpdpol_check_state(kc);
	return (int)(kc->kc_nerr - before);
}
