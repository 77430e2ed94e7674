build-clang/obj/tools/fltsim/stackchart.o: tools/fltsim/stackchart.c \
  tools/fltsim/stackchart.h sim/host/fltsim.h

tools/fltsim/stackchart.h:

sim/host/fltsim.h:
