/*
 * uvm_km.h: kernel virtual memory, inside the VM system.
 *
 * The public part (kernel_map, uvm_km_valloc, ...) is in uvm_extern.h.
 */

#ifndef _UVM_UVM_KM_H_
#define _UVM_UVM_KM_H_

#include "machine/types.h"

struct uvm_object;

void uvm_km_init(void);
void uvm_km_fini(void);
void uvm_km_pgremove(struct uvm_object *, voff_t start, voff_t end);

#endif /* _UVM_UVM_KM_H_ */
