build-clang/obj/sim/crt/wctype.o: sim/crt/wctype.c sim/crt/crtp.h \
  sim/include/fsim_crt.h sim/include/ntdef.h sim/include/sal.h \
  sim/include/sdkddkver.h sim/include/guiddef.h sim/include/excpt.h

sim/crt/crtp.h:

sim/include/fsim_crt.h:

sim/include/ntdef.h:

sim/include/sal.h:

sim/include/sdkddkver.h:

sim/include/guiddef.h:

sim/include/excpt.h:
