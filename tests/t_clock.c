/*
 * t_clock.c: simulated time and stopping a run -- kern_run(until) stops
 * at `until' even while a process computes or loops over loads and
 * stores (it is parked mid-charge and goes on later as if never
 * stopped), and the time limit, the step limit and a host signal stop
 * the machine where it is.
 */

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "h_util.h"
#include "kern/kern.h"

#define MS ((simtime_t)1000)
#define S  ((simtime_t)1000000)

/* computes for 10 s, then exits 7 */
static int
prog_compute(struct proc *p, void *arg)
{
	proc_compute(p, 10 * S);
	return 7;
}

/* stores to its stack 20000 times (1 us each), then exits 8 */
static int
prog_stores(struct proc *p, void *arg)
{
	vaddr_t va = p->p_vmspace->vm_minsaddr - 64;
	char c = 1;
	int i;

	for (i = 0; i < 20000; i++)
		if (proc_store(p, va, &c, 1) != 0)
			return 1;
	return 8;
}

static struct proc *
spawn(const char *name, proc_prog_t prog)
{
	struct proc *p = NULL;

	ATF_REQUIRE_EQ(kern_spawn(name, prog, NULL, &p), 0);
	return p;
}

static int
collect(int pid)
{
	int st = -1;

	ATF_REQUIRE_EQ(kern_collect(pid, &st), 0);
	return (st >> 8) & 0xff;
}

/*
 * run 1ms, run until 25ms, run: a process computing for 10 s is stopped
 * at each, and still ends at 10 s, as with one run.
 */
ATF_TC_WITHOUT_HEAD(run_stops_a_computing_process_on_time);
ATF_TC_BODY(run_stops_a_computing_process_on_time, tc)
{
	struct proc *p;
	simtime_t t0;
	int pid;

	h_boot_kern(256);
	t0 = clock_now();
	p = spawn("computer", prog_compute);
	pid = p->p_pid;
	ATF_CHECK(!kern_run(t0 + 1 * MS));
	ATF_CHECK_EQ(clock_now(), t0 + 1 * MS);
	ATF_CHECK_EQ(p->p_stat, SRUN);
	ATF_CHECK(!kern_run(t0 + 25 * MS));
	ATF_CHECK_EQ(clock_now(), t0 + 25 * MS);
	/* until now: nothing runs */
	ATF_CHECK(!kern_run(t0 + 25 * MS));
	ATF_CHECK_EQ(clock_now(), t0 + 25 * MS);
	h_run_idle();
	ATF_CHECK_EQ(collect(pid), 7);
	ATF_CHECK_MSG(clock_now() - t0 >= 10 * S &&
		clock_now() - t0 < 10 * S + 10 * MS,
	    "the computation ended at %llu us",
	    (unsigned long long)(clock_now() - t0));
	h_shutdown();
}

/* the same for a process looping over stores */
ATF_TC_WITHOUT_HEAD(run_stops_a_storing_process_on_time);
ATF_TC_BODY(run_stops_a_storing_process_on_time, tc)
{
	simtime_t t0;
	int pid;

	h_boot_kern(256);
	t0 = clock_now();
	pid = spawn("storer", prog_stores)->p_pid;
	ATF_CHECK(!kern_run(t0 + 3 * MS));
	ATF_CHECK_EQ(clock_now(), t0 + 3 * MS);
	ATF_CHECK_EQ(kern_collect(pid, NULL), EBUSY);
	h_run_idle();
	ATF_CHECK_EQ(collect(pid), 8);
	h_shutdown();
}

/* a run stopped and resumed gives what one run gives, to the microsecond */
ATF_TC_WITHOUT_HEAD(stopping_changes_nothing);
ATF_TC_BODY(stopping_changes_nothing, tc)
{
	simtime_t whole, parts;
	int pid, i;

	h_boot_kern(256);
	pid = spawn("a", prog_stores)->p_pid;
	(void)spawn("b", prog_compute);
	h_run_idle();
	whole = clock_now();
	ATF_CHECK_EQ(collect(pid), 8);
	h_shutdown();

	h_boot_kern(256);
	pid = spawn("a", prog_stores)->p_pid;
	(void)spawn("b", prog_compute);
	for (i = 1; i < 40; i++)
		(void)kern_run((simtime_t)i * 7 * MS + 13);
	h_run_idle();
	parts = clock_now();
	ATF_CHECK_EQ(collect(pid), 8);
	ATF_CHECK_EQ(parts, whole);
	h_shutdown();
}

static enum kern_stop hooked;

static void
record_stop(enum kern_stop why)
{
	hooked = why;
}

/* the time limit stops a run that would go on, and stays stopped */
ATF_TC_WITHOUT_HEAD(time_limit_stops_the_machine);
ATF_TC_BODY(time_limit_stops_the_machine, tc)
{
	h_boot_kern(256);
	hooked = KSTOP_NONE;
	kern_stop_hook = record_stop;
	kern_set_limits(clock_now() + 2 * S + 5, 0);
	(void)spawn("computer", prog_compute);
	ATF_CHECK(!kern_run(SIMTIME_NEVER));
	ATF_CHECK_EQ(hooked, KSTOP_TIME);
	ATF_CHECK_EQ(kern_stopped(), KSTOP_TIME);
	ATF_CHECK(clock_now() <= 2 * S + 5 + 10 * MS);
	hooked = KSTOP_NONE;
	ATF_CHECK(!kern_run(SIMTIME_NEVER));
	ATF_CHECK_EQ(hooked, KSTOP_TIME);
	kern_set_limits(SIMTIME_NEVER, 0);
	kern_stop_hook = NULL;
	h_shutdown();
}

/* the step limit, and a host signal */
ATF_TC_WITHOUT_HEAD(steps_and_signals_stop_the_machine);
ATF_TC_BODY(steps_and_signals_stop_the_machine, tc)
{
	h_boot_kern(256);
	kern_stop_hook = record_stop;
	kern_set_limits(SIMTIME_NEVER, kern_steps + 500);
	(void)spawn("storer", prog_stores);
	ATF_CHECK(!kern_run(SIMTIME_NEVER));
	ATF_CHECK_EQ(hooked, KSTOP_STEPS);
	kern_set_limits(SIMTIME_NEVER, 0);
	kern_stop_hook = NULL;
	h_shutdown();

	h_boot_kern(256);
	kern_stop_hook = record_stop;
	(void)spawn("computer", prog_compute);
	ATF_CHECK(!kern_run(clock_now() + 5 * MS));
	ATF_CHECK_EQ(kern_stopped(), KSTOP_NONE);
	kern_stop_signal = SIGINT;
	ATF_CHECK(!kern_run(SIMTIME_NEVER));
	ATF_CHECK_EQ(hooked, KSTOP_SIGNAL);
	ATF_CHECK(clock_now() < 10 * MS);
	kern_stop_signal = 0;
	kern_stop_hook = NULL;
	h_shutdown();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, run_stops_a_computing_process_on_time);
	ATF_TP_ADD_TC(tp, run_stops_a_storing_process_on_time);
	ATF_TP_ADD_TC(tp, stopping_changes_nothing);
	ATF_TP_ADD_TC(tp, time_limit_stops_the_machine);
	ATF_TP_ADD_TC(tp, steps_and_signals_stop_the_machine);
	return atf_no_error();
}
