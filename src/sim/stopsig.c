/*
 * stopsig.c: SIGINT and SIGTERM stop a run (see stopsig.h).
 */

#include "sim/stopsig.h"

#include <signal.h>
#include <string.h>

#include "kern/kern.h"

static void
stopsig_handler(int sig)
{
	if (kern_stop_signal != 0) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	kern_stop_signal = sig;
}

void
stopsig_catch(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = stopsig_handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	(void)sigaction(SIGINT, &sa, NULL);
	(void)sigaction(SIGTERM, &sa, NULL);
}
