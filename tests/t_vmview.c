/*
 * t_vmview.c: the page-by-page walk of an address space (vmview.h) --
 * what it says of each page after fork, copy-on-write, pageout and
 * file mappings, that it changes nothing, and the numbering of keys.
 *
 * The cases boot the whole kernel, run small programs in simulated
 * processes, and walk their maps from the host between kern_run calls,
 * as procmap and the snapshots of --html do.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "h_util.h"
#include "sim/vmview.h"
#include "uvm/uvm.h"

#define PG(n)	((vaddr_t)(n)*PAGE_SIZE)
#define RW	(VM_PROT_READ | VM_PROT_WRITE)
#define SEC	((simtime_t)1000000)
#define T_MAXPG 64

/* what a walk saw: the entry holding ts_va, and how the walk went */
struct t_seen {
	vaddr_t ts_va;		  /* the entry wanted holds this address */
	bool ts_found;		  /* and it was seen */
	struct vmview_entry ts_e; /* a copy (pointers not to be followed) */
	struct vmview_page ts_pg[T_MAXPG]; /* its pages */
	int ts_nentries;		   /* entries visited */
	int ts_readers;	   /* the map's readers during the walk */
	bool ts_writer;	   /* whether it was write-locked then */
	struct proc *ts_p; /* the process walked */
	int ts_stop;	   /* return this after that many entries (0: never) */
};

static int
t_seen_fn(void *arg, const struct vmview_entry *ve)
{
	struct t_seen *s = arg;
	struct vm_map *map = &s->ts_p->p_vmspace->vm_map;

	s->ts_nentries++;
	s->ts_readers = map->lk_readers;
	s->ts_writer = map->lk_writer;
	ATF_REQUIRE_EQ(ve->ve_npages, (int)atop(ve->ve_end - ve->ve_start));
	/* no records only for an entry with neither amap nor object */
	ATF_REQUIRE_EQ(ve->ve_pages == NULL,
	    ve->ve_amap == NULL && ve->ve_object == NULL);
	if (ve->ve_pages != NULL) {
		ATF_REQUIRE(ve->ve_pages[0].vp_va == ve->ve_start);
		ATF_REQUIRE(ve->ve_pages[ve->ve_npages - 1].vp_va ==
		    ve->ve_end - PAGE_SIZE);
	}
	if (s->ts_va >= ve->ve_start && s->ts_va < ve->ve_end) {
		ATF_REQUIRE(ve->ve_npages <= T_MAXPG);
		s->ts_found = true;
		s->ts_e = *ve;
		if (ve->ve_pages != NULL)
			memcpy(s->ts_pg, ve->ve_pages,
			    (size_t)ve->ve_npages * sizeof(*ve->ve_pages));
	}
	if (s->ts_stop != 0 && s->ts_nentries == 1)
		return s->ts_stop;
	return 0;
}

/* walk p, keeping the entry that holds va; the walk must succeed */
static void
t_walk(struct proc *p, vaddr_t va, struct t_seen *s)
{
	memset(s, 0, sizeof(*s));
	s->ts_va = va;
	s->ts_p = p;
	ATF_REQUIRE_EQ(vmview_walk(p, t_seen_fn, s), 0);
	ATF_REQUIRE_MSG(s->ts_found, "no entry holds 0x%llx",
	    (unsigned long long)va);
}

/* a parent and the child it forks, and what they did */
struct t_fork {
	int npages;	    /* the parent maps and fills this many */
	int write;	    /* the child writes this page */
	int flags;	    /* the mapping's mmap flags */
	vaddr_t va;	    /* where the parent mapped them */
	struct proc *child; /* the child */
	bool child_exits;   /* the child exits at once (a zombie) */
	bool wrote;	    /* the child has written */
};

static int
prog_child(struct proc *p, void *arg)
{
	struct t_fork *f = arg;

	if (f->child_exits)
		return 0;
	if (f->write >= 0) {
		(void)proc_fill(p, f->va + PG(f->write), 'z', PAGE_SIZE);
		f->wrote = true;
	}
	(void)proc_sleep(p, 20 * SEC);
	return 0;
}

static int
prog_parent(struct proc *p, void *arg)
{
	struct t_fork *f = arg;
	int i, status;

	if (proc_mmap(p, 0, PG(f->npages), RW, f->flags, -1, 0, &f->va) != 0)
		return 1;
	for (i = 0; i < f->npages; i++)
		(void)proc_fill(p, f->va + PG(i), 'a' + i, PAGE_SIZE);
	if (proc_fork(p, prog_child, f, &f->child) != 0)
		return 2;
	(void)proc_sleep(p, 30 * SEC);
	(void)kern_wait(p, -1, &status, 0);
	return 0;
}

/* spawn the parent of f and run until the child has done its part */
static struct proc *
t_fork_run(struct t_fork *f)
{
	struct proc *p;

	ATF_REQUIRE_EQ(kern_spawn("parent", prog_parent, f, &p), 0);
	ATF_REQUIRE(!kern_run(SEC));
	ATF_REQUIRE(f->child != NULL);
	ATF_REQUIRE(f->write < 0 || f->wrote);
	return p;
}

/* run the machine to its end and check that the parent succeeded */
static void
t_finish(struct proc *p)
{
	int pid = p->p_pid, status = -1;

	h_run_idle();
	ATF_REQUIRE_EQ(kern_collect(pid, &status), 0);
	ATF_REQUIRE_EQ(status, 0);
	h_shutdown();
}

/*
 * After fork and a write by the child to page 2 of 8:
 *
 *	page     0 1 2 3 4 5 6 7
 *	parent   a b C d e f g h     capitals: an anon of one reference
 *	child    a b Z d e f g h     lower case: the same anon, 2 refs
 *
 * the written page has a different anon in each, with one reference;
 * every other page is the same anon in both, with two.
 */
ATF_TC_WITHOUT_HEAD(fork_write_splits_one_anon);
ATF_TC_BODY(fork_write_splits_one_anon, tc)
{
	struct t_fork f = { .npages = 8,
		.write = 2,
		.flags = MMAP_ANON | MMAP_PRIVATE };
	struct t_seen *ps = malloc(sizeof(*ps)), *cs = malloc(sizeof(*cs));
	struct vmview_ids ids;
	struct proc *p;
	int i;

	ATF_REQUIRE(ps != NULL && cs != NULL);
	h_boot_kern(256);
	p = t_fork_run(&f);
	t_walk(p, f.va, ps);
	t_walk(f.child, f.va, cs);
	ATF_REQUIRE_EQ(ps->ts_e.ve_npages, 8);
	ATF_REQUIRE(ps->ts_e.ve_amap != NULL && cs->ts_e.ve_amap != NULL);
	/* the child's write copied the amap: each has its own now */
	ATF_REQUIRE(ps->ts_e.ve_amap != cs->ts_e.ve_amap);
	ATF_REQUIRE(!cs->ts_e.ve_needs_copy);
	ATF_REQUIRE(cs->ts_e.ve_cow);
	ATF_REQUIRE_EQ(ps->ts_e.ve_objkind, VMVIEW_OBJ_NONE);
	for (i = 0; i < 8; i++) {
		ATF_REQUIRE_EQ(ps->ts_pg[i].vp_data, VMVIEW_DATA_ANON);
		ATF_REQUIRE_EQ(cs->ts_pg[i].vp_data, VMVIEW_DATA_ANON);
		ATF_REQUIRE(ps->ts_pg[i].vp_pfn >= 0);
		ATF_REQUIRE_EQ(ps->ts_pg[i].vp_swslot, -1);
		if (i == 2) {
			ATF_REQUIRE(
			    ps->ts_pg[i].vp_anon != cs->ts_pg[i].vp_anon);
			ATF_REQUIRE_EQ(ps->ts_pg[i].vp_anon_refs, 1);
			ATF_REQUIRE_EQ(cs->ts_pg[i].vp_anon_refs, 1);
			ATF_REQUIRE(ps->ts_pg[i].vp_pfn != cs->ts_pg[i].vp_pfn);
		} else {
			ATF_REQUIRE_MSG(ps->ts_pg[i].vp_anon ==
				cs->ts_pg[i].vp_anon,
			    "page %d", i);
			ATF_REQUIRE_EQ(ps->ts_pg[i].vp_anon_refs, 2);
			ATF_REQUIRE_EQ(ps->ts_pg[i].vp_pfn,
			    cs->ts_pg[i].vp_pfn);
		}
	}
	/* the child's copy: mapped in the child alone, written */
	ATF_REQUIRE_EQ(cs->ts_pg[2].vp_mapped_pfn, cs->ts_pg[2].vp_pfn);
	ATF_REQUIRE_EQ(cs->ts_pg[2].vp_nmaps, 1);
	ATF_REQUIRE(cs->ts_pg[2].vp_referenced && cs->ts_pg[2].vp_modified);
	ATF_REQUIRE(!cs->ts_pg[2].vp_wired);
	/* the parent still maps every one of its pages */
	for (i = 0; i < 8; i++)
		ATF_REQUIRE_EQ(ps->ts_pg[i].vp_mapped_pfn, ps->ts_pg[i].vp_pfn);
	/* one numbering over both: the shared pages agree, page 2 does not */
	vmview_ids_init(&ids);
	for (i = 0; i < 8; i++)
		ATF_REQUIRE_EQ(vmview_id(&ids, ps->ts_pg[i].vp_anon), i + 1);
	for (i = 0; i < 8; i++)
		ATF_REQUIRE_EQ(vmview_id(&ids, cs->ts_pg[i].vp_anon),
		    i == 2 ? 9 : i + 1);
	vmview_ids_free(&ids);
	free(ps);
	free(cs);
	t_finish(p);
}

/*
 * Pages of a mapping that nothing touched have no anon, no frame, no
 * mapping and no swap copy: their data is nowhere yet.
 *
 *	page   0 1 2 3
 *	       a . . .     only page 0 was written
 */
static int
prog_touch_one(struct proc *p, void *arg)
{
	vaddr_t *va = arg;

	if (proc_mmap(p, 0, PG(4), RW, MMAP_ANON | MMAP_PRIVATE, -1, 0, va) !=
	    0)
		return 1;
	(void)proc_fill(p, *va, 'a', PAGE_SIZE);
	(void)proc_sleep(p, 10 * SEC);
	return 0;
}

ATF_TC_WITHOUT_HEAD(untouched_page_is_nowhere);
ATF_TC_BODY(untouched_page_is_nowhere, tc)
{
	struct t_seen *s = malloc(sizeof(*s));
	vaddr_t va = 0;
	struct proc *p;
	int i;

	ATF_REQUIRE(s != NULL);
	h_boot_kern(256);
	ATF_REQUIRE_EQ(kern_spawn("touch", prog_touch_one, &va, &p), 0);
	ATF_REQUIRE(!kern_run(SEC));
	t_walk(p, va, s);
	ATF_REQUIRE_EQ(s->ts_e.ve_npages, 4);
	ATF_REQUIRE_EQ(s->ts_pg[0].vp_data, VMVIEW_DATA_ANON);
	ATF_REQUIRE(s->ts_pg[0].vp_anon != NULL);
	ATF_REQUIRE_EQ(s->ts_pg[0].vp_anon_refs, 1);
	ATF_REQUIRE(s->ts_pg[0].vp_pfn >= 0);
	for (i = 1; i < 4; i++) {
		ATF_REQUIRE_EQ(s->ts_pg[i].vp_data, VMVIEW_DATA_NONE);
		ATF_REQUIRE(s->ts_pg[i].vp_anon == NULL);
		ATF_REQUIRE_EQ(s->ts_pg[i].vp_anon_refs, 0);
		ATF_REQUIRE_EQ(s->ts_pg[i].vp_pfn, -1);
		ATF_REQUIRE_EQ(s->ts_pg[i].vp_mapped_pfn, -1);
		ATF_REQUIRE_EQ(s->ts_pg[i].vp_swslot, -1);
		ATF_REQUIRE(s->ts_pg[i].vp_object == NULL);
	}
	free(s);
	t_finish(p);
}

/* map 4 pages and touch none of them, then sleep */
static int
prog_touch_none(struct proc *p, void *arg)
{
	vaddr_t *va = arg;

	if (proc_mmap(p, 0, PG(4), RW, MMAP_ANON | MMAP_PRIVATE, -1, 0, va) !=
	    0)
		return 1;
	(void)proc_sleep(p, 10 * SEC);
	return 0;
}

/*
 * An anonymous mapping nothing has touched has neither amap nor object:
 * the walk gives its size and no page records (vmview.h).  (procmap's
 * pages view shows such an entry as one untouched run: the stacks' in
 * tests/scenarios/cow-pages.out.)
 */
ATF_TC_WITHOUT_HEAD(untouched_entry_has_no_records);
ATF_TC_BODY(untouched_entry_has_no_records, tc)
{
	struct t_seen *s = malloc(sizeof(*s));
	vaddr_t va = 0;
	struct proc *p;

	ATF_REQUIRE(s != NULL);
	h_boot_kern(256);
	ATF_REQUIRE_EQ(kern_spawn("none", prog_touch_none, &va, &p), 0);
	ATF_REQUIRE(!kern_run(SEC));
	t_walk(p, va, s);
	ATF_REQUIRE_EQ(s->ts_e.ve_npages, 4);
	ATF_REQUIRE(s->ts_e.ve_amap == NULL && s->ts_e.ve_object == NULL);
	ATF_REQUIRE(s->ts_e.ve_pages == NULL);
	free(s);
	t_finish(p);
}

/* map and fill n pages, then sleep */
static int
prog_hold(struct proc *p, void *arg)
{
	vaddr_t *va = arg;
	int i;

	if (proc_mmap(p, 0, PG(T_MAXPG), RW, MMAP_ANON | MMAP_PRIVATE, -1, 0,
		va) != 0)
		return 1;
	for (i = 0; i < T_MAXPG; i++)
		(void)proc_fill(p, *va + PG(i), 'h', PAGE_SIZE);
	(void)proc_sleep(p, 10 * SEC);
	return 0;
}

/*
 * A page the pagedaemon wrote to swap and freed: its anon holds a swap
 * slot and no frame, and the process no longer maps it.
 */
ATF_TC_WITHOUT_HEAD(paged_out_page_shows_its_slot);
ATF_TC_BODY(paged_out_page_shows_its_slot, tc)
{
	struct t_seen *s = malloc(sizeof(*s));
	struct vm_page *pgs[512];
	vaddr_t va = 0;
	struct proc *p;
	int i, j, n, out = 0;

	ATF_REQUIRE(s != NULL);
	h_boot_kern(256);
	ATF_REQUIRE_EQ(kern_spawn("hold", prog_hold, &va, &p), 0);
	ATF_REQUIRE(!kern_run(SEC));
	n = h_drain(pgs, 512, uvmexp.freemin - 1);
	ATF_REQUIRE(!kern_run(3 * SEC));
	ATF_REQUIRE(uvmexp.swpgonly > 0);
	t_walk(p, va, s);
	for (i = 0; i < T_MAXPG; i++) {
		ATF_REQUIRE_EQ(s->ts_pg[i].vp_data, VMVIEW_DATA_ANON);
		if (s->ts_pg[i].vp_pfn >= 0)
			continue;
		out++;
		ATF_REQUIRE(s->ts_pg[i].vp_swslot > 0);
		ATF_REQUIRE_EQ(s->ts_pg[i].vp_mapped_pfn, -1);
		ATF_REQUIRE_EQ(s->ts_pg[i].vp_nmaps, 0);
		for (j = 0; j < i; j++)
			ATF_REQUIRE(
			    s->ts_pg[j].vp_swslot != s->ts_pg[i].vp_swslot);
	}
	ATF_REQUIRE_MSG(out > 0, "no page of the process was paged out");
	ATF_REQUIRE(out <= uvmexp.swpgonly);
	h_undrain(pgs, n);
	free(s);
	t_finish(p);
}

/* mlock the first of two pages, then sleep */
static int
prog_mlock(struct proc *p, void *arg)
{
	vaddr_t *va = arg;

	if (proc_mmap(p, 0, PG(2), RW, MMAP_ANON | MMAP_PRIVATE, -1, 0, va) !=
	    0)
		return 1;
	if (sys_mlock(p, *va, PG(1)) != 0)
		return 2;
	(void)proc_sleep(p, 10 * SEC);
	return 0;
}

/*
 * mlock wires the entry (clipped to the range) and its page's mapping;
 * the page beside it, in an entry of its own, is untouched (no amap,
 * no page records).
 */
ATF_TC_WITHOUT_HEAD(mlocked_page_is_wired);
ATF_TC_BODY(mlocked_page_is_wired, tc)
{
	struct t_seen *s = malloc(sizeof(*s));
	vaddr_t va = 0;
	struct proc *p;

	ATF_REQUIRE(s != NULL);
	h_boot_kern(256);
	ATF_REQUIRE_EQ(kern_spawn("mlock", prog_mlock, &va, &p), 0);
	ATF_REQUIRE(!kern_run(SEC));
	t_walk(p, va, s);
	ATF_REQUIRE_EQ(s->ts_e.ve_wired, 1);
	ATF_REQUIRE_EQ(s->ts_e.ve_npages, 1);
	ATF_REQUIRE(s->ts_pg[0].vp_wired);
	ATF_REQUIRE(s->ts_pg[0].vp_pfn >= 0);
	ATF_REQUIRE_EQ(s->ts_pg[0].vp_mapped_pfn, s->ts_pg[0].vp_pfn);
	t_walk(p, va + PG(1), s);
	ATF_REQUIRE_EQ(s->ts_e.ve_wired, 0);
	/* never touched: no amap, so no page records at all */
	ATF_REQUIRE(s->ts_e.ve_amap == NULL && s->ts_e.ve_pages == NULL);
	free(s);
	t_finish(p);
}

/*
 * The walk changes nothing: the counters (faults, TLB, pages) are what
 * they were, the referenced bits stay set, a second walk sees the same,
 * and the map is read-locked during the walk and unlocked after it.
 */
ATF_TC_WITHOUT_HEAD(walk_changes_nothing);
ATF_TC_BODY(walk_changes_nothing, tc)
{
	struct t_fork f = { .npages = 8,
		.write = 3,
		.flags = MMAP_ANON | MMAP_PRIVATE };
	struct t_seen *s1 = malloc(sizeof(*s1)), *s2 = malloc(sizeof(*s2));
	struct pmap_counters pc;
	struct uvmexp ue;
	struct proc *p;
	int i, referenced = 0;

	ATF_REQUIRE(s1 != NULL && s2 != NULL);
	h_boot_kern(256);
	p = t_fork_run(&f);
	ue = uvmexp;
	pc = pmapcounters;
	t_walk(f.child, f.va, s1);
	t_walk(f.child, f.va, s2);
	t_walk(p, f.va, s2);
	t_walk(f.child, f.va, s2);
	ATF_REQUIRE(memcmp(&ue, &uvmexp, sizeof(ue)) == 0);
	ATF_REQUIRE(memcmp(&pc, &pmapcounters, sizeof(pc)) == 0);
	ATF_REQUIRE(memcmp(s1->ts_pg, s2->ts_pg, sizeof(s1->ts_pg)) == 0);
	for (i = 0; i < 8; i++)
		if (s2->ts_pg[i].vp_referenced)
			referenced++;
	ATF_REQUIRE(referenced > 0);
	ATF_REQUIRE_EQ(s2->ts_readers, 1);
	ATF_REQUIRE(!s2->ts_writer);
	ATF_REQUIRE_EQ(f.child->p_vmspace->vm_map.lk_readers, 0);
	h_check();
	free(s1);
	free(s2);
	t_finish(p);
}

/* a function that returns non-zero stops the walk, which returns it */
ATF_TC_WITHOUT_HEAD(walk_stops_when_told);
ATF_TC_BODY(walk_stops_when_told, tc)
{
	struct t_fork f = { .npages = 4,
		.write = -1,
		.flags = MMAP_ANON | MMAP_PRIVATE };
	struct t_seen *s = calloc(1, sizeof(*s));
	struct proc *p;

	ATF_REQUIRE(s != NULL);
	h_boot_kern(256);
	p = t_fork_run(&f);
	ATF_REQUIRE(p->p_vmspace->vm_map.nentries > 1);
	s->ts_p = p;
	s->ts_stop = 7;
	ATF_REQUIRE_EQ(vmview_walk(p, t_seen_fn, s), 7);
	ATF_REQUIRE_EQ(s->ts_nentries, 1);
	ATF_REQUIRE_EQ(p->p_vmspace->vm_map.lk_readers, 0);
	free(s);
	t_finish(p);
}

/* a zombie has no address space to walk */
ATF_TC_WITHOUT_HEAD(zombie_is_esrch);
ATF_TC_BODY(zombie_is_esrch, tc)
{
	struct t_fork f = { .npages = 1,
		.write = -1,
		.flags = MMAP_ANON | MMAP_PRIVATE };
	struct t_seen *s = calloc(1, sizeof(*s));
	struct proc *p;

	ATF_REQUIRE(s != NULL);
	f.child_exits = true;
	h_boot_kern(256);
	p = t_fork_run(&f);
	ATF_REQUIRE_EQ(f.child->p_stat, SZOMB);
	s->ts_p = f.child;
	ATF_REQUIRE_EQ(vmview_walk(f.child, t_seen_fn, s), ESRCH);
	ATF_REQUIRE_EQ(s->ts_nentries, 0);
	free(s);
	t_finish(p);
}

/*
 * Shared anonymous memory (MAP_SHARED): parent and child hold one amap,
 * marked shared, so a page of it is one anon of one reference, which
 * both map.
 */
ATF_TC_WITHOUT_HEAD(shared_memory_shares_the_amap);
ATF_TC_BODY(shared_memory_shares_the_amap, tc)
{
	struct t_fork f = { .npages = 4,
		.write = 1,
		.flags = MMAP_ANON | MMAP_SHARED };
	struct t_seen *ps = malloc(sizeof(*ps)), *cs = malloc(sizeof(*cs));
	struct proc *p;
	int i;

	ATF_REQUIRE(ps != NULL && cs != NULL);
	h_boot_kern(256);
	p = t_fork_run(&f);
	t_walk(p, f.va, ps);
	t_walk(f.child, f.va, cs);
	ATF_REQUIRE(ps->ts_e.ve_amap == cs->ts_e.ve_amap);
	ATF_REQUIRE(ps->ts_e.ve_amap_shared);
	ATF_REQUIRE_EQ(ps->ts_e.ve_amap_refs, 2);
	ATF_REQUIRE_EQ(ps->ts_e.ve_inherit, MAP_INHERIT_SHARE);
	ATF_REQUIRE(!ps->ts_e.ve_cow);
	for (i = 0; i < 4; i++) {
		ATF_REQUIRE(ps->ts_pg[i].vp_anon == cs->ts_pg[i].vp_anon);
		ATF_REQUIRE_EQ(ps->ts_pg[i].vp_anon_refs, 1);
	}
	/* the page the child wrote: both map the one frame */
	ATF_REQUIRE_EQ(cs->ts_pg[1].vp_mapped_pfn, cs->ts_pg[1].vp_pfn);
	ATF_REQUIRE_EQ(ps->ts_pg[1].vp_pfn, cs->ts_pg[1].vp_pfn);
	ATF_REQUIRE(cs->ts_pg[1].vp_nmaps >= 1);
	free(ps);
	free(cs);
	t_finish(p);
}

/*
 * An anonymous object (the lower layer of shared memory made by the
 * kernel, as t_pdaemon's): a page never touched is nowhere yet, a page
 * written lives in the object.
 */
static int
prog_aobj(struct proc *p, void *arg)
{
	vaddr_t *va = arg;
	struct uvm_object *uobj = uao_create((voff_t)PG(4), 0);
	int error;

	*va = 0x60000000;
	error = uvm_map(&p->p_vmspace->vm_map, va, PG(4), uobj, 0, 0,
	    UVM_MAPFLAG(RW, VM_PROT_ALL, MAP_INHERIT_SHARE, UVM_ADV_NORMAL,
		UVM_FLAG_FIXED));
	if (error) {
		uao_detach(uobj);
		return 1;
	}
	(void)proc_fill(p, *va + PG(2), 'o', PAGE_SIZE);
	(void)proc_sleep(p, 10 * SEC);
	return 0;
}

ATF_TC_WITHOUT_HEAD(aobj_page_lives_in_the_object);
ATF_TC_BODY(aobj_page_lives_in_the_object, tc)
{
	struct t_seen *s = malloc(sizeof(*s));
	vaddr_t va = 0;
	struct proc *p;

	ATF_REQUIRE(s != NULL);
	h_boot_kern(256);
	ATF_REQUIRE_EQ(kern_spawn("aobj", prog_aobj, &va, &p), 0);
	ATF_REQUIRE(!kern_run(SEC));
	t_walk(p, va, s);
	ATF_REQUIRE_EQ(s->ts_e.ve_objkind, VMVIEW_OBJ_AOBJ);
	ATF_REQUIRE(s->ts_e.ve_object != NULL);
	ATF_REQUIRE(s->ts_e.ve_amap == NULL);
	ATF_REQUIRE_EQ(s->ts_pg[2].vp_data, VMVIEW_DATA_OBJECT);
	ATF_REQUIRE(s->ts_pg[2].vp_object == s->ts_e.ve_object);
	ATF_REQUIRE(s->ts_pg[2].vp_objoff == (voff_t)PG(2));
	ATF_REQUIRE(s->ts_pg[2].vp_pfn >= 0);
	ATF_REQUIRE_EQ(s->ts_pg[2].vp_mapped_pfn, s->ts_pg[2].vp_pfn);
	ATF_REQUIRE_EQ(s->ts_pg[3].vp_data, VMVIEW_DATA_NONE);
	ATF_REQUIRE(s->ts_pg[3].vp_object == s->ts_e.ve_object);
	ATF_REQUIRE_EQ(s->ts_pg[3].vp_pfn, -1);
	free(s);
	t_finish(p);
}

/*
 * A private file mapping: pages read from the file live in the object;
 * the page written was copied into an anon, above the file's page.
 */
static int
prog_file(struct proc *p, void *arg)
{
	vaddr_t *va = arg;
	unsigned char c;

	if (h_mmap_file(p, 0, PG(4), RW, MMAP_PRIVATE, "f", 0, va) != 0)
		return 1;
	(void)proc_load(p, *va, &c, 1);
	(void)proc_fill(p, *va + PG(1), 'w', PAGE_SIZE);
	(void)proc_sleep(p, 10 * SEC);
	return 0;
}

ATF_TC_WITHOUT_HEAD(file_pages_and_private_copy);
ATF_TC_BODY(file_pages_and_private_copy, tc)
{
	struct t_seen *s = malloc(sizeof(*s));
	struct machine_config mc;
	char dir[PATH_MAX], path[PATH_MAX + 8];
	static char page[16384];
	vaddr_t va = 0;
	struct proc *p;
	int fd, i;

	ATF_REQUIRE(s != NULL);
	ATF_REQUIRE(getcwd(dir, sizeof(dir) - 16) != NULL);
	strcat(dir, "/sandbox");
	ATF_REQUIRE(mkdir(dir, 0700) == 0);
	snprintf(path, sizeof(path), "%s/f", dir);
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	ATF_REQUIRE(fd >= 0);
	memset(page, 'f', sizeof(page));
	ATF_REQUIRE_EQ(write(fd, page, sizeof(page)), (ssize_t)sizeof(page));
	close(fd);
	machine_config_default(&mc);
	mc.mc_npages = 256;
	mc.mc_swapslots = 256;
	mc.mc_filedir = dir;
	h_boot_kern_config(&mc);
	ATF_REQUIRE_EQ(kern_spawn("file", prog_file, &va, &p), 0);
	ATF_REQUIRE(!kern_run(SEC));
	t_walk(p, va, s);
	ATF_REQUIRE_EQ(s->ts_e.ve_objkind, VMVIEW_OBJ_FILE);
	ATF_REQUIRE_STREQ(s->ts_e.ve_objname, "f");
	ATF_REQUIRE(s->ts_e.ve_cow);
	for (i = 0; i < 4; i++) {
		ATF_REQUIRE(s->ts_pg[i].vp_object == s->ts_e.ve_object);
		ATF_REQUIRE(s->ts_pg[i].vp_objoff == (voff_t)PG(i));
		ATF_REQUIRE_EQ(s->ts_pg[i].vp_swslot, -1);
	}
	ATF_REQUIRE_EQ(s->ts_pg[0].vp_data, VMVIEW_DATA_OBJECT);
	ATF_REQUIRE(s->ts_pg[0].vp_pfn >= 0);
	ATF_REQUIRE_EQ(s->ts_pg[0].vp_mapped_pfn, s->ts_pg[0].vp_pfn);
	ATF_REQUIRE_EQ(s->ts_pg[1].vp_data, VMVIEW_DATA_ANON);
	ATF_REQUIRE_EQ(s->ts_pg[1].vp_anon_refs, 1);
	ATF_REQUIRE_EQ(s->ts_pg[1].vp_mapped_pfn, s->ts_pg[1].vp_pfn);
	ATF_REQUIRE_EQ(s->ts_pg[3].vp_data, VMVIEW_DATA_OBJECT);
	ATF_REQUIRE(s->ts_pg[3].vp_anon == NULL);
	free(s);
	t_finish(p);
}

/*
 * vmview_ids: 1, 2, 3 in the order keys are first seen, the same number
 * each time a key comes back, 0 for NULL; seen without numbering; empty
 * again when freed.  Enough keys to make the table grow.
 */
ATF_TC_WITHOUT_HEAD(ids_number_in_order_of_first_sight);
ATF_TC_BODY(ids_number_in_order_of_first_sight, tc)
{
	static int keys[300];
	struct vmview_ids ids;
	int i;

	vmview_ids_init(&ids);
	ATF_REQUIRE_EQ(vmview_id(&ids, NULL), 0);
	ATF_REQUIRE_EQ(vmview_id_seen(&ids, &keys[0]), 0);
	/* in reverse address order: the numbers follow sight, not address */
	for (i = 299; i >= 0; i--)
		ATF_REQUIRE_EQ(vmview_id(&ids, &keys[i]), 300 - i);
	ATF_REQUIRE_EQ(ids.vi_n, 300);
	for (i = 0; i < 300; i++) {
		ATF_REQUIRE_EQ(vmview_id(&ids, &keys[i]), 300 - i);
		ATF_REQUIRE_EQ(vmview_id_seen(&ids, &keys[i]), 300 - i);
	}
	ATF_REQUIRE_EQ(ids.vi_n, 300);
	ATF_REQUIRE_EQ(vmview_id_seen(&ids, NULL), 0);
	ATF_REQUIRE_EQ(vmview_id_seen(&ids, &ids), 0);
	ATF_REQUIRE_EQ(vmview_id(&ids, &ids), 301);
	vmview_ids_free(&ids);
	ATF_REQUIRE_EQ(ids.vi_n, 0);
	ATF_REQUIRE_EQ(vmview_id_seen(&ids, &keys[5]), 0);
	ATF_REQUIRE_EQ(vmview_id(&ids, &keys[5]), 1);
	vmview_ids_free(&ids);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, fork_write_splits_one_anon);
	ATF_TP_ADD_TC(tp, untouched_page_is_nowhere);
	ATF_TP_ADD_TC(tp, untouched_entry_has_no_records);
	ATF_TP_ADD_TC(tp, paged_out_page_shows_its_slot);
	ATF_TP_ADD_TC(tp, mlocked_page_is_wired);
	ATF_TP_ADD_TC(tp, walk_changes_nothing);
	ATF_TP_ADD_TC(tp, walk_stops_when_told);
	ATF_TP_ADD_TC(tp, zombie_is_esrch);
	ATF_TP_ADD_TC(tp, shared_memory_shares_the_amap);
	ATF_TP_ADD_TC(tp, aobj_page_lives_in_the_object);
	ATF_TP_ADD_TC(tp, file_pages_and_private_copy);
	ATF_TP_ADD_TC(tp, ids_number_in_order_of_first_sight);
	return atf_no_error();
}
