/*
 * t_replay.c: traces replayed through the whole VM and in textbook
 * mode -- the invariants a replay must keep: with memory above the
 * footprint only first touches fault and nothing is paged; under
 * pressure pages go out and come back; OPT never pages in more than
 * the others; the same trace gives the same report, byte for byte; a
 * bad trace stops the replay with exit status 2.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/replay.h"

#include "h_util.h"

/* write_string: a reference string of `rounds' sweeps over `pages'
 * pages, every `wevery'-th reference a store (lackey, so stores are
 * stores); returns the number of references */
static size_t
write_sweeps(const char *path, int pages, int rounds, int wevery)
{
	FILE *f = fopen(path, "w");
	size_t n = 0;
	int r, i;

	ATF_REQUIRE(f != NULL);
	for (r = 0; r < rounds; r++)
		for (i = 0; i < pages; i++, n++)
			fprintf(f, "%s %x,4\n",
			    wevery > 0 && n % (size_t)wevery == 0 ? " S" : " L",
			    0x10000000 + i * 4096 + 8);
	ATF_REQUIRE_EQ(fclose(f), 0);
	return n;
}

static size_t replay_swapslots; /* 0: the default */

static int
replay(const char *policy, size_t npages, uint64_t frames,
    const char *const *traces, int ntraces, struct replay_result *rr,
    char **report)
{
	struct replay_opts o;
	size_t len = 0;
	FILE *out = open_memstream(report, &len);
	int rv;

	ATF_REQUIRE(out != NULL);
	memset(&o, 0, sizeof(o));
	machine_config_default(&o.ro_mc);
	o.ro_mc.mc_npages = npages;
	if (replay_swapslots != 0)
		o.ro_mc.mc_swapslots = replay_swapslots;
	o.ro_mc.mc_policy = policy;
	o.ro_traces = traces;
	o.ro_ntraces = ntraces;
	o.ro_frames = frames;
	o.ro_check = true;
	o.ro_out = out;
	o.ro_result = rr;
	rv = replay_run(&o);
	ATF_REQUIRE_EQ(fclose(out), 0);
	return rv;
}

ATF_TC_WITHOUT_HEAD(above_footprint_only_first_touches);
ATF_TC_BODY(above_footprint_only_first_touches, tc)
{
	static const char *const t[] = { "sweeps" };
	struct replay_result rr;
	char *report;
	size_t n = write_sweeps("sweeps", 200, 3, 5);

	ATF_REQUIRE_EQ(replay("clock", 1024, 0, t, 1, &rr, &report), 0);
	ATF_CHECK_EQ(rr.rr_refs, n);
	ATF_CHECK_EQ_MSG(rr.rr_pageins, 0, "%llu page-ins",
	    (unsigned long long)rr.rr_pageins);
	ATF_CHECK_EQ(rr.rr_pageouts, 0);
	/* first touches: minor faults, no more than the pages touched */
	ATF_CHECK_EQ(rr.rr_majflt, 0);
	ATF_CHECK(rr.rr_minflt > 0 && rr.rr_minflt <= 200);
	ATF_CHECK(strstr(report, "done") != NULL);
	free(report);
}

ATF_TC_WITHOUT_HEAD(pressure_pages_out_and_in);
ATF_TC_BODY(pressure_pages_out_and_in, tc)
{
	static const char *const t[] = { "sweeps" };
	struct replay_result rr;
	char *report;

	write_sweeps("sweeps", 300, 4, 3);
	ATF_REQUIRE_EQ(replay("clock", 128, 0, t, 1, &rr, &report), 0);
	ATF_CHECK(rr.rr_pageouts > 0);
	ATF_CHECK(rr.rr_pageins > 0);
	ATF_CHECK(rr.rr_pdwoke > 0);
	/* the faults that read from swap are the process's major ones */
	ATF_CHECK(rr.rr_majflt > 0);
	ATF_CHECK(rr.rr_majflt <= rr.rr_pageins);
	free(report);
}

/*
 * A working set written once and then only read: a page read back from
 * swap keeps its slot and stays clean, so the pagedaemon frees it again
 * without writing it -- each page goes to swap once.  (Once every
 * page-in dropped the slot and dirtied the page, and each sweep wrote
 * the whole set again.)
 */
ATF_TC_WITHOUT_HEAD(read_only_pages_written_once);
ATF_TC_BODY(read_only_pages_written_once, tc)
{
	static const char *const t[] = { "ro" };
	struct replay_result rr;
	char *report;
	FILE *f = fopen("ro", "w");
	int r, i;

	ATF_REQUIRE(f != NULL);
	for (r = 0; r < 5; r++)
		for (i = 0; i < 400; i++)
			fprintf(f, " %c %x,4\n", r == 0 ? 'S' : 'L',
			    0x10000000 + i * 4096);
	ATF_REQUIRE_EQ(fclose(f), 0);
	ATF_REQUIRE_EQ(replay("clock", 160, 0, t, 1, &rr, &report), 0);
	free(report);
	ATF_CHECK(rr.rr_pageins > 400);
	ATF_CHECK_MSG(rr.rr_pageouts <= 400, "%llu pages written",
	    (unsigned long long)rr.rr_pageouts);
}

/*
 * Slots kept by pages read back are given back when swap runs short:
 * 300 pages are written, 50 of them read back and kept hot (holding
 * their slots), then new pages are written among the hot ones.  Swap
 * has no free slot for them before every slot holds an only copy: the
 * hot pages' slots are given back (and the pages dirtied), and the
 * replay finishes with nobody killed for want of swap.
 */
ATF_TC_WITHOUT_HEAD(kept_slots_given_back_when_short);
ATF_TC_BODY(kept_slots_given_back_when_short, tc)
{
	static const char *const t[] = { "short" };
	struct replay_result rr;
	char *report;
	FILE *f = fopen("short", "w");
	int i, refs = 0;

	ATF_REQUIRE(f != NULL);
	for (i = 0; i < 300; i++, refs++)
		fprintf(f, " S %x,4\n", 0x10000000 + i * 4096);
	for (i = 0; i < 50; i++, refs++)
		fprintf(f, " L %x,4\n", 0x10000000 + i * 4096);
	for (i = 300; i < 450; i++, refs += 2)
		fprintf(f, " S %x,4\n L %x,4\n", 0x10000000 + i * 4096,
		    0x10000000 + (i % 50) * 4096);
	ATF_REQUIRE_EQ(fclose(f), 0);
	replay_swapslots = 380;
	ATF_CHECK_EQ(replay("clock", 128, 0, t, 1, &rr, &report), 0);
	replay_swapslots = 0;
	ATF_CHECK_MSG(strstr(report, "done") != NULL, "%s", report);
	free(report);
	ATF_CHECK_EQ(rr.rr_refs, (uint64_t)refs);
}

ATF_TC_WITHOUT_HEAD(opt_pages_in_least);
ATF_TC_BODY(opt_pages_in_least, tc)
{
	static const char *const t[] = { "sweeps" };
	static const char *const pols[] = { "clock", "fifo", "lru" };
	struct replay_result opt, rr;
	char *report;
	size_t i;

	write_sweeps("sweeps", 300, 4, 3);
	ATF_REQUIRE_EQ(replay("opt", 128, 0, t, 1, &opt, &report), 0);
	free(report);
	ATF_REQUIRE(opt.rr_pageins > 0);
	for (i = 0; i < __arraycount(pols); i++) {
		ATF_REQUIRE_EQ(replay(pols[i], 128, 0, t, 1, &rr, &report), 0);
		free(report);
		ATF_CHECK_MSG(opt.rr_pageins <= rr.rr_pageins,
		    "opt %llu page-ins, %s %llu",
		    (unsigned long long)opt.rr_pageins, pols[i],
		    (unsigned long long)rr.rr_pageins);
	}
}

ATF_TC_WITHOUT_HEAD(same_traces_same_report);
ATF_TC_BODY(same_traces_same_report, tc)
{
	static const char *const t[] = { "a", "b" };
	struct replay_result r1, r2;
	char *rep1, *rep2;

	write_sweeps("a", 150, 3, 2);
	write_sweeps("b", 90, 5, 7);
	ATF_REQUIRE_EQ(replay("clock", 128, 0, t, 2, &r1, &rep1), 0);
	ATF_REQUIRE_EQ(replay("clock", 128, 0, t, 2, &r2, &rep2), 0);
	ATF_CHECK_STREQ(rep1, rep2);
	ATF_CHECK_EQ(r1.rr_time, r2.rr_time);
	/* two processes shared the machine, and both finished */
	ATF_CHECK(strstr(rep1, "a ") != NULL && strstr(rep1, "b ") != NULL);
	ATF_CHECK(r1.rr_pageouts > 0);
	free(rep1);
	free(rep2);
}

ATF_TC_WITHOUT_HEAD(textbook_belady);
ATF_TC_BODY(textbook_belady, tc)
{
	static const char *const t[] = { "belady" };
	struct replay_result rr;
	char *report;
	FILE *f = fopen("belady", "w");

	ATF_REQUIRE(f != NULL);
	fprintf(f, "1 2 3 4 1 2 5 1 2 3 4 5\n");
	ATF_REQUIRE_EQ(fclose(f), 0);
	ATF_REQUIRE_EQ(replay("fifo", 1024, 3, t, 1, &rr, &report), 0);
	ATF_CHECK_EQ(rr.rr_faults, 9);
	ATF_CHECK(strstr(report, "9 faults") != NULL);
	free(report);
	ATF_REQUIRE_EQ(replay("fifo", 1024, 4, t, 1, &rr, &report), 0);
	ATF_CHECK_EQ(rr.rr_faults, 10);
	free(report);
	ATF_REQUIRE_EQ(replay("opt", 1024, 3, t, 1, &rr, &report), 0);
	ATF_CHECK_EQ(rr.rr_faults, 7);
	free(report);
	ATF_REQUIRE_EQ(replay("random", 1024, 3, t, 1, &rr, &report), 2);
	free(report);
}

ATF_TC_WITHOUT_HEAD(bad_address_stops_the_replay);
ATF_TC_BODY(bad_address_stops_the_replay, tc)
{
	static const char *const t[] = { "far" };
	struct replay_result rr;
	char *report;
	FILE *f = fopen("far", "w");

	ATF_REQUIRE(f != NULL);
	/* the user address space is 2^39 bytes */
	fprintf(f, " L 10000000,4\n L fffffff000,4\n L 10000000,4\n");
	ATF_REQUIRE_EQ(fclose(f), 0);
	ATF_CHECK_EQ(replay("clock", 1024, 0, t, 1, &rr, &report), 2);
	ATF_CHECK_EQ(rr.rr_refs, 1);
	/* no report, only the error */
	ATF_CHECK(strstr(report, "TRACE") == NULL);
	free(report);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, above_footprint_only_first_touches);
	ATF_TP_ADD_TC(tp, pressure_pages_out_and_in);
	ATF_TP_ADD_TC(tp, read_only_pages_written_once);
	ATF_TP_ADD_TC(tp, kept_slots_given_back_when_short);
	ATF_TP_ADD_TC(tp, opt_pages_in_least);
	ATF_TP_ADD_TC(tp, same_traces_same_report);
	ATF_TP_ADD_TC(tp, textbook_belady);
	ATF_TP_ADD_TC(tp, bad_address_stops_the_replay);
	return atf_no_error();
}
