/*
 * t_scenario.c: scenarios run through the uvmsim command.
 *
 *	examples/X.uvm         every example runs, every expectation holds
 *	tests/scenarios/X.uvm  golden outputs: stdout is X.out exactly (and
 *	                       stderr X.err when there is one); a line
 *	                       "# flags: ..." gives extra options.  Each is
 *	                       run as X.uvm from the working directory, so
 *	                       the output does not depend on where the
 *	                       sources are (tools/regen-golden writes them);
 *	                       "# status: N" is the exit status it must end
 *	                       with (0 without)
 *	tests/bad/X.uvm        the malformed corpus: each is refused with
 *	                       exit status 2, nothing on stdout, and the
 *	                       located error its first line gives
 *	                       ("# error: LINE:COL: message")
 *
 * and the parts of a run that are files: --json (and the snapshots the
 * snapshot statement records in it), the demonstration's core (readelf
 * and gdb read it); that vmstat -n lists what --list-counters does; and
 * that `uvmsim help' (the table of statements) and uvmsim(5) name the
 * same statements.
 */

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "h_run.h"
#include "kern/kern.h"

#define EXAMPLES  TESTS_SRCDIR "/../examples"
#define SCENARIOS TESTS_SRCDIR "/scenarios"
#define BAD	  TESTS_SRCDIR "/bad"
#define MAXFILES  256

/* the .uvm files of dir, sorted, as full paths */
static int
uvm_files(const char *dir, char **paths)
{
	struct dirent *d;
	DIR *dp = opendir(dir);
	size_t len;
	int n = 0, i, j;
	char *t;

	ATF_REQUIRE_MSG(dp != NULL, "%s: %s", dir, strerror(errno));
	while ((d = readdir(dp)) != NULL) {
		len = strlen(d->d_name);
		if (len < 5 || strcmp(d->d_name + len - 4, ".uvm") != 0)
			continue;
		ATF_REQUIRE(n < MAXFILES);
		paths[n] = malloc(strlen(dir) + len + 2);
		ATF_REQUIRE(paths[n] != NULL);
		sprintf(paths[n], "%s/%s", dir, d->d_name);
		n++;
	}
	closedir(dp);
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(paths[j - 1], paths[j]) > 0; j--) {
			t = paths[j];
			paths[j] = paths[j - 1];
			paths[j - 1] = t;
		}
	return n;
}

/* the value of the "# key: value" comment line of text, or NULL */
static char *
header_value(const char *text, const char *key)
{
	char want[64];
	const char *p, *e;
	char *v;

	snprintf(want, sizeof(want), "# %s: ", key);
	for (p = text; p != NULL && *p != '\0'; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, want, strlen(want)) == 0) {
			p += strlen(want);
			e = p + strcspn(p, "\n");
			v = malloc((size_t)(e - p) + 1);
			ATF_REQUIRE(v != NULL);
			memcpy(v, p, (size_t)(e - p));
			v[e - p] = '\0';
			return v;
		}
	}
	return NULL;
}

/* the line of a and b where they first differ, for messages */
static void
require_same(const char *what, const char *got, size_t gotlen, const char *want,
    size_t wantlen)
{
	size_t i, start = 0, line = 1;

	for (i = 0; i < gotlen && i < wantlen && got[i] == want[i]; i++)
		if (got[i] == '\n') {
			line++;
			start = i + 1;
		}
	if (i < gotlen || i < wantlen)
		atf_tc_fail("%s differs at line %zu: got '%.*s', want '%.*s'",
		    what, line, (int)strcspn(got + start, "\n"), got + start,
		    (int)strcspn(want + start, "\n"), want + start);
}

/* a directory for cores in the test's working directory */
static const char *
core_dir(void)
{
	static char dir[PATH_MAX];

	if (dir[0] == '\0') {
		ATF_REQUIRE(getcwd(dir, sizeof(dir) - 8) != NULL);
		strcat(dir, "/cores");
		ATF_REQUIRE(mkdir(dir, 0700) == 0 || errno == EEXIST);
	}
	return dir;
}

/*
 * scen_args: the options of a run into args -- the core directory, then
 * the words of flags (cut in place; may be NULL).
 *
 * => returns how many; the caller adds the command and the file.
 */
static int
scen_args(char *flags, const char **args)
{
	char *tok, *save;
	int na = 0;

	args[na++] = "--cores";
	args[na++] = core_dir();
	for (tok = flags != NULL ? strtok_r(flags, " ", &save) : NULL;
	     tok != NULL && na < 26; tok = strtok_r(NULL, " ", &save))
		args[na++] = tok;
	return na;
}

ATF_TC_WITHOUT_HEAD(examples_pass);
ATF_TC_BODY(examples_pass, tc)
{
	char *paths[MAXFILES], want[PATH_MAX + 64];
	const char *last;
	struct h_run r;
	size_t len;
	int n, i;

	n = uvm_files(EXAMPLES, paths);
	ATF_REQUIRE_MSG(n >= 8, "only %d examples", n);
	for (i = 0; i < n; i++) {
		const char *args[] = { "--cores", core_dir(), "--check", "run",
			paths[i], NULL };

		h_run_uvmsim(tc, args, &r);
		ATF_REQUIRE_EQ_MSG(r.r_status, 0, "%s: exit %d: %s %s",
		    paths[i], r.r_status, r.r_out1, r.r_err1);
		ATF_REQUIRE_EQ_MSG(r.r_errlen, 0, "%s: stderr %s", paths[i],
		    r.r_err1);
		last = h_last_line(r.r_out, r.r_outlen, &len);
		snprintf(want, sizeof(want), "%s: ", paths[i]);
		ATF_REQUIRE_MSG(strncmp(last, want, strlen(want)) == 0 &&
			len > 10,
		    "%s: last line '%.*s'", paths[i], (int)len, last);
		ATF_REQUIRE_MSG(strstr(last, " 0 expectations") == NULL,
		    "%s expects nothing", paths[i]);
		ATF_REQUIRE_MSG(strncmp(last + len - 10, ", 0 failed", 10) == 0,
		    "%s: '%.*s'", paths[i], (int)len, last);
		h_run_free(&r);
		free(paths[i]);
	}
}

ATF_TC_WITHOUT_HEAD(golden_outputs);
ATF_TC_BODY(golden_outputs, tc)
{
	char *paths[MAXFILES], *text, *flags, *status, *golden, *base;
	char outp[PATH_MAX], what[PATH_MAX + 16];
	FILE *f;
	const char *args[32];
	struct h_run r, r2;
	size_t glen, plen;
	int n, i, na;

	n = uvm_files(SCENARIOS, paths);
	ATF_REQUIRE(n > 0);
	for (i = 0; i < n; i++) {
		text = h_slurp(paths[i], NULL);
		flags = header_value(text, "flags");
		status = header_value(text, "status");
		na = scen_args(flags, args);
		/* run a copy here, so the output names it as X.uvm */
		base = strrchr(paths[i], '/') + 1;
		f = fopen(base, "w");
		ATF_REQUIRE(f != NULL);
		ATF_REQUIRE_EQ(fputs(text, f) >= 0, true);
		ATF_REQUIRE_EQ(fclose(f), 0);
		args[na++] = "run";
		args[na++] = base;
		args[na] = NULL;
		h_run_uvmsim(tc, args, &r);
		ATF_REQUIRE_EQ_MSG(r.r_status,
		    status != NULL ? atoi(status) : 0, "%s: exit %d: %s %s",
		    paths[i], r.r_status, r.r_out1, r.r_err1);
		plen = strlen(paths[i]) - 4;
		snprintf(outp, sizeof(outp), "%.*s.out", (int)plen, paths[i]);
		golden = h_slurp(outp, &glen);
		snprintf(what, sizeof(what), "%s stdout", paths[i]);
		require_same(what, r.r_out, r.r_outlen, golden, glen);
		free(golden);
		snprintf(outp, sizeof(outp), "%.*s.err", (int)plen, paths[i]);
		if (access(outp, R_OK) == 0) {
			golden = h_slurp(outp, &glen);
			snprintf(what, sizeof(what), "%s stderr", paths[i]);
			require_same(what, r.r_err, r.r_errlen, golden, glen);
			free(golden);
		} else
			ATF_REQUIRE_EQ_MSG(r.r_errlen, 0, "%s: stderr %s",
			    paths[i], r.r_err1);
		/* and the same again, byte for byte */
		h_run_uvmsim(tc, args, &r2);
		ATF_REQUIRE_MSG(r2.r_outlen == r.r_outlen &&
			memcmp(r2.r_out, r.r_out, r.r_outlen) == 0,
		    "%s: a second run printed something else", paths[i]);
		h_run_free(&r);
		h_run_free(&r2);
		free(flags);
		free(status);
		free(text);
		free(paths[i]);
	}
}

ATF_TC_WITHOUT_HEAD(malformed_corpus);
ATF_TC_BODY(malformed_corpus, tc)
{
	char *paths[MAXFILES], *text, *err, *flags;
	char want[PATH_MAX + 256];
	const char *args[16];
	struct h_run r;
	int n, i, na;

	n = uvm_files(BAD, paths);
	ATF_REQUIRE_MSG(n >= 30, "only %d malformed scenarios", n);
	for (i = 0; i < n; i++) {
		text = h_slurp(paths[i], NULL);
		err = header_value(text, "error");
		ATF_REQUIRE_MSG(err != NULL, "%s: no '# error:' line",
		    paths[i]);
		flags = header_value(text, "flags");
		na = scen_args(flags, args);
		args[na++] = "run";
		args[na++] = paths[i];
		args[na] = NULL;
		h_run_uvmsim(tc, args, &r);
		ATF_REQUIRE_EQ_MSG(r.r_status, 2, "%s: exit %d: %s %s",
		    paths[i], r.r_status, r.r_out1, r.r_err1);
		ATF_REQUIRE_EQ_MSG(r.r_outlen, 0, "%s: it ran: %s", paths[i],
		    r.r_out1);
		if (strncmp(err, "uvmsim: ", 8) == 0)
			snprintf(want, sizeof(want), "%s\n", err);
		else
			snprintf(want, sizeof(want), "%s:%s\n", paths[i], err);
		ATF_REQUIRE_MSG(strcmp(r.r_err, want) == 0,
		    "%s: stderr '%s', want '%s'", paths[i], r.r_err1, err);
		h_run_free(&r);
		free(flags);
		free(err);
		free(text);
		free(paths[i]);
	}
}

/* check reads and checks, and runs nothing */
ATF_TC_WITHOUT_HEAD(check_runs_nothing);
ATF_TC_BODY(check_runs_nothing, tc)
{
	const char *ok[] = { "--cores", core_dir(), "check",
		EXAMPLES "/demo.uvm", NULL };
	const char *bad[] = { "check", BAD "/unknown-statement.uvm", NULL };
	char core[PATH_MAX];
	struct h_run r;

	h_run_uvmsim(tc, ok, &r);
	ATF_REQUIRE_EQ(r.r_status, 0);
	ATF_REQUIRE_STREQ(r.r_out, EXAMPLES "/demo.uvm: ok\n");
	snprintf(core, sizeof(core), "%s/segv.core", core_dir());
	ATF_REQUIRE_MSG(access(core, F_OK) != 0, "check wrote a core");
	h_run_free(&r);
	h_run_uvmsim(tc, bad, &r);
	ATF_REQUIRE_EQ(r.r_status, 2);
	ATF_REQUIRE_EQ(r.r_outlen, 0);
	h_run_free(&r);
}

/* --json: every counter, every process, machine-readable */
ATF_TC_WITHOUT_HEAD(json_report);
ATF_TC_BODY(json_report, tc)
{
	const char *args[] = { "--cores", core_dir(), "--json", "r.json",
		NULL };
	const char *bad[] = { "--json", "no/such/dir/r.json", "run",
		SCENARIOS "/mmap.uvm", NULL };
	static const char *const want[] = { "\"scenario\": \"demo.uvm\"",
		"\"counters\": {", "\"faults\": ", "\"pmap.tlb_hit\": ",
		"\"swap.pgwrites\": ", "\"core.written\": 1",
		"\"name\": \"segv\"", "\"signal\": \"SIGSEGV\", \"core\": true",
		("\"name\": \"worker\", \"pid\": 5, \"state\": \"exited\", "
		 "\"exit_status\": 3"),
		"\"expectations\": { \"checked\": " };
	struct h_run r;
	char *json;
	size_t len, i;
	int depth = 0;

	h_run_uvmsim(tc, args, &r);
	ATF_REQUIRE_EQ_MSG(r.r_status, 0, "%s", r.r_err1);
	json = h_slurp("r.json", &len);
	for (i = 0; i < __arraycount(want); i++)
		ATF_REQUIRE_MSG(strstr(json, want[i]) != NULL,
		    "no '%s' in the JSON", want[i]);
	/* braces and brackets balance, outside strings */
	for (i = 0; i < len; i++) {
		if (json[i] == '"')
			for (i++; i < len && json[i] != '"'; i++)
				i += json[i] == '\\';
		else if (json[i] == '{' || json[i] == '[')
			depth++;
		else if (json[i] == '}' || json[i] == ']')
			ATF_REQUIRE(--depth >= 0);
	}
	ATF_REQUIRE_EQ(depth, 0);
	free(json);
	h_run_free(&r);
	/* a file that cannot be written is an error, said so */
	h_run_uvmsim(tc, bad, &r);
	ATF_REQUIRE_EQ(r.r_status, 1);
	ATF_REQUIRE(
	    strstr(r.r_err, "uvmsim: --json no/such/dir/r.json: ") != NULL);
	h_run_free(&r);
}

/*
 * vmstat -n lists what uvmsim --list-counters lists, line for line: the
 * one table of counters, in its order
 */
ATF_TC_WITHOUT_HEAD(vmstat_names_match_list_counters);
ATF_TC_BODY(vmstat_names_match_list_counters, tc)
{
	const char *list[] = { "--list-counters", NULL };
	const char *run[] = { "--cores", core_dir(), "run",
		SCENARIOS "/vmstat-names.uvm", NULL };
	struct h_run l, r;
	const char *start, *end;

	h_run_uvmsim(tc, list, &l);
	ATF_REQUIRE_EQ_MSG(l.r_status, 0, "%s", l.r_err1);
	h_run_uvmsim(tc, run, &r);
	ATF_REQUIRE_EQ_MSG(r.r_status, 0, "%s", r.r_err1);
	start = strstr(r.r_out, "--- vmstat -n at ");
	ATF_REQUIRE(start != NULL);
	start = strchr(start, '\n') + 1;
	end = strstr(start, "\n--- ");
	ATF_REQUIRE(end != NULL);
	require_same("vmstat -n", start, (size_t)(end + 1 - start), l.r_out,
	    l.r_outlen);
	ATF_REQUIRE(strncmp(start, "npages ", 7) == 0);
	h_run_free(&l);
	h_run_free(&r);
}

/*
 * snapshot records a labelled snapshot that --json carries, and prints
 * nothing: the report is the same with it and without it
 */
ATF_TC_WITHOUT_HEAD(snapshot_reaches_json);
ATF_TC_BODY(snapshot_reaches_json, tc)
{
	static const char with[] =
	    "memory 64p\n"
	    "process p {\n\tmmap a 2p\n\tfill a 2p byte 1\n\tsleep 1s\n}\n"
	    "run until 500ms\nsnapshot \"half way\"\nsnapshot\nrun\n";
	static const char without[] =
	    "memory 64p\n"
	    "process p {\n\tmmap a 2p\n\tfill a 2p byte 1\n\tsleep 1s\n}\n"
	    "run until 500ms\nrun\n";
	const char *args[] = { "--cores", core_dir(), "--json", "s.json", "run",
		"with.uvm", NULL };
	const char *plain[] = { "--cores", core_dir(), "run", "with.uvm",
		NULL };
	const char *other[] = { "--cores", core_dir(), "run", "without.uvm",
		NULL };
	struct h_run r, p, q;
	char *json;
	FILE *f;

	ATF_REQUIRE((f = fopen("with.uvm", "w")) != NULL);
	fputs(with, f);
	ATF_REQUIRE(fclose(f) == 0);
	ATF_REQUIRE((f = fopen("without.uvm", "w")) != NULL);
	fputs(without, f);
	ATF_REQUIRE(fclose(f) == 0);
	h_run_uvmsim(tc, args, &r);
	ATF_REQUIRE_EQ_MSG(r.r_status, 0, "%s", r.r_err1);
	json = h_slurp("s.json", NULL);
	ATF_REQUIRE_MSG(strstr(json, "\"half way\"") != NULL,
	    "no snapshot labelled 'half way' in the JSON");
	free(json);
	h_run_uvmsim(tc, plain, &p);
	ATF_REQUIRE_EQ_MSG(p.r_status, 0, "%s", p.r_err1);
	h_run_uvmsim(tc, other, &q);
	ATF_REQUIRE_EQ_MSG(q.r_status, 0, "%s", q.r_err1);
	/* the same report but for the file's name in the last line */
	ATF_REQUIRE(strstr(p.r_out, "with.uvm: ") != NULL);
	ATF_REQUIRE(strstr(q.r_out, "without.uvm: ") != NULL);
	require_same("snapshot", p.r_out,
	    (size_t)(strstr(p.r_out, "with.uvm: ") - p.r_out), q.r_out,
	    (size_t)(strstr(q.r_out, "without.uvm: ") - q.r_out));
	h_run_free(&r);
	h_run_free(&p);
	h_run_free(&q);
}

/* the statements a section of the manual documents: its .It Ic words */
static int
manual_statements(const char *man, const char *section, char names[][32],
    int max)
{
	char want[64];
	const char *p, *end;
	size_t len;
	int n = 0;

	snprintf(want, sizeof(want), "\n.Ss %s\n", section);
	p = strstr(man, want);
	ATF_REQUIRE_MSG(p != NULL, "uvmsim(5) has no section %s", section);
	p += strlen(want);
	end = strstr(p, "\n.Ss ");
	ATF_REQUIRE(end != NULL);
	for (; (p = strstr(p, "\n.It Ic ")) != NULL && p < end; p++) {
		p += strlen("\n.It Ic ");
		len = strcspn(p, " \n");
		ATF_REQUIRE(len < 32 && n < max);
		memcpy(names[n], p, len);
		names[n][len] = '\0';
		n++;
	}
	return n;
}

static bool
in_list(char names[][32], int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

/*
 * `uvmsim help' lists the table of statements; uvmsim(5) documents each
 * where the table says it may go (a host command under Host commands,
 * a program statement under Programs), and documents no other.
 */
ATF_TC_WITHOUT_HEAD(help_matches_manual);
ATF_TC_BODY(help_matches_manual, tc)
{
	const char *args[] = { "help", NULL };
	char host[64][32], prog[64][32], where[16], name[32];
	char *man, *line, *save;
	int nhost, nprog, nstmt = 0, i;
	struct h_run r;

	man = h_slurp(TESTS_SRCDIR "/../doc/uvmsim.5", NULL);
	nhost = manual_statements(man, "Host commands", host, 64);
	nprog = manual_statements(man, "Programs", prog, 64);
	h_run_uvmsim(tc, args, &r);
	ATF_REQUIRE_EQ_MSG(r.r_status, 0, "%s", r.r_err1);
	for (line = strtok_r(r.r_out, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "%15s %31s", where, name) != 2)
			continue;
		if (strcmp(where, "host") == 0 || strcmp(where, "both") == 0)
			ATF_REQUIRE_MSG(in_list(host, nhost, name),
			    "%s is not under Host commands in uvmsim(5)", name);
		if (strcmp(where, "program") == 0 || strcmp(where, "both") == 0)
			ATF_REQUIRE_MSG(in_list(prog, nprog, name),
			    "%s is not under Programs in uvmsim(5)", name);
		if (strcmp(where, "host") != 0 &&
		    strcmp(where, "program") != 0 && strcmp(where, "both") != 0)
			continue;
		/* the manual's names, crossed off as the table lists them */
		for (i = 0; i < nhost; i++)
			if (strcmp(host[i], name) == 0)
				host[i][0] = '\0';
		for (i = 0; i < nprog; i++)
			if (strcmp(prog[i], name) == 0)
				prog[i][0] = '\0';
		nstmt++;
	}
	ATF_REQUIRE_MSG(nstmt >= 40, "help lists only %d statements", nstmt);
	for (i = 0; i < nhost; i++)
		ATF_REQUIRE_MSG(host[i][0] == '\0',
		    "uvmsim(5) documents host command %s, not in the table",
		    host[i]);
	for (i = 0; i < nprog; i++)
		ATF_REQUIRE_MSG(prog[i][0] == '\0',
		    "uvmsim(5) documents program statement %s, not in the "
		    "table",
		    prog[i]);
	h_run_free(&r);
	free(man);
}

/* a host tool's output, or NULL if the tool is not installed */
static char *
tool_output(const char *cmd)
{
	char buf[4096], *out = NULL;
	size_t len = 0, n;
	FILE *p;

	p = popen(cmd, "r");
	if (p == NULL)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0) {
		out = realloc(out, len + n + 1);
		ATF_REQUIRE(out != NULL);
		memcpy(out + len, buf, n);
		len += n;
	}
	if (pclose(p) != 0 && out != NULL && strstr(out, "not found")) {
		free(out);
		return NULL;
	}
	if (out != NULL)
		out[len] = '\0';
	/* one line, for ATF's messages */
	for (n = 0; out != NULL && n < len; n++)
		if (out[n] == '\n')
			out[n] = '|';
	return out;
}

/*
 * The demonstration's core: readelf names the notes, gdb names the
 * program and the signal and reads back what the process wrote.
 */
ATF_TC_WITHOUT_HEAD(demo_core_opens_in_gdb);
ATF_TC_BODY(demo_core_opens_in_gdb, tc)
{
	const char *args[] = { "--cores", core_dir(), NULL };
	char cmd[PATH_MAX * 2], core[PATH_MAX];
	struct h_run r;
	char *out;
	/* the shell's first mapping, and page 12 of it (demo.uvm) */
	unsigned long va = KERN_DATA_BASE + MAXDSIZ + 12 * 4096;

	h_run_uvmsim(tc, args, &r);
	ATF_REQUIRE_EQ_MSG(r.r_status, 0, "%s", r.r_out1);
	h_run_free(&r);
	snprintf(core, sizeof(core), "%s/segv.core", core_dir());
	ATF_REQUIRE_MSG(access(core, R_OK) == 0, "no %s", core);

	snprintf(cmd, sizeof(cmd), "readelf -n %s 2>&1", core);
	out = tool_output(cmd);
	if (out != NULL && strstr(out, "readelf: not found") == NULL) {
		ATF_REQUIRE_MSG(strstr(out, "NT_PRSTATUS") != NULL &&
			strstr(out, "NT_PRPSINFO") != NULL,
		    "readelf: %s", out);
	}
	free(out);
	if (access("/usr/bin/gdb", X_OK) != 0)
		atf_tc_skip("gdb is not installed");
	snprintf(cmd, sizeof(cmd),
	    "gdb -nx -batch -c %s -ex 'x/s 0x%lx' 2>&1 </dev/null", core, va);
	out = tool_output(cmd);
	ATF_REQUIRE(out != NULL);
	ATF_REQUIRE_MSG(strstr(out, "Core was generated by `segv'") != NULL,
	    "gdb: %s", out);
	ATF_REQUIRE_MSG(strstr(out, "SIGSEGV") != NULL, "gdb: %s", out);
	ATF_REQUIRE_MSG(strstr(out, "\"segv wrote this before it crashed") !=
		NULL,
	    "gdb: %s", out);
	free(out);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, examples_pass);
	ATF_TP_ADD_TC(tp, golden_outputs);
	ATF_TP_ADD_TC(tp, malformed_corpus);
	ATF_TP_ADD_TC(tp, check_runs_nothing);
	ATF_TP_ADD_TC(tp, json_report);
	ATF_TP_ADD_TC(tp, vmstat_names_match_list_counters);
	ATF_TP_ADD_TC(tp, snapshot_reaches_json);
	ATF_TP_ADD_TC(tp, help_matches_manual);
	ATF_TP_ADD_TC(tp, demo_core_opens_in_gdb);
	return atf_no_error();
}
