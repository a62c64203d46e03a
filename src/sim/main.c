/*
 * main.c: the uvmsim command.
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"

#ifndef UVMSIM_VERSION
#define UVMSIM_VERSION "0.1"
#endif

#define EXIT_USAGE 2

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: uvmsim [--memory SIZE] [--swap SIZE] [--pagesize SIZE]\n"
	    "              [--policy NAME] [--maxslp SECONDS] [--hz N]\n"
	    "              [--upages N] [--switch asm|ucontext]\n"
	    "       uvmsim -h | --help | --version\n"
	    "\n"
	    "With no arguments uvmsim boots a simulated machine and runs the\n"
	    "built-in demonstration: processes fork, share pages copy-on-write,\n"
	    "sleep, and are swapped out and back in.\n"
	    "\n"
	    "  --memory SIZE    physical memory (default %zu pages)\n"
	    "  --swap SIZE      swap disk (default %zu pages)\n"
	    "  --pagesize SIZE  page size, a power of two from 512 to 65536\n"
	    "                   (default %d)\n"
	    "  --policy NAME    page replacement: clock (default), fifo, lru\n"
	    "  --maxslp SECONDS asleep this long, a process may be swapped out\n"
	    "                   (default %d)\n"
	    "  --hz N           clock ticks per second (default %d)\n"
	    "  --upages N       pages per u-area (default: 16 KiB of them)\n"
	    "  --switch METHOD  context switch: asm (the default where there\n"
	    "                   is one) or ucontext\n"
	    "SIZE is a number of bytes with an optional k, m or g suffix\n"
	    "(powers of 1024); memory and swap must be whole pages.\n",
	    (size_t)MACHINE_NPAGES_DEFAULT, (size_t)MACHINE_SWAPSLOTS_DEFAULT,
	    PAGE_SIZE_DEFAULT, MACHINE_MAXSLP_DEFAULT, MACHINE_HZ_DEFAULT);
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
 * => returns 0 and the value, or EINVAL (not a number, bad suffix,
 *    zero) or ERANGE (too big).
 */
static int
parse_size(const char *s, size_t *out)
{
	unsigned long long v, mul = 1;
	char *end;

	if (*s < '0' || *s > '9')
		return EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return ERANGE;
	switch (*end) {
	case 'k':
	case 'K':
		mul = 1ULL << 10;
		end++;
		break;
	case 'm':
	case 'M':
		mul = 1ULL << 20;
		end++;
		break;
	case 'g':
	case 'G':
		mul = 1ULL << 30;
		end++;
		break;
	}
	if (*end != '\0' || v == 0)
		return EINVAL;
	if (v > SIZE_MAX / mul)
		return ERANGE;
	*out = (size_t)(v * mul);
	return 0;
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
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct machine_config mc;
	size_t memory = 0, swap = 0, v;
	const char *why;
	int ch, error, li;
	long n;

	machine_config_default(&mc);
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":h", longopts, &li)) != -1) {
		switch (ch) {
		case 'm':
		case 's':
		case 'p':
			error = parse_size(optarg, &v);
			if (error) {
				fprintf(stderr,
				    "uvmsim: --%s: bad size '%s': %s\n",
				    longopts[li].name, optarg,
				    error == ERANGE ?
					"too large" :
					"expected a positive number with an "
					"optional k, m or g suffix");
				return EXIT_USAGE;
			}
			if (ch == 'm')
				memory = v;
			else if (ch == 's')
				swap = v;
			else
				mc.mc_pagesize = v;
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
			if (ch == 'S')
				mc.mc_maxslp = (int)n;
			else if (ch == 'z')
				mc.mc_hz = (int)n;
			else if (n == 0) {
				fprintf(stderr,
				    "uvmsim: --upages: must be at "
				    "least 1\n");
				return EXIT_USAGE;
			} else
				mc.mc_upages = (unsigned int)n;
			break;
		case 'P':
			why = uvmpdpol_check(optarg);
			if (why != NULL) {
				fprintf(stderr, "uvmsim: --policy %s: %s\n",
				    optarg, why);
				return EXIT_USAGE;
			}
			mc.mc_policy = optarg;
			break;
		case 'w':
			if (strcmp(optarg, "asm") == 0)
				mc.mc_switch = CPU_SWITCH_ASM;
			else if (strcmp(optarg, "ucontext") == 0)
				mc.mc_switch = CPU_SWITCH_UCONTEXT;
			else {
				fprintf(stderr,
				    "uvmsim: --switch: unknown method '%s' "
				    "(asm, ucontext)\n",
				    optarg);
				return EXIT_USAGE;
			}
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
		fprintf(stderr, "uvmsim: unexpected argument '%s'\n",
		    argv[optind]);
		usage(stderr);
		return EXIT_USAGE;
	}
	/* the page size first: memory and swap are counted in pages */
	why = machine_pagesize_check(mc.mc_pagesize);
	if (why != NULL) {
		fprintf(stderr, "uvmsim: bad machine: %s\n", why);
		return EXIT_USAGE;
	}
	if (memory != 0) {
		if (memory % mc.mc_pagesize != 0) {
			fprintf(stderr,
			    "uvmsim: --memory %zu is not a whole "
			    "number of %zu-byte pages\n",
			    memory, mc.mc_pagesize);
			return EXIT_USAGE;
		}
		mc.mc_npages = memory / mc.mc_pagesize;
	}
	if (swap != 0) {
		if (swap % mc.mc_pagesize != 0) {
			fprintf(stderr,
			    "uvmsim: --swap %zu is not a whole "
			    "number of %zu-byte pages\n",
			    swap, mc.mc_pagesize);
			return EXIT_USAGE;
		}
		mc.mc_swapslots = swap / mc.mc_pagesize;
	}
	why = machine_config_check(&mc);
	if (why != NULL) {
		fprintf(stderr, "uvmsim: bad machine: %s\n", why);
		return EXIT_USAGE;
	}
	return sim_demo(stdout, &mc);
}
