/*
 * t_core.c: core dumps -- written on the default action of SIGSEGV,
 * SIGBUS and SIGABRT into the core directory, mode 0600, never through a
 * link; an ELF core whose segments and notes the host's tools read: gdb
 * names the program and the signal, reads back what it wrote, and shows
 * in $_siginfo (the NT_SIGINFO note) the address that faulted.
 */

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "h_util.h"

#define PG(n) ((vaddr_t)(n)*PAGE_SIZE)
#define RW    (VM_PROT_READ | VM_PROT_WRITE)

extern char **environ;

static char t_dir[64];

static void
t_boot_style(bool coredir, bool netbsd)
{
	struct machine_config mc;

	snprintf(t_dir, sizeof(t_dir), "/tmp/uvmsim-core.XXXXXX");
	ATF_REQUIRE(mkdtemp(t_dir) != NULL);
	machine_config_default(&mc);
	mc.mc_npages = 256;
	mc.mc_swapslots = 256;
	mc.mc_coredir = coredir ? t_dir : NULL;
	mc.mc_core_netbsd = netbsd;
	h_boot_kern_config(&mc);
}

static void
t_boot(bool coredir)
{
	t_boot_style(coredir, false);
}

static void
t_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", t_dir, name);
}

static void
t_cleanup(const char *name)
{
	char path[128];

	t_path(path, sizeof(path), name);
	(void)unlink(path);
	(void)rmdir(t_dir);
}

struct t_core {
	vaddr_t rw, ro;
	int sig;
	bool acc; /* SIGSEGV by a store to the read-only page, not to 0x1000 */
};

/* write a message, map a read-only page, then die of sig */
static int
prog_die(struct proc *p, void *arg)
{
	struct t_core *t = arg;
	static const char msg[] = "hello core";
	char c = 1;

	t->rw = t->ro = 0;
	if (proc_mmap(p, 0, PG(2), RW, MMAP_ANON | MMAP_PRIVATE, -1, 0,
		&t->rw) != 0 ||
	    proc_mmap(p, 0, PG(1), VM_PROT_READ, MMAP_ANON | MMAP_PRIVATE, -1,
		0, &t->ro))
		return 1;
	(void)proc_store(p, t->rw, msg, sizeof(msg));
	(void)proc_fill(p, t->rw + PG(1), 'z', PAGE_SIZE);
	(void)proc_store(p, USRSTACK - 100, &c, 1); /* the stack grows */
	if (t->sig == SIGSEGV)
		(void)proc_store(p, t->acc ? t->ro + 5 : 0x1000, &c, 1);
	kpsignal(p, t->sig);
	userret(p);
	return 2;
}

static int
t_die(struct t_core *t, const char *name)
{
	struct proc *p;
	int pid, status = -1;

	ATF_REQUIRE_EQ(kern_spawn(name, prog_die, t, &p), 0);
	pid = p->p_pid;
	h_run_idle();
	ATF_REQUIRE_EQ(kern_collect(pid, &status), 0);
	return status;
}

/* read the whole core file */
static unsigned char *
t_slurp(const char *name, size_t *lenp)
{
	char path[128];
	unsigned char *buf;
	struct stat st;
	int fd;

	t_path(path, sizeof(path), name);
	fd = open(path, O_RDONLY);
	ATF_REQUIRE_MSG(fd >= 0, "no core %s", path);
	ATF_REQUIRE(fstat(fd, &st) == 0);
	ATF_REQUIRE_EQ_MSG(st.st_mode & 0777, 0600, "mode %o",
	    st.st_mode & 0777);
	buf = malloc((size_t)st.st_size);
	ATF_REQUIRE(buf != NULL);
	ATF_REQUIRE_EQ(read(fd, buf, (size_t)st.st_size), st.st_size);
	close(fd);
	*lenp = (size_t)st.st_size;
	return buf;
}

/*
 * The ELF core: ET_CORE; a PT_NOTE with NT_PRSTATUS and NT_PRPSINFO;
 * a PT_LOAD per segment, the read-only one with file size 0; the data
 * segment's bytes are what the process wrote.
 */
ATF_TC_WITHOUT_HEAD(segv_writes_elf_core);
ATF_TC_BODY(segv_writes_elf_core, tc)
{
	struct t_core t = { .sig = SIGSEGV };
	const Elf64_Ehdr *eh;
	const Elf64_Phdr *ph;
	unsigned char *core;
	size_t len;
	int status, i, loads = 0;
	bool saw_rw = false, saw_ro = false, saw_stack = false;

	t_boot(true);
	status = t_die(&t, "segv");
	ATF_REQUIRE_EQ(status & 0x7f, SIGSEGV);
	ATF_REQUIRE(status & W_COREFLAG);
	ATF_REQUIRE_EQ(corecounters.written, 1);
	core = t_slurp("segv.core", &len);
	eh = (const Elf64_Ehdr *)core;
	ATF_REQUIRE(len > sizeof(*eh));
	ATF_REQUIRE(memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0);
	ATF_REQUIRE_EQ(eh->e_type, ET_CORE);
	ph = (const Elf64_Phdr *)(core + eh->e_phoff);
	ATF_REQUIRE_EQ(ph[0].p_type, PT_NOTE);
	ATF_REQUIRE(memmem(core + ph[0].p_offset, ph[0].p_filesz, "CORE", 4));
	for (i = 1; i < eh->e_phnum; i++) {
		ATF_REQUIRE_EQ(ph[i].p_type, PT_LOAD);
		ATF_REQUIRE(ph[i].p_offset + ph[i].p_filesz <= len);
		loads++;
		if (ph[i].p_vaddr == t.rw) {
			saw_rw = true;
			ATF_REQUIRE_EQ(ph[i].p_filesz, PG(2));
			ATF_REQUIRE(memcmp(core + ph[i].p_offset, "hello core",
					11) == 0);
			ATF_REQUIRE_EQ(core[ph[i].p_offset + PG(1) + 7], 'z');
		} else if (ph[i].p_vaddr == t.ro) {
			saw_ro = true;
			ATF_REQUIRE_EQ(ph[i].p_filesz, 0); /* no dump */
			ATF_REQUIRE_EQ(ph[i].p_memsz, PG(1));
		} else if (ph[i].p_vaddr + ph[i].p_memsz == USRSTACK) {
			saw_stack = true;
			ATF_REQUIRE_EQ(ph[i].p_memsz, PG(1)); /* what it used */
		}
	}
	ATF_REQUIRE_EQ(loads, 3);
	ATF_REQUIRE(saw_rw && saw_ro && saw_stack);
	free(core);
	h_shutdown();
	t_cleanup("segv.core");
}

/*
 * the descriptor of the first note of `name' and `type' in the core's
 * PT_NOTE, its size in *szp; NULL if there is none
 */
static const unsigned char *
t_note(const unsigned char *core, size_t len, const char *name, uint32_t type,
    size_t *szp)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)core;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(core + eh->e_phoff);
	const unsigned char *n, *end;
	Elf64_Nhdr nh;

	ATF_REQUIRE_EQ(ph[0].p_type, PT_NOTE);
	ATF_REQUIRE(ph[0].p_offset + ph[0].p_filesz <= len);
	n = core + ph[0].p_offset;
	end = n + ph[0].p_filesz;
	while (n + sizeof(nh) <= end) {
		memcpy(&nh, n, sizeof(nh));
		n += sizeof(nh);
		ATF_REQUIRE(
		    n + ((nh.n_namesz + 3) & ~3u) + ((nh.n_descsz + 3) & ~3u) <=
		    end);
		if (nh.n_type == type && nh.n_namesz == strlen(name) + 1 &&
		    memcmp(n, name, nh.n_namesz) == 0) {
			*szp = nh.n_descsz;
			return n + ((nh.n_namesz + 3) & ~3u);
		}
		n += ((nh.n_namesz + 3) & ~3u) + ((nh.n_descsz + 3) & ~3u);
	}
	return NULL;
}

/* the siginfo note of core file `name': signal, code, address */
static void
t_siginfo(const char *name, int *signo, int *code, uint64_t *addr)
{
	const unsigned char *desc;
	unsigned char *core;
	int32_t v;
	size_t len, sz = 0;

	core = t_slurp(name, &len);
	desc = t_note(core, len, "CORE", 0x53494749, &sz);
	ATF_REQUIRE_MSG(desc != NULL, "%s: no CORE NT_SIGINFO note", name);
	/* Linux's siginfo_t on a 64-bit machine: 128 bytes */
	ATF_REQUIRE_EQ(sz, 128);
	memcpy(&v, desc, 4);
	*signo = v;
	memcpy(&v, desc + 8, 4);
	*code = v;
	memcpy(addr, desc + 16, 8);
	free(core);
}

/*
 * The core's "CORE" NT_SIGINFO note, after NT_PRSTATUS and NT_PRPSINFO
 * as Linux writes it, says where the process faulted: si_signo, si_code
 * (SEGV_MAPERR for nothing mapped, SEGV_ACCERR for a write to a
 * read-only page) and si_addr, the byte the store was for.  A signal
 * sent, not raised by a fault, says SI_USER and no address.
 */
ATF_TC_WITHOUT_HEAD(core_siginfo_says_where_it_faulted);
ATF_TC_BODY(core_siginfo_says_where_it_faulted, tc)
{
	struct t_core t = { .sig = SIGSEGV };
	int signo, code;
	uint64_t addr;

	t_boot(true);
	ATF_REQUIRE(t_die(&t, "maperr") & W_COREFLAG);
	t_siginfo("maperr.core", &signo, &code, &addr);
	ATF_REQUIRE_EQ(signo, SIGSEGV);
	ATF_REQUIRE_EQ(code, SEGV_MAPERR);
	ATF_REQUIRE_EQ_MSG(addr, 0x1000, "si_addr %#llx",
	    (unsigned long long)addr);

	t.acc = true;
	ATF_REQUIRE(t_die(&t, "accerr") & W_COREFLAG);
	t_siginfo("accerr.core", &signo, &code, &addr);
	ATF_REQUIRE_EQ(signo, SIGSEGV);
	ATF_REQUIRE_EQ(code, SEGV_ACCERR);
	ATF_REQUIRE_EQ_MSG(addr, t.ro + 5, "si_addr %#llx, not %#llx",
	    (unsigned long long)addr, (unsigned long long)(t.ro + 5));

	t.sig = SIGBUS;
	ATF_REQUIRE(t_die(&t, "sent") & W_COREFLAG);
	t_siginfo("sent.core", &signo, &code, &addr);
	ATF_REQUIRE_EQ(signo, SIGBUS);
	ATF_REQUIRE_EQ(code, SI_USER);
	ATF_REQUIRE_EQ(addr, 0);
	h_shutdown();
	t_cleanup("maperr.core");
	t_cleanup("accerr.core");
	t_cleanup("sent.core");
}

/* run gdb on the core; returns its output (NULL: no gdb here) */
static char *
t_gdb(const char *core, const char *cmd)
{
	char *argv[] = { "gdb", "-nx", "-batch", "-c", (char *)core, "-ex",
		(char *)cmd, NULL };
	char out[128], *buf;
	posix_spawn_file_actions_t fa;
	size_t len = 0;
	ssize_t n;
	pid_t pid;
	int fd, st;

	if (access("/usr/bin/gdb", X_OK) != 0)
		return NULL;
	snprintf(out, sizeof(out), "%s/gdb.out", t_dir);
	fd = open(out, O_CREAT | O_RDWR | O_TRUNC, 0600);
	ATF_REQUIRE(fd >= 0);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd, 1);
	posix_spawn_file_actions_adddup2(&fa, fd, 2);
	ATF_REQUIRE_EQ(posix_spawn(&pid, "/usr/bin/gdb", &fa, NULL, argv,
			   environ),
	    0);
	posix_spawn_file_actions_destroy(&fa);
	ATF_REQUIRE_EQ(waitpid(pid, &st, 0), pid);
	buf = calloc(1, 65536);
	ATF_REQUIRE(buf != NULL);
	while ((n = pread(fd, buf + len, 65535 - len, (off_t)len)) > 0)
		len += (size_t)n;
	close(fd);
	unlink(out);
	return buf;
}

/* the host's gdb names the program and the signal, and reads memory */
ATF_TC_WITHOUT_HEAD(gdb_reads_the_core);
ATF_TC_BODY(gdb_reads_the_core, tc)
{
	struct t_core t = { .sig = SIGSEGV };
	char core[128], cmd[64], *out;

	t_boot(true);
	(void)t_die(&t, "segv");
	t_path(core, sizeof(core), "segv.core");
	snprintf(cmd, sizeof(cmd), "x/s 0x%llx", (unsigned long long)t.rw);
	out = t_gdb(core, cmd);
	if (out == NULL)
		atf_tc_skip("no gdb on this machine");
	ATF_REQUIRE_MSG(strstr(out, "generated by `segv'") != NULL, "gdb: %s",
	    out);
	ATF_REQUIRE_MSG(strstr(out, "SIGSEGV") != NULL, "gdb: %s", out);
	ATF_REQUIRE_MSG(strstr(out, "\"hello core\"") != NULL, "gdb: %s", out);
	free(out);
	h_shutdown();
	t_cleanup("segv.core");
}

/* gdb's $_siginfo shows the signal and the address that faulted */
ATF_TC_WITHOUT_HEAD(gdb_siginfo_shows_the_fault);
ATF_TC_BODY(gdb_siginfo_shows_the_fault, tc)
{
	struct t_core t = { .sig = SIGSEGV, .acc = true };
	char core[128], want[64], *out;

	t_boot(true);
	(void)t_die(&t, "segv");
	t_path(core, sizeof(core), "segv.core");
	out = t_gdb(core, "print $_siginfo");
	if (out == NULL)
		atf_tc_skip("no gdb on this machine");
	ATF_REQUIRE_MSG(strstr(out, "si_signo = 11") != NULL, "gdb: %s", out);
	ATF_REQUIRE_MSG(strstr(out, "si_code = 2") != NULL, "gdb: %s", out);
	snprintf(want, sizeof(want), "si_addr = 0x%llx",
	    (unsigned long long)(t.ro + 5));
	ATF_REQUIRE_MSG(strstr(out, want) != NULL, "gdb: no '%s' in %s", want,
	    out);
	free(out);
	h_shutdown();
	t_cleanup("segv.core");
}

/* SIGBUS and SIGABRT dump core too; SIGKILL does not */
ATF_TC_WITHOUT_HEAD(which_signals_dump);
ATF_TC_BODY(which_signals_dump, tc)
{
	struct t_core t;
	int status;

	t_boot(true);
	t.sig = SIGABRT;
	status = t_die(&t, "abrt");
	ATF_REQUIRE_EQ(status & 0x7f, SIGABRT);
	ATF_REQUIRE(status & W_COREFLAG);
	t.sig = SIGBUS;
	status = t_die(&t, "bus");
	ATF_REQUIRE(status & W_COREFLAG);
	t.sig = SIGKILL;
	status = t_die(&t, "kill");
	ATF_REQUIRE_EQ(status, W_EXITCODE(0, SIGKILL));
	ATF_REQUIRE_EQ(corecounters.written, 2);
	h_shutdown();
	t_cleanup("abrt.core");
	t_cleanup("bus.core");
	(void)rmdir(t_dir);
}

/* no core directory: no core, and the status says so */
ATF_TC_WITHOUT_HEAD(no_core_directory_no_core);
ATF_TC_BODY(no_core_directory_no_core, tc)
{
	struct t_core t = { .sig = SIGSEGV };
	int status;

	t_boot(false);
	status = t_die(&t, "segv");
	ATF_REQUIRE_EQ(status, W_EXITCODE(0, SIGSEGV));
	ATF_REQUIRE_EQ(corecounters.written, 0);
	h_shutdown();
	(void)rmdir(t_dir);
}

/* a link where the core would go is not followed */
ATF_TC_WITHOUT_HEAD(core_never_through_a_link);
ATF_TC_BODY(core_never_through_a_link, tc)
{
	struct t_core t = { .sig = SIGSEGV };
	char link[128], msg[1024];
	struct stat st;
	int status;

	t_boot(true);
	t_path(link, sizeof(link), "segv.core");
	ATF_REQUIRE_EQ(symlink("/tmp/uvmsim-core-target", link), 0);
	status = t_die(&t, "segv");
	ATF_REQUIRE_EQ(status, W_EXITCODE(0, SIGSEGV));
	ATF_REQUIRE_EQ(corecounters.failed, 1);
	ATF_REQUIRE(stat("/tmp/uvmsim-core-target", &st) != 0);
	(void)kern_msgbuf(msg, sizeof(msg));
	ATF_REQUIRE_MSG(strstr(msg, "core dump failed") != NULL, "%s", msg);
	h_shutdown();
	t_cleanup("segv.core");
}

/* NetBSD style: one NetBSD-CORE procinfo note with the name and signal */
ATF_TC_WITHOUT_HEAD(netbsd_style_procinfo_note);
ATF_TC_BODY(netbsd_style_procinfo_note, tc)
{
	struct t_core t = { .sig = SIGSEGV };
	const Elf64_Ehdr *eh;
	const Elf64_Phdr *ph;
	const Elf64_Nhdr *nh;
	const unsigned char *desc;
	unsigned char *core;
	uint32_t v;
	size_t len;

	t_boot_style(true, true);
	ATF_REQUIRE(t_die(&t, "nbsd") & W_COREFLAG);
	core = t_slurp("nbsd.core", &len);
	eh = (const Elf64_Ehdr *)core;
	ph = (const Elf64_Phdr *)(core + eh->e_phoff);
	ATF_REQUIRE_EQ(ph[0].p_type, PT_NOTE);
	nh = (const Elf64_Nhdr *)(core + ph[0].p_offset);
	ATF_REQUIRE_EQ(nh->n_namesz, 12);
	ATF_REQUIRE_EQ(nh->n_type, 1);
	ATF_REQUIRE(memcmp(nh + 1, "NetBSD-CORE", 12) == 0);
	desc = (const unsigned char *)(nh + 1) + 12;
	memcpy(&v, desc, 4);
	ATF_REQUIRE_EQ(v, 1); /* version */
	memcpy(&v, desc + 8, 4);
	ATF_REQUIRE_EQ(v, SIGSEGV);
	memcpy(&v, desc + 12, 4);
	ATF_REQUIRE_EQ(v, SEGV_MAPERR); /* cpi_sigcode: the same on NetBSD */
	ATF_REQUIRE(memmem(desc, nh->n_descsz, "nbsd", 5) != NULL);
	/* and no other note */
	ATF_REQUIRE_EQ(ph[0].p_filesz,
	    sizeof(*nh) + 12 + ((nh->n_descsz + 3) & ~3u));
	free(core);
	h_shutdown();
	t_cleanup("nbsd.core");
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, segv_writes_elf_core);
	ATF_TP_ADD_TC(tp, gdb_reads_the_core);
	ATF_TP_ADD_TC(tp, core_siginfo_says_where_it_faulted);
	ATF_TP_ADD_TC(tp, gdb_siginfo_shows_the_fault);
	ATF_TP_ADD_TC(tp, which_signals_dump);
	ATF_TP_ADD_TC(tp, no_core_directory_no_core);
	ATF_TP_ADD_TC(tp, core_never_through_a_link);
	ATF_TP_ADD_TC(tp, netbsd_style_procinfo_note);
	return atf_no_error();
}
