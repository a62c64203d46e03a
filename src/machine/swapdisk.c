/*
 * swapdisk.c: the simulated swap disk, page-sized slots in a host file.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "machine/failpoint.h"
#include "machine/hostmem.h"
#include "machine/kassert.h"
#include "machine/swapdisk.h"

#define SWAPDISK_POISON 0xdb /* what a failed transfer leaves behind */

/* swapdisk_tmpdir: where an unnamed swap file is made ($TMPDIR, /tmp) */
const char *
swapdisk_tmpdir(void)
{
	const char *dir = getenv("TMPDIR");

	return dir == NULL || *dir == '\0' ? "/tmp" : dir;
}

/*
 * swapdisk_tmpfile: open an anonymous temporary file.
 *
 * => the file is unlinked before it is used, so it disappears with the
 *    descriptor whatever way the program ends.
 */
static int
swapdisk_tmpfile(void)
{
	char path[PATH_MAX];
	const char *dir = swapdisk_tmpdir();
	int fd;

	if (snprintf(path, sizeof(path), "%s/uvmsim-swap.XXXXXX", dir) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	unlink(path);
	return fd;
}

/*
 * swapdisk_open: attach a swap disk of nslots slots of slotsize bytes.
 *
 * => path NULL: an unlinked temporary file; otherwise the named file is
 *    created (mode 0600) or reused, and sized to the disk.
 * => timing NULL: the default latency model.
 * => returns 0 and the disk in *sdp, or an errno value: EINVAL for a zero
 *    or overflowing size, else whatever the host said (or the swap-create
 *    failpoint).  Nothing is left open on failure.
 */
int
swapdisk_open(struct swapdisk **sdp, const char *path, size_t nslots,
    size_t slotsize, const struct disk_timing *timing)
{
	struct swapdisk *sd;
	int fd, error;

	if (nslots == 0 || slotsize == 0 ||
	    nslots > (size_t)INT64_MAX / slotsize)
		return EINVAL;
	if ((error = failpoint_io(FP_SWAPCREATE)) != 0)
		return error;
	if (path == NULL) {
		fd = swapdisk_tmpfile();
		if (fd < 0)
			return -fd;
	} else {
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0)
			return errno;
	}
	if (ftruncate(fd, (off_t)(nslots * slotsize)) != 0) {
		error = errno;
		goto close_fd;
	}
	sd = hostmem_zalloc(1, sizeof(*sd));
	sd->sd_poison = hostmem_alloc(slotsize);
	memset(sd->sd_poison, SWAPDISK_POISON, slotsize);
	sd->sd_fd = fd;
	sd->sd_nslots = nslots;
	sd->sd_slotsize = slotsize;
	if (timing != NULL)
		sd->sd_timing = *timing;
	else {
		sd->sd_timing.dt_seek_us = DISK_SEEK_US_DEFAULT;
		sd->sd_timing.dt_xfer_us = DISK_XFER_US_DEFAULT;
	}
	*sdp = sd;
	return 0;

close_fd:
	close(fd);
	return error;
}

void
swapdisk_close(struct swapdisk *sd)
{
	if (sd == NULL)
		return;
	close(sd->sd_fd);
	free(sd->sd_poison);
	free(sd);
}

/*
 * swapdisk_transfer: move npages slots starting at `slot' between the
 * file and the buffers, retrying short transfers.
 *
 * => returns 0, the host's errno value, or EIO for a transfer that
 *    stopped short.
 */
static int
swapdisk_transfer(struct swapdisk *sd, int rw, size_t slot, size_t npages,
    void *const *bufs)
{
	struct iovec iov[64];
	size_t done, n, i, skip;
	off_t off;
	ssize_t rv;

	for (done = 0; done < npages; done += n) {
		n = MIN(npages - done, __arraycount(iov));
		for (i = 0; i < n; i++) {
			iov[i].iov_base = bufs[done + i];
			iov[i].iov_len = sd->sd_slotsize;
		}
		off = (off_t)((slot + done) * sd->sd_slotsize);
		i = 0;
		while (i < n) {
			if (rw == SD_WRITE)
				rv = pwritev(sd->sd_fd, &iov[i], (int)(n - i),
				    off);
			else
				rv = preadv(sd->sd_fd, &iov[i], (int)(n - i),
				    off);
			if (rv < 0 && errno == EINTR)
				continue;
			if (rv < 0)
				return errno;
			if (rv == 0)
				return EIO;
			off += rv;
			/* step over what was transferred, maybe mid-buffer */
			for (skip = (size_t)rv; i < n && skip >= iov[i].iov_len;
			     i++)
				skip -= iov[i].iov_len;
			if (i < n) {
				iov[i].iov_base =
				    (char *)iov[i].iov_base + skip;
				iov[i].iov_len -= skip;
			}
		}
	}
	return 0;
}

/*
 * swapdisk_fail: a transfer failed: leave what a failed transfer may
 * leave, poison, in the buffers of a read or on the slots of a write,
 * so that nobody can use them as if it had worked.
 */
static void
swapdisk_fail(struct swapdisk *sd, int rw, size_t slot, size_t npages,
    void *const *bufs)
{
	void *poison[64];
	size_t i, n;

	if (rw == SD_READ) {
		for (i = 0; i < npages; i++)
			memset(bufs[i], SWAPDISK_POISON, sd->sd_slotsize);
		return;
	}
	for (; npages > 0; slot += n, npages -= n) {
		n = MIN(npages, __arraycount(poison));
		for (i = 0; i < n; i++)
			poison[i] = sd->sd_poison;
		/* the disk is failing: what this write does is unknown too */
		(void)swapdisk_transfer(sd, SD_WRITE, slot, n, poison);
	}
}

/*
 * swapdisk_io: read or write npages consecutive slots.
 *
 * => bufs[i] is the page buffer for slot `slot + i'.
 * => now is the current simulated time; *donep is set to the time the
 *    transfer completes under the latency model -- a failed transfer
 *    takes its time too.
 * => returns 0, EINVAL for a run outside the disk (*donep not set), or
 *    the error of a failed transfer: the host file's (EIO, ENOSPC, ...)
 *    or the one the swap-read or swap-write failpoint injects.  The
 *    buffers of a failed read, or the slots of a failed write, then hold
 *    poison.
 */
int
swapdisk_io(struct swapdisk *sd, int rw, size_t slot, size_t npages,
    void *const *bufs, simtime_t now, simtime_t *donep)
{
	simtime_t start, cost;
	int error;

	KASSERT(rw == SD_READ || rw == SD_WRITE);
	if (npages == 0 || slot >= sd->sd_nslots ||
	    npages > sd->sd_nslots - slot)
		return EINVAL;
	error = failpoint_io(rw == SD_WRITE ? FP_SWAPWRITE : FP_SWAPREAD);
	if (error == 0)
		error = swapdisk_transfer(sd, rw, slot, npages, bufs);
	if (error) {
		swapdisk_fail(sd, rw, slot, npages, bufs);
		sd->sd_stats.sds_errors++;
	}

	start = MAX(now, sd->sd_busy_until);
	cost = npages * sd->sd_timing.dt_xfer_us;
	if (slot != sd->sd_head) {
		cost += sd->sd_timing.dt_seek_us;
		sd->sd_stats.sds_seeks++;
	}
	sd->sd_head = slot + npages;
	sd->sd_busy_until = start + cost;
	sd->sd_stats.sds_busy_us += cost;
	if (rw == SD_WRITE) {
		sd->sd_stats.sds_writes++;
		sd->sd_stats.sds_pgwrites += npages;
	} else {
		sd->sd_stats.sds_reads++;
		sd->sd_stats.sds_pgreads += npages;
	}
	*donep = sd->sd_busy_until;
	return error;
}
