/*
 * t_page.c: the page layer -- boot state, allocation and the free lists,
 * ownership, the reserves, the paging queues, wiring, fault injection,
 * idle zeroing, and the checker against corrupted page structures.
 *
 * The tests look at the page layer's own state (struct uvm, the vm_page
 * array) through uvm/uvm.h, as a VM developer would in a debugger.
 */

#include <stdarg.h>
#include <string.h>

#include "h_util.h"
#include "uvm/uvm.h"

#define RW (VM_PROT_READ | VM_PROT_WRITE)

/* a page the test needs: the allocation must succeed */
static struct vm_page *
t_alloc(struct uvm_object *obj, voff_t off, struct vm_anon *anon, int flags)
{
	struct vm_page *pg;

	pg = uvm_pagealloc(obj, off, anon, flags);
	ATF_REQUIRE_MSG(pg != NULL, "uvm_pagealloc failed with %d pages free",
	    uvmexp.free);
	return pg;
}

static unsigned char *
t_bytes(struct vm_page *pg)
{
	return physmem_hostaddr(VM_PAGE_TO_PHYS(pg));
}

static bool
t_is_zero(struct vm_page *pg)
{
	const unsigned char *b = t_bytes(pg);
	size_t i;

	for (i = 0; i < PAGE_SIZE; i++)
		if (b[i] != 0)
			return false;
	return true;
}

/* write a pattern over the whole page, as a user of the page would */
static void
t_dirty(struct vm_page *pg, unsigned int seed)
{
	h_fill(t_bytes(pg), PAGE_SIZE, seed);
}

static int
t_length(struct pglist *q)
{
	struct vm_page *pg;
	int n = 0;

	PGLIST_FOREACH (pg, q, pageq)
		n++;
	return n;
}

/* does q hold exactly the n pages given, in this order? */
static bool
t_queue_is(struct pglist *q, int n, ...)
{
	struct vm_page *pg, *want;
	va_list ap;
	bool same = true;
	int i = 0;

	va_start(ap, n);
	PGLIST_FOREACH (pg, q, pageq) {
		if (i++ == n) {
			same = false;
			break;
		}
		want = va_arg(ap, struct vm_page *);
		if (pg != want) {
			same = false;
			break;
		}
	}
	va_end(ap);
	return same && i == n;
}

/* the slot of obj's table of pages that holds pg, or -1 if none does */
static long
t_pgtab_slot(const struct uvm_object *obj, const struct vm_page *pg)
{
	uint32_t i;

	for (i = 0; i < obj->uo_pgtabsize; i++)
		if (obj->uo_pgtab[i] == (uint32_t)(pg - uvm.pages) + 1)
			return (long)i;
	return -1;
}

/* run the page checker alone, deep, keeping its first message */
static int
t_page_check(struct kcheck *kc)
{
	kcheck_init(kc);
	return uvm_page_check(kc, true);
}

/*
 * Boot state.
 */

/* every page is free, known to be zero, and where its index says */
static void
t_check_boot_state(size_t npages, size_t pagesize)
{
	struct vm_page *pg;
	size_t i;

	h_boot(npages, pagesize);

	ATF_REQUIRE_EQ(uvmexp.pagesize, pagesize);
	ATF_REQUIRE_EQ((size_t)1 << uvmexp.pageshift, pagesize);
	ATF_REQUIRE_EQ(uvmexp.pagemask, pagesize - 1);
	ATF_REQUIRE_EQ(uvmexp.npages, (int)npages);
	ATF_REQUIRE_EQ(uvmexp.free, (int)npages);
	ATF_REQUIRE_EQ(uvmexp.zeropages, (int)npages);
	ATF_REQUIRE_EQ(uvmexp.active, 0);
	ATF_REQUIRE_EQ(uvmexp.inactive, 0);
	ATF_REQUIRE_EQ(uvmexp.wired, 0);
	ATF_REQUIRE_EQ(uvmexp.paging, 0);
	ATF_REQUIRE_EQ(uvmexp.pga_alloc, 0);
	ATF_REQUIRE_EQ(uvmexp.pga_free, 0);

	ATF_REQUIRE_EQ(t_length(&uvm.page_free[PGFL_ZEROS]), (int)npages);
	ATF_REQUIRE(PGLIST_EMPTY(&uvm.page_free[PGFL_UNKNOWN]));
	ATF_REQUIRE(PGLIST_EMPTY(&uvm.page_active));
	ATF_REQUIRE(PGLIST_EMPTY(&uvm.page_inactive));

	for (i = 0; i < npages; i++) {
		pg = &uvm.pages[i];
		ATF_REQUIRE_EQ_MSG(VM_PAGE_TO_PHYS(pg), (paddr_t)(i * pagesize),
		    "page %zu", i);
		ATF_REQUIRE_EQ_MSG(pg->pqflags, PQ_FREE, "page %zu", i);
		ATF_REQUIRE_EQ_MSG(pg->flags, PG_ZERO, "page %zu", i);
		ATF_REQUIRE_MSG(uvm_pageobj(pg) == NULL &&
			uvm_pageanon(pg) == NULL,
		    "page %zu has an owner", i);
		ATF_REQUIRE_EQ_MSG(pg->wire_count, 0, "page %zu", i);
		ATF_REQUIRE_MSG(PHYS_TO_VM_PAGE(VM_PAGE_TO_PHYS(pg)) == pg,
		    "page %zu: the pmap finds another vm_page", i);
		ATF_REQUIRE_MSG(t_is_zero(pg), "page %zu is not zero", i);
	}
	h_shutdown();
}

ATF_TC_WITHOUT_HEAD(boot_all_pages_free_and_zero);
ATF_TC_BODY(boot_all_pages_free_and_zero, tc)
{
	t_check_boot_state(16, 4096);
	t_check_boot_state(1024, 4096);
	t_check_boot_state(64, 512);
	t_check_boot_state(32, 65536);
}

/*
 * The daemon's targets, as the reference computes them:
 *
 *	freemin  = npages / 20, held within [16 KiB, 256 KiB] (in pages,
 *		   rounded down), and at least reserve_kernel + 1
 *	freetarg = 4/3 freemin, and at least freemin + 1
 *	inactarg = (active + inactive) / 3, and at least freetarg + 1
 *	wiredmax = npages / 3
 */
struct t_tune {
	int freemin, freetarg, inactarg, wiredmax;
};

static struct t_tune
t_tune_expect(int npages, int pagesize, int paging_pages)
{
	struct t_tune t;
	int lo = 16 * 1024 / pagesize, hi = 256 * 1024 / pagesize;

	t.freemin = npages / 20;
	if (t.freemin < lo)
		t.freemin = lo;
	if (t.freemin > hi)
		t.freemin = hi;
	if (t.freemin < uvmexp.reserve_kernel + 1)
		t.freemin = uvmexp.reserve_kernel + 1;
	t.freetarg = t.freemin * 4 / 3;
	if (t.freetarg <= t.freemin)
		t.freetarg = t.freemin + 1;
	t.inactarg = paging_pages / 3;
	if (t.inactarg <= t.freetarg)
		t.inactarg = t.freetarg + 1;
	t.wiredmax = npages / 3;
	return t;
}

ATF_TC_WITHOUT_HEAD(boot_tunables_follow_memory_size);
ATF_TC_BODY(boot_tunables_follow_memory_size, tc)
{
	/* the formula's answers, worked out by hand */
	static const struct {
		int npages, pagesize;
		struct t_tune want;
	} cases[] = {
		/* 0 pages, up to 16 KiB = 4, up to the reserve + 1 = 6 */
		{ 16, 4096, { 6, 8, 9, 5 } },
		/* 1/20 of memory, inside the bounds */
		{ 1024, 4096, { 51, 68, 69, 341 } },
		/* 5000 pages, down to 256 KiB = 64 */
		{ 100000, 4096, { 64, 85, 86, 33333 } },
		/* 51, down to 256 KiB = 4 pages, up to the reserve + 1 */
		{ 1024, 65536, { 6, 8, 9, 341 } },
		/* 10, up to 16 KiB = 32 small pages */
		{ 200, 512, { 32, 42, 43, 66 } },
	};
	struct t_tune f;
	size_t i;

	for (i = 0; i < __arraycount(cases); i++) {
		h_boot((size_t)cases[i].npages, (size_t)cases[i].pagesize);
		f = t_tune_expect(cases[i].npages, cases[i].pagesize, 0);
		ATF_REQUIRE_EQ_MSG(uvmexp.reserve_kernel, 5, "case %zu", i);
		ATF_CHECK_EQ_MSG(f.freemin, cases[i].want.freemin,
		    "case %zu: the test's formula", i);
		ATF_CHECK_EQ_MSG(uvmexp.freemin, cases[i].want.freemin,
		    "case %zu", i);
		ATF_CHECK_EQ_MSG(uvmexp.freetarg, cases[i].want.freetarg,
		    "case %zu", i);
		ATF_CHECK_EQ_MSG(uvmexp.inactarg, cases[i].want.inactarg,
		    "case %zu", i);
		ATF_CHECK_EQ_MSG(uvmexp.wiredmax, cases[i].want.wiredmax,
		    "case %zu", i);
		ATF_CHECK_EQ_MSG(uvmexp.freetarg, f.freetarg, "case %zu", i);
		ATF_CHECK_EQ_MSG(uvmexp.inactarg, f.inactarg, "case %zu", i);
		ATF_CHECK_EQ_MSG(uvmexp.wiredmax, f.wiredmax, "case %zu", i);
		ATF_CHECK_MSG(uvmexp.freetarg > uvmexp.freemin, "case %zu", i);
		h_shutdown();
	}
}

/* with a third of the paging queues above freetarg, inactarg follows them */
ATF_TC_WITHOUT_HEAD(tune_inactarg_follows_paging_queues);
ATF_TC_BODY(tune_inactarg_follows_paging_queues, tc)
{
	struct uvm_object obj;
	struct vm_page *pg;
	struct t_tune f;
	int i;

	h_boot(1024, 4096);
	uvm_obj_init(&obj, NULL, 1);
	for (i = 0; i < 300; i++) {
		pg = t_alloc(&obj, (voff_t)ptoa(i), NULL, 0);
		if (i < 200)
			uvm_pageactivate(pg);
		else
			uvm_pagedeactivate(pg);
	}
	uvmpd_tune();
	f = t_tune_expect(1024, 4096, 300);
	ATF_REQUIRE_EQ(f.inactarg, 100);
	ATF_REQUIRE_EQ(uvmexp.inactarg, 100);

	while ((pg = PGLIST_FIRST(&obj.memq)) != NULL)
		uvm_pagefree(pg);
	uvmpd_tune();
	ATF_REQUIRE_EQ(uvmexp.inactarg, uvmexp.freetarg + 1);
	h_shutdown();
}

/*
 * Allocation and the two free lists.
 */

/* a zero-fill request is served from the known-zero list, untouched */
ATF_TC_WITHOUT_HEAD(zerofill_takes_known_zero_page);
ATF_TC_BODY(zerofill_takes_known_zero_page, tc)
{
	struct vm_page *pg;
	uint64_t zeroed;

	h_boot(16, 4096);
	zeroed = pmapcounters.zero_page;
	pg = t_alloc(NULL, 0, NULL, UVM_PGA_ZERO);
	ATF_REQUIRE_EQ(uvmexp.pga_zerohit, 1);
	ATF_REQUIRE_EQ(uvmexp.pga_zeromiss, 0);
	ATF_REQUIRE_EQ_MSG(pmapcounters.zero_page, zeroed,
	    "a known-zero page was zeroed again");
	ATF_REQUIRE(t_is_zero(pg));
	/* zero-filled: matches no backing store, so not PG_CLEAN */
	ATF_REQUIRE_EQ(pg->flags, PG_BUSY | PG_FAKE);
	ATF_REQUIRE_EQ(pg->pqflags, 0);
	ATF_REQUIRE_EQ(pg->wire_count, 0);
	ATF_REQUIRE_EQ(uvmexp.free, 15);
	ATF_REQUIRE_EQ(uvmexp.zeropages, 15);
	ATF_REQUIRE_EQ(uvmexp.pga_alloc, 1);
	h_check();

	uvm_pagefree(pg);
	h_shutdown();
}

/*
 * A page freed after use goes to the list of unknown content, and a
 * plain allocation takes it back before any known-zero page.
 */
ATF_TC_WITHOUT_HEAD(dirty_page_freed_to_unknown_list);
ATF_TC_BODY(dirty_page_freed_to_unknown_list, tc)
{
	struct vm_page *pg, *again;
	uint64_t zeroed;

	h_boot(16, 4096);
	pg = t_alloc(NULL, 0, NULL, 0);
	/* nothing of unknown content yet: the plain request took a zero page */
	ATF_REQUIRE_EQ(pg->flags, PG_BUSY | PG_FAKE | PG_CLEAN);
	ATF_REQUIRE_EQ(uvmexp.zeropages, 15);
	t_dirty(pg, 1);
	uvm_pagefree(pg);

	ATF_REQUIRE(PGLIST_FIRST(&uvm.page_free[PGFL_UNKNOWN]) == pg);
	ATF_REQUIRE_EQ(t_length(&uvm.page_free[PGFL_UNKNOWN]), 1);
	ATF_REQUIRE_EQ(pg->pqflags, PQ_FREE);
	ATF_REQUIRE_EQ(pg->flags, 0);
	ATF_REQUIRE_EQ(uvmexp.free, 16);
	ATF_REQUIRE_EQ(uvmexp.zeropages, 15);
	ATF_REQUIRE_EQ(uvmexp.pga_free, 1);
	h_check();

	/* a plain request prefers it, and does not waste time zeroing it */
	zeroed = pmapcounters.zero_page;
	again = t_alloc(NULL, 0, NULL, 0);
	ATF_REQUIRE(again == pg);
	ATF_REQUIRE_EQ(again->flags, PG_BUSY | PG_FAKE | PG_CLEAN);
	ATF_REQUIRE_EQ(uvmexp.zeropages, 15);
	ATF_REQUIRE_EQ(pmapcounters.zero_page, zeroed);
	ATF_REQUIRE(h_same(t_bytes(again), PAGE_SIZE, 1));

	uvm_pagefree(again);
	h_shutdown();
}

/*
 * When no known-zero page is left, a zero-fill request zeroes a page of
 * unknown content (a miss), and the caller sees only zeros.
 */
ATF_TC_WITHOUT_HEAD(zerofill_zeroes_dirty_page_on_miss);
ATF_TC_BODY(zerofill_zeroes_dirty_page_on_miss, tc)
{
	struct vm_page *pgs[16], *pg;
	uint64_t zeroed;
	int i;

	h_boot(16, 4096);
	for (i = 0; i < 16; i++) {
		pgs[i] = t_alloc(NULL, 0, NULL, UVM_PGA_USERESERVE);
		t_dirty(pgs[i], (unsigned int)i + 1);
	}
	for (i = 0; i < 16; i++)
		uvm_pagefree(pgs[i]);
	ATF_REQUIRE_EQ(uvmexp.zeropages, 0);
	ATF_REQUIRE(PGLIST_EMPTY(&uvm.page_free[PGFL_ZEROS]));
	h_check();

	zeroed = pmapcounters.zero_page;
	pg = t_alloc(NULL, 0, NULL, UVM_PGA_ZERO);
	ATF_REQUIRE_EQ(uvmexp.pga_zeromiss, 1);
	ATF_REQUIRE_EQ(uvmexp.pga_zerohit, 0);
	ATF_REQUIRE_EQ(pmapcounters.zero_page, zeroed + 1);
	ATF_REQUIRE_MSG(t_is_zero(pg), "zero-filled page holds old data");
	ATF_REQUIRE_EQ(pg->flags, PG_BUSY | PG_FAKE);
	ATF_REQUIRE_EQ(uvmexp.free, 15);
	ATF_REQUIRE_EQ(uvmexp.zeropages, 0);
	h_check();

	uvm_pagefree(pg);
	h_shutdown();
}

/*
 * A caller that knows a page is zero may free it with PG_ZERO; it goes to
 * the known-zero list, which plain requests leave alone while there are
 * pages of unknown content and zero-fill requests then find.
 */
ATF_TC_WITHOUT_HEAD(plain_alloc_leaves_known_zero_pages);
ATF_TC_BODY(plain_alloc_leaves_known_zero_pages, tc)
{
	struct vm_page *pgs[16], *zpg, *pg;
	int i;

	h_boot(16, 4096);
	for (i = 0; i < 16; i++) {
		pgs[i] = t_alloc(NULL, 0, NULL, UVM_PGA_USERESERVE);
		t_dirty(pgs[i], (unsigned int)i + 1);
	}
	/* the last one is zeroed by its user and freed as such */
	zpg = pgs[15];
	memset(t_bytes(zpg), 0, PAGE_SIZE);
	zpg->flags |= PG_ZERO;
	for (i = 0; i < 16; i++)
		uvm_pagefree(pgs[i]);
	ATF_REQUIRE_EQ(uvmexp.zeropages, 1);
	ATF_REQUIRE(PGLIST_FIRST(&uvm.page_free[PGFL_ZEROS]) == zpg);
	ATF_REQUIRE_EQ(zpg->flags, PG_ZERO);
	h_check();

	for (i = 0; i < 15; i++) {
		pgs[i] = t_alloc(NULL, 0, NULL, UVM_PGA_USERESERVE);
		ATF_REQUIRE_MSG(pgs[i] != zpg,
		    "plain allocation %d took the known-zero page", i);
	}
	ATF_REQUIRE_EQ(uvmexp.zeropages, 1);
	ATF_REQUIRE(PGLIST_EMPTY(&uvm.page_free[PGFL_UNKNOWN]));

	pg = t_alloc(NULL, 0, NULL, UVM_PGA_ZERO | UVM_PGA_USERESERVE);
	ATF_REQUIRE(pg == zpg);
	ATF_REQUIRE_EQ(uvmexp.pga_zerohit, 1);
	ATF_REQUIRE_EQ(uvmexp.pga_zeromiss, 0);
	ATF_REQUIRE_EQ(uvmexp.zeropages, 0);
	ATF_REQUIRE_EQ(uvmexp.free, 0);
	h_check();

	uvm_pagefree(pg);
	for (i = 0; i < 15; i++)
		uvm_pagefree(pgs[i]);
	h_shutdown();
}

/*
 * Ownership.
 */

/*
 * Object pages are tabled: found by (object, offset), on the object's
 * memq in allocation order, and counted.  Offsets one memory-size apart
 * tend to share a probe sequence, so lookup must compare the offset too.
 */
ATF_TC_WITHOUT_HEAD(object_pages_found_by_lookup);
ATF_TC_BODY(object_pages_found_by_lookup, tc)
{
	struct uvm_object obj, other;
	struct vm_page *a, *b, *c;
	voff_t far;

	h_boot(16, 4096);
	far = (voff_t)ptoa(16);
	uvm_obj_init(&obj, NULL, 1);
	uvm_obj_init(&other, NULL, 1);

	a = t_alloc(&obj, 0, NULL, 0);
	b = t_alloc(&obj, (voff_t)ptoa(3), NULL, 0);
	c = t_alloc(&obj, far, NULL, 0);
	ATF_REQUIRE_EQ(obj.uo_npages, 3);
	ATF_REQUIRE(uvm_pageobj(a) == &obj && a->offset == 0);
	ATF_REQUIRE(uvm_pageobj(c) == &obj && c->offset == far);
	ATF_REQUIRE(uvm_pageanon(a) == NULL);
	ATF_REQUIRE((a->flags & PG_TABLED) && (b->flags & PG_TABLED) &&
	    (c->flags & PG_TABLED));
	ATF_REQUIRE_EQ(a->pqflags & PQ_ANON, 0);
	ATF_REQUIRE(PGLIST_FIRST(&obj.memq) == a);
	ATF_REQUIRE(PGLIST_NEXT(a, listq) == b);
	ATF_REQUIRE(PGLIST_NEXT(b, listq) == c);
	ATF_REQUIRE(PGLIST_NEXT(c, listq) == NULL);

	ATF_REQUIRE(uvm_pagelookup(&obj, 0) == a);
	ATF_REQUIRE(uvm_pagelookup(&obj, (voff_t)ptoa(3)) == b);
	ATF_REQUIRE(uvm_pagelookup(&obj, far) == c);
	ATF_REQUIRE(uvm_pagelookup(&obj, (voff_t)ptoa(1)) == NULL);
	ATF_REQUIRE(uvm_pagelookup(&obj, far + (voff_t)ptoa(3)) == NULL);
	ATF_REQUIRE(uvm_pagelookup(&other, 0) == NULL);
	ATF_REQUIRE(uvm_pagelookup(&other, (voff_t)ptoa(3)) == NULL);
	ATF_REQUIRE_EQ(other.uo_npages, 0);
	h_check();

	/* freeing b takes it out of the table and the memq */
	uvm_pagefree(b);
	ATF_REQUIRE(uvm_pagelookup(&obj, (voff_t)ptoa(3)) == NULL);
	ATF_REQUIRE(uvm_pagelookup(&obj, 0) == a);
	ATF_REQUIRE(uvm_pagelookup(&obj, far) == c);
	ATF_REQUIRE_EQ(obj.uo_npages, 2);
	ATF_REQUIRE(PGLIST_NEXT(a, listq) == c);
	ATF_REQUIRE(uvm_pageobj(b) == NULL);
	ATF_REQUIRE_EQ(b->flags & PG_TABLED, 0);
	h_check();

	/* the offset is free again for a new page */
	b = t_alloc(&obj, (voff_t)ptoa(3), NULL, 0);
	ATF_REQUIRE(uvm_pagelookup(&obj, (voff_t)ptoa(3)) == b);
	ATF_REQUIRE(PGLIST_LAST(&obj.memq) == b);

	uvm_pagefree(a);
	uvm_pagefree(b);
	uvm_pagefree(c);
	ATF_REQUIRE_EQ(obj.uo_npages, 0);
	ATF_REQUIRE(PGLIST_EMPTY(&obj.memq));
	ATF_REQUIRE(uvm_pagelookup(&obj, 0) == NULL);
	ATF_REQUIRE(obj.uo_pgtab == NULL && obj.uo_pgtabsize == 0);
	h_shutdown();
}

/* an anon page points at its anon and back; freeing it breaks the link */
ATF_TC_WITHOUT_HEAD(anon_page_linked_to_anon);
ATF_TC_BODY(anon_page_linked_to_anon, tc)
{
	struct vm_anon an = { .an_ref = 1 };
	struct vm_page *pg;

	h_boot(16, 4096);
	pg = t_alloc(NULL, 0, &an, 0);
	ATF_REQUIRE(an.an_page == pg);
	ATF_REQUIRE(uvm_pageanon(pg) == &an);
	ATF_REQUIRE(uvm_pageobj(pg) == NULL);
	ATF_REQUIRE_EQ(pg->pqflags, PQ_ANON);
	ATF_REQUIRE_EQ(pg->flags & PG_TABLED, 0);
	h_check();

	/* it may sit on a paging queue like any owned page */
	uvm_pageactivate(pg);
	ATF_REQUIRE_EQ(pg->pqflags, PQ_ANON | PQ_ACTIVE);
	h_check();

	uvm_pagefree(pg);
	ATF_REQUIRE(an.an_page == NULL);
	ATF_REQUIRE(uvm_pageanon(pg) == NULL);
	ATF_REQUIRE_EQ(pg->pqflags, PQ_FREE);
	ATF_REQUIRE_EQ(uvmexp.active, 0);
	h_shutdown();
}

/*
 * The kernel reserve.
 */

/*
 * The last reserve_kernel free pages go only to callers that pass
 * UVM_PGA_USERESERVE and to the kernel object; the very last page is the
 * last, for everyone.
 *
 *	free:  64 ...... 5 (reserve_kernel) ...... 0
 *	       any caller | reserve users only     | nobody
 */
ATF_TC_WITHOUT_HEAD(reserve_kept_for_kernel);
ATF_TC_BODY(reserve_kept_for_kernel, tc)
{
	struct uvm_object kobj, uobj;
	struct vm_anon an = { .an_ref = 1 };
	struct vm_page *pgs[64], *pg;
	int n = 0, i;

	h_boot(64, 4096);
	uvm_obj_init(&kobj, NULL, UVM_OBJ_KERN);
	uvm_obj_init(&uobj, NULL, 1);
	ATF_REQUIRE_EQ(uvmexp.reserve_kernel, 5);

	while (n < 64 && (pg = uvm_pagealloc(NULL, 0, NULL, 0)) != NULL)
		pgs[n++] = pg;
	ATF_REQUIRE_EQ(n, 64 - 5);
	ATF_REQUIRE_EQ(uvmexp.free, uvmexp.reserve_kernel);
	ATF_REQUIRE_EQ(uvmexp.pga_fail, 1);

	/* user-owned and zero-fill requests are refused too */
	ATF_REQUIRE(uvm_pagealloc(&uobj, 0, NULL, 0) == NULL);
	ATF_REQUIRE_EQ(uobj.uo_npages, 0);
	ATF_REQUIRE(uvm_pagealloc(NULL, 0, &an, 0) == NULL);
	ATF_REQUIRE(an.an_page == NULL);
	ATF_REQUIRE(uvm_pagealloc(NULL, 0, NULL, UVM_PGA_ZERO) == NULL);
	ATF_REQUIRE_EQ(uvmexp.pga_fail, 4);
	ATF_REQUIRE_EQ(uvmexp.free, 5);
	h_check();

	/* the reserve is there for those allowed into it */
	pgs[n++] = t_alloc(NULL, 0, NULL, UVM_PGA_USERESERVE);
	ATF_REQUIRE_EQ(uvmexp.free, 4);
	pgs[n++] = t_alloc(&kobj, 0, NULL, 0);
	ATF_REQUIRE_EQ(uvmexp.free, 3);
	ATF_REQUIRE(uvm_pagelookup(&kobj, 0) == pgs[n - 1]);
	ATF_REQUIRE_EQ(uvmexp.pga_fail, 4);

	while (uvmexp.free > 0)
		pgs[n++] = t_alloc(NULL, 0, NULL, UVM_PGA_USERESERVE);
	ATF_REQUIRE_EQ(n, 64);
	h_check();

	/* with nothing free, nobody gets a page */
	ATF_REQUIRE(uvm_pagealloc(NULL, 0, NULL, 0) == NULL);
	ATF_REQUIRE(uvm_pagealloc(NULL, 0, NULL, UVM_PGA_USERESERVE) == NULL);
	ATF_REQUIRE(uvm_pagealloc(NULL, 0, NULL,
			UVM_PGA_USERESERVE | UVM_PGA_ZERO) == NULL);
	ATF_REQUIRE(uvm_pagealloc(&kobj, (voff_t)ptoa(1), NULL, 0) == NULL);
	ATF_REQUIRE(uvm_pagelookup(&kobj, (voff_t)ptoa(1)) == NULL);
	ATF_REQUIRE_EQ(kobj.uo_npages, 1);
	ATF_REQUIRE_EQ(uvmexp.pga_fail, 8);
	ATF_REQUIRE_EQ(uvmexp.free, 0);
	ATF_REQUIRE_EQ(uvmexp.pga_alloc, 64);
	h_check();

	for (i = 0; i < n; i++)
		uvm_pagefree(pgs[i]);
	ATF_REQUIRE_EQ(uvmexp.free, 64);
	ATF_REQUIRE_EQ(kobj.uo_npages, 0);
	h_shutdown();
}

/*
 * The paging queues.
 */

/*
 * activate and deactivate move pages between the queues and keep the
 * counters exact; activating an active page moves it to the tail (most
 * recently used), deactivating an inactive one leaves it where it is.
 */
ATF_TC_WITHOUT_HEAD(queue_transitions_keep_counts);
ATF_TC_BODY(queue_transitions_keep_counts, tc)
{
	struct uvm_object obj;
	struct vm_page *a, *b, *c;

	h_boot(64, 4096);
	uvm_obj_init(&obj, NULL, 1);
	a = t_alloc(&obj, 0, NULL, 0);
	b = t_alloc(&obj, (voff_t)ptoa(1), NULL, 0);
	c = t_alloc(&obj, (voff_t)ptoa(2), NULL, 0);

	uvm_pageactivate(a);
	uvm_pageactivate(b);
	uvm_pageactivate(c);
	ATF_REQUIRE_EQ(uvmexp.active, 3);
	ATF_REQUIRE(t_queue_is(&uvm.page_active, 3, a, b, c));
	ATF_REQUIRE_EQ(a->pqflags, PQ_ACTIVE);
	h_check();

	/* a is used again: it goes to the tail, and is not counted twice */
	uvm_pageactivate(a);
	ATF_REQUIRE_EQ(uvmexp.active, 3);
	ATF_REQUIRE(t_queue_is(&uvm.page_active, 3, b, c, a));
	h_check();

	uvm_pagedeactivate(c);
	uvm_pagedeactivate(b);
	ATF_REQUIRE_EQ(uvmexp.active, 1);
	ATF_REQUIRE_EQ(uvmexp.inactive, 2);
	ATF_REQUIRE(t_queue_is(&uvm.page_active, 1, a));
	ATF_REQUIRE(t_queue_is(&uvm.page_inactive, 2, c, b));
	ATF_REQUIRE_EQ(c->pqflags, PQ_INACTIVE);
	h_check();

	/* already inactive: keeps its place */
	uvm_pagedeactivate(c);
	ATF_REQUIRE_EQ(uvmexp.inactive, 2);
	ATF_REQUIRE(t_queue_is(&uvm.page_inactive, 2, c, b));

	/* reactivated: off the inactive queue, onto the active tail */
	uvm_pageactivate(c);
	ATF_REQUIRE_EQ(uvmexp.active, 2);
	ATF_REQUIRE_EQ(uvmexp.inactive, 1);
	ATF_REQUIRE(t_queue_is(&uvm.page_active, 2, a, c));
	ATF_REQUIRE(t_queue_is(&uvm.page_inactive, 1, b));
	ATF_REQUIRE_EQ(c->pqflags, PQ_ACTIVE);
	h_check();

	/* freeing takes a page off whichever queue it is on */
	uvm_pagefree(a);
	uvm_pagefree(b);
	ATF_REQUIRE_EQ(uvmexp.active, 1);
	ATF_REQUIRE_EQ(uvmexp.inactive, 0);
	ATF_REQUIRE(t_queue_is(&uvm.page_active, 1, c));
	uvm_pagefree(c);
	ATF_REQUIRE_EQ(uvmexp.active, 0);
	h_shutdown();
}

/* dequeue takes a page off whichever queue it is on, and no further */
ATF_TC_WITHOUT_HEAD(dequeue_takes_page_off_its_queue);
ATF_TC_BODY(dequeue_takes_page_off_its_queue, tc)
{
	struct vm_anon an = { .an_ref = 1 };
	struct uvm_object obj;
	struct vm_page *a, *b, *c;

	h_boot(64, 4096);
	uvm_obj_init(&obj, NULL, 1);
	a = t_alloc(&obj, 0, NULL, 0);
	b = t_alloc(NULL, 0, &an, 0);
	c = t_alloc(&obj, (voff_t)ptoa(1), NULL, 0);
	uvm_pageactivate(a);
	uvm_pagedeactivate(b);

	uvm_pagedequeue(a);
	ATF_REQUIRE_EQ(a->pqflags, 0);
	ATF_REQUIRE_EQ(uvmexp.active, 0);
	ATF_REQUIRE(PGLIST_EMPTY(&uvm.page_active));

	/* the anon's mark stays; only the queue bit goes */
	uvm_pagedequeue(b);
	ATF_REQUIRE_EQ(b->pqflags, PQ_ANON);
	ATF_REQUIRE_EQ(uvmexp.inactive, 0);
	ATF_REQUIRE(PGLIST_EMPTY(&uvm.page_inactive));

	uvm_pagedequeue(c);
	ATF_REQUIRE_EQ(c->pqflags, 0);
	ATF_REQUIRE_EQ(uvmexp.active + uvmexp.inactive, 0);
	h_check();

	uvm_pagefree(a);
	uvm_pagefree(b);
	uvm_pagefree(c);
	h_shutdown();
}

/*
 * Deactivation clears the referenced bit, so the pagedaemon can later
 * tell whether the page was used while inactive.
 */
ATF_TC_WITHOUT_HEAD(deactivate_clears_reference);
ATF_TC_BODY(deactivate_clears_reference, tc)
{
	struct uvm_object obj;
	struct vm_page *pg;
	struct pmap *pm;
	vaddr_t va;

	h_boot(64, 4096);
	va = (vaddr_t)ptoa(16);
	uvm_obj_init(&obj, NULL, 1);
	pg = t_alloc(&obj, 0, NULL, 0);
	uvm_pageactivate(pg);

	pm = pmap_create();
	ATF_REQUIRE_EQ(pmap_enter(pm, va, VM_PAGE_TO_PHYS(pg), RW,
			   VM_PROT_READ),
	    0);
	ATF_REQUIRE(pmap_is_referenced(pg));
	h_check();

	uvm_pagedeactivate(pg);
	ATF_REQUIRE(!pmap_is_referenced(pg));
	ATF_REQUIRE(pmap_page_is_mapped(pg));
	ATF_REQUIRE_EQ(pg->pqflags, PQ_INACTIVE);
	h_check();

	pmap_remove(pm, va, va + PAGE_SIZE);
	pmap_destroy(pm);
	uvm_pagefree(pg);
	h_shutdown();
}

/*
 * A freed page forgets the referenced and modified bits its old mappings
 * left behind; its next owner must not inherit them.
 */
ATF_TC_WITHOUT_HEAD(free_forgets_referenced_and_modified);
ATF_TC_BODY(free_forgets_referenced_and_modified, tc)
{
	struct vm_page *pg, *again;
	struct pmap *pm;
	vaddr_t va;

	h_boot(64, 4096);
	va = (vaddr_t)ptoa(16);
	pg = t_alloc(NULL, 0, NULL, 0);
	pm = pmap_create();
	ATF_REQUIRE_EQ(pmap_enter(pm, va, VM_PAGE_TO_PHYS(pg), RW, RW), 0);
	pmap_remove(pm, va, va + PAGE_SIZE);
	pmap_destroy(pm);
	ATF_REQUIRE(pmap_is_referenced(pg));
	ATF_REQUIRE(pmap_is_modified(pg));

	uvm_pagefree(pg);
	again = t_alloc(NULL, 0, NULL, 0);
	ATF_REQUIRE(again == pg);
	ATF_REQUIRE(!pmap_is_referenced(again));
	ATF_REQUIRE(!pmap_is_modified(again));

	uvm_pagefree(again);
	h_shutdown();
}

/*
 * A wired page is on no paging queue, and activate/deactivate leave it
 * there; it takes as many unwires as wires to release it, and the last
 * one puts it at the tail of the active queue.
 */
ATF_TC_WITHOUT_HEAD(wired_page_stays_off_queues);
ATF_TC_BODY(wired_page_stays_off_queues, tc)
{
	struct uvm_object obj;
	struct vm_page *pg, *other;

	h_boot(64, 4096);
	uvm_obj_init(&obj, NULL, 1);
	pg = t_alloc(&obj, 0, NULL, 0);
	other = t_alloc(&obj, (voff_t)ptoa(1), NULL, 0);
	uvm_pageactivate(pg);
	uvm_pageactivate(other);

	uvm_pagewire(pg);
	ATF_REQUIRE_EQ(pg->wire_count, 1);
	ATF_REQUIRE_EQ(pg->pqflags & (PQ_ACTIVE | PQ_INACTIVE), 0);
	ATF_REQUIRE_EQ(uvmexp.wired, 1);
	ATF_REQUIRE_EQ(uvmexp.active, 1);
	ATF_REQUIRE(t_queue_is(&uvm.page_active, 1, other));
	h_check();

	uvm_pageactivate(pg);
	ATF_REQUIRE_EQ(pg->pqflags & (PQ_ACTIVE | PQ_INACTIVE), 0);
	ATF_REQUIRE_EQ(uvmexp.active, 1);
	ATF_REQUIRE(t_queue_is(&uvm.page_active, 1, other));
	h_check();
	uvm_pagedeactivate(pg);
	ATF_REQUIRE_EQ(pg->pqflags & (PQ_ACTIVE | PQ_INACTIVE), 0);
	ATF_REQUIRE_EQ(uvmexp.inactive, 0);
	ATF_REQUIRE(PGLIST_EMPTY(&uvm.page_inactive));
	h_check();

	/* a second wiring is counted on the page, not in uvmexp.wired */
	uvm_pagewire(pg);
	ATF_REQUIRE_EQ(pg->wire_count, 2);
	ATF_REQUIRE_EQ(uvmexp.wired, 1);
	uvm_pageunwire(pg);
	ATF_REQUIRE_EQ(pg->wire_count, 1);
	ATF_REQUIRE_EQ(uvmexp.wired, 1);
	ATF_REQUIRE_EQ(pg->pqflags & (PQ_ACTIVE | PQ_INACTIVE), 0);
	h_check();

	uvm_pageunwire(pg);
	ATF_REQUIRE_EQ(pg->wire_count, 0);
	ATF_REQUIRE_EQ(uvmexp.wired, 0);
	ATF_REQUIRE_EQ(uvmexp.active, 2);
	ATF_REQUIRE_EQ(pg->pqflags, PQ_ACTIVE);
	ATF_REQUIRE(t_queue_is(&uvm.page_active, 2, other, pg));
	h_check();

	/* wiring an inactive page takes it off the inactive queue */
	uvm_pagedeactivate(other);
	uvm_pagewire(other);
	ATF_REQUIRE_EQ(uvmexp.inactive, 0);
	ATF_REQUIRE(PGLIST_EMPTY(&uvm.page_inactive));
	ATF_REQUIRE_EQ(uvmexp.wired, 1);
	h_check();

	uvm_pageunwire(other);
	uvm_pagefree(pg);
	uvm_pagefree(other);
	h_shutdown();
}

/* freeing a wired page drops it from uvmexp.wired, however often wired */
ATF_TC_WITHOUT_HEAD(free_wired_page_fixes_wired_count);
ATF_TC_BODY(free_wired_page_fixes_wired_count, tc)
{
	struct vm_page *a, *b;

	h_boot(64, 4096);
	a = t_alloc(NULL, 0, NULL, 0);
	b = t_alloc(NULL, 0, NULL, 0);
	uvm_pagewire(a);
	uvm_pagewire(a);
	uvm_pagewire(b);
	ATF_REQUIRE_EQ(uvmexp.wired, 2);
	h_check();

	uvm_pagefree(a);
	ATF_REQUIRE_EQ(uvmexp.wired, 1);
	ATF_REQUIRE_EQ(a->wire_count, 0);
	ATF_REQUIRE_EQ(uvmexp.free, 63);
	h_check();

	uvm_pagefree(b);
	ATF_REQUIRE_EQ(uvmexp.wired, 0);
	ATF_REQUIRE_EQ(uvmexp.free, 64);
	h_shutdown();
}

/*
 * Fault injection: "succeed 2, then fail 3" on the page allocator.  A
 * refused allocation leaves no trace in the object or the counters.
 */
ATF_TC_WITHOUT_HEAD(failpoint_refuses_allocations);
ATF_TC_BODY(failpoint_refuses_allocations, tc)
{
	const bool want[] = { true, true, false, false, false, true };
	struct vm_anon an = { .an_ref = 1 };
	struct uvm_object obj;
	struct vm_page *pg;
	size_t i;

	h_boot(64, 4096);
	uvm_obj_init(&obj, NULL, 1);
	failpoint_arm(FP_PAGE, 2, 3);
	for (i = 0; i < __arraycount(want); i++) {
		pg = uvm_pagealloc(&obj, (voff_t)ptoa(i), NULL, 0);
		ATF_CHECK_EQ_MSG(pg != NULL, want[i], "allocation %zu", i);
		ATF_CHECK_EQ_MSG(uvm_pagelookup(&obj, (voff_t)ptoa(i)) == pg,
		    true, "allocation %zu", i);
	}
	ATF_REQUIRE_EQ(obj.uo_npages, 3);
	ATF_REQUIRE_EQ(uvmexp.free, 64 - 3);
	ATF_REQUIRE_EQ(uvmexp.pga_alloc, 3);
	ATF_REQUIRE_EQ(uvmexp.pga_fail, 3);
	ATF_REQUIRE_EQ(failpoints[FP_PAGE].fp_calls, 6);
	ATF_REQUIRE_EQ(failpoints[FP_PAGE].fp_failed, 3);
	ATF_REQUIRE(!failpoints[FP_PAGE].fp_armed);
	h_check();

	/* an anon whose page is refused is left without one */
	failpoint_arm(FP_PAGE, 0, 1);
	ATF_REQUIRE(uvm_pagealloc(NULL, 0, &an, 0) == NULL);
	ATF_REQUIRE(an.an_page == NULL);
	ATF_REQUIRE_EQ(uvmexp.pga_fail, 4);
	pg = t_alloc(NULL, 0, &an, 0);
	ATF_REQUIRE(an.an_page == pg);
	uvm_pagefree(pg);

	while ((pg = PGLIST_FIRST(&obj.memq)) != NULL)
		uvm_pagefree(pg);
	ATF_REQUIRE_EQ(uvmexp.free, 64);
	h_shutdown();
}

/*
 * Zeroing and copying.
 */

/*
 * The idle loop zeroes free pages of unknown content, at most as many as
 * asked, and moves them to the known-zero list; pages it does not reach
 * keep their bytes.
 */
ATF_TC_WITHOUT_HEAD(idlezero_makes_known_zero_pages);
ATF_TC_BODY(idlezero_makes_known_zero_pages, tc)
{
	struct vm_page *pgs[10];
	int i, nzero;

	h_boot(64, 4096);
	for (i = 0; i < 10; i++) {
		pgs[i] = t_alloc(NULL, 0, NULL, 0);
		t_dirty(pgs[i], (unsigned int)i + 1);
	}
	for (i = 0; i < 10; i++)
		uvm_pagefree(pgs[i]);
	ATF_REQUIRE_EQ(uvmexp.zeropages, 54);
	ATF_REQUIRE_EQ(t_length(&uvm.page_free[PGFL_UNKNOWN]), 10);

	ATF_REQUIRE_EQ(uvm_pageidlezero(0), 0);
	ATF_REQUIRE_EQ(uvmexp.zeropages, 54);

	ATF_REQUIRE_EQ(uvm_pageidlezero(4), 4);
	ATF_REQUIRE_EQ(uvmexp.zeropages, 58);
	ATF_REQUIRE_EQ(uvmexp.pga_idlezero, 4);
	ATF_REQUIRE_EQ(uvmexp.free, 64);
	ATF_REQUIRE_EQ(t_length(&uvm.page_free[PGFL_UNKNOWN]), 6);
	ATF_REQUIRE_EQ(t_length(&uvm.page_free[PGFL_ZEROS]), 58);
	nzero = 0;
	for (i = 0; i < 10; i++) {
		ATF_REQUIRE_EQ(pgs[i]->pqflags, PQ_FREE);
		if (pgs[i]->flags & PG_ZERO) {
			nzero++;
			ATF_REQUIRE_MSG(t_is_zero(pgs[i]),
			    "page %d marked zero is not", i);
		} else
			ATF_REQUIRE_MSG(h_same(t_bytes(pgs[i]), PAGE_SIZE,
					    (unsigned int)i + 1),
			    "page %d changed without being zeroed", i);
	}
	ATF_REQUIRE_EQ(nzero, 4);
	h_check();

	/* asked for more than there is, it does what there is */
	ATF_REQUIRE_EQ(uvm_pageidlezero(100), 6);
	ATF_REQUIRE_EQ(uvmexp.zeropages, 64);
	ATF_REQUIRE_EQ(uvmexp.pga_idlezero, 10);
	ATF_REQUIRE(PGLIST_EMPTY(&uvm.page_free[PGFL_UNKNOWN]));
	for (i = 0; i < 10; i++)
		ATF_REQUIRE_MSG(t_is_zero(pgs[i]) && (pgs[i]->flags & PG_ZERO),
		    "page %d", i);
	ATF_REQUIRE_EQ(uvm_pageidlezero(100), 0);
	ATF_REQUIRE_EQ(uvmexp.pga_idlezero, 10);
	h_shutdown();
}

/* pagecopy and pagezero move the bytes and leave the target dirty */
ATF_TC_WITHOUT_HEAD(pagezero_pagecopy_contents);
ATF_TC_BODY(pagezero_pagecopy_contents, tc)
{
	struct vm_page *src, *dst;

	h_boot(64, 4096);
	src = t_alloc(NULL, 0, NULL, 0);
	dst = t_alloc(NULL, 0, NULL, 0);
	ATF_REQUIRE((src->flags & PG_CLEAN) && (dst->flags & PG_CLEAN));
	t_dirty(src, 7);
	t_dirty(dst, 9);

	uvm_pagecopy(src, dst);
	ATF_REQUIRE(h_same(t_bytes(dst), PAGE_SIZE, 7));
	ATF_REQUIRE(h_same(t_bytes(src), PAGE_SIZE, 7));
	ATF_REQUIRE_EQ(dst->flags & PG_CLEAN, 0);
	ATF_REQUIRE_EQ_MSG(src->flags & PG_CLEAN, PG_CLEAN,
	    "the source of a copy became dirty");

	uvm_pagezero(src);
	ATF_REQUIRE(t_is_zero(src));
	ATF_REQUIRE_EQ(src->flags & PG_CLEAN, 0);
	ATF_REQUIRE(h_same(t_bytes(dst), PAGE_SIZE, 7));
	h_check();

	uvm_pagefree(src);
	uvm_pagefree(dst);
	h_shutdown();
}

/*
 * The checker against corrupted structures: each corruption is seen,
 * and once undone the checker is content again.
 */

ATF_TC_WITHOUT_HEAD(check_catches_free_count_off_by_one);
ATF_TC_BODY(check_catches_free_count_off_by_one, tc)
{
	struct kcheck kc;

	h_boot(64, 4096);
	ATF_REQUIRE_EQ(h_check_count(), 0);
	uvmexp.free++;
	ATF_REQUIRE(h_check_count() > 0);
	ATF_REQUIRE(t_page_check(&kc) > 0);
	ATF_REQUIRE_MSG(strstr(kc.kc_msg, "free: counter 65") != NULL,
	    "message: %s", kc.kc_msg);
	uvmexp.free--;
	ATF_REQUIRE_EQ(h_check_count(), 0);
	kern_shutdown();
}

ATF_TC_WITHOUT_HEAD(check_catches_active_flag_on_inactive_page);
ATF_TC_BODY(check_catches_active_flag_on_inactive_page, tc)
{
	struct uvm_object obj;
	struct vm_page *pg;
	struct kcheck kc;

	h_boot(64, 4096);
	uvm_obj_init(&obj, NULL, 1);
	pg = t_alloc(&obj, 0, NULL, 0);
	uvm_pagedeactivate(pg);
	ATF_REQUIRE_EQ(h_check_count(), 0);

	pg->pqflags = (pg->pqflags & ~PQ_INACTIVE) | PQ_ACTIVE;
	ATF_REQUIRE(h_check_count() > 0);
	ATF_REQUIRE(t_page_check(&kc) > 0);
	ATF_REQUIRE_MSG(strstr(kc.kc_msg, "inactive queue") != NULL,
	    "message: %s", kc.kc_msg);

	pg->pqflags = (pg->pqflags & ~PQ_ACTIVE) | PQ_INACTIVE;
	ATF_REQUIRE_EQ(h_check_count(), 0);
	kern_shutdown();
}

/* the counters agree; only the wiring says the page should not be there */
ATF_TC_WITHOUT_HEAD(check_catches_wired_page_on_active_queue);
ATF_TC_BODY(check_catches_wired_page_on_active_queue, tc)
{
	struct uvm_object obj;
	struct vm_page *pg;
	struct kcheck kc;

	h_boot(64, 4096);
	uvm_obj_init(&obj, NULL, 1);
	pg = t_alloc(&obj, 0, NULL, 0);
	uvm_pagewire(pg);
	ATF_REQUIRE_EQ(h_check_count(), 0);

	PGLIST_INSERT_TAIL(&uvm.page_active, pg, pageq);
	pg->pqflags |= PQ_ACTIVE;
	uvmexp.active++;
	ATF_REQUIRE(h_check_count() > 0);
	ATF_REQUIRE_EQ(t_page_check(&kc), 1);
	ATF_REQUIRE_MSG(strstr(kc.kc_msg, "wired page") != NULL, "message: %s",
	    kc.kc_msg);

	PGLIST_REMOVE(&uvm.page_active, pg, pageq);
	pg->pqflags &= ~PQ_ACTIVE;
	uvmexp.active--;
	ATF_REQUIRE_EQ(h_check_count(), 0);
	kern_shutdown();
}

/*
 * an object's table of pages grows as pages come and gives its memory
 * back with the last page; removals in any order (linear probing moves
 * entries back to close each gap) leave every other page found
 */
ATF_TC_WITHOUT_HEAD(object_table_survives_growth_and_removal);
ATF_TC_BODY(object_table_survives_growth_and_removal, tc)
{
	enum { N = 200 };
	static struct vm_page *pgs[N];
	struct uvm_object obj;
	int i, j, k;

	h_boot(N + 16, 4096);
	uvm_obj_init(&obj, NULL, 1);
	/* offsets of a stride that many homes share */
	for (i = 0; i < N; i++)
		pgs[i] =
		    t_alloc(&obj, (voff_t)ptoa((i % 7) * 1024 + i), NULL, 0);
	ATF_REQUIRE(obj.uo_pgtabsize >= 2 * N);
	h_check();
	/* every third, then the rest from the end */
	for (k = 0; k < 2; k++) {
		for (i = k == 0 ? 0 : N - 1; k == 0 ? i < N : i >= 0;
		     i += k == 0 ? 3 : -1) {
			if (pgs[i] == NULL)
				continue;
			uvm_pagefree(pgs[i]);
			pgs[i] = NULL;
			for (j = 0; j < N; j++)
				ATF_REQUIRE(uvm_pagelookup(&obj,
						(voff_t)ptoa((j % 7) * 1024 +
						    j)) == pgs[j]);
		}
		if (k == 0)
			h_check();
	}
	ATF_REQUIRE_EQ(obj.uo_npages, 0);
	ATF_REQUIRE(obj.uo_pgtab == NULL);
	h_shutdown();
}

ATF_TC_WITHOUT_HEAD(check_catches_object_page_missing_from_table);
ATF_TC_BODY(check_catches_object_page_missing_from_table, tc)
{
	struct uvm_object obj;
	struct vm_page *pg;
	struct kcheck kc;
	long slot;
	uint32_t ent;

	h_boot(64, 4096);
	uvm_obj_init(&obj, NULL, 1);
	pg = t_alloc(&obj, (voff_t)ptoa(7), NULL, 0);
	uvm_pageactivate(pg);
	ATF_REQUIRE_EQ(h_check_count(), 0);
	slot = t_pgtab_slot(&obj, pg);
	ATF_REQUIRE(slot >= 0);

	ent = obj.uo_pgtab[slot];
	obj.uo_pgtab[slot] = 0;
	ATF_REQUIRE(uvm_pagelookup(&obj, (voff_t)ptoa(7)) == NULL);
	ATF_REQUIRE(h_check_count() > 0);
	ATF_REQUIRE(t_page_check(&kc) > 0);
	ATF_REQUIRE_MSG(strstr(kc.kc_msg, "not in its object's table") != NULL,
	    "message: %s", kc.kc_msg);

	/* a slot that holds another page than its own */
	obj.uo_pgtab[slot] = ent + 1;
	ATF_REQUIRE(t_page_check(&kc) > 0);

	obj.uo_pgtab[slot] = ent;
	ATF_REQUIRE(uvm_pagelookup(&obj, (voff_t)ptoa(7)) == pg);
	ATF_REQUIRE_EQ(h_check_count(), 0);
	kern_shutdown();
}

/* only the deep check reads the bytes of known-zero pages */
ATF_TC_WITHOUT_HEAD(check_catches_dirty_known_zero_page);
ATF_TC_BODY(check_catches_dirty_known_zero_page, tc)
{
	struct vm_page *pg;
	struct kcheck kc;
	unsigned char *last;

	h_boot(64, 4096);
	pg = PGLIST_LAST(&uvm.page_free[PGFL_ZEROS]);
	ATF_REQUIRE(pg != NULL && (pg->flags & PG_ZERO));
	ATF_REQUIRE_EQ(h_check_count(), 0);

	/* the page's very last byte, so the whole page must be read */
	last = t_bytes(pg) + PAGE_SIZE - 1;
	*last = 0x5a;
	ATF_REQUIRE(h_check_count() > 0);
	kcheck_init(&kc);
	ATF_REQUIRE_EQ(uvm_page_check(&kc, false), 0);
	kcheck_init(&kc);
	ATF_REQUIRE_EQ(uvm_page_check(&kc, true), 1);
	ATF_REQUIRE_MSG(strstr(kc.kc_msg, "marked zero but is not") != NULL,
	    "message: %s", kc.kc_msg);

	*last = 0;
	ATF_REQUIRE_EQ(h_check_count(), 0);
	kern_shutdown();
}

/*
 * Misuse panics.  The machine is left as the panic found it, so these
 * tests end at the panic.
 */

ATF_TC_WITHOUT_HEAD(free_mapped_page_panics);
ATF_TC_BODY(free_mapped_page_panics, tc)
{
	/* static: the machine is left as the panic left it */
	static struct uvm_object obj;
	struct vm_page *pg;
	struct pmap *pm;

	h_boot(64, 4096);
	uvm_obj_init(&obj, NULL, 1);
	pg = t_alloc(&obj, 0, NULL, 0);
	pm = pmap_create();
	ATF_REQUIRE_EQ(pmap_enter(pm, (vaddr_t)ptoa(16), VM_PAGE_TO_PHYS(pg),
			   RW, VM_PROT_READ),
	    0);
	H_REQUIRE_PANIC(uvm_pagefree(pg), "still mapped");
}

ATF_TC_WITHOUT_HEAD(free_free_page_panics);
ATF_TC_BODY(free_free_page_panics, tc)
{
	struct vm_page *pg;

	h_boot(64, 4096);
	pg = t_alloc(NULL, 0, NULL, 0);
	uvm_pagefree(pg);
	H_REQUIRE_PANIC(uvm_pagefree(pg), "is free");
}

ATF_TC_WITHOUT_HEAD(unwire_unwired_page_panics);
ATF_TC_BODY(unwire_unwired_page_panics, tc)
{
	/* static: the machine is left as the panic left it */
	static struct uvm_object obj;
	struct vm_page *pg;

	h_boot(64, 4096);
	uvm_obj_init(&obj, NULL, 1);
	pg = t_alloc(&obj, 0, NULL, 0);
	uvm_pagewire(pg);
	uvm_pageunwire(pg);
	H_REQUIRE_PANIC(uvm_pageunwire(pg), "is not wired");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, boot_all_pages_free_and_zero);
	ATF_TP_ADD_TC(tp, boot_tunables_follow_memory_size);
	ATF_TP_ADD_TC(tp, tune_inactarg_follows_paging_queues);
	ATF_TP_ADD_TC(tp, zerofill_takes_known_zero_page);
	ATF_TP_ADD_TC(tp, dirty_page_freed_to_unknown_list);
	ATF_TP_ADD_TC(tp, zerofill_zeroes_dirty_page_on_miss);
	ATF_TP_ADD_TC(tp, plain_alloc_leaves_known_zero_pages);
	ATF_TP_ADD_TC(tp, object_pages_found_by_lookup);
	ATF_TP_ADD_TC(tp, anon_page_linked_to_anon);
	ATF_TP_ADD_TC(tp, reserve_kept_for_kernel);
	ATF_TP_ADD_TC(tp, queue_transitions_keep_counts);
	ATF_TP_ADD_TC(tp, dequeue_takes_page_off_its_queue);
	ATF_TP_ADD_TC(tp, deactivate_clears_reference);
	ATF_TP_ADD_TC(tp, free_forgets_referenced_and_modified);
	ATF_TP_ADD_TC(tp, wired_page_stays_off_queues);
	ATF_TP_ADD_TC(tp, free_wired_page_fixes_wired_count);
	ATF_TP_ADD_TC(tp, failpoint_refuses_allocations);
	ATF_TP_ADD_TC(tp, idlezero_makes_known_zero_pages);
	ATF_TP_ADD_TC(tp, pagezero_pagecopy_contents);
	ATF_TP_ADD_TC(tp, check_catches_free_count_off_by_one);
	ATF_TP_ADD_TC(tp, check_catches_active_flag_on_inactive_page);
	ATF_TP_ADD_TC(tp, check_catches_wired_page_on_active_queue);
	ATF_TP_ADD_TC(tp, check_catches_object_page_missing_from_table);
	ATF_TP_ADD_TC(tp, object_table_survives_growth_and_removal);
	ATF_TP_ADD_TC(tp, check_catches_dirty_known_zero_page);
	ATF_TP_ADD_TC(tp, free_mapped_page_panics);
	ATF_TP_ADD_TC(tp, free_free_page_panics);
	ATF_TP_ADD_TC(tp, unwire_unwired_page_panics);
	return atf_no_error();
}
