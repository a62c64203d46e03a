/*
 * tracefile.c: reading and writing memory traces (uvmsim-trace(5)).
 *
 * Reading is three layers:
 *
 *   1. the source: the file's bytes (read(2), so a pipe streams),
 *      decompressed on the way when its first bytes are a gzip, zstd
 *      or xz magic number, into one buffer of plain bytes;
 *   2. the buffer: a window [lo, hi) over the plain stream, refilled
 *      from the source when a line or a record runs past hi;
 *   3. the parsers: lackey lines, reference-string tokens, binary
 *      records.  They never copy: they read in place and move lo.
 *
 * The binary format (version 1) is a 16-byte header -- "UVMTRACE", the
 * version, the unit (0: byte addresses, 1: page numbers), six zero
 * bytes -- then records:
 *
 *   tag       one byte: the kind in its low 3 bits (0 instruction,
 *             1 load, 2 store, 3 modify, 4 page, 7 end); in its high 5
 *             bits the size when it is 1 to 31, else 0;
 *   size      for a byte reference whose tag holds no size: LEB128;
 *   address   the difference from the previous record's address,
 *             zigzag-encoded, LEB128;
 *
 * and an end record (tag 7) whose one field is the number of records
 * before it, LEB128.  A file that stops before its end record is
 * truncated, and says so.
 */

#include "sim/tracefile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <lzma.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define TF_BUFSZ    (1u << 20) /* the plain-byte window */
#define TF_INSZ	    (1u << 18) /* compressed bytes read at a time */
#define TF_HDRLEN   16
#define TF_TAG_END  7
#define TF_SIZE_MAX 31 /* largest size a tag holds */
#define TF_SHOW	    40 /* characters of a bad line quoted */

/* the stream's magic numbers */
static const unsigned char gzip_magic[] = { 0x1f, 0x8b };
static const unsigned char zstd_magic[] = { 0x28, 0xb5, 0x2f, 0xfd };
static const unsigned char xz_magic[] = { 0xfd, '7', 'z', 'X', 'Z', 0x00 };

struct tracefile {
	char *tf_name; /* for messages: the path, or "(standard input)" */
	int tf_fd;
	bool tf_closefd;
	enum tf_comp tf_comp;
	enum tf_format tf_format;
	bool tf_pages; /* binary: the unit is pages */

	/* the compressed side */
	unsigned char *tf_in;
	size_t tf_inpos, tf_inlen;
	bool tf_ineof;
	z_stream tf_z;
	bool tf_zmember; /* gzip: inside a member */
	ZSTD_DStream *tf_zs;
	size_t tf_zslast; /* zstd: the last hint; 0 at a frame's end */
	lzma_stream tf_xz;
	bool tf_xzdone;

	/* the plain window */
	unsigned char *tf_buf;
	size_t tf_lo, tf_hi;
	bool tf_eof; /* nothing after tf_hi */

	/* the parsers */
	uint64_t tf_line; /* text: the current line */
	bool tf_inline;	  /* refstring: inside a line */
	uint64_t tf_nrec; /* references returned */
	uint64_t tf_prev; /* binary: the previous address */
	/* tracefile_next_page: the reference being split into pages */
	bool tf_inspan;
	bool tf_spanwrites;
	uint64_t tf_spannext, tf_spanlast;
	int tf_state; /* 1 reading, 0 ended, -1 failed */
	char tf_err[256];
};

static int tf_fail(struct tracefile *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static int
tf_fail(struct tracefile *tf, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(tf->tf_err, sizeof(tf->tf_err), "%s: ", tf->tf_name);
	va_start(ap, fmt);
	vsnprintf(tf->tf_err + n, sizeof(tf->tf_err) - (size_t)n, fmt, ap);
	va_end(ap);
	tf->tf_state = -1;
	return -1;
}

static int
tf_fail_line(struct tracefile *tf, const char *what, const unsigned char *s,
    size_t len)
{
	char show[TF_SHOW * 4 + 8];
	size_t i, n = 0;

	for (i = 0; i < len && i < TF_SHOW; i++) {
		unsigned char c = s[i];
		if (c >= 0x20 && c < 0x7f)
			show[n++] = (char)c;
		else
			n += (size_t)snprintf(show + n, sizeof(show) - n,
			    "\\x%02x", c);
	}
	if (len > TF_SHOW)
		n += (size_t)snprintf(show + n, sizeof(show) - n, "...");
	show[n] = '\0';
	return tf_fail(tf, "line %llu: %s: '%s'",
	    (unsigned long long)tf->tf_line, what, show);
}

/*
 * The source
 */

/* tf_rawread: more compressed bytes into tf_in; 0 at the end, -1 error */
static int
tf_rawread(struct tracefile *tf)
{
	ssize_t n;

	if (tf->tf_inpos < tf->tf_inlen || tf->tf_ineof)
		return 0;
	do
		n = read(tf->tf_fd, tf->tf_in, TF_INSZ);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return tf_fail(tf, "cannot read: %s", strerror(errno));
	tf->tf_inpos = 0;
	tf->tf_inlen = (size_t)n;
	if (n == 0)
		tf->tf_ineof = true;
	return 0;
}

/* the decompressors: each adds plain bytes at tf_hi, or says it ended */

static int
tf_produce_plain(struct tracefile *tf)
{
	size_t n;

	/* bytes read ahead while the format was recognised come first */
	if (tf->tf_inpos == tf->tf_inlen && tf_rawread(tf) != 0)
		return -1;
	n = tf->tf_inlen - tf->tf_inpos;
	if (n == 0) {
		tf->tf_eof = true;
		return 0;
	}
	if (n > TF_BUFSZ - tf->tf_hi)
		n = TF_BUFSZ - tf->tf_hi;
	memcpy(tf->tf_buf + tf->tf_hi, tf->tf_in + tf->tf_inpos, n);
	tf->tf_inpos += n;
	tf->tf_hi += n;
	return 0;
}

static int
tf_produce_gzip(struct tracefile *tf)
{
	z_stream *z = &tf->tf_z;
	size_t before = tf->tf_hi;
	int ret;

	while (tf->tf_hi == before) {
		if (tf->tf_inpos == tf->tf_inlen && tf_rawread(tf) != 0)
			return -1;
		if (tf->tf_inpos == tf->tf_inlen && !tf->tf_zmember) {
			tf->tf_eof = true; /* between members: a clean end */
			return 0;
		}
		z->next_in = tf->tf_in + tf->tf_inpos;
		z->avail_in = (uInt)(tf->tf_inlen - tf->tf_inpos);
		z->next_out = tf->tf_buf + tf->tf_hi;
		z->avail_out = (uInt)(TF_BUFSZ - tf->tf_hi);
		ret = inflate(z, Z_NO_FLUSH);
		tf->tf_inpos = tf->tf_inlen - z->avail_in;
		tf->tf_hi = TF_BUFSZ - z->avail_out;
		if (ret == Z_STREAM_END) {
			tf->tf_zmember = false;
			if (inflateReset(z) != Z_OK)
				return tf_fail(tf, "gzip: cannot restart");
		} else if (ret == Z_OK) {
			tf->tf_zmember = true;
		} else if (ret == Z_BUF_ERROR) {
			if (tf->tf_ineof)
				return tf_fail(tf, "truncated gzip stream");
		} else
			return tf_fail(tf, "damaged gzip stream: %s",
			    z->msg != NULL ? z->msg : "bad data");
	}
	return 0;
}

static int
tf_produce_zstd(struct tracefile *tf)
{
	ZSTD_inBuffer in;
	ZSTD_outBuffer out;
	size_t before = tf->tf_hi, ret;

	while (tf->tf_hi == before) {
		if (tf->tf_inpos == tf->tf_inlen && tf_rawread(tf) != 0)
			return -1;
		/* all read, and the last frame ended: a clean end */
		if (tf->tf_inpos == tf->tf_inlen && tf->tf_ineof &&
		    tf->tf_zslast == 0) {
			tf->tf_eof = true;
			return 0;
		}
		in.src = tf->tf_in;
		in.size = tf->tf_inlen;
		in.pos = tf->tf_inpos;
		out.dst = tf->tf_buf;
		out.size = TF_BUFSZ;
		out.pos = tf->tf_hi;
		ret = ZSTD_decompressStream(tf->tf_zs, &out, &in);
		if (ZSTD_isError(ret))
			return tf_fail(tf, "damaged zstd stream: %s",
			    ZSTD_getErrorName(ret));
		tf->tf_inpos = in.pos;
		tf->tf_hi = out.pos;
		tf->tf_zslast = ret;
		if (tf->tf_hi == before && tf->tf_ineof &&
		    tf->tf_inpos == tf->tf_inlen && ret != 0)
			return tf_fail(tf, "truncated zstd stream");
	}
	return 0;
}

static int
tf_produce_xz(struct tracefile *tf)
{
	lzma_stream *x = &tf->tf_xz;
	size_t before = tf->tf_hi;
	lzma_ret ret;

	while (tf->tf_hi == before) {
		if (tf->tf_xzdone) {
			tf->tf_eof = true;
			return 0;
		}
		if (tf->tf_inpos == tf->tf_inlen && tf_rawread(tf) != 0)
			return -1;
		x->next_in = tf->tf_in + tf->tf_inpos;
		x->avail_in = tf->tf_inlen - tf->tf_inpos;
		x->next_out = tf->tf_buf + tf->tf_hi;
		x->avail_out = TF_BUFSZ - tf->tf_hi;
		ret = lzma_code(x, tf->tf_ineof ? LZMA_FINISH : LZMA_RUN);
		tf->tf_inpos = tf->tf_inlen - x->avail_in;
		tf->tf_hi = TF_BUFSZ - x->avail_out;
		if (ret == LZMA_STREAM_END)
			tf->tf_xzdone = true;
		else if (ret == LZMA_BUF_ERROR)
			return tf_fail(tf, "truncated xz stream");
		else if (ret != LZMA_OK)
			return tf_fail(tf,
			    "damaged xz stream (liblzma error %d)", (int)ret);
	}
	return 0;
}

/*
 * tf_fill: make room at the window's end (moving [lo, hi) to the
 * buffer's start) and add plain bytes.
 *
 * => returns 0 (tf_eof set if the stream ended) or -1.
 */
static int
tf_fill(struct tracefile *tf)
{
	if (tf->tf_eof)
		return 0;
	if (tf->tf_lo > 0) {
		memmove(tf->tf_buf, tf->tf_buf + tf->tf_lo,
		    tf->tf_hi - tf->tf_lo);
		tf->tf_hi -= tf->tf_lo;
		tf->tf_lo = 0;
	}
	if (tf->tf_hi == TF_BUFSZ)
		return 0;
	switch (tf->tf_comp) {
	case TF_COMP_GZIP:
		return tf_produce_gzip(tf);
	case TF_COMP_ZSTD:
		return tf_produce_zstd(tf);
	case TF_COMP_XZ:
		return tf_produce_xz(tf);
	case TF_COMP_NONE:
		break;
	}
	return tf_produce_plain(tf);
}

/* tf_ensure: at least n plain bytes at lo, or fewer at the end */
static int
tf_ensure(struct tracefile *tf, size_t n)
{
	while (tf->tf_hi - tf->tf_lo < n && !tf->tf_eof)
		if (tf_fill(tf) != 0)
			return -1;
	return 0;
}

/*
 * tf_line: the line at offset off from lo (without its newline) in
 * [*s, *s + *len); *next is the offset of the line after it.
 *
 * => returns 1, 0 when no line is left, or -1 (an error, or a line
 *    longer than the buffer).
 */
static int
tf_line(struct tracefile *tf, size_t off, const unsigned char **s, size_t *len,
    size_t *next)
{
	unsigned char *nl;

	for (;;) {
		size_t avail = tf->tf_hi - tf->tf_lo;

		if (off < avail) {
			nl = memchr(tf->tf_buf + tf->tf_lo + off, '\n',
			    avail - off);
			if (nl != NULL || tf->tf_eof) {
				*s = tf->tf_buf + tf->tf_lo + off;
				*len = nl != NULL ? (size_t)(nl - *s) :
						    avail - off;
				*next = off + *len + (nl != NULL);
				return 1;
			}
		} else if (tf->tf_eof)
			return 0;
		if (tf->tf_lo == 0 && tf->tf_hi == TF_BUFSZ)
			return tf_fail(tf, "line %llu is longer than %u bytes",
			    (unsigned long long)tf->tf_line + 1, TF_BUFSZ);
		if (tf_fill(tf) != 0)
			return -1;
	}
}

/*
 * The text formats
 */

static int
hexdigit(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* valgrind's own lines, and blank ones, carry no reference */
static bool
lackey_skipped(const unsigned char *s, size_t len)
{
	size_t i;

	if (len >= 2 &&
	    ((s[0] == '=' && s[1] == '=') || (s[0] == '-' && s[1] == '-') ||
		(s[0] == '*' && s[1] == '*')))
		return true;
	for (i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

/*
 * lackey_parse: one lackey record ("I  ADDR,SIZE", " L ADDR,SIZE", ...).
 *
 * => returns true with *r set, or false if the line is not one.
 */
static bool
lackey_parse(const unsigned char *s, size_t len, struct tf_ref *r)
{
	const unsigned char *e = s + len;
	uint64_t a = 0, n = 0;
	int d, digits = 0;

	if (len >= 3 && s[0] == 'I' && s[1] == ' ') {
		r->tr_kind = TF_INSTR;
		s += 2;
	} else if (len >= 3 && s[0] == ' ' && s[2] == ' ' &&
	    (s[1] == 'L' || s[1] == 'S' || s[1] == 'M')) {
		r->tr_kind = s[1] == 'L' ? TF_LOAD :
		    s[1] == 'S'		 ? TF_STORE :
					   TF_MODIFY;
		s += 3;
	} else
		return false;
	while (s < e && *s == ' ')
		s++;
	for (; s < e && (d = hexdigit(*s)) >= 0; s++) {
		if (++digits > 16)
			return false;
		a = a << 4 | (uint64_t)d;
	}
	if (digits == 0 || s == e || *s++ != ',')
		return false;
	digits = 0;
	for (; s < e && *s >= '0' && *s <= '9'; s++) {
		n = n * 10 + (uint64_t)(*s - '0');
		if (++digits > 10)
			return false;
	}
	while (s < e && (*s == ' ' || *s == '\r'))
		s++;
	if (digits == 0 || s != e || n == 0 || n > UINT32_MAX)
		return false;
	r->tr_addr = a;
	r->tr_size = (uint32_t)n;
	return true;
}

static int
lackey_next(struct tracefile *tf, struct tf_ref *r)
{
	const unsigned char *s;
	size_t len, next;
	int got;

	for (;;) {
		if ((got = tf_line(tf, 0, &s, &len, &next)) <= 0)
			return got;
		tf->tf_line++;
		if (lackey_parse(s, len, r)) {
			tf->tf_lo += next;
			return 1;
		}
		if (!lackey_skipped(s, len))
			return tf_fail_line(tf, "not a lackey record", s, len);
		tf->tf_lo += next;
	}
}

static bool
is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/*
 * refstring_token: a page number at the start of [s, e), decimal or
 * 0x-prefixed hex; *endp is where it stops.  Returns false if none.
 */
static bool
refstring_token(const unsigned char *s, const unsigned char *e, uint64_t *v,
    const unsigned char **endp)
{
	uint64_t n = 0;
	int d, base = 10, digits = 0;

	if (e - s > 2 && s[0] == '0' && (s[1] | 0x20) == 'x') {
		base = 16;
		s += 2;
	}
	for (; s < e && (d = hexdigit(*s)) >= 0 && d < base; s++) {
		if (n > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return false;
		n = n * (uint64_t)base + (uint64_t)d;
		digits++;
	}
	if (digits == 0 || (s < e && !is_blank(*s) && *s != '#'))
		return false;
	*v = n;
	*endp = s;
	return true;
}

/*
 * refstring_next: the next page number.  The window's lo stays at the
 * start of the current line's rest, so a line is never longer than the
 * buffer needs; tf_inline says lo is inside a line already counted.
 */
static int
refstring_next(struct tracefile *tf, struct tf_ref *r)
{
	const unsigned char *s, *e, *t, *end;
	size_t len, next;
	uint64_t v;
	int got;

	for (;;) {
		if ((got = tf_line(tf, 0, &s, &len, &next)) <= 0)
			return got;
		if (!tf->tf_inline) {
			tf->tf_line++;
			tf->tf_inline = true;
		}
		e = s + len;
		for (t = s; t < e && is_blank(*t); t++)
			continue;
		if (t == e || *t == '#') {
			tf->tf_lo += next;
			tf->tf_inline = false;
			continue;
		}
		if (!refstring_token(t, e, &v, &end)) {
			for (end = t; end < e && !is_blank(*end); end++)
				continue;
			return tf_fail_line(tf, "not a page number", t,
			    (size_t)(end - t));
		}
		tf->tf_lo += (size_t)(end - s);
		r->tr_kind = TF_PAGE;
		r->tr_addr = v;
		r->tr_size = 0;
		return 1;
	}
}

/*
 * The binary format
 */

/*
 * varint_short: the LEB128 number at p if it takes at most 9 bytes (63
 * bits, so nothing to check); p must have 9 bytes.  Returns its length,
 * or 0 when it is longer (bin_varint's careful loop reads it then).
 */
static inline unsigned
varint_short(const unsigned char *p, uint64_t *v)
{
	uint64_t n = 0;
	unsigned i;

	for (i = 0; i < 9; i++) {
		n |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if ((p[i] & 0x80) == 0) {
			*v = n;
			return i + 1;
		}
	}
	return 0;
}

/* bin_varint: a LEB128 number at lo; returns 1, 0 (the stream ended
 * inside it) or -1 (longer than 64 bits) */
static int
bin_varint(struct tracefile *tf, uint64_t *v)
{
	uint64_t n = 0;
	unsigned shift = 0, k;
	unsigned char c;

	if (tf_ensure(tf, 10) != 0)
		return -1;
	/* nearly every number: short, and whole in the buffer */
	if (tf->tf_hi - tf->tf_lo >= 10 &&
	    (k = varint_short(tf->tf_buf + tf->tf_lo, v)) != 0) {
		tf->tf_lo += k;
		return 1;
	}
	do {
		if (tf->tf_lo == tf->tf_hi)
			return 0;
		c = tf->tf_buf[tf->tf_lo++];
		if (shift == 63 && (c & 0x7e) != 0)
			return tf_fail(tf, "record %llu: a number too large",
			    (unsigned long long)tf->tf_nrec + 1);
		n |= (uint64_t)(c & 0x7f) << shift;
		shift += 7;
	} while ((c & 0x80) && shift < 64);
	if (c & 0x80)
		return tf_fail(tf, "record %llu: a number too long",
		    (unsigned long long)tf->tf_nrec + 1);
	*v = n;
	return 1;
}

static int
bin_truncated(struct tracefile *tf)
{
	return tf_fail(tf,
	    "truncated: it stops after record %llu, before "
	    "its end record",
	    (unsigned long long)tf->tf_nrec);
}

static int
bin_next(struct tracefile *tf, struct tf_ref *r)
{
	unsigned char tag;
	unsigned kind, size;
	uint64_t v, zz;
	int got;

	if (tf_ensure(tf, 1) != 0)
		return -1;
	if (tf->tf_lo == tf->tf_hi)
		return bin_truncated(tf);
	tag = tf->tf_buf[tf->tf_lo++];
	kind = tag & 7;
	size = tag >> 3;
	if (kind == TF_TAG_END) {
		if ((got = bin_varint(tf, &v)) <= 0)
			return got < 0 ? -1 : bin_truncated(tf);
		if (v != tf->tf_nrec)
			return tf_fail(tf,
			    "its end record counts %llu records, "
			    "not %llu",
			    (unsigned long long)v,
			    (unsigned long long)tf->tf_nrec);
		if (tf_ensure(tf, 1) != 0)
			return -1;
		if (tf->tf_lo != tf->tf_hi)
			return tf_fail(tf, "data after its end record");
		return 0;
	}
	if (kind >= TF_NKINDS || (kind == TF_PAGE) != tf->tf_pages ||
	    (kind == TF_PAGE && size != 0))
		return tf_fail(tf, "record %llu: bad tag 0x%02x",
		    (unsigned long long)tf->tf_nrec + 1, tag);
	if (kind != TF_PAGE && size == 0) {
		if ((got = bin_varint(tf, &v)) <= 0)
			return got < 0 ? -1 : bin_truncated(tf);
		if (v == 0 || v > UINT32_MAX)
			return tf_fail(tf, "record %llu: bad size %llu",
			    (unsigned long long)tf->tf_nrec + 1,
			    (unsigned long long)v);
		size = (unsigned)v;
	}
	if ((got = bin_varint(tf, &zz)) <= 0)
		return got < 0 ? -1 : bin_truncated(tf);
	tf->tf_prev += (zz >> 1) ^ (0 - (zz & 1));
	r->tr_kind = (uint8_t)kind;
	r->tr_addr = tf->tf_prev;
	r->tr_size = size;
	return 1;
}

/*
 * Opening: compression, then format
 */

static bool
has_magic(const unsigned char *s, size_t len, const unsigned char *m,
    size_t mlen)
{
	return len >= mlen && memcmp(s, m, mlen) == 0;
}

static int
tf_start_decompressor(struct tracefile *tf)
{
	const unsigned char *s = tf->tf_in;
	size_t n = tf->tf_inlen;

	if (has_magic(s, n, gzip_magic, sizeof(gzip_magic))) {
		tf->tf_comp = TF_COMP_GZIP;
		if (inflateInit2(&tf->tf_z, 16 + MAX_WBITS) != Z_OK)
			return tf_fail(tf, "cannot start zlib");
		tf->tf_zmember = true;
	} else if (has_magic(s, n, zstd_magic, sizeof(zstd_magic))) {
		tf->tf_comp = TF_COMP_ZSTD;
		if ((tf->tf_zs = ZSTD_createDStream()) == NULL)
			return tf_fail(tf, "cannot start libzstd");
		tf->tf_zslast = ZSTD_initDStream(tf->tf_zs); /* not 0 */
	} else if (has_magic(s, n, xz_magic, sizeof(xz_magic))) {
		tf->tf_comp = TF_COMP_XZ;
		tf->tf_xz = (lzma_stream)LZMA_STREAM_INIT;
		if (lzma_stream_decoder(&tf->tf_xz, UINT64_MAX,
			LZMA_CONCATENATED) != LZMA_OK)
			return tf_fail(tf, "cannot start liblzma");
	}
	return 0;
}

/* tf_detect_text: lackey or a reference string, from the first line
 * that says which */
static int
tf_detect_text(struct tracefile *tf)
{
	const unsigned char *s, *e, *t;
	size_t len, off = 0, next;
	struct tf_ref r;
	uint64_t v;
	int got;

	while ((got = tf_line(tf, off, &s, &len, &next)) > 0) {
		off = next;
		e = s + len;
		for (t = s; t < e && is_blank(*t); t++)
			continue;
		if (lackey_skipped(s, len) || *t == '#')
			continue;
		if (lackey_parse(s, len, &r)) {
			tf->tf_format = TF_FMT_LACKEY;
			return 0;
		}
		if (refstring_token(t, e, &v, &t)) {
			tf->tf_format = TF_FMT_REFSTRING;
			return 0;
		}
		tf->tf_line = 0;
		return tf_fail(tf,
		    "not a trace: its first record is neither "
		    "lackey's nor a page number");
	}
	if (got < 0)
		return -1;
	return tf_fail(tf, "empty trace: no references");
}

static int
tf_read_header(struct tracefile *tf)
{
	const unsigned char *h;
	int i;

	if (tf_ensure(tf, TF_HDRLEN) != 0)
		return -1;
	if (tf->tf_hi - tf->tf_lo < TF_HDRLEN)
		return tf_fail(tf, "truncated: no whole header");
	h = tf->tf_buf + tf->tf_lo;
	if (h[TF_MAGIC_LEN] != TF_VERSION)
		return tf_fail(tf,
		    "uvmsim trace version %u is not known (this "
		    "uvmsim reads version %u)",
		    h[TF_MAGIC_LEN], TF_VERSION);
	if (h[TF_MAGIC_LEN + 1] > 1)
		return tf_fail(tf, "bad unit %u in its header",
		    h[TF_MAGIC_LEN + 1]);
	for (i = TF_MAGIC_LEN + 2; i < TF_HDRLEN; i++)
		if (h[i] != 0)
			return tf_fail(tf, "bad header");
	tf->tf_pages = h[TF_MAGIC_LEN + 1] == 1;
	tf->tf_lo += TF_HDRLEN;
	/* an end record at once: nothing to replay */
	if (tf_ensure(tf, 1) != 0)
		return -1;
	if (tf->tf_lo < tf->tf_hi && (tf->tf_buf[tf->tf_lo] & 7) == TF_TAG_END)
		return tf_fail(tf, "empty trace: no references");
	return 0;
}

int
tracefile_open(struct tracefile **tfp, const char *path, char *why,
    size_t whylen)
{
	struct tracefile *tf;
	bool in = strcmp(path, "-") == 0;

	*tfp = NULL;
	tf = calloc(1, sizeof(*tf));
	if (tf == NULL || (tf->tf_in = malloc(TF_INSZ)) == NULL ||
	    (tf->tf_buf = malloc(TF_BUFSZ)) == NULL ||
	    (tf->tf_name = strdup(in ? "(standard input)" : path)) == NULL) {
		snprintf(why, whylen, "%s: out of memory", path);
		tracefile_close(tf);
		return -1;
	}
	tf->tf_state = 1;
	tf->tf_fd = in ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	tf->tf_closefd = !in;
	if (tf->tf_fd < 0) {
		tf_fail(tf, "cannot open: %s", strerror(errno));
		goto fail;
	}
	/* the first bytes tell the compression */
	while (tf->tf_inlen < sizeof(xz_magic) && !tf->tf_ineof) {
		ssize_t n = read(tf->tf_fd, tf->tf_in + tf->tf_inlen,
		    TF_INSZ - tf->tf_inlen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			tf_fail(tf, "cannot read: %s", strerror(errno));
			goto fail;
		}
		if (n == 0)
			tf->tf_ineof = true;
		tf->tf_inlen += (size_t)n;
	}
	if (tf_start_decompressor(tf) != 0)
		goto fail;
	/* then the plain stream's, the format */
	if (tf_ensure(tf, TF_MAGIC_LEN) != 0)
		goto fail;
	if (tf->tf_hi - tf->tf_lo >= TF_MAGIC_LEN &&
	    memcmp(tf->tf_buf + tf->tf_lo, TF_MAGIC, TF_MAGIC_LEN) == 0) {
		tf->tf_format = TF_FMT_BINARY;
		if (tf_read_header(tf) != 0)
			goto fail;
	} else if (tf_detect_text(tf) != 0)
		goto fail;
	*tfp = tf;
	return 0;
fail:
	snprintf(why, whylen, "%s", tf->tf_err);
	tracefile_close(tf);
	return -1;
}

int
tracefile_next(struct tracefile *tf, struct tf_ref *r)
{
	int got;

	if (tf->tf_state <= 0)
		return tf->tf_state;
	switch (tf->tf_format) {
	case TF_FMT_LACKEY:
		got = lackey_next(tf, r);
		break;
	case TF_FMT_REFSTRING:
		got = refstring_next(tf, r);
		break;
	default:
		got = bin_next(tf, r);
		break;
	}
	if (got > 0)
		tf->tf_nrec++;
	else
		tf->tf_state = got;
	return got;
}

int
tracefile_next_page(struct tracefile *tf, unsigned pageshift, uint64_t *page,
    bool *writes)
{
	struct tf_ref r;
	char where[300];
	int got;

	if (!tf->tf_inspan) {
		if ((got = tracefile_next(tf, &r)) <= 0)
			return got;
		if (!tf_pages(&r, pageshift, &tf->tf_spannext,
			&tf->tf_spanlast)) {
			tracefile_where(tf, where, sizeof(where));
			snprintf(tf->tf_err, sizeof(tf->tf_err),
			    "%.190s: the reference runs past the end of the "
			    "address space",
			    where);
			tf->tf_state = -1;
			return -1;
		}
		tf->tf_spanwrites = tf_writes(&r);
		tf->tf_inspan = true;
	}
	*page = tf->tf_spannext;
	*writes = tf->tf_spanwrites;
	if (tf->tf_spannext == tf->tf_spanlast)
		tf->tf_inspan = false;
	else
		tf->tf_spannext++;
	return 1;
}

const char *
tracefile_error(const struct tracefile *tf)
{
	return tf->tf_state < 0 ? tf->tf_err : "";
}

enum tf_format
tracefile_format(const struct tracefile *tf)
{
	return tf->tf_format;
}

enum tf_comp
tracefile_comp(const struct tracefile *tf)
{
	return tf->tf_comp;
}

const char *
tracefile_format_name(enum tf_format f)
{
	static const char *const names[] = {
		[TF_FMT_LACKEY] = "lackey",
		[TF_FMT_REFSTRING] = "reference string",
		[TF_FMT_BINARY] = "uvmsim binary",
	};
	return names[f];
}

const char *
tracefile_comp_name(enum tf_comp c)
{
	static const char *const names[] = {
		[TF_COMP_NONE] = "none",
		[TF_COMP_GZIP] = "gzip",
		[TF_COMP_ZSTD] = "zstd",
		[TF_COMP_XZ] = "xz",
	};
	return names[c];
}

void
tracefile_where(const struct tracefile *tf, char *buf, size_t len)
{
	if (tf->tf_format == TF_FMT_BINARY)
		snprintf(buf, len, "%s: record %llu", tf->tf_name,
		    (unsigned long long)tf->tf_nrec);
	else
		snprintf(buf, len, "%s:%llu", tf->tf_name,
		    (unsigned long long)tf->tf_line);
}

uint64_t
tracefile_count(const struct tracefile *tf)
{
	return tf->tf_nrec;
}

void
tracefile_close(struct tracefile *tf)
{
	if (tf == NULL)
		return;
	if (tf->tf_comp == TF_COMP_GZIP)
		inflateEnd(&tf->tf_z);
	ZSTD_freeDStream(tf->tf_zs);
	if (tf->tf_comp == TF_COMP_XZ)
		lzma_end(&tf->tf_xz);
	if (tf->tf_closefd && tf->tf_fd >= 0)
		close(tf->tf_fd);
	free(tf->tf_in);
	free(tf->tf_buf);
	free(tf->tf_name);
	free(tf);
}

bool
tf_pages(const struct tf_ref *r, unsigned pageshift, uint64_t *first,
    uint64_t *last)
{
	if (r->tr_kind == TF_PAGE) {
		*first = *last = r->tr_addr;
		return true;
	}
	if (r->tr_size == 0 || r->tr_addr > UINT64_MAX - (r->tr_size - 1))
		return false;
	*first = r->tr_addr >> pageshift;
	*last = (r->tr_addr + (r->tr_size - 1)) >> pageshift;
	return true;
}

/*
 * The writer
 */

#define TW_BUFSZ (1u << 18)

struct tracewriter {
	char *tw_path; /* where it goes */
	char *tw_tmp;  /* where it is written until then (NULL: stdout) */
	int tw_fd;
	bool tw_pages;
	enum tf_comp tw_comp;
	z_stream tw_z;
	ZSTD_CStream *tw_zs;
	lzma_stream tw_xz;
	unsigned char *tw_buf; /* plain bytes waiting */
	size_t tw_len;
	unsigned char *tw_out; /* compressed bytes */
	uint64_t tw_prev, tw_nrec;
	bool tw_failed;
	char tw_err[256];
};

static int tw_fail(struct tracewriter *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static int
tw_fail(struct tracewriter *tw, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(tw->tw_err, sizeof(tw->tw_err), "%s: ", tw->tw_path);
	va_start(ap, fmt);
	vsnprintf(tw->tw_err + n, sizeof(tw->tw_err) - (size_t)n, fmt, ap);
	va_end(ap);
	tw->tw_failed = true;
	return -1;
}

static int
tw_write(struct tracewriter *tw, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(tw->tw_fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return tw_fail(tw, "cannot write: %s", strerror(errno));
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* tw_flush: compress and write the plain bytes; finish ends the stream */
static int
tw_flush(struct tracewriter *tw, bool finish)
{
	int ret;

	if (tw->tw_failed)
		return -1;
	switch (tw->tw_comp) {
	case TF_COMP_NONE:
		ret = tw_write(tw, tw->tw_buf, tw->tw_len);
		break;
	case TF_COMP_GZIP: {
		z_stream *z = &tw->tw_z;
		int zr;

		z->next_in = tw->tw_buf;
		z->avail_in = (uInt)tw->tw_len;
		do {
			z->next_out = tw->tw_out;
			z->avail_out = TW_BUFSZ;
			zr = deflate(z, finish ? Z_FINISH : Z_NO_FLUSH);
			if (zr == Z_STREAM_ERROR)
				return tw_fail(tw, "zlib failed");
			if (tw_write(tw, tw->tw_out, TW_BUFSZ - z->avail_out))
				return -1;
		} while (z->avail_out == 0 || (finish && zr != Z_STREAM_END));
		ret = 0;
		break;
	}
	case TF_COMP_ZSTD: {
		ZSTD_inBuffer in = { tw->tw_buf, tw->tw_len, 0 };
		ZSTD_outBuffer out;
		size_t left;

		do {
			out = (ZSTD_outBuffer){ tw->tw_out, TW_BUFSZ, 0 };
			left = ZSTD_compressStream2(tw->tw_zs, &out, &in,
			    finish ? ZSTD_e_end : ZSTD_e_continue);
			if (ZSTD_isError(left))
				return tw_fail(tw, "libzstd failed: %s",
				    ZSTD_getErrorName(left));
			if (tw_write(tw, tw->tw_out, out.pos))
				return -1;
		} while (in.pos < in.size || (finish && left != 0));
		ret = 0;
		break;
	}
	default: {
		lzma_stream *x = &tw->tw_xz;
		lzma_ret lr;

		x->next_in = tw->tw_buf;
		x->avail_in = tw->tw_len;
		do {
			x->next_out = tw->tw_out;
			x->avail_out = TW_BUFSZ;
			lr = lzma_code(x, finish ? LZMA_FINISH : LZMA_RUN);
			if (lr != LZMA_OK && lr != LZMA_STREAM_END)
				return tw_fail(tw, "liblzma failed (error %d)",
				    (int)lr);
			if (tw_write(tw, tw->tw_out, TW_BUFSZ - x->avail_out))
				return -1;
		} while (x->avail_in > 0 || x->avail_out == 0 ||
		    (finish && lr != LZMA_STREAM_END));
		ret = 0;
		break;
	}
	}
	tw->tw_len = 0;
	return ret;
}

static bool
has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n > m && strcmp(s + n - m, suf) == 0;
}

static void
tw_free(struct tracewriter *tw)
{
	if (tw->tw_comp == TF_COMP_GZIP)
		deflateEnd(&tw->tw_z);
	ZSTD_freeCStream(tw->tw_zs);
	if (tw->tw_comp == TF_COMP_XZ)
		lzma_end(&tw->tw_xz);
	free(tw->tw_buf);
	free(tw->tw_out);
	free(tw->tw_path);
	free(tw->tw_tmp);
	free(tw);
}

int
tracewriter_open(struct tracewriter **twp, const char *path, bool pages,
    char *why, size_t whylen)
{
	struct tracewriter *tw;
	unsigned char hdr[TF_HDRLEN] = { 0 };
	bool out = strcmp(path, "-") == 0;
	const char *slash;

	*twp = NULL;
	tw = calloc(1, sizeof(*tw));
	if (tw == NULL || (tw->tw_buf = malloc(TW_BUFSZ)) == NULL ||
	    (tw->tw_out = malloc(TW_BUFSZ)) == NULL ||
	    (tw->tw_path = strdup(out ? "(standard output)" : path)) == NULL) {
		snprintf(why, whylen, "%s: out of memory", path);
		if (tw != NULL)
			tw_free(tw);
		return -1;
	}
	tw->tw_fd = STDOUT_FILENO;
	tw->tw_pages = pages;
	if (!out) {
		slash = strrchr(path, '/');
		if (asprintf(&tw->tw_tmp, "%.*s.%s.XXXXXX",
			slash != NULL ? (int)(slash - path + 1) : 0, path,
			slash != NULL ? slash + 1 : path) < 0) {
			tw->tw_tmp = NULL;
			snprintf(why, whylen, "%s: out of memory", path);
			tw_free(tw);
			return -1;
		}
		tw->tw_fd = mkstemp(tw->tw_tmp);
		if (tw->tw_fd < 0) {
			snprintf(why, whylen,
			    "%s: cannot create a file beside "
			    "it: %s",
			    path, strerror(errno));
			free(tw->tw_tmp);
			tw->tw_tmp = NULL;
			tw_free(tw);
			return -1;
		}
		if (has_suffix(path, ".gz"))
			tw->tw_comp = TF_COMP_GZIP;
		else if (has_suffix(path, ".zst"))
			tw->tw_comp = TF_COMP_ZSTD;
		else if (has_suffix(path, ".xz"))
			tw->tw_comp = TF_COMP_XZ;
	}
	if ((tw->tw_comp == TF_COMP_GZIP &&
		deflateInit2(&tw->tw_z, Z_DEFAULT_COMPRESSION, Z_DEFLATED,
		    16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) ||
	    (tw->tw_comp == TF_COMP_ZSTD &&
		(tw->tw_zs = ZSTD_createCStream()) == NULL)) {
		tw->tw_comp = TF_COMP_NONE;
		snprintf(why, whylen, "%s: cannot start the compressor", path);
		(void)tracewriter_close(tw, false, NULL, 0);
		return -1;
	}
	if (tw->tw_comp == TF_COMP_XZ) {
		tw->tw_xz = (lzma_stream)LZMA_STREAM_INIT;
		if (lzma_easy_encoder(&tw->tw_xz, 6, LZMA_CHECK_CRC64) !=
		    LZMA_OK) {
			tw->tw_comp = TF_COMP_NONE;
			snprintf(why, whylen, "%s: cannot start liblzma", path);
			(void)tracewriter_close(tw, false, NULL, 0);
			return -1;
		}
	}
	memcpy(hdr, TF_MAGIC, TF_MAGIC_LEN);
	hdr[TF_MAGIC_LEN] = TF_VERSION;
	hdr[TF_MAGIC_LEN + 1] = pages;
	memcpy(tw->tw_buf, hdr, sizeof(hdr));
	tw->tw_len = sizeof(hdr);
	*twp = tw;
	return 0;
}

static size_t
put_varint(unsigned char *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

int
tracewriter_put(struct tracewriter *tw, const struct tf_ref *r)
{
	unsigned char *p;
	uint64_t d;

	if (tw->tw_failed)
		return -1;
	if ((r->tr_kind == TF_PAGE) != tw->tw_pages ||
	    r->tr_kind >= TF_NKINDS ||
	    (r->tr_kind != TF_PAGE && r->tr_size == 0))
		return tw_fail(tw, "a %s reference in a trace of %s",
		    r->tr_kind == TF_PAGE ? "page" : "byte",
		    tw->tw_pages ? "pages" : "bytes");
	if (TW_BUFSZ - tw->tw_len < 32 && tw_flush(tw, false) != 0)
		return -1;
	p = tw->tw_buf + tw->tw_len;
	if (r->tr_kind == TF_PAGE || r->tr_size > TF_SIZE_MAX) {
		*p++ = r->tr_kind;
		if (r->tr_kind != TF_PAGE)
			p += put_varint(p, r->tr_size);
	} else
		*p++ = (unsigned char)(r->tr_kind | r->tr_size << 3);
	d = r->tr_addr - tw->tw_prev;
	p += put_varint(p, d << 1 ^ (0 - (d >> 63)));
	tw->tw_prev = r->tr_addr;
	tw->tw_nrec++;
	tw->tw_len = (size_t)(p - tw->tw_buf);
	return 0;
}

const char *
tracewriter_error(const struct tracewriter *tw)
{
	return tw->tw_err;
}

int
tracewriter_close(struct tracewriter *tw, bool commit, char *why, size_t whylen)
{
	int error = 0;

	if (commit) {
		unsigned char *p = tw->tw_buf + tw->tw_len;

		if (!tw->tw_failed && TW_BUFSZ - tw->tw_len < 16)
			(void)tw_flush(tw, false);
		if (!tw->tw_failed) {
			p = tw->tw_buf + tw->tw_len;
			*p++ = TF_TAG_END;
			p += put_varint(p, tw->tw_nrec);
			tw->tw_len = (size_t)(p - tw->tw_buf);
			(void)tw_flush(tw, true);
		}
	}
	if (tw->tw_tmp != NULL) {
		if (close(tw->tw_fd) != 0 && commit && !tw->tw_failed)
			tw_fail(tw, "cannot write: %s", strerror(errno));
		if (commit && !tw->tw_failed &&
		    rename(tw->tw_tmp, tw->tw_path) != 0)
			tw_fail(tw, "cannot put it in place: %s",
			    strerror(errno));
		if (!commit || tw->tw_failed)
			(void)unlink(tw->tw_tmp);
	}
	if (commit && tw->tw_failed) {
		if (why != NULL)
			snprintf(why, whylen, "%s", tw->tw_err);
		error = -1;
	}
	tw_free(tw);
	return error;
}
