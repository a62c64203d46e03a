/*
 * uvm_anon.c: anons -- allocating, freeing and checking pages of
 * anonymous memory.
 *
 * An anon lives as long as some amap slot points at it: an_ref counts
 * those slots, and whoever drops the count to zero frees the anon with
 * uvm_anfree, which takes its page and its swap slot with it.  An anon
 * whose page was paged out has only its swap slot (an_swslot); the
 * fault handler brings the data back with uvm_anon_pagein.  The amap
 * code does the counting; this file only makes and unmakes anons.  Every
 * anon is a record of the anon pool, so the checker sees every anon by
 * walking the pool, including one that nothing points at.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "machine/failpoint.h"
#include "machine/hostmem.h"
#include "machine/pool.h"
#include "sys/proc.h"
#include "uvm/uvm.h"

/* anons come from a pool, as NetBSD's do */
static struct pool uvm_anon_pool =
    POOL_INITIALIZER("anonpl", sizeof(struct vm_anon));

/*
 * The checker's count of the slots that point at each anon: a table of
 * every anon, sorted by address, made by uvm_anon_check_begin and freed
 * by uvm_anon_check; NULL while no check runs.
 */
struct uvm_anon_chk {
	struct vm_anon *ac_anon;
	int ac_slots; /* slots counted */
};
static struct {
	struct uvm_anon_chk *ct_tab;
	size_t ct_n;
	size_t ct_stray; /* slots counted that point at no anon */
} uvm_anon_chktab;

/*
 * uvm_analloc: a new anon, with no data yet.
 *
 * => the anon comes back with an_ref 1 (the reference of the slot the
 *    caller is going to put it in), no page and no swap slot.
 * => returns NULL if the anon failpoint says so (the host running out is
 *    a panic: hostmem.h).
 */
struct vm_anon *
uvm_analloc(void)
{
	struct vm_anon *anon;

	if (failpoint_hit(FP_ANON))
		return NULL;
	anon = pool_get(&uvm_anon_pool, PR_ZERO);
	anon->an_ref = 1;
	uvmexp.nanon++;
	return anon;
}

/*
 * uvm_anfree: free an anon that no slot points at any more.
 *
 * => an_ref must be 0.
 * => a resident page loses every mapping and is freed, and a swap slot
 *    is freed.  If the page is being paged out, the anon is only marked
 *    (PG_RELEASED on its page) and the pagedaemon finishes the job when
 *    the write is done.
 */
void
uvm_anfree(struct vm_anon *anon)
{
	struct vm_page *pg = anon->an_page;

	KASSERTMSG(anon->an_ref == 0, "%s: anon %p still has %d references",
	    __func__, (void *)anon, anon->an_ref);
	if (pg != NULL && (pg->flags & PG_BUSY)) {
		/*
		 * its page is being paged out: the pagedaemon frees the anon
		 * when the write is done (PG_RELEASED)
		 */
		KASSERT(pg->flags & PG_PAGEOUT);
		pg->flags |= PG_RELEASED;
		return;
	}
	if (anon->an_swslot != 0) {
		/* with no page, the slot held the only copy (unless retired) */
		if (pg == NULL && !uvm_swap_slot_isbad(anon->an_swslot))
			uvmexp.swpgonly--;
		uvm_swap_free(anon->an_swslot, 1);
		anon->an_swslot = 0;
	}
	if (pg != NULL) {
		KASSERTMSG(uvm_pageanon(pg) == anon,
		    "%s: anon %p's page is not its", __func__, (void *)anon);
		pmap_page_protect(pg, VM_PROT_NONE);
		uvm_pagefree(pg);
		KASSERT(anon->an_page == NULL);
	}
	pool_put(&uvm_anon_pool, anon);
	uvmexp.nanon--;
}

static void
uvm_anon_chk_add(void *anon, void *arg __unused)
{
	uvm_anon_chktab.ct_tab[uvm_anon_chktab.ct_n++].ac_anon = anon;
}

static int
uvm_anon_chk_cmp(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct uvm_anon_chk *)a)->ac_anon;
	uintptr_t y = (uintptr_t)((const struct uvm_anon_chk *)b)->ac_anon;

	return x < y ? -1 : x > y;
}

static void
uvm_anon_chk_free(void)
{
	free(uvm_anon_chktab.ct_tab);
	memset(&uvm_anon_chktab, 0, sizeof(uvm_anon_chktab));
}

/* anon's entry in the checker's table, or NULL if it is no anon */
static struct uvm_anon_chk *
uvm_anon_chk_find(const struct vm_anon *anon)
{
	struct uvm_anon_chk key = { .ac_anon = (struct vm_anon *)anon };

	return bsearch(&key, uvm_anon_chktab.ct_tab, uvm_anon_chktab.ct_n,
	    sizeof(key), uvm_anon_chk_cmp);
}

/*
 * uvm_anon_check_begin: start counting the slots that point at each
 * anon (uvm_anon_check_count), every count at zero.
 */
void
uvm_anon_check_begin(void)
{
	size_t n = uvm_anon_pool.pr_nout;

	uvm_anon_chk_free();
	uvm_anon_chktab.ct_tab = hostmem_zalloc(n, sizeof(struct uvm_anon_chk));
	pool_foreach(&uvm_anon_pool, uvm_anon_chk_add, NULL);
	KASSERT(uvm_anon_chktab.ct_n == n);
	qsort(uvm_anon_chktab.ct_tab, n, sizeof(struct uvm_anon_chk),
	    uvm_anon_chk_cmp);
}

/*
 * uvm_anon_check_count: one more slot points at anon.
 *
 * => between uvm_anon_check_begin and uvm_anon_check only.  A slot that
 *    points at no anon of the pool (one freed) is counted apart, and
 *    uvm_anon_check reports it.
 */
void
uvm_anon_check_count(struct vm_anon *anon)
{
	struct uvm_anon_chk *ac;

	KASSERTMSG(uvm_anon_chktab.ct_tab != NULL, "%s: no check begun",
	    __func__);
	if ((ac = uvm_anon_chk_find(anon)) != NULL)
		ac->ac_slots++;
	else
		uvm_anon_chktab.ct_stray++;
}

/* uvm_anon_check's walk of the anon pool */
struct uvm_anon_checkarg {
	struct kcheck *ca_kc;
	int ca_n;
};

static void
uvm_anon_check_one(void *v, void *arg)
{
	struct uvm_anon_checkarg *ca = arg;
	struct kcheck *kc = ca->ca_kc;
	struct vm_anon *anon = v;
	struct vm_page *pg = anon->an_page;
	struct uvm_anon_chk *ac;

	ca->ca_n++;
	/* a freed anon waits for its page-out to end (PG_RELEASED) */
	if (anon->an_ref <= 0 &&
	    !(anon->an_ref == 0 && pg != NULL && (pg->flags & PG_RELEASED)))
		kcheck_fail(kc, "anon %p has an_ref %d", (void *)anon,
		    anon->an_ref);
	if (anon->an_swslot != 0 && !uvm_swap_slot_inuse(anon->an_swslot))
		kcheck_fail(kc, "anon %p: swap slot %d not in use",
		    (void *)anon, anon->an_swslot);
	if (uvm_anon_chktab.ct_tab != NULL) {
		ac = uvm_anon_chk_find(anon);
		if (ac == NULL)
			kcheck_fail(kc, "anon %p was not counted",
			    (void *)anon);
		else if (anon->an_ref != ac->ac_slots)
			kcheck_fail(kc, "anon %p has an_ref %d but %d slots",
			    (void *)anon, anon->an_ref, ac->ac_slots);
	}
	if (pg != NULL &&
	    (uvm_pageanon(pg) != anon || (pg->pqflags & PQ_ANON) == 0 ||
		(pg->pqflags & PQ_FREE) != 0))
		kcheck_fail(kc,
		    "anon %p: page 0x%llx is not the anon's (uanon %p, "
		    "pqflags 0x%x)",
		    (void *)anon, (unsigned long long)VM_PAGE_TO_PHYS(pg),
		    (void *)uvm_pageanon(pg), pg->pqflags);
}

/*
 * uvm_anon_check: check every anon.
 *
 * => always: an_ref > 0 (an anon at 0 should have been freed), a
 *    resident page is owned by the anon (uanon, PQ_ANON, not free), and
 *    uvmexp.nanon equals the anons in the pool.
 * => after uvm_anon_check_begin and a count by the amap checker: an_ref
 *    equals the slots counted, and no slot counted points at what is
 *    not an anon.  The count is used up (its table freed): the next call
 *    checks only the facts above unless counted afresh.
 * => returns the number of inconsistencies found.
 */
int
uvm_anon_check(struct kcheck *kc)
{
	unsigned int before = kc->kc_nerr;
	struct uvm_anon_checkarg ca = { .ca_kc = kc };

	pool_foreach(&uvm_anon_pool, uvm_anon_check_one, &ca);
	if (ca.ca_n != uvmexp.nanon)
		kcheck_fail(kc, "nanon %d but %d anons in the pool",
		    uvmexp.nanon, ca.ca_n);
	if (uvm_anon_chktab.ct_stray > 0)
		kcheck_fail(kc, "%zu amap slots point at no anon",
		    uvm_anon_chktab.ct_stray);
	uvm_anon_chk_free();
	return (int)(kc->kc_nerr - before);
}

/*
 * uvm_anon_pagein: make anon's data resident, reading it back from swap
 * if it is there.
 *
 * => called with no map locked: it may sleep.
 * => returns 0 if the page was resident and not busy; ERESTART after
 *    sleeping -- for a page whose I/O was in flight, or for the read of
 *    this one, which leaves the page resident, clean, and still in its
 *    slot (dirty and out of swap if swap is full) --
 *    since whatever the caller looked at may have changed; ENOMEM if no
 *    page could be had (nothing changed); or EIO, the read failed: the
 *    data is lost and the anon keeps its slot, now retired, so every
 *    later page-in fails the same way (NetBSD's SWSLOT_BAD).
 */
int
uvm_anon_pagein(struct vm_anon *anon)
{
	struct vm_page *pg = anon->an_page;
	int error, slot;

	if (pg != NULL) {
		if ((pg->flags & PG_BUSY) == 0)
			return 0;
		pg->flags |= PG_WANTED;
		(void)tsleep(pg, PVM, "anonbusy", 0);
		return ERESTART;
	}
	slot = anon->an_swslot;
	KASSERTMSG(slot != 0, "%s: anon %p has neither page nor swap", __func__,
	    (void *)anon);
	pg = uvm_pagealloc(NULL, 0, anon, 0);
	if (pg == NULL)
		return ENOMEM;
	error = uvm_swap_get(pg, slot);
	if (pg->flags & PG_WANTED)
		wakeup(pg);
	if (error) {
		pg->flags &= ~(PG_BUSY | PG_WANTED);
		uvm_pagefree(pg);
		return error;
	}
	/*
	 * As NetBSD 1.6: the page comes back clean and keeps its slot, so
	 * a page that is only read is freed again without being written.
	 * The copy in swap goes stale when the page is dirtied: the
	 * pagedaemon then writes it to a new slot and frees the old one
	 * (uvm_pager_done).  When swap is full the slot is given up at once
	 * for other pages, and the page is dirty.
	 */
	pg->flags &= ~(PG_BUSY | PG_WANTED | PG_FAKE);
	uvmexp.swpgonly--;
	if (uvm_swapisfull()) {
		uvm_swap_free(slot, 1);
		anon->an_swslot = 0;
		pg->flags &= ~PG_CLEAN;
	} else
		pg->flags |= PG_CLEAN;
	uvm_pageactivate(pg);
	uvmexp.flt_anget++;
	TRACE(TRC_PAGEIN, "pid %d: page-in: anon page from swap slot %d",
	    curpid(), slot);
	return ERESTART;
}

/*
 * uvm_anon_swapreclaim: swap has no free slot, yet not every slot holds
 * a page's only copy: some hold copies of resident pages read back
 * (uvm_anon_pagein).  Give up to n of those slots back, walking the
 * pages -- every such slot's page is resident -- in physical order; each
 * such page becomes dirty, as it has no other copy now.
 * NetBSD's pagedaemon frees such slots as its scan meets their pages
 * when swap is short; here the cluster writer asks when it needs them.
 *
 * => returns the slots freed.
 */
int
uvm_anon_swapreclaim(int n)
{
	struct vm_anon *anon;
	struct vm_page *pg;
	int freed = 0;
	size_t i;

	for (i = 0; i < (size_t)uvmexp.npages && freed < n; i++) {
		pg = &uvm.pages[i];
		if ((pg->pqflags & (PQ_ANON | PQ_FREE)) != PQ_ANON)
			continue;
		anon = uvm_pageanon(pg);
		if (anon->an_swslot == 0 ||
		    (pg->flags & (PG_BUSY | PG_FAKE)) != 0 ||
		    uvm_swap_slot_isbad(anon->an_swslot))
			continue;
		uvm_swap_free(anon->an_swslot, 1);
		anon->an_swslot = 0;
		pg->flags &= ~PG_CLEAN;
		freed++;
	}
	return freed;
}

/*
 * what an anon holds, read for reports (uvm_extern.h): they change
 * nothing, not even a reference bit
 */
int
uvm_anon_refs(const struct vm_anon *anon)
{
	return anon->an_ref;
}

struct vm_page *
uvm_anon_page(const struct vm_anon *anon)
{
	return anon->an_page;
}

int
uvm_anon_swslot(const struct vm_anon *anon)
{
	return anon->an_swslot;
}

/*
 * uvm_anon_swpgonly: anons whose data is only in swap -- no page, or a
 * page being read in (PG_FAKE: its contents are not there yet) -- in a
 * slot that is not retired
 */
static void
uvm_anon_swpgonly_one(void *v, void *arg)
{
	struct vm_anon *anon = v;

	if (anon->an_swslot != 0 &&
	    (anon->an_page == NULL || (anon->an_page->flags & PG_FAKE)) &&
	    !uvm_swap_slot_isbad(anon->an_swslot))
		(*(int *)arg)++;
}

int
uvm_anon_swpgonly(void)
{
	int n = 0;

	pool_foreach(&uvm_anon_pool, uvm_anon_swpgonly_one, &n);
	return n;
}
