/*
 * t_html.c: the HTML report in a real browser.  tools/html-check opens a
 * page in headless Chromium and judges it as a reader's browser shows
 * it; here a hand-written report (tests/html/fixture.html) passes it,
 * each fault made of that report fails it for its own reason, and the
 * pages uvmsim --html writes for the demonstration and for replays (a
 * sweep's miss-ratio curves, one run's working set) pass it.  The
 * page's own formatter is held to snprintf.
 *
 * The browser cases skip only when Node.js or Chromium cannot be found
 * (make check installs both); the two cases of uvmsim's own pages also
 * skip while uvmsim does not know --html.
 */

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atf-c.h>

#include "h_run.h"
#include "sim/html.h"

#define HTML_CHECK TESTS_SRCDIR "/../tools/html-check"
#define FIXTURE	   TESTS_SRCDIR "/html/fixture.html"
#define DEMO_SCN   TESTS_SRCDIR "/../examples/demo.uvm"
#define REFSTRING  TESTS_SRCDIR "/../examples/refstrings/textbook.txt"
/* the fixture's last statement, which each variant is made around */
#define READY	   "document.body.dataset.ready = \"1\";"
#define CSP_META                                                              \
	"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src " \
	"'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "     \
	"img-src data:\">"
#define MAX_REPORT 1000000 /* bytes a report may take */

/* what one run of html-check did */
struct check {
	int c_status; /* exit status; -1 if killed by a signal */
	char *c_out;
	char *c_err;
};

/*
 * html_check: run tools/html-check with args (NULL-terminated), its
 * output into files of the case's directory, and copy that output to
 * this program's standard error, where a failed case shows it.
 */
static void
html_check(const char *const *args, struct check *c)
{
	struct h_run r;
	size_t i;

	h_run_program(HTML_CHECK, args, &r);
	c->c_status = r.r_status;
	c->c_out = r.r_out;
	c->c_err = r.r_err;
	free(r.r_out1);
	free(r.r_err1);
	fprintf(stderr, "html-check:");
	for (i = 0; args[i] != NULL; i++)
		fprintf(stderr, " '%s'", args[i]);
	fprintf(stderr, "\nexit %d\n%s%s\n", c->c_status, c->c_out, c->c_err);
}

static void
check_free(struct check *c)
{
	free(c->c_out);
	free(c->c_err);
}

/*
 * require_browser: skip the case unless html-check finds Node.js and
 * Chromium; any other trouble finding them fails it.
 */
static void
require_browser(void)
{
	static const char *const args[] = { "--find-browser", NULL };
	struct check c;

	ATF_REQUIRE_MSG(access(HTML_CHECK, X_OK) == 0, "%s: %s", HTML_CHECK,
	    strerror(errno));
	html_check(args, &c);
	if (c.c_status == 2) {
		char *nl = strchr(c.c_err, '\n');

		if (nl != NULL)
			*nl = '\0';
		atf_tc_skip("no browser to test in: %s", c.c_err);
	}
	ATF_REQUIRE_EQ_MSG(c.c_status, 0, "html-check --find-browser: exit %d",
	    c.c_status);
	check_free(&c);
}

static void
write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ATF_REQUIRE_MSG(f != NULL, "%s: %s", path, strerror(errno));
	ATF_REQUIRE(fputs(text, f) >= 0);
	ATF_REQUIRE_EQ(fclose(f), 0);
}

/*
 * edit: the page src with its one occurrence of `from' replaced by `to',
 * written to dst (which may be src).
 */
static void
edit(const char *src, const char *dst, const char *from, const char *to)
{
	char *text, *at, *out;
	size_t len, flen = strlen(from), tlen = strlen(to);

	text = h_slurp(src, &len);
	at = strstr(text, from);
	ATF_REQUIRE_MSG(at != NULL, "%s lacks '%s'", src, from);
	ATF_REQUIRE_MSG(strstr(at + 1, from) == NULL,
	    "%s has '%s' more than once", src, from);
	out = malloc(len - flen + tlen + 1);
	ATF_REQUIRE(out != NULL);
	memcpy(out, text, (size_t)(at - text));
	memcpy(out + (at - text), to, tlen);
	strcpy(out + (at - text) + tlen, at + flen);
	write_text(dst, out);
	free(out);
	free(text);
}

/* the lines of out that start with prefix */
static int
lines_starting(const char *out, const char *prefix)
{
	const char *l;
	int n = 0;

	for (l = out; *l != '\0'; l = strchr(l, '\n') + 1) {
		if (strncmp(l, prefix, strlen(prefix)) == 0)
			n++;
		if (strchr(l, '\n') == NULL)
			break;
	}
	return n;
}

/*
 * expect_fail: html-check with args must fail the page (exit 1) with a
 * line that starts "FAIL: " followed by want, after loading it (unless
 * what is wanted is that it never got ready).
 */
static void
expect_fail(const char *const *args, const char *want)
{
	char line[512];
	struct check c;

	html_check(args, &c);
	ATF_REQUIRE_EQ_MSG(c.c_status, 1, "html-check: exit %d, not 1",
	    c.c_status);
	snprintf(line, sizeof(line), "FAIL: %s", want);
	ATF_CHECK_MSG(strstr(c.c_out, line) != NULL,
	    "html-check's output lacks '%s'", line);
	ATF_CHECK_MSG(strncmp(c.c_out, "ok: ", 4) == 0 ||
		strstr(want, "dataset.ready") != NULL,
	    "the page did not load and get ready");
	check_free(&c);
}

/*
 * The page is written through a formatter of its own (html.c), which
 * must print what snprintf would for every conversion it takes.
 */
#define SAME_AS_SNPRINTF(len, ...)                                        \
	do {                                                              \
		/* volatile: the compiler is not to judge the cut-offs */ \
		volatile size_t len_ = (len);                             \
		char got_[128], want_[128];                               \
		int n_ = html_snprintf(got_, len_, __VA_ARGS__);          \
		snprintf(want_, len_, __VA_ARGS__);                       \
		ATF_CHECK_STREQ_MSG(got_, want_, "%s", #__VA_ARGS__);     \
		ATF_CHECK_EQ_MSG((size_t)n_, strlen(want_), "%s: %d",     \
		    #__VA_ARGS__, n_);                                    \
	} while (0)

ATF_TC_WITHOUT_HEAD(formatter_matches_snprintf);
ATF_TC_BODY(formatter_matches_snprintf, tc)
{
	SAME_AS_SNPRINTF(128, "%d %d %d %d", 0, -1, INT_MIN, INT_MAX);
	SAME_AS_SNPRINTF(128, "%ld %ld", LONG_MIN, LONG_MAX);
	SAME_AS_SNPRINTF(128, "%lld %lld %d", LLONG_MIN, LLONG_MAX, 7);
	SAME_AS_SNPRINTF(128, "%u %lu %llu", UINT_MAX, ULONG_MAX, ULLONG_MAX);
	SAME_AS_SNPRINTF(128, "%x %lx %llx", 0u, 0xabcUL, 0xdeadbeefcafeULL);
	SAME_AS_SNPRINTF(128, "%08llx %08llx", 0x1000ULL, 0x7fffe00000ULL);
	SAME_AS_SNPRINTF(128, "[%05d] [%5d] [%-5d] [%05d]", -42, -42, 42, 7);
	SAME_AS_SNPRINTF(128, "[%-5s] [%5s] [%-3s]", "ab", "ab", "long");
	SAME_AS_SNPRINTF(128, "[%.3s] [%.10s] [%.0s]", "abcdef", "ab", "x");
	SAME_AS_SNPRINTF(128, "%c%c %d%%", 'x', '"', 5);
	SAME_AS_SNPRINTF(128, "%g %g %g %g %g", 0.0, -0.0, 1.0, -3.0, 0.5);
	SAME_AS_SNPRINTF(128, "%g %g %g %g", 999999.0, 1e6, 1234567.0, 2.2e7);
	SAME_AS_SNPRINTF(128, "%g %g %g %.3g", 2.5e-5, 1e300, NAN, 1234.5);
	SAME_AS_SNPRINTF(128, "<rect x=\"%d\" class=\"%s\"/>", -2, "page");
	/* cut off as snprintf cuts, with its NUL */
	SAME_AS_SNPRINTF(5, "%d-%s", 123456, "abc");
	SAME_AS_SNPRINTF(5, "ab%s", "cdefgh");
	SAME_AS_SNPRINTF(1, "%d", 1);
}

/*
 * The fixture follows the report's structure and passes every check:
 * the counts, two texts, three hovers (a chart's strip, a lane's event,
 * the shared anon) and a screenshot that is not blank.
 */
ATF_TC(fixture_passes);
ATF_TC_HEAD(fixture_passes, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "the hand-written report loads clean, has the structure, its "
	    "tips show on hover and its screenshot is not blank");
}
ATF_TC_BODY(fixture_passes, tc)
{
	static const char *const args[] = { "--count",
		"meta[http-equiv=\"Content-Security-Policy\"]=1", "--count",
		"body[data-report=\"run\"]=1", "--count",
		"section#memory svg=1", "--count", "section#faults=1",
		"--count", "section#lanes g.lane[data-pid][data-name]=2",
		"--count", "g.lane[data-name=\"child\"][data-pid=\"2\"]=1",
		"--count", "section#snapshots figure.snapshot[data-label]=1",
		"--count", "figure.snapshot svg.aspace[data-pid]=2", "--count",
		"figure.snapshot svg.cowgraph=1", "--count",
		"svg.cowgraph .anon.shared[data-refs=\"2\"]=1", "--min",
		"svg.cowgraph .anon=3", "--min", "[data-tip]=20", "--text",
		"h1=cow-fork.uvm", "--text",
		"figure.snapshot figcaption=the child's write", "--hover",
		"section#memory .hit", "--hover", "section#lanes circle",
		"--hover", "svg.cowgraph .anon.shared", "--screenshot",
		"fixture.png", FIXTURE, NULL };
	/* the load, 18 checks, and no console, exception, CSP, request, dialog */
	const int want_ok = 1 + 18 + 5;
	struct check c;
	char *png;
	size_t len;

	require_browser();
	html_check(args, &c);
	ATF_CHECK_EQ_MSG(c.c_status, 0, "html-check: exit %d", c.c_status);
	ATF_CHECK_EQ(lines_starting(c.c_out, "FAIL: "), 0);
	ATF_CHECK_EQ_MSG(lines_starting(c.c_out, "ok: "), want_ok,
	    "%d ok lines, not %d", lines_starting(c.c_out, "ok: "), want_ok);
	ATF_CHECK(strstr(c.c_out,
		      "ok: hover 'svg.cowgraph .anon.shared' "
		      "shows div#tip: \"anon: page 0 of both") != NULL);
	png = h_slurp("fixture.png", &len);
	ATF_CHECK(len > 8 && memcmp(png, "\x89PNG\r\n\x1a\n", 8) == 0);
	free(png);
	check_free(&c);
}

ATF_TC(console_error_and_warning_fail);
ATF_TC_HEAD(console_error_and_warning_fail, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "a console.error and a console.warn each fail the page");
}
ATF_TC_BODY(console_error_and_warning_fail, tc)
{
	static const char *const args[] = { "page.html", NULL };
	struct check c;

	require_browser();
	edit(FIXTURE, "page.html", READY,
	    "console.error(\"no samples recorded\"); "
	    "console.warn(\"odd sample\"); " READY);
	html_check(args, &c);
	ATF_CHECK_EQ(c.c_status, 1);
	ATF_CHECK(
	    strstr(c.c_out,
		"FAIL: console: console.error: no samples recorded\n") != NULL);
	ATF_CHECK(strstr(c.c_out,
		      "FAIL: console: console.warn: odd sample\n") != NULL);
	ATF_CHECK_EQ(lines_starting(c.c_out, "FAIL: "), 2);
	check_free(&c);
}

ATF_TC(uncaught_exception_fails);
ATF_TC_HEAD(uncaught_exception_fails, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "a script that throws fails the page, though the page got ready");
}
ATF_TC_BODY(uncaught_exception_fails, tc)
{
	static const char *const args[] = { "page.html", NULL };

	require_browser();
	edit(FIXTURE, "page.html", "</body>",
	    "<script>document.getElementById(\"nowhere\").remove();</script>"
	    "</body>");
	expect_fail(args, "uncaught exception: TypeError");
}

ATF_TC(csp_violation_fails);
ATF_TC_HEAD(csp_violation_fails, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "an image over http, which the page's Content-Security-Policy "
	    "refuses, fails the page");
}
ATF_TC_BODY(csp_violation_fails, tc)
{
	static const char *const args[] = { "page.html", NULL };

	require_browser();
	edit(FIXTURE, "page.html", "</body>",
	    "<img src=\"http://192.0.2.1/x.png\" alt=\"\"></body>");
	expect_fail(args, "CSP violation: ");
}

ATF_TC(network_request_fails);
ATF_TC_HEAD(network_request_fails, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "without a Content-Security-Policy, an image over http is a "
	    "request, which is refused and fails the page");
}
ATF_TC_BODY(network_request_fails, tc)
{
	static const char *const args[] = { "page.html", NULL };
	require_browser();
	edit(FIXTURE, "page.html", "</body>",
	    "<img src=\"http://192.0.2.1/x.png\" alt=\"\"></body>");
	edit("page.html", "page.html", CSP_META, "");
	expect_fail(args, "request refused: http://192.0.2.1/x.png");
}

ATF_TC(blank_page_fails_screenshot);
ATF_TC_HEAD(blank_page_fails_screenshot, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "a page that draws nothing loads clean, but its screenshot is "
	    "blank");
}
ATF_TC_BODY(blank_page_fails_screenshot, tc)
{
	static const char *const args[] = { "--screenshot", "blank.png",
		"blank.html", NULL };
	struct check c;

	require_browser();
	write_text("blank.html",
	    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
	    "charset=\"utf-8\">" CSP_META "<title>uvmsim</title></head>\n"
	    "<body data-report=\"run\"><script>" READY "</script></body>"
	    "</html>\n");
	html_check(args, &c);
	ATF_CHECK_EQ(c.c_status, 1);
	ATF_CHECK(strstr(c.c_out, "FAIL: screenshot blank.png: ") != NULL);
	ATF_CHECK(strstr(c.c_out, "blank (wanted at least 3 colours") != NULL);
	/* only the screenshot failed */
	ATF_CHECK_EQ(lines_starting(c.c_out, "FAIL: "), 1);
	ATF_CHECK(access("blank.png", R_OK) == 0);
	check_free(&c);
}

ATF_TC(wrong_count_fails);
ATF_TC_HEAD(wrong_count_fails, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "a count the page does not have fails, and the right one beside "
	    "it passes");
}
ATF_TC_BODY(wrong_count_fails, tc)
{
	static const char *const args[] = { "--count", "section#lanes g.lane=3",
		"--count", "section#lanes g.lane=2", "--min", "svg.aspace=3",
		FIXTURE, NULL };
	struct check c;

	require_browser();
	html_check(args, &c);
	ATF_CHECK_EQ(c.c_status, 1);
	ATF_CHECK(
	    strstr(c.c_out,
		"FAIL: count 'section#lanes g.lane' is 2, not 3\n") != NULL);
	ATF_CHECK(
	    strstr(c.c_out, "ok: count 'section#lanes g.lane' is 2\n") != NULL);
	ATF_CHECK(strstr(c.c_out,
		      "FAIL: min 'svg.aspace': 2, fewer than 3\n") != NULL);
	ATF_CHECK_EQ(lines_starting(c.c_out, "FAIL: "), 2);
	check_free(&c);
}

ATF_TC(hover_without_tip_fails);
ATF_TC_HEAD(hover_without_tip_fails, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "a page whose script never shows the tip fails the hover check");
}
ATF_TC_BODY(hover_without_tip_fails, tc)
{
	static const char *const args[] = { "--hover", "section#faults .bar",
		"page.html", NULL };

	require_browser();
	edit(FIXTURE, "page.html", "tip.style.display = \"block\";", "");
	expect_fail(args, "hover 'section#faults .bar' at (");
}

ATF_TC(never_ready_fails);
ATF_TC_HEAD(never_ready_fails, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "a page that never sets data-ready fails at the time limit");
}
ATF_TC_BODY(never_ready_fails, tc)
{
	static const char *const args[] = { "--timeout", "3", "--count",
		"g.lane=2", "page.html", NULL };

	require_browser();
	edit(FIXTURE, "page.html", READY, "");
	expect_fail(args,
	    "page.html loaded, but did not set document.body.dataset.ready "
	    "to \"1\" in 3 s");
}

ATF_TC(usage_errors_exit_2);
ATF_TC_HEAD(usage_errors_exit_2, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "a missing page, a check without its value and an unknown "
	    "option are refused with exit status 2");
}
ATF_TC_BODY(usage_errors_exit_2, tc)
{
	static const char *const missing[] = { "nothing.html", NULL };
	static const char *const novalue[] = { "--count", "g.lane", FIXTURE,
		NULL };
	static const char *const unknown[] = { "--counts", "a=1", FIXTURE,
		NULL };
	struct check c;

	require_browser();
	html_check(missing, &c);
	ATF_CHECK_EQ(c.c_status, 2);
	ATF_CHECK(
	    strstr(c.c_err, "html-check: nothing.html: no such file") != NULL);
	check_free(&c);
	html_check(novalue, &c);
	ATF_CHECK_EQ(c.c_status, 2);
	ATF_CHECK(strstr(c.c_err, "expected SELECTOR=N") != NULL);
	check_free(&c);
	html_check(unknown, &c);
	ATF_CHECK_EQ(c.c_status, 2);
	ATF_CHECK(strstr(c.c_err, "unknown option --counts") != NULL);
	check_free(&c);
}

/*
 * run_report: uvmsim with args, which write a report to path; skips the
 * case when uvmsim does not know --html, and requires the report to be
 * there, under MAX_REPORT bytes.
 */
static void
run_report(const atf_tc_t *tc, const char *const *args, const char *path)
{
	struct h_run r;
	struct stat st;

	h_run_uvmsim(tc, args, &r);
	if (r.r_status != 0 && strstr(r.r_err, "unknown option") != NULL &&
	    strstr(r.r_err, "--html") != NULL)
		atf_tc_skip("uvmsim has no --html yet");
	ATF_REQUIRE_EQ_MSG(r.r_status, 0, "uvmsim: exit %d; stderr: %s",
	    r.r_status, r.r_err1);
	h_run_free(&r);
	ATF_REQUIRE_MSG(stat(path, &st) == 0, "%s: %s", path, strerror(errno));
	ATF_CHECK_MSG(st.st_size < MAX_REPORT, "%s is %lld bytes", path,
	    (long long)st.st_size);
}

/*
 * demo_processes: the names of the demonstration's processes, from its
 * scenario's "process NAME {" and "fork NAME {" lines; returns how many.
 */
static int
demo_processes(char names[][32], int max)
{
	char *text, *line, *save = NULL, word[16], name[32];
	int n = 0;

	text = h_slurp(DEMO_SCN, NULL);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, " %15s %31[A-Za-z0-9_-] {", word, name) != 2 ||
		    (strcmp(word, "process") != 0 && strcmp(word, "fork") != 0))
			continue;
		ATF_REQUIRE(n < max);
		snprintf(names[n++], 32, "%s", name);
	}
	free(text);
	ATF_REQUIRE_MSG(n >= 2, "%s: only %d processes found", DEMO_SCN, n);
	return n;
}

ATF_TC(demo_report);
ATF_TC_HEAD(demo_report, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "uvmsim --html writes the demonstration's report: it loads "
	    "clean, with a lane per process, snapshots of address spaces "
	    "and a copy-on-write graph with a shared anon, hover tips, and "
	    "a screenshot that is not blank");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(demo_report, tc)
{
	static const char *const run[] = { "--html", "demo.html", NULL };
	static const char *const fixed[] = { "--count",
		"meta[http-equiv=\"Content-Security-Policy\"]=1", "--count",
		"body[data-report=\"run\"]=1", "--count", "section#memory=1",
		"--count", "section#faults=1", "--min",
		"section#snapshots figure.snapshot[data-label]=1", "--count",
		"figure.snapshot:not(:has(svg.aspace[data-pid]))=0", "--count",
		"figure.snapshot:not(:has(svg.cowgraph))=0", "--min",
		"figure.snapshot svg.cowgraph .anon.shared[data-refs]=1",
		"--hover", "section#lanes g.lane [data-tip]", "--hover",
		"svg.cowgraph .anon.shared[data-tip]", "--hover",
		"svg.aspace rect.page.c-anon[data-pg]", "--hover",
		"svg.aspace rect.page.c-none[data-grp]", "--hover",
		"svg.aspace rect.page.c-anon[data-grp]", "--screenshot",
		"demo.png" };
	enum { NFIXED = sizeof(fixed) / sizeof(fixed[0]) };
	char names[16][32], lanes[16][96], all[64];
	const char *args[NFIXED + 2 * 16 + 4];
	struct check c;
	int i, n, na = 0;

	require_browser();
	run_report(tc, run, "demo.html");
	n = demo_processes(names, 16);
	for (i = 0; i < NFIXED; i++)
		args[na++] = fixed[i];
	snprintf(all, sizeof(all), "section#lanes g.lane[data-pid]=%d", n);
	args[na++] = "--count";
	args[na++] = all;
	for (i = 0; i < n; i++) {
		snprintf(lanes[i], sizeof(lanes[i]),
		    "section#lanes g.lane[data-pid][data-name=\"%.31s\"]=1",
		    names[i]);
		args[na++] = "--count";
		args[na++] = lanes[i];
	}
	args[na++] = "demo.html";
	args[na] = NULL;
	html_check(args, &c);
	ATF_CHECK_EQ_MSG(c.c_status, 0, "html-check: exit %d", c.c_status);
	ATF_CHECK_EQ(lines_starting(c.c_out, "FAIL: "), 0);
	/* a private anon page's cell: its tip made by the script */
	ATF_CHECK_MATCH("shows div#tip: \"0x[0-9a-f]+: frame [0-9]+, "
			"anon#[0-9]+ \\(1 ref\\), mapped",
	    c.c_out);
	/* a run of untouched pages, and a cell of several: theirs too
	   (html-check shows a tip's first 60 characters) */
	ATF_CHECK_MATCH("shows div#tip: \"0x[0-9a-f]+-0x[0-9a-f]+: [0-9]+ "
			"pages untouched \\(zero-",
	    c.c_out);
	ATF_CHECK_MATCH("shows div#tip: \"0x[0-9a-f]+, [0-9]+ pages: [0-9]+ "
			"shared, [1-9][0-9]* private, [0-9]+ object",
	    c.c_out);
	check_free(&c);
}

/*
 * A sweep draws a miss-ratio curve per policy and OPT's; from 3 frames
 * on the classic string's four curves start at four different points
 * (15, 14, 12 and 9 faults), so the first point hovered is on top.  One
 * full-VM run draws the working set beside the resident set.
 */
ATF_TC(replay_report);
ATF_TC_HEAD(replay_report, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "uvmsim replay --html writes a sweep's report, a miss-ratio "
	    "curve for each policy and for OPT, and a full-VM run's, its "
	    "working set");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(replay_report, tc)
{
	static const char *const sweep[] = { "replay", "--html", "sweep.html",
		"--policy", "fifo,lru,clock", "--frames", "3..7/1", REFSTRING,
		NULL };
	static const char *const sweep_checks[] = { "--count",
		"meta[http-equiv=\"Content-Security-Policy\"]=1", "--count",
		"body[data-report=\"replay\"]=1", "--count",
		"section#mrc path.curve[data-policy]=4", "--count",
		"section#mrc path.curve[data-policy=\"fifo\"]=1", "--count",
		"section#mrc path.curve[data-policy=\"lru\"]=1", "--count",
		"section#mrc path.curve[data-policy=\"clock\"]=1", "--count",
		"section#mrc path.curve[data-policy=\"opt\"]=1", "--hover",
		"section#mrc [data-tip]", "--screenshot", "sweep.png",
		"sweep.html", NULL };
	static const char *const one[] = { "replay", "--html", "one.html",
		REFSTRING, NULL };
	static const char *const one_checks[] = { "--count",
		"body[data-report=\"replay\"]=1", "--count",
		"section#workingset=1", "--min", "section#workingset svg=1",
		"--screenshot", "one.png", "one.html", NULL };
	struct check c;

	require_browser();
	run_report(tc, sweep, "sweep.html");
	html_check(sweep_checks, &c);
	ATF_CHECK_EQ_MSG(c.c_status, 0, "html-check sweep.html: exit %d",
	    c.c_status);
	ATF_CHECK_EQ(lines_starting(c.c_out, "FAIL: "), 0);
	check_free(&c);
	run_report(tc, one, "one.html");
	html_check(one_checks, &c);
	ATF_CHECK_EQ_MSG(c.c_status, 0, "html-check one.html: exit %d",
	    c.c_status);
	ATF_CHECK_EQ(lines_starting(c.c_out, "FAIL: "), 0);
	check_free(&c);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, formatter_matches_snprintf);
	ATF_TP_ADD_TC(tp, fixture_passes);
	ATF_TP_ADD_TC(tp, console_error_and_warning_fail);
	ATF_TP_ADD_TC(tp, uncaught_exception_fails);
	ATF_TP_ADD_TC(tp, csp_violation_fails);
	ATF_TP_ADD_TC(tp, network_request_fails);
	ATF_TP_ADD_TC(tp, blank_page_fails_screenshot);
	ATF_TP_ADD_TC(tp, wrong_count_fails);
	ATF_TP_ADD_TC(tp, hover_without_tip_fails);
	ATF_TP_ADD_TC(tp, never_ready_fails);
	ATF_TP_ADD_TC(tp, usage_errors_exit_2);
	ATF_TP_ADD_TC(tp, demo_report);
	ATF_TP_ADD_TC(tp, replay_report);
	return atf_no_error();
}
