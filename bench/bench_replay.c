/*
 * bench_replay.c: trace replay -- how fast references go through the
 * whole VM, how fast lackey text is read, how fast textbook mode
 * counts -- and, on a trace recorded from a real program at bench time,
 * how far each policy is from OPT.
 *
 * Baselines measured in the same run:
 *   - a host load per reference, at the same page addresses, from an
 *     array the size of the working set (the floor of a replay);
 *   - reading the same lackey text with fgets and strtoull (the floor of
 *     a lackey parser);
 *   - reading the binary trace alone (tracefile_next), for textbook mode.
 *
 * 1. full-VM replay of REPLAY_N references over REPLAY_PAGES pages of a
 *    machine with room for all of them (after the first touches every
 *    reference is a hit through the MMU): references a second, and the
 *    cost per reference over the host load.  Goal: 20 million a second.
 * 2. lackey parsing: lines a second, over fgets + strtoull.  Goal: 10
 *    million a second.
 * 3. textbook mode, lru and opt, 64 frames over the same pages:
 *    references a second, over reading the binary trace alone.
 * 4. the real program (valgrind lackey on ls -l /usr/include): clock,
 *    fifo and lru page-ins (full VM) and faults (textbook) as ratios to
 *    opt at 25, 50 and 75 % of its footprint.  Skipped, and said so, if
 *    valgrind cannot be run.
 */

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "sim/replay.h"
#include "sim/textbook.h"
#include "sim/tracefile.h"

volatile uint64_t bench_sink;

#define REPLAY_N     2000000
#define REPLAY_PAGES 256
#define LACKEY_N     2000000
#define PAGE	     4096u

static char tmpdir[] = "/tmp/uvmsim-bench.XXXXXX";

static uint64_t
xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* the references: loads and stores over REPLAY_PAGES pages at 1 GiB */
static uint64_t
ref_addr(uint64_t r)
{
	return 0x40000000u + (r % REPLAY_PAGES) * PAGE + (r >> 32) % PAGE;
}

static void
make_traces(const char *bin, const char *lackey)
{
	struct tracewriter *tw;
	struct tf_ref r;
	uint64_t x = 88172645463325252ULL, v;
	char why[300];
	FILE *f;
	long i;

	if (tracewriter_open(&tw, bin, false, why, sizeof(why)) != 0) {
		fprintf(stderr, "bench_replay: %s\n", why);
		exit(1);
	}
	for (i = 0; i < REPLAY_N; i++) {
		v = xorshift(&x);
		r.tr_addr = ref_addr(v) & ~(uint64_t)7;
		r.tr_size = 8;
		r.tr_kind = (v & 3) == 0 ? TF_STORE : TF_LOAD;
		(void)tracewriter_put(tw, &r);
	}
	if (tracewriter_close(tw, true, why, sizeof(why)) != 0) {
		fprintf(stderr, "bench_replay: %s\n", why);
		exit(1);
	}
	if ((f = fopen(lackey, "w")) == NULL) {
		perror(lackey);
		exit(1);
	}
	for (i = 0; i < LACKEY_N; i++) {
		v = xorshift(&x);
		if ((v & 7) < 5)
			fprintf(f, "I  %08" PRIx64 ",%u\n",
			    0x4000000 + (v >> 40) % 0x100000,
			    1 + (unsigned)(v & 7));
		else
			fprintf(f, " %c %010" PRIx64 ",8\n",
			    (v & 7) == 5     ? 'L' :
				(v & 7) == 6 ? 'S' :
					       'M',
			    0x1ffefff000 + (v >> 44) % 0x10000);
	}
	fclose(f);
}

/* seconds for one replay of traces under policy, in memory pages */
static double
replay_once(const char *const *traces, int n, const char *policy,
    uint64_t memory, uint64_t frames, struct replay_result *rr)
{
	struct replay_opts o;
	FILE *devnull = fopen("/dev/null", "w");
	uint64_t t0;
	int rv;

	memset(&o, 0, sizeof(o));
	machine_config_default(&o.ro_mc);
	o.ro_mc.mc_npages = memory;
	o.ro_mc.mc_policy = policy;
	o.ro_traces = traces;
	o.ro_ntraces = n;
	o.ro_frames = frames;
	o.ro_out = devnull;
	o.ro_result = rr;
	t0 = bench_now_ns();
	rv = replay_run(&o);
	t0 = bench_now_ns() - t0;
	fclose(devnull);
	if (rv != 0) {
		fprintf(stderr, "bench_replay: replay failed (%d)\n", rv);
		exit(1);
	}
	return (double)t0 / 1e9;
}

static void
bench_vm(const char *bin)
{
	const char *traces[] = { bin };
	struct replay_result rr;
	uint8_t *ws = calloc(REPLAY_PAGES, PAGE);
	uint64_t x = 88172645463325252ULL, sum = 0;
	double best = 1e300, base, t, per;
	int trial;

	/* the floor: a host load per reference, same addresses */
	BENCH_BEST(base, REPLAY_N, {
		uint64_t v = xorshift(&x);
		sum += ws[ref_addr(v) - 0x40000000u];
	});
	bench_sink = sum;
	for (trial = 0; trial < 3; trial++) {
		t = replay_once(traces, 1, "clock", 1024, 0, &rr);
		if (t < best)
			best = t;
	}
	per = best * 1e9 / (double)rr.rr_refs;
	printf("full-VM replay, resident working set: %.1f M references/s "
	       "(goal 20 M/s: %s)\n",
	    (double)rr.rr_refs / best / 1e6,
	    (double)rr.rr_refs / best >= 20e6 ? "met" : "not met");
	bench_line("  one reference through the MMU", per, "host load", base);
	free(ws);
}

static void
bench_lackey(const char *lackey)
{
	struct tracefile *tf;
	struct tf_ref r;
	char line[256], why[300], *end;
	double base = 1e300, best = 1e300, t;
	uint64_t t0, sum = 0, n = 0;
	int trial;
	FILE *f;

	for (trial = 0; trial < 3; trial++) {
		/* the floor: fgets and strtoull, the address and the size */
		f = fopen(lackey, "r");
		t0 = bench_now_ns();
		n = 0;
		while (fgets(line, sizeof(line), f) != NULL) {
			sum += strtoull(line + 3, &end, 16);
			sum += strtoull(end + 1, NULL, 10);
			n++;
		}
		t = (double)(bench_now_ns() - t0) / (double)n;
		fclose(f);
		if (t < base)
			base = t;
		if (tracefile_open(&tf, lackey, why, sizeof(why)) != 0) {
			fprintf(stderr, "bench_replay: %s\n", why);
			exit(1);
		}
		t0 = bench_now_ns();
		while (tracefile_next(tf, &r) > 0)
			sum += r.tr_addr;
		t = (double)(bench_now_ns() - t0) / (double)tracefile_count(tf);
		tracefile_close(tf);
		if (t < best)
			best = t;
	}
	bench_sink = sum;
	printf("lackey parsing: %.1f M lines/s (goal 10 M/s: %s)\n", 1e3 / best,
	    1e3 / best >= 10.0 ? "met" : "not met");
	bench_line("  one lackey line", best, "fgets+strtoull", base);
}

static void
bench_textbook(const char *bin)
{
	const char *traces[] = { bin };
	struct replay_result rr;
	struct tracefile *tf;
	struct tf_ref r;
	char why[300];
	double read = 1e300, t, best;
	uint64_t t0, sum = 0;
	const char *pol[] = { "lru", "opt" };
	int trial, k;

	for (trial = 0; trial < 3; trial++) {
		if (tracefile_open(&tf, bin, why, sizeof(why)) != 0)
			exit(1);
		t0 = bench_now_ns();
		while (tracefile_next(tf, &r) > 0)
			sum += r.tr_addr;
		t = (double)(bench_now_ns() - t0) / (double)tracefile_count(tf);
		tracefile_close(tf);
		if (t < read)
			read = t;
	}
	bench_sink = sum;
	for (k = 0; k < 2; k++) {
		best = 1e300;
		for (trial = 0; trial < 3; trial++) {
			t = replay_once(traces, 1, pol[k], 1024, 64, &rr);
			if (t < best)
				best = t;
		}
		printf("textbook %s, 64 frames: %.1f M references/s\n", pol[k],
		    (double)rr.rr_refs / best / 1e6);
		bench_line("  one reference", best * 1e9 / (double)rr.rr_refs,
		    "reading it", read);
	}
}

static void
bench_real(void)
{
	char trace[sizeof(tmpdir) + 32], cmd[512];
	const char *traces[1] = { trace };
	const char *pols[] = { "clock", "fifo", "lru", "opt" };
	struct replay_result rr;
	uint64_t fp, pages[4], quarter;
	struct tracefile *tf;
	struct refmap *rm;
	uint64_t p;
	char why[300];
	bool writes;
	int k, mode;

	snprintf(trace, sizeof(trace), "%s/ls.lackey", tmpdir);
	snprintf(cmd, sizeof(cmd),
	    "valgrind --tool=lackey --trace-mem=yes --log-file=%s ls -l "
	    "/usr/include >/dev/null 2>&1",
	    trace);
	if (system(cmd) != 0) {
		printf("real program: valgrind could not be run; skipped\n");
		return;
	}
	if (tracefile_open(&tf, trace, why, sizeof(why)) != 0 ||
	    (rm = refmap_new()) == NULL) {
		printf("real program: %s\n", why);
		return;
	}
	while (tracefile_next_page(tf, 12, &p, &writes) > 0)
		(void)refmap_id(rm, p);
	fp = refmap_count(rm);
	printf("real program (valgrind lackey, ls -l /usr/include): %" PRIu64
	       " references, %" PRIu64 " pages\n",
	    tracefile_count(tf), fp);
	refmap_free(rm);
	tracefile_close(tf);
	for (mode = 0; mode < 2; mode++) {
		printf("  %-10s %6s %10s %10s %10s %10s\n",
		    mode == 0 ? "full VM" : "textbook", "of fp", "clock/opt",
		    "fifo/opt", "lru/opt", "opt");
		for (quarter = 1; quarter <= 3; quarter++) {
			uint64_t size = fp * quarter / 4;

			for (k = 0; k < 4; k++) {
				(void)replay_once(traces, 1, pols[k],
				    mode == 0 ? size : 1024,
				    mode == 0 ? 0 : size, &rr);
				pages[k] =
				    mode == 0 ? rr.rr_pageins : rr.rr_faults;
			}
			printf("  %-10s %5" PRIu64 "%%", "", quarter * 25);
			for (k = 0; k < 3; k++) {
				if (pages[3] > 0)
					printf(" %10.2f",
					    (double)pages[k] /
						(double)pages[3]);
				else
					/* opt took none: no ratio */
					printf(" %8" PRIu64 "/0", pages[k]);
			}
			printf(" %10" PRIu64 "\n", pages[3]);
		}
	}
}

int
main(void)
{
	char bin[sizeof(tmpdir) + 32], lackey[sizeof(tmpdir) + 32];

	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	snprintf(bin, sizeof(bin), "%s/refs.uvt", tmpdir);
	snprintf(lackey, sizeof(lackey), "%s/refs.lackey", tmpdir);
	printf("--- bench_replay: trace replay\n");
	make_traces(bin, lackey);
	bench_vm(bin);
	bench_lackey(lackey);
	bench_textbook(bin);
	bench_real();
	unlink(bin);
	unlink(lackey);
	snprintf(bin, sizeof(bin), "%s/ls.lackey", tmpdir);
	unlink(bin);
	rmdir(tmpdir);
	return 0;
}
