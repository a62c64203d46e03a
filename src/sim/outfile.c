/*
 * outfile.c: report files written in place and cut to length
 * (outfile.h).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/outfile.h"

#define OUTFILE_BUFSZ 65536

FILE *
outfile_open(const char *path)
{
	FILE *f;
	int fd, err;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666)) < 0)
		return NULL;
	if ((f = fdopen(fd, "w")) == NULL) {
		err = errno;
		(void)close(fd);
		errno = err;
		return NULL;
	}
	/* a report is a few hundred KB: stdio's 4 KB would be a write
	   system call every 4 KB */
	(void)setvbuf(f, NULL, _IOFBF, OUTFILE_BUFSZ);
	return f;
}

int
outfile_close(FILE *f)
{
	struct stat st;
	bool reg;
	off_t len = 0;
	int err = 0, fd = fileno(f);

	reg = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	if (fflush(f) != 0)
		err = errno;
	else if (ferror(f))
		err = EIO; /* a write failed earlier, and its errno is gone */
	else if (reg && (len = ftello(f)) < 0)
		err = errno;
	else if (reg && len < st.st_size && ftruncate(fd, len) != 0)
		err = errno;
	if (err != 0 && reg)
		(void)ftruncate(fd, 0);
	if (fclose(f) != 0 && err == 0)
		err = errno;
	if (err != 0) {
		errno = err;
		return -1;
	}
	return 0;
}
