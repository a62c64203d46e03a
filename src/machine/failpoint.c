/*
 * failpoint.c: fault injection ("succeed N times, then fail M").
 */

#include <errno.h>
#include <string.h>

#include "machine/failpoint.h"
#include "machine/kassert.h"

struct failpoint failpoints[FP_NPOINTS] = {
	[FP_PAGE] = { .fp_name = "page" },
	[FP_ANON] = { .fp_name = "anon" },
	[FP_AMAP] = { .fp_name = "amap" },
	[FP_MAPENT] = { .fp_name = "mapent" },
	[FP_SWAPSLOT] = { .fp_name = "swapslot" },
	[FP_KVA] = { .fp_name = "kva" },
	[FP_PMAP] = { .fp_name = "pmap" },
	[FP_VMSPACE] = { .fp_name = "vmspace" },
	[FP_SWAPREAD] = { .fp_name = "swap-read" },
	[FP_SWAPWRITE] = { .fp_name = "swap-write" },
	[FP_FILEREAD] = { .fp_name = "file-read" },
	[FP_FILEWRITE] = { .fp_name = "file-write" },
	[FP_SWAPCREATE] = { .fp_name = "swap-create" },
};

/*
 * failpoint_fire: the rest of failpoint_hit (failpoint.h), for an armed
 * failpoint: count down its skips, then fail.
 */
bool
failpoint_fire(struct failpoint *fp)
{
	KASSERT(fp->fp_armed);
	if (fp->fp_skip > 0) {
		fp->fp_skip--;
		return false;
	}
	if (fp->fp_fail != FAILPOINT_FOREVER && --fp->fp_fail == 0)
		fp->fp_armed = false;
	fp->fp_failed++;
	return true;
}

/*
 * failpoint_io: called by a disk transfer before it moves any data.
 *
 * => returns 0, or the errno value this transfer must fail with.
 */
int
failpoint_io(enum failpoint_id id)
{
	KASSERT(id >= FP_FIRST_IO && id < FP_NPOINTS);
	if (!failpoint_hit(id))
		return 0;
	return failpoints[id].fp_error != 0 ? failpoints[id].fp_error : EIO;
}

/*
 * failpoint_arm: let `skip' calls succeed, then fail `fail' calls.
 *
 * => fail == 0 disarms; FAILPOINT_FOREVER fails until disarmed.
 * => an I/O failpoint fails with EIO.
 */
void
failpoint_arm(enum failpoint_id id, unsigned long skip, unsigned long fail)
{
	failpoint_arm_error(id, skip, fail, 0);
}

/*
 * failpoint_arm_error: as failpoint_arm, and an I/O failpoint fails with
 * `error' (0: EIO).
 */
void
failpoint_arm_error(enum failpoint_id id, unsigned long skip,
    unsigned long fail, int error)
{
	struct failpoint *fp = &failpoints[id];

	KASSERT(id < FP_NPOINTS);
	KASSERT(error >= 0);
	fp->fp_skip = skip;
	fp->fp_fail = fail;
	fp->fp_armed = fail != 0;
	fp->fp_error = error;
}

void
failpoint_disarm(enum failpoint_id id)
{
	failpoint_arm(id, 0, 0);
}

/*
 * failpoint_reset_all: disarm every failpoint and zero its counters.
 */
void
failpoint_reset_all(void)
{
	int i;

	for (i = 0; i < FP_NPOINTS; i++) {
		failpoint_disarm(i);
		failpoints[i].fp_calls = 0;
		failpoints[i].fp_failed = 0;
	}
}

/*
 * failpoint_lookup: find a failpoint by name.
 *
 * => returns its id, or -1 if there is none of that name.
 */
int
failpoint_lookup(const char *name)
{
	int i;

	for (i = 0; i < FP_NPOINTS; i++)
		if (strcmp(failpoints[i].fp_name, name) == 0)
			return i;
	return -1;
}
