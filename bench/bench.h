/*
 * bench.h: timing helpers for the benchmarks.
 *
 * Every figure a benchmark prints is a ratio against a baseline measured
 * in the same run, so the numbers mean something on a shared, noisy
 * machine.  Each measurement is the best of several trials.
 */

#ifndef _BENCH_BENCH_H_
#define _BENCH_BENCH_H_

#include <stdint.h>
#include <stdio.h>
#include <time.h>

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

#endif /* _BENCH_BENCH_H_ */
