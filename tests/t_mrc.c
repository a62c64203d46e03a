/*
 * t_mrc.c: one-pass miss-ratio curves -- the exact curve against
 * textbook LRU run once per size, the sampled curve's error against
 * the exact one, the sampler's bounded memory, and uvmsim replay --mrc
 * printing what the per-size sweep prints.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h_run.h"
#include "machine/types.h"
#include "sim/mrc.h"
#include "sim/textbook.h"
#include "sim/tracefile.h"

#define FIXTURE TESTS_SRCDIR "/traces/true.lackey.xz"

static uint64_t
xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* lru_faults: textbook LRU with frames frames over p[0..n) */
static uint64_t
lru_faults(const uint64_t *p, size_t n, uint64_t frames)
{
	struct textbook *tb = textbook_new(TB_LRU, frames);
	struct refmap *rm = refmap_new();
	struct textbook_counts tc;
	size_t i;
	int64_t id;

	ATF_REQUIRE(tb != NULL && rm != NULL);
	for (i = 0; i < n; i++) {
		id = refmap_id(rm, p[i]);
		ATF_REQUIRE(id >= 0);
		ATF_REQUIRE(textbook_ref(tb, (uint32_t)id, TB_NEVER) >= 0);
	}
	textbook_counts(tb, &tc);
	ATF_REQUIRE_EQ(tc.tc_refs, n);
	textbook_free(tb);
	refmap_free(rm);
	return tc.tc_faults;
}

/* fixture_pages: the fixture's pages of 4 KiB, every one a reference */
static uint64_t *
fixture_pages(size_t *np)
{
	struct tracefile *tf;
	struct tf_ref r;
	uint64_t *p = NULL, first, last, q;
	size_t n = 0, cap = 0;
	char why[512];
	int got;

	if (tracefile_open(&tf, FIXTURE, why, sizeof(why)) != 0)
		atf_tc_fail("%s", why);
	while ((got = tracefile_next(tf, &r)) > 0) {
		ATF_REQUIRE(tf_pages(&r, 12, &first, &last));
		for (q = first;; q++) {
			if (n == cap) {
				cap = cap == 0 ? 1 << 16 : cap * 2;
				p = realloc(p, cap * sizeof(*p));
				ATF_REQUIRE(p != NULL);
			}
			p[n++] = q;
			if (q == last)
				break;
		}
	}
	ATF_REQUIRE_EQ(got, 0);
	tracefile_close(tf);
	*np = n;
	return p;
}

/* curve: a curve of kind (smax 0: exact) over p[0..n) */
static struct mrc *
curve(const uint64_t *p, size_t n, uint32_t smax)
{
	struct mrc *m = smax == 0 ? mrc_new() : mrc_new_sampled(smax);
	size_t i;

	ATF_REQUIRE(m != NULL);
	for (i = 0; i < n; i++)
		ATF_REQUIRE_EQ(mrc_ref(m, p[i]), 0);
	ATF_REQUIRE_EQ(mrc_refs(m), n);
	return m;
}

/* mean_error: the mean absolute error of the miss ratio, nf sizes */
static double
mean_error(const struct mrc *exact, const struct mrc *est,
    const uint64_t *frames, size_t nf)
{
	double sum = 0, e;
	size_t i;

	for (i = 0; i < nf; i++) {
		e = mrc_miss_ratio(est, frames[i]) -
		    mrc_miss_ratio(exact, frames[i]);
		sum += e < 0 ? -e : e;
	}
	return sum / (double)nf;
}

ATF_TC_WITHOUT_HEAD(exact_matches_lru_on_random_strings);
ATF_TC_BODY(exact_matches_lru_on_random_strings, tc)
{
	/* few pages to many: hits at every distance, and compactions */
	static const uint64_t npages[] = { 1, 3, 10, 64, 300, 2000 };
	enum { N = 6000 };
	uint64_t *p = malloc(N * sizeof(*p)), x = 0x9e3779b97f4a7c15ULL, f;
	struct mrc *m;
	size_t k, i;

	ATF_REQUIRE(p != NULL);
	for (k = 0; k < __arraycount(npages); k++) {
		for (i = 0; i < N; i++) {
			/* a hot half and a cold half, pages far apart */
			uint64_t v = xorshift(&x);

			p[i] = (v % 4 == 0 ? v >> 8 : (v >> 8) % 4) %
			    npages[k] * 0x10001;
		}
		m = curve(p, N, 0);
		for (f = 1; f <= npages[k] + 2; f += 1 + f / 16)
			ATF_CHECK_EQ_MSG(mrc_misses(m, f), lru_faults(p, N, f),
			    "%ju pages, %ju frames", (uintmax_t)npages[k],
			    (uintmax_t)f);
		ATF_CHECK(mrc_distinct(m) <= npages[k]);
		ATF_CHECK_EQ(mrc_misses(m, npages[k]), mrc_distinct(m));
		mrc_free(m);
	}
	free(p);
}

ATF_TC_WITHOUT_HEAD(exact_matches_lru_on_loops);
ATF_TC_BODY(exact_matches_lru_on_loops, tc)
{
	/*
	 * loops of 6 to 11 pages, then back and forth: every reference at a
	 * distance about the length, on either side of the 8 most recent
	 * pages an exact curve keeps out of its tree
	 */
	enum { N = 3000 };
	uint64_t p[N], len, f;
	struct mrc *m;
	size_t i;

	for (len = 6; len <= 11; len++) {
		for (i = 0; i < N; i++)
			p[i] = (i / (N / 2)) == 0 ? i % len :
			    (i / len) % 2 == 0	  ? i % len :
						    len - 1 - i % len;
		m = curve(p, N, 0);
		for (f = 1; f <= len + 1; f++)
			ATF_CHECK_EQ_MSG(mrc_misses(m, f), lru_faults(p, N, f),
			    "a loop of %ju, %ju frames", (uintmax_t)len,
			    (uintmax_t)f);
		mrc_free(m);
	}
}

ATF_TC_WITHOUT_HEAD(exact_matches_lru_on_the_fixture);
ATF_TC_BODY(exact_matches_lru_on_the_fixture, tc)
{
	size_t n, i;
	uint64_t *p = fixture_pages(&n), d, f;
	struct mrc *m = curve(p, n, 0);

	d = mrc_distinct(m);
	ATF_REQUIRE(d > 20);
	for (i = 0; i <= 20; i++) {
		f = 1 + d * i / 20;
		ATF_CHECK_EQ_MSG(mrc_misses(m, f), lru_faults(p, n, f),
		    "%ju frames", (uintmax_t)f);
	}
	mrc_free(m);
	free(p);
}

ATF_TC_WITHOUT_HEAD(sampled_close_on_the_fixture);
ATF_TC_BODY(sampled_close_on_the_fixture, tc)
{
	size_t n, i;
	uint64_t *p = fixture_pages(&n), frames[40];
	struct mrc *exact = curve(p, n, 0), *full, *small;
	struct mrc_stats ms;
	double err;

	for (i = 0; i < __arraycount(frames); i++)
		frames[i] = 1 + mrc_distinct(exact) * i / __arraycount(frames);
	/* a sample as large as the footprint is the whole trace: exact */
	full = curve(p, n, MRC_SMAX);
	mrc_stats(full, &ms);
	ATF_REQUIRE(mrc_distinct(exact) <= MRC_SMAX);
	ATF_CHECK_EQ(ms.ms_threshold, MRC_HASHP);
	for (i = 0; i < __arraycount(frames); i++)
		ATF_CHECK_EQ(mrc_misses(full, frames[i]),
		    mrc_misses(exact, frames[i]));
	/* a quarter of the pages, then */
	small = curve(p, n, (uint32_t)mrc_distinct(exact) / 4);
	mrc_stats(small, &ms);
	ATF_CHECK(ms.ms_threshold < MRC_HASHP);
	err = mean_error(exact, small, frames, __arraycount(frames));
	printf("fixture: rate %.4f, mean absolute error %.5f\n",
	    (double)ms.ms_threshold / MRC_HASHP, err);
	ATF_CHECK_MSG(err < 0.01, "mean absolute error %f", err);
	mrc_free(exact);
	mrc_free(full);
	mrc_free(small);
	free(p);
}

/*
 * a trace with locality: phases, each with its own working set drawn
 * from a skewed distribution over a large address space, a shared hot
 * set, and now and then a sequential scan
 */
static uint64_t *
locality_trace(size_t n, uint64_t space)
{
	uint64_t *p = malloc(n * sizeof(*p)), x = 88172645463325252ULL,
		 base = 0, v, u;
	size_t i, j;

	ATF_REQUIRE(p != NULL);
	for (i = 0; i < n; i++) {
		if (i % 200000 == 0)
			base = xorshift(&x) % space;
		v = xorshift(&x);
		if (v % 64 == 0 && i + 500 < n) {
			for (j = 0; j < 500; j++, i++)
				p[i] = 5 * space + (v >> 16) % space + j;
			i--;
			continue;
		}
		u = (v >> 11) % 1000000;
		/* u^3 / 10^18 of the space: mostly small offsets */
		u = (uint64_t)((double)space * ((double)u / 1e6) *
		    ((double)u / 1e6) * ((double)u / 1e6));
		p[i] = v % 3 == 0 ? u % 2048 : (base + u) % space + space;
	}
	return p;
}

ATF_TC_WITHOUT_HEAD(sampled_close_on_a_large_trace);
ATF_TC_BODY(sampled_close_on_a_large_trace, tc)
{
	enum { N = 3000000 };
	uint64_t *p = locality_trace(N, 400000), frames[50], d;
	struct mrc *exact = curve(p, N, 0), *est = curve(p, N, MRC_SMAX);
	struct mrc_stats ms;
	double err;
	size_t i;

	d = mrc_distinct(exact);
	ATF_REQUIRE(d > 8 * MRC_SMAX);
	for (i = 0; i < __arraycount(frames); i++)
		frames[i] = 1 + d * i / __arraycount(frames);
	mrc_stats(est, &ms);
	err = mean_error(exact, est, frames, __arraycount(frames));
	printf("%ju distinct pages, rate %.4f, mean absolute error %.5f\n",
	    (uintmax_t)d, (double)ms.ms_threshold / MRC_HASHP, err);
	ATF_CHECK(ms.ms_threshold < MRC_HASHP / 4);
	ATF_CHECK_MSG(err < 0.01, "mean absolute error %f", err);
	/* the estimated footprint, within 10% */
	ATF_CHECK(
	    mrc_distinct(est) > d * 9 / 10 && mrc_distinct(est) < d * 11 / 10);
	mrc_free(exact);
	mrc_free(est);
	free(p);
}

ATF_TC_WITHOUT_HEAD(sampler_memory_is_bounded);
ATF_TC_BODY(sampler_memory_is_bounded, tc)
{
	enum { SMAX = 100, N = 400000 };
	struct mrc *m = mrc_new_sampled(SMAX);
	struct mrc_stats ms;
	uint64_t x = 7, i;
	size_t bytes = 0;

	ATF_REQUIRE(m != NULL);
	/* every page new, then a loop over many: the sample stays full */
	for (i = 0; i < N; i++) {
		ATF_REQUIRE_EQ(mrc_ref(m, i < N / 2 ? i : xorshift(&x) % 50000),
		    0);
		mrc_stats(m, &ms);
		ATF_REQUIRE_MSG(ms.ms_sampled <= SMAX, "%u sampled after %ju",
		    ms.ms_sampled, (uintmax_t)i);
		if (i == 1000)
			bytes = ms.ms_bytes_peak;
	}
	ATF_CHECK_EQ(ms.ms_sampled_peak, SMAX);
	ATF_CHECK(ms.ms_threshold < MRC_HASHP / 100);
	/* nothing grew after the first thousand references */
	ATF_CHECK_EQ(ms.ms_bytes_peak, bytes);
	ATF_CHECK_EQ(mrc_refs(m), N);
	mrc_free(m);
}

ATF_TC(replay_mrc_prints_the_sweeps_table);
ATF_TC_HEAD(replay_mrc_prints_the_sweeps_table, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "uvmsim replay --mrc prints, byte for byte, the table of "
	    "--policy lru swept over the same frames");
}
ATF_TC_BODY(replay_mrc_prints_the_sweeps_table, tc)
{
	static const char *const one[] = { "replay", "--mrc", "--frames",
		"1,2,3,10%,20..200/20,5000", FIXTURE, NULL };
	static const char *const sweep[] = { "replay", "--policy", "lru",
		"--frames", "1,2,3,10%,20..200/20,5000", FIXTURE, NULL };
	static const char *const pow2[] = { "replay", "--mrc", FIXTURE, NULL };
	static const char *const sampled[] = { "replay", "--mrc", "--sample",
		"--frames", "1,2,3,10%,20..200/20,5000", FIXTURE, NULL };
	static const char *const bad[] = { "replay", "--mrc", "--policy",
		"fifo", FIXTURE, NULL };
	static const char last[] =
	    "lru            256       171487          141    99.92       -";
	struct h_run a, b, c;
	const char *tab;
	size_t len;

	h_run_uvmsim(tc, one, &a);
	h_run_uvmsim(tc, sweep, &b);
	ATF_REQUIRE_EQ_MSG(a.r_status, 0, "%s", a.r_err1);
	ATF_REQUIRE_EQ_MSG(b.r_status, 0, "%s", b.r_err1);
	ATF_CHECK_STREQ(a.r_out, b.r_out);
	ATF_CHECK(strstr(a.r_out, "lru             20       171487") != NULL);
	/* the footprint fits in a sample: the same table, after the rate */
	h_run_uvmsim(tc, sampled, &c);
	ATF_REQUIRE_EQ_MSG(c.r_status, 0, "%s", c.r_err1);
	tab = strchr(c.r_out, '\n');
	ATF_REQUIRE(tab != NULL);
	ATF_CHECK(strstr(c.r_out, "sampled at rate 1.000000") != NULL &&
	    strstr(c.r_out, "sampled at rate 1.000000") < tab);
	ATF_CHECK_STREQ(tab + 1, b.r_out);
	h_run_free(&a);
	h_run_free(&c);
	/* powers of two, to the first at least the footprint (141) */
	h_run_uvmsim(tc, pow2, &a);
	ATF_REQUIRE_EQ(a.r_status, 0);
	ATF_CHECK(strstr(a.r_out, "lru            128 ") != NULL);
	tab = h_last_line(a.r_out, a.r_outlen, &len);
	ATF_CHECK_MSG(len == strlen(last) && strncmp(tab, last, len) == 0, "%s",
	    a.r_out1);
	h_run_free(&a);
	h_run_uvmsim(tc, bad, &a);
	ATF_CHECK_EQ(a.r_status, 2);
	ATF_CHECK(strstr(a.r_err, "lru alone") != NULL);
	h_run_free(&a);
	h_run_free(&b);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, exact_matches_lru_on_random_strings);
	ATF_TP_ADD_TC(tp, exact_matches_lru_on_loops);
	ATF_TP_ADD_TC(tp, exact_matches_lru_on_the_fixture);
	ATF_TP_ADD_TC(tp, sampled_close_on_the_fixture);
	ATF_TP_ADD_TC(tp, sampled_close_on_a_large_trace);
	ATF_TP_ADD_TC(tp, sampler_memory_is_bounded);
	ATF_TP_ADD_TC(tp, replay_mrc_prints_the_sweeps_table);
	return atf_no_error();
}
