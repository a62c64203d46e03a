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
 * pages are on their object's memq and in its table of pages.
 *
 * Free pages sit on two lists: pages known to hold zeros (PG_ZERO) and
 * pages of unknown content.  Zero-fill allocations prefer the first, all
 * others the second; the idle loop moves pages from the second to the
 * first by zeroing them.
 */

#ifndef _UVM_UVM_PAGE_H_
#define _UVM_UVM_PAGE_H_

#include "machine/physmem.h"
#include "machine/vmparam.h"

struct uvm_object;
struct vm_anon;

/*
 * Lists of pages -- the free lists, the paging queues, an object's memq
 * -- are doubly linked through 32-bit page numbers (a page's index in
 * the vm_page array plus one; 0 ends a list), not pointers: half the
 * bytes in every page.  They are used as TAILQs are, with the link's
 * field named.
 */
struct pglist {
	uint32_t pgl_first, pgl_last;
};
struct pglink {
	uint32_t pgl_next, pgl_prev;
};

#define uvm_pglist_num(pg) ((uint32_t)((pg)-physmem_pages) + 1)

#define PGLIST_INIT(q)	       ((q)->pgl_first = (q)->pgl_last = 0)
#define PGLIST_EMPTY(q)	       ((q)->pgl_first == 0)
#define PGLIST_FIRST(q)	       uvm_pglist_page((q)->pgl_first)
#define PGLIST_LAST(q)	       uvm_pglist_page((q)->pgl_last)
#define PGLIST_NEXT(pg, field) uvm_pglist_page((pg)->field.pgl_next)
#define PGLIST_FOREACH(pg, q, field)               \
	for ((pg) = PGLIST_FIRST(q); (pg) != NULL; \
	     (pg) = PGLIST_NEXT(pg, field))

#define PGLIST_INSERT_TAIL(q, pg, field)                                     \
	do {                                                                 \
		uint32_t n_ = uvm_pglist_num(pg);                            \
		(pg)->field.pgl_next = 0;                                    \
		(pg)->field.pgl_prev = (q)->pgl_last;                        \
		if ((q)->pgl_last != 0)                                      \
			uvm_pglist_page((q)->pgl_last)->field.pgl_next = n_; \
		else                                                         \
			(q)->pgl_first = n_;                                 \
		(q)->pgl_last = n_;                                          \
	} while (0)

#define PGLIST_INSERT_HEAD(q, pg, field)                                      \
	do {                                                                  \
		uint32_t n_ = uvm_pglist_num(pg);                             \
		(pg)->field.pgl_prev = 0;                                     \
		(pg)->field.pgl_next = (q)->pgl_first;                        \
		if ((q)->pgl_first != 0)                                      \
			uvm_pglist_page((q)->pgl_first)->field.pgl_prev = n_; \
		else                                                          \
			(q)->pgl_last = n_;                                   \
		(q)->pgl_first = n_;                                          \
	} while (0)

#define PGLIST_REMOVE(q, pg, field)                                     \
	do {                                                            \
		uint32_t next_ = (pg)->field.pgl_next;                  \
		uint32_t prev_ = (pg)->field.pgl_prev;                  \
		if (next_ != 0)                                         \
			uvm_pglist_page(next_)->field.pgl_prev = prev_; \
		else                                                    \
			(q)->pgl_last = prev_;                          \
		if (prev_ != 0)                                         \
			uvm_pglist_page(prev_)->field.pgl_next = next_; \
		else                                                    \
			(q)->pgl_first = next_;                         \
	} while (0)

/*
 * struct vm_page: 48 bytes, where NetBSD 1.6's is about twice that.
 * uvmsim departs from it for issue 15's memory goal: no (object,
 * offset) hash links (each object has its table of pages, uvm_object.h),
 * no physical address (VM_PAGE_TO_PHYS derives it from the page's
 * index), one owner field for the anon or the object (pqflags' PQ_ANON
 * or flags' PG_TABLED says which: read it with uvm_pageanon and
 * uvm_pageobj), list links of 32-bit page numbers, and a pmap part that
 * holds the page's first mapping itself (vm_page_md, vmparam.h).
 */
struct vm_page {
	struct pglink pageq; /* free list or paging queue */
	union {
		struct vm_anon *pgo_anon;   /* PQ_ANON */
		struct uvm_object *pgo_obj; /* PG_TABLED */
	} pg_owner;
	voff_t offset;		  /* offset in its object */
	struct pglink listq;	  /* pages of the same object */
	struct vm_page_md mdpage; /* the pmap's part */
	uint16_t flags;		  /* PG_*: object/anon state */
	uint16_t pqflags;	  /* PQ_*: queue state */
	uint16_t wire_count;	  /* wirings; > 0: off the queues */
};

static inline struct vm_page *
uvm_pglist_page(uint32_t n)
{
	return n == 0 ? NULL : &physmem_pages[n - 1];
}

/* flags */
#define PG_BUSY	    0x0001 /* being worked on; others keep off */
#define PG_WANTED   0x0002 /* someone sleeps until it is not busy */
#define PG_TABLED   0x0004 /* in its object's table and memq */
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

/*
 * a page's physical address is its index in the vm_page array (NetBSD
 * 1.6 keeps it in the page, phys_addr; uvmsim derives it, one field less
 * a page: issue 15's memory goal)
 */
#define VM_PAGE_TO_PHYS(pg) ptoa((size_t)((pg)-physmem_pages))

/* the page's owner: its anon, or NULL; its object, or NULL */
static inline struct vm_anon *
uvm_pageanon(const struct vm_page *pg)
{
	return (pg->pqflags & PQ_ANON) ? pg->pg_owner.pgo_anon : NULL;
}

static inline struct uvm_object *
uvm_pageobj(const struct vm_page *pg)
{
	return (pg->flags & PG_TABLED) ? pg->pg_owner.pgo_obj : NULL;
}

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
