/*
 * failpoint.c: allocator fault injection ("succeed N times, then fail M").
 */

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
};

/*
 * failpoint_hit: called by an allocator before it allocates.
 *
 * => returns true if this allocation must fail.
 */
bool
failpoint_hit(enum failpoint_id id)
{
	struct failpoint *fp = &failpoints[id];

	KASSERT(id < FP_NPOINTS);
	fp->fp_calls++;
	if (__predict_true(!fp->fp_armed))
		return false;
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
 * failpoint_arm: let `skip' calls succeed, then fail `fail' calls.
 *
 * => fail == 0 disarms; FAILPOINT_FOREVER fails until disarmed.
 */
void
failpoint_arm(enum failpoint_id id, unsigned long skip, unsigned long fail)
{
	struct failpoint *fp = &failpoints[id];

	KASSERT(id < FP_NPOINTS);
	fp->fp_skip = skip;
	fp->fp_fail = fail;
	fp->fp_armed = fail != 0;
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
