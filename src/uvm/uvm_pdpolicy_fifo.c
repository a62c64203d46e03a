/*
 * uvm_pdpolicy_fifo.c: first in, first out -- the page allocated longest
 * ago goes first, however recently it was used.
 *
 * The pages are kept in a stamped queue (uvm_pdpolicy.h) by allocation
 * order: a new page gets the next stamp, so it joins at the tail, and a
 * page that comes back to the paging queues (unwired) takes its old
 * place.  A use changes nothing, so fifo needs no access hook.
 *
 * Where it departs from NetBSD 1.6's clock, on purpose: fifo never looks
 * at the referenced bit and never reactivates a page, or it would be
 * second chance, not FIFO; nor does it balance the queues (the active
 * and inactive counts stay uvm_page.c's, see uvm_pdpolicy.h).
 */

#include "uvm/uvm.h"

static struct uvmpdpol_stampq pdpol_fifo_q;

static uint64_t
pdpol_fifo_textkey(const struct uvmpdpol_info *pi)
{
	return pi->pi_arrival;
}

static void
pdpol_fifo_init(void)
{
	uvmpdpol_stampq_init(&pdpol_fifo_q);
}

static void
pdpol_fifo_fini(void)
{
	uvmpdpol_stampq_fini(&pdpol_fifo_q);
}

/* a page arrives: the youngest of all */
static void
pdpol_fifo_pagenew(struct vm_page *pg)
{
	uvmpdpol_stampq_stamp(&pdpol_fifo_q, pg);
}

static void
pdpol_fifo_pageenqueue(struct vm_page *pg)
{
	uvmpdpol_stampq_enqueue(&pdpol_fifo_q, pg);
}

static void
pdpol_fifo_pagedequeue(struct vm_page *pg)
{
	uvmpdpol_stampq_dequeue(&pdpol_fifo_q, pg);
}

static void
pdpol_fifo_scaninit(void)
{
	uvmpdpol_stampq_scaninit(&pdpol_fifo_q);
}

static struct vm_page *
pdpol_fifo_selectvictim(void)
{
	return uvmpdpol_stampq_selectvictim(&pdpol_fifo_q);
}

static int
pdpol_fifo_check(struct kcheck *kc)
{
	return uvmpdpol_stampq_check(&pdpol_fifo_q, kc, "fifo");
}

const struct uvm_pdpolicy uvmpdpol_fifo = {
	.pdp_name = "fifo",
	.pdp_textkey = pdpol_fifo_textkey,
	.pdp_init = pdpol_fifo_init,
	.pdp_fini = pdpol_fifo_fini,
	.pdp_pagenew = pdpol_fifo_pagenew,
	.pdp_pageenqueue = pdpol_fifo_pageenqueue,
	.pdp_pagedequeue = pdpol_fifo_pagedequeue,
	.pdp_scaninit = pdpol_fifo_scaninit,
	.pdp_selectvictim = pdpol_fifo_selectvictim,
	.pdp_check = pdpol_fifo_check,
};
