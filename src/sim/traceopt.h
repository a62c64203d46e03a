/*
 * traceopt.h: the event log's options, the same for uvmsim run and
 * uvmsim replay:
 *
 *	--trace                 every category, to the standard error
 *	--trace=CATEGORY,...    only those (repeatable: they add up);
 *	                        "all" is every category
 *	--trace-file FILE       to FILE instead (every category unless
 *	                        --trace=... names some)
 *
 * The options are gathered first (traceopt_cats, traceopt_file), which
 * checks the names, and the log is started only once the command is
 * sure to run (traceopt_start), so a usage error leaves no file behind.
 */

#ifndef _SIM_TRACEOPT_H_
#define _SIM_TRACEOPT_H_

#include <stdbool.h>
#include <stdio.h>

struct traceopt {
	bool to_on;	     /* --trace or --trace-file was given */
	unsigned to_mask;    /* the categories --trace=... named (TRC_BIT) */
	const char *to_file; /* --trace-file, or NULL: the standard error */
	FILE *to_stream;     /* once started: the file, or stderr */
	const char *to_cmd;  /* the command, for its errors ("replay"), or
				NULL for uvmsim's own options */
};

/*
 * traceopt_cats: --trace (list NULL: every category) or --trace=list,
 * categories separated by commas.
 *
 * => returns 0; or -1 after saying on the standard error what is wrong
 *    (an unknown category, with the closest name and the list of them;
 *    an empty name).
 */
int traceopt_cats(struct traceopt *, const char *list);

/* traceopt_file: --trace-file file (the last one given counts) */
void traceopt_file(struct traceopt *, const char *file);

/* traceopt_stderr: will the log go to the standard error? */
bool traceopt_stderr(const struct traceopt *);

/*
 * traceopt_start: open the --trace-file, if any, and start the log with
 * the categories asked for (nothing if no option was given).
 *
 * => returns 0; or -1 after saying which file could not be opened, and
 *    why.
 */
int traceopt_start(struct traceopt *);

/* traceopt_stop: end the log, closing its file (flushed) */
void traceopt_stop(struct traceopt *);

/*
 * traceopt_print_cats: the categories' names, "fault, pagein, ...";
 * with indent > 0, in lines of at most 78 columns that start at column
 * `indent' (the first where the cursor is).
 */
void traceopt_print_cats(FILE *, int indent);

#endif /* _SIM_TRACEOPT_H_ */
