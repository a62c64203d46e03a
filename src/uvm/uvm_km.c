/*
 * uvm_km.c: kernel virtual memory -- the kernel map and its allocators.
 *
 * kernel_map covers the kernel half of the address space.  Its pageable
 * memory is backed by the kernel object, an anonymous object whose
 * offsets are kernel addresses less VM_MIN_KERNEL_ADDRESS: a page of
 * kernel memory is made zero-filled when first touched (a fault on
 * kernel_map), can be wired (uvm_fault_wire) and, once unwired, paged
 * out like user memory.  That is how a swapped-out process's u-area
 * leaves memory.
 *
 *	uvm_km_valloc(_align)	address space only; pages on demand
 *	uvm_km_alloc		address space with wired, zeroed pages
 *	uvm_km_free		give both back
 *
 * kernel_map's entries are not wired by these functions: a wired kernel
 * allocation is wired page by page, so neighbouring allocations can
 * still merge into one entry instead of fragmenting the map.
 */

#include <errno.h>

#include "uvm/uvm.h"

static struct vm_map kernel_map_store;
struct vm_map *kernel_map;
struct uvm_object *uvm_kernel_object;

/*
 * uvm_km_init: set up kernel_map and the kernel object.
 */
void
uvm_km_init(void)
{
	uvm_kernel_object =
	    uao_create((voff_t)(VM_MAX_KERNEL_ADDRESS - VM_MIN_KERNEL_ADDRESS),
		UAO_FLAG_KERNOBJ);
	uvm_map_setup(&kernel_map_store, VM_MIN_KERNEL_ADDRESS,
	    VM_MAX_KERNEL_ADDRESS, VM_MAP_PAGEABLE);
	kernel_map_store.pmap = pmap_kernel();
	kernel_map = &kernel_map_store;
}

/*
 * uvm_km_fini: release all kernel memory (shutdown).
 */
void
uvm_km_fini(void)
{
	struct vm_map_entry *dead = NULL;
	struct uvm_mapent_reservation umr = { .umr_nentries = 0 };

	vm_map_lock(kernel_map);
	uvm_unmap_remove_reserved(kernel_map, vm_map_min(kernel_map),
	    vm_map_max(kernel_map), &dead, &umr);
	vm_map_unlock(kernel_map);
	uvm_unmap_detach(dead);
	uvm_map_teardown(kernel_map);
	uao_destroy_kernel(uvm_kernel_object);
	uvm_kernel_object = NULL;
	kernel_map = NULL;
}

/*
 * uvm_km_pgremove: free the pages of the kernel object in [start, end).
 *
 * => called by uvm_unmap_remove once the range is unmapped; wired
 *    pages are freed too (kernel allocations wire pages, not entries).
 */
void
uvm_km_pgremove(struct uvm_object *uobj, voff_t start, voff_t end)
{
	KASSERT(UVM_OBJ_IS_KERN_OBJECT(uobj));
	uobj->pgops->pgo_put(uobj, start, end, PGO_FREE);
}

/*
 * uvm_km_valloc_align: `size' bytes of kernel address space aligned to
 * `align' (0: a page), with no pages yet: each is zero-filled on first
 * touch.
 *
 * => returns the address, or 0 if the kernel map is full or the kva
 *    failpoint says so.
 */
vaddr_t
uvm_km_valloc_align(struct vm_map *map, vsize_t size, vsize_t align)
{
	vaddr_t va = vm_map_min(map);

	size = round_page(size);
	if (size == 0 || failpoint_hit(FP_KVA))
		return 0;
	if (uvm_map(map, &va, size, uvm_kernel_object, UVM_UNKNOWN_OFFSET,
		align,
		UVM_MAPFLAG(VM_PROT_ALL, VM_PROT_ALL, MAP_INHERIT_NONE,
		    UVM_ADV_RANDOM, 0)) != 0)
		return 0;
	return va;
}

vaddr_t
uvm_km_valloc(struct vm_map *map, vsize_t size)
{
	return uvm_km_valloc_align(map, size, 0);
}

/*
 * uvm_km_alloc: `size' bytes of wired, zero-filled kernel memory.
 *
 * => returns the address, or 0 if address space or pages ran out
 *    (nothing is left allocated then).
 */
vaddr_t
uvm_km_alloc(struct vm_map *map, vsize_t size)
{
	vaddr_t va;

	size = round_page(size);
	va = uvm_km_valloc(map, size);
	if (va == 0)
		return 0;
	if (uvm_fault_wire(map, va, va + size, VM_FAULT_WIRE,
		VM_PROT_READ | VM_PROT_WRITE) != 0) {
		uvm_km_free(map, va, size);
		return 0;
	}
	return va;
}

/*
 * uvm_km_free: give back kernel memory from uvm_km_valloc or
 * uvm_km_alloc, with its pages.
 *
 * => splitting a merged kernel map entry needs a new entry; until one can
 *    be had this waits, as a kernel free must not fail.
 */
void
uvm_km_free(struct vm_map *map, vaddr_t addr, vsize_t size)
{
	vaddr_t start = trunc_page(addr), end = round_page(addr + size);

	while (uvm_unmap(map, start, end) == ENOMEM)
		uvm_wait("km_free");
}
