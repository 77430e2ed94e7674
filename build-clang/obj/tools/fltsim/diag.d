build-clang/obj/tools/fltsim/diag.o: tools/fltsim/diag.c \
  tools/fltsim/diag.h tools/fltsim/scn.h

tools/fltsim/diag.h:

tools/fltsim/scn.h:
