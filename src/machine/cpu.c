/*
 * cpu.c: the simulated CPU -- coroutine threads, the context switch, and
 * the machine-dependent parts of fork and swapping (see cpu.h).
 */

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "machine/cpu.h"
#include "machine/kassert.h"
#include "machine/physmem.h"
#include "machine/pmap.h"

#if defined(__SANITIZE_ADDRESS__)
#define CPU_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CPU_ASAN 1
#endif
#endif

#ifdef CPU_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/memcheck.h>
#include <valgrind/valgrind.h>
#define CPU_VALGRIND 1
#endif
#endif

#if defined(__x86_64__)
#define CPU_HAVE_ASM 1
#elif !defined(__aarch64__)
#error "cpu.c: port the stack pointer lookup to this architecture"
#endif

#define CPU_SCRIBBLE 0xdeadbeefdeadbeefULL /* a swapped-out host stack */
#define KSTACK_MAGIC 0x6b737461636b2121ULL /* "kstack!!" */

struct cpu_counters cpucounters;

static enum cpu_switch_method cpu_method;
static size_t cpu_stacksize = CPU_STACKSIZE_DEFAULT;
static struct cpu_thread cpu_idle;  /* the host context */
static struct cpu_thread *cpu_cur;  /* the running thread */
static struct cpu_thread *cpu_prev; /* the one it switched from */
static uint64_t cpu_exit_scratch;   /* a dying thread's last sp goes here */

/*
 * The hand-written switch.  cpu_switch_asm(save, sp) pushes the
 * callee-saved registers and the SSE/x87 control words on the current
 * stack, stores the stack pointer in *save, loads sp and pops the same
 * from there.  A new thread's stack is built to look like one that
 * switched out just before calling cpu_thread_trampoline, which passes
 * r12 (the cpu_thread) to cpu_thread_start.
 */
#ifdef CPU_HAVE_ASM
void cpu_switch_asm(uint64_t *save, uint64_t sp);
void cpu_thread_trampoline(void);
__asm__(".pushsection .text\n"
	".globl cpu_switch_asm\n"
	".type cpu_switch_asm, @function\n"
	"cpu_switch_asm:\n"
	"	pushq %rbp\n"
	"	pushq %rbx\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	subq $8, %rsp\n"
	"	stmxcsr (%rsp)\n"
	"	fnstcw 4(%rsp)\n"
	"	movq %rsp, (%rdi)\n"
	"	movq %rsi, %rsp\n"
	"	ldmxcsr (%rsp)\n"
	"	fldcw 4(%rsp)\n"
	"	addq $8, %rsp\n"
	"	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbx\n"
	"	popq %rbp\n"
	"	ret\n"
	".size cpu_switch_asm, .-cpu_switch_asm\n"
	".globl cpu_thread_trampoline\n"
	".type cpu_thread_trampoline, @function\n"
	"cpu_thread_trampoline:\n"
	"	movq %r12, %rdi\n"
	"	call cpu_thread_start\n"
	"	ud2\n"
	".size cpu_thread_trampoline, .-cpu_thread_trampoline\n"
	".popsection\n");
#endif

__dead void cpu_thread_start(struct cpu_thread *);

bool
cpu_switch_method_available(enum cpu_switch_method m)
{
#ifdef CPU_HAVE_ASM
	return m == CPU_SWITCH_ASM || m == CPU_SWITCH_UCONTEXT;
#else
	return m == CPU_SWITCH_UCONTEXT;
#endif
}

const char *
cpu_switch_method_name(enum cpu_switch_method m)
{
	return m == CPU_SWITCH_ASM ? "asm" : "ucontext";
}

/*
 * cpu_init: reset the CPU: the host context becomes the idle thread and
 * the running one; new threads get stacks of stacksize bytes (0: the
 * default) and switch by method m.
 */
void
cpu_init(enum cpu_switch_method m, size_t stacksize)
{
	KASSERTMSG(cpu_switch_method_available(m),
	    "%s: switch method %s is not available here", __func__,
	    cpu_switch_method_name(m));
	cpu_method = m;
	cpu_stacksize = stacksize != 0 ? stacksize : CPU_STACKSIZE_DEFAULT;
	memset(&cpu_idle, 0, sizeof(cpu_idle));
	cpu_cur = &cpu_idle;
	cpu_prev = NULL;
	memset(&cpucounters, 0, sizeof(cpucounters));
}

enum cpu_switch_method
cpu_switch_method(void)
{
	return cpu_method;
}

struct cpu_thread *
cpu_idle_thread(void)
{
	return &cpu_idle;
}

/*
 * cpu_escape_begin / cpu_escape_end: the running thread is about to be
 * left for the host context by a longjmp (a debugger or a test catching
 * a panic), and the host context has been reached.  AddressSanitizer is
 * told of the change of stack, as at a switch, so that it checks the
 * host's stack again (and LeakSanitizer scans it).  The thread left is
 * never resumed: the machine is in an undefined state afterwards.
 */
static bool cpu_escaping; /* a thread is being left by a longjmp */

void
cpu_escape_begin(void)
{
	/* from the host context (or before cpu_init) nothing changes */
	cpu_escaping = cpu_cur != NULL && cpu_cur != &cpu_idle;
#ifdef CPU_ASAN
	if (cpu_escaping)
		__sanitizer_start_switch_fiber(NULL, cpu_idle.ct_asan_bottom,
		    cpu_idle.ct_asan_size);
#endif
}

void
cpu_escape_end(void)
{
	if (!cpu_escaping)
		return;
#ifdef CPU_ASAN
	__sanitizer_finish_switch_fiber(NULL, NULL, NULL);
#endif
	cpu_escaping = false;
	cpu_cur = &cpu_idle;
}

/*
 * cpu_kva: the host address behind kernel virtual address va, reached
 * through the kernel pmap as the CPU would reach it.
 *
 * => a kernel access that faults is a panic: the MD code only touches
 *    u-areas that are wired.
 */
static void *
cpu_kva(vaddr_t va, vm_prot_t access)
{
	void *host;

	if (pmap_access(pmap_kernel(), va, access, &host) != 0)
		panic("%s: kernel fault at 0x%llx: u-area not resident",
		    __func__, (unsigned long long)va);
	return host;
}

/* the pcb at the start of the u-area at uarea (it never spans pages) */
struct pcb *
cpu_pcb(vaddr_t uarea)
{
	return cpu_kva(uarea, VM_PROT_READ | VM_PROT_WRITE);
}

/* the highest address of a thread's stack, aligned for a call */
static uint8_t *
cpu_stack_top(const struct cpu_thread *ct)
{
	return (uint8_t *)((uintptr_t)(ct->ct_stack + ct->ct_stacksize) &
	    ~(uintptr_t)15);
}

/*
 * Host stack bytes are copied without AddressSanitizer's checks: the
 * frames of a switched-out thread carry poisoned redzones, which the
 * copy must preserve, not trip over.  volatile keeps the compiler from
 * turning the loops into (checked) memcpy calls.
 */
__attribute__((no_sanitize_address)) static void
cpu_rawcopy(void *dst, const void *src, size_t n)
{
	volatile uint8_t *d = dst;
	const volatile uint8_t *s = src;

	while (n-- > 0)
		*d++ = *s++;
}

__attribute__((no_sanitize_address)) static void
cpu_rawscribble(void *dst, size_t n)
{
	volatile uint8_t *d = dst;
	size_t i;

	for (i = 0; i < n; i++)
		d[i] = (uint8_t)(CPU_SCRIBBLE >> (8 * (i & 7)));
}

/*
 * cpu_land: the first thing a thread does once switched to: tell
 * AddressSanitizer the switch is over, and note the stack it came from.
 */
static void
cpu_land(struct cpu_thread *self)
{
#ifdef CPU_ASAN
	const void *bottom;
	size_t size;

	__sanitizer_finish_switch_fiber(self->ct_fake_stack, &bottom, &size);
	if (cpu_prev != NULL && !cpu_prev->ct_dead) {
		cpu_prev->ct_asan_bottom = bottom;
		cpu_prev->ct_asan_size = size;
	}
#else
	(void)self;
#endif
}

/* a new thread's first instructions, on its own stack */
__dead void
cpu_thread_start(struct cpu_thread *ct)
{
	cpu_land(ct);
	ct->ct_func(ct->ct_arg);
	panic("%s: a thread's entry function returned", __func__);
}

static void
cpu_uc_start(unsigned int hi, unsigned int lo)
{
	cpu_thread_start(
	    (struct cpu_thread *)(((uintptr_t)hi << 32) | (uintptr_t)lo));
}

/*
 * cpu_fork: make ct a thread that will start at func(arg) the first time
 * it is switched to, with its pcb in the u-area at uarea.
 *
 * => the u-area must be wired; ustack/ustacksize are recorded in the pcb
 *    for the child's program (a new user stack, as for a kernel thread
 *    or a vfork child that asks for one).
 * => a host stack that cannot be had is a panic (the host is out of
 *    memory: nothing the simulated kernel could do about it).
 */
void
cpu_fork(struct cpu_thread *ct, vaddr_t uarea, void *ustack, size_t ustacksize,
    void (*func)(void *), void *arg)
{
	size_t guard = (size_t)sysconf(_SC_PAGESIZE);
	struct pcb *pcb = cpu_pcb(uarea);
	uint64_t *sp;

	memset(ct, 0, sizeof(*ct));
	ct->ct_mapsize = guard + roundup(cpu_stacksize, guard);
	ct->ct_map = mmap(NULL, ct->ct_mapsize, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ct->ct_map == MAP_FAILED)
		panic("%s: no host memory for a %zu-byte stack", __func__,
		    ct->ct_mapsize);
	/* the guard page turns a host stack overflow into a clean crash */
	(void)mprotect(ct->ct_map, guard, PROT_NONE);
	ct->ct_stack = (uint8_t *)ct->ct_map + guard;
	ct->ct_stacksize = ct->ct_mapsize - guard;
	ct->ct_func = func;
	ct->ct_arg = arg;
#ifdef CPU_VALGRIND
	ct->ct_vgid = VALGRIND_STACK_REGISTER(ct->ct_stack,
	    ct->ct_stack + ct->ct_stacksize);
#endif
#ifdef CPU_ASAN
	ct->ct_asan_bottom = ct->ct_stack;
	ct->ct_asan_size = ct->ct_stacksize;
#endif

	memset(pcb, 0, sizeof(*pcb));
	pcb->pcb_magic = PCB_MAGIC;
	pcb->pcb_ustack = (uint64_t)(uintptr_t)ustack;
	pcb->pcb_ustacksize = ustacksize;

	if (cpu_method == CPU_SWITCH_UCONTEXT) {
		if (getcontext(&ct->ct_uc) != 0)
			panic("%s: getcontext failed", __func__);
		ct->ct_uc.uc_stack.ss_sp = ct->ct_stack;
		ct->ct_uc.uc_stack.ss_size = ct->ct_stacksize;
		ct->ct_uc.uc_link = NULL;
		makecontext(&ct->ct_uc, (void (*)(void))cpu_uc_start, 2,
		    (unsigned int)((uintptr_t)ct >> 32),
		    (unsigned int)(uintptr_t)ct);
		return;
	}
#ifdef CPU_HAVE_ASM
	/* the frame cpu_switch_asm pops: control words, r15..rbp, return */
	sp = (uint64_t *)cpu_stack_top(ct) - 10;
	sp[0] = 0x037f00001f80ULL; /* fpcw 0x37f, mxcsr 0x1f80: defaults */
	sp[1] = 0;		   /* r15 */
	sp[2] = 0;		   /* r14 */
	sp[3] = 0;		   /* r13 */
	sp[4] = (uint64_t)(uintptr_t)ct; /* r12: the argument */
	sp[5] = 0;			 /* rbx */
	sp[6] = 0;			 /* rbp */
	sp[7] = (uint64_t)(uintptr_t)cpu_thread_trampoline;
	pcb->pcb_sp = (uint64_t)(uintptr_t)sp;
#else
	(void)sp;
#endif
}

/*
 * cpu_thread_free: give back a thread's host stack.
 *
 * => the thread must not be running; a dead thread's stack is freed by
 *    whoever reaps it (it cannot free the stack it runs on).
 */
void
cpu_thread_free(struct cpu_thread *ct)
{
	KASSERT(ct != cpu_cur && ct != &cpu_idle);
	if (ct->ct_map == NULL)
		return;
#ifdef CPU_VALGRIND
	VALGRIND_STACK_DEREGISTER(ct->ct_vgid);
#endif
#ifdef CPU_ASAN
	/* the frames' redzones must not outlive the stack in the shadow */
	ASAN_UNPOISON_MEMORY_REGION(ct->ct_stack, ct->ct_stacksize);
#endif
	munmap(ct->ct_map, ct->ct_mapsize);
	ct->ct_map = NULL;
}

/*
 * cpu_switch_check: `to' may be switched to (not running, not dead, its
 * stack at home, its pcb a pcb); count the switch and make it current.
 */
static void
cpu_switch_check(struct cpu_thread *to, struct pcb *topcb)
{
	KASSERTMSG(to != cpu_cur, "%s: switch to the running thread", __func__);
	KASSERTMSG(!to->ct_dead, "%s: switch to a dead thread", __func__);
	KASSERTMSG(!to->ct_swapped,
	    "%s: switch to a thread whose stack is swapped out", __func__);
	KASSERTMSG(topcb->pcb_magic == PCB_MAGIC, "%s: bad pcb magic %#llx",
	    __func__, (unsigned long long)topcb->pcb_magic);
	cpucounters.switches++;
	cpu_prev = cpu_cur;
	cpu_cur = to;
}

/*
 * cpu_switch: save the running thread `from' (its state into frompcb)
 * and resume `to' from topcb.  Returns when something switches back to
 * `from'.
 *
 * => both pcbs must be wired for the duration (the caller's u-areas are:
 *    only resident processes run).
 */
void
cpu_switch(struct cpu_thread *from, struct pcb *frompcb, struct cpu_thread *to,
    struct pcb *topcb)
{
	KASSERT(from == cpu_cur);
	cpu_switch_check(to, topcb);
	frompcb->pcb_nswitch++;
#ifdef CPU_ASAN
	__sanitizer_start_switch_fiber(&from->ct_fake_stack, to->ct_asan_bottom,
	    to->ct_asan_size);
#endif
	if (cpu_method == CPU_SWITCH_UCONTEXT) {
		if (swapcontext(&from->ct_uc, &to->ct_uc) != 0)
			panic("%s: swapcontext failed", __func__);
	} else {
#ifdef CPU_HAVE_ASM
		cpu_switch_asm(&frompcb->pcb_sp, topcb->pcb_sp);
#endif
	}
	cpu_land(from);
}

/*
 * cpu_switch_exit: leave the running thread for good and resume `to'.
 * The dead thread's stack stays allocated until cpu_thread_free.
 */
__dead void
cpu_switch_exit(struct cpu_thread *from, struct cpu_thread *to,
    struct pcb *topcb)
{
	KASSERT(from == cpu_cur && from != &cpu_idle);
	cpu_switch_check(to, topcb);
	from->ct_dead = true;
#ifdef CPU_ASAN
	__sanitizer_start_switch_fiber(NULL, to->ct_asan_bottom,
	    to->ct_asan_size);
#endif
	if (cpu_method == CPU_SWITCH_UCONTEXT) {
		setcontext(&to->ct_uc);
		panic("%s: setcontext failed", __func__);
	}
#ifdef CPU_HAVE_ASM
	cpu_switch_asm(&cpu_exit_scratch, topcb->pcb_sp);
#endif
	panic("%s: a dead thread was resumed", __func__);
}

/* the stack pointer a switched-out thread will resume with */
static uint64_t
cpu_saved_sp(const struct cpu_thread *ct, const struct pcb *pcb)
{
	if (cpu_method == CPU_SWITCH_ASM)
		return pcb->pcb_sp;
#if defined(__x86_64__)
	return (uint64_t)ct->ct_uc.uc_mcontext.gregs[REG_RSP];
#elif defined(__aarch64__)
	return (uint64_t)ct->ct_uc.uc_mcontext.sp;
#endif
}

/* FNV-1a, 64 bits */
static uint64_t
cpu_sum(uint64_t h, const uint8_t *p, size_t n)
{
	while (n-- > 0) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

#define CPU_SUM_INIT 0xcbf29ce484222325ULL

/*
 * cpu_kstack_walk: visit [va, va + len) of kernel memory a page at a
 * time, with the host address of each piece; a stack offset runs along.
 */
static void
cpu_kstack_walk(vaddr_t va, size_t len, vm_prot_t access,
    void (*fn)(void *host, size_t off, size_t n, void *ctx), void *ctx)
{
	size_t off = 0, n;

	while (off < len) {
		n = MIN(len - off, PAGE_SIZE - ((va + off) & PAGE_MASK));
		fn(cpu_kva(va + off, access), off, n, ctx);
		off += n;
	}
}

struct cpu_copyctx {
	uint8_t *stack; /* host stack bytes */
	uint64_t sum;	/* checksum of the u-area side */
};

static void
cpu_save_piece(void *host, size_t off, size_t n, void *arg)
{
	struct cpu_copyctx *c = arg;

	cpu_rawcopy(host, c->stack + off, n);
#ifdef CPU_VALGRIND
	/*
	 * a stack has bytes never written (padding between locals); in the
	 * u-area they are just data, to be checksummed and paged out
	 */
	VALGRIND_MAKE_MEM_DEFINED(host, n);
#endif
	c->sum = cpu_sum(c->sum, host, n);
}

static void
cpu_sum_piece(void *host, size_t off __unused, size_t n, void *arg)
{
	struct cpu_copyctx *c = arg;

	c->sum = cpu_sum(c->sum, host, n);
}

static void
cpu_restore_piece(void *host, size_t off, size_t n, void *arg)
{
	struct cpu_copyctx *c = arg;

	cpu_rawcopy(c->stack + off, host, n);
}

/*
 * cpu_swapout: a process is being swapped out: save the live part of
 * its thread's host stack at the top of the u-area's stack area, with
 * its checksum in the pcb, and scribble over the host copy.
 *
 * => the thread must be switched out and its u-area still wired (the
 *    reference unwires it right after this).
 * => a live stack larger than the stack area is a kernel stack overflow
 *    (a panic, as it would be on the real machine).
 */
void
cpu_swapout(struct cpu_thread *ct, vaddr_t uarea, vsize_t uspace,
    vsize_t kstack_off)
{
	struct pcb *pcb = cpu_pcb(uarea);
	struct cpu_copyctx c;
	uint8_t *top = cpu_stack_top(ct);
	size_t len;

	KASSERT(ct != cpu_cur && !ct->ct_dead && !ct->ct_swapped);
	ct->ct_sp = cpu_saved_sp(ct, pcb);
	KASSERTMSG(ct->ct_sp >= (uint64_t)(uintptr_t)ct->ct_stack &&
		ct->ct_sp <= (uint64_t)(uintptr_t)top,
	    "%s: saved stack pointer outside the thread's stack", __func__);
	len = (size_t)((uint64_t)(uintptr_t)top - ct->ct_sp);
	if (len > uspace - kstack_off)
		panic("%s: kernel stack overflow: %zu live bytes, the u-area "
		      "holds %llu",
		    __func__, len, (unsigned long long)(uspace - kstack_off));

	c.stack = top - len;
	c.sum = CPU_SUM_INIT;
	cpu_kstack_walk(uarea + uspace - len, len, VM_PROT_WRITE,
	    cpu_save_piece, &c);
	pcb = cpu_pcb(uarea);
	pcb->pcb_stacklen = len;
	pcb->pcb_stacksum = c.sum;
	pcb->pcb_nswapout++;
	cpu_rawscribble(c.stack, len);
	ct->ct_swapped = true;
	cpucounters.swapouts++;
	cpucounters.stackcopy += len;
	cpucounters.maxstack = MAX(cpucounters.maxstack, len);
}

/*
 * cpu_swapin: a process is back in memory (its u-area wired again,
 * perhaps in other physical pages, perhaps read back from swap): verify
 * the saved stack against its checksum and put it back.
 *
 * => a mismatch means the VM lost or mixed up u-area data: a panic.
 */
void
cpu_swapin(struct cpu_thread *ct, vaddr_t uarea, vsize_t uspace,
    vsize_t kstack_off)
{
	struct pcb *pcb = cpu_pcb(uarea);
	struct cpu_copyctx c;
	uint8_t *top = cpu_stack_top(ct);
	size_t len;

	KASSERT(ct->ct_swapped);
	KASSERTMSG(pcb->pcb_magic == PCB_MAGIC,
	    "%s: the u-area came back without its pcb (magic %#llx)", __func__,
	    (unsigned long long)pcb->pcb_magic);
	len = (size_t)pcb->pcb_stacklen;
	KASSERTMSG(len <= uspace - kstack_off &&
		(uint64_t)(uintptr_t)top - len == ct->ct_sp,
	    "%s: the pcb's saved stack length %zu does not match", __func__,
	    len);
	c.stack = top - len;
	c.sum = CPU_SUM_INIT;
	cpu_kstack_walk(uarea + uspace - len, len, VM_PROT_READ, cpu_sum_piece,
	    &c);
	if (c.sum != pcb->pcb_stacksum)
		panic("%s: the u-area's saved kernel stack is corrupt "
		      "(checksum %#llx, expected %#llx)",
		    __func__, (unsigned long long)c.sum,
		    (unsigned long long)pcb->pcb_stacksum);
	cpu_kstack_walk(uarea + uspace - len, len, VM_PROT_READ,
	    cpu_restore_piece, &c);
	pcb = cpu_pcb(uarea);
	pcb->pcb_stacklen = 0;
	ct->ct_swapped = false;
	cpucounters.swapins++;
	cpucounters.stackcopy += len;
}

static void
cpu_magic_piece(void *host, size_t off __unused, size_t n, void *arg __unused)
{
	uint64_t *w = host;
	size_t i;

	for (i = 0; i < n / sizeof(*w); i++)
		w[i] = KSTACK_MAGIC;
}

/*
 * cpu_kstack_setup_magic: fill the u-area's stack area with the magic
 * pattern (the kstack check), so its deepest use can be measured.
 */
void
cpu_kstack_setup_magic(vaddr_t uarea, vsize_t uspace, vsize_t kstack_off)
{
	KASSERT(kstack_off % sizeof(uint64_t) == 0);
	cpu_kstack_walk(uarea + kstack_off, uspace - kstack_off, VM_PROT_WRITE,
	    cpu_magic_piece, NULL);
}

/*
 * cpu_kstack_check_magic: how many bytes of the stack area were ever
 * used: the stack grows down from the top, so the lowest word that is
 * no longer magic marks its deepest point.
 */
vsize_t
cpu_kstack_check_magic(vaddr_t uarea, vsize_t uspace, vsize_t kstack_off)
{
	vaddr_t va;
	uint64_t *w;

	for (va = uarea + kstack_off; va < uarea + uspace; va += sizeof(*w)) {
		w = cpu_kva(va, VM_PROT_READ);
		if (*w != KSTACK_MAGIC)
			return uarea + uspace - va;
	}
	return 0;
}
