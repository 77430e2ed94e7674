/*
 * rdbss.h - rdbss: the redirector library's interface to mini-redirectors
 * (mrxsmb) and to the CSC surrogate, in the spirit of the IFS kit's RDBSS
 * headers (rx.h, mrx.h, fcb.h, lowio.h), reduced to what this simulator
 * needs.
 *
 * Objects (one chain per remote file, all in nonpaged pool):
 *   SRV_CALL  a server the mini-redirector talks to ("\server"),
 *   NET_ROOT  a share on it ("\server\share"), claimed through MUP's prefix
 *             resolution (IOCTL_REDIR_QUERY_PATH_EX), which makes the
 *             mini-redirector connect the tree (MRxCreateVNetRoot);
 *   FCB       one per remote file or directory that has file objects,
 *             FileObject->FsContext; starts with FSRTL_ADVANCED_FCB_HEADER;
 *   SRV_OPEN  one per server open (no collapsing: each create opens the
 *             file at the server), holds the mini-redirector's handle;
 *   FOBX      one per file object, FileObject->FsContext2.
 * Each IRP gets an RX_CONTEXT.  A mini-redirector routine that starts a
 * server round trip returns STATUS_PENDING and later calls
 * RxCompleteAsynchronousRequest (RxLowIoCompletion for reads and writes)
 * with the result, at any IRQL <= DISPATCH_LEVEL; RDBSS finishes the
 * operation (FCB set-up for a create, sizes, the file position) and
 * completes the IRP, at PASSIVE_LEVEL on a worker thread if it was called
 * at DISPATCH_LEVEL.
 *
 * Neither-I/O buffers of QUERY_SECURITY, DIRECTORY_CONTROL and non-cached
 * READ/WRITE are locked by RDBSS into an MDL attached to the IRP
 * (IoAllocateMdl(Irp->UserBuffer, ..., Irp) + MmProbeAndLockPages in the
 * requesting thread); the I/O manager's completion unlocks and frees it.
 */
#ifndef RDBSS_H
#define RDBSS_H

#include <ntifs.h>

/* Node type codes (FSRTL_COMMON_FCB_HEADER.NodeTypeCode and the others). */
#define RDBSS_NTC_DATA ((CSHORT)0xEB00)
#define RDBSS_NTC_DEVICE ((CSHORT)0xEB01)
#define RDBSS_NTC_SRVCALL ((CSHORT)0xEB10)
#define RDBSS_NTC_NETROOT ((CSHORT)0xEB11)
#define RDBSS_NTC_FCB ((CSHORT)0xEB20)
#define RDBSS_NTC_SRVOPEN ((CSHORT)0xEB1C)
#define RDBSS_NTC_FOBX ((CSHORT)0xEB1D)
#define RDBSS_NTC_RX_CONTEXT ((CSHORT)0xEB1E)
#define RDBSS_NTC_MINIRDR_DISPATCH ((CSHORT)0xEB30)

/* Pool tags ("RxCt", ...). */
#define RX_TAG_CONTEXT 'tCxR'
#define RX_TAG_FCB 'cFxR'
#define RX_TAG_SRVOPEN 'oSxR'
#define RX_TAG_FOBX 'xFxR'
#define RX_TAG_NETROOT 'rNxR'
#define RX_TAG_SRVCALL 'cSxR'
#define RX_TAG_NAME 'mNxR'
#define RX_TAG_BUFFER 'fBxR'

typedef struct _RX_CONTEXT RX_CONTEXT, *PRX_CONTEXT;
typedef struct _MINIRDR_DISPATCH MINIRDR_DISPATCH, *PMINIRDR_DISPATCH;

typedef enum _RX_CONDITION {
    Condition_Uninitialized,
    Condition_InTransition,
    Condition_Good,
    Condition_Bad
} RX_CONDITION;

/* What the server says about a file (the mini-redirector fills it). */
typedef struct _RX_FILE_INFO {
    LARGE_INTEGER CreationTime;
    LARGE_INTEGER LastAccessTime;
    LARGE_INTEGER LastWriteTime;
    LARGE_INTEGER ChangeTime;
    LARGE_INTEGER AllocationSize;
    LARGE_INTEGER EndOfFile;
    LARGE_INTEGER IndexNumber;
    ULONG FileAttributes;
    ULONG NumberOfLinks;
    BOOLEAN DeletePending;
    BOOLEAN Directory;
} RX_FILE_INFO, *PRX_FILE_INFO;

typedef struct _SRV_CALL {
    CSHORT NodeTypeCode;
    CSHORT NodeByteSize;
    LIST_ENTRY Links;             /* RDBSS_DEVICE.SrvCalls */
    ULONG RefCount;               /* NET_ROOTs */
    UNICODE_STRING Name;          /* "\server" */
    PVOID Context;                /* the mini-redirector's */
} SRV_CALL, *PSRV_CALL;

#define NETROOT_FLAG_CSC 0x00000001     /* route low I/O through the CSC surrogate */
#define NETROOT_FLAG_CACHING 0x00000002 /* the server lets the client cache data */

typedef struct _NET_ROOT {
    CSHORT NodeTypeCode;
    CSHORT NodeByteSize;
    LIST_ENTRY Links;             /* RDBSS_DEVICE.NetRoots */
    PSRV_CALL SrvCall;
    RX_CONDITION Condition;
    NTSTATUS ConditionStatus;
    UNICODE_STRING Name;          /* "\server\share", as first claimed */
    ULONG Flags;                  /* NETROOT_FLAG_* */
    ULONG_PTR Context;            /* the mini-redirector's (tree id) */
    LIST_ENTRY TransitionWaiters; /* RX_CONTEXTs of claims waiting for the first */
    LIST_ENTRY Fcbs;              /* FCB.NetRootLinks, creation order */
    ULONG FcbCount;
} NET_ROOT, *PNET_ROOT;

typedef struct _FCB {
    FSRTL_ADVANCED_FCB_HEADER Header; /* must be first: FileObject->FsContext */
    FAST_MUTEX HeaderMutex;
    ERESOURCE MainResource;
    ERESOURCE PagingIoResource;
    SECTION_OBJECT_POINTERS SectionObjectPointers;
    SHARE_ACCESS ShareAccess;
    LIST_ENTRY NetRootLinks;
    PNET_ROOT NetRoot;
    UNICODE_STRING PathName;      /* below the share root, "dir\file" ("" for the root) */
    ULONG OpenCount;              /* file objects not yet closed */
    ULONG UncleanCount;           /* file objects not yet cleaned up */
    BOOLEAN Directory;
    RX_FILE_INFO Info;            /* the server's answer of the last round trip */
    LIST_ENTRY SrvOpens;
} FCB, *PFCB;

typedef struct _SRV_OPEN {
    CSHORT NodeTypeCode;
    CSHORT NodeByteSize;
    LIST_ENTRY FcbLinks;
    PFCB Fcb;
    ULONG RefCount;               /* FOBXs */
    ACCESS_MASK DesiredAccess;    /* as granted by the server */
    ULONG ShareAccess;
    ULONGLONG Context;            /* the mini-redirector's (server file id) */
} SRV_OPEN, *PSRV_OPEN;

typedef struct _FOBX {
    CSHORT NodeTypeCode;
    CSHORT NodeByteSize;
    PSRV_OPEN SrvOpen;
    PFILE_OBJECT FileObject;
    BOOLEAN EnumStarted;          /* a directory query has been sent */
} FOBX, *PFOBX;

/* Low I/O. */
#define LOWIO_OP_READ 0
#define LOWIO_OP_WRITE 1
#define LOWIO_OP_MAXIMUM 2
#define LOWIO_READWRITEFLAG_PAGING_IO 0x01

typedef struct _LOWIO_CONTEXT {
    USHORT Operation;
    USHORT Flags;
    ERESOURCE_THREAD ResourceThreadId;
    struct {
        PMDL Buffer;              /* locked: the data's pages */
        LONGLONG ByteOffset;      /* -1 (FILE_WRITE_TO_END_OF_FILE): append */
        ULONG ByteCount;
    } ReadWrite;
} LOWIO_CONTEXT, *PLOWIO_CONTEXT;

/* One IRP's context. */
struct _RX_CONTEXT {
    CSHORT NodeTypeCode;
    CSHORT NodeByteSize;
    ULONG Flags;                  /* RX_CONTEXT_FLAG_* */
    UCHAR MajorFunction;
    UCHAR MinorFunction;
    BOOLEAN CanWait;
    PIRP CurrentIrp;
    PIO_STACK_LOCATION CurrentIrpSp;
    PDEVICE_OBJECT RxDeviceObject;
    struct _RDBSS_DEVICE *RxDevice;
    PFILE_OBJECT FileObject;
    PNET_ROOT pNetRoot;
    PFCB pFcb;
    PSRV_OPEN pSrvOpen;
    PFOBX pFobx;
    PETHREAD OriginalThread;
    NTSTATUS StoredStatus;
    ULONG_PTR InformationToReturn;
    LOWIO_CONTEXT LowIoContext;
    struct {                      /* create and prefix claim */
        UNICODE_STRING PathName;  /* below the share root (pool), or the claimed "\server\share" */
        ACCESS_MASK DesiredAccess;
        ULONG Disposition;
        ULONG CreateOptions;
        ULONG ShareAccess;
        ULONG FileAttributes;
        ULONG CreateAction;       /* mini-redirector's answer */
        ACCESS_MASK GrantedAccess;
        ULONGLONG SrvOpenContext;
        ULONG ShareFlags;         /* prefix claim: NETROOT_FLAG_* */
        ULONG ClaimLength;        /* prefix claim: bytes of PathName claimed */
        BOOLEAN OpenTarget;       /* SL_OPEN_TARGET_DIRECTORY */
        USHORT FinalOffset;       /* OpenTarget: bytes of PathName before the last component */
        ULONG_PTR NetRootContext;
    } Create;
    struct {                      /* query/set information, security, directory */
        FILE_INFORMATION_CLASS FileInformationClass;
        PVOID Buffer;             /* buffered requests: the system buffer */
        ULONG Length;
        ULONG SecurityInformation;
        UCHAR DirectoryFlags;     /* SL_RESTART_SCAN, SL_RETURN_SINGLE_ENTRY */
        UNICODE_STRING Pattern;   /* directory queries (pool copy) */
        PVOID SetBuffer;          /* set information sent to the server (pool) */
        ULONG SetLength;
        RX_FILE_INFO FileInfo;    /* mini-redirector's answer */
    } Info;
    PVOID MRxContext[4];          /* the mini-redirector's */
    LIST_ENTRY TransitionLinks;   /* NET_ROOT.TransitionWaiters */
    WORK_QUEUE_ITEM WorkQueueItem; /* posting */
};

#define RX_CONTEXT_FLAG_ASYNC_OPERATION 0x00000001 /* the IRP was marked pending */
#define RX_CONTEXT_FLAG_BUFFER_LOCKED 0x00000002   /* RDBSS locked the user buffer */
#define RX_CONTEXT_FLAG_TOP_LEVEL 0x00000004
#define RX_CONTEXT_FLAG_FILE_INFO_VALID 0x00000008 /* the mini-redirector filled Info.FileInfo */

typedef NTSTATUS (*PMRX_CALLDOWN)(PRX_CONTEXT RxContext);
typedef NTSTATUS (*PMRX_CLOSE_SRVOPEN)(PRX_CONTEXT RxContext, PSRV_OPEN SrvOpen);

/*
 * The mini-redirector's routines.  Each returns STATUS_PENDING when it
 * started a round trip (and later calls RxCompleteAsynchronousRequest), or
 * the final status.  MRxCloseSrvOpen must not use RxContext after it
 * returns (IRP_MJ_CLOSE completes at once; the server close travels alone).
 */
struct _MINIRDR_DISPATCH {
    CSHORT NodeTypeCode;
    CSHORT NodeByteSize;
    ULONG MRxFlags;
    PCSTR Name;                   /* "mrxsmb" (traces) */
    PMRX_CALLDOWN MRxCreateVNetRoot;       /* connect RxContext->pNetRoot */
    PMRX_CALLDOWN MRxCreate;               /* open RxContext->Create.PathName */
    PMRX_CLOSE_SRVOPEN MRxCloseSrvOpen;
    PMRX_CALLDOWN MRxLowIOSubmit[LOWIO_OP_MAXIMUM];
    PMRX_CALLDOWN MRxQueryFileInfo;        /* fills Info.FileInfo */
    PMRX_CALLDOWN MRxSetFileInfo;          /* Info.SetBuffer/SetLength; fills Info.FileInfo */
    PMRX_CALLDOWN MRxQuerySdInfo;          /* into the IRP's buffer (RxMapSystemBuffer) */
    PMRX_CALLDOWN MRxQueryDirectory;       /* into the IRP's buffer (RxMapSystemBuffer) */
};

/* A mini-redirector's device (its DEVICE_OBJECT's extension starts with this). */
typedef struct _RDBSS_DEVICE {
    CSHORT NodeTypeCode;
    CSHORT NodeByteSize;
    PDEVICE_OBJECT DeviceObject;
    PDRIVER_OBJECT DriverObject;
    PMINIRDR_DISPATCH Dispatch;
    UNICODE_STRING DeviceName;    /* the name registered with MUP */
    HANDLE MupHandle;
    FAST_MUTEX TableLock;         /* SrvCalls, NetRoots, FCB tables */
    LIST_ENTRY SrvCalls;
    LIST_ENTRY NetRoots;
    ULONG FcbCount;
    PVOID MiniRdrExtension;       /* DeviceExtensionSize bytes after this structure */
} RDBSS_DEVICE, *PRDBSS_DEVICE;

/* RxRegisterMinirdr Controls. */
#define RX_REGISTERMINI_FLAG_DONT_PROVIDE_UNCS 0x00000001
#define RX_REGISTERMINI_FLAG_DONT_PROVIDE_MAILSLOTS 0x00000002
#define RX_REGISTERMINI_FLAG_DONT_INIT_DRIVER_DISPATCH 0x00000004

/* --- RDBSS entry points ------------------------------------------------- */

/* DriverEntry of \FileSystem\Rdbss (the library's own state). */
NTSTATUS RxDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);

/*
 * Creates the mini-redirector's (unnamed) device with DeviceExtensionSize
 * bytes for the mini-redirector after the RDBSS_DEVICE, and - unless
 * DONT_INIT_DRIVER_DISPATCH - points every MajorFunction of DriverObject at
 * RxFsdDispatch.  RxStartMinirdr registers the device with MUP.
 */
NTSTATUS RxRegisterMinirdr(PDEVICE_OBJECT *DeviceObject, PDRIVER_OBJECT DriverObject, PMINIRDR_DISPATCH Dispatch,
                           ULONG Controls, PUNICODE_STRING DeviceName, ULONG DeviceExtensionSize,
                           DEVICE_TYPE DeviceType, ULONG DeviceCharacteristics);
NTSTATUS RxStartMinirdr(PDEVICE_OBJECT DeviceObject);

/* The FSD entry: every IRP of a mini-redirector's device. */
NTSTATUS RxFsdDispatch(PDEVICE_OBJECT RxDeviceObject, PIRP Irp);

/* The result of an asynchronous mini-redirector operation (any IRQL <= DISPATCH_LEVEL). */
VOID RxCompleteAsynchronousRequest(PRX_CONTEXT RxContext, NTSTATUS Status, ULONG_PTR Information);
VOID RxLowIoCompletion(PRX_CONTEXT RxContext, NTSTATUS Status, ULONG_PTR Information);

/* The system address of the IRP's data buffer (the locked MDL's mapping or the system buffer). */
PVOID RxMapSystemBuffer(PRX_CONTEXT RxContext);

/* The mini-redirector's own dispatch table (CSC passes calls through to it). */
PMINIRDR_DISPATCH RxGetMiniRdrDispatch(PRX_CONTEXT RxContext);

PRDBSS_DEVICE RxGetDevice(PDEVICE_OBJECT DeviceObject);

/* The CSC surrogate: its routines sit between RDBSS and the mini-redirector
 * for NET_ROOTs with NETROOT_FLAG_CSC. */
NTSTATUS RxRegisterCscSurrogate(PMINIRDR_DISPATCH CscDispatch);

/*
 * The connection engine's transport IRP: an IRP with StackSize locations
 * and an MDL (IoAllocateMdl + MmBuildMdlForNonPagedPool) describing the
 * nonpaged Buffer, attached as Irp->MdlAddress.  The caller owns both:
 * RxCeFreeIrpWithMDL frees them (from its completion routine, which then
 * returns STATUS_MORE_PROCESSING_REQUIRED).
 */
PIRP RxCeAllocateIrpWithMDL(CCHAR StackSize, BOOLEAN ChargeQuota, PVOID Buffer, ULONG Length);
VOID RxCeFreeIrpWithMDL(PIRP Irp);

/* Counters (rdr.h's RDR_STATISTICS); NULL before RxDriverEntry. */
typedef struct _RX_STATISTICS {
    ULONG BuffersLocked;
    ULONG CscPassThrough;
} RX_STATISTICS;
RX_STATISTICS *RxStatistics(void);

#endif /* RDBSS_H */
