/*
 * clock.c: the simulated machine's time of day.
 */

#include "machine/clock.h"
#include "machine/kassert.h"

simtime_t clock_time;

/*
 * clock_advance: move time forward to `to'.
 *
 * => time never runs backwards; asking it to is a kernel bug.
 */
void
clock_advance(simtime_t to)
{
	KASSERTMSG(to >= clock_time,
	    "%s: time would run backwards (%llu < %llu)", __func__,
	    (unsigned long long)to, (unsigned long long)clock_time);
	clock_time = to;
}

/* clock_reset: power-on time (machine_boot) */
void
clock_reset(void)
{
	clock_time = 0;
}
