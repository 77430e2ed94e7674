build-clang/obj/sim/rtl/strsafe.o: sim/rtl/strsafe.c \
  sim/include/ntstrsafe.h sim/include/ntdef.h sim/include/sal.h \
  sim/include/sdkddkver.h sim/include/guiddef.h sim/include/excpt.h \
  sim/include/ntstatus.h sim/include/fsim_crt.h

sim/include/ntstrsafe.h:

sim/include/ntdef.h:

sim/include/sal.h:

sim/include/sdkddkver.h:

sim/include/guiddef.h:

sim/include/excpt.h:

sim/include/ntstatus.h:

sim/include/fsim_crt.h:
