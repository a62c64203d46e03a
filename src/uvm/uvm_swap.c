/*
 * uvm_swap.c: swap space -- slots on the swap disk and the I/O that
 * moves pages to and from them.
 *
 * The swap disk (machine/swapdisk.c) is attached whole at boot.  A
 * bitmap says which slots are in use; allocation is first fit and can
 * return a run of consecutive slots, so that several pages go out in
 * one write.  uvmexp counts, in pages: swpages configured, swpginuse
 * slots allocated, swpgonly pages whose only copy is in swap.
 *
 * I/O is synchronous for the caller: the disk says when, in simulated
 * time, a transfer is done and the calling thread sleeps until then
 * (the pages stay PG_BUSY meanwhile, which is the caller's business).
 */

#include <stdlib.h>
#include <string.h>

#include "machine/clock.h"
#include "machine/machdep.h"
#include "sys/proc.h"
#include "uvm/uvm.h"
#include "uvm/uvm_swap.h"

#define SWAP_MAXRUN 16 /* the most slots one allocation returns */

static uint64_t *swap_bitmap; /* bit s-1: slot s in use */
static int swap_nslots;
static int swap_iochan; /* I/O sleeps here (nothing wakes it: a timeout) */

struct swap_counters swapcounters;

static bool
swap_bit(int slot)
{
	return (swap_bitmap[(slot - 1) / 64] >> ((slot - 1) % 64)) & 1;
}

static void
swap_setbit(int slot, bool on)
{
	uint64_t m = (uint64_t)1 << ((slot - 1) % 64);

	if (on)
		swap_bitmap[(slot - 1) / 64] |= m;
	else
		swap_bitmap[(slot - 1) / 64] &= ~m;
}

/*
 * uvm_swap_init: attach the machine's swap disk as swap space.
 */
void
uvm_swap_init(void)
{
	swap_nslots = (int)swapdisk0->sd_nslots;
	swap_bitmap =
	    calloc(howmany((size_t)swap_nslots, 64), sizeof(uint64_t));
	if (swap_bitmap == NULL)
		panic("%s: out of host memory", __func__);
	uvmexp.swpages = swap_nslots;
	uvmexp.swpginuse = 0;
	uvmexp.swpgonly = 0;
	memset(&swapcounters, 0, sizeof(swapcounters));
}

void
uvm_swap_fini(void)
{
	free(swap_bitmap);
	swap_bitmap = NULL;
	swap_nslots = 0;
}

/*
 * uvm_swapisfull: is there no swap left to page anonymous memory out to?
 *
 * => when it is full, waiting for the pagedaemon cannot free memory that
 *    only swap could take, so an allocation failure in a fault is final
 *    (ENOMEM).
 */
bool
uvm_swapisfull(void)
{
	return uvmexp.swpgonly >= uvmexp.swpages;
}

/* the first run of n free slots, or 0 */
static int
swap_findrun(int n)
{
	int slot, run = 0;

	for (slot = 1; slot <= swap_nslots; slot++) {
		run = swap_bit(slot) ? 0 : run + 1;
		if (run == n)
			return slot - n + 1;
	}
	return 0;
}

/*
 * uvm_swap_alloc: *nslotsp consecutive swap slots (at most SWAP_MAXRUN).
 *
 * => with lessok, a shorter run will do when no run that long is free
 *    (*nslotsp says how many were given).
 * => returns the first slot, or 0 if none could be had (or the swap
 *    slot failpoint says so).
 */
int
uvm_swap_alloc(int *nslotsp, bool lessok)
{
	int n = MIN(*nslotsp, SWAP_MAXRUN), slot, i;

	KASSERT(n > 0);
	if (failpoint_hit(FP_SWAPSLOT))
		return 0;
	for (;;) {
		slot = swap_findrun(n);
		if (slot != 0 || !lessok || n == 1)
			break;
		n /= 2;
	}
	if (slot == 0)
		return 0;
	for (i = 0; i < n; i++)
		swap_setbit(slot + i, true);
	uvmexp.swpginuse += n;
	*nslotsp = n;
	return slot;
}

/* uvm_swap_free: give back nslots slots from slot on */
void
uvm_swap_free(int slot, int nslots)
{
	int i;

	KASSERT(slot >= 1 && slot + nslots - 1 <= swap_nslots);
	for (i = 0; i < nslots; i++) {
		KASSERTMSG(swap_bit(slot + i), "%s: slot %d is not in use",
		    __func__, slot + i);
		swap_setbit(slot + i, false);
	}
	uvmexp.swpginuse -= nslots;
}

bool
uvm_swap_slot_inuse(int slot)
{
	return slot >= 1 && slot <= swap_nslots && swap_bit(slot);
}

/* sleep until the disk is done at simulated time `done' */
static void
swap_iowait(simtime_t done)
{
	KASSERTMSG(curproc != NULL, "%s: swap I/O outside any thread",
	    __func__);
	while (clock_now() < done)
		(void)tsleep_until(&swap_iochan, PRIBIO, "swapio", done);
}

static int
swap_io(int rw, int slot, struct vm_page **pps, int npages)
{
	void *bufs[SWAP_MAXRUN];
	simtime_t done;
	int error, i;

	KASSERT(npages > 0 && npages <= SWAP_MAXRUN);
	for (i = 0; i < npages; i++) {
		KASSERT(uvm_swap_slot_inuse(slot + i));
		bufs[i] = physmem_hostaddr(pps[i]->phys_addr);
	}
	uvmexp.paging += npages;
	done = clock_now();
	error = swapdisk_io(swapdisk0, rw, (size_t)slot - 1, (size_t)npages,
	    bufs, done, &done);
	/* a failed transfer takes its time too */
	swap_iowait(done);
	uvmexp.paging -= npages;
	return error;
}

/*
 * uvm_swap_put: write npages pages to the consecutive slots from slot.
 *
 * => the pages are the caller's (PG_BUSY); the caller sleeps until the
 *    write is done.
 * => returns 0 or the disk's errno value.
 */
int
uvm_swap_put(int slot, struct vm_page **pps, int npages)
{
	int error;

	error = swap_io(SD_WRITE, slot, pps, npages);
	if (error == 0) {
		swapcounters.writes++;
		swapcounters.pgwrites += (uint64_t)npages;
	}
	return error;
}

/*
 * uvm_swap_get: read slot into page pg (the caller's, PG_BUSY).
 *
 * => returns 0 or the disk's errno value.
 */
int
uvm_swap_get(struct vm_page *pg, int slot)
{
	int error;

	error = swap_io(SD_READ, slot, &pg, 1);
	if (error == 0) {
		swapcounters.reads++;
		swapcounters.pgreads++;
	}
	return error;
}

/*
 * uvm_swap_check: the bitmap agrees with swpginuse, and swpgonly with
 * the pages that are only in swap (aobj pages and anons).
 */
int
uvm_swap_check(struct kcheck *kc)
{
	unsigned int before = kc->kc_nerr;
	int slot, inuse = 0, only;

	for (slot = 1; slot <= swap_nslots; slot++)
		if (swap_bit(slot))
			inuse++;
	if (inuse != uvmexp.swpginuse)
		kcheck_fail(kc, "swap: %d slots marked, swpginuse %d", inuse,
		    uvmexp.swpginuse);
	only = uao_swpgonly() + uvm_anon_swpgonly();
	if (only != uvmexp.swpgonly)
		kcheck_fail(kc, "swap: %d pages only in swap, swpgonly %d",
		    only, uvmexp.swpgonly);
	if (uvmexp.swpgonly > uvmexp.swpginuse)
		kcheck_fail(kc, "swap: swpgonly %d > swpginuse %d",
		    uvmexp.swpgonly, uvmexp.swpginuse);
	return (int)(kc->kc_nerr - before);
}
