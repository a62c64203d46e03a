/*
 * pmap.h: the software MMU of the simulated machine (the pmap layer).
 *
 * The interface is NetBSD's pmap(9).  Behind it are real multi-level page
 * tables, a pv list per managed page and a small translation cache (the
 * "TLB") in front of the tables; see pmap.c for the design.
 *
 * What the layers above may rely on:
 *  - every load and store of a user program or of the kernel goes through
 *    pmap_access(), which sets the referenced and modified bits as
 *    hardware would and reports a fault when there is no translation or
 *    it does not allow the access;
 *  - mappings made with pmap_enter() are "managed": they are on the pv
 *    list of their vm_page, so pmap_page_protect() and the R/M functions
 *    see them; pmap_kenter_pa() mappings are unmanaged and wired;
 *  - a change to a translation is effective when the call returns (this
 *    uniprocessor invalidates its TLB entry at once; pmap_update() has
 *    nothing left to do and exists for interface fidelity).
 */

#ifndef _MACHINE_PMAP_H_
#define _MACHINE_PMAP_H_

#include <sys/queue.h>

#include "machine/kassert.h"
#include "machine/vmparam.h"

struct vm_page;
struct ptp;

/* pmap_enter() flags; the low bits (VM_PROT_ALL) are the access type */
#define PMAP_WIRED   0x00000010 /* the mapping is wired */
#define PMAP_CANFAIL 0x00000020 /* may fail with ENOMEM instead of panic */

/* mdpg_attrs: R/M bits saved from mappings that are gone; more mappings */
#define PMAP_ATTR_REF  0x1
#define PMAP_ATTR_MOD  0x2
#define PMAP_ATTR_MORE 0x4 /* pv entries beyond the first, in the hash */

struct pmap_statistics {
	long resident_count; /* valid mappings */
	long wired_count;    /* wired mappings */
};

struct pmap {
	struct ptp *pm_root; /* top-level table page */
	int pm_refs;	     /* references */
	struct pmap_statistics pm_stats;
	long pm_ptpages;	  /* table pages, the root included */
	LIST_ENTRY(pmap) pm_list; /* on pmap_all */
	uint16_t pm_id;		  /* its number, for vm_page_md (1..) */
	/* (pmap.c's) the leaf table pmap_leaf found last, NULL: none, and
	   the range it covers: va >> PMAP_SLOTSHIFT(1) */
	struct ptp *pm_lastleaf;
	vaddr_t pm_lastkey;
};
typedef struct pmap *pmap_t;

/*
 * pmapcounters: what the MMU did, machine-wide.
 */
struct pmap_counters {
	uint64_t ptp_alloc;    /* table pages allocated */
	uint64_t ptp_free;     /* table pages freed */
	uint64_t ptp_collect;  /* of which freed by pmap_collect */
	uint64_t pv_alloc;     /* pv entries allocated */
	uint64_t pv_free;      /* pv entries freed */
	uint64_t tlb_hit;      /* translations found in the TLB */
	uint64_t tlb_miss;     /* translations that walked the tables */
	uint64_t tlb_inval;    /* single-entry invalidations */
	uint64_t tlb_flush;    /* whole-TLB flushes (pmap switch) */
	uint64_t faults_inval; /* accesses with no valid translation */
	uint64_t faults_prot;  /* accesses the translation forbade */
	uint64_t zero_page;    /* pmap_zero_page calls */
	uint64_t copy_page;    /* pmap_copy_page calls */
	uint64_t update;       /* pmap_update calls */
};
extern struct pmap_counters pmapcounters;

#define pmap_resident_count(pm) ((pm)->pm_stats.resident_count)
#define pmap_wired_count(pm)	((pm)->pm_stats.wired_count)

extern struct pmap *const kernel_pmap_ptr;
#define pmap_kernel() (kernel_pmap_ptr)

void pmap_bootstrap(void);
void pmap_shutdown(void);

struct pmap *pmap_create(void);
void pmap_destroy(struct pmap *);
void pmap_reference(struct pmap *);

int pmap_enter(struct pmap *, vaddr_t, paddr_t, vm_prot_t, int flags);
void pmap_remove(struct pmap *, vaddr_t sva, vaddr_t eva);
void pmap_protect(struct pmap *, vaddr_t sva, vaddr_t eva, vm_prot_t);
bool pmap_extract(struct pmap *, vaddr_t, paddr_t *);
uint32_t pmap_extract_range(struct pmap *, vaddr_t, int n, paddr_t *pas,
    vm_prot_t *prots);
void pmap_unwire(struct pmap *, vaddr_t);
void pmap_copy(struct pmap *dst, struct pmap *src, vaddr_t dst_addr,
    vsize_t len, vaddr_t src_addr);
void pmap_collect(struct pmap *);
void pmap_update(struct pmap *);
void pmap_activate(struct pmap *);
void pmap_deactivate(struct pmap *);

void pmap_kenter_pa(vaddr_t, paddr_t, vm_prot_t);
void pmap_kremove(vaddr_t, vsize_t);

void pmap_page_protect(struct vm_page *, vm_prot_t);
bool pmap_is_referenced(struct vm_page *);
bool pmap_clear_reference(struct vm_page *);
bool pmap_is_modified(struct vm_page *);
bool pmap_clear_modify(struct vm_page *);
bool pmap_page_is_mapped(struct vm_page *);

/* one mapping of a page (pmap_page_mappings) */
struct pmap_mapping {
	struct pmap *pm_pmap;
	vaddr_t pm_va;
	bool pm_wired;
	bool pm_referenced; /* this mapping's own referenced bit */
	bool pm_modified;   /* and modified bit */
};
int pmap_page_mappings(struct vm_page *, struct pmap_mapping *, int max);

void pmap_zero_page(paddr_t);
void pmap_copy_page(paddr_t src, paddr_t dst);

int pmap_access(struct pmap *, vaddr_t, vm_prot_t access, void **hostp);

/*
 * The access hook, for replacement policies that need more than the
 * referenced bit: exact recency, or the address of every use (a research
 * feature: hardware has only the referenced bit).  While it is set,
 * every successful pmap_access calls it with the page reached and the
 * page-aligned virtual address used; the hook must not change the pmap.
 */
typedef void (*pmap_access_hook_t)(struct vm_page *, vaddr_t);
extern pmap_access_hook_t pmap_access_hook;

/* host bytes under pm's page tables: every table page, headers included */
size_t pmap_table_bytes(const struct pmap *);

int pmap_check(struct kcheck *);
int pmap_tlb_check(struct kcheck *);

#endif /* _MACHINE_PMAP_H_ */
