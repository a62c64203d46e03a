/*
 * uvm_pdaemon.c: the pagedaemon -- its targets, its thread, and waiting
 * for memory.
 *
 * An allocation that takes free memory below freemin wakes the
 * pagedaemon (uvm_kick_pdaemon); so does anyone who must wait for
 * memory (uvm_wait).  Each time it runs, the pagedaemon recomputes its
 * targets and, when free memory is below freetarg, swaps out processes
 * (uvm_swapout_threads), as UVM of NetBSD 1.6 does; it then wakes the
 * waiters if there is memory for them.  It does not scan the page
 * queues: pages are reclaimed only when their owners free them, and
 * freeing pages wakes the waiters too once there is enough.
 *
 * "Enough" (uvm_wait_satisfied) is freemin pages and more than a
 * u-area: what a fault needs, and what the swapper waits for.  Waking
 * waiters for less would have them fail, wait and be woken again, for
 * ever, in no simulated time.
 */

#include "sys/proc.h"
#include "uvm/uvm.h"

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
	uvmexp.freemin = uvmexp.npages / 20;
	uvmexp.freemin = MAX(uvmexp.freemin, (int)((16 * 1024) >> PAGE_SHIFT));
	uvmexp.freemin = MIN(uvmexp.freemin, (int)((256 * 1024) >> PAGE_SHIFT));
	if (uvmexp.freemin < uvmexp.reserve_kernel + 1)
		uvmexp.freemin = uvmexp.reserve_kernel + 1;

	uvmexp.freetarg = (uvmexp.freemin * 4) / 3;
	if (uvmexp.freetarg <= uvmexp.freemin)
		uvmexp.freetarg = uvmexp.freemin + 1;

	uvmexp.inactarg = (uvmexp.active + uvmexp.inactive) / 3;
	if (uvmexp.inactarg <= uvmexp.freetarg)
		uvmexp.inactarg = uvmexp.freetarg + 1;

	uvmexp.wiredmax = uvmexp.npages / 3;
}

static int uvm_nwaiters; /* processes asleep in uvm_wait */

/* is there memory for those who wait for it? */
static bool
uvm_wait_satisfied(void)
{
	return uvmexp.free >= uvmexp.freemin && uvmexp.free > (int)atop(USPACE);
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
 *    memory (see the top of this file); the pagedaemon itself cannot wait for itself, so it sleeps
 *    an eighth of a second and tries again.
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
		(void)tsleep(&uvmexp.free, PVM, "pgdaemon", MAX(hz / 8, 1));
		return;
	}
	wakeup(&uvm.pagedaemon);
	uvm_nwaiters++;
	(void)tsleep(&uvmexp.free, PVM, wmsg, 0);
	uvm_nwaiters--;
}

/*
 * uvm_pageout: the pagedaemon's thread (see the top of this file).
 */
__dead void
uvm_pageout(void *arg __unused)
{
	uvm.pagedaemon_proc = curproc;
	for (;;) {
		(void)tsleep(&uvm.pagedaemon, PVM, "pgdaemon", 0);
		uvmexp.pdwoke++;
		uvmpd_tune();
		if (uvmexp.free < uvmexp.freetarg)
			uvm_swapout_threads();
		if (uvm_wait_satisfied())
			wakeup(&uvmexp.free);
	}
}
