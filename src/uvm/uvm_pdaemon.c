/*
 * uvm_pdaemon.c: the pagedaemon -- its targets, its thread, and waiting
 * for memory.
 *
 * An allocation that takes free memory below freemin wakes the
 * pagedaemon (uvm_kick_pdaemon); so does anyone who must wait for
 * memory (uvm_wait).  Each time it runs, the pagedaemon recomputes its
 * targets and, when free memory is below freetarg, swaps out processes
 * (uvm_swapout_threads), as UVM of NetBSD 1.6 does.  It does not scan
 * the page queues: pages are reclaimed only when their owners free them.
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
		(void)tsleep(&uvmexp.free, PVM, "pgdaemon", MAX(hz / 8, 1));
		return;
	}
	wakeup(&uvm.pagedaemon);
	uvm_nwaiters++;
	(void)tsleep(&uvmexp.free, PVM, wmsg,
	    uvm_wait_satisfied() ? MAX(hz / 8, 1) : 0);
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
	}
}
