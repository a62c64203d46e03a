/*
 * demo.c: the built-in demonstration of the page layer and the MMU.
 *
 * It boots a machine, plays the part of the fault handler by hand
 * (allocate a page, enter a mapping, let the "program" touch it), and
 * shows at each step what the page queues, the pv lists, the referenced
 * and modified bits and the TLB do.  Every number it prints is read from
 * the machine's counters; nothing is made up.
 */

#include <errno.h>
#include <string.h>

#include "sim/sim.h"

#define DEMO_VA	      ((vaddr_t)0x10000000)
#define DEMO_NPAGES   8
#define DEMO_WIRED_VA ((vaddr_t)0x7f00000000)

/* the program's view: store a byte pattern through the MMU */
static int
demo_store(struct pmap *pm, vaddr_t va, int c, size_t len)
{
	size_t n;
	void *p;
	int error;

	while (len > 0) {
		error = pmap_access(pm, va, VM_PROT_WRITE, &p);
		if (error)
			return error;
		n = MIN(len, PAGE_SIZE - (va & PAGE_MASK));
		memset(p, c, n);
		va += n;
		len -= n;
	}
	return 0;
}

static int
demo_load(struct pmap *pm, vaddr_t va, unsigned char *out)
{
	void *p;
	int error;

	error = pmap_access(pm, va, VM_PROT_READ, &p);
	if (error == 0)
		*out = *(unsigned char *)p;
	return error;
}

static const char *
demo_fault(int error)
{
	switch (error) {
	case 0:
		return "ok";
	case EFAULT:
		return "fault: no translation";
	case EACCES:
		return "fault: protection";
	default:
		return strerror(error);
	}
}

static void
demo_counters(FILE *out)
{
	fprintf(out,
	    "  pages:   %d managed, %d free (%d known zero), "
	    "%d active, %d inactive, %d wired\n",
	    uvmexp.npages, uvmexp.free, uvmexp.zeropages, uvmexp.active,
	    uvmexp.inactive, uvmexp.wired);
}

static void
demo_pmap(FILE *out, const char *name, struct pmap *pm)
{
	fprintf(out, "  pmap %s: %ld resident, %ld wired, %ld table pages\n",
	    name, pmap_resident_count(pm), pmap_wired_count(pm),
	    pm->pm_ptpages);
}

/*
 * sim_demo: run the demonstration on a machine built from mc.
 *
 * => returns 0, or 1 if the machine could not boot or a check failed
 *    (the reason is printed).
 */
int
sim_demo(FILE *out, const struct machine_config *mc)
{
	struct vm_page *pgs[DEMO_NPAGES];
	struct uvm_object obj;
	struct pmap *a, *b;
	struct kcheck kc;
	unsigned char c;
	int error, i;
	uint64_t hit0, miss0;

	error = kern_boot(mc);
	if (error) {
		fprintf(out, "uvmsim: cannot boot the machine: %s\n",
		    strerror(error));
		return 1;
	}

	fprintf(out, "== boot\n");
	fprintf(out, "  %zu pages of %llu bytes; swap disk of %zu pages\n",
	    mc->mc_npages, (unsigned long long)PAGE_SIZE, mc->mc_swapslots);
	fprintf(out,
	    "  targets: freemin %d, freetarg %d, inactarg %d, "
	    "wiredmax %d; reserves: kernel %d, pagedaemon %d\n",
	    uvmexp.freemin, uvmexp.freetarg, uvmexp.inactarg, uvmexp.wiredmax,
	    uvmexp.reserve_kernel, uvmexp.reserve_pagedaemon);
	demo_counters(out);

	fprintf(out,
	    "\n== process A faults in %d zero-filled pages at 0x%llx\n",
	    DEMO_NPAGES, (unsigned long long)DEMO_VA);
	uvm_obj_init(&obj, NULL, 1);
	a = pmap_create();
	b = pmap_create();
	pmap_activate(a);
	for (i = 0; i < DEMO_NPAGES; i++) {
		pgs[i] =
		    uvm_pagealloc(&obj, (voff_t)ptoa(i), NULL, UVM_PGA_ZERO);
		KASSERT(pgs[i] != NULL);
		pgs[i]->flags &= ~(PG_BUSY | PG_FAKE);
		error = pmap_enter(a, DEMO_VA + ptoa(i), pgs[i]->phys_addr,
		    VM_PROT_READ | VM_PROT_WRITE, VM_PROT_WRITE);
		KASSERT(error == 0);
		uvm_pageactivate(pgs[i]);
	}
	fprintf(out,
	    "  zero-fill served from known-zero pages: %llu, "
	    "zeroed on demand: %llu\n",
	    (unsigned long long)uvmexp.pga_zerohit,
	    (unsigned long long)uvmexp.pga_zeromiss);
	demo_counters(out);
	demo_pmap(out, "A", a);

	fprintf(out, "\n== A writes 'A' over all %d pages\n", DEMO_NPAGES);
	hit0 = pmapcounters.tlb_hit;
	miss0 = pmapcounters.tlb_miss;
	error = demo_store(a, DEMO_VA, 'A', ptoa(DEMO_NPAGES));
	fprintf(out,
	    "  store: %s; TLB %llu hits, %llu misses "
	    "(one walk per page)\n",
	    demo_fault(error),
	    (unsigned long long)(pmapcounters.tlb_hit - hit0),
	    (unsigned long long)(pmapcounters.tlb_miss - miss0));
	fprintf(out, "  page 0 referenced %s, modified %s\n",
	    pmap_is_referenced(pgs[0]) ? "yes" : "no",
	    pmap_is_modified(pgs[0]) ? "yes" : "no");

	fprintf(out,
	    "\n== B maps A's first 4 pages read-only "
	    "(as a copy-on-write child would)\n");
	pmap_copy(b, a, DEMO_VA, ptoa(4), DEMO_VA);
	pmap_protect(b, DEMO_VA, DEMO_VA + ptoa(4), VM_PROT_READ);
	for (i = 0; i < 4; i++)
		pmap_page_protect(pgs[i], VM_PROT_READ);
	demo_pmap(out, "A", a);
	demo_pmap(out, "B", b);
	pmap_activate(b);
	error = demo_load(b, DEMO_VA, &c);
	fprintf(out, "  B reads 0x%llx: %s, byte '%c'\n",
	    (unsigned long long)DEMO_VA, demo_fault(error), error ? '?' : c);
	error = demo_store(b, DEMO_VA, 'B', 1);
	fprintf(out,
	    "  B writes 0x%llx: %s (the fault handler would copy "
	    "the page)\n",
	    (unsigned long long)DEMO_VA, demo_fault(error));
	pmap_activate(a);
	error = demo_store(a, DEMO_VA, 'a', 1);
	fprintf(out, "  A writes 0x%llx: %s (write-protected for both)\n",
	    (unsigned long long)DEMO_VA, demo_fault(error));
	error = demo_store(a, DEMO_VA + ptoa(5), 'a', 1);
	fprintf(out, "  A writes page 5: %s (not shared)\n", demo_fault(error));

	fprintf(out,
	    "\n== the page daemon's view: deactivate pages 4-7, "
	    "A touches page 6\n");
	for (i = 4; i < DEMO_NPAGES; i++)
		uvm_pagedeactivate(pgs[i]);
	demo_counters(out);
	error = demo_load(a, DEMO_VA + ptoa(6), &c);
	for (i = 4; i < DEMO_NPAGES; i++)
		fprintf(out, "  page %d: referenced %s\n", i,
		    pmap_is_referenced(pgs[i]) ? "yes (reactivate)" :
						 "no (reclaim)");

	fprintf(out,
	    "\n== page 7 moves to a wired mapping far away (as a u-area "
	    "is), then A's pmap\n   is collected (what a swapout does)\n");
	uvm_pagewire(pgs[7]);
	pmap_remove(a, DEMO_VA + ptoa(7), DEMO_VA + ptoa(8));
	error = pmap_enter(a, DEMO_WIRED_VA, pgs[7]->phys_addr,
	    VM_PROT_READ | VM_PROT_WRITE, PMAP_WIRED);
	KASSERT(error == 0);
	demo_pmap(out, "A", a);
	pmap_collect(a);
	demo_pmap(out, "A", a);
	fprintf(out,
	    "  table pages freed by collect: %llu; A still maps the wired "
	    "page: %s\n",
	    (unsigned long long)pmapcounters.ptp_collect,
	    pmap_extract(a, DEMO_WIRED_VA, NULL) ? "yes" : "no");
	demo_counters(out);

	fprintf(out, "\n== tear down\n");
	pmap_deactivate(a);
	pmap_destroy(a);
	pmap_destroy(b);
	for (i = 0; i < DEMO_NPAGES; i++)
		uvm_pagefree(pgs[i]);
	fprintf(out, "  idle loop zeroed %d freed pages\n",
	    uvm_pageidlezero(DEMO_NPAGES));
	demo_counters(out);

	kcheck_init(&kc);
	if (uvm_check_all(&kc, true) != 0) {
		fprintf(out, "  consistency check FAILED (%u problems): %s\n",
		    kc.kc_nerr, kc.kc_msg);
		kern_shutdown();
		return 1;
	}
	fprintf(out,
	    "  consistency check: page queues, pv lists, page "
	    "tables, TLB all agree\n");
	fprintf(out, "\n== MMU counters\n");
	fprintf(out,
	    "  TLB: %llu hits, %llu misses, %llu invalidations, "
	    "%llu flushes\n",
	    (unsigned long long)pmapcounters.tlb_hit,
	    (unsigned long long)pmapcounters.tlb_miss,
	    (unsigned long long)pmapcounters.tlb_inval,
	    (unsigned long long)pmapcounters.tlb_flush);
	fprintf(out, "  faults: %llu no translation, %llu protection\n",
	    (unsigned long long)pmapcounters.faults_inval,
	    (unsigned long long)pmapcounters.faults_prot);
	fprintf(out,
	    "  table pages: %llu allocated, %llu freed; "
	    "pv entries: %llu allocated, %llu freed\n",
	    (unsigned long long)pmapcounters.ptp_alloc,
	    (unsigned long long)pmapcounters.ptp_free,
	    (unsigned long long)pmapcounters.pv_alloc,
	    (unsigned long long)pmapcounters.pv_free);
	kern_shutdown();
	return 0;
}
