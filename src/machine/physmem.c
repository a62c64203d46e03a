/*
 * physmem.c: the simulated physical memory, a host buffer of real bytes.
 */

#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>

#include "machine/physmem.h"

size_t physmem;
uint8_t *physmem_host;
struct vm_page *physmem_pages;
bool physmem_hugepages = true;

/* the host's huge page, which transparent huge pages are made of */
#define PHYSMEM_HUGE ((size_t)2 << 20)

/*
 * physmem_map: len bytes of zeroed anonymous host memory, or NULL.
 *
 * => with physmem_hugepages and len of a huge page or more, the memory
 *    starts on a huge-page boundary (the slack mapped around it is
 *    unmapped again) and the host is asked to back it with transparent
 *    huge pages, so that one host fault brings in 2 MiB and the host's
 *    TLB covers the machine with few entries.  A host that cannot
 *    (no THP, or THP off) gives small pages and the advice is ignored:
 *    nothing the simulation sees depends on it.
 */
static void *
physmem_map(size_t len)
{
	size_t slack, head;
	char *p;

	if (!physmem_hugepages || len < PHYSMEM_HUGE) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		return p == MAP_FAILED ? NULL : p;
	}
	if (len > SIZE_MAX - PHYSMEM_HUGE)
		return NULL;
	slack = PHYSMEM_HUGE;
	p = mmap(NULL, len + slack, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	head = (PHYSMEM_HUGE - (uintptr_t)p % PHYSMEM_HUGE) % PHYSMEM_HUGE;
	if (head > 0)
		munmap(p, head);
	if (slack - head > 0)
		munmap(p + head + len, slack - head);
	p += head;
#ifdef MADV_HUGEPAGE
	(void)madvise(p, len, MADV_HUGEPAGE);
#endif
	return p;
}

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
	p = physmem_map(ptoa(npages));
	if (p == NULL)
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
