/*
 * uvm_pdpolicy_lru.c: least recently used -- the page used longest ago
 * goes first, exactly.
 *
 * The pages are kept in a stamped queue (uvm_pdpolicy.h) by their last
 * use: the MMU reports every access (pmap_access_hook) and the page gets
 * the next stamp and moves to the tail, in constant time; a new page
 * counts as used at its allocation.  (Hardware has only the referenced
 * bit: this exactness is a research feature, which is what the clock
 * approximates.)  Unlike 1.6's clock, lru ignores the referenced bit,
 * never reactivates a page and does not balance the queues: its own
 * knowledge of every use is better.
 */

#include "uvm/uvm.h"

static struct uvmpdpol_stampq pdpol_lru_q;

static uint64_t
pdpol_lru_textkey(const struct uvmpdpol_info *pi)
{
	return pi->pi_lastref;
}

static void
pdpol_lru_init(void)
{
	uvmpdpol_stampq_init(&pdpol_lru_q);
}

static void
pdpol_lru_fini(void)
{
	uvmpdpol_stampq_fini(&pdpol_lru_q);
}

/* a new page and a used one are the most recently used of all */
static void
pdpol_lru_pagenew(struct vm_page *pg)
{
	uvmpdpol_stampq_stamp(&pdpol_lru_q, pg);
}

static void
pdpol_lru_pagereference(struct vm_page *pg, vaddr_t va __unused)
{
	uvmpdpol_stampq_stamp(&pdpol_lru_q, pg);
}

static void
pdpol_lru_pageenqueue(struct vm_page *pg)
{
	uvmpdpol_stampq_enqueue(&pdpol_lru_q, pg);
}

static void
pdpol_lru_pagedequeue(struct vm_page *pg)
{
	uvmpdpol_stampq_dequeue(&pdpol_lru_q, pg);
}

static void
pdpol_lru_scaninit(void)
{
	uvmpdpol_stampq_scaninit(&pdpol_lru_q);
}

static struct vm_page *
pdpol_lru_selectvictim(void)
{
	return uvmpdpol_stampq_selectvictim(&pdpol_lru_q);
}

static int
pdpol_lru_check(struct kcheck *kc)
{
	return uvmpdpol_stampq_check(&pdpol_lru_q, kc, "lru");
}

const struct uvm_pdpolicy uvmpdpol_lru = {
	.pdp_name = "lru",
	.pdp_textkey = pdpol_lru_textkey,
	.pdp_init = pdpol_lru_init,
	.pdp_fini = pdpol_lru_fini,
	.pdp_pagenew = pdpol_lru_pagenew,
	.pdp_pageenqueue = pdpol_lru_pageenqueue,
	.pdp_pagedequeue = pdpol_lru_pagedequeue,
	.pdp_pagereference = pdpol_lru_pagereference,
	.pdp_scaninit = pdpol_lru_scaninit,
	.pdp_selectvictim = pdpol_lru_selectvictim,
	.pdp_check = pdpol_lru_check,
};
