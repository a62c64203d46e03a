/*
 * uvm_pdpolicy_opt.c: Belady's optimum -- the page whose next use is
 * farthest off goes first, a page never used again first of all.
 *
 * It needs the future, so it is for trace replay and benchmarks, whose
 * driver installs an oracle (uvmpdpol_set_oracle).  The oracle is asked
 * each time a page is used through the MMU (pmap_access_hook), for the
 * page's next use after this one, and the page's place in a red-black
 * tree follows the answer: so the scan takes the tree's pages in order,
 * O(log n) a page, and sorts nothing.  Until it is first used a new page
 * counts as used now -- about to be, by the fault that allocated it --
 * and goes last.
 *
 * Unlike the stamped queues, a page's key can move either way while a
 * scan is under way; the scan goes on from the last key it gave, so a
 * page whose next use moved farther off may be met again in the same
 * pass.  An oracle that answers by where a page is mapped (the va) is
 * told the address of the use, the only one it can know.
 *
 * Like lru, and unlike 1.6's clock, opt ignores the referenced bit and
 * never reactivates or deactivates a page: the oracle knows better.
 */

#include <stdlib.h>
#include <string.h>

#include "lib/rbtree.h"
#include "machine/hostmem.h"
#include "uvm/uvm.h"

struct pdpol_opt_page {
	struct rb_node op_node;
	uint64_t op_key; /* UVMPDPOL_NEVER - next use: smallest first */
	bool op_queued;	 /* in the tree */
};

/* a place in the tree: a key, then the page's index */
struct pdpol_opt_key {
	uint64_t ok_key;
	size_t ok_idx;
};

static struct pdpol_opt_page *pdpol_opt_pages;
static struct rb_tree pdpol_opt_tree;
static struct pdpol_opt_key pdpol_opt_cursor; /* the scan's last */
static bool pdpol_opt_scanning;		      /* the cursor is set */

#define OP_IDX(op) ((size_t)((op)-pdpol_opt_pages))

static int
pdpol_opt_cmp_key(void *ctx __unused, const void *obj, const void *key)
{
	const struct pdpol_opt_page *op = obj;
	const struct pdpol_opt_key *k = key;

	if (op->op_key != k->ok_key)
		return op->op_key < k->ok_key ? -1 : 1;
	return OP_IDX(op) < k->ok_idx ? -1 : OP_IDX(op) > k->ok_idx;
}

static int
pdpol_opt_cmp_nodes(void *ctx, const void *a, const void *b)
{
	const struct pdpol_opt_page *op = b;
	struct pdpol_opt_key k = { op->op_key, OP_IDX(op) };

	return pdpol_opt_cmp_key(ctx, a, &k);
}

static const struct rb_tree_ops pdpol_opt_ops = {
	.rbto_compare_nodes = pdpol_opt_cmp_nodes,
	.rbto_compare_key = pdpol_opt_cmp_key,
	.rbto_node_offset = offsetof(struct pdpol_opt_page, op_node),
};

static uint64_t
pdpol_opt_textkey(const struct uvmpdpol_info *pi)
{
	return UVMPDPOL_NEVER - pi->pi_nextuse;
}

/* a new or unused page: next use now, the last to go */
#define PDPOL_OPT_KEY_NOW (UVMPDPOL_NEVER - 0)

static void
pdpol_opt_pageenqueue(struct vm_page *pg)
{
	struct pdpol_opt_page *op = &pdpol_opt_pages[UVMPDPOL_PGIDX(pg)];

	KASSERT(!op->op_queued);
	(void)rb_tree_insert_node(&pdpol_opt_tree, op);
	op->op_queued = true;
}

static void
pdpol_opt_pagedequeue(struct vm_page *pg)
{
	struct pdpol_opt_page *op = &pdpol_opt_pages[UVMPDPOL_PGIDX(pg)];

	if (!op->op_queued)
		return;
	rb_tree_remove_node(&pdpol_opt_tree, op);
	op->op_queued = false;
}

/*
 * pdpol_opt_init: a tree for every physical page, holding those on the
 * paging queues, each with its next use taken as now.
 */
static void
pdpol_opt_init(void)
{
	struct vm_page *pg;
	size_t i;

	pdpol_opt_pages =
	    hostmem_zalloc((size_t)uvmexp.npages, sizeof(*pdpol_opt_pages));
	for (i = 0; i < (size_t)uvmexp.npages; i++)
		pdpol_opt_pages[i].op_key = PDPOL_OPT_KEY_NOW;
	rb_tree_init(&pdpol_opt_tree, &pdpol_opt_ops);
	pdpol_opt_scanning = false;
	PGLIST_FOREACH (pg, &uvm.page_active, pageq)
		pdpol_opt_pageenqueue(pg);
	PGLIST_FOREACH (pg, &uvm.page_inactive, pageq)
		pdpol_opt_pageenqueue(pg);
}

static void
pdpol_opt_fini(void)
{
	free(pdpol_opt_pages);
	pdpol_opt_pages = NULL;
	memset(&pdpol_opt_tree, 0, sizeof(pdpol_opt_tree));
}

/* pdpol_opt_rekey: pg's next use changed: its key, and its place */
static void
pdpol_opt_rekey(struct vm_page *pg, uint64_t key)
{
	struct pdpol_opt_page *op = &pdpol_opt_pages[UVMPDPOL_PGIDX(pg)];
	bool queued = op->op_queued;

	if (op->op_key == key)
		return;
	if (queued)
		pdpol_opt_pagedequeue(pg);
	op->op_key = key;
	if (queued)
		pdpol_opt_pageenqueue(pg);
}

static void
pdpol_opt_pagenew(struct vm_page *pg)
{
	pdpol_opt_rekey(pg, PDPOL_OPT_KEY_NOW);
}

/* pdpol_opt_pagereference: pg was used at va: ask for its next use */
static void
pdpol_opt_pagereference(struct vm_page *pg, vaddr_t va)
{
	pdpol_opt_rekey(pg, UVMPDPOL_NEVER - uvmpdpol_oracle_nextuse(pg, va));
}

static void
pdpol_opt_scaninit(void)
{
	pdpol_opt_scanning = false;
}

/*
 * pdpol_opt_selectvictim: the queued page after the scan's last in the
 * tree's order that is not busy and can be paged out, or NULL.
 */
static struct vm_page *
pdpol_opt_selectvictim(void)
{
	struct pdpol_opt_page *op;
	struct pdpol_opt_key next;
	struct vm_page *pg;

	for (;;) {
		if (!pdpol_opt_scanning)
			op = rb_tree_iterate(&pdpol_opt_tree, NULL,
			    RB_DIR_RIGHT);
		else {
			next = pdpol_opt_cursor;
			next.ok_idx++; /* the first place after the last */
			op = rb_tree_find_node_geq(&pdpol_opt_tree, &next);
		}
		if (op == NULL)
			return NULL;
		pdpol_opt_cursor =
		    (struct pdpol_opt_key){ op->op_key, OP_IDX(op) };
		pdpol_opt_scanning = true;
		pg = &uvm.pages[OP_IDX(op)];
		if ((pg->flags & PG_BUSY) || !uvmpd_pageable(pg))
			continue;
		uvmexp.pdscans++;
		return pg;
	}
}

/* pdpol_opt_check: the tree is sound and holds exactly the queued pages */
static int
pdpol_opt_check(struct kcheck *kc)
{
	unsigned int before = kc->kc_nerr;
	size_t i, n = 0;
	bool paging;

	(void)rb_tree_check(&pdpol_opt_tree, kc);
	for (i = 0; i < (size_t)uvmexp.npages; i++) {
		paging =
		    (uvm.pages[i].pqflags & (PQ_ACTIVE | PQ_INACTIVE)) != 0;
		if (pdpol_opt_pages[i].op_queued != paging)
			kcheck_fail(kc, "opt: page 0x%llx %s the tree",
			    (unsigned long long)VM_PAGE_TO_PHYS(&uvm.pages[i]),
			    paging ? "paging but not in" : "in but not paging");
		n += pdpol_opt_pages[i].op_queued;
	}
	if (n != rb_tree_count(&pdpol_opt_tree))
		kcheck_fail(kc, "opt: %zu pages queued, %zu in the tree", n,
		    rb_tree_count(&pdpol_opt_tree));
	return (int)(kc->kc_nerr - before);
}

const struct uvm_pdpolicy uvmpdpol_opt = {
	.pdp_name = "opt",
	.pdp_future = true,
	.pdp_textkey = pdpol_opt_textkey,
	.pdp_init = pdpol_opt_init,
	.pdp_fini = pdpol_opt_fini,
	.pdp_pagenew = pdpol_opt_pagenew,
	.pdp_pageenqueue = pdpol_opt_pageenqueue,
	.pdp_pagedequeue = pdpol_opt_pagedequeue,
	.pdp_pagereference = pdpol_opt_pagereference,
	.pdp_scaninit = pdpol_opt_scaninit,
	.pdp_selectvictim = pdpol_opt_selectvictim,
	.pdp_check = pdpol_opt_check,
};
