/*
 * uvm_aobj.c: anonymous objects -- memory with no file behind it.
 *
 * An aobj is an object whose pages are made zero-filled the first time
 * they are asked for.  The kernel object, which backs pageable kernel
 * memory (u-areas among it), is an aobj that is never freed; shared
 * anonymous memory (MAP_SHARED | MAP_ANON) is an aobj per mapping.
 * Its pages are swap-backed (PQ_AOBJ).
 *
 * Paging.  uao_put with PGO_CLEANIT writes an unwired page that is
 * dirty, or has no copy in swap, to a swap slot, remembered by offset
 * in the object's slot hash; PGO_FREE then frees it (its data now lives
 * only in swap: swpgonly).  uao_get brings such a page back, frees the
 * slot (the page is dirty again) and hands the page over.  A page is
 * PG_BUSY while its I/O is in flight; whoever wants it meanwhile sleeps
 * on it (PG_WANTED).
 */

#include <errno.h>
#include <stdlib.h>

#include "machine/hostmem.h"
#include "sys/proc.h"
#include "uvm/uvm.h"

static LIST_HEAD(, uvm_aobj) uao_list = LIST_HEAD_INITIALIZER(uao_list);

/* an offset's swap slot */
struct uao_swhash_elt {
	LIST_ENTRY(uao_swhash_elt) se_list;
	voff_t se_off;
	int se_slot;
};

static int uao_get(struct uvm_object *, voff_t, struct vm_page **, int *, int,
    vm_prot_t, int, int);
static int uao_put(struct uvm_object *, voff_t, voff_t, int);

const struct uvm_pagerops aobj_pager = {
	.pgo_name = "aobj",
	.pgo_reference = uao_reference,
	.pgo_detach = uao_detach,
	.pgo_get = uao_get,
	.pgo_put = uao_put,
};

/*
 * uao_create: a new anonymous object of `size' bytes.
 *
 * => UAO_FLAG_KERNOBJ makes the kernel object: it takes no references
 *    and is never freed.  Otherwise the object has one reference.
 */
struct uvm_object *
uao_create(voff_t size, int flags)
{
	struct uvm_aobj *aobj;

	aobj = hostmem_zalloc(1, sizeof(*aobj));
	uvm_obj_init(&aobj->u_obj, &aobj_pager,
	    (flags & UAO_FLAG_KERNOBJ) ? UVM_OBJ_KERN : 1);
	aobj->u_size = size;
	aobj->u_flags = flags;
	LIST_INSERT_HEAD(&uao_list, aobj, u_list);
	uvmexp.naobj++;
	return &aobj->u_obj;
}

void
uao_reference(struct uvm_object *uobj)
{
	if (UVM_OBJ_IS_KERN_OBJECT(uobj))
		return;
	KASSERT(uobj->uo_refs > 0);
	uobj->uo_refs++;
}

/*
 * swap slots by offset
 */

static struct uao_swhash *
uao_swchain(struct uvm_aobj *aobj, voff_t off)
{
	return &aobj->u_swhash[atop((uint64_t)off) % UAO_SWHASH_N];
}

static struct uao_swhash_elt *
uao_swlookup(struct uvm_aobj *aobj, voff_t off)
{
	struct uao_swhash_elt *se;

	LIST_FOREACH (se, uao_swchain(aobj, off), se_list)
		if (se->se_off == off)
			return se;
	return NULL;
}

/* uao_find_swslot: the swap slot holding uobj's page at off, or 0 */
int
uao_find_swslot(struct uvm_object *uobj, voff_t off)
{
	struct uao_swhash_elt *se = uao_swlookup((struct uvm_aobj *)uobj, off);

	return se == NULL ? 0 : se->se_slot;
}

/* remember slot for off (a new element: off has none yet) */
static void
uao_set_swslot(struct uvm_aobj *aobj, voff_t off, int slot)
{
	struct uao_swhash_elt *se;

	KASSERT(uao_swlookup(aobj, off) == NULL);
	se = hostmem_alloc(sizeof(*se));
	se->se_off = off;
	se->se_slot = slot;
	LIST_INSERT_HEAD(uao_swchain(aobj, off), se, se_list);
	aobj->u_nswslots++;
}

/*
 * uao_drop_swslot: off's swap copy is no longer wanted: free the slot.
 * onlycopy: no page held the data, so swpgonly counted it (unless the
 * slot is retired: then the data was lost and is no longer counted).
 */
static void
uao_drop_swslot(struct uvm_aobj *aobj, struct uao_swhash_elt *se, bool onlycopy)
{
	if (onlycopy && !uvm_swap_slot_isbad(se->se_slot))
		uvmexp.swpgonly--;
	uvm_swap_free(se->se_slot, 1);
	LIST_REMOVE(se, se_list);
	free(se);
	aobj->u_nswslots--;
}

/*
 * uao_pageout_done: the resident page of uobj at off has just been
 * written to swap slot `slot' (by the pagedaemon): remember it there,
 * dropping the stale copy it had, if any.
 */
void
uao_pageout_done(struct uvm_object *uobj, voff_t off, int slot)
{
	struct uvm_aobj *aobj = (struct uvm_aobj *)uobj;
	struct uao_swhash_elt *se = uao_swlookup(aobj, off);

	KASSERT(uvm_pagelookup(uobj, off) != NULL);
	if (se != NULL)
		uao_drop_swslot(aobj, se, false);
	uao_set_swslot(aobj, off, slot);
}

/* free every swap slot of [start, end) */
static void
uao_drop_swslots(struct uvm_aobj *aobj, voff_t start, voff_t end)
{
	struct uao_swhash_elt *se, *next;
	int i;

	if (aobj->u_nswslots == 0)
		return;
	for (i = 0; i < UAO_SWHASH_N; i++)
		for (se = LIST_FIRST(&aobj->u_swhash[i]); se != NULL;
		     se = next) {
			next = LIST_NEXT(se, se_list);
			if (se->se_off >= start && se->se_off < end)
				uao_drop_swslot(aobj, se,
				    uvm_pagelookup(&aobj->u_obj, se->se_off) ==
					NULL);
		}
}

/* free one page of an aobj: unmapped everywhere first */
static void
uao_freepage(struct vm_page *pg)
{
	KASSERTMSG((pg->flags & PG_BUSY) == 0, "%s: page 0x%llx is busy",
	    __func__, (unsigned long long)VM_PAGE_TO_PHYS(pg));
	pmap_page_protect(pg, VM_PROT_NONE);
	uvm_pagefree(pg);
}

/* the last of a dying aobj is gone: free the aobj itself */
static void
uao_free_final(struct uvm_aobj *aobj)
{
	KASSERT(aobj->u_obj.uo_npages == 0 && aobj->u_nswslots == 0);
	LIST_REMOVE(aobj, u_list);
	free(aobj);
	uvmexp.naobj--;
}

/*
 * uao_free: free the aobj, its pages and its swap.  A page the pagedaemon
 * is writing out cannot be freed yet: it is marked PG_RELEASED, and the
 * aobj, marked dying, lives on until the last such page is done
 * (uao_released).
 */
static void
uao_free(struct uvm_aobj *aobj)
{
	struct vm_page *pg, *next;

	uao_drop_swslots(aobj, 0, aobj->u_size);
	for (pg = PGLIST_FIRST(&aobj->u_obj.memq); pg != NULL; pg = next) {
		next = PGLIST_NEXT(pg, listq);
		if (pg->flags & PG_BUSY) {
			KASSERT(pg->flags & PG_PAGEOUT);
			pg->flags |= PG_RELEASED;
			continue;
		}
		while (pg->wire_count > 0)
			uvm_pageunwire(pg);
		uao_freepage(pg);
	}
	if (aobj->u_obj.uo_npages > 0) {
		aobj->u_flags |= UAO_FLAG_DYING;
		return;
	}
	uao_free_final(aobj);
}

/*
 * uao_released: the page-out of pg, a page of a dying aobj, is over
 * (the pagedaemon has cleared PG_BUSY): free the page, and the aobj if
 * it was the last.
 *
 * => returns whether pg was such a page (false: nothing done).
 */
bool
uao_released(struct vm_page *pg)
{
	struct uvm_aobj *aobj = (struct uvm_aobj *)uvm_pageobj(pg);

	if (!(pg->flags & PG_RELEASED))
		return false;
	KASSERT(aobj->u_flags & UAO_FLAG_DYING);
	pg->flags &= ~PG_RELEASED;
	uao_freepage(pg);
	if (aobj->u_obj.uo_npages == 0)
		uao_free_final(aobj);
	return true;
}

/*
 * uao_detach: drop a reference; the last one frees every page, every
 * swap slot, and the object.  The kernel object is never freed this way.
 */
void
uao_detach(struct uvm_object *uobj)
{
	if (UVM_OBJ_IS_KERN_OBJECT(uobj))
		return;
	KASSERT(uobj->uo_refs > 0);
	if (--uobj->uo_refs > 0)
		return;
	uao_free((struct uvm_aobj *)uobj);
}

/*
 * uao_destroy_kernel: free the kernel object, its pages (wired or not)
 * and its swap at shutdown.
 */
void
uao_destroy_kernel(struct uvm_object *uobj)
{
	KASSERT(UVM_OBJ_IS_KERN_OBJECT(uobj));
	uao_free((struct uvm_aobj *)uobj);
}

/*
 * uao_newpage: a zero-filled page for uobj at off.
 *
 * => returns it PG_BUSY (the caller's), or NULL if memory is short.
 */
static struct vm_page *
uao_newpage(struct uvm_object *uobj, voff_t off)
{
	struct vm_page *pg;

	pg = uvm_pagealloc(uobj, off, NULL, UVM_PGA_ZERO);
	if (pg == NULL)
		return NULL;
	pg->flags &= ~PG_FAKE;
	pg->pqflags |= PQ_AOBJ;
	return pg;
}

/* the I/O on pg is over: it is no longer busy; wake who waits for it */
static void
uao_unbusy(struct vm_page *pg)
{
	if (pg->flags & PG_WANTED)
		wakeup(pg);
	pg->flags &= ~(PG_BUSY | PG_WANTED);
}

/*
 * uao_pagein: bring uobj's page at off in from its swap slot.
 *
 * => the page is in the object, PG_BUSY, while the read sleeps: others
 *    who want it wait for it.
 * => returns the page PG_BUSY, or NULL with *errorp set: ENOMEM if no
 *    page could be had (nothing is lost: the slot stays), or EIO from
 *    the disk: the slot stays with the object, retired, so the page's
 *    data is lost and every later get of it fails the same way.
 */
static struct vm_page *
uao_pagein(struct uvm_aobj *aobj, voff_t off, int slot, int *errorp)
{
	struct uao_swhash_elt *se;
	struct vm_page *pg;

	pg = uvm_pagealloc(&aobj->u_obj, off, NULL, 0);
	if (pg == NULL) {
		*errorp = ENOMEM;
		return NULL;
	}
	pg->pqflags |= PQ_AOBJ;
	*errorp = uvm_swap_get(pg, slot);
	if (*errorp) {
		uao_unbusy(pg);
		uvm_pagefree(pg);
		return NULL;
	}
	uvmexp.flt_anget++;
	TRACE(TRC_PAGEIN,
	    "pid %d: page-in: object page 0x%llx from swap slot %d", curpid(),
	    (unsigned long long)off, slot);
	/* the page will be written: the swap copy goes (if still there) */
	if ((se = uao_swlookup(aobj, off)) != NULL)
		uao_drop_swslot(aobj, se, true);
	pg->flags &= ~(PG_FAKE | PG_CLEAN);
	return pg;
}

/* give back the pages an unlocked get busied before it failed */
static void
uao_get_undo(struct vm_page **pps, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (pps[i] != NULL && pps[i] != PGO_DONTCARE) {
			uao_unbusy(pps[i]);
			pps[i] = NULL;
		}
}

/*
 * uao_get: the pager's get (see struct uvm_pagerops).
 *
 * => a page that was never touched is made zero-filled, in the locked
 *    case too: that needs neither I/O nor sleep.  A page in swap is read
 *    back, unlocked only (locked, it is EBUSY: the caller comes back
 *    unlocked).
 * => unlocked, a busy page is waited for.  A page that cannot be
 *    allocated is ENOMEM (the pages already got are given back): waiting
 *    for memory is the caller's decision (the fault handler's).
 */
static int
uao_get(struct uvm_object *uobj, voff_t offset, struct vm_page **pps,
    int *npagesp, int centeridx, vm_prot_t access __unused, int advice __unused,
    int flags)
{
	struct uvm_aobj *aobj = (struct uvm_aobj *)uobj;
	struct uao_swhash_elt *se;
	struct vm_page *pg;
	voff_t off;
	int i, error = 0;
	bool want;

	for (i = 0; i < *npagesp; i++) {
		off = offset + (voff_t)ptoa(i);
		want = i == centeridx || (flags & PGO_ALLPAGES);
		if (off >= aobj->u_size) {
			KASSERTMSG(!want, "%s: offset 0x%llx past the object",
			    __func__, (unsigned long long)off);
			continue;
		}
		if ((flags & PGO_LOCKED) && pps[i] != NULL)
			continue;
		pg = uvm_pagelookup(uobj, off);
		if (flags & PGO_LOCKED) {
			if (pg == NULL && want &&
			    uao_swlookup(aobj, off) == NULL)
				pg = uao_newpage(uobj, off);
			else if (pg != NULL && (pg->flags & PG_BUSY))
				pg = NULL;
			if (pg != NULL) {
				pg->flags &= ~PG_BUSY;
				pps[i] = pg;
			} else if (want)
				error = EBUSY;
			continue;
		}
		if (!want)
			continue;
		for (;;) {
			pg = uvm_pagelookup(uobj, off);
			if (pg == NULL || !(pg->flags & PG_BUSY))
				break;
			pg->flags |= PG_WANTED;
			(void)tsleep(pg, PVM, "uao_get", 0);
		}
		if (pg == NULL && (se = uao_swlookup(aobj, off)) != NULL)
			pg = uao_pagein(aobj, off, se->se_slot, &error);
		else if (pg == NULL) {
			pg = uao_newpage(uobj, off);
			error = pg == NULL ? ENOMEM : 0;
		} else
			pg->flags |= PG_BUSY;
		if (pg == NULL) {
			uao_get_undo(pps, i);
			return error;
		}
		pps[i] = pg;
	}
	return error;
}

/*
 * uao_pageout: write pg (unwired, not busy) to swap unless it is clean
 * with a copy there already.
 *
 * => returns 0, or ENOMEM when no swap slot is left (the page stays
 *    resident and dirty), or the disk's error (the slot is retired, the
 *    page stays dirty).
 */
static int
uao_pageout(struct uvm_aobj *aobj, struct vm_page *pg)
{
	struct uao_swhash_elt *se = uao_swlookup(aobj, pg->offset);
	int error, n = 1, slot;

	pmap_page_protect(pg, VM_PROT_READ);
	if (se != NULL && (pg->flags & PG_CLEAN) && !pmap_is_modified(pg))
		return 0;
	if (se != NULL)
		uao_drop_swslot(aobj, se, false);
	slot = uvm_swap_alloc(&n, false);
	if (slot == 0)
		return ENOMEM;
	pg->flags |= PG_BUSY;
	(void)pmap_clear_modify(pg);
	error = uvm_swap_put(slot, &pg, 1);
	uao_unbusy(pg);
	if (error) {
		/* the slot is retired; the page is the only copy: dirty */
		pg->flags &= ~PG_CLEAN;
		return error;
	}
	uao_set_swslot(aobj, pg->offset, slot);
	if (!pmap_is_modified(pg))
		pg->flags |= PG_CLEAN;
	return 0;
}

/* uao_put_page: what uao_put does to one resident page */
static int
uao_put_page(struct uvm_aobj *aobj, struct vm_page *pg, int flags)
{
	int error;

	if (flags & PGO_CLEANIT) {
		if (pg->wire_count > 0 || (pg->flags & PG_BUSY))
			return 0; /* wired or in use: it stays */
		error = uao_pageout(aobj, pg);
		if (error)
			return error;
		if (flags & PGO_FREE) {
			uao_freepage(pg);
			uvmexp.swpgonly++;
		}
		return 0;
	}
	if (flags & PGO_FREE) {
		uao_freepage(pg);
		return 0;
	}
	if (flags & PGO_DEACTIVATE)
		uvm_pagedeactivate(pg);
	return 0;
}

/*
 * uao_put: the pager's put, for [start, end).
 *
 * => PGO_CLEANIT writes unwired pages to swap (see the top of this
 *    file), and with PGO_FREE frees them; it needs a thread to sleep in.
 * => PGO_FREE alone frees the pages and their swap slots (the memory is
 *    being thrown away); PGO_DEACTIVATE moves pages to the inactive queue.
 * => returns 0, or the first error of a page-out (the pages before it
 *    were done; this one and the rest stay resident).
 */
static int
uao_put(struct uvm_object *uobj, voff_t start, voff_t end, int flags)
{
	struct uvm_aobj *aobj = (struct uvm_aobj *)uobj;
	struct vm_page *pg, *next;
	voff_t off;
	int error;

	KASSERT(start <= end);
	if ((flags & (PGO_FREE | PGO_CLEANIT)) == PGO_FREE)
		uao_drop_swslots(aobj, start, end);
	if (uobj->uo_npages == 0)
		return 0;
	if ((uint64_t)uobj->uo_npages < atop(end - start)) {
		/* fewer resident pages than the range: walk them */
		for (pg = PGLIST_FIRST(&uobj->memq); pg != NULL; pg = next) {
			next = PGLIST_NEXT(pg, listq);
			if (pg->offset < start || pg->offset >= end)
				continue;
			if ((error = uao_put_page(aobj, pg, flags)) != 0)
				return error;
		}
		return 0;
	}
	for (off = start; off < end; off += (voff_t)PAGE_SIZE) {
		pg = uvm_pagelookup(uobj, off);
		if (pg != NULL && (error = uao_put_page(aobj, pg, flags)) != 0)
			return error;
	}
	return 0;
}

/* uao_ndying: aobjs freed but for pages still being paged out */
int
uao_ndying(void)
{
	struct uvm_aobj *aobj;
	int n = 0;

	LIST_FOREACH (aobj, &uao_list, u_list)
		if (aobj->u_flags & UAO_FLAG_DYING)
			n++;
	return n;
}

/* uao_swpgonly: aobj pages whose only copy is in a good swap slot */
int
uao_swpgonly(void)
{
	struct uao_swhash_elt *se;
	struct uvm_aobj *aobj;
	struct vm_page *pg;
	int i, n = 0;

	/* no page, or one being read in (PG_FAKE) */
	LIST_FOREACH (aobj, &uao_list, u_list)
		for (i = 0; i < UAO_SWHASH_N; i++)
			LIST_FOREACH (se, &aobj->u_swhash[i], se_list) {
				pg = uvm_pagelookup(&aobj->u_obj, se->se_off);
				if ((pg == NULL || (pg->flags & PG_FAKE)) &&
				    !uvm_swap_slot_isbad(se->se_slot))
					n++;
			}
	return n;
}

/* the swap slots of aobj are allocated, inside it, and counted */
static void
uao_check_swap(struct uvm_aobj *aobj, struct kcheck *kc)
{
	struct uao_swhash_elt *se;
	int i, n = 0;

	for (i = 0; i < UAO_SWHASH_N; i++)
		LIST_FOREACH (se, &aobj->u_swhash[i], se_list) {
			n++;
			if (!uvm_swap_slot_inuse(se->se_slot) ||
			    se->se_off >= aobj->u_size)
				kcheck_fail(kc,
				    "aobj %p: swap slot %d at 0x%llx is bad",
				    (void *)aobj, se->se_slot,
				    (unsigned long long)se->se_off);
		}
	if (n != aobj->u_nswslots)
		kcheck_fail(kc, "aobj %p: %d swap slots listed, %d counted",
		    (void *)aobj, n, aobj->u_nswslots);
}

/*
 * uao_check: every aobj's pages are its own and counted.
 *
 * => returns the number of inconsistencies found.
 */
int
uao_check(struct kcheck *kc)
{
	unsigned int before = kc->kc_nerr;
	struct uvm_aobj *aobj;
	struct vm_page *pg;
	int n, naobj = 0;

	LIST_FOREACH (aobj, &uao_list, u_list) {
		naobj++;
		n = 0;
		PGLIST_FOREACH (pg, &aobj->u_obj.memq, listq) {
			n++;
			if (uvm_pageobj(pg) != &aobj->u_obj ||
			    (pg->pqflags & PQ_AOBJ) == 0 ||
			    pg->offset >= aobj->u_size)
				kcheck_fail(kc,
				    "aobj %p: page 0x%llx at 0x%llx "
				    "is not its own",
				    (void *)aobj,
				    (unsigned long long)VM_PAGE_TO_PHYS(pg),
				    (unsigned long long)pg->offset);
		}
		uao_check_swap(aobj, kc);
		if (n != aobj->u_obj.uo_npages)
			kcheck_fail(kc, "aobj %p: %d pages listed, %d counted",
			    (void *)aobj, n, aobj->u_obj.uo_npages);
		if (!UVM_OBJ_IS_KERN_OBJECT(&aobj->u_obj) &&
		    aobj->u_obj.uo_refs <= 0 &&
		    !(aobj->u_flags & UAO_FLAG_DYING))
			kcheck_fail(kc, "aobj %p: %d references", (void *)aobj,
			    aobj->u_obj.uo_refs);
	}
	if (naobj != uvmexp.naobj)
		kcheck_fail(kc, "%d aobjs listed, %d counted", naobj,
		    uvmexp.naobj);
	return (int)(kc->kc_nerr - before);
}
