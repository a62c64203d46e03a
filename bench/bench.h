/*
 * bench.h: timing helpers for the benchmarks.
 *
 * Every figure a benchmark prints is a ratio against a baseline measured
 * in the same run, so the numbers mean something on a shared, noisy
 * machine.  Each measurement is the best of several trials, but for
 * bench_html's demonstration: a run of a few milliseconds, it is the
 * median over many of each run's time over its baseline's beside it.
 *
 * Some figures also have a floor: the bare host work the VM operation
 * cannot do without (the page's bytes zeroed, copied or written to a
 * file), measured on the same number of pages in the same run; and a
 * goal, a ratio the figure should stay under, printed with whether it
 * is met and by how much.
 */

#ifndef _BENCH_BENCH_H_
#define _BENCH_BENCH_H_

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <emmintrin.h>
#endif

#define BENCH_TRIALS 7

static inline uint64_t
bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* a sink the compiler cannot see through */
extern volatile uint64_t bench_sink;

/*
 * BENCH_BEST(result_ns_per_op, n, body): run body n times per trial and
 * keep the best trial's cost per operation, in nanoseconds.
 */
#define BENCH_BEST(res, n, body)                                          \
	do {                                                              \
		double best_ = 1e300;                                     \
		for (int trial_ = 0; trial_ < BENCH_TRIALS; trial_++) {   \
			uint64_t t0_ = bench_now_ns();                    \
			for (long i_ = 0; i_ < (long)(n); i_++) {         \
				body;                                     \
			}                                                 \
			double per_ =                                     \
			    (double)(bench_now_ns() - t0_) / (double)(n); \
			if (per_ < best_)                                 \
				best_ = per_;                             \
		}                                                         \
		(res) = best_;                                            \
	} while (0)

static inline void
bench_line(const char *what, double ns, const char *base, double base_ns)
{
	printf("%-44s %9.1f ns  = %7.2f x %s\n", what, ns, ns / base_ns, base);
}

/*
 * bench_goal: say whether a figure of ns, limit x base_ns at most, met
 * its goal, and by how much: the room left under the limit, or how far
 * over it the figure is.
 */
static inline void
bench_goal(double ns, double limit, const char *base, double base_ns)
{
	double ratio = ns / base_ns;

	if (ratio <= limit)
		printf("    goal: at most %.2f x %s: met, %.0f%% under\n",
		    limit, base, 100.0 * (1.0 - ratio / limit));
	else
		printf("    goal: at most %.2f x %s: not met, %.0f%% over\n",
		    limit, base, 100.0 * (ratio / limit - 1.0));
}

/*
 * bench_uncache: make sure no cache holds the len bytes at p, as for a
 * page the machine has not used for a while: each cache line is flushed
 * (x86), or else a buffer larger than any cache is written over.
 */
static inline void
bench_uncache(const void *p, size_t len)
{
#if defined(__x86_64__) || defined(__i386__)
	const char *c = p;
	size_t off;

	for (off = 0; off < len; off += 64)
		_mm_clflush(c + off);
	_mm_mfence();
#else
	static volatile char evict[(size_t)256 << 20];
	size_t off;

	(void)p;
	(void)len;
	for (off = 0; off < sizeof(evict); off += 64)
		evict[off]++;
#endif
}

#endif /* _BENCH_BENCH_H_ */
