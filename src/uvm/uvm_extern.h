/*
 * uvm_extern.h: the VM system's interface to the rest of the program.
 *
 * This is the only VM header that code outside src/uvm includes.  It
 * brings the pmap interface and the page type with it, as NetBSD's does.
 */

#ifndef _UVM_UVM_EXTERN_H_
#define _UVM_UVM_EXTERN_H_

#include "machine/failpoint.h"
#include "machine/kassert.h"
#include "machine/pmap.h"
#include "machine/vmparam.h"
#include "uvm/uvm_object.h"
#include "uvm/uvm_page.h"

/*
 * uvmexp: the VM system's counters and tunables, in the manner of
 * NetBSD's (vmstat -s prints them).
 */
struct uvmexp {
	/* page size, fixed at boot */
	unsigned int pagesize;
	unsigned int pagemask;
	unsigned int pageshift;

	/* pages, by state */
	int npages;    /* managed pages */
	int free;      /* on the free lists */
	int active;    /* on the active queue */
	int inactive;  /* on the inactive queue */
	int paging;    /* being paged in or out */
	int wired;     /* wired (wire_count > 0) */
	int zeropages; /* free and known to be zero */

	/* reserves and targets (uvmpd_tune) */
	int reserve_pagedaemon; /* free pages only the daemon may take */
	int reserve_kernel;	/* free pages only the kernel may take */
	int freemin;		/* below this the daemon wakes */
	int freetarg;		/* the daemon frees up to this */
	int inactarg;		/* the inactive queue's target size */
	int wiredmax;		/* most pages that may be wired */

	/* page allocation */
	uint64_t pga_alloc;    /* pages allocated */
	uint64_t pga_free;     /* pages freed */
	uint64_t pga_fail;     /* allocations refused */
	uint64_t pga_zerohit;  /* zero-fill served by a known-zero page */
	uint64_t pga_zeromiss; /* zero-fill that had to zero a page */
	uint64_t pga_idlezero; /* pages zeroed by the idle loop */
};

extern struct uvmexp uvmexp;

void uvm_init(void);
void uvm_fini(void);
int uvm_check_all(struct kcheck *, bool deep);

#endif /* _UVM_UVM_EXTERN_H_ */
