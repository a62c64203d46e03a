/*
 * scen_parse.c: reading a scenario (uvmsim(5)).
 *
 * The text is read a line at a time.  A line is split into words and
 * quoted strings; a word ends at white space or at one of { } " #.
 * Each statement is one line; a line ending in { opens a block that a
 * line holding only } closes.  Everything is checked here, before the
 * machine is booted -- the settings and their combination, every
 * number and name, that each variable is set before it is used on every
 * path, that every process named exists -- so a scenario with an error
 * runs not at all.  The first error is reported as FILE:LINE:COL.
 */

#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scen_stmt.h"
#include "sys/file.h"
#include "sim/scenario.h"
#include "sim/suggest.h"

#define TOK_MAX	     64	  /* words on a line */
#define LINE_MAX_LEN 4096 /* characters on a line */
#define DEPTH_MAX    32	  /* nested blocks */

struct tok {
	char *t_s;     /* the word, or the string's bytes */
	size_t t_len;  /* its length */
	int t_col;     /* where it starts (1-based) */
	bool t_string; /* a quoted string */
};

/* a reference to a process name, checked at the end */
struct pref {
	int pr_proc;
	int pr_line, pr_col;
};

struct pstate {
	struct scenario *sc;
	const struct scen_overrides *ov;
	FILE *err;
	jmp_buf fail;
	const char *text;
	size_t pos;
	int line;
	char buf[LINE_MAX_LEN + 1];	 /* the line */
	char sbuf[2 * LINE_MAX_LEN + 2]; /* its words and strings, each
					     NUL-terminated */
	struct tok toks[TOK_MAX];
	int ntok;
	bool settings_done;
	bool set_seen[16]; /* which settings were given (disk seek and
			      transfer after the others) */
	int set_line[16];
	bool *defined; /* variables set on this path */
	int ndefined;
	bool *declared; /* process names declared */
	int ndeclared;
	struct pref *refs; /* process names referred to */
	int nrefs, caprefs;
	int depth;
	bool *saved[DEPTH_MAX + 1]; /* the scopes a block hides */
	int first_cmd_line;	    /* the first line that is not a setting */
	int fail_line[FP_NPOINTS];  /* where disk errors set each point */
	struct settings set;	    /* the file's settings (file_settings) */
};

/*
 * perr: report an error at column col of the current line and give up
 * (line 0: the error is in the command line's settings).
 */
static __dead void
    __printflike(3, 4) perr(struct pstate *ps, int col, const char *fmt, ...)
{
	va_list ap;

	if (ps->line == 0)
		fprintf(ps->err,
		    "%s: with the command line's settings: ", ps->sc->sc_file);
	else
		fprintf(ps->err, "%s:%d:%d: ", ps->sc->sc_file, ps->line, col);
	va_start(ap, fmt);
	vfprintf(ps->err, fmt, ap);
	va_end(ap);
	fputc('\n', ps->err);
	longjmp(ps->fail, 1);
}

static void *
pzalloc(struct pstate *ps, size_t n)
{
	void *p = calloc(1, n);

	if (p == NULL)
		perr(ps, 1, "out of memory");
	return p;
}

static void *
pgrow(struct pstate *ps, void *v, int n, int *cap, size_t size)
{
	void *nv;
	int ncap;

	if (n < *cap)
		return v;
	ncap = *cap == 0 ? 8 : *cap * 2;
	nv = realloc(v, (size_t)ncap * size);
	if (nv == NULL)
		perr(ps, 1, "out of memory");
	memset((char *)nv + (size_t)*cap * size, 0,
	    (size_t)(ncap - *cap) * size);
	*cap = ncap;
	return nv;
}

/*
 * lexing
 */

static bool
wordchar(int c)
{
	return c != '\0' && !isspace((unsigned char)c) && c != '{' &&
	    c != '}' && c != '"' && c != '#';
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* next_line: the next line of the text into ps->toks; false at the end */
static bool
next_line(struct pstate *ps)
{
	const char *t = ps->text + ps->pos;
	size_t n = strcspn(t, "\n"), i, si = 0;
	char *b = ps->buf;

	if (*t == '\0')
		return false;
	ps->line++;
	ps->pos += n + (t[n] == '\n');
	if (n > LINE_MAX_LEN)
		perr(ps, LINE_MAX_LEN + 1, "line longer than %d characters",
		    LINE_MAX_LEN);
	memcpy(b, t, n);
	b[n] = '\0';
	ps->ntok = 0;
	for (i = 0; i < n;) {
		struct tok *tk;
		int c = (unsigned char)b[i];

		if (c == '\r' && i + 1 == n)
			break;
		if (isspace(c)) {
			i++;
			continue;
		}
		if (c == '#')
			break;
		if (c == '\0' || (c < 0x20 && c != '\t'))
			perr(ps, (int)i + 1, "control character 0x%02x", c);
		if (ps->ntok == TOK_MAX)
			perr(ps, (int)i + 1, "more than %d words on a line",
			    TOK_MAX);
		tk = &ps->toks[ps->ntok++];
		tk->t_col = (int)i + 1;
		tk->t_string = false;
		if (c == '{' || c == '}') {
			tk->t_s = (c == '{') ? "{" : "}";
			tk->t_len = 1;
			i++;
			continue;
		}
		if (c == '"') {
			tk->t_string = true;
			tk->t_s = &ps->sbuf[si];
			for (i++;; i++) {
				if (i >= n)
					perr(ps, tk->t_col,
					    "string not closed on its line");
				c = (unsigned char)b[i];
				if (c == '"')
					break;
				if (c == '\\') {
					int h1, h2;

					if (++i >= n)
						perr(ps, (int)i,
						    "string not closed on its "
						    "line");
					switch (b[i]) {
					case 'n':
						c = '\n';
						break;
					case 't':
						c = '\t';
						break;
					case '0':
						c = '\0';
						break;
					case '\\':
					case '"':
						c = b[i];
						break;
					case 'x':
						h1 = i + 1 < n ?
						    hexval(b[i + 1]) :
						    -1;
						h2 = i + 2 < n ?
						    hexval(b[i + 2]) :
						    -1;
						if (h1 < 0 || h2 < 0)
							perr(ps, (int)i,
							    "\\x needs two hex "
							    "digits");
						c = h1 * 16 + h2;
						i += 2;
						break;
					default:
						perr(ps, (int)i,
						    "unknown escape '\\%c' "
						    "(known: \\n \\t \\0 \\\\ "
						    "\\\" \\xHH)",
						    b[i]);
					}
				}
				ps->sbuf[si++] = (char)c;
			}
			tk->t_len = (size_t)(&ps->sbuf[si] - tk->t_s);
			ps->sbuf[si++] = '\0';
			i++;
			if (i < n && wordchar(b[i]))
				perr(ps, (int)i + 1,
				    "a string must be followed by a space");
			continue;
		}
		tk->t_s = &ps->sbuf[si];
		while (i < n && wordchar(b[i]))
			ps->sbuf[si++] = b[i++];
		tk->t_len = (size_t)(&ps->sbuf[si] - tk->t_s);
		ps->sbuf[si++] = '\0';
		if (i < n && b[i] == '"')
			perr(ps, (int)i + 1, "a string must follow a space");
	}
	return true;
}

/*
 * vis: s as an error message shows it: bytes that are not printable
 * ASCII as \xHH (two buffers, used in turn, so two may be shown at once)
 */
static const char *
vis(const char *s)
{
	static char bufs[2][256];
	static int which;
	char *b = bufs[which ^= 1];
	size_t n = 0;

	for (; *s != '\0' && n + 5 < sizeof(bufs[0]); s++) {
		unsigned char c = (unsigned char)*s;

		if (c > 0x20 && c < 0x7f)
			b[n++] = (char)c;
		else
			n += (size_t)snprintf(b + n, sizeof(bufs[0]) - n,
			    "\\x%02x", c);
	}
	b[n] = '\0';
	return b;
}

static bool
is(const struct tok *t, const char *w)
{
	return !t->t_string && strcmp(t->t_s, w) == 0;
}

/* the argument cursor of a statement */
struct args {
	struct pstate *ps;
	int i, n;		  /* next word, words left to the statement */
	bool program;		  /* in a program, not at the top level */
	struct scen_block *block; /* the block the statement goes in */
};

/* peek: the next word of the statement, or NULL at its end */
static struct tok *
peek(struct args *a)
{
	return a->i < a->n ? &a->ps->toks[a->i] : NULL;
}

/* endcol: the column just past the statement, for what is missing */
static int
endcol(struct args *a)
{
	struct tok *t;

	if (a->n == 0)
		return 1;
	t = &a->ps->toks[a->n - 1];
	return t->t_col + (int)t->t_len + (t->t_string ? 2 : 0);
}

/* need: the next word, taken; its absence is an error naming `what' */
static struct tok *
need(struct args *a, const char *what)
{
	struct tok *t = peek(a);

	if (t == NULL)
		perr(a->ps, endcol(a), "expected %s", what);
	a->i++;
	return t;
}

/* need_word: need, and not a string */
static struct tok *
need_word(struct args *a, const char *what)
{
	struct tok *t = need(a, what);

	if (t->t_string)
		perr(a->ps, t->t_col, "expected %s, not a string", what);
	return t;
}

/* done: every word of the statement has been used, or an error */
static void
done(struct args *a)
{
	struct tok *t = peek(a);

	if (t != NULL)
		perr(a->ps, t->t_col, "unexpected '%s'",
		    t->t_string ? "\"...\"" : t->t_s);
}

/*
 * numbers
 */

/* a whole number, decimal or 0x hex, with what follows it in *endp */
static bool
parse_u64(const char *s, uint64_t *v, const char **endp)
{
	unsigned long long x;
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno == ERANGE)
		return false;
	*v = x;
	*endp = end;
	return true;
}

static uint64_t
pagesize_now(struct pstate *ps)
{
	return ps->sc->sc_mc.mc_pagesize;
}

/*
 * scen_size_suffix: the multiplier a size suffix stands for -- k, m or g
 * (either case), powers of 1024 -- or 0 if c is none of them.
 */
uint64_t
scen_size_suffix(int c)
{
	switch (c) {
	case 'k':
	case 'K':
		return 1ULL << 10;
	case 'm':
	case 'M':
		return 1ULL << 20;
	case 'g':
	case 'G':
		return 1ULL << 30;
	}
	return 0;
}

/*
 * tok_size: a size: a number with an optional k, m, g (powers of 1024)
 * or p (pages) suffix.  With pages_ok false (a setting read before the
 * page size is known), p is refused.
 */
static uint64_t
tok_size(struct pstate *ps, const struct tok *t, bool pages_ok)
{
	const char *end;
	uint64_t v, mul = 1;

	if (t->t_string || !parse_u64(t->t_s, &v, &end))
		perr(ps, t->t_col,
		    !t->t_string && isdigit((unsigned char)t->t_s[0]) ?
			"size '%s' is too large" :
			"expected a size (a number with an optional k, m, g or "
			"p suffix), not '%s'",
		    t->t_string ? "\"...\"" : vis(t->t_s));
	if ((mul = scen_size_suffix(*end)) != 0)
		end++;
	else if (*end == 'p' || *end == 'P') {
		if (!pages_ok)
			perr(ps, t->t_col,
			    "a size in pages cannot be used here");
		mul = pagesize_now(ps);
		end++;
	} else
		mul = 1;
	if (*end != '\0')
		perr(ps, t->t_col, "bad size '%s': unknown suffix '%s'",
		    vis(t->t_s), end);
	if (v != 0 && mul > UINT64_MAX / v)
		perr(ps, t->t_col, "size '%s' is too large", vis(t->t_s));
	return v * mul;
}

static uint64_t
tok_count(struct pstate *ps, const struct tok *t, uint64_t max,
    const char *what)
{
	const char *end;
	uint64_t v;

	if (t->t_string || !parse_u64(t->t_s, &v, &end) || *end != '\0')
		perr(ps, t->t_col, "expected %s (a whole number), not '%s'",
		    what, t->t_string ? "\"...\"" : vis(t->t_s));
	if (v > max)
		perr(ps, t->t_col, "%s %s is too large (at most %llu)", what,
		    vis(t->t_s), (unsigned long long)max);
	return v;
}

/* a time: a number with us, ms or s */
static uint64_t
tok_time(struct pstate *ps, const struct tok *t)
{
	const char *end;
	uint64_t v, mul;

	if (t->t_string || !parse_u64(t->t_s, &v, &end))
		perr(ps, t->t_col,
		    "expected a time (a number with us, ms or s), not '%s'",
		    t->t_string ? "\"...\"" : vis(t->t_s));
	if (strcmp(end, "us") == 0)
		mul = 1;
	else if (strcmp(end, "ms") == 0)
		mul = 1000;
	else if (strcmp(end, "s") == 0)
		mul = 1000000;
	else
		perr(ps, t->t_col, "bad time '%s': give a unit (us, ms or s)",
		    vis(t->t_s));
	if (v > (UINT64_MAX / 4) / mul)
		perr(ps, t->t_col, "time '%s' is too large", vis(t->t_s));
	return v * mul;
}

static int64_t
tok_int(struct pstate *ps, const struct tok *t, int64_t min, int64_t max,
    const char *what)
{
	const char *s = t->t_s, *end;
	bool neg = false;
	uint64_t v;

	if (!t->t_string && (*s == '-' || *s == '+')) {
		neg = *s == '-';
		s++;
	}
	if (t->t_string || !parse_u64(s, &v, &end) || *end != '\0' ||
	    v > (uint64_t)INT64_MAX)
		perr(ps, t->t_col, "expected %s (a number), not '%s'", what,
		    t->t_string ? "\"...\"" : vis(t->t_s));
	if ((neg ? -(int64_t)v : (int64_t)v) < min ||
	    (neg ? -(int64_t)v : (int64_t)v) > max)
		perr(ps, t->t_col, "%s %s is out of range (%lld to %lld)", what,
		    vis(t->t_s), (long long)min, (long long)max);
	return neg ? -(int64_t)v : (int64_t)v;
}

/*
 * tok_raw: a raw value of flag or protection bits, to try what the
 * names do not allow: any 32-bit number, its bits as they are.
 */
static int
tok_raw(struct pstate *ps, const struct tok *t, const char *what)
{
	return (int)(uint32_t)tok_count(ps, t, UINT32_MAX, what);
}

/*
 * names
 */

static bool
valid_name(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return false;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

static const char *const reserved_vars[] = { "stack", "data", "break" };

static int
name_index(struct pstate *ps, char ***names, int *n, const char *s)
{
	char **nv;
	int i;

	for (i = 0; i < *n; i++)
		if (strcmp((*names)[i], s) == 0)
			return i;
	nv = realloc(*names, (size_t)(*n + 1) * sizeof(*nv));
	if (nv == NULL)
		perr(ps, 1, "out of memory");
	*names = nv;
	if ((nv[*n] = strdup(s)) == NULL)
		perr(ps, 1, "out of memory");
	return (*n)++;
}

/* a variable's slot, making one (for mmap) */
static int
var_slot(struct pstate *ps, const struct tok *t)
{
	size_t i;
	int v;
	bool *nd;

	if (t->t_string || !valid_name(t->t_s) || strlen(t->t_s) > 32)
		perr(ps, t->t_col,
		    "'%s' is not a variable name (a letter, then letters, "
		    "digits, _ or -; at most 32)",
		    t->t_string ? "\"...\"" : t->t_s);
	for (i = 0; i < __arraycount(reserved_vars); i++)
		if (strcmp(t->t_s, reserved_vars[i]) == 0)
			perr(ps, t->t_col, "'%s' is a built-in address",
			    vis(t->t_s));
	v = name_index(ps, &ps->sc->sc_vars, &ps->sc->sc_nvars, t->t_s);
	if (v >= ps->ndefined) {
		nd = realloc(ps->defined, (size_t)(v + 1) * sizeof(*nd));
		if (nd == NULL)
			perr(ps, t->t_col, "out of memory");
		memset(nd + ps->ndefined, 0,
		    (size_t)(v + 1 - ps->ndefined) * sizeof(*nd));
		ps->defined = nd;
		ps->ndefined = v + 1;
	}
	return v;
}

/* a process name: declared by process / fork, or referred to */
static int
proc_name(struct pstate *ps, const struct tok *t, bool declare)
{
	struct scenario *sc = ps->sc;
	bool *nd;
	int i;

	if (t->t_string || !valid_name(t->t_s) || strlen(t->t_s) > 16)
		perr(ps, t->t_col,
		    "'%s' is not a process name (a letter, then letters, "
		    "digits, _ or -; at most 16)",
		    t->t_string ? "\"...\"" : t->t_s);
	if (strcmp(t->t_s, "self") == 0 && declare)
		perr(ps, t->t_col, "'self' names the process itself");
	i = name_index(ps, &sc->sc_procs, &sc->sc_nprocs, t->t_s);
	if (sc->sc_nprocs > ps->ndeclared) {
		nd = realloc(ps->declared, (size_t)sc->sc_nprocs * sizeof(*nd));
		if (nd == NULL)
			perr(ps, t->t_col, "out of memory");
		memset(nd + ps->ndeclared, 0,
		    (size_t)(sc->sc_nprocs - ps->ndeclared) * sizeof(*nd));
		ps->declared = nd;
		ps->ndeclared = sc->sc_nprocs;
	}
	if (declare)
		ps->declared[i] = true;
	else {
		ps->refs = pgrow(ps, ps->refs, ps->nrefs, &ps->caprefs,
		    sizeof(*ps->refs));
		ps->refs[ps->nrefs].pr_proc = i;
		ps->refs[ps->nrefs].pr_line = ps->line;
		ps->refs[ps->nrefs].pr_col = t->t_col;
		ps->nrefs++;
	}
	return i;
}

/* an address: NAME, NAME+SIZE, NAME-SIZE, or a number */
static struct scen_addr
parse_addr(struct args *a)
{
	struct pstate *ps = a->ps;
	struct tok *t = need_word(a, "an address");
	struct scen_addr ad = { SV_NONE, 0 };
	char *s = t->t_s, *op;
	struct tok sub;
	uint64_t v;
	char sign = 0;

	op = s + strcspn(s + 1, "+-") + 1;
	if (*s == '+' || *s == '-')
		perr(ps, t->t_col, "an address cannot start with '%c'", *s);
	if (*op != '\0') {
		sign = *op;
		*op = '\0';
	}
	if (isdigit((unsigned char)*s)) {
		sub = *t;
		ad.sa_off = (int64_t)tok_size(ps, &sub, true);
	} else if (strcmp(s, "stack") == 0)
		ad.sa_var = SV_STACK;
	else if (strcmp(s, "data") == 0)
		ad.sa_var = SV_DATA;
	else if (strcmp(s, "break") == 0)
		ad.sa_var = SV_BREAK;
	else {
		ad.sa_var = var_slot(ps, t);
		if (!ps->defined[ad.sa_var])
			perr(ps, t->t_col,
			    "variable '%s' is not set here (mmap sets it)", s);
	}
	if (sign == 0) {
		/* "a + 4k" with spaces */
		struct tok *n = peek(a);

		if (n != NULL && (is(n, "+") || is(n, "-"))) {
			sign = n->t_s[0];
			a->i++;
			t = need_word(a, "an offset");
			v = tok_size(ps, t, true);
		} else
			return ad;
	} else {
		sub = *t;
		sub.t_s = op + 1;
		sub.t_col = t->t_col + (int)(op + 1 - t->t_s);
		if (*sub.t_s == '\0')
			perr(ps, sub.t_col, "expected an offset after '%c'",
			    sign);
		v = tok_size(ps, &sub, true);
	}
	if (v > (uint64_t)INT64_MAX)
		perr(ps, t->t_col, "offset too large");
	ad.sa_off += sign == '-' ? -(int64_t)v : (int64_t)v;
	return ad;
}

/*
 * keyword tables
 */

struct kw {
	const char *k_name;
	int k_val;
};

static int
keyword(struct pstate *ps, const struct tok *t, const struct kw *kw,
    const char *what)
{
	char list[256];
	size_t len = 0;
	int i;

	for (i = 0; kw[i].k_name != NULL; i++)
		if (is(t, kw[i].k_name))
			return kw[i].k_val;
	list[0] = '\0';
	for (i = 0; kw[i].k_name != NULL && len + 32 < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
		    i ? ", " : "", kw[i].k_name);
	perr(ps, t->t_col, "unknown %s '%s' (known: %s)", what,
	    t->t_string ? "\"...\"" : vis(t->t_s), list);
}

static const struct kw kw_inherit[] = {
	{ "share", MAP_INHERIT_SHARE },
	{ "copy", MAP_INHERIT_COPY },
	{ "none", MAP_INHERIT_NONE },
	{ "zero", MAP_INHERIT_ZERO },
	{ NULL, 0 },
};

static const struct kw kw_advice[] = {
	{ "normal", MADVISE_NORMAL },
	{ "random", MADVISE_RANDOM },
	{ "sequential", MADVISE_SEQUENTIAL },
	{ "willneed", MADVISE_WILLNEED },
	{ "dontneed", MADVISE_DONTNEED },
	{ "free", MADVISE_FREE },
	{ NULL, 0 },
};

static const struct kw kw_mlockall[] = {
	{ "current", MLOCKALL_CURRENT },
	{ "future", MLOCKALL_FUTURE },
	{ NULL, 0 },
};

static const struct kw kw_msync[] = {
	{ "sync", MS_SYNC },
	{ "async", MS_ASYNC },
	{ "invalidate", MS_INVALIDATE },
	{ NULL, 0 },
};

static const struct kw kw_rw[] = {
	{ "read", B_READ },
	{ "write", B_WRITE },
	{ NULL, 0 },
};

static const struct kw kw_rlimit[] = {
	{ "data", RLIMIT_DATA },
	{ "stack", RLIMIT_STACK },
	{ "memlock", RLIMIT_MEMLOCK },
	{ "rss", RLIMIT_RSS },
	{ NULL, 0 },
};

static const struct kw scen_signals[] = {
	{ "HUP", SIGHUP },
	{ "INT", SIGINT },
	{ "QUIT", SIGQUIT },
	{ "ILL", SIGILL },
	{ "TRAP", SIGTRAP },
	{ "ABRT", SIGABRT },
	{ "BUS", SIGBUS },
	{ "FPE", SIGFPE },
	{ "KILL", SIGKILL },
	{ "USR1", SIGUSR1 },
	{ "SEGV", SIGSEGV },
	{ "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE },
	{ "ALRM", SIGALRM },
	{ "TERM", SIGTERM },
	{ "CHLD", SIGCHLD },
	{ "CONT", SIGCONT },
	{ "STOP", SIGSTOP },
	{ NULL, 0 },
};

static const struct kw scen_errnos[] = {
	{ "ok", 0 },
	{ "EPERM", EPERM },
	{ "ENOENT", ENOENT },
	{ "ESRCH", ESRCH },
	{ "EINTR", EINTR },
	{ "EIO", EIO },
	{ "EBADF", EBADF },
	{ "ECHILD", ECHILD },
	{ "EAGAIN", EAGAIN },
	{ "ENOMEM", ENOMEM },
	{ "EACCES", EACCES },
	{ "EFAULT", EFAULT },
	{ "EBUSY", EBUSY },
	{ "EEXIST", EEXIST },
	{ "EINVAL", EINVAL },
	{ "EFBIG", EFBIG },
	{ "ENOSPC", ENOSPC },
	{ "ERANGE", ERANGE },
	{ "ELOOP", ELOOP },
	{ "EOPNOTSUPP", EOPNOTSUPP },
	{ NULL, 0 },
};

static const struct kw kw_cmp[] = {
	{ "==", SC_EQ },
	{ "!=", SC_NE },
	{ "<", SC_LT },
	{ "<=", SC_LE },
	{ ">", SC_GT },
	{ ">=", SC_GE },
	{ NULL, 0 },
};

/* the states expect proc NAME STATE knows; scen_run.c interprets them */
static const struct kw scen_states[] = {
	{ "running", SP_RUNNING },
	{ "runnable", SP_RUNNABLE },
	{ "sleeping", SP_SLEEPING },
	{ "stopped", SP_STOPPED },
	{ "zombie", SP_ZOMBIE },
	{ "exited", SP_EXITED },
	{ "swapped", SP_SWAPPED },
	{ "resident", SP_RESIDENT },
	{ NULL, 0 },
};

static const char *
kw_name(const struct kw *kw, int val)
{
	for (; kw->k_name != NULL; kw++)
		if (kw->k_val == val)
			return kw->k_name;
	return NULL;
}

/* scen_errname: the name of an errno value, as a scenario spells it */
const char *
scen_errname(int error)
{
	const char *s = kw_name(scen_errnos, error);

	return s != NULL ? s : "an unknown error";
}

/* scen_signame: a signal's name without SIG */
const char *
scen_signame(int sig)
{
	const char *s = kw_name(scen_signals, sig);

	return s != NULL ? s : "?";
}

/* scen_statename: the name of a process state of expect proc */
const char *
scen_statename(int state)
{
	const char *s = kw_name(scen_states, state);

	return s != NULL ? s : "?";
}

/* a protection: letters of rwx, or none, or a number (for EINVAL) */
static int
parse_prot(struct pstate *ps, const struct tok *t)
{
	const char *s;
	int prot = 0;

	if (t->t_string)
		perr(ps, t->t_col, "expected a protection (r, w, x, none)");
	if (isdigit((unsigned char)t->t_s[0]))
		return tok_raw(ps, t, "protection");
	if (is(t, "none"))
		return VM_PROT_NONE;
	for (s = t->t_s; *s != '\0'; s++) {
		int bit = *s == 'r' ? VM_PROT_READ :
		    *s == 'w'	    ? VM_PROT_WRITE :
		    *s == 'x'	    ? VM_PROT_EXECUTE :
				      0;

		if (bit == 0 || (prot & bit))
			perr(ps, t->t_col,
			    "bad protection '%s' (letters of rwx, or none)",
			    vis(t->t_s));
		prot |= bit;
	}
	return prot;
}

/* a keyword or, to exercise the error paths, a raw number */
static int
keyword_or_number(struct pstate *ps, const struct tok *t, const struct kw *kw,
    const char *what)
{
	if (!t->t_string && isdigit((unsigned char)t->t_s[0]))
		return tok_raw(ps, t, what);
	return keyword(ps, t, kw, what);
}

/*
 * parse_flag_words: the rest of the statement as flags OR'd together,
 * each a word of kw or, to exercise the error paths, a raw number.
 */
static int
parse_flag_words(struct args *a, const struct kw *kw, const char *what)
{
	struct tok *t;
	int flags = 0;

	for (; (t = peek(a)) != NULL; a->i++)
		flags |= keyword_or_number(a->ps, t, kw, what);
	return flags;
}

/*
 * pstrdup: a copy of t's bytes, NUL-terminated, and their number in
 * *lenp (lenp may be NULL).
 *
 * => the copy belongs to the scenario: scen_free frees it with the rest,
 *    so no statement frees what it holds.
 */
static char *
pstrdup(struct pstate *ps, const struct tok *t, size_t *lenp)
{
	struct scenario *sc = ps->sc;
	char *s;

	sc->sc_strs = pgrow(ps, sc->sc_strs, sc->sc_nstrs, &sc->sc_capstrs,
	    sizeof(*sc->sc_strs));
	s = pzalloc(ps, t->t_len + 1);
	sc->sc_strs[sc->sc_nstrs++] = s;
	memcpy(s, t->t_s, t->t_len);
	if (lenp != NULL)
		*lenp = t->t_len;
	return s;
}

/* a sandbox file name: a plain name, no directories */
static char *
file_name(struct pstate *ps, const struct tok *t)
{
	if (t->t_len == 0 || t->t_len > 60 || strchr(t->t_s, '/') != NULL ||
	    strcmp(t->t_s, ".") == 0 || strcmp(t->t_s, "..") == 0 ||
	    memchr(t->t_s, '\0', t->t_len) != NULL)
		perr(ps, t->t_col,
		    "bad file name '%s' (a plain name of at most 60 "
		    "characters: files live in the sandbox directory)",
		    vis(t->t_s));
	return pstrdup(ps, t, NULL);
}

/* data: byte B | pattern SEED | text STR (text only where allowed) */
static void
parse_data(struct args *a, struct scen_data *d, bool text_ok)
{
	struct pstate *ps = a->ps;
	struct tok *t =
	    need_word(a, text_ok ? "byte, pattern or text" : "byte or pattern");

	if (is(t, "byte")) {
		d->sd_kind = SD_BYTE;
		d->sd_value =
		    tok_count(ps, need(a, "a byte value"), 255, "byte value");
	} else if (is(t, "pattern")) {
		d->sd_kind = SD_PATTERN;
		d->sd_value = tok_count(ps, need(a, "a pattern seed"),
		    UINT32_MAX, "pattern seed");
	} else if (text_ok && is(t, "text")) {
		t = need(a, "a string");
		if (!t->t_string)
			perr(ps, t->t_col, "expected a string");
		d->sd_kind = SD_TEXT;
		d->sd_text = pstrdup(ps, t, &d->sd_textlen);
	} else
		perr(ps, t->t_col, "expected byte%s or pattern, not '%s'",
		    text_ok ? ", text" : "", vis(t->t_s));
}

/*
 * settings
 */

/* "disk" is a setting of the file's: disk seek|transfer TIME, disk errors */
#define SETTING_DISK SETTING_N
_Static_assert(SETTING_N < 16, "pstate's set_seen is too small");

/* the setting word t names (settings.h, or SETTING_DISK), or -1 */
static int
setting_of(const struct tok *t)
{
	const struct setting *st;

	if (t->t_string)
		return -1;
	if (strcmp(t->t_s, "disk") == 0)
		return SETTING_DISK;
	st = settings_lookup(t->t_s);
	return st != NULL ? (int)st->st_id : -1;
}

/* the I/O failpoints, as disk errors names them */
static const struct kw kw_diskerr[] = {
	{ "swap-read", FP_SWAPREAD },
	{ "swap-write", FP_SWAPWRITE },
	{ "file-read", FP_FILEREAD },
	{ "file-write", FP_FILEWRITE },
	{ "swap-create", FP_SWAPCREATE },
	{ NULL, 0 },
};

/*
 * parse_disk_errors: disk errors POINT [after N] [count N | forever]
 * [error ERRNO] -- from the N+1-th transfer on (the first, without
 * after), the point's transfers fail, `count' of them (every one,
 * without count), with EIO (or the error named).  Each point once.
 */
static void
parse_disk_errors(struct args *a)
{
	struct pstate *ps = a->ps;
	struct failpoint_setting *fs;
	struct tok *t, *p;
	int id;

	p = need_word(a, "a disk error point");
	id = keyword(ps, p, kw_diskerr, "disk error point");
	fs = &ps->sc->sc_mc.mc_fail[id];
	if (fs->fs_set)
		perr(ps, p->t_col, "disk errors %s is already set, at line %d",
		    p->t_s, ps->fail_line[id]);
	ps->fail_line[id] = ps->line;
	*fs = (struct failpoint_setting){ true, 0, FAILPOINT_FOREVER, 0 };
	while ((t = peek(a)) != NULL) {
		a->i++;
		if (is(t, "after"))
			fs->fs_skip = tok_count(ps, need(a, "a number"),
			    UINT32_MAX, "after");
		else if (is(t, "count")) {
			t = need(a, "a number or forever");
			if (is(t, "forever"))
				continue;
			fs->fs_fail = tok_count(ps, t, UINT32_MAX, "count");
			if (fs->fs_fail == 0)
				perr(ps, t->t_col, "count must be at least 1");
		} else if (is(t, "error")) {
			t = need_word(a, "an errno name");
			fs->fs_error = keyword(ps, t, scen_errnos, "error");
			if (fs->fs_error == 0)
				perr(ps, t->t_col,
				    "expected an errno name, "
				    "not ok");
		} else
			perr(ps, t->t_col,
			    "expected after, count or error, not '%s'",
			    t->t_string ? "\"...\"" : vis(t->t_s));
	}
}

/* the file's settings, set to the defaults the first time */
static struct settings *
file_settings(struct pstate *ps)
{
	if (ps->set.se_mc.mc_pagesize == 0)
		settings_init(&ps->set);
	return &ps->set;
}

/*
 * parse_setting: NAME VALUE, a machine setting of the table (settings.h),
 * or disk seek|transfer TIME, or disk errors ...; each once, before
 * every command.
 */
static void
parse_setting(struct pstate *ps, int which)
{
	static const char *const what[] = { [ST_SIZE] = "a size",
		[ST_COUNT] = "a number",
		[ST_TIME] = "a time",
		[ST_NAME] = "a name" };
	struct args a = { .ps = ps, .i = 1, .n = ps->ntok };
	struct tok *t0 = &ps->toks[0], *t, *sub = NULL;
	const struct setting *st;
	char why[160];

	if (ps->settings_done)
		perr(ps, t0->t_col,
		    "machine settings come first, at the top of the file");
	if (which == SETTING_DISK) {
		sub = need_word(&a, "seek, transfer or errors");
		if (is(sub, "errors")) {
			parse_disk_errors(&a);
			done(&a);
			return;
		}
		if (!is(sub, "seek") && !is(sub, "transfer"))
			perr(ps, sub->t_col,
			    "expected seek, transfer or errors, not '%s'",
			    vis(sub->t_s));
		which = is(sub, "seek") ? SETTING_DISKSEEK : SETTING_DISKXFER;
	}
	st = &settings_table[which];
	if (ps->set_seen[which])
		perr(ps, t0->t_col, "%s%s%s is already set, at line %d",
		    vis(t0->t_s), sub != NULL ? " " : "",
		    sub != NULL ? sub->t_s : "", ps->set_line[which]);
	t = need_word(&a, what[st->st_type]);
	if (settings_set(file_settings(ps), st->st_name, t->t_s, why,
		sizeof(why)) != 0)
		perr(ps, t->t_col, "%s%s%s %s: %s", vis(t0->t_s),
		    sub != NULL ? " " : "", sub != NULL ? sub->t_s : "",
		    vis(t->t_s), why);
	ps->set_seen[which] = true;
	ps->set_line[which] = ps->line;
	done(&a);
}

/* perr_cli: an error in the command line's settings, not the file's */
static __dead void
    __printflike(2, 3) perr_cli(struct pstate *ps, const char *fmt, ...)
{
	va_list ap;

	fprintf(ps->err, "uvmsim: ");
	va_start(ap, fmt);
	vfprintf(ps->err, fmt, ap);
	va_end(ap);
	fputc('\n', ps->err);
	longjmp(ps->fail, 1);
}

/*
 * machine_pages: memory and swap of the settings s in pages of its page
 * size; blame an error on the file, or (cli) on the command line.
 */
static void
machine_pages(struct pstate *ps, struct settings *s, bool cli)
{
	const struct scen_overrides *ov = ps->ov;
	enum setting_id bad;
	const char *name;
	uint64_t bytes;

	if (settings_pages(s, &bad) == 0)
		return;
	name = settings_table[bad].st_name;
	bytes = bad == SETTING_MEMORY ? s->se_memory : s->se_swap;
	if (cli && (ov->so_set.se_given & SETTING_BIT(bad)))
		perr_cli(ps,
		    "--%s %llu is not a whole number of %zu-byte pages", name,
		    (unsigned long long)bytes, s->se_mc.mc_pagesize);
	if (cli)
		perr_cli(ps,
		    "--pagesize %zu: the scenario's %s %llu (line %d) is not "
		    "a whole number of pages",
		    s->se_mc.mc_pagesize, name, (unsigned long long)bytes,
		    ps->set_line[bad]);
	ps->line = ps->set_line[bad];
	perr(ps, 1, "%s %llu is not a whole number of %zu-byte pages", name,
	    (unsigned long long)bytes, s->se_mc.mc_pagesize);
}

/*
 * settings_finish: the settings are complete (a command came, or the
 * end).  The file's settings are checked first, errors located in the
 * file; then the command line's are laid over them (settings_override:
 * a u-area the file gave in pages follows a page size the command line
 * gives) and the machine checked again, errors blamed on the command
 * line.
 */
static void
settings_finish(struct pstate *ps)
{
	struct scenario *sc = ps->sc;
	struct settings *fs = file_settings(ps), all;
	const struct scen_overrides *ov = ps->ov;
	const char *why;
	int line = ps->line, i;
	bool any;

	if (ps->settings_done)
		return;
	ps->settings_done = true;
	ps->first_cmd_line = ps->line;

	/* disk errors are armed in the scenario's own configuration */
	memcpy(fs->se_mc.mc_fail, sc->sc_mc.mc_fail, sizeof(fs->se_mc.mc_fail));
	machine_pages(ps, fs, false);
	if ((why = machine_config_check(&fs->se_mc)) != NULL) {
		/* blame the first setting, or the first line */
		ps->line = 0;
		for (i = 0; i < SETTING_N; i++)
			if (ps->set_seen[i] &&
			    (ps->line == 0 || ps->set_line[i] < ps->line))
				ps->line = ps->set_line[i];
		if (ps->line == 0)
			ps->line = 1;
		perr(ps, 1, "bad machine: %s", why);
	}
	all = *fs;
	if (ov != NULL) {
		any = ov->so_set.se_given != 0;
		settings_override(&all, &ov->so_set);
		for (i = 0; i < FP_NPOINTS; i++)
			if (ov->so_fail[i]) {
				all.se_mc.mc_fail[i] =
				    ov->so_set.se_mc.mc_fail[i];
				any = true;
			}
		machine_pages(ps, &all, true);
		if (any && (why = machine_config_check(&all.se_mc)) != NULL)
			perr_cli(ps, "bad machine: %s", why);
	}
	sc->sc_mc = all.se_mc;
	sc->sc_seed = all.se_seed;
	ps->line = line;
}

/*
 * statements
 */

static void
parse_block(struct pstate *, struct scen_block *, bool program, int openline);

/* a string argument, its bytes as data (SD_TEXT) */
static void
parse_text(struct args *a, struct scen_data *d)
{
	struct tok *t = need(a, "a string");

	if (!t->t_string)
		perr(a->ps, t->t_col, "expected a string");
	d->sd_kind = SD_TEXT;
	d->sd_text = pstrdup(a->ps, t, &d->sd_textlen);
}

/* ADDRESS SIZE */
static struct scen_range
parse_range(struct args *a)
{
	struct scen_range r;

	r.sr_addr = parse_addr(a);
	r.sr_len = tok_size(a->ps, need(a, "a length"), true);
	return r;
}

/* scp_none: a statement without arguments */
void
scp_none(struct args *a, struct scen_stmt *st)
{
}

/* scp_range: munmap, mlock, munlock, load: ADDRESS SIZE */
void
scp_range(struct args *a, struct scen_stmt *st)
{
	st->ss_u.range = parse_range(a);
}

/* scp_file: file NAME SIZE [byte B | pattern SEED | text STR] */
void
scp_file(struct args *a, struct scen_stmt *st)
{
	st->ss_u.file.name = file_name(a->ps, need(a, "a file name"));
	st->ss_u.file.size = tok_size(a->ps, need(a, "a size"), true);
	st->ss_u.file.data.sd_kind = SD_BYTE;
	if (peek(a) != NULL)
		parse_data(a, &st->ss_u.file.data, true);
}

/*
 * parse_scope: the block of process or fork st, a new program: a
 * process starts with no variable set, a forked child with what its
 * parent has set; what the block sets is not set after it.
 */
static void
parse_scope(struct args *a, struct scen_stmt *st, bool inherit)
{
	struct pstate *ps = a->ps;
	int n = ps->ndefined;
	bool *saved;

	done(a);
	saved = ps->saved[ps->depth] = ps->defined;
	ps->defined = NULL;
	ps->defined = pzalloc(ps, (size_t)(n + 1) * sizeof(bool));
	if (inherit)
		memcpy(ps->defined, saved, (size_t)n * sizeof(bool));
	parse_block(ps, &st->ss_body, true, st->ss_line);
	free(ps->defined);
	ps->defined = saved;
	ps->saved[ps->depth] = NULL;
	ps->ndefined = n;
}

/* scp_process: process NAME {, each name once */
void
scp_process(struct args *a, struct scen_stmt *st)
{
	struct pstate *ps = a->ps;
	const struct scen_block *b = a->block;
	struct tok *t = need_word(a, "a process name");
	int i;

	for (i = 0; i < b->sb_n - 1; i++)
		if (b->sb_v[i].ss_op == SO_PROCESS &&
		    strcmp(ps->sc->sc_procs[b->sb_v[i].ss_u.process.proc],
			t->t_s) == 0)
			perr(ps, t->t_col,
			    "process '%s' is already defined, at line %d",
			    vis(t->t_s), b->sb_v[i].ss_line);
	st->ss_u.process.proc = proc_name(ps, t, true);
	parse_scope(a, st, false);
}

/* scp_fork: fork NAME { */
void
scp_fork(struct args *a, struct scen_stmt *st)
{
	st->ss_u.fork.proc =
	    proc_name(a->ps, need_word(a, "a process name"), true);
	parse_scope(a, st, true);
}

/* scp_loop: loop N { */
void
scp_loop(struct args *a, struct scen_stmt *st)
{
	struct tok *t = need(a, "a count");

	st->ss_u.loop.count = tok_count(a->ps, t, 1000000000, "loop count");
	if (st->ss_u.loop.count == 0)
		perr(a->ps, t->t_col, "a loop runs at least once");
	done(a);
	parse_block(a->ps, &st->ss_body, true, st->ss_line);
}

/* scp_run: run [TIME | until TIME] */
void
scp_run(struct args *a, struct scen_stmt *st)
{
	struct tok *t = peek(a);

	st->ss_u.run.mode = SR_IDLE;
	st->ss_u.run.time = SIMTIME_NEVER;
	if (t == NULL)
		return;
	a->i++;
	if (is(t, "until")) {
		st->ss_u.run.mode = SR_UNTIL;
		st->ss_u.run.time = tok_time(a->ps, need(a, "a time"));
	} else {
		st->ss_u.run.mode = SR_FOR;
		st->ss_u.run.time = tok_time(a->ps, t);
	}
}

/*
 * scp_vmstat: vmstat [COUNTER ...], kept as "a b c "; or vmstat -n, the
 * names alone
 */
void
scp_vmstat(struct args *a, struct scen_stmt *st)
{
	char buf[LINE_MAX_LEN + 2]; /* the words of a line, and a space */
	struct tok *t, all = { buf, 0, 0, false };
	char why[200];

	if ((t = peek(a)) != NULL && is(t, "-n")) {
		a->i++;
		st->ss_u.vmstat.names = true;
		if ((t = peek(a)) != NULL)
			perr(a->ps, t->t_col,
			    "vmstat -n names every counter: it takes no names");
		return;
	}
	for (; (t = peek(a)) != NULL; a->i++) {
		if (t->t_string || report_counter(t->t_s) == NULL) {
			report_counter_unknown(why, sizeof(why),
			    t->t_string ? "\"...\"" : vis(t->t_s),
			    "vmstat alone lists them too");
			perr(a->ps, t->t_col, "%s", why);
		}
		memcpy(buf + all.t_len, t->t_s, t->t_len);
		all.t_len += t->t_len;
		buf[all.t_len++] = ' ';
	}
	if (all.t_len > 0)
		st->ss_u.vmstat.counters = pstrdup(a->ps, &all, NULL);
}

/*
 * scp_procmap: procmap NAME ... [pages]: `pages' after a name is the
 * keyword, not a process
 */
void
scp_procmap(struct args *a, struct scen_stmt *st)
{
	struct tok *t = need(a, "a process name");

	for (;;) {
		if (st->ss_u.procmap.nprocs == SCEN_PROCMAP_MAX)
			perr(a->ps, t->t_col,
			    "procmap lists at most %d processes",
			    SCEN_PROCMAP_MAX);
		st->ss_u.procmap.procs[st->ss_u.procmap.nprocs++] =
		    proc_name(a->ps, t, false);
		if ((t = peek(a)) == NULL)
			break;
		a->i++;
		if (is(t, "pages")) {
			st->ss_u.procmap.pages = true;
			break;
		}
	}
}

/* scp_snapshot: snapshot [LABEL], a word or a string without NULs */
void
scp_snapshot(struct args *a, struct scen_stmt *st)
{
	struct tok *t = peek(a);

	if (t == NULL)
		return;
	a->i++;
	if (memchr(t->t_s, '\0', t->t_len) != NULL)
		perr(a->ps, t->t_col, "a snapshot's label cannot hold \\0");
	st->ss_u.snapshot.label = pstrdup(a->ps, t, NULL);
}

/* scp_swapctl: swapctl [-l] (the only listing there is) */
void
scp_swapctl(struct args *a, struct scen_stmt *st)
{
	struct tok *t = peek(a);

	if (t != NULL && is(t, "-l"))
		a->i++;
}

/* scp_print: print STR, without NULs */
void
scp_print(struct args *a, struct scen_stmt *st)
{
	struct tok *t = need(a, "a string");

	if (!t->t_string)
		perr(a->ps, t->t_col, "expected a string");
	st->ss_u.print.text = pstrdup(a->ps, t, NULL);
	if (memchr(t->t_s, '\0', t->t_len) != NULL)
		perr(a->ps, t->t_col, "print cannot print \\0");
}

/* scp_kill: kill NAME|self SIGNAL (self only in a program) */
void
scp_kill(struct args *a, struct scen_stmt *st)
{
	struct tok *t = need_word(a, "a process name");

	if (is(t, "self")) {
		if (!a->program)
			perr(a->ps, t->t_col,
			    "'self' only means something in a program");
		st->ss_u.kill.proc = -1;
	} else
		st->ss_u.kill.proc = proc_name(a->ps, t, false);
	st->ss_u.kill.sig =
	    keyword(a->ps, need(a, "a signal"), scen_signals, "signal");
}

/*
 * scp_mmap: mmap VAR SIZE [OPTION ...]; VAR is set from here on, on
 * this path.
 */
void
scp_mmap(struct args *a, struct scen_stmt *st)
{
	struct pstate *ps = a->ps;
	struct tok *t, *vt;
	uint64_t al;
	int shift;

	vt = need_word(a, "a variable name");
	st->ss_u.mmap.var = var_slot(ps, vt);
	st->ss_u.mmap.len = tok_size(ps, need(a, "a size"), true);
	st->ss_u.mmap.prot = VM_PROT_READ | VM_PROT_WRITE;
	st->ss_u.mmap.addr.sa_var = SV_NONE;
	while ((t = peek(a)) != NULL) {
		a->i++;
		if (is(t, "anon"))
			st->ss_u.mmap.flags |= MMAP_ANON;
		else if (is(t, "file"))
			st->ss_u.mmap.file =
			    file_name(ps, need(a, "a file name"));
		else if (is(t, "fd")) {
			st->ss_u.mmap.has_fd = true;
			st->ss_u.mmap.fd = parse_addr(a);
		} else if (is(t, "shared"))
			st->ss_u.mmap.flags |= MMAP_SHARED;
		else if (is(t, "private"))
			st->ss_u.mmap.flags |= MMAP_PRIVATE;
		else if (is(t, "wired"))
			st->ss_u.mmap.flags |= MMAP_WIRED;
		else if (is(t, "prot"))
			st->ss_u.mmap.prot =
			    (st->ss_u.mmap.prot & ~VM_PROT_ALL) |
			    parse_prot(ps, need(a, "a protection"));
		else if (is(t, "maxprot"))
			st->ss_u.mmap.prot |= MMAP_PROT_MPROTECT(
			    parse_prot(ps, need(a, "a protection")) &
			    VM_PROT_ALL);
		else if (is(t, "at") || is(t, "fixed")) {
			if (is(t, "fixed"))
				st->ss_u.mmap.flags |= MMAP_FIXED;
			st->ss_u.mmap.addr = parse_addr(a);
		} else if (is(t, "offset"))
			st->ss_u.mmap.offset =
			    tok_size(ps, need(a, "an offset"), true);
		else if (is(t, "align")) {
			t = need(a, "an alignment");
			al = tok_size(ps, t, true);
			if (al == 0 || (al & (al - 1)) != 0)
				perr(ps, t->t_col,
				    "alignment %s is not a power of two",
				    vis(t->t_s));
			for (shift = 0; ((uint64_t)1 << shift) < al; shift++)
				continue;
			st->ss_u.mmap.flags |= MMAP_ALIGNED(shift);
		} else if (is(t, "rawflags"))
			st->ss_u.mmap.flags |=
			    tok_raw(ps, need(a, "flag bits"), "flags");
		else
			perr(ps, t->t_col,
			    "unknown mmap option '%s' (anon, file NAME, "
			    "fd FD, shared, private, prot P, maxprot P, at ADDR, "
			    "fixed ADDR, "
			    "offset N, wired, align N, rawflags N)",
			    t->t_string ? "\"...\"" : vis(t->t_s));
	}
	if (st->ss_u.mmap.file != NULL && st->ss_u.mmap.has_fd)
		perr(ps, vt->t_col, "mmap of both a file and a descriptor");
	if (st->ss_u.mmap.file == NULL && !st->ss_u.mmap.has_fd)
		st->ss_u.mmap.flags |= MMAP_ANON;
	ps->defined[st->ss_u.mmap.var] = true;
}

/* scp_mprotect: mprotect ADDRESS SIZE PROT */
void
scp_mprotect(struct args *a, struct scen_stmt *st)
{
	st->ss_u.mprotect.r = parse_range(a);
	st->ss_u.mprotect.prot = parse_prot(a->ps, need(a, "a protection"));
}

/* scp_minherit: minherit ADDRESS SIZE INHERITANCE|N */
void
scp_minherit(struct args *a, struct scen_stmt *st)
{
	st->ss_u.minherit.r = parse_range(a);
	st->ss_u.minherit.inherit = keyword_or_number(a->ps,
	    need(a, "an inheritance"), kw_inherit, "inheritance");
}

/* scp_madvise: madvise ADDRESS SIZE ADVICE|N */
void
scp_madvise(struct args *a, struct scen_stmt *st)
{
	st->ss_u.madvise.r = parse_range(a);
	st->ss_u.madvise.advice =
	    keyword_or_number(a->ps, need(a, "advice"), kw_advice, "advice");
}

/* scp_mlockall: mlockall FLAG ..., at least one */
void
scp_mlockall(struct args *a, struct scen_stmt *st)
{
	(void)need(a, "current, future or both");
	a->i--;
	st->ss_u.mlockall.flags =
	    parse_flag_words(a, kw_mlockall, "mlockall flag");
}

/* scp_msync: msync ADDRESS SIZE [FLAG ...] */
void
scp_msync(struct args *a, struct scen_stmt *st)
{
	st->ss_u.msync.r = parse_range(a);
	st->ss_u.msync.flags = parse_flag_words(a, kw_msync, "msync flag");
}

/* scp_mincore: mincore ADDRESS SIZE [== BITS] */
void
scp_mincore(struct args *a, struct scen_stmt *st)
{
	struct pstate *ps = a->ps;
	struct tok *t;

	st->ss_u.mincore.r = parse_range(a);
	if ((t = peek(a)) == NULL)
		return;
	a->i++;
	if (!is(t, "=="))
		perr(ps, t->t_col, "expected == and the residency, not '%s'",
		    t->t_string ? "\"...\"" : vis(t->t_s));
	t = need_word(a, "the residency (digits 0 and 1)");
	if (strspn(t->t_s, "01") != t->t_len)
		perr(ps, t->t_col, "residency '%s' is not digits 0 and 1",
		    vis(t->t_s));
	st->ss_u.mincore.bits = pstrdup(ps, t, NULL);
}

/* scp_brk: brk ADDRESS */
void
scp_brk(struct args *a, struct scen_stmt *st)
{
	st->ss_u.brk.addr = parse_addr(a);
}

/* scp_sbrk: sbrk SIZE */
void
scp_sbrk(struct args *a, struct scen_stmt *st)
{
	st->ss_u.sbrk.incr = tok_size(a->ps, need(a, "a size"), true);
}

/* scp_store: store ADDRESS STR */
void
scp_store(struct args *a, struct scen_stmt *st)
{
	st->ss_u.store.addr = parse_addr(a);
	parse_text(a, &st->ss_u.store.text);
}

/* scp_fill: fill ADDRESS SIZE byte B|pattern SEED */
void
scp_fill(struct args *a, struct scen_stmt *st)
{
	st->ss_u.fill.r = parse_range(a);
	parse_data(a, &st->ss_u.fill.data, false);
}

/* scp_touch: touch ADDRESS SIZE [read|write] [random N] */
void
scp_touch(struct args *a, struct scen_stmt *st)
{
	struct tok *t;

	st->ss_u.touch.r = parse_range(a);
	while ((t = peek(a)) != NULL) {
		a->i++;
		if (is(t, "read"))
			st->ss_u.touch.write = false;
		else if (is(t, "write"))
			st->ss_u.touch.write = true;
		else if (is(t, "random"))
			st->ss_u.touch.random =
			    tok_count(a->ps, need(a, "a number of touches"),
				1000000000, "touches");
		else
			perr(a->ps, t->t_col,
			    "expected read, write or random N, not '%s'",
			    t->t_string ? "\"...\"" : vis(t->t_s));
	}
}

/* scp_verify: verify ADDRESS STR | verify ADDRESS SIZE DATA */
void
scp_verify(struct args *a, struct scen_stmt *st)
{
	struct scen_data *d = &st->ss_u.verify.data;
	struct tok *t;

	st->ss_u.verify.r.sr_addr = parse_addr(a);
	t = peek(a);
	if (t != NULL && t->t_string) {
		parse_text(a, d);
		st->ss_u.verify.r.sr_len = d->sd_textlen;
		return;
	}
	t = need(a, "a string or a length");
	st->ss_u.verify.r.sr_len = tok_size(a->ps, t, true);
	parse_data(a, d, false);
}

/* scp_exit: exit N */
void
scp_exit(struct args *a, struct scen_stmt *st)
{
	st->ss_u.exit.status = (int)tok_count(a->ps, need(a, "an exit status"),
	    255, "exit status");
}

/* scp_wait: wait [NAME] */
void
scp_wait(struct args *a, struct scen_stmt *st)
{
	struct tok *t = peek(a);

	st->ss_u.wait.proc = -1;
	if (t != NULL) {
		a->i++;
		st->ss_u.wait.proc = proc_name(a->ps, t, false);
	}
}

/* scp_time: sleep TIME, compute TIME */
void
scp_time(struct args *a, struct scen_stmt *st)
{
	simtime_t t = tok_time(a->ps, need(a, "a time"));

	if (st->ss_op == SO_SLEEP)
		st->ss_u.sleep.time = t;
	else
		st->ss_u.compute.time = t;
}

/* scp_nice: nice N */
void
scp_nice(struct args *a, struct scen_stmt *st)
{
	st->ss_u.nice.nice = (int)tok_int(a->ps, need(a, "a nice value"),
	    PRIO_MIN, PRIO_MAX, "nice value");
}

/* scp_physio: physio read|write ADDRESS SIZE [offset SIZE] */
void
scp_physio(struct args *a, struct scen_stmt *st)
{
	struct pstate *ps = a->ps;
	struct tok *t;

	st->ss_u.physio.rw =
	    keyword(ps, need(a, "read or write"), kw_rw, "direction");
	st->ss_u.physio.r = parse_range(a);
	if ((t = peek(a)) == NULL)
		return;
	a->i++;
	if (!is(t, "offset"))
		perr(ps, t->t_col, "expected offset, not '%s'",
		    t->t_string ? "\"...\"" : vis(t->t_s));
	st->ss_u.physio.offset = tok_size(ps, need(a, "an offset"), true);
}

/* scp_sysctl: sysctl NAME ADDRESS */
void
scp_sysctl(struct args *a, struct scen_stmt *st)
{
	st->ss_u.sysctl.name =
	    pstrdup(a->ps, need_word(a, "a sysctl name"), NULL);
	st->ss_u.sysctl.addr = parse_addr(a);
}

/* a limit: a size or infinity */
static rlim_t
parse_limit(struct args *a)
{
	struct tok *t = need(a, "a size or infinity");

	return is(t, "infinity") ? RLIM_INFINITY : tok_size(a->ps, t, true);
}

/*
 * scp_setrlimit: setrlimit RESOURCE [SIZE|infinity] [hard SIZE|infinity]
 * -- the soft limit, the hard one, or both; one at least.
 */
void
scp_setrlimit(struct args *a, struct scen_stmt *st)
{
	struct tok *t;

	st->ss_u.setrlimit.resource =
	    keyword(a->ps, need(a, "a resource"), kw_rlimit, "resource");
	t = need(a, "a size, infinity or hard");
	if (!is(t, "hard")) {
		a->i--;
		st->ss_u.setrlimit.soft = true;
		st->ss_u.setrlimit.cur = parse_limit(a);
		if ((t = peek(a)) == NULL)
			return;
		a->i++;
		if (!is(t, "hard"))
			perr(a->ps, t->t_col, "expected hard, not '%s'",
			    t->t_string ? "\"...\"" : vis(t->t_s));
	}
	st->ss_u.setrlimit.hard = true;
	st->ss_u.setrlimit.max = parse_limit(a);
}

/* scp_truncate: truncate NAME SIZE */
void
scp_truncate(struct args *a, struct scen_stmt *st)
{
	st->ss_u.truncate.name = file_name(a->ps, need(a, "a file name"));
	st->ss_u.truncate.size = tok_size(a->ps, need(a, "a size"), true);
}

/* open's flags: NetBSD's names, lower case */
static const struct kw kw_open[] = {
	{ "rdonly", OPEN_RDONLY },
	{ "wronly", OPEN_WRONLY },
	{ "rdwr", OPEN_RDWR },
	{ "creat", OPEN_CREAT },
	{ "excl", OPEN_EXCL },
	{ "trunc", OPEN_TRUNC },
	{ "append", OPEN_APPEND },
	{ NULL, 0 },
};

static const struct kw kw_whence[] = {
	{ "set", LSEEK_SET },
	{ "cur", LSEEK_CUR },
	{ "end", LSEEK_END },
	{ NULL, 0 },
};

/*
 * scp_open: open VAR NAME [FLAG ...]; VAR is set from here on, on this
 * path (to the descriptor)
 */
void
scp_open(struct args *a, struct scen_stmt *st)
{
	struct pstate *ps = a->ps;

	st->ss_u.open.var = var_slot(ps, need_word(a, "a variable name"));
	st->ss_u.open.name = file_name(ps, need(a, "a file name"));
	st->ss_u.open.flags = parse_flag_words(a, kw_open, "open flag");
	ps->defined[st->ss_u.open.var] = true;
}

/* scp_fd: close FD, fsync FD */
void
scp_fd(struct args *a, struct scen_stmt *st)
{
	st->ss_u.fd.fd = parse_addr(a);
}

/* an optional == N after a statement's arguments: N into *countp */
static bool
parse_count(struct args *a, uint64_t *countp)
{
	struct tok *t;

	if ((t = peek(a)) == NULL)
		return false;
	a->i++;
	if (!is(t, "=="))
		perr(a->ps, t->t_col, "expected == and a count, not '%s'",
		    t->t_string ? "\"...\"" : vis(t->t_s));
	*countp = tok_size(a->ps, need(a, "a count"), true);
	return true;
}

/* scp_rw: read FD ADDR SIZE [== N], write FD ADDR SIZE [== N] */
void
scp_rw(struct args *a, struct scen_stmt *st)
{
	st->ss_u.rw.fd = parse_addr(a);
	st->ss_u.rw.r = parse_range(a);
	st->ss_u.rw.check = parse_count(a, &st->ss_u.rw.count);
}

/* scp_lseek: lseek FD OFFSET [set|cur|end] [== N]; OFFSET may be < 0 */
void
scp_lseek(struct args *a, struct scen_stmt *st)
{
	struct pstate *ps = a->ps;
	struct tok *t, sub;
	bool neg;
	uint64_t v;

	st->ss_u.lseek.fd = parse_addr(a);
	t = need(a, "an offset");
	sub = *t;
	neg = !t->t_string && t->t_s[0] == '-';
	if (neg) {
		sub.t_s++;
		sub.t_len--;
		sub.t_col++;
	}
	v = tok_size(ps, &sub, true);
	if (v > (uint64_t)INT64_MAX)
		perr(ps, t->t_col, "offset '%s' is too large", vis(t->t_s));
	st->ss_u.lseek.offset = neg ? -(int64_t)v : (int64_t)v;
	st->ss_u.lseek.whence = LSEEK_SET;
	if ((t = peek(a)) != NULL && !is(t, "==")) {
		a->i++;
		st->ss_u.lseek.whence = keyword(ps, t, kw_whence, "whence");
	}
	st->ss_u.lseek.check = parse_count(a, &st->ss_u.lseek.count);
}

/* scp_ftruncate: ftruncate FD SIZE */
void
scp_ftruncate(struct args *a, struct scen_stmt *st)
{
	st->ss_u.ftruncate.fd = parse_addr(a);
	st->ss_u.ftruncate.size = tok_size(a->ps, need(a, "a size"), true);
}

/* the text of a string argument into e's se_text */
static void
parse_expect_proc(struct args *a, struct scen_expectation *e)
{
	struct pstate *ps = a->ps;
	struct tok *t;

	e->se_proc = proc_name(ps, need(a, "a process name"), false);
	t = need_word(a, "a state, exit, signal, core, rss or wired");
	if (is(t, "exit")) {
		e->se_kind = SE_EXIT;
		e->se_status = (int)tok_count(ps, need(a, "an exit status"),
		    255, "exit status");
	} else if (is(t, "signal")) {
		e->se_kind = SE_SIGNAL;
		e->se_signal =
		    keyword(ps, need(a, "a signal"), scen_signals, "signal");
	} else if (is(t, "core"))
		e->se_kind = SE_CORE;
	else if (is(t, "rss") || is(t, "wired")) {
		e->se_kind = is(t, "rss") ? SE_RSS : SE_WIRED;
		e->se_cmp = (enum scen_cmp)keyword(ps, need(a, "a comparison"),
		    kw_cmp, "comparison");
		e->se_value = tok_count(ps, need(a, "a number of pages"),
		    UINT32_MAX, "pages");
	} else {
		e->se_kind = SE_STATE;
		e->se_state = (enum scen_pstate)keyword(ps, t, scen_states,
		    "process state");
	}
}

/*
 * scp_expect: expect COUNTER OP N | proc NAME ... | kmsg STR |
 * file NAME OFFSET STR | corefile NAME | addr ADDRESS OP ADDRESS (only
 * in a program: addresses are a process's).
 */
void
scp_expect(struct args *a, struct scen_stmt *st)
{
	struct scen_expectation *e = &st->ss_u.expect;
	struct pstate *ps = a->ps;
	const struct report_counter *rc;
	struct tok *t = need_word(a, "what to expect");
	char why[200];

	if (is(t, "proc"))
		parse_expect_proc(a, e);
	else if (is(t, "kmsg")) {
		e->se_kind = SE_KMSG;
		parse_text(a, &e->se_text);
	} else if (is(t, "file")) {
		e->se_kind = SE_FILE;
		e->se_file = file_name(ps, need(a, "a file name"));
		e->se_offset = tok_size(ps, need(a, "an offset"), true);
		parse_text(a, &e->se_text);
	} else if (is(t, "corefile")) {
		e->se_kind = SE_COREFILE;
		e->se_proc = proc_name(ps, need(a, "a process name"), false);
	} else if (is(t, "addr")) {
		if (!a->program)
			perr(ps, t->t_col,
			    "expect addr compares a process's addresses: it "
			    "goes inside a program");
		e->se_kind = SE_ADDR;
		e->se_left = parse_addr(a);
		e->se_cmp = (enum scen_cmp)keyword(ps, need(a, "a comparison"),
		    kw_cmp, "comparison");
		e->se_right = parse_addr(a);
	} else {
		if ((rc = report_counter(t->t_s)) == NULL) {
			report_counter_unknown(why, sizeof(why), vis(t->t_s),
			    "or proc, kmsg, file, corefile");
			perr(ps, t->t_col, "%s", why);
		}
		e->se_kind = SE_COUNTER;
		e->se_counter = rc->rc_name;
		e->se_cmp = (enum scen_cmp)keyword(ps, need(a, "a comparison"),
		    kw_cmp, "comparison");
		e->se_value =
		    tok_count(ps, need(a, "a number"), UINT64_MAX, "number");
	}
}

/*
 * parse_result: a system call's => ok | => ERRNO | => fail at the end
 * of the statement's words, taken off them.
 */
static void
parse_result(struct args *a, const struct scen_stmtdef *sd,
    struct scen_stmt *st)
{
	struct pstate *ps = a->ps;
	struct tok *arrow, *t;

	st->ss_want = SW_OK;
	if (a->n < 3 || !is(&ps->toks[a->n - 2], "=>")) {
		if (a->n >= 2 && is(&ps->toks[a->n - 1], "=>"))
			perr(ps, ps->toks[a->n - 1].t_col,
			    "expected an error after =>");
		return;
	}
	arrow = &ps->toks[a->n - 2];
	t = &ps->toks[a->n - 1];
	if (!(sd->sd_flags & SY_CALL))
		perr(ps, arrow->t_col,
		    "'%s' is not a system call: it has no result to expect",
		    sd->sd_name);
	if (is(t, "fail"))
		st->ss_want = SW_FAIL;
	else {
		st->ss_errno = keyword(ps, t, scen_errnos, "error");
		st->ss_want = st->ss_errno == 0 ? SW_OK : SW_ERRNO;
	}
	a->n -= 2;
}

/* the statement t names, or an error saying why there is none */
static const struct scen_stmtdef *
stmt_of(struct pstate *ps, const struct tok *t, bool program)
{
	const struct scen_stmtdef *sd = scen_stmt_lookup(t->t_s);
	unsigned where = program ? SW_PROGRAM : SW_HOST;
	struct suggest sg;
	int i;

	if (sd != NULL && (sd->sd_where & where))
		return sd;
	if (sd != NULL && !program)
		perr(ps, t->t_col,
		    "'%s' is a program statement: it goes inside a process "
		    "block",
		    vis(t->t_s));
	if (sd != NULL)
		perr(ps, t->t_col,
		    "'%s' is a host command: it cannot go inside a program",
		    vis(t->t_s));
	if (setting_of(t) >= 0)
		perr(ps, t->t_col,
		    "machine settings come first, at the top of the file");
	/* did you mean: the closest statement that may go here */
	suggest_init(&sg, t->t_s);
	for (i = 0; i < scen_nstmts; i++)
		if (scen_stmts[i].sd_where & where)
			suggest_add(&sg, scen_stmts[i].sd_name);
	/* at the top, before any command, a setting may be meant */
	for (i = 0;
	     !program && ps->first_cmd_line == ps->line && i < settings_n; i++)
		suggest_add(&sg, settings_table[i].st_name);
	if (suggest_best(&sg) != NULL)
		perr(ps, t->t_col, "unknown statement '%s' (did you mean %s?)",
		    vis(t->t_s), suggest_best(&sg));
	perr(ps, t->t_col, "unknown statement '%s'", vis(t->t_s));
}

/*
 * parse_stmt: the statement on the current line, into block b (of a
 * program, or the top level).
 *
 * 1. its name is looked up in the table, and must be allowed here;
 * 2. a { that ends the line, and => RESULT before it, are taken off
 *    the words; each must be there exactly when the table says;
 * 3. the entry's parse function reads the arguments (and the block);
 * 4. every word must have been used.
 * => an error is reported, located, and does not return.
 */
static void
parse_stmt(struct pstate *ps, struct scen_block *b, bool program)
{
	struct tok *t0 = &ps->toks[0];
	struct args a = { ps, 1, ps->ntok, program, b };
	const struct scen_stmtdef *sd;
	struct scen_stmt *st;
	bool opens = is(&ps->toks[ps->ntok - 1], "{");
	int i;

	if (t0->t_string)
		perr(ps, t0->t_col, "a statement cannot start with a string");
	sd = stmt_of(ps, t0, program);
	if (opens)
		a.n--;
	b->sb_v = pgrow(ps, b->sb_v, b->sb_n, &b->sb_cap, sizeof(*b->sb_v));
	st = &b->sb_v[b->sb_n++];
	memset(st, 0, sizeof(*st));
	st->ss_op = sd->sd_op;
	st->ss_line = ps->line;
	st->ss_col = t0->t_col;
	parse_result(&a, sd, st);
	for (i = 1; i < a.n; i++)
		if (is(&ps->toks[i], "{"))
			perr(ps, ps->toks[i].t_col,
			    "'{' must end the line that opens a block");
		else if (is(&ps->toks[i], "=>"))
			perr(ps, ps->toks[i].t_col,
			    "=> ERROR must end the line");
	if (opens != ((sd->sd_flags & SY_BLOCK) != 0))
		perr(ps, opens ? ps->toks[ps->ntok - 1].t_col : endcol(&a),
		    opens ? "'%s' does not open a block" :
			    "'%s' needs a block: end the line with {",
		    sd->sd_name);
	sd->sd_parse(&a, st);
	if (!(sd->sd_flags & SY_BLOCK))
		done(&a);
}

/*
 * parse_block: statements until the } that closes the block (program
 * true) or the end of the text (the top level).
 */
static void
parse_block(struct pstate *ps, struct scen_block *b, bool program, int openline)
{
	int op;

	if (++ps->depth > DEPTH_MAX)
		perr(ps, 1, "blocks nested more than %d deep", DEPTH_MAX);
	while (next_line(ps)) {
		if (ps->ntok == 0)
			continue;
		if (is(&ps->toks[0], "}")) {
			if (!program)
				perr(ps, ps->toks[0].t_col,
				    "'}' closes no block");
			if (ps->ntok > 1)
				perr(ps, ps->toks[1].t_col,
				    "'}' must be alone on its line");
			ps->depth--;
			return;
		}
		if (!program && !ps->toks[0].t_string) {
			op = setting_of(&ps->toks[0]);
			if (op >= 0 && !ps->settings_done) {
				parse_setting(ps, op);
				continue;
			}
		}
		settings_finish(ps);
		parse_stmt(ps, b, program);
	}
	if (program) {
		ps->line = openline;
		perr(ps, 1, "the block opened here is not closed");
	}
	ps->depth--;
}

/* the checks of the whole file, once it is read: the names referred to */
static void
parse_check_refs(struct pstate *ps)
{
	int i;

	for (i = 0; i < ps->nrefs; i++)
		if (!ps->declared[ps->refs[i].pr_proc]) {
			ps->line = ps->refs[i].pr_line;
			perr(ps, ps->refs[i].pr_col,
			    "no process is named '%s' (process or fork names "
			    "one)",
			    ps->sc->sc_procs[ps->refs[i].pr_proc]);
		}
}

static void
pstate_free(struct pstate *ps)
{
	int i;

	for (i = 0; i <= DEPTH_MAX; i++)
		free(ps->saved[i]);
	free(ps->defined);
	free(ps->declared);
	free(ps->refs);
	free(ps);
}

/*
 * scen_parse: read the scenario `text' (named `name' in messages) into
 * sc, the command line's settings ov (or NULL) over its own.
 *
 * 1. the lines, a block at a time (parse_block): settings first, then
 *    each statement as the table of statements says (parse_stmt);
 * 2. the settings, complete, are checked with the command line's;
 * 3. every process name referred to must be declared somewhere.
 * => returns 0, or -1 with the first error, located, written to err;
 *    then nothing is left allocated in sc.
 */
int
scen_parse(struct scenario *sc, const char *name, const char *text,
    const struct scen_overrides *ov, FILE *err)
{
	struct pstate *ps;

	memset(sc, 0, sizeof(*sc));
	sc->sc_file = name;
	machine_config_default(&sc->sc_mc);
	sc->sc_seed = 1;
	ps = calloc(1, sizeof(*ps));
	if (ps == NULL) {
		fprintf(err, "%s: out of memory\n", name);
		return -1;
	}
	ps->sc = sc;
	ps->ov = ov;
	ps->err = err;
	ps->text = text;
	if (setjmp(ps->fail) != 0) {
		pstate_free(ps);
		scen_free(sc); /* nothing half-built is left */
		return -1;
	}
	parse_block(ps, &sc->sc_top, false, 0);
	settings_finish(ps);
	parse_check_refs(ps);
	pstate_free(ps);
	return 0;
}

static void
block_free(struct scen_block *b)
{
	int i;

	for (i = 0; i < b->sb_n; i++)
		block_free(&b->sb_v[i].ss_body);
	free(b->sb_v);
}

/* scen_free: free what scen_parse built */
void
scen_free(struct scenario *sc)
{
	int i;

	block_free(&sc->sc_top);
	for (i = 0; i < sc->sc_nstrs; i++)
		free(sc->sc_strs[i]);
	free(sc->sc_strs);
	for (i = 0; i < sc->sc_nvars; i++)
		free(sc->sc_vars[i]);
	free(sc->sc_vars);
	for (i = 0; i < sc->sc_nprocs; i++)
		free(sc->sc_procs[i]);
	free(sc->sc_procs);
	memset(sc, 0, sizeof(*sc));
}
