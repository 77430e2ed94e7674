build-clang/obj/tools/fltsim/scn_parse.o: tools/fltsim/scn_parse.c \
  tools/fltsim/scn_int.h tools/fltsim/diag.h tools/fltsim/scn.h

tools/fltsim/scn_int.h:

tools/fltsim/diag.h:

tools/fltsim/scn.h:
