/*
 * replay.c: memory traces replayed, in textbook mode or through the
 * whole VM (see replay.h).
 *
 * Full-VM replay, step by step:
 *
 *   1. every trace is opened (its format and compression checked) before
 *      the machine boots, so a bad file costs nothing;
 *   2. under opt, each trace is read once ahead into an oracle (every
 *      reference's page and next use, kept in temporary files) and the
 *      replay then reads the oracle instead of the trace; the policy
 *      asks, for each use of a page, when its process uses it next;
 *   3. the machine boots, one process per trace runs replay_prog, and
 *      the machine runs until they have all exited;
 *   4. the report: each process's references and faults, then every
 *      counter (vmstat -s).
 *
 * A trace that turns out bad half-way (a garbage line, a truncated
 * stream, an address outside the user address space) stops its process
 * at once; the run ends with the error, its place, and exit status 2,
 * and no report.
 */

#include "sim/replay.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kern/kern.h"
#include "sim/scenario.h"
#include "sim/series.h"
#include "sim/textbook.h"
#include "sim/tracefile.h"

/* one trace, and the process replaying it */
struct rtrace {
	const char *rt_path;
	struct tracefile *rt_tf;   /* streamed (not opt) */
	struct oracle *rt_or;	   /* read from (opt) */
	struct refmap *rt_regions; /* region numbers mapped so far */
	struct proc *rt_p;
	int rt_pid;
	uint64_t rt_refs;    /* references (page touches) replayed */
	uint64_t rt_next;    /* opt: the current reference's next use */
	uint64_t rt_curpage; /* opt: its page */
	bool rt_done;	     /* replayed to the end */
	bool rt_failed;	     /* stopped by a bad reference */
	bool rt_exited;
	int rt_status;
	struct rusage rt_ru;
	char rt_why[512];
};

static struct rtrace *replay_traces;
static struct replay_rss *replay_rss; /* or NULL */
static int replay_ntraces;
static bool replay_checking;
static bool replay_checkfailed;
static char replay_checkwhy[800];

#define REPLAY_SEC	   ((simtime_t)1000000) /* simulated microseconds */
#define REPLAY_CHECK_EVERY 4096 /* accesses between two checks (--check) */

/*
 * Stopping and progress.  A signal (kern_stop_signal, set by the
 * command's handler) stops the machine at its next preemption point;
 * kern_run then returns, and the report says it is partial.  Textbook
 * mode has no machine and looks at the flag itself.  On a terminal a
 * progress line says how far the replay got.
 */
static struct timespec replay_t0, replay_tshown;
static bool replay_shown;
static uint64_t replay_total; /* accesses in all (opt knows), or 0 */

static void
replay_stopped(enum kern_stop why)
{
	(void)why; /* kern_run returns; replay_vm reports what was done */
}

static double
replay_since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* replay_progress: accesses done (of how many), their rate, time left */
static void
replay_progress_show(uint64_t done)
{
	struct timespec now;
	double t, rate;

	clock_gettime(CLOCK_MONOTONIC, &now);
	t = replay_since(&replay_t0, &now);
	if (t < 1.0 ||
	    (replay_shown && replay_since(&replay_tshown, &now) < 0.25))
		return;
	rate = (double)done / t;
	fprintf(stderr, "\ruvmsim: replay: %llu accesses",
	    (unsigned long long)done);
	if (replay_total > 0)
		fprintf(stderr, " of %llu (%.0f%%)",
		    (unsigned long long)replay_total,
		    100.0 * (double)done / (double)replay_total);
	fprintf(stderr, ", %.0f a second", rate);
	if (replay_total > done && rate > 0)
		fprintf(stderr, ", about %.0f s left",
		    (double)(replay_total - done) / rate);
	fprintf(stderr, "\033[K");
	replay_tshown = now;
	replay_shown = true;
}

static void replay_progress_vm(void);

static void
replay_progress_clear(void)
{
	if (replay_shown)
		fputs("\r\033[K", stderr);
	replay_shown = false;
}

static int replay_fail(struct rtrace *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static int
replay_fail(struct rtrace *rt, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rt->rt_why, sizeof(rt->rt_why), fmt, ap);
	va_end(ap);
	rt->rt_failed = true;
	return -1;
}

/*
 * replay_touch: the process touches va (one access): map its region
 * first if it is new.
 *
 * => returns 0, or -1 with the trace failed (an address the process
 *    cannot have, a region that cannot be mapped).
 */
/*
 * replay_rss_point: the first trace's resident set after `refs'
 * references; full, the points are halved and the step doubles
 */
static void
replay_rss_point(uint64_t refs, struct proc *p)
{
	struct replay_rss *rs = replay_rss;
	int i;

	if (rs->rs_n == REPLAY_RSS_MAX) {
		for (i = 0; 2 * i + 1 < rs->rs_n; i++) {
			rs->rs_refs[i] = rs->rs_refs[2 * i + 1];
			rs->rs_pages[i] = rs->rs_pages[2 * i + 1];
		}
		rs->rs_n = i;
		rs->rs_every *= 2;
		if (refs % rs->rs_every != 0)
			return;
	}
	rs->rs_refs[rs->rs_n] = refs;
	rs->rs_pages[rs->rs_n++] =
	    (uint64_t)pmap_resident_count(vm_map_pmap(&p->p_vmspace->vm_map));
}

static int
replay_touch(struct rtrace *rt, struct proc *p, uint64_t page, bool writes)
{
	uint64_t region = page / REPLAY_REGION_PAGES;
	uint32_t before = refmap_count(rt->rt_regions);
	vaddr_t va, rva;
	uint8_t byte;
	int error;

	if (page >= atop(VM_MAXUSER_ADDRESS))
		return replay_fail(rt,
		    "page 0x%llx is outside the user address "
		    "space (0 to 0x%llx)",
		    (unsigned long long)page,
		    (unsigned long long)VM_MAXUSER_ADDRESS - 1);
	if (refmap_id(rt->rt_regions, region) < 0)
		return replay_fail(rt, "out of host memory");
	if (refmap_count(rt->rt_regions) != before) {
		rva = (vaddr_t)ptoa(region * REPLAY_REGION_PAGES);
		error = proc_mmap(p, rva, ptoa(REPLAY_REGION_PAGES),
		    VM_PROT_READ | VM_PROT_WRITE,
		    MMAP_ANON | MMAP_PRIVATE | MMAP_FIXED, -1, 0, &va);
		if (error != 0)
			return replay_fail(rt, "cannot map 0x%llx: %s",
			    (unsigned long long)rva, strerror(error));
	}
	va = (vaddr_t)ptoa(page);
	rt->rt_curpage = page;
	if (writes) {
		byte = (uint8_t)rt->rt_refs;
		(void)proc_store(p, va, &byte, 1);
	} else
		(void)proc_load(p, va, &byte, 1);
	rt->rt_refs++;
	if (replay_rss != NULL && rt == &replay_traces[0] &&
	    rt->rt_refs % replay_rss->rs_every == 0)
		replay_rss_point(rt->rt_refs, p);
	if (replay_checking && rt->rt_refs % REPLAY_CHECK_EVERY == 0 &&
	    !replay_checkfailed) {
		struct kcheck kc;

		kcheck_init(&kc);
		if (uvm_check_all(&kc, true) != 0) {
			replay_checkfailed = true;
			snprintf(replay_checkwhy, sizeof(replay_checkwhy),
			    "%.300s: consistency check failed after reference "
			    "%llu: %.300s",
			    rt->rt_path, (unsigned long long)rt->rt_refs,
			    kc.kc_msg);
		}
	}
	return 0;
}

/* replay_stream: the references of rt's trace, read as they come */
static void
replay_stream(struct rtrace *rt, struct proc *p)
{
	uint64_t pg;
	char where[600], why[sizeof(rt->rt_why)];
	bool writes;
	int got;

	while ((got = tracefile_next_page(rt->rt_tf, PAGE_SHIFT, &pg,
		    &writes)) > 0) {
		if (replay_touch(rt, p, pg, writes) != 0) {
			tracefile_where(rt->rt_tf, where, sizeof(where));
			memcpy(why, rt->rt_why, sizeof(why));
			snprintf(rt->rt_why, sizeof(rt->rt_why),
			    "%.250s: %.250s", where, why);
			return;
		}
		if (replay_checkfailed)
			return;
	}
	if (got < 0)
		(void)replay_fail(rt, "%s", tracefile_error(rt->rt_tf));
	else
		rt->rt_done = true;
}

/* replay_oracle: the references of rt's oracle, with their next uses */
static void
replay_oracle(struct rtrace *rt, struct proc *p)
{
	const struct refmap *rm = oracle_refmap(rt->rt_or);
	char why[sizeof(rt->rt_why)];
	uint32_t id;
	bool writes;
	int got;

	while ((got = oracle_next(rt->rt_or, &id, &writes, &rt->rt_next, why,
		    sizeof(why))) > 0) {
		if (replay_touch(rt, p, refmap_page(rm, id), writes) != 0) {
			snprintf(why, sizeof(why), "%s", rt->rt_why);
			(void)replay_fail(rt, "%.200s: reference %llu: %.250s",
			    rt->rt_path, (unsigned long long)rt->rt_refs + 1,
			    why);
			return;
		}
		if (replay_checkfailed)
			return;
	}
	if (got < 0)
		(void)replay_fail(rt, "%.200s: %.250s", rt->rt_path, why);
	else
		rt->rt_done = true;
}

/* replay_prog: a trace's process */
static int
replay_prog(struct proc *p, void *arg)
{
	struct rtrace *rt = arg;

	if (rt->rt_or != NULL)
		replay_oracle(rt, p);
	else
		replay_stream(rt, p);
	return rt->rt_failed ? 2 : 0;
}

/* replay_of: the trace p replays, or NULL if p is not a replay's */
static struct rtrace *
replay_of(struct proc *p)
{
	return p != NULL && p->p_prog == replay_prog ? p->p_progarg : NULL;
}

/*
 * replay_nextuse: opt's oracle, asked as a page is used: the next use
 * of the page the running trace is touching, in the trace's own count
 * of references.  Several traces' counts run side by side, so between
 * processes opt compares positions in their own traces.
 */
static uint64_t
replay_nextuse(const struct vm_page *pg, vaddr_t va, void *arg)
{
	struct rtrace *rt = replay_of(curproc);

	(void)pg;
	(void)arg;
	if (rt == NULL || atop(va) != rt->rt_curpage)
		return UVMPDPOL_NEVER;
	return rt->rt_next == TB_NEVER ? UVMPDPOL_NEVER : rt->rt_next;
}

static void
replay_progress_vm(void)
{
	uint64_t done = 0;
	int i;

	for (i = 0; i < replay_ntraces; i++)
		done += replay_traces[i].rt_refs;
	replay_progress_show(done);
}

/* replay_exit: a trace's process exits (kern_exit_hook) */
static void
replay_exit(struct proc *p, int status)
{
	struct rtrace *rt = replay_of(p);

	if (rt == NULL)
		return;
	rt->rt_exited = true;
	rt->rt_status = status;
	rt->rt_ru = proc_pstats(p)->p_ru;
	rt->rt_p = NULL;
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');

	return s != NULL && s[1] != '\0' ? s + 1 : path;
}

/*
 * Textbook mode
 */

/*
 * Step by step (--steps, --quiz): a line a reference -- its number, its
 * page, hit or miss, the page replaced, the frames with the next victim
 * first, running hits and misses -- and, in a quiz, the same with the
 * answers left blank for the student.
 */
#define STEP_MAXFRAMES 64 /* a listing wider than that helps nobody */

struct tbstep {
	const struct replay_opts *ts_o;
	struct textbook *ts_tb;
	const struct refmap *ts_rm;
	enum tb_policy ts_pol;
	uint32_t ts_ids[STEP_MAXFRAMES];
	uint64_t ts_aux[STEP_MAXFRAMES];
};

/* step_frame: one frame's page, with what the policy knows of it */
static int
step_frame(const struct tbstep *ts, char *buf, size_t len, uint32_t id,
    uint64_t aux)
{
	uint64_t page = refmap_page(ts->ts_rm, id);

	switch (ts->ts_pol) {
	case TB_OPT:
	case TB_UNOPT:
		/* the reference that uses the page next, counted from 1 */
		if (aux == TB_NEVER)
			return snprintf(buf, len, "%llu@-",
			    (unsigned long long)page);
		return snprintf(buf, len, "%llu@%llu", (unsigned long long)page,
		    (unsigned long long)aux + 1);
	case TB_LFU:
		return snprintf(buf, len, "%llux%llu", (unsigned long long)page,
		    (unsigned long long)aux);
	case TB_CLOCK:
		if (ts->ts_o->ro_tbparams.tp_clockbits > 1)
			return snprintf(buf, len, "%llu:%llu",
			    (unsigned long long)page, (unsigned long long)aux);
		/* FALLTHROUGH */
	case TB_SC:
		return snprintf(buf, len, "%llu%s", (unsigned long long)page,
		    aux ? "*" : "");
	default:
		return snprintf(buf, len, "%llu", (unsigned long long)page);
	}
}

static void
step_header(const struct tbstep *ts)
{
	const struct replay_opts *o = ts->ts_o;
	const char *order[TB_NPOLICIES] = {
		[TB_FIFO] = "oldest first",
		[TB_LRU] = "least recent first",
		[TB_CLOCK] = "from the hand; * used",
		[TB_OPT] = "farthest next use first; page@next",
		[TB_MRU] = "most recent first",
		[TB_UNOPT] = "nearest next use first; page@next",
		[TB_LFU] = "fewest uses first; page x uses",
		[TB_RAND] = "as they sit",
		[TB_SC] = "oldest first; * used",
	};

	fprintf(o->ro_out, "%s, %llu frames%s (frames: %s)\n",
	    tb_policy_name(ts->ts_pol), (unsigned long long)o->ro_frames,
	    o->ro_quiz ? ", a quiz" : "",
	    ts->ts_pol == TB_CLOCK && o->ro_tbparams.tp_clockbits > 1 ?
		"from the hand; page:counter" :
		order[ts->ts_pol]);
	fprintf(o->ro_out, "%6s %8s  %-4s %8s  %-30s %5s %6s\n", "REF", "PAGE",
	    "HIT?", "OUT", "FRAMES", "HITS", "MISSES");
}

/* step: reference id, and print its line in a listing */
static int
step(struct tbstep *ts, uint32_t id, uint64_t next)
{
	const struct replay_opts *o = ts->ts_o;
	struct textbook_counts tc;
	char frames[512], out[32];
	size_t n, k, len = 0;
	int64_t victim;
	int fault;

	if ((fault = textbook_ref(ts->ts_tb, id, next)) < 0)
		return -1;
	if (!o->ro_steps && !o->ro_quiz)
		return 0;
	textbook_counts(ts->ts_tb, &tc);
	if (o->ro_quiz && !o->ro_answers) {
		fprintf(o->ro_out, "%6llu %8llu  %-4s %8s  %-30s %5s %6s\n",
		    (unsigned long long)tc.tc_refs,
		    (unsigned long long)refmap_page(ts->ts_rm, id), "____",
		    "____", "________", "____", "____");
		return 0;
	}
	victim = textbook_victim(ts->ts_tb);
	if (victim >= 0)
		snprintf(out, sizeof(out), "%llu",
		    (unsigned long long)refmap_page(ts->ts_rm,
			(uint32_t)victim));
	else
		snprintf(out, sizeof(out), "-");
	n = textbook_frames(ts->ts_tb, ts->ts_ids, ts->ts_aux, STEP_MAXFRAMES);
	frames[0] = '\0';
	for (k = 0; k < n && len < sizeof(frames) - 32; k++) {
		if (k > 0)
			frames[len++] = ' ';
		len += (size_t)step_frame(ts, frames + len,
		    sizeof(frames) - len, ts->ts_ids[k], ts->ts_aux[k]);
	}
	fprintf(o->ro_out, "%6llu %8llu  %-4s %8s  %-30s %5llu %6llu\n",
	    (unsigned long long)tc.tc_refs,
	    (unsigned long long)refmap_page(ts->ts_rm, id),
	    fault ? "miss" : "hit", out, frames,
	    (unsigned long long)(tc.tc_refs - tc.tc_faults),
	    (unsigned long long)tc.tc_faults);
	return 0;
}

static int
replay_textbook_one(const struct replay_opts *o, const char *path,
    enum tb_policy pol)
{
	struct tracefile *tf;
	struct textbook_counts tc;
	struct oracle *orc = NULL;
	struct refmap *rm = NULL;
	struct tbstep ts = { .ts_o = o, .ts_pol = pol };
	struct tb_params tp;
	uint64_t pg, next = TB_NEVER;
	unsigned shift = (unsigned)__builtin_ctzll(o->ro_mc.mc_pagesize);
	char why[600];
	uint32_t id;
	bool writes;
	int got = 0, rv = 2;

	if ((o->ro_steps || o->ro_quiz) && o->ro_frames > STEP_MAXFRAMES) {
		fprintf(stderr,
		    "uvmsim: replay: a listing step by step has at most %d "
		    "frames\n",
		    STEP_MAXFRAMES);
		return 2;
	}
	if (tracefile_open(&tf, path, why, sizeof(why)) != 0) {
		fprintf(stderr, "uvmsim: %s\n", why);
		return 2;
	}
	tp = o->ro_tbparams;
	if (tp.tp_clockbits == 0)
		tp.tp_clockbits = 1; /* options left zero: the defaults */
	ts.ts_tb = textbook_new_with(pol, o->ro_frames, &tp);
	if (ts.ts_tb == NULL) {
		fprintf(stderr, "uvmsim: out of host memory\n");
		goto out;
	}
	if (tb_policy_future(pol)) {
		if (oracle_build(&orc, tf, shift, why, sizeof(why)) != 0) {
			fprintf(stderr, "uvmsim: %s\n", why);
			goto out;
		}
		ts.ts_rm = oracle_refmap(orc);
		if (o->ro_steps || o->ro_quiz)
			step_header(&ts);
		while (kern_stop_signal == 0 &&
		    (got = oracle_next(orc, &id, &writes, &next, why,
			 sizeof(why))) > 0)
			if (step(&ts, id, next) < 0)
				break;
		if (got != 0 && kern_stop_signal == 0) {
			fprintf(stderr, "uvmsim: %s\n",
			    got < 0 ? why : "out of host memory");
			goto out;
		}
	} else {
		if ((rm = refmap_new()) == NULL) {
			fprintf(stderr, "uvmsim: out of host memory\n");
			goto out;
		}
		ts.ts_rm = rm;
		if (o->ro_steps || o->ro_quiz)
			step_header(&ts);
		while (kern_stop_signal == 0 &&
		    (got = tracefile_next_page(tf, shift, &pg, &writes)) > 0) {
			int64_t i = refmap_id(rm, pg);

			if (i < 0 || step(&ts, (uint32_t)i, TB_NEVER) < 0) {
				fprintf(stderr, "uvmsim: out of host memory\n");
				goto out;
			}
		}
		if (got < 0) {
			fprintf(stderr, "uvmsim: %s\n", tracefile_error(tf));
			goto out;
		}
	}
	textbook_counts(ts.ts_tb, &tc);
	if (kern_stop_signal != 0)
		fprintf(o->ro_out,
		    "partial: the replay was stopped by %s after %llu "
		    "references\n",
		    strsignal(kern_stop_signal),
		    (unsigned long long)tc.tc_refs);
	if (o->ro_result != NULL) {
		o->ro_result->rr_refs += tc.tc_refs;
		o->ro_result->rr_faults += tc.tc_faults;
		o->ro_result->rr_distinct +=
		    orc != NULL ? oracle_pages(orc) : refmap_count(rm);
	}
	if (o->ro_quiz && !o->ro_answers)
		fprintf(o->ro_out, "hits ____, misses ____, hit rate ____%%\n");
	else if (o->ro_steps || o->ro_quiz)
		fprintf(o->ro_out, "hits %llu, misses %llu, hit rate %.2f%%\n",
		    (unsigned long long)(tc.tc_refs - tc.tc_faults),
		    (unsigned long long)tc.tc_faults,
		    tc.tc_refs == 0 ?
			0.0 :
			100.0 * (double)(tc.tc_refs - tc.tc_faults) /
			    (double)tc.tc_refs);
	else
		fprintf(o->ro_out,
		    "%s: %s, %llu frames: %llu references, %llu faults, "
		    "%llu distinct pages, %.2f%% hits\n",
		    path, tb_policy_name(pol), (unsigned long long)o->ro_frames,
		    (unsigned long long)tc.tc_refs,
		    (unsigned long long)tc.tc_faults,
		    (unsigned long long)(orc != NULL ? oracle_pages(orc) :
						       refmap_count(rm)),
		    tc.tc_refs == 0 ?
			0.0 :
			100.0 * (double)(tc.tc_refs - tc.tc_faults) /
			    (double)tc.tc_refs);
	rv = kern_stop_signal != 0 ? 128 + kern_stop_signal : 0;
out:
	oracle_free(orc);
	refmap_free(rm);
	textbook_free(ts.ts_tb);
	tracefile_close(tf);
	return rv;
}

static int
replay_textbook(const struct replay_opts *o)
{
	const char *name =
	    o->ro_mc.mc_policy != NULL ? o->ro_mc.mc_policy : "clock";
	int pol = tb_policy_byname(name), i, rv;

	if (pol < 0) {
		fprintf(stderr,
		    "uvmsim: replay: no textbook policy '%s' (fifo, lru, "
		    "clock, opt, mru, unopt, lfu, rand, sc)\n",
		    name);
		return 2;
	}
	for (i = 0; i < o->ro_ntraces; i++)
		if ((rv = replay_textbook_one(o, o->ro_traces[i], pol)) != 0)
			return rv;
	return 0;
}

/*
 * Full-VM mode
 */

static void
replay_free(struct rtrace *rts, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		tracefile_close(rts[i].rt_tf);
		oracle_free(rts[i].rt_or);
		refmap_free(rts[i].rt_regions);
	}
	free(rts);
}

/* replay_report: what each trace's process did, then every counter */
static void
replay_report(const struct replay_opts *o, struct rtrace *rts, int n)
{
	int i;

	fprintf(o->ro_out, "%-20s %5s %12s %10s %10s %8s  %s\n", "TRACE", "PID",
	    "REFERENCES", "MINFLT", "MAJFLT", "MAXRSS", "END");
	for (i = 0; i < n; i++) {
		struct rtrace *rt = &rts[i];
		char end[64];

		if (!rt->rt_exited)
			snprintf(end, sizeof(end), "still running");
		else if (WIFSIGNALED(rt->rt_status))
			snprintf(end, sizeof(end), "killed by %s",
			    scen_signame(WTERMSIG(rt->rt_status)));
		else
			snprintf(end, sizeof(end), "%s",
			    rt->rt_done ? "done" : "stopped");
		fprintf(o->ro_out, "%-20.20s %5d %12llu %10ld %10ld %8ld  %s\n",
		    base_name(rt->rt_path), rt->rt_pid,
		    (unsigned long long)rt->rt_refs, rt->rt_ru.ru_minflt,
		    rt->rt_ru.ru_majflt, rt->rt_ru.ru_maxrss, end);
	}
	report_vmstat(o->ro_out, NULL);
}

static int
replay_vm(const struct replay_opts *o)
{
	struct machine_config mc = o->ro_mc;
	struct rtrace *rts;
	bool opt = mc.mc_policy != NULL && strcmp(mc.mc_policy, "opt") == 0;
	unsigned shift = (unsigned)__builtin_ctzll(mc.mc_pagesize);
	char why[600];
	int i, n = o->ro_ntraces, rv = 0, error, status;
	bool stopped;

	rts = calloc((size_t)n, sizeof(*rts));
	if (rts == NULL) {
		fprintf(stderr, "uvmsim: out of host memory\n");
		return 2;
	}
	for (i = 0; i < n; i++) {
		struct rtrace *rt = &rts[i];

		rt->rt_path = o->ro_traces[i];
		if (tracefile_open(&rt->rt_tf, rt->rt_path, why, sizeof(why)) !=
			0 ||
		    (rt->rt_regions = refmap_new()) == NULL ||
		    (opt &&
			oracle_build(&rt->rt_or, rt->rt_tf, shift, why,
			    sizeof(why)) != 0)) {
			fprintf(stderr, "uvmsim: %s\n",
			    rt->rt_regions == NULL && rt->rt_tf != NULL ?
				"out of host memory" :
				why);
			replay_free(rts, n);
			return 2;
		}
	}
	/* opt cannot boot without its oracle: the machine boots with the
	 * clock, then the oracle is installed and opt takes over before any
	 * process runs */
	if (opt)
		mc.mc_policy = NULL;
	if ((error = kern_boot(&mc)) != 0) {
		fprintf(stderr, "uvmsim: the machine did not boot: %s\n",
		    machine_boot_why[0] != '\0' ? machine_boot_why :
						  strerror(error));
		replay_free(rts, n);
		return 2;
	}
	if (opt) {
		uvmpdpol_set_oracle(replay_nextuse, NULL);
		if ((error = uvmpdpol_select("opt")) != 0) {
			fprintf(stderr, "uvmsim: cannot select opt: %s\n",
			    strerror(error));
			kern_shutdown();
			replay_free(rts, n);
			return 2;
		}
		mc.mc_policy = "opt";
	}
	report_machine(o->ro_out, &mc);
	/* the machine is up: whoever watches the output may know it */
	(void)fflush(o->ro_out);
	replay_traces = rts;
	replay_ntraces = n;
	replay_rss = o->ro_rss;
	if (replay_rss != NULL) {
		replay_rss->rs_n = 0;
		replay_rss->rs_every = 1;
	}
	if (o->ro_series)
		series_start(0);
	replay_checking = o->ro_check;
	replay_checkfailed = false;
	replay_total = 0;
	for (i = 0; i < n; i++)
		if (rts[i].rt_or != NULL)
			replay_total += oracle_length(rts[i].rt_or);
	kern_exit_hook = replay_exit;
	kern_stop_hook = replay_stopped;
	clock_gettime(CLOCK_MONOTONIC, &replay_t0);
	replay_shown = false;
	if (isatty(STDERR_FILENO))
		kern_poll_hook = replay_progress_vm;
	for (i = 0; i < n; i++) {
		struct rtrace *rt = &rts[i];

		while ((error = kern_spawn(base_name(rt->rt_path), replay_prog,
			    rt, &rt->rt_p)) == ENOMEM &&
		    clock_now() < 10 * REPLAY_SEC)
			(void)kern_run(clock_now() + REPLAY_SEC / 8);
		if (error != 0) {
			fprintf(stderr,
			    "uvmsim: cannot start the process of "
			    "%s: %s\n",
			    rt->rt_path, strerror(error));
			rv = 1;
			break;
		}
		rt->rt_pid = rt->rt_p->p_pid;
	}
	(void)kern_run(SIMTIME_NEVER);
	kern_poll_hook = NULL;
	replay_progress_clear();
	stopped = kern_stopped() != KSTOP_NONE;
	series_stop();
	replay_rss = NULL;
	for (i = 0; i < n; i++) {
		struct rtrace *rt = &rts[i];

		if (rt->rt_exited)
			(void)kern_collect(rt->rt_pid, &status);
		if (rt->rt_failed && rv != 2) {
			fprintf(stderr, "uvmsim: %s\n", rt->rt_why);
			rv = 2;
		}
	}
	if (replay_checkfailed) {
		fprintf(stderr, "uvmsim: %s\n", replay_checkwhy);
		rv = rv == 0 ? 1 : rv;
	}
	/* a process stopped alive: its figures so far, if it is in memory */
	for (i = 0; i < n; i++) {
		struct proc *p = rts[i].rt_p;

		if (!rts[i].rt_exited && p != NULL && (p->p_flag & P_INMEM) &&
		    p->p_stats != 0)
			rts[i].rt_ru = proc_pstats(p)->p_ru;
	}
	if (o->ro_result != NULL) {
		struct replay_result *rr = o->ro_result;

		for (i = 0; i < n; i++) {
			rr->rr_refs += rts[i].rt_refs;
			rr->rr_minflt += (uint64_t)rts[i].rt_ru.ru_minflt;
			rr->rr_majflt += (uint64_t)rts[i].rt_ru.ru_majflt;
		}
		rr->rr_faults = uvmexp.faults;
		rr->rr_pageins = swapcounters.pgreads + uvncounters.pgreads;
		rr->rr_pageouts = swapcounters.pgwrites + uvncounters.pgwrites;
		rr->rr_pdwoke = uvmexp.pdwoke;
		rr->rr_time = clock_now();
	}
	if (rv != 2) {
		if (stopped) {
			char t[40];

			snprintf(t, sizeof(t), "%llu.%06llu s",
			    (unsigned long long)(clock_now() / REPLAY_SEC),
			    (unsigned long long)(clock_now() % REPLAY_SEC));
			fprintf(o->ro_out,
			    "partial: the replay was stopped by %s at simulated "
			    "time %s\n",
			    kern_stop_signal != 0 ?
				strsignal(kern_stop_signal) :
				"a limit",
			    t);
		}
		replay_report(o, rts, n);
		for (i = 0; i < n && rv == 0; i++)
			if (!rts[i].rt_done)
				rv = 1;
		if (stopped && kern_stop_signal != 0)
			rv = 128 + kern_stop_signal;
	}
	kern_exit_hook = NULL;
	kern_stop_hook = NULL;
	if (stopped) {
		/*
		 * The machine stopped where it was, perhaps in the middle of
		 * a page's I/O: it is not shut down but abandoned, as the
		 * command line's stop does (the program exits next).
		 */
		(void)fflush(o->ro_out);
		return rv;
	}
	kern_shutdown();
	replay_traces = NULL;
	replay_ntraces = 0;
	replay_free(rts, n);
	return rv;
}

int
replay_run(const struct replay_opts *o)
{
	if (o->ro_result != NULL)
		memset(o->ro_result, 0, sizeof(*o->ro_result));
	if (o->ro_ntraces == 0) {
		fprintf(stderr, "uvmsim: replay: no trace given\n");
		return 2;
	}
	return o->ro_frames > 0 ? replay_textbook(o) : replay_vm(o);
}
