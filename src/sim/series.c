/*
 * series.c: the recorder behind --json's time series and --html's
 * pictures (series.h).
 *
 * Samples are taken on the clock's way forward: kern_clock_set calls
 * series_tick before it moves the clock past the next sample's time, so
 * a sample shows the machine as it was at that moment, whether the
 * clock got there by a process computing or by the idle loop jumping to
 * the next callout.  A jump over many sample times records each of them
 * (the machine did not change on the way).  Nothing here allocates from
 * or changes the simulation.
 *
 * Bounding: the sample arrays have SERIES_MAXSAMPLES places.  When they
 * are full, the odd-numbered samples are dropped and the interval
 * doubles, so a run of any length keeps between half and all of them,
 * evenly spaced; cumulative counters stay exact at the samples kept.
 */

#include <stdlib.h>
#include <string.h>

#include "kern/kern.h"
#include "machine/pmap.h"
#include "machine/trace.h"
#include "sim/scenario.h"
#include "sim/series.h"
#include "sim/vmview.h"

static struct series *rec; /* what is recorded; NULL: nothing */
static bool recording;	   /* rec is being added to */
static simtime_t next_at;  /* the next sample's time */
static int *pidlane;	   /* pid -> its newest lane + 1, 0: none */
static int npidlane;
static int capevents, caplanes;
static uint64_t nsamples; /* samples taken, kept or not */

/* where each sampled counter comes from: the sum of these counters */
static const char *const ctr_sources[SC_N][2] = {
	[SC_FREE] = { "free", NULL },
	[SC_ACTIVE] = { "active", NULL },
	[SC_INACTIVE] = { "inactive", NULL },
	[SC_WIRED] = { "wired", NULL },
	[SC_ZERO] = { "zeropages", NULL },
	[SC_SWAPUSED] = { "swpginuse", NULL },
	[SC_FLT_ANON] = { "flt_anon", NULL },
	[SC_FLT_ACOW] = { "flt_acow", NULL },
	[SC_FLT_OBJ] = { "flt_obj", NULL },
	[SC_FLT_PRCOPY] = { "flt_prcopy", NULL },
	[SC_FLT_PRZERO] = { "flt_przero", NULL },
	[SC_PAGEINS] = { "swap.pgreads", "vnode.pgreads" },
	[SC_PAGEOUTS] = { "swap.pgwrites", "vnode.pgwrites" },
	[SC_PDWOKE] = { "pdwoke", NULL },
	[SC_PDSCANS] = { "pdscans", NULL },
	[SC_PDFREED] = { "pdfreed", NULL },
};
static const char *const ctr_names[SC_N] = { "free", "active", "inactive",
	"wired", "zero", "swap_used", "flt_anon", "flt_acow", "flt_obj",
	"flt_prcopy", "flt_przero", "pageins", "pageouts", "pdwoke", "pdscans",
	"pdfreed" };

/*
 * ctr_read: the counters, into v[], read straight from the kernel's
 * structures: a sample is taken every tick, and calling each counter's
 * getter (report.c) was most of its cost.  ctr_sources names what each
 * reads, and series_start checks once that the two agree.
 */
static void
ctr_read(uint64_t *v)
{
	v[SC_FREE] = (uint64_t)uvmexp.free;
	v[SC_ACTIVE] = (uint64_t)uvmexp.active;
	v[SC_INACTIVE] = (uint64_t)uvmexp.inactive;
	v[SC_WIRED] = (uint64_t)uvmexp.wired;
	v[SC_ZERO] = (uint64_t)uvmexp.zeropages;
	v[SC_SWAPUSED] = (uint64_t)uvmexp.swpginuse;
	v[SC_FLT_ANON] = (uint64_t)uvmexp.flt_anon;
	v[SC_FLT_ACOW] = (uint64_t)uvmexp.flt_acow;
	v[SC_FLT_OBJ] = (uint64_t)uvmexp.flt_obj;
	v[SC_FLT_PRCOPY] = (uint64_t)uvmexp.flt_prcopy;
	v[SC_FLT_PRZERO] = (uint64_t)uvmexp.flt_przero;
	v[SC_PAGEINS] =
	    (uint64_t)swapcounters.pgreads + (uint64_t)uvncounters.pgreads;
	v[SC_PAGEOUTS] =
	    (uint64_t)swapcounters.pgwrites + (uint64_t)uvncounters.pgwrites;
	v[SC_PDWOKE] = (uint64_t)uvmexp.pdwoke;
	v[SC_PDSCANS] = (uint64_t)uvmexp.pdscans;
	v[SC_PDFREED] = (uint64_t)uvmexp.pdfreed;
}

/* ctr_check: each counter ctr_read reads is the one ctr_sources names */
static void
ctr_check(void)
{
	const struct report_counter *rc;
	uint64_t v[SC_N], want;
	int c, k;

	ctr_read(v);
	for (c = 0; c < SC_N; c++) {
		for (want = 0, k = 0; k < 2 && ctr_sources[c][k] != NULL; k++) {
			rc = report_counter(ctr_sources[c][k]);
			KASSERTMSG(rc != NULL, "series: no counter %s",
			    ctr_sources[c][k]);
			want += rc->rc_get();
		}
		KASSERTMSG(v[c] == want,
		    "series: %s reads %llu, vmstat's counters %llu",
		    ctr_names[c], (unsigned long long)v[c],
		    (unsigned long long)want);
	}
}

static const char *const pstate_names[PS_N] = { "running", "runnable", "asleep",
	"asleep-long", "swapped", "stopped", "zombie" };

const char series_digit_pairs[201] = "0001020304050607080910111213141516171819"
				     "2021222324252627282930313233343536373839"
				     "4041424344454647484950515253545556575859"
				     "6061626364656667686970717273747576777879"
				     "8081828384858687888990919293949596979899";

void
series_put(FILE *f, char sep, long long v)
{
	char buf[24], *p = buf + sizeof(buf);

	p = series_digits(p,
	    v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v);
	if (v < 0)
		*--p = '-';
	if (sep != 0)
		*--p = sep;
	/* the streams are the thread's own: no lock a character */
	for (; p < buf + sizeof(buf); p++)
		putc_unlocked(*p, f);
}

const char *
series_ctr_name(int c)
{
	return c >= 0 && c < SC_N ? ctr_names[c] : "?";
}

const char *
series_pstate_name(int s)
{
	return s >= 0 && s < PS_N ? pstate_names[s] : "none";
}

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (p == NULL) {
		fprintf(stderr,
		    "uvmsim: out of host memory for the time "
		    "series\n");
		exit(1);
	}
	return p;
}

static void *
xrealloc(void *p, size_t size)
{
	p = realloc(p, size);
	if (p == NULL) {
		fprintf(stderr,
		    "uvmsim: out of host memory for the time "
		    "series\n");
		exit(1);
	}
	return p;
}

/* p's state, as a lane shows it */
static int
proc_state(const struct proc *p)
{
	if (p->p_stat == SZOMB || p->p_stat == SDEAD)
		return PS_ZOMBIE;
	if ((p->p_flag & P_INMEM) == 0)
		return PS_SWAPPED;
	switch (p->p_stat) {
	case SONPROC:
		return PS_RUNNING;
	case SRUN:
	case SIDL:
		return PS_RUNNABLE;
	case SSTOP:
		return PS_STOPPED;
	default:
		return (int)p->p_slptime > maxslp ? PS_ASLEEP_LONG : PS_ASLEEP;
	}
}

/*
 * lane_of: p's lane, made on first sight.  A pid missing from the last
 * sample was reaped since, and one seen again is a new process: it
 * gets a new lane.
 */
static struct series_lane *
lane_of(const struct proc *p)
{
	struct series_lane *l;
	int n, i;

	if (p->p_pid >= npidlane) {
		n = MAX(p->p_pid + 1, npidlane * 2);
		pidlane = xrealloc(pidlane, (size_t)n * sizeof(*pidlane));
		memset(pidlane + npidlane, 0,
		    (size_t)(n - npidlane) * sizeof(*pidlane));
		npidlane = n;
	}
	if (pidlane[p->p_pid] != 0) {
		l = &rec->s_lanes[pidlane[p->p_pid] - 1];
		if (l->sl_seen + 1 >= nsamples)
			return l;
	}
	if (rec->s_nlanes == caplanes) {
		caplanes = caplanes ? caplanes * 2 : 16;
		rec->s_lanes = xrealloc(rec->s_lanes,
		    (size_t)caplanes * sizeof(*rec->s_lanes));
	}
	l = &rec->s_lanes[rec->s_nlanes++];
	memset(l, 0, sizeof(*l));
	l->sl_pid = p->p_pid;
	l->sl_s = xcalloc(SERIES_MAXSAMPLES, sizeof(*l->sl_s));
	for (i = 0; i < SERIES_MAXSAMPLES; i++)
		l->sl_s[i].ps_state = PS_NONE;
	pidlane[p->p_pid] = rec->s_nlanes;
	return l;
}

/* one process into sample i of its lane */
static void
sample_proc(const struct proc *p, int i)
{
	struct series_lane *l;
	struct pmap *pm;

	if (p->p_flag & P_SYSTEM)
		return;
	l = lane_of(p);
	l->sl_seen = nsamples;
	memcpy(l->sl_name, p->p_comm, sizeof(l->sl_name));
	l->sl_name[sizeof(l->sl_name) - 1] = '\0';
	l->sl_s[i].ps_state = (int8_t)proc_state(p);
	if (p->p_vmspace != NULL && p->p_stat != SZOMB && p->p_stat != SDEAD) {
		pm = vm_map_pmap(&p->p_vmspace->vm_map);
		l->sl_s[i].ps_rss = (int32_t)pmap_resident_count(pm);
		l->sl_s[i].ps_wired = (int32_t)pmap_wired_count(pm);
	}
}

/* halve the samples: keep the even-numbered ones, double the interval */
static void
compact(void)
{
	struct series_lane *l;
	int i, j, n = (rec->s_n + 1) / 2;

	for (j = 0, i = 0; j < n; j++, i += 2) {
		rec->s_t[j] = rec->s_t[i];
		memcpy(rec->s_ctr[j], rec->s_ctr[i], sizeof(rec->s_ctr[j]));
	}
	for (l = rec->s_lanes; l < rec->s_lanes + rec->s_nlanes; l++) {
		for (j = 0, i = 0; j < n; j++, i += 2)
			l->sl_s[j] = l->sl_s[i];
		for (; j < SERIES_MAXSAMPLES; j++) {
			memset(&l->sl_s[j], 0, sizeof(l->sl_s[j]));
			l->sl_s[j].ps_state = PS_NONE;
		}
	}
	rec->s_n = n;
	rec->s_interval *= 2;
}

/* take a sample: the machine now, stamped t */
static void
sample(simtime_t t)
{
	struct proc *p;
	int i;

	if (rec->s_n == SERIES_MAXSAMPLES)
		compact();
	i = rec->s_n++;
	nsamples++;
	rec->s_t[i] = t;
	ctr_read(rec->s_ctr[i]);
	LIST_FOREACH (p, &allproc, p_list)
		sample_proc(p, i);
	LIST_FOREACH (p, &zombproc, p_list)
		sample_proc(p, i);
}

/* the next sample's time after t: the next multiple of the interval */
static simtime_t
next_after(simtime_t t)
{
	return (t / rec->s_interval + 1) * rec->s_interval;
}

/*
 * series_tick: kern_sample_hook: the clock moves to `to'; take the
 * samples due up to and including it, all showing the machine as it is.
 */
static void
series_tick(simtime_t to)
{
	while (next_at <= to) {
		sample(next_at);
		next_at = next_after(next_at);
	}
	kern_sample_at = next_at;
}

/* the events' sink (machine/trace.h): keep the first SERIES_MAXEVENTS */
static void
series_event(const struct vmev *ev)
{
	struct series_event *se;

	if (rec->s_nevents == SERIES_MAXEVENTS) {
		rec->s_events_dropped++;
		return;
	}
	if (rec->s_nevents == capevents) {
		capevents = capevents ? capevents * 2 : 64;
		rec->s_events = xrealloc(rec->s_events,
		    (size_t)capevents * sizeof(*rec->s_events));
	}
	se = &rec->s_events[rec->s_nevents++];
	se->se_t = clock_now();
	se->se_kind = ev->ev_kind;
	se->se_pid = ev->ev_pid;
	se->se_arg = ev->ev_arg;
	se->se_why = ev->ev_why;
}

void
series_start(simtime_t interval)
{
	series_free();
	ctr_check();
	rec = xcalloc(1, sizeof(*rec));
	rec->s_interval = interval != 0 ? interval : tick_us();
	rec->s_npages = (size_t)uvmexp.npages;
	rec->s_swpages = (size_t)uvmexp.swpages;
	recording = true;
	sample(clock_now());
	next_at = next_after(clock_now());
	kern_sample_at = next_at;
	kern_sample_hook = series_tick;
	vmev_sink = series_event;
}

/* lanes in the order of their pids, and of birth for a pid reused */
static int
lane_cmp(const void *a, const void *b)
{
	const struct series_lane *la = a, *lb = b;

	if (la->sl_pid != lb->sl_pid)
		return la->sl_pid < lb->sl_pid ? -1 : 1;
	return la->sl_seen < lb->sl_seen ? -1 : la->sl_seen > lb->sl_seen;
}

void
series_stop(void)
{
	if (!recording)
		return;
	recording = false;
	kern_sample_hook = NULL;
	kern_sample_at = SIMTIME_NEVER;
	vmev_sink = NULL;
	if (rec->s_t[rec->s_n - 1] != clock_now())
		sample(clock_now());
	if (rec->s_nlanes > 0)
		qsort(rec->s_lanes, (size_t)rec->s_nlanes,
		    sizeof(*rec->s_lanes), lane_cmp);
	if (npidlane > 0)
		memset(pidlane, 0, (size_t)npidlane * sizeof(*pidlane));
}

bool
series_recording(void)
{
	return recording;
}

const struct series *
series_get(void)
{
	return rec;
}

static void
snap_free(struct series_snap *sn)
{
	int i, j;

	for (i = 0; i < sn->sn_nprocs; i++) {
		for (j = 0; j < sn->sn_procs[i].ss_nentries; j++)
			free(sn->sn_procs[i].ss_entries[j].se_pages);
		free(sn->sn_procs[i].ss_entries);
	}
	free(sn->sn_procs);
	free(sn->sn_label);
}

void
series_free(void)
{
	int i;

	series_stop();
	if (rec == NULL)
		return;
	for (i = 0; i < rec->s_nlanes; i++)
		free(rec->s_lanes[i].sl_s);
	for (i = 0; i < rec->s_nsnaps; i++)
		snap_free(&rec->s_snaps[i]);
	free(rec->s_snaps);
	free(rec->s_lanes);
	free(rec->s_events);
	free(rec);
	rec = NULL;
	free(pidlane);
	pidlane = NULL;
	npidlane = caplanes = capevents = 0;
	nsamples = 0;
}

/* the snapshot being added to */
static struct series_snap *
snap_new(const char *label)
{
	struct series_snap *sn;
	char buf[32];

	rec->s_snaps = xrealloc(rec->s_snaps,
	    (size_t)(rec->s_nsnaps + 1) * sizeof(*rec->s_snaps));
	sn = &rec->s_snaps[rec->s_nsnaps++];
	memset(sn, 0, sizeof(*sn));
	if (label == NULL) {
		snprintf(buf, sizeof(buf), "snapshot %d", rec->s_nsnaps);
		label = buf;
	}
	sn->sn_label = strdup(label);
	if (sn->sn_label == NULL) {
		fprintf(stderr,
		    "uvmsim: out of host memory for the time "
		    "series\n");
		exit(1);
	}
	sn->sn_t = clock_now();
	return sn;
}

/* what snap_entry needs: the process being copied, and the numberings */
struct snapwalk {
	struct series_sproc *sw_sp;
	struct vmview_ids *sw_anons, *sw_amaps;
	int sw_cap;
};

/* a page with no data, no frame and no mapping: not kept */
static bool
untouched(const struct vmview_page *vp)
{
	return vp->vp_data == VMVIEW_DATA_NONE && vp->vp_pfn < 0 &&
	    vp->vp_mapped_pfn < 0 && vp->vp_swslot < 0;
}

/* vmview_walk's function: copy one entry and its pages */
static int
snap_entry(void *arg, const struct vmview_entry *ve)
{
	struct snapwalk *sw = arg;
	struct series_sproc *sp = sw->sw_sp;
	struct series_sentry *se;
	int i, n;

	if (sp->ss_nentries == sw->sw_cap) {
		sw->sw_cap = sw->sw_cap ? sw->sw_cap * 2 : 8;
		sp->ss_entries = xrealloc(sp->ss_entries,
		    (size_t)sw->sw_cap * sizeof(*sp->ss_entries));
	}
	se = &sp->ss_entries[sp->ss_nentries++];
	memset(se, 0, sizeof(*se));
	se->se_start = ve->ve_start;
	se->se_end = ve->ve_end;
	se->se_prot = ve->ve_prot;
	se->se_maxprot = ve->ve_maxprot;
	se->se_inherit = ve->ve_inherit;
	se->se_wired = ve->ve_wired;
	se->se_advice = ve->ve_advice;
	snprintf(se->se_maps, sizeof(se->se_maps), "%s", ve->ve_maps);
	se->se_amap =
	    ve->ve_amap != NULL ? vmview_id(sw->sw_amaps, ve->ve_amap) : 0;
	se->se_amaprefs = ve->ve_amap_refs;
	se->se_needscopy = ve->ve_needs_copy;
	se->se_cow = ve->ve_cow;
	se->se_npages = ve->ve_npages;
	if (ve->ve_pages == NULL) /* none touched: nothing to keep */
		return 0;
	for (i = 0, n = 0; i < ve->ve_npages; i++)
		n += !untouched(&ve->ve_pages[i]);
	se->se_pages = xcalloc((size_t)MAX(n, 1), sizeof(*se->se_pages));
	for (i = 0; i < ve->ve_npages; i++) {
		const struct vmview_page *vp = &ve->ve_pages[i];
		struct series_spage *p;

		if (untouched(vp))
			continue;
		p = &se->se_pages[se->se_nkept++];

		p->sp_va = vp->vp_va;
		p->sp_pfn = (int)vp->vp_pfn;
		p->sp_slot = (int)vp->vp_swslot;
		p->sp_anon = vp->vp_anon != NULL ?
		    vmview_id(sw->sw_anons, vp->vp_anon) :
		    0;
		p->sp_anonrefs = vp->vp_anon_refs;
		p->sp_flags = (vp->vp_pfn >= 0 ? SPF_RESIDENT : 0) |
		    (vp->vp_mapped_pfn >= 0 ? SPF_MAPPED : 0) |
		    (vp->vp_wired ? SPF_WIRED : 0) |
		    (vp->vp_referenced ? SPF_REF : 0) |
		    (vp->vp_modified ? SPF_MOD : 0) |
		    (vp->vp_data == VMVIEW_DATA_OBJECT ? SPF_OBJECT : 0) |
		    (vp->vp_used ? SPF_USED : 0);
	}
	return 0;
}

/* one process into a snapshot */
static void
snap_proc(struct proc *p, struct series_sproc *sp, struct vmview_ids *anons,
    struct vmview_ids *amaps)
{
	struct snapwalk sw = { sp, anons, amaps, 0 };

	sp->ss_pid = p->p_pid;
	memcpy(sp->ss_name, p->p_comm, sizeof(sp->ss_name));
	sp->ss_name[sizeof(sp->ss_name) - 1] = '\0';
	sp->ss_rss = pmap_resident_count(vm_map_pmap(&p->p_vmspace->vm_map));
	(void)vmview_walk(p, snap_entry, &sw);
}

void
series_snapshot(const char *label)
{
	struct vmview_ids anons, amaps;
	struct series_snap *sn;
	struct proc *p;
	int n = 0;

	if (!recording)
		return;
	sn = snap_new(label);
	vmview_ids_init(&anons);
	vmview_ids_init(&amaps);
	proclist_lock_read();
	LIST_FOREACH (p, &allproc, p_list)
		n++;
	sn->sn_procs = xcalloc((size_t)MAX(n, 1), sizeof(*sn->sn_procs));
	/* in pid order, so the numbering reads from the oldest process */
	for (;;) {
		struct proc *best = NULL;
		int last =
		    sn->sn_nprocs ? sn->sn_procs[sn->sn_nprocs - 1].ss_pid : -1;

		LIST_FOREACH (p, &allproc, p_list)
			if ((p->p_flag & P_SYSTEM) == 0 && p->p_pid > last &&
			    p->p_vmspace != NULL &&
			    (best == NULL || p->p_pid < best->p_pid))
				best = p;
		if (best == NULL)
			break;
		snap_proc(best, &sn->sn_procs[sn->sn_nprocs++], &anons, &amaps);
	}
	proclist_unlock_read();
	sn->sn_nanons = anons.vi_n;
	sn->sn_namaps = amaps.vi_n;
	vmview_ids_free(&anons);
	vmview_ids_free(&amaps);
}

void
series_snapshot_end(void)
{
	struct proc *p;
	bool any = false;

	if (!recording ||
	    (rec->s_nsnaps > 0 &&
		rec->s_snaps[rec->s_nsnaps - 1].sn_t == clock_now()))
		return;
	LIST_FOREACH (p, &allproc, p_list)
		any |= (p->p_flag & P_SYSTEM) == 0 && p->p_vmspace != NULL;
	if (any)
		series_snapshot("the end");
}
