/*
 * t_failpoint.c: allocator fault injection.
 */

#include <string.h>

#include "h_util.h"

ATF_TC_WITHOUT_HEAD(unarmed_never_fails);
ATF_TC_BODY(unarmed_never_fails, tc)
{
	int i;

	failpoint_reset_all();
	for (i = 0; i < 1000; i++)
		ATF_REQUIRE(!failpoint_hit(FP_PAGE));
	ATF_REQUIRE_EQ(failpoints[FP_PAGE].fp_calls, 1000);
	ATF_REQUIRE_EQ(failpoints[FP_PAGE].fp_failed, 0);
}

/* succeed N times, then fail M times, then succeed again */
ATF_TC_WITHOUT_HEAD(skip_then_fail_then_disarm);
ATF_TC_BODY(skip_then_fail_then_disarm, tc)
{
	const bool want[] = { false, false, false, true, true, false, false };
	size_t i;

	failpoint_reset_all();
	failpoint_arm(FP_ANON, 3, 2);
	for (i = 0; i < __arraycount(want); i++)
		ATF_CHECK_EQ_MSG(failpoint_hit(FP_ANON), want[i], "call %zu",
		    i);
	ATF_REQUIRE(!failpoints[FP_ANON].fp_armed);
	ATF_REQUIRE_EQ(failpoints[FP_ANON].fp_failed, 2);
	/* other failpoints are untouched */
	ATF_REQUIRE(!failpoint_hit(FP_AMAP));
}

ATF_TC_WITHOUT_HEAD(fail_forever_until_disarmed);
ATF_TC_BODY(fail_forever_until_disarmed, tc)
{
	int i;

	failpoint_reset_all();
	failpoint_arm(FP_KVA, 1, FAILPOINT_FOREVER);
	ATF_REQUIRE(!failpoint_hit(FP_KVA));
	for (i = 0; i < 100; i++)
		ATF_REQUIRE(failpoint_hit(FP_KVA));
	failpoint_disarm(FP_KVA);
	ATF_REQUIRE(!failpoint_hit(FP_KVA));
	ATF_REQUIRE_EQ(failpoints[FP_KVA].fp_failed, 100);
}

ATF_TC_WITHOUT_HEAD(arm_zero_fail_is_disarm);
ATF_TC_BODY(arm_zero_fail_is_disarm, tc)
{
	failpoint_reset_all();
	failpoint_arm(FP_MAPENT, 0, 0);
	ATF_REQUIRE(!failpoints[FP_MAPENT].fp_armed);
	ATF_REQUIRE(!failpoint_hit(FP_MAPENT));
}

ATF_TC_WITHOUT_HEAD(lookup_by_name);
ATF_TC_BODY(lookup_by_name, tc)
{
	int i;

	for (i = 0; i < FP_NPOINTS; i++)
		ATF_REQUIRE_EQ(failpoint_lookup(failpoints[i].fp_name), i);
	ATF_REQUIRE_EQ(failpoint_lookup("page"), FP_PAGE);
	ATF_REQUIRE_EQ(failpoint_lookup("swapslot"), FP_SWAPSLOT);
	ATF_REQUIRE_EQ(failpoint_lookup("nosuch"), -1);
	ATF_REQUIRE_EQ(failpoint_lookup(""), -1);
}

ATF_TC_WITHOUT_HEAD(reset_clears_counters);
ATF_TC_BODY(reset_clears_counters, tc)
{
	failpoint_arm(FP_SWAPSLOT, 0, 5);
	ATF_REQUIRE(failpoint_hit(FP_SWAPSLOT));
	failpoint_reset_all();
	ATF_REQUIRE_EQ(failpoints[FP_SWAPSLOT].fp_calls, 0);
	ATF_REQUIRE_EQ(failpoints[FP_SWAPSLOT].fp_failed, 0);
	ATF_REQUIRE(!failpoint_hit(FP_SWAPSLOT));
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, unarmed_never_fails);
	ATF_TP_ADD_TC(tp, skip_then_fail_then_disarm);
	ATF_TP_ADD_TC(tp, fail_forever_until_disarmed);
	ATF_TP_ADD_TC(tp, arm_zero_fail_is_disarm);
	ATF_TP_ADD_TC(tp, lookup_by_name);
	ATF_TP_ADD_TC(tp, reset_clears_counters);
	return atf_no_error();
}
