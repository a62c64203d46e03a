/*
 * settings.h: the machine's settings -- one table, read by the command
 * line (--NAME VALUE), the scenario file (NAME VALUE at its top), the
 * usage text and the manual's test.
 *
 * Each entry is one setting: its name, the shape of its value, its
 * unit, its default, its limits -- those machine_config_check enforces
 * (machdep.h), so a value is refused with the same bounds wherever it
 * is given -- and its help.  A value is text, parsed here the same way
 * for both front ends:
 *
 *	SIZE	a number of bytes with an optional k, m or g suffix
 *		(powers of 1024); memory and swap also take Np, N pages
 *	N	a whole number, within the setting's limits
 *	TIME	a number with us, ms or s
 *	NAME	one of the setting's choices
 *
 * Settings that depend on each other follow each other: memory and
 * swap given in bytes become pages of whatever page size the machine
 * ends with (settings_pages), and what is given in pages keeps at least
 * its size in bytes when a later layer changes the page size
 * (settings_override).
 */

#ifndef _SIM_SETTINGS_H_
#define _SIM_SETTINGS_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "machine/machdep.h"

enum setting_id {
	SETTING_MEMORY,
	SETTING_SWAP,
	SETTING_PAGESIZE,
	SETTING_UPAGES,
	SETTING_MAXSLP,
	SETTING_HZ,
	SETTING_POLICY,
	SETTING_SWITCH,
	SETTING_CORESTYLE,
	SETTING_SEED,
	SETTING_DISKSEEK,
	SETTING_DISKXFER,
	SETTING_QUANTUM,
	SETTING_N
};
#define SETTING_BIT(id) (1u << (id))

/*
 * A layer of settings: the defaults, what a file gave, what the command
 * line gave.  se_given says which settings this layer gave; the others
 * hold the defaults.
 */
struct settings {
	struct machine_config se_mc; /* the values (but see se_memory) */
	uint64_t se_seed;	     /* seed of the random touches */
	/*
	 * memory and swap as given, in bytes or (se_*_pages) in pages,
	 * until the page size is final: settings_pages sets se_mc's
	 * mc_npages and mc_swapslots from them
	 */
	uint64_t se_memory, se_swap;
	bool se_memory_pages, se_swap_pages;
	unsigned se_given; /* SETTING_BIT(id) of each setting given */
};

enum setting_type { ST_SIZE, ST_COUNT, ST_TIME, ST_NAME };

struct setting {
	const char *st_name;  /* the file's NAME and the command's --NAME */
	const char *st_alias; /* an older name the file accepts, or NULL */
	enum setting_id st_id;
	enum setting_type st_type;
	const char *st_arg;	 /* the value in the usage: SIZE, N, ... */
	const char *st_unit;	 /* "pages", "seconds", ... or NULL */
	uint64_t st_min, st_max; /* ST_COUNT: the machine's limits */
	const char *st_choices;	 /* ST_NAME: "clock, fifo, lru" */
	const char *st_help;	 /* what it sets (settings_usage wraps it) */
};

extern const struct setting settings_table[];
extern const int settings_n;

/* settings_init: a layer with every default and nothing given. */
void settings_init(struct settings *);

/*
 * settings_lookup: the entry called name (or by its alias), or NULL.
 * settings_suggest: the entry's name closest to a mistyped one, or NULL
 * (suggest.h).
 */
const struct setting *settings_lookup(const char *name);
const char *settings_suggest(const char *name);

/*
 * settings_set: set the setting called name from the text value, and
 * mark it given.
 *
 * => returns 0; ENOENT (no such setting; why says so and suggests the
 *    closest name), EINVAL (the value is not of the setting's shape, or
 *    not one of its choices) or ERANGE (outside its limits), with why
 *    saying what is wrong with the value, without naming the setting or
 *    repeating the value, so that each front end says where it was:
 *    "--hz 0: must be from 1 to 10000", "3:4: hz 0: must be from ...".
 * => on error s is unchanged.  why may be NULL.
 */
int settings_set(struct settings *s, const char *name, const char *value,
    char *why, size_t whylen);

/*
 * settings_pages: memory and swap, as given in bytes or pages, in pages
 * of s's page size, into se_mc.
 *
 * => returns 0; or EINVAL with *bad the setting (SETTING_MEMORY or
 *    SETTING_SWAP) whose bytes are not whole pages.
 */
int settings_pages(struct settings *s, enum setting_id *bad);

/*
 * settings_override: the settings over gave replace base's, and are
 * marked given in base.  When over changes the page size, what base
 * gave in pages and over does not give -- a u-area, memory or swap of
 * Np -- follows it: it keeps its number of pages, and grows to keep its
 * size in bytes when pages get smaller, so that a file written for one
 * page size runs at another (a u-area of 4 pages of 4 KiB becomes 32
 * pages of 512 bytes, and stays 4 pages of 64 KiB).  Failpoints are not
 * settings: the caller merges them.
 *
 * => settings_pages must be called after it.
 */
void settings_override(struct settings *base, const struct settings *over);

/*
 * settings_usage: the usage text's lines for the settings, from the
 * table: "  --NAME ARG" then the help and default at column 21.
 */
void settings_usage(FILE *f);

/*
 * settings_value: the text of s's value of setting st (its default when
 * not given), as settings_set would take it back, into buf.
 */
void settings_value(const struct settings *s, const struct setting *st,
    char *buf, size_t len);

/*
 * settings_parse_time: a TIME value (a number with us, ms or s) in
 * microseconds, for the options that take one and are not settings.
 * => returns 0, or EINVAL or ERANGE with why as settings_set says it.
 */
int
settings_parse_time(const char *value, uint64_t *us, char *why, size_t whylen);

#endif /* _SIM_SETTINGS_H_ */
