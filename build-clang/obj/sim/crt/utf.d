build-clang/obj/sim/crt/utf.o: sim/crt/utf.c sim/crt/crtp.h \
  sim/include/fsim_crt.h sim/include/ntdef.h sim/include/sal.h \
  sim/include/sdkddkver.h sim/include/guiddef.h sim/include/excpt.h

sim/crt/crtp.h:

sim/include/fsim_crt.h:

sim/include/ntdef.h:

sim/include/sal.h:

sim/include/sdkddkver.h:

sim/include/guiddef.h:

sim/include/excpt.h:
