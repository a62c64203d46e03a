/*
 * uvm_bio.c: the unified buffer cache -- read and write of a file go
 * through the same pages as its mappings.
 *
 * NetBSD 1.6 moved file data out of the buffer cache into the vnode's
 * memory object: VOP_READ and VOP_WRITE open a window on the object's
 * pages (ubc_alloc), copy between it and the user's buffer, and close
 * it (ubc_release).  A page missing from memory is brought in through
 * the pager, as a fault on a mapping brings it in, so one copy of each
 * page serves both: a write is seen at once by every shared mapping
 * (and by private ones that have not copied the page yet), and a store
 * through a mapping is seen by the next read.  Written pages are only
 * marked dirty; the pager writes them back later (the pagedaemon,
 * msync, fsync, the last close of the open file written through).
 *
 *	read	page resident?  no: pgo_get reads it (and reads ahead)
 *		copy page -> bounce buffer, release, copyout
 *	write	copyin -> bounce buffer; extend the file if the write
 *		goes past its end; page resident?  no: pgo_get reads it,
 *		unless the write covers all of its bytes that are in the
 *		file (then a zero-filled page, no read: NetBSD's
 *		overwrite); copy bounce buffer -> page, mark it dirty
 *
 * How uvmsim departs from NetBSD: the window is not a mapping in the
 * kernel's address space faulted by ubc_fault, but the page itself,
 * held busy while the window is open; so that a page is never held
 * across a sleep, the user's bytes pass through a bounce buffer of one
 * page, and copyin and copyout (which may fault, and sleep, on a page
 * of this very file) happen with no window open.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "machine/hostmem.h"
#include "sys/proc.h"
#include "uvm/uvm.h"

/*
 * ubc_alloc: open a window on the bytes [off, off + *lenp) of the file
 * object uobj, cut at the end of the page off is in (*lenp becomes the
 * window's length).
 *
 * => UBC_READ, UBC_WRITE: the page is brought in through the pager,
 *    read from the file if it is not resident; UBC_WRITE|UBC_OVERWRITE:
 *    the caller writes every byte of the page that is inside the file,
 *    so a page that is not resident is made zero-filled, not read.
 * => the page must be inside the file (a write past the end extends it
 *    first).  It is busy until ubc_release: the caller must not sleep
 *    in between.
 * => waits for memory as the fault handler does.
 * => returns 0 and the window in *win; EIO if the page could not be
 *    read; EINVAL if it is past the end of the file; ENOMEM if memory
 *    and swap are both gone (or there is no thread to wait in).
 */
int
ubc_alloc(struct uvm_object *uobj, voff_t off, vsize_t *lenp, int flags,
    struct ubc_window *win)
{
	voff_t pgoff = (voff_t)trunc_page(off);
	struct vm_page *pg;
	int npages, error;

	KASSERT(UVM_OBJ_IS_VNODE(uobj) && off >= 0);
	KASSERT((flags & (UBC_READ | UBC_WRITE)) != 0);
	*lenp = MIN(*lenp, (vsize_t)(pgoff + (voff_t)PAGE_SIZE - off));
	for (;;) {
		pg = uvm_pagelookup(uobj, pgoff);
		if (pg == NULL && (flags & UBC_OVERWRITE)) {
			pg = uvm_pagealloc(uobj, pgoff, NULL, UVM_PGA_ZERO);
			error = pg == NULL ? ENOMEM : 0;
		} else {
			pg = NULL;
			npages = 1;
			error = uobj->pgops->pgo_get(uobj, pgoff, &pg, &npages,
			    0,
			    (flags & UBC_WRITE) ? VM_PROT_READ | VM_PROT_WRITE :
						  VM_PROT_READ,
			    UVM_ADV_NORMAL, PGO_SYNCIO);
		}
		if (error == 0)
			break;
		if (error != ENOMEM || uvm_swapisfull() || curproc == NULL)
			return error;
		uvm_wait("ubcalloc");
	}
	KASSERT(pg->flags & PG_BUSY);
	pg->flags &= ~PG_FAKE;
	win->uw_pg = pg;
	win->uw_va =
	    (uint8_t *)physmem_hostaddr(VM_PAGE_TO_PHYS(pg)) + (off - pgoff);
	win->uw_len = *lenp;
	return 0;
}

/*
 * ubc_release: close the window; with UBC_WRITE its page is dirty
 * (the pager writes it back later).  The page becomes active: it was
 * just used.
 */
void
ubc_release(struct ubc_window *win, int flags)
{
	struct vm_page *pg = win->uw_pg;

	KASSERT(pg->flags & PG_BUSY);
	if (flags & UBC_WRITE)
		pg->flags &= ~PG_CLEAN;
	uvm_pageactivate(pg);
	if (pg->flags & PG_WANTED)
		wakeup(pg);
	pg->flags &= ~(PG_BUSY | PG_WANTED);
	win->uw_pg = NULL;
	win->uw_va = NULL;
}

/*
 * ubc_uiomove: move len bytes between user address uaddr of vm and
 * the file object uobj at byte off: UBC_READ from the file to the
 * user, UBC_WRITE from the user to the file.
 *
 * => a read stops at the end of the file: *donep may be short, 0 at or
 *    past the end.  A write past the end extends the file (the gap, if
 *    any, reads as zeros).
 * => a page at a time; the bytes moved before an error stay moved (and
 *    a write that extended the file keeps the part written), as
 *    NetBSD's uiomove leaves them.  A page whose write extended the
 *    file and then failed is cut off again.
 * => returns 0 with the count moved in *donep; EFAULT if the user's
 *    buffer could not be read or written; EIO if a page could not be
 *    read from the file; the host's error if the file could not be
 *    extended (ENOSPC, EFBIG); ENOMEM as ubc_alloc.
 */
int
ubc_uiomove(struct uvm_object *uobj, struct vmspace *vm, vaddr_t uaddr,
    voff_t off, size_t len, int flags, size_t *donep)
{
	struct ubc_window win;
	struct kcleanup kc;
	voff_t size, pgoff;
	uint8_t *buf;
	vsize_t n;
	int error = 0, wflags;

	KASSERT((flags & (UBC_READ | UBC_WRITE)) == UBC_READ ||
	    (flags & (UBC_READ | UBC_WRITE)) == UBC_WRITE);
	*donep = 0;
	buf = hostmem_alloc(PAGE_SIZE);
	/* copyin, copyout and the pager may sleep for good */
	kcleanup_push(&kc, free, buf);
	while (len > 0) {
		pgoff = (voff_t)trunc_page(off);
		n = MIN(len, (vsize_t)(pgoff + (voff_t)PAGE_SIZE - off));
		size = uvn_size(uobj);
		if (flags & UBC_WRITE) {
			if ((error = uvm_copyin(vm, uaddr, buf, n)) != 0)
				break;
			/* the file may have changed while copyin slept */
			size = uvn_size(uobj);
			wflags = UBC_WRITE;
			if (pgoff >= size ||
			    (off == pgoff &&
				off + (voff_t)n >=
				    MIN(pgoff + (voff_t)PAGE_SIZE, size)))
				wflags |= UBC_OVERWRITE;
			if (off + (voff_t)n > size &&
			    (error = uvn_truncate(uobj, off + (voff_t)n)) != 0)
				break;
		} else {
			if (off >= size)
				break;
			n = MIN(n, (vsize_t)(size - off));
			wflags = UBC_READ;
		}
		error = ubc_alloc(uobj, off, &n, wflags, &win);
		if (error) {
			if (flags & UBC_WRITE) {
				if (off + (voff_t)n > size)
					(void)uvn_truncate(uobj, size);
			} else if (error == EINVAL)
				error = 0; /* truncated meanwhile: the end */
			break;
		}
		if (flags & UBC_WRITE)
			memcpy(win.uw_va, buf, n);
		else {
			/* the pager may have slept: the end may have moved */
			size = uvn_size(uobj);
			n = off < size ? MIN(n, (vsize_t)(size - off)) : 0;
			memcpy(buf, win.uw_va, n);
		}
		ubc_release(&win, wflags);
		if (n == 0)
			break;
		if (!(flags & UBC_WRITE) &&
		    (error = uvm_copyout(vm, buf, uaddr, n)) != 0)
			break;
		off += (voff_t)n;
		uaddr += n;
		len -= n;
		*donep += n;
	}
	kcleanup_pop(&kc);
	free(buf);
	return error;
}
