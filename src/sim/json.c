/*
 * json.c: --json, every counter and each process's figures at the end
 * of a run, for programs to read.
 */

#include <errno.h>
#include <string.h>
#include <sys/wait.h>

#include "sim/scen_exec.h"

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
