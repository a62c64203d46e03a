/*
 * vmview.c: an address space page by page (vmview.h), and the numbering
 * of what a walk finds.
 *
 * It reads the VM system through uvm_extern.h only (an anon's
 * references, page and swap slot, an anonymous object's swap slots and a
 * file's name have accessors there for it) and changes nothing.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "machine/hostmem.h"
#include "sim/vmview.h"
#include "uvm/uvm_extern.h"

/* what one walk allocates once and reuses for every entry */
struct vmview_scratch {
	struct vmview_page *vs_pages;
	struct vm_anon **vs_anons;
	int vs_cap; /* pages both have room for */
	char vs_maps[96];
};

static enum vmview_objkind
vmview_objkind(struct uvm_object *uobj)
{
	if (uobj == NULL)
		return VMVIEW_OBJ_NONE;
	if (UVM_OBJ_IS_VNODE(uobj))
		return VMVIEW_OBJ_FILE;
	if (UVM_OBJ_IS_AOBJ(uobj))
		return VMVIEW_OBJ_AOBJ;
	if (UVM_OBJ_IS_DEVICE(uobj))
		return VMVIEW_OBJ_DEVICE;
	return VMVIEW_OBJ_OTHER;
}

/*
 * vmview_frame: what the pmap says of frame pg, which holds vp's data:
 * its referenced and modified bits, how many mappings it has, and
 * whether pm's mapping of vp_va (if that is one of them) is wired.
 */
static void
vmview_frame(struct vmview_page *vp, struct vm_page *pg, struct pmap *pm)
{
	struct pmap_mapping few[8], *m = few;
	int n, i;

	vp->vp_pfn = (long)atop(VM_PAGE_TO_PHYS(pg));
	vp->vp_busy = (pg->flags & PG_BUSY) != 0;
	vp->vp_referenced = pmap_is_referenced(pg);
	vp->vp_modified = pmap_is_modified(pg);
	n = pmap_page_mappings(pg, few, (int)__arraycount(few));
	if (n > (int)__arraycount(few)) {
		m = hostmem_zalloc((size_t)n, sizeof(*m));
		(void)pmap_page_mappings(pg, m, n);
	}
	vp->vp_nmaps = n;
	for (i = 0; i < n; i++)
		if (m[i].pm_pmap == pm && m[i].pm_va == vp->vp_va) {
			vp->vp_wired = m[i].pm_wired;
			vp->vp_used = m[i].pm_referenced;
		}
	if (m != few)
		free(m);
}

/*
 * vmview_page: describe the page at va of entry e, whose amap slot holds
 * anon (or NULL), into vp.
 */
static void
vmview_page(struct vmview_page *vp, struct vm_map_entry *e,
    struct uvm_object *uobj, struct vm_anon *anon, vaddr_t va, struct pmap *pm)
{
	struct vm_page *pg = NULL;
	paddr_t pa;
	int slot = 0;

	memset(vp, 0, sizeof(*vp));
	vp->vp_va = va;
	vp->vp_pfn = vp->vp_mapped_pfn = vp->vp_swslot = -1;
	if (uobj != NULL) {
		vp->vp_object = uobj;
		vp->vp_objoff = e->offset + (voff_t)(va - e->start);
	}
	if (anon != NULL) {
		vp->vp_data = VMVIEW_DATA_ANON;
		vp->vp_anon = anon;
		vp->vp_anon_refs = uvm_anon_refs(anon);
		pg = uvm_anon_page(anon);
		slot = uvm_anon_swslot(anon);
	} else if (uobj != NULL) {
		pg = uvm_pagelookup(uobj, vp->vp_objoff);
		if (UVM_OBJ_IS_AOBJ(uobj))
			slot = uao_find_swslot(uobj, vp->vp_objoff);
		/* an anonymous object's page never touched is nowhere yet */
		vp->vp_data = pg == NULL && slot == 0 && UVM_OBJ_IS_AOBJ(uobj) ?
		    VMVIEW_DATA_NONE :
		    VMVIEW_DATA_OBJECT;
	}
	if (slot != 0)
		vp->vp_swslot = slot;
	if (pg != NULL)
		vmview_frame(vp, pg, pm);
	if (pmap_extract(pm, va, &pa))
		vp->vp_mapped_pfn = (long)atop(pa);
}

/* vmview_entry: describe e and its pages into ve, using vs's room */
static void
vmview_entry(struct vmview_entry *ve, struct vm_map_entry *e, struct pmap *pm,
    struct vmview_scratch *vs)
{
	struct uvm_object *uobj = UVM_ET_ISSUBMAP(e) ? NULL : e->object.uvm_obj;
	struct vm_amap *amap = e->aref.ar_amap;
	int n = (int)atop(e->end - e->start), i;
	/*
	 * with neither amap nor object nothing has been touched and nothing
	 * can be mapped: no page records (vmview.h)
	 */
	bool untouched = amap == NULL && uobj == NULL;

	memset(ve, 0, sizeof(*ve));
	if (!untouched && n > vs->vs_cap) {
		vs->vs_pages = hostmem_realloc(vs->vs_pages,
		    (size_t)n * sizeof(*vs->vs_pages));
		vs->vs_anons = hostmem_realloc(vs->vs_anons,
		    (size_t)n * sizeof(*vs->vs_anons));
		vs->vs_cap = n;
	}
	ve->ve_start = e->start;
	ve->ve_end = e->end;
	ve->ve_prot = e->protection;
	ve->ve_maxprot = e->max_protection;
	ve->ve_inherit = e->inheritance;
	ve->ve_wired = e->wired_count;
	ve->ve_advice = e->advice;
	uvm_map_entry_maps(e, vs->vs_maps, sizeof(vs->vs_maps));
	ve->ve_maps = vs->vs_maps;
	if (amap != NULL) {
		ve->ve_amap = amap;
		ve->ve_amap_refs = amap_refs(amap);
		ve->ve_amap_slot = e->aref.ar_pageoff;
		ve->ve_amap_shared = (amap_flags(amap) & AMAP_SHARED) != 0;
		amap_lookups(&e->aref, 0, vs->vs_anons, n);
	} else if (uobj != NULL)
		memset(vs->vs_anons, 0, (size_t)n * sizeof(*vs->vs_anons));
	ve->ve_needs_copy = UVM_ET_ISNEEDSCOPY(e);
	ve->ve_cow = UVM_ET_ISCOPYONWRITE(e);
	ve->ve_object = uobj;
	ve->ve_objkind = vmview_objkind(uobj);
	if (ve->ve_objkind == VMVIEW_OBJ_FILE)
		ve->ve_objname = uvn_name(uobj);
	ve->ve_offset = e->offset;
	ve->ve_npages = n;
	if (untouched)
		return;
	for (i = 0; i < n; i++)
		vmview_page(&vs->vs_pages[i], e, uobj, vs->vs_anons[i],
		    e->start + ptoa(i), pm);
	ve->ve_pages = vs->vs_pages;
}

/*
 * vmview_walk: call fn for every entry of p's map, in address order,
 * with the entry and each of its pages described.
 *
 * => takes p's map's lock for reading for the whole walk: fn must not
 *    change the map (nor anything else of the VM system).
 * => changes nothing: no fault, no page-in, no reference bit cleared.
 * => returns 0; ESRCH when p has no address space (a zombie); or the
 *    first non-zero value fn returned, which stopped the walk.
 */
int
vmview_walk(struct proc *p, vmview_fn *fn, void *arg)
{
	struct vmview_scratch vs;
	struct vmview_entry ve;
	struct vm_map *map;
	struct vm_map_entry *e;
	int error = 0;

	if (p->p_vmspace == NULL || p->p_stat == SZOMB || p->p_stat == SDEAD)
		return ESRCH;
	memset(&vs, 0, sizeof(vs));
	map = &p->p_vmspace->vm_map;
	vm_map_lock_read(map);
	for (e = map->header.next; e != &map->header && error == 0;
	     e = e->next) {
		vmview_entry(&ve, e, vm_map_pmap(map), &vs);
		error = fn(arg, &ve);
	}
	vm_map_unlock_read(map);
	free(vs.vs_pages);
	free(vs.vs_anons);
	return error;
}

/*
 * the numbering.  Keys are kept in an open hash by their bits, which
 * says only where a key is stored: the numbers follow the order of
 * first sight, so they are the same from run to run.
 */

void
vmview_ids_init(struct vmview_ids *ids)
{
	memset(ids, 0, sizeof(*ids));
}

/* where key is in ids' hash, or the empty slot where it would go */
static size_t
vmview_ids_slot(const struct vmview_ids *ids, const void *key)
{
	uint64_t h = (uint64_t)(uintptr_t)key * 0x9e3779b97f4a7c15ULL;
	size_t i = (size_t)(h >> 32) & (ids->vi_cap - 1);

	while (ids->vi_keys[i] != NULL && ids->vi_keys[i] != key)
		i = (i + 1) & (ids->vi_cap - 1);
	return i;
}

/* vmview_ids_grow: twice the slots (at least 64), the keys rehashed */
static void
vmview_ids_grow(struct vmview_ids *ids)
{
	struct vmview_ids old = *ids;
	size_t i, s;

	ids->vi_cap = old.vi_cap == 0 ? 64 : old.vi_cap * 2;
	ids->vi_keys = hostmem_zalloc(ids->vi_cap, sizeof(*ids->vi_keys));
	ids->vi_nums = hostmem_zalloc(ids->vi_cap, sizeof(*ids->vi_nums));
	for (i = 0; i < old.vi_cap; i++) {
		if (old.vi_keys[i] == NULL)
			continue;
		s = vmview_ids_slot(ids, old.vi_keys[i]);
		ids->vi_keys[s] = old.vi_keys[i];
		ids->vi_nums[s] = old.vi_nums[i];
	}
	free(old.vi_keys);
	free(old.vi_nums);
}

/*
 * vmview_id: key's number in ids: the one it was given when first seen,
 * or the next one (1 for the first key).
 *
 * => returns 0 for a NULL key (nothing to number).
 */
int
vmview_id(struct vmview_ids *ids, const void *key)
{
	size_t s;
	int n;

	if (key == NULL)
		return 0;
	if ((n = vmview_id_seen(ids, key)) != 0)
		return n;
	/* at most half full, so a probe always ends */
	if ((size_t)ids->vi_n + 1 > ids->vi_cap / 2)
		vmview_ids_grow(ids);
	s = vmview_ids_slot(ids, key);
	ids->vi_keys[s] = key;
	ids->vi_nums[s] = ++ids->vi_n;
	return ids->vi_n;
}

/* vmview_id_seen: key's number in ids, or 0 if it was never numbered */
int
vmview_id_seen(const struct vmview_ids *ids, const void *key)
{
	size_t s;

	if (key == NULL || ids->vi_cap == 0)
		return 0;
	s = vmview_ids_slot(ids, key);
	return ids->vi_keys[s] == NULL ? 0 : ids->vi_nums[s];
}

/* vmview_ids_free: forget every key (ids is empty again) */
void
vmview_ids_free(struct vmview_ids *ids)
{
	free(ids->vi_keys);
	free(ids->vi_nums);
	vmview_ids_init(ids);
}
