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

#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/scenario.h"

#define SEC	    ((simtime_t)1000000)
#define CHUNK	    ((size_t)65536)   /* bytes moved per access */
#define RAWDEV_SIZE ((size_t)1 << 20) /* the raw device of physio */

/* a process the scenario made */
struct sproc {
	int sp_name;	     /* its name's index */
	int sp_pid;	     /* its pid */
	struct proc *sp_p;   /* while it has not exited */
	bool sp_spawned;     /* made by process (collected at the end) */
	bool sp_exited;	     /* it has exited */
	int sp_status;	     /* with this wait status */
	struct rusage sp_ru; /* and this usage */
	uint64_t *sp_vars;   /* its variables' values */
	const struct scen_block *sp_body; /* its program */
	bool sp_exiting;		  /* exit was called */
	int sp_xstatus;			  /* with this status */
	uint64_t sp_rng;		  /* random touches */
	/*
	 * its data buffers, CHUNK bytes each: a fill or a verify that
	 * sleeps in a fault must find its bytes there when it wakes, so
	 * no two processes share them
	 */
	uint8_t *sp_buf, *sp_buf2;
};

struct srun {
	struct scenario *sc;
	const struct scen_opts *opts;
	FILE *out;
	struct sproc **procs;
	int nprocs, capprocs;
	struct rawdev *rawdev;
	char filedir[PATH_MAX];
	bool filedir_tmp; /* made for this run: removed at the end */
	int nexpect, nfailed;
	bool abort;	  /* a checker failed, or the output: stop */
	bool error;	  /* a host command failed */
	uint8_t *hostbuf; /* CHUNK bytes, for the host's own data */
};

static struct srun *srun; /* the scenario running (for the exit hook) */

static const char *
pname(const struct srun *r, const struct sproc *sp)
{
	return r->sc->sc_procs[sp->sp_name];
}

/* a located message: FILE:LINE:COL: ... */
static void __printflike(3, 4)
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

/* the latest process of that name, or NULL */
static struct sproc *
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
		if (status & 0x7f)
			psay(r, sp, "killed by SIG%s%s",
			    scen_signame(status & 0x7f),
			    (status & W_COREFLAG) ? " (core dumped)" : "");
		else
			psay(r, sp, "exited, status %d", (status >> 8) & 0xff);
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

/* the result of a system call against the one expected */
static void
scen_result(struct srun *r, struct sproc *sp, const struct scen_stmt *st,
    const char *call, int error)
{
	/* every call's result is checked: success, unless => said */
	r->nexpect++;
	if (error == st->ss_err)
		return;
	if (st->ss_err == 0)
		sfail(r, st, "%s[%d]: %s failed: %s (%s)", pname(r, sp),
		    sp->sp_pid, call, scen_errname(error), strerror(error));
	else if (error == 0)
		sfail(r, st, "%s[%d]: %s succeeded; expected %s", pname(r, sp),
		    sp->sp_pid, call, scen_errname(st->ss_err));
	else
		sfail(r, st, "%s[%d]: %s failed with %s; expected %s",
		    pname(r, sp), sp->sp_pid, call, scen_errname(error),
		    scen_errname(st->ss_err));
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
 * data_fill: the expected bytes [off, off + n) of st's data into buf.
 * A pattern's bytes are numbered from the variable the address names
 * (the range buf+8k starts at byte 8k of the pattern), so a part of a
 * range can be checked on its own, and a file's bytes by file offset.
 */
static void
data_fill(const struct scen_stmt *st, uint64_t off, uint8_t *buf, size_t n)
{
	size_t i;

	if (st->ss_op != SO_FILE)
		off += (uint64_t)st->ss_addr.sa_off;

	switch (st->ss_data) {
	case SD_BYTE:
		memset(buf, (int)st->ss_n, n);
		break;
	case SD_PATTERN:
		for (i = 0; i < n; i++)
			buf[i] = pattern_byte(st->ss_n, off + i);
		break;
	case SD_TEXT:
		if (st->ss_op != SO_FILE)
			off -= (uint64_t)st->ss_addr.sa_off;
		memcpy(buf, st->ss_str + off, n);
		break;
	}
}

/*
 * the program
 */

static vaddr_t
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

static int scen_prog(struct proc *, void *);
static void exec_block(struct srun *, struct sproc *, struct proc *,
    const struct scen_block *);

static void
exec_verify(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st, vaddr_t va)
{
	uint64_t off;
	size_t n, i;

	r->nexpect++;
	for (off = 0; off < st->ss_size; off += n) {
		n = (size_t)MIN(st->ss_size - off, CHUNK);
		(void)proc_load(p, va + off, sp->sp_buf, n);
		data_fill(st, off, sp->sp_buf2, n);
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

static void
exec_touch(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st, vaddr_t va)
{
	vaddr_t start = trunc_page(va), end = round_page(va + st->ss_size);
	uint64_t npages = atop(end - start), i, pg;
	uint8_t c;

	if (npages == 0)
		return;
	for (i = 0; i < (st->ss_n != 0 ? st->ss_n : npages); i++) {
		if (st->ss_n != 0) {
			/* xorshift: the same seed touches the same pages */
			sp->sp_rng ^= sp->sp_rng << 13;
			sp->sp_rng ^= sp->sp_rng >> 7;
			sp->sp_rng ^= sp->sp_rng << 17;
			pg = sp->sp_rng % npages;
		} else
			pg = i;
		(void)proc_load(p, start + ptoa(pg), &c, 1);
		if (st->ss_kind == VM_PROT_WRITE)
			(void)proc_store(p, start + ptoa(pg), &c, 1);
	}
}

static void
exec_mincore(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st, vaddr_t va)
{
	size_t n = (size_t)atop(round_page(st->ss_size)), i;
	char *vec = NULL, *s;
	int error;

	if (n > 0 && (vec = malloc(n + 1)) == NULL) {
		sfail(r, st, "mincore: out of host memory");
		return;
	}
	error = sys_mincore(p, va, st->ss_size, vec);
	scen_result(r, sp, st, "mincore", error);
	if (error == 0) {
		for (i = 0, s = vec; i < n; i++)
			s[i] = s[i] ? '1' : '0';
		if (vec != NULL)
			vec[n] = '\0';
		if (st->ss_str != NULL)
			r->nexpect++;
		if (st->ss_str == NULL)
			psay(r, sp, "mincore 0x%llx: %s",
			    (unsigned long long)va, vec != NULL ? vec : "");
		else if (strcmp(vec != NULL ? vec : "", st->ss_str) != 0)
			sfail(r, st,
			    "%s[%d]: mincore: resident %s, expected %s",
			    pname(r, sp), sp->sp_pid, vec != NULL ? vec : "",
			    st->ss_str);
	}
	free(vec);
	syscall_return(p);
}

static void
exec_sysctl(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st, vaddr_t va)
{
	size_t len = 0;
	uint32_t v;
	int error;

	error = kern_sysctl(p, st->ss_str, 0, &len);
	if (error == 0)
		error = kern_sysctl(p, st->ss_str, va, &len);
	scen_result(r, sp, st, "sysctl", error);
	if (error == 0) {
		if (len == sizeof(v)) {
			(void)proc_load(p, va, &v, sizeof(v));
			psay(r, sp, "sysctl %s = %u", st->ss_str, v);
		} else
			psay(r, sp, "sysctl %s: %zu bytes at 0x%llx",
			    st->ss_str, len, (unsigned long long)va);
	}
	syscall_return(p);
}

static void
exec_fork(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	struct sproc *child;
	struct proc *c;
	int error;

	child = sproc_new(r, st->ss_proc, sp->sp_vars, &st->ss_body);
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
		    r->sc->sc_procs[st->ss_proc]);
	}
	scen_result(r, sp, st, "fork", error);
	syscall_return(p);
}

/*
 * exec_stmt: run program statement st as process p (sp's), in p's
 * thread.
 *
 * => a system call's result is checked against the one st expects; a
 *    memory access that faults for good does not return (the signal's
 *    default action ends p).
 */
static void
exec_stmt(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	struct vmspace *vm = p->p_vmspace;
	vaddr_t va = addr_of(sp, p, &st->ss_addr), ret;
	struct sproc *t;
	struct rlimit rl;
	uint64_t off;
	size_t n;
	int error, status;
	uint64_t i;

	switch (st->ss_op) {
	case SO_MMAP:
		error = sys_mmap(p, va, st->ss_size, st->ss_kind, st->ss_flags,
		    st->ss_name, (voff_t)st->ss_n2, &ret);
		if (error == 0)
			sp->sp_vars[st->ss_var] = ret;
		scen_result(r, sp, st, "mmap", error);
		syscall_return(p);
		break;
	case SO_MUNMAP:
		scen_result(r, sp, st, "munmap",
		    sys_munmap(p, va, st->ss_size));
		syscall_return(p);
		break;
	case SO_MPROTECT:
		scen_result(r, sp, st, "mprotect",
		    sys_mprotect(p, va, st->ss_size, st->ss_kind));
		syscall_return(p);
		break;
	case SO_MINHERIT:
		scen_result(r, sp, st, "minherit",
		    sys_minherit(p, va, st->ss_size, st->ss_kind));
		syscall_return(p);
		break;
	case SO_MADVISE:
		scen_result(r, sp, st, "madvise",
		    sys_madvise(p, va, st->ss_size, st->ss_kind));
		syscall_return(p);
		break;
	case SO_MLOCK:
		scen_result(r, sp, st, "mlock", sys_mlock(p, va, st->ss_size));
		syscall_return(p);
		break;
	case SO_MUNLOCK:
		scen_result(r, sp, st, "munlock",
		    sys_munlock(p, va, st->ss_size));
		syscall_return(p);
		break;
	case SO_MLOCKALL:
		scen_result(r, sp, st, "mlockall",
		    sys_mlockall(p, st->ss_flags));
		syscall_return(p);
		break;
	case SO_MUNLOCKALL:
		scen_result(r, sp, st, "munlockall", sys_munlockall(p));
		syscall_return(p);
		break;
	case SO_MSYNC:
		scen_result(r, sp, st, "msync",
		    sys_msync(p, va, st->ss_size, st->ss_flags));
		syscall_return(p);
		break;
	case SO_MINCORE:
		exec_mincore(r, sp, p, st, va);
		break;
	case SO_BRK:
		scen_result(r, sp, st, "brk", sys_obreak(p, va));
		syscall_return(p);
		break;
	case SO_SBRK:
		scen_result(r, sp, st, "sbrk",
		    sys_obreak(p,
			vm->vm_daddr + ptoa(vm->vm_dsize) + st->ss_size));
		syscall_return(p);
		break;
	case SO_STORE:
		(void)proc_store(p, va, st->ss_str, st->ss_strlen);
		break;
	case SO_FILL:
		if (st->ss_data == SD_BYTE) {
			(void)proc_fill(p, va, (int)st->ss_n, st->ss_size);
			break;
		}
		for (off = 0; off < st->ss_size; off += n) {
			n = (size_t)MIN(st->ss_size - off, CHUNK);
			data_fill(st, off, sp->sp_buf, n);
			(void)proc_store(p, va + off, sp->sp_buf, n);
		}
		break;
	case SO_LOAD:
		for (off = 0; off < st->ss_size; off += n) {
			n = (size_t)MIN(st->ss_size - off, CHUNK);
			(void)proc_load(p, va + off, sp->sp_buf, n);
		}
		break;
	case SO_TOUCH:
		exec_touch(r, sp, p, st, va);
		break;
	case SO_VERIFY:
		exec_verify(r, sp, p, st, va);
		break;
	case SO_FORK:
		exec_fork(r, sp, p, st);
		break;
	case SO_EXIT:
		sp->sp_exiting = true;
		sp->sp_xstatus = (int)st->ss_n;
		break;
	case SO_WAIT:
		t = st->ss_proc >= 0 ? sproc_byname(r, st->ss_proc) : NULL;
		error = kern_wait(p, t != NULL ? t->sp_pid : -1, &status, 0);
		scen_result(r, sp, st, "wait", error < 0 ? -error : 0);
		syscall_return(p);
		break;
	case SO_SLEEP:
		(void)proc_sleep(p, st->ss_n);
		break;
	case SO_COMPUTE:
		proc_compute(p, st->ss_n);
		break;
	case SO_NICE:
		p->p_nice = NZERO + (int)(int64_t)st->ss_n;
		resetpriority(p);
		syscall_return(p);
		break;
	case SO_KILL:
		if (st->ss_proc < 0)
			t = sp;
		else
			t = sproc_byname(r, st->ss_proc);
		error = t == NULL || t->sp_p == NULL ? ESRCH : 0;
		if (error == 0)
			kpsignal(t->sp_p, (int)st->ss_n);
		scen_result(r, sp, st, "kill", error);
		syscall_return(p);
		break;
	case SO_LOOP:
		for (i = 0; i < st->ss_n && !sp->sp_exiting && !r->abort; i++)
			exec_block(r, sp, p, &st->ss_body);
		break;
	case SO_PHYSIO:
		scen_result(r, sp, st, "physio",
		    physio(p, r->rawdev, (voff_t)st->ss_n2, va, st->ss_size,
			st->ss_kind));
		syscall_return(p);
		break;
	case SO_SYSCTL:
		exec_sysctl(r, sp, p, st, va);
		break;
	case SO_CORE:
		error = coredump(p, 0);
		if (error == 0)
			psay(r, sp, "core dumped on request");
		scen_result(r, sp, st, "core", error);
		syscall_return(p);
		break;
	case SO_SETRLIMIT:
		rl.rlim_cur = st->ss_n;
		rl.rlim_max = p->p_rlimit[st->ss_kind].rlim_max;
		scen_result(r, sp, st, "setrlimit",
		    dosetrlimit(p, st->ss_kind, &rl));
		syscall_return(p);
		break;
	case SO_TRUNCATE:
		scen_result(r, sp, st, "truncate",
		    proc_truncate(p, st->ss_name, (voff_t)st->ss_size));
		break;
	case SO_PRINT:
		psay(r, sp, "%s", st->ss_str);
		break;
	default:
		KASSERTMSG(false, "%s: host command %d in a program", __func__,
		    st->ss_op);
	}
}

/* exec_block: b's statements in order, until an exit or a stop */
static void
exec_block(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_block *b)
{
	int i;

	for (i = 0; i < b->sb_n && !sp->sp_exiting && !r->abort; i++) {
		exec_stmt(r, sp, p, &b->sb_v[i]);
		scen_check(r, &b->sb_v[i]);
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
 * host commands
 */

/* the state of a process of the scenario, for expect proc */
static bool
state_is(const struct sproc *sp, int state)
{
	struct proc *p = sp->sp_p;

	if (state == SP_EXITED)
		return sp->sp_exited;
	if (state == SP_ZOMBIE)
		return sp->sp_exited && pfind(sp->sp_pid) != NULL;
	if (p == NULL)
		return false;
	switch (state) {
	case SP_RUNNING:
		return p->p_stat == SONPROC;
	case SP_RUNNABLE:
		return p->p_stat == SRUN;
	case SP_SLEEPING:
		return p->p_stat == SSLEEP;
	case SP_STOPPED:
		return p->p_stat == SSTOP;
	case SP_SWAPPED:
		return (p->p_flag & P_INMEM) == 0;
	case SP_RESIDENT:
		return (p->p_flag & P_INMEM) != 0;
	}
	return false;
}

static const char *
state_now(const struct sproc *sp)
{
	static const int order[] = { SP_ZOMBIE, SP_EXITED, SP_RUNNING,
		SP_RUNNABLE, SP_SLEEPING, SP_STOPPED };
	size_t i;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (state_is(sp, order[i]))
			return scen_statename(order[i]);
	return "not started";
}

static bool
compare(uint64_t a, enum scen_cmp cmp, uint64_t b)
{
	switch (cmp) {
	case SC_EQ:
		return a == b;
	case SC_NE:
		return a != b;
	case SC_LT:
		return a < b;
	case SC_LE:
		return a <= b;
	case SC_GT:
		return a > b;
	default:
		return a >= b;
	}
}

static const char *const cmp_names[] = { "==", "!=", "<", "<=", ">", ">=" };

static void
exec_expect_proc(struct srun *r, const struct scen_stmt *st)
{
	struct sproc *sp = sproc_byname(r, st->ss_proc);
	const char *name = r->sc->sc_procs[st->ss_proc];
	struct pmap *pm;
	uint64_t v;

	if (sp == NULL) {
		sfail(r, st, "expect: process %s has not been started", name);
		return;
	}
	switch (st->ss_kind) {
	case SE_STATE:
		if (!state_is(sp, (int)st->ss_n))
			sfail(r, st, "expect: %s[%d] is %s, not %s", name,
			    sp->sp_pid, state_now(sp),
			    scen_statename((int)st->ss_n));
		break;
	case SE_EXIT:
		if (!sp->sp_exited || (sp->sp_status & 0x7f) != 0 ||
		    ((sp->sp_status >> 8) & 0xff) != (int)st->ss_n) {
			if (!sp->sp_exited)
				sfail(r, st, "expect: %s[%d] has not exited",
				    name, sp->sp_pid);
			else if (sp->sp_status & 0x7f)
				sfail(r, st,
				    "expect: %s[%d] was killed by SIG%s, it did "
				    "not exit",
				    name, sp->sp_pid,
				    scen_signame(sp->sp_status & 0x7f));
			else
				sfail(r, st,
				    "expect: %s[%d] exited with %d, not %d",
				    name, sp->sp_pid,
				    (sp->sp_status >> 8) & 0xff, (int)st->ss_n);
		}
		break;
	case SE_SIGNAL:
		if (!sp->sp_exited || (sp->sp_status & 0x7f) != (int)st->ss_n)
			sfail(r, st, "expect: %s[%d] %s, not killed by SIG%s",
			    name, sp->sp_pid,
			    !sp->sp_exited ? "has not exited" :
				(sp->sp_status & 0x7f) ?
					     "was killed otherwise" :
					     "exited normally",
			    scen_signame((int)st->ss_n));
		break;
	case SE_CORE:
		if (!sp->sp_exited || !(sp->sp_status & W_COREFLAG))
			sfail(r, st, "expect: %s[%d] left no core", name,
			    sp->sp_pid);
		break;
	case SE_RSS:
	case SE_WIRED:
		if (sp->sp_p == NULL) {
			sfail(r, st, "expect: %s[%d] has exited", name,
			    sp->sp_pid);
			break;
		}
		pm = vm_map_pmap(&sp->sp_p->p_vmspace->vm_map);
		v = st->ss_kind == SE_RSS ? (uint64_t)pmap_resident_count(pm) :
					    (uint64_t)pmap_wired_count(pm);
		if (!compare(v, st->ss_cmp, st->ss_n))
			sfail(r, st, "expect: %s[%d] %s is %llu, not %s %llu",
			    name, sp->sp_pid,
			    st->ss_kind == SE_RSS ? "rss" : "wired",
			    (unsigned long long)v, cmp_names[st->ss_cmp],
			    (unsigned long long)st->ss_n);
		break;
	}
}

/* the directory file `name' is in, and its path */
static void
file_path(struct srun *r, const char *name, char *path, size_t len)
{
	snprintf(path, len, "%s/%s", r->filedir, name);
}

static void
exec_expect(struct srun *r, const struct scen_stmt *st)
{
	const struct report_counter *rc;
	char path[PATH_MAX + 80], *got;
	const char *dir;
	uint64_t v;
	ssize_t n;
	int fd;

	r->nexpect++;
	switch (st->ss_kind) {
	case SE_COUNTER:
		rc = report_counter(st->ss_str);
		v = rc->rc_get();
		if (!compare(v, st->ss_cmp, st->ss_n))
			sfail(r, st, "expect: %s is %llu, not %s %llu",
			    st->ss_str, (unsigned long long)v,
			    cmp_names[st->ss_cmp],
			    (unsigned long long)st->ss_n);
		break;
	case SE_KMSG: {
		char msgs[MSGBUFSIZE + 1];

		(void)kern_msgbuf(msgs, sizeof(msgs));
		if (strstr(msgs, st->ss_str) == NULL)
			sfail(r, st,
			    "expect: the kernel's messages do not say \"%s\"",
			    st->ss_str);
		break;
	}
	case SE_FILE:
		file_path(r, st->ss_name, path, sizeof(path));
		got = malloc(st->ss_strlen + 1);
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		n = fd < 0 || got == NULL ?
		    -1 :
		    pread(fd, got, st->ss_strlen, (off_t)st->ss_n);
		if (fd >= 0)
			close(fd);
		if (n != (ssize_t)st->ss_strlen ||
		    memcmp(got, st->ss_str, st->ss_strlen) != 0)
			sfail(r, st,
			    "expect: file %s does not hold \"%s\" at offset "
			    "%llu%s",
			    st->ss_name, st->ss_str,
			    (unsigned long long)st->ss_n,
			    fd < 0 ? " (cannot open it)" :
				n < (ssize_t)st->ss_strlen ?
				     " (it is shorter)" :
				     "");
		free(got);
		break;
	case SE_COREFILE: {
		unsigned char hdr[18];

		dir = r->opts->coredir != NULL ? r->opts->coredir : ".";
		snprintf(path, sizeof(path), "%s/%s.core", dir,
		    r->sc->sc_procs[st->ss_proc]);
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		n = fd < 0 ? -1 : read(fd, hdr, sizeof(hdr));
		if (fd >= 0)
			close(fd);
		/* an ELF file of type ET_CORE (4, little-endian) */
		if (n != (ssize_t)sizeof(hdr) || memcmp(hdr, "\177ELF", 4) ||
		    hdr[16] != 4 || hdr[17] != 0)
			sfail(r, st, "expect: %s is not an ELF core%s", path,
			    fd < 0 ? " (cannot open it)" : "");
		break;
	}
	default:
		exec_expect_proc(r, st);
		break;
	}
}

/* file NAME SIZE DATA: a new file in the sandbox */
static void
exec_file(struct srun *r, const struct scen_stmt *st)
{
	char path[PATH_MAX + 80];
	const char *where;
	uint64_t off;
	size_t n;
	int fd;

	file_path(r, st->ss_name, path, sizeof(path));
	/* a temporary sandbox's path says nothing, and changes each run */
	where = r->filedir_tmp ? "it in the sandbox" : path;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd < 0) {
		sfail(r, st, "file %s: cannot create %s: %s%s", st->ss_name,
		    where, strerror(errno),
		    errno == EEXIST ? " (an existing file is never "
				      "overwritten)" :
				      "");
		r->error = true;
		return;
	}
	for (off = 0; off < st->ss_size; off += n) {
		n = (size_t)MIN(st->ss_size - off, CHUNK);
		if (st->ss_data == SD_TEXT) {
			memset(r->hostbuf, 0, n);
			if (off < st->ss_strlen)
				memcpy(r->hostbuf, st->ss_str + off,
				    MIN(n, st->ss_strlen - off));
		} else
			data_fill(st, off, r->hostbuf, n);
		if (write(fd, r->hostbuf, n) != (ssize_t)n) {
			sfail(r, st, "file %s: cannot write %s: %s",
			    st->ss_name, where, strerror(errno));
			r->error = true;
			break;
		}
	}
	close(fd);
}

/*
 * process NAME { ... }: start a process running the block.
 *
 * => the host cannot sleep for memory as a thread does: when there is
 *    none for the new process's u-area and address space (ENOMEM), the
 *    machine runs an eighth of a second, for the pagedaemon to free
 *    some, and the host tries again, for PROCESS_WAIT_US at most; only
 *    then does the command fail.
 */
#define PROCESS_WAIT_US (10 * SEC)

static void
exec_process(struct srun *r, const struct scen_stmt *st)
{
	simtime_t give_up = clock_now() + PROCESS_WAIT_US;
	struct sproc *sp;
	struct proc *p;
	int error;

	sp = sproc_new(r, st->ss_proc, NULL, &st->ss_body);
	if (sp == NULL) {
		sfail(r, st, "process: out of host memory");
		r->error = true;
		return;
	}
	while ((error = kern_spawn(r->sc->sc_procs[st->ss_proc], scen_prog, sp,
		    &p)) == ENOMEM &&
	    clock_now() < give_up)
		(void)kern_run(clock_now() + SEC / 8);
	if (error) {
		sfail(r, st, "process %s: cannot start it: %s",
		    r->sc->sc_procs[st->ss_proc], strerror(error));
		r->error = true;
		return;
	}
	sp->sp_pid = p->p_pid;
	sp->sp_p = p;
	sp->sp_spawned = true;
}

static void
header(struct srun *r, const char *what)
{
	simtime_t t = clock_now();

	fprintf(r->out, "--- %s at %llu.%06llu s\n", what,
	    (unsigned long long)(t / SEC), (unsigned long long)(t % SEC));
}

/*
 * exec_host: run host command st, outside every thread; only run lets
 * simulated time go by.
 */
static void
exec_host(struct srun *r, const struct scen_stmt *st)
{
	struct sproc *sp;
	char msgs[MSGBUFSIZE + 1];
	size_t len;

	switch (st->ss_op) {
	case SO_FILE:
		exec_file(r, st);
		break;
	case SO_PROCESS:
		exec_process(r, st);
		break;
	case SO_RUN:
		if (st->ss_kind == 2)
			(void)kern_run(SIMTIME_NEVER);
		else if (st->ss_kind == 1)
			(void)kern_run(MAX(st->ss_n, clock_now()));
		else
			(void)kern_run(clock_now() + st->ss_n);
		break;
	case SO_PS:
		header(r, "ps");
		report_ps(r->out);
		break;
	case SO_VMSTAT:
		header(r, "vmstat -s");
		report_vmstat(r->out, st->ss_str);
		break;
	case SO_PROCMAP:
		header(r, "procmap");
		sp = sproc_byname(r, st->ss_proc);
		if (sp == NULL || sp->sp_p == NULL ||
		    report_procmap(r->out, sp->sp_p) != 0)
			fprintf(r->out, "%s: no such process (%s)\n",
			    r->sc->sc_procs[st->ss_proc],
			    sp == NULL ? "not started" : "it has exited");
		break;
	case SO_SWAPCTL:
		header(r, "swapctl -l");
		report_swapctl(r->out);
		break;
	case SO_KMSG:
		header(r, "kernel messages");
		len = kern_msgbuf(msgs, sizeof(msgs));
		fwrite(msgs, 1, len, r->out);
		break;
	case SO_PRINT:
		fprintf(r->out, "%s\n", st->ss_str);
		break;
	case SO_EXPECT:
		exec_expect(r, st);
		break;
	case SO_KILL:
		sp = sproc_byname(r, st->ss_proc);
		if (sp == NULL || sp->sp_p == NULL)
			sfail(r, st, "kill: %s is not running",
			    r->sc->sc_procs[st->ss_proc]);
		else
			kpsignal(sp->sp_p, (int)st->ss_n);
		break;
	default:
		KASSERTMSG(false, "%s: program statement %d on the host",
		    __func__, st->ss_op);
	}
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
 * sandbox_make: the directory of the scenario's files: --files, or a new
 * temporary one beside the swap file, removed at the end.
 *
 * => returns 0, or -1 with the reason on the standard error.
 */
static int
sandbox_make(struct srun *r)
{
	if (r->opts->filedir != NULL) {
		snprintf(r->filedir, sizeof(r->filedir), "%s",
		    r->opts->filedir);
		return 0;
	}
	/* beside the swap file, in the same temporary directory */
	snprintf(r->filedir, sizeof(r->filedir), "%s/uvmsim-files.XXXXXX",
	    swapdisk_tmpdir());
	if (mkdtemp(r->filedir) == NULL) {
		fprintf(stderr,
		    "uvmsim: cannot make a sandbox directory %s: %s\n",
		    r->filedir, strerror(errno));
		return -1;
	}
	r->filedir_tmp = true;
	return 0;
}

/* remove the temporary sandbox and the files the scenario made in it */
static void
sandbox_remove(struct srun *r)
{
	char path[PATH_MAX + 300];
	struct dirent *d;
	DIR *dir;

	if (!r->filedir_tmp)
		return;
	if ((dir = opendir(r->filedir)) != NULL) {
		while ((d = readdir(dir)) != NULL) {
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", r->filedir,
			    d->d_name);
			(void)unlink(path);
		}
		closedir(dir);
	}
	(void)rmdir(r->filedir);
}

/* json: a string (names are plain; escape what could break it) */
static void
json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", (unsigned char)*s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void
json_proc(FILE *f, struct srun *r, struct sproc *sp)
{
	struct rusage ru = sp->sp_ru;
	struct pmap *pm;
	long rss = 0, wired = 0;

	fprintf(f, "    { \"name\": ");
	json_str(f, pname(r, sp));
	fprintf(f, ", \"pid\": %d, \"state\": \"%s\"", sp->sp_pid,
	    state_now(sp));
	if (sp->sp_exited) {
		if (sp->sp_status & 0x7f)
			fprintf(f, ", \"signal\": \"SIG%s\", \"core\": %s",
			    scen_signame(sp->sp_status & 0x7f),
			    (sp->sp_status & W_COREFLAG) ? "true" : "false");
		else
			fprintf(f, ", \"exit_status\": %d",
			    (sp->sp_status >> 8) & 0xff);
	} else if (sp->sp_p != NULL) {
		pm = vm_map_pmap(&sp->sp_p->p_vmspace->vm_map);
		rss = pmap_resident_count(pm);
		wired = pmap_wired_count(pm);
		if (sp->sp_p->p_flag & P_INMEM)
			ru = proc_pstats(sp->sp_p)->p_ru;
		fprintf(f, ", \"swapped_out\": %s",
		    (sp->sp_p->p_flag & P_INMEM) ? "false" : "true");
	}
	fprintf(f,
	    ", \"rss_pages\": %ld, \"wired_pages\": %ld, \"maxrss_pages\": "
	    "%ld, \"minflt\": %ld, \"majflt\": %ld, \"nswap\": %ld, "
	    "\"nvcsw\": %ld, \"nivcsw\": %ld, \"utime_us\": %llu, "
	    "\"stime_us\": %llu }",
	    rss, wired, ru.ru_maxrss, ru.ru_minflt, ru.ru_majflt, ru.ru_nswap,
	    ru.ru_nvcsw, ru.ru_nivcsw, (unsigned long long)ru.ru_utime,
	    (unsigned long long)ru.ru_stime);
}

/* --json: every counter and every process's figures */
static int
json_write(struct srun *r, const char *path)
{
	const struct machine_config *mc = &r->sc->sc_mc;
	FILE *f = fopen(path, "w");
	int i;

	if (f == NULL) {
		fprintf(stderr, "uvmsim: --json %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	fprintf(f, "{\n  \"scenario\": ");
	json_str(f, r->sc->sc_file);
	fprintf(f, ",\n  \"time_us\": %llu,\n",
	    (unsigned long long)clock_now());
	fprintf(f,
	    "  \"machine\": { \"pages\": %zu, \"pagesize\": %zu, "
	    "\"swap_pages\": %zu, \"hz\": %d, \"maxslp\": %d, \"policy\": ",
	    mc->mc_npages, mc->mc_pagesize, mc->mc_swapslots, mc->mc_hz,
	    mc->mc_maxslp);
	json_str(f, mc->mc_policy != NULL ? mc->mc_policy : "clock");
	fprintf(f,
	    " },\n  \"expectations\": { \"checked\": %d, \"failed\": "
	    "%d },\n",
	    r->nexpect, r->nfailed);
	fprintf(f, "  \"counters\": {\n");
	for (i = 0; i < report_ncounters; i++)
		fprintf(f, "    \"%s\": %llu%s\n", report_counters[i].rc_name,
		    (unsigned long long)report_counters[i].rc_get(),
		    i + 1 < report_ncounters ? "," : "");
	fprintf(f, "  },\n  \"processes\": [\n");
	for (i = 0; i < r->nprocs; i++) {
		json_proc(f, r, r->procs[i]);
		fprintf(f, "%s\n", i + 1 < r->nprocs ? "," : "");
	}
	fprintf(f, "  ]\n}\n");
	if (fclose(f) != 0) {
		fprintf(stderr, "uvmsim: --json %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	return 0;
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
	int i, status, alive = 0, asleep = 0, rv;

	memset(r, 0, sizeof(*r));
	r->sc = sc;
	r->opts = opts;
	r->out = opts->out;
	r->hostbuf = malloc(CHUNK);
	if (r->hostbuf == NULL || sandbox_make(r) != 0) {
		free(r->hostbuf);
		return 1;
	}
	mc.mc_filedir = r->filedir;
	mc.mc_coredir = opts->coredir != NULL ? opts->coredir : ".";
	if ((i = kern_boot(&mc)) != 0) {
		sandbox_remove(r);
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
	fprintf(r->out,
	    "machine: %zu pages of %zu bytes, swap %zu pages, u-area %u "
	    "pages, hz %d, maxslp %d s, policy %s\n",
	    mc.mc_npages, mc.mc_pagesize, mc.mc_swapslots, machine_upages(&mc),
	    mc.mc_hz, mc.mc_maxslp,
	    mc.mc_policy != NULL ? mc.mc_policy : "clock");
	srun = r;
	kern_exit_hook = scen_exit_hook;

	for (i = 0; i < top->sb_n && !r->abort && !r->error; i++) {
		exec_host(r, &top->sb_v[i]);
		scen_check(r, &top->sb_v[i]);
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
	if (opts->json != NULL && json_write(r, opts->json) != 0)
		rv = 1;

	kern_exit_hook = NULL;
	rawdev_destroy(r->rawdev);
	kern_shutdown();
	srun = NULL;
	for (i = 0; i < r->nprocs; i++)
		sproc_free(r->procs[i]);
	free(r->procs);
	sandbox_remove(r);
	free(r->hostbuf);
	return rv;
}
