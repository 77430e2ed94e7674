build-clang/obj/tests/unit/test_strsafe.o: tests/unit/test_strsafe.c \
  sim/include/ntdef.h sim/include/sal.h sim/include/sdkddkver.h \
  sim/include/guiddef.h sim/include/excpt.h sim/include/ntstatus.h \
  sim/include/ntstrsafe.h sim/include/fsim_crt.h

sim/include/ntdef.h:

sim/include/sal.h:

sim/include/sdkddkver.h:

sim/include/guiddef.h:

sim/include/excpt.h:

sim/include/ntstatus.h:

sim/include/ntstrsafe.h:

sim/include/fsim_crt.h:
