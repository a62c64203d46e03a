/*
 * uvm_anon.h: an anon, one page of anonymous memory.
 *
 * An anon is the unit of copy-on-write: a page of anonymous memory that
 * an_ref amap slots point at.  While an_ref > 1 the page is shared and a
 * write must copy it first (fault case 1B).  The data is in an_page while
 * resident and in swap slot an_swslot while paged out; both may be valid
 * at once (a clean page with a copy in swap).  A resident anon page is
 * owned by the anon: pg->uanon == anon, PQ_ANON.
 *
 * An anon is 16 bytes, the least a resident anonymous page costs beside
 * its vm_page (issue 15's memory goal).  NetBSD 1.6's anon also has a
 * lock and a free-list link; uvmsim's had a link on a list of all anons
 * and the checker's count.  Neither is kept: the checker and the swap
 * accounting walk the anon pool's records (pool_foreach), which are
 * every anon there is, and the checker's counts live in a table that
 * exists only while a check runs.
 */

#ifndef _UVM_UVM_ANON_H_
#define _UVM_UVM_ANON_H_

struct vm_page;
struct kcheck;

struct vm_anon {
	struct vm_page *an_page; /* resident page, or NULL */
	int an_ref;		 /* amap slots that point here */
	int an_swslot;		 /* swap slot, or 0 for none */
};

struct vm_anon *uvm_analloc(void);
void uvm_anfree(struct vm_anon *);
int uvm_anon_swpgonly(void);
int uvm_anon_swapreclaim(int n);
int uvm_anon_pagein(struct vm_anon *);

/*
 * checking, in two halves.  The per-anon facts (an_ref > 0, the page
 * belongs to the anon) need nothing else.  Whether an_ref is right needs
 * every amap's slots counted: amap_check calls uvm_anon_check_begin(),
 * calls uvm_anon_check_count() for every slot that points at an anon,
 * and then calls uvm_anon_check(), which compares.  So amap_check checks
 * anons too; uvm_anon_check called on its own checks only the per-anon
 * facts.
 */
void uvm_anon_check_begin(void);
void uvm_anon_check_count(struct vm_anon *);
int uvm_anon_check(struct kcheck *);

#endif /* _UVM_UVM_ANON_H_ */
