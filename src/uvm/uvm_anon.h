/*
 * uvm_anon.h: an anon, one page of anonymous memory.
 *
 * An anon is the upper-layer unit of copy-on-write: a page of anonymous
 * memory that one or more amaps share (an_ref of them).  Its data is in
 * an_page when resident and in swap slot an_swslot when paged out (both
 * may be valid: a clean page with a copy in swap).
 */

#ifndef _UVM_UVM_ANON_H_
#define _UVM_UVM_ANON_H_

struct vm_page;

struct vm_anon {
	int an_ref;		 /* amap slots that point here */
	struct vm_page *an_page; /* resident page, or NULL */
	int an_swslot;		 /* swap slot, or 0 for none */
};

#endif /* _UVM_UVM_ANON_H_ */
