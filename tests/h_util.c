/*
 * h_util.c: helpers shared by the ATF test programs.
 */

#include <dirent.h>
#include <string.h>

#include "h_util.h"

jmp_buf h_panic_jmp;

void
h_panic_catch(const char *msg __unused)
{
	/* the panic may come from a simulated thread's own stack */
	cpu_escape_begin();
	longjmp(h_panic_jmp, 1);
}

void
h_boot_config(const struct machine_config *mc)
{
	const char *why;
	int error;

	why = machine_config_check(mc);
	ATF_REQUIRE_MSG(why == NULL, "bad test machine: %s", why);
	error = kern_boot_vm(mc);
	ATF_REQUIRE_MSG(error == 0, "kern_boot_vm: %s", strerror(error));
}

void
h_boot(size_t npages, size_t pagesize)
{
	struct machine_config mc;

	machine_config_default(&mc);
	mc.mc_npages = npages;
	mc.mc_pagesize = pagesize;
	mc.mc_swapslots = 256;
	h_boot_config(&mc);
}

void
h_boot_kern_config(const struct machine_config *mc)
{
	const char *why;
	int error;

	why = machine_config_check(mc);
	ATF_REQUIRE_MSG(why == NULL, "bad test machine: %s", why);
	error = kern_boot(mc);
	ATF_REQUIRE_MSG(error == 0, "kern_boot: %s", strerror(error));
}

void
h_boot_kern(size_t npages)
{
	struct machine_config mc;

	machine_config_default(&mc);
	mc.mc_npages = npages;
	mc.mc_swapslots = 256;
	h_boot_kern_config(&mc);
}

void
h_run_idle(void)
{
	ATF_REQUIRE_MSG(kern_run(SIMTIME_NEVER), "the machine did not go idle");
}

int
h_drain(struct vm_page **pgs, int max, int left)
{
	int n = 0;

	while (uvmexp.free > left && n < max) {
		pgs[n] = uvm_pagealloc(NULL, 0, NULL, UVM_PGA_USERESERVE);
		ATF_REQUIRE(pgs[n] != NULL);
		n++;
	}
	return n;
}

void
h_undrain(struct vm_page **pgs, int n)
{
	while (n-- > 0) {
		pgs[n]->flags &= ~PG_BUSY;
		uvm_pagefree(pgs[n]);
	}
}

int
h_check_count(void)
{
	struct kcheck kc;

	kcheck_init(&kc);
	return uvm_check_all(&kc, true);
}

void
h_check(void)
{
	struct kcheck kc;

	kcheck_init(&kc);
	if (uvm_check_all(&kc, true) != 0)
		atf_tc_fail("consistency check: %u problems, first: %s",
		    kc.kc_nerr, kc.kc_msg);
}

void
h_shutdown(void)
{
	h_check();
	kern_shutdown();
}

/* a cheap deterministic byte stream (xorshift) */
static unsigned char
h_byte(unsigned int *state)
{
	unsigned int x = *state;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return (unsigned char)(x >> 24);
}

void
h_fill(void *p, size_t len, unsigned int seed)
{
	unsigned char *b = p;
	unsigned int s = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = h_byte(&s);
}

bool
h_same(const void *p, size_t len, unsigned int seed)
{
	const unsigned char *b = p;
	unsigned int s = seed * 2654435761u + 1;
	size_t i;

	for (i = 0; i < len; i++)
		if (b[i] != h_byte(&s))
			return false;
	return true;
}

/*
 * LeakSanitizer: libatf-c keeps its test-case list until exit without
 * freeing it; that is the framework's, not ours.  Name only the two
 * functions that allocate it: every test body runs below libatf-c's
 * frames, so a suppression of the whole library would hide our leaks.
 */
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
	return "leak:atf_tp_get_tcs\nleak:atf_list_init\n";
}

const char *__lsan_default_options(void);
const char *
__lsan_default_options(void)
{
	/* kyua takes any output of a listing run for a broken program */
	return "print_suppressions=0";
}

/* how many descriptors the process has open */
int
h_count_fds(void)
{
	struct dirent *de;
	DIR *d;
	int n = 0;

	d = opendir("/proc/self/fd");
	ATF_REQUIRE(d != NULL);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the directory's own descriptor */
}

int
h_mmap_file(struct proc *p, vaddr_t addr, vsize_t len, vm_prot_t prot,
    int flags, const char *name, voff_t pos, vaddr_t *vap)
{
	int fd, error;

	if ((error = sys_open(p, name, OPEN_RDWR, &fd)) != 0)
		return error;
	error = proc_mmap(p, addr, len, prot, flags, fd, pos, vap);
	(void)sys_close(p, fd);
	return error;
}
