/*
 * uvm_pdpolicy_clock.c: the clock, NetBSD 1.6's replacement policy and
 * uvmsim's default -- two queues and the referenced bit.
 *
 * As NetBSD 1.6's uvm_pdaemon.c runs it (checked against rev 1.39 of
 * 2001-09-30, after the UBC rewrite and before the netbsd-1-6 branch):
 *
 * - The scan (uvmpd_scan_inactive) walks the inactive queue from its
 *   head, oldest first.  A page referenced since it was deactivated
 *   (pmap_clear_reference says so, clearing the bit) is reactivated and
 *   counted in pdreact; a busy
 *   page is passed by; any other is the victim, and the pagedaemon
 *   removes its mappings only then, when it frees or pages it out.
 * - Balancing (uvmpd_scan's second loop, which 1.6 runs after the
 *   inactive scan) moves the oldest active pages to the inactive queue,
 *   up to inactarg and no further.  uvm_pagedeactivate clears a page's
 *   referenced bit and leaves its mappings: a page still in use is
 *   simply used, which sets the bit again, and the scan reactivates it
 *   -- its second chance costs no fault.
 * - After the pagedaemon slept (for a write) the scan goes on from the
 *   page after its victim, unless that page has left the inactive queue
 *   meanwhile; then it starts again at the head, as 1.6's does.  So the
 *   clock needs no pdp_scanresume.
 *
 * Departure: a page on the paging queues that the pagedaemon cannot
 * page out (uvmpd_pageable) is reactivated by the scan as a referenced
 * one would be; 1.6 has no such page on its queues.
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
 *
 * => each page moved keeps its mappings; uvm_pagedeactivate clears its
 *    referenced bit, which the scan looks at later.
 */
static void
pdpol_clock_balancequeue(void)
{
	struct vm_page *pg, *next;
	int n = uvmexp.inactarg - uvmexp.inactive, moved = 0;

	for (pg = PGLIST_FIRST(&uvm.page_active); pg != NULL && moved < n;
	     pg = next) {
		next = PGLIST_NEXT(pg, pageq);
		if (pg->flags & PG_BUSY)
			continue;
		uvm_pagedeactivate(pg);
		uvmexp.pddeact++;
		moved++;
	}
}

/* pdpol_clock_scaninit: the scan starts at the inactive queue's head */
static void
pdpol_clock_scaninit(void)
{
	pdpol_clock_next = PGLIST_FIRST(&uvm.page_inactive);
}

/*
 * pdpol_clock_selectvictim: the next inactive page neither busy nor
 * referenced since it was deactivated, or NULL at the end of the queue.
 *
 * => referenced pages, and pages that cannot be paged out, are
 *    reactivated on the way (pdreact); their mappings stay.  The victim
 *    is still mapped: the pagedaemon unmaps it when it takes it.
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
			pg = PGLIST_FIRST(&uvm.page_inactive);
		if (pg == NULL)
			return NULL;
		pdpol_clock_next = PGLIST_NEXT(pg, pageq);
		uvmexp.pdscans++;
		if (pg->flags & PG_BUSY)
			continue;
		if (pmap_clear_reference(pg) || !uvmpd_pageable(pg)) {
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
	.pdp_selectvictim = pdpol_clock_selectvictim,
};
