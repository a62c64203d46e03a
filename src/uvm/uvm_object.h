/*
 * uvm_object.h: a memory object, the lower layer of a mapping.
 *
 * An object holds pages by offset (the vnode pager's file pages, the
 * anonymous object's swap-backed pages, the kernel object).  Its pager
 * operations say how pages come in and go out.
 */

#ifndef _UVM_UVM_OBJECT_H_
#define _UVM_UVM_OBJECT_H_

#include <sys/queue.h>

#include "machine/types.h"

struct uvm_pagerops;
struct vm_page;

struct uvm_object {
	const struct uvm_pagerops *pgops; /* pager operations */
	TAILQ_HEAD(, vm_page) memq;	  /* resident pages */
	int uo_npages;			  /* how many */
	int uo_refs;			  /* references */
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
	TAILQ_INIT(&uobj->memq);
	uobj->uo_npages = 0;
	uobj->uo_refs = refs;
}

#endif /* _UVM_UVM_OBJECT_H_ */
