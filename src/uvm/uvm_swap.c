/*
 * uvm_swap.c: swap space -- slots on the swap disk and the I/O that
 * moves pages to and from them.
 *
 * The swap disk (machine/swapdisk.c) is attached whole at boot.  A
 * bitmap says which slots are in use; allocation can return a run of
 * consecutive slots, so that several pages go out in one write.  uvmexp
 * counts, in pages: swpages configured, swpginuse slots allocated,
 * swpgonly pages whose only copy is in swap.
 *
 * Allocation is next fit: the search starts where the last allocation
 * ended (swap_cursor) and wraps around once.  So consecutive page-outs
 * land in consecutive slots -- one sweep across the disk, as a
 * pagedaemon that pages out in order would want -- and the search does
 * not walk the slots in use at the start of the disk again each time.
 * NetBSD 1.6's uvm_swap.c keeps an extent map per swap device instead
 * and asks extent_alloc for a run (best fit among the free regions, the
 * devices of one priority taken in turn: uvm_swap_alloc as of rev 1.27;
 * the extent maps gave way to blist only after 1.6); uvmsim has one
 * device and a bitmap, where next fit costs nothing to keep and gives
 * the same contiguity for a pagedaemon's successive clusters.  As 1.6
 * does for lessok, a run that cannot be had whole is asked for shorter
 * (uvmsim halves it; 1.6 drops to one slot).
 *
 * I/O is synchronous for the caller: the disk says when, in simulated
 * time, a transfer is done and the calling thread sleeps until then
 * (the pages stay PG_BUSY meanwhile, which is the caller's business).
 *
 * Bad slots.  A slot whose transfer failed is retired, as NetBSD's
 * uvm_swap_markbad does: it stays allocated for good (in swpginuse),
 * owned by no one, and is counted in swapcounters.badslots.  A failed
 * write retires the slots it was writing and the pages stay resident
 * and dirty (the pagedaemon tries other slots); a failed read retires
 * the slot and the data with it -- the fault fails, which a program
 * gets as SIGBUS.  An owner may keep a retired slot's number (an anon
 * whose page could not be read keeps it, as NetBSD's SWSLOT_BAD):
 * reading it fails at once, freeing it does nothing.  Swap is full
 * when every slot holds the only copy of a page or is retired.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "machine/clock.h"
#include "machine/hostmem.h"
#include "machine/machdep.h"
#include "sys/proc.h"
#include "sys/systm.h"
#include "uvm/uvm.h"
#include "uvm/uvm_swap.h"

#define SWAP_MAXRUN 16 /* the most slots one allocation returns */

static uint64_t *swap_bitmap; /* bit s-1: slot s in use */
static uint64_t *swap_badmap; /* bit s-1: slot s retired */
static int swap_nslots;
static int swap_cursor; /* where the next search starts: 1..swap_nslots */
static int swap_iochan; /* I/O sleeps here (nothing wakes it: a timeout) */

struct swap_counters swapcounters;

static bool
swap_getbit(const uint64_t *map, int slot)
{
	return (map[(slot - 1) / 64] >> ((slot - 1) % 64)) & 1;
}

static void
swap_putbit(uint64_t *map, int slot, bool on)
{
	uint64_t m = (uint64_t)1 << ((slot - 1) % 64);

	if (on)
		map[(slot - 1) / 64] |= m;
	else
		map[(slot - 1) / 64] &= ~m;
}

static bool
swap_bit(int slot)
{
	return swap_getbit(swap_bitmap, slot);
}

static void
swap_setbit(int slot, bool on)
{
	swap_putbit(swap_bitmap, slot, on);
}

/*
 * uvm_swap_init: attach the machine's swap disk as swap space.
 */
void
uvm_swap_init(void)
{
	swap_nslots = (int)swapdisk0->sd_nslots;
	swap_bitmap =
	    hostmem_zalloc(howmany((size_t)swap_nslots, 64), sizeof(uint64_t));
	swap_badmap =
	    hostmem_zalloc(howmany((size_t)swap_nslots, 64), sizeof(uint64_t));
	swap_cursor = 1;
	uvmexp.swpages = swap_nslots;
	uvmexp.swpginuse = 0;
	uvmexp.swpgonly = 0;
	memset(&swapcounters, 0, sizeof(swapcounters));
}

void
uvm_swap_fini(void)
{
	free(swap_bitmap);
	free(swap_badmap);
	swap_bitmap = swap_badmap = NULL;
	swap_nslots = 0;
	swap_cursor = 1;
}

/*
 * uvm_swapisfull: is there no swap left to page anonymous memory out to?
 * Every slot holds the only copy of a page, or is retired.
 *
 * => when it is full, waiting for the pagedaemon cannot free memory that
 *    only swap could take, so an allocation failure in a fault is final
 *    (ENOMEM).
 */
bool
uvm_swapisfull(void)
{
	return (uint64_t)uvmexp.swpgonly + swapcounters.badslots >=
	    (uint64_t)uvmexp.swpages;
}

/* the first run of n free slots within slots first..last, or 0 */
static int
swap_findrun_in(int first, int last, int n)
{
	int slot, run = 0;

	for (slot = first; slot <= last; slot++) {
		run = swap_bit(slot) ? 0 : run + 1;
		if (run == n)
			return slot - n + 1;
	}
	return 0;
}

/*
 * swap_findrun: the first run of n free slots from the cursor on, or,
 * failing that, from slot 1 on (a run may straddle the cursor); 0 if
 * there is none.
 */
static int
swap_findrun(int n)
{
	int slot;

	slot = swap_findrun_in(swap_cursor, swap_nslots, n);
	if (slot == 0 && swap_cursor > 1)
		slot = swap_findrun_in(1, MIN(swap_cursor + n - 2, swap_nslots),
		    n);
	return slot;
}

/*
 * uvm_swap_alloc: *nslotsp consecutive swap slots (at most SWAP_MAXRUN).
 *
 * => next fit (see the top of this file): the run found first from the
 *    end of the last allocation on; the cursor moves past it.
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
	swap_cursor = slot + n <= swap_nslots ? slot + n : 1;
	uvmexp.swpginuse += n;
	*nslotsp = n;
	return slot;
}

/*
 * uvm_swap_free: give back nslots slots from slot on.
 *
 * => retired slots among them stay retired (and in use).
 */
void
uvm_swap_free(int slot, int nslots)
{
	int i;

	KASSERT(slot >= 1 && slot + nslots - 1 <= swap_nslots);
	for (i = 0; i < nslots; i++) {
		KASSERTMSG(swap_bit(slot + i), "%s: slot %d is not in use",
		    __func__, slot + i);
		if (swap_getbit(swap_badmap, slot + i))
			continue;
		swap_setbit(slot + i, false);
		uvmexp.swpginuse--;
	}
}

bool
uvm_swap_slot_inuse(int slot)
{
	return slot >= 1 && slot <= swap_nslots && swap_bit(slot);
}

/* uvm_swap_slot_isbad: has slot been retired? */
bool
uvm_swap_slot_isbad(int slot)
{
	return slot >= 1 && slot <= swap_nslots &&
	    swap_getbit(swap_badmap, slot);
}

/*
 * uvm_swap_markbad: retire nslots slots from slot on, which a transfer
 * could not use (see the top of this file).
 *
 * => the slots are in use; they stay so, for good, and no one owns them
 *    any more: the caller forgets them (or keeps a number that can only
 *    fail).  Slots already retired are passed by.
 */
void
uvm_swap_markbad(int slot, int nslots)
{
	int i;

	KASSERT(slot >= 1 && slot + nslots - 1 <= swap_nslots);
	for (i = 0; i < nslots; i++) {
		KASSERTMSG(swap_bit(slot + i), "%s: slot %d is not in use",
		    __func__, slot + i);
		if (swap_getbit(swap_badmap, slot + i))
			continue;
		swap_putbit(swap_badmap, slot + i, true);
		swapcounters.badslots++;
	}
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
		bufs[i] = physmem_hostaddr(VM_PAGE_TO_PHYS(pps[i]));
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
 * => returns 0, or the disk's errno value: the slots are then retired
 *    (the caller must not free them) and the error is in the kernel's
 *    messages; the pages are untouched.
 */
int
uvm_swap_put(int slot, struct vm_page **pps, int npages)
{
	int error;

	error = swap_io(SD_WRITE, slot, pps, npages);
	if (error) {
		swapcounters.wrerrors++;
		uvm_swap_markbad(slot, npages);
		if (npages == 1)
			kmsg("uvm_swap: write error %d at slot %d: retired",
			    error, slot);
		else
			kmsg("uvm_swap: write error %d at slots %d-%d: retired",
			    error, slot, slot + npages - 1);
		return error;
	}
	swapcounters.writes++;
	swapcounters.pgwrites += (uint64_t)npages;
	return 0;
}

/*
 * uvm_swap_get: read slot, which holds the only copy of a page's data,
 * into page pg (the caller's, PG_BUSY).
 *
 * => returns 0, or EIO at once for a retired slot, or the disk's errno
 *    value: the slot is then retired, and with it the data, which no
 *    longer counts in swpgonly; the error is in the kernel's messages.
 *    The caller keeps the slot's number or frees it, as it likes.
 */
int
uvm_swap_get(struct vm_page *pg, int slot)
{
	int error;

	if (uvm_swap_slot_isbad(slot))
		return EIO;
	error = swap_io(SD_READ, slot, &pg, 1);
	if (error) {
		swapcounters.rderrors++;
		uvm_swap_markbad(slot, 1);
		uvmexp.swpgonly--;
		kmsg("uvm_swap: read error %d at slot %d: retired, its page is "
		     "lost",
		    error, slot);
		return error;
	}
	swapcounters.reads++;
	swapcounters.pgreads++;
	if (curproc != NULL)
		curproc->p_pgreads++;
	return 0;
}

/*
 * uvm_swap_check: the bitmap agrees with swpginuse, the retired slots
 * (all in use) with badslots, and swpgonly with the pages that are only
 * in swap (aobj pages and anons).
 */
int
uvm_swap_check(struct kcheck *kc)
{
	unsigned int before = kc->kc_nerr;
	int slot, inuse = 0, only;
	uint64_t bad = 0;

	for (slot = 1; slot <= swap_nslots; slot++) {
		if (swap_bit(slot))
			inuse++;
		if (swap_getbit(swap_badmap, slot)) {
			bad++;
			if (!swap_bit(slot))
				kcheck_fail(kc,
				    "swap: slot %d retired, not in "
				    "use",
				    slot);
		}
	}
	if (inuse != uvmexp.swpginuse)
		kcheck_fail(kc, "swap: %d slots marked, swpginuse %d", inuse,
		    uvmexp.swpginuse);
	if (bad != swapcounters.badslots)
		kcheck_fail(kc, "swap: %llu slots retired, badslots %llu",
		    (unsigned long long)bad,
		    (unsigned long long)swapcounters.badslots);
	only = uao_swpgonly() + uvm_anon_swpgonly();
	if (only != uvmexp.swpgonly)
		kcheck_fail(kc, "swap: %d pages only in swap, swpgonly %d",
		    only, uvmexp.swpgonly);
	if (uvmexp.swpgonly > uvmexp.swpginuse)
		kcheck_fail(kc, "swap: swpgonly %d > swpginuse %d",
		    uvmexp.swpgonly, uvmexp.swpginuse);
	return (int)(kc->kc_nerr - before);
}
