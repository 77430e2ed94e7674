build-clang/obj/sim/rtl/ntstatus_names.o: sim/rtl/ntstatus_names.c \
  sim/include/ntdef.h sim/include/sal.h sim/include/sdkddkver.h \
  sim/include/guiddef.h sim/include/excpt.h sim/include/ntstatus.h

sim/include/ntdef.h:

sim/include/sal.h:

sim/include/sdkddkver.h:

sim/include/guiddef.h:

sim/include/excpt.h:

sim/include/ntstatus.h:
