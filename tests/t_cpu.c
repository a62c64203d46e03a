/*
 * t_cpu.c: the simulated CPU, driven directly, without the kernel's
 * scheduler -- the context switch (both methods), cpu_fork, the stack
 * that cpu_swapout saves into the u-area and cpu_swapin brings back, the
 * panics that guard them, and the kernel stack check.
 *
 * The host context is the idle thread, with a pcb of its own in host
 * memory; every other thread has a wired u-area from uvm_km_alloc and
 * its pcb at the start of it.  Threads and the host pass values through
 * globals, and the host makes the assertions: an ATF failure inside a
 * coroutine would exit on a stack that is not the host's.
 *
 * Every behaviour is a pair of cases, NAME_asm and NAME_ucontext, one per
 * switch method (the asm case is skipped where the method is missing).
 */

#include <alloca.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

#include "h_util.h"
#include "machine/pmap.h"

#define IDLE (-1) /* the host context, as a participant */

static struct pcb t_idle_pcb;	  /* the host's pcb */
static struct cpu_thread t_ct[2]; /* threads 0 and 1 */
static vaddr_t t_ua[2];		  /* and their u-areas */

/* read at run time, so that the values computed from them are too */
static volatile uint64_t t_seeds[8] = { 0x9e3779b97f4a7c15ULL,
	0xbf58476d1ce4e5b9ULL, 0x94d049bb133111ebULL, 0x2545f4914f6cdd1dULL,
	0x61c8864680b583ebULL, 0xd6e8feb86659fd93ULL, 0xa0761d6478bd642fULL,
	0xe7037ed1a0b428dbULL };

#define KSTACK_AREA (USPACE - USER_KSTACK_OFF)

/*
 * T_STACKBUF(n): n bytes on the running thread's real host stack.  The
 * size goes through a volatile so that the compiler cannot make the
 * alloca a fixed frame slot, which AddressSanitizer may move to its
 * heap-allocated "fake stack" (detect_stack_use_after_return).
 */
static volatile size_t t_dynsize;
#define T_STACKBUF(n) alloca((t_dynsize = (n), t_dynsize))

/* boot a small machine that switches by method m, and set up the host */
static void
t_boot(enum cpu_switch_method m)
{
	struct machine_config mc;

	if (!cpu_switch_method_available(m))
		atf_tc_skip("the %s switch method is not available here",
		    cpu_switch_method_name(m));
	machine_config_default(&mc);
	mc.mc_npages = 256;
	mc.mc_pagesize = 4096;
	mc.mc_swapslots = 256;
	mc.mc_switch = m;
	h_boot_config(&mc);
	ATF_REQUIRE_EQ(cpu_switch_method(), m);
	memset(&t_idle_pcb, 0, sizeof(t_idle_pcb));
	t_idle_pcb.pcb_magic = PCB_MAGIC;
}

/* a wired u-area */
static vaddr_t
t_uarea(void)
{
	vaddr_t ua;

	ua = uvm_km_alloc(kernel_map, USPACE);
	ATF_REQUIRE(ua != 0);
	return ua;
}

static struct cpu_thread *
t_thr(int i)
{
	return i == IDLE ? cpu_idle_thread() : &t_ct[i];
}

static struct pcb *
t_pcbof(int i)
{
	return i == IDLE ? &t_idle_pcb : cpu_pcb(t_ua[i]);
}

static void
t_switch(int from, int to)
{
	cpu_switch(t_thr(from), t_pcbof(from), t_thr(to), t_pcbof(to));
}

static __dead void
t_exit_to(int self, int to)
{
	cpu_switch_exit(&t_ct[self], t_thr(to), t_pcbof(to));
}

static __dead void
t_exit(int self)
{
	t_exit_to(self, IDLE);
}

/* the top of a thread's host stack, as cpu.c computes it */
static uintptr_t
t_top(const struct cpu_thread *ct)
{
	return (uintptr_t)(ct->ct_stack + ct->ct_stacksize) & ~(uintptr_t)15;
}

static bool
t_on_stack(const struct cpu_thread *ct, uintptr_t p, size_t len)
{
	return p >= (uintptr_t)ct->ct_stack && p + len <= t_top(ct);
}

/* copy kernel memory out through the kernel pmap */
static void
t_kread(vaddr_t va, void *dst, size_t n)
{
	unsigned char *d = dst;
	void *host;
	size_t piece;

	while (n > 0) {
		piece = MIN(n, PAGE_SIZE - (va & PAGE_MASK));
		ATF_REQUIRE_EQ(pmap_access(pmap_kernel(), va, VM_PROT_READ,
				   &host),
		    0);
		memcpy(d, host, piece);
		d += piece;
		va += piece;
		n -= piece;
	}
}

/* flip one bit of a byte of kernel memory */
static void
t_kflip(vaddr_t va)
{
	void *host;

	ATF_REQUIRE_EQ(pmap_access(pmap_kernel(), va, VM_PROT_WRITE, &host), 0);
	*(unsigned char *)host ^= 0x40;
}

/* a double that takes some computing, the same wherever it is computed */
static __attribute__((noinline)) double
t_double(int who)
{
	double x = (double)(t_seeds[0] % 1000) / 7.0 + who;

	return x * x / 3.0 + 1.0 / (x + 0.5);
}

/* what the values k0..k7 held by a participant mix to */
#define T_MIX(k0, k1, k2, k3, k4, k5, k6, k7)                           \
	((k0) ^ ((k1) << 1) ^ ((k2) << 2) ^ ((k3) << 3) ^ ((k4) << 4) ^ \
	    ((k5) << 5) ^ ((k6) << 6) ^ ((k7) << 7))

static uint64_t
t_mix_expected(int who)
{
	uint64_t k[8];
	int i;

	for (i = 0; i < 8; i++)
		k[i] = t_seeds[i] + (uint64_t)(who + 2);
	return T_MIX(k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7]);
}

/*
 * A simple thread: counts its turns and switches back to the host each
 * time, until t_stop says to exit.
 */
static int t_yields;
static bool t_stop;

static void
yield_main(void *arg __unused)
{
	for (;;) {
		t_yields++;
		t_switch(0, IDLE);
		if (t_stop)
			t_exit(0);
	}
}

/*
 * Ping-pong.  After each turn the participant whose turn it is switches
 * to the next one of the schedule; a thread's last turn ends with
 * cpu_switch_exit.
 *
 *	turns:  host a b host b a b host
 *
 * a switches to b, b to a, and a's last turn exits to b, not the host.
 */
#define PP_SCHED  "abibabi" /* who runs after each turn */
#define PP_EXPECT "iabibabi"
#define PP_BUFLEN 160
#define PP_TURNS  8

static struct {
	int next;		   /* index into PP_SCHED */
	char log[32];		   /* who ran, in order */
	size_t nlog;		   /* how much of log */
	int turns[2];		   /* turns each thread had */
	uint64_t mix[2][PP_TURNS]; /* its locals, mixed, at each turn */
	double dbl[2][PP_TURNS];   /* its double */
	bool bufok[2][PP_TURNS];   /* its stack buffer intact */
	uint64_t hostsw[PP_TURNS]; /* cpucounters.switches at host turns */
	int hostturns;
} pp;

static void
pp_logc(char c)
{
	if (pp.nlog < sizeof(pp.log) - 1)
		pp.log[pp.nlog++] = c;
}

static int
pp_who(char c)
{
	return c == 'i' ? IDLE : c - 'a';
}

static void
pp_main(void *arg)
{
	const int self = *(const int *)arg;
	const char me = (char)('a' + self);
	const uint64_t add = (uint64_t)(self + 2);
	uint64_t k0 = t_seeds[0] + add, k1 = t_seeds[1] + add;
	uint64_t k2 = t_seeds[2] + add, k3 = t_seeds[3] + add;
	uint64_t k4 = t_seeds[4] + add, k5 = t_seeds[5] + add;
	uint64_t k6 = t_seeds[6] + add, k7 = t_seeds[7] + add;
	double d = t_double(self);
	unsigned char *buf = T_STACKBUF(PP_BUFLEN);
	int turn = 0;
	char next;

	h_fill(buf, PP_BUFLEN, 40 + self);
	for (;;) {
		pp_logc(me);
		if (turn < PP_TURNS) {
			pp.mix[self][turn] =
			    T_MIX(k0, k1, k2, k3, k4, k5, k6, k7);
			pp.dbl[self][turn] = d;
			pp.bufok[self][turn] =
			    h_same(buf, PP_BUFLEN, 40 + self);
		}
		pp.turns[self] = ++turn;
		next = PP_SCHED[pp.next++];
		if (strchr(&PP_SCHED[pp.next], me) == NULL)
			t_exit_to(self, pp_who(next));
		t_switch(self, pp_who(next));
	}
}

static void
ping_pong_in_order(enum cpu_switch_method m)
{
	static const int self0 = 0, self1 = 1;
	uint64_t hk0, hk1, hk2, hk3, hk4, hk5, hk6, hk7;
	const uint64_t hadd = (uint64_t)(IDLE + 2);
	double hd;
	int t, i;

	t_boot(m);
	t_ua[0] = t_uarea();
	t_ua[1] = t_uarea();
	cpu_fork(&t_ct[0], t_ua[0], NULL, 0, pp_main, (void *)&self0);
	cpu_fork(&t_ct[1], t_ua[1], NULL, 0, pp_main, (void *)&self1);

	/* the host's own values, live across its switches */
	hk0 = t_seeds[0] + hadd, hk1 = t_seeds[1] + hadd;
	hk2 = t_seeds[2] + hadd, hk3 = t_seeds[3] + hadd;
	hk4 = t_seeds[4] + hadd, hk5 = t_seeds[5] + hadd;
	hk6 = t_seeds[6] + hadd, hk7 = t_seeds[7] + hadd;
	hd = t_double(IDLE);
	for (;;) {
		pp_logc('i');
		if (pp.hostturns < PP_TURNS)
			pp.hostsw[pp.hostturns++] = cpucounters.switches;
		if (PP_SCHED[pp.next] == '\0')
			break;
		t_switch(IDLE, pp_who(PP_SCHED[pp.next++]));
	}

	ATF_REQUIRE_STREQ(pp.log, PP_EXPECT);
	ATF_REQUIRE_EQ(pp.turns[0], 2);
	ATF_REQUIRE_EQ(pp.turns[1], 3);
	for (t = 0; t < 2; t++)
		for (i = 0; i < pp.turns[t]; i++) {
			ATF_REQUIRE_MSG(pp.mix[t][i] == t_mix_expected(t),
			    "thread %d turn %d: integer locals changed", t, i);
			ATF_REQUIRE_MSG(pp.dbl[t][i] == t_double(t),
			    "thread %d turn %d: double %.17g, expected %.17g",
			    t, i, pp.dbl[t][i], t_double(t));
			ATF_REQUIRE_MSG(pp.bufok[t][i],
			    "thread %d turn %d: stack buffer changed", t, i);
		}
	ATF_REQUIRE_EQ(T_MIX(hk0, hk1, hk2, hk3, hk4, hk5, hk6, hk7),
	    t_mix_expected(IDLE));
	ATF_REQUIRE(hd == t_double(IDLE));

	/* switches seen at each host turn: 0, after i-a-b-i, after i-b-a-b-i */
	ATF_REQUIRE_EQ(pp.hostturns, 3);
	ATF_REQUIRE_EQ(pp.hostsw[0], 0);
	ATF_REQUIRE_EQ(pp.hostsw[1], 3);
	ATF_REQUIRE_EQ(pp.hostsw[2], 7);
	ATF_REQUIRE_EQ(cpucounters.switches, 7);
	/* switched out (exits not counted): host 2, a 1, b 2 */
	ATF_REQUIRE_EQ(t_idle_pcb.pcb_nswitch, 2);
	ATF_REQUIRE_EQ(cpu_pcb(t_ua[0])->pcb_nswitch, 1);
	ATF_REQUIRE_EQ(cpu_pcb(t_ua[1])->pcb_nswitch, 2);
	ATF_REQUIRE(t_ct[0].ct_dead && t_ct[1].ct_dead);

	for (t = 0; t < 2; t++) {
		cpu_thread_free(&t_ct[t]);
		uvm_km_free(kernel_map, t_ua[t], USPACE);
	}
	h_shutdown();
}

/*
 * Callee-saved registers.  t_regs_call(in, out, fn) loads rbx, rbp and
 * r12-r15 from in[0..5], calls fn, and stores what the six hold after
 * it into out[0..5].  fn switches away; every participant loads values
 * of its own, so a switch that mixed them up would show.
 */
#if defined(__x86_64__)
void t_regs_call(const uint64_t *in, uint64_t *out, void (*fn)(void));
__asm__(".pushsection .text\n"
	".globl t_regs_call\n"
	".type t_regs_call, @function\n"
	"t_regs_call:\n"
	"	pushq %rbx\n"
	"	pushq %rbp\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	pushq %rsi\n" /* out; the stack is aligned for the call */
	"	movq 0(%rdi), %rbx\n"
	"	movq 8(%rdi), %rbp\n"
	"	movq 16(%rdi), %r12\n"
	"	movq 24(%rdi), %r13\n"
	"	movq 32(%rdi), %r14\n"
	"	movq 40(%rdi), %r15\n"
	"	call *%rdx\n"
	"	popq %rsi\n"
	"	movq %rbx, 0(%rsi)\n"
	"	movq %rbp, 8(%rsi)\n"
	"	movq %r12, 16(%rsi)\n"
	"	movq %r13, 24(%rsi)\n"
	"	movq %r14, 32(%rsi)\n"
	"	movq %r15, 40(%rsi)\n"
	"	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbp\n"
	"	popq %rbx\n"
	"	ret\n"
	".size t_regs_call, .-t_regs_call\n"
	".popsection\n");

#define RG_NREG 6
static uint64_t rg_in[3][RG_NREG];  /* [0], [1]: threads; [2]: host */
static uint64_t rg_out[3][RG_NREG]; /* what each found after */
static int rg_from, rg_to;
static const char *const rg_who[3] = { "thread 0", "thread 1", "host" };
static const char *const rg_reg[RG_NREG] = { "rbx", "rbp", "r12", "r13", "r14",
	"r15" };

static void
rg_go(void)
{
	t_switch(rg_from, rg_to);
}

/* thread 0 switches to 1, 1 to the host, all with registers loaded */
static void
rg_main(void *arg)
{
	const int self = *(const int *)arg;

	rg_from = self;
	rg_to = self == 0 ? 1 : IDLE;
	t_regs_call(rg_in[self], rg_out[self], rg_go);
	if (self == 1)
		t_switch(1, 0);
	t_exit(self);
}
#endif

static void
callee_saved_registers_survive(enum cpu_switch_method m)
{
#if defined(__x86_64__)
	static const int self0 = 0, self1 = 1;
	int p, r;

	t_boot(m);
	for (p = 0; p < 3; p++)
		for (r = 0; r < RG_NREG; r++)
			rg_in[p][r] = 0x5a00000000000000ULL |
			    ((uint64_t)(p + 1) << 40) |
			    ((uint64_t)(r + 1) << 8) | (uint64_t)(p * 16 + r);
	t_ua[0] = t_uarea();
	t_ua[1] = t_uarea();
	cpu_fork(&t_ct[0], t_ua[0], NULL, 0, rg_main, (void *)&self0);
	cpu_fork(&t_ct[1], t_ua[1], NULL, 0, rg_main, (void *)&self1);

	/* host -> 0 -> 1 -> host, each inside t_regs_call */
	rg_from = IDLE;
	rg_to = 0;
	t_regs_call(rg_in[2], rg_out[2], rg_go);
	/* host -> 1 (returns from its call) -> 0 (returns, exits) -> host */
	t_switch(IDLE, 1);
	ATF_REQUIRE(t_ct[0].ct_dead);
	t_switch(IDLE, 1); /* 1 exits */
	ATF_REQUIRE(t_ct[1].ct_dead);

	for (p = 0; p < 3; p++)
		for (r = 0; r < RG_NREG; r++)
			ATF_REQUIRE_MSG(rg_out[p][r] == rg_in[p][r],
			    "%s: callee-saved register %s is %#llx, was %#llx",
			    rg_who[p], rg_reg[r],
			    (unsigned long long)rg_out[p][r],
			    (unsigned long long)rg_in[p][r]);
	/* host-0-1-host, host-1-0, 0's exit, host-1, 1's exit */
	ATF_REQUIRE_EQ(cpucounters.switches, 8);

	for (p = 0; p < 2; p++) {
		cpu_thread_free(&t_ct[p]);
		uvm_km_free(kernel_map, t_ua[p], USPACE);
	}
	h_shutdown();
#else
	(void)m;
	atf_tc_skip("the register test is written for x86-64");
#endif
}

/*
 * The floating-point control state (MXCSR and the x87 control word) is
 * callee-saved: a thread that sets rounding upward keeps it across a
 * switch, and the host, switched to meanwhile, keeps its own.
 */
#if defined(__x86_64__)
#define MXCSR_RC_MASK 0x6000u
#define MXCSR_RC_UP   0x4000u
#define MXCSR_FLAGS   0x003fu /* exception flags: status, not control */
#define FPCW_RC_MASK  0x0c00u
#define FPCW_RC_UP    0x0800u

static volatile double fp_one = 1.0, fp_three = 3.0;

static struct {
	unsigned int mxcsr_set, mxcsr_after;
	uint16_t fpcw_set, fpcw_after;
	double third_before, third_after;
} fp;

/* MXCSR's control bits */
static unsigned int
fp_getcsr(void)
{
	return _mm_getcsr() & ~MXCSR_FLAGS;
}

static uint16_t
fp_getcw(void)
{
	uint16_t cw;

	__asm__ volatile("fnstcw %0" : "=m"(cw));
	return cw;
}

static void
fp_setcw(uint16_t cw)
{
	__asm__ volatile("fldcw %0" : : "m"(cw));
}

static void
fp_main(void *arg __unused)
{
	unsigned int mxcsr0 = fp_getcsr();
	uint16_t cw0 = fp_getcw();

	fp.mxcsr_set = (mxcsr0 & ~MXCSR_RC_MASK) | MXCSR_RC_UP;
	fp.fpcw_set = (uint16_t)((cw0 & ~FPCW_RC_MASK) | FPCW_RC_UP);
	_mm_setcsr(fp.mxcsr_set);
	fp_setcw(fp.fpcw_set);
	fp.third_before = fp_one / fp_three;
	t_switch(0, IDLE);
	fp.mxcsr_after = fp_getcsr();
	fp.fpcw_after = fp_getcw();
	fp.third_after = fp_one / fp_three;
	_mm_setcsr(mxcsr0);
	fp_setcw(cw0);
	t_exit(0);
}
#endif

static void
fp_control_state_is_per_thread(enum cpu_switch_method m)
{
#if defined(__x86_64__)
	unsigned int host_mxcsr;
	uint16_t host_cw;
	double near;

	t_boot(m);
	t_ua[0] = t_uarea();
	cpu_fork(&t_ct[0], t_ua[0], NULL, 0, fp_main, NULL);
	host_mxcsr = fp_getcsr();
	host_cw = fp_getcw();
	near = fp_one / fp_three;

	t_switch(IDLE, 0); /* the thread rounds upward, then switches */
	ATF_REQUIRE_EQ(fp_getcsr(), host_mxcsr);
	ATF_REQUIRE_EQ(fp_getcw(), host_cw);
	ATF_REQUIRE(fp_one / fp_three == near);
	ATF_REQUIRE_MSG(fp.third_before > near,
	    "rounding upward had no effect (%.17g, %.17g)", fp.third_before,
	    near);

	t_switch(IDLE, 0);
	ATF_REQUIRE(t_ct[0].ct_dead);
	ATF_REQUIRE_EQ(fp.mxcsr_after, fp.mxcsr_set);
	ATF_REQUIRE_EQ(fp.fpcw_after, fp.fpcw_set);
	ATF_REQUIRE(fp.third_after == fp.third_before);
	ATF_REQUIRE_EQ(fp_getcsr(), host_mxcsr);

	cpu_thread_free(&t_ct[0]);
	uvm_km_free(kernel_map, t_ua[0], USPACE);
	h_shutdown();
#else
	(void)m;
	atf_tc_skip("the floating-point control test is written for x86-64");
#endif
}

/*
 * cpu_fork: a thread does not run until switched to, then starts at its
 * entry with its argument, on its own stack; the pcb records the user
 * stack.
 */
struct ent_arg {
	int self;
	uint64_t token;
};

static struct {
	int calls[2];
	const void *arg[2];
	uint64_t token[2];
	uintptr_t frame[2];
	char order[4];
	int norder;
} ent;

static void
ent_main(void *arg)
{
	const struct ent_arg *ea = arg;

	ent.calls[ea->self]++;
	ent.arg[ea->self] = arg;
	ent.token[ea->self] = ea->token;
	ent.frame[ea->self] = (uintptr_t)__builtin_frame_address(0);
	if (ent.norder < 3)
		ent.order[ent.norder++] = (char)('0' + ea->self);
	t_exit(ea->self);
}

static void
fork_starts_at_entry_with_argument(enum cpu_switch_method m)
{
	static struct ent_arg a0 = { 0, 0x1111222233334444ULL };
	static struct ent_arg a1 = { 1, 0x5555666677778888ULL };
	struct pcb *pcb;
	int i;

	t_boot(m);
	t_ua[0] = t_uarea();
	t_ua[1] = t_uarea();
	cpu_fork(&t_ct[0], t_ua[0], (void *)(uintptr_t)0x7fff0000, 0x4000,
	    ent_main, &a0);
	cpu_fork(&t_ct[1], t_ua[1], NULL, 0, ent_main, &a1);

	pcb = cpu_pcb(t_ua[0]);
	ATF_REQUIRE_EQ(pcb->pcb_magic, PCB_MAGIC);
	ATF_REQUIRE_EQ(pcb->pcb_ustack, 0x7fff0000);
	ATF_REQUIRE_EQ(pcb->pcb_ustacksize, 0x4000);
	ATF_REQUIRE_EQ(pcb->pcb_stacklen, 0);
	ATF_REQUIRE_EQ(pcb->pcb_nswitch, 0);
	ATF_REQUIRE_EQ(pcb->pcb_nswapout, 0);
	pcb = cpu_pcb(t_ua[1]);
	ATF_REQUIRE_EQ(pcb->pcb_magic, PCB_MAGIC);
	ATF_REQUIRE_EQ(pcb->pcb_ustack, 0);
	ATF_REQUIRE_EQ(pcb->pcb_ustacksize, 0);
	for (i = 0; i < 2; i++) {
		ATF_REQUIRE(t_ct[i].ct_stack != NULL);
		ATF_REQUIRE(t_ct[i].ct_stacksize >= CPU_STACKSIZE_DEFAULT);
		ATF_REQUIRE(!t_ct[i].ct_dead && !t_ct[i].ct_swapped);
	}
	ATF_REQUIRE(t_ct[0].ct_stack != t_ct[1].ct_stack);
	/* nothing has run yet */
	ATF_REQUIRE_EQ(ent.calls[0] + ent.calls[1], 0);
	ATF_REQUIRE_EQ(cpucounters.switches, 0);

	/* the second one first: each starts when it is switched to */
	t_switch(IDLE, 1);
	ATF_REQUIRE_EQ(ent.calls[1], 1);
	ATF_REQUIRE_EQ(ent.calls[0], 0);
	ATF_REQUIRE(t_ct[1].ct_dead);
	t_switch(IDLE, 0);
	ATF_REQUIRE_EQ(ent.calls[0], 1);
	ATF_REQUIRE_EQ(ent.calls[1], 1);
	ATF_REQUIRE_STREQ(ent.order, "10");

	ATF_REQUIRE(ent.arg[0] == &a0);
	ATF_REQUIRE(ent.arg[1] == &a1);
	ATF_REQUIRE_EQ(ent.token[0], a0.token);
	ATF_REQUIRE_EQ(ent.token[1], a1.token);
	for (i = 0; i < 2; i++)
		ATF_REQUIRE_MSG(t_on_stack(&t_ct[i], ent.frame[i], 0),
		    "thread %d ran at %#lx, outside its stack [%p, %#lx)", i,
		    (unsigned long)ent.frame[i], (void *)t_ct[i].ct_stack,
		    (unsigned long)t_top(&t_ct[i]));
	ATF_REQUIRE_EQ(cpucounters.switches, 4);
	ATF_REQUIRE_EQ(t_idle_pcb.pcb_nswitch, 2);
	ATF_REQUIRE_EQ(cpu_pcb(t_ua[0])->pcb_nswitch, 0);
	/* the pcb still says what cpu_fork was given */
	ATF_REQUIRE_EQ(cpu_pcb(t_ua[0])->pcb_ustack, 0x7fff0000);

	for (i = 0; i < 2; i++) {
		cpu_thread_free(&t_ct[i]);
		ATF_REQUIRE(t_ct[i].ct_map == NULL);
		uvm_km_free(kernel_map, t_ua[i], USPACE);
	}
	h_shutdown();
}

/*
 * cpu_swapout and cpu_swapin: the thread yields three times, the second
 * time from 1 KiB deeper; each time the host swaps it out and in and
 * switches back.  Its stack buffer, locals and double survive; while it
 * is out the host copy is scribbled and the u-area holds the bytes.
 */
#define SW_BUFLEN 384
#define SW_ROUNDS 3
#define SW_DEEP	  1024
#define SW_SEED	  77

static struct {
	unsigned char *buf; /* the thread's stack buffer */
	int resumed;
	uint64_t mix[SW_ROUNDS];
	double dbl[SW_ROUNDS];
	bool bufok[SW_ROUNDS];
	bool padok;
} sw;

static __attribute__((noinline)) void
sw_yield_deep(void)
{
	unsigned char *pad = T_STACKBUF(SW_DEEP);

	h_fill(pad, SW_DEEP, SW_SEED + 1); /* all of it, so all of it exists */
	t_switch(0, IDLE);
	sw.padok = h_same(pad, SW_DEEP, SW_SEED + 1);
}

static void
sw_main(void *arg __unused)
{
	const uint64_t add = 2;
	uint64_t k0 = t_seeds[0] + add, k1 = t_seeds[1] + add;
	uint64_t k2 = t_seeds[2] + add, k3 = t_seeds[3] + add;
	uint64_t k4 = t_seeds[4] + add, k5 = t_seeds[5] + add;
	uint64_t k6 = t_seeds[6] + add, k7 = t_seeds[7] + add;
	double d = t_double(0);
	unsigned char *buf = T_STACKBUF(SW_BUFLEN);
	int round;

	h_fill(buf, SW_BUFLEN, SW_SEED);
	sw.buf = buf;
	for (round = 0; round < SW_ROUNDS; round++) {
		if (round == 1)
			sw_yield_deep();
		else
			t_switch(0, IDLE);
		sw.bufok[round] = h_same(buf, SW_BUFLEN, SW_SEED);
		sw.mix[round] = T_MIX(k0, k1, k2, k3, k4, k5, k6, k7);
		sw.dbl[round] = d;
		sw.resumed++;
	}
	t_exit(0);
}

static void
swapout_saves_stack_and_swapin_restores_it(enum cpu_switch_method m)
{
	unsigned char saved[SW_BUFLEN];
	uint64_t len[SW_ROUNDS], copied = 0, maxlen = 0;
	struct cpu_thread *ct = &t_ct[0];
	struct pcb *pcb;
	uintptr_t top;
	vaddr_t ua;
	int round;

	t_boot(m);
	ua = t_ua[0] = t_uarea();
	cpu_fork(ct, ua, NULL, 0, sw_main, NULL);
	top = t_top(ct);
	t_switch(IDLE, 0);
	ATF_REQUIRE_MSG(t_on_stack(ct, (uintptr_t)sw.buf, SW_BUFLEN),
	    "the buffer is not on the thread's stack");

	for (round = 0; round < SW_ROUNDS; round++) {
		pcb = cpu_pcb(ua);
		ATF_REQUIRE_EQ(pcb->pcb_stacklen, 0);
		ATF_REQUIRE(!ct->ct_swapped);

		cpu_swapout(ct, ua, USPACE, USER_KSTACK_OFF);
		pcb = cpu_pcb(ua);
		len[round] = pcb->pcb_stacklen;
		ATF_REQUIRE_MSG(len[round] > 0 && len[round] <= KSTACK_AREA,
		    "round %d: pcb_stacklen %llu, the area holds %llu", round,
		    (unsigned long long)len[round],
		    (unsigned long long)KSTACK_AREA);
		ATF_REQUIRE(ct->ct_swapped);
		ATF_REQUIRE_EQ(pcb->pcb_nswapout, (uint64_t)round + 1);
		/* the saved part is the live top of the stack: buf is in it */
		ATF_REQUIRE((uintptr_t)sw.buf >= top - len[round]);
		/* the host copy is scribbled; the u-area's top holds it */
		ATF_REQUIRE(!h_same(sw.buf, SW_BUFLEN, SW_SEED));
		t_kread(ua + USPACE - len[round] +
			((uintptr_t)sw.buf - (top - len[round])),
		    saved, SW_BUFLEN);
		ATF_REQUIRE_MSG(h_same(saved, SW_BUFLEN, SW_SEED),
		    "round %d: the u-area does not hold the stack buffer",
		    round);
		maxlen = MAX(maxlen, len[round]);
		ATF_REQUIRE_EQ(cpucounters.swapouts, (uint64_t)round + 1);
		ATF_REQUIRE_EQ(cpucounters.swapins, (uint64_t)round);
		ATF_REQUIRE_EQ(cpucounters.stackcopy, copied + len[round]);
		ATF_REQUIRE_EQ(cpucounters.maxstack, maxlen);

		cpu_swapin(ct, ua, USPACE, USER_KSTACK_OFF);
		pcb = cpu_pcb(ua);
		ATF_REQUIRE(!ct->ct_swapped);
		ATF_REQUIRE_EQ(pcb->pcb_stacklen, 0);
		ATF_REQUIRE_EQ(pcb->pcb_magic, PCB_MAGIC);
		ATF_REQUIRE_EQ(cpucounters.swapins, (uint64_t)round + 1);
		ATF_REQUIRE_EQ(cpucounters.stackcopy, copied + 2 * len[round]);
		ATF_REQUIRE_EQ(cpucounters.maxstack, maxlen);
		ATF_REQUIRE(h_same(sw.buf, SW_BUFLEN, SW_SEED));
		copied += 2 * len[round];

		t_switch(IDLE, 0);
		ATF_REQUIRE_EQ(sw.resumed, round + 1);
		ATF_REQUIRE_MSG(sw.bufok[round],
		    "round %d: the stack buffer changed", round);
		ATF_REQUIRE_MSG(sw.mix[round] == t_mix_expected(0),
		    "round %d: the thread's locals changed", round);
		ATF_REQUIRE_MSG(sw.dbl[round] == t_double(0),
		    "round %d: the thread's double changed", round);
	}
	ATF_REQUIRE(sw.padok);
	ATF_REQUIRE_MSG(len[1] >= len[0] + SW_DEEP,
	    "a yield %d bytes deeper saved %llu bytes, not %llu + %d", SW_DEEP,
	    (unsigned long long)len[1], (unsigned long long)len[0], SW_DEEP);
	ATF_REQUIRE_EQ(len[2], len[0]);
	ATF_REQUIRE_EQ(cpucounters.maxstack, len[1]);
	ATF_REQUIRE_EQ(cpucounters.stackcopy, 4 * len[0] + 2 * len[1]);
	ATF_REQUIRE(ct->ct_dead);

	cpu_thread_free(ct);
	uvm_km_free(kernel_map, ua, USPACE);
	h_shutdown();
}

/*
 * The u-area may come back in other pages: copied whole to another
 * u-area (the old one wiped), the saved stack is restored from there and
 * the thread runs on with its pcb in the new one.
 */
static void
swapin_from_moved_uarea_resumes(enum cpu_switch_method m)
{
	unsigned char *copy;
	vaddr_t ua, ua2;
	void *host;
	size_t i;

	t_boot(m);
	ua = t_ua[0] = t_uarea();
	cpu_fork(&t_ct[0], ua, NULL, 0, sw_main, NULL);
	t_switch(IDLE, 0);
	cpu_swapout(&t_ct[0], ua, USPACE, USER_KSTACK_OFF);
	ATF_REQUIRE(!h_same(sw.buf, SW_BUFLEN, SW_SEED));

	ua2 = t_uarea();
	copy = malloc(USPACE);
	ATF_REQUIRE(copy != NULL);
	t_kread(ua, copy, USPACE);
	for (i = 0; i < USPACE; i++) {
		ATF_REQUIRE_EQ(pmap_access(pmap_kernel(), ua2 + i,
				   VM_PROT_WRITE, &host),
		    0);
		*(unsigned char *)host = copy[i];
		ATF_REQUIRE_EQ(pmap_access(pmap_kernel(), ua + i, VM_PROT_WRITE,
				   &host),
		    0);
		*(unsigned char *)host = 0xff;
	}
	free(copy);
	t_ua[0] = ua2;
	cpu_swapin(&t_ct[0], ua2, USPACE, USER_KSTACK_OFF);
	ATF_REQUIRE(!t_ct[0].ct_swapped);
	ATF_REQUIRE(h_same(sw.buf, SW_BUFLEN, SW_SEED));
	t_switch(IDLE, 0);
	ATF_REQUIRE_EQ(sw.resumed, 1);
	ATF_REQUIRE(sw.bufok[0]);
	ATF_REQUIRE(sw.mix[0] == t_mix_expected(0));
	ATF_REQUIRE(sw.dbl[0] == t_double(0));
	ATF_REQUIRE_EQ(cpu_pcb(ua2)->pcb_nswitch, 2);
	ATF_REQUIRE_EQ(cpu_pcb(ua2)->pcb_nswapout, 1);

	/* it finishes its rounds without more swapping */
	t_switch(IDLE, 0);
	t_switch(IDLE, 0);
	ATF_REQUIRE_EQ(sw.resumed, SW_ROUNDS);
	ATF_REQUIRE(t_ct[0].ct_dead);
	cpu_thread_free(&t_ct[0]);
	uvm_km_free(kernel_map, ua, USPACE);
	uvm_km_free(kernel_map, ua2, USPACE);
	h_shutdown();
}

/* a thread swapped out and in before it ever ran still starts at entry */
static void
swapout_before_first_run_then_starts(enum cpu_switch_method m)
{
	static struct ent_arg a0 = { 0, 0x0123456789abcdefULL };
	uint64_t len;
	vaddr_t ua;

	t_boot(m);
	ua = t_ua[0] = t_uarea();
	cpu_fork(&t_ct[0], ua, NULL, 0, ent_main, &a0);
	cpu_swapout(&t_ct[0], ua, USPACE, USER_KSTACK_OFF);
	len = cpu_pcb(ua)->pcb_stacklen;
	ATF_REQUIRE(len > 0 && len <= KSTACK_AREA);
	ATF_REQUIRE(t_ct[0].ct_swapped);
	cpu_swapin(&t_ct[0], ua, USPACE, USER_KSTACK_OFF);
	ATF_REQUIRE_EQ(ent.calls[0], 0);
	t_switch(IDLE, 0);
	ATF_REQUIRE_EQ(ent.calls[0], 1);
	ATF_REQUIRE(ent.arg[0] == &a0);
	ATF_REQUIRE_EQ(ent.token[0], a0.token);
	ATF_REQUIRE(t_ct[0].ct_dead);
	ATF_REQUIRE_EQ(cpucounters.stackcopy, 2 * len);
	cpu_thread_free(&t_ct[0]);
	uvm_km_free(kernel_map, ua, USPACE);
	h_shutdown();
}

/* a byte of the saved stack changed in the u-area: swapin panics */
static void
swapin_of_corrupt_stack_panics(enum cpu_switch_method m)
{
	struct pcb *pcb;
	vaddr_t ua;
	uint64_t len;

	t_boot(m);
	ua = t_ua[0] = t_uarea();
	cpu_fork(&t_ct[0], ua, NULL, 0, yield_main, NULL);
	t_switch(IDLE, 0);
	ATF_REQUIRE_EQ(t_yields, 1);
	cpu_swapout(&t_ct[0], ua, USPACE, USER_KSTACK_OFF);
	pcb = cpu_pcb(ua);
	len = pcb->pcb_stacklen;
	ATF_REQUIRE(len > 1);
	t_kflip(ua + USPACE - len + len / 2);
	H_REQUIRE_PANIC(cpu_swapin(&t_ct[0], ua, USPACE, USER_KSTACK_OFF),
	    "corrupt");
}

/* a thread whose stack is in its u-area cannot run */
static void
switch_to_swapped_out_thread_panics(enum cpu_switch_method m)
{
	vaddr_t ua;

	t_boot(m);
	ua = t_ua[0] = t_uarea();
	cpu_fork(&t_ct[0], ua, NULL, 0, yield_main, NULL);
	t_switch(IDLE, 0);
	ATF_REQUIRE_EQ(t_yields, 1);
	cpu_swapout(&t_ct[0], ua, USPACE, USER_KSTACK_OFF);
	ATF_REQUIRE(t_ct[0].ct_swapped);
	H_REQUIRE_PANIC(t_switch(IDLE, 0), "swapped out");
}

/* a u-area whose pcb magic is wrong cannot be switched to */
static void
switch_with_bad_pcb_magic_panics(enum cpu_switch_method m)
{
	vaddr_t ua;

	t_boot(m);
	ua = t_ua[0] = t_uarea();
	cpu_fork(&t_ct[0], ua, NULL, 0, yield_main, NULL);
	t_switch(IDLE, 0);
	ATF_REQUIRE_EQ(t_yields, 1);
	/* it switches back and forth while the magic is right */
	t_switch(IDLE, 0);
	ATF_REQUIRE_EQ(t_yields, 2);
	cpu_pcb(ua)->pcb_magic ^= 1;
	H_REQUIRE_PANIC(t_switch(IDLE, 0), "bad pcb magic");
}

/*
 * A thread that switches out with more live stack than the u-area's
 * stack area (64 KiB, with T_STACKBUF so that it is on the real stack
 * under any sanitizer) overflows the kernel stack when swapped out.
 */
#define BIG_LEN (64 * 1024)

static unsigned char *big_buf;
static bool big_ok; /* the buffer read back right */

static void
big_main(void *arg __unused)
{
	unsigned char *p = T_STACKBUF(BIG_LEN);

	h_fill(p, BIG_LEN, 9); /* every byte: the pages are really used */
	big_buf = p;
	big_ok = h_same(p, BIG_LEN, 9);
	t_switch(0, IDLE);
	t_exit(0);
}

static void
swapout_of_deep_stack_panics(enum cpu_switch_method m)
{
	vaddr_t ua;
	uintptr_t top;

	t_boot(m);
	ua = t_ua[0] = t_uarea();
	cpu_fork(&t_ct[0], ua, NULL, 0, big_main, NULL);
	t_switch(IDLE, 0);
	ATF_REQUIRE(big_ok);
	top = t_top(&t_ct[0]);
	ATF_REQUIRE(t_on_stack(&t_ct[0], (uintptr_t)big_buf, BIG_LEN));
	ATF_REQUIRE_MSG(top - (uintptr_t)big_buf > KSTACK_AREA,
	    "the thread's live stack (%lu bytes) fits the u-area (%llu)",
	    (unsigned long)(top - (uintptr_t)big_buf),
	    (unsigned long long)KSTACK_AREA);
	H_REQUIRE_PANIC(cpu_swapout(&t_ct[0], ua, USPACE, USER_KSTACK_OFF),
	    "kernel stack overflow");
}

/*
 * The kernel stack check: a freshly magic-filled area measures 0 (cpu_fork
 * writes only the pcb below it, running touches only the host stack);
 * a swapout writes the saved stack at the top, and the measure is then
 * at least pcb_stacklen, and stays after the swapin.
 */
static void
kstack_magic_measures_saved_stack(enum cpu_switch_method m)
{
	uint64_t len, used;
	vaddr_t ua;

	t_boot(m);
	ua = t_ua[0] = t_uarea();
	cpu_kstack_setup_magic(ua, USPACE, USER_KSTACK_OFF);
	ATF_REQUIRE_EQ(cpu_kstack_check_magic(ua, USPACE, USER_KSTACK_OFF), 0);
	cpu_fork(&t_ct[0], ua, NULL, 0, yield_main, NULL);
	ATF_REQUIRE_EQ(cpu_kstack_check_magic(ua, USPACE, USER_KSTACK_OFF), 0);
	t_switch(IDLE, 0);
	ATF_REQUIRE_EQ(t_yields, 1);
	ATF_REQUIRE_EQ(cpu_kstack_check_magic(ua, USPACE, USER_KSTACK_OFF), 0);

	cpu_swapout(&t_ct[0], ua, USPACE, USER_KSTACK_OFF);
	len = cpu_pcb(ua)->pcb_stacklen;
	ATF_REQUIRE(len > 0);
	used = cpu_kstack_check_magic(ua, USPACE, USER_KSTACK_OFF);
	ATF_REQUIRE_MSG(used >= len && used <= KSTACK_AREA,
	    "measured %llu bytes used, %llu saved, the area holds %llu",
	    (unsigned long long)used, (unsigned long long)len,
	    (unsigned long long)KSTACK_AREA);
	cpu_swapin(&t_ct[0], ua, USPACE, USER_KSTACK_OFF);
	ATF_REQUIRE_EQ(cpu_kstack_check_magic(ua, USPACE, USER_KSTACK_OFF),
	    used);

	/* refilled, it measures 0 again */
	cpu_kstack_setup_magic(ua, USPACE, USER_KSTACK_OFF);
	ATF_REQUIRE_EQ(cpu_kstack_check_magic(ua, USPACE, USER_KSTACK_OFF), 0);
	ATF_REQUIRE_EQ(cpu_pcb(ua)->pcb_magic, PCB_MAGIC);

	t_stop = true;
	t_switch(IDLE, 0);
	ATF_REQUIRE(t_ct[0].ct_dead);
	cpu_thread_free(&t_ct[0]);
	uvm_km_free(kernel_map, ua, USPACE);
	h_shutdown();
}

/* each behaviour, once per switch method */
#define T_CASES(name)                         \
	ATF_TC_WITHOUT_HEAD(name##_asm);      \
	ATF_TC_BODY(name##_asm, tc)           \
	{                                     \
		name(CPU_SWITCH_ASM);         \
	}                                     \
	ATF_TC_WITHOUT_HEAD(name##_ucontext); \
	ATF_TC_BODY(name##_ucontext, tc)      \
	{                                     \
		name(CPU_SWITCH_UCONTEXT);    \
	}

#define T_ADD(tp, name)                             \
	do {                                        \
		ATF_TP_ADD_TC(tp, name##_asm);      \
		ATF_TP_ADD_TC(tp, name##_ucontext); \
	} while (0)

T_CASES(ping_pong_in_order)
T_CASES(callee_saved_registers_survive)
T_CASES(fp_control_state_is_per_thread)
T_CASES(fork_starts_at_entry_with_argument)
T_CASES(swapout_saves_stack_and_swapin_restores_it)
T_CASES(swapin_from_moved_uarea_resumes)
T_CASES(swapout_before_first_run_then_starts)
T_CASES(swapin_of_corrupt_stack_panics)
T_CASES(switch_to_swapped_out_thread_panics)
T_CASES(switch_with_bad_pcb_magic_panics)
T_CASES(swapout_of_deep_stack_panics)
T_CASES(kstack_magic_measures_saved_stack)

ATF_TP_ADD_TCS(tp)
{
	T_ADD(tp, ping_pong_in_order);
	T_ADD(tp, callee_saved_registers_survive);
	T_ADD(tp, fp_control_state_is_per_thread);
	T_ADD(tp, fork_starts_at_entry_with_argument);
	T_ADD(tp, swapout_saves_stack_and_swapin_restores_it);
	T_ADD(tp, swapin_from_moved_uarea_resumes);
	T_ADD(tp, swapout_before_first_run_then_starts);
	T_ADD(tp, swapin_of_corrupt_stack_panics);
	T_ADD(tp, switch_to_swapped_out_thread_panics);
	T_ADD(tp, switch_with_bad_pcb_magic_panics);
	T_ADD(tp, swapout_of_deep_stack_panics);
	T_ADD(tp, kstack_magic_measures_saved_stack);
	return atf_no_error();
}
