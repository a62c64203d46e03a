/*
 * uvm_vnode.c: file-backed memory -- objects whose pages are the pages
 * of a host file (the vnode pager).
 *
 * Files live in one sandbox directory, given at boot (uvn_sandbox);
 * a file is named by a plain name in it: no '/', no "." or "..", and a
 * symbolic link is refused, so no mapping can reach outside.  One object
 * per file, shared by every mapping of it: shared mappings see each
 * other's writes; private ones copy on write (the amap above).
 *
 *	get   a page inside the file is read from it (a last, partial page
 *	      is zero-filled past the end), with the UVN_READAHEAD pages
 *	      after it that are not resident yet; a page wholly past the
 *	      end is EINVAL, which a program gets as SIGBUS
 *	put   dirty pages are written back (never past the end of the file),
 *	      then freed or deactivated as asked; the pagedaemon and msync
 *	      use it
 *
 * A page whose write fails stays resident and dirty, and the error is
 * said in the kernel's messages: msync returns EIO, and the pagedaemon
 * tries the page again later (NetBSD's pager likewise returns the error
 * and leaves the page its data).  A read that fails frees the pages it
 * was reading into; the fault fails with EIO, which a program gets as
 * SIGBUS.
 *
 * I/O takes simulated time (a seek and a transfer per page, as the swap
 * disk's defaults), for which the caller sleeps; pages are PG_BUSY
 * while it lasts.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "machine/hostmem.h"
#include "machine/clock.h"
#include "machine/swapdisk.h"
#include "sys/proc.h"
#include "sys/systm.h"
#include "uvm/uvm.h"
#include "uvm/uvm_vnode.h"

#define UVN_READAHEAD	 3 /* pages read after the one asked for */
#define UVN_DETACH_TRIES 8 /* rounds of writes a last detach tries */

static LIST_HEAD(, uvm_vnode) uvn_list = LIST_HEAD_INITIALIZER(uvn_list);
static int uvn_dirfd = -1; /* the sandbox */
static int uvn_iochan;	   /* file I/O sleeps here, for its time */

struct uvn_counters uvncounters;

static void uvn_reference(struct uvm_object *);
static int uvn_get(struct uvm_object *, voff_t, struct vm_page **, int *, int,
    vm_prot_t, int, int);
static int uvn_put(struct uvm_object *, voff_t, voff_t, int);

const struct uvm_pagerops uvm_vnodeops = {
	.pgo_name = "vnode",
	.pgo_reference = uvn_reference,
	.pgo_detach = uvn_detach,
	.pgo_get = uvn_get,
	.pgo_put = uvn_put,
};

/*
 * uvn_init: file-backed memory in the directory `dir' (NULL: none; every
 * attach then fails with ENOENT).
 *
 * => returns 0, or the errno value of opening the directory.
 */
int
uvn_init(const char *dir)
{
	memset(&uvncounters, 0, sizeof(uvncounters));
	uvn_dirfd = -1;
	if (dir == NULL)
		return 0;
	uvn_dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return uvn_dirfd < 0 ? errno : 0;
}

void
uvn_fini(void)
{
	KASSERTMSG(LIST_EMPTY(&uvn_list), "%s: a file is still mapped",
	    __func__);
	if (uvn_dirfd >= 0)
		close(uvn_dirfd);
	uvn_dirfd = -1;
}

/* may `name' be used as a file of the sandbox? */
static bool
uvn_name_ok(const char *name)
{
	return name[0] != '\0' && strchr(name, '/') == NULL &&
	    strcmp(name, ".") != 0 && strcmp(name, "..") != 0 &&
	    strlen(name) < sizeof(((struct uvm_vnode *)0)->u_name);
}

/*
 * uvn_attach: the object of the sandbox file `name' (created, empty, if
 * create is set and it does not exist), with one more reference.
 *
 * => an object whose last reference is being dropped (its pages are
 *    being written back) is waited for, and the file opened afresh, so
 *    no one reads the file before the writes are done.
 * => returns 0 and the object; EINVAL for a name that is not a plain
 *    file name, ENOENT when there is no sandbox or no such file, or the
 *    host's error opening it (ELOOP for a symbolic link).
 */
int
uvn_attach(const char *name, bool create, struct uvm_object **uobjp)
{
	struct uvm_vnode *uvn;
	struct stat st;
	int fd;

	if (!uvn_name_ok(name))
		return EINVAL;
	if (uvn_dirfd < 0)
		return ENOENT;
again:
	LIST_FOREACH (uvn, &uvn_list, u_list)
		if (strcmp(uvn->u_name, name) == 0) {
			if (uvn->u_dying) {
				KASSERT(curproc != NULL);
				(void)tsleep(uvn, PVM, "uvndying", 0);
				goto again;
			}
			uvn->u_obj.uo_refs++;
			*uobjp = &uvn->u_obj;
			return 0;
		}
	fd = openat(uvn_dirfd, name,
	    O_RDWR | O_NOFOLLOW | O_CLOEXEC | (create ? O_CREAT : 0), 0600);
	if (fd < 0)
		return errno;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return EINVAL;
	}
	uvn = hostmem_zalloc(1, sizeof(*uvn));
	uvm_obj_init(&uvn->u_obj, &uvm_vnodeops, 1);
	uvn->u_fd = fd;
	uvn->u_size = (voff_t)st.st_size;
	snprintf(uvn->u_name, sizeof(uvn->u_name), "%s", name);
	LIST_INSERT_HEAD(&uvn_list, uvn, u_list);
	*uobjp = &uvn->u_obj;
	return 0;
}

static void
uvn_reference(struct uvm_object *uobj)
{
	KASSERT(uobj->uo_refs > 0);
	uobj->uo_refs++;
}

/*
 * uvn_detach: drop a reference; the last one writes the dirty pages
 * back, frees them and closes the file.
 *
 * => the writes sleep; meanwhile the object is dying: uvn_attach waits
 *    for it to be gone.  A page someone else is busy with (the
 *    pagedaemon writing it) is waited for.  Pages whose writes fail are
 *    tried again, UVN_DETACH_TRIES rounds in all, an eighth of a second
 *    apart; what still fails then is dropped all the same, and the loss
 *    said in the kernel's messages: no one is left to keep it for.
 *    (NetBSD keeps such pages with the vnode, which outlives its
 *    mappings; here the object goes with its last reference.)
 */
void
uvn_detach(struct uvm_object *uobj)
{
	struct uvm_vnode *uvn = (struct uvm_vnode *)uobj;
	struct vm_page *pg;
	int tries = 0;

	KASSERT(uobj->uo_refs > 0);
	if (--uobj->uo_refs > 0)
		return;
	uvn->u_dying = true;
	for (;;) {
		while (
		    uvn_put(uobj, 0, INT64_MAX, PGO_CLEANIT | PGO_FREE) != 0) {
			if (++tries < UVN_DETACH_TRIES && curproc != NULL) {
				(void)tsleep(&uvn_iochan, PRIBIO, "uvnretry",
				    MAX(hz / 8, 1));
				continue;
			}
			kmsg("uvm: file %s: write back failed, pages lost",
			    uvn->u_name);
			(void)uvn_put(uobj, 0, INT64_MAX, PGO_FREE);
			break;
		}
		if ((pg = PGLIST_FIRST(&uobj->memq)) == NULL)
			break;
		KASSERTMSG((pg->flags & PG_BUSY) && pg->wire_count == 0,
		    "%s: %s: page 0x%llx neither busy nor freeable", __func__,
		    uvn->u_name, (unsigned long long)pg->offset);
		KASSERT(curproc != NULL);
		pg->flags |= PG_WANTED;
		(void)tsleep(pg, PVM, "uvndetach", 0);
	}
	close(uvn->u_fd);
	LIST_REMOVE(uvn, u_list);
	wakeup(uvn);
	free(uvn);
}

/* sleep for the time a transfer of n pages takes */
static void
uvn_iowait(int n)
{
	simtime_t done = clock_now() + DISK_SEEK_US_DEFAULT +
	    (simtime_t)n * DISK_XFER_US_DEFAULT;

	if (curproc == NULL)
		return; /* the host, outside the simulation: no time */
	while (clock_now() < done)
		(void)tsleep_until(&uvn_iochan, PRIBIO, "vnodeio", done);
}

/* wake whoever waits for pg, which is no longer busy */
static void
uvn_unbusy(struct vm_page *pg)
{
	if (pg->flags & PG_WANTED)
		wakeup(pg);
	pg->flags &= ~(PG_BUSY | PG_WANTED);
}

/*
 * uvn_read: read the pages of [off, off + n pages) into the new pages
 * pps[] (busy); bytes past the end of the file are zero.
 */
static int
uvn_read(struct uvm_vnode *uvn, voff_t off, struct vm_page **pps, int n)
{
	ssize_t got;
	int i, error;

	uvn_iowait(n);
	for (i = 0; i < n; i++) {
		if ((error = failpoint_io(FP_FILEREAD)) != 0)
			got = -1;
		else if ((got = pread(uvn->u_fd,
			      physmem_hostaddr(VM_PAGE_TO_PHYS(pps[i])),
			      PAGE_SIZE, off + (voff_t)ptoa(i))) < 0)
			error = errno;
		if (got < 0) {
			uvncounters.rderrors++;
			kmsg("uvm: file %s: read error %d at 0x%llx",
			    uvn->u_name, error,
			    (unsigned long long)(off + (voff_t)ptoa(i)));
			return EIO;
		}
		memset((uint8_t *)physmem_hostaddr(VM_PAGE_TO_PHYS(pps[i])) +
			got,
		    0, PAGE_SIZE - (size_t)got);
		pps[i]->flags &= ~PG_FAKE;
		pps[i]->flags |= PG_CLEAN;
	}
	uvncounters.reads++;
	uvncounters.pgreads += (uint64_t)n;
	if (curproc != NULL)
		curproc->p_pgreads += (uint64_t)n;
	TRACE(TRC_PAGEIN, "pid %d: page-in: %d page%s of file %s at 0x%llx",
	    curpid(), n, n == 1 ? "" : "s", uvn->u_name,
	    (unsigned long long)off);
	return 0;
}

/*
 * uvn_get: the pager's get (see struct uvm_pagerops and the top of this
 * file).
 */
static int
uvn_get(struct uvm_object *uobj, voff_t offset, struct vm_page **pps,
    int *npagesp, int centeridx, vm_prot_t access __unused, int advice __unused,
    int flags)
{
	struct uvm_vnode *uvn = (struct uvm_vnode *)uobj;
	struct vm_page *pg, *run[1 + UVN_READAHEAD];
	voff_t off = offset + (voff_t)ptoa(centeridx), eof;
	int i, n, error;

	eof = (voff_t)round_page(uvn->u_size);
	if (flags & PGO_LOCKED) {
		for (i = 0; i < *npagesp; i++) {
			/* a page a truncation left behind (it was wired) */
			if (pps[i] != NULL || offset + (voff_t)ptoa(i) >= eof)
				continue;
			pg = uvm_pagelookup(uobj, offset + (voff_t)ptoa(i));
			if (pg != NULL && !(pg->flags & PG_BUSY))
				pps[i] = pg;
		}
		return pps[centeridx] != NULL ? 0 : EBUSY;
	}
	if (off >= eof)
		return EINVAL;
	for (;;) {
		pg = uvm_pagelookup(uobj, off);
		if (pg == NULL || !(pg->flags & PG_BUSY))
			break;
		pg->flags |= PG_WANTED;
		(void)tsleep(pg, PVM, "uvn_get", 0);
	}
	if (pg != NULL) {
		pg->flags |= PG_BUSY;
		pps[centeridx] = pg;
		return 0;
	}
	/* the page and the ones after it that are in the file, not here */
	for (n = 0; n < 1 + UVN_READAHEAD; n++) {
		if (off + (voff_t)ptoa(n) >= eof ||
		    (n > 0 && uvm_pagelookup(uobj, off + (voff_t)ptoa(n))))
			break;
		run[n] = uvm_pagealloc(uobj, off + (voff_t)ptoa(n), NULL, 0);
		if (run[n] == NULL)
			break;
	}
	if (n == 0)
		return ENOMEM;
	error = uvn_read(uvn, off, run, n);
	for (i = 1; i < n; i++) {
		/* the read-ahead pages wait, unmapped, for their faults */
		uvn_unbusy(run[i]);
		if (error)
			uvm_pagefree(run[i]);
		else
			uvm_pagedeactivate(run[i]);
	}
	if (error) {
		uvn_unbusy(run[0]);
		uvm_pagefree(run[0]);
		return error;
	}
	uvncounters.readahead += (uint64_t)(n - 1);
	pps[centeridx] = run[0];
	return 0;
}

/*
 * uvn_clean: write pg back if it is dirty.
 *
 * => the page is write-protected first and PG_BUSY during the write, so
 *    no store can slip in between the write and its being marked clean.
 * => returns 0, or EIO if the write failed: the page is then still
 *    dirty (PG_CLEAN clear), and the error is in the kernel's messages.
 */
static int
uvn_clean(struct uvm_vnode *uvn, struct vm_page *pg)
{
	size_t len;
	ssize_t rv;
	int error;

	pmap_page_protect(pg, VM_PROT_READ);
	/* the MMU's modified bit becomes the page's own dirtiness */
	if (pmap_clear_modify(pg))
		pg->flags &= ~PG_CLEAN;
	if (pg->flags & PG_CLEAN)
		return 0;
	if (pg->offset >= uvn->u_size) {
		/* past a truncation: nothing of it belongs to the file */
		pg->flags |= PG_CLEAN;
		return 0;
	}
	len = (size_t)MIN((voff_t)PAGE_SIZE, uvn->u_size - pg->offset);
	pg->flags |= PG_BUSY;
	uvn_iowait(1);
	if ((error = failpoint_io(FP_FILEWRITE)) == 0) {
		rv = pwrite(uvn->u_fd, physmem_hostaddr(VM_PAGE_TO_PHYS(pg)),
		    len, pg->offset);
		if (rv < 0)
			error = errno;
		else if (rv != (ssize_t)len)
			error = EIO; /* a short write: the disk is full */
	}
	uvn_unbusy(pg);
	if (error) {
		uvncounters.wrerrors++;
		kmsg("uvm: file %s: write error %d at 0x%llx, the page stays "
		     "dirty",
		    uvn->u_name, error, (unsigned long long)pg->offset);
		return EIO;
	}
	pg->flags |= PG_CLEAN;
	uvncounters.writes++;
	uvncounters.pgwrites++;
	TRACE(TRC_PAGEOUT,
	    "pid %d: page-out: page of file %s at 0x%llx written back",
	    curpid(), uvn->u_name, (unsigned long long)pg->offset);
	return 0;
}

/*
 * uvn_put: the pager's put for [start, end): PGO_CLEANIT writes dirty
 * pages back, then PGO_FREE frees them (unmapped everywhere) or
 * PGO_DEACTIVATE deactivates them.  Busy and wired pages are passed by.
 *
 * => a page whose write fails stays, dirty and where it was (neither
 *    freed nor deactivated); the others are still written.
 * => returns 0 or the first write error.
 */
static int
uvn_put(struct uvm_object *uobj, voff_t start, voff_t end, int flags)
{
	struct uvm_vnode *uvn = (struct uvm_vnode *)uobj;
	struct vm_page *pg, *next;
	int error, first = 0;

	for (pg = PGLIST_FIRST(&uobj->memq); pg != NULL; pg = next) {
		next = PGLIST_NEXT(pg, listq);
		if (pg->offset < start || pg->offset >= end ||
		    (pg->flags & PG_BUSY) || pg->wire_count > 0)
			continue;
		if (flags & PGO_CLEANIT) {
			error = uvn_clean(uvn, pg);
			/* the write slept: the list may have changed */
			next = PGLIST_NEXT(pg, listq);
			if (error) {
				if (first == 0)
					first = error;
				continue;
			}
		}
		if (flags & PGO_FREE) {
			pmap_page_protect(pg, VM_PROT_NONE);
			uvm_pagefree(pg);
		} else if (flags & PGO_DEACTIVATE)
			uvm_pagedeactivate(pg);
	}
	return first;
}

/*
 * uvm_vnp_setsize: the object's file is now size bytes long (the
 * host's file already is): pages wholly past the new end lose their
 * mappings and are freed, so a later access there is SIGBUS; whatever
 * a page holds past the end is zeroed, so that a file that grows shows
 * zeros where it grew (a store through a mapping past the end of the
 * last page must not reappear), as NetBSD's uvm_vnp_setsize and
 * uvm_vnp_zerorange see to.
 *
 * => waits for pages being read or written.  A wired page past the
 *    new end stays mapped where it is wired, with its data (as NetBSD
 *    leaves it), but no fault or read finds it while it is past the
 *    end; should the file grow over it again, it is zeroed then.
 */
static void
uvm_vnp_setsize(struct uvm_vnode *uvn, voff_t size)
{
	struct uvm_object *uobj = &uvn->u_obj;
	struct vm_page *pg, *next;
	voff_t from = MIN(size, uvn->u_size), start;

again:
	for (pg = PGLIST_FIRST(&uobj->memq); pg != NULL; pg = next) {
		next = PGLIST_NEXT(pg, listq);
		if (pg->offset + (voff_t)PAGE_SIZE <= from)
			continue;
		if (pg->flags & PG_BUSY) {
			/* being read or written: wait, look again */
			pg->flags |= PG_WANTED;
			(void)tsleep(pg, PVM, "uvntrunc", 0);
			goto again;
		}
		if (size <= uvn->u_size &&
		    pg->offset >= (voff_t)round_page(size)) {
			/* a wired one stays, as it is, where it is wired */
			if (pg->wire_count == 0) {
				pmap_page_protect(pg, VM_PROT_NONE);
				uvm_pagefree(pg);
			}
			continue;
		}
		start = MAX(from, pg->offset);
		memset((uint8_t *)physmem_hostaddr(VM_PAGE_TO_PHYS(pg)) +
			(start - pg->offset),
		    0, (size_t)(pg->offset + (voff_t)PAGE_SIZE - start));
	}
	uvn->u_size = size;
}

/*
 * uvn_truncate: the file of uobj becomes size bytes long, shorter or
 * longer (NetBSD's VOP_TRUNCATE and uvm_vnp_setsize): see
 * uvm_vnp_setsize for what happens to its pages.
 *
 * => returns 0 or the host's error (the size is then unchanged).
 */
int
uvn_truncate(struct uvm_object *uobj, voff_t size)
{
	struct uvm_vnode *uvn = (struct uvm_vnode *)uobj;

	KASSERT(uobj->pgops == &uvm_vnodeops && size >= 0);
	if (ftruncate(uvn->u_fd, size) != 0)
		return errno;
	uvm_vnp_setsize(uvn, size);
	return 0;
}

/* uvn_size: the size of uobj's file, in bytes */
voff_t
uvn_size(struct uvm_object *uobj)
{
	KASSERT(uobj->pgops == &uvm_vnodeops);
	return ((struct uvm_vnode *)uobj)->u_size;
}

/* uvn_name: the name of uobj's file in the sandbox */
const char *
uvn_name(struct uvm_object *uobj)
{
	KASSERT(UVM_OBJ_IS_VNODE(uobj));
	return ((struct uvm_vnode *)uobj)->u_name;
}

/*
 * uvn_flush: write every dirty page of uobj back to its file (fsync,
 * and the last close of an open file written through).
 *
 * => pages busy elsewhere (the pagedaemon writing them) are waited for,
 *    so that what was dirty when the call began is written when it
 *    returns 0 -- but for wired pages, which uvn_put passes by.
 * => returns 0, or EIO if a write failed: those pages stay dirty and
 *    resident, for a later write to try again.
 */
int
uvn_flush(struct uvm_object *uobj)
{
	struct vm_page *pg;
	int error;

	KASSERT(uobj->pgops == &uvm_vnodeops);
	error = uvn_put(uobj, 0, INT64_MAX, PGO_CLEANIT);
	for (;;) {
		PGLIST_FOREACH (pg, &uobj->memq, listq)
			if (pg->flags & PG_BUSY)
				break;
		if (pg == NULL || curproc == NULL)
			break;
		pg->flags |= PG_WANTED;
		(void)tsleep(pg, PVM, "uvnflush", 0);
		if (uvn_put(uobj, 0, INT64_MAX, PGO_CLEANIT) != 0)
			error = EIO;
	}
	return error;
}

/*
 * uvn_check: the vnode pager's invariants: every file object on the
 * list is referenced, or is being detached (dying), and holds no more
 * than its pages.  (A page past the end of its file is no error: a
 * truncation leaves a wired one where it is, and it stays after its
 * unwiring until the pagedaemon takes it, as on NetBSD.)
 *
 * => returns the number of inconsistencies, each reported to kc.
 */
int
uvn_check(struct kcheck *kc)
{
	struct uvm_vnode *uvn;
	struct vm_page *pg;
	int bad = 0, n;

	LIST_FOREACH (uvn, &uvn_list, u_list) {
		if (uvn->u_obj.uo_refs <= 0 && !uvn->u_dying) {
			kcheck_fail(kc, "file %s: %d references, not dying",
			    uvn->u_name, uvn->u_obj.uo_refs);
			bad++;
		}
		n = 0;
		PGLIST_FOREACH (pg, &uvn->u_obj.memq, listq) {
			if (uvm_pageobj(pg) != &uvn->u_obj) {
				kcheck_fail(kc,
				    "file %s: page at 0x%llx belongs elsewhere",
				    uvn->u_name,
				    (unsigned long long)pg->offset);
				bad++;
			}
			n++;
		}
		if (n != uvn->u_obj.uo_npages) {
			kcheck_fail(kc, "file %s: %d pages listed, %d counted",
			    uvn->u_name, n, uvn->u_obj.uo_npages);
			bad++;
		}
	}
	return bad;
}
