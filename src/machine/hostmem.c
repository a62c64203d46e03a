/*
 * hostmem.c: host memory for the simulator's records; running out of it
 * is a panic, never a simulated error (the rule is in hostmem.h).
 */

#include <stdlib.h>

#include "machine/hostmem.h"
#include "machine/kassert.h"

void *
hostmem_alloc(size_t size)
{
	void *p = malloc(size != 0 ? size : 1);

	if (p == NULL)
		panic("%s: out of host memory (%zu bytes)", __func__, size);
	return p;
}

void *
hostmem_zalloc(size_t n, size_t size)
{
	void *p = calloc(n != 0 ? n : 1, size != 0 ? size : 1);

	if (p == NULL)
		panic("%s: out of host memory (%zu of %zu bytes)", __func__, n,
		    size);
	return p;
}

void *
hostmem_realloc(void *p, size_t size)
{
	void *n = realloc(p, size != 0 ? size : 1);

	if (n == NULL)
		panic("%s: out of host memory (%zu bytes)", __func__, size);
	return n;
}
