/*
 * uvm_swap.h: swap space, inside the VM system.
 *
 * Swap slots are numbered from 1; 0 means "no slot" (an anon's or an
 * aobj page's an_swslot / slot value).  Slot s lives in page s - 1 of
 * the swap disk.
 */

#ifndef _UVM_UVM_SWAP_H_
#define _UVM_UVM_SWAP_H_

#include "machine/types.h"

struct kcheck;
struct vm_page;

void uvm_swap_init(void);
void uvm_swap_fini(void);
bool uvm_swapisfull(void);
int uvm_swap_alloc(int *nslotsp, bool lessok);
void uvm_swap_free(int slot, int nslots);
bool uvm_swap_slot_inuse(int slot);
bool uvm_swap_slot_isbad(int slot);
void uvm_swap_markbad(int slot, int nslots);
int uvm_swap_put(int slot, struct vm_page **pps, int npages);
int uvm_swap_get(struct vm_page *, int slot);
int uvm_swap_check(struct kcheck *);

#endif /* _UVM_UVM_SWAP_H_ */
