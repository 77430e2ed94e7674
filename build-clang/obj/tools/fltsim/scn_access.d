build-clang/obj/tools/fltsim/scn_access.o: tools/fltsim/scn_access.c \
  tools/fltsim/scn_int.h tools/fltsim/diag.h tools/fltsim/scn.h

tools/fltsim/scn_int.h:

tools/fltsim/diag.h:

tools/fltsim/scn.h:
