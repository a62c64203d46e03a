/*
 * vmview.h: one process's address space page by page, for the reports
 * that draw it -- procmap's pages view, and the address-space pictures
 * and copy-on-write graph of --html.
 *
 * vmview_walk visits the entries of a process's map in address order
 * and hands each, with a description of every one of its pages, to a
 * function of the caller's:
 *
 *	entry [start, end)  protection, inheritance, wiring, advice,
 *	 |                  its amap (references, needs-copy) and object
 *	 +- page va         where the data lives:
 *	                      anon    an anon of the amap (resident in a
 *	                              frame, in a swap slot, or both)
 *	                      object  the entry's object (a file, an
 *	                              anonymous object, a device)
 *	                      none    nowhere yet: zero-filled when first
 *	                              touched
 *	                    and whether this process's pmap maps it, with
 *	                    the frame's referenced and modified bits.
 *
 * The walk only looks: it takes the map's lock for reading, makes no
 * fault and no page-in, and reads the pmap's bits without clearing them
 * (pmap_extract, pmap_is_referenced, pmap_is_modified,
 * pmap_page_mappings), so a report never changes what it reports.
 *
 * Anons, amaps and objects are given as opaque keys: pointers that tell
 * them apart -- two pages with the same anon key share one anon -- but
 * are never printed nor followed.  A key identifies its structure only
 * while the machine does not run: once it has run, a freed anon's key
 * may be a new anon's.  A consumer numbers the keys it meets with a
 * vmview_ids, 1, 2, 3 in order of first sight, so what it prints or
 * draws is the same from run to run; walks of several processes made
 * between two runs of the machine may share one numbering, and then
 * agree on which pages share an anon.
 */

#ifndef _SIM_VMVIEW_H_
#define _SIM_VMVIEW_H_

#include <stdbool.h>
#include <stddef.h>

#include "kern/kern.h"

/* where a page's data lives */
enum vmview_data {
	VMVIEW_DATA_NONE,   /* nowhere yet: zero-fill on first touch */
	VMVIEW_DATA_ANON,   /* an anon of the entry's amap */
	VMVIEW_DATA_OBJECT, /* the entry's object, at ve_offset + va - start */
};

/* what an entry's object is */
enum vmview_objkind {
	VMVIEW_OBJ_NONE,   /* no object: anonymous memory */
	VMVIEW_OBJ_FILE,   /* a sandbox file (the vnode pager) */
	VMVIEW_OBJ_AOBJ,   /* an anonymous object (shared anonymous memory) */
	VMVIEW_OBJ_DEVICE, /* device memory */
	VMVIEW_OBJ_OTHER,  /* any other object */
};

/* one page of an entry */
struct vmview_page {
	vaddr_t vp_va;		  /* its address */
	enum vmview_data vp_data; /* where its data lives */
	long vp_pfn;		  /* the frame holding the data, or -1 */
	long vp_mapped_pfn;	  /* the frame this pmap maps vp_va to, or -1 */
	int vp_nmaps;		  /* mappings of frame vp_pfn, in any pmap */
	bool vp_wired;		  /* this pmap's mapping of vp_va is wired */
	bool vp_busy;	    /* the frame is busy (being paged in or out) */
	bool vp_used;	    /* this pmap's mapping has been used: its own
			       referenced bit (false for a page the fault
			       mapped ahead and nothing touched since) */
	bool vp_referenced; /* the frame's referenced bit (any mapping, ever) */
	bool vp_modified;   /* the frame's modified bit (any mapping, ever) */
	long vp_swslot;	    /* the swap slot holding a copy, or -1 */
	const void *vp_anon;   /* the anon's key, or NULL */
	int vp_anon_refs;      /* the amap slots pointing at it (0: no anon) */
	const void *vp_object; /* the entry's object's key, or NULL */
	voff_t vp_objoff;      /* the page's offset in it */
};

/*
 * one map entry.  ve_maps, ve_objname and ve_pages are valid only
 * during the call that is given the entry.
 *
 * An entry with neither amap nor object has never been touched: none of
 * its pages has data, a frame, a mapping or a swap slot (each would be
 * VMVIEW_DATA_NONE with every number -1).  Such an entry comes with
 * ve_pages NULL, so that a walk costs nothing for the big untouched
 * stack and guard regions; every other entry has one record per page.
 */
struct vmview_entry {
	vaddr_t ve_start; /* first address */
	vaddr_t ve_end;	  /* one past the last */
	vm_prot_t ve_prot, ve_maxprot;
	int ve_inherit;	     /* MAP_INHERIT_* */
	int ve_wired;	     /* wirings (mlock, vslock) */
	int ve_advice;	     /* UVM_ADV_* */
	const char *ve_maps; /* what it maps, in words (uvm_map_entry_maps) */
	const void *ve_amap; /* the amap's key, or NULL */
	int ve_amap_refs;    /* its references (map entries holding it) */
	int ve_amap_slot;    /* the amap slot of the entry's first page */
	bool ve_amap_shared; /* shared by share inheritance: never copied */
	bool ve_needs_copy;  /* the amap must be copied before a write */
	bool ve_cow;	     /* copy-on-write: writes never reach the object */
	const void *ve_object;		/* the object's key, or NULL */
	enum vmview_objkind ve_objkind; /* what it is */
	const char *ve_objname;		/* a file's name, or NULL */
	voff_t ve_offset;		/* the offset of ve_start in it */
	int ve_npages;			/* (ve_end - ve_start) / PAGE_SIZE */
	const struct vmview_page *ve_pages; /* each of them, by address;
					       NULL if none was touched */
};

/* a function that is given each entry; non-zero stops the walk */
typedef int vmview_fn(void *arg, const struct vmview_entry *);

int vmview_walk(struct proc *, vmview_fn *, void *arg);

/*
 * A numbering of keys: 1, 2, 3 in the order they are first seen.
 * Zero-initialised (or vmview_ids_init) it is empty.
 */
struct vmview_ids {
	const void **vi_keys; /* open hash of the keys seen, or NULL */
	int *vi_nums;	      /* the number of each */
	size_t vi_cap;	      /* slots in both: 0 or a power of two */
	int vi_n;	      /* numbers given: the last is vi_n */
};

void vmview_ids_init(struct vmview_ids *);
int vmview_id(struct vmview_ids *, const void *key);
int vmview_id_seen(const struct vmview_ids *, const void *key);
void vmview_ids_free(struct vmview_ids *);

#endif /* _SIM_VMVIEW_H_ */
