/*
 * kern_synch.c: the run queue, sleep and wakeup, the context switch, and
 * the 4.4BSD priority computation.
 *
 * Priorities.  A process's priority is a number from 0 (most urgent) to
 * MAXPRI.  In user mode it is p_usrpri, recomputed from its recent CPU
 * use and its nice value:
 *
 *	p_usrpri = PUSER + p_estcpu / 4 + NICE_WEIGHT * (p_nice - NZERO)
 *
 * p_estcpu grows by one for every clock tick the process runs and decays
 * once a second in schedcpu by 2*load / (2*load + 1), so a process that
 * has used the CPU recently waits behind one that has not.  A process
 * that sleeps in the kernel is given the priority it slept at (PVM,
 * PWAIT, ...) until it returns to user mode (userret), so kernel work
 * finishes first.
 *
 * The run queue is NQS queues, one per PPQ priorities, served lowest
 * first, each in FIFO order; whichqs has a bit for every queue that is
 * not empty.  Only processes in memory (P_INMEM) are on it; a runnable
 * process that is swapped out waits for proc0 (uvm_scheduler) instead.
 *
 * Sleep.  tsleep puts the running process on the sleep queue of its
 * channel and switches; wakeup makes every sleeper on a channel
 * runnable.  A channel is only an address; nothing is stored there.
 */

#include <errno.h>

#include "kern/kern.h"
#include "uvm/uvm_extern.h"

#define SLPQUE_N 64

TAILQ_HEAD(procq, proc);

static struct procq sched_qs[NQS];
static uint32_t sched_whichqs;
static struct procq slpque[SLPQUE_N];
static bool sched_resched;
static struct pcb cpu_idle_pcb;
int sched_locked;
struct proc *curproc;
struct sched_counters schedcounters;

/*
 * sched_init: empty run and sleep queues (boot).
 */
void
sched_init(void)
{
	int i;

	for (i = 0; i < NQS; i++)
		TAILQ_INIT(&sched_qs[i]);
	for (i = 0; i < SLPQUE_N; i++)
		TAILQ_INIT(&slpque[i]);
	sched_whichqs = 0;
	sched_resched = false;
	sched_locked = 0;
	curproc = NULL;
	memset(&schedcounters, 0, sizeof(schedcounters));
	memset(&cpu_idle_pcb, 0, sizeof(cpu_idle_pcb));
	cpu_idle_pcb.pcb_magic = PCB_MAGIC;
}

static struct procq *
slpque_of(const void *chan)
{
	return &slpque[((uintptr_t)chan >> 3) % SLPQUE_N];
}

/*
 * setrunqueue: put a runnable process at the end of the queue for its
 * priority.
 */
void
setrunqueue(struct proc *p)
{
	int q = p->p_priority / PPQ;

	KASSERTMSG(p->p_stat == SRUN, "%s: pid %d is not runnable (stat %d)",
	    __func__, p->p_pid, p->p_stat);
	KASSERTMSG(!p->p_onrunq, "%s: pid %d already queued", __func__,
	    p->p_pid);
	TAILQ_INSERT_TAIL(&sched_qs[q], p, p_runq);
	sched_whichqs |= 1u << q;
	p->p_onrunq = true;
}

/* remrunqueue: take a process off the run queue */
void
remrunqueue(struct proc *p)
{
	int q = p->p_priority / PPQ;

	KASSERTMSG(p->p_onrunq, "%s: pid %d is not queued", __func__, p->p_pid);
	TAILQ_REMOVE(&sched_qs[q], p, p_runq);
	if (TAILQ_EMPTY(&sched_qs[q]))
		sched_whichqs &= ~(1u << q);
	p->p_onrunq = false;
}

/* chooseproc: the most urgent queued process, taken off the queue */
static struct proc *
chooseproc(void)
{
	struct proc *p;

	if (sched_whichqs == 0)
		return NULL;
	p = TAILQ_FIRST(&sched_qs[__builtin_ctz(sched_whichqs)]);
	remrunqueue(p);
	KASSERTMSG(p->p_flag & P_INMEM, "%s: pid %d queued but swapped out",
	    __func__, p->p_pid);
	return p;
}

/* need_resched: a more urgent process waits: switch at the next chance */
void
need_resched(void)
{
	sched_resched = true;
}

/*
 * want_resched: has a switch been asked for (userret's question)?  A
 * stop (kern_stopping) asks for one too: the CPU goes back to the idle
 * loop.
 */
bool
want_resched(void)
{
	return sched_resched || kern_stopping();
}

static struct pcb *
proc_pcb(struct proc *p)
{
	return p == NULL ? &cpu_idle_pcb : cpu_pcb(p->p_addr);
}

static struct cpu_thread *
proc_thread(struct proc *p)
{
	return p == NULL ? cpu_idle_thread() : &p->p_md;
}

/*
 * sched_handover: next (NULL: the idle loop) is about to get the CPU:
 * it becomes curproc, running, with its address space active.
 */
static void
sched_handover(struct proc *next)
{
	sched_resched = false;
	schedcounters.switches++;
	curproc = next;
	if (next != NULL) {
		next->p_stat = SONPROC;
		if (next->p_vmspace != NULL)
			pmap_activate(vm_map_pmap(&next->p_vmspace->vm_map));
	}
}

/*
 * mi_switch: give the CPU to the most urgent runnable process, or to
 * the idle loop if there is none.
 *
 * => the caller has put curproc where it belongs first: on the run
 *    queue (preempt), a sleep queue, stopped, or dead (sched_exit).
 * => returns when curproc is switched back to; if curproc itself is
 *    the most urgent, at once.
 */
void
mi_switch(void)
{
	struct proc *p = curproc, *next;

	KASSERTMSG(sched_locked == 0, "%s: switch with the scheduler locked",
	    __func__);
	KASSERTMSG(!proclist_locked(),
	    "%s: switch with the process list locked", __func__);
	/* a stop gives the CPU to the idle loop, whoever is runnable */
	next = kern_stopping() ? NULL : chooseproc();
	if (next == p) {
		sched_resched = false;
		p->p_stat = SONPROC;
		return;
	}
	sched_handover(next);
	cpu_switch(proc_thread(p), proc_pcb(p), proc_thread(next),
	    proc_pcb(next));
	KASSERT(curproc == p);
}

/*
 * sched_exit: the dying curproc leaves the CPU for good.
 */
__dead void
sched_exit(void)
{
	struct proc *p = curproc, *next;

	KASSERT(p != NULL && p->p_stat == SDEAD);
	next = kern_stopping() ? NULL : chooseproc();
	sched_handover(next);
	cpu_switch_exit(&p->p_md, proc_thread(next), proc_pcb(next));
}

/*
 * sched_idle_switch: the idle loop runs the most urgent process.
 *
 * => if nothing is runnable it zeroes free pages, as NetBSD 1.6's idle
 *    loop does (uvm_pageidlezero), and returns false.  1.6 zeroes until
 *    a process becomes runnable; here nothing can become runnable while
 *    the idle loop runs, so each idle entry zeroes UVM_PAGEIDLEZERO_MAX
 *    pages at most, in no simulated time: the CPU was idle anyway.
 * => otherwise it returns when the CPU comes back to the idle loop.
 */
bool
sched_idle_switch(void)
{
	struct proc *next;

	KASSERT(curproc == NULL);
	next = chooseproc();
	if (next == NULL) {
		(void)uvm_pageidlezero(UVM_PAGEIDLEZERO_MAX);
		return false;
	}
	sched_handover(next);
	cpu_switch(cpu_idle_thread(), &cpu_idle_pcb, &next->p_md,
	    proc_pcb(next));
	KASSERT(curproc == NULL);
	return true;
}

/* sched_runnable: is a process waiting for the CPU? */
bool
sched_runnable(void)
{
	return sched_whichqs != 0;
}

/*
 * sched_park: the machine stops (kern_stopping) while curproc runs: it
 * gives the CPU back to the idle loop and stays runnable, first in its
 * queue, so that the next kern_run goes on with it as if the run had
 * never stopped -- a switch that was due still happens at its next
 * preemption point.  Not a preemption: nothing counts it.
 *
 * => returns when the idle loop runs curproc again.
 */
void
sched_park(void)
{
	struct proc *p = curproc;
	bool resched = sched_resched;
	int q;

	KASSERT(p != NULL);
	p->p_stat = SRUN;
	q = p->p_priority / PPQ;
	TAILQ_INSERT_HEAD(&sched_qs[q], p, p_runq);
	sched_whichqs |= 1u << q;
	p->p_onrunq = true;
	sched_handover(NULL);
	cpu_switch(proc_thread(p), proc_pcb(p), cpu_idle_thread(),
	    &cpu_idle_pcb);
	KASSERT(curproc == p);
	sched_resched = sched_resched || resched;
}

/*
 * preempt: the running process gives up the CPU but stays runnable.
 * With no switch asked for but a stop (want_resched), it is parked
 * instead (sched_park).
 */
void
preempt(void)
{
	struct proc *p = curproc;

	KASSERT(p != NULL);
	if (!sched_resched && kern_stopping()) {
		sched_park();
		return;
	}
	p->p_stat = SRUN;
	setrunqueue(p);
	if (p->p_addr != 0 && (p->p_flag & P_INMEM))
		proc_pstats(p)->p_ru.ru_nivcsw++;
	schedcounters.preempts++;
	mi_switch();
}

/*
 * decay_cpu: one second's decay of an estcpu value at load average
 * loadav (fixed point): estcpu * 2*load / (2*load + 1).
 */
static unsigned int
decay_cpu(uint64_t loadfac, unsigned int estcpu)
{
	return (unsigned int)((loadfac * estcpu) / (loadfac + FSCALE));
}

/* the decay's load factor: twice the 1-minute load average */
static uint64_t
sched_loadfac(void)
{
	return 2 * (uint64_t)uvm_loadavg(0);
}

/*
 * resetpriority: recompute a process's user-mode priority from its
 * estcpu and nice, and ask for a switch if it now beats curproc.
 */
void
resetpriority(struct proc *p)
{
	int pri;

	pri =
	    PUSER + (int)(p->p_estcpu / 4) + NICE_WEIGHT * (p->p_nice - NZERO);
	pri = MAX(pri, PUSER - NICE_WEIGHT * NZERO);
	pri = MIN(pri, MAXPRI);
	p->p_usrpri = pri;
	if (curproc != NULL && pri < curproc->p_priority)
		need_resched();
}

/*
 * updatepri: a process wakes after sleeping p_slptime seconds: decay its
 * estcpu for the seconds schedcpu skipped while it slept.
 */
static void
updatepri(struct proc *p)
{
	uint64_t loadfac = sched_loadfac();
	unsigned int newcpu = p->p_estcpu;

	if (p->p_slptime > 5 * (loadfac / FSCALE + 1))
		newcpu = 0;
	else {
		p->p_slptime--; /* the last second was counted by schedcpu */
		while (newcpu != 0 && p->p_slptime-- > 0)
			newcpu = decay_cpu(loadfac, newcpu);
	}
	p->p_estcpu = newcpu;
	resetpriority(p);
}

/*
 * schedcpu: once a second: age every process's swap and sleep times,
 * decay recent CPU use and recompute priorities, moving queued processes
 * to their new queues; and if a runnable process is swapped out, wake
 * proc0 to bring it in.
 */
void
schedcpu(void)
{
	uint64_t loadfac = sched_loadfac();
	bool wantin = false;
	struct proc *p;

	proclist_lock_read();
	LIST_FOREACH (p, &allproc, p_list) {
		p->p_swtime++;
		if (p->p_stat == SRUN && !(p->p_flag & P_INMEM))
			wantin = true;
		if (p->p_stat == SSLEEP || p->p_stat == SSTOP)
			p->p_slptime++;
		p->p_cpticks = 0;
		/* a process asleep for more than a second is done later */
		if (p->p_slptime > 1)
			continue;
		p->p_estcpu = decay_cpu(loadfac, p->p_estcpu);
		if (p->p_flag & P_SYSTEM)
			continue;
		resetpriority(p);
		if (p->p_priority >= PUSER && p->p_priority != p->p_usrpri) {
			if (p->p_onrunq) {
				remrunqueue(p);
				p->p_priority = p->p_usrpri;
				setrunqueue(p);
			} else
				p->p_priority = p->p_usrpri;
		}
	}
	proclist_unlock_read();
	schedcounters.schedcpu++;
	if (wantin)
		wakeup(&proc0);
	uvm_meter();
}

int sched_rrticks = 10; /* set at boot from the machine's quantum */

/*
 * sched_tick: the running process used one clock tick (statclock):
 * charge it, recompute its priority every fourth tick, and ask for a
 * round-robin switch every sched_rrticks ticks (a tenth of a second
 * unless the machine's quantum says otherwise).
 */
void
sched_tick(struct proc *p)
{
	if (p != NULL) {
		p->p_cpticks++;
		if (p->p_estcpu < 255)
			p->p_estcpu++;
		if ((p->p_estcpu & 3) == 0 && !(p->p_flag & P_SYSTEM)) {
			resetpriority(p);
			if (p->p_priority >= PUSER)
				p->p_priority = p->p_usrpri;
		}
	}
	if (ticks % sched_rrticks == 0)
		need_resched();
}

/* unsleep: take p off its sleep queue, if it is on one */
static void
unsleep(struct proc *p)
{
	if (p->p_wchan != NULL) {
		TAILQ_REMOVE(slpque_of(p->p_wchan), p, p_sleepq);
		p->p_wchan = NULL;
	}
}

/*
 * setrunnable: make a sleeping or stopped process runnable.
 *
 * => in memory, it goes on the run queue; swapped out, proc0 is woken
 *    to bring it in (uvm_scheduler).
 */
void
setrunnable(struct proc *p)
{
	KASSERTMSG(p->p_stat == SSLEEP || p->p_stat == SSTOP,
	    "%s: pid %d in state %d", __func__, p->p_pid, p->p_stat);
	unsleep(p);
	p->p_stat = SRUN;
	if (p->p_slptime > 1)
		updatepri(p);
	p->p_slptime = 0;
	if (p->p_flag & P_INMEM) {
		setrunqueue(p);
		if (curproc == NULL || p->p_priority < curproc->p_priority)
			need_resched();
	} else
		wakeup(&proc0);
}

/* endtsleep: a sleep's timeout expired */
static void
endtsleep(void *arg)
{
	struct proc *p = arg;

	if (p->p_wchan == NULL)
		return;
	p->p_flag |= P_TIMEOUT;
	if (p->p_stat == SSLEEP)
		setrunnable(p);
	else
		unsleep(p);
}

/*
 * tsleep_until: sleep on chan until woken, or until simulated time
 * `when' (SIMTIME_NEVER: no timeout).
 *
 * => pri is the priority to wake with; with PCATCH a signal ends the
 *    sleep (and a signal already pending prevents it).
 * => returns 0 when woken, EWOULDBLOCK when the time came, EINTR for a
 *    signal.
 * => must be called by a process (curproc), never with the scheduler
 *    or the process list locked.
 */
int
tsleep_until(const void *chan, int pri, const char *wmesg, simtime_t when)
{
	struct proc *p = curproc;
	bool catch = (pri & PCATCH) != 0;

	KASSERTMSG(p != NULL, "%s: sleep \"%s\" outside any thread", __func__,
	    wmesg);
	KASSERT(chan != NULL);
	KASSERTMSG((pri & PRIMASK) <= MAXPRI, "%s: priority %d", __func__,
	    pri & PRIMASK);
	if (catch && proc_sigpending(p))
		return EINTR;
	p->p_wchan = chan;
	p->p_wmesg = wmesg;
	p->p_slptime = 0;
	p->p_priority = pri & PRIMASK;
	TAILQ_INSERT_TAIL(slpque_of(chan), p, p_sleepq);
	if (when != SIMTIME_NEVER)
		callout_reset_at(&p->p_tsleep_ch, when, endtsleep, p);
	if (catch)
		p->p_flag |= P_SINTR;
	p->p_stat = SSLEEP;
	if (p->p_addr != 0)
		proc_pstats(p)->p_ru.ru_nvcsw++;
	schedcounters.sleeps++;
	mi_switch();

	p->p_flag &= ~P_SINTR;
	p->p_wmesg = NULL;
	if (p->p_flag & P_TIMEOUT) {
		p->p_flag &= ~P_TIMEOUT;
		return EWOULDBLOCK;
	}
	callout_stop(&p->p_tsleep_ch);
	if (catch && proc_sigpending(p))
		return EINTR;
	return 0;
}

/* tsleep: as tsleep_until, with a timeout of timo ticks (0: none) */
int
tsleep(const void *chan, int pri, const char *wmesg, int timo)
{
	return tsleep_until(chan, pri, wmesg,
	    timo > 0 ? clock_now() + (simtime_t)timo * tick_us() :
		       SIMTIME_NEVER);
}

/* wake p from its sleep on its channel */
static void
wakeup_proc(struct proc *p)
{
	if (p->p_stat == SSLEEP)
		setrunnable(p);
	else
		unsleep(p); /* stopped: stays stopped */
}

/* wakeup: make every process asleep on chan runnable */
void
wakeup(const void *chan)
{
	struct proc *p, *next;

	for (p = TAILQ_FIRST(slpque_of(chan)); p != NULL; p = next) {
		next = TAILQ_NEXT(p, p_sleepq);
		if (p->p_wchan == chan)
			wakeup_proc(p);
	}
}

/*
 * wakeup_one: wake only the first process asleep on chan that can run;
 * if every one is stopped, the first of those (it will find the wakeup
 * when it is continued).
 */
void
wakeup_one(const void *chan)
{
	struct proc *p, *stopped = NULL;

	TAILQ_FOREACH (p, slpque_of(chan), p_sleepq) {
		if (p->p_wchan != chan)
			continue;
		if (p->p_stat == SSLEEP) {
			wakeup_proc(p);
			return;
		}
		if (stopped == NULL)
			stopped = p;
	}
	if (stopped != NULL)
		wakeup_proc(stopped);
}

/* proc_unsleep: take a stopped or killed process off its sleep queue */
void
proc_unsleep(struct proc *p)
{
	unsleep(p);
}
