/*
 * trace.c: the event log and the structured events' names.
 */

#include <stdarg.h>
#include <string.h>

#include "machine/clock.h"
#include "machine/trace.h"

FILE *trace_stream;
unsigned trace_mask;
void (*vmev_sink)(const struct vmev *);

static const char *const trace_cat_names[TRC_NCAT] = {
	[TRC_FAULT] = "fault",
	[TRC_PAGEIN] = "pagein",
	[TRC_PAGEOUT] = "pageout",
	[TRC_PDAEMON] = "pdaemon",
	[TRC_SWAP] = "swap",
	[TRC_SCHED] = "sched",
	[TRC_PROC] = "proc",
	[TRC_SIGNAL] = "signal",
	[TRC_FILE] = "file",
};

static const char *const vmev_names[VMEV_NKIND] = {
	[VMEV_FORK] = "fork",
	[VMEV_EXIT] = "exit",
	[VMEV_SIGNAL] = "signal",
	[VMEV_CORE] = "core",
	[VMEV_SWAPOUT] = "swapout",
	[VMEV_SWAPIN] = "swapin",
	[VMEV_PDWAKE] = "pdwake",
};

void
trace_open(FILE *f)
{
	trace_open_cats(f, TRC_ALL);
}

void
trace_open_cats(FILE *f, unsigned mask)
{
	trace_stream = f;
	trace_mask = f != NULL ? mask & TRC_ALL : 0;
}

void
trace_close(void)
{
	if (trace_stream != NULL)
		fflush(trace_stream);
	trace_stream = NULL;
	trace_mask = 0;
}

const char *
trace_cat_name(enum trace_cat cat)
{
	return (unsigned)cat < TRC_NCAT ? trace_cat_names[cat] : "?";
}

int
trace_cat_lookup(const char *name)
{
	int i;

	for (i = 0; i < TRC_NCAT; i++)
		if (strcmp(name, trace_cat_names[i]) == 0)
			return i;
	return -1;
}

const char *
vmev_name(enum vmev_kind kind)
{
	return (unsigned)kind < VMEV_NKIND ? vmev_names[kind] : "?";
}

/*
 * trace_event: write one event, "[seconds.micros] category: text", to
 * the trace stream.
 *
 * => the line goes out in one write when it fits the buffer, so the
 *    lines of processes sharing a stream (replay -j) do not mix.
 */
void
trace_event(enum trace_cat cat, const char *fmt, ...)
{
	simtime_t t = clock_now();
	char line[512];
	va_list ap;
	int n, m;

	if (trace_stream == NULL)
		return;
	n = snprintf(line, sizeof(line),
	    "[%4llu.%06llu] %s: ", (unsigned long long)(t / 1000000),
	    (unsigned long long)(t % 1000000), trace_cat_name(cat));
	va_start(ap, fmt);
	m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (m >= 0 && (size_t)(n + m) < sizeof(line) - 1) {
		line[n + m] = '\n';
		fwrite(line, 1, (size_t)(n + m + 1), trace_stream);
		return;
	}
	/* too long for the buffer: in pieces */
	fwrite(line, 1, (size_t)n, trace_stream);
	va_start(ap, fmt);
	vfprintf(trace_stream, fmt, ap);
	va_end(ap);
	fputc('\n', trace_stream);
}
