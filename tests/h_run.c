/*
 * h_run.c: running the uvmsim program from a test (see h_run.h).
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "h_run.h"

extern char **environ;

/* s with each newline written as the two characters \n */
static char *
one_line(const char *s)
{
	size_t i, j, n = 0;
	char *t;

	for (i = 0; s[i] != '\0'; i++)
		n += s[i] == '\n' ? 2 : 1;
	t = malloc(n + 1);
	ATF_REQUIRE(t != NULL);
	for (i = j = 0; s[i] != '\0'; i++) {
		if (s[i] == '\n') {
			t[j++] = '\\';
			t[j++] = 'n';
		} else
			t[j++] = s[i];
	}
	t[j] = '\0';
	return t;
}

/* the whole of a file, NUL-terminated; *lenp is its length */
char *
h_slurp(const char *path, size_t *lenp)
{
	size_t len = 0, cap = 4096;
	ssize_t n;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	ATF_REQUIRE_MSG(fd >= 0, "open %s: %s", path, strerror(errno));
	buf = malloc(cap + 1);
	ATF_REQUIRE(buf != NULL);
	for (;;) {
		if (len == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
			ATF_REQUIRE(buf != NULL);
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		ATF_REQUIRE_MSG(n >= 0, "read %s: %s", path, strerror(errno));
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return buf;
}

/* the uvmsim program: ../uvmsim from this test program's directory */
void
h_uvmsim_path(const atf_tc_t *tc, char *path, size_t size)
{
	const char *srcdir;

	ATF_REQUIRE_MSG(atf_tc_has_config_var(tc, "srcdir"),
	    "ATF gave no srcdir");
	srcdir = atf_tc_get_config_var(tc, "srcdir");
	ATF_REQUIRE(
	    (size_t)snprintf(path, size, "%s/../uvmsim", srcdir) < size);
	ATF_REQUIRE_MSG(access(path, X_OK) == 0, "%s: %s", path,
	    strerror(errno));
}

/*
 * h_run_program: run prog with args (NULL-terminated; args[0] is the
 * first argument, not the name), standard input from /dev/null, its
 * output into files of the case's directory, and collect what it did.
 */
void
h_run_program(const char *prog, const char *const *args, struct h_run *r)
{
	static int nrun;
	char outname[64], errname[64];
	posix_spawn_file_actions_t fa;
	char *argv[64];
	pid_t pid, w;
	int status, error;
	size_t i;

	snprintf(outname, sizeof(outname), "run%d.out", nrun);
	snprintf(errname, sizeof(errname), "run%d.err", nrun);
	nrun++;

	argv[0] = (char *)prog;
	for (i = 0; args[i] != NULL; i++) {
		ATF_REQUIRE(i + 2 < sizeof(argv) / sizeof(argv[0]));
		argv[i + 1] = (char *)args[i];
	}
	argv[i + 1] = NULL;

	ATF_REQUIRE_EQ(posix_spawn_file_actions_init(&fa), 0);
	ATF_REQUIRE_EQ(posix_spawn_file_actions_addopen(&fa, 0, "/dev/null",
			   O_RDONLY, 0),
	    0);
	ATF_REQUIRE_EQ(posix_spawn_file_actions_addopen(&fa, 1, outname,
			   O_WRONLY | O_CREAT | O_TRUNC, 0644),
	    0);
	ATF_REQUIRE_EQ(posix_spawn_file_actions_addopen(&fa, 2, errname,
			   O_WRONLY | O_CREAT | O_TRUNC, 0644),
	    0);
	error = posix_spawn(&pid, prog, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	ATF_REQUIRE_MSG(error == 0, "posix_spawn %s: %s", prog,
	    strerror(error));
	do
		w = waitpid(pid, &status, 0);
	while (w < 0 && errno == EINTR);
	ATF_REQUIRE_EQ(w, pid);

	r->r_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	r->r_signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	r->r_out = h_slurp(outname, &r->r_outlen);
	r->r_err = h_slurp(errname, &r->r_errlen);
	r->r_out1 = one_line(r->r_out);
	r->r_err1 = one_line(r->r_err);
}

/*
 * h_run_uvmsim: run uvmsim with the given arguments (NULL-terminated),
 * as h_run_program does; uvmsim killed by a signal fails the case.
 */
void
h_run_uvmsim(const atf_tc_t *tc, const char *const *args, struct h_run *r)
{
	char prog[PATH_MAX];

	h_uvmsim_path(tc, prog, sizeof(prog));
	h_run_program(prog, args, r);
	if (r->r_signal != 0)
		atf_tc_fail("uvmsim killed by signal %d; stderr: %s",
		    r->r_signal, r->r_err1);
}

void
h_run_free(struct h_run *r)
{
	free(r->r_out);
	free(r->r_err);
	free(r->r_out1);
	free(r->r_err1);
}

/* a string's last line, without its newline */
const char *
h_last_line(const char *s, size_t len, size_t *linelen)
{
	size_t end = len, start;

	if (end > 0 && s[end - 1] == '\n')
		end--;
	for (start = end; start > 0 && s[start - 1] != '\n'; start--)
		continue;
	*linelen = end - start;
	return s + start;
}
