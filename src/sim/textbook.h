/*
 * textbook.h: pure demand paging of a reference string, as textbooks
 * count it: N frames, one page brought in per fault, one page replaced
 * when the frames are full, and nothing else -- no kernel, no
 * pagedaemon, no free-page target, no u-areas.  uvmsim replay --frames.
 *
 * Pages are named by dense ids (0, 1, 2, ... in order of first use),
 * which refmap hands out; the policies keep their state in arrays
 * indexed by id, so every reference costs O(1) (fifo, lru, amortized
 * for the clock) or O(log N) (opt).
 *
 *   fifo   replaces the page that came in first;
 *   lru    replaces the page used least recently;
 *   clock  second chance: the frames form a ring with a hand; a page
 *          comes in with its reference bit set, a hit sets it, and the
 *          hand clears set bits until it finds a clear one to replace;
 *   opt    Belady's MIN: replaces the page whose next use is farthest
 *          in the future (never used again counts as farthest); it
 *          needs each reference's next use, from an oracle.
 */

#ifndef _SIM_TEXTBOOK_H_
#define _SIM_TEXTBOOK_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim/tracefile.h"

/* "never used again" */
#define TB_NEVER UINT64_MAX

/*
 * refmap: page numbers to dense ids.
 */
struct refmap;

struct refmap *refmap_new(void);
void refmap_free(struct refmap *);

/*
 * refmap_id: the id of page, given a new one on its first use.
 *
 * => returns -1 if the host is out of memory or 2^32 - 1 pages are
 *    named already.
 */
int64_t refmap_id(struct refmap *, uint64_t page);

/* refmap_count: ids handed out */
uint32_t refmap_count(const struct refmap *);

/* refmap_page: the page number of id */
uint64_t refmap_page(const struct refmap *, uint32_t id);

/*
 * The oracle: a trace turned into page ids with each reference's next
 * use, kept in two unlinked temporary files (in $TMPDIR) rather than in
 * memory, so a trace of any length fits: host memory grows with the
 * distinct pages only.
 */
struct oracle;

/*
 * oracle_build: read tf to its end, page by page (1 << pageshift bytes;
 * a reference string's pages are its numbers), and work out every
 * reference's next use.  The oracle's pages are counted from 0.
 *
 * => returns 0 with *op set, or -1 with why filled (a bad trace, a
 *    temporary file that cannot be written, no host memory, more than
 *    2^31 distinct pages).
 */
int oracle_build(struct oracle **op, struct tracefile *tf, unsigned pageshift,
    char *why, size_t whylen);

/* oracle_length: references in the oracle; oracle_pages: distinct pages */
uint64_t oracle_length(const struct oracle *);
uint32_t oracle_pages(const struct oracle *);

/* oracle_refmap: the oracle's ids, for their page numbers */
const struct refmap *oracle_refmap(const struct oracle *);

/*
 * oracle_rewind and oracle_next: read the references again, in order:
 * each one's page id, whether it writes, and the index of the page's
 * next use (TB_NEVER).
 *
 * => oracle_next returns 1, 0 at the end, or -1 (a read error: why).
 */
int oracle_rewind(struct oracle *, char *why, size_t whylen);
int oracle_next(struct oracle *, uint32_t *id, bool *writes, uint64_t *next,
    char *why, size_t whylen);

void oracle_free(struct oracle *);

/*
 * The policies: fifo, lru, clock and opt (textbook.c says how each
 * keeps its pages), and mru (the most recent goes), unopt (the page
 * used soonest goes), lfu (the fewest uses go; ties, the oldest), rand
 * (a random one, from a seed) and sc (second chance: fifo where a used
 * page at the head goes round again once -- the clock's algorithm kept
 * as a list, so it takes the faults the one-bit clock takes).
 */
enum tb_policy {
	TB_FIFO,
	TB_LRU,
	TB_CLOCK,
	TB_OPT,
	TB_MRU,
	TB_UNOPT,
	TB_LFU,
	TB_RAND,
	TB_SC,
	TB_NPOLICIES
};

/* tb_policy_name: "fifo", ...; tb_policy_byname: -1 if unknown */
const char *tb_policy_name(enum tb_policy);
int tb_policy_byname(const char *);
/* tb_policy_future: it needs each reference's next use (an oracle) */
bool tb_policy_future(enum tb_policy);

/* a policy's parameters */
struct tb_params {
	unsigned tp_clockbits; /* clock: bits of a page's counter, 1 to 8 */
	uint64_t tp_seed;      /* rand: the generator's seed */
};

struct textbook;

/*
 * textbook_new: frames empty frames under policy (a clock of one bit,
 * rand seeded with 1); textbook_new_with: with tp's parameters.
 *
 * => frames is at least 1; returns NULL if the host is out of memory or
 *    a parameter is out of range.
 */
struct textbook *textbook_new(enum tb_policy policy, uint64_t frames);
struct textbook *textbook_new_with(enum tb_policy policy, uint64_t frames,
    const struct tb_params *tp);
void textbook_free(struct textbook *);

/*
 * textbook_ref: reference page id; next is the index of its next use
 * (only opt and unopt read it).
 *
 * => returns 1 for a fault, 0 for a hit, -1 if the host is out of memory.
 */
int textbook_ref(struct textbook *, uint32_t id, uint64_t next);

/* textbook_victim: the page the last reference replaced, or -1 */
int64_t textbook_victim(const struct textbook *);

/*
 * textbook_frames: the resident pages, the next victim first (fifo and
 * sc: oldest first; lru: least recent; mru: most recent; the clock:
 * from its hand round; opt, unopt and lfu: in their order; rand: in the
 * frames' order), at most max of them into ids, each with aux: the
 * clock's counter, sc's bit, opt's and unopt's next use, lfu's uses.
 *
 * => returns how many.
 */
size_t textbook_frames(const struct textbook *, uint32_t *ids, uint64_t *aux,
    size_t max);

/* what textbook_ref counted */
struct textbook_counts {
	uint64_t tc_refs;
	uint64_t tc_faults;
	uint64_t tc_replaced; /* faults that replaced a page */
};
void textbook_counts(const struct textbook *, struct textbook_counts *);

/*
 * Variable allocation: the resident set grows and shrinks as the string
 * goes, so these are compared with the fixed-frame policies by their
 * mean resident set.
 *
 *   ws(tau)   Denning's working set: the pages referenced in the last
 *             tau references are resident, no others; a reference
 *             faults if its page was not among the last tau.
 *   pff(T)    page-fault frequency: on a fault, if more than T
 *             references went by since the last fault, the pages not
 *             referenced since then leave; the faulting page joins.
 */
enum tb_varpolicy { TBV_WS, TBV_PFF };

struct textbook_var;

/* textbook_var_new: ws with window param, or pff with interval param */
struct textbook_var *textbook_var_new(enum tb_varpolicy, uint64_t param);
void textbook_var_free(struct textbook_var *);

/* textbook_var_ref: reference page id: 1 a fault, 0 a hit, -1 no memory */
int textbook_var_ref(struct textbook_var *, uint32_t id);

struct textbook_varcounts {
	uint64_t tv_refs;
	uint64_t tv_faults;
	uint64_t tv_rss_sum; /* the resident set after each reference, summed */
	uint64_t tv_rss_max;
	uint64_t tv_rss; /* now */
};
void
textbook_var_counts(const struct textbook_var *, struct textbook_varcounts *);

#endif /* _SIM_TEXTBOOK_H_ */
