/*
 * uvm_meter.c: the VM system's measures over time -- the load average,
 * and the swapper's once-a-second nudge.
 */

#include "machine/clock.h"
#include "sys/proc.h"
#include "uvm/uvm.h"

int maxslp = 20; /* seconds asleep before a process may be swapped out */

/* 1, 5 and 15 minute load averages, fixed point, and their decay */
static unsigned int uvm_ldavg[3];
static const uint64_t uvm_cexp[3] = {
	(uint64_t)(0.9200444146293232 * FSCALE), /* exp(-1/12) */
	(uint64_t)(0.9834714538216174 * FSCALE), /* exp(-1/60) */
	(uint64_t)(0.9944598480048967 * FSCALE), /* exp(-1/180) */
};

/*
 * uvm_loadav: fold the number of runnable processes into the load
 * averages (every five seconds).  Processes in short, urgent sleeps
 * count as runnable, as in NetBSD.
 */
static void
uvm_loadav(void)
{
	struct proc *p;
	uint64_t nrun = 0;
	int i;

	proclist_lock_read();
	LIST_FOREACH (p, &allproc, p_list) {
		switch (p->p_stat) {
		case SSLEEP:
			if (p->p_priority > PZERO || p->p_slptime > 1)
				continue;
			/* FALLTHROUGH */
		case SRUN:
		case SONPROC:
		case SIDL:
			nrun++;
		}
	}
	proclist_unlock_read();
	for (i = 0; i < 3; i++)
		uvm_ldavg[i] = (unsigned int)((uvm_cexp[i] * uvm_ldavg[i] +
						  nrun * FSCALE *
						      (FSCALE - uvm_cexp[i])) >>
		    FSHIFT);
}

/*
 * uvm_meter: called by schedcpu once a second: the load average every
 * five seconds, and a wakeup of proc0 when it has slept more than half
 * of maxslp, so the swapper looks around now and then even if nobody
 * woke it.
 */
void
uvm_meter(void)
{
	if ((clock_now() / 1000000) % 5 == 0)
		uvm_loadav();
	if (proc0.p_slptime > (unsigned int)(maxslp / 2))
		wakeup(&proc0);
}

/* uvm_loadavg: load average `which' (0, 1, 2), fixed point of FSCALE */
unsigned int
uvm_loadavg(int which)
{
	KASSERT(which >= 0 && which < 3);
	return uvm_ldavg[which];
}

/* uvm_meter_init: no load yet (boot) */
void
uvm_meter_init(void)
{
	uvm_ldavg[0] = uvm_ldavg[1] = uvm_ldavg[2] = 0;
}
