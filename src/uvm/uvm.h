/*
 * uvm.h: the VM system's own global state, for files inside src/uvm.
 *
 * Code outside the VM system includes uvm_extern.h instead.
 */

#ifndef _UVM_UVM_H_
#define _UVM_UVM_H_

#include <sys/queue.h>

#include "uvm/uvm_extern.h"
#include "uvm/uvm_amap.h"
#include "uvm/uvm_anon.h"
#include "uvm/uvm_aobj.h"
#include "uvm/uvm_device.h"
#include "uvm/uvm_fault.h"
#include "uvm/uvm_km.h"
#include "uvm/uvm_map.h"
#include "uvm/uvm_object.h"
#include "uvm/uvm_page.h"
#include "uvm/uvm_pager.h"
#include "uvm/uvm_pdaemon.h"
#include "uvm/uvm_pdpolicy.h"
#include "uvm/uvm_swap.h"
#include "uvm/uvm_vnode.h"

/* free lists */
#define PGFL_ZEROS   0 /* pages known to be zero */
#define PGFL_UNKNOWN 1 /* pages of unknown content */
#define PGFL_NQUEUES 2

struct uvm {
	struct vm_page *pages; /* the vm_page array */
	struct pglist page_free[PGFL_NQUEUES];
	struct pglist page_active;    /* recently used pages */
	struct pglist page_inactive;  /* candidates for pageout */
	int pagedaemon;		      /* the pagedaemon sleeps here */
	struct proc *pagedaemon_proc; /* and this is it */
};

extern struct uvm uvm;

void uvm_meter_init(void);
void uvm_glue_fini(void);

#endif /* _UVM_UVM_H_ */
