/*
 * uvm_object.h: a memory object, the lower layer of a mapping.
 *
 * An object holds pages by offset (the vnode pager's file pages, the
 * anonymous object's swap-backed pages, the kernel object).  Its pager
 * operations say how pages come in and go out.
 */

#ifndef _UVM_UVM_OBJECT_H_
#define _UVM_UVM_OBJECT_H_

#include "machine/types.h"
#include "uvm/uvm_page.h"

struct uvm_pagerops;

/*
 * An object finds its pages by offset in a table of its own (uo_pgtab,
 * kept by uvm_page.c): open addressing, linear probing, each slot the
 * index of a page in uvm.pages plus one (0: empty), at most half full.
 * NetBSD 1.6 has one global hash of (object, offset) chained through the
 * pages; uvmsim keeps the table beside the object instead, so that a
 * page carries no hash links (issue 15's memory goal) and a page of
 * anonymous memory, which no object holds, pays nothing for it.
 */
struct uvm_object {
	const struct uvm_pagerops *pgops; /* pager operations */
	struct pglist memq;		  /* resident pages, in order */
	int uo_npages;			  /* how many */
	int uo_refs;			  /* references */
	uint32_t *uo_pgtab;		  /* offset -> page (uvm_page.c) */
	uint32_t uo_pgtabsize;		  /* its slots: 0 or a power of 2 */
};

/* uo_refs of an object that is never freed (the kernel object) */
#define UVM_OBJ_KERN		     (-2)
#define UVM_OBJ_IS_KERN_OBJECT(uobj) ((uobj)->uo_refs == UVM_OBJ_KERN)

/* what kind of object: which pager serves it (as NetBSD-current says it) */
extern const struct uvm_pagerops uvm_vnodeops;
extern const struct uvm_pagerops uvm_deviceops;
extern const struct uvm_pagerops aobj_pager;

#define UVM_OBJ_IS_VNODE(uobj)	((uobj)->pgops == &uvm_vnodeops)
#define UVM_OBJ_IS_DEVICE(uobj) ((uobj)->pgops == &uvm_deviceops)
#define UVM_OBJ_IS_AOBJ(uobj)	((uobj)->pgops == &aobj_pager)

static inline void
uvm_obj_init(struct uvm_object *uobj, const struct uvm_pagerops *pgops,
    int refs)
{
	uobj->pgops = pgops;
	PGLIST_INIT(&uobj->memq);
	uobj->uo_npages = 0;
	uobj->uo_refs = refs;
	uobj->uo_pgtab = NULL;
	uobj->uo_pgtabsize = 0;
}

#endif /* _UVM_UVM_OBJECT_H_ */
