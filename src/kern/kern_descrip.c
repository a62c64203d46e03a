/*
 * kern_descrip.c: descriptor tables and open files -- allocating a
 * descriptor, finding its file, sharing the files at fork, closing
 * them one by one and all at exit.
 *
 * A process without a table (p_fd NULL) has no open file: the table is
 * made at the first open, so a fork of a process that opened nothing
 * copies nothing.  Tables and files are host memory (hostmem.h): the
 * host running out of it is a panic, never an errno value.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kern/kern.h"
#include "machine/hostmem.h"
#include "sys/file.h"

int nfiles;

/* falloc: a new struct file, one reference, no object yet */
struct file *
falloc(void)
{
	struct file *fp;

	fp = hostmem_zalloc(1, sizeof(*fp));
	fp->f_count = 1;
	nfiles++;
	return fp;
}

/*
 * closef: drop one reference to fp; the last closes the file
 * (vn_close: its dirty pages are written back if something was written
 * through fp) and frees fp.
 *
 * => may sleep for the writes.
 * => returns 0, or vn_close's error (EIO: a page could not be written;
 *    it stays dirty, and the file is closed all the same).
 */
int
closef(struct file *fp)
{
	int error = 0;

	KASSERT(fp->f_count > 0);
	if (--fp->f_count > 0)
		return 0;
	if (fp->f_uobj != NULL)
		error = vn_close(fp);
	nfiles--;
	free(fp);
	return error;
}

/*
 * fdalloc: the lowest free descriptor of p, its table made if p has
 * none yet.  The slot stays free until fd_install fills it: only p
 * changes its table, so it is still free after a sleep.
 *
 * => returns 0 with the descriptor in *fdp; EMFILE when all NDFILE are
 *    open.  (NetBSD bounds the table by RLIMIT_NOFILE, which the
 *    simulated processes do not set; NDFILE is NetBSD's default limit.)
 */
int
fdalloc(struct proc *p, int *fdp)
{
	struct filedesc *fdt = p->p_fd;
	int i;

	if (fdt == NULL) {
		fdt = hostmem_zalloc(1, sizeof(*fdt));
		p->p_fd = fdt;
	}
	for (i = fdt->fd_freefile; i < NDFILE; i++)
		if (fdt->fd_ofiles[i] == NULL) {
			fdt->fd_freefile = i; /* those below are open */
			*fdp = i;
			return 0;
		}
	fdt->fd_freefile = NDFILE;
	return EMFILE;
}

/* fd_install: descriptor fd (from fdalloc) of p is now fp */
void
fd_install(struct proc *p, int fd, struct file *fp)
{
	struct filedesc *fdt = p->p_fd;

	KASSERT(fdt != NULL && fd >= 0 && fd < NDFILE);
	KASSERT(fdt->fd_ofiles[fd] == NULL);
	fdt->fd_ofiles[fd] = fp;
	fdt->fd_nopen++;
	if (fd == fdt->fd_freefile)
		fdt->fd_freefile = fd + 1;
}

/* fd_getfile: the open file of descriptor fd of p, or NULL */
struct file *
fd_getfile(struct proc *p, int fd)
{
	if (p->p_fd == NULL || fd < 0 || fd >= NDFILE)
		return NULL;
	return p->p_fd->fd_ofiles[fd];
}

/*
 * fdcopy: the table a child of p starts with: the same files, each
 * with one more reference (a fork shares open files, offsets included,
 * as on NetBSD).
 *
 * => returns the new table, or NULL if p has none.
 */
struct filedesc *
fdcopy(struct proc *p)
{
	struct filedesc *new;
	int i;

	if (p->p_fd == NULL)
		return NULL;
	new = hostmem_alloc(sizeof(*new));
	memcpy(new, p->p_fd, sizeof(*new));
	for (i = 0; i < NDFILE; i++)
		if (new->fd_ofiles[i] != NULL)
			new->fd_ofiles[i]->f_count++;
	return new;
}

/*
 * fdfree: close every descriptor of p and free its table (exit, and
 * the teardown of a process that will never run again).
 *
 * => the closes may sleep (write-backs); their errors have no one to
 *    go to but the kernel's messages, where a failed write already is.
 */
void
fdfree(struct proc *p)
{
	struct filedesc *fdp = p->p_fd;
	struct file *fp;
	int i;

	if (fdp == NULL)
		return;
	for (i = 0; i < NDFILE; i++) {
		if ((fp = fdp->fd_ofiles[i]) == NULL)
			continue;
		fdp->fd_ofiles[i] = NULL;
		fdp->fd_nopen--;
		(void)closef(fp);
	}
	KASSERT(fdp->fd_nopen == 0);
	p->p_fd = NULL;
	free(fdp);
}

/*
 * sys_close: close descriptor fd of p.
 *
 * => the descriptor is free at once, whatever the close's outcome.
 * => returns 0; EBADF if fd is not open; EIO if this was the open
 *    file's last reference, something was written through it and a
 *    dirty page could not be written back (the page stays dirty, to be
 *    tried again).
 */
int
sys_close(struct proc *p, int fd)
{
	struct filedesc *fdp = p->p_fd;
	struct file *fp;

	if ((fp = fd_getfile(p, fd)) == NULL)
		return EBADF;
	fdp->fd_ofiles[fd] = NULL;
	fdp->fd_nopen--;
	if (fd < fdp->fd_freefile)
		fdp->fd_freefile = fd;
	return closef(fp);
}
