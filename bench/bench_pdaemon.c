/*
 * bench_pdaemon.c: replacement policies and the pagedaemon's cost.
 *
 * 1. Faults: one process replays a synthetic reference string over a
 *    footprint of B_FOOT pages on machines whose memory leaves it about
 *    25%, 50% and 75% of its footprint, under each policy.  The figure is
 *    the faults that had to read a page back from swap (flt_anget), as
 *    a ratio against OPT's on the same string and machine -- the optimum,
 *    measured in the same run.  The strings:
 *
 *	loop    0, 1, ..., F-1, 0, 1, ... (LRU's and the clock's worst case)
 *	random  uniform
 *	mixed   90% of references to a hot tenth of the pages, 10% uniform
 *
 * 2. Scan cost: host time the pagedaemon spends per page it pages out
 *    (scan, cluster, swap write to the host file, free) over
 *    B_SCAN_ROUNDS wakeups, each making up for the free pages the host
 *    took, as a ratio
 *    against memset of one page, the best of several trials; and against
 *    its floor, the same writes done bare: right after each trial, as
 *    many pages as it paged out, in as many writes (pwritev of one iovec
 *    a page, as the swap disk does), to a new unlinked file of the swap
 *    file's size in the swap file's directory.  The goal (issue 15) is
 *    printed under it.
 *
 * Fault counts are the simulation's own and the same on every run;
 * only the scan cost is a time.
 */

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "bench.h"
#include "kern/kern.h"
#include "machine/swapdisk.h"
#include "uvm/uvm.h"

volatile uint64_t bench_sink;

#define B_FOOT 512  /* footprint, pages */
#define B_REFS 8192 /* references per string */

enum b_pattern { B_LOOP, B_RANDOM, B_MIXED, B_NPATTERN };
static const char *const b_pattern_name[] = { "loop", "random", "mixed" };
static const char *const b_policy[] = { "opt", "clock", "lru", "fifo" };

struct b_replay {
	uint32_t refs[B_REFS];
	uint64_t next[B_REFS];	  /* the next index with the same page */
	uint64_t nextuse[B_FOOT]; /* each page's next use, as of now */
	vaddr_t va;
	bool done;
};

static struct b_replay b_rp;

static uint32_t
b_rand(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

static void
b_make_string(enum b_pattern pat)
{
	uint32_t seed = 0x12345678u;
	uint64_t last[B_FOOT];
	size_t i;

	for (i = 0; i < B_REFS; i++) {
		switch (pat) {
		case B_LOOP:
			b_rp.refs[i] = (uint32_t)(i % B_FOOT);
			break;
		case B_RANDOM:
			b_rp.refs[i] = b_rand(&seed) % B_FOOT;
			break;
		default:
			b_rp.refs[i] = b_rand(&seed) % 10 != 0 ?
			    b_rand(&seed) % (B_FOOT / 10) :
			    b_rand(&seed) % B_FOOT;
			break;
		}
	}
	for (i = 0; i < B_FOOT; i++)
		last[i] = UVMPDPOL_NEVER;
	for (i = B_REFS; i-- > 0;) {
		b_rp.next[i] = last[b_rp.refs[i]];
		last[b_rp.refs[i]] = i;
	}
	for (i = 0; i < B_FOOT; i++)
		b_rp.nextuse[i] = last[i];
}

/* opt's oracle: the next use of the page, as the replay stands */
static uint64_t
b_oracle(const struct vm_page *pg __unused, vaddr_t va, void *arg __unused)
{
	vaddr_t pgi = (va - b_rp.va) / PAGE_SIZE;

	if (va < b_rp.va || pgi >= B_FOOT)
		return UVMPDPOL_NEVER;
	return b_rp.nextuse[pgi];
}

static int
b_prog(struct proc *p, void *arg __unused)
{
	unsigned char c = 1;
	size_t i;

	b_rp.va = 0;
	if (proc_mmap(p, 0, ptoa(B_FOOT), VM_PROT_READ | VM_PROT_WRITE,
		MMAP_ANON | MMAP_PRIVATE, -1, 0, &b_rp.va) != 0)
		return 1;
	for (i = 0; i < B_REFS; i++) {
		b_rp.nextuse[b_rp.refs[i]] = b_rp.next[i];
		(void)proc_store(p, b_rp.va + ptoa(b_rp.refs[i]), &c, 1);
	}
	b_rp.done = true;
	return 0;
}

/*
 * b_faults: replay the string under policy on a machine that leaves the
 * process about pct% of its footprint; returns the page-ins, or -1.
 */
static long
b_faults(const char *policy, int pct, int *residentp)
{
	struct machine_config mc;
	struct proc *p;
	long faults;
	int pid, st;

	machine_config_default(&mc);
	mc.mc_swapslots = 4 * B_FOOT;
	/* the kernel threads' and the process's u-areas, and freetarg */
	mc.mc_npages = (size_t)(B_FOOT * pct / 100) + 4 * 4 + 16;
	if (kern_boot(&mc) != 0)
		return -1;
	uvmpdpol_set_oracle(b_oracle, NULL);
	if (uvmpdpol_select(policy) != 0 ||
	    kern_spawn("replay", b_prog, NULL, &p) != 0) {
		kern_shutdown();
		return -1;
	}
	pid = p->p_pid;
	b_rp.done = false;
	*residentp = uvmexp.free - uvmexp.freetarg;
	(void)kern_run(SIMTIME_NEVER);
	faults = b_rp.done && kern_collect(pid, &st) == 0 && st == 0 ?
	    (long)uvmexp.flt_anget :
	    -1;
	kern_shutdown();
	return faults;
}

static int
b_policies(void)
{
	static const int pcts[] = { 25, 50, 75 };
	long f, opt;
	int pat, i, j, resident;
	char what[64];

	printf(
	    "== page-ins under each policy, %d-page footprint, %d references "
	    "(ratio to OPT's)\n",
	    B_FOOT, B_REFS);
	for (pat = 0; pat < B_NPATTERN; pat++) {
		b_make_string((enum b_pattern)pat);
		for (i = 0; i < 3; i++) {
			opt = 0;
			for (j = 0; j < 4; j++) {
				f = b_faults(b_policy[j], pcts[i], &resident);
				if (f < 0) {
					printf("%s %s at %d%%: did not run\n",
					    b_pattern_name[pat], b_policy[j],
					    pcts[i]);
					return 1;
				}
				if (j == 0)
					opt = f;
				snprintf(what, sizeof(what),
				    "%-6s %3d%% (%3d pages), %-5s",
				    b_pattern_name[pat], pcts[i], resident,
				    b_policy[j]);
				if (opt > 0)
					printf("%-44s %9ld     = %7.2f x opt\n",
					    what, f, (double)f / (double)opt);
				else
					printf("%-44s %9ld     (opt: none)\n",
					    what, f);
			}
		}
	}
	return 0;
}

/* a program that writes its n pages once, then sleeps */
static int
b_writer(struct proc *p, void *arg)
{
	long n = (long)(intptr_t)arg;
	vaddr_t va = 0;

	if (proc_mmap(p, 0, ptoa(n), VM_PROT_READ | VM_PROT_WRITE,
		MMAP_ANON | MMAP_PRIVATE, -1, 0, &va) != 0)
		return 1;
	(void)proc_fill(p, va, 'w', ptoa(n));
	(void)proc_sleep(p, 1000000000ull);
	return 0;
}

#define B_SCAN_NPAGES 4096 /* the machine's memory */
#define B_SCAN_SLOTS  8192 /* its swap */
#define B_SCAN_ROUNDS 8	   /* pagedaemon wakeups timed a trial */

/*
 * b_write_floor: host nanoseconds to write npages pages in nwrites
 * writes of consecutive pages to a new unlinked file like the swap file;
 * < 0 if the host would not.
 */
static double
b_write_floor(size_t npages, size_t nwrites)
{
	static unsigned char buf[B_SCAN_NPAGES][4096];
	static struct iovec iov[B_SCAN_NPAGES];
	char path[PATH_MAX];
	size_t i, done, n;
	uint64_t t0, t1;
	ssize_t len;
	int fd;

	if (npages > B_SCAN_NPAGES || nwrites == 0 || nwrites > npages)
		return -1;
	memset(buf, 'w', sizeof(buf));
	if (snprintf(path, sizeof(path), "%s/uvmsim-floor.XXXXXX",
		swapdisk_tmpdir()) >= (int)sizeof(path))
		return -1;
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return -1;
	unlink(path);
	if (ftruncate(fd, (off_t)B_SCAN_SLOTS * 4096) != 0) {
		close(fd);
		return -1;
	}
	for (i = 0; i < npages; i++) {
		iov[i].iov_base = buf[i];
		iov[i].iov_len = 4096;
	}
	t0 = bench_now_ns();
	for (done = 0, i = 0; i < nwrites; i++, done += n) {
		/* the pages spread over the writes as evenly as they go */
		n = (npages * (i + 1)) / nwrites - done;
		len = pwritev(fd, &iov[done], (int)n, (off_t)(done * 4096));
		if (len != (ssize_t)(n * 4096)) {
			close(fd);
			return -1;
		}
	}
	t1 = bench_now_ns();
	close(fd);
	return (double)(t1 - t0);
}

/*
 * b_scan: host nanoseconds per page paged out, when the pagedaemon must
 * take most of a process's pages at once, and per page of the same
 * writes done bare (*floorp); < 0 if it could not be run.  *outp and
 * *writesp get the best trial's pages and writes.
 */
static double
b_scan(double *floorp, uint64_t *outp, uint64_t *writesp)
{
	static struct vm_page *pgs[B_SCAN_NPAGES];
	struct machine_config mc;
	double best = 1e300, ns, floor;
	uint64_t t0, out, writes;
	struct proc *p;
	int trial, round, n, k;

	*floorp = 1e300;
	for (trial = 0; trial < BENCH_TRIALS; trial++) {
		machine_config_default(&mc);
		mc.mc_npages = B_SCAN_NPAGES;
		mc.mc_swapslots = B_SCAN_SLOTS;
		if (kern_boot(&mc) != 0)
			return -1;
		if (kern_spawn("w", b_writer, (void *)(intptr_t)3000, &p) != 0)
			return -1;
		(void)kern_run(1000000);
		/* the host takes what is free: the process's pages must go */
		for (n = 0; uvmexp.free > uvmexp.freemin - 1; n++)
			pgs[n] =
			    uvm_pagealloc(NULL, 0, NULL, UVM_PGA_USERESERVE);
		out = uvmexp.pdpgout;
		writes = uvmexp.pdpageouts;
		for (k = 0; k < n; k++) {
			pgs[k]->flags &= ~PG_BUSY;
			uvm_pagefree(pgs[k]);
		}
		/*
		 * now take the free pages again, and time the page-outs that
		 * make up for them; B_SCAN_ROUNDS times, taking what each
		 * round freed, so that the figure is over some hundreds of
		 * pages, not the few dozen one wakeup pages out
		 */
		ns = 0;
		n = 0;
		for (round = 0; round < B_SCAN_ROUNDS; round++) {
			for (; uvmexp.free > uvmexp.reserve_kernel + 1; n++)
				pgs[n] = uvm_pagealloc(NULL, 0, NULL,
				    UVM_PGA_USERESERVE);
			t0 = bench_now_ns();
			(void)kern_run(clock_now() + 3000000);
			ns += (double)(bench_now_ns() - t0);
		}
		out = uvmexp.pdpgout - out;
		writes = uvmexp.pdpageouts - writes;
		for (k = 0; k < n; k++) {
			pgs[k]->flags &= ~PG_BUSY;
			uvm_pagefree(pgs[k]);
		}
		kern_shutdown();
		if (out == 0)
			return -1;
		floor = b_write_floor((size_t)out, (size_t)writes);
		if (floor < 0)
			return -1;
		if (floor / (double)out < *floorp)
			*floorp = floor / (double)out;
		if (ns / (double)out < best) {
			best = ns / (double)out;
			*outp = out;
			*writesp = writes;
		}
	}
	return best;
}

int
main(void)
{
	static unsigned char page[4096];
	double memset_ns, scan_ns, floor_ns;
	uint64_t out = 0, writes = 0;

	if (b_policies() != 0)
		return 1;
	BENCH_BEST(memset_ns, 20000, {
		memset(page, (int)i_, sizeof(page));
		bench_sink += page[i_ & 4095];
	});
	scan_ns = b_scan(&floor_ns, &out, &writes);
	if (scan_ns < 0) {
		printf("pagedaemon scan: did not run\n");
		return 1;
	}
	printf("== the pagedaemon (best of %d trials)\n", BENCH_TRIALS);
	bench_line("scan + page-out, per page", scan_ns, "memset(page)",
	    memset_ns);
	bench_line("", scan_ns, "floor: write", floor_ns);
	printf("    %llu pages in %llu writes; floor: the same writes, "
	       "bare, %.1f ns a page\n",
	    (unsigned long long)out, (unsigned long long)writes, floor_ns);
	bench_goal(scan_ns, 1.5, "floor: write", floor_ns);
	return 0;
}
