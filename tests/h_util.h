/*
 * h_util.h: helpers shared by the ATF test programs.
 */

#ifndef _TESTS_H_UTIL_H_
#define _TESTS_H_UTIL_H_

#include <setjmp.h>

#include <atf-c.h>

#include "kern/kern.h"
#include "sys/file.h"

/* boot a machine of npages pages of pagesize bytes (swap: 256 pages) */
void h_boot(size_t npages, size_t pagesize);
/* boot with a full configuration (the VM system only, no processes) */
void h_boot_config(const struct machine_config *);
/*
 * boot the whole kernel -- proc0, the pagedaemon, the reaper -- on a
 * machine of npages pages of 4 KiB (swap: 256 pages); or with a full
 * configuration
 */
void h_boot_kern(size_t npages);
void h_boot_kern_config(const struct machine_config *);
/* run the machine until it is idle; fail the test if it is not */
void h_run_idle(void);
/* run every checker (deep) and fail the test if any objects */
void h_check(void);
/* check, then shut the machine down */
void h_shutdown(void);
/* how many inconsistencies the checkers find now (for corruption tests) */
int h_check_count(void);

/*
 * H_REQUIRE_PANIC(stmt, substr): stmt must panic with a message that
 * contains substr.  The machine is in an undefined state afterwards, so
 * this is the last thing a test case does with it.
 */
extern jmp_buf h_panic_jmp;
void h_panic_catch(const char *msg);
#define H_REQUIRE_PANIC(stmt, substr)                                      \
	do {                                                               \
		panic_hook = h_panic_catch;                                \
		if (setjmp(h_panic_jmp) == 0) {                            \
			stmt;                                              \
			panic_hook = NULL;                                 \
			atf_tc_fail("%s did not panic", #stmt);            \
		}                                                          \
		panic_hook = NULL;                                         \
		cpu_escape_end();                                          \
		ATF_REQUIRE_MSG(strstr(panic_msg, (substr)) != NULL,       \
		    "panic message '%s' lacks '%s'", panic_msg, (substr)); \
	} while (0)

/*
 * take free pages (ownerless, so nothing can page them out) until only
 * `left' remain, at most max of them into pgs; returns how many;
 * h_undrain gives them back
 */
struct vm_page;
int h_drain(struct vm_page **pgs, int max, int left);
void h_undrain(struct vm_page **pgs, int n);

/* how many file descriptors the process has open */
int h_count_fds(void);

/*
 * map the sandbox file `name' as mmap did when it took a name: open it
 * read-write, proc_mmap the descriptor, close it (the mapping keeps the
 * file); returns the open's error or proc_mmap's
 */
int h_mmap_file(struct proc *, vaddr_t addr, vsize_t len, vm_prot_t prot,
    int flags, const char *name, voff_t pos, vaddr_t *vap);

/* fill / compare a byte pattern derived from a seed */
void h_fill(void *, size_t, unsigned int seed);
bool h_same(const void *, size_t, unsigned int seed);

#endif /* _TESTS_H_UTIL_H_ */
