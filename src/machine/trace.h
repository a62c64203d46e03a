/*
 * trace.h: the event log (uvmsim --trace) and the structured events
 * (the time series' recorder).
 *
 * The log.  Any layer may record an event with TRACE(cat, fmt, ...):
 * one line, stamped with the simulated time and named by its category,
 *
 *	[   0.012000] fault: pid 3: fault 0x50000000: case 2B, zero-fill anon
 *
 * written to the trace stream if the category is on.  An event of a
 * category that is off costs one test of a mask (trace_mask is 0 when
 * tracing is off).  The categories, by the names the command line takes:
 *
 *	fault     every fault, by case (1A, 1B, 2A, 2B), for a process
 *	          ("pid N") or for the kernel itself ("kernel": u-areas,
 *	          kernel memory, a fault with no user process behind it)
 *	pagein    pages read from swap or a file
 *	pageout   pages written to swap or back to their file
 *	pdaemon   the pagedaemon: wakeups, u-areas given back, what a
 *	          wakeup's scan freed
 *	swap      swapouts (with the reason) and swapins
 *	sched     the swapper's choices (uvm_scheduler)
 *	proc      forks and exits
 *	signal    signals acted on (a stop, a continue, a kill) and cores
 *	file      files opened and truncated
 *
 * The structured events.  VMEVENT(kind, pid, arg, why) hands a struct
 * vmev to vmev_sink, if one is installed (the time series' recorder
 * installs one), at these points:
 *
 *	VMEV_FORK     a fork: pid the parent, arg the child's pid, why
 *	              "kernel thread" for a kernel thread, else NULL
 *	VMEV_EXIT     a process exits: arg its wait status (as wait(2)
 *	              returns it); why NULL
 *	VMEV_SIGNAL   a signal takes effect: arg the signal's number, why
 *	              "stopped", "continued" or "killed"
 *	VMEV_CORE     a core file was written: arg its size in bytes; why
 *	              NULL
 *	VMEV_SWAPOUT  a process was swapped out: arg 0, why the reason,
 *	              "slept past maxslp" or "memory short"
 *	VMEV_SWAPIN   a process was swapped in: arg 0, why NULL
 *	VMEV_PDWAKE   the pagedaemon woke: pid 0, arg the free pages then;
 *	              why NULL
 *
 * A process killed by a signal gives VMEV_SIGNAL, then VMEV_CORE if a
 * core was written, then VMEV_EXIT.  `why' always points to static
 * storage (a string literal) or is NULL, so a sink may keep it.  The
 * sink runs inside the kernel, in the middle of what posted the event:
 * it must only record, never call back into the VM.  When no sink is
 * installed an event costs one test of a pointer.
 */

#ifndef _MACHINE_TRACE_H_
#define _MACHINE_TRACE_H_

#include <stdio.h>

#include "machine/types.h"

/* the categories of the log; trace_cat_name gives each one's name */
enum trace_cat {
	TRC_FAULT,
	TRC_PAGEIN,
	TRC_PAGEOUT,
	TRC_PDAEMON,
	TRC_SWAP,
	TRC_SCHED,
	TRC_PROC,
	TRC_SIGNAL,
	TRC_FILE,
	TRC_NCAT
};
#define TRC_BIT(cat) (1u << (cat))
#define TRC_ALL	     (TRC_BIT(TRC_NCAT) - 1) /* every category */

extern FILE *trace_stream;  /* NULL: tracing is off */
extern unsigned trace_mask; /* TRC_BIT of each category on; 0 when off */

/* trace_open: log every category to f (the caller keeps and closes f) */
void trace_open(FILE *);
/* trace_open_cats: log the categories of mask (TRC_BIT, TRC_ALL) to f */
void trace_open_cats(FILE *, unsigned mask);
/* trace_close: stop logging; what was written is flushed */
void trace_close(void);
void trace_event(enum trace_cat, const char *fmt, ...) __printflike(2, 3);
/* the category's name ("fault", ...), as the command line takes it */
const char *trace_cat_name(enum trace_cat);
/* trace_cat_lookup: the category named name, or -1 */
int trace_cat_lookup(const char *name);

/* is the category on? */
#define TRACE_ON(cat) __predict_false((trace_mask & TRC_BIT(cat)) != 0)

#define TRACE(cat, ...)                                  \
	do {                                             \
		if (TRACE_ON(cat))                       \
			trace_event((cat), __VA_ARGS__); \
	} while (0)

enum vmev_kind {
	VMEV_FORK,
	VMEV_EXIT,
	VMEV_SIGNAL,
	VMEV_CORE,
	VMEV_SWAPOUT,
	VMEV_SWAPIN,
	VMEV_PDWAKE,
	VMEV_NKIND
};

struct vmev {
	enum vmev_kind ev_kind;
	int ev_pid;	    /* the process it happened to (see above) */
	long ev_arg;	    /* what it says, by kind (see above) */
	const char *ev_why; /* static storage, or NULL */
};

/* the sink of the events, or NULL (no one listens) */
extern void (*vmev_sink)(const struct vmev *);

/* vmev_name: the kind's name: "fork", "exit", ..., "pdwake" */
const char *vmev_name(enum vmev_kind);

#define VMEVENT(kind, pid, arg, why)                                   \
	do {                                                           \
		if (__predict_false(vmev_sink != NULL))                \
			vmev_sink(&(const struct vmev){ (kind), (pid), \
			    (long)(arg), (why) });                     \
	} while (0)

#endif /* _MACHINE_TRACE_H_ */
