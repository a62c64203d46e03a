/*
 * buf.h: the buffer cache's part of the kernel's definitions -- the
 * transfer directions and the buffer region that the VM system must
 * keep its hands off (see uvm_kernacc).
 */

#ifndef _SYS_BUF_H_
#define _SYS_BUF_H_

#include "machine/types.h"

/* transfer directions (uvm_kernacc, uvm_useracc, physio) */
#define B_WRITE 0x0 /* memory -> device */
#define B_READ	0x1 /* device -> memory */

#define MAXBSIZE (64 * 1024) /* the largest buffer */

/*
 * the buffer cache's kernel virtual memory: nbuf buffers of MAXBSIZE
 * bytes from `buffers' on, whose pages the buffer cache enters and
 * removes itself, behind the VM system's back.
 */
extern vaddr_t buffers;
extern int nbuf;

void bufinit(void);
void buffini(void);

#endif /* _SYS_BUF_H_ */
