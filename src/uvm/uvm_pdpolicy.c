/*
 * uvm_pdpolicy.c: the page replacement policies (see uvm_pdpolicy.h) --
 * their keys, selecting one, and counting a reference string's faults
 * the textbook way.
 *
 * The clock is the pagedaemon's own two-queue scan (uvm_pdaemon.c);
 * the other policies are key orders, defined here, that the pagedaemon
 * sorts its candidates by.  All four live in this one file: each is a
 * few lines.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "uvm/uvm.h"
#include "uvm/uvm_pdpolicy.h"

static uint64_t
pdpol_fifo_key(const struct uvmpdpol_info *pi)
{
	return pi->pi_arrival;
}

static uint64_t
pdpol_lru_key(const struct uvmpdpol_info *pi)
{
	return pi->pi_lastref;
}

/* the farthest next use goes first: never used again, first of all */
static uint64_t
pdpol_opt_key(const struct uvmpdpol_info *pi)
{
	return UVMPDPOL_NEVER - pi->pi_nextuse;
}

static const struct uvm_pdpolicy uvm_pdpolicies[] = {
	{ "clock", NULL, false, false },
	{ "fifo", pdpol_fifo_key, false, false },
	{ "lru", pdpol_lru_key, true, false },
	{ "opt", pdpol_opt_key, false, true },
};

#define NPDPOL (sizeof(uvm_pdpolicies) / sizeof(uvm_pdpolicies[0]))

const struct uvm_pdpolicy *uvmpdpol = &uvm_pdpolicies[0];
static uvmpdpol_oracle_t uvmpdpol_oracle;
static void *uvmpdpol_oracle_arg;

/* uvmpdpol_init: the clock, no stamps, no oracle (boot) */
void
uvmpdpol_init(void)
{
	uvmpdpol = &uvm_pdpolicies[0];
	uvmpdpol_oracle = NULL;
	uvmpdpol_oracle_arg = NULL;
	pmap_stamp_refs = false;
	pmap_refclock = 0;
}

/* uvmpdpol_lookup: the policy called name, or NULL */
const struct uvm_pdpolicy *
uvmpdpol_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < NPDPOL; i++)
		if (strcmp(uvm_pdpolicies[i].pdp_name, name) == 0)
			return &uvm_pdpolicies[i];
	return NULL;
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

/*
 * uvmpdpol_select: make the policy called name the pagedaemon's.
 *
 * => returns 0, or EINVAL for an unknown name or for opt with no
 *    oracle installed.
 */
int
uvmpdpol_select(const char *name)
{
	const struct uvm_pdpolicy *pol = uvmpdpol_lookup(name);

	if (pol == NULL || (pol->pdp_future && uvmpdpol_oracle == NULL))
		return EINVAL;
	uvmpdpol = pol;
	pmap_stamp_refs = pol->pdp_stamps;
	return 0;
}

/*
 * uvmpdpol_key: pg's key under the key order in force.
 *
 * => a page no fault has mapped since it was allocated (a page-in, the
 *    original of a copy-on-write) is on its way to a use: opt counts its
 *    next use as now rather than ask the oracle, which knows pages by
 *    where they are mapped and would judge it by its frame's last owner.
 */
uint64_t
uvmpdpol_key(const struct vm_page *pg)
{
	struct uvmpdpol_info pi = {
		.pi_arrival = pg->pg_arrival,
		.pi_lastref = pg->mdpage.mdpg_lastref,
		.pi_nextuse = UVMPDPOL_NEVER,
	};

	KASSERT(uvmpdpol->pdp_key != NULL);
	if (uvmpdpol->pdp_future)
		pi.pi_nextuse = pg->pg_va == UVM_PGVA_NONE ?
		    0 :
		    uvmpdpol_oracle(pg, uvmpdpol_oracle_arg);
	return uvmpdpol->pdp_key(&pi);
}

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
 * textbook second-chance clock.
 *
 * => returns the number of faults, or -1 for more than 64 frames.
 */
int
uvmpdpol_faults(const struct uvm_pdpolicy *pol, const uint32_t *refs, size_t n,
    int frames)
{
	struct {
		uint32_t page;
		struct uvmpdpol_info pi;
		bool ref;
	} f[64];
	int nf = 0, faults = 0, hand = 0, i, victim;
	uint64_t key, best;
	size_t t;

	if (frames < 1 || frames > 64)
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
		} else if (pol->pdp_key == NULL) {
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
				key = pol->pdp_key(&f[i].pi);
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
