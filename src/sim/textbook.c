/*
 * textbook.c: textbook demand paging of a reference string (see
 * textbook.h): page ids, the OPT oracle and the four policies.
 */

#include "sim/textbook.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NOID UINT32_MAX /* no page: the end of a list, an empty slot */

/*
 * refmap: open addressing on the page number, ids in order of first use
 */
struct refmap {
	uint64_t *rm_keys; /* page + 1; 0 is an empty slot */
	uint32_t *rm_vals;
	size_t rm_mask;	   /* slots - 1, a power of two minus one */
	uint64_t *rm_page; /* id -> page */
	uint32_t rm_count;
	uint32_t rm_cap; /* of rm_page */
};

#define RM_FIRST 1024 /* slots to start with */

static uint64_t
rm_hash(uint64_t k)
{
	/* a 64-bit finaliser (murmur3's): consecutive pages spread out */
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return k;
}

struct refmap *
refmap_new(void)
{
	struct refmap *rm = calloc(1, sizeof(*rm));

	if (rm == NULL)
		return NULL;
	rm->rm_keys = calloc(RM_FIRST, sizeof(*rm->rm_keys));
	rm->rm_vals = malloc(RM_FIRST * sizeof(*rm->rm_vals));
	rm->rm_mask = RM_FIRST - 1;
	if (rm->rm_keys == NULL || rm->rm_vals == NULL) {
		refmap_free(rm);
		return NULL;
	}
	return rm;
}

void
refmap_free(struct refmap *rm)
{
	if (rm == NULL)
		return;
	free(rm->rm_keys);
	free(rm->rm_vals);
	free(rm->rm_page);
	free(rm);
}

/* rm_grow: twice the slots, when they are half full */
static int
rm_grow(struct refmap *rm)
{
	size_t n = (rm->rm_mask + 1) * 2, i, j;
	uint64_t *keys = calloc(n, sizeof(*keys));
	uint32_t *vals = malloc(n * sizeof(*vals));

	if (keys == NULL || vals == NULL) {
		free(keys);
		free(vals);
		return -1;
	}
	for (i = 0; i <= rm->rm_mask; i++) {
		if (rm->rm_keys[i] == 0)
			continue;
		for (j = rm_hash(rm->rm_keys[i] - 1) & (n - 1); keys[j] != 0;
		     j = (j + 1) & (n - 1))
			continue;
		keys[j] = rm->rm_keys[i];
		vals[j] = rm->rm_vals[i];
	}
	free(rm->rm_keys);
	free(rm->rm_vals);
	rm->rm_keys = keys;
	rm->rm_vals = vals;
	rm->rm_mask = n - 1;
	return 0;
}

int64_t
refmap_id(struct refmap *rm, uint64_t page)
{
	size_t i;

	for (i = rm_hash(page) & rm->rm_mask; rm->rm_keys[i] != 0;
	     i = (i + 1) & rm->rm_mask)
		if (rm->rm_keys[i] == page + 1)
			return rm->rm_vals[i];
	/* page + 1 must not wrap to the empty mark: the last page is kept
	 * as it is, and found by the loop above, since no key is 0 */
	if (page == UINT64_MAX || rm->rm_count == NOID)
		return -1;
	if (rm->rm_count == rm->rm_cap) {
		uint32_t cap = rm->rm_cap == 0 ? RM_FIRST : rm->rm_cap * 2;
		uint64_t *p;

		if (cap < rm->rm_cap)
			cap = NOID;
		p = realloc(rm->rm_page, (size_t)cap * sizeof(*p));
		if (p == NULL)
			return -1;
		rm->rm_page = p;
		rm->rm_cap = cap;
	}
	rm->rm_keys[i] = page + 1;
	rm->rm_vals[i] = rm->rm_count;
	rm->rm_page[rm->rm_count] = page;
	if ((size_t)++rm->rm_count * 2 > rm->rm_mask + 1 && rm_grow(rm) != 0)
		return -1;
	return rm->rm_count - 1;
}

uint32_t
refmap_count(const struct refmap *rm)
{
	return rm->rm_count;
}

uint64_t
refmap_page(const struct refmap *rm, uint32_t id)
{
	return rm->rm_page[id];
}

/*
 * The oracle
 *
 * 1. read the trace forwards, writing each reference's page id to the
 *    ids file;
 * 2. read the ids file backwards a chunk at a time, keeping each page's
 *    latest (so far: earliest) use, and write each reference's next use
 *    to the same index of the next-use file;
 * 3. read both forwards.
 */
#define OR_CHUNK (1u << 16) /* references per read or write */
#define OR_WRITE (1u << 31) /* in the ids file: the reference writes */

struct oracle {
	struct refmap *or_map;
	FILE *or_ids;  /* uint32_t per reference */
	FILE *or_next; /* uint64_t per reference */
	uint64_t or_len;
	uint64_t or_pos; /* oracle_next's place */
};

static FILE *
or_tmpfile(char *why, size_t whylen)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	FILE *f;
	int fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	snprintf(path, sizeof(path), "%s/uvmsim-oracle.XXXXXX", dir);
	if ((fd = mkstemp(path)) < 0) {
		snprintf(why, whylen, "cannot make a temporary file in %s: %s",
		    dir, strerror(errno));
		return NULL;
	}
	(void)unlink(path);
	if ((f = fdopen(fd, "w+b")) == NULL) {
		snprintf(why, whylen, "cannot open a temporary file: %s",
		    strerror(errno));
		close(fd);
	}
	return f;
}

static int
or_io_error(FILE *f, const char *what, char *why, size_t whylen)
{
	snprintf(why, whylen, "cannot %s the oracle's temporary file: %s", what,
	    ferror(f) && errno != 0 ? strerror(errno) : "short count");
	return -1;
}

/* or_backwards: step 2 */
static int
or_backwards(struct oracle *orc, char *why, size_t whylen)
{
	uint32_t n = refmap_count(orc->or_map), *ids;
	uint64_t *last, *next, end = orc->or_len;
	size_t k, i;
	int error = -1;

	last = malloc((n > 0 ? n : 1) * sizeof(*last));
	ids = malloc(OR_CHUNK * sizeof(*ids));
	next = malloc(OR_CHUNK * sizeof(*next));
	if (last == NULL || ids == NULL || next == NULL) {
		snprintf(why, whylen, "out of host memory for the oracle");
		goto out;
	}
	for (i = 0; i < n; i++)
		last[i] = TB_NEVER;
	while (end > 0) {
		k = end < OR_CHUNK ? (size_t)end : OR_CHUNK;
		end -= k;
		if (fseeko(orc->or_ids, (off_t)(end * sizeof(*ids)),
			SEEK_SET) != 0 ||
		    fread(ids, sizeof(*ids), k, orc->or_ids) != k) {
			or_io_error(orc->or_ids, "read", why, whylen);
			goto out;
		}
		for (i = k; i-- > 0;) {
			uint32_t id = ids[i] & ~OR_WRITE;

			next[i] = last[id];
			last[id] = end + i;
		}
		if (fseeko(orc->or_next, (off_t)(end * sizeof(*next)),
			SEEK_SET) != 0 ||
		    fwrite(next, sizeof(*next), k, orc->or_next) != k) {
			or_io_error(orc->or_next, "write", why, whylen);
			goto out;
		}
	}
	if (fflush(orc->or_next) != 0) {
		or_io_error(orc->or_next, "write", why, whylen);
		goto out;
	}
	error = 0;
out:
	free(last);
	free(ids);
	free(next);
	return error;
}

int
oracle_build(struct oracle **op, struct tracefile *tf, unsigned pageshift,
    char *why, size_t whylen)
{
	struct oracle *orc;
	uint64_t p;
	uint32_t id;
	int64_t got;
	bool writes;
	int more;

	*op = NULL;
	if ((orc = calloc(1, sizeof(*orc))) == NULL ||
	    (orc->or_map = refmap_new()) == NULL) {
		snprintf(why, whylen, "out of host memory for the oracle");
		goto fail;
	}
	if ((orc->or_ids = or_tmpfile(why, whylen)) == NULL ||
	    (orc->or_next = or_tmpfile(why, whylen)) == NULL)
		goto fail;
	while ((more = tracefile_next_page(tf, pageshift, &p, &writes)) > 0) {
		if ((got = refmap_id(orc->or_map, p)) < 0 || got >= OR_WRITE) {
			snprintf(why, whylen,
			    "out of host memory for the oracle's pages");
			goto fail;
		}
		id = (uint32_t)got | (writes ? OR_WRITE : 0);
		if (fwrite(&id, sizeof(id), 1, orc->or_ids) != 1) {
			or_io_error(orc->or_ids, "write", why, whylen);
			goto fail;
		}
		orc->or_len++;
	}
	if (more < 0) {
		snprintf(why, whylen, "%s", tracefile_error(tf));
		goto fail;
	}
	if (fflush(orc->or_ids) != 0) {
		or_io_error(orc->or_ids, "write", why, whylen);
		goto fail;
	}
	if (or_backwards(orc, why, whylen) != 0 ||
	    oracle_rewind(orc, why, whylen) != 0)
		goto fail;
	*op = orc;
	return 0;
fail:
	oracle_free(orc);
	return -1;
}

uint64_t
oracle_length(const struct oracle *orc)
{
	return orc->or_len;
}

uint32_t
oracle_pages(const struct oracle *orc)
{
	return refmap_count(orc->or_map);
}

const struct refmap *
oracle_refmap(const struct oracle *orc)
{
	return orc->or_map;
}

int
oracle_rewind(struct oracle *orc, char *why, size_t whylen)
{
	if (fseeko(orc->or_ids, 0, SEEK_SET) != 0)
		return or_io_error(orc->or_ids, "rewind", why, whylen);
	if (fseeko(orc->or_next, 0, SEEK_SET) != 0)
		return or_io_error(orc->or_next, "rewind", why, whylen);
	orc->or_pos = 0;
	return 0;
}

int
oracle_next(struct oracle *orc, uint32_t *id, bool *writes, uint64_t *next,
    char *why, size_t whylen)
{
	uint32_t v;

	if (orc->or_pos == orc->or_len)
		return 0;
	if (fread(&v, sizeof(v), 1, orc->or_ids) != 1)
		return or_io_error(orc->or_ids, "read", why, whylen);
	*id = v & ~OR_WRITE;
	*writes = (v & OR_WRITE) != 0;
	if (fread(next, sizeof(*next), 1, orc->or_next) != 1)
		return or_io_error(orc->or_next, "read", why, whylen);
	orc->or_pos++;
	return 1;
}

void
oracle_free(struct oracle *orc)
{
	if (orc == NULL)
		return;
	if (orc->or_ids != NULL)
		fclose(orc->or_ids);
	if (orc->or_next != NULL)
		fclose(orc->or_next);
	refmap_free(orc->or_map);
	free(orc);
}

/*
 * The policies
 *
 * Per-page arrays, indexed by id, grow as ids appear.  Each policy keeps
 * its resident pages in one of four shapes:
 *
 *   a list   through tb_next/tb_prev, next victim at the head: fifo
 *            (oldest first), lru (least recent first), mru (the same
 *            list, taken from the tail), second chance (oldest first;
 *            a referenced head moves to the tail);
 *   a ring   of frames with a hand: the clock, with a counter of
 *            tb_bits bits a page (a use sets it to its largest value,
 *            the hand decrements it and takes a page at zero; one bit is
 *            the textbook clock);
 *   a heap   of resident pages keyed by tb_key (tb_next holds each
 *            page's place): opt (largest next use on top), unopt
 *            (smallest next use), lfu (fewest uses, then the oldest
 *            arrival, tb_key2);
 *   an array of resident pages, for rand (tb_next holds each page's
 *            place), which takes one at random from a seeded generator.
 */
struct textbook {
	enum tb_policy tb_policy;
	uint64_t tb_frames;
	uint64_t tb_resident;
	struct textbook_counts tb_counts;
	unsigned tb_bits;   /* clock: bits of a page's counter */
	uint64_t tb_rng;    /* rand: the generator's state */
	uint32_t tb_victim; /* the last page replaced, or NOID */

	uint32_t tb_cap;   /* ids the arrays hold */
	uint8_t *tb_in;	   /* resident */
	uint32_t *tb_next; /* lists: the next; heap, rand: the place */
	uint32_t *tb_prev; /* lists */
	uint8_t *tb_ref;   /* clock: the counter; second chance: the bit */
	uint64_t *tb_key;  /* heap: next use (opt, unopt), uses (lfu) */
	uint64_t *tb_key2; /* lfu: when the page arrived */
	uint32_t tb_head, tb_tail;

	uint32_t *tb_ring; /* clock: frames; heap; rand: the array */
	uint64_t tb_ringcap;
	uint64_t tb_hand;
};

static const char *const tb_names[TB_NPOLICIES] = {
	[TB_FIFO] = "fifo",
	[TB_LRU] = "lru",
	[TB_CLOCK] = "clock",
	[TB_OPT] = "opt",
	[TB_MRU] = "mru",
	[TB_UNOPT] = "unopt",
	[TB_LFU] = "lfu",
	[TB_RAND] = "rand",
	[TB_SC] = "sc",
};

/* the shape of each policy's structure */
enum tb_shape { TBS_LIST, TBS_RING, TBS_HEAP, TBS_ARRAY };

static enum tb_shape
tb_shape(enum tb_policy p)
{
	switch (p) {
	case TB_CLOCK:
		return TBS_RING;
	case TB_OPT:
	case TB_UNOPT:
	case TB_LFU:
		return TBS_HEAP;
	case TB_RAND:
		return TBS_ARRAY;
	default:
		return TBS_LIST;
	}
}

const char *
tb_policy_name(enum tb_policy p)
{
	return tb_names[p];
}

int
tb_policy_byname(const char *name)
{
	int i;

	for (i = 0; i < TB_NPOLICIES; i++)
		if (strcmp(name, tb_names[i]) == 0)
			return i;
	return -1;
}

bool
tb_policy_future(enum tb_policy p)
{
	return p == TB_OPT || p == TB_UNOPT;
}

struct textbook *
textbook_new_with(enum tb_policy policy, uint64_t frames,
    const struct tb_params *tp)
{
	struct textbook *tb;

	if (frames == 0 || tp->tp_clockbits < 1 || tp->tp_clockbits > 8 ||
	    (tb = calloc(1, sizeof(*tb))) == NULL)
		return NULL;
	tb->tb_policy = policy;
	tb->tb_frames = frames;
	tb->tb_head = tb->tb_tail = NOID;
	tb->tb_victim = NOID;
	tb->tb_bits = tp->tp_clockbits;
	/* a zero state would stay zero */
	tb->tb_rng = tp->tp_seed * 0x9e3779b97f4a7c15ULL + 1;
	return tb;
}

struct textbook *
textbook_new(enum tb_policy policy, uint64_t frames)
{
	static const struct tb_params defaults = { .tp_clockbits = 1,
		.tp_seed = 1 };

	return textbook_new_with(policy, frames, &defaults);
}

void
textbook_free(struct textbook *tb)
{
	if (tb == NULL)
		return;
	free(tb->tb_in);
	free(tb->tb_next);
	free(tb->tb_prev);
	free(tb->tb_ref);
	free(tb->tb_key);
	free(tb->tb_key2);
	free(tb->tb_ring);
	free(tb);
}

static void *
tb_regrow(void *p, size_t n, size_t size, size_t old)
{
	unsigned char *q = realloc(p, n * size);

	if (q != NULL)
		memset(q + old * size, 0, (n - old) * size);
	return q;
}

/* tb_room: the per-page arrays hold id */
static int
tb_room(struct textbook *tb, uint32_t id)
{
	size_t n, old = tb->tb_cap;
	void *p;

	if (id < tb->tb_cap)
		return 0;
	n = old == 0 ? 1024 : old * 2;
	while (n <= id)
		n *= 2;
#define TB_GROW(field)                                                        \
	do {                                                                  \
		if ((p = tb_regrow(tb->field, n, sizeof(*tb->field), old)) == \
		    NULL)                                                     \
			return -1;                                            \
		tb->field = p;                                                \
	} while (0)
	TB_GROW(tb_in);
	TB_GROW(tb_next);
	TB_GROW(tb_prev);
	TB_GROW(tb_ref);
	TB_GROW(tb_key);
	TB_GROW(tb_key2);
#undef TB_GROW
	tb->tb_cap = (uint32_t)n;
	return 0;
}

/* tb_ring_room: the ring (or heap, or array) holds n entries */
static int
tb_ring_room(struct textbook *tb, uint64_t n)
{
	uint64_t cap = tb->tb_ringcap == 0 ? 1024 : tb->tb_ringcap;
	uint32_t *p;

	if (n <= tb->tb_ringcap)
		return 0;
	while (cap < n)
		cap *= 2;
	if ((p = realloc(tb->tb_ring, cap * sizeof(*p))) == NULL)
		return -1;
	tb->tb_ring = p;
	tb->tb_ringcap = cap;
	return 0;
}

/* the lists: append at the tail, take from anywhere */
static void
list_append(struct textbook *tb, uint32_t id)
{
	tb->tb_next[id] = NOID;
	tb->tb_prev[id] = tb->tb_tail;
	if (tb->tb_tail != NOID)
		tb->tb_next[tb->tb_tail] = id;
	else
		tb->tb_head = id;
	tb->tb_tail = id;
}

static void
list_remove(struct textbook *tb, uint32_t id)
{
	uint32_t n = tb->tb_next[id], p = tb->tb_prev[id];

	if (p != NOID)
		tb->tb_next[p] = n;
	else
		tb->tb_head = n;
	if (n != NOID)
		tb->tb_prev[n] = p;
	else
		tb->tb_tail = p;
}

/*
 * heap_above: a goes before b -- is evicted first.  Ties go to the
 * larger id (opt, unopt) or the older arrival (lfu), so the order is
 * the same on every host.
 */
static bool
heap_above(const struct textbook *tb, uint32_t a, uint32_t b)
{
	uint64_t ka = tb->tb_key[a], kb = tb->tb_key[b];

	switch (tb->tb_policy) {
	case TB_OPT:
		if (ka != kb)
			return ka > kb;
		return a > b;
	case TB_UNOPT:
		if (ka != kb)
			return ka < kb;
		return a > b;
	default: /* lfu */
		if (ka != kb)
			return ka < kb;
		return tb->tb_key2[a] < tb->tb_key2[b];
	}
}

static void
heap_set(struct textbook *tb, uint64_t i, uint32_t id)
{
	tb->tb_ring[i] = id;
	tb->tb_next[id] = (uint32_t)i;
}

static void
heap_up(struct textbook *tb, uint64_t i)
{
	uint32_t id = tb->tb_ring[i];

	while (i > 0 && heap_above(tb, id, tb->tb_ring[(i - 1) / 2])) {
		heap_set(tb, i, tb->tb_ring[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	heap_set(tb, i, id);
}

static void
heap_down(struct textbook *tb, uint64_t i)
{
	uint64_t n = tb->tb_resident, c;
	uint32_t id = tb->tb_ring[i];

	while ((c = 2 * i + 1) < n) {
		if (c + 1 < n &&
		    heap_above(tb, tb->tb_ring[c + 1], tb->tb_ring[c]))
			c++;
		if (!heap_above(tb, tb->tb_ring[c], id))
			break;
		heap_set(tb, i, tb->tb_ring[c]);
		i = c;
	}
	heap_set(tb, i, id);
}

static uint64_t
tb_random(struct textbook *tb)
{
	tb->tb_rng ^= tb->tb_rng << 13;
	tb->tb_rng ^= tb->tb_rng >> 7;
	tb->tb_rng ^= tb->tb_rng << 17;
	return tb->tb_rng;
}

/*
 * tb_evict: take the policy's victim out of the frames (the frames are
 * full).  A clock leaves its hand on the victim's frame, for the new
 * page; the array's victim leaves its place to the last page.
 */
static uint32_t
tb_evict(struct textbook *tb)
{
	uint32_t victim;
	uint64_t i;

	switch (tb->tb_policy) {
	case TB_CLOCK:
		while (tb->tb_ref[tb->tb_ring[tb->tb_hand]] > 0) {
			tb->tb_ref[tb->tb_ring[tb->tb_hand]]--;
			tb->tb_hand = (tb->tb_hand + 1) % tb->tb_frames;
		}
		victim = tb->tb_ring[tb->tb_hand];
		break;
	case TB_SC:
		while (tb->tb_ref[tb->tb_head]) {
			victim = tb->tb_head;
			tb->tb_ref[victim] = 0;
			list_remove(tb, victim);
			list_append(tb, victim);
		}
		victim = tb->tb_head;
		list_remove(tb, victim);
		break;
	case TB_MRU:
		victim = tb->tb_tail;
		list_remove(tb, victim);
		break;
	case TB_OPT:
	case TB_UNOPT:
	case TB_LFU:
		victim = tb->tb_ring[0];
		if (tb->tb_resident > 1) {
			heap_set(tb, 0, tb->tb_ring[tb->tb_resident - 1]);
			tb->tb_resident--;
			heap_down(tb, 0);
			tb->tb_resident++;
		}
		break;
	case TB_RAND:
		i = tb_random(tb) % tb->tb_resident;
		victim = tb->tb_ring[i];
		tb->tb_ring[i] = tb->tb_ring[tb->tb_resident - 1];
		tb->tb_next[tb->tb_ring[i]] = (uint32_t)i;
		break;
	default: /* fifo, lru */
		victim = tb->tb_head;
		list_remove(tb, victim);
		break;
	}
	tb->tb_in[victim] = 0;
	tb->tb_resident--;
	return victim;
}

/* tb_hit: id, resident, is used again */
static void
tb_hit(struct textbook *tb, uint32_t id, uint64_t next)
{
	switch (tb->tb_policy) {
	case TB_LRU:
	case TB_MRU:
		list_remove(tb, id);
		list_append(tb, id);
		break;
	case TB_CLOCK:
		tb->tb_ref[id] = (uint8_t)((1u << tb->tb_bits) - 1);
		break;
	case TB_SC:
		tb->tb_ref[id] = 1;
		break;
	case TB_OPT:
	case TB_UNOPT:
	case TB_LFU:
		if (tb->tb_policy == TB_LFU)
			tb->tb_key[id]++;
		else
			tb->tb_key[id] = next;
		heap_up(tb, tb->tb_next[id]);
		heap_down(tb, tb->tb_next[id]);
		break;
	default:
		break;
	}
}

int
textbook_ref(struct textbook *tb, uint32_t id, uint64_t next)
{
	enum tb_shape shape = tb_shape(tb->tb_policy);

	if (tb_room(tb, id) != 0)
		return -1;
	tb->tb_counts.tc_refs++;
	tb->tb_victim = NOID;
	if (tb->tb_in[id]) {
		tb_hit(tb, id, next);
		return 0;
	}
	tb->tb_counts.tc_faults++;
	if (shape != TBS_LIST && tb_ring_room(tb, tb->tb_resident + 1) != 0)
		return -1;
	if (tb->tb_resident == tb->tb_frames) {
		tb->tb_counts.tc_replaced++;
		tb->tb_victim = tb_evict(tb);
		if (shape == TBS_RING) {
			/* the new page takes the victim's frame */
			tb->tb_ring[tb->tb_hand] = id;
			tb->tb_hand = (tb->tb_hand + 1) % tb->tb_frames;
		}
	} else if (shape == TBS_RING)
		tb->tb_ring[tb->tb_resident] = id;
	tb->tb_in[id] = 1;
	switch (shape) {
	case TBS_LIST:
		/* second chance: the use that brought the page in sets its bit */
		tb->tb_ref[id] = tb->tb_policy == TB_SC;
		list_append(tb, id);
		break;
	case TBS_RING:
		tb->tb_ref[id] = (uint8_t)((1u << tb->tb_bits) - 1);
		break;
	case TBS_HEAP:
		tb->tb_key[id] = tb->tb_policy == TB_LFU ? 1 : next;
		tb->tb_key2[id] = tb->tb_counts.tc_refs;
		heap_set(tb, tb->tb_resident, id);
		tb->tb_resident++;
		heap_up(tb, tb->tb_resident - 1);
		return 1;
	case TBS_ARRAY:
		tb->tb_ring[tb->tb_resident] = id;
		tb->tb_next[id] = (uint32_t)tb->tb_resident;
		break;
	}
	tb->tb_resident++;
	return 1;
}

void
textbook_counts(const struct textbook *tb, struct textbook_counts *tc)
{
	*tc = tb->tb_counts;
}

int64_t
textbook_victim(const struct textbook *tb)
{
	return tb->tb_victim == NOID ? -1 : (int64_t)tb->tb_victim;
}

/* the heap's pages in eviction order, for a listing: a copy, sorted */
static const struct textbook *sort_tb;

static int
frames_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	if (heap_above(sort_tb, x, y))
		return -1;
	return heap_above(sort_tb, y, x) ? 1 : 0;
}

size_t
textbook_frames(const struct textbook *tb, uint32_t *ids, uint64_t *aux,
    size_t max)
{
	size_t n = 0;
	uint64_t i, k;
	uint32_t id;

	switch (tb_shape(tb->tb_policy)) {
	case TBS_LIST:
		if (tb->tb_policy == TB_MRU)
			for (id = tb->tb_tail; id != NOID && n < max;
			     id = tb->tb_prev[id])
				ids[n++] = id;
		else
			for (id = tb->tb_head; id != NOID && n < max;
			     id = tb->tb_next[id])
				ids[n++] = id;
		break;
	case TBS_RING:
		/* from the hand round, once the frames are full */
		for (k = 0; k < tb->tb_resident && n < max; k++) {
			i = tb->tb_resident == tb->tb_frames ?
			    (tb->tb_hand + k) % tb->tb_frames :
			    k;
			ids[n++] = tb->tb_ring[i];
		}
		break;
	case TBS_HEAP:
		for (k = 0; k < tb->tb_resident && n < max; k++)
			ids[n++] = tb->tb_ring[k];
		sort_tb = tb;
		qsort(ids, n, sizeof(*ids), frames_cmp);
		break;
	case TBS_ARRAY:
		for (k = 0; k < tb->tb_resident && n < max; k++)
			ids[n++] = tb->tb_ring[k];
		break;
	}
	for (k = 0; k < n; k++)
		aux[k] = tb_shape(tb->tb_policy) == TBS_HEAP ?
		    tb->tb_key[ids[k]] :
		    tb->tb_ref[ids[k]];
	return n;
}

/*
 * Variable allocation (see textbook.h)
 *
 * ws keeps each page's last reference and a ring of the last tau
 * references: the reference leaving the window takes its page out of
 * the working set unless the page was used since.  pff keeps the
 * resident pages in an array with each one's place, and at a fault
 * after a long interval sweeps out those not used since the last fault.
 */
struct textbook_var {
	enum tb_varpolicy tv_policy;
	uint64_t tv_param; /* ws: tau; pff: the interval */
	struct textbook_varcounts tv_counts;
	uint64_t *tv_last;  /* each page's last reference, or TB_NEVER */
	uint8_t *tv_in;	    /* pff: resident */
	uint32_t *tv_place; /* pff: where in tv_set */
	uint32_t tv_cap;
	uint32_t *tv_ring; /* ws: the last tau references' pages */
	uint32_t *tv_set;  /* pff: the resident pages */
	uint64_t tv_lastfault;
};

struct textbook_var *
textbook_var_new(enum tb_varpolicy policy, uint64_t param)
{
	struct textbook_var *tv;

	if (param == 0 || param > UINT32_MAX ||
	    (tv = calloc(1, sizeof(*tv))) == NULL)
		return NULL;
	tv->tv_policy = policy;
	tv->tv_param = param;
	if (policy == TBV_WS &&
	    (tv->tv_ring = malloc(param * sizeof(*tv->tv_ring))) == NULL) {
		free(tv);
		return NULL;
	}
	return tv;
}

void
textbook_var_free(struct textbook_var *tv)
{
	if (tv == NULL)
		return;
	free(tv->tv_last);
	free(tv->tv_in);
	free(tv->tv_place);
	free(tv->tv_ring);
	free(tv->tv_set);
	free(tv);
}

static int
tv_room(struct textbook_var *tv, uint32_t id)
{
	size_t n, old = tv->tv_cap, i;
	void *p;

	if (id < tv->tv_cap)
		return 0;
	n = old == 0 ? 1024 : old * 2;
	while (n <= id)
		n *= 2;
	if ((p = tb_regrow(tv->tv_last, n, sizeof(uint64_t), old)) == NULL)
		return -1;
	tv->tv_last = p;
	for (i = old; i < n; i++)
		tv->tv_last[i] = TB_NEVER;
	if ((p = tb_regrow(tv->tv_in, n, 1, old)) == NULL)
		return -1;
	tv->tv_in = p;
	if ((p = tb_regrow(tv->tv_place, n, sizeof(uint32_t), old)) == NULL)
		return -1;
	tv->tv_place = p;
	if ((p = tb_regrow(tv->tv_set, n, sizeof(uint32_t), old)) == NULL)
		return -1;
	tv->tv_set = p;
	tv->tv_cap = (uint32_t)n;
	return 0;
}

static int
ws_ref(struct textbook_var *tv, uint32_t id, uint64_t t)
{
	uint64_t tau = tv->tv_param, last = tv->tv_last[id];
	int fault = last == TB_NEVER || last + tau < t;
	uint32_t q;

	/* the reference at t - tau leaves the window */
	if (t >= tau) {
		q = tv->tv_ring[t % tau];
		if (tv->tv_last[q] == t - tau)
			tv->tv_counts.tv_rss--;
	}
	/* id is in the set now unless its last use just left, or never was */
	if (last == TB_NEVER || last + tau <= t)
		tv->tv_counts.tv_rss++;
	tv->tv_last[id] = t;
	tv->tv_ring[t % tau] = id;
	return fault;
}

static int
pff_ref(struct textbook_var *tv, uint32_t id, uint64_t t)
{
	uint32_t k, q;

	tv->tv_last[id] = t;
	if (tv->tv_in[id])
		return 0;
	if (tv->tv_counts.tv_faults > 0 &&
	    t - tv->tv_lastfault > tv->tv_param) {
		/* a long quiet spell: what was not used since goes */
		for (k = 0; k < tv->tv_counts.tv_rss;) {
			q = tv->tv_set[k];
			if (tv->tv_last[q] >= tv->tv_lastfault) {
				k++;
				continue;
			}
			tv->tv_in[q] = 0;
			tv->tv_set[k] = tv->tv_set[--tv->tv_counts.tv_rss];
			tv->tv_place[tv->tv_set[k]] = k;
		}
	}
	tv->tv_lastfault = t;
	tv->tv_in[id] = 1;
	tv->tv_place[id] = (uint32_t)tv->tv_counts.tv_rss;
	tv->tv_set[tv->tv_counts.tv_rss++] = id;
	return 1;
}

int
textbook_var_ref(struct textbook_var *tv, uint32_t id)
{
	uint64_t t = tv->tv_counts.tv_refs;
	int fault;

	if (tv_room(tv, id) != 0)
		return -1;
	fault =
	    tv->tv_policy == TBV_WS ? ws_ref(tv, id, t) : pff_ref(tv, id, t);
	tv->tv_counts.tv_refs++;
	tv->tv_counts.tv_faults += (uint64_t)fault;
	tv->tv_counts.tv_rss_sum += tv->tv_counts.tv_rss;
	if (tv->tv_counts.tv_rss > tv->tv_counts.tv_rss_max)
		tv->tv_counts.tv_rss_max = tv->tv_counts.tv_rss;
	return fault;
}

void
textbook_var_counts(const struct textbook_var *tv, struct textbook_varcounts *c)
{
	*c = tv->tv_counts;
}
