/*
 * uvm_fault.h: the page fault handler.
 */

#ifndef _UVM_UVM_FAULT_H_
#define _UVM_UVM_FAULT_H_

#include "machine/types.h"

struct vm_map;

typedef int vm_fault_t;

#define VM_FAULT_INVALID 0 /* no valid translation */
#define VM_FAULT_PROTECT 1 /* the translation forbade the access */
#define VM_FAULT_WIRE	 2 /* wire the page, current protection */
#define VM_FAULT_WIREMAX 3 /* wire the page, maximum protection */

int uvm_fault(struct vm_map *, vaddr_t, vm_fault_t, vm_prot_t access);
int uvm_fault_wire(struct vm_map *, vaddr_t start, vaddr_t end, vm_fault_t,
    vm_prot_t access);
void uvm_fault_unwire(struct vm_map *, vaddr_t start, vaddr_t end);
void uvm_fault_unwire_locked(struct vm_map *, vaddr_t start, vaddr_t end);

#endif /* _UVM_UVM_FAULT_H_ */
