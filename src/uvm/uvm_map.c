/*
 * uvm_map.c: address maps -- entries, lookup, clipping, protection,
 * inheritance, advice, wiring, and address spaces (vmspaces) with fork.
 *
 * The data structure is described in uvm_map.h.  Here are the rules the
 * code follows.
 *
 * Clipping.  An operation on [start, end) first splits the entries that
 * straddle start and end, so it acts on whole entries.  Splitting needs
 * new entries, and an allocation may fail, so every operation reserves
 * the entries it may need before it changes anything
 * (uvm_mapent_reserve): either it is done whole or it fails with ENOMEM
 * and the map is as it was.
 *
 * Merging.  uvm_map extends the previous entry instead of making a new
 * one when the new mapping continues it exactly: same object at the next
 * offset (or no object), same protections, inheritance and advice, not
 * wired, and an amap that can grow (amap_extend) or none.
 *
 * And amap_copy, about to give a needs-copy entry an amap of its own
 * (most often a UVM_AMAP_CHUNK-page chunk clipped by a write fault),
 * merges the entry into a neighbour instead when the neighbour's amap
 * can simply grow to cover it (uvm_mapent_trymerge): memory written in
 * order, or a child writing its copy-on-write memory in order, stays
 * one entry rather than one per chunk, and fork costs one entry, not
 * thousands.  NetBSD 1.6 did not merge here; uvmsim follows
 * NetBSD-current (uvm_mapent_trymerge with UVM_MERGE_COPYING), as
 * issue 15 asks, and goes one step further: NetBSD-current merges only
 * an entry with no amap yet, uvmsim also a chunk copied from a shared
 * amap, whose anons move into the neighbour's amap.  Other operations
 * do not merge.
 *
 * Locking.  There is one CPU and, for now, nothing sleeps with a map
 * locked, so a lock is never contended: the lock functions assert the
 * discipline (no recursion, unlock what is held, readers and a writer
 * never together) rather than wait.
 *
 * fork.  uvmspace_fork gives the child each entry according to its
 * inheritance:
 *
 *	none   nothing
 *	share  the same amap (copied first if it was only needs-copy, so
 *	       the two really share one) and object
 *	copy   the same amap and object, marked copy-on-write and
 *	       needs-copy in both, the parent's mappings write-protected;
 *	       but an amap the parent shares with other maps is copied for
 *	       the child at once and the parent keeps sharing (the child
 *	       must not see the sharers' later writes, and they must keep
 *	       seeing the parent's: the pages now in both amaps are
 *	       write-protected everywhere instead); and a wired entry's
 *	       pages are copied at once (amap_cow_now) so the parent's
 *	       wired pages are never write-protected
 *	zero   a fresh zero-fill mapping of the same range and protection
 *
 * No page is copied and no anon array is duplicated for an ordinary
 * fork; the cost proportional to resident memory is the pmap's
 * write-protection of the parent.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "machine/hostmem.h"
#include "machine/pool.h"
#include "sys/proc.h"
#include "uvm/uvm.h"
#include "uvm/uvm_fault.h"
#include "uvm/uvm_km.h"

static LIST_HEAD(, vm_map) uvm_maps = LIST_HEAD_INITIALIZER(uvm_maps);

/* how far uvm_map_pageable's faults got: [mw_first, mw_at) are wired */
struct uvm_map_wiring {
	struct vm_map *mw_map;
	struct vm_map_entry *mw_first; /* the range's first entry */
	struct vm_map_entry *mw_at;    /* the one being wired */
	vaddr_t mw_end;
};
static void uvm_map_pageable_stop(void *);
static void uvm_map_pageable_uncount(struct vm_map *, struct vm_map_entry *,
    struct vm_map_entry *);
static void uvm_map_pageable_undo(struct vm_map *, struct vm_map_entry *,
    struct vm_map_entry *, vaddr_t);

/*
 * the entry tree, keyed by start address
 */

static int
uvm_map_compare_nodes(void *ctx __unused, const void *a, const void *b)
{
	const struct vm_map_entry *ea = a, *eb = b;

	if (ea->start < eb->start)
		return -1;
	return ea->start > eb->start;
}

static int
uvm_map_compare_key(void *ctx __unused, const void *obj, const void *key)
{
	const struct vm_map_entry *e = obj;
	vaddr_t va = *(const vaddr_t *)key;

	if (e->start < va)
		return -1;
	return e->start > va;
}

static const struct rb_tree_ops uvm_map_tree_ops = {
	.rbto_compare_nodes = uvm_map_compare_nodes,
	.rbto_compare_key = uvm_map_compare_key,
	.rbto_node_offset = offsetof(struct vm_map_entry, rb_node),
};

/*
 * map locks
 */

void
vm_map_lock(struct vm_map *map)
{
	KASSERTMSG(!map->lk_writer && map->lk_readers == 0,
	    "%s: map %p already locked (writer %d, readers %d)", __func__,
	    (void *)map, map->lk_writer, map->lk_readers);
	KASSERTMSG(map->busy_count == 0, "%s: map %p is busy", __func__,
	    (void *)map);
	map->lk_writer = true;
}

bool
vm_map_lock_try(struct vm_map *map)
{
	if (map->lk_writer || map->lk_readers > 0 || map->busy_count > 0)
		return false;
	map->lk_writer = true;
	return true;
}

void
vm_map_unlock(struct vm_map *map)
{
	KASSERTMSG(map->lk_writer, "%s: map %p not write-locked", __func__,
	    (void *)map);
	map->lk_writer = false;
	map->timestamp++;
}

void
vm_map_lock_read(struct vm_map *map)
{
	KASSERTMSG(!map->lk_writer, "%s: map %p is write-locked", __func__,
	    (void *)map);
	map->lk_readers++;
}

void
vm_map_unlock_read(struct vm_map *map)
{
	KASSERTMSG(map->lk_readers > 0, "%s: map %p not read-locked", __func__,
	    (void *)map);
	map->lk_readers--;
}

/* vm_map_upgrade: the only reader becomes the writer */
void
vm_map_upgrade(struct vm_map *map)
{
	KASSERTMSG(map->lk_readers == 1 && !map->lk_writer,
	    "%s: map %p has %d readers", __func__, (void *)map,
	    map->lk_readers);
	map->lk_readers = 0;
	map->lk_writer = true;
}

/* vm_map_downgrade: the writer becomes a reader */
void
vm_map_downgrade(struct vm_map *map)
{
	KASSERT(map->lk_writer);
	map->lk_writer = false;
	map->lk_readers = 1;
	map->timestamp++;
}

/*
 * vm_map_busy: the write-lock holder keeps other writers out while it
 * drops the lock to do slow work (wiring); vm_map_unbusy ends it.
 */
void
vm_map_busy(struct vm_map *map)
{
	KASSERT(map->lk_writer);
	map->busy_count++;
	map->flags |= VM_MAP_BUSY;
}

void
vm_map_unbusy(struct vm_map *map)
{
	KASSERT(map->busy_count > 0);
	if (--map->busy_count == 0)
		map->flags &= ~VM_MAP_BUSY;
}

bool
vm_map_locked_p(const struct vm_map *map)
{
	return map->lk_writer;
}

/*
 * map entries
 */

/* map entries and vmspaces come from pools, as NetBSD's do */
static struct pool uvm_map_entry_pool =
    POOL_INITIALIZER("vmmpepl", sizeof(struct vm_map_entry));
static struct pool uvm_vmspace_pool =
    POOL_INITIALIZER("vmsppl", sizeof(struct vmspace));

/*
 * uvm_mapent_alloc: a zeroed map entry.
 *
 * => returns NULL if the mapent failpoint says so (the host running out
 *    is a panic: hostmem.h).
 */
static struct vm_map_entry *
uvm_mapent_alloc(void)
{
	struct vm_map_entry *e;

	if (failpoint_hit(FP_MAPENT))
		return NULL;
	e = pool_get(&uvm_map_entry_pool, PR_ZERO);
	uvmexp.nmapent++;
	return e;
}

static void
uvm_mapent_free(struct vm_map_entry *e)
{
	pool_put(&uvm_map_entry_pool, e);
	uvmexp.nmapent--;
}

/*
 * uvm_mapent_reserve: make sure n entries can be had without failing.
 *
 * => returns 0, or ENOMEM with nothing reserved.
 */
int
uvm_mapent_reserve(struct uvm_mapent_reservation *umr, int n)
{
	KASSERT(n <= UMR_MAX);
	umr->umr_nentries = 0;
	while (umr->umr_nentries < n) {
		umr->umr_entries[umr->umr_nentries] = uvm_mapent_alloc();
		if (umr->umr_entries[umr->umr_nentries] == NULL) {
			uvm_mapent_unreserve(umr);
			return ENOMEM;
		}
		umr->umr_nentries++;
	}
	return 0;
}

/* uvm_mapent_unreserve: give back what the operation did not use */
void
uvm_mapent_unreserve(struct uvm_mapent_reservation *umr)
{
	while (umr->umr_nentries > 0)
		uvm_mapent_free(umr->umr_entries[--umr->umr_nentries]);
}

static struct vm_map_entry *
uvm_mapent_take(struct uvm_mapent_reservation *umr)
{
	struct vm_map_entry *e;

	KASSERTMSG(umr->umr_nentries > 0, "%s: reservation exhausted",
	    __func__);
	e = umr->umr_entries[--umr->umr_nentries];
	memset(e, 0, sizeof(*e));
	return e;
}

/* link entry into map's list after `after', and into its tree */
static void
uvm_map_entry_link(struct vm_map *map, struct vm_map_entry *after,
    struct vm_map_entry *entry)
{
	void *dup __unused;

	entry->prev = after;
	entry->next = after->next;
	after->next->prev = entry;
	after->next = entry;
	dup = rb_tree_insert_node(&map->rb_tree, entry);
	KASSERTMSG(dup == entry, "%s: two entries at 0x%llx", __func__,
	    (unsigned long long)entry->start);
	map->nentries++;
	map->size += entry->end - entry->start;
}

static void
uvm_map_entry_unlink(struct vm_map *map, struct vm_map_entry *entry)
{
	if (map->hint == entry)
		map->hint = entry->prev;
	rb_tree_remove_node(&map->rb_tree, entry);
	entry->prev->next = entry->next;
	entry->next->prev = entry->prev;
	map->nentries--;
	map->size -= entry->end - entry->start;
}

/* take a reference to whatever the entry maps */
static void
uvm_map_entry_reference(struct vm_map_entry *e)
{
	if (UVM_ET_ISOBJ(e) && e->object.uvm_obj->pgops->pgo_reference)
		e->object.uvm_obj->pgops->pgo_reference(e->object.uvm_obj);
}

/*
 * uvm_map_clip_start: split entry so that it starts at `start'.
 *
 * => the part below start becomes a new entry, taken from umr, linked
 *    before; both keep their share of the object (offset) and of the
 *    amap (amap_splitref).
 * => the map must be write-locked.
 */
void
uvm_map_clip_start(struct vm_map *map, struct vm_map_entry *entry,
    vaddr_t start, struct uvm_mapent_reservation *umr)
{
	struct vm_map_entry *new, *prev;
	vsize_t adj;

	if (start <= entry->start)
		return;
	KASSERT(start < entry->end && vm_map_locked_p(map));
	new = uvm_mapent_take(umr);
	/* entry's key changes: take it out, then link both parts */
	prev = entry->prev;
	uvm_map_entry_unlink(map, entry);
	*new = *entry;
	new->end = start;
	adj = start - entry->start;
	if (entry->object.uvm_obj != NULL)
		entry->offset += (voff_t)adj;
	if (entry->aref.ar_amap != NULL)
		amap_splitref(&new->aref, &entry->aref, adj);
	entry->start = start;
	uvm_map_entry_link(map, prev, new);
	uvm_map_entry_link(map, new, entry);
	uvm_map_entry_reference(new);
}

/*
 * uvm_map_clip_end: split entry so that it ends at `end'.
 *
 * => the part from end up becomes a new entry, taken from umr, linked
 *    after; the map must be write-locked.
 */
void
uvm_map_clip_end(struct vm_map *map, struct vm_map_entry *entry, vaddr_t end,
    struct uvm_mapent_reservation *umr)
{
	struct vm_map_entry *new;
	vsize_t adj;

	if (end >= entry->end)
		return;
	KASSERT(end > entry->start && vm_map_locked_p(map));
	new = uvm_mapent_take(umr);
	*new = *entry;
	adj = end - entry->start;
	new->start = end;
	if (new->object.uvm_obj != NULL)
		new->offset += (voff_t)adj;
	if (entry->aref.ar_amap != NULL)
		amap_splitref(&entry->aref, &new->aref, adj);
	map->size -= entry->end - end;
	entry->end = end;
	uvm_map_entry_link(map, entry, new);
	uvm_map_entry_reference(new);
}

/*
 * maps
 */

/*
 * uvm_map_setup: an empty map of [min, max).
 */
void
uvm_map_setup(struct vm_map *map, vaddr_t min, vaddr_t max, int flags)
{
	memset(map, 0, sizeof(*map));
	map->header.next = map->header.prev = &map->header;
	map->header.start = min;
	map->header.end = max;
	rb_tree_init(&map->rb_tree, &uvm_map_tree_ops);
	map->ref_count = 1;
	map->hint = &map->header;
	map->flags = flags;
	LIST_INSERT_HEAD(&uvm_maps, map, map_list);
}

/* uvm_map_teardown: forget an empty map */
void
uvm_map_teardown(struct vm_map *map)
{
	KASSERT(map->nentries == 0);
	LIST_REMOVE(map, map_list);
}

/*
 * uvm_map_lookup_entry: find the entry that contains address.
 *
 * => returns true and the entry in *entry if some entry contains it;
 *    else false, and *entry is the entry before the address (the header
 *    if there is none), which is where a new entry would be linked.
 * => the map must be locked (read or write); the hint is updated.
 */
bool
uvm_map_lookup_entry(struct vm_map *map, vaddr_t address,
    struct vm_map_entry **entry)
{
	struct vm_map_entry *cur = map->hint;

	if (cur != &map->header && address >= cur->start) {
		if (address < cur->end) {
			*entry = cur;
			return true;
		}
		if (cur->next == &map->header || address < cur->next->start) {
			*entry = cur;
			return false;
		}
	}
	cur = rb_tree_find_node_leq(&map->rb_tree, &address);
	if (cur == NULL) {
		*entry = &map->header;
		return false;
	}
	map->hint = cur;
	*entry = cur;
	return address < cur->end;
}

/*
 * uvm_map_findspace: the lowest free range of `length' bytes at or above
 * hint, aligned to `align' (a power of two, or 0 for pages).
 *
 * => returns 0 and the start in *result, or ENOMEM if the map has no
 *    such hole.
 * => the map must be locked.
 */
int
uvm_map_findspace(struct vm_map *map, vaddr_t hint, vsize_t length,
    vsize_t align, vaddr_t *result)
{
	struct vm_map_entry *entry, *next;
	vaddr_t start;

	KASSERT(align == 0 || powerof2(align));
	if (hint < vm_map_min(map))
		hint = vm_map_min(map);
	if (hint > vm_map_max(map) || length > vm_map_max(map) - hint)
		return ENOMEM;
	start = hint;
	if (uvm_map_lookup_entry(map, start, &entry))
		start = entry->end;
	for (;;) {
		if (align > 1)
			start = roundup(start, align);
		if (start < hint || start > vm_map_max(map) ||
		    length > vm_map_max(map) - start)
			return ENOMEM;
		next = entry->next;
		if (next == &map->header || start + length <= next->start)
			break;
		entry = next;
		if (entry->end > start)
			start = entry->end;
	}
	*result = start;
	return 0;
}

/* can `prev' be extended to cover the new mapping? */
static bool
uvm_map_mergeable(const struct vm_map_entry *prev, vaddr_t start,
    struct uvm_object *uobj, voff_t uoffset, int etype, int flags)
{
	if (prev->end != start || (prev->flags & UVM_MAP_NOMERGE) ||
	    (flags & UVM_FLAG_NOMERGE) || prev->etype != etype ||
	    prev->object.uvm_obj != uobj || prev->wired_count != 0 ||
	    prev->protection != UVM_PROTECTION(flags) ||
	    prev->max_protection != UVM_MAXPROTECTION(flags) ||
	    prev->inheritance != UVM_INHERIT(flags) ||
	    prev->advice != UVM_ADVICE(flags) || UVM_ET_ISSUBMAP(prev))
		return false;
	if (uobj != NULL &&
	    prev->offset + (voff_t)(prev->end - prev->start) != uoffset)
		return false;
	/* an amap of the new range would have to be added, not merged */
	if (flags & UVM_FLAG_OVERLAY)
		return false;
	return true;
}

/*
 * can needs-copy `entry' become part of its neighbour `nb', the two
 * sharing nb's amap?  nb must be entry without needs-copy: the same
 * protections, inheritance, advice and flags, neither wired nor an
 * object; and its amap, which must be its own, not shared, is the
 * one to grow (amap_extend says whether it can).
 */
static bool
uvm_mapent_copymergeable(const struct vm_map_entry *nb,
    const struct vm_map_entry *entry)
{
	const struct vm_amap *amap = nb->aref.ar_amap;

	return amap != NULL && amap_refs(amap) == 1 &&
	    (amap_flags(amap) & AMAP_SHARED) == 0 &&
	    nb->etype == (entry->etype & ~UVM_ET_NEEDSCOPY) &&
	    nb->object.uvm_obj == NULL && entry->object.uvm_obj == NULL &&
	    ((nb->flags | entry->flags) & UVM_MAP_NOMERGE) == 0 &&
	    nb->flags == entry->flags && nb->wired_count == 0 &&
	    entry->wired_count == 0 && nb->protection == entry->protection &&
	    nb->max_protection == entry->max_protection &&
	    nb->inheritance == entry->inheritance &&
	    nb->advice == entry->advice;
}

/*
 * uvm_mapent_absorb: entry takes over its neighbour nb, whose amap has
 * just been extended over entry's pages, and nb's entry is freed.
 *
 * => entry's pages keep their anons: those of entry's old amap, if any,
 *    are shared into their new slots, and entry's reference to the old
 *    amap is dropped (it is not the last: amap_copy took the amap over
 *    otherwise).
 * => entry's place in the tree is unchanged: nb is taken out, and the
 *    key entry gets (nb's start, if nb came before) has nothing between
 *    it and entry's old key.
 */
static void
uvm_mapent_absorb(struct vm_map *map, struct vm_map_entry *entry,
    struct vm_map_entry *nb)
{
	int npages = (int)atop(entry->end - entry->start);
	int nbpages = (int)atop(nb->end - nb->start);
	int slot = nb == entry->prev ? nb->aref.ar_pageoff + nbpages :
				       nb->aref.ar_pageoff;

	if (entry->aref.ar_amap != NULL) {
		amap_share_slots(nb->aref.ar_amap, slot, &entry->aref, npages);
		amap_unref(entry->aref.ar_amap, entry->aref.ar_pageoff, npages,
		    false);
	}
	uvm_map_entry_unlink(map, nb);
	if (nb->end == entry->start)
		entry->start = nb->start;
	else
		entry->end = nb->end;
	map->size += nb->end - nb->start;
	entry->aref = nb->aref;
	entry->etype &= ~UVM_ET_NEEDSCOPY;
	map->hint = entry;
	uvm_mapent_free(nb);
	uvmexp.map_copymerges++;
}

/*
 * uvm_mapent_trymerge: merge needs-copy entry into a neighbour instead
 * of giving it an amap of its own (see "Merging" at the top of this
 * file).
 *
 * 1. the entry before, if compatible (uvm_mapent_copymergeable) and
 *    its amap can grow forward over entry's pages;
 * 2. else the entry after, if compatible and its amap can grow
 *    backward over them.
 *
 * => flags: UVM_MERGE_COPYING, the only kind there is (amap_copy's).
 * => the map is write-locked.
 * => returns true if merged: entry covers both ranges, holds the
 *    neighbour's amap and is no longer needs-copy; the neighbour's
 *    entry is freed.  False leaves everything as it was.
 */
bool
uvm_mapent_trymerge(struct vm_map *map, struct vm_map_entry *entry, int flags)
{
	struct vm_map_entry *prev = entry->prev, *next = entry->next;
	vsize_t size = entry->end - entry->start;

	KASSERT(flags == UVM_MERGE_COPYING);
	KASSERT(UVM_ET_ISNEEDSCOPY(entry) && vm_map_locked_p(map));
	if (prev != &map->header && prev->end == entry->start &&
	    uvm_mapent_copymergeable(prev, entry) &&
	    amap_extend(prev, size, AMAP_EXTEND_FORWARDS)) {
		uvm_mapent_absorb(map, entry, prev);
		return true;
	}
	if (next != &map->header && next->start == entry->end &&
	    uvm_mapent_copymergeable(next, entry) &&
	    amap_extend(next, size, AMAP_EXTEND_BACKWARDS)) {
		uvm_mapent_absorb(map, entry, next);
		return true;
	}
	return false;
}

/*
 * uvm_map: map [*startp, *startp + size) in map.
 *
 * 1. find the place: exactly *startp with UVM_FLAG_FIXED (replacing what
 *    is there with UVM_FLAG_UNMAP), else the first hole at or above
 *    *startp with the alignment asked for;
 * 2. extend the previous entry if the mapping continues it, else link a
 *    new entry.
 *
 * => uobj, if not NULL, is mapped at uoffset (UVM_UNKNOWN_OFFSET: the
 *    offset is the address's offset in the map, as for the kernel
 *    object); the caller's reference to uobj is consumed on success.
 * => flags: UVM_MAPFLAG(prot, maxprot, inheritance, advice, UVM_FLAG_*);
 *    UVM_FLAG_COPYONW makes a copy-on-write mapping (needs-copy, unless
 *    UVM_FLAG_OVERLAY gives it an amap at once).
 * => returns 0 and the start in *startp; EINVAL for a bad size or
 *    range, EACCES if prot exceeds maxprot, ENOMEM if there is no room
 *    or no memory (the map is then unchanged and the reference to uobj
 *    is still the caller's).
 */
int
uvm_map(struct vm_map *map, vaddr_t *startp, vsize_t size,
    struct uvm_object *uobj, voff_t uoffset, vsize_t align, int flags)
{
	struct uvm_mapent_reservation umr;
	struct vm_map_entry *prev, *entry, *dead = NULL;
	struct vm_amap *amap = NULL;
	vm_prot_t prot = UVM_PROTECTION(flags);
	vm_prot_t maxprot = UVM_MAXPROTECTION(flags);
	vaddr_t start = *startp;
	int etype, error;

	if (size == 0 || (size & PAGE_MASK) || (start & PAGE_MASK))
		return EINVAL;
	if ((prot & maxprot) != prot)
		return EACCES;
	if (UVM_INHERIT(flags) > MAP_INHERIT_ZERO ||
	    UVM_ADVICE(flags) > UVM_ADV_SEQUENTIAL)
		return EINVAL;

	etype = uobj != NULL ? UVM_ET_OBJ : 0;
	if (flags & UVM_FLAG_COPYONW) {
		etype |= UVM_ET_COPYONWRITE;
		if ((flags & UVM_FLAG_OVERLAY) == 0)
			etype |= UVM_ET_NEEDSCOPY;
	}
	/* one new entry, and two for clipping what FIXED|UNMAP replaces */
	error = uvm_mapent_reserve(&umr, 3);
	if (error)
		return error;
	if (flags & UVM_FLAG_OVERLAY) {
		amap = amap_alloc(size, 0);
		if (amap == NULL) {
			uvm_mapent_unreserve(&umr);
			return ENOMEM;
		}
	}

	vm_map_lock(map);
	if (flags & UVM_FLAG_FIXED) {
		if (start < vm_map_min(map) || start > vm_map_max(map) ||
		    size > vm_map_max(map) - start) {
			error = EINVAL;
			goto fail;
		}
		if (flags & UVM_FLAG_UNMAP)
			uvm_unmap_remove_reserved(map, start, start + size,
			    &dead, &umr);
		if (uvm_map_lookup_entry(map, start, &prev) ||
		    (prev->next != &map->header &&
			prev->next->start < start + size)) {
			error = ENOMEM;
			goto fail;
		}
	} else {
		error = uvm_map_findspace(map, start, size, align, &start);
		if (error)
			goto fail;
		uvm_map_lookup_entry(map, start, &prev);
	}
	if (uobj != NULL && uoffset == UVM_UNKNOWN_OFFSET)
		uoffset = (voff_t)(start - vm_map_min(map));

	if (prev != &map->header &&
	    uvm_map_mergeable(prev, start, uobj, uoffset, etype, flags) &&
	    (prev->aref.ar_amap == NULL ||
		amap_extend(prev, size, AMAP_EXTEND_FORWARDS))) {
		prev->end += size;
		map->size += size;
		/* prev holds a reference to uobj already */
		if (uobj != NULL && uobj->pgops->pgo_detach != NULL)
			uobj->pgops->pgo_detach(uobj);
		map->hint = prev;
		uvmexp.map_merges++;
	} else {
		entry = uvm_mapent_take(&umr);
		entry->start = start;
		entry->end = start + size;
		entry->object.uvm_obj = uobj;
		entry->offset = uobj != NULL ? uoffset : 0;
		entry->etype = etype;
		entry->protection = prot;
		entry->max_protection = maxprot;
		entry->inheritance = UVM_INHERIT(flags);
		entry->advice = UVM_ADVICE(flags);
		entry->aref.ar_amap = amap;
		if (flags & UVM_FLAG_NOMERGE)
			entry->flags |= UVM_MAP_NOMERGE;
		uvm_map_entry_link(map, prev, entry);
		map->hint = entry;
	}
	vm_map_unlock(map);
	uvm_mapent_unreserve(&umr);
	if (dead != NULL)
		uvm_unmap_detach(dead);
	*startp = start;
	return 0;

fail:
	vm_map_unlock(map);
	uvm_mapent_unreserve(&umr);
	if (dead != NULL)
		uvm_unmap_detach(dead);
	if (amap != NULL)
		amap_unref(amap, 0, (int)atop(size), true);
	return error;
}

/*
 * uvm_unmap_remove_reserved: take [start, end) out of map.
 *
 * => the entries that straddle start and end are clipped (with entries
 *    from umr); the ones inside are unwired, unmapped from the pmap and
 *    unlinked, and put on *dead for uvm_unmap_detach, which must be
 *    called once the map is unlocked.
 * => kernel object pages of the range are freed here.
 * => the map must be write-locked.
 */
void
uvm_unmap_remove_reserved(struct vm_map *map, vaddr_t start, vaddr_t end,
    struct vm_map_entry **dead, struct uvm_mapent_reservation *umr)
{
	struct vm_map_entry *entry, *next;

	KASSERT(vm_map_locked_p(map));
	if (start >= end)
		return;
	if (uvm_map_lookup_entry(map, start, &entry))
		uvm_map_clip_start(map, entry, start, umr);
	else
		entry = entry->next;
	for (; entry != &map->header && entry->start < end; entry = next) {
		uvm_map_clip_end(map, entry, end, umr);
		next = entry->next;
		if (entry->wired_count > 0) {
			entry->wired_count = 0;
			uvm_fault_unwire_locked(map, entry->start, entry->end);
		}
		pmap_remove(map->pmap, entry->start, entry->end);
		if (UVM_ET_ISOBJ(entry) &&
		    UVM_OBJ_IS_KERN_OBJECT(entry->object.uvm_obj)) {
			uvm_km_pgremove(entry->object.uvm_obj, entry->offset,
			    entry->offset +
				(voff_t)(entry->end - entry->start));
			/* the kernel object is not referenced per entry */
			entry->object.uvm_obj = NULL;
			entry->etype &= ~UVM_ET_OBJ;
		}
		uvm_map_entry_unlink(map, entry);
		entry->next = *dead;
		*dead = entry;
	}
	pmap_update(map->pmap);
}

/*
 * uvm_map_clip_need: how many new entries clipping [start, end) takes:
 * one for each end that falls strictly inside an entry.
 */
static int
uvm_map_clip_need(struct vm_map *map, vaddr_t start, vaddr_t end)
{
	struct vm_map_entry *e;
	int n = 0;

	if (uvm_map_lookup_entry(map, start, &e) && e->start < start)
		n++;
	if (end > start && uvm_map_lookup_entry(map, end - 1, &e) &&
	    e->end > end)
		n++;
	return n;
}

/*
 * uvm_unmap_remove: take [start, end) out of a write-locked map.
 *
 * => returns 0, or ENOMEM if the entries to clip could not be had (the
 *    map is then unchanged).
 */
int
uvm_unmap_remove(struct vm_map *map, vaddr_t start, vaddr_t end,
    struct vm_map_entry **dead)
{
	struct uvm_mapent_reservation umr;
	int error;

	error = uvm_mapent_reserve(&umr, uvm_map_clip_need(map, start, end));
	if (error)
		return error;
	uvm_unmap_remove_reserved(map, start, end, dead, &umr);
	uvm_mapent_unreserve(&umr);
	return 0;
}

/*
 * Entries removed from their maps whose references uvm_unmap_detach has
 * not dropped yet.  Detaching a file may write it back and sleep, and
 * meanwhile the rest of the chain still holds its amaps: the checker
 * counts them as holders.
 */
struct uvm_dead {
	struct vm_map_entry *ud_head; /* the entries still to detach */
	LIST_ENTRY(uvm_dead) ud_list;
};
static LIST_HEAD(, uvm_dead) uvm_deads = LIST_HEAD_INITIALIZER(uvm_deads);

/*
 * uvm_unmap_detach: drop what dead entries referenced and free them.
 *
 * => called without the map lock: dropping the last reference to an
 *    amap or object frees memory and, for a file, may write it back.
 */
void
uvm_unmap_detach(struct vm_map_entry *dead)
{
	struct uvm_dead ud = { NULL, { NULL, NULL } };
	struct vm_map_entry *next;

	LIST_INSERT_HEAD(&uvm_deads, &ud, ud_list);
	for (; dead != NULL; dead = next) {
		next = dead->next;
		/* while this one detaches (and may sleep), the rest still hold */
		ud.ud_head = next;
		if (dead->aref.ar_amap != NULL)
			amap_unref(dead->aref.ar_amap, dead->aref.ar_pageoff,
			    (int)atop(dead->end - dead->start), false);
		if (UVM_ET_ISOBJ(dead) &&
		    dead->object.uvm_obj->pgops->pgo_detach != NULL)
			dead->object.uvm_obj->pgops->pgo_detach(
			    dead->object.uvm_obj);
		uvm_mapent_free(dead);
	}
	LIST_REMOVE(&ud, ud_list);
}

/*
 * uvm_unmap: remove [start, end) from map.
 *
 * => returns 0, EINVAL for an unaligned or reversed range, or ENOMEM if
 *    an entry had to be split and memory for it could not be had (the
 *    map is then unchanged).
 */
int
uvm_unmap(struct vm_map *map, vaddr_t start, vaddr_t end)
{
	struct vm_map_entry *dead = NULL;
	int error;

	if ((start & PAGE_MASK) || (end & PAGE_MASK) || end < start)
		return EINVAL;
	vm_map_lock(map);
	error = uvm_unmap_remove(map, start, end, &dead);
	vm_map_unlock(map);
	uvm_unmap_detach(dead);
	return error;
}

/*
 * uvm_map_range: clip the entries of [start, end) so that the range is
 * made of whole entries, and return the first (or the header's next
 * entry past start if start is in a hole).
 *
 * => returns 0 or ENOMEM (nothing changed); the map must be write-locked.
 */
static int
uvm_map_range(struct vm_map *map, vaddr_t start, vaddr_t end,
    struct vm_map_entry **first)
{
	struct uvm_mapent_reservation umr;
	struct vm_map_entry *entry, *e;
	int error;

	if (start >= end) {
		*first = &map->header;
		return 0;
	}
	error = uvm_mapent_reserve(&umr, uvm_map_clip_need(map, start, end));
	if (error)
		return error;
	if (uvm_map_lookup_entry(map, start, &entry))
		uvm_map_clip_start(map, entry, start, &umr);
	else
		entry = entry->next;
	for (e = entry; e != &map->header && e->start < end; e = e->next)
		if (e->end > end)
			uvm_map_clip_end(map, e, end, &umr);
	uvm_mapent_unreserve(&umr);
	*first = entry;
	return 0;
}

/* the protection a pmap may give an entry's pages now */
static inline vm_prot_t
uvm_map_pmap_prot(const struct vm_map_entry *e)
{
	return UVM_ET_ISCOPYONWRITE(e) ? e->protection & ~VM_PROT_WRITE :
					 e->protection;
}

/*
 * uvm_map_protect: set the protection of [start, end) to prot, or with
 * set_max the maximum protection (lowering the current one to fit).
 *
 * => every entry is checked before any is changed: prot above an
 *    entry's maximum gives EACCES, a submap EINVAL, and nothing changes.
 * => holes in the range are skipped.
 * => lowered protections reach the pmap at once; raised ones take
 *    effect at the next fault.
 * => returns 0, EINVAL, EACCES or ENOMEM.
 */
int
uvm_map_protect(struct vm_map *map, vaddr_t start, vaddr_t end, vm_prot_t prot,
    bool set_max)
{
	struct vm_map_entry *entry, *e;
	vm_prot_t old;
	int error;

	if ((start & PAGE_MASK) || (end & PAGE_MASK) || end < start ||
	    (prot & ~VM_PROT_ALL))
		return EINVAL;
	vm_map_lock(map);
	if (!uvm_map_lookup_entry(map, start, &entry))
		entry = entry->next;
	for (e = entry; e != &map->header && e->start < end; e = e->next) {
		if (UVM_ET_ISSUBMAP(e)) {
			error = EINVAL;
			goto out;
		}
		if ((prot & e->max_protection) != prot) {
			error = EACCES;
			goto out;
		}
	}
	error = uvm_map_range(map, start, end, &entry);
	if (error)
		goto out;
	for (e = entry; e != &map->header && e->start < end; e = e->next) {
		old = e->protection;
		if (set_max) {
			e->max_protection = prot;
			e->protection &= prot;
		} else
			e->protection = prot;
		if ((e->protection & old) != old)
			pmap_protect(map->pmap, e->start, e->end,
			    uvm_map_pmap_prot(e));
	}
	pmap_update(map->pmap);
out:
	vm_map_unlock(map);
	return error;
}

/*
 * uvm_map_set_field: set one int field of every entry of [start, end),
 * the field at byte offset `field' of struct vm_map_entry.
 *
 * => returns 0, EINVAL for a bad range, or ENOMEM (nothing changed).
 */
static int
uvm_map_set_field(struct vm_map *map, vaddr_t start, vaddr_t end, size_t field,
    int value)
{
	struct vm_map_entry *entry;
	int error;

	if ((start & PAGE_MASK) || (end & PAGE_MASK) || end < start)
		return EINVAL;
	vm_map_lock(map);
	error = uvm_map_range(map, start, end, &entry);
	for (; error == 0 && entry != &map->header && entry->start < end;
	     entry = entry->next)
		*(int *)((char *)entry + field) = value;
	vm_map_unlock(map);
	return error;
}

/*
 * uvm_map_inherit: set the inheritance of [start, end).
 *
 * => returns 0, EINVAL for an unknown inheritance or a bad range, or
 *    ENOMEM (nothing changed).
 */
int
uvm_map_inherit(struct vm_map *map, vaddr_t start, vaddr_t end,
    vm_inherit_t inh)
{
	if (inh < MAP_INHERIT_SHARE || inh > MAP_INHERIT_ZERO)
		return EINVAL;
	return uvm_map_set_field(map, start, end,
	    offsetof(struct vm_map_entry, inheritance), inh);
}

/*
 * uvm_map_advice: set the expected access pattern of [start, end).
 *
 * => returns 0, EINVAL for unknown advice or a bad range, or ENOMEM.
 */
int
uvm_map_advice(struct vm_map *map, vaddr_t start, vaddr_t end, int advice)
{
	if (advice < UVM_ADV_NORMAL || advice > UVM_ADV_SEQUENTIAL)
		return EINVAL;
	return uvm_map_set_field(map, start, end,
	    offsetof(struct vm_map_entry, advice), advice);
}

/*
 * uvm_map_clean_amap: the amap part of uvm_map_clean for one entry's
 * [start, end).
 */
static void
uvm_map_clean_amap(struct vm_map *map, struct vm_map_entry *entry,
    vaddr_t start, vaddr_t end, int flags)
{
	struct vm_anon *anon;
	struct vm_page *pg;
	vaddr_t va;

	for (va = start; va < end; va += PAGE_SIZE) {
		anon = amap_lookup(&entry->aref, va - entry->start);
		if (anon == NULL)
			continue;
		pg = anon->an_page;
		if (pg != NULL && ((pg->flags & PG_BUSY) || pg->wire_count > 0))
			continue;
		/* another map shares the amap: only deactivate (as NetBSD) */
		if ((flags & PGO_DEACTIVATE) ||
		    entry->aref.ar_amap->am_ref > 1) {
			if (pg != NULL) {
				pmap_page_protect(pg, VM_PROT_NONE);
				uvm_pagedeactivate(pg);
			}
			continue;
		}
		/* free: this amap lets go; the last one frees the anon */
		pmap_remove(vm_map_pmap(map), va, va + PAGE_SIZE);
		amap_unadd(&entry->aref, va - entry->start);
		if (--anon->an_ref == 0)
			uvm_anfree(anon);
	}
}

/*
 * uvm_map_clean: what madvise(MADV_DONTNEED) and madvise(MADV_FREE) do
 * to the pages of [start, end).
 *
 * => PGO_DEACTIVATE: the resident pages, anonymous and object ones, lose
 *    their mappings and go to the inactive queue, first in line to be
 *    paged out.
 * => PGO_FREE: the anonymous pages of the range leave its amap (an anon
 *    no other amap holds is freed, with its swap copy); the next touch
 *    finds zeros (or the object's data again, for a private file
 *    mapping).  An amap another map shares is only deactivated, as on
 *    NetBSD; object pages are left alone.
 * => wired, busy and loaned pages are passed by; wired entries are left
 *    alone entirely by PGO_FREE.
 * => returns 0; EINVAL for a bad range; EFAULT if part of it is not
 *    mapped (nothing was done).
 */
int
uvm_map_clean(struct vm_map *map, vaddr_t start, vaddr_t end, int flags)
{
	struct vm_map_entry *entry, *e;
	struct uvm_object *uobj;
	vaddr_t s, t;

	if ((start & PAGE_MASK) || (end & PAGE_MASK) || end < start ||
	    (flags & (PGO_DEACTIVATE | PGO_FREE)) == 0)
		return EINVAL;
	vm_map_lock(map);
	if (!uvm_map_checkprot(map, start, end, VM_PROT_NONE)) {
		vm_map_unlock(map);
		return EFAULT;
	}
	(void)uvm_map_lookup_entry(map, start, &entry);
	for (e = entry; e != &map->header && e->start < end; e = e->next) {
		s = MAX(start, e->start);
		t = MIN(end, e->end);
		if (UVM_ET_ISSUBMAP(e) ||
		    ((flags & PGO_FREE) && e->wired_count > 0))
			continue;
		if (e->aref.ar_amap != NULL)
			uvm_map_clean_amap(map, e, s, t, flags);
		uobj = e->object.uvm_obj;
		if ((flags & PGO_DEACTIVATE) && uobj != NULL &&
		    e->wired_count == 0 && uobj->pgops->pgo_put != NULL) {
			pmap_remove(map->pmap, s, t);
			uobj->pgops->pgo_put(uobj,
			    e->offset + (voff_t)(s - e->start),
			    e->offset + (voff_t)(t - e->start), PGO_DEACTIVATE);
		}
	}
	pmap_update(map->pmap);
	vm_map_unlock(map);
	return 0;
}

/*
 * uvm_map_checkprot: is all of [start, end) mapped, with at least
 * protection prot everywhere?
 *
 * => the map must be locked (read or write).
 */
bool
uvm_map_checkprot(struct vm_map *map, vaddr_t start, vaddr_t end,
    vm_prot_t prot)
{
	struct vm_map_entry *entry;

	if (start >= end)
		return start == end;
	if (!uvm_map_lookup_entry(map, start, &entry))
		return false;
	for (;;) {
		if ((entry->protection & prot) != prot)
			return false;
		if (entry->end >= end)
			return true;
		if (entry->next == &map->header ||
		    entry->next->start != entry->end)
			return false;
		entry = entry->next;
	}
}

/*
 * uvm_map_pageable_unwire: unwire every entry from entry up to end,
 * however many times it was wired (POSIX: one munlock undoes any number
 * of mlocks).
 */
static void
uvm_map_pageable_unwire(struct vm_map *map, struct vm_map_entry *entry,
    vaddr_t end)
{
	for (; entry != &map->header && entry->start < end;
	     entry = entry->next) {
		KASSERT(entry->wired_count > 0);
		entry->wired_count = 0;
		uvm_fault_unwire_locked(map, entry->start, entry->end);
	}
}

/*
 * uvm_map_pageable: wire (new_pageable false) or unwire [start, end).
 *
 * Wiring:
 * 1. check the range is all mapped and none of it is VM_PROT_NONE;
 * 2. clip, resolve needs-copy of writable or anonymous entries (so the
 *    wired pages are the entry's own), count one wiring per entry;
 * 3. fault in and wire the pages of entries wired for the first time.
 *    If a fault fails, every wiring this call made is undone.
 *
 * Wirings nest (each wiring counts one per entry), but unwiring undoes
 * them all at once, as a single munlock does on NetBSD.  Every entry of
 * an unwired range must be wired.
 *
 * => returns 0; EFAULT if part of the range is not mapped; EINVAL for a
 *    VM_PROT_NONE entry (to wire) or one not wired (to unwire), as
 *    NetBSD's; ENOMEM; or the error of the fault that failed.  On error
 *    nothing changed.
 * => departs from NetBSD for a hole after the start of the range:
 *    NetBSD says EFAULT only when the start is not mapped and EINVAL
 *    for a later hole; here any hole is EFAULT, which the system calls
 *    make ENOMEM ("not all mapped", as POSIX and NetBSD's mlock(2) page
 *    say).
 */
int
uvm_map_pageable(struct vm_map *map, vaddr_t start, vaddr_t end,
    bool new_pageable)
{
	struct vm_map_entry *entry, *e;
	struct uvm_map_wiring *mw;
	struct kcleanup kc;
	int error;

	if ((start & PAGE_MASK) || (end & PAGE_MASK) || end < start)
		return EINVAL;
	if (start == end)
		return 0;
	vm_map_lock(map);
	if (!uvm_map_lookup_entry(map, start, &entry)) {
		error = EFAULT;
		goto out;
	}
	for (e = entry; e->end < end; e = e->next) {
		if (e->next == &map->header || e->next->start != e->end) {
			error = EFAULT;
			goto out;
		}
	}
	for (e = entry; e != &map->header && e->start < end; e = e->next) {
		if (new_pageable && e->wired_count == 0) {
			error = EINVAL;
			goto out;
		}
		if (!new_pageable && e->protection == VM_PROT_NONE) {
			error = EINVAL;
			goto out;
		}
	}
	error = uvm_map_range(map, start, end, &entry);
	if (error)
		goto out;

	if (new_pageable) {
		uvm_map_pageable_unwire(map, entry, end);
		goto out;
	}

	for (e = entry; e != &map->header && e->start < end; e = e->next) {
		if (e->wired_count == 0 && UVM_ET_ISNEEDSCOPY(e) &&
		    ((e->protection & VM_PROT_WRITE) ||
			e->object.uvm_obj == NULL)) {
			amap_copy(map, e, AMAP_COPY_NOMERGE, start, end);
			if (UVM_ET_ISNEEDSCOPY(e)) {
				uvm_map_pageable_uncount(map, entry, e);
				error = ENOMEM;
				goto out;
			}
		}
		e->wired_count++;
	}

	/*
	 * fault the pages in holding the map read-locked and busy, so no
	 * writer can change it while the faults run.  A fault may wait for
	 * memory for good: shutdown then undoes this call (kcleanup).
	 */
	vm_map_busy(map);
	vm_map_downgrade(map);
	mw = kcleanup_push_state(&kc, uvm_map_pageable_stop,
	    &(struct uvm_map_wiring){ map, entry, entry, end }, sizeof(*mw));
	for (; mw->mw_at != &map->header && mw->mw_at->start < end;
	     mw->mw_at = mw->mw_at->next) {
		e = mw->mw_at;
		if (e->wired_count != 1)
			continue;
		/* counted only once wired, so a failure unwires the pmap too */
		e->wired_count = 0;
		error = uvm_fault_wire(map, e->start, e->end, VM_FAULT_WIRE,
		    e->protection);
		e->wired_count = 1;
		if (error)
			break;
	}
	if (error == 0) {
		vm_map_unbusy(map);
		vm_map_unlock_read(map);
	} else
		uvm_map_pageable_stop(mw); /* uvm_fault_wire undid its entry */
	kcleanup_pop(&kc);
	return error;
out:
	vm_map_unlock(map);
	return error;
}

/*
 * uvm_map_pageable_stop: a wiring by uvm_map_pageable stopped at entry
 * mw_at, its fault failed or never to return (shutdown): undo the call,
 * end the map's busy time and unlock it.
 *
 * => the map is read-locked and busy; mw_at's own pages are not wired
 *    (uvm_fault_wire unwound them), and while its fault ran its count
 *    was 0.
 */
static void
uvm_map_pageable_stop(void *arg)
{
	struct uvm_map_wiring *mw = arg;
	struct vm_map *map = mw->mw_map;

	if (mw->mw_at != &map->header && mw->mw_at->wired_count == 0)
		mw->mw_at->wired_count = 1;
	vm_map_upgrade(map);
	vm_map_unbusy(map);
	uvm_map_pageable_undo(map, mw->mw_first, mw->mw_at, mw->mw_end);
	vm_map_unlock(map);
}

/* undo the wiring counts of [entry, stop): pages were not touched yet */
static void
uvm_map_pageable_uncount(struct vm_map *map, struct vm_map_entry *entry,
    struct vm_map_entry *stop)
{
	for (; entry != stop; entry = entry->next) {
		KASSERT(entry != &map->header && entry->wired_count > 0);
		entry->wired_count--;
	}
}

/*
 * uvm_map_pageable_undo: a wiring failed at entry `failed'.  Drop the
 * count of every entry of [entry, end) and unwire the pages of those
 * before `failed' that this call wired.
 */
static void
uvm_map_pageable_undo(struct vm_map *map, struct vm_map_entry *entry,
    struct vm_map_entry *failed, vaddr_t end)
{
	bool before = true;

	for (; entry != &map->header && entry->start < end;
	     entry = entry->next) {
		if (entry == failed)
			before = false;
		KASSERT(entry->wired_count > 0);
		if (--entry->wired_count == 0 && before)
			uvm_fault_unwire_locked(map, entry->start, entry->end);
	}
}

/*
 * uvm_map_entry_maps: what entry e maps, in words, for reports (pmap -l,
 * uvmsim's procmap): "anon", "file NAME", "aobj", "device" or "object",
 * then "+amap(N refs,shared)" if it has an amap and " needs-copy".
 *
 * => no pointers: the words are the same from run to run.
 */
void
uvm_map_entry_maps(const struct vm_map_entry *e, char *buf, size_t len)
{
	struct uvm_object *uobj = e->object.uvm_obj;
	size_t n = 0;

	if (uobj == NULL)
		n = (size_t)snprintf(buf, len, "anon");
	else if (UVM_OBJ_IS_VNODE(uobj))
		n = (size_t)snprintf(buf, len, "file %s",
		    ((struct uvm_vnode *)uobj)->u_name);
	else if (UVM_OBJ_IS_AOBJ(uobj))
		n = (size_t)snprintf(buf, len, "aobj");
	else if (uobj->pgops == &uvm_deviceops)
		n = (size_t)snprintf(buf, len, "device");
	else
		n = (size_t)snprintf(buf, len, "object");
	if (n < len && e->aref.ar_amap != NULL)
		snprintf(buf + n, len - n, "+amap(%d ref%s%s)",
		    e->aref.ar_amap->am_ref,
		    e->aref.ar_amap->am_ref == 1 ? "" : "s",
		    (e->aref.ar_amap->am_flags & AMAP_SHARED) ? ",shared" : "");
	if (n < len && UVM_ET_ISNEEDSCOPY(e))
		strncat(buf, " needs-copy", len - strlen(buf) - 1);
}

/*
 * uvm_map_check: check one map's structure.
 *
 * => the list is sorted, its entries do not overlap and lie in the map's
 *    range; the tree holds exactly them; the entry count, the size and
 *    the hint are right; each entry's fields are sane (start < end,
 *    protection within the maximum, aref within its amap).
 * => returns the number of inconsistencies found.
 */
int
uvm_map_check(struct vm_map *map, struct kcheck *kc)
{
	unsigned int before = kc->kc_nerr;
	struct vm_map_entry *e, *prev = &map->header;
	vsize_t size = 0;
	int n = 0;
	bool hint_ok = map->hint == &map->header;

	for (e = map->header.next; e != &map->header; e = e->next) {
		if (++n > map->nentries + 1) {
			kcheck_fail(kc, "map %p: list longer than %d entries",
			    (void *)map, map->nentries);
			break;
		}
		if (e->prev != prev)
			kcheck_fail(kc, "map %p: entry 0x%llx has a bad prev",
			    (void *)map, (unsigned long long)e->start);
		if (e->start >= e->end || (e->start & PAGE_MASK) ||
		    (e->end & PAGE_MASK))
			kcheck_fail(kc, "map %p: bad entry [0x%llx, 0x%llx)",
			    (void *)map, (unsigned long long)e->start,
			    (unsigned long long)e->end);
		if (e->start < vm_map_min(map) || e->end > vm_map_max(map))
			kcheck_fail(kc, "map %p: entry 0x%llx outside the map",
			    (void *)map, (unsigned long long)e->start);
		if (prev != &map->header && prev->end > e->start)
			kcheck_fail(kc,
			    "map %p: entries 0x%llx and 0x%llx "
			    "overlap or are out of order",
			    (void *)map, (unsigned long long)prev->start,
			    (unsigned long long)e->start);
		if (rb_tree_find_node(&map->rb_tree, &e->start) != e)
			kcheck_fail(kc, "map %p: entry 0x%llx not in the tree",
			    (void *)map, (unsigned long long)e->start);
		if ((e->protection & e->max_protection) != e->protection)
			kcheck_fail(kc,
			    "map %p: entry 0x%llx protection 0x%x "
			    "above its maximum 0x%x",
			    (void *)map, (unsigned long long)e->start,
			    e->protection, e->max_protection);
		if (e->wired_count < 0)
			kcheck_fail(kc, "map %p: entry 0x%llx wired %d times",
			    (void *)map, (unsigned long long)e->start,
			    e->wired_count);
		if (UVM_ET_ISOBJ(e) != (e->object.uvm_obj != NULL))
			kcheck_fail(kc,
			    "map %p: entry 0x%llx object flag "
			    "disagrees with its object",
			    (void *)map, (unsigned long long)e->start);
		if (e->aref.ar_amap != NULL &&
		    (e->aref.ar_pageoff < 0 ||
			e->aref.ar_pageoff + (int)atop(e->end - e->start) >
			    e->aref.ar_amap->am_nslot))
			kcheck_fail(kc,
			    "map %p: entry 0x%llx runs past its "
			    "amap",
			    (void *)map, (unsigned long long)e->start);
		if (e == map->hint)
			hint_ok = true;
		size += e->end - e->start;
		prev = e;
	}
	if (map->header.prev != prev)
		kcheck_fail(kc, "map %p: header.prev is not the last entry",
		    (void *)map);
	if (n != map->nentries || rb_tree_count(&map->rb_tree) != (size_t)n)
		kcheck_fail(kc,
		    "map %p: %d entries listed, %d counted, %zu "
		    "in the tree",
		    (void *)map, n, map->nentries,
		    rb_tree_count(&map->rb_tree));
	if (size != map->size)
		kcheck_fail(kc, "map %p: size %llu, entries add up to %llu",
		    (void *)map, (unsigned long long)map->size,
		    (unsigned long long)size);
	if (!hint_ok)
		kcheck_fail(kc, "map %p: the hint is not an entry",
		    (void *)map);
	rb_tree_check(&map->rb_tree, kc);
	return (int)(kc->kc_nerr - before);
}

/*
 * uvm_map_check_all: check every map, then every amap's references
 * against the entries that hold them (those being detached included).
 */
int
uvm_map_check_all(struct kcheck *kc)
{
	unsigned int before = kc->kc_nerr;
	struct vm_map_entry *e;
	struct vm_map *map;
	struct uvm_dead *ud;

	amap_check_begin();
	LIST_FOREACH (map, &uvm_maps, map_list) {
		uvm_map_check(map, kc);
		for (e = map->header.next; e != &map->header; e = e->next)
			if (e->aref.ar_amap != NULL)
				amap_check_holder(&e->aref,
				    (int)atop(e->end - e->start));
	}
	LIST_FOREACH (ud, &uvm_deads, ud_list)
		for (e = ud->ud_head; e != NULL; e = e->next)
			if (e->aref.ar_amap != NULL)
				amap_check_holder(&e->aref,
				    (int)atop(e->end - e->start));
	amap_check(kc);
	return (int)(kc->kc_nerr - before);
}

/*
 * address spaces
 */

/*
 * uvmspace_init: set up a vmspace of [min, max) on pmap (a new one if
 * NULL).
 */
void
uvmspace_init(struct vmspace *vm, struct pmap *pmap, vaddr_t min, vaddr_t max)
{
	memset(vm, 0, sizeof(*vm));
	uvm_map_setup(&vm->vm_map, min, max, VM_MAP_PAGEABLE);
	vm->vm_map.pmap = pmap != NULL ? pmap : pmap_create();
	vm->vm_refcnt = 1;
}

/*
 * uvmspace_alloc: a new, empty address space of [min, max).
 *
 * => returns NULL when the vmspace failpoint says so: the simulated
 *    counterpart of NetBSD's pool allocation failing (its PR_WAITOK pool
 *    waits instead; callers here must handle NULL -- fork and exec fail
 *    with ENOMEM).  The host running out of memory panics (hostmem.h).
 */
struct vmspace *
uvmspace_alloc(vaddr_t min, vaddr_t max)
{
	struct vmspace *vm;

	if (failpoint_hit(FP_VMSPACE))
		return NULL;
	vm = pool_get(&uvm_vmspace_pool, 0);
	uvmspace_init(vm, NULL, min, max);
	uvmexp.nvmspace++;
	return vm;
}

void
uvmspace_addref(struct vmspace *vm)
{
	KASSERT(vm->vm_refcnt > 0);
	vm->vm_refcnt++;
}

/*
 * uvmspace_free: drop a reference; the last one unmaps everything and
 * frees the address space and its pmap.
 */
void
uvmspace_free(struct vmspace *vm)
{
	struct vm_map *map = &vm->vm_map;
	struct vm_map_entry *dead = NULL;
	struct uvm_mapent_reservation umr = { .umr_nentries = 0 };

	KASSERT(vm->vm_refcnt > 0);
	if (--vm->vm_refcnt > 0)
		return;
	map->flags |= VM_MAP_DYING;
	vm_map_lock(map);
	/* the whole map: nothing is clipped, so no reservation is needed */
	uvm_unmap_remove_reserved(map, vm_map_min(map), vm_map_max(map), &dead,
	    &umr);
	vm_map_unlock(map);
	uvm_unmap_detach(dead);
	uvm_map_teardown(map);
	pmap_destroy(map->pmap);
	pool_put(&uvm_vmspace_pool, vm);
	uvmexp.nvmspace--;
}

/*
 * uvm_map_entry_protect_anons: write-protect, in every map, the
 * resident pages of the anons of entry's amap.
 */
static void
uvm_map_entry_protect_anons(struct vm_map_entry *entry)
{
	struct vm_anon *anon;
	vaddr_t off;

	for (off = 0; off < entry->end - entry->start; off += PAGE_SIZE) {
		anon = amap_lookup(&entry->aref, off);
		if (anon != NULL && anon->an_page != NULL)
			pmap_page_protect(anon->an_page, VM_PROT_READ);
	}
}

/*
 * uvmspace_fork_entry: give new_map the child's share of old_entry
 * (see the comment at the top of this file).
 *
 * => returns 0 or ENOMEM; on failure new_map holds what it had.
 */
static int
uvmspace_fork_entry(struct vm_map *old_map, struct vm_map_entry *old_entry,
    struct vm_map *new_map)
{
	struct vm_map_entry *new_entry;
	int npages = (int)atop(old_entry->end - old_entry->start);
	bool shared;

	KASSERT(!UVM_ET_ISSUBMAP(old_entry));
	if (old_entry->inheritance == MAP_INHERIT_NONE)
		return 0;

	if (old_entry->inheritance == MAP_INHERIT_SHARE &&
	    UVM_ET_ISNEEDSCOPY(old_entry)) {
		/* share a real amap, not the promise of one */
		amap_copy(old_map, old_entry, AMAP_COPY_NOMERGE, 0, 0);
		if (UVM_ET_ISNEEDSCOPY(old_entry))
			return ENOMEM;
	}
	new_entry = uvm_mapent_alloc();
	if (new_entry == NULL)
		return ENOMEM;
	*new_entry = *old_entry;
	memset(&new_entry->rb_node, 0, sizeof(new_entry->rb_node));
	new_entry->wired_count = 0;

	switch (old_entry->inheritance) {
	case MAP_INHERIT_ZERO:
		new_entry->object.uvm_obj = NULL;
		new_entry->offset = 0;
		new_entry->etype = UVM_ET_COPYONWRITE | UVM_ET_NEEDSCOPY;
		new_entry->aref.ar_amap = NULL;
		new_entry->aref.ar_pageoff = 0;
		uvm_map_entry_link(new_map, new_map->header.prev, new_entry);
		return 0;

	case MAP_INHERIT_SHARE:
		if (new_entry->aref.ar_amap != NULL)
			amap_ref(new_entry->aref.ar_amap,
			    new_entry->aref.ar_pageoff, npages, AMAP_SHARED);
		uvm_map_entry_reference(new_entry);
		uvm_map_entry_link(new_map, new_map->header.prev, new_entry);
		return 0;

	case MAP_INHERIT_COPY:
		break;
	default:
		panic("%s: inheritance %d", __func__, old_entry->inheritance);
	}

	if (new_entry->aref.ar_amap != NULL)
		amap_ref(new_entry->aref.ar_amap, new_entry->aref.ar_pageoff,
		    npages, 0);
	uvm_map_entry_reference(new_entry);
	new_entry->etype |= UVM_ET_COPYONWRITE | UVM_ET_NEEDSCOPY;
	uvm_map_entry_link(new_map, new_map->header.prev, new_entry);
	if (old_entry->aref.ar_amap == NULL)
		return 0;

	shared = (old_entry->aref.ar_amap->am_flags & AMAP_SHARED) != 0;
	if (shared || old_entry->wired_count > 0) {
		/* the child gets its own amap now */
		amap_copy(new_map, new_entry, AMAP_COPY_NOMERGE, 0, 0);
		if (UVM_ET_ISNEEDSCOPY(new_entry))
			return ENOMEM;
	}
	if (old_entry->wired_count > 0) {
		/* copy the shared pages now: wired pages stay writable */
		amap_cow_now(new_map, new_entry);
		return 0;
	}
	if (shared) {
		/*
		 * the parent keeps sharing its amap with the other maps
		 * that share it, so it must not become needs-copy; but the
		 * pages now also in the child's amap must fault on the next
		 * write by any sharer, which then copies (case 1B).
		 */
		uvm_map_entry_protect_anons(new_entry);
		return 0;
	}
	if (old_entry->max_protection & VM_PROT_WRITE)
		pmap_protect(old_map->pmap, old_entry->start, old_entry->end,
		    old_entry->protection & ~VM_PROT_WRITE);
	old_entry->etype |= UVM_ET_COPYONWRITE | UVM_ET_NEEDSCOPY;
	return 0;
}

/*
 * uvmspace_fork: the address space of a child, made from its parent's
 * by each entry's inheritance.
 *
 * => returns the new vmspace, or NULL if memory ran out (no vmspace, or
 *    an entry could not be copied; the parent is still correct: at
 *    worst some of its entries became needs-copy, which costs it a fault
 *    later and no data).
 */
struct vmspace *
uvmspace_fork(struct vmspace *vm1)
{
	struct vm_map *old_map = &vm1->vm_map;
	struct vm_map_entry *old_entry;
	struct vmspace *vm2;
	int error = 0;

	vm2 = uvmspace_alloc(vm_map_min(old_map), vm_map_max(old_map));
	if (vm2 == NULL)
		return NULL;
	vm2->vm_tsize = vm1->vm_tsize;
	vm2->vm_dsize = vm1->vm_dsize;
	vm2->vm_ssize = vm1->vm_ssize;
	vm2->vm_taddr = vm1->vm_taddr;
	vm2->vm_daddr = vm1->vm_daddr;
	vm2->vm_maxsaddr = vm1->vm_maxsaddr;
	vm2->vm_minsaddr = vm1->vm_minsaddr;

	vm_map_lock(old_map);
	vm_map_lock(&vm2->vm_map);
	for (old_entry = old_map->header.next;
	     error == 0 && old_entry != &old_map->header;
	     old_entry = old_entry->next)
		error = uvmspace_fork_entry(old_map, old_entry, &vm2->vm_map);
	pmap_update(old_map->pmap);
	vm_map_unlock(&vm2->vm_map);
	vm_map_unlock(old_map);
	if (error) {
		uvmspace_free(vm2);
		return NULL;
	}
	return vm2;
}

/*
 * uvm_map_of_pmap: the map whose pmap pm is, or NULL.
 *
 * => a walk of every map: for the rare callers that start from a page's
 *    mappings (the pmap knows no maps).
 */
struct vm_map *
uvm_map_of_pmap(struct pmap *pm)
{
	struct vm_map *map;

	LIST_FOREACH (map, &uvm_maps, map_list)
		if (map->pmap == pm)
			return map;
	return NULL;
}

/*
 * uvmspace_share: p2 gets p1's address space itself (a kernel thread, or
 * a vfork child): one more reference, nothing copied.
 */
void
uvmspace_share(struct proc *p1, struct proc *p2)
{
	uvmspace_addref(p1->p_vmspace);
	p2->p_vmspace = p1->p_vmspace;
}
