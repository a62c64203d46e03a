/*
 * swapdisk.h: the simulated swap disk.
 *
 * A swap disk is an array of page-sized slots stored in a host file (by
 * default a temporary file, unlinked at once so nothing is left behind).
 * A transfer moves a run of consecutive slots to or from a list of page
 * buffers.  The data moves at once; the disk reports when, in simulated
 * time, the transfer completes, and the caller sleeps until then.
 *
 * Latency model: the disk serves one request at a time, in order.  A
 * request starts when the disk is free, pays dt_seek_us unless it starts
 * at the slot where the previous one ended (sequential access), and
 * dt_xfer_us for each page.
 */

#ifndef _MACHINE_SWAPDISK_H_
#define _MACHINE_SWAPDISK_H_

#include "machine/types.h"

struct disk_timing {
	simtime_t dt_seek_us; /* moving the head to a new place */
	simtime_t dt_xfer_us; /* transferring one page */
};

/* a 2002 disk: ~8 ms average seek, ~20 MB/s media rate */
#define DISK_SEEK_US_DEFAULT 8000
#define DISK_XFER_US_DEFAULT 200

struct swapdisk_stats {
	uint64_t sds_reads;    /* read requests */
	uint64_t sds_writes;   /* write requests */
	uint64_t sds_pgreads;  /* pages read */
	uint64_t sds_pgwrites; /* pages written */
	uint64_t sds_seeks;    /* requests that paid a seek */
	simtime_t sds_busy_us; /* time spent transferring or seeking */
	uint64_t sds_errors;   /* requests that failed */
};

struct swapdisk {
	int sd_fd;	    /* the host file */
	size_t sd_nslots;   /* its size, in slots */
	size_t sd_slotsize; /* bytes per slot (the page size) */
	struct disk_timing sd_timing;
	size_t sd_head;		 /* slot after the last transfer */
	simtime_t sd_busy_until; /* when the last request completes */
	struct swapdisk_stats sd_stats;
	void *sd_poison; /* a slot of poison, for failed transfers */
};

#define SD_READ	 0
#define SD_WRITE 1

const char *swapdisk_tmpdir(void);
int swapdisk_open(struct swapdisk **, const char *path, size_t nslots,
    size_t slotsize, const struct disk_timing *);
void swapdisk_close(struct swapdisk *);
int swapdisk_io(struct swapdisk *, int rw, size_t slot, size_t npages,
    void *const *bufs, simtime_t now, simtime_t *donep);

#endif /* _MACHINE_SWAPDISK_H_ */
