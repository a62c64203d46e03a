/*
 * kassert.c: panic and the consistency-report helpers.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "machine/kassert.h"

void (*panic_hook)(const char *msg);
char panic_msg[512];

/*
 * panic: the machine has found a broken invariant.
 *
 * => the message goes to standard error prefixed "panic: ", then the
 *    program aborts so a debugger or core shows where it happened.
 * => if panic_hook is set it is called with the message instead; it must
 *    not return.
 */
void
panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(panic_msg, sizeof(panic_msg), fmt, ap);
	va_end(ap);
	if (panic_hook != NULL) {
		panic_hook(panic_msg);
		fprintf(stderr, "panic: panic hook returned\n");
	}
	fprintf(stderr, "panic: %s\n", panic_msg);
	fflush(NULL);
	abort();
}

void
kcheck_init(struct kcheck *kc)
{
	kc->kc_nerr = 0;
	kc->kc_msg[0] = '\0';
}

/*
 * kcheck_fail: record one inconsistency; the first message is kept.
 */
void
kcheck_fail(struct kcheck *kc, const char *fmt, ...)
{
	va_list ap;

	if (kc->kc_nerr++ == 0) {
		va_start(ap, fmt);
		vsnprintf(kc->kc_msg, sizeof(kc->kc_msg), fmt, ap);
		va_end(ap);
	}
}
