/*
 * series.h: what the machine did over simulated time -- the counters and
 * each process's state sampled every sample interval, the events
 * (fork, exit, signal, core, swapout, swapin, pagedaemon wakeups), and
 * snapshots of every address space -- kept for --json and --html.
 *
 * Recording is off unless series_start was called; then every function
 * here records, and otherwise each does nothing, so callers need not
 * ask.  The record's size is bounded: when the samples fill their
 * arrays (SERIES_MAXSAMPLES), every other one is dropped and the
 * interval doubles; past SERIES_MAXEVENTS events, later ones are only
 * counted.  Sampling reads the machine and never changes it, so a run
 * recorded prints what it prints unrecorded.
 */

#ifndef _SIM_SERIES_H_
#define _SIM_SERIES_H_

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "machine/types.h"

#define SERIES_MAXSAMPLES 1024
#define SERIES_MAXEVENTS  4096

/* the counters sampled: gauges first, then cumulative counts */
enum series_ctr {
	SC_FREE,       /* pages free */
	SC_ACTIVE,     /* pages active */
	SC_INACTIVE,   /* pages inactive */
	SC_WIRED,      /* pages wired */
	SC_ZERO,       /* free pages known to be zero */
	SC_SWAPUSED,   /* swap slots in use */
	SC_FLT_ANON,   /* faults 1A (cumulative from here on) */
	SC_FLT_ACOW,   /* faults 1B */
	SC_FLT_OBJ,    /* faults 2A */
	SC_FLT_PRCOPY, /* faults 2B, object page copied */
	SC_FLT_PRZERO, /* faults 2B, zero-fill */
	SC_PAGEINS,    /* pages read from swap and from files */
	SC_PAGEOUTS,   /* pages written to swap and to files */
	SC_PDWOKE,     /* pagedaemon wakeups */
	SC_PDSCANS,    /* pages the pagedaemon scanned */
	SC_PDFREED,    /* pages the pagedaemon freed */
	SC_N
};
#define SC_FIRST_CUMULATIVE SC_FLT_ANON

/* a process's state in a sample */
enum series_pstate {
	PS_NONE = -1,	/* not there (not yet forked, or reaped) */
	PS_RUNNING,	/* on the CPU */
	PS_RUNNABLE,	/* waiting for the CPU */
	PS_ASLEEP,	/* asleep */
	PS_ASLEEP_LONG, /* asleep longer than maxslp: a swapout candidate */
	PS_SWAPPED,	/* swapped out (whatever else it is doing) */
	PS_STOPPED,	/* stopped by a signal */
	PS_ZOMBIE,	/* exited, not yet waited for */
	PS_N
};

/* a process in one sample */
struct series_psample {
	int32_t ps_rss;	  /* resident pages */
	int32_t ps_wired; /* wired pages */
	int8_t ps_state;  /* enum series_pstate */
};

/* one process's lane: its figures in every sample */
struct series_lane {
	int sl_pid;
	char sl_name[17];
	struct series_psample *sl_s; /* per sample */
	uint64_t sl_seen; /* (the recorder's) the last sample it was in */
};

struct series_event {
	simtime_t se_t;
	int se_kind; /* enum vmev_kind (machine/trace.h) */
	int se_pid;
	long se_arg;
	const char *se_why; /* static, or NULL */
};

/* one page of a snapshot's address space */
struct series_spage {
	vaddr_t sp_va;
	int sp_pfn;	   /* page frame, -1: not resident */
	int sp_slot;	   /* swap slot, -1: none */
	int sp_anon;	   /* the anon's number in the snapshot, 0: none */
	int sp_anonrefs;   /* its reference count */
	unsigned sp_flags; /* SPF_* */
};
#define SPF_MAPPED   0x01 /* the pmap maps it */
#define SPF_WIRED    0x02 /* wired */
#define SPF_REF	     0x04 /* referenced bit */
#define SPF_MOD	     0x08 /* modified bit */
#define SPF_OBJECT   0x10 /* its data is the object's page, not an anon's */
#define SPF_RESIDENT 0x20 /* a page frame holds it */
#define SPF_USED     0x40 /* this mapping used (not just mapped ahead) */

/* one map entry of a snapshot */
struct series_sentry {
	vaddr_t se_start, se_end;
	int se_prot, se_maxprot, se_inherit, se_wired, se_advice;
	char se_maps[96]; /* what it maps, as procmap says it */
	int se_amap;	  /* the amap's number in the snapshot, 0: none */
	int se_amaprefs;
	bool se_needscopy, se_cow;
	int se_npages;		       /* its pages */
	int se_nkept;		       /* those not untouched: */
	struct series_spage *se_pages; /* by address; an untouched page
					   (no data, no frame, no mapping)
					   is left out */
};

struct series_sproc {
	int ss_pid;
	char ss_name[17];
	long ss_rss;
	int ss_nentries;
	struct series_sentry *ss_entries;
};

struct series_snap {
	char *sn_label;
	simtime_t sn_t;
	int sn_nanons, sn_namaps; /* numbered 1..n */
	int sn_nprocs;
	struct series_sproc *sn_procs;
};

/* everything recorded */
struct series {
	simtime_t s_interval; /* between samples, now */
	size_t s_npages;      /* the machine's pages and swap slots */
	size_t s_swpages;
	int s_n; /* samples */
	simtime_t s_t[SERIES_MAXSAMPLES];
	/* s_ctr[i][c]: counter c in sample i (a sample's counters are
	   side by side: taking one writes a cache line or two) */
	uint64_t s_ctr[SERIES_MAXSAMPLES][SC_N];
	int s_nlanes;
	struct series_lane *s_lanes;
	int s_nevents;
	uint64_t s_events_dropped;
	struct series_event *s_events;
	int s_nsnaps;
	struct series_snap *s_snaps;
};

/*
 * series_start: record from now, one sample every `interval' (0: one
 * clock tick), and the machine as it is now as the first sample.
 */
void series_start(simtime_t interval);
/* series_stop: take the last sample (the end of the run) and stop */
void series_stop(void);
/* series_free: forget everything recorded */
void series_free(void);
/* series_recording: series_start was called and series_stop not yet */
bool series_recording(void);
/* the record (NULL if nothing was recorded) */
const struct series *series_get(void);

/*
 * series_snapshot: record every live process's address space page by
 * page, and the copy-on-write structure between them, labelled `label'
 * (NULL: "snapshot N").  Nothing when not recording.
 */
void series_snapshot(const char *label);
/* series_snapshot_end: the snapshot "end", if the run's last is not */
void series_snapshot_end(void);

/*
 * series_put: v in decimal after the character sep (none if 0), for
 * --json's and --html's tens of thousands of numbers: a tenth of
 * fprintf's cost
 */
void series_put(FILE *, char sep, long long v);
/*
 * series_digits: u's decimal digits, written backwards so that the last
 * is just before end (room for 20 is enough), two at a time from
 * series_digit_pairs ("00" to "99"); returns the first
 */
extern const char series_digit_pairs[201];
static inline char *
series_digits(char *end, unsigned long long u)
{
	for (; u >= 100; u /= 100) {
		end -= 2;
		memcpy(end, &series_digit_pairs[2 * (u % 100)], 2);
	}
	if (u >= 10) {
		end -= 2;
		memcpy(end, &series_digit_pairs[2 * u], 2);
	} else
		*--end = (char)('0' + u);
	return end;
}

/* names, as --json writes them */
const char *series_ctr_name(int);
const char *series_pstate_name(int);

#endif /* _SIM_SERIES_H_ */
