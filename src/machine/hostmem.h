/*
 * hostmem.h: the host's memory, as the simulator takes it for its own
 * records -- and the one rule on running out of memory.
 *
 * Two kinds of memory run out, and they are never confused:
 *
 * - The simulated machine's.  A kernel allocator that can fail in
 *   NetBSD (a page, an anon, an amap, a map entry, a vmspace, a swap
 *   slot, kernel VA, pmap memory) fails only when its simulated resource
 *   is used up or when its failpoint (failpoint.h) says so.  Its callers
 *   handle the failure as NetBSD's do (ENOMEM, a wait, SIGKILL).  This
 *   is the only way a test or a scenario makes memory run out.
 * - The host's.  The host memory under the simulator's records (a
 *   vmspace's struct, a core dump's segment list, an amap's arrays) is
 *   not a resource the simulated machine can see: if the host has none
 *   left the run cannot go on faithfully, so it panics, through
 *   hostmem_alloc, _zalloc and _realloc below, with "out of host
 *   memory".  Kernel code (machine/, uvm/, kern/) never turns a failed
 *   host allocation into an errno value, and never calls malloc, calloc
 *   or realloc and tests for NULL itself.
 *
 * The front end (sim/) reads input of any size from the user and may
 * report a host allocation that failed as an error of that input.
 */

#ifndef _MACHINE_HOSTMEM_H_
#define _MACHINE_HOSTMEM_H_

#include <stddef.h>

/* size bytes; never NULL (panics if the host has none) */
void *hostmem_alloc(size_t size);
/* n objects of size bytes, zeroed; never NULL (nor on n * size overflow) */
void *hostmem_zalloc(size_t n, size_t size);
/* p resized to size bytes (p NULL: a new block); never NULL */
void *hostmem_realloc(void *p, size_t size);

#endif /* _MACHINE_HOSTMEM_H_ */
