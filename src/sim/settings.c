/*
 * settings.c: the table of the machine's settings and the one parser of
 * their values, for the command line and the scenario file (settings.h).
 */

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim/scenario.h"
#include "sim/settings.h"
#include "sim/suggest.h"
#include "uvm/uvm_extern.h"

#define WRAP_COLUMN 78
#define HELP_COLUMN 21
#define PAGES_MAX   UINT32_MAX	     /* memory and swap in pages */
#define TIME_MAX_US (UINT64_MAX / 4) /* as the scenario's times */

const struct setting settings_table[] = {
	{ "memory", NULL, SETTING_MEMORY, ST_SIZE, "SIZE", "pages", 0, 0, NULL,
	    "physical memory, at least 16 pages" },
	{ "swap", NULL, SETTING_SWAP, ST_SIZE, "SIZE", "pages", 0, 0, NULL,
	    "swap disk" },
	{ "pagesize", NULL, SETTING_PAGESIZE, ST_SIZE, "SIZE", "bytes", 0, 0,
	    NULL, "page size, a power of two from 512 to 65536" },
	{ "upages", NULL, SETTING_UPAGES, ST_COUNT, "N", "pages",
	    MACHINE_UPAGES_MIN, MACHINE_UPAGES_MAX, NULL,
	    "pages per u-area, 8 KiB at least" },
	{ "maxslp", NULL, SETTING_MAXSLP, ST_COUNT, "SECONDS", "seconds",
	    MACHINE_MAXSLP_MIN, MACHINE_MAXSLP_MAX, NULL,
	    "asleep this long, a process may be swapped out" },
	{ "hz", NULL, SETTING_HZ, ST_COUNT, "N", NULL, MACHINE_HZ_MIN,
	    MACHINE_HZ_MAX, NULL, "clock ticks per second" },
	{ "policy", NULL, SETTING_POLICY, ST_NAME, "NAME", NULL, 0, 0,
	    "clock, fifo, lru", "page replacement: clock, fifo or lru" },
	{ "switch", NULL, SETTING_SWITCH, ST_NAME, "METHOD", NULL, 0, 0,
	    "asm, ucontext",
	    "context switch: asm or ucontext; the simulation is the same "
	    "with either" },
	{ "core-style", "corestyle", SETTING_CORESTYLE, ST_NAME, "STYLE", NULL,
	    0, 0, "host, netbsd",
	    "core notes: host (gdb reads them) or netbsd (a NetBSD-CORE "
	    "procinfo note)" },
	{ "seed", NULL, SETTING_SEED, ST_COUNT, "N", NULL, 0, UINT64_MAX, NULL,
	    "seed of the random touches" },
	{ "disk-seek", NULL, SETTING_DISKSEEK, ST_TIME, "TIME", NULL, 0, 0,
	    NULL, "swap disk: moving the head to a new place" },
	{ "disk-transfer", NULL, SETTING_DISKXFER, ST_TIME, "TIME", NULL, 0, 0,
	    NULL, "swap disk: transferring one page" },
	{ "quantum", NULL, SETTING_QUANTUM, ST_TIME, "TIME", NULL, 0, 0, NULL,
	    "round-robin time slice, in whole clock ticks" },
};
const int settings_n = __arraycount(settings_table);
_Static_assert(__arraycount(settings_table) == SETTING_N,
    "one entry per setting");

/* the policies (the first three boot): mc_policy points at these */
static const char *const policy_names[] = { "clock", "fifo", "lru", "opt",
	NULL };

void
settings_init(struct settings *s)
{
	memset(s, 0, sizeof(*s));
	machine_config_default(&s->se_mc);
	s->se_seed = 1;
}

const struct setting *
settings_lookup(const char *name)
{
	int i;

	for (i = 0; i < settings_n; i++)
		if (strcmp(name, settings_table[i].st_name) == 0 ||
		    (settings_table[i].st_alias != NULL &&
			strcmp(name, settings_table[i].st_alias) == 0))
			return &settings_table[i];
	return NULL;
}

const char *
settings_suggest(const char *name)
{
	struct suggest sg;
	int i;

	suggest_init(&sg, name);
	for (i = 0; i < settings_n; i++)
		suggest_add(&sg, settings_table[i].st_name);
	return suggest_best(&sg);
}

static int __printflike(4, 5)
    fail(int error, char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (why != NULL && len > 0) {
		va_start(ap, fmt);
		vsnprintf(why, len, fmt, ap);
		va_end(ap);
	}
	return error;
}

/*
 * parse_number: a whole number, decimal or 0x hexadecimal, and where it
 * ends.  => false if there is no number or it does not fit.
 */
static bool
parse_number(const char *s, uint64_t *v, const char **end)
{
	unsigned long long x;
	char *e;
	int base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
	    isxdigit((unsigned char)s[2]))
		base = 16;
	else if (!isdigit((unsigned char)s[0]))
		return false;
	errno = 0;
	x = strtoull(s, &e, base);
	if (errno == ERANGE)
		return false;
	*v = x;
	*end = e;
	return true;
}

static bool
is_number_start(const char *s)
{
	return isdigit((unsigned char)s[0]);
}

/* ST_SIZE: bytes, or pages with p where pages_ok */
static int
parse_size(const char *value, bool pages_ok, uint64_t *v, bool *pages,
    char *why, size_t len)
{
	const char *end;
	uint64_t mul = 1;

	*pages = false;
	if (!parse_number(value, v, &end))
		return is_number_start(value) ?
		    fail(ERANGE, why, len, "too large") :
		    fail(EINVAL, why, len,
			"expected a size: a number with an optional k, m "
			"or g suffix%s",
			pages_ok ? ", or p for pages" : "");
	if ((mul = scen_size_suffix(*end)) != 0)
		end++;
	else if ((*end == 'p' || *end == 'P') && pages_ok) {
		*pages = true;
		mul = 1;
		end++;
	} else
		mul = 1;
	if (*end != '\0')
		return fail(EINVAL, why, len,
		    "expected a size: a number with an optional k, m or g "
		    "suffix%s",
		    pages_ok ? ", or p for pages" : "");
	if (*v == 0)
		return fail(EINVAL, why, len, "must not be 0");
	if (*pages && *v > PAGES_MAX)
		return fail(ERANGE, why, len, "too large (at most %llu pages)",
		    (unsigned long long)PAGES_MAX);
	if (*v > SIZE_MAX / mul)
		return fail(ERANGE, why, len, "too large");
	*v *= mul;
	return 0;
}

int
settings_parse_time(const char *value, uint64_t *v, char *why, size_t len)
{
	const char *end;
	uint64_t mul;

	if (!parse_number(value, v, &end))
		return is_number_start(value) ?
		    fail(ERANGE, why, len, "too large") :
		    fail(EINVAL, why, len,
			"expected a time: a number with us, ms or s");
	if (strcmp(end, "us") == 0)
		mul = 1;
	else if (strcmp(end, "ms") == 0)
		mul = 1000;
	else if (strcmp(end, "s") == 0)
		mul = 1000000;
	else
		return fail(EINVAL, why, len,
		    "expected a time: a number with us, ms or s");
	if (*v > TIME_MAX_US / mul)
		return fail(ERANGE, why, len, "too large");
	*v *= mul;
	return 0;
}

/* the choice of st called value, as an index into its list, or -1 */
static int
choice_of(const struct setting *st, const char *value, char *why, size_t len)
{
	char list[64], *w, *save = NULL;
	const char *best;
	struct suggest sg;
	int i;

	snprintf(list, sizeof(list), "%s", st->st_choices);
	suggest_init(&sg, value);
	for (i = 0, w = strtok_r(list, ", ", &save); w != NULL;
	     i++, w = strtok_r(NULL, ", ", &save)) {
		if (strcmp(w, value) == 0)
			return i;
		suggest_add(&sg, w);
	}
	best = suggest_best(&sg);
	if (best != NULL)
		fail(EINVAL, why, len, "expected %s (did you mean %s?)",
		    st->st_choices, best);
	else
		fail(EINVAL, why, len, "expected %s", st->st_choices);
	return -1;
}

/* set st in s from value: see settings_set */
static int
setting_parse(struct settings *s, const struct setting *st, const char *value,
    char *why, size_t len)
{
	struct machine_config *mc = &s->se_mc;
	const char *end, *msg, *best;
	uint64_t v;
	bool pages;
	int error, i;

	switch (st->st_type) {
	case ST_SIZE:
		error = parse_size(value, st->st_id != SETTING_PAGESIZE, &v,
		    &pages, why, len);
		if (error)
			return error;
		if (st->st_id == SETTING_MEMORY) {
			s->se_memory = v;
			s->se_memory_pages = pages;
		} else if (st->st_id == SETTING_SWAP) {
			s->se_swap = v;
			s->se_swap_pages = pages;
		} else {
			if ((msg = machine_pagesize_check((size_t)v)) != NULL)
				return fail(EINVAL, why, len, "%s", msg);
			mc->mc_pagesize = (size_t)v;
		}
		return 0;
	case ST_COUNT:
		if (!parse_number(value, &v, &end) || *end != '\0')
			return is_number_start(value) && *end == '\0' ?
			    fail(ERANGE, why, len, "too large") :
			    fail(EINVAL, why, len, "expected a whole number");
		if (v < st->st_min || v > st->st_max)
			return fail(ERANGE, why, len,
			    "must be from %llu to %llu%s%s",
			    (unsigned long long)st->st_min,
			    (unsigned long long)st->st_max,
			    st->st_unit != NULL ? " " : "",
			    st->st_unit != NULL ? st->st_unit : "");
		if (st->st_id == SETTING_UPAGES)
			mc->mc_upages = (unsigned int)v;
		else if (st->st_id == SETTING_MAXSLP)
			mc->mc_maxslp = (int)v;
		else if (st->st_id == SETTING_HZ)
			mc->mc_hz = (int)v;
		else
			s->se_seed = v;
		return 0;
	case ST_TIME:
		if ((error = settings_parse_time(value, &v, why, len)) != 0)
			return error;
		if (st->st_id == SETTING_DISKSEEK)
			mc->mc_disk.dt_seek_us = v;
		else if (st->st_id == SETTING_DISKXFER)
			mc->mc_disk.dt_xfer_us = v;
		else if (v == 0)
			return fail(ERANGE, why, len, "must be more than 0");
		else
			mc->mc_quantum_us = v;
		return 0;
	case ST_NAME:
		if (st->st_id == SETTING_POLICY) {
			/* the pagedaemon's own word on its policies */
			if ((msg = uvmpdpol_check(value)) != NULL) {
				best = strcmp(value, "opt") == 0 ?
				    NULL :
				    suggest(value, policy_names, 3);
				if (best != NULL)
					return fail(EINVAL, why, len,
					    "%s; did you mean %s?", msg, best);
				return fail(EINVAL, why, len, "%s", msg);
			}
			for (i = 0; policy_names[i] != NULL; i++)
				if (strcmp(value, policy_names[i]) == 0)
					mc->mc_policy = policy_names[i];
			return 0;
		}
		if ((i = choice_of(st, value, why, len)) < 0)
			return EINVAL;
		if (st->st_id == SETTING_SWITCH) {
			enum cpu_switch_method m =
			    i == 0 ? CPU_SWITCH_ASM : CPU_SWITCH_UCONTEXT;

			if (!cpu_switch_method_available(m))
				return fail(EINVAL, why, len,
				    "%s is not available on this host", value);
			mc->mc_switch = m;
		} else
			mc->mc_core_netbsd = i == 1;
		return 0;
	}
	return fail(EINVAL, why, len, "no such setting type");
}

int
settings_set(struct settings *s, const char *name, const char *value, char *why,
    size_t whylen)
{
	const struct setting *st = settings_lookup(name);
	struct settings t;
	const char *best;
	int error;

	if (st == NULL) {
		best = settings_suggest(name);
		if (best != NULL)
			return fail(ENOENT, why, whylen,
			    "unknown setting '%s' (did you mean %s?)", name,
			    best);
		return fail(ENOENT, why, whylen, "unknown setting '%s'", name);
	}
	/* on a copy, so that a refused value changes nothing */
	t = *s;
	if ((error = setting_parse(&t, st, value, why, whylen)) != 0)
		return error;
	*s = t;
	s->se_given |= SETTING_BIT(st->st_id);
	return 0;
}

int
settings_pages(struct settings *s, enum setting_id *bad)
{
	size_t pgsz = s->se_mc.mc_pagesize;

	if (s->se_given & SETTING_BIT(SETTING_MEMORY)) {
		if (!s->se_memory_pages && s->se_memory % pgsz != 0) {
			*bad = SETTING_MEMORY;
			return EINVAL;
		}
		s->se_mc.mc_npages =
		    (size_t)(s->se_memory_pages ? s->se_memory :
						  s->se_memory / pgsz);
	}
	if (s->se_given & SETTING_BIT(SETTING_SWAP)) {
		if (!s->se_swap_pages && s->se_swap % pgsz != 0) {
			*bad = SETTING_SWAP;
			return EINVAL;
		}
		s->se_mc.mc_swapslots =
		    (size_t)(s->se_swap_pages ? s->se_swap : s->se_swap / pgsz);
	}
	return 0;
}

/*
 * follow: n pages of from bytes, as pages of to bytes: never fewer
 * pages, nor fewer bytes (see settings_override).
 */
static uint64_t
follow(uint64_t n, size_t from, size_t to)
{
	uint64_t bytes = n * from;

	return MAX(n, (bytes + to - 1) / to);
}

void
settings_override(struct settings *base, const struct settings *over)
{
	struct machine_config *b = &base->se_mc;
	const struct machine_config *o = &over->se_mc;
	unsigned given = over->se_given;

#define GIVEN(id) (given & SETTING_BIT(id))
	if (GIVEN(SETTING_PAGESIZE)) {
		if (!GIVEN(SETTING_UPAGES) &&
		    (base->se_given & SETTING_BIT(SETTING_UPAGES)))
			b->mc_upages = (unsigned int)MIN(follow(b->mc_upages,
							     b->mc_pagesize,
							     o->mc_pagesize),
			    MACHINE_UPAGES_MAX + 1);
		if (!GIVEN(SETTING_MEMORY) && base->se_memory_pages)
			base->se_memory = follow(base->se_memory,
			    b->mc_pagesize, o->mc_pagesize);
		if (!GIVEN(SETTING_SWAP) && base->se_swap_pages)
			base->se_swap = follow(base->se_swap, b->mc_pagesize,
			    o->mc_pagesize);
	}
	if (GIVEN(SETTING_MEMORY)) {
		base->se_memory = over->se_memory;
		base->se_memory_pages = over->se_memory_pages;
	}
	if (GIVEN(SETTING_SWAP)) {
		base->se_swap = over->se_swap;
		base->se_swap_pages = over->se_swap_pages;
	}
	if (GIVEN(SETTING_PAGESIZE))
		b->mc_pagesize = o->mc_pagesize;
	if (GIVEN(SETTING_UPAGES))
		b->mc_upages = o->mc_upages;
	if (GIVEN(SETTING_MAXSLP))
		b->mc_maxslp = o->mc_maxslp;
	if (GIVEN(SETTING_HZ))
		b->mc_hz = o->mc_hz;
	if (GIVEN(SETTING_POLICY))
		b->mc_policy = o->mc_policy;
	if (GIVEN(SETTING_SWITCH))
		b->mc_switch = o->mc_switch;
	if (GIVEN(SETTING_CORESTYLE))
		b->mc_core_netbsd = o->mc_core_netbsd;
	if (GIVEN(SETTING_SEED))
		base->se_seed = over->se_seed;
	if (GIVEN(SETTING_DISKSEEK))
		b->mc_disk.dt_seek_us = o->mc_disk.dt_seek_us;
	if (GIVEN(SETTING_DISKXFER))
		b->mc_disk.dt_xfer_us = o->mc_disk.dt_xfer_us;
	if (GIVEN(SETTING_QUANTUM))
		b->mc_quantum_us = o->mc_quantum_us;
#undef GIVEN
	base->se_given |= given;
}

/* a time in the largest unit that shows it whole */
static void
time_text(uint64_t us, char *buf, size_t len)
{
	if (us != 0 && us % 1000000 == 0)
		snprintf(buf, len, "%llus", (unsigned long long)(us / 1000000));
	else if (us != 0 && us % 1000 == 0)
		snprintf(buf, len, "%llums", (unsigned long long)(us / 1000));
	else
		snprintf(buf, len, "%lluus", (unsigned long long)us);
}

void
settings_value(const struct settings *s, const struct setting *st, char *buf,
    size_t len)
{
	const struct machine_config *mc = &s->se_mc;
	bool given = (s->se_given & SETTING_BIT(st->st_id)) != 0;

	switch (st->st_id) {
	case SETTING_MEMORY:
		if (given)
			snprintf(buf, len, "%llu%s",
			    (unsigned long long)s->se_memory,
			    s->se_memory_pages ? "p" : "");
		else
			snprintf(buf, len, "%zup", mc->mc_npages);
		break;
	case SETTING_SWAP:
		if (given)
			snprintf(buf, len, "%llu%s",
			    (unsigned long long)s->se_swap,
			    s->se_swap_pages ? "p" : "");
		else
			snprintf(buf, len, "%zup", mc->mc_swapslots);
		break;
	case SETTING_PAGESIZE:
		snprintf(buf, len, "%zu", mc->mc_pagesize);
		break;
	case SETTING_UPAGES:
		snprintf(buf, len, "%u", machine_upages(mc));
		break;
	case SETTING_MAXSLP:
		snprintf(buf, len, "%d", mc->mc_maxslp);
		break;
	case SETTING_HZ:
		snprintf(buf, len, "%d", mc->mc_hz);
		break;
	case SETTING_POLICY:
		snprintf(buf, len, "%s",
		    mc->mc_policy != NULL ? mc->mc_policy : "clock");
		break;
	case SETTING_SWITCH:
		snprintf(buf, len, "%s",
		    mc->mc_switch == CPU_SWITCH_ASM ? "asm" : "ucontext");
		break;
	case SETTING_CORESTYLE:
		snprintf(buf, len, "%s",
		    mc->mc_core_netbsd ? "netbsd" : "host");
		break;
	case SETTING_SEED:
		snprintf(buf, len, "%llu", (unsigned long long)s->se_seed);
		break;
	case SETTING_DISKSEEK:
		time_text(mc->mc_disk.dt_seek_us, buf, len);
		break;
	case SETTING_DISKXFER:
		time_text(mc->mc_disk.dt_xfer_us, buf, len);
		break;
	case SETTING_QUANTUM:
		time_text(mc->mc_quantum_us, buf, len);
		break;
	default:
		snprintf(buf, len, "?");
	}
}

/*
 * wrap: print text's words from column col, in lines of at most
 * WRAP_COLUMN that start at HELP_COLUMN.
 */
static void
wrap(FILE *f, int col, const char *text)
{
	const char *p = text;
	int n;

	while (*p != '\0') {
		n = (int)strcspn(p, " ");
		if (col > HELP_COLUMN && col + 1 + n > WRAP_COLUMN) {
			fprintf(f, "\n%*s", HELP_COLUMN, "");
			col = HELP_COLUMN;
		} else if (col > HELP_COLUMN) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", n, p);
		col += n;
		p += n;
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
}

void
settings_usage(FILE *f)
{
	struct settings def;
	const struct setting *st;
	char text[512], dflt[64];
	int i, col;

	settings_init(&def);
	for (i = 0; i < settings_n; i++) {
		st = &settings_table[i];
		col = fprintf(f, "  --%s %s", st->st_name, st->st_arg);
		if (col >= HELP_COLUMN) {
			fprintf(f, "\n%*s", HELP_COLUMN, "");
		} else
			fprintf(f, "%*s", HELP_COLUMN - col, "");
		settings_value(&def, st, dflt, sizeof(dflt));
		if (st->st_id == SETTING_MEMORY || st->st_id == SETTING_SWAP)
			snprintf(dflt, sizeof(dflt), "%zu pages",
			    st->st_id == SETTING_MEMORY ?
				def.se_mc.mc_npages :
				def.se_mc.mc_swapslots);
		/* defaults that depend on other settings, or on the host */
		if (st->st_id == SETTING_UPAGES)
			snprintf(dflt, sizeof(dflt), "16 KiB of them");
		else if (st->st_id == SETTING_SWITCH)
			snprintf(dflt, sizeof(dflt),
			    "asm where there is one, else ucontext");
		if (st->st_type == ST_COUNT && st->st_id != SETTING_SEED)
			snprintf(text, sizeof(text),
			    "%s (from %llu to %llu%s%s; default %s)",
			    st->st_help, (unsigned long long)st->st_min,
			    (unsigned long long)st->st_max,
			    st->st_unit != NULL ? " " : "",
			    st->st_unit != NULL ? st->st_unit : "", dflt);
		else
			snprintf(text, sizeof(text), "%s (default %s)",
			    st->st_help, dflt);
		wrap(f, HELP_COLUMN, text);
	}
}
