/*
 * sandbox.h: the directory of a scenario's files.
 *
 * The files a scenario makes, maps and truncates live in one directory
 * and are named there by plain names (the parser refuses a '/').  It is
 * the one --files gives, or a new temporary one beside the swap file,
 * which is removed with what is in it at the end of the run.
 */

#ifndef _SIM_SANDBOX_H_
#define _SIM_SANDBOX_H_

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

struct sandbox {
	char sb_dir[PATH_MAX]; /* its path */
	bool sb_tmp;	       /* made for this run: removed at the end */
};

int sandbox_make(struct sandbox *, const char *dir);
void
sandbox_path(const struct sandbox *, const char *name, char *path, size_t len);
void sandbox_remove(struct sandbox *);

#endif /* _SIM_SANDBOX_H_ */
