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
#include "sim/settings.h"
#include "sim/vmview.h"

/*
 * The statements: the tag of struct scen_stmt's union.  Each has one
 * entry in the table of statements (scen_stmt.c), which says where it
 * may appear and how it is parsed, run and documented.
 */
enum scen_op {
	/* host commands */
	SO_FILE,
	SO_PROCESS,
	SO_RUN,
	SO_PS,
	SO_VMSTAT,
	SO_PROCMAP,
	SO_SWAPCTL,
	SO_KMSG,
	SO_SNAPSHOT,
	/* host commands and program statements */
	SO_EXPECT,
	SO_PRINT,
	SO_KILL,
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
	SO_LOOP,
	SO_PHYSIO,
	SO_SYSCTL,
	SO_CORE,
	SO_SETRLIMIT,
	SO_TRUNCATE,
	SO_OPEN,
	SO_CLOSE,
	SO_READ,
	SO_WRITE,
	SO_LSEEK,
	SO_FTRUNCATE,
	SO_FSYNC,
	SO_NOPS
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

/* a range of a process's memory */
struct scen_range {
	struct scen_addr sr_addr;
	uint64_t sr_len;
};

/* data: what file, fill and verify write or expect */
enum scen_datakind {
	SD_BYTE,    /* every byte sd_value */
	SD_PATTERN, /* pattern_byte(sd_value, offset) */
	SD_TEXT	    /* sd_text, then zeros */
};
struct scen_data {
	enum scen_datakind sd_kind;
	uint64_t sd_value; /* the byte, or the pattern's seed */
	char *sd_text;	   /* SD_TEXT: the bytes (may hold NULs) */
	size_t sd_textlen;
};

/* expect: what an expectation looks at */
enum scen_expect {
	SE_COUNTER,  /* expect COUNTER OP N */
	SE_STATE,    /* expect proc NAME STATE */
	SE_EXIT,     /* expect proc NAME exit N */
	SE_SIGNAL,   /* expect proc NAME signal SIG */
	SE_CORE,     /* expect proc NAME core */
	SE_RSS,	     /* expect proc NAME rss OP N */
	SE_WIRED,    /* expect proc NAME wired OP N */
	SE_KMSG,     /* expect kmsg STR */
	SE_FILE,     /* expect file NAME OFFSET STR */
	SE_COREFILE, /* expect corefile NAME */
	SE_ADDR	     /* expect addr ADDR OP ADDR (in a program) */
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

struct scen_expectation {
	enum scen_expect se_kind;
	int se_proc;		   /* proc, corefile: the process */
	enum scen_cmp se_cmp;	   /* counter, rss, wired, addr */
	uint64_t se_value;	   /* counter, rss, wired: compared with */
	const char *se_counter;	   /* counter: its name (the table's) */
	enum scen_pstate se_state; /* state */
	int se_status;		   /* exit */
	int se_signal;		   /* signal */
	struct scen_data se_text;  /* kmsg, file: the bytes (SD_TEXT) */
	char *se_file;		   /* file */
	uint64_t se_offset;	   /* file: where the bytes are */
	struct scen_addr se_left;  /* addr: left of the comparison */
	struct scen_addr se_right; /* addr: right of it */
};

/* run: how long the machine runs */
enum scen_runmode {
	SR_IDLE,  /* run: until nothing is left to do */
	SR_FOR,	  /* run TIME: for that long */
	SR_UNTIL, /* run until TIME: until the clock says so */
};

/* what a system call must return: => ok, => ERRNO, => fail */
enum scen_want {
	SW_OK,	  /* success (also without =>) */
	SW_ERRNO, /* exactly ss_errno */
	SW_FAIL	  /* any error */
};

/* the most processes one procmap names */
#define SCEN_PROCMAP_MAX 8

struct scen_stmt;
struct scen_block {
	struct scen_stmt *sb_v;
	int sb_n, sb_cap;
};

/*
 * scen_stmt: one statement.  ss_op is the tag of ss_u: each statement
 * has its own member, named after it (several share one).
 */
struct scen_stmt {
	enum scen_op ss_op;
	int ss_line, ss_col;	   /* where it is */
	enum scen_want ss_want;	   /* a system call's expected result */
	int ss_errno;		   /* SW_ERRNO: which */
	struct scen_block ss_body; /* process, fork, loop: the block */
	union {
		struct { /* file NAME SIZE [DATA | text STR] */
			char *name;
			uint64_t size;
			struct scen_data data;
		} file;
		struct {	  /* process NAME {, fork NAME { */
			int proc; /* the name's index */
		} process, fork;
		struct {
			enum scen_runmode mode;
			simtime_t time;
		} run;
		struct {		/* vmstat [COUNTER ... | -n] */
			char *counters; /* "a b c ", or NULL: all */
			bool names;	/* -n: the names, not the values */
		} vmstat;
		struct { /* procmap NAME ... [pages] */
			int procs[SCEN_PROCMAP_MAX]; /* the names' indexes */
			int nprocs;
			bool pages; /* and every page of every entry */
		} procmap;
		struct {	     /* snapshot [LABEL] */
			char *label; /* or NULL */
		} snapshot;
		struct scen_expectation expect;
		struct { /* print STR */
			char *text;
		} print;
		struct {
			int proc; /* the process, or -1: self */
			int sig;
		} kill;
		struct {
			int var; /* the variable it sets */
			uint64_t len;
			vm_prot_t prot; /* with PROT_MPROTECT(maxprot) */
			int flags;
			char *file;	       /* a file's name, or NULL */
			struct scen_addr addr; /* the hint or fixed address */
			uint64_t offset;       /* in the file */
			bool has_fd;	       /* fd FD: a descriptor's file */
			struct scen_addr fd;
		} mmap;
		/* munmap, mlock, munlock, load */
		struct scen_range range;
		struct {
			struct scen_range r;
			vm_prot_t prot;
		} mprotect;
		struct {
			struct scen_range r;
			int inherit;
		} minherit;
		struct {
			struct scen_range r;
			int advice;
		} madvise;
		struct {
			int flags;
		} mlockall;
		struct {
			struct scen_range r;
			int flags;
		} msync;
		struct {
			struct scen_range r;
			char *bits; /* the residency expected, or NULL */
		} mincore;
		struct {
			struct scen_addr addr;
		} brk;
		struct {
			uint64_t incr;
		} sbrk;
		struct {
			struct scen_addr addr;
			struct scen_data text; /* SD_TEXT */
		} store;
		struct { /* fill and verify */
			struct scen_range r;
			struct scen_data data;
		} fill, verify;
		struct {
			struct scen_range r;
			bool write;	 /* write back what is read */
			uint64_t random; /* touches at random, or 0: each */
		} touch;
		struct {
			int status;
		} exit;
		struct {
			int proc; /* the child, or -1: any */
		} wait;
		struct { /* sleep and compute */
			simtime_t time;
		} sleep, compute;
		struct {
			int nice;
		} nice;
		struct {
			uint64_t count;
		} loop;
		struct {
			int rw; /* B_READ or B_WRITE */
			struct scen_range r;
			uint64_t offset; /* on the raw device */
		} physio;
		struct {
			char *name;
			struct scen_addr addr;
		} sysctl;
		struct {
			int resource;
			bool soft, hard; /* which are set */
			rlim_t cur, max;
		} setrlimit;
		struct {
			char *name;
			uint64_t size;
		} truncate;
		struct {	 /* open VAR NAME [FLAG ...] */
			int var; /* the variable it sets: the descriptor */
			char *name;
			int flags; /* OPEN_* */
		} open;
		struct { /* close FD, fsync FD */
			struct scen_addr fd;
		} fd;
		struct { /* read, write: FD ADDR SIZE [== N] */
			struct scen_addr fd;
			struct scen_range r;
			bool check; /* == N: the count expected */
			uint64_t count;
		} rw;
		struct { /* lseek FD OFFSET [set|cur|end] [== N] */
			struct scen_addr fd;
			int64_t offset;
			int whence; /* LSEEK_* */
			bool check; /* == N: the offset expected */
			uint64_t count;
		} lseek;
		struct { /* ftruncate FD SIZE */
			struct scen_addr fd;
			uint64_t size;
		} ftruncate;
	} ss_u;
};

/* what the command line sets, over the scenario's own settings */
struct scen_overrides {
	struct settings so_set;	  /* the settings given (settings.h) */
	bool so_fail[FP_NPOINTS]; /* failpoints set (so_set's mc_fail[i]) */
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
	char **sc_strs; /* the strings the statements hold */
	int sc_nstrs, sc_capstrs;
};

/* the options of a run */
struct scen_opts {
	FILE *out;	     /* the report */
	bool check;	     /* every checker after every operation */
	const char *json;    /* write the figures here at the end, or NULL */
	const char *html;    /* draw the run here at the end, or NULL */
	simtime_t sample;    /* the time series' interval (0: a tick) */
	const char *filedir; /* the sandbox (NULL: a temporary one) */
	const char *coredir; /* where cores go (NULL: ".") */
};

uint64_t scen_size_suffix(int c);
int scen_parse(struct scenario *, const char *name, const char *text,
    const struct scen_overrides *, FILE *err);
void scen_free(struct scenario *);
int scen_run(struct scenario *, const struct scen_opts *);
void scen_abandon(void);
int scen_help(FILE *);

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
void report_machine(FILE *, const struct machine_config *);
int report_procmap(FILE *, struct proc *);
/*
 * the numbers procmap's pages view gives anons, amaps and objects: one
 * statement's, shared by the processes it lists (vmview.h)
 */
struct report_ids {
	struct vmview_ids ri_anons, ri_amaps, ri_objects;
};
void report_ids_init(struct report_ids *);
void report_ids_free(struct report_ids *);
int report_procmap_pages(FILE *, struct proc *, struct report_ids *);
void report_counter_names(FILE *);
void report_swapctl(FILE *);
struct report_counter {
	const char *rc_name; /* as expect and --json name it */
	const char *rc_desc; /* as vmstat prints it */
	uint64_t (*rc_get)(void);
};
const struct report_counter *report_counter(const char *name);
void report_counter_unknown(char *buf, size_t len, const char *name,
    const char *also);
extern const struct report_counter report_counters[];
extern const int report_ncounters;

#endif /* _SIM_SCENARIO_H_ */
