/*
 * suggest.h: "did you mean" -- the name closest to a mistyped word.
 *
 * A word is close to a candidate when few edits turn one into the
 * other: the edit distance counts a letter inserted, deleted, replaced,
 * or two neighbours swapped, as one edit each, ignoring case.  A
 * candidate is suggested only when at most a third of the longer name's
 * letters need an edit (so "memroy" finds "memory" but "x" finds
 * nothing), or when the word is the start of the candidate and at least
 * three letters long ("mem" finds "memory").  Among candidates equally
 * close, the first offered wins, so a suggestion depends only on the
 * word and the order of the table it is taken from.
 *
 * Two ways to use it: suggest() over an array of names, or, for a
 * table of structures, a struct suggest filled one candidate at a time:
 *
 *	struct suggest s;
 *	suggest_init(&s, word);
 *	for (i = 0; i < n; i++)
 *		suggest_add(&s, table[i].name);
 *	best = suggest_best(&s);	(NULL: nothing close)
 */

#ifndef _SIM_SUGGEST_H_
#define _SIM_SUGGEST_H_

#include <stddef.h>

/* names longer than this are never close to anything */
#define SUGGEST_MAXLEN 64

struct suggest {
	const char *sg_word; /* the mistyped word (borrowed) */
	const char *sg_best; /* the closest acceptable candidate, or NULL */
	unsigned sg_dist;    /* its distance, as suggest_distance counts */
};

/*
 * suggest_distance: the edit distance between a and b, ignoring case
 * (insert, delete, replace, swap two neighbours: one each).
 * => either longer than SUGGEST_MAXLEN: returns (unsigned)-1.
 */
unsigned suggest_distance(const char *a, const char *b);

/*
 * suggest_init: start a search for the candidate closest to word.
 * => word is borrowed and must outlive the search; NULL or "" finds
 *    nothing.
 */
void suggest_init(struct suggest *s, const char *word);

/*
 * suggest_add: offer one candidate.  It replaces the best so far only
 * if it is acceptable (see above) and strictly closer.
 * => cand is borrowed: suggest_best returns it, so it must outlive the
 *    use of the answer.  NULL is ignored.
 */
void suggest_add(struct suggest *s, const char *cand);

/* suggest_best: the closest acceptable candidate offered, or NULL. */
const char *suggest_best(const struct suggest *s);

/*
 * suggest: the candidate among cands[0..n) closest to word, or NULL if
 * none is acceptable.  The list ends at n or at a NULL, whichever is
 * first, so (size_t)-1 takes a NULL-terminated list.
 */
const char *suggest(const char *word, const char *const *cands, size_t n);

#endif /* _SIM_SUGGEST_H_ */
