/*
 * mupprov.h - mup: the UNC provider interface between MUP and redirectors,
 * as ntifs.h documents it (FsRtlRegisterUncProviderEx, prefix resolution
 * with IOCTL_REDIR_QUERY_PATH_EX), for the simulator's built-in drivers
 * until the WDK headers declare it.
 */
#ifndef MUPPROV_H
#define MUPPROV_H

#include <ntifs.h>

#ifndef IOCTL_REDIR_QUERY_PATH
#define IOCTL_REDIR_QUERY_PATH CTL_CODE(FILE_DEVICE_NETWORK_FILE_SYSTEM, 99, METHOD_NEITHER, FILE_ANY_ACCESS)
#endif
#ifndef IOCTL_REDIR_QUERY_PATH_EX
#define IOCTL_REDIR_QUERY_PATH_EX CTL_CODE(FILE_DEVICE_NETWORK_FILE_SYSTEM, 100, METHOD_NEITHER, FILE_ANY_ACCESS)
#endif

#ifndef FSRTL_UNC_PROVIDER_FLAGS_MAILSLOTS_SUPPORTED
#define FSRTL_UNC_PROVIDER_FLAGS_MAILSLOTS_SUPPORTED 0x00000001
#define FSRTL_UNC_PROVIDER_FLAGS_CSC_ENABLED 0x00000002
#define FSRTL_UNC_PROVIDER_FLAGS_DOMAIN_SVC_AWARE 0x00000004
#endif

/* The prefix resolution request (Parameters.DeviceIoControl.Type3InputBuffer). */
typedef struct _MUP_QUERY_PATH_REQUEST_EX {
    PIO_SECURITY_CONTEXT pSecurityContext;
    ULONG EaLength;
    PVOID pEaBuffer;
    UNICODE_STRING PathName;      /* "\server\share\path" */
    UNICODE_STRING DomainServiceName;
    PVOID EcpList;
    PVOID Silo;
    ULONG_PTR Reserved;
} MUP_QUERY_PATH_REQUEST_EX, *PMUP_QUERY_PATH_REQUEST_EX;

/* The answer (Irp->UserBuffer). */
typedef struct _MUP_QUERY_PATH_RESPONSE {
    ULONG LengthAccepted;         /* bytes of PathName the provider claims */
} MUP_QUERY_PATH_RESPONSE, *PMUP_QUERY_PATH_RESPONSE;

NTSTATUS FsRtlRegisterUncProviderEx(PHANDLE MupHandle, PCUNICODE_STRING RedirDevName, PDEVICE_OBJECT DeviceObject,
                                    ULONG Flags);
VOID FsRtlDeregisterUncProvider(HANDLE Handle);

#endif /* MUPPROV_H */
