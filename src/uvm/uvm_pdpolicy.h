/*
 * uvm_pdpolicy.h: page replacement policies -- the order in which the
 * pagedaemon takes pages, selectable at run time for research.
 *
 *	clock  NetBSD 1.6's, and the default: two queues and the referenced
 *	       bit.  The oldest active pages move to the inactive queue,
 *	       unmapped and unreferenced; inactive pages are taken oldest
 *	       first, and one referenced meanwhile gets another turn.
 *	fifo   the page allocated longest ago goes first, used or not.
 *	lru    the page used least recently goes first, exactly: while it is
 *	       in force the MMU stamps every access (pmap_stamp_refs).
 *	opt    Belady's: the page whose next use is farthest off goes first.
 *	       It needs the future: whoever knows the reference string (a
 *	       trace replayer, a benchmark) installs an oracle that tells a
 *	       page's next use, before selecting it.
 *
 * fifo, lru and opt are key orders: the pagedaemon takes candidates in
 * increasing key, with no second chance.
 *
 * A page just allocated is new to every order, whatever its frame held
 * before: it arrives and is used at its allocation (uvm_pagealloc sets
 * pg_arrival and the access stamp), and until a fault maps it opt takes
 * its next use to be now.  So a page read in for a fault that then
 * sleeps (a copy-on-write waiting for a page for the copy) is not the
 * next victim, which would have the fault read it in again, and again.
 */

#ifndef _UVM_UVM_PDPOLICY_H_
#define _UVM_UVM_PDPOLICY_H_

#include "machine/types.h"

struct vm_page;

/* what a key order may look at */
struct uvmpdpol_info {
	uint64_t pi_arrival; /* allocation order */
	uint64_t pi_lastref; /* last access stamp (or the allocation) */
	uint64_t pi_nextuse; /* next reference (UVMPDPOL_NEVER: none) */
};

#define UVMPDPOL_NEVER (~(uint64_t)0)

struct uvm_pdpolicy {
	const char *pdp_name;
	/* a key order: smaller goes first; NULL for the clock's queues */
	uint64_t (*pdp_key)(const struct uvmpdpol_info *);
	bool pdp_stamps; /* needs the MMU's access stamps */
	bool pdp_future; /* needs the oracle */
};

extern const struct uvm_pdpolicy *uvmpdpol;

/* the oracle: the next use of pg after now, or UVMPDPOL_NEVER */
typedef uint64_t (*uvmpdpol_oracle_t)(const struct vm_page *, void *);
void uvmpdpol_set_oracle(uvmpdpol_oracle_t, void *);

const struct uvm_pdpolicy *uvmpdpol_lookup(const char *name);
int uvmpdpol_select(const char *name);
const char *uvmpdpol_check(const char *name);
void uvmpdpol_init(void);
uint64_t uvmpdpol_key(const struct vm_page *);
int uvmpdpol_faults(const struct uvm_pdpolicy *, const uint32_t *refs, size_t n,
    int frames);

#endif /* _UVM_UVM_PDPOLICY_H_ */
