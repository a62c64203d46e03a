/*
 * failpoint.h: allocator fault injection.
 *
 * Every allocator that can fail in a kernel consults a failpoint.  A
 * failpoint is armed with two counts, in the manner of SQLite's fault
 * simulator: let the next `skip' calls succeed, then make the following
 * `fail' calls fail (FAILPOINT_FOREVER: all of them).  When the fail count
 * runs out the failpoint disarms itself.  So every failure path of every
 * caller can be run, one allocation at a time.
 */

#ifndef _MACHINE_FAILPOINT_H_
#define _MACHINE_FAILPOINT_H_

#include "machine/types.h"

enum failpoint_id {
	FP_PAGE,     /* uvm_pagealloc */
	FP_ANON,     /* anon allocation */
	FP_AMAP,     /* amap allocation */
	FP_MAPENT,   /* map entry allocation */
	FP_SWAPSLOT, /* swap slot allocation */
	FP_KVA,	     /* kernel virtual address space */
	FP_PMAP,     /* pmap table pages and pv entries (PMAP_CANFAIL) */
	FP_NPOINTS
};

#define FAILPOINT_FOREVER (~0UL)

struct failpoint {
	const char *fp_name;
	bool fp_armed;
	unsigned long fp_skip;	 /* successes left before failing starts */
	unsigned long fp_fail;	 /* failures left once it has started */
	unsigned long fp_calls;	 /* calls seen, armed or not */
	unsigned long fp_failed; /* calls made to fail */
};

extern struct failpoint failpoints[FP_NPOINTS];

bool failpoint_hit(enum failpoint_id);
void failpoint_arm(enum failpoint_id, unsigned long skip, unsigned long fail);
void failpoint_disarm(enum failpoint_id);
void failpoint_reset_all(void);
int failpoint_lookup(const char *name);

#endif /* _MACHINE_FAILPOINT_H_ */
