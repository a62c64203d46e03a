/*
 * physmem.h: the simulated physical memory.
 *
 * Physical memory is one host buffer of physmem pages, holding the real
 * bytes; physical address pa lives at physmem_host + pa.  Physical
 * addresses run from 0 to ptoa(physmem).  The VM system describes each
 * physical page with a struct vm_page; the page layer hands that array to
 * the machine with physmem_attach_pages() so the pmap can find the page
 * behind a physical address.
 */

#ifndef _MACHINE_PHYSMEM_H_
#define _MACHINE_PHYSMEM_H_

#include "machine/kassert.h"
#include "machine/vmparam.h"

struct vm_page;

extern size_t physmem;		      /* pages of physical memory */
extern uint8_t *physmem_host;	      /* their bytes */
extern struct vm_page *physmem_pages; /* their vm_page array */
/* ask the host for huge pages under the bytes (default true; physmem.c) */
extern bool physmem_hugepages;

int physmem_init(size_t npages);
void physmem_fini(void);
void physmem_attach_pages(struct vm_page *);

static inline bool
physmem_valid(paddr_t pa)
{
	return atop(pa) < physmem;
}

/* the host address of physical address pa */
static inline void *
physmem_hostaddr(paddr_t pa)
{
	KASSERTMSG(physmem_valid(pa), "%s: pa 0x%llx outside memory", __func__,
	    (unsigned long long)pa);
	return physmem_host + pa;
}

/* the vm_page of physical address pa */
#define PHYS_TO_VM_PAGE(pa) (&physmem_pages[atop(pa)])

#endif /* _MACHINE_PHYSMEM_H_ */
