/*
 * uvm_device.h: device memory objects (the device pager).
 */

#ifndef _UVM_UVM_DEVICE_H_
#define _UVM_UVM_DEVICE_H_

#include "uvm/uvm_object.h"

struct uvm_object *udv_attach(const char *name, int npages);

#endif /* _UVM_UVM_DEVICE_H_ */
