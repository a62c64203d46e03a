/*
 * t_replay_cli.c: uvmsim replay, convert and merge as a user runs them
 * -- Belady's anomaly in one command, a real program's trace (recorded
 * with valgrind lackey from /bin/true, tests/traces/true.lackey.xz) in
 * every mode, sweeps that say the same whether run in one process, in
 * several, or planned and run by GNU parallel, the standard input, and
 * bad traces refused with their place and exit status 2.
 */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "machine/types.h"

#include "h_run.h"

#define FIXTURE TESTS_SRCDIR "/traces/true.lackey.xz"

static void
write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ATF_REQUIRE(f != NULL);
	ATF_REQUIRE(fputs(text, f) >= 0);
	ATF_REQUIRE_EQ(fclose(f), 0);
}

/* run: uvmsim with args; the exit status is required to be want */
static void
run(const atf_tc_t *tc, const char *const *args, int want, struct h_run *r)
{
	h_run_uvmsim(tc, args, r);
	ATF_REQUIRE_EQ_MSG(r->r_status, want, "exit %d, not %d; stderr: %s",
	    r->r_status, want, r->r_err1);
}

/* shell: run a command line with $UVMSIM set; returns its exit status */
static int
shell(const atf_tc_t *tc, const char *cmd)
{
	char prog[PATH_MAX];
	int status;

	h_uvmsim_path(tc, prog, sizeof(prog));
	ATF_REQUIRE_EQ(setenv("UVMSIM", prog, 1), 0);
	status = system(cmd);
	ATF_REQUIRE(status != -1);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

ATF_TC(belady_in_one_command);
ATF_TC_HEAD(belady_in_one_command, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "FIFO takes more faults with 4 frames than with 3");
}
ATF_TC_BODY(belady_in_one_command, tc)
{
	static const char *const args[] = { "replay", "--policy", "fifo",
		"--frames", "3,4", "belady", NULL };
	static const char want[] =
	    "POLICY      FRAMES   REFERENCES       FAULTS    HITS%  VS-OPT\n"
	    "fifo             3           12            9    25.00       -\n"
	    "fifo             4           12           10    16.67       -\n";
	struct h_run r;

	write_text("belady", "1 2 3 4 1 2 5 1 2 3 4 5\n");
	run(tc, args, 0, &r);
	ATF_CHECK_STREQ(r.r_out, want);
	ATF_CHECK_EQ(r.r_errlen, 0);
	h_run_free(&r);
}

ATF_TC(fixture_full_vm_every_policy);
ATF_TC_HEAD(fixture_full_vm_every_policy, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "a real trace under every policy: opt pages in least, and "
	    "memory above the footprint pages in nothing under opt");
}
ATF_TC_BODY(fixture_full_vm_every_policy, tc)
{
	static const char *const args[] = { "replay", "--policy",
		"clock,fifo,lru,opt", "--memory", "40%,300%", "--csv", "s.csv",
		FIXTURE, NULL };
	struct h_run r;
	char *csv, *line, *save = NULL;
	unsigned long long pin[2][4];
	char pol[16];
	unsigned long long mem, frames, refs, faults;
	int row = 0, i;

	run(tc, args, 0, &r);
	csv = h_slurp("s.csv", NULL);
	line = strtok_r(csv, "\n", &save);
	ATF_REQUIRE(line != NULL);
	ATF_CHECK_STREQ(line,
	    "policy,memory,frames,references,faults,minflt,"
	    "majflt,pageins,pageouts,pdwakeups,time_us,"
	    "status");
	while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
		unsigned long long minflt, majflt, pageins;

		ATF_REQUIRE(row < 8);
		ATF_REQUIRE_EQ_MSG(sscanf(line,
				       "%15[a-z],%llu,%llu,%llu,%llu,%llu,"
				       "%llu,%llu",
				       pol, &mem, &frames, &refs, &faults,
				       &minflt, &majflt, &pageins),
		    8, "%s", line);
		ATF_CHECK_EQ(refs, 171487);
		ATF_CHECK(majflt <= pageins);
		pin[row / 4][row % 4] = pageins;
		row++;
	}
	ATF_REQUIRE_EQ(row, 8);
	for (i = 0; i < 3; i++) {
		ATF_CHECK_MSG(pin[0][3] <= pin[0][i],
		    "opt %llu page-ins, policy %d %llu", pin[0][3], i,
		    pin[0][i]);
		ATF_CHECK(pin[1][3] <= pin[1][i]);
	}
	ATF_CHECK(pin[0][3] > 0);
	ATF_CHECK_EQ(pin[1][3], 0);
	free(csv);
	h_run_free(&r);
}

ATF_TC(sweeps_agree_however_run);
ATF_TC_HEAD(sweeps_agree_however_run, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "one process, four, and a plan run by GNU parallel and merged, "
	    "print the same table");
	atf_tc_set_md_var(tc, "require.progs", "parallel");
}
ATF_TC_BODY(sweeps_agree_however_run, tc)
{
	static const char *const one[] = { "replay", "--policy", "lru,opt",
		"--memory", "30%..90%/30%", FIXTURE, NULL };
	static const char *const four[] = { "replay", "--policy", "lru,opt",
		"--memory", "30%..90%/30%", "-j", "4", FIXTURE, NULL };
	static const char *const plan[] = { "replay", "--policy", "lru,opt",
		"--memory", "30%..90%/30%", "--plan", "--record-prefix", "rec",
		FIXTURE, NULL };
	struct h_run a, b, p;
	char *merged;

	run(tc, one, 0, &a);
	run(tc, four, 0, &b);
	ATF_CHECK_STREQ(a.r_out, b.r_out);
	run(tc, plan, 0, &p);
	write_text("plan", p.r_out);
	/* each line of the plan is a command; parallel runs them */
	ATF_REQUIRE_EQ(shell(tc,
			   "sed 's|^uvmsim |\"$UVMSIM\" |' plan | "
			   "parallel --will-cite -j 2 >/dev/null && "
			   "\"$UVMSIM\" merge rec-*.rec > merged"),
	    0);
	merged = h_slurp("merged", NULL);
	ATF_CHECK_STREQ(merged, a.r_out);
	free(merged);
	h_run_free(&a);
	h_run_free(&b);
	h_run_free(&p);
}

ATF_TC(standard_input_and_convert);
ATF_TC_HEAD(standard_input_and_convert, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "a trace piped in, and converted to the binary format, replays "
	    "as the file itself does");
}
ATF_TC_BODY(standard_input_and_convert, tc)
{
	static const char *const direct[] = { "replay", "--frames", "10%,50%",
		"--policy", "clock,opt", FIXTURE, NULL };
	static const char *const conv[] = { "convert", FIXTURE, "t.uvt.gz",
		NULL };
	static const char *const fromconv[] = { "replay", "--frames", "10%,50%",
		"--policy", "clock,opt", "t.uvt.gz", NULL };
	struct h_run a, c, d;
	char *piped;

	run(tc, direct, 0, &a);
	run(tc, conv, 0, &c);
	run(tc, fromconv, 0, &d);
	ATF_CHECK_STREQ(a.r_out, d.r_out);
	ATF_REQUIRE_EQ(shell(tc,
			   "xz -dc " FIXTURE " | \"$UVMSIM\" replay "
			   "--frames 10%,50% --policy clock,opt - "
			   "> piped"),
	    0);
	piped = h_slurp("piped", NULL);
	ATF_CHECK_STREQ(piped, a.r_out);
	free(piped);
	h_run_free(&a);
	h_run_free(&c);
	h_run_free(&d);
}

/* bad: replay args fails with status 2, its message naming want */
static void
bad(const atf_tc_t *tc, const char *const *args, const char *want)
{
	struct h_run r;

	run(tc, args, 2, &r);
	ATF_CHECK_MSG(strstr(r.r_err, want) != NULL, "'%s' does not say '%s'",
	    r.r_err1, want);
	ATF_CHECK_MSG(strstr(r.r_out, "TRACE") == NULL &&
		strstr(r.r_out, "POLICY") == NULL,
	    "a report despite the error: %s", r.r_out1);
	h_run_free(&r);
}

ATF_TC(bad_traces_exit_2_with_their_place);
ATF_TC_HEAD(bad_traces_exit_2_with_their_place, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "garbage, a cut stream, an address outside the user space, an "
	    "empty trace and an unknown policy are each refused");
}
ATF_TC_BODY(bad_traces_exit_2_with_their_place, tc)
{
	static const char *const garbage[] = { "replay", "g", NULL };
	static const char *const garbage_tb[] = { "replay", "--frames", "4",
		"g", NULL };
	static const char *const far[] = { "replay", "far", NULL };
	static const char *const empty[] = { "replay", "empty", NULL };
	static const char *const cut[] = { "replay", "cut.xz", NULL };
	static const char *const pol[] = { "replay", "--policy", "lru,clok",
		"g", NULL };
	static const char *const none[] = { "replay", NULL };
	static const char *const conv[] = { "convert", "g", "out.uvt", NULL };

	write_text("g", "I  0400,4\n L 0500,8\nthis is not lackey\n");
	bad(tc, garbage,
	    "g: line 3: not a lackey record: 'this is not "
	    "lackey'");
	bad(tc, garbage_tb, "g: line 3: not a lackey record");
	write_text("far", " L 10000000,4\n S fffffff000,8\n");
	bad(tc, far,
	    "far:2: page 0xfffffff is outside the user address "
	    "space");
	write_text("empty", "==1== nothing\n");
	bad(tc, empty, "empty: empty trace");
	ATF_REQUIRE_EQ(shell(tc,
			   "xz -dc " FIXTURE " | head -n 20000 | xz > full.xz "
			   "&& head -c $(($(wc -c < full.xz) / 2)) full.xz "
			   "> cut.xz"),
	    0);
	bad(tc, cut, "cut.xz: truncated xz stream");
	bad(tc, pol,
	    "--policy clok: not a policy (clock, fifo, lru, opt); "
	    "did you mean clock");
	bad(tc, none, "no trace given");
	/* convert leaves nothing behind when its input is bad */
	bad(tc, conv, "g: line 3: not a lackey record");
	ATF_CHECK(access("out.uvt", F_OK) != 0);
}

ATF_TC(sigint_reports_partial);
ATF_TC_HEAD(sigint_reports_partial, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "SIGINT stops a long replay: the report so far, marked partial, "
	    "exit status 130, and the copy of the standard input removed");
	atf_tc_set_md_var(tc, "timeout", "600");
}
ATF_TC_BODY(sigint_reports_partial, tc)
{
	FILE *f = fopen("long", "w");
	char *out;
	long i;

	ATF_REQUIRE(f != NULL);
	/* 3000 pages in turn on a 64-page machine: every reference pages */
	for (i = 0; i < 3000000; i++)
		fprintf(f, "%ld\n", i % 3000);
	ATF_REQUIRE_EQ(fclose(f), 0);
	ATF_REQUIRE_EQ(mkdir("tmp", 0755), 0);
	/* two configurations from the standard input: it is spooled */
	ATF_REQUIRE_EQ(shell(tc,
			   "TMPDIR=$PWD/tmp \"$UVMSIM\" replay "
			   "--memory 64p --policy clock,fifo - < long "
			   "> out 2> err & pid=$!; "
			   "while ! ls tmp | grep -q .; do sleep 0.1; "
			   "done; sleep 1; kill -INT $pid; wait $pid; "
			   "echo $? > status"),
	    0);
	out = h_slurp("status", NULL);
	ATF_CHECK_STREQ(out, "130\n");
	free(out);
	out = h_slurp("out", NULL);
	ATF_CHECK_MSG(strstr(out,
			  "partial: the sweep was stopped by "
			  "Interrupt") != NULL,
	    "%s", out);
	free(out);
	ATF_CHECK_EQ(shell(tc, "test -z \"$(ls tmp)\""), 0);
}

/*
 * The lessons of examples/refstrings, as their comments run them, against
 * their golden outputs in tests/golden/replay.
 */
#define BELADY	 TESTS_SRCDIR "/../examples/refstrings/belady.txt"
#define TEXTBOOK TESTS_SRCDIR "/../examples/refstrings/textbook.txt"

static const struct lesson {
	const char *l_golden;
	const char *l_args[16];
} lessons[] = {
	{ "belady", { "--policy", "fifo", "--frames", "3,4", BELADY } },
	{ "belady-steps",
	    { "--steps", "--policy", "fifo", "--frames", "3,4", BELADY } },
	{ "belady-stack",
	    { "--policy", "fifo,lru,opt", "--frames", "1..6/1", BELADY } },
	{ "textbook-steps",
	    { "--steps", "--policy", "fifo,lru,opt", "--frames", "3",
		TEXTBOOK } },
	{ "clock-1bit",
	    { "--steps", "--policy", "clock", "--frames", "3", TEXTBOOK } },
	{ "clock-2bits",
	    { "--steps", "--policy", "clock", "--clock-bits", "2", "--frames",
		"3", TEXTBOOK } },
	{ "quiz", { "--quiz", "--policy", "lru", "--frames", "3", TEXTBOOK } },
	{ "quiz-answers",
	    { "--quiz", "--answers", "--policy", "lru", "--frames", "3",
		TEXTBOOK } },
	{ "more-policies",
	    { "--steps", "--policy", "mru,unopt,lfu,sc,rand", "--seed", "5",
		"--frames", "3", TEXTBOOK } },
	{ "generate",
	    { "--generate", "60", "--maxpage", "12", "--shape", "hot:80:25",
		"--seed", "9", "--print" } },
	{ "working-set",
	    { "--ws", "100,1000,10000", "--pff", "1000", FIXTURE } },
};

ATF_TC(lessons_match_golden);
ATF_TC_HEAD(lessons_match_golden, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "step-by-step listings, quizzes, the classic policies and "
	    "generated strings, as the examples' lessons run them");
}
ATF_TC_BODY(lessons_match_golden, tc)
{
	const char *args[20];
	char path[512], *golden;
	struct h_run r;
	size_t i, k;

	for (i = 0; i < __arraycount(lessons); i++) {
		args[0] = "replay";
		for (k = 0; lessons[i].l_args[k] != NULL; k++)
			args[k + 1] = lessons[i].l_args[k];
		args[k + 1] = NULL;
		run(tc, args, 0, &r);
		snprintf(path, sizeof(path), "%s/golden/replay/%s.out",
		    TESTS_SRCDIR, lessons[i].l_golden);
		golden = h_slurp(path, NULL);
		ATF_CHECK_MSG(strcmp(r.r_out, golden) == 0,
		    "%s: the output differs from %s: %s", lessons[i].l_golden,
		    path, r.r_out1);
		free(golden);
		h_run_free(&r);
	}
}

ATF_TC_WITHOUT_HEAD(option_error_after_policy);
ATF_TC_BODY(option_error_after_policy, tc)
{
	/* --policy's list is the command line's until it is copied */
	static const char *const jobs[] = { "replay", "--policy", "lru", "-j",
		"0", "x", NULL };
	static const char *const unknown[] = { "replay", "--policy", "fifo,lru",
		"--bogus", "x", NULL };
	struct h_run r;

	run(tc, jobs, 2, &r);
	ATF_CHECK_STREQ(r.r_err, "uvmsim: replay: -j 0: from 1 to 1024\n");
	h_run_free(&r);
	run(tc, unknown, 2, &r);
	ATF_CHECK_STREQ(r.r_err, "uvmsim: replay: unknown option --bogus\n");
	h_run_free(&r);
}

/* the log's options are worded as replay's other errors are */
ATF_TC_WITHOUT_HEAD(trace_option_errors_name_replay);
ATF_TC_BODY(trace_option_errors_name_replay, tc)
{
	static const char *const cat[] = { "replay", "--trace=faults", "x",
		NULL };
	static const char *const file[] = { "replay", "--trace-file",
		"/nonexistent/dir/log", FIXTURE, NULL };
	struct h_run r;

	run(tc, cat, 2, &r);
	ATF_CHECK_MATCH("^uvmsim: replay: --trace=faults: unknown category "
			"'faults' \\(.*\\); did you mean fault\\?\n$",
	    r.r_err);
	h_run_free(&r);
	run(tc, file, 2, &r);
	ATF_CHECK_STREQ(r.r_err,
	    "uvmsim: replay: --trace-file /nonexistent/dir/log: No such file "
	    "or directory\n");
	h_run_free(&r);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, belady_in_one_command);
	ATF_TP_ADD_TC(tp, trace_option_errors_name_replay);
	ATF_TP_ADD_TC(tp, fixture_full_vm_every_policy);
	ATF_TP_ADD_TC(tp, sweeps_agree_however_run);
	ATF_TP_ADD_TC(tp, standard_input_and_convert);
	ATF_TP_ADD_TC(tp, bad_traces_exit_2_with_their_place);
	ATF_TP_ADD_TC(tp, sigint_reports_partial);
	ATF_TP_ADD_TC(tp, lessons_match_golden);
	ATF_TP_ADD_TC(tp, option_error_after_policy);
	return atf_no_error();
}
