/*
 * init_main.c: booting and stopping the simulated kernel.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

#include "kern/kern.h"

struct proc proc0;
int kstack_check;

/*
 * The kernel's own threads: proc0 (the swapper), the pagedaemon and the
 * reaper, each with a wired u-area.
 */
#define KERN_NTHREADS 3

/*
 * boot_why: say why the boot failed, in the sentence machine_boot leaves
 * for its own failures, so that the host has one place to look whatever
 * stage of the boot it was.
 */
static void boot_why(const char *fmt, ...) __printflike(1, 2);

static void
boot_why(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(machine_boot_why, sizeof(machine_boot_why), fmt, ap);
	va_end(ap);
}

/*
 * kern_min_free: the free pages the kernel needs once the VM system is
 * up, to be of any use: the u-areas of its threads and of one process,
 * over the kernel's reserve (which user pages never take), and one page
 * for that process to touch.  With less, the process's first fault
 * waits for memory that nothing can free (every page left is wired in a
 * u-area or held back), and waits for good.
 */
static int
kern_min_free(void)
{
	int uarea = (int)atop(USPACE);

	return (KERN_NTHREADS + 1) * uarea + uvmexp.reserve_kernel + 1;
}

/* proc0's thread: the swapper, for ever */
static void
proc0_main(void *arg __unused)
{
	uvm_scheduler();
}

/*
 * proc0_init: the first process, made by hand: pid 0, the swapper,
 * with the VM's limits (uvm_init_limits) that every process inherits,
 * an empty user address space that kernel threads share, and a wired
 * u-area.
 */
static int
proc0_init(void)
{
	struct proc *p = &proc0;
	vaddr_t up;
	int i;

	proc_hash_proc0();
	LIST_INIT(&p->p_children);
	callout_init(&p->p_tsleep_ch, false);
	snprintf(p->p_comm, sizeof(p->p_comm), "swapper");
	p->p_flag = P_INMEM | P_SYSTEM;
	p->p_nice = NZERO;
	p->p_priority = p->p_usrpri = PSWP;
	for (i = 0; i < RLIM_NLIMITS; i++)
		p->p_rlimit[i].rlim_cur = p->p_rlimit[i].rlim_max =
		    RLIM_INFINITY;
	p->p_rlimit[RLIMIT_NPROC].rlim_cur = (rlim_t)maxproc;
	p->p_rlimit[RLIMIT_MEMLOCK].rlim_max = ptoa(uvmexp.free);
	p->p_rlimit[RLIMIT_MEMLOCK].rlim_cur = ptoa(uvmexp.free) / 3;
	uvm_init_limits(p);

	p->p_vmspace = uvmspace_alloc(VM_MIN_ADDRESS, VM_MAXUSER_ADDRESS);
	if (p->p_vmspace == NULL) {
		boot_why("cannot allocate proc0's address space");
		return ENOMEM;
	}
	up = uvm_uarea_alloc();
	if (up == 0) {
		boot_why("cannot map proc0's u-area in the kernel map");
		return ENOMEM;
	}
	if (uvm_fault_wire(kernel_map, up, up + USPACE, VM_FAULT_WIRE,
		VM_PROT_READ | VM_PROT_WRITE) != 0) {
		uvm_uarea_free(up);
		boot_why("cannot wire proc0's u-area (%u pages)", upages);
		return ENOMEM;
	}
	p->p_addr = up;
	p->p_stats = up + offsetof(struct user, u_stats);
	memset(proc_pstats(p), 0, sizeof(struct pstats));
	cpu_fork(&p->p_md, up, NULL, 0, proc0_main, NULL);
	LIST_INSERT_HEAD(&allproc, p, p_list);
	p->p_stat = SRUN;
	setrunqueue(p);
	return 0;
}

/*
 * proc_teardown: forget a process without running it again (shutdown);
 * the lists it is on are dropped whole by the caller.  A process freed
 * part-way by the reaper has no vmspace left (uvm_exit clears it).
 */
void
proc_teardown(struct proc *p)
{
	if (p->p_wchan != NULL)
		proc_unsleep(p);
	if (p->p_onrunq)
		remrunqueue(p);
	/* before its stack goes: the cleanup records are there */
	kcleanup_run(p);
	if (p->p_md.ct_map != NULL)
		cpu_thread_free(&p->p_md);
	if (p->p_vmspace != NULL)
		uvmspace_free(p->p_vmspace);
	p->p_vmspace = NULL;
	p->p_addr = 0;
	p->p_stats = 0;
	LIST_INIT(&p->p_children);
	if (p != &proc0)
		proc_free(p);
}

/*
 * kern_boot: boot the machine and bring the kernel up on it: the VM
 * system, the clock and the scheduler, proc0, the pagedaemon and the
 * reaper; run them until they all wait for work.
 *
 *	1. boot the machine and the VM system (kern_boot_vm);
 *	2. check that free memory holds the kernel threads' u-areas and
 *	   one process (kern_min_free): machine_config_check knows only
 *	   the machine, which the VM layer's tests use with less;
 *	3. make proc0 and the kernel threads.
 *
 * => the configuration must pass machine_config_check.
 * => returns 0, or the errno value of what failed (ENOMEM for memory
 *    too small for the kernel) with machine_boot_why saying what it
 *    was; nothing is left running on failure.
 */
int
kern_boot(const struct machine_config *mc)
{
	int error, need;

	error = kern_boot_vm(mc);
	if (error)
		return error;
	_Static_assert(sizeof(struct user) <= PAGE_SIZE_MIN,
	    "struct user must fit in the first page of a u-area");

	need = kern_min_free();
	if (uvmexp.free < need) {
		boot_why("%zu pages of memory are too few for the kernel: it "
			 "needs at least %zu here (u-areas of %u pages for "
			 "proc0, the pagedaemon, the reaper and a process, "
			 "the kernel's reserve of %d pages, and a page)",
		    mc->mc_npages, mc->mc_npages + (size_t)(need - uvmexp.free),
		    upages, uvmexp.reserve_kernel);
		kern_shutdown();
		return ENOMEM;
	}
	error = proc0_init();
	if (error == 0)
		bufinit();
	if (error == 0 &&
	    (error = kthread_create(uvm_pageout, NULL, NULL, "pagedaemon")) !=
		0)
		boot_why("cannot start the pagedaemon: %s", strerror(error));
	if (error == 0 &&
	    (error = kthread_create(reaper_main, NULL, &reaperproc,
		 "reaper")) != 0)
		boot_why("cannot start the reaper: %s", strerror(error));
	if (error) {
		kern_shutdown();
		return error;
	}
	(void)kern_run(SIMTIME_NEVER);
	return 0;
}

/*
 * kern_boot_vm: boot the machine and start only the VM system, the
 * clock and empty scheduler queues: no process runs, and every call
 * comes from the host.  For the tests and benchmarks of the VM layers.
 *
 * => returns 0, or the errno value of what failed with machine_boot_why
 *    saying what it was; kern_shutdown stops it.
 */
int
kern_boot_vm(const struct machine_config *mc)
{
	const char *why;
	int error;

	error = machine_boot(mc);
	if (error)
		return error;
	uvm_init();
	error = uvn_init(mc->mc_filedir);
	if (error)
		boot_why("cannot open the file sandbox %s: %s", mc->mc_filedir,
		    strerror(error));
	if (error == 0 &&
	    (error = kern_core_init(mc->mc_coredir, mc->mc_core_netbsd)) != 0)
		boot_why("cannot open the core directory %s: %s",
		    mc->mc_coredir, strerror(error));
	if (error == 0 && mc->mc_policy != NULL &&
	    (error = uvmpdpol_select(mc->mc_policy)) != 0) {
		why = uvmpdpol_check(mc->mc_policy);
		boot_why("replacement policy %s: %s", mc->mc_policy,
		    why != NULL ? why : strerror(error));
	}
	if (error) {
		/* (uvm_fini closes the file sandbox too) */
		kern_core_fini();
		uvm_fini();
		machine_shutdown();
		return error;
	}
	sched_init();
	kern_clock_init(mc->mc_hz);
	/* the quantum in whole ticks, at least one */
	sched_rrticks = (int)MAX(1,
	    (mc->mc_quantum_us != 0 ? mc->mc_quantum_us :
				      MACHINE_QUANTUM_DEFAULT) /
		(1000000 / (simtime_t)mc->mc_hz));
	kern_msgbuf_clear();
	maxslp = mc->mc_maxslp;
	kstack_check = mc->mc_kstack_check;
	memset(&proc0, 0, sizeof(proc0));
	LIST_INIT(&allproc);
	LIST_INIT(&zombproc);
	kern_exit_init();
	return 0;
}

/*
 * kern_shutdown: stop the kernel and power the machine off, releasing
 * every host resource, so one program can boot many machines in turn.
 *
 * => called from the host; processes still alive are torn down where
 *    they stand.
 */
void
kern_shutdown(void)
{
	KASSERT(curproc == NULL);
	kern_clock_fini();
	reaperproc = NULL;
	proc_teardown_all();
	LIST_INIT(&allproc);
	LIST_INIT(&zombproc);
	kern_exit_init();
	if (buffers != 0)
		buffini();
	uvm_fini();
	kern_core_fini();
	machine_shutdown();
	failpoint_reset_all();
}
