/*
 * kern_mem.c: /dev/kmem -- a process reads or writes kernel memory.
 *
 * Every transfer is checked with uvm_kernacc first: the kernel map must
 * allow it, and the buffer cache's pages, managed behind the VM system's
 * back, are out of bounds.
 */

#include <errno.h>

#include "kern/kern.h"

/*
 * kmem_rw: move len bytes between kernel address kva and p's buffer at
 * uaddr, a page at a time through a bounce buffer.
 *
 * => returns 0, or EFAULT if the kernel range may not be accessed or
 *    the user buffer cannot be.
 */
static int
kmem_rw(struct proc *p, vaddr_t kva, vaddr_t uaddr, size_t len, int rw)
{
	uint8_t buf[512];
	size_t n, off;

	KASSERT(p == curproc);
	if (!uvm_kernacc(kva, len, rw))
		return EFAULT;
	for (off = 0; off < len; off += n) {
		n = MIN(len - off, sizeof(buf));
		if (rw == B_READ) {
			if (uvm_kio(kva + off, buf, n, false) != 0 ||
			    uvm_copyout(p->p_vmspace, buf, uaddr + off, n) != 0)
				return EFAULT;
		} else {
			if (uvm_copyin(p->p_vmspace, uaddr + off, buf, n) !=
				0 ||
			    uvm_kio(kva + off, buf, n, true) != 0)
				return EFAULT;
		}
	}
	return 0;
}

int
kmem_read(struct proc *p, vaddr_t kva, vaddr_t uaddr, size_t len)
{
	return kmem_rw(p, kva, uaddr, len, B_READ);
}

int
kmem_write(struct proc *p, vaddr_t kva, vaddr_t uaddr, size_t len)
{
	return kmem_rw(p, kva, uaddr, len, B_WRITE);
}
