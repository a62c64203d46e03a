/*
 * vfs_vnops.c: the operations of an open file -- open, close, read and
 * write -- on the sandbox files the vnode pager holds.
 *
 * There is one kind of file, so no fileops table: a struct file's
 * operations are these.  Read and write go through the file's pages
 * (ubc_uiomove), the pages every mapping of the file shares.
 */

#include <errno.h>

#include "kern/kern.h"
#include "sys/file.h"

/* a cleanup: drop the reference vn_open holds if it never returns */
static void
vn_open_cleanup(void *arg)
{
	uvn_detach(arg);
}

/*
 * vn_open: the object of the sandbox file `name', opened as oflags say
 * (OPEN_CREAT, OPEN_EXCL, OPEN_TRUNC; the access mode is the caller's).
 *
 * => returns 0 with a reference to the object in *uobjp; EEXIST for
 *    OPEN_CREAT|OPEN_EXCL and a file that exists; uvn_attach's errors
 *    (EINVAL for a name that is not a plain file name, ENOENT, ELOOP,
 *    ...); the host's error truncating it.  Nothing is held on error.
 */
int
vn_open(const char *name, int oflags, struct uvm_object **uobjp)
{
	struct uvm_object *uobj;
	struct kcleanup kc;
	int error;

	if ((oflags & (OPEN_CREAT | OPEN_EXCL)) == (OPEN_CREAT | OPEN_EXCL)) {
		/* no sleep between the two looks: nobody creates it between */
		error = uvn_attach(name, false, &uobj);
		if (error == 0) {
			uvn_detach(uobj);
			return EEXIST;
		}
		if (error != ENOENT)
			return error;
	}
	error = uvn_attach(name, (oflags & OPEN_CREAT) != 0, &uobj);
	if (error)
		return error;
	if (oflags & OPEN_TRUNC) {
		kcleanup_push(&kc, vn_open_cleanup, uobj);
		error = uvn_truncate(uobj, 0);
		kcleanup_pop(&kc);
		if (error) {
			uvn_detach(uobj);
			return error;
		}
	}
	*uobjp = uobj;
	return 0;
}

/*
 * vn_close: the last reference to fp is gone: write back the file's
 * dirty pages if something was written through fp, and drop its
 * object.  (A descriptor opened only to map the file, or only read,
 * costs no write-back at its close.)
 *
 * => returns 0, or EIO if a page could not be written back; it stays
 *    dirty, with the object (uvn_detach tries again when the last user
 *    of the file goes).  NetBSD's FFS leaves a close nothing to write;
 *    here a close says whether what was written through it reached the
 *    file, as NFS's close does, so that a failed write is never lost
 *    unseen.
 */
int
vn_close(struct file *fp)
{
	struct uvm_object *uobj = fp->f_uobj;
	int error = 0;

	fp->f_uobj = NULL;
	if (fp->f_flag & FWROTE)
		error = uvn_flush(uobj);
	uvn_detach(uobj);
	return error;
}

/*
 * vn_read: read up to len bytes of fp's file at its offset into user
 * address buf of p, and advance the offset by what was read.
 *
 * => at or past the end of the file nothing is read; a read across it
 *    is short.
 * => returns 0 with the count in *donep, or ubc_uiomove's error (the
 *    offset still advances over what was read before it).
 */
int
vn_read(struct proc *p, struct file *fp, vaddr_t buf, size_t len, size_t *donep)
{
	int error;

	error = ubc_uiomove(fp->f_uobj, p->p_vmspace, buf, fp->f_offset, len,
	    UBC_READ, donep);
	fp->f_offset += (voff_t)*donep;
	return error;
}

/*
 * vn_write: write len bytes from user address buf of p to fp's file,
 * at its offset (at its end with FAPPEND_MODE), and advance the offset past
 * them.
 *
 * => a write past the end extends the file.
 * => returns 0 with the count in *donep; EFBIG if the write would take
 *    the file past the largest offset; ubc_uiomove's error (what was
 *    written before it stays written).
 */
int
vn_write(struct proc *p, struct file *fp, vaddr_t buf, size_t len,
    size_t *donep)
{
	voff_t off;
	int error;

	*donep = 0;
	off = (fp->f_flag & FAPPEND_MODE) ? uvn_size(fp->f_uobj) : fp->f_offset;
	if ((uint64_t)len > (uint64_t)(INT64_MAX - off))
		return EFBIG;
	fp->f_flag |= FWROTE;
	error = ubc_uiomove(fp->f_uobj, p->p_vmspace, buf, off, len, UBC_WRITE,
	    donep);
	fp->f_offset = off + (voff_t)*donep;
	return error;
}
