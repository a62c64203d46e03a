/*
 * t_oom.c: the two ways memory runs out, kept apart (machine/hostmem.h).
 * Simulated memory runs out where a kernel's would, and on demand only
 * through failpoints -- here the vmspace failpoint: an address space
 * that cannot be had fails fork and exec with ENOMEM and leaves nothing
 * behind, and fails the boot with a reason.  The host running out of
 * memory is a panic, never an errno value.
 */

#include <errno.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "h_util.h"
#include "machine/hostmem.h"

#define PG(n) ((vaddr_t)(n)*PAGE_SIZE)
#define RW    (VM_PROT_READ | VM_PROT_WRITE)

/* the vmspace failpoint makes uvmspace_alloc, and only it, fail */
ATF_TC_WITHOUT_HEAD(vmspace_failpoint_fails_uvmspace_alloc);
ATF_TC_BODY(vmspace_failpoint_fails_uvmspace_alloc, tc)
{
	struct vmspace *vm;
	int nvm0;

	h_boot(64, 4096);
	ATF_REQUIRE_EQ(failpoint_lookup("vmspace"), FP_VMSPACE);
	nvm0 = uvmexp.nvmspace;
	failpoint_arm(FP_VMSPACE, 1, 1);
	vm = uvmspace_alloc(VM_MIN_ADDRESS, VM_MAXUSER_ADDRESS);
	ATF_REQUIRE(vm != NULL);
	ATF_REQUIRE(uvmspace_alloc(VM_MIN_ADDRESS, VM_MAXUSER_ADDRESS) == NULL);
	ATF_REQUIRE_EQ(uvmexp.nvmspace, nvm0 + 1);
	ATF_REQUIRE_EQ(failpoints[FP_VMSPACE].fp_failed, 1);
	ATF_REQUIRE(!failpoints[FP_VMSPACE].fp_armed);
	uvmspace_free(vm);
	ATF_REQUIRE_EQ(uvmexp.nvmspace, nvm0);
	h_shutdown();
}

struct t_fork {
	int err[4];
	int nprocs, nvmspace; /* before the fork that fails */
	bool diff;	      /* what changed after it */
	bool done;
};

static int
prog_child(struct proc *p, void *arg)
{
	char c = 'c';

	(void)proc_store(p, *(vaddr_t *)arg, &c, 1);
	return 0;
}

/*
 * fork when no address space can be had: ENOMEM, no process, no
 * vmspace, the parent's memory as it was; the next fork works.
 *
 *	parent:  va |== 'p' ==|      child (second fork): writes 'c'
 */
static int
prog_fork_fail(struct proc *p, void *arg)
{
	struct t_fork *t = arg;
	static vaddr_t va;
	struct proc *c;
	char b = 'p';

	if (proc_mmap(p, 0, PG(1), RW, MMAP_ANON | MMAP_PRIVATE, -1, 0, &va) !=
		0 ||
	    proc_store(p, va, &b, 1) != 0)
		return 1;
	t->nprocs = nprocs;
	t->nvmspace = uvmexp.nvmspace;
	failpoint_arm(FP_VMSPACE, 0, 1);
	t->err[0] = proc_fork(p, prog_child, &va, &c);
	t->diff = nprocs != t->nprocs || uvmexp.nvmspace != t->nvmspace;
	t->err[1] = proc_fork(p, prog_child, &va, &c);
	t->err[2] = kern_wait(p, -1, NULL, 0) > 0 ? 0 : 1;
	(void)proc_load(p, va, &b, 1);
	t->err[3] = b;
	t->done = true;
	return 0;
}

ATF_TC_WITHOUT_HEAD(fork_without_a_vmspace_is_enomem);
ATF_TC_BODY(fork_without_a_vmspace_is_enomem, tc)
{
	struct t_fork t = { 0 };
	struct proc *p;
	int pid, status = -1;

	h_boot_kern(256);
	ATF_REQUIRE_EQ(kern_spawn("forker", prog_fork_fail, &t, &p), 0);
	pid = p->p_pid;
	h_run_idle();
	ATF_REQUIRE_EQ(kern_collect(pid, &status), 0);
	ATF_REQUIRE(t.done);
	ATF_REQUIRE_EQ(status, 0);
	ATF_REQUIRE_EQ_MSG(t.err[0], ENOMEM, "fork: %d", t.err[0]);
	ATF_REQUIRE_MSG(!t.diff, "the failed fork left a process or vmspace");
	ATF_REQUIRE_EQ(t.err[1], 0);
	ATF_REQUIRE_EQ(t.err[2], 0);
	ATF_REQUIRE_EQ(t.err[3], 'p'); /* the child's write was its own */
	ATF_REQUIRE_EQ(failpoints[FP_VMSPACE].fp_failed, 1);
	h_shutdown();
}

/* exec (kern_spawn) when no address space can be had: ENOMEM, nothing */
ATF_TC_WITHOUT_HEAD(exec_without_a_vmspace_is_enomem);
ATF_TC_BODY(exec_without_a_vmspace_is_enomem, tc)
{
	struct t_fork t = { 0 };
	struct proc *p = NULL;
	int nprocs0, nvm0, free0;

	h_boot_kern(256);
	nprocs0 = nprocs;
	nvm0 = uvmexp.nvmspace;
	free0 = uvmexp.free;
	failpoint_arm(FP_VMSPACE, 0, 1);
	ATF_REQUIRE_EQ(kern_spawn("exec", prog_fork_fail, &t, &p), ENOMEM);
	ATF_REQUIRE(p == NULL);
	ATF_REQUIRE_EQ(nprocs, nprocs0);
	ATF_REQUIRE_EQ(uvmexp.nvmspace, nvm0);
	ATF_REQUIRE_EQ(uvmexp.free, free0);
	h_run_idle();
	ATF_REQUIRE(!t.done);
	h_shutdown();
}

/* a boot that cannot make proc0's address space fails and says why */
ATF_TC_WITHOUT_HEAD(boot_without_a_vmspace_fails);
ATF_TC_BODY(boot_without_a_vmspace_fails, tc)
{
	struct machine_config mc;

	machine_config_default(&mc);
	mc.mc_npages = 256;
	mc.mc_swapslots = 256;
	mc.mc_fail[FP_VMSPACE] =
	    (struct failpoint_setting){ true, 0, FAILPOINT_FOREVER, 0 };
	ATF_REQUIRE_EQ(kern_boot(&mc), ENOMEM);
	ATF_REQUIRE_STREQ(machine_boot_why,
	    "cannot allocate proc0's address space");
	mc.mc_fail[FP_VMSPACE].fs_set = false;
	h_boot_kern_config(&mc);
	ATF_REQUIRE(!failpoints[FP_VMSPACE].fp_armed);
	h_shutdown();
}

static jmp_buf t_panicked;

static void
t_panic_hook(const char *msg)
{
	longjmp(t_panicked, 1);
}

/*
 * the host out of memory: a panic that says so, not NULL.  (A request
 * no host can satisfy stands for a host that has run out.)
 */
ATF_TC_WITHOUT_HEAD(host_out_of_memory_panics);
ATF_TC_BODY(host_out_of_memory_panics, tc)
{
	void *volatile p = NULL;

#if defined(__SANITIZE_ADDRESS__)
	atf_tc_skip("AddressSanitizer reports a huge malloc instead of "
		    "returning NULL");
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
	atf_tc_skip("AddressSanitizer reports a huge malloc instead of "
		    "returning NULL");
#endif
#endif
	panic_hook = t_panic_hook;
	if (setjmp(t_panicked) == 0)
		p = hostmem_alloc(SIZE_MAX / 2);
	panic_hook = NULL;
	ATF_REQUIRE(p == NULL);
	ATF_REQUIRE_MSG(strstr(panic_msg, "out of host memory") != NULL, "%s",
	    panic_msg);
	panic_msg[0] = '\0';
	panic_hook = t_panic_hook;
	if (setjmp(t_panicked) == 0)
		p = hostmem_zalloc(SIZE_MAX / 2, 4);
	panic_hook = NULL;
	ATF_REQUIRE(p == NULL);
	ATF_REQUIRE_MSG(strstr(panic_msg, "out of host memory") != NULL, "%s",
	    panic_msg);
	/* and what can be had is had, zeroed where asked */
	p = hostmem_zalloc(3, 5);
	ATF_REQUIRE(
	    memcmp((const void *)p, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 15) == 0);
	p = hostmem_realloc((void *)p, 100);
	free((void *)p);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, vmspace_failpoint_fails_uvmspace_alloc);
	ATF_TP_ADD_TC(tp, fork_without_a_vmspace_is_enomem);
	ATF_TP_ADD_TC(tp, exec_without_a_vmspace_is_enomem);
	ATF_TP_ADD_TC(tp, boot_without_a_vmspace_fails);
	ATF_TP_ADD_TC(tp, host_out_of_memory_panics);
	return atf_no_error();
}
