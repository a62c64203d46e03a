/*
 * t_glue.c: the functions of uvm_glue.c, each for what its contract
 * says, and their callers: physio and sysctl (uvm_vslock), /dev/kmem
 * (uvm_kernacc), fork1 (uvm_fork), the reaper (uvm_exit), the
 * pagedaemon (uvm_swapout_threads) and proc0 (uvm_scheduler).
 *
 * Most cases boot the whole kernel and run small programs in simulated
 * processes; the host looks at the machine between kern_run calls.
 */

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "h_util.h"
#include "uvm/uvm.h"

#define PG(n) ((vaddr_t)(n)*PAGE_SIZE)
#define RW    (VM_PROT_READ | VM_PROT_WRITE)
#define SEC   ((simtime_t)1000000)

/* what a program reports back to its test */
struct t_report {
	vaddr_t va; /* where it mapped its memory */
	int error;  /* the call under test */
	int error2; /* a second one */
	int value;  /* something it read */
	int seq;    /* the order it got somewhere */
	bool done;  /* it ran to the end */
	size_t len; /* a length it got back */
	uint8_t buf[64];
};

static int t_seq;

/* spawn prog(arg); returns the process */
static struct proc *
t_spawn(proc_prog_t prog, void *arg)
{
	struct proc *p;

	ATF_REQUIRE_EQ(kern_spawn("t_glue", prog, arg, &p), 0);
	return p;
}

/* collect spawned process p, which must have exited with status 0 */
static void
t_collect_ok(struct proc *p)
{
	int pid = p->p_pid, status = -1;

	ATF_REQUIRE_EQ(kern_collect(pid, &status), 0);
	ATF_REQUIRE_EQ_MSG(status, 0, "pid %d ended with status %#x", pid,
	    status);
}

/* spawn prog(arg), run the machine idle, collect it: it must succeed */
static void
t_spawn_run(proc_prog_t prog, void *arg)
{
	struct proc *p = t_spawn(prog, arg);

	h_run_idle();
	t_collect_ok(p);
}

/* the wire count of the page behind kernel address va (0: no page) */
static int
t_kwired(vaddr_t va)
{
	paddr_t pa;

	if (!pmap_extract(pmap_kernel(), va, &pa))
		return 0;
	return PHYS_TO_VM_PAGE(pa)->wire_count;
}

/* are all the u-area's pages wired? */
static bool
t_uarea_wired(vaddr_t up)
{
	vaddr_t va;

	for (va = up; va < up + USPACE; va += PAGE_SIZE)
		if (t_kwired(va) == 0)
			return false;
	return true;
}

/* map npages of private memory in p; returns the address */
static vaddr_t
t_map(struct proc *p, int npages, vm_prot_t prot)
{
	vaddr_t va = 0;

	if (proc_mmap(p, 0, PG(npages), prot, MMAP_ANON | MMAP_PRIVATE, -1, 0,
		&va) != 0)
		return 0;
	return va;
}

/*
 * uvm_kernacc
 */

ATF_TC_WITHOUT_HEAD(kernacc_checks_kernel_map);
ATF_TC_BODY(kernacc_checks_kernel_map, tc)
{
	vaddr_t va, hole;

	h_boot_kern(512);
	va = uvm_km_alloc(kernel_map, PG(2));
	ATF_REQUIRE(va != 0);
	ATF_REQUIRE(uvm_kernacc(va, PG(2), B_READ));
	ATF_REQUIRE(uvm_kernacc(va + 10, 100, B_WRITE));
	/* a range running off the end of the allocation */
	hole = vm_map_max(kernel_map) - PG(1);
	ATF_REQUIRE(!uvm_kernacc(hole, PAGE_SIZE, B_READ));
	/* a wrapping range */
	ATF_REQUIRE(!uvm_kernacc(va, (size_t)-PAGE_SIZE, B_READ));
	uvm_km_free(kernel_map, va, PG(2));
	ATF_REQUIRE(!uvm_kernacc(va, PAGE_SIZE, B_READ));
	h_shutdown();
}

/*
 *	kernel_map:  ... | buffers: nbuf * MAXBSIZE, no pages | ...
 *	kernacc refuses any range that touches the buffers, even though
 *	the map says they are accessible, unless readbuffers is set.
 */
ATF_TC_WITHOUT_HEAD(kernacc_refuses_buffer_cache);
ATF_TC_BODY(kernacc_refuses_buffer_cache, tc)
{
	vaddr_t end;

	h_boot_kern(512);
	ATF_REQUIRE(buffers != 0);
	end = buffers + (vaddr_t)MAXBSIZE * nbuf;
	ATF_REQUIRE(uvm_map_checkprot(kernel_map, buffers, end, VM_PROT_READ));
	ATF_REQUIRE(!uvm_kernacc(buffers, PAGE_SIZE, B_READ));
	ATF_REQUIRE(!uvm_kernacc(end - 1, 1, B_READ));
	readbuffers = 1;
	ATF_REQUIRE(uvm_kernacc(buffers, PAGE_SIZE, B_READ));
	ATF_REQUIRE(uvm_kernacc(end - 1, 1, B_WRITE));
	readbuffers = 0;
	/* nothing was faulted into the buffers by asking */
	ATF_REQUIRE(!pmap_extract(pmap_kernel(), buffers, NULL));
	h_shutdown();
}

/* /dev/kmem reads through kernacc: kernel data comes out, buffers do not */
static int
prog_kmem(struct proc *p, void *arg)
{
	struct t_report *r = arg;
	vaddr_t buf = t_map(p, 1, RW);

	r->error = kmem_read(p, r->va, buf, 8);
	(void)proc_load(p, buf, r->buf, 8);
	r->error2 = kmem_read(p, buffers, buf, 8);
	r->done = true;
	return 0;
}

ATF_TC_WITHOUT_HEAD(kmem_read_uses_kernacc);
ATF_TC_BODY(kmem_read_uses_kernacc, tc)
{
	struct t_report r = { 0 };
	struct proc *p;

	h_boot_kern(512);
	r.va = uvm_km_alloc(kernel_map, PG(1));
	ATF_REQUIRE_EQ(uvm_kio(r.va, "kmemdata", 8, true), 0);
	p = t_spawn(prog_kmem, &r);
	h_run_idle();
	t_collect_ok(p);
	ATF_REQUIRE(r.done);
	ATF_REQUIRE_EQ(r.error, 0);
	ATF_REQUIRE_EQ(memcmp(r.buf, "kmemdata", 8), 0);
	ATF_REQUIRE_EQ(r.error2, EFAULT);
	uvm_km_free(kernel_map, r.va, PG(1));
	h_shutdown();
}

/*
 * uvm_useracc
 *
 *	rw: [va, va + 2 pages)   ro: [ro, ro + 1 page)   then a hole
 */
static int
prog_useracc(struct proc *p, void *arg)
{
	struct t_report *r = arg;
	vaddr_t rw = t_map(p, 2, RW), ro = t_map(p, 1, VM_PROT_READ);

	r->value = uvm_useracc(rw, PG(2), B_READ) << 0 |
	    uvm_useracc(rw + 5, PG(1), B_WRITE) << 1 |
	    uvm_useracc(ro, PG(1), B_READ) << 2 |
	    uvm_useracc(ro, PG(1), B_WRITE) << 3 |
	    uvm_useracc(ro + PG(1), 1, B_READ) << 4 |
	    uvm_useracc(rw, PG(4), B_READ) << 5 |
	    uvm_useracc(VM_MAXUSER_ADDRESS - 1, 2, B_READ) << 6;
	r->done = true;
	return 0;
}

ATF_TC_WITHOUT_HEAD(useracc_checks_current_map);
ATF_TC_BODY(useracc_checks_current_map, tc)
{
	struct t_report r = { 0 };

	h_boot_kern(512);
	t_spawn_run(prog_useracc, &r);
	ATF_REQUIRE(r.done);
	/* rw read, rw write, ro read allowed; the rest refused */
	ATF_REQUIRE_EQ(r.value, 0x7);
	h_shutdown();
}

/*
 * uvm_chgkprot
 */

ATF_TC_WITHOUT_HEAD(chgkprot_forces_pmap_protection);
ATF_TC_BODY(chgkprot_forces_pmap_protection, tc)
{
	void *host;
	vaddr_t va;

	h_boot_kern(512);
	va = uvm_km_alloc(kernel_map, PG(2));
	pmap_protect(pmap_kernel(), va, va + PG(2), VM_PROT_READ);
	ATF_REQUIRE_EQ(pmap_access(pmap_kernel(), va, VM_PROT_WRITE, &host),
	    EACCES);
	uvm_kgdb = 1;
	uvm_chgkprot(va + 100, PAGE_SIZE, B_WRITE); /* both pages */
	ATF_REQUIRE_EQ(pmap_access(pmap_kernel(), va, VM_PROT_WRITE, &host), 0);
	ATF_REQUIRE_EQ(pmap_access(pmap_kernel(), va + PG(1), VM_PROT_WRITE,
			   &host),
	    0);
	uvm_chgkprot(va, PG(1), B_READ);
	ATF_REQUIRE_EQ(pmap_access(pmap_kernel(), va, VM_PROT_WRITE, &host),
	    EACCES);
	ATF_REQUIRE_EQ(pmap_access(pmap_kernel(), va, VM_PROT_READ, &host), 0);
	uvm_chgkprot(va, PG(2), B_WRITE);
	uvm_kgdb = 0;
	uvm_km_free(kernel_map, va, PG(2));
	h_shutdown();
}

ATF_TC_WITHOUT_HEAD(chgkprot_needs_debugger);
ATF_TC_BODY(chgkprot_needs_debugger, tc)
{
	vaddr_t va;

	h_boot_kern(512);
	va = uvm_km_alloc(kernel_map, PG(1));
	uvm_kgdb = 0;
	H_REQUIRE_PANIC(uvm_chgkprot(va, 1, B_WRITE), "no kernel debugger");
}

ATF_TC_WITHOUT_HEAD(chgkprot_unmapped_page_panics);
ATF_TC_BODY(chgkprot_unmapped_page_panics, tc)
{
	vaddr_t va;

	h_boot_kern(512);
	va = uvm_km_valloc(kernel_map, PG(1)); /* no page yet */
	uvm_kgdb = 1;
	H_REQUIRE_PANIC(uvm_chgkprot(va, 1, B_WRITE), "no page");
	uvm_kgdb = 0;
}

/*
 * uvm_vslock / uvm_vsunlock
 *
 *	[va ........ 4 pages ........)
 *	     [x ... 2.5 pages ...)      vslock wires the 3 pages it touches
 */
static int
prog_vslock(struct proc *p, void *arg)
{
	struct t_report *r = arg;
	struct pmap *pm = vm_map_pmap(&p->p_vmspace->vm_map);
	struct vm_map_entry *e;
	vaddr_t va = t_map(p, 4, RW);
	int wired0 = uvmexp.wired;

	r->error = uvm_vslock(p, va + PG(1) / 2, PG(2) + PG(1) / 2, RW);
	r->value = uvmexp.wired - wired0;
	r->len = (size_t)pmap_wired_count(pm);
	ATF_REQUIRE(uvm_map_lookup_entry(&p->p_vmspace->vm_map, va, &e));
	r->seq = e->wired_count;
	uvm_vsunlock(p, va + PG(1) / 2, PG(2) + PG(1) / 2);
	r->error2 = uvmexp.wired - wired0 + (int)pmap_wired_count(pm);
	/* a hole: nothing may stay wired */
	if (uvm_vslock(p, va + PG(3), PG(2), RW) != EFAULT ||
	    uvmexp.wired != wired0)
		return 1;
	r->done = true;
	return 0;
}

ATF_TC_WITHOUT_HEAD(vslock_wires_pages_not_entries);
ATF_TC_BODY(vslock_wires_pages_not_entries, tc)
{
	struct t_report r = { 0 };

	h_boot_kern(512);
	t_spawn_run(prog_vslock, &r);
	ATF_REQUIRE(r.done);
	ATF_REQUIRE_EQ(r.error, 0);
	ATF_REQUIRE_EQ(r.value, 3);
	ATF_REQUIRE_EQ(r.len, 3);
	ATF_REQUIRE_EQ(r.seq, 0); /* the map entry is not wired */
	ATF_REQUIRE_EQ(r.error2, 0);
	h_shutdown();
}

/*
 * physio
 */

struct t_physio {
	struct rawdev *rd;
	vaddr_t buf;
	int errors[4];
	uint8_t seen[16];
	bool done;
};

static int
prog_physio(struct proc *p, void *arg)
{
	struct t_physio *t = arg;
	vaddr_t ro;

	t->buf = t_map(p, 3, RW);
	ro = t_map(p, 1, VM_PROT_READ);
	/* device -> memory, across a page boundary */
	t->errors[0] = physio(p, t->rd, 16, t->buf + PG(1) - 8, 16, B_READ);
	(void)proc_load(p, t->buf + PG(1) - 8, t->seen, 16);
	/* memory -> device */
	(void)proc_fill(p, t->buf, 'w', 32);
	t->errors[1] = physio(p, t->rd, 100, t->buf, 32, B_WRITE);
	/* reading the device into read-only memory is refused */
	t->errors[2] = physio(p, t->rd, 0, ro, 8, B_READ);
	/* past the end of the device */
	t->errors[3] =
	    physio(p, t->rd, (voff_t)t->rd->rd_size - 4, t->buf, 8, B_READ);
	t->done = true;
	return 0;
}

ATF_TC_WITHOUT_HEAD(physio_moves_data_both_ways);
ATF_TC_BODY(physio_moves_data_both_ways, tc)
{
	struct t_physio t = { 0 };
	int i;

	h_boot_kern(512);
	t.rd = rawdev_create(PG(4), 1000);
	for (i = 0; i < 16; i++)
		t.rd->rd_data[16 + i] = (uint8_t)('a' + i);
	t_spawn_run(prog_physio, &t);
	ATF_REQUIRE(t.done);
	ATF_REQUIRE_EQ(t.errors[0], 0);
	for (i = 0; i < 16; i++)
		ATF_REQUIRE_EQ(t.seen[i], 'a' + i);
	ATF_REQUIRE_EQ(t.errors[1], 0);
	for (i = 0; i < 32; i++)
		ATF_REQUIRE_EQ(t.rd->rd_data[100 + i], 'w');
	ATF_REQUIRE_EQ(t.errors[2], EFAULT);
	ATF_REQUIRE_EQ(t.errors[3], EINVAL);
	ATF_REQUIRE_EQ(t.rd->rd_reads, 1);
	ATF_REQUIRE_EQ(t.rd->rd_writes, 1);
	ATF_REQUIRE_EQ(t.rd->rd_pages, 3); /* 2 pages in, 1 out */
	rawdev_destroy(t.rd);
	h_shutdown();
}

static int
prog_physio_slow(struct proc *p, void *arg)
{
	struct t_physio *t = arg;

	t->buf = t_map(p, 2, RW);
	t->errors[0] = physio(p, t->rd, 0, t->buf, PG(2), B_READ);
	t->done = true;
	return 0;
}

/*
 * While the device works, the buffer is wired and the process held in
 * memory: the swapper passes it by, even asleep past maxslp.  After, the
 * pages are unwired.
 */
ATF_TC_WITHOUT_HEAD(physio_buffer_wired_during_transfer);
ATF_TC_BODY(physio_buffer_wired_during_transfer, tc)
{
	struct t_physio t = { 0 };
	struct proc *p;
	int wired0;

	h_boot_kern(512);
	t.rd = rawdev_create(PG(2), 15 * SEC); /* 30 s for two pages */
	p = t_spawn(prog_physio_slow, &t);
	wired0 = uvmexp.wired;
	ATF_REQUIRE(!kern_run(25 * SEC));
	ATF_REQUIRE_EQ(p->p_stat, SSLEEP);
	ATF_REQUIRE_STREQ(p->p_wmesg, "physio");
	ATF_REQUIRE_EQ(p->p_holdcnt, 1);
	ATF_REQUIRE(p->p_slptime >= (unsigned)maxslp);
	ATF_REQUIRE_EQ(pmap_wired_count(vm_map_pmap(&p->p_vmspace->vm_map)), 2);
	uvm_swapout_threads();
	ATF_REQUIRE(p->p_flag & P_INMEM);
	ATF_REQUIRE_EQ(uvmexp.swapouts, 0);
	h_run_idle();
	ATF_REQUIRE(t.done);
	ATF_REQUIRE_EQ(t.errors[0], 0);
	ATF_REQUIRE(clock_now() >= 30 * SEC);
	t_collect_ok(p);
	ATF_REQUIRE(uvmexp.wired <= wired0);
	rawdev_destroy(t.rd);
	h_shutdown();
}

/*
 * sysctl
 */
static int
prog_sysctl(struct proc *p, void *arg)
{
	struct t_report *r = arg;
	vaddr_t buf = t_map(p, 2, RW), ro = t_map(p, 1, VM_PROT_READ);
	size_t len;
	int wired0 = uvmexp.wired;

	len = 0;
	r->error = kern_sysctl(p, "vm.uvmexp", 0, &len);
	r->len = len;
	len = sizeof(int);
	r->error2 = kern_sysctl(p, "kern.hz", buf, &len);
	(void)proc_load(p, buf, &r->value, sizeof(int));
	/* a short buffer gets what fits, and ENOMEM */
	len = 8;
	if (kern_sysctl(p, "vm.uvmexp", buf, &len) != ENOMEM || len != 8)
		return 1;
	if (kern_sysctl(p, "kern.hz", ro, &len) != EFAULT)
		return 2;
	if (kern_sysctl(p, "vm.nonesuch", buf, &len) != EOPNOTSUPP)
		return 3;
	if (uvmexp.wired != wired0)
		return 4;
	r->done = true;
	return 0;
}

ATF_TC_WITHOUT_HEAD(sysctl_copies_out_wired);
ATF_TC_BODY(sysctl_copies_out_wired, tc)
{
	struct t_report r = { 0 };

	h_boot_kern(512);
	t_spawn_run(prog_sysctl, &r);
	ATF_REQUIRE(r.done);
	ATF_REQUIRE_EQ(r.error, 0);
	ATF_REQUIRE_EQ(r.len, sizeof(struct uvmexp));
	ATF_REQUIRE_EQ(r.error2, 0);
	ATF_REQUIRE_EQ(r.value, hz);
	h_shutdown();
}

/*
 * uvm_fork
 */

static int
prog_sleep_then_exit(struct proc *p, void *arg)
{
	simtime_t *us = arg;

	(void)proc_sleep(p, us != NULL ? *us : SEC);
	return 0;
}

static void
kthread_record(void *arg)
{
	struct t_report *r = arg;

	r->value = curproc->p_pid;
	r->done = true;
	exit1(curproc, 0);
}

/* a kernel thread shares proc0's vmspace and starts at func(arg) */
ATF_TC_WITHOUT_HEAD(fork_shared_starts_at_entry);
ATF_TC_BODY(fork_shared_starts_at_entry, tc)
{
	struct t_report r = { 0 };
	struct proc *p;
	int refs, pid;

	h_boot_kern(512);
	refs = proc0.p_vmspace->vm_refcnt;
	ATF_REQUIRE_EQ(kthread_create(kthread_record, &r, &p, "rec"), 0);
	ATF_REQUIRE(p->p_vmspace == proc0.p_vmspace);
	ATF_REQUIRE_EQ(proc0.p_vmspace->vm_refcnt, refs + 1);
	ATF_REQUIRE(p->p_flag & P_SYSTEM);
	ATF_REQUIRE(!r.done);
	pid = p->p_pid;
	h_run_idle(); /* the thread runs, exits, and is freed */
	ATF_REQUIRE(r.done);
	ATF_REQUIRE_EQ(r.value, pid);
	ATF_REQUIRE(pfind(pid) == NULL);
	ATF_REQUIRE_EQ(proc0.p_vmspace->vm_refcnt, refs);
	h_shutdown();
}

static int
prog_fork_child(struct proc *p, void *arg)
{
	struct t_report *r = arg;
	struct pstats *ps = proc_pstats(p);

	r->value = ps->p_ru.ru_nswap + (int)ps->p_cru.ru_nswap;
	r->len = (size_t)ps->p_timer[0].it_value;
	r->seq = (int)ps->p_prof.pr_scale;
	r->error = ps->p_start == clock_now() ? 0 : 1;
	r->done = true;
	return 0;
}

static int
prog_fork_stats(struct proc *p, void *arg)
{
	struct t_report *r = arg;
	struct pstats *ps = proc_pstats(p);
	struct proc *c;
	int status, pid;

	ps->p_ru.ru_nswap = 5;
	ps->p_cru.ru_nswap = 7;
	ps->p_timer[0].it_value = 123;
	ps->p_prof.pr_scale = 9;
	if (proc_fork(p, prog_fork_child, r, &c) != 0)
		return 1;
	r->error2 = (c->p_flag & P_INMEM) && t_uarea_wired(c->p_addr) &&
		c->p_vmspace != p->p_vmspace && c->p_vmspace->vm_refcnt == 1 ?
	    0 :
	    1;
	pid = c->p_pid;
	if (kern_wait(p, pid, &status, 0) != pid || status != 0)
		return 2;
	return 0;
}

/*
 * The child's statistics: p_ru and p_cru zeroed, timers and profiling
 * copied from the parent, p_start the time of the fork; its u-area is
 * wired and marked by P_INMEM; its address space is its own.
 */
ATF_TC_WITHOUT_HEAD(fork_sets_up_uarea_stats);
ATF_TC_BODY(fork_sets_up_uarea_stats, tc)
{
	struct t_report r = { 0 };

	h_boot_kern(512);
	t_spawn_run(prog_fork_stats, &r);
	ATF_REQUIRE(r.done);
	ATF_REQUIRE_EQ(r.value, 0);
	ATF_REQUIRE_EQ(r.len, 123);
	ATF_REQUIRE_EQ(r.seq, 9);
	ATF_REQUIRE_EQ(r.error, 0);
	ATF_REQUIRE_EQ(r.error2, 0);
	h_shutdown();
}

/* the u-area's kernel map entry is not wired: P_INMEM is the record */
ATF_TC_WITHOUT_HEAD(fork_uarea_entry_not_wired);
ATF_TC_BODY(fork_uarea_entry_not_wired, tc)
{
	struct vm_map_entry *e;
	struct proc *p;

	h_boot_kern(512);
	p = t_spawn(prog_useracc, &(struct t_report){ 0 });
	ATF_REQUIRE(t_uarea_wired(p->p_addr));
	ATF_REQUIRE(uvm_map_lookup_entry(kernel_map, p->p_addr, &e));
	ATF_REQUIRE_EQ(e->wired_count, 0);
	ATF_REQUIRE(p->p_flag & P_INMEM);
	ATF_REQUIRE_EQ(cpu_pcb(p->p_addr)->pcb_magic, PCB_MAGIC);
	h_run_idle();
	t_collect_ok(p);
	h_shutdown();
}

/* fork1's user stack reaches the child's pcb */
ATF_TC_WITHOUT_HEAD(fork_records_user_stack);
ATF_TC_BODY(fork_records_user_stack, tc)
{
	struct t_report r = { 0 };
	struct proc *p;

	h_boot_kern(512);
	ATF_REQUIRE_EQ(fork1(&proc0, FORK_SHAREVM | FORK_SYSTEM,
			   (void *)(uintptr_t)0x7000, 0x2000, kthread_record,
			   &r, &p),
	    0);
	ATF_REQUIRE_EQ(cpu_pcb(p->p_addr)->pcb_ustack, 0x7000);
	ATF_REQUIRE_EQ(cpu_pcb(p->p_addr)->pcb_ustacksize, 0x2000);
	h_run_idle();
	ATF_REQUIRE(r.done);
	h_shutdown();
}

/* an address space that cannot be copied fails the fork, leaving nothing */
ATF_TC_WITHOUT_HEAD(fork_failure_leaves_nothing);
ATF_TC_BODY(fork_failure_leaves_nothing, tc)
{
	simtime_t us = 10 * SEC;
	struct proc *p, *q;
	int nproc, nvm, cached;

	h_boot_kern(512);
	p = t_spawn(prog_sleep_then_exit, &us);
	q = t_spawn(prog_useracc, &(struct t_report){ 0 });
	ATF_REQUIRE(!kern_run(SEC));
	t_collect_ok(q);
	cached = uvm_uarea_cached();
	ATF_REQUIRE_EQ(cached, 1);
	nproc = nprocs;
	nvm = uvmexp.nvmspace;
	failpoint_arm(FP_MAPENT, 0, FAILPOINT_FOREVER);
	ATF_REQUIRE_EQ(fork1(p, 0, NULL, 0, kthread_record, NULL, NULL),
	    ENOMEM);
	failpoint_disarm(FP_MAPENT);
	ATF_REQUIRE_EQ(nprocs, nproc);
	ATF_REQUIRE_EQ(uvmexp.nvmspace, nvm);
	ATF_REQUIRE_EQ(uvm_uarea_cached(), cached);
	h_run_idle();
	t_collect_ok(p);
	h_shutdown();
}

/*
 * uvm_exit and the u-area cache
 */

/*
 * 20 processes exit: the reaper's uvm_exit frees each address space
 * and u-area; 16 u-areas stay on the free list, the other 4 go back to
 * the kernel map; new processes reuse the cached ones.
 */
ATF_TC_WITHOUT_HEAD(uarea_cache_keeps_sixteen);
ATF_TC_BODY(uarea_cache_keeps_sixteen, tc)
{
	struct proc *ps[20];
	vsize_t kmsize;
	int i, nvm;

	h_boot_kern(1024);
	nvm = uvmexp.nvmspace;
	ATF_REQUIRE_EQ(uvm_uarea_cached(), 0);
	for (i = 0; i < 20; i++)
		ps[i] = t_spawn(prog_sleep_then_exit, NULL);
	kmsize = kernel_map->size;
	h_run_idle();
	for (i = 0; i < 20; i++) {
		ATF_REQUIRE_EQ(ps[i]->p_stat, SZOMB);
		ATF_REQUIRE_EQ(ps[i]->p_addr, 0);
		ATF_REQUIRE(!(ps[i]->p_flag & P_INMEM));
		t_collect_ok(ps[i]);
	}
	ATF_REQUIRE_EQ(uvmexp.nvmspace, nvm);
	ATF_REQUIRE_EQ(uvm_uarea_cached(), 16);
	ATF_REQUIRE_EQ(kernel_map->size, kmsize - 4 * USPACE);
	for (i = 0; i < 3; i++)
		ps[i] = t_spawn(prog_sleep_then_exit, NULL);
	ATF_REQUIRE_EQ(uvm_uarea_cached(), 13);
	ATF_REQUIRE_EQ(kernel_map->size, kmsize - 4 * USPACE);
	h_run_idle();
	for (i = 0; i < 3; i++)
		t_collect_ok(ps[i]);
	ATF_REQUIRE_EQ(uvm_uarea_cached(), 16);
	h_shutdown();
}

/*
 * After every process has exited, what the VM holds is what it held
 * after boot, plus the cached u-areas' pages.
 */
static int
prog_busy(struct proc *p, void *arg)
{
	vaddr_t va = t_map(p, 8, RW);
	struct proc *c;
	int status;

	(void)proc_fill(p, va, 1, PG(8));
	if (proc_fork(p, prog_sleep_then_exit, NULL, &c) != 0)
		return 1;
	(void)proc_fill(p, va, 2, PG(4)); /* copy-on-write */
	(void)kern_wait(p, -1, &status, 0);
	return status;
}

ATF_TC_WITHOUT_HEAD(exit_returns_everything);
ATF_TC_BODY(exit_returns_everything, tc)
{
	struct proc *ps[4];
	int i, free0, anon0, amap0, ent0, vm0, kva0;

	h_boot_kern(1024);
	free0 = uvmexp.free;
	anon0 = uvmexp.nanon;
	amap0 = uvmexp.namap;
	ent0 = uvmexp.nmapent;
	vm0 = uvmexp.nvmspace;
	kva0 = (int)atop(kernel_map->size);
	for (i = 0; i < 4; i++)
		ps[i] = t_spawn(prog_busy, NULL);
	h_run_idle();
	for (i = 0; i < 4; i++)
		t_collect_ok(ps[i]);
	ATF_REQUIRE_EQ(uvm_uarea_cached(), 8);
	ATF_REQUIRE_EQ(uvmexp.nanon, anon0);
	ATF_REQUIRE_EQ(uvmexp.namap, amap0);
	ATF_REQUIRE_EQ(uvmexp.nvmspace, vm0);
	ATF_REQUIRE_EQ(uvmexp.free, free0 - 8 * (int)UPAGES);
	ATF_REQUIRE_EQ((int)atop(kernel_map->size), kva0 + 8 * (int)UPAGES);
	ATF_REQUIRE(uvmexp.nmapent <= ent0 + 8);
	ATF_REQUIRE_EQ(nprocs, 3);
	h_shutdown();
}

/*
 * uvm_init_limits
 */
ATF_TC_WITHOUT_HEAD(init_limits_values);
ATF_TC_BODY(init_limits_values, tc)
{
	struct proc p;
	struct t_report r = { 0 };
	struct proc *c;

	h_boot_kern(512);
	memset(&p, 0, sizeof(p));
	uvm_init_limits(&p);
	ATF_REQUIRE_EQ(p.p_rlimit[RLIMIT_STACK].rlim_cur, DFLSSIZ);
	ATF_REQUIRE_EQ(p.p_rlimit[RLIMIT_STACK].rlim_max, MAXSSIZ);
	ATF_REQUIRE_EQ(p.p_rlimit[RLIMIT_DATA].rlim_cur, DFLDSIZ);
	ATF_REQUIRE_EQ(p.p_rlimit[RLIMIT_DATA].rlim_max, MAXDSIZ);
	ATF_REQUIRE_EQ(p.p_rlimit[RLIMIT_RSS].rlim_cur, ptoa(uvmexp.free));
	/* proc0's are inherited by everyone */
	c = t_spawn(prog_useracc, &r);
	ATF_REQUIRE_EQ(memcmp(c->p_rlimit, proc0.p_rlimit, sizeof(c->p_rlimit)),
	    0);
	ATF_REQUIRE_EQ(c->p_rlimit[RLIMIT_STACK].rlim_cur, DFLSSIZ);
	h_run_idle();
	t_collect_ok(c);
	h_shutdown();
}

/*
 * Swapping: uvm_swapout_threads, uvm_swapout, uvm_scheduler, uvm_swapin
 */

struct t_sleeper {
	simtime_t us; /* how long to sleep */
	vaddr_t va;   /* its memory */
	int seq;      /* when it woke, among the others */
	bool intact;  /* its memory and stack were intact after */
};

static int
prog_sleeper(struct proc *p, void *arg)
{
	struct t_sleeper *s = arg;
	volatile uint64_t canary = 0x0123456789abcdefULL ^ (uint64_t)p->p_pid;
	uint8_t buf[PAGE_SIZE_MIN];
	unsigned int i;

	s->va = t_map(p, 2, RW);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 7 + (unsigned)p->p_pid);
	(void)proc_store(p, s->va, buf, sizeof(buf));
	(void)proc_sleep(p, s->us);
	s->seq = ++t_seq;
	memset(buf, 0, sizeof(buf));
	(void)proc_load(p, s->va, buf, sizeof(buf));
	s->intact = canary == (0x0123456789abcdefULL ^ (uint64_t)p->p_pid);
	for (i = 0; i < sizeof(buf); i++)
		if (buf[i] != (uint8_t)(i * 7 + (unsigned)p->p_pid))
			s->intact = false;
	return 0;
}

/*
 * A process asleep 25 s (more than maxslp) is swapped out: P_INMEM
 * clear, off the run queue, u-area unwired, pmap collected.  When its
 * sleep ends it is runnable but out: proc0 swaps it in and it runs on
 * with its memory and stack intact.
 */
ATF_TC_WITHOUT_HEAD(swapout_after_maxslp_and_back);
ATF_TC_BODY(swapout_after_maxslp_and_back, tc)
{
	struct t_sleeper s = { .us = 40 * SEC };
	struct proc *p;

	h_boot_kern(512);
	p = t_spawn(prog_sleeper, &s);
	ATF_REQUIRE(!kern_run(25 * SEC));
	ATF_REQUIRE_EQ(p->p_stat, SSLEEP);
	ATF_REQUIRE(p->p_slptime >= (unsigned)maxslp);
	ATF_REQUIRE(
	    pmap_resident_count(vm_map_pmap(&p->p_vmspace->vm_map)) > 0);
	uvm_swapout_threads();
	ATF_REQUIRE(!(p->p_flag & P_INMEM));
	ATF_REQUIRE_EQ(uvmexp.swapouts, 1);
	ATF_REQUIRE_EQ(p->p_swtime, 0);
	ATF_REQUIRE(!t_uarea_wired(p->p_addr));
	ATF_REQUIRE_EQ(pmap_resident_count(vm_map_pmap(&p->p_vmspace->vm_map)),
	    0);
	ATF_REQUIRE(p->p_md.ct_swapped);
	ATF_REQUIRE(cpu_pcb(p->p_addr)->pcb_stacklen > 0);
	/* touching its statistics now is the bug P_INMEM guards against */
	h_check();
	h_run_idle();
	ATF_REQUIRE_EQ(uvmexp.swapins, 1);
	ATF_REQUIRE(s.intact);
	ATF_REQUIRE_EQ(p->p_xru.ru_nswap, 1);
	t_collect_ok(p);
	h_shutdown();
}

ATF_TC_WITHOUT_HEAD(swapped_out_uarea_touch_panics);
ATF_TC_BODY(swapped_out_uarea_touch_panics, tc)
{
	struct t_sleeper s = { .us = 40 * SEC };
	struct proc *p;

	h_boot_kern(512);
	p = t_spawn(prog_sleeper, &s);
	ATF_REQUIRE(!kern_run(25 * SEC));
	uvm_swapout_threads();
	ATF_REQUIRE(!(p->p_flag & P_INMEM));
	H_REQUIRE_PANIC(proc_pstats(p), "swapped-out");
}

/* only the sleepers past maxslp go, while memory is plentiful */
ATF_TC_WITHOUT_HEAD(swapout_only_long_sleepers);
ATF_TC_BODY(swapout_only_long_sleepers, tc)
{
	struct t_sleeper a = { .us = 100 * SEC }, b = { .us = 100 * SEC };
	struct proc *pa, *pb;

	h_boot_kern(512);
	pa = t_spawn(prog_sleeper, &a);
	ATF_REQUIRE(!kern_run(10 * SEC));
	pb = t_spawn(prog_sleeper, &b);
	ATF_REQUIRE(!kern_run(25 * SEC));
	ATF_REQUIRE(pa->p_slptime >= (unsigned)maxslp);
	ATF_REQUIRE(pb->p_slptime < (unsigned)maxslp);
	uvm_swapout_threads();
	ATF_REQUIRE(!(pa->p_flag & P_INMEM));
	ATF_REQUIRE(pb->p_flag & P_INMEM);
	/* kernel threads are never candidates */
	ATF_REQUIRE(proc0.p_flag & P_INMEM);
	ATF_REQUIRE(uvm.pagedaemon_proc->p_flag & P_INMEM);
	ATF_REQUIRE(reaperproc->p_flag & P_INMEM);
	h_run_idle();
	ATF_REQUIRE(a.intact && b.intact);
	t_collect_ok(pa);
	t_collect_ok(pb);
	h_shutdown();
}

/*
 * t_drain_all: take free pages down to `left' (h_drain), letting the
 * machine run a second each time so that the pagedaemon pages out what
 * it can, until nothing more comes back: then only `left' pages are
 * free for good.
 */
static int
t_drain_all(struct vm_page **pgs, int max, int left)
{
	int n = 0;

	do {
		n += h_drain(pgs + n, max - n, left);
		ATF_REQUIRE(!kern_run(clock_now() + SEC));
	} while (uvmexp.free > left);
	return n;
}

/*
 * No sleeper has reached maxslp; with memory down to a u-area, the one
 * asleep longest goes; with no sleepers at all, the runnable process
 * resident longest.
 */
ATF_TC_WITHOUT_HEAD(swapout_when_short_takes_longest);
ATF_TC_BODY(swapout_when_short_takes_longest, tc)
{
	struct t_sleeper a = { .us = 30 * SEC }, b = { .us = 30 * SEC };
	struct vm_page *pgs[1024];
	struct proc *pa, *pb, *r1, *r2;
	int n;

	h_boot_kern(512);
	pa = t_spawn(prog_sleeper, &a);
	ATF_REQUIRE(!kern_run(5 * SEC));
	pb = t_spawn(prog_sleeper, &b);
	ATF_REQUIRE(!kern_run(8 * SEC));
	ATF_REQUIRE(pa->p_slptime > pb->p_slptime);
	/* two runnable processes that have not run yet */
	r1 = t_spawn(prog_sleeper, &(struct t_sleeper){ .us = 1 });
	r2 = t_spawn(prog_sleeper, &(struct t_sleeper){ .us = 1 });
	ATF_REQUIRE(r1->p_stat == SRUN && r2->p_stat == SRUN);

	/* plenty of memory: nobody is swapped out */
	uvm_swapout_threads();
	ATF_REQUIRE((pa->p_flag & P_INMEM) && (pb->p_flag & P_INMEM));

	n = h_drain(pgs, 1024, (int)UPAGES);
	uvm_swapout_threads();
	ATF_REQUIRE(!(pa->p_flag & P_INMEM));
	ATF_REQUIRE(pb->p_flag & P_INMEM);
	ATF_REQUIRE((r1->p_flag & P_INMEM) && (r2->p_flag & P_INMEM));

	/* with pb held in memory no sleeper is left: the longest resident */
	r1->p_swtime = 3;
	r2->p_swtime = 9;
	PHOLD(pb);
	uvm_swapout_threads();
	PRELE(pb);
	ATF_REQUIRE(pb->p_flag & P_INMEM);
	ATF_REQUIRE(r1->p_flag & P_INMEM);
	ATF_REQUIRE(!(r2->p_flag & P_INMEM));
	ATF_REQUIRE(!r2->p_onrunq);
	ATF_REQUIRE_EQ(uvmexp.swapouts, 2);
	h_undrain(pgs, n);
	/* nobody woke proc0 for r2; schedcpu does within the second */
	ATF_REQUIRE(!kern_run(clock_now() + 1100000));
	ATF_REQUIRE_EQ(uvmexp.swapins, 1);
	ATF_REQUIRE_EQ(r2->p_stat, SZOMB); /* in, ran, and exited */
	ATF_REQUIRE(!(pa->p_flag & P_INMEM));
	h_run_idle();
	ATF_REQUIRE(a.intact && b.intact);
	ATF_REQUIRE_EQ(uvmexp.swapins, 2);
	t_collect_ok(pa);
	t_collect_ok(pb);
	t_collect_ok(r1);
	t_collect_ok(r2);
	h_shutdown();
}

/* a process that waits on t_chan, then notes when it got on */
static int t_chan;

static int
prog_chan(struct proc *p, void *arg)
{
	struct t_sleeper *s = arg;

	(void)tsleep(&t_chan, PPAUSE, "tchan", 0);
	s->seq = ++t_seq;
	s->intact = true;
	return 0;
}

/*
 * uvm_scheduler chooses by p_swtime + p_slptime - (p_nice - NZERO) * 8:
 *
 *	     swtime slptime nice     priority
 *	A      10      0     NZERO      10
 *	B       2     12     NZERO      14
 *	C      30      0     NZERO+3     6
 *	D       5      5     NZERO-1    18     -> D, B, A, C
 *
 * Four swapped-out sleepers are woken at once, from the host; before
 * proc0 can run, each is given its figures.  They get back on the CPU
 * in the order proc0 brought them in.
 */
ATF_TC_WITHOUT_HEAD(scheduler_priority_formula);
ATF_TC_BODY(scheduler_priority_formula, tc)
{
	static const struct {
		unsigned int swtime, slptime;
		int nice;
	} v[4] = { { 10, 0, NZERO }, { 2, 12, NZERO }, { 30, 0, NZERO + 3 },
		{ 5, 5, NZERO - 1 } };
	static const int want[4] = { 3, 2, 4, 1 };
	struct t_sleeper s[4];
	struct proc *p[4];
	int i;

	h_boot_kern(512);
	t_seq = 0;
	for (i = 0; i < 4; i++) {
		s[i] = (struct t_sleeper){ .us = 0 };
		p[i] = t_spawn(prog_chan, &s[i]);
	}
	ATF_REQUIRE(!kern_run(25 * SEC));
	uvm_swapout_threads();
	for (i = 0; i < 4; i++)
		ATF_REQUIRE(!(p[i]->p_flag & P_INMEM));
	wakeup(&t_chan);
	for (i = 0; i < 4; i++) {
		ATF_REQUIRE_EQ(p[i]->p_stat, SRUN);
		ATF_REQUIRE(!(p[i]->p_flag & P_INMEM));
		p[i]->p_swtime = v[i].swtime;
		p[i]->p_slptime = v[i].slptime;
		p[i]->p_nice = v[i].nice;
	}
	h_run_idle();
	ATF_REQUIRE_EQ(uvmexp.swapins, 4);
	for (i = 0; i < 4; i++) {
		ATF_REQUIRE_EQ_MSG(s[i].seq, want[i], "process %c came %d",
		    'A' + i, s[i].seq);
		t_collect_ok(p[i]);
	}
	h_shutdown();
}

/*
 * With no room for a u-area the scheduler waits ("schedpwait") and
 * swaps in once memory is given back.
 */
ATF_TC_WITHOUT_HEAD(scheduler_waits_for_memory);
ATF_TC_BODY(scheduler_waits_for_memory, tc)
{
	struct t_sleeper s = { .us = 30 * SEC };
	struct vm_page *pgs[1024];
	struct proc *p;
	int n;

	h_boot_kern(512);
	p = t_spawn(prog_sleeper, &s);
	ATF_REQUIRE(!kern_run(25 * SEC));
	uvm_swapout_threads();
	ATF_REQUIRE(!(p->p_flag & P_INMEM));
	n = t_drain_all(pgs, 1024, (int)UPAGES);
	ATF_REQUIRE(!kern_run(40 * SEC));
	ATF_REQUIRE_EQ(p->p_stat, SRUN);
	ATF_REQUIRE(!(p->p_flag & P_INMEM));
	ATF_REQUIRE_EQ(proc0.p_stat, SSLEEP);
	ATF_REQUIRE_STREQ(proc0.p_wmesg, "schedpwait");
	ATF_REQUIRE_EQ(uvmexp.swapins, 0);
	h_undrain(pgs, n);
	h_run_idle();
	ATF_REQUIRE_EQ(uvmexp.swapins, 1);
	ATF_REQUIRE(s.intact);
	t_collect_ok(p);
	h_shutdown();
}

/* page the u-area of p out to swap, from a kernel thread (I/O sleeps) */
static void
kthread_pageout_uarea(void *arg)
{
	struct proc *p = arg;
	struct uvm_object *ko = uvm_kernel_object;
	voff_t off = (voff_t)(p->p_addr - VM_MIN_KERNEL_ADDRESS);

	if (ko->pgops->pgo_put(ko, off, off + (voff_t)USPACE,
		PGO_CLEANIT | PGO_FREE) != 0)
		panic("cannot page the u-area out");
	exit1(curproc, 0);
}

/*
 * t_uarea_paged_out: boot, start a sleeper long enough to be swapped
 * out, swap it out and page its u-area out to swap (every page of it
 * only in swap); returns the sleeper, not yet swapped in again.
 */
static struct proc *
t_uarea_paged_out(struct t_sleeper *s)
{
	struct proc *p, *k;

	h_boot_kern(512);
	p = t_spawn(prog_sleeper, s);
	ATF_REQUIRE(!kern_run(25 * SEC));
	uvm_swapout_threads();
	ATF_REQUIRE(!(p->p_flag & P_INMEM));
	ATF_REQUIRE_EQ(kthread_create(kthread_pageout_uarea, p, &k, "po"), 0);
	ATF_REQUIRE(!kern_run(30 * SEC));
	ATF_REQUIRE_EQ(uvmexp.swpgonly, (int)UPAGES);
	return p;
}

/*
 * A swapped-out process's u-area can leave memory: paged out to swap,
 * its pages freed.  At swapin it is read back -- perhaps into other
 * physical pages -- and the saved kernel stack checks out: the process
 * runs on as if nothing happened.
 */
ATF_TC_WITHOUT_HEAD(uarea_paged_out_comes_back);
ATF_TC_BODY(uarea_paged_out_comes_back, tc)
{
	struct t_sleeper s = { .us = 40 * SEC };
	struct proc *p;
	vaddr_t va;
	uint64_t reads;

	p = t_uarea_paged_out(&s);
	for (va = p->p_addr; va < p->p_addr + USPACE; va += PAGE_SIZE)
		ATF_REQUIRE_MSG(!pmap_extract(pmap_kernel(), va, NULL),
		    "u-area page 0x%llx still resident",
		    (unsigned long long)va);
	ATF_REQUIRE_EQ(uvmexp.swpginuse, (int)UPAGES);
	h_check();
	reads = swapcounters.pgreads;
	h_run_idle();
	ATF_REQUIRE_EQ(swapcounters.pgreads - reads, UPAGES);
	ATF_REQUIRE_EQ(uvmexp.swapins, 1);
	ATF_REQUIRE(s.intact);
	ATF_REQUIRE_EQ(uvmexp.swpgonly, 0);
	ATF_REQUIRE_EQ(uvmexp.swpginuse, 0);
	t_collect_ok(p);
	h_shutdown();
}

/*
 * A u-area that cannot be read back from swap panics the kernel at
 * swapin, as NetBSD 1.6's uvm_swapin does when it cannot wire the
 * u-area again: the process cannot run without its kernel stack.
 */
ATF_TC_WITHOUT_HEAD(uarea_unreadable_panics);
ATF_TC_BODY(uarea_unreadable_panics, tc)
{
	struct t_sleeper s = { .us = 40 * SEC };

	(void)t_uarea_paged_out(&s);
	failpoint_arm(FP_SWAPREAD, 0, FAILPOINT_FOREVER);
	H_REQUIRE_PANIC(h_run_idle(), "cannot wire the u-area");
	ATF_REQUIRE(swapcounters.rderrors > 0);
}

/* a u-area that comes back changed is caught at swapin */
ATF_TC_WITHOUT_HEAD(swapin_detects_corrupt_uarea);
ATF_TC_BODY(swapin_detects_corrupt_uarea, tc)
{
	struct t_sleeper s = { .us = 40 * SEC };
	struct proc *p;
	uint8_t b;

	h_boot_kern(512);
	p = t_spawn(prog_sleeper, &s);
	ATF_REQUIRE(!kern_run(25 * SEC));
	uvm_swapout_threads();
	ATF_REQUIRE_EQ(uvm_kio(p->p_addr + USPACE - 1, &b, 1, false), 0);
	b ^= 0x40;
	ATF_REQUIRE_EQ(uvm_kio(p->p_addr + USPACE - 1, &b, 1, true), 0);
	H_REQUIRE_PANIC(uvm_swapin(p), "corrupt");
}

/*
 * With the kstack check, the stack area is magic-filled at fork and its
 * deepest use -- the stack saved there at swapout -- measured at exit.
 */
ATF_TC_WITHOUT_HEAD(kstack_check_measures_use);
ATF_TC_BODY(kstack_check_measures_use, tc)
{
	struct t_sleeper s = { .us = 40 * SEC };
	struct machine_config mc;
	simtime_t us = SEC;
	struct proc *p, *q;

	machine_config_default(&mc);
	mc.mc_npages = 512;
	mc.mc_swapslots = 256;
	mc.mc_kstack_check = true;
	h_boot_kern_config(&mc);
	p = t_spawn(prog_sleeper, &s);
	q = t_spawn(prog_sleep_then_exit, &us);
	ATF_REQUIRE_EQ(cpu_kstack_check_magic(p->p_addr, USPACE,
			   USER_KSTACK_OFF),
	    0);
	ATF_REQUIRE(!kern_run(25 * SEC));
	uvm_swapout_threads();
	h_run_idle();
	ATF_REQUIRE(p->p_kstackused > 0);
	ATF_REQUIRE(p->p_kstackused <= USPACE - USER_KSTACK_OFF);
	ATF_REQUIRE(p->p_kstackused >= cpucounters.maxstack);
	ATF_REQUIRE_EQ(q->p_kstackused, 0); /* never swapped out */
	t_collect_ok(p);
	t_collect_ok(q);
	h_shutdown();
}

/*
 * uvm_coredump_walkmap
 */

struct t_seg {
	vaddr_t start, end;
	vm_prot_t prot;
	int flags;
};

struct t_walk {
	struct t_seg segs[16];
	int n;
	int fail_at; /* return EIO at this call (0: never) */
};

static int
t_record(struct proc *p __unused, struct uvm_coredump_state *st)
{
	struct t_walk *w = st->cookie;

	ATF_REQUIRE(w->n < 16);
	w->segs[w->n++] =
	    (struct t_seg){ st->start, st->end, st->prot, st->flags };
	return w->n == w->fail_at ? EIO : 0;
}

static void
t_map_at(struct vm_map *map, vaddr_t va, vsize_t len, vm_prot_t prot,
    struct uvm_object *uobj)
{
	ATF_REQUIRE_EQ(uvm_map(map, &va, len, uobj, 0, 0,
			   UVM_MAPFLAG(prot, VM_PROT_ALL, MAP_INHERIT_COPY,
			       UVM_ADV_NORMAL,
			       UVM_FLAG_FIXED | UVM_FLAG_NOMERGE |
				   (uobj == NULL ? UVM_FLAG_COPYONW : 0))),
	    0);
}

/*
 *	0x100000  rw  3 pages              dumped
 *	0x200000  r-  1 page               NODUMP (read-only)
 *	0x300000  rw  device, 2 pages      NODUMP (device memory)
 *	stack segment: PROT_NONE part      skipped (below the stack)
 *	               rw part, 1 MiB      cut to the 3 pages in use, STACK
 *	VM_MAXUSER - 1 page .. + 1 page    cut at VM_MAXUSER_ADDRESS
 *	above VM_MAXUSER_ADDRESS           skipped
 */
ATF_TC_WITHOUT_HEAD(coredump_walkmap_segments);
ATF_TC_BODY(coredump_walkmap_segments, tc)
{
	struct t_walk w = { .n = 0 };
	struct uvm_object *dev;
	struct vmspace *vm;
	struct proc p;
	vsize_t ss = 1024 * 1024;

	h_boot(512, 4096);
	memset(&p, 0, sizeof(p));
	vm = uvmspace_alloc(VM_MIN_ADDRESS, VM_MAXUSER_ADDRESS + PG(16));
	p.p_vmspace = vm;
	t_map_at(&vm->vm_map, 0x100000, PG(3), RW, NULL);
	t_map_at(&vm->vm_map, 0x200000, PG(1), VM_PROT_READ, NULL);
	dev = udv_attach("fb", 2);
	ATF_REQUIRE(dev != NULL);
	t_map_at(&vm->vm_map, 0x300000, PG(2), RW, dev);
	vm->vm_maxsaddr = USRSTACK - MAXSSIZ - PG(2);
	t_map_at(&vm->vm_map, vm->vm_maxsaddr, MAXSSIZ - ss, VM_PROT_NONE,
	    NULL);
	t_map_at(&vm->vm_map, USRSTACK - PG(2) - ss, ss, RW, NULL);
	vm->vm_ssize = 3 + 2;
	t_map_at(&vm->vm_map, VM_MAXUSER_ADDRESS - PG(2), PG(4), RW, NULL);
	t_map_at(&vm->vm_map, VM_MAXUSER_ADDRESS + PG(4), PG(2), RW, NULL);

	ATF_REQUIRE_EQ(uvm_coredump_walkmap(&p, t_record, &w), 0);
	ATF_REQUIRE_EQ(w.n, 5);
	ATF_REQUIRE(w.segs[0].start == 0x100000 &&
	    w.segs[0].end == 0x100000 + PG(3) && w.segs[0].flags == 0 &&
	    w.segs[0].prot == RW);
	ATF_REQUIRE(w.segs[1].start == 0x200000 &&
	    w.segs[1].flags == UVM_COREDUMP_NODUMP);
	ATF_REQUIRE(w.segs[2].start == 0x300000 &&
	    w.segs[2].flags == UVM_COREDUMP_NODUMP);
	/* USRSTACK here is below the map's top: the segment ends at it */
	ATF_REQUIRE_EQ(w.segs[3].start, USRSTACK - PG(5));
	ATF_REQUIRE_EQ(w.segs[3].end, USRSTACK - PG(2));
	ATF_REQUIRE_EQ(w.segs[3].flags, UVM_COREDUMP_STACK);
	ATF_REQUIRE_EQ(w.segs[4].start, VM_MAXUSER_ADDRESS - PG(2));
	ATF_REQUIRE_EQ(w.segs[4].end, VM_MAXUSER_ADDRESS);
	ATF_REQUIRE_EQ(w.segs[4].flags, UVM_COREDUMP_STACK);

	/* a writer's error ends the walk and is returned */
	w.n = 0;
	w.fail_at = 2;
	ATF_REQUIRE_EQ(uvm_coredump_walkmap(&p, t_record, &w), EIO);
	ATF_REQUIRE_EQ(w.n, 2);

	/* the mapping held the device's only reference */
	uvmspace_free(vm);
	ATF_REQUIRE_EQ(uvmexp.wired, 0);
	h_shutdown();
}

/* the stack segment of a real process: cut to what the stack has used */
static int
prog_stack(struct proc *p, void *arg)
{
	struct t_walk *w = arg;
	char c = 's';

	(void)proc_store(p, USRSTACK - PG(3) + 5, &c, 1);
	return uvm_coredump_walkmap(p, t_record, w);
}

ATF_TC_WITHOUT_HEAD(coredump_walkmap_process_stack);
ATF_TC_BODY(coredump_walkmap_process_stack, tc)
{
	struct t_walk w = { .n = 0 };
	struct proc *p;

	h_boot_kern(512);
	p = t_spawn(prog_stack, &w);
	h_run_idle();
	t_collect_ok(p);
	ATF_REQUIRE_EQ(w.n, 1);
	ATF_REQUIRE_EQ(w.segs[0].start, USRSTACK - PG(3));
	ATF_REQUIRE_EQ(w.segs[0].end, USRSTACK);
	ATF_REQUIRE_EQ(w.segs[0].flags, UVM_COREDUMP_STACK);
	h_shutdown();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, kernacc_checks_kernel_map);
	ATF_TP_ADD_TC(tp, kernacc_refuses_buffer_cache);
	ATF_TP_ADD_TC(tp, kmem_read_uses_kernacc);
	ATF_TP_ADD_TC(tp, useracc_checks_current_map);
	ATF_TP_ADD_TC(tp, chgkprot_forces_pmap_protection);
	ATF_TP_ADD_TC(tp, chgkprot_needs_debugger);
	ATF_TP_ADD_TC(tp, chgkprot_unmapped_page_panics);
	ATF_TP_ADD_TC(tp, vslock_wires_pages_not_entries);
	ATF_TP_ADD_TC(tp, physio_moves_data_both_ways);
	ATF_TP_ADD_TC(tp, physio_buffer_wired_during_transfer);
	ATF_TP_ADD_TC(tp, sysctl_copies_out_wired);
	ATF_TP_ADD_TC(tp, fork_shared_starts_at_entry);
	ATF_TP_ADD_TC(tp, fork_sets_up_uarea_stats);
	ATF_TP_ADD_TC(tp, fork_uarea_entry_not_wired);
	ATF_TP_ADD_TC(tp, fork_records_user_stack);
	ATF_TP_ADD_TC(tp, fork_failure_leaves_nothing);
	ATF_TP_ADD_TC(tp, uarea_cache_keeps_sixteen);
	ATF_TP_ADD_TC(tp, exit_returns_everything);
	ATF_TP_ADD_TC(tp, init_limits_values);
	ATF_TP_ADD_TC(tp, swapout_after_maxslp_and_back);
	ATF_TP_ADD_TC(tp, swapped_out_uarea_touch_panics);
	ATF_TP_ADD_TC(tp, swapout_only_long_sleepers);
	ATF_TP_ADD_TC(tp, swapout_when_short_takes_longest);
	ATF_TP_ADD_TC(tp, scheduler_priority_formula);
	ATF_TP_ADD_TC(tp, scheduler_waits_for_memory);
	ATF_TP_ADD_TC(tp, uarea_paged_out_comes_back);
	ATF_TP_ADD_TC(tp, uarea_unreadable_panics);
	ATF_TP_ADD_TC(tp, swapin_detects_corrupt_uarea);
	ATF_TP_ADD_TC(tp, kstack_check_measures_use);
	ATF_TP_ADD_TC(tp, coredump_walkmap_segments);
	ATF_TP_ADD_TC(tp, coredump_walkmap_process_stack);
	return atf_no_error();
}
