build-clang/obj/sim/drivers/rdbss/rx_prefix.o: \
  sim/drivers/rdbss/rx_prefix.c sim/drivers/rdbss/rxp.h \
  sim/inc/fsim_kernel.h sim/include/ntifs.h sim/include/ntddk.h \
  sim/include/wdm.h sim/include/ntdef.h sim/include/sal.h \
  sim/include/sdkddkver.h sim/include/guiddef.h sim/include/excpt.h \
  sim/include/ntstatus.h sim/include/fsim_crt.h \
  sim/include/fsim_security.h sim/include/fsim_fileinfo.h \
  sim/include/fsim_wdm_proto.h sim/host/fltsim.h \
  sim/drivers/rdbss/rdbss.h sim/drivers/rdbss/../mup/mupprov.h

sim/drivers/rdbss/rxp.h:

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

sim/drivers/rdbss/rdbss.h:

sim/drivers/rdbss/../mup/mupprov.h:
