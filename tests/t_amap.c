/*
 * t_amap.c: amaps and anons -- references, per-page references, slots,
 * copy-on-write (amap_copy, amap_cow_now), growth, failure injection and
 * the checker.
 *
 * Pictures: one character per slot, `x' (or a letter) for an anon, `.'
 * for an empty slot; holders are drawn as [===] under the slots they
 * cover.  Most tests build map entries by hand (no map): the amap code
 * uses an entry's range and aref only.  The tests at the end use real
 * maps, for chunking and fork.
 */

#include <string.h>

#include "h_util.h"
#include "uvm/uvm.h"

#define PG(n) ((vaddr_t)(n)*PAGE_SIZE)
#define BASE  ((vaddr_t)0x100000)
#define RW    (VM_PROT_READ | VM_PROT_WRITE)
#define ANON_COW(flags)                                                \
	UVM_MAPFLAG(RW, VM_PROT_ALL, MAP_INHERIT_COPY, UVM_ADV_NORMAL, \
	    UVM_FLAG_FIXED | UVM_FLAG_COPYONW | UVM_FLAG_NOMERGE | (flags))

/* a resident anon (an_ref 1) whose page holds the bytes of `seed' */
static struct vm_anon *
t_anon(unsigned int seed)
{
	struct vm_anon *anon;
	struct vm_page *pg;

	anon = uvm_analloc();
	ATF_REQUIRE(anon != NULL);
	pg = uvm_pagealloc(NULL, 0, anon, 0);
	ATF_REQUIRE(pg != NULL);
	h_fill(physmem_hostaddr(VM_PAGE_TO_PHYS(pg)), PAGE_SIZE, seed);
	pg->flags &= ~(PG_BUSY | PG_FAKE);
	uvm_pageactivate(pg);
	return anon;
}

/* does anon's page hold the bytes of `seed'? */
static bool
t_anon_holds(const struct vm_anon *anon, unsigned int seed)
{
	return anon->an_page != NULL &&
	    h_same(physmem_hostaddr(VM_PAGE_TO_PHYS(anon->an_page)), PAGE_SIZE,
		seed);
}

/*
 * an amap drawn as a picture: one slot per character, a resident anon
 * (with page data seeded by the slot number) for every `x'.
 */
static struct vm_amap *
t_amap(const char *picture)
{
	struct vm_aref aref;
	int slot, n = (int)strlen(picture);

	aref.ar_amap = amap_alloc(PG(n), 0);
	aref.ar_pageoff = 0;
	ATF_REQUIRE(aref.ar_amap != NULL);
	for (slot = 0; slot < n; slot++)
		if (picture[slot] == 'x')
			amap_add(&aref, PG(slot), t_anon((unsigned int)slot),
			    false);
	return aref.ar_amap;
}

/* the amap's slots as a picture, in buf */
static const char *
t_picture(const struct vm_amap *amap, char *buf)
{
	int slot;

	for (slot = 0; slot < amap->am_nslot; slot++)
		buf[slot] = amap->am_anon[slot] != NULL ? 'x' : '.';
	buf[slot] = '\0';
	return buf;
}

#define T_PICTURE(amap, want)                                       \
	do {                                                        \
		char buf_[64];                                      \
		ATF_REQUIRE_STREQ(t_picture((amap), buf_), (want)); \
	} while (0)

/* a hand-made needs-copy entry of npages pages holding amap at pageoff */
static void
t_entry(struct vm_map_entry *e, int npages, struct vm_amap *amap, int pageoff)
{
	memset(e, 0, sizeof(*e));
	e->start = BASE;
	e->end = BASE + PG(npages);
	e->etype = UVM_ET_COPYONWRITE | UVM_ET_NEEDSCOPY;
	e->protection = e->max_protection = VM_PROT_ALL;
	e->aref.ar_amap = amap;
	e->aref.ar_pageoff = pageoff;
}

static int
t_npages(const struct vm_map_entry *e)
{
	return (int)atop(e->end - e->start);
}

/* cut e at page `at', as uvm_map_clip_end does: tail gets the rest */
static void
t_split(struct vm_map_entry *e, struct vm_map_entry *tail, int at)
{
	*tail = *e;
	tail->start = e->start + PG(at);
	e->end = tail->start;
	amap_splitref(&e->aref, &tail->aref, PG(at));
}

/* e lets go of its amap, as an unmapped entry does */
static void
t_drop(struct vm_map_entry *e)
{
	amap_unref(e->aref.ar_amap, e->aref.ar_pageoff, t_npages(e), false);
	e->aref.ar_amap = NULL;
}

/* problems the amap checker finds with no holders counted */
static int
t_problems(struct kcheck *kc)
{
	kcheck_init(kc);
	return amap_check(kc);
}

/* problems it finds with the amap entries of e[0..n) as the holders */
static int
t_problems_held(struct kcheck *kc, const struct vm_map_entry *e, int n)
{
	int i;

	kcheck_init(kc);
	amap_check_begin();
	for (i = 0; i < n; i++)
		if (e[i].aref.ar_amap != NULL)
			amap_check_holder(&e[i].aref, t_npages(&e[i]));
	return amap_check(kc);
}

static void
t_ok(void)
{
	struct kcheck kc;

	ATF_REQUIRE_MSG(t_problems(&kc) == 0, "amap check: %u, first: %s",
	    kc.kc_nerr, kc.kc_msg);
}

static void
t_ok_held(const struct vm_map_entry *e, int n)
{
	struct kcheck kc;

	ATF_REQUIRE_MSG(t_problems_held(&kc, e, n) == 0,
	    "amap check: %u, first: %s", kc.kc_nerr, kc.kc_msg);
}

/* nothing is left behind; the whole-system checkers agree */
static void
t_done(void)
{
	ATF_REQUIRE_EQ(uvmexp.namap, 0);
	ATF_REQUIRE_EQ(uvmexp.nanon, 0);
	h_shutdown();
}

/*
 * references
 */

/* whole-amap holders need no per-page counts; the last one frees it */
ATF_TC_WITHOUT_HEAD(alloc_ref_unref_counts);
ATF_TC_BODY(alloc_ref_unref_counts, tc)
{
	struct vm_map_entry e[3];
	struct vm_amap *amap;

	h_boot(256, 4096);
	amap = amap_alloc(PG(4), PG(4));
	ATF_REQUIRE(amap != NULL);
	ATF_REQUIRE_EQ(uvmexp.namap, 1);
	ATF_REQUIRE_EQ(amap->am_nslot, 4);
	ATF_REQUIRE_EQ(amap->am_maxslot, 8);
	ATF_REQUIRE_EQ(amap_refs(amap), 1);
	ATF_REQUIRE_EQ(amap->am_nused, 0);
	t_entry(&e[0], 4, amap, 0);
	t_ok_held(e, 1);

	amap_ref(amap, 0, 4, 0);
	t_entry(&e[1], 4, amap, 0);
	amap_ref(amap, 0, 4, AMAP_SHARED | AMAP_REFALL);
	t_entry(&e[2], 4, amap, 0);
	ATF_REQUIRE_EQ(amap_refs(amap), 3);
	ATF_REQUIRE(amap_flags(amap) & AMAP_SHARED);
	ATF_REQUIRE(amap->am_ppref == NULL);
	t_ok_held(e, 3);

	t_drop(&e[2]);
	ATF_REQUIRE_EQ(amap_refs(amap), 2);
	ATF_REQUIRE(amap_flags(amap) & AMAP_SHARED);
	/* one holder left: no longer shared */
	t_drop(&e[1]);
	ATF_REQUIRE_EQ(amap_refs(amap), 1);
	ATF_REQUIRE((amap_flags(amap) & AMAP_SHARED) == 0);
	t_ok_held(e, 3);
	t_drop(&e[0]);
	ATF_REQUIRE_EQ(uvmexp.namap, 0);
	t_done();
}

/*
 * a holder of part of the amap starts per-page counting:
 *
 *	slots   x x x x x x x x
 *	e[0]    [=============]     counts 1 1 2 2 2 2 1 1
 *	e[1]        [=====]
 */
ATF_TC_WITHOUT_HEAD(partial_ref_establishes_ppref);
ATF_TC_BODY(partial_ref_establishes_ppref, tc)
{
	struct vm_map_entry e[3];
	struct vm_amap *amap;

	h_boot(256, 4096);
	amap = t_amap("xxxxxxxx");
	t_entry(&e[0], 8, amap, 0);
	/* a whole-amap holder does not need counts */
	amap_ref(amap, 0, 8, 0);
	t_entry(&e[1], 8, amap, 0);
	ATF_REQUIRE(amap->am_ppref == NULL);
	t_drop(&e[1]);

	amap_ref(amap, 2, 4, 0);
	t_entry(&e[1], 4, amap, 2);
	ATF_REQUIRE(amap->am_ppref != NULL);
	ATF_REQUIRE_EQ(amap_refs(amap), 2);
	t_ok_held(e, 2);
	/* and the checker would see a holder missing from the counts */
	{
		struct kcheck kc;

		ATF_REQUIRE(t_problems_held(&kc, e, 1) > 0);
	}
	/* a third holder over the whole amap: counts 2 2 3 3 3 3 2 2 */
	amap_ref(amap, 0, 8, AMAP_REFALL);
	t_entry(&e[2], 8, amap, 0);
	t_ok_held(e, 3);

	t_drop(&e[2]);
	t_drop(&e[1]);
	t_ok_held(e, 1);
	T_PICTURE(amap, "xxxxxxxx");
	t_drop(&e[0]);
	t_done();
}

/*
 * unmapping the middle of an entry frees exactly the middle's anons:
 *
 *	slots   x x x x x x x x   ->   x x . . . . x x
 *	        [=][=====][=]          [=]         [=]
 *	        e0   e1    e2
 */
ATF_TC_WITHOUT_HEAD(partial_unref_frees_dropped_pages);
ATF_TC_BODY(partial_unref_frees_dropped_pages, tc)
{
	struct vm_map_entry e[3];
	struct vm_amap *amap;
	int free0;

	h_boot(256, 4096);
	amap = t_amap("xxxxxxxx");
	t_entry(&e[0], 8, amap, 0);
	t_split(&e[0], &e[1], 2);
	t_split(&e[1], &e[2], 4);
	ATF_REQUIRE_EQ(amap_refs(amap), 3);
	t_ok_held(e, 3);
	ATF_REQUIRE_EQ(uvmexp.nanon, 8);
	free0 = uvmexp.free;

	t_drop(&e[1]);
	ATF_REQUIRE_EQ(uvmexp.nanon, 4);
	ATF_REQUIRE_EQ(uvmexp.free, free0 + 4);
	ATF_REQUIRE_EQ(amap_refs(amap), 2);
	T_PICTURE(amap, "xx....xx");
	ATF_REQUIRE(t_anon_holds(amap->am_anon[6], 6));
	t_ok_held(e, 3);

	t_drop(&e[0]);
	T_PICTURE(amap, "......xx");
	ATF_REQUIRE_EQ(uvmexp.nanon, 2);
	t_ok_held(e, 3);
	t_drop(&e[2]);
	ATF_REQUIRE_EQ(uvmexp.free, free0 + 8);
	t_done();
}

/*
 * amap_splitref: the tail holder uses the same amap from the split on.
 *
 *	slots   a b c d e f g h
 *	        [===][=][=====]
 *	         e0  e1   e2
 */
ATF_TC_WITHOUT_HEAD(splitref_shares_the_amap);
ATF_TC_BODY(splitref_shares_the_amap, tc)
{
	struct vm_map_entry e[3];
	struct vm_amap *amap;

	h_boot(256, 4096);
	amap = t_amap("xxxxxxxx");
	t_entry(&e[0], 8, amap, 0);
	t_split(&e[0], &e[1], 3);
	ATF_REQUIRE_EQ(e[1].aref.ar_amap, amap);
	ATF_REQUIRE_EQ(e[1].aref.ar_pageoff, 3);
	ATF_REQUIRE_EQ(amap_refs(amap), 2);
	ATF_REQUIRE(amap->am_ppref != NULL);
	ATF_REQUIRE_EQ(amap_lookup(&e[1].aref, 0), amap->am_anon[3]);
	t_ok_held(e, 2);

	t_split(&e[1], &e[2], 2);
	ATF_REQUIRE_EQ(e[2].aref.ar_pageoff, 5);
	ATF_REQUIRE_EQ(amap_lookup(&e[2].aref, PG(2)), amap->am_anon[7]);
	ATF_REQUIRE_EQ(amap_refs(amap), 3);
	/* splitting changes no page's count */
	t_ok_held(e, 3);

	t_drop(&e[1]);
	T_PICTURE(amap, "xxx..xxx");
	t_ok_held(e, 3);
	t_drop(&e[2]);
	t_drop(&e[0]);
	t_done();
}

/*
 * runs of equal count join again, so the per-page counts do not stay
 * fragmented after holders come and go (the encoding is in uvm_amap.h):
 *
 *	counts 1 1 2 2 2 2 1 1   ->   1 1 1 1 1 1 1 1  (one run)
 */
ATF_TC_WITHOUT_HEAD(ppref_runs_merge_back);
ATF_TC_BODY(ppref_runs_merge_back, tc)
{
	struct vm_map_entry e[2];
	struct vm_amap *amap;

	h_boot(256, 4096);
	amap = t_amap("xxxxxxxx");
	t_entry(&e[0], 8, amap, 0);
	amap_ref(amap, 2, 4, 0);
	t_entry(&e[1], 4, amap, 2);
	ATF_REQUIRE_EQ(amap->am_ppref[0], 1);
	ATF_REQUIRE_EQ(amap->am_ppref[1], -2);
	ATF_REQUIRE_EQ(amap->am_ppref[2], 2);
	ATF_REQUIRE_EQ(amap->am_ppref[3], -4);
	ATF_REQUIRE_EQ(amap->am_ppref[6], 1);
	ATF_REQUIRE_EQ(amap->am_ppref[7], -2);
	t_drop(&e[1]);
	ATF_REQUIRE_EQ(amap->am_ppref[0], 1);
	ATF_REQUIRE_EQ(amap->am_ppref[1], -8);
	t_ok_held(e, 1);
	t_drop(&e[0]);
	t_done();
}

/*
 * per-page counts under random holders, against a model: after every
 * change the checker compares each page's count with the holders that
 * cover it, and a page loses its anon the first time nobody covers it.
 */
#define RND_SLOTS   40
#define RND_HOLDERS 12
ATF_TC_WITHOUT_HEAD(ppref_random_holders);
ATF_TC_BODY(ppref_random_holders, tc)
{
	struct vm_map_entry e[RND_HOLDERS];
	bool alive[RND_SLOTS];
	struct vm_amap *amap;
	unsigned int rnd = 12345;
	int step, i, n, s, cover, off, len;
	char pic[RND_SLOTS + 1];

	h_boot(256, 4096);
	memset(pic, 'x', RND_SLOTS);
	pic[RND_SLOTS] = '\0';
	amap = amap_alloc(PG(RND_SLOTS), 0);
	ATF_REQUIRE(amap != NULL);
	for (s = 0; s < RND_SLOTS; s++) {
		struct vm_aref a = { 0, amap };
		struct vm_anon *anon = uvm_analloc();

		ATF_REQUIRE(anon != NULL);
		amap_add(&a, PG(s), anon, false);
		alive[s] = true;
	}
	t_entry(&e[0], RND_SLOTS, amap, 0);
	n = 1;

	for (step = 0; step < 400 && n > 0; step++) {
		rnd ^= rnd << 13;
		rnd ^= rnd >> 17;
		rnd ^= rnd << 5;
		i = (int)(rnd % (unsigned int)n);
		switch ((rnd >> 8) % 3) {
		case 0: /* a new holder of a random range */
			if (n == RND_HOLDERS)
				break;
			off = (int)((rnd >> 12) % RND_SLOTS);
			len = 1 + (int)((rnd >> 20) % (RND_SLOTS - off));
			amap_ref(amap, off, len, 0);
			t_entry(&e[n], len, amap, off);
			n++;
			break;
		case 1: /* clip a holder in two */
			if (n == RND_HOLDERS || t_npages(&e[i]) < 2)
				break;
			t_split(&e[i], &e[n],
			    1 + (int)((rnd >> 12) % (t_npages(&e[i]) - 1)));
			n++;
			break;
		case 2: /* drop a holder, but not the last */
			if (n == 1)
				break;
			t_drop(&e[i]);
			e[i] = e[--n];
			break;
		}
		for (s = 0; s < RND_SLOTS; s++) {
			for (cover = 0, i = 0; i < n; i++)
				cover += s >= e[i].aref.ar_pageoff &&
				    s < e[i].aref.ar_pageoff + t_npages(&e[i]);
			if (cover == 0)
				alive[s] = false;
			ATF_REQUIRE_EQ_MSG(amap->am_anon[s] != NULL, alive[s],
			    "step %d slot %d", step, s);
		}
		t_ok_held(e, n);
	}
	while (n > 0)
		t_drop(&e[--n]);
	t_done();
}

/*
 * slots
 */

/*
 * amap_add / amap_unadd keep the bitmap of used slots:
 *
 *	. A . . B . C D   ->  unadd B  ->  . A . . . . C D
 *	am_used 11010010b                  am_used 11000010b
 */
ATF_TC_WITHOUT_HEAD(add_lookup_unadd_keep_the_bitmap);
ATF_TC_BODY(add_lookup_unadd_keep_the_bitmap, tc)
{
	struct vm_anon *a[4], *got[4];
	const int where[4] = { 1, 4, 6, 7 };
	struct vm_aref aref, mid;
	struct vm_amap *amap;
	int i;

	h_boot(256, 4096);
	amap = amap_alloc(PG(8), 0);
	ATF_REQUIRE(amap != NULL);
	aref.ar_amap = amap;
	aref.ar_pageoff = 0;
	for (i = 0; i < 4; i++) {
		a[i] = t_anon((unsigned int)i);
		amap_add(&aref, PG(where[i]), a[i], false);
		ATF_REQUIRE_EQ(amap->am_nused, i + 1);
		t_ok();
	}
	T_PICTURE(amap, ".x..x.xx");
	ATF_REQUIRE_EQ(amap->am_used[0], 0xd2);
	for (i = 0; i < 4; i++)
		ATF_REQUIRE_EQ(amap_lookup(&aref, PG(where[i])), a[i]);
	ATF_REQUIRE(amap_lookup(&aref, 0) == NULL);
	/* an aref from slot 3: offsets count from there */
	mid.ar_amap = amap;
	mid.ar_pageoff = 3;
	ATF_REQUIRE_EQ(amap_lookup(&mid, PG(1)), a[1]);
	amap_lookups(&mid, 0, got, 4);
	ATF_REQUIRE(got[0] == NULL && got[1] == a[1] && got[2] == NULL &&
	    got[3] == a[2]);

	amap_unadd(&aref, PG(4));
	ATF_REQUIRE_EQ(amap->am_nused, 3);
	ATF_REQUIRE_EQ(amap->am_used[0], 0xc2);
	ATF_REQUIRE_EQ(a[1]->an_ref, 1); /* unadd leaves an_ref alone */
	T_PICTURE(amap, ".x....xx");
	{
		struct kcheck kc;

		/* a[1] is in no slot now, with an_ref 1: the checker sees it */
		ATF_REQUIRE(t_problems(&kc) > 0);
		ATF_REQUIRE_MSG(strstr(kc.kc_msg, "but 0 slots") != NULL, "%s",
		    kc.kc_msg);
	}
	a[1]->an_ref = 0;
	uvm_anfree(a[1]);
	t_ok();

	/* the slot can be filled again */
	amap_add(&aref, PG(4), t_anon(9), false);
	T_PICTURE(amap, ".x..x.xx");
	t_ok();
	amap_unref(amap, 0, 8, false);
	t_done();
}

/*
 * replacing an anon changes the slot and nothing else, in a private or
 * a shared amap: the mappings of the old page are the caller's to fix
 * (the fault handler knows which maps share the slot and which map the
 * old anon through another amap: see uvmfault_update_sharers and the
 * bug 4 tests in t_vmdiff.c).
 */
ATF_TC_WITHOUT_HEAD(replace_leaves_mappings_to_caller);
ATF_TC_BODY(replace_leaves_mappings_to_caller, tc)
{
	struct vm_anon *old, *new;
	struct vm_aref aref;
	struct pmap *pm;
	paddr_t pa;

	h_boot(256, 4096);
	pm = pmap_create();
	aref.ar_amap = t_amap("x.");
	aref.ar_pageoff = 0;

	/* private: the old page stays mapped */
	old = amap_lookup(&aref, 0);
	ATF_REQUIRE_EQ(pmap_enter(pm, BASE, VM_PAGE_TO_PHYS(old->an_page),
			   VM_PROT_READ, 0),
	    0);
	new = t_anon(1);
	amap_add(&aref, 0, new, true);
	ATF_REQUIRE_EQ(amap_lookup(&aref, 0), new);
	ATF_REQUIRE_EQ(old->an_ref, 1); /* untouched: the caller's job */
	ATF_REQUIRE_EQ(aref.ar_amap->am_nused, 1);
	ATF_REQUIRE(pmap_extract(pm, BASE, &pa));
	pmap_remove(pm, BASE, BASE + PG(1));
	old->an_ref--;
	uvm_anfree(old);
	t_ok();

	/* shared: the same */
	amap_ref(aref.ar_amap, 0, 2, AMAP_SHARED);
	old = new;
	ATF_REQUIRE_EQ(pmap_enter(pm, BASE, VM_PAGE_TO_PHYS(old->an_page),
			   VM_PROT_READ, 0),
	    0);
	new = t_anon(2);
	amap_add(&aref, 0, new, true);
	ATF_REQUIRE_EQ(amap_lookup(&aref, 0), new);
	ATF_REQUIRE(pmap_extract(pm, BASE, &pa));
	ATF_REQUIRE_EQ(pa, VM_PAGE_TO_PHYS(old->an_page));
	pmap_remove(pm, BASE, BASE + PG(1));
	ATF_REQUIRE_EQ(old->an_ref, 1);
	old->an_ref--;
	uvm_anfree(old);
	t_ok();

	amap_unref(aref.ar_amap, 0, 2, false);
	amap_unref(aref.ar_amap, 0, 2, false);
	pmap_destroy(pm);
	t_done();
}

/* a lookup outside the amap is a kernel bug */
ATF_TC_WITHOUT_HEAD(lookup_past_the_end_panics);
ATF_TC_BODY(lookup_past_the_end_panics, tc)
{
	struct vm_aref aref;

	h_boot(256, 4096);
	aref.ar_amap = t_amap("..");
	aref.ar_pageoff = 1;
	H_REQUIRE_PANIC(amap_lookup(&aref, PG(1)), "out of its 2 slots");
}

/* filling a used slot without `replace' is a kernel bug */
ATF_TC_WITHOUT_HEAD(add_to_used_slot_panics);
ATF_TC_BODY(add_to_used_slot_panics, tc)
{
	struct vm_aref aref;

	h_boot(256, 4096);
	aref.ar_amap = t_amap("x");
	aref.ar_pageoff = 0;
	H_REQUIRE_PANIC(amap_add(&aref, 0, t_anon(0), false), "in use");
}

/*
 * amap_copy
 */

/* needs-copy with no amap: a new, empty amap covering the entry */
ATF_TC_WITHOUT_HEAD(copy_without_amap_allocates);
ATF_TC_BODY(copy_without_amap_allocates, tc)
{
	struct vm_map_entry e;

	h_boot(256, 4096);
	t_entry(&e, 5, NULL, 0);
	amap_copy(NULL, &e, AMAP_COPY_NOMERGE, 0, 0);
	ATF_REQUIRE(!UVM_ET_ISNEEDSCOPY(&e));
	ATF_REQUIRE(e.aref.ar_amap != NULL);
	ATF_REQUIRE_EQ(e.aref.ar_pageoff, 0);
	ATF_REQUIRE_EQ(e.aref.ar_amap->am_nslot, 5);
	ATF_REQUIRE_EQ(e.aref.ar_amap->am_nused, 0);
	ATF_REQUIRE_EQ(uvmexp.namap, 1);
	t_ok_held(&e, 1);
	t_drop(&e);
	t_done();
}

/* the only holder of the amap takes it over: nothing is copied */
ATF_TC_WITHOUT_HEAD(copy_sole_holder_takes_over);
ATF_TC_BODY(copy_sole_holder_takes_over, tc)
{
	struct vm_map_entry e;
	struct vm_amap *amap;

	h_boot(256, 4096);
	amap = t_amap("x.x");
	t_entry(&e, 3, amap, 0);
	amap_copy(NULL, &e, AMAP_COPY_NOMERGE, 0, 0);
	ATF_REQUIRE(!UVM_ET_ISNEEDSCOPY(&e));
	ATF_REQUIRE_EQ(e.aref.ar_amap, amap);
	ATF_REQUIRE_EQ(uvmexp.namap, 1);
	ATF_REQUIRE_EQ(amap->am_anon[0]->an_ref, 1);
	t_ok_held(&e, 1);
	t_drop(&e);
	t_done();
}

/*
 * a shared amap: the entry gets a new amap of its own pages, holding
 * the same anons; no page is copied.
 *
 *	old     a b . c d e . f          new  . c d e
 *	e[0]    [=============]          e[1] [=====]
 *	e[1]        [=====]      ->      (c d e now an_ref 2)
 */
ATF_TC_WITHOUT_HEAD(copy_shared_shares_anons);
ATF_TC_BODY(copy_shared_shares_anons, tc)
{
	struct vm_map_entry e[2];
	struct vm_amap *old, *new;
	uint64_t alloc0;
	int i;

	h_boot(256, 4096);
	old = t_amap("xx.xxx.x");
	t_entry(&e[0], 8, old, 0);
	amap_ref(old, 2, 4, 0);
	t_entry(&e[1], 4, old, 2);
	t_ok_held(e, 2);
	alloc0 = uvmexp.pga_alloc;

	amap_copy(NULL, &e[1], AMAP_COPY_NOMERGE, 0, 0);
	new = e[1].aref.ar_amap;
	ATF_REQUIRE(new != old);
	ATF_REQUIRE(!UVM_ET_ISNEEDSCOPY(&e[1]));
	ATF_REQUIRE_EQ(e[1].aref.ar_pageoff, 0);
	ATF_REQUIRE_EQ(new->am_nslot, 4);
	T_PICTURE(new, ".xxx");
	for (i = 0; i < 4; i++)
		ATF_REQUIRE_EQ(new->am_anon[i], old->am_anon[2 + i]);
	for (i = 1; i < 4; i++)
		ATF_REQUIRE_EQ(new->am_anon[i]->an_ref, 2);
	ATF_REQUIRE_EQ(old->am_anon[0]->an_ref, 1);
	ATF_REQUIRE_EQ(amap_refs(old), 1);
	ATF_REQUIRE_EQ(uvmexp.pga_alloc, alloc0);
	ATF_REQUIRE_EQ(uvmexp.nanon, 6);
	t_ok_held(e, 2);

	t_drop(&e[0]);
	ATF_REQUIRE_EQ(uvmexp.nanon, 3);
	ATF_REQUIRE_EQ(new->am_anon[1]->an_ref, 1);
	t_drop(&e[1]);
	t_done();
}

/*
 * amap_cow_now copies the shared pages (an_ref > 1) and only them:
 *
 *	e[0] old  A B C .             A B C .      an_ref 1 1 1
 *	e[1] new  A B C D    ->       A'B'C'D      an_ref 1 1 1 1
 *	          (A B C shared, D its own)
 */
ATF_TC_WITHOUT_HEAD(cow_now_copies_shared_pages_only);
ATF_TC_BODY(cow_now_copies_shared_pages_only, tc)
{
	struct vm_map_entry e[2];
	struct vm_anon *orig[3], *own;
	struct vm_amap *new;
	uint64_t alloc0;
	int i;

	h_boot(256, 4096);
	t_entry(&e[0], 4, t_amap("xxx."), 0);
	amap_ref(e[0].aref.ar_amap, 0, 4, 0);
	t_entry(&e[1], 4, e[0].aref.ar_amap, 0);
	amap_copy(NULL, &e[1], AMAP_COPY_NOMERGE, 0, 0);
	new = e[1].aref.ar_amap;
	own = t_anon(33);
	amap_add(&e[1].aref, PG(3), own, false);
	for (i = 0; i < 3; i++)
		orig[i] = new->am_anon[i];
	alloc0 = uvmexp.pga_alloc;

	amap_cow_now(NULL, &e[1]);
	ATF_REQUIRE_EQ(uvmexp.cow_now, 3);
	ATF_REQUIRE_EQ(uvmexp.pga_alloc, alloc0 + 3);
	for (i = 0; i < 3; i++) {
		ATF_REQUIRE(new->am_anon[i] != orig[i]);
		ATF_REQUIRE_EQ(orig[i]->an_ref, 1);
		ATF_REQUIRE_EQ(new->am_anon[i]->an_ref, 1);
		ATF_REQUIRE(t_anon_holds(new->am_anon[i], (unsigned int)i));
		ATF_REQUIRE(t_anon_holds(orig[i], (unsigned int)i));
		ATF_REQUIRE(new->am_anon[i]->an_page->pqflags &PQ_ACTIVE);
		ATF_REQUIRE((new->am_anon[i]->an_page->flags &(
				PG_BUSY | PG_FAKE)) == 0);
	}
	ATF_REQUIRE_EQ(new->am_anon[3], own);
	ATF_REQUIRE_EQ(e[0].aref.ar_amap->am_anon[0], orig[0]);
	t_ok_held(e, 2);
	/* nothing is shared any more: a second call copies nothing */
	amap_cow_now(NULL, &e[1]);
	ATF_REQUIRE_EQ(uvmexp.cow_now, 3);
	t_drop(&e[0]);
	t_drop(&e[1]);
	t_done();
}

/*
 * amap_cow_now waits and retries when anons or pages run out, and
 * succeeds once the failpoints run out; nothing leaks on the way.
 */
ATF_TC_WITHOUT_HEAD(cow_now_retries_after_failures);
ATF_TC_BODY(cow_now_retries_after_failures, tc)
{
	struct vm_map_entry e[2];
	uint64_t wait0;

	h_boot(256, 4096);
	t_entry(&e[0], 2, t_amap("xx"), 0);
	amap_ref(e[0].aref.ar_amap, 0, 2, 0);
	t_entry(&e[1], 2, e[0].aref.ar_amap, 0);
	amap_copy(NULL, &e[1], AMAP_COPY_NOMERGE, 0, 0);
	wait0 = uvmexp.pdwait;

	/* first anon fails, then two pages fail: three waits */
	failpoint_arm(FP_ANON, 0, 1);
	failpoint_arm(FP_PAGE, 0, 2);
	amap_cow_now(NULL, &e[1]);
	ATF_REQUIRE_EQ(uvmexp.pdwait, wait0 + 3);
	ATF_REQUIRE_EQ(failpoints[FP_ANON].fp_failed, 1);
	ATF_REQUIRE_EQ(failpoints[FP_PAGE].fp_failed, 2);
	ATF_REQUIRE_EQ(uvmexp.cow_now, 2);
	ATF_REQUIRE_EQ(uvmexp.nanon, 4);
	ATF_REQUIRE(t_anon_holds(e[1].aref.ar_amap->am_anon[0], 0));
	ATF_REQUIRE(t_anon_holds(e[1].aref.ar_amap->am_anon[1], 1));
	t_ok_held(e, 2);
	t_drop(&e[0]);
	t_drop(&e[1]);
	t_done();
}

/*
 * amap_extend
 */

/* growth within the spare slots, then past them (reallocation) */
ATF_TC_WITHOUT_HEAD(extend_uses_room_then_reallocates);
ATF_TC_BODY(extend_uses_room_then_reallocates, tc)
{
	struct vm_map_entry e;
	struct vm_amap *amap;
	struct vm_anon **anons;
	struct vm_anon *a;

	h_boot(256, 4096);
	amap = amap_alloc(PG(4), PG(2));
	ATF_REQUIRE(amap != NULL);
	t_entry(&e, 4, amap, 0);
	a = t_anon(1);
	amap_add(&e.aref, PG(1), a, false);
	anons = amap->am_anon;

	ATF_REQUIRE(amap_extend(&e, PG(2), AMAP_EXTEND_FORWARDS));
	e.end += PG(2);
	ATF_REQUIRE_EQ(amap->am_nslot, 6);
	ATF_REQUIRE_EQ(amap->am_maxslot, 6);
	ATF_REQUIRE_EQ(amap->am_anon, anons); /* no reallocation */
	T_PICTURE(amap, ".x....");
	t_ok_held(&e, 1);

	ATF_REQUIRE(amap_extend(&e, PG(3), AMAP_EXTEND_FORWARDS));
	e.end += PG(3);
	ATF_REQUIRE_EQ(amap->am_nslot, 9);
	ATF_REQUIRE(amap->am_maxslot >= 9);
	T_PICTURE(amap, ".x.......");
	ATF_REQUIRE_EQ(amap_lookup(&e.aref, PG(1)), a);
	amap_add(&e.aref, PG(8), t_anon(8), false);
	t_ok_held(&e, 1);
	t_drop(&e);
	t_done();
}

/* the anon of page `off' of e holds the data seeded with seed */
static bool
t_holds_at(const struct vm_map_entry *e, vaddr_t off, unsigned int seed)
{
	const struct vm_anon *anon = amap_lookup(&e->aref, off);

	return anon != NULL && t_anon_holds(anon, seed);
}

/*
 * growth backward: with no room before the entry every slot moves up,
 * by as many slots as the amap has rounded up to a word of the bitmap
 * (64), and the entry starts `more' slots before its old first; the
 * room left before it is used next, with nothing moved.
 *
 *	x.x                      3 slots, the entry from slot 0
 *	(62 empty) ..x.x         by 2: 67 slots, the entry from slot 62
 *	(61 empty) ...x.x        by 1: the same slots, the entry from 61
 */
ATF_TC_WITHOUT_HEAD(extend_backwards_moves_slots_then_uses_room);
ATF_TC_BODY(extend_backwards_moves_slots_then_uses_room, tc)
{
	struct vm_map_entry e;
	struct vm_amap *amap;
	struct vm_anon **anons;

	h_boot(256, 4096);
	amap = t_amap("x.x");
	t_entry(&e, 3, amap, 0);
	ATF_REQUIRE(amap_extend(&e, PG(2), AMAP_EXTEND_BACKWARDS));
	e.start -= PG(2);
	ATF_REQUIRE_EQ(amap->am_nslot, 67);
	ATF_REQUIRE_EQ(e.aref.ar_pageoff, 62);
	ATF_REQUIRE(amap_lookup(&e.aref, 0) == NULL);
	ATF_REQUIRE(amap_lookup(&e.aref, PG(1)) == NULL);
	ATF_REQUIRE(t_holds_at(&e, PG(2), 0));
	ATF_REQUIRE(amap_lookup(&e.aref, PG(3)) == NULL);
	ATF_REQUIRE(t_holds_at(&e, PG(4), 2));
	ATF_REQUIRE_EQ(amap->am_nused, 2);
	t_ok_held(&e, 1);

	anons = amap->am_anon;
	ATF_REQUIRE(amap_extend(&e, PG(1), AMAP_EXTEND_BACKWARDS));
	e.start -= PG(1);
	ATF_REQUIRE_EQ(amap->am_nslot, 67);
	ATF_REQUIRE_EQ(amap->am_anon, anons);
	ATF_REQUIRE_EQ(e.aref.ar_pageoff, 61);
	ATF_REQUIRE(t_holds_at(&e, PG(3), 0));
	ATF_REQUIRE(t_holds_at(&e, PG(5), 2));
	amap_add(&e.aref, 0, t_anon(9), false);
	t_ok_held(&e, 1);
	/* forward still works: the entry reaches the last slot */
	ATF_REQUIRE(amap_extend(&e, PG(1), AMAP_EXTEND_FORWARDS));
	e.end += PG(1);
	ATF_REQUIRE_EQ(amap->am_nslot, 68);
	t_ok_held(&e, 1);
	t_drop(&e);
	t_done();
}

/*
 * extension is refused unless the entry is the only holder and reaches
 * the amap's end; the amap failpoint makes reallocation fail.
 */
ATF_TC_WITHOUT_HEAD(extend_refused_when_shared_or_not_at_end);
ATF_TC_BODY(extend_refused_when_shared_or_not_at_end, tc)
{
	struct vm_map_entry e[2];
	struct vm_amap *amap;

	h_boot(256, 4096);
	amap = t_amap("x...");
	t_entry(&e[0], 4, amap, 0);

	/* two holders */
	amap_ref(amap, 0, 4, AMAP_SHARED);
	t_entry(&e[1], 4, amap, 0);
	ATF_REQUIRE(!amap_extend(&e[0], PG(1), AMAP_EXTEND_FORWARDS));
	t_drop(&e[1]);

	/* the only holder, but not at the end: [==]..  */
	t_split(&e[0], &e[1], 2);
	t_drop(&e[1]);
	ATF_REQUIRE_EQ(amap_refs(amap), 1);
	ATF_REQUIRE(!amap_extend(&e[0], PG(1), AMAP_EXTEND_FORWARDS));

	/* out of memory: another amap, which must grow to extend */
	t_entry(&e[1], 2, amap_alloc(PG(2), 0), 0);
	failpoint_arm(FP_AMAP, 0, 1);
	ATF_REQUIRE(!amap_extend(&e[1], PG(1), AMAP_EXTEND_FORWARDS));
	ATF_REQUIRE_EQ(e[1].aref.ar_amap->am_nslot, 2);
	ATF_REQUIRE_EQ(e[1].aref.ar_amap->am_maxslot, 2);
	ATF_REQUIRE(amap_extend(&e[1], PG(1), AMAP_EXTEND_FORWARDS));
	e[1].end += PG(1);

	ATF_REQUIRE_EQ(amap->am_nslot, 4);
	t_ok_held(e, 2);
	t_drop(&e[0]);
	t_drop(&e[1]);
	t_done();
}

/*
 * with per-page counts, the new slots count the extended entry:
 *
 *	. . x x      ->      . . x x . .
 *	    [==]                 [======]
 */
ATF_TC_WITHOUT_HEAD(extend_with_ppref_counts_new_pages);
ATF_TC_BODY(extend_with_ppref_counts_new_pages, tc)
{
	struct vm_map_entry e[2];
	struct vm_amap *amap;

	h_boot(256, 4096);
	amap = t_amap("xxxx");
	t_entry(&e[0], 4, amap, 0);
	t_split(&e[0], &e[1], 2);
	t_drop(&e[0]);
	T_PICTURE(amap, "..xx");
	ATF_REQUIRE(amap_extend(&e[1], PG(2), AMAP_EXTEND_FORWARDS));
	e[1].end += PG(2);
	ATF_REQUIRE_EQ(amap->am_nslot, 6);
	t_ok_held(e, 2);
	amap_add(&e[1].aref, PG(3), t_anon(5), false);
	T_PICTURE(amap, "..xx.x");
	/* a later clip of the new pages still counts right */
	t_split(&e[1], &e[0], 3);
	t_ok_held(e, 2);
	t_drop(&e[0]);
	T_PICTURE(amap, "..xx..");
	t_drop(&e[1]);
	t_done();
}

/*
 * teardown
 */

/* amap_wipeout releases every anon; only anons no one else has die */
ATF_TC_WITHOUT_HEAD(wipeout_frees_anons_and_pages);
ATF_TC_BODY(wipeout_frees_anons_and_pages, tc)
{
	struct vm_map_entry e[2];
	struct vm_anon *shared;
	int free0;

	h_boot(256, 4096);
	free0 = uvmexp.free;
	t_entry(&e[0], 4, t_amap("xx.x"), 0);
	amap_ref(e[0].aref.ar_amap, 0, 4, 0);
	t_entry(&e[1], 4, e[0].aref.ar_amap, 0);
	amap_copy(NULL, &e[1], AMAP_COPY_NOMERGE, 0, 0);
	/* e[1]'s amap gets one anon of its own */
	amap_add(&e[1].aref, PG(2), t_anon(2), false);
	shared = e[0].aref.ar_amap->am_anon[0];
	ATF_REQUIRE_EQ(shared->an_ref, 2);
	ATF_REQUIRE_EQ(uvmexp.nanon, 4);
	ATF_REQUIRE_EQ(uvmexp.free, free0 - 4);

	amap_wipeout(e[1].aref.ar_amap);
	e[1].aref.ar_amap = NULL;
	ATF_REQUIRE_EQ(uvmexp.namap, 1);
	ATF_REQUIRE_EQ(uvmexp.nanon, 3);
	ATF_REQUIRE_EQ(uvmexp.free, free0 - 3);
	ATF_REQUIRE_EQ(shared->an_ref, 1);
	t_ok_held(e, 2);

	amap_wipeout(e[0].aref.ar_amap);
	ATF_REQUIRE_EQ(uvmexp.free, free0);
	t_done();
}

/*
 * failure injection
 */

ATF_TC_WITHOUT_HEAD(alloc_fails_at_failpoint);
ATF_TC_BODY(alloc_fails_at_failpoint, tc)
{
	struct vm_amap *amap;

	h_boot(256, 4096);
	failpoint_arm(FP_AMAP, 1, 1);
	amap = amap_alloc(PG(1), 0);
	ATF_REQUIRE(amap != NULL);
	ATF_REQUIRE(amap_alloc(PG(1), 0) == NULL);
	ATF_REQUIRE_EQ(uvmexp.namap, 1);
	amap_unref(amap, 0, 1, true);
	failpoint_arm(FP_ANON, 0, 1);
	ATF_REQUIRE(uvm_analloc() == NULL);
	ATF_REQUIRE_EQ(uvmexp.nanon, 0);
	t_done();
}

/* amap_copy that cannot allocate leaves the entry needs-copy, as it was */
ATF_TC_WITHOUT_HEAD(copy_fails_cleanly);
ATF_TC_BODY(copy_fails_cleanly, tc)
{
	struct vm_map_entry e[2];
	struct vm_amap *amap;

	h_boot(256, 4096);
	/* no amap yet */
	t_entry(&e[0], 4, NULL, 0);
	failpoint_arm(FP_AMAP, 0, 1);
	amap_copy(NULL, &e[0], AMAP_COPY_NOMERGE, 0, 0);
	ATF_REQUIRE(UVM_ET_ISNEEDSCOPY(&e[0]));
	ATF_REQUIRE(e[0].aref.ar_amap == NULL);
	ATF_REQUIRE_EQ(uvmexp.namap, 0);

	/* a shared amap */
	amap = t_amap("x.x.");
	t_entry(&e[0], 4, amap, 0);
	amap_ref(amap, 0, 4, 0);
	t_entry(&e[1], 4, amap, 0);
	failpoint_arm(FP_AMAP, 0, 1);
	amap_copy(NULL, &e[1], AMAP_COPY_NOMERGE, 0, 0);
	ATF_REQUIRE(UVM_ET_ISNEEDSCOPY(&e[1]));
	ATF_REQUIRE_EQ(e[1].aref.ar_amap, amap);
	ATF_REQUIRE_EQ(amap_refs(amap), 2);
	ATF_REQUIRE_EQ(amap->am_anon[0]->an_ref, 1);
	ATF_REQUIRE_EQ(uvmexp.namap, 1);
	t_ok_held(e, 2);
	/* and works when asked again */
	amap_copy(NULL, &e[1], AMAP_COPY_NOMERGE, 0, 0);
	ATF_REQUIRE(!UVM_ET_ISNEEDSCOPY(&e[1]));
	ATF_REQUIRE_EQ(amap->am_anon[0]->an_ref, 2);
	t_ok_held(e, 2);
	t_drop(&e[0]);
	t_drop(&e[1]);
	t_done();
}

/*
 * the checker
 */

/* each corruption is reported, and nothing once it is repaired */
ATF_TC_WITHOUT_HEAD(check_catches_corruption);
ATF_TC_BODY(check_catches_corruption, tc)
{
	struct vm_map_entry e[2];
	struct vm_amap *amap;
	struct kcheck kc;

	h_boot(256, 4096);
	amap = t_amap("x.x.x");
	t_entry(&e[0], 5, amap, 0);
	t_ok_held(e, 1);

	/* a used slot whose bit is clear, an empty one whose bit is set */
	amap->am_used[0] &= ~(uint64_t)(1 << 2);
	ATF_REQUIRE(t_problems(&kc) > 0);
	ATF_REQUIRE_MSG(strstr(kc.kc_msg, "slot 2's bit") != NULL, "%s",
	    kc.kc_msg);
	amap->am_used[0] |= 1 << 2;
	ATF_REQUIRE_EQ(t_problems(&kc), 0);
	amap->am_used[0] |= 1 << 3;
	ATF_REQUIRE(t_problems(&kc) > 0);
	ATF_REQUIRE_MSG(strstr(kc.kc_msg, "slot 3's bit") != NULL, "%s",
	    kc.kc_msg);
	amap->am_used[0] &= ~(uint64_t)(1 << 3);
	ATF_REQUIRE_EQ(t_problems(&kc), 0);

	/* a wrong count of used slots */
	amap->am_nused--;
	ATF_REQUIRE(t_problems(&kc) > 0);
	amap->am_nused++;
	ATF_REQUIRE_EQ(t_problems(&kc), 0);

	/* an anon whose an_ref is one too many */
	amap->am_anon[4]->an_ref++;
	ATF_REQUIRE(t_problems(&kc) > 0);
	ATF_REQUIRE_MSG(strstr(kc.kc_msg, "an_ref 2 but 1 slots") != NULL, "%s",
	    kc.kc_msg);
	amap->am_anon[4]->an_ref--;
	ATF_REQUIRE_EQ(t_problems(&kc), 0);

	/* a reference count that the holders do not make up */
	amap->am_ref++;
	ATF_REQUIRE(t_problems_held(&kc, e, 1) > 0);
	ATF_REQUIRE_MSG(strstr(kc.kc_msg, "am_ref 2 but 1 holders") != NULL,
	    "%s", kc.kc_msg);
	amap->am_ref--;
	ATF_REQUIRE_EQ(t_problems_held(&kc, e, 1), 0);

	/* a per-page count that the holders do not make up */
	t_split(&e[0], &e[1], 2);
	ATF_REQUIRE_EQ(t_problems_held(&kc, e, 2), 0);
	amap->am_ppref[0]++;
	ATF_REQUIRE(t_problems_held(&kc, e, 2) > 0);
	ATF_REQUIRE_MSG(strstr(kc.kc_msg, "ppref 2 but 1 holders") != NULL,
	    "%s", kc.kc_msg);
	amap->am_ppref[0]--;
	ATF_REQUIRE_EQ(t_problems_held(&kc, e, 2), 0);

	t_drop(&e[1]);
	t_drop(&e[0]);
	t_done();
}

/*
 * with real maps
 */

static struct vmspace *
t_vmspace(void)
{
	return uvmspace_alloc(VM_MIN_ADDRESS, VM_MAXUSER_ADDRESS);
}

static struct vm_map_entry *
t_map_entry(struct vmspace *vm, vaddr_t va)
{
	struct vm_map_entry *e;

	ATF_REQUIRE_MSG(uvm_map_lookup_entry(&vm->vm_map, va, &e),
	    "no entry at 0x%llx", (unsigned long long)va);
	return e;
}

static struct vm_map_entry *
t_map_anon(struct vmspace *vm, int npages, int flags)
{
	vaddr_t va = BASE;

	ATF_REQUIRE_EQ(uvm_map(&vm->vm_map, &va, PG(npages), NULL, 0, 0,
			   ANON_COW(flags)),
	    0);
	return t_map_entry(vm, BASE);
}

static void
t_maps_ok(void)
{
	struct kcheck kc;

	kcheck_init(&kc);
	ATF_REQUIRE_MSG(uvm_map_check_all(&kc) == 0, "%u problems: %s",
	    kc.kc_nerr, kc.kc_msg);
}

/* amap_copy with chunking, as the fault handler calls it */
static void
t_copy_chunk(struct vmspace *vm, struct vm_map_entry *e, vaddr_t va)
{
	vm_map_lock(&vm->vm_map);
	amap_copy(&vm->vm_map, e, AMAP_COPY_CHUNK, va, va + PAGE_SIZE);
	vm_map_unlock(&vm->vm_map);
}

/*
 * a write at page 100 of a 512-page needs-copy entry with no amap gets
 * an amap for the 16-page chunk around it only:
 *
 *	[0 ............................ 512)
 *	[0 ... 96)[96 .. 112)[112 ..... 512)
 *	needs-copy  amap(16)  needs-copy
 */
ATF_TC_WITHOUT_HEAD(copy_chunks_new_amap);
ATF_TC_BODY(copy_chunks_new_amap, tc)
{
	struct vm_map_entry *e;
	struct vmspace *vm;

	h_boot(256, 4096);
	vm = t_vmspace();
	e = t_map_anon(vm, 512, 0);
	ATF_REQUIRE(UVM_ET_ISNEEDSCOPY(e) && e->aref.ar_amap == NULL);
	t_copy_chunk(vm, e, BASE + PG(100));
	ATF_REQUIRE_EQ(e->start, BASE + PG(96));
	ATF_REQUIRE_EQ(e->end, BASE + PG(112));
	ATF_REQUIRE(!UVM_ET_ISNEEDSCOPY(e));
	ATF_REQUIRE_EQ(e->aref.ar_amap->am_nslot, UVM_AMAP_CHUNK);
	ATF_REQUIRE_EQ(vm->vm_map.nentries, 3);
	ATF_REQUIRE(
	    UVM_ET_ISNEEDSCOPY(e->prev) && e->prev->aref.ar_amap == NULL);
	ATF_REQUIRE(
	    UVM_ET_ISNEEDSCOPY(e->next) && e->next->aref.ar_amap == NULL);
	t_maps_ok();
	uvmspace_free(vm);
	t_done();
}

/*
 * the brief's case: a 512-page amap with an anon, shared with a child
 * by fork; the parent's write at page 100 copies a 16-page chunk.
 *
 *	parent  [0 ... 96)[96 .. 112)[112 ..... 512)
 *	          old amap  new amap    old amap
 *	child   [0 ............................ 512)  old amap
 */
ATF_TC_WITHOUT_HEAD(copy_chunks_shared_amap);
ATF_TC_BODY(copy_chunks_shared_amap, tc)
{
	struct vm_map_entry *e;
	struct vmspace *parent, *child;
	struct vm_amap *old;
	struct vm_anon *anon;

	h_boot(256, 4096);
	parent = t_vmspace();
	e = t_map_anon(parent, 512, UVM_FLAG_OVERLAY);
	old = e->aref.ar_amap;
	ATF_REQUIRE(old != NULL && !UVM_ET_ISNEEDSCOPY(e));
	anon = t_anon(100);
	amap_add(&e->aref, PG(100), anon, false);
	child = uvmspace_fork(parent);
	ATF_REQUIRE(child != NULL);
	ATF_REQUIRE(UVM_ET_ISNEEDSCOPY(e));
	ATF_REQUIRE_EQ(amap_refs(old), 2);

	t_copy_chunk(parent, e, BASE + PG(100));
	ATF_REQUIRE_EQ(e->start, BASE + PG(96));
	ATF_REQUIRE_EQ(e->end, BASE + PG(112));
	ATF_REQUIRE_EQ(t_npages(e), UVM_AMAP_CHUNK);
	ATF_REQUIRE(!UVM_ET_ISNEEDSCOPY(e));
	ATF_REQUIRE(e->aref.ar_amap != old);
	ATF_REQUIRE_EQ(e->aref.ar_amap->am_nslot, UVM_AMAP_CHUNK);
	ATF_REQUIRE_EQ(amap_lookup(&e->aref, PG(4)), anon);
	ATF_REQUIRE_EQ(anon->an_ref, 2);
	ATF_REQUIRE_EQ(parent->vm_map.nentries, 3);
	ATF_REQUIRE_EQ(e->prev->aref.ar_amap, old);
	ATF_REQUIRE_EQ(e->next->aref.ar_amap, old);
	ATF_REQUIRE_EQ(e->next->aref.ar_pageoff, 112);
	ATF_REQUIRE(UVM_ET_ISNEEDSCOPY(e->prev) && UVM_ET_ISNEEDSCOPY(e->next));
	ATF_REQUIRE_EQ(amap_refs(old), 3);
	t_maps_ok();

	/* the child exits: the chunk's old slots lose their last holder */
	uvmspace_free(child);
	ATF_REQUIRE_EQ(anon->an_ref, 1);
	ATF_REQUIRE(old->am_anon[100] == NULL);
	t_maps_ok();
	h_check();
	uvmspace_free(parent);
	t_done();
}

/* the only holder of a large amap takes it over whole: no clipping */
ATF_TC_WITHOUT_HEAD(copy_sole_holder_is_not_chunked);
ATF_TC_BODY(copy_sole_holder_is_not_chunked, tc)
{
	struct vm_map_entry *e;
	struct vmspace *parent, *child;
	struct vm_amap *amap;

	h_boot(256, 4096);
	parent = t_vmspace();
	e = t_map_anon(parent, 512, UVM_FLAG_OVERLAY);
	amap = e->aref.ar_amap;
	child = uvmspace_fork(parent);
	ATF_REQUIRE(child != NULL);
	uvmspace_free(child);
	ATF_REQUIRE(UVM_ET_ISNEEDSCOPY(e));
	ATF_REQUIRE_EQ(amap_refs(amap), 1);
	t_copy_chunk(parent, e, BASE + PG(100));
	ATF_REQUIRE(!UVM_ET_ISNEEDSCOPY(e));
	ATF_REQUIRE_EQ(e->aref.ar_amap, amap);
	ATF_REQUIRE_EQ(parent->vm_map.nentries, 1);
	t_maps_ok();
	uvmspace_free(parent);
	t_done();
}

/* chunking that cannot have its map entries leaves everything as it was */
ATF_TC_WITHOUT_HEAD(copy_chunk_without_entries_fails_cleanly);
ATF_TC_BODY(copy_chunk_without_entries_fails_cleanly, tc)
{
	struct vm_map_entry *e;
	struct vmspace *vm;
	int nmapent0;

	h_boot(256, 4096);
	vm = t_vmspace();
	e = t_map_anon(vm, 512, 0);
	nmapent0 = uvmexp.nmapent;
	failpoint_arm(FP_MAPENT, 0, 1);
	t_copy_chunk(vm, e, BASE + PG(300));
	ATF_REQUIRE(UVM_ET_ISNEEDSCOPY(e));
	ATF_REQUIRE(e->aref.ar_amap == NULL);
	ATF_REQUIRE_EQ(vm->vm_map.nentries, 1);
	ATF_REQUIRE_EQ(uvmexp.nmapent, nmapent0);
	ATF_REQUIRE_EQ(uvmexp.namap, 0);
	t_maps_ok();
	/* at the last chunk the entry is clipped at its start only */
	t_copy_chunk(vm, e, BASE + PG(511));
	ATF_REQUIRE_EQ(e->start, BASE + PG(496));
	ATF_REQUIRE_EQ(e->end, BASE + PG(512));
	ATF_REQUIRE_EQ(vm->vm_map.nentries, 2);
	t_maps_ok();
	uvmspace_free(vm);
	t_done();
}

/*
 * fork of a wired entry: the child's amap copies the shared pages at
 * once (amap_cow_now), so the parent's wired pages stay its own.
 */
ATF_TC_WITHOUT_HEAD(fork_of_wired_entry_copies_now);
ATF_TC_BODY(fork_of_wired_entry_copies_now, tc)
{
	struct vm_map_entry *pe, *ce;
	struct vmspace *parent, *child;
	char c;
	int i;

	h_boot(256, 4096);
	parent = t_vmspace();
	pe = t_map_anon(parent, 4, 0);
	for (i = 0; i < 4; i++) {
		c = (char)('a' + i);
		ATF_REQUIRE_EQ(uvm_store(parent, BASE + PG(i), &c, 1, NULL), 0);
	}
	ATF_REQUIRE_EQ(uvm_map_pageable(&parent->vm_map, BASE, BASE + PG(4),
			   false),
	    0);
	child = uvmspace_fork(parent);
	ATF_REQUIRE(child != NULL);
	ATF_REQUIRE_EQ(uvmexp.cow_now, 4);
	ce = t_map_entry(child, BASE);
	for (i = 0; i < 4; i++) {
		ATF_REQUIRE_EQ(amap_lookup(&pe->aref, PG(i))->an_ref, 1);
		ATF_REQUIRE_EQ(amap_lookup(&ce->aref, PG(i))->an_ref, 1);
		ATF_REQUIRE_EQ(uvm_load(child, BASE + PG(i), &c, 1, NULL), 0);
		ATF_REQUIRE_EQ(c, 'a' + i);
	}
	t_maps_ok();
	h_check();
	uvmspace_free(child);
	uvmspace_free(parent);
	t_done();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, alloc_ref_unref_counts);
	ATF_TP_ADD_TC(tp, partial_ref_establishes_ppref);
	ATF_TP_ADD_TC(tp, partial_unref_frees_dropped_pages);
	ATF_TP_ADD_TC(tp, splitref_shares_the_amap);
	ATF_TP_ADD_TC(tp, ppref_runs_merge_back);
	ATF_TP_ADD_TC(tp, ppref_random_holders);
	ATF_TP_ADD_TC(tp, add_lookup_unadd_keep_the_bitmap);
	ATF_TP_ADD_TC(tp, replace_leaves_mappings_to_caller);
	ATF_TP_ADD_TC(tp, lookup_past_the_end_panics);
	ATF_TP_ADD_TC(tp, add_to_used_slot_panics);
	ATF_TP_ADD_TC(tp, copy_without_amap_allocates);
	ATF_TP_ADD_TC(tp, copy_sole_holder_takes_over);
	ATF_TP_ADD_TC(tp, copy_shared_shares_anons);
	ATF_TP_ADD_TC(tp, cow_now_copies_shared_pages_only);
	ATF_TP_ADD_TC(tp, cow_now_retries_after_failures);
	ATF_TP_ADD_TC(tp, extend_uses_room_then_reallocates);
	ATF_TP_ADD_TC(tp, extend_backwards_moves_slots_then_uses_room);
	ATF_TP_ADD_TC(tp, extend_refused_when_shared_or_not_at_end);
	ATF_TP_ADD_TC(tp, extend_with_ppref_counts_new_pages);
	ATF_TP_ADD_TC(tp, wipeout_frees_anons_and_pages);
	ATF_TP_ADD_TC(tp, alloc_fails_at_failpoint);
	ATF_TP_ADD_TC(tp, copy_fails_cleanly);
	ATF_TP_ADD_TC(tp, check_catches_corruption);
	ATF_TP_ADD_TC(tp, copy_chunks_new_amap);
	ATF_TP_ADD_TC(tp, copy_chunks_shared_amap);
	ATF_TP_ADD_TC(tp, copy_sole_holder_is_not_chunked);
	ATF_TP_ADD_TC(tp, copy_chunk_without_entries_fails_cleanly);
	ATF_TP_ADD_TC(tp, fork_of_wired_entry_copies_now);
	return atf_no_error();
}
