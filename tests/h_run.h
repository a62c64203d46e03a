/*
 * h_run.h: running the uvmsim program from a test, as a user would.
 *
 * The program under test is the uvmsim built next to the test program's
 * directory (build/uvmsim for build/tests/t_cli).  It is started with
 * posix_spawn, never through a shell, and its output goes to files in
 * the test case's working directory.
 */

#ifndef _TESTS_H_RUN_H_
#define _TESTS_H_RUN_H_

#include <stddef.h>

#include <atf-c.h>

struct h_run {
	int r_status; /* exit status; -1 if killed by a signal */
	int r_signal; /* the signal that killed it, or 0 */
	char *r_out;  /* standard output, NUL-terminated */
	size_t r_outlen;
	char *r_err; /* standard error, NUL-terminated */
	size_t r_errlen;
	/* the same on one line, for failure messages (ATF wants one line) */
	char *r_out1;
	char *r_err1;
};

/* run uvmsim with args (NULL-terminated), standard input /dev/null */
void h_run_uvmsim(const atf_tc_t *, const char *const *args, struct h_run *);
/* the same for any program prog (a path) */
void h_run_program(const char *prog, const char *const *args, struct h_run *);
void h_run_free(struct h_run *);
/* the path of the uvmsim under test, for a test that needs a shell */
void h_uvmsim_path(const atf_tc_t *, char *path, size_t size);
/* the whole of a file, NUL-terminated; *lenp is its length */
char *h_slurp(const char *path, size_t *lenp);
/* a string's last line, without its newline */
const char *h_last_line(const char *s, size_t len, size_t *linelen);

#endif /* _TESTS_H_RUN_H_ */
