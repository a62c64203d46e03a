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

/* stopping (kern.h) */
volatile sig_atomic_t kern_stop_signal;
uint64_t kern_steps;
void (*kern_stop_hook)(enum kern_stop);
void (*kern_poll_hook)(void);
simtime_t kern_sample_at = SIMTIME_NEVER;
void (*kern_sample_hook)(simtime_t);
static simtime_t limit_time = SIMTIME_NEVER;
static uint64_t limit_steps;
static enum kern_stop stop_reason;
/* where the current kern_run stops: its `until', or the time limit */
static simtime_t stop_at = SIMTIME_NEVER;

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

/*
 * move the clock to `to', keeping `ticks' in step; the time series'
 * observer sees the machine first if a sample falls due on the way
 */
static void
kern_clock_set(simtime_t to)
{
	if (__predict_false(to >= kern_sample_at) && kern_sample_hook != NULL)
		kern_sample_hook(to);
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
	kern_steps = 0;
	stop_reason = KSTOP_NONE;
	stop_at = SIMTIME_NEVER;
	callout_init(&schedcpu_ch, true);
	callout_reset_at(&schedcpu_ch, 1000000, schedcpu_callout, NULL);
}

/* kern_set_limits: see kern.h; a limit already passed stops the next run */
void
kern_set_limits(simtime_t max_time, uint64_t max_steps)
{
	limit_time = max_time;
	limit_steps = max_steps;
}

enum kern_stop
kern_stopped(void)
{
	if (stop_reason == KSTOP_NONE && kern_stop_signal != 0)
		stop_reason = KSTOP_SIGNAL;
	return stop_reason;
}

/*
 * kern_stopping: the machine must stop: a signal, a limit, or the time
 * the current kern_run runs to has come.
 */
bool
kern_stopping(void)
{
	return kern_stopped() != KSTOP_NONE || clock_now() >= stop_at;
}

/* one step more (a charge, a callout); the step limit may stop the run */
static void
kern_step(void)
{
	kern_steps++;
	if (limit_steps != 0 && kern_steps >= limit_steps &&
	    stop_reason == KSTOP_NONE)
		stop_reason = KSTOP_STEPS;
	if (kern_poll_hook != NULL && kern_steps % KERN_POLL_STEPS == 0)
		kern_poll_hook();
}

/*
 * charge_span: us microseconds of CPU used by p (NULL: the idle loop):
 * callouts due in that time run at their times, as interrupts would, and
 * each clock tick crossed is charged to p.
 */
static void
charge_span(struct proc *p, simtime_t us, bool user)
{
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
 * kern_charge: the running process (or kernel code for it) uses `us'
 * microseconds of CPU.
 *
 * => callouts due during that time run at their times, as interrupts
 *    would; each clock tick crossed is charged to curproc.
 * => user says which rusage field takes the time.  User time is
 *    interruptible: if the run must stop before it is over (the time
 *    kern_run runs to, the time limit), the process is charged up to
 *    that moment and parked there (sched_park), and is charged the rest
 *    when a later kern_run runs it again; so `run 1ms' stops at 1 ms
 *    however long the process computes.  Kernel time is not: kernel
 *    code between two sleeps runs whole.
 * => any other switch it makes necessary happens at the caller's next
 *    preemption point (userret), not here.
 */
void
kern_charge(simtime_t us, bool user)
{
	struct proc *p = curproc;
	simtime_t step;

	kern_step();
	for (;;) {
		step = us;
		if (user && p != NULL && stop_at < clock_now() + us)
			step =
			    stop_at > clock_now() ? stop_at - clock_now() : 0;
		charge_span(p, step, user);
		us -= step;
		if (us == 0)
			break;
		sched_park();
	}
}

/*
 * kern_run: the idle loop.  Run processes until the machine is idle --
 * nothing runnable and no callout but housekeeping -- or until
 * simulated time `until' (SIMTIME_NEVER: only idleness stops it), or a
 * stop (kern.h: a signal, the time or step limit).
 *
 * => called from the host, outside every thread.
 * => at `until' the callouts due then run, but no process: one that was
 *    computing is parked where it was (kern_charge).
 * => on a stop, kern_stop_hook is called (it may not return), and every
 *    later call returns at once.
 * => returns true if it stopped because the machine was idle.
 */
bool
kern_run(simtime_t until)
{
	simtime_t next;
	enum kern_stop why;

	KASSERTMSG(curproc == NULL, "%s: called from a thread", __func__);
	stop_at = MIN(until, limit_time);
	for (;;) {
		if (clock_now() >= limit_time && stop_reason == KSTOP_NONE)
			stop_reason = KSTOP_TIME;
		if ((why = kern_stopped()) != KSTOP_NONE)
			break;
		if (clock_now() >= stop_at) {
			/* the callouts due now, and no process */
			while (callout_next() <= clock_now()) {
				kern_step();
				callout_run_first();
			}
			/* an idle CPU still does the idle loop's work */
			if (!sched_runnable())
				(void)sched_idle_switch();
			stop_at = SIMTIME_NEVER;
			return false;
		}
		if (sched_idle_switch())
			continue;
		next = callout_next();
		if (until == SIMTIME_NEVER && callout_nwork == 0) {
			stop_at = SIMTIME_NEVER;
			return true;
		}
		if (next > stop_at) {
			kern_clock_set(stop_at);
			continue;
		}
		kern_clock_set(next);
		kern_step();
		callout_run_first();
	}
	stop_at = SIMTIME_NEVER;
	if (kern_stop_hook != NULL)
		kern_stop_hook(why);
	return false;
}

/* kern_clock_fini: drop every callout (shutdown) */
void
kern_clock_fini(void)
{
	while (!TAILQ_EMPTY(&callouts))
		callout_stop(TAILQ_FIRST(&callouts));
}
