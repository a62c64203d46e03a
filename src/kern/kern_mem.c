/*
 * kern_mem.c: /dev/kmem -- a process reads kernel memory.
 *
 * Every transfer is checked with uvm_kernacc first: the kernel map must
 * allow it, and the buffer cache's pages, managed behind the VM system's
 * back, are out of bounds.  (NetBSD's /dev/kmem writes too; nothing in
 * uvmsim writes kernel memory from a process, so only the read is here.)
 */

#include <errno.h>

#include "kern/kern.h"

#define KMEM_BOUNCE 512 /* bytes moved at a time */

/*
 * kmem_read: copy len bytes at kernel address kva to p's buffer at
 * uaddr, through a bounce buffer.
 *
 * => returns 0, or EFAULT if the kernel range may not be read or the
 *    user buffer cannot be written.
 */
int
kmem_read(struct proc *p, vaddr_t kva, vaddr_t uaddr, size_t len)
{
	uint8_t buf[KMEM_BOUNCE];
	size_t n, off;

	KASSERT(p == curproc);
	if (!uvm_kernacc(kva, len, B_READ))
		return EFAULT;
	for (off = 0; off < len; off += n) {
		n = MIN(len - off, sizeof(buf));
		if (uvm_kio(kva + off, buf, n, false) != 0 ||
		    uvm_copyout(p->p_vmspace, buf, uaddr + off, n) != 0)
			return EFAULT;
	}
	return 0;
}
