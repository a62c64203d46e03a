/*
 * t_suggest.c: "did you mean" -- the edit distance, the threshold that
 * keeps far-fetched suggestions out, and ties broken by table order.
 */

#include <string.h>

#include "sim/suggest.h"

#include "h_util.h"

ATF_TC_WITHOUT_HEAD(distance_counts_each_kind_of_edit);
ATF_TC_BODY(distance_counts_each_kind_of_edit, tc)
{
	ATF_CHECK_EQ(suggest_distance("memory", "memory"), 0);
	ATF_CHECK_EQ(suggest_distance("memory", "MEMORY"), 0);
	ATF_CHECK_EQ(suggest_distance("memor", "memory"), 1);	/* insert */
	ATF_CHECK_EQ(suggest_distance("memoryy", "memory"), 1); /* delete */
	ATF_CHECK_EQ(suggest_distance("memary", "memory"), 1);	/* replace */
	ATF_CHECK_EQ(suggest_distance("memroy", "memory"), 1);	/* swap */
	ATF_CHECK_EQ(suggest_distance("", "swap"), 4);
	ATF_CHECK_EQ(suggest_distance("kitten", "sitting"), 3);
	ATF_CHECK_EQ(suggest_distance("ab", "ba"), 1);
	ATF_CHECK_EQ(suggest_distance("ca", "abc"), 3);
}

ATF_TC_WITHOUT_HEAD(distance_refuses_overlong_names);
ATF_TC_BODY(distance_refuses_overlong_names, tc)
{
	char longname[SUGGEST_MAXLEN + 2];

	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ATF_CHECK_EQ(suggest_distance(longname, "a"), (unsigned)-1);
	longname[SUGGEST_MAXLEN] = '\0';
	ATF_CHECK_EQ(suggest_distance(longname, longname), 0);
}

static const char *const settings[] = { "memory", "swap", "pagesize", "policy",
	"maxslp", "hz", "upages", "switch", "core-style", "seed", NULL };

ATF_TC_WITHOUT_HEAD(close_words_find_their_name);
ATF_TC_BODY(close_words_find_their_name, tc)
{
	ATF_CHECK_STREQ(suggest("memroy", settings, (size_t)-1), "memory");
	ATF_CHECK_STREQ(suggest("pagsize", settings, (size_t)-1), "pagesize");
	ATF_CHECK_STREQ(suggest("core_style", settings, (size_t)-1),
	    "core-style");
	ATF_CHECK_STREQ(suggest("Policy", settings, (size_t)-1), "policy");
	ATF_CHECK_STREQ(suggest("sead", settings, (size_t)-1), "seed");
	ATF_CHECK_STREQ(suggest("maxslep", settings, (size_t)-1), "maxslp");
}

ATF_TC_WITHOUT_HEAD(a_long_enough_start_finds_the_name);
ATF_TC_BODY(a_long_enough_start_finds_the_name, tc)
{
	ATF_CHECK_STREQ(suggest("mem", settings, (size_t)-1), "memory");
	ATF_CHECK_STREQ(suggest("core", settings, (size_t)-1), "core-style");
	/* two letters are too few to guess from */
	ATF_CHECK(suggest("me", settings, (size_t)-1) == NULL);
}

ATF_TC_WITHOUT_HEAD(far_words_find_nothing);
ATF_TC_BODY(far_words_find_nothing, tc)
{
	ATF_CHECK(suggest("x", settings, (size_t)-1) == NULL);
	ATF_CHECK(suggest("banana", settings, (size_t)-1) == NULL);
	ATF_CHECK(suggest("", settings, (size_t)-1) == NULL);
	ATF_CHECK(suggest(NULL, settings, (size_t)-1) == NULL);
	/* "hx" is one edit from "hz", but that is half its letters */
	ATF_CHECK(suggest("hx", settings, (size_t)-1) == NULL);
	ATF_CHECK(suggest("memory", settings, 0) == NULL);
}

ATF_TC_WITHOUT_HEAD(ties_go_to_the_first_offered);
ATF_TC_BODY(ties_go_to_the_first_offered, tc)
{
	static const char *const ab[] = { "spam", "swab" };
	static const char *const ba[] = { "swab", "spam" };

	/* "swam" is one replacement from both */
	ATF_CHECK_STREQ(suggest("swam", ab, 2), "spam");
	ATF_CHECK_STREQ(suggest("swam", ba, 2), "swab");
	/* a closer candidate later still wins */
	ATF_CHECK_STREQ(suggest("swap", (const char *const[]){ "swam", "swap" },
			    2),
	    "swap");
}

ATF_TC_WITHOUT_HEAD(incremental_search_matches_the_list);
ATF_TC_BODY(incremental_search_matches_the_list, tc)
{
	struct suggest s;
	size_t i;

	suggest_init(&s, "upage");
	ATF_CHECK(suggest_best(&s) == NULL);
	for (i = 0; settings[i] != NULL; i++)
		suggest_add(&s, settings[i]);
	suggest_add(&s, NULL);
	ATF_CHECK_STREQ(suggest_best(&s), "upages");
	ATF_CHECK(suggest_best(&s) == settings[6]);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, distance_counts_each_kind_of_edit);
	ATF_TP_ADD_TC(tp, distance_refuses_overlong_names);
	ATF_TP_ADD_TC(tp, close_words_find_their_name);
	ATF_TP_ADD_TC(tp, a_long_enough_start_finds_the_name);
	ATF_TP_ADD_TC(tp, far_words_find_nothing);
	ATF_TP_ADD_TC(tp, ties_go_to_the_first_offered);
	ATF_TP_ADD_TC(tp, incremental_search_matches_the_list);
	return atf_no_error();
}
