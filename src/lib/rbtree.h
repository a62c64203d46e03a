/*
 * rbtree.h: a generic intrusive red-black tree, after NetBSD's rb_tree(3).
 *
 * The user embeds a struct rb_node in each object and describes the
 * object to the tree with a struct rb_tree_ops: two comparison functions
 * and the offset of the node inside the object.  Every function takes and
 * returns pointers to the user's objects, never to nodes.  The tree
 * allocates nothing, so it cannot fail.
 *
 * Ordering: rbto_compare_nodes(ctx, a, b) returns < 0, 0 or > 0 as object
 * a sorts before, with or after object b; rbto_compare_key(ctx, obj, key)
 * does the same for an object and a key.  Objects in one tree compare
 * unequal pairwise: an insert that finds an equal object does nothing.
 *
 * Searches, inserts and removals are O(log n); iteration is O(1)
 * amortised per step.  There is no locking: the owner of a tree
 * serialises access to it.
 */

#ifndef _LIB_RBTREE_H_
#define _LIB_RBTREE_H_

#include "machine/kassert.h"
#include "machine/types.h"

/*
 * struct rb_node: the part of an object the tree owns.  The parent
 * pointer and the node's colour share one word: nodes are pointer
 * aligned, so bit 0 of a parent address is always free and holds the
 * colour (set: red).  The root's parent is NULL.
 */
struct rb_node {
	struct rb_node *rb_left;   /* smaller objects, or NULL */
	struct rb_node *rb_right;  /* larger objects, or NULL */
	uintptr_t rb_parent_color; /* parent address | RB_NODE_RED */
};

typedef int (*rbto_compare_nodes_fn)(void *ctx, const void *a, const void *b);
typedef int (*rbto_compare_key_fn)(void *ctx, const void *obj, const void *key);

struct rb_tree_ops {
	rbto_compare_nodes_fn rbto_compare_nodes; /* object vs object */
	rbto_compare_key_fn rbto_compare_key;	  /* object vs key */
	size_t rbto_node_offset; /* offsetof(object, its rb_node) */
	void *rbto_context;	 /* first argument of both compares */
};

struct rb_tree {
	struct rb_node *rbt_root;	   /* NULL when empty */
	const struct rb_tree_ops *rbt_ops; /* how to order the objects */
	size_t rbt_count;		   /* objects in the tree */
};

/* directions for rb_tree_iterate */
#define RB_DIR_LEFT  0 /* towards smaller */
#define RB_DIR_RIGHT 1 /* towards larger */

void rb_tree_init(struct rb_tree *, const struct rb_tree_ops *);
void *rb_tree_insert_node(struct rb_tree *, void *obj);
void rb_tree_remove_node(struct rb_tree *, void *obj);
void *rb_tree_find_node(struct rb_tree *, const void *key);
void *rb_tree_find_node_leq(struct rb_tree *, const void *key);
void *rb_tree_find_node_geq(struct rb_tree *, const void *key);
void *rb_tree_iterate(struct rb_tree *, void *obj, unsigned int direction);
size_t rb_tree_count(const struct rb_tree *);
int rb_tree_check(const struct rb_tree *, struct kcheck *);

/* --- implementation detail: shared with rbtree.c and checkers --------- */

/*
 * The red-black invariants, which bound the height to 2 log2(n + 1):
 *
 *	1. the root is black;
 *	2. a red node has no red child;
 *	3. every path from a node down to a NULL child crosses the same
 *	   number of black nodes (NULL counts as black);
 *
 * and the tree invariants: for every node n, parent(n->rb_left) == n and
 * parent(n->rb_right) == n; an in-order walk meets the objects in
 * strictly increasing rbto_compare_nodes order; rbt_count of them.
 */
#define RB_NODE_RED ((uintptr_t)1)

#endif /* _LIB_RBTREE_H_ */
