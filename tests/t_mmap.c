/*
 * t_mmap.c: the VM system calls built so far -- brk under RLIMIT_DATA,
 * mlock and munlock under RLIMIT_MEMLOCK.
 */

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "h_util.h"

#define PG(n) ((vaddr_t)(n)*PAGE_SIZE)
#define RW    (VM_PROT_READ | VM_PROT_WRITE)

struct t_res {
	int err[8];
	int sig;
	bool done;
};

static void
t_run(proc_prog_t prog, struct t_res *r)
{
	struct proc *p;
	int pid, status = -1;

	ATF_REQUIRE_EQ(kern_spawn("t_mmap", prog, r, &p), 0);
	pid = p->p_pid;
	h_run_idle();
	ATF_REQUIRE_EQ(kern_collect(pid, &status), 0);
	r->sig = status & 0x7f;
}

/*
 *	vm_daddr                       + rlim_cur (RLIMIT_DATA)
 *	|--- brk grows here ---->      |
 */
static int
prog_brk(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	struct vmspace *vm = p->p_vmspace;
	vaddr_t base = vm->vm_daddr;
	struct rlimit rl;
	char c = 'd';

	r->err[0] = sys_obreak(p, base + PG(3) - 100); /* 3 pages */
	r->err[1] = (int)vm->vm_dsize;
	(void)proc_store(p, base + PG(2) + 5, &c, 1);
	r->err[2] = sys_obreak(p, base + PG(1)); /* shrink to 1 */
	r->err[3] = (int)vm->vm_dsize;
	r->err[4] = sys_obreak(p, base - PAGE_SIZE);
	rl.rlim_cur = PG(4);
	rl.rlim_max = p->p_rlimit[RLIMIT_DATA].rlim_max;
	r->err[5] = dosetrlimit(p, RLIMIT_DATA, &rl);
	r->err[6] = sys_obreak(p, base + PG(5));
	r->err[7] = sys_obreak(p, base + PG(4));
	r->done = sys_obreak(p, base + PG(1)) == 0;
	/* the pages given back are gone: this store is SIGSEGV */
	(void)proc_store(p, base + PG(2) + 5, &c, 1);
	return 0;
}

ATF_TC_WITHOUT_HEAD(brk_grows_shrinks_under_data_limit);
ATF_TC_BODY(brk_grows_shrinks_under_data_limit, tc)
{
	struct t_res r = { 0 };

	h_boot_kern(512);
	t_run(prog_brk, &r);
	ATF_REQUIRE(r.done);
	ATF_REQUIRE_EQ(r.err[0], 0);
	ATF_REQUIRE_EQ(r.err[1], 3);
	ATF_REQUIRE_EQ(r.err[2], 0);
	ATF_REQUIRE_EQ(r.err[3], 1);
	ATF_REQUIRE_EQ(r.err[4], EINVAL);
	ATF_REQUIRE_EQ(r.err[5], 0);
	ATF_REQUIRE_EQ(r.err[6], ENOMEM); /* 5 pages > RLIMIT_DATA */
	ATF_REQUIRE_EQ(r.err[7], 0);	  /* 4 pages: exactly the limit */
	ATF_REQUIRE_EQ(r.sig, SIGSEGV);
	h_shutdown();
}

static int
prog_mlock(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	struct pmap *pm = vm_map_pmap(&p->p_vmspace->vm_map);
	vaddr_t va = 0;
	struct rlimit rl;

	if (proc_mmap_anon(p, &va, PG(8), RW, MAP_INHERIT_COPY) != 0)
		return 1;
	rl.rlim_cur = PG(4);
	rl.rlim_max = p->p_rlimit[RLIMIT_MEMLOCK].rlim_max;
	r->err[0] = dosetrlimit(p, RLIMIT_MEMLOCK, &rl);
	/* unaligned: the three pages it touches */
	r->err[1] = sys_mlock(p, va + 10, PG(2));
	r->err[2] = (int)pmap_wired_count(pm);
	/* 3 + 2 > 4 pages */
	r->err[3] = sys_mlock(p, va + PG(4), PG(2));
	r->err[4] = sys_mlock(p, va + PG(4), PG(1));
	r->err[5] = sys_munlock(p, va + 10, PG(2));
	r->err[6] = sys_munlock(p, va + PG(6), PG(1)); /* not locked */
	r->err[7] = sys_mlock(p, VM_MAXUSER_ADDRESS - 10, 100);
	(void)sys_munlock(p, va + PG(4), PG(1));
	r->done = pmap_wired_count(pm) == 0;
	return 0;
}

ATF_TC_WITHOUT_HEAD(mlock_under_memlock_limit);
ATF_TC_BODY(mlock_under_memlock_limit, tc)
{
	struct t_res r = { 0 };

	h_boot_kern(512);
	t_run(prog_mlock, &r);
	ATF_REQUIRE(r.done);
	ATF_REQUIRE_EQ(r.err[0], 0);
	ATF_REQUIRE_EQ(r.err[1], 0);
	ATF_REQUIRE_EQ(r.err[2], 3);
	ATF_REQUIRE_EQ(r.err[3], EAGAIN);
	ATF_REQUIRE_EQ(r.err[4], 0);
	ATF_REQUIRE_EQ(r.err[5], 0);
	ATF_REQUIRE_EQ(r.err[6], ENOMEM);
	ATF_REQUIRE_EQ(r.err[7], EINVAL);
	ATF_REQUIRE_EQ(r.sig, 0);
	h_shutdown();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, brk_grows_shrinks_under_data_limit);
	ATF_TP_ADD_TC(tp, mlock_under_memlock_limit);
	return atf_no_error();
}
