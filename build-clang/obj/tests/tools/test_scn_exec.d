build-clang/obj/tests/tools/test_scn_exec.o: tests/tools/test_scn_exec.c \
  tools/fltsim/diag.h tools/fltsim/scn.h tests/tools/fake_host.h \
  sim/host/fltsim.h tools/fltsim/scn_exec.h

tools/fltsim/diag.h:

tools/fltsim/scn.h:

tests/tools/fake_host.h:

sim/host/fltsim.h:

tools/fltsim/scn_exec.h:
