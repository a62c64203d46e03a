/*
 * kern_exec.c: the address space a new program starts with, and stack
 * growth.
 *
 * A program gets an empty user address space but for its stack
 * segment, laid out as NetBSD's exec does it: the whole segment of
 * MAXSSIZ bytes is mapped below USRSTACK at once, zero-fill, private,
 * but only the top RLIMIT_STACK bytes are accessible.  Below that the
 * protection is none, so touching it is SIGSEGV; raising the limit
 * (dosetrlimit) opens more of it.
 *
 *	vm_maxsaddr                          USRSTACK - rlim_cur    USRSTACK
 *	|<------------- PROT_NONE ------------->|<------ read/write -->|
 *
 * The data segment starts at KERN_DATA_BASE and is grown by brk.
 */

#include "kern/kern.h"

/*
 * kern_exec_vmspace: a fresh address space for a program started by p
 * (its stack limit sets the accessible part of the stack).
 *
 * => returns the vmspace, or NULL if memory ran out.
 */
struct vmspace *
kern_exec_vmspace(struct proc *p)
{
	rlim_t ssize = round_page(p->p_rlimit[RLIMIT_STACK].rlim_cur);
	struct vmspace *vm;
	vaddr_t va;
	int flags;

	vm = uvmspace_alloc(VM_MIN_ADDRESS, VM_MAXUSER_ADDRESS);
	if (vm == NULL)
		return NULL;
	vm->vm_maxsaddr = USRSTACK - MAXSSIZ;
	vm->vm_minsaddr = USRSTACK;
	vm->vm_daddr = KERN_DATA_BASE;
	vm->vm_taddr = KERN_DATA_BASE;
	ssize = MIN(ssize, MAXSSIZ);
	flags = UVM_FLAG_FIXED | UVM_FLAG_COPYONW | UVM_FLAG_NOMERGE;
	if (ssize < MAXSSIZ) {
		va = vm->vm_maxsaddr;
		if (uvm_map(&vm->vm_map, &va, MAXSSIZ - ssize, NULL, 0, 0,
			UVM_MAPFLAG(VM_PROT_NONE, VM_PROT_ALL, MAP_INHERIT_COPY,
			    UVM_ADV_NORMAL, flags)) != 0)
			goto fail;
	}
	va = USRSTACK - ssize;
	if (ssize > 0 &&
	    uvm_map(&vm->vm_map, &va, ssize, NULL, 0, 0,
		UVM_MAPFLAG(VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL,
		    MAP_INHERIT_COPY, UVM_ADV_NORMAL, flags)) != 0)
		goto fail;
	return vm;
fail:
	uvmspace_free(vm);
	return NULL;
}

/*
 * uvm_grow: a fault at va succeeded; if va is in the stack segment,
 * the stack now reaches down to it (vm_ssize, which core dumps use).
 */
void
uvm_grow(struct proc *p, vaddr_t va)
{
	struct vmspace *vm = p->p_vmspace;
	vsize_t nss;

	if (va < vm->vm_maxsaddr || va >= USRSTACK)
		return;
	nss = atop(USRSTACK - trunc_page(va));
	if (nss > atop(round_page(p->p_rlimit[RLIMIT_STACK].rlim_cur)))
		return;
	if (nss > vm->vm_ssize)
		vm->vm_ssize = nss;
}
