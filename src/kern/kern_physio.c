/*
 * kern_physio.c: raw devices and physio -- I/O straight between a
 * device and a process's buffer, with no copy through the kernel.
 *
 * physio checks that the process may access the buffer (uvm_useracc),
 * wires it (uvm_vslock) so that its pages can neither move nor leave
 * memory while the device works on them, moves the data a page at a time
 * by physical address, as DMA does, and unwires it (uvm_vsunlock).  The
 * process is held in memory meanwhile (PHOLD: the swapper leaves it be).
 * A raw device is a block of bytes with a transfer time per page.
 */

#include <errno.h>
#include <stdlib.h>

#include "kern/kern.h"
#include "machine/hostmem.h"

static int physio_chan; /* transfers wait here (for their time) */

/* rawdev_create: a raw device of size bytes, xfer_us per page moved */
struct rawdev *
rawdev_create(size_t size, simtime_t xfer_us)
{
	struct rawdev *rd;

	rd = hostmem_zalloc(1, sizeof(*rd));
	rd->rd_data = hostmem_zalloc(1, MAX(size, 1));
	rd->rd_size = size;
	rd->rd_xfer_us = xfer_us;
	return rd;
}

/* rawdev_destroy: give the device's bytes back */
void
rawdev_destroy(struct rawdev *rd)
{
	free(rd->rd_data);
	free(rd);
}

/*
 * physio: transfer len bytes between device offset devoff and the
 * running process p's buffer at uaddr: B_READ reads the device into
 * memory, B_WRITE writes memory to the device.
 *
 * => sleeps for the transfer time.
 * => returns 0; EINVAL for a range outside the device; EFAULT if the
 *    buffer is not all mapped with the access the transfer needs; or
 *    ENOMEM if its pages could not be wired.
 */
int
physio(struct proc *p, struct rawdev *rd, voff_t devoff, vaddr_t uaddr,
    size_t len, int rw)
{
	struct pmap *pmap = vm_map_pmap(&p->p_vmspace->vm_map);
	simtime_t done;
	vaddr_t va;
	paddr_t pa;
	size_t n, off;
	uint8_t *mem;
	int error;

	KASSERT(p == curproc && (rw == B_READ || rw == B_WRITE));
	if (devoff < 0 || (size_t)devoff > rd->rd_size ||
	    len > rd->rd_size - (size_t)devoff)
		return EINVAL;
	if (len == 0)
		return 0;
	/* reading the device writes memory, and the other way round */
	if (!uvm_useracc(uaddr, len, rw == B_READ ? B_WRITE : B_READ))
		return EFAULT;

	PHOLD(p);
	error = uvm_vslock(p, uaddr, len,
	    rw == B_READ ? VM_PROT_READ | VM_PROT_WRITE : VM_PROT_READ);
	if (error) {
		PRELE(p);
		return error == ENOMEM ? ENOMEM : EFAULT;
	}
	for (off = 0; off < len; off += n) {
		va = uaddr + off;
		n = MIN(len - off, PAGE_SIZE - (va & PAGE_MASK));
		if (!pmap_extract(pmap, va, &pa))
			panic("%s: wired page at 0x%llx has no mapping",
			    __func__, (unsigned long long)va);
		mem = physmem_hostaddr(pa);
		if (rw == B_READ) {
			memcpy(mem, rd->rd_data + devoff + off, n);
			/* DMA sets no modified bit: the VM must know */
			PHYS_TO_VM_PAGE(pa)->flags &= ~PG_CLEAN;
		} else
			memcpy(rd->rd_data + devoff + off, mem, n);
		rd->rd_pages++;
	}
	if (rw == B_READ)
		rd->rd_reads++;
	else
		rd->rd_writes++;
	done = clock_now() + rd->rd_xfer_us * kern_npages(uaddr, len);
	while (clock_now() < done)
		(void)tsleep_until(&physio_chan, PRIBIO, "physio", done);
	uvm_vsunlock(p, uaddr, len);
	PRELE(p);
	return 0;
}
