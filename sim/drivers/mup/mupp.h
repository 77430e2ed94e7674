/*
 * mupp.h - mup: private structures of the Multiple UNC Provider: the
 * registered providers (registration order), the prefix cache, the table
 * of file objects MUP has routed (keyed by FILE_OBJECT: the file object's
 * FsContext/FsContext2 belong to the provider), and the prefix resolution
 * of a create in progress.
 *
 * Frame sizes charged (bytes; "tsv" = measured in the seed's listing,
 * shared/data/frames-win10-19041-x64.tsv, else an estimate):
 *   MupFsdIrpPassThrough 0x70 tsv, MupStateMachine 0x30 tsv,
 *   MupiCallUncProvider 0x70 tsv; estimates: MupCreate 0xb0,
 *   MupiUncProviderCompletion 0x40, MupiQueryPathCompletion 0x40,
 *   MupiResolvePrefix 0x80, MupiResolveWorker 0x50.
 */
#ifndef MUPP_H
#define MUPP_H

#include <fsim_kernel.h>
#include "mupprov.h"

#ifndef STATUS_CONTINUE_COMPLETION
#define STATUS_CONTINUE_COMPLETION STATUS_SUCCESS /* wdm.h's completion-routine return */
#endif

#define MUP_TAG_PROVIDER 'vPuM' /* "MuPv" */
#define MUP_TAG_PREFIX 'cPuM'   /* "MuPc" */
#define MUP_TAG_FILE 'oFuM'     /* "MuFo" */
#define MUP_TAG_RESOLVE 'qRuM'  /* "MuRq" */

#define MUP_NTC_DEVICE ((CSHORT)0x4D01)
#define MUP_NTC_ROOT_FCB ((CSHORT)0x4D02)
#define MUP_NTC_FILE ((CSHORT)0x4D03)

typedef struct _MUP_PROVIDER {
    LIST_ENTRY Links;
    PDEVICE_OBJECT DeviceObject;
    UNICODE_STRING DeviceName;
    ULONG Flags;
    ULONG Handle;                 /* what FsRtlRegisterUncProviderEx returned */
} MUP_PROVIDER, *PMUP_PROVIDER;

typedef struct _MUP_PREFIX {
    LIST_ENTRY Links;
    UNICODE_STRING Prefix;        /* "\server\share", as claimed */
    PMUP_PROVIDER Provider;
    ULONG Hits;
} MUP_PREFIX, *PMUP_PREFIX;

/* MUP's context for one file object (the completion routine's context). */
typedef struct _MUP_FILE {
    CSHORT NodeTypeCode;
    CSHORT NodeByteSize;
    LIST_ENTRY Links;
    PFILE_OBJECT FileObject;
    PMUP_PROVIDER Provider;       /* NULL: an open of \Device\Mup itself */
} MUP_FILE, *PMUP_FILE;

/* FsContext of an open of \Device\Mup itself. */
typedef struct _MUP_ROOT_FCB {
    FSRTL_ADVANCED_FCB_HEADER Header;
    FAST_MUTEX HeaderMutex;
} MUP_ROOT_FCB;

typedef struct _MUP_DEVICE {
    CSHORT NodeTypeCode;
    CSHORT NodeByteSize;
    PDEVICE_OBJECT DeviceObject;
    KSPIN_LOCK Lock;              /* the lists below; completion routines run at any IRQL */
    LIST_ENTRY Providers;
    ULONG NextHandle;
    LIST_ENTRY Prefixes;
    LIST_ENTRY Files;
    ULONG PrefixQueries;
    ULONG PrefixCacheHits;
    MUP_ROOT_FCB RootFcb;
} MUP_DEVICE, *PMUP_DEVICE;

/* A create's prefix resolution: providers are asked one after the other. */
typedef struct _MUP_RESOLVE {
    PIRP CreateIrp;
    PMUP_DEVICE Mup;
    PMUP_PROVIDER Current;        /* the provider being asked */
    NTSTATUS BestStatus;          /* what to fail the create with if nobody claims */
    PIO_WORKITEM WorkItem;        /* continuing at PASSIVE_LEVEL */
    BOOLEAN Claimed;
    MUP_QUERY_PATH_REQUEST_EX Request;
    MUP_QUERY_PATH_RESPONSE Response;
} MUP_RESOLVE, *PMUP_RESOLVE;

NTSTATUS MupDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);
PMUP_DEVICE MupGetDevice(void);

/* Exported so stack locations and reports can name them. */
NTSTATUS MupCreate(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS MupFsdIrpPassThrough(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS MupiUncProviderCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context);
NTSTATUS MupiQueryPathCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context);

#endif /* MUPP_H */
