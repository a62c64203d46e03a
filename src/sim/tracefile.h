/*
 * tracefile.h: memory traces, read and written (uvmsim-trace(5)).
 *
 * A trace is a sequence of references.  Three formats are read, told
 * apart by their content, never by the file's name:
 *
 *   lackey      valgrind --tool=lackey --trace-mem=yes output: "I  ADDR,SIZE"
 *               (instruction fetch), " L", " S" and " M" (load, store,
 *               modify) records, addresses in hex and sizes in decimal;
 *               valgrind's own lines ("==PID== ...", "--PID-- ...")
 *               are skipped;
 *   refstring   a plain reference string for teaching: page numbers
 *               separated by blanks or newlines ("7 0 1 2 0 3 0 4");
 *               '#' starts a comment that runs to the end of the line;
 *   binary      uvmsim's own compact format, which tracewriter writes.
 *
 * Any of them may be compressed with gzip, zstd or xz; the stream is
 * decompressed as it is read (zlib, libzstd, liblzma), so a trace of any
 * length is read in constant memory, from a file or a pipe.
 *
 * A byte-address reference (lackey, and binary traces made from it)
 * touches the pages [addr, addr + size) covers; a page reference
 * (refstring) names one page.  tf_pages says which.
 */

#ifndef _SIM_TRACEFILE_H_
#define _SIM_TRACEFILE_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* what a reference does */
enum tf_kind {
	TF_INSTR,  /* instruction fetch: reads */
	TF_LOAD,   /* reads */
	TF_STORE,  /* writes */
	TF_MODIFY, /* reads and writes the same bytes: one reference */
	TF_PAGE,   /* a page number of a reference string: reads */
	TF_NKINDS
};

struct tf_ref {
	uint64_t tr_addr; /* byte address, or page number for TF_PAGE */
	uint32_t tr_size; /* bytes (at least 1); 0 for TF_PAGE */
	uint8_t tr_kind;  /* enum tf_kind */
};

enum tf_format { TF_FMT_LACKEY, TF_FMT_REFSTRING, TF_FMT_BINARY };
enum tf_comp { TF_COMP_NONE, TF_COMP_GZIP, TF_COMP_ZSTD, TF_COMP_XZ };

/* a reference writes (stores and modifies) */
static inline bool
tf_writes(const struct tf_ref *r)
{
	return r->tr_kind == TF_STORE || r->tr_kind == TF_MODIFY;
}

/*
 * tf_pages: the pages reference r touches, [*first, *last], for pages of
 * 1 << pageshift bytes; a page reference is its own page.
 *
 * => returns false if the bytes run past the end of the address space
 *    (the reference is bad).
 */
bool tf_pages(const struct tf_ref *r, unsigned pageshift, uint64_t *first,
    uint64_t *last);

/* the binary format's first bytes */
#define TF_MAGIC     "UVMTRACE"
#define TF_MAGIC_LEN 8
#define TF_VERSION   1

struct tracefile;

/*
 * tracefile_open: open the trace at path ("-": the standard input),
 * recognise its compression and format from its first bytes.
 *
 * => returns 0, with *tfp set; or -1 with why (a sentence starting with
 *    path) filled: the file cannot be opened or read, its compressed
 *    stream is damaged, or it is empty or in no known format.
 */
int tracefile_open(struct tracefile **tfp, const char *path, char *why,
    size_t whylen);

/*
 * tracefile_next: the next reference of tf, in *r.
 *
 * => returns 1, or 0 at the end of the trace, or -1 for a bad record, a
 *    damaged or truncated stream or a read error: tracefile_error says
 *    which, with the file and the line (text) or record (binary).  After
 *    0 or -1 it returns the same again.
 */
int tracefile_next(struct tracefile *tf, struct tf_ref *r);

/*
 * tracefile_next_page: the trace as pages of 1 << pageshift bytes: the
 * next page touched, in *page, and whether the touch writes; a reference
 * that spans pages gives each in turn, in address order.
 *
 * => returns as tracefile_next does; a reference that runs past the end
 *    of the address space is -1, located like a bad record.
 * => all of one trace's reading goes through one of the two calls.
 */
int tracefile_next_page(struct tracefile *tf, unsigned pageshift,
    uint64_t *page, bool *writes);

/* tracefile_error: the sentence of the last -1 (empty if none) */
const char *tracefile_error(const struct tracefile *tf);

/* what tf holds and how it is stored */
enum tf_format tracefile_format(const struct tracefile *tf);
enum tf_comp tracefile_comp(const struct tracefile *tf);
const char *tracefile_format_name(enum tf_format);
const char *tracefile_comp_name(enum tf_comp);

/* tracefile_where: "FILE:LINE" or "FILE: record N" of the last reference */
void tracefile_where(const struct tracefile *tf, char *buf, size_t len);

/* tracefile_count: references returned so far */
uint64_t tracefile_count(const struct tracefile *tf);

/*
 * tracefile_rewind: start tf again from its first reference.
 *
 * => only for a file (not a pipe): returns 0, or -1 with the error set.
 */
int tracefile_rewind(struct tracefile *tf);

/* tracefile_close: close tf (NULL is ignored) */
void tracefile_close(struct tracefile *tf);

/*
 * The writer of the binary format.  The file appears whole or not at
 * all: it is written beside path under a temporary name and renamed
 * over path only by tracewriter_close(tw, true).  Its compression
 * follows path's suffix: .gz, .zst or .xz, else none.
 */
struct tracewriter;

/*
 * tracewriter_open: start writing path ("-": the standard output,
 * written as it goes); pages: the trace holds page references.
 *
 * => returns 0 with *twp set, or -1 with why filled.
 */
int tracewriter_open(struct tracewriter **twp, const char *path, bool pages,
    char *why, size_t whylen);

/*
 * tracewriter_put: append r.
 *
 * => r must be a page reference if and only if the trace holds pages.
 * => returns 0, or -1 (write error): tracewriter_error says which.
 */
int tracewriter_put(struct tracewriter *tw, const struct tf_ref *r);

/* tracewriter_error: the sentence of the last -1 */
const char *tracewriter_error(const struct tracewriter *tw);

/*
 * tracewriter_close: finish the trace (its end record) and, with commit,
 * put it in place; without, remove what was written.
 *
 * => returns 0, or -1 with why filled (nothing is left at path then,
 *    unless path is the standard output).
 */
int tracewriter_close(struct tracewriter *tw, bool commit, char *why,
    size_t whylen);

#endif /* _SIM_TRACEFILE_H_ */
