/*
 * uvm_pdpolicy_clock.c: the clock, NetBSD 1.6's replacement policy and
 * uvmsim's default -- two queues and the referenced bit.
 *
 * Balancing (uvmpdpol_balancequeue) refills the inactive queue from the
 * oldest active pages up to inactarg, unmapping each (so a page still in
 * use faults and is reactivated) with its referenced bit cleared.  The
 * scan walks the inactive queue from its head, oldest first: a page
 * referenced since it was deactivated, or one the pagedaemon cannot page
 * out, goes back to the active queue; a busy page is passed by; any
 * other is the victim.  After the pagedaemon has slept (for a write) the
 * scan starts again from the queue's head, as NetBSD 1.6's does: the
 * queue may have changed meanwhile.
 *
 * The queues themselves are uvm_page.c's (see uvm_pdpolicy.h), so the
 * clock has nothing to do when a page comes, goes or is (de)activated.
 */

#include "uvm/uvm.h"

/* the inactive page the scan looks at next */
static struct vm_page *pdpol_clock_next;

/* pdpol_clock_init: no scan under way */
static void
pdpol_clock_init(void)
{
	pdpol_clock_next = NULL;
}

/* does the inactive queue need refilling? */
static bool
pdpol_clock_needsscan(void)
{
	return uvmexp.inactive < uvmexp.inactarg;
}

/*
 * pdpol_clock_balancequeue: refill the inactive queue from the active
 * queue's oldest pages, up to inactarg; busy pages stay.
 */
static void
pdpol_clock_balancequeue(void)
{
	struct vm_page *pg, *next;
	int n = uvmexp.inactarg - uvmexp.inactive, moved = 0;

	for (pg = TAILQ_FIRST(&uvm.page_active); pg != NULL && moved < n;
	     pg = next) {
		next = TAILQ_NEXT(pg, pageq);
		if (pg->flags & PG_BUSY)
			continue;
		pmap_page_protect(pg, VM_PROT_NONE);
		uvm_pagedeactivate(pg);
		uvmexp.pddeact++;
		moved++;
	}
}

/* pdpol_clock_scaninit: the scan starts at the inactive queue's head */
static void
pdpol_clock_scaninit(void)
{
	pdpol_clock_next = TAILQ_FIRST(&uvm.page_inactive);
}

/*
 * pdpol_clock_selectvictim: the next inactive page neither busy nor
 * referenced since it was deactivated, or NULL at the end of the queue.
 *
 * => referenced pages, and pages that cannot be paged out, are
 *    reactivated on the way (pdreact).
 * => the next page is remembered before the victim is returned; the
 *    pagedaemon changes no other page before it asks again, unless it
 *    sleeps, after which it calls uvmpdpol_scanresume.  A next page that
 *    left the inactive queue all the same sends the scan to the head.
 */
static struct vm_page *
pdpol_clock_selectvictim(void)
{
	struct vm_page *pg;

	for (;;) {
		pg = pdpol_clock_next;
		if (pg != NULL && (pg->pqflags & PQ_INACTIVE) == 0)
			pg = TAILQ_FIRST(&uvm.page_inactive);
		if (pg == NULL)
			return NULL;
		pdpol_clock_next = TAILQ_NEXT(pg, pageq);
		uvmexp.pdscans++;
		if (pg->flags & PG_BUSY)
			continue;
		if (pmap_is_referenced(pg) || !uvmpd_pageable(pg)) {
			uvm_pageactivate(pg);
			uvmexp.pdreact++;
			continue;
		}
		return pg;
	}
}

const struct uvm_pdpolicy uvmpdpol_clock = {
	.pdp_name = "clock",
	.pdp_init = pdpol_clock_init,
	.pdp_fini = pdpol_clock_init,
	.pdp_needsscan = pdpol_clock_needsscan,
	.pdp_balancequeue = pdpol_clock_balancequeue,
	.pdp_scaninit = pdpol_clock_scaninit,
	.pdp_scanresume = pdpol_clock_scaninit,
	.pdp_selectvictim = pdpol_clock_selectvictim,
};
