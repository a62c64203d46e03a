/*
 * json.c: --json, every counter and each process's figures at the end
 * of a run, and what was recorded over the run (series.h), for
 * programs to read.  The format is uvmsim(1)'s; "version" changes when
 * a field changes meaning or goes away (adding one does not).
 */

#include <errno.h>
#include <string.h>
#include <sys/wait.h>

#include "machine/trace.h"
#include "sim/outfile.h"
#include "sim/scen_exec.h"
#include "sim/series.h"

/* the format's version: 2 added "format", "version" and "series" */
#define JSON_VERSION 2

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
		if (WIFSIGNALED(sp->sp_status))
			fprintf(f, ", \"signal\": \"SIG%s\", \"core\": %s",
			    scen_signame(WTERMSIG(sp->sp_status)),
			    (sp->sp_status & W_COREFLAG) ? "true" : "false");
		else
			fprintf(f, ", \"exit_status\": %d",
			    WEXITSTATUS(sp->sp_status));
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

/* a list of n numbers, v(i_) each */
#define JSON_LIST(f, n, v)                                           \
	do {                                                         \
		int i_;                                              \
		fputc('[', f);                                       \
		for (i_ = 0; i_ < (n); i_++)                         \
			series_put(f, i_ ? ',' : 0, (long long)(v)); \
		fputc(']', f);                                       \
	} while (0)

static void
json_snapshot(FILE *f, const struct series_snap *sn)
{
	int i, e, k, n;

	fprintf(f, "      { \"label\": ");
	json_str(f, sn->sn_label);
	fprintf(f,
	    ", \"t_us\": %llu, \"anons\": %d, \"amaps\": %d, "
	    "\"processes\": [",
	    (unsigned long long)sn->sn_t, sn->sn_nanons, sn->sn_namaps);
	for (i = 0; i < sn->sn_nprocs; i++) {
		const struct series_sproc *sp = &sn->sn_procs[i];

		fprintf(f,
		    "%s\n        { \"pid\": %d, \"name\": ", i ? "," : "",
		    sp->ss_pid);
		json_str(f, sp->ss_name);
		fprintf(f, ", \"rss_pages\": %ld, \"entries\": [", sp->ss_rss);
		for (e = 0; e < sp->ss_nentries; e++) {
			const struct series_sentry *en = &sp->ss_entries[e];

			fprintf(f,
			    "%s\n          { \"start\": %llu, \"end\": "
			    "%llu, \"prot\": %d, \"maxprot\": %d, "
			    "\"inherit\": %d, \"wired\": %d, \"advice\": "
			    "%d, \"maps\": ",
			    e ? "," : "", (unsigned long long)en->se_start,
			    (unsigned long long)en->se_end, en->se_prot,
			    en->se_maxprot, en->se_inherit, en->se_wired,
			    en->se_advice);
			json_str(f, en->se_maps);
			fprintf(f,
			    ", \"amap\": %d, \"amap_refs\": %d, "
			    "\"needs_copy\": %s, \"cow\": %s, \"pages\": [",
			    en->se_amap, en->se_amaprefs,
			    en->se_needscopy ? "true" : "false",
			    en->se_cow ? "true" : "false");
			for (k = 0, n = 0; k < en->se_nkept; k++) {
				const struct series_spage *p = &en->se_pages[k];

				fprintf(f,
				    "%s\n            [%llu, %d, %d, %d, %d, "
				    "%u]",
				    n++ ? "," : "",
				    (unsigned long long)p->sp_va, p->sp_pfn,
				    p->sp_slot, p->sp_anon, p->sp_anonrefs,
				    p->sp_flags);
			}
			fprintf(f, "] }");
		}
		fprintf(f, "] }");
	}
	fprintf(f, "] }");
}

/*
 * json_series: the "series" member: the samples, each process's lane,
 * the events and the snapshots (uvmsim(1) describes each field).
 */
static void
json_series(FILE *f, const struct series *s)
{
	int c, l, i;

	fprintf(f, ",\n  \"series\": {\n    \"interval_us\": %llu,\n",
	    (unsigned long long)s->s_interval);
	fprintf(f, "    \"t_us\": ");
	JSON_LIST(f, s->s_n, (long long)s->s_t[i_]);
	fprintf(f, ",\n    \"counters\": {");
	for (c = 0; c < SC_N; c++) {
		fprintf(f, "%s\n      \"%s\": ", c ? "," : "",
		    series_ctr_name(c));
		JSON_LIST(f, s->s_n, (long long)s->s_ctr[i_][c]);
	}
	fprintf(f, "\n    },\n    \"states\": [");
	for (i = 0; i < PS_N; i++)
		fprintf(f, "%s\"%s\"", i ? ", " : "", series_pstate_name(i));
	fprintf(f, "],\n    \"processes\": [");
	for (l = 0; l < s->s_nlanes; l++) {
		const struct series_lane *ln = &s->s_lanes[l];

		fprintf(f, "%s\n      { \"pid\": %d, \"name\": ", l ? "," : "",
		    ln->sl_pid);
		json_str(f, ln->sl_name);
		fprintf(f, ", \"state\": ");
		JSON_LIST(f, s->s_n, ln->sl_s[i_].ps_state);
		fprintf(f, ", \"rss_pages\": ");
		JSON_LIST(f, s->s_n, ln->sl_s[i_].ps_rss);
		fprintf(f, ", \"wired_pages\": ");
		JSON_LIST(f, s->s_n, ln->sl_s[i_].ps_wired);
		fprintf(f, " }");
	}
	fprintf(f, "\n    ],\n    \"events\": [");
	for (i = 0; i < s->s_nevents; i++) {
		const struct series_event *e = &s->s_events[i];

		fprintf(f,
		    "%s\n      { \"t_us\": %llu, \"kind\": \"%s\", "
		    "\"pid\": %d, \"arg\": %ld",
		    i ? "," : "", (unsigned long long)e->se_t,
		    vmev_name((enum vmev_kind)e->se_kind), e->se_pid,
		    e->se_arg);
		if (e->se_why != NULL) {
			fprintf(f, ", \"why\": ");
			json_str(f, e->se_why);
		}
		fprintf(f, " }");
	}
	fprintf(f, "\n    ],\n    \"events_dropped\": %llu,\n",
	    (unsigned long long)s->s_events_dropped);
	fprintf(f, "    \"snapshots\": [");
	for (i = 0; i < s->s_nsnaps; i++) {
		fprintf(f, "%s\n", i ? "," : "");
		json_snapshot(f, &s->s_snaps[i]);
	}
	fprintf(f, "\n    ]\n  }");
}

/*
 * json_write: --json: the machine, the expectations, every counter and
 * every process's figures into the file path.
 *
 * => returns 0, or -1 with the reason on the standard error.
 */
int
json_write(struct srun *r, const char *path)
{
	const struct machine_config *mc = &r->sc->sc_mc;
	FILE *f = outfile_open(path);
	int i;

	if (f == NULL) {
		fprintf(stderr, "uvmsim: --json %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	fprintf(f,
	    "{\n  \"format\": \"uvmsim-run\",\n  \"version\": %d,\n"
	    "  \"scenario\": ",
	    JSON_VERSION);
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
	fprintf(f, "  ]");
	if (series_get() != NULL)
		json_series(f, series_get());
	fprintf(f, "\n}\n");
	if (outfile_close(f) != 0) {
		fprintf(stderr, "uvmsim: --json %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}
