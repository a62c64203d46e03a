/*
 * systm.h: the kernel's utility functions that the VM system uses too,
 * as NetBSD's <sys/systm.h> declares printf and log for all the kernel.
 * kern/subr_prf.c implements them.
 */

#ifndef _SYS_SYSTM_H_
#define _SYS_SYSTM_H_

#include <stddef.h>

#include "machine/types.h"

/* a line in the kernel's message buffer (dmesg), which keeps the last */
#define MSGBUFSIZE 16384 /* bytes */
void kmsg(const char *fmt, ...) __printflike(1, 2);
size_t kern_msgbuf(char *, size_t);
void kern_msgbuf_clear(void);

#endif /* _SYS_SYSTM_H_ */
