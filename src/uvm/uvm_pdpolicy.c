/*
 * uvm_pdpolicy.c: choosing the page replacement policy by name and
 * passing the page layer's and the pagedaemon's calls to it; opt's
 * oracle; the stamped queue fifo and lru share; and the textbook model
 * that counts a reference string's faults.
 *
 * NetBSD 5 links one policy into the kernel; uvmsim keeps all four and
 * chooses one at run time, so the uvmpdpol_* calls go through the
 * struct uvm_pdpolicy of the policy in force.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "machine/hostmem.h"
#include "uvm/uvm.h"
#include "uvm/uvm_pdpolicy.h"

static const struct uvm_pdpolicy *const uvm_pdpolicies[] = {
	&uvmpdpol_clock,
	&uvmpdpol_fifo,
	&uvmpdpol_lru,
	&uvmpdpol_opt,
};

/* the policy in force */
static const struct uvm_pdpolicy *uvmpdpol = &uvmpdpol_clock;
static uvmpdpol_oracle_t uvmpdpol_oracle;
static void *uvmpdpol_oracle_arg;

/* uvmpdpol_use: make pol the policy in force and the MMU's listener */
static void
uvmpdpol_use(const struct uvm_pdpolicy *pol)
{
	uvmpdpol = pol;
	pmap_access_hook = pol->pdp_pagereference;
	if (pol->pdp_init != NULL)
		pol->pdp_init();
}

/*
 * uvmpdpol_init: the clock, no oracle (boot, before the pages exist).
 * => the previous machine's policy was given up by uvmpdpol_fini.
 */
void
uvmpdpol_init(void)
{
	uvmpdpol_oracle = NULL;
	uvmpdpol_oracle_arg = NULL;
	uvmpdpol_use(&uvmpdpol_clock);
}

/*
 * uvmpdpol_fini: the policy in force forgets its pages and gives back
 * what it holds (shutdown); the clock is in force afterwards.
 */
void
uvmpdpol_fini(void)
{
	if (uvmpdpol->pdp_fini != NULL)
		uvmpdpol->pdp_fini();
	uvmpdpol = &uvmpdpol_clock;
	pmap_access_hook = NULL;
}

/* uvmpdpol_lookup: the policy called name, or NULL */
const struct uvm_pdpolicy *
uvmpdpol_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < __arraycount(uvm_pdpolicies); i++)
		if (strcmp(uvm_pdpolicies[i]->pdp_name, name) == 0)
			return uvm_pdpolicies[i];
	return NULL;
}

/* uvmpdpol_name: the name of the policy in force */
const char *
uvmpdpol_name(void)
{
	return uvmpdpol->pdp_name;
}

/*
 * uvmpdpol_check: can the policy called name be chosen at boot, with no
 * oracle?  Returns NULL if so, else a sentence saying why not.
 */
const char *
uvmpdpol_check(const char *name)
{
	const struct uvm_pdpolicy *pol = uvmpdpol_lookup(name);

	if (pol == NULL)
		return "unknown replacement policy (clock, fifo, lru, opt)";
	if (pol->pdp_future)
		return "opt needs the future reference string: it is for "
		       "trace replay, not for a machine at boot";
	return NULL;
}

/*
 * uvmpdpol_set_oracle: who tells opt a page's next use (NULL: nobody).
 */
void
uvmpdpol_set_oracle(uvmpdpol_oracle_t oracle, void *arg)
{
	uvmpdpol_oracle = oracle;
	uvmpdpol_oracle_arg = arg;
}

/* uvmpdpol_oracle_nextuse: the oracle's answer for pg, used at va */
uint64_t
uvmpdpol_oracle_nextuse(const struct vm_page *pg, vaddr_t va)
{
	KASSERT(uvmpdpol_oracle != NULL);
	return uvmpdpol_oracle(pg, va, uvmpdpol_oracle_arg);
}

/*
 * uvmpdpol_select: make the policy called name the pagedaemon's.
 *
 * => the policy in force gives up its pages and the new one takes those
 *    on the paging queues, as they stand.
 * => returns 0, or EINVAL for an unknown name or for opt with no
 *    oracle installed.
 */
int
uvmpdpol_select(const char *name)
{
	const struct uvm_pdpolicy *pol = uvmpdpol_lookup(name);

	if (pol == NULL || (pol->pdp_future && uvmpdpol_oracle == NULL))
		return EINVAL;
	uvmpdpol_fini();
	uvmpdpol_use(pol);
	return 0;
}

/*
 * the calls passed to the policy in force (see uvm_pdpolicy.h)
 */

void
uvmpdpol_pagenew(struct vm_page *pg)
{
	if (uvmpdpol->pdp_pagenew != NULL)
		uvmpdpol->pdp_pagenew(pg);
}

void
uvmpdpol_pageenqueue(struct vm_page *pg)
{
	if (uvmpdpol->pdp_pageenqueue != NULL)
		uvmpdpol->pdp_pageenqueue(pg);
}

void
uvmpdpol_pagedequeue(struct vm_page *pg)
{
	if (uvmpdpol->pdp_pagedequeue != NULL)
		uvmpdpol->pdp_pagedequeue(pg);
}

void
uvmpdpol_pageactivate(struct vm_page *pg)
{
	if (uvmpdpol->pdp_pageactivate != NULL)
		uvmpdpol->pdp_pageactivate(pg);
}

void
uvmpdpol_pagedeactivate(struct vm_page *pg)
{
	if (uvmpdpol->pdp_pagedeactivate != NULL)
		uvmpdpol->pdp_pagedeactivate(pg);
}

bool
uvmpdpol_needsscan_p(void)
{
	return uvmpdpol->pdp_needsscan != NULL && uvmpdpol->pdp_needsscan();
}

void
uvmpdpol_balancequeue(void)
{
	if (uvmpdpol->pdp_balancequeue != NULL)
		uvmpdpol->pdp_balancequeue();
}

void
uvmpdpol_scaninit(void)
{
	if (uvmpdpol->pdp_scaninit != NULL)
		uvmpdpol->pdp_scaninit();
}

void
uvmpdpol_scanresume(void)
{
	if (uvmpdpol->pdp_scanresume != NULL)
		uvmpdpol->pdp_scanresume();
}

struct vm_page *
uvmpdpol_selectvictim(void)
{
	return uvmpdpol->pdp_selectvictim();
}

/* uvmpdpol_check_state: check the policy's own structures */
int
uvmpdpol_check_state(struct kcheck *kc)
{
	return uvmpdpol->pdp_check != NULL ? uvmpdpol->pdp_check(kc) : 0;
}

/*
 * the stamped queue (see uvm_pdpolicy.h)
 */

#define SQ_PAGE(q, sp) (&uvm.pages[(sp) - (q)->sq_pages])

/*
 * uvmpdpol_stampq_init: an empty queue for every physical page, which
 * then takes the pages on the paging queues (active first, each in its
 * order), stamped in that order.
 */
void
uvmpdpol_stampq_init(struct uvmpdpol_stampq *q)
{
	struct vm_page *pg;

	q->sq_pages =
	    hostmem_zalloc((size_t)uvmexp.npages, sizeof(*q->sq_pages));
	TAILQ_INIT(&q->sq_queue);
	q->sq_clock = 0;
	q->sq_next = NULL;
	q->sq_bound = 0;
	q->sq_count = 0;
	PGLIST_FOREACH (pg, &uvm.page_active, pageq) {
		uvmpdpol_stampq_stamp(q, pg);
		uvmpdpol_stampq_enqueue(q, pg);
	}
	PGLIST_FOREACH (pg, &uvm.page_inactive, pageq) {
		uvmpdpol_stampq_stamp(q, pg);
		uvmpdpol_stampq_enqueue(q, pg);
	}
}

/* uvmpdpol_stampq_fini: give the queue's memory back */
void
uvmpdpol_stampq_fini(struct uvmpdpol_stampq *q)
{
	free(q->sq_pages);
	memset(q, 0, sizeof(*q));
}

/* take sp off the queue, moving the scan past it */
static void
uvmpdpol_stampq_unlink(struct uvmpdpol_stampq *q, struct uvmpdpol_spage *sp)
{
	if (q->sq_next == sp)
		q->sq_next = TAILQ_NEXT(sp, sp_link);
	TAILQ_REMOVE(&q->sq_queue, sp, sp_link);
	sp->sp_queued = false;
	q->sq_count--;
}

/*
 * uvmpdpol_stampq_stamp: give pg the next stamp; if it is queued it
 * moves to the tail (O(1)).
 */
void
uvmpdpol_stampq_stamp(struct uvmpdpol_stampq *q, struct vm_page *pg)
{
	struct uvmpdpol_spage *sp = &q->sq_pages[UVMPDPOL_PGIDX(pg)];

	sp->sp_stamp = ++q->sq_clock;
	if (sp->sp_queued) {
		uvmpdpol_stampq_unlink(q, sp);
		TAILQ_INSERT_TAIL(&q->sq_queue, sp, sp_link);
		sp->sp_queued = true;
		q->sq_count++;
	}
}

/*
 * uvmpdpol_stampq_enqueue: pg joins the queue in its stamp's place,
 * found by walking back from the tail: O(1) for a page stamped since
 * the last page queued, which is the common case.
 */
void
uvmpdpol_stampq_enqueue(struct uvmpdpol_stampq *q, struct vm_page *pg)
{
	struct uvmpdpol_spage *sp = &q->sq_pages[UVMPDPOL_PGIDX(pg)], *prev;

	KASSERT(!sp->sp_queued);
	prev = TAILQ_LAST(&q->sq_queue, uvmpdpol_spageq);
	while (prev != NULL && prev->sp_stamp > sp->sp_stamp)
		prev = TAILQ_PREV(prev, uvmpdpol_spageq, sp_link);
	if (prev == NULL)
		TAILQ_INSERT_HEAD(&q->sq_queue, sp, sp_link);
	else
		TAILQ_INSERT_AFTER(&q->sq_queue, prev, sp, sp_link);
	sp->sp_queued = true;
	q->sq_count++;
}

/* uvmpdpol_stampq_dequeue: pg leaves the queue; it keeps its stamp */
void
uvmpdpol_stampq_dequeue(struct uvmpdpol_stampq *q, struct vm_page *pg)
{
	struct uvmpdpol_spage *sp = &q->sq_pages[UVMPDPOL_PGIDX(pg)];

	if (sp->sp_queued)
		uvmpdpol_stampq_unlink(q, sp);
}

/* uvmpdpol_stampq_scaninit: a scan from the head, up to today's stamps */
void
uvmpdpol_stampq_scaninit(struct uvmpdpol_stampq *q)
{
	q->sq_next = TAILQ_FIRST(&q->sq_queue);
	q->sq_bound = q->sq_clock;
}

/*
 * uvmpdpol_stampq_selectvictim: the next page of the scan that is not
 * busy and can be paged out, or NULL.
 *
 * => the scan's place survives the pagedaemon's sleeps: a page leaving
 *    the queue or moving to its tail moves the scan past it first.
 */
struct vm_page *
uvmpdpol_stampq_selectvictim(struct uvmpdpol_stampq *q)
{
	struct uvmpdpol_spage *sp;
	struct vm_page *pg;

	while ((sp = q->sq_next) != NULL && sp->sp_stamp <= q->sq_bound) {
		q->sq_next = TAILQ_NEXT(sp, sp_link);
		pg = SQ_PAGE(q, sp);
		if ((pg->flags & PG_BUSY) || !uvmpd_pageable(pg))
			continue;
		uvmexp.pdscans++;
		return pg;
	}
	return NULL;
}

/*
 * uvmpdpol_stampq_check: the queue holds exactly the queued pages, in
 * strictly increasing stamp.
 */
int
uvmpdpol_stampq_check(struct uvmpdpol_stampq *q, struct kcheck *kc,
    const char *name)
{
	unsigned int before = kc->kc_nerr;
	struct uvmpdpol_spage *sp, *prev = NULL;
	struct vm_page *pg;
	int n = 0;

	TAILQ_FOREACH (sp, &q->sq_queue, sp_link) {
		if (++n > uvmexp.npages) {
			kcheck_fail(kc, "%s: queue longer than memory", name);
			break;
		}
		pg = SQ_PAGE(q, sp);
		if (!sp->sp_queued ||
		    (pg->pqflags & (PQ_ACTIVE | PQ_INACTIVE)) == 0)
			kcheck_fail(kc, "%s: page 0x%llx queued but not paging",
			    name, (unsigned long long)VM_PAGE_TO_PHYS(pg));
		if (prev != NULL && prev->sp_stamp >= sp->sp_stamp)
			kcheck_fail(kc, "%s: page 0x%llx out of order", name,
			    (unsigned long long)VM_PAGE_TO_PHYS(pg));
		prev = sp;
	}
	if (n != q->sq_count || n != uvmexp.active + uvmexp.inactive)
		kcheck_fail(kc, "%s: %d pages queued, count %d, paging %d",
		    name, n, q->sq_count, uvmexp.active + uvmexp.inactive);
	return (int)(kc->kc_nerr - before);
}

/*
 * the textbook model
 */

/* the most frames the textbook model keeps */
#define UVMPDPOL_TEXTBOOK_MAXFRAMES 64

/* the next index after t at which refs names page, or UVMPDPOL_NEVER */
static uint64_t
pdpol_nextuse(const uint32_t *refs, size_t n, size_t t, uint32_t page)
{
	size_t i;

	for (i = t + 1; i < n; i++)
		if (refs[i] == page)
			return i;
	return UVMPDPOL_NEVER;
}

/*
 * uvmpdpol_faults: the faults that a reference string (refs[0..n), page
 * numbers) takes with `frames' page frames under pol, by demand paging
 * with one page replaced per fault -- the textbook model, in which the
 * classic strings have their known counts.  The clock here is the
 * textbook second-chance clock; a key order takes the frame of the
 * smallest key (pdp_textkey).
 *
 * => returns the number of faults, or -1 for more than
 *    UVMPDPOL_TEXTBOOK_MAXFRAMES frames.
 */
int
uvmpdpol_faults(const struct uvm_pdpolicy *pol, const uint32_t *refs, size_t n,
    int frames)
{
	struct {
		uint32_t page;
		struct uvmpdpol_info pi;
		bool ref;
	} f[UVMPDPOL_TEXTBOOK_MAXFRAMES];
	int nf = 0, faults = 0, hand = 0, i, victim;
	uint64_t key, best;
	size_t t;

	if (frames < 1 || frames > (int)__arraycount(f))
		return -1;
	for (t = 0; t < n; t++) {
		for (i = 0; i < nf && f[i].page != refs[t]; i++)
			continue;
		if (i < nf) {
			f[i].pi.pi_lastref = t;
			f[i].ref = true;
			continue;
		}
		faults++;
		if (nf < frames) {
			victim = nf++;
		} else if (pol->pdp_textkey == NULL) {
			while (f[hand].ref) {
				f[hand].ref = false;
				hand = (hand + 1) % frames;
			}
			victim = hand;
			hand = (hand + 1) % frames;
		} else {
			victim = 0;
			best = UVMPDPOL_NEVER;
			for (i = 0; i < nf; i++) {
				f[i].pi.pi_nextuse =
				    pdpol_nextuse(refs, n, t, f[i].page);
				key = pol->pdp_textkey(&f[i].pi);
				if (i == 0 || key < best) {
					best = key;
					victim = i;
				}
			}
		}
		f[victim].page = refs[t];
		f[victim].pi.pi_arrival = t;
		f[victim].pi.pi_lastref = t;
		f[victim].ref = false;
	}
	return faults;
}
