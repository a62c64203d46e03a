/*
 * subr_prf.c: the kernel's message buffer -- what NetBSD's kernel
 * printf and log(9) leave for dmesg(8).
 *
 * Messages go into a ring buffer of MSGBUFSIZE bytes, each line stamped
 * with the simulated time; when it is full the oldest lines are lost.
 * The host reads it with kern_msgbuf (a test looks for a line there).
 */

#include <stdarg.h>
#include <stdio.h>

#include "kern/kern.h"

#define MSGBUFSIZE 16384

static char msgbuf[MSGBUFSIZE];
static size_t msgbuf_start, msgbuf_len; /* the ring's live bytes */

static void
msgbuf_putc(char c)
{
	msgbuf[(msgbuf_start + msgbuf_len) % MSGBUFSIZE] = c;
	if (msgbuf_len < MSGBUFSIZE)
		msgbuf_len++;
	else
		msgbuf_start = (msgbuf_start + 1) % MSGBUFSIZE;
}

/*
 * kmsg: log one line (printf-style; the newline is added).
 */
void
kmsg(const char *fmt, ...)
{
	char line[512];
	simtime_t t = clock_now();
	va_list ap;
	int n, i;

	n = snprintf(line, sizeof(line), "[%4llu.%06llu] ",
	    (unsigned long long)(t / 1000000),
	    (unsigned long long)(t % 1000000));
	va_start(ap, fmt);
	(void)vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	for (i = 0; line[i] != '\0'; i++)
		msgbuf_putc(line[i]);
	msgbuf_putc('\n');
}

/*
 * kern_msgbuf: copy the message buffer, oldest first, into buf (of len
 * bytes, NUL-terminated).
 *
 * => returns the length of the whole buffer (it may exceed len - 1).
 */
size_t
kern_msgbuf(char *buf, size_t len)
{
	size_t i;

	for (i = 0; len > 0 && i < msgbuf_len && i < len - 1; i++)
		buf[i] = msgbuf[(msgbuf_start + i) % MSGBUFSIZE];
	if (len > 0)
		buf[i] = '\0';
	return msgbuf_len;
}

/* kern_msgbuf_clear: an empty buffer (boot) */
void
kern_msgbuf_clear(void)
{
	msgbuf_start = msgbuf_len = 0;
}
