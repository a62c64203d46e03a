/*
 * scen_run.c: running a scenario.
 *
 * The host commands run in order on the host, outside the simulated
 * threads: they start processes, let the machine run, print reports
 * and check expectations.  Each process runs its program, a block of
 * statements, in its own thread: every statement is a system call or a
 * memory access of that process, costing simulated time, and a signal
 * it earns takes effect at once.  A forked child runs the fork's block
 * with a copy of its parent's variables.
 *
 * What a process prints is stamped with the simulated time and the
 * process's name and pid.  A statement whose result is not the one
 * expected (success, unless => says otherwise), a verify that finds
 * other bytes, and an expect that does not hold are each reported with
 * the scenario's file, line and column; the run goes on, and uvmsim
 * exits with status 1 at the end.
 */

#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/scen_exec.h"
#include "sim/series.h"
#include "sys/file.h"

#define RAWDEV_SIZE ((size_t)1 << 20) /* the raw device of physio */

static struct srun *srun; /* the scenario running (for the exit hook) */

/* pname: the name of process sp */
const char *
pname(const struct srun *r, const struct sproc *sp)
{
	return r->sc->sc_procs[sp->sp_name];
}

/* sfail: a failure, counted, in a located message: FILE:LINE:COL: ... */
void
sfail(struct srun *r, const struct scen_stmt *st, const char *fmt, ...)
{
	va_list ap;

	fprintf(r->out, "%s:%d:%d: ", r->sc->sc_file, st->ss_line, st->ss_col);
	va_start(ap, fmt);
	vfprintf(r->out, fmt, ap);
	va_end(ap);
	fputc('\n', r->out);
	r->nfailed++;
}

static void
stamp(FILE *f)
{
	simtime_t t = clock_now();

	fprintf(f, "[%4llu.%06llu] ", (unsigned long long)(t / SEC),
	    (unsigned long long)(t % SEC));
}

/* a process's line of output */
static void __printflike(3, 4)
    psay(struct srun *r, struct sproc *sp, const char *fmt, ...)
{
	va_list ap;

	stamp(r->out);
	fprintf(r->out, "%s[%d]: ", pname(r, sp), sp->sp_pid);
	va_start(ap, fmt);
	vfprintf(r->out, fmt, ap);
	va_end(ap);
	fputc('\n', r->out);
}

/* sproc_free: forget a process of the scenario and its buffers */
static void
sproc_free(struct sproc *sp)
{
	free(sp->sp_vars);
	free(sp->sp_buf);
	free(sp->sp_buf2);
	free(sp);
}

static struct sproc *
sproc_new(struct srun *r, int name, const uint64_t *vars,
    const struct scen_block *body)
{
	struct sproc *sp, **v;
	size_t n = (size_t)r->sc->sc_nvars + 1;

	if (r->nprocs == r->capprocs) {
		int cap = r->capprocs ? r->capprocs * 2 : 16;

		v = realloc(r->procs, (size_t)cap * sizeof(*v));
		if (v == NULL)
			return NULL;
		r->procs = v;
		r->capprocs = cap;
	}
	sp = calloc(1, sizeof(*sp));
	if (sp == NULL)
		return NULL;
	sp->sp_vars = calloc(n, sizeof(*sp->sp_vars));
	sp->sp_buf = malloc(CHUNK);
	sp->sp_buf2 = malloc(CHUNK);
	if (sp->sp_vars == NULL || sp->sp_buf == NULL || sp->sp_buf2 == NULL) {
		sproc_free(sp);
		return NULL;
	}
	if (vars != NULL)
		memcpy(sp->sp_vars, vars, n * sizeof(*vars));
	sp->sp_name = name;
	sp->sp_body = body;
	r->procs[r->nprocs++] = sp;
	return sp;
}

/* sproc_byname: the latest process of that name, or NULL */
struct sproc *
sproc_byname(struct srun *r, int name)
{
	int i;

	for (i = r->nprocs - 1; i >= 0; i--)
		if (r->procs[i]->sp_name == name && r->procs[i]->sp_pid != 0)
			return r->procs[i];
	return NULL;
}

/* kern_exit_hook: note how a process of the scenario ended */
static void
scen_exit_hook(struct proc *p, int status)
{
	struct srun *r = srun;
	int i;

	if (r == NULL)
		return;
	for (i = r->nprocs - 1; i >= 0; i--) {
		struct sproc *sp = r->procs[i];

		if (sp->sp_p != p)
			continue;
		sp->sp_exited = true;
		sp->sp_status = status;
		sp->sp_ru = proc_pstats(p)->p_ru;
		sp->sp_p = NULL;
		if (WIFSIGNALED(status))
			psay(r, sp, "killed by SIG%s%s",
			    scen_signame(WTERMSIG(status)),
			    (status & W_COREFLAG) ? " (core dumped)" : "");
		else
			psay(r, sp, "exited, status %d", WEXITSTATUS(status));
		return;
	}
}

/*
 * checks
 */

/*
 * after every statement: the report must still be writable (a full disk,
 * or the --max-output bound, stops the run); with --check, every
 * checker runs
 */
static void
scen_check(struct srun *r, const struct scen_stmt *st)
{
	struct kcheck kc;

	if (ferror(r->out))
		r->abort = true;
	if (!r->opts->check || r->abort)
		return;
	kcheck_init(&kc);
	if (uvm_check_all(&kc, true) != 0) {
		sfail(r, st,
		    "consistency check failed after this statement: %u "
		    "problem%s, the first: %s",
		    kc.kc_nerr, kc.kc_nerr == 1 ? "" : "s", kc.kc_msg);
		r->abort = true;
	}
}

/*
 * data
 */

/* byte i of pattern seed (i counts from the start of the range) */
static uint8_t
pattern_byte(uint64_t seed, uint64_t i)
{
	uint64_t x = seed * 0x9e3779b97f4a7c15ULL + i;

	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 29;
	return (uint8_t)(x ^ (x >> 7));
}

/*
 * data_fill: bytes [off, off + n) of data d into buf.  A pattern's
 * bytes are numbered from `base' on: a range's from the variable its
 * address names (the range buf+8k starts at byte 8k of the pattern), so
 * a part of a range can be checked on its own, and a file's by file
 * offset.  Text is followed by zeros.
 */
static void
data_fill(const struct scen_data *d, uint64_t base, uint64_t off, uint8_t *buf,
    size_t n)
{
	size_t i, have;

	switch (d->sd_kind) {
	case SD_BYTE:
		memset(buf, (int)d->sd_value, n);
		break;
	case SD_PATTERN:
		for (i = 0; i < n; i++)
			buf[i] = pattern_byte(d->sd_value, base + off + i);
		break;
	case SD_TEXT:
		have = off < d->sd_textlen ? MIN(n, d->sd_textlen - off) : 0;
		if (have > 0)
			memcpy(buf, d->sd_text + off, have);
		memset(buf + have, 0, n - have);
		break;
	}
}

/*
 * the program
 */

/* addr_of: the address a names, in process sp (p) */
vaddr_t
addr_of(struct sproc *sp, struct proc *p, const struct scen_addr *a)
{
	struct vmspace *vm = p->p_vmspace;
	vaddr_t base = 0;

	switch (a->sa_var) {
	case SV_NONE:
		break;
	case SV_STACK:
		base = USRSTACK;
		break;
	case SV_DATA:
		base = vm->vm_daddr;
		break;
	case SV_BREAK:
		base = vm->vm_daddr + ptoa(vm->vm_dsize);
		break;
	default:
		base = sp->sp_vars[a->sa_var];
		break;
	}
	return base + (vaddr_t)a->sa_off;
}

/* the cost of a system call, and the signals it may deliver */
static void
syscall_return(struct proc *p)
{
	kern_charge(PROC_ACCESS_US, false);
	userret(p);
}

/* a system call's result, checked, then its return */
static void
syscall_done(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st, int error)
{
	scen_result(r, sp, st, scen_stmt_def(st->ss_op)->sd_name, error);
	syscall_return(p);
}

static int scen_prog(struct proc *, void *);
static void exec_block(struct srun *, struct sproc *, struct proc *,
    const struct scen_block *);

static int fd_of(struct sproc *, struct proc *, const struct scen_addr *);

/*
 * scx_mmap: mmap; the variable is set only if it succeeds.  A file
 * named (file NAME) is opened read-write for the call alone and closed
 * after it, as a program would: mmap takes a descriptor.
 */
void
scx_mmap(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	const char *file = st->ss_u.mmap.file;
	vaddr_t ret;
	int fd = -1, error;

	if (file != NULL && (error = sys_open(p, file, OPEN_RDWR, &fd)) != 0) {
		syscall_done(r, sp, p, st, error);
		return;
	}
	if (st->ss_u.mmap.has_fd)
		fd = fd_of(sp, p, &st->ss_u.mmap.fd);
	error = sys_mmap(p, addr_of(sp, p, &st->ss_u.mmap.addr),
	    st->ss_u.mmap.len, st->ss_u.mmap.prot, st->ss_u.mmap.flags, fd,
	    (voff_t)st->ss_u.mmap.offset, &ret);
	if (file != NULL)
		(void)sys_close(p, fd);
	if (error == 0)
		sp->sp_vars[st->ss_u.mmap.var] = ret;
	syscall_done(r, sp, p, st, error);
}

void
scx_munmap(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	const struct scen_range *rg = &st->ss_u.range;

	syscall_done(r, sp, p, st,
	    sys_munmap(p, addr_of(sp, p, &rg->sr_addr), rg->sr_len));
}

void
scx_mprotect(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	const struct scen_range *rg = &st->ss_u.mprotect.r;

	syscall_done(r, sp, p, st,
	    sys_mprotect(p, addr_of(sp, p, &rg->sr_addr), rg->sr_len,
		st->ss_u.mprotect.prot));
}

void
scx_minherit(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	const struct scen_range *rg = &st->ss_u.minherit.r;

	syscall_done(r, sp, p, st,
	    sys_minherit(p, addr_of(sp, p, &rg->sr_addr), rg->sr_len,
		st->ss_u.minherit.inherit));
}

void
scx_madvise(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	const struct scen_range *rg = &st->ss_u.madvise.r;

	syscall_done(r, sp, p, st,
	    sys_madvise(p, addr_of(sp, p, &rg->sr_addr), rg->sr_len,
		st->ss_u.madvise.advice));
}

void
scx_mlock(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	const struct scen_range *rg = &st->ss_u.range;

	syscall_done(r, sp, p, st,
	    sys_mlock(p, addr_of(sp, p, &rg->sr_addr), rg->sr_len));
}

void
scx_munlock(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	const struct scen_range *rg = &st->ss_u.range;

	syscall_done(r, sp, p, st,
	    sys_munlock(p, addr_of(sp, p, &rg->sr_addr), rg->sr_len));
}

void
scx_mlockall(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	syscall_done(r, sp, p, st, sys_mlockall(p, st->ss_u.mlockall.flags));
}

void
scx_munlockall(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	syscall_done(r, sp, p, st, sys_munlockall(p));
}

void
scx_msync(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	const struct scen_range *rg = &st->ss_u.msync.r;

	syscall_done(r, sp, p, st,
	    sys_msync(p, addr_of(sp, p, &rg->sr_addr), rg->sr_len,
		st->ss_u.msync.flags));
}

/*
 * scx_mincore: mincore; the residency is printed as digits 0 and 1, or
 * checked against the one expected.
 */
void
scx_mincore(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	const struct scen_range *rg = &st->ss_u.mincore.r;
	const char *bits = st->ss_u.mincore.bits;
	vaddr_t va = addr_of(sp, p, &rg->sr_addr);
	size_t n = (size_t)atop(round_page(rg->sr_len)), i;
	char *vec = NULL, *s;
	int error;

	if (n > 0 && (vec = malloc(n + 1)) == NULL) {
		sfail(r, st, "mincore: out of host memory");
		return;
	}
	error = sys_mincore(p, va, rg->sr_len, vec);
	scen_result(r, sp, st, "mincore", error);
	if (error == 0) {
		for (i = 0, s = vec; i < n; i++)
			s[i] = s[i] ? '1' : '0';
		if (vec != NULL)
			vec[n] = '\0';
		if (bits != NULL)
			r->nexpect++;
		if (bits == NULL)
			psay(r, sp, "mincore 0x%llx: %s",
			    (unsigned long long)va, vec != NULL ? vec : "");
		else if (strcmp(vec != NULL ? vec : "", bits) != 0)
			sfail(r, st,
			    "%s[%d]: mincore: resident %s, expected %s",
			    pname(r, sp), sp->sp_pid, vec != NULL ? vec : "",
			    bits);
	}
	free(vec);
	syscall_return(p);
}

void
scx_brk(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	syscall_done(r, sp, p, st,
	    sys_obreak(p, addr_of(sp, p, &st->ss_u.brk.addr)));
}

void
scx_sbrk(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	struct vmspace *vm = p->p_vmspace;

	syscall_done(r, sp, p, st,
	    sys_obreak(p,
		vm->vm_daddr + ptoa(vm->vm_dsize) + st->ss_u.sbrk.incr));
}

/*
 * scx_setrlimit: setrlimit; what the statement does not set stays as
 * it is.
 */
void
scx_setrlimit(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	int which = st->ss_u.setrlimit.resource;
	struct rlimit rl = p->p_rlimit[which];

	if (st->ss_u.setrlimit.soft)
		rl.rlim_cur = st->ss_u.setrlimit.cur;
	if (st->ss_u.setrlimit.hard)
		rl.rlim_max = st->ss_u.setrlimit.max;
	syscall_done(r, sp, p, st, dosetrlimit(p, which, &rl));
}

void
scx_store(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	(void)proc_store(p, addr_of(sp, p, &st->ss_u.store.addr),
	    st->ss_u.store.text.sd_text, st->ss_u.store.text.sd_textlen);
}

void
scx_fill(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	const struct scen_range *rg = &st->ss_u.fill.r;
	const struct scen_data *d = &st->ss_u.fill.data;
	vaddr_t va = addr_of(sp, p, &rg->sr_addr);
	uint64_t off;
	size_t n;

	if (d->sd_kind == SD_BYTE) {
		(void)proc_fill(p, va, (int)d->sd_value, rg->sr_len);
		return;
	}
	for (off = 0; off < rg->sr_len; off += n) {
		n = (size_t)MIN(rg->sr_len - off, CHUNK);
		data_fill(d, (uint64_t)rg->sr_addr.sa_off, off, sp->sp_buf, n);
		(void)proc_store(p, va + off, sp->sp_buf, n);
	}
}

void
scx_load(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	const struct scen_range *rg = &st->ss_u.range;
	vaddr_t va = addr_of(sp, p, &rg->sr_addr);
	uint64_t off;
	size_t n;

	for (off = 0; off < rg->sr_len; off += n) {
		n = (size_t)MIN(rg->sr_len - off, CHUNK);
		(void)proc_load(p, va + off, sp->sp_buf, n);
	}
}

/* scx_verify: verify; only the first byte that differs is reported */
void
scx_verify(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	const struct scen_range *rg = &st->ss_u.verify.r;
	const struct scen_data *d = &st->ss_u.verify.data;
	vaddr_t va = addr_of(sp, p, &rg->sr_addr);
	uint64_t off;
	size_t n, i;

	r->nexpect++;
	for (off = 0; off < rg->sr_len; off += n) {
		n = (size_t)MIN(rg->sr_len - off, CHUNK);
		(void)proc_load(p, va + off, sp->sp_buf, n);
		data_fill(d, (uint64_t)rg->sr_addr.sa_off, off, sp->sp_buf2, n);
		if (memcmp(sp->sp_buf, sp->sp_buf2, n) == 0)
			continue;
		for (i = 0; sp->sp_buf[i] == sp->sp_buf2[i]; i++)
			continue;
		sfail(r, st,
		    "%s[%d]: verify: byte 0x%llx (at 0x%llx) is 0x%02x, "
		    "expected 0x%02x",
		    pname(r, sp), sp->sp_pid, (unsigned long long)(off + i),
		    (unsigned long long)(va + off + i), sp->sp_buf[i],
		    sp->sp_buf2[i]);
		return;
	}
}

/*
 * scx_touch: one byte of each page of the range in order, or of
 * `random' pages chosen by the process's generator; a write touch
 * writes back the byte it read.
 */
void
scx_touch(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	const struct scen_range *rg = &st->ss_u.touch.r;
	vaddr_t va = addr_of(sp, p, &rg->sr_addr);
	vaddr_t start = trunc_page(va), end = round_page(va + rg->sr_len);
	uint64_t npages = atop(end - start), i, pg;
	uint64_t nrandom = st->ss_u.touch.random;
	uint8_t c;

	if (npages == 0)
		return;
	for (i = 0; i < (nrandom != 0 ? nrandom : npages); i++) {
		if (nrandom != 0) {
			/* xorshift: the same seed touches the same pages */
			sp->sp_rng ^= sp->sp_rng << 13;
			sp->sp_rng ^= sp->sp_rng >> 7;
			sp->sp_rng ^= sp->sp_rng << 17;
			pg = sp->sp_rng % npages;
		} else
			pg = i;
		(void)proc_load(p, start + ptoa(pg), &c, 1);
		if (st->ss_u.touch.write)
			(void)proc_store(p, start + ptoa(pg), &c, 1);
	}
}

/* scx_sysctl: sysctl; an integer read is printed */
void
scx_sysctl(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	const char *name = st->ss_u.sysctl.name;
	vaddr_t va = addr_of(sp, p, &st->ss_u.sysctl.addr);
	size_t len = 0;
	uint32_t v;
	int error;

	error = kern_sysctl(p, name, 0, &len);
	if (error == 0)
		error = kern_sysctl(p, name, va, &len);
	scen_result(r, sp, st, "sysctl", error);
	if (error == 0) {
		if (len == sizeof(v)) {
			(void)proc_load(p, va, &v, sizeof(v));
			psay(r, sp, "sysctl %s = %u", name, v);
		} else
			psay(r, sp, "sysctl %s: %zu bytes at 0x%llx", name, len,
			    (unsigned long long)va);
	}
	syscall_return(p);
}

/*
 * scx_fork: fork a child running the block, with a copy of sp's
 * variables.
 */
void
scx_fork(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	int name = st->ss_u.fork.proc;
	struct sproc *child;
	struct proc *c;
	int error;

	child = sproc_new(r, name, sp->sp_vars, &st->ss_body);
	if (child == NULL) {
		sfail(r, st, "fork: out of host memory");
		return;
	}
	child->sp_rng = sp->sp_rng ^ 0x5bd1e995;
	error = proc_fork(p, scen_prog, child, &c);
	if (error == 0) {
		child->sp_pid = c->p_pid;
		child->sp_p = c;
		snprintf(c->p_comm, sizeof(c->p_comm), "%s",
		    r->sc->sc_procs[name]);
	}
	syscall_done(r, sp, p, st, error);
}

void
scx_exit(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	sp->sp_exiting = true;
	sp->sp_xstatus = st->ss_u.exit.status;
}

void
scx_wait(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	int name = st->ss_u.wait.proc, status, error;
	struct sproc *t = name >= 0 ? sproc_byname(r, name) : NULL;

	error = kern_wait(p, t != NULL ? t->sp_pid : -1, &status, 0);
	syscall_done(r, sp, p, st, error < 0 ? -error : 0);
}

void
scx_sleep(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	(void)proc_sleep(p, st->ss_u.sleep.time);
}

void
scx_compute(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	proc_compute(p, st->ss_u.compute.time);
}

void
scx_nice(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	p->p_nice = NZERO + st->ss_u.nice.nice;
	resetpriority(p);
	syscall_return(p);
}

/*
 * scx_kill: send the signal.  In a program a process not running is
 * ESRCH, the call's result; on the host it is a failed command.
 */
void
scx_kill(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	int name = st->ss_u.kill.proc;
	struct sproc *t = name < 0 ? sp : sproc_byname(r, name);
	bool running = t != NULL && t->sp_p != NULL;

	if (running)
		kpsignal(t->sp_p, st->ss_u.kill.sig);
	if (sp != NULL)
		syscall_done(r, sp, p, st, running ? 0 : ESRCH);
	else if (!running)
		sfail(r, st, "kill: %s is not running", r->sc->sc_procs[name]);
}

void
scx_loop(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	uint64_t i;

	for (i = 0; i < st->ss_u.loop.count && !sp->sp_exiting && !r->abort;
	     i++)
		exec_block(r, sp, p, &st->ss_body);
}

void
scx_physio(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	const struct scen_range *rg = &st->ss_u.physio.r;

	syscall_done(r, sp, p, st,
	    physio(p, r->rawdev, (voff_t)st->ss_u.physio.offset,
		addr_of(sp, p, &rg->sr_addr), rg->sr_len, st->ss_u.physio.rw));
}

/* scx_core: a core written on request: no signal (0), no address */
void
scx_core(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	static const struct ksiginfo none = { 0, 0, 0 };
	int error = coredump(p, &none);

	if (error == 0)
		psay(r, sp, "core dumped on request");
	syscall_done(r, sp, p, st, error);
}

/* scx_truncate: truncate a sandbox file (no system call's cost) */
void
scx_truncate(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	scen_result(r, sp, st, "truncate",
	    proc_truncate(p, st->ss_u.truncate.name,
		(voff_t)st->ss_u.truncate.size));
}

/* the descriptor an FD argument names (one out of range: -1) */
static int
fd_of(struct sproc *sp, struct proc *p, const struct scen_addr *a)
{
	uint64_t v = addr_of(sp, p, a);

	return v > INT_MAX ? -1 : (int)v;
}

/*
 * a count a call returned: printed, or checked against == N; only a
 * call that succeeded has one
 */
static void
count_done(struct srun *r, struct sproc *sp, const struct scen_stmt *st,
    const char *what, int64_t got, bool check, uint64_t want)
{
	const char *call = scen_stmt_def(st->ss_op)->sd_name;

	if (!check) {
		if (strcmp(what, "bytes") == 0)
			psay(r, sp, "%s: %lld bytes", call, (long long)got);
		else
			psay(r, sp, "%s: %s %lld", call, what, (long long)got);
		return;
	}
	r->nexpect++;
	if ((uint64_t)got != want)
		sfail(r, st, "%s[%d]: %s: %s %lld, expected %llu", pname(r, sp),
		    sp->sp_pid, call, what, (long long)got,
		    (unsigned long long)want);
}

/* scx_open: open; the variable is set only if it succeeds */
void
scx_open(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	int fd, error;

	error = sys_open(p, st->ss_u.open.name, st->ss_u.open.flags, &fd);
	if (error == 0)
		sp->sp_vars[st->ss_u.open.var] = (uint64_t)fd;
	syscall_done(r, sp, p, st, error);
}

void
scx_close(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	syscall_done(r, sp, p, st, sys_close(p, fd_of(sp, p, &st->ss_u.fd.fd)));
}

void
scx_fsync(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	syscall_done(r, sp, p, st, sys_fsync(p, fd_of(sp, p, &st->ss_u.fd.fd)));
}

/* scx_read, scx_write: the count is printed or checked */
static void
scx_rw(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st, bool write)
{
	int fd = fd_of(sp, p, &st->ss_u.rw.fd);
	vaddr_t va = addr_of(sp, p, &st->ss_u.rw.r.sr_addr);
	int64_t n = 0;
	int error;

	error = write ? sys_write(p, fd, va, st->ss_u.rw.r.sr_len, &n) :
			sys_read(p, fd, va, st->ss_u.rw.r.sr_len, &n);
	scen_result(r, sp, st, write ? "write" : "read", error);
	if (error == 0)
		count_done(r, sp, st, "bytes", n, st->ss_u.rw.check,
		    st->ss_u.rw.count);
	syscall_return(p);
}

void
scx_read(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	scx_rw(r, sp, p, st, false);
}

void
scx_write(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	scx_rw(r, sp, p, st, true);
}

void
scx_lseek(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	voff_t off = 0;
	int error;

	error = sys_lseek(p, fd_of(sp, p, &st->ss_u.lseek.fd),
	    st->ss_u.lseek.offset, st->ss_u.lseek.whence, &off);
	scen_result(r, sp, st, "lseek", error);
	if (error == 0)
		count_done(r, sp, st, "offset", off, st->ss_u.lseek.check,
		    st->ss_u.lseek.count);
	syscall_return(p);
}

void
scx_ftruncate(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	syscall_done(r, sp, p, st,
	    sys_ftruncate(p, fd_of(sp, p, &st->ss_u.ftruncate.fd),
		(voff_t)st->ss_u.ftruncate.size));
}

/* scx_print: the string, stamped in a program */
void
scx_print(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	if (sp != NULL)
		psay(r, sp, "%s", st->ss_u.print.text);
	else
		fprintf(r->out, "%s\n", st->ss_u.print.text);
}

/* exec_block: b's statements in order, until an exit or a stop */
static void
exec_block(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_block *b)
{
	const struct scen_stmt *st;
	int i;

	for (i = 0; i < b->sb_n && !sp->sp_exiting && !r->abort; i++) {
		st = &b->sb_v[i];
		scen_stmt_def(st->ss_op)->sd_run(r, sp, p, st);
		scen_check(r, st);
	}
}

/* a process's program: its block, then exit (0 unless exit said) */
static int
scen_prog(struct proc *p, void *arg)
{
	struct sproc *sp = arg;

	if (sp->sp_rng == 0)
		sp->sp_rng = srun->sc->sc_seed ^ ((uint64_t)p->p_pid << 32) ^
		    0x2545f4914f6cdd1dULL;
	exec_block(srun, sp, p, sp->sp_body);
	return sp->sp_xstatus;
}

/*
 * host commands: they run outside every thread; only run lets
 * simulated time go by.
 */

/* scx_file: file NAME SIZE DATA: a new file in the sandbox */
void
scx_file(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	const char *name = st->ss_u.file.name;
	uint64_t size = st->ss_u.file.size, off;
	char path[PATH_MAX + 80];
	const char *where;
	size_t n;
	int fd;

	sandbox_path(&r->sandbox, name, path, sizeof(path));
	/* a temporary sandbox's path says nothing, and changes each run */
	where = r->sandbox.sb_tmp ? "it in the sandbox" : path;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd < 0) {
		sfail(r, st, "file %s: cannot create %s: %s%s", name, where,
		    strerror(errno),
		    errno == EEXIST ? " (an existing file is never "
				      "overwritten)" :
				      "");
		r->error = true;
		return;
	}
	for (off = 0; off < size; off += n) {
		n = (size_t)MIN(size - off, CHUNK);
		data_fill(&st->ss_u.file.data, 0, off, r->hostbuf, n);
		if (write(fd, r->hostbuf, n) != (ssize_t)n) {
			sfail(r, st, "file %s: cannot write %s: %s", name,
			    where, strerror(errno));
			r->error = true;
			break;
		}
	}
	close(fd);
}

/*
 * scx_process: process NAME { ... }: start a process running the block.
 *
 * => the host cannot sleep for memory as a thread does: when there is
 *    none for the new process's u-area and address space (ENOMEM), the
 *    machine runs an eighth of a second, for the pagedaemon to free
 *    some, and the host tries again, for PROCESS_WAIT_US at most; only
 *    then does the command fail.
 */
#define PROCESS_WAIT_US (10 * SEC)

void
scx_process(struct srun *r, struct sproc *unused, struct proc *unusedp,
    const struct scen_stmt *st)
{
	simtime_t give_up = clock_now() + PROCESS_WAIT_US;
	const char *name = r->sc->sc_procs[st->ss_u.process.proc];
	struct sproc *sp;
	struct proc *p;
	int error;

	sp = sproc_new(r, st->ss_u.process.proc, NULL, &st->ss_body);
	if (sp == NULL) {
		sfail(r, st, "process: out of host memory");
		r->error = true;
		return;
	}
	while ((error = kern_spawn(name, scen_prog, sp, &p)) == ENOMEM &&
	    clock_now() < give_up)
		(void)kern_run(clock_now() + SEC / 8);
	if (error) {
		sfail(r, st, "process %s: cannot start it: %s", name,
		    strerror(error));
		r->error = true;
		return;
	}
	sp->sp_pid = p->p_pid;
	sp->sp_p = p;
	sp->sp_spawned = true;
}

void
scx_run(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	switch (st->ss_u.run.mode) {
	case SR_IDLE:
		(void)kern_run(SIMTIME_NEVER);
		break;
	case SR_FOR:
		(void)kern_run(clock_now() + st->ss_u.run.time);
		break;
	case SR_UNTIL:
		(void)kern_run(MAX(st->ss_u.run.time, clock_now()));
		break;
	}
}

/* a report's first line, stamped with the simulated time */
static void
header(struct srun *r, const char *what)
{
	simtime_t t = clock_now();

	fprintf(r->out, "--- %s at %llu.%06llu s\n", what,
	    (unsigned long long)(t / SEC), (unsigned long long)(t % SEC));
}

void
scx_ps(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	header(r, "ps");
	report_ps(r->out);
}

void
scx_vmstat(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	if (st->ss_u.vmstat.names) {
		header(r, "vmstat -n");
		report_counter_names(r->out);
		return;
	}
	header(r, "vmstat -s");
	report_vmstat(r->out, st->ss_u.vmstat.counters);
}

/*
 * scx_procmap: each process named, in turn: its map entries, and with
 * pages each entry's pages, numbered by one report_ids for the whole
 * statement (nothing runs in between, so an anon is one anon throughout)
 */
void
scx_procmap(struct srun *r, struct sproc *unused, struct proc *unusedp,
    const struct scen_stmt *st)
{
	struct report_ids ids;
	struct sproc *sp;
	int i, name;

	header(r, "procmap");
	report_ids_init(&ids);
	for (i = 0; i < st->ss_u.procmap.nprocs; i++) {
		name = st->ss_u.procmap.procs[i];
		sp = sproc_byname(r, name);
		if (sp == NULL || sp->sp_p == NULL ||
		    report_procmap(r->out, sp->sp_p) != 0) {
			fprintf(r->out, "%s: no such process (%s)\n",
			    r->sc->sc_procs[name],
			    sp == NULL ? "not started" : "it has exited");
			continue;
		}
		if (st->ss_u.procmap.pages)
			(void)report_procmap_pages(r->out, sp->sp_p, &ids);
	}
	report_ids_free(&ids);
}

void
scx_snapshot(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	series_snapshot(st->ss_u.snapshot.label);
}

void
scx_swapctl(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	header(r, "swapctl -l");
	report_swapctl(r->out);
}

void
scx_kmsg(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	char msgs[MSGBUFSIZE + 1];
	size_t len;

	header(r, "kernel messages");
	len = kern_msgbuf(msgs, sizeof(msgs));
	fwrite(msgs, 1, len, r->out);
}

/*
 * setting up and tearing down
 */

/*
 * wind_down: the run stopped part-way (a host command or a check
 * failed): kill every process of the scenario still alive and let the
 * machine run until it is idle, or WIND_DOWN_US of simulated time at
 * most, so that what they were doing in the kernel -- a page being read
 * or written, a map locked across a sleep for I/O -- is over before the
 * machine is shut down, as a real system shuts down.  What still sleeps
 * then (waiting for memory, holding nothing) is torn down where it is.
 */
#define WIND_DOWN_US (60 * SEC)

static void
wind_down(struct srun *r)
{
	int i;

	for (i = 0; i < r->nprocs; i++)
		if (r->procs[i]->sp_p != NULL)
			kpsignal(r->procs[i]->sp_p, SIGKILL);
	(void)kern_run(clock_now() + WIND_DOWN_US);
}

/*
 * report_alive: the machine has nothing left to do, yet `alive' of the
 * scenario's processes have not exited: say which and why.  A stopped
 * process waits for a signal the scenario did not send, which may be
 * what it meant; one asleep waits for something that will never come
 * (memory, a page, a child), which is a hang, and so does one runnable
 * but swapped out, which the swapper has no memory to bring in.
 *
 * => returns how many are stuck so.
 */
static int
report_alive(struct srun *r, int alive)
{
	struct sproc *sp;
	struct proc *p;
	int i, asleep = 0;

	fprintf(r->out, "note: %d process%s still alive at the end:\n", alive,
	    alive == 1 ? " is" : "es are");
	for (i = 0; i < r->nprocs; i++) {
		sp = r->procs[i];
		if ((p = sp->sp_p) == NULL)
			continue;
		if (p->p_stat == SSTOP)
			fprintf(r->out, "  %s[%d]: stopped\n", pname(r, sp),
			    sp->sp_pid);
		else if (p->p_stat == SSLEEP) {
			fprintf(r->out, "  %s[%d]: asleep for good in %s\n",
			    pname(r, sp), sp->sp_pid,
			    p->p_wmesg != NULL ? p->p_wmesg : "?");
			asleep++;
		} else if (p->p_stat == SRUN && !(p->p_flag & P_INMEM)) {
			/* the swapper waits for memory to bring it in */
			fprintf(r->out,
			    "  %s[%d]: runnable, swapped out for good\n",
			    pname(r, sp), sp->sp_pid);
			asleep++;
		} else
			fprintf(r->out, "  %s[%d]: %s\n", pname(r, sp),
			    sp->sp_pid,
			    p->p_stat == SZOMB ? "a zombie" : "runnable");
	}
	return asleep;
}

/*
 * scen_abandon: the run in progress will not finish (a signal, a limit,
 * a panic; the program exits): remove its temporary sandbox.  Nothing
 * else is undone.  Does nothing with no run.
 */
void
scen_abandon(void)
{
	if (srun != NULL)
		sandbox_remove(&srun->sandbox);
}

/*
 * scen_run: boot the scenario's machine, run it, shut it down.
 *
 * => returns the exit status: 0 if every expectation held, 1 if one
 *    did not or a host command failed.
 */
int
scen_run(struct scenario *sc, const struct scen_opts *opts)
{
	struct machine_config mc = sc->sc_mc;
	struct srun run, *r = &run;
	const struct scen_block *top = &sc->sc_top;
	const struct scen_stmt *st;
	int i, status, alive = 0, asleep = 0, rv;

	memset(r, 0, sizeof(*r));
	r->sc = sc;
	r->opts = opts;
	r->out = opts->out;
	r->hostbuf = malloc(CHUNK);
	if (r->hostbuf == NULL ||
	    sandbox_make(&r->sandbox, opts->filedir) != 0) {
		free(r->hostbuf);
		return 1;
	}
	mc.mc_filedir = r->sandbox.sb_dir;
	mc.mc_coredir = opts->coredir != NULL ? opts->coredir : ".";
	if ((i = kern_boot(&mc)) != 0) {
		sandbox_remove(&r->sandbox);
		free(r->hostbuf);
		if (machine_boot_why[0] != '\0') {
			/* the host would not give what the machine is made of */
			fprintf(stderr,
			    "uvmsim: the machine did not boot: %s\n",
			    machine_boot_why);
			return 2;
		}
		fprintf(stderr,
		    "uvmsim: the machine did not boot: %s (is it too small "
		    "for its kernel threads' u-areas?)\n",
		    strerror(i));
		return 1;
	}
	r->rawdev = rawdev_create(RAWDEV_SIZE, mc.mc_disk.dt_xfer_us);
	report_machine(r->out, &mc);
	srun = r;
	kern_exit_hook = scen_exit_hook;
	if (opts->json != NULL || opts->html != NULL)
		series_start(opts->sample);

	for (i = 0; i < top->sb_n && !r->abort && !r->error; i++) {
		st = &top->sb_v[i];
		scen_stmt_def(st->ss_op)->sd_run(r, NULL, NULL, st);
		scen_check(r, st);
	}
	/* the end: let what is left run out */
	if (!r->abort && !r->error)
		(void)kern_run(SIMTIME_NEVER);
	else
		wind_down(r);
	for (i = 0; i < r->nprocs; i++) {
		if (r->procs[i]->sp_p != NULL)
			alive++;
		if (r->procs[i]->sp_spawned && r->procs[i]->sp_exited)
			(void)kern_collect(r->procs[i]->sp_pid, &status);
	}
	if (alive > 0 && !r->abort && !r->error)
		asleep = report_alive(r, alive);
	if (corecounters.failed > 0 && !r->abort)
		fprintf(r->out,
		    "note: %llu core%s could not be written (see kmsg)\n",
		    (unsigned long long)corecounters.failed,
		    corecounters.failed == 1 ? "" : "s");
	if (r->nexpect > 0 || r->nfailed > 0)
		fprintf(r->out, "%s: %d expectation%s checked, %d failed\n",
		    sc->sc_file, r->nexpect, r->nexpect == 1 ? "" : "s",
		    r->nfailed);
	rv = r->nfailed > 0 || r->error || r->abort || asleep > 0 ||
		corecounters.failed > 0 ?
	    1 :
	    0;
	series_snapshot_end();
	series_stop();
	if (opts->json != NULL && json_write(r, opts->json) != 0)
		rv = 1;
	if (opts->html != NULL && html_run(r, opts->html) != 0)
		rv = 1;
	series_free();

	kern_exit_hook = NULL;
	rawdev_destroy(r->rawdev);
	kern_shutdown();
	srun = NULL;
	for (i = 0; i < r->nprocs; i++)
		sproc_free(r->procs[i]);
	free(r->procs);
	sandbox_remove(&r->sandbox);
	free(r->hostbuf);
	return rv;
}
