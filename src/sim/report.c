/*
 * report.c: what the scenario's report commands print -- ps, vmstat
 * (in the manner of NetBSD's vmstat -s), procmap (in the manner of
 * pmap -l), swapctl -l -- and the counters by name, for expect and for
 * --json.
 *
 * Nothing printed depends on the host: no pointers, no host times, so
 * the same scenario prints the same report every time.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sim/scenario.h"
#include "sim/suggest.h"

/*
 * The counters, as X-macro lists: the name expect and --json use, and
 * the line vmstat prints.  Each list is one structure's fields.
 */
#define UVMEXP_COUNTERS(X)                                            \
	X(npages, "pages managed")                                    \
	X(free, "pages free")                                         \
	X(zeropages, "free pages known to be zero")                   \
	X(active, "pages active")                                     \
	X(inactive, "pages inactive")                                 \
	X(paging, "pages being paged in or out")                      \
	X(wired, "pages wired down")                                  \
	X(reserve_pagedaemon, "reserve pages for the pagedaemon")     \
	X(reserve_kernel, "reserve pages for the kernel")             \
	X(freemin, "minimum free pages (the pagedaemon wakes below)") \
	X(freetarg, "target free pages")                              \
	X(inactarg, "target inactive pages")                          \
	X(wiredmax, "maximum wired pages")                            \
	X(pga_alloc, "pages allocated")                               \
	X(pga_free, "pages freed")                                    \
	X(pga_fail, "page allocations refused")                       \
	X(pga_zerohit, "zero-fill served by a known-zero page")       \
	X(pga_zeromiss, "zero-fill that had to zero a page")          \
	X(pga_idlezero, "pages zeroed while idle")                    \
	X(swpages, "swap pages")                                      \
	X(swpginuse, "swap pages in use")                             \
	X(swpgonly, "pages whose only copy is in swap")               \
	X(nanon, "anons")                                             \
	X(namap, "amaps")                                             \
	X(nmapent, "map entries")                                     \
	X(nvmspace, "address spaces")                                 \
	X(naobj, "anonymous objects")                                 \
	X(map_merges, "mappings merged into an entry")                \
	X(map_copymerges, "copy-on-write entries merged (amap_copy)") \
	X(pdwait, "waits for free memory")                            \
	X(faults, "page faults")                                      \
	X(flt_anon, "faults 1A: anon page mapped")                    \
	X(flt_acow, "faults 1B: anon page copied on write")           \
	X(flt_obj, "faults 2A: object page mapped")                   \
	X(flt_prcopy, "faults 2B: object page copied into an anon")   \
	X(flt_przero, "faults 2B: zero-fill page")                    \
	X(flt_amcopy, "amaps copied (needs-copy resolved)")           \
	X(flt_noram, "faults that waited for memory")                 \
	X(flt_noanon, "faults that waited for an anon")               \
	X(flt_noamap, "faults that waited for an amap")               \
	X(flt_pgwait, "faults that waited for a busy page")           \
	X(flt_anget, "pages read back from swap")                     \
	X(flt_get, "object pages got through the pager")              \
	X(flt_lget, "object pages got without waiting")               \
	X(flt_wired, "pages wired by a fault")                        \
	X(flt_namap, "neighbouring anon pages mapped")                \
	X(flt_nomap, "neighbouring object pages mapped")              \
	X(cow_now, "pages copied at once (amap_cow_now)")             \
	X(swapins, "processes swapped in")                            \
	X(swapouts, "processes swapped out")                          \
	X(pdwoke, "pagedaemon wakeups")                               \
	X(pdscans, "pages scanned by the pagedaemon")                 \
	X(pdreact, "pages reactivated (referenced)")                  \
	X(pddeact, "pages deactivated")                               \
	X(pdfreed, "pages freed by the pagedaemon")                   \
	X(pdpageouts, "swap writes started")                          \
	X(pdpgout, "pages written to swap")                           \
	X(pdswfull, "dirty pages kept: swap full")

#define PMAP_COUNTERS(X)                              \
	X(tlb_hit, "TLB hits")                        \
	X(tlb_miss, "TLB misses (table walks)")       \
	X(tlb_inval, "TLB entries invalidated")       \
	X(tlb_flush, "TLB flushes")                   \
	X(faults_inval, "MMU faults: no translation") \
	X(faults_prot, "MMU faults: protection")      \
	X(ptp_alloc, "page-table pages allocated")    \
	X(ptp_free, "page-table pages freed")         \
	X(pv_alloc, "pv entries allocated")           \
	X(pv_free, "pv entries freed")                \
	X(zero_page, "pages zeroed (pmap_zero_page)") \
	X(copy_page, "pages copied (pmap_copy_page)")

#define SWAP_COUNTERS(X)                     \
	X(reads, "swap reads")               \
	X(writes, "swap writes")             \
	X(pgreads, "pages read from swap")   \
	X(pgwrites, "pages written to swap") \
	X(rderrors, "swap read errors")      \
	X(wrerrors, "swap write errors")     \
	X(badslots, "swap slots retired after an error")

#define VNODE_COUNTERS(X)                      \
	X(reads, "file reads")                 \
	X(pgreads, "file pages read")          \
	X(readahead, "file pages read ahead")  \
	X(writes, "file writes")               \
	X(pgwrites, "file pages written back") \
	X(rderrors, "file page read errors")   \
	X(wrerrors, "file page write errors")

#define SCHED_COUNTERS(X)                           \
	X(switches, "context switches")             \
	X(preempts, "involuntary context switches") \
	X(sleeps, "sleeps")                         \
	X(schedcpu, "schedcpu runs")                \
	X(sigexits, "processes killed by a signal")

#define CORE_COUNTERS(X)            \
	X(written, "cores written") \
	X(failed, "cores not written")

#define GETTER(grp, var, f, d)               \
	static uint64_t rc_##grp##_##f(void) \
	{                                    \
		return (uint64_t)var.f;      \
	}
#define G_UVM(f, d)   GETTER(uvm, uvmexp, f, d)
#define G_PMAP(f, d)  GETTER(pmap, pmapcounters, f, d)
#define G_SWAP(f, d)  GETTER(swap, swapcounters, f, d)
#define G_VNODE(f, d) GETTER(vnode, uvncounters, f, d)
#define G_SCHED(f, d) GETTER(sched, schedcounters, f, d)
#define G_CORE(f, d)  GETTER(core, corecounters, f, d)
UVMEXP_COUNTERS(G_UVM)
PMAP_COUNTERS(G_PMAP)
SWAP_COUNTERS(G_SWAP)
VNODE_COUNTERS(G_VNODE)
SCHED_COUNTERS(G_SCHED)
CORE_COUNTERS(G_CORE)

#define E_UVM(f, d)   { #f, d, rc_uvm_##f },
#define E_PMAP(f, d)  { "pmap." #f, d, rc_pmap_##f },
#define E_SWAP(f, d)  { "swap." #f, d, rc_swap_##f },
#define E_VNODE(f, d) { "vnode." #f, d, rc_vnode_##f },
#define E_SCHED(f, d) { "sched." #f, d, rc_sched_##f },
#define E_CORE(f, d)  { "core." #f, d, rc_core_##f },
const struct report_counter report_counters[] = { UVMEXP_COUNTERS(E_UVM)
	    PMAP_COUNTERS(E_PMAP) SWAP_COUNTERS(E_SWAP) VNODE_COUNTERS(E_VNODE)
		SCHED_COUNTERS(E_SCHED) CORE_COUNTERS(E_CORE) };
const int report_ncounters = (int)(__arraycount(report_counters));

/* report_counter: the counter called name, or NULL */
const struct report_counter *
report_counter(const char *name)
{
	int i;

	for (i = 0; i < report_ncounters; i++)
		if (strcmp(report_counters[i].rc_name, name) == 0)
			return &report_counters[i];
	return NULL;
}

/*
 * report_counter_unknown: the message for a counter name that is none:
 * the closest name (suggest.h), and where the names are listed, with
 * `also' (or NULL) after them: "unknown counter 'flt_anno' (did you
 * mean flt_anon? uvmsim --list-counters lists them; or ...)".
 */
void
report_counter_unknown(char *buf, size_t len, const char *name,
    const char *also)
{
	struct suggest sg;
	int i;

	suggest_init(&sg, name);
	for (i = 0; i < report_ncounters; i++)
		suggest_add(&sg, report_counters[i].rc_name);
	snprintf(buf, len,
	    "unknown counter '%s' (%s%s%suvmsim --list-counters lists "
	    "them%s%s)",
	    name, suggest_best(&sg) != NULL ? "did you mean " : "",
	    suggest_best(&sg) != NULL ? suggest_best(&sg) : "",
	    suggest_best(&sg) != NULL ? "? " : "", also != NULL ? "; " : "",
	    also != NULL ? also : "");
}

static void
vmstat_line(FILE *f, const struct report_counter *rc)
{
	fprintf(f, "%12llu %s\n", (unsigned long long)rc->rc_get(),
	    rc->rc_desc);
}

/*
 * report_vmstat: the counters, one per line, as vmstat -s prints them:
 * every one, or those `names' lists ("a b c ", each known), in its order
 */
void
report_vmstat(FILE *f, const char *names)
{
	char name[64];
	size_t n;
	int i;

	if (names == NULL) {
		for (i = 0; i < report_ncounters; i++)
			vmstat_line(f, &report_counters[i]);
		return;
	}
	for (; *names != '\0'; names += n + 1) {
		n = strcspn(names, " ");
		snprintf(name, sizeof(name), "%.*s", (int)n, names);
		vmstat_line(f, report_counter(name));
	}
}

/*
 * report_counter_names: every counter's name and what it counts, one per
 * line, in the table's order (vmstat -n, uvmsim --list-counters)
 */
void
report_counter_names(FILE *f)
{
	int i;

	for (i = 0; i < report_ncounters; i++)
		fprintf(f, "%-20s %s\n", report_counters[i].rc_name,
		    report_counters[i].rc_desc);
}

/*
 * the state letters of ps: R runnable, O on the CPU, S asleep (I when
 * longer than maxslp), T stopped, Z zombie; then W when swapped out,
 * K for a kernel thread, N for a positive nice and < for a negative one
 */
static void
ps_stat(const struct proc *p, char *buf)
{
	char *s = buf;

	switch (p->p_stat) {
	case SRUN:
	case SIDL:
		*s++ = 'R';
		break;
	case SONPROC:
		*s++ = 'O';
		break;
	case SSLEEP:
		*s++ = p->p_slptime > (unsigned int)maxslp ? 'I' : 'S';
		break;
	case SSTOP:
		*s++ = 'T';
		break;
	default:
		*s++ = 'Z';
		break;
	}
	if (p->p_stat != SZOMB && p->p_stat != SDEAD) {
		if ((p->p_flag & P_INMEM) == 0)
			*s++ = 'W';
		if (p->p_flag & P_SYSTEM)
			*s++ = 'K';
		if (p->p_nice > NZERO)
			*s++ = 'N';
		else if (p->p_nice < NZERO)
			*s++ = '<';
	}
	*s = '\0';
}

static void
ps_line(FILE *f, struct proc *p)
{
	char stat[8], minflt[24] = "-", majflt[24] = "-";
	long rss = 0, wired = 0;
	const struct rusage *ru = NULL;
	struct pmap *pm;

	ps_stat(p, stat);
	if (p->p_stat != SZOMB && p->p_stat != SDEAD && p->p_vmspace != NULL &&
	    !(p->p_flag & P_SYSTEM)) {
		pm = vm_map_pmap(&p->p_vmspace->vm_map);
		rss = pmap_resident_count(pm);
		wired = pmap_wired_count(pm);
	}
	/* the faults: a zombie's from its exit, a swapped-out one's unknown */
	if (p->p_stat == SZOMB || p->p_stat == SDEAD)
		ru = &p->p_xru;
	else if ((p->p_flag & P_INMEM) && p->p_stats != 0)
		ru = &proc_pstats(p)->p_ru;
	if (ru != NULL) {
		snprintf(minflt, sizeof(minflt), "%ld", ru->ru_minflt);
		snprintf(majflt, sizeof(majflt), "%ld", ru->ru_majflt);
	}
	fprintf(f, "%5d %5d %-4s %3d %3d %5ld %5ld %6s %6s %4u %-10s %s\n",
	    p->p_pid, p->p_pptr != NULL ? p->p_pptr->p_pid : 0, stat,
	    p->p_priority, p->p_nice - NZERO, rss, wired, minflt, majflt,
	    p->p_slptime,
	    p->p_stat == SSLEEP && p->p_wmesg != NULL ? p->p_wmesg : "-",
	    p->p_comm);
}

/* report_ps: every process, live and zombie, by pid */
void
report_ps(FILE *f)
{
	struct proc *p, *best;
	int last = -1;

	fprintf(f,
	    "  PID  PPID STAT PRI  NI   RSS WIRED MINFLT MAJFLT  SLP WAIT       "
	    "COMMAND\n");
	proclist_lock_read();
	/* in pid order, without sorting a copy: pick the next pid each time */
	for (;;) {
		best = NULL;
		LIST_FOREACH (p, &allproc, p_list)
			if (p->p_pid > last &&
			    (best == NULL || p->p_pid < best->p_pid))
				best = p;
		LIST_FOREACH (p, &zombproc, p_list)
			if (p->p_pid > last &&
			    (best == NULL || p->p_pid < best->p_pid))
				best = p;
		if (best == NULL)
			break;
		ps_line(f, best);
		last = best->p_pid;
	}
	proclist_unlock_read();
}

static void
prot_str(vm_prot_t prot, char *s)
{
	s[0] = (prot & VM_PROT_READ) ? 'r' : '-';
	s[1] = (prot & VM_PROT_WRITE) ? 'w' : '-';
	s[2] = (prot & VM_PROT_EXECUTE) ? 'x' : '-';
	s[3] = '\0';
}

static const char *const inh_names[] = { "share", "copy", "none", "zero" };
static const char *const adv_names[] = { "normal", "random", "sequential" };

/*
 * report_procmap: p's map entries, in the manner of pmap -l: range,
 * protection and maximum, inheritance, wiring, advice, what is mapped
 * (object and amap), offset.
 *
 * => returns 0, or ESRCH for a process with no address space.
 */
int
report_procmap(FILE *f, struct proc *p)
{
	struct vm_map *map;
	struct vm_map_entry *e;
	char prot[4], maxp[4], obj[96];
	long rss;

	if (p->p_vmspace == NULL || p->p_stat == SZOMB || p->p_stat == SDEAD)
		return ESRCH;
	map = &p->p_vmspace->vm_map;
	vm_map_lock_read(map);
	rss = pmap_resident_count(vm_map_pmap(map));
	fprintf(f,
	    "pid %d (%s): %d entries, %llu KiB mapped, %ld pages "
	    "resident, %ld wired\n",
	    p->p_pid, p->p_comm, map->nentries,
	    (unsigned long long)(map->size / 1024), rss,
	    (long)pmap_wired_count(vm_map_pmap(map)));
	fprintf(f, "%-16s %-16s %-4s %-4s %-6s %5s %-10s %-28s %s\n", "START",
	    "END", "PROT", "MAX", "INHERIT", "WIRED", "ADVICE", "MAPS",
	    "OFFSET");
	for (e = map->header.next; e != &map->header; e = e->next) {
		prot_str(e->protection, prot);
		prot_str(e->max_protection, maxp);
		uvm_map_entry_maps(e, obj, sizeof(obj));
		fprintf(f,
		    "%016llx-%016llx %-4s %-4s %-6s %5d %-10s %-28s "
		    "0x%llx\n",
		    (unsigned long long)e->start, (unsigned long long)e->end,
		    prot, maxp,
		    e->inheritance <= MAP_INHERIT_ZERO ?
			inh_names[e->inheritance] :
			"?",
		    e->wired_count,
		    e->advice <= UVM_ADV_SEQUENTIAL ? adv_names[e->advice] :
						      "?",
		    obj, (unsigned long long)e->offset);
	}
	vm_map_unlock_read(map);
	return 0;
}

/*
 * procmap's pages view.  After the entry list, each entry again with its
 * pages, one line each,
 *
 *	  ADDRESS           FRAME MAPPED MAPS  SWAP WURM DATA
 *	  0000000000400000     40 yes       2     - -URM anon#3(2 refs)
 *
 * under a legend and the entry (its object; its amap, with its
 * references; cow for copy-on-write; needs-copy): the page's address,
 * the frame holding the data (- not resident), whether this process's
 * pmap maps the address (yes; fN: it maps another frame, N), how many
 * mappings of the frame there are in all, the swap slot holding a copy,
 * W this mapping wired, U this mapping used (its own referenced bit:
 * a page the fault mapped ahead and nothing touched since has -), R and
 * M the frame's referenced and modified bits (any mapping's), and where the data lives: an anon (with its references: 2 or
 * more, a page shared copy-on-write), the entry's object, or zero-fill
 * for a page never touched.  A run of two or more untouched pages (no
 * frame, no mapping, no swap copy, no anon) is one line.  Anons, amaps
 * and objects are numbered in order of first sight by the statement's
 * report_ids, so processes listed by one statement agree.
 */

void
report_ids_init(struct report_ids *ids)
{
	vmview_ids_init(&ids->ri_anons);
	vmview_ids_init(&ids->ri_amaps);
	vmview_ids_init(&ids->ri_objects);
}

void
report_ids_free(struct report_ids *ids)
{
	vmview_ids_free(&ids->ri_anons);
	vmview_ids_free(&ids->ri_amaps);
	vmview_ids_free(&ids->ri_objects);
}

struct pages_arg {
	FILE *pa_f;
	struct report_ids *pa_ids;
};

/* what entry ve's object is, in words: "file NAME", "aobj#2", ... */
static void
pages_object(const struct vmview_entry *ve, struct report_ids *ids, char *buf,
    size_t len)
{
	switch (ve->ve_objkind) {
	case VMVIEW_OBJ_NONE:
		snprintf(buf, len, "anon");
		break;
	case VMVIEW_OBJ_FILE:
		snprintf(buf, len, "file %s", ve->ve_objname);
		break;
	case VMVIEW_OBJ_AOBJ:
		snprintf(buf, len, "aobj#%d",
		    vmview_id(&ids->ri_objects, ve->ve_object));
		break;
	case VMVIEW_OBJ_DEVICE:
		snprintf(buf, len, "device");
		break;
	default:
		snprintf(buf, len, "object#%d",
		    vmview_id(&ids->ri_objects, ve->ve_object));
		break;
	}
}

/* where page vp's data lives, in words */
static void
pages_data(const struct vmview_page *vp, const char *obj,
    struct report_ids *ids, char *buf, size_t len)
{
	switch (vp->vp_data) {
	case VMVIEW_DATA_ANON:
		snprintf(buf, len, "anon#%d(%d ref%s)%s",
		    vmview_id(&ids->ri_anons, vp->vp_anon), vp->vp_anon_refs,
		    vp->vp_anon_refs == 1 ? "" : "s",
		    vp->vp_busy ? " busy" : "");
		break;
	case VMVIEW_DATA_OBJECT:
		snprintf(buf, len, "%s%s", obj, vp->vp_busy ? " busy" : "");
		break;
	default:
		if (vp->vp_object != NULL)
			snprintf(buf, len, "%s, zero-fill", obj);
		else
			snprintf(buf, len, "zero-fill");
		break;
	}
}

/* a page that nothing has touched: nothing to say but where it would be */
static bool
pages_untouched(const struct vmview_page *vp)
{
	return vp->vp_pfn < 0 && vp->vp_mapped_pfn < 0 && vp->vp_swslot < 0 &&
	    vp->vp_anon == NULL;
}

/* page i of ve: its record, or, for an entry none of whose pages was
   touched (no records), an untouched page's made in *blank */
static const struct vmview_page *
pages_at(const struct vmview_entry *ve, int i, struct vmview_page *blank)
{
	if (ve->ve_pages != NULL)
		return &ve->ve_pages[i];
	memset(blank, 0, sizeof(*blank));
	blank->vp_va = ve->ve_start + ptoa(i);
	blank->vp_pfn = blank->vp_mapped_pfn = blank->vp_swslot = -1;
	return blank;
}

/* pages_entry: vmview_fn -- one entry and its pages */
static int
pages_entry(void *arg, const struct vmview_entry *ve)
{
	struct pages_arg *pa = arg;
	const struct vmview_page *vp;
	struct vmview_page blank;
	char obj[96], data[128], frame[24], mapped[24], maps[16], swap[24];
	int i, j;

	pages_object(ve, pa->pa_ids, obj, sizeof(obj));
	fprintf(pa->pa_f, "%016llx-%016llx %s",
	    (unsigned long long)ve->ve_start, (unsigned long long)ve->ve_end,
	    obj);
	if (ve->ve_amap != NULL)
		fprintf(pa->pa_f, " amap#%d(%d ref%s%s)",
		    vmview_id(&pa->pa_ids->ri_amaps, ve->ve_amap),
		    ve->ve_amap_refs, ve->ve_amap_refs == 1 ? "" : "s",
		    ve->ve_amap_shared ? ",shared" : "");
	fprintf(pa->pa_f, "%s%s, %d page%s\n", ve->ve_cow ? " cow" : "",
	    ve->ve_needs_copy ? " needs-copy" : "", ve->ve_npages,
	    ve->ve_npages == 1 ? "" : "s");
	for (i = 0; i < ve->ve_npages; i = j) {
		vp = pages_at(ve, i, &blank);
		pages_data(vp, obj, pa->pa_ids, data, sizeof(data));
		j = ve->ve_pages == NULL ? ve->ve_npages : i + 1;
		for (; j < ve->ve_npages && pages_untouched(vp) &&
		     pages_untouched(&ve->ve_pages[j]) &&
		     ve->ve_pages[j].vp_data == vp->vp_data;
		     j++)
			continue;
		if (j - i > 1) {
			fprintf(pa->pa_f,
			    "  %016llx-%016llx %d pages not resident: %s\n",
			    (unsigned long long)vp->vp_va,
			    (unsigned long long)(vp->vp_va + ptoa(j - i)),
			    j - i, data);
			continue;
		}
		snprintf(frame, sizeof(frame), "-");
		if (vp->vp_pfn >= 0)
			snprintf(frame, sizeof(frame), "%ld", vp->vp_pfn);
		snprintf(maps, sizeof(maps), "-");
		if (vp->vp_pfn >= 0)
			snprintf(maps, sizeof(maps), "%d", vp->vp_nmaps);
		snprintf(swap, sizeof(swap), "-");
		if (vp->vp_swslot >= 0)
			snprintf(swap, sizeof(swap), "%ld", vp->vp_swslot);
		if (vp->vp_mapped_pfn < 0)
			snprintf(mapped, sizeof(mapped), "-");
		else if (vp->vp_mapped_pfn == vp->vp_pfn)
			snprintf(mapped, sizeof(mapped), "yes");
		else
			snprintf(mapped, sizeof(mapped), "f%ld",
			    vp->vp_mapped_pfn);
		fprintf(pa->pa_f, "  %016llx %6s %-6s %4s %5s %c%c%c%c %s\n",
		    (unsigned long long)vp->vp_va, frame, mapped, maps, swap,
		    vp->vp_wired ? 'W' : '-', vp->vp_used ? 'U' : '-',
		    vp->vp_referenced ? 'R' : '-', vp->vp_modified ? 'M' : '-',
		    data);
	}
	return 0;
}

/*
 * report_procmap_pages: p's map entries again, each with its pages (the
 * view drawn above), after a legend; anons, amaps and objects are
 * numbered by ids.
 *
 * => returns 0, or ESRCH for a process with no address space.
 */
int
report_procmap_pages(FILE *f, struct proc *p, struct report_ids *ids)
{
	struct pages_arg pa = { f, ids };

	if (p->p_vmspace == NULL || p->p_stat == SZOMB || p->p_stat == SDEAD)
		return ESRCH;
	fprintf(f,
	    "pages (W wired mapping; U mapping used, - if mapped ahead and "
	    "not touched;\n  R, M: the frame's referenced, modified bits):\n");
	fprintf(f, "  %-16s %6s %-6s %4s %5s %-4s %s\n", "ADDRESS", "FRAME",
	    "MAPPED", "MAPS", "SWAP", "WURM", "DATA");
	return vmview_walk(p, pages_entry, &pa);
}

/* report_swapctl: the swap device, as swapctl -l lists it (pages) */
void
report_swapctl(FILE *f)
{
	int avail = uvmexp.swpages - uvmexp.swpginuse;

	fprintf(f, "%-12s %10s %8s %8s %8s\n", "Device", "Pages", "Used",
	    "Avail", "Capacity");
	fprintf(f, "%-12s %10d %8d %8d %7d%%\n", "/dev/swap0", uvmexp.swpages,
	    uvmexp.swpginuse, avail,
	    uvmexp.swpages ? uvmexp.swpginuse * 100 / uvmexp.swpages : 0);
	fprintf(f,
	    "%d pages only in swap, %llu slots retired; %llu pages written, "
	    "%llu read\n",
	    uvmexp.swpgonly, (unsigned long long)swapcounters.badslots,
	    (unsigned long long)swapcounters.pgwrites,
	    (unsigned long long)swapcounters.pgreads);
}

/*
 * report_machine: the machine's one-line description that a run's report
 * starts with: memory, page size, swap, u-area, clock, maxslp, policy.
 */
void
report_machine(FILE *f, const struct machine_config *mc)
{
	fprintf(f,
	    "machine: %zu pages of %zu bytes, swap %zu pages, u-area %u "
	    "pages, hz %d, maxslp %d s, policy %s\n",
	    mc->mc_npages, mc->mc_pagesize, mc->mc_swapslots,
	    machine_upages(mc), mc->mc_hz, mc->mc_maxslp,
	    mc->mc_policy != NULL ? mc->mc_policy : "clock");
}
