/*
 * kern_clock.c: simulated time -- the clock tick, callouts, CPU time
 * charged to the running process, and the idle loop.
 *
 * Time moves two ways.  A running process uses CPU (kern_charge): the
 * clock moves on by that much, the callouts that fall due on the way
 * fire at their own times, and each clock tick crossed is charged to
 * the process (sched_tick).  With nothing runnable, the idle loop jumps
 * the clock to the next callout.  Nothing else moves it, so a run
 * depends only on its inputs.
 *
 * Callouts are kept sorted by time, and by the order they were set
 * among those due at the same time.  schedcpu is one, every second;
 * it is housekeeping: an idle machine whose only callouts are
 * housekeeping has nothing left to do.
 */

#include "kern/kern.h"

int hz = 100;
int ticks;

static TAILQ_HEAD(callout_head_s, callout) callouts = TAILQ_HEAD_INITIALIZER(
    callouts);
static uint64_t callout_seq;
static int callout_nwork; /* pending callouts that are not housekeeping */
static struct callout schedcpu_ch;

/* callout_init: c does nothing yet; housekeeping: see the top of this file */
void
callout_init(struct callout *c, bool housekeeping)
{
	memset(c, 0, sizeof(*c));
	c->c_housekeeping = housekeeping;
}

/* callout_stop: cancel c if it is pending */
void
callout_stop(struct callout *c)
{
	if (!c->c_pending)
		return;
	TAILQ_REMOVE(&callouts, c, c_list);
	c->c_pending = false;
	if (!c->c_housekeeping)
		callout_nwork--;
}

/*
 * callout_reset_at: call func(arg) at simulated time `when' (now, if it
 * is past), replacing what c was set to do.
 */
void
callout_reset_at(struct callout *c, simtime_t when, void (*func)(void *),
    void *arg)
{
	struct callout *after;

	callout_stop(c);
	c->c_time = MAX(when, clock_now());
	c->c_seq = callout_seq++;
	c->c_func = func;
	c->c_arg = arg;
	TAILQ_FOREACH_REVERSE (after, &callouts, callout_head_s, c_list)
		if (after->c_time <= c->c_time)
			break;
	if (after == NULL)
		TAILQ_INSERT_HEAD(&callouts, c, c_list);
	else
		TAILQ_INSERT_AFTER(&callouts, after, c, c_list);
	c->c_pending = true;
	if (!c->c_housekeeping)
		callout_nwork++;
}

/* the time of the next callout, or SIMTIME_NEVER */
static simtime_t
callout_next(void)
{
	struct callout *c = TAILQ_FIRST(&callouts);

	return c == NULL ? SIMTIME_NEVER : c->c_time;
}

/* run the first callout (it is due) */
static void
callout_run_first(void)
{
	struct callout *c = TAILQ_FIRST(&callouts);

	KASSERT(c != NULL && c->c_time <= clock_now());
	callout_stop(c);
	c->c_func(c->c_arg);
}

/* move the clock to `to', keeping `ticks' in step */
static void
kern_clock_set(simtime_t to)
{
	clock_advance(to);
	ticks = (int)(clock_now() / tick_us());
}

/* schedcpu's callout: run it, and again in a simulated second */
static void
schedcpu_callout(void *arg __unused)
{
	schedcpu();
	callout_reset_at(&schedcpu_ch, clock_now() + 1000000, schedcpu_callout,
	    NULL);
}

/*
 * kern_clock_init: time starts at zero with no callouts but schedcpu's.
 */
void
kern_clock_init(int hertz)
{
	KASSERT(hertz >= 1 && hertz <= 1000000);
	hz = hertz;
	clock_reset();
	ticks = 0;
	TAILQ_INIT(&callouts);
	callout_seq = 0;
	callout_nwork = 0;
	callout_init(&schedcpu_ch, true);
	callout_reset_at(&schedcpu_ch, 1000000, schedcpu_callout, NULL);
}

/*
 * kern_charge: the running process (or kernel code for it) uses `us'
 * microseconds of CPU.
 *
 * => callouts due during that time run at their times, as interrupts
 *    would; each clock tick crossed is charged to curproc.
 * => user says which rusage field takes the time.
 * => a switch it makes necessary happens at the caller's next
 *    preemption point (userret), not here.
 */
void
kern_charge(simtime_t us, bool user)
{
	struct proc *p = curproc;
	simtime_t end = clock_now() + us;
	int oticks;

	if (p != NULL && p->p_addr != 0 && (p->p_flag & P_INMEM)) {
		if (user)
			proc_pstats(p)->p_ru.ru_utime += us;
		else
			proc_pstats(p)->p_ru.ru_stime += us;
	}
	while (callout_next() <= end) {
		oticks = ticks;
		kern_clock_set(callout_next());
		for (; oticks < ticks; oticks++)
			sched_tick(p);
		callout_run_first();
	}
	oticks = ticks;
	kern_clock_set(end);
	for (; oticks < ticks; oticks++)
		sched_tick(p);
}

/*
 * kern_run: the idle loop.  Run processes until the machine is idle --
 * nothing runnable and no callout but housekeeping -- or until
 * simulated time `until' (SIMTIME_NEVER: only idleness stops it).
 *
 * => called from the host, outside every thread.
 * => returns true if it stopped because the machine was idle.
 */
bool
kern_run(simtime_t until)
{
	simtime_t next;

	KASSERTMSG(curproc == NULL, "%s: called from a thread", __func__);
	for (;;) {
		if (sched_idle_switch())
			continue;
		next = callout_next();
		if (until == SIMTIME_NEVER && callout_nwork == 0)
			return true;
		if (next > until) {
			if (until != SIMTIME_NEVER && until > clock_now())
				kern_clock_set(until);
			return false;
		}
		kern_clock_set(next);
		callout_run_first();
	}
}

/* kern_clock_fini: drop every callout (shutdown) */
void
kern_clock_fini(void)
{
	while (!TAILQ_EMPTY(&callouts))
		callout_stop(TAILQ_FIRST(&callouts));
}
