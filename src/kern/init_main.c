/*
 * init_main.c: booting and stopping the simulated kernel.
 */

#include "kern/kern.h"

/*
 * kern_boot: boot the machine and bring the kernel up on it.
 *
 * => the configuration must pass machine_config_check.
 * => returns 0, or the errno value of what failed; nothing is left
 *    running on failure.
 */
int
kern_boot(const struct machine_config *mc)
{
	int error;

	error = machine_boot(mc);
	if (error)
		return error;
	uvm_init();
	return 0;
}

/*
 * kern_shutdown: stop the kernel and power the machine off, releasing
 * every host resource, so one program can boot many machines in turn.
 */
void
kern_shutdown(void)
{
	uvm_fini();
	machine_shutdown();
	failpoint_reset_all();
}
