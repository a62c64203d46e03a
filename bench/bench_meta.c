/*
 * bench_meta.c: the metadata a resident anonymous page costs, part by
 * part, against issue 15's goal of at most 96 bytes a page.
 *
 * One address space maps META_NPAGES pages of private anonymous memory
 * and writes a byte into each, so that each page has its own anon and
 * its own physical page, mapped once.  What the writes cost is read from
 * the running system, before and after, and divided by the pages:
 *
 *	struct vm_page	every frame has one: uvm.pages holds npages of
 *			them (sizeof, as the array is allocated);
 *	pools		each of the VM's pools (pool.h), found on the list
 *			of pools (a pool that never took a batch from the
 *			host holds nothing and is not on it): the records
 *			the writes took, each with its share of its batch
 *			(header, padding), and all the pool holds beside;
 *	page tables	the pmap's table pages, leaf and upper, whole
 *			(pmap_table_bytes), divided by the pages it maps;
 *	amap slot arrays
 *			the amaps' arrays come from the host's allocator,
 *			not from a pool: they are what the host heap grew
 *			by beyond the pools' batches and the page tables,
 *			counted through the allocator itself (glibc's
 *			mallinfo2, which includes its chunk headers; under
 *			AddressSanitizer its allocated-bytes count).
 *
 * The figure is measured at two sizes: the smaller shows the page
 * tables' upper levels, which a small address space pays for alone.
 */

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "kern/kern.h"
#include "machine/pool.h"

#if defined(__SANITIZE_ADDRESS__)
#define META_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define META_ASAN 1
#endif
#endif
#ifdef META_ASAN
#include <sanitizer/allocator_interface.h>
#endif

volatile uint64_t bench_sink;

#define META_PAGE_SIZE 4096
#define META_GOAL      96.0 /* bytes a resident anonymous page, at most */
#define VA_BASE	       ((vaddr_t)0x10000000)
#define META_MAXPOOLS  16

#define PRIVATE_ANON                                           \
	UVM_MAPFLAG(VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL, \
	    MAP_INHERIT_COPY, UVM_ADV_NORMAL,                  \
	    UVM_FLAG_FIXED | UVM_FLAG_COPYONW)

/* stop the benchmark: what failed, and its error (0: none) */
static __dead void
fail(const char *what, int error)
{
	fflush(stdout);
	fprintf(stderr, "bench_meta: %s%s%s\n", what, error ? ": " : "",
	    error ? strerror(error) : "");
	exit(1);
}

/* the host heap's bytes in use, as its allocator counts them */
static size_t
heap_bytes(void)
{
#ifdef META_ASAN
	return __sanitizer_get_current_allocated_bytes();
#else
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
#endif
}

/* what the system says it holds, at one moment */
struct snapshot {
	size_t sn_heap;
	size_t sn_tables;
	int sn_npools;
	struct pool *sn_pool[META_MAXPOOLS];
	struct pool_usage sn_use[META_MAXPOOLS];
};

static void
take(struct snapshot *sn, const struct pmap *pm)
{
	struct pool *pp;
	int i = 0;

	for (pp = pool_first(); pp != NULL && i < META_MAXPOOLS;
	     pp = pool_next(pp), i++) {
		sn->sn_pool[i] = pp;
		pool_usage(pp, &sn->sn_use[i]);
	}
	sn->sn_npools = i;
	sn->sn_tables = pmap_table_bytes(pm);
	sn->sn_heap = heap_bytes();
}

/* the usage of pp in sn (zero if it had no batch yet) */
static struct pool_usage
usage_of(const struct snapshot *sn, const struct pool *pp)
{
	struct pool_usage none = { 0 };
	int i;

	for (i = 0; i < sn->sn_npools; i++)
		if (sn->sn_pool[i] == pp)
			return sn->sn_use[i];
	return none;
}

static void
part(const char *what, double bytes, const char *how)
{
	printf("  %-34s %7.2f bytes  %s\n", what, bytes, how);
}

/*
 * measure: boot, write npages pages, and print what each costs.
 * => returns the total per page.
 */
static double
measure(size_t npages)
{
	struct machine_config mc;
	struct snapshot before, after;
	struct uvm_access_fault uaf;
	struct pool_usage b, a;
	struct vmspace *vm;
	double n = (double)npages, total, v;
	size_t i, pools_heap = 0;
	vaddr_t va = VA_BASE;
	char how[128], name[64], c;
	int error;

	machine_config_default(&mc);
	mc.mc_npages = npages + 1024;
	mc.mc_pagesize = META_PAGE_SIZE;
	if ((error = kern_boot_vm(&mc)) != 0)
		fail("cannot boot", error);
	vm = uvmspace_alloc(VM_MIN_ADDRESS, VM_MAXUSER_ADDRESS);
	error =
	    uvm_map(&vm->vm_map, &va, ptoa(npages), NULL, 0, 0, PRIVATE_ANON);
	if (error)
		fail("uvm_map", error);
	pmap_activate(vm->vm_map.pmap);

	take(&before, vm->vm_map.pmap);
	for (i = 0; i < npages; i++) {
		c = (char)(i + 1);
		if (uvm_store(vm, VA_BASE + ptoa(i), &c, 1, &uaf) != 0)
			fail("a store", uaf.uaf_error);
	}
	take(&after, vm->vm_map.pmap);
	if (pmap_resident_count(vm->vm_map.pmap) != (long)npages)
		fail("not every page written is mapped", 0);

	printf("== metadata per resident anonymous page: %zu pages of %d "
	       "bytes, each written once\n",
	    npages, META_PAGE_SIZE);
	total = (double)sizeof(struct vm_page);
	part("struct vm_page", total, "every frame has one");
	for (i = 0; i < (size_t)after.sn_npools; i++) {
		b = usage_of(&before, after.sn_pool[i]);
		a = after.sn_use[i];
		pools_heap += a.pu_held - b.pu_held;
		v = ((double)a.pu_inuse - (double)b.pu_inuse) / n;
		snprintf(name, sizeof(name), "pool %s",
		    after.sn_pool[i]->pr_name);
		snprintf(how, sizeof(how),
		    "%+ld records, %zu-byte slots; holds %zu KiB",
		    (long)a.pu_nout - (long)b.pu_nout, a.pu_slot,
		    a.pu_held >> 10);
		part(name, v, how);
		total += v;
	}
	v = (double)after.sn_tables / n;
	snprintf(how, sizeof(how), "%ld table pages, leaf and upper",
	    vm->vm_map.pmap->pm_ptpages);
	part("page tables", v, how);
	total += v;
	v = ((double)after.sn_heap - (double)before.sn_heap -
		(double)pools_heap -
		((double)after.sn_tables - (double)before.sn_tables)) /
	    n;
#ifdef META_ASAN
	part("amap slot arrays (host heap)", v, "allocated-bytes count");
#else
	part("amap slot arrays (host heap)", v, "mallinfo2");
#endif
	total += v;
	printf("  %-34s %7.2f bytes\n", "total", total);
	if (total <= META_GOAL)
		printf("    goal: at most %.0f bytes: met, %.1f bytes "
		       "(%.0f%%) under\n",
		    META_GOAL, META_GOAL - total,
		    100.0 * (1.0 - total / META_GOAL));
	else
		printf("    goal: at most %.0f bytes: not met, %.1f bytes "
		       "(%.0f%%) over\n",
		    META_GOAL, total - META_GOAL,
		    100.0 * (total / META_GOAL - 1.0));

	pmap_deactivate(vm->vm_map.pmap);
	uvmspace_free(vm);
	kern_shutdown();
	return total;
}

int
main(void)
{
	(void)measure(4096);
	(void)measure(65536);
	return 0;
}
