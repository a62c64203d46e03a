/*
 * uvm_pdaemon.h: the page daemon's interface inside the VM system.
 */

#ifndef _UVM_UVM_PDAEMON_H_
#define _UVM_UVM_PDAEMON_H_

void uvmpd_tune(void);
void uvm_wait(const char *);
void uvm_kick_pdaemon(void);
void uvm_wait_memfreed(void);
void uvm_pdaemon_init(void);
void uvm_pdaemon_fini(void);

struct vm_page;
bool uvmpd_pageable(const struct vm_page *);

#endif /* _UVM_UVM_PDAEMON_H_ */
