/*
 * t_series.c: what uvmsim records over a run, as a user gets it -- the
 * time series of --json against a golden file (tests/series/), the
 * events and snapshots it carries, its bound on a long run, a run that
 * prints the same whether recorded or not, the --html page's parts and
 * size (t_html opens it in a browser), the report files written over
 * old ones and when they cannot be written, and replay's working set
 * and miss-ratio curves.
 *
 * tools/regen-series-golden rewrites the golden files.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "h_run.h"
#include "sim/outfile.h"

#define SERIES_DIR TESTS_SRCDIR "/series"
#define FIXTURE	   TESTS_SRCDIR "/traces/true.lackey.xz"
#define TEXTBOOK   TESTS_SRCDIR "/../examples/refstrings/textbook.txt"

/* run: uvmsim with args; the exit status is required to be want */
static void
run(const atf_tc_t *tc, const char *const *args, int want, struct h_run *r)
{
	h_run_uvmsim(tc, args, r);
	ATF_REQUIRE_EQ_MSG(r->r_status, want, "exit %d, not %d; stderr: %s",
	    r->r_status, want, r->r_err1);
}

/* count: the occurrences of needle in s */
static int
count(const char *s, const char *needle)
{
	int n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* list_len: the numbers in the JSON array after `"name": [' in s */
static int
list_len(const char *s, const char *name)
{
	char key[64];
	const char *p;
	int n = 0;

	snprintf(key, sizeof(key), "\"%s\": [", name);
	p = strstr(s, key);
	ATF_REQUIRE_MSG(p != NULL, "no %s in the JSON", name);
	for (p += strlen(key); *p != ']'; p++)
		if (*p == ',')
			n++;
	return p[-1] == '[' ? 0 : n + 1;
}

/* same_as: file `path' is, byte for byte, the golden file `golden' */
static void
same_as(const char *path, const char *golden)
{
	size_t len, glen, i, line = 1;
	char *a = h_slurp(path, &len), *g = h_slurp(golden, &glen);

	ATF_REQUIRE(a != NULL && g != NULL);
	for (i = 0; i < len && i < glen && a[i] == g[i]; i++)
		line += a[i] == '\n';
	ATF_CHECK_MSG(i == len && i == glen,
	    "%s differs from %s at line %zu (tools/regen-series-golden "
	    "rewrites it)",
	    path, golden, line);
	free(a);
	free(g);
}

ATF_TC_WITHOUT_HEAD(json_series_golden);
ATF_TC_BODY(json_series_golden, tc)
{
	static const char *const args[] = { "--json", "cow.json", "--sample",
		"50ms", "run", "cow.uvm", NULL };
	struct h_run r;
	size_t len;
	char *text = h_slurp(SERIES_DIR "/cow.uvm", &len);
	FILE *f = fopen("cow.uvm", "w");

	/* run where the golden was made: the scenario's name is in it */
	ATF_REQUIRE(text != NULL && f != NULL);
	ATF_REQUIRE_EQ(fwrite(text, 1, len, f), len);
	ATF_REQUIRE_EQ(fclose(f), 0);
	free(text);
	run(tc, args, 0, &r);
	h_run_free(&r);
	same_as("cow.json", SERIES_DIR "/cow.json");
}

ATF_TC_WITHOUT_HEAD(snapshots_see_copy_on_write);
ATF_TC_BODY(snapshots_see_copy_on_write, tc)
{
	static const char *const args[] = { "--json", "cow.json", "run",
		SERIES_DIR "/cow.uvm", NULL };
	struct h_run r;
	char *j, *first, *second;
	size_t len;

	run(tc, args, 0, &r);
	h_run_free(&r);
	j = h_slurp("cow.json", &len);
	first = strstr(j, "\"label\": \"after fork\"");
	second = strstr(j, "\"label\": \"the child wrote 2 pages\"");
	ATF_REQUIRE(first != NULL && second != NULL && first < second);
	/* after fork: one amap, in both processes' entries, needing copy */
	second[-1] = '\0';
	ATF_CHECK(strstr(first, "\"anons\": 8, \"amaps\": 1") != NULL);
	ATF_CHECK_EQ(count(first,
			 "\"amap\": 1, \"amap_refs\": 2, "
			 "\"needs_copy\": true"),
	    2);
	/* the child's write: its own amap; 6 anons in both, 2 its own */
	ATF_CHECK(strstr(second + 1, "\"anons\": 10, \"amaps\": 2") != NULL);
	ATF_CHECK(strstr(second + 1,
		      "\"amap\": 2, \"amap_refs\": 1, \"needs_copy\": "
		      "false") != NULL);
	ATF_CHECK_EQ(count(second + 1, ", 2, 109]"), 6); /* the parent's */
	/* the child's: 4 mapped ahead by its faults and never used (no 64) */
	ATF_CHECK_EQ(count(second + 1, ", 2, 45]"), 4);
	ATF_CHECK_EQ(count(second + 1, ", 2, 44]"), 2); /* not mapped */
	ATF_CHECK_EQ(count(second + 1, ", 9, 1, 109]"), 1);
	ATF_CHECK_EQ(count(second + 1, ", 10, 1, 109]"), 1);
	free(j);
}

ATF_TC_WITHOUT_HEAD(demo_events);
ATF_TC_BODY(demo_events, tc)
{
	static const char *const args[] = { "--json", "demo.json", NULL };
	struct h_run r;
	char *j;
	size_t len;

	run(tc, args, 0, &r);
	h_run_free(&r);
	j = h_slurp("demo.json", &len);
	/* sh forks the sleeper, the worker, the hog and segv */
	ATF_CHECK_EQ(count(j, "\"kind\": \"fork\", \"pid\": 3"), 4);
	/* the sleeper and sh slept past maxslp and were swapped out */
	ATF_CHECK(count(j, "\"kind\": \"swapout\"") >= 2);
	ATF_CHECK(strstr(j, "\"why\": ") != NULL);
	ATF_CHECK(count(j, "\"kind\": \"swapin\"") >= 1);
	ATF_CHECK_EQ(count(j, "\"kind\": \"core\""), 1);
	ATF_CHECK(
	    count(j, "\"kind\": \"signal\", \"pid\": 7, \"arg\": 11") >= 1);
	ATF_CHECK_EQ(count(j, "\"kind\": \"exit\""), 5);
	ATF_CHECK(count(j, "\"kind\": \"pdwake\"") >= 1);
	/* one lane per process, and the demonstration's two snapshots */
	ATF_CHECK_EQ(count(j, "\"state\": [-1,") + count(j, "\"state\": [0,") +
		count(j, "\"state\": [1,") + count(j, "\"state\": [2,"),
	    5);
	ATF_CHECK_EQ(count(j, "\"label\": "), 2);
	free(j);
}

ATF_TC_WITHOUT_HEAD(samples_bounded);
ATF_TC_BODY(samples_bounded, tc)
{
	static const char *const args[] = { "--json", "long.json", "--sample",
		"1ms", "run", "long.uvm", NULL };
	FILE *f = fopen("long.uvm", "w");
	struct h_run r;
	char *j;
	size_t len;
	const char *p;
	unsigned long interval;
	int n;

	ATF_REQUIRE(f != NULL);
	fputs("process p {\n\tmmap a 4p\n\tfill a 4p byte 1\n\tsleep 100s\n"
	      "}\nrun\n",
	    f);
	ATF_REQUIRE_EQ(fclose(f), 0);
	run(tc, args, 0, &r);
	h_run_free(&r);
	j = h_slurp("long.json", &len);
	/* 100 s at 1 ms is 100,000 samples: at most 1024 are kept */
	n = list_len(j, "t_us");
	ATF_CHECK_MSG(n >= 512 && n <= 1024, "%d samples", n);
	ATF_CHECK_EQ(list_len(j, "free"), n);
	p = strstr(j, "\"interval_us\": ");
	ATF_REQUIRE(p != NULL);
	interval = strtoul(p + 15, NULL, 10);
	/* the interval doubled from 1 ms until 100 s fitted */
	ATF_CHECK_MSG(interval >= 100000000UL / 1024 && interval % 1000 == 0 &&
		((interval / 1000) & (interval / 1000 - 1)) == 0,
	    "interval %lu us", interval);
	free(j);
}

ATF_TC_WITHOUT_HEAD(recording_changes_nothing);
ATF_TC_BODY(recording_changes_nothing, tc)
{
	static const char *const plain[] = { "run", SERIES_DIR "/cow.uvm",
		NULL };
	static const char *const rec[] = { "--json", "a.json", "--html",
		"a.html", "--sample", "1ms", "run", SERIES_DIR "/cow.uvm",
		NULL };
	static const char *const demo[] = { NULL };
	static const char *const demo_rec[] = { "--html", "d.html", "--json",
		"d.json", NULL };
	struct h_run a, b;

	run(tc, plain, 0, &a);
	run(tc, rec, 0, &b);
	ATF_CHECK_STREQ(a.r_out, b.r_out);
	h_run_free(&a);
	h_run_free(&b);
	run(tc, demo, 0, &a);
	run(tc, demo_rec, 0, &b);
	ATF_CHECK_STREQ(a.r_out, b.r_out);
	h_run_free(&a);
	h_run_free(&b);
}

ATF_TC_WITHOUT_HEAD(demo_html_parts);
ATF_TC_BODY(demo_html_parts, tc)
{
	static const char *const args[] = { "--html", "demo.html", NULL };
	struct h_run r;
	char *h;
	size_t len;

	run(tc, args, 0, &r);
	h_run_free(&r);
	h = h_slurp("demo.html", &len);
	ATF_CHECK_MSG(len < 1000000, "%zu bytes", len);
	ATF_CHECK(strstr(h, "Content-Security-Policy") != NULL);
	ATF_CHECK(
	    strstr(h, "http://") == NULL && strstr(h, "https://") == NULL);
	ATF_CHECK(strstr(h, "<section id=\"memory\">") != NULL);
	ATF_CHECK(strstr(h, "<section id=\"faults\">") != NULL);
	ATF_CHECK_EQ(count(h, "<g class=\"lane\""), 5);
	ATF_CHECK_EQ(count(h, "<figure class=\"snapshot\""), 2);
	ATF_CHECK_EQ(count(h, "<svg class=\"cowgraph\""), 2);
	ATF_CHECK(count(h, "class=\"anon shared\"") > 0);
	free(h);
}

ATF_TC_WITHOUT_HEAD(sample_refused);
ATF_TC_BODY(sample_refused, tc)
{
	static const char *const zero[] = { "--sample", "0", NULL };
	static const char *const bad[] = { "--sample", "5x", NULL };
	struct h_run r;

	run(tc, zero, 2, &r);
	ATF_CHECK(strstr(r.r_err, "--sample 0") != NULL);
	h_run_free(&r);
	run(tc, bad, 2, &r);
	ATF_CHECK(strstr(r.r_err, "--sample 5x") != NULL);
	h_run_free(&r);
}

ATF_TC_WITHOUT_HEAD(working_set_beside_resident);
ATF_TC_BODY(working_set_beside_resident, tc)
{
	static const char *const args[] = { "replay", "--memory", "48p",
		"--working-set", "1000,10000", FIXTURE, NULL };
	struct h_run r;
	const char *p;
	unsigned long ref, w1, w2, res, last = 0;
	int rows = 0;

	run(tc, args, 0, &r);
	p = strstr(r.r_out,
	    "   REFERENCE     W(t, 1000)    W(t, 10000)   "
	    "RESIDENT\n");
	ATF_REQUIRE_MSG(p != NULL, "no table: %s", r.r_out1);
	for (p = strchr(p, '\n') + 1;
	     sscanf(p, "%lu %lu %lu %lu", &ref, &w1, &w2, &res) == 4;
	     p = strchr(p, '\n') + 1) {
		/* a longer window holds at least the shorter one's pages */
		ATF_CHECK_MSG(w1 <= w2, "W(%lu, 1000) %lu > W(%lu, 10000) %lu",
		    ref, w1, ref, w2);
		ATF_CHECK(w1 <= 1000 && w1 >= 1);
		ATF_CHECK(res <= 48);
		ATF_CHECK(ref > last);
		last = ref;
		rows++;
	}
	ATF_CHECK_MSG(rows >= 10 && rows <= 20, "%d rows", rows);
	h_run_free(&r);
}

ATF_TC_WITHOUT_HEAD(sweep_lru_one_pass);
ATF_TC_BODY(sweep_lru_one_pass, tc)
{
	static const char *const sweep[] = { "replay", "--policy", "lru,fifo",
		"--frames", "1..8/1", TEXTBOOK, NULL };
	const char *one[] = { "replay", "--policy", "lru", "--frames", NULL,
		TEXTBOOK, NULL };
	struct h_run s, r;
	char frames[16], want[200], *p;
	int k, faults;

	run(tc, sweep, 0, &s);
	for (k = 1; k <= 8; k++) {
		/* the sweep's lru line: one pass; a single run simulates */
		snprintf(frames, sizeof(frames), "%d", k);
		one[4] = frames;
		run(tc, one, 0, &r);
		p = strstr(r.r_out, " faults,");
		ATF_REQUIRE(p != NULL);
		while (p > r.r_out && p[-1] != ' ')
			p--;
		faults = atoi(p);
		snprintf(want, sizeof(want), "%-7s %10d %12d %12d", "lru", k,
		    20, faults);
		ATF_CHECK_MSG(strstr(s.r_out, want) != NULL,
		    "%d frames: %d faults simulated; sweep: %s", k, faults,
		    s.r_out1);
		h_run_free(&r);
	}
	h_run_free(&s);
}

ATF_TC_WITHOUT_HEAD(replay_html_curves);
ATF_TC_BODY(replay_html_curves, tc)
{
	static const char *const sweep[] = { "replay", "--html", "s.html",
		"--policy", "fifo,lru,clock", "--frames", "1..8/1", TEXTBOOK,
		NULL };
	static const char *const mrc[] = { "replay", "--mrc", "--html",
		"m.html", FIXTURE, NULL };
	static const char *const vm[] = { "replay", "--html", "v.html",
		"--memory", "48p", FIXTURE, NULL };
	struct h_run r;
	char *h;
	size_t len;

	run(tc, sweep, 0, &r);
	h_run_free(&r);
	h = h_slurp("s.html", &len);
	ATF_CHECK_EQ(count(h, "class=\"curve line"), 4);
	ATF_CHECK(strstr(h, "data-policy=\"fifo\"") != NULL);
	ATF_CHECK(strstr(h, "data-policy=\"clock\"") != NULL);
	ATF_CHECK(strstr(h, "data-policy=\"opt\"") != NULL);
	free(h);
	run(tc, mrc, 0, &r);
	h_run_free(&r);
	h = h_slurp("m.html", &len);
	ATF_CHECK_EQ(count(h, "class=\"curve line"), 2);
	ATF_CHECK(strstr(h, "data-policy=\"lru\"") != NULL);
	free(h);
	run(tc, vm, 0, &r);
	h_run_free(&r);
	h = h_slurp("v.html", &len);
	ATF_CHECK(strstr(h, "<section id=\"memory\">") != NULL);
	ATF_CHECK(strstr(h, "<section id=\"workingset\">") != NULL);
	ATF_CHECK_EQ(count(h, "<g class=\"lane\""), 1);
	free(h);
}

/* fill: path made to hold len bytes of c */
static void
fill(const char *path, size_t len, char c)
{
	FILE *f = fopen(path, "w");
	size_t i;

	ATF_REQUIRE_MSG(f != NULL, "%s: %s", path, strerror(errno));
	for (i = 0; i < len; i++)
		putc(c, f);
	ATF_REQUIRE(fclose(f) == 0);
}

/* same_bytes: whether files a and b hold the same bytes */
static bool
same_bytes(const char *a, const char *b)
{
	size_t la, lb;
	char *ha = h_slurp(a, &la), *hb = h_slurp(b, &lb);
	bool same = la == lb && memcmp(ha, hb, la) == 0;

	free(ha);
	free(hb);
	return same;
}

/*
 * The reports are written over what the files held and the files cut
 * to length (sim/outfile.h): over files far longer than the reports,
 * nothing of the old contents is left.
 */
ATF_TC_WITHOUT_HEAD(reports_replace_longer_files);
ATF_TC_BODY(reports_replace_longer_files, tc)
{
	static const char *const over[] = { "--json", "old.json", "--html",
		"old.html", "run", SERIES_DIR "/cow.uvm", NULL };
	static const char *const fresh[] = { "--json", "new.json", "--html",
		"new.html", "run", SERIES_DIR "/cow.uvm", NULL };
	static const char *const sweep_over[] = { "replay", "--policy",
		"lru,fifo", "--frames", "1..4/1", "--json", "old-sweep.json",
		"--csv", "old-sweep.csv", TEXTBOOK, NULL };
	static const char *const sweep_fresh[] = { "replay", "--policy",
		"lru,fifo", "--frames", "1..4/1", "--json", "new-sweep.json",
		"--csv", "new-sweep.csv", TEXTBOOK, NULL };
	struct h_run r;

	fill("old.json", 3000000, 'x');
	fill("old.html", 3000000, 'x');
	fill("old-sweep.json", 100000, 'x');
	fill("old-sweep.csv", 100000, 'x');
	run(tc, over, 0, &r);
	h_run_free(&r);
	run(tc, fresh, 0, &r);
	h_run_free(&r);
	ATF_CHECK(same_bytes("old.json", "new.json"));
	ATF_CHECK(same_bytes("old.html", "new.html"));
	run(tc, sweep_over, 0, &r);
	h_run_free(&r);
	run(tc, sweep_fresh, 0, &r);
	h_run_free(&r);
	ATF_CHECK(same_bytes("old-sweep.json", "new-sweep.json"));
	ATF_CHECK(same_bytes("old-sweep.csv", "new-sweep.csv"));
}

/*
 * A report that cannot be written: the reason, and exit status 1 (2
 * for replay's, as for its other host errors).
 */
ATF_TC_WITHOUT_HEAD(report_unwritable);
ATF_TC_BODY(report_unwritable, tc)
{
	static const struct {
		const char *args[10];
		int status;
		const char *err;
	} cases[] = {
		{ { "--html", "/dev/full", "run", SERIES_DIR "/cow.uvm" }, 1,
		    "uvmsim: --html /dev/full: No space left on device\n" },
		{ { "--json", "/dev/full", "run", SERIES_DIR "/cow.uvm" }, 1,
		    "uvmsim: --json /dev/full: No space left on device\n" },
		{ { "--html", "no-such-dir/a.html", "run",
		      SERIES_DIR "/cow.uvm" },
		    1,
		    "uvmsim: --html no-such-dir/a.html: No such file or "
		    "directory\n" },
		{ { "replay", "--policy", "lru", "--frames", "1..3/1", "--json",
		      "/dev/full", TEXTBOOK },
		    2,
		    "uvmsim: replay: --json /dev/full: No space left on "
		    "device\n" },
		{ { "replay", "--policy", "lru", "--frames", "1..3/1", "--csv",
		      "/dev/full", TEXTBOOK },
		    2,
		    "uvmsim: replay: --csv /dev/full: No space left on "
		    "device\n" },
		{ { "replay", "--policy", "lru", "--frames", "1..3/1", "--html",
		      "/dev/full", TEXTBOOK },
		    2,
		    "uvmsim: replay: --html /dev/full: No space left on "
		    "device\n" },
	};
	struct h_run r;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		run(tc, cases[i].args, cases[i].status, &r);
		ATF_CHECK_STREQ(r.r_err, cases[i].err);
		h_run_free(&r);
	}
}

/*
 * A report that fails part way leaves its file empty, not the new
 * report's start over the old one's end: here the file size limit
 * stops it (EFBIG) past 64 KB.
 */
ATF_TC_WITHOUT_HEAD(failed_report_leaves_file_empty);
ATF_TC_BODY(failed_report_leaves_file_empty, tc)
{
	struct rlimit rl = { 65536, 65536 };
	struct stat st;
	FILE *f;
	int i;

	fill("r.txt", 200000, 'x');
	ATF_REQUIRE(signal(SIGXFSZ, SIG_IGN) != SIG_ERR);
	ATF_REQUIRE(setrlimit(RLIMIT_FSIZE, &rl) == 0);
	f = outfile_open("r.txt");
	ATF_REQUIRE_MSG(f != NULL, "r.txt: %s", strerror(errno));
	for (i = 0; i < 10000; i++)
		fprintf(f, "line %d of a report longer than the limit\n", i);
	errno = 0;
	ATF_CHECK_EQ(outfile_close(f), -1);
	ATF_CHECK_EQ_MSG(errno, EFBIG, "errno %d (%s)", errno, strerror(errno));
	ATF_REQUIRE(stat("r.txt", &st) == 0);
	ATF_CHECK_EQ(st.st_size, 0);

	/* within the limit: the new report, cut to its length */
	f = outfile_open("r.txt");
	ATF_REQUIRE(f != NULL);
	fprintf(f, "short\n");
	ATF_CHECK_EQ(outfile_close(f), 0);
	ATF_REQUIRE(stat("r.txt", &st) == 0);
	ATF_CHECK_EQ(st.st_size, 6);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, json_series_golden);
	ATF_TP_ADD_TC(tp, snapshots_see_copy_on_write);
	ATF_TP_ADD_TC(tp, demo_events);
	ATF_TP_ADD_TC(tp, samples_bounded);
	ATF_TP_ADD_TC(tp, recording_changes_nothing);
	ATF_TP_ADD_TC(tp, demo_html_parts);
	ATF_TP_ADD_TC(tp, sample_refused);
	ATF_TP_ADD_TC(tp, working_set_beside_resident);
	ATF_TP_ADD_TC(tp, sweep_lru_one_pass);
	ATF_TP_ADD_TC(tp, replay_html_curves);
	ATF_TP_ADD_TC(tp, reports_replace_longer_files);
	ATF_TP_ADD_TC(tp, report_unwritable);
	ATF_TP_ADD_TC(tp, failed_report_leaves_file_empty);
	return atf_no_error();
}
