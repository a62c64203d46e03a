/*
 * t_rbtree.c: the generic red-black tree -- hand-built cases, a long
 * randomized run against a sorted-array model, and the checker against
 * deliberately corrupted trees.
 */

#include <stdlib.h>
#include <string.h>

#include "lib/rbtree.h"

#include "h_util.h"

/* the node is not first, so every node <-> object conversion is tested */
struct item {
	long it_key;
	struct rb_node it_node;
};

static int
item_cmp(long a, long b)
{
	return (a > b) - (a < b);
}

/* both compares count their calls in the context, if there is one */
static int
item_compare_nodes(void *ctx, const void *a, const void *b)
{
	if (ctx != NULL)
		(*(unsigned long *)ctx)++;
	return item_cmp(((const struct item *)a)->it_key,
	    ((const struct item *)b)->it_key);
}

static int
item_compare_key(void *ctx, const void *obj, const void *key)
{
	if (ctx != NULL)
		(*(unsigned long *)ctx)++;
	return item_cmp(((const struct item *)obj)->it_key, *(const long *)key);
}

static const struct rb_tree_ops item_ops = {
	.rbto_compare_nodes = item_compare_nodes,
	.rbto_compare_key = item_compare_key,
	.rbto_node_offset = offsetof(struct item, it_node),
	.rbto_context = NULL,
};

static struct item *
t_find(struct rb_tree *t, long key)
{
	return rb_tree_find_node(t, &key);
}

static struct item *
t_leq(struct rb_tree *t, long key)
{
	return rb_tree_find_node_leq(t, &key);
}

static struct item *
t_geq(struct rb_tree *t, long key)
{
	return rb_tree_find_node_geq(t, &key);
}

static int
t_check_count(const struct rb_tree *t, struct kcheck *kc)
{
	kcheck_init(kc);
	return rb_tree_check(t, kc);
}

static void
t_check(const struct rb_tree *t)
{
	struct kcheck kc;

	if (t_check_count(t, &kc) != 0)
		atf_tc_fail("rb_tree_check: %u problems, first: %s", kc.kc_nerr,
		    kc.kc_msg);
}

/*
 * t_require_keys: t holds exactly keys[0..n-1] (ascending), in both
 * directions of iteration, and passes the checker.
 */
static void
t_require_keys(struct rb_tree *t, const long *keys, size_t n)
{
	struct item *it;
	size_t i;

	t_check(t);
	ATF_REQUIRE_EQ(rb_tree_count(t), n);
	i = 0;
	for (it = rb_tree_iterate(t, NULL, RB_DIR_RIGHT); it != NULL;
	     it = rb_tree_iterate(t, it, RB_DIR_RIGHT)) {
		ATF_REQUIRE_MSG(i < n, "more than %zu objects going right", n);
		ATF_REQUIRE_EQ(it->it_key, keys[i]);
		i++;
	}
	ATF_REQUIRE_EQ(i, n);
	for (it = rb_tree_iterate(t, NULL, RB_DIR_LEFT); it != NULL;
	     it = rb_tree_iterate(t, it, RB_DIR_LEFT)) {
		ATF_REQUIRE_MSG(i > 0, "more than %zu objects going left", n);
		i--;
		ATF_REQUIRE_EQ(it->it_key, keys[i]);
	}
	ATF_REQUIRE_EQ(i, 0);
}

/* insert items[i] with key keys[i], in the order given */
static void
t_build(struct rb_tree *t, struct item *items, const long *keys, size_t n)
{
	size_t i;

	rb_tree_init(t, &item_ops);
	for (i = 0; i < n; i++) {
		items[i].it_key = keys[i];
		ATF_REQUIRE(rb_tree_insert_node(t, &items[i]) == &items[i]);
		t_check(t);
	}
}

static bool
t_is_red(const struct rb_node *n)
{
	return n != NULL && (n->rb_parent_color & RB_NODE_RED) != 0;
}

#define NKEYS(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------------ */

ATF_TC_WITHOUT_HEAD(node_is_not_first_in_item);
ATF_TC_BODY(node_is_not_first_in_item, tc)
{
	ATF_REQUIRE(offsetof(struct item, it_node) != 0);
}

ATF_TC_WITHOUT_HEAD(empty_tree);
ATF_TC_BODY(empty_tree, tc)
{
	struct rb_tree t;

	rb_tree_init(&t, &item_ops);
	ATF_REQUIRE_EQ(rb_tree_count(&t), 0);
	ATF_REQUIRE(t_find(&t, 0) == NULL);
	ATF_REQUIRE(t_leq(&t, 0) == NULL);
	ATF_REQUIRE(t_geq(&t, 0) == NULL);
	ATF_REQUIRE(rb_tree_iterate(&t, NULL, RB_DIR_RIGHT) == NULL);
	ATF_REQUIRE(rb_tree_iterate(&t, NULL, RB_DIR_LEFT) == NULL);
	t_check(&t);
}

ATF_TC_WITHOUT_HEAD(one_node);
ATF_TC_BODY(one_node, tc)
{
	const long k[] = { 42 };
	struct rb_tree t;
	struct item it;

	t_build(&t, &it, k, 1);
	t_require_keys(&t, k, 1);
	ATF_REQUIRE(t_find(&t, 42) == &it);
	ATF_REQUIRE(t_find(&t, 41) == NULL);
	ATF_REQUIRE(t_find(&t, 43) == NULL);
	ATF_REQUIRE(rb_tree_iterate(&t, NULL, RB_DIR_RIGHT) == &it);
	ATF_REQUIRE(rb_tree_iterate(&t, NULL, RB_DIR_LEFT) == &it);
	ATF_REQUIRE(rb_tree_iterate(&t, &it, RB_DIR_RIGHT) == NULL);
	ATF_REQUIRE(rb_tree_iterate(&t, &it, RB_DIR_LEFT) == NULL);
	ATF_REQUIRE(!t_is_red(t.rbt_root));

	rb_tree_remove_node(&t, &it);
	t_require_keys(&t, NULL, 0);
	ATF_REQUIRE(t.rbt_root == NULL);
	ATF_REQUIRE(t_find(&t, 42) == NULL);

	/* and it can go back in */
	ATF_REQUIRE(rb_tree_insert_node(&t, &it) == &it);
	t_require_keys(&t, k, 1);
}

ATF_TC_WITHOUT_HEAD(duplicate_insert_returns_existing);
ATF_TC_BODY(duplicate_insert_returns_existing, tc)
{
	const long k[] = { 10, 20, 30 };
	struct item items[3], dup;
	struct rb_tree t;
	size_t i;

	t_build(&t, items, k, 3);
	for (i = 0; i < 3; i++) {
		dup.it_key = k[i];
		memset(&dup.it_node, 0xa5, sizeof(dup.it_node));
		ATF_REQUIRE(rb_tree_insert_node(&t, &dup) == &items[i]);
		t_require_keys(&t, k, 3);
		ATF_REQUIRE(t_find(&t, k[i]) == &items[i]);
	}
}

/*
 * The tree built from 4 2 6 1 3 5 7:
 *
 *	        4B
 *	      /    \
 *	    2B      6B
 *	   /  \    /  \
 *	  1R  3R  5R  7R
 */
static const long seven[] = { 4, 2, 6, 1, 3, 5, 7 };

static struct item *
t_build_seven(struct rb_tree *t, struct item *items)
{
	const long k[] = { 1, 2, 3, 4, 5, 6, 7 };

	t_build(t, items, seven, 7);
	t_require_keys(t, k, 7);
	ATF_REQUIRE(t->rbt_root == &items[0].it_node);
	ATF_REQUIRE(!t_is_red(&items[1].it_node));
	ATF_REQUIRE(t_is_red(&items[3].it_node));
	return items;
}

/* by key, in the tree built from seven[] */
static struct item *
t_seven(struct item *items, long key)
{
	size_t i;

	for (i = 0; i < 7; i++)
		if (items[i].it_key == key)
			return &items[i];
	atf_tc_fail("no key %ld", key);
}

ATF_TC_WITHOUT_HEAD(remove_root);
ATF_TC_BODY(remove_root, tc)
{
	const long k[] = { 1, 2, 3, 5, 6, 7 };
	struct item items[7];
	struct rb_tree t;

	t_build_seven(&t, items);
	rb_tree_remove_node(&t, t_seven(items, 4));
	t_require_keys(&t, k, 6);
	ATF_REQUIRE(t_find(&t, 4) == NULL);
	ATF_REQUIRE(t.rbt_root != &t_seven(items, 4)->it_node);
}

ATF_TC_WITHOUT_HEAD(remove_red_leaf);
ATF_TC_BODY(remove_red_leaf, tc)
{
	const long k[] = { 1, 2, 3, 4, 6, 7 };
	struct item items[7];
	struct rb_tree t;

	t_build_seven(&t, items);
	rb_tree_remove_node(&t, t_seven(items, 5));
	t_require_keys(&t, k, 6);
}

/* a black leaf leaves its side one black short: the rebalancing cases */
ATF_TC_WITHOUT_HEAD(remove_black_leaves);
ATF_TC_BODY(remove_black_leaves, tc)
{
	const long k[] = { 1, 2, 3, 4, 5, 6, 7 };
	long left[7];
	struct item items[7];
	struct rb_tree t;
	size_t i, j, n;

	/* 1..7 in ascending order gives 2B(1B, 4R(3B, 6B(5R, 7R))) */
	t_build(&t, items, k, 7);
	t_require_keys(&t, k, 7);
	/* remove a black leaf while there is one, else the smallest object */
	for (n = 7; n > 0; n--) {
		struct item *leaf = NULL;

		for (i = 0; i < 7; i++) {
			struct rb_node *nd = &items[i].it_node;

			if (t_find(&t, items[i].it_key) == &items[i] &&
			    nd->rb_left == NULL && nd->rb_right == NULL &&
			    !t_is_red(nd)) {
				leaf = &items[i];
				break;
			}
		}
		if (leaf == NULL)
			leaf = rb_tree_iterate(&t, NULL, RB_DIR_RIGHT);
		rb_tree_remove_node(&t, leaf);
		for (i = j = 0; i < 7; i++)
			if (t_find(&t, k[i]) != NULL)
				left[j++] = k[i];
		ATF_REQUIRE_EQ(j, n - 1);
		t_require_keys(&t, left, j);
	}
	ATF_REQUIRE(t.rbt_root == NULL);
}

ATF_TC_WITHOUT_HEAD(remove_inner_with_one_child);
ATF_TC_BODY(remove_inner_with_one_child, tc)
{
	const long k1[] = { 1, 2, 4, 5, 6, 7 };
	const long k2[] = { 1, 4, 5, 6, 7 };
	struct item items[7], *two;
	struct rb_tree t;

	t_build_seven(&t, items);
	rb_tree_remove_node(&t, t_seven(items, 3));
	t_require_keys(&t, k1, 6);
	two = t_seven(items, 2);
	ATF_REQUIRE(two->it_node.rb_left == &t_seven(items, 1)->it_node);
	ATF_REQUIRE(two->it_node.rb_right == NULL);
	rb_tree_remove_node(&t, two);
	t_require_keys(&t, k2, 5);
}

ATF_TC_WITHOUT_HEAD(remove_inner_with_two_children);
ATF_TC_BODY(remove_inner_with_two_children, tc)
{
	const long k[] = { 1, 2, 3, 4, 5, 7 };
	struct item items[7];
	struct rb_tree t;

	t_build_seven(&t, items);
	rb_tree_remove_node(&t, t_seven(items, 6));
	t_require_keys(&t, k, 6);
}

/* the successor of the removed node is not its right child */
ATF_TC_WITHOUT_HEAD(remove_with_distant_successor);
ATF_TC_BODY(remove_with_distant_successor, tc)
{
	long k[15], want[14];
	struct item items[15], *root, *succ;
	struct rb_tree t;
	size_t i, j;

	for (i = 0; i < 15; i++)
		k[i] = (long)i * 10;
	t_build(&t, items, k, 15);
	root = (struct item *)((char *)t.rbt_root -
	    offsetof(struct item, it_node));
	succ = rb_tree_iterate(&t, root, RB_DIR_RIGHT);
	ATF_REQUIRE(succ != NULL);
	ATF_REQUIRE(root->it_node.rb_right != &succ->it_node);
	rb_tree_remove_node(&t, root);
	for (i = j = 0; i < 15; i++)
		if (k[i] != root->it_key)
			want[j++] = k[i];
	t_require_keys(&t, want, 14);
	ATF_REQUIRE(t.rbt_root == &succ->it_node);
}

ATF_TC_WITHOUT_HEAD(leq_geq);
ATF_TC_BODY(leq_geq, tc)
{
	const long k[] = { 50, 20, 80, 10, 30, 60, 90, 40, 70, 100 };
	struct item items[10];
	struct rb_tree t;
	long key;

	t_build(&t, items, k, 10);
	for (key = 0; key <= 110; key++) {
		struct item *le = t_leq(&t, key), *ge = t_geq(&t, key);
		long lo = key / 10 * 10, hi = (key + 9) / 10 * 10;

		if (lo < 10) {
			ATF_REQUIRE_MSG(le == NULL, "leq %ld", key);
		} else if (lo > 100) {
			ATF_REQUIRE_MSG(le != NULL && le->it_key == 100,
			    "leq %ld", key);
		} else {
			ATF_REQUIRE_MSG(le != NULL && le->it_key == lo,
			    "leq %ld", key);
		}
		if (hi > 100) {
			ATF_REQUIRE_MSG(ge == NULL, "geq %ld", key);
		} else if (hi < 10) {
			ATF_REQUIRE_MSG(ge != NULL && ge->it_key == 10,
			    "geq %ld", key);
		} else {
			ATF_REQUIRE_MSG(ge != NULL && ge->it_key == hi,
			    "geq %ld", key);
		}
		if (key % 10 == 0 && key >= 10 && key <= 100) {
			ATF_REQUIRE(le == ge);
			ATF_REQUIRE(t_find(&t, key) == le);
		} else
			ATF_REQUIRE(t_find(&t, key) == NULL);
	}
	/* far outside */
	ATF_REQUIRE(t_leq(&t, -1000) == NULL);
	ATF_REQUIRE(t_geq(&t, -1000)->it_key == 10);
	ATF_REQUIRE(t_leq(&t, 1000)->it_key == 100);
	ATF_REQUIRE(t_geq(&t, 1000) == NULL);
}

ATF_TC_WITHOUT_HEAD(iterate_both_ways);
ATF_TC_BODY(iterate_both_ways, tc)
{
	struct item items[100], *it, *next, *prev;
	long k[100], sorted[100];
	struct rb_tree t;
	size_t i;

	/* a permutation of 0..99, times 3 */
	for (i = 0; i < 100; i++) {
		k[i] = (long)(i * 37 % 100) * 3;
		sorted[i] = (long)i * 3;
	}
	t_build(&t, items, k, 100);
	t_require_keys(&t, sorted, 100);
	/* and from the middle */
	it = t_find(&t, 150);
	ATF_REQUIRE(it != NULL);
	next = rb_tree_iterate(&t, it, RB_DIR_RIGHT);
	prev = rb_tree_iterate(&t, it, RB_DIR_LEFT);
	ATF_REQUIRE(next != NULL && next->it_key == 153);
	ATF_REQUIRE(prev != NULL && prev->it_key == 147);
}

/* ascending inserts, the worst case of a plain search tree, stay shallow */
ATF_TC_WITHOUT_HEAD(lookup_is_logarithmic);
ATF_TC_BODY(lookup_is_logarithmic, tc)
{
	const size_t n = 100000;
	struct rb_tree_ops ops = item_ops;
	unsigned long ncmp = 0, worst = 0, log2n;
	struct item *items;
	struct rb_tree t;
	long key;
	size_t i;

	ops.rbto_context = &ncmp;
	items = calloc(n, sizeof(*items));
	ATF_REQUIRE(items != NULL);
	rb_tree_init(&t, &ops);
	for (i = 0; i < n; i++) {
		items[i].it_key = (long)i;
		ATF_REQUIRE(rb_tree_insert_node(&t, &items[i]) == &items[i]);
	}
	t_check(&t);
	for (key = 0; key < (long)n; key++) {
		ncmp = 0;
		ATF_REQUIRE(t_find(&t, key) == &items[key]);
		if (ncmp > worst)
			worst = ncmp;
	}
	/* a red-black tree of n nodes is at most 2 log2(n + 1) deep */
	for (log2n = 0; ((size_t)1 << log2n) < n + 1; log2n++)
		continue;
	ATF_REQUIRE_MSG(worst <= 2 * log2n,
	    "%lu compares to find one of %zu keys", worst, n);
	free(items);
}

/* --- randomized, against a sorted array ---------------------------------- */

#define R_NKEYS 4096 /* keys 0..R_NKEYS-1, each backed by one item */
#define R_NOPS	100000

static uint64_t r_state;

/* xorshift64: a fixed sequence, the same on every host */
static uint64_t
r_next(void)
{
	r_state ^= r_state << 13;
	r_state ^= r_state >> 7;
	r_state ^= r_state << 17;
	return r_state;
}

struct model {
	long m_keys[R_NKEYS]; /* ascending */
	size_t m_n;
};

/* index of the first key >= key */
static size_t
m_lower(const struct model *m, long key)
{
	size_t lo = 0, hi = m->m_n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (m->m_keys[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool
m_has(const struct model *m, long key)
{
	size_t i = m_lower(m, key);

	return i < m->m_n && m->m_keys[i] == key;
}

static void
m_insert(struct model *m, long key)
{
	size_t i = m_lower(m, key);

	memmove(&m->m_keys[i + 1], &m->m_keys[i],
	    (m->m_n - i) * sizeof(m->m_keys[0]));
	m->m_keys[i] = key;
	m->m_n++;
}

static void
m_remove(struct model *m, long key)
{
	size_t i = m_lower(m, key);

	memmove(&m->m_keys[i], &m->m_keys[i + 1],
	    (m->m_n - i - 1) * sizeof(m->m_keys[0]));
	m->m_n--;
}

/* the tree answers find, leq and geq for key as the model does */
static void
r_compare_lookups(struct rb_tree *t, const struct model *m, long key)
{
	struct item *it;
	size_t i = m_lower(m, key);

	it = t_find(t, key);
	if (m_has(m, key))
		ATF_REQUIRE(it != NULL && it->it_key == key);
	else
		ATF_REQUIRE(it == NULL);
	it = t_geq(t, key);
	if (i < m->m_n)
		ATF_REQUIRE(it != NULL && it->it_key == m->m_keys[i]);
	else
		ATF_REQUIRE(it == NULL);
	it = t_leq(t, key);
	if (i < m->m_n && m->m_keys[i] == key)
		ATF_REQUIRE(it != NULL && it->it_key == key);
	else if (i > 0)
		ATF_REQUIRE(it != NULL && it->it_key == m->m_keys[i - 1]);
	else
		ATF_REQUIRE(it == NULL);
}

/*
 * 100,000 random operations; phases of 10,000 lean alternately towards
 * inserting and removing, so the tree grows large and drains to empty.
 */
ATF_TC_WITHOUT_HEAD(random_ops_match_model);
ATF_TC_BODY(random_ops_match_model, tc)
{
	static struct item items[R_NKEYS];
	static struct model m;
	struct item probe, *it;
	struct rb_tree t;
	size_t op, maxn = 0, nempty = 0;
	unsigned int pct;
	long key;

	r_state = 0x9e3779b97f4a7c15ULL;
	m.m_n = 0;
	rb_tree_init(&t, &item_ops);
	for (key = 0; key < R_NKEYS; key++)
		items[key].it_key = key;

	for (op = 0; op < R_NOPS; op++) {
		bool growing = (op / 10000) % 2 == 0;

		key = (long)(r_next() % R_NKEYS);
		pct = (unsigned int)(r_next() % 100);
		if (pct < (growing ? 75u : 25u)) {
			/* insert; a present key must come back as itself */
			if (m_has(&m, key)) {
				probe.it_key = key;
				ATF_REQUIRE(rb_tree_insert_node(&t, &probe) ==
				    &items[key]);
			} else {
				ATF_REQUIRE(rb_tree_insert_node(&t,
						&items[key]) == &items[key]);
				m_insert(&m, key);
			}
		} else if (pct < 90) {
			/* remove the nearest object at or above key */
			it = t_geq(&t, key);
			if (it == NULL)
				it = t_leq(&t, key);
			if (it != NULL) {
				ATF_REQUIRE(it == &items[it->it_key]);
				rb_tree_remove_node(&t, it);
				m_remove(&m, it->it_key);
			}
		} else
			r_compare_lookups(&t, &m, key);

		ATF_REQUIRE_EQ(rb_tree_count(&t), m.m_n);
		r_compare_lookups(&t, &m, (long)(r_next() % (R_NKEYS + 2)) - 1);
		if (op < 2000 || op % 100 == 0)
			t_require_keys(&t, m.m_keys, m.m_n);
		if (m.m_n > maxn)
			maxn = m.m_n;
		if (m.m_n == 0)
			nempty++;
	}
	t_require_keys(&t, m.m_keys, m.m_n);
	/* the run did what it claims: a big tree, and an empty one */
	ATF_REQUIRE_MSG(maxn > R_NKEYS / 2, "largest tree %zu", maxn);
	ATF_REQUIRE_MSG(nempty > 0, "never emptied");
}

/* --- the checker against corruption -------------------------------------- */

/* keys 0..62 in a scrambled order, giving a tree with red inner nodes */
static void
t_build_63(struct rb_tree *t, struct item *items)
{
	long k[63];
	size_t i;

	for (i = 0; i < 63; i++)
		k[i] = (long)(i * 29 % 63);
	t_build(t, items, k, 63);
}

static void
t_require_caught(const struct rb_tree *t, const char *what)
{
	struct kcheck kc;
	int n;

	n = t_check_count(t, &kc);
	ATF_REQUIRE_MSG(n > 0, "checker missed: %s", what);
	ATF_REQUIRE_EQ((unsigned int)n, kc.kc_nerr);
	ATF_REQUIRE(kc.kc_msg[0] != '\0');
}

ATF_TC_WITHOUT_HEAD(check_catches_red_red);
ATF_TC_BODY(check_catches_red_red, tc)
{
	struct item items[63];
	struct rb_node *red = NULL, *child;
	struct rb_tree t;
	struct kcheck kc;
	size_t i;

	t_build_63(&t, items);
	for (i = 0; i < 63 && red == NULL; i++) {
		struct rb_node *nd = &items[i].it_node;

		if (t_is_red(nd) && nd->rb_left != NULL)
			red = nd;
	}
	ATF_REQUIRE_MSG(red != NULL, "no red inner node to corrupt");
	child = red->rb_left;
	ATF_REQUIRE(!t_is_red(child));

	child->rb_parent_color |= RB_NODE_RED;
	t_require_caught(&t, "red-red");
	ATF_REQUIRE(t_check_count(&t, &kc) > 0);
	ATF_REQUIRE_MSG(strstr(kc.kc_msg, "red child") != NULL, "%s",
	    kc.kc_msg);
	child->rb_parent_color &= ~RB_NODE_RED;
	t_check(&t);

	/* a red root alone is also caught */
	t.rbt_root->rb_parent_color |= RB_NODE_RED;
	t_require_caught(&t, "red root");
	t.rbt_root->rb_parent_color &= ~RB_NODE_RED;
	t_check(&t);
}

ATF_TC_WITHOUT_HEAD(check_catches_bad_parent);
ATF_TC_BODY(check_catches_bad_parent, tc)
{
	struct item items[63];
	struct rb_node *nd = &items[62].it_node;
	struct rb_tree t;
	struct kcheck kc;
	uintptr_t saved;

	t_build_63(&t, items);
	ATF_REQUIRE(nd != t.rbt_root);
	saved = nd->rb_parent_color;
	/* point it at a node that is not its parent, keeping the colour */
	nd->rb_parent_color =
	    (uintptr_t)&items[0].it_node | (saved & RB_NODE_RED);
	if (nd->rb_parent_color == saved)
		nd->rb_parent_color =
		    (uintptr_t)&items[1].it_node | (saved & RB_NODE_RED);
	t_require_caught(&t, "bad parent");
	ATF_REQUIRE(t_check_count(&t, &kc) > 0);
	ATF_REQUIRE_MSG(strstr(kc.kc_msg, "parent") != NULL, "%s", kc.kc_msg);
	nd->rb_parent_color = saved;
	t_check(&t);

	/* the root with a parent */
	saved = t.rbt_root->rb_parent_color;
	t.rbt_root->rb_parent_color = (uintptr_t)nd;
	t_require_caught(&t, "root with a parent");
	t.rbt_root->rb_parent_color = saved;
	t_check(&t);
}

ATF_TC_WITHOUT_HEAD(check_catches_out_of_order);
ATF_TC_BODY(check_catches_out_of_order, tc)
{
	struct item items[63], *lo, *hi;
	struct rb_tree t;
	struct kcheck kc;
	long tmp;

	t_build_63(&t, items);
	lo = t_find(&t, 10);
	hi = t_find(&t, 50);
	ATF_REQUIRE(lo != NULL && hi != NULL);
	tmp = lo->it_key, lo->it_key = hi->it_key, hi->it_key = tmp;
	t_require_caught(&t, "swapped keys");
	ATF_REQUIRE(t_check_count(&t, &kc) > 0);
	ATF_REQUIRE_MSG(strstr(kc.kc_msg, "out of order") != NULL, "%s",
	    kc.kc_msg);
	tmp = lo->it_key, lo->it_key = hi->it_key, hi->it_key = tmp;
	t_check(&t);

	/* neighbours swapped: the smallest possible disorder */
	lo = t_find(&t, 30);
	hi = t_find(&t, 31);
	tmp = lo->it_key, lo->it_key = hi->it_key, hi->it_key = tmp;
	t_require_caught(&t, "swapped neighbours");
	tmp = lo->it_key, lo->it_key = hi->it_key, hi->it_key = tmp;
	t_check(&t);
}

ATF_TC_WITHOUT_HEAD(check_catches_wrong_count);
ATF_TC_BODY(check_catches_wrong_count, tc)
{
	struct item items[63];
	struct rb_tree t;
	struct kcheck kc;

	t_build_63(&t, items);
	t.rbt_count++;
	t_require_caught(&t, "count too high");
	ATF_REQUIRE(t_check_count(&t, &kc) > 0);
	ATF_REQUIRE_MSG(strstr(kc.kc_msg, "count") != NULL, "%s", kc.kc_msg);
	t.rbt_count -= 2;
	t_require_caught(&t, "count too low");
	t.rbt_count = 0;
	t_require_caught(&t, "count zero");
	t.rbt_count = 63;
	t_check(&t);
}

/* a cycle through child pointers is reported, not followed forever */
ATF_TC_WITHOUT_HEAD(check_survives_a_cycle);
ATF_TC_BODY(check_survives_a_cycle, tc)
{
	struct item items[63];
	struct rb_node *leaf;
	struct rb_tree t;

	t_build_63(&t, items);
	leaf =
	    &((struct item *)rb_tree_iterate(&t, NULL, RB_DIR_RIGHT))->it_node;
	ATF_REQUIRE(leaf->rb_left == NULL);
	leaf->rb_left = t.rbt_root;
	t_require_caught(&t, "cycle");
	/* and with a count so wrong the walk limit does not help */
	t.rbt_count = SIZE_MAX - 1;
	t_require_caught(&t, "cycle, huge count");
	t.rbt_count = 63;
	leaf->rb_left = NULL;
	t_check(&t);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, node_is_not_first_in_item);
	ATF_TP_ADD_TC(tp, empty_tree);
	ATF_TP_ADD_TC(tp, one_node);
	ATF_TP_ADD_TC(tp, duplicate_insert_returns_existing);
	ATF_TP_ADD_TC(tp, remove_root);
	ATF_TP_ADD_TC(tp, remove_red_leaf);
	ATF_TP_ADD_TC(tp, remove_black_leaves);
	ATF_TP_ADD_TC(tp, remove_inner_with_one_child);
	ATF_TP_ADD_TC(tp, remove_inner_with_two_children);
	ATF_TP_ADD_TC(tp, remove_with_distant_successor);
	ATF_TP_ADD_TC(tp, leq_geq);
	ATF_TP_ADD_TC(tp, iterate_both_ways);
	ATF_TP_ADD_TC(tp, lookup_is_logarithmic);
	ATF_TP_ADD_TC(tp, random_ops_match_model);
	ATF_TP_ADD_TC(tp, check_catches_red_red);
	ATF_TP_ADD_TC(tp, check_catches_bad_parent);
	ATF_TP_ADD_TC(tp, check_catches_out_of_order);
	ATF_TP_ADD_TC(tp, check_catches_wrong_count);
	ATF_TP_ADD_TC(tp, check_survives_a_cycle);
	return atf_no_error();
}
