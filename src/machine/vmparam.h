/*
 * vmparam.h: page size and virtual address layout of the simulated machine.
 *
 * The page size is chosen at boot (a power of two between PAGE_SIZE_MIN
 * and PAGE_SIZE_MAX), so PAGE_SIZE and friends are expressions, as on the
 * NetBSD ports whose page size is only known at run time.
 *
 * Virtual addresses are VM_VA_BITS wide.  User space is the lower half,
 * kernel space the upper half; every pmap has its own page tables, and the
 * kernel pmap only ever maps kernel addresses:
 *
 *	0                 VM_MAXUSER_ADDRESS          VM_MAX_KERNEL_ADDRESS
 *	|   user space    | kernel space                |
 *	+-----------------+-----------------------------+
 *	                  ^ USRSTACK (stack grows down from here)
 */

#ifndef _MACHINE_VMPARAM_H_
#define _MACHINE_VMPARAM_H_

#include "machine/types.h"

extern unsigned int page_shift; /* log2(PAGE_SIZE), set by machine_boot */

#define PAGE_SHIFT	  page_shift
#define PAGE_SIZE	  ((vsize_t)1 << page_shift)
#define PAGE_MASK	  (PAGE_SIZE - 1)
#define PAGE_SIZE_MIN	  512
#define PAGE_SIZE_MAX	  65536
#define PAGE_SIZE_DEFAULT 4096

/*
 * the u-area: UPAGES pages of kernel memory per process, chosen at boot
 * (by default enough for 16 KiB, and at least 2 pages)
 */
extern unsigned int upages;
#define UPAGES		     upages
#define USPACE		     ((vsize_t)UPAGES * PAGE_SIZE)
#define USPACE_BYTES_DEFAULT 16384

#define trunc_page(x) ((vaddr_t)(x) & ~PAGE_MASK)
#define round_page(x) (((vaddr_t)(x) + PAGE_MASK) & ~PAGE_MASK)
#define atop(x)	      ((uint64_t)(x) >> PAGE_SHIFT)
#define ptoa(x)	      ((uint64_t)(x) << PAGE_SHIFT)

#define VM_VA_BITS	      40
#define VM_MIN_ADDRESS	      ((vaddr_t)0)
#define VM_MAXUSER_ADDRESS    ((vaddr_t)1 << (VM_VA_BITS - 1))
#define VM_MAX_ADDRESS	      VM_MAXUSER_ADDRESS
#define VM_MIN_KERNEL_ADDRESS VM_MAXUSER_ADDRESS
#define VM_MAX_KERNEL_ADDRESS ((vaddr_t)1 << VM_VA_BITS)
#define USRSTACK	      VM_MAXUSER_ADDRESS

/*
 * struct vm_page_md: the pmap's part of every struct vm_page, 8 bytes.
 * It holds the page's first mapping itself -- its pmap by number and its
 * virtual page number -- since most pages have exactly one, which then
 * costs no pv entry; further mappings are pv entries in the pmap's hash
 * (pmap.c), as NetBSD-current's x86 pmap embeds one pv entry in the page
 * and hashes the rest.  NetBSD 1.6 keeps a pointer to a list of pv
 * entries instead; uvmsim departs from it for issue 15's memory goal.
 */
struct vm_page_md {
	uint16_t mdpg_pmap; /* the first mapping's pmap number; 0: none */
	uint8_t mdpg_attrs; /* PMAP_ATTR_*: saved R/M bits, more mappings */
	uint8_t mdpg_spare;
	uint32_t mdpg_vpn; /* the first mapping's virtual page number */
};

#endif /* _MACHINE_VMPARAM_H_ */
