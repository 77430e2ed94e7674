build-clang/obj/tests/unit/test_fltmgr.o: tests/unit/test_fltmgr.c \
  sim/host/fltsim.h

sim/host/fltsim.h:
