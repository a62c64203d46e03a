/*
 * uvm_io.c: moving bytes in and out of an address space -- the loads and
 * stores of simulated programs, and the kernel's copyin and copyout.
 *
 * Every byte goes through the MMU (pmap_access).  When the MMU faults,
 * the fault handler is asked to fix the mapping and the access is tried
 * again, as the trap handler and the faulting instruction do on real
 * hardware.  A fault the handler cannot fix ends the access: for a
 * program it becomes a signal, for the kernel the error EFAULT.
 */

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "uvm/uvm.h"

enum uvm_io_op {
	UVM_IO_LOAD,  /* address space -> buffer */
	UVM_IO_STORE, /* buffer -> address space */
	UVM_IO_FILL,  /* a byte value -> address space */
};

/* an MMU fault the handler fixed must not fault again this often */
#define UVM_IO_MAXRETRY 4

/*
 * uvm_io: move len bytes at va in map, a page at a time.
 *
 * => returns 0, or the fault handler's error for the first page it
 *    could not map, with that address in *faultva; the bytes before it
 *    were moved.
 */
static int
uvm_io(struct vm_map *map, vaddr_t va, enum uvm_io_op op, void *buf, int c,
    size_t len, vaddr_t *faultva)
{
	vm_prot_t access = op == UVM_IO_LOAD ? VM_PROT_READ : VM_PROT_WRITE;
	unsigned char *p = buf;
	int error, retries = 0;
	size_t n;
	void *host;

	while (len > 0) {
		error = pmap_access(map->pmap, va, access, &host);
		if (error) {
			KASSERTMSG(retries < UVM_IO_MAXRETRY,
			    "%s: fault at 0x%llx fixed but access faults again",
			    __func__, (unsigned long long)va);
			error = uvm_fault(map, va,
			    error == EACCES ? VM_FAULT_PROTECT :
					      VM_FAULT_INVALID,
			    access);
			if (error) {
				*faultva = va;
				return error;
			}
			retries++;
			continue;
		}
		retries = 0;
		n = MIN(len, PAGE_SIZE - (va & PAGE_MASK));
		switch (op) {
		case UVM_IO_LOAD:
			memcpy(p, host, n);
			p += n;
			break;
		case UVM_IO_STORE:
			memcpy(host, p, n);
			p += n;
			break;
		case UVM_IO_FILL:
			memset(host, c, n);
			break;
		}
		va += n;
		len -= n;
	}
	return 0;
}

/*
 * uvm_fault_signal: the signal a program's failed fault becomes.
 *
 * => EFAULT (nothing mapped) is SIGSEGV/SEGV_MAPERR, EACCES SIGSEGV/
 *    SEGV_ACCERR; EINVAL (a page past the end of a file) SIGBUS/
 *    BUS_ADRERR, EIO SIGBUS/BUS_OBJERR; ENOMEM, out of memory and swap,
 *    kills the process (SIGKILL), as UVM does.
 * => the numbers are the host's, so the host's debugger reads them
 *    right in a core file.
 */
int
uvm_fault_signal(int error, int *codep)
{
	int code = 0, sig;

	switch (error) {
	case EFAULT:
		sig = SIGSEGV;
		code = SEGV_MAPERR;
		break;
	case EACCES:
		sig = SIGSEGV;
		code = SEGV_ACCERR;
		break;
	case EINVAL:
		sig = SIGBUS;
		code = BUS_ADRERR;
		break;
	case ENOMEM:
		sig = SIGKILL;
		break;
	default:
		sig = SIGBUS;
		code = BUS_OBJERR;
		break;
	}
	if (codep != NULL)
		*codep = code;
	return sig;
}

/* the access is finished or failed: fill in the report */
static int
uvm_io_user(struct vm_map *map, vaddr_t va, enum uvm_io_op op, void *buf, int c,
    size_t len, struct uvm_access_fault *uaf)
{
	vaddr_t faultva;
	int error;

	error = uvm_io(map, va, op, buf, c, len, &faultva);
	if (error == 0)
		return 0;
	if (uaf != NULL) {
		uaf->uaf_va = faultva;
		uaf->uaf_access =
		    op == UVM_IO_LOAD ? VM_PROT_READ : VM_PROT_WRITE;
		uaf->uaf_error = error;
		uaf->uaf_signo = uvm_fault_signal(error, &uaf->uaf_code);
	}
	return uvm_fault_signal(error, NULL);
}

/*
 * uvm_load, uvm_store, uvm_fill: a program's loads and stores of len
 * bytes at va in vm.
 *
 * => return 0, or the signal the program gets (see uvm_fault_signal),
 *    with the faulting address and error in *uaf if uaf is not NULL;
 *    the bytes before the faulting page were moved, as a string
 *    instruction would have moved them.
 */
int
uvm_load(struct vmspace *vm, vaddr_t va, void *buf, size_t len,
    struct uvm_access_fault *uaf)
{
	return uvm_io_user(&vm->vm_map, va, UVM_IO_LOAD, buf, 0, len, uaf);
}

int
uvm_store(struct vmspace *vm, vaddr_t va, const void *buf, size_t len,
    struct uvm_access_fault *uaf)
{
	return uvm_io_user(&vm->vm_map, va, UVM_IO_STORE,
	    (void *)(uintptr_t)buf, 0, len, uaf);
}

int
uvm_fill(struct vmspace *vm, vaddr_t va, int c, size_t len,
    struct uvm_access_fault *uaf)
{
	return uvm_io_user(&vm->vm_map, va, UVM_IO_FILL, NULL, c, len, uaf);
}

/* is [uaddr, uaddr + len) a user range? */
static bool
uvm_io_userrange(vaddr_t uaddr, size_t len)
{
	return uaddr < VM_MAXUSER_ADDRESS && len <= VM_MAXUSER_ADDRESS - uaddr;
}

/*
 * uvm_copyin: the kernel reads len bytes from user address uaddr in vm.
 *
 * => returns 0, or EFAULT if any of it is not a user address, not
 *    mapped, not readable, or cannot be brought in.
 */
int
uvm_copyin(struct vmspace *vm, vaddr_t uaddr, void *kaddr, size_t len)
{
	vaddr_t faultva;

	if (!uvm_io_userrange(uaddr, len))
		return EFAULT;
	return uvm_io(&vm->vm_map, uaddr, UVM_IO_LOAD, kaddr, 0, len,
		   &faultva) == 0 ?
	    0 :
	    EFAULT;
}

/*
 * uvm_copyout: the kernel writes len bytes to user address uaddr in vm.
 *
 * => returns 0, or EFAULT as uvm_copyin does (not writable included).
 */
int
uvm_copyout(struct vmspace *vm, const void *kaddr, vaddr_t uaddr, size_t len)
{
	vaddr_t faultva;

	if (!uvm_io_userrange(uaddr, len))
		return EFAULT;
	return uvm_io(&vm->vm_map, uaddr, UVM_IO_STORE,
		   (void *)(uintptr_t)kaddr, 0, len, &faultva) == 0 ?
	    0 :
	    EFAULT;
}

/*
 * uvm_kio: the kernel's own access to kernel memory at kva.
 *
 * => pageable kernel memory is faulted in; returns 0 or the fault's
 *    error.
 */
int
uvm_kio(vaddr_t kva, void *buf, size_t len, bool write)
{
	vaddr_t faultva;

	return uvm_io(kernel_map, kva, write ? UVM_IO_STORE : UVM_IO_LOAD, buf,
	    0, len, &faultva);
}
