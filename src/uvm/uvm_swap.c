/*
 * uvm_swap.c: swap space accounting.
 *
 * uvmexp counts swap in pages: swpages configured, swpginuse slots
 * holding data, swpgonly pages whose only copy is in swap.  No swap is
 * configured until the swap pager attaches the swap disk.
 */

#include "uvm/uvm.h"
#include "uvm/uvm_swap.h"

/*
 * uvm_swapisfull: is there no swap left to page anonymous memory out to?
 *
 * => when it is full (or there is none), waiting for the page daemon
 *    cannot free memory that only swap could take, so an allocation
 *    failure in a fault is final (ENOMEM).
 */
bool
uvm_swapisfull(void)
{
	return uvmexp.swpgonly >= uvmexp.swpages;
}
