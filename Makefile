# fltsim - build, test, coverage and sanitizer runs.
#
#   make              build the simulator, the fltsim tool, sample and test drivers
#   make demo         run scenarios/passthrough-local.scn
#   make test         unit tests, then every scenario under scenarios/
#   make sanitize     the same under ASan+UBSan (separate build tree)
#   make coverage     instrumented run of `make test` and a gcovr HTML report
#   make bench        speed/memory benchmarks (never part of `make test`)
#   make fuzz         mutated scenario scripts through the sanitizer build (FUZZ_COUNT, FUZZ_SEED)
#   make CC=clang     any target with clang instead of gcc
#
# Sources are found by wildcard: a new file under sim/<component>/, fltsim/,
# tools/fltsim/, samples/<driver>/, tests/drivers/<driver>/ or tests/unit/
# is built without touching this file.

CC ?= cc
BUILD ?= build
OPT ?= -O1 -g
SANFLAGS ?=
COVFLAGS ?=
UNAME_S := $(shell uname -s)

WARN := -Wall -Wextra -Werror
# Flags every translation unit that sees the WDK headers needs.
WDKFLAGS := -fshort-wchar -Wno-multichar -Wno-unknown-pragmas -fno-strict-aliasing \
            -fno-omit-frame-pointer -Isim/include -Ifltsim/include -Ifltsim/include/compat
# The simulator's own sources.
KFLAGS := -std=c11 $(WARN) $(WDKFLAGS) -Isim/inc -Isim/host -Ifltsim \
          -D_DEFAULT_SOURCE -DFLTSIM_NO_MINMAX -DFLTSIM_NO_LEGACY_SEH -DFLTSIM_KERNEL \
          -fPIC $(OPT) $(SANFLAGS) $(COVFLAGS)
# Driver sources (samples and test drivers): what a user's build gets from mk/fltsim.mk.
# DRIVER_SANFLAGS: see `sanitize` below.
DRIVER_SANFLAGS ?=
DFLAGS := -std=gnu11 $(WARN) -Wno-missing-field-initializers $(WDKFLAGS) -fPIC -fvisibility=default -O0 -g $(SANFLAGS) \
          $(DRIVER_SANFLAGS) $(COVFLAGS)
# Tools and tests (host side: no WDK headers unless a test includes them itself).
TFLAGS := -std=c11 $(WARN) -Isim/host -D_DEFAULT_SOURCE $(OPT) $(SANFLAGS) $(COVFLAGS)

ifeq ($(UNAME_S),Darwin)
  EXPORT_DYNAMIC :=
  DRIVER_LDFLAGS := -shared -undefined dynamic_lookup
  BREW := $(shell brew --prefix 2>/dev/null)
  ifneq ($(BREW),)
    TFLAGS += -I$(BREW)/include
    KFLAGS += -I$(BREW)/include
    HOSTLIBDIRS := -L$(BREW)/lib
  endif
  HOSTLIBS := -ldl
else
  EXPORT_DYNAMIC := -rdynamic
  DRIVER_LDFLAGS := -shared
  HOSTLIBS := -ldl -lpthread
endif

SIM_SRCS := $(sort $(wildcard sim/*/*.c sim/drivers/*/*.c fltsim/*.c))
SIM_OBJS := $(SIM_SRCS:%.c=$(BUILD)/obj/%.o)

TOOL_SRCS := $(sort $(wildcard tools/fltsim/*.c))
TOOL_OBJS := $(TOOL_SRCS:%.c=$(BUILD)/obj/%.o)
FLTSIM := $(BUILD)/fltsim

UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
UNIT_HELPER_SRCS := $(sort $(wildcard tests/unit/support/*.c))
UNIT_HELPER_OBJS := $(UNIT_HELPER_SRCS:%.c=$(BUILD)/obj/%.o)

# Tool tests: the scenario front end, executor and renderer against a fake host API.
TOOLTEST_SRCS := $(sort $(wildcard tests/tools/test_*.c))
TOOLTEST_BINS := $(TOOLTEST_SRCS:tests/tools/%.c=$(BUILD)/tests/tools/%)
TOOLTEST_OBJS := $(filter-out $(BUILD)/obj/tools/fltsim/main.o,$(TOOL_OBJS)) $(BUILD)/obj/tests/tools/fake_host.o

DRIVER_DIRS := $(sort $(dir $(wildcard samples/*/*.c tests/drivers/*/*.c)))
DRIVER_NAMES := $(foreach d,$(DRIVER_DIRS),$(notdir $(patsubst %/,%,$(d))))
DRIVERS := $(DRIVER_NAMES:%=$(BUILD)/drivers/%.sys)

SCENARIOS := $(sort $(wildcard scenarios/*.scn))

.PHONY: all test unit scenarios seeds determinism fuzz demo sanitize coverage bench clean drivers tools
.DELETE_ON_ERROR:
.SECONDARY:

all: $(FLTSIM) $(DRIVERS) $(UNIT_BINS) $(TOOLTEST_BINS) $(BUILD)/fltsim-driver.pc

# pkg-config file for drivers built outside this tree.
$(BUILD)/fltsim-driver.pc: Makefile
	@mkdir -p $(dir $@)
	@printf 'prefix=%s\nName: fltsim-driver\nDescription: build a WDK-style driver for fltsim\nVersion: 0.1\nCflags: -std=gnu11 -fshort-wchar -Wno-multichar -Wno-unknown-pragmas -Wno-missing-field-initializers -fno-strict-aliasing -fPIC -O0 -g -I$${prefix}/sim/include -I$${prefix}/fltsim/include -I$${prefix}/fltsim/include/compat\nLibs: $(DRIVER_LDFLAGS)\n' "$(CURDIR)" > $@

tools: $(FLTSIM)
drivers: $(DRIVERS)

# Kernel objects depend on their headers through -MMD.
$(BUILD)/obj/sim/%.o: sim/%.c
	@mkdir -p $(dir $@)
	$(CC) $(KFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/fltsim/%.o: fltsim/%.c
	@mkdir -p $(dir $@)
	$(CC) $(KFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/tools/%.o: tools/%.c
	@mkdir -p $(dir $@)
	$(CC) $(TFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(KFLAGS) -Itests/unit -MMD -MP -c $< -o $@

$(BUILD)/obj/tests/tools/%.o: tests/tools/%.c
	@mkdir -p $(dir $@)
	$(CC) $(TFLAGS) -Itools/fltsim -Itests/tools -MMD -MP -c $< -o $@

$(BUILD)/tests/tools/%: $(BUILD)/obj/tests/tools/%.o $(TOOLTEST_OBJS)
	@mkdir -p $(dir $@)
	$(CC) -o $@ $^ $(HOSTLIBDIRS) -lcmocka -luv $(HOSTLIBS) $(SANFLAGS) $(COVFLAGS)

$(FLTSIM): $(TOOL_OBJS) $(SIM_OBJS)
	$(CC) $(TFLAGS) $(EXPORT_DYNAMIC) -o $@ $^ $(HOSTLIBDIRS) -luv $(HOSTLIBS) $(SANFLAGS) $(COVFLAGS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(UNIT_HELPER_OBJS) $(SIM_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(EXPORT_DYNAMIC) -o $@ $^ $(HOSTLIBDIRS) -lcmocka $(HOSTLIBS) $(SANFLAGS) $(COVFLAGS)

# One shared object per driver directory: samples/passthrough/*.c -> passthrough.sys
define DRIVER_RULE
$(BUILD)/drivers/$(notdir $(patsubst %/,%,$(1))).sys: $(wildcard $(1)*.c) $(wildcard $(1)*.h) $(wildcard sim/include/*.h fltsim/include/*.h)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(DFLAGS) $(DRIVER_LDFLAGS) -o $$@ $(wildcard $(1)*.c)
endef
$(foreach d,$(DRIVER_DIRS),$(eval $(call DRIVER_RULE,$(d))))

unit: $(UNIT_BINS) $(TOOLTEST_BINS) $(DRIVERS)
	@set -e; for t in $(UNIT_BINS) $(TOOLTEST_BINS); do echo "== $$t"; FLTSIM_DRIVERS=$(BUILD)/drivers $$t; done

scenarios: $(FLTSIM) $(DRIVERS)
	FLTSIM_DRIVERS=$(BUILD)/drivers $(FLTSIM) test scenarios

# Every scenario again under other scheduler seeds (other thread
# interleavings): what a scenario expects must hold under each of them.
seeds: $(FLTSIM) $(DRIVERS)
	@FLTSIM_DRIVERS=$(BUILD)/drivers $(FLTSIM) test --seeds 1-8 scenarios > $(BUILD)/seeds.txt || \
	    { grep -v '^PASS' $(BUILD)/seeds.txt; exit 1; }
	@echo "seeds: $$(tail -n 1 $(BUILD)/seeds.txt) (every scenario under seeds 1-8)"

# The demo: the passthrough sample's callbacks on a local volume.
demo: $(FLTSIM) $(DRIVERS)
	FLTSIM_DRIVERS=$(BUILD)/drivers $(FLTSIM) run scenarios/passthrough-local.scn

determinism: $(FLTSIM) $(DRIVERS)
	FLTSIM_DRIVERS=$(BUILD)/drivers sh tests/determinism.sh $(FLTSIM) $(SCENARIOS)

test: unit scenarios seeds determinism

# Drivers in the sanitizer build keep ASan's heap checks and UBSan but not
# ASan's stack redzones: the stack ledger charges a driver's frame as measured
# on the host stack, and redzones would make it larger than the same code's
# frame in a normal build - enough to change a stack-overflow verdict
# (scenarios/seed-0x7f-*.scn sit within 0x480 bytes of the budget).
ASAN_NO_STACK = $(if $(findstring clang,$(shell $(CC) --version 2>/dev/null)),-mllvm -asan-stack=0,--param asan-stack=0)

sanitize:
	$(MAKE) BUILD=build-san OPT="-O1 -g" \
	    SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
	    DRIVER_SANFLAGS="$(ASAN_NO_STACK)" test

# Mutated scenario scripts through the sanitizer build: fltsim must never
# crash, hang or trip a sanitizer, whatever the script (not part of `test`).
fuzz:
	$(MAKE) BUILD=build-san OPT="-O1 -g" \
	    SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
	    DRIVER_SANFLAGS="$(ASAN_NO_STACK)" all
	python3 tests/fuzz/mutate.py build-san/fltsim build-san/drivers --seed $${FUZZ_SEED:-1} --count $${FUZZ_COUNT:-300}

coverage:
	rm -rf build-cov
	$(MAKE) BUILD=build-cov OPT="-O0 -g" COVFLAGS="--coverage" test
	@mkdir -p build-cov/coverage
	gcovr --root . --object-directory build-cov/obj --filter 'sim/' --filter 'fltsim/' --filter 'tools/' \
	    --html-details build-cov/coverage/index.html --print-summary
	@echo "coverage report: build-cov/coverage/index.html"

bench: $(FLTSIM) $(DRIVERS)
	@sh tests/bench/run.sh $(FLTSIM) $(BUILD)

clean:
	rm -rf build build-san build-cov

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
