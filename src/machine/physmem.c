/*
 * physmem.c: the simulated physical memory, a host buffer of real bytes.
 */

#include <errno.h>
#include <sys/mman.h>

#include "machine/physmem.h"

size_t physmem;
uint8_t *physmem_host;
struct vm_page *physmem_pages;

/*
 * physmem_init: create npages of physical memory, all bytes zero.
 *
 * => the page size (page_shift) must already be set.
 * => returns 0, EINVAL for a zero size or one that overflows, or ENOMEM
 *    if the host cannot provide the memory.
 */
int
physmem_init(size_t npages)
{
	void *p;

	KASSERT(physmem_host == NULL);
	if (npages == 0 || npages > (SIZE_MAX >> PAGE_SHIFT))
		return EINVAL;
	/* anonymous host memory is zero and costs nothing until touched */
	p = mmap(NULL, ptoa(npages), PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return ENOMEM;
	physmem_host = p;
	physmem = npages;
	return 0;
}

void
physmem_fini(void)
{
	if (physmem_host != NULL)
		munmap(physmem_host, ptoa(physmem));
	physmem_host = NULL;
	physmem_pages = NULL;
	physmem = 0;
}

void
physmem_attach_pages(struct vm_page *pages)
{
	physmem_pages = pages;
}
