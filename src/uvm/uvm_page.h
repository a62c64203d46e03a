/*
 * uvm_page.h: the physical page (struct vm_page) and its queues.
 *
 * Every page of physical memory has a struct vm_page.  A page is in
 * exactly one of these states:
 *
 *	free	   on a free list (PQ_FREE), no owner
 *	active	   owned, on the active queue (PQ_ACTIVE)
 *	inactive   owned, on the inactive queue (PQ_INACTIVE)
 *	wired	   owned, wire_count > 0, on no paging queue
 *	allocated  owned, on no queue: just allocated, not yet activated
 *
 * The owner is an object (uobject, offset) or an anon (uanon).  Object
 * pages are on their object's memq and in the (object, offset) hash.
 *
 * Free pages sit on two lists: pages known to hold zeros (PG_ZERO) and
 * pages of unknown content.  Zero-fill allocations prefer the first, all
 * others the second; the idle loop moves pages from the second to the
 * first by zeroing them.
 */

#ifndef _UVM_UVM_PAGE_H_
#define _UVM_UVM_PAGE_H_

#include <sys/queue.h>

#include "machine/physmem.h"
#include "machine/vmparam.h"

struct uvm_object;
struct vm_anon;

struct vm_page {
	TAILQ_ENTRY(vm_page) pageq; /* free list or paging queue */
	TAILQ_ENTRY(vm_page) listq; /* pages of the same object */
	LIST_ENTRY(vm_page) hashq;  /* (object, offset) hash chain */
	struct vm_anon *uanon;	    /* owning anon, or NULL */
	struct uvm_object *uobject; /* owning object, or NULL */
	voff_t offset;		    /* offset in uobject */
	uint16_t flags;		    /* PG_*: object/anon state */
	uint16_t pqflags;	    /* PQ_*: queue state */
	uint16_t wire_count;	    /* wirings; > 0: off the queues */
	paddr_t phys_addr;	    /* physical address */
	struct vm_page_md mdpage;   /* the pmap's part */
};

/* flags */
#define PG_BUSY	    0x0001 /* being worked on; others keep off */
#define PG_WANTED   0x0002 /* someone sleeps until it is not busy */
#define PG_TABLED   0x0004 /* in its object's hash and memq */
#define PG_CLEAN    0x0008 /* matches its backing store */
#define PG_PAGEOUT  0x0010 /* being paged out */
#define PG_RELEASED 0x0020 /* free it when it is no longer busy */
#define PG_FAKE	    0x0040 /* contents not valid yet */
#define PG_ZERO	    0x0100 /* known to hold only zeros */

/* pqflags */
#define PQ_FREE	    0x0001 /* on a free list */
#define PQ_INACTIVE 0x0002 /* on the inactive queue */
#define PQ_ACTIVE   0x0004 /* on the active queue */
#define PQ_ANON	    0x0010 /* owned by an anon */
#define PQ_AOBJ	    0x0020 /* owned by an anonymous object */

/* uvm_pagealloc flags */
#define UVM_PGA_USERESERVE 0x0001 /* may take the kernel's reserve */
#define UVM_PGA_ZERO	   0x0002 /* the page must be zero-filled */

#define VM_PAGE_TO_PHYS(pg) ((pg)->phys_addr)

struct kcheck;

void uvm_page_init(void);
void uvm_page_fini(void);
struct vm_page *
uvm_pagealloc(struct uvm_object *, voff_t, struct vm_anon *, int);
void uvm_pagefree(struct vm_page *);
struct vm_page *uvm_pagelookup(struct uvm_object *, voff_t);
void uvm_pagewire(struct vm_page *);
void uvm_pageunwire(struct vm_page *);
void uvm_pageactivate(struct vm_page *);
void uvm_pagedeactivate(struct vm_page *);
void uvm_pagedequeue(struct vm_page *);
void uvm_pagezero(struct vm_page *);
void uvm_pagecopy(struct vm_page *src, struct vm_page *dst);
int uvm_pageidlezero(int);

/* free pages the idle loop zeroes each time the CPU goes idle, at most */
#define UVM_PAGEIDLEZERO_MAX 32
int uvm_page_check(struct kcheck *, bool deep);

#endif /* _UVM_UVM_PAGE_H_ */
