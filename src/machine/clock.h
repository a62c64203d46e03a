/*
 * clock.h: the simulated machine's time of day.
 *
 * Time is a count of simulated microseconds since power-on.  Nothing on
 * the host's clock enters it: time moves only when the kernel charges
 * CPU work to a thread or jumps an idle CPU to its next event, so a run
 * is the same, byte for byte, every time.
 */

#ifndef _MACHINE_CLOCK_H_
#define _MACHINE_CLOCK_H_

#include "machine/types.h"

#define SIMTIME_NEVER (~(simtime_t)0)

extern simtime_t clock_time; /* now */

static inline simtime_t
clock_now(void)
{
	return clock_time;
}

void clock_advance(simtime_t to);
void clock_reset(void);

#endif /* _MACHINE_CLOCK_H_ */
