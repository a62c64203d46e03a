/*
 * uvm_swap.h: swap space, inside the VM system.
 */

#ifndef _UVM_UVM_SWAP_H_
#define _UVM_UVM_SWAP_H_

#include "machine/types.h"

bool uvm_swapisfull(void);

#endif /* _UVM_UVM_SWAP_H_ */
