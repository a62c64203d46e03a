/*
 * trace.h: the event log (uvmsim --trace).
 *
 * Any layer may record an event with TRACE(fmt, ...): one line, stamped
 * with the simulated time, written to the trace stream if one is open.
 * When tracing is off an event costs one test of a pointer.  The events
 * recorded are the ones a reader follows the VM by: faults by case,
 * page-ins and page-outs, process swapouts and swapins, the scheduler's
 * and the pagedaemon's decisions, forks, signals and exits.
 */

#ifndef _MACHINE_TRACE_H_
#define _MACHINE_TRACE_H_

#include <stdio.h>

#include "machine/types.h"

extern FILE *trace_stream; /* NULL: tracing is off */

void trace_open(FILE *);
void trace_close(void);
void trace_event(const char *fmt, ...) __printflike(1, 2);

#define TRACE(...)                                         \
	do {                                               \
		if (__predict_false(trace_stream != NULL)) \
			trace_event(__VA_ARGS__);          \
	} while (0)

#endif /* _MACHINE_TRACE_H_ */
