/*
 * kern_core.c: core dumps -- a dying process's address space, written
 * as an ELF core into the core directory.
 *
 * uvm_coredump_walkmap says which segments there are and which are
 * dumped; their bytes are read as the kernel reads user memory
 * (copyin, which pages them back in from swap if need be); core_elf.c
 * writes the file.  The core of program `name' is `name.core' in the
 * core directory given at boot, created with mode 0600 (replacing an
 * older one, never following a symbolic link); with no core directory
 * no core is written.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kern/core_elf.h"
#include "kern/kern.h"
#include "machine/hostmem.h"

static int core_dirfd = -1;
static enum core_style core_style;
struct core_counters corecounters;

/*
 * kern_core_init: cores go to directory dir (NULL: none are written),
 * with the host debugger's notes, or NetBSD's if netbsd is set.
 *
 * => returns 0, or the errno value of opening it.
 */
int
kern_core_init(const char *dir, bool netbsd)
{
	core_dirfd = -1;
	core_style = netbsd ? CORE_STYLE_NETBSD : CORE_STYLE_HOST;
	corecounters.written = corecounters.failed = 0;
	if (dir == NULL)
		return 0;
	core_dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return core_dirfd < 0 ? errno : 0;
}

void
kern_core_fini(void)
{
	if (core_dirfd >= 0)
		close(core_dirfd);
	core_dirfd = -1;
}

/*
 * a core dump's state, on the heap: its dumper may be swapped out while
 * it waits, and its stack is then not there for a shutdown to read
 */
struct core_walk {
	struct core_seg *segs;
	int nseg, maxseg;
	int fd; /* the core file, once open (-1 before) */
};

/* a core dump that will never finish (shutdown): its memory and file */
static void
core_walk_cleanup(void *arg)
{
	struct core_walk *w = arg;

	free(w->segs);
	if (w->fd >= 0)
		close(w->fd);
	free(w);
}

/* uvm_coredump_walkmap's writer: note each segment (never fails) */
static int
core_walk_seg(struct proc *p __unused, struct uvm_coredump_state *st)
{
	struct core_walk *w = st->cookie;

	if (w->nseg == w->maxseg) {
		w->maxseg = w->maxseg == 0 ? 16 : 2 * w->maxseg;
		w->segs = hostmem_realloc(w->segs,
		    sizeof(*w->segs) * (size_t)w->maxseg);
	}
	w->segs[w->nseg++] = (struct core_seg){ st->start, st->end - st->start,
		st->prot, !(st->flags & UVM_COREDUMP_NODUMP) };
	return 0;
}

static int
core_read(void *arg, uint64_t va, void *buf, size_t len)
{
	struct proc *p = arg;

	return uvm_copyin(p->p_vmspace, (vaddr_t)va, buf, len);
}

/*
 * coredump: write the core of p, the running process, dying of the
 * signal ksi says, with its code and faulting address (signal 0: a
 * core taken on request, the process going on).
 *
 * => returns 0 if a core was written (logged, and posted as VMEV_CORE
 *    with the file's size in bytes); ENOENT with no core directory;
 *    else the errno value of what failed (counted, and logged).
 */
int
coredump(struct proc *p, const struct ksiginfo *ksi)
{
	struct core_walk *w;
	struct pstats *ps = proc_pstats(p);
	struct core_info ci = {
		.ci_style = core_style,
		.ci_name = p->p_comm,
		.ci_pid = p->p_pid,
		.ci_ppid = p->p_pptr != NULL ? p->p_pptr->p_pid : 0,
		.ci_signo = ksi->ksi_signo,
		.ci_sigcode = ksi->ksi_code,
		.ci_sigaddr = ksi->ksi_addr,
		.ci_utime_us = ps->p_ru.ru_utime,
		.ci_stime_us = ps->p_ru.ru_stime,
	};
	char name[sizeof(p->p_comm) + 8];
	struct kcleanup kc;
	struct stat st;
	off_t size = 0;
	int error;

	KASSERT(p == curproc);
	if (core_dirfd < 0)
		return ENOENT;
	w = hostmem_zalloc(1, sizeof(*w));
	w->fd = -1;
	/* reading the memory may fault and wait: hold w safely */
	kcleanup_push(&kc, core_walk_cleanup, w);
	error = uvm_coredump_walkmap(p, core_walk_seg, w);
	if (error == 0) {
		snprintf(name, sizeof(name), "%s.core", p->p_comm);
		w->fd = openat(core_dirfd, name,
		    O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
		    0600);
		if (w->fd < 0)
			error = errno;
		else {
			/* an older core keeps its mode: make it ours */
			if (fchmod(w->fd, 0600) != 0)
				error = errno;
			if (error == 0)
				error = core_elf_write(w->fd, &ci, w->segs,
				    w->nseg, core_read, p);
			/* its size, for the event */
			if (error == 0 && fstat(w->fd, &st) != 0)
				error = errno;
			else if (error == 0)
				size = st.st_size;
			if (close(w->fd) != 0 && error == 0)
				error = errno;
			w->fd = -1;
		}
	}
	kcleanup_pop(&kc);
	free(w->segs);
	free(w);
	if (error) {
		corecounters.failed++;
		kmsg("pid %d (%s): core dump failed: error %d", p->p_pid,
		    p->p_comm, error);
		return error;
	}
	corecounters.written++;
	kmsg("pid %d (%s): core dumped to %s", p->p_pid, p->p_comm, name);
	TRACE(TRC_SIGNAL, "pid %d (%s): core dumped to %s, %lld bytes",
	    p->p_pid, p->p_comm, name, (long long)size);
	VMEVENT(VMEV_CORE, p->p_pid, size, NULL);
	return 0;
}
