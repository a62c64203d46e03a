/*
 * uvm_pdaemon.h: the page daemon's interface inside the VM system.
 */

#ifndef _UVM_UVM_PDAEMON_H_
#define _UVM_UVM_PDAEMON_H_

void uvmpd_tune(void);
void uvm_wait(const char *);
void uvm_kick_pdaemon(void);
void uvm_wait_memfreed(void);

#endif /* _UVM_UVM_PDAEMON_H_ */
