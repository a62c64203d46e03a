/*
 * replay_cmd.c: the replay, convert and merge commands of uvmsim(1).
 *
 *   uvmsim replay [options] TRACE...
 *   uvmsim convert IN OUT
 *   uvmsim merge RECORD...
 *
 * A replay is one configuration (a policy, and a memory size or, in
 * textbook mode, a number of frames) or a sweep of them: --memory and
 * --frames take lists and ranges, in pages, bytes or percentages of the
 * traces' footprint (their distinct pages), and --policy a list.  Each
 * configuration is an independent, deterministic run; -j N runs them in
 * N host processes at once.  A sweep prints one table, and writes the
 * same records as JSON (--json) or CSV (--csv).  --plan prints the runs
 * as command lines instead, each writing one record (--record), for
 * whatever runs commands on many hosts; merge builds the table again
 * from the records.
 *
 * A record is one line of JSON: every configuration field and every
 * figure of the run, with a version ("uvmsim-replay-record": 1).
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kern/kern.h"
#include "machine/trace.h"
#include "sim/html.h"
#include "sim/mrc.h"
#include "sim/outfile.h"
#include "sim/replay.h"
#include "sim/scenario.h"
#include "sim/series.h"
#include "sim/settings.h"
#include "sim/stopsig.h"
#include "sim/suggest.h"
#include "sim/textbook.h"
#include "sim/tracefile.h"
#include "sim/traceopt.h"

#define RECORD_VERSION 1
#define PCT_SCALE      100 /* a percentage is kept in hundredths */
#define MAX_CONFIGS    100000

/* one value of a --memory or --frames list, before the footprint */
struct amount {
	uint64_t am_v; /* pages, bytes, or hundredths of a percent */
	enum { AM_PAGES, AM_BYTES, AM_PCT } am_unit;
};

/* one configuration of a sweep, and what its run did */
struct config {
	char cf_policy[8];
	uint64_t cf_memory; /* pages (full VM), or 0 */
	uint64_t cf_frames; /* textbook frames, or 0 */
	int cf_status;	    /* the run's exit status */
	struct replay_result cf_rr;
};

static void cmd_err(const char *, ...) __attribute__((format(printf, 1, 2)));

/*
 * SIGINT and SIGTERM (stopsig.h): the replay stops at its next
 * preemption point (or reference, in textbook mode), prints what it did
 * marked partial, and exits 128 + the signal.
 */
static void
catch_stops(void)
{
	stopsig_catch();
}

static void
cmd_err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "uvmsim: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * Lists
 */

/* parse_amount: "64", "64p", "256k", "50%", "12.5%" */
static int
parse_amount(const char *s, bool bytes_ok, struct amount *am)
{
	char *end;
	uint64_t v, frac = 0;
	int digits = 0;

	if (*s < '0' || *s > '9')
		return EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return ERANGE;
	if (*end == '.') {
		for (end++; *end >= '0' && *end <= '9'; end++)
			if (digits++ < 2)
				frac = frac * 10 + (uint64_t)(*end - '0');
		if (digits == 0)
			return EINVAL;
		while (digits++ < 2)
			frac *= 10;
		if (*end != '%')
			return EINVAL;
	}
	if (strcmp(end, "%") == 0) {
		if (v > 100000)
			return ERANGE;
		am->am_unit = AM_PCT;
		am->am_v = v * PCT_SCALE + frac;
		return am->am_v == 0 ? ERANGE : 0;
	}
	if (*end == '\0' || strcmp(end, "p") == 0) {
		am->am_unit = AM_PAGES;
		am->am_v = v;
		return v == 0 ? ERANGE : 0;
	}
	if (!bytes_ok || end[1] != '\0')
		return EINVAL;
	switch (*end) {
	case 'k':
	case 'K':
		v <<= 10;
		break;
	case 'm':
	case 'M':
		v <<= 20;
		break;
	case 'g':
	case 'G':
		v <<= 30;
		break;
	default:
		return EINVAL;
	}
	am->am_unit = AM_BYTES;
	am->am_v = v;
	return v == 0 ? ERANGE : 0;
}

/*
 * parse_list: a comma-separated list of amounts and ranges
 * (FROM..TO/STEP, all three of the same unit), into *v (*n of them).
 *
 * => returns 0, or -1 having said what is wrong.
 */
static int
parse_list(const char *opt, const char *text, bool bytes_ok, struct amount **v,
    int *n)
{
	char *copy = strdup(text), *item, *save = NULL, *dots, *slash;
	struct amount a, b, step;
	int cap = 0;

	*v = NULL;
	*n = 0;
	if (copy == NULL)
		return -1;
	for (item = strtok_r(copy, ",", &save); item != NULL;
	     item = strtok_r(NULL, ",", &save)) {
		dots = strstr(item, "..");
		slash = dots != NULL ? strchr(dots, '/') : NULL;
		if (dots != NULL) {
			*dots = '\0';
			if (slash != NULL)
				*slash = '\0';
		}
		if (parse_amount(item, bytes_ok, &a) != 0 ||
		    (dots != NULL &&
			(slash == NULL ||
			    parse_amount(dots + 2, bytes_ok, &b) ||
			    parse_amount(slash + 1, bytes_ok, &step) ||
			    a.am_unit != b.am_unit ||
			    a.am_unit != step.am_unit || b.am_v < a.am_v))) {
			cmd_err("%s %s: not a %s", opt, text,
			    dots != NULL ?
				"range (FROM..TO/STEP, one unit, "
				"FROM at most TO)" :
				bytes_ok ?
				"size (N pages, Np, a size with k, m "
				"or g, or N%)" :
				"number of frames (N or N%)");
			free(copy);
			free(*v);
			return -1;
		}
		if (dots == NULL)
			b = step = a;
		for (; a.am_v <= b.am_v; a.am_v += step.am_v) {
			if (*n == MAX_CONFIGS) {
				cmd_err("%s %s: more than %d values", opt, text,
				    MAX_CONFIGS);
				free(copy);
				free(*v);
				return -1;
			}
			if (*n == cap) {
				struct amount *nv;

				cap = cap == 0 ? 16 : cap * 2;
				nv = realloc(*v, (size_t)cap * sizeof(**v));
				if (nv == NULL) {
					free(copy);
					free(*v);
					return -1;
				}
				*v = nv;
			}
			(*v)[(*n)++] = a;
			if (dots == NULL || UINT64_MAX - a.am_v < step.am_v)
				break;
		}
	}
	free(copy);
	if (*n == 0) {
		cmd_err("%s: an empty list", opt);
		return -1;
	}
	return 0;
}

/* amount_pages: an amount in pages, given the footprint and page size */
static int
amount_pages(const char *opt, const struct amount *am, uint64_t footprint,
    uint64_t pagesize, uint64_t *pages)
{
	switch (am->am_unit) {
	case AM_PAGES:
		*pages = am->am_v;
		return 0;
	case AM_BYTES:
		if (am->am_v % pagesize != 0) {
			cmd_err("%s: %" PRIu64
				" bytes is not a whole number of "
				"%" PRIu64 "-byte pages",
			    opt, am->am_v, pagesize);
			return -1;
		}
		*pages = am->am_v / pagesize;
		return 0;
	case AM_PCT:
		/* rounded up: 10% of 15 pages is 2 pages */
		*pages = (am->am_v * footprint + 100 * PCT_SCALE - 1) /
		    (100 * PCT_SCALE);
		if (*pages == 0)
			*pages = 1;
		return 0;
	}
	return -1;
}

/*
 * footprint: the distinct pages of the traces, each its own (as each is
 * its own process), summed.
 */
static int
footprint(char *const *traces, int n, unsigned shift, uint64_t *pages)
{
	struct tracefile *tf;
	struct refmap *rm;
	uint64_t p;
	char why[600];
	bool writes;
	int i, got;

	*pages = 0;
	for (i = 0; i < n; i++) {
		if (tracefile_open(&tf, traces[i], why, sizeof(why)) != 0) {
			cmd_err("%s", why);
			return -1;
		}
		if ((rm = refmap_new()) == NULL) {
			tracefile_close(tf);
			cmd_err("out of host memory");
			return -1;
		}
		while ((got = tracefile_next_page(tf, shift, &p, &writes)) > 0)
			if (refmap_id(rm, p) < 0) {
				got = -3;
				break;
			}
		if (got == -1)
			cmd_err("%s", tracefile_error(tf));
		else if (got == -3)
			cmd_err("out of host memory");
		*pages += refmap_count(rm);
		refmap_free(rm);
		tracefile_close(tf);
		if (got < 0)
			return -1;
	}
	return 0;
}

/*
 * Records
 */

static const char *const record_fields[] = {
	"policy",
	"memory",
	"frames",
	"references",
	"faults",
	"minflt",
	"majflt",
	"pageins",
	"pageouts",
	"pdwakeups",
	"time_us",
	"status",
};

static void
record_values(const struct config *cf, uint64_t *v)
{
	v[0] = 0;
	v[1] = cf->cf_memory;
	v[2] = cf->cf_frames;
	v[3] = cf->cf_rr.rr_refs;
	v[4] = cf->cf_rr.rr_faults;
	v[5] = cf->cf_rr.rr_minflt;
	v[6] = cf->cf_rr.rr_majflt;
	v[7] = cf->cf_rr.rr_pageins;
	v[8] = cf->cf_rr.rr_pageouts;
	v[9] = cf->cf_rr.rr_pdwoke;
	v[10] = (uint64_t)cf->cf_rr.rr_time;
	v[11] = (uint64_t)cf->cf_status;
}

/* record_write: cf as one JSON line */
static void
record_write(FILE *f, const struct config *cf)
{
	uint64_t v[__arraycount(record_fields)];
	size_t i;

	record_values(cf, v);
	fprintf(f, "{\"uvmsim-replay-record\": %d, \"policy\": \"%s\"",
	    RECORD_VERSION, cf->cf_policy);
	for (i = 1; i < __arraycount(record_fields); i++)
		fprintf(f, ", \"%s\": %" PRIu64, record_fields[i], v[i]);
	fprintf(f, "}\n");
}

/* json_u64: the number after "name": in line */
static bool
json_u64(const char *line, const char *name, uint64_t *v)
{
	char key[64];
	const char *s;
	char *end;

	snprintf(key, sizeof(key), "\"%s\": ", name);
	if ((s = strstr(line, key)) == NULL)
		return false;
	errno = 0;
	*v = strtoull(s + strlen(key), &end, 10);
	return errno == 0 && end != s + strlen(key);
}

/* record_read: a record line back into cf; false if it is not one */
static bool
record_read(const char *line, struct config *cf)
{
	uint64_t v[__arraycount(record_fields)], version;
	const char *s, *e;
	size_t i;

	memset(cf, 0, sizeof(*cf));
	if (!json_u64(line, "uvmsim-replay-record", &version) ||
	    version != RECORD_VERSION)
		return false;
	if ((s = strstr(line, "\"policy\": \"")) == NULL)
		return false;
	s += strlen("\"policy\": \"");
	if ((e = strchr(s, '"')) == NULL ||
	    (size_t)(e - s) >= sizeof(cf->cf_policy))
		return false;
	memcpy(cf->cf_policy, s, (size_t)(e - s));
	for (i = 1; i < __arraycount(record_fields); i++)
		if (!json_u64(line, record_fields[i], &v[i]))
			return false;
	cf->cf_memory = v[1];
	cf->cf_frames = v[2];
	cf->cf_rr.rr_refs = v[3];
	cf->cf_rr.rr_faults = v[4];
	cf->cf_rr.rr_minflt = v[5];
	cf->cf_rr.rr_majflt = v[6];
	cf->cf_rr.rr_pageins = v[7];
	cf->cf_rr.rr_pageouts = v[8];
	cf->cf_rr.rr_pdwoke = v[9];
	cf->cf_rr.rr_time = (simtime_t)v[10];
	cf->cf_status = (int)v[11];
	return true;
}

/*
 * The table: one line per configuration, with the ratio to OPT of the
 * same size -- page-ins in full-VM mode, faults in textbook mode.
 */
static uint64_t
table_measure(const struct config *cf)
{
	return cf->cf_frames > 0 ? cf->cf_rr.rr_faults : cf->cf_rr.rr_pageins;
}

static void
table_ratio(const struct config *cfs, int n, int i, char *buf, size_t len)
{
	const struct config *cf = &cfs[i];
	int j;

	snprintf(buf, len, "-");
	for (j = 0; j < n; j++) {
		const struct config *o = &cfs[j];

		if (strcmp(o->cf_policy, "opt") != 0 ||
		    o->cf_memory != cf->cf_memory ||
		    o->cf_frames != cf->cf_frames || o->cf_status != 0)
			continue;
		if (table_measure(o) == 0)
			snprintf(buf, len, "%s",
			    table_measure(cf) == 0 ? "1.00" : "inf");
		else
			snprintf(buf, len, "%.2f",
			    (double)table_measure(cf) /
				(double)table_measure(o));
		return;
	}
}

static void
table_print(FILE *f, const struct config *cfs, int n)
{
	char ratio[32], size[32];
	bool textbook = n > 0 && cfs[0].cf_frames > 0;
	int i;

	if (textbook)
		fprintf(f, "%-7s %10s %12s %12s %8s %7s\n", "POLICY", "FRAMES",
		    "REFERENCES", "FAULTS", "HITS%", "VS-OPT");
	else
		fprintf(f, "%-7s %10s %12s %10s %10s %10s %10s %8s %12s %7s\n",
		    "POLICY", "MEMORY", "REFERENCES", "FAULTS", "MAJFLT",
		    "PAGEINS", "PAGEOUTS", "PDWAKE", "TIME(s)", "VS-OPT");
	for (i = 0; i < n; i++) {
		const struct config *cf = &cfs[i];
		const struct replay_result *rr = &cf->cf_rr;

		table_ratio(cfs, n, i, ratio, sizeof(ratio));
		if (cf->cf_status != 0)
			snprintf(ratio, sizeof(ratio), "%s",
			    cf->cf_status >= 128 ? "partial" : "failed");
		if (textbook) {
			fprintf(f,
			    "%-7s %10" PRIu64 " %12" PRIu64 " %12" PRIu64
			    " %8.2f %7s\n",
			    cf->cf_policy, cf->cf_frames, rr->rr_refs,
			    rr->rr_faults,
			    rr->rr_refs == 0 ?
				0.0 :
				100.0 * (double)(rr->rr_refs - rr->rr_faults) /
				    (double)rr->rr_refs,
			    ratio);
			continue;
		}
		snprintf(size, sizeof(size), "%" PRIu64 "p", cf->cf_memory);
		fprintf(f,
		    "%-7s %10s %12" PRIu64 " %10" PRIu64 " %10" PRIu64
		    " %10" PRIu64 " %10" PRIu64 " %8" PRIu64 " %12.6f %7s\n",
		    cf->cf_policy, size, rr->rr_refs, rr->rr_faults,
		    rr->rr_majflt, rr->rr_pageins, rr->rr_pageouts,
		    rr->rr_pdwoke, (double)rr->rr_time / 1e6, ratio);
	}
}

/* outputs: the JSON array and the CSV of a sweep's records */
static int
write_outputs(const char *json, const char *csv, const struct config *cfs,
    int n)
{
	uint64_t v[__arraycount(record_fields)];
	FILE *f;
	size_t k;
	int i;

	if (json != NULL) {
		if ((f = outfile_open(json)) == NULL) {
			cmd_err("replay: --json %s: %s", json, strerror(errno));
			return -1;
		}
		fprintf(f, "{\"uvmsim-replay-sweep\": %d, \"records\": [\n",
		    RECORD_VERSION);
		for (i = 0; i < n; i++) {
			if (i > 0)
				fprintf(f, ",");
			record_write(f, &cfs[i]);
		}
		fprintf(f, "]}\n");
		if (outfile_close(f) != 0) {
			cmd_err("replay: --json %s: %s", json, strerror(errno));
			return -1;
		}
	}
	if (csv != NULL) {
		if ((f = outfile_open(csv)) == NULL) {
			cmd_err("replay: --csv %s: %s", csv, strerror(errno));
			return -1;
		}
		for (k = 0; k < __arraycount(record_fields); k++)
			fprintf(f, "%s%s", k > 0 ? "," : "", record_fields[k]);
		fprintf(f, "\n");
		for (i = 0; i < n; i++) {
			record_values(&cfs[i], v);
			fprintf(f, "%s", cfs[i].cf_policy);
			for (k = 1; k < __arraycount(record_fields); k++)
				fprintf(f, ",%" PRIu64, v[k]);
			fprintf(f, "\n");
		}
		if (outfile_close(f) != 0) {
			cmd_err("replay: --csv %s: %s", csv, strerror(errno));
			return -1;
		}
	}
	return 0;
}

/*
 * Running a sweep
 */

struct sweep {
	struct settings sw_set; /* the machine, but memory and policy */
	char *const *sw_traces;
	int sw_ntraces;
	bool sw_check;
	struct tb_params sw_tbparams; /* textbook: clock bits, rand's seed */
	bool sw_steps, sw_quiz, sw_answers;
	/* textbook lru from one pass (mrc.h), one per trace, or NULL */
	struct mrc **sw_lru;
	/* full VM: record for --html and --working-set */
	bool sw_series;
	struct replay_rss *sw_rss;
};

/* run_one: cf's replay in this process; its report to out */
static void
run_one(const struct sweep *sw, struct config *cf, FILE *out)
{
	struct replay_opts o;
	int i;

	/* lru's count at every size is one pass's: no run needed */
	if (sw->sw_lru != NULL && cf->cf_frames > 0 &&
	    strcmp(cf->cf_policy, "lru") == 0) {
		memset(&cf->cf_rr, 0, sizeof(cf->cf_rr));
		for (i = 0; i < sw->sw_ntraces; i++) {
			cf->cf_rr.rr_refs += mrc_refs(sw->sw_lru[i]);
			cf->cf_rr.rr_faults +=
			    mrc_misses(sw->sw_lru[i], cf->cf_frames);
			cf->cf_rr.rr_distinct += mrc_distinct(sw->sw_lru[i]);
		}
		cf->cf_status = 0;
		return;
	}
	memset(&o, 0, sizeof(o));
	o.ro_mc = sw->sw_set.se_mc;
	if (cf->cf_memory > 0)
		o.ro_mc.mc_npages = cf->cf_memory;
	o.ro_mc.mc_policy = cf->cf_policy;
	o.ro_traces = (const char *const *)sw->sw_traces;
	o.ro_ntraces = sw->sw_ntraces;
	o.ro_frames = cf->cf_frames;
	o.ro_check = sw->sw_check;
	o.ro_out = out;
	o.ro_result = &cf->cf_rr;
	o.ro_tbparams = sw->sw_tbparams;
	o.ro_steps = sw->sw_steps;
	o.ro_quiz = sw->sw_quiz;
	o.ro_answers = sw->sw_answers;
	o.ro_series = sw->sw_series;
	o.ro_rss = sw->sw_rss;
	cf->cf_status = replay_run(&o);
}

/*
 * run_parallel: the configurations in up to jobs host processes at once,
 * each sending its result back through a pipe; the results land in
 * their own slots, so the table does not depend on who finished first.
 */
static int
run_parallel(const struct sweep *sw, struct config *cfs, int n, int jobs)
{
	pid_t *pids = calloc((size_t)n, sizeof(*pids));
	int *fds = calloc((size_t)n, sizeof(*fds));
	int next = 0, running = 0, i, status, fd[2], rv = 0;
	FILE *devnull;

	if (pids == NULL || fds == NULL) {
		free(pids);
		free(fds);
		cmd_err("out of host memory");
		return -1;
	}
	fflush(NULL);
	while (next < n || running > 0) {
		while (next < n && running < jobs) {
			if (pipe(fd) != 0) {
				cmd_err("pipe: %s", strerror(errno));
				rv = -1;
				n = next;
				break;
			}
			pids[next] = fork();
			if (pids[next] < 0) {
				cmd_err("fork: %s", strerror(errno));
				close(fd[0]);
				close(fd[1]);
				rv = -1;
				n = next;
				break;
			}
			if (pids[next] == 0) {
				close(fd[0]);
				devnull = fopen("/dev/null", "w");
				run_one(sw, &cfs[next],
				    devnull != NULL ? devnull : stdout);
				if (write(fd[1], &cfs[next],
					sizeof(cfs[next])) !=
				    (ssize_t)sizeof(cfs[next]))
					_exit(3);
				_exit(0);
			}
			close(fd[1]);
			fds[next] = fd[0];
			next++;
			running++;
		}
		/* collect the oldest still running: results stay in order */
		for (i = 0; i < next; i++) {
			if (pids[i] <= 0)
				continue;
			if (read(fds[i], &cfs[i], sizeof(cfs[i])) !=
			    (ssize_t)sizeof(cfs[i])) {
				cfs[i].cf_status = 2;
				rv = -1;
			}
			close(fds[i]);
			(void)waitpid(pids[i], &status, 0);
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
				cfs[i].cf_status = 2;
				rv = -1;
			}
			pids[i] = 0;
			running--;
			break;
		}
	}
	free(pids);
	free(fds);
	return rv;
}

/*
 * spool: the standard input copied to a temporary file, for a sweep or
 * a percentage that must read the trace more than once.
 */
/* spool_new: a new temporary file, open for writing in *fp, for a trace
 * made here (generated, or the standard input copied); its path */
static char *
spool_new(FILE **fp)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if (asprintf(&path, "%s/uvmsim-spool.XXXXXX", dir) < 0)
		return NULL;
	if ((fd = mkstemp(path)) < 0 || (*fp = fdopen(fd, "w")) == NULL) {
		cmd_err("cannot make a temporary file in %s: %s", dir,
		    strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		free(path);
		return NULL;
	}
	return path;
}

static char *
spool_stdin(void)
{
	char buf[1 << 16], *path;
	size_t n;
	bool bad;
	FILE *f;

	if ((path = spool_new(&f)) == NULL)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0 &&
	    fwrite(buf, 1, n, f) == n)
		continue;
	bad = ferror(stdin) || ferror(f);
	if (fclose(f) != 0 || bad) {
		cmd_err("cannot copy the standard input: %s", strerror(errno));
		unlink(path);
		free(path);
		return NULL;
	}
	return path;
}

/*
 * run_var: the variable-allocation policies (--ws, --pff) on one trace:
 * a line per window or interval, with the mean resident set, so that
 * their faults can be set beside a fixed-frame policy's at that many
 * frames.
 */
static int
run_var(const char *path, unsigned shift, const struct amount *ws, int nws,
    const struct amount *pff, int npff)
{
	struct textbook_varcounts c;
	struct textbook_var *tv;
	struct tracefile *tf;
	struct refmap *rm;
	uint64_t pg;
	char why[600];
	bool writes;
	int i, got, rv = 0;

	printf("%-7s %10s %12s %12s %8s %10s %8s\n", "POLICY", "WINDOW",
	    "REFERENCES", "FAULTS", "HITS%", "MEAN-RSS", "MAX-RSS");
	for (i = 0; i < nws + npff && rv == 0; i++) {
		bool isws = i < nws;
		uint64_t param = isws ? ws[i].am_v : pff[i - nws].am_v;

		if (tracefile_open(&tf, path, why, sizeof(why)) != 0) {
			cmd_err("%s", why);
			return 2;
		}
		tv = textbook_var_new(isws ? TBV_WS : TBV_PFF, param);
		rm = refmap_new();
		got = tv == NULL || rm == NULL ? -2 : 0;
		while (got == 0 && kern_stop_signal == 0 &&
		    (got = tracefile_next_page(tf, shift, &pg, &writes)) > 0) {
			int64_t id = refmap_id(rm, pg);

			got = 0;
			if (id < 0 || textbook_var_ref(tv, (uint32_t)id) < 0)
				got = -2;
		}
		if (got == -1)
			cmd_err("%s", tracefile_error(tf));
		else if (got == -2)
			cmd_err("out of host memory");
		if (got < 0)
			rv = 2;
		else {
			textbook_var_counts(tv, &c);
			printf("%-7s %10" PRIu64 " %12" PRIu64 " %12" PRIu64
			       " %8.2f %10.2f %8" PRIu64 "\n",
			    isws ? "ws" : "pff", param, c.tv_refs, c.tv_faults,
			    c.tv_refs == 0 ?
				0.0 :
				100.0 * (double)(c.tv_refs - c.tv_faults) /
				    (double)c.tv_refs,
			    c.tv_refs == 0 ?
				0.0 :
				(double)c.tv_rss_sum / (double)c.tv_refs,
			    c.tv_rss_max);
		}
		textbook_var_free(tv);
		refmap_free(rm);
		tracefile_close(tf);
	}
	if (kern_stop_signal != 0) {
		printf("partial: stopped by %s\n", strsignal(kern_stop_signal));
		rv = 128 + kern_stop_signal;
	}
	return rv;
}

/*
 * Generated reference strings (--generate N --maxpage M --shape S): n
 * page numbers from 0 to maxpage - 1, from a seeded generator, in one
 * of these shapes of locality:
 *
 *   uniform            every page alike;
 *   hot:SHARE:PCT      SHARE% of the references go to the first PCT% of
 *                      the pages, the rest to the others (hot:80:20);
 *   loop:LEN           pages 0 to LEN - 1 in turn, over and over;
 *   phase              the first half of the references over the lower
 *                      half of the pages, the second over the upper half.
 *
 * => returns 0, or -1 having said what is wrong with the shape.
 */
static int
generate(FILE *f, uint64_t n, uint64_t maxpage, const char *shape,
    uint64_t seed)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ULL + 0x2545f4914f6cdd1dULL;
	uint64_t i, v, share = 0, pct = 0, len = 0, hot;
	char tail;

	if (strcmp(shape, "uniform") == 0 || strcmp(shape, "phase") == 0)
		;
	else if (sscanf(shape, "hot:%" SCNu64 ":%" SCNu64 "%c", &share, &pct,
		     &tail) == 2 &&
	    share <= 100 && pct >= 1 && pct <= 100)
		;
	else if (sscanf(shape, "loop:%" SCNu64 "%c", &len, &tail) == 1 &&
	    len >= 1 && len <= maxpage)
		;
	else {
		cmd_err(
		    "replay: --shape %s: uniform, hot:SHARE:PCT (percentages), "
		    "loop:LEN (at most --maxpage) or phase",
		    shape);
		return -1;
	}
	hot = pct > 0 ? (maxpage * pct + 99) / 100 : 0;
	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (len > 0)
			v = i % len;
		else if (hot > 0) {
			if ((x >> 32) % 100 < share || hot == maxpage)
				v = x % hot;
			else
				v = hot + x % (maxpage - hot);
		} else if (shape[0] == 'p') {
			uint64_t half = maxpage / 2 > 0 ? maxpage / 2 : 1;

			v = i < n / 2 ? x % half : (maxpage - half) + x % half;
		} else
			v = x % maxpage;
		fprintf(f, "%s%" PRIu64, i % 20 == 0 ? "" : " ", v);
		if (i % 20 == 19 || i == n - 1)
			fputc('\n', f);
	}
	return 0;
}

/*
 * The --html page of a replay, and --working-set
 */

/* a set of curves being built: a policy each, points by size */
struct curves {
	int cv_n;
	struct html_curve cv_c[TB_NPOLICIES + 2];
	uint64_t *cv_x[TB_NPOLICIES + 2];
	double *cv_y[TB_NPOLICIES + 2];
	int cv_cap[TB_NPOLICIES + 2];
};

/* curves_add: the point (x, y) on the curve of policy pol */
static int
curves_add(struct curves *cv, const char *pol, uint64_t x, double y)
{
	int k, i;

	for (k = 0; k < cv->cv_n; k++)
		if (strcmp(cv->cv_c[k].hc_policy, pol) == 0)
			break;
	if (k == cv->cv_n) {
		if (k == (int)__arraycount(cv->cv_c))
			return 0;
		cv->cv_c[k].hc_policy = pol;
		cv->cv_n++;
	}
	if (cv->cv_c[k].hc_n == cv->cv_cap[k]) {
		cv->cv_cap[k] = cv->cv_cap[k] ? 2 * cv->cv_cap[k] : 16;
		cv->cv_x[k] = realloc(cv->cv_x[k],
		    (size_t)cv->cv_cap[k] * sizeof(*cv->cv_x[k]));
		cv->cv_y[k] = realloc(cv->cv_y[k],
		    (size_t)cv->cv_cap[k] * sizeof(*cv->cv_y[k]));
		if (cv->cv_x[k] == NULL || cv->cv_y[k] == NULL) {
			cmd_err("out of host memory");
			return -1;
		}
	}
	/* kept in order of size */
	for (i = cv->cv_c[k].hc_n; i > 0 && cv->cv_x[k][i - 1] > x; i--) {
		cv->cv_x[k][i] = cv->cv_x[k][i - 1];
		cv->cv_y[k][i] = cv->cv_y[k][i - 1];
	}
	cv->cv_x[k][i] = x;
	cv->cv_y[k][i] = y;
	cv->cv_c[k].hc_n++;
	cv->cv_c[k].hc_frames = cv->cv_x[k];
	cv->cv_c[k].hc_ratio = cv->cv_y[k];
	return 0;
}

static void
curves_free(struct curves *cv)
{
	int k;

	for (k = 0; k < (int)__arraycount(cv->cv_c); k++) {
		free(cv->cv_x[k]);
		free(cv->cv_y[k]);
	}
}

/*
 * config_ratio: what a configuration's curve shows: misses per
 * reference in textbook mode; in full-VM mode the processes' faults
 * (ru_minflt + ru_majflt) per reference.
 */
static double
config_ratio(const struct config *cf)
{
	const struct replay_result *rr = &cf->cf_rr;
	uint64_t misses =
	    cf->cf_frames > 0 ? rr->rr_faults : rr->rr_minflt + rr->rr_majflt;

	return rr->rr_refs == 0 ? 0 : (double)misses / (double)rr->rr_refs;
}

/*
 * curves_opt: OPT's curve at the sizes of cfs[0..n), run here when the
 * sweep did not run OPT itself.
 */
static int
curves_opt(struct curves *cv, const struct sweep *sw, const struct config *cfs,
    int n)
{
	struct sweep quiet = *sw;
	struct config cf;
	FILE *devnull;
	int k, j;

	for (k = 0; k < n; k++)
		if (strcmp(cfs[k].cf_policy, "opt") == 0)
			return 0;
	if ((devnull = fopen("/dev/null", "w")) == NULL) {
		cmd_err("/dev/null: %s", strerror(errno));
		return -1;
	}
	quiet.sw_series = false;
	quiet.sw_rss = NULL;
	quiet.sw_steps = quiet.sw_quiz = quiet.sw_answers = false;
	for (k = 0; k < n && kern_stop_signal == 0; k++) {
		for (j = 0; j < k; j++)
			if (cfs[j].cf_frames == cfs[k].cf_frames &&
			    cfs[j].cf_memory == cfs[k].cf_memory)
				break;
		if (j < k || cfs[k].cf_status != 0)
			continue; /* that size is done, or it failed */
		memset(&cf, 0, sizeof(cf));
		snprintf(cf.cf_policy, sizeof(cf.cf_policy), "opt");
		cf.cf_frames = cfs[k].cf_frames;
		cf.cf_memory = cfs[k].cf_memory;
		run_one(&quiet, &cf, devnull);
		if (cf.cf_status == 0 &&
		    curves_add(cv, "opt",
			cf.cf_frames ? cf.cf_frames : cf.cf_memory,
			config_ratio(&cf)) != 0) {
			fclose(devnull);
			return -1;
		}
	}
	fclose(devnull);
	return 0;
}

/* a working-set line, W(t, tau) at the points of the resident set's */
struct wsline {
	char wl_name[48];
	uint64_t *wl_y;
};

/*
 * ws_lines: W(t, tau) for each tau of taus[], at the references where
 * rss has its points, by Denning's working-set policy over the trace.
 */
static int
ws_lines(const char *path, unsigned shift, const struct amount *taus, int ntaus,
    const struct replay_rss *rss, struct wsline *wl)
{
	struct textbook_varcounts c;
	struct textbook_var *tv;
	struct tracefile *tf;
	struct refmap *rm;
	uint64_t pg, refs;
	char why[600];
	bool writes;
	int k, i, got;

	for (k = 0; k < ntaus; k++) {
		snprintf(wl[k].wl_name, sizeof(wl[k].wl_name),
		    "W(t, %" PRIu64 ")", taus[k].am_v);
		wl[k].wl_y =
		    calloc((size_t)MAX(rss->rs_n, 1), sizeof(*wl[k].wl_y));
		if (tracefile_open(&tf, path, why, sizeof(why)) != 0) {
			cmd_err("%s", why);
			return -1;
		}
		tv = textbook_var_new(TBV_WS, taus[k].am_v);
		rm = refmap_new();
		got = tv == NULL || rm == NULL || wl[k].wl_y == NULL ? -2 : 0;
		for (refs = 0, i = 0; got == 0 && i < rss->rs_n &&
		     kern_stop_signal == 0 &&
		     (got = tracefile_next_page(tf, shift, &pg, &writes)) >
			 0;) {
			int64_t id = refmap_id(rm, pg);

			got = 0;
			if (id < 0 || textbook_var_ref(tv, (uint32_t)id) < 0) {
				got = -2;
				break;
			}
			if (++refs == rss->rs_refs[i]) {
				textbook_var_counts(tv, &c);
				wl[k].wl_y[i++] = c.tv_rss;
			}
		}
		if (got == -1)
			cmd_err("%s", tracefile_error(tf));
		else if (got == -2)
			cmd_err("out of host memory");
		textbook_var_free(tv);
		refmap_free(rm);
		tracefile_close(tf);
		if (got < 0)
			return -1;
	}
	return 0;
}

/*
 * ws_print: the working-set table: W(t, tau) for each tau beside the
 * full VM's resident set, at up to 20 points spread over the trace.
 */
static void
ws_print(FILE *f, const struct replay_rss *rss, const struct wsline *wl,
    int nws)
{
	int k, i, step = MAX(1, (rss->rs_n + 19) / 20);

	fprintf(f, "\n%12s", "REFERENCE");
	for (k = 0; k < nws; k++)
		fprintf(f, " %14s", wl[k].wl_name);
	fprintf(f, " %10s\n", "RESIDENT");
	for (i = step - 1; i < rss->rs_n; i += step) {
		fprintf(f, "%12" PRIu64, rss->rs_refs[i]);
		for (k = 0; k < nws; k++)
			fprintf(f, " %14" PRIu64, wl[k].wl_y[i]);
		fprintf(f, " %10" PRIu64 "\n", rss->rs_pages[i]);
	}
}

/*
 * replay_html: the page of a replay: its curves (cv, if any), the time
 * series of a full-VM run (if one was recorded), the working set and
 * resident set (if rss has points).
 */
static int
replay_html(const char *path, const struct sweep *sw, uint64_t memory,
    struct curves *cv, const struct replay_rss *rss, const struct wsline *wl,
    int nws)
{
	struct html_line lines[9];
	struct html_doc d;
	char title[300], machine[256] = "";
	FILE *m = fmemopen(machine, sizeof(machine) - 1, "w");
	int k, nl = 0, len = 0;

	if (m != NULL) {
		struct machine_config mc = sw->sw_set.se_mc;

		/* one run: its memory; a sweep's are along the curves */
		if (cv == NULL && memory > 0)
			mc.mc_npages = memory;
		report_machine(m, &mc);
		fclose(m);
	}
	machine[strcspn(machine, "\n")] = '\0';
	title[0] = '\0';
	for (k = 0; k < sw->sw_ntraces && len < (int)sizeof(title) - 1; k++)
		len += snprintf(title + len, sizeof(title) - (size_t)len,
		    "%s%s", k ? ", " : "", sw->sw_traces[k]);
	memset(&d, 0, sizeof(d));
	d.hd_kind = "replay";
	d.hd_title = title;
	d.hd_machine = machine;
	d.hd_series = series_get();
	if (cv != NULL) {
		d.hd_ncurves = cv->cv_n;
		d.hd_curves = cv->cv_c;
	}
	if (rss != NULL && rss->rs_n > 0) {
		for (k = 0; k < nws && k < 8; k++) {
			lines[nl].hl_name = wl[k].wl_name;
			lines[nl].hl_n = rss->rs_n;
			lines[nl].hl_x = rss->rs_refs;
			lines[nl++].hl_y = wl[k].wl_y;
		}
		lines[nl].hl_name = "resident (full VM)";
		lines[nl].hl_n = rss->rs_n;
		lines[nl].hl_x = rss->rs_refs;
		lines[nl++].hl_y = rss->rs_pages;
		d.hd_nlines = nl;
		d.hd_lines = lines;
	}
	return html_write(path, &d);
}

/*
 * mrc_table: --mrc, LRU's faults at every size from one pass over each
 * trace (mrc.h), exact or (sample) estimated; each trace has its own
 * frames, as in a sweep, so a size's faults are summed over the traces.
 * The sizes are frm (percentages of the footprint, summed over the
 * traces, as a sweep takes them), or every power of two up to the first
 * at least the footprint.  The table is the sweep's.
 *
 * => returns the exit status: 0, or 2 having said what went wrong.
 */
static int
mrc_table(const struct sweep *sw, const struct amount *frm, int nfrm,
    bool sample, const char *json, const char *csv, const char *html)
{
	struct curves cv;
	unsigned shift =
	    (unsigned)__builtin_ctzll(sw->sw_set.se_mc.mc_pagesize);
	struct mrc **m = calloc((size_t)sw->sw_ntraces, sizeof(*m));
	struct config *cfs = NULL;
	struct mrc_stats ms;
	uint64_t fp = 0, f;
	char why[600];
	int i, k, n = 0, rv = 2;

	if (m == NULL)
		goto nomem;
	for (i = 0; i < sw->sw_ntraces; i++) {
		if ((m[i] = sample ? mrc_new_sampled(MRC_SMAX) : mrc_new()) ==
		    NULL)
			goto nomem;
		if (mrc_trace(m[i], sw->sw_traces[i], shift, why,
			sizeof(why)) != 0) {
			cmd_err("%s", why);
			goto out;
		}
		fp += mrc_distinct(m[i]);
		if (sample) {
			mrc_stats(m[i], &ms);
			printf("%s: sampled at rate %.6f (%u/2^24), %u of at "
			       "most %u pages in the sample, about %" PRIu64
			       " distinct pages\n",
			    sw->sw_traces[i],
			    (double)ms.ms_threshold / MRC_HASHP,
			    ms.ms_threshold, ms.ms_sampled, MRC_SMAX,
			    mrc_distinct(m[i]));
		}
	}
	for (f = 1, n = 1; nfrm == 0 && f < fp; f *= 2)
		n++;
	if (nfrm > 0)
		n = nfrm;
	if ((cfs = calloc((size_t)n, sizeof(*cfs))) == NULL)
		goto nomem;
	for (k = 0, f = 1; k < n; k++, f *= 2) {
		struct config *cf = &cfs[k];

		snprintf(cf->cf_policy, sizeof(cf->cf_policy), "lru");
		cf->cf_frames = f;
		if (nfrm > 0 &&
		    amount_pages("--frames", &frm[k], fp,
			sw->sw_set.se_mc.mc_pagesize, &cf->cf_frames) != 0)
			goto out;
		for (i = 0; i < sw->sw_ntraces; i++) {
			cf->cf_rr.rr_refs += mrc_refs(m[i]);
			cf->cf_rr.rr_faults += mrc_misses(m[i], cf->cf_frames);
			cf->cf_rr.rr_distinct += mrc_distinct(m[i]);
		}
	}
	table_print(stdout, cfs, n);
	rv = write_outputs(json, csv, cfs, n) == 0 ? 0 : 2;
	if (html != NULL && rv == 0) {
		/* the curve at every size, or at 256 spread over them */
		memset(&cv, 0, sizeof(cv));
		for (f = 1; f <= MAX(fp, 1); f = MAX(f + 1, f * 105 / 100)) {
			uint64_t refs = 0, misses = 0;

			for (i = 0; i < sw->sw_ntraces; i++) {
				refs += mrc_refs(m[i]);
				misses += mrc_misses(m[i], f);
			}
			if (curves_add(&cv, sample ? "lru (sampled)" : "lru", f,
				refs ? (double)misses / (double)refs : 0) != 0)
				break;
		}
		if (curves_opt(&cv, sw, cfs, n) != 0 ||
		    replay_html(html, sw, 0, &cv, NULL, NULL, 0) != 0)
			rv = 2;
		curves_free(&cv);
	}
	goto out;
nomem:
	cmd_err("out of host memory");
out:
	for (i = 0; m != NULL && i < sw->sw_ntraces; i++)
		mrc_free(m[i]);
	free(m);
	free(cfs);
	return rv;
}

static void
replay_usage(FILE *f)
{
	fprintf(f,
	    "usage: uvmsim replay [options] TRACE...   (- is the standard "
	    "input)\n"
	    "  --policy LIST      clock, fifo, lru, opt (default clock)\n"
	    "  --memory LIST      physical memory: pages (N or Np), sizes "
	    "(k, m, g)\n"
	    "                     or percentages of the footprint (N%%); "
	    "ranges\n"
	    "                     FROM..TO/STEP\n"
	    "  --frames LIST      textbook mode: that many frames, no "
	    "kernel\n"
	    "  -j N               run N configurations at once\n"
	    "  --json FILE        the records, as JSON\n"
	    "  --csv FILE         the records, as CSV\n"
	    "  --plan             print each run as a command line, writing "
	    "its\n"
	    "                     record to PREFIX-N.rec (--record-prefix, "
	    "default\n"
	    "                     record); uvmsim merge builds the table\n"
	    "  --record FILE      write this run's record to FILE\n"
	    "  --steps            textbook: list every reference\n"
	    "  --quiz [--answers] the listing with its answers left blank "
	    "(or given)\n"
	    "  --ws LIST          Denning's working set, windows of LIST "
	    "references\n"
	    "  --pff LIST         page-fault frequency, intervals of LIST "
	    "references\n"
	    "  --clock-bits N     textbook clock: bits of a page's counter "
	    "(1)\n"
	    "  --generate N       replay N generated references (--maxpage "
	    "M,\n"
	    "                     --shape uniform|hot:SHARE:PCT|loop:LEN|"
	    "phase,\n"
	    "                     --seed S); --print prints them instead\n"
	    "  --mrc              LRU's faults at every --frames (default: "
	    "powers of\n"
	    "                     two) from one pass over the traces\n"
	    "  --sample           with --mrc: estimated from a sample of at "
	    "most 8192\n"
	    "                     pages (SHARDS)\n"
	    "  --check            run the consistency checkers as it goes\n"
	    "  --trace[=CATEGORY,...]\n"
	    "                     log the machine's events to the standard "
	    "error, as\n"
	    "                     for run\n"
	    "  --trace-file FILE  log them to FILE instead\n"
	    "  --NAME VALUE       any machine setting of uvmsim(1) (swap, "
	    "pagesize,\n"
	    "                     hz, ...)\n");
}

/* shell_quote: s, quoted for sh if it needs it */
static void
shell_quote(FILE *f, const char *s)
{
	const char *p;

	if (*s != '\0' &&
	    strspn(s,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"
		"OPQRSTUVWXYZ0123456789-_./,%:=+") == strlen(s)) {
		fputs(s, f);
		return;
	}
	fputc('\'', f);
	for (p = s; *p != '\0'; p++)
		if (*p == '\'')
			fputs("'\\''", f);
		else
			fputc(*p, f);
	fputc('\'', f);
}

int
replay_main(int argc, char **argv)
{
	struct sweep sw;
	struct amount *mem = NULL, *frm = NULL;
	struct config *cfs = NULL;
	const char *json = NULL, *csv = NULL, *record = NULL, *html = NULL;
	const char *wsstext = NULL;
	struct amount *wss = NULL;
	int nwss = 0;
	struct wsline wl[8];
	struct replay_rss *rss = NULL;
	struct curves cv;
	const char *prefix = "record";
	char *policies = NULL, *spooled = NULL, why[300];
	char *polcopy = NULL; /* policies, once copied: what is freed */
	char *pols[TB_NPOLICIES + 1];
	int nmem = 0, nfrm = 0, npol = 0, jobs = 1, i, j, k, n = 0, rv = 2;
	bool plan = false, pct = false, print = false;
	bool mrc = false, sample = false;
	unsigned long long gen_n = 0, gen_max = 0;
	const char *gen_shape = NULL;
	char *gen_trace[2] = { NULL, NULL };
	uint64_t fp = 0, pages;
	char **traces;
	const char *memtext = NULL, *frmtext = NULL, *wstext = NULL,
		   *pfftext = NULL;
	unsigned shift;
	struct traceopt to = { .to_cmd = "replay" };

	memset(&sw, 0, sizeof(sw));
	memset(&cv, 0, sizeof(cv));
	memset(wl, 0, sizeof(wl));
	settings_init(&sw.sw_set);
	sw.sw_check = false;
	sw.sw_steps = sw.sw_quiz = sw.sw_answers = false;
	sw.sw_tbparams.tp_clockbits = 1;
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		const char *o = argv[i],
			   *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(o, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(o, "-h") == 0 || strcmp(o, "--help") == 0) {
			replay_usage(stdout);
			rv = 0;
			goto out;
		}
		if (strcmp(o, "--check") == 0) {
			sw.sw_check = true;
			continue;
		}
		if (strcmp(o, "--trace") == 0 ||
		    strncmp(o, "--trace=", 8) == 0) {
			if (traceopt_cats(&to, o[7] == '=' ? o + 8 : NULL) != 0)
				goto out;
			continue;
		}
		if (strcmp(o, "--plan") == 0) {
			plan = true;
			continue;
		}
		if (strcmp(o, "--steps") == 0) {
			sw.sw_steps = true;
			continue;
		}
		if (strcmp(o, "--quiz") == 0) {
			sw.sw_quiz = true;
			continue;
		}
		if (strcmp(o, "--answers") == 0) {
			sw.sw_answers = true;
			continue;
		}
		if (strcmp(o, "--mrc") == 0 || strcmp(o, "--sample") == 0) {
			*(o[2] == 'm' ? &mrc : &sample) = true;
			continue;
		}
		if (strcmp(o, "--print") == 0) {
			print = true;
			continue;
		}
		if (val == NULL) {
			cmd_err("replay: %s needs a value", o);
			goto out;
		}
		i++;
		if (strcmp(o, "--policy") == 0)
			policies = (char *)val;
		else if (strcmp(o, "--memory") == 0)
			memtext = val;
		else if (strcmp(o, "--frames") == 0)
			frmtext = val;
		else if (strcmp(o, "--ws") == 0)
			wstext = val;
		else if (strcmp(o, "--pff") == 0)
			pfftext = val;
		else if (strcmp(o, "-j") == 0) {
			char *end;
			long l = strtol(val, &end, 10);

			if (*end != '\0' || l < 1 || l > 1024) {
				cmd_err("replay: -j %s: from 1 to 1024", val);
				goto out;
			}
			jobs = (int)l;
		} else if (strcmp(o, "--json") == 0)
			json = val;
		else if (strcmp(o, "--html") == 0)
			html = val;
		else if (strcmp(o, "--working-set") == 0)
			wsstext = val;
		else if (strcmp(o, "--csv") == 0)
			csv = val;
		else if (strcmp(o, "--record") == 0)
			record = val;
		else if (strcmp(o, "--record-prefix") == 0)
			prefix = val;
		else if (strcmp(o, "--trace-file") == 0)
			traceopt_file(&to, val);
		else if (strcmp(o, "--generate") == 0 ||
		    strcmp(o, "--maxpage") == 0) {
			char *end;
			unsigned long long l;

			errno = 0;
			l = strtoull(val, &end, 10);
			if (*end != '\0' || *val == '-' || errno != 0 ||
			    l < 1 ||
			    l > (o[2] == 'g' ? 1000000000ULL : 1ULL << 32)) {
				cmd_err("replay: %s %s: from 1 to %s", o, val,
				    o[2] == 'g' ? "1000000000" : "2^32");
				goto out;
			}
			*(o[2] == 'g' ? &gen_n : &gen_max) = l;
		} else if (strcmp(o, "--shape") == 0)
			gen_shape = val;
		else if (strcmp(o, "--clock-bits") == 0) {
			char *end;
			long l = strtol(val, &end, 10);

			if (*end != '\0' || l < 1 || l > 8) {
				cmd_err("replay: --clock-bits %s: from 1 to 8",
				    val);
				goto out;
			}
			sw.sw_tbparams.tp_clockbits = (unsigned)l;
		} else if (strncmp(o, "--", 2) == 0 &&
		    settings_lookup(o + 2) != NULL) {
			if (settings_set(&sw.sw_set, o + 2, val, why,
				sizeof(why)) != 0) {
				cmd_err("replay: %s %s: %s", o, val, why);
				goto out;
			}
		} else {
			const char *s = strncmp(o, "--", 2) == 0 ?
			    settings_suggest(o + 2) :
			    NULL;

			cmd_err("replay: unknown option %s%s%s%s", o,
			    s != NULL ? " (did you mean --" : "",
			    s != NULL ? s : "", s != NULL ? "?)" : "");
			goto out;
		}
	}
	if ((sample && !mrc) || (mrc && memtext != NULL) ||
	    (mrc && policies != NULL && strcmp(policies, "lru") != 0)) {
		cmd_err("replay: --sample goes with --mrc, and --mrc with "
			"--frames and lru alone");
		goto out;
	}
	traces = argv + i;
	sw.sw_traces = traces;
	sw.sw_ntraces = argc - i;
	if ((print || gen_shape != NULL || gen_max != 0) && gen_n == 0) {
		cmd_err("replay: --print, --shape and --maxpage go with "
			"--generate");
		goto out;
	}
	if (gen_n > 0) {
		FILE *g;
		enum setting_id bad;

		if (sw.sw_ntraces > 0) {
			cmd_err("replay: --generate makes the trace: give no "
				"other");
			goto out;
		}
		(void)settings_pages(&sw.sw_set, &bad);
		if (print) {
			rv = generate(stdout, gen_n, gen_max ? gen_max : 100,
				 gen_shape ? gen_shape : "uniform",
				 sw.sw_set.se_seed) == 0 ?
			    0 :
			    2;
			goto out;
		}
		if ((spooled = spool_new(&g)) == NULL)
			goto out;
		if (generate(g, gen_n, gen_max ? gen_max : 100,
			gen_shape ? gen_shape : "uniform",
			sw.sw_set.se_seed) != 0 ||
		    fclose(g) != 0)
			goto out;
		gen_trace[0] = spooled;
		traces = gen_trace;
		sw.sw_traces = traces;
		sw.sw_ntraces = 1;
	}
	if (sw.sw_ntraces == 0) {
		cmd_err("replay: no trace given (- reads the standard input)");
		replay_usage(stderr);
		goto out;
	}
	if (wstext != NULL || pfftext != NULL) {
		struct amount *ws = NULL, *pf = NULL;
		int nws = 0, npf = 0;

		if (memtext != NULL || frmtext != NULL || policies != NULL ||
		    plan || sw.sw_steps || sw.sw_quiz) {
			cmd_err("replay: --ws and --pff go alone (no --memory, "
				"--frames, --policy, --plan or --steps)");
			goto out;
		}
		if (sw.sw_ntraces != 1) {
			cmd_err("replay: --ws and --pff take one trace");
			goto out;
		}
		if ((wstext != NULL &&
			parse_list("--ws", wstext, false, &ws, &nws) != 0) ||
		    (pfftext != NULL &&
			parse_list("--pff", pfftext, false, &pf, &npf) != 0)) {
			free(ws);
			goto out;
		}
		for (k = 0; k < nws + npf; k++)
			if ((k < nws ? ws[k] : pf[k - nws]).am_unit !=
			    AM_PAGES) {
				cmd_err(
				    "replay: --ws and --pff take numbers of "
				    "references");
				free(ws);
				free(pf);
				goto out;
			}
		if (traceopt_start(&to) != 0) {
			free(ws);
			free(pf);
			goto out;
		}
		catch_stops();
		rv = run_var(traces[0],
		    (unsigned)__builtin_ctzll(sw.sw_set.se_mc.mc_pagesize), ws,
		    nws, pf, npf);
		free(ws);
		free(pf);
		goto out;
	}
	if (memtext != NULL && frmtext != NULL) {
		cmd_err("replay: --memory and --frames: one or the other (a "
			"machine, or textbook frames)");
		goto out;
	}
	{
		enum setting_id bad;

		if (settings_pages(&sw.sw_set, &bad) != 0) {
			cmd_err("replay: --%s is not a whole number of pages",
			    settings_table[bad].st_name);
			goto out;
		}
	}
	sw.sw_tbparams.tp_seed = sw.sw_set.se_seed;
	if ((sw.sw_steps || sw.sw_quiz || sw.sw_answers) && frmtext == NULL) {
		cmd_err(
		    "replay: --steps, --quiz and --answers are for textbook "
		    "mode (--frames)");
		goto out;
	}
	if (sw.sw_answers && !sw.sw_quiz) {
		cmd_err("replay: --answers goes with --quiz");
		goto out;
	}
	/* the policies */
	if (policies == NULL)
		policies = (char *)(sw.sw_set.se_mc.mc_policy != NULL ?
			sw.sw_set.se_mc.mc_policy :
			"clock");
	policies = polcopy = strdup(policies);
	if (policies == NULL)
		goto out;
	{
		char *save = NULL, *p;

		for (p = strtok_r(policies, ",", &save); p != NULL;
		     p = strtok_r(NULL, ",", &save)) {
			int pol = tb_policy_byname(p);
			bool vm_ok = pol == TB_CLOCK || pol == TB_FIFO ||
			    pol == TB_LRU || pol == TB_OPT;

			if (npol == TB_NPOLICIES) {
				cmd_err("replay: --policy %s: too many "
					"policies",
				    policies);
				goto out;
			}
			if (pol < 0 || (!vm_ok && frmtext == NULL)) {
				struct suggest sg;
				const char *best;
				int q;

				suggest_init(&sg, p);
				for (q = 0; q < TB_NPOLICIES; q++)
					if (frmtext != NULL || q <= TB_OPT)
						suggest_add(&sg,
						    tb_policy_name(q));
				best = suggest_best(&sg);
				if (pol >= 0)
					cmd_err("replay: --policy %s: a "
						"textbook policy, for "
						"--frames (the machine has "
						"clock, fifo, lru and opt)",
					    p);
				else
					cmd_err("replay: --policy %s: not a "
						"policy (%s)%s%s",
					    p,
					    frmtext != NULL ?
						"fifo, lru, clock, opt, "
						"mru, unopt, lfu, rand, sc" :
						"clock, fifo, lru, opt",
					    best != NULL ? "; did you mean " :
							   "",
					    best != NULL ? best : "");
				goto out;
			}
			pols[npol++] = p;
		}
	}
	if (npol == 0) {
		cmd_err("replay: --policy: an empty list");
		goto out;
	}
	if ((memtext != NULL &&
		parse_list("--memory", memtext, true, &mem, &nmem) != 0) ||
	    (frmtext != NULL &&
		parse_list("--frames", frmtext, false, &frm, &nfrm) != 0))
		goto out;
	if (mrc) {
		rv = mrc_table(&sw, frm, nfrm, sample, json, csv, html);
		goto out;
	}
	if (wsstext != NULL) {
		if (frmtext != NULL || npol != 1 || nmem > 1 || plan ||
		    sw.sw_ntraces != 1) {
			cmd_err("replay: --working-set takes one trace on the "
				"machine: no --frames, --plan, and one policy "
				"and memory size");
			goto out;
		}
		if (parse_list("--working-set", wsstext, false, &wss, &nwss) !=
		    0)
			goto out;
		for (k = 0; k < nwss; k++)
			if (wss[k].am_unit != AM_PAGES || wss[k].am_v == 0) {
				cmd_err(
				    "replay: --working-set takes numbers of "
				    "references, from 1");
				goto out;
			}
		if (nwss > (int)__arraycount(wl)) {
			cmd_err("replay: --working-set: at most %d windows",
			    (int)__arraycount(wl));
			goto out;
		}
	}
	for (k = 0; k < nmem; k++)
		pct |= mem[k].am_unit == AM_PCT;
	for (k = 0; k < nfrm; k++)
		pct |= frm[k].am_unit == AM_PCT;
	n = npol * (nmem > 0 ? nmem : nfrm > 0 ? nfrm : 1);
	/* the standard input is read once: more than that needs a copy */
	for (k = 0; k < sw.sw_ntraces; k++)
		if (strcmp(traces[k], "-") == 0 && (n > 1 || pct) && !plan) {
			if (spooled != NULL) {
				cmd_err("replay: - may be given once");
				goto out;
			}
			if ((spooled = spool_stdin()) == NULL)
				goto out;
			traces[k] = spooled;
		}
	shift = (unsigned)__builtin_ctzll(sw.sw_set.se_mc.mc_pagesize);
	if (pct && footprint(traces, sw.sw_ntraces, shift, &fp) != 0)
		goto out;
	cfs = calloc((size_t)n, sizeof(*cfs));
	if (cfs == NULL)
		goto out;
	k = 0;
	for (i = 0; i < (nmem > 0 ? nmem : nfrm > 0 ? nfrm : 1); i++) {
		for (j = 0; j < npol; j++, k++) {
			struct config *cf = &cfs[k];

			snprintf(cf->cf_policy, sizeof(cf->cf_policy), "%s",
			    pols[j]);
			if (nmem > 0) {
				if (amount_pages("--memory", &mem[i], fp,
					sw.sw_set.se_mc.mc_pagesize,
					&pages) != 0)
					goto out;
				cf->cf_memory = pages;
			} else if (nfrm > 0) {
				if (amount_pages("--frames", &frm[i], fp,
					sw.sw_set.se_mc.mc_pagesize,
					&pages) != 0)
					goto out;
				cf->cf_frames = pages;
			} else
				cf->cf_memory = sw.sw_set.se_mc.mc_npages;
		}
	}
	if (plan) {
		/* one command line a run, each with the settings given */
		for (k = 0; k < n; k++) {
			const struct config *cf = &cfs[k];
			char val[64];

			printf("uvmsim replay --policy %s --%s %" PRIu64 "%s",
			    cf->cf_policy,
			    cf->cf_frames > 0 ? "frames" : "memory",
			    cf->cf_frames > 0 ? cf->cf_frames : cf->cf_memory,
			    cf->cf_frames > 0 ? "" : "p");
			for (j = 0; j < settings_n; j++) {
				const struct setting *st = &settings_table[j];

				if (!(sw.sw_set.se_given &
					SETTING_BIT(st->st_id)) ||
				    st->st_id == SETTING_MEMORY ||
				    st->st_id == SETTING_POLICY)
					continue;
				settings_value(&sw.sw_set, st, val,
				    sizeof(val));
				printf(" --%s ", st->st_name);
				shell_quote(stdout, val);
			}
			if (sw.sw_check)
				printf(" --check");
			printf(" --record ");
			snprintf(val, sizeof(val), "%s-%d.rec", prefix, k + 1);
			shell_quote(stdout, val);
			for (j = 0; j < sw.sw_ntraces; j++) {
				putchar(' ');
				shell_quote(stdout, traces[j]);
			}
			putchar('\n');
		}
		rv = 0;
		goto out;
	}
	if (traceopt_start(&to) != 0)
		goto out;
	catch_stops();
	/* a textbook sweep's lru counts come from one pass (mrc.h) */
	for (k = 0; k < n && nfrm > 0 && n > 1 && !sw.sw_steps && !sw.sw_quiz;
	     k++)
		if (strcmp(cfs[k].cf_policy, "lru") == 0)
			break;
	if (k < n && nfrm > 0 && n > 1 && !sw.sw_steps && !sw.sw_quiz) {
		sw.sw_lru = calloc((size_t)sw.sw_ntraces, sizeof(*sw.sw_lru));
		if (sw.sw_lru == NULL) {
			cmd_err("out of host memory");
			goto out;
		}
		for (k = 0; k < sw.sw_ntraces; k++) {
			if ((sw.sw_lru[k] = mrc_new()) == NULL) {
				cmd_err("out of host memory");
				goto out;
			}
			if (mrc_trace(sw.sw_lru[k], traces[k], shift, why,
				sizeof(why)) != 0) {
				cmd_err("%s", why);
				goto out;
			}
		}
	}
	if (sw.sw_steps || sw.sw_quiz) {
		/* listings, one after the other: no table */
		rv = 0;
		for (k = 0; k < n && kern_stop_signal == 0; k++) {
			if (k > 0)
				putchar('\n');
			run_one(&sw, &cfs[k], stdout);
			if (cfs[k].cf_status > rv)
				rv = cfs[k].cf_status;
		}
	} else if (n == 1) {
		if (cfs[0].cf_frames == 0 && (html != NULL || nwss > 0)) {
			/* the full VM's resident set over the references */
			if ((rss = calloc(1, sizeof(*rss))) == NULL) {
				cmd_err("out of host memory");
				goto out;
			}
			sw.sw_rss = rss;
			sw.sw_series = html != NULL;
		}
		run_one(&sw, &cfs[0], stdout);
		rv = cfs[0].cf_status;
		sw.sw_rss = NULL;
		sw.sw_series = false;
		if (nwss > 0 && rv < 2) {
			if (ws_lines(traces[0], shift, wss, nwss, rss, wl) != 0)
				rv = 2;
			else
				ws_print(stdout, rss, wl, nwss);
		}
	} else {
		rv = 0;
		if (jobs > 1) {
			if (run_parallel(&sw, cfs, n, jobs) != 0)
				rv = 2;
		} else {
			FILE *devnull = fopen("/dev/null", "w");

			for (k = 0; k < n && kern_stop_signal == 0; k++)
				run_one(&sw, &cfs[k],
				    devnull != NULL ? devnull : stdout);
			n = k; /* a signal: the runs done so far */
			if (devnull != NULL)
				fclose(devnull);
		}
		for (k = 0; k < n; k++)
			if (cfs[k].cf_status > rv)
				rv = cfs[k].cf_status;
		if (kern_stop_signal != 0) {
			printf("partial: the sweep was stopped by %s\n",
			    strsignal(kern_stop_signal));
			rv = 128 + kern_stop_signal;
		}
		table_print(stdout, cfs, n);
	}
	if (html != NULL && rv < 2 && kern_stop_signal == 0 && !sw.sw_steps &&
	    !sw.sw_quiz) {
		for (k = 0; k < n; k++)
			if (cfs[k].cf_status == 0 &&
			    curves_add(&cv, cfs[k].cf_policy,
				cfs[k].cf_frames ? cfs[k].cf_frames :
						   cfs[k].cf_memory,
				config_ratio(&cfs[k])) != 0)
				break;
		if (k < n || (n > 1 && curves_opt(&cv, &sw, cfs, n) != 0) ||
		    replay_html(html, &sw, cfs[0].cf_memory, n > 1 ? &cv : NULL,
			rss, wl, nwss) != 0)
			rv = 2;
	}
	if (rv < 2 && write_outputs(json, csv, cfs, n) != 0)
		rv = 2;
	if (record != NULL && rv < 2) {
		FILE *f = outfile_open(record);

		if (f == NULL) {
			cmd_err("replay: --record %s: %s", record,
			    strerror(errno));
			rv = 2;
		} else {
			for (k = 0; k < n; k++)
				record_write(f, &cfs[k]);
			if (outfile_close(f) != 0) {
				cmd_err("replay: --record %s: %s", record,
				    strerror(errno));
				rv = 2;
			}
		}
	}
out:
	if (spooled != NULL) {
		unlink(spooled);
		free(spooled);
	}
	if (kern_stop_signal != 0) {
		/* a machine was abandoned: leave without freeing it */
		(void)fflush(NULL);
		_exit(128 + kern_stop_signal);
	}
	traceopt_stop(&to);
	series_free();
	curves_free(&cv);
	for (k = 0; k < (int)__arraycount(wl); k++)
		free(wl[k].wl_y);
	free(wss);
	free(rss);
	for (k = 0; sw.sw_lru != NULL && k < sw.sw_ntraces; k++)
		mrc_free(sw.sw_lru[k]);
	free(sw.sw_lru);
	free(polcopy);
	free(mem);
	free(frm);
	free(cfs);
	return rv;
}

/*
 * uvmsim convert IN OUT
 */
int
convert_main(int argc, char **argv)
{
	struct tracefile *tf;
	struct tracewriter *tw;
	struct tf_ref r;
	char why[600];
	int got;

	if (argc != 3) {
		cmd_err("usage: uvmsim convert IN OUT   (- for the standard "
			"input or output; OUT ending in .gz, .zst or .xz is "
			"compressed)");
		return 2;
	}
	if (tracefile_open(&tf, argv[1], why, sizeof(why)) != 0) {
		cmd_err("%s", why);
		return 2;
	}
	if (tracewriter_open(&tw, argv[2],
		tracefile_format(tf) == TF_FMT_REFSTRING, why,
		sizeof(why)) != 0) {
		cmd_err("%s", why);
		tracefile_close(tf);
		return 2;
	}
	while ((got = tracefile_next(tf, &r)) > 0)
		if (tracewriter_put(tw, &r) != 0) {
			cmd_err("%s", tracewriter_error(tw));
			got = -2;
			break;
		}
	if (got == -1)
		cmd_err("%s", tracefile_error(tf));
	if (tracewriter_close(tw, got == 0, why, sizeof(why)) != 0) {
		cmd_err("%s", why);
		got = -2;
	}
	tracefile_close(tf);
	return got == 0 ? 0 : 2;
}

/*
 * uvmsim merge RECORD...
 */
int
merge_main(int argc, char **argv)
{
	struct config *cfs = NULL, *ncfs;
	char *line = NULL;
	size_t cap = 0;
	int n = 0, i, rv = 0;
	uint64_t lineno;
	FILE *f;

	if (argc < 2) {
		cmd_err("usage: uvmsim merge RECORD...");
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if ((f = fopen(argv[i], "r")) == NULL) {
			cmd_err("%s: %s", argv[i], strerror(errno));
			rv = 2;
			break;
		}
		for (lineno = 1; getline(&line, &cap, f) > 0; lineno++) {
			if ((ncfs = realloc(cfs,
				 (size_t)(n + 1) * sizeof(*cfs))) == NULL) {
				rv = 2;
				break;
			}
			cfs = ncfs;
			if (!record_read(line, &cfs[n])) {
				cmd_err("%s:%" PRIu64 ": not a replay record "
					"(version %d)",
				    argv[i], lineno, RECORD_VERSION);
				rv = 2;
				break;
			}
			if (cfs[n].cf_status > rv)
				rv = cfs[n].cf_status;
			n++;
		}
		fclose(f);
		if (rv == 2)
			break;
	}
	free(line);
	for (i = 1; i < n && rv != 2; i++)
		if ((cfs[i].cf_frames > 0) != (cfs[0].cf_frames > 0)) {
			cmd_err("merge: textbook and full-VM records cannot "
				"share a table");
			rv = 2;
		}
	if (rv != 2)
		table_print(stdout, cfs, n);
	free(cfs);
	return rv;
}
