build-clang/obj/tools/fltsim/testrun.o: tools/fltsim/testrun.c \
  tools/fltsim/testrun.h tools/fltsim/report.h sim/host/fltsim.h \
  tools/fltsim/scn_exec.h tools/fltsim/scn.h

tools/fltsim/testrun.h:

tools/fltsim/report.h:

sim/host/fltsim.h:

tools/fltsim/scn_exec.h:

tools/fltsim/scn.h:
