/*
 * t_proc.c: the kernel's process machinery (src/kern): fork, exit and
 * wait, copy-on-write through processes, sleep and wakeup, scheduling,
 * signals, resource limits, the process limit, and that processes give
 * back everything they took.
 *
 * Programs run inside simulated processes and write what they see into a
 * struct the test case owns (the program's arg); the assertions are made
 * on the host, after kern_run.  Statuses are decoded by hand: the low 7
 * bits are the terminating signal, the next byte the exit code.
 */

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "h_util.h"
#include "uvm/uvm.h"

#define MS(n)  ((simtime_t)(n) * 1000)
#define SEC(n) ((simtime_t)(n) * 1000000)
#define RW     (VM_PROT_READ | VM_PROT_WRITE)
#define NPAGES 1024

static int
termsig(int st)
{
	return st & 0x7f;
}

static int
exitcode(int st)
{
	return (st >> 8) & 0xff;
}

static struct proc *
t_spawn(const char *name, proc_prog_t prog, void *arg)
{
	struct proc *p = NULL;

	ATF_REQUIRE_EQ(kern_spawn(name, prog, arg, &p), 0);
	ATF_REQUIRE(p != NULL);
	return p;
}

/* the status of spawned process pid, which must have ended */
static int
t_collect(int pid)
{
	int st = -1;

	ATF_REQUIRE_EQ_MSG(kern_collect(pid, &st), 0, "collect pid %d", pid);
	return st;
}

/* run until idle and require that spawned pid exited with code */
static void
t_run_expect_exit(int pid, int code)
{
	int st;

	h_run_idle();
	st = t_collect(pid);
	ATF_REQUIRE_EQ_MSG(st, W_EXITCODE(code, 0), "pid %d: status %#x", pid,
	    st);
}

/* how many children p has */
static int
nchildren(struct proc *p)
{
	struct proc *q;
	int n = 0;

	LIST_FOREACH(q, &p->p_children, p_sibling)
		n++;
	return n;
}

/* --- small programs -------------------------------------------------- */

/* sleep *arg milliseconds, exit with *arg */
static int
prog_sleep_exit(struct proc *p, void *arg)
{
	int ms = *(int *)arg;

	proc_sleep(p, MS(ms));
	return ms;
}

static int
prog_exit0(struct proc *p, void *arg)
{
	return 0;
}

/* --- fork, exit, wait ------------------------------------------------ */

struct waitarg {
	int ms[3], pid[3];
	int got[3], st[3];
	simtime_t t_first;
	int notchild, last;
};

static int
prog_wait3(struct proc *p, void *arg)
{
	struct waitarg *a = arg;
	struct proc *c;
	int i;

	for (i = 0; i < 3; i++) {
		if (proc_fork(p, prog_sleep_exit, &a->ms[i], &c) != 0)
			return 1;
		a->pid[i] = c->p_pid;
	}
	/* the one that exits last, though the others exit before it */
	a->got[0] = kern_wait(p, a->pid[0], &a->st[0], 0);
	a->t_first = clock_now();
	a->got[1] = kern_wait(p, -1, &a->st[1], 0);
	a->got[2] = kern_wait(p, -1, &a->st[2], 0);
	a->notchild = kern_wait(p, a->pid[1], NULL, 0);
	a->last = kern_wait(p, -1, NULL, WNOHANG_KERN);
	return 0;
}

/* kern_wait returns a child's pid and exit status, by pid or any (-1) */
ATF_TC_WITHOUT_HEAD(wait_returns_exit_status);
ATF_TC_BODY(wait_returns_exit_status, tc)
{
	struct waitarg a = { .ms = { 30, 10, 20 } };
	struct proc *p;
	int i, j;

	h_boot_kern(NPAGES);
	p = t_spawn("parent", prog_wait3, &a);
	t_run_expect_exit(p->p_pid, 0);
	ATF_REQUIRE_EQ(a.got[0], a.pid[0]);
	ATF_REQUIRE_EQ(a.st[0], W_EXITCODE(30, 0));
	ATF_REQUIRE(a.t_first >= MS(30));
	/* the other two, each with its own status */
	ATF_REQUIRE(a.got[1] != a.got[2]);
	for (i = 1; i < 3; i++) {
		for (j = 1; j < 3 && a.pid[j] != a.got[i]; j++)
			continue;
		ATF_REQUIRE_MSG(j < 3, "wait returned pid %d", a.got[i]);
		ATF_REQUIRE_EQ(exitcode(a.st[i]), a.ms[j]);
		ATF_REQUIRE_EQ(termsig(a.st[i]), 0);
	}
	ATF_REQUIRE_EQ(a.notchild, -ECHILD);
	ATF_REQUIRE_EQ(a.last, -ECHILD);
	h_shutdown();
}

struct echildarg {
	int r[3], st;
};

static int
prog_echild(struct proc *p, void *arg)
{
	struct echildarg *a = arg;

	a->r[0] = kern_wait(p, -1, &a->st, 0);
	a->r[1] = kern_wait(p, -1, &a->st, WNOHANG_KERN);
	a->r[2] = kern_wait(p, 1, &a->st, 0); /* the pagedaemon's pid */
	return 0;
}

/* with no (such) child, kern_wait is -ECHILD at once, blocking or not */
ATF_TC_WITHOUT_HEAD(wait_without_children_is_echild);
ATF_TC_BODY(wait_without_children_is_echild, tc)
{
	struct echildarg a = { .st = 12345 };
	struct proc *p;

	h_boot_kern(NPAGES);
	ATF_REQUIRE(pfind(1) != NULL);
	p = t_spawn("lonely", prog_echild, &a);
	t_run_expect_exit(p->p_pid, 0);
	ATF_REQUIRE_EQ(a.r[0], -ECHILD);
	ATF_REQUIRE_EQ(a.r[1], -ECHILD);
	ATF_REQUIRE_EQ(a.r[2], -ECHILD);
	ATF_REQUIRE_EQ(a.st, 12345);
	h_shutdown();
}

struct nohangarg {
	int pid, r[4], st[4];
	simtime_t t_exit;
};

static int
prog_compute_sleep9(struct proc *p, void *arg)
{
	proc_compute(p, MS(5));
	proc_sleep(p, MS(50));
	return 9;
}

static int
prog_nohang(struct proc *p, void *arg)
{
	struct nohangarg *a = arg;
	struct proc *c;

	if (proc_fork(p, prog_compute_sleep9, NULL, &c) != 0)
		return 1;
	a->pid = c->p_pid;
	a->st[0] = a->st[1] = -1;
	a->r[0] = kern_wait(p, -1, &a->st[0], WNOHANG_KERN);
	proc_sleep(p, MS(10));
	a->r[1] = kern_wait(p, a->pid, &a->st[1], WNOHANG_KERN);
	a->r[2] = kern_wait(p, a->pid, &a->st[2], 0);
	a->t_exit = clock_now();
	a->r[3] = kern_wait(p, -1, &a->st[3], WNOHANG_KERN);
	return 0;
}

/* WNOHANG_KERN: 0 while the child computes or sleeps, then it is waited */
ATF_TC_WITHOUT_HEAD(wait_nohang_while_child_runs);
ATF_TC_BODY(wait_nohang_while_child_runs, tc)
{
	struct nohangarg a;
	struct proc *p;

	memset(&a, 0, sizeof(a));
	h_boot_kern(NPAGES);
	p = t_spawn("parent", prog_nohang, &a);
	t_run_expect_exit(p->p_pid, 0);
	ATF_REQUIRE_EQ(a.r[0], 0);
	ATF_REQUIRE_EQ(a.st[0], -1);
	ATF_REQUIRE_EQ(a.r[1], 0);
	ATF_REQUIRE_EQ(a.st[1], -1);
	ATF_REQUIRE_EQ(a.r[2], a.pid);
	ATF_REQUIRE_EQ(a.st[2], W_EXITCODE(9, 0));
	ATF_REQUIRE(a.t_exit >= MS(55));
	ATF_REQUIRE_EQ(a.r[3], -ECHILD);
	h_shutdown();
}

struct orphanarg {
	struct proc *kid[2];
	int kidpid[2], zpid, zstat;
};

static int
prog_orphaner(struct proc *p, void *arg)
{
	struct orphanarg *a = arg;
	static int ms = 100;
	struct proc *c;
	int i;

	/* one child is a zombie when its parent exits */
	if (proc_fork(p, prog_exit0, NULL, &c) != 0)
		return 1;
	a->zpid = c->p_pid;
	proc_sleep(p, MS(10));
	a->zstat = pfind(a->zpid) != NULL ? pfind(a->zpid)->p_stat : -1;
	/* two are still asleep */
	for (i = 0; i < 2; i++) {
		if (proc_fork(p, prog_sleep_exit, &ms, &a->kid[i]) != 0)
			return 1;
		a->kidpid[i] = a->kid[i]->p_pid;
	}
	return 0;
}

/*
 * a parent's exit frees its zombie children and gives the live ones to
 * proc0, which frees them when they exit: nprocs comes back
 */
ATF_TC_WITHOUT_HEAD(orphans_reparented_to_proc0_and_freed);
ATF_TC_BODY(orphans_reparented_to_proc0_and_freed, tc)
{
	struct orphanarg a;
	int base, kids0, i, pid;

	memset(&a, 0, sizeof(a));
	h_boot_kern(NPAGES);
	base = nprocs;
	kids0 = nchildren(&proc0);
	pid = t_spawn("orphaner", prog_orphaner, &a)->p_pid;
	ATF_REQUIRE(!kern_run(MS(50)));
	ATF_REQUIRE_EQ(t_collect(pid), W_EXITCODE(0, 0));
	ATF_REQUIRE_EQ(a.zstat, SZOMB);
	ATF_REQUIRE(pfind(a.zpid) == NULL);
	for (i = 0; i < 2; i++) {
		ATF_REQUIRE(pfind(a.kidpid[i]) == a.kid[i]);
		ATF_REQUIRE(a.kid[i]->p_pptr == &proc0);
		ATF_REQUIRE_EQ(a.kid[i]->p_stat, SSLEEP);
	}
	ATF_REQUIRE_EQ(nprocs, base + 2);
	ATF_REQUIRE_EQ(nchildren(&proc0), kids0 + 2);
	h_run_idle();
	ATF_REQUIRE_EQ(nprocs, base);
	ATF_REQUIRE_EQ(nchildren(&proc0), kids0);
	for (i = 0; i < 2; i++)
		ATF_REQUIRE(pfind(a.kidpid[i]) == NULL);
	ATF_REQUIRE(LIST_EMPTY(&zombproc));
	h_shutdown();
}

/* a spawned process's zombie waits for kern_collect: EBUSY, then ESRCH */
ATF_TC_WITHOUT_HEAD(spawned_zombie_kept_until_collected);
ATF_TC_BODY(spawned_zombie_kept_until_collected, tc)
{
	static int ms = 42;
	struct proc *p;
	int st = -1, pid;

	h_boot_kern(NPAGES);
	ATF_REQUIRE_EQ(kern_collect(4242, &st), ESRCH);
	ATF_REQUIRE_EQ(kern_collect(1, &st), ESRCH); /* not spawned */
	p = t_spawn("zombie", prog_sleep_exit, &ms);
	pid = p->p_pid;
	ATF_REQUIRE_EQ(kern_collect(pid, &st), EBUSY);
	ATF_REQUIRE(!kern_run(MS(20)));
	ATF_REQUIRE_EQ(kern_collect(pid, &st), EBUSY);
	ATF_REQUIRE_EQ(st, -1);
	h_run_idle();
	ATF_REQUIRE(pfind(pid) == p);
	ATF_REQUIRE_EQ(p->p_stat, SZOMB);
	ATF_REQUIRE(p->p_vmspace == NULL && p->p_addr == 0);
	ATF_REQUIRE_EQ(kern_collect(pid, &st), 0);
	ATF_REQUIRE_EQ(st, W_EXITCODE(42, 0));
	ATF_REQUIRE(pfind(pid) == NULL);
	ATF_REQUIRE_EQ(kern_collect(pid, &st), ESRCH);
	h_shutdown();
}

/* --- rusage ---------------------------------------------------------- */

struct ruarg {
	simtime_t compute, sleep;
	int pages;
	struct rusage ru; /* the child's own, just before it exits */
};

static int
prog_use(struct proc *p, void *arg)
{
	struct ruarg *a = arg;
	vaddr_t va = 0;

	if (a->pages > 0) {
		if (proc_mmap_anon(p, &va, ptoa(a->pages), RW,
			MAP_INHERIT_COPY) != 0)
			return 1;
		proc_fill(p, va, 0x5a, ptoa(a->pages));
	}
	proc_compute(p, a->compute);
	if (a->sleep)
		proc_sleep(p, a->sleep);
	a->ru = proc_pstats(p)->p_ru;
	return 0;
}

struct parentru {
	struct ruarg kid[2];
	struct rusage before, after, self;
	bool grand; /* kid[1] is a grandchild, forked by kid[0] */
};

static int
prog_use_and_wait(struct proc *p, void *arg)
{
	struct parentru *a = arg;

	if (proc_fork(p, prog_use, &a->kid[1], NULL) != 0)
		return 1;
	if (kern_wait(p, -1, NULL, 0) < 0)
		return 1;
	a->self = proc_pstats(p)->p_ru;
	return 0;
}

static int
prog_ru_parent(struct proc *p, void *arg)
{
	struct parentru *a = arg;
	int i;

	a->before = proc_pstats(p)->p_cru;
	if (a->grand) {
		if (proc_fork(p, prog_use_and_wait, a, NULL) != 0)
			return 1;
	} else {
		for (i = 0; i < 2; i++)
			if (proc_fork(p, prog_use, &a->kid[i], NULL) != 0)
				return 1;
	}
	while (kern_wait(p, -1, NULL, 0) > 0)
		continue;
	a->after = proc_pstats(p)->p_cru;
	return 0;
}

static struct parentru *
t_run_ru(bool grand)
{
	static struct parentru a;
	struct proc *p;

	memset(&a, 0, sizeof(a));
	a.grand = grand;
	a.kid[0] = (struct ruarg){ .compute = MS(30), .sleep = MS(5),
		.pages = 3 };
	a.kid[1] = (struct ruarg){ .compute = MS(70), .sleep = MS(5),
		.pages = 5 };
	h_boot_kern(NPAGES);
	p = t_spawn("parent", prog_ru_parent, &a);
	t_run_expect_exit(p->p_pid, 0);
	ATF_REQUIRE_EQ(a.before.ru_utime, 0);
	ATF_REQUIRE_EQ(a.before.ru_minflt, 0);
	return &a;
}

/* the rusage of each waited child is added to the parent's p_cru */
ATF_TC_WITHOUT_HEAD(wait_adds_child_rusage);
ATF_TC_BODY(wait_adds_child_rusage, tc)
{
	struct parentru *a = t_run_ru(false);

	ATF_REQUIRE(a->kid[0].ru.ru_utime >= MS(30));
	ATF_REQUIRE(a->kid[1].ru.ru_utime >= MS(70));
	ATF_REQUIRE(a->kid[0].ru.ru_minflt >= 3);
	ATF_REQUIRE_EQ(a->after.ru_utime,
	    a->kid[0].ru.ru_utime + a->kid[1].ru.ru_utime);
	ATF_REQUIRE_EQ(a->after.ru_stime,
	    a->kid[0].ru.ru_stime + a->kid[1].ru.ru_stime);
	ATF_REQUIRE_EQ(a->after.ru_minflt,
	    a->kid[0].ru.ru_minflt + a->kid[1].ru.ru_minflt);
	ATF_REQUIRE_EQ(a->after.ru_majflt,
	    a->kid[0].ru.ru_majflt + a->kid[1].ru.ru_majflt);
	h_shutdown();
}

/*
 * an exiting process's rusage includes that of the children it waited
 * for (exit1's ruadd(p->p_ru, &p->p_stats->p_cru)), so a grandchild's
 * time reaches the grandparent
 */
ATF_TC_WITHOUT_HEAD(exit_includes_waited_children_rusage);
ATF_TC_BODY(exit_includes_waited_children_rusage, tc)
{
	struct parentru *a = t_run_ru(true);

	ATF_REQUIRE(a->kid[1].ru.ru_utime >= MS(70));
	atf_tc_expect_fail("exit1 saves p_xru = p_ru without adding p_cru: "
			   "the grandchild's usage is lost");
	ATF_REQUIRE_EQ(a->after.ru_utime,
	    a->self.ru_utime + a->kid[1].ru.ru_utime);
	h_shutdown();
}

/*
 * wait adds every counter of the child's rusage, as ruadd does: the
 * context switches too, and ru_maxrss is the largest
 */
ATF_TC_WITHOUT_HEAD(wait_adds_switches_and_maxrss);
ATF_TC_BODY(wait_adds_switches_and_maxrss, tc)
{
	struct parentru *a = t_run_ru(false);

	ATF_REQUIRE(a->kid[0].ru.ru_nvcsw >= 1); /* it slept */
	ATF_REQUIRE(a->kid[1].ru.ru_maxrss >= 5);
	atf_tc_expect_fail("proc_collect adds only utime, stime, minflt, "
			   "majflt and nswap; nvcsw, nivcsw, maxrss are lost");
	ATF_REQUIRE_EQ(a->after.ru_nvcsw,
	    a->kid[0].ru.ru_nvcsw + a->kid[1].ru.ru_nvcsw);
	ATF_REQUIRE_EQ(a->after.ru_nivcsw,
	    a->kid[0].ru.ru_nivcsw + a->kid[1].ru.ru_nivcsw);
	ATF_REQUIRE_EQ(a->after.ru_maxrss,
	    MAX(a->kid[0].ru.ru_maxrss, a->kid[1].ru.ru_maxrss));
	h_shutdown();
}
