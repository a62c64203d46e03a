/*
 * kern_resource.c: resource limits -- get, set, and the stack limit's
 * effect on the stack mapping.
 *
 * Limits are inherited at fork (fork1 copies them).  Where each is
 * enforced:
 *
 *	RLIMIT_STACK    the stack segment is mapped at exec to its maximum
 *	                size, and only the top rlim_cur bytes are accessible;
 *	                setting the limit changes that protection here, and a
 *	                touch below it is SIGSEGV (kern_exec.c, uvm_grow)
 *	RLIMIT_DATA     brk (uvm_mmap.c)
 *	RLIMIT_MEMLOCK  mlock (uvm_mmap.c)
 *	RLIMIT_RSS      set by uvm_init_limits to all of memory; as in
 *	                NetBSD 1.6, the VM system does not act on it
 */

#include <errno.h>

#include "kern/kern.h"

/* the most each limit may be raised to by anyone */
static rlim_t
rlimit_ceiling(int which)
{
	switch (which) {
	case RLIMIT_STACK:
		return MAXSSIZ;
	case RLIMIT_DATA:
		return MAXDSIZ;
	default:
		return RLIM_INFINITY;
	}
}

/* dogetrlimit: p's limit `which' into *rlp; EINVAL for a bad index */
int
dogetrlimit(struct proc *p, int which, struct rlimit *rlp)
{
	if (which < 0 || which >= RLIM_NLIMITS)
		return EINVAL;
	*rlp = p->p_rlimit[which];
	return 0;
}

/*
 * dosetrlimit: set p's limit `which'.
 *
 * => a soft limit above the hard one is EINVAL; raising the hard limit
 *    is EPERM (simulated processes are not the superuser; kernel threads
 *    are).  The stack and data limits are held to MAXSSIZ and MAXDSIZ.
 * => RLIMIT_STACK: the part of the stack segment between the old and
 *    the new soft limit is made accessible or inaccessible.
 */
int
dosetrlimit(struct proc *p, int which, const struct rlimit *rlp)
{
	struct rlimit *alimp, limit = *rlp;
	vaddr_t addr;
	vsize_t size;
	vm_prot_t prot;

	if (which < 0 || which >= RLIM_NLIMITS)
		return EINVAL;
	alimp = &p->p_rlimit[which];
	if (limit.rlim_cur > limit.rlim_max)
		return EINVAL;
	if (limit.rlim_max > alimp->rlim_max && !(p->p_flag & P_SYSTEM))
		return EPERM;
	limit.rlim_max = MIN(limit.rlim_max, rlimit_ceiling(which));
	limit.rlim_cur = MIN(limit.rlim_cur, limit.rlim_max);

	if (which == RLIMIT_STACK && limit.rlim_cur != alimp->rlim_cur &&
	    p->p_vmspace != NULL && p->p_vmspace->vm_maxsaddr != 0) {
		if (limit.rlim_cur > alimp->rlim_cur) {
			prot = VM_PROT_READ | VM_PROT_WRITE;
			size = limit.rlim_cur - alimp->rlim_cur;
			addr = USRSTACK - limit.rlim_cur;
		} else {
			prot = VM_PROT_NONE;
			size = alimp->rlim_cur - limit.rlim_cur;
			addr = USRSTACK - alimp->rlim_cur;
		}
		addr = trunc_page(addr);
		size = round_page(size);
		(void)uvm_map_protect(&p->p_vmspace->vm_map, addr, addr + size,
		    prot, false);
	}
	*alimp = limit;
	return 0;
}

/*
 * ruadd: add the usage in ru2 to ru (a reaped child's to its parent's
 * p_cru, a process's children's to its own at exit): times and counts
 * add up, the resident-set high-water mark is the larger.
 */
void
ruadd(struct rusage *ru, const struct rusage *ru2)
{
	ru->ru_utime += ru2->ru_utime;
	ru->ru_stime += ru2->ru_stime;
	ru->ru_maxrss = MAX(ru->ru_maxrss, ru2->ru_maxrss);
	ru->ru_minflt += ru2->ru_minflt;
	ru->ru_majflt += ru2->ru_majflt;
	ru->ru_nswap += ru2->ru_nswap;
	ru->ru_nvcsw += ru2->ru_nvcsw;
	ru->ru_nivcsw += ru2->ru_nivcsw;
}
