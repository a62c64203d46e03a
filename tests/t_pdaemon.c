/*
 * t_pdaemon.c: the pagedaemon and waiting for memory -- who wakes it,
 * who it wakes, and that waiting never spins in no simulated time.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
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

	if (proc_mmap(p, 0, PG(1), RW, MMAP_ANON | MMAP_PRIVATE, -1, 0, &va) !=
	    0)
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

	if (proc_mmap(p, 0, PG(1), RW, MMAP_ANON | MMAP_PRIVATE, -1, 0, &va) !=
	    0)
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

/* touch one page of new memory */
static int
prog_one(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	vaddr_t va = 0;

	if (proc_mmap(p, 0, PG(1), RW, MMAP_ANON | MMAP_PRIVATE, -1, 0, &va) !=
	    0)
		return 1;
	(void)proc_fill(p, va, 'o', 1);
	r->t = clock_now();
	r->done = true;
	return 0;
}

/*
 * Memory really gone -- held by the host, nothing the pagedaemon can
 * page out -- the process that needs a page sleeps for memory with no
 * timeout (nothing it could retry would help), and the machine goes
 * idle.  Pages given back wake it.
 */
ATF_TC_WITHOUT_HEAD(wait_for_memory_until_freed);
ATF_TC_BODY(wait_for_memory_until_freed, tc)
{
	struct vm_page *pgs[512];
	struct t_res one = { 0 };
	struct proc *po;
	uint64_t woke, waits;
	int status = -1, opid, n;

	h_boot_kern(512);
	ATF_REQUIRE_EQ(kern_spawn("one", prog_one, &one, &po), 0);
	opid = po->p_pid;
	woke = uvmexp.pdwoke;
	n = h_drain(pgs, 512, uvmexp.reserve_kernel);
	h_run_idle();
	ATF_REQUIRE(!one.done);
	ATF_REQUIRE_EQ(po->p_stat, SSLEEP);
	ATF_REQUIRE(po->p_wchan == &uvmexp.free);
	ATF_REQUIRE(uvmexp.pdwoke > woke); /* it asked the pagedaemon */
	waits = uvmexp.pdwait;
	ATF_REQUIRE(!kern_run(clock_now() + 10 * SEC));
	ATF_REQUIRE_EQ(uvmexp.pdwait, waits); /* it did not try again */
	ATF_REQUIRE(!one.done);

	h_undrain(pgs, n);
	h_run_idle();
	ATF_REQUIRE(one.done);
	ATF_REQUIRE_EQ(kern_collect(opid, &status), 0);
	ATF_REQUIRE_EQ(status, 0);
	h_shutdown();
}

/* take memory down to the kernel's reserve with dirty pages, and keep it */
static int
prog_hold(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	vaddr_t va = 0, v;
	unsigned char c;
	int bad = 0;

	r->n = uvmexp.free - uvmexp.reserve_kernel - (int)UPAGES;
	if (proc_mmap(p, 0, PG(r->n), RW, MMAP_ANON | MMAP_PRIVATE, -1, 0,
		&va) != 0)
		return 1;
	for (v = va; v < va + PG(r->n); v += PAGE_SIZE) {
		c = (unsigned char)(v >> PAGE_SHIFT);
		(void)proc_fill(p, v, c, PAGE_SIZE);
	}
	(void)proc_sleep(p, 5 * SEC);
	for (v = va; v < va + PG(r->n); v += PAGE_SIZE) {
		(void)proc_load(p, v + PAGE_SIZE - 1, &c, 1);
		if (c != (unsigned char)(v >> PAGE_SHIFT))
			bad++;
	}
	r->done = true;
	return bad == 0 ? 0 : 2;
}

/*
 * One process holds all but the kernel's reserve in dirty pages; another
 * needs a page.  It waits, the pagedaemon writes the holder's oldest
 * pages to swap, in clustered writes, and frees them; the waiter goes
 * on.  When the holder reads its memory back, every page is intact, and
 * once both have exited, swap is empty again.
 */
ATF_TC_WITHOUT_HEAD(pageout_frees_memory_for_waiter);
ATF_TC_BODY(pageout_frees_memory_for_waiter, tc)
{
	struct t_res hold = { 0 }, one = { 0 };
	struct proc *ph, *po;
	int status = -1, hpid, opid;

	h_boot_kern(512);
	ATF_REQUIRE_EQ(kern_spawn("hold", prog_hold, &hold, &ph), 0);
	hpid = ph->p_pid;
	ATF_REQUIRE(!kern_run(SEC));
	ATF_REQUIRE_EQ(kern_spawn("one", prog_one, &one, &po), 0);
	opid = po->p_pid;
	ATF_REQUIRE(!kern_run(2 * SEC));
	ATF_REQUIRE(one.done);
	ATF_REQUIRE(uvmexp.pdpgout > 0);
	ATF_REQUIRE(uvmexp.swpgonly > 0);
	/* clustered: more than one page per write */
	ATF_REQUIRE_MSG(uvmexp.pdpgout > uvmexp.pdpageouts,
	    "%llu pages in %llu writes", (unsigned long long)uvmexp.pdpgout,
	    (unsigned long long)uvmexp.pdpageouts);
	h_check();
	h_run_idle();
	ATF_REQUIRE(hold.done);
	ATF_REQUIRE(uvmexp.flt_anget > 0);
	ATF_REQUIRE_EQ(kern_collect(hpid, &status), 0);
	ATF_REQUIRE_EQ(status, 0);
	ATF_REQUIRE_EQ(kern_collect(opid, &status), 0);
	ATF_REQUIRE_EQ(status, 0);
	ATF_REQUIRE_EQ(uvmexp.swpginuse, 0);
	ATF_REQUIRE_EQ(uvmexp.swpgonly, 0);
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
prog_fork(struct proc *p, void *arg)
{
	return proc_fork(p, prog_child, NULL, NULL);
}

ATF_TC_WITHOUT_HEAD(shutdown_with_fork_stuck);
ATF_TC_BODY(shutdown_with_fork_stuck, tc)
{
	struct vm_page *pgs[256];
	struct proc *p, *q = NULL;
	int pid;

	h_boot_kern(256);
	ATF_REQUIRE_EQ(kern_spawn("forker", prog_fork, NULL, &p), 0);
	(void)h_drain(pgs, 256, 0);
	h_run_idle();
	for (pid = 1; pid < 20 && q == NULL; pid++)
		if ((q = pfind(pid)) != NULL && q->p_stat != SIDL)
			q = NULL;
	ATF_REQUIRE_MSG(q != NULL, "no child stuck half-forked");
	ATF_REQUIRE(q->p_vmspace != NULL);
	/* the host's pages are not the VM's: give them back, then stop */
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

/*
 * Data integrity under pressure.  Four processes, each with a working
 * set as large as physical memory (four times memory in all), write and
 * read random pages; halfway each forks a child that goes on with its
 * own copy-on-write copy.  Every page holds a pattern derived from
 * (process, page, version), and a plain model on the host side records
 * which version each process last wrote to each page: every read is
 * checked against it, and at the end every page of every process.
 * Meanwhile the pagedaemon pages out and processes are swapped out and
 * back in (maxslp is short), and nothing may be lost.
 */
#define D_NPROC	 4
#define D_NPAGES 256 /* physical memory, and each working set */
#define D_STEPS	 5000

struct d_space {
	uint16_t ver[D_NPAGES]; /* the model: last version written */
	uint8_t who[D_NPAGES];	/* and by whom (a space id) */
	unsigned int id;	/* the patterns this space writes */
	uint32_t rng;
	int bad;    /* reads that disagreed */
	int forked; /* this is a child */
	bool done;
};

static struct d_space d_sp[2 * D_NPROC];

static uint32_t
d_rand(uint32_t *s)
{
	uint32_t x = *s;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

/* the byte at offset i of page pgi, version v, of space id */
static unsigned char
d_byte(unsigned int id, int pgi, unsigned int v, size_t i)
{
	return (unsigned char)(id * 131 + (unsigned)pgi * 31 + v * 7 + i);
}

static void
d_write(struct proc *p, struct d_space *d, vaddr_t va, int pgi)
{
	unsigned char buf[512];
	size_t off, i;

	d->ver[pgi]++;
	d->who[pgi] = (uint8_t)d->id;
	for (off = 0; off < PAGE_SIZE; off += sizeof(buf)) {
		for (i = 0; i < sizeof(buf); i++)
			buf[i] = d_byte(d->id, pgi, d->ver[pgi], off + i);
		(void)proc_store(p, va + PG(pgi) + off, buf, sizeof(buf));
	}
}

static void
d_check(struct proc *p, struct d_space *d, vaddr_t va, int pgi)
{
	unsigned char buf[512];
	size_t off, i;

	for (off = 0; off < PAGE_SIZE; off += sizeof(buf)) {
		(void)proc_load(p, va + PG(pgi) + off, buf, sizeof(buf));
		for (i = 0; i < sizeof(buf); i++)
			if (buf[i] !=
			    d_byte(d->who[pgi], pgi, d->ver[pgi], off + i)) {
				d->bad++;
				return;
			}
	}
}

static vaddr_t d_va = 0x40000000;

static int
prog_d_work(struct proc *p, void *arg)
{
	struct d_space *d = arg, *c;
	int step, pgi, status;

	for (step = d->forked ? D_STEPS / 2 : 0; step < D_STEPS; step++) {
		if (!d->forked && step == D_STEPS / 2) {
			/* the child starts with a copy of the model */
			c = &d_sp[d->id + D_NPROC];
			*c = *d;
			c->forked = 1;
			c->rng ^= 0x9e3779b9u;
			c->id += D_NPROC; /* its writes are its own */
			if (proc_fork(p, prog_d_work, c, NULL) != 0)
				return 1;
		}
		pgi = (int)(d_rand(&d->rng) % D_NPAGES);
		if (d_rand(&d->rng) % 3 == 0)
			d_write(p, d, d_va, pgi);
		else
			d_check(p, d, d_va, pgi);
		if (d_rand(&d->rng) % 97 == 0)
			(void)proc_sleep(p, 3 * SEC);
	}
	for (pgi = 0; pgi < D_NPAGES; pgi++)
		d_check(p, d, d_va, pgi);
	d->done = true;
	if (!d->forked)
		(void)kern_wait(p, -1, &status, 0);
	return d->bad == 0 ? 0 : 2;
}

static int
prog_d_start(struct proc *p, void *arg)
{
	struct d_space *d = arg;
	vaddr_t va = d_va;
	int pgi;

	if (proc_mmap(p, d_va, PG(D_NPAGES), RW,
		MMAP_ANON | MMAP_PRIVATE | MMAP_FIXED, -1, 0, &va) != 0)
		return 1;
	for (pgi = 0; pgi < D_NPAGES; pgi++)
		d_write(p, d, d_va, pgi);
	return prog_d_work(p, d);
}

ATF_TC(pressure_keeps_every_byte);
ATF_TC_HEAD(pressure_keeps_every_byte, tc)
{
	atf_tc_set_md_var(tc, "timeout", "600");
}
ATF_TC_BODY(pressure_keeps_every_byte, tc)
{
	struct machine_config mc;
	struct proc *p[D_NPROC];
	int i, status, pid[D_NPROC];

	machine_config_default(&mc);
	mc.mc_npages = D_NPAGES;
	mc.mc_swapslots = 8 * D_NPAGES;
	mc.mc_maxslp = 2;
	h_boot_kern_config(&mc);
	memset(d_sp, 0, sizeof(d_sp));
	for (i = 0; i < D_NPROC; i++) {
		d_sp[i].id = (unsigned int)i;
		d_sp[i].rng = 0x2545f491u * (uint32_t)(i + 1);
		ATF_REQUIRE_EQ(kern_spawn("d", prog_d_start, &d_sp[i], &p[i]),
		    0);
		pid[i] = p[i]->p_pid;
	}
	h_run_idle();
	for (i = 0; i < 2 * D_NPROC; i++) {
		ATF_REQUIRE_MSG(d_sp[i].done, "space %d did not finish", i);
		ATF_REQUIRE_EQ_MSG(d_sp[i].bad, 0, "space %d: %d bad reads", i,
		    d_sp[i].bad);
	}
	for (i = 0; i < D_NPROC; i++) {
		ATF_REQUIRE_EQ(kern_collect(pid[i], &status), 0);
		ATF_REQUIRE_EQ(status, 0);
	}
	/* it really was under pressure */
	ATF_REQUIRE(uvmexp.pdpgout > (uint64_t)(2 * D_NPAGES));
	ATF_REQUIRE(uvmexp.flt_anget > (uint64_t)D_NPAGES);
	ATF_REQUIRE(uvmexp.swapouts > 0 && uvmexp.swapins > 0);
	ATF_REQUIRE(uvmexp.pdpgout > uvmexp.pdpageouts); /* clustered */
	ATF_REQUIRE(uvmexp.flt_acow > 0);
	/* the clock's second chances: reactivations by its scan */
	ATF_REQUIRE(uvmexp.pdreact > 0);
	printf("paged out %llu pages in %llu writes, %llu read back; "
	       "%llu swapouts, %llu swapins; %llu pages reactivated; "
	       "%.1f s simulated\n",
	    (unsigned long long)uvmexp.pdpgout,
	    (unsigned long long)uvmexp.pdpageouts,
	    (unsigned long long)uvmexp.flt_anget,
	    (unsigned long long)uvmexp.swapouts,
	    (unsigned long long)uvmexp.swapins,
	    (unsigned long long)uvmexp.pdreact, (double)clock_now() / SEC);
	/* all gone: swap is empty again */
	ATF_REQUIRE_EQ(uvmexp.swpginuse, 0);
	ATF_REQUIRE_EQ(uvmexp.swpgonly, 0);
	h_shutdown();
}

/* touch ever more memory, a page at a time, for ever */
static int
prog_eat(struct proc *p, void *arg)
{
	int *touched = arg;
	vaddr_t va = 0;

	if (proc_mmap(p, 0, PG(4096), RW, MMAP_ANON | MMAP_PRIVATE, -1, 0,
		&va) != 0)
		return 1;
	for (*touched = 0; *touched < 4096; (*touched)++)
		(void)proc_fill(p, va + PG(*touched), 'e', 1);
	return 0;
}

/* write 16 pages, sleep while the eater runs, read them back */
static int
prog_keep(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	vaddr_t va = 0;
	unsigned char c;
	int i, bad = 0;

	if (proc_mmap(p, 0, PG(16), RW, MMAP_ANON | MMAP_PRIVATE, -1, 0, &va) !=
	    0)
		return 1;
	for (i = 0; i < 16; i++)
		(void)proc_fill(p, va + PG(i), 'a' + i, PAGE_SIZE);
	(void)proc_sleep(p, 60 * SEC);
	for (i = 0; i < 16; i++) {
		(void)proc_load(p, va + PG(i) + PAGE_SIZE / 2, &c, 1);
		if (c != 'a' + i)
			bad++;
	}
	r->done = true;
	return bad;
}

/*
 * Swap exhaustion, by UVM's rule: when memory is short and swap is full
 * (every slot holds a page that is nowhere else), waiting cannot help,
 * and the process whose fault needs a page is killed -- SIGKILL, with a
 * line in the kernel's message buffer.  Dirty pages that found no slot
 * stayed resident; another process's data, in memory or in swap, is
 * intact; the killed process's memory and swap come back.
 */
ATF_TC_WITHOUT_HEAD(swap_exhaustion_kills_with_message);
ATF_TC_BODY(swap_exhaustion_kills_with_message, tc)
{
	struct machine_config mc;
	struct t_res keep = { 0 };
	struct proc *pe, *pk;
	char msg[1024], want[64];
	int touched = 0, status = -1, epid, kpid;

	machine_config_default(&mc);
	mc.mc_npages = 256;
	mc.mc_swapslots = 128;
	h_boot_kern_config(&mc);
	ATF_REQUIRE_EQ(kern_spawn("keep", prog_keep, &keep, &pk), 0);
	ATF_REQUIRE(!kern_run(SEC));
	ATF_REQUIRE_EQ(kern_spawn("eat", prog_eat, &touched, &pe), 0);
	epid = pe->p_pid;
	kpid = pk->p_pid;
	h_run_idle();
	ATF_REQUIRE_EQ(kern_collect(epid, &status), 0);
	ATF_REQUIRE_EQ(status & 0x7f, SIGKILL);
	/* it got about as far as memory and swap together allow */
	ATF_REQUIRE(touched > 256 && touched < 256 + 128);
	ATF_REQUIRE(uvmexp.pdswfull > 0);
	(void)kern_msgbuf(msg, sizeof(msg));
	snprintf(want, sizeof(want), "pid %d (eat): killed: out of swap", epid);
	ATF_REQUIRE_MSG(strstr(msg, want) != NULL, "message buffer: %s", msg);
	ATF_REQUIRE(keep.done);
	ATF_REQUIRE_EQ(kern_collect(kpid, &status), 0);
	ATF_REQUIRE_EQ(status, 0);
	ATF_REQUIRE_EQ(uvmexp.swpginuse, 0);
	h_shutdown();
}

/* map npages of shared anonymous memory (an aobj) at *vap */
static int
t_map_shm(struct proc *p, vaddr_t *vap, int npages)
{
	struct uvm_object *uobj = uao_create((voff_t)PG(npages), 0);
	int error;

	*vap = 0x60000000;
	error = uvm_map(&p->p_vmspace->vm_map, vap, PG(npages), uobj, 0, 0,
	    UVM_MAPFLAG(RW, VM_PROT_ALL, MAP_INHERIT_SHARE, UVM_ADV_NORMAL,
		UVM_FLAG_FIXED));
	if (error)
		uao_detach(uobj);
	return error;
}

struct t_shm {
	int bad;
	bool done;
};

static int
prog_shm_child(struct proc *p, void *arg)
{
	vaddr_t va = 0x60000000;
	int i;

	for (i = 0; i < 64; i += 2)
		(void)proc_fill(p, va + PG(i), 'c', PAGE_SIZE);
	return 0;
}

/*
 * Shared anonymous memory under pressure: a parent and its child share
 * an aobj; the pagedaemon writes its pages to swap; both see the same
 * data afterwards, and swap is empty once they are gone.
 */
static int
prog_shm(struct proc *p, void *arg)
{
	struct t_shm *r = arg;
	vaddr_t va;
	unsigned char c;
	int i, status;

	if (t_map_shm(p, &va, 64) != 0)
		return 1;
	for (i = 0; i < 64; i++)
		(void)proc_fill(p, va + PG(i), 'p', PAGE_SIZE);
	if (proc_fork(p, prog_shm_child, NULL, NULL) != 0)
		return 2;
	(void)kern_wait(p, -1, &status, 0);
	(void)proc_sleep(p, 5 * SEC);
	for (i = 0; i < 64; i++) {
		(void)proc_load(p, va + PG(i) + 9, &c, 1);
		if (c != (i % 2 == 0 ? 'c' : 'p'))
			r->bad++;
	}
	r->done = true;
	return status;
}

ATF_TC_WITHOUT_HEAD(shared_anon_memory_pages_out);
ATF_TC_BODY(shared_anon_memory_pages_out, tc)
{
	struct vm_page *pgs[512];
	struct t_shm r = { 0 };
	struct proc *p;
	int n, pid, status, naobj;
	uint64_t out;

	h_boot_kern(256);
	naobj = uvmexp.naobj;
	ATF_REQUIRE_EQ(kern_spawn("shm", prog_shm, &r, &p), 0);
	pid = p->p_pid;
	ATF_REQUIRE(!kern_run(SEC));
	out = uvmexp.pdpgout;
	n = h_drain(pgs, 512, uvmexp.freemin - 1);
	ATF_REQUIRE(!kern_run(3 * SEC));
	ATF_REQUIRE(uvmexp.pdpgout > out);
	ATF_REQUIRE(((struct uvm_aobj *)uvm_kernel_object)->u_nswslots <
	    uvmexp.swpginuse);
	h_check();
	h_undrain(pgs, n);
	h_run_idle();
	ATF_REQUIRE(r.done);
	ATF_REQUIRE_EQ(r.bad, 0);
	ATF_REQUIRE_EQ(kern_collect(pid, &status), 0);
	ATF_REQUIRE_EQ(status, 0);
	ATF_REQUIRE_EQ(uvmexp.naobj, naobj);
	ATF_REQUIRE_EQ(uvmexp.swpginuse, 0);
	h_shutdown();
}

static int
prog_shm_hold(struct proc *p, void *arg)
{
	vaddr_t va;
	int i;

	if (t_map_shm(p, &va, 32) != 0)
		return 1;
	for (i = 0; i < 32; i++)
		(void)proc_fill(p, va + PG(i), 'h', PAGE_SIZE);
	(void)proc_sleep(p, 100 * SEC);
	return 0;
}

/*
 * A process killed while the pagedaemon is writing its shared memory
 * out: the aobj is freed at exit, but its pages in flight are finished
 * off only when their writes end -- nothing is lost or leaked.
 */
ATF_TC_WITHOUT_HEAD(aobj_freed_during_pageout);
ATF_TC_BODY(aobj_freed_during_pageout, tc)
{
	struct vm_page *pgs[512];
	struct proc *p;
	int n, pid, status, naobj;

	h_boot_kern(256);
	naobj = uvmexp.naobj;
	ATF_REQUIRE_EQ(kern_spawn("hold", prog_shm_hold, NULL, &p), 0);
	pid = p->p_pid;
	ATF_REQUIRE(!kern_run(SEC));
	n = h_drain(pgs, 512, uvmexp.freemin - 1);
	kpsignal(p, SIGKILL);
	/* the pagedaemon goes first and starts its writes; then p dies */
	ATF_REQUIRE(!kern_run(clock_now() + 100));
	ATF_REQUIRE(uvmexp.paging > 0);
	ATF_REQUIRE_EQ(p->p_stat, SZOMB);
	ATF_REQUIRE_EQ(uvmexp.naobj, naobj + 1); /* dying, not yet freed */
	h_check();
	h_undrain(pgs, n);
	h_run_idle();
	ATF_REQUIRE_EQ(uvmexp.naobj, naobj);
	ATF_REQUIRE_EQ(uvmexp.paging, 0);
	ATF_REQUIRE_EQ(uvmexp.swpginuse, 0);
	ATF_REQUIRE_EQ(kern_collect(pid, &status), 0);
	ATF_REQUIRE_EQ(status & 0x7f, SIGKILL);
	h_shutdown();
}

/*
 * The clock's second chance, as NetBSD 1.6 gives it.  A process fills
 * R_NP pages and sleeps; the pagedaemon's refill (the clock's
 * balancequeue, with inactarg covering every page) moves them all to
 * the inactive queue:
 *
 *	active:   (empty)
 *	inactive: p0 p1 ... p15 | p16 ... p31    all still mapped, U clear
 *
 * The process then reads p0..p15: no fault, the mappings are there, and
 * each read sets the page's referenced bit again.  The inactive scan
 * reactivates exactly those (pdreact) and offers p16..p31 as victims,
 * all still mapped: the scan itself unmaps nothing.
 */
#define R_NP 32

struct t_reref {
	vaddr_t va;
	bool filled, reread;
};

static int
prog_reref(struct proc *p, void *arg)
{
	struct t_reref *r = arg;
	unsigned char c;
	int i;

	if (proc_mmap(p, 0, PG(R_NP), RW, MMAP_ANON | MMAP_PRIVATE, -1, 0,
		&r->va) != 0)
		return 1;
	for (i = 0; i < R_NP; i++)
		(void)proc_fill(p, r->va + PG(i), 'a' + i, PAGE_SIZE);
	r->filled = true;
	(void)proc_sleep(p, SEC);
	for (i = 0; i < R_NP / 2; i++) {
		(void)proc_load(p, r->va + PG(i) + 7, &c, 1);
		if (c != 'a' + i)
			return 2;
	}
	r->reread = true;
	(void)proc_sleep(p, 10 * SEC);
	return 0;
}

ATF_TC_WITHOUT_HEAD(deactivation_keeps_mappings_reference_reactivates);
ATF_TC_BODY(deactivation_keeps_mappings_reference_reactivates, tc)
{
	struct vm_page *pg[R_NP], *v;
	struct t_reref r = { 0 };
	struct pmap *pm;
	struct proc *p;
	paddr_t pa;
	uint64_t deact, faults, react;
	bool victim[R_NP] = { false };
	int i, status = -1, pid;

	h_boot_kern(512);
	ATF_REQUIRE_STREQ(uvmpdpol_name(), "clock");
	ATF_REQUIRE_EQ(kern_spawn("reref", prog_reref, &r, &p), 0);
	pid = p->p_pid;
	ATF_REQUIRE(!kern_run(SEC / 2));
	ATF_REQUIRE(r.filled && !r.reread);
	pm = p->p_vmspace->vm_map.pmap;
	for (i = 0; i < R_NP; i++) {
		ATF_REQUIRE(pmap_extract(pm, r.va + PG(i), &pa));
		pg[i] = PHYS_TO_VM_PAGE(pa);
		ATF_REQUIRE(pg[i]->pqflags & PQ_ACTIVE);
	}

	/* the pagedaemon's refill, with every page wanted inactive */
	deact = uvmexp.pddeact;
	uvmexp.inactarg = uvmexp.active + uvmexp.inactive;
	ATF_REQUIRE(uvmpdpol_needsscan_p());
	uvmpdpol_balancequeue();
	ATF_REQUIRE(uvmexp.pddeact - deact >= R_NP);
	for (i = 0; i < R_NP; i++) {
		ATF_REQUIRE_MSG(pg[i]->pqflags & PQ_INACTIVE,
		    "page %d not deactivated", i);
		ATF_REQUIRE_MSG(pmap_extract(pm, r.va + PG(i), &pa) &&
			pa == VM_PAGE_TO_PHYS(pg[i]),
		    "page %d unmapped by deactivation", i);
		ATF_REQUIRE(!pmap_is_referenced(pg[i]));
	}
	h_check();

	/* the process reads the first half back: no fault at all */
	faults = uvmexp.faults;
	ATF_REQUIRE(!kern_run(2 * SEC));
	ATF_REQUIRE(r.reread);
	ATF_REQUIRE_EQ_MSG(uvmexp.faults, faults, "%llu faults",
	    (unsigned long long)(uvmexp.faults - faults));
	for (i = 0; i < R_NP; i++) {
		ATF_REQUIRE(pg[i]->pqflags & PQ_INACTIVE);
		ATF_REQUIRE_EQ(pmap_is_referenced(pg[i]), i < R_NP / 2);
	}

	/* the inactive scan: the referenced half back to active */
	react = uvmexp.pdreact;
	uvmpdpol_scaninit();
	while ((v = uvmpdpol_selectvictim()) != NULL)
		for (i = 0; i < R_NP; i++)
			if (v == pg[i])
				victim[i] = true;
	ATF_REQUIRE_EQ_MSG(uvmexp.pdreact - react, R_NP / 2,
	    "%llu pages reactivated",
	    (unsigned long long)(uvmexp.pdreact - react));
	for (i = 0; i < R_NP; i++) {
		ATF_REQUIRE_EQ_MSG(victim[i], i >= R_NP / 2,
		    "page %d %s a victim", i, victim[i] ? "was" : "was not");
		ATF_REQUIRE_EQ(!!(pg[i]->pqflags & PQ_ACTIVE), i < R_NP / 2);
		ATF_REQUIRE(pmap_extract(pm, r.va + PG(i), &pa));
	}
	h_check();
	h_run_idle();
	ATF_REQUIRE_EQ(kern_collect(pid, &status), 0);
	ATF_REQUIRE_EQ(status, 0);
	h_shutdown();
}

/* fill r->n pages, sleep, and check them all */
static int
prog_hold_n(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	vaddr_t va = 0;
	unsigned char c;
	int i, bad = 0;

	if (proc_mmap(p, 0, PG(r->n), RW, MMAP_ANON | MMAP_PRIVATE, -1, 0,
		&va) != 0)
		return 1;
	for (i = 0; i < r->n; i++)
		(void)proc_fill(p, va + PG(i), 'A' + i % 26, PAGE_SIZE);
	(void)proc_sleep(p, 5 * SEC);
	for (i = 0; i < r->n; i++) {
		(void)proc_load(p, va + PG(i) + 9, &c, 1);
		if (c != 'A' + i % 26)
			bad++;
	}
	r->done = true;
	return bad == 0 ? 0 : 2;
}

/*
 * The pagedaemon removes a mapping only from a page it takes.  A
 * process holds three quarters of memory in dirty pages, one mapping
 * each, and sleeps; the host takes the free memory, so the pagedaemon
 * must page some of them out.  Its refill moves many more pages to the inactive
 * queue than it takes, yet the pv entries freed (one per mapping
 * removed) are no more than the pages it freed: about one unmapping per
 * page out, where unmapping at deactivation cost one per page moved.
 */
ATF_TC_WITHOUT_HEAD(pageout_unmaps_only_pages_it_takes);
ATF_TC_BODY(pageout_unmaps_only_pages_it_takes, tc)
{
	struct machine_config mc;
	struct vm_page *pgs[512];
	struct t_res hold = { .n = 384 };
	struct proc *ph;
	uint64_t pv, freed, deact, out, swapouts;
	int n, status = -1, hpid;

	machine_config_default(&mc);
	mc.mc_npages = 512;
	mc.mc_swapslots = 512;
	mc.mc_maxslp = 1000; /* no process swapout: its pmap_collect */
	h_boot_kern_config(&mc);
	ATF_REQUIRE_EQ(kern_spawn("hold", prog_hold_n, &hold, &ph), 0);
	hpid = ph->p_pid;
	ATF_REQUIRE(!kern_run(SEC));
	ATF_REQUIRE_EQ(uvmexp.pdpgout, 0); /* no pressure yet */
	pv = pmapcounters.pv_free;
	freed = uvmexp.pdfreed;
	deact = uvmexp.pddeact;
	out = uvmexp.pdpgout;
	swapouts = uvmexp.swapouts;
	n = h_drain(pgs, 512, uvmexp.freemin - 1);
	ATF_REQUIRE(!kern_run(3 * SEC));
	pv = pmapcounters.pv_free - pv;
	freed = uvmexp.pdfreed - freed;
	deact = uvmexp.pddeact - deact;
	out = uvmexp.pdpgout - out;
	printf("%llu pages deactivated, %llu paged out, %llu freed, "
	       "%llu mappings removed\n",
	    (unsigned long long)deact, (unsigned long long)out,
	    (unsigned long long)freed, (unsigned long long)pv);
	ATF_REQUIRE_EQ(uvmexp.swapouts, swapouts);
	ATF_REQUIRE(out > 0);
	ATF_REQUIRE_MSG(deact > 2 * freed,
	    "%llu pages deactivated for %llu freed", (unsigned long long)deact,
	    (unsigned long long)freed);
	ATF_REQUIRE_MSG(pv > 0 && pv <= freed,
	    "%llu mappings removed for %llu pages freed",
	    (unsigned long long)pv, (unsigned long long)freed);
	h_check();
	h_undrain(pgs, n);
	h_run_idle();
	ATF_REQUIRE(hold.done);
	ATF_REQUIRE_EQ(kern_collect(hpid, &status), 0);
	ATF_REQUIRE_EQ(status, 0);
	h_shutdown();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, wait_for_other_failures_takes_time);
	ATF_TP_ADD_TC(tp, wait_never_spins);
	ATF_TP_ADD_TC(tp, wait_for_memory_until_freed);
	ATF_TP_ADD_TC(tp, pageout_frees_memory_for_waiter);
	ATF_TP_ADD_TC(tp, shutdown_with_fork_stuck);
	ATF_TP_ADD_TC(tp, kthread_create_without_memory);
	ATF_TP_ADD_TC(tp, pressure_keeps_every_byte);
	ATF_TP_ADD_TC(tp, swap_exhaustion_kills_with_message);
	ATF_TP_ADD_TC(tp, shared_anon_memory_pages_out);
	ATF_TP_ADD_TC(tp, aobj_freed_during_pageout);
	ATF_TP_ADD_TC(tp, deactivation_keeps_mappings_reference_reactivates);
	ATF_TP_ADD_TC(tp, pageout_unmaps_only_pages_it_takes);
	return atf_no_error();
}
