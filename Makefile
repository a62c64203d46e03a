# uvmsim: the UVM virtual memory system on a simulated machine.
#
#   make                 build the uvmsim program and libuvmsim.a
#   make run             build and run the demonstration
#   make check           build and run every test (ATF, run by kyua)
#   make check SANITIZE=address,undefined
#                        the same under AddressSanitizer and UBSan
#   make bench           build and run the benchmarks
#   make soak DURATION=10m
#                        a randomized campaign under ASan + UBSan for that
#                        long (default 2m; see tools/soak --help for JOBS,
#                        SEED, DIFF_STEPS, SOAK_BUILD)
#   make install         install under $(DESTDIR)$(PREFIX)
#   make format-check    check the sources against .clang-format
#   make format          reformat the sources in place
#   make golden          rewrite the golden scenario outputs from this build
#   V=1                  show the full compiler commands

CC	?= cc
PREFIX	?= /usr/local
DESTDIR	?=
SANITIZE ?=
VERSION	:= 0.1

comma	:= ,
ifeq ($(SANITIZE),)
BUILD	?= build
OPT	?= -O2
else
BUILD	?= build/san-$(subst $(comma),-,$(SANITIZE))
OPT	?= -O1
SANFLAGS := -fsanitize=$(SANITIZE) -fno-sanitize-recover=all \
	    -fno-omit-frame-pointer
endif

# Assertions as NetBSD's kernel options have them: DIAGNOSTIC compiles in
# KASSERT, DEBUG also KDASSERT, the checks too costly for a fault's fast
# path.  The program and the benchmarks are built as a GENERIC kernel is,
# with DIAGNOSTIC only; the tests link a second copy of the library built
# with DEBUG as well (in $(BUILD)/debug), so they keep every check.  The
# sanitizer builds define DEBUG everywhere, and one library serves both.
DIAG	:= -DDIAGNOSTIC
ifneq ($(SANITIZE),)
DIAG	+= -DDEBUG
endif

WARN	:= -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wpointer-arith -Wno-unused-parameter
CFLAGS	?= $(OPT) -g
ALLCFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(SANFLAGS) $(DIAG) -Isrc \
	   -DUVMSIM_VERSION=\"$(VERSION)\" -DTESTS_SRCDIR=\"$(CURDIR)/tests\" \
	   -MMD -MP
LDFLAGS	?=
ALLLDFLAGS := $(LDFLAGS) $(SANFLAGS)
# compressed traces are read through these (tools/ensure-build-deps)
LDLIBS	+= -lzstd -llzma -lz -lm

LIB_SRCS := $(wildcard src/machine/*.c src/uvm/*.c src/kern/*.c src/lib/*.c) \
	    $(filter-out src/sim/main.c,$(wildcard src/sim/*.c))
DEMO_SCN := examples/demo.uvm
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o) $(BUILD)/gen/demo_text.o
ifeq ($(SANITIZE),)
DEBUG_OBJS := $(LIB_SRCS:%.c=$(BUILD)/debug/%.o) $(BUILD)/gen/demo_text.o
TEST_LIB := $(BUILD)/debug/libuvmsim.a
else
DEBUG_OBJS :=
TEST_LIB := $(BUILD)/libuvmsim.a
endif
TEST_SRCS := $(wildcard tests/t_*.c)
TEST_PROGS := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
TEST_HELPER := $(BUILD)/tests/h_util.o $(BUILD)/tests/h_run.o
BENCH_SRCS := $(wildcard bench/bench_*.c)
BENCH_PROGS := $(BENCH_SRCS:bench/%.c=$(BUILD)/bench/%)
MAN_PAGES := $(wildcard doc/*.[1-9])
ALL_SRCS := $(shell find src tests bench -name '*.[ch]' | sort)

# quiet build lines; V=1 shows the full commands
ifeq ($(V),1)
Q	:=
say	:= @true
else
Q	:= @
say	:= @printf '  %-6s %s\n'
endif

LIB	:= $(BUILD)/libuvmsim.a
PROG	:= $(BUILD)/uvmsim

.SECONDARY:

.PHONY: all run check test-deps build-deps bench install uninstall clean \
	format format-check golden

all: $(PROG)

$(BUILD)/%.o: %.c | build-deps
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(ALLCFLAGS) -c -o $@ $<

# the library with DEBUG, and the tests, for every check (see DIAG)
$(BUILD)/debug/%.o: %.c | build-deps
	@mkdir -p $(dir $@)
	$(say) CC $< "(DEBUG)"
	$(Q)$(CC) $(ALLCFLAGS) -DDEBUG -c -o $@ $<

$(BUILD)/tests/%.o: tests/%.c | build-deps
	@mkdir -p $(dir $@)
	$(say) CC $<
	$(Q)$(CC) $(ALLCFLAGS) -DDEBUG -c -o $@ $<

# the built-in demonstration is examples/demo.uvm, compiled in
$(BUILD)/gen/demo_text.c: $(DEMO_SCN) tools/embed-text
	@mkdir -p $(dir $@)
	$(say) GEN $@
	$(Q)sh tools/embed-text scen_demo_text $(DEMO_SCN) > $@.tmp && \
	    mv $@.tmp $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(say) CC $<
	$(Q)$(CC) $(ALLCFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJS)
	@rm -f $@
	$(say) AR $@
	$(Q)ar rcs $@ $^

ifneq ($(TEST_LIB),$(LIB))
$(TEST_LIB): $(DEBUG_OBJS)
	@rm -f $@
	$(say) AR $@
	$(Q)ar rcs $@ $^
endif

$(PROG): $(BUILD)/src/sim/main.o $(LIB)
	$(say) LINK $@
	$(Q)$(CC) $(ALLLDFLAGS) -o $@ $^ $(LDLIBS)

run: $(PROG)
	./$(PROG)

# rewrite tests/scenarios/*.out from this build (read the diff!)
golden: $(PROG)
	@UVMSIM=$(CURDIR)/$(PROG) sh tools/regen-golden

# --- tests -----------------------------------------------------------------

$(BUILD)/tests/t_%: $(BUILD)/tests/t_%.o $(TEST_HELPER) $(TEST_LIB)
	$(say) LINK $@
	$(Q)$(CC) $(ALLLDFLAGS) -o $@ $^ -latf-c $(LDLIBS)

$(BUILD)/tests/Kyuafile: $(TEST_SRCS) Makefile
	@mkdir -p $(dir $@)
	@{ echo 'syntax(2)'; echo "test_suite('uvmsim')"; \
	  for t in $(notdir $(TEST_PROGS)); do \
	    echo "atf_test_program{name='$$t'}"; done; } > $@

test-deps:
	@sh tools/ensure-test-deps

# the libraries' headers, installed once when missing
build-deps:
	@sh tools/ensure-build-deps

check: test-deps
	@$(MAKE) --no-print-directory $(TEST_PROGS) $(PROG) \
	    $(BUILD)/tests/Kyuafile
	@sh tools/run-tests $(BUILD)/tests

# --- benchmarks --------------------------------------------------------------

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(LIB)
	$(say) LINK $@
	$(Q)$(CC) $(ALLLDFLAGS) -o $@ $^ $(LDLIBS)

bench: $(BENCH_PROGS)
	@sh tools/ensure-bench-deps
	@for b in $(BENCH_PROGS); do ./$$b || exit 1; done

# --- soak --------------------------------------------------------------------

# differential runs, failpoint sweeps and the scenario fuzzer, all under
# ASan + UBSan (built into build/san-address-undefined, or SOAK_BUILD)
.PHONY: soak
soak:
	@python3 tools/soak --duration $(or $(DURATION),2m) \
	    $(if $(JOBS),--jobs $(JOBS)) $(if $(SEED),--seed $(SEED)) \
	    $(if $(DIFF_STEPS),--diff-steps $(DIFF_STEPS)) \
	    $(if $(SOAK_BUILD),--build $(SOAK_BUILD))

# --- install -----------------------------------------------------------------

install: $(PROG)
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(PROG) $(DESTDIR)$(PREFIX)/bin/uvmsim
	@for m in $(MAN_PAGES); do \
	  s=$${m##*.}; \
	  echo install -d $(DESTDIR)$(PREFIX)/share/man/man$$s; \
	  install -d $(DESTDIR)$(PREFIX)/share/man/man$$s || exit 1; \
	  echo install -m 644 $$m $(DESTDIR)$(PREFIX)/share/man/man$$s/; \
	  install -m 644 $$m $(DESTDIR)$(PREFIX)/share/man/man$$s/ || exit 1; \
	done

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/uvmsim
	@for m in $(MAN_PAGES); do s=$${m##*.}; \
	  rm -f $(DESTDIR)$(PREFIX)/share/man/man$$s/$$(basename $$m); done

# --- housekeeping ------------------------------------------------------------

format:
	clang-format -i $(ALL_SRCS)

format-check:
	@bad=0; for f in $(ALL_SRCS); do \
	  clang-format --dry-run --Werror $$f 2>/dev/null >/dev/null || \
	    { echo "not formatted: $$f"; bad=1; }; \
	done; \
	if [ $$bad = 0 ]; then echo "format-check: all sources formatted"; \
	else echo "run 'make format' to fix"; exit 1; fi

clean:
	rm -rf build

-include $(LIB_OBJS:.o=.d) $(DEBUG_OBJS:.o=.d) $(BUILD)/src/sim/main.d \
	$(TEST_PROGS:=.d) $(TEST_HELPER:.o=.d) $(BENCH_PROGS:=.d)
