build-clang/obj/tests/tools/test_report.o: tests/tools/test_report.c \
  tools/fltsim/report.h sim/host/fltsim.h

tools/fltsim/report.h:

sim/host/fltsim.h:
