/*
 * scen_stmt.h: the table of scenario statements, inside sim/.
 *
 * Every statement of uvmsim(5) is one entry of scen_stmts[]: its name,
 * where it may appear, whether it is a system call (so => ok, => ERRNO
 * and => fail apply) and whether it opens a block, the function that
 * parses its arguments (scp_*, in scen_parse.c), the function that
 * runs it (scx_*, in scen_run.c and scen_expect.c), and its help.  The
 * parser, the interpreter, `uvmsim help' and the test of the manual
 * page all read this one table.
 *
 * Adding a statement:
 *	1. its tag in enum scen_op and its arguments in scen_stmt's
 *	   union (scenario.h); strings are copied by pstrdup, and freed
 *	   with the scenario;
 *	2. scp_NAME: read the arguments after the statement's name
 *	   through the cursor (need, peek, tok_size, parse_range, ...)
 *	   into st->ss_u.NAME; an error is perr, located, and does not
 *	   return;
 *	3. scx_NAME: run it; a system call reports its result through
 *	   scen_result and ends with syscall_return;
 *	4. the entry in scen_stmts[] (scen_stmt.c);
 *	5. its .It Ic line in doc/uvmsim.5 (t_scenario checks it is there).
 */

#ifndef _SIM_SCEN_STMT_H_
#define _SIM_SCEN_STMT_H_

#include "sim/scenario.h"

struct args;  /* the parser's cursor over a statement's words */
struct srun;  /* the scenario running */
struct sproc; /* a process of it */

/* where a statement may appear */
enum scen_where {
	SW_HOST = 0x1,	  /* a host command, at the top level */
	SW_PROGRAM = 0x2, /* in a process's program */
	SW_ANYWHERE = SW_HOST | SW_PROGRAM /* either */
};

/* what a statement is */
#define SY_CALL	 0x1 /* a system call: => ok, => ERRNO, => fail */
#define SY_BLOCK 0x2 /* ends in { and owns the block that follows */

/*
 * A statement's run function.  On the host sp and p are NULL; in a
 * program they are the process running it and its struct proc, and the
 * function runs in that process's thread.
 */
typedef void scen_run_fn(struct srun *r, struct sproc *sp, struct proc *p,
    const struct scen_stmt *st);
/* A statement's parse function: the words after its name into st. */
typedef void scen_parse_fn(struct args *a, struct scen_stmt *st);

struct scen_stmtdef {
	const char *sd_name; /* its first word */
	enum scen_op sd_op;  /* the tag of its arguments */
	unsigned sd_where;   /* enum scen_where */
	unsigned sd_flags;   /* SY_* */
	scen_parse_fn *sd_parse;
	scen_run_fn *sd_run;
	const char *sd_usage; /* its arguments, as help shows them */
	const char *sd_help;  /* one line */
};

extern const struct scen_stmtdef scen_stmts[];
extern const int scen_nstmts;

const struct scen_stmtdef *scen_stmt_lookup(const char *name);
const struct scen_stmtdef *scen_stmt_def(enum scen_op op);

/* the parse functions (scen_parse.c) */
scen_parse_fn scp_file, scp_process, scp_run, scp_none, scp_vmstat, scp_procmap,
    scp_snapshot, scp_swapctl, scp_expect, scp_print, scp_kill, scp_mmap,
    scp_range, scp_mprotect, scp_minherit, scp_madvise, scp_mlockall, scp_msync,
    scp_mincore, scp_brk, scp_sbrk, scp_store, scp_fill, scp_touch, scp_verify,
    scp_fork, scp_exit, scp_wait, scp_time, scp_nice, scp_loop, scp_physio,
    scp_sysctl, scp_setrlimit, scp_truncate, scp_open, scp_fd, scp_rw,
    scp_lseek, scp_ftruncate;

/* the run functions (scen_run.c; expect's in scen_expect.c) */
scen_run_fn scx_file, scx_process, scx_run, scx_ps, scx_vmstat, scx_procmap,
    scx_snapshot, scx_swapctl, scx_kmsg, scx_expect, scx_print, scx_kill,
    scx_mmap, scx_munmap, scx_mprotect, scx_minherit, scx_madvise, scx_mlock,
    scx_munlock, scx_mlockall, scx_munlockall, scx_msync, scx_mincore, scx_brk,
    scx_sbrk, scx_store, scx_fill, scx_load, scx_touch, scx_verify, scx_fork,
    scx_exit, scx_wait, scx_sleep, scx_compute, scx_nice, scx_loop, scx_physio,
    scx_sysctl, scx_core, scx_setrlimit, scx_truncate, scx_open, scx_close,
    scx_read, scx_write, scx_lseek, scx_ftruncate, scx_fsync;

#endif /* _SIM_SCEN_STMT_H_ */
