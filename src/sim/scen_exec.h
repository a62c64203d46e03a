/*
 * scen_exec.h: the interpreter's state, shared inside sim/ by the
 * interpreter (scen_run.c), the expectations (scen_expect.c) and the
 * --json writer (json.c).
 */

#ifndef _SIM_SCEN_EXEC_H_
#define _SIM_SCEN_EXEC_H_

#include <limits.h>

#include "sim/sandbox.h"
#include "sim/scen_stmt.h"
#include "sim/scenario.h"

#define SEC   ((simtime_t)1000000)
#define CHUNK ((size_t)65536) /* bytes moved per access */

/* a process the scenario made */
struct sproc {
	int sp_name;	     /* its name's index */
	int sp_pid;	     /* its pid */
	struct proc *sp_p;   /* while it has not exited */
	bool sp_spawned;     /* made by process (collected at the end) */
	bool sp_exited;	     /* it has exited */
	int sp_status;	     /* with this wait status */
	struct rusage sp_ru; /* and this usage */
	uint64_t *sp_vars;   /* its variables' values */
	const struct scen_block *sp_body; /* its program */
	bool sp_exiting;		  /* exit was called */
	int sp_xstatus;			  /* with this status */
	uint64_t sp_rng;		  /* random touches */
	/*
	 * its data buffers, CHUNK bytes each: a fill or a verify that
	 * sleeps in a fault must find its bytes there when it wakes, so
	 * no two processes share them
	 */
	uint8_t *sp_buf, *sp_buf2;
};

/* the scenario running */
struct srun {
	struct scenario *sc;
	const struct scen_opts *opts;
	FILE *out;
	struct sproc **procs;
	int nprocs, capprocs;
	struct rawdev *rawdev;
	struct sandbox sandbox; /* the directory of the scenario's files */
	int nexpect, nfailed;
	bool abort;	  /* a checker failed, or the output: stop */
	bool error;	  /* a host command failed */
	uint8_t *hostbuf; /* CHUNK bytes, for the host's own data */
};

/* the interpreter (scen_run.c) */
const char *pname(const struct srun *, const struct sproc *);
void sfail(struct srun *, const struct scen_stmt *, const char *, ...)
    __printflike(3, 4);
struct sproc *sproc_byname(struct srun *, int name);
vaddr_t addr_of(struct sproc *, struct proc *, const struct scen_addr *);

/* the expectations (scen_expect.c) */
void scen_result(struct srun *, struct sproc *, const struct scen_stmt *,
    const char *call, int error);
const char *state_now(const struct sproc *);

/* --json (json.c) and --html (html.c) */
int json_write(struct srun *, const char *path);
int html_run(struct srun *, const char *path);

#endif /* _SIM_SCEN_EXEC_H_ */
