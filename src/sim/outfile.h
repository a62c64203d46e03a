/*
 * outfile.h: the files uvmsim writes its reports into: --json FILE and
 * --html FILE, and replay's --json, --csv and --record.
 *
 * A report is written over what the file held, and the file is cut to
 * the report's length when it is closed -- not truncated to nothing
 * when it is opened.  ext4 (with auto_da_alloc, its default) starts the
 * writeback of a file truncated to nothing and written again as soon as
 * it is closed, so that a crash cannot leave it empty; on the machines
 * uvmsim is measured on, that cost as much as drawing the whole --html
 * page (bench_html).  If the report cannot be written, the file is left
 * empty, never a mix of the old report and the new.
 */

#ifndef _SIM_OUTFILE_H_
#define _SIM_OUTFILE_H_

#include <stdio.h>

/*
 * outfile_open: path opened to write a report into, made (mode 0666
 * less the umask) if it does not exist.
 * => returns the stream, or NULL with errno set.
 */
FILE *outfile_open(const char *path);

/*
 * outfile_close: flush f, cut a regular file to what was written, and
 * close it.
 * => returns 0, or -1 with errno set when anything written or the
 *    closing failed; then a regular file is left empty.
 */
int outfile_close(FILE *f);

#endif /* _SIM_OUTFILE_H_ */
