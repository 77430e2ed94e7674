build-clang/obj/tools/fltsim/scn_validate.o: tools/fltsim/scn_validate.c \
  tools/fltsim/scn_int.h tools/fltsim/diag.h tools/fltsim/scn.h

tools/fltsim/scn_int.h:

tools/fltsim/diag.h:

tools/fltsim/scn.h:
