/*
 * uvm_pdpolicy.h: page replacement policies -- the order in which the
 * pagedaemon takes pages -- behind NetBSD 5's uvm_pdpolicy(9) interface,
 * selectable at run time for research.  One file per policy:
 *
 *	clock  uvm_pdpolicy_clock.c.  NetBSD 1.6's, and the default: two
 *	       queues and the referenced bit.  The oldest active pages move
 *	       to the inactive queue with their referenced bit cleared and
 *	       their mappings left; inactive pages are taken oldest first,
 *	       and one referenced meanwhile is reactivated (pdreact).
 *	fifo   uvm_pdpolicy_fifo.c.  The page allocated longest ago goes
 *	       first, used or not.
 *	lru    uvm_pdpolicy_lru.c.  The page used least recently goes first,
 *	       exactly: while it is in force the MMU reports every access
 *	       (pmap_access_hook) and the page moves to the end of its list.
 *	opt    uvm_pdpolicy_opt.c.  Belady's: the page whose next use is
 *	       farthest off goes first.  It needs the future: whoever knows
 *	       the reference string (a trace replayer, a benchmark) installs
 *	       an oracle, asked for a page's next use each time the page is
 *	       used; the pages are kept in a tree by that answer.
 *
 * fifo, lru and opt are key orders: the pagedaemon takes candidates in
 * increasing key, with no second chance.  None of them sorts anything
 * when the pagedaemon runs: each keeps its pages in order as they come,
 * go and are used.  Their departure from the clock's shape is on
 * purpose, to keep their textbook meanings: they neither balance the
 * queues nor look at the referenced bit, so fifo takes a page however
 * recently it was used, and lru and opt go by what they know themselves
 * (every access, through the MMU's hook; the oracle).  Under any policy
 * the pagedaemon removes a page's mappings only when it takes the page
 * (uvm_pdaemon.c), even one it must then keep (swap full, a write that
 * failed), as 1.6 does.
 *
 * The paging queues.  uvm_page.c keeps the active and inactive queues
 * (PQ_ACTIVE, PQ_INACTIVE, uvmexp.active and .inactive) under every
 * policy, and tells the policy in force what happens to a page through
 * the uvmpdpol_page* calls below; a key order keeps its own order of the
 * same pages beside the queues.  (NetBSD 5 gives the queues to the
 * policy; uvmsim keeps them common so that vmstat's active and inactive
 * counts mean the same whatever the policy.)
 *
 * A page just allocated is new to every order, whatever its frame held
 * before (uvmpdpol_pagenew): it arrives and is used at its allocation,
 * and until it is used through the MMU opt takes its next use to be now.
 * So a page read in for a fault that then sleeps (a copy-on-write
 * waiting for a page for the copy) is not the next victim, which would
 * have the fault read it in again, and again.
 *
 * The scan.  The pagedaemon (uvm_pdaemon.c) calls uvmpdpol_scaninit,
 * then uvmpdpol_selectvictim until it has freed enough or there is no
 * victim left, then uvmpdpol_balancequeue when uvmpdpol_needsscan says
 * so (NetBSD 1.6's and 5's order: the scan, then the refill).  It may
 * sleep (for its writes) between two victims; it says so with
 * uvmpdpol_scanresume before it asks for the next.
 *
 * Departures from NetBSD 5's interface: uvmpdpol_pagenew (a page was
 * allocated), the pmap's access hook (pdp_pagereference) and
 * uvmpdpol_scanresume are uvmsim's, for the key orders and for a
 * pagedaemon that sleeps mid-scan; uvmpdpol_needsscan_p only decides
 * whether to balance -- NetBSD 5 also scans on it with free memory at
 * its target, uvmsim's pagedaemon scans only for free memory, as 1.6's.
 */

#ifndef _UVM_UVM_PDPOLICY_H_
#define _UVM_UVM_PDPOLICY_H_

#include <sys/queue.h>

#include "machine/types.h"
#include "uvm/uvm_extern.h"

struct kcheck;
struct vm_page;

/* --- the interface ---------------------------------------------------- */

/*
 * UVMPDPOL_NEVER, uvmpdpol_oracle_t and uvmpdpol_set_oracle are in
 * uvm_extern.h, for whoever knows the future (the trace replayer): the
 * oracle is asked, from the MMU's access hook, for the next use of pg,
 * just used at va, after this use, or UVMPDPOL_NEVER.
 */
int uvmpdpol_select(const char *name);
const char *uvmpdpol_check(const char *name);
const char *uvmpdpol_name(void);
void uvmpdpol_init(void);
void uvmpdpol_fini(void);

/* the page layer tells the policy (uvm_page.c) */
void uvmpdpol_pagenew(struct vm_page *);
void uvmpdpol_pageenqueue(struct vm_page *);
void uvmpdpol_pagedequeue(struct vm_page *);
void uvmpdpol_pageactivate(struct vm_page *);
void uvmpdpol_pagedeactivate(struct vm_page *);

/* the pagedaemon asks it (uvm_pdaemon.c) */
bool uvmpdpol_needsscan_p(void);
void uvmpdpol_balancequeue(void);
void uvmpdpol_scaninit(void);
void uvmpdpol_scanresume(void);
struct vm_page *uvmpdpol_selectvictim(void);

int uvmpdpol_check_state(struct kcheck *);

/*
 * the textbook model: what a key order may look at of a frame's history
 */
struct uvmpdpol_info {
	uint64_t pi_arrival; /* allocation order */
	uint64_t pi_lastref; /* last use (or the allocation) */
	uint64_t pi_nextuse; /* next use (UVMPDPOL_NEVER: none) */
};

struct uvm_pdpolicy;
const struct uvm_pdpolicy *uvmpdpol_lookup(const char *name);
int uvmpdpol_faults(const struct uvm_pdpolicy *, const uint32_t *refs, size_t n,
    int frames);

/* --- implementation detail: shared by the policies' files ------------- */

/*
 * struct uvm_pdpolicy: one policy.  Any hook may be NULL: nothing to do.
 *
 * => pdp_init sets the policy up for the pages already on the paging
 *    queues (it may be chosen on a running machine); pdp_fini forgets
 *    them (another is chosen, or shutdown).
 * => pdp_pagenew: pg was just allocated (on no queue yet).
 *    pdp_pageenqueue: pg has just joined the paging queues.
 *    pdp_pagedequeue: pg is about to leave them (wired, freed).
 *    pdp_pageactivate / pdp_pagedeactivate: pg, on the queues, has just
 *    been (de)activated.
 *    pdp_pagereference: pg was just used through the MMU at va; set as
 *    the pmap's access hook while the policy is in force.
 * => pdp_selectvictim returns the next page to take, on the paging
 *    queues, not busy and pageable (uvmpd_pageable), or NULL; the
 *    pagedaemon has the page on return.
 * => pdp_textkey: the policy as a key order over a frame's history in
 *    the textbook model (smaller goes first); NULL: the second-chance
 *    clock.
 */
struct uvm_pdpolicy {
	const char *pdp_name;
	bool pdp_future; /* needs the oracle */
	uint64_t (*pdp_textkey)(const struct uvmpdpol_info *);
	void (*pdp_init)(void);
	void (*pdp_fini)(void);
	void (*pdp_pagenew)(struct vm_page *);
	void (*pdp_pageenqueue)(struct vm_page *);
	void (*pdp_pagedequeue)(struct vm_page *);
	void (*pdp_pageactivate)(struct vm_page *);
	void (*pdp_pagedeactivate)(struct vm_page *);
	void (*pdp_pagereference)(struct vm_page *, vaddr_t);
	bool (*pdp_needsscan)(void);
	void (*pdp_balancequeue)(void);
	void (*pdp_scaninit)(void);
	void (*pdp_scanresume)(void);
	struct vm_page *(*pdp_selectvictim)(void);
	int (*pdp_check)(struct kcheck *);
};

extern const struct uvm_pdpolicy uvmpdpol_clock, uvmpdpol_fifo, uvmpdpol_lru,
    uvmpdpol_opt;

/* the oracle's answer for pg, used at va (opt) */
uint64_t uvmpdpol_oracle_nextuse(const struct vm_page *pg, vaddr_t va);

/*
 * A stamped queue (fifo, lru): the queued pages in increasing stamp, a
 * per-page number the policy gives (allocation order; last use).  A page
 * joins in its stamp's place, found from the tail, where new stamps go;
 * the scan walks from the head and stops at the first stamp past the
 * largest given when it began, so a page restamped or new during a pass
 * waits for the next.
 *
 * Invariant: the queue's stamps strictly increase from head to tail, and
 * it holds exactly the pages on the paging queues.
 */
struct uvmpdpol_spage {
	TAILQ_ENTRY(uvmpdpol_spage) sp_link;
	uint64_t sp_stamp;
	bool sp_queued;
};

struct uvmpdpol_stampq {
	struct uvmpdpol_spage *sq_pages; /* one per physical page */
	TAILQ_HEAD(uvmpdpol_spageq, uvmpdpol_spage) sq_queue;
	uint64_t sq_clock;		/* the last stamp given */
	struct uvmpdpol_spage *sq_next; /* the scan's next, or NULL */
	uint64_t sq_bound;		/* the scan takes no later stamp */
	int sq_count;			/* pages queued */
};

void uvmpdpol_stampq_init(struct uvmpdpol_stampq *);
void uvmpdpol_stampq_fini(struct uvmpdpol_stampq *);
void uvmpdpol_stampq_stamp(struct uvmpdpol_stampq *, struct vm_page *);
void uvmpdpol_stampq_enqueue(struct uvmpdpol_stampq *, struct vm_page *);
void uvmpdpol_stampq_dequeue(struct uvmpdpol_stampq *, struct vm_page *);
void uvmpdpol_stampq_scaninit(struct uvmpdpol_stampq *);
struct vm_page *uvmpdpol_stampq_selectvictim(struct uvmpdpol_stampq *);
int uvmpdpol_stampq_check(struct uvmpdpol_stampq *, struct kcheck *,
    const char *name);

/* a page's index in uvm.pages, for a policy's per-page array */
#define UVMPDPOL_PGIDX(pg) ((size_t)atop(VM_PAGE_TO_PHYS(pg)))

#endif /* _UVM_UVM_PDPOLICY_H_ */
