/*
 * rbtree.c: the generic intrusive red-black tree (see rbtree.h).
 *
 * Design.  The code is written once for both directions: a rotation or a
 * rebalancing case that has a mirror image takes a direction d (0: left,
 * 1: right) and works on rb_child(n, d) and rb_child(n, !d), so each
 * case is spelled once and its mirror cannot drift from it.
 *
 * Insertion adds a red leaf, which can only break invariant 2 (red node,
 * red parent).  rb_insert_fixup pushes the red-red pair up the tree:
 * while the uncle is red, recolouring moves the problem two levels up;
 * once the uncle is black, one or two rotations end it.
 *
 * Removal first reduces to unlinking a node with at most one child: a
 * node with two children is replaced in place by its successor, which has
 * no left child (objects are the user's memory, so nodes are relinked,
 * never copied).  Unlinking a red node breaks nothing.  Unlinking a black
 * one leaves its place (the "hole", possibly NULL) one black short;
 * rb_remove_fixup either absorbs the deficit into a red node, or moves it
 * up by making the sibling red, or ends it with rotations at the sibling.
 *
 * rb_tree_check never trusts the structure it checks: it walks by child
 * pointers only, limits the depth it descends and the number of nodes it
 * visits, so a cycle or a wild count produces a report, not a hang.
 */

#include <limits.h>

#include "lib/rbtree.h"

/* --- node accessors ------------------------------------------------------ */

static inline struct rb_node *
rb_parent(const struct rb_node *n)
{
	return (struct rb_node *)(n->rb_parent_color & ~RB_NODE_RED);
}

static inline bool
rb_is_red(const struct rb_node *n)
{
	/* NULL children count as black */
	return n != NULL && (n->rb_parent_color & RB_NODE_RED) != 0;
}

static inline void
rb_set_parent(struct rb_node *n, struct rb_node *p)
{
	n->rb_parent_color = (uintptr_t)p | (n->rb_parent_color & RB_NODE_RED);
}

static inline void
rb_set_red(struct rb_node *n, bool red)
{
	n->rb_parent_color =
	    (n->rb_parent_color & ~RB_NODE_RED) | (red ? RB_NODE_RED : 0);
}

static inline struct rb_node **
rb_child_slot(struct rb_node *n, unsigned int d)
{
	return d == RB_DIR_LEFT ? &n->rb_left : &n->rb_right;
}

static inline struct rb_node *
rb_child(const struct rb_node *n, unsigned int d)
{
	return d == RB_DIR_LEFT ? n->rb_left : n->rb_right;
}

/* which side of its parent n hangs on; n must not be the root */
static inline unsigned int
rb_side(const struct rb_node *n)
{
	return rb_parent(n)->rb_right == n ? RB_DIR_RIGHT : RB_DIR_LEFT;
}

static inline struct rb_node *
rb_obj2node(const struct rb_tree *t, const void *obj)
{
	return (
	    struct rb_node *)((uintptr_t)obj + t->rbt_ops->rbto_node_offset);
}

static inline void *
rb_node2obj(const struct rb_tree *t, const struct rb_node *n)
{
	return (void *)((uintptr_t)n - t->rbt_ops->rbto_node_offset);
}

/*
 * rb_replace_child: make new take old's place under old's parent (or as
 * the root).  Only the downward link and new's parent are changed.
 */
static void
rb_replace_child(struct rb_tree *t, struct rb_node *old, struct rb_node *new)
{
	struct rb_node *p = rb_parent(old);

	if (p == NULL)
		t->rbt_root = new;
	else
		*rb_child_slot(p, rb_side(old)) = new;
	if (new != NULL)
		rb_set_parent(new, p);
}

/*
 * rb_rotate: turn the edge between x and its child y = rb_child(x, !d)
 * so that y takes x's place and x becomes y's child on side d:
 *
 *	     x                y		(d == RB_DIR_LEFT)
 *	    / \              / \
 *	   a   y     =>     x   c
 *	      / \          / \
 *	     b   c        a   b
 *
 * => in-order sequence and colours are unchanged.
 */
static void
rb_rotate(struct rb_tree *t, struct rb_node *x, unsigned int d)
{
	struct rb_node *y = rb_child(x, !d);
	struct rb_node *b = rb_child(y, d);

	KASSERT(y != NULL);
	*rb_child_slot(x, !d) = b;
	if (b != NULL)
		rb_set_parent(b, x);
	rb_replace_child(t, x, y);
	*rb_child_slot(y, d) = x;
	rb_set_parent(x, y);
}

/* the node farthest in direction d below n (n itself if it has none) */
static inline struct rb_node *
rb_extreme(struct rb_node *n, unsigned int d)
{
	struct rb_node *c;

	while ((c = rb_child(n, d)) != NULL)
		n = c;
	return n;
}

/*
 * rb_tree_init: make t an empty tree ordered by ops.
 *
 * => ops must stay valid as long as t is used; it is not copied.
 */
void
rb_tree_init(struct rb_tree *t, const struct rb_tree_ops *ops)
{
	KASSERT(ops->rbto_compare_nodes != NULL);
	KASSERT(ops->rbto_compare_key != NULL);
	t->rbt_root = NULL;
	t->rbt_ops = ops;
	t->rbt_count = 0;
}

/*
 * rb_tree_count: the number of objects in t, kept as they come and go.
 */
size_t
rb_tree_count(const struct rb_tree *t)
{
	return t->rbt_count;
}

/* --- lookup -------------------------------------------------------------- */

/*
 * rb_tree_find_node: the object that compares equal to key.
 *
 * => returns NULL if there is none.
 */
void *
rb_tree_find_node(struct rb_tree *t, const void *key)
{
	const struct rb_tree_ops *ops = t->rbt_ops;
	struct rb_node *n = t->rbt_root;
	int diff;

	while (n != NULL) {
		diff = ops->rbto_compare_key(ops->rbto_context,
		    rb_node2obj(t, n), key);
		if (diff == 0)
			return rb_node2obj(t, n);
		n = diff > 0 ? n->rb_left : n->rb_right;
	}
	return NULL;
}

/*
 * rb_find_bound: the search behind _leq and _geq.  Walking down towards
 * key, every node passed on the side d of key (d == RB_DIR_LEFT: below
 * it) is closer than the previous one, so the last such node is the
 * answer unless an equal one turns up.
 */
static void *
rb_find_bound(struct rb_tree *t, const void *key, unsigned int d)
{
	const struct rb_tree_ops *ops = t->rbt_ops;
	struct rb_node *n = t->rbt_root, *best = NULL;
	int diff;

	while (n != NULL) {
		diff = ops->rbto_compare_key(ops->rbto_context,
		    rb_node2obj(t, n), key);
		if (diff == 0)
			return rb_node2obj(t, n);
		if ((diff < 0) == (d == RB_DIR_LEFT)) {
			/* n is on the wanted side: a candidate; look closer */
			best = n;
			n = rb_child(n, !d);
		} else
			n = rb_child(n, d);
	}
	return best != NULL ? rb_node2obj(t, best) : NULL;
}

/*
 * rb_tree_find_node_leq: the greatest object that compares <= key.
 *
 * => returns NULL if every object is greater than key.
 */
void *
rb_tree_find_node_leq(struct rb_tree *t, const void *key)
{
	return rb_find_bound(t, key, RB_DIR_LEFT);
}

/*
 * rb_tree_find_node_geq: the least object that compares >= key.
 *
 * => returns NULL if every object is less than key.
 */
void *
rb_tree_find_node_geq(struct rb_tree *t, const void *key)
{
	return rb_find_bound(t, key, RB_DIR_RIGHT);
}

/*
 * rb_tree_iterate: the neighbour of obj in the given direction.
 *
 * => obj NULL: the first object for RB_DIR_RIGHT, the last for
 *    RB_DIR_LEFT (NULL if the tree is empty).
 * => returns NULL when obj is the last object in that direction.
 */
void *
rb_tree_iterate(struct rb_tree *t, void *obj, unsigned int direction)
{
	struct rb_node *n, *p;
	unsigned int d = direction;

	KASSERT(d == RB_DIR_LEFT || d == RB_DIR_RIGHT);
	if (obj == NULL) {
		if (t->rbt_root == NULL)
			return NULL;
		return rb_node2obj(t, rb_extreme(t->rbt_root, !d));
	}
	n = rb_obj2node(t, obj);
	if (rb_child(n, d) != NULL)
		return rb_node2obj(t, rb_extreme(rb_child(n, d), !d));
	/* climb while n is on the d side of its parent: those come before */
	while ((p = rb_parent(n)) != NULL && rb_child(p, d) == n)
		n = p;
	return p != NULL ? rb_node2obj(t, p) : NULL;
}

/* --- insertion ----------------------------------------------------------- */

/*
 * rb_insert_fixup: restore invariant 2 after n was linked in red.
 *
 * Let p be n's parent, g its grandparent, u the uncle (g's other child),
 * and d the side p hangs on.  While p is red:
 *  1. u red: make p and u black and g red; g may now have a red parent,
 *     so continue from g.
 *  2. u black, n the inner grandchild (on side !d of p): rotate p so n
 *     becomes the outer one, and go on with the roles of n and p swapped.
 *  3. u black, n the outer grandchild: rotate g towards u, so p takes
 *     g's place; p black and g red keeps every black height.  Done.
 * Finally the root is made black, which adds one to every black height
 * at once and so is always allowed.
 */
static void
rb_insert_fixup(struct rb_tree *t, struct rb_node *n)
{
	struct rb_node *p, *g, *u;
	unsigned int d;

	while ((p = rb_parent(n)) != NULL && rb_is_red(p)) {
		g = rb_parent(p); /* p is red, so not the root */
		KASSERT(g != NULL);
		d = g->rb_right == p ? RB_DIR_RIGHT : RB_DIR_LEFT;
		u = rb_child(g, !d);
		if (rb_is_red(u)) {
			rb_set_red(p, false);
			rb_set_red(u, false);
			rb_set_red(g, true);
			n = g;
			continue;
		}
		if (rb_child(p, !d) == n) {
			rb_rotate(t, p, d);
			n = p;
			p = rb_parent(n);
		}
		rb_rotate(t, g, !d);
		rb_set_red(p, false);
		rb_set_red(g, true);
		break;
	}
	rb_set_red(t->rbt_root, false);
}

/*
 * rb_tree_insert_node: add obj to the tree.
 *
 * => obj's rb_node is overwritten; obj must not already be in a tree
 *    through that node.
 * => returns obj, or the object already in the tree that compares equal
 *    to obj, in which case the tree is unchanged.
 */
void *
rb_tree_insert_node(struct rb_tree *t, void *obj)
{
	const struct rb_tree_ops *ops = t->rbt_ops;
	struct rb_node *n = rb_obj2node(t, obj), *p = NULL, **slot;
	int diff;

	KASSERT(obj != NULL);
	slot = &t->rbt_root;
	while (*slot != NULL) {
		p = *slot;
		diff = ops->rbto_compare_nodes(ops->rbto_context, obj,
		    rb_node2obj(t, p));
		if (diff == 0)
			return rb_node2obj(t, p);
		slot = diff < 0 ? &p->rb_left : &p->rb_right;
	}
	n->rb_left = n->rb_right = NULL;
	n->rb_parent_color = (uintptr_t)p | RB_NODE_RED;
	*slot = n;
	t->rbt_count++;
	rb_insert_fixup(t, n);
	return obj;
}

/* --- removal ------------------------------------------------------------- */

/*
 * rb_remove_fixup: the subtree on side d of p (rooted at x, which may be
 * NULL) has one black node fewer on every path than invariant 3 asks.
 *
 * If x is red, making it black repays the debt.  Otherwise let s be x's
 * sibling, rb_child(p, !d); it is not NULL, since its side is at least
 * one black deeper than x's.
 *  1. s red: rotate p towards x and swap the colours of p and s.  x's
 *     new sibling is black; go on to case 2, 3 or 4.
 *  2. s black with two black children: make s red.  Now p's subtree is
 *     short as a whole, so move the debt up to p.
 *  3. s black, far child black, near child red: rotate s away from x and
 *     swap the colours of s and the near child; now the far child of x's
 *     sibling is red: case 4.
 *  4. s black, far child red: rotate p towards x, give s p's colour and
 *     make p and the far child black.  x's side gains a black node and
 *     s's side keeps its count.  Done.
 */
static void
rb_remove_fixup(struct rb_tree *t, struct rb_node *x, struct rb_node *p,
    unsigned int d)
{
	struct rb_node *s, *far;

	while (p != NULL && !rb_is_red(x)) {
		s = rb_child(p, !d);
		KASSERTMSG(s != NULL, "%s: black heights broken at %p",
		    __func__, (void *)p);
		if (rb_is_red(s)) {
			rb_rotate(t, p, d);
			rb_set_red(s, false);
			rb_set_red(p, true);
			s = rb_child(p, !d);
		}
		if (!rb_is_red(s->rb_left) && !rb_is_red(s->rb_right)) {
			rb_set_red(s, true);
			x = p;
			p = rb_parent(x);
			if (p != NULL)
				d = rb_side(x);
			continue;
		}
		if (!rb_is_red(rb_child(s, !d))) {
			rb_set_red(rb_child(s, d), false);
			rb_set_red(s, true);
			rb_rotate(t, s, !d);
			s = rb_child(p, !d);
		}
		far = rb_child(s, !d);
		rb_set_red(s, rb_is_red(p));
		rb_set_red(p, false);
		rb_set_red(far, false);
		rb_rotate(t, p, d);
		x = t->rbt_root;
		break;
	}
	if (x != NULL)
		rb_set_red(x, false);
}

#ifdef DEBUG
/* is n linked into t?  (its parent chain ends at t's root) */
static bool
rb_tree_has_node(const struct rb_tree *t, const struct rb_node *n)
{
	size_t depth;

	for (depth = 0; depth <= 2 * sizeof(size_t) * CHAR_BIT; depth++) {
		if (rb_parent(n) == NULL)
			return n == t->rbt_root;
		n = rb_parent(n);
	}
	return false;
}
#endif

/*
 * rb_tree_remove_node: take obj out of the tree.
 *
 *  1. find the node that really leaves its place: obj's own node if it
 *     has at most one child, else its successor, which is then relinked
 *     into obj's place with obj's colour;
 *  2. splice that place out, linking its only child (or NULL) to its
 *     parent;
 *  3. if a black node left the place, rebalance from there.
 *
 * => obj must be in the tree.
 * => obj's rb_node is left with stale contents.
 */
void
rb_tree_remove_node(struct rb_tree *t, void *obj)
{
	struct rb_node *z = rb_obj2node(t, obj), *y, *x, *p;
	unsigned int d;
	bool black;

	KASSERT(t->rbt_count > 0);
	KDASSERTMSG(rb_tree_has_node(t, z), "%s: %p is not in the tree",
	    __func__, obj);

	if (z->rb_left == NULL || z->rb_right == NULL) {
		/* z leaves: its only child (or NULL) takes its place */
		x = z->rb_left != NULL ? z->rb_left : z->rb_right;
		p = rb_parent(z);
		d = p != NULL ? rb_side(z) : RB_DIR_LEFT;
		black = !rb_is_red(z);
		rb_replace_child(t, z, x);
	} else {
		/*
		 * the successor y leaves its place, taken by its right child
		 * x; then y replaces z, taking its links and colour.
		 */
		y = rb_extreme(z->rb_right, RB_DIR_LEFT);
		x = y->rb_right;
		black = !rb_is_red(y);
		if (rb_parent(y) == z) {
			p = y;
			d = RB_DIR_RIGHT;
		} else {
			p = rb_parent(y);
			d = RB_DIR_LEFT;
			p->rb_left = x;
			if (x != NULL)
				rb_set_parent(x, p);
			y->rb_right = z->rb_right;
			rb_set_parent(y->rb_right, y);
		}
		y->rb_left = z->rb_left;
		rb_set_parent(y->rb_left, y);
		rb_replace_child(t, z, y);
		rb_set_red(y, rb_is_red(z));
	}
	t->rbt_count--;
	if (black)
		rb_remove_fixup(t, x, p, d);
}

/* --- consistency check --------------------------------------------------- */

struct rb_check {
	const struct rb_tree *rc_tree;
	struct kcheck *rc_kc;
	const void *rc_prev;  /* the last object met in order, or NULL */
	size_t rc_visited;    /* nodes visited so far */
	size_t rc_limit;      /* give up after this many */
	unsigned int rc_nerr; /* problems reported */
	bool rc_stopped;      /* the walk was cut short */
};

/* no valid tree of any size that fits in memory is deeper than this */
#define RB_CHECK_MAXDEPTH (2 * sizeof(size_t) * CHAR_BIT + 2)

static void
rb_check_fail(struct rb_check *rc, const char *what, const struct rb_node *n)
{
	rc->rc_nerr++;
	kcheck_fail(rc->rc_kc, "rb_tree %p: node %p: %s",
	    (const void *)rc->rc_tree, (const void *)n, what);
}

/*
 * rb_check_subtree: check the subtree at n (not NULL), whose parent
 * should be parent, in order.
 *
 * => returns its black height, counting NULL leaves as 1 (when the two
 *    sides disagree, the report is made here and the left one returned).
 */
static unsigned int
rb_check_subtree(struct rb_check *rc, const struct rb_node *n,
    const struct rb_node *parent, unsigned int depth)
{
	const struct rb_tree *t = rc->rc_tree;
	const struct rb_tree_ops *ops = t->rbt_ops;
	const void *obj;
	unsigned int lh = 1, rh = 1;

	if (rc->rc_stopped)
		return 0;
	if (++rc->rc_visited > rc->rc_limit) {
		rb_check_fail(rc, "more nodes than the count, or a cycle", n);
		rc->rc_stopped = true;
		return 0;
	}
	if (depth > RB_CHECK_MAXDEPTH) {
		rb_check_fail(rc, "deeper than any valid tree: a cycle?", n);
		rc->rc_stopped = true;
		return 0;
	}
	if (rb_parent(n) != parent)
		rb_check_fail(rc, "wrong parent link", n);
	if (rb_is_red(n) && (rb_is_red(n->rb_left) || rb_is_red(n->rb_right)))
		rb_check_fail(rc, "red node with a red child", n);

	if (n->rb_left != NULL)
		lh = rb_check_subtree(rc, n->rb_left, n, depth + 1);
	obj = rb_node2obj(t, n);
	if (rc->rc_prev != NULL && !rc->rc_stopped &&
	    ops->rbto_compare_nodes(ops->rbto_context, rc->rc_prev, obj) >= 0)
		rb_check_fail(rc, "out of order", n);
	rc->rc_prev = obj;
	if (n->rb_right != NULL)
		rh = rb_check_subtree(rc, n->rb_right, n, depth + 1);

	if (lh != rh && !rc->rc_stopped)
		rb_check_fail(rc, "black heights of its sides differ", n);
	return lh + (rb_is_red(n) ? 0 : 1);
}

/*
 * rb_tree_check: check every invariant of t (see rbtree.h): parent
 * links, the red-black rules, in-order sorting and the count.
 *
 * => each problem is reported with kcheck_fail; nothing is changed.
 * => terminates on any corruption reachable by child pointers: the walk
 *    stops after rbt_count + 1 nodes or at an impossible depth.
 * => returns the number of problems found.
 */
int
rb_tree_check(const struct rb_tree *t, struct kcheck *kc)
{
	struct rb_check rc = {
		.rc_tree = t,
		.rc_kc = kc,
		.rc_limit = t->rbt_count + 1,
	};

	if (t->rbt_root != NULL) {
		if (rb_is_red(t->rbt_root))
			rb_check_fail(&rc, "the root is red", t->rbt_root);
		(void)rb_check_subtree(&rc, t->rbt_root, NULL, 0);
	}
	if (!rc.rc_stopped && rc.rc_visited != t->rbt_count) {
		rc.rc_nerr++;
		kcheck_fail(kc, "rb_tree %p: count %zu, but %zu nodes",
		    (const void *)t, t->rbt_count, rc.rc_visited);
	}
	return (int)rc.rc_nerr;
}
