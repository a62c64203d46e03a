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

#define MS(n)  ((simtime_t)(n)*1000)
#define SEC(n) ((simtime_t)(n)*1000000)
#define MIB(n) ((rlim_t)(n)*1024 * 1024)
#define RW     (VM_PROT_READ | VM_PROT_WRITE)
#define NPAGES 1024

/* what a program hands back to its test case */
struct rec {
	int r[8], st[4], pid[8];
	simtime_t t[4];
	struct proc *kid[4];
};

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

/* run until idle; spawned process pid must have exited with status st */
static void
t_run_expect(int pid, int st)
{
	int got;

	h_run_idle();
	got = t_collect(pid);
	ATF_REQUIRE_EQ_MSG(got, st, "pid %d: status %#x, not %#x", pid, got,
	    st);
}

static int
nchildren(struct proc *p)
{
	struct proc *q;
	int n = 0;

	LIST_FOREACH (q, &p->p_children, p_sibling)
		n++;
	return n;
}

/* sleep *arg milliseconds, exit with *arg */
static int
prog_sleep_exit(struct proc *p, void *arg)
{
	int ms = *(int *)arg;

	proc_sleep(p, MS(ms));
	return ms;
}

static int zero;

/*
 * sleep r[0] us r[1] times (once if 0), noting the times before and
 * after in t[0] and t[1] and p_slptime after in r[2]
 */
static int
prog_nap(struct proc *p, void *arg)
{
	struct rec *a = arg;
	int i;

	a->t[0] = clock_now();
	for (i = 0; i < MAX(a->r[1], 1); i++)
		a->r[3] |= proc_sleep(p, (simtime_t)a->r[0]);
	a->t[1] = clock_now();
	a->r[2] = (int)p->p_slptime;
	return 0;
}

/* --- fork, exit, wait ------------------------------------------------ */

static int
prog_wait3(struct proc *p, void *arg)
{
	static int ms[3] = { 30, 10, 20 };
	struct rec *a = arg;
	struct proc *c;
	int i;

	a->r[0] = kern_wait(p, -1, NULL, 0);	       /* no children yet */
	a->r[1] = kern_wait(p, 1, NULL, WNOHANG_KERN); /* the pagedaemon */
	for (i = 0; i < 3; i++) {
		if (proc_fork(p, prog_sleep_exit, &ms[i], &c) != 0)
			return 1;
		a->pid[i] = c->p_pid;
	}
	a->st[3] = -1;
	a->r[4] = kern_wait(p, -1, &a->st[3], WNOHANG_KERN);
	proc_sleep(p, MS(15)); /* one has exited, two are asleep */
	a->r[5] = kern_wait(p, a->pid[0], &a->st[3], WNOHANG_KERN);
	/* the one that exits last, though the others exit before it */
	a->pid[3] = kern_wait(p, a->pid[0], &a->st[0], 0);
	a->t[0] = clock_now();
	a->pid[4] = kern_wait(p, -1, &a->st[1], 0);
	a->pid[5] = kern_wait(p, -1, &a->st[2], 0);
	a->r[2] = kern_wait(p, a->pid[1], NULL, 0); /* waited already */
	a->r[3] = kern_wait(p, -1, NULL, WNOHANG_KERN);
	return 0;
}

/*
 * kern_wait returns a child's pid and status, for that pid or any (-1);
 * with WNOHANG_KERN, 0 while the child lives; with no such child it is
 * -ECHILD at once, blocking or not
 */
ATF_TC_WITHOUT_HEAD(wait_returns_status_nohang_or_echild);
ATF_TC_BODY(wait_returns_status_nohang_or_echild, tc)
{
	struct rec a = { 0 };
	int i;

	h_boot_kern(NPAGES);
	ATF_REQUIRE(pfind(1) != NULL);
	t_run_expect(t_spawn("parent", prog_wait3, &a)->p_pid, 0);
	ATF_REQUIRE_EQ(a.r[0], -ECHILD);
	ATF_REQUIRE_EQ(a.r[1], -ECHILD);
	ATF_REQUIRE(a.r[4] == 0 && a.r[5] == 0 && a.st[3] == -1);
	ATF_REQUIRE_EQ(a.pid[3], a.pid[0]);
	ATF_REQUIRE_EQ(a.st[0], W_EXITCODE(30, 0));
	ATF_REQUIRE(a.t[0] >= MS(30));
	ATF_REQUIRE(a.pid[4] != a.pid[5]);
	for (i = 4; i < 6; i++) {
		ATF_REQUIRE(a.pid[i] == a.pid[1] || a.pid[i] == a.pid[2]);
		ATF_REQUIRE_EQ(a.st[i - 3],
		    W_EXITCODE(a.pid[i] == a.pid[1] ? 10 : 20, 0));
	}
	ATF_REQUIRE_EQ(a.r[2], -ECHILD);
	ATF_REQUIRE_EQ(a.r[3], -ECHILD);
	h_shutdown();
}

static int
prog_orphaner(struct proc *p, void *arg)
{
	static int ms = 100;
	struct rec *a = arg;
	struct proc *c;
	int i;

	/* one child is a zombie when its parent exits */
	if (proc_fork(p, prog_sleep_exit, &zero, &c) != 0)
		return 1;
	a->pid[2] = c->p_pid;
	proc_sleep(p, MS(10));
	a->r[0] = pfind(a->pid[2]) != NULL ? pfind(a->pid[2])->p_stat : -1;
	/* two are still asleep */
	for (i = 0; i < 2; i++) {
		if (proc_fork(p, prog_sleep_exit, &ms, &a->kid[i]) != 0)
			return 1;
		a->pid[i] = a->kid[i]->p_pid;
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
	struct rec a = { 0 };
	int base, kids0, i, pid;

	h_boot_kern(NPAGES);
	base = nprocs;
	kids0 = nchildren(&proc0);
	pid = t_spawn("orphaner", prog_orphaner, &a)->p_pid;
	ATF_REQUIRE(!kern_run(MS(50)));
	ATF_REQUIRE_EQ(t_collect(pid), 0);
	ATF_REQUIRE_EQ(a.r[0], SZOMB);
	ATF_REQUIRE(pfind(a.pid[2]) == NULL);
	for (i = 0; i < 2; i++) {
		ATF_REQUIRE(pfind(a.pid[i]) == a.kid[i]);
		ATF_REQUIRE(a.kid[i]->p_pptr == &proc0);
		ATF_REQUIRE_EQ(a.kid[i]->p_stat, SSLEEP);
	}
	ATF_REQUIRE_EQ(nprocs, base + 2);
	ATF_REQUIRE_EQ(nchildren(&proc0), kids0 + 2);
	h_run_idle();
	ATF_REQUIRE_EQ(nprocs, base);
	ATF_REQUIRE_EQ(nchildren(&proc0), kids0);
	ATF_REQUIRE(pfind(a.pid[0]) == NULL && pfind(a.pid[1]) == NULL);
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
	struct rusage ru; /* the process's own, just before it exits */
};

/* touch pages, compute, sleep; record the rusage */
static int
prog_use(struct proc *p, void *arg)
{
	struct ruarg *a = arg;
	vaddr_t va = 0;

	if (a->pages > 0) {
		if (proc_mmap(p, 0, ptoa(a->pages), RW,
			MMAP_ANON | MMAP_PRIVATE, -1, 0, &va) != 0)
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
	bool grand; /* kid[1] is a grandchild, forked and waited by kid[0] */
};

static int
prog_use_and_wait(struct proc *p, void *arg)
{
	struct parentru *a = arg;

	if (proc_fork(p, prog_use, &a->kid[1], NULL) != 0 ||
	    kern_wait(p, -1, NULL, 0) < 0)
		return 1;
	a->self = proc_pstats(p)->p_ru;
	return 0;
}

static int
prog_ru_parent(struct proc *p, void *arg)
{
	struct parentru *a = arg;

	a->before = proc_pstats(p)->p_cru;
	if (proc_fork(p, a->grand ? prog_use_and_wait : prog_use,
		a->grand ? (void *)a : &a->kid[0], NULL) != 0)
		return 1;
	if (!a->grand && proc_fork(p, prog_use, &a->kid[1], NULL) != 0)
		return 1;
	while (kern_wait(p, -1, NULL, 0) > 0)
		continue;
	a->after = proc_pstats(p)->p_cru;
	return 0;
}

static struct parentru *
t_run_ru(bool grand)
{
	static struct parentru a;

	memset(&a, 0, sizeof(a));
	a.grand = grand;
	a.kid[0] = (struct ruarg){ MS(30), MS(5), 3, { 0 } };
	a.kid[1] = (struct ruarg){ MS(70), MS(5), 5, { 0 } };
	h_boot_kern(NPAGES);
	t_run_expect(t_spawn("parent", prog_ru_parent, &a)->p_pid, 0);
	ATF_REQUIRE_EQ(a.before.ru_utime, 0);
	ATF_REQUIRE_EQ(a.before.ru_minflt, 0);
	ATF_REQUIRE(a.kid[1].ru.ru_utime >= MS(70));
	ATF_REQUIRE(a.kid[1].ru.ru_minflt >= 5);
	return &a;
}

/* the rusage of each waited child is added to the parent's p_cru */
ATF_TC_WITHOUT_HEAD(wait_adds_child_rusage);
ATF_TC_BODY(wait_adds_child_rusage, tc)
{
	struct parentru *a = t_run_ru(false);
	struct rusage *k0 = &a->kid[0].ru, *k1 = &a->kid[1].ru;

	ATF_REQUIRE(k0->ru_utime >= MS(30));
	ATF_REQUIRE_EQ(a->after.ru_utime, k0->ru_utime + k1->ru_utime);
	ATF_REQUIRE_EQ(a->after.ru_stime, k0->ru_stime + k1->ru_stime);
	ATF_REQUIRE_EQ(a->after.ru_minflt, k0->ru_minflt + k1->ru_minflt);
	ATF_REQUIRE_EQ(a->after.ru_majflt, k0->ru_majflt + k1->ru_majflt);
	h_shutdown();
}

/*
 * an exiting process's rusage includes that of the children it waited
 * for (exit1's ruadd(p->p_ru, &p->p_stats->p_cru) in every BSD), so a
 * grandchild's time reaches the grandparent
 */
ATF_TC_WITHOUT_HEAD(exit_includes_waited_children_rusage);
ATF_TC_BODY(exit_includes_waited_children_rusage, tc)
{
	struct parentru *a = t_run_ru(true);

	ATF_REQUIRE_EQ(a->after.ru_utime,
	    a->self.ru_utime + a->kid[1].ru.ru_utime);
	h_shutdown();
}

/*
 * wait adds every counter of the child's rusage, as ruadd does: the
 * context switches too; ru_maxrss is the largest
 */
ATF_TC_WITHOUT_HEAD(wait_adds_switches_and_maxrss);
ATF_TC_BODY(wait_adds_switches_and_maxrss, tc)
{
	struct parentru *a = t_run_ru(false);
	struct rusage *k0 = &a->kid[0].ru, *k1 = &a->kid[1].ru;

	ATF_REQUIRE(k0->ru_nvcsw >= 1); /* it slept */
	ATF_REQUIRE_EQ(a->after.ru_nvcsw, k0->ru_nvcsw + k1->ru_nvcsw);
	ATF_REQUIRE_EQ(a->after.ru_nivcsw, k0->ru_nivcsw + k1->ru_nivcsw);
	ATF_REQUIRE_EQ(a->after.ru_maxrss, MAX(k0->ru_maxrss, k1->ru_maxrss));
	h_shutdown();
}

/* --- copy-on-write through processes --------------------------------- */

struct cowarg {
	int inherit;
	vaddr_t va;
	char saw[7]; /* the child's three looks, then the parent's */
};

/*
 * the byte every byte of the page at va is, or '?' if they differ (read
 * through a buffer of its own: every load may switch to another process)
 */
static char
page_is(struct proc *p, vaddr_t va)
{
	unsigned char buf[PAGE_SIZE_MIN], c;
	size_t off, i;

	proc_load(p, va, &c, 1);
	for (off = 0; off < PAGE_SIZE; off += sizeof(buf)) {
		proc_load(p, va + off, buf, sizeof(buf));
		for (i = 0; i < sizeof(buf); i++)
			if (buf[i] != c)
				return '?';
	}
	return (char)c;
}

static int
prog_cow_child(struct proc *p, void *arg)
{
	struct cowarg *a = arg;

	a->saw[0] = page_is(p, a->va);
	proc_fill(p, a->va, 'C', PAGE_SIZE);
	proc_sleep(p, MS(20)); /* the parent writes page 1 */
	a->saw[1] = page_is(p, a->va + PAGE_SIZE);
	a->saw[2] = page_is(p, a->va);
	return 0;
}

/* map two pages 'P' and 'p', fork; write page 1 'Q' after the child's
 * write of page 0 'C'; look at page 0, then at both after the child */
static int
prog_cow_parent(struct proc *p, void *arg)
{
	struct cowarg *a = arg;

	if (proc_mmap(p, 0, ptoa(2), RW, MMAP_ANON | MMAP_PRIVATE, -1, 0,
		&a->va) != 0 ||
	    sys_minherit(p, a->va, ptoa(2), a->inherit) != 0)
		return 1;
	proc_fill(p, a->va, 'P', PAGE_SIZE);
	proc_fill(p, a->va + PAGE_SIZE, 'p', PAGE_SIZE);
	if (proc_fork(p, prog_cow_child, a, NULL) != 0)
		return 1;
	proc_sleep(p, MS(10)); /* the child reads and writes page 0 */
	a->saw[3] = page_is(p, a->va);
	proc_fill(p, a->va + PAGE_SIZE, 'Q', PAGE_SIZE);
	if (kern_wait(p, -1, NULL, 0) <= 0)
		return 1;
	a->saw[4] = page_is(p, a->va);
	a->saw[5] = page_is(p, a->va + PAGE_SIZE);
	return 0;
}

/*
 * after fork, MAP_INHERIT_COPY memory is private (neither side sees the
 * other's writes) and MAP_INHERIT_SHARE memory is seen both ways
 */
ATF_TC_WITHOUT_HEAD(fork_copy_is_private_share_is_shared);
ATF_TC_BODY(fork_copy_is_private_share_is_shared, tc)
{
	struct cowarg a[2] = { { .inherit = MAP_INHERIT_COPY },
		{ .inherit = MAP_INHERIT_SHARE } };
	int pid[2], i;

	h_boot_kern(NPAGES);
	for (i = 0; i < 2; i++)
		pid[i] = t_spawn("cow", prog_cow_parent, &a[i])->p_pid;
	t_run_expect(pid[0], 0);
	ATF_REQUIRE_EQ(t_collect(pid[1]), 0);
	ATF_REQUIRE_STREQ(a[0].saw, "PpCPPQ");
	ATF_REQUIRE_STREQ(a[1].saw, "PQCCCQ");
	h_shutdown();
}

/* --- sleep and wakeup ------------------------------------------------ */

static char chans[1024]; /* sleep channels; [0] and [512] share a queue */

struct sleeper {
	const void *chan;
	int pri, timo, r, id, *order, *n;
	simtime_t t0, t1;
};

/* tsleep on chan; then note the time, and its turn in order[] */
static int
prog_tsleep(struct proc *p, void *arg)
{
	struct sleeper *s = arg;

	s->t0 = clock_now();
	s->r = tsleep(s->chan, s->pri ? s->pri : PWAIT, "tsleep", s->timo);
	s->t1 = clock_now();
	if (s->order != NULL)
		s->order[(*s->n)++] = s->id;
	return 0;
}

struct waker {
	const void *chan;
	simtime_t delay, t;
};

static int
prog_waker(struct proc *p, void *arg)
{
	struct waker *w = arg;

	proc_sleep(p, w->delay);
	w->t = clock_now();
	wakeup(w->chan);
	return 0;
}

/*
 * proc_sleep moves simulated time on by exactly what was asked; tsleep
 * with a timeout returns EWOULDBLOCK after exactly timo ticks; woken
 * first, it returns 0 and its timeout is cancelled
 */
ATF_TC_WITHOUT_HEAD(sleeps_and_timeouts_take_exact_time);
ATF_TC_BODY(sleeps_and_timeouts_take_exact_time, tc)
{
	struct sleeper t = { .chan = &chans[0], .timo = 7 };
	struct sleeper w = { .chan = &chans[8], .timo = 100 };
	struct waker k = { .chan = &chans[8], .delay = MS(20) };
	struct rec a = { .r = { 123457 } };
	int pt, pw, pk;

	h_boot_kern(NPAGES);
	t_run_expect(t_spawn("sleeper", prog_nap, &a)->p_pid, 0);
	ATF_REQUIRE_EQ(a.r[3], 0);
	ATF_REQUIRE_EQ(a.t[1] - a.t[0], 123457);
	ATF_REQUIRE_EQ(clock_now(), a.t[1]);
	pt = t_spawn("timeout", prog_tsleep, &t)->p_pid;
	pw = t_spawn("woken", prog_tsleep, &w)->p_pid;
	pk = t_spawn("waker", prog_waker, &k)->p_pid;
	t_run_expect(pt, 0);
	ATF_REQUIRE_EQ(t_collect(pw), 0);
	ATF_REQUIRE_EQ(t_collect(pk), 0);
	ATF_REQUIRE_EQ(t.r, EWOULDBLOCK);
	ATF_REQUIRE_EQ(t.t1 - t.t0, 7 * tick_us());
	ATF_REQUIRE_EQ(w.r, 0);
	ATF_REQUIRE_EQ(w.t1, k.t);
	/* the 1-second timeout would have kept the machine busy */
	ATF_REQUIRE(clock_now() < a.t[1] + MS(500));
	h_shutdown();
}

/* spawn n sleepers on chans[0] that note their turn in order[] */
static void
t_sleepers(struct sleeper *s, struct proc **p, int n, int *order, int *cnt)
{
	int i;

	for (i = 0; i < n; i++) {
		s[i] = (struct sleeper){ .chan = &chans[0],
			.id = i + 1,
			.order = order,
			.n = cnt };
		p[i] = t_spawn("sleeper", prog_tsleep, &s[i]);
	}
}

/*
 * wakeup_one wakes only the sleeper that slept first; wakeup wakes all
 * the others, and they run in the order they went to sleep; a sleeper
 * on another channel of the same sleep queue stays asleep
 */
ATF_TC_WITHOUT_HEAD(wakeup_all_in_fifo_order_wakeup_one_first);
ATF_TC_BODY(wakeup_all_in_fifo_order_wakeup_one_first, tc)
{
	struct sleeper s[4], other = { .chan = &chans[512] };
	struct proc *p[4], *decoy;
	int order[4] = { 0 }, n = 0, i;

	h_boot_kern(NPAGES);
	t_sleepers(s, p, 4, order, &n);
	decoy = t_spawn("decoy", prog_tsleep, &other);
	h_run_idle();
	ATF_REQUIRE_EQ(n, 0);
	wakeup_one(&chans[0]);
	t_run_expect(p[0]->p_pid, 0);
	ATF_REQUIRE(n == 1 && order[0] == 1);
	for (i = 1; i < 4; i++)
		ATF_REQUIRE_EQ(p[i]->p_stat, SSLEEP);
	wakeup(&chans[0]);
	h_run_idle();
	ATF_REQUIRE_EQ(n, 4);
	for (i = 1; i < 4; i++) {
		ATF_REQUIRE_EQ(t_collect(p[i]->p_pid), 0);
		ATF_REQUIRE_EQ(order[i], i + 1);
	}
	ATF_REQUIRE(decoy->p_stat == SSLEEP && decoy->p_wchan == &chans[512]);
	wakeup(&chans[512]);
	t_run_expect(decoy->p_pid, 0);
	h_shutdown();
}

/*
 * wakeup_one prefers a sleeper that can run to one that is stopped, as
 * the reference's does; else the wakeup is lost on the stopped one
 */
ATF_TC_WITHOUT_HEAD(wakeup_one_skips_stopped_sleeper);
ATF_TC_BODY(wakeup_one_skips_stopped_sleeper, tc)
{
	struct sleeper s[2];
	struct proc *p[2];
	int order[2] = { 0 }, n = 0;

	h_boot_kern(NPAGES);
	t_sleepers(s, p, 2, order, &n);
	s[0].pri = PWAIT | PCATCH; /* interruptible, so it can be stopped */
	h_run_idle();
	kpsignal(p[0], SIGSTOP);
	ATF_REQUIRE_EQ(p[0]->p_stat, SSTOP);
	wakeup_one(&chans[0]);
	h_run_idle();
	ATF_REQUIRE_EQ(p[1]->p_stat, SZOMB);
	h_shutdown();
}

/* --- scheduling ------------------------------------------------------ */

#define RR_STEPS 60

/* who started each 10 ms step of CPU work, and when */
static struct rrlog {
	int n, who[2 * RR_STEPS];
	simtime_t when[2 * RR_STEPS];
} rrlog;

static int
prog_rr(struct proc *p, void *arg)
{
	int i;

	for (i = 0; i < RR_STEPS; i++) {
		rrlog.who[rrlog.n] = *(int *)arg;
		rrlog.when[rrlog.n++] = clock_now();
		proc_compute(p, MS(10));
	}
	return 0;
}

/*
 * two CPU-bound processes take turns: the CPU changes hands at every
 * hz/10-tick boundary (100 ms), and is never idle meanwhile
 */
ATF_TC_WITHOUT_HEAD(cpu_bound_processes_round_robin);
ATF_TC_BODY(cpu_bound_processes_round_robin, tc)
{
	static int id[2] = { 0, 1 };
	simtime_t slice, *when = rrlog.when;
	int pid[2], i, owner, switches = 0;

	h_boot_kern(NPAGES);
	slice = (simtime_t)(hz / 10) * tick_us();
	pid[0] = t_spawn("rr0", prog_rr, &id[0])->p_pid;
	pid[1] = t_spawn("rr1", prog_rr, &id[1])->p_pid;
	t_run_expect(pid[0], 0);
	ATF_REQUIRE_EQ(t_collect(pid[1]), 0);
	ATF_REQUIRE_EQ(rrlog.n, 2 * RR_STEPS);
	ATF_REQUIRE_EQ(rrlog.who[0], 0);
	for (i = 0; i < rrlog.n; i++) {
		ATF_REQUIRE_EQ_MSG(when[i], when[0] + MS(10) * i,
		    "step %d started at %llu us", i,
		    (unsigned long long)when[i]);
		owner = (int)((when[i] / slice - when[0] / slice) & 1);
		ATF_REQUIRE_EQ_MSG(rrlog.who[i], owner, "step %d at %llu us", i,
		    (unsigned long long)when[i]);
		switches += i > 0 && rrlog.who[i] != rrlog.who[i - 1];
	}
	ATF_REQUIRE(switches >= 10);
	h_shutdown();
}

struct nicearg {
	int nice;
	simtime_t utime;
};

/* compute in 1 ms steps until 4 s of simulated time */
static int
prog_nice(struct proc *p, void *arg)
{
	struct nicearg *a = arg;

	p->p_nice = NZERO + a->nice;
	resetpriority(p);
	while (clock_now() < SEC(4))
		proc_compute(p, MS(1));
	a->utime = proc_pstats(p)->p_ru.ru_utime;
	return 0;
}

/* a nice'd process gets less of the CPU than a normal one beside it */
ATF_TC_WITHOUT_HEAD(nice_process_gets_less_cpu);
ATF_TC_BODY(nice_process_gets_less_cpu, tc)
{
	struct nicearg n = { 0, 0 }, m = { 10, 0 };
	int pn, pm;

	h_boot_kern(NPAGES);
	pm = t_spawn("nice", prog_nice, &m)->p_pid;
	pn = t_spawn("normal", prog_nice, &n)->p_pid;
	t_run_expect(pn, 0);
	ATF_REQUIRE_EQ(t_collect(pm), 0);
	ATF_REQUIRE_EQ(n.utime + m.utime, SEC(4)); /* never idle */
	ATF_REQUIRE(m.utime > 0);
	ATF_REQUIRE_MSG(m.utime * 2 < n.utime, "nice %llu us, normal %llu us",
	    (unsigned long long)m.utime, (unsigned long long)n.utime);
	h_shutdown();
}

/*
 * schedcpu runs once a simulated second: p_swtime counts the seconds a
 * process has been resident, p_slptime those it has been asleep
 */
ATF_TC_WITHOUT_HEAD(schedcpu_ages_swtime_and_slptime);
ATF_TC_BODY(schedcpu_ages_swtime_and_slptime, tc)
{
	struct rec s = { .r = { SEC(10), 1, -1 } },
		   n = { .r = { MS(100), 100 } };
	struct proc *ps, *pn;
	uint64_t runs;
	int sec;

	h_boot_kern(NPAGES);
	ATF_REQUIRE(clock_now() < MS(100));
	runs = schedcounters.schedcpu;
	ps = t_spawn("sleeper", prog_nap, &s);
	pn = t_spawn("napper", prog_nap, &n);
	for (sec = 3; sec <= 5; sec += 2) {
		ATF_REQUIRE(!kern_run(SEC(sec) + MS(500)));
		ATF_REQUIRE_EQ(schedcounters.schedcpu, runs + sec);
		ATF_REQUIRE_EQ(ps->p_stat, SSLEEP);
		ATF_REQUIRE_EQ(ps->p_slptime, (unsigned int)sec);
		ATF_REQUIRE_EQ(ps->p_swtime, (unsigned int)sec);
		ATF_REQUIRE(pn->p_slptime <= 1);
		ATF_REQUIRE_EQ(pn->p_swtime, (unsigned int)sec);
	}
	t_run_expect(ps->p_pid, 0);
	ATF_REQUIRE_EQ(t_collect(pn->p_pid), 0);
	ATF_REQUIRE_EQ(s.r[2], 0); /* reset when it woke */
	h_shutdown();
}

/* --- signals --------------------------------------------------------- */

/* r[0] = 0: store unmapped, 1: load unmapped, 2: store read-only */
static int
prog_segv(struct proc *p, void *arg)
{
	struct rec *a = arg;
	vaddr_t va = 0;
	char c = 'x';

	a->r[1] = 1;
	if (a->r[0] == 0)
		proc_store(p, 0x1000, &c, 1);
	else if (a->r[0] == 1)
		proc_load(p, 0x1000, &c, 1);
	else if (proc_mmap(p, 0, PAGE_SIZE, VM_PROT_READ,
		     MMAP_ANON | MMAP_PRIVATE, -1, 0, &va) == 0)
		proc_store(p, va, &c, 1);
	a->r[2] = 1;
	return 0;
}

/* an access the VM cannot satisfy ends the process with SIGSEGV */
ATF_TC_WITHOUT_HEAD(bad_access_ends_with_sigsegv);
ATF_TC_BODY(bad_access_ends_with_sigsegv, tc)
{
	struct rec a[3] = { { .r = { 0 } }, { .r = { 1 } }, { .r = { 2 } } };
	int pid[3], i;

	h_boot_kern(NPAGES);
	for (i = 0; i < 3; i++)
		pid[i] = t_spawn("segv", prog_segv, &a[i])->p_pid;
	h_run_idle();
	for (i = 0; i < 3; i++) {
		ATF_REQUIRE_EQ(t_collect(pid[i]), W_EXITCODE(0, SIGSEGV));
		ATF_REQUIRE_EQ(a[i].r[1], 1);
		ATF_REQUIRE_EQ(a[i].r[2], 0); /* never came back */
	}
	ATF_REQUIRE_EQ(schedcounters.sigexits, 3);
	h_shutdown();
}

/* sleep uninterruptibly for 500 ms, then trip into the kernel */
static int
prog_sleep_nointr(struct proc *p, void *arg)
{
	struct rec *a = arg;

	(void)tsleep(&chans[16], PWAIT, "nointr", 50);
	a->r[1] = 1;
	proc_compute(p, 1);
	a->r[2] = 1;
	return 0;
}

/*
 * SIGKILL ends an interruptible sleeper at once, an uninterruptible one
 * when its sleep ends
 */
ATF_TC_WITHOUT_HEAD(sigkill_ends_sleeping_process);
ATF_TC_BODY(sigkill_ends_sleeping_process, tc)
{
	struct rec a = { .r = { SEC(10) } }, b = { 0 };
	struct proc *pa, *pb;

	h_boot_kern(NPAGES);
	pa = t_spawn("sleeper", prog_nap, &a);
	pb = t_spawn("nointr", prog_sleep_nointr, &b);
	ATF_REQUIRE(!kern_run(MS(100)));
	ATF_REQUIRE(pa->p_stat == SSLEEP && pb->p_stat == SSLEEP);
	kpsignal(pa, SIGKILL);
	kpsignal(pb, SIGKILL);
	ATF_REQUIRE_EQ(pa->p_stat, SRUN);
	ATF_REQUIRE(!kern_run(MS(200)));
	ATF_REQUIRE_EQ(pa->p_stat, SZOMB);
	ATF_REQUIRE_EQ(pb->p_stat, SSLEEP);
	t_run_expect(pa->p_pid, W_EXITCODE(0, SIGKILL));
	ATF_REQUIRE_EQ(t_collect(pb->p_pid), W_EXITCODE(0, SIGKILL));
	ATF_REQUIRE_EQ(a.t[1], 0); /* never came back */
	ATF_REQUIRE(b.r[1] == 1 && b.r[2] == 0);
	ATF_REQUIRE(clock_now() < SEC(1)); /* the 10 s sleep is gone */
	h_shutdown();
}

static int
prog_wait_then_3(struct proc *p, void *arg)
{
	static int ms = 300;
	struct rec *a = arg;

	if (proc_fork(p, prog_sleep_exit, &ms, NULL) != 0)
		return 1;
	a->r[0] = kern_wait(p, -1, NULL, 0);
	a->r[1] = 1;
	return 3;
}

/*
 * SIGKILL ends a process blocked in kern_wait, with the signal as its
 * status: it must not return to its program and exit normally
 */
ATF_TC_WITHOUT_HEAD(sigkill_during_wait_ends_with_signal);
ATF_TC_BODY(sigkill_during_wait_ends_with_signal, tc)
{
	struct rec a = { 0 };
	struct proc *p;

	h_boot_kern(NPAGES);
	p = t_spawn("waiter", prog_wait_then_3, &a);
	ATF_REQUIRE(!kern_run(MS(100)));
	ATF_REQUIRE(p->p_stat == SSLEEP && p->p_wchan == p);
	kpsignal(p, SIGKILL);
	t_run_expect(p->p_pid, W_EXITCODE(0, SIGKILL));
	ATF_REQUIRE_EQ(a.r[1], 0);
	h_shutdown();
}

struct workarg {
	int count;	/* steps of 10 ms done, of 100 */
	struct proc *w; /* the worker, for the signaller */
	int sig, count_at_signal;
};

static int
prog_worker(struct proc *p, void *arg)
{
	struct workarg *a = arg;

	while (a->count < 100) {
		proc_compute(p, MS(10));
		a->count++;
	}
	return 0;
}

static int
prog_signaller(struct proc *p, void *arg)
{
	struct workarg *a = arg;

	proc_sleep(p, MS(55));
	kpsignal(a->w, a->sig);
	a->count_at_signal = a->count;
	return 0;
}

/* a CPU-bound worker, and a process that signals it after 55 ms */
static void
t_signal_worker(struct workarg *a, int sig)
{
	memset(a, 0, sizeof(*a));
	a->sig = sig;
	h_boot_kern(NPAGES);
	a->w = t_spawn("worker", prog_worker, a);
	(void)t_spawn("signaller", prog_signaller, a);
}

/*
 * SIGSTOP stops a running process (SSTOP, a stop status for its parent)
 * until SIGCONT makes it runnable again; it then finishes its work
 */
ATF_TC_WITHOUT_HEAD(sigstop_stops_runner_sigcont_resumes);
ATF_TC_BODY(sigstop_stops_runner_sigcont_resumes, tc)
{
	struct workarg a;
	int count;

	t_signal_worker(&a, SIGSTOP);
	ATF_REQUIRE(!kern_run(MS(500)));
	ATF_REQUIRE_EQ(a.w->p_stat, SSTOP);
	ATF_REQUIRE_EQ(a.w->p_xstat, W_STOPCODE(SIGSTOP));
	ATF_REQUIRE(a.count_at_signal >= 1);
	ATF_REQUIRE(a.count >= a.count_at_signal && a.count < 30);
	count = a.count;
	ATF_REQUIRE(!kern_run(MS(900)));
	ATF_REQUIRE_EQ(a.w->p_stat, SSTOP);
	ATF_REQUIRE_EQ(a.count, count);
	kpsignal(a.w, SIGCONT);
	ATF_REQUIRE_EQ(a.w->p_stat, SRUN);
	t_run_expect(a.w->p_pid, 0);
	ATF_REQUIRE_EQ(a.count, 100);
	/* the step it stopped after is done; 99 - count steps were left */
	ATF_REQUIRE_EQ(clock_now(), MS(900) + MS(10) * (simtime_t)(99 - count));
	h_shutdown();
}

/*
 * a signal posted while its process waits on the run queue is acted on
 * when the process gets the CPU back, before its program runs on
 */
ATF_TC_WITHOUT_HEAD(signal_acted_on_before_preempted_program_resumes);
ATF_TC_BODY(signal_acted_on_before_preempted_program_resumes, tc)
{
	struct workarg a;

	t_signal_worker(&a, SIGKILL);
	t_run_expect(a.w->p_pid, W_EXITCODE(0, SIGKILL));
	ATF_REQUIRE(a.count_at_signal >= 1);
	ATF_REQUIRE_EQ_MSG(a.count, a.count_at_signal,
	    "killed after step %d, it ran to step %d", a.count_at_signal,
	    a.count);
	h_shutdown();
}

/*
 * SIGSTOP stops an interruptible sleeper where it sleeps; SIGCONT puts
 * it back to sleep (SSLEEP) until its time, or, if its time came while
 * it was stopped, makes it runnable
 */
ATF_TC_WITHOUT_HEAD(sigstop_stops_sleeper_sigcont_sleeps_again);
ATF_TC_BODY(sigstop_stops_sleeper_sigcont_sleeps_again, tc)
{
	struct rec a = { .r = { SEC(2) } }, b = { .r = { SEC(2) } };
	struct proc *pa, *pb;

	h_boot_kern(NPAGES);
	pa = t_spawn("early", prog_nap, &a);
	pb = t_spawn("late", prog_nap, &b);
	ATF_REQUIRE(!kern_run(MS(500)));
	kpsignal(pa, SIGSTOP);
	kpsignal(pb, SIGSTOP);
	kpsignal(pb, SIGSTOP);
	ATF_REQUIRE(pa->p_stat == SSTOP && pb->p_stat == SSTOP);
	ATF_REQUIRE(pa->p_wchan != NULL);
	ATF_REQUIRE(!kern_run(SEC(1)));
	ATF_REQUIRE_EQ(pa->p_stat, SSTOP);
	kpsignal(pa, SIGCONT);
	ATF_REQUIRE_EQ(pa->p_stat, SSLEEP);
	ATF_REQUIRE(!kern_run(SEC(3)));
	ATF_REQUIRE_EQ(t_collect(pa->p_pid), 0);
	ATF_REQUIRE_EQ(a.t[1] - a.t[0], SEC(2));
	ATF_REQUIRE_EQ(pb->p_stat, SSTOP); /* its time came: still stopped */
	kpsignal(pb, SIGCONT);
	ATF_REQUIRE_EQ(pb->p_stat, SRUN);
	t_run_expect(pb->p_pid, 0);
	ATF_REQUIRE_EQ(b.t[1], SEC(3));
	h_shutdown();
}

/*
 * SIGCHLD is ignored (and SIGCONT to a process not stopped changes
 * nothing); kernel threads (P_SYSTEM) ignore every signal and go on
 * working
 */
ATF_TC_WITHOUT_HEAD(sigchld_and_kernel_thread_signals_ignored);
ATF_TC_BODY(sigchld_and_kernel_thread_signals_ignored, tc)
{
	int sig[3] = { SIGKILL, SIGSTOP, SIGSEGV }, i, base;
	struct proc *k[3], *p;
	struct rec a = { .r = { SEC(2) } };

	h_boot_kern(NPAGES);
	base = nprocs;
	p = t_spawn("sleeper", prog_nap, &a);
	ATF_REQUIRE(!kern_run(MS(500)));
	kpsignal(p, SIGCHLD);
	ATF_REQUIRE(p->p_stat == SSLEEP && p->p_siglist == 0);
	kpsignal(p, SIGCONT);
	ATF_REQUIRE_EQ(p->p_stat, SSLEEP);
	t_run_expect(p->p_pid, 0);
	ATF_REQUIRE_EQ(a.t[1] - a.t[0], SEC(2));
	ATF_REQUIRE_EQ(schedcounters.sigexits, 0);
	k[0] = reaperproc;
	k[1] = &proc0;
	k[2] = uvm.pagedaemon_proc;
	for (i = 0; i < 3; i++) {
		ATF_REQUIRE(k[i] != NULL && (k[i]->p_flag & P_SYSTEM));
		ATF_REQUIRE_EQ(k[i]->p_stat, SSLEEP);
		kpsignal(k[i], sig[i]);
		ATF_REQUIRE(k[i]->p_stat == SSLEEP && k[i]->p_siglist == 0);
	}
	/* the reaper still reaps */
	t_run_expect(t_spawn("exit", prog_sleep_exit, &zero)->p_pid, 0);
	ATF_REQUIRE_EQ(nprocs, base);
	for (i = 0; i < 3; i++)
		ATF_REQUIRE_EQ(k[i]->p_stat, SSLEEP);
	h_shutdown();
}

/* --- resource limits ------------------------------------------------- */

struct rlarg {
	int r[9];
	struct rlimit rl[6]; /* stack; data before fork, in child, after */
};

static int
prog_rl_child(struct proc *p, void *arg)
{
	struct rlimit *rl = arg, tmp = { MIB(1), MIB(256) };

	(void)dogetrlimit(p, RLIMIT_DATA, &rl[2]);
	(void)dogetrlimit(p, RLIMIT_NOFILE, &rl[3]);
	return dosetrlimit(p, RLIMIT_DATA, &tmp);
}

static int
prog_rlimits(struct proc *p, void *arg)
{
	struct rlarg *a = arg;
	struct rlimit t[6] = { { MIB(1), MIB(1) }, { MIB(2), MIB(1) },
		{ DFLDSIZ, MAXDSIZ + 1 }, { MIB(16), MIB(256) },
		{ MIB(16), MIB(512) }, { 10, 20 } };
	int st = -1;

	a->r[0] = dogetrlimit(p, RLIMIT_STACK, &a->rl[0]);
	a->r[1] = dogetrlimit(p, -1, &a->rl[5]);
	a->r[2] = dogetrlimit(p, RLIM_NLIMITS, &a->rl[5]);
	a->r[3] = dosetrlimit(p, RLIM_NLIMITS, &t[0]);
	a->r[4] = dosetrlimit(p, -1, &t[0]);
	a->r[5] = dosetrlimit(p, RLIMIT_DATA, &t[1]); /* cur > max */
	a->r[6] = dosetrlimit(p, RLIMIT_DATA, &t[2]); /* max raised */
	a->r[7] = dosetrlimit(p, RLIMIT_DATA, &t[3]); /* max lowered */
	a->r[8] = dosetrlimit(p, RLIMIT_DATA, &t[4]); /* max raised again */
	(void)dosetrlimit(p, RLIMIT_NOFILE, &t[5]);
	(void)dogetrlimit(p, RLIMIT_DATA, &a->rl[1]);
	if (proc_fork(p, prog_rl_child, a->rl, NULL) != 0 ||
	    kern_wait(p, -1, &st, 0) <= 0)
		return 1;
	(void)dogetrlimit(p, RLIMIT_DATA, &a->rl[4]);
	return exitcode(st);
}

static bool
rl_is(const struct rlimit *rl, rlim_t cur, rlim_t max)
{
	return rl->rlim_cur == cur && rl->rlim_max == max;
}

/*
 * dogetrlimit / dosetrlimit: EINVAL for a bad index or a soft limit
 * above the hard one, EPERM for raising the hard limit, and a failed
 * set changes nothing; a child starts with its parent's limits, and
 * its own changes stay its own
 */
ATF_TC_WITHOUT_HEAD(rlimits_checked_and_inherited);
ATF_TC_BODY(rlimits_checked_and_inherited, tc)
{
	static const int want[9] = { 0, EINVAL, EINVAL, EINVAL, EINVAL, EINVAL,
		EPERM, 0, EPERM };
	struct rlarg a;
	int i;

	memset(&a, 0, sizeof(a));
	h_boot_kern(NPAGES);
	t_run_expect(t_spawn("limits", prog_rlimits, &a)->p_pid, 0);
	for (i = 0; i < 9; i++)
		ATF_REQUIRE_EQ_MSG(a.r[i], want[i], "call %d", i);
	ATF_REQUIRE(rl_is(&a.rl[0], DFLSSIZ, MAXSSIZ));
	ATF_REQUIRE(rl_is(&a.rl[1], MIB(16), MIB(256)));
	ATF_REQUIRE(rl_is(&a.rl[2], MIB(16), MIB(256)));
	ATF_REQUIRE(rl_is(&a.rl[3], 10, 20));
	ATF_REQUIRE(rl_is(&a.rl[4], MIB(16), MIB(256)));
	h_shutdown();
}

static int
prog_stack_child(struct proc *p, void *arg)
{
	char c = 'k';

	proc_store(p, USRSTACK - DFLSSIZ - 1, &c, 1);
	return p->p_rlimit[RLIMIT_STACK].rlim_cur == MIB(4) ? 7 : 1;
}

/*
 * r[0] = 0: touch just below the stack limit; 1: raise the limit, touch
 * below the old one, lower it, touch again; 2: raise it and fork; r[1]
 * counts the steps done
 */
static int
prog_stack(struct proc *p, void *arg)
{
	struct rlimit big = { MIB(4), MAXSSIZ }, dfl = { DFLSSIZ, MAXSSIZ };
	struct rec *a = arg;
	char c = 's';
	int st = -1;

	proc_store(p, USRSTACK - 1, &c, 1);
	proc_store(p, USRSTACK - DFLSSIZ, &c, 1);
	a->r[1] = 1;
	if (a->r[0] == 0)
		proc_store(p, USRSTACK - DFLSSIZ - 1, &c, 1);
	a->r[2] = dosetrlimit(p, RLIMIT_STACK, &big);
	proc_store(p, USRSTACK - DFLSSIZ - 1, &c, 1);
	proc_store(p, USRSTACK - MIB(4), &c, 1);
	a->r[1] = 2;
	if (a->r[0] == 2) {
		if (proc_fork(p, prog_stack_child, NULL, NULL) != 0)
			return 1;
		(void)kern_wait(p, -1, &st, 0);
		return exitcode(st);
	}
	a->r[3] = dosetrlimit(p, RLIMIT_STACK, &dfl);
	proc_store(p, USRSTACK - DFLSSIZ, &c, 1);
	a->r[1] = 3;
	proc_store(p, USRSTACK - DFLSSIZ - 1, &c, 1);
	a->r[1] = 4;
	return 0;
}

/*
 * RLIMIT_STACK: only the top rlim_cur bytes below USRSTACK may be
 * touched; raising the limit opens more, lowering it closes it again,
 * and a child inherits the opened stack
 */
ATF_TC_WITHOUT_HEAD(stack_limit_guards_stack);
ATF_TC_BODY(stack_limit_guards_stack, tc)
{
	struct rec a[3] = { { .r = { 0 } }, { .r = { 1 } }, { .r = { 2 } } };
	int pid[3], i;

	h_boot_kern(NPAGES);
	for (i = 0; i < 3; i++)
		pid[i] = t_spawn("stack", prog_stack, &a[i])->p_pid;
	t_run_expect(pid[0], W_EXITCODE(0, SIGSEGV));
	ATF_REQUIRE_EQ(a[0].r[1], 1);
	ATF_REQUIRE_EQ(t_collect(pid[1]), W_EXITCODE(0, SIGSEGV));
	ATF_REQUIRE_EQ(a[1].r[1], 3);
	ATF_REQUIRE(a[1].r[2] == 0 && a[1].r[3] == 0);
	ATF_REQUIRE_EQ(t_collect(pid[2]), W_EXITCODE(7, 0));
	ATF_REQUIRE_EQ(a[2].r[1], 2);
	h_shutdown();
}

/* --- the process limit, and what processes give back ----------------- */

static int
prog_forker(struct proc *p, void *arg)
{
	static int ms = 100;
	struct rec *a = arg;
	int i;

	for (i = 0; i < 4; i++) {
		if (i == 2) {
			a->r[4] = nprocs;
			a->r[5] = uvmexp.nvmspace;
		}
		a->r[i] = proc_fork(p, prog_sleep_exit, &ms, NULL);
	}
	a->r[6] = nprocs - a->r[4];
	a->r[7] = uvmexp.nvmspace - a->r[5];
	while (kern_wait(p, -1, NULL, 0) > 0)
		continue;
	a->pid[0] = proc_fork(p, prog_sleep_exit, &ms, NULL);
	return kern_wait(p, -1, NULL, 0) > 0 ? 0 : 1;
}

/*
 * fork fails with EAGAIN once there are maxproc processes, leaving
 * nothing behind, and works again when a process has gone
 */
ATF_TC_WITHOUT_HEAD(fork_fails_at_maxproc);
ATF_TC_BODY(fork_fails_at_maxproc, tc)
{
	struct rec a = { 0 };
	int saved = maxproc, pid;

	h_boot_kern(NPAGES);
	pid = t_spawn("forker", prog_forker, &a)->p_pid;
	maxproc = nprocs + 2;
	h_run_idle();
	maxproc = saved;
	ATF_REQUIRE_EQ(t_collect(pid), 0);
	ATF_REQUIRE(a.r[0] == 0 && a.r[1] == 0);
	ATF_REQUIRE(a.r[2] == EAGAIN && a.r[3] == EAGAIN);
	ATF_REQUIRE(a.r[6] == 0 && a.r[7] == 0);
	ATF_REQUIRE_EQ(a.pid[0], 0);
	h_shutdown();
}

#define NMANY 20 /* more than the u-area cache holds */

static int
prog_many(struct proc *p, void *arg)
{
	static struct ruarg kid = { MS(1), MS(50), 2, { 0 } };
	int i;

	for (i = 0; i < NMANY; i++)
		if (proc_fork(p, prog_use, &kid, NULL) != 0)
			return 1;
	while (kern_wait(p, -1, NULL, 0) > 0)
		continue;
	return 0;
}

/*
 * once every process has exited and been collected, the VM's objects
 * and free pages are back to what they were after boot, but for the
 * u-areas kept (wired) in the u-area cache
 */
ATF_TC_WITHOUT_HEAD(exited_processes_give_everything_back);
ATF_TC_BODY(exited_processes_give_everything_back, tc)
{
	static struct cowarg cow[2];
	static struct parentru ru;
	static struct rec st = { .r = { 1 } }, orph;
	proc_prog_t prog[6] = { prog_cow_parent, prog_cow_parent,
		prog_ru_parent, prog_stack, prog_orphaner, prog_many };
	void *arg[6] = { &cow[0], &cow[1], &ru, &st, &orph, NULL };
	int cached0, cached, pid[6], i, base, kme0;
	struct uvmexp u0;

	h_boot_kern(NPAGES);
	u0 = uvmexp;
	kme0 = kernel_map->nentries;
	cached0 = uvm_uarea_cached();
	base = nprocs;
	cow[0].inherit = MAP_INHERIT_COPY;
	cow[1].inherit = MAP_INHERIT_SHARE;
	ru.kid[0] = ru.kid[1] = (struct ruarg){ MS(3), 0, 4, { 0 } };
	ru.grand = true;
	for (i = 0; i < 6; i++)
		pid[i] = t_spawn("work", prog[i], arg[i])->p_pid;
	h_run_idle();
	for (i = 0; i < 6; i++)
		ATF_REQUIRE_EQ(t_collect(pid[i]),
		    i == 3 ? W_EXITCODE(0, SIGSEGV) : 0);
	ATF_REQUIRE_EQ(nprocs, base);
	ATF_REQUIRE_EQ(uvmexp.nvmspace, u0.nvmspace);
	ATF_REQUIRE_EQ(uvmexp.nanon, u0.nanon);
	ATF_REQUIRE_EQ(uvmexp.namap, u0.namap);
	ATF_REQUIRE_EQ(uvmexp.naobj, u0.naobj);
	cached = uvm_uarea_cached();
	ATF_REQUIRE(cached > cached0 && cached <= 16);
	ATF_REQUIRE_EQ(uvmexp.wired,
	    u0.wired + (cached - cached0) * (int)UPAGES);
	ATF_REQUIRE_EQ(uvmexp.swpginuse, 0);
	/* user maps' entries all went; the cached u-areas' may stay */
	ATF_REQUIRE_EQ(uvmexp.nmapent - kernel_map->nentries,
	    u0.nmapent - kme0);
	ATF_REQUIRE(kernel_map->nentries <= kme0 + (cached - cached0));
	ATF_REQUIRE_EQ_MSG(uvmexp.free,
	    u0.free - (cached - cached0) * (int)UPAGES,
	    "free %d, after boot %d, %d u-areas cached", uvmexp.free, u0.free,
	    cached);
	h_shutdown();
}

/*
 * A process asleep for good when the machine stops: kern_shutdown gives
 * back what its kernel path recorded as held, the last pushed first,
 * and nothing that was popped.
 */
static int t_cleanup_order[4], t_cleanup_n;
static int t_forever;

static void
t_cleanup_note(void *arg)
{
	t_cleanup_order[t_cleanup_n++] = *(int *)arg;
}

static int
prog_sleep_holding(struct proc *p, void *arg)
{
	static int one = 1, two = 2, three = 3;
	struct kcleanup a, b, c;

	kcleanup_push(&a, t_cleanup_note, &one);
	kcleanup_push(&b, t_cleanup_note, &two);
	kcleanup_pop(&b);
	kcleanup_push(&c, t_cleanup_note, &three);
	(void)tsleep(&t_forever, PWAIT, "forever", 0);
	return 1;
}

ATF_TC_WITHOUT_HEAD(shutdown_runs_cleanups_of_sleepers);
ATF_TC_BODY(shutdown_runs_cleanups_of_sleepers, tc)
{
	struct proc *p;

	t_cleanup_n = 0;
	h_boot_kern(NPAGES);
	ATF_REQUIRE_EQ(kern_spawn("holder", prog_sleep_holding, NULL, &p), 0);
	h_run_idle();
	ATF_REQUIRE_EQ(p->p_stat, SSLEEP);
	ATF_REQUIRE_EQ(t_cleanup_n, 0);
	h_shutdown();
	ATF_REQUIRE_EQ(t_cleanup_n, 2);
	ATF_REQUIRE_EQ(t_cleanup_order[0], 3);
	ATF_REQUIRE_EQ(t_cleanup_order[1], 1);
}

/*
 * A cleanup's state is the process's copy: progress recorded through the
 * pointer kcleanup_push_state returns is what shutdown sees, and not the
 * stack the state was first copied from.
 */
struct t_progress {
	int tp_done;
	int tp_magic;
};

static void
t_cleanup_progress(void *arg)
{
	const struct t_progress *tp = arg;

	t_cleanup_order[t_cleanup_n++] =
	    tp->tp_magic == 0x5eed ? tp->tp_done : -1;
}

static int
prog_sleep_progressing(struct proc *p, void *arg)
{
	struct t_progress start = { 0, 0x5eed }, *tp;
	struct kcleanup kc;

	tp =
	    kcleanup_push_state(&kc, t_cleanup_progress, &start, sizeof(start));
	if ((void *)tp == (void *)&start)
		return 2; /* must be a copy */
	tp->tp_done = 7;
	start.tp_done = 99;
	(void)tsleep(&t_forever, PWAIT, "forever", 0);
	return 1;
}

ATF_TC_WITHOUT_HEAD(shutdown_sees_cleanup_progress);
ATF_TC_BODY(shutdown_sees_cleanup_progress, tc)
{
	struct proc *p;

	t_cleanup_n = 0;
	h_boot_kern(NPAGES);
	ATF_REQUIRE_EQ(kern_spawn("progress", prog_sleep_progressing, NULL, &p),
	    0);
	h_run_idle();
	ATF_REQUIRE_EQ(p->p_stat, SSLEEP);
	h_shutdown();
	ATF_REQUIRE_EQ(t_cleanup_n, 1);
	ATF_REQUIRE_EQ(t_cleanup_order[0], 7);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, wait_returns_status_nohang_or_echild);
	ATF_TP_ADD_TC(tp, orphans_reparented_to_proc0_and_freed);
	ATF_TP_ADD_TC(tp, spawned_zombie_kept_until_collected);
	ATF_TP_ADD_TC(tp, wait_adds_child_rusage);
	ATF_TP_ADD_TC(tp, exit_includes_waited_children_rusage);
	ATF_TP_ADD_TC(tp, wait_adds_switches_and_maxrss);
	ATF_TP_ADD_TC(tp, fork_copy_is_private_share_is_shared);
	ATF_TP_ADD_TC(tp, sleeps_and_timeouts_take_exact_time);
	ATF_TP_ADD_TC(tp, wakeup_all_in_fifo_order_wakeup_one_first);
	ATF_TP_ADD_TC(tp, wakeup_one_skips_stopped_sleeper);
	ATF_TP_ADD_TC(tp, cpu_bound_processes_round_robin);
	ATF_TP_ADD_TC(tp, nice_process_gets_less_cpu);
	ATF_TP_ADD_TC(tp, schedcpu_ages_swtime_and_slptime);
	ATF_TP_ADD_TC(tp, bad_access_ends_with_sigsegv);
	ATF_TP_ADD_TC(tp, sigkill_ends_sleeping_process);
	ATF_TP_ADD_TC(tp, sigkill_during_wait_ends_with_signal);
	ATF_TP_ADD_TC(tp, sigstop_stops_runner_sigcont_resumes);
	ATF_TP_ADD_TC(tp, signal_acted_on_before_preempted_program_resumes);
	ATF_TP_ADD_TC(tp, sigstop_stops_sleeper_sigcont_sleeps_again);
	ATF_TP_ADD_TC(tp, sigchld_and_kernel_thread_signals_ignored);
	ATF_TP_ADD_TC(tp, rlimits_checked_and_inherited);
	ATF_TP_ADD_TC(tp, stack_limit_guards_stack);
	ATF_TP_ADD_TC(tp, fork_fails_at_maxproc);
	ATF_TP_ADD_TC(tp, exited_processes_give_everything_back);
	ATF_TP_ADD_TC(tp, shutdown_runs_cleanups_of_sleepers);
	ATF_TP_ADD_TC(tp, shutdown_sees_cleanup_progress);
	return atf_no_error();
}
