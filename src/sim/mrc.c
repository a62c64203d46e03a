/*
 * mrc.c: LRU miss-ratio curves in one pass, exact or sampled (mrc.h).
 *
 * The structures, shared by both kinds:
 *
 *   m_map    open addressing on the page number (linear probing,
 *            deletion by shifting back), to the page's entry;
 *   m_ent    an entry a page: its number, its sampling hash and the
 *            time slot of its last reference;
 *   m_owner  slot -> entry (NOENT: the slot is free), slots 0..m_now-1
 *            used so far, m_cap in all;
 *   m_fen    a Fenwick tree over the slots, counting the live ones:
 *            m_fen[i] (1-based) counts slots (i - lowbit(i), i];
 *   m_heap   (sampled) the entries in a max-heap on their hash, for the
 *            page to leave the sample when it is full.
 *
 *   m_mru    (exact) the MRC_MRU most recent distinct pages, newest
 *            first, kept out of the tree: a program's next reference is
 *            most often to one of them, at distance j + 1 for the j-th,
 *            and then no slot moves at all.
 *
 * Invariant: every entry in m_map owns exactly one slot, and
 * m_owner[e.me_slot] == e, or (exact) is one of the m_nmru pages of
 * m_mru and has me_slot == MRC_INMRU; the Fenwick tree counts exactly
 * the owned slots.  Every page of m_mru is more recent than every page
 * in the tree, so a page's distance is one more than the owned slots
 * after its own plus m_nmru -- m_nent - (owned slots up to its own) + 1.
 */

#include "sim/mrc.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/tracefile.h"

#define NOENT	     UINT32_MAX
#define MRC_INMRU    (UINT32_MAX - 1) /* me_slot of a page of m_mru */
#define MRC_MRU	     8		      /* exact: pages kept out of the tree */
#define MRC_MINSLOTS 64u
#define MRC_MINMAP   64u

struct mrc_ent {
	uint64_t me_page;
	uint32_t me_slot; /* its last reference; the free list's link */
	uint32_t me_hash; /* the sampling hash, below MRC_HASHP */
};

/* a slot of the map: the page beside its entry, one probe one line */
struct mrc_mslot {
	uint64_t mk_page;
	uint32_t mk_ent; /* entry + 1; 0 is an empty slot */
};

struct mrc {
	bool m_sampled;
	uint32_t m_smax;   /* sampled: the most pages in the sample */
	uint32_t m_thresh; /* sampled: T; a page is in iff hash < T */

	struct mrc_mslot *m_map;
	size_t m_mapmask;

	struct mrc_ent *m_ent;
	uint32_t m_nent;  /* live entries */
	uint32_t m_used;  /* entries ever handed out (high water) */
	uint32_t m_ecap;  /* of m_ent */
	uint32_t m_efree; /* the free entries, linked by me_slot */

	uint32_t *m_owner;
	uint32_t *m_fen; /* m_cap + 1 counters, [0] unused */
	uint32_t m_cap;
	uint32_t m_now;

	uint32_t *m_heap; /* sampled: m_smax + 1 entries */
	uint32_t m_nheap;

	/* exact: references by distance, m_hist[0] unused */
	uint64_t *m_hist;
	size_t m_nhist;
	uint64_t m_cold;

	/* sampled: weighted references by bucket of distance, width m_width
	 * (bucket b holds ((b - 1) * w, b * w]) */
	double *m_shist;
	double m_width;
	double m_scold;

	uint64_t m_refs;
	uint32_t m_peak;
	/* exact: the most recent pages, newest first, and their entries */
	uint64_t m_mru[MRC_MRU];
	uint32_t m_mrue[MRC_MRU];
	uint32_t m_nmru;
	size_t m_bytes_peak;
};

/* mrc_hash: a 64-bit mixer (splitmix64's finaliser) */
static uint64_t
mrc_hash(uint64_t k)
{
	k ^= k >> 30;
	k *= 0xbf58476d1ce4e5b9ULL;
	k ^= k >> 27;
	k *= 0x94d049bb133111ebULL;
	k ^= k >> 31;
	return k;
}

/* the map takes the low bits of the hash, the sampler the top 24 */
static uint32_t
mrc_samplehash(uint64_t h)
{
	return (uint32_t)(h >> 40);
}

static size_t
mrc_bytes(const struct mrc *m)
{
	return sizeof(*m) + (m->m_mapmask + 1) * sizeof(*m->m_map) +
	    (size_t)m->m_ecap * sizeof(*m->m_ent) +
	    (size_t)m->m_cap * sizeof(*m->m_owner) +
	    ((size_t)m->m_cap + 1) * sizeof(*m->m_fen) +
	    (m->m_sampled ? ((size_t)m->m_smax + 1) * sizeof(*m->m_heap) +
			MRC_BUCKETS * sizeof(*m->m_shist) :
			    m->m_nhist * sizeof(*m->m_hist));
}

static void
mrc_account(struct mrc *m)
{
	size_t b = mrc_bytes(m);

	if (b > m->m_bytes_peak)
		m->m_bytes_peak = b;
}

static struct mrc *
mrc_alloc(bool sampled, uint32_t smax)
{
	struct mrc *m = calloc(1, sizeof(*m));

	if (m == NULL)
		return NULL;
	m->m_sampled = sampled;
	m->m_smax = smax;
	m->m_thresh = MRC_HASHP;
	m->m_efree = NOENT;
	m->m_width = 1.0;
	m->m_map = calloc(MRC_MINMAP, sizeof(*m->m_map));
	m->m_mapmask = MRC_MINMAP - 1;
	m->m_owner = malloc(MRC_MINSLOTS * sizeof(*m->m_owner));
	m->m_fen = calloc(MRC_MINSLOTS + 1, sizeof(*m->m_fen));
	m->m_cap = MRC_MINSLOTS;
	if (sampled) {
		m->m_heap = malloc(((size_t)smax + 1) * sizeof(*m->m_heap));
		m->m_shist = calloc(MRC_BUCKETS, sizeof(*m->m_shist));
	}
	if (m->m_map == NULL || m->m_owner == NULL || m->m_fen == NULL ||
	    (sampled && (m->m_heap == NULL || m->m_shist == NULL))) {
		mrc_free(m);
		return NULL;
	}
	mrc_account(m);
	return m;
}

struct mrc *
mrc_new(void)
{
	return mrc_alloc(false, 0);
}

struct mrc *
mrc_new_sampled(uint32_t smax)
{
	return smax == 0 ? NULL : mrc_alloc(true, smax);
}

void
mrc_free(struct mrc *m)
{
	if (m == NULL)
		return;
	free(m->m_map);
	free(m->m_ent);
	free(m->m_owner);
	free(m->m_fen);
	free(m->m_heap);
	free(m->m_hist);
	free(m->m_shist);
	free(m);
}

/*
 * The Fenwick tree
 */

static void
fen_add(struct mrc *m, uint32_t slot, int delta)
{
	uint32_t i;

	for (i = slot + 1; i <= m->m_cap; i += i & -i)
		m->m_fen[i] += (uint32_t)delta;
}

/* fen_upto: the live slots in [0, slot] */
static uint32_t
fen_upto(const struct mrc *m, uint32_t slot)
{
	uint32_t i, n = 0;

	for (i = slot + 1; i > 0; i -= i & -i)
		n += m->m_fen[i];
	return n;
}

/*
 * mrc_compact: renumber the owned slots 0, 1, ... in their order, into
 * max(MRC_MINSLOTS, 2 * (live + 1)) slots, and rebuild the tree.
 *
 * => called when every slot has been used (m_now == m_cap); afterwards
 *    at least one slot is free after m_now.
 * => returns 0, or -1 (no host memory) with nothing changed.
 */
static int
mrc_compact(struct mrc *m)
{
	uint32_t live = m->m_nent, cap, *owner, *fen, i, j, p;

	cap = 2 * (live + 1);
	if (cap < MRC_MINSLOTS)
		cap = MRC_MINSLOTS;
	owner = malloc((size_t)cap * sizeof(*owner));
	fen = calloc((size_t)cap + 1, sizeof(*fen));
	if (owner == NULL || fen == NULL) {
		free(owner);
		free(fen);
		return -1;
	}
	for (i = j = 0; i < m->m_now; i++) {
		if (m->m_owner[i] == NOENT)
			continue;
		owner[j] = m->m_owner[i];
		m->m_ent[owner[j]].me_slot = j;
		j++;
	}
	/* the tree of j ones then zeros, in linear time */
	for (i = 1; i <= j; i++)
		fen[i] = 1;
	for (i = 1; i <= cap; i++) {
		p = i + (i & -i);
		if (p <= cap)
			fen[p] += fen[i];
	}
	free(m->m_owner);
	free(m->m_fen);
	m->m_owner = owner;
	m->m_fen = fen;
	m->m_cap = cap;
	m->m_now = j;
	mrc_account(m);
	return 0;
}

/*
 * The map
 */

/* map_find: the map slot holding page, or the empty one where it goes */
static size_t
map_find(const struct mrc *m, uint64_t page, uint64_t h)
{
	size_t i;

	for (i = h & m->m_mapmask; m->m_map[i].mk_ent != 0;
	     i = (i + 1) & m->m_mapmask)
		if (m->m_map[i].mk_page == page)
			break;
	return i;
}

/* map_grow: twice the slots; returns -1 (no host memory), unchanged */
static int
map_grow(struct mrc *m)
{
	size_t n = (m->m_mapmask + 1) * 2, i, j;
	struct mrc_mslot *map = calloc(n, sizeof(*map));

	if (map == NULL)
		return -1;
	for (i = 0; i <= m->m_mapmask; i++) {
		if (m->m_map[i].mk_ent == 0)
			continue;
		for (j = mrc_hash(m->m_map[i].mk_page) & (n - 1);
		     map[j].mk_ent != 0; j = (j + 1) & (n - 1))
			continue;
		map[j] = m->m_map[i];
	}
	free(m->m_map);
	m->m_map = map;
	m->m_mapmask = n - 1;
	mrc_account(m);
	return 0;
}

/* map_delete: empty map slot i, moving back the entries probed past it */
static void
map_delete(struct mrc *m, size_t i)
{
	size_t j = i, k;

	for (;;) {
		j = (j + 1) & m->m_mapmask;
		if (m->m_map[j].mk_ent == 0)
			break;
		k = mrc_hash(m->m_map[j].mk_page) & m->m_mapmask;
		/* j's entry may move to i iff its home is not in (i, j] */
		if (i <= j ? (k > i && k <= j) : (k > i || k <= j))
			continue;
		m->m_map[i] = m->m_map[j];
		i = j;
	}
	m->m_map[i].mk_ent = 0;
}

/*
 * The sample's heap, largest hash on top
 */

static bool
heap_above(const struct mrc *m, uint32_t a, uint32_t b)
{
	return m->m_ent[a].me_hash > m->m_ent[b].me_hash;
}

static void
heap_push(struct mrc *m, uint32_t e)
{
	uint32_t i = m->m_nheap++, up;

	while (i > 0 && heap_above(m, e, m->m_heap[up = (i - 1) / 2])) {
		m->m_heap[i] = m->m_heap[up];
		i = up;
	}
	m->m_heap[i] = e;
}

static uint32_t
heap_pop(struct mrc *m)
{
	uint32_t top = m->m_heap[0], e = m->m_heap[--m->m_nheap], i = 0, c;

	while ((c = 2 * i + 1) < m->m_nheap) {
		if (c + 1 < m->m_nheap &&
		    heap_above(m, m->m_heap[c + 1], m->m_heap[c]))
			c++;
		if (!heap_above(m, m->m_heap[c], e))
			break;
		m->m_heap[i] = m->m_heap[c];
		i = c;
	}
	if (m->m_nheap > 0)
		m->m_heap[i] = e;
	return top;
}

/*
 * mrc_evict: lower the threshold to t and drop the sampled pages whose
 * hash is t or more (the largest: they are on top of the heap).
 */
static void
mrc_evict(struct mrc *m, uint32_t t)
{
	struct mrc_ent *me;
	uint32_t e;

	m->m_thresh = t;
	while (m->m_nheap > 0 && m->m_ent[m->m_heap[0]].me_hash >= t) {
		e = heap_pop(m);
		me = &m->m_ent[e];
		map_delete(m, map_find(m, me->me_page, mrc_hash(me->me_page)));
		m->m_owner[me->me_slot] = NOENT;
		fen_add(m, me->me_slot, -1);
		me->me_slot = m->m_efree;
		m->m_efree = e;
		m->m_nent--;
	}
}

/*
 * Counting
 */

/* mrc_count_exact: one reference at distance d (0: cold) */
static int
mrc_count_exact(struct mrc *m, uint32_t d)
{
	if (d == 0) {
		m->m_cold++;
		return 0;
	}
	if (d >= m->m_nhist) {
		size_t n = m->m_nhist == 0 ? 64 : m->m_nhist;
		uint64_t *h;

		while (n <= d)
			n *= 2;
		if ((h = realloc(m->m_hist, n * sizeof(*h))) == NULL)
			return -1;
		memset(h + m->m_nhist, 0, (n - m->m_nhist) * sizeof(*h));
		m->m_hist = h;
		m->m_nhist = n;
		mrc_account(m);
	}
	m->m_hist[d]++;
	return 0;
}

/* mrc_ceil: the least integer at least x (x >= 0), without libm */
static size_t
mrc_ceil(double x)
{
	size_t n = x >= (double)SIZE_MAX ? SIZE_MAX : (size_t)x;

	return (double)n < x ? n + 1 : n;
}

/*
 * mrc_count_sampled: a sampled reference at sampled distance ds (0:
 * cold), weighted 1/R at the rate now; its distance is estimated as
 * 1 + (ds - 1)/R.
 */
static void
mrc_count_sampled(struct mrc *m, uint32_t ds)
{
	double w = (double)MRC_HASHP / (double)m->m_thresh, dist;
	size_t b, i;

	if (ds == 0) {
		m->m_scold += w;
		return;
	}
	dist = 1.0 + (double)(ds - 1) * w;
	while ((b = mrc_ceil(dist / m->m_width)) >= MRC_BUCKETS) {
		/* new bucket i holds the old 2i - 1 and 2i */
		for (i = 1; i < MRC_BUCKETS / 2; i++)
			m->m_shist[i] =
			    m->m_shist[2 * i - 1] + m->m_shist[2 * i];
		m->m_shist[MRC_BUCKETS / 2] = m->m_shist[MRC_BUCKETS - 1];
		for (i = MRC_BUCKETS / 2 + 1; i < MRC_BUCKETS; i++)
			m->m_shist[i] = 0;
		m->m_width *= 2;
	}
	m->m_shist[b] += w;
}

/*
 * mrc_new_entry: a new page's entry, numbered in the map at map slot i
 * (found by map_find for page and its hash h, with room: the caller
 * grew the entries and the map first)
 */
static uint32_t
mrc_new_entry(struct mrc *m, uint64_t page, uint32_t sh, size_t i)
{
	uint32_t e;

	if (m->m_efree != NOENT) {
		e = m->m_efree;
		m->m_efree = m->m_ent[e].me_slot;
	} else
		e = m->m_used++;
	m->m_ent[e].me_page = page;
	m->m_ent[e].me_hash = sh;
	m->m_map[i].mk_page = page;
	m->m_map[i].mk_ent = e + 1;
	m->m_nent++;
	return e;
}

/*
 * mrc_room: room for one more page: an entry free or to be had, and a
 * map at most half full; i is page's map slot, found again if the map
 * grew.  => returns 0, or -1 with nothing changed (no host memory).
 */
static int
mrc_room(struct mrc *m, uint64_t page, uint64_t h, size_t *i)
{
	if (m->m_efree == NOENT && m->m_used == m->m_ecap) {
		uint32_t n = m->m_ecap == 0 ? 64 : m->m_ecap * 2;
		struct mrc_ent *ne;

		if (n < m->m_ecap ||
		    (ne = realloc(m->m_ent, (size_t)n * sizeof(*ne))) == NULL)
			return -1;
		m->m_ent = ne;
		m->m_ecap = n;
		mrc_account(m);
	}
	if ((size_t)(m->m_nent + 1) * 2 > m->m_mapmask + 1) {
		if (map_grow(m) != 0)
			return -1;
		*i = map_find(m, page, h);
	}
	return 0;
}

/*
 * mrc_ref_exact: mrc_ref for an exact curve.
 *
 * 1. a page among the MRC_MRU most recent (m_mru), j-th: distance j + 1,
 *    and it moves to the front of m_mru -- the tree is not touched;
 * 2. otherwise, room first (a free slot, an entry and map room), then a
 *    page in the tree: its distance, and its slot freed; a new page: a
 *    cold reference and an entry;
 * 3. the page goes to the front of m_mru; if that was full, its oldest
 *    page leaves for the tree, where it is the newest: the next slot.
 *
 * => returns 0, or -1 with nothing counted (no host memory).
 */
static int
mrc_ref_exact(struct mrc *m, uint64_t page)
{
	uint32_t j, e, d, old;
	struct mrc_ent *me;
	uint64_t h;
	size_t i;

	for (j = 0; j < m->m_nmru; j++)
		if (m->m_mru[j] == page) {
			if (j + 1 < m->m_nhist)
				m->m_hist[j + 1]++;
			else if (mrc_count_exact(m, j + 1) != 0)
				return -1;
			e = m->m_mrue[j];
			/* (a few words: a loop, not a call to memmove) */
			for (; j > 0; j--) {
				m->m_mru[j] = m->m_mru[j - 1];
				m->m_mrue[j] = m->m_mrue[j - 1];
			}
			m->m_mru[0] = page;
			m->m_mrue[0] = e;
			m->m_refs++;
			return 0;
		}
	if (m->m_now == m->m_cap && mrc_compact(m) != 0)
		return -1;
	h = mrc_hash(page);
	i = map_find(m, page, h);
	if (m->m_map[i].mk_ent != 0) {
		e = m->m_map[i].mk_ent - 1;
		me = &m->m_ent[e];
		d = m->m_nent - fen_upto(m, me->me_slot) + 1;
		if (mrc_count_exact(m, d) != 0)
			return -1;
		m->m_owner[me->me_slot] = NOENT;
		fen_add(m, me->me_slot, -1);
	} else {
		if (mrc_room(m, page, h, &i) != 0 || mrc_count_exact(m, 0) != 0)
			return -1;
		e = mrc_new_entry(m, page, 0, i);
		me = &m->m_ent[e];
	}
	me->me_slot = MRC_INMRU;
	if (m->m_nmru == MRC_MRU) {
		old = m->m_mrue[MRC_MRU - 1];
		m->m_ent[old].me_slot = m->m_now++;
		m->m_owner[m->m_ent[old].me_slot] = old;
		fen_add(m, m->m_ent[old].me_slot, 1);
	} else
		m->m_nmru++;
	for (j = m->m_nmru - 1; j > 0; j--) {
		m->m_mru[j] = m->m_mru[j - 1];
		m->m_mrue[j] = m->m_mrue[j - 1];
	}
	m->m_mru[0] = page;
	m->m_mrue[0] = e;
	m->m_refs++;
	if (m->m_nent > m->m_peak)
		m->m_peak = m->m_nent;
	return 0;
}

/*
 * mrc_ref: count a reference to page: an exact curve's is
 * mrc_ref_exact's; a sampled curve's:
 *
 * 1. a page whose hash is T or more is passed by;
 * 2. room first, so that nothing can fail once the structures change:
 *    a free slot (compacting), and for a new page an entry and map room;
 * 3. a page seen before: its distance from the live slots after its
 *    own, and its slot freed; a new page: a cold reference, and in a
 *    full sample the largest hashes leave first (perhaps the new page's
 *    own, which then is not sampled);
 * 4. the page takes the next slot.
 *
 * => returns 0, or -1 with nothing counted (no host memory).
 */
int
mrc_ref(struct mrc *m, uint64_t page)
{
	uint64_t h;
	uint32_t sh, e, d = 0, t;
	struct mrc_ent *me;
	size_t i;

	if (!m->m_sampled)
		return mrc_ref_exact(m, page);
	h = mrc_hash(page);
	sh = mrc_samplehash(h);
	if (sh >= m->m_thresh) {
		m->m_refs++;
		return 0;
	}
	if (m->m_now == m->m_cap && mrc_compact(m) != 0)
		return -1;
	i = map_find(m, page, h);
	if (m->m_map[i].mk_ent != 0) {
		e = m->m_map[i].mk_ent - 1;
		me = &m->m_ent[e];
		d = m->m_nent - fen_upto(m, me->me_slot) + 1;
		m->m_owner[me->me_slot] = NOENT;
		fen_add(m, me->me_slot, -1);
	} else {
		if (mrc_room(m, page, h, &i) != 0)
			return -1;
		if (m->m_nent == m->m_smax) {
			t = m->m_ent[m->m_heap[0]].me_hash;
			mrc_evict(m, sh > t ? sh : t);
			if (sh >= m->m_thresh) {
				m->m_refs++;
				return 0;
			}
			/* the map shifted back: find the page's place again */
			i = map_find(m, page, h);
		}
		e = mrc_new_entry(m, page, sh, i);
		me = &m->m_ent[e];
		heap_push(m, e);
	}
	mrc_count_sampled(m, d);
	me->me_slot = m->m_now++;
	m->m_owner[me->me_slot] = e;
	fen_add(m, me->me_slot, 1);
	m->m_refs++;
	if (m->m_nent > m->m_peak)
		m->m_peak = m->m_nent;
	return 0;
}

int
mrc_trace(struct mrc *m, const char *path, unsigned pageshift, char *why,
    size_t whylen)
{
	struct tracefile *tf;
	uint64_t pg;
	bool writes;
	int got;

	if (tracefile_open(&tf, path, why, whylen) != 0)
		return -1;
	while ((got = tracefile_next_page(tf, pageshift, &pg, &writes)) > 0)
		if (mrc_ref(m, pg) != 0) {
			snprintf(why, whylen, "out of host memory");
			got = -2;
			break;
		}
	if (got == -1)
		snprintf(why, whylen, "%s", tracefile_error(tf));
	tracefile_close(tf);
	return got == 0 ? 0 : -1;
}

/*
 * The curve
 */

/*
 * mrc_sampled_ratio: the estimated misses over the references counted
 * (SHARDS_adj: the sample's weight, sum 1/R, is N only on average; the
 * difference is put at distance 1, a hit at every size, which leaves
 * the misses as they are and divides by N).
 */
static double
mrc_sampled_ratio(const struct mrc *m, uint64_t frames)
{
	double f = (double)frames, w = m->m_width, miss = m->m_scold, lo;
	size_t b;

	if (m->m_refs == 0)
		return 0.0;
	for (b = 1; b < MRC_BUCKETS; b++) {
		if (m->m_shist[b] == 0)
			continue;
		lo = (double)(b - 1) * w;
		if (lo >= f)
			miss += m->m_shist[b];
		else if ((double)b * w > f)
			miss += m->m_shist[b] * ((double)b * w - f) / w;
	}
	/* over the references counted, not the weighted sampled ones: what
	 * the sample over- or undershot is taken as hits at distance 1 */
	return miss >= (double)m->m_refs ? 1.0 : miss / (double)m->m_refs;
}

uint64_t
mrc_misses(const struct mrc *m, uint64_t frames)
{
	uint64_t miss;
	size_t d;

	if (m->m_sampled)
		return (
		    uint64_t)(mrc_sampled_ratio(m, frames) * (double)m->m_refs +
		    0.5);
	miss = m->m_cold;
	if (frames >= m->m_nhist)
		return miss;
	for (d = (size_t)frames + 1; d < m->m_nhist; d++)
		miss += m->m_hist[d];
	return miss;
}

double
mrc_miss_ratio(const struct mrc *m, uint64_t frames)
{
	if (m->m_refs == 0)
		return 0.0;
	if (m->m_sampled)
		return mrc_sampled_ratio(m, frames);
	return (double)mrc_misses(m, frames) / (double)m->m_refs;
}

uint64_t
mrc_refs(const struct mrc *m)
{
	return m->m_refs;
}

uint64_t
mrc_distinct(const struct mrc *m)
{
	return m->m_sampled ? (uint64_t)(m->m_scold + 0.5) : m->m_cold;
}

void
mrc_stats(const struct mrc *m, struct mrc_stats *ms)
{
	ms->ms_threshold = m->m_thresh;
	ms->ms_sampled = m->m_nent;
	ms->ms_sampled_peak = m->m_peak;
	ms->ms_bytes = mrc_bytes(m);
	ms->ms_bytes_peak = m->m_bytes_peak;
}
