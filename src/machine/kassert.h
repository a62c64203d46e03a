/*
 * kassert.h: assertions, panic, and whole-structure consistency reports.
 *
 * As in NetBSD's kernel, two options say which assertions are compiled:
 *
 *	DIAGNOSTIC	KASSERT and KASSERTMSG: the invariants cheap enough
 *			for every build.  The program is built with it (as
 *			NetBSD's GENERIC kernel is): the simulator is a
 *			teaching and testing tool, and a broken invariant
 *			must stop it at once.
 *	DEBUG		KDASSERT and KDASSERTMSG too: the checks that cost
 *			too much on a fault's fast path (a lookup, a walk) or
 *			that run on every page access.  The tests and the
 *			sanitizer builds define it, so they keep every check.
 *
 * Without DIAGNOSTIC nothing is checked; that build is for measuring
 * what the checks cost (make BUILD=build/nd DIAG=).
 */

#ifndef _MACHINE_KASSERT_H_
#define _MACHINE_KASSERT_H_

#include "machine/types.h"

__dead void panic(const char *fmt, ...) __printflike(1, 2);

/*
 * panic_hook: if set, panic() formats its message and calls the hook
 * instead of aborting.  Tests use it to catch an expected panic with
 * longjmp; the hook must not return.
 */
extern void (*panic_hook)(const char *msg);

/* the message of the last panic, kept for tests and post-mortems */
extern char panic_msg[512];

#ifdef DIAGNOSTIC
#define KASSERTMSG(e, ...)                  \
	do {                                \
		if (__predict_false(!(e)))  \
			panic(__VA_ARGS__); \
	} while (0)
#else
/* not evaluated; sizeof keeps the variables it names in use */
#define KASSERTMSG(e, ...) ((void)sizeof(!(e)))
#endif

#define KASSERT(e)                                                            \
	KASSERTMSG(e, "kernel assertion \"%s\" failed: file \"%s\", line %d", \
	    #e, __FILE__, __LINE__)

#if defined(DEBUG) && defined(DIAGNOSTIC)
#define KDASSERT(e)	    KASSERT(e)
#define KDASSERTMSG(e, ...) KASSERTMSG(e, __VA_ARGS__)
#else
#define KDASSERT(e)	    ((void)0)
#define KDASSERTMSG(e, ...) ((void)0)
#endif

/*
 * struct kcheck: the report of a consistency checker.  A checker walks a
 * whole structure (page queues, pv lists, maps, ...) and calls
 * kcheck_fail() for every inconsistency it finds; the first message is
 * kept, the rest are only counted.  Checkers never panic themselves, so a
 * test can corrupt a structure on purpose and see the checker object.
 */
struct kcheck {
	unsigned kc_nerr; /* inconsistencies found */
	char kc_msg[256]; /* the first one, in words */
};

void kcheck_init(struct kcheck *);
void kcheck_fail(struct kcheck *, const char *fmt, ...) __printflike(2, 3);

#endif /* _MACHINE_KASSERT_H_ */
