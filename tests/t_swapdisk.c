/*
 * t_swapdisk.c: the simulated swap disk (data, latency model, errors),
 * and how uvm_swap.c allocates its slots.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "h_util.h"
#include "uvm/uvm.h"

#define SLOT 512 /* slot size for most cases: small keeps them quick */

/*
 * A set of page buffers deliberately scattered: buffer i lives at
 * arena + (n - 1 - i) * 2 * slotsize, so the buffers run backwards through
 * memory with a slot-sized guard gap after each.  A transfer that
 * assumed one contiguous buffer, or moved more than a slot per buffer,
 * lands in the wrong place or in a gap.
 */
#define GUARD 0xa5

struct scatter {
	unsigned char *sc_arena;
	void **sc_bufs;
	size_t sc_n;
	size_t sc_slotsize;
};

static void
scatter_init(struct scatter *sc, size_t n, size_t slotsize)
{
	size_t i;

	sc->sc_arena = malloc(n * 2 * slotsize);
	sc->sc_bufs = calloc(n, sizeof(void *));
	ATF_REQUIRE(sc->sc_arena != NULL && sc->sc_bufs != NULL);
	memset(sc->sc_arena, GUARD, n * 2 * slotsize);
	sc->sc_n = n;
	sc->sc_slotsize = slotsize;
	for (i = 0; i < n; i++)
		sc->sc_bufs[i] = sc->sc_arena + (n - 1 - i) * 2 * slotsize;
}

static void
scatter_fini(struct scatter *sc)
{
	free(sc->sc_arena);
	free(sc->sc_bufs);
}

/* every guard gap still holds the guard byte */
static void
scatter_check_guards(const struct scatter *sc)
{
	const unsigned char *gap;
	size_t i, j;

	for (i = 0; i < sc->sc_n; i++) {
		gap = (const unsigned char *)sc->sc_bufs[i] + sc->sc_slotsize;
		for (j = 0; j < sc->sc_slotsize; j++)
			if (gap[j] != GUARD)
				atf_tc_fail(
				    "guard after buffer %zu overwritten "
				    "at byte %zu",
				    i, j);
	}
}

static struct swapdisk *
open_disk(size_t nslots, size_t slotsize, simtime_t seek, simtime_t xfer)
{
	struct disk_timing dt = { .dt_seek_us = seek, .dt_xfer_us = xfer };
	struct swapdisk *sd = NULL;
	int error;

	error = swapdisk_open(&sd, NULL, nslots, slotsize, &dt);
	ATF_REQUIRE_EQ_MSG(error, 0, "swapdisk_open: %s", strerror(error));
	ATF_REQUIRE(sd != NULL);
	return sd;
}

static void
do_io(struct swapdisk *sd, int rw, size_t slot, size_t npages,
    void *const *bufs, simtime_t now, simtime_t *donep)
{
	simtime_t done;
	int error;

	error = swapdisk_io(sd, rw, slot, npages, bufs, now, &done);
	ATF_REQUIRE_EQ_MSG(error, 0, "%s of %zu slots at %zu: %s",
	    rw == SD_WRITE ? "write" : "read", npages, slot, strerror(error));
	if (donep != NULL)
		*donep = done;
}

/* the entries of a directory, not counting . and .. */
static int
count_entries(const char *dir)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	d = opendir(dir);
	ATF_REQUIRE_MSG(d != NULL, "opendir %s: %s", dir, strerror(errno));
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/*
 * Data
 */

/* write a run from scattered buffers, read it back into other ones */
static void
round_trip(size_t nslots, size_t slotsize, size_t slot, size_t n)
{
	struct scatter w, r;
	struct swapdisk *sd;
	size_t i;

	sd = open_disk(nslots, slotsize, 100, 10);
	scatter_init(&w, n, slotsize);
	scatter_init(&r, n, slotsize);
	for (i = 0; i < n; i++)
		h_fill(w.sc_bufs[i], slotsize, (unsigned int)(slot + i));
	do_io(sd, SD_WRITE, slot, n, w.sc_bufs, 0, NULL);
	do_io(sd, SD_READ, slot, n, r.sc_bufs, 0, NULL);
	for (i = 0; i < n; i++)
		ATF_REQUIRE_MSG(h_same(r.sc_bufs[i], slotsize,
				    (unsigned int)(slot + i)),
		    "slot %zu of a %zu-slot run at %zu read back wrong",
		    slot + i, n, slot);
	scatter_check_guards(&r);
	scatter_fini(&w);
	scatter_fini(&r);
	swapdisk_close(sd);
}

ATF_TC_WITHOUT_HEAD(round_trip_scattered_buffers);
ATF_TC_BODY(round_trip_scattered_buffers, tc)
{
	round_trip(32, SLOT, 0, 1);
	round_trip(32, SLOT, 7, 5);
	round_trip(32, 4096, 31, 1);
	round_trip(32, 4096, 0, 32);
}

/* the transfer code moves at most 64 buffers per system call */
ATF_TC_WITHOUT_HEAD(round_trip_longer_than_a_batch);
ATF_TC_BODY(round_trip_longer_than_a_batch, tc)
{
	round_trip(200, SLOT, 0, 64);
	round_trip(200, SLOT, 0, 65);
	round_trip(200, SLOT, 3, 150);
	round_trip(200, SLOT, 0, 200);
}

/*
 * A long run must put each buffer at its own slot: write the run in one
 * request, read the slots back one by one, and the reverse.
 */
ATF_TC_WITHOUT_HEAD(long_run_matches_single_slots);
ATF_TC_BODY(long_run_matches_single_slots, tc)
{
	const size_t n = 150, base = 10;
	struct scatter run;
	unsigned char one[SLOT];
	struct swapdisk *sd;
	void *bufp[1] = { one };
	size_t i;

	sd = open_disk(base + n, SLOT, 100, 10);
	scatter_init(&run, n, SLOT);
	for (i = 0; i < n; i++)
		h_fill(run.sc_bufs[i], SLOT, (unsigned int)(1000 + i));
	do_io(sd, SD_WRITE, base, n, run.sc_bufs, 0, NULL);
	for (i = 0; i < n; i++) {
		memset(one, 0, sizeof(one));
		do_io(sd, SD_READ, base + i, 1, bufp, 0, NULL);
		ATF_REQUIRE_MSG(h_same(one, SLOT, (unsigned int)(1000 + i)),
		    "slot %zu holds the wrong page", base + i);
	}

	for (i = 0; i < n; i++) {
		h_fill(one, SLOT, (unsigned int)(5000 + i));
		do_io(sd, SD_WRITE, base + i, 1, bufp, 0, NULL);
	}
	scatter_fini(&run);
	scatter_init(&run, n, SLOT);
	do_io(sd, SD_READ, base, n, run.sc_bufs, 0, NULL);
	for (i = 0; i < n; i++)
		ATF_REQUIRE_MSG(h_same(run.sc_bufs[i], SLOT,
				    (unsigned int)(5000 + i)),
		    "buffer %zu of the run holds the wrong page", i);
	scatter_check_guards(&run);
	scatter_fini(&run);
	swapdisk_close(sd);
}

ATF_TC_WITHOUT_HEAD(unwritten_slots_read_zero);
ATF_TC_BODY(unwritten_slots_read_zero, tc)
{
	const size_t nslots = 100;
	struct scatter r;
	unsigned char page[SLOT];
	struct swapdisk *sd;
	void *bufp[1] = { page };
	size_t i, j;

	sd = open_disk(nslots, SLOT, 100, 10);

	/* the whole fresh disk, read into buffers full of junk */
	scatter_init(&r, nslots, SLOT);
	for (i = 0; i < nslots; i++)
		memset(r.sc_bufs[i], 0x5a, SLOT);
	do_io(sd, SD_READ, 0, nslots, r.sc_bufs, 0, NULL);
	for (i = 0; i < nslots; i++)
		for (j = 0; j < SLOT; j++)
			if (((unsigned char *)r.sc_bufs[i])[j] != 0)
				atf_tc_fail("fresh slot %zu byte %zu is 0x%x",
				    i, j, ((unsigned char *)r.sc_bufs[i])[j]);
	scatter_fini(&r);

	/* writing one slot leaves its neighbours zero */
	h_fill(page, SLOT, 42);
	do_io(sd, SD_WRITE, 50, 1, bufp, 0, NULL);
	scatter_init(&r, 3, SLOT);
	for (i = 0; i < 3; i++)
		memset(r.sc_bufs[i], 0x5a, SLOT);
	do_io(sd, SD_READ, 49, 3, r.sc_bufs, 0, NULL);
	ATF_REQUIRE(h_same(r.sc_bufs[1], SLOT, 42));
	for (j = 0; j < SLOT; j++) {
		ATF_REQUIRE_EQ(((unsigned char *)r.sc_bufs[0])[j], 0);
		ATF_REQUIRE_EQ(((unsigned char *)r.sc_bufs[2])[j], 0);
	}
	scatter_fini(&r);
	swapdisk_close(sd);
}

/*
 * The latency model
 */

#define SEEK 1000
#define XFER 30

/*
 * A fresh disk's head is at slot 0: a first request elsewhere seeks, a
 * first request at slot 0 does not.
 */
ATF_TC_WITHOUT_HEAD(first_request_seeks_unless_at_slot_0);
ATF_TC_BODY(first_request_seeks_unless_at_slot_0, tc)
{
	struct scatter b;
	struct swapdisk *sd;
	simtime_t done;

	scatter_init(&b, 4, SLOT);

	sd = open_disk(64, SLOT, SEEK, XFER);
	do_io(sd, SD_WRITE, 5, 4, b.sc_bufs, 0, &done);
	ATF_REQUIRE_EQ(done, SEEK + 4 * XFER);
	ATF_REQUIRE_EQ(sd->sd_stats.sds_seeks, 1);
	ATF_REQUIRE_EQ(sd->sd_stats.sds_busy_us, SEEK + 4 * XFER);
	swapdisk_close(sd);

	sd = open_disk(64, SLOT, SEEK, XFER);
	do_io(sd, SD_READ, 0, 4, b.sc_bufs, 0, &done);
	ATF_REQUIRE_EQ(done, 4 * XFER);
	ATF_REQUIRE_EQ(sd->sd_stats.sds_seeks, 0);
	ATF_REQUIRE_EQ(sd->sd_stats.sds_busy_us, 4 * XFER);
	swapdisk_close(sd);

	/* the model takes the time it is given: a later start */
	sd = open_disk(64, SLOT, SEEK, XFER);
	do_io(sd, SD_READ, 9, 1, b.sc_bufs, 777, &done);
	ATF_REQUIRE_EQ(done, 777 + SEEK + XFER);
	swapdisk_close(sd);

	scatter_fini(&b);
}

/*
 * A scripted sequence of requests, each with the completion time and the
 * counters it must produce:
 *
 *	slot:  0    5         9 10   12     20 21     25
 *	       |    [--- A ---] [-B-]        C [-- D --]
 *	then E reads 5..8 again and F writes slot 0.
 */
ATF_TC_WITHOUT_HEAD(latency_model_exact);
ATF_TC_BODY(latency_model_exact, tc)
{
	static const struct {
		int rw;
		size_t slot, n;
		simtime_t now, done;
		bool seek;
	} req[] = {
		/* A: first request, away from slot 0 */
		{ SD_WRITE, 5, 4, 0, SEEK + 4 * XFER, true },
		/* B: starts where A ended, disk idle by then: no seek */
		{ SD_WRITE, 9, 3, 5000, 5000 + 3 * XFER, false },
		/* C: issued while B is busy: waits for it, then seeks */
		{ SD_READ, 20, 1, 5010, 5090 + SEEK + XFER, true },
		/* D: sequential after C and queued behind it */
		{ SD_READ, 21, 4, 5100, 6120 + 4 * XFER, false },
		/* E: back to A's slots: a seek, long after D */
		{ SD_READ, 5, 4, 100000, 100000 + SEEK + 4 * XFER, true },
		/* F: slot 0 is not where the head is any more */
		{ SD_WRITE, 0, 1, 100000, 101120 + SEEK + XFER, true },
	};
	struct scatter b;
	struct swapdisk *sd;
	simtime_t done, busy = 0;
	uint64_t reads = 0, writes = 0, pgr = 0, pgw = 0, seeks = 0;
	size_t i;

	scatter_init(&b, 4, SLOT);
	sd = open_disk(64, SLOT, SEEK, XFER);
	for (i = 0; i < __arraycount(req); i++) {
		do_io(sd, req[i].rw, req[i].slot, req[i].n, b.sc_bufs,
		    req[i].now, &done);
		ATF_REQUIRE_EQ_MSG(done, req[i].done,
		    "request %zu done at %llu, expected %llu", i,
		    (unsigned long long)done, (unsigned long long)req[i].done);
		if (req[i].rw == SD_READ) {
			reads++;
			pgr += req[i].n;
		} else {
			writes++;
			pgw += req[i].n;
		}
		seeks += req[i].seek;
		busy += req[i].n * XFER + (req[i].seek ? SEEK : 0);
		ATF_REQUIRE_EQ_MSG(sd->sd_stats.sds_reads, reads, "req %zu", i);
		ATF_REQUIRE_EQ_MSG(sd->sd_stats.sds_writes, writes, "req %zu",
		    i);
		ATF_REQUIRE_EQ_MSG(sd->sd_stats.sds_pgreads, pgr, "req %zu", i);
		ATF_REQUIRE_EQ_MSG(sd->sd_stats.sds_pgwrites, pgw, "req %zu",
		    i);
		ATF_REQUIRE_EQ_MSG(sd->sd_stats.sds_seeks, seeks, "req %zu", i);
		/* busy time counts service, not time spent queued or idle */
		ATF_REQUIRE_EQ_MSG(sd->sd_stats.sds_busy_us, busy, "req %zu",
		    i);
	}
	/* the totals, spelled out */
	ATF_REQUIRE_EQ(sd->sd_stats.sds_reads, 3);
	ATF_REQUIRE_EQ(sd->sd_stats.sds_writes, 3);
	ATF_REQUIRE_EQ(sd->sd_stats.sds_pgreads, 9);
	ATF_REQUIRE_EQ(sd->sd_stats.sds_pgwrites, 8);
	ATF_REQUIRE_EQ(sd->sd_stats.sds_seeks, 4);
	ATF_REQUIRE_EQ(sd->sd_stats.sds_busy_us, 4 * SEEK + 17 * XFER);
	swapdisk_close(sd);
	scatter_fini(&b);
}

/* a NULL timing gives the documented default model */
ATF_TC_WITHOUT_HEAD(default_timing);
ATF_TC_BODY(default_timing, tc)
{
	struct scatter b;
	struct swapdisk *sd = NULL;
	simtime_t done;

	ATF_REQUIRE_EQ(swapdisk_open(&sd, NULL, 16, SLOT, NULL), 0);
	scatter_init(&b, 2, SLOT);
	do_io(sd, SD_WRITE, 3, 2, b.sc_bufs, 10, &done);
	ATF_REQUIRE_EQ(done,
	    10 + DISK_SEEK_US_DEFAULT + 2 * DISK_XFER_US_DEFAULT);
	scatter_fini(&b);
	swapdisk_close(sd);
}

/*
 * Bad requests
 */

ATF_TC_WITHOUT_HEAD(bad_requests_rejected);
ATF_TC_BODY(bad_requests_rejected, tc)
{
	static const struct {
		size_t slot, n;
	} bad[] = {
		{ 0, 0 },	     /* nothing to move */
		{ 15, 0 },	     /* nothing, at the last slot */
		{ 16, 1 },	     /* just past the end */
		{ 1000, 1 },	     /* far past the end */
		{ 14, 3 },	     /* a run crossing the end */
		{ 0, 17 },	     /* longer than the disk */
		{ 1, SIZE_MAX },     /* slot + n wraps around */
		{ SIZE_MAX, 1 },     /* the last size_t */
		{ SIZE_MAX - 1, 2 }, /* ... and a wrap there */
	};
	struct swapdisk_stats before;
	struct scatter b, r;
	struct swapdisk *sd;
	simtime_t done, busy_until;
	size_t head, i;
	int rw, error;

	sd = open_disk(16, SLOT, SEEK, XFER);
	scatter_init(&b, 17, SLOT);
	scatter_init(&r, 1, SLOT);

	/* put known data in the last two slots; leaves the head at 16 */
	h_fill(b.sc_bufs[0], SLOT, 14);
	h_fill(b.sc_bufs[1], SLOT, 15);
	do_io(sd, SD_WRITE, 14, 2, b.sc_bufs, 0, NULL);
	for (i = 0; i < 17; i++)
		h_fill(b.sc_bufs[i], SLOT, (unsigned int)(900 + i));

	before = sd->sd_stats;
	head = sd->sd_head;
	busy_until = sd->sd_busy_until;
	for (rw = SD_READ; rw <= SD_WRITE; rw++) {
		for (i = 0; i < __arraycount(bad); i++) {
			error = swapdisk_io(sd, rw, bad[i].slot, bad[i].n,
			    b.sc_bufs, 50, &done);
			ATF_REQUIRE_EQ_MSG(error, EINVAL,
			    "%s slot %zu n %zu: error %d",
			    rw == SD_READ ? "read" : "write", bad[i].slot,
			    bad[i].n, error);
			ATF_REQUIRE_MSG(memcmp(&before, &sd->sd_stats,
					    sizeof(before)) == 0,
			    "stats changed by bad request %zu", i);
			ATF_REQUIRE_EQ(sd->sd_head, head);
			ATF_REQUIRE_EQ(sd->sd_busy_until, busy_until);
		}
	}

	/* the rejected writes that touched slots 14 and 15 moved no data */
	do_io(sd, SD_READ, 14, 1, r.sc_bufs, 0, NULL);
	ATF_REQUIRE(h_same(r.sc_bufs[0], SLOT, 14));
	do_io(sd, SD_READ, 15, 1, r.sc_bufs, 0, NULL);
	ATF_REQUIRE(h_same(r.sc_bufs[0], SLOT, 15));

	scatter_fini(&b);
	scatter_fini(&r);
	swapdisk_close(sd);
}

ATF_TC_WITHOUT_HEAD(bad_direction_panics);
ATF_TC_BODY(bad_direction_panics, tc)
{
	struct scatter b;
	struct swapdisk *sd;
	simtime_t done;

	sd = open_disk(4, SLOT, SEEK, XFER);
	scatter_init(&b, 1, SLOT);
	H_REQUIRE_PANIC(swapdisk_io(sd, 7, 0, 1, b.sc_bufs, 0, &done),
	    "SD_READ");
	scatter_fini(&b);
	swapdisk_close(sd);
}

/*
 * Opening
 */

ATF_TC_WITHOUT_HEAD(open_rejects_bad_sizes);
ATF_TC_BODY(open_rejects_bad_sizes, tc)
{
	struct swapdisk *sd = NULL;
	int fds;

	fds = h_count_fds();
	ATF_REQUIRE_EQ(swapdisk_open(&sd, NULL, 0, SLOT, NULL), EINVAL);
	ATF_REQUIRE_EQ(swapdisk_open(&sd, NULL, 16, 0, NULL), EINVAL);
	ATF_REQUIRE_EQ(swapdisk_open(&sd, NULL, 0, 0, NULL), EINVAL);
	/* bytes beyond what a file offset can hold */
	ATF_REQUIRE_EQ(swapdisk_open(&sd, NULL, SIZE_MAX / 2, 4096, NULL),
	    EINVAL);
	ATF_REQUIRE_EQ(swapdisk_open(&sd, "named", 0, SLOT, NULL), EINVAL);
	ATF_REQUIRE_EQ(swapdisk_open(&sd, "named", 16, 0, NULL), EINVAL);
	ATF_REQUIRE(sd == NULL);
	ATF_REQUIRE_EQ(h_count_fds(), fds);
	/* a size check comes before the file is made */
	ATF_REQUIRE_EQ(access("named", F_OK), -1);
}

ATF_TC_WITHOUT_HEAD(open_missing_directory);
ATF_TC_BODY(open_missing_directory, tc)
{
	struct swapdisk *sd = NULL;
	int fds;

	fds = h_count_fds();
	ATF_REQUIRE_EQ(swapdisk_open(&sd, "no/such/dir/swap", 16, SLOT, NULL),
	    ENOENT);
	ATF_REQUIRE(sd == NULL);

	/* the temporary file goes where TMPDIR says */
	ATF_REQUIRE_EQ(setenv("TMPDIR", "no-such-tmpdir", 1), 0);
	ATF_REQUIRE_EQ(swapdisk_open(&sd, NULL, 16, SLOT, NULL), ENOENT);
	ATF_REQUIRE(sd == NULL);
	ATF_REQUIRE_EQ(h_count_fds(), fds);
}

/*
 * A file that opens but cannot be sized (a device) fails the open with
 * what the host said, and its descriptor is not left open.
 */
ATF_TC_WITHOUT_HEAD(open_unsizable_file);
ATF_TC_BODY(open_unsizable_file, tc)
{
	struct swapdisk *sd = NULL;
	int fds, error;

	fds = h_count_fds();
	error = swapdisk_open(&sd, "/dev/null", 16, SLOT, NULL);
	ATF_REQUIRE_EQ_MSG(error, EINVAL, "error %d", error);
	ATF_REQUIRE(sd == NULL);
	ATF_REQUIRE_EQ(h_count_fds(), fds);

	/* a directory does not even open */
	ATF_REQUIRE_EQ(mkdir("adir", 0700), 0);
	ATF_REQUIRE_EQ(swapdisk_open(&sd, "adir", 16, SLOT, NULL), EISDIR);
	ATF_REQUIRE(sd == NULL);
	ATF_REQUIRE_EQ(h_count_fds(), fds);
}

ATF_TC_WITHOUT_HEAD(named_file_persists);
ATF_TC_BODY(named_file_persists, tc)
{
	struct scatter w, r;
	struct swapdisk *sd = NULL;
	struct stat st;
	size_t i;

	umask(022);
	ATF_REQUIRE_EQ(swapdisk_open(&sd, "swap.img", 16, SLOT, NULL), 0);
	ATF_REQUIRE_EQ(stat("swap.img", &st), 0);
	ATF_REQUIRE_EQ_MSG(st.st_mode & 07777, 0600, "mode %o",
	    (unsigned)(st.st_mode & 07777));
	ATF_REQUIRE(S_ISREG(st.st_mode));
	ATF_REQUIRE_EQ(st.st_size, 16 * SLOT);

	scatter_init(&w, 6, SLOT);
	for (i = 0; i < 6; i++)
		h_fill(w.sc_bufs[i], SLOT, (unsigned int)(300 + i));
	do_io(sd, SD_WRITE, 10, 6, w.sc_bufs, 0, NULL);
	swapdisk_close(sd);
	sd = NULL;

	/* the same file, reopened: same data, same mode */
	ATF_REQUIRE_EQ(swapdisk_open(&sd, "swap.img", 16, SLOT, NULL), 0);
	scatter_init(&r, 6, SLOT);
	do_io(sd, SD_READ, 10, 6, r.sc_bufs, 0, NULL);
	for (i = 0; i < 6; i++)
		ATF_REQUIRE_MSG(h_same(r.sc_bufs[i], SLOT,
				    (unsigned int)(300 + i)),
		    "slot %zu lost across reopen", 10 + i);
	swapdisk_close(sd);
	sd = NULL;

	/* reopened larger: the file grows, the old slots keep their data */
	ATF_REQUIRE_EQ(swapdisk_open(&sd, "swap.img", 40, SLOT, NULL), 0);
	ATF_REQUIRE_EQ(stat("swap.img", &st), 0);
	ATF_REQUIRE_EQ(st.st_size, 40 * SLOT);
	ATF_REQUIRE_EQ(st.st_mode & 07777, 0600);
	scatter_fini(&r);
	scatter_init(&r, 6, SLOT);
	do_io(sd, SD_READ, 10, 6, r.sc_bufs, 0, NULL);
	for (i = 0; i < 6; i++)
		ATF_REQUIRE(
		    h_same(r.sc_bufs[i], SLOT, (unsigned int)(300 + i)));
	swapdisk_close(sd);

	scatter_fini(&w);
	scatter_fini(&r);
}

/*
 * The default temporary file is unlinked at once: the directory it is
 * made in stays empty while the disk is in use and after, yet the data
 * is there.
 */
ATF_TC_WITHOUT_HEAD(temporary_file_leaves_nothing);
ATF_TC_BODY(temporary_file_leaves_nothing, tc)
{
	char cwd[PATH_MAX], dir[PATH_MAX + 16], fdpath[64], target[PATH_MAX];
	struct scatter w, r;
	struct swapdisk *sd = NULL;
	struct stat st;
	ssize_t len;
	size_t i;

	ATF_REQUIRE(getcwd(cwd, sizeof(cwd)) != NULL);
	snprintf(dir, sizeof(dir), "%s/swaptmp", cwd);
	ATF_REQUIRE_EQ(mkdir(dir, 0700), 0);
	ATF_REQUIRE_EQ(setenv("TMPDIR", dir, 1), 0);

	ATF_REQUIRE_EQ(swapdisk_open(&sd, NULL, 32, SLOT, NULL), 0);
	ATF_REQUIRE_EQ(count_entries(dir), 0);

	/* the descriptor is a deleted file that lived in TMPDIR */
	ATF_REQUIRE_EQ(fstat(sd->sd_fd, &st), 0);
	ATF_REQUIRE_EQ(st.st_nlink, 0);
	ATF_REQUIRE_EQ(st.st_size, 32 * SLOT);
	snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", sd->sd_fd);
	len = readlink(fdpath, target, sizeof(target) - 1);
	ATF_REQUIRE(len > 0);
	target[len] = '\0';
	ATF_REQUIRE_MSG(strncmp(target, dir, strlen(dir)) == 0 &&
		target[strlen(dir)] == '/',
	    "swap file %s is not in %s", target, dir);

	scatter_init(&w, 32, SLOT);
	scatter_init(&r, 32, SLOT);
	for (i = 0; i < 32; i++)
		h_fill(w.sc_bufs[i], SLOT, (unsigned int)(77 + i));
	do_io(sd, SD_WRITE, 0, 32, w.sc_bufs, 0, NULL);
	ATF_REQUIRE_EQ(count_entries(dir), 0);
	do_io(sd, SD_READ, 0, 32, r.sc_bufs, 0, NULL);
	for (i = 0; i < 32; i++)
		ATF_REQUIRE(h_same(r.sc_bufs[i], SLOT, (unsigned int)(77 + i)));
	swapdisk_close(sd);
	ATF_REQUIRE_EQ(count_entries(dir), 0);

	scatter_fini(&w);
	scatter_fini(&r);
}

/*
 * The swap file is the simulator's own business: a host program it
 * might start must not inherit it.  The named file is opened
 * close-on-exec; the temporary one should be too.
 */
ATF_TC_WITHOUT_HEAD(descriptors_close_on_exec);
ATF_TC_BODY(descriptors_close_on_exec, tc)
{
	struct swapdisk *sd = NULL;
	int flags;

	ATF_REQUIRE_EQ(swapdisk_open(&sd, "swap.img", 4, SLOT, NULL), 0);
	flags = fcntl(sd->sd_fd, F_GETFD);
	ATF_REQUIRE(flags != -1);
	ATF_REQUIRE_MSG(flags & FD_CLOEXEC,
	    "named swap file not close-on-exec");
	swapdisk_close(sd);

	sd = NULL;
	ATF_REQUIRE_EQ(swapdisk_open(&sd, NULL, 4, SLOT, NULL), 0);
	flags = fcntl(sd->sd_fd, F_GETFD);
	swapdisk_close(sd);
	ATF_REQUIRE(flags != -1);
	ATF_REQUIRE_MSG(flags & FD_CLOEXEC,
	    "temporary swap file not close-on-exec");
}

ATF_TC_WITHOUT_HEAD(close_null_is_harmless);
ATF_TC_BODY(close_null_is_harmless, tc)
{
	int fds = h_count_fds();

	swapdisk_close(NULL);
	ATF_REQUIRE_EQ(h_count_fds(), fds);
}

/*
 * Swap slots are allocated next fit.  Runs asked for one after another
 * are consecutive, and a run freed behind the cursor is not reused until
 * the search has gone round the disk (256 slots):
 *
 *	a: 1-8   b: 9-16   (a freed)   c: 17-24   ...   up to 256
 *
 * then, with nothing free past the cursor, the search wraps round to
 * a's slots, and finds a run that straddles the cursor.
 */
ATF_TC_WITHOUT_HEAD(swap_alloc_next_fit);
ATF_TC_BODY(swap_alloc_next_fit, tc)
{
	int a, b, c, d, n, slot, last;

	h_boot(64, 4096);
	ATF_REQUIRE_EQ(uvmexp.swpages, 256);
	n = 8;
	a = uvm_swap_alloc(&n, false);
	ATF_REQUIRE_EQ(a, 1);
	ATF_REQUIRE_EQ(n, 8);
	b = uvm_swap_alloc(&n, false);
	ATF_REQUIRE_EQ(b, a + 8);
	uvm_swap_free(a, 8);
	c = uvm_swap_alloc(&n, false);
	ATF_REQUIRE_EQ_MSG(c, b + 8, "run at %d after %d, %d free", c, b, a);
	/* fill the rest of the disk: every run right after the last */
	for (last = c; last < 256 - 8 + 1; last = slot) {
		n = 8;
		slot = uvm_swap_alloc(&n, false);
		ATF_REQUIRE_EQ_MSG(slot, last + 8, "%d after %d", slot, last);
	}
	ATF_REQUIRE_EQ(uvmexp.swpginuse, 256 - 8);
	/* the search wraps: a's slots come back, then there is no room */
	n = 8;
	d = uvm_swap_alloc(&n, false);
	ATF_REQUIRE_EQ(d, a);
	ATF_REQUIRE_EQ(uvm_swap_alloc(&n, false), 0);
	/*
	 * a run across the cursor (at 9): with 1-16 free, 12 slots are
	 * found from 1, then only 13-16 are left
	 */
	uvm_swap_free(d, 8);
	uvm_swap_free(b, 8);
	n = 12;
	ATF_REQUIRE_EQ(uvm_swap_alloc(&n, false), 1);
	n = 8;
	ATF_REQUIRE_EQ(uvm_swap_alloc(&n, false), 0);
	/* lessok: a shorter run will do */
	ATF_REQUIRE_EQ(uvm_swap_alloc(&n, true), 13);
	ATF_REQUIRE_EQ(n, 4);
	ATF_REQUIRE_EQ(uvmexp.swpginuse, 256);
	h_check();
	uvm_swap_free(1, 12);
	uvm_swap_free(13, 4);
	for (slot = 17; slot <= 256; slot += 8)
		uvm_swap_free(slot, 8);
	ATF_REQUIRE_EQ(uvmexp.swpginuse, 0);
	h_check();
	h_shutdown();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, round_trip_scattered_buffers);
	ATF_TP_ADD_TC(tp, round_trip_longer_than_a_batch);
	ATF_TP_ADD_TC(tp, long_run_matches_single_slots);
	ATF_TP_ADD_TC(tp, unwritten_slots_read_zero);
	ATF_TP_ADD_TC(tp, first_request_seeks_unless_at_slot_0);
	ATF_TP_ADD_TC(tp, latency_model_exact);
	ATF_TP_ADD_TC(tp, default_timing);
	ATF_TP_ADD_TC(tp, bad_requests_rejected);
	ATF_TP_ADD_TC(tp, bad_direction_panics);
	ATF_TP_ADD_TC(tp, open_rejects_bad_sizes);
	ATF_TP_ADD_TC(tp, open_missing_directory);
	ATF_TP_ADD_TC(tp, open_unsizable_file);
	ATF_TP_ADD_TC(tp, named_file_persists);
	ATF_TP_ADD_TC(tp, temporary_file_leaves_nothing);
	ATF_TP_ADD_TC(tp, descriptors_close_on_exec);
	ATF_TP_ADD_TC(tp, close_null_is_harmless);
	ATF_TP_ADD_TC(tp, swap_alloc_next_fit);
	return atf_no_error();
}
