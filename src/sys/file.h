/*
 * file.h: open files and descriptor tables -- what NetBSD keeps in
 * <sys/file.h>, <sys/filedesc.h>, <sys/fcntl.h> and <sys/unistd.h>,
 * and the file system calls (kern_descrip.c, vfs_syscalls.c,
 * sys_generic.c, vfs_vnops.c).
 *
 * Every open file is a sandbox file: a struct file holds a reference to
 * the file's memory object (the vnode pager's, the one every mapping of
 * the file shares), its offset and the mode it was opened in.  A
 * process's descriptors index its struct filedesc; fork gives the child
 * a table of its own pointing at the same struct files (so parent and
 * child share offsets, as on NetBSD), and exit closes them all.
 *
 * The calls take the calling process and plain arguments, as the VM
 * system calls do (uvm_extern.h); user buffers are addresses in the
 * process's address space, reached with copyin and copyout.
 */

#ifndef _SYS_FILE_H_
#define _SYS_FILE_H_

#include "machine/types.h"

struct proc;
struct uvm_object;

/*
 * open flags: NetBSD's values, spelled OPEN_ so that they are never
 * confused with the host's O_ (Linux gives O_CREAT another value)
 */
#define OPEN_RDONLY  0x0000 /* read only */
#define OPEN_WRONLY  0x0001 /* write only */
#define OPEN_RDWR    0x0002 /* read and write */
#define OPEN_ACCMODE 0x0003 /* the access mode's bits */
#define OPEN_APPEND  0x0008 /* every write at the end of the file */
#define OPEN_CREAT   0x0200 /* create the file if it does not exist */
#define OPEN_TRUNC   0x0400 /* truncate it to 0 bytes */
#define OPEN_EXCL    0x0800 /* with OPEN_CREAT: fail if it exists */
#define OPEN_FLAGS \
	(OPEN_ACCMODE | OPEN_APPEND | OPEN_CREAT | OPEN_TRUNC | OPEN_EXCL)

/* f_flag: the mode of an open file (NetBSD's FFLAGS: access mode + 1) */
#define FREAD	     0x0001
#define FWRITE	     0x0002
/* (FAPPEND, NetBSD's name, is the host's <fcntl.h>'s too) */
#define FAPPEND_MODE OPEN_APPEND
/* written through: the last close writes the file's dirty pages back */
#define FWROTE	     0x00010000

/* lseek's whence: the same values everywhere */
#define LSEEK_SET 0 /* from the start */
#define LSEEK_CUR 1 /* from the offset */
#define LSEEK_END 2 /* from the end of the file */

/* the largest byte count a read or write may ask for (SSIZE_MAX) */
#define FILE_IO_MAX ((size_t)INT64_MAX)

/*
 * struct file: an open file.  f_count counts the descriptor-table
 * slots that point at it (fork adds one per child); the last to go
 * closes the file (vn_close) and frees it.
 */
struct file {
	int f_flag;		   /* FREAD, FWRITE, FAPPEND_MODE, FWROTE */
	int f_count;		   /* references from descriptor tables */
	voff_t f_offset;	   /* where the next read or write goes */
	struct uvm_object *f_uobj; /* the file's memory object */
};

/*
 * struct filedesc: a process's descriptor table.  Slots [0, NDFILE);
 * fd_ofiles[i] is NULL for a free descriptor.  fd_freefile is no more
 * than the lowest free descriptor (the search for one starts there),
 * fd_nopen the number of open ones.
 */
#define NDFILE 64 /* descriptors per process (NetBSD's OPEN_MAX) */
struct filedesc {
	struct file *fd_ofiles[NDFILE];
	int fd_freefile;
	int fd_nopen;
};

/* descriptor tables (kern_descrip.c) */
extern int nfiles; /* open struct files, machine-wide */
struct filedesc *fdcopy(struct proc *);
void fdfree(struct proc *);
int fdalloc(struct proc *, int *fdp);
void fd_install(struct proc *, int fd, struct file *);
struct file *fd_getfile(struct proc *, int fd);
struct file *falloc(void);
int closef(struct file *);

/* the file operations (vfs_vnops.c) */
int vn_open(const char *name, int oflags, struct uvm_object **);
int vn_close(struct file *);
int
vn_read(struct proc *, struct file *, vaddr_t buf, size_t len, size_t *donep);
int
vn_write(struct proc *, struct file *, vaddr_t buf, size_t len, size_t *donep);

/* the system calls */
int sys_open(struct proc *, const char *name, int oflags, int *retval);
int sys_close(struct proc *, int fd);
int sys_read(struct proc *, int fd, vaddr_t buf, size_t len, int64_t *retval);
int sys_write(struct proc *, int fd, vaddr_t buf, size_t len, int64_t *retval);
int sys_lseek(struct proc *, int fd, voff_t offset, int whence, voff_t *retval);
int sys_ftruncate(struct proc *, int fd, voff_t length);
int sys_fsync(struct proc *, int fd);

#endif /* _SYS_FILE_H_ */
