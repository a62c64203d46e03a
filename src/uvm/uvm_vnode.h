/*
 * uvm_vnode.h: file-backed memory objects (the vnode pager).
 */

#ifndef _UVM_UVM_VNODE_H_
#define _UVM_UVM_VNODE_H_

#include <sys/queue.h>

#include "uvm/uvm_object.h"

struct uvm_vnode {
	struct uvm_object u_obj;      /* must be first */
	int u_fd;		      /* the host file */
	voff_t u_size;		      /* its size, bytes */
	char u_name[64];	      /* its name in the sandbox */
	LIST_ENTRY(uvm_vnode) u_list; /* on the list of open files */
	bool u_dying;		      /* its last reference is being dropped */
};

int uvn_init(const char *dir);
void uvn_fini(void);
int uvn_attach(const char *name, bool create, struct uvm_object **);
void uvn_detach(struct uvm_object *);
int uvn_truncate(struct uvm_object *, voff_t size);
voff_t uvn_size(struct uvm_object *);
int uvn_flush(struct uvm_object *);
struct kcheck;
int uvn_check(struct kcheck *);

#endif /* _UVM_UVM_VNODE_H_ */
