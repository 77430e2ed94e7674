build-clang/obj/tools/fltsim/scn_names.o: tools/fltsim/scn_names.c \
  tools/fltsim/scn_int.h tools/fltsim/diag.h tools/fltsim/scn.h

tools/fltsim/scn_int.h:

tools/fltsim/diag.h:

tools/fltsim/scn.h:
