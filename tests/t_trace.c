/*
 * t_trace.c: memory traces -- each input format and compression read
 * back record for record, the binary format written and read again,
 * bad traces refused with their place -- and textbook paging: the
 * classic strings' fault counts, Belady's anomaly, and every policy
 * against a plain brute-force counter on random strings.
 */

#include <errno.h>
#include <fcntl.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "sim/textbook.h"
#include "sim/tracefile.h"

#include "h_util.h"

/* a small lackey trace, with valgrind's own lines around it */
static const char lackey_text[] =
    "==4711== Lackey, an example Valgrind tool\n"
    "==4711== Command: ./a.out\n"
    "\n"
    "I  04001630,3\n"
    " S 1ffefffd38,8\n"
    "I  04001633,5\n"
    " L 04026e70,8\n"
    " M 0402a000,4\n"
    "I  04001ff8,16\n" /* 0x4001ff8 + 16 crosses into the next page */
    "--4711-- a valgrind note\n"
    "==4711== \n"
    "==4711== Counted 1 call to main()\n";

static const struct tf_ref lackey_refs[] = {
	{ 0x4001630, 3, TF_INSTR },
	{ 0x1ffefffd38, 8, TF_STORE },
	{ 0x4001633, 5, TF_INSTR },
	{ 0x4026e70, 8, TF_LOAD },
	{ 0x402a000, 4, TF_MODIFY },
	{ 0x4001ff8, 16, TF_INSTR },
};

static void
write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	ATF_REQUIRE(f != NULL);
	ATF_REQUIRE_EQ(fwrite(data, 1, len, f), len);
	ATF_REQUIRE_EQ(fclose(f), 0);
}

static void
write_gzip(const char *path, const void *data, size_t len)
{
	gzFile g = gzopen(path, "wb");

	ATF_REQUIRE(g != NULL);
	ATF_REQUIRE_EQ(gzwrite(g, data, (unsigned)len), (int)len);
	ATF_REQUIRE_EQ(gzclose(g), Z_OK);
}

static void
write_zstd(const char *path, const void *data, size_t len)
{
	size_t cap = ZSTD_compressBound(len), n;
	void *out = malloc(cap);

	ATF_REQUIRE(out != NULL);
	n = ZSTD_compress(out, cap, data, len, 3);
	ATF_REQUIRE(!ZSTD_isError(n));
	write_file(path, out, n);
	free(out);
}

static void
write_xz(const char *path, const void *data, size_t len)
{
	size_t cap = lzma_stream_buffer_bound(len), n = 0;
	uint8_t *out = malloc(cap);

	ATF_REQUIRE(out != NULL);
	ATF_REQUIRE_EQ(lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, NULL, data,
			   len, out, &n, cap),
	    LZMA_OK);
	write_file(path, out, n);
	free(out);
}

/* read_all: every reference of path into refs (at most max) */
static size_t
read_all(const char *path, struct tf_ref *refs, size_t max, enum tf_format *fmt,
    enum tf_comp *comp)
{
	struct tracefile *tf;
	char why[512];
	size_t n = 0;
	int got;

	if (tracefile_open(&tf, path, why, sizeof(why)) != 0)
		atf_tc_fail("%s", why);
	if (fmt != NULL)
		*fmt = tracefile_format(tf);
	if (comp != NULL)
		*comp = tracefile_comp(tf);
	while ((got = tracefile_next(tf, &refs[n])) > 0)
		ATF_REQUIRE(++n < max);
	if (got < 0)
		atf_tc_fail("%s", tracefile_error(tf));
	ATF_REQUIRE_EQ(tracefile_count(tf), n);
	tracefile_close(tf);
	return n;
}

static void
require_refs(const struct tf_ref *got, size_t n, const struct tf_ref *want,
    size_t nwant)
{
	size_t i;

	ATF_REQUIRE_EQ(n, nwant);
	for (i = 0; i < n; i++) {
		ATF_CHECK_EQ_MSG(got[i].tr_addr, want[i].tr_addr,
		    "reference %zu", i);
		ATF_CHECK_EQ_MSG(got[i].tr_size, want[i].tr_size,
		    "reference %zu", i);
		ATF_CHECK_EQ_MSG(got[i].tr_kind, want[i].tr_kind,
		    "reference %zu", i);
	}
}

ATF_TC_WITHOUT_HEAD(lackey_read_plain_and_compressed);
ATF_TC_BODY(lackey_read_plain_and_compressed, tc)
{
	static const struct {
		const char *path;
		void (*write)(const char *, const void *, size_t);
		enum tf_comp comp;
	} files[] = {
		{ "t.lackey", write_file, TF_COMP_NONE },
		{ "t.lackey.gz", write_gzip, TF_COMP_GZIP },
		{ "t.lackey.zst", write_zstd, TF_COMP_ZSTD },
		{ "t.lackey.xz", write_xz, TF_COMP_XZ },
		/* the content decides, not the name */
		{ "misnamed.xz", write_gzip, TF_COMP_GZIP },
	};
	struct tf_ref refs[16];
	enum tf_format fmt;
	enum tf_comp comp;
	size_t i, n;

	for (i = 0; i < __arraycount(files); i++) {
		files[i].write(files[i].path, lackey_text,
		    sizeof(lackey_text) - 1);
		n = read_all(files[i].path, refs, __arraycount(refs), &fmt,
		    &comp);
		ATF_CHECK_EQ(fmt, TF_FMT_LACKEY);
		ATF_CHECK_EQ(comp, files[i].comp);
		require_refs(refs, n, lackey_refs, __arraycount(lackey_refs));
	}
}

ATF_TC_WITHOUT_HEAD(refstring_read);
ATF_TC_BODY(refstring_read, tc)
{
	static const char text[] = "# Belady's string\n"
				   "1 2 3 4\t1 2\n"
				   "\n"
				   "5 1 2 3 4 5   # the end\n"
				   "0x10\n";
	static const uint64_t want[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5,
		16 };
	struct tf_ref refs[32];
	enum tf_format fmt;
	size_t i, n;

	write_file("r.txt", text, sizeof(text) - 1);
	n = read_all("r.txt", refs, __arraycount(refs), &fmt, NULL);
	ATF_REQUIRE_EQ(fmt, TF_FMT_REFSTRING);
	ATF_REQUIRE_EQ(n, __arraycount(want));
	for (i = 0; i < n; i++) {
		ATF_CHECK_EQ(refs[i].tr_kind, TF_PAGE);
		ATF_CHECK_EQ(refs[i].tr_addr, want[i]);
	}
}

ATF_TC_WITHOUT_HEAD(pages_of_a_reference);
ATF_TC_BODY(pages_of_a_reference, tc)
{
	struct tf_ref r = { 0x1ffe, 4, TF_LOAD };
	uint64_t a, b;

	ATF_REQUIRE(tf_pages(&r, 12, &a, &b));
	ATF_CHECK_EQ(a, 1);
	ATF_CHECK_EQ(b, 2);
	r.tr_size = 2;
	ATF_REQUIRE(tf_pages(&r, 12, &a, &b));
	ATF_CHECK_EQ(a, 1);
	ATF_CHECK_EQ(b, 1);
	r = (struct tf_ref){ UINT64_MAX - 1, 4, TF_STORE };
	ATF_CHECK(!tf_pages(&r, 12, &a, &b));
	r = (struct tf_ref){ 77, 0, TF_PAGE };
	ATF_REQUIRE(tf_pages(&r, 12, &a, &b));
	ATF_CHECK_EQ(a, 77);
	ATF_CHECK_EQ(b, 77);
}

/* a pseudo-random trace with every kind, small and large sizes and
 * jumps both ways */
static size_t
make_refs(struct tf_ref *refs, size_t n, bool pages)
{
	uint64_t x = 88172645463325252ULL, a = 0x400000;
	size_t i;

	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		if (pages) {
			refs[i] = (struct tf_ref){ x % 97, 0, TF_PAGE };
			continue;
		}
		a += (x & 0xff) < 200 ? (x >> 8) % 64 : (x >> 8);
		if ((x & 0xf) == 3)
			a -= (x >> 20) % 100000;
		refs[i].tr_addr = a;
		refs[i].tr_size = (x >> 40) % 4 == 0 ?
		    (uint32_t)((x >> 44) % 5000) + 1 :
		    1u << ((x >> 50) % 4);
		refs[i].tr_kind = (uint8_t)((x >> 56) % 4);
	}
	return n;
}

/* the trace as pages: a reference over a page boundary gives both pages,
 * and one past the end of the address space stops the reading, located */
ATF_TC_WITHOUT_HEAD(trace_as_pages);
ATF_TC_BODY(trace_as_pages, tc)
{
	static const char text[] = " L 1ffe,4\n S 3000,8\n"
				   " L fffffffffffffffe,4\n";
	static const uint64_t want[] = { 1, 2, 3 };
	static const bool wantw[] = { false, false, true };
	struct tracefile *tf;
	char why[512];
	uint64_t pg;
	bool w;
	size_t n = 0;
	int got;

	write_file("p", text, sizeof(text) - 1);
	ATF_REQUIRE_EQ(tracefile_open(&tf, "p", why, sizeof(why)), 0);
	while ((got = tracefile_next_page(tf, 12, &pg, &w)) > 0) {
		ATF_REQUIRE(n < __arraycount(want));
		ATF_CHECK_EQ(pg, want[n]);
		ATF_CHECK_EQ(w, wantw[n]);
		n++;
	}
	ATF_CHECK_EQ(n, 3);
	ATF_CHECK_EQ(got, -1);
	ATF_CHECK_MSG(strstr(tracefile_error(tf),
			  "p:3: the reference runs "
			  "past the end") != NULL,
	    "%s", tracefile_error(tf));
	tracefile_close(tf);
}

ATF_TC_WITHOUT_HEAD(binary_round_trip_every_compression);
ATF_TC_BODY(binary_round_trip_every_compression, tc)
{
	static const char *const paths[] = { "b.uvt", "b.uvt.gz", "b.uvt.zst",
		"b.uvt.xz" };
	static const enum tf_comp comps[] = { TF_COMP_NONE, TF_COMP_GZIP,
		TF_COMP_ZSTD, TF_COMP_XZ };
	enum { N = 20000 };
	struct tf_ref *want = calloc(N, sizeof(*want)),
		      *got = calloc(N + 1, sizeof(*got));
	struct tracewriter *tw;
	enum tf_format fmt;
	enum tf_comp comp;
	char why[512];
	size_t i, k, n;
	int pages;

	ATF_REQUIRE(want != NULL && got != NULL);
	for (pages = 0; pages < 2; pages++) {
		make_refs(want, N, pages);
		for (k = 0; k < __arraycount(paths); k++) {
			if (tracewriter_open(&tw, paths[k], pages, why,
				sizeof(why)) != 0)
				atf_tc_fail("%s", why);
			for (i = 0; i < N; i++)
				ATF_REQUIRE_EQ(tracewriter_put(tw, &want[i]),
				    0);
			/* nothing at the path until it is whole */
			ATF_REQUIRE(access(paths[k], F_OK) != 0);
			if (tracewriter_close(tw, true, why, sizeof(why)) != 0)
				atf_tc_fail("%s", why);
			n = read_all(paths[k], got, N + 1, &fmt, &comp);
			ATF_CHECK_EQ(fmt, TF_FMT_BINARY);
			ATF_CHECK_EQ(comp, comps[k]);
			require_refs(got, n, want, N);
		}
		for (k = 0; k < __arraycount(paths); k++)
			ATF_REQUIRE_EQ(unlink(paths[k]), 0);
	}
	free(want);
	free(got);
}

ATF_TC_WITHOUT_HEAD(writer_abandoned_leaves_nothing);
ATF_TC_BODY(writer_abandoned_leaves_nothing, tc)
{
	struct tracewriter *tw;
	struct tf_ref r = { 5, 0, TF_PAGE }, bad = { 5, 4, TF_LOAD };
	char why[512];
	struct stat st;

	ATF_REQUIRE_EQ(mkdir("d", 0755), 0);
	ATF_REQUIRE_EQ(tracewriter_open(&tw, "d/x.uvt", true, why, sizeof(why)),
	    0);
	ATF_REQUIRE_EQ(tracewriter_put(tw, &r), 0);
	/* a byte reference in a trace of pages */
	ATF_REQUIRE_EQ(tracewriter_put(tw, &bad), -1);
	ATF_CHECK(strstr(tracewriter_error(tw), "byte reference") != NULL);
	ATF_REQUIRE_EQ(tracewriter_close(tw, true, why, sizeof(why)), -1);
	ATF_CHECK(stat("d/x.uvt", &st) != 0 && errno == ENOENT);
	/* and an abandoned one: nothing, not even the temporary file */
	ATF_REQUIRE_EQ(tracewriter_open(&tw, "d/y.uvt", true, why, sizeof(why)),
	    0);
	ATF_REQUIRE_EQ(tracewriter_put(tw, &r), 0);
	ATF_REQUIRE_EQ(tracewriter_close(tw, false, NULL, 0), 0);
	ATF_CHECK_EQ(rmdir("d"), 0);
}

/* bad_open: tracefile_open refuses path with a message holding want */
static void
bad_open(const char *path, const char *want)
{
	struct tracefile *tf;
	char why[512];

	ATF_REQUIRE_EQ_MSG(tracefile_open(&tf, path, why, sizeof(why)), -1,
	    "%s opened", path);
	ATF_CHECK_MSG(strstr(why, want) != NULL &&
		strncmp(why, path, strlen(path)) == 0,
	    "%s: '%s' does not say '%s'", path, why, want);
}

/* bad_read: path opens, then its reading stops with want after good
 * references (SIZE_MAX: any number) */
static void
bad_read(const char *path, const char *want, size_t good)
{
	struct tracefile *tf;
	struct tf_ref r;
	char why[512];
	size_t n = 0;
	int got;

	if (tracefile_open(&tf, path, why, sizeof(why)) != 0)
		atf_tc_fail("%s: %s", path, why);
	while ((got = tracefile_next(tf, &r)) > 0)
		n++;
	ATF_CHECK_EQ_MSG(got, -1, "%s: read to its end", path);
	if (good != SIZE_MAX)
		ATF_CHECK_EQ_MSG(n, good, "%s: %zu references before the error",
		    path, n);
	ATF_CHECK_MSG(strstr(tracefile_error(tf), want) != NULL,
	    "%s: '%s' does not say '%s'", path, tracefile_error(tf), want);
	/* and it stays failed */
	ATF_CHECK_EQ(tracefile_next(tf, &r), -1);
	tracefile_close(tf);
}

ATF_TC_WITHOUT_HEAD(bad_traces_say_where);
ATF_TC_BODY(bad_traces_say_where, tc)
{
	static const char garbage[] = "I  0400,4\n L 0500,8\nhello there\n";
	static const char badref[] = "1 2 3\n4 five 6\n";
	struct tracewriter *tw;
	struct tf_ref r = { 9, 0, TF_PAGE };
	unsigned char buf[4096];
	char why[512];
	size_t n;
	FILE *f;
	int i;

	write_file("garbage", garbage, sizeof(garbage) - 1);
	bad_read("garbage", "line 3: not a lackey record: 'hello there'", 2);
	write_file("badref", badref, sizeof(badref) - 1);
	bad_read("badref", "line 2: not a page number: 'five'", 4);

	write_file("empty", "", 0);
	bad_open("empty", "empty trace");
	write_file("comments", "# nothing\n\n", 11);
	bad_open("comments", "empty trace");
	write_file("prose", "this is not a trace\n", 20);
	bad_open("prose", "not a trace");
	bad_open("no-such-file", "cannot open");

	/* compressed files cut short, each long enough to start well */
	for (i = 0; i < 3; i++) {
		static const char *const cut[] = { "cut.gz", "cut.zst",
			"cut.xz" };
		static const char *const msg[] = { "truncated gzip stream",
			"truncated zstd stream", "truncated xz stream" };
		size_t len = 0, cap = 2u << 20;
		char *text = malloc(cap);
		unsigned char *z;

		ATF_REQUIRE(text != NULL);
		while (len + 64 < cap)
			len += (size_t)snprintf(text + len, cap - len,
			    " L %08zx,8\n", len * 7919 % 0x7fffffff);
		(i == 0	       ? write_gzip :
			i == 1 ? write_zstd :
				 write_xz)(cut[i], text, len);
		free(text);
		f = fopen(cut[i], "rb");
		ATF_REQUIRE(f != NULL);
		z = malloc(cap);
		n = fread(z, 1, cap, f);
		fclose(f);
		write_file(cut[i], z, n / 2);
		free(z);
		bad_read(cut[i], msg[i], SIZE_MAX);
	}

	/* a binary trace cut before its end record, and one with more */
	ATF_REQUIRE_EQ(tracewriter_open(&tw, "b.uvt", true, why, sizeof(why)),
	    0);
	for (i = 0; i < 100; i++)
		ATF_REQUIRE_EQ(tracewriter_put(tw, &r), 0);
	ATF_REQUIRE_EQ(tracewriter_close(tw, true, why, sizeof(why)), 0);
	f = fopen("b.uvt", "rb");
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	write_file("b-cut.uvt", buf, n - 2);
	bad_read("b-cut.uvt", "truncated: it stops after record 100", 100);
	buf[n] = 0x21;
	write_file("b-more.uvt", buf, n + 1);
	bad_read("b-more.uvt", "data after its end record", 100);
	buf[8] = 9; /* version */
	write_file("b-version.uvt", buf, n);
	bad_open("b-version.uvt", "version 9 is not known");
	/* an empty binary trace */
	ATF_REQUIRE_EQ(tracewriter_open(&tw, "b0.uvt", false, why, sizeof(why)),
	    0);
	ATF_REQUIRE_EQ(tracewriter_close(tw, true, why, sizeof(why)), 0);
	bad_open("b0.uvt", "empty trace");
}

/*
 * The binary format's numbers at every length, one byte to ten (a
 * delta of 2^63 zigzags to 2^64 - 1), read back as written; a tenth
 * byte with more than the 64th bit, or an eleventh, is refused.
 */
ATF_TC_WITHOUT_HEAD(binary_numbers_of_every_length);
ATF_TC_BODY(binary_numbers_of_every_length, tc)
{
	static const uint64_t addrs[] = { 0, 8, 64, 128, 1ULL << 14, 1ULL << 21,
		1ULL << 35, 1ULL << 49, 1ULL << 56, 1ULL << 62, 1ULL << 63, 0,
		UINT64_MAX & ~7ULL, 16, 1ULL << 63 };
	static const uint32_t sizes[] = { 1, 8, 4096, 1u << 20, UINT32_MAX };
	enum { N = sizeof(addrs) / sizeof(addrs[0]) };
	struct tf_ref want[N], got[N + 1];
	struct tracewriter *tw;
	unsigned char buf[512];
	char why[512];
	size_t i, n, len;
	FILE *f;

	for (i = 0; i < N; i++)
		want[i] = (struct tf_ref){ addrs[i],
			sizes[i % (sizeof(sizes) / sizeof(sizes[0]))],
			(uint8_t)(i % 3) };
	ATF_REQUIRE_EQ(tracewriter_open(&tw, "n.uvt", false, why, sizeof(why)),
	    0);
	for (i = 0; i < N; i++)
		ATF_REQUIRE_EQ(tracewriter_put(tw, &want[i]), 0);
	ATF_REQUIRE_EQ(tracewriter_close(tw, true, why, sizeof(why)), 0);
	n = read_all("n.uvt", got, N + 1, NULL, NULL);
	require_refs(got, n, want, N);

	/* one reference 2^63 from 0: its number is nine 0xff and a 0x01 */
	want[0] = (struct tf_ref){ 1ULL << 63, 8, TF_LOAD };
	ATF_REQUIRE_EQ(tracewriter_open(&tw, "big.uvt", false, why,
			   sizeof(why)),
	    0);
	ATF_REQUIRE_EQ(tracewriter_put(tw, &want[0]), 0);
	ATF_REQUIRE_EQ(tracewriter_close(tw, true, why, sizeof(why)), 0);
	f = fopen("big.uvt", "rb");
	ATF_REQUIRE(f != NULL);
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	for (i = 0; i + 10 <= len; i++)
		if (memcmp(buf + i, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01",
			10) == 0)
			break;
	ATF_REQUIRE_MSG(i + 10 <= len, "no ten-byte number in big.uvt");
	n = read_all("big.uvt", got, 2, NULL, NULL);
	require_refs(got, n, want, 1);
	buf[i + 9] = 0x03; /* a 65th bit */
	write_file("too-large.uvt", buf, len);
	bad_read("too-large.uvt", "record 1: a number too large", 0);
	buf[i + 9] = 0x81; /* an eleventh byte */
	write_file("too-long.uvt", buf, len);
	bad_read("too-long.uvt", "record 1: a number too long", 0);
}

ATF_TC_WITHOUT_HEAD(standard_input_streams);
ATF_TC_BODY(standard_input_streams, tc)
{
	struct tf_ref refs[16];
	size_t n;
	int fd;

	write_zstd("in.zst", lackey_text, sizeof(lackey_text) - 1);
	fd = open("in.zst", O_RDONLY);
	ATF_REQUIRE(fd >= 0);
	ATF_REQUIRE(dup2(fd, STDIN_FILENO) == STDIN_FILENO);
	close(fd);
	n = read_all("-", refs, __arraycount(refs), NULL, NULL);
	require_refs(refs, n, lackey_refs, __arraycount(lackey_refs));
}

/*
 * Textbook paging
 */

/* count: the faults of policy with frames frames on pages[0..n) */
static uint64_t count_with(enum tb_policy, uint64_t, const uint64_t *, size_t,
    const struct tb_params *);

static uint64_t
count(enum tb_policy policy, uint64_t frames, const uint64_t *pages, size_t n)
{
	static const struct tb_params one = { .tp_clockbits = 1, .tp_seed = 1 };

	return count_with(policy, frames, pages, n, &one);
}

static uint64_t
count_with(enum tb_policy policy, uint64_t frames, const uint64_t *pages,
    size_t n, const struct tb_params *tp)
{
	struct textbook_counts tc;
	struct textbook *tb;
	struct refmap *rm = refmap_new();
	uint32_t *ids = malloc(n * sizeof(*ids));
	uint64_t *next = malloc(n * sizeof(*next));
	size_t i, j;

	ATF_REQUIRE(rm != NULL && ids != NULL && next != NULL);
	for (i = 0; i < n; i++) {
		int64_t id = refmap_id(rm, pages[i]);
		ATF_REQUIRE(id >= 0);
		ids[i] = (uint32_t)id;
	}
	/* next uses the slow way: the oracle is tested on its own */
	for (i = 0; i < n; i++) {
		next[i] = TB_NEVER;
		for (j = i + 1; j < n; j++)
			if (ids[j] == ids[i]) {
				next[i] = j;
				break;
			}
	}
	tb = textbook_new_with(policy, frames, tp);
	ATF_REQUIRE(tb != NULL);
	for (i = 0; i < n; i++)
		ATF_REQUIRE(textbook_ref(tb, ids[i], next[i]) >= 0);
	textbook_counts(tb, &tc);
	ATF_CHECK_EQ(tc.tc_refs, n);
	textbook_free(tb);
	refmap_free(rm);
	free(ids);
	free(next);
	return tc.tc_faults;
}

ATF_TC_WITHOUT_HEAD(classic_strings);
ATF_TC_BODY(classic_strings, tc)
{
	/* Silberschatz's string with 3 frames: 15, 12 and 9 faults */
	static const uint64_t s[] = { 7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1,
		2, 0, 1, 7, 0, 1 };
	/* Belady's: FIFO takes more faults with 4 frames than with 3 */
	static const uint64_t b[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };

	ATF_CHECK_EQ(count(TB_FIFO, 3, s, __arraycount(s)), 15);
	ATF_CHECK_EQ(count(TB_LRU, 3, s, __arraycount(s)), 12);
	ATF_CHECK_EQ(count(TB_OPT, 3, s, __arraycount(s)), 9);
	ATF_CHECK_EQ(count(TB_FIFO, 3, b, __arraycount(b)), 9);
	ATF_CHECK_EQ(count(TB_FIFO, 4, b, __arraycount(b)), 10);
	/* the stack algorithms have no anomaly */
	ATF_CHECK_EQ(count(TB_LRU, 3, b, __arraycount(b)), 10);
	ATF_CHECK_EQ(count(TB_LRU, 4, b, __arraycount(b)), 8);
	ATF_CHECK_EQ(count(TB_OPT, 3, b, __arraycount(b)), 7);
	ATF_CHECK_EQ(count(TB_OPT, 4, b, __arraycount(b)), 6);
	/* one frame: every change of page faults */
	ATF_CHECK_EQ(count(TB_CLOCK, 1, b, __arraycount(b)), 12);
	/* frames past the footprint: only the first uses */
	ATF_CHECK_EQ(count(TB_CLOCK, 1000000000, s, __arraycount(s)), 6);
}

/*
 * brute: the same policies, written the plainest way -- an array of
 * frames searched from end to end -- as the independent count.  bits is
 * the clock's counter width (second chance is the one-bit clock).
 * Ties are broken as textbook.c breaks them where that can change the
 * count: unopt among pages never used again takes the one first used
 * last; lfu among equally used pages the one that came in first.
 */
static uint64_t
brute_bits(enum tb_policy policy, unsigned bits, size_t frames,
    const uint64_t *p, size_t n)
{
	uint64_t *page = calloc(frames, sizeof(*page)), faults = 0;
	uint64_t *stamp = calloc(frames, sizeof(*stamp));
	uint64_t *uses = calloc(frames, sizeof(*uses));
	uint8_t *ref = calloc(frames, 1), max = (uint8_t)((1u << bits) - 1);
	size_t i, j, k, used = 0, hand = 0, v;

	if (policy == TB_SC)
		policy = TB_CLOCK;
	for (i = 0; i < n; i++) {
		for (j = 0; j < used && page[j] != p[i]; j++)
			continue;
		if (j < used) {
			if (policy == TB_LRU || policy == TB_MRU)
				stamp[j] = i;
			ref[j] = max;
			uses[j]++;
			continue;
		}
		faults++;
		if (used < frames) {
			v = used++;
		} else if (policy == TB_FIFO || policy == TB_LRU) {
			for (v = 0, k = 1; k < frames; k++)
				if (stamp[k] < stamp[v])
					v = k;
		} else if (policy == TB_MRU) {
			for (v = 0, k = 1; k < frames; k++)
				if (stamp[k] > stamp[v])
					v = k;
		} else if (policy == TB_LFU) {
			for (v = 0, k = 1; k < frames; k++)
				if (uses[k] < uses[v] ||
				    (uses[k] == uses[v] && stamp[k] < stamp[v]))
					v = k;
		} else if (policy == TB_CLOCK) {
			while (ref[hand]) {
				ref[hand]--;
				hand = (hand + 1) % frames;
			}
			v = hand;
			hand = (hand + 1) % frames;
		} else {
			/* opt: the farthest next use; unopt: the nearest */
			uint64_t best = 0, d, firstuse, bestfirst = 0;

			for (v = 0, k = 0; k < frames; k++) {
				for (d = i + 1; d < n && p[d] != page[k]; d++)
					continue;
				for (firstuse = 0; p[firstuse] != page[k];
				     firstuse++)
					continue;
				if (policy == TB_OPT ? d > best :
						       k == 0 || d < best ||
					    (d == best && d == n &&
						firstuse > bestfirst)) {
					best = d;
					bestfirst = firstuse;
					v = k;
				}
			}
		}
		page[v] = p[i];
		stamp[v] = i;
		ref[v] = max;
		uses[v] = 1;
	}
	free(page);
	free(stamp);
	free(uses);
	free(ref);
	return faults;
}

static uint64_t
brute(enum tb_policy policy, size_t frames, const uint64_t *p, size_t n)
{
	return brute_bits(policy, 1, frames, p, n);
}

ATF_TC_WITHOUT_HEAD(policies_match_brute_force);
ATF_TC_BODY(policies_match_brute_force, tc)
{
	enum { N = 3000 };
	static uint64_t p[N];
	uint64_t x = 0x9e3779b97f4a7c15ULL, f, prev_opt;
	size_t frames, i;
	int pol, shape;

	for (shape = 0; shape < 3; shape++) {
		for (i = 0; i < N; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			/* uniform; a hot set; a loop with noise */
			p[i] = shape == 0 ? x % 50 :
			    shape == 1	  ? ((x & 7) ? x % 8 : 8 + x % 200) :
					    ((x & 15) ? i % 37 : x % 1000);
		}
		prev_opt = UINT64_MAX;
		for (frames = 1; frames <= 64; frames = frames * 2 + 1) {
			for (pol = 0; pol < TB_NPOLICIES; pol++) {
				if (pol == TB_RAND)
					continue; /* below */
				f = count(pol, frames, p, N);
				ATF_CHECK_EQ_MSG(f, brute(pol, frames, p, N),
				    "%s, %zu frames, string %d",
				    tb_policy_name(pol), frames, shape);
				if (pol == TB_OPT) {
					ATF_CHECK(f <= prev_opt);
					prev_opt = f;
				}
			}
		}
	}
}

/*
 * The clock with more bits against the brute force; rand is the same
 * from the same seed, differs between seeds, and never beats opt.
 */
ATF_TC_WITHOUT_HEAD(clock_bits_and_rand);
ATF_TC_BODY(clock_bits_and_rand, tc)
{
	enum { N = 3000 };
	static uint64_t p[N];
	struct tb_params tp = { .tp_clockbits = 1, .tp_seed = 7 };
	uint64_t x = 0x2545f4914f6cdd1dULL, a, b, differ = 0;
	size_t frames, i;
	unsigned bits;

	for (i = 0; i < N; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (x & 3) ? x % 12 : x % 90;
	}
	for (frames = 2; frames <= 40; frames += 7) {
		for (bits = 1; bits <= 3; bits++) {
			tp.tp_clockbits = bits;
			ATF_CHECK_EQ_MSG(count_with(TB_CLOCK, frames, p, N,
					     &tp),
			    brute_bits(TB_CLOCK, bits, frames, p, N),
			    "%u bits, %zu frames", bits, frames);
		}
		tp.tp_seed = 7;
		a = count_with(TB_RAND, frames, p, N, &tp);
		ATF_CHECK_EQ(a, count_with(TB_RAND, frames, p, N, &tp));
		ATF_CHECK(a >= count(TB_OPT, frames, p, N));
		tp.tp_seed = 8;
		b = count_with(TB_RAND, frames, p, N, &tp);
		differ += a != b;
	}
	ATF_CHECK(differ > 0);
	tp.tp_clockbits = 9;
	ATF_CHECK(textbook_new_with(TB_CLOCK, 4, &tp) == NULL);
}

/*
 * The working set and page-fault frequency against plain counts: WS(tau)
 * faults when the page is not among the last tau references and holds
 * the distinct pages of the last tau; PFF, replayed with a plain array.
 */
ATF_TC_WITHOUT_HEAD(ws_and_pff_match_brute_force);
ATF_TC_BODY(ws_and_pff_match_brute_force, tc)
{
	enum { N = 2000 };
	static uint64_t p[N], last[N];
	struct textbook_varcounts c;
	struct textbook_var *tv;
	struct refmap *rm = refmap_new();
	uint64_t x = 0x853c49e6748fea9bULL, faults, sum, lastfault;
	uint32_t ids[N];
	size_t t, j, k, tau, T, rss;
	bool in[N];

	ATF_REQUIRE(rm != NULL);
	for (t = 0; t < N; t++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[t] = t < N / 2 ? ((x & 3) ? x % 10 : x % 60) :
				   100 + ((x & 3) ? x % 10 : x % 60);
		ids[t] = (uint32_t)refmap_id(rm, p[t]);
	}
	for (tau = 1; tau <= 200; tau = tau * 3 + 1) {
		ATF_REQUIRE((tv = textbook_var_new(TBV_WS, tau)) != NULL);
		faults = sum = 0;
		for (t = 0; t < N; t++) {
			bool seen = false;

			for (j = t > tau ? t - tau : 0; j < t && !seen; j++)
				seen = p[j] == p[t];
			faults += !seen;
			/* distinct pages of (t - tau, t] */
			for (rss = 0, j = t + 1 > tau ? t + 1 - tau : 0; j <= t;
			     j++) {
				for (k = j + 1; k <= t && p[k] != p[j]; k++)
					continue;
				rss += k > t;
			}
			sum += rss;
			ATF_REQUIRE(textbook_var_ref(tv, ids[t]) >= 0);
		}
		textbook_var_counts(tv, &c);
		ATF_CHECK_EQ_MSG(c.tv_faults, faults, "ws(%zu)", tau);
		ATF_CHECK_EQ_MSG(c.tv_rss_sum, sum, "ws(%zu) resident", tau);
		textbook_var_free(tv);
	}
	for (T = 1; T <= 100; T = T * 4 + 1) {
		ATF_REQUIRE((tv = textbook_var_new(TBV_PFF, T)) != NULL);
		memset(in, 0, sizeof(in));
		faults = sum = lastfault = rss = 0;
		for (t = 0; t < N; t++) {
			last[ids[t]] = t;
			if (!in[ids[t]]) {
				if (faults > 0 && t - lastfault > T)
					for (j = 0; j < N; j++)
						if (in[j] &&
						    last[j] < lastfault) {
							in[j] = false;
							rss--;
						}
				in[ids[t]] = true;
				rss++;
				faults++;
				lastfault = t;
			}
			sum += rss;
			ATF_REQUIRE(textbook_var_ref(tv, ids[t]) >= 0);
		}
		textbook_var_counts(tv, &c);
		ATF_CHECK_EQ_MSG(c.tv_faults, faults, "pff(%zu)", T);
		ATF_CHECK_EQ_MSG(c.tv_rss_sum, sum, "pff(%zu) resident", T);
		textbook_var_free(tv);
	}
	refmap_free(rm);
}

/*
 * The fixture (valgrind lackey on /bin/true): the first references'
 * pages, every policy against the brute-force counter at a quarter, a
 * half and three quarters of their footprint.
 */
ATF_TC_WITHOUT_HEAD(fixture_matches_brute_force);
ATF_TC_BODY(fixture_matches_brute_force, tc)
{
	enum { N = 20000 };
	struct tracefile *tf;
	struct refmap *rm = refmap_new();
	struct tf_ref r;
	uint64_t *p = malloc(N * sizeof(*p)), first, last, q;
	char why[512];
	size_t n = 0, frames;
	int pol, quarter;

	ATF_REQUIRE(rm != NULL && p != NULL);
	if (tracefile_open(&tf, TESTS_SRCDIR "/traces/true.lackey.xz", why,
		sizeof(why)) != 0)
		atf_tc_fail("%s", why);
	ATF_REQUIRE_EQ(tracefile_format(tf), TF_FMT_LACKEY);
	ATF_REQUIRE_EQ(tracefile_comp(tf), TF_COMP_XZ);
	while (n < N && tracefile_next(tf, &r) > 0) {
		ATF_REQUIRE(tf_pages(&r, 12, &first, &last));
		for (q = first; q <= last && n < N; q++) {
			p[n++] = q;
			ATF_REQUIRE(refmap_id(rm, q) >= 0);
		}
	}
	tracefile_close(tf);
	ATF_REQUIRE_EQ(n, N);
	for (quarter = 1; quarter <= 3; quarter++) {
		frames = refmap_count(rm) * (size_t)quarter / 4;
		for (pol = 0; pol < TB_NPOLICIES; pol++)
			if (pol != TB_RAND)
				ATF_CHECK_EQ_MSG(count(pol, frames, p, n),
				    brute(pol, frames, p, n), "%s, %zu frames",
				    tb_policy_name(pol), frames);
	}
	refmap_free(rm);
	free(p);
}

ATF_TC_WITHOUT_HEAD(oracle_from_a_trace);
ATF_TC_BODY(oracle_from_a_trace, tc)
{
	/* the lackey trace's pages (4 KiB): 0x4001 0x1ffefff 0x4001 0x4026
	 * 0x402a 0x4001 0x4002 */
	static const uint64_t want_page[] = { 0x4001, 0x1ffefff, 0x4001, 0x4026,
		0x402a, 0x4001, 0x4002 };
	static const uint64_t want_next[] = { 2, TB_NEVER, 5, TB_NEVER,
		TB_NEVER, TB_NEVER, TB_NEVER };
	static const bool want_write[] = { false, true, false, false, true,
		false, false };
	struct tracefile *tf;
	struct oracle *orc;
	char why[512];
	uint64_t next;
	uint32_t id;
	bool w;
	size_t i;
	int pass;

	write_gzip("l.gz", lackey_text, sizeof(lackey_text) - 1);
	ATF_REQUIRE_EQ(tracefile_open(&tf, "l.gz", why, sizeof(why)), 0);
	if (oracle_build(&orc, tf, 12, why, sizeof(why)) != 0)
		atf_tc_fail("%s", why);
	tracefile_close(tf);
	ATF_REQUIRE_EQ(oracle_length(orc), __arraycount(want_page));
	ATF_REQUIRE_EQ(oracle_pages(orc), 5);
	for (pass = 0; pass < 2; pass++) {
		for (i = 0;
		     oracle_next(orc, &id, &w, &next, why, sizeof(why)) > 0;
		     i++) {
			ATF_REQUIRE(i < __arraycount(want_page));
			ATF_CHECK_EQ(refmap_page(oracle_refmap(orc), id),
			    want_page[i]);
			ATF_CHECK_EQ_MSG(next, want_next[i], "reference %zu",
			    i);
			ATF_CHECK_EQ_MSG(w, want_write[i], "reference %zu", i);
		}
		ATF_CHECK_EQ(i, __arraycount(want_page));
		ATF_REQUIRE_EQ(oracle_rewind(orc, why, sizeof(why)), 0);
	}
	oracle_free(orc);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, lackey_read_plain_and_compressed);
	ATF_TP_ADD_TC(tp, refstring_read);
	ATF_TP_ADD_TC(tp, pages_of_a_reference);
	ATF_TP_ADD_TC(tp, trace_as_pages);
	ATF_TP_ADD_TC(tp, binary_round_trip_every_compression);
	ATF_TP_ADD_TC(tp, binary_numbers_of_every_length);
	ATF_TP_ADD_TC(tp, writer_abandoned_leaves_nothing);
	ATF_TP_ADD_TC(tp, bad_traces_say_where);
	ATF_TP_ADD_TC(tp, standard_input_streams);
	ATF_TP_ADD_TC(tp, classic_strings);
	ATF_TP_ADD_TC(tp, policies_match_brute_force);
	ATF_TP_ADD_TC(tp, clock_bits_and_rand);
	ATF_TP_ADD_TC(tp, ws_and_pff_match_brute_force);
	ATF_TP_ADD_TC(tp, fixture_matches_brute_force);
	ATF_TP_ADD_TC(tp, oracle_from_a_trace);
	return atf_no_error();
}
