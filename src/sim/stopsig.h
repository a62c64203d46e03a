/*
 * stopsig.h: SIGINT and SIGTERM, for the commands that run a machine.
 *
 * The simulation runs in one host thread (its processes are fibers of
 * it), so a signal interrupts it wherever it is, perhaps in the middle
 * of a page table update.  The handler therefore only records the
 * signal in kern_stop_signal (async-signal-safe); the scheduler sees it
 * at the next switch or preemption point and the run stops there (see
 * kern.h).  A second signal of the kind ends the program at once, as if
 * it were not caught.
 */

#ifndef _SIM_STOPSIG_H_
#define _SIM_STOPSIG_H_

/* stopsig_catch: catch SIGINT and SIGTERM as above */
void stopsig_catch(void);

#endif /* _SIM_STOPSIG_H_ */
