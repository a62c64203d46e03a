/*
 * main.c: the uvmsim command -- options, the run and check commands,
 * and the built-in demonstration.
 */

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "sim/replay.h"
#include "sim/scenario.h"
#include "sim/settings.h"
#include "sim/stopsig.h"
#include "sim/suggest.h"
#include "sim/traceopt.h"

#ifndef UVMSIM_VERSION
#define UVMSIM_VERSION "0.1"
#endif

#define EXIT_USAGE 2

/* --max-output: far more than a person reads, far less than a disk */
#define MAX_OUTPUT_DEFAULT ((size_t)256 << 20)

/*
 * print_failpoints: the failpoints' names, "page, anon, ...", from the
 * table itself; with indent > 0, in lines of at most 78 columns that
 * start at column `indent' (the first where the cursor is).
 */
static void
print_failpoints(FILE *f, int indent)
{
	int i, col = indent, len;

	for (i = 0; i < FP_NPOINTS; i++) {
		len = (int)strlen(failpoints[i].fp_name) + 2;
		if (indent > 0 && i > 0 && col + len > 78) {
			fprintf(f, ",\n%*s", indent, "");
			col = indent;
		} else if (i > 0)
			fputs(", ", f);
		fputs(failpoints[i].fp_name, f);
		col += len;
	}
}

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: uvmsim [options]                 run the demonstration\n"
	    "       uvmsim [options] run FILE        run a scenario\n"
	    "       uvmsim [options] check FILE      only read and check it\n"
	    "       uvmsim -h | --help | --version\n"
	    "\n"
	    "uvmsim runs NetBSD's UVM virtual memory system on a simulated\n"
	    "machine.  A scenario (uvmsim(5)) describes the machine, the\n"
	    "processes and their programs, and what to report and expect;\n"
	    "FILE - reads it from the standard input.  With no command the\n"
	    "built-in demonstration runs: fork and copy-on-write, memory\n"
	    "pressure and the pagedaemon, a process swapped out and back in,\n"
	    "physio, and a segmentation fault that leaves a core.\n"
	    "\n"
	    "machine (over the scenario's own settings):\n");
	settings_usage(f);
	fprintf(f,
	    "  --fail NAME[:AFTER[:COUNT]]\n"
	    "                     make failpoint NAME fail after AFTER calls\n"
	    "                     (default 0), COUNT times (default forever);\n"
	    "                     repeatable; NAME is one of\n"
	    "                     ");
	print_failpoints(f, 21);
	fprintf(f,
	    "\n"
	    "running:\n"
	    "  --files DIR        the sandbox of mappable files, not / (default:\n"
	    "                     a new temporary directory, removed after)\n"
	    "  --cores DIR        where cores are written (default: .)\n"
	    "  --json FILE        write every counter, each process's figures\n"
	    "                     and the time series to FILE (never the\n"
	    "                     scenario) at the end\n"
	    "  --html FILE        draw the run into FILE: one page, memory\n"
	    "                     over time, processes, address spaces\n"
	    "  --sample TIME      the time series' interval (default: a tick)\n"
	    "  --max-output SIZE  stop the run once the report passes SIZE\n"
	    "                     bytes (default %zuM; 0: no bound)\n"
	    "  --max-time TIME    stop a run that passes TIME of simulated\n"
	    "                     time (TIME: a number with us, ms or s)\n"
	    "  --max-steps N      stop a run after N steps (a step: a charge\n"
	    "                     of CPU time, or a timer that fires)\n"
	    "  --force            run a machine larger than the host's memory\n"
	    "  --trace[=CATEGORY,...]\n"
	    "                     log events to the standard error: every\n"
	    "                     category (all), or those named, of\n"
	    "                     ",
	    MAX_OUTPUT_DEFAULT >> 20);
	traceopt_print_cats(f, 21);
	fprintf(f,
	    "\n"
	    "  --trace-file FILE  log them to FILE instead (every category\n"
	    "                     unless --trace=... names some)\n"
	    "  --check            run every consistency checker after every\n"
	    "                     statement\n"
	    "  --list-counters    list the counters (vmstat, expect, --json)\n"
	    "SIZE is a number of bytes with an optional k, m or g suffix\n"
	    "(powers of 1024); memory and swap take Np for N pages, and in\n"
	    "bytes must be whole pages.  A scenario's u-area follows a page\n"
	    "size given here.  The swap file is made in $TMPDIR (default /tmp).\n"
	    "Exit status: 0 success, 1 an expectation failed or a limit\n"
	    "stopped the run, 2 bad usage, a bad scenario or a machine that\n"
	    "cannot be had (TMPDIR unusable, more memory than the host has, a\n"
	    "boot that failed), 128+N stopped by signal N (SIGINT, SIGTERM).\n");
}

/*
 * parse_count: a whole number from 0 to max.
 *
 * => returns 0 and the value, or EINVAL (not a number) or ERANGE.
 */
static int
parse_count(const char *s, long max, long *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end != '\0')
		return EINVAL;
	if (errno == ERANGE || v > (unsigned long long)max)
		return ERANGE;
	*out = (long)v;
	return 0;
}

/*
 * parse_size: a byte count with an optional k/m/g suffix.
 *
 * => returns 0 and the value, or EINVAL (not a number, bad suffix, zero
 *    unless zero_ok) or ERANGE (too big).
 */
static int
parse_size(const char *s, bool zero_ok, size_t *out)
{
	unsigned long long v, mul = 1;
	char *end;

	if (*s < '0' || *s > '9')
		return EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return ERANGE;
	if ((mul = scen_size_suffix(*end)) != 0)
		end++;
	else
		mul = 1;
	if (*end != '\0' || (v == 0 && !zero_ok))
		return EINVAL;
	if (v > SIZE_MAX / mul)
		return ERANGE;
	*out = (size_t)(v * mul);
	return 0;
}

/*
 * The report's bound (--max-output).  The report goes to a stream of its
 * own whose bytes pass on to the standard output until `oc_max' of them
 * have; the write that would pass the bound writes what fits and comes
 * back short, which sets the stream's error flag, and the interpreter,
 * which looks at the flag after every statement, stops the run.  A
 * scenario that prints in a loop would otherwise fill the host's disk.
 * A failed write to the standard output (a full disk, a closed pipe)
 * stops the run the same way.
 */
struct outcap {
	FILE *oc_to;	   /* where the bytes go */
	size_t oc_max;	   /* the bound (SIZE_MAX: none) */
	size_t oc_written; /* bytes passed on so far */
	bool oc_passed;	   /* a write would have passed the bound */
	int oc_errno;	   /* a write to oc_to failed with this, or 0 */
};

static ssize_t
outcap_write(void *cookie, const char *buf, size_t len)
{
	struct outcap *oc = cookie;
	size_t n = MIN(len, oc->oc_max - oc->oc_written);

	if (oc->oc_passed || oc->oc_errno != 0)
		return 0;
	if (n > 0 && fwrite(buf, 1, n, oc->oc_to) != n) {
		oc->oc_errno = errno != 0 ? errno : EIO;
		return 0;
	}
	oc->oc_written += n;
	if (n < len)
		oc->oc_passed = true;
	return (ssize_t)n;
}

/*
 * outcap_open: the report stream, bounded to max bytes (0: no bound),
 * over `to', buffered by lines so that it interleaves with the standard
 * error as `to' itself would.
 *
 * => returns the stream, or NULL (out of memory).
 */
static FILE *
outcap_open(struct outcap *oc, FILE *to, size_t max)
{
	static const cookie_io_functions_t io = { .write = outcap_write };
	FILE *f;

	memset(oc, 0, sizeof(*oc));
	oc->oc_to = to;
	oc->oc_max = max != 0 ? max : SIZE_MAX;
	if ((f = fopencookie(oc, "w", io)) == NULL)
		return NULL;
	(void)setvbuf(f, NULL, _IOLBF, BUFSIZ);
	return f;
}

/*
 * outcap_close: close the report stream and the standard output behind
 * it, and say if the report was cut short.
 *
 * => returns true if all of it reached the standard output.
 */
static bool
outcap_close(struct outcap *oc, FILE *f)
{
	(void)fclose(f);
	if (fflush(oc->oc_to) != 0 && oc->oc_errno == 0)
		oc->oc_errno = errno;
	if (oc->oc_passed) {
		fprintf(stderr,
		    "uvmsim: output passed --max-output %zu bytes; the run "
		    "was stopped\n",
		    oc->oc_max);
		return false;
	}
	if (oc->oc_errno != 0) {
		fprintf(stderr, "uvmsim: standard output: %s\n",
		    strerror(oc->oc_errno));
		return false;
	}
	return true;
}

/*
 * parse_fail: --fail NAME[:AFTER[:COUNT]] -- failpoint NAME armed at
 * boot: AFTER calls succeed (0 without it), then COUNT fail (a number
 * from 1, or forever, the default); an I/O point fails with EIO.  The
 * same as a scenario's disk errors statement, for any failpoint.
 *
 * => returns the failpoint's id and its setting in *fs, or -1 with the
 *    reason printed.
 */
static int
parse_fail(const char *arg, struct failpoint_setting *fs)
{
	char buf[64], *name, *after, *count;
	long n;
	int id, error;

	if (strlen(arg) >= sizeof(buf)) {
		fprintf(stderr, "uvmsim: --fail: '%.20s...' is too long\n",
		    arg);
		return -1;
	}
	strcpy(buf, arg);
	name = buf;
	if ((after = strchr(name, ':')) != NULL)
		*after++ = '\0';
	if (after != NULL && (count = strchr(after, ':')) != NULL)
		*count++ = '\0';
	else
		count = NULL;
	if ((id = failpoint_lookup(name)) < 0) {
		fprintf(stderr,
		    "uvmsim: --fail %s: unknown failpoint '%s' (known: ", arg,
		    name);
		print_failpoints(stderr, 0);
		fprintf(stderr, ")\n");
		return -1;
	}
	*fs = (struct failpoint_setting){ true, 0, FAILPOINT_FOREVER, 0 };
	if (count != NULL && strchr(count, ':') != NULL) {
		fprintf(stderr,
		    "uvmsim: --fail %s: expected NAME[:AFTER[:COUNT]]\n", arg);
		return -1;
	}
	if (after != NULL) {
		if ((error = parse_count(after, UINT32_MAX, &n)) != 0) {
			fprintf(stderr,
			    "uvmsim: --fail %s: bad AFTER '%s': %s\n", arg,
			    after,
			    error == ERANGE ? "too large" :
					      "expected a whole number");
			return -1;
		}
		fs->fs_skip = (unsigned long)n;
	}
	if (count != NULL && strcmp(count, "forever") != 0) {
		if ((error = parse_count(count, UINT32_MAX, &n)) != 0 ||
		    n == 0) {
			fprintf(stderr,
			    "uvmsim: --fail %s: bad COUNT '%s': %s\n", arg,
			    count,
			    error == ERANGE ?
				"too large" :
				"expected a number from 1, or forever");
			return -1;
		}
		fs->fs_fail = (unsigned long)n;
	}
	return id;
}

/* the largest scenario file read */
#define SCEN_MAX_BYTES ((size_t)16 << 20)

/*
 * read_scenario: the whole of file `path' (- for the standard input)
 * as a string.
 *
 * => returns it (malloc'd), or NULL with the reason printed: it cannot
 *    be read, is too large, or holds a NUL byte (given by line and
 *    column).
 */
static char *
read_scenario(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	size_t len = 0, cap = 0, n, i;
	char *text = NULL, *nt;
	int line = 1, col = 1;

	if (f == NULL) {
		fprintf(stderr, "uvmsim: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			if ((nt = realloc(text, cap)) == NULL) {
				fprintf(stderr, "uvmsim: %s: out of memory\n",
				    path);
				goto fail;
			}
			text = nt;
		}
		n = fread(text + len, 1, 4096, f);
		len += n;
		if (len > SCEN_MAX_BYTES) {
			fprintf(stderr,
			    "uvmsim: %s: larger than %zu MiB; not a "
			    "scenario\n",
			    path, SCEN_MAX_BYTES >> 20);
			goto fail;
		}
		if (n < 4096)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "uvmsim: %s: %s\n", path, strerror(errno));
		goto fail;
	}
	for (i = 0; i < len; i++) {
		if (text[i] == '\0') {
			fprintf(stderr,
			    "%s:%d:%d: a NUL byte: this is not a text file\n",
			    path, line, col);
			goto fail;
		}
		if (text[i] == '\n') {
			line++;
			col = 1;
		} else
			col++;
	}
	text[len] = '\0';
	if (f != stdin)
		fclose(f);
	return text;
fail:
	free(text);
	if (f != stdin)
		fclose(f);
	return NULL;
}

/*
 * is_empty: does the scenario text hold nothing but blank lines and
 * comments?  Such a file boots a machine and stops it: it is refused,
 * as a file given by mistake (the wrong name, an empty standard input).
 * A file of settings alone is not empty.
 */
static bool
is_empty(const char *text)
{
	const char *p = text;

	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f' ||
		    *p == '\v')
			p++;
		if (*p != '\0' && *p != '\n' && *p != '#')
			return false;
		p += strcspn(p, "\n");
		if (*p == '\n')
			p++;
	}
	return true;
}

/* a directory the run may use: it must exist */
static bool
check_dir(const char *flag, const char *dir)
{
	struct stat st;

	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "uvmsim: %s %s: %s\n", flag, dir,
		    errno != 0 && stat(dir, &st) != 0 ? strerror(errno) :
							"not a directory");
		return false;
	}
	return true;
}

/* are a and b the same file (device and inode, whatever their names)? */
static bool
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/*
 * check_sandbox: --files DIR must be a directory, and not the root
 * directory: the scenario's file statements create files in the sandbox,
 * and a sandbox of / would let a scenario put files there.
 */
static bool
check_sandbox(const char *dir)
{
	struct stat st, root;

	if (!check_dir("--files", dir))
		return false;
	if (stat(dir, &st) == 0 && stat("/", &root) == 0 &&
	    same_file(&st, &root)) {
		fprintf(stderr,
		    "uvmsim: --files %s: the root directory cannot be the "
		    "sandbox (the scenario's file statements create files "
		    "there)\n",
		    dir);
		return false;
	}
	return true;
}

/*
 * check_output: the file an option writes (--json FILE, --trace-file
 * FILE; opt names the option) must not be the scenario being run
 * (`file', - for the standard input), whatever names either is given
 * by: writing it would destroy the scenario.  Only a regular scenario
 * file counts (--json /dev/null with the scenario on a terminal or a
 * pipe is fine).
 */
static bool
check_output(const char *opt, const char *out, const char *file)
{
	struct stat js, ss;
	int rv;

	if (stat(out, &js) != 0)
		return true; /* it does not exist yet: it is not the scenario */
	rv =
	    strcmp(file, "-") == 0 ? fstat(STDIN_FILENO, &ss) : stat(file, &ss);
	if (rv != 0 || !S_ISREG(ss.st_mode) || !same_file(&js, &ss))
		return true;
	if (strcmp(file, "-") == 0)
		fprintf(stderr,
		    "uvmsim: %s %s: that is the scenario being run (the "
		    "standard input); it would be overwritten\n",
		    opt, out);
	else
		fprintf(stderr,
		    "uvmsim: %s %s: that is the scenario being run (%s); "
		    "it would be overwritten\n",
		    opt, out, file);
	return false;
}

/*
 * check_tmpdir: can files be made in the temporary directory?  The swap
 * file is made there at boot, and so is the sandbox without --files.
 * Asked before the run, so that what is wrong is named -- the directory
 * and the host's reason -- and nothing runs (exit status 2).
 */
static bool
check_tmpdir(void)
{
	const char *dir = swapdisk_tmpdir(), *env = getenv("TMPDIR");
	struct stat st;
	int error = 0;

	if (stat(dir, &st) != 0)
		error = errno;
	else if (!S_ISDIR(st.st_mode))
		error = ENOTDIR;
	else if (access(dir, W_OK | X_OK) != 0)
		error = errno;
	if (error == 0)
		return true;
	fprintf(stderr, "uvmsim: cannot create the swap file in %s%s: %s\n",
	    dir, env != NULL && *env != '\0' ? " (TMPDIR)" : "",
	    strerror(error));
	return false;
}

/*
 * list_counters: --list-counters -- every counter's name, as vmstat,
 * expect and --json name it, and what it counts, from the counter table.
 */
static void
list_counters(FILE *f)
{
	int i;

	for (i = 0; i < report_ncounters; i++)
		fprintf(f, "%-20s %s\n", report_counters[i].rc_name,
		    report_counters[i].rc_desc);
}

/* bytes as the largest binary unit that shows them to a tenth */
static void
bytes_text(uint64_t b, char *buf, size_t len)
{
	static const char *const unit[] = { "bytes", "KiB", "MiB", "GiB",
		"TiB" };
	int u = 0;
	uint64_t whole = b, tenths = 0;

	while (whole >= 1024 && u < 4) {
		tenths = (whole % 1024) * 10 / 1024;
		whole /= 1024;
		u++;
	}
	if (u == 0 || tenths == 0)
		snprintf(buf, len, "%llu %s", (unsigned long long)whole,
		    unit[u]);
	else
		snprintf(buf, len, "%llu.%llu %s", (unsigned long long)whole,
		    (unsigned long long)tenths, unit[u]);
}

/*
 * check_host_memory: the machine's physical memory is a host buffer of
 * as many bytes: a machine larger than the host's physical memory would
 * swap the host, or be killed by it, so it is refused unless --force.
 *
 * => returns true if the run may go on; else says why.
 */
static bool
check_host_memory(const struct machine_config *mc, bool force)
{
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
	uint64_t host, want = (uint64_t)mc->mc_npages * mc->mc_pagesize;
	char w[32], h[32];

	if (force || pages <= 0 || psz <= 0)
		return true;
	host = (uint64_t)pages * (uint64_t)psz;
	if (want <= host)
		return true;
	bytes_text(want, w, sizeof(w));
	bytes_text(host, h, sizeof(h));
	fprintf(stderr,
	    "uvmsim: the machine's memory (%s) is more than this host's "
	    "(%s): too large for the host (--force runs it anyway)\n",
	    w, h);
	return false;
}

/*
 * Stopping a run: SIGINT and SIGTERM, --max-time, --max-steps.
 *
 * The simulation runs in one host thread (its processes are fibers of
 * it), so a signal interrupts the simulation wherever it is, perhaps in
 * the middle of a page table update.  The handler therefore only
 * records the signal (kern_stop_signal, async-signal-safe); the
 * scheduler sees it at the next switch or preemption point and hands
 * the CPU to the idle loop, which calls stop_hook from the host, where
 * stdio and the file system may be used.  A second signal of the kind
 * kills the program at once, as if it were not caught.
 */
static FILE *run_out;		/* the report of the run in progress */
static simtime_t limit_time;	/* --max-time, for the message */
static uint64_t limit_steps;	/* --max-steps, for the message */
static struct timespec t_start; /* wall time: only for the progress line */
static struct timespec t_shown;
static bool progress_shown;

/* simulated time, as the reports give it: seconds to the microsecond */
static void
simtime_text(simtime_t t, char *buf, size_t len)
{
	snprintf(buf, len, "%llu.%06llu s", (unsigned long long)(t / 1000000),
	    (unsigned long long)(t % 1000000));
}

/* progress_clear: take the progress line off the terminal */
static void
progress_clear(void)
{
	if (progress_shown)
		fputs("\r\033[K", stderr);
	progress_shown = false;
}

static double
seconds_since(const struct timespec *t0, const struct timespec *t1)
{
	return (double)(t1->tv_sec - t0->tv_sec) +
	    (double)(t1->tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * progress: the progress line, on a terminal only, once the run has
 * taken a second of wall time, four times a second at most.  What it
 * shows is simulated; only when it shows depends on the host.
 */
static void
progress(void)
{
	struct timespec now;
	char t[40];

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (seconds_since(&t_start, &now) < 1.0 ||
	    (progress_shown && seconds_since(&t_shown, &now) < 0.25))
		return;
	simtime_text(clock_now(), t, sizeof(t));
	fprintf(stderr, "\ruvmsim: simulated time %s, %llu steps\033[K", t,
	    (unsigned long long)kern_steps);
	t_shown = now;
	progress_shown = true;
}

/* flush what the run printed, so that none of it is lost */
static void
flush_output(void)
{
	progress_clear();
	if (run_out != NULL)
		(void)fflush(run_out);
	(void)fflush(stdout);
}

/*
 * stop_hook: the run was stopped (kern_run, from the host): say when and
 * why, flush what it printed, remove its temporary sandbox, and exit --
 * 128 + the signal's number, or 1 for a limit.  The machine is not shut
 * down: what it holds is the host's to take back.
 */
static __dead void
stop_hook(enum kern_stop why)
{
	int sig = kern_stop_signal, status;
	char t[40], lim[40];

	flush_output();
	simtime_text(clock_now(), t, sizeof(t));
	switch (why) {
	case KSTOP_TIME:
		simtime_text(limit_time, lim, sizeof(lim));
		fprintf(stderr,
		    "uvmsim: the run reached --max-time (%s of simulated "
		    "time) and was stopped\n",
		    lim);
		status = 1;
		break;
	case KSTOP_STEPS:
		fprintf(stderr,
		    "uvmsim: the run took --max-steps (%llu steps) and was "
		    "stopped at simulated time %s\n",
		    (unsigned long long)limit_steps, t);
		status = 1;
		break;
	default:
		fprintf(stderr,
		    "uvmsim: %s: the run was stopped at simulated "
		    "time %s\n",
		    strsignal(sig), t);
		status = 128 + sig;
		break;
	}
	scen_abandon();
	trace_close();
	(void)fflush(stderr);
	/* not exit(): the machine's memory is not freed, and need not be */
	_exit(status);
}

/* main_panic: a panic still flushes the report and removes the sandbox */
static __dead void
main_panic(const char *msg)
{
	flush_output();
	scen_abandon();
	fprintf(stderr, "panic: %s\n", msg);
	(void)fflush(NULL);
	abort();
}

/*
 * stops_init: catch SIGINT and SIGTERM, set the limits, and show
 * progress on a terminal (never when the trace is written there).
 */
static void
stops_init(simtime_t max_time, uint64_t max_steps, bool trace)
{
	stopsig_catch();
	limit_time = max_time;
	limit_steps = max_steps;
	kern_set_limits(max_time, max_steps);
	kern_stop_hook = stop_hook;
	panic_hook = main_panic;
	clock_gettime(CLOCK_MONOTONIC, &t_start);
	if (!trace && isatty(STDERR_FILENO))
		kern_poll_hook = progress;
}

/* the options that are not machine settings; their ids follow the table */
enum {
	OPT_FILES = 1000,
	OPT_CORES,
	OPT_JSON,
	OPT_HTML,
	OPT_SAMPLE,
	OPT_MAX_OUTPUT,
	OPT_MAX_TIME,
	OPT_MAX_STEPS,
	OPT_FORCE,
	OPT_FAIL,
	OPT_TRACE,
	OPT_TRACE_FILE,
	OPT_CHECK,
	OPT_LIST_COUNTERS,
	OPT_HELP,
	OPT_VERSION,
};
static const struct option run_options[] = {
	{ "fail", required_argument, NULL, OPT_FAIL },
	{ "files", required_argument, NULL, OPT_FILES },
	{ "cores", required_argument, NULL, OPT_CORES },
	{ "json", required_argument, NULL, OPT_JSON },
	{ "html", required_argument, NULL, OPT_HTML },
	{ "sample", required_argument, NULL, OPT_SAMPLE },
	{ "max-output", required_argument, NULL, OPT_MAX_OUTPUT },
	{ "max-time", required_argument, NULL, OPT_MAX_TIME },
	{ "max-steps", required_argument, NULL, OPT_MAX_STEPS },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "trace", optional_argument, NULL, OPT_TRACE },
	{ "trace-file", required_argument, NULL, OPT_TRACE_FILE },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "list-counters", no_argument, NULL, OPT_LIST_COUNTERS },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
};
#define N_RUN_OPTIONS (__arraycount(run_options))

/* the commands */
static const char *const commands[] = { "run", "check", "help", "replay",
	"convert", "merge", NULL };

/*
 * long_options: getopt's table -- one option per machine setting
 * (settings.h), its val the setting's index, then the run options.
 */
static void
long_options(struct option *opts)
{
	int i;

	for (i = 0; i < settings_n; i++)
		opts[i] = (struct option){ settings_table[i].st_name,
			required_argument, NULL, i };
	memcpy(&opts[settings_n], run_options, sizeof(run_options));
	memset(&opts[settings_n + N_RUN_OPTIONS], 0, sizeof(*opts));
}

/*
 * unknown_option: say that arg (--NAME[=VALUE], or -C) is not an option,
 * and which option it may have meant.
 */
static void
unknown_option(const struct option *opts, const char *arg)
{
	char name[SUGGEST_MAXLEN + 1];
	struct suggest sg;
	int i;

	if (strncmp(arg, "--", 2) != 0 || arg[2] == '\0') {
		fprintf(stderr, "uvmsim: unknown option '%s'\n", arg);
		return;
	}
	snprintf(name, sizeof(name), "%.*s", (int)strcspn(arg + 2, "="),
	    arg + 2);
	suggest_init(&sg, name);
	for (i = 0; opts[i].name != NULL; i++)
		suggest_add(&sg, opts[i].name);
	if (suggest_best(&sg) != NULL)
		fprintf(stderr,
		    "uvmsim: unknown option '%s' (did you mean --%s?)\n", arg,
		    suggest_best(&sg));
	else
		fprintf(stderr, "uvmsim: unknown option '%s'\n", arg);
}

int
main(int argc, char **argv)
{
	struct option longopts[SETTING_N + N_RUN_OPTIONS + 1];
	struct scen_overrides ov;
	struct scen_opts opts = { 0 };
	struct outcap oc;
	struct failpoint_setting fs;
	size_t max_output = MAX_OUTPUT_DEFAULT;
	struct scenario sc;
	struct machine_config *mc = &ov.so_set.se_mc;
	const char *cmd = NULL, *file = NULL, *name, *best;
	char *text, why[200];
	simtime_t max_time = SIMTIME_NEVER;
	uint64_t max_steps = 0;
	struct traceopt to = { 0 };
	bool force = false;
	int ch, error, li, rv, id;
	size_t v;
	long n;

	/* the trace commands take their own options (replay_cmd.c) */
	if (argc > 1 && strcmp(argv[1], "replay") == 0)
		return replay_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "convert") == 0)
		return convert_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "merge") == 0)
		return merge_main(argc - 1, argv + 1);

	memset(&ov, 0, sizeof(ov));
	settings_init(&ov.so_set);
	long_options(longopts);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", longopts, &li)) != -1) {
		if (ch >= 0 && ch < settings_n) {
			if (settings_set(&ov.so_set, settings_table[ch].st_name,
				optarg, why, sizeof(why)) != 0) {
				fprintf(stderr, "uvmsim: --%s %s: %s\n",
				    settings_table[ch].st_name, optarg, why);
				return EXIT_USAGE;
			}
			continue;
		}
		switch (ch) {
		case OPT_MAX_OUTPUT:
			error = parse_size(optarg, true, &v);
			if (error) {
				fprintf(stderr, "uvmsim: --max-output %s: %s\n",
				    optarg,
				    error == ERANGE ?
					"too large" :
					"expected a size: a number with an "
					"optional k, m or g suffix");
				return EXIT_USAGE;
			}
			max_output = v;
			break;
		case OPT_MAX_TIME:
			if (settings_parse_time(optarg, &max_time, why,
				sizeof(why)) != 0) {
				fprintf(stderr, "uvmsim: --max-time %s: %s\n",
				    optarg, why);
				return EXIT_USAGE;
			}
			break;
		case OPT_MAX_STEPS:
			if (parse_count(optarg, LONG_MAX, &n) != 0 || n == 0) {
				fprintf(stderr,
				    "uvmsim: --max-steps %s: expected a whole "
				    "number from 1\n",
				    optarg);
				return EXIT_USAGE;
			}
			max_steps = (uint64_t)n;
			break;
		case OPT_FORCE:
			force = true;
			break;
		case OPT_FILES:
			if (!check_sandbox(optarg))
				return EXIT_USAGE;
			opts.filedir = optarg;
			break;
		case OPT_CORES:
			if (!check_dir("--cores", optarg))
				return EXIT_USAGE;
			opts.coredir = optarg;
			break;
		case OPT_JSON:
			opts.json = optarg;
			break;
		case OPT_HTML:
			opts.html = optarg;
			break;
		case OPT_SAMPLE:
			why[0] = '\0';
			if (settings_parse_time(optarg, &opts.sample, why,
				sizeof(why)) != 0 ||
			    opts.sample == 0) {
				fprintf(stderr, "uvmsim: --sample %s: %s\n",
				    optarg,
				    why[0] != '\0' ? why :
						     "the interval must be "
						     "more than 0");
				return EXIT_USAGE;
			}
			break;
		case OPT_FAIL:
			if ((id = parse_fail(optarg, &fs)) < 0)
				return EXIT_USAGE;
			if (ov.so_fail[id]) {
				fprintf(stderr,
				    "uvmsim: --fail %s: failpoint %s is "
				    "already set\n",
				    optarg, failpoints[id].fp_name);
				return EXIT_USAGE;
			}
			ov.so_fail[id] = true;
			mc->mc_fail[id] = fs;
			break;
		case OPT_TRACE:
			if (traceopt_cats(&to, optarg) != 0)
				return EXIT_USAGE;
			break;
		case OPT_TRACE_FILE:
			traceopt_file(&to, optarg);
			break;
		case OPT_CHECK:
			opts.check = true;
			break;
		case OPT_LIST_COUNTERS:
			list_counters(stdout);
			return 0;
		case 'h':
		case OPT_HELP:
			usage(stdout);
			return 0;
		case OPT_VERSION:
			printf("uvmsim %s\n", UVMSIM_VERSION);
			return 0;
		case ':':
			fprintf(stderr, "uvmsim: option '%s' needs a value\n",
			    argv[optind - 1]);
			return EXIT_USAGE;
		default:
			/*
			 * getopt says which option through optopt: 0 for an
			 * unknown long option (the argument it stepped over),
			 * a long option's value for one given a value it does
			 * not take, else the unknown short option.
			 */
			if (optopt != 0 &&
			    strncmp(argv[optind - 1], "--", 2) == 0)
				fprintf(stderr,
				    "uvmsim: option '%.*s' takes "
				    "no value\n",
				    (int)strcspn(argv[optind - 1], "="),
				    argv[optind - 1]);
			else if (optopt != 0)
				fprintf(stderr,
				    "uvmsim: unknown option '-%c'\n", optopt);
			else
				unknown_option(longopts, argv[optind - 1]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cmd = argv[optind++];
		if (strcmp(cmd, "help") == 0) /* the statements (uvmsim(5)) */
			return scen_help(stdout);
		if (strcmp(cmd, "run") != 0 && strcmp(cmd, "check") != 0) {
			best = suggest(cmd, commands, (size_t)-1);
			if (best != NULL)
				fprintf(stderr,
				    "uvmsim: unknown command '%s' (did you "
				    "mean %s?)\n",
				    cmd, best);
			else {
				fprintf(stderr,
				    "uvmsim: unknown command '%s' (", cmd);
				for (li = 0; commands[li] != NULL; li++)
					fprintf(stderr, "%s%s",
					    li > 0 ? ", " : "", commands[li]);
				fprintf(stderr, ")\n");
			}
			usage(stderr);
			return EXIT_USAGE;
		}
		if (optind == argc) {
			fprintf(stderr, "uvmsim: %s: which scenario file?\n",
			    cmd);
			return EXIT_USAGE;
		}
		file = argv[optind++];
	}
	if (optind < argc) {
		fprintf(stderr, "uvmsim: unexpected argument '%s'\n",
		    argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}

	if (file != NULL && opts.json != NULL &&
	    !check_output("--json", opts.json, file))
		return EXIT_USAGE;
	if (file != NULL && opts.html != NULL &&
	    !check_output("--html", opts.html, file))
		return EXIT_USAGE;
	if (file != NULL && to.to_file != NULL &&
	    !check_output("--trace-file", to.to_file, file))
		return EXIT_USAGE;
	if (file != NULL) {
		if ((text = read_scenario(file)) == NULL)
			return EXIT_USAGE;
		name = strcmp(file, "-") == 0 ? "(stdin)" : file;
		if (is_empty(text)) {
			fprintf(stderr,
			    "uvmsim: %s: the scenario is empty (nothing but "
			    "comments and blank lines): nothing to run\n",
			    name);
			free(text);
			return EXIT_USAGE;
		}
	} else {
		text = strdup(scen_demo_text);
		if (text == NULL) {
			fprintf(stderr, "uvmsim: out of memory\n");
			return 1;
		}
		name = SCEN_DEMO_NAME;
	}
	if (scen_parse(&sc, name, text, &ov, stderr) != 0) {
		free(text);
		return EXIT_USAGE;
	}
	free(text);
	if (cmd != NULL && strcmp(cmd, "check") == 0) {
		printf("%s: ok\n", name);
		scen_free(&sc);
		return 0;
	}
	if (!check_host_memory(&sc.sc_mc, force) || !check_tmpdir() ||
	    traceopt_start(&to) != 0) {
		scen_free(&sc);
		return EXIT_USAGE;
	}
	if ((opts.out = outcap_open(&oc, stdout, max_output)) == NULL) {
		fprintf(stderr, "uvmsim: out of memory\n");
		traceopt_stop(&to);
		scen_free(&sc);
		return 1;
	}
	run_out = opts.out;
	stops_init(max_time, max_steps, traceopt_stderr(&to));
	rv = scen_run(&sc, &opts);
	scen_free(&sc);
	traceopt_stop(&to);
	progress_clear();
	if (!outcap_close(&oc, opts.out))
		rv = 1;
	run_out = NULL;
	if (kern_stop_signal != 0) {
		/* the signal came when no run could see it */
		fprintf(stderr, "uvmsim: %s\n", strsignal(kern_stop_signal));
		return 128 + kern_stop_signal;
	}
	return rv;
}
