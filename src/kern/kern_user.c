/*
 * kern_user.c: what a simulated program can do -- touch its memory,
 * fork, sleep, compute, map memory (mmap), truncate a file.
 *
 * Each call is a trip into the kernel and back: it costs simulated time,
 * and it ends in userret, where pending signals take effect (a load or
 * store the VM cannot satisfy posts SIGSEGV, SIGBUS or SIGKILL there,
 * and the program does not come back) and where a process that has used
 * up its time slice gives the CPU to the next.
 */

#include <errno.h>

#include "kern/kern.h"

enum proc_op { PROC_LOAD, PROC_STORE, PROC_FILL };

/* kern_npages: the pages [va, va + len) spans */
uint64_t
kern_npages(vaddr_t va, size_t len)
{
	return len == 0 ? 0 : atop(round_page(va + len) - trunc_page(va));
}

static int
proc_access(struct proc *p, enum proc_op op, vaddr_t va, void *buf, int c,
    size_t len)
{
	struct vmspace *vm = p->p_vmspace;
	struct uvm_access_fault uaf;
	struct ksiginfo ksi;
	struct pstats *ps;
	int sig;

	KASSERT(p == curproc);
	switch (op) {
	case PROC_LOAD:
		sig = uvm_load(vm, va, buf, len, &uaf);
		break;
	case PROC_STORE:
		sig = uvm_store(vm, va, buf, len, &uaf);
		break;
	default:
		sig = uvm_fill(vm, va, c, len, &uaf);
		break;
	}
	kern_charge(PROC_ACCESS_US * MAX(kern_npages(va, len), 1), true);
	ps = proc_pstats(p);
	ps->p_ru.ru_maxrss = MAX(ps->p_ru.ru_maxrss,
	    pmap_resident_count(vm_map_pmap(&vm->vm_map)));
	if (sig == 0)
		uvm_grow(p, va);
	else {
		/* as UVM: memory and swap are both gone, the process goes */
		if (uaf.uaf_error == ENOMEM)
			kmsg("pid %d (%s): killed: out of swap", p->p_pid,
			    p->p_comm);
		ksi = (struct ksiginfo){ .ksi_signo = sig,
			.ksi_code = uaf.uaf_code,
			.ksi_addr = uaf.uaf_va };
		trapsignal(p, &ksi);
	}
	userret(p);
	return sig;
}

/*
 * proc_load, proc_store, proc_fill: the program reads len bytes at va
 * into buf, writes buf there, or fills the range with byte c.
 *
 * => return 0; an access that faults for good does not return (the
 *    signal's default action ends the process).
 */
int
proc_load(struct proc *p, vaddr_t va, void *buf, size_t len)
{
	return proc_access(p, PROC_LOAD, va, buf, 0, len);
}

int
proc_store(struct proc *p, vaddr_t va, const void *buf, size_t len)
{
	return proc_access(p, PROC_STORE, va, (void *)(uintptr_t)buf, 0, len);
}

int
proc_fill(struct proc *p, vaddr_t va, int c, size_t len)
{
	return proc_access(p, PROC_FILL, va, NULL, c, len);
}

/*
 * proc_sleep: the program sleeps for us microseconds of simulated time.
 *
 * => returns 0, or EINTR if a signal cut the sleep short (a stop and
 *    continue does not: the sleep goes on to its end).
 */
int
proc_sleep(struct proc *p, simtime_t us)
{
	simtime_t end = clock_now() + us;
	int error = 0;

	KASSERT(p == curproc);
	while (clock_now() < end) {
		error = tsleep_until(&p->p_tsleep_ch, PPAUSE | PCATCH, "pause",
		    end);
		if (error == EINTR)
			break;
		error = 0;
	}
	userret(p);
	return error;
}

/*
 * proc_compute: the program computes for us microseconds.
 *
 * => charged a clock tick at a time, with a preemption point after
 *    each, so a long computation shares the CPU as the scheduler says.
 */
void
proc_compute(struct proc *p, simtime_t us)
{
	simtime_t step;

	KASSERT(p == curproc);
	do {
		step = MIN(us, tick_us());
		kern_charge(step, true);
		userret(p);
		us -= step;
	} while (us > 0);
}

/*
 * proc_mmap: the program calls mmap(2) -- sys_mmap, with its arguments
 * and its answers, the address mapped in *vap -- as a trip into the
 * kernel like the calls above: it costs simulated time and ends in
 * userret.  The one way a program maps memory: there is no second path
 * with rules of its own.
 *
 * => returns 0 with the address in *vap, or sys_mmap's error.
 */
int
proc_mmap(struct proc *p, vaddr_t addr, vsize_t len, vm_prot_t prot, int flags,
    int fd, voff_t pos, vaddr_t *vap)
{
	int error;

	KASSERT(p == curproc);
	error = sys_mmap(p, addr, len, prot, flags, fd, pos, vap);
	kern_charge(PROC_ACCESS_US, false);
	userret(p);
	return error;
}

/*
 * proc_truncate: the program truncates (or extends) the sandbox file
 * `name' to size bytes; pages of it wholly past the new end leave every
 * mapping, and touching them is SIGBUS.
 *
 * => returns 0, or the attach's or the host's error.
 */
int
proc_truncate(struct proc *p, const char *name, voff_t size)
{
	struct uvm_object *uobj;
	int error;

	KASSERT(p == curproc);
	if (size < 0)
		return EINVAL;
	error = uvn_attach(name, false, &uobj);
	if (error == 0) {
		error = uvn_truncate(uobj, size);
		uvn_detach(uobj);
	}
	kern_charge(PROC_ACCESS_US, false);
	userret(p);
	return error;
}
