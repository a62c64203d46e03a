/*
 * uvm_aobj.h: anonymous objects -- memory objects with no file behind
 * them, whose pages are zero-filled on first use (and will be paged to
 * swap).  The kernel object is one; so is shared anonymous memory.
 */

#ifndef _UVM_UVM_AOBJ_H_
#define _UVM_UVM_AOBJ_H_

#include "uvm/uvm_object.h"

struct kcheck;

/* uao_create flags */
#define UAO_FLAG_KERNOBJ 0x1 /* the kernel object: never freed */
#define UAO_FLAG_DYING	 0x2 /* freed, but for pages being paged out */

#define UAO_SWHASH_N 64 /* swap slot hash chains per aobj */

struct uao_swhash_elt;
LIST_HEAD(uao_swhash, uao_swhash_elt);

struct uvm_aobj {
	struct uvm_object u_obj;     /* the object; must be first */
	voff_t u_size;		     /* bytes the object spans */
	int u_flags;		     /* UAO_FLAG_* */
	LIST_ENTRY(uvm_aobj) u_list; /* on the list of all aobjs */
	struct uao_swhash u_swhash[UAO_SWHASH_N]; /* offset -> swap slot */
	int u_nswslots;				  /* slots held */
};

struct uvm_object *uao_create(voff_t size, int flags);
void uao_reference(struct uvm_object *);
void uao_detach(struct uvm_object *);
void uao_destroy_kernel(struct uvm_object *);
int uao_check(struct kcheck *);
int uao_swpgonly(void);
void uao_pageout_done(struct uvm_object *, voff_t, int slot);
bool uao_released(struct vm_page *);
int uao_ndying(void);

#endif /* _UVM_UVM_AOBJ_H_ */
