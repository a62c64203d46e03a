/*
 * t_descrip.c: file descriptors -- open, close, read, write, lseek,
 * ftruncate and fsync on sandbox files, read and write going through
 * the pages mappings use (the unified buffer cache), descriptors at
 * fork and exit, errors as NetBSD gives them, memory pressure and
 * failed file I/O.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "h_util.h"
#include "sys/file.h"
#include "uvm/uvm.h"

#define PG(n) ((vaddr_t)(n)*PAGE_SIZE)
#define RW    (VM_PROT_READ | VM_PROT_WRITE)
#define SEC   ((simtime_t)1000000)

static char t_dir[64];

/* the byte a test writes at offset off of a file, for seed */
static unsigned char
t_pat(uint64_t off, unsigned int seed)
{
	uint64_t x = (off + 1) * 0x9e3779b97f4a7c15ULL + seed * 0x85ebca6bU;

	return (unsigned char)(x >> 56 ^ x >> 29 ^ x);
}

static void
t_patfill(unsigned char *buf, size_t len, uint64_t off, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = t_pat(off + i, seed);
}

/* boot the kernel on npages pages with a new, empty sandbox */
static void
t_boot(size_t npages)
{
	struct machine_config mc;

	snprintf(t_dir, sizeof(t_dir), "/tmp/uvmsim-fd.XXXXXX");
	ATF_REQUIRE(mkdtemp(t_dir) != NULL);
	machine_config_default(&mc);
	mc.mc_npages = npages;
	mc.mc_swapslots = 256;
	mc.mc_filedir = t_dir;
	h_boot_kern_config(&mc);
}

static void
t_path(char *path, size_t size, const char *name)
{
	snprintf(path, size, "%s/%s", t_dir, name);
}

/* the sandbox's file `name': len bytes of pattern seed */
static void
t_sandbox(const char *name, size_t len, unsigned int seed)
{
	unsigned char *buf;
	char path[128];
	int fd;

	t_path(path, sizeof(path), name);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	ATF_REQUIRE(fd >= 0);
	buf = malloc(len + 1);
	ATF_REQUIRE(buf != NULL);
	t_patfill(buf, len, 0, seed);
	ATF_REQUIRE_EQ(write(fd, buf, len), (ssize_t)len);
	free(buf);
	close(fd);
}

/* the host file `name' holds exactly want[0, len) */
static void
t_host_same(const char *name, const unsigned char *want, size_t len)
{
	unsigned char *buf;
	char path[128];
	struct stat st;
	size_t i;
	int fd;

	t_path(path, sizeof(path), name);
	fd = open(path, O_RDONLY);
	ATF_REQUIRE_MSG(fd >= 0, "%s: %s", name, strerror(errno));
	ATF_REQUIRE(fstat(fd, &st) == 0);
	ATF_REQUIRE_EQ_MSG((size_t)st.st_size, len, "%s: size %lld, not %zu",
	    name, (long long)st.st_size, len);
	buf = malloc(len + 1);
	ATF_REQUIRE(buf != NULL);
	ATF_REQUIRE_EQ(pread(fd, buf, len, 0), (ssize_t)len);
	for (i = 0; i < len; i++)
		ATF_REQUIRE_MSG(buf[i] == want[i],
		    "%s: byte %zu is 0x%02x, not 0x%02x", name, i, buf[i],
		    want[i]);
	free(buf);
	close(fd);
}

static void
t_cleanup(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", t_dir);
	ATF_REQUIRE_EQ(system(cmd), 0);
}

/*
 * What a program saw.  T_CHECK records the first check that failed,
 * for the test body to report: a program cannot fail the test case
 * itself from inside the simulation.
 */
struct t_res {
	int fail_line;
	const char *fail_what;
	long long fail_got;
	bool done;
	int seed;	     /* for the programs of a pressure run */
	const char *name;    /* their file */
	size_t len;	     /* its length */
	unsigned char *want; /* the bytes the file ends with */
	vaddr_t va;	     /* a mapping a child inherits */
	int status;	     /* a child's wait status */
};

#define T_CHECK(r, cond)                              \
	do {                                          \
		if (!(cond) && (r)->fail_line == 0) { \
			(r)->fail_line = __LINE__;    \
			(r)->fail_what = #cond;       \
		}                                     \
	} while (0)
#define T_EQ(r, got, want)                                                \
	do {                                                              \
		long long t_got_ = (long long)(got);                      \
		if (t_got_ != (long long)(want) && (r)->fail_line == 0) { \
			(r)->fail_line = __LINE__;                        \
			(r)->fail_what = #got " == " #want;               \
			(r)->fail_got = t_got_;                           \
		}                                                         \
	} while (0)

static void
t_res_ok(const struct t_res *r)
{
	ATF_REQUIRE_MSG(r->fail_line == 0, "line %d: %s (got %lld)",
	    r->fail_line, r->fail_what, r->fail_got);
	ATF_REQUIRE_MSG(r->done, "the program did not finish");
}

/* spawn prog(r), run the machine until idle, collect its status */
static int
t_run(proc_prog_t prog, struct t_res *r)
{
	struct proc *p;
	int pid, status;

	ATF_REQUIRE_EQ(kern_spawn("t_descrip", prog, r, &p), 0);
	pid = p->p_pid;
	h_run_idle();
	ATF_REQUIRE_EQ(kern_collect(pid, &status), 0);
	return status;
}

/* a buffer of len bytes of private memory in p's address space */
static vaddr_t
t_ubuf(struct proc *p, size_t len)
{
	vaddr_t va = 0;

	if (sys_mmap(p, 0, len, RW, MMAP_ANON | MMAP_PRIVATE, -1, 0, &va) != 0)
		return 0;
	return va;
}

/* store pattern seed for file offset off, len bytes, at va */
static void
t_ustore(struct proc *p, vaddr_t va, size_t len, uint64_t off,
    unsigned int seed)
{
	unsigned char *buf = malloc(len + 1);

	t_patfill(buf, len, off, seed);
	(void)proc_store(p, va, buf, len);
	free(buf);
}

/* do the len bytes at va hold pattern seed for file offset off? */
static bool
t_usame(struct proc *p, vaddr_t va, size_t len, uint64_t off, unsigned int seed)
{
	unsigned char *buf = malloc(len + 1);
	bool same = true;
	size_t i;

	(void)proc_load(p, va, buf, len);
	for (i = 0; i < len && same; i++)
		same = buf[i] == t_pat(off + i, seed);
	free(buf);
	return same;
}

/* are the len bytes at va all c? */
static bool
t_uall(struct proc *p, vaddr_t va, size_t len, unsigned char c)
{
	unsigned char *buf = malloc(len + 1);
	bool same = true;
	size_t i;

	(void)proc_load(p, va, buf, len);
	for (i = 0; i < len && same; i++)
		same = buf[i] == c;
	free(buf);
	return same;
}

/*
 * Write 3.5 pages in pieces that straddle pages, seek back, read them
 * back in other pieces: every byte; read at and across the end of the
 * file; the offset as lseek says; the host file after close.
 */
static int
prog_rw(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	size_t len = PG(3) + PG(1) / 2, off;
	vaddr_t buf = t_ubuf(p, PG(4)), buf2 = t_ubuf(p, PG(4));
	int64_t n = -1;
	voff_t pos = -1;
	int fd = -1;

	T_CHECK(r, buf != 0 && buf2 != 0);
	T_EQ(r, sys_open(p, "f", OPEN_RDWR | OPEN_CREAT, &fd), 0);
	T_EQ(r, fd, 0);
	t_ustore(p, buf, len, 0, 1);
	for (off = 0; off < len; off += (size_t)n) {
		n = -1;
		T_EQ(r, sys_write(p, fd, buf + off, MIN(1000, len - off), &n),
		    0);
		T_EQ(r, n, MIN(1000, len - off));
		if (n <= 0)
			break;
	}
	T_EQ(r, sys_lseek(p, fd, 0, LSEEK_CUR, &pos), 0);
	T_EQ(r, pos, len);
	T_EQ(r, sys_lseek(p, fd, 0, LSEEK_END, &pos), 0);
	T_EQ(r, pos, len);
	T_EQ(r, sys_lseek(p, fd, 0, LSEEK_SET, &pos), 0);
	T_EQ(r, pos, 0);
	for (off = 0; off < len; off += (size_t)n) {
		n = -1;
		T_EQ(r, sys_read(p, fd, buf2 + off, 3001, &n), 0);
		T_EQ(r, n, MIN(3001, len - off)); /* short at the end */
		if (n <= 0)
			break;
	}
	T_CHECK(r, t_usame(p, buf2, len, 0, 1));
	T_EQ(r, sys_read(p, fd, buf2, PG(1), &n), 0);
	T_EQ(r, n, 0); /* at the end */
	T_EQ(r, sys_lseek(p, fd, PG(9), LSEEK_SET, &pos), 0);
	T_EQ(r, sys_read(p, fd, buf2, PG(1), &n), 0);
	T_EQ(r, n, 0); /* past it */
	T_EQ(r, sys_lseek(p, fd, -10, LSEEK_END, &pos), 0);
	T_EQ(r, pos, len - 10);
	T_EQ(r, sys_read(p, fd, buf2, PG(1), &n), 0);
	T_EQ(r, n, 10); /* across it */
	T_CHECK(r, t_usame(p, buf2, 10, len - 10, 1));
	T_EQ(r, sys_close(p, fd), 0);
	T_EQ(r, nfiles, 0);
	r->done = true;
	return 0;
}

ATF_TC_WITHOUT_HEAD(write_then_read_every_byte);
ATF_TC_BODY(write_then_read_every_byte, tc)
{
	struct t_res r = { 0 };
	unsigned char *want;
	size_t len;

	t_boot(256);
	len = PG(3) + PG(1) / 2;
	ATF_REQUIRE_EQ(t_run(prog_rw, &r), 0);
	t_res_ok(&r);
	h_shutdown();
	want = malloc(len);
	t_patfill(want, len, 0, 1);
	t_host_same("f", want, len);
	free(want);
	t_cleanup();
}

/*
 * A write is seen at once by a shared mapping of the file, and by a
 * private one that has not copied the page; a store through the shared
 * mapping is seen by the next read; none of it needs an msync.
 *
 *	file "m", 3 pages    [ 0 | 1 | 2 ]
 *	shared mapping  S -> [ 0 | 1 | 2 ]   stores here, reads there
 *	private mapping P -> [ 0 | 1 | 2 ]   page 0 copied on write
 */
static int
prog_coherent(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	vaddr_t buf = t_ubuf(p, PG(3)), s = 0, pv = 0;
	unsigned char c = 'Z', got = 0;
	uint64_t wrote = uvncounters.pgwrites;
	int64_t n = -1;
	voff_t pos;
	int fd = -1, fd2 = -1;

	T_CHECK(r, buf != 0);
	T_EQ(r, sys_open(p, "m", OPEN_RDWR, &fd), 0);
	T_EQ(r, sys_mmap(p, 0, PG(3), RW, MMAP_SHARED, fd, 0, &s), 0);
	T_EQ(r, sys_mmap(p, 0, PG(3), RW, MMAP_PRIVATE, fd, 0, &pv), 0);
	/* the private mapping copies page 0 before the write */
	(void)proc_store(p, pv + 5, &c, 1);
	/* a write of pages 0-2 with pattern 2, mapped pages resident */
	T_CHECK(r, t_usame(p, s, PG(3), 0, 7));
	t_ustore(p, buf, PG(3), 0, 2);
	T_EQ(r, sys_write(p, fd, buf, PG(3), &n), 0);
	T_EQ(r, n, PG(3));
	T_CHECK(r, t_usame(p, s, PG(3), 0, 2));
	T_CHECK(r, t_usame(p, pv + PG(1), PG(2), PG(1), 2));
	(void)proc_load(p, pv + 5, &got, 1);
	T_EQ(r, got, 'Z'); /* its own copy */
	/* stores through the shared mapping, seen by read */
	t_ustore(p, s + 100, PG(2), 100, 3);
	T_EQ(r, sys_lseek(p, fd, 0, LSEEK_SET, &pos), 0);
	T_EQ(r, sys_read(p, fd, buf, PG(3), &n), 0);
	T_EQ(r, n, PG(3));
	T_CHECK(r, t_usame(p, buf, 100, 0, 2));
	T_CHECK(r, t_usame(p, buf + 100, PG(2), 100, 3));
	T_CHECK(r, t_usame(p, buf + 100 + PG(2), PG(1) - 100, PG(2) + 100, 2));
	/* all of it from memory: nothing written back yet */
	T_EQ(r, uvncounters.pgwrites, wrote);
	/* nothing written through this one: its close writes nothing */
	T_EQ(r, sys_open(p, "m", OPEN_RDWR, &fd2), 0);
	T_EQ(r, sys_close(p, fd2), 0);
	T_EQ(r, uvncounters.pgwrites, wrote);
	T_EQ(r, sys_close(p, fd), 0);
	T_CHECK(r, uvncounters.pgwrites > wrote); /* the close wrote them */
	r->done = true;
	return 0;
}

ATF_TC_WITHOUT_HEAD(write_seen_by_mapping_store_seen_by_read);
ATF_TC_BODY(write_seen_by_mapping_store_seen_by_read, tc)
{
	struct t_res r = { 0 };
	unsigned char *want;

	t_boot(256);
	t_sandbox("m", PG(3), 7);
	ATF_REQUIRE_EQ(t_run(prog_coherent, &r), 0);
	t_res_ok(&r);
	h_shutdown();
	want = malloc(PG(3));
	t_patfill(want, PG(3), 0, 2);
	t_patfill(want + 100, PG(2), 100, 3);
	t_host_same("m", want, PG(3));
	free(want);
	t_cleanup();
}

/*
 * NetBSD's errors: EBADF for a descriptor that is not open, or not
 * open for what is asked (t_write.c, t_read.c); EINVAL for ftruncate
 * of a descriptor not open for writing (t_truncate.c), a negative
 * length or offset, a bad whence, a count above SSIZE_MAX, no access
 * mode; EFAULT for a bad buffer, the file unchanged; EEXIST, ENOENT;
 * EMFILE when the table is full.
 */
static int
prog_errors(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	vaddr_t buf = t_ubuf(p, PG(1)), ro = 0;
	int64_t n = -1;
	voff_t pos = -1;
	int rd = -1, wr = -1, fd = -1, i;

	T_CHECK(r, buf != 0);
	T_EQ(r,
	    sys_mmap(p, 0, PG(1), VM_PROT_READ, MMAP_ANON | MMAP_PRIVATE, -1, 0,
		&ro),
	    0);
	T_EQ(r, sys_read(p, 0, buf, 1, &n), EBADF); /* no table yet */
	T_EQ(r, sys_close(p, 0), EBADF);
	T_EQ(r, sys_open(p, "e", OPEN_RDONLY, &rd), 0);
	T_EQ(r, sys_open(p, "e", OPEN_WRONLY, &wr), 0);
	T_EQ(r, wr, 1);
	T_EQ(r, sys_read(p, -1, buf, 1, &n), EBADF);
	T_EQ(r, sys_read(p, NDFILE, buf, 1, &n), EBADF);
	T_EQ(r, sys_read(p, 7, buf, 1, &n), EBADF);
	T_EQ(r, sys_read(p, wr, buf, 1, &n), EBADF);
	T_EQ(r, sys_write(p, rd, buf, 1, &n), EBADF);
	T_EQ(r, sys_ftruncate(p, rd, 0), EINVAL);
	T_EQ(r, sys_ftruncate(p, wr, -1), EINVAL);
	T_EQ(r, sys_ftruncate(p, 9, 0), EBADF);
	T_EQ(r, sys_lseek(p, rd, 0, 3, &pos), EINVAL);
	T_EQ(r, sys_lseek(p, rd, -1, LSEEK_SET, &pos), EINVAL);
	T_EQ(r, sys_lseek(p, rd, -PG(2) - 1, LSEEK_END, &pos), EINVAL);
	T_EQ(r, sys_lseek(p, rd, INT64_MAX, LSEEK_SET, &pos), 0);
	T_EQ(r, sys_lseek(p, rd, 1, LSEEK_CUR, &pos), EOVERFLOW);
	T_EQ(r, sys_lseek(p, 9, 0, LSEEK_SET, &pos), EBADF);
	T_EQ(r, sys_fsync(p, 9), EBADF);
	T_EQ(r, sys_write(p, wr, buf, SIZE_MAX, &n), EINVAL);
	T_EQ(r, sys_read(p, rd, buf, (size_t)INT64_MAX + 1, &n), EINVAL);
	/* bad buffers: nothing written, nothing read into */
	T_EQ(r, sys_write(p, wr, (vaddr_t)-1, 1, &n), EFAULT);
	T_EQ(r, sys_write(p, wr, PG(3), 1, &n), EFAULT);
	T_EQ(r, sys_lseek(p, rd, 0, LSEEK_SET, &pos), 0);
	T_EQ(r, sys_read(p, rd, ro, 1, &n), EFAULT);
	T_EQ(r, sys_lseek(p, rd, 0, LSEEK_CUR, &pos), 0);
	T_EQ(r, pos, 0); /* nothing read: the offset stayed */
	T_EQ(r, sys_read(p, rd, buf, PG(1), &n), 0);
	T_EQ(r, n, PG(1));
	T_CHECK(r, t_usame(p, buf, PG(1), 0, 4));
	/* open's own */
	T_EQ(r, sys_open(p, "e", OPEN_ACCMODE, &fd), EINVAL);
	T_EQ(r, sys_open(p, "e", OPEN_RDONLY | 0x10000, &fd), EINVAL);
	T_EQ(r, sys_open(p, "nope", OPEN_RDONLY, &fd), ENOENT);
	T_EQ(r, sys_open(p, "../e", OPEN_RDONLY, &fd), EINVAL);
	T_EQ(r, sys_open(p, "e", OPEN_RDWR | OPEN_CREAT | OPEN_EXCL, &fd),
	    EEXIST);
	T_EQ(r, sys_open(p, "x", OPEN_RDWR | OPEN_CREAT | OPEN_EXCL, &fd), 0);
	T_EQ(r, fd, 2);
	T_EQ(r, sys_close(p, fd), 0);
	T_EQ(r, sys_close(p, fd), EBADF);
	/* the lowest free descriptor, until there is none */
	T_EQ(r, sys_close(p, rd), 0);
	T_EQ(r, sys_open(p, "x", OPEN_RDONLY, &fd), 0);
	T_EQ(r, fd, 0);
	for (i = 2; i < NDFILE; i++) {
		T_EQ(r, sys_open(p, "x", OPEN_RDONLY, &fd), 0);
		T_EQ(r, fd, i);
	}
	T_EQ(r, sys_open(p, "x", OPEN_RDONLY, &fd), EMFILE);
	T_EQ(r, nfiles, NDFILE);
	r->done = true;
	return 0; /* exit closes them all */
}

ATF_TC_WITHOUT_HEAD(errors_as_netbsd);
ATF_TC_BODY(errors_as_netbsd, tc)
{
	struct t_res r = { 0 };
	unsigned char *want;

	t_boot(256);
	t_sandbox("e", PG(2), 4);
	ATF_REQUIRE_EQ(t_run(prog_errors, &r), 0);
	t_res_ok(&r);
	ATF_REQUIRE_EQ(nfiles, 0);
	h_shutdown();
	want = malloc(PG(2));
	t_patfill(want, PG(2), 0, 4);
	t_host_same("e", want, PG(2));
	t_host_same("x", want, 0);
	free(want);
	t_cleanup();
}

/*
 * ftruncate shrinking a mapped file takes the pages past the new end
 * out of every mapping (SIGBUS there), zeroes the rest of the last page
 * and makes reads short; growing it again shows zeros, not what was
 * there before nor what a store put past the end.
 *
 *	before   [ 0 | 1 | 2 | 3 ]   4 pages, mapped shared
 *	shrink   [ 0 |1.]            1 page + 10 bytes
 *	grow     [ 0 |1.000000000]   3 pages: zeros after byte PG(1)+10
 */
static int
prog_trunc(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	vaddr_t buf = t_ubuf(p, PG(4)), s = 0;
	unsigned char junk = 'J';
	int64_t n = -1;
	voff_t pos;
	int fd = -1;

	T_CHECK(r, buf != 0);
	T_EQ(r, sys_open(p, "t", OPEN_RDWR, &fd), 0);
	T_EQ(r, sys_mmap(p, 0, PG(4), RW, MMAP_SHARED, fd, 0, &s), 0);
	T_CHECK(r, t_usame(p, s, PG(4), 0, 5));
	T_EQ(r, sys_ftruncate(p, fd, PG(1) + 10), 0);
	T_CHECK(r, t_usame(p, s, PG(1) + 10, 0, 5));
	T_CHECK(r, t_uall(p, s + PG(1) + 10, PG(1) - 10, 0));
	/* a store past the end, in the last page: not part of the file */
	(void)proc_store(p, s + PG(1) + 20, &junk, 1);
	T_EQ(r, sys_lseek(p, fd, PG(1), LSEEK_SET, &pos), 0);
	T_EQ(r, sys_read(p, fd, buf, PG(2), &n), 0);
	T_EQ(r, n, 10);
	T_EQ(r, sys_ftruncate(p, fd, PG(3)), 0);
	T_EQ(r, sys_lseek(p, fd, 0, LSEEK_SET, &pos), 0);
	T_EQ(r, sys_read(p, fd, buf, PG(4), &n), 0);
	T_EQ(r, n, PG(3));
	T_CHECK(r, t_usame(p, buf, PG(1) + 10, 0, 5));
	T_CHECK(r, t_uall(p, buf + PG(1) + 10, PG(2) - 10, 0));
	T_CHECK(r, t_uall(p, s + PG(1) + 10, PG(2) - 10, 0));
	T_EQ(r, sys_ftruncate(p, fd, PG(1)), 0);
	T_EQ(r, sys_close(p, fd), 0);
	r->done = true;
	(void)proc_load(p, s + PG(2), &junk, 1); /* SIGBUS */
	r->done = false;
	return 0;
}

ATF_TC_WITHOUT_HEAD(ftruncate_takes_pages_from_mappings);
ATF_TC_BODY(ftruncate_takes_pages_from_mappings, tc)
{
	struct t_res r = { 0 };
	unsigned char *want;
	int status;

	t_boot(256);
	t_sandbox("t", PG(4), 5);
	status = t_run(prog_trunc, &r);
	t_res_ok(&r);
	ATF_REQUIRE_EQ(status & 0x7f, SIGBUS);
	h_shutdown();
	want = malloc(PG(1));
	t_patfill(want, PG(1), 0, 5);
	t_host_same("t", want, PG(1));
	free(want);
	t_cleanup();
}

/*
 * ftruncate takes the pages past the new end out of every mapping, a
 * child's inherited one too: the child, which had them mapped, gets
 * SIGBUS there.
 */
static int
prog_trunc_child(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	unsigned char c;

	T_CHECK(r, t_usame(p, r->va, PG(4), 0, 16)); /* all four mapped */
	(void)proc_sleep(p, SEC);		     /* the parent truncates */
	T_CHECK(r, t_usame(p, r->va, PG(1), 0, 16));
	(void)proc_load(p, r->va + PG(2), &c, 1); /* SIGBUS */
	T_CHECK(r, false);
	return 0;
}

static int
prog_trunc_fork(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	int fd = -1;

	T_EQ(r, sys_open(p, "u", OPEN_RDWR, &fd), 0);
	T_EQ(r, sys_mmap(p, 0, PG(4), RW, MMAP_SHARED, fd, 0, &r->va), 0);
	T_CHECK(r, t_usame(p, r->va, PG(4), 0, 16));
	T_EQ(r, proc_fork(p, prog_trunc_child, r, NULL), 0);
	(void)proc_sleep(p, SEC / 2);
	T_EQ(r, sys_ftruncate(p, fd, PG(1)), 0);
	T_EQ(r, kern_wait(p, -1, &r->status, 0) > 0, 1);
	T_EQ(r, sys_close(p, fd), 0);
	r->done = true;
	return 0;
}

ATF_TC_WITHOUT_HEAD(ftruncate_reaches_every_mapping);
ATF_TC_BODY(ftruncate_reaches_every_mapping, tc)
{
	struct t_res r = { 0 };

	t_boot(256);
	t_sandbox("u", PG(4), 16);
	ATF_REQUIRE_EQ(t_run(prog_trunc_fork, &r), 0);
	t_res_ok(&r);
	ATF_REQUIRE_EQ_MSG(r.status & 0x7f, SIGBUS, "child status 0x%x",
	    r.status);
	h_shutdown();
	t_cleanup();
}

/*
 * A write past the end extends the file, the gap reading as zeros;
 * OPEN_APPEND writes at the end wherever the offset is; OPEN_TRUNC
 * empties the file.
 */
static int
prog_extend(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	vaddr_t buf = t_ubuf(p, PG(8));
	int64_t n = -1;
	voff_t pos;
	int fd = -1, ap = -1;

	T_CHECK(r, buf != 0);
	T_EQ(r, sys_open(p, "g", OPEN_RDWR | OPEN_CREAT | OPEN_TRUNC, &fd), 0);
	t_ustore(p, buf, 100, 0, 6);
	T_EQ(r, sys_write(p, fd, buf, 100, &n), 0);
	T_EQ(r, sys_lseek(p, fd, PG(2) + 50, LSEEK_SET, &pos), 0);
	t_ustore(p, buf, 200, PG(2) + 50, 6);
	T_EQ(r, sys_write(p, fd, buf, 200, &n), 0);
	T_EQ(r, n, 200);
	T_EQ(r, sys_open(p, "g", OPEN_WRONLY | OPEN_APPEND, &ap), 0);
	T_EQ(r, sys_lseek(p, ap, 0, LSEEK_SET, &pos), 0);
	t_ustore(p, buf, 30, PG(2) + 250, 6);
	T_EQ(r, sys_write(p, ap, buf, 30, &n), 0);
	T_EQ(r, sys_lseek(p, ap, 0, LSEEK_CUR, &pos), 0);
	T_EQ(r, pos, PG(2) + 280);
	T_EQ(r, sys_close(p, ap), 0);
	T_EQ(r, sys_lseek(p, fd, 0, LSEEK_SET, &pos), 0);
	T_EQ(r, sys_read(p, fd, buf, PG(8), &n), 0);
	T_EQ(r, n, PG(2) + 280);
	T_CHECK(r, t_usame(p, buf, 100, 0, 6));
	T_CHECK(r, t_uall(p, buf + 100, PG(2) - 50, 0));
	T_CHECK(r, t_usame(p, buf + PG(2) + 50, 230, PG(2) + 50, 6));
	T_EQ(r, sys_close(p, fd), 0);
	r->done = true;
	return 0;
}

ATF_TC_WITHOUT_HEAD(write_past_end_extends_append_trunc);
ATF_TC_BODY(write_past_end_extends_append_trunc, tc)
{
	struct t_res r = { 0 };
	unsigned char *want;
	size_t len;

	t_boot(256);
	len = PG(2) + 280;
	t_sandbox("g", PG(5), 9); /* OPEN_TRUNC empties it */
	ATF_REQUIRE_EQ(t_run(prog_extend, &r), 0);
	t_res_ok(&r);
	h_shutdown();
	want = calloc(1, len);
	t_patfill(want, 100, 0, 6);
	t_patfill(want + PG(2) + 50, 230, PG(2) + 50, 6);
	t_host_same("g", want, len);
	free(want);
	t_cleanup();
}

/*
 * fork shares open files: the child's write moves the offset the
 * parent sees; the child's close leaves the parent's descriptor open;
 * exit closes what is left.
 */
static int
prog_fork_child(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	vaddr_t buf = t_ubuf(p, PG(1));
	int64_t n = -1;

	t_ustore(p, buf, 10, 0, 8);
	T_EQ(r, sys_write(p, 0, buf, 10, &n), 0);
	T_EQ(r, n, 10);
	T_EQ(r, sys_close(p, 0), 0);
	T_EQ(r, nfiles, 2); /* the parent's descriptors hold them */
	return 0;	    /* exit closes descriptor 1 */
}

static int
prog_fork(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	vaddr_t buf = t_ubuf(p, PG(1));
	int64_t n = -1;
	voff_t pos = -1;
	int fd = -1, fd2 = -1, status = -1;

	T_EQ(r, sys_open(p, "k", OPEN_RDWR | OPEN_CREAT, &fd), 0);
	T_EQ(r, sys_open(p, "k", OPEN_RDONLY, &fd2), 0);
	T_EQ(r, proc_fork(p, prog_fork_child, r, NULL), 0);
	T_EQ(r, kern_wait(p, -1, &status, 0) > 0, 1);
	T_EQ(r, status, 0);
	T_EQ(r, nfiles, 2);
	T_EQ(r, sys_lseek(p, fd, 0, LSEEK_CUR, &pos), 0);
	T_EQ(r, pos, 10);
	T_EQ(r, sys_read(p, fd2, buf, PG(1), &n), 0);
	T_EQ(r, n, 10);
	T_CHECK(r, t_usame(p, buf, 10, 0, 8));
	r->done = true;
	return 0; /* exit closes both */
}

ATF_TC_WITHOUT_HEAD(fork_shares_files_exit_closes);
ATF_TC_BODY(fork_shares_files_exit_closes, tc)
{
	struct t_res r = { 0 };
	unsigned char want[10];

	t_boot(256);
	ATF_REQUIRE_EQ(t_run(prog_fork, &r), 0);
	t_res_ok(&r);
	ATF_REQUIRE_EQ(nfiles, 0);
	h_shutdown();
	t_patfill(want, 10, 0, 8);
	t_host_same("k", want, 10);
	t_cleanup();
}

/*
 * Memory pressure: several processes on a small machine write files
 * larger than memory in pieces that straddle pages, read them back
 * with read and through a shared mapping, and check every byte; the
 * pagedaemon writes the pages back meanwhile, some of its writes
 * failing when the test asks.
 */
#define T_NPROC 3
#define T_FLEN	(PG(40) + 123)

static int
prog_pressure(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	vaddr_t buf = t_ubuf(p, PG(3)), s = 0;
	size_t off, chunk;
	int64_t n = -1;
	voff_t pos;
	int fd = -1, i;

	T_CHECK(r, buf != 0);
	T_EQ(r, sys_open(p, r->name, OPEN_RDWR | OPEN_CREAT, &fd), 0);
	for (off = 0, i = 0; off < r->len; off += chunk, i++) {
		chunk = MIN(r->len - off, (size_t)(PG(2) + 777 * (i % 5)));
		t_ustore(p, buf, chunk, off, (unsigned int)r->seed);
		T_EQ(r, sys_write(p, fd, buf, chunk, &n), 0);
		T_EQ(r, n, chunk);
	}
	T_EQ(r, sys_lseek(p, fd, 0, LSEEK_SET, &pos), 0);
	for (off = 0; off < r->len; off += (size_t)n) {
		T_EQ(r, sys_read(p, fd, buf, PG(3) - 1, &n), 0);
		T_CHECK(r,
		    t_usame(p, buf, (size_t)n, off, (unsigned int)r->seed));
		if (n <= 0)
			break;
	}
	T_EQ(r, off, r->len);
	/* and the mapping sees the same, then stores; read sees those */
	T_EQ(r, sys_mmap(p, 0, r->len, RW, MMAP_SHARED, fd, 0, &s), 0);
	for (off = 0; off < r->len; off += PG(1))
		T_CHECK(r,
		    t_usame(p, s + off, MIN(PG(1), r->len - off), off,
			(unsigned int)r->seed));
	t_ustore(p, s + PG(10) + 7, PG(5), PG(10) + 7,
	    (unsigned int)r->seed + 100);
	T_EQ(r, sys_lseek(p, fd, PG(10) + 7, LSEEK_SET, &pos), 0);
	T_EQ(r, sys_read(p, fd, buf, PG(3), &n), 0);
	T_EQ(r, n, PG(3));
	T_CHECK(r,
	    t_usame(p, buf, PG(3), PG(10) + 7, (unsigned int)r->seed + 100));
	/* the close writes what the pagedaemon has not, or says not */
	for (i = 0; i < 8 && sys_fsync(p, fd) != 0; i++)
		(void)proc_sleep(p, SEC / 4);
	T_CHECK(r, i < 8);
	T_EQ(r, sys_close(p, fd), 0);
	r->done = true;
	return 0;
}

static void
t_pressure(unsigned long wskip, unsigned long wfail)
{
	struct t_res r[T_NPROC];
	char names[T_NPROC][16];
	struct proc *p;
	int pid[T_NPROC], i, status;

	t_boot(72);
	memset(r, 0, sizeof(r));
	if (wfail > 0)
		failpoint_arm(FP_FILEWRITE, wskip, wfail);
	for (i = 0; i < T_NPROC; i++) {
		snprintf(names[i], sizeof(names[i]), "p%d", i);
		r[i].name = names[i];
		r[i].seed = 20 + i;
		r[i].len = T_FLEN;
		ATF_REQUIRE_EQ(kern_spawn("writer", prog_pressure, &r[i], &p),
		    0);
		pid[i] = p->p_pid;
	}
	h_run_idle();
	for (i = 0; i < T_NPROC; i++) {
		ATF_REQUIRE_EQ(kern_collect(pid[i], &status), 0);
		ATF_REQUIRE_EQ_MSG(status, 0, "writer %d: status 0x%x", i,
		    status);
		t_res_ok(&r[i]);
	}
	/* the files outgrew memory: the pagedaemon wrote pages back */
	ATF_REQUIRE(uvmexp.pdfreed > 0);
	ATF_REQUIRE(uvncounters.pgwrites > (uint64_t)T_FLEN / PAGE_SIZE);
	if (wfail > 0)
		ATF_REQUIRE(uvncounters.wrerrors > 0);
	h_shutdown();
	for (i = 0; i < T_NPROC; i++) {
		unsigned char *want = malloc(T_FLEN);

		t_patfill(want, T_FLEN, 0, (unsigned int)r[i].seed);
		t_patfill(want + PG(10) + 7, PG(5), PG(10) + 7,
		    (unsigned int)r[i].seed + 100);
		t_host_same(names[i], want, T_FLEN);
		free(want);
	}
	t_cleanup();
}

ATF_TC_WITHOUT_HEAD(memory_pressure_every_byte);
ATF_TC_BODY(memory_pressure_every_byte, tc)
{
	t_pressure(0, 0);
}

ATF_TC_WITHOUT_HEAD(memory_pressure_with_write_errors);
ATF_TC_BODY(memory_pressure_with_write_errors, tc)
{
	t_pressure(20, 15);
}

/*
 * A write back that fails is reported, never lost: fsync and the close
 * of a descriptor open for writing say EIO, the pages stay dirty with
 * their data (read still sees it), and the next write back that works
 * puts every byte in the file.
 */
static int
prog_werr(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	vaddr_t buf = t_ubuf(p, PG(4));
	int64_t n = -1;
	voff_t pos;
	int fd = -1;

	T_EQ(r, sys_open(p, "w", OPEN_RDWR | OPEN_CREAT, &fd), 0);
	t_ustore(p, buf, PG(4), 0, 11);
	T_EQ(r, sys_write(p, fd, buf, PG(4), &n), 0);
	failpoint_arm(FP_FILEWRITE, 1, 2); /* two of the four fail */
	T_EQ(r, sys_fsync(p, fd), EIO);
	T_EQ(r, uvncounters.wrerrors, 2);
	T_EQ(r, sys_lseek(p, fd, 0, LSEEK_SET, &pos), 0);
	(void)proc_fill(p, buf, 0, PG(4));
	T_EQ(r, sys_read(p, fd, buf, PG(4), &n), 0);
	T_CHECK(r, t_usame(p, buf, PG(4), 0, 11));
	T_EQ(r, sys_fsync(p, fd), 0);
	/* the close's write back fails: EIO, the descriptor closed */
	T_EQ(r, sys_lseek(p, fd, PG(1), LSEEK_SET, &pos), 0);
	t_ustore(p, buf, 50, PG(1), 12);
	T_EQ(r, sys_write(p, fd, buf, 50, &n), 0);
	failpoint_arm(FP_FILEWRITE, 0, 1);
	T_EQ(r, sys_close(p, fd), EIO);
	T_EQ(r, sys_close(p, fd), EBADF);
	/* the object is gone: its last detach wrote the page */
	T_EQ(r, sys_open(p, "w", OPEN_RDONLY, &fd), 0);
	T_EQ(r, sys_read(p, fd, buf, PG(4), &n), 0);
	T_EQ(r, n, PG(4));
	T_CHECK(r, t_usame(p, buf, PG(1), 0, 11));
	T_CHECK(r, t_usame(p, buf + PG(1), 50, PG(1), 12));
	T_CHECK(r, t_usame(p, buf + PG(1) + 50, PG(3) - 50, PG(1) + 50, 11));
	T_EQ(r, sys_close(p, fd), 0); /* read-only: nothing to write */
	/* a file that can never be written: EIO, then said lost */
	T_EQ(r, sys_open(p, "v", OPEN_RDWR | OPEN_CREAT, &fd), 0);
	T_EQ(r, sys_write(p, fd, buf, 10, &n), 0);
	failpoint_arm(FP_FILEWRITE, 0, FAILPOINT_FOREVER);
	T_EQ(r, sys_close(p, fd), EIO);
	failpoint_disarm(FP_FILEWRITE);
	r->done = true;
	return 0;
}

ATF_TC_WITHOUT_HEAD(write_back_errors_reported);
ATF_TC_BODY(write_back_errors_reported, tc)
{
	struct t_res r = { 0 };
	unsigned char *want;
	char msgs[MSGBUFSIZE];

	t_boot(256);
	ATF_REQUIRE_EQ(t_run(prog_werr, &r), 0);
	t_res_ok(&r);
	(void)kern_msgbuf(msgs, sizeof(msgs));
	ATF_REQUIRE_MSG(strstr(msgs,
			    "uvm: file v: write back failed, "
			    "pages lost") != NULL,
	    "%s", msgs);
	ATF_REQUIRE(strstr(msgs, "uvm: file w: write back failed") == NULL);
	h_shutdown();
	want = malloc(PG(4));
	t_patfill(want, PG(4), 0, 11);
	t_patfill(want + PG(1), 50, PG(1), 12);
	t_host_same("w", want, PG(4));
	free(want);
	t_cleanup();
}

/*
 * A read that fails is EIO for the read (the process goes on; a fault
 * would be SIGBUS); a write that must read the page it covers in part
 * fails the same way and leaves the file as it was; both work again
 * afterwards.
 */
static int
prog_rerr(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	vaddr_t buf = t_ubuf(p, PG(2));
	int64_t n = -1;
	voff_t pos;
	int fd = -1;

	T_EQ(r, sys_open(p, "r", OPEN_RDWR, &fd), 0);
	failpoint_arm(FP_FILEREAD, 0, 1);
	T_EQ(r, sys_read(p, fd, buf, 10, &n), EIO);
	T_EQ(r, sys_lseek(p, fd, 0, LSEEK_CUR, &pos), 0);
	T_EQ(r, pos, 0);
	T_EQ(r, sys_read(p, fd, buf, 10, &n), 0);
	T_EQ(r, n, 10);
	T_CHECK(r, t_usame(p, buf, 10, 0, 13));
	/* page 5 is not resident (read-ahead took 0-3); half of it written */
	failpoint_arm(FP_FILEREAD, 0, 1);
	T_EQ(r, sys_lseek(p, fd, PG(5) + 100, LSEEK_SET, &pos), 0);
	T_EQ(r, sys_write(p, fd, buf, 10, &n), EIO);
	/* a write past the end that must read: the size is put back */
	failpoint_arm(FP_FILEREAD, 0, 1);
	T_EQ(r, sys_lseek(p, fd, PG(6) - 5, LSEEK_SET, &pos), 0);
	T_EQ(r, sys_write(p, fd, buf, 10, &n), EIO);
	T_EQ(r, sys_lseek(p, fd, 0, LSEEK_END, &pos), 0);
	T_EQ(r, pos, PG(6) - 1);
	T_EQ(r, sys_lseek(p, fd, PG(5), LSEEK_SET, &pos), 0);
	T_EQ(r, sys_read(p, fd, buf, PG(2), &n), 0);
	T_EQ(r, n, PG(1) - 1);
	T_CHECK(r, t_usame(p, buf, PG(1) - 1, PG(5), 13));
	T_EQ(r, sys_close(p, fd), 0);
	r->done = true;
	return 0;
}

ATF_TC_WITHOUT_HEAD(read_errors_are_eio);
ATF_TC_BODY(read_errors_are_eio, tc)
{
	struct t_res r = { 0 };
	unsigned char *want;

	t_boot(256);
	t_sandbox("r", PG(6) - 1, 13);
	ATF_REQUIRE_EQ(t_run(prog_rerr, &r), 0);
	t_res_ok(&r);
	h_shutdown();
	want = malloc(PG(6));
	t_patfill(want, PG(6) - 1, 0, 13);
	t_host_same("r", want, PG(6) - 1);
	free(want);
	t_cleanup();
}

/*
 * mmap takes a descriptor, and its mode bounds the mapping as NetBSD's
 * sys_mmap does (t_mmap.c's mmap_prot_1 and mmap_err): a shared
 * writable mapping of a read-only descriptor is EACCES, now and by a
 * later mprotect (the entry's maximum protection lacks write); a
 * private one may be written, the writes copied; a write-only one
 * cannot be mapped readable; no descriptor is EBADF, and one with
 * MMAP_ANON EINVAL.  The mapping outlives its descriptor.
 */
static int
prog_mmap_modes(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	vaddr_t va, s = 0, pv = 0, s2 = 0, buf = t_ubuf(p, PG(1));
	unsigned char c = 'X', got = 0;
	int ro = -1, wo = -1, rw = -1;
	int64_t n;

	T_EQ(r, sys_open(p, "q", OPEN_RDONLY, &ro), 0);
	T_EQ(r, sys_open(p, "q", OPEN_WRONLY, &wo), 0);
	T_EQ(r, sys_open(p, "q", OPEN_RDWR, &rw), 0);
	T_EQ(r, sys_mmap(p, 0, PG(2), RW, MMAP_SHARED, ro, 0, &va), EACCES);
	T_EQ(r, sys_mmap(p, 0, PG(2), VM_PROT_READ, MMAP_SHARED, ro, 0, &s), 0);
	T_EQ(r, sys_mprotect(p, s, PG(2), RW), EACCES);
	T_EQ(r, sys_mprotect(p, s, PG(2), VM_PROT_NONE), 0);
	T_EQ(r, sys_mprotect(p, s, PG(2), VM_PROT_READ), 0);
	T_CHECK(r, t_usame(p, s, PG(2), 0, 14));
	/* a maximum asked for beyond the descriptor's is not had */
	T_EQ(r,
	    sys_mmap(p, 0, PG(1), VM_PROT_READ | MMAP_PROT_MPROTECT(RW),
		MMAP_SHARED, ro, 0, &va),
	    0);
	T_EQ(r, sys_mprotect(p, va, PG(1), RW), EACCES);
	/* private: written, copied; the file and the shared view keep theirs */
	T_EQ(r, sys_mmap(p, 0, PG(2), RW, MMAP_PRIVATE, ro, 0, &pv), 0);
	(void)proc_store(p, pv + 10, &c, 1);
	(void)proc_load(p, pv + 10, &got, 1);
	T_EQ(r, got, 'X');
	T_CHECK(r, t_usame(p, s, PG(2), 0, 14));
	/* write-only: never readable; writable, private or shared */
	T_EQ(r, sys_mmap(p, 0, PG(1), VM_PROT_READ, MMAP_PRIVATE, wo, 0, &va),
	    EACCES);
	T_EQ(r, sys_mmap(p, 0, PG(1), VM_PROT_WRITE, MMAP_PRIVATE, wo, 0, &va),
	    0);
	T_EQ(r, sys_mmap(p, 0, PG(1), VM_PROT_WRITE, MMAP_SHARED, wo, 0, &va),
	    0);
	/* no descriptor, a closed one, one with MMAP_ANON */
	T_EQ(r, sys_mmap(p, 0, 3, VM_PROT_READ, MMAP_PRIVATE, -1, 0, &va),
	    EBADF);
	T_EQ(r, sys_mmap(p, 0, PG(1), VM_PROT_READ, MMAP_PRIVATE, 17, 0, &va),
	    EBADF);
	T_EQ(r,
	    sys_mmap(p, 0, PG(1), VM_PROT_READ, MMAP_ANON | MMAP_PRIVATE,
		INT_MAX, 0, &va),
	    EINVAL);
	/* the mapping outlives its descriptor */
	T_EQ(r, sys_mmap(p, 0, PG(2), RW, MMAP_SHARED, rw, 0, &s2), 0);
	T_EQ(r, sys_close(p, rw), 0);
	c = 'Y';
	(void)proc_store(p, s2 + 5, &c, 1);
	T_EQ(r, sys_read(p, ro, buf, 6, &n), 0);
	T_EQ(r, n, 6);
	(void)proc_load(p, buf + 5, &got, 1);
	T_EQ(r, got, 'Y');
	T_EQ(r, sys_close(p, ro), 0);
	T_EQ(r, sys_close(p, wo), 0);
	T_EQ(r, nfiles, 0);
	r->done = true;
	return 0;
}

ATF_TC_WITHOUT_HEAD(mmap_bounded_by_descriptor_mode);
ATF_TC_BODY(mmap_bounded_by_descriptor_mode, tc)
{
	struct t_res r = { 0 };
	unsigned char *want;

	t_boot(256);
	t_sandbox("q", PG(2), 14);
	ATF_REQUIRE_EQ(t_run(prog_mmap_modes, &r), 0);
	t_res_ok(&r);
	h_shutdown();
	want = malloc(PG(2));
	t_patfill(want, PG(2), 0, 14);
	want[5] = 'Y';
	t_host_same("q", want, PG(2));
	free(want);
	t_cleanup();
}

/*
 * The vnode pager's checker (run by --check and every test's shutdown)
 * sees a file object nobody references that is not being detached, and
 * a page count that does not match its pages.
 */
ATF_TC_WITHOUT_HEAD(checker_sees_bad_file_objects);
ATF_TC_BODY(checker_sees_bad_file_objects, tc)
{
	struct uvm_object *uobj;
	struct ubc_window win;
	vsize_t len = 1;

	t_boot(256);
	t_sandbox("c", PG(3), 15);
	ATF_REQUIRE_EQ(uvn_attach("c", false, &uobj), 0);
	ATF_REQUIRE_EQ(ubc_alloc(uobj, PG(2), &len, UBC_READ, &win), 0);
	ATF_REQUIRE_EQ(*win.uw_va, t_pat(PG(2), 15));
	ubc_release(&win, UBC_READ);
	ATF_REQUIRE_EQ(h_check_count(), 0);
	uobj->uo_refs = 0;
	ATF_REQUIRE_EQ(h_check_count(), 1);
	uobj->uo_refs = 1;
	uobj->uo_npages++;
	ATF_REQUIRE(h_check_count() >= 1);
	uobj->uo_npages--;
	ATF_REQUIRE_EQ(h_check_count(), 0);
	uvn_detach(uobj);
	h_shutdown();
	t_cleanup();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, write_then_read_every_byte);
	ATF_TP_ADD_TC(tp, write_seen_by_mapping_store_seen_by_read);
	ATF_TP_ADD_TC(tp, errors_as_netbsd);
	ATF_TP_ADD_TC(tp, ftruncate_takes_pages_from_mappings);
	ATF_TP_ADD_TC(tp, ftruncate_reaches_every_mapping);
	ATF_TP_ADD_TC(tp, write_past_end_extends_append_trunc);
	ATF_TP_ADD_TC(tp, fork_shares_files_exit_closes);
	ATF_TP_ADD_TC(tp, memory_pressure_every_byte);
	ATF_TP_ADD_TC(tp, memory_pressure_with_write_errors);
	ATF_TP_ADD_TC(tp, write_back_errors_reported);
	ATF_TP_ADD_TC(tp, read_errors_are_eio);
	ATF_TP_ADD_TC(tp, mmap_bounded_by_descriptor_mode);
	ATF_TP_ADD_TC(tp, checker_sees_bad_file_objects);
	return atf_no_error();
}
