/*
 * proc.h: processes, their resource limits and u-areas, and the
 * scheduling interface -- what NetBSD keeps in <sys/proc.h>,
 * <sys/resource.h>, <sys/user.h> and <sys/kernel.h>.
 *
 * src/sys holds only definitions.  The VM system needs them, as the
 * reference's uvm_glue.c does (it walks allproc, sleeps on &proc0 and
 * puts processes on the run queue); kern/ implements the functions
 * declared here.  Host system headers that define the same names
 * (<sys/resource.h>, <sys/wait.h>) are never included beside this one.
 *
 * A process is one thread, as in NetBSD 1.6.  Its states:
 *
 *	SIDL     being created by fork1
 *	SRUN     runnable: on the run queue if in memory (P_INMEM), else
 *	         waiting for the swapper to bring it in
 *	SONPROC  running (curproc)
 *	SSLEEP   asleep in tsleep on p_wchan
 *	SSTOP    stopped by SIGSTOP (p_wchan set while it is still asleep:
 *	         a wakeup meanwhile clears it, and SIGCONT makes it runnable)
 *	SDEAD    exited, waiting for the reaper to free its resources
 *	SZOMB    exited, its resources freed, waiting for its parent
 */

#ifndef _SYS_PROC_H_
#define _SYS_PROC_H_

#include <stddef.h>
#include <sys/queue.h>

#include "machine/cpu.h"
#include "machine/types.h"

struct filedesc;
struct proc;
struct vmspace;

/* p_stat */
#define SIDL	1
#define SRUN	2
#define SSLEEP	3
#define SSTOP	4
#define SZOMB	5
#define SDEAD	6 /* exited, waiting for the reaper */
#define SONPROC 7

/* p_flag */
#define P_INMEM	  0x0001 /* the u-area is wired in memory */
#define P_SYSTEM  0x0002 /* a kernel thread: never swapped, no signals */
#define P_WEXIT	  0x0004 /* exiting */
#define P_SINTR	  0x0008 /* asleep, and a signal may interrupt it */
#define P_TIMEOUT 0x0010 /* the sleep timed out */
#define P_SPAWNED 0x0040 /* made by kern_spawn: its zombie is kept */

/* scheduling priorities: lower is more urgent */
#define PSWP	    0
#define PVM	    4
#define PINOD	    8
#define PRIBIO	    16
#define PZERO	    22
#define PWAIT	    32
#define PPAUSE	    40
#define PUSER	    50
#define MAXPRI	    127
#define PRIMASK	    0x0ff
#define PCATCH	    0x100 /* tsleep: a signal interrupts the sleep */
#define NQS	    32	  /* run queues */
#define PPQ	    (128 / NQS)
#define NZERO	    20 /* the default nice value */
#define PRIO_MIN    (-20)
#define PRIO_MAX    20
#define NICE_WEIGHT 2

/* resource limits */
#define RLIMIT_CPU     0
#define RLIMIT_FSIZE   1
#define RLIMIT_DATA    2
#define RLIMIT_STACK   3
#define RLIMIT_CORE    4
#define RLIMIT_RSS     5
#define RLIMIT_MEMLOCK 6
#define RLIMIT_NPROC   7
#define RLIMIT_NOFILE  8
#define RLIM_NLIMITS   9

typedef uint64_t rlim_t;
#define RLIM_INFINITY (~(rlim_t)0 >> 1)

struct rlimit {
	rlim_t rlim_cur; /* the limit in force */
	rlim_t rlim_max; /* the most it may be raised to */
};

/*
 * the VM's default limits (NetBSD's i386 values): stack 2 MiB of at most
 * 32 MiB, data 64 MiB of at most 1 GiB.
 */
#define DFLSSIZ ((rlim_t)2 * 1024 * 1024)
#define MAXSSIZ ((rlim_t)32 * 1024 * 1024)
#define DFLDSIZ ((rlim_t)64 * 1024 * 1024)
#define MAXDSIZ ((rlim_t)1024 * 1024 * 1024)

/* resource usage; times in simulated microseconds */
struct rusage {
	simtime_t ru_utime; /* user time */
	simtime_t ru_stime; /* system time */
	long ru_maxrss;	    /* most resident pages */
	long ru_minflt;	    /* faults without I/O */
	long ru_majflt;	    /* faults with I/O */
	long ru_nswap;	    /* times swapped out */
	long ru_nvcsw;	    /* voluntary context switches */
	long ru_nivcsw;	    /* involuntary ones */
};

struct itimerval {
	simtime_t it_interval;
	simtime_t it_value;
};

struct uprof {
	uint64_t pr_base;  /* profiling buffer */
	uint64_t pr_size;  /* its size */
	uint64_t pr_off;   /* pc offset */
	uint64_t pr_scale; /* pc scaling */
};

/*
 * struct pstats: the statistics that live in the u-area.  At fork the
 * child's are zeroed from PSTAT_STARTZERO to PSTAT_ENDZERO and copied
 * from the parent's from PSTAT_STARTCOPY to PSTAT_ENDCOPY; p_start is
 * set by fork1.
 */
struct pstats {
	struct rusage p_ru;	     /* this process */
	struct rusage p_cru;	     /* its reaped children */
	struct itimerval p_timer[3]; /* interval timers */
	struct uprof p_prof;	     /* profiling */
	simtime_t p_start;	     /* when it was created */
};

#define PSTAT_STARTZERO offsetof(struct pstats, p_ru)
#define PSTAT_ENDZERO	offsetof(struct pstats, p_timer)
#define PSTAT_STARTCOPY offsetof(struct pstats, p_timer)
#define PSTAT_ENDCOPY	offsetof(struct pstats, p_start)

/* the start of a u-area; the kernel stack area follows */
struct user {
	struct pcb u_pcb;
	struct pstats u_stats;
};

#define USER_KSTACK_OFF roundup(sizeof(struct user), 16)

/*
 * a callout: func(arg) at simulated time c_time.  Housekeeping callouts
 * (schedcpu) do not keep an idle machine running.
 */
struct callout {
	TAILQ_ENTRY(callout) c_list;
	simtime_t c_time; /* when */
	uint64_t c_seq;	  /* order among callouts due at once */
	void (*c_func)(void *);
	void *c_arg;
	bool c_pending;	     /* on the callout queue */
	bool c_housekeeping; /* does not count as work */
};

/* signals: the host's numbers (a core file's notes carry them) */
#define NSIG_KERN 32
typedef uint32_t sigset32_t;
#define sigmask32(s) ((sigset32_t)1 << ((s)-1))

/*
 * what a trap says about the signal it posts (trapsignal): the core
 * file's siginfo note carries it, as NetBSD's ksiginfo_t does for its
 * handlers
 */
struct ksiginfo {
	int ksi_signo;	  /* the signal */
	int ksi_code;	  /* its si_code: SEGV_MAPERR, BUS_ADRERR, ... */
	vaddr_t ksi_addr; /* the address that faulted */
};

/* a program: the code a simulated process runs */
typedef int (*proc_prog_t)(struct proc *, void *);

#define KCLEANUP_MAX   4  /* cleanups a kernel path may hold at once */
#define KCLEANUP_STATE 48 /* bytes of progress a cleanup may keep */

/* a cleanup's own state, kept where shutdown can read it */
union kcleanup_state {
	max_align_t ks_align;
	unsigned char ks_bytes[KCLEANUP_STATE];
};

struct proc {
	LIST_ENTRY(proc) p_list;    /* allproc or zombproc */
	LIST_ENTRY(proc) p_hash;    /* pid hash chain */
	TAILQ_ENTRY(proc) p_runq;   /* on a run queue */
	TAILQ_ENTRY(proc) p_sleepq; /* on a sleep queue */
	LIST_ENTRY(proc) p_sibling; /* on the parent's children */
	LIST_HEAD(, proc) p_children;
	struct proc *p_pptr; /* the parent */
	int p_pid;
	char p_comm[17]; /* name */

	int p_stat;		/* S* */
	int p_flag;		/* P_* */
	int p_holdcnt;		/* if > 0, keep the process in memory */
	unsigned int p_swtime;	/* seconds resident (or out) */
	unsigned int p_slptime; /* seconds asleep or stopped */
	int p_nice;		/* NZERO-based */
	int p_priority;		/* current priority */
	int p_usrpri;		/* priority when in user mode */
	unsigned int p_estcpu;	/* recent CPU use, decayed */
	int p_cpticks;		/* ticks of CPU this second */
	bool p_onrunq;		/* on a run queue */

	const void *p_wchan;	    /* the sleep channel */
	const char *p_wmesg;	    /* and why */
	struct callout p_tsleep_ch; /* the sleep's timeout */

	struct vmspace *p_vmspace; /* the address space */
	struct filedesc *p_fd;	   /* open files (NULL: none yet) */
	vaddr_t p_addr;		   /* the u-area (struct user) */
	vaddr_t p_stats;	   /* &u_stats in the u-area */
	struct rlimit p_rlimit[RLIM_NLIMITS];

	sigset32_t p_siglist;  /* pending signals */
	struct ksiginfo p_ksi; /* the last trap's signal, for the core */
	int p_xstat;	       /* exit status, for wait */
	struct rusage p_xru;   /* its rusage, kept for the parent */
	vsize_t p_kstackused;  /* deepest kernel stack use (kstack check) */

	proc_prog_t p_prog; /* the program, for user processes */
	void *p_progarg;
	void (*p_kfunc)(void *); /* the entry, for kernel threads */
	void *p_karg;
	/* what its kernel path holds (kcleanup_push), innermost last */
	void (*p_cleanup_fn[KCLEANUP_MAX])(void *);
	void *p_cleanup_arg[KCLEANUP_MAX];
	union kcleanup_state p_cleanup_state[KCLEANUP_MAX];
	int p_ncleanups;
	/* pages read from swap or files for this thread (majflt) */
	uint64_t p_pgreads;
	struct cpu_thread p_md; /* the host side of the thread */
};

LIST_HEAD(proclist, proc);

extern struct proc proc0;    /* the swapper */
extern struct proc *curproc; /* the running process, or NULL (idle) */
/* the running process's pid, for the event log (0: none) */
#define curpid() (curproc != NULL ? curproc->p_pid : 0)
extern struct proclist allproc;
extern struct proclist zombproc;
extern int nprocs;	  /* processes in existence */
extern int maxproc;	  /* the most there may be */
extern int maxslp;	  /* seconds asleep before a swapout */
extern int hz;		  /* clock ticks per second */
extern int ticks;	  /* ticks since boot */
extern int sched_rrticks; /* ticks in a round-robin time slice */
extern int kstack_check;  /* fill and measure kernel stacks */
extern int sched_locked;  /* SCHED_LOCK depth */

/* one CPU: the scheduler lock only asserts that nobody sleeps under it */
#define SCHED_LOCK(s)	((s) = sched_locked++)
#define SCHED_UNLOCK(s) ((void)(s), sched_locked--)

/* fixed point of the load average and its decay */
#define FSHIFT 11
#define FSCALE (1 << FSHIFT)

/* simulated microseconds per clock tick */
#define tick_us() ((simtime_t)(1000000 / hz))

/* the process list lock (its discipline is asserted) */
void proclist_lock_read(void);
void proclist_unlock_read(void);
void proclist_lock_write(void);
void proclist_unlock_write(void);
struct proc *pfind(int pid);

/* the run queue and sleep */
void setrunqueue(struct proc *);
void remrunqueue(struct proc *);
void setrunnable(struct proc *);
void resetpriority(struct proc *);
int tsleep(const void *chan, int pri, const char *wmesg, int timo);
int tsleep_until(const void *chan, int pri, const char *wmesg, simtime_t when);
void wakeup(const void *chan);
void wakeup_one(const void *chan);
void preempt(void);
void need_resched(void);
bool want_resched(void);

/* callouts */
void callout_init(struct callout *, bool housekeeping);
void
callout_reset_at(struct callout *, simtime_t when, void (*)(void *), void *);
void callout_stop(struct callout *);

/* signals */
void kpsignal(struct proc *, int sig);
void trapsignal(struct proc *, const struct ksiginfo *);
void userret(struct proc *);

/*
 * cleanups: what a kernel path that may sleep for good holds of the host
 * (memory, an open file), so that kern_shutdown can give it back if the
 * machine stops while the thread still sleeps there (a deadlock: all of
 * memory wired, say).  The thread pushes and pops its own, last in first
 * out, around the sleeping part; they are not run on the normal path.
 * The process keeps a copy of each record, not a pointer to the caller's:
 * a thread swapped out has its stack scribbled over (cpu_swapout), and
 * shutdown must not read it.  For the same reason a path whose cleanup
 * depends on how far it got (pages wired so far) keeps that progress in
 * the state kcleanup_push_state gives it, not in its locals.
 */
struct kcleanup {
	void (*kc_fn)(void *); /* gives it back */
	void *kc_arg;	       /* what */
	/* the state of a host path (no process): it is never stopped */
	union kcleanup_state kc_state;
};
void kcleanup_push(struct kcleanup *, void (*fn)(void *), void *arg);
void *kcleanup_push_state(struct kcleanup *, void (*fn)(void *),
    const void *state, size_t len);
void kcleanup_pop(struct kcleanup *);
void kcleanup_run(struct proc *);

/* process creation and exit */
#define FORK_SHAREVM 0x01 /* share the parent's vmspace */
#define FORK_SYSTEM  0x02 /* the child is a kernel thread */
int fork1(struct proc *p1, int flags, void *stack, size_t stacksize,
    void (*func)(void *), void *arg, struct proc **rnewprocp);
int kthread_create(void (*func)(void *), void *arg, struct proc **,
    const char *name);
__dead void exit1(struct proc *, int status);
int kern_wait(struct proc *, int pid, int *statusp, int options);
void mi_switch(void);
struct proc *proc_alloc(void);
void proc_free(struct proc *);

/*
 * wait status, as the host encodes it (a core's notes carry it); a file
 * that also includes the host's <sys/wait.h> gets the same from there
 */
#ifndef W_EXITCODE
#define W_EXITCODE(ret, sig) ((ret) << 8 | (sig))
#endif
#ifndef W_STOPCODE
#define W_STOPCODE(sig) ((sig) << 8 | 0x7f)
#endif
#define W_COREFLAG   0x80
#define WNOHANG_KERN 0x1

/* the user area: its stats, reached through its kernel mapping */
struct pstats *proc_pstats(struct proc *);
#define PHOLD(p) ((p)->p_holdcnt++)
#define PRELE(p)                             \
	do {                                 \
		KASSERT((p)->p_holdcnt > 0); \
		(p)->p_holdcnt--;            \
	} while (0)

/* resource limits */
int dosetrlimit(struct proc *, int which, const struct rlimit *);
int dogetrlimit(struct proc *, int which, struct rlimit *);
void ruadd(struct rusage *, const struct rusage *);

#endif /* _SYS_PROC_H_ */
