# fltsim.mk - include from a driver's Makefile to get the flags that build a
# WDK-style driver into a shared object fltsim can load (NAME.sys).
FLTSIM_ROOT ?= $(patsubst %/mk/,%,$(dir $(lastword $(MAKEFILE_LIST))))
FLTSIM_DRIVER_CFLAGS := -std=gnu11 -fshort-wchar -Wno-multichar -Wno-unknown-pragmas \
    -Wno-missing-field-initializers -fno-strict-aliasing -fno-omit-frame-pointer -fPIC -O0 -g \
    -I$(FLTSIM_ROOT)/sim/include -I$(FLTSIM_ROOT)/fltsim/include -I$(FLTSIM_ROOT)/fltsim/include/compat
ifeq ($(shell uname -s),Darwin)
FLTSIM_DRIVER_LDFLAGS := -shared -undefined dynamic_lookup
else
FLTSIM_DRIVER_LDFLAGS := -shared
endif
