/*
 * t_meta.c: the accounting of metadata per page (bench_meta) adds up --
 * the pools, the page tables and the page array report what the pages
 * written really took, so the benchmark's figure cannot silently drift.
 */

#include <string.h>

#include "h_util.h"
#include "machine/pool.h"
#include "uvm/uvm.h"

#define T_VA ((vaddr_t)0x10000000)

#define T_PRIVATE_ANON                                         \
	UVM_MAPFLAG(VM_PROT_READ | VM_PROT_WRITE, VM_PROT_ALL, \
	    MAP_INHERIT_COPY, UVM_ADV_NORMAL,                  \
	    UVM_FLAG_FIXED | UVM_FLAG_COPYONW)

static struct vmspace *
t_space(size_t npages)
{
	struct vmspace *vm;
	vaddr_t va = T_VA;

	vm = uvmspace_alloc(VM_MIN_ADDRESS, VM_MAXUSER_ADDRESS);
	ATF_REQUIRE_EQ(uvm_map(&vm->vm_map, &va, ptoa(npages), NULL, 0, 0,
			   T_PRIVATE_ANON),
	    0);
	pmap_activate(vm->vm_map.pmap);
	return vm;
}

/* write a byte into each page of [first, first + n) */
static void
t_write(struct vmspace *vm, size_t first, size_t n)
{
	struct uvm_access_fault uaf;
	size_t i;
	char c;

	for (i = first; i < first + n; i++) {
		c = (char)(i + 1);
		ATF_REQUIRE_EQ(uvm_store(vm, T_VA + ptoa(i), &c, 1, &uaf), 0);
	}
}

/* the usage of the pool called name; all zero before its first batch */
static void
t_usage(const char *name, struct pool_usage *pu)
{
	struct pool *pp = pool_lookup(name);

	memset(pu, 0, sizeof(*pu));
	if (pp != NULL)
		pool_usage(pp, pu);
}

/*
 * each page written takes one anon from the anon pool and one mapping:
 * twice the pages, twice the records and twice the bytes in use; a
 * record's share of its batch is at least its slot and at most the
 * batch's bytes spread over its records; what is in use is held
 */
ATF_TC_WITHOUT_HEAD(pools_count_what_pages_take);
ATF_TC_BODY(pools_count_what_pages_take, tc)
{
	const size_t n = 1024;
	struct pool_usage a0, a1, a2;
	struct vmspace *vm;
	int nanon0;

	h_boot(4 * n, 4096);
	vm = t_space(2 * n);
	t_usage("anonpl", &a0);
	nanon0 = uvmexp.nanon;
	t_write(vm, 0, n);
	t_usage("anonpl", &a1);
	t_write(vm, n, n);
	t_usage("anonpl", &a2);
	ATF_REQUIRE(pool_lookup("anonpl") != NULL);

	ATF_REQUIRE_EQ(a1.pu_nout - a0.pu_nout, n);
	ATF_REQUIRE_EQ(a2.pu_nout - a0.pu_nout, 2 * n);
	ATF_REQUIRE_EQ((size_t)(uvmexp.nanon - nanon0), 2 * n);
	ATF_REQUIRE(a2.pu_slot >= sizeof(struct vm_anon));
	ATF_REQUIRE(a2.pu_inuse >= a2.pu_nout * a2.pu_slot);
	ATF_REQUIRE(a2.pu_inuse <= a2.pu_nout * (a2.pu_slot + a2.pu_slot / 4));
	ATF_REQUIRE(a2.pu_inuse <= a2.pu_held);
	/* the bytes in use grow with the records, exactly (one share each) */
	ATF_REQUIRE_EQ((a2.pu_inuse - a0.pu_inuse) / 2,
	    a1.pu_inuse - a0.pu_inuse);
	ATF_REQUIRE_EQ(pmap_resident_count(vm->vm_map.pmap), (long)(2 * n));
	pmap_deactivate(vm->vm_map.pmap);
	uvmspace_free(vm);
	h_shutdown();
}

/*
 * the page tables' bytes are the pmap's table pages, each a whole page
 * and its header: 4096 pages of 4 KiB take 8 leaves, and the tables
 * above them grow by no more than one page a level
 */
ATF_TC_WITHOUT_HEAD(page_tables_count_every_table);
ATF_TC_BODY(page_tables_count_every_table, tc)
{
	const size_t n = 4096, leafslots = 4096 / 8;
	struct vmspace *vm;
	size_t before, after, table;
	long t0;

	h_boot(n + 512, 4096);
	vm = t_space(n);
	before = pmap_table_bytes(vm->vm_map.pmap);
	t0 = vm->vm_map.pmap->pm_ptpages;
	ATF_REQUIRE(t0 >= 1);
	table = before / (size_t)t0;
	ATF_REQUIRE(table > PAGE_SIZE && table < PAGE_SIZE + 64);
	t_write(vm, 0, n);
	after = pmap_table_bytes(vm->vm_map.pmap);
	ATF_REQUIRE_EQ(after, (size_t)vm->vm_map.pmap->pm_ptpages * table);
	ATF_REQUIRE((after - before) / table >= n / leafslots);
	ATF_REQUIRE((after - before) / table <= n / leafslots + 3);
	pmap_deactivate(vm->vm_map.pmap);
	uvmspace_free(vm);
	h_shutdown();
}

/* the VM's pools are on the list of pools, each once, found by name */
ATF_TC_WITHOUT_HEAD(pool_list_holds_the_vm_pools);
ATF_TC_BODY(pool_list_holds_the_vm_pools, tc)
{
	struct pool *pp, *anon = NULL;
	struct vm_anon *an;
	int n = 0;

	h_boot(256, 4096);
	an = uvm_analloc();
	ATF_REQUIRE(an != NULL);
	for (pp = pool_first(); pp != NULL; pp = pool_next(pp)) {
		ATF_REQUIRE(++n < 64);
		if (strcmp(pp->pr_name, "anonpl") == 0) {
			ATF_REQUIRE(anon == NULL);
			anon = pp;
		}
	}
	ATF_REQUIRE(anon != NULL);
	ATF_REQUIRE(pool_lookup("anonpl") == anon);
	ATF_REQUIRE(pool_lookup("no such pool") == NULL);
	an->an_ref = 0;
	uvm_anfree(an);
	h_shutdown();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, pools_count_what_pages_take);
	ATF_TP_ADD_TC(tp, page_tables_count_every_table);
	ATF_TP_ADD_TC(tp, pool_list_holds_the_vm_pools);
	return atf_no_error();
}
