/*
 * uvm_device.c: device memory -- objects whose pages belong to a device
 * (a frame buffer, a DMA window) rather than to the VM system.
 *
 * A device's memory is carved out of physical memory when the device is
 * attached: npages pages, zeroed, wired for the device's lifetime and
 * owned by its object.  Mapping the object (shared) maps those very
 * pages; faults find them resident (case 2A) and no pageout ever takes
 * them.  Core dumps leave device memory out (uvm_coredump_walkmap).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "machine/hostmem.h"
#include "uvm/uvm.h"
#include "uvm/uvm_device.h"

struct uvm_device {
	struct uvm_object u_obj; /* must be first */
	int u_npages;		 /* the device's memory, in pages */
	char u_name[16];
};

static void udv_reference(struct uvm_object *);
static void udv_detach(struct uvm_object *);
static int udv_get(struct uvm_object *, voff_t, struct vm_page **, int *, int,
    vm_prot_t, int, int);
static int udv_put(struct uvm_object *, voff_t, voff_t, int);

const struct uvm_pagerops uvm_deviceops = {
	.pgo_name = "device",
	.pgo_reference = udv_reference,
	.pgo_detach = udv_detach,
	.pgo_get = udv_get,
	.pgo_put = udv_put,
};

static void
udv_free(struct uvm_device *udv)
{
	struct vm_page *pg;

	while ((pg = PGLIST_FIRST(&udv->u_obj.memq)) != NULL) {
		pmap_page_protect(pg, VM_PROT_NONE);
		uvm_pageunwire(pg);
		uvm_pagefree(pg);
	}
	free(udv);
}

/*
 * udv_attach: a device named `name' with npages pages of memory.
 *
 * => returns its object with one reference, or NULL if physical memory
 *    could not be had (nothing is kept then).
 */
struct uvm_object *
udv_attach(const char *name, int npages)
{
	struct uvm_device *udv;
	struct vm_page *pg;
	int i;

	KASSERT(npages > 0);
	udv = hostmem_zalloc(1, sizeof(*udv));
	uvm_obj_init(&udv->u_obj, &uvm_deviceops, 1);
	udv->u_npages = npages;
	snprintf(udv->u_name, sizeof(udv->u_name), "%s", name);
	for (i = 0; i < npages; i++) {
		pg = uvm_pagealloc(&udv->u_obj, (voff_t)ptoa(i), NULL,
		    UVM_PGA_ZERO | UVM_PGA_USERESERVE);
		if (pg == NULL) {
			udv_free(udv);
			return NULL;
		}
		pg->flags &= ~(PG_BUSY | PG_FAKE | PG_CLEAN);
		uvm_pagewire(pg);
	}
	return &udv->u_obj;
}

static void
udv_reference(struct uvm_object *uobj)
{
	KASSERT(uobj->uo_refs > 0);
	uobj->uo_refs++;
}

/* the last reference detaches the device and gives its memory back */
static void
udv_detach(struct uvm_object *uobj)
{
	KASSERT(uobj->uo_refs > 0);
	if (--uobj->uo_refs == 0)
		udv_free((struct uvm_device *)uobj);
}

/*
 * udv_get: every page of a device is resident, so locked and unlocked
 * gets are alike, but for the busy bit an unlocked get hands back.
 *
 * => an offset past the device is EINVAL (SIGBUS for a program).
 */
static int
udv_get(struct uvm_object *uobj, voff_t offset, struct vm_page **pps,
    int *npagesp, int centeridx, vm_prot_t access __unused, int advice __unused,
    int flags)
{
	struct uvm_device *udv = (struct uvm_device *)uobj;
	struct vm_page *pg;
	voff_t off;
	int i;

	for (i = 0; i < *npagesp; i++) {
		if (i != centeridx && !(flags & (PGO_LOCKED | PGO_ALLPAGES)))
			continue;
		if ((flags & PGO_LOCKED) && pps[i] != NULL)
			continue;
		off = offset + (voff_t)ptoa(i);
		if (off < 0 || off >= (voff_t)ptoa(udv->u_npages)) {
			if (i == centeridx)
				return EINVAL;
			continue;
		}
		pg = uvm_pagelookup(uobj, off);
		KASSERT(pg != NULL && pg->wire_count > 0);
		if (!(flags & PGO_LOCKED))
			pg->flags |= PG_BUSY;
		pps[i] = pg;
	}
	return 0;
}

/* device memory is never cleaned, freed or deactivated by a put */
static int
udv_put(struct uvm_object *uobj __unused, voff_t start __unused,
    voff_t end __unused, int flags __unused)
{
	return 0;
}
