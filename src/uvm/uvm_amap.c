/*
 * uvm_amap.c: anonymous maps -- the copy-on-write layer of memory.
 *
 * The data structure is described in uvm_amap.h.  Here is how the code
 * uses it.
 *
 * Copy-on-write in two steps.  fork does not copy an amap: parent and
 * child entries keep pointing at the same one, both marked needs-copy.
 * The first write through either entry calls amap_copy, which gives
 * that entry an amap of its own holding the same anons (each anon's
 * an_ref goes up by one).  Still no page is copied: a page is copied
 * only when it is written while its anon has an_ref > 1 (fault case 1B),
 * so a write costs one page, never the whole region.
 *
 *	before amap_copy:     parent -+-> amap  [A B . C]   an_ref 1 1 1
 *	                      child  -+
 *	after (for child):    parent ---> amap  [A B . C]   an_ref 2 2 2
 *	                      child  ---> amap' [A B . C]
 *
 * When the entry is the only holder left (the other side exited or
 * copied already) amap_copy just takes the amap over.  For a large entry
 * the fault handler asks for chunking: the entry is first clipped to the
 * UVM_AMAP_CHUNK pages around the fault, so only that chunk's slots are
 * copied.
 *
 * References.  am_ref counts holders; with am_ppref (run-length encoded,
 * see uvm_amap.h) each page has its own count, so a page nobody maps
 * any more loses its anon at once.  am_ppref is set up the first time a
 * holder covers less than the whole amap (a clip, amap_splitref, or a
 * partial amap_ref), with every page at am_ref; from then on every
 * reference change walks the runs of the holder's range only.
 *
 * Slot bookkeeping goes through two helpers, amap_slot_fill and
 * amap_slot_empty, which keep the bitmap am_used in step with am_anon;
 * every other function uses them, and walks the used slots with
 * amap_next_used.
 *
 * The checker (amap_check) is run after every operation by the tests:
 * the slots and their bitmap, the runs of am_ppref, am_ref and am_ppref
 * against the holders the map checker counted, and every anon's an_ref
 * against the slots that point at it.
 */

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "machine/hostmem.h"
#include "machine/failpoint.h"
#include "machine/pool.h"
#include "uvm/uvm.h"

/* amaps come from a pool, as NetBSD's do; their slot arrays do not */
static struct pool amap_pool =
    POOL_INITIALIZER("amappl", sizeof(struct vm_amap));

static LIST_HEAD(, vm_amap) amap_list = LIST_HEAD_INITIALIZER(amap_list);

/* set by amap_check_begin: am_chkref and am_chkppref are being counted */
static bool amap_chk_counting;

/*
 * host memory
 */

/* an array of n zeroed ints; the host running out is fatal */
static int *
amap_ints(int n)
{
	return hostmem_zalloc((size_t)n, sizeof(int));
}

/* resize *ap to n ints */
static void
amap_resize_ints(int **ap, int n)
{
	*ap = hostmem_realloc(*ap, (size_t)n * sizeof(int));
}

/* the 64-bit words of a bitmap of n slots */
static int
amap_words(int n)
{
	return (n + 63) / 64;
}

/* resize the bitmap of the used slots from oldn to n slots */
static void
amap_resize_used(struct vm_amap *amap, int oldn, int n)
{
	int oldw = amap_words(oldn), w = amap_words(n);

	amap->am_used =
	    hostmem_realloc(amap->am_used, (size_t)w * sizeof(*amap->am_used));
	if (w > oldw)
		memset(amap->am_used + oldw, 0,
		    (size_t)(w - oldw) * sizeof(*amap->am_used));
}

/*
 * slots
 */

static bool
amap_slot_used(const struct vm_amap *amap, int slot)
{
	return (amap->am_used[slot / 64] >> (slot % 64)) & 1;
}

/*
 * amap_next_used: the first used slot in [slot, end), or end if none.
 *
 * => a word at a time: the bits below slot in its word are masked off,
 *    then whole words are skipped while they are empty.
 */
static int
amap_next_used(const struct vm_amap *amap, int slot, int end)
{
	uint64_t bits;
	int w;

	if (slot >= end)
		return end;
	w = slot / 64;
	bits = amap->am_used[w] & (~(uint64_t)0 << (slot % 64));
	while (bits == 0) {
		if (++w >= amap_words(end))
			return end;
		bits = amap->am_used[w];
	}
	slot = w * 64 + __builtin_ctzll(bits);
	return MIN(slot, end);
}

/* the slot `offset' bytes into the range of aref's holder */
static int
amap_slot(const struct vm_aref *aref, vaddr_t offset)
{
	struct vm_amap *amap = aref->ar_amap;
	int slot;

	KDASSERT(amap != NULL); /* and am_nslot's read would fault */
	slot = aref->ar_pageoff + (int)atop(offset);
	KASSERTMSG(slot >= 0 && slot < amap->am_nslot,
	    "amap %p: slot %d out of its %d slots", (void *)amap, slot,
	    amap->am_nslot);
	return slot;
}

/* put anon in an empty slot */
static void
amap_slot_fill(struct vm_amap *amap, int slot, struct vm_anon *anon)
{
	KASSERTMSG(amap->am_anon[slot] == NULL, "amap %p: slot %d is in use",
	    (void *)amap, slot);
	amap->am_anon[slot] = anon;
	amap->am_used[slot / 64] |= (uint64_t)1 << (slot % 64);
	amap->am_nused++;
}

/*
 * amap_slot_empty: empty a used slot and return its anon.
 *
 * => an_ref is not changed.
 */
static struct vm_anon *
amap_slot_empty(struct vm_amap *amap, int slot)
{
	struct vm_anon *anon = amap->am_anon[slot];

	KASSERTMSG(anon != NULL, "amap %p: slot %d is empty", (void *)amap,
	    slot);
	amap->am_anon[slot] = NULL;
	amap->am_used[slot / 64] &= ~((uint64_t)1 << (slot % 64));
	amap->am_nused--;
	return anon;
}

/* drop a slot's reference to anon; the last one frees it */
static void
amap_anon_release(struct vm_anon *anon)
{
	KASSERT(anon->an_ref > 0);
	if (--anon->an_ref == 0)
		uvm_anfree(anon);
}

/*
 * amap_wiperange: empty the slots of [slotoff, slotoff + n) and release
 * their anons.
 */
static void
amap_wiperange(struct vm_amap *amap, int slotoff, int n)
{
	int slot, end = slotoff + n;

	for (slot = amap_next_used(amap, slotoff, end); slot < end;
	     slot = amap_next_used(amap, slot + 1, end))
		amap_anon_release(amap_slot_empty(amap, slot));
}

/*
 * per-page references (run-length encoded: see uvm_amap.h)
 */

/* the count and length of the run that starts at head */
static void
amap_pp_get(const struct vm_amap *amap, int head, int *countp, int *lenp)
{
	const int *pp = amap->am_ppref;

	*countp = pp[head];
	*lenp = 1;
	if (head + 1 < amap->am_nslot && pp[head + 1] < 0)
		*lenp = -pp[head + 1];
}

/*
 * amap_pp_set: make [head, head + len) one run of count.
 *
 * => a run of one slot writes only its head: the slot after it must be
 *    (or be about to be made) the head of the next run.
 */
static void
amap_pp_set(struct vm_amap *amap, int head, int count, int len)
{
	KASSERT(count >= 0 && len >= 1 && head + len <= amap->am_maxslot);
	amap->am_ppref[head] = count;
	if (len > 1)
		amap->am_ppref[head + 1] = -len;
}

/* the head of the run that holds slot, and of the run before it (or -1) */
static int
amap_pp_find(const struct vm_amap *amap, int slot, int *prevp)
{
	int head, prev = -1, count, len;

	KASSERT(slot >= 0 && slot < amap->am_nslot);
	for (head = 0;; head += len) {
		amap_pp_get(amap, head, &count, &len);
		if (slot < head + len)
			break;
		prev = head;
	}
	*prevp = prev;
	return head;
}

/*
 * amap_pp_merge: join run b to run a, just before it, if their counts
 * are equal, so that the runs do not fragment for good.
 *
 * => a may be -1 (b is the first run).
 * => returns the head of the run that now holds b.
 */
static int
amap_pp_merge(struct vm_amap *amap, int a, int b)
{
	int ca, la, cb, lb;

	if (a < 0)
		return b;
	amap_pp_get(amap, a, &ca, &la);
	amap_pp_get(amap, b, &cb, &lb);
	KASSERT(a + la == b);
	if (ca != cb)
		return b;
	amap_pp_set(amap, a, ca, la + lb);
	return a;
}

/*
 * amap_pp_establish: start counting references page by page.
 *
 * => every holder so far covers the whole amap, so every page starts
 *    at am_ref: one run.
 */
static void
amap_pp_establish(struct vm_amap *amap)
{
	KASSERT(amap->am_ppref == NULL);
	amap->am_ppref = amap_ints(amap->am_maxslot);
	amap_pp_set(amap, 0, amap->am_ref, amap->am_nslot);
}

/*
 * amap_pp_adjust: add adj to the count of every page of
 * [slotoff, slotoff + npages).
 *
 * 1. find the run that holds slotoff, and cut it there;
 * 2. adjust the runs up to the end of the range, cutting the last one
 *    at the end; a page whose count reaches zero loses its anon;
 * 3. join neighbouring runs whose counts became equal.
 *
 * => costs the runs before and in the range, not its pages (plus the
 *    anons released).
 */
static void
amap_pp_adjust(struct vm_amap *amap, int slotoff, int npages, int adj)
{
	int end = slotoff + npages, head, prev, count, len;

	KASSERT(slotoff >= 0 && npages > 0 && end <= amap->am_nslot);
	head = amap_pp_find(amap, slotoff, &prev);
	if (head < slotoff) {
		amap_pp_get(amap, head, &count, &len);
		amap_pp_set(amap, head, count, slotoff - head);
		amap_pp_set(amap, slotoff, count, head + len - slotoff);
		prev = head;
		head = slotoff;
	}
	while (head < end) {
		amap_pp_get(amap, head, &count, &len);
		if (head + len > end) {
			amap_pp_set(amap, end, count, head + len - end);
			len = end - head;
		}
		count += adj;
		KASSERTMSG(count >= 0,
		    "amap %p: pages %d..%d lose a reference they lack",
		    (void *)amap, head, head + len - 1);
		amap_pp_set(amap, head, count, len);
		if (count == 0)
			amap_wiperange(amap, head, len);
		prev = amap_pp_merge(amap, prev, head);
		head += len;
	}
	if (end < amap->am_nslot)
		amap_pp_merge(amap, prev, end);
}

/*
 * allocation and references
 */

/*
 * amap_alloc: a new amap of atop(sz) empty slots, with room to grow to
 * atop(sz + padsz) without reallocating (amap_extend).
 *
 * => sz and padsz are page-aligned, sz > 0.
 * => the amap has one reference, the caller's, covering all its slots.
 * => returns NULL if the amap failpoint says so (the host running out is
 *    a panic: hostmem.h).
 */
struct vm_amap *
amap_alloc(vsize_t sz, vsize_t padsz)
{
	struct vm_amap *amap;
	int nslot, maxslot;

	KASSERT((sz & PAGE_MASK) == 0 && (padsz & PAGE_MASK) == 0);
	KASSERT(sz > 0 && atop(sz + padsz) <= INT_MAX / 2);
	nslot = (int)atop(sz);
	maxslot = (int)atop(sz + padsz);

	if (failpoint_hit(FP_AMAP))
		return NULL;
	amap = pool_get(&amap_pool, PR_ZERO);
	amap->am_anon = hostmem_zalloc((size_t)maxslot, sizeof(*amap->am_anon));
	amap->am_used =
	    hostmem_zalloc((size_t)amap_words(maxslot), sizeof(*amap->am_used));
	amap->am_ref = 1;
	amap->am_nslot = nslot;
	amap->am_maxslot = maxslot;
	LIST_INSERT_HEAD(&amap_list, amap, am_list);
	uvmexp.namap++;
	return amap;
}

/* amap_free: free an amap with no references and no anons */
static void
amap_free(struct vm_amap *amap)
{
	KASSERT(amap->am_ref == 0 && amap->am_nused == 0);
	LIST_REMOVE(amap, am_list);
	free(amap->am_anon);
	free(amap->am_used);
	free(amap->am_ppref);
	free(amap->am_chkppref);
	pool_put(&amap_pool, amap);
	uvmexp.namap--;
}

/*
 * amap_ref: add a holder of npages pages from slot slotoff.
 *
 * => flags: AMAP_SHARED marks the amap shared (share-inheritance);
 *    AMAP_REFALL says the holder covers the whole amap.
 * => a holder that covers only part of an amap that has no per-page
 *    counts yet makes it start counting them.
 */
void
amap_ref(struct vm_amap *amap, int slotoff, int npages, int flags)
{
	bool all = (flags & AMAP_REFALL) != 0;

	KASSERT(amap->am_ref > 0);
	KASSERT(all ||
	    (slotoff >= 0 && npages > 0 && slotoff + npages <= amap->am_nslot));
	if (flags & AMAP_SHARED)
		amap->am_flags |= AMAP_SHARED;
	if (amap->am_ppref == NULL && !all && npages != amap->am_nslot)
		amap_pp_establish(amap);
	amap->am_ref++;
	if (amap->am_ppref != NULL) {
		if (all)
			amap_pp_adjust(amap, 0, amap->am_nslot, 1);
		else
			amap_pp_adjust(amap, slotoff, npages, 1);
	}
}

/*
 * amap_unref: drop the holder of npages pages from slot slotoff.
 *
 * => all: the holder covers the whole amap (slotoff and npages are not
 *    used).
 * => the last reference wipes the amap out (every anon released, the
 *    amap freed).  Otherwise, with per-page counts, the pages only this
 *    holder covered lose their anons now.
 * => when one holder is left the amap is no longer shared.
 */
void
amap_unref(struct vm_amap *amap, int slotoff, int npages, bool all)
{
	KASSERTMSG(amap->am_ref > 0, "%s: amap %p has no references", __func__,
	    (void *)amap);
	if (amap->am_ref == 1) {
		amap->am_ref = 0;
		amap_wipeout(amap);
		return;
	}
	KASSERT(all ||
	    (slotoff >= 0 && npages > 0 && slotoff + npages <= amap->am_nslot));
	/* counted before the decrement: the holder still covers its pages */
	if (amap->am_ppref == NULL && !all && npages != amap->am_nslot)
		amap_pp_establish(amap);
	if (--amap->am_ref == 1)
		amap->am_flags &= ~AMAP_SHARED;
	if (amap->am_ppref != NULL) {
		if (all)
			amap_pp_adjust(amap, 0, amap->am_nslot, -1);
		else
			amap_pp_adjust(amap, slotoff, npages, -1);
	}
}

/*
 * amap_splitref: the holder of origref was cut in two at byte `offset'
 * of its range; splitref becomes the holder of the part from offset on.
 *
 * => each page is still covered by as many holders as before, so the
 *    per-page counts do not change; but from now on not every holder
 *    covers the whole amap, so they must exist.
 */
void
amap_splitref(struct vm_aref *origref, struct vm_aref *splitref, vaddr_t offset)
{
	struct vm_amap *amap = origref->ar_amap;
	int leftslots = (int)atop(offset);

	KASSERT(amap != NULL && amap->am_ref > 0);
	KASSERT((offset & PAGE_MASK) == 0 && leftslots > 0);
	KASSERTMSG(origref->ar_pageoff + leftslots < amap->am_nslot,
	    "%s: split at slot %d of amap %p with %d slots", __func__,
	    origref->ar_pageoff + leftslots, (void *)amap, amap->am_nslot);
	if (amap->am_ppref == NULL)
		amap_pp_establish(amap);
	splitref->ar_amap = amap;
	splitref->ar_pageoff = origref->ar_pageoff + leftslots;
	amap->am_ref++;
}

/*
 * amap_wipeout: release every anon of an amap and free it.
 *
 * => the caller holds the last reference: am_ref is 0 (amap_unref) or 1
 *    (a sole holder tearing the amap down itself).
 */
void
amap_wipeout(struct vm_amap *amap)
{
	KASSERTMSG(amap->am_ref <= 1, "%s: amap %p still has %d references",
	    __func__, (void *)amap, amap->am_ref);
	amap_wiperange(amap, 0, amap->am_nslot);
	amap->am_ref = 0;
	amap_free(amap);
}

/*
 * the anons of slots
 */

/* amap_lookup: the anon of the page `offset' bytes into aref's range */
struct vm_anon *
amap_lookup(const struct vm_aref *aref, vaddr_t offset)
{
	return aref->ar_amap->am_anon[amap_slot(aref, offset)];
}

/*
 * amap_lookups: the anons of npages pages from `offset' bytes into
 * aref's range, into anons[] (NULL for an empty slot).
 */
void
amap_lookups(const struct vm_aref *aref, vaddr_t offset, struct vm_anon **anons,
    int npages)
{
	struct vm_amap *amap = aref->ar_amap;
	int slot;

	if (npages <= 0)
		return;
	slot = amap_slot(aref, offset);
	KASSERTMSG(slot + npages <= amap->am_nslot,
	    "%s: slots %d..%d of amap %p with %d slots", __func__, slot,
	    slot + npages - 1, (void *)amap, amap->am_nslot);
	memcpy(anons, &amap->am_anon[slot], (size_t)npages * sizeof(*anons));
}

/*
 * amap_add: put anon in the slot of the page `offset' bytes into aref's
 * range.
 *
 * => replace false: the slot must be empty.  replace true: the slot's
 *    anon is replaced.  In a shared amap, other maps sharing it may map
 *    the old anon's page at this slot: the caller must have dealt with
 *    those mappings first (the fault handler moves them to the new page
 *    or removes them).
 * => no an_ref is changed: the caller accounts for the slot's reference
 *    (the fault handler's copy-on-write drops the old anon's itself).
 */
void
amap_add(struct vm_aref *aref, vaddr_t offset, struct vm_anon *anon,
    bool replace)
{
	struct vm_amap *amap = aref->ar_amap;
	struct vm_anon *old;
	int slot = amap_slot(aref, offset);

	KASSERT(anon != NULL);
	if (!replace) {
		amap_slot_fill(amap, slot, anon);
		return;
	}
	old = amap->am_anon[slot];
	KASSERTMSG(old != NULL, "%s: replacing empty slot %d of amap %p",
	    __func__, slot, (void *)amap);
	amap->am_anon[slot] = anon;
}

/*
 * amap_unadd: empty the slot of the page `offset' bytes into aref's
 * range.
 *
 * => the anon's an_ref is not changed: it is the caller's to drop.
 */
void
amap_unadd(struct vm_aref *aref, vaddr_t offset)
{
	amap_slot_empty(aref->ar_amap, amap_slot(aref, offset));
}

/*
 * copy-on-write
 */

/*
 * amap_share_slots: the empty slots [dstslot, dstslot + npages) of dst
 * take the anons of the first npages pages of src's holder, each anon
 * gaining a reference (the slot's).
 *
 * => dst and src are different amaps; src's own references are not
 *    changed.
 */
void
amap_share_slots(struct vm_amap *dst, int dstslot, const struct vm_aref *src,
    int npages)
{
	struct vm_anon *anon;
	int i;

	KASSERT(dst != src->ar_amap);
	KASSERT(dstslot >= 0 && dstslot + npages <= dst->am_nslot);
	KASSERT(src->ar_pageoff + npages <= src->ar_amap->am_nslot);
	for (i = 0; i < npages; i++) {
		anon = src->ar_amap->am_anon[src->ar_pageoff + i];
		if (anon == NULL)
			continue;
		anon->an_ref++;
		amap_slot_fill(dst, dstslot + i, anon);
	}
}

/*
 * amap_copy_chunk: clip a large entry to the UVM_AMAP_CHUNK-page
 * aligned chunks that cover [startva, endva).
 *
 * => entry stays the part that holds [startva, endva); the parts cut
 *    off keep their share of the amap and stay needs-copy.
 * => returns false, with the entry unchanged, if the entries for
 *    clipping could not be had.
 */
static bool
amap_copy_chunk(struct vm_map *map, struct vm_map_entry *entry, vaddr_t startva,
    vaddr_t endva)
{
	struct uvm_mapent_reservation umr;
	vsize_t chunk = ptoa(UVM_AMAP_CHUNK);

	KASSERTMSG(startva < endva && startva < entry->end &&
		endva > entry->start,
	    "%s: [0x%llx, 0x%llx) is not in entry [0x%llx, 0x%llx)", __func__,
	    (unsigned long long)startva, (unsigned long long)endva,
	    (unsigned long long)entry->start, (unsigned long long)entry->end);
	startva = MAX(startva - startva % chunk, entry->start);
	endva = MIN(roundup(endva, chunk), entry->end);
	if (startva == entry->start && endva == entry->end)
		return true;
	if (uvm_mapent_reserve(&umr, 2) != 0)
		return false;
	uvm_map_clip_start(map, entry, startva, &umr);
	uvm_map_clip_end(map, entry, endva, &umr);
	uvm_mapent_unreserve(&umr);
	return true;
}

/*
 * amap_copy: give a needs-copy entry an amap of its own.
 *
 * 1. chunking (AMAP_COPY_CHUNK): an entry of UVM_AMAP_LARGE pages or
 *    more that would get a new amap is first clipped to the chunks
 *    around [startva, endva), so that only they are made or copied;
 * 2. the entry is the amap's only holder: it simply keeps it;
 * 3. merging (unless AMAP_COPY_NOMERGE): if a neighbour's amap can
 *    grow to cover the entry, the entry absorbs the neighbour instead
 *    of getting an amap of its own (uvm_mapent_trymerge);
 * 4. no amap yet: a new, empty one covering the entry;
 * 5. otherwise a new amap of the entry's pages, holding the same anons
 *    (each an_ref + 1), replaces the entry's reference to the old one.
 *
 * => the map is write-locked; map is used only for chunking and
 *    merging (a caller with no map passes AMAP_COPY_NOMERGE).
 * => entry stays valid: a merge frees the neighbour's entry, never
 *    this one, which then covers both.
 * => no page is copied: an anon shared this way is copied when written
 *    (fault case 1B), or by amap_cow_now.
 * => needs-copy is cleared on success.  On failure (no amap, or no
 *    entries to clip with) the entry is left needs-copy and, apart from
 *    a clip that was done, unchanged; the caller sees the flag.
 */
void
amap_copy(struct vm_map *map, struct vm_map_entry *entry, int flags,
    vaddr_t startva, vaddr_t endva)
{
	struct vm_amap *amap = entry->aref.ar_amap, *new;
	int npages;

	KASSERT(UVM_ET_ISNEEDSCOPY(entry));
	if ((flags & AMAP_COPY_CHUNK) != 0 &&
	    (amap == NULL || amap->am_ref > 1) &&
	    atop(entry->end - entry->start) >= UVM_AMAP_LARGE &&
	    !amap_copy_chunk(map, entry, startva, endva))
		return;
	npages = (int)atop(entry->end - entry->start);

	if (amap != NULL && amap->am_ref == 1) {
		entry->etype &= ~UVM_ET_NEEDSCOPY;
		return;
	}

	if ((flags & AMAP_COPY_NOMERGE) == 0 &&
	    uvm_mapent_trymerge(map, entry, UVM_MERGE_COPYING))
		return;

	new = amap_alloc(entry->end - entry->start, 0);
	if (new == NULL)
		return;
	if (amap != NULL) {
		amap_share_slots(new, 0, &entry->aref, npages);
		/*
		 * not the last reference (am_ref > 1); a page only this
		 * entry held loses the old amap's reference to its anon, but
		 * keeps the one taken above, so no anon is freed
		 */
		amap_unref(amap, entry->aref.ar_pageoff, npages, false);
	}
	entry->aref.ar_amap = new;
	entry->aref.ar_pageoff = 0;
	entry->etype &= ~UVM_ET_NEEDSCOPY;
}

/*
 * amap_cow_now: copy now every page of entry's amap that is shared
 * with another amap, so that nothing of the entry is copy-on-write any
 * more.
 *
 * => used by fork for a wired entry, right after amap_copy gave the
 *    child's entry its own amap: the child takes the copies, so the
 *    parent's wired pages become its own again and are never
 *    write-protected.
 * => an anon with an_ref > 1 gets a replacement with a copy of its
 *    page; anons only this amap points at are left alone.
 * => a page in swap is read back first; out of anons or pages, it waits
 *    (uvm_wait) and tries that page again, so it cannot fail (a swap
 *    disk that cannot be read is a panic).
 */
void
amap_cow_now(struct vm_map *map, struct vm_map_entry *entry)
{
	struct vm_amap *amap = entry->aref.ar_amap;
	struct vm_anon *anon, *nanon;
	struct vm_page *pg;
	int slot, first, end, error;

	if (amap == NULL)
		return;
	KASSERT(!UVM_ET_ISNEEDSCOPY(entry));
	first = entry->aref.ar_pageoff;
	end = first + (int)atop(entry->end - entry->start);

	/* slots are replaced in place: the bitmap does not change */
	for (slot = amap_next_used(amap, first, end); slot < end;
	     slot = amap_next_used(amap, slot + 1, end)) {
		for (;;) {
			/* look again after a wait: things may have moved */
			anon = amap->am_anon[slot];
			if (anon->an_ref <= 1)
				break;
			if (anon->an_page == NULL ||
			    (anon->an_page->flags & PG_BUSY)) {
				/* in swap or in flight: bring it in first */
				error = uvm_anon_pagein(anon);
				if (error == ENOMEM)
					uvm_wait("cownow");
				else if (error != 0 && error != ERESTART)
					panic("%s: anon %p unreadable from "
					      "swap: %d",
					    __func__, (void *)anon, error);
				continue;
			}
			nanon = uvm_analloc();
			pg = NULL;
			if (nanon != NULL)
				pg = uvm_pagealloc(NULL, 0, nanon, 0);
			if (pg == NULL) {
				if (nanon != NULL) {
					nanon->an_ref = 0;
					uvm_anfree(nanon);
				}
				uvm_wait("cownow");
				continue;
			}
			uvm_pagecopy(anon->an_page, pg);
			pg->flags &= ~(PG_BUSY | PG_FAKE);
			uvm_pageactivate(pg);
			amap->am_anon[slot] = nanon;
			anon->an_ref--;
			uvmexp.cow_now++;
			break;
		}
	}
}

/*
 * amap_grow: make room for `need' slots, and some more so that an amap
 * grown a page at a time is not reallocated every time.
 *
 * => returns false, with the amap as it was, if the amap failpoint says
 *    so.
 */
static bool
amap_grow(struct vm_amap *amap, int need)
{
	struct vm_anon **anons;
	int newmax = MAX(need, MIN(2 * amap->am_maxslot, INT_MAX / 2));

	if (failpoint_hit(FP_AMAP))
		return false;
	anons = hostmem_realloc(amap->am_anon, (size_t)newmax * sizeof(*anons));
	memset(anons + amap->am_maxslot, 0,
	    (size_t)(newmax - amap->am_maxslot) * sizeof(*anons));
	amap->am_anon = anons;
	amap_resize_used(amap, amap->am_maxslot, newmax);
	if (amap->am_ppref != NULL)
		amap_resize_ints(&amap->am_ppref, newmax);
	/* the checker's scratch array is made again when needed */
	free(amap->am_chkppref);
	amap->am_chkppref = NULL;
	amap->am_maxslot = newmax;
	return true;
}

/*
 * amap_extend_forwards: `more' slots after entry's last page, which is
 * the amap's last slot.
 *
 * => spare slots are used first; otherwise the arrays are reallocated.
 */
static bool
amap_extend_forwards(struct vm_map_entry *entry, int more)
{
	struct vm_amap *amap = entry->aref.ar_amap;
	int npages = (int)atop(entry->end - entry->start), old, last, prev;

	old = amap->am_nslot;
	if (entry->aref.ar_pageoff + npages != old || more > INT_MAX / 2 - old)
		return false;
	if (old + more > amap->am_maxslot && !amap_grow(amap, old + more))
		return false;
	if (amap->am_ppref == NULL) {
		amap->am_nslot = old + more;
		return true;
	}
	/* find the last run while am_nslot still ends it, then append */
	last = amap_pp_find(amap, old - 1, &prev);
	amap_pp_set(amap, old, 1, more);
	amap->am_nslot = old + more;
	amap_pp_merge(amap, last, old);
	return true;
}

/*
 * amap_extend_backwards: `more' slots before entry's first page.
 *
 * => the slots before the entry have no holder, so they are empty: if
 *    there are enough of them they are taken as they are.  Otherwise
 *    every slot moves up, by as many slots as the amap has (or by what
 *    is missing, if more), rounded up to whole words of the bitmap, so
 *    that an amap grown backward a chunk at a
 *    time moves each slot O(1) times on average, as growing forward
 *    reallocates.  The slots left unheld before the entry count no
 *    references (am_ppref is set up if it was not).
 */
static bool
amap_extend_backwards(struct vm_map_entry *entry, int more)
{
	struct vm_amap *amap = entry->aref.ar_amap;
	int off = entry->aref.ar_pageoff, nslot = amap->am_nslot, shift;

	if (off < more) {
		/* whole words, so that the bitmap moves by words */
		shift = roundup(MAX(more - off, nslot), 64);
		if (shift > INT_MAX / 2 - nslot)
			shift = roundup(more - off, 64);
		if (shift > INT_MAX / 2 - nslot)
			return false;
		if (nslot + shift > amap->am_maxslot &&
		    !amap_grow(amap, nslot + shift))
			return false;
		if (amap->am_ppref == NULL)
			amap_pp_establish(amap);
		memmove(&amap->am_anon[shift], amap->am_anon,
		    (size_t)nslot * sizeof(*amap->am_anon));
		memset(amap->am_anon, 0,
		    (size_t)shift * sizeof(*amap->am_anon));
		memmove(&amap->am_used[shift / 64], amap->am_used,
		    (size_t)amap_words(nslot) * sizeof(*amap->am_used));
		memset(amap->am_used, 0,
		    (size_t)(shift / 64) * sizeof(*amap->am_used));
		memmove(&amap->am_ppref[shift], amap->am_ppref,
		    (size_t)nslot * sizeof(int));
		amap->am_nslot = nslot + shift;
		amap_pp_set(amap, 0, 0, shift);
		amap_pp_merge(amap, 0, shift);
		off += shift;
	}
	amap_pp_adjust(amap, off - more, more, 1);
	entry->aref.ar_pageoff = off - more;
	return true;
}

/*
 * amap_extend: grow entry's amap by addsize bytes at its end
 * (AMAP_EXTEND_FORWARDS) or before its start (AMAP_EXTEND_BACKWARDS),
 * so that the entry can be extended by as much.
 *
 * => only if the entry is the amap's only holder and the amap is not
 *    shared; forward, only if the entry reaches the amap's last slot.
 * => the new slots are empty; with per-page counts they count the
 *    entry.  Backward, entry->aref.ar_pageoff moves back to the first
 *    new slot: the caller moves entry->start back by addsize.
 * => returns true if the amap was extended; false leaves it unchanged
 *    (the amap failpoint is asked when the arrays must grow).
 */
bool
amap_extend(struct vm_map_entry *entry, vsize_t addsize, int flags)
{
	struct vm_amap *amap = entry->aref.ar_amap;

	KASSERT(amap != NULL);
	KASSERT((addsize & PAGE_MASK) == 0 && addsize > 0);
	if (amap->am_ref != 1 || (amap->am_flags & AMAP_SHARED) != 0 ||
	    atop(addsize) > INT_MAX / 2)
		return false;
	if (flags & AMAP_EXTEND_BACKWARDS)
		return amap_extend_backwards(entry, (int)atop(addsize));
	return amap_extend_forwards(entry, (int)atop(addsize));
}

/*
 * checking
 */

/*
 * amap_check_begin: forget the holders counted in the last round.
 */
void
amap_check_begin(void)
{
	struct vm_amap *amap;

	LIST_FOREACH (amap, &amap_list, am_list) {
		amap->am_chkref = 0;
		if (amap->am_chkppref != NULL)
			memset(amap->am_chkppref, 0,
			    (size_t)amap->am_maxslot * sizeof(int));
	}
	amap_chk_counting = true;
}

/*
 * amap_check_holder: count aref, which covers npages pages, as a holder
 * of its amap.
 *
 * => pages outside the amap are not counted: an aref that runs past
 *    its amap is the map checker's to report.
 */
void
amap_check_holder(const struct vm_aref *aref, int npages)
{
	struct vm_amap *amap = aref->ar_amap;
	int slot, end;

	if (amap == NULL)
		return;
	amap->am_chkref++;
	if (amap->am_chkppref == NULL)
		amap->am_chkppref = amap_ints(amap->am_maxslot);
	slot = MAX(aref->ar_pageoff, 0);
	end = MIN(aref->ar_pageoff + npages, amap->am_nslot);
	for (; slot < end; slot++)
		amap->am_chkppref[slot]++;
}

/* the holders counted on slot (none if nothing was counted) */
static int
amap_check_counted(const struct vm_amap *amap, int slot)
{
	return amap->am_chkppref != NULL ? amap->am_chkppref[slot] : 0;
}

/*
 * amap_check_ppref: check that am_ppref is a sequence of runs covering
 * exactly [0, am_nslot), that no page counts more references than the
 * amap has, that a page with none holds no anon, and, when holders were
 * counted, that each page's count is the holders that cover it.
 */
static void
amap_check_ppref(struct vm_amap *amap, struct kcheck *kc)
{
	int head, slot, count, len;

	for (head = 0; head < amap->am_nslot; head += len) {
		amap_pp_get(amap, head, &count, &len);
		if (count < 0 || head + len > amap->am_nslot) {
			kcheck_fail(kc,
			    "amap %p: bad ppref run at slot %d (count %d, "
			    "length %d)",
			    (void *)amap, head, count, len);
			return;
		}
		if (count > amap->am_ref)
			kcheck_fail(kc,
			    "amap %p: slots %d..%d count %d references of %d",
			    (void *)amap, head, head + len - 1, count,
			    amap->am_ref);
		for (slot = head; slot < head + len; slot++) {
			if (count == 0 && amap->am_anon[slot] != NULL)
				kcheck_fail(kc,
				    "amap %p: slot %d has no references but "
				    "an anon",
				    (void *)amap, slot);
			if (amap_chk_counting &&
			    amap_check_counted(amap, slot) != count) {
				kcheck_fail(kc,
				    "amap %p: slot %d has ppref %d but %d "
				    "holders",
				    (void *)amap, slot, count,
				    amap_check_counted(amap, slot));
				break;
			}
		}
	}
}

/*
 * amap_check_one: check one amap's slot arrays and references.
 */
static void
amap_check_one(struct vm_amap *amap, struct kcheck *kc)
{
	int slot, used = 0;
	uint64_t spare;

	if (amap->am_nslot < 1 || amap->am_nslot > amap->am_maxslot) {
		kcheck_fail(kc, "amap %p: %d slots of %d", (void *)amap,
		    amap->am_nslot, amap->am_maxslot);
		return;
	}
	for (slot = 0; slot < amap->am_maxslot; slot++) {
		if ((amap->am_anon[slot] != NULL) != amap_slot_used(amap, slot))
			kcheck_fail(kc,
			    "amap %p: slot %d's bit in am_used says %s but "
			    "it holds %s",
			    (void *)amap, slot,
			    amap_slot_used(amap, slot) ? "used" : "empty",
			    amap->am_anon[slot] != NULL ? "an anon" : "none");
		if (amap->am_anon[slot] == NULL)
			continue;
		if (slot >= amap->am_nslot)
			kcheck_fail(kc, "amap %p: spare slot %d holds an anon",
			    (void *)amap, slot);
		used++;
	}
	spare = amap->am_maxslot % 64 == 0 ?
	    0 :
	    amap->am_used[amap->am_maxslot / 64] >> (amap->am_maxslot % 64);
	if (spare != 0)
		kcheck_fail(kc, "amap %p: am_used has bits past slot %d",
		    (void *)amap, amap->am_maxslot);
	if (used != amap->am_nused)
		kcheck_fail(kc, "amap %p: am_nused %d but %d slots hold anons",
		    (void *)amap, amap->am_nused, used);

	if (amap->am_ref <= 0)
		kcheck_fail(kc, "amap %p: am_ref %d", (void *)amap,
		    amap->am_ref);
	if ((amap->am_flags & AMAP_SHARED) && amap->am_ref < 2)
		kcheck_fail(kc, "amap %p: shared with %d holders", (void *)amap,
		    amap->am_ref);
	if (amap_chk_counting && amap->am_chkref != amap->am_ref)
		kcheck_fail(kc, "amap %p: am_ref %d but %d holders",
		    (void *)amap, amap->am_ref, amap->am_chkref);

	if (amap->am_ppref != NULL) {
		amap_check_ppref(amap, kc);
		return;
	}
	if (!amap_chk_counting)
		return;
	/* no per-page counts: every holder must cover every page */
	for (slot = 0; slot < amap->am_nslot; slot++)
		if (amap_check_counted(amap, slot) != amap->am_chkref) {
			kcheck_fail(kc,
			    "amap %p: a holder covers part of it but it has "
			    "no ppref (slot %d: %d of %d holders)",
			    (void *)amap, slot, amap_check_counted(amap, slot),
			    amap->am_chkref);
			break;
		}
}

/*
 * amap_check: check every amap, then every anon.
 *
 * => see uvm_amap.h: after amap_check_begin and the map checker's
 *    amap_check_holder calls, holders are compared with am_ref and
 *    am_ppref; without, only what needs no holders is checked.  Either
 *    way the round is over afterwards.
 * => every anon's an_ref is compared with the slots that point at it
 *    (uvm_anon_check).
 * => returns the number of inconsistencies found.
 */
int
amap_check(struct kcheck *kc)
{
	unsigned int before = kc->kc_nerr;
	struct vm_amap *amap;
	int n = 0, slot;

	LIST_FOREACH (amap, &amap_list, am_list) {
		if (++n > uvmexp.namap) {
			kcheck_fail(kc, "amap list longer than namap %d",
			    uvmexp.namap);
			break;
		}
		amap_check_one(amap, kc);
	}
	if (n < uvmexp.namap)
		kcheck_fail(kc, "namap %d but %d amaps listed", uvmexp.namap,
		    n);
	amap_chk_counting = false;

	uvm_anon_check_begin();
	LIST_FOREACH (amap, &amap_list, am_list)
		for (slot = 0; slot < MIN(amap->am_nslot, amap->am_maxslot);
		     slot++)
			if (amap->am_anon[slot] != NULL)
				uvm_anon_check_count(amap->am_anon[slot]);
	uvm_anon_check(kc);
	return (int)(kc->kc_nerr - before);
}
