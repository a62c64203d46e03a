/*
 * uvm_map.h: address maps -- the list of mappings of an address space.
 *
 * A vm_map is a sorted list of non-overlapping map entries, each mapping
 * [start, end) to a two-level memory:
 *
 *	upper layer:  an amap of anons (anonymous, copy-on-write memory),
 *	              reached through the entry's aref (amap + page offset)
 *	lower layer:  a uvm_object at `offset' (a file, an anonymous object,
 *	              the kernel object, a device), or nothing (zero fill)
 *
 * A lookup finds the entry containing an address through a red-black
 * tree keyed by start, helped by a one-entry hint; the list gives the
 * neighbours.  Invariants (uvm_map_check verifies them all):
 *
 *	header.next ... header.prev is sorted by start, entries do not
 *	overlap, and all lie in [min_offset, max_offset);
 *	the tree holds exactly the listed entries; nentries counts them;
 *	size is the sum of their lengths;
 *	the hint is the header or a listed entry;
 *	an entry with an amap has aref.ar_pageoff + npages <= am_nslot.
 *
 * Entry states that matter to the fault handler:
 *
 *	UVM_ET_COPYONWRITE  writes go to the amap, never to the object
 *	UVM_ET_NEEDSCOPY    the amap (if any) is shared with another map and
 *	                    must be copied (amap_copy) before a write
 */

#ifndef _UVM_UVM_MAP_H_
#define _UVM_UVM_MAP_H_

#include <sys/queue.h>

#include "lib/rbtree.h"
#include "machine/types.h"
#include "uvm/uvm_amap.h"

struct pmap;
struct uvm_object;
struct kcheck;

typedef int vm_inherit_t;

/* inheritance: what a child gets of a mapping at fork */
#define MAP_INHERIT_SHARE   0 /* the same memory */
#define MAP_INHERIT_COPY    1 /* a copy-on-write copy */
#define MAP_INHERIT_NONE    2 /* nothing: the range is unmapped */
#define MAP_INHERIT_ZERO    3 /* fresh zero-filled memory (NetBSD) */
#define MAP_INHERIT_DEFAULT MAP_INHERIT_COPY

/* advice: the expected access pattern, which sets the fault-ahead window */
#define UVM_ADV_NORMAL	   0
#define UVM_ADV_RANDOM	   1
#define UVM_ADV_SEQUENTIAL 2

/*
 * the flag word of uvm_map(): protection, maximum protection,
 * inheritance and advice packed with the UVM_FLAG_* bits.
 */
#define UVM_PROT_MASK	 0x0000007
#define UVM_MAXPROT_MASK 0x0000070
#define UVM_INH_MASK	 0x0000700
#define UVM_ADV_MASK	 0x0007000
#define UVM_MAPFLAG(prot, maxprot, inh, advice, flags) \
	((prot) | ((maxprot) << 4) | ((inh) << 8) | ((advice) << 12) | (flags))
#define UVM_PROTECTION(f)    ((f)&UVM_PROT_MASK)
#define UVM_MAXPROTECTION(f) (((f)&UVM_MAXPROT_MASK) >> 4)
#define UVM_INHERIT(f)	     (((f)&UVM_INH_MASK) >> 8)
#define UVM_ADVICE(f)	     (((f)&UVM_ADV_MASK) >> 12)

#define UVM_FLAG_FIXED	 0x0010000 /* exactly at *startp */
#define UVM_FLAG_OVERLAY 0x0020000 /* give it an amap at once */
#define UVM_FLAG_NOMERGE 0x0040000 /* never merge with a neighbour */
#define UVM_FLAG_COPYONW 0x0080000 /* copy-on-write mapping */
#define UVM_FLAG_UNMAP	 0x0100000 /* FIXED: replace what is there */

/* uoffset for uvm_map(): take the offset from the address (kernel object) */
#define UVM_UNKNOWN_OFFSET ((voff_t)-1)

/* entry types */
#define UVM_ET_OBJ	   0x01 /* lower layer is an object */
#define UVM_ET_SUBMAP	   0x02 /* the entry is a submap */
#define UVM_ET_COPYONWRITE 0x04
#define UVM_ET_NEEDSCOPY   0x08

#define UVM_ET_ISOBJ(e)		(((e)->etype & UVM_ET_OBJ) != 0)
#define UVM_ET_ISSUBMAP(e)	(((e)->etype & UVM_ET_SUBMAP) != 0)
#define UVM_ET_ISCOPYONWRITE(e) (((e)->etype & UVM_ET_COPYONWRITE) != 0)
#define UVM_ET_ISNEEDSCOPY(e)	(((e)->etype & UVM_ET_NEEDSCOPY) != 0)

/* entry flags */
#define UVM_MAP_KERNEL	0x01 /* a kernel map entry */
#define UVM_MAP_NOMERGE 0x02 /* never merge this entry */

struct vm_map;

struct vm_map_entry {
	struct rb_node rb_node;	   /* in the map's tree, by start */
	struct vm_map_entry *prev; /* previous entry, address order */
	struct vm_map_entry *next; /* next entry */
	vaddr_t start;		   /* first address */
	vaddr_t end;		   /* one past the last */
	union {
		struct uvm_object *uvm_obj; /* lower layer */
		struct vm_map *sub_map;	    /* or a submap */
	} object;
	voff_t offset;		  /* offset of start in the object */
	int etype;		  /* UVM_ET_* */
	vm_prot_t protection;	  /* what is allowed now */
	vm_prot_t max_protection; /* the most that may be allowed */
	vm_inherit_t inheritance; /* MAP_INHERIT_* */
	int wired_count;	  /* wirings (mlock, vslock) */
	struct vm_aref aref;	  /* upper layer */
	int advice;		  /* UVM_ADV_* */
	int flags;		  /* UVM_MAP_* */
};

/* map flags */
#define VM_MAP_PAGEABLE	  0x01 /* entries may be paged */
#define VM_MAP_WIREFUTURE 0x02 /* wire new mappings (mlockall) */
#define VM_MAP_BUSY	  0x04 /* a writer holds the map busy */
#define VM_MAP_DYING	  0x08 /* being torn down */

struct vm_map {
	struct pmap *pmap;	     /* the MMU's view */
	struct vm_map_entry header;  /* list head; [start, end) = range */
	struct rb_tree rb_tree;	     /* entries by start */
	int nentries;		     /* entries on the list */
	vsize_t size;		     /* bytes mapped */
	int ref_count;		     /* references */
	struct vm_map_entry *hint;   /* last lookup's answer */
	int flags;		     /* VM_MAP_* */
	unsigned int timestamp;	     /* bumped by every write unlock */
	int lk_readers;		     /* lock: read holders */
	bool lk_writer;		     /* lock: write held */
	int busy_count;		     /* vm_map_busy depth */
	LIST_ENTRY(vm_map) map_list; /* on the list of all maps */
};

/*
 * a reservation of map entries, taken before an operation changes a
 * map so that clipping can never fail half-way.
 */
#define UMR_MAX 3
struct uvm_mapent_reservation {
	struct vm_map_entry *umr_entries[UMR_MAX];
	int umr_nentries;
};

#define min_offset	 header.start
#define max_offset	 header.end
#define vm_map_min(map)	 ((map)->min_offset)
#define vm_map_max(map)	 ((map)->max_offset)
#define vm_map_pmap(map) ((map)->pmap)

/*
 * struct vmspace: a process's address space -- its map and the figures
 * the kernel keeps about it.
 */
struct vmspace {
	struct vm_map vm_map; /* the map; must be first */
	int vm_refcnt;	      /* references (vfork shares it) */
	vsize_t vm_tsize;     /* text size, pages */
	vsize_t vm_dsize;     /* data size, pages (brk) */
	vsize_t vm_ssize;     /* stack size, pages */
	vaddr_t vm_taddr;     /* start of text */
	vaddr_t vm_daddr;     /* start of data */
	vaddr_t vm_maxsaddr;  /* lowest address the stack may reach */
	vaddr_t vm_minsaddr;  /* top of the stack */
};

/* map locking: one CPU, so the locks never block; they assert their discipline */
void vm_map_lock(struct vm_map *);
bool vm_map_lock_try(struct vm_map *);
void vm_map_unlock(struct vm_map *);
void vm_map_lock_read(struct vm_map *);
void vm_map_unlock_read(struct vm_map *);
void vm_map_upgrade(struct vm_map *);
void vm_map_downgrade(struct vm_map *);
void vm_map_busy(struct vm_map *);
void vm_map_unbusy(struct vm_map *);
bool vm_map_locked_p(const struct vm_map *);

/* maps */
void uvm_map_setup(struct vm_map *, vaddr_t min, vaddr_t max, int flags);
void uvm_map_teardown(struct vm_map *);
int uvm_map(struct vm_map *, vaddr_t *startp, vsize_t size,
    struct uvm_object *uobj, voff_t uoffset, vsize_t align, int flags);
bool uvm_map_lookup_entry(struct vm_map *, vaddr_t, struct vm_map_entry **);
int uvm_map_findspace(struct vm_map *, vaddr_t hint, vsize_t length,
    vsize_t align, vaddr_t *result);
int uvm_unmap(struct vm_map *, vaddr_t start, vaddr_t end);
int uvm_unmap_remove(struct vm_map *, vaddr_t start, vaddr_t end,
    struct vm_map_entry **dead);
void uvm_unmap_remove_reserved(struct vm_map *, vaddr_t start, vaddr_t end,
    struct vm_map_entry **dead, struct uvm_mapent_reservation *);
int uvm_mapent_reserve(struct uvm_mapent_reservation *, int n);
void uvm_mapent_unreserve(struct uvm_mapent_reservation *);
void uvm_unmap_detach(struct vm_map_entry *dead);
int uvm_map_protect(struct vm_map *, vaddr_t start, vaddr_t end, vm_prot_t prot,
    bool set_max);
int uvm_map_inherit(struct vm_map *, vaddr_t start, vaddr_t end, vm_inherit_t);
int uvm_map_advice(struct vm_map *, vaddr_t start, vaddr_t end, int advice);
int uvm_map_clean(struct vm_map *, vaddr_t start, vaddr_t end, int flags);
bool uvm_map_checkprot(struct vm_map *, vaddr_t start, vaddr_t end, vm_prot_t);
int uvm_map_pageable(struct vm_map *, vaddr_t start, vaddr_t end,
    bool new_pageable);
void uvm_map_clip_start(struct vm_map *, struct vm_map_entry *, vaddr_t,
    struct uvm_mapent_reservation *);
void uvm_map_clip_end(struct vm_map *, struct vm_map_entry *, vaddr_t,
    struct uvm_mapent_reservation *);
bool uvm_mapent_trymerge(struct vm_map *, struct vm_map_entry *, int flags);
#define UVM_MERGE_COPYING 0x1 /* amap_copy's: into a neighbour's amap */
void uvm_map_entry_maps(const struct vm_map_entry *, char *buf, size_t len);
int uvm_map_check(struct vm_map *, struct kcheck *);
int uvm_map_check_all(struct kcheck *);
struct vm_map *uvm_map_of_pmap(struct pmap *);

/* address spaces */
struct vmspace *uvmspace_alloc(vaddr_t min, vaddr_t max);
void uvmspace_init(struct vmspace *, struct pmap *, vaddr_t min, vaddr_t max);
void uvmspace_addref(struct vmspace *);
void uvmspace_free(struct vmspace *);
struct vmspace *uvmspace_fork(struct vmspace *);

#endif /* _UVM_UVM_MAP_H_ */
