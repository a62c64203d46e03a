/*
 * kern.h: the kernel's interface to the simulator front end.
 */

#ifndef _KERN_KERN_H_
#define _KERN_KERN_H_

#include "machine/machdep.h"
#include "uvm/uvm_extern.h"

int kern_boot(const struct machine_config *);
void kern_shutdown(void);

#endif /* _KERN_KERN_H_ */
