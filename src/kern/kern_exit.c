/*
 * kern_exit.c: the end of a process -- exit1, the reaper, and wait.
 *
 * A process cannot free the memory it runs on, so exit is in two
 * halves.  exit1, in the dying process, gives up what it can (its
 * timeout, its children), records its status, puts itself on the dead
 * list as SDEAD and switches away for the last time.  The reaper, a
 * kernel thread, then frees its host stack and calls uvm_exit for its
 * address space and u-area (freeing a vmspace may sleep, which the dying
 * thread can no longer do), and makes it a zombie for its parent's
 * wait.  Orphans are adopted by proc0, which plays init: their zombies
 * are freed at once, except those of processes the host spawned, which
 * the host collects (kern_collect).
 */

#include <errno.h>

#include "kern/kern.h"
#include "sys/file.h"

static struct proclist deadproc = LIST_HEAD_INITIALIZER(deadproc);
struct proc *reaperproc;

static void proc_zombie_free(struct proc *);

void (*kern_exit_hook)(struct proc *, int status);

/*
 * exit1: the running process ends with wait status `status'.
 *
 * => never returns.
 */
__dead void
exit1(struct proc *p, int status)
{
	struct proc *q, *next;
	struct pstats *ps;

	KASSERT(p == curproc && p != &proc0);
	KASSERT(!(p->p_flag & P_WEXIT));
	KASSERTMSG(p->p_ncleanups == 0,
	    "%s: pid %d exits holding kernel cleanups", __func__, p->p_pid);
	p->p_flag |= P_WEXIT;
	p->p_siglist = 0;
	TRACE(TRC_PROC, "pid %d (%s): exit, status 0x%x", p->p_pid, p->p_comm,
	    status);
	VMEVENT(VMEV_EXIT, p->p_pid, status, NULL);
	if (kern_exit_hook != NULL && !(p->p_flag & P_SYSTEM))
		kern_exit_hook(p, status);
	callout_stop(&p->p_tsleep_ch);
	/* its files are closed while it can still sleep for their writes */
	fdfree(p);

	ps = proc_pstats(p);
	p->p_xstat = status;
	/* what the parent's wait gets: this process and its reaped children */
	p->p_xru = ps->p_ru;
	ruadd(&p->p_xru, &ps->p_cru);
	if (kstack_check)
		p->p_kstackused =
		    cpu_kstack_check_magic(p->p_addr, USPACE, USER_KSTACK_OFF);

	proclist_lock_write();
	/* children go to proc0; those already dead are freed now */
	for (q = LIST_FIRST(&p->p_children); q != NULL; q = next) {
		next = LIST_NEXT(q, p_sibling);
		LIST_REMOVE(q, p_sibling);
		if (q->p_stat == SZOMB) {
			LIST_REMOVE(q, p_list);
			proc_zombie_free(q);
			continue;
		}
		q->p_pptr = &proc0;
		LIST_INSERT_HEAD(&proc0.p_children, q, p_sibling);
	}
	LIST_REMOVE(p, p_list);
	LIST_INSERT_HEAD(&deadproc, p, p_list);
	proclist_unlock_write();

	p->p_stat = SDEAD;
	wakeup(&deadproc);
	sched_exit();
}

/*
 * reaper_main: the reaper thread: free what each dead process still
 * holds and turn it into a zombie.
 */
void
reaper_main(void *arg __unused)
{
	struct proc *p;

	for (;;) {
		while ((p = LIST_FIRST(&deadproc)) == NULL)
			(void)tsleep(&deadproc, PVM, "reaper", 0);
		KASSERT(p->p_stat == SDEAD && p->p_md.ct_dead);
		LIST_REMOVE(p, p_list);
		cpu_thread_free(&p->p_md);
		uvm_exit(p);
		proc_reaped(p);
	}
}

/*
 * proc_reaped: a dead process has given everything back: it becomes a
 * zombie for its parent, or is freed if nobody will wait for it.
 */
void
proc_reaped(struct proc *p)
{
	struct proc *pp = p->p_pptr;

	proclist_lock_write();
	p->p_stat = SZOMB;
	if (pp == &proc0 && !(p->p_flag & P_SPAWNED)) {
		LIST_REMOVE(p, p_sibling);
		proclist_unlock_write();
		proc_zombie_free(p);
		return;
	}
	LIST_INSERT_HEAD(&zombproc, p, p_list);
	proclist_unlock_write();
	/* proc0 never waits (the host collects): &proc0 is the swapper's */
	if (pp != &proc0)
		wakeup(pp);
}

/*
 * proc_zombie_free: a zombie is gone for good: it no longer counts
 * against maxproc (as in NetBSD, a zombie does until it is reaped).
 */
static void
proc_zombie_free(struct proc *q)
{
	KASSERT(q->p_stat == SZOMB);
	nprocs--;
	proc_free(q);
}

/* collect zombie child q of p: add up its usage, free it */
static void
proc_collect(struct proc *p, struct proc *q, int *statusp)
{
	if (statusp != NULL)
		*statusp = q->p_xstat;
	if (p != &proc0)
		ruadd(&proc_pstats(p)->p_cru, &q->p_xru);
	proclist_lock_write();
	LIST_REMOVE(q, p_sibling);
	LIST_REMOVE(q, p_list);
	proclist_unlock_write();
	proc_zombie_free(q);
}

/*
 * kern_wait: the wait system call: p waits for a child (pid, or any if
 * pid is -1) to exit.
 *
 * => returns the child's pid with its status in *statusp; 0 with
 *    WNOHANG_KERN if none has exited yet; -ECHILD if p has no such
 *    child; -EINTR if a signal came and did not end the process (the
 *    signal takes effect first, as at any return from a system call).
 */
int
kern_wait(struct proc *p, int pid, int *statusp, int options)
{
	struct proc *q;
	bool found;
	int error, qpid;

	for (;;) {
		found = false;
		LIST_FOREACH (q, &p->p_children, p_sibling) {
			if (pid != -1 && q->p_pid != pid)
				continue;
			found = true;
			if (q->p_stat == SZOMB) {
				qpid = q->p_pid;
				proc_collect(p, q, statusp);
				return qpid;
			}
		}
		if (!found)
			return -ECHILD;
		if (options & WNOHANG_KERN)
			return 0;
		error = tsleep(p, PWAIT | PCATCH, "wait", 0);
		if (error) {
			userret(p);
			return -error;
		}
	}
}

/*
 * kern_collect: the host collects a spawned process that has exited.
 *
 * => returns 0 with its status; ESRCH if there is no such spawned
 *    process; EBUSY if it has not exited yet.
 */
int
kern_collect(int pid, int *statusp)
{
	struct proc *q;

	KASSERT(curproc == NULL);
	LIST_FOREACH (q, &proc0.p_children, p_sibling)
		if (q->p_pid == pid && (q->p_flag & P_SPAWNED))
			break;
	if (q == NULL)
		return ESRCH;
	if (q->p_stat != SZOMB)
		return EBUSY;
	proc_collect(&proc0, q, statusp);
	return 0;
}

/* kern_exit_init: no process is dead yet (boot, shutdown) */
void
kern_exit_init(void)
{
	LIST_INIT(&deadproc);
}
