/*
 * trace.c: the event log.
 */

#include <stdarg.h>

#include "machine/clock.h"
#include "machine/trace.h"

FILE *trace_stream;

/* trace_open: send events to f (the caller keeps and closes it) */
void
trace_open(FILE *f)
{
	trace_stream = f;
}

/* trace_close: stop tracing; what was written is flushed */
void
trace_close(void)
{
	if (trace_stream != NULL)
		fflush(trace_stream);
	trace_stream = NULL;
}

/*
 * trace_event: write one event, "[seconds.micros] text", to the trace
 * stream.
 */
void
trace_event(const char *fmt, ...)
{
	simtime_t t = clock_now();
	va_list ap;

	if (trace_stream == NULL)
		return;
	fprintf(trace_stream, "[%4llu.%06llu] ",
	    (unsigned long long)(t / 1000000),
	    (unsigned long long)(t % 1000000));
	va_start(ap, fmt);
	vfprintf(trace_stream, fmt, ap);
	va_end(ap);
	fputc('\n', trace_stream);
}
