/*
 * kern_fork.c: creating processes -- fork1, kernel threads, and the
 * processes the simulator's host starts (kern_spawn).
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kern/kern.h"
#include "sys/file.h"

/*
 * fork1: create a child of p1 that starts at func(arg).
 *
 * 1. check the process limit and get a u-area (from the cache or new
 *    kernel memory) and a pid;
 * 2. the child inherits its parent's name, nice, recent CPU use and
 *    resource limits, and becomes a child of p1;
 * 3. uvm_fork gives it an address space (p1's, shared, with
 *    FORK_SHAREVM; else a copy by inheritance), wires its u-area, sets
 *    up its statistics there, and has cpu_fork build its thread;
 * 4. it gets a copy of p1's descriptor table, sharing its open files;
 * 5. it is made runnable.
 *
 * => FORK_SYSTEM makes a kernel thread (P_SYSTEM: never swapped out,
 *    deaf to signals).
 * => returns 0 and the child in *rnewprocp (if not NULL); EAGAIN when
 *    there are maxproc processes or no pid; ENOMEM when kernel memory
 *    or the address space could not be had.  Nothing is left behind on
 *    failure.
 */
int
fork1(struct proc *p1, int flags, void *stack, size_t stacksize,
    void (*func)(void *), void *arg, struct proc **rnewprocp)
{
	struct proc *p2;
	vaddr_t uaddr;
	int error;

	/* counted at once: the fork may sleep, and others fork meanwhile */
	if (nprocs >= maxproc)
		return EAGAIN;
	nprocs++;
	uaddr = uvm_uarea_alloc();
	if (uaddr == 0) {
		nprocs--;
		return ENOMEM;
	}
	p2 = proc_alloc();
	if (p2 == NULL) {
		uvm_uarea_free(uaddr);
		nprocs--;
		return EAGAIN;
	}
	p2->p_stat = SIDL;
	p2->p_flag = P_INMEM | ((flags & FORK_SYSTEM) ? P_SYSTEM : 0);
	memcpy(p2->p_comm, p1->p_comm, sizeof(p2->p_comm));
	p2->p_nice = p1->p_nice;
	p2->p_estcpu = p1->p_estcpu;
	memcpy(p2->p_rlimit, p1->p_rlimit, sizeof(p2->p_rlimit));
	p2->p_addr = uaddr;
	p2->p_pptr = p1;
	p2->p_kfunc = func;
	p2->p_karg = arg;
	resetpriority(p2);
	p2->p_priority = p2->p_usrpri;

	error = uvm_fork(p1, p2, (flags & FORK_SHAREVM) != 0, stack, stacksize,
	    func, arg);
	if (error) {
		uvm_uarea_free(uaddr);
		p2->p_addr = 0;
		proc_free(p2);
		nprocs--;
		return error;
	}
	proc_pstats(p2)->p_start = clock_now();
	/* the child shares its parent's open files (none: no table) */
	p2->p_fd = fdcopy(p1);

	proclist_lock_write();
	LIST_INSERT_HEAD(&allproc, p2, p_list);
	LIST_INSERT_HEAD(&p1->p_children, p2, p_sibling);
	proclist_unlock_write();

	p2->p_stat = SRUN;
	setrunqueue(p2);
	TRACE(TRC_PROC, "pid %d (%s): fork: child pid %d%s", p1->p_pid,
	    p1->p_comm, p2->p_pid,
	    (flags & FORK_SHAREVM) ? ", sharing its vmspace" : "");
	VMEVENT(VMEV_FORK, p1->p_pid, p2->p_pid,
	    (flags & FORK_SYSTEM) ? "kernel thread" : NULL);
	if (rnewprocp != NULL)
		*rnewprocp = p2;
	return 0;
}

/*
 * kthread_create: a kernel thread named `name' running func(arg), a
 * child of proc0 sharing its address space.
 */
int
kthread_create(void (*func)(void *), void *arg, struct proc **pp,
    const char *name)
{
	struct proc *p;
	int error;

	error =
	    fork1(&proc0, FORK_SHAREVM | FORK_SYSTEM, NULL, 0, func, arg, &p);
	if (error)
		return error;
	snprintf(p->p_comm, sizeof(p->p_comm), "%s", name);
	if (pp != NULL)
		*pp = p;
	return 0;
}

/*
 * proc_user_start: where a user process's thread begins: run its
 * program and exit with what it returns.
 */
static void
proc_user_start(void *arg __unused)
{
	struct proc *p = curproc;
	int rv;

	userret(p);
	rv = p->p_prog(p, p->p_progarg);
	exit1(p, W_EXITCODE(rv & 0xff, 0));
}

/*
 * proc_fork: the fork system call of a program: a child of p running
 * prog(child, arg), with a copy of p's address space.
 *
 * => returns 0 and the child in *childp, or fork1's error.
 */
int
proc_fork(struct proc *p, proc_prog_t prog, void *arg, struct proc **childp)
{
	struct proc *p2;
	int error;

	error = fork1(p, 0, NULL, 0, proc_user_start, NULL, &p2);
	if (error)
		return error;
	p2->p_prog = prog;
	p2->p_progarg = arg;
	if (childp != NULL)
		*childp = p2;
	return 0;
}

/*
 * kern_spawn: start a user process from the host: a child of proc0
 * with an address space of its own (kern_exec_vmspace) running
 * prog(p, arg), its zombie kept for kern_collect.
 *
 * => call from the host, outside the threads; it runs at the next
 *    kern_run.
 * => returns 0 and the process, or EAGAIN / ENOMEM.
 */
int
kern_spawn(const char *name, proc_prog_t prog, void *arg, struct proc **pp)
{
	struct vmspace *vm;
	struct proc *p;
	int error;

	KASSERT(curproc == NULL);
	vm = kern_exec_vmspace(&proc0);
	if (vm == NULL)
		return ENOMEM;
	error = fork1(&proc0, FORK_SHAREVM, NULL, 0, proc_user_start, NULL, &p);
	if (error) {
		uvmspace_free(vm);
		return error;
	}
	/* the exec: drop proc0's address space for the new one */
	uvmspace_free(p->p_vmspace);
	p->p_vmspace = vm;
	p->p_flag |= P_SPAWNED;
	p->p_prog = prog;
	p->p_progarg = arg;
	snprintf(p->p_comm, sizeof(p->p_comm), "%s", name);
	if (pp != NULL)
		*pp = p;
	return 0;
}
