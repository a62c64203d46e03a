/*
 * failpoint.h: fault injection -- allocators and disk I/O.
 *
 * Every allocator that can fail in a kernel consults a failpoint, and so
 * does every disk transfer (the swap disk's reads and writes, a mapped
 * file's, and the creation of the swap file at boot).  A failpoint is
 * armed with two counts, in the manner of SQLite's fault simulator: let
 * the next `skip' calls succeed, then make the following `fail' calls
 * fail (FAILPOINT_FOREVER: all of them).  When the fail count runs out
 * the failpoint disarms itself.  So every failure path of every caller
 * can be run, one allocation or one transfer at a time.
 *
 * Failpoints are the only way simulated memory runs out on demand; the
 * host running out is a panic (the rule is in hostmem.h).
 *
 * An I/O failpoint also carries the error the transfer fails with (EIO
 * unless armed otherwise: ENOSPC is a full file system).
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
	FP_VMSPACE,  /* an address space (uvmspace_alloc: fork, exec) */
	/* disk I/O: one call per transfer */
	FP_SWAPREAD,   /* a read from the swap disk */
	FP_SWAPWRITE,  /* a write to the swap disk */
	FP_FILEREAD,   /* a page read from a mapped file */
	FP_FILEWRITE,  /* a page written back to a mapped file */
	FP_SWAPCREATE, /* creating the swap file at boot */
	FP_NPOINTS
};

#define FP_FIRST_IO FP_SWAPREAD /* the I/O failpoints come last */

#define FAILPOINT_FOREVER (~0UL)

struct failpoint {
	const char *fp_name;
	bool fp_armed;
	unsigned long fp_skip;	 /* successes left before failing starts */
	unsigned long fp_fail;	 /* failures left once it has started */
	unsigned long fp_calls;	 /* calls seen, armed or not */
	unsigned long fp_failed; /* calls made to fail */
	int fp_error;		 /* I/O: the error injected (0: EIO) */
};

extern struct failpoint failpoints[FP_NPOINTS];

/* how a machine's configuration arms a failpoint at boot */
struct failpoint_setting {
	bool fs_set;	       /* armed at boot */
	unsigned long fs_skip; /* calls that succeed first */
	unsigned long fs_fail; /* then calls that fail (or FOREVER) */
	int fs_error;	       /* I/O: the error (0: EIO) */
};

bool failpoint_fire(struct failpoint *);

/*
 * failpoint_hit: called by an allocator before it allocates.
 *
 * => returns true if this allocation must fail.
 * => inline, as it is on every fault's path: an unarmed failpoint costs
 *    a count and a test.
 */
static inline bool
failpoint_hit(enum failpoint_id id)
{
	struct failpoint *fp = &failpoints[id];

	fp->fp_calls++;
	if (__predict_true(!fp->fp_armed))
		return false;
	return failpoint_fire(fp);
}

int failpoint_io(enum failpoint_id);
void failpoint_arm(enum failpoint_id, unsigned long skip, unsigned long fail);
void failpoint_arm_error(enum failpoint_id, unsigned long skip,
    unsigned long fail, int error);
void failpoint_disarm(enum failpoint_id);
void failpoint_reset_all(void);
int failpoint_lookup(const char *name);

#endif /* _MACHINE_FAILPOINT_H_ */
