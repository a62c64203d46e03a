/*
 * bench_fault.c: the cost of zero-fill and copy-on-write faults, and of
 * fork.
 *
 * Every figure is the best of BENCH_TRIALS trials, divided by a baseline
 * measured in the same run: memset or memcpy of one page the cache holds,
 * and for the faults also their floor, the bare host work on as many
 * pages (FAULT_NPAGES) as the fault figure, in host memory mapped as the
 * simulated RAM is (huge pages asked for):
 *
 *	store    a 1-byte store into each page of a buffer zeroed just
 *		 before, as the idle loop zeroes free pages;
 *	memset   memset of each page, flushed from the caches first, and a
 *		 1-byte store into it;
 *	memcpy   memcpy of each page of one buffer into another, both
 *		 flushed from the caches first, and a 1-byte store.
 *
 * The goals (issue 15) are printed under the figures they are about,
 * met or not and by how much.  Pages are 4 KiB; all memory is private
 * anonymous memory mapped with PRIVATE_ANON below (uobj NULL), and every
 * access goes through uvm_store / uvm_load with the address space's pmap
 * active, as for the running process.
 *
 * 1. zero-fill fault (case 2B, no object) / memset of one page: the first
 *    1-byte uvm_store to each page of a fresh mapping of FAULT_NPAGES,
 *    per page.  The new page comes from
 *	a. the known-zero free list of a freshly booted machine: each trial
 *	   boots a new one, so the host has never touched the simulated RAM
 *	   and the host kernel's own demand-zero fault is part of the cost.
 *	   Measured twice, with the simulated RAM on small host pages and
 *	   on the huge pages physmem asks for, with how much of it the host
 *	   did back with huge pages (AnonHugePages);
 *	b. the known-zero free list, the pages already in host memory:
 *	   before each trial uvm_pageidlezero zeroes every free page, as the
 *	   idle loop would (floor: store);
 *	c. the unknown-content list: every free page was written over
 *	   first, so the fault must zero the page (pga_zeromiss; floor:
 *	   memset).
 *    The pga_zerohit / pga_zeromiss counts printed show which path ran.
 * 2. copy-on-write fault (case 1B) / memcpy of one page: a parent with
 *    COW_NPAGES written pages forks (uvmspace_fork, copy inheritance);
 *    the child's first 1-byte store to each page, per page, including the
 *    needs-copy resolution (amap_copy of one chunk per UVM_AMAP_CHUNK
 *    pages).  flt_acow must rise by COW_NPAGES a trial.  Floor: memcpy.
 * 3. uvmspace_fork with FORK_SMALL and FORK_LARGE resident written pages,
 *    beside the host's fork() of a process with as many resident bytes
 *    (an mmap'd buffer, 4 KiB host pages: transparent huge pages are
 *    turned off for it, every page written).  The uvm fork is timed
 *    alone (the child's uvmspace_alloc included); uvmspace_free of the
 *    child is timed separately.  The host fork is timed in the parent
 *    until fork() returns there; the child _exits at once and is reaped
 *    by waitpid outside the timed region.  Before every trial, uvm and
 *    host alike, the parent writes each page again, so that each fork
 *    finds writable mappings to write-protect as the first one did.
 *    The large parent is built twice: by page faults in order, whose
 *    UVM_AMAP_CHUNK-page chunks (amap_copy) merge into one entry, and
 *    as one entry with its amap made at once (UVM_FLAG_OVERLAY); the
 *    parent's entry count is printed, so that a fork paying per entry
 *    shows.  pga_alloc, nanon and namap are printed around the fork:
 *    they must not change.  "bench_fault fork" runs this figure alone.
 * The host fork is measured before the large machine boots, so that the
 * host copies no page table of the simulated RAM.
 */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"
#include "kern/kern.h"

volatile uint64_t bench_sink;

#define BENCH_PAGE_SIZE 4096

#define FAULT_NPAGES   4096 /* the zero-fill region: 16 MiB; the floors' */
#define COW_NPAGES     4096 /* the parent's pages for copy-on-write */
#define SMALL_NPAGES   (FAULT_NPAGES + COW_NPAGES + 1024)
#define FORK_SMALL     256
#define FORK_LARGE     262144 /* 1 GiB */
#define FORK_NPAGES    (FORK_LARGE + 16384)
#define BASELINE_ITERS (1 << 16)

#define VA_BASE ((vaddr_t)0x10000000)

/* private anonymous memory, copied at fork */
#define PRIVATE_ANON                                           \
	UVM_MAPFLAG(VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL, \
	    MAP_INHERIT_COPY, UVM_ADV_NORMAL,                  \
	    UVM_FLAG_FIXED | UVM_FLAG_COPYONW)

static __dead void die(const char *, ...) __printflike(1, 2);

static void
die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "bench_fault: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

static inline void
keep_best(double *best, uint64_t t0, uint64_t t1, size_t nops)
{
	double per = (double)(t1 - t0) / (double)nops;

	if (per < *best)
		*best = per;
}

/* the floors: bare host work per page, on FAULT_NPAGES pages */
struct floors {
	double fl_store;  /* a store into a pre-zeroed page */
	double fl_memset; /* memset of an uncached page, and a store */
	double fl_memcpy; /* memcpy of an uncached page, and a store */
};

/*
 * host_pages: npages of host memory mapped as physmem maps the simulated
 * RAM (huge pages asked for), every page in host memory already.
 */
static char *
host_pages(size_t npages)
{
	size_t len = npages * BENCH_PAGE_SIZE;
	char *p;

	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	    -1, 0);
	if (p == MAP_FAILED)
		die("cannot map %zu host bytes", len);
	(void)madvise(p, len, MADV_HUGEPAGE);
	memset(p, 0x5a, len);
	return p;
}

/* measure_floors: the floors, each the best of BENCH_TRIALS trials */
static void
measure_floors(struct floors *fl)
{
	size_t len = (size_t)FAULT_NPAGES * BENCH_PAGE_SIZE, i;
	char *src = host_pages(FAULT_NPAGES), *dst = host_pages(FAULT_NPAGES);
	uint64_t t0, t1;
	int trial;

	fl->fl_store = fl->fl_memset = fl->fl_memcpy = 1e300;
	for (trial = 0; trial < BENCH_TRIALS; trial++) {
		memset(dst, 0, len);
		t0 = bench_now_ns();
		for (i = 0; i < len; i += BENCH_PAGE_SIZE)
			((volatile char *)dst)[i] = 1;
		t1 = bench_now_ns();
		keep_best(&fl->fl_store, t0, t1, FAULT_NPAGES);

		memset(dst, 0xa5, len);
		bench_uncache(dst, len);
		t0 = bench_now_ns();
		for (i = 0; i < len; i += BENCH_PAGE_SIZE) {
			memset(dst + i, 0, BENCH_PAGE_SIZE);
			((volatile char *)dst)[i] = 1;
		}
		t1 = bench_now_ns();
		keep_best(&fl->fl_memset, t0, t1, FAULT_NPAGES);

		memset(src, 'p', len);
		bench_uncache(src, len);
		bench_uncache(dst, len);
		t0 = bench_now_ns();
		for (i = 0; i < len; i += BENCH_PAGE_SIZE) {
			memcpy(dst + i, src + i, BENCH_PAGE_SIZE);
			((volatile char *)dst)[i] = 'c';
		}
		t1 = bench_now_ns();
		keep_best(&fl->fl_memcpy, t0, t1, FAULT_NPAGES);
		bench_sink += (uint64_t)dst[len - 1];
	}
	munmap(src, len);
	munmap(dst, len);
}

/*
 * host_hugebytes: the bytes of this process's anonymous memory that the
 * host backs with transparent huge pages (AnonHugePages), or -1 if the
 * host does not say.
 */
static long long
host_hugebytes(void)
{
	char line[256];
	long long kb = -1;
	FILE *f;

	f = fopen("/proc/self/smaps_rollup", "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "AnonHugePages: %lld kB", &kb) == 1)
			break;
	fclose(f);
	return kb < 0 ? -1 : kb * 1024;
}

/* boot a machine of npages pages of 4 KiB, or exit */
static void
boot(size_t npages)
{
	struct machine_config mc;
	int error;

	machine_config_default(&mc);
	mc.mc_npages = npages;
	mc.mc_pagesize = BENCH_PAGE_SIZE;
	error = kern_boot_vm(&mc);
	if (error)
		die("cannot boot a machine of %zu pages: %s", npages,
		    strerror(error));
}

/* a new address space with npages of private anonymous memory at VA_BASE */
static struct vmspace *
anon_space(size_t npages, int extraflags)
{
	struct vmspace *vm;
	vaddr_t va = VA_BASE;
	int error;

	vm = uvmspace_alloc(VM_MIN_ADDRESS, VM_MAXUSER_ADDRESS);
	error = uvm_map(&vm->vm_map, &va, ptoa(npages), NULL, 0, 0,
	    PRIVATE_ANON | extraflags);
	if (error)
		die("uvm_map of %zu pages: %s", npages, strerror(error));
	return vm;
}

/* store the byte c at the start of each of the npages pages at VA_BASE */
static void
store_each_page(struct vmspace *vm, size_t npages, char c)
{
	struct uvm_access_fault uaf;
	size_t i;

	for (i = 0; i < npages; i++)
		if (uvm_store(vm, VA_BASE + ptoa(i), &c, 1, &uaf) != 0)
			die("store at 0x%llx: error %d",
			    (unsigned long long)uaf.uaf_va, uaf.uaf_error);
}

/* does each of the npages pages at VA_BASE start with the byte c? */
static bool
each_page_holds(struct vmspace *vm, size_t npages, char c)
{
	size_t i;
	char got;

	for (i = 0; i < npages; i++)
		if (uvm_load(vm, VA_BASE + ptoa(i), &got, 1, NULL) != 0 ||
		    got != c)
			return false;
	return true;
}

/*
 * dirty_free_pages: take every free page, write over it and give it
 * back, so that no free page is known to be zero (zero fill must zero
 * the page at fault time) and every one is in host memory.
 */
static void
dirty_free_pages(void)
{
	struct vm_page **pgs, *pg;
	size_t n = 0, max = (size_t)uvmexp.free;

	pgs = calloc(max, sizeof(*pgs));
	if (pgs == NULL)
		die("out of host memory");
	while (n < max &&
	    (pg = uvm_pagealloc(NULL, 0, NULL, UVM_PGA_USERESERVE)) != NULL) {
		memset(physmem_hostaddr(VM_PAGE_TO_PHYS(pg)), 0xa5, PAGE_SIZE);
		pgs[n++] = pg;
	}
	while (n > 0)
		uvm_pagefree(pgs[--n]);
	free(pgs);
}

struct zero_counts {
	uint64_t zc_hit;    /* pga_zerohit */
	uint64_t zc_miss;   /* pga_zeromiss */
	uint64_t zc_przero; /* flt_przero */
};

/*
 * zero_fill_trial: time the first store to each page of a fresh mapping
 * of FAULT_NPAGES, keeping the best time per page in *best; add what the
 * page allocator did to *zc.
 */
static void
zero_fill_trial(double *best, struct zero_counts *zc)
{
	uint64_t hit = uvmexp.pga_zerohit, miss = uvmexp.pga_zeromiss;
	uint64_t przero = uvmexp.flt_przero, t0, t1;
	struct vmspace *vm;

	vm = anon_space(FAULT_NPAGES, 0);
	pmap_activate(vm->vm_map.pmap);
	t0 = bench_now_ns();
	store_each_page(vm, FAULT_NPAGES, 1);
	t1 = bench_now_ns();
	zc->zc_hit += uvmexp.pga_zerohit - hit;
	zc->zc_miss += uvmexp.pga_zeromiss - miss;
	zc->zc_przero += uvmexp.flt_przero - przero;
	pmap_deactivate(vm->vm_map.pmap);
	uvmspace_free(vm);
	keep_best(best, t0, t1, FAULT_NPAGES);
}

static void
print_zero_counts(const struct zero_counts *zc)
{
	printf("    over %d trials of %d pages: flt_przero %llu, "
	       "pga_zerohit %llu, pga_zeromiss %llu\n",
	    BENCH_TRIALS, FAULT_NPAGES, (unsigned long long)zc->zc_przero,
	    (unsigned long long)zc->zc_hit, (unsigned long long)zc->zc_miss);
}

/*
 * fresh_boot_trials: the zero-fill figure of a freshly booted machine,
 * its RAM on huge host pages or not; *hugep gets the most bytes of it the
 * host backed with huge pages in any trial (-1: the host does not say).
 */
static double
fresh_boot_trials(bool huge, struct zero_counts *zc, long long *hugep)
{
	double t = 1e300;
	long long before, after;
	int trial;

	physmem_hugepages = huge;
	*hugep = -1;
	for (trial = 0; trial < BENCH_TRIALS; trial++) {
		before = host_hugebytes();
		boot(SMALL_NPAGES);
		zero_fill_trial(&t, zc);
		after = host_hugebytes();
		if (before >= 0 && after >= 0 && after - before > *hugep)
			*hugep = after - before;
		kern_shutdown();
	}
	physmem_hugepages = true;
	return t;
}

static void
print_huge(long long huge)
{
	if (huge < 0)
		printf("    the host does not say how much is on huge pages\n");
	else
		printf("    on the host's huge pages: %lld of %d MiB of "
		       "simulated RAM\n",
		    huge >> 20, SMALL_NPAGES * BENCH_PAGE_SIZE >> 20);
}

/* figure 1: zero-fill faults against memset of a page, and the floors */
static void
bench_zero_fill(double t_memset, const struct floors *fl)
{
	struct zero_counts fresh = { 0 }, small = { 0 }, prezeroed = { 0 },
			   atfault = { 0 };
	double t_fresh, t_small, t_prezeroed = 1e300, t_atfault = 1e300;
	long long huge_fresh, huge_small;
	int trial;

	t_small = fresh_boot_trials(false, &small, &huge_small);
	t_fresh = fresh_boot_trials(true, &fresh, &huge_fresh);

	boot(SMALL_NPAGES);
	dirty_free_pages();
	/* each trial's pages go back to the unknown-content list */
	for (trial = 0; trial < BENCH_TRIALS; trial++)
		zero_fill_trial(&t_atfault, &atfault);
	for (trial = 0; trial < BENCH_TRIALS; trial++) {
		uvm_pageidlezero(uvmexp.free);
		zero_fill_trial(&t_prezeroed, &prezeroed);
	}
	kern_shutdown();

	bench_line("zero-fill fault, fresh boot, small host pages", t_small,
	    "memset(page)", t_memset);
	print_zero_counts(&small);
	print_huge(huge_small);
	bench_line("zero-fill fault, fresh boot, huge host pages", t_fresh,
	    "memset(page)", t_memset);
	print_zero_counts(&fresh);
	print_huge(huge_fresh);
	bench_line("  huge host pages against small", t_fresh,
	    "small host pages", t_small);
	bench_line("zero-fill fault, known-zero, pre-zeroed", t_prezeroed,
	    "memset(page)", t_memset);
	bench_line("", t_prezeroed, "floor: store", fl->fl_store);
	print_zero_counts(&prezeroed);
	bench_goal(t_prezeroed, 2.0, "memset(page)", t_memset);
	bench_line("zero-fill fault, zeroed at fault time", t_atfault,
	    "memset(page)", t_memset);
	bench_line("", t_atfault, "floor: memset", fl->fl_memset);
	print_zero_counts(&atfault);
	bench_goal(t_atfault, 1.3, "floor: memset", fl->fl_memset);
}

/* figure 2: copy-on-write faults in a child against memcpy of a page */
static void
bench_cow(double t_memcpy, const struct floors *fl)
{
	uint64_t acow = 0, amcopy = 0, a0, c0, t0, t1;
	struct vmspace *parent, *child;
	double t_cow = 1e300;
	int trial;

	boot(SMALL_NPAGES);
	parent = anon_space(COW_NPAGES, 0);
	pmap_activate(parent->vm_map.pmap);
	store_each_page(parent, COW_NPAGES, 'p');
	for (trial = 0; trial < BENCH_TRIALS; trial++) {
		pmap_activate(parent->vm_map.pmap);
		child = uvmspace_fork(parent);
		if (child == NULL)
			die("uvmspace_fork of %d pages failed", COW_NPAGES);
		pmap_activate(child->vm_map.pmap);
		a0 = uvmexp.flt_acow;
		c0 = uvmexp.flt_amcopy;
		t0 = bench_now_ns();
		store_each_page(child, COW_NPAGES, 'c');
		t1 = bench_now_ns();
		acow += uvmexp.flt_acow - a0;
		amcopy += uvmexp.flt_amcopy - c0;
		keep_best(&t_cow, t0, t1, COW_NPAGES);
		if (!each_page_holds(child, COW_NPAGES, 'c'))
			die("the child does not read back its own stores");
		pmap_deactivate(child->vm_map.pmap);
		uvmspace_free(child);
	}
	pmap_activate(parent->vm_map.pmap);
	if (!each_page_holds(parent, COW_NPAGES, 'p'))
		die("the child's stores changed the parent's pages");
	pmap_deactivate(parent->vm_map.pmap);
	uvmspace_free(parent);
	kern_shutdown();

	bench_line("copy-on-write fault (1B)", t_cow, "memcpy(page)", t_memcpy);
	bench_line("", t_cow, "floor: memcpy", fl->fl_memcpy);
	printf("    over %d trials of %d pages: flt_acow %llu, "
	       "flt_amcopy %llu\n",
	    BENCH_TRIALS, COW_NPAGES, (unsigned long long)acow,
	    (unsigned long long)amcopy);
	bench_goal(t_cow, 1.3, "floor: memcpy", fl->fl_memcpy);
}

/*
 * host_fork_ns: the host's fork() of this process with npages more
 * resident 4 KiB pages, from the call until it returns in the parent.
 */
static double
host_fork_ns(size_t npages)
{
	size_t len = npages * BENCH_PAGE_SIZE, i;
	double best = 1e300;
	uint64_t t0, t1;
	char *buf;
	pid_t pid;
	int trial;

	buf = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		die("cannot map %zu host bytes", len);
	/* one PTE per 4 KiB page, as the simulated pmap has */
	(void)madvise(buf, len, MADV_NOHUGEPAGE);
	fflush(stdout);
	for (trial = 0; trial < BENCH_TRIALS; trial++) {
		for (i = 0; i < len; i += BENCH_PAGE_SIZE)
			buf[i] = (char)trial;
		t0 = bench_now_ns();
		pid = fork();
		if (pid == 0)
			_exit(0);
		t1 = bench_now_ns();
		if (pid == -1)
			die("fork failed");
		if (waitpid(pid, NULL, 0) != pid)
			die("waitpid failed");
		keep_best(&best, t0, t1, 1);
	}
	munmap(buf, len);
	return best;
}

struct fork_result {
	double fr_fork;	      /* uvmspace_fork, ns */
	double fr_free;	      /* uvmspace_free of the child, ns */
	uint64_t fr_alloc[2]; /* pga_alloc before and after the fork */
	int fr_nanon[2];      /* nanon */
	int fr_namap[2];      /* namap */
	int fr_nentries;      /* the parent's map entries */
};

/*
 * uvm_fork_trials: time uvmspace_fork of a parent with npages resident
 * written pages (mapped with PRIVATE_ANON | extraflags), and
 * uvmspace_free of the child; the counters are the last trial's.
 */
static void
uvm_fork_trials(size_t npages, int extraflags, struct fork_result *fr)
{
	struct vmspace *parent, *child;
	uint64_t t0, t1, t2, t3;
	int trial;

	fr->fr_fork = fr->fr_free = 1e300;
	parent = anon_space(npages, extraflags);
	for (trial = 0; trial < BENCH_TRIALS; trial++) {
		pmap_activate(parent->vm_map.pmap);
		store_each_page(parent, npages, (char)trial);
		fr->fr_alloc[0] = uvmexp.pga_alloc;
		fr->fr_nanon[0] = uvmexp.nanon;
		fr->fr_namap[0] = uvmexp.namap;
		t0 = bench_now_ns();
		child = uvmspace_fork(parent);
		t1 = bench_now_ns();
		if (child == NULL)
			die("uvmspace_fork of %zu pages failed", npages);
		fr->fr_alloc[1] = uvmexp.pga_alloc;
		fr->fr_nanon[1] = uvmexp.nanon;
		fr->fr_namap[1] = uvmexp.namap;
		t2 = bench_now_ns();
		uvmspace_free(child);
		t3 = bench_now_ns();
		keep_best(&fr->fr_fork, t0, t1, 1);
		keep_best(&fr->fr_free, t2, t3, 1);
	}
	fr->fr_nentries = parent->vm_map.nentries;
	pmap_deactivate(parent->vm_map.pmap);
	uvmspace_free(parent);
}

static void
print_fork_counts(const char *what, const struct fork_result *fr)
{
	printf("    %s: pga_alloc %llu -> %llu, nanon %d -> %d, "
	       "namap %d -> %d; parent map entries %d\n",
	    what, (unsigned long long)fr->fr_alloc[0],
	    (unsigned long long)fr->fr_alloc[1], fr->fr_nanon[0],
	    fr->fr_nanon[1], fr->fr_namap[0], fr->fr_namap[1], fr->fr_nentries);
}

/* figure 3: fork at two sizes, against the host's fork */
static void
bench_fork(void)
{
	struct fork_result small, large, onentry;
	double h_small, h_large;

	h_small = host_fork_ns(FORK_SMALL);
	h_large = host_fork_ns(FORK_LARGE);

	boot(FORK_NPAGES);
	uvm_fork_trials(FORK_SMALL, 0, &small);
	uvm_fork_trials(FORK_LARGE, 0, &large);
	uvm_fork_trials(FORK_LARGE, UVM_FLAG_OVERLAY, &onentry);
	kern_shutdown();

	bench_line("uvmspace_fork, 256 pages", small.fr_fork,
	    "host fork, 256 pages", h_small);
	bench_line("uvmspace_fork, 262,144 pages", large.fr_fork,
	    "host fork, 262,144 pages", h_large);
	bench_goal(large.fr_fork, 0.05, "host fork, 262,144 pages", h_large);
	bench_line("uvmspace_fork, 262,144 pages", large.fr_fork,
	    "uvm fork, 256 pages", small.fr_fork);
	bench_line("uvmspace_fork, 262,144 pages, one entry", onentry.fr_fork,
	    "host fork, 262,144 pages", h_large);
	bench_line("uvmspace_fork, 262,144 pages, one entry", onentry.fr_fork,
	    "uvm fork, 256 pages", small.fr_fork);
	/* the inverse too: uvm/host at 256 is below bench_line's 0.01 */
	bench_line("host fork(), 256 pages", h_small, "uvm fork, 256 pages",
	    small.fr_fork);
	bench_line("host fork(), 262,144 pages", h_large,
	    "host fork, 256 pages", h_small);
	bench_line("uvmspace_free (child), 256 pages", small.fr_free,
	    "uvm fork, 256 pages", small.fr_fork);
	bench_line("uvmspace_free (child), 262,144 pages", large.fr_free,
	    "uvm fork, 262,144 pages", large.fr_fork);
	bench_line("uvmspace_free (child), 262,144, one entry", onentry.fr_free,
	    "uvm free, 256 pages", small.fr_free);
	print_fork_counts("fork at 256", &small);
	print_fork_counts("fork at 262,144", &large);
	print_fork_counts("fork at 262,144, one entry", &onentry);
}

int
main(int argc, char **argv)
{
	double t_memset, t_memcpy;
	struct floors fl;
	uint64_t *src, *dst;

	/* "bench_fault fork": figure 3 alone */
	if (argc > 1 && strcmp(argv[1], "fork") == 0) {
		bench_fork();
		return 0;
	}
	src = malloc(BENCH_PAGE_SIZE);
	dst = malloc(BENCH_PAGE_SIZE);
	if (src == NULL || dst == NULL)
		return 1;
	memset(src, 1, BENCH_PAGE_SIZE);
	memset(dst, 2, BENCH_PAGE_SIZE);
	BENCH_BEST(t_memset, BASELINE_ITERS, {
		memset(dst, (int)i_, BENCH_PAGE_SIZE);
		bench_sink += dst[i_ & 511];
	});
	BENCH_BEST(t_memcpy, BASELINE_ITERS, {
		src[0] = (uint64_t)i_;
		memcpy(dst, src, BENCH_PAGE_SIZE);
		bench_sink += dst[i_ & 511];
	});

	measure_floors(&fl);

	printf("== zero-fill and copy-on-write faults (best of %d trials)\n",
	    BENCH_TRIALS);
	bench_line("floor: store into a pre-zeroed page", fl.fl_store,
	    "memset(page)", t_memset);
	bench_line("floor: memset(uncached page) + store", fl.fl_memset,
	    "memset(page)", t_memset);
	bench_line("floor: memcpy(uncached page) + store", fl.fl_memcpy,
	    "memcpy(page)", t_memcpy);
	bench_zero_fill(t_memset, &fl);
	bench_cow(t_memcpy, &fl);
	printf("== fork (best of %d trials; uvmspace_fork and uvmspace_free "
	       "timed apart; host: until fork() returns in the parent)\n",
	    BENCH_TRIALS);
	bench_fork();

	free(src);
	free(dst);
	return 0;
}
