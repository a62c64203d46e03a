/*
 * t_events.c: the event log and the structured events (machine/trace.h)
 * -- the categories and their names, a log narrowed to some of them,
 * faults the kernel takes for itself logged as the kernel's and never
 * counted in a process's rusage, and the events a sink is given by
 * fork, exit, signals, cores, swapouts, swapins and the pagedaemon, in
 * their order and with their arguments.
 */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "h_util.h"
#include "uvm/uvm.h"

#define PG(n) ((vaddr_t)(n)*PAGE_SIZE)
#define RW    (VM_PROT_READ | VM_PROT_WRITE)
#define SEC   ((simtime_t)1000000)

/* the events the sink was given, with the free pages at each */
#define T_MAXEV 512
static struct t_ev {
	struct vmev ev;
	int free;
} t_evs[T_MAXEV];
static int t_nev;

static void
t_sink(const struct vmev *ev)
{
	ATF_REQUIRE_MSG(t_nev < T_MAXEV, "more than %d events", T_MAXEV);
	t_evs[t_nev].ev = *ev;
	t_evs[t_nev].free = uvmexp.free;
	t_nev++;
}

/* listen from now on */
static void
t_listen(void)
{
	t_nev = 0;
	vmev_sink = t_sink;
}

/* the index of the first event of kind for pid at or after from, or -1 */
static int
t_find(int from, enum vmev_kind kind, int pid)
{
	int i;

	for (i = from; i < t_nev; i++)
		if (t_evs[i].ev.ev_kind == kind && t_evs[i].ev.ev_pid == pid)
			return i;
	return -1;
}

/* how many events of kind there were, for pid (-1: any) */
static int
t_count(enum vmev_kind kind, int pid)
{
	int i, n = 0;

	for (i = 0; i < t_nev; i++)
		if (t_evs[i].ev.ev_kind == kind &&
		    (pid < 0 || t_evs[i].ev.ev_pid == pid))
			n++;
	return n;
}

/* event i is what is wanted: kind, pid, arg and why */
static void
t_require_ev(int i, enum vmev_kind kind, int pid, long arg, const char *why)
{
	const struct vmev *ev;

	ATF_REQUIRE_MSG(i >= 0 && i < t_nev, "no %s event of pid %d",
	    vmev_name(kind), pid);
	ev = &t_evs[i].ev;
	ATF_REQUIRE_EQ_MSG(ev->ev_kind, kind, "event %d: %s, not %s", i,
	    vmev_name(ev->ev_kind), vmev_name(kind));
	ATF_REQUIRE_EQ_MSG(ev->ev_pid, pid, "event %d (%s): pid %d, not %d", i,
	    vmev_name(kind), ev->ev_pid, pid);
	ATF_REQUIRE_EQ_MSG(ev->ev_arg, arg, "event %d (%s): arg %ld, not %ld",
	    i, vmev_name(kind), ev->ev_arg, arg);
	if (why == NULL)
		ATF_REQUIRE_MSG(ev->ev_why == NULL, "event %d (%s): why '%s'",
		    i, vmev_name(kind), ev->ev_why);
	else
		ATF_REQUIRE_MSG(ev->ev_why != NULL &&
			strcmp(ev->ev_why, why) == 0,
		    "event %d (%s): why '%s', not '%s'", i, vmev_name(kind),
		    ev->ev_why != NULL ? ev->ev_why : "(null)", why);
}

static struct proc *
t_spawn(const char *name, proc_prog_t prog, void *arg)
{
	struct proc *p;

	ATF_REQUIRE_EQ(kern_spawn(name, prog, arg, &p), 0);
	return p;
}

/* collect pid, which must have left wait status `want' */
static void
t_collect(int pid, int want)
{
	int status = -1;

	ATF_REQUIRE_EQ(kern_collect(pid, &status), 0);
	ATF_REQUIRE_EQ_MSG(status, want, "pid %d: wait status %#x, not %#x",
	    pid, status, want);
}

/* the whole log written to a memory stream, NUL-terminated */
struct t_log {
	char *buf;
	size_t len;
	FILE *f;
};

static void
t_log_open(struct t_log *l, unsigned mask)
{
	memset(l, 0, sizeof(*l));
	l->f = open_memstream(&l->buf, &l->len);
	ATF_REQUIRE(l->f != NULL);
	trace_open_cats(l->f, mask);
}

static void
t_log_close(struct t_log *l)
{
	trace_close();
	ATF_REQUIRE(fclose(l->f) == 0);
}

/*
 * t_log_count: the lines of the log that have `what' right after the
 * time stamp ("[   1.000000] "); with kernel_va, only the faults at a
 * kernel address (past the user address space).
 */
static int
t_log_count(const struct t_log *l, const char *what, bool kernel_va)
{
	const char *p = l->buf, *t;
	unsigned long va;
	int n = 0;

	while (p != NULL && *p != '\0') {
		ATF_REQUIRE_MSG(*p == '[', "a line without its time: '%.60s'",
		    p);
		t = strchr(p, ']');
		ATF_REQUIRE(t != NULL && t[1] == ' ');
		t += 2;
		if (strncmp(t, what, strlen(what)) == 0) {
			if (!kernel_va)
				n++;
			else if (strstr(t, "fault 0x") != NULL &&
			    sscanf(strstr(t, "fault 0x"), "fault 0x%lx", &va) ==
				1 &&
			    va >= VM_MAXUSER_ADDRESS)
				n++;
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return n;
}

/*
 * The categories: each has its name, distinct, found again by
 * trace_cat_lookup; TRC_ALL is every one of them.  The events' kinds
 * have the names the recorder and the documentation use.
 */
ATF_TC_WITHOUT_HEAD(names_of_categories_and_kinds);
ATF_TC_BODY(names_of_categories_and_kinds, tc)
{
	static const char *const cats[] = { "fault", "pagein", "pageout",
		"pdaemon", "swap", "sched", "proc", "signal", "file" };
	static const char *const kinds[] = { "fork", "exit", "signal", "core",
		"swapout", "swapin", "pdwake" };
	unsigned all = 0;
	int i;

	ATF_REQUIRE_EQ(TRC_NCAT, (int)__arraycount(cats));
	for (i = 0; i < TRC_NCAT; i++) {
		ATF_CHECK_STREQ(trace_cat_name((enum trace_cat)i), cats[i]);
		ATF_CHECK_EQ(trace_cat_lookup(cats[i]), i);
		ATF_REQUIRE_EQ(all & TRC_BIT(i), 0);
		all |= TRC_BIT(i);
	}
	ATF_CHECK_EQ(all, TRC_ALL);
	ATF_CHECK_EQ(trace_cat_lookup("all"), -1);
	ATF_CHECK_EQ(trace_cat_lookup("Fault"), -1);
	ATF_CHECK_EQ(trace_cat_lookup(""), -1);
	ATF_REQUIRE_EQ(VMEV_NKIND, (int)__arraycount(kinds));
	for (i = 0; i < VMEV_NKIND; i++)
		ATF_CHECK_STREQ(vmev_name((enum vmev_kind)i), kinds[i]);
}

/* a program that maps `pages' pages, writes them all, and notes rusage */
struct t_touch {
	int pages;
	int pid;
	struct rusage ru;      /* its own, just before it returns */
	struct t_touch *child; /* forked after the touch, then waited */
};

static int
prog_touch(struct proc *p, void *arg)
{
	struct t_touch *t = arg;
	struct proc *c;
	vaddr_t va;
	int status, pid;

	t->pid = p->p_pid;
	if (proc_mmap(p, 0, PG(t->pages), RW, MMAP_ANON | MMAP_PRIVATE, -1, 0,
		&va) != 0 ||
	    proc_fill(p, va, 0x5a, PG(t->pages)) != 0)
		return 1;
	if (t->child != NULL) {
		if (proc_fork(p, prog_touch, t->child, &c) != 0)
			return 2;
		pid = c->p_pid; /* c is gone once waited for */
		if (kern_wait(p, pid, &status, 0) != pid || status != 0)
			return 3;
	}
	t->ru = proc_pstats(p)->p_ru;
	return 0;
}

/*
 * The u-area's wiring at fork (and at the spawn, a fork of proc0) is
 * the kernel's fault, not the parent's: the log says "kernel: fault"
 * for each of its pages, and no process is credited with a fault at a
 * kernel address.  Each process's rusage counts exactly the faults the
 * log gives it: the 3 pages the parent writes and the 5 the child
 * writes, and not one of the u-area's.
 */
ATF_TC_WITHOUT_HEAD(kernel_faults_are_the_kernels);
ATF_TC_BODY(kernel_faults_are_the_kernels, tc)
{
	struct t_touch child = { .pages = 5 };
	struct t_touch parent = { .pages = 3, .child = &child };
	char what[64];
	struct t_log l;
	struct proc *p;

	h_boot_kern(512);
	t_log_open(&l, TRC_BIT(TRC_FAULT));
	p = t_spawn("parent", prog_touch, &parent);
	h_run_idle();
	t_log_close(&l);
	t_collect(p->p_pid, 0);
	ATF_REQUIRE(child.pid > parent.pid);

	/* the spawn's u-area and the fork's: each page a kernel fault */
	ATF_CHECK_EQ_MSG(t_log_count(&l, "fault: kernel: fault 0x", true),
	    2 * (int)UPAGES, "log: %s", l.buf);
	ATF_CHECK_EQ_MSG(t_log_count(&l, "fault: pid ", true), 0, "log: %s",
	    l.buf);
	/* the log and the rusage agree, and neither has the u-area */
	snprintf(what, sizeof(what), "fault: pid %d: fault 0x", parent.pid);
	ATF_CHECK_EQ(t_log_count(&l, what, false), 3);
	ATF_CHECK_EQ(parent.ru.ru_minflt, 3);
	ATF_CHECK_EQ(parent.ru.ru_majflt, 0);
	snprintf(what, sizeof(what), "fault: pid %d: fault 0x", child.pid);
	ATF_CHECK_EQ(t_log_count(&l, what, false), 5);
	ATF_CHECK_EQ(child.ru.ru_minflt, 5);
	ATF_CHECK_EQ(child.ru.ru_majflt, 0);
	/* only the category asked for */
	ATF_CHECK_EQ(t_log_count(&l, "proc: ", false), 0);
	ATF_CHECK_EQ(t_log_count(&l, "fault: ", false),
	    2 * (int)UPAGES + 3 + 5);
	free(l.buf);
	h_shutdown();
}

struct t_sleep {
	simtime_t us;
	struct rusage ru; /* just before it returns */
};

/* map and write 2 pages, sleep, write them again */
static int
prog_sleep(struct proc *p, void *arg)
{
	struct t_sleep *s = arg;
	vaddr_t va;

	if (proc_mmap(p, 0, PG(2), RW, MMAP_ANON | MMAP_PRIVATE, -1, 0, &va) !=
		0 ||
	    proc_fill(p, va, 1, PG(2)) != 0)
		return 1;
	(void)proc_sleep(p, s->us);
	/* after a swapout, which took its mappings */
	if (proc_fill(p, va, 2, PG(2)) != 0)
		return 2;
	s->ru = proc_pstats(p)->p_ru;
	return 0;
}

/*
 * Swapping a process back in wires its u-area again, in proc0: the
 * kernel's faults too, logged as such.  The process's rusage counts
 * exactly its own faults: its 2 pages written (2 faults), and after the
 * swapout took its mappings, written again (1 fault: the other page is
 * mapped with it, a resident neighbour).
 */
ATF_TC_WITHOUT_HEAD(swapin_faults_are_the_kernels);
ATF_TC_BODY(swapin_faults_are_the_kernels, tc)
{
	struct t_sleep s = { .us = 40 * SEC };
	char what[64];
	struct t_log l;
	struct proc *p;
	int pid;

	h_boot_kern(512);
	t_log_open(&l, TRC_BIT(TRC_FAULT) | TRC_BIT(TRC_SWAP));
	p = t_spawn("sleeper", prog_sleep, &s);
	pid = p->p_pid;
	ATF_REQUIRE(!kern_run(25 * SEC));
	uvm_swapout_threads();
	ATF_REQUIRE(!(p->p_flag & P_INMEM));
	h_run_idle();
	t_log_close(&l);
	ATF_REQUIRE_EQ(uvmexp.swapins, 1);
	/* the spawn's u-area, and its wiring again at the swapin */
	ATF_CHECK_EQ_MSG(t_log_count(&l, "fault: kernel: fault 0x", true),
	    2 * (int)UPAGES, "log: %s", l.buf);
	ATF_CHECK_EQ_MSG(t_log_count(&l, "fault: pid ", true), 0, "log: %s",
	    l.buf);
	ATF_CHECK_EQ(t_log_count(&l, "swap: ", false), 3); /* why, out, in */
	snprintf(what, sizeof(what), "fault: pid %d: fault 0x", pid);
	ATF_CHECK_EQ_MSG(t_log_count(&l, what, false), 3, "log: %s", l.buf);
	ATF_CHECK_EQ(s.ru.ru_minflt, 3);
	ATF_CHECK_EQ(s.ru.ru_majflt, 0);
	free(l.buf);
	t_collect(pid, 0);
	h_shutdown();
}

/* die of a segmentation fault after writing a page */
static int
prog_segv(struct proc *p, void *arg)
{
	vaddr_t va;
	char c = 1;

	if (proc_mmap(p, 0, PG(1), RW, MMAP_ANON | MMAP_PRIVATE, -1, 0, &va) !=
	    0)
		return 1;
	(void)proc_fill(p, va, 7, PG(1));
	(void)proc_store(p, 0x1000, &c, 1);
	return 2;
}

/* fork a child that dies of SIGSEGV; wait for it */
static int
prog_fork_segv(struct proc *p, void *arg)
{
	int *childpid = arg, status;
	struct proc *c;

	if (proc_fork(p, prog_segv, NULL, &c) != 0)
		return 1;
	*childpid = c->p_pid; /* c is gone once waited for */
	if (kern_wait(p, *childpid, &status, 0) != *childpid)
		return 2;
	return status == (W_EXITCODE(0, SIGSEGV) | W_COREFLAG) ? 7 : 3;
}

/*
 * A life, from boot: the kernel threads are forks of proc0 so marked;
 * the spawn is a fork of proc0 too; the parent forks the child; the
 * child is killed by SIGSEGV -- signal, then its core with the file's
 * size, then its exit with the signal and the core flag in its status;
 * the parent exits last with its own status.  Nothing is swapped.
 */
ATF_TC_WITHOUT_HEAD(fork_signal_core_exit_in_order);
ATF_TC_BODY(fork_signal_core_exit_in_order, tc)
{
	struct machine_config mc;
	struct proc *p;
	struct stat st;
	int ppid, cpid = -1;

	machine_config_default(&mc);
	mc.mc_npages = 512;
	mc.mc_swapslots = 256;
	mc.mc_coredir = ".";
	t_listen();
	h_boot_kern_config(&mc);
	p = t_spawn("forker", prog_fork_segv, &cpid);
	ppid = p->p_pid;
	h_run_idle();
	vmev_sink = NULL;
	t_collect(ppid, W_EXITCODE(7, 0));
	ATF_REQUIRE_EQ(stat("forker.core", &st), 0);
	ATF_REQUIRE(st.st_size > 0);

	ATF_REQUIRE_EQ_MSG(t_nev, 8, "%d events", t_nev);
	t_require_ev(0, VMEV_FORK, 0, uvm.pagedaemon_proc->p_pid,
	    "kernel thread");
	t_require_ev(1, VMEV_FORK, 0, reaperproc->p_pid, "kernel thread");
	t_require_ev(2, VMEV_FORK, 0, ppid, NULL);
	t_require_ev(3, VMEV_FORK, ppid, cpid, NULL);
	t_require_ev(4, VMEV_SIGNAL, cpid, SIGSEGV, "killed");
	t_require_ev(5, VMEV_CORE, cpid, (long)st.st_size, NULL);
	t_require_ev(6, VMEV_EXIT, cpid, W_EXITCODE(0, SIGSEGV) | W_COREFLAG,
	    NULL);
	t_require_ev(7, VMEV_EXIT, ppid, W_EXITCODE(7, 0), NULL);
	(void)unlink("forker.core");
	h_shutdown();
}

/* sleep interruptibly until signalled, then a little more */
static int
prog_pause(struct proc *p, void *arg)
{
	(void)proc_sleep(p, 10 * SEC);
	return 0;
}

/*
 * Signals that stop and continue a process are events too; SIGKILL is
 * its death (no core), then its exit.
 */
ATF_TC_WITHOUT_HEAD(stop_continue_kill);
ATF_TC_BODY(stop_continue_kill, tc)
{
	struct proc *p;
	int pid;

	h_boot_kern(512);
	p = t_spawn("pauser", prog_pause, NULL);
	pid = p->p_pid;
	ATF_REQUIRE(!kern_run(SEC));
	ATF_REQUIRE_EQ(p->p_stat, SSLEEP);
	t_listen();
	kpsignal(p, SIGSTOP);
	ATF_REQUIRE_EQ(p->p_stat, SSTOP);
	kpsignal(p, SIGCONT);
	ATF_REQUIRE(!kern_run(2 * SEC));
	kpsignal(p, SIGKILL);
	h_run_idle();
	vmev_sink = NULL;
	t_collect(pid, W_EXITCODE(0, SIGKILL));
	ATF_REQUIRE_EQ_MSG(t_nev, 4, "%d events", t_nev);
	t_require_ev(0, VMEV_SIGNAL, pid, SIGSTOP, "stopped");
	t_require_ev(1, VMEV_SIGNAL, pid, SIGCONT, "continued");
	t_require_ev(2, VMEV_SIGNAL, pid, SIGKILL, "killed");
	t_require_ev(3, VMEV_EXIT, pid, W_EXITCODE(0, SIGKILL), NULL);
	h_shutdown();
}

/* map and write *arg pages */
static int
prog_hog(struct proc *p, void *arg)
{
	int pages = *(int *)arg;
	vaddr_t va;

	if (proc_mmap(p, 0, PG(pages), RW, MMAP_ANON | MMAP_PRIVATE, -1, 0,
		&va) != 0)
		return 1;
	return proc_fill(p, va, 3, PG(pages)) != 0 ? 2 : 0;
}

/*
 * Memory runs short: the pagedaemon wakes (its event gives the free
 * pages it woke to), swaps out the process asleep past maxslp -- the
 * reason said -- and later proc0 swaps it back in when its sleep ends.
 * Another process's writes are what wake the pagedaemon.
 */
ATF_TC_WITHOUT_HEAD(swapout_slept_past_maxslp_and_swapin);
ATF_TC_BODY(swapout_slept_past_maxslp_and_swapin, tc)
{
	struct t_sleep s = { .us = 40 * SEC };
	struct proc *sp, *hp;
	int spid, hpid, hog, i, w, o, in;

	h_boot_kern(128);
	sp = t_spawn("sleeper", prog_sleep, &s);
	spid = sp->p_pid;
	ATF_REQUIRE(!kern_run(25 * SEC));
	ATF_REQUIRE(sp->p_slptime >= (unsigned)maxslp);
	ATF_REQUIRE(sp->p_flag & P_INMEM);
	hog = uvmexp.free - uvmexp.freemin + 8;
	t_listen();
	hp = t_spawn("hog", prog_hog, &hog);
	hpid = hp->p_pid;
	h_run_idle();
	vmev_sink = NULL;
	t_collect(hpid, 0);
	t_collect(spid, 0);

	/* the first wakeup, then the sleeper out, then back in */
	w = t_find(0, VMEV_PDWAKE, 0);
	ATF_REQUIRE_MSG(w >= 0, "the pagedaemon never woke");
	o = t_find(w, VMEV_SWAPOUT, spid);
	t_require_ev(o, VMEV_SWAPOUT, spid, 0, "slept past maxslp");
	in = t_find(o, VMEV_SWAPIN, spid);
	t_require_ev(in, VMEV_SWAPIN, spid, 0, NULL);
	ATF_CHECK_EQ(t_count(VMEV_SWAPOUT, -1), 1);
	ATF_CHECK_EQ(t_count(VMEV_SWAPIN, -1), 1);
	ATF_CHECK(t_find(in, VMEV_EXIT, spid) > in);
	/* each wakeup: pid 0, the free pages then */
	for (i = 0; i < t_nev; i++)
		if (t_evs[i].ev.ev_kind == VMEV_PDWAKE)
			t_require_ev(i, VMEV_PDWAKE, 0, t_evs[i].free, NULL);
	ATF_CHECK_EQ(t_count(VMEV_PDWAKE, 0), (int)uvmexp.pdwoke);
	ATF_CHECK_EQ(s.ru.ru_nswap, 1);
	h_shutdown();
}

/*
 * With no process asleep past maxslp and memory down to a u-area, the
 * one asleep longest goes, for the other reason.
 */
ATF_TC_WITHOUT_HEAD(swapout_memory_short);
ATF_TC_BODY(swapout_memory_short, tc)
{
	struct t_sleep a = { .us = 30 * SEC }, b = { .us = 30 * SEC };
	struct vm_page *pgs[1024];
	struct proc *pa, *pb;
	int n;

	h_boot_kern(512);
	pa = t_spawn("a", prog_sleep, &a);
	ATF_REQUIRE(!kern_run(5 * SEC));
	pb = t_spawn("b", prog_sleep, &b);
	ATF_REQUIRE(!kern_run(8 * SEC));
	ATF_REQUIRE(pa->p_slptime < (unsigned)maxslp);
	n = h_drain(pgs, 1024, (int)UPAGES);
	t_listen();
	uvm_swapout_threads();
	vmev_sink = NULL;
	ATF_REQUIRE(!(pa->p_flag & P_INMEM));
	ATF_REQUIRE_EQ(t_nev, 1);
	t_require_ev(0, VMEV_SWAPOUT, pa->p_pid, 0, "memory short");
	h_undrain(pgs, n);
	h_run_idle();
	t_collect(pa->p_pid, 0);
	t_collect(pb->p_pid, 0);
	h_shutdown();
}

/*
 * The log, narrowed to some categories, has only their lines, each with
 * its time stamp and its category's name: a fork, an exit and a swapout
 * in proc and swap; every category on gives a line of each kind seen.
 */
ATF_TC_WITHOUT_HEAD(log_has_only_the_categories_asked);
ATF_TC_BODY(log_has_only_the_categories_asked, tc)
{
	struct t_sleep s = { .us = 40 * SEC };
	struct t_touch t = { .pages = 2 };
	struct t_log l;
	struct proc *p, *q;
	int lines, i;

	h_boot_kern(512);
	t_log_open(&l, TRC_BIT(TRC_PROC) | TRC_BIT(TRC_SWAP));
	p = t_spawn("sleeper", prog_sleep, &s);
	ATF_REQUIRE(!kern_run(25 * SEC));
	uvm_swapout_threads();
	q = t_spawn("toucher", prog_touch, &t);
	h_run_idle();
	t_log_close(&l);
	t_collect(p->p_pid, 0);
	t_collect(q->p_pid, 0);
	lines = 0;
	for (i = 0; l.buf[i] != '\0'; i++)
		lines += l.buf[i] == '\n';
	ATF_CHECK_EQ_MSG(t_log_count(&l, "proc: ", false) +
		t_log_count(&l, "swap: ", false),
	    lines, "log: %s", l.buf);
	/* two spawns, two exits; out and back in, with the reason */
	ATF_CHECK_EQ(t_log_count(&l, "proc: pid 0 (swapper): fork: ", false),
	    2);
	ATF_CHECK_EQ(t_log_count(&l, "swap: swapout: ", false), 1);
	ATF_CHECK(strstr(l.buf, "(sleeper): swapped out\n") != NULL);
	ATF_CHECK(strstr(l.buf, "(sleeper): swapped in\n") != NULL);
	ATF_CHECK(strstr(l.buf, "(toucher): exit, status 0x0\n") != NULL);
	free(l.buf);
	h_shutdown();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, names_of_categories_and_kinds);
	ATF_TP_ADD_TC(tp, kernel_faults_are_the_kernels);
	ATF_TP_ADD_TC(tp, swapin_faults_are_the_kernels);
	ATF_TP_ADD_TC(tp, fork_signal_core_exit_in_order);
	ATF_TP_ADD_TC(tp, stop_continue_kill);
	ATF_TP_ADD_TC(tp, swapout_slept_past_maxslp_and_swapin);
	ATF_TP_ADD_TC(tp, swapout_memory_short);
	ATF_TP_ADD_TC(tp, log_has_only_the_categories_asked);
	return atf_no_error();
}
