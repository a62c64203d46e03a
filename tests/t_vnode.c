/*
 * t_vnode.c: file-backed memory -- private and shared mappings, msync,
 * read-ahead, SIGBUS past the end of a file, truncation while mapped,
 * write-back by the pagedaemon, and the sandbox.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "h_util.h"
#include "uvm/uvm.h"

#define PG(n) ((vaddr_t)(n)*PAGE_SIZE)
#define RW    (VM_PROT_READ | VM_PROT_WRITE)
#define SEC   ((simtime_t)1000000)

static char t_dir[64];

/* the sandbox's file `name' of len bytes: byte i is 'a' + i % 23 */
static void
t_sandbox(const char *name, size_t len)
{
	char path[128];
	unsigned char *buf;
	size_t i;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", t_dir, name);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	ATF_REQUIRE(fd >= 0);
	buf = malloc(len + 1);
	ATF_REQUIRE(buf != NULL);
	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)('a' + i % 23);
	ATF_REQUIRE_EQ(write(fd, buf, len), (ssize_t)len);
	free(buf);
	close(fd);
}

/* boot with a new, empty sandbox directory */
static void
t_boot(size_t npages)
{
	struct machine_config mc;

	snprintf(t_dir, sizeof(t_dir), "/tmp/uvmsim-vn.XXXXXX");
	ATF_REQUIRE(mkdtemp(t_dir) != NULL);
	machine_config_default(&mc);
	mc.mc_npages = npages;
	mc.mc_swapslots = 256;
	mc.mc_filedir = t_dir;
	h_boot_kern_config(&mc);
}

/* the byte at offset off of the host file `name' */
static int
t_file_byte(const char *name, off_t off)
{
	char path[128];
	unsigned char c;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", t_dir, name);
	fd = open(path, O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	if (pread(fd, &c, 1, off) != 1)
		c = 0;
	close(fd);
	return c;
}

static void
t_cleanup(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", t_dir, name);
	(void)unlink(path);
	(void)rmdir(t_dir);
}

struct t_res {
	int err[8];
	unsigned char got[8];
	bool done;
};

static void
t_run(proc_prog_t prog, struct t_res *r, int *statusp)
{
	struct proc *p;
	int pid;

	ATF_REQUIRE_EQ(kern_spawn("t_vnode", prog, r, &p), 0);
	pid = p->p_pid;
	h_run_idle();
	ATF_REQUIRE_EQ(kern_collect(pid, statusp), 0);
}

/* a private mapping reads the file; its writes stay in its copy */
static int
prog_private(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	vaddr_t va = 0;
	char c = 'X';

	r->err[0] = h_mmap_file(p, 0, PG(3), RW, MMAP_PRIVATE, "f", 0, &va);
	if (r->err[0])
		return 1;
	(void)proc_load(p, va + 5, &r->got[0], 1);
	(void)proc_store(p, va + 5, &c, 1);
	(void)proc_load(p, va + 5, &r->got[1], 1);
	r->err[1] = sys_msync(p, va, PG(3), MS_SYNC);
	r->done = true;
	return 0;
}

ATF_TC_WITHOUT_HEAD(private_mapping_copies_on_write);
ATF_TC_BODY(private_mapping_copies_on_write, tc)
{
	struct t_res r = { 0 };
	int status;

	t_boot(256);
	t_sandbox("f", PG(3));
	t_run(prog_private, &r, &status);
	ATF_REQUIRE_EQ(status, 0);
	ATF_REQUIRE(r.done);
	ATF_REQUIRE_EQ(r.got[0], 'a' + 5);
	ATF_REQUIRE_EQ(r.got[1], 'X');
	ATF_REQUIRE_EQ(r.err[1], 0);
	ATF_REQUIRE_EQ(uvmexp.flt_prcopy, 1);
	ATF_REQUIRE_EQ(t_file_byte("f", 5), 'a' + 5); /* the file kept its */
	/* the first fault read the page and the two after it */
	ATF_REQUIRE_EQ(uvncounters.reads, 1);
	ATF_REQUIRE_EQ(uvncounters.readahead, 2);
	h_shutdown();
	t_cleanup("f");
}

/* two processes share a file mapping: each sees the other's writes */
static int
prog_share_child(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	vaddr_t va = 0;
	char c = 'C';

	if (h_mmap_file(p, 0, PG(2), RW, MMAP_SHARED, "s", 0, &va) != 0)
		return 1;
	(void)proc_sleep(p, SEC);
	(void)proc_load(p, va + 100, &r->got[2], 1); /* the parent's */
	(void)proc_store(p, va + PG(1) + 7, &c, 1);
	return 0;
}

static int
prog_share(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	vaddr_t va = 0;
	char c = 'P';
	int status;

	if (h_mmap_file(p, 0, PG(2), RW, MMAP_SHARED, "s", 0, &va) != 0)
		return 1;
	if (proc_fork(p, prog_share_child, r, NULL) != 0)
		return 2;
	(void)proc_store(p, va + 100, &c, 1);
	(void)kern_wait(p, -1, &status, 0);
	(void)proc_load(p, va + PG(1) + 7, &r->got[3], 1); /* the child's */
	r->got[4] = (unsigned char)t_file_byte("s", 100);  /* not synced yet */
	r->err[0] = sys_msync(p, va, PG(2), MS_SYNC);
	r->err[1] = sys_msync(p, va + 1, PG(1), MS_SYNC);
	r->err[2] = sys_msync(p, va, PG(1), MS_SYNC | MS_ASYNC);
	r->err[3] = sys_msync(p, va + PG(64), PG(1), MS_SYNC);
	r->done = true;
	return status;
}

ATF_TC_WITHOUT_HEAD(shared_mapping_seen_by_all_msync_writes);
ATF_TC_BODY(shared_mapping_seen_by_all_msync_writes, tc)
{
	struct t_res r = { 0 };
	int status;

	t_boot(256);
	t_sandbox("s", PG(2));
	t_run(prog_share, &r, &status);
	ATF_REQUIRE_EQ(status, 0);
	ATF_REQUIRE(r.done);
	ATF_REQUIRE_EQ(r.got[2], 'P');
	ATF_REQUIRE_EQ(r.got[3], 'C');
	ATF_REQUIRE_EQ(r.got[4], 'a' + 100 % 23);
	ATF_REQUIRE_EQ(r.err[0], 0);
	ATF_REQUIRE_EQ(t_file_byte("s", 100), 'P');
	ATF_REQUIRE_EQ(t_file_byte("s", PG(1) + 7), 'C');
	ATF_REQUIRE_EQ(r.err[1], EINVAL); /* unaligned */
	ATF_REQUIRE_EQ(r.err[2], EINVAL); /* both */
	ATF_REQUIRE_EQ(r.err[3], ENOMEM); /* not mapped */
	ATF_REQUIRE(uvncounters.pgwrites >= 2);
	h_shutdown();
	t_cleanup("s");
}

/*
 * A file of 1.5 pages mapped over 3: the half page past the end reads
 * as zeros; the page wholly past it is SIGBUS.
 */
static int
prog_eof(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	vaddr_t va = 0;

	if (h_mmap_file(p, 0, PG(3), VM_PROT_READ, MMAP_PRIVATE, "e", 0, &va) !=
	    0)
		return 1;
	(void)proc_load(p, va + PG(1) + PG(1) / 2 - 1, &r->got[0], 1);
	(void)proc_load(p, va + PG(1) + PG(1) / 2, &r->got[1], 1);
	r->done = true;
	(void)proc_load(p, va + PG(2), &r->got[2], 1);
	return 0;
}

ATF_TC_WITHOUT_HEAD(past_end_of_file_is_sigbus);
ATF_TC_BODY(past_end_of_file_is_sigbus, tc)
{
	struct t_res r = { 0 };
	int status;

	t_boot(256);
	t_sandbox("e", PG(1) + PG(1) / 2);
	t_run(prog_eof, &r, &status);
	ATF_REQUIRE(r.done);
	ATF_REQUIRE_EQ(r.got[0], 'a' + (PG(1) + PG(1) / 2 - 1) % 23);
	ATF_REQUIRE_EQ(r.got[1], 0);
	ATF_REQUIRE_EQ(status & 0x7f, SIGBUS);
	h_shutdown();
	t_cleanup("e");
}

/* truncation while mapped: the pages past the new end go (SIGBUS) */
static int
prog_trunc(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	vaddr_t va = 0;

	if (h_mmap_file(p, 0, PG(4), RW, MMAP_SHARED, "t", 0, &va) != 0)
		return 1;
	(void)proc_load(p, va + PG(3), &r->got[0], 1);
	r->err[0] = proc_truncate(p, "t", PG(1) + 10);
	(void)proc_load(p, va + 9, &r->got[1], 1);
	(void)proc_load(p, va + PG(1) + 10, &r->got[2], 1); /* zeroed tail */
	r->err[1] = proc_truncate(p, "../t", 0);
	r->done = true;
	(void)proc_load(p, va + PG(3), &r->got[3], 1);
	return 0;
}

ATF_TC_WITHOUT_HEAD(truncate_while_mapped);
ATF_TC_BODY(truncate_while_mapped, tc)
{
	struct t_res r = { 0 };
	int status;

	t_boot(256);
	t_sandbox("t", PG(4));
	t_run(prog_trunc, &r, &status);
	ATF_REQUIRE(r.done);
	ATF_REQUIRE_EQ(r.got[0], 'a' + PG(3) % 23);
	ATF_REQUIRE_EQ(r.err[0], 0);
	ATF_REQUIRE_EQ(r.got[1], 'a' + 9);
	ATF_REQUIRE_EQ(r.got[2], 0);
	ATF_REQUIRE_EQ(r.err[1], EINVAL);
	ATF_REQUIRE_EQ(status & 0x7f, SIGBUS);
	h_shutdown();
	t_cleanup("t");
}

/* only plain names in the sandbox; links refused */
static int
prog_names(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	vaddr_t va = 0;

	r->err[0] = h_mmap_file(p, 0, PG(1), RW, MMAP_SHARED, "../etc", 0, &va);
	r->err[1] =
	    h_mmap_file(p, 0, PG(1), RW, MMAP_SHARED, "/etc/passwd", 0, &va);
	r->err[2] = h_mmap_file(p, 0, PG(1), RW, MMAP_SHARED, "..", 0, &va);
	r->err[3] = h_mmap_file(p, 0, PG(1), RW, MMAP_SHARED, "link", 0, &va);
	r->err[4] =
	    h_mmap_file(p, 0, PG(1), RW, MMAP_SHARED, "missing", 0, &va);
	/* a good name at a bad offset (mmap takes an unaligned one) */
	r->err[5] =
	    h_mmap_file(p, 0, PG(1), RW, MMAP_SHARED, "n", -(voff_t)PG(1), &va);
	r->done = true;
	return 0;
}

ATF_TC_WITHOUT_HEAD(sandbox_names_only);
ATF_TC_BODY(sandbox_names_only, tc)
{
	struct t_res r = { 0 };
	char link[128];
	int status;

	t_boot(256);
	t_sandbox("n", PG(1));
	snprintf(link, sizeof(link), "%s/link", t_dir);
	ATF_REQUIRE_EQ(symlink("/etc/passwd", link), 0);
	t_run(prog_names, &r, &status);
	ATF_REQUIRE(r.done);
	ATF_REQUIRE_EQ(r.err[0], EINVAL);
	ATF_REQUIRE_EQ(r.err[1], EINVAL);
	ATF_REQUIRE_EQ(r.err[2], EINVAL);
	ATF_REQUIRE_EQ(r.err[3], ELOOP);
	ATF_REQUIRE_EQ(r.err[4], ENOENT);
	ATF_REQUIRE_EQ(r.err[5], EINVAL);
	h_shutdown();
	(void)unlink(link);
	t_cleanup("n");
}

/*
 * Under memory pressure the pagedaemon writes dirty file pages back to
 * the file and frees them; read again, they come from the file.
 */
static int
prog_dirty(struct proc *p, void *arg)
{
	struct t_res *r = arg;
	vaddr_t va = 0;
	int i;

	if (h_mmap_file(p, 0, PG(32), RW, MMAP_SHARED, "d", 0, &va) != 0)
		return 1;
	for (i = 0; i < 32; i++)
		(void)proc_fill(p, va + PG(i), 'A' + i % 26, PAGE_SIZE);
	(void)proc_sleep(p, 5 * SEC);
	for (i = 0; i < 32; i++) {
		(void)proc_load(p, va + PG(i) + 3, &r->got[0], 1);
		if (r->got[0] != 'A' + i % 26)
			r->err[0]++;
	}
	r->done = true;
	return 0;
}

ATF_TC_WITHOUT_HEAD(pagedaemon_writes_file_pages_back);
ATF_TC_BODY(pagedaemon_writes_file_pages_back, tc)
{
	struct vm_page *pgs[512];
	struct t_res r = { 0 };
	struct proc *p;
	int i, n, pid, status, back = 0;

	t_boot(128);
	t_sandbox("d", PG(32));
	ATF_REQUIRE_EQ(kern_spawn("dirty", prog_dirty, &r, &p), 0);
	pid = p->p_pid;
	ATF_REQUIRE(!kern_run(SEC));
	n = h_drain(pgs, 512, uvmexp.freemin - 1);
	ATF_REQUIRE(!kern_run(3 * SEC));
	ATF_REQUIRE(uvncounters.pgwrites > 0);
	for (i = 0; i < 32; i++)
		back += t_file_byte("d", PG(i) + 3) == 'A' + i % 26;
	ATF_REQUIRE_EQ((uint64_t)back, uvncounters.pgwrites);
	h_undrain(pgs, n);
	h_run_idle();
	ATF_REQUIRE(r.done);
	ATF_REQUIRE_EQ(r.err[0], 0);
	ATF_REQUIRE_EQ(kern_collect(pid, &status), 0);
	ATF_REQUIRE_EQ(status, 0);
	h_shutdown();
	/* unmapped at exit: every dirty page reached the file */
	for (i = 0; i < 32; i++)
		ATF_REQUIRE_EQ(t_file_byte("d", PG(i) + 3), 'A' + i % 26);
	t_cleanup("d");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, private_mapping_copies_on_write);
	ATF_TP_ADD_TC(tp, shared_mapping_seen_by_all_msync_writes);
	ATF_TP_ADD_TC(tp, past_end_of_file_is_sigbus);
	ATF_TP_ADD_TC(tp, truncate_while_mapped);
	ATF_TP_ADD_TC(tp, sandbox_names_only);
	ATF_TP_ADD_TC(tp, pagedaemon_writes_file_pages_back);
	return atf_no_error();
}
