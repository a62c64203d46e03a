/*
 * uvm_mmap.c: the VM system calls, as far as they are built: brk, and
 * mlock / munlock, where the data and locked-memory limits are enforced,
 * and msync.
 *
 * The calls take the calling process and plain arguments (no user
 * argument block), check them as NetBSD does and answer with its error
 * numbers.
 */

#include <errno.h>

#include "sys/proc.h"
#include "uvm/uvm.h"

/*
 * sys_obreak: set the end of p's data segment to nsize (brk).
 *
 * => the segment starts at vm_daddr and grows or shrinks a page at a
 *    time: growing maps zero-fill private memory, shrinking unmaps.
 * => returns 0; EINVAL for an end below the segment's start; ENOMEM if
 *    the new size exceeds RLIMIT_DATA or the space is taken.
 */
int
sys_obreak(struct proc *p, vaddr_t nsize)
{
	struct vmspace *vm = p->p_vmspace;
	vaddr_t new = round_page(nsize), old;
	int error;

	old = vm->vm_daddr + ptoa(vm->vm_dsize);
	if (new < vm->vm_daddr)
		return EINVAL;
	if (new - vm->vm_daddr > p->p_rlimit[RLIMIT_DATA].rlim_cur)
		return ENOMEM;
	if (new == old)
		return 0;
	if (new > old) {
		error = uvm_map(&vm->vm_map, &old, new - old, NULL, 0, 0,
		    UVM_MAPFLAG(VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL,
			MAP_INHERIT_COPY, UVM_ADV_NORMAL,
			UVM_FLAG_FIXED | UVM_FLAG_COPYONW));
		if (error)
			return ENOMEM;
		vm->vm_dsize += atop(new - old);
	} else {
		error = uvm_unmap(&vm->vm_map, new, old);
		if (error)
			return ENOMEM;
		vm->vm_dsize -= atop(old - new);
	}
	return 0;
}

/* the page-aligned range an unaligned [addr, addr + len) covers */
static int
uvm_mmap_range(vaddr_t addr, size_t len, vaddr_t *startp, vaddr_t *endp)
{
	vaddr_t start = trunc_page(addr), end = round_page(addr + len);

	if (addr + len < addr || end < start || end > VM_MAXUSER_ADDRESS)
		return EINVAL;
	*startp = start;
	*endp = end;
	return 0;
}

/*
 * sys_mlock: wire [addr, addr + len) of p's address space.
 *
 * => addr need not be page aligned: the pages it touches are locked.
 * => returns 0; EINVAL for a range that wraps or leaves user space;
 *    EAGAIN when the pages would take p past RLIMIT_MEMLOCK or the
 *    machine past its wired-page limit; ENOMEM if part of the range is
 *    not mapped or cannot be wired.
 */
int
sys_mlock(struct proc *p, vaddr_t addr, size_t len)
{
	struct vm_map *map = &p->p_vmspace->vm_map;
	vaddr_t start, end;
	int error;

	if ((error = uvm_mmap_range(addr, len, &start, &end)) != 0)
		return error;
	if ((int)atop(end - start) + uvmexp.wired > uvmexp.wiredmax)
		return EAGAIN;
	if (end - start + ptoa(pmap_wired_count(vm_map_pmap(map))) >
	    p->p_rlimit[RLIMIT_MEMLOCK].rlim_cur)
		return EAGAIN;
	error = uvm_map_pageable(map, start, end, false);
	return error == 0 ? 0 : ENOMEM;
}

/*
 * sys_munlock: unwire what sys_mlock wired.
 *
 * => returns 0; EINVAL for a bad range; ENOMEM if part of it is not
 *    mapped or not locked.
 */
int
sys_munlock(struct proc *p, vaddr_t addr, size_t len)
{
	vaddr_t start, end;
	int error;

	if ((error = uvm_mmap_range(addr, len, &start, &end)) != 0)
		return error;
	error = uvm_map_pageable(&p->p_vmspace->vm_map, start, end, true);
	return error == 0 ? 0 : ENOMEM;
}

/*
 * sys_msync: write back the dirty file pages of [addr, addr + len) to
 * their files, and with MS_INVALIDATE drop them from memory too (they
 * are read again at the next touch).  Anonymous memory has nothing to
 * write.
 *
 * => returns 0; EINVAL for an unaligned address, a wrapping range,
 *    unknown flags or MS_ASYNC with MS_SYNC; ENOMEM if part of the range
 *    is not mapped; EIO if a write failed.
 */
int
sys_msync(struct proc *p, vaddr_t addr, size_t len, int flags)
{
	struct vm_map *map = &p->p_vmspace->vm_map;
	struct vm_map_entry *entry;
	struct uvm_object *uobj;
	vaddr_t start, end, s, e;
	int error;

	if ((addr & PAGE_MASK) != 0 ||
	    (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) != 0 ||
	    (flags & (MS_ASYNC | MS_SYNC)) == (MS_ASYNC | MS_SYNC))
		return EINVAL;
	if ((error = uvm_mmap_range(addr, len, &start, &end)) != 0)
		return error;
	vm_map_lock_read(map);
	if (!uvm_map_checkprot(map, start, end, VM_PROT_NONE)) {
		vm_map_unlock_read(map);
		return ENOMEM;
	}
	vm_map_unlock_read(map);
	for (s = start; s < end; s = e) {
		/* look again each time: a write back may sleep */
		if (!uvm_map_lookup_entry(map, s, &entry))
			return ENOMEM;
		e = MIN(end, entry->end);
		uobj = entry->object.uvm_obj;
		if (uobj == NULL || !UVM_OBJ_IS_VNODE(uobj))
			continue;
		uobj->pgops->pgo_reference(uobj);
		error = uobj->pgops->pgo_put(uobj,
		    entry->offset + (voff_t)(s - entry->start),
		    entry->offset + (voff_t)(e - entry->start),
		    PGO_CLEANIT | ((flags & MS_INVALIDATE) ? PGO_FREE : 0));
		uobj->pgops->pgo_detach(uobj);
		if (error)
			return EIO;
	}
	return 0;
}
