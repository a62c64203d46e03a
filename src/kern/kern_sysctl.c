/*
 * kern_sysctl.c: sysctl -- kernel values copied out to a process.
 *
 * The process's buffer is checked (uvm_useracc) and wired (uvm_vslock)
 * for the copy, as NetBSD's sys___sysctl does, so that the copy-out
 * cannot fault half-way while kernel state is being read.
 */

#include <errno.h>

#include "kern/kern.h"

struct sysctl_node {
	const char *sn_name;
	size_t (*sn_get)(void *buf); /* fills buf, returns the size */
};

#define SYSCTL_MAXSIZE sizeof(struct uvmexp)

static size_t
sysctl_uvmexp(void *buf)
{
	memcpy(buf, &uvmexp, sizeof(uvmexp));
	return sizeof(uvmexp);
}

static size_t
sysctl_loadavg(void *buf)
{
	unsigned int *la = buf;
	int i;

	for (i = 0; i < 3; i++)
		la[i] = uvm_loadavg(i);
	return 3 * sizeof(*la);
}

static size_t
sysctl_int(void *buf, int v)
{
	memcpy(buf, &v, sizeof(v));
	return sizeof(v);
}

static size_t
sysctl_hz(void *buf)
{
	return sysctl_int(buf, hz);
}

static size_t
sysctl_maxproc(void *buf)
{
	return sysctl_int(buf, maxproc);
}

static size_t
sysctl_nprocs(void *buf)
{
	return sysctl_int(buf, nprocs);
}

static size_t
sysctl_maxslp(void *buf)
{
	return sysctl_int(buf, maxslp);
}

static const struct sysctl_node sysctl_nodes[] = {
	{ "kern.hz", sysctl_hz },
	{ "kern.maxproc", sysctl_maxproc },
	{ "kern.nprocs", sysctl_nprocs },
	{ "vm.loadavg", sysctl_loadavg },
	{ "vm.maxslp", sysctl_maxslp },
	{ "vm.uvmexp", sysctl_uvmexp },
};

/*
 * kern_sysctl: the running process p reads the value `name' into its
 * buffer at oldp, of *oldlenp bytes.
 *
 * => oldp 0 asks only for the size, returned in *oldlenp.
 * => otherwise as much as fits is copied and *oldlenp set to what was
 *    copied; returns 0, ENOMEM if the buffer was too small (the part
 *    that fit was copied), EOPNOTSUPP for an unknown name, EFAULT if
 *    the buffer is not writable memory of p.
 */
int
kern_sysctl(struct proc *p, const char *name, vaddr_t oldp, size_t *oldlenp)
{
	uint64_t buf[(SYSCTL_MAXSIZE + 7) / 8];
	size_t i, size, len;
	int error;

	KASSERT(p == curproc);
	for (i = 0; i < __arraycount(sysctl_nodes); i++)
		if (strcmp(sysctl_nodes[i].sn_name, name) == 0)
			break;
	if (i == __arraycount(sysctl_nodes))
		return EOPNOTSUPP;
	if (oldp == 0) {
		*oldlenp = sysctl_nodes[i].sn_get(buf);
		return 0;
	}
	len = *oldlenp;
	if (!uvm_useracc(oldp, len, B_WRITE))
		return EFAULT;
	error = uvm_vslock(p, oldp, len, VM_PROT_READ | VM_PROT_WRITE);
	if (error)
		return error == ENOMEM ? ENOMEM : EFAULT;
	size = sysctl_nodes[i].sn_get(buf);
	len = MIN(len, size);
	error = uvm_copyout(p->p_vmspace, buf, oldp, len);
	uvm_vsunlock(p, oldp, *oldlenp);
	*oldlenp = len;
	if (error == 0 && len < size)
		error = ENOMEM;
	return error;
}
