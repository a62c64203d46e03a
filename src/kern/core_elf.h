/*
 * core_elf.h: writing an ELF core file -- the format, apart from the
 * kernel that gathers what goes in it (kern_core.c).
 */

#ifndef _KERN_CORE_ELF_H_
#define _KERN_CORE_ELF_H_

#include "machine/types.h"

/* one segment of the address space */
struct core_seg {
	uint64_t cs_vaddr; /* start */
	uint64_t cs_size;  /* bytes */
	int cs_prot;	   /* VM_PROT_* */
	bool cs_dump;	   /* write its contents (else file size 0) */
};

/* which notes: the host debugger's, or NetBSD's procinfo */
enum core_style { CORE_STYLE_HOST, CORE_STYLE_NETBSD };

/* who died, and how */
struct core_info {
	enum core_style ci_style;
	const char *ci_name; /* the program's name */
	int ci_pid;
	int ci_ppid;
	int ci_signo;	     /* the signal that ended it (host numbers) */
	int ci_sigcode;	     /* its si_code (SI_USER: sent, not a trap) */
	uint64_t ci_sigaddr; /* the faulting address (0 if none) */
	uint64_t ci_utime_us, ci_stime_us;
};

/* read len bytes at va of the process into buf; nonzero: unreadable */
typedef int (*core_read_t)(void *arg, uint64_t va, void *buf, size_t len);

int core_elf_write(int fd, const struct core_info *, const struct core_seg *,
    int nseg, core_read_t, void *arg);

#endif /* _KERN_CORE_ELF_H_ */
