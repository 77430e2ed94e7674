build-clang/obj/tests/unit/test_wdk_headers.o: \
  tests/unit/test_wdk_headers.c sim/include/ntdef.h sim/include/sal.h \
  sim/include/sdkddkver.h sim/include/guiddef.h sim/include/excpt.h \
  sim/include/ntstatus.h sim/include/fsim_fileinfo.h \
  sim/include/fsim_security.h

sim/include/ntdef.h:

sim/include/sal.h:

sim/include/sdkddkver.h:

sim/include/guiddef.h:

sim/include/excpt.h:

sim/include/ntstatus.h:

sim/include/fsim_fileinfo.h:

sim/include/fsim_security.h:
