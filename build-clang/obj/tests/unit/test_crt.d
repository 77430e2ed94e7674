build-clang/obj/tests/unit/test_crt.o: tests/unit/test_crt.c \
  sim/include/fsim_crt.h sim/include/ntdef.h sim/include/sal.h \
  sim/include/sdkddkver.h sim/include/guiddef.h sim/include/excpt.h

sim/include/fsim_crt.h:

sim/include/ntdef.h:

sim/include/sal.h:

sim/include/sdkddkver.h:

sim/include/guiddef.h:

sim/include/excpt.h:
