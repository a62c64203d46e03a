/*
 * t_pdaemon.c: the pagedaemon and waiting for memory -- who wakes it,
 * who it wakes, and that waiting never spins in no simulated time.
 */

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "h_util.h"
#include "uvm/uvm.h"

#define PG(n) ((vaddr_t)(n)*PAGE_SIZE)
#define RW    (VM_PROT_READ | VM_PROT_WRITE)
#define SEC   ((simtime_t)1000000)

struct t_res {
	simtime_t t; /* when the program got past the access */
	int n;	     /* pages it took */
	bool done;
};

/* map a page and write it, with the anon allocator failing meanwhile */
static int
prog_touch(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	vaddr_t va = 0;

	if (proc_mmap_anon(p, &va, PG(1), RW, MAP_INHERIT_COPY) != 0)
		return 1;
	failpoint_arm(FP_ANON, 0, 3);
	(void)proc_fill(p, va, 'x', 16);
	r->t = clock_now();
	r->done = true;
	return 0;
}

/*
 * An anon that cannot be had, with memory plentiful: the fault waits and
 * tries again an eighth of a second later, three times, then succeeds.
 * Time passes at every try; nothing spins.
 */
ATF_TC_WITHOUT_HEAD(wait_for_other_failures_takes_time);
ATF_TC_BODY(wait_for_other_failures_takes_time, tc)
{
	struct t_res r = { 0 };
	struct proc *p;
	int pid, status = -1;

	h_boot_kern(512);
	ATF_REQUIRE_EQ(kern_spawn("touch", prog_touch, &r, &p), 0);
	pid = p->p_pid;
	h_run_idle();
	ATF_REQUIRE_EQ(kern_collect(pid, &status), 0);
	ATF_REQUIRE_EQ(status, 0);
	ATF_REQUIRE(r.done);
	ATF_REQUIRE_EQ(uvmexp.flt_noanon, 3);
	ATF_REQUIRE(uvmexp.pdwait >= 3);
	/* an eighth of a second is hz / 8 whole ticks */
	ATF_REQUIRE_MSG(r.t >= 3 * (simtime_t)(hz / 8) * tick_us() &&
		r.t < 4 * (simtime_t)(hz / 8) * tick_us(),
	    "done at %llu us", (unsigned long long)r.t);
	h_shutdown();
}

/* the same failing for ever: simulated time still moves on */
static int
prog_touch_forever(struct proc *p, void *arg)
{
	vaddr_t va = 0;

	if (proc_mmap_anon(p, &va, PG(1), RW, MAP_INHERIT_COPY) != 0)
		return 1;
	failpoint_arm(FP_ANON, 0, FAILPOINT_FOREVER);
	(void)proc_fill(p, va, 'x', 16);
	return 0;
}

ATF_TC_WITHOUT_HEAD(wait_never_spins);
ATF_TC_BODY(wait_never_spins, tc)
{
	struct proc *p;

	h_boot_kern(512);
	ATF_REQUIRE_EQ(kern_spawn("forever", prog_touch_forever, NULL, &p), 0);
	ATF_REQUIRE(!kern_run(2 * SEC));
	ATF_REQUIRE_EQ(clock_now(), 2 * SEC);
	ATF_REQUIRE_EQ(p->p_stat, SSLEEP);
	/* one try every hz / 8 ticks */
	ATF_REQUIRE_MSG(uvmexp.flt_noanon ==
		2 * SEC / ((hz / 8) * tick_us()) + 1,
	    "%llu tries", (unsigned long long)uvmexp.flt_noanon);
	failpoint_disarm(FP_ANON);
	h_run_idle();
	ATF_REQUIRE_EQ(p->p_stat, SZOMB);
	h_shutdown();
}

/*
 * take memory down to the kernel's reserve -- but for a u-area, which
 * the next process will take -- and keep it
 */
static int
prog_hold(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	vaddr_t va = 0;

	r->n = uvmexp.free - uvmexp.reserve_kernel - (int)UPAGES;
	if (proc_mmap_anon(p, &va, PG(r->n), RW, MAP_INHERIT_COPY) != 0)
		return 1;
	(void)proc_fill(p, va, 'h', PG(r->n));
	r->done = true;
	(void)proc_sleep(p, 1000 * SEC);
	return 0;
}

/* touch one page of new memory */
static int
prog_one(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	vaddr_t va = 0;

	if (proc_mmap_anon(p, &va, PG(1), RW, MAP_INHERIT_COPY) != 0)
		return 1;
	(void)proc_fill(p, va, 'o', 1);
	r->t = clock_now();
	r->done = true;
	return 0;
}

/*
 * Memory really gone: the process that needs a page sleeps for memory
 * with no timeout -- nothing it could retry would help -- and is woken
 * when pages come back: here when the process holding them is killed
 * and the reaper frees them.
 */
ATF_TC_WITHOUT_HEAD(wait_for_memory_until_freed);
ATF_TC_BODY(wait_for_memory_until_freed, tc)
{
	struct t_res hold = { 0 }, one = { 0 };
	struct proc *ph, *po;
	uint64_t woke, waits;
	int status = -1, hpid, opid;

	h_boot_kern(512);
	ATF_REQUIRE_EQ(kern_spawn("hold", prog_hold, &hold, &ph), 0);
	hpid = ph->p_pid;
	woke = uvmexp.pdwoke;
	ATF_REQUIRE(!kern_run(SEC));
	ATF_REQUIRE(hold.done);
	ATF_REQUIRE_EQ(uvmexp.free, uvmexp.reserve_kernel + (int)UPAGES);
	/* it fell below freemin on the way: the pagedaemon ran */
	ATF_REQUIRE(uvmexp.pdwoke > woke);

	ATF_REQUIRE_EQ(kern_spawn("one", prog_one, &one, &po), 0);
	opid = po->p_pid;
	ATF_REQUIRE(!kern_run(2 * SEC));
	ATF_REQUIRE_EQ(uvmexp.free, uvmexp.reserve_kernel);
	waits = uvmexp.pdwait;
	/* (not past maxslp: a swapped-out holder could not exit now) */
	ATF_REQUIRE(!kern_run(10 * SEC));
	ATF_REQUIRE(!one.done);
	ATF_REQUIRE_EQ(po->p_stat, SSLEEP);
	ATF_REQUIRE(po->p_wchan == &uvmexp.free);
	ATF_REQUIRE_EQ(uvmexp.pdwait, waits); /* it did not try again */

	kpsignal(ph, SIGKILL);
	h_run_idle();
	ATF_REQUIRE(one.done);
	ATF_REQUIRE_EQ(kern_collect(opid, &status), 0);
	ATF_REQUIRE_EQ(status, 0);
	ATF_REQUIRE_EQ(kern_collect(hpid, &status), 0);
	ATF_REQUIRE_EQ(status & 0x7f, SIGKILL);
	h_shutdown();
}

/*
 * A fork stuck for memory with its child half made (SIDL, on no list
 * but the pid hash) still shuts down cleanly, everything released.
 */
static int
prog_child(struct proc *p, void *arg)
{
	return 0;
}

static int
prog_hog_fork(struct proc *p, void *arg)
{
	vaddr_t va = 0;
	int n = uvmexp.free - uvmexp.reserve_kernel;

	if (proc_mmap_anon(p, &va, PG(n), RW, MAP_INHERIT_COPY) != 0)
		return 1;
	(void)proc_fill(p, va, 'h', PG(n));
	return proc_fork(p, prog_child, NULL, NULL);
}

ATF_TC_WITHOUT_HEAD(shutdown_with_fork_stuck);
ATF_TC_BODY(shutdown_with_fork_stuck, tc)
{
	struct machine_config mc;
	struct proc *p, *q = NULL;
	int pid;

	machine_config_default(&mc);
	mc.mc_npages = 256;
	mc.mc_swapslots = 256;
	mc.mc_upages = 8;
	h_boot_kern_config(&mc);
	ATF_REQUIRE_EQ(kern_spawn("hog", prog_hog_fork, NULL, &p), 0);
	h_run_idle();
	for (pid = 1; pid < 20 && q == NULL; pid++)
		if ((q = pfind(pid)) != NULL && q->p_stat != SIDL)
			q = NULL;
	ATF_REQUIRE_MSG(q != NULL, "no child stuck half-forked");
	ATF_REQUIRE(q->p_vmspace != NULL);
	kern_shutdown();
	/* and the next machine boots */
	h_boot_kern(256);
	h_shutdown();
}

/* from the host, a kernel thread that cannot get its u-area: ENOMEM */
static void
kthread_never(void *arg)
{
	exit1(curproc, 0);
}

ATF_TC_WITHOUT_HEAD(kthread_create_without_memory);
ATF_TC_BODY(kthread_create_without_memory, tc)
{
	struct proc *p;
	vsize_t kmsize;
	int n;

	h_boot_kern(256);
	n = nprocs;
	kmsize = kernel_map->size;
	failpoint_arm(FP_PAGE, 0, FAILPOINT_FOREVER);
	ATF_REQUIRE_EQ(kthread_create(kthread_never, NULL, &p, "never"),
	    ENOMEM);
	failpoint_disarm(FP_PAGE);
	ATF_REQUIRE_EQ(nprocs, n);
	ATF_REQUIRE_EQ(kernel_map->size, kmsize);
	ATF_REQUIRE_EQ(uvm_uarea_cached(), 0);
	h_shutdown();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, wait_for_other_failures_takes_time);
	ATF_TP_ADD_TC(tp, wait_never_spins);
	ATF_TP_ADD_TC(tp, wait_for_memory_until_freed);
	ATF_TP_ADD_TC(tp, shutdown_with_fork_stuck);
	ATF_TP_ADD_TC(tp, kthread_create_without_memory);
	return atf_no_error();
}
