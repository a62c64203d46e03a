/*
 * html.c: the --html page (html.h).
 *
 * Everything is drawn here, in C, as SVG: the page needs no library and
 * no network, and its size is known -- at most SERIES_MAXSAMPLES points
 * per line, a lane's states merged into runs, address spaces of many
 * pages drawn in groups (ASPACE_MAXCELLS cells per entry at most), and
 * the copy-on-write graph drawing the shared anons one by one only up
 * to COW_MAXANONS; a line over time goes through at most DRAW_MAXPTS
 * samples.  The script does two things: it shows the tip of the mark
 * under the pointer (data-tip, or made from an address-space cell's
 * numbers), and for the charts over time it finds the sample under the
 * pointer in the data the page carries (one JSON block) and shows its
 * numbers.
 *
 * Nothing written depends on the host: no pointers, no host times.
 */

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/trace.h"
#include "sim/html.h"
#include "sim/outfile.h"
#include "sim/scen_exec.h"

#define CHART_W		960
#define CHART_H		220
#define PAD_L		64
#define PAD_R		16
#define PAD_T		14
#define PAD_B		34
#define LANE_H		26
#define ASPACE_MAXCELLS 100
#define CELL_W		6
#define COW_MAXANONS	48

/*
 * The page's output.  The page is thousands of small elements, tips and
 * coordinates, and stdio (its formatter, and a call a character) was
 * most of the cost of writing it.  So the page is written through a
 * buffer of its own: literal text is copied a run at a time, numbers
 * are made two digits at a time, and the buffer goes to the file when
 * it fills.
 *
 * hput and hstr format as fprintf and snprintf would, for the
 * conversions the page uses: %d, %u and %x (with l or ll), %s, %g, %c
 * and %%, with a width and a precision (hout_fmt) -- anything else is
 * a bug in this file and aborts.  hprintf takes whatever stdio takes,
 * for the few lines that need more.
 */
#define HOUT_BUFSZ 65536

struct hout {
	char *ho_p;   /* the next byte */
	char *ho_end; /* the end of the room */
	char *ho_buf;
	FILE *ho_f; /* where a full buffer goes; NULL: a string, which
		       drops what does not fit (as snprintf) */
	int ho_err; /* the first write's errno, 0: none failed */
};

/* hout_flush: the buffer to the file; false for a string (it is full) */
static bool
hout_flush(struct hout *o)
{
	if (o->ho_f == NULL)
		return false;
	if (fwrite(o->ho_buf, 1, (size_t)(o->ho_p - o->ho_buf), o->ho_f) !=
		(size_t)(o->ho_p - o->ho_buf) &&
	    o->ho_err == 0)
		o->ho_err = errno;
	o->ho_p = o->ho_buf;
	return true;
}

/* hout_mem: n bytes from s */
static inline void
hout_mem(struct hout *o, const char *s, size_t n)
{
	size_t k;

	while ((k = (size_t)(o->ho_end - o->ho_p)) < n) {
		memcpy(o->ho_p, s, k);
		o->ho_p += k;
		s += k;
		n -= k;
		if (!hout_flush(o))
			return;
	}
	memcpy(o->ho_p, s, n);
	o->ho_p += n;
}

/*
 * HLIT: a string literal, its length known when compiling; hs: a
 * string.  The page's most numerous elements are written with these
 * and hnum, piece by piece: hput's formatting is most of the cost of
 * an element.
 */
#define HLIT(o, lit) hout_mem((o), "" lit, sizeof(lit) - 1)

static inline void
hs(struct hout *o, const char *s)
{
	hout_mem(o, s, strlen(s));
}

/* hout_c: one byte (a string full drops it) */
static inline void
hout_c(struct hout *o, char c)
{
	if (o->ho_p == o->ho_end && !hout_flush(o))
		return;
	*o->ho_p++ = c;
}

/* hout_digits: u's digits in base (10 or 16), backwards from e */
static inline char *
hout_digits(char *e, unsigned long long u, unsigned int base)
{
	if (base == 16) {
		do {
			*--e = "0123456789abcdef"[u & 15];
			u >>= 4;
		} while (u != 0);
		return e;
	}
	return series_digits(e, u);
}

/*
 * hout_num: u in base 10 or 16 (lower case), after the byte pre if it
 * is not 0 and a '-' if neg: "pre-u".  With room, the digits go
 * straight into the buffer.
 */
static void
hout_num(struct hout *o, char pre, unsigned long long u, bool neg,
    unsigned int base)
{
	char buf[24], *p;
	unsigned long long v;
	int n = (pre != 0) + neg + 1;

	if (o->ho_end - o->ho_p < (ptrdiff_t)sizeof(buf)) {
		p = hout_digits(buf + sizeof(buf), u, base);
		if (neg)
			*--p = '-';
		if (pre != 0)
			*--p = pre;
		hout_mem(o, p, (size_t)(buf + sizeof(buf) - p));
		return;
	}
	if (base == 16)
		for (v = u; v >= 16; v >>= 4)
			n++;
	else {
		for (v = u; v >= 100; v /= 100)
			n += 2;
		n += v >= 10;
	}
	p = o->ho_p;
	o->ho_p += n;
	(void)hout_digits(o->ho_p, u, base);
	if (pre != 0)
		*p++ = pre;
	if (neg)
		*p = '-';
}

/*
 * hnum: v in decimal, after the byte sep unless it is 0.  Most of the
 * page's numbers come through here, so it is hout_num's decimal case
 * inline.
 */
static inline void
hnum(struct hout *o, char sep, long long v)
{
	unsigned long long u = v < 0 ? 0 - (unsigned long long)v :
				       (unsigned long long)v,
			   w;
	int n = (sep != 0) + (v < 0) + 1;
	char *p;

	if (__predict_false(o->ho_end - o->ho_p < 24)) {
		hout_num(o, sep, u, v < 0, 10);
		return;
	}
	for (w = u; w >= 100; w /= 100)
		n += 2;
	n += w >= 10;
	p = o->ho_p;
	o->ho_p += n;
	(void)series_digits(o->ho_p, u);
	if (sep != 0)
		*p++ = sep;
	if (v < 0)
		*p = '-';
}

/*
 * hout_conv: one conversion (d, u, x, s, g, c or %) of the next
 * argument of *ap into o; lng: how many l's, prec: the precision (-1:
 * none)
 */
static void
hout_conv(struct hout *o, char conv, int lng, int prec, va_list *ap)
{
	char buf[32];
	const char *s;
	double g;

	switch (conv) {
	case 'd':
		hnum(o, 0,
		    lng == 0	 ? va_arg(*ap, int) :
			lng == 1 ? va_arg(*ap, long) :
				   va_arg(*ap, long long));
		break;
	case 'u':
	case 'x':
		hout_num(o, 0,
		    lng == 0	 ? va_arg(*ap, unsigned int) :
			lng == 1 ? va_arg(*ap, unsigned long) :
				   va_arg(*ap, unsigned long long),
		    false, conv == 'x' ? 16 : 10);
		break;
	case 's':
		s = va_arg(*ap, const char *);
		hout_mem(o, s, prec < 0 ? strlen(s) : strnlen(s, (size_t)prec));
		break;
	case 'g':
		/* a whole number under a million is its digits; else stdio */
		g = va_arg(*ap, double);
		if (prec < 0 && fabs(g) < 1e6 && g == (double)(long long)g &&
		    !(g == 0 && signbit(g)))
			hnum(o, 0, (long long)g);
		else
			hout_mem(o, buf,
			    (size_t)snprintf(buf, sizeof(buf), "%.*g",
				prec < 0 ? 6 : prec, g));
		break;
	case 'c':
		hout_c(o, (char)va_arg(*ap, int));
		break;
	case '%':
		hout_c(o, '%');
		break;
	default:
		fprintf(stderr, "uvmsim: html: no %%%c in hout_fmt\n", conv);
		abort();
	}
}

/*
 * hout_fmt: fmt with its arguments into o, as vfprintf would for what
 * the page uses: the conversions of hout_conv, each with a width
 * (padded with spaces, or zeros after a 0 flag, on the left or after
 * a - flag on the right), a precision and l or ll
 */
static void
hout_fmt(struct hout *o, const char *fmt, va_list ap)
{
	char tmp[64], *p;
	struct hout t = { tmp, tmp + sizeof(tmp), tmp, NULL, 0 };
	const char *q;
	int lng, prec, width, len;
	bool left, zero;
	va_list aq;

	va_copy(aq, ap);
	for (;;) {
		q = strchrnul(fmt, '%');
		if (q > fmt)
			hout_mem(o, fmt, (size_t)(q - fmt));
		if (*q == '\0')
			break;
		fmt = q + 1;
		for (left = zero = false;; fmt++)
			if (*fmt == '-')
				left = true;
			else if (*fmt == '0')
				zero = true;
			else
				break;
		for (width = 0; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		prec = -1;
		if (*fmt == '.')
			for (prec = 0, fmt++; *fmt >= '0' && *fmt <= '9'; fmt++)
				prec = prec * 10 + (*fmt - '0');
		for (lng = 0; *fmt == 'l'; fmt++)
			lng++;
		/* padded: made on the side first (64 bytes at most) */
		t.ho_p = tmp;
		hout_conv(width == 0 ? o : &t, *fmt++, lng, prec, &aq);
		if (width == 0)
			continue;
		len = (int)(t.ho_p - tmp);
		p = tmp;
		if (left)
			hout_mem(o, tmp, (size_t)len);
		else if (zero && *p == '-') /* the sign before the zeros */
			hout_c(o, *p++);
		for (; len < width; width--)
			hout_c(o, zero && !left ? '0' : ' ');
		if (!left)
			hout_mem(o, p, (size_t)(t.ho_p - p));
	}
	va_end(aq);
}

/* hput: fmt with its arguments into o, as fprintf (hout_fmt) */
static void __printflike(2, 3) hput(struct hout *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hout_fmt(o, fmt, ap);
	va_end(ap);
}

int
html_snprintf(char *buf, size_t len, const char *fmt, ...)
{
	struct hout o = { buf, buf + (len > 0 ? len - 1 : 0), buf, NULL, 0 };
	va_list ap;

	va_start(ap, fmt);
	hout_fmt(&o, fmt, ap);
	va_end(ap);
	if (len > 0)
		*o.ho_p = '\0';
	return (int)(o.ho_p - buf);
}

/* into buf as snprintf (html.h); returns the length written */
#define hstr html_snprintf

/* as fprintf, through stdio's formatter; a line is at most 255 bytes */
static void __printflike(2, 3) hprintf(struct hout *o, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	KASSERTMSG(n >= 0 && (size_t)n < sizeof(buf),
	    "html: a line of %d bytes for hprintf", n);
	hout_mem(o, buf, (size_t)n);
}

/* text, escaped for HTML and attribute values */
static void
esc(struct hout *o, const char *s)
{
	const char *q;

	for (;;) {
		for (q = s; *q != '\0' && *q != '<' && *q != '>' && *q != '&' &&
		     *q != '"';
		     q++)
			;
		if (q > s)
			hout_mem(o, s, (size_t)(q - s));
		switch (*q) {
		case '\0':
			return;
		case '<':
			hout_mem(o, "&lt;", 4);
			break;
		case '>':
			hout_mem(o, "&gt;", 4);
			break;
		case '&':
			hout_mem(o, "&amp;", 5);
			break;
		default:
			hout_mem(o, "&quot;", 6);
		}
		s = q + 1;
	}
}

/* an attribute, its value escaped */
static void
attr(struct hout *o, const char *name, const char *value)
{
	hout_c(o, ' ');
	hs(o, name);
	HLIT(o, "=\"");
	esc(o, value);
	hout_c(o, '"');
}

/* a chart's frame: data coordinates into SVG coordinates */
struct chart {
	double x0, x1, y0, y1;
	int w, h;
	bool logy;	 /* y on a log scale: log10(1 + y), for rates */
	double ly0, ly1; /* with logy: log10(1 + y0), log10(1 + y1) */
};

/* chart_log: put c's y axis on a log scale (after y0 and y1 are set) */
static void
chart_log(struct chart *c)
{
	c->logy = true;
	c->ly0 = log10(1 + c->y0);
	c->ly1 = log10(1 + c->y1);
}

/* v to the nearest whole number, halves away from zero (lround's rule,
   without its call: there are thousands of coordinates) */
static int
iround(double v)
{
	return v >= 0 ? (int)(v + 0.5) : -(int)(0.5 - v);
}

/* (coordinates are whole pixels: printing them is most of the page's cost) */
static int
sx(const struct chart *c, double x)
{
	if (c->x1 <= c->x0)
		return PAD_L;
	return PAD_L +
	    iround((x - c->x0) / (c->x1 - c->x0) * (c->w - PAD_L - PAD_R));
}

static int
sy(const struct chart *c, double y)
{
	double y0 = c->y0, y1 = c->y1;

	if (c->logy) {
		/* most rates are 0, whose logarithm is free */
		y = y > 0 ? log10(1 + y) : 0;
		y0 = c->ly0;
		y1 = c->ly1;
	}
	if (y1 <= y0)
		return c->h - PAD_B;
	return c->h - PAD_B -
	    iround((y - y0) / (y1 - y0) * (c->h - PAD_T - PAD_B));
}

/* a point of a path: "Mx y" or "Lx y" */
#define PT(o, c, x, y)           \
	do {                     \
		hnum(o, c, x);   \
		hnum(o, ' ', y); \
	} while (0)

/*
 * A line through points, written as a path's "Mx y Lx y ...": a point
 * in the middle of a horizontal run, or of a vertical run going one way,
 * is left out, and so is a point repeated.  The line drawn is the same;
 * a stretch where nothing changes (a rate of zero, memory that stays
 * put) costs two points however long it is.
 */
struct pathw {
	struct hout *pw_o;
	int pw_n;	  /* points given */
	int pw_ex, pw_ey; /* the last point written */
	int pw_hx, pw_hy; /* the point held back, if pw_held */
	bool pw_held;
};

/* path_begin: a new line, written to o (inside a path's d="...") */
static void
path_begin(struct pathw *w, struct hout *o)
{
	memset(w, 0, sizeof(*w));
	w->pw_o = o;
}

/* whether b lies on the straight run from a to c, all on one line */
static bool
path_between(int a, int b, int c)
{
	return (a <= b && b <= c) || (a >= b && b >= c);
}

/*
 * path_pt: the line goes on to (x, y).
 * => the first point is written at once ("M"); each later one is held
 *    back until the next shows whether it ends a run (then it is
 *    written, "L") or lies on one (then the next replaces it).
 * => path_end writes the last point held.
 * path_pt_slow is the general case; path_pt, below, does the common
 * one inline.
 */
static void
path_pt_slow(struct pathw *w, int x, int y)
{
	if (w->pw_n++ == 0) {
		PT(w->pw_o, 'M', x, y);
		w->pw_ex = x;
		w->pw_ey = y;
		return;
	}
	if (w->pw_held) {
		if ((w->pw_hy == w->pw_ey && y == w->pw_ey &&
			path_between(w->pw_ex, w->pw_hx, x)) ||
		    (w->pw_hx == w->pw_ex && x == w->pw_ex &&
			path_between(w->pw_ey, w->pw_hy, y))) {
			w->pw_hx = x; /* the held point is on the run */
			w->pw_hy = y;
			return;
		}
		PT(w->pw_o, 'L', w->pw_hx, w->pw_hy);
		w->pw_ex = w->pw_hx;
		w->pw_ey = w->pw_hy;
	}
	if (x == w->pw_ex && y == w->pw_ey)
		return;
	w->pw_hx = x;
	w->pw_hy = y;
	w->pw_held = true;
}

/* path_pt's common case inline: a flat run going on to the right */
static inline void
path_pt(struct pathw *w, int x, int y)
{
	if (w->pw_held && y == w->pw_hy && y == w->pw_ey && x >= w->pw_hx &&
	    w->pw_hx >= w->pw_ex) {
		w->pw_n++;
		w->pw_hx = x;
		return;
	}
	path_pt_slow(w, x, y);
}

/* write the point held back */
static void
path_end(struct pathw *w)
{
	if (w->pw_held)
		PT(w->pw_o, 'L', w->pw_hx, w->pw_hy);
	w->pw_held = false;
}

/*
 * secs: simulated time t as the tips print it, in seconds to the
 * millisecond ("1.250 s"), a half millisecond rounded up
 */
static const char *
secs(simtime_t t, char *buf, size_t len)
{
	unsigned long long ms = ((unsigned long long)t + 500) / 1000;
	int f = (int)(ms % 1000);

	hstr(buf, len, "%llu.%c%c%c s", ms / 1000, '0' + f / 100,
	    '0' + f / 10 % 10, '0' + f % 10);
	return buf;
}

/* a round step for about n ticks over range */
static double
nice_step(double range, int n)
{
	double raw = range / n, mag, r;

	if (raw <= 0)
		return 1;
	mag = pow(10, floor(log10(raw)));
	r = raw / mag;
	return (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10) * mag;
}

/*
 * chart_begin: open an SVG chart of class cls with axes, grid and their
 * labels; xsec: the x axis is simulated time in microseconds.
 */
static void
chart_begin(struct hout *o, const struct chart *c, const char *cls,
    const char *title, const char *ylabel, bool xsec, const char *xlabel)
{
	double step, v;

	hput(o,
	    "<svg class=\"chart %s\" viewBox=\"0 0 %d %d\" width=\"%d\" "
	    "height=\"%d\" role=\"img\">",
	    cls, c->w, c->h, c->w, c->h);
	hput(o, "<title>");
	esc(o, title);
	hput(o, "</title>\n");
	step = nice_step(c->y1 - c->y0, 4);
	for (v = c->logy ? 0 : ceil(c->y0 / step) * step;
	     v <= c->y1 + step / 1e6;
	     v = c->logy ? (v == 0 ? 1 : v * 10) : v + step) {
		hput(o,
		    "<line class=\"grid\" x1=\"%d\" x2=\"%d\" y1=\"%d\" "
		    "y2=\"%d\"/><text class=\"ax\" x=\"%d\" y=\"%d\" "
		    "text-anchor=\"end\">%g</text>\n",
		    PAD_L, c->w - PAD_R, sy(c, v), sy(c, v), PAD_L - 4,
		    sy(c, v) + 4, v);
	}
	step = nice_step(c->x1 - c->x0, 8);
	for (v = ceil(c->x0 / step) * step; v <= c->x1 + step / 1e6;
	     v += step) {
		hput(o,
		    "<line class=\"tick\" x1=\"%d\" x2=\"%d\" y1=\"%d\" "
		    "y2=\"%d\"/><text class=\"ax\" x=\"%d\" y=\"%d\" "
		    "text-anchor=\"middle\">%g</text>\n",
		    sx(c, v), sx(c, v), c->h - PAD_B, c->h - PAD_B + 4,
		    sx(c, v), c->h - PAD_B + 16, xsec ? v / 1e6 : v);
	}
	hput(o, "<text class=\"axl\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
	    (PAD_L + c->w - PAD_R) / 2, c->h - 4);
	esc(o, xlabel != NULL ? xlabel : "simulated time (s)");
	hput(o,
	    "</text><text class=\"axl\" transform=\"translate(12,%d) "
	    "rotate(-90)\" text-anchor=\"middle\">",
	    (PAD_T + c->h - PAD_B) / 2);
	esc(o, ylabel);
	hput(o, "</text>\n");
}

/* the legend: one coloured square and name per class */
static void
legend(struct hout *o, const char *const *names, const char *const *classes,
    int n)
{
	int i;

	hput(o, "<p class=\"legend\">");
	for (i = 0; i < n; i++) {
		hput(o, "<span><i class=\"%s\"></i>", classes[i]);
		esc(o, names[i]);
		hput(o, "</span>");
	}
	hput(o, "</p>\n");
}

/* ---- over time ---- */

static double
tmax(const struct series *s)
{
	return s->s_n > 1 ? (double)s->s_t[s->s_n - 1] : 1;
}

/*
 * The samples a line over time is drawn through: at most about
 * DRAW_MAXPTS of them, two or so a pixel, and always the last.  Every
 * chart over time has the same x axis, so their x coordinates are
 * worked out once.  The data the tips read holds the same samples, so
 * a tip's rate is the slope of the line under the pointer.
 */
#define DRAW_MAXPTS 480
struct drawn {
	int dr_n;
	int dr_i[DRAW_MAXPTS + 2]; /* the samples' indexes, in order */
	int dr_x[DRAW_MAXPTS + 2]; /* their x on a chart over time */
};

/* drawn_init: dr, the samples of s the lines are drawn through */
static void
drawn_init(struct drawn *dr, const struct series *s)
{
	struct chart c = { 0, tmax(s), 0, 1, CHART_W, CHART_H, false, 0, 0 };
	int step = MAX((s->s_n + DRAW_MAXPTS - 1) / DRAW_MAXPTS, 1), i;

	dr->dr_n = 0;
	for (i = 0; i < s->s_n;
	     i = i >= s->s_n - 1 ? s->s_n : MIN(i + step, s->s_n - 1)) {
		dr->dr_i[dr->dr_n] = i;
		dr->dr_x[dr->dr_n++] = sx(&c, (double)s->s_t[i]);
	}
}

/* the hover area of a chart over time: the script reads the data */
static void
hover_area(struct hout *o, const struct chart *c, const char *keys, bool rate)
{
	hput(o,
	    "<rect class=\"hover\" x=\"%d\" y=\"%d\" width=\"%d\" "
	    "height=\"%d\" data-keys=\"%s\" data-rate=\"%d\" "
	    "data-x0=\"%g\" data-x1=\"%g\" data-w=\"%d\"/>\n",
	    PAD_L, PAD_T, c->w - PAD_L - PAD_R, c->h - PAD_T - PAD_B, keys,
	    rate ? 1 : 0, c->x0, c->x1, c->w);
}

static const char *const ev_classes[] = { "ev-fork", "ev-exit", "ev-signal",
	"ev-core", "ev-swapout", "ev-swapin", "ev-pdwake" };

/* an event's tip: "1.250 s: swapout of pid 3 (slept past maxslp)" */
static void
event_tip(const struct series_event *e, char *buf, size_t len)
{
	char t[32];
	const char *name = vmev_name((enum vmev_kind)e->se_kind);

	secs(e->se_t, t, sizeof(t));
	switch (e->se_kind) {
	case VMEV_FORK:
		hstr(buf, len, "%s: pid %d forks pid %ld", t, e->se_pid,
		    e->se_arg);
		break;
	case VMEV_EXIT:
		hstr(buf, len, "%s: pid %d exits (status 0x%lx)", t, e->se_pid,
		    e->se_arg);
		break;
	case VMEV_SIGNAL:
		hstr(buf, len, "%s: pid %d gets signal %ld", t, e->se_pid,
		    e->se_arg);
		break;
	case VMEV_CORE:
		hstr(buf, len, "%s: pid %d dumps core (%ld bytes)", t,
		    e->se_pid, e->se_arg);
		break;
	case VMEV_PDWAKE:
		hstr(buf, len, "%s: pagedaemon wakes, %ld pages free", t,
		    e->se_arg);
		break;
	default:
		hstr(buf, len, "%s: %s of pid %d%s%s%s", t, name, e->se_pid,
		    e->se_why != NULL ? " (" : "",
		    e->se_why != NULL ? e->se_why : "",
		    e->se_why != NULL ? ")" : "");
	}
}

/* the events as marks along the top of a chart over time */
static void
event_marks(struct hout *o, const struct chart *c, const struct series *s)
{
	char tip[160];
	int i, npd = 0;

	for (i = 0; i < s->s_nevents; i++)
		npd += s->s_events[i].se_kind == VMEV_PDWAKE;
	for (i = 0; i < s->s_nevents; i++) {
		const struct series_event *e = &s->s_events[i];
		int x = sx(c, (double)e->se_t);

		/* many wakeups show as the wakeup rate instead */
		if (e->se_kind == VMEV_PDWAKE && npd > 40)
			continue;
		event_tip(e, tip, sizeof(tip));
		hput(o,
		    "<g class=\"event %s\"><line x1=\"%d\" x2=\"%d\" "
		    "y1=\"%d\" y2=\"%d\"/><path d=\"M%d %dl-4 -7h8z\"",
		    e->se_kind < VMEV_NKIND ? ev_classes[e->se_kind] : "", x, x,
		    PAD_T, c->h - PAD_B, x, PAD_T);
		attr(o, "data-tip", tip);
		hput(o, "/></g>\n");
	}
}

/* the memory chart: free, inactive, active, wired, other stacked */
static void
draw_memory(struct hout *o, const struct series *s, const struct drawn *dr)
{
	static const int layers[] = { SC_WIRED, SC_ACTIVE, SC_INACTIVE,
		SC_FREE };
	static const char *const names[] = { "wired", "active", "inactive",
		"free", "other (kernel, busy)", "swap used" };
	static const char *const classes[] = { "m-wired", "m-active",
		"m-inactive", "m-free", "m-other", "m-swap" };
	struct chart c = { 0, tmax(s), 0, (double)s->s_npages, CHART_W, CHART_H,
		false, 0, 0 };
	struct chart cs = c;
	struct pathw pw;
	int k, i, n;

	hprintf(o,
	    "<section id=\"memory\"><h2>Memory over time</h2>\n"
	    "<p>Where the machine's %zu pages are, sampled every "
	    "%.3g ms of simulated time; the marks along the top are "
	    "the events (hover for what happened).</p>\n",
	    s->s_npages, (double)s->s_interval / 1000);
	legend(o, names, classes, 6);
	chart_begin(o, &c, "memory", "memory over time", "pages", true, NULL);
	/*
	 * Each layer is drawn from the top of the stack down to the axis,
	 * the whole machine first ("other" on top), each lower layer over
	 * it: one line a layer, no polygon bottoms.
	 */
	for (k = (int)__arraycount(layers); k >= 0; k--) {
		hput(o, "<path class=\"%s\" d=\"", classes[k]);
		path_begin(&pw, o);
		path_pt(&pw, sx(&c, 0), sy(&c, 0));
		for (n = 0; n < dr->dr_n; n++) {
			uint64_t top = 0;
			int q;

			i = dr->dr_i[n];
			if (k == (int)__arraycount(layers))
				top = s->s_npages;
			else
				for (q = 0; q <= k; q++)
					top += s->s_ctr[i][layers[q]];
			path_pt(&pw, dr->dr_x[n], sy(&c, (double)top));
		}
		path_pt(&pw, sx(&c, (double)s->s_t[s->s_n - 1]), sy(&c, 0));
		path_end(&pw);
		hput(o, "Z\"/>\n");
	}
	event_marks(o, &c, s);
	hover_area(o, &c, "free,active,inactive,wired,zero,swap_used", false);
	hput(o, "</svg>\n");

	cs.h = CHART_H / 2 + 20;
	cs.y1 = s->s_swpages > 0 ? (double)s->s_swpages : 1;
	chart_begin(o, &cs, "swap", "swap used", "swap pages", true, NULL);
	hput(o, "<path class=\"line m-swap\" d=\"");
	path_begin(&pw, o);
	for (n = 0; n < dr->dr_n; n++)
		path_pt(&pw, dr->dr_x[n],
		    sy(&cs, (double)s->s_ctr[dr->dr_i[n]][SC_SWAPUSED]));
	path_end(&pw);
	hput(o, "\"/>\n");
	hover_area(o, &cs, "swap_used", false);
	hput(o, "</svg></section>\n");
}

/* the rate of cumulative counter k from sample j to i, per second */
static double
rate_at(const struct series *s, int k, int j, int i)
{
	simtime_t dt;

	if (i == j)
		return 0;
	dt = s->s_t[i] - s->s_t[j];
	if (dt == 0)
		return 0;
	return (double)(s->s_ctr[i][k] - s->s_ctr[j][k]) * 1e6 / (double)dt;
}

/*
 * a chart of the rates of counters ks[] (at most RATES_MAX), one line
 * each: the rate at a drawn sample is over the stretch since the one
 * drawn before it
 */
#define RATES_MAX 5
static void
draw_rates(struct hout *o, const struct series *s, const struct drawn *dr,
    const char *cls, const char *title, const int *ks, const char *const *names,
    const char *const *classes, int n)
{
	struct chart c = { 0, tmax(s), 0, 1, CHART_W, CHART_H, false, 0, 0 };
	char keys[256] = "";
	struct pathw pw;
	double *rate;
	int k, p, y = 0;

	KASSERT(n <= RATES_MAX);
	rate = malloc(sizeof(*rate) * (size_t)(n * dr->dr_n));
	if (rate == NULL) {
		fprintf(stderr, "uvmsim: out of host memory for the page\n");
		exit(1);
	}
	for (k = 0; k < n; k++)
		for (p = 0; p < dr->dr_n; p++) {
			rate[k * dr->dr_n + p] = p == 0 ?
			    0 :
			    rate_at(s, ks[k], dr->dr_i[p - 1], dr->dr_i[p]);
			c.y1 = MAX(c.y1, rate[k * dr->dr_n + p]);
		}
	hput(o, "<h3>");
	esc(o, title);
	hput(o, "</h3>\n");
	legend(o, names, classes, n);
	chart_log(&c);
	chart_begin(o, &c, cls, title, "per second (log scale)", true, NULL);
	for (k = 0; k < n; k++) {
		hput(o, "<path class=\"line %s\" d=\"", classes[k]);
		path_begin(&pw, o);
		for (p = 0; p < dr->dr_n; p++) {
			/* most rates are the one before (0, mostly) */
			if (p == 0 ||
			    rate[k * dr->dr_n + p] !=
				rate[k * dr->dr_n + p - 1])
				y = sy(&c, rate[k * dr->dr_n + p]);
			path_pt(&pw, dr->dr_x[p], y);
		}
		path_end(&pw);
		hput(o, "\"/>\n");
		hstr(keys + strlen(keys), sizeof(keys) - strlen(keys), "%s%s",
		    k ? "," : "", series_ctr_name(ks[k]));
	}
	free(rate);
	hover_area(o, &c, keys, true);
	hput(o, "</svg>\n");
}

static void
draw_faults(struct hout *o, const struct series *s, const struct drawn *dr)
{
	static const int fk[] = { SC_FLT_ANON, SC_FLT_ACOW, SC_FLT_OBJ,
		SC_FLT_PRCOPY, SC_FLT_PRZERO };
	static const char *const fnames[] = { "1A anon page mapped",
		"1B anon copied on write", "2A object page mapped",
		"2B object page copied", "2B zero-fill" };
	static const char *const fcls[] = { "f-1a", "f-1b", "f-2a", "f-2b",
		"f-zero" };
	static const int pk[] = { SC_PAGEINS, SC_PAGEOUTS, SC_PDSCANS,
		SC_PDFREED, SC_PDWOKE };
	static const char *const pnames[] = { "page-ins", "page-outs",
		"pagedaemon: pages scanned", "pagedaemon: pages freed",
		"pagedaemon: wakeups" };
	static const char *const pcls[] = { "p-in", "p-out", "p-scan",
		"p-freed", "p-woke" };

	hput(o, "<section id=\"faults\"><h2>Faults and paging</h2>\n");
	draw_rates(o, s, dr, "faults", "Faults by case", fk, fnames, fcls,
	    (int)__arraycount(fk));
	draw_rates(o, s, dr, "paging", "Paging and the pagedaemon", pk, pnames,
	    pcls, (int)__arraycount(pk));
	hput(o, "</section>\n");
}

static const char *const pstate_classes[PS_N] = { "s-running", "s-runnable",
	"s-asleep", "s-asleep-long", "s-swapped", "s-stopped", "s-zombie" };
static const char *const pstate_words[PS_N] = { "running", "runnable", "asleep",
	"asleep past maxslp", "swapped out", "stopped", "zombie" };

/* the lanes: each process's state over time, and its resident set */
static void
draw_lanes(struct hout *o, const struct series *s, const struct drawn *dr)
{
	struct chart c = { 0, tmax(s), 0, 1, CHART_W, 0, false, 0, 0 };
	int x0, x1, lanetop;
	int32_t maxrss = 1;
	char t0[32], t1[32], tip[200];
	struct pathw pw;
	int l, i, j, n;

	for (l = 0; l < s->s_nlanes; l++)
		for (i = 0; i < s->s_n; i++)
			maxrss = MAX(maxrss, s->s_lanes[l].sl_s[i].ps_rss);
	c.h = PAD_T + PAD_B + LANE_H * MAX(s->s_nlanes, 1);
	hput(o,
	    "<section id=\"lanes\"><h2>Processes</h2>\n"
	    "<p>One lane per process: its state over time, and its "
	    "resident set as the line (the tallest is %d pages). The "
	    "dots are its events.</p>\n",
	    maxrss);
	legend(o, pstate_words, pstate_classes, PS_N);
	hput(o,
	    "<svg class=\"chart lanes\" viewBox=\"0 0 %d %d\" "
	    "width=\"%d\" height=\"%d\" role=\"img\">\n",
	    c.w, c.h, c.w, c.h);
	for (l = 0; l < s->s_nlanes; l++) {
		const struct series_lane *ln = &s->s_lanes[l];

		lanetop = PAD_T + l * LANE_H;
		hput(o, "<g class=\"lane\" data-pid=\"%d\"", ln->sl_pid);
		attr(o, "data-name", ln->sl_name);
		hput(o,
		    "><text class=\"lname\" x=\"%d\" y=\"%d\" "
		    "text-anchor=\"end\">",
		    PAD_L - 4, lanetop + LANE_H / 2 + 4);
		hstr(tip, sizeof(tip), "%.10s %d", ln->sl_name, ln->sl_pid);
		esc(o, tip);
		hput(o, "</text>\n");
		for (i = 0; i < s->s_n; i = j) {
			int st = ln->sl_s[i].ps_state;

			for (j = i + 1;
			     j < s->s_n && ln->sl_s[j].ps_state == st; j++)
				;
			if (st == PS_NONE)
				continue;
			x0 = sx(&c, (double)s->s_t[i]);
			x1 = sx(&c, (double)s->s_t[j < s->s_n ? j : j - 1]);
			if (x1 - x0 < 1)
				x1 = x0 + 1;
			hstr(tip, sizeof(tip), "pid %d (%s): %s from %s to %s",
			    ln->sl_pid, ln->sl_name, pstate_words[st],
			    secs(s->s_t[i], t0, sizeof(t0)),
			    secs(s->s_t[j < s->s_n ? j : j - 1], t1,
				sizeof(t1)));
			hput(o,
			    "<rect class=\"%s\" x=\"%d\" y=\"%d\" "
			    "width=\"%d\" height=\"%d\"",
			    pstate_classes[st], x0, lanetop + 2, x1 - x0,
			    LANE_H - 4);
			attr(o, "data-tip", tip);
			hput(o, "/>\n");
		}
		hput(o, "<path class=\"rss\" d=\"");
		path_begin(&pw, o);
		for (n = 0; n < dr->dr_n; n++) {
			i = dr->dr_i[n];
			if (ln->sl_s[i].ps_state == PS_NONE)
				continue;
			path_pt(&pw, dr->dr_x[n],
			    lanetop + LANE_H - 2 -
				(int)(ln->sl_s[i].ps_rss * (LANE_H - 4) /
				    maxrss));
		}
		path_end(&pw);
		hput(o, "\"/>\n");
		for (i = 0; i < s->s_nevents; i++) {
			const struct series_event *e = &s->s_events[i];

			if (e->se_pid != ln->sl_pid ||
			    e->se_kind == VMEV_PDWAKE)
				continue;
			event_tip(e, tip, sizeof(tip));
			hput(o,
			    "<circle class=\"event %s\" cx=\"%d\" "
			    "cy=\"%d\" r=\"4\"",
			    ev_classes[e->se_kind], sx(&c, (double)e->se_t),
			    lanetop + LANE_H / 2);
			attr(o, "data-tip", tip);
			hput(o, "/>\n");
		}
		hput(o, "</g>\n");
	}
	hput(o, "</svg></section>\n");
}

/* ---- snapshots ---- */

/* a page's kind, as the address-space picture colours it */
enum cellkind { CK_NONE, CK_SWAP, CK_OBJ, CK_ANON, CK_SHARED, CK_N };
static const char *const cell_classes[CK_N] = { "c-none", "c-swap", "c-obj",
	"c-anon", "c-shared" };
static const char *const cell_words[CK_N] = { "not resident, no data yet",
	"in swap only", "object page", "anon page, private",
	"anon page, shared" };

/*
 * cell_kind: a page of entry en is shared when its anon is in more than
 * one amap (after a copy-on-write copied the amap) or its amap is in
 * more than one entry (after fork, until the first write copies it)
 */
static enum cellkind
cell_kind(const struct series_spage *p, const struct series_sentry *en)
{
	if (p->sp_anon != 0 && (p->sp_anonrefs > 1 || en->se_amaprefs > 1))
		return CK_SHARED;
	if (p->sp_anon != 0 && (p->sp_flags & SPF_RESIDENT))
		return CK_ANON;
	if (p->sp_slot >= 0 && !(p->sp_flags & SPF_RESIDENT))
		return CK_SWAP;
	if (p->sp_flags & SPF_RESIDENT)
		return CK_OBJ;
	return CK_NONE;
}

/*
 * A cell of an address-space picture carries its numbers, not its tip:
 * the script makes the words when the cell is hovered (pageTip,
 * groupTip).  Most of the picture is cells, and formatting each one's
 * words was most of the cost of drawing it.
 *
 * A cell of one page has data-pg="VA FRAME ANON REFS SLOT FLAGS AMAP
 * AMAPREFS": the page's address in hex, its frame (-1: none), its
 * anon's number and references (0 0: none), its swap slot (-1: none),
 * its SPF_* flags, and, for an anon of an amap several entries hold,
 * that amap's number and holders (0 0 otherwise).
 *
 * A cell of several pages, or a run of untouched ones, has
 * data-grp="VA END PAGES SHARED PRIVATE OBJECT SWAP UNTOUCHED": its
 * first address and its end in hex, and how many of its pages are of
 * each kind (cell_kind).
 */

/* xyw: a rect's ` x="X" y="Y" width="W"' */
static void
xyw(struct hout *o, int x, int y, int w)
{
	HLIT(o, " x=\"");
	hnum(o, 0, x);
	HLIT(o, "\" y=\"");
	hnum(o, 0, y);
	HLIT(o, "\" width=\"");
	hnum(o, 0, w);
	hout_c(o, '"');
}

/* cell_open: a cell's rect up to its data attribute */
static void
cell_open(struct hout *o, int kind, bool wired, bool ahead, bool mod, int x,
    int y, int w, int refs)
{
	HLIT(o, "<rect class=\"page ");
	hout_mem(o, cell_classes[kind], strlen(cell_classes[kind]));
	if (wired)
		HLIT(o, " wired");
	if (ahead && kind != CK_NONE)
		HLIT(o, " ahead");
	if (mod)
		HLIT(o, " mod");
	hout_c(o, '"');
	xyw(o, x, y, w);
	HLIT(o, " height=\"14\"");
	if (kind == CK_SHARED) {
		HLIT(o, " data-refs=\"");
		hnum(o, 0, refs);
		hout_c(o, '"');
	}
}

static void
page_cell(struct hout *o, const struct series_spage *p,
    const struct series_sentry *en, int kind, bool wired, bool ahead, bool mod,
    int x, int y, int refs)
{
	bool amap = p->sp_anon != 0 && en->se_amaprefs > 1;

	cell_open(o, kind, wired, ahead, mod, x, y, CELL_W - 1, refs);
	HLIT(o, " data-pg=\"");
	hout_num(o, 0, p->sp_va, false, 16);
	hnum(o, ' ', (p->sp_flags & SPF_RESIDENT) ? p->sp_pfn : -1);
	hnum(o, ' ', p->sp_anon);
	hnum(o, ' ', p->sp_anonrefs);
	hnum(o, ' ', p->sp_slot);
	hnum(o, ' ', p->sp_flags);
	hnum(o, ' ', amap ? en->se_amap : 0);
	hnum(o, ' ', amap ? en->se_amaprefs : 0);
	HLIT(o, "\"/>\n");
}

/* a cell of the pages from va to end, cnt[] of them of each kind */
static void
group_cell(struct hout *o, vaddr_t va, vaddr_t end, const int *cnt, int kind,
    bool wired, bool ahead, bool mod, int x, int y, int w, int refs)
{
	int k, n = 0;

	for (k = 0; k < CK_N; k++)
		n += cnt[k];
	cell_open(o, kind, wired, ahead, mod, x, y, w, refs);
	HLIT(o, " data-grp=\"");
	hout_num(o, 0, va, false, 16);
	hout_num(o, ' ', end, false, 16);
	hnum(o, ' ', n);
	hnum(o, ' ', cnt[CK_SHARED]);
	hnum(o, ' ', cnt[CK_ANON]);
	hnum(o, ' ', cnt[CK_OBJ]);
	hnum(o, ' ', cnt[CK_SWAP]);
	hnum(o, ' ', cnt[CK_NONE]);
	HLIT(o, "\"/>\n");
}

static const char *const inh_words[] = { "share", "copy", "none", "zero" };

/* one process's address space, entry by entry, page by page */
static void
draw_aspace(struct hout *o, const struct series_sproc *sp)
{
	int e, i, group, ncells, h, kp;
	vaddr_t pgsz;
	char tip[240], prot[4];

	h = 20 + 18 * MAX(sp->ss_nentries, 1);
	hput(o,
	    "<svg class=\"aspace\" data-pid=\"%d\" viewBox=\"0 0 %d %d\" "
	    "width=\"%d\" height=\"%d\" role=\"img\">\n",
	    sp->ss_pid, CHART_W, h, CHART_W, h);
	hput(o, "<text class=\"ahead\" x=\"0\" y=\"13\">pid %d (", sp->ss_pid);
	esc(o, sp->ss_name);
	hput(o, "): %d entries, %ld pages resident</text>\n", sp->ss_nentries,
	    sp->ss_rss);
	for (e = 0; e < sp->ss_nentries; e++) {
		const struct series_sentry *en = &sp->ss_entries[e];
		int y = 20 + 18 * e;

		prot[0] = (en->se_prot & 1) ? 'r' : '-';
		prot[1] = (en->se_prot & 2) ? 'w' : '-';
		prot[2] = (en->se_prot & 4) ? 'x' : '-';
		prot[3] = '\0';
		hstr(tip, sizeof(tip), "0x%llx-0x%llx %s, inherit %s%s, %s%s%s",
		    (unsigned long long)en->se_start,
		    (unsigned long long)en->se_end, prot,
		    en->se_inherit >= 0 && en->se_inherit < 4 ?
			inh_words[en->se_inherit] :
			"?",
		    en->se_wired ? ", wired" : "", en->se_maps,
		    en->se_needscopy ? ", needs-copy" : "",
		    en->se_cow ? ", copy-on-write" : "");
		hput(o, "<g class=\"entry\"");
		attr(o, "data-tip", tip);
		hput(o, "><text class=\"elabel\" x=\"0\" y=\"%d\">", y + 11);
		hput(o, "%08llx %s %-5s ", (unsigned long long)en->se_start,
		    prot,
		    en->se_inherit >= 0 && en->se_inherit < 4 ?
			inh_words[en->se_inherit] :
			"?");
		esc(o, en->se_maps);
		hput(o, "</text></g>\n");
		group = (en->se_npages + ASPACE_MAXCELLS - 1) / ASPACE_MAXCELLS;
		group = MAX(group, 1);
		ncells = (en->se_npages + group - 1) / group;
		pgsz = en->se_npages > 0 ?
		    (en->se_end - en->se_start) / (vaddr_t)en->se_npages :
		    1;
		for (i = 0, kp = 0; i < ncells; i++) {
			int cnt[CK_N] = { 0 }, best = CK_NONE, k, span;
			int refs = 0, end;
			bool wired = false, ahead = true, mod = false;

			/* cells with no kept page: untouched, one mark */
			end = kp < en->se_nkept ?
			    (int)((en->se_pages[kp].sp_va - en->se_start) /
				pgsz / (vaddr_t)group) :
			    ncells;
			if (end > i) {
				cnt[CK_NONE] =
				    MIN(en->se_npages, end * group) - i * group;
				group_cell(o,
				    en->se_start + (vaddr_t)(i * group) * pgsz,
				    MIN(en->se_end,
					en->se_start +
					    (vaddr_t)(end * group) * pgsz),
				    cnt, CK_NONE, false, false, false,
				    330 + i * CELL_W, y, (end - i) * CELL_W - 1,
				    0);
				i = end - 1;
				continue;
			}
			const struct series_spage *p0 = NULL;
			vaddr_t lo = en->se_start + (vaddr_t)(i * group) * pgsz;
			vaddr_t hi = lo + (vaddr_t)group * pgsz;

			span = MIN(en->se_npages, (i + 1) * group) - i * group;
			/* the kept pages in the cell; the others untouched */
			for (; kp < en->se_nkept && en->se_pages[kp].sp_va < hi;
			     kp++) {
				const struct series_spage *p =
				    &en->se_pages[kp];

				if (p->sp_va == lo)
					p0 = p;
				k = cell_kind(p, en);
				cnt[k]++;
				best = MAX(best, k);
				if (k == CK_SHARED)
					refs = MAX(refs,
					    MAX(p->sp_anonrefs,
						en->se_amaprefs));
				wired |= (p->sp_flags & SPF_WIRED) != 0;
				mod |= (p->sp_flags & SPF_MOD) != 0;
				if (!(p->sp_flags & SPF_MAPPED) ||
				    (p->sp_flags & SPF_USED))
					ahead = false;
			}
			cnt[CK_NONE] += span -
			    (cnt[CK_NONE] + cnt[CK_SWAP] + cnt[CK_OBJ] +
				cnt[CK_ANON] + cnt[CK_SHARED]);
			if (cnt[CK_NONE] > 0)
				ahead = false;
			if (group == 1 && p0 != NULL)
				page_cell(o, p0, en, best, wired, ahead, mod,
				    330 + i * CELL_W, y, refs);
			else
				group_cell(o, lo, MIN(hi, en->se_end), cnt,
				    best, wired, ahead, mod, 330 + i * CELL_W,
				    y, CELL_W - 1, refs);
		}
	}
	hput(o, "</svg>\n");
}

/* a node of the copy-on-write graph */
static void
cow_node(struct hout *o, const char *cls, int x, int y, int w, const char *text,
    const char *tip, int refs)
{
	HLIT(o, "<g class=\"");
	hs(o, cls);
	hout_c(o, '"');
	if (refs > 0) {
		HLIT(o, " data-refs=\"");
		hnum(o, 0, refs);
		hout_c(o, '"');
	}
	attr(o, "data-tip", tip);
	HLIT(o, "><rect");
	xyw(o, x, y, w);
	HLIT(o, " height=\"18\" rx=\"4\"/><text x=\"");
	hnum(o, 0, x + 5);
	HLIT(o, "\" y=\"");
	hnum(o, 0, y + 13);
	HLIT(o, "\">");
	esc(o, text);
	HLIT(o, "</text></g>\n");
}

static void
cow_edge(struct hout *o, const char *cls, int x0, int y0, int x1, int y1)
{
	HLIT(o, "<path class=\"edge ");
	hs(o, cls);
	HLIT(o, "\" d=\"");
	PT(o, 'M', x0, y0 + 9);
	PT(o, 'C', (x0 + x1) / 2, y0 + 9);
	PT(o, ' ', (x0 + x1) / 2, y1 + 9);
	PT(o, ' ', x1, y1 + 9);
	HLIT(o, "\"/>\n");
}

/*
 * draw_cowgraph: processes -> their amaps -> the anons shared between
 * amaps (one node each, up to COW_MAXANONS) and each amap's private
 * anons as one node -> the page frames of the shared anons.
 */
static void
draw_cowgraph(struct hout *o, const struct series_snap *sn)
{
	const int X[] = { 0, 200, 420, 660 }, W[] = { 180, 190, 210, 150 };
	int *amap_y = calloc((size_t)sn->sn_namaps + 1, sizeof(int));
	int *amap_priv = calloc((size_t)sn->sn_namaps + 1, sizeof(int));
	int *amap_refs = calloc((size_t)sn->sn_namaps + 1, sizeof(int));
	int *anon_y = calloc((size_t)sn->sn_nanons + 1, sizeof(int));
	int *anon_pfn = calloc((size_t)sn->sn_nanons + 1, sizeof(int));
	int *anon_refs = calloc((size_t)sn->sn_nanons + 1, sizeof(int));
	char *edge_seen =
	    calloc(((size_t)sn->sn_namaps + 1) * ((size_t)COW_MAXANONS + 1), 1);
	int i, e, j, a, ny[4] = { 0 }, nshared = 0, more = 0, h;
	char text[96], tip[200];

	if (!amap_y || !amap_priv || !amap_refs || !anon_y || !anon_pfn ||
	    !anon_refs || !edge_seen)
		goto out;
	/* the rows: amaps and shared anons in order of their numbers */
	for (i = 0; i < sn->sn_nprocs; i++)
		for (e = 0; e < sn->sn_procs[i].ss_nentries; e++) {
			const struct series_sentry *en =
			    &sn->sn_procs[i].ss_entries[e];

			if (en->se_amap == 0)
				continue;
			amap_refs[en->se_amap] = en->se_amaprefs;
			for (j = 0; j < en->se_nkept; j++) {
				const struct series_spage *p = &en->se_pages[j];

				if (p->sp_anon == 0)
					continue;
				anon_refs[p->sp_anon] = p->sp_anonrefs;
				anon_pfn[p->sp_anon] =
				    (p->sp_flags & SPF_RESIDENT) ? p->sp_pfn :
								   -1;
			}
		}
	for (a = 1; a <= sn->sn_namaps; a++)
		amap_y[a] = -1;
	for (a = 1; a <= sn->sn_nanons; a++) {
		anon_y[a] = -1;
		if (anon_refs[a] > 1) {
			if (nshared < COW_MAXANONS)
				anon_y[a] = nshared;
			else
				more++;
			nshared++;
		}
	}
	h = 40;
	for (i = 0; i < sn->sn_nprocs; i++)
		h += 24 * MAX(sn->sn_procs[i].ss_nentries, 1);
	h = MAX(h, 40 + 24 * (MIN(nshared, COW_MAXANONS) + 2));
	hput(o,
	    "<svg class=\"cowgraph\" viewBox=\"0 0 %d %d\" width=\"%d\" "
	    "height=\"%d\" role=\"img\">\n",
	    CHART_W, h, CHART_W, h);
	hput(o,
	    "<text class=\"ahead\" x=\"0\" y=\"12\">processes</text>"
	    "<text class=\"ahead\" x=\"200\" y=\"12\">amaps</text>"
	    "<text class=\"ahead\" x=\"420\" y=\"12\">anons</text>"
	    "<text class=\"ahead\" x=\"660\" y=\"12\">page frames"
	    "</text>\n");
	/* processes and amaps */
	for (i = 0; i < sn->sn_nprocs; i++) {
		const struct series_sproc *sp = &sn->sn_procs[i];
		int py = 24 + 24 * ny[0];

		hstr(text, sizeof(text), "pid %d %s", sp->ss_pid, sp->ss_name);
		hstr(tip, sizeof(tip),
		    "pid %d (%s): %d entries, %ld "
		    "pages resident",
		    sp->ss_pid, sp->ss_name, sp->ss_nentries, sp->ss_rss);
		cow_node(o, "proc", X[0], py, W[0], text, tip, 0);
		ny[0] += MAX(sp->ss_nentries, 1);
		for (e = 0; e < sp->ss_nentries; e++) {
			const struct series_sentry *en = &sp->ss_entries[e];

			a = en->se_amap;
			if (a == 0)
				continue;
			if (amap_y[a] < 0) {
				amap_y[a] = ny[1]++;
				hstr(text, sizeof(text), "amap#%d, %d ref%s", a,
				    amap_refs[a], amap_refs[a] == 1 ? "" : "s");
				hstr(tip, sizeof(tip),
				    "amap#%d: %d reference%s%s", a,
				    amap_refs[a], amap_refs[a] == 1 ? "" : "s",
				    amap_refs[a] > 1 ?
					" -- shared: a write copies it first "
					"(needs-copy)" :
					"");
				cow_node(o,
				    amap_refs[a] > 1 ? "amap shared" : "amap",
				    X[1], 24 + 24 * amap_y[a], W[1], text, tip,
				    amap_refs[a]);
			}
			cow_edge(o, en->se_needscopy ? "needs-copy" : "",
			    X[0] + W[0], py, X[1], 24 + 24 * amap_y[a]);
		}
	}
	/* anons: shared ones one by one, each amap's private ones as one */
	for (a = 1; a <= sn->sn_nanons; a++) {
		if (anon_y[a] < 0)
			continue;
		hstr(text, sizeof(text), "anon#%d, %d refs", a, anon_refs[a]);
		hstr(tip, sizeof(tip), "anon#%d: shared by %d amaps; %s", a,
		    anon_refs[a],
		    anon_pfn[a] >= 0 ? "resident" : "not resident");
		cow_node(o, "anon shared", X[2], 24 + 24 * anon_y[a], W[2],
		    text, tip, anon_refs[a]);
		if (anon_pfn[a] >= 0) {
			hstr(text, sizeof(text), "frame %d", anon_pfn[a]);
			hstr(tip, sizeof(tip),
			    "page frame %d: one copy of the data for %d "
			    "processes' pages",
			    anon_pfn[a], anon_refs[a]);
			cow_node(o, "frame", X[3], 24 + 24 * anon_y[a], W[3],
			    text, tip, 0);
			cow_edge(o, "", X[2] + W[2], 24 + 24 * anon_y[a], X[3],
			    24 + 24 * anon_y[a]);
		}
	}
	ny[2] = MIN(nshared, COW_MAXANONS);
	if (more > 0) {
		hstr(text, sizeof(text), "and %d more shared", more);
		hstr(tip, sizeof(tip),
		    "%d more anons shared between amaps (not drawn)", more);
		cow_node(o, "anon shared more", X[2], 24 + 24 * ny[2]++, W[2],
		    text, tip, 2);
	}
	for (i = 0; i < sn->sn_nprocs; i++)
		for (e = 0; e < sn->sn_procs[i].ss_nentries; e++) {
			const struct series_sentry *en =
			    &sn->sn_procs[i].ss_entries[e];

			if ((a = en->se_amap) == 0)
				continue;
			for (j = 0; j < en->se_nkept; j++) {
				const struct series_spage *p = &en->se_pages[j];
				int y;

				if (p->sp_anon == 0)
					continue;
				if (anon_y[p->sp_anon] < 0) {
					if (anon_refs[p->sp_anon] <= 1)
						amap_priv[a]++;
					continue;
				}
				y = anon_y[p->sp_anon];
				if (edge_seen[a * (COW_MAXANONS + 1) + y])
					continue;
				edge_seen[a * (COW_MAXANONS + 1) + y] = 1;
				cow_edge(o, "share", X[1] + W[1],
				    24 + 24 * amap_y[a], X[2], 24 + 24 * y);
			}
		}
	for (a = 1; a <= sn->sn_namaps; a++) {
		if (amap_priv[a] == 0 || amap_y[a] < 0)
			continue;
		hstr(text, sizeof(text), "%d private anon%s", amap_priv[a],
		    amap_priv[a] == 1 ? "" : "s");
		hstr(tip, sizeof(tip),
		    "amap#%d's %d anon%s referenced by it alone", a,
		    amap_priv[a], amap_priv[a] == 1 ? "" : "s");
		cow_edge(o, "", X[1] + W[1], 24 + 24 * amap_y[a], X[2],
		    24 + 24 * ny[2]);
		cow_node(o, "anon private", X[2], 24 + 24 * ny[2]++, W[2], text,
		    tip, 0);
	}
	hput(o, "</svg>\n");
out:
	free(amap_y);
	free(amap_priv);
	free(amap_refs);
	free(anon_y);
	free(anon_pfn);
	free(anon_refs);
	free(edge_seen);
}

static void
draw_snapshots(struct hout *o, const struct series *s)
{
	int n, i;
	char t[32];

	hput(o,
	    "<section id=\"snapshots\"><h2>Address spaces</h2>\n"
	    "<p>At each snapshot: every process's map entries with "
	    "one cell per page (hover for the page), and the "
	    "copy-on-write structure between them.</p>\n");
	legend(o, cell_words, cell_classes, CK_N);
	hput(o,
	    "<p class=\"legend\"><span><i class=\"c-anon ahead\"></i>"
	    "mapped ahead by the fault, not used since</span>"
	    "<span><i class=\"c-anon wired\"></i>wired</span></p>\n");
	for (n = 0; n < s->s_nsnaps; n++) {
		const struct series_snap *sn = &s->s_snaps[n];

		hput(o, "<figure class=\"snapshot\"");
		attr(o, "data-label", sn->sn_label);
		hput(o, "><figcaption>");
		esc(o, sn->sn_label);
		hput(o,
		    " at %s: %d process%s, %d amap%s, %d anon%s"
		    "</figcaption>\n",
		    secs(sn->sn_t, t, sizeof(t)), sn->sn_nprocs,
		    sn->sn_nprocs == 1 ? "" : "es", sn->sn_namaps,
		    sn->sn_namaps == 1 ? "" : "s", sn->sn_nanons,
		    sn->sn_nanons == 1 ? "" : "s");
		for (i = 0; i < sn->sn_nprocs; i++)
			draw_aspace(o, &sn->sn_procs[i]);
		draw_cowgraph(o, sn);
		hput(o, "</figure>\n");
	}
	hput(o, "</section>\n");
}

/* ---- replay ---- */

static const char *const line_classes[] = { "k0", "k1", "k2", "k3", "k4", "k5",
	"k6", "k7", "k8", "k9" };

static void
draw_mrc(struct hout *o, const struct html_doc *d)
{
	struct chart c = { 0, 1, 0, 1, CHART_W, CHART_H + 60, false, 0, 0 };
	char tip[160];
	int k, i, step;

	for (k = 0; k < d->hd_ncurves; k++)
		for (i = 0; i < d->hd_curves[k].hc_n; i++)
			c.x1 = MAX(c.x1, (double)d->hd_curves[k].hc_frames[i]);
	hput(o,
	    "<section id=\"mrc\"><h2>Miss-ratio curves</h2>\n"
	    "<p>Misses per reference at each memory size, one curve "
	    "per policy; OPT's is the floor no policy goes under.</p>\n"
	    "<p class=\"legend\">");
	for (k = 0; k < d->hd_ncurves; k++) {
		hput(o, "<span><i class=\"%s\"></i>",
		    line_classes[k % __arraycount(line_classes)]);
		esc(o, d->hd_curves[k].hc_policy);
		hput(o, "</span>");
	}
	hput(o, "</p>\n");
	chart_begin(o, &c, "mrc", "miss-ratio curves", "miss ratio", false,
	    "memory (page frames)");
	for (k = 0; k < d->hd_ncurves; k++) {
		const struct html_curve *hc = &d->hd_curves[k];

		hput(o, "<path class=\"curve line %s\"",
		    line_classes[k % __arraycount(line_classes)]);
		attr(o, "data-policy", hc->hc_policy);
		hput(o, " d=\"");
		for (i = 0; i < hc->hc_n; i++)
			PT(o, i ? 'L' : 'M', sx(&c, (double)hc->hc_frames[i]),
			    sy(&c, hc->hc_ratio[i]));
		hput(o, "\"/>\n");
		/* points to hover, at most about 60 per curve */
		step = MAX(1, hc->hc_n / 60);
		for (i = 0; i < hc->hc_n; i += step) {
			snprintf(tip, sizeof(tip),
			    "%s: %" PRIu64 " frames, miss ratio %.4f",
			    hc->hc_policy, hc->hc_frames[i], hc->hc_ratio[i]);
			hput(o,
			    "<circle class=\"pt %s\" cx=\"%d\" cy=\"%d\" "
			    "r=\"3\"",
			    line_classes[k % __arraycount(line_classes)],
			    sx(&c, (double)hc->hc_frames[i]),
			    sy(&c, hc->hc_ratio[i]));
			attr(o, "data-tip", tip);
			hput(o, "/>\n");
		}
	}
	hput(o, "</svg></section>\n");
}

static void
draw_workingset(struct hout *o, const struct html_doc *d)
{
	struct chart c = { 0, 1, 0, 1, CHART_W, CHART_H + 40, false, 0, 0 };
	char tip[160];
	int k, i, step;

	for (k = 0; k < d->hd_nlines; k++)
		for (i = 0; i < d->hd_lines[k].hl_n; i++) {
			c.x1 = MAX(c.x1, (double)d->hd_lines[k].hl_x[i]);
			c.y1 = MAX(c.y1, (double)d->hd_lines[k].hl_y[i]);
		}
	hput(o,
	    "<section id=\"workingset\"><h2>Working set</h2>\n"
	    "<p>Denning's working set W(t, &#964;): the distinct pages "
	    "of the last &#964; references, beside the pages the "
	    "full VM kept resident over the same references.</p>\n"
	    "<p class=\"legend\">");
	for (k = 0; k < d->hd_nlines; k++) {
		hput(o, "<span><i class=\"%s\"></i>",
		    line_classes[k % __arraycount(line_classes)]);
		esc(o, d->hd_lines[k].hl_name);
		hput(o, "</span>");
	}
	hput(o, "</p>\n");
	chart_begin(o, &c, "ws", "working set", "pages", false,
	    "references replayed");
	for (k = 0; k < d->hd_nlines; k++) {
		const struct html_line *hl = &d->hd_lines[k];

		hput(o, "<path class=\"wsline line %s\"",
		    line_classes[k % __arraycount(line_classes)]);
		attr(o, "data-name", hl->hl_name);
		hput(o, " d=\"");
		for (i = 0; i < hl->hl_n; i++)
			PT(o, i ? 'L' : 'M', sx(&c, (double)hl->hl_x[i]),
			    sy(&c, (double)hl->hl_y[i]));
		hput(o, "\"/>\n");
		step = MAX(1, hl->hl_n / 40);
		for (i = 0; i < hl->hl_n; i += step) {
			hstr(tip, sizeof(tip),
			    "%s at reference %" PRIu64 ": %" PRIu64 " pages",
			    hl->hl_name, hl->hl_x[i], hl->hl_y[i]);
			hput(o,
			    "<circle class=\"pt %s\" cx=\"%d\" cy=\"%d\" "
			    "r=\"3\"",
			    line_classes[k % __arraycount(line_classes)],
			    sx(&c, (double)hl->hl_x[i]),
			    sy(&c, (double)hl->hl_y[i]));
			attr(o, "data-tip", tip);
			hput(o, "/>\n");
		}
	}
	hput(o, "</svg></section>\n");
}

/* ---- the page ---- */

static const char css[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;"
    "max-width:1000px}"
    "h1{font-size:1.5em}h2{margin-top:1.6em;border-bottom:1px solid #ccc}"
    "svg{display:block;margin:.4em 0;overflow:visible}"
    "text{font:11px monospace;fill:#333}.axl{font:12px sans-serif}"
    ".grid{stroke:#eee}.tick{stroke:#999}"
    ".line{fill:none;stroke-width:1.6}"
    ".legend span{margin-right:1.2em;white-space:nowrap}"
    ".legend i{display:inline-block;width:.9em;height:.9em;"
    "margin-right:.3em;vertical-align:-.1em;border:1px solid #0003}"
    ".hover{fill:transparent}"
    ".m-wired{fill:#7b4f9d;background:#7b4f9d}"
    ".m-active{fill:#d9534f;background:#d9534f}"
    ".m-inactive{fill:#f0ad4e;background:#f0ad4e}"
    ".m-free{fill:#8fd19e;background:#8fd19e}"
    ".m-other{fill:#c8c8c8;background:#c8c8c8}"
    ".m-swap{stroke:#2a6fb0;background:#2a6fb0}"
    ".f-1a,.p-in,.k0{stroke:#1f77b4;background:#1f77b4;fill:#1f77b4}"
    ".f-1b,.p-out,.k1{stroke:#d62728;background:#d62728;fill:#d62728}"
    ".f-2a,.p-scan,.k2{stroke:#2ca02c;background:#2ca02c;fill:#2ca02c}"
    ".f-2b,.p-freed,.k3{stroke:#9467bd;background:#9467bd;fill:#9467bd}"
    ".f-zero,.p-woke,.k4{stroke:#ff7f0e;background:#ff7f0e;fill:#ff7f0e}"
    ".k5{stroke:#8c564b;background:#8c564b;fill:#8c564b}"
    ".k6{stroke:#e377c2;background:#e377c2;fill:#e377c2}"
    ".k7{stroke:#7f7f7f;background:#7f7f7f;fill:#7f7f7f}"
    ".k8{stroke:#bcbd22;background:#bcbd22;fill:#bcbd22}"
    ".k9{stroke:#17becf;background:#17becf;fill:#17becf}"
    "path.line,path.curve,path.wsline{fill:none}"
    ".event line{stroke:#0005;stroke-dasharray:2 2}"
    ".event path,circle.event{stroke:#000;stroke-width:.6}"
    ".ev-fork{fill:#1f77b4}.ev-exit{fill:#555}.ev-signal{fill:#d62728}"
    ".ev-core{fill:#000}.ev-swapout{fill:#9467bd}.ev-swapin{fill:#2ca02c}"
    ".ev-pdwake{fill:#ff7f0e}"
    ".s-running{fill:#2ca02c;background:#2ca02c}"
    ".s-runnable{fill:#98df8a;background:#98df8a}"
    ".s-asleep{fill:#aec7e8;background:#aec7e8}"
    ".s-asleep-long{fill:#6f8fbf;background:#6f8fbf}"
    ".s-swapped{fill:#9467bd;background:#9467bd}"
    ".s-stopped{fill:#ffbb78;background:#ffbb78}"
    ".s-zombie{fill:#999;background:#999}"
    ".rss{fill:none;stroke:#000;stroke-width:1.2}"
    ".c-none{fill:#eee;background:#eee}.c-swap{fill:#9467bd;"
    "background:#9467bd}.c-obj{fill:#2ca02c;background:#2ca02c}"
    ".c-anon{fill:#1f77b4;background:#1f77b4}"
    ".c-shared{fill:#ff7f0e;background:#ff7f0e}"
    ".page.ahead,i.ahead{opacity:.45}.page.wired,i.wired{stroke:#000;"
    "stroke-width:1.5;border:2px solid #000}"
    ".cowgraph rect{fill:#f7f7f7;stroke:#888}"
    ".cowgraph .proc rect{fill:#dde8f5}"
    ".cowgraph .amap.shared rect{fill:#fde0c5;stroke:#ff7f0e}"
    ".cowgraph .anon.shared rect{fill:#ff7f0e;stroke:#b35900}"
    ".cowgraph .anon.private rect{fill:#cfe2f3}"
    ".cowgraph .frame rect{fill:#eee}"
    ".edge{fill:none;stroke:#888}.edge.share{stroke:#ff7f0e}"
    ".edge.needs-copy{stroke-dasharray:4 3}"
    "figure{margin:1em 0;padding:.5em;border:1px solid #ddd}"
    "figcaption{font-weight:bold}"
    "#tip{position:fixed;display:none;background:#222;color:#fff;"
    "padding:3px 7px;border-radius:3px;font:12px monospace;"
    "pointer-events:none;white-space:pre;z-index:9}"
    ".meta{color:#555}";

/* pageTip reads these SPF_* flags by value */
_Static_assert(SPF_MAPPED == 1 && SPF_WIRED == 2 && SPF_MOD == 8 &&
	SPF_OBJECT == 16 && SPF_USED == 64,
    "the script's pageTip reads the SPF_* flags by value");

/*
 * The script: the tip of the mark under the pointer; for the charts over
 * time, the sample under it, from the data block.
 */
static const char script[] =
    "(function(){\n"
    "var tip=document.getElementById('tip');\n"
    "var el=document.getElementById('series');\n"
    "var D=el?JSON.parse(el.textContent):null;\n"
    "function show(e,t){tip.textContent=t;tip.style.display='block';\n"
    " tip.style.left=(e.clientX+14)+'px';tip.style.top=(e.clientY+10)+"
    "'px';}\n"
    /* a page cell's tip from its data-pg (page_cell); SPF_* flags */
    "function pageTip(a){var v=a.split(' '),f=+v[5],"
    "s='0x'+v[0]+': '+(v[1]>=0?'frame '+v[1]:'not resident');\n"
    " if(+v[2])s+=', anon#'+v[2]+' ('+v[3]+' ref'+(v[3]==='1'?'':'s')+')';\n"
    " else if(f&16)s+=\", object's page\";\n"
    " if(+v[4]>=0)s+=', swap slot '+v[4];\n"
    " s+=(f&1?', mapped':', not mapped')+(f&64?', used':f&1?"
    "', not used (mapped ahead)':'')+(f&8?', modified':'')+"
    "(f&2?', wired':'');\n"
    " if(+v[6])s+=', amap#'+v[6]+' in '+v[7]+' entries';return s;}\n"
    /* a cell of several pages' tip from its data-grp (group_cell) */
    "function groupTip(a){var v=a.split(' '),n=+v[2];\n"
    " if(+v[7]===n)return n===1?'0x'+v[0]+': untouched (zero-filled when "
    "first touched)':'0x'+v[0]+'-0x'+v[1]+': '+n+' pages untouched "
    "(zero-filled when first touched)';\n"
    " return '0x'+v[0]+', '+n+' pages: '+v[3]+' shared, '+v[4]+' private, "
    "'+v[5]+' object, '+v[6]+' in swap, '+v[7]+' untouched';}\n"
    "function near(x){var t=D.t,lo=0,hi=t.length-1;while(lo<hi){"
    "var m=(lo+hi)>>1;if(t[m]<x)lo=m+1;else hi=m;}\n"
    " if(lo>0&&x-t[lo-1]<t[lo]-x)lo--;return lo;}\n"
    "function sample(r,e){var b=r.getBoundingClientRect();\n"
    " var x0=+r.dataset.x0,x1=+r.dataset.x1;\n"
    " var x=x0+(e.clientX-b.left)/b.width*(x1-x0),i=near(x);\n"
    " var s=(D.t[i]/1e6).toFixed(3)+' s';\n"
    " r.dataset.keys.split(',').forEach(function(k){var v=D.c[k][i];\n"
    "  if(r.dataset.rate==='1'){var dt=i>0?D.t[i]-D.t[i-1]:0;\n"
    "   v=dt>0?Math.round((v-D.c[k][i-1])*1e6/dt)+'/s':'-';}\n"
    "  s+='\\n'+k+': '+v;});return s;}\n"
    "document.addEventListener('mousemove',function(e){\n"
    " var t=e.target;\n"
    " if(t.classList&&t.classList.contains('hover')&&D){"
    "show(e,sample(t,e));return;}\n"
    " while(t&&t.getAttribute&&!t.getAttribute('data-tip')&&"
    "!t.getAttribute('data-pg')&&!t.getAttribute('data-grp'))"
    "t=t.parentNode;\n"
    " if(t&&t.getAttribute&&t.getAttribute('data-pg'))"
    "show(e,pageTip(t.getAttribute('data-pg')));\n"
    " else if(t&&t.getAttribute&&t.getAttribute('data-grp'))"
    "show(e,groupTip(t.getAttribute('data-grp')));\n"
    " else if(t&&t.getAttribute&&t.getAttribute('data-tip'))"
    "show(e,t.getAttribute('data-tip'));\n"
    " else tip.style.display='none';});\n"
    "document.body.dataset.ready='1';\n"
    "})();\n";

/*
 * the data the charts over time hover over: times and counters at the
 * samples the lines are drawn through (next_pt)
 */
static void
series_data(struct hout *o, const struct series *s, const struct drawn *dr)
{
	int c, n;

	hput(o, "<script type=\"application/json\" id=\"series\">{\"t\":[");
	for (n = 0; n < dr->dr_n; n++)
		hnum(o, n ? ',' : 0, (long long)s->s_t[dr->dr_i[n]]);
	hput(o, "],\"c\":{");
	for (c = 0; c < SC_N; c++) {
		hput(o, "%s\"%s\":[", c ? "," : "", series_ctr_name(c));
		for (n = 0; n < dr->dr_n; n++)
			hnum(o, n ? ',' : 0,
			    (long long)s->s_ctr[dr->dr_i[n]][c]);
		hput(o, "]");
	}
	hput(o, "}}</script>\n");
}

int
html_write(const char *path, const struct html_doc *d)
{
	static char buf[HOUT_BUFSZ];
	struct hout out = { buf, buf + sizeof(buf), buf, NULL, 0 }, *o = &out;
	const struct series *s = d->hd_series;
	/* errors are said as the command's other errors are */
	const char *cmd = strcmp(d->hd_kind, "replay") == 0 ? "replay: " : "";
	struct drawn dr;

	if ((out.ho_f = outfile_open(path)) == NULL) {
		fprintf(stderr, "uvmsim: %s--html %s: %s\n", cmd, path,
		    strerror(errno));
		return -1;
	}
	hput(o,
	    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
	    "charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" "
	    "content=\"default-src 'none'; style-src 'unsafe-inline'; "
	    "script-src 'unsafe-inline'; img-src data:\">\n<title>uvmsim: ");
	esc(o, d->hd_title);
	hput(o, "</title>\n<style>%s</style></head>\n", css);
	hput(o, "<body data-report=\"%s\">\n<h1>uvmsim %s: ", d->hd_kind,
	    d->hd_kind);
	esc(o, d->hd_title);
	hput(o, "</h1>\n<p class=\"meta\">");
	esc(o, d->hd_machine);
	hput(o, "</p>\n");
	if (s != NULL && s->s_n > 0) {
		hprintf(o,
		    "<p class=\"meta\">%d samples over %.3f s of "
		    "simulated time, %d process%s, %d event%s",
		    s->s_n, (double)s->s_t[s->s_n - 1] / 1e6, s->s_nlanes,
		    s->s_nlanes == 1 ? "" : "es", s->s_nevents,
		    s->s_nevents == 1 ? "" : "s");
		if (s->s_events_dropped > 0)
			hprintf(o, " (and %llu more not kept)",
			    (unsigned long long)s->s_events_dropped);
		hput(o, ".</p>\n");
		drawn_init(&dr, s);
		draw_memory(o, s, &dr);
		draw_faults(o, s, &dr);
		draw_lanes(o, s, &dr);
		if (s->s_nsnaps > 0)
			draw_snapshots(o, s);
	}
	if (d->hd_ncurves > 0)
		draw_mrc(o, d);
	if (d->hd_nlines > 0)
		draw_workingset(o, d);
	hput(o, "<div id=\"tip\"></div>\n");
	if (s != NULL && s->s_n > 0)
		series_data(o, s, &dr);
	hput(o, "<script>%s</script>\n</body></html>\n", script);
	(void)hout_flush(o);
	if (outfile_close(out.ho_f) != 0 || out.ho_err != 0) {
		fprintf(stderr, "uvmsim: %s--html %s: %s\n", cmd, path,
		    strerror(out.ho_err != 0 ? out.ho_err : errno));
		return -1;
	}
	return 0;
}

/*
 * html_run: --html for a scenario's run (or the demonstration): what
 * the time series recorded, drawn into path.
 *
 * => returns 0, or -1 with the reason on the standard error.
 */
int
html_run(struct srun *r, const char *path)
{
	struct html_doc d;
	char machine[256] = "";
	FILE *m = fmemopen(machine, sizeof(machine) - 1, "w");

	if (m != NULL) {
		report_machine(m, &r->sc->sc_mc);
		fclose(m);
	}
	machine[strcspn(machine, "\n")] = '\0';
	memset(&d, 0, sizeof(d));
	d.hd_kind = "run";
	d.hd_title = r->sc->sc_file;
	d.hd_machine = machine;
	d.hd_series = series_get();
	return html_write(path, &d);
}
