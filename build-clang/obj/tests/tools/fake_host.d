build-clang/obj/tests/tools/fake_host.o: tests/tools/fake_host.c \
  tests/tools/fake_host.h sim/host/fltsim.h

tests/tools/fake_host.h:

sim/host/fltsim.h:
