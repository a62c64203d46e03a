/*
 * types.h: the basic types of the simulated machine and its VM system.
 */

#ifndef _MACHINE_TYPES_H_
#define _MACHINE_TYPES_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t vaddr_t; /* virtual address */
typedef uint64_t paddr_t; /* physical address */
typedef uint64_t vsize_t; /* size of a virtual range */
typedef uint64_t psize_t; /* size of a physical range */
typedef int64_t voff_t;	  /* offset inside a memory object */
typedef int vm_prot_t;	  /* protection or access type */
typedef bool boolean_t;
typedef uint64_t simtime_t; /* simulated time, in microseconds */

#ifndef TRUE
#define TRUE  true
#define FALSE false
#endif

/*
 * protections; also used as access types ("what did the access want").
 */
#define VM_PROT_NONE	0x00
#define VM_PROT_READ	0x01
#define VM_PROT_WRITE	0x02
#define VM_PROT_EXECUTE 0x04
#define VM_PROT_ALL	(VM_PROT_READ | VM_PROT_WRITE | VM_PROT_EXECUTE)

#define __predict_true(e)  __builtin_expect((e) != 0, 1)
#define __predict_false(e) __builtin_expect((e) != 0, 0)
#define __unused	   __attribute__((__unused__))
#define __printflike(f, a) __attribute__((__format__(__printf__, f, a)))
#define __dead		   __attribute__((__noreturn__))

/* the number of elements of array a */
#define __arraycount(a) (sizeof(a) / sizeof((a)[0]))

#ifndef MIN
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#endif

#define howmany(x, y) (((x) + ((y)-1)) / (y))
#define roundup(x, y) ((((x) + ((y)-1)) / (y)) * (y))
#define powerof2(x)   ((((x)-1) & (x)) == 0)

#endif /* _MACHINE_TYPES_H_ */
