/*
 * uvm_pager.c: pager I/O glue -- the pagedaemon's swap clusters: writing
 * dirty swap-backed pages to consecutive swap slots and finishing each
 * page once its write is done.
 *
 * NetBSD 1.6 builds a cluster around one page (uvm_mk_pcluster) and
 * writes it asynchronously (uvm_pager_put, then aiodone); uvmsim's
 * pagedaemon gathers up to UVM_PCLUSTER_MAX pages as its scan meets
 * them and writes them synchronously, sleeping for the disk.
 *
 * A page being written is PG_BUSY | PG_PAGEOUT; a fault on it waits.
 * An anon or aobj freed during the write leaves the page PG_RELEASED
 * and is finished off here.  A write that fails retires its slots
 * (uvm_swap.c) and leaves its pages resident and dirty, back on the
 * active queue; a slot that cannot be had leaves them so too.
 */

#include <string.h>

#include "sys/proc.h"
#include "sys/systm.h"
#include "uvm/uvm.h"

/*
 * uvm_pager_dropbusy: the pagedaemon is done with pg, which was PG_BUSY
 * for a page-out: wake whoever waits for it.
 */
static void
uvm_pager_dropbusy(struct vm_page *pg)
{
	if (pg->flags & PG_WANTED)
		wakeup(pg);
	pg->flags &= ~(PG_BUSY | PG_WANTED | PG_PAGEOUT);
}

/*
 * uvm_pager_done: pg was written to swap slot `slot': record the slot
 * with its owner and free the page, whose only copy is now in swap.
 * An anon freed during the write (PG_RELEASED) is freed now, slot and
 * all; so is the copy of an aobj's page whose aobj was freed.
 */
static void
uvm_pager_done(struct vm_page *pg, int slot)
{
	struct vm_anon *anon = uvm_pageanon(pg);

	if (anon == NULL && (pg->flags & PG_RELEASED)) {
		/* its aobj was freed during the write: the copy is not wanted */
		uvm_swap_free(slot, 1);
		uvm_pager_dropbusy(pg);
		(void)uao_released(pg);
		return;
	}
	if (anon != NULL) {
		if (anon->an_swslot != 0)
			uvm_swap_free(anon->an_swslot, 1);
		anon->an_swslot = slot;
	} else
		uao_pageout_done(uvm_pageobj(pg), pg->offset, slot);
	if (pg->flags & PG_RELEASED) {
		KASSERT(anon != NULL && anon->an_ref == 0);
		uvm_pager_dropbusy(pg);
		pg->flags &= ~PG_RELEASED;
		uvm_anfree(anon);
		return;
	}
	uvm_pager_dropbusy(pg);
	pg->flags |= PG_CLEAN;
	uvm_pagefree(pg);
	uvmexp.swpgonly++;
	uvmexp.pdfreed++;
}

/* a page that could not be written: it stays, resident and dirty */
static void
uvm_pager_undo(struct vm_page *pg)
{
	struct vm_anon *anon = uvm_pageanon(pg);

	uvm_pager_dropbusy(pg);
	if (anon == NULL && uao_released(pg))
		return;
	if (pg->flags & PG_RELEASED) {
		pg->flags &= ~PG_RELEASED;
		uvm_anfree(anon);
		return;
	}
	uvm_pageactivate(pg);
}

/*
 * uvm_pcluster_add: pg, dirty and swap-backed, joins the cluster.
 *
 * => pg is unmapped and not busy; it becomes PG_BUSY | PG_PAGEOUT, and
 *    dirty by its flags rather than its modified bit, until the flush.
 * => the cluster has room: the caller flushes it when it is full.
 */
void
uvm_pcluster_add(struct uvm_pcluster *c, struct vm_page *pg)
{
	KASSERT(c->pc_n < UVM_PCLUSTER_MAX);
	KASSERT((pg->flags & PG_BUSY) == 0);
	pg->flags |= PG_BUSY | PG_PAGEOUT;
	pg->flags &= ~PG_CLEAN;
	(void)pmap_clear_modify(pg);
	c->pc_pgs[c->pc_n++] = pg;
}

/*
 * uvm_pcluster_flush: write the cluster's pages to swap, as few writes
 * of consecutive slots as swap allows, and free them; the cluster is
 * empty afterwards.
 *
 * => sleeps for the writes.  Pages that get no slot, or whose write
 *    fails, stay resident and dirty (back on the active queue); a failed
 *    write's slots are retired, and the pages after them get others.
 *    Each such failure is counted in pc_failures (not when swap is
 *    simply full), retired slots in pc_retired.
 * => returns the pages freed.
 */
int
uvm_pcluster_flush(struct uvm_pcluster *c)
{
	int freed = 0, i, n, slot, error;

	while (c->pc_n > 0) {
		n = c->pc_n;
		slot = uvm_swap_alloc(&n, true);
		/* slots kept by pages read back may be had: retry with them */
		if (slot == 0 && !uvm_swapisfull() &&
		    uvm_anon_swapreclaim(c->pc_n) > 0)
			continue;
		if (slot == 0) {
			if (!uvm_swapisfull())
				c->pc_failures++; /* try again later */
			uvmexp.pdswfull += (uint64_t)c->pc_n;
			for (i = 0; i < c->pc_n; i++)
				uvm_pager_undo(c->pc_pgs[i]);
			c->pc_n = 0;
			break;
		}
		uvmexp.pdpageouts++;
		TRACE(TRC_PAGEOUT,
		    "pagedaemon: page-out: %d page%s to swap slots %d-%d", n,
		    n == 1 ? "" : "s", slot, slot + n - 1);
		error = uvm_swap_put(slot, c->pc_pgs, n);
		if (error) {
			/* uvm_swap_put retired the slots */
			c->pc_failures++;
			c->pc_retired += (uint64_t)n;
		}
		for (i = 0; i < n; i++) {
			if (error) {
				uvm_pager_undo(c->pc_pgs[i]);
				continue;
			}
			uvm_pager_done(c->pc_pgs[i], slot + i);
			uvmexp.pdpgout++;
			freed++;
		}
		c->pc_n -= n;
		memmove(c->pc_pgs, c->pc_pgs + n,
		    sizeof(c->pc_pgs[0]) * (size_t)c->pc_n);
	}
	return freed;
}
