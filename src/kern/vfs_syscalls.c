/*
 * vfs_syscalls.c: the file system calls that name or position a file --
 * open, lseek, ftruncate and fsync.
 */

#include <errno.h>

#include "kern/kern.h"
#include "sys/file.h"

/*
 * sys_open: open the sandbox file `name' for p, as oflags say: one of
 * OPEN_RDONLY, OPEN_WRONLY, OPEN_RDWR, with OPEN_CREAT (create it,
 * empty, if it does not exist), OPEN_EXCL (with OPEN_CREAT: it must
 * not exist), OPEN_TRUNC (make it empty), OPEN_APPEND (every write at
 * its end).
 *
 * => the descriptor is the lowest free one; its offset starts at 0.
 * => returns 0 with the descriptor in *retval; EINVAL for both
 *    OPEN_WRONLY and OPEN_RDWR (as NetBSD: no access mode) or for flags
 *    uvmsim does not know (NetBSD passes unknown bits by; none can mean
 *    anything here, so they are refused); EMFILE when p has NDFILE
 *    open; vn_open's errors (ENOENT, EEXIST, ELOOP, EINVAL for a name
 *    that is not a plain file name, ...).
 */
int
sys_open(struct proc *p, const char *name, int oflags, int *retval)
{
	struct uvm_object *uobj;
	struct file *fp;
	int fd, error;

	if ((oflags & ~OPEN_FLAGS) != 0 ||
	    (oflags & OPEN_ACCMODE) == OPEN_ACCMODE)
		return EINVAL;
	if ((error = fdalloc(p, &fd)) != 0)
		return error;
	if ((error = vn_open(name, oflags, &uobj)) != 0)
		return error;
	fp = falloc();
	fp->f_flag = ((oflags & OPEN_ACCMODE) + 1) | (oflags & FAPPEND_MODE);
	fp->f_uobj = uobj;
	fd_install(p, fd, fp);
	TRACE(TRC_FILE, "pid %d: open %s: fd %d", p->p_pid, name, fd);
	*retval = fd;
	return 0;
}

/*
 * sys_lseek: move the offset of descriptor fd of p to offset bytes
 * from the start (LSEEK_SET), from where it is (LSEEK_CUR) or from the
 * end of the file (LSEEK_END).  It may go past the end: a write there
 * extends the file, the gap reading as zeros.
 *
 * => returns 0 with the new offset in *retval; EBADF if fd is not
 *    open; EINVAL for another whence or an offset that would be
 *    negative; EOVERFLOW if it would not fit (NetBSD 1.6 did not
 *    check; later NetBSD says EOVERFLOW).
 */
int
sys_lseek(struct proc *p, int fd, voff_t offset, int whence, voff_t *retval)
{
	struct file *fp;
	voff_t base;

	if ((fp = fd_getfile(p, fd)) == NULL)
		return EBADF;
	switch (whence) {
	case LSEEK_SET:
		base = 0;
		break;
	case LSEEK_CUR:
		base = fp->f_offset;
		break;
	case LSEEK_END:
		base = uvn_size(fp->f_uobj);
		break;
	default:
		return EINVAL;
	}
	if (offset > 0 && base > INT64_MAX - offset)
		return EOVERFLOW;
	if (base + offset < 0)
		return EINVAL;
	fp->f_offset = base + offset;
	*retval = fp->f_offset;
	return 0;
}

/*
 * sys_ftruncate: make the file of descriptor fd of p length bytes
 * long.  Shrinking takes the pages past the new end out of every
 * mapping (a touch there is SIGBUS) and zeroes the rest of the last
 * page; growing adds zeros.  The offset does not move.
 *
 * => returns 0; EBADF if fd is not open; EINVAL if it is not open for
 *    writing (NetBSD's choice, not EBADF) or length is negative; the
 *    host's error (EFBIG, ...).
 */
int
sys_ftruncate(struct proc *p, int fd, voff_t length)
{
	struct file *fp;
	int error;

	if ((fp = fd_getfile(p, fd)) == NULL)
		return EBADF;
	if ((fp->f_flag & FWRITE) == 0 || length < 0)
		return EINVAL;
	error = uvn_truncate(fp->f_uobj, length);
	if (error == 0)
		TRACE(TRC_FILE, "pid %d: ftruncate fd %d: %lld bytes", p->p_pid,
		    fd, (long long)length);
	return error;
}

/*
 * sys_fsync: write back every dirty page of the file of descriptor fd
 * of p (whatever wrote it: this descriptor, another, or a store
 * through a mapping), and wait for the writes.  A wired page is passed
 * by, as msync passes it (uvn_put): it is written once unwired.
 *
 * => returns 0; EBADF if fd is not open; EIO if a page could not be
 *    written (it stays dirty, to be tried again).
 */
int
sys_fsync(struct proc *p, int fd)
{
	struct file *fp;

	if ((fp = fd_getfile(p, fd)) == NULL)
		return EBADF;
	return uvn_flush(fp->f_uobj);
}
