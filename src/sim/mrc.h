/*
 * mrc.h: miss-ratio curves in one pass over a reference string: the
 * faults of textbook LRU (textbook.h) for every number of frames at
 * once, exactly, or estimated from a spatial sample in bounded memory.
 *
 * A reference's stack distance is the number of distinct pages
 * referenced since the same page's previous reference, plus one;
 * a first reference has none (it is a cold miss).  LRU with F frames
 * hits exactly the references whose distance is at most F (Mattson et
 * al., 1970), so one histogram of distances answers every F:
 *
 *   misses(F) = cold misses + references with distance > F.
 *
 * Exact (mrc_new): each page's last reference is a time slot; the
 * slots of the pages seen so far are counted by a Fenwick tree, and a
 * page's distance is one more than the slots after its own.  When the
 * slots run out they are compacted (the live ones renumbered in order)
 * into twice the distinct pages, so each reference costs O(log d) and
 * memory is O(d) for d distinct pages, whatever the trace's length.
 *
 * Sampled (mrc_new_sampled), after SHARDS (Waldspurger et al., FAST
 * '15), fixed-size variant: a page is in the sample iff its hash,
 * taken modulo P = 2^24, is below a threshold T; the rate is R = T/P.
 * Only sampled pages enter the structure above, so the distance it
 * gives, d_s, counts sampled pages only; the true distance is about
 * 1 + (d_s - 1)/R.  T starts at P (everything is sampled); when the
 * sample would grow past smax pages, T drops to the largest hash in the
 * sample and the pages with that hash leave it, so the sample never
 * holds more than smax pages.  Counts taken at the old rate are scaled
 * by T_new/T_old, so that all of them are in units of the final rate.
 * The distances are kept in at most MRC_BUCKETS buckets whose width
 * doubles when a distance falls past the last; within a bucket the
 * count is taken to be spread evenly.  The estimated misses, sampled
 * references weighted by 1/R at their time, are divided by the
 * references counted, all of them (SHARDS_adj: the sample's weight
 * differs from that only by chance, and the difference is counted as
 * hits at distance 1); mrc_misses is that ratio times the references.
 */

#ifndef _SIM_MRC_H_
#define _SIM_MRC_H_

#include <stddef.h>
#include <stdint.h>

#define MRC_SMAX    8192  /* default sample size of the sampled curve */
#define MRC_BUCKETS 16384 /* at most this many distance buckets (sampled) */
#define MRC_HASHP   (1u << 24) /* P: the range of the sampling hash */

struct mrc;

/*
 * mrc_new: an empty exact curve.
 *
 * => returns NULL if the host is out of memory.
 */
struct mrc *mrc_new(void);

/*
 * mrc_new_sampled: an empty sampled curve that never holds more than
 * smax pages.
 *
 * => smax is at least 1; returns NULL if the host is out of memory.
 */
struct mrc *mrc_new_sampled(uint32_t smax);

void mrc_free(struct mrc *);

/*
 * mrc_ref: count a reference to page.
 *
 * => returns 0, or -1 if the host is out of memory (the reference is
 *    then not counted, and the curve is as before it).
 */
int mrc_ref(struct mrc *, uint64_t page);

/*
 * mrc_trace: count every page every reference of the trace at path
 * ("-": the standard input) touches, pages of 1 << pageshift bytes, in
 * one pass.
 *
 * => returns 0, or -1 with why filled (the trace cannot be read, a bad
 *    reference, no host memory); the references before it are counted.
 */
int mrc_trace(struct mrc *, const char *path, unsigned pageshift, char *why,
    size_t whylen);

/*
 * mrc_misses: LRU's misses with frames frames (at least 1): exact, or,
 * sampled, the estimated miss ratio times mrc_refs, rounded.
 */
uint64_t mrc_misses(const struct mrc *, uint64_t frames);

/* mrc_miss_ratio: mrc_misses over mrc_refs (0 with no references) */
double mrc_miss_ratio(const struct mrc *, uint64_t frames);

/* mrc_refs: every reference counted, sampled or not */
uint64_t mrc_refs(const struct mrc *);

/* mrc_distinct: the distinct pages (sampled: estimated, rounded) */
uint64_t mrc_distinct(const struct mrc *);

/*
 * What the sampled curve keeps: its rate T/P, the pages in the sample
 * now and at most (never above smax), and the host bytes of its
 * structures now and at most.  An exact curve has rate 1.
 */
struct mrc_stats {
	uint32_t ms_threshold; /* T */
	uint32_t ms_sampled;
	uint32_t ms_sampled_peak;
	size_t ms_bytes;
	size_t ms_bytes_peak;
};
void mrc_stats(const struct mrc *, struct mrc_stats *);

#endif /* _SIM_MRC_H_ */
