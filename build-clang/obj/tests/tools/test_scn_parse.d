build-clang/obj/tests/tools/test_scn_parse.o: \
  tests/tools/test_scn_parse.c tools/fltsim/diag.h tools/fltsim/scn.h \
  tools/fltsim/scn_int.h

tools/fltsim/diag.h:

tools/fltsim/scn.h:

tools/fltsim/scn_int.h:
