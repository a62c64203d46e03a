/*
 * kern_proc.c: the process table -- allproc, pids, and the process-list
 * lock.
 */

#include <stdlib.h>
#include <string.h>

#include "kern/kern.h"
#include "machine/hostmem.h"
#include "sys/file.h"

#define PID_MAX	 30000
#define PIDHASHN 64

struct proclist allproc = LIST_HEAD_INITIALIZER(allproc);
struct proclist zombproc = LIST_HEAD_INITIALIZER(zombproc);
static struct proclist pidhash[PIDHASHN];
int nprocs;
int maxproc = 1000;
static int lastpid;

/*
 * The process-list lock.  One CPU switches only where a thread sleeps,
 * so the lock cannot be contended; it asserts its discipline instead:
 * no sleeping while it is held, no writer beside readers.
 */
static int proclist_readers;
static bool proclist_writer;

void
proclist_lock_read(void)
{
	KASSERTMSG(!proclist_writer, "%s: write-locked", __func__);
	proclist_readers++;
}

void
proclist_unlock_read(void)
{
	KASSERTMSG(proclist_readers > 0, "%s: not read-locked", __func__);
	proclist_readers--;
}

void
proclist_lock_write(void)
{
	KASSERTMSG(!proclist_writer && proclist_readers == 0,
	    "%s: already locked", __func__);
	proclist_writer = true;
}

void
proclist_unlock_write(void)
{
	KASSERTMSG(proclist_writer, "%s: not write-locked", __func__);
	proclist_writer = false;
}

/* is the process list locked (a sleep now would be a bug)? */
bool
proclist_locked(void)
{
	return proclist_writer || proclist_readers > 0;
}

static struct proclist *
pidhashchain(int pid)
{
	return &pidhash[pid % PIDHASHN];
}

/* pfind: the process with this pid -- being made, alive, or a zombie -- or NULL */
struct proc *
pfind(int pid)
{
	struct proc *p;

	LIST_FOREACH (p, pidhashchain(pid), p_hash)
		if (p->p_pid == pid)
			return p;
	return NULL;
}

/* is pid taken by a process or a zombie? */
static bool
pid_inuse(int pid)
{
	return pfind(pid) != NULL;
}

/*
 * proc_alloc: a new, empty process with the next free pid, in the pid
 * hash but on no other list.
 *
 * => pids are handed out in increasing order and wrap at PID_MAX, so a
 *    run is deterministic; returns NULL if every pid is taken.
 */
struct proc *
proc_alloc(void)
{
	struct proc *p;
	int pid, n;

	pid = lastpid;
	for (n = 0; n < PID_MAX; n++) {
		if (++pid >= PID_MAX)
			pid = 1;
		if (!pid_inuse(pid))
			break;
	}
	if (n == PID_MAX)
		return NULL;
	p = hostmem_zalloc(1, sizeof(*p));
	lastpid = pid;
	p->p_pid = pid;
	LIST_INIT(&p->p_children);
	callout_init(&p->p_tsleep_ch, false);
	LIST_INSERT_HEAD(pidhashchain(pid), p, p_hash);
	return p;
}

/*
 * kcleanup_push: the running thread holds what kc gives back (fn(arg))
 * until it pops it; the host (no thread) cannot be stopped half-way
 * and records nothing.
 */
void
kcleanup_push(struct kcleanup *kc, void (*fn)(void *), void *arg)
{
	struct proc *p = curproc;

	kc->kc_fn = fn;
	kc->kc_arg = arg;
	if (p == NULL)
		return;
	KASSERTMSG(p->p_ncleanups < KCLEANUP_MAX,
	    "%s: pid %d holds too many cleanups", __func__, p->p_pid);
	p->p_cleanup_fn[p->p_ncleanups] = fn;
	p->p_cleanup_arg[p->p_ncleanups] = arg;
	p->p_ncleanups++;
}

/*
 * kcleanup_push_state: as kcleanup_push, with fn's argument a copy of
 * the len bytes at state, kept with the process (or in kc when the host
 * runs).  Returns that copy: the caller records its progress there, so
 * that shutdown sees how far it got even if its stack was swapped out.
 *
 * => len is at most KCLEANUP_STATE.
 */
void *
kcleanup_push_state(struct kcleanup *kc, void (*fn)(void *), const void *state,
    size_t len)
{
	struct proc *p = curproc;
	union kcleanup_state *ks = &kc->kc_state;

	KASSERT(len <= sizeof(*ks));
	if (p != NULL) {
		KASSERTMSG(p->p_ncleanups < KCLEANUP_MAX,
		    "%s: pid %d holds too many cleanups", __func__, p->p_pid);
		ks = &p->p_cleanup_state[p->p_ncleanups];
	}
	memcpy(ks, state, len);
	kcleanup_push(kc, fn, ks);
	return ks;
}

/* kcleanup_pop: kc, the last one pushed, is done with (not run) */
void
kcleanup_pop(struct kcleanup *kc)
{
	struct proc *p = curproc;

	if (p == NULL)
		return;
	KASSERTMSG(p->p_ncleanups > 0 &&
		p->p_cleanup_fn[p->p_ncleanups - 1] == kc->kc_fn &&
		p->p_cleanup_arg[p->p_ncleanups - 1] == kc->kc_arg,
	    "%s: pid %d pops out of order", __func__, p->p_pid);
	p->p_ncleanups--;
}

/*
 * kcleanup_run: p will never run again (shutdown): give back what its
 * kernel path held, the last pushed first, from p's own copies (its
 * stack may be swapped out and scribbled over).
 */
void
kcleanup_run(struct proc *p)
{
	int i;

	while ((i = p->p_ncleanups) > 0) {
		p->p_ncleanups = i - 1;
		p->p_cleanup_fn[i - 1](p->p_cleanup_arg[i - 1]);
	}
}

/*
 * proc_free: forget a process for good (a reaped zombie, or one whose
 * fork failed).
 *
 * => it must be on no list but the pid hash, own no memory, and have
 *    no thread left.
 */
void
proc_free(struct proc *p)
{
	KASSERT(p != &proc0 && p->p_vmspace == NULL && p->p_addr == 0);
	KASSERT(!p->p_onrunq && p->p_wchan == NULL);
	KASSERT(LIST_EMPTY(&p->p_children));
	callout_stop(&p->p_tsleep_ch);
	/* a process torn down at shutdown still has its files */
	fdfree(p);
	LIST_REMOVE(p, p_hash);
	free(p);
}

/* proc_hash_proc0: proc0 is static and has pid 0 */
void
proc_hash_proc0(void)
{
	int i;

	for (i = 0; i < PIDHASHN; i++)
		LIST_INIT(&pidhash[i]);
	LIST_INSERT_HEAD(pidhashchain(0), &proc0, p_hash);
	lastpid = 0;
	nprocs = 1;
}

/*
 * proc_pstats: p's statistics, reached as the kernel reaches them:
 * through the kernel mapping of its u-area.
 *
 * => the u-area must be wired; touching that of a swapped-out process
 *    is the bug P_INMEM exists to prevent (on the real machine it would
 *    fault on a page that may be gone).  With DEBUG, a panic here says
 *    so: the check is a second walk of the kernel's page tables, and a
 *    replay reaches the statistics twice a reference.  Without, an
 *    unmapped u-area still panics on the access itself.
 */
struct pstats *
proc_pstats(struct proc *p)
{
	paddr_t pa __unused;
	void *host;

	KASSERTMSG(p->p_stats != 0, "%s: pid %d has no u-area", __func__,
	    p->p_pid);
	KDASSERTMSG(pmap_extract(pmap_kernel(), p->p_stats, &pa) &&
		PHYS_TO_VM_PAGE(pa)->wire_count != 0,
	    "%s: kernel touched the u-area of swapped-out pid %d", __func__,
	    p->p_pid);
	if (pmap_access(pmap_kernel(), p->p_stats, VM_PROT_READ | VM_PROT_WRITE,
		&host) != 0)
		panic("%s: kernel fault on the u-area of pid %d", __func__,
		    p->p_pid);
	return host;
}

/*
 * proc_teardown_all: forget every process but proc0, in whatever state
 * it is -- being forked, running, asleep, dead in the reaper's hands, a
 * zombie (shutdown).  Every process is in the pid hash from proc_alloc
 * to proc_free, so none is missed.
 */
void
proc_teardown_all(void)
{
	struct proc *p;
	int i;

	for (i = 0; i < PIDHASHN; i++) {
		while ((p = LIST_FIRST(&pidhash[i])) != NULL) {
			if (p == &proc0) {
				LIST_REMOVE(p, p_hash);
				continue;
			}
			proc_teardown(p);
		}
	}
	proc_teardown(&proc0);
}
