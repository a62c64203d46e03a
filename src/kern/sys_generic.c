/*
 * sys_generic.c: the read and write system calls on descriptors.
 */

#include <errno.h>

#include "kern/kern.h"
#include "sys/file.h"

/*
 * sys_read: read up to len bytes from descriptor fd of p into its
 * address buf, from the file's offset, which advances.
 *
 * => returns 0 with the count in *retval: short across the end of the
 *    file, 0 at or past it.  EBADF if fd is not open for reading;
 *    EINVAL if len is above SSIZE_MAX; EFAULT if buf is not writable
 *    memory; EIO if the file could not be read.  As on NetBSD, an error
 *    part-way is returned even though the bytes before it were read
 *    (and the offset moved past them).
 */
int
sys_read(struct proc *p, int fd, vaddr_t buf, size_t len, int64_t *retval)
{
	struct file *fp;
	size_t done;
	int error;

	if ((fp = fd_getfile(p, fd)) == NULL || (fp->f_flag & FREAD) == 0)
		return EBADF;
	if (len > FILE_IO_MAX)
		return EINVAL;
	error = vn_read(p, fp, buf, len, &done);
	if (error == 0)
		*retval = (int64_t)done;
	return error;
}

/*
 * sys_write: write len bytes from address buf of p to descriptor fd,
 * at the file's offset (its end if opened with OPEN_APPEND), which
 * advances past them.
 *
 * => the bytes go into the file's pages, seen at once by its mappings
 *    and reads; they reach the host file when the pages are written
 *    back (the pagedaemon, msync, fsync, or the last close of the
 *    open file, which says if that failed).
 * => returns 0 with the count in *retval; EBADF if fd is not open for
 *    writing; EINVAL if len is above SSIZE_MAX; EFBIG past the largest
 *    offset; EFAULT if buf is not readable memory; EIO if a page the
 *    write covers in part could not be read; the host's error if the
 *    file could not be extended.  As on NetBSD, an error part-way is
 *    returned though the bytes before it were written.
 */
int
sys_write(struct proc *p, int fd, vaddr_t buf, size_t len, int64_t *retval)
{
	struct file *fp;
	size_t done;
	int error;

	if ((fp = fd_getfile(p, fd)) == NULL || (fp->f_flag & FWRITE) == 0)
		return EBADF;
	if (len > FILE_IO_MAX)
		return EINVAL;
	error = vn_write(p, fp, buf, len, &done);
	if (error == 0)
		*retval = (int64_t)done;
	return error;
}
