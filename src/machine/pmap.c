/*
 * pmap.c: the software MMU -- page tables, pv lists and the TLB.
 *
 * Page tables.  A virtual address is cut, as on amd64, into a page offset
 * and one table index per level:
 *
 *	VM_VA_BITS-1                                     PAGE_SHIFT-1     0
 *	+------------+------------+------------+------------+-------------+
 *	| top index  |    ...     |  level 1   |  level 0   | page offset |
 *	+------------+------------+------------+------------+-------------+
 *
 * Every table is one page of PAGE_SIZE / 8 eight-byte slots, so with 4 KiB
 * pages a table has 512 slots and a 40-bit address needs four levels;
 * with 64 KiB pages, two.  Slots of level 0 (the leaves) are PTEs; slots
 * above hold the next table down.  The tables live in host memory: the
 * machine layer cannot take pages from the VM system above it, so page
 * tables do not count against simulated physical memory, but every table
 * page is counted (pm_ptpages, pmapcounters).
 *
 * Tables are allocated when pmap_enter first needs them and are freed by
 * pmap_collect, which also drops every unwired mapping, and by
 * pmap_destroy.  pmap_remove leaves empty tables in place: a range that
 * is unmapped is often mapped again soon, and reclaiming table pages is
 * the collect's job (uvm_swapout calls it for a process going out).
 *
 * A PTE holds the physical address of its page and these bits:
 *
 *	PG_V	valid			PG_U	referenced (set by access)
 *	PG_R	readable		PG_M	modified (set by a write)
 *	PG_W	writable		PG_WIRED  wired (software)
 *	PG_X	executable		PG_MANAGED  on the page's pv list
 *
 * pv lists.  Every managed mapping of a physical page is on that page's
 * pv list, so pmap_page_protect and the R/M functions reach all of them.
 * The list's first entry is in the page itself (struct vm_page_md: the
 * pmap by its number, pm_id, and the virtual page number); the rest,
 * for a page mapped more than once, are pv entries in a hash keyed by
 * the page, pmap_pvhash, which holds each page's entries in list order.
 * A new mapping goes first, as onto the head of a list: the page's own
 * entry moves into the hash, ahead of the page's others.  When the first
 * goes, the hash's next takes its place.  So a page mapped once -- most
 * anonymous pages -- costs no pv entry, and the list's order is what a
 * linked list's would be.  When a mapping goes away its R/M bits are
 * saved in the page's attributes, so nothing is forgotten.
 * pmap_kenter_pa makes unmanaged, wired kernel mappings that are on no
 * pv list.
 *
 * The TLB.  A direct-mapped cache of TLB_NENTRIES translations sits in
 * front of the tables.  An entry holds the host address of the page and
 * the accesses it allows.  As on x86, the TLB is only loaded by an access
 * that sets PG_U, and it allows a write only once PG_M is set, so the
 * walk sets R and M exactly once per load.  It follows that an entry must
 * be invalidated whenever software removes or replaces a mapping, lowers
 * its protection, or clears its R or M bit -- which is what this file
 * does, each time counted in pmapcounters.tlb_inval.  Entries of the
 * kernel pmap are global; switching user pmaps (pmap_activate) flushes
 * the others.  pmap_tlb_check verifies that no entry is stale.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "machine/hostmem.h"
#include "machine/failpoint.h"
#include "machine/pool.h"
#include "machine/physmem.h"
#include "machine/pmap.h"
#include "uvm/uvm_page.h"

typedef uint64_t pt_entry_t;

#define PG_V	   0x01
#define PG_R	   0x02
#define PG_W	   0x04
#define PG_X	   0x08
#define PG_U	   0x10
#define PG_M	   0x20
#define PG_WIRED   0x40
#define PG_MANAGED 0x80
#define PG_FLAGS   0xff

/* one slot of a table: a PTE at level 0, the next table above it */
union pt_slot {
	pt_entry_t pte;
	struct ptp *next;
};

/* a table page */
struct ptp {
	unsigned int ptp_level;	  /* 0: a leaf of PTEs */
	unsigned int ptp_nvalid;  /* valid PTEs, or tables below */
	unsigned int ptp_nwired;  /* wired PTEs (leaves only) */
	union pt_slot ptp_slot[]; /* PAGE_SIZE bytes */
};

/* a managed mapping beyond a page's first, in pmap_pvhash */
struct pv_entry {
	struct pv_entry *pv_next; /* in its hash chain */
	struct vm_page *pv_pg;	  /* the page mapped */
	struct pmap *pv_pmap;
	vaddr_t pv_va;
};

#define TLB_NENTRIES 64
#define TLB_NOVPN    (~(vaddr_t)0)

struct tlb_entry {
	vaddr_t te_vpn;	   /* virtual page number, or TLB_NOVPN */
	uint8_t *te_host;  /* host address of the page */
	vm_prot_t te_prot; /* accesses allowed without a walk */
};

struct pmap_counters pmapcounters;

static struct pmap kernel_pmap_store;
struct pmap *const kernel_pmap_ptr = &kernel_pmap_store;

static LIST_HEAD(, pmap) pmap_all = LIST_HEAD_INITIALIZER(pmap_all);

/* the pmaps by number (pm_id; 0 is none), and the numbers free */
#define PMAP_MAXID 65535
static struct pmap **pmap_byid;
static uint16_t *pmap_freeids;
static unsigned int pmap_nids; /* numbers given out: 1..pmap_nids */
static unsigned int pmap_nfreeids;

/*
 * the pv entries beyond each page's first (pmap.c's design, above); the
 * buckets, once there are any, stay until shutdown, so that a fork's
 * mappings coming and going do not make and free them over and over
 */
static struct {
	struct pv_entry **ph_bucket; /* NULL until the first entry */
	size_t ph_size;		     /* buckets: a power of 2 */
	size_t ph_n;		     /* entries */
} pmap_pvhash;
static struct pmap *pmap_curpmap; /* the active user pmap */
static struct tlb_entry pmap_tlb[TLB_NENTRIES];

static unsigned int pmap_levels;    /* table levels */
static unsigned int pmap_slotshift; /* log2(slots per table) */

/* the bytes of address space one slot of a level-`l' table covers */
#define PMAP_SLOTSHIFT(l) (PAGE_SHIFT + (l)*pmap_slotshift)
#define PMAP_INDEX(va, l) \
	(((va) >> PMAP_SLOTSHIFT(l)) & (((vaddr_t)1 << pmap_slotshift) - 1))

static inline paddr_t
pte_pa(pt_entry_t pte)
{
	return pte & ~(pt_entry_t)PAGE_MASK;
}

static inline vm_prot_t
pte_prot(pt_entry_t pte)
{
	return ((pte & PG_R) ? VM_PROT_READ : 0) |
	    ((pte & PG_W) ? VM_PROT_WRITE : 0) |
	    ((pte & PG_X) ? VM_PROT_EXECUTE : 0);
}

static inline pt_entry_t
prot_pte(vm_prot_t prot)
{
	return ((prot & VM_PROT_READ) ? PG_R : 0) |
	    ((prot & VM_PROT_WRITE) ? PG_W : 0) |
	    ((prot & VM_PROT_EXECUTE) ? PG_X : 0);
}

/* the range of addresses a pmap may map */
static inline bool
pmap_va_ok(const struct pmap *pm, vaddr_t va)
{
	if (pm == pmap_kernel())
		return va >= VM_MIN_KERNEL_ADDRESS &&
		    va < VM_MAX_KERNEL_ADDRESS;
	return va < VM_MAXUSER_ADDRESS;
}

/* is `pm' one whose translations the TLB may hold? */
static inline bool
pmap_is_live(const struct pmap *pm)
{
	return pm == pmap_kernel() || pm == pmap_curpmap;
}

/*
 * TLB
 */

static void
pmap_tlb_flush_all(bool globals_too)
{
	int i;

	for (i = 0; i < TLB_NENTRIES; i++) {
		if (!globals_too && pmap_tlb[i].te_vpn != TLB_NOVPN &&
		    ptoa(pmap_tlb[i].te_vpn) >= VM_MIN_KERNEL_ADDRESS)
			continue;
		pmap_tlb[i].te_vpn = TLB_NOVPN;
	}
	pmapcounters.tlb_flush++;
}

/*
 * pmap_tlb_invalidate: the translation of va in pm has changed.
 *
 * => only the active pmaps can have entries; others cost nothing, as a
 *    real MMU would not need an invalidation for an inactive address space.
 */
static inline void
pmap_tlb_invalidate(struct pmap *pm, vaddr_t va)
{
	struct tlb_entry *te;
	vaddr_t vpn;

	if (!pmap_is_live(pm))
		return;
	vpn = atop(va);
	te = &pmap_tlb[vpn & (TLB_NENTRIES - 1)];
	if (te->te_vpn == vpn)
		te->te_vpn = TLB_NOVPN;
	pmapcounters.tlb_inval++;
}

/*
 * pmap_tlb_load: load the TLB entry of va in pm from its PTE, as the MMU
 * does after a walk.
 *
 * => the PTE must be valid and referenced (PG_U): the TLB holds only
 *    translations an access has used.  The entry allows a write only once
 *    PG_M is set, so the first write to a clean page still walks.
 * => only the active pmaps are cached.
 */
static inline void
pmap_tlb_load(struct pmap *pm, vaddr_t va, pt_entry_t pte)
{
	struct tlb_entry *te;
	vaddr_t vpn;

	KDASSERT((pte & (PG_V | PG_U)) == (PG_V | PG_U));
	if (!pmap_is_live(pm))
		return;
	vpn = atop(va);
	te = &pmap_tlb[vpn & (TLB_NENTRIES - 1)];
	te->te_vpn = vpn;
	te->te_host = physmem_hostaddr(pte_pa(pte));
	te->te_prot = pte_prot(pte);
	if ((pte & PG_M) == 0)
		te->te_prot &= ~VM_PROT_WRITE;
}

/*
 * table pages
 */

/*
 * pmap_ptp_alloc: a zeroed table page for level `level' of pm.
 *
 * => returns NULL only if canfail and the pmap failpoint says so; the
 *    host running out is a panic (hostmem.h).
 */
static struct ptp *
pmap_ptp_alloc(struct pmap *pm, unsigned int level, bool canfail)
{
	struct ptp *ptp;

	if (canfail && failpoint_hit(FP_PMAP))
		return NULL;
	ptp = hostmem_zalloc(1, sizeof(*ptp) + PAGE_SIZE);
	ptp->ptp_level = level;
	pm->pm_ptpages++;
	pmapcounters.ptp_alloc++;
	return ptp;
}

static void
pmap_ptp_free(struct pmap *pm, struct ptp *ptp)
{
	KASSERT(ptp->ptp_nvalid == 0);
	if (ptp == pm->pm_lastleaf)
		pm->pm_lastleaf = NULL;
	free(ptp);
	pm->pm_ptpages--;
	pmapcounters.ptp_free++;
}

/*
 * pmap_leaf_walk: pmap_leaf's walk from the top table down.
 */
static struct ptp *
pmap_leaf_walk(struct pmap *pm, vaddr_t va, bool alloc, bool canfail)
{
	struct ptp *t, *next;
	unsigned int l;
	vaddr_t i;

	t = pm->pm_root;
	for (l = pmap_levels - 1; l > 0; l--) {
		i = PMAP_INDEX(va, l);
		next = t->ptp_slot[i].next;
		if (next == NULL) {
			if (!alloc)
				return NULL;
			next = pmap_ptp_alloc(pm, l - 1, canfail);
			if (next == NULL)
				return NULL;
			t->ptp_slot[i].next = next;
			t->ptp_nvalid++;
		}
		t = next;
	}
	return t;
}

/*
 * pmap_leaf: find the leaf table that holds the PTE of va.
 *
 * => if alloc, missing tables are allocated on the way down; with
 *    canfail as well, NULL is returned when that allocation fails.
 * => without alloc, NULL means there is no leaf (no mapping).
 * => each pmap remembers the leaf found last (pm_lastleaf): a fault asks
 *    for its page and its neighbours, and the retried access for the
 *    page again, all of them nearly always in one leaf.  One per pmap,
 *    not one for the machine: a process's access and the kernel's to
 *    its u-area (proc_pstats, twice a reference in a replay) alternate,
 *    and would each throw out the other's.  A leaf is forgotten when it
 *    is freed (pmap_ptp_free).
 */
static struct ptp *
pmap_leaf(struct pmap *pm, vaddr_t va, bool alloc, bool canfail)
{
	vaddr_t key = va >> PMAP_SLOTSHIFT(1);
	struct ptp *leaf;

	if (pm->pm_lastleaf != NULL && key == pm->pm_lastkey) {
		KDASSERT(
		    pmap_leaf_walk(pm, va, false, false) == pm->pm_lastleaf);
		return pm->pm_lastleaf;
	}
	leaf = pmap_leaf_walk(pm, va, alloc, canfail);
	if (leaf != NULL) {
		pm->pm_lastleaf = leaf;
		pm->pm_lastkey = key;
	}
	return leaf;
}

static inline pt_entry_t *
pmap_leaf_pte(struct ptp *leaf, vaddr_t va)
{
	return &leaf->ptp_slot[PMAP_INDEX(va, 0)].pte;
}

/*
 * pmap_walk: call fn for every valid PTE of pm in [sva, eva).
 *
 * => subtrees with no table are skipped, so a walk over a sparse range
 *    costs what is mapped, not the size of the range.
 * => fn may change or remove the PTE it is given.
 */
typedef void
pmap_pte_fn(struct pmap *, struct ptp *, vaddr_t, pt_entry_t *, void *);

static void
pmap_walk_table(struct pmap *pm, struct ptp *t, vaddr_t base, vaddr_t sva,
    vaddr_t eva, pmap_pte_fn *fn, void *arg)
{
	unsigned int shift = PMAP_SLOTSHIFT(t->ptp_level);
	vaddr_t span = (vaddr_t)1 << shift;
	vaddr_t nslots = (vaddr_t)1 << pmap_slotshift;
	vaddr_t i, first, last, va;

	first = sva > base ? (sva - base) >> shift : 0;
	last = (eva - 1 - base) >> shift;
	if (last >= nslots)
		last = nslots - 1;
	for (i = first; i <= last; i++) {
		va = base + i * span;
		if (t->ptp_level == 0) {
			if (t->ptp_slot[i].pte & PG_V)
				fn(pm, t, va, &t->ptp_slot[i].pte, arg);
		} else if (t->ptp_slot[i].next != NULL) {
			pmap_walk_table(pm, t->ptp_slot[i].next, va, sva, eva,
			    fn, arg);
		}
	}
}

static void
pmap_walk(struct pmap *pm, vaddr_t sva, vaddr_t eva, pmap_pte_fn *fn, void *arg)
{
	if (sva < eva)
		pmap_walk_table(pm, pm->pm_root, 0, sva, eva, fn, arg);
}

/*
 * pmap numbers
 */

static void
pmap_id_alloc(struct pmap *pm)
{
	unsigned int id;

	if (pmap_nfreeids > 0)
		id = pmap_freeids[--pmap_nfreeids];
	else {
		if (pmap_nids == PMAP_MAXID)
			panic("%s: more than %d pmaps", __func__, PMAP_MAXID);
		id = ++pmap_nids;
		pmap_byid = hostmem_realloc(pmap_byid,
		    (pmap_nids + 1) * sizeof(*pmap_byid));
		pmap_freeids = hostmem_realloc(pmap_freeids,
		    (pmap_nids + 1) * sizeof(*pmap_freeids));
	}
	pmap_byid[id] = pm;
	pm->pm_id = (uint16_t)id;
}

/* pmap_id_free: pm's number goes back, to be given to a later pmap */
static void
pmap_id_free(struct pmap *pm)
{
	pmap_byid[pm->pm_id] = NULL;
	pmap_freeids[pmap_nfreeids++] = pm->pm_id;
	pm->pm_id = 0;
}

/* forget every number (boot and shutdown) */
static void
pmap_id_reset(void)
{
	free(pmap_byid);
	free(pmap_freeids);
	pmap_byid = NULL;
	pmap_freeids = NULL;
	pmap_nids = pmap_nfreeids = 0;
}

/*
 * pv entries beyond a page's first: from a pool, as NetBSD's pmaps take
 * them, and in pmap_pvhash
 */

static struct pool pmap_pv_pool =
    POOL_INITIALIZER("pvpl", sizeof(struct pv_entry));

/* 2^64 / the golden ratio: Fibonacci hashing spreads page numbers */
#define PMAP_PVHASH_MULT 0x9e3779b97f4a7c15ULL
#define PMAP_PVHASH_MIN	 64

static inline struct pv_entry **
pmap_pvhash_bucket(const struct vm_page *pg)
{
	uint64_t h = (uint64_t)(pg - physmem_pages) * PMAP_PVHASH_MULT;

	return &pmap_pvhash.ph_bucket[(h >> 32) & (pmap_pvhash.ph_size - 1)];
}

/*
 * pmap_pvhash_resize: give the hash size buckets (0: none), each page's
 * entries kept in their order.
 */
static void
pmap_pvhash_resize(size_t size)
{
	struct pv_entry **old = pmap_pvhash.ph_bucket, *pv, *next, ***tails;
	size_t oldsize = pmap_pvhash.ph_size, i;

	pmap_pvhash.ph_bucket =
	    size == 0 ? NULL : hostmem_zalloc(size, sizeof(*old));
	pmap_pvhash.ph_size = size;
	tails = size == 0 ? NULL : hostmem_alloc(size * sizeof(*tails));
	for (i = 0; i < size; i++)
		tails[i] = &pmap_pvhash.ph_bucket[i];
	/* each old chain in order, onto the tails of the new ones */
	for (i = 0; i < oldsize; i++) {
		for (pv = old[i]; pv != NULL; pv = next) {
			struct pv_entry ***tail =
			    &tails[pmap_pvhash_bucket(pv->pv_pg) -
				pmap_pvhash.ph_bucket];

			next = pv->pv_next;
			pv->pv_next = NULL;
			**tail = pv;
			*tail = &pv->pv_next;
		}
	}
	free(tails);
	free(old);
}

/* the next of pg's entries in the hash from *pvp on, or NULL */
static struct pv_entry **
pmap_pvhash_find(struct pv_entry **pvp, const struct vm_page *pg)
{
	for (; *pvp != NULL; pvp = &(*pvp)->pv_next)
		if ((*pvp)->pv_pg == pg)
			return pvp;
	return NULL;
}

/*
 * pmap_pv_reserve: room for one more mapping of pg -- nothing when its
 * own entry is free, else a pv entry from the pool.
 *
 * => the pmap failpoint is asked first either way, so it fails the same
 *    calls whatever the page holds (canfail only).
 * => returns 0, or ENOMEM (nothing taken).
 */
static int
pmap_pv_reserve(struct vm_page *pg, bool canfail, struct pv_entry **pvp)
{
	if (canfail && failpoint_hit(FP_PMAP))
		return ENOMEM;
	*pvp = pg->mdpage.mdpg_pmap == 0 ? NULL : pool_get(&pmap_pv_pool, 0);
	pmapcounters.pv_alloc++;
	return 0;
}

/*
 * pmap_pv_enter: (pm, va) maps pg: it becomes the first of pg's
 * mappings, pv (from pmap_pv_reserve) taking the old first's place at
 * the head of the page's entries in the hash.
 */
static void
pmap_pv_enter(struct vm_page *pg, struct pv_entry *pv, struct pmap *pm,
    vaddr_t va)
{
	struct vm_page_md *md = &pg->mdpage;
	struct pv_entry **head;

	if (md->mdpg_pmap != 0) {
		KASSERT(pv != NULL);
		if (pmap_pvhash.ph_n + 1 > pmap_pvhash.ph_size)
			pmap_pvhash_resize(
			    MAX(PMAP_PVHASH_MIN, 2 * pmap_pvhash.ph_size));
		pv->pv_pg = pg;
		pv->pv_pmap = pmap_byid[md->mdpg_pmap];
		pv->pv_va = ptoa(md->mdpg_vpn);
		head = pmap_pvhash_bucket(pg);
		pv->pv_next = *head;
		*head = pv;
		pmap_pvhash.ph_n++;
		md->mdpg_attrs |= PMAP_ATTR_MORE;
	}
	md->mdpg_pmap = pm->pm_id;
	md->mdpg_vpn = (uint32_t)atop(va);
}

/* take the entry at *pvp out of the hash and free it */
static void
pmap_pv_unhash(struct vm_page *pg, struct pv_entry **pvp)
{
	struct pv_entry *pv = *pvp;

	*pvp = pv->pv_next;
	pool_put(&pmap_pv_pool, pv);
	pmap_pvhash.ph_n--;
	if (pmap_pvhash_find(pmap_pvhash_bucket(pg), pg) == NULL)
		pg->mdpage.mdpg_attrs &= ~PMAP_ATTR_MORE;
}

/*
 * pmap_pv_remove: forget pm's mapping of pg at va.
 *
 * => if it is the first mapping, held in the page, the next one in list
 *    order (the hash's first for pg) moves into the page; otherwise its
 *    entry is taken out of the hash.
 * => panics if pg has no such mapping.
 */
static void
pmap_pv_remove(struct vm_page *pg, struct pmap *pm, vaddr_t va)
{
	struct vm_page_md *md = &pg->mdpage;
	struct pv_entry **pvp;

	pmapcounters.pv_free++;
	if (md->mdpg_pmap == pm->pm_id && md->mdpg_vpn == atop(va)) {
		if ((md->mdpg_attrs & PMAP_ATTR_MORE) == 0) {
			md->mdpg_pmap = 0;
			md->mdpg_vpn = 0;
			return;
		}
		/* the next mapping becomes the first */
		pvp = pmap_pvhash_find(pmap_pvhash_bucket(pg), pg);
		KASSERT(pvp != NULL);
		md->mdpg_pmap = (*pvp)->pv_pmap->pm_id;
		md->mdpg_vpn = (uint32_t)atop((*pvp)->pv_va);
		pmap_pv_unhash(pg, pvp);
		return;
	}
	if (md->mdpg_attrs & PMAP_ATTR_MORE)
		for (pvp = pmap_pvhash_bucket(pg);
		     (pvp = pmap_pvhash_find(pvp, pg)) != NULL;
		     pvp = &(*pvp)->pv_next)
			if ((*pvp)->pv_pmap == pm && (*pvp)->pv_va == va) {
				pmap_pv_unhash(pg, pvp);
				return;
			}
	panic("%s: no pv entry for pmap %p va 0x%llx", __func__, (void *)pm,
	    (unsigned long long)va);
}

/*
 * pmap_pv_next: walk pg's mappings in list order: the first, then the
 * hash's.  Start with pc_started false; each call gives the next mapping
 * in *pmp and *vap and returns true, or returns false at the end:
 *
 *	for (pc.pc_started = false; pmap_pv_next(pg, &pc, &pm, &va);)
 *
 * => the mappings must not change during the walk.
 */
struct pv_cursor {
	struct pv_entry **pc_pvp; /* the next in the hash, or NULL */
	bool pc_started;
};

static bool
pmap_pv_next(struct vm_page *pg, struct pv_cursor *pc, struct pmap **pmp,
    vaddr_t *vap)
{
	struct vm_page_md *md = &pg->mdpage;

	if (!pc->pc_started) {
		pc->pc_started = true;
		if (md->mdpg_pmap == 0)
			return false;
		pc->pc_pvp = (md->mdpg_attrs & PMAP_ATTR_MORE) ?
		    pmap_pvhash_bucket(pg) :
		    NULL;
		*pmp = pmap_byid[md->mdpg_pmap];
		*vap = ptoa(md->mdpg_vpn);
		return true;
	}
	if (pc->pc_pvp == NULL ||
	    (pc->pc_pvp = pmap_pvhash_find(pc->pc_pvp, pg)) == NULL)
		return false;
	*pmp = (*pc->pc_pvp)->pv_pmap;
	*vap = (*pc->pc_pvp)->pv_va;
	pc->pc_pvp = &(*pc->pc_pvp)->pv_next;
	return true;
}

/*
 * pmap_remove_pte: remove one valid mapping.
 *
 * => its R/M bits are saved in the page's attributes, its pv entry
 *    freed, the counts adjusted and the TLB entry invalidated.
 */
static void
pmap_remove_pte(struct pmap *pm, struct ptp *leaf, vaddr_t va, pt_entry_t *pte,
    void *arg __unused)
{
	pt_entry_t opte = *pte;
	struct vm_page *pg;

	KDASSERT(opte & PG_V); /* the walk gives valid entries only */
	if (opte & PG_MANAGED) {
		pg = PHYS_TO_VM_PAGE(pte_pa(opte));
		pmap_pv_remove(pg, pm, va);
		if (opte & PG_U)
			pg->mdpage.mdpg_attrs |= PMAP_ATTR_REF;
		if (opte & PG_M)
			pg->mdpage.mdpg_attrs |= PMAP_ATTR_MOD;
	}
	if (opte & PG_WIRED) {
		leaf->ptp_nwired--;
		pm->pm_stats.wired_count--;
	}
	leaf->ptp_nvalid--;
	pm->pm_stats.resident_count--;
	*pte = 0;
	pmap_tlb_invalidate(pm, va);
}

/*
 * pmap_bootstrap: set up the MMU for the current page size.
 *
 * => called once by machine_boot, before any pmap is used.
 */
void
pmap_bootstrap(void)
{
	unsigned int bits;

	pmap_slotshift = PAGE_SHIFT - 3;
	bits = VM_VA_BITS - PAGE_SHIFT;
	pmap_levels = (bits + pmap_slotshift - 1) / pmap_slotshift;
	memset(&pmapcounters, 0, sizeof(pmapcounters));
	pmap_tlb_flush_all(true);
	pmapcounters.tlb_flush = 0;
	pmap_curpmap = NULL;
	LIST_INIT(&pmap_all);

	pmap_id_reset();
	free(pmap_pvhash.ph_bucket);
	memset(&pmap_pvhash, 0, sizeof(pmap_pvhash));
	memset(&kernel_pmap_store, 0, sizeof(kernel_pmap_store));
	kernel_pmap_store.pm_refs = 1;
	pmap_id_alloc(&kernel_pmap_store);
	kernel_pmap_store.pm_root =
	    pmap_ptp_alloc(&kernel_pmap_store, pmap_levels - 1, false);
	LIST_INSERT_HEAD(&pmap_all, &kernel_pmap_store, pm_list);
}

static void pmap_release(struct pmap *);

/*
 * pmap_shutdown: tear the MMU down at machine shutdown.
 *
 * => every user pmap must already be destroyed; the kernel pmap's
 *    remaining mappings and tables are released.
 */
void
pmap_shutdown(void)
{
	KASSERTMSG(LIST_FIRST(&pmap_all) == pmap_kernel() &&
		LIST_NEXT(pmap_kernel(), pm_list) == NULL,
	    "%s: user pmaps still exist", __func__);
	pmap_release(pmap_kernel());
	LIST_INIT(&pmap_all);
	pmap_curpmap = NULL;
	pmap_id_reset();
	KASSERT(pmap_pvhash.ph_n == 0);
	pmap_pvhash_resize(0);
}

/*
 * pmap_create: a new, empty user pmap with one reference.
 */
struct pmap *
pmap_create(void)
{
	struct pmap *pm;

	pm = hostmem_zalloc(1, sizeof(*pm));
	pm->pm_refs = 1;
	pmap_id_alloc(pm);
	pm->pm_root = pmap_ptp_alloc(pm, pmap_levels - 1, false);
	LIST_INSERT_HEAD(&pmap_all, pm, pm_list);
	return pm;
}

void
pmap_reference(struct pmap *pm)
{
	pm->pm_refs++;
}

/* free every table below and including t */
static void
pmap_free_tables(struct pmap *pm, struct ptp *t)
{
	vaddr_t i, nslots = (vaddr_t)1 << pmap_slotshift;

	if (t->ptp_level > 0) {
		for (i = 0; i < nslots; i++) {
			if (t->ptp_slot[i].next != NULL) {
				pmap_free_tables(pm, t->ptp_slot[i].next);
				t->ptp_nvalid--;
			}
		}
	}
	pmap_ptp_free(pm, t);
}

/* remove every mapping of pm and free all its tables */
static void
pmap_release(struct pmap *pm)
{
	pmap_walk(pm, 0, VM_MAX_KERNEL_ADDRESS, pmap_remove_pte, NULL);
	pmap_free_tables(pm, pm->pm_root);
	pm->pm_root = NULL;
	KASSERT(pm->pm_ptpages == 0);
}

/*
 * pmap_destroy: drop a reference; the last one frees the pmap.
 *
 * => mappings still present are removed (their R/M bits saved), so the
 *    pages stay consistent even if the caller did not unmap first.
 */
void
pmap_destroy(struct pmap *pm)
{
	KASSERT(pm != pmap_kernel());
	KASSERT(pm->pm_refs > 0);
	if (--pm->pm_refs > 0)
		return;
	if (pmap_curpmap == pm)
		pmap_deactivate(pm);
	pmap_release(pm);
	LIST_REMOVE(pm, pm_list);
	pmap_id_free(pm);
	free(pm);
}

/*
 * pmap_enter: map va to pa in pm with protection prot.
 *
 * => flags: the access type that caused the mapping (VM_PROT_* bits, a
 *    subset of prot: the new PTE starts referenced, and modified if the
 *    access was a write), PMAP_WIRED, PMAP_CANFAIL.
 * => an existing mapping of va to the same page is updated in place (its
 *    R/M bits kept); a mapping of va to another page is replaced.
 * => with an access type, the TLB entry of va is loaded as that access
 *    would load it (pm active only): the fault handler maps the page for
 *    an access about to be retried, which then finds its translation
 *    without walking the tables again.
 * => returns 0, or ENOMEM if PMAP_CANFAIL was given and a table page or
 *    pv entry could not be had, in which case the old mapping is intact.
 */
int
pmap_enter(struct pmap *pm, vaddr_t va, paddr_t pa, vm_prot_t prot, int flags)
{
	bool canfail = (flags & PMAP_CANFAIL) != 0;
	vm_prot_t access = flags & VM_PROT_ALL;
	struct pv_entry *pv;
	struct ptp *leaf;
	pt_entry_t *pte, opte, npte;

	/*
	 * the alignment and the access type are the caller's arithmetic,
	 * checked in DEBUG builds; where the mapping points is checked always
	 */
	KDASSERTMSG((va & PAGE_MASK) == 0 && (pa & PAGE_MASK) == 0,
	    "%s: unaligned va 0x%llx or pa 0x%llx", __func__,
	    (unsigned long long)va, (unsigned long long)pa);
	KASSERTMSG(pmap_va_ok(pm, va), "%s: va 0x%llx outside the pmap",
	    __func__, (unsigned long long)va);
	KASSERTMSG(physmem_valid(pa), "%s: pa 0x%llx is not memory", __func__,
	    (unsigned long long)pa);
	KDASSERTMSG((access & ~prot) == 0, "%s: access 0x%x exceeds prot 0x%x",
	    __func__, access, prot);

	npte = pa | PG_V | PG_MANAGED | prot_pte(prot);
	if (flags & PMAP_WIRED)
		npte |= PG_WIRED;
	if (access & VM_PROT_WRITE)
		npte |= PG_U | PG_M;
	else if (access != 0)
		npte |= PG_U;

	leaf = pmap_leaf(pm, va, true, canfail);
	if (leaf == NULL)
		return ENOMEM;
	pte = pmap_leaf_pte(leaf, va);
	opte = *pte;

	/* same page: change protection and wiring, keep R/M and pv */
	if ((opte & (PG_V | PG_MANAGED)) == (PG_V | PG_MANAGED) &&
	    pte_pa(opte) == pa) {
		npte |= opte & (PG_U | PG_M);
		if ((opte ^ npte) & PG_WIRED) {
			int d = (npte & PG_WIRED) ? 1 : -1;

			leaf->ptp_nwired += d;
			pm->pm_stats.wired_count += d;
		}
		*pte = npte;
		pmap_tlb_invalidate(pm, va);
		if (access != 0)
			pmap_tlb_load(pm, va, npte);
		return 0;
	}

	/* a new mapping needs a pv entry; get it before touching the old */
	if (pmap_pv_reserve(PHYS_TO_VM_PAGE(pa), canfail, &pv) != 0)
		return ENOMEM;
	if (opte & PG_V)
		pmap_remove_pte(pm, leaf, va, pte, NULL);
	pmap_pv_enter(PHYS_TO_VM_PAGE(pa), pv, pm, va);
	*pte = npte;
	leaf->ptp_nvalid++;
	pm->pm_stats.resident_count++;
	if (npte & PG_WIRED) {
		leaf->ptp_nwired++;
		pm->pm_stats.wired_count++;
	}
	if (access != 0)
		pmap_tlb_load(pm, va, npte);
	return 0;
}

/*
 * pmap_remove: remove every mapping in [sva, eva).
 */
void
pmap_remove(struct pmap *pm, vaddr_t sva, vaddr_t eva)
{
	pmap_walk(pm, sva, eva, pmap_remove_pte, NULL);
}

/* lower one PTE to the protection in *arg */
static void
pmap_protect_pte(struct pmap *pm, struct ptp *leaf __unused, vaddr_t va,
    pt_entry_t *pte, void *arg)
{
	pt_entry_t keep =
	    prot_pte(*(vm_prot_t *)arg) | ~(pt_entry_t)(PG_R | PG_W | PG_X);

	if ((*pte & keep) != *pte) {
		*pte &= keep;
		pmap_tlb_invalidate(pm, va);
	}
}

/*
 * pmap_protect: lower the protection of every mapping in [sva, eva) to
 * at most prot.
 *
 * => it never raises a protection.  A prot without VM_PROT_READ removes
 *    the mappings, as in NetBSD.
 */
void
pmap_protect(struct pmap *pm, vaddr_t sva, vaddr_t eva, vm_prot_t prot)
{
	if ((prot & VM_PROT_READ) == 0) {
		pmap_remove(pm, sva, eva);
		return;
	}
	pmap_walk(pm, sva, eva, pmap_protect_pte, &prot);
}

/*
 * pmap_extract: the physical address va maps to, if any.
 *
 * => returns true and sets *pap (if not NULL) when there is a valid
 *    mapping; the page offset of va is kept.
 */
bool
pmap_extract(struct pmap *pm, vaddr_t va, paddr_t *pap)
{
	struct ptp *leaf;
	pt_entry_t pte;

	if (!pmap_va_ok(pm, va))
		return false;
	leaf = pmap_leaf(pm, va, false, false);
	if (leaf == NULL)
		return false;
	pte = *pmap_leaf_pte(leaf, va);
	if ((pte & PG_V) == 0)
		return false;
	if (pap != NULL)
		*pap = pte_pa(pte) | (va & PAGE_MASK);
	return true;
}

/*
 * pmap_extract_range: the mappings of the n pages from va (n at most
 * 32), one leaf lookup for each leaf table the range touches.
 *
 * => returns a bitmap with bit i set when page i is mapped, and for each
 *    such page its physical address in pas[i] and its protection in
 *    prots[i]; the other slots are left as they are.
 * => the fault handler asks this before mapping neighbours, so that a
 *    neighbour already mapped as it would map it is left alone.
 */
uint32_t
pmap_extract_range(struct pmap *pm, vaddr_t va, int n, paddr_t *pas,
    vm_prot_t *prots)
{
	vaddr_t nslots = (vaddr_t)1 << pmap_slotshift, idx;
	uint32_t mapped = 0;
	struct ptp *leaf;
	pt_entry_t pte;
	int i;

	KDASSERT(n >= 0 && n <= 32 && (va & PAGE_MASK) == 0);
	if (n == 0 || !pmap_va_ok(pm, va) || !pmap_va_ok(pm, va + ptoa(n - 1)))
		return 0;
	/* the slots are walked by index: a leaf's are contiguous */
	leaf = pmap_leaf(pm, va, false, false);
	idx = PMAP_INDEX(va, 0);
	for (i = 0; i < n; i++, idx++) {
		if (idx == nslots) {
			leaf = pmap_leaf(pm, va + ptoa(i), false, false);
			idx = 0;
		}
		if (leaf == NULL)
			continue;
		pte = leaf->ptp_slot[idx].pte;
		if ((pte & PG_V) == 0)
			continue;
		mapped |= (uint32_t)1 << i;
		pas[i] = pte_pa(pte);
		prots[i] = pte_prot(pte);
	}
	return mapped;
}

/*
 * pmap_unwire: the mapping of va is no longer wired.
 *
 * => there must be a mapping; unwiring an unwired one changes nothing.
 */
void
pmap_unwire(struct pmap *pm, vaddr_t va)
{
	struct ptp *leaf;
	pt_entry_t *pte;

	leaf = pmap_leaf(pm, va, false, false);
	KASSERTMSG(leaf != NULL && (*pmap_leaf_pte(leaf, va) & PG_V),
	    "%s: no mapping at va 0x%llx", __func__, (unsigned long long)va);
	pte = pmap_leaf_pte(leaf, va);
	if (*pte & PG_WIRED) {
		*pte &= ~(pt_entry_t)PG_WIRED;
		leaf->ptp_nwired--;
		pm->pm_stats.wired_count--;
	}
}

struct pmap_copy_arg {
	struct pmap *pca_dst;
	vaddr_t pca_delta; /* dst va - src va */
	bool pca_failed;
};

static void
pmap_copy_pte(struct pmap *pm __unused, struct ptp *leaf __unused, vaddr_t va,
    pt_entry_t *pte, void *arg)
{
	struct pmap_copy_arg *pca = arg;
	vaddr_t dva = va + pca->pca_delta;

	if (pca->pca_failed || (*pte & (PG_MANAGED | PG_WIRED)) != PG_MANAGED)
		return;
	if (pmap_extract(pca->pca_dst, dva, NULL))
		return;
	if (pmap_enter(pca->pca_dst, dva, pte_pa(*pte), pte_prot(*pte),
		PMAP_CANFAIL) != 0)
		pca->pca_failed = true;
}

/*
 * pmap_copy: give dst the managed, unwired mappings src has in
 * [src_addr, src_addr + len), at dst_addr, with the same protection.
 *
 * => advisory, as in NetBSD: it only saves the new address space some
 *    faults; it stops quietly if memory runs short, never replaces a
 *    mapping dst already has, and copies no R/M bits (dst has not used
 *    the pages yet).
 */
void
pmap_copy(struct pmap *dst, struct pmap *src, vaddr_t dst_addr, vsize_t len,
    vaddr_t src_addr)
{
	struct pmap_copy_arg pca = {
		.pca_dst = dst,
		.pca_delta = dst_addr - src_addr,
	};

	KASSERT(dst != src);
	pmap_walk(src, src_addr, src_addr + len, pmap_copy_pte, &pca);
}

/* drop an unwired mapping (pmap_collect) */
static void
pmap_collect_pte(struct pmap *pm, struct ptp *leaf, vaddr_t va, pt_entry_t *pte,
    void *arg)
{
	if ((*pte & PG_WIRED) == 0)
		pmap_remove_pte(pm, leaf, va, pte, arg);
}

/* free the tables below t that hold nothing; returns true if t is empty */
static bool
pmap_collect_tables(struct pmap *pm, struct ptp *t)
{
	vaddr_t i, nslots = (vaddr_t)1 << pmap_slotshift;
	struct ptp *next;

	if (t->ptp_level == 0)
		return t->ptp_nvalid == 0;
	for (i = 0; i < nslots && t->ptp_nvalid > 0; i++) {
		next = t->ptp_slot[i].next;
		if (next != NULL && pmap_collect_tables(pm, next)) {
			pmap_ptp_free(pm, next);
			pmapcounters.ptp_collect++;
			t->ptp_slot[i].next = NULL;
			t->ptp_nvalid--;
		}
	}
	return t->ptp_nvalid == 0;
}

/*
 * pmap_collect: give back what a pmap holds that can be rebuilt.
 *
 * => every unwired mapping is removed (it will be faulted back in on
 *    demand, its R/M bits saved meanwhile), then every table page that
 *    is left with no valid entry is freed.  Wired mappings, and the
 *    tables that hold them, stay.  The top-level table always stays.
 * => called by uvm_swapout for a process going out of memory.
 */
void
pmap_collect(struct pmap *pm)
{
	pmap_walk(pm, 0, VM_MAX_KERNEL_ADDRESS, pmap_collect_pte, NULL);
	pmap_collect_tables(pm, pm->pm_root);
}

size_t
pmap_table_bytes(const struct pmap *pm)
{
	return (size_t)pm->pm_ptpages * (sizeof(struct ptp) + PAGE_SIZE);
}

/*
 * pmap_update: finish deferred MMU work.
 *
 * => every change above already invalidated its TLB entry, so nothing is
 *    deferred on this uniprocessor; the call is counted.
 */
void
pmap_update(struct pmap *pm __unused)
{
	pmapcounters.update++;
}

/*
 * pmap_activate: pm becomes the user address space of the CPU.
 *
 * => switching from another pmap flushes the non-global TLB entries,
 *    as loading a new page-table base does on hardware without ASIDs.
 */
void
pmap_activate(struct pmap *pm)
{
	KASSERT(pm != pmap_kernel());
	if (pm == pmap_curpmap)
		return;
	if (pmap_curpmap != NULL)
		pmap_tlb_flush_all(false);
	pmap_curpmap = pm;
}

/*
 * pmap_deactivate: pm is no longer the CPU's user address space.
 *
 * => its TLB entries are flushed, so the TLB only ever holds
 *    translations of the kernel pmap and of the active one.
 */
void
pmap_deactivate(struct pmap *pm)
{
	if (pmap_curpmap != pm)
		return;
	pmap_tlb_flush_all(false);
	pmap_curpmap = NULL;
}

/*
 * pmap_kenter_pa: enter an unmanaged, wired kernel mapping.
 *
 * => va must not be mapped already.  Such mappings are on no pv list, so
 *    pmap_page_protect and the R/M functions ignore them; remove them
 *    with pmap_kremove.
 */
void
pmap_kenter_pa(vaddr_t va, paddr_t pa, vm_prot_t prot)
{
	struct pmap *pm = pmap_kernel();
	struct ptp *leaf;
	pt_entry_t *pte;

	KASSERT((va & PAGE_MASK) == 0 && (pa & PAGE_MASK) == 0);
	KASSERTMSG(pmap_va_ok(pm, va), "%s: va 0x%llx is not a kernel address",
	    __func__, (unsigned long long)va);
	KASSERT(physmem_valid(pa));
	leaf = pmap_leaf(pm, va, true, false);
	pte = pmap_leaf_pte(leaf, va);
	KASSERTMSG((*pte & PG_V) == 0, "%s: va 0x%llx already mapped", __func__,
	    (unsigned long long)va);
	*pte = pa | PG_V | PG_WIRED | prot_pte(prot);
	leaf->ptp_nvalid++;
	leaf->ptp_nwired++;
	pm->pm_stats.resident_count++;
	pm->pm_stats.wired_count++;
}

static void
pmap_kremove_pte(struct pmap *pm, struct ptp *leaf, vaddr_t va, pt_entry_t *pte,
    void *arg)
{
	KASSERTMSG((*pte & PG_MANAGED) == 0,
	    "%s: va 0x%llx is a managed mapping", __func__,
	    (unsigned long long)va);
	pmap_remove_pte(pm, leaf, va, pte, arg);
}

/*
 * pmap_kremove: remove the pmap_kenter_pa mappings in [va, va + len).
 */
void
pmap_kremove(vaddr_t va, vsize_t len)
{
	pmap_walk(pmap_kernel(), va, va + len, pmap_kremove_pte, NULL);
}

/*
 * pmap_page_protect: lower every managed mapping of pg to prot.
 *
 * => a prot without VM_PROT_READ removes them all (the page can then be
 *    freed or paged out); VM_PROT_READ write-protects them (copy-on-write).
 */
void
pmap_page_protect(struct vm_page *pg, vm_prot_t prot)
{
	struct pv_cursor pc;
	struct pmap *pm;
	struct ptp *leaf;
	vaddr_t va;

	if ((prot & VM_PROT_READ) == 0) {
		/* each removal makes the next mapping the page's first */
		while (pg->mdpage.mdpg_pmap != 0) {
			pm = pmap_byid[pg->mdpage.mdpg_pmap];
			va = ptoa(pg->mdpage.mdpg_vpn);
			leaf = pmap_leaf(pm, va, false, false);
			KASSERT(leaf != NULL);
			pmap_remove_pte(pm, leaf, va, pmap_leaf_pte(leaf, va),
			    NULL);
		}
		return;
	}
	for (pc.pc_started = false; pmap_pv_next(pg, &pc, &pm, &va);) {
		leaf = pmap_leaf(pm, va, false, false);
		KASSERT(leaf != NULL);
		pmap_protect_pte(pm, leaf, va, pmap_leaf_pte(leaf, va), &prot);
	}
}

/*
 * pmap_test_attr: is `bit' (PG_U or PG_M) set in any mapping of pg or in
 * its saved attributes?
 */
static bool
pmap_test_attr(struct vm_page *pg, pt_entry_t bit, unsigned int attr)
{
	struct pv_cursor pc;
	struct pmap *pm;
	struct ptp *leaf;
	vaddr_t va;

	if (pg->mdpage.mdpg_attrs & attr)
		return true;
	for (pc.pc_started = false; pmap_pv_next(pg, &pc, &pm, &va);) {
		leaf = pmap_leaf(pm, va, false, false);
		if (*pmap_leaf_pte(leaf, va) & bit)
			return true;
	}
	return false;
}

/*
 * pmap_clear_attr: clear `bit' everywhere; returns whether it was set.
 */
static bool
pmap_clear_attr(struct vm_page *pg, pt_entry_t bit, unsigned int attr)
{
	struct pv_cursor pc;
	struct pmap *pm;
	struct ptp *leaf;
	pt_entry_t *pte;
	vaddr_t va;
	bool was = false;

	if (pg->mdpage.mdpg_attrs & attr) {
		pg->mdpage.mdpg_attrs &= (uint8_t)~attr;
		was = true;
	}
	for (pc.pc_started = false; pmap_pv_next(pg, &pc, &pm, &va);) {
		leaf = pmap_leaf(pm, va, false, false);
		pte = pmap_leaf_pte(leaf, va);
		if (*pte & bit) {
			*pte &= ~bit;
			was = true;
			/* the TLB would not set the bit again on its own */
			pmap_tlb_invalidate(pm, va);
		}
	}
	return was;
}

/*
 * pmap_is_referenced, pmap_clear_reference, pmap_is_modified,
 * pmap_clear_modify: the referenced and modified bits of a page, over
 * all its managed mappings past and present.
 *
 * => the clear functions return whether the bit was set.
 */
bool
pmap_is_referenced(struct vm_page *pg)
{
	return pmap_test_attr(pg, PG_U, PMAP_ATTR_REF);
}

bool
pmap_clear_reference(struct vm_page *pg)
{
	return pmap_clear_attr(pg, PG_U, PMAP_ATTR_REF);
}

bool
pmap_is_modified(struct vm_page *pg)
{
	return pmap_test_attr(pg, PG_M, PMAP_ATTR_MOD);
}

bool
pmap_clear_modify(struct vm_page *pg)
{
	return pmap_clear_attr(pg, PG_M, PMAP_ATTR_MOD);
}

/*
 * pmap_page_mappings: pg's managed mappings: up to max of them in out[],
 * each with its pmap, address and whether it is wired.
 *
 * => returns how many there are (more than max: only max were stored).
 */
int
pmap_page_mappings(struct vm_page *pg, struct pmap_mapping *out, int max)
{
	struct pv_cursor pc;
	struct pmap *pm;
	struct ptp *leaf;
	pt_entry_t pte;
	vaddr_t va;
	int n = 0;

	for (pc.pc_started = false; pmap_pv_next(pg, &pc, &pm, &va);) {
		if (n++ >= max)
			continue;
		leaf = pmap_leaf(pm, va, false, false);
		KASSERT(leaf != NULL);
		out[n - 1].pm_pmap = pm;
		out[n - 1].pm_va = va;
		pte = *pmap_leaf_pte(leaf, va);
		out[n - 1].pm_wired = (pte & PG_WIRED) != 0;
		out[n - 1].pm_referenced = (pte & PG_U) != 0;
		out[n - 1].pm_modified = (pte & PG_M) != 0;
	}
	return n;
}

/*
 * pmap_page_is_mapped: does pg have any managed mapping?
 */
bool
pmap_page_is_mapped(struct vm_page *pg)
{
	return pg->mdpage.mdpg_pmap != 0;
}

void
pmap_zero_page(paddr_t pa)
{
	memset(physmem_hostaddr(pa), 0, PAGE_SIZE);
	pmapcounters.zero_page++;
}

void
pmap_copy_page(paddr_t src, paddr_t dst)
{
	memcpy(physmem_hostaddr(dst), physmem_hostaddr(src), PAGE_SIZE);
	pmapcounters.copy_page++;
}

pmap_access_hook_t pmap_access_hook;

/* tell the access hook about the page whose bytes start at host */
static inline void
pmap_access_notify(const uint8_t *host, vaddr_t va)
{
	pmap_access_hook(PHYS_TO_VM_PAGE((paddr_t)(host - physmem_host)),
	    va & ~(vaddr_t)PAGE_MASK);
}

/*
 * pmap_access: translate one access, as the MMU does for a load, store
 * or instruction fetch.
 *
 * => access is the VM_PROT_* kind of the access (one or more bits).
 * => returns 0 and the host address of the byte at va in *hostp (valid
 *    up to the end of its page), with the mapping's referenced bit set,
 *    and its modified bit too for a write; EFAULT if there is no valid
 *    translation; EACCES if the translation does not allow the access.
 * => a user pmap translates only user addresses, the kernel pmap only
 *    kernel addresses; anything else is EFAULT.
 * => a successful access is reported to pmap_access_hook, if one is set.
 */
int
pmap_access(struct pmap *pm, vaddr_t va, vm_prot_t access, void **hostp)
{
	struct tlb_entry *te;
	struct ptp *leaf;
	pt_entry_t *pte;
	vaddr_t vpn;
	uint8_t *host;

	KDASSERT(access != 0 && (access & ~VM_PROT_ALL) == 0);
	if (__predict_false(!pmap_va_ok(pm, va))) {
		pmapcounters.faults_inval++;
		return EFAULT;
	}
	vpn = atop(va);
	te = &pmap_tlb[vpn & (TLB_NENTRIES - 1)];
	if (__predict_true(te->te_vpn == vpn && pmap_is_live(pm) &&
		(access & ~te->te_prot) == 0)) {
		pmapcounters.tlb_hit++;
		if (__predict_false(pmap_access_hook != NULL))
			pmap_access_notify(te->te_host, va);
		*hostp = te->te_host + (va & PAGE_MASK);
		return 0;
	}

	pmapcounters.tlb_miss++;
	leaf = pmap_leaf(pm, va, false, false);
	if (leaf == NULL || (*(pte = pmap_leaf_pte(leaf, va)) & PG_V) == 0) {
		pmapcounters.faults_inval++;
		return EFAULT;
	}
	if (access & ~pte_prot(*pte)) {
		pmapcounters.faults_prot++;
		return EACCES;
	}
	*pte |= PG_U;
	if (access & VM_PROT_WRITE)
		*pte |= PG_M;
	host = physmem_hostaddr(pte_pa(*pte));
	pmap_tlb_load(pm, va, *pte);
	if (__predict_false(pmap_access_hook != NULL))
		pmap_access_notify(host, va);
	*hostp = host + (va & PAGE_MASK);
	return 0;
}

/*
 * consistency checks
 */

struct pmap_check_arg {
	struct kcheck *pc_kc;
	long pc_resident, pc_wired;
	long pc_tables;
};

/* count the tables and entries below t, checking each table's counts */
static void
pmap_check_table(struct pmap *pm, struct ptp *t, struct pmap_check_arg *pc)
{
	vaddr_t i, nslots = (vaddr_t)1 << pmap_slotshift;
	unsigned int nvalid = 0, nwired = 0;
	pt_entry_t pte;

	pc->pc_tables++;
	for (i = 0; i < nslots; i++) {
		if (t->ptp_level > 0) {
			if (t->ptp_slot[i].next == NULL)
				continue;
			nvalid++;
			if (t->ptp_slot[i].next->ptp_level != t->ptp_level - 1)
				kcheck_fail(pc->pc_kc,
				    "pmap %p: table at level %u below level %u",
				    (void *)pm, t->ptp_slot[i].next->ptp_level,
				    t->ptp_level);
			pmap_check_table(pm, t->ptp_slot[i].next, pc);
			continue;
		}
		pte = t->ptp_slot[i].pte;
		if (pte & PG_V) {
			nvalid++;
			if (pte & PG_WIRED)
				nwired++;
		} else if (pte != 0) {
			kcheck_fail(pc->pc_kc,
			    "pmap %p: invalid PTE with bits 0x%llx", (void *)pm,
			    (unsigned long long)pte);
		}
	}
	if (nvalid != t->ptp_nvalid || nwired != t->ptp_nwired)
		kcheck_fail(pc->pc_kc,
		    "pmap %p: level %u table counts %u valid %u wired, "
		    "holds %u and %u",
		    (void *)pm, t->ptp_level, t->ptp_nvalid, t->ptp_nwired,
		    nvalid, nwired);
	pc->pc_resident += t->ptp_level == 0 ? nvalid : 0;
	pc->pc_wired += nwired;
}

/* does pg's first mapping name a pmap that exists (or none)? */
static bool
pmap_md_ok(const struct vm_page *pg)
{
	unsigned int id = pg->mdpage.mdpg_pmap;

	return id <= pmap_nids && (id == 0 || pmap_byid[id] != NULL);
}

/* every valid PTE: in range, memory behind it, on its pv list once */
static void
pmap_check_pte(struct pmap *pm, struct ptp *leaf __unused, vaddr_t va,
    pt_entry_t *pte, void *arg)
{
	struct pmap_check_arg *pc = arg;
	struct pv_cursor cur;
	struct vm_page *pg;
	struct pmap *pvpm;
	vaddr_t pvva;
	int n = 0;

	if (!pmap_va_ok(pm, va))
		kcheck_fail(pc->pc_kc, "pmap %p: va 0x%llx out of its range",
		    (void *)pm, (unsigned long long)va);
	if (!physmem_valid(pte_pa(*pte))) {
		kcheck_fail(pc->pc_kc,
		    "pmap %p: va 0x%llx maps pa 0x%llx, "
		    "not memory",
		    (void *)pm, (unsigned long long)va,
		    (unsigned long long)pte_pa(*pte));
		return;
	}
	if ((*pte & PG_MANAGED) == 0) {
		if (pm != pmap_kernel() || (*pte & PG_WIRED) == 0)
			kcheck_fail(pc->pc_kc,
			    "pmap %p: unmanaged mapping "
			    "at va 0x%llx is not a wired kernel mapping",
			    (void *)pm, (unsigned long long)va);
		return;
	}
	pg = PHYS_TO_VM_PAGE(pte_pa(*pte));
	/* a page naming no pmap that exists is pmap_check's to report */
	cur.pc_pvp = NULL;
	for (cur.pc_started = !pmap_md_ok(pg);
	     pmap_pv_next(pg, &cur, &pvpm, &pvva);)
		if (pvpm == pm && pvva == va)
			n++;
	if (n != 1)
		kcheck_fail(pc->pc_kc,
		    "pmap %p: va 0x%llx -> pa 0x%llx is on "
		    "its page's pv list %d times",
		    (void *)pm, (unsigned long long)va,
		    (unsigned long long)pte_pa(*pte), n);
}

/*
 * pmap_tlb_check: no TLB entry may allow what its PTE does not.
 *
 * => returns the number of stale entries found.
 */
int
pmap_tlb_check(struct kcheck *kc)
{
	struct tlb_entry *te;
	struct ptp *leaf;
	struct pmap *pm;
	pt_entry_t pte;
	vaddr_t va;
	unsigned int before = kc->kc_nerr;
	int i;

	for (i = 0; i < TLB_NENTRIES; i++) {
		te = &pmap_tlb[i];
		if (te->te_vpn == TLB_NOVPN)
			continue;
		va = ptoa(te->te_vpn);
		pm = va >= VM_MIN_KERNEL_ADDRESS ? pmap_kernel() : pmap_curpmap;
		leaf = pm != NULL ? pmap_leaf(pm, va, false, false) : NULL;
		pte = leaf != NULL ? *pmap_leaf_pte(leaf, va) : 0;
		if ((pte & PG_V) == 0 ||
		    te->te_host != physmem_host + pte_pa(pte) ||
		    (te->te_prot & ~pte_prot(pte)) != 0 || (pte & PG_U) == 0 ||
		    ((te->te_prot & VM_PROT_WRITE) && (pte & PG_M) == 0))
			kcheck_fail(kc,
			    "TLB entry %d for va 0x%llx is stale "
			    "(PTE 0x%llx)",
			    i, (unsigned long long)va, (unsigned long long)pte);
	}
	return (int)(kc->kc_nerr - before);
}

/*
 * pmap_check: check every pmap against its tables, every pv list against
 * the tables, the wired and resident counts, and the TLB.
 *
 * => returns the number of inconsistencies found (0: all is well).
 */
int
pmap_check(struct kcheck *kc)
{
	struct pmap_check_arg pc;
	struct pv_cursor cur;
	struct pv_entry *pv;
	struct vm_page *pg;
	struct ptp *leaf;
	struct pmap *pm;
	unsigned int before = kc->kc_nerr, id;
	long tables = 0, pvs = 0;
	pt_entry_t pte;
	vaddr_t va;
	size_t i;
	int n;

	LIST_FOREACH (pm, &pmap_all, pm_list) {
		memset(&pc, 0, sizeof(pc));
		pc.pc_kc = kc;
		pmap_check_table(pm, pm->pm_root, &pc);
		if (pc.pc_resident != pm->pm_stats.resident_count ||
		    pc.pc_wired != pm->pm_stats.wired_count ||
		    pc.pc_tables != pm->pm_ptpages)
			kcheck_fail(kc,
			    "pmap %p: counts %ld resident %ld "
			    "wired %ld tables, holds %ld, %ld and %ld",
			    (void *)pm, pm->pm_stats.resident_count,
			    pm->pm_stats.wired_count, pm->pm_ptpages,
			    pc.pc_resident, pc.pc_wired, pc.pc_tables);
		tables += pc.pc_tables;
		pmap_walk(pm, 0, VM_MAX_KERNEL_ADDRESS, pmap_check_pte, &pc);
	}
	if ((uint64_t)tables != pmapcounters.ptp_alloc - pmapcounters.ptp_free)
		kcheck_fail(kc,
		    "%ld table pages exist, %llu allocated and "
		    "not freed",
		    tables,
		    (unsigned long long)(pmapcounters.ptp_alloc -
			pmapcounters.ptp_free));

	for (i = 0; i < physmem && physmem_pages != NULL; i++) {
		pg = &physmem_pages[i];
		id = pg->mdpage.mdpg_pmap;
		if (!pmap_md_ok(pg)) {
			kcheck_fail(kc, "pa 0x%llx names pmap number %u",
			    (unsigned long long)VM_PAGE_TO_PHYS(pg), id);
			continue;
		}
		if (id == 0 && (pg->mdpage.mdpg_attrs & PMAP_ATTR_MORE))
			kcheck_fail(kc, "pa 0x%llx has more mappings than none",
			    (unsigned long long)VM_PAGE_TO_PHYS(pg));
		n = 0;
		for (cur.pc_started = false;
		     pmap_pv_next(pg, &cur, &pm, &va);) {
			pvs++;
			n++;
			leaf = pmap_leaf(pm, va, false, false);
			pte = leaf ? *pmap_leaf_pte(leaf, va) : 0;
			if ((pte & (PG_V | PG_MANAGED)) !=
				(PG_V | PG_MANAGED) ||
			    pte_pa(pte) != VM_PAGE_TO_PHYS(pg))
				kcheck_fail(kc,
				    "pv entry of pa 0x%llx names "
				    "pmap %p va 0x%llx, which maps 0x%llx",
				    (unsigned long long)VM_PAGE_TO_PHYS(pg),
				    (void *)pm, (unsigned long long)va,
				    (unsigned long long)pte);
		}
		if ((n > 1) != ((pg->mdpage.mdpg_attrs & PMAP_ATTR_MORE) != 0))
			kcheck_fail(kc,
			    "pa 0x%llx: %d mappings, but the flag for "
			    "more than one is %s",
			    (unsigned long long)VM_PAGE_TO_PHYS(pg), n,
			    n > 1 ? "clear" : "set");
	}
	/* every entry of the hash is the second or later of a page's */
	for (i = 0, n = 0; i < pmap_pvhash.ph_size; i++)
		for (pv = pmap_pvhash.ph_bucket[i]; pv != NULL;
		     pv = pv->pv_next) {
			n++;
			if (pmap_pvhash_bucket(pv->pv_pg) !=
				&pmap_pvhash.ph_bucket[i] ||
			    (pv->pv_pg->mdpage.mdpg_attrs & PMAP_ATTR_MORE) ==
				0)
				kcheck_fail(kc,
				    "pv entry of pa 0x%llx (pmap %p va "
				    "0x%llx) is astray in the hash",
				    (unsigned long long)VM_PAGE_TO_PHYS(
					pv->pv_pg),
				    (void *)pv->pv_pmap,
				    (unsigned long long)pv->pv_va);
		}
	if ((size_t)n != pmap_pvhash.ph_n)
		kcheck_fail(kc, "pv hash: %d entries, counted %zu", n,
		    pmap_pvhash.ph_n);
	if ((uint64_t)pvs != pmapcounters.pv_alloc - pmapcounters.pv_free)
		kcheck_fail(kc,
		    "%ld pv entries on pages, %llu allocated and "
		    "not freed",
		    pvs,
		    (unsigned long long)(pmapcounters.pv_alloc -
			pmapcounters.pv_free));

	pmap_tlb_check(kc);
	return (int)(kc->kc_nerr - before);
}
