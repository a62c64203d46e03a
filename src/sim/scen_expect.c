/*
 * scen_expect.c: the expectations of a scenario -- the expect statement,
 * and the result every system call of a program is checked against.
 *
 * Each is counted as checked, and one that does not hold is reported
 * with the scenario's file, line and column; the run goes on, and ends
 * with exit status 1.
 */

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/scen_exec.h"

/*
 * scen_result: the result of system call `call' of process sp against
 * the one statement st expects: success, unless => said an error or
 * fail (any error).
 */
void
scen_result(struct srun *r, struct sproc *sp, const struct scen_stmt *st,
    const char *call, int error)
{
	r->nexpect++;
	switch (st->ss_want) {
	case SW_OK:
		if (error != 0)
			sfail(r, st, "%s[%d]: %s failed: %s (%s)", pname(r, sp),
			    sp->sp_pid, call, scen_errname(error),
			    strerror(error));
		break;
	case SW_ERRNO:
		if (error == 0)
			sfail(r, st, "%s[%d]: %s succeeded; expected %s",
			    pname(r, sp), sp->sp_pid, call,
			    scen_errname(st->ss_errno));
		else if (error != st->ss_errno)
			sfail(r, st, "%s[%d]: %s failed with %s; expected %s",
			    pname(r, sp), sp->sp_pid, call, scen_errname(error),
			    scen_errname(st->ss_errno));
		break;
	case SW_FAIL:
		if (error == 0)
			sfail(r, st,
			    "%s[%d]: %s succeeded; expected it to fail",
			    pname(r, sp), sp->sp_pid, call);
		break;
	}
}

/* the state of a process of the scenario, for expect proc */
static bool
state_is(const struct sproc *sp, enum scen_pstate state)
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
	default: /* zombie and exited, above */
		return false;
	}
}

/* state_now: the state of sp, as expect proc and --json name it */
const char *
state_now(const struct sproc *sp)
{
	static const enum scen_pstate order[] = { SP_ZOMBIE, SP_EXITED,
		SP_RUNNING, SP_RUNNABLE, SP_SLEEPING, SP_STOPPED };
	size_t i;

	for (i = 0; i < __arraycount(order); i++)
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
expect_proc(struct srun *r, const struct scen_stmt *st)
{
	const struct scen_expectation *e = &st->ss_u.expect;
	struct sproc *sp = sproc_byname(r, e->se_proc);
	const char *name = r->sc->sc_procs[e->se_proc];
	struct pmap *pm;
	uint64_t v;

	if (sp == NULL) {
		sfail(r, st, "expect: process %s has not been started", name);
		return;
	}
	switch (e->se_kind) {
	case SE_STATE:
		if (!state_is(sp, e->se_state))
			sfail(r, st, "expect: %s[%d] is %s, not %s", name,
			    sp->sp_pid, state_now(sp),
			    scen_statename(e->se_state));
		break;
	case SE_EXIT:
		if (!sp->sp_exited || WIFSIGNALED(sp->sp_status) ||
		    WEXITSTATUS(sp->sp_status) != e->se_status) {
			if (!sp->sp_exited)
				sfail(r, st, "expect: %s[%d] has not exited",
				    name, sp->sp_pid);
			else if (WIFSIGNALED(sp->sp_status))
				sfail(r, st,
				    "expect: %s[%d] was killed by SIG%s, it did "
				    "not exit",
				    name, sp->sp_pid,
				    scen_signame(WTERMSIG(sp->sp_status)));
			else
				sfail(r, st,
				    "expect: %s[%d] exited with %d, not %d",
				    name, sp->sp_pid,
				    WEXITSTATUS(sp->sp_status), e->se_status);
		}
		break;
	case SE_SIGNAL:
		if (!sp->sp_exited ||
		    (!WIFSIGNALED(sp->sp_status) ||
			WTERMSIG(sp->sp_status) != e->se_signal))
			sfail(r, st, "expect: %s[%d] %s, not killed by SIG%s",
			    name, sp->sp_pid,
			    !sp->sp_exited ? "has not exited" :
				WIFSIGNALED(sp->sp_status) ?
					     "was killed otherwise" :
					     "exited normally",
			    scen_signame(e->se_signal));
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
		v = e->se_kind == SE_RSS ? (uint64_t)pmap_resident_count(pm) :
					   (uint64_t)pmap_wired_count(pm);
		if (!compare(v, e->se_cmp, e->se_value))
			sfail(r, st, "expect: %s[%d] %s is %llu, not %s %llu",
			    name, sp->sp_pid,
			    e->se_kind == SE_RSS ? "rss" : "wired",
			    (unsigned long long)v, cmp_names[e->se_cmp],
			    (unsigned long long)e->se_value);
		break;
	default:
		panic("%s: expectation %d is not of a process", __func__,
		    e->se_kind);
	}
}

/*
 * scx_expect: check expectation st now, on the host or in process sp's
 * program (expect addr: there only).
 */
void
scx_expect(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st)
{
	const struct scen_expectation *e = &st->ss_u.expect;
	const struct report_counter *rc;
	char path[PATH_MAX + 80], *got;
	const char *dir;
	uint64_t v;
	vaddr_t va, vb;
	ssize_t n;
	int fd;

	r->nexpect++;
	switch (e->se_kind) {
	case SE_COUNTER:
		rc = report_counter(e->se_counter);
		v = rc->rc_get();
		if (!compare(v, e->se_cmp, e->se_value))
			sfail(r, st, "expect: %s is %llu, not %s %llu",
			    e->se_counter, (unsigned long long)v,
			    cmp_names[e->se_cmp],
			    (unsigned long long)e->se_value);
		break;
	case SE_KMSG: {
		char msgs[MSGBUFSIZE + 1];

		(void)kern_msgbuf(msgs, sizeof(msgs));
		if (strstr(msgs, e->se_text.sd_text) == NULL)
			sfail(r, st,
			    "expect: the kernel's messages do not say \"%s\"",
			    e->se_text.sd_text);
		break;
	}
	case SE_FILE:
		sandbox_path(&r->sandbox, e->se_file, path, sizeof(path));
		got = malloc(e->se_text.sd_textlen + 1);
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		n = fd < 0 || got == NULL ?
		    -1 :
		    pread(fd, got, e->se_text.sd_textlen, (off_t)e->se_offset);
		if (fd >= 0)
			close(fd);
		if (n != (ssize_t)e->se_text.sd_textlen ||
		    memcmp(got, e->se_text.sd_text, e->se_text.sd_textlen) != 0)
			sfail(r, st,
			    "expect: file %s does not hold \"%s\" at offset "
			    "%llu%s",
			    e->se_file, e->se_text.sd_text,
			    (unsigned long long)e->se_offset,
			    fd < 0 ? " (cannot open it)" :
				n < (ssize_t)e->se_text.sd_textlen ?
				     " (it is shorter)" :
				     "");
		free(got);
		break;
	case SE_COREFILE: {
		unsigned char hdr[18];

		dir = r->opts->coredir != NULL ? r->opts->coredir : ".";
		snprintf(path, sizeof(path), "%s/%s.core", dir,
		    r->sc->sc_procs[e->se_proc]);
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
	case SE_ADDR:
		va = addr_of(sp, p, &e->se_left);
		vb = addr_of(sp, p, &e->se_right);
		if (!compare(va, e->se_cmp, vb))
			sfail(r, st, "expect: %s[%d]: 0x%llx is not %s 0x%llx",
			    pname(r, sp), sp->sp_pid, (unsigned long long)va,
			    cmp_names[e->se_cmp], (unsigned long long)vb);
		break;
	default:
		expect_proc(r, st);
		break;
	}
}
