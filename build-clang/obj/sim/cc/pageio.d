build-clang/obj/sim/cc/pageio.o: sim/cc/pageio.c sim/cc/ccp.h \
  sim/inc/fsim_kernel.h sim/include/ntifs.h sim/include/ntddk.h \
  sim/include/wdm.h sim/include/ntdef.h sim/include/sal.h \
  sim/include/sdkddkver.h sim/include/guiddef.h sim/include/excpt.h \
  sim/include/ntstatus.h sim/include/fsim_crt.h \
  sim/include/fsim_security.h sim/include/fsim_fileinfo.h \
  sim/include/fsim_wdm_proto.h sim/host/fltsim.h

sim/cc/ccp.h:

sim/inc/fsim_kernel.h:

sim/include/ntifs.h:

sim/include/ntddk.h:

sim/include/wdm.h:

sim/include/ntdef.h:

sim/include/sal.h:

sim/include/sdkddkver.h:

sim/include/guiddef.h:

sim/include/excpt.h:

sim/include/ntstatus.h:

sim/include/fsim_crt.h:

sim/include/fsim_security.h:

sim/include/fsim_fileinfo.h:

sim/include/fsim_wdm_proto.h:

sim/host/fltsim.h:
