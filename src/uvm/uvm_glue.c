/*
 * uvm_glue.c: the glue between the VM system and the rest of the
 * kernel -- access checks, wiring user memory for I/O, fork and exit
 * of address spaces, u-areas, process swapping, and the core-dump walk.
 *
 * Process swapping, in the manner of NetBSD 1.6.  "Swapping a process
 * out" does not write its memory anywhere: it unwires the process's
 * u-area (pcb, statistics, kernel stack), which makes it pageable like
 * any other kernel memory, and collects its pmap so that its page
 * tables go and its pages lose their mappings (unreferenced, they are
 * the first a page-out would take).  P_INMEM says whether the u-area is
 * wired; only processes with P_INMEM run.  The pagedaemon then pages
 * the u-area and the process's memory out as it needs to
 * (uvm_pdaemon.c).
 *
 *	pagedaemon --(free < freetarg)--> uvm_swapout_threads
 *	    each process asleep or stopped >= maxslp seconds: uvm_swapout
 *	    none, and free <= a u-area: the longest sleeper, else the
 *	    longest-resident runnable process: uvm_swapout
 *
 *	wakeup / setrunnable of a process without P_INMEM --> wakeup(&proc0)
 *	proc0 (uvm_scheduler): the runnable, swapped-out process with the
 *	    highest  p_swtime + p_slptime - (p_nice - NZERO) * 8
 *	    free > a u-area: uvm_swapin; else uvm_wait and try again
 *
 * Where this departs from the reference, and why:
 *  - uvm_fork returns an error instead of panicking when the address
 *    space or the u-area's pages cannot be had (the reference's own
 *    XXX asks for that); fork1 then fails with ENOMEM.
 *  - u-areas on the free list stay wired, as in the reference, but
 *    uvm_uarea_alloc unwires one as it takes it off the list: uvm_fork's
 *    uvm_fault_wire would otherwise wire its pages a second time, and a
 *    later swapout's single unwire would leave them wired for good.
 *  - no vnode or credential exists: uvm_coredump_walkmap hands the
 *    writer only its cookie.
 *  - uvm_chgkprot is behind a run-time debugger switch (uvm_kgdb)
 *    rather than the KGDB kernel option, so one build can test it; it
 *    panics if the pmap cannot re-enter a page, where the reference
 *    ignores the error.
 *  - uvm_kernacc and uvm_useracc refuse a range that wraps around
 *    (the reference's check would pass it), and uvm_useracc one that
 *    leaves user space.
 *  - uvm_exit clears p_vmspace and p_stats along with p_addr: nothing
 *    may reach them after.
 *  - uvm_coredump_walkmap treats an address space with no stack
 *    segment (vm_maxsaddr 0: made by the kernel, not by exec) as having
 *    none, where the reference would take every entry for the stack.
 *  - one function more, uvm_uarea_drain: the pagedaemon gives the cached
 *    u-areas back when memory is short, since on a machine of a few
 *    dozen pages the cache's wired u-areas alone can hold all of it.
 */

#include <errno.h>
#include <limits.h>
#include <string.h>

#include "sys/buf.h"
#include "machine/clock.h"
#include "sys/proc.h"
#include "uvm/uvm.h"

#define UVM_NUAREA_MAX 16 /* u-areas kept for reuse */
#define USPACE_ALIGN   0  /* no alignment beyond a page */

static vaddr_t uvm_uareas; /* the free u-areas, linked through word 0 */
static int uvm_nuarea;	   /* how many */

int readbuffers; /* let a debugger read the buffer cache (uvm_kernacc) */
int uvm_kgdb;	 /* a kernel debugger is attached (uvm_chgkprot) */

static void uvm_swapout(struct proc *);

/* the VM protection a B_READ / B_WRITE access needs */
static vm_prot_t
uvm_rwprot(int rw)
{
	return rw == B_READ ? VM_PROT_READ : VM_PROT_WRITE;
}

/*
 * uvm_kernacc: may the kernel access [addr, addr + len) for rw
 * (B_READ or B_WRITE)?
 *
 * => called by the memory device driver (kern_mem.c) before it reads
 *    or writes kernel memory for a user.
 * => the kernel map must allow it; and the buffer cache's region is
 *    refused, unless readbuffers is set, because its pages are entered
 *    behind the VM system's back: the map says "accessible" where there
 *    may be no page, and a fault there would put kernel-object pages
 *    under the buffer cache's own mappings.
 */
bool
uvm_kernacc(vaddr_t addr, size_t len, int rw)
{
	vaddr_t saddr = trunc_page(addr), eaddr = round_page(addr + len);
	bool rv;

	if (eaddr < saddr)
		return false;
	vm_map_lock_read(kernel_map);
	rv = uvm_map_checkprot(kernel_map, saddr, eaddr, uvm_rwprot(rw));
	vm_map_unlock_read(kernel_map);

	if (rv && !readbuffers && buffers != 0 && eaddr > buffers &&
	    saddr < buffers + (vaddr_t)MAXBSIZE * nbuf)
		rv = false;
	return rv;
}

/*
 * uvm_useracc: may the running process access [addr, addr + len) of
 * its address space for rw?
 *
 * => called by physio and sysctl before they wire the user's buffer;
 *    they answer EFAULT when it may not.
 */
bool
uvm_useracc(vaddr_t addr, size_t len, int rw)
{
	struct vm_map *map;
	vaddr_t saddr = trunc_page(addr), eaddr = round_page(addr + len);
	bool rv;

	KASSERTMSG(curproc != NULL, "%s: no current process", __func__);
	if (eaddr < saddr || eaddr > VM_MAXUSER_ADDRESS)
		return false;
	map = &curproc->p_vmspace->vm_map;
	vm_map_lock_read(map);
	rv = uvm_map_checkprot(map, saddr, eaddr, uvm_rwprot(rw));
	vm_map_unlock_read(map);
	return rv;
}

/*
 * uvm_chgkprot: force the protection of the kernel pages of
 * [addr, addr + len) to read-only (B_READ) or read/write (B_WRITE), at
 * the pmap level, so that a debugger can plant a breakpoint in
 * read-only kernel memory.
 *
 * => uvm_map_protect would not do: raising protection is applied lazily
 *    (the next access would still fault) and it would split kernel map
 *    entries; pmap_protect cannot raise protection at all.  Re-entering
 *    each page's mapping wired is the one way that takes effect at once.
 * => only with a debugger attached (uvm_kgdb); every page must be
 *    mapped, or this panics.
 */
void
uvm_chgkprot(vaddr_t addr, size_t len, int rw)
{
	vm_prot_t prot;
	paddr_t pa;
	vaddr_t sva, eva;

	KASSERTMSG(uvm_kgdb, "%s: no kernel debugger attached", __func__);
	prot = rw == B_READ ? VM_PROT_READ : VM_PROT_READ | VM_PROT_WRITE;
	eva = round_page(addr + len);
	for (sva = trunc_page(addr); sva < eva; sva += PAGE_SIZE) {
		if (!pmap_extract(pmap_kernel(), sva, &pa))
			panic("%s: no page at 0x%llx", __func__,
			    (unsigned long long)sva);
		if (pmap_enter(pmap_kernel(), sva, pa, prot, PMAP_WIRED) != 0)
			panic("%s: pmap_enter failed", __func__);
	}
	pmap_update(pmap_kernel());
}

/*
 * uvm_vslock: fault in and wire the pages of [addr, addr + len) of p's
 * address space for an access of access_type, so that they stay put
 * while a device or the kernel moves data to or from them.
 *
 * => called by physio and sysctl.
 * => returns 0, or the error of the first page that could not be
 *    wired (nothing stays wired then).
 */
int
uvm_vslock(struct proc *p, vaddr_t addr, size_t len, vm_prot_t access_type)
{
	struct vm_map *map = &p->p_vmspace->vm_map;

	return uvm_fault_wire(map, trunc_page(addr), round_page(addr + len),
	    VM_FAULT_WIRE, access_type);
}

/*
 * uvm_vsunlock: unwire what uvm_vslock wired.
 *
 * => called by physio and sysctl when the transfer is done.
 */
void
uvm_vsunlock(struct proc *p, vaddr_t addr, size_t len)
{
	uvm_fault_unwire(&p->p_vmspace->vm_map, trunc_page(addr),
	    round_page(addr + len));
}

/*
 * uvm_fork: give the new process p2 its address space and u-area.
 *
 * 1. the address space: p1's own, shared, or a copy made by each map
 *    entry's inheritance (uvmspace_fork);
 * 2. wire the u-area (pcb and kernel stack, used at once).  Whether it
 *    is wired is kept in P_INMEM, not in the kernel map entry's wired
 *    count, so u-areas do not fragment the kernel map;
 * 3. with the kstack check, fill the kernel stack area with magic;
 * 4. the statistics in the u-area: zeroed from PSTAT_STARTZERO to
 *    PSTAT_ENDZERO, copied from p1 from PSTAT_STARTCOPY to
 *    PSTAT_ENDCOPY;
 * 5. cpu_fork builds the thread, which will start at func(arg) with
 *    the user stack `stack' of stacksize bytes, if one is given.
 *
 * => called by fork1 with p2->p_addr set to a u-area from
 *    uvm_uarea_alloc.
 * => nothing is done after cpu_fork: the child's first run does not
 *    come back here.
 * => returns 0, or ENOMEM with p2's address space released.
 */
int
uvm_fork(struct proc *p1, struct proc *p2, bool shared, void *stack,
    size_t stacksize, void (*func)(void *), void *arg)
{
	vaddr_t up = p2->p_addr;
	uint8_t *ps1, *ps2;
	int error;

	if (shared) {
		p2->p_vmspace = NULL;
		uvmspace_share(p1, p2);
	} else {
		p2->p_vmspace = uvmspace_fork(p1->p_vmspace);
		if (p2->p_vmspace == NULL)
			return ENOMEM;
	}

	error = uvm_fault_wire(kernel_map, up, up + USPACE, VM_FAULT_WIRE,
	    VM_PROT_READ | VM_PROT_WRITE);
	if (error) {
		uvmspace_free(p2->p_vmspace);
		p2->p_vmspace = NULL;
		return ENOMEM;
	}

	if (kstack_check)
		cpu_kstack_setup_magic(up, USPACE, USER_KSTACK_OFF);

	p2->p_stats = up + offsetof(struct user, u_stats);
	ps1 = (uint8_t *)proc_pstats(p1);
	ps2 = (uint8_t *)proc_pstats(p2);
	memset(ps2 + PSTAT_STARTZERO, 0, PSTAT_ENDZERO - PSTAT_STARTZERO);
	memcpy(ps2 + PSTAT_STARTCOPY, ps1 + PSTAT_STARTCOPY,
	    PSTAT_ENDCOPY - PSTAT_STARTCOPY);

	cpu_fork(&p2->p_md, up, stack, stacksize, func, arg);
	return 0;
}

/*
 * uvm_exit: free a dead process's address space and u-area.
 *
 * => runs in the reaper, never in the dying process: that process is
 *    running on the u-area's stack until its last switch, and freeing
 *    an address space may sleep, which a dead thread cannot do.
 * => the u-area, still wired, goes to the u-area cache.
 */
void
uvm_exit(struct proc *p)
{
	vaddr_t va = p->p_addr;

	uvmspace_free(p->p_vmspace);
	p->p_vmspace = NULL;
	p->p_flag &= ~P_INMEM;
	uvm_uarea_free(va);
	p->p_addr = 0;
	p->p_stats = 0;
}

/*
 * uvm_uarea_alloc: a u-area: the most recently freed one, if any, else
 * USPACE bytes of new kernel address space (no pages until wired).
 *
 * => a cached u-area is still wired from its last process: it is
 *    unwired here, for uvm_fork to wire once (see the top of this file).
 * => returns its address, or 0 if the kernel map is out of room.
 */
vaddr_t
uvm_uarea_alloc(void)
{
	vaddr_t uaddr = uvm_uareas, next;

	if (uaddr == 0)
		return uvm_km_valloc_align(kernel_map, USPACE, USPACE_ALIGN);
	if (uvm_kio(uaddr, &next, sizeof(next), false) != 0)
		panic("%s: cannot read the u-area free list", __func__);
	uvm_uareas = next;
	uvm_nuarea--;
	uvm_fault_unwire(kernel_map, uaddr, uaddr + USPACE);
	return uaddr;
}

/*
 * uvm_uarea_cacheable: can the u-area at uaddr go on the free list --
 * wired, or every page resident so that wiring it again takes no
 * memory (one that uvm_uarea_alloc took for a fork that failed)?
 */
static bool
uvm_uarea_cacheable(vaddr_t uaddr)
{
	bool wired = true;
	paddr_t pa;
	vaddr_t va;

	for (va = uaddr; va < uaddr + USPACE; va += PAGE_SIZE) {
		if (!pmap_extract(pmap_kernel(), va, &pa))
			return false;
		if (PHYS_TO_VM_PAGE(pa)->wire_count == 0)
			wired = false;
	}
	return wired ||
	    uvm_fault_wire(kernel_map, uaddr, uaddr + USPACE, VM_FAULT_WIRE,
		VM_PROT_READ | VM_PROT_WRITE) == 0;
}

/*
 * uvm_uarea_free: give a u-area back: onto the free list while it holds
 * fewer than UVM_NUAREA_MAX, else back to the kernel map with its pages.
 *
 * => the free list is linked through the first word of each u-area.
 *    Cached u-areas are wired; one whose pages are not all resident (a
 *    fork could not wire it) goes back to the kernel map.
 */
void
uvm_uarea_free(vaddr_t uaddr)
{
	if (uvm_nuarea < UVM_NUAREA_MAX && uvm_uarea_cacheable(uaddr)) {
		if (uvm_kio(uaddr, &uvm_uareas, sizeof(uvm_uareas), true) != 0)
			panic("%s: cannot link the u-area", __func__);
		uvm_uareas = uaddr;
		uvm_nuarea++;
	} else
		uvm_km_free(kernel_map, uaddr, USPACE);
}

/* uvm_uarea_cached: u-areas on the free list */
int
uvm_uarea_cached(void)
{
	return uvm_nuarea;
}

/*
 * uvm_uarea_drain: give every cached u-area back to the kernel map, with
 * its pages, when memory is short: they are wired, so nothing else could
 * reclaim them.  The pagedaemon calls it.
 *
 * => NetBSD 1.6 has no such call, and on a machine of a few dozen pages
 *    its cache of UVM_NUAREA_MAX wired u-areas alone can hold all of
 *    memory; later NetBSD drains the cache from the pagedaemon too.
 */
void
uvm_uarea_drain(void)
{
	vaddr_t uaddr;

	while ((uaddr = uvm_uareas) != 0) {
		if (uvm_kio(uaddr, &uvm_uareas, sizeof(uvm_uareas), false) != 0)
			panic("%s: cannot follow the u-area list", __func__);
		uvm_nuarea--;
		uvm_km_free(kernel_map, uaddr, USPACE);
	}
	KASSERT(uvm_nuarea == 0);
}

/* uvm_glue_fini: forget the u-area cache (its memory goes with kernel_map) */
void
uvm_glue_fini(void)
{
	uvm_uareas = 0;
	uvm_nuarea = 0;
}

/*
 * uvm_init_limits: the VM's limits of proc0, which every other process
 * inherits: the default stack and data sizes, and a resident-set limit
 * of all the memory there is, so that one large process starts
 * replacing its own pages once it fills memory.
 */
void
uvm_init_limits(struct proc *p)
{
	p->p_rlimit[RLIMIT_STACK].rlim_cur = DFLSSIZ;
	p->p_rlimit[RLIMIT_STACK].rlim_max = MAXSSIZ;
	p->p_rlimit[RLIMIT_DATA].rlim_cur = DFLDSIZ;
	p->p_rlimit[RLIMIT_DATA].rlim_max = MAXDSIZ;
	p->p_rlimit[RLIMIT_RSS].rlim_cur = ptoa(uvmexp.free);
}

/*
 * uvm_swapin: bring a swapped-out process back: wire its u-area again
 * (reading it back from swap if it was paged out), let the MD code
 * restore what it saved there, and put the process back on the run
 * queue if it is runnable.
 *
 * => called by uvm_scheduler.  Wiring may sleep for page-ins.
 * => the u-area's pages cannot be had only when memory and swap are
 *    both gone: a panic, as in the reference.
 */
void
uvm_swapin(struct proc *p)
{
	vaddr_t addr = p->p_addr;
	int s, error;

	error = uvm_fault_wire(kernel_map, addr, addr + USPACE, VM_FAULT_WIRE,
	    VM_PROT_READ | VM_PROT_WRITE);
	if (error)
		panic("%s: cannot wire the u-area of pid %d: %d", __func__,
		    p->p_pid, error);

	cpu_swapin(&p->p_md, addr, USPACE, USER_KSTACK_OFF);
	SCHED_LOCK(s);
	if (p->p_stat == SRUN)
		setrunqueue(p);
	p->p_flag |= P_INMEM;
	SCHED_UNLOCK(s);
	p->p_swtime = 0;
	++uvmexp.swapins;
	TRACE(TRC_SWAP, "pid %d (%s): swapped in", p->p_pid, p->p_comm);
	VMEVENT(VMEV_SWAPIN, p->p_pid, 0, NULL);
}

/*
 * uvm_scheduler: proc0's loop, for ever: swap in the runnable,
 * swapped-out process that deserves it most; when there is none, sleep
 * until someone needs it; when memory is short, wake the pagedaemon and
 * wait for it.
 *
 * => the check for memory is only that a u-area fits: the swapped-in
 *    process may then fault and wait like any other.
 */
__dead void
uvm_scheduler(void)
{
	struct proc *p, *pp;
	int pri, ppri;

	for (;;) {
		pp = NULL;
		ppri = INT_MIN;
		proclist_lock_read();
		LIST_FOREACH (p, &allproc, p_list) {
			if (p->p_stat == SRUN && (p->p_flag & P_INMEM) == 0) {
				pri = (int)(p->p_swtime + p->p_slptime) -
				    (p->p_nice - NZERO) * 8;
				if (pri > ppri) {
					pp = p;
					ppri = pri;
				}
			}
		}
		proclist_unlock_read();

		if ((p = pp) == NULL) {
			(void)tsleep(&proc0, PVM, "scheduler", 0);
			continue;
		}
		if (uvmexp.free > (int)atop(USPACE)) {
			TRACE(TRC_SCHED,
			    "scheduler: pid %d is runnable and swapped out "
			    "(priority %d): swapping it in",
			    p->p_pid, ppri);
			uvm_swapin(p);
			continue;
		}
		TRACE(TRC_SCHED,
		    "scheduler: pid %d waits: %d pages free, a u-area "
		    "needs %d",
		    p->p_pid, uvmexp.free, (int)atop(USPACE));
		uvm_wait("schedpwait");
	}
}

/* may p be swapped out: resident, no kernel thread, not exiting, held? */
static bool
swappable(const struct proc *p)
{
	return (p->p_flag & (P_SYSTEM | P_INMEM | P_WEXIT)) == P_INMEM &&
	    p->p_holdcnt == 0;
}

/*
 * uvm_swapout_threads: swap out every process that has been asleep or
 * stopped for maxslp seconds or more.  If there was none and memory is
 * down to a u-area, swap out one more: the process asleep or stopped
 * longest, or failing that the runnable process resident longest.
 *
 * => called by the pagedaemon when free memory is below freetarg.
 */
void
uvm_swapout_threads(void)
{
	struct proc *p, *outp = NULL, *outp2 = NULL;
	unsigned int outpri = 0, outpri2 = 0;
	int didswap = 0;

	proclist_lock_read();
	LIST_FOREACH (p, &allproc, p_list) {
		if (!swappable(p))
			continue;
		switch (p->p_stat) {
		case SRUN:
		case SONPROC:
			if (p->p_swtime > outpri2) {
				outp2 = p;
				outpri2 = p->p_swtime;
			}
			continue;
		case SSLEEP:
		case SSTOP:
			if (p->p_slptime >= (unsigned int)maxslp) {
				TRACE(TRC_SWAP,
				    "swapout: pid %d has slept %u s "
				    "(maxslp %d)",
				    p->p_pid, p->p_slptime, maxslp);
				uvm_swapout(p);
				VMEVENT(VMEV_SWAPOUT, p->p_pid, 0,
				    "slept past maxslp");
				didswap++;
			} else if (p->p_slptime > outpri) {
				outp = p;
				outpri = p->p_slptime;
			}
			continue;
		}
	}
	proclist_unlock_read();

	/* not much is won by this (a u-area), so only when really short */
	if (didswap == 0 && uvmexp.free <= (int)atop(round_page(USPACE))) {
		if ((p = outp) == NULL)
			p = outp2;
		if (p != NULL) {
			TRACE(TRC_SWAP,
			    "swapout: memory is short: pid %d, the %s",
			    p->p_pid,
			    p == outp ? "longest asleep" : "longest resident");
			uvm_swapout(p);
			VMEVENT(VMEV_SWAPOUT, p->p_pid, 0, "memory short");
		}
	}
}

/*
 * uvm_swapout: swap process p out: the MD code saves what must survive
 * in the u-area, P_INMEM is cleared and p leaves the run queue, the
 * u-area is unwired (free to be paged out), and p's pmap is collected
 * (its mappings and page tables go; its pages become easy to reclaim).
 *
 * => p is not running: the caller is the pagedaemon.
 */
static void
uvm_swapout(struct proc *p)
{
	vaddr_t addr = p->p_addr;
	int s;

	KASSERT(p != curproc);
	cpu_swapout(&p->p_md, addr, USPACE, USER_KSTACK_OFF);

	SCHED_LOCK(s);
	p->p_flag &= ~P_INMEM;
	if (p->p_stat == SRUN)
		remrunqueue(p);
	SCHED_UNLOCK(s);
	p->p_swtime = 0;
	proc_pstats(p)->p_ru.ru_nswap++;
	++uvmexp.swapouts;
	TRACE(TRC_SWAP, "pid %d (%s): swapped out", p->p_pid, p->p_comm);

	uvm_fault_unwire(kernel_map, addr, addr + USPACE); /* !P_INMEM */
	pmap_collect(vm_map_pmap(&p->p_vmspace->vm_map));
}

/*
 * uvm_coredump_walkmap: call func once for each segment of p's address
 * space that belongs in a core file, with its start, end, protection
 * and flags:
 *
 *	- entries at or above VM_MAXUSER_ADDRESS are skipped, and one that
 *	  reaches past it is cut there;
 *	- in the stack segment (from vm_maxsaddr up) only the part the
 *	  stack has grown into (vm_ssize pages below USRSTACK) is dumped,
 *	  flagged UVM_COREDUMP_STACK (an address space made without a
 *	  stack segment has vm_maxsaddr 0 and none);
 *	- read-only entries, and device memory, are UVM_COREDUMP_NODUMP:
 *	  described, but without their contents.
 *
 * => returns 0, or the first error func returns (the walk stops there).
 * => a submap in a user map is a panic.
 */
int
uvm_coredump_walkmap(struct proc *p,
    int (*func)(struct proc *, struct uvm_coredump_state *), void *cookie)
{
	struct uvm_coredump_state state;
	struct vmspace *vm = p->p_vmspace;
	struct vm_map *map = &vm->vm_map;
	struct vm_map_entry *entry;
	vaddr_t maxstack;
	int error;

	maxstack = trunc_page(USRSTACK - ptoa(vm->vm_ssize));
	for (entry = map->header.next; entry != &map->header;
	     entry = entry->next) {
		if (UVM_ET_ISSUBMAP(entry))
			panic("%s: user process with a submap", __func__);

		state.cookie = cookie;
		state.start = entry->start;
		state.end = entry->end;
		state.prot = entry->protection;
		state.flags = 0;

		if (state.start >= VM_MAXUSER_ADDRESS)
			continue;
		if (state.end > VM_MAXUSER_ADDRESS)
			state.end = VM_MAXUSER_ADDRESS;

		if (vm->vm_maxsaddr != 0 && state.start >= vm->vm_maxsaddr) {
			if (state.end <= maxstack)
				continue;
			if (state.start < maxstack)
				state.start = maxstack;
			state.flags |= UVM_COREDUMP_STACK;
		}

		if ((entry->protection & VM_PROT_WRITE) == 0)
			state.flags |= UVM_COREDUMP_NODUMP;
		if (entry->object.uvm_obj != NULL &&
		    UVM_OBJ_IS_DEVICE(entry->object.uvm_obj))
			state.flags |= UVM_COREDUMP_NODUMP;

		error = (*func)(p, &state);
		if (error)
			return error;
	}
	return 0;
}
