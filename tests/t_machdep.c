/*
 * t_machdep.c: machine configuration, boot and shutdown.
 */

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "h_util.h"
#include "machine/physmem.h"

#if defined(__SANITIZE_ADDRESS__)
#define HAVE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAVE_ASAN 1
#endif
#endif

/*
 * Host heap bytes in use, exact under AddressSanitizer.  The reboot test
 * compares it across boots itself rather than rely on LeakSanitizer
 * alone, which a suppression can blind.  Without the sanitizer there is
 * no exact figure (glibc counts the chunks its per-thread caches hold as
 * in use), so the heap is not checked there.
 */
#ifdef HAVE_ASAN
size_t __sanitizer_get_current_allocated_bytes(void);
#define HEAP_IN_USE() __sanitizer_get_current_allocated_bytes()
#else
#define HEAP_IN_USE() ((size_t)0)
#endif

/* the configuration check refuses mc with a message containing `word' */
static void
require_refused(const struct machine_config *mc, const char *word)
{
	const char *why;

	why = machine_config_check(mc);
	ATF_REQUIRE_MSG(why != NULL,
	    "config with %zu pages of %zu bytes, %zu swap slots accepted",
	    mc->mc_npages, mc->mc_pagesize, mc->mc_swapslots);
	ATF_REQUIRE_MSG(strstr(why, word) != NULL, "message '%s' lacks '%s'",
	    why, word);
}

/* the first nonzero byte of physical memory, or -1 */
static long
physmem_first_nonzero(void)
{
	size_t i, len = (size_t)ptoa(physmem);

	for (i = 0; i < len; i++)
		if (physmem_host[i] != 0)
			return (long)i;
	return -1;
}

/*
 * The state of a freshly booted machine of npages pages of pagesize
 * bytes: sizes agree everywhere, every page free and zero, every counter
 * zero.
 */
static void
require_fresh(size_t npages, size_t pagesize, size_t swapslots)
{
	int i;

	ATF_REQUIRE_EQ(PAGE_SIZE, pagesize);
	ATF_REQUIRE_EQ((size_t)1 << PAGE_SHIFT, pagesize);
	ATF_REQUIRE_EQ(PAGE_MASK, pagesize - 1);
	ATF_REQUIRE_EQ(uvmexp.pagesize, pagesize);
	ATF_REQUIRE_EQ(uvmexp.pageshift, PAGE_SHIFT);
	ATF_REQUIRE_EQ(uvmexp.pagemask, pagesize - 1);
	ATF_REQUIRE_EQ(physmem, npages);
	ATF_REQUIRE_EQ(uvmexp.npages, (int)npages);
	ATF_REQUIRE_EQ(uvmexp.free, (int)npages);
	ATF_REQUIRE_EQ(uvmexp.zeropages, (int)npages);
	ATF_REQUIRE_EQ(uvmexp.active, 0);
	ATF_REQUIRE_EQ(uvmexp.inactive, 0);
	ATF_REQUIRE_EQ(uvmexp.wired, 0);
	ATF_REQUIRE_EQ(uvmexp.pga_alloc, 0);
	ATF_REQUIRE_EQ(uvmexp.pga_free, 0);
	ATF_REQUIRE_EQ(uvmexp.pga_zerohit, 0);

	/* the MMU: only the kernel pmap's top table exists */
	ATF_REQUIRE_EQ(pmapcounters.ptp_alloc, 1);
	ATF_REQUIRE_EQ(pmapcounters.ptp_free, 0);
	ATF_REQUIRE_EQ(pmapcounters.pv_alloc, 0);
	ATF_REQUIRE_EQ(pmapcounters.tlb_hit, 0);
	ATF_REQUIRE_EQ(pmapcounters.tlb_miss, 0);
	ATF_REQUIRE_EQ(pmapcounters.tlb_inval, 0);
	ATF_REQUIRE_EQ(pmapcounters.tlb_flush, 0);
	ATF_REQUIRE_EQ(pmapcounters.faults_inval, 0);
	ATF_REQUIRE_EQ(pmapcounters.zero_page, 0);

	/* the swap disk */
	ATF_REQUIRE(swapdisk0 != NULL);
	ATF_REQUIRE_EQ(swapdisk0->sd_slotsize, pagesize);
	ATF_REQUIRE_EQ(swapdisk0->sd_nslots, swapslots);
	ATF_REQUIRE_EQ(swapdisk0->sd_head, 0);
	ATF_REQUIRE_EQ(swapdisk0->sd_busy_until, 0);
	ATF_REQUIRE_EQ(swapdisk0->sd_stats.sds_reads, 0);
	ATF_REQUIRE_EQ(swapdisk0->sd_stats.sds_writes, 0);
	ATF_REQUIRE_EQ(swapdisk0->sd_stats.sds_busy_us, 0);

	for (i = 0; i < FP_NPOINTS; i++) {
		ATF_REQUIRE_MSG(!failpoints[i].fp_armed, "failpoint %s armed",
		    failpoints[i].fp_name);
		/* nothing allocates at boot; the swap file is made once */
		ATF_REQUIRE_EQ(failpoints[i].fp_calls,
		    i == FP_SWAPCREATE ? 1 : 0);
	}

	ATF_REQUIRE_EQ_MSG(physmem_first_nonzero(), -1,
	    "physical memory byte %ld is not zero", physmem_first_nonzero());
}

/*
 * Exercise the machine a little so the next boot has something to
 * forget: fill pages with distinct data through their physical
 * addresses, map one and store through the MMU, push them through
 * swap slots 1-8 and back.
 */
static void
use_machine(unsigned int seed)
{
	enum { N = 8 };
	struct vm_page *pgs[N];
	void *bufs[N];
	struct pmap *pm;
	simtime_t done;
	void *host;
	size_t i;

	for (i = 0; i < N; i++) {
		pgs[i] = uvm_pagealloc(NULL, 0, NULL, 0);
		ATF_REQUIRE(pgs[i] != NULL);
		bufs[i] = physmem_hostaddr(VM_PAGE_TO_PHYS(pgs[i]));
		h_fill(bufs[i], PAGE_SIZE, seed + (unsigned int)i);
	}
	for (i = 0; i < N; i++)
		ATF_REQUIRE(h_same(bufs[i], PAGE_SIZE, seed + (unsigned int)i));

	ATF_REQUIRE_EQ(swapdisk_io(swapdisk0, SD_WRITE, 1, N, bufs, 0, &done),
	    0);
	for (i = 0; i < N; i++)
		memset(bufs[i], 0, PAGE_SIZE);
	ATF_REQUIRE_EQ(swapdisk_io(swapdisk0, SD_READ, 1, N, bufs, 0, &done),
	    0);
	for (i = 0; i < N; i++)
		ATF_REQUIRE(h_same(bufs[i], PAGE_SIZE, seed + (unsigned int)i));

	pm = pmap_create();
	pmap_activate(pm);
	ATF_REQUIRE_EQ(pmap_enter(pm, 0x400000, VM_PAGE_TO_PHYS(pgs[2]),
			   VM_PROT_READ | VM_PROT_WRITE, 0),
	    0);
	ATF_REQUIRE_EQ(pmap_access(pm, 0x400000 + 1, VM_PROT_WRITE, &host), 0);
	ATF_REQUIRE(host == (char *)bufs[2] + 1);
	pmap_remove(pm, 0x400000, 0x400000 + PAGE_SIZE);
	pmap_deactivate(pm);
	pmap_destroy(pm);

	for (i = 0; i < N; i++)
		uvm_pagefree(pgs[i]);
}

ATF_TC_WITHOUT_HEAD(config_default_is_valid);
ATF_TC_BODY(config_default_is_valid, tc)
{
	struct machine_config mc;

	memset(&mc, 0xff, sizeof(mc));
	machine_config_default(&mc);
	ATF_REQUIRE(machine_config_check(&mc) == NULL);
	ATF_REQUIRE_EQ(mc.mc_npages, MACHINE_NPAGES_DEFAULT);
	ATF_REQUIRE_EQ(mc.mc_pagesize, PAGE_SIZE_DEFAULT);
	ATF_REQUIRE_EQ(mc.mc_swapslots, MACHINE_SWAPSLOTS_DEFAULT);
	ATF_REQUIRE(mc.mc_swapfile == NULL);
	ATF_REQUIRE_EQ(mc.mc_disk.dt_seek_us, DISK_SEEK_US_DEFAULT);
	ATF_REQUIRE_EQ(mc.mc_disk.dt_xfer_us, DISK_XFER_US_DEFAULT);
}

ATF_TC_WITHOUT_HEAD(config_page_size);
ATF_TC_BODY(config_page_size, tc)
{
	static const size_t bad[] = { 0, 1, 256, 511, 513, 3000, 4095, 4097,
		6144, 65535, 65537, 131072, (size_t)1 << 40 };
	struct machine_config mc;
	size_t ps, i;

	for (i = 0; i < __arraycount(bad); i++) {
		machine_config_default(&mc);
		mc.mc_pagesize = bad[i];
		require_refused(&mc, "page size");
		require_refused(&mc, "power of two");
	}
	for (ps = 512; ps <= 65536; ps <<= 1) {
		machine_config_default(&mc);
		mc.mc_pagesize = ps;
		ATF_REQUIRE_MSG(machine_config_check(&mc) == NULL,
		    "page size %zu refused", ps);
	}
}

ATF_TC_WITHOUT_HEAD(config_memory_and_swap);
ATF_TC_BODY(config_memory_and_swap, tc)
{
	struct machine_config mc;

	machine_config_default(&mc);
	mc.mc_npages = 15;
	require_refused(&mc, "at least 16");
	mc.mc_npages = 0;
	require_refused(&mc, "physical memory");
	mc.mc_npages = 16;
	ATF_REQUIRE(machine_config_check(&mc) == NULL);
	mc.mc_npages = ((size_t)1 << 24) + 1;
	require_refused(&mc, "physical memory");

	machine_config_default(&mc);
	mc.mc_swapslots = 0;
	require_refused(&mc, "swap");
	mc.mc_swapslots = 1;
	ATF_REQUIRE(machine_config_check(&mc) == NULL);
	mc.mc_swapslots = ((size_t)1 << 28) + 1;
	require_refused(&mc, "swap");
}

/* boot at the smallest, the usual and the largest page size */
ATF_TC_WITHOUT_HEAD(boot_page_sizes);
ATF_TC_BODY(boot_page_sizes, tc)
{
	static const struct {
		size_t ps, npages;
	} cfg[] = { { 512, 64 }, { 4096, 100 }, { 65536, 16 } };
	size_t i, p;
	paddr_t pa;
	uint8_t *b;

	for (i = 0; i < __arraycount(cfg); i++) {
		h_boot(cfg[i].npages, cfg[i].ps);
		require_fresh(cfg[i].npages, cfg[i].ps, 256);

		/* one distinct byte at the start, middle and end of each page */
		for (p = 0; p < cfg[i].npages; p++) {
			pa = ptoa(p);
			*(uint8_t *)physmem_hostaddr(pa) = (uint8_t)(p + 1);
			*(uint8_t *)physmem_hostaddr(pa + PAGE_SIZE / 2) =
			    (uint8_t)(p + 2);
			*(uint8_t *)physmem_hostaddr(pa + PAGE_SIZE - 1) =
			    (uint8_t)(p + 3);
		}
		for (p = 0; p < cfg[i].npages; p++) {
			b = physmem_hostaddr(ptoa(p));
			ATF_REQUIRE_EQ(b[0], (uint8_t)(p + 1));
			ATF_REQUIRE_EQ(b[PAGE_SIZE / 2], (uint8_t)(p + 2));
			ATF_REQUIRE_EQ(b[PAGE_SIZE - 1], (uint8_t)(p + 3));
			ATF_REQUIRE_EQ(b[1], 0);
			ATF_REQUIRE_EQ(b[PAGE_SIZE - 2], 0);
		}
		/* the last byte of memory is the last byte of the last page */
		ATF_REQUIRE(
		    (uint8_t *)physmem_hostaddr(ptoa(cfg[i].npages) - 1) ==
		    physmem_host + cfg[i].npages * cfg[i].ps - 1);

		/* the free pages are on the known-zero list: make it true */
		memset(physmem_host, 0, (size_t)ptoa(physmem));

		use_machine((unsigned int)i);
		h_shutdown();
		ATF_REQUIRE(physmem_host == NULL);
		ATF_REQUIRE(swapdisk0 == NULL);
	}
}

/*
 * One process boots machine after machine, of changing sizes.  Each
 * starts clean, whatever the last one did, and each shutdown gives back
 * every host resource: heap, descriptors, the physical memory mapping.
 */
ATF_TC_WITHOUT_HEAD(reboot_many_times);
ATF_TC_BODY(reboot_many_times, tc)
{
	static const struct {
		size_t ps, npages, swap;
	} cfg[] = {
		{ 4096, 64, 32 }, { 512, 300, 100 }, { 65536, 20, 16 },
		{ 1024, 17, 1000 }, { 32768, 40, 12 }, { 2048, 1024, 64 },
		{ 8192, 16, 9 }, /* the smallest swap use_machine needs */
	};
	const size_t ncfg = __arraycount(cfg);
	struct machine_config mc;
	size_t i, heap0, heap, memlen;
	void *mem;
	int round, fds0;

	/* a first boot, so one-time host allocations are out of the way */
	h_boot(64, 4096);
	use_machine(0);
	h_shutdown();
	fds0 = h_count_fds(); /* before heap0: the first opendir allocates */
	heap0 = HEAP_IN_USE();

	for (round = 0; round < 60; round++) {
		i = (size_t)round % ncfg;
		machine_config_default(&mc);
		mc.mc_pagesize = cfg[i].ps;
		mc.mc_npages = cfg[i].npages;
		mc.mc_swapslots = cfg[i].swap;
		h_boot_config(&mc);
		require_fresh(cfg[i].npages, cfg[i].ps, cfg[i].swap);
		use_machine((unsigned int)round);
		/* leave failpoint counts behind for the next boot to clear */
		failpoint_arm(FP_ANON, 1, 1);
		mem = physmem_host;
		memlen = (size_t)ptoa(physmem);
		h_shutdown();

		heap = HEAP_IN_USE();
		ATF_REQUIRE_EQ_MSG(heap, heap0,
		    "round %d: %zu heap bytes in use after shutdown, %zu before",
		    round, heap, heap0);
		ATF_REQUIRE_EQ_MSG(h_count_fds(), fds0, "round %d: descriptors",
		    round);
		/* msync fails with ENOMEM on a range that is not mapped */
		ATF_REQUIRE_MSG(msync(mem, memlen, MS_ASYNC) == -1 &&
			errno == ENOMEM,
		    "round %d: physical memory still mapped", round);
	}
}

/* kern_shutdown disarms every failpoint and clears its counts */
ATF_TC_WITHOUT_HEAD(shutdown_disarms_failpoints);
ATF_TC_BODY(shutdown_disarms_failpoints, tc)
{
	struct vm_page *pg;
	int i;

	h_boot(32, 4096);
	for (i = 0; i < FP_NPOINTS; i++)
		failpoint_arm(i, 0, FAILPOINT_FOREVER);
	ATF_REQUIRE(uvm_pagealloc(NULL, 0, NULL, 0) == NULL);
	ATF_REQUIRE(uvm_pagealloc(NULL, 0, NULL, 0) == NULL);
	ATF_REQUIRE_EQ(failpoints[FP_PAGE].fp_failed, 2);
	h_shutdown();

	for (i = 0; i < FP_NPOINTS; i++) {
		ATF_REQUIRE_MSG(!failpoints[i].fp_armed,
		    "failpoint %s still armed", failpoints[i].fp_name);
		ATF_REQUIRE_EQ(failpoints[i].fp_calls, 0);
		ATF_REQUIRE_EQ(failpoints[i].fp_failed, 0);
	}

	h_boot(32, 4096);
	pg = uvm_pagealloc(NULL, 0, NULL, 0);
	ATF_REQUIRE(pg != NULL);
	uvm_pagefree(pg);
	h_shutdown();
}

/*
 * A boot that fails (here: the swap file cannot be made) leaves nothing
 * behind, and the next boot works.
 */
ATF_TC_WITHOUT_HEAD(failed_boot_leaves_nothing);
ATF_TC_BODY(failed_boot_leaves_nothing, tc)
{
	struct machine_config mc;

	machine_config_default(&mc);
	mc.mc_npages = 64;
	mc.mc_swapfile = "no/such/dir/swap";
	ATF_REQUIRE_EQ(kern_boot(&mc), ENOENT);
	ATF_REQUIRE(physmem_host == NULL);
	ATF_REQUIRE_EQ(physmem, 0);
	ATF_REQUIRE(swapdisk0 == NULL);
	ATF_REQUIRE_STREQ(machine_boot_why,
	    "cannot create the swap file no/such/dir/swap: "
	    "No such file or directory");

	/* the swap-create failpoint, set in the configuration */
	mc.mc_swapfile = NULL;
	mc.mc_fail[FP_SWAPCREATE] =
	    (struct failpoint_setting){ true, 0, 1, ENOSPC };
	ATF_REQUIRE_EQ(kern_boot(&mc), ENOSPC);
	ATF_REQUIRE(swapdisk0 == NULL);
	ATF_REQUIRE(strstr(machine_boot_why,
			"cannot create the swap file in ") == machine_boot_why);
	ATF_REQUIRE(strstr(machine_boot_why, strerror(ENOSPC)) != NULL);
	ATF_REQUIRE(!failpoints[FP_SWAPCREATE].fp_armed);
	mc.mc_fail[FP_SWAPCREATE].fs_set = false;

	h_boot_config(&mc);
	require_fresh(64, PAGE_SIZE_DEFAULT, MACHINE_SWAPSLOTS_DEFAULT);
	h_shutdown();
}

/* a named swap file is made at boot and kept after shutdown */
ATF_TC_WITHOUT_HEAD(boot_named_swap_file);
ATF_TC_BODY(boot_named_swap_file, tc)
{
	struct machine_config mc;
	struct stat st;

	machine_config_default(&mc);
	mc.mc_npages = 32;
	mc.mc_pagesize = 1024;
	mc.mc_swapslots = 50;
	mc.mc_swapfile = "swap0";
	mc.mc_disk.dt_seek_us = 7;
	mc.mc_disk.dt_xfer_us = 3;
	h_boot_config(&mc);
	ATF_REQUIRE_EQ(stat("swap0", &st), 0);
	ATF_REQUIRE_EQ(st.st_size, 50 * 1024);
	ATF_REQUIRE_EQ(swapdisk0->sd_timing.dt_seek_us, 7);
	ATF_REQUIRE_EQ(swapdisk0->sd_timing.dt_xfer_us, 3);
	h_shutdown();
	ATF_REQUIRE_EQ(stat("swap0", &st), 0);
	ATF_REQUIRE_EQ(st.st_size, 50 * 1024);
}

/* booting a machine that fails the check is a programming error */
ATF_TC_WITHOUT_HEAD(boot_bad_config_panics);
ATF_TC_BODY(boot_bad_config_panics, tc)
{
	struct machine_config mc;

	machine_config_default(&mc);
	mc.mc_pagesize = 3000;
	H_REQUIRE_PANIC(kern_boot(&mc), "machine_config_check");
	ATF_REQUIRE(physmem_host == NULL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, config_default_is_valid);
	ATF_TP_ADD_TC(tp, config_page_size);
	ATF_TP_ADD_TC(tp, config_memory_and_swap);
	ATF_TP_ADD_TC(tp, boot_page_sizes);
	ATF_TP_ADD_TC(tp, reboot_many_times);
	ATF_TP_ADD_TC(tp, shutdown_disarms_failpoints);
	ATF_TP_ADD_TC(tp, failed_boot_leaves_nothing);
	ATF_TP_ADD_TC(tp, boot_named_swap_file);
	ATF_TP_ADD_TC(tp, boot_bad_config_panics);
	return atf_no_error();
}
