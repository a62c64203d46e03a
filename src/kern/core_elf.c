/*
 * core_elf.c: an ELF64 core file, as the host's debugger reads it.
 *
 *	ELF header (ET_CORE, the host's machine)
 *	program headers: one PT_NOTE, then a PT_LOAD per segment
 *	notes: "CORE" NT_PRSTATUS (the signal, the pid), NT_PRPSINFO
 *	       (the name) and NT_SIGINFO (the signal, its code and the
 *	       faulting address; none for a core taken with no signal),
 *	       in the host's layout and Linux's order;
 *	       or, NetBSD style, one "NetBSD-CORE" procinfo note
 *	       (version 1, with the signal and its code)
 *	the segments' bytes, each at a page-aligned offset; a segment not
 *	dumped has file size 0 (its memory size stays, so it is described)
 *
 * The simulated processes have no registers to save: the register set
 * in NT_PRSTATUS is zeros.  This file includes the host's ELF headers
 * and nothing of the kernel's, whose names they would clash with.
 */

#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/procfs.h>
#include <unistd.h>

#include "kern/core_elf.h"
#include "machine/hostmem.h"

#if defined(__x86_64__)
#define CORE_MACHINE EM_X86_64
#elif defined(__aarch64__)
#define CORE_MACHINE EM_AARCH64
#else
#error "core_elf.c: give the host's ELF machine"
#endif

#define CORE_ALIGN 4096 /* segment data alignment in the file */

/* write all of buf at offset off */
static int
core_pwrite(int fd, const void *buf, size_t len, off_t off)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = pwrite(fd, p, len, off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		p += n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

/* a note: header, name (4-aligned), descriptor (4-aligned) */
static size_t
core_note(char *out, const char *name, uint32_t type, const void *desc,
    size_t descsz)
{
	Elf64_Nhdr nh;
	size_t namesz = strlen(name) + 1, off = 0;

	nh.n_namesz = (Elf64_Word)namesz;
	nh.n_descsz = (Elf64_Word)descsz;
	nh.n_type = type;
	if (out != NULL)
		memcpy(out, &nh, sizeof(nh));
	off += sizeof(nh);
	if (out != NULL) {
		memset(out + off, 0, (namesz + 3) & ~(size_t)3);
		memcpy(out + off, name, namesz);
	}
	off += (namesz + 3) & ~(size_t)3;
	if (out != NULL) {
		memset(out + off, 0, (descsz + 3) & ~(size_t)3);
		memcpy(out + off, desc, descsz);
	}
	off += (descsz + 3) & ~(size_t)3;
	return off;
}

/* NetBSD's procinfo note, version 1: all fields 32-bit, little-endian */
#define NETBSD_CORE_PROCINFO 1
struct netbsd_procinfo {
	uint32_t cpi_version; /* 1 */
	uint32_t cpi_cpisize; /* sizeof this */
	uint32_t cpi_signo;   /* the signal that ended it */
	uint32_t cpi_sigcode;
	uint32_t cpi_sigpend[4], cpi_sigmask[4], cpi_sigignore[4],
	    cpi_sigcatch[4];
	int32_t cpi_pid, cpi_ppid, cpi_pgrp, cpi_sid;
	uint32_t cpi_ruid, cpi_euid, cpi_svuid, cpi_rgid, cpi_egid, cpi_svgid;
	uint32_t cpi_nlwps; /* threads: 1 */
	char cpi_name[32];  /* the program's name */
};

#ifndef NT_SIGINFO
#define NT_SIGINFO 0x53494749 /* "SIGI" */
#endif

/*
 * the siginfo note's descriptor: a siginfo_t as Linux's core dumps
 * write it, which on a 64-bit host is the C library's own siginfo_t
 * (128 bytes: si_signo, si_errno, si_code, then si_addr at offset 16 for
 * SIGSEGV and SIGBUS).  gdb shows it as $_siginfo.
 */
static void
core_siginfo(siginfo_t *si, const struct core_info *ci)
{
	_Static_assert(sizeof(siginfo_t) == 128, "siginfo_t is not Linux's");
	memset(si, 0, sizeof(*si));
	si->si_signo = ci->ci_signo;
	si->si_code = ci->ci_sigcode;
	if (ci->ci_signo == SIGSEGV || ci->ci_signo == SIGBUS ||
	    ci->ci_signo == SIGILL || ci->ci_signo == SIGFPE ||
	    ci->ci_signo == SIGTRAP)
		si->si_addr = (void *)(uintptr_t)ci->ci_sigaddr;
}

static size_t
core_notes(char *out, const struct core_info *ci)
{
	struct netbsd_procinfo cpi;
	struct elf_prstatus prs;
	struct elf_prpsinfo psi;
	siginfo_t si;
	size_t off;

	if (ci->ci_style == CORE_STYLE_NETBSD) {
		memset(&cpi, 0, sizeof(cpi));
		cpi.cpi_version = 1;
		cpi.cpi_cpisize = sizeof(cpi);
		cpi.cpi_signo = (uint32_t)ci->ci_signo;
		cpi.cpi_sigcode = (uint32_t)ci->ci_sigcode;
		cpi.cpi_pid = ci->ci_pid;
		cpi.cpi_ppid = ci->ci_ppid;
		cpi.cpi_nlwps = 1;
		strncpy(cpi.cpi_name, ci->ci_name, sizeof(cpi.cpi_name) - 1);
		return core_note(out, "NetBSD-CORE", NETBSD_CORE_PROCINFO, &cpi,
		    sizeof(cpi));
	}

	memset(&prs, 0, sizeof(prs));
	prs.pr_info.si_signo = ci->ci_signo;
	prs.pr_cursig = (short)ci->ci_signo;
	prs.pr_pid = ci->ci_pid;
	prs.pr_ppid = ci->ci_ppid;
	prs.pr_utime.tv_sec = (time_t)(ci->ci_utime_us / 1000000);
	prs.pr_utime.tv_usec = (suseconds_t)(ci->ci_utime_us % 1000000);
	prs.pr_stime.tv_sec = (time_t)(ci->ci_stime_us / 1000000);
	prs.pr_stime.tv_usec = (suseconds_t)(ci->ci_stime_us % 1000000);
	memset(&psi, 0, sizeof(psi));
	psi.pr_state = 'Z' - 'A';
	psi.pr_sname = 'Z';
	psi.pr_pid = ci->ci_pid;
	psi.pr_ppid = ci->ci_ppid;
	strncpy(psi.pr_fname, ci->ci_name, sizeof(psi.pr_fname) - 1);
	strncpy(psi.pr_psargs, ci->ci_name, sizeof(psi.pr_psargs) - 1);
	off = core_note(out, "CORE", NT_PRSTATUS, &prs, sizeof(prs));
	off += core_note(out != NULL ? out + off : NULL, "CORE", NT_PRPSINFO,
	    &psi, sizeof(psi));
	if (ci->ci_signo == 0)
		return off; /* a core taken on request: no signal to describe */
	core_siginfo(&si, ci);
	off += core_note(out != NULL ? out + off : NULL, "CORE", NT_SIGINFO,
	    &si, sizeof(si));
	return off;
}

/*
 * core_elf_write: write the core of the process described by ci, with
 * its segments segs[0..nseg), to fd (at offset 0), reading dumped
 * segments' bytes with readseg (a page that cannot be read is zeros).
 *
 * => returns 0, or the host's errno value of the first failed write
 *    (host memory for the headers is hostmem's: it does not fail).
 */
int
core_elf_write(int fd, const struct core_info *ci, const struct core_seg *segs,
    int nseg, core_read_t readseg, void *arg)
{
	size_t phsz = sizeof(Elf64_Phdr) * (size_t)(nseg + 1);
	size_t notesz = core_notes(NULL, ci), len;
	off_t dataoff, off;
	Elf64_Ehdr eh;
	Elf64_Phdr *ph;
	char *notes, buf[CORE_ALIGN];
	uint64_t va;
	int i, error;

	ph = hostmem_zalloc((size_t)nseg + 1, sizeof(*ph));
	notes = hostmem_zalloc(1, notesz);
	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh.e_type = ET_CORE;
	eh.e_machine = CORE_MACHINE;
	eh.e_version = EV_CURRENT;
	eh.e_phoff = sizeof(eh);
	eh.e_ehsize = sizeof(eh);
	eh.e_phentsize = sizeof(Elf64_Phdr);
	eh.e_phnum = (Elf64_Half)(nseg + 1);

	(void)core_notes(notes, ci);
	ph[0].p_type = PT_NOTE;
	ph[0].p_offset = sizeof(eh) + phsz;
	ph[0].p_filesz = notesz;
	ph[0].p_align = 4;
	dataoff = (off_t)((sizeof(eh) + phsz + notesz + CORE_ALIGN - 1) &
	    ~(size_t)(CORE_ALIGN - 1));
	for (i = 0, off = dataoff; i < nseg; i++) {
		ph[i + 1].p_type = PT_LOAD;
		ph[i + 1].p_vaddr = segs[i].cs_vaddr;
		ph[i + 1].p_memsz = segs[i].cs_size;
		ph[i + 1].p_filesz = segs[i].cs_dump ? segs[i].cs_size : 0;
		ph[i + 1].p_offset = (Elf64_Off)off;
		ph[i + 1].p_align = CORE_ALIGN;
		ph[i + 1].p_flags = ((segs[i].cs_prot & 1) ? PF_R : 0) |
		    ((segs[i].cs_prot & 2) ? PF_W : 0) |
		    ((segs[i].cs_prot & 4) ? PF_X : 0);
		off += (off_t)ph[i + 1].p_filesz;
	}

	error = core_pwrite(fd, &eh, sizeof(eh), 0);
	if (error == 0)
		error = core_pwrite(fd, ph, phsz, sizeof(eh));
	if (error == 0)
		error =
		    core_pwrite(fd, notes, notesz, (off_t)(sizeof(eh) + phsz));
	/*
	 * the headers are out: let go of them before reading the memory,
	 * which may wait (for memory, for swap) and, on a machine that
	 * deadlocks, never come back
	 */
	free(ph);
	free(notes);
	for (i = 0, off = dataoff; i < nseg && error == 0; i++) {
		if (!segs[i].cs_dump)
			continue;
		for (va = segs[i].cs_vaddr;
		     va < segs[i].cs_vaddr + segs[i].cs_size && error == 0;
		     va += len, off += (off_t)len) {
			len = (size_t)MIN((uint64_t)sizeof(buf),
			    segs[i].cs_vaddr + segs[i].cs_size - va);
			if (readseg(arg, va, buf, len) != 0)
				memset(buf, 0, len);
			error = core_pwrite(fd, buf, len, off);
		}
	}
	return error;
}
