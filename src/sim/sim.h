/*
 * sim.h: the simulator front end -- demonstration and command line.
 */

#ifndef _SIM_SIM_H_
#define _SIM_SIM_H_

#include <stdio.h>

#include "kern/kern.h"

int sim_demo(FILE *, const struct machine_config *);

#endif /* _SIM_SIM_H_ */
