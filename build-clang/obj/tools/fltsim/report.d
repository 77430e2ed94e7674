build-clang/obj/tools/fltsim/report.o: tools/fltsim/report.c \
  tools/fltsim/report.h sim/host/fltsim.h

tools/fltsim/report.h:

sim/host/fltsim.h:
