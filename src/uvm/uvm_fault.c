/*
 * uvm_fault.c: the page fault handler.
 *
 * A fault is resolved against the two layers of the map entry that
 * covers the faulting address:
 *
 *	    +------------------+
 *	    | upper: amap      |  anons: private, copy-on-write pages
 *	    +------------------+
 *	    | lower: object    |  file, anonymous object, or zero fill
 *	    +------------------+
 *
 * The page to map is the first one found from the top.  That gives the
 * four cases of UVM's design, each counted in uvmexp:
 *
 *	case 1A  the amap has an anon: map its page.  If the anon is
 *	         shared (an_ref > 1) the mapping is read-only.   flt_anon
 *	case 1B  the amap has a shared anon and this is a write: copy the
 *	         page into a new anon and put it in the amap.   flt_acow
 *	case 2A  no anon; the object has the page and no copy is needed:
 *	         map the object's page (read-only if the entry is
 *	         copy-on-write).                                flt_obj
 *	case 2B  no anon, and a write to a copy-on-write entry, or no
 *	         object at all: make a new anon in the amap holding a copy
 *	         of the object's page, or zeros.     flt_prcopy, flt_przero
 *
 *	       upper lookup           lower lookup
 *	  anon? --yes--> 1A/1B    no --> write to COW, or no object?
 *	                                   no --> 2A     yes --> 2B
 *
 * The handler runs as named stages sharing one context (struct
 * uvm_faultctx), driven by uvm_fault:
 *
 *	uvm_fault_check   find the entry, check the protection, resolve
 *	                  needs-copy (amap_copy), choose the window of
 *	                  neighbouring pages to map as well (by advice);
 *	uvm_fault_upper_lookup   the window's anons; map resident neighbours
 *	uvm_fault_upper   cases 1A and 1B
 *	uvm_fault_lower   the object's pages (resident neighbours mapped
 *	                  without waiting); cases 2A and 2B
 *
 * A stage that must wait -- for memory (uvm_wait), or for a pager --
 * gives up what it holds and returns ERESTART; the driver starts over
 * from the check stage, since the map may have changed meanwhile.  Out
 * of memory with swap full -- or with no thread to wait in, when the
 * host drives the VM directly -- the fault fails with ENOMEM (for a
 * program, SIGKILL: UVM's rule).  An anon in swap, or an object page in
 * swap or in its file, is read in by the upper or lower stage.
 *
 * Neighbours ("fault-ahead"): with normal advice the 3 pages before and
 * 4 after the fault are mapped too if they are resident; with sequential
 * advice 8 before and 7 after, and the pages behind are deactivated
 * (they will not be used again); with random advice none.  Wiring
 * faults map only the page asked for.  A neighbour mapped already as it
 * would be is left alone, so that each is entered once: in memory shared
 * copy-on-write, read-only, until its own write fault replaces it with
 * its copy.  (Not mapping shared neighbours at all on a write would save
 * that entry but change what is resident.)  The faulting page's own
 * mapping loads the TLB for the access being retried (pmap_enter with
 * the access type).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "machine/hostmem.h"
#include "sys/proc.h"
#include "uvm/uvm.h"

/* the fault-ahead window of each advice, in pages */
static const struct {
	int nback;
	int nforw;
} uvm_advice_window[] = {
	[UVM_ADV_NORMAL] = { 3, 4 },
	[UVM_ADV_RANDOM] = { 0, 0 },
	[UVM_ADV_SEQUENTIAL] = { 8, 7 },
};

#define UVM_MAXRANGE 16 /* the largest window, in pages */

/*
 * struct uvm_faultctx: what the stages share.  uvm_fault sets the fields
 * up to fault_type, wire_paging and narrow; the check stage fills in the
 * rest (anons[] and pages[] up to npages: the upper lookup sets pages[]
 * and mapped_known);
 * the others read it.
 */
struct uvm_faultctx {
	struct vm_map *map;	    /* the faulting map */
	struct proc *user;	    /* the process it is for; NULL: kernel */
	vaddr_t va;		    /* the faulting page */
	struct vm_map_entry *entry; /* the entry that maps it */
	vm_fault_t fault_type;	    /* VM_FAULT_* */
	vm_prot_t access_type;	    /* what the access wanted */
	vm_prot_t enter_prot;	    /* protection to map with */
	bool wire_mapping;	    /* map the page wired */
	bool wire_paging;	    /* wire the page itself */
	bool narrow;		    /* no fault-ahead */
	vaddr_t startva;	    /* the window: first page */
	int npages;		    /* pages in the window */
	int centeridx;		    /* the faulting page's index */
	struct vm_anon *anons[UVM_MAXRANGE];
	struct vm_page *pages[UVM_MAXRANGE];
	/* the window's mappings, asked for once (uvmfault_map_neighbour) */
	bool mapped_known;		     /* the three below are set */
	uint32_t mapped;		     /* bit i: page i is mapped */
	paddr_t mapped_pa[UVM_MAXRANGE];     /* to this page */
	vm_prot_t mapped_prot[UVM_MAXRANGE]; /* with this protection */
};

/* an entry's pages must not be writable in the pmap while it is COW */
static inline vm_prot_t
uvmfault_mask(const struct vm_map_entry *entry)
{
	return UVM_ET_ISCOPYONWRITE(entry) ? ~VM_PROT_WRITE : VM_PROT_ALL;
}

/*
 * uvmfault_user: the user process a fault in map is taken for, or NULL
 * when it is the kernel's own: a fault on the kernel map (u-areas at
 * boot, fork and swapin; pageable kernel memory), on a map that is not
 * the running process's, by a kernel thread, or with no process running
 * (the host driving the VM).  Only a user process's own faults are
 * credited to it (ru_minflt, ru_majflt) and logged with its pid.
 */
static struct proc *
uvmfault_user(struct vm_map *map)
{
	struct proc *p = curproc;

	if (p == NULL || (p->p_flag & P_SYSTEM) || p->p_vmspace == NULL ||
	    map != &p->p_vmspace->vm_map || p->p_stats == 0)
		return NULL;
	return p;
}

/*
 * uvmfault_trace: log the fault and its case (`what') as its process's
 * ("pid N") or the kernel's ("kernel").
 */
static inline void
uvmfault_trace(const struct uvm_faultctx *flt, const char *what)
{
	if (!TRACE_ON(TRC_FAULT))
		return;
	if (flt->user != NULL)
		trace_event(TRC_FAULT, "pid %d: fault 0x%lx: %s",
		    flt->user->p_pid, (unsigned long)flt->va, what);
	else
		trace_event(TRC_FAULT, "kernel: fault 0x%lx: %s",
		    (unsigned long)flt->va, what);
}

/*
 * uvmfault_nomem: a stage could not get memory.
 *
 * => returns ENOMEM when waiting cannot help -- swap is full, or there
 *    is no thread to wait in (the host driving the VM directly) -- else
 *    waits for the pagedaemon and returns ERESTART.
 */
static int
uvmfault_nomem(const char *wmsg)
{
	if (uvm_swapisfull() || curproc == NULL)
		return ENOMEM;
	uvm_wait(wmsg);
	return ERESTART;
}

/*
 * uvmfault_deactivate_behind: sequential access will not come back to
 * the pages behind the window: unmap them and move them to the inactive
 * queue, so they are the first to be reclaimed.
 */
static void
uvmfault_deactivate_behind(struct uvm_faultctx *flt, int nback)
{
	struct vm_map_entry *entry = flt->entry;
	struct uvm_object *uobj = entry->object.uvm_obj;
	struct vm_page *pg;
	voff_t uoff;
	int i;

	for (i = 0; i < nback; i++) {
		if (flt->anons[i] == NULL)
			continue;
		pg = flt->anons[i]->an_page;
		if (pg == NULL || (pg->flags & PG_BUSY) || pg->wire_count > 0)
			continue;
		pmap_page_protect(pg, VM_PROT_NONE);
		uvm_pagedeactivate(pg);
	}
	if (uobj != NULL && entry->wired_count == 0) {
		uoff = entry->offset + (voff_t)(flt->startva - entry->start);
		uobj->pgops->pgo_put(uobj, uoff, uoff + (voff_t)ptoa(nback),
		    PGO_DEACTIVATE);
	}
}

/*
 * uvm_fault_check: the first stage.
 *
 * 1. look the address up: no entry is EFAULT;
 * 2. check the protection (the maximum one for VM_FAULT_WIREMAX): not
 *    allowed is EACCES;
 * 3. a wired mapping is faulted in with all its protection at once;
 * 4. resolve needs-copy now for a write, or when there is no object
 *    (the amap is all there is): amap_copy under the write lock, then
 *    ERESTART; for a read, just map without write permission;
 * 5. compute the fault-ahead window and look up its anons.
 *
 * => on success the map is read-locked and the context is filled in.
 * => on error or ERESTART the map is unlocked.
 */
static int
uvm_fault_check(struct uvm_faultctx *flt)
{
	struct vm_map *map = flt->map;
	struct vm_map_entry *entry;
	vm_prot_t check_prot;
	vaddr_t va = flt->va;
	int nback, nforw, advice;

	vm_map_lock_read(map);
	if (!uvm_map_lookup_entry(map, va, &entry)) {
		vm_map_unlock_read(map);
		return EFAULT;
	}
	KASSERT(!UVM_ET_ISSUBMAP(entry));
	flt->entry = entry;

	check_prot = flt->fault_type == VM_FAULT_WIREMAX ?
	    entry->max_protection :
	    entry->protection;
	if ((check_prot & flt->access_type) != flt->access_type) {
		vm_map_unlock_read(map);
		return EACCES;
	}
	flt->enter_prot = check_prot;
	flt->wire_mapping = flt->wire_paging || entry->wired_count > 0;
	if (flt->wire_mapping) {
		flt->access_type = flt->enter_prot;
		flt->narrow = true;
	}

	if (UVM_ET_ISNEEDSCOPY(entry)) {
		if ((flt->access_type & VM_PROT_WRITE) ||
		    entry->object.uvm_obj == NULL) {
			vm_map_unlock_read(map);
			vm_map_lock(map);
			/* the map may have changed while it was unlocked */
			if (uvm_map_lookup_entry(map, va, &entry) &&
			    UVM_ET_ISNEEDSCOPY(entry)) {
				amap_copy(map, entry, AMAP_COPY_CHUNK, va,
				    va + PAGE_SIZE);
				uvmexp.flt_amcopy++;
				if (UVM_ET_ISNEEDSCOPY(entry)) {
					vm_map_unlock(map);
					uvmexp.flt_noamap++;
					uvm_wait("flt_amapcopy");
					return ERESTART;
				}
			}
			vm_map_unlock(map);
			return ERESTART;
		}
		flt->enter_prot &= ~VM_PROT_WRITE;
	}

	if (entry->aref.ar_amap == NULL && entry->object.uvm_obj == NULL) {
		/* nothing backs this entry: nothing to fault in */
		vm_map_unlock_read(map);
		return EFAULT;
	}

	if (flt->narrow) {
		nback = nforw = 0;
	} else {
		advice = entry->advice;
		nback = MIN(uvm_advice_window[advice].nback,
		    (int)atop(va - entry->start));
		nforw = MIN(uvm_advice_window[advice].nforw,
		    (int)atop(entry->end - va) - 1);
		/* a restarted fault does not map neighbours twice */
		flt->narrow = true;
	}
	flt->startva = va - ptoa(nback);
	flt->npages = nback + nforw + 1;
	flt->centeridx = nback;
	KASSERT(flt->npages <= UVM_MAXRANGE);
	if (entry->aref.ar_amap != NULL)
		amap_lookups(&entry->aref, flt->startva - entry->start,
		    flt->anons, flt->npages);
	else
		memset(flt->anons, 0, sizeof(flt->anons[0]) * flt->npages);

	if (entry->advice == UVM_ADV_SEQUENTIAL && nback > 0) {
		uvmfault_deactivate_behind(flt, nback);
		flt->startva = va;
		flt->npages -= nback;
		flt->centeridx = 0;
		memmove(flt->anons, flt->anons + nback,
		    sizeof(flt->anons[0]) * flt->npages);
	}
	return 0;
}

/*
 * uvmfault_map_neighbour: map pg, a resident neighbour of the faulting
 * page, at window slot i with prot, unless it is mapped so already.
 *
 * => a neighbour mapped to the same page with the same protection is
 *    left alone, not even activated (as NetBSD-current's
 *    uvm_fault_upper_lookup leaves one that pmap_extract finds): its own
 *    accesses set its referenced bit, which the pagedaemon's scan reads,
 *    and entering it again would only cost a table walk, a TLB
 *    invalidation and, for a wired one, its pmap wiring.
 * => one not mapped, or mapped with another protection or to another
 *    page, is activated (as NetBSD 1.6 does every neighbour: the use of
 *    a page is a sign its neighbours will be used too) and entered.
 *    The window's mappings are asked of the pmap once, at the first
 *    neighbour, and stay true for the slots not yet mapped: the fault
 *    maps each slot at most once (the lower stage's slots are those
 *    with no anon, which the upper one leaves alone).
 * => failures to map are ignored: fault-ahead is an optimisation.
 * => returns whether it entered a mapping.
 */
static bool
uvmfault_map_neighbour(struct uvm_faultctx *flt, int i, struct vm_page *pg,
    vm_prot_t prot)
{
	struct pmap *pmap = flt->map->pmap;

	if (!flt->mapped_known) {
		flt->mapped = pmap_extract_range(pmap, flt->startva,
		    flt->npages, flt->mapped_pa, flt->mapped_prot);
		flt->mapped_known = true;
	}
	if ((flt->mapped & ((uint32_t)1 << i)) &&
	    flt->mapped_pa[i] == VM_PAGE_TO_PHYS(pg) &&
	    flt->mapped_prot[i] == prot)
		return false;
	uvm_pageactivate(pg);
	(void)pmap_enter(pmap, flt->startva + ptoa(i), VM_PAGE_TO_PHYS(pg),
	    prot, PMAP_CANFAIL);
	return true;
}

/*
 * uvm_fault_upper_lookup: map the resident anon pages of the window
 * around the fault, without waiting for anything.
 *
 * => a shared anon's page is mapped read-only; one mapped already as
 *    it would be is skipped (uvmfault_map_neighbour).  flt_namap counts
 *    the neighbours mapped.

 * => returns whether the faulting page itself has an anon.
 */
static bool
uvm_fault_upper_lookup(struct uvm_faultctx *flt)
{
	struct pmap *pmap = flt->map->pmap;
	struct vm_anon *anon;
	struct vm_page *pg;
	int i;

	flt->mapped_known = false;
	for (i = 0; i < flt->npages; i++) {
		anon = flt->anons[i];
		/* slots with an anon need no object page */
		flt->pages[i] = anon != NULL ? PGO_DONTCARE : NULL;
		if (anon == NULL || i == flt->centeridx)
			continue;
		pg = anon->an_page;
		if (pg == NULL || (pg->flags & PG_BUSY))
			continue;
		if (uvmfault_map_neighbour(flt, i, pg,
			anon->an_ref > 1 ? flt->enter_prot & ~VM_PROT_WRITE :
					   flt->enter_prot))
			uvmexp.flt_namap++;
	}
	pmap_update(pmap);
	return flt->anons[flt->centeridx] != NULL;
}

/* the pmap_enter flags of the faulting page */
static inline int
uvmfault_enter_flags(const struct uvm_faultctx *flt)
{
	return flt->access_type | PMAP_CANFAIL |
	    (flt->wire_mapping ? PMAP_WIRED : 0);
}

/*
 * uvmfault_page_done: put a freshly mapped page where it belongs.
 *
 * => a wiring fault wires it.  A fault on a wired entry that replaced the
 *    page (a copy made by 1B or 2B) moves the wiring from the old page,
 *    old, to the new one; otherwise the page is activated.
 */
static void
uvmfault_page_done(struct uvm_faultctx *flt, struct vm_page *pg,
    struct vm_page *old)
{
	if (flt->wire_paging || (old != NULL && old != pg)) {
		uvm_pagewire(pg);
		uvmexp.flt_wired++;
		if (old != NULL && old != pg)
			uvm_pageunwire(old);
	} else
		uvm_pageactivate(pg);
}

/*
 * uvmfault_replaced: the page a copy replaces is `old'; if the fault is
 * on a wired entry (and not itself a wiring), that page holds the
 * entry's wiring, which must move to the copy.
 */
static struct vm_page *
uvmfault_replaced(const struct uvm_faultctx *flt, struct vm_page *old)
{
	return flt->wire_mapping && !flt->wire_paging ? old : NULL;
}

/*
 * uvmfault_enter: map the resolved page and finish the fault.
 *
 * => pmap_enter with prot (and the wiring the fault asks for); on
 *    success the page is wired or activated (old: see uvmfault_page_done)
 *    and 0 returned; if the pmap has no memory, the page is left active
 *    for the retry and ERESTART or ENOMEM returned.
 * => called with the map read-locked; returns with it unlocked.
 */
static int
uvmfault_enter(struct uvm_faultctx *flt, struct vm_page *pg, vm_prot_t prot,
    struct vm_page *old)
{
	int error;

	error = pmap_enter(flt->map->pmap, flt->va, VM_PAGE_TO_PHYS(pg), prot,
	    uvmfault_enter_flags(flt) & (prot | ~VM_PROT_ALL));
	if (error) {
		uvm_pageactivate(pg);
		vm_map_unlock_read(flt->map);
		uvmexp.flt_noram++;
		return uvmfault_nomem("flt_pmfail");
	}
	uvmfault_page_done(flt, pg, old);
	pmap_update(flt->map->pmap);
	vm_map_unlock_read(flt->map);
	return 0;
}

/*
 * uvmfault_newanon: a new anon with a page of its own, zero-filled if
 * zero is set, for a promotion or a copy-on-write.
 *
 * => returns the page (PG_BUSY, owned by *anonp), or NULL when an anon
 *    or a page could not be had (counted; nothing is left allocated).
 */
static struct vm_page *
uvmfault_newanon(struct vm_anon **anonp, bool zero)
{
	struct vm_anon *anon;
	struct vm_page *pg;

	anon = uvm_analloc();
	if (anon == NULL) {
		uvmexp.flt_noanon++;
		return NULL;
	}
	pg = uvm_pagealloc(NULL, 0, anon, zero ? UVM_PGA_ZERO : 0);
	if (pg == NULL) {
		anon->an_ref = 0;
		uvm_anfree(anon);
		uvmexp.flt_noram++;
		return NULL;
	}
	*anonp = anon;
	return pg;
}

/*
 * uvmfault_update_sharers: a copy (1B) or promotion (2B) in a shared
 * amap is about to put newpg in the slot of the faulting page -- for
 * every map sharing the amap.  Their mappings of oldpg at that slot go,
 * so that they fault and find the new page; a wired one moves to the new
 * page instead, wiring and all, since a wired page stays mapped and
 * resident.  Mappings of oldpg that are not this slot's -- through
 * another amap holding the same anon, or of the object page directly --
 * stay as they are.
 *
 * => oanon is the slot's anon (1B), or NULL for an empty slot over the
 *    object page oldpg (2B); call before amap_add changes the slot.
 * => the faulting map's own mapping is uvmfault_enter's to replace.
 */
static void
uvmfault_update_sharers(struct uvm_faultctx *flt, struct vm_anon *oanon,
    struct vm_page *oldpg, struct vm_page *newpg)
{
	struct vm_amap *amap = flt->entry->aref.ar_amap;
	struct pmap_mapping buf[8], *m = buf;
	struct vm_map_entry *e;
	struct vm_map *map;
	vaddr_t off;
	vm_prot_t prot;
	int i, n;

	n = pmap_page_mappings(oldpg, m, 8);
	if (n > 8) {
		m = hostmem_alloc((size_t)n * sizeof(*m));
		(void)pmap_page_mappings(oldpg, m, n);
	}
	for (i = 0; i < n; i++) {
		if (m[i].pm_pmap == flt->map->pmap && m[i].pm_va == flt->va)
			continue;
		map = uvm_map_of_pmap(m[i].pm_pmap);
		if (map == NULL || !uvm_map_lookup_entry(map, m[i].pm_va, &e) ||
		    e->aref.ar_amap != amap)
			continue;
		off = m[i].pm_va - e->start;
		if (amap_lookup(&e->aref, off) != oanon)
			continue;
		if (oanon == NULL &&
		    (e->object.uvm_obj != uvm_pageobj(oldpg) ||
			e->offset + (voff_t)off != oldpg->offset))
			continue;
		if (!m[i].pm_wired) {
			pmap_remove(m[i].pm_pmap, m[i].pm_va,
			    m[i].pm_va + PAGE_SIZE);
			continue;
		}
		prot = e->protection;
		if (UVM_ET_ISNEEDSCOPY(e))
			prot &= ~VM_PROT_WRITE;
		/* out of pmap memory: unmapped, the wiring still moves */
		if (pmap_enter(m[i].pm_pmap, m[i].pm_va, VM_PAGE_TO_PHYS(newpg),
			prot, PMAP_WIRED | PMAP_CANFAIL) != 0)
			pmap_remove(m[i].pm_pmap, m[i].pm_va,
			    m[i].pm_va + PAGE_SIZE);
		uvm_pagewire(newpg);
		uvm_pageunwire(oldpg);
		pmap_update(m[i].pm_pmap);
	}
	if (m != buf)
		free(m);
}

/*
 * uvm_fault_upper: the faulting page has an anon (cases 1A and 1B).
 *
 * => an anon whose page is in swap (or busy with I/O) is brought in
 *    first (uvm_anon_pagein), and the fault starts over.
 * => called with the map read-locked; returns with it unlocked.
 * => returns 0; ERESTART; ENOMEM when memory ran short (the amap is
 *    consistent either way: a copy already made stays made); EIO if the
 *    page could not be read back from swap.
 */
static int
uvm_fault_upper(struct uvm_faultctx *flt)
{
	struct vm_anon *anon = flt->anons[flt->centeridx], *oanon;
	struct vm_map_entry *entry = flt->entry;
	struct vm_page *pg, *old = NULL;
	vm_prot_t prot = flt->enter_prot;

	int error;

	if (anon->an_page == NULL || (anon->an_page->flags & PG_BUSY)) {
		/* in swap, or its I/O in flight: wait for it, then again */
		vm_map_unlock_read(flt->map);
		error = uvm_anon_pagein(anon);
		if (error == ENOMEM) {
			uvmexp.flt_noram++;
			return uvmfault_nomem("flt_anget");
		}
		return error == 0 ? ERESTART : error;
	}

	if ((flt->access_type & VM_PROT_WRITE) && anon->an_ref > 1) {
		/* case 1B: copy on write */
		oanon = anon;
		old = uvmfault_replaced(flt, oanon->an_page);
		pg = uvmfault_newanon(&anon, false);
		if (pg == NULL) {
			vm_map_unlock_read(flt->map);
			return uvmfault_nomem("flt_noram1");
		}
		uvm_pagecopy(oanon->an_page, pg);
		pg->flags &= ~(PG_BUSY | PG_FAKE);
		if (entry->aref.ar_amap->am_flags & AMAP_SHARED)
			uvmfault_update_sharers(flt, oanon, oanon->an_page, pg);
		amap_add(&entry->aref, flt->va - entry->start, anon, true);
		/* the amap still holds oanon elsewhere: never drops to 0 */
		oanon->an_ref--;
		KASSERT(oanon->an_ref > 0);
		uvmexp.flt_acow++;
		uvmfault_trace(flt, "case 1B, anon page copied on write");
	} else {
		/* case 1A: map the anon's page */
		pg = anon->an_page;
		if (anon->an_ref > 1)
			prot &= ~VM_PROT_WRITE;
		uvmexp.flt_anon++;
		uvmfault_trace(flt,
		    (prot & VM_PROT_WRITE) ?
			"case 1A, anon page mapped" :
			"case 1A, anon page mapped read-only");
	}

	return uvmfault_enter(flt, pg, prot, old);
}

/*
 * uvm_fault_lower_neighbours: map the object's resident pages of the
 * window (no I/O, no waiting) and note the faulting page if resident.
 *
 * => returns the faulting page if the object had it at hand, else NULL.
 */
static struct vm_page *
uvm_fault_lower_neighbours(struct uvm_faultctx *flt)
{
	struct vm_map_entry *entry = flt->entry;
	struct uvm_object *uobj = entry->object.uvm_obj;
	struct vm_page *pg, *center = NULL;
	int i, gotpages = flt->npages;
	voff_t uoff;

	uoff = entry->offset + (voff_t)(flt->startva - entry->start);
	(void)uobj->pgops->pgo_get(uobj, uoff, flt->pages, &gotpages,
	    flt->centeridx, flt->access_type & uvmfault_mask(entry),
	    entry->advice, PGO_LOCKED);
	for (i = 0; i < flt->npages; i++) {
		pg = flt->pages[i];
		if (pg == NULL || pg == PGO_DONTCARE)
			continue;
		if (i == flt->centeridx) {
			center = pg;
			continue;
		}
		if (uvmfault_map_neighbour(flt, i, pg,
			flt->enter_prot & uvmfault_mask(entry)))
			uvmexp.flt_nomap++;
	}
	pmap_update(flt->map->pmap);
	if (center != NULL)
		uvmexp.flt_lget++;
	return center;
}

/*
 * uvmfault_unbusy: an object page got busy from the pager is done with:
 * wake whoever waits for it.  activate: and put it on the active queue.
 */
static void
uvmfault_unbusy(struct vm_page *pg, bool activate)
{
	KASSERT(pg->flags & PG_BUSY);
	if (pg->flags & PG_WANTED)
		wakeup(pg);
	pg->flags &= ~(PG_BUSY | PG_WANTED | PG_FAKE);
	if (activate)
		uvm_pageactivate(pg);
}

/*
 * uvm_fault_lower: no anon for the faulting page (cases 2A and 2B).
 *
 * 1. get the object's page: from the neighbour pass if it was at hand,
 *    else from the pager, which may do I/O (the map is unlocked for it
 *    and the fault restarts if the map changed meanwhile);
 * 2. promote (2B) for a write to a copy-on-write entry, or when there
 *    is no object: a new anon with a copy of the page, or zeros;
 *    otherwise (2A) map the object's page;
 * 3. enter the mapping, wire or activate the page.
 *
 * => called with the map read-locked; returns with it unlocked.
 * => returns 0; a pager's error (EIO, or EINVAL past the end of a
 *    file); ENOMEM; or ERESTART.
 */
static int
uvm_fault_lower(struct uvm_faultctx *flt)
{
	struct vm_map_entry *entry = flt->entry;
	struct uvm_object *uobj = entry->object.uvm_obj;
	struct vm_page *uobjpage = NULL, *pg, *old = NULL;
	struct vm_anon *anon;
	unsigned int timestamp;
	bool promote, busied = false;
	vm_prot_t prot = flt->enter_prot;
	voff_t uoff;
	int error, n;

	if (uobj != NULL) {
		uobjpage = uvm_fault_lower_neighbours(flt);
		if (uobjpage == NULL) {
			/* the pager may sleep: unlock, get, relock, verify */
			timestamp = flt->map->timestamp;
			vm_map_unlock_read(flt->map);
			n = 1;
			uoff = entry->offset + (voff_t)(flt->va - entry->start);
			error = uobj->pgops->pgo_get(uobj, uoff, &uobjpage, &n,
			    0, flt->access_type & uvmfault_mask(entry),
			    entry->advice, PGO_SYNCIO);
			uvmexp.flt_get++;
			if (error == ENOMEM)
				return uvmfault_nomem("flt_pgget");
			if (error)
				return error;
			busied = true;
			vm_map_lock_read(flt->map);
			if (flt->map->timestamp != timestamp) {
				vm_map_unlock_read(flt->map);
				uvmfault_unbusy(uobjpage, true);
				return ERESTART;
			}
		}
	}

	promote = uobj == NULL ||
	    ((flt->access_type & VM_PROT_WRITE) && UVM_ET_ISCOPYONWRITE(entry));
	if (!promote) {
		/* case 2A */
		pg = uobjpage;
		prot &= uvmfault_mask(entry);
		uvmexp.flt_obj++;
		uvmfault_trace(flt, "case 2A, object page mapped");
	} else {
		/* case 2B: a new anon in the amap */
		KASSERT(entry->aref.ar_amap != NULL);
		old = uvmfault_replaced(flt, uobjpage);
		pg = uvmfault_newanon(&anon, uobjpage == NULL);
		if (pg == NULL) {
			vm_map_unlock_read(flt->map);
			if (busied)
				uvmfault_unbusy(uobjpage, true);
			return uvmfault_nomem("flt_noram2");
		}
		if (uobjpage != NULL) {
			uvm_pagecopy(uobjpage, pg);
			uvmexp.flt_prcopy++;
			uvmfault_trace(flt,
			    "case 2B, object page copied into an anon");
		} else {
			uvmexp.flt_przero++;
			uvmfault_trace(flt, "case 2B, zero-fill anon");
		}
		pg->flags &= ~(PG_BUSY | PG_FAKE);
		/* other maps sharing the amap may map the object's page here */
		if (uobjpage != NULL &&
		    (entry->aref.ar_amap->am_flags & AMAP_SHARED))
			uvmfault_update_sharers(flt, NULL, uobjpage, pg);
		amap_add(&entry->aref, flt->va - entry->start, anon, false);
		if (busied) {
			uvmfault_unbusy(uobjpage, true);
			busied = false;
		}
	}

	/* an object page got from the pager is ours until mapped */
	if (busied)
		uvmfault_unbusy(pg, false);
	return uvmfault_enter(flt, pg, prot, old);
}

/*
 * uvmfault_account: a fault ends: credit it to the user process it was
 * taken for (uvmfault_user; none for the kernel's own), as a major
 * fault if it read pages from swap or a file, else as a minor one.
 */
static void
uvmfault_account(struct proc *p, bool major)
{
	struct rusage *ru;

	if (p == NULL)
		return;
	ru = &proc_pstats(p)->p_ru;
	if (major)
		ru->ru_majflt++;
	else
		ru->ru_minflt++;
}

/*
 * uvm_fault: resolve a fault at vaddr in map.
 *
 * => fault_type: VM_FAULT_INVALID or VM_FAULT_PROTECT for an access
 *    that faulted; VM_FAULT_WIRE (VM_FAULT_WIREMAX: with the maximum
 *    protection) to fault the page in and wire it.
 * => access_type: what the access wanted (VM_PROT_*).
 * => the map must not be write-locked by the caller.
 * => returns 0 when vaddr is mapped so that the access can proceed;
 *    EFAULT if nothing is mapped there; EACCES if the protection does
 *    not allow the access; ENOMEM if memory ran out with swap full (or
 *    outside any thread); a pager's error (EIO; EINVAL past the end of
 *    a file).
 */
int
uvm_fault(struct vm_map *map, vaddr_t vaddr, vm_fault_t fault_type,
    vm_prot_t access_type)
{
	struct uvm_faultctx flt;
	struct proc *p;
	uint64_t reads;
	int error;

	/* field by field: the window's arrays are the check stage's to fill */
	flt.map = map;
	flt.user = p = uvmfault_user(map);
	flt.va = trunc_page(vaddr);
	flt.fault_type = fault_type;
	flt.wire_paging =
	    fault_type == VM_FAULT_WIRE || fault_type == VM_FAULT_WIREMAX;
	flt.narrow = false;
	reads = p != NULL ? p->p_pgreads : 0;
	uvmexp.faults++;
	do {
		flt.access_type = access_type;
		error = uvm_fault_check(&flt);
		if (error)
			continue;
		if (uvm_fault_upper_lookup(&flt))
			error = uvm_fault_upper(&flt);
		else
			error = uvm_fault_lower(&flt);
	} while (error == ERESTART);
	uvmfault_account(p, p != NULL && p->p_pgreads != reads);
	return error;
}

/* how far a uvm_fault_wire got: [start, va) is wired */
struct uvm_fault_wiring {
	struct vm_map *fw_map;
	vaddr_t fw_start;
	vaddr_t fw_va;
};

/* uvm_fault_wire_cleanup: shutdown stopped a wiring: unwire what it did */
static void
uvm_fault_wire_cleanup(void *arg)
{
	struct uvm_fault_wiring *fw = arg;

	if (fw->fw_va != fw->fw_start)
		uvm_fault_unwire(fw->fw_map, fw->fw_start, fw->fw_va);
}

/*
 * uvm_fault_wire: fault in and wire every page of [start, end).
 *
 * => the map must not be write-locked (it may be read-locked).
 * => returns 0, or the error of the first fault that failed, in which
 *    case the pages this call wired before it are unwired again.
 * => a fault may wait for memory for good (every page wired): the
 *    pages wired so far are then unwired at shutdown (kcleanup), so
 *    that the map's teardown finds them as their entries say.
 */
int
uvm_fault_wire(struct vm_map *map, vaddr_t start, vaddr_t end,
    vm_fault_t fault_type, vm_prot_t access_type)
{
	struct uvm_fault_wiring *fw;
	struct kcleanup kc;
	int error = 0;

	KASSERT(fault_type == VM_FAULT_WIRE || fault_type == VM_FAULT_WIREMAX);
	fw = kcleanup_push_state(&kc, uvm_fault_wire_cleanup,
	    &(struct uvm_fault_wiring){ map, start, start }, sizeof(*fw));
	for (; fw->fw_va < end; fw->fw_va += PAGE_SIZE) {
		error = uvm_fault(map, fw->fw_va, fault_type, access_type);
		if (error) {
			uvm_fault_wire_cleanup(fw);
			break;
		}
	}
	kcleanup_pop(&kc);
	return error;
}

/*
 * uvm_fault_unwire: unwire the pages of [start, end), wired by
 * uvm_fault_wire.
 */
void
uvm_fault_unwire(struct vm_map *map, vaddr_t start, vaddr_t end)
{
	vm_map_lock_read(map);
	uvm_fault_unwire_locked(map, start, end);
	vm_map_unlock_read(map);
}

/*
 * uvmfault_wired_page: the wired page behind va when its mapping is gone.
 *
 * => a protection without read, or a copy-on-write in a shared amap,
 *    may remove a wired page's mapping; the page itself stays wired and
 *    resident, in the entry's amap or its object.
 */
static struct vm_page *
uvmfault_wired_page(struct vm_map_entry *entry, vaddr_t va)
{
	struct uvm_object *uobj = entry->object.uvm_obj;
	struct vm_anon *anon = NULL;
	struct vm_page *pg = NULL;

	if (entry->aref.ar_amap != NULL)
		anon = amap_lookup(&entry->aref, va - entry->start);
	if (anon != NULL)
		pg = anon->an_page;
	else if (uobj != NULL)
		pg = uvm_pagelookup(uobj,
		    entry->offset + (voff_t)(va - entry->start));
	if (pg == NULL || pg->wire_count == 0)
		panic("%s: no wired page behind 0x%llx", __func__,
		    (unsigned long long)va);
	return pg;
}

/*
 * uvm_fault_unwire_locked: unwire the pages of [start, end).
 *
 * => the map is locked; every page of the range must be wired; one
 *    whose mapping was removed is found through the entry.
 * => a mapping stays wired in the pmap while its entry is still wired
 *    (mlock), since only the page's own wiring is being dropped.
 */
void
uvm_fault_unwire_locked(struct vm_map *map, vaddr_t start, vaddr_t end)
{
	struct vm_map_entry *entry;
	struct pmap *pmap = map->pmap;
	paddr_t pa;
	vaddr_t va;

	if (!uvm_map_lookup_entry(map, start, &entry))
		panic("%s: 0x%llx is not mapped", __func__,
		    (unsigned long long)start);
	for (va = start; va < end; va += PAGE_SIZE) {
		while (va >= entry->end) {
			KASSERT(entry->next != &map->header &&
			    entry->next->start == entry->end);
			entry = entry->next;
		}
		if (pmap_extract(pmap, va, &pa)) {
			if (entry->wired_count == 0)
				pmap_unwire(pmap, va);
			uvm_pageunwire(PHYS_TO_VM_PAGE(pa));
		} else
			uvm_pageunwire(uvmfault_wired_page(entry, va));
	}
	pmap_update(pmap);
}
