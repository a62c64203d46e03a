/*
 * uvm_aobj.c: anonymous objects -- memory with no file behind it.
 *
 * An aobj is an object whose pages are made zero-filled the first time
 * they are asked for.  The kernel object, which backs pageable kernel
 * memory (u-areas among it), is an aobj that is never freed; shared
 * anonymous memory (MAP_SHARED | MAP_ANON) is an aobj per mapping.
 * Its pages are swap-backed (PQ_AOBJ): the page daemon pages them out to
 * swap once the swap layer exists.
 */

#include <errno.h>
#include <stdlib.h>

#include "uvm/uvm.h"

static LIST_HEAD(, uvm_aobj) uao_list = LIST_HEAD_INITIALIZER(uao_list);

static int uao_get(struct uvm_object *, voff_t, struct vm_page **, int *, int,
    vm_prot_t, int, int);
static int uao_put(struct uvm_object *, voff_t, voff_t, int);

const struct uvm_pagerops aobj_pager = {
	.pgo_name = "aobj",
	.pgo_reference = uao_reference,
	.pgo_detach = uao_detach,
	.pgo_get = uao_get,
	.pgo_put = uao_put,
};

/*
 * uao_create: a new anonymous object of `size' bytes.
 *
 * => UAO_FLAG_KERNOBJ makes the kernel object: it takes no references
 *    and is never freed.  Otherwise the object has one reference.
 */
struct uvm_object *
uao_create(voff_t size, int flags)
{
	struct uvm_aobj *aobj;

	aobj = calloc(1, sizeof(*aobj));
	if (aobj == NULL)
		panic("%s: out of host memory", __func__);
	uvm_obj_init(&aobj->u_obj, &aobj_pager,
	    (flags & UAO_FLAG_KERNOBJ) ? UVM_OBJ_KERN : 1);
	aobj->u_size = size;
	aobj->u_flags = flags;
	LIST_INSERT_HEAD(&uao_list, aobj, u_list);
	uvmexp.naobj++;
	return &aobj->u_obj;
}

void
uao_reference(struct uvm_object *uobj)
{
	if (UVM_OBJ_IS_KERN_OBJECT(uobj))
		return;
	KASSERT(uobj->uo_refs > 0);
	uobj->uo_refs++;
}

/* free one page of an aobj: unmapped everywhere first */
static void
uao_freepage(struct vm_page *pg)
{
	KASSERTMSG((pg->flags & PG_BUSY) == 0, "%s: page 0x%llx is busy",
	    __func__, (unsigned long long)pg->phys_addr);
	pmap_page_protect(pg, VM_PROT_NONE);
	uvm_pagefree(pg);
}

/*
 * uao_detach: drop a reference; the last one frees every page and the
 * object.  The kernel object is never freed this way.
 */
void
uao_detach(struct uvm_object *uobj)
{
	struct uvm_aobj *aobj = (struct uvm_aobj *)uobj;
	struct vm_page *pg;

	if (UVM_OBJ_IS_KERN_OBJECT(uobj))
		return;
	KASSERT(uobj->uo_refs > 0);
	if (--uobj->uo_refs > 0)
		return;
	while ((pg = TAILQ_FIRST(&uobj->memq)) != NULL)
		uao_freepage(pg);
	LIST_REMOVE(aobj, u_list);
	free(aobj);
	uvmexp.naobj--;
}

/*
 * uao_destroy_kernel: free the kernel object and its pages at shutdown.
 */
void
uao_destroy_kernel(struct uvm_object *uobj)
{
	struct uvm_aobj *aobj = (struct uvm_aobj *)uobj;
	struct vm_page *pg;

	KASSERT(UVM_OBJ_IS_KERN_OBJECT(uobj));
	while ((pg = TAILQ_FIRST(&uobj->memq)) != NULL) {
		while (pg->wire_count > 0)
			uvm_pageunwire(pg);
		uao_freepage(pg);
	}
	LIST_REMOVE(aobj, u_list);
	free(aobj);
	uvmexp.naobj--;
}

/*
 * uao_newpage: a zero-filled page for uobj at off.
 *
 * => returns it PG_BUSY (the caller's), or NULL if memory is short.
 */
static struct vm_page *
uao_newpage(struct uvm_object *uobj, voff_t off)
{
	struct vm_page *pg;

	pg = uvm_pagealloc(uobj, off, NULL, UVM_PGA_ZERO);
	if (pg == NULL)
		return NULL;
	pg->flags &= ~PG_FAKE;
	pg->pqflags |= PQ_AOBJ;
	return pg;
}

/*
 * uao_get: the pager's get (see struct uvm_pagerops).
 *
 * => a page that was never touched is made zero-filled, in the locked
 *    case too: that needs neither I/O nor sleep.
 * => unlocked, a page that cannot be allocated is waited for.
 */
static int
uao_get(struct uvm_object *uobj, voff_t offset, struct vm_page **pps,
    int *npagesp, int centeridx, vm_prot_t access __unused, int advice __unused,
    int flags)
{
	struct uvm_aobj *aobj = (struct uvm_aobj *)uobj;
	struct vm_page *pg;
	voff_t off;
	int i, error = 0;
	bool want;

	for (i = 0; i < *npagesp; i++) {
		off = offset + (voff_t)ptoa(i);
		want = i == centeridx || (flags & PGO_ALLPAGES);
		if (off >= aobj->u_size) {
			KASSERTMSG(!want, "%s: offset 0x%llx past the object",
			    __func__, (unsigned long long)off);
			continue;
		}
		if ((flags & PGO_LOCKED) && pps[i] != NULL)
			continue;
		pg = uvm_pagelookup(uobj, off);
		if (flags & PGO_LOCKED) {
			if (pg == NULL && want)
				pg = uao_newpage(uobj, off);
			else if (pg != NULL && (pg->flags & PG_BUSY))
				pg = NULL;
			if (pg != NULL) {
				pg->flags &= ~PG_BUSY;
				pps[i] = pg;
			} else if (want)
				error = EBUSY;
			continue;
		}
		if (!want)
			continue;
		if (pg == NULL) {
			while ((pg = uao_newpage(uobj, off)) == NULL)
				uvm_wait("uao_get");
			pps[i] = pg;
			continue;
		}
		/*
		 * a busy page belongs to someone in the middle of I/O, and an
		 * aobj does none yet: there is nobody to wait for.
		 */
		KASSERTMSG((pg->flags & PG_BUSY) == 0,
		    "%s: page 0x%llx busy with no I/O", __func__,
		    (unsigned long long)pg->phys_addr);
		pg->flags |= PG_BUSY;
		pps[i] = pg;
	}
	return error;
}

/*
 * uao_put: the pager's put.
 *
 * => PGO_FREE frees the pages of [start, end), PGO_DEACTIVATE moves them
 *    to the inactive queue.  An aobj has no store to clean pages to
 *    until swap exists, so PGO_CLEANIT has nothing to write.
 */
static int
uao_put(struct uvm_object *uobj, voff_t start, voff_t end, int flags)
{
	struct vm_page *pg, *next;
	voff_t off;

	KASSERT(start <= end);
	if (uobj->uo_npages == 0)
		return 0;
	if ((uint64_t)uobj->uo_npages < atop(end - start)) {
		/* fewer resident pages than the range: walk them */
		for (pg = TAILQ_FIRST(&uobj->memq); pg != NULL; pg = next) {
			next = TAILQ_NEXT(pg, listq);
			if (pg->offset < start || pg->offset >= end)
				continue;
			if (flags & PGO_FREE)
				uao_freepage(pg);
			else if (flags & PGO_DEACTIVATE)
				uvm_pagedeactivate(pg);
		}
		return 0;
	}
	for (off = start; off < end; off += (voff_t)PAGE_SIZE) {
		pg = uvm_pagelookup(uobj, off);
		if (pg == NULL)
			continue;
		if (flags & PGO_FREE)
			uao_freepage(pg);
		else if (flags & PGO_DEACTIVATE)
			uvm_pagedeactivate(pg);
	}
	return 0;
}

/*
 * uao_check: every aobj's pages are its own and counted.
 *
 * => returns the number of inconsistencies found.
 */
int
uao_check(struct kcheck *kc)
{
	unsigned int before = kc->kc_nerr;
	struct uvm_aobj *aobj;
	struct vm_page *pg;
	int n, naobj = 0;

	LIST_FOREACH (aobj, &uao_list, u_list) {
		naobj++;
		n = 0;
		TAILQ_FOREACH (pg, &aobj->u_obj.memq, listq) {
			n++;
			if (pg->uobject != &aobj->u_obj ||
			    (pg->pqflags & PQ_AOBJ) == 0 ||
			    pg->offset >= aobj->u_size)
				kcheck_fail(kc,
				    "aobj %p: page 0x%llx at 0x%llx "
				    "is not its own",
				    (void *)aobj,
				    (unsigned long long)pg->phys_addr,
				    (unsigned long long)pg->offset);
		}
		if (n != aobj->u_obj.uo_npages)
			kcheck_fail(kc, "aobj %p: %d pages listed, %d counted",
			    (void *)aobj, n, aobj->u_obj.uo_npages);
		if (!UVM_OBJ_IS_KERN_OBJECT(&aobj->u_obj) &&
		    aobj->u_obj.uo_refs <= 0)
			kcheck_fail(kc, "aobj %p: %d references", (void *)aobj,
			    aobj->u_obj.uo_refs);
	}
	if (naobj != uvmexp.naobj)
		kcheck_fail(kc, "%d aobjs listed, %d counted", naobj,
		    uvmexp.naobj);
	return (int)(kc->kc_nerr - before);
}
