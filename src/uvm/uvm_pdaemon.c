/*
 * uvm_pdaemon.c: the page daemon's targets.
 */

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

/*
 * uvm_wait: wait for memory to be freed, after an allocation failed.
 *
 * => the caller retries its allocation afterwards.
 * => until the page daemon runs, nothing can free memory while the
 *    caller waits, so: if memory is really gone this panics (a kernel
 *    that would sleep forever); if the failure was transient (injected
 *    by a failpoint) it returns at once and the retry finds memory.
 */
void
uvm_wait(const char *wmsg)
{
	uvmexp.pdwait++;
	if (uvmexp.free <= uvmexp.reserve_kernel)
		panic("%s: out of memory in \"%s\" and no page daemon",
		    __func__, wmsg);
}
