/*
 * html.h: --html, one self-contained page that draws what a run or a
 * replay did: memory over time, fault and paging rates, one lane per
 * process, every snapshot's address spaces and copy-on-write graph, and
 * for a replay its miss-ratio curves and working set.
 *
 * The page is inline SVG, CSS and one small script (the hover tips);
 * its Content-Security-Policy forbids fetching anything, so it opens the
 * same anywhere.  Its structure is a contract the browser test checks:
 *	section#memory, section#faults	charts over simulated time
 *	section#lanes			one g.lane[data-pid][data-name]
 *					per process
 *	section#snapshots		one figure.snapshot[data-label] per
 *					snapshot, holding one
 *					svg.aspace[data-pid] per process
 *					and one svg.cowgraph, whose shared
 *					anons are .anon.shared[data-refs]
 *	section#mrc			(replay) one path.curve[data-policy]
 *					per curve
 *	section#workingset		(replay) W(t, tau) and the resident
 *					set over the same references
 * Marks carry data-tip, which the script shows in div#tip; an
 * address-space picture's cells carry their numbers instead (data-pg
 * for one page, data-grp for several), and the script makes their tips
 * from them.  The script sets body's data-ready to "1" when it has run.
 */

#ifndef _SIM_HTML_H_
#define _SIM_HTML_H_

#include <stdint.h>

#include "sim/series.h"

/* one miss-ratio curve: miss ratio at each memory size */
struct html_curve {
	const char *hc_policy;
	int hc_n;
	const uint64_t *hc_frames; /* increasing */
	const double *hc_ratio;	   /* 0..1 */
};

/* one line over the references of a replay: a value every so often */
struct html_line {
	const char *hl_name; /* "W(t, 1000)", "resident" */
	int hl_n;
	const uint64_t *hl_x; /* references replayed */
	const uint64_t *hl_y; /* pages */
};

struct html_doc {
	const char *hd_kind;	/* "run" or "replay" */
	const char *hd_title;	/* the scenario, or the traces */
	const char *hd_machine; /* the machine's line (report_machine) */
	const struct series *hd_series; /* NULL: none recorded */
	int hd_ncurves;
	const struct html_curve *hd_curves;
	int hd_nlines;
	const struct html_line *hd_lines;
};

/*
 * html_write: the page for d, into path (sim/outfile.h).
 *
 * => returns 0, or -1 with the reason on the standard error: "uvmsim:
 *    --html PATH: ...", or "uvmsim: replay: --html PATH: ..." for a
 *    replay's page.
 */
int html_write(const char *path, const struct html_doc *d);

/*
 * html_snprintf: into buf as snprintf would, through the page's own
 * formatter (html.c), which knows %d, %u and %x (with l or ll), %s, %g,
 * %c and %%, each with the flags - and 0, a width and a precision;
 * anything else aborts.  For the tests, which hold it to snprintf.
 * => returns the length written (at most len - 1, the rest cut off).
 */
int
html_snprintf(char *buf, size_t len, const char *fmt, ...) __printflike(3, 4);

#endif /* _SIM_HTML_H_ */
