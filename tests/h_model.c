/*
 * h_model.c: a reference model of user address spaces, and operations
 * that drive the real VM system and the model side by side and compare.
 *
 * This file is included (#include "h_model.c") by t_vmdiff.c, the
 * randomized differential test, and t_vmfail.c, the allocation-failure
 * test, so that both use one model.  Everything in it is static.
 *
 * The model.  A modelled space has a window of ctx->npg pages at M_BASE.
 * A page of the window is unmapped, or mapped with the attributes of the
 * map entry over it (protection, maximum protection, inheritance,
 * advice, wiring count) and contents that come from one of two places:
 *
 *   an object page   (struct m_obj: an anonymous object, an array of
 *                    page images).  A shared mapping (no slot) reads
 *                    and writes the object itself: every space that maps
 *                    the object sees every write, at once.
 *
 *   a slot           (struct m_slot: one copy-on-write page, the model's
 *                    amap slot).  A slot holds a private image, or, until
 *                    it has one, is a view of the object page below it
 *                    (zeros when there is no object): it shows the
 *                    object's bytes as they are now, including the
 *                    sharers' later writes.  The first write to the page
 *                    gives the slot its own image, copied from what it
 *                    viewed; so does wiring a writable page (the wiring
 *                    fault is a write fault).  Private anonymous memory
 *                    is a slot with a private image of zeros from the
 *                    start.
 *
 * A slot is shared by share-inheritance, so the spaces that share it see
 * each other's writes, forever, and a view that becomes private becomes
 * private for all of them.
 *
 * fork, page by page, by the page's inheritance:
 *
 *   none   the child has nothing there;
 *   share  the child's page is the parent's: same slot, same object page;
 *   copy   the child gets a new slot: a copy of the parent's image if the
 *          parent's slot has one, else a view of the same object page
 *          (zeros for anonymous memory);
 *   zero   the child gets a new slot of zeros with no object;
 *
 * and the child's page keeps the protections, inheritance and advice but
 * is not wired.
 *
 * Access: a load needs VM_PROT_READ and a store VM_PROT_WRITE; an access
 * that crosses pages moves the bytes of the pages before the first one
 * it may not touch, then fails with SIGSEGV there (SEGV_MAPERR if the
 * page is unmapped, SEGV_ACCERR if it is protected).
 *
 * Each operation computes the result the model predicts, runs the real
 * one, and fails the test if they differ.  With ctx->inject set (the
 * failure test), the real operation may instead fail the documented way
 * for running out of memory; the model then changes nothing, except
 * that a wiring undone half-way may have privatised copy-on-write views
 * on its way (its faults are write faults): m_resync reads those back
 * from the real amap.  An access that gets SIGKILL kills its process:
 * the caller must free the space (see t_vmfail.c).
 */

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h_util.h"
#include "uvm/uvm.h"

#define M_NSPACE 6		    /* spaces at most */
#define M_BASE	 ((vaddr_t)1 << 28) /* the window's first address */
#define M_NTRACE 48		    /* operations remembered for a report */

struct m_obj {
	struct uvm_object *o_uobj; /* the real object */
	int o_npages;
	int o_refs;	       /* model pages that map it */
	int o_id;	       /* for messages */
	unsigned char **o_img; /* page images; NULL: zeros */
	struct m_obj *o_next;  /* on ctx->objs */
};

struct m_slot {
	int sl_refs;	       /* pages that use it */
	bool sl_priv;	       /* has an image of its own */
	unsigned char *sl_img; /* the image when private; NULL: zeros */
};

struct m_page {
	bool p_mapped;
	vm_prot_t p_prot;
	vm_prot_t p_maxprot;
	vm_inherit_t p_inh;
	int p_adv;
	int p_wired;
	struct m_obj *p_obj;   /* the object below, or NULL */
	int p_objpg;	       /* which page of it */
	struct m_slot *p_slot; /* copy-on-write slot; NULL: shared */
};

struct m_space {
	struct vmspace *s_vm; /* NULL: this space does not exist */
	struct m_page *s_pg;  /* the window */
	int s_nmapped;
};

struct m_ctx {
	struct m_space sp[M_NSPACE];
	int npg;	       /* pages in a window */
	size_t psize;	       /* PAGE_SIZE */
	bool inject;	       /* failures are being injected */
	bool quiet;	       /* a check runs: keep it out of the trace */
	bool verbose;	       /* print every operation as it starts */
	unsigned long nfailed; /* operations failed by an injection */
	char tag[64];	       /* names the run in messages */
	unsigned char *zero;   /* a page of zeros */
	unsigned char *buf;    /* scratch, M_MAXIO bytes */
	int nspace;	       /* spaces that exist */
	int nobj;	       /* objects alive */
	int objpages;	       /* their pages */
	int mapped;	       /* mapped pages, all spaces */
	int nextid;	       /* object ids */
	int base_nvmspace;     /* uvmexp counts at boot */
	int base_naobj;
	struct m_obj *objs; /* the live objects */
	unsigned long step; /* for messages */
	char op[200];	    /* the operation under way */
	char trace[M_NTRACE][200];
	unsigned long tracestep[M_NTRACE];
	int ntrace;
};

#define M_MAXIO (4 * 65536) /* the largest access, bytes */

static const char *const m_inhname[] = { "share", "copy", "none", "zero" };

static vaddr_t
m_va(const struct m_ctx *ctx, int pgi)
{
	return M_BASE + (vaddr_t)pgi * ctx->psize;
}

static const char *
m_protname(vm_prot_t prot)
{
	static const char *const names[] = { "---", "r--", "-w-", "rw-", "--x",
		"r-x", "-wx", "rwx" };

	return names[prot & VM_PROT_ALL];
}

/*
 * reporting
 */

static void m_begin(struct m_ctx *, const char *, ...) __printflike(2, 3);
static void m_fail(struct m_ctx *, const char *, ...) __printflike(2, 3) __dead;

/* m_begin: name the operation about to run, and remember it */
static void
m_begin(struct m_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	int i;

	va_start(ap, fmt);
	vsnprintf(ctx->op, sizeof(ctx->op), fmt, ap);
	va_end(ap);
	if (ctx->quiet)
		return;
	if (ctx->verbose)
		printf("step %lu: %s\n", ctx->step, ctx->op);
	i = ctx->ntrace++ % M_NTRACE;
	memcpy(ctx->trace[i], ctx->op, sizeof(ctx->op));
	ctx->tracestep[i] = ctx->step;
}

static void
m_print_trace(const struct m_ctx *ctx)
{
	int i, n = ctx->ntrace < M_NTRACE ? ctx->ntrace : M_NTRACE;

	printf("the last %d operations:\n", n);
	for (i = ctx->ntrace - n; i < ctx->ntrace; i++)
		printf("  step %lu: %s\n", ctx->tracestep[i % M_NTRACE],
		    ctx->trace[i % M_NTRACE]);
	fflush(stdout);
}

/* m_describe: print what the model has at page pgi in every space */
static void
m_describe(const struct m_ctx *ctx, int pgi)
{
	const struct m_page *p;
	int s;

	printf("the model at 0x%llx:\n", (unsigned long long)m_va(ctx, pgi));
	for (s = 0; s < M_NSPACE; s++) {
		p = &ctx->sp[s].s_pg[pgi];
		if (ctx->sp[s].s_vm == NULL || !p->p_mapped)
			continue;
		printf("  s%d: %s/%s %s adv %d wired %d obj %d page %d, %s\n",
		    s, m_protname(p->p_prot), m_protname(p->p_maxprot),
		    m_inhname[p->p_inh], p->p_adv, p->p_wired,
		    p->p_obj != NULL ? p->p_obj->o_id : -1, p->p_objpg,
		    p->p_slot == NULL	   ? "shared" :
			p->p_slot->sl_priv ? "private slot" :
					     "view slot");
		if (p->p_slot != NULL)
			printf("      slot %p, %d pages use it\n",
			    (void *)p->p_slot, p->p_slot->sl_refs);
	}
	fflush(stdout);
}

/* m_fail: the real system disagrees with the model */
static void
m_fail(struct m_ctx *ctx, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	m_print_trace(ctx);
	atf_tc_fail("%sstep %lu: %s: %s", ctx->tag, ctx->step, ctx->op, msg);
}

/* a panic in the VM system fails the test with the operation named */
static struct m_ctx *m_panic_ctx;

static void __dead
m_panic(const char *msg)
{
	panic_hook = NULL;
	m_fail(m_panic_ctx, "panic: %s", msg);
}

/*
 * the model's objects and slots
 */

static unsigned char *
m_img_dup(const struct m_ctx *ctx, const unsigned char *img)
{
	unsigned char *p;

	if (img == NULL)
		return NULL;
	p = malloc(ctx->psize);
	ATF_REQUIRE(p != NULL);
	memcpy(p, img, ctx->psize);
	return p;
}

static struct m_obj *
m_obj_new(struct m_ctx *ctx, struct uvm_object *uobj, int npages)
{
	struct m_obj *o;

	o = calloc(1, sizeof(*o));
	ATF_REQUIRE(o != NULL);
	o->o_img = calloc((size_t)npages, sizeof(o->o_img[0]));
	ATF_REQUIRE(o->o_img != NULL);
	o->o_uobj = uobj;
	o->o_npages = npages;
	o->o_id = ctx->nextid++;
	o->o_next = ctx->objs;
	ctx->objs = o;
	ctx->nobj++;
	ctx->objpages += npages;
	return o;
}

static void
m_obj_ref(struct m_obj *o)
{
	if (o != NULL)
		o->o_refs++;
}

/* drop a page's reference; the last one means the object is gone */
static void
m_obj_rele(struct m_ctx *ctx, struct m_obj *o)
{
	struct m_obj **pp;
	int i;

	if (o == NULL || --o->o_refs > 0)
		return;
	for (pp = &ctx->objs; *pp != o; pp = &(*pp)->o_next)
		continue;
	*pp = o->o_next;
	for (i = 0; i < o->o_npages; i++)
		free(o->o_img[i]);
	free(o->o_img);
	ctx->nobj--;
	ctx->objpages -= o->o_npages;
	free(o);
}

static struct m_slot *
m_slot_new(bool priv, unsigned char *img)
{
	struct m_slot *sl;

	sl = calloc(1, sizeof(*sl));
	ATF_REQUIRE(sl != NULL);
	sl->sl_refs = 1;
	sl->sl_priv = priv;
	sl->sl_img = img;
	return sl;
}

static void
m_slot_rele(struct m_slot *sl)
{
	if (sl == NULL || --sl->sl_refs > 0)
		return;
	free(sl->sl_img);
	free(sl);
}

/* what page p shows now: never NULL */
static const unsigned char *
m_page_img(const struct m_ctx *ctx, const struct m_page *p)
{
	const unsigned char *img;

	if (p->p_slot != NULL && p->p_slot->sl_priv)
		img = p->p_slot->sl_img;
	else
		img = p->p_obj != NULL ? p->p_obj->o_img[p->p_objpg] : NULL;
	return img != NULL ? img : ctx->zero;
}

/* a view becomes private: it keeps what it showed */
static void
m_privatise(struct m_ctx *ctx, struct m_page *p)
{
	struct m_slot *sl = p->p_slot;

	if (sl == NULL || sl->sl_priv)
		return;
	sl->sl_img = p->p_obj != NULL ?
	    m_img_dup(ctx, p->p_obj->o_img[p->p_objpg]) :
	    NULL;
	sl->sl_priv = true;
}

/* the image a store to page p writes into, made if need be */
static unsigned char *
m_page_wimg(struct m_ctx *ctx, struct m_page *p)
{
	unsigned char **imgp;

	if (p->p_slot != NULL) {
		m_privatise(ctx, p);
		imgp = &p->p_slot->sl_img;
	} else
		imgp = &p->p_obj->o_img[p->p_objpg];
	if (*imgp == NULL) {
		*imgp = calloc(1, ctx->psize);
		ATF_REQUIRE(*imgp != NULL);
	}
	return *imgp;
}

/* unmap page p of space sp in the model */
static void
m_page_clear(struct m_ctx *ctx, struct m_space *sp, struct m_page *p)
{
	if (!p->p_mapped)
		return;
	m_slot_rele(p->p_slot);
	m_obj_rele(ctx, p->p_obj);
	memset(p, 0, sizeof(*p));
	sp->s_nmapped--;
	ctx->mapped--;
}

static void
m_page_set(struct m_ctx *ctx, struct m_space *sp, struct m_page *p,
    const struct m_page *from)
{
	ATF_REQUIRE(!p->p_mapped);
	*p = *from;
	p->p_mapped = true;
	m_obj_ref(p->p_obj);
	sp->s_nmapped++;
	ctx->mapped++;
}

/*
 * setting up and tearing down
 */

/*
 * m_init: a model, with windows of npg pages, for the machine just
 * booted; `inject' if allocation failures will be injected.  A panic
 * from now on fails the test and names the operation.
 */
static void
m_init(struct m_ctx *ctx, int npg, bool inject)
{
	int s;

	memset(ctx, 0, sizeof(*ctx));
	ctx->npg = npg;
	ctx->psize = PAGE_SIZE;
	ctx->inject = inject;
	ctx->zero = calloc(1, ctx->psize);
	ctx->buf = malloc(M_MAXIO);
	ATF_REQUIRE(ctx->zero != NULL && ctx->buf != NULL);
	for (s = 0; s < M_NSPACE; s++) {
		ctx->sp[s].s_pg = calloc((size_t)npg, sizeof(struct m_page));
		ATF_REQUIRE(ctx->sp[s].s_pg != NULL);
	}
	ctx->base_nvmspace = uvmexp.nvmspace;
	ctx->base_naobj = uvmexp.naobj;
	m_panic_ctx = ctx;
	panic_hook = m_panic;
}

/* m_fini: forget the model (every space must be freed already) */
static void
m_fini(struct m_ctx *ctx)
{
	int s;

	panic_hook = NULL;
	for (s = 0; s < M_NSPACE; s++) {
		ATF_REQUIRE(ctx->sp[s].s_vm == NULL);
		free(ctx->sp[s].s_pg);
	}
	ATF_REQUIRE(ctx->objs == NULL && ctx->mapped == 0);
	free(ctx->zero);
	free(ctx->buf);
}

/*
 * m_resync: after an injected failure, learn which copy-on-write views
 * of [pgi, pgi + n) in space s the real system privatised: those whose
 * amap slot now holds an anon.
 */
static void
m_resync(struct m_ctx *ctx, int s, int pgi, int n)
{
	struct m_space *sp = &ctx->sp[s];
	struct vm_map *map = &sp->s_vm->vm_map;
	struct vm_map_entry *e;
	struct m_page *p;
	vaddr_t va;
	int i;

	vm_map_lock_read(map);
	for (i = pgi; i < pgi + n && i < ctx->npg; i++) {
		p = &sp->s_pg[i];
		if (!p->p_mapped || p->p_slot == NULL || p->p_slot->sl_priv)
			continue;
		va = m_va(ctx, i);
		if (uvm_map_lookup_entry(map, va, &e) &&
		    e->aref.ar_amap != NULL &&
		    amap_lookup(&e->aref, va - e->start) != NULL)
			m_privatise(ctx, p);
	}
	vm_map_unlock_read(map);
}

/*
 * operations: each runs the real thing and the model's, and compares
 */

enum m_kind {
	M_ANON,	     /* private anonymous memory (copy-on-write) */
	M_SHM,	     /* a new anonymous object, mapped shared */
	M_ALIAS,     /* an existing object, mapped shared again */
	M_ALIAS_COW, /* an existing object, mapped copy-on-write */
};

static const char *const m_kindname[] = { "anon", "shm", "alias", "alias-cow" };

/* is err what the model expects, or (injecting) a clean ENOMEM? */
static void
m_expect_err(struct m_ctx *ctx, const char *fn, int err, int expected)
{
	if (err == expected)
		return;
	if (ctx->inject && err == ENOMEM && expected == 0) {
		ctx->nfailed++;
		return;
	}
	m_fail(ctx, "%s returned %d (%s), model expects %d (%s)", fn, err,
	    strerror(err), expected, strerror(expected));
}

/*
 * m_map: map n pages at page pgi of space s, of the given kind (obj and
 * objpg name the object pages for M_ALIAS and M_ALIAS_COW), with extra
 * UVM_FLAG_* bits xflags (NOMERGE, UNMAP, OVERLAY).
 *
 * => returns uvm_map's error.
 */
static int
m_map(struct m_ctx *ctx, int s, int pgi, int n, vm_prot_t prot,
    vm_prot_t maxprot, vm_inherit_t inh, int adv, enum m_kind kind,
    struct m_obj *obj, int objpg, int xflags)
{
	struct m_space *sp = &ctx->sp[s];
	struct uvm_object *uobj = NULL;
	struct m_page np;
	vaddr_t va = m_va(ctx, pgi), start = va;
	int err, expected, flags, i;
	bool overlap = false;

	m_begin(ctx, "map s%d 0x%llx +%d %s/%s %s adv %d %s obj %d@%d%s%s%s", s,
	    (unsigned long long)va, n, m_protname(prot), m_protname(maxprot),
	    m_inhname[inh], adv, m_kindname[kind], obj != NULL ? obj->o_id : -1,
	    objpg, (xflags & UVM_FLAG_NOMERGE) ? " nomerge" : "",
	    (xflags & UVM_FLAG_UNMAP) ? " unmap" : "",
	    (xflags & UVM_FLAG_OVERLAY) ? " overlay" : "");
	ATF_REQUIRE(pgi >= 0 && n > 0 && pgi + n <= ctx->npg);
	for (i = pgi; i < pgi + n; i++)
		overlap |= sp->s_pg[i].p_mapped;
	if ((prot & maxprot) != prot)
		expected = EACCES;
	else if (overlap && (xflags & UVM_FLAG_UNMAP) == 0)
		expected = ENOMEM;
	else
		expected = 0;

	flags = UVM_MAPFLAG(prot, maxprot, inh, adv, UVM_FLAG_FIXED | xflags);
	switch (kind) {
	case M_ANON:
		flags |= UVM_FLAG_COPYONW;
		break;
	case M_SHM:
		flags &= ~UVM_FLAG_OVERLAY;
		uobj = uao_create((voff_t)ptoa(n), 0);
		objpg = 0;
		break;
	case M_ALIAS_COW:
		flags |= UVM_FLAG_COPYONW;
		/* FALLTHROUGH */
	case M_ALIAS:
		flags &= ~UVM_FLAG_OVERLAY;
		ATF_REQUIRE(obj != NULL && obj->o_refs > 0 &&
		    objpg + n <= obj->o_npages);
		uobj = obj->o_uobj;
		uao_reference(uobj);
		break;
	}
	err = uvm_map(&sp->s_vm->vm_map, &start, ptoa(n), uobj,
	    (voff_t)ptoa(objpg), 0, flags);
	m_expect_err(ctx, "uvm_map", err, expected);
	if (err != 0) {
		/* the reference is still ours */
		if (uobj != NULL)
			uao_detach(uobj);
		return err;
	}
	if (start != va)
		m_fail(ctx, "mapped at 0x%llx", (unsigned long long)start);

	if (kind == M_SHM)
		obj = m_obj_new(ctx, uobj, n);
	m_obj_ref(obj); /* keeps it while UNMAP clears its old pages */
	for (i = pgi; i < pgi + n; i++)
		m_page_clear(ctx, sp, &sp->s_pg[i]);
	for (i = 0; i < n; i++) {
		memset(&np, 0, sizeof(np));
		np.p_prot = prot;
		np.p_maxprot = maxprot;
		np.p_inh = inh;
		np.p_adv = adv;
		np.p_obj = kind == M_ANON ? NULL : obj;
		np.p_objpg = kind == M_ANON ? 0 : objpg + i;
		if (kind == M_ANON)
			np.p_slot = m_slot_new(true, NULL);
		else if (kind == M_ALIAS_COW)
			np.p_slot = m_slot_new(false, NULL);
		m_page_set(ctx, sp, &sp->s_pg[pgi + i], &np);
	}
	m_obj_rele(ctx, obj);
	return 0;
}

/* m_unmap: unmap n pages at page pgi of space s */
static int
m_unmap(struct m_ctx *ctx, int s, int pgi, int n)
{
	struct m_space *sp = &ctx->sp[s];
	int err, i;

	m_begin(ctx, "unmap s%d 0x%llx +%d", s,
	    (unsigned long long)m_va(ctx, pgi), n);
	err = uvm_unmap(&sp->s_vm->vm_map, m_va(ctx, pgi), m_va(ctx, pgi + n));
	m_expect_err(ctx, "uvm_unmap", err, 0);
	if (err == 0)
		for (i = pgi; i < pgi + n; i++)
			m_page_clear(ctx, sp, &sp->s_pg[i]);
	return err;
}

/* m_protect: uvm_map_protect of n pages at page pgi of space s */
static int
m_protect(struct m_ctx *ctx, int s, int pgi, int n, vm_prot_t prot, bool setmax)
{
	struct m_space *sp = &ctx->sp[s];
	struct m_page *p;
	int err, expected = 0, i;

	m_begin(ctx, "protect s%d 0x%llx +%d %s%s", s,
	    (unsigned long long)m_va(ctx, pgi), n, m_protname(prot),
	    setmax ? " max" : "");
	for (i = pgi; i < pgi + n; i++) {
		p = &sp->s_pg[i];
		if (p->p_mapped && (prot & p->p_maxprot) != prot)
			expected = EACCES;
	}
	err = uvm_map_protect(&sp->s_vm->vm_map, m_va(ctx, pgi),
	    m_va(ctx, pgi + n), prot, setmax);
	m_expect_err(ctx, "uvm_map_protect", err, expected);
	if (err != 0)
		return err;
	for (i = pgi; i < pgi + n; i++) {
		p = &sp->s_pg[i];
		if (!p->p_mapped)
			continue;
		if (setmax) {
			p->p_maxprot = prot;
			p->p_prot &= prot;
		} else
			p->p_prot = prot;
	}
	return 0;
}

/* m_inherit: uvm_map_inherit of n pages at page pgi of space s */
static int
m_inherit(struct m_ctx *ctx, int s, int pgi, int n, vm_inherit_t inh)
{
	struct m_space *sp = &ctx->sp[s];
	int err, i;

	m_begin(ctx, "inherit s%d 0x%llx +%d %s", s,
	    (unsigned long long)m_va(ctx, pgi), n, m_inhname[inh]);
	err = uvm_map_inherit(&sp->s_vm->vm_map, m_va(ctx, pgi),
	    m_va(ctx, pgi + n), inh);
	m_expect_err(ctx, "uvm_map_inherit", err, 0);
	if (err == 0)
		for (i = pgi; i < pgi + n; i++)
			if (sp->s_pg[i].p_mapped)
				sp->s_pg[i].p_inh = inh;
	return err;
}

/* m_advice: uvm_map_advice of n pages at page pgi of space s */
static int
m_advice(struct m_ctx *ctx, int s, int pgi, int n, int adv)
{
	struct m_space *sp = &ctx->sp[s];
	int err, i;

	m_begin(ctx, "advice s%d 0x%llx +%d %d", s,
	    (unsigned long long)m_va(ctx, pgi), n, adv);
	err = uvm_map_advice(&sp->s_vm->vm_map, m_va(ctx, pgi),
	    m_va(ctx, pgi + n), adv);
	m_expect_err(ctx, "uvm_map_advice", err, 0);
	if (err == 0)
		for (i = pgi; i < pgi + n; i++)
			if (sp->s_pg[i].p_mapped)
				sp->s_pg[i].p_adv = adv;
	return err;
}

/*
 * m_wire: wire (or unwire) n pages at page pgi of space s with
 * uvm_map_pageable.
 *
 * => wiring a writable copy-on-write page for the first time faults it
 *    in for writing, which privatises a view.
 */
static int
m_wire(struct m_ctx *ctx, int s, int pgi, int n, bool wire)
{
	struct m_space *sp = &ctx->sp[s];
	struct m_page *p;
	int err, expected = 0, i;

	m_begin(ctx, "%s s%d 0x%llx +%d", wire ? "wire" : "unwire", s,
	    (unsigned long long)m_va(ctx, pgi), n);
	for (i = pgi; i < pgi + n; i++)
		if (!sp->s_pg[i].p_mapped)
			expected = EFAULT;
	for (i = pgi; i < pgi + n && expected == 0; i++) {
		p = &sp->s_pg[i];
		if (!wire && p->p_wired == 0)
			expected = EINVAL;
		if (wire && p->p_prot == VM_PROT_NONE)
			expected = EINVAL; /* NetBSD's answer */
	}
	err = uvm_map_pageable(&sp->s_vm->vm_map, m_va(ctx, pgi),
	    m_va(ctx, pgi + n), !wire);
	m_expect_err(ctx, "uvm_map_pageable", err, expected);
	if (err != 0) {
		if (ctx->inject && wire && expected == 0)
			m_resync(ctx, s, pgi, n);
		return err;
	}
	for (i = pgi; i < pgi + n; i++) {
		p = &sp->s_pg[i];
		if (!wire) {
			p->p_wired = 0; /* one unwire undoes every wiring */
			continue;
		}
		if (p->p_wired++ == 0 && (p->p_prot & VM_PROT_WRITE))
			m_privatise(ctx, p);
	}
	return 0;
}

/*
 * m_fork: fork space s into space c (which must not exist).
 *
 * => returns whether the child was made.
 */
static bool
m_fork(struct m_ctx *ctx, int s, int c)
{
	struct m_space *sp = &ctx->sp[s], *cp = &ctx->sp[c];
	struct m_page *p, np;
	struct vmspace *vm;
	int i;

	m_begin(ctx, "fork s%d -> s%d", s, c);
	ATF_REQUIRE(cp->s_vm == NULL && sp->s_vm != NULL);
	vm = uvmspace_fork(sp->s_vm);
	if (vm == NULL) {
		if (!ctx->inject)
			m_fail(ctx, "uvmspace_fork failed");
		ctx->nfailed++;
		return false;
	}
	cp->s_vm = vm;
	ctx->nspace++;
	for (i = 0; i < ctx->npg; i++) {
		p = &sp->s_pg[i];
		if (!p->p_mapped)
			continue;
		np = *p;
		np.p_wired = 0;
		switch (p->p_inh) {
		case MAP_INHERIT_NONE:
			continue;
		case MAP_INHERIT_SHARE:
			if (np.p_slot != NULL)
				np.p_slot->sl_refs++;
			break;
		case MAP_INHERIT_COPY:
			if (p->p_slot != NULL && p->p_slot->sl_priv)
				np.p_slot = m_slot_new(true,
				    m_img_dup(ctx, p->p_slot->sl_img));
			else
				np.p_slot = m_slot_new(false, NULL);
			break;
		case MAP_INHERIT_ZERO:
			np.p_obj = NULL;
			np.p_objpg = 0;
			np.p_slot = m_slot_new(true, NULL);
			break;
		}
		m_page_set(ctx, cp, &cp->s_pg[i], &np);
	}
	return true;
}

/* m_free: free space s */
static void
m_free(struct m_ctx *ctx, int s)
{
	struct m_space *sp = &ctx->sp[s];
	int i;

	m_begin(ctx, "free s%d", s);
	uvmspace_free(sp->s_vm);
	sp->s_vm = NULL;
	ctx->nspace--;
	for (i = 0; i < ctx->npg; i++)
		m_page_clear(ctx, sp, &sp->s_pg[i]);
}

/* m_alloc: a new empty space s */
static void
m_alloc(struct m_ctx *ctx, int s)
{
	m_begin(ctx, "alloc s%d", s);
	ATF_REQUIRE(ctx->sp[s].s_vm == NULL);
	ctx->sp[s].s_vm = uvmspace_alloc(VM_MIN_ADDRESS, VM_MAXUSER_ADDRESS);
	ctx->nspace++;
}

/*
 * m_access_stop: where an access of len bytes at va in space s needing
 * `need' stops: the address of the first byte it may not touch (va + len
 * if none) and the error of the fault there.
 */
static vaddr_t
m_access_stop(const struct m_ctx *ctx, int s, vaddr_t va, size_t len,
    vm_prot_t need, int *errp)
{
	const struct m_page *p;
	vaddr_t a = va, end = va + len;

	*errp = 0;
	while (a < end) {
		p = &ctx->sp[s].s_pg[(a - M_BASE) / ctx->psize];
		if (!p->p_mapped) {
			*errp = EFAULT;
			return a;
		}
		if ((p->p_prot & need) != need) {
			*errp = EACCES;
			return a;
		}
		a = trunc_page(a) + ctx->psize;
	}
	return end;
}

/*
 * m_access_result: check a program's access that returned signal sig
 * with report uaf, against the model's stop and error.
 *
 * => returns where the access really stopped.
 */
static vaddr_t
m_access_result(struct m_ctx *ctx, vaddr_t va, size_t len, vm_prot_t need,
    vaddr_t stop, int error, int sig, const struct uvm_access_fault *uaf)
{
	int code = error == EFAULT ? SEGV_MAPERR : SEGV_ACCERR;

	if (sig == 0) {
		if (error != 0)
			m_fail(ctx,
			    "access succeeded; model expects SIGSEGV "
			    "(error %d) at 0x%llx",
			    error, (unsigned long long)stop);
		return va + len;
	}
	if (uaf->uaf_access != need)
		m_fail(ctx, "fault report names access %d", uaf->uaf_access);
	if (ctx->inject && sig == SIGKILL && uaf->uaf_error == ENOMEM &&
	    uaf->uaf_va < stop &&
	    (uaf->uaf_va == va ||
		(uaf->uaf_va > va && (uaf->uaf_va & PAGE_MASK) == 0))) {
		ctx->nfailed++;
		return uaf->uaf_va;
	}
	if (error == 0)
		m_fail(ctx,
		    "signal %d (error %d, si_code %d) at 0x%llx; model "
		    "expects success",
		    sig, uaf->uaf_error, uaf->uaf_code,
		    (unsigned long long)uaf->uaf_va);
	if (sig != SIGSEGV || uaf->uaf_signo != SIGSEGV ||
	    uaf->uaf_error != error || uaf->uaf_code != code ||
	    uaf->uaf_va != stop)
		m_fail(ctx,
		    "signal %d (error %d, si_code %d) at 0x%llx; model "
		    "expects SIGSEGV (error %d, si_code %d) at 0x%llx",
		    sig, uaf->uaf_error, uaf->uaf_code,
		    (unsigned long long)uaf->uaf_va, error, code,
		    (unsigned long long)stop);
	return stop;
}

enum m_how {
	M_VIA_PROGRAM, /* uvm_load / uvm_store (uvm_fill with a byte) */
	M_VIA_KERNEL,  /* uvm_copyin / uvm_copyout */
};

/*
 * m_store: store len bytes of src at va in space s (fill >= 0: the byte
 * `fill' with uvm_fill instead), or with M_VIA_KERNEL by copyout.
 *
 * => returns the signal (or copyout's error).
 */
static int
m_store(struct m_ctx *ctx, int s, vaddr_t va, size_t len,
    const unsigned char *src, int fill, enum m_how how)
{
	struct m_space *sp = &ctx->sp[s];
	struct uvm_access_fault uaf;
	unsigned char *img;
	vaddr_t stop, a, next;
	int error, sig;
	size_t n;

	m_begin(ctx, "%s s%d 0x%llx +%zu",
	    how == M_VIA_KERNEL ? "copyout" :
		fill >= 0	? "fill" :
				  "store",
	    s, (unsigned long long)va, len);
	ATF_REQUIRE(len > 0 && len <= M_MAXIO && va >= M_BASE &&
	    va + len <= m_va(ctx, ctx->npg));
	stop = m_access_stop(ctx, s, va, len, VM_PROT_WRITE, &error);
	memset(&uaf, 0, sizeof(uaf));
	if (how == M_VIA_KERNEL) {
		ATF_REQUIRE(fill < 0 && !ctx->inject);
		sig = uvm_copyout(sp->s_vm, src, va, len);
		if (sig != (error != 0 ? EFAULT : 0))
			m_fail(ctx, "copyout returned %d, model expects %d",
			    sig, error != 0 ? EFAULT : 0);
	} else {
		sig = fill >= 0 ? uvm_fill(sp->s_vm, va, fill, len, &uaf) :
				  uvm_store(sp->s_vm, va, src, len, &uaf);
		stop = m_access_result(ctx, va, len, VM_PROT_WRITE, stop, error,
		    sig, &uaf);
	}
	for (a = va; a < stop; a = next) {
		next = MIN(stop, trunc_page(a) + ctx->psize);
		n = next - a;
		img = m_page_wimg(ctx, &sp->s_pg[(a - M_BASE) / ctx->psize]);
		if (fill >= 0)
			memset(img + (a & PAGE_MASK), fill, n);
		else
			memcpy(img + (a & PAGE_MASK), src + (a - va), n);
	}
	return sig;
}

/*
 * m_load: load len bytes at va in space s and compare what arrives with
 * the model.
 *
 * => returns the signal (or copyin's error).
 */
static int
m_load(struct m_ctx *ctx, int s, vaddr_t va, size_t len, enum m_how how)
{
	struct m_space *sp = &ctx->sp[s];
	struct uvm_access_fault uaf;
	const unsigned char *img;
	vaddr_t stop, a, next;
	int error, sig;
	size_t n, j;

	m_begin(ctx, "%s s%d 0x%llx +%zu",
	    how == M_VIA_KERNEL ? "copyin" : "load", s, (unsigned long long)va,
	    len);
	ATF_REQUIRE(len > 0 && len <= M_MAXIO && va >= M_BASE &&
	    va + len <= m_va(ctx, ctx->npg));
	stop = m_access_stop(ctx, s, va, len, VM_PROT_READ, &error);
	memset(&uaf, 0, sizeof(uaf));
	if (how == M_VIA_KERNEL) {
		ATF_REQUIRE(!ctx->inject);
		sig = uvm_copyin(sp->s_vm, va, ctx->buf, len);
		if (sig != (error != 0 ? EFAULT : 0))
			m_fail(ctx, "copyin returned %d, model expects %d", sig,
			    error != 0 ? EFAULT : 0);
	} else {
		sig = uvm_load(sp->s_vm, va, ctx->buf, len, &uaf);
		stop = m_access_result(ctx, va, len, VM_PROT_READ, stop, error,
		    sig, &uaf);
	}
	for (a = va; a < stop; a = next) {
		next = MIN(stop, trunc_page(a) + ctx->psize);
		n = next - a;
		img = m_page_img(ctx, &sp->s_pg[(a - M_BASE) / ctx->psize]) +
		    (a & PAGE_MASK);
		if (memcmp(ctx->buf + (a - va), img, n) == 0)
			continue;
		for (j = 0; ctx->buf[a - va + j] == img[j]; j++)
			continue;
		m_describe(ctx, (int)((a - M_BASE) / ctx->psize));
		m_fail(ctx, "byte at 0x%llx is 0x%02x, model expects 0x%02x",
		    (unsigned long long)(a + j), ctx->buf[a - va + j], img[j]);
	}
	return sig;
}

/*
 * checks
 */

/*
 * m_check_entries: every page of space s's window has the map entry
 * the model says: mapped or not, protections, inheritance, advice,
 * wiring, object and offset, copy-on-write or shared.
 */
static void
m_check_entries(struct m_ctx *ctx, int s)
{
	struct m_space *sp = &ctx->sp[s];
	struct vm_map *map = &sp->s_vm->vm_map;
	struct vm_map_entry *e;
	struct m_page *p;
	struct uvm_object *uobj;
	vaddr_t va;
	paddr_t pa;
	bool found;
	int i;

	vm_map_lock_read(map);
	for (i = 0; i < ctx->npg; i++) {
		p = &sp->s_pg[i];
		va = m_va(ctx, i);
		found = uvm_map_lookup_entry(map, va, &e);
		if (found != p->p_mapped) {
			vm_map_unlock_read(map);
			m_fail(ctx,
			    "s%d page 0x%llx is %smapped, model says "
			    "%smapped",
			    s, (unsigned long long)va, found ? "" : "not ",
			    p->p_mapped ? "" : "not ");
		}
		if (!found)
			continue;
		uobj = p->p_obj != NULL ? p->p_obj->o_uobj : NULL;
		if (e->protection != p->p_prot ||
		    e->max_protection != p->p_maxprot ||
		    e->inheritance != p->p_inh || e->advice != p->p_adv ||
		    e->wired_count != p->p_wired || e->object.uvm_obj != uobj ||
		    UVM_ET_ISCOPYONWRITE(e) != (p->p_slot != NULL) ||
		    (uobj != NULL &&
			e->offset + (voff_t)(va - e->start) !=
			    (voff_t)ptoa(p->p_objpg))) {
			vm_map_unlock_read(map);
			m_fail(ctx,
			    "s%d page 0x%llx: entry [0x%llx, 0x%llx) "
			    "%s/%s %s adv %d wired %d %s obj %p off "
			    "0x%llx; model %s/%s %s adv %d wired %d "
			    "%s obj %p page %d",
			    s, (unsigned long long)va,
			    (unsigned long long)e->start,
			    (unsigned long long)e->end,
			    m_protname(e->protection),
			    m_protname(e->max_protection),
			    m_inhname[e->inheritance & 3], e->advice,
			    e->wired_count,
			    UVM_ET_ISCOPYONWRITE(e) ? "cow" : "shared",
			    (void *)e->object.uvm_obj,
			    (unsigned long long)e->offset,
			    m_protname(p->p_prot), m_protname(p->p_maxprot),
			    m_inhname[p->p_inh], p->p_adv, p->p_wired,
			    p->p_slot != NULL ? "cow" : "shared", (void *)uobj,
			    p->p_objpg);
		}
		/*
		 * a wired page, if mapped, is mapped by a wired page.  The
		 * mapping itself may go (a protection without read, or a
		 * sharer's copy-on-write in a shared amap, removes it, as
		 * in NetBSD); the page keeps its wiring and refaults.
		 */
		if (p->p_wired > 0 && pmap_extract(map->pmap, va, &pa) &&
		    PHYS_TO_VM_PAGE(pa)->wire_count == 0) {
			vm_map_unlock_read(map);
			m_describe(ctx, i);
			m_fail(ctx,
			    "s%d page 0x%llx is wired but its page "
			    "is not",
			    s, (unsigned long long)va);
		}
	}
	vm_map_unlock_read(map);
}

/*
 * m_check_contents: load every page of space s's window and compare
 * (unreadable and unmapped pages must fault).
 */
static void
m_check_contents(struct m_ctx *ctx, int s)
{
	int i;

	for (i = 0; i < ctx->npg; i++)
		if (ctx->sp[s].s_pg[i].p_mapped)
			m_load(ctx, s, m_va(ctx, i), ctx->psize, M_VIA_PROGRAM);
}

/* m_check_counts: the VM system's object counts agree with the model */
static void
m_check_counts(struct m_ctx *ctx)
{
	if (uvmexp.nvmspace != ctx->base_nvmspace + ctx->nspace)
		m_fail(ctx, "uvmexp.nvmspace %d, model has %d spaces",
		    uvmexp.nvmspace, ctx->nspace);
	/* an object freed during a page-out lives on until it ends */
	if (uvmexp.naobj - uao_ndying() != ctx->base_naobj + ctx->nobj)
		m_fail(ctx, "uvmexp.naobj %d, model has %d objects",
		    uvmexp.naobj, ctx->nobj);
}

/* m_check_all: everything, every space */
static void
m_check_all(struct m_ctx *ctx)
{
	int s;

	bool quiet = ctx->quiet;

	ctx->quiet = true;
	m_check_counts(ctx);
	for (s = 0; s < M_NSPACE; s++) {
		if (ctx->sp[s].s_vm == NULL)
			continue;
		m_begin(ctx, "check s%d", s);
		m_check_entries(ctx, s);
		m_check_contents(ctx, s);
	}
	ctx->quiet = quiet;
}

/*
 * m_deep_check: every checker of the VM system and the MMU.
 */
static void
m_deep_check(struct m_ctx *ctx)
{
	struct kcheck kc;
	int n;

	kcheck_init(&kc);
	n = uvm_check_all(&kc, true);
	if (n != 0)
		m_fail(ctx, "consistency check: %u problems, first: %s",
		    kc.kc_nerr, kc.kc_msg);
}
