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

static char msgbuf[MSGBUFSIZE];
static size_t msgbuf_start, msgbuf_len; /* the ring's live bytes */
static bool msgbuf_cut; /* the oldest line has lost its beginning */

static void
msgbuf_putc(char c)
{
	size_t at = (msgbuf_start + msgbuf_len) % MSGBUFSIZE;

	if (msgbuf_len < MSGBUFSIZE)
		msgbuf_len++;
	else {
		/* the oldest byte goes */
		msgbuf_cut = msgbuf[at] != '\n';
		msgbuf_start = (msgbuf_start + 1) % MSGBUFSIZE;
	}
	msgbuf[at] = c;
}

static char
msgbuf_at(size_t i)
{
	return msgbuf[(msgbuf_start + i) % MSGBUFSIZE];
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
 * kern_msgbuf: copy the newest whole lines of the message buffer that
 * fit, oldest first, into buf (of len bytes, NUL-terminated); a line
 * the ring has partly overwritten is left out.
 *
 * => returns the length of what was copied (less than len).
 */
size_t
kern_msgbuf(char *buf, size_t len)
{
	size_t i, skip = 0, n;
	bool cut = msgbuf_cut;

	if (len == 0)
		return 0;
	n = msgbuf_len;
	if (n > len - 1) {
		skip = n - (len - 1);
		n = len - 1;
		cut = msgbuf_at(skip - 1) != '\n';
	}
	if (cut) {
		/* start after the first newline */
		while (n > 0 && msgbuf_at(skip) != '\n') {
			skip++;
			n--;
		}
		if (n > 0) {
			skip++;
			n--;
		}
	}
	for (i = 0; i < n; i++)
		buf[i] = msgbuf_at(skip + i);
	buf[n] = '\0';
	return n;
}

/* kern_msgbuf_clear: an empty buffer (boot) */
void
kern_msgbuf_clear(void)
{
	msgbuf_start = msgbuf_len = 0;
	msgbuf_cut = false;
}
