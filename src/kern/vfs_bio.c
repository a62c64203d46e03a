/*
 * vfs_bio.c: the buffer cache's kernel virtual memory.
 *
 * uvmsim has no file system, so no buffer cache runs; but the region a
 * NetBSD kernel reserves for it at boot is reserved here the same way:
 * address space in kernel_map whose pages the buffer cache would enter
 * and remove itself, behind the VM system's back.  The VM system must
 * not fault pages into it -- hence the exception in uvm_kernacc -- and
 * the region is there for that exception to guard.
 */

#include "kern/kern.h"

vaddr_t buffers;
int nbuf = 16;

/* bufinit: reserve nbuf buffers of MAXBSIZE bytes (boot) */
void
bufinit(void)
{
	buffers = uvm_km_valloc(kernel_map, (vsize_t)MAXBSIZE * nbuf);
	if (buffers == 0)
		panic("%s: no kernel address space for the buffers", __func__);
}

/* buffini: give the buffers' address space back (shutdown) */
void
buffini(void)
{
	uvm_km_free(kernel_map, buffers, (vsize_t)MAXBSIZE * nbuf);
	buffers = 0;
}
