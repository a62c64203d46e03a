/*
 * scen_stmt.c: the table of scenario statements and `uvmsim help'.
 */

#include <string.h>

#include "sim/scen_stmt.h"

#define H  SW_HOST
#define P  SW_PROGRAM
#define HP SW_ANYWHERE
#define C  SY_CALL
#define B  SY_BLOCK

/* in the order uvmsim(5) documents them; one entry per statement */
const struct scen_stmtdef scen_stmts[] = {
	/* host commands */
	{ "file", SO_FILE, H, 0, scp_file, scx_file,
	    "NAME SIZE [byte B | pattern SEED | text STR]",
	    "make a file in the sandbox" },
	{ "process", SO_PROCESS, H, B, scp_process, scx_process, "NAME {",
	    "start a process running the block" },
	{ "run", SO_RUN, H, 0, scp_run, scx_run, "[TIME | until TIME]",
	    "let the machine run (until it is idle, for TIME, until TIME)" },
	{ "ps", SO_PS, H, 0, scp_none, scx_ps, "", "list the processes" },
	{ "vmstat", SO_VMSTAT, H, 0, scp_vmstat, scx_vmstat,
	    "[COUNTER ... | -n]",
	    "print the counters (all, or those named; -n: their names)" },
	{ "procmap", SO_PROCMAP, H, 0, scp_procmap, scx_procmap,
	    "NAME ... [pages]",
	    "print processes' address spaces (pages: page by page)" },
	{ "swapctl", SO_SWAPCTL, H, 0, scp_swapctl, scx_swapctl, "[-l]",
	    "print the swap device's use" },
	{ "kmsg", SO_KMSG, H, 0, scp_none, scx_kmsg, "",
	    "print the kernel's messages" },
	{ "snapshot", SO_SNAPSHOT, H, 0, scp_snapshot, scx_snapshot, "[LABEL]",
	    "record every address space for --json and --html" },
	{ "print", SO_PRINT, HP, 0, scp_print, scx_print, "STR",
	    "print the string" },
	{ "kill", SO_KILL, HP, C, scp_kill, scx_kill, "NAME|self SIGNAL",
	    "send a signal (self: in a program)" },
	{ "expect", SO_EXPECT, HP, 0, scp_expect, scx_expect,
	    "COUNTER|proc|kmsg|file|corefile|addr ...",
	    "check something now (addr: in a program)" },
	/* program statements */
	{ "mmap", SO_MMAP, P, C, scp_mmap, scx_mmap, "VAR SIZE [OPTION ...]",
	    "map memory; VAR is set to its address" },
	{ "munmap", SO_MUNMAP, P, C, scp_range, scx_munmap, "ADDR SIZE",
	    "unmap a range" },
	{ "mprotect", SO_MPROTECT, P, C, scp_mprotect, scx_mprotect,
	    "ADDR SIZE PROT", "change a range's protection" },
	{ "minherit", SO_MINHERIT, P, C, scp_minherit, scx_minherit,
	    "ADDR SIZE share|copy|none|zero|N", "what fork does with a range" },
	{ "madvise", SO_MADVISE, P, C, scp_madvise, scx_madvise,
	    "ADDR SIZE ADVICE|N", "advise the VM system of a range's use" },
	{ "mlock", SO_MLOCK, P, C, scp_range, scx_mlock, "ADDR SIZE",
	    "wire a range" },
	{ "munlock", SO_MUNLOCK, P, C, scp_range, scx_munlock, "ADDR SIZE",
	    "unwire a range" },
	{ "mlockall", SO_MLOCKALL, P, C, scp_mlockall, scx_mlockall,
	    "current|future|N ...", "wire the whole address space" },
	{ "munlockall", SO_MUNLOCKALL, P, C, scp_none, scx_munlockall, "",
	    "unwire the whole address space" },
	{ "msync", SO_MSYNC, P, C, scp_msync, scx_msync,
	    "ADDR SIZE [sync|async|invalidate|N ...]",
	    "write a range's dirty pages to their file" },
	{ "mincore", SO_MINCORE, P, C, scp_mincore, scx_mincore,
	    "ADDR SIZE [== BITS]", "print or expect which pages are resident" },
	{ "brk", SO_BRK, P, C, scp_brk, scx_brk, "ADDR",
	    "set the end of the data segment" },
	{ "sbrk", SO_SBRK, P, C, scp_sbrk, scx_sbrk, "SIZE",
	    "grow the data segment" },
	{ "setrlimit", SO_SETRLIMIT, P, C, scp_setrlimit, scx_setrlimit,
	    "data|stack|memlock|rss [SIZE|infinity] [hard SIZE|infinity]",
	    "set a resource's soft limit, its hard one, or both" },
	{ "store", SO_STORE, P, 0, scp_store, scx_store, "ADDR STR",
	    "write the string's bytes" },
	{ "fill", SO_FILL, P, 0, scp_fill, scx_fill,
	    "ADDR SIZE byte B|pattern SEED", "write a range" },
	{ "load", SO_LOAD, P, 0, scp_range, scx_load, "ADDR SIZE",
	    "read a range" },
	{ "touch", SO_TOUCH, P, 0, scp_touch, scx_touch,
	    "ADDR SIZE [read|write] [random N]",
	    "touch a byte of each page, or of N at random" },
	{ "verify", SO_VERIFY, P, 0, scp_verify, scx_verify,
	    "ADDR STR | ADDR SIZE byte B|pattern SEED",
	    "read a range and check its bytes" },
	{ "fork", SO_FORK, P, C | B, scp_fork, scx_fork, "NAME {",
	    "fork a child running the block" },
	{ "exit", SO_EXIT, P, 0, scp_exit, scx_exit, "N",
	    "exit with status N" },
	{ "wait", SO_WAIT, P, C, scp_wait, scx_wait, "[NAME]",
	    "wait for a child (that one, or any) to exit" },
	{ "sleep", SO_SLEEP, P, 0, scp_time, scx_sleep, "TIME",
	    "sleep for TIME" },
	{ "compute", SO_COMPUTE, P, 0, scp_time, scx_compute, "TIME",
	    "use the CPU for TIME" },
	{ "nice", SO_NICE, P, 0, scp_nice, scx_nice, "N",
	    "set the nice value (-20 to 20)" },
	{ "loop", SO_LOOP, P, B, scp_loop, scx_loop, "N {",
	    "run the block N times" },
	{ "physio", SO_PHYSIO, P, C, scp_physio, scx_physio,
	    "read|write ADDR SIZE [offset SIZE]",
	    "move data between memory and the raw device" },
	{ "sysctl", SO_SYSCTL, P, C, scp_sysctl, scx_sysctl, "NAME ADDR",
	    "read a sysctl value into memory" },
	{ "core", SO_CORE, P, C, scp_none, scx_core, "",
	    "write a core now and go on" },
	{ "truncate", SO_TRUNCATE, P, C, scp_truncate, scx_truncate,
	    "NAME SIZE", "truncate or extend a sandbox file" },
	{ "open", SO_OPEN, P, C, scp_open, scx_open,
	    "VAR NAME [rdonly|wronly|rdwr|creat|excl|trunc|append|N ...]",
	    "open a sandbox file; VAR is set to the descriptor" },
	{ "close", SO_CLOSE, P, C, scp_fd, scx_close, "FD",
	    "close a descriptor" },
	{ "read", SO_READ, P, C, scp_rw, scx_read, "FD ADDR SIZE [== N]",
	    "read from a descriptor into memory (N: the count expected)" },
	{ "write", SO_WRITE, P, C, scp_rw, scx_write, "FD ADDR SIZE [== N]",
	    "write memory to a descriptor (N: the count expected)" },
	{ "lseek", SO_LSEEK, P, C, scp_lseek, scx_lseek,
	    "FD OFFSET [set|cur|end] [== N]",
	    "move a descriptor's offset (N: the offset expected)" },
	{ "ftruncate", SO_FTRUNCATE, P, C, scp_ftruncate, scx_ftruncate,
	    "FD SIZE", "truncate or extend a descriptor's file" },
	{ "fsync", SO_FSYNC, P, C, scp_fd, scx_fsync, "FD",
	    "write a descriptor's file's dirty pages back" },
};
const int scen_nstmts = (int)(__arraycount(scen_stmts));

_Static_assert(__arraycount(scen_stmts) == SO_NOPS,
    "every statement has one entry");

/* scen_stmt_lookup: the statement called name, or NULL */
const struct scen_stmtdef *
scen_stmt_lookup(const char *name)
{
	int i;

	for (i = 0; i < scen_nstmts; i++)
		if (strcmp(scen_stmts[i].sd_name, name) == 0)
			return &scen_stmts[i];
	return NULL;
}

/* scen_stmt_def: the entry of statement op (every op has one) */
const struct scen_stmtdef *
scen_stmt_def(enum scen_op op)
{
	int i;

	for (i = 0; i < scen_nstmts; i++)
		if (scen_stmts[i].sd_op == op)
			return &scen_stmts[i];
	panic("%s: statement %d has no entry", __func__, op);
}

/*
 * scen_help: `uvmsim help': every statement, with where it goes, its
 * arguments and what it does, from the table.
 *
 * => returns 0, or 1 if the listing could not be written.
 */
int
scen_help(FILE *f)
{
	static const char *const where[] = { [SW_HOST] = "host",
		[SW_PROGRAM] = "program",
		[SW_ANYWHERE] = "both" };
	const struct scen_stmtdef *sd;
	int i;

	fprintf(f,
	    "The statements of a scenario (uvmsim(5)); host commands go at\n"
	    "the top level, program statements in a process's block.  A\n"
	    "system call may end in => ok, => ERRNO or => fail.\n\n");
	for (i = 0; i < scen_nstmts; i++) {
		sd = &scen_stmts[i];
		fprintf(f, "%-8s %s%s%s%s\n", where[sd->sd_where], sd->sd_name,
		    sd->sd_usage[0] != '\0' ? " " : "", sd->sd_usage,
		    (sd->sd_flags & SY_CALL) ? " [=> RESULT]" : "");
		fprintf(f, "%-8s     %s\n", "", sd->sd_help);
	}
	return fflush(f) != 0 || ferror(f) ? 1 : 0;
}
