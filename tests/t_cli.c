/*
 * t_cli.c: the uvmsim command -- options, usage errors, the demonstration
 * (run as a user would: see h_run.h).
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atf-c.h>

#include "h_run.h"
#include "sim/settings.h"

#define GOLDEN_DEMO TESTS_SRCDIR "/golden/demo.out"
#define DEMO_LAST   "demo.uvm: 32 expectations checked, 0 failed"

/*
 * A usage error: exit status 2, nothing on standard output, and one
 * message on standard error that names the program and contains `want'.
 */
static void
require_usage_error(const atf_tc_t *tc, const char *const *args,
    const char *want)
{
	struct h_run r;

	h_run_uvmsim(tc, args, &r);
	ATF_REQUIRE_EQ_MSG(r.r_status, 2, "uvmsim %s...: exit %d", args[0],
	    r.r_status);
	ATF_REQUIRE_EQ_MSG(r.r_outlen, 0, "uvmsim %s...: stdout '%s'", args[0],
	    r.r_out1);
	ATF_REQUIRE_MSG(strncmp(r.r_err, "uvmsim: ", 8) == 0,
	    "stderr does not start with the program name: '%s'", r.r_err1);
	ATF_REQUIRE_MSG(strstr(r.r_err, want) != NULL,
	    "uvmsim %s...: stderr '%s' lacks '%s'", args[0], r.r_err1, want);
	ATF_REQUIRE_MSG(r.r_errlen > 0 && r.r_err[r.r_errlen - 1] == '\n',
	    "stderr does not end with a newline");
	h_run_free(&r);
}

/* the same, and the usage text follows the message */
static void
require_usage_error_with_usage(const atf_tc_t *tc, const char *const *args,
    const char *want)
{
	struct h_run r;

	require_usage_error(tc, args, want);
	h_run_uvmsim(tc, args, &r);
	ATF_REQUIRE_MSG(strstr(r.r_err, "\nusage: uvmsim") != NULL,
	    "no usage text after the message: '%s'", r.r_err1);
	h_run_free(&r);
}

/*
 * Information
 */

ATF_TC_WITHOUT_HEAD(version);
ATF_TC_BODY(version, tc)
{
	static const char *const args[] = { "--version", NULL };
	struct h_run r;

	h_run_uvmsim(tc, args, &r);
	ATF_REQUIRE_EQ(r.r_status, 0);
	ATF_REQUIRE_MSG(strcmp(r.r_out, "uvmsim " UVMSIM_VERSION "\n") == 0,
	    "--version printed '%s'", r.r_out1);
	ATF_REQUIRE_EQ_MSG(r.r_errlen, 0, "stderr: %s", r.r_err1);
	h_run_free(&r);
}

ATF_TC_WITHOUT_HEAD(help);
ATF_TC_BODY(help, tc)
{
	static const char *const shortopt[] = { "-h", NULL };
	static const char *const longopt[] = { "--help", NULL };
	/* -h wins over what follows it */
	static const char *const first[] = { "-h", "--memory", "12q", NULL };
	static const char *const want[] = {
		"--memory SIZE",
		"--swap SIZE",
		"--pagesize SIZE",
		"--version",
		"(default 1024 pages)", /* MACHINE_NPAGES_DEFAULT */
		"(default 4096 pages)", /* MACHINE_SWAPSLOTS_DEFAULT */
		"page size, a power of two from 512 to 65536",
		"--upages N",
		"--disk-seek TIME",
		"--max-time TIME",
		"--max-steps N",
		"--force",
		"--list-counters",
		"k, m or g",
		"--max-output SIZE",
		"(default 256M; 0: no bound)",
		"--fail NAME[:AFTER[:COUNT]]",
		"--trace[=CATEGORY,...]\n",
		"--trace-file FILE",
		"fault, pagein, pageout, pdaemon, swap, sched, proc,\n",
		"page, anon, amap, mapent, swapslot, kva, pmap, vmspace,\n",
		"swap-create\n",
		"$TMPDIR",
	};
	struct h_run h, l, f;
	size_t i;

	h_run_uvmsim(tc, shortopt, &h);
	ATF_REQUIRE_EQ(h.r_status, 0);
	ATF_REQUIRE_EQ_MSG(h.r_errlen, 0, "stderr: %s", h.r_err1);
	ATF_REQUIRE_MSG(strncmp(h.r_out, "usage: uvmsim ", 14) == 0,
	    "help starts '%.40s'", h.r_out1);
	for (i = 0; i < __arraycount(want); i++)
		ATF_REQUIRE_MSG(strstr(h.r_out, want[i]) != NULL,
		    "help lacks '%s'", want[i]);

	h_run_uvmsim(tc, longopt, &l);
	ATF_REQUIRE_EQ(l.r_status, 0);
	ATF_REQUIRE_EQ(l.r_errlen, 0);
	ATF_REQUIRE_MSG(strcmp(l.r_out, h.r_out) == 0, "--help: %s", l.r_out1);

	h_run_uvmsim(tc, first, &f);
	ATF_REQUIRE_EQ(f.r_status, 0);
	ATF_REQUIRE_MSG(strcmp(f.r_out, h.r_out) == 0, "-h ...: %s", f.r_out1);

	h_run_free(&h);
	h_run_free(&l);
	h_run_free(&f);
}

/*
 * Usage errors
 */

ATF_TC_WITHOUT_HEAD(unknown_option);
ATF_TC_BODY(unknown_option, tc)
{
	static const char *const longopt[] = { "--bogus", NULL };
	static const char *const shortopt[] = { "-x", NULL };
	static const char *const later[] = { "--memory", "4m", "--frobnicate",
		NULL };

	require_usage_error_with_usage(tc, longopt, "unknown option '--bogus'");
	require_usage_error_with_usage(tc, shortopt, "unknown option '-x'");
	require_usage_error_with_usage(tc, later,
	    "unknown option '--frobnicate'");
}

/*
 * An unknown letter grouped with others ("-xh") must be named as such.
 * getopt has not stepped past the argument yet, so argv[optind - 1] is
 * the previous one -- here the program itself.
 */
ATF_TC_WITHOUT_HEAD(unknown_option_grouped);
ATF_TC_BODY(unknown_option_grouped, tc)
{
	static const char *const grouped[] = { "-xh", NULL };
	struct h_run r;

	h_run_uvmsim(tc, grouped, &r);
	ATF_REQUIRE_EQ(r.r_status, 2);
	ATF_REQUIRE_EQ(r.r_outlen, 0);
	ATF_REQUIRE_MSG(strstr(r.r_err, "unknown option '-x'") != NULL,
	    "stderr: %s", r.r_err1);
	h_run_free(&r);
}

ATF_TC_WITHOUT_HEAD(missing_value);
ATF_TC_BODY(missing_value, tc)
{
	static const char *const memory[] = { "--memory", NULL };
	static const char *const swap[] = { "--pagesize", "512", "--swap",
		NULL };
	static const char *const pagesize[] = { "--pagesize", NULL };

	require_usage_error(tc, memory, "option '--memory' needs a value");
	require_usage_error(tc, swap, "option '--swap' needs a value");
	require_usage_error(tc, pagesize, "option '--pagesize' needs a value");
}

ATF_TC_WITHOUT_HEAD(bad_size);
ATF_TC_BODY(bad_size, tc)
{
	static const struct {
		const char *opt, *val, *want;
	} bad[] = {
		{ "--memory", "12q", "--memory 12q: expected a size" },
		{ "--memory", "0", "--memory 0: must not be 0" },
		{ "--memory", "0k", "--memory 0k: must not be 0" },
		{ "--memory", "", "--memory : expected a size" },
		{ "--memory", "-4m", "--memory -4m: expected a size" },
		{ "--memory", " 4m", "--memory  4m: expected a size" },
		{ "--memory", "4m ", "--memory 4m : expected a size" },
		{ "--memory", "4mb", "--memory 4mb: expected a size" },
		{ "--memory", "0x", "--memory 0x: expected a size" },
		{ "--swap", "m", "--swap m: expected a size" },
		{ "--pagesize", "4.5k", "--pagesize 4.5k: expected a size" },
		/* pages are for memory and swap */
		{ "--pagesize", "8p", "--pagesize 8p: expected a size" },
		/* beyond what strtoull holds */
		{ "--memory", "99999999999999999999g",
		    "--memory 99999999999999999999g: too large" },
		/* fits, but not once multiplied by the suffix */
		{ "--swap", "17179869184g", "--swap 17179869184g: too large" },
	};
	const char *args[3];
	size_t i;

	for (i = 0; i < __arraycount(bad); i++) {
		args[0] = bad[i].opt;
		args[1] = bad[i].val;
		args[2] = NULL;
		require_usage_error(tc, args, bad[i].want);
	}
}

/*
 * The message must name the option whose value is bad.  With the value
 * in its own argument ("--memory 12q") getopt has stepped past both, so
 * argv[optind - 1] is the value, not the option.
 */
ATF_TC_WITHOUT_HEAD(bad_size_names_the_option);
ATF_TC_BODY(bad_size_names_the_option, tc)
{
	static const char *const joined[] = { "--memory=12q", NULL };
	static const char *const apart[] = { "--memory", "12q", NULL };

	require_usage_error(tc, joined, "uvmsim: --memory 12q: expected");
	require_usage_error(tc, apart, "uvmsim: --memory 12q: expected");
}

ATF_TC_WITHOUT_HEAD(memory_not_whole_pages);
ATF_TC_BODY(memory_not_whole_pages, tc)
{
	static const char *const mem[] = { "--memory", "5000", NULL };
	static const char *const swap[] = { "--swap", "4097", NULL };
	/* a whole number of 4 KiB pages but not of 64 KiB ones */
	static const char *const big[] = { "--memory", "1028k", "--pagesize",
		"64k", NULL };

	require_usage_error(tc, mem,
	    "--memory 5000 is not a whole number of 4096-byte pages");
	require_usage_error(tc, swap,
	    "--swap 4097 is not a whole number of 4096-byte pages");
	require_usage_error(tc, big,
	    "--memory 1052672 is not a whole number of 65536-byte pages");
}

ATF_TC_WITHOUT_HEAD(page_size_not_power_of_two);
ATF_TC_BODY(page_size_not_power_of_two, tc)
{
	static const char *const vals[] = { "3000", "6k", "256", "128k",
		"65537" };
	const char *args[3];
	size_t i;

	for (i = 0; i < __arraycount(vals); i++) {
		args[0] = "--pagesize";
		args[1] = vals[i];
		args[2] = NULL;
		require_usage_error(tc, args,
		    "page size must be a power of two from 512 to 65536");
	}
}

/*
 * A bad page size is the error to report even when memory is also
 * given: "not a whole number of 3000-byte pages" blames the wrong option.
 */
ATF_TC_WITHOUT_HEAD(page_size_checked_before_memory);
ATF_TC_BODY(page_size_checked_before_memory, tc)
{
	static const char *const args[] = { "--pagesize", "3000", "--memory",
		"4m", NULL };

	require_usage_error(tc, args, "page size must be a power of two");
}

ATF_TC_WITHOUT_HEAD(machine_too_small);
ATF_TC_BODY(machine_too_small, tc)
{
	static const char *const mem[] = { "--memory", "32k", NULL };

	require_usage_error(tc, mem,
	    "bad machine: physical memory must be at least 16 pages");
}

ATF_TC_WITHOUT_HEAD(stray_argument);
ATF_TC_BODY(stray_argument, tc)
{
	static const char *const alone[] = { "stray", NULL };
	static const char *const after[] = { "--memory", "4m", "extra", NULL };

	static const char *const twice[] = { "check", "a.uvm", "b.uvm", NULL };
	static const char *const nofile[] = { "run", NULL };

	require_usage_error_with_usage(tc, alone,
	    "unknown command 'stray' (run, check, help, replay, convert, merge)");
	require_usage_error_with_usage(tc, after,
	    "unknown command 'extra' (run, check, help, replay, convert, merge)");
	require_usage_error_with_usage(tc, twice,
	    "unexpected argument 'b.uvm'");
	require_usage_error(tc, nofile, "run: which scenario file?");
}

/*
 * The demonstration
 */

ATF_TC_WITHOUT_HEAD(demo_matches_golden);
ATF_TC_BODY(demo_matches_golden, tc)
{
	static const char *const none[] = { NULL };
	struct h_run a, b;
	size_t glen, i, line, start;
	char *golden;

	h_run_uvmsim(tc, none, &a);
	ATF_REQUIRE_EQ_MSG(a.r_status, 0, "exit %d; stderr: %s", a.r_status,
	    a.r_err1);
	ATF_REQUIRE_EQ_MSG(a.r_errlen, 0, "stderr: %s", a.r_err1);

	/* deterministic: a second run says exactly the same */
	h_run_uvmsim(tc, none, &b);
	ATF_REQUIRE_EQ(b.r_status, 0);
	ATF_REQUIRE_EQ(a.r_outlen, b.r_outlen);
	ATF_REQUIRE(memcmp(a.r_out, b.r_out, a.r_outlen) == 0);

	golden = h_slurp(GOLDEN_DEMO, &glen);
	/* find the first line that differs and show both versions of it */
	for (i = 0, start = 0, line = 1; i < glen && i < a.r_outlen; i++) {
		if (golden[i] != a.r_out[i])
			break;
		if (golden[i] == '\n') {
			line++;
			start = i + 1;
		}
	}
	if (i < glen || i < a.r_outlen)
		atf_tc_fail("output differs from %s at line %zu: got '%.*s', "
			    "want '%.*s'",
		    GOLDEN_DEMO, line, (int)strcspn(a.r_out + start, "\n"),
		    a.r_out + start, (int)strcspn(golden + start, "\n"),
		    golden + start);
	free(golden);
	h_run_free(&a);
	h_run_free(&b);
}

/*
 * the demonstration at other sizes runs to its end, every expectation
 * holding, on the machine the options describe
 */
static void
demo_runs(const atf_tc_t *tc, const char *const *args, const char *machine)
{
	struct h_run r;
	const char *last;
	size_t len;

	h_run_uvmsim(tc, args, &r);
	ATF_REQUIRE_EQ_MSG(r.r_status, 0, "exit %d; stdout: %s; stderr: %s",
	    r.r_status, r.r_out1, r.r_err1);
	ATF_REQUIRE_EQ_MSG(r.r_errlen, 0, "stderr: %s", r.r_err1);
	ATF_REQUIRE_MSG(strstr(r.r_out, machine) != NULL, "no '%s' in: %s",
	    machine, r.r_out1);
	last = h_last_line(r.r_out, r.r_outlen, &len);
	ATF_REQUIRE_MSG(len == strlen(DEMO_LAST) &&
		strncmp(last, DEMO_LAST, len) == 0,
	    "last line: '%.*s'", (int)len, last);
	h_run_free(&r);
}

ATF_TC_WITHOUT_HEAD(demo_small_pages);
ATF_TC_BODY(demo_small_pages, tc)
{
	/* a u-area holds 8 KiB at least; memory and swap keep their bytes */
	static const char *const args[] = { "--pagesize", "1024", "--upages",
		"8", NULL };

	demo_runs(tc, args,
	    "machine: 256 pages of 1024 bytes, swap 4096 pages, u-area 8 "
	    "pages");
}

ATF_TC_WITHOUT_HEAD(demo_large_pages);
ATF_TC_BODY(demo_large_pages, tc)
{
	static const char *const args[] = { "--pagesize", "65536", NULL };

	demo_runs(tc, args,
	    "machine: 64 pages of 65536 bytes, swap 1024 pages, u-area 4 "
	    "pages");
}

/* a small scenario that runs on any machine, and says so */
static void
write_file(const char *name, const char *text)
{
	FILE *f = fopen(name, "w");

	ATF_REQUIRE(f != NULL);
	ATF_REQUIRE(fputs(text, f) >= 0);
	ATF_REQUIRE_EQ(fclose(f), 0);
}

static void
tiny_runs(const atf_tc_t *tc, const char *const *args, const char *machine)
{
	struct h_run r;

	write_file("tiny.uvm",
	    "process p {\n\tmmap a 4p\n\tfill a 4p "
	    "byte 7\n\tverify a 4p byte 7\n}\nrun\n"
	    "expect proc p exit 0\n");
	h_run_uvmsim(tc, args, &r);
	ATF_REQUIRE_EQ_MSG(r.r_status, 0, "exit %d; stdout: %s; stderr: %s",
	    r.r_status, r.r_out1, r.r_err1);
	ATF_REQUIRE_MSG(strstr(r.r_out, machine) != NULL, "no '%s' in: %s",
	    machine, r.r_out1);
	ATF_REQUIRE_MSG(strstr(r.r_out, "3 expectations checked, 0 failed") !=
		NULL,
	    "%s", r.r_out1);
	h_run_free(&r);
}

/* sizes reach the machine: bytes become pages of the chosen size */
ATF_TC_WITHOUT_HEAD(sizes_reach_machine);
ATF_TC_BODY(sizes_reach_machine, tc)
{
	static const char *const args[] = { "--memory", "8m", "--swap", "1M",
		"--pagesize", "2k", "run", "tiny.uvm", NULL };

	tiny_runs(tc, args,
	    "machine: 4096 pages of 2048 bytes, swap 512 pages");
}

/* the kernel's settings: each checked, each reaching the machine */
ATF_TC_WITHOUT_HEAD(kernel_settings_checked);
ATF_TC_BODY(kernel_settings_checked, tc)
{
	static const char *const pol[] = { "--policy", "bogus", NULL };
	static const char *const opt[] = { "--policy", "opt", NULL };
	static const char *const slp[] = { "--maxslp", "0", NULL };
	static const char *const hz[] = { "--hz", "ten", NULL };
	static const char *const upg[] = { "--upages", "0", NULL };
	static const char *const big[] = { "--upages", "65", NULL };
	static const char *const sw[] = { "--switch", "fast", NULL };
	static const char *const cs[] = { "--core-style", "bsd", NULL };
	static const char *const seed[] = { "--seed", "x1", NULL };
	static const char *const fdir[] = { "--files", "no/such/dir", NULL };
	static const char *const cdir[] = { "--cores", "tiny.uvm", NULL };

	write_file("tiny.uvm", "run\n");
	require_usage_error(tc, pol,
	    "--policy bogus: unknown replacement policy");
	require_usage_error(tc, opt, "--policy opt: opt needs the future");
	require_usage_error(tc, slp,
	    "--maxslp 0: must be from 1 to 3600 seconds");
	require_usage_error(tc, hz, "--hz ten: expected a whole number");
	/* the limits are the machine's own (machine_config_check's) */
	require_usage_error(tc, upg, "--upages 0: must be from 1 to 64 pages");
	require_usage_error(tc, big, "--upages 65: must be from 1 to 64 pages");
	require_usage_error(tc, sw, "--switch fast: expected asm, ucontext");
	require_usage_error(tc, cs, "--core-style bsd: expected host, netbsd");
	require_usage_error(tc, seed, "--seed x1: expected a whole number");
	require_usage_error(tc, fdir, "--files no/such/dir: No such file");
	require_usage_error(tc, cdir, "--cores tiny.uvm: not a directory");
}

/*
 * The context switch method is the host's business: the simulation
 * prints the same demonstration with either.  The other settings reach
 * the machine.
 */
ATF_TC_WITHOUT_HEAD(kernel_settings_reach_machine);
ATF_TC_BODY(kernel_settings_reach_machine, tc)
{
	static const char *const uc[] = { "--switch", "ucontext", NULL };
	static const char *const lru[] = { "--policy", "lru", "--maxslp", "5",
		"--hz", "250", "--upages", "8", "run", "tiny.uvm", NULL };
	static const char *const none[] = { NULL };
	struct h_run a, b;

	h_run_uvmsim(tc, none, &a);
	h_run_uvmsim(tc, uc, &b);
	ATF_REQUIRE_EQ(b.r_status, 0);
	ATF_REQUIRE_EQ(a.r_outlen, b.r_outlen);
	ATF_REQUIRE(memcmp(a.r_out, b.r_out, a.r_outlen) == 0);
	h_run_free(&a);
	h_run_free(&b);
	tiny_runs(tc, lru, "u-area 8 pages, hz 250, maxslp 5 s, policy lru");
}

/*
 * The smallest machine that runs a process: the kernel's three threads
 * (proc0, the pagedaemon, the reaper) and the process each wire a
 * u-area, and the kernel's reserve of 5 pages is never given to a user
 * page, so a one-page process needs 4 * upages + 6 pages, and never less
 * than the machine's own minimum of 16.  At that size it runs to its
 * end; a page less and the boot is refused, with the figure to use.
 * (Before, 16 pages booted and the process waited for memory for good.)
 */
ATF_TC_WITHOUT_HEAD(smallest_machine_runs_a_process);
ATF_TC_BODY(smallest_machine_runs_a_process, tc)
{
	static const struct {
		const char *pagesize, *upages; /* upages NULL: the default */
		size_t min;
	} cfg[] = {
		{ "512", NULL, 134 },
		{ "1024", NULL, 70 },
		{ "2048", NULL, 38 },
		{ "4096", NULL, 22 },
		{ "8192", NULL, 16 },
		{ "65536", NULL, 16 },
		{ "8192", "1", 16 },
		{ "4096", "3", 18 },
		{ "4096", "16", 70 },
		{ "65536", "64", 262 },
	};
	const char *args[10];
	char mem[32], want[256];
	struct h_run r;
	size_t i, n, ps;
	int na;

	write_file("one.uvm",
	    "process p {\n\tmmap a 1p\n\tfill a 1p byte 7\n\tverify a "
	    "1p byte 7\n}\nrun\nexpect proc p exit 0\n");
	for (i = 0; i < __arraycount(cfg); i++) {
		ps = strtoul(cfg[i].pagesize, NULL, 10);
		for (n = cfg[i].min; n + 2 > cfg[i].min; n--) {
			na = 0;
			snprintf(mem, sizeof(mem), "%zu", n * ps);
			args[na++] = "--memory";
			args[na++] = mem;
			args[na++] = "--pagesize";
			args[na++] = cfg[i].pagesize;
			if (cfg[i].upages != NULL) {
				args[na++] = "--upages";
				args[na++] = cfg[i].upages;
			}
			args[na++] = "run";
			args[na++] = "one.uvm";
			args[na] = NULL;
			if (n == cfg[i].min) {
				h_run_uvmsim(tc, args, &r);
				ATF_REQUIRE_EQ_MSG(r.r_status, 0,
				    "%zu pages of %zu: exit %d: %s %s", n, ps,
				    r.r_status, r.r_out1, r.r_err1);
				ATF_REQUIRE_MSG(strstr(r.r_out, "0 failed") !=
					NULL,
				    "%s", r.r_out1);
				h_run_free(&r);
			} else if (n < 16)
				require_usage_error(tc, args,
				    "bad machine: physical memory must be at "
				    "least 16 pages");
			else {
				snprintf(want, sizeof(want),
				    "uvmsim: the machine did not boot: %zu "
				    "pages of memory are too few for the "
				    "kernel: it needs at least %zu here",
				    n, cfg[i].min);
				require_usage_error(tc, args, want);
			}
		}
	}
}

/*
 * A temporary directory that cannot take the swap file: the directory
 * and the host's reason are said, exit status 2, nothing runs.  (It used
 * to be blamed on a machine too small for its u-areas.)  A directory
 * under a regular file is unusable even to root, who may write in a
 * read-only one; that one is tried only when not root.  check needs no
 * temporary directory.
 */
ATF_TC_WITHOUT_HEAD(unusable_tmpdir_is_said);
ATF_TC_BODY(unusable_tmpdir_is_said, tc)
{
	static const char *const run[] = { "run", "tiny.uvm", NULL };
	static const char *const files[] = { "--files", ".", "run", "tiny.uvm",
		NULL };
	static const char *const demo[] = { NULL };
	static const char *const check[] = { "check", "tiny.uvm", NULL };
	char dir[PATH_MAX + 16], want[PATH_MAX + 100];
	struct h_run r;

	write_file("tiny.uvm", "run\n");
	write_file("plain", "a file\n");
	ATF_REQUIRE(setenv("TMPDIR", "/nonexistent", 1) == 0);
	require_usage_error(tc, run,
	    "uvmsim: cannot create the swap file in /nonexistent (TMPDIR): "
	    "No such file or directory\n");
	require_usage_error(tc, files, "in /nonexistent (TMPDIR): No such");
	require_usage_error(tc, demo, "in /nonexistent (TMPDIR): No such");
	h_run_uvmsim(tc, check, &r);
	ATF_REQUIRE_EQ_MSG(r.r_status, 0, "check: %s", r.r_err1);
	h_run_free(&r);

	ATF_REQUIRE(getcwd(dir, PATH_MAX) != NULL);
	strcat(dir, "/plain/x");
	ATF_REQUIRE(setenv("TMPDIR", dir, 1) == 0);
	snprintf(want, sizeof(want),
	    "uvmsim: cannot create the swap file in %s (TMPDIR): Not a "
	    "directory\n",
	    dir);
	require_usage_error(tc, run, want);

	if (geteuid() != 0) {
		ATF_REQUIRE_EQ(mkdir("ro", 0555), 0);
		ATF_REQUIRE(setenv("TMPDIR", "ro", 1) == 0);
		require_usage_error(tc, run,
		    "cannot create the swap file in ro (TMPDIR): Permission "
		    "denied\n");
	}
}

/*
 * --json FILE must not be the scenario being run, by whatever name:
 * itself, a hard link, a symbolic link (the standard input, which h_run
 * makes /dev/null, goes through the same comparison).  Refused (exit
 * status 2) before anything runs, the scenario intact; another file is
 * written.
 */
ATF_TC_WITHOUT_HEAD(json_never_overwrites_the_scenario);
ATF_TC_BODY(json_never_overwrites_the_scenario, tc)
{
	static const char *const names[] = { "tiny.uvm", "./tiny.uvm",
		"hard.json", "soft.json" };
	static const char *const ok[] = { "--json", "out.json", "run",
		"tiny.uvm", NULL };
	const char *args[5];
	char want[200], *text;
	struct h_run r;
	size_t i, len;

	write_file("tiny.uvm", "run\n");
	ATF_REQUIRE_EQ(link("tiny.uvm", "hard.json"), 0);
	ATF_REQUIRE_EQ(symlink("tiny.uvm", "soft.json"), 0);
	for (i = 0; i < __arraycount(names); i++) {
		args[0] = "--json";
		args[1] = names[i];
		args[2] = "run";
		args[3] = "tiny.uvm";
		args[4] = NULL;
		snprintf(want, sizeof(want),
		    "uvmsim: --json %s: that is the scenario being run "
		    "(tiny.uvm); it would be overwritten\n",
		    names[i]);
		require_usage_error(tc, args, want);
	}
	text = h_slurp("tiny.uvm", &len);
	ATF_REQUIRE_STREQ(text, "run\n");
	free(text);

	h_run_uvmsim(tc, ok, &r);
	ATF_REQUIRE_EQ_MSG(r.r_status, 0, "%s", r.r_err1);
	h_run_free(&r);
	text = h_slurp("out.json", &len);
	ATF_REQUIRE(len > 0 && text[0] == '{');
	free(text);
}

/*
 * for the event log: faults, a fork and a copy on write, the pagedaemon
 * woken, page-outs and a page-in
 */
#define TRACE_SCENARIO                                                 \
	"memory 48p\nprocess p {\n\tmmap a 32p\n\tfill a 32p byte 1\n" \
	"\tfork c {\n\t\tfill a 1p byte 2\n\t}\n\twait c\n}\nrun\n"

/*
 * log_lines: the lines of a log, checking each has its time stamp and a
 * category; how many have category `cat' (NULL: any) goes to *ncat
 */
static int
log_lines(const char *log, const char *cat, int *ncat)
{
	const char *p, *t;
	char want[32];
	int n = 0;

	*ncat = 0;
	snprintf(want, sizeof(want), "] %s: ", cat != NULL ? cat : "");
	for (p = log; *p != '\0'; p = strchr(p, '\n') + 1) {
		ATF_REQUIRE_MSG(strchr(p, '\n') != NULL, "a line cut short");
		t = strchr(p, ']');
		ATF_REQUIRE_MSG(p[0] == '[' && t != NULL &&
			strspn(t + 2, "abcdefghijklmnopqrstuvwxyz") > 0 &&
			t[2 + strspn(t + 2, "abcdefghijklmnopqrstuvwxyz")] ==
			    ':',
		    "not a log line: '%.60s'", p);
		n++;
		if (cat == NULL || strncmp(t, want, strlen(want)) == 0)
			(*ncat)++;
	}
	return n;
}

/*
 * --trace-file FILE writes the very log --trace writes to the standard
 * error, which then stays empty; --trace=CATEGORY,... narrows either
 * to those categories (and they add up when given again).
 */
ATF_TC_WITHOUT_HEAD(trace_file_and_categories);
ATF_TC_BODY(trace_file_and_categories, tc)
{
	static const char *const to_err[] = { "--trace", "run", "t.uvm", NULL };
	static const char *const to_file[] = { "--trace-file", "all.log", "run",
		"t.uvm", NULL };
	static const char *const narrow[] = { "--trace=proc", "--trace-file",
		"proc.log", "run", "t.uvm", NULL };
	static const char *const two[] = { "--trace=fault", "--trace=proc",
		"run", "t.uvm", NULL };
	struct h_run e, f, r;
	int all, nproc, nfault, n;
	size_t len;
	char *log;

	write_file("t.uvm", TRACE_SCENARIO);
	h_run_uvmsim(tc, to_err, &e);
	ATF_REQUIRE_EQ_MSG(e.r_status, 0, "%s", e.r_err1);
	all = log_lines(e.r_err, NULL, &n);
	ATF_REQUIRE(all > 10);
	(void)log_lines(e.r_err, "proc", &nproc);
	(void)log_lines(e.r_err, "fault", &nfault);
	ATF_REQUIRE(nproc >= 5 && nfault > 0 && nproc + nfault < all);

	h_run_uvmsim(tc, to_file, &f);
	ATF_REQUIRE_EQ_MSG(f.r_status, 0, "%s", f.r_err1);
	ATF_REQUIRE_EQ_MSG(f.r_errlen, 0, "stderr: %s", f.r_err1);
	ATF_REQUIRE_STREQ(f.r_out, e.r_out);
	log = h_slurp("all.log", &len);
	ATF_REQUIRE_MSG(strcmp(log, e.r_err) == 0, "all.log: %s", log);
	free(log);
	h_run_free(&f);

	h_run_uvmsim(tc, narrow, &r);
	ATF_REQUIRE_EQ_MSG(r.r_status, 0, "%s", r.r_err1);
	ATF_REQUIRE_EQ_MSG(r.r_errlen, 0, "stderr: %s", r.r_err1);
	log = h_slurp("proc.log", &len);
	ATF_REQUIRE_EQ(log_lines(log, "proc", &n), nproc);
	ATF_REQUIRE_EQ(n, nproc);
	free(log);
	h_run_free(&r);

	h_run_uvmsim(tc, two, &r);
	ATF_REQUIRE_EQ_MSG(r.r_status, 0, "%s", r.r_err1);
	ATF_REQUIRE_EQ(log_lines(r.r_err, "proc", &n), nproc + nfault);
	ATF_REQUIRE_EQ(n, nproc);
	h_run_free(&r);
	h_run_free(&e);
}

/*
 * The trace options' errors: an unknown or missing category, with the
 * list and the closest name; a --trace-file that is the scenario (by
 * any name), refused before it is touched; a file that cannot be made,
 * named with the host's reason.  Each is a usage error (exit status 2).
 */
ATF_TC_WITHOUT_HEAD(trace_options_refused);
ATF_TC_BODY(trace_options_refused, tc)
{
	static const char *const typo[] = { "--trace=fault,pageot", "run",
		"t.uvm", NULL };
	static const char *const empty[] = { "--trace=", "run", "t.uvm", NULL };
	static const char *const same[] = { "--trace-file", "./t.uvm", "run",
		"t.uvm", NULL };
	static const char *const nodir[] = { "--trace-file", "none/t.log",
		"run", "t.uvm", NULL };
	size_t len;
	char *text;

	write_file("t.uvm", TRACE_SCENARIO);
	require_usage_error(tc, typo,
	    "uvmsim: --trace=fault,pageot: unknown category 'pageot' (fault, "
	    "pagein, pageout, pdaemon, swap, sched, proc, signal, file, or "
	    "all); did you mean pageout?\n");
	require_usage_error(tc, empty,
	    "uvmsim: --trace=: a category is missing (fault, ");
	require_usage_error(tc, same,
	    "uvmsim: --trace-file ./t.uvm: that is the scenario being run "
	    "(t.uvm); it would be overwritten\n");
	text = h_slurp("t.uvm", &len);
	ATF_REQUIRE_STREQ(text, TRACE_SCENARIO);
	free(text);
	require_usage_error(tc, nodir, "uvmsim: --trace-file none/t.log: ");
	require_usage_error(tc, nodir, strerror(ENOENT));
}

/*
 * uvmsim replay takes the same trace options: categories (a typo
 * refused, even after a --policy), and a file, in which the lines of
 * a sweep's runs in parallel (-j) are whole.
 */
ATF_TC_WITHOUT_HEAD(replay_trace_options);
ATF_TC_BODY(replay_trace_options, tc)
{
	static const char *const proc[] = { "replay", "--trace=proc",
		"refs.txt", NULL };
	static const char *const typo[] = { "replay", "--policy", "lru",
		"--trace=prc", "refs.txt", NULL };
	static const char *const file[] = { "replay", "-j", "2", "--policy",
		"clock,fifo,lru", "--trace-file", "r.log", "refs.txt", NULL };
	struct h_run r;
	int n, nexit;
	size_t len;
	char *log, *p;

	write_file("refs.txt", "1 2 3 4 1 2 5 1 2 3 4 5\n");
	h_run_uvmsim(tc, proc, &r);
	ATF_REQUIRE_EQ_MSG(r.r_status, 0, "%s", r.r_err1);
	ATF_REQUIRE(log_lines(r.r_err, "proc", &n) > 0);
	ATF_REQUIRE_EQ_MSG(log_lines(r.r_err, NULL, &n), n, "%s", r.r_err1);
	ATF_REQUIRE(strstr(r.r_err, "(refs.txt): exit, status 0x0\n") != NULL);
	h_run_free(&r);
	require_usage_error(tc, typo,
	    "uvmsim: replay: --trace=prc: unknown category 'prc' (");
	require_usage_error(tc, typo, "; did you mean proc?\n");

	h_run_uvmsim(tc, file, &r);
	ATF_REQUIRE_EQ_MSG(r.r_status, 0, "%s", r.r_err1);
	ATF_REQUIRE_EQ_MSG(r.r_errlen, 0, "stderr: %s", r.r_err1);
	h_run_free(&r);
	log = h_slurp("r.log", &len);
	(void)log_lines(log, NULL, &n);
	nexit = 0;
	for (p = log; (p = strstr(p, "(refs.txt): exit")) != NULL; p++)
		nexit++;
	ATF_REQUIRE_EQ_MSG(nexit, 3, "r.log: %s", log);
	free(log);
}

/* the root directory is no sandbox: by any name, exit status 2 */
ATF_TC_WITHOUT_HEAD(files_root_refused);
ATF_TC_BODY(files_root_refused, tc)
{
	static const char *const root[] = { "--files", "/", "run", "tiny.uvm",
		NULL };
	static const char *const dotted[] = { "--files", "//.", "run",
		"tiny.uvm", NULL };

	write_file("tiny.uvm", "run\n");
	require_usage_error(tc, root,
	    "uvmsim: --files /: the root directory cannot be the sandbox");
	require_usage_error(tc, dotted,
	    "uvmsim: --files //.: the root directory cannot be the sandbox");
}

/*
 * --max-output SIZE bounds the report: a scenario of 5000 vmstat reports
 * (16 MB) under a bound of 64 KiB prints exactly 64 KiB, is stopped
 * there -- the file its last line would make is not made -- says so in
 * one line and exits 1.  0 is no bound; a bad size is a usage error.
 */
ATF_TC_WITHOUT_HEAD(max_output_stops_the_run);
ATF_TC_BODY(max_output_stops_the_run, tc)
{
	static const char *const bounded[] = { "--max-output", "64k", "--files",
		"sandbox", "run", "loop.uvm", NULL };
	static const char *const unbounded[] = { "--max-output", "0", "--files",
		"sandbox", "run", "loop.uvm", NULL };
	static const char *const bad[] = { "--max-output", "lots", NULL };
	struct h_run r;
	FILE *f;
	int i;

	ATF_REQUIRE_EQ(mkdir("sandbox", 0700), 0);
	f = fopen("loop.uvm", "w");
	ATF_REQUIRE(f != NULL);
	for (i = 0; i < 5000; i++)
		fputs("vmstat\n", f);
	fputs("file made 1k\n", f);
	ATF_REQUIRE_EQ(fclose(f), 0);

	h_run_uvmsim(tc, bounded, &r);
	ATF_REQUIRE_EQ_MSG(r.r_status, 1, "exit %d: %s", r.r_status, r.r_err1);
	ATF_REQUIRE_EQ(r.r_outlen, 65536);
	ATF_REQUIRE_STREQ(r.r_err,
	    "uvmsim: output passed --max-output 65536 bytes; the run was "
	    "stopped\n");
	ATF_REQUIRE_MSG(access("sandbox/made", F_OK) != 0,
	    "the run went on past the bound");
	h_run_free(&r);

	h_run_uvmsim(tc, unbounded, &r);
	ATF_REQUIRE_EQ_MSG(r.r_status, 0, "exit %d: %s", r.r_status, r.r_err1);
	ATF_REQUIRE(r.r_outlen > 5000 * 1000);
	ATF_REQUIRE_EQ(r.r_errlen, 0);
	ATF_REQUIRE_EQ(access("sandbox/made", F_OK), 0);
	h_run_free(&r);

	require_usage_error(tc, bad, "--max-output lots: expected a size");
}

/*
 * --fail NAME[:AFTER[:COUNT]]: a name that is no failpoint is refused
 * with the names there are; so are bad numbers, extra fields and a
 * failpoint given twice (exit status 2).
 */
ATF_TC_WITHOUT_HEAD(fail_bad_usage);
ATF_TC_BODY(fail_bad_usage, tc)
{
	static const struct {
		const char *val, *want;
	} bad[] = {
		{ "bogus",
		    "uvmsim: --fail bogus: unknown failpoint 'bogus' (known: "
		    "page, anon, amap, mapent, swapslot, kva, pmap, vmspace, "
		    "swap-read, swap-write, file-read, file-write, "
		    "swap-create)\n" },
		{ "", "unknown failpoint ''" },
		{ "page:x", "--fail page:x: bad AFTER 'x': expected a whole" },
		{ "page::3", "--fail page::3: bad AFTER ''" },
		{ "page:-1", "bad AFTER '-1'" },
		{ "page:99999999999", "bad AFTER '99999999999': too large" },
		{ "page:1:0",
		    "bad COUNT '0': expected a number from 1, or "
		    "forever" },
		{ "page:1:never", "bad COUNT 'never'" },
		{ "page:1:2:3",
		    "--fail page:1:2:3: expected "
		    "NAME[:AFTER[:COUNT]]" },
	};
	static const char *const twice[] = { "--fail", "anon:1", "--fail",
		"anon", NULL };
	const char *args[3];
	size_t i;

	for (i = 0; i < __arraycount(bad); i++) {
		args[0] = "--fail";
		args[1] = bad[i].val;
		args[2] = NULL;
		require_usage_error(tc, args, bad[i].want);
	}
	require_usage_error(tc, twice,
	    "--fail anon: failpoint anon is already set");
}

/*
 * --fail reaches the machine at boot.  swap-create: the swap file cannot
 * be made, the boot fails and says so, exit status 2 (as for a swap file
 * the host refuses); swap-create:1 lets the one creation succeed.  page:
 * proc0's u-area cannot be wired.  swap-write:3:2 on the command line
 * is the scenario's disk errors swap-write after 3 count 2, byte for
 * byte, and differs from a run without it.
 */
ATF_TC_WITHOUT_HEAD(fail_arms_failpoints);
ATF_TC_BODY(fail_arms_failpoints, tc)
{
	static const char *const create[] = { "--fail", "swap-create", "run",
		"tiny.uvm", NULL };
	static const char *const later[] = { "--fail", "swap-create:1", "run",
		"tiny.uvm", NULL };
	static const char *const page[] = { "--fail", "page", "run", "tiny.uvm",
		NULL };
	static const char *const plain[] = { "run", "pg.uvm", NULL };
	static const char *const cli[] = { "--fail", "swap-write:3:2", "run",
		"pg.uvm", NULL };
	static const char *const pager =
	    "process p {\n\tmmap a 128p\n\tfill a 128p pattern 1\n"
	    "\tverify a 128p pattern 1\n}\nrun\nvmstat\n";
	static const char *const ioerr = ": Input/output error\n";
	struct h_run r, a, b;
	char text[200];

	write_file("tiny.uvm", "run\n");
	h_run_uvmsim(tc, create, &r);
	ATF_REQUIRE_EQ_MSG(r.r_status, 2, "exit %d: %s", r.r_status, r.r_err1);
	ATF_REQUIRE_EQ(r.r_outlen, 0);
	ATF_REQUIRE_MSG(strncmp(r.r_err,
			    "uvmsim: the machine did not boot: cannot create "
			    "the swap file in ",
			    65) == 0 &&
		r.r_errlen > strlen(ioerr) &&
		strcmp(r.r_err + r.r_errlen - strlen(ioerr), ioerr) == 0 &&
		strchr(r.r_err, '\n') == r.r_err + r.r_errlen - 1,
	    "stderr: %s", r.r_err1);
	h_run_free(&r);

	h_run_uvmsim(tc, later, &r);
	ATF_REQUIRE_EQ_MSG(r.r_status, 0, "exit %d: %s", r.r_status, r.r_err1);
	h_run_free(&r);

	require_usage_error(tc, page,
	    "uvmsim: the machine did not boot: cannot wire proc0's u-area");

	snprintf(text, sizeof(text),
	    "memory 64p\ndisk errors swap-write after 3 count 2\n%s", pager);
	write_file("pg.uvm", text);
	h_run_uvmsim(tc, plain, &a);
	snprintf(text, sizeof(text), "memory 64p\n%s", pager);
	write_file("pg.uvm", text);
	h_run_uvmsim(tc, cli, &b);
	ATF_REQUIRE_EQ_MSG(a.r_status, 0, "%s", a.r_out1);
	ATF_REQUIRE_EQ_MSG(b.r_status, 0, "%s", b.r_out1);
	ATF_REQUIRE_MSG(a.r_outlen == b.r_outlen &&
		memcmp(a.r_out, b.r_out, a.r_outlen) == 0,
	    "disk errors: %s; --fail: %s", a.r_out1, b.r_out1);
	h_run_free(&a);
	h_run_uvmsim(tc, plain, &a);
	ATF_REQUIRE_EQ(a.r_status, 0);
	ATF_REQUIRE_MSG(a.r_outlen != b.r_outlen ||
		memcmp(a.r_out, b.r_out, a.r_outlen) != 0,
	    "--fail swap-write:3:2 made no difference");
	h_run_free(&a);
	h_run_free(&b);
}

/*
 * --files DIR: the scenario's files stay there after the run, and one
 * that exists already is never overwritten (exit 1, said, unchanged).
 */
/*
 * A core that cannot be written (its name is a symbolic link, which the
 * core writer never follows) makes the run fail: the exit status is 1
 * and the report says so, though every expectation held.  (It used to
 * exit 0.)
 */
ATF_TC_WITHOUT_HEAD(core_not_written_fails_the_run);
ATF_TC_BODY(core_not_written_fails_the_run, tc)
{
	static const char *const args[] = { "--cores", "cores", "run",
		"segv.uvm", NULL };
	struct h_run r;

	ATF_REQUIRE_EQ(mkdir("cores", 0700), 0);
	ATF_REQUIRE_EQ(symlink("elsewhere", "cores/segv.core"), 0);
	write_file("segv.uvm",
	    "process segv {\n\tload 0x1000 1\n}\nrun\n"
	    "expect proc segv signal SEGV\n");
	h_run_uvmsim(tc, args, &r);
	ATF_REQUIRE_EQ_MSG(r.r_status, 1, "exit %d: %s %s", r.r_status,
	    r.r_out1, r.r_err1);
	ATF_REQUIRE_MSG(strstr(r.r_out,
			    "note: 1 core could not be written (see kmsg)\n") !=
		NULL,
	    "%s", r.r_out1);
	ATF_REQUIRE_MSG(strstr(r.r_out, "1 expectation checked, 0 failed") !=
		NULL,
	    "%s", r.r_out1);
	h_run_free(&r);
}

ATF_TC_WITHOUT_HEAD(files_dir_kept_never_overwritten);
ATF_TC_BODY(files_dir_kept_never_overwritten, tc)
{
	static const char *const args[] = { "--files", "sandbox", "run",
		"mk.uvm", NULL };
	struct h_run r;
	char *data;
	size_t len;

	ATF_REQUIRE_EQ(mkdir("sandbox", 0700), 0);
	write_file("mk.uvm",
	    "file notes 1k text \"hello\"\nprocess p {\n\tmmap f 1p file "
	    "notes shared\n\tstore f+5 \", world\"\n\tmsync f 1p sync\n}"
	    "\nrun\nexpect file notes 0 \"hello, world\"\n");
	h_run_uvmsim(tc, args, &r);
	ATF_REQUIRE_EQ_MSG(r.r_status, 0, "%s %s", r.r_out1, r.r_err1);
	h_run_free(&r);
	data = h_slurp("sandbox/notes", &len);
	ATF_REQUIRE_EQ(len, 1024);
	ATF_REQUIRE(memcmp(data, "hello, world", 12) == 0);
	free(data);
	/* again: notes exists now */
	h_run_uvmsim(tc, args, &r);
	ATF_REQUIRE_EQ(r.r_status, 1);
	ATF_REQUIRE_MSG(strstr(r.r_out,
			    "an existing file is never "
			    "overwritten") != NULL,
	    "%s", r.r_out1);
	h_run_free(&r);
	data = h_slurp("sandbox/notes", &len);
	ATF_REQUIRE_EQ(len, 1024);
	ATF_REQUIRE(memcmp(data, "hello, world", 12) == 0);
	free(data);
}

/*
 * Settings that depend on each other follow each other: the demonstration
 * gives its sizes in pages, and at 512-byte pages its u-area (4 pages)
 * would hold 2 KiB and its memory (64 pages) 32 KiB, less than the
 * kernel's u-areas; they keep their bytes instead.
 */
ATF_TC_WITHOUT_HEAD(demo_smallest_pages);
ATF_TC_BODY(demo_smallest_pages, tc)
{
	static const char *const args[] = { "--pagesize", "512", NULL };

	demo_runs(tc, args,
	    "machine: 512 pages of 512 bytes, swap 8192 pages, u-area 32 "
	    "pages");
}

/*
 * The golden messages: tests/cli/X.args is a command line, an argument a
 * line ("# status: N" the exit status it must end with, 0 without);
 * X.out and X.err are what it prints, exactly (nothing, without one).
 * Every .uvm file of tests/cli is in the working directory, by its name.
 */
#define CLI_DIR TESTS_SRCDIR "/cli"

static char *
read_or_empty(const char *path)
{
	size_t len;

	if (access(path, F_OK) != 0)
		return strdup("");
	return h_slurp(path, &len);
}

static void
cli_golden_one(const atf_tc_t *tc, const char *base)
{
	char path[PATH_MAX], *text, *want_out, *want_err, *line, *save = NULL;
	const char *args[32];
	struct h_run r;
	size_t len;
	int n = 0, status = 0;

	snprintf(path, sizeof(path), "%s/%s.args", CLI_DIR, base);
	text = h_slurp(path, &len);
	for (line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "# status: ", 10) == 0)
			status = atoi(line + 10);
		else if (line[0] != '#') {
			ATF_REQUIRE(n < 31);
			args[n++] = line;
		}
	}
	args[n] = NULL;
	h_run_uvmsim(tc, args, &r);
	snprintf(path, sizeof(path), "%s/%s.out", CLI_DIR, base);
	want_out = read_or_empty(path);
	snprintf(path, sizeof(path), "%s/%s.err", CLI_DIR, base);
	want_err = read_or_empty(path);
	ATF_CHECK_EQ_MSG(r.r_status, status, "%s: exit %d, not %d", base,
	    r.r_status, status);
	ATF_CHECK_MSG(strcmp(r.r_out, want_out) == 0, "%s: stdout '%s'", base,
	    r.r_out1);
	ATF_CHECK_MSG(strcmp(r.r_err, want_err) == 0, "%s: stderr '%s'", base,
	    r.r_err1);
	h_run_free(&r);
	free(want_out);
	free(want_err);
	free(text);
}

ATF_TC_WITHOUT_HEAD(golden_messages);
ATF_TC_BODY(golden_messages, tc)
{
	struct dirent *d;
	char base[256], path[PATH_MAX], *text;
	DIR *dir;
	size_t len;
	int n = 0;

	/* the scenarios first, then every command line */
	ATF_REQUIRE((dir = opendir(CLI_DIR)) != NULL);
	while ((d = readdir(dir)) != NULL) {
		len = strlen(d->d_name);
		if (len > 4 && strcmp(d->d_name + len - 4, ".uvm") == 0) {
			snprintf(path, sizeof(path), "%s/%s", CLI_DIR,
			    d->d_name);
			text = h_slurp(path, &len);
			write_file(d->d_name, text);
			free(text);
		}
	}
	rewinddir(dir);
	while ((d = readdir(dir)) != NULL) {
		len = strlen(d->d_name);
		if (len < 6 || strcmp(d->d_name + len - 5, ".args") != 0)
			continue;
		snprintf(base, sizeof(base), "%.*s", (int)len - 5, d->d_name);
		cli_golden_one(tc, base);
		n++;
	}
	closedir(dir);
	ATF_REQUIRE_MSG(n >= 10, "only %d command lines in %s", n, CLI_DIR);
}

/*
 * A machine larger than the host's memory is refused before anything is
 * made (exit 2), unless --force.  The largest machine, 2^24 pages of 64
 * KiB, is 1 TiB.
 */
ATF_TC_WITHOUT_HEAD(machine_larger_than_host_refused);
ATF_TC_BODY(machine_larger_than_host_refused, tc)
{
	static const char *const args[] = { "--memory", "1024g", "--pagesize",
		"64k", NULL };
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);

	if (pages <= 0 || psz <= 0 ||
	    (unsigned long long)pages * (unsigned long long)psz >= (1ULL << 40))
		atf_tc_skip("this host has 1 TiB of memory, or does not say");
	require_usage_error(tc, args,
	    "uvmsim: the machine's memory (1 TiB) is more than this host's (");
	require_usage_error(tc, args,
	    "): too large for the host (--force runs it anyway)\n");
}

/*
 * SIGINT and SIGTERM stop a run that would not end: what it printed is
 * all there, the simulated time it stopped at is said, the temporary
 * sandbox is gone, and the exit status is 128 + the signal.  The signal
 * is sent once the run has begun, which --trace says on the standard
 * error as it goes.
 */
static void
signal_stops_run(const atf_tc_t *tc, int sig, int want_status,
    const char *want_msg)
{
	static const char *const argv0[] = { "uvmsim", "--trace", "run",
		"forever.uvm", NULL };
	char prog[PATH_MAX], tmp[PATH_MAX], env[PATH_MAX + 16], buf[4096];
	char *envp[] = { env, NULL }, *out, *err = NULL, *last;
	posix_spawn_file_actions_t fa;
	int errpipe[2], st, n, nerr = 0;
	bool sent = false;
	size_t len, errcap = 0;
	struct dirent *d;
	pid_t pid;
	DIR *dir;

	snprintf(prog, sizeof(prog), "%s/../uvmsim",
	    atf_tc_get_config_var(tc, "srcdir"));
	ATF_REQUIRE(getcwd(tmp, sizeof(tmp) - 8) != NULL);
	strcat(tmp, "/tmp");
	ATF_REQUIRE(mkdir(tmp, 0700) == 0 || errno == EEXIST);
	snprintf(env, sizeof(env), "TMPDIR=%s", tmp);
	write_file("forever.uvm",
	    "print \"the host says hello\"\n"
	    "process p {\n\tprint \"starts\"\n\tmmap a 4p\n"
	    "\tloop 1000000000 {\n\t\tfill a 4p byte 1\n\t\tcompute 1s\n\t}\n"
	    "}\nrun\n");
	ATF_REQUIRE(pipe(errpipe) == 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "out",
	    O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, errpipe[1], 2);
	posix_spawn_file_actions_addclose(&fa, errpipe[0]);
	ATF_REQUIRE(
	    posix_spawn(&pid, prog, &fa, NULL, (char **)argv0, envp) == 0);
	posix_spawn_file_actions_destroy(&fa);
	close(errpipe[1]);
	/*
	 * read until the trace shows the process at work (it has printed
	 * by then), then signal; keep reading to the end
	 */
	while ((n = (int)read(errpipe[0], buf, sizeof(buf))) > 0) {
		if ((size_t)nerr + (size_t)n + 1 > errcap) {
			errcap = 2 * ((size_t)nerr + (size_t)n + 1);
			err = realloc(err, errcap);
			ATF_REQUIRE(err != NULL);
		}
		memcpy(err + nerr, buf, (size_t)n);
		nerr += n;
		err[nerr] = '\0';
		if (!sent && strstr(err, "pid 3: fault") != NULL) {
			ATF_REQUIRE(kill(pid, sig) == 0);
			sent = true;
		}
	}
	ATF_REQUIRE_MSG(sent, "the run ended before it was signalled");
	close(errpipe[0]);
	ATF_REQUIRE(waitpid(pid, &st, 0) == pid);
	ATF_REQUIRE_MSG(WIFEXITED(st) && WEXITSTATUS(st) == want_status,
	    "wait status %#x", st);
	ATF_REQUIRE(err != NULL);
	last = strstr(err, want_msg);
	ATF_REQUIRE_MSG(last != NULL, "stderr ends '%s'", err);
	ATF_REQUIRE_MSG(strchr(last, '\n') != NULL &&
		strchr(last, '\n')[1] == '\0',
	    "the message is not the last line: '%s'", last);
	out = h_slurp("out", &len);
	ATF_REQUIRE_MSG(strncmp(out, "machine: ", 9) == 0 &&
		strstr(out, "the host says hello\n") != NULL &&
		strstr(out, "p[3]: starts\n") != NULL,
	    "stdout: '%s'", out);
	free(out);
	free(err);
	ATF_REQUIRE((dir = opendir(tmp)) != NULL);
	while ((d = readdir(dir)) != NULL)
		ATF_CHECK_MSG(strncmp(d->d_name, "uvmsim-", 7) != 0,
		    "left behind: %s", d->d_name);
	closedir(dir);
}

ATF_TC_WITHOUT_HEAD(sigint_stops_the_run);
ATF_TC_BODY(sigint_stops_the_run, tc)
{
	signal_stops_run(tc, SIGINT, 130,
	    "uvmsim: Interrupt: the run was stopped at simulated time ");
}

ATF_TC_WITHOUT_HEAD(sigterm_stops_the_run);
ATF_TC_BODY(sigterm_stops_the_run, tc)
{
	signal_stops_run(tc, SIGTERM, 143,
	    "uvmsim: Terminated: the run was stopped at simulated time ");
}

/*
 * One table of settings: each is an option in --help and in the manual,
 * by the same name.
 */
ATF_TC_WITHOUT_HEAD(settings_table_is_documented);
ATF_TC_BODY(settings_table_is_documented, tc)
{
	static const char *const args[] = { "--help", NULL };
	char want[128], *man;
	struct h_run r;
	int i;

	man = h_slurp(TESTS_SRCDIR "/../doc/uvmsim.1", NULL);
	h_run_uvmsim(tc, args, &r);
	ATF_REQUIRE_EQ(r.r_status, 0);
	for (i = 0; i < settings_n; i++) {
		snprintf(want, sizeof(want), "  --%s %s",
		    settings_table[i].st_name, settings_table[i].st_arg);
		ATF_CHECK_MSG(strstr(r.r_out, want) != NULL,
		    "--help lacks '%s'", want);
		snprintf(want, sizeof(want), ".It Fl \\-%s Ar ",
		    settings_table[i].st_name);
		ATF_CHECK_MSG(strstr(man, want) != NULL, "uvmsim(1) lacks '%s'",
		    want);
	}
	h_run_free(&r);
	free(man);
}

/*
 * A panic still flushes the report and removes the temporary sandbox.
 * All swap reads failing, the demonstration's sleeper cannot have its
 * u-area back: the documented panic.
 */
ATF_TC_WITHOUT_HEAD(panic_flushes_and_removes_the_sandbox);
ATF_TC_BODY(panic_flushes_and_removes_the_sandbox, tc)
{
	static const char *const argv0[] = { "uvmsim", "--fail", "swap-read",
		"--cores", ".", NULL };
	char prog[PATH_MAX], tmp[PATH_MAX], env[PATH_MAX + 16], *out, *err;
	char *envp[] = { env, NULL };
	posix_spawn_file_actions_t fa;
	struct dirent *d;
	size_t len;
	pid_t pid;
	DIR *dir;
	int st;

	snprintf(prog, sizeof(prog), "%s/../uvmsim",
	    atf_tc_get_config_var(tc, "srcdir"));
	ATF_REQUIRE(getcwd(tmp, sizeof(tmp) - 8) != NULL);
	strcat(tmp, "/tmp");
	ATF_REQUIRE(mkdir(tmp, 0700) == 0 || errno == EEXIST);
	snprintf(env, sizeof(env), "TMPDIR=%s", tmp);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "out",
	    O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_addopen(&fa, 2, "err",
	    O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ATF_REQUIRE(
	    posix_spawn(&pid, prog, &fa, NULL, (char **)argv0, envp) == 0);
	posix_spawn_file_actions_destroy(&fa);
	ATF_REQUIRE(waitpid(pid, &st, 0) == pid);
	ATF_REQUIRE_MSG(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT,
	    "wait status %#x", st);
	err = h_slurp("err", &len);
	ATF_REQUIRE_MSG(strstr(err,
			    "panic: uvm_swapin: cannot wire the u-area") !=
		NULL,
	    "stderr: %s", err);
	/* what was printed before the panic is all there */
	out = h_slurp("out", &len);
	ATF_REQUIRE_MSG(strstr(out, "hog[6]: killed by SIGBUS") != NULL,
	    "stdout: %s", out);
	free(out);
	free(err);
	ATF_REQUIRE((dir = opendir(tmp)) != NULL);
	while ((d = readdir(dir)) != NULL)
		ATF_CHECK_MSG(strncmp(d->d_name, "uvmsim-", 7) != 0,
		    "left behind: %s", d->d_name);
	closedir(dir);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, version);
	ATF_TP_ADD_TC(tp, help);
	ATF_TP_ADD_TC(tp, unknown_option);
	ATF_TP_ADD_TC(tp, unknown_option_grouped);
	ATF_TP_ADD_TC(tp, missing_value);
	ATF_TP_ADD_TC(tp, bad_size);
	ATF_TP_ADD_TC(tp, bad_size_names_the_option);
	ATF_TP_ADD_TC(tp, memory_not_whole_pages);
	ATF_TP_ADD_TC(tp, page_size_not_power_of_two);
	ATF_TP_ADD_TC(tp, page_size_checked_before_memory);
	ATF_TP_ADD_TC(tp, machine_too_small);
	ATF_TP_ADD_TC(tp, stray_argument);
	ATF_TP_ADD_TC(tp, demo_matches_golden);
	ATF_TP_ADD_TC(tp, smallest_machine_runs_a_process);
	ATF_TP_ADD_TC(tp, unusable_tmpdir_is_said);
	ATF_TP_ADD_TC(tp, files_dir_kept_never_overwritten);
	ATF_TP_ADD_TC(tp, core_not_written_fails_the_run);
	ATF_TP_ADD_TC(tp, json_never_overwrites_the_scenario);
	ATF_TP_ADD_TC(tp, trace_file_and_categories);
	ATF_TP_ADD_TC(tp, trace_options_refused);
	ATF_TP_ADD_TC(tp, replay_trace_options);
	ATF_TP_ADD_TC(tp, files_root_refused);
	ATF_TP_ADD_TC(tp, max_output_stops_the_run);
	ATF_TP_ADD_TC(tp, fail_bad_usage);
	ATF_TP_ADD_TC(tp, fail_arms_failpoints);
	ATF_TP_ADD_TC(tp, demo_small_pages);
	ATF_TP_ADD_TC(tp, demo_large_pages);
	ATF_TP_ADD_TC(tp, sizes_reach_machine);
	ATF_TP_ADD_TC(tp, kernel_settings_checked);
	ATF_TP_ADD_TC(tp, kernel_settings_reach_machine);
	ATF_TP_ADD_TC(tp, demo_smallest_pages);
	ATF_TP_ADD_TC(tp, golden_messages);
	ATF_TP_ADD_TC(tp, machine_larger_than_host_refused);
	ATF_TP_ADD_TC(tp, sigint_stops_the_run);
	ATF_TP_ADD_TC(tp, sigterm_stops_the_run);
	ATF_TP_ADD_TC(tp, settings_table_is_documented);
	ATF_TP_ADD_TC(tp, panic_flushes_and_removes_the_sandbox);
	return atf_no_error();
}
