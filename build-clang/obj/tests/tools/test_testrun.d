build-clang/obj/tests/tools/test_testrun.o: tests/tools/test_testrun.c \
  tools/fltsim/testrun.h

tools/fltsim/testrun.h:
