/*
 * demo.c: the built-in demonstration -- processes fork, share pages
 * copy-on-write, sleep, are swapped out under memory pressure and
 * swapped back in, their pages go to swap and come back, and nothing
 * is lost.
 *
 * Four simulated programs tell the story as it happens, each line
 * stamped with the simulated time:
 *
 *	sh        maps and writes memory, forks the three others, waits
 *	sleeper   writes part of the shared memory (copy-on-write), then
 *	          sleeps 30 s -- long enough to be swapped out
 *	worker    computes for 2 s and exits
 *	hog       sleeps 22 s, then takes memory until the pagedaemon wakes:
 *	          it swaps out whoever has slept maxslp seconds and pages
 *	          memory out to swap in clustered writes; the hog exits
 *
 * Every number printed is read from the machine's counters; nothing is
 * made up, and the same machine prints the same story every time.
 */

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "sim/sim.h"

#define DEMO_NPAGES 16
#define SEC	    ((simtime_t)1000000)

struct demo {
	FILE *out;
	vaddr_t va;	 /* sh's memory, inherited by the children */
	struct proc *sh; /* the first process */
	struct proc *sleeper;
	int intact; /* the sleeper found its memory intact */
};

static struct demo demo;

static void __printflike(2, 3) demo_say(struct proc *p, const char *fmt, ...)
{
	simtime_t t = clock_now();
	va_list ap;

	fprintf(demo.out, "  [%3llu.%06llus] %-8s ",
	    (unsigned long long)(t / SEC), (unsigned long long)(t % SEC),
	    p->p_comm);
	va_start(ap, fmt);
	vfprintf(demo.out, fmt, ap);
	va_end(ap);
	fputc('\n', demo.out);
}

static void
demo_counters(FILE *out)
{
	fprintf(out,
	    "  pages:   %d managed, %d free (%d known zero), "
	    "%d active, %d inactive, %d wired\n",
	    uvmexp.npages, uvmexp.free, uvmexp.zeropages, uvmexp.active,
	    uvmexp.inactive, uvmexp.wired);
}

static const char *
demo_state(const struct proc *p)
{
	switch (p->p_stat) {
	case SRUN:
		return "runnable";
	case SONPROC:
		return "running";
	case SSLEEP:
		return "asleep";
	case SSTOP:
		return "stopped";
	case SZOMB:
		return "zombie";
	default:
		return "dead";
	}
}

static void
demo_ps(FILE *out)
{
	struct proc *p;
	int n = 0;

	fprintf(out, "  %5s %-10s %-8s %-10s %s\n", "PID", "COMMAND", "STATE",
	    "WAIT", "IN MEMORY");
	/* allproc is newest first: show it oldest first */
	LIST_FOREACH (p, &allproc, p_list)
		n++;
	while (n > 0) {
		int i = 0;

		LIST_FOREACH (p, &allproc, p_list)
			if (++i == n)
				break;
		fprintf(out, "  %5d %-10s %-8s %-10s %s\n", p->p_pid, p->p_comm,
		    demo_state(p), p->p_wmesg ? p->p_wmesg : "-",
		    (p->p_flag & P_INMEM) ? "yes" : "no (swapped out)");
		n--;
	}
}

static void
demo_name(struct proc *p, const char *name)
{
	snprintf(p->p_comm, sizeof(p->p_comm), "%s", name);
}

static int
prog_sleeper(struct proc *p, void *arg __unused)
{
	uint64_t acow = uvmexp.flt_acow, amcopy = uvmexp.flt_amcopy;
	unsigned char buf[64];
	vaddr_t va;
	int bad = 0;

	demo_name(p, "sleeper");
	demo.sleeper = p;
	(void)proc_fill(p, demo.va, 's', ptoa(4));
	demo_say(p,
	    "writes 4 of the shared pages: %llu needs-copy resolved, "
	    "%llu pages copied on write",
	    (unsigned long long)(uvmexp.flt_amcopy - amcopy),
	    (unsigned long long)(uvmexp.flt_acow - acow));
	demo_say(p, "sleeps for 30 s");
	(void)proc_sleep(p, 30 * SEC);
	demo_say(p, "awake and running again (swapped out %ld time%s)",
	    proc_pstats(p)->p_ru.ru_nswap,
	    proc_pstats(p)->p_ru.ru_nswap == 1 ? "" : "s");
	for (va = demo.va; va < demo.va + ptoa(DEMO_NPAGES);
	     va += sizeof(buf)) {
		(void)proc_load(p, va, buf, sizeof(buf));
		if (buf[0] != (va < demo.va + ptoa(4) ? 's' : 'S') ||
		    memcmp(buf, buf + 1, sizeof(buf) - 1) != 0)
			bad++;
	}
	demo.intact = bad == 0;
	demo_say(p, "reads its %d pages back: %s", DEMO_NPAGES,
	    bad == 0 ? "every byte intact" : "DATA LOST");
	return bad == 0 ? 0 : 1;
}

static int
prog_worker(struct proc *p, void *arg __unused)
{
	demo_name(p, "worker");
	demo_say(p, "computes for 2 s");
	proc_compute(p, 2 * SEC);
	demo_say(p, "done, exits with status 3");
	return 3;
}

static int
prog_hog(struct proc *p, void *arg __unused)
{
	uint64_t swapouts, woke, pgout, writes;
	vaddr_t va = 0;
	int n;

	demo_name(p, "hog");
	(void)proc_sleep(p, 22 * SEC);
	/*
	 * leave less than freemin, so the pagedaemon wakes, but more than
	 * the kernel's reserve, which a program's faults may not take
	 */
	n = uvmexp.free - MAX(uvmexp.freemin - 8, uvmexp.reserve_kernel);
	demo_say(p, "%d pages free, freemin %d: takes %d pages", uvmexp.free,
	    uvmexp.freemin, n);
	swapouts = uvmexp.swapouts;
	woke = uvmexp.pdwoke;
	pgout = uvmexp.pdpgout;
	writes = uvmexp.pdpageouts;
	if (proc_mmap_anon(p, &va, ptoa(n), VM_PROT_READ | VM_PROT_WRITE,
		MAP_INHERIT_COPY) != 0)
		return 1;
	(void)proc_fill(p, va, 'h', ptoa(n));
	/* a second for the pagedaemon to finish its writes */
	(void)proc_sleep(p, SEC);
	demo_say(p,
	    "now %d pages free; the pagedaemon ran %llu time%s, swapped "
	    "out %llu process%s asleep %d s or more, and wrote %llu pages "
	    "to swap in %llu write%s:",
	    uvmexp.free, (unsigned long long)(uvmexp.pdwoke - woke),
	    uvmexp.pdwoke - woke == 1 ? "" : "s",
	    (unsigned long long)(uvmexp.swapouts - swapouts),
	    uvmexp.swapouts - swapouts == 1 ? "" : "es", maxslp,
	    (unsigned long long)(uvmexp.pdpgout - pgout),
	    (unsigned long long)(uvmexp.pdpageouts - writes),
	    uvmexp.pdpageouts - writes == 1 ? "" : "s");
	demo_ps(demo.out);
	demo_say(p, "exits, giving its %d pages back", n);
	return 0;
}

static int
prog_sh(struct proc *p, void *arg __unused)
{
	static const proc_prog_t kids[] = { prog_sleeper, prog_worker,
		prog_hog };
	uint64_t przero = uvmexp.flt_przero;
	int i, free0, status, pid, rc = 0;
	struct proc *c;

	(void)proc_mmap_anon(p, &demo.va, ptoa(DEMO_NPAGES),
	    VM_PROT_READ | VM_PROT_WRITE, MAP_INHERIT_COPY);
	(void)proc_fill(p, demo.va, 'S', ptoa(DEMO_NPAGES));
	demo_say(p,
	    "maps %d pages at 0x%llx and writes them: %llu zero-fill "
	    "faults",
	    DEMO_NPAGES, (unsigned long long)demo.va,
	    (unsigned long long)(uvmexp.flt_przero - przero));
	free0 = uvmexp.free;
	for (i = 0; i < 3; i++)
		if (proc_fork(p, kids[i], NULL, &c) != 0)
			return 1;
	demo_say(p,
	    "forks 3 children: %d pages taken, all for their u-areas "
	    "(%u pages each); no page of memory copied",
	    free0 - uvmexp.free, (unsigned int)UPAGES);
	demo_say(p, "waits for them");
	while ((pid = kern_wait(p, -1, &status, 0)) > 0) {
		demo_say(p, "child %d exited with status %d", pid,
		    (status >> 8) & 0xff);
		/* the worker's 3 is expected; anything else is a failure */
		if ((status & 0x7f) != 0 ||
		    ((status >> 8) != 0 && (status >> 8) != 3))
			rc = 1;
	}
	return rc;
}

/*
 * sim_demo: run the demonstration on a machine built from mc.
 *
 * => returns 0, or 1 if the machine could not boot or a check failed
 *    (the reason is printed).
 */
int
sim_demo(FILE *out, const struct machine_config *mc)
{
	struct kcheck kc;
	int error, status = -1;

	error = kern_boot(mc);
	if (error) {
		fprintf(out, "uvmsim: cannot boot the machine: %s\n",
		    strerror(error));
		return 1;
	}
	memset(&demo, 0, sizeof(demo));
	demo.out = out;

	fprintf(out, "== boot\n");
	fprintf(out, "  %zu pages of %llu bytes; swap disk of %zu pages\n",
	    mc->mc_npages, (unsigned long long)PAGE_SIZE, mc->mc_swapslots);
	fprintf(out,
	    "  targets: freemin %d, freetarg %d, inactarg %d, "
	    "wiredmax %d; reserves: kernel %d, pagedaemon %d\n",
	    uvmexp.freemin, uvmexp.freetarg, uvmexp.inactarg, uvmexp.wiredmax,
	    uvmexp.reserve_kernel, uvmexp.reserve_pagedaemon);
	fprintf(out,
	    "  kernel threads, each with a wired u-area of %u pages:\n",
	    (unsigned int)UPAGES);
	demo_ps(out);
	demo_counters(out);

	fprintf(out, "\n== sh forks a sleeper, a worker and a memory hog\n");
	error = kern_spawn("sh", prog_sh, NULL, &demo.sh);
	if (error) {
		fprintf(out, "uvmsim: cannot start sh: %s\n", strerror(error));
		kern_shutdown();
		return 1;
	}
	(void)kern_run(SIMTIME_NEVER);
	if (kern_collect(demo.sh->p_pid, &status) != 0) {
		/* idle, yet sh has not finished: nothing can wake it */
		fprintf(out,
		    "\n== stuck at %llu.%06llu s: the machine is idle but sh has "
		    "not finished\n",
		    (unsigned long long)(clock_now() / SEC),
		    (unsigned long long)(clock_now() % SEC));
		demo_ps(out);
		demo_counters(out);
		fprintf(out,
		    "  memory ran out and nothing left can be paged out: this "
		    "machine is too small for the demonstration; try a larger "
		    "--memory\n");
		kern_shutdown();
		return 1;
	}

	fprintf(out, "\n== the end, at %llu.%06llu s of simulated time\n",
	    (unsigned long long)(clock_now() / SEC),
	    (unsigned long long)(clock_now() % SEC));
	fprintf(out, "  sh exited with status %d; sleeper's memory %s\n",
	    (status >> 8) & 0xff, demo.intact ? "intact" : "LOST");
	fprintf(out,
	    "  faults: %llu zero-fill, %llu copy-on-write, %llu needs-copy, "
	    "%llu pages read back from swap\n",
	    (unsigned long long)uvmexp.flt_przero,
	    (unsigned long long)uvmexp.flt_acow,
	    (unsigned long long)uvmexp.flt_amcopy,
	    (unsigned long long)uvmexp.flt_anget);
	fprintf(out,
	    "  pagedaemon: %llu pages written to swap in %llu writes, %llu "
	    "freed; processes swapped out %llu, in %llu\n",
	    (unsigned long long)uvmexp.pdpgout,
	    (unsigned long long)uvmexp.pdpageouts,
	    (unsigned long long)uvmexp.pdfreed,
	    (unsigned long long)uvmexp.swapouts,
	    (unsigned long long)uvmexp.swapins);
	/* (not the bytes of stack saved: that depends on the host compiler) */
	fprintf(out, "  context switches %llu; u-areas kept for reuse %d\n",
	    (unsigned long long)cpucounters.switches, uvm_uarea_cached());
	demo_counters(out);

	kcheck_init(&kc);
	if (uvm_check_all(&kc, true) != 0 || status != 0 || !demo.intact) {
		fprintf(out, "  consistency check FAILED (%u problems): %s\n",
		    kc.kc_nerr, kc.kc_nerr ? kc.kc_msg : "data or status");
		kern_shutdown();
		return 1;
	}
	fprintf(out,
	    "  consistency check: page queues, pv lists, page tables, TLB, "
	    "maps, amaps, anons, swap all agree\n");
	fprintf(out, "\n== MMU counters\n");
	fprintf(out,
	    "  TLB: %llu hits, %llu misses, %llu invalidations, "
	    "%llu flushes\n",
	    (unsigned long long)pmapcounters.tlb_hit,
	    (unsigned long long)pmapcounters.tlb_miss,
	    (unsigned long long)pmapcounters.tlb_inval,
	    (unsigned long long)pmapcounters.tlb_flush);
	fprintf(out, "  faults: %llu no translation, %llu protection\n",
	    (unsigned long long)pmapcounters.faults_inval,
	    (unsigned long long)pmapcounters.faults_prot);
	fprintf(out,
	    "  table pages: %llu allocated, %llu freed; "
	    "pv entries: %llu allocated, %llu freed\n",
	    (unsigned long long)pmapcounters.ptp_alloc,
	    (unsigned long long)pmapcounters.ptp_free,
	    (unsigned long long)pmapcounters.pv_alloc,
	    (unsigned long long)pmapcounters.pv_free);
	kern_shutdown();
	return 0;
}
