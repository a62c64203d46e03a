/*
 * kern_sig.c: the signals the VM system needs, with their default
 * actions.
 *
 *	SIGSEGV, SIGBUS, SIGABRT   terminate with a core (kern_core.c)
 *	SIGKILL                    terminate; cannot be stopped
 *	SIGSTOP                    stop (SSTOP); SIGCONT continues
 *	SIGCHLD                    ignored (wait is woken directly)
 *
 * Programs install no handlers, so every signal takes its default
 * action.  A signal is posted by kpsignal and acted on by the process
 * itself when it next returns to user mode (userret) -- except that
 * kpsignal stops an interruptibly sleeping process at once, and makes a
 * stopped or interruptibly sleeping one runnable for SIGKILL.  Kernel
 * threads ignore signals.
 */

#include <signal.h>

#include "kern/kern.h"

/* does the default action of sig terminate the process? */
static bool
sig_terminates(int sig)
{
	return sig != SIGSTOP && sig != SIGCONT && sig != SIGCHLD &&
	    sig != SIGTSTP && sig != SIGTTIN && sig != SIGTTOU &&
	    sig != SIGWINCH && sig != SIGURG;
}

static bool
sig_stops(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
	    sig == SIGTTOU;
}

static void postsig_all(struct proc *);

/* does the process have a signal to act on? */
bool
proc_sigpending(struct proc *p)
{
	return p->p_siglist != 0;
}

/*
 * proc_stop: p stops where it is.  A sleeper stays on its sleep queue,
 * to sleep on when continued.
 */
static void
proc_stop(struct proc *p, int sig)
{
	if (p->p_onrunq)
		remrunqueue(p);
	p->p_stat = SSTOP;
	p->p_xstat = W_STOPCODE(sig);
	TRACE(TRC_SIGNAL, "pid %d (%s): stopped by signal %d", p->p_pid,
	    p->p_comm, sig);
	VMEVENT(VMEV_SIGNAL, p->p_pid, sig, "stopped");
	if (p->p_pptr != &proc0) /* &proc0 is the swapper's channel */
		wakeup(p->p_pptr);
}

/* proc_continue: a stopped process goes back to what it was doing */
static void
proc_continue(struct proc *p)
{
	if (p->p_stat != SSTOP)
		return;
	TRACE(TRC_SIGNAL, "pid %d (%s): continued by signal %d", p->p_pid,
	    p->p_comm, SIGCONT);
	VMEVENT(VMEV_SIGNAL, p->p_pid, SIGCONT, "continued");
	if (p->p_wchan != NULL)
		p->p_stat = SSLEEP;
	else
		setrunnable(p);
}

/*
 * kpsignal: post signal sig to p (NetBSD's psignal; the host C library
 * has that name).
 */
void
kpsignal(struct proc *p, int sig)
{
	KASSERT(sig > 0 && sig < NSIG_KERN);
	if ((p->p_flag & (P_SYSTEM | P_WEXIT)) || p->p_stat == SZOMB ||
	    p->p_stat == SDEAD)
		return;
	if (sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH)
		return; /* ignored by default */
	if (sig == SIGCONT) {
		p->p_siglist &= ~(sigmask32(SIGSTOP) | sigmask32(SIGTSTP) |
		    sigmask32(SIGTTIN) | sigmask32(SIGTTOU));
		proc_continue(p);
		return;
	}
	if (sig_stops(sig))
		p->p_siglist &= ~sigmask32(SIGCONT);

	switch (p->p_stat) {
	case SSLEEP:
		if (!(p->p_flag & P_SINTR))
			break; /* acted on when the sleep ends */
		if (sig_stops(sig)) {
			proc_stop(p, sig);
			return;
		}
		p->p_siglist |= sigmask32(sig);
		setrunnable(p);
		return;
	case SSTOP:
		if (sig_stops(sig))
			return;
		if (sig == SIGKILL) {
			p->p_siglist |= sigmask32(sig);
			if (p->p_wchan != NULL)
				proc_unsleep(p);
			setrunnable(p);
			return;
		}
		break; /* pending until continued */
	default:
		break; /* running or runnable: seen at userret */
	}
	p->p_siglist |= sigmask32(sig);
}

/*
 * trapsignal: post the signal a trap (a fault the VM could not satisfy)
 * raised in p, with what the trap knows: its si_code and the faulting
 * address, kept in p_ksi for the core file's siginfo note (NetBSD's
 * trapsignal takes a ksiginfo_t the same way).
 *
 * => a signal posted by kpsignal alone has no trap's details: its core
 *    says SI_USER, address 0 (see sigexit).
 */
void
trapsignal(struct proc *p, const struct ksiginfo *ksi)
{
	KASSERT(ksi->ksi_signo > 0 && ksi->ksi_signo < NSIG_KERN);
	p->p_ksi = *ksi;
	kpsignal(p, ksi->ksi_signo);
}

/*
 * userret: a process is about to go back to its program: act on its
 * pending signals, return to its user priority, and give up the CPU if
 * someone more urgent is waiting -- and when it gets the CPU back, act
 * on the signals that came meanwhile before the program runs on.
 */
void
userret(struct proc *p)
{
	KASSERT(p == curproc);
	do {
		postsig_all(p);
		p->p_priority = p->p_usrpri;
		if (want_resched())
			preempt();
	} while (p->p_siglist != 0);
}

/* act on every pending signal of the running process p */
static void
postsig_all(struct proc *p)
{
	int sig;

	while (p->p_siglist != 0) {
		/* SIGKILL first, then the lowest number */
		sig = (p->p_siglist & sigmask32(SIGKILL)) ?
		    SIGKILL :
		    __builtin_ctz(p->p_siglist) + 1;
		p->p_siglist &= ~sigmask32(sig);
		if (sig_stops(sig)) {
			proc_stop(p, sig);
			mi_switch();
			continue;
		}
		if (sig_terminates(sig))
			sigexit(p, sig);
	}
}

/* does the default action of sig dump core? */
static bool
sig_dumps_core(int sig)
{
	return sig == SIGSEGV || sig == SIGBUS || sig == SIGABRT ||
	    sig == SIGQUIT || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP;
}

/*
 * sigexit: p ends by signal sig's default action, with a core for the
 * signals whose default is to dump one (if there is a core directory);
 * the wait status says whether a core was written.
 *
 * => the core's siginfo is the trap's (p_ksi) if a trap posted sig;
 *    else the signal came from a kill: code SI_USER, no address.
 */
__dead void
sigexit(struct proc *p, int sig)
{
	struct ksiginfo ksi = { .ksi_signo = sig, .ksi_code = SI_USER };
	int status = W_EXITCODE(0, sig);

	schedcounters.sigexits++;
	TRACE(TRC_SIGNAL, "pid %d (%s): killed by signal %d", p->p_pid,
	    p->p_comm, sig);
	VMEVENT(VMEV_SIGNAL, p->p_pid, sig, "killed");
	if (p->p_ksi.ksi_signo == sig)
		ksi = p->p_ksi;
	if (sig_dumps_core(sig) && coredump(p, &ksi) == 0)
		status |= W_COREFLAG;
	exit1(p, status);
}
