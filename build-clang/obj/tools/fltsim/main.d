build-clang/obj/tools/fltsim/main.o: tools/fltsim/main.c \
  tools/fltsim/diag.h tools/fltsim/scn.h tools/fltsim/scn_exec.h \
  tools/fltsim/testrun.h

tools/fltsim/diag.h:

tools/fltsim/scn.h:

tools/fltsim/scn_exec.h:

tools/fltsim/testrun.h:
