/*
 * uvm_pdaemon.c: the pagedaemon -- its targets, its thread, and waiting
 * for memory.
 *
 * An allocation that takes free memory below freemin wakes the
 * pagedaemon (uvm_kick_pdaemon); so does anyone who must wait for
 * memory (uvm_wait).  Each time it runs, the pagedaemon recomputes its
 * targets and, as UVM of NetBSD 1.6 does:
 *
 * 1. when free memory is below freetarg, swaps out processes
 *    (uvm_swapout_threads: their u-areas become pageable);
 * 2. takes the victims the policy selects (uvmpdpol_selectvictim), in
 *    its order, until free memory reaches freetarg.  A victim is still
 *    mapped: its mappings are removed now (pmap_page_protect), and only
 *    then is its modified bit read (pmap_clear_modify, folded into
 *    PG_CLEAN), so no store can slip in between the check and the free.
 *    A clean page whose data is also in swap is freed at once; a dirty
 *    swap-backed page joins a swap cluster (uvm_pager.c), and each
 *    cluster of up to UVM_PCLUSTER_MAX pages goes to consecutive swap
 *    slots in one write, after which its pages are freed.  Pages are
 *    PG_BUSY while their write is in flight (the pagedaemon sleeps for
 *    it); a fault on one waits.  With swap full, a dirty page stays
 *    resident (unmapped, as 1.6 leaves it) and is reactivated;
 * 3. then has the replacement policy balance its queues, if it wants to
 *    (uvmpdpol_balancequeue: the clock refills its inactive queue up to
 *    inactarg, clearing the referenced bits and leaving the mappings).
 *
 * This is uvmpd_scan's order in NetBSD 1.6 (uvm_pdaemon.c rev 1.39):
 * the inactive scan first, the refill second, so that a page just
 * deactivated has until the next pass to be used again.  A pass that
 * found no victim at all but refilled the queue is followed by another
 * (at most UVMPD_MAXPASS), which looks at the pages just moved; 1.6
 * would wait for its next wakeup instead, but uvmsim's waiters sleep
 * until memory comes back and would otherwise wait for good.  Two more
 * departures from rev 1.39: its inactive scan goes on until free memory
 * and the pages being written reach four times freetarg, uvmsim's until
 * freetarg; and with swap full it stops after UVMPD_NUMDIRTYREACTS (16)
 * dirty pages reactivated, where uvmsim's goes on to the clean pages
 * further down the queue.
 *
 * There is one scan whatever the policy (uvm_pdpolicy.h): the clock's
 * victims are its unreferenced inactive pages, oldest first; a key
 * order's (fifo, lru, opt) are every page it can page out, in its order.
 *
 * Swap-backed pages are anons' and anonymous objects' (the kernel
 * object's -- u-areas, pageable kernel memory -- and shared anonymous
 * memory's); a file's dirty pages are written back to the file
 * (uvm_vnode.c).  An anon or aobj freed while one of its pages is being
 * written is finished off when the write is done (PG_RELEASED).
 * The pagedaemon allocates no pages of its own, so it cannot deadlock
 * waiting for memory.
 *
 * Waiters are woken by pages being freed, once there is enough
 * (uvm_wait_satisfied: freemin pages, and more than a u-area -- what a
 * fault needs, and what the swapper waits for).  Nothing wakes them
 * without memory having come back: a wakeup for less would have them
 * fail, wait and be woken again for ever, in no simulated time.  If
 * there is enough memory already, the failure was not a shortage of
 * pages (an injected failure; an anon or amap that could not be had),
 * and the waiter tries again after an eighth of a second.  So a machine
 * whose memory is gone, with nothing left to free it, goes idle with
 * its processes asleep, rather than spinning.
 *
 * Write errors.  A swap write that fails retires its slots (uvm_swap.c)
 * and leaves its pages resident and dirty, back on the active queue; the
 * cluster's other pages and later ones get other slots.  A file page
 * whose write-back fails stays, dirty, and is reactivated.  A swap slot
 * that cannot be had while swap is not full fails the same way.  A pass
 * that met such failures is followed by another at once if it made
 * progress
 * (freed pages or retired slots: the disk's time has passed meanwhile),
 * else after an eighth of a second, UVMPD_IORETRIES times in a row at
 * most; then the pagedaemon says so and sleeps until it is woken again.
 * Retiring slots fills swap in the end; when it becomes full the
 * waiters are woken, so that a fault that finds no memory fails
 * (uvmfault_nomem) and its process is killed, instead of waiting for
 * good.
 */

#include "sys/proc.h"
#include "sys/systm.h"
#include "uvm/uvm.h"

/* the targets' proportions and bounds (uvmpd_tune) */
#define UVMPD_FREEMIN_DIV  20		/* freemin: 1/20 of memory, */
#define UVMPD_FREEMIN_LOW  (16 * 1024)	/* no less than 16 KiB */
#define UVMPD_FREEMIN_HIGH (256 * 1024) /* and no more than 256 KiB */
#define UVMPD_INACT_DIV	   3		/* inactarg: 1/3 of the queues */
#define UVMPD_WIRED_DIV	   3		/* wiredmax: 1/3 of memory */

/* an eighth of a second, in ticks: how long a retry waits */
#define UVMPD_RETRY_TICKS MAX(hz / 8, 1)

/*
 * uvmpd_tune: compute the free-memory targets from the size of memory,
 * the way UVM does.
 *
 * => freemin is 1/20 of memory, held between 16 KiB and 256 KiB, and
 *    above the kernel's reserve so a user page can always be had;
 *    freetarg is 4/3 of freemin; at most 1/3 of memory may be wired.
 * => inactarg is a third of the pages on the paging queues, and above
 *    freetarg; the daemon recomputes it each time it runs.
 */
void
uvmpd_tune(void)
{
	uvmexp.freemin = uvmexp.npages / UVMPD_FREEMIN_DIV;
	uvmexp.freemin =
	    MAX(uvmexp.freemin, (int)(UVMPD_FREEMIN_LOW >> PAGE_SHIFT));
	uvmexp.freemin =
	    MIN(uvmexp.freemin, (int)(UVMPD_FREEMIN_HIGH >> PAGE_SHIFT));
	if (uvmexp.freemin < uvmexp.reserve_kernel + 1)
		uvmexp.freemin = uvmexp.reserve_kernel + 1;

	uvmexp.freetarg = (uvmexp.freemin * 4) / 3;
	if (uvmexp.freetarg <= uvmexp.freemin)
		uvmexp.freetarg = uvmexp.freemin + 1;

	uvmexp.inactarg = (uvmexp.active + uvmexp.inactive) / UVMPD_INACT_DIV;
	if (uvmexp.inactarg <= uvmexp.freetarg)
		uvmexp.inactarg = uvmexp.freetarg + 1;

	uvmexp.wiredmax = uvmexp.npages / UVMPD_WIRED_DIV;
}

static int uvm_nwaiters; /* processes asleep in uvm_wait */

/* is there memory for those who wait for it? */
static bool
uvm_wait_satisfied(void)
{
	return uvmexp.free >= uvmexp.freemin && uvmexp.free > (int)atop(USPACE);
}

/* uvm_pdaemon_init: nobody waits for memory yet (boot) */
void
uvm_pdaemon_init(void)
{
	uvm_nwaiters = 0;
}

/*
 * uvm_pdaemon_fini: the replacement policy gives back what it kept
 * (shutdown); the clock is in force until the next boot.
 */
void
uvm_pdaemon_fini(void)
{
	uvmpdpol_fini();
}

/*
 * uvm_wait_memfreed: pages were freed: wake the waiters if there is
 * enough now.
 */
void
uvm_wait_memfreed(void)
{
	if (uvm_nwaiters > 0 && uvm_wait_satisfied())
		wakeup(&uvmexp.free);
}

/*
 * uvm_kick_pdaemon: memory is getting short: wake the pagedaemon.
 */
void
uvm_kick_pdaemon(void)
{
	if (uvm.pagedaemon_proc != NULL)
		wakeup(&uvm.pagedaemon);
}

/*
 * uvm_wait: wait for memory to be freed, after an allocation failed.
 *
 * => the caller retries its allocation afterwards.
 * => a process wakes the pagedaemon and sleeps until there is enough
 *    memory -- or, if there is already, an eighth of a second (see the
 *    top of this file); the
 *    pagedaemon itself, which cannot wait for itself, just sleeps the
 *    eighth of a second.
 * => outside any thread (the host driving the VM directly) nobody can
 *    sleep: if memory is really gone this panics (a kernel that would
 *    sleep for ever); if the failure was transient (injected by a
 *    failpoint) it returns at once and the retry finds memory.
 */
void
uvm_wait(const char *wmsg)
{
	uvmexp.pdwait++;
	if (curproc == NULL) {
		if (uvmexp.free <= uvmexp.reserve_kernel)
			panic("%s: out of memory in \"%s\" outside any thread",
			    __func__, wmsg);
		return;
	}
	if (curproc == uvm.pagedaemon_proc) {
		(void)tsleep(&uvmexp.free, PVM, "pgdaemon", UVMPD_RETRY_TICKS);
		return;
	}
	wakeup(&uvm.pagedaemon);
	uvm_nwaiters++;
	(void)tsleep(&uvmexp.free, PVM, wmsg,
	    uvm_wait_satisfied() ? UVMPD_RETRY_TICKS : 0);
	uvm_nwaiters--;
}

#define UVMPD_MAXPASS	4 /* scans per wakeup, at most */
#define UVMPD_IORETRIES 8 /* failing passes with no progress, at most */

/*
 * page-outs that failed but may work later (a write error; no slot to
 * be had while swap is not full: an injected failure), and the slots
 * the write errors retired
 */
static uint64_t uvmpd_failures, uvmpd_retired;

/* the swap slot pg's data is also in, or 0 */
static int
uvmpd_swslot(struct vm_page *pg)
{
	if (uvm_pageanon(pg) != NULL)
		return uvm_pageanon(pg)->an_swslot;
	return uao_find_swslot(uvm_pageobj(pg), pg->offset);
}

/*
 * uvmpd_pageable: can the pagedaemon page pg out: an anon's or an
 * aobj's (to swap), or a file's (written back to the file)?
 */
bool
uvmpd_pageable(const struct vm_page *pg)
{
	return uvm_pageanon(pg) != NULL ||
	    (uvm_pageobj(pg) != NULL &&
		(UVM_OBJ_IS_AOBJ(uvm_pageobj(pg)) ||
		    UVM_OBJ_IS_VNODE(uvm_pageobj(pg))));
}

/*
 * uvmpd_take: the pagedaemon takes pg, its policy's victim: free it if
 * it is clean with a copy in swap, else add it to the cluster (written
 * and freed at the next flush), or, with swap full, leave it.  A file
 * page is written back to its file if dirty, and freed.
 *
 * => *slept is set if it slept (for a file write).
 * => returns the pages freed at once (0 or 1).
 */
static int
uvmpd_take(struct vm_page *pg, struct uvm_pcluster *c, bool *slept)
{
	struct uvm_object *uobj = uvm_pageobj(pg);
	voff_t off = pg->offset;

	/*
	 * the victim is still mapped: every mapping goes now, and then
	 * its modified bit is read and cleared into PG_CLEAN, as 1.6 does
	 */
	pmap_page_protect(pg, VM_PROT_NONE);
	if (uobj != NULL && UVM_OBJ_IS_VNODE(uobj)) {
		/* a file page: written back if dirty (a sleep), then freed */
		if (!(pg->flags & PG_CLEAN) || pmap_is_modified(pg))
			*slept = true;
		if (uobj->pgops->pgo_put(uobj, off, off + (voff_t)PAGE_SIZE,
			PGO_CLEANIT | PGO_FREE) != 0) {
			/* it stays, dirty: later, after the others */
			uvmpd_failures++;
			if ((pg = uvm_pagelookup(uobj, off)) != NULL &&
			    !(pg->flags & PG_BUSY) && pg->wire_count == 0)
				uvm_pageactivate(pg);
			return 0;
		}
		if (uvm_pagelookup(uobj, off) != NULL)
			return 0;
		uvmexp.pdfreed++;
		return 1;
	}
	if ((pg->flags & PG_CLEAN) && pmap_clear_modify(pg))
		pg->flags &= ~PG_CLEAN;
	if ((pg->flags & PG_CLEAN) && uvmpd_swslot(pg) != 0) {
		uvm_pagefree(pg);
		uvmexp.swpgonly++;
		uvmexp.pdfreed++;
		return 1;
	}
	if (uvm_swapisfull()) {
		uvmexp.pdswfull++;
		uvm_pageactivate(pg);
		return 0;
	}
	uvm_pcluster_add(c, pg);
	return 0;
}

/*
 * uvmpd_scan: one pass: take the policy's victims until free memory
 * reaches freetarg (counting the pages in the cluster as free) or it has
 * none left, then balance the policy's queues if it wants.
 *
 * => sleeps for its writes (a full cluster, a dirty file page), after
 *    which the policy is told to resume its scan (uvmpdpol_scanresume).
 * => *refilledp is set if the policy had no victim at all and the
 *    balancing gave it new candidates (pddeact): another pass may find
 *    some.
 * => returns the pages freed.
 */
static int
uvmpd_scan(bool *refilledp)
{
	struct uvm_pcluster c = { .pc_n = 0 };
	struct vm_page *pg;
	uint64_t deact;
	int freed = 0, victims = 0;
	bool slept;

	uvmpdpol_scaninit();
	while (uvmexp.free + c.pc_n < uvmexp.freetarg &&
	    (pg = uvmpdpol_selectvictim()) != NULL) {
		victims++;
		slept = false;
		freed += uvmpd_take(pg, &c, &slept);
		if (c.pc_n == UVM_PCLUSTER_MAX) {
			freed += uvm_pcluster_flush(&c);
			slept = true;
		}
		if (slept)
			uvmpdpol_scanresume();
	}
	freed += uvm_pcluster_flush(&c);
	uvmpd_failures += c.pc_failures;
	uvmpd_retired += c.pc_retired;
	deact = uvmexp.pddeact;
	if (uvmpdpol_needsscan_p())
		uvmpdpol_balancequeue();
	*refilledp = victims == 0 && uvmexp.pddeact != deact;
	return freed;
}

/*
 * uvm_pageout: the pagedaemon's thread (see the top of this file).
 *
 * => after a wakeup it works until free memory reaches freetarg or a
 *    pass frees nothing (unless it had no victim and refilled the
 *    inactive queue: the next pass has candidates); if it freed
 *    something and memory is still short, it goes on without sleeping
 *    (a wakeup that came while it slept for a write would otherwise be
 *    lost).
 * => page-outs that failed (see "Write errors" at the top of this file)
 *    are tried again: at once after progress, else an eighth of a second
 *    later, UVMPD_IORETRIES times; a wakeup starts the count afresh.
 * => when swap becomes full it wakes the waiters, whose faults then fail.
 */
__dead void
uvm_pageout(void *arg __unused)
{
	bool sleep = true, wasfull, failed, refilled;
	int pass, scans, freed, n, timo = 0, ioretries = 0;
	uint64_t errors, retired;

	uvm.pagedaemon_proc = curproc;
	for (;;) {
		if (sleep &&
		    tsleep(&uvm.pagedaemon, PVM, "pgdaemon", timo) == 0)
			ioretries = 0; /* woken: a fresh start */
		timo = 0;
		uvmexp.pdwoke++;
		wasfull = uvm_swapisfull();
		errors = uvmpd_failures;
		retired = uvmpd_retired;
		uvmpd_tune();
		TRACE(TRC_PDAEMON, "pagedaemon: woke: %d pages free, target %d",
		    uvmexp.free, uvmexp.freetarg);
		VMEVENT(VMEV_PDWAKE, 0, uvmexp.free, NULL);
		if (uvmexp.free < uvmexp.freetarg) {
			if (uvm_uarea_cached() > 0)
				TRACE(TRC_PDAEMON,
				    "pagedaemon: %d cached u-areas given back",
				    uvm_uarea_cached());
			uvm_uarea_drain();
			uvm_swapout_threads();
		}
		freed = scans = 0;
		for (pass = 0;
		     pass < UVMPD_MAXPASS && uvmexp.free < uvmexp.freetarg;
		     pass++) {
			n = uvmpd_scan(&refilled);
			scans++;
			freed += n;
			if (n == 0 && !refilled)
				break;
		}
		if (scans > 0)
			TRACE(TRC_PDAEMON,
			    "pagedaemon: %d scan%s freed %d page%s: %d free, "
			    "target %d",
			    scans, scans == 1 ? "" : "s", freed,
			    freed == 1 ? "" : "s", uvmexp.free,
			    uvmexp.freetarg);
		if (!wasfull && uvm_swapisfull())
			/* waiting for memory only swap could give is vain */
			wakeup(&uvmexp.free);
		sleep = !(freed > 0 && uvmexp.free < uvmexp.freetarg);
		failed = uvmpd_failures != errors;
		if (!failed || uvmexp.free >= uvmexp.freetarg) {
			ioretries = 0;
			continue;
		}
		if (freed > 0 || uvmpd_retired != retired) {
			sleep = false; /* progress: on, at once */
			ioretries = 0;
		} else if (++ioretries < UVMPD_IORETRIES) {
			sleep = true;
			timo = UVMPD_RETRY_TICKS;
		} else {
			kmsg("pagedaemon: pages cannot be written; waiting "
			     "for memory to be freed");
			ioretries = 0;
		}
	}
}
