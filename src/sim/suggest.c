/*
 * suggest.c: "did you mean" -- the closest name to a mistyped word, by
 * edit distance (see suggest.h for the rule).
 */

#include <ctype.h>
#include <string.h>

#include "sim/suggest.h"

static int
fold(char c)
{
	return tolower((unsigned char)c);
}

/*
 * suggest_distance: optimal string alignment distance (Levenshtein plus
 * the swap of two neighbours), three rows of a small dynamic programme.
 */
unsigned
suggest_distance(const char *a, const char *b)
{
	unsigned rows[3][SUGGEST_MAXLEN + 1];
	unsigned *pp, *prev, *cur, *t, best;
	size_t la, lb, i, j;

	la = strlen(a);
	lb = strlen(b);
	if (la > SUGGEST_MAXLEN || lb > SUGGEST_MAXLEN)
		return (unsigned)-1;
	pp = rows[0];
	prev = rows[1];
	cur = rows[2];
	for (j = 0; j <= lb; j++)
		prev[j] = (unsigned)j;
	for (i = 1; i <= la; i++) {
		cur[0] = (unsigned)i;
		for (j = 1; j <= lb; j++) {
			unsigned cost = fold(a[i - 1]) != fold(b[j - 1]);

			best = prev[j - 1] + cost;
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 &&
			    fold(a[i - 1]) == fold(b[j - 2]) &&
			    fold(a[i - 2]) == fold(b[j - 1]) &&
			    pp[j - 2] + 1 < best)
				best = pp[j - 2] + 1;
			cur[j] = best;
		}
		t = pp;
		pp = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

/* is word the start of cand (ignoring case)? */
static int
is_prefix(const char *word, const char *cand)
{
	for (; *word != '\0'; word++, cand++)
		if (*cand == '\0' || fold(*word) != fold(*cand))
			return 0;
	return 1;
}

void
suggest_init(struct suggest *s, const char *word)
{
	s->sg_word = word;
	s->sg_best = NULL;
	s->sg_dist = (unsigned)-1;
}

void
suggest_add(struct suggest *s, const char *cand)
{
	size_t lw, lc, longer;
	unsigned d;

	if (cand == NULL || s->sg_word == NULL || s->sg_word[0] == '\0')
		return;
	d = suggest_distance(s->sg_word, cand);
	if (d == (unsigned)-1)
		return;
	lw = strlen(s->sg_word);
	lc = strlen(cand);
	longer = lw > lc ? lw : lc;
	/* a long enough start of the name is as good as one edit */
	if (lw >= 3 && is_prefix(s->sg_word, cand) && d > 1)
		d = 1;
	else if ((size_t)d * 3 > longer)
		return;
	if (d < s->sg_dist) {
		s->sg_best = cand;
		s->sg_dist = d;
	}
}

const char *
suggest_best(const struct suggest *s)
{
	return s->sg_best;
}

const char *
suggest(const char *word, const char *const *cands, size_t n)
{
	struct suggest s;
	size_t i;

	suggest_init(&s, word);
	for (i = 0; i < n && cands[i] != NULL; i++)
		suggest_add(&s, cands[i]);
	return suggest_best(&s);
}
