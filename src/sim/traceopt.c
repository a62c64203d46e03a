/*
 * traceopt.c: the event log's options (--trace, --trace=..., --trace-file).
 */

#include <errno.h>
#include <string.h>

#include "machine/trace.h"
#include "sim/suggest.h"
#include "sim/traceopt.h"

void
traceopt_print_cats(FILE *f, int indent)
{
	int i, col = indent, len;
	const char *name;

	for (i = 0; i < TRC_NCAT; i++) {
		name = trace_cat_name((enum trace_cat)i);
		len = (int)strlen(name) + 2;
		if (indent > 0 && i > 0 && col + len > 78) {
			fprintf(f, ",\n%*s", indent, "");
			col = indent;
		} else if (i > 0)
			fputs(", ", f);
		fputs(name, f);
		col += len;
	}
}

/* the start of an error's line: "uvmsim: " and the command's name */
static void
traceopt_who(const struct traceopt *to)
{
	fprintf(stderr, "uvmsim: ");
	if (to->to_cmd != NULL)
		fprintf(stderr, "%s: ", to->to_cmd);
}

/*
 * traceopt_unknown: say that `name', in --trace=list, is no category,
 * which one it may mean, and what they are.
 */
static void
traceopt_unknown(const struct traceopt *to, const char *list, const char *name)
{
	struct suggest sg;
	int i;

	traceopt_who(to);
	fprintf(stderr, "--trace=%s: ", list);
	if (*name == '\0')
		fprintf(stderr, "a category is missing (");
	else
		fprintf(stderr, "unknown category '%s' (", name);
	traceopt_print_cats(stderr, 0);
	fprintf(stderr, ", or all)");
	suggest_init(&sg, name);
	for (i = 0; i < TRC_NCAT; i++)
		suggest_add(&sg, trace_cat_name((enum trace_cat)i));
	suggest_add(&sg, "all");
	if (suggest_best(&sg) != NULL)
		fprintf(stderr, "; did you mean %s?", suggest_best(&sg));
	fputc('\n', stderr);
}

int
traceopt_cats(struct traceopt *to, const char *list)
{
	char name[SUGGEST_MAXLEN + 1];
	const char *p = list;
	size_t len;
	int cat;

	to->to_on = true;
	if (list == NULL) {
		to->to_mask = TRC_ALL;
		return 0;
	}
	for (;;) {
		len = strcspn(p, ",");
		snprintf(name, sizeof(name), "%.*s", (int)len, p);
		if (strcmp(name, "all") == 0)
			to->to_mask = TRC_ALL;
		else if (len <= SUGGEST_MAXLEN &&
		    (cat = trace_cat_lookup(name)) >= 0)
			to->to_mask |= TRC_BIT(cat);
		else {
			traceopt_unknown(to, list, name);
			return -1;
		}
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
}

void
traceopt_file(struct traceopt *to, const char *file)
{
	to->to_on = true;
	to->to_file = file;
}

bool
traceopt_stderr(const struct traceopt *to)
{
	return to->to_on && to->to_file == NULL;
}

int
traceopt_start(struct traceopt *to)
{
	FILE *f = stderr;

	if (!to->to_on)
		return 0;
	if (to->to_file != NULL) {
		if ((f = fopen(to->to_file, "w")) == NULL) {
			traceopt_who(to);
			fprintf(stderr, "--trace-file %s: %s\n", to->to_file,
			    strerror(errno));
			return -1;
		}
		/* a line at a time: replay -j's processes share the file */
		setvbuf(f, NULL, _IOLBF, 0);
	}
	to->to_stream = f;
	trace_open_cats(f, to->to_mask != 0 ? to->to_mask : TRC_ALL);
	return 0;
}

void
traceopt_stop(struct traceopt *to)
{
	trace_close();
	if (to->to_stream != NULL && to->to_stream != stderr)
		fclose(to->to_stream);
	to->to_stream = NULL;
}
