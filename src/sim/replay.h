/*
 * replay.h: memory traces replayed (uvmsim replay).
 *
 * Two modes over the same traces (tracefile.h):
 *
 *   full VM    (the default) each trace becomes a simulated process, and
 *              every reference goes through the MMU, the fault handler,
 *              the pagedaemon, swap and the replacement policy in force
 *              -- the code the scenarios run.  Several traces are
 *              several processes sharing the machine's memory,
 *              interleaved by the scheduler.
 *   textbook   (frames > 0) pure demand paging with that many frames,
 *              no kernel at all (textbook.h).
 *
 * The address space of a trace's process: the first time the trace
 * touches a page, the aligned group of REPLAY_REGION_PAGES pages around
 * it is mapped, anonymous, private and read-write, at its own address
 * (MAP_FIXED).  Loads and instruction fetches read the page; stores and
 * modifies write one byte of it.  A reference that spans a page
 * boundary touches each of its pages, in address order.  Each touch is
 * one access, and costs PROC_ACCESS_US of simulated time.
 */

#ifndef _SIM_REPLAY_H_
#define _SIM_REPLAY_H_

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "machine/clock.h"
#include "machine/machdep.h"
#include "sim/textbook.h"

/* pages mapped at once around a page the trace touches first */
#define REPLAY_REGION_PAGES 16

/* what a replay did, summed over its traces (for tests and sweeps) */
struct replay_result {
	uint64_t rr_refs;     /* accesses (page touches) replayed */
	uint64_t rr_faults;   /* page faults (textbook: misses) */
	uint64_t rr_minflt;   /* the processes' faults without I/O */
	uint64_t rr_majflt;   /* and with it (ru_minflt, ru_majflt) */
	uint64_t rr_pageins;  /* pages read from swap or files */
	uint64_t rr_pageouts; /* pages written to swap or files */
	uint64_t rr_pdwoke;   /* pagedaemon wakeups */
	uint64_t rr_distinct; /* textbook: distinct pages */
	simtime_t rr_time;    /* simulated time at the end */
};

/*
 * The resident set of the first trace's process over its references
 * (full VM): a point every rs_every references, at most REPLAY_RSS_MAX
 * of them; when they are full, every other one goes and rs_every
 * doubles.  The caller zeroes it; replay_rss_free frees its arrays.
 */
#define REPLAY_RSS_MAX 1024
struct replay_rss {
	uint64_t rs_every;
	int rs_n;
	uint64_t rs_refs[REPLAY_RSS_MAX];  /* references replayed */
	uint64_t rs_pages[REPLAY_RSS_MAX]; /* resident pages then */
};

struct replay_opts {
	struct machine_config ro_mc; /* the machine, and its policy */
	const char *const *ro_traces;
	int ro_ntraces;
	uint64_t ro_frames; /* textbook mode with this many frames; 0: VM */
	bool ro_check;	    /* run the consistency checkers as it goes */
	FILE *ro_out;	    /* the report */
	struct replay_result *ro_result; /* filled if not NULL */
	/* textbook mode */
	struct tb_params ro_tbparams; /* clock bits (0: 1), rand's seed */
	bool ro_steps;		      /* list every reference */
	bool ro_quiz;		      /* the listing, answers left blank */
	bool ro_answers;	      /* the quiz's answers */
	/* full VM: recorded if not NULL (series.h, the resident set) */
	bool ro_series;		   /* record the time series (--html) */
	struct replay_rss *ro_rss; /* the first trace's resident set */
};

/*
 * replay_run: replay the traces, as ro_frames says, and print the
 * report to ro_out; errors go to the standard error, each with its
 * trace and line or record.
 *
 * => returns the exit status: 0; 1 if the machine failed the replay (a
 *    check failed, a process was killed); 2 for a bad trace, an unknown
 *    policy or a machine that cannot be had.
 */
int replay_run(const struct replay_opts *);

/*
 * The commands (replay_cmd.c), each given its own argv (argv[0] is the
 * command's name): uvmsim replay, convert and merge.  Each returns the
 * exit status.
 */
int replay_main(int argc, char **argv);
int convert_main(int argc, char **argv);
int merge_main(int argc, char **argv);

#endif /* _SIM_REPLAY_H_ */
