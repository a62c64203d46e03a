/*
 * scenario.h: the scenario language (uvmsim(5)) -- its syntax tree, the
 * parser and the interpreter.
 *
 * A scenario is read whole and checked before anything runs
 * (scen_parse): machine settings first, then host commands, with the
 * programs of the processes in blocks.  Errors carry the file, line and
 * column.  scen_run then boots the machine the settings describe and
 * executes the host commands in order; each process runs its program
 * in its own simulated thread.
 */

#ifndef _SIM_SCENARIO_H_
#define _SIM_SCENARIO_H_

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kern/kern.h"

enum scen_op {
	/* host commands */
	SO_FILE,    /* file NAME SIZE [byte B | pattern SEED | text STR] */
	SO_PROCESS, /* process NAME { ... } */
	SO_RUN,	    /* run [TIME | until TIME] */
	SO_PS,	    /* ps */
	SO_VMSTAT,  /* vmstat */
	SO_PROCMAP, /* procmap NAME */
	SO_SWAPCTL, /* swapctl [-l] */
	SO_KMSG,    /* kmsg */
	SO_EXPECT,  /* expect ... (host) */
	SO_PRINT,   /* print STR (host or program) */
	/* program statements */
	SO_MMAP,
	SO_MUNMAP,
	SO_MPROTECT,
	SO_MINHERIT,
	SO_MADVISE,
	SO_MLOCK,
	SO_MUNLOCK,
	SO_MLOCKALL,
	SO_MUNLOCKALL,
	SO_MSYNC,
	SO_MINCORE,
	SO_BRK,
	SO_SBRK,
	SO_STORE,
	SO_FILL,
	SO_LOAD,
	SO_TOUCH,
	SO_VERIFY,
	SO_FORK,
	SO_EXIT,
	SO_WAIT,
	SO_SLEEP,
	SO_COMPUTE,
	SO_NICE,
	SO_KILL,
	SO_LOOP,
	SO_PHYSIO,
	SO_SYSCTL,
	SO_CORE,
	SO_SETRLIMIT,
	SO_TRUNCATE,
};

/* an address: a variable's value (or a built-in one) plus an offset */
enum {
	SV_NONE = -1,  /* an absolute address */
	SV_STACK = -2, /* the top of the stack (USRSTACK) */
	SV_DATA = -3,  /* the start of the data segment */
	SV_BREAK = -4, /* the current break */
};
struct scen_addr {
	int sa_var;	/* a variable's slot, or SV_* */
	int64_t sa_off; /* added to it */
};

/* data: what fill and verify write or expect */
enum scen_data { SD_BYTE, SD_PATTERN, SD_TEXT };

/* expect: what a host expectation looks at */
enum scen_expect {
	SE_COUNTER, /* expect COUNTER OP N */
	SE_STATE,   /* expect proc NAME STATE */
	SE_EXIT,    /* expect proc NAME exit N */
	SE_SIGNAL,  /* expect proc NAME signal SIG */
	SE_CORE,    /* expect proc NAME core */
	SE_RSS,	    /* expect proc NAME rss OP N */
	SE_WIRED,   /* expect proc NAME wired OP N */
	SE_KMSG,    /* expect kmsg STR */
	SE_FILE,    /* expect file NAME OFFSET STR */
	SE_COREFILE /* expect corefile NAME */
};
/* the process states expect proc NAME STATE tells apart */
enum scen_pstate {
	SP_RUNNING = 1, /* on the CPU */
	SP_RUNNABLE,	/* waiting for it */
	SP_SLEEPING,	/* asleep */
	SP_STOPPED,	/* stopped by a signal */
	SP_ZOMBIE,	/* exited, not yet waited for */
	SP_EXITED,	/* exited (zombie or gone) */
	SP_SWAPPED,	/* alive, its u-area swapped out */
	SP_RESIDENT	/* alive, its u-area in memory */
};
enum scen_cmp { SC_EQ, SC_NE, SC_LT, SC_LE, SC_GT, SC_GE };

struct scen_stmt;
struct scen_block {
	struct scen_stmt *sb_v;
	int sb_n, sb_cap;
};

struct scen_stmt {
	enum scen_op ss_op;
	int ss_line, ss_col;	   /* where it is */
	struct scen_addr ss_addr;  /* the address it works at */
	uint64_t ss_size;	   /* the length of the range */
	uint64_t ss_n;		   /* a number: count, time, status, ... */
	uint64_t ss_n2;		   /* a second: offset, alignment, ... */
	int ss_kind;		   /* a sub-kind (prot, advice, state, ...) */
	int ss_flags;		   /* flags (mmap, msync, mlockall, ...) */
	int ss_var;		   /* mmap: the variable it sets */
	int ss_proc;		   /* a process name's index, or -1 */
	enum scen_data ss_data;	   /* fill / verify / file data */
	enum scen_cmp ss_cmp;	   /* expect, mincore */
	char *ss_name;		   /* a file name */
	char *ss_str;		   /* text, or a sysctl name */
	size_t ss_strlen;	   /* its length (text may hold NULs) */
	int ss_err;		   /* => expected error, 0 for success */
	bool ss_has_err;	   /* an => was given */
	struct scen_block ss_body; /* process, fork, loop */
};

/* what the command line sets, over the scenario's own settings */
struct scen_overrides {
	struct machine_config so_mc; /* the values */
	uint64_t so_seed;
	bool so_memory, so_swap, so_pagesize, so_upages, so_maxslp, so_hz,
	    so_policy, so_switch, so_corestyle, so_has_seed;
	bool so_fail[FP_NPOINTS]; /* failpoints set (so_mc.mc_fail[i]) */
	size_t so_memory_bytes, so_swap_bytes;
};

struct scenario {
	const char *sc_file;	     /* its name, for messages */
	struct machine_config sc_mc; /* the machine it runs on */
	uint64_t sc_seed;	     /* seed of the random touches */
	struct scen_block sc_top;    /* the host commands */
	char **sc_vars;		     /* variable names, by slot */
	int sc_nvars;
	char **sc_procs; /* process names, by index */
	int sc_nprocs;
};

/* the options of a run */
struct scen_opts {
	FILE *out;	     /* the report */
	bool check;	     /* every checker after every operation */
	const char *json;    /* write the figures here at the end, or NULL */
	const char *filedir; /* the sandbox (NULL: a temporary one) */
	const char *coredir; /* where cores go (NULL: ".") */
};

uint64_t scen_size_suffix(int c);
int scen_parse(struct scenario *, const char *name, const char *text,
    const struct scen_overrides *, FILE *err);
void scen_free(struct scenario *);
int scen_run(struct scenario *, const struct scen_opts *);

/* names for messages: an errno value's, a signal's, a state's */
const char *scen_errname(int error);
const char *scen_signame(int sig);
const char *scen_statename(int state);

/* the built-in demonstration, and its name in messages */
extern const char scen_demo_text[];
#define SCEN_DEMO_NAME "demo.uvm"

/* reports (report.c) */
void report_ps(FILE *);
void report_vmstat(FILE *, const char *names);
int report_procmap(FILE *, struct proc *);
void report_swapctl(FILE *);
struct report_counter {
	const char *rc_name; /* as expect and --json name it */
	const char *rc_desc; /* as vmstat prints it */
	uint64_t (*rc_get)(void);
};
const struct report_counter *report_counter(const char *name);
extern const struct report_counter report_counters[];
extern const int report_ncounters;

#endif /* _SIM_SCENARIO_H_ */
