/*
 * machdep.c: the simulated machine's configuration, boot and shutdown.
 */

#include <errno.h>

#include "machine/machdep.h"
#include "machine/physmem.h"
#include "machine/pmap.h"

unsigned int page_shift;
struct swapdisk *swapdisk0;

void
machine_config_default(struct machine_config *mc)
{
	mc->mc_npages = MACHINE_NPAGES_DEFAULT;
	mc->mc_pagesize = PAGE_SIZE_DEFAULT;
	mc->mc_swapslots = MACHINE_SWAPSLOTS_DEFAULT;
	mc->mc_swapfile = NULL;
	mc->mc_disk.dt_seek_us = DISK_SEEK_US_DEFAULT;
	mc->mc_disk.dt_xfer_us = DISK_XFER_US_DEFAULT;
}

/*
 * machine_pagesize_check: can the MMU use pages of this size?
 *
 * => returns NULL if so, else a sentence saying what is wrong.
 */
const char *
machine_pagesize_check(size_t pagesize)
{
	if (pagesize < PAGE_SIZE_MIN || pagesize > PAGE_SIZE_MAX ||
	    !powerof2(pagesize))
		return "page size must be a power of two from 512 to 65536";
	return NULL;
}

/*
 * machine_config_check: is this a machine that can be built?
 *
 * => returns NULL if so, else a sentence saying what is wrong.
 */
const char *
machine_config_check(const struct machine_config *mc)
{
	const char *why;

	if ((why = machine_pagesize_check(mc->mc_pagesize)) != NULL)
		return why;
	if (mc->mc_npages < 16)
		return "physical memory must be at least 16 pages";
	if (mc->mc_npages > ((size_t)1 << 24))
		return "physical memory must be at most 16777216 pages";
	if (mc->mc_swapslots < 1)
		return "swap must be at least one page";
	if (mc->mc_swapslots > ((size_t)1 << 28))
		return "swap must be at most 268435456 pages";
	return NULL;
}

/*
 * machine_boot: power the machine on -- set the page size, create
 * physical memory, attach the swap disk and start the MMU.
 *
 * => the configuration must pass machine_config_check.
 * => returns 0 or an errno value (host memory or the swap file); nothing
 *    is left allocated on failure.
 */
int
machine_boot(const struct machine_config *mc)
{
	int error;

	KASSERT(machine_config_check(mc) == NULL);
	page_shift = (unsigned int)__builtin_ctzl(mc->mc_pagesize);
	error = physmem_init(mc->mc_npages);
	if (error)
		return error;
	error = swapdisk_open(&swapdisk0, mc->mc_swapfile, mc->mc_swapslots,
	    mc->mc_pagesize, &mc->mc_disk);
	if (error) {
		physmem_fini();
		return error;
	}
	pmap_bootstrap();
	return 0;
}

/*
 * machine_shutdown: power off.
 *
 * => the VM system must be stopped first (uvm_fini, which also stops the
 *    MMU: it needs the vm_pages to tear the kernel pmap down).
 */
void
machine_shutdown(void)
{
	swapdisk_close(swapdisk0);
	swapdisk0 = NULL;
	physmem_fini();
}
