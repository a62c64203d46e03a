/*
 * kern.h: the kernel -- its interface to the simulator front end and to
 * the programs that simulated processes run, and the declarations its
 * own files share.
 *
 * The host (the uvmsim command, a test) boots the kernel, spawns
 * processes with kern_spawn and lets the machine run with kern_run; it
 * never runs inside a simulated thread.  A program (proc_prog_t) runs
 * inside its process's thread and touches its memory through the
 * proc_* calls below, which cost simulated time, deliver the signal a
 * failed access becomes, and are preemption points.
 */

#ifndef _KERN_KERN_H_
#define _KERN_KERN_H_

#include <signal.h>
#include <string.h>

#include "machine/clock.h"
#include "machine/cpu.h"
#include "machine/machdep.h"
#include "sys/buf.h"
#include "sys/proc.h"
#include "sys/systm.h"
#include "uvm/uvm_extern.h"

/* boot and shutdown (init_main.c) */
int kern_boot(const struct machine_config *);
int kern_boot_vm(const struct machine_config *);
void kern_shutdown(void);

/* running the machine (kern_clock.c) */
bool kern_run(simtime_t until);
void kern_charge(simtime_t us, bool user);
void kern_clock_init(int hz);
void kern_clock_fini(void);

/*
 * Stopping a run from outside the simulation (kern_clock.c).  A stop
 * takes effect at the next context switch or preemption point: a
 * process computing is stopped at once, in the middle of its charge;
 * kern_run then returns to the host, and calls kern_stop_hook first.
 * The limits are simulated (time, steps), so where a run stops is
 * deterministic; only a signal's moment is not.
 */
enum kern_stop {
	KSTOP_NONE,
	KSTOP_SIGNAL, /* kern_stop_signal was set (a host signal) */
	KSTOP_TIME,   /* the simulated clock reached the time limit */
	KSTOP_STEPS   /* the step limit was reached */
};
/* a signal handler's only business: the signal's number (0: none) */
extern volatile sig_atomic_t kern_stop_signal;
/* steps taken: CPU charges and callouts the idle loop fired */
extern uint64_t kern_steps;
/*
 * called by kern_run, from the host, when a stop (not KSTOP_NONE) ends
 * it; may not return (the run is abandoned), else kern_run returns false
 * and every later kern_run returns at once
 */
extern void (*kern_stop_hook)(enum kern_stop);
/* called every KERN_POLL_STEPS steps; must not touch the simulation */
extern void (*kern_poll_hook)(void);
#define KERN_POLL_STEPS 4096
/*
 * An observer of simulated time (the front end's time series): when the
 * clock is about to move to `to' >= kern_sample_at, kern_sample_hook(to)
 * is called first, with the machine as it has been since the last
 * move.  It must not touch the simulation; it sets kern_sample_at to
 * the next time it wants (SIMTIME_NEVER: none).
 */
extern simtime_t kern_sample_at;
extern void (*kern_sample_hook)(simtime_t to);
/* the limits: max_time SIMTIME_NEVER, max_steps 0 for none */
void kern_set_limits(simtime_t max_time, uint64_t max_steps);
/* why the machine was stopped, or KSTOP_NONE */
enum kern_stop kern_stopped(void);
/* is a stop due (the scheduler's question at every switch)? */
bool kern_stopping(void);

/* processes the host starts and collects */
int kern_spawn(const char *name, proc_prog_t, void *arg, struct proc **);
int kern_collect(int pid, int *statusp);
/*
 * the front end's observer of exits (process accounting, as acct(2)):
 * called by exit1 in the exiting process, its u-area still in memory,
 * with the wait status it will leave
 */
extern void (*kern_exit_hook)(struct proc *, int status);

/* what programs call (kern_user.c) */
#define PROC_ACCESS_US 1 /* simulated cost of a load or store, per page */
uint64_t kern_npages(vaddr_t, size_t);
int proc_load(struct proc *, vaddr_t, void *, size_t);
int proc_store(struct proc *, vaddr_t, const void *, size_t);
int proc_fill(struct proc *, vaddr_t, int c, size_t);
int proc_fork(struct proc *, proc_prog_t, void *arg, struct proc **childp);
int proc_sleep(struct proc *, simtime_t us);
void proc_compute(struct proc *, simtime_t us);
int proc_mmap(struct proc *, vaddr_t addr, vsize_t len, vm_prot_t, int flags,
    int fd, voff_t pos, vaddr_t *vap);
int proc_truncate(struct proc *, const char *name, voff_t size);

/* raw devices and physio (kern_physio.c) */
struct rawdev {
	uint8_t *rd_data;     /* the device's bytes */
	size_t rd_size;	      /* how many */
	simtime_t rd_xfer_us; /* time to move one page */
	uint64_t rd_reads;    /* transfers device -> memory */
	uint64_t rd_writes;   /* transfers memory -> device */
	uint64_t rd_pages;    /* pages moved */
};
struct rawdev *rawdev_create(size_t size, simtime_t xfer_us);
void rawdev_destroy(struct rawdev *);
int physio(struct proc *, struct rawdev *, voff_t devoff, vaddr_t uaddr,
    size_t len, int rw);

/* sysctl (kern_sysctl.c) */
int kern_sysctl(struct proc *, const char *name, vaddr_t oldp, size_t *oldlenp);

/* /dev/kmem (kern_mem.c) */
int kmem_read(struct proc *, vaddr_t kva, vaddr_t uaddr, size_t len);

/* the kernel's message buffer (subr_prf.c): see sys/systm.h */

/* core dumps (kern_core.c) */
struct core_counters {
	uint64_t written; /* cores written */
	uint64_t failed;  /* cores that could not be */
};
extern struct core_counters corecounters;
int kern_core_init(const char *dir, bool netbsd);
void kern_core_fini(void);
int coredump(struct proc *, const struct ksiginfo *);

/* the address space of a new program (kern_exec.c) */
#define KERN_DATA_BASE ((vaddr_t)0x10000000)
struct vmspace *kern_exec_vmspace(struct proc *);

/* inside the kernel */
struct sched_counters {
	uint64_t switches; /* context switches */
	uint64_t preempts; /* involuntary ones */
	uint64_t sleeps;   /* tsleep calls that slept */
	uint64_t schedcpu; /* schedcpu runs */
	uint64_t sigexits; /* processes killed by a signal */
};
extern struct sched_counters schedcounters;
extern struct proc *reaperproc;

void sched_init(void);
bool sched_idle_switch(void);
bool sched_runnable(void);
void sched_park(void);
__dead void sched_exit(void);
void sched_tick(struct proc *);
void schedcpu(void);
bool proclist_locked(void);
void proc_hash_proc0(void);
void proc_unsleep(struct proc *);
bool proc_sigpending(struct proc *);
__dead void sigexit(struct proc *, int sig);
void reaper_main(void *);
void proc_reaped(struct proc *);
void proc_teardown(struct proc *);
void proc_teardown_all(void);
void kern_exit_init(void);

#endif /* _KERN_KERN_H_ */
