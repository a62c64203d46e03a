/*
 * uvm_init.c: bringing the VM system up and down.
 */

#include <string.h>

#include "uvm/uvm.h"

struct uvm uvm;
struct uvmexp uvmexp;

/*
 * uvm_init: start the VM system on the booted machine.
 *
 * => physical memory and the pmap must be up (machine_boot).
 */
void
uvm_init(void)
{
	memset(&uvmexp, 0, sizeof(uvmexp));
	uvm.pagedaemon_proc = NULL;
	uvm_pdaemon_fini();
	uvm_pdaemon_init();
	uvmpdpol_init();
	uvm_page_init();
	uvm_km_init();
	uvm_meter_init();
	uvm_swap_init();
}

/*
 * uvm_fini: release everything the VM system holds (machine shutdown).
 *
 * => the kernel pmap is torn down here, while the vm_pages its managed
 *    mappings refer to still exist; every user pmap must be gone.
 */
void
uvm_fini(void)
{
	KASSERTMSG(uvmexp.nvmspace == 0, "%s: %d address spaces still exist",
	    __func__, uvmexp.nvmspace);
	uvm.pagedaemon_proc = NULL;
	uvm_pdaemon_fini();
	uvn_fini();
	uvm_glue_fini();
	uvm_km_fini();
	pmap_shutdown();
	uvm_page_fini();
	uvm_swap_fini();
	memset(&uvmexp, 0, sizeof(uvmexp));
}

/*
 * uvm_check_all: run every consistency checker of the VM system and the
 * MMU below it.
 *
 * => returns the number of inconsistencies found; the first is described
 *    in kc.
 */
int
uvm_check_all(struct kcheck *kc, bool deep)
{
	return uvm_page_check(kc, deep) + pmap_check(kc) +
	    uvm_map_check_all(kc) + uao_check(kc) + uvm_swap_check(kc) +
	    uvn_check(kc);
}
