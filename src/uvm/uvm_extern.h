/*
 * uvm_extern.h: the VM system's interface to the rest of the program.
 *
 * This is the only VM header that code outside src/uvm includes.  It
 * brings the pmap interface and the page type with it, as NetBSD's does.
 */

#ifndef _UVM_UVM_EXTERN_H_
#define _UVM_UVM_EXTERN_H_

#include "machine/failpoint.h"
#include "machine/kassert.h"
#include "machine/pmap.h"
#include "machine/trace.h"
#include "machine/vmparam.h"
#include "uvm/uvm_fault.h"
#include "uvm/uvm_map.h"
#include "uvm/uvm_object.h"
#include "uvm/uvm_page.h"

/*
 * uvmexp: the VM system's counters and tunables, in the manner of
 * NetBSD's (vmstat -s prints them).
 */
struct uvmexp {
	/* page size, fixed at boot */
	unsigned int pagesize;
	unsigned int pagemask;
	unsigned int pageshift;

	/* pages, by state */
	int npages;    /* managed pages */
	int free;      /* on the free lists */
	int active;    /* on the active queue */
	int inactive;  /* on the inactive queue */
	int paging;    /* being paged in or out */
	int wired;     /* wired (wire_count > 0) */
	int zeropages; /* free and known to be zero */

	/* reserves and targets (uvmpd_tune) */
	int reserve_pagedaemon; /* free pages only the daemon may take */
	int reserve_kernel;	/* free pages only the kernel may take */
	int freemin;		/* below this the daemon wakes */
	int freetarg;		/* the daemon frees up to this */
	int inactarg;		/* the inactive queue's target size */
	int wiredmax;		/* most pages that may be wired */

	/* page allocation */
	uint64_t pga_alloc;    /* pages allocated */
	uint64_t pga_free;     /* pages freed */
	uint64_t pga_fail;     /* allocations refused */
	uint64_t pga_zerohit;  /* zero-fill served by a known-zero page */
	uint64_t pga_zeromiss; /* zero-fill that had to zero a page */
	uint64_t pga_idlezero; /* pages zeroed by the idle loop */

	/* swap, in pages */
	int swpages;   /* configured */
	int swpginuse; /* slots in use */
	int swpgonly;  /* pages that live only in swap */

	/* VM objects in existence */
	int nanon;		 /* anons */
	int namap;		 /* amaps */
	int nmapent;		 /* map entries */
	int nvmspace;		 /* address spaces */
	int naobj;		 /* anonymous objects */
	uint64_t map_merges;	 /* uvm_map calls that extended an entry */
	uint64_t map_copymerges; /* needs-copy entries merged (amap_copy) */
	uint64_t pdwait;	 /* uvm_wait calls */

	/* the fault handler, by case (see uvm_fault.c) */
	uint64_t faults;     /* calls of uvm_fault */
	uint64_t flt_anon;   /* 1A: anon page mapped */
	uint64_t flt_acow;   /* 1B: anon page copied on write */
	uint64_t flt_obj;    /* 2A: object page mapped */
	uint64_t flt_prcopy; /* 2B: object page copied into an anon */
	uint64_t flt_przero; /* 2B: zero-fill page made in an anon */
	uint64_t flt_amcopy; /* needs-copy resolved (amap_copy) */
	uint64_t flt_noram;  /* out of pages: waited and retried */
	uint64_t flt_noanon; /* out of anons: waited and retried */
	uint64_t flt_noamap; /* out of amaps: waited and retried */
	uint64_t flt_pgwait; /* page busy: waited and retried */
	uint64_t flt_anget;  /* anon pages brought in from swap */
	uint64_t flt_get;    /* object pages got through the pager */
	uint64_t flt_lget;   /* object pages got without waiting */
	uint64_t flt_wired;  /* pages wired by a fault */
	uint64_t flt_namap;  /* neighbouring anon pages mapped */
	uint64_t flt_nomap;  /* neighbouring object pages mapped */
	uint64_t cow_now;    /* pages copied by amap_cow_now */

	/* process swapping (uvm_glue.c) */
	uint64_t swapins;  /* processes swapped in */
	uint64_t swapouts; /* processes swapped out */
	uint64_t pdwoke;   /* pagedaemon wakeups */

	/* the pagedaemon's scan (uvm_pdaemon.c) */
	uint64_t pdscans;    /* inactive pages looked at */
	uint64_t pdreact;    /* referenced: reactivated */
	uint64_t pddeact;    /* moved from active to inactive */
	uint64_t pdfreed;    /* pages freed */
	uint64_t pdpageouts; /* swap writes started */
	uint64_t pdpgout;    /* pages written to swap */
	uint64_t pdswfull;   /* dirty pages kept: no swap slot */
};

extern struct uvmexp uvmexp;

/* swap I/O (uvm_swap.c) */
struct swap_counters {
	uint64_t reads;	   /* read requests */
	uint64_t writes;   /* write requests */
	uint64_t pgreads;  /* pages read */
	uint64_t pgwrites; /* pages written */
	uint64_t rderrors; /* reads that failed */
	uint64_t wrerrors; /* writes that failed */
	uint64_t badslots; /* slots retired after an error */
};
extern struct swap_counters swapcounters;

/* file I/O (uvm_vnode.c) */
struct uvn_counters {
	uint64_t reads;	    /* read requests */
	uint64_t pgreads;   /* pages read */
	uint64_t readahead; /* of which read ahead */
	uint64_t writes;    /* write requests */
	uint64_t pgwrites;  /* pages written back */
	uint64_t rderrors;  /* pages that could not be read */
	uint64_t wrerrors;  /* pages that could not be written back */
};
extern struct uvn_counters uvncounters;

/* kernel memory (uvm_km.c) */
extern struct vm_map *kernel_map;
extern struct uvm_object *uvm_kernel_object;
vaddr_t uvm_km_valloc(struct vm_map *, vsize_t);
vaddr_t uvm_km_valloc_align(struct vm_map *, vsize_t, vsize_t);
vaddr_t uvm_km_alloc(struct vm_map *, vsize_t);
void uvm_km_free(struct vm_map *, vaddr_t, vsize_t);

/* the access path (uvm_io.c) */
struct uvm_access_fault {
	vaddr_t uaf_va;	      /* the address that faulted */
	vm_prot_t uaf_access; /* what the access wanted */
	int uaf_error;	      /* the fault handler's error */
	int uaf_signo;	      /* the signal it becomes */
	int uaf_code;	      /* and its si_code */
};
int
uvm_load(struct vmspace *, vaddr_t, void *, size_t, struct uvm_access_fault *);
int uvm_store(struct vmspace *, vaddr_t, const void *, size_t,
    struct uvm_access_fault *);
int uvm_fill(struct vmspace *, vaddr_t, int, size_t, struct uvm_access_fault *);
int uvm_copyin(struct vmspace *, vaddr_t, void *, size_t);
int uvm_copyout(struct vmspace *, const void *, vaddr_t, size_t);
int uvm_kio(vaddr_t, void *, size_t, bool write);
int uvm_fault_signal(int error, int *codep);

/* the glue (uvm_glue.c): the kernel's entry points into the VM system */
struct proc;
struct uvm_coredump_state {
	void *cookie;  /* the writer's */
	vaddr_t start; /* the segment */
	vaddr_t end;
	vm_prot_t prot; /* its protection */
	int flags;	/* UVM_COREDUMP_* */
};
#define UVM_COREDUMP_STACK  0x01 /* the stack segment */
#define UVM_COREDUMP_NODUMP 0x02 /* describe it, but not its contents */

extern int readbuffers;
extern int uvm_kgdb;
bool uvm_kernacc(vaddr_t, size_t, int rw);
bool uvm_useracc(vaddr_t, size_t, int rw);
void uvm_chgkprot(vaddr_t, size_t, int rw);
int uvm_vslock(struct proc *, vaddr_t, size_t, vm_prot_t);
void uvm_vsunlock(struct proc *, vaddr_t, size_t);
int uvm_fork(struct proc *, struct proc *, bool shared, void *stack,
    size_t stacksize, void (*func)(void *), void *arg);
void uvm_exit(struct proc *);
vaddr_t uvm_uarea_alloc(void);
void uvm_uarea_free(vaddr_t);
int uvm_uarea_cached(void);
void uvm_uarea_drain(void);
void uvm_init_limits(struct proc *);
void uvm_swapin(struct proc *);
__dead void uvm_scheduler(void);
void uvm_swapout_threads(void);
int uvm_coredump_walkmap(struct proc *,
    int (*func)(struct proc *, struct uvm_coredump_state *), void *cookie);
void uvmspace_share(struct proc *, struct proc *);
void uvm_grow(struct proc *, vaddr_t);

/*
 * the VM system calls (uvm_mmap.c).  Their flag values are NetBSD's; the
 * mmap, madvise and mlockall flags are spelled MMAP_, MADVISE_ and
 * MLOCKALL_ so that they can never be confused with the host's MAP_,
 * MADV_ and MCL_ (Linux gives MAP_ANON and MADV_FREE other values).
 * Protections are VM_PROT_* (NetBSD's PROT_* have the same values) and
 * inheritances MAP_INHERIT_*.
 */
#define MMAP_SHARED		      0x0001 /* writes reach the object, seen by all */
#define MMAP_PRIVATE		      0x0002 /* writes are copied (copy-on-write) */
#define MMAP_FIXED		      0x0010 /* exactly at addr, replacing what is there */
#define MMAP_WIRED		      0x0800 /* wire the pages now (mlock) */
#define MMAP_ANON		      0x1000 /* zero-fill memory, no object */
#define MMAP_ALIGNED(n)		      ((int)(n) << 24) /* at a 2^n-byte boundary */
#define MMAP_ALIGN_SHIFT	      24
#define MMAP_ALIGN_MASK		      0x7f000000 /* n up to 127 */
/* NetBSD's PROT_MPROTECT: mmap's prot may carry the maximum protection */
#define MMAP_PROT_MPROTECT(p)	      ((p) << 3)
#define MMAP_PROT_MPROTECT_EXTRACT(p) (((p) >> 3) & VM_PROT_ALL)
#define MMAP_FLAGS                                                          \
	(MMAP_SHARED | MMAP_PRIVATE | MMAP_FIXED | MMAP_WIRED | MMAP_ANON | \
	    MMAP_ALIGN_MASK)

#define MADVISE_NORMAL	   0 /* no particular order */
#define MADVISE_RANDOM	   1 /* no fault-ahead */
#define MADVISE_SEQUENTIAL 2 /* fault ahead, free behind */
#define MADVISE_WILLNEED   3 /* bring the pages in now */
#define MADVISE_DONTNEED   4 /* page these out first */
#define MADVISE_FREE	   6 /* throw the anonymous contents away */

#define MLOCKALL_CURRENT 0x01 /* wire everything mapped now */
#define MLOCKALL_FUTURE	 0x02 /* and everything mapped from now on */

int sys_mmap(struct proc *, vaddr_t addr, vsize_t len, vm_prot_t prot,
    int flags, int fd, voff_t pos, vaddr_t *retval);
int sys_munmap(struct proc *, vaddr_t addr, vsize_t len);
int sys_mprotect(struct proc *, vaddr_t addr, vsize_t len, vm_prot_t prot);
int sys_minherit(struct proc *, vaddr_t addr, vsize_t len, int inherit);
int sys_madvise(struct proc *, vaddr_t addr, vsize_t len, int advice);
int sys_obreak(struct proc *, vaddr_t nsize);
int sys_mlock(struct proc *, vaddr_t addr, size_t len);
int sys_munlock(struct proc *, vaddr_t addr, size_t len);
int sys_mlockall(struct proc *, int flags);
int sys_munlockall(struct proc *);
int sys_mincore(struct proc *, vaddr_t addr, vsize_t len, char *vec);
/* msync flags: NetBSD's values, which the host's <sys/mman.h> shares */
#ifndef MS_ASYNC
#define MS_ASYNC      0x01 /* start the writes (done at once here) */
#define MS_INVALIDATE 0x02 /* and drop the cached pages */
#define MS_SYNC	      0x04 /* wait for the writes */
#endif
int sys_msync(struct proc *, vaddr_t addr, size_t len, int flags);

/* file-backed memory (uvm_vnode.c) */
int uvn_init(const char *dir);
int uvn_attach(const char *name, bool create, struct uvm_object **);
void uvn_detach(struct uvm_object *);
int uvn_truncate(struct uvm_object *, voff_t size);
voff_t uvn_size(struct uvm_object *);
int uvn_flush(struct uvm_object *);
const char *uvn_name(struct uvm_object *);

/* anonymous objects (uvm_aobj.c): the swap slot of a page, or 0 */
int uao_find_swslot(struct uvm_object *, voff_t);

/*
 * what an anon holds (uvm_anon.c), for reports that look and change
 * nothing: the amap slots pointing at it, its resident page or NULL,
 * its swap slot or 0
 */
int uvm_anon_refs(const struct vm_anon *);
struct vm_page *uvm_anon_page(const struct vm_anon *);
int uvm_anon_swslot(const struct vm_anon *);

/*
 * the unified buffer cache (uvm_bio.c): read and write move bytes
 * between a user buffer and a file's pages, the pages its mappings use
 */
#define UBC_READ      0x01 /* the window is read from */
#define UBC_WRITE     0x02 /* the window is written to */
/* with UBC_WRITE: every byte of the page inside the file is written */
#define UBC_OVERWRITE 0x04
struct ubc_window {
	struct vm_page *uw_pg; /* the page, busy while the window is open */
	uint8_t *uw_va;	       /* where the window's bytes are */
	vsize_t uw_len;	       /* how many */
};
int ubc_alloc(struct uvm_object *, voff_t off, vsize_t *lenp, int flags,
    struct ubc_window *);
void ubc_release(struct ubc_window *, int flags);
int ubc_uiomove(struct uvm_object *, struct vmspace *, vaddr_t uaddr,
    voff_t off, size_t len, int flags, size_t *donep);

/* the pagedaemon and waiting for memory (uvm_pdaemon.c) */
__dead void uvm_pageout(void *);
void uvm_wait(const char *wmsg);

/* replacement policies (uvm_pdpolicy.c) */
int uvmpdpol_select(const char *name);
const char *uvmpdpol_check(const char *name);
/* opt's oracle, installed by whoever knows the future (uvm_pdpolicy.h) */
#define UVMPDPOL_NEVER (~(uint64_t)0)
typedef uint64_t (
    *uvmpdpol_oracle_t)(const struct vm_page *pg, vaddr_t va, void *arg);
void uvmpdpol_set_oracle(uvmpdpol_oracle_t, void *);

/* counters over time (uvm_meter.c) */
void uvm_meter(void);
unsigned int uvm_loadavg(int which);

void uvm_init(void);
void uvm_fini(void);
int uvm_check_all(struct kcheck *, bool deep);

#endif /* _UVM_UVM_EXTERN_H_ */
