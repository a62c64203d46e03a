/*
 * cpu.h: the simulated CPU -- threads of execution, the context switch,
 * and the machine-dependent halves of fork and swapping.
 *
 * Every simulated thread runs on a host stack of its own, as a
 * coroutine.  The CPU runs one thread at a time and switches only when
 * the kernel asks it to (cpu_switch), so everything between two switches
 * is atomic, as on a uniprocessor kernel with interrupts off.
 *
 * The machine state of a switched-out thread lives in its pcb, and the
 * pcb lives in the thread's u-area, in simulated kernel memory.  While a
 * process is swapped out its u-area may be paged out with everything in
 * it, so cpu_swapout saves there what must survive -- the live part of
 * the thread's host stack, with a checksum -- and then scribbles over the
 * host copy; cpu_swapin brings it back and verifies it.  A VM that lost a
 * byte of a u-area would panic there, not run on with a corrupt stack.
 *
 *	u-area (USPACE bytes of kernel virtual memory):
 *	+----------+-------------------------------------------------+
 *	| pcb ...  | kernel stack area: magic-filled at fork (kstack  |
 *	| (struct  | check); the saved host stack goes at the top end |
 *	|  user)   | while the process is swapped out                 |
 *	+----------+-------------------------------------------------+
 *	0          kstack_off                                  USPACE
 *
 * Two switch methods: a hand-written one (x86-64 only: callee-saved
 * registers pushed on the thread's stack, the stack pointer kept in the
 * pcb) and ucontext(3), which saves more and calls the host kernel for
 * the signal mask.  machine_config chooses; `make bench' compares them.
 *
 * The machine layer knows nothing of processes: where NetBSD's MD
 * functions take a struct proc, these take the two things of it they
 * use, the thread's MD part (struct cpu_thread) and its u-area.
 */

#ifndef _MACHINE_CPU_H_
#define _MACHINE_CPU_H_

#include <ucontext.h>

#include "machine/types.h"

#define PCB_MAGIC 0x7063622d75766d31ULL /* "pcb-uvm1" */

struct pcb {
	uint64_t pcb_magic;  /* PCB_MAGIC: this u-area holds a pcb */
	uint64_t pcb_sp;     /* host stack pointer while switched out */
	uint64_t pcb_ustack; /* the user stack given to cpu_fork */
	uint64_t pcb_ustacksize;
	uint64_t pcb_stacklen; /* stack bytes saved in the u-area, or 0 */
	uint64_t pcb_stacksum; /* their checksum */
	uint64_t pcb_nswitch;  /* times switched out */
	uint64_t pcb_nswapout; /* times swapped out */
};

enum cpu_switch_method {
	CPU_SWITCH_ASM,	     /* hand-written (x86-64) */
	CPU_SWITCH_UCONTEXT, /* swapcontext(3) */
};

/*
 * struct cpu_thread: the host side of a thread -- its stack and what the
 * host's tools must be told about it.  The idle thread (the host context
 * that runs the kernel's idle loop) has no stack of its own.
 */
struct cpu_thread {
	void *ct_map;		 /* host mapping: guard page, then stack */
	size_t ct_mapsize;	 /* its size */
	uint8_t *ct_stack;	 /* lowest usable byte of the stack */
	size_t ct_stacksize;	 /* usable bytes */
	void (*ct_func)(void *); /* entry point */
	void *ct_arg;		 /* and its argument */
	ucontext_t ct_uc;	 /* saved state (ucontext method) */
	uint64_t ct_sp;		 /* saved stack pointer (swapout) */
	bool ct_swapped;	 /* the live stack is in the u-area */
	bool ct_dead;		 /* switched away for the last time */
	/* AddressSanitizer and valgrind bookkeeping */
	void *ct_fake_stack;
	const void *ct_asan_bottom;
	size_t ct_asan_size;
	unsigned int ct_vgid;
};

#define CPU_STACKSIZE_DEFAULT (256 * 1024)

struct cpu_counters {
	uint64_t switches;  /* context switches */
	uint64_t swapouts;  /* stacks saved to a u-area */
	uint64_t swapins;   /* stacks restored from a u-area */
	uint64_t maxstack;  /* deepest stack saved, bytes */
	uint64_t stackcopy; /* bytes copied by swapouts and swapins */
};
extern struct cpu_counters cpucounters;

void cpu_init(enum cpu_switch_method, size_t stacksize);
enum cpu_switch_method cpu_switch_method(void);
const char *cpu_switch_method_name(enum cpu_switch_method);
bool cpu_switch_method_available(enum cpu_switch_method);
struct cpu_thread *cpu_idle_thread(void);
void cpu_escape_begin(void);
void cpu_escape_end(void);

void cpu_fork(struct cpu_thread *, vaddr_t uarea, void *ustack,
    size_t ustacksize, void (*func)(void *), void *arg);
void cpu_thread_free(struct cpu_thread *);
void cpu_switch(struct cpu_thread *from, struct pcb *frompcb,
    struct cpu_thread *to, struct pcb *topcb);
__dead void cpu_switch_exit(struct cpu_thread *from, struct cpu_thread *to,
    struct pcb *topcb);

struct pcb *cpu_pcb(vaddr_t uarea);
void cpu_swapout(struct cpu_thread *, vaddr_t uarea, vsize_t uspace,
    vsize_t kstack_off);
void cpu_swapin(struct cpu_thread *, vaddr_t uarea, vsize_t uspace,
    vsize_t kstack_off);

void cpu_kstack_setup_magic(vaddr_t uarea, vsize_t uspace, vsize_t kstack_off);
vsize_t
cpu_kstack_check_magic(vaddr_t uarea, vsize_t uspace, vsize_t kstack_off);

#endif /* _MACHINE_CPU_H_ */
