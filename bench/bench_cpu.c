/*
 * bench_cpu.c: the cost of a context switch, by each switch method.
 *
 * A round trip is the idle (host) context switching to a thread that
 * switches straight back: two switches.  Each method gets a machine of
 * its own, booted with kern_boot_vm and stopped with kern_shutdown.
 *
 * Baseline, measured in the same run: the host's getppid() system call
 * (a cheap one, made with syscall(2) so that no library caches it); the
 * ucontext switch calls the host kernel for the signal mask on each
 * swapcontext, so it is rightly compared with a system call.  The gain
 * of the hand-written switch is the ratio of the two methods.
 */

#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"
#include "kern/kern.h"

volatile uint64_t bench_sink;

#define NPAGES 256

static struct pcb b_idle_pcb;  /* the host's pcb */
static struct cpu_thread b_ct; /* the thread switched to */
static struct pcb *b_pcb;      /* its pcb, in its wired u-area */
static volatile bool b_stop;   /* the thread is to exit */
static uint64_t b_turns;       /* times it ran */

static __dead void
b_main(void *arg __unused)
{
	for (;;) {
		b_turns++;
		if (b_stop)
			cpu_switch_exit(&b_ct, cpu_idle_thread(), &b_idle_pcb);
		cpu_switch(&b_ct, b_pcb, cpu_idle_thread(), &b_idle_pcb);
	}
}

/*
 * b_roundtrip: the best cost of one round trip by method m, in
 * nanoseconds, over n round trips per trial; < 0 if the machine would
 * not boot or the thread did not run as often as it should.
 */
static double
b_roundtrip(enum cpu_switch_method m, long n)
{
	struct machine_config mc;
	struct cpu_thread *idle;
	uint64_t expect;
	vaddr_t ua;
	double ns;

	machine_config_default(&mc);
	mc.mc_npages = NPAGES;
	mc.mc_swapslots = 16;
	mc.mc_switch = m;
	if (kern_boot_vm(&mc) != 0)
		return -1;
	ua = uvm_km_alloc(kernel_map, USPACE);
	if (ua == 0) {
		kern_shutdown();
		return -1;
	}
	memset(&b_idle_pcb, 0, sizeof(b_idle_pcb));
	b_idle_pcb.pcb_magic = PCB_MAGIC;
	b_stop = false;
	b_turns = 0;
	cpu_fork(&b_ct, ua, NULL, 0, b_main, NULL);
	/* the pcbs stay where they are: look them up once, not per switch */
	b_pcb = cpu_pcb(ua);
	idle = cpu_idle_thread();

	cpu_switch(idle, &b_idle_pcb, &b_ct, b_pcb); /* warm up */
	BENCH_BEST(ns, n, cpu_switch(idle, &b_idle_pcb, &b_ct, b_pcb));
	expect = 1 + (uint64_t)BENCH_TRIALS * (uint64_t)n;

	b_stop = true;
	cpu_switch(idle, &b_idle_pcb, &b_ct, b_pcb);
	if (b_turns != expect + 1 || !b_ct.ct_dead ||
	    cpucounters.switches != 2 * (expect + 1)) {
		fprintf(stderr,
		    "bench_cpu: %s: the thread ran %llu times, not %llu\n",
		    cpu_switch_method_name(m), (unsigned long long)b_turns,
		    (unsigned long long)(expect + 1));
		ns = -1;
	}
	cpu_thread_free(&b_ct);
	uvm_km_free(kernel_map, ua, USPACE);
	kern_shutdown();
	return ns;
}

int
main(void)
{
	double t_sys, t_asm = -1, t_uc;

	printf("== context switch round trip, idle -> thread -> idle "
	       "(best of %d trials)\n",
	    BENCH_TRIALS);
	BENCH_BEST(t_sys, 1 << 16,
	    bench_sink += (uint64_t)syscall(SYS_getppid));

	if (cpu_switch_method_available(CPU_SWITCH_ASM)) {
		t_asm = b_roundtrip(CPU_SWITCH_ASM, 1 << 18);
		if (t_asm < 0)
			return 1;
	}
	t_uc = b_roundtrip(CPU_SWITCH_UCONTEXT, 1 << 16);
	if (t_uc < 0)
		return 1;

	if (t_asm >= 0)
		bench_line("round trip, asm switch", t_asm, "getppid()", t_sys);
	else
		printf("%-44s (not available on this host)\n",
		    "round trip, asm switch");
	bench_line("round trip, ucontext switch", t_uc, "getppid()", t_sys);
	if (t_asm >= 0)
		bench_line("round trip, ucontext switch", t_uc, "asm switch",
		    t_asm);
	return 0;
}
