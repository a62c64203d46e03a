/*
 * main.c: the uvmsim command -- options, the run and check commands,
 * and the built-in demonstration.
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/scenario.h"

#ifndef UVMSIM_VERSION
#define UVMSIM_VERSION "0.1"
#endif

#define EXIT_USAGE 2

/* --max-output: far more than a person reads, far less than a disk */
#define MAX_OUTPUT_DEFAULT ((size_t)256 << 20)

/*
 * print_failpoints: the failpoints' names, "page, anon, ...", from the
 * table itself; with indent > 0, in lines of at most 78 columns that
 * start at column `indent' (the first where the cursor is).
 */
static void
print_failpoints(FILE *f, int indent)
{
	int i, col = indent, len;

	for (i = 0; i < FP_NPOINTS; i++) {
		len = (int)strlen(failpoints[i].fp_name) + 2;
		if (indent > 0 && i > 0 && col + len > 78) {
			fprintf(f, ",\n%*s", indent, "");
			col = indent;
		} else if (i > 0)
			fputs(", ", f);
		fputs(failpoints[i].fp_name, f);
		col += len;
	}
}

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: uvmsim [options]                 run the demonstration\n"
	    "       uvmsim [options] run FILE        run a scenario\n"
	    "       uvmsim [options] check FILE      only read and check it\n"
	    "       uvmsim -h | --help | --version\n"
	    "\n"
	    "uvmsim runs NetBSD's UVM virtual memory system on a simulated\n"
	    "machine.  A scenario (uvmsim(5)) describes the machine, the\n"
	    "processes and their programs, and what to report and expect;\n"
	    "FILE - reads it from the standard input.  With no command the\n"
	    "built-in demonstration runs: fork and copy-on-write, memory\n"
	    "pressure and the pagedaemon, a process swapped out and back in,\n"
	    "physio, and a segmentation fault that leaves a core.\n"
	    "\n"
	    "machine (over the scenario's own settings):\n"
	    "  --memory SIZE      physical memory (default %zu pages)\n"
	    "  --swap SIZE        swap disk (default %zu pages)\n"
	    "  --pagesize SIZE    page size, a power of two from 512 to 65536\n"
	    "                     (default %d)\n"
	    "  --policy NAME      page replacement: clock (default), fifo, lru\n"
	    "  --maxslp SECONDS   asleep this long, a process may be swapped\n"
	    "                     out (default %d)\n"
	    "  --hz N             clock ticks per second (default %d)\n"
	    "  --upages N         pages per u-area (default: 16 KiB of them)\n"
	    "  --switch METHOD    context switch: asm (the default where there\n"
	    "                     is one) or ucontext\n"
	    "  --core-style STYLE core notes: host (gdb reads them; default)\n"
	    "                     or netbsd (a NetBSD-CORE procinfo note)\n"
	    "  --seed N           seed of the random touches\n"
	    "  --fail NAME[:AFTER[:COUNT]]\n"
	    "                     make failpoint NAME fail after AFTER calls\n"
	    "                     (default 0), COUNT times (default forever);\n"
	    "                     repeatable; NAME is one of\n"
	    "                     ",
	    (size_t)MACHINE_NPAGES_DEFAULT, (size_t)MACHINE_SWAPSLOTS_DEFAULT,
	    PAGE_SIZE_DEFAULT, MACHINE_MAXSLP_DEFAULT, MACHINE_HZ_DEFAULT);
	print_failpoints(f, 21);
	fprintf(f,
	    "\n"
	    "running:\n"
	    "  --files DIR        the sandbox of mappable files, not / (default:\n"
	    "                     a new temporary directory, removed after)\n"
	    "  --cores DIR        where cores are written (default: .)\n"
	    "  --json FILE        write every counter and each process's\n"
	    "                     figures to FILE (never the scenario) at the\n"
	    "                     end\n"
	    "  --max-output SIZE  stop the run once the report passes SIZE\n"
	    "                     bytes (default %zuM; 0: no bound)\n"
	    "  --trace            log events (faults, page-ins and -outs,\n"
	    "                     swapping, scheduling) to the standard error\n"
	    "  --check            run every consistency checker after every\n"
	    "                     statement\n"
	    "SIZE is a number of bytes with an optional k, m or g suffix\n"
	    "(powers of 1024); memory and swap must be whole pages.\n"
	    "The swap file is made in $TMPDIR (default /tmp).\n"
	    "Exit status: 0 success, 1 an expectation failed, 2 bad usage,\n"
	    "a bad scenario or a machine that cannot be had (TMPDIR unusable,\n"
	    "a boot that failed).\n",
	    MAX_OUTPUT_DEFAULT >> 20);
}

/*
 * parse_count: a whole number from 0 to max.
 *
 * => returns 0 and the value, or EINVAL (not a number) or ERANGE.
 */
static int
parse_count(const char *s, long max, long *out)
{
	unsigned long long v;
	char *end;

	if (*s < '0' || *s > '9')
		return EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end != '\0')
		return EINVAL;
	if (errno == ERANGE || v > (unsigned long long)max)
		return ERANGE;
	*out = (long)v;
	return 0;
}

/*
 * parse_size: a byte count with an optional k/m/g suffix.
 *
 * => returns 0 and the value, or EINVAL (not a number, bad suffix, zero
 *    unless zero_ok) or ERANGE (too big).
 */
static int
parse_size(const char *s, bool zero_ok, size_t *out)
{
	unsigned long long v, mul = 1;
	char *end;

	if (*s < '0' || *s > '9')
		return EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return ERANGE;
	if ((mul = scen_size_suffix(*end)) != 0)
		end++;
	else
		mul = 1;
	if (*end != '\0' || (v == 0 && !zero_ok))
		return EINVAL;
	if (v > SIZE_MAX / mul)
		return ERANGE;
	*out = (size_t)(v * mul);
	return 0;
}

/*
 * The report's bound (--max-output).  The report goes to a stream of its
 * own whose bytes pass on to the standard output until `oc_max' of them
 * have; the write that would pass the bound writes what fits and comes
 * back short, which sets the stream's error flag, and the interpreter,
 * which looks at the flag after every statement, stops the run.  A
 * scenario that prints in a loop would otherwise fill the host's disk.
 * A failed write to the standard output (a full disk, a closed pipe)
 * stops the run the same way.
 */
struct outcap {
	FILE *oc_to;	   /* where the bytes go */
	size_t oc_max;	   /* the bound (SIZE_MAX: none) */
	size_t oc_written; /* bytes passed on so far */
	bool oc_passed;	   /* a write would have passed the bound */
	int oc_errno;	   /* a write to oc_to failed with this, or 0 */
};

static ssize_t
outcap_write(void *cookie, const char *buf, size_t len)
{
	struct outcap *oc = cookie;
	size_t n = MIN(len, oc->oc_max - oc->oc_written);

	if (oc->oc_passed || oc->oc_errno != 0)
		return 0;
	if (n > 0 && fwrite(buf, 1, n, oc->oc_to) != n) {
		oc->oc_errno = errno != 0 ? errno : EIO;
		return 0;
	}
	oc->oc_written += n;
	if (n < len)
		oc->oc_passed = true;
	return (ssize_t)n;
}

/*
 * outcap_open: the report stream, bounded to max bytes (0: no bound),
 * over `to', buffered by lines so that it interleaves with the standard
 * error as `to' itself would.
 *
 * => returns the stream, or NULL (out of memory).
 */
static FILE *
outcap_open(struct outcap *oc, FILE *to, size_t max)
{
	static const cookie_io_functions_t io = { .write = outcap_write };
	FILE *f;

	memset(oc, 0, sizeof(*oc));
	oc->oc_to = to;
	oc->oc_max = max != 0 ? max : SIZE_MAX;
	if ((f = fopencookie(oc, "w", io)) == NULL)
		return NULL;
	(void)setvbuf(f, NULL, _IOLBF, BUFSIZ);
	return f;
}

/*
 * outcap_close: close the report stream and the standard output behind
 * it, and say if the report was cut short.
 *
 * => returns true if all of it reached the standard output.
 */
static bool
outcap_close(struct outcap *oc, FILE *f)
{
	(void)fclose(f);
	if (fflush(oc->oc_to) != 0 && oc->oc_errno == 0)
		oc->oc_errno = errno;
	if (oc->oc_passed) {
		fprintf(stderr,
		    "uvmsim: output passed --max-output %zu bytes; the run "
		    "was stopped\n",
		    oc->oc_max);
		return false;
	}
	if (oc->oc_errno != 0) {
		fprintf(stderr, "uvmsim: standard output: %s\n",
		    strerror(oc->oc_errno));
		return false;
	}
	return true;
}

/*
 * parse_fail: --fail NAME[:AFTER[:COUNT]] -- failpoint NAME armed at
 * boot: AFTER calls succeed (0 without it), then COUNT fail (a number
 * from 1, or forever, the default); an I/O point fails with EIO.  The
 * same as a scenario's disk errors statement, for any failpoint.
 *
 * => returns the failpoint's id and its setting in *fs, or -1 with the
 *    reason printed.
 */
static int
parse_fail(const char *arg, struct failpoint_setting *fs)
{
	char buf[64], *name, *after, *count;
	long n;
	int id, error;

	if (strlen(arg) >= sizeof(buf)) {
		fprintf(stderr, "uvmsim: --fail: '%.20s...' is too long\n",
		    arg);
		return -1;
	}
	strcpy(buf, arg);
	name = buf;
	if ((after = strchr(name, ':')) != NULL)
		*after++ = '\0';
	if (after != NULL && (count = strchr(after, ':')) != NULL)
		*count++ = '\0';
	else
		count = NULL;
	if ((id = failpoint_lookup(name)) < 0) {
		fprintf(stderr,
		    "uvmsim: --fail %s: unknown failpoint '%s' (known: ", arg,
		    name);
		print_failpoints(stderr, 0);
		fprintf(stderr, ")\n");
		return -1;
	}
	*fs = (struct failpoint_setting){ true, 0, FAILPOINT_FOREVER, 0 };
	if (count != NULL && strchr(count, ':') != NULL) {
		fprintf(stderr,
		    "uvmsim: --fail %s: expected NAME[:AFTER[:COUNT]]\n", arg);
		return -1;
	}
	if (after != NULL) {
		if ((error = parse_count(after, UINT32_MAX, &n)) != 0) {
			fprintf(stderr,
			    "uvmsim: --fail %s: bad AFTER '%s': %s\n", arg,
			    after,
			    error == ERANGE ? "too large" :
					      "expected a whole number");
			return -1;
		}
		fs->fs_skip = (unsigned long)n;
	}
	if (count != NULL && strcmp(count, "forever") != 0) {
		if ((error = parse_count(count, UINT32_MAX, &n)) != 0 ||
		    n == 0) {
			fprintf(stderr,
			    "uvmsim: --fail %s: bad COUNT '%s': %s\n", arg,
			    count,
			    error == ERANGE ?
				"too large" :
				"expected a number from 1, or forever");
			return -1;
		}
		fs->fs_fail = (unsigned long)n;
	}
	return id;
}

/* the largest scenario file read */
#define SCEN_MAX_BYTES ((size_t)16 << 20)

/*
 * read_scenario: the whole of file `path' (- for the standard input)
 * as a string.
 *
 * => returns it (malloc'd), or NULL with the reason printed: it cannot
 *    be read, is too large, or holds a NUL byte (given by line and
 *    column).
 */
static char *
read_scenario(const char *path)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	size_t len = 0, cap = 0, n, i;
	char *text = NULL, *nt;
	int line = 1, col = 1;

	if (f == NULL) {
		fprintf(stderr, "uvmsim: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			if ((nt = realloc(text, cap)) == NULL) {
				fprintf(stderr, "uvmsim: %s: out of memory\n",
				    path);
				goto fail;
			}
			text = nt;
		}
		n = fread(text + len, 1, 4096, f);
		len += n;
		if (len > SCEN_MAX_BYTES) {
			fprintf(stderr,
			    "uvmsim: %s: larger than %zu MiB; not a "
			    "scenario\n",
			    path, SCEN_MAX_BYTES >> 20);
			goto fail;
		}
		if (n < 4096)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "uvmsim: %s: %s\n", path, strerror(errno));
		goto fail;
	}
	for (i = 0; i < len; i++) {
		if (text[i] == '\0') {
			fprintf(stderr,
			    "%s:%d:%d: a NUL byte: this is not a text file\n",
			    path, line, col);
			goto fail;
		}
		if (text[i] == '\n') {
			line++;
			col = 1;
		} else
			col++;
	}
	text[len] = '\0';
	if (f != stdin)
		fclose(f);
	return text;
fail:
	free(text);
	if (f != stdin)
		fclose(f);
	return NULL;
}

/* a directory the run may use: it must exist */
static bool
check_dir(const char *flag, const char *dir)
{
	struct stat st;

	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "uvmsim: %s %s: %s\n", flag, dir,
		    errno != 0 && stat(dir, &st) != 0 ? strerror(errno) :
							"not a directory");
		return false;
	}
	return true;
}

/* are a and b the same file (device and inode, whatever their names)? */
static bool
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/*
 * check_sandbox: --files DIR must be a directory, and not the root
 * directory: the scenario's file statements create files in the sandbox,
 * and a sandbox of / would let a scenario put files there.
 */
static bool
check_sandbox(const char *dir)
{
	struct stat st, root;

	if (!check_dir("--files", dir))
		return false;
	if (stat(dir, &st) == 0 && stat("/", &root) == 0 &&
	    same_file(&st, &root)) {
		fprintf(stderr,
		    "uvmsim: --files %s: the root directory cannot be the "
		    "sandbox (the scenario's file statements create files "
		    "there)\n",
		    dir);
		return false;
	}
	return true;
}

/*
 * check_json: --json FILE must not be the scenario being run (`file', -
 * for the standard input), whatever names either is given by: writing
 * the figures would destroy it.  Only a regular scenario file counts
 * (--json /dev/null with the scenario on a terminal or a pipe is fine).
 */
static bool
check_json(const char *json, const char *file)
{
	struct stat js, ss;
	int rv;

	if (stat(json, &js) != 0)
		return true; /* it does not exist yet: it is not the scenario */
	rv =
	    strcmp(file, "-") == 0 ? fstat(STDIN_FILENO, &ss) : stat(file, &ss);
	if (rv != 0 || !S_ISREG(ss.st_mode) || !same_file(&js, &ss))
		return true;
	if (strcmp(file, "-") == 0)
		fprintf(stderr,
		    "uvmsim: --json %s: that is the scenario being run (the "
		    "standard input); it would be overwritten\n",
		    json);
	else
		fprintf(stderr,
		    "uvmsim: --json %s: that is the scenario being run (%s); "
		    "it would be overwritten\n",
		    json, file);
	return false;
}

/*
 * check_tmpdir: can files be made in the temporary directory?  The swap
 * file is made there at boot, and so is the sandbox without --files.
 * Asked before the run, so that what is wrong is named -- the directory
 * and the host's reason -- and nothing runs (exit status 2).
 */
static bool
check_tmpdir(void)
{
	const char *dir = swapdisk_tmpdir(), *env = getenv("TMPDIR");
	struct stat st;
	int error = 0;

	if (stat(dir, &st) != 0)
		error = errno;
	else if (!S_ISDIR(st.st_mode))
		error = ENOTDIR;
	else if (access(dir, W_OK | X_OK) != 0)
		error = errno;
	if (error == 0)
		return true;
	fprintf(stderr, "uvmsim: cannot create the swap file in %s%s: %s\n",
	    dir, env != NULL && *env != '\0' ? " (TMPDIR)" : "",
	    strerror(error));
	return false;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "memory", required_argument, NULL, 'm' },
		{ "swap", required_argument, NULL, 's' },
		{ "pagesize", required_argument, NULL, 'p' },
		{ "policy", required_argument, NULL, 'P' },
		{ "maxslp", required_argument, NULL, 'S' },
		{ "hz", required_argument, NULL, 'z' },
		{ "upages", required_argument, NULL, 'u' },
		{ "switch", required_argument, NULL, 'w' },
		{ "core-style", required_argument, NULL, 'c' },
		{ "seed", required_argument, NULL, 'e' },
		{ "files", required_argument, NULL, 'F' },
		{ "cores", required_argument, NULL, 'C' },
		{ "json", required_argument, NULL, 'j' },
		{ "max-output", required_argument, NULL, 'O' },
		{ "fail", required_argument, NULL, 'f' },
		{ "trace", no_argument, NULL, 't' },
		{ "check", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct scen_overrides ov;
	struct scen_opts opts = { 0 };
	struct outcap oc;
	struct failpoint_setting fs;
	size_t max_output = MAX_OUTPUT_DEFAULT;
	struct scenario sc;
	struct machine_config *mc = &ov.so_mc;
	const char *why, *cmd = NULL, *file = NULL, *name;
	char *text;
	size_t v;
	int ch, error, li, rv, id;
	long n;
	unsigned long long seed;
	char *end;

	memset(&ov, 0, sizeof(ov));
	machine_config_default(mc);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", longopts, &li)) != -1) {
		switch (ch) {
		case 'm':
		case 's':
		case 'p':
		case 'O':
			error = parse_size(optarg, ch == 'O', &v);
			if (error) {
				why = error == ERANGE ? "too large" :
				    ch == 'O' ? "expected a number with an "
						"optional k, m or g suffix" :
						"expected a positive number "
						"with an optional k, m or g "
						"suffix";
				fprintf(stderr,
				    "uvmsim: --%s: bad size '%s': %s\n",
				    longopts[li].name, optarg, why);
				return EXIT_USAGE;
			}
			if (ch == 'O') {
				max_output = v;
			} else if (ch == 'm') {
				ov.so_memory = true;
				ov.so_memory_bytes = v;
			} else if (ch == 's') {
				ov.so_swap = true;
				ov.so_swap_bytes = v;
			} else {
				ov.so_pagesize = true;
				mc->mc_pagesize = v;
				why = machine_pagesize_check(v);
				if (why != NULL) {
					fprintf(stderr,
					    "uvmsim: --pagesize: %s\n", why);
					return EXIT_USAGE;
				}
			}
			break;
		case 'S':
		case 'z':
		case 'u':
			error = parse_count(optarg, 1000000, &n);
			if (error) {
				fprintf(stderr,
				    "uvmsim: --%s: bad number '%s': %s\n",
				    longopts[li].name, optarg,
				    error == ERANGE ?
					"too large" :
					"expected a whole number");
				return EXIT_USAGE;
			}
			if (ch == 'S') {
				ov.so_maxslp = true;
				mc->mc_maxslp = (int)n;
			} else if (ch == 'z') {
				ov.so_hz = true;
				mc->mc_hz = (int)n;
			} else if (n == 0) {
				fprintf(stderr,
				    "uvmsim: --upages: must be at "
				    "least 1\n");
				return EXIT_USAGE;
			} else {
				ov.so_upages = true;
				mc->mc_upages = (unsigned int)n;
			}
			break;
		case 'P':
			why = uvmpdpol_check(optarg);
			if (why != NULL) {
				fprintf(stderr, "uvmsim: --policy %s: %s\n",
				    optarg, why);
				return EXIT_USAGE;
			}
			ov.so_policy = true;
			mc->mc_policy = optarg;
			break;
		case 'w':
			if (strcmp(optarg, "asm") == 0)
				mc->mc_switch = CPU_SWITCH_ASM;
			else if (strcmp(optarg, "ucontext") == 0)
				mc->mc_switch = CPU_SWITCH_UCONTEXT;
			else {
				fprintf(stderr,
				    "uvmsim: --switch: unknown method '%s' "
				    "(asm, ucontext)\n",
				    optarg);
				return EXIT_USAGE;
			}
			ov.so_switch = true;
			break;
		case 'c':
			if (strcmp(optarg, "host") == 0)
				mc->mc_core_netbsd = false;
			else if (strcmp(optarg, "netbsd") == 0)
				mc->mc_core_netbsd = true;
			else {
				fprintf(stderr,
				    "uvmsim: --core-style: unknown style '%s' "
				    "(host, netbsd)\n",
				    optarg);
				return EXIT_USAGE;
			}
			ov.so_corestyle = true;
			break;
		case 'e':
			errno = 0;
			seed = strtoull(optarg, &end, 0);
			if (*optarg < '0' || *optarg > '9' || *end != '\0' ||
			    errno == ERANGE) {
				fprintf(stderr,
				    "uvmsim: --seed: bad number '%s'\n",
				    optarg);
				return EXIT_USAGE;
			}
			ov.so_has_seed = true;
			ov.so_seed = seed;
			break;
		case 'F':
			if (!check_sandbox(optarg))
				return EXIT_USAGE;
			opts.filedir = optarg;
			break;
		case 'C':
			if (!check_dir("--cores", optarg))
				return EXIT_USAGE;
			opts.coredir = optarg;
			break;
		case 'j':
			opts.json = optarg;
			break;
		case 'f':
			if ((id = parse_fail(optarg, &fs)) < 0)
				return EXIT_USAGE;
			if (ov.so_fail[id]) {
				fprintf(stderr,
				    "uvmsim: --fail %s: failpoint %s is "
				    "already set\n",
				    optarg, failpoints[id].fp_name);
				return EXIT_USAGE;
			}
			ov.so_fail[id] = true;
			mc->mc_fail[id] = fs;
			break;
		case 't':
			trace_open(stderr);
			break;
		case 'k':
			opts.check = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("uvmsim %s\n", UVMSIM_VERSION);
			return 0;
		case ':':
			fprintf(stderr, "uvmsim: option '%s' needs a value\n",
			    argv[optind - 1]);
			return EXIT_USAGE;
		default:
			/*
			 * getopt says which option through optopt: 0 for an
			 * unknown long option (the argument it stepped over),
			 * a long option's value for one given a value it does
			 * not take, else the unknown short option.
			 */
			if (optopt != 0 &&
			    strncmp(argv[optind - 1], "--", 2) == 0)
				fprintf(stderr,
				    "uvmsim: option '%.*s' takes "
				    "no value\n",
				    (int)strcspn(argv[optind - 1], "="),
				    argv[optind - 1]);
			else if (optopt != 0)
				fprintf(stderr,
				    "uvmsim: unknown option '-%c'\n", optopt);
			else
				fprintf(stderr, "uvmsim: unknown option '%s'\n",
				    argv[optind - 1]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cmd = argv[optind++];
		if (strcmp(cmd, "help") == 0) /* the statements (uvmsim(5)) */
			return scen_help(stdout);
		if (strcmp(cmd, "run") != 0 && strcmp(cmd, "check") != 0) {
			fprintf(stderr,
			    "uvmsim: unknown command '%s' (run, check)\n", cmd);
			usage(stderr);
			return EXIT_USAGE;
		}
		if (optind == argc) {
			fprintf(stderr, "uvmsim: %s: which scenario file?\n",
			    cmd);
			return EXIT_USAGE;
		}
		file = argv[optind++];
	}
	if (optind < argc) {
		fprintf(stderr, "uvmsim: unexpected argument '%s'\n",
		    argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}

	if (file != NULL && opts.json != NULL && !check_json(opts.json, file))
		return EXIT_USAGE;
	if (file != NULL) {
		if ((text = read_scenario(file)) == NULL)
			return EXIT_USAGE;
		name = strcmp(file, "-") == 0 ? "(stdin)" : file;
	} else {
		text = strdup(scen_demo_text);
		if (text == NULL) {
			fprintf(stderr, "uvmsim: out of memory\n");
			return 1;
		}
		name = SCEN_DEMO_NAME;
	}
	if (scen_parse(&sc, name, text, &ov, stderr) != 0) {
		free(text);
		return EXIT_USAGE;
	}
	free(text);
	if (cmd != NULL && strcmp(cmd, "check") == 0) {
		printf("%s: ok\n", name);
		scen_free(&sc);
		return 0;
	}
	if (!check_tmpdir()) {
		scen_free(&sc);
		return EXIT_USAGE;
	}
	if ((opts.out = outcap_open(&oc, stdout, max_output)) == NULL) {
		fprintf(stderr, "uvmsim: out of memory\n");
		scen_free(&sc);
		return 1;
	}
	rv = scen_run(&sc, &opts);
	scen_free(&sc);
	trace_close();
	if (!outcap_close(&oc, opts.out))
		rv = 1;
	return rv;
}
