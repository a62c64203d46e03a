/*
 * init_main.c: booting and stopping the simulated kernel.
 */

#include <errno.h>
#include <stdio.h>

#include "kern/kern.h"

struct proc proc0;
int kstack_check;

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
	up = uvm_uarea_alloc();
	if (up == 0)
		return ENOMEM;
	if (uvm_fault_wire(kernel_map, up, up + USPACE, VM_FAULT_WIRE,
		VM_PROT_READ | VM_PROT_WRITE) != 0) {
		uvm_uarea_free(up);
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
 * => the configuration must pass machine_config_check.
 * => returns 0, or the errno value of what failed; nothing is left
 *    running on failure.
 */
int
kern_boot(const struct machine_config *mc)
{
	int error;

	error = kern_boot_vm(mc);
	if (error)
		return error;
	_Static_assert(sizeof(struct user) <= PAGE_SIZE_MIN,
	    "struct user must fit in the first page of a u-area");

	error = proc0_init();
	if (error == 0)
		bufinit();
	if (error == 0)
		error = kthread_create(uvm_pageout, NULL, NULL, "pagedaemon");
	if (error == 0)
		error =
		    kthread_create(reaper_main, NULL, &reaperproc, "reaper");
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
 * => returns 0 or the errno value of what failed; kern_shutdown stops it.
 */
int
kern_boot_vm(const struct machine_config *mc)
{
	int error;

	error = machine_boot(mc);
	if (error)
		return error;
	uvm_init();
	error = uvn_init(mc->mc_filedir);
	if (error == 0)
		error = kern_core_init(mc->mc_coredir, mc->mc_core_netbsd);
	if (error == 0 && mc->mc_policy != NULL)
		error = uvmpdpol_select(mc->mc_policy);
	if (error) {
		/* (uvm_fini closes the file sandbox too) */
		kern_core_fini();
		uvm_fini();
		machine_shutdown();
		return error;
	}
	sched_init();
	kern_clock_init(mc->mc_hz);
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
