/*
 * bench_mrc.c: LRU miss-ratio curves in one pass (mrc.h) against a
 * sweep of sizes, on a generated trace with locality held in memory
 * (so the trace's reading is in neither).
 *
 * Baselines measured in the same run:
 *   - the sweep: textbook LRU (textbook.h) run once for each of MRC_SIZES
 *     frame counts spread over the footprint, each run naming the pages
 *     with its own refmap, as uvmsim replay --policy lru --frames does
 *     (less the reading of the trace);
 *   - the exact one-pass curve, for the sampled one.
 *
 * 1. the exact curve, built in one pass and asked for the same sizes:
 *    its time over the sweep's (goal: 50 times faster), and the two
 *    must agree at every size (the benchmark fails otherwise);
 * 2. the sampled curve (SHARDS, at most MRC_SMAX pages): its time and
 *    the peak host memory of its structures, each over the exact
 *    curve's, and its mean absolute error of the miss ratio over the
 *    sizes (goal: under 0.01).
 * 3. 1 again on a real program's trace: valgrind lackey's of /bin/true
 *    (tests/traces/true.lackey.xz), whose consecutive references are
 *    mostly to the same page, as programs' are.
 * 4. the sampled curve over LONG_N (250 million) references generated as
 *    they are counted: its peak memory (goal: under 2 MB) and time.
 */

#include <inttypes.h>
#include <stdlib.h>

#include "bench.h"
#include "sim/mrc.h"
#include "sim/textbook.h"
#include "sim/tracefile.h"

#define REAL_TRACE TESTS_SRCDIR "/traces/true.lackey.xz"
#define REAL_TRIES 9 /* it is short: more trials */
#define LONG_N	   250000000ULL

volatile uint64_t bench_sink;

#define MRC_N	  4000000 /* references */
#define MRC_SPACE 100000  /* pages of a phase's working range */
#define MRC_SIZES 50
#define MRC_TRIES 3

static uint64_t
xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/*
 * the trace: phases of 500000 references, each skewed (cubed uniform)
 * over a range of MRC_SPACE pages at its own base, a third of the
 * references to a shared hot set of 2048 pages, and now and then a
 * sequential scan of 500 pages
 */
static void
make_trace(uint64_t *p, size_t n)
{
	uint64_t x = 2463534242ULL, base = 0, v, u;
	size_t i, j;
	double d;

	for (i = 0; i < n; i++) {
		if (i % 500000 == 0)
			base = xorshift(&x) % (4 * MRC_SPACE);
		v = xorshift(&x);
		if (v % 64 == 0 && i + 500 < n) {
			for (j = 0; j < 500; j++)
				p[i + j] =
				    10 * MRC_SPACE + (v >> 16) % MRC_SPACE + j;
			i += 499;
			continue;
		}
		d = (double)((v >> 11) % 1000000) / 1e6;
		u = (uint64_t)((double)MRC_SPACE * d * d * d);
		p[i] = v % 3 == 0 ? u % 2048 : MRC_SPACE + base + u;
	}
}

static struct mrc *
build(const uint64_t *p, size_t n, bool sampled)
{
	struct mrc *m = sampled ? mrc_new_sampled(MRC_SMAX) : mrc_new();
	size_t i;

	if (m == NULL)
		exit(1);
	for (i = 0; i < n; i++)
		if (mrc_ref(m, p[i]) != 0)
			exit(1);
	return m;
}

/*
 * real_trace: the exact curve against the sweep on the pages of a real
 * program's trace
 */
static int
real_trace(void)
{
	uint64_t *p = NULL, pg, frames[MRC_SIZES], sweep[MRC_SIZES], d, t0;
	size_t n = 0, cap = 0, i;
	double tsweep = 1e300, texact = 1e300, t;
	struct textbook_counts tc;
	struct tracefile *tf;
	struct textbook *tb;
	struct refmap *rm;
	struct mrc *m = NULL;
	char why[300];
	bool writes;
	int64_t id;
	int k, trial, agree = 1;

	if (tracefile_open(&tf, REAL_TRACE, why, sizeof(why)) != 0) {
		printf("real trace: %s; skipped\n", why);
		return 0;
	}
	while (tracefile_next_page(tf, 12, &pg, &writes) > 0) {
		if (n == cap) {
			cap = cap ? 2 * cap : 65536;
			if ((p = realloc(p, cap * sizeof(*p))) == NULL)
				return 1;
		}
		p[n++] = pg;
	}
	tracefile_close(tf);
	if ((rm = refmap_new()) == NULL)
		return 1;
	for (i = 0; i < n; i++)
		(void)refmap_id(rm, p[i]);
	d = refmap_count(rm);
	refmap_free(rm);
	for (k = 0; k < MRC_SIZES; k++)
		frames[k] = 1 + d * (uint64_t)(k + 1) / (MRC_SIZES + 1);
	for (trial = 0; trial < REAL_TRIES; trial++) {
		t0 = bench_now_ns();
		for (k = 0; k < MRC_SIZES; k++) {
			if ((tb = textbook_new(TB_LRU, frames[k])) == NULL ||
			    (rm = refmap_new()) == NULL)
				return 1;
			for (i = 0; i < n; i++)
				if ((id = refmap_id(rm, p[i])) < 0 ||
				    textbook_ref(tb, (uint32_t)id, TB_NEVER) <
					0)
					return 1;
			textbook_counts(tb, &tc);
			sweep[k] = tc.tc_faults;
			textbook_free(tb);
			refmap_free(rm);
		}
		t = (double)(bench_now_ns() - t0);
		if (t < tsweep)
			tsweep = t;
		mrc_free(m);
		t0 = bench_now_ns();
		m = build(p, n, false);
		for (k = 0; k < MRC_SIZES; k++)
			bench_sink += mrc_misses(m, frames[k]);
		t = (double)(bench_now_ns() - t0);
		if (t < texact)
			texact = t;
	}
	for (k = 0; k < MRC_SIZES; k++)
		agree &= mrc_misses(m, frames[k]) == sweep[k];
	printf("real trace (lackey, /bin/true: %zu references, %" PRIu64
	       " pages): the exact curve %.1f times faster than %d textbook "
	       "LRU runs (goal 50: %s); the curves %s\n",
	    n, d, tsweep / texact, MRC_SIZES,
	    tsweep / texact >= 50 ? "met" : "not met",
	    agree ? "agree at every size" : "DISAGREE");
	mrc_free(m);
	free(p);
	return agree ? 0 : 1;
}

/* long_sampled: the sampled curve of LONG_N references made as it goes */
static void
long_sampled(void)
{
	struct mrc *m = mrc_new_sampled(MRC_SMAX);
	struct mrc_stats ms;
	uint64_t x = 88172645463325252ULL, v, base = 0, i, t0;
	double d;

	if (m == NULL)
		exit(1);
	t0 = bench_now_ns();
	for (i = 0; i < LONG_N; i++) {
		/* the shape of make_trace's, without the scans */
		if (i % 500000 == 0)
			base = xorshift(&x) % (400 * MRC_SPACE);
		v = xorshift(&x);
		d = (double)((v >> 11) % 1000000) / 1e6;
		if (mrc_ref(m,
			v % 3 == 0 ? (v >> 20) % 2048 :
				     MRC_SPACE + base +
				(uint64_t)((double)MRC_SPACE * d * d * d)) != 0)
			exit(1);
	}
	t0 = bench_now_ns() - t0;
	mrc_stats(m, &ms);
	printf("sampled curve over %llu M references made as it goes: %.1f "
	       "s, peak memory %zu KiB (goal under 2 MB: %s), about %" PRIu64
	       " distinct pages\n",
	    LONG_N / 1000000, (double)t0 / 1e9, ms.ms_bytes_peak >> 10,
	    ms.ms_bytes_peak < 2000000 ? "met" : "not met", mrc_distinct(m));
	mrc_free(m);
}

int
main(void)
{
	uint64_t *p = malloc(MRC_N * sizeof(*p)), frames[MRC_SIZES],
		 sweep[MRC_SIZES], sum = 0, t0, d;
	double tsweep = 1e300, texact = 1e300, tsample = 1e300, t, err = 0, e;
	struct mrc *exact = NULL, *est = NULL;
	struct refmap *rm = refmap_new();
	int64_t id;
	struct mrc_stats xs, ss;
	struct textbook_counts tc;
	struct textbook *tb;
	int trial, k, agree = 1;
	size_t i;

	printf("--- bench_mrc: LRU miss-ratio curves in one pass\n");
	if (p == NULL || rm == NULL)
		return 1;
	make_trace(p, MRC_N);
	for (i = 0; i < MRC_N; i++)
		(void)refmap_id(rm, p[i]);
	d = refmap_count(rm);
	refmap_free(rm);
	for (k = 0; k < MRC_SIZES; k++)
		frames[k] = 1 + d * (uint64_t)(k + 1) / (MRC_SIZES + 1);
	printf("trace: %d references, %" PRIu64 " distinct pages; %d sizes "
	       "from %" PRIu64 " to %" PRIu64 " frames\n",
	    MRC_N, d, MRC_SIZES, frames[0], frames[MRC_SIZES - 1]);

	/* the baseline: one textbook LRU run a size (once: 50 runs) */
	t0 = bench_now_ns();
	for (k = 0; k < MRC_SIZES; k++) {
		if ((tb = textbook_new(TB_LRU, frames[k])) == NULL ||
		    (rm = refmap_new()) == NULL)
			return 1;
		for (i = 0; i < MRC_N; i++)
			if ((id = refmap_id(rm, p[i])) < 0 ||
			    textbook_ref(tb, (uint32_t)id, TB_NEVER) < 0)
				return 1;
		textbook_counts(tb, &tc);
		sweep[k] = tc.tc_faults;
		textbook_free(tb);
		refmap_free(rm);
	}
	tsweep = (double)(bench_now_ns() - t0);
	for (trial = 0; trial < MRC_TRIES; trial++) {
		mrc_free(exact);
		t0 = bench_now_ns();
		exact = build(p, MRC_N, false);
		for (k = 0; k < MRC_SIZES; k++)
			sum += mrc_misses(exact, frames[k]);
		t = (double)(bench_now_ns() - t0);
		if (t < texact)
			texact = t;
	}
	for (trial = 0; trial < MRC_TRIES; trial++) {
		mrc_free(est);
		t0 = bench_now_ns();
		est = build(p, MRC_N, true);
		for (k = 0; k < MRC_SIZES; k++)
			sum += mrc_misses(est, frames[k]);
		t = (double)(bench_now_ns() - t0);
		if (t < tsample)
			tsample = t;
	}
	bench_sink = sum;
	for (k = 0; k < MRC_SIZES; k++) {
		agree &= mrc_misses(exact, frames[k]) == sweep[k];
		e = mrc_miss_ratio(est, frames[k]) -
		    mrc_miss_ratio(exact, frames[k]);
		err += e < 0 ? -e : e;
	}
	err /= MRC_SIZES;
	mrc_stats(exact, &xs);
	mrc_stats(est, &ss);

	printf("exact curve, one pass: %.1f times faster than %d textbook "
	       "LRU runs (goal 50: %s); the curves %s\n",
	    tsweep / texact, MRC_SIZES,
	    tsweep / texact >= 50 ? "met" : "not met",
	    agree ? "agree at every size" : "DISAGREE");
	bench_line("  one reference, exact curve", texact / MRC_N,
	    "one reference, sweep", tsweep / MRC_N);
	printf("sampled curve (at most %d pages, final rate %.4f): mean "
	       "absolute error of the miss ratio %.4f (goal under 0.01: %s)\n",
	    MRC_SMAX, (double)ss.ms_threshold / MRC_HASHP, err,
	    err < 0.01 ? "met" : "not met");
	bench_line("  one reference, sampled curve", tsample / MRC_N,
	    "exact curve", texact / MRC_N);
	printf("  peak memory of its structures: %zu KiB = %.3f x the exact "
	       "curve's (%zu KiB); %u pages at most in the sample\n",
	    ss.ms_bytes_peak >> 10,
	    (double)ss.ms_bytes_peak / (double)xs.ms_bytes_peak,
	    xs.ms_bytes_peak >> 10, ss.ms_sampled_peak);
	mrc_free(exact);
	mrc_free(est);
	free(p);
	if (real_trace() != 0)
		agree = 0;
	long_sampled();
	return agree ? 0 : 1;
}
