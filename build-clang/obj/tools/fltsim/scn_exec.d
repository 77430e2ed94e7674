build-clang/obj/tools/fltsim/scn_exec.o: tools/fltsim/scn_exec.c \
  tools/fltsim/scn_exec.h tools/fltsim/scn.h tools/fltsim/stackchart.h \
  sim/host/fltsim.h tools/fltsim/report.h tools/fltsim/scn_int.h \
  tools/fltsim/diag.h

tools/fltsim/scn_exec.h:

tools/fltsim/scn.h:

tools/fltsim/stackchart.h:

sim/host/fltsim.h:

tools/fltsim/report.h:

tools/fltsim/scn_int.h:

tools/fltsim/diag.h:
