/*
 * bench_pmap.c: the cost of the MMU and the page layer.
 *
 * Baselines, measured in the same run: a plain host load of 8 bytes, and
 * memset of one page.
 */

#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "kern/kern.h"

volatile uint64_t bench_sink;

#define NPAGES	2048
#define WALKSET 1024 /* pages touched round-robin: far more than the TLB */
#define VA_BASE ((vaddr_t)0x10000000)

int
main(void)
{
	struct machine_config mc;
	struct vm_page **pgs;
	struct pmap *pm;
	double t_load, t_hit, t_miss, t_memset, t_alloc, t_enter;
	uint64_t *host;
	void *p;
	int i;

	machine_config_default(&mc);
	mc.mc_npages = NPAGES;
	if (kern_boot_vm(&mc) != 0) {
		fprintf(stderr, "bench_pmap: cannot boot\n");
		return 1;
	}
	pgs = calloc(WALKSET, sizeof(*pgs));
	host = malloc(PAGE_SIZE);
	if (pgs == NULL || host == NULL)
		return 1;
	memset(host, 1, PAGE_SIZE);

	pm = pmap_create();
	pmap_activate(pm);
	for (i = 0; i < WALKSET; i++) {
		pgs[i] = uvm_pagealloc(NULL, 0, NULL, 0);
		pmap_enter(pm, VA_BASE + ptoa(i), VM_PAGE_TO_PHYS(pgs[i]),
		    VM_PROT_READ | VM_PROT_WRITE, VM_PROT_WRITE);
	}

	printf("== MMU and page layer (best of %d trials)\n", BENCH_TRIALS);
	BENCH_BEST(t_load, 1 << 22,
	    bench_sink += ((volatile uint64_t *)host)[i_ & 511]);
	BENCH_BEST(t_hit, 1 << 22, {
		pmap_access(pm, VA_BASE + ((i_ & 511) << 3), VM_PROT_READ, &p);
		bench_sink += *(uint64_t *)p;
	});
	BENCH_BEST(t_miss, 1 << 20, {
		pmap_access(pm, VA_BASE + ptoa(i_ & (WALKSET - 1)),
		    VM_PROT_READ, &p);
		bench_sink += *(uint64_t *)p;
	});
	bench_line("load through the MMU, TLB hit", t_hit, "host load", t_load);
	bench_line("load through the MMU, table walk", t_miss, "host load",
	    t_load);

	BENCH_BEST(t_memset, 1 << 16, {
		memset(host, (int)i_, PAGE_SIZE);
		bench_sink += host[i_ & 511];
	});
	for (i = 0; i < WALKSET; i++) {
		pmap_remove(pm, VA_BASE + ptoa(i), VA_BASE + ptoa(i + 1));
		uvm_pagefree(pgs[i]);
	}
	BENCH_BEST(t_alloc, 1 << 18, {
		struct vm_page *pg = uvm_pagealloc(NULL, 0, NULL, 0);
		uvm_pagefree(pg);
	});
	pgs[0] = uvm_pagealloc(NULL, 0, NULL, 0);
	BENCH_BEST(t_enter, 1 << 18, {
		vaddr_t va = VA_BASE + ptoa(i_ & (WALKSET - 1));
		pmap_enter(pm, va, VM_PAGE_TO_PHYS(pgs[0]), VM_PROT_READ, 0);
		pmap_remove(pm, va, va + PAGE_SIZE);
	});
	bench_line("uvm_pagealloc + uvm_pagefree", t_alloc, "memset(page)",
	    t_memset);
	bench_line("pmap_enter + pmap_remove", t_enter, "memset(page)",
	    t_memset);

	uvm_pagefree(pgs[0]);
	pmap_deactivate(pm);
	pmap_destroy(pm);
	kern_shutdown();
	free(pgs);
	free(host);
	return 0;
}
