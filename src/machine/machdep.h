/*
 * machdep.h: configuring, booting and stopping the simulated machine.
 */

#ifndef _MACHINE_MACHDEP_H_
#define _MACHINE_MACHDEP_H_

#include "machine/cpu.h"
#include "machine/failpoint.h"
#include "machine/swapdisk.h"

struct machine_config {
	size_t mc_npages;	    /* physical memory, in pages */
	size_t mc_pagesize;	    /* bytes per page, a power of two */
	size_t mc_swapslots;	    /* swap disk size, in pages */
	const char *mc_swapfile;    /* NULL: an unlinked temporary file */
	struct disk_timing mc_disk; /* swap disk latency model */
	unsigned int mc_upages;	    /* u-area pages (0: the default) */
	int mc_hz;		    /* clock ticks per second */
	simtime_t mc_quantum_us; /* round-robin time slice (0: the default) */
	int mc_maxslp;		 /* seconds asleep before swapout */
	enum cpu_switch_method mc_switch; /* context switch method */
	size_t mc_stacksize;	/* host stack per thread (0: default) */
	bool mc_kstack_check;	/* fill and measure kernel stacks */
	const char *mc_filedir; /* sandbox of mappable files, or NULL */
	const char *mc_coredir; /* where cores go, or NULL: none */
	bool mc_core_netbsd;	/* NetBSD-CORE notes, not the host's */
	const char *mc_policy;	/* replacement policy (NULL: the clock) */
	/* failpoints armed at boot (before the swap file is made) */
	struct failpoint_setting mc_fail[FP_NPOINTS];
};

#define MACHINE_HZ_DEFAULT	100
/* NetBSD's round robin: a switch every tenth of a second (hz / 10 ticks) */
#define MACHINE_QUANTUM_DEFAULT 100000
#define MACHINE_MAXSLP_DEFAULT	20

#define MACHINE_NPAGES_DEFAULT	  1024 /* 4 MiB of 4 KiB pages */
#define MACHINE_SWAPSLOTS_DEFAULT 4096

/*
 * The limits machine_config_check enforces, for whoever takes a setting
 * (the settings table of the command line and the scenario) to say
 * them before the check does.
 */
#define MACHINE_NPAGES_MIN    16
#define MACHINE_NPAGES_MAX    ((size_t)1 << 24)
#define MACHINE_SWAPSLOTS_MIN 1
#define MACHINE_SWAPSLOTS_MAX ((size_t)1 << 28)
#define MACHINE_UPAGES_MIN    1
#define MACHINE_UPAGES_MAX    64
#define MACHINE_USPACE_MIN    8192 /* bytes in a u-area, at least */
#define MACHINE_HZ_MIN	      1
#define MACHINE_HZ_MAX	      10000
#define MACHINE_MAXSLP_MIN    1
#define MACHINE_MAXSLP_MAX    3600

extern struct swapdisk *swapdisk0; /* the swap disk */
/*
 * why the last boot failed (machine_boot, or kern_boot after it), as a
 * sentence ("" if it did not)
 */
extern char machine_boot_why[256];

void machine_config_default(struct machine_config *);
const char *machine_pagesize_check(size_t);
const char *machine_config_check(const struct machine_config *);
unsigned int machine_upages(const struct machine_config *);
int machine_boot(const struct machine_config *);
void machine_shutdown(void);

#endif /* _MACHINE_MACHDEP_H_ */
