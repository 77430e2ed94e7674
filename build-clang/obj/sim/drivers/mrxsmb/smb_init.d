build-clang/obj/sim/drivers/mrxsmb/smb_init.o: \
  sim/drivers/mrxsmb/smb_init.c sim/drivers/mrxsmb/mrxsmb.h \
  sim/inc/fsim_kernel.h sim/include/ntifs.h sim/include/ntddk.h \
  sim/include/wdm.h sim/include/ntdef.h sim/include/sal.h \
  sim/include/sdkddkver.h sim/include/guiddef.h sim/include/excpt.h \
  sim/include/ntstatus.h sim/include/fsim_crt.h \
  sim/include/fsim_security.h sim/include/fsim_fileinfo.h \
  sim/include/fsim_wdm_proto.h sim/host/fltsim.h \
  sim/drivers/mrxsmb/../rdbss/rdbss.h \
  sim/drivers/mrxsmb/../smbsrv/smbsrv.h \
  sim/drivers/mrxsmb/../smbsrv/smbproto.h

sim/drivers/mrxsmb/mrxsmb.h:

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

sim/drivers/mrxsmb/../rdbss/rdbss.h:

sim/drivers/mrxsmb/../smbsrv/smbsrv.h:

sim/drivers/mrxsmb/../smbsrv/smbproto.h:
