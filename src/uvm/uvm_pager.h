/*
 * uvm_pager.h: pager operations -- how an object's pages come and go.
 */

#ifndef _UVM_UVM_PAGER_H_
#define _UVM_UVM_PAGER_H_

#include "machine/types.h"

struct uvm_object;
struct vm_page;

struct uvm_pagerops {
	const char *pgo_name;
	/* take a reference to the object */
	void (*pgo_reference)(struct uvm_object *);
	/* drop one; the last frees the object */
	void (*pgo_detach)(struct uvm_object *);
	/*
	 * pgo_get: the pages of [offset, offset + *npagesp pages).
	 *
	 * With PGO_LOCKED: only what is at hand without I/O or sleeping;
	 * pps[i] is set to each resident, non-busy page (others left as
	 * they were); the pages are not busied.  Returns 0 if pps[centeridx]
	 * was found (or made), else EBUSY.
	 *
	 * Without PGO_LOCKED: pps[centeridx] (all pages with PGO_ALLPAGES)
	 * is brought in, reading it if needed, and returned PG_BUSY for the
	 * caller to unbusy.  Returns 0, or an errno value (EIO; EINVAL for
	 * a page wholly past the end of a file).
	 */
	int (*pgo_get)(struct uvm_object *, voff_t offset, struct vm_page **pps,
	    int *npagesp, int centeridx, vm_prot_t access, int advice,
	    int flags);
	/* write back and/or free the pages of [start, end) (PGO_* flags) */
	int (
	    *pgo_put)(struct uvm_object *, voff_t start, voff_t end, int flags);
};

/* a pps[] slot pgo_get must leave alone (the page is not wanted) */
#define PGO_DONTCARE ((struct vm_page *)-1L)

/* pgo_get / pgo_put flags */
#define PGO_LOCKED     0x0001 /* get: no I/O, no sleep */
#define PGO_ALLPAGES   0x0002 /* get: every page, not only the center */
#define PGO_SYNCIO     0x0004 /* wait for the I/O */
#define PGO_CLEANIT    0x0008 /* put: write dirty pages back */
#define PGO_FREE       0x0010 /* put: free the pages */
#define PGO_DEACTIVATE 0x0020 /* put: deactivate the pages */

/*
 * Swap clustering (uvm_pager.c).  The pagedaemon gathers dirty
 * swap-backed pages (an anon's, an anonymous object's) in a cluster,
 * each PG_BUSY | PG_PAGEOUT with its modified bit cleared, and flushes
 * it when full and at the end of its scan: the pages go to consecutive
 * swap slots, as few writes as swap allows, and are freed.
 */
#define UVM_PCLUSTER_MAX 16 /* pages per swap write, at most */

struct uvm_pcluster {
	struct vm_page *pc_pgs[UVM_PCLUSTER_MAX];
	int pc_n;	      /* pages gathered */
	uint64_t pc_failures; /* page-outs that failed but may work later */
	uint64_t pc_retired;  /* slots retired by write errors */
};

void uvm_pcluster_add(struct uvm_pcluster *, struct vm_page *);
int uvm_pcluster_flush(struct uvm_pcluster *);

#endif /* _UVM_UVM_PAGER_H_ */
