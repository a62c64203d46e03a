/*
 * machdep.c: the simulated machine's configuration, boot and shutdown.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "machine/clock.h"
#include "machine/machdep.h"
#include "machine/physmem.h"
#include "machine/pmap.h"

unsigned int page_shift;
unsigned int upages;
struct swapdisk *swapdisk0;
char machine_boot_why[256];

void
machine_config_default(struct machine_config *mc)
{
	mc->mc_npages = MACHINE_NPAGES_DEFAULT;
	mc->mc_pagesize = PAGE_SIZE_DEFAULT;
	mc->mc_swapslots = MACHINE_SWAPSLOTS_DEFAULT;
	mc->mc_swapfile = NULL;
	mc->mc_disk.dt_seek_us = DISK_SEEK_US_DEFAULT;
	mc->mc_disk.dt_xfer_us = DISK_XFER_US_DEFAULT;
	mc->mc_upages = 0;
	mc->mc_hz = MACHINE_HZ_DEFAULT;
	mc->mc_quantum_us = MACHINE_QUANTUM_DEFAULT;
	mc->mc_maxslp = MACHINE_MAXSLP_DEFAULT;
#if defined(__x86_64__)
	mc->mc_switch = CPU_SWITCH_ASM;
#else
	mc->mc_switch = CPU_SWITCH_UCONTEXT;
#endif
	mc->mc_stacksize = 0;
	mc->mc_kstack_check = false;
	mc->mc_filedir = NULL;
	mc->mc_coredir = NULL;
	mc->mc_core_netbsd = false;
	mc->mc_policy = NULL;
	memset(mc->mc_fail, 0, sizeof(mc->mc_fail));
}

/* machine_upages: the u-area size mc asks for, in pages */
unsigned int
machine_upages(const struct machine_config *mc)
{
	if (mc->mc_upages != 0)
		return mc->mc_upages;
	return (unsigned int)MAX(2, USPACE_BYTES_DEFAULT / mc->mc_pagesize);
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

/* the messages below spell the limits out */
_Static_assert(MACHINE_NPAGES_MIN == 16 && MACHINE_NPAGES_MAX == 16777216 &&
	MACHINE_SWAPSLOTS_MIN == 1 && MACHINE_SWAPSLOTS_MAX == 268435456 &&
	MACHINE_UPAGES_MAX == 64 && MACHINE_USPACE_MIN == 8192 &&
	MACHINE_HZ_MIN == 1 && MACHINE_HZ_MAX == 10000 &&
	MACHINE_MAXSLP_MIN == 1 && MACHINE_MAXSLP_MAX == 3600,
    "machine_config_check's messages say other limits");

/*
 * machine_config_check: is this a machine that can be built?
 *
 * => returns NULL if so, else a sentence saying what is wrong.
 */
const char *
machine_config_check(const struct machine_config *mc)
{
	const char *why;
	int i;

	if ((why = machine_pagesize_check(mc->mc_pagesize)) != NULL)
		return why;
	if (mc->mc_npages < MACHINE_NPAGES_MIN)
		return "physical memory must be at least 16 pages";
	if (mc->mc_npages > MACHINE_NPAGES_MAX)
		return "physical memory must be at most 16777216 pages";
	if (mc->mc_swapslots < MACHINE_SWAPSLOTS_MIN)
		return "swap must be at least one page";
	if (mc->mc_swapslots > MACHINE_SWAPSLOTS_MAX)
		return "swap must be at most 268435456 pages";
	if (mc->mc_upages > MACHINE_UPAGES_MAX)
		return "the u-area must be at most 64 pages";
	/*
	 * the u-area's kernel stack holds a thread's host stack while it is
	 * swapped out: a fault that sleeps in a page-in needs some 6 KiB of
	 * it, 8 KiB under AddressSanitizer, so 4 KiB overflowed
	 */
	if (machine_upages(mc) * mc->mc_pagesize < MACHINE_USPACE_MIN)
		return "the u-area must be at least 8192 bytes";
	if (mc->mc_hz < MACHINE_HZ_MIN || mc->mc_hz > MACHINE_HZ_MAX)
		return "hz must be from 1 to 10000";
	if (mc->mc_maxslp < MACHINE_MAXSLP_MIN ||
	    mc->mc_maxslp > MACHINE_MAXSLP_MAX)
		return "maxslp must be from 1 to 3600 seconds";
	if (!cpu_switch_method_available(mc->mc_switch))
		return "that context switch method is not available here";
	if (mc->mc_stacksize != 0 && mc->mc_stacksize < 65536)
		return "thread stacks must be at least 65536 bytes";
	for (i = 0; i < FP_NPOINTS; i++)
		if (mc->mc_fail[i].fs_set && mc->mc_fail[i].fs_error < 0)
			return "a failpoint's error must be an errno value";
	return NULL;
}

/*
 * machine_boot: power the machine on -- arm the failpoints the
 * configuration names, set the page size, create physical memory,
 * attach the swap disk and start the MMU.
 *
 * => the configuration must pass machine_config_check.
 * => returns 0 or an errno value (host memory or the swap file), with
 *    machine_boot_why saying what failed; nothing is left allocated or
 *    armed on failure.
 */
int
machine_boot(const struct machine_config *mc)
{
	const struct failpoint_setting *fs;
	int error, i;

	KASSERT(machine_config_check(mc) == NULL);
	machine_boot_why[0] = '\0';
	for (i = 0; i < FP_NPOINTS; i++) {
		fs = &mc->mc_fail[i];
		if (fs->fs_set)
			failpoint_arm_error(i, fs->fs_skip, fs->fs_fail,
			    fs->fs_error);
	}
	page_shift = (unsigned int)__builtin_ctzl(mc->mc_pagesize);
	upages = machine_upages(mc);
	clock_reset();
	cpu_init(mc->mc_switch, mc->mc_stacksize);
	error = physmem_init(mc->mc_npages);
	if (error) {
		snprintf(machine_boot_why, sizeof(machine_boot_why),
		    "cannot allocate %zu pages of physical memory%s: %s",
		    mc->mc_npages,
		    error == ENOMEM ? " (too large for the host)" : "",
		    strerror(error));
		failpoint_reset_all();
		return error;
	}
	error = swapdisk_open(&swapdisk0, mc->mc_swapfile, mc->mc_swapslots,
	    mc->mc_pagesize, &mc->mc_disk);
	if (error) {
		if (mc->mc_swapfile != NULL)
			snprintf(machine_boot_why, sizeof(machine_boot_why),
			    "cannot create the swap file %s: %s",
			    mc->mc_swapfile, strerror(error));
		else
			snprintf(machine_boot_why, sizeof(machine_boot_why),
			    "cannot create the swap file in %s: %s",
			    swapdisk_tmpdir(), strerror(error));
		physmem_fini();
		failpoint_reset_all();
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
