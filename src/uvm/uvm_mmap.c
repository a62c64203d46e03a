/*
 * uvm_mmap.c: the VM system calls -- mmap, munmap, mprotect, minherit,
 * madvise, mlock, munlock, mlockall, munlockall, mincore, msync and brk.
 *
 * The calls take the calling process and plain arguments (no user
 * argument block), check them as NetBSD does and answer with its error
 * numbers; where NetBSD and Linux differ, these follow NetBSD (uvmsim(5)
 * lists the differences).  mmap maps a file by descriptor (sys/file.h),
 * the descriptor's mode bounding what the mapping may ever allow.
 *
 * Limits: RLIMIT_DATA bounds brk, RLIMIT_MEMLOCK and the machine's
 * wired-page limit bound mlock, mlockall and MMAP_WIRED.
 */

#include <errno.h>
#include <stdlib.h>

#include "machine/hostmem.h"
#include "sys/file.h"
#include "sys/proc.h"
#include "uvm/uvm.h"

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

/* the same for an address that must be page aligned */
static int
uvm_mmap_arange(vaddr_t addr, size_t len, vaddr_t *startp, vaddr_t *endp)
{
	if ((addr & PAGE_MASK) != 0)
		return EINVAL;
	return uvm_mmap_range(addr, len, startp, endp);
}

/* is all of [start, end) mapped? */
static bool
uvm_mmap_mapped(struct vm_map *map, vaddr_t start, vaddr_t end)
{
	bool mapped;

	vm_map_lock_read(map);
	mapped = uvm_map_checkprot(map, start, end, VM_PROT_NONE);
	vm_map_unlock_read(map);
	return mapped;
}

/*
 * uvm_mmap_wire: wire the new mapping [start, end) of p, as MMAP_WIRED
 * and mlockall(MLOCKALL_FUTURE) ask, within the machine's wired-page
 * limit and p's RLIMIT_MEMLOCK.  A PROT_NONE mapping has nothing to wire.
 *
 * => returns 0 or ENOMEM (the limits) or uvm_map_pageable's error; the
 *    caller unmaps the range on error.
 */
static int
uvm_mmap_wire(struct proc *p, vaddr_t start, vaddr_t end)
{
	struct vm_map *map = &p->p_vmspace->vm_map;
	struct vm_map_entry *entry;
	bool none;

	vm_map_lock_read(map);
	none = uvm_map_lookup_entry(map, start, &entry) &&
	    entry->protection == VM_PROT_NONE;
	vm_map_unlock_read(map);
	if (none)
		return 0;
	if ((int)atop(end - start) + uvmexp.wired > uvmexp.wiredmax ||
	    end - start + ptoa(pmap_wired_count(vm_map_pmap(map))) >
		p->p_rlimit[RLIMIT_MEMLOCK].rlim_cur)
		return ENOMEM;
	return uvm_map_pageable(map, start, end, false);
}

/*
 * uvm_mmap_fileprot: the maximum protection a mapping of the open file
 * fp may have, as NetBSD's sys_mmap works it out: execute always; read
 * if fp is open for reading; write if fp is open for writing, or
 * whatever its mode for a private mapping (its writes are copies).
 *
 * => returns 0 with it in *maxprotp; EACCES if prot asks for reading
 *    and fp is not open for it, or for writing a shared mapping and fp
 *    is not open for that.
 */
static int
uvm_mmap_fileprot(struct file *fp, vm_prot_t prot, bool shared,
    vm_prot_t *maxprotp)
{
	vm_prot_t maxprot = VM_PROT_EXECUTE;

	if (fp->f_flag & FREAD)
		maxprot |= VM_PROT_READ;
	else if (prot & VM_PROT_READ)
		return EACCES;
	if (!shared || (fp->f_flag & FWRITE))
		maxprot |= VM_PROT_WRITE;
	else if (prot & VM_PROT_WRITE)
		return EACCES;
	*maxprotp = maxprot;
	return 0;
}

/*
 * sys_mmap: map len bytes at addr, of anonymous memory (MMAP_ANON, fd
 * -1) or of the file open on descriptor fd from byte pos.
 *
 * => MMAP_SHARED: writes reach the object and every sharer sees them,
 *    and fork shares the range; MMAP_PRIVATE (also what a mapping that
 *    says neither gets, as on NetBSD): writes are copied on write and
 *    fork copies.  Shared anonymous memory gets its amap at once.
 * => without MMAP_FIXED, addr is a hint: the first hole at or above it,
 *    but never below the end of the largest data segment (vm_daddr +
 *    MAXDSIZ), which keeps brk its room.  With MMAP_FIXED the range is
 *    exactly there and replaces what was mapped.
 * => pos need not be page aligned: the mapping starts at its page and
 *    the address returned points at pos itself (with MMAP_FIXED, addr
 *    must have the same offset in its page).
 * => MMAP_ALIGNED(n): the range starts at a multiple of 2^n bytes, n at
 *    least the page shift.
 * => the maximum protection is VM_PROT_ALL for anonymous memory; for a
 *    file, what fd's mode allows (uvm_mmap_fileprot: a shared mapping of
 *    a descriptor not open for writing can never be made writable).
 *    If prot carries one with MMAP_PROT_MPROTECT (NetBSD's
 *    PROT_MPROTECT), it is that and prot, within the file's; mprotect
 *    cannot go above it.
 * => MMAP_WIRED, or an earlier mlockall(MLOCKALL_FUTURE), wires the
 *    pages as they are mapped.
 * => checks, in NetBSD's order: protection and flags; the length; a
 *    fixed range; the file argument; the alignment.
 * => returns 0 with the address in *retval; EINVAL for unknown flags or
 *    protection bits, MMAP_SHARED with MMAP_PRIVATE, a length that
 *    overflows, a fixed range that is unaligned, wraps or leaves user
 *    space, a descriptor other than -1 with MMAP_ANON, a negative pos,
 *    zero length, or a bad alignment; EBADF if fd is not an open
 *    descriptor (and not MMAP_ANON); EACCES if prot asks more than fd's
 *    mode allows (see uvm_mmap_fileprot); ENOMEM if there is no room or
 *    the pages cannot be wired within the limits; or, should wiring
 *    them fail (a file page past the end of its file), the fault's
 *    error.  On error nothing stays mapped.
 */
int
sys_mmap(struct proc *p, vaddr_t addr, vsize_t len, vm_prot_t prot, int flags,
    int fd, voff_t pos, vaddr_t *retval)
{
	struct vmspace *vm = p->p_vmspace;
	struct vm_map *map = &vm->vm_map;
	struct uvm_object *uobj = NULL;
	vsize_t size, pageoff, align = 0;
	vaddr_t floor;
	bool shared = (flags & MMAP_SHARED) != 0;
	vm_prot_t maxprot = VM_PROT_ALL, extra, fmaxprot;
	struct file *fp = NULL;
	int uvmflag, error, shift;

	if ((prot & ~(VM_PROT_ALL | MMAP_PROT_MPROTECT(VM_PROT_ALL))) != 0)
		return EINVAL;
	extra = MMAP_PROT_MPROTECT_EXTRACT(prot);
	prot &= VM_PROT_ALL;
	if (extra != 0)
		maxprot = prot | extra;
	if ((flags & ~MMAP_FLAGS) != 0 ||
	    (flags & (MMAP_SHARED | MMAP_PRIVATE)) ==
		(MMAP_SHARED | MMAP_PRIVATE))
		return EINVAL;
	/* anonymous memory has no file position: pos is not looked at */
	pageoff = (flags & MMAP_ANON) ? 0 : (vsize_t)pos & PAGE_MASK;
	size = round_page(len + pageoff);
	if (len + pageoff < len || size < len)
		return EINVAL;

	/*
	 * the address before the file argument, in NetBSD's order (its
	 * sys_mmap; its t_mmap.c's mmap_err wants EINVAL, not EBADF, for
	 * an unaligned MAP_FIXED address with no descriptor)
	 */
	if (flags & MMAP_FIXED) {
		addr -= pageoff;
		if ((addr & PAGE_MASK) != 0 || addr + size < addr ||
		    addr + size > VM_MAXUSER_ADDRESS)
			return EINVAL;
	} else {
		floor = round_page(vm->vm_daddr + MAXDSIZ);
		addr = round_page(addr);
		if (addr < floor)
			addr = floor;
	}
	if (flags & MMAP_ANON) {
		if (fd != -1)
			return EINVAL;
		pos = 0;
	} else {
		if ((fp = fd_getfile(p, fd)) == NULL)
			return EBADF;
		error = uvm_mmap_fileprot(fp, prot, shared, &fmaxprot);
		if (error)
			return error;
		maxprot &= fmaxprot;
	}
	if (pos < 0 || len == 0)
		return EINVAL;
	shift = (flags & MMAP_ALIGN_MASK) >> MMAP_ALIGN_SHIFT;
	if (shift != 0) {
		if (shift < (int)PAGE_SHIFT || shift >= 64)
			return EINVAL;
		align = (vsize_t)1 << shift;
		if (align >= VM_MAXUSER_ADDRESS)
			return ENOMEM;
		if (flags & MMAP_FIXED) {
			if ((addr & (align - 1)) != 0)
				return EINVAL;
			align = 0;
		}
	}

	if (fp != NULL) {
		uobj = fp->f_uobj;
		uobj->pgops->pgo_reference(uobj);
	}
	if (shared)
		uvmflag = uobj == NULL ? UVM_FLAG_OVERLAY : 0;
	else
		uvmflag = UVM_FLAG_COPYONW;
	if (flags & MMAP_FIXED)
		uvmflag |= UVM_FLAG_FIXED | UVM_FLAG_UNMAP;
	error = uvm_map(map, &addr, size, uobj, pos - (voff_t)pageoff, align,
	    UVM_MAPFLAG(prot, maxprot,
		shared ? MAP_INHERIT_SHARE : MAP_INHERIT_COPY, UVM_ADV_NORMAL,
		uvmflag));
	if (error) {
		if (uobj != NULL)
			uvn_detach(uobj);
		return error == EINVAL ? EINVAL : ENOMEM;
	}
	if ((flags & MMAP_WIRED) || (map->flags & VM_MAP_WIREFUTURE)) {
		error = uvm_mmap_wire(p, addr, addr + size);
		if (error) {
			(void)uvm_unmap(map, addr, addr + size);
			return error;
		}
	}
	*retval = addr + pageoff;
	return 0;
}

/*
 * sys_munmap: unmap [addr, addr + len).  Wired pages are unwired.
 *
 * => len 0 does nothing.
 * => returns 0; EINVAL for an unaligned address, a range that wraps or
 *    leaves user space, or one that is not all mapped (NetBSD's rule:
 *    nothing is unmapped then).
 */
int
sys_munmap(struct proc *p, vaddr_t addr, vsize_t len)
{
	struct vm_map *map = &p->p_vmspace->vm_map;
	vaddr_t start, end;
	int error;

	if ((error = uvm_mmap_arange(addr, len, &start, &end)) != 0)
		return error;
	if (start == end)
		return 0;
	if (!uvm_mmap_mapped(map, start, end))
		return EINVAL;
	return uvm_unmap(map, start, end) == 0 ? 0 : EINVAL;
}

/*
 * sys_mprotect: set the protection of [addr, addr + len).
 *
 * => lowering takes effect at once (the MMU's mappings change);
 *    raising at the next fault.
 * => returns 0; EINVAL for an unaligned address, a bad range or unknown
 *    protection bits; ENOMEM if part of the range is not mapped; EACCES
 *    if prot is above an entry's maximum protection (nothing changes).
 */
int
sys_mprotect(struct proc *p, vaddr_t addr, vsize_t len, vm_prot_t prot)
{
	struct vm_map *map = &p->p_vmspace->vm_map;
	vaddr_t start, end;
	int error;

	if ((prot & ~VM_PROT_ALL) != 0)
		return EINVAL;
	if ((error = uvm_mmap_arange(addr, len, &start, &end)) != 0)
		return error;
	if (!uvm_mmap_mapped(map, start, end))
		return ENOMEM;
	error = uvm_map_protect(map, start, end, prot, false);
	return error == 0 || error == EACCES || error == EINVAL ? error :
								  ENOMEM;
}

/*
 * sys_minherit: set what fork does with [addr, addr + len):
 * MAP_INHERIT_SHARE, _COPY, _NONE or _ZERO (a fresh zero-filled range).
 *
 * => holes in the range are passed over, as on NetBSD.
 * => returns 0; EINVAL for an unaligned address, a bad range or an
 *    unknown inheritance.
 */
int
sys_minherit(struct proc *p, vaddr_t addr, vsize_t len, int inherit)
{
	vaddr_t start, end;
	int error;

	if (inherit < MAP_INHERIT_SHARE || inherit > MAP_INHERIT_ZERO)
		return EINVAL;
	if ((error = uvm_mmap_arange(addr, len, &start, &end)) != 0)
		return error;
	error = uvm_map_inherit(&p->p_vmspace->vm_map, start, end,
	    (vm_inherit_t)inherit);
	return error == 0 || error == EINVAL ? error : ENOMEM;
}

/*
 * uvm_mmap_willneed: fault in, for reading, the pages of [start, end)
 * that are not mapped yet, from the start, as far as free memory goes.
 *
 * NetBSD 1.6 accepted MADV_WILLNEED and did nothing (its sys_madvise
 * returns at once, the fault handler lacking a mode that would not
 * sleep).  Here the pages are brought in, but it stays advice, with a
 * cost bounded by physical memory, never by the size of the range: a
 * range of 256 GB on a 64-page machine used to fault every one of its
 * 64M pages -- each fault making an amap chunk and an anon only for the
 * pagedaemon to page it out again -- and to take 2 GB of host memory.
 *
 * => stops when free memory is down to the pagedaemon's target (more
 *    pages would only push out the ones just brought in), and after
 *    looking at as many pages as the machine has (no more of the range
 *    can be resident at once).
 * => failures are ignored: a page that cannot be read is left alone.
 */
static void
uvm_mmap_willneed(struct vm_map *map, vaddr_t start, vaddr_t end)
{
	paddr_t pa;
	vaddr_t va;
	int looked = 0;

	for (va = start; va < end && looked < uvmexp.npages;
	     va += PAGE_SIZE, looked++) {
		if (pmap_extract(vm_map_pmap(map), va, &pa))
			continue;
		if (uvmexp.free <= uvmexp.freetarg)
			break;
		(void)uvm_fault(map, va, VM_FAULT_INVALID, VM_PROT_READ);
	}
}

/*
 * sys_madvise: advise the VM how [addr, addr + len) will be used.
 *
 * => MADVISE_NORMAL, _RANDOM, _SEQUENTIAL set the fault-ahead policy of
 *    the range (none for random; ahead, and behind deactivated, for
 *    sequential).
 * => MADVISE_WILLNEED faults the pages in now, as many as free memory
 *    allows (NetBSD 1.6 accepted it and did nothing; see
 *    uvm_mmap_willneed).
 * => MADVISE_DONTNEED deactivates the resident pages: they are the
 *    first the pagedaemon takes, and nothing is lost.
 * => MADVISE_FREE throws away the anonymous pages no one else shares:
 *    the next touch finds zeros (or the file again, in a private file
 *    mapping).
 * => returns 0; EINVAL for an unaligned address, a bad range or unknown
 *    advice; ENOMEM if part of the range is not mapped.
 */
int
sys_madvise(struct proc *p, vaddr_t addr, vsize_t len, int advice)
{
	struct vm_map *map = &p->p_vmspace->vm_map;
	vaddr_t start, end;
	int error;

	switch (advice) {
	case MADVISE_NORMAL:
	case MADVISE_RANDOM:
	case MADVISE_SEQUENTIAL:
	case MADVISE_WILLNEED:
	case MADVISE_DONTNEED:
	case MADVISE_FREE:
		break;
	default:
		return EINVAL;
	}
	if ((error = uvm_mmap_arange(addr, len, &start, &end)) != 0)
		return error;
	if (!uvm_mmap_mapped(map, start, end))
		return ENOMEM;
	switch (advice) {
	case MADVISE_NORMAL:
		error = uvm_map_advice(map, start, end, UVM_ADV_NORMAL);
		break;
	case MADVISE_RANDOM:
		error = uvm_map_advice(map, start, end, UVM_ADV_RANDOM);
		break;
	case MADVISE_SEQUENTIAL:
		error = uvm_map_advice(map, start, end, UVM_ADV_SEQUENTIAL);
		break;
	case MADVISE_WILLNEED:
		uvm_mmap_willneed(map, start, end);
		break;
	case MADVISE_DONTNEED:
		error = uvm_map_clean(map, start, end, PGO_DEACTIVATE);
		break;
	default:
		error = uvm_map_clean(map, start, end, PGO_FREE);
		break;
	}
	return error == 0 ? 0 : ENOMEM;
}

/*
 * sys_obreak: set the end of p's data segment to nsize (brk).
 *
 * => the segment starts at vm_daddr and grows or shrinks a page at a
 *    time: growing maps zero-fill private memory, shrinking unmaps.
 * => after mlockall(MLOCKALL_FUTURE) the new pages are wired too.
 * => returns 0; EINVAL for an end below the segment's start; ENOMEM if
 *    the new size exceeds RLIMIT_DATA, the space is taken or the new
 *    pages could not be wired.
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
		if ((vm->vm_map.flags & VM_MAP_WIREFUTURE) &&
		    uvm_mmap_wire(p, old, new) != 0) {
			(void)uvm_unmap(&vm->vm_map, old, new);
			return ENOMEM;
		}
		vm->vm_dsize += atop(new - old);
	} else {
		error = uvm_unmap(&vm->vm_map, new, old);
		if (error)
			return ENOMEM;
		vm->vm_dsize -= atop(old - new);
	}
	return 0;
}

/*
 * sys_mlock: wire [addr, addr + len) of p's address space.
 *
 * => addr need not be page aligned: the pages it touches are locked.
 * => returns 0; EINVAL for a range that wraps or leaves user space, or
 *    that holds a PROT_NONE mapping; EAGAIN when the pages would take p
 *    past RLIMIT_MEMLOCK or the machine past its wired-page limit;
 *    ENOMEM if part of the range is not mapped; or, should wiring a
 *    page fail, the fault's error (ENOMEM; EINVAL for a file page past
 *    the end of its file; EIO).  As NetBSD's sys_mlock, which passes
 *    uvm_map_pageable's error on but for EFAULT (not mapped).
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
	return error == EFAULT ? ENOMEM : error;
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
	if (!uvm_mmap_mapped(map, start, end))
		return ENOMEM;
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

/* a range of the map, for the calls that work entry by entry */
struct uvm_mmap_seg {
	vaddr_t start, end;
};

/*
 * uvm_mmap_segs: the entries of map that are (wired true) or are not
 * (false) wired, skipping PROT_NONE ones, into an array of host memory
 * (hostmem_zalloc: the host running out panics), freed by the caller.
 *
 * => returns the count, with their total size in *sizep.
 */
static int
uvm_mmap_segs(struct vm_map *map, bool wired, struct uvm_mmap_seg **segsp,
    vsize_t *sizep)
{
	struct vm_map_entry *e;
	struct uvm_mmap_seg *segs;
	int n = 0;

	vm_map_lock_read(map);
	segs = hostmem_zalloc((size_t)map->nentries + 1, sizeof(*segs));
	*sizep = 0;
	for (e = map->header.next; e != &map->header; e = e->next) {
		if ((e->wired_count > 0) != wired ||
		    (!wired && e->protection == VM_PROT_NONE))
			continue;
		segs[n].start = e->start;
		segs[n].end = e->end;
		*sizep += e->end - e->start;
		n++;
	}
	vm_map_unlock_read(map);
	*segsp = segs;
	return n;
}

/*
 * sys_mlockall: wire p's whole address space.
 *
 * => MLOCKALL_CURRENT wires every entry mapped now (PROT_NONE ones have
 *    nothing to wire); MLOCKALL_FUTURE makes mmap, and brk, wire what
 *    they map from now on, until munlockall.  Not inherited at fork.
 * => returns 0; EINVAL for no flags or unknown ones; ENOMEM if wiring
 *    what is mapped would pass RLIMIT_MEMLOCK or the machine's wired-page
 *    limit; EAGAIN if some of it could not be wired (then nothing this
 *    call wired stays wired).
 */
int
sys_mlockall(struct proc *p, int flags)
{
	struct vm_map *map = &p->p_vmspace->vm_map;
	struct uvm_mmap_seg *segs;
	struct kcleanup kc;
	vsize_t size;
	int error = 0, i, n;

	if (flags == 0 || (flags & ~(MLOCKALL_CURRENT | MLOCKALL_FUTURE)))
		return EINVAL;
	if (flags & MLOCKALL_CURRENT) {
		n = uvm_mmap_segs(map, false, &segs, &size);
		if ((int)atop(size) + uvmexp.wired > uvmexp.wiredmax ||
		    size + ptoa(pmap_wired_count(vm_map_pmap(map))) >
			p->p_rlimit[RLIMIT_MEMLOCK].rlim_cur) {
			free(segs);
			return ENOMEM;
		}
		/* the faults may wait for memory: hold segs safely */
		kcleanup_push(&kc, free, segs);
		for (i = 0; i < n; i++) {
			error = uvm_map_pageable(map, segs[i].start,
			    segs[i].end, false);
			if (error)
				break;
		}
		if (error) {
			while (i-- > 0)
				(void)uvm_map_pageable(map, segs[i].start,
				    segs[i].end, true);
		}
		kcleanup_pop(&kc);
		free(segs);
		if (error)
			return EAGAIN;
	}
	if (flags & MLOCKALL_FUTURE) {
		vm_map_lock(map);
		map->flags |= VM_MAP_WIREFUTURE;
		vm_map_unlock(map);
	}
	return 0;
}

/*
 * sys_munlockall: unwire all of p's address space, however it was
 * wired (mlock, mlockall, MMAP_WIRED), and stop wiring new mappings.
 *
 * => returns 0.
 */
int
sys_munlockall(struct proc *p)
{
	struct vm_map *map = &p->p_vmspace->vm_map;
	struct uvm_mmap_seg *segs;
	vsize_t size;
	int i, n;

	n = uvm_mmap_segs(map, true, &segs, &size);
	for (i = 0; i < n; i++)
		(void)uvm_map_pageable(map, segs[i].start, segs[i].end, true);
	free(segs);
	vm_map_lock(map);
	map->flags &= ~VM_MAP_WIREFUTURE;
	vm_map_unlock(map);
	return 0;
}

/*
 * sys_mincore: which pages of [addr, addr + len) are resident.
 *
 * => vec gets one byte per page: 1 if the page the range would see is
 *    in memory (the anon's page, else the object's), 0 if not.  A page
 *    being paged in or out counts as not resident; device memory always
 *    is.  vec is the caller's own buffer (the simulated programs keep no
 *    result vector in their memory).
 * => returns 0; EINVAL for an unaligned address, a length of 0 or a
 *    range that wraps (NetBSD's rule); ENOMEM for a range that leaves
 *    user space or is not all mapped.
 */
int
sys_mincore(struct proc *p, vaddr_t addr, vsize_t len, char *vec)
{
	struct vm_map *map = &p->p_vmspace->vm_map;
	struct vm_map_entry *entry;
	struct uvm_object *uobj;
	struct vm_anon *anon;
	struct vm_page *pg;
	vaddr_t start, end, va;

	/*
	 * NetBSD's order (1.6 and later alike, and what its t_mincore.c
	 * asks): an unaligned address, then the length rounded up to
	 * pages -- an empty range, or one whose end wraps, is EINVAL; a
	 * range past user space is not mapped, ENOMEM.
	 */
	if ((addr & PAGE_MASK) != 0)
		return EINVAL;
	start = addr;
	end = start + round_page(len);
	if (end <= start)
		return EINVAL;
	if (end > VM_MAXUSER_ADDRESS)
		return ENOMEM;
	vm_map_lock_read(map);
	if (!uvm_map_checkprot(map, start, end, VM_PROT_NONE)) {
		vm_map_unlock_read(map);
		return ENOMEM;
	}
	(void)uvm_map_lookup_entry(map, start, &entry);
	for (va = start; va < end; va += PAGE_SIZE, vec++) {
		while (va >= entry->end)
			entry = entry->next;
		uobj = entry->object.uvm_obj;
		if (uobj != NULL && UVM_OBJ_IS_DEVICE(uobj)) {
			*vec = 1;
			continue;
		}
		pg = NULL;
		anon = entry->aref.ar_amap == NULL ?
		    NULL :
		    amap_lookup(&entry->aref, va - entry->start);
		if (anon != NULL)
			pg = anon->an_page;
		else if (uobj != NULL)
			pg = uvm_pagelookup(uobj,
			    entry->offset + (voff_t)(va - entry->start));
		*vec = pg != NULL && (pg->flags & PG_BUSY) == 0;
	}
	vm_map_unlock_read(map);
	return 0;
}
