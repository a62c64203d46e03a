/*
 * uvm_amap.h: anonymous maps -- the upper, copy-on-write layer of memory.
 *
 * An amap is an array of slots, one per page of the range it covers; a
 * slot holds an anon or nothing.  Map entries reach an amap through an
 * aref: the amap and the slot that the entry's first page uses.
 *
 *	entry [start, end) --aref--> amap
 *	                    pageoff  slot: 0 1 2 3 4 5 6 7
 *	                                   . A . B . . . .
 *
 * Interface first.  Slot offsets and page counts are in pages; the
 * `offset' of lookups and adds is in bytes from the holder's first page.
 *
 *	amap_alloc/amap_ref/amap_unref  create and share amaps
 *	amap_copy      give an entry a private copy (resolve needs-copy)
 *	amap_cow_now   copy every shared anon of an entry now (wired fork)
 *	amap_lookup(s)/amap_add/amap_unadd   the anons of slots
 *	amap_splitref  split an entry's reference when the entry is clipped
 *	amap_extend    grow an amap forward or backward, so an entry can be
 *	               extended (or absorb a neighbour: uvm_mapent_trymerge)
 *	amap_share_slots   fill an amap's empty slots with another's anons
 *	amap_wipeout   drop every anon and free the amap
 *
 * Implementation: beside the anons, a bitmap of the used slots, one bit
 * a slot, walked a 64-bit word at a time (a find-first-set per used
 * slot), so that "visit every anon" costs a word per 64 slots plus one
 * step per anon:
 *
 *	am_anon[slot]              the anon, or NULL
 *	am_used[slot / 64] bit (slot % 64)   set iff am_anon[slot] != NULL
 *	am_nused                   the bits set
 *
 * (NetBSD's am_slots and am_bckptr, a packed list of the used slots and
 * each slot's place in it, make the walk cost the anons alone, but cost
 * 8 bytes a slot where the bitmap costs one bit.)  Bits past am_maxslot
 * are clear.
 *
 * References.  am_ref counts the aref holders (map entries).  While all
 * of them cover the whole amap, that is all there is.  Once an entry
 * covers only part of it (after a clip or a partial unmap), the amap
 * keeps a reference count per page, am_ppref; a page whose count drops
 * to zero loses its anon at once, so a partial munmap frees memory.
 * An amap marked AMAP_SHARED is shared by share-inheritance (or by
 * MAP_SHARED anonymous memory) and is never copied; it always has
 * am_ref > 1 (the flag is cleared when only one holder is left).
 *
 * am_ppref is run-length encoded, so that changing the count of a range
 * costs the runs it meets, not its pages (a fork of a clipped entry
 * stays cheap).  [0, am_nslot) is cut into runs of equal count; only the
 * first two slots of a run carry anything:
 *
 *	am_ppref[head]       the count of every slot of the run (>= 0)
 *	am_ppref[head + 1]   -length, if the run is longer than one slot
 *
 * A count is never negative, so a negative value after a head can only
 * be a length.  Example, counts 2 2 2 1 0 0:
 *
 *	slot      0  1  2  3  4  5
 *	am_ppref  2 -3  .  1  0 -2	(. is unused)
 */

#ifndef _UVM_UVM_AMAP_H_
#define _UVM_UVM_AMAP_H_

#include <sys/queue.h>

#include "machine/types.h"

struct vm_anon;
struct vm_map;
struct vm_map_entry;
struct kcheck;

struct vm_aref {
	int ar_pageoff;		 /* first slot the holder uses */
	struct vm_amap *ar_amap; /* the amap, or NULL */
};

struct vm_amap {
	int am_ref;		     /* aref holders */
	int am_flags;		     /* AMAP_* */
	int am_maxslot;		     /* slots allocated */
	int am_nslot;		     /* slots in use (<= am_maxslot) */
	int am_nused;		     /* slots holding an anon */
	uint64_t *am_used;	     /* bitmap of the slots in use */
	struct vm_anon **am_anon;    /* slot -> anon or NULL */
	int *am_ppref;		     /* references by run, or NULL */
	LIST_ENTRY(vm_amap) am_list; /* on the list of all amaps */
	int am_chkref;		     /* checker: holders counted */
	int *am_chkppref;	     /* checker: holders per slot, or NULL */
};

/* am_flags */
#define AMAP_SHARED 0x1 /* shared by several maps: never copied */

/* amap_ref flags (AMAP_SHARED too) */
#define AMAP_REFALL 0x2 /* the new holder covers the whole amap */

/* amap_copy flags */
#define AMAP_COPY_CHUNK	  0x1 /* may clip the entry to a chunk first */
#define AMAP_COPY_NOMERGE 0x2 /* never merge the entry into a neighbour */

/* amap_extend flags: where the new slots go */
#define AMAP_EXTEND_FORWARDS  0x0 /* after the entry's last page */
#define AMAP_EXTEND_BACKWARDS 0x1 /* before its first page */

/*
 * with AMAP_COPY_CHUNK, an entry of UVM_AMAP_LARGE pages or more is
 * clipped to the UVM_AMAP_CHUNK-page aligned chunk around the fault
 * before its amap is made or copied, so a write costs a chunk, not the
 * entry.  An entry that is the only holder of its amap is not clipped:
 * it takes the amap over whole, at no cost.  Unless AMAP_COPY_NOMERGE
 * is given, an entry that would get an amap of its own merges into a
 * neighbour whose amap can grow instead (uvm_mapent_trymerge), so
 * memory written in order stays one entry.
 */
#define UVM_AMAP_LARGE 256
#define UVM_AMAP_CHUNK 16

struct vm_amap *amap_alloc(vsize_t sz, vsize_t padsz);
void amap_ref(struct vm_amap *, int slotoff, int npages, int flags);
void amap_unref(struct vm_amap *, int slotoff, int npages, bool all);
void amap_copy(struct vm_map *, struct vm_map_entry *, int flags,
    vaddr_t startva, vaddr_t endva);
void amap_cow_now(struct vm_map *, struct vm_map_entry *);
struct vm_anon *amap_lookup(const struct vm_aref *, vaddr_t offset);
void amap_lookups(const struct vm_aref *, vaddr_t offset,
    struct vm_anon **anons, int npages);
void amap_add(struct vm_aref *, vaddr_t offset, struct vm_anon *, bool replace);
void amap_unadd(struct vm_aref *, vaddr_t offset);
void amap_splitref(struct vm_aref *origref, struct vm_aref *splitref,
    vaddr_t offset);
bool amap_extend(struct vm_map_entry *, vsize_t addsize, int flags);
void amap_share_slots(struct vm_amap *dst, int dstslot,
    const struct vm_aref *src, int npages);
void amap_wipeout(struct vm_amap *);

/*
 * the contracts are at the functions, in uvm_amap.c.  In short:
 * amap_unref's `all' says the holder covers the whole amap (slotoff and
 * npages are then not used); amap_add and amap_unadd never change an
 * anon's an_ref, the caller does; amap_extend consults the amap
 * failpoint when it must reallocate.
 */

/*
 * checking: amap_check_begin() forgets the holders counted last time;
 * the map checker then calls amap_check_holder() once for every aref
 * of every map entry; amap_check() verifies each amap's slot arrays and
 * that am_ref (and am_ppref, page by page) equals the holders counted,
 * and each anon's an_ref against the slots that point at it (it runs
 * the anon checker, uvm_anon_check, itself).  amap_check without
 * amap_check_begin (a test's amaps that no map holds) checks only what
 * needs no holders: the slot arrays, am_ppref's runs, and the anons.
 */
void amap_check_begin(void);
void amap_check_holder(const struct vm_aref *, int npages);
int amap_check(struct kcheck *);

#define amap_refs(am)  ((am)->am_ref)
#define amap_flags(am) ((am)->am_flags)

#endif /* _UVM_UVM_AMAP_H_ */
