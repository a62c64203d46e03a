/*
 * sandbox.c: the directory of a scenario's files (see sandbox.h).
 */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kern/kern.h"
#include "sim/sandbox.h"

/*
 * sandbox_make: the directory of the scenario's files: dir (--files),
 * or, dir NULL, a new temporary one beside the swap file, removed by
 * sandbox_remove.
 *
 * => returns 0, or -1 with the reason on the standard error.
 */
int
sandbox_make(struct sandbox *sb, const char *dir)
{
	sb->sb_tmp = false;
	if (dir != NULL) {
		snprintf(sb->sb_dir, sizeof(sb->sb_dir), "%s", dir);
		return 0;
	}
	/* beside the swap file, in the same temporary directory */
	snprintf(sb->sb_dir, sizeof(sb->sb_dir), "%s/uvmsim-files.XXXXXX",
	    swapdisk_tmpdir());
	if (mkdtemp(sb->sb_dir) == NULL) {
		fprintf(stderr,
		    "uvmsim: cannot make a sandbox directory %s: %s\n",
		    sb->sb_dir, strerror(errno));
		return -1;
	}
	sb->sb_tmp = true;
	return 0;
}

/* sandbox_path: the path of the sandbox's file `name' into path */
void
sandbox_path(const struct sandbox *sb, const char *name, char *path, size_t len)
{
	snprintf(path, len, "%s/%s", sb->sb_dir, name);
}

/*
 * sandbox_remove: remove a temporary sandbox and the files the scenario
 * made in it; one --files gave is left as it is.
 */
void
sandbox_remove(struct sandbox *sb)
{
	char path[PATH_MAX + 300];
	struct dirent *d;
	DIR *dir;

	if (!sb->sb_tmp)
		return;
	if ((dir = opendir(sb->sb_dir)) != NULL) {
		while ((d = readdir(dir)) != NULL) {
			if (strcmp(d->d_name, ".") == 0 ||
			    strcmp(d->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", sb->sb_dir,
			    d->d_name);
			(void)unlink(path);
		}
		closedir(dir);
	}
	(void)rmdir(sb->sb_dir);
	sb->sb_tmp = false;
}
