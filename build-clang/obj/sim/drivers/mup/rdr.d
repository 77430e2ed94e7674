build-clang/obj/sim/drivers/mup/rdr.o: sim/drivers/mup/rdr.c \
  sim/inc/rdr.h sim/inc/fsim_kernel.h sim/include/ntifs.h \
  sim/include/ntddk.h sim/include/wdm.h sim/include/ntdef.h \
  sim/include/sal.h sim/include/sdkddkver.h sim/include/guiddef.h \
  sim/include/excpt.h sim/include/ntstatus.h sim/include/fsim_crt.h \
  sim/include/fsim_security.h sim/include/fsim_fileinfo.h \
  sim/include/fsim_wdm_proto.h sim/host/fltsim.h sim/drivers/mup/mupp.h \
  sim/drivers/mup/mupprov.h sim/drivers/mup/../rdbss/rdbss.h \
  sim/drivers/mup/../mrxsmb/mrxsmb.h \
  sim/drivers/mup/../mrxsmb/../rdbss/rdbss.h \
  sim/drivers/mup/../mrxsmb/../smbsrv/smbsrv.h \
  sim/drivers/mup/../mrxsmb/../smbsrv/smbproto.h \
  sim/drivers/mup/../smbsrv/smbsrv.h

sim/inc/rdr.h:

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

sim/drivers/mup/mupp.h:

sim/drivers/mup/mupprov.h:

sim/drivers/mup/../rdbss/rdbss.h:

sim/drivers/mup/../mrxsmb/mrxsmb.h:

sim/drivers/mup/../mrxsmb/../rdbss/rdbss.h:

sim/drivers/mup/../mrxsmb/../smbsrv/smbsrv.h:

sim/drivers/mup/../mrxsmb/../smbsrv/smbproto.h:

sim/drivers/mup/../smbsrv/smbsrv.h:
