/*
 * fltKernel.h - fltsim: the Filter Manager interface a minifilter compiles
 * against (registration tables, callback data, parameters, contexts, names,
 * ports, work items and the Flt* routines).
 *
 * Structures keep the WDK's member names, order and x64 layout: drivers fill
 * FLT_REGISTRATION, FLT_OPERATION_REGISTRATION and FLT_CONTEXT_REGISTRATION
 * positionally, and some walk FltMgr buffers by offset.  The layout is
 * checked by the _Static_assert block near the end of this file.
 *
 * In driver builds (FLTSIM_KERNEL not defined) every Flt* routine is also a
 * function-like macro that records the caller's file:line before the call
 * (see fsim_ddi.h); taking a routine's address is unaffected.
 */
#ifndef __FLTKERNEL__
#define __FLTKERNEL__

#include <ntifs.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Versions, decorations, helpers                                           */
/* ------------------------------------------------------------------------ */

#define FLT_MGR_BASELINE (NTDDI_VERSION >= NTDDI_VISTA)
#define FLT_MGR_AFTER_XPSP2 (NTDDI_VERSION >= NTDDI_VISTA)
#define FLT_MGR_LONGHORN (NTDDI_VERSION >= NTDDI_VISTA)
#define FLT_MGR_WIN7 (NTDDI_VERSION >= NTDDI_WIN7)
#define FLT_MGR_WIN8 (NTDDI_VERSION >= NTDDI_WIN8)
#define FLT_MGR_WINBLUE (NTDDI_VERSION >= NTDDI_WINBLUE)
#define FLT_MGR_WIN10 (NTDDI_VERSION >= NTDDI_WIN10)

#define FLTAPI NTAPI

/* Asserts route to the kernel's NT_ASSERT so the simulator can check them. */
#define FLT_ASSERT(_e) NT_ASSERT(_e)
#define FLT_ASSERTMSG(_m, _e) NT_ASSERTMSG(_m, _e)

#ifndef POINTER_ALIGNMENT
#define POINTER_ALIGNMENT __attribute__((aligned(8)))
#endif

#ifndef Add2Ptr
#define Add2Ptr(P, I) ((PVOID)((PUCHAR)(P) + (I)))
#endif
#ifndef PtrOffset
#define PtrOffset(B, O) ((ULONG)((ULONG_PTR)(O) - (ULONG_PTR)(B)))
#endif
#ifndef ROUND_TO_SIZE
#define ROUND_TO_SIZE(_length, _alignment) \
    ((((ULONG_PTR)(_length)) + ((_alignment) - 1)) & ~(ULONG_PTR)((_alignment) - 1))
#endif
#ifndef IS_ALIGNED
#define IS_ALIGNED(_pointer, _alignment) \
    ((((ULONG_PTR)(_pointer)) & ((_alignment) - 1)) == 0)
#endif

/*
 * Fields the WDK declares CONST (FLT_CALLBACK_DATA.Thread/Iopb and the
 * FLT_RELATED_OBJECTS members) are read-only to drivers; the simulator's own
 * FltMgr sources fill them in, so there they are writable.  Same layout.
 */
#ifdef FLTSIM_KERNEL
#define FLTP_RO
#else
#define FLTP_RO const
#endif

/* ------------------------------------------------------------------------ */
/* Interim prerequisites                                                    */
/* ------------------------------------------------------------------------ */

/*
 * Types this header needs that belong to wdm.h/ntifs.h in the WDK but are
 * not declared by fltsim's copies yet.  Once ntifs.h provides all of them it
 * defines FSIM_FLTMGR_PREREQS and this block drops out.  Values and layouts
 * are the WDK's.
 */
#ifndef FSIM_FLTMGR_PREREQS
#define FSIM_FLTMGR_PREREQS 1

typedef struct _CM_RESOURCE_LIST *PCM_RESOURCE_LIST;
typedef struct _IO_RESOURCE_REQUIREMENTS_LIST *PIO_RESOURCE_REQUIREMENTS_LIST;
typedef struct _INTERFACE *PINTERFACE;
typedef struct _DEVICE_CAPABILITIES *PDEVICE_CAPABILITIES;
typedef struct _FILE_GET_QUOTA_INFORMATION *PFILE_GET_QUOTA_INFORMATION;
typedef struct _FILE_LOCK *PFILE_LOCK;
typedef struct _FILE_LOCK_INFO *PFILE_LOCK_INFO;

typedef enum _BUS_QUERY_ID_TYPE {
    BusQueryDeviceID = 0,
    BusQueryHardwareIDs = 1,
    BusQueryCompatibleIDs = 2,
    BusQueryInstanceID = 3,
    BusQueryDeviceSerialNumber = 4,
    BusQueryContainerID = 5
} BUS_QUERY_ID_TYPE, *PBUS_QUERY_ID_TYPE;

typedef enum _DEVICE_TEXT_TYPE {
    DeviceTextDescription = 0,
    DeviceTextLocationInformation = 1
} DEVICE_TEXT_TYPE, *PDEVICE_TEXT_TYPE;

typedef enum _DEVICE_USAGE_NOTIFICATION_TYPE {
    DeviceUsageTypeUndefined,
    DeviceUsageTypePaging,
    DeviceUsageTypeHibernation,
    DeviceUsageTypeDumpFile,
    DeviceUsageTypeBoot,
    DeviceUsageTypePostDisplay,
    DeviceUsageTypeGuestAssigned
} DEVICE_USAGE_NOTIFICATION_TYPE;

typedef enum _IO_PRIORITY_HINT {
    IoPriorityVeryLow = 0,
    IoPriorityLow,
    IoPriorityNormal,
    IoPriorityHigh,
    IoPriorityCritical,
    MaxIoPriorityTypes
} IO_PRIORITY_HINT;

typedef ULONG NOTIFICATION_MASK;

typedef ULONG FSRTL_ALLOCATE_ECPLIST_FLAGS;
typedef ULONG FSRTL_ALLOCATE_ECP_FLAGS;
typedef VOID NTAPI FSRTL_EXTRA_CREATE_PARAMETER_CLEANUP_CALLBACK(
    _Inout_ PVOID EcpContext,
    _In_ LPCGUID EcpType);
typedef FSRTL_EXTRA_CREATE_PARAMETER_CLEANUP_CALLBACK *PFSRTL_EXTRA_CREATE_PARAMETER_CLEANUP_CALLBACK;

typedef PVOID OPLOCK, *POPLOCK;

typedef VOID NTAPI UNLOCK_ROUTINE(
    _In_ PVOID Context,
    _In_ PFILE_LOCK_INFO FileLockInfo);
typedef UNLOCK_ROUTINE *PUNLOCK_ROUTINE;

/* Cancel-safe IRP queue (wdm.h). */
#define IO_TYPE_CSQ_IRP_CONTEXT 1
#define IO_TYPE_CSQ 2
#define IO_TYPE_CSQ_EX 3

typedef struct _IO_CSQ IO_CSQ, *PIO_CSQ;

typedef VOID IO_CSQ_INSERT_IRP(_In_ struct _IO_CSQ *Csq, _In_ PIRP Irp);
typedef IO_CSQ_INSERT_IRP *PIO_CSQ_INSERT_IRP;
typedef NTSTATUS IO_CSQ_INSERT_IRP_EX(_In_ struct _IO_CSQ *Csq, _In_ PIRP Irp, _In_ PVOID InsertContext);
typedef IO_CSQ_INSERT_IRP_EX *PIO_CSQ_INSERT_IRP_EX;
typedef VOID IO_CSQ_REMOVE_IRP(_In_ PIO_CSQ Csq, _In_ PIRP Irp);
typedef IO_CSQ_REMOVE_IRP *PIO_CSQ_REMOVE_IRP;
typedef PIRP IO_CSQ_PEEK_NEXT_IRP(_In_ PIO_CSQ Csq, _In_opt_ PIRP Irp, _In_opt_ PVOID PeekContext);
typedef IO_CSQ_PEEK_NEXT_IRP *PIO_CSQ_PEEK_NEXT_IRP;
typedef VOID IO_CSQ_ACQUIRE_LOCK(_In_ PIO_CSQ Csq, _Out_ PKIRQL Irql);
typedef IO_CSQ_ACQUIRE_LOCK *PIO_CSQ_ACQUIRE_LOCK;
typedef VOID IO_CSQ_RELEASE_LOCK(_In_ PIO_CSQ Csq, _In_ KIRQL Irql);
typedef IO_CSQ_RELEASE_LOCK *PIO_CSQ_RELEASE_LOCK;
typedef VOID IO_CSQ_COMPLETE_CANCELED_IRP(_In_ PIO_CSQ Csq, _In_ PIRP Irp);
typedef IO_CSQ_COMPLETE_CANCELED_IRP *PIO_CSQ_COMPLETE_CANCELED_IRP;

struct _IO_CSQ {
    ULONG Type;
    PIO_CSQ_INSERT_IRP CsqInsertIrp;
    PIO_CSQ_REMOVE_IRP CsqRemoveIrp;
    PIO_CSQ_PEEK_NEXT_IRP CsqPeekNextIrp;
    PIO_CSQ_ACQUIRE_LOCK CsqAcquireLock;
    PIO_CSQ_RELEASE_LOCK CsqReleaseLock;
    PIO_CSQ_COMPLETE_CANCELED_IRP CsqCompleteCanceledIrp;
    PVOID ReservePointer;
};

typedef struct _IO_CSQ_IRP_CONTEXT {
    ULONG Type;
    PIRP Irp;
    PIO_CSQ Csq;
} IO_CSQ_IRP_CONTEXT, *PIO_CSQ_IRP_CONTEXT;

#endif /* FSIM_FLTMGR_PREREQS */

/* ------------------------------------------------------------------------ */
/* Opaque FltMgr objects                                                    */
/* ------------------------------------------------------------------------ */

typedef struct _FLT_FILTER *PFLT_FILTER;
typedef struct _FLT_VOLUME *PFLT_VOLUME;
typedef struct _FLT_INSTANCE *PFLT_INSTANCE;
typedef struct _FLT_PORT *PFLT_PORT;
typedef struct _FLT_DEFERRED_IO_WORKITEM *PFLT_DEFERRED_IO_WORKITEM;
typedef struct _FLT_GENERIC_WORKITEM *PFLT_GENERIC_WORKITEM;

/* A context is the driver's own structure; FltMgr hands out its address. */
typedef PVOID PFLT_CONTEXT;
#define NULL_CONTEXT ((PFLT_CONTEXT)NULL)

/* ------------------------------------------------------------------------ */
/* FltMgr pseudo major functions and the registration terminator            */
/* (IRP_MJ_CREATE .. IRP_MJ_MAXIMUM_FUNCTION come from wdm.h)               */
/* ------------------------------------------------------------------------ */

#define IRP_MJ_ACQUIRE_FOR_SECTION_SYNCHRONIZATION ((UCHAR)-1)
#define IRP_MJ_RELEASE_FOR_SECTION_SYNCHRONIZATION ((UCHAR)-2)
#define IRP_MJ_ACQUIRE_FOR_MOD_WRITE ((UCHAR)-3)
#define IRP_MJ_RELEASE_FOR_MOD_WRITE ((UCHAR)-4)
#define IRP_MJ_ACQUIRE_FOR_CC_FLUSH ((UCHAR)-5)
#define IRP_MJ_RELEASE_FOR_CC_FLUSH ((UCHAR)-6)
#define IRP_MJ_QUERY_OPEN ((UCHAR)-7)
#define IRP_MJ_FAST_IO_CHECK_IF_POSSIBLE ((UCHAR)-13)
#define IRP_MJ_NETWORK_QUERY_OPEN ((UCHAR)-14)
#define IRP_MJ_MDL_READ ((UCHAR)-15)
#define IRP_MJ_MDL_READ_COMPLETE ((UCHAR)-16)
#define IRP_MJ_PREPARE_MDL_WRITE ((UCHAR)-17)
#define IRP_MJ_MDL_WRITE_COMPLETE ((UCHAR)-18)
#define IRP_MJ_VOLUME_MOUNT ((UCHAR)-19)
#define IRP_MJ_VOLUME_DISMOUNT ((UCHAR)-20)

#define IRP_MJ_OPERATION_END ((UCHAR)0x80)

/* ------------------------------------------------------------------------ */
/* Flag words and enumerations                                              */
/* ------------------------------------------------------------------------ */

typedef ULONG FLT_REGISTRATION_FLAGS;
#define FLTFL_REGISTRATION_DO_NOT_SUPPORT_SERVICE_STOP 0x00000001
#define FLTFL_REGISTRATION_SUPPORT_NPFS_MSFS 0x00000002
#define FLTFL_REGISTRATION_SUPPORT_DAX_VOLUME 0x00000004
#define FLTFL_REGISTRATION_SUPPORT_WCOS 0x00000008

#define FLT_REGISTRATION_VERSION_0200 0x0200
#define FLT_REGISTRATION_VERSION_0201 0x0201
#define FLT_REGISTRATION_VERSION_0202 0x0202
#define FLT_REGISTRATION_VERSION_0203 0x0203
#if NTDDI_VERSION >= NTDDI_WIN8
#define FLT_REGISTRATION_VERSION FLT_REGISTRATION_VERSION_0203
#elif NTDDI_VERSION >= NTDDI_VISTA
#define FLT_REGISTRATION_VERSION FLT_REGISTRATION_VERSION_0202
#else
#define FLT_REGISTRATION_VERSION FLT_REGISTRATION_VERSION_0200
#endif

typedef USHORT FLT_CONTEXT_TYPE;
#define FLT_VOLUME_CONTEXT 0x0001
#define FLT_INSTANCE_CONTEXT 0x0002
#define FLT_FILE_CONTEXT 0x0004
#define FLT_STREAM_CONTEXT 0x0008
#define FLT_STREAMHANDLE_CONTEXT 0x0010
#define FLT_TRANSACTION_CONTEXT 0x0020
#define FLT_SECTION_CONTEXT 0x0040
#define FLT_CONTEXT_END 0xffff
#define FLT_ALL_CONTEXTS 0xffff

typedef USHORT FLT_CONTEXT_REGISTRATION_FLAGS;
#define FLTFL_CONTEXT_REGISTRATION_NO_EXACT_SIZE_MATCH 0x0001

#define FLT_VARIABLE_SIZED_CONTEXTS ((SIZE_T)-1)

typedef ULONG FLT_OPERATION_REGISTRATION_FLAGS;
#define FLTFL_OPERATION_REGISTRATION_SKIP_PAGING_IO 0x00000001
#define FLTFL_OPERATION_REGISTRATION_SKIP_CACHED_IO 0x00000002
#define FLTFL_OPERATION_REGISTRATION_SKIP_NON_DASD_IO 0x00000004
#define FLTFL_OPERATION_REGISTRATION_SKIP_NON_CACHED_NON_PAGING_IO 0x00000008

typedef enum _FLT_PREOP_CALLBACK_STATUS {
    FLT_PREOP_SUCCESS_WITH_CALLBACK,
    FLT_PREOP_SUCCESS_NO_CALLBACK,
    FLT_PREOP_PENDING,
    FLT_PREOP_DISALLOW_FASTIO,
    FLT_PREOP_COMPLETE,
    FLT_PREOP_SYNCHRONIZE,
    FLT_PREOP_DISALLOW_FSFILTER_IO
} FLT_PREOP_CALLBACK_STATUS, *PFLT_PREOP_CALLBACK_STATUS;

typedef enum _FLT_POSTOP_CALLBACK_STATUS {
    FLT_POSTOP_FINISHED_PROCESSING,
    FLT_POSTOP_MORE_PROCESSING_REQUIRED,
    FLT_POSTOP_DISALLOW_FSFILTER_IO
} FLT_POSTOP_CALLBACK_STATUS, *PFLT_POSTOP_CALLBACK_STATUS;

typedef ULONG FLT_POST_OPERATION_FLAGS;
#define FLTFL_POST_OPERATION_DRAINING 0x00000001

typedef ULONG FLT_CALLBACK_DATA_FLAGS;
#define FLTFL_CALLBACK_DATA_REISSUE_MASK 0x0000FFFF
#define FLTFL_CALLBACK_DATA_IRP_OPERATION 0x00000001
#define FLTFL_CALLBACK_DATA_FAST_IO_OPERATION 0x00000002
#define FLTFL_CALLBACK_DATA_FS_FILTER_OPERATION 0x00000004
#define FLTFL_CALLBACK_DATA_SYSTEM_BUFFER 0x00000008
#define FLTFL_CALLBACK_DATA_GENERATED_IO 0x00010000
#define FLTFL_CALLBACK_DATA_REISSUED_IO 0x00020000
#define FLTFL_CALLBACK_DATA_DRAINING_IO 0x00040000
#define FLTFL_CALLBACK_DATA_POST_OPERATION 0x00080000
#define FLTFL_CALLBACK_DATA_NEW_SYSTEM_BUFFER 0x00100000
#define FLTFL_CALLBACK_DATA_DIRTY 0x80000000

typedef ULONG FLT_INSTANCE_SETUP_FLAGS;
#define FLTFL_INSTANCE_SETUP_AUTOMATIC_ATTACHMENT 0x00000001
#define FLTFL_INSTANCE_SETUP_MANUAL_ATTACHMENT 0x00000002
#define FLTFL_INSTANCE_SETUP_NEWLY_MOUNTED_VOLUME 0x00000004
#define FLTFL_INSTANCE_SETUP_DETACHED_VOLUME 0x00000008

typedef ULONG FLT_INSTANCE_QUERY_TEARDOWN_FLAGS;

typedef ULONG FLT_INSTANCE_TEARDOWN_FLAGS;
#define FLTFL_INSTANCE_TEARDOWN_MANUAL 0x00000001
#define FLTFL_INSTANCE_TEARDOWN_FILTER_UNLOAD 0x00000002
#define FLTFL_INSTANCE_TEARDOWN_MANDATORY_FILTER_UNLOAD 0x00000004
#define FLTFL_INSTANCE_TEARDOWN_VOLUME_DISMOUNT 0x00000008
#define FLTFL_INSTANCE_TEARDOWN_INTERNAL_ERROR 0x00000010

typedef ULONG FLT_FILTER_UNLOAD_FLAGS;
#define FLTFL_FILTER_UNLOAD_MANDATORY 0x00000001

typedef ULONG FLT_FILE_NAME_OPTIONS;
#define FLT_VALID_FILE_NAME_FORMATS 0x000000ff
#define FLT_FILE_NAME_NORMALIZED 0x01
#define FLT_FILE_NAME_OPENED 0x02
#define FLT_FILE_NAME_SHORT 0x03
#define FltGetFileNameFormat(_NameOptions) ((_NameOptions) & FLT_VALID_FILE_NAME_FORMATS)
#define FLT_VALID_FILE_NAME_QUERY_METHODS 0x0000ff00
#define FLT_FILE_NAME_QUERY_DEFAULT 0x0100
#define FLT_FILE_NAME_QUERY_CACHE_ONLY 0x0200
#define FLT_FILE_NAME_QUERY_FILESYSTEM_ONLY 0x0300
#define FLT_FILE_NAME_QUERY_ALWAYS_ALLOW_CACHE_LOOKUP 0x0400
#define FltGetFileNameQueryMethod(_NameOptions) ((_NameOptions) & FLT_VALID_FILE_NAME_QUERY_METHODS)
#define FLT_VALID_FILE_NAME_FLAGS 0xff000000
#define FLT_FILE_NAME_REQUEST_FROM_CURRENT_PROVIDER 0x01000000
#define FLT_FILE_NAME_DO_NOT_CACHE 0x02000000
#define FLT_FILE_NAME_ALLOW_QUERY_ON_REPARSE 0x04000000

typedef USHORT FLT_FILE_NAME_PARSED_FLAGS;
#define FLTFL_FILE_NAME_PARSED_FINAL_COMPONENT 0x0001
#define FLTFL_FILE_NAME_PARSED_EXTENSION 0x0002
#define FLTFL_FILE_NAME_PARSED_STREAM 0x0004
#define FLTFL_FILE_NAME_PARSED_PARENT_DIR 0x0008

typedef ULONG FLT_NORMALIZE_NAME_FLAGS;
#define FLTFL_NORMALIZE_NAME_CASE_SENSITIVE 0x01
#define FLTFL_NORMALIZE_NAME_DESTINATION_FILE_NAME 0x02

typedef ULONG FLT_IO_OPERATION_FLAGS;
#define FLTFL_IO_OPERATION_NON_CACHED 0x00000001
#define FLTFL_IO_OPERATION_PAGING 0x00000002
#define FLTFL_IO_OPERATION_DO_NOT_UPDATE_BYTE_OFFSET 0x00000004
#define FLTFL_IO_OPERATION_SYNCHRONOUS_PAGING 0x00000008

typedef ULONG FLT_ALLOCATE_CALLBACK_DATA_FLAGS;
#define FLT_ALLOCATE_CALLBACK_DATA_PREALLOCATE_ALL_MEMORY 0x00000001

typedef enum _FLT_SET_CONTEXT_OPERATION {
    FLT_SET_CONTEXT_REPLACE_IF_EXISTS,
    FLT_SET_CONTEXT_KEEP_IF_EXISTS
} FLT_SET_CONTEXT_OPERATION, *PFLT_SET_CONTEXT_OPERATION;

#define FLT_PORT_CONNECT 0x0001
#define FLT_PORT_ALL_ACCESS (FLT_PORT_CONNECT | STANDARD_RIGHTS_ALL)

#define FLT_MAX_TRANSACTION_NOTIFICATIONS                              \
    (TRANSACTION_NOTIFY_PREPREPARE | TRANSACTION_NOTIFY_PREPARE |      \
     TRANSACTION_NOTIFY_COMMIT | TRANSACTION_NOTIFY_ROLLBACK |         \
     TRANSACTION_NOTIFY_COMMIT_FINALIZE)

/* File system behind a volume (fltUserStructures.h in the WDK). */
typedef enum _FLT_FILESYSTEM_TYPE {
    FLT_FSTYPE_UNKNOWN,
    FLT_FSTYPE_RAW,
    FLT_FSTYPE_NTFS,
    FLT_FSTYPE_FAT,
    FLT_FSTYPE_CDFS,
    FLT_FSTYPE_UDFS,
    FLT_FSTYPE_LANMAN,
    FLT_FSTYPE_WEBDAV,
    FLT_FSTYPE_RDPDR,
    FLT_FSTYPE_NFS,
    FLT_FSTYPE_MS_NETWARE,
    FLT_FSTYPE_NETWARE,
    FLT_FSTYPE_BSUDF,
    FLT_FSTYPE_MUP,
    FLT_FSTYPE_RSFX,
    FLT_FSTYPE_ROXIO_UDF1,
    FLT_FSTYPE_ROXIO_UDF2,
    FLT_FSTYPE_ROXIO_UDF3,
    FLT_FSTYPE_TACIT,
    FLT_FSTYPE_FS_REC,
    FLT_FSTYPE_INCD,
    FLT_FSTYPE_INCD_FAT,
    FLT_FSTYPE_EXFAT,
    FLT_FSTYPE_PSFS,
    FLT_FSTYPE_GPFS,
    FLT_FSTYPE_NPFS,
    FLT_FSTYPE_MSFS,
    FLT_FSTYPE_CSVFS,
    FLT_FSTYPE_REFS,
    FLT_FSTYPE_OPENAFS,
    FLT_FSTYPE_CIMFS
} FLT_FILESYSTEM_TYPE, *PFLT_FILESYSTEM_TYPE;

/* Information classes for FltGet*Information (fltUserStructures.h). */
typedef enum _FILTER_INFORMATION_CLASS {
    FilterFullInformation,
    FilterAggregateBasicInformation,
    FilterAggregateStandardInformation
} FILTER_INFORMATION_CLASS, *PFILTER_INFORMATION_CLASS;

typedef enum _FILTER_VOLUME_INFORMATION_CLASS {
    FilterVolumeBasicInformation,
    FilterVolumeStandardInformation
} FILTER_VOLUME_INFORMATION_CLASS, *PFILTER_VOLUME_INFORMATION_CLASS;

typedef enum _INSTANCE_INFORMATION_CLASS {
    InstanceBasicInformation,
    InstancePartialInformation,
    InstanceFullInformation,
    InstanceAggregateStandardInformation
} INSTANCE_INFORMATION_CLASS, *PINSTANCE_INFORMATION_CLASS;

typedef struct _FILTER_FULL_INFORMATION {
    ULONG NextEntryOffset;
    ULONG FrameID;
    ULONG NumberOfInstances;
    USHORT FilterNameLength;
    WCHAR FilterNameBuffer[1];
} FILTER_FULL_INFORMATION, *PFILTER_FULL_INFORMATION;

#define FLTFL_AGGREGATE_INFO_IS_MINIFILTER 0x00000001
#define FLTFL_AGGREGATE_INFO_IS_LEGACYFILTER 0x00000002

typedef struct _FILTER_AGGREGATE_BASIC_INFORMATION {
    ULONG NextEntryOffset;
    ULONG Flags;
    union {
        struct {
            ULONG FrameID;
            ULONG NumberOfInstances;
            USHORT FilterNameLength;
            USHORT FilterNameBufferOffset;
            USHORT FilterAltitudeLength;
            USHORT FilterAltitudeBufferOffset;
        } MiniFilter;
        struct {
            USHORT FilterNameLength;
            USHORT FilterNameBufferOffset;
        } LegacyFilter;
    } Type;
} FILTER_AGGREGATE_BASIC_INFORMATION, *PFILTER_AGGREGATE_BASIC_INFORMATION;

typedef struct _FILTER_VOLUME_BASIC_INFORMATION {
    USHORT FilterVolumeNameLength;
    WCHAR FilterVolumeName[1];
} FILTER_VOLUME_BASIC_INFORMATION, *PFILTER_VOLUME_BASIC_INFORMATION;

typedef struct _FILTER_VOLUME_STANDARD_INFORMATION {
    ULONG NextEntryOffset;
    ULONG Flags;
    ULONG FrameID;
    FLT_FILESYSTEM_TYPE FileSystemType;
    USHORT FilterVolumeNameLength;
    WCHAR FilterVolumeName[1];
} FILTER_VOLUME_STANDARD_INFORMATION, *PFILTER_VOLUME_STANDARD_INFORMATION;

typedef struct _INSTANCE_BASIC_INFORMATION {
    ULONG NextEntryOffset;
    USHORT InstanceNameLength;
    USHORT InstanceNameBufferOffset;
} INSTANCE_BASIC_INFORMATION, *PINSTANCE_BASIC_INFORMATION;

typedef struct _INSTANCE_PARTIAL_INFORMATION {
    ULONG NextEntryOffset;
    USHORT InstanceNameLength;
    USHORT InstanceNameBufferOffset;
    USHORT AltitudeLength;
    USHORT AltitudeBufferOffset;
} INSTANCE_PARTIAL_INFORMATION, *PINSTANCE_PARTIAL_INFORMATION;

typedef struct _INSTANCE_FULL_INFORMATION {
    ULONG NextEntryOffset;
    USHORT InstanceNameLength;
    USHORT InstanceNameBufferOffset;
    USHORT AltitudeLength;
    USHORT AltitudeBufferOffset;
    USHORT VolumeNameLength;
    USHORT VolumeNameBufferOffset;
    USHORT FilterNameLength;
    USHORT FilterNameBufferOffset;
} INSTANCE_FULL_INFORMATION, *PINSTANCE_FULL_INFORMATION;

#define FLTFL_IASI_IS_MINIFILTER 0x00000001
#define FLTFL_IASI_IS_LEGACYFILTER 0x00000002

typedef struct _INSTANCE_AGGREGATE_STANDARD_INFORMATION {
    ULONG NextEntryOffset;
    ULONG Flags;
    union {
        struct {
            ULONG Flags;
            ULONG FrameID;
            FLT_FILESYSTEM_TYPE VolumeFileSystemType;
            USHORT InstanceNameLength;
            USHORT InstanceNameBufferOffset;
            USHORT AltitudeLength;
            USHORT AltitudeBufferOffset;
            USHORT VolumeNameLength;
            USHORT VolumeNameBufferOffset;
            USHORT FilterNameLength;
            USHORT FilterNameBufferOffset;
            ULONG SupportedFeatures;
        } MiniFilter;
        struct {
            ULONG Flags;
            USHORT AltitudeLength;
            USHORT AltitudeBufferOffset;
            USHORT VolumeNameLength;
            USHORT VolumeNameBufferOffset;
            USHORT FilterNameLength;
            USHORT FilterNameBufferOffset;
            ULONG SupportedFeatures;
        } LegacyFilter;
    } Type;
} INSTANCE_AGGREGATE_STANDARD_INFORMATION, *PINSTANCE_AGGREGATE_STANDARD_INFORMATION;

/* ------------------------------------------------------------------------ */
/* Operation parameters                                                     */
/* ------------------------------------------------------------------------ */

/*
 * One arm per major function.  POINTER_ALIGNMENT members start on an 8-byte
 * boundary exactly as in the x64 WDK; the union is 48 bytes.
 */
typedef union _FLT_PARAMETERS {

    struct {
        PIO_SECURITY_CONTEXT SecurityContext;
        ULONG Options;
        USHORT POINTER_ALIGNMENT FileAttributes;
        USHORT ShareAccess;
        ULONG POINTER_ALIGNMENT EaLength;
        PVOID EaBuffer;
        LARGE_INTEGER AllocationSize;
    } Create;

    struct {
        PIO_SECURITY_CONTEXT SecurityContext;
        ULONG Options;
        USHORT POINTER_ALIGNMENT Reserved;
        USHORT ShareAccess;
        PVOID Parameters; /* PNAMED_PIPE_CREATE_PARAMETERS */
    } CreatePipe;

    struct {
        PIO_SECURITY_CONTEXT SecurityContext;
        ULONG Options;
        USHORT POINTER_ALIGNMENT Reserved;
        USHORT ShareAccess;
        PVOID Parameters; /* PMAILSLOT_CREATE_PARAMETERS */
    } CreateMailslot;

    struct {
        ULONG Length;
        ULONG POINTER_ALIGNMENT Key;
        LARGE_INTEGER ByteOffset;
        PVOID ReadBuffer;
        PMDL MdlAddress;
    } Read;

    struct {
        ULONG Length;
        ULONG POINTER_ALIGNMENT Key;
        LARGE_INTEGER ByteOffset;
        PVOID WriteBuffer;
        PMDL MdlAddress;
    } Write;

    struct {
        ULONG Length;
        FILE_INFORMATION_CLASS POINTER_ALIGNMENT FileInformationClass;
        PVOID InfoBuffer;
    } QueryFileInformation;

    struct {
        ULONG Length;
        FILE_INFORMATION_CLASS POINTER_ALIGNMENT FileInformationClass;
        PFILE_OBJECT ParentOfTarget;
        union {
            struct {
                BOOLEAN ReplaceIfExists;
                BOOLEAN AdvanceOnly;
            };
            ULONG ClusterCount;
            HANDLE DeleteHandle;
        };
        PVOID InfoBuffer;
    } SetFileInformation;

    struct {
        ULONG Length;
        PVOID EaList;
        ULONG EaListLength;
        ULONG POINTER_ALIGNMENT EaIndex;
        PVOID EaBuffer;
        PMDL MdlAddress;
    } QueryEa;

    struct {
        ULONG Length;
        PVOID EaBuffer;
        PMDL MdlAddress;
    } SetEa;

    struct {
        ULONG Length;
        FS_INFORMATION_CLASS POINTER_ALIGNMENT FsInformationClass;
        PVOID VolumeBuffer;
    } QueryVolumeInformation;

    struct {
        ULONG Length;
        FS_INFORMATION_CLASS POINTER_ALIGNMENT FsInformationClass;
        PVOID VolumeBuffer;
    } SetVolumeInformation;

    union {
        struct {
            ULONG Length;
            PUNICODE_STRING FileName;
            FILE_INFORMATION_CLASS FileInformationClass;
            ULONG POINTER_ALIGNMENT FileIndex;
            PVOID DirectoryBuffer;
            PMDL MdlAddress;
        } QueryDirectory;

        struct {
            ULONG Length;
            ULONG POINTER_ALIGNMENT CompletionFilter;
            ULONG Spare1;
            ULONG POINTER_ALIGNMENT Spare2;
            PVOID DirectoryBuffer;
            PMDL MdlAddress;
        } NotifyDirectory;

        struct {
            ULONG Length;
            ULONG POINTER_ALIGNMENT CompletionFilter;
            DIRECTORY_NOTIFY_INFORMATION_CLASS DirectoryNotifyInformationClass;
            ULONG POINTER_ALIGNMENT Spare2;
            PVOID DirectoryBuffer;
            PMDL MdlAddress;
        } NotifyDirectoryEx;
    } DirectoryControl;

    union {
        struct {
            PVPB Vpb;
            PDEVICE_OBJECT DeviceObject;
        } VerifyVolume;

        struct {
            ULONG OutputBufferLength;
            ULONG POINTER_ALIGNMENT InputBufferLength;
            ULONG POINTER_ALIGNMENT FsControlCode;
        } Common;

        struct {
            ULONG OutputBufferLength;
            ULONG POINTER_ALIGNMENT InputBufferLength;
            ULONG POINTER_ALIGNMENT FsControlCode;
            PVOID InputBuffer;
            PVOID OutputBuffer;
            PMDL OutputMdlAddress;
        } Neither;

        struct {
            ULONG OutputBufferLength;
            ULONG POINTER_ALIGNMENT InputBufferLength;
            ULONG POINTER_ALIGNMENT FsControlCode;
            PVOID SystemBuffer;
        } Buffered;

        struct {
            ULONG OutputBufferLength;
            ULONG POINTER_ALIGNMENT InputBufferLength;
            ULONG POINTER_ALIGNMENT FsControlCode;
            PVOID InputSystemBuffer;
            PVOID OutputBuffer;
            PMDL OutputMdlAddress;
        } Direct;
    } FileSystemControl;

    union {
        struct {
            ULONG OutputBufferLength;
            ULONG POINTER_ALIGNMENT InputBufferLength;
            ULONG POINTER_ALIGNMENT IoControlCode;
        } Common;

        struct {
            ULONG OutputBufferLength;
            ULONG POINTER_ALIGNMENT InputBufferLength;
            ULONG POINTER_ALIGNMENT IoControlCode;
            PVOID InputBuffer;
            PVOID OutputBuffer;
            PMDL OutputMdlAddress;
        } Neither;

        struct {
            ULONG OutputBufferLength;
            ULONG POINTER_ALIGNMENT InputBufferLength;
            ULONG POINTER_ALIGNMENT IoControlCode;
            PVOID SystemBuffer;
        } Buffered;

        struct {
            ULONG OutputBufferLength;
            ULONG POINTER_ALIGNMENT InputBufferLength;
            ULONG POINTER_ALIGNMENT IoControlCode;
            PVOID InputSystemBuffer;
            PVOID OutputBuffer;
            PMDL OutputMdlAddress;
        } Direct;

        struct {
            ULONG OutputBufferLength;
            ULONG POINTER_ALIGNMENT InputBufferLength;
            ULONG POINTER_ALIGNMENT IoControlCode;
            PVOID InputBuffer;
            PVOID OutputBuffer;
        } FastIo;
    } DeviceIoControl;

    struct {
        PLARGE_INTEGER Length;
        ULONG POINTER_ALIGNMENT Key;
        LARGE_INTEGER ByteOffset;
        PEPROCESS ProcessId;
        BOOLEAN FailImmediately;
        BOOLEAN ExclusiveLock;
    } LockControl;

    struct {
        SECURITY_INFORMATION SecurityInformation;
        ULONG POINTER_ALIGNMENT Length;
        PVOID SecurityBuffer;
        PMDL MdlAddress;
    } QuerySecurity;

    struct {
        SECURITY_INFORMATION SecurityInformation;
        PSECURITY_DESCRIPTOR SecurityDescriptor;
    } SetSecurity;

    struct {
        ULONG_PTR ProviderId;
        PVOID DataPath;
        ULONG BufferSize;
        PVOID Buffer;
    } WMI;

    struct {
        ULONG Length;
        PSID StartSid;
        PFILE_GET_QUOTA_INFORMATION SidList;
        ULONG SidListLength;
        PVOID QuotaBuffer;
        PMDL MdlAddress;
    } QueryQuota;

    struct {
        ULONG Length;
        PVOID QuotaBuffer;
        PMDL MdlAddress;
    } SetQuota;

    union {
        struct {
            PCM_RESOURCE_LIST AllocatedResources;
            PCM_RESOURCE_LIST AllocatedResourcesTranslated;
        } StartDevice;

        struct {
            DEVICE_RELATION_TYPE Type;
        } QueryDeviceRelations;

        struct {
            CONST GUID *InterfaceType;
            USHORT Size;
            USHORT Version;
            PINTERFACE Interface;
            PVOID InterfaceSpecificData;
        } QueryInterface;

        struct {
            PDEVICE_CAPABILITIES Capabilities;
        } DeviceCapabilities;

        struct {
            PIO_RESOURCE_REQUIREMENTS_LIST IoResourceRequirementList;
        } FilterResourceRequirements;

        struct {
            ULONG WhichSpace;
            PVOID Buffer;
            ULONG Offset;
            ULONG POINTER_ALIGNMENT Length;
        } ReadWriteConfig;

        struct {
            BOOLEAN Lock;
        } SetLock;

        struct {
            BUS_QUERY_ID_TYPE IdType;
        } QueryId;

        struct {
            DEVICE_TEXT_TYPE DeviceTextType;
            LCID POINTER_ALIGNMENT LocaleId;
        } QueryDeviceText;

        struct {
            BOOLEAN InPath;
            BOOLEAN Reserved[3];
            DEVICE_USAGE_NOTIFICATION_TYPE POINTER_ALIGNMENT Type;
        } UsageNotification;
    } Pnp;

    struct {
        FS_FILTER_SECTION_SYNC_TYPE SyncType;
        ULONG PageProtection;
        PFS_FILTER_SECTION_SYNC_OUTPUT OutputInformation;
        ULONG Flags;
        ULONG AllocationAttributes;
    } AcquireForSectionSynchronization;

    struct {
        PLARGE_INTEGER EndingOffset;
        PERESOURCE *ResourceToRelease;
    } AcquireForModifiedPageWriter;

    struct {
        PERESOURCE ResourceToRelease;
    } ReleaseForModifiedPageWriter;

    struct {
        PIRP Irp;
        PVOID FileInformation;
        PULONG Length;
        FILE_INFORMATION_CLASS FileInformationClass;
    } QueryOpen;

    struct {
        LARGE_INTEGER FileOffset;
        ULONG Length;
        ULONG POINTER_ALIGNMENT LockKey;
        BOOLEAN POINTER_ALIGNMENT CheckForReadOperation;
    } FastIoCheckIfPossible;

    struct {
        PIRP Irp;
        PFILE_NETWORK_OPEN_INFORMATION NetworkInformation;
    } NetworkQueryOpen;

    struct {
        LARGE_INTEGER FileOffset;
        ULONG POINTER_ALIGNMENT Length;
        ULONG POINTER_ALIGNMENT Key;
        PMDL *MdlChain;
    } MdlRead;

    struct {
        PMDL MdlChain;
    } MdlReadComplete;

    struct {
        LARGE_INTEGER FileOffset;
        ULONG POINTER_ALIGNMENT Length;
        ULONG POINTER_ALIGNMENT Key;
        PMDL *MdlChain;
    } PrepareMdlWrite;

    struct {
        LARGE_INTEGER FileOffset;
        PMDL MdlChain;
    } MdlWriteComplete;

    struct {
        ULONG DeviceType;
    } MountVolume;

    struct {
        PVOID Argument1;
        PVOID Argument2;
        PVOID Argument3;
        PVOID Argument4;
        PVOID Argument5;
        LARGE_INTEGER Argument6;
    } Others;

} FLT_PARAMETERS, *PFLT_PARAMETERS;

typedef struct _FLT_IO_PARAMETER_BLOCK {
    ULONG IrpFlags;
    UCHAR MajorFunction;
    UCHAR MinorFunction;
    UCHAR OperationFlags;
    UCHAR Reserved;
    PFILE_OBJECT TargetFileObject;
    PFLT_INSTANCE TargetInstance;
    FLT_PARAMETERS Parameters;
} FLT_IO_PARAMETER_BLOCK, *PFLT_IO_PARAMETER_BLOCK;

/* Reparse data FltMgr hands a filter on STATUS_REPARSE. */
typedef struct _FLT_TAG_DATA_BUFFER {
    ULONG FileTag;
    USHORT TagDataLength;
    USHORT UnparsedNameLength;
    union {
        struct {
            USHORT SubstituteNameOffset;
            USHORT SubstituteNameLength;
            USHORT PrintNameOffset;
            USHORT PrintNameLength;
            ULONG Flags;
            WCHAR PathBuffer[1];
        } SymbolicLinkReparseBuffer;
        struct {
            USHORT SubstituteNameOffset;
            USHORT SubstituteNameLength;
            USHORT PrintNameOffset;
            USHORT PrintNameLength;
            WCHAR PathBuffer[1];
        } MountPointReparseBuffer;
        struct {
            UCHAR DataBuffer[1];
        } GenericReparseBuffer;
        struct {
            GUID TagGuid;
            UCHAR DataBuffer[1];
        } GenericGUIDReparseBuffer;
    };
} FLT_TAG_DATA_BUFFER, *PFLT_TAG_DATA_BUFFER;

#define FLT_TAG_DATA_BUFFER_HEADER_SIZE FIELD_OFFSET(FLT_TAG_DATA_BUFFER, GenericReparseBuffer)

/* One I/O operation as FltMgr presents it to pre- and post-callbacks. */
typedef struct _FLT_CALLBACK_DATA {
    FLT_CALLBACK_DATA_FLAGS Flags;
    PETHREAD FLTP_RO Thread;
    PFLT_IO_PARAMETER_BLOCK FLTP_RO Iopb;
    IO_STATUS_BLOCK IoStatus;
    struct _FLT_TAG_DATA_BUFFER *TagData;
    union {
        struct {
            LIST_ENTRY QueueLinks;
            PVOID QueueContext[2];
        };
        PVOID FilterContext[4];
    };
    KPROCESSOR_MODE RequestorMode;
} FLT_CALLBACK_DATA, *PFLT_CALLBACK_DATA;

#define FLT_IS_IRP_OPERATION(Data) (FlagOn((Data)->Flags, FLTFL_CALLBACK_DATA_IRP_OPERATION))
#define FLT_IS_FASTIO_OPERATION(Data) (FlagOn((Data)->Flags, FLTFL_CALLBACK_DATA_FAST_IO_OPERATION))
#define FLT_IS_FS_FILTER_OPERATION(Data) (FlagOn((Data)->Flags, FLTFL_CALLBACK_DATA_FS_FILTER_OPERATION))
#define FLT_IS_REISSUED_IO(Data) (FlagOn((Data)->Flags, FLTFL_CALLBACK_DATA_REISSUED_IO))
#define FLT_IS_SYSTEM_BUFFER(Data) (FlagOn((Data)->Flags, FLTFL_CALLBACK_DATA_SYSTEM_BUFFER))

/* Objects a callback runs against. */
typedef struct _FLT_RELATED_OBJECTS {
    USHORT FLTP_RO Size;
    USHORT FLTP_RO TransactionContext;
    PFLT_FILTER FLTP_RO Filter;
    PFLT_VOLUME FLTP_RO Volume;
    PFLT_INSTANCE FLTP_RO Instance;
    PFILE_OBJECT FLTP_RO FileObject;
    PKTRANSACTION FLTP_RO Transaction;
} FLT_RELATED_OBJECTS, *PFLT_RELATED_OBJECTS;
typedef CONST struct _FLT_RELATED_OBJECTS *PCFLT_RELATED_OBJECTS;

typedef struct _FLT_RELATED_CONTEXTS {
    PFLT_CONTEXT VolumeContext;
    PFLT_CONTEXT InstanceContext;
    PFLT_CONTEXT FileContext;
    PFLT_CONTEXT StreamContext;
    PFLT_CONTEXT StreamHandleContext;
    PFLT_CONTEXT TransactionContext;
} FLT_RELATED_CONTEXTS, *PFLT_RELATED_CONTEXTS;

typedef struct _FLT_RELATED_CONTEXTS_EX {
    PFLT_CONTEXT VolumeContext;
    PFLT_CONTEXT InstanceContext;
    PFLT_CONTEXT FileContext;
    PFLT_CONTEXT StreamContext;
    PFLT_CONTEXT StreamHandleContext;
    PFLT_CONTEXT TransactionContext;
    PFLT_CONTEXT SectionContext;
} FLT_RELATED_CONTEXTS_EX, *PFLT_RELATED_CONTEXTS_EX;

/* ------------------------------------------------------------------------ */
/* Names                                                                    */
/* ------------------------------------------------------------------------ */

typedef struct _FLT_FILE_NAME_INFORMATION {
    USHORT Size;
    FLT_FILE_NAME_PARSED_FLAGS NamesParsed;
    FLT_FILE_NAME_OPTIONS Format;
    UNICODE_STRING Name;
    UNICODE_STRING Volume;
    UNICODE_STRING Share;
    UNICODE_STRING Extension;
    UNICODE_STRING Stream;
    UNICODE_STRING FinalComponent;
    UNICODE_STRING ParentDir;
} FLT_FILE_NAME_INFORMATION, *PFLT_FILE_NAME_INFORMATION;

/* Buffer a name provider fills in its GenerateFileName callback. */
typedef struct _FLT_NAME_CONTROL {
    UNICODE_STRING Name;
} FLT_NAME_CONTROL, *PFLT_NAME_CONTROL;

/* ------------------------------------------------------------------------ */
/* Volumes                                                                  */
/* ------------------------------------------------------------------------ */

typedef struct _FLT_VOLUME_PROPERTIES {
    DEVICE_TYPE DeviceType;
    ULONG DeviceCharacteristics;
    ULONG DeviceObjectFlags;
    ULONG AlignmentRequirement;
    USHORT SectorSize;
    USHORT Flags;
    UNICODE_STRING FileSystemDriverName;
    UNICODE_STRING FileSystemDeviceName;
    UNICODE_STRING RealDeviceName;
} FLT_VOLUME_PROPERTIES, *PFLT_VOLUME_PROPERTIES;

/* ------------------------------------------------------------------------ */
/* Callback types.  Each role has a function type (so a driver may declare  */
/* its routine through it) and the pointer type the tables hold.            */
/* ------------------------------------------------------------------------ */

typedef NTSTATUS FLTAPI FLT_FILTER_UNLOAD_CALLBACK(
    _In_ FLT_FILTER_UNLOAD_FLAGS Flags);
typedef FLT_FILTER_UNLOAD_CALLBACK *PFLT_FILTER_UNLOAD_CALLBACK;

typedef NTSTATUS FLTAPI FLT_INSTANCE_SETUP_CALLBACK(
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ FLT_INSTANCE_SETUP_FLAGS Flags,
    _In_ DEVICE_TYPE VolumeDeviceType,
    _In_ FLT_FILESYSTEM_TYPE VolumeFilesystemType);
typedef FLT_INSTANCE_SETUP_CALLBACK *PFLT_INSTANCE_SETUP_CALLBACK;

typedef NTSTATUS FLTAPI FLT_INSTANCE_QUERY_TEARDOWN_CALLBACK(
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ FLT_INSTANCE_QUERY_TEARDOWN_FLAGS Flags);
typedef FLT_INSTANCE_QUERY_TEARDOWN_CALLBACK *PFLT_INSTANCE_QUERY_TEARDOWN_CALLBACK;

typedef VOID FLTAPI FLT_INSTANCE_TEARDOWN_CALLBACK(
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ FLT_INSTANCE_TEARDOWN_FLAGS Reason);
typedef FLT_INSTANCE_TEARDOWN_CALLBACK *PFLT_INSTANCE_TEARDOWN_CALLBACK;

typedef FLT_PREOP_CALLBACK_STATUS FLTAPI FLT_PRE_OPERATION_CALLBACK(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext);
typedef FLT_PRE_OPERATION_CALLBACK *PFLT_PRE_OPERATION_CALLBACK;

typedef FLT_POSTOP_CALLBACK_STATUS FLTAPI FLT_POST_OPERATION_CALLBACK(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_opt_ PVOID CompletionContext,
    _In_ FLT_POST_OPERATION_FLAGS Flags);
typedef FLT_POST_OPERATION_CALLBACK *PFLT_POST_OPERATION_CALLBACK;

typedef VOID FLTAPI FLT_CONTEXT_CLEANUP_CALLBACK(
    _In_ PFLT_CONTEXT Context,
    _In_ FLT_CONTEXT_TYPE ContextType);
typedef FLT_CONTEXT_CLEANUP_CALLBACK *PFLT_CONTEXT_CLEANUP_CALLBACK;

typedef PVOID FLTAPI FLT_CONTEXT_ALLOCATE_CALLBACK(
    _In_ POOL_TYPE PoolType,
    _In_ SIZE_T Size,
    _In_ FLT_CONTEXT_TYPE ContextType);
typedef FLT_CONTEXT_ALLOCATE_CALLBACK *PFLT_CONTEXT_ALLOCATE_CALLBACK;

typedef VOID FLTAPI FLT_CONTEXT_FREE_CALLBACK(
    _In_ PVOID Pool,
    _In_ FLT_CONTEXT_TYPE ContextType);
typedef FLT_CONTEXT_FREE_CALLBACK *PFLT_CONTEXT_FREE_CALLBACK;

typedef NTSTATUS FLTAPI FLT_GENERATE_FILE_NAME(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT FileObject,
    _In_opt_ PFLT_CALLBACK_DATA CallbackData,
    _In_ FLT_FILE_NAME_OPTIONS NameOptions,
    _Out_ PBOOLEAN CacheFileNameInformation,
    _Inout_ PFLT_NAME_CONTROL FileName);
typedef FLT_GENERATE_FILE_NAME *PFLT_GENERATE_FILE_NAME;

typedef NTSTATUS FLTAPI FLT_NORMALIZE_NAME_COMPONENT(
    _In_ PFLT_INSTANCE Instance,
    _In_ PCUNICODE_STRING ParentDirectory,
    _In_ USHORT VolumeNameLength,
    _In_ PCUNICODE_STRING Component,
    _Out_writes_bytes_(ExpandComponentNameLength) PFILE_NAMES_INFORMATION ExpandComponentName,
    _In_ ULONG ExpandComponentNameLength,
    _In_ FLT_NORMALIZE_NAME_FLAGS Flags,
    _Inout_ PVOID *NormalizationContext);
typedef FLT_NORMALIZE_NAME_COMPONENT *PFLT_NORMALIZE_NAME_COMPONENT;

typedef NTSTATUS FLTAPI FLT_NORMALIZE_NAME_COMPONENT_EX(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT FileObject,
    _In_ PCUNICODE_STRING ParentDirectory,
    _In_ USHORT VolumeNameLength,
    _In_ PCUNICODE_STRING Component,
    _Out_writes_bytes_(ExpandComponentNameLength) PFILE_NAMES_INFORMATION ExpandComponentName,
    _In_ ULONG ExpandComponentNameLength,
    _In_ FLT_NORMALIZE_NAME_FLAGS Flags,
    _Inout_ PVOID *NormalizationContext);
typedef FLT_NORMALIZE_NAME_COMPONENT_EX *PFLT_NORMALIZE_NAME_COMPONENT_EX;

typedef VOID FLTAPI FLT_NORMALIZE_CONTEXT_CLEANUP(
    _In_opt_ PVOID *NormalizationContext);
typedef FLT_NORMALIZE_CONTEXT_CLEANUP *PFLT_NORMALIZE_CONTEXT_CLEANUP;

typedef NTSTATUS FLTAPI FLT_TRANSACTION_NOTIFICATION_CALLBACK(
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ PFLT_CONTEXT TransactionContext,
    _In_ ULONG NotificationMask);
typedef FLT_TRANSACTION_NOTIFICATION_CALLBACK *PFLT_TRANSACTION_NOTIFICATION_CALLBACK;

typedef NTSTATUS FLTAPI FLT_SECTION_CONFLICT_NOTIFICATION_CALLBACK(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFLT_CONTEXT SectionContext,
    _In_ PFLT_CALLBACK_DATA Data);
typedef FLT_SECTION_CONFLICT_NOTIFICATION_CALLBACK *PFLT_SECTION_CONFLICT_NOTIFICATION_CALLBACK;

typedef VOID FLTAPI FLT_COMPLETED_ASYNC_IO_CALLBACK(
    _In_ PFLT_CALLBACK_DATA CallbackData,
    _In_ PFLT_CONTEXT Context);
typedef FLT_COMPLETED_ASYNC_IO_CALLBACK *PFLT_COMPLETED_ASYNC_IO_CALLBACK;

typedef VOID FLTAPI FLT_COMPLETE_CANCELED_CALLBACK(
    _In_ PFLT_CALLBACK_DATA CallbackData);
typedef FLT_COMPLETE_CANCELED_CALLBACK *PFLT_COMPLETE_CANCELED_CALLBACK;

typedef VOID FLTAPI FLT_GET_OPERATION_STATUS_CALLBACK(
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ PFLT_IO_PARAMETER_BLOCK IopbSnapshot,
    _In_ NTSTATUS OperationStatus,
    _In_opt_ PVOID RequesterContext);
typedef FLT_GET_OPERATION_STATUS_CALLBACK *PFLT_GET_OPERATION_STATUS_CALLBACK;

typedef VOID FLTAPI FLT_DEFERRED_IO_WORKITEM_ROUTINE(
    _In_ PFLT_DEFERRED_IO_WORKITEM FltWorkItem,
    _In_ PFLT_CALLBACK_DATA CallbackData,
    _In_opt_ PVOID Context);
typedef FLT_DEFERRED_IO_WORKITEM_ROUTINE *PFLT_DEFERRED_IO_WORKITEM_ROUTINE;

typedef VOID FLTAPI FLT_GENERIC_WORKITEM_ROUTINE(
    _In_ PFLT_GENERIC_WORKITEM FltWorkItem,
    _In_ PVOID FltObject,
    _In_opt_ PVOID Context);
typedef FLT_GENERIC_WORKITEM_ROUTINE *PFLT_GENERIC_WORKITEM_ROUTINE;

typedef NTSTATUS FLTAPI FLT_CONNECT_NOTIFY(
    _In_ PFLT_PORT ClientPort,
    _In_opt_ PVOID ServerPortCookie,
    _In_reads_bytes_opt_(SizeOfContext) PVOID ConnectionContext,
    _In_ ULONG SizeOfContext,
    _Outptr_result_maybenull_ PVOID *ConnectionPortCookie);
typedef FLT_CONNECT_NOTIFY *PFLT_CONNECT_NOTIFY;

typedef VOID FLTAPI FLT_DISCONNECT_NOTIFY(
    _In_opt_ PVOID ConnectionCookie);
typedef FLT_DISCONNECT_NOTIFY *PFLT_DISCONNECT_NOTIFY;

typedef NTSTATUS FLTAPI FLT_MESSAGE_NOTIFY(
    _In_opt_ PVOID PortCookie,
    _In_reads_bytes_opt_(InputBufferLength) PVOID InputBuffer,
    _In_ ULONG InputBufferLength,
    _Out_writes_bytes_to_opt_(OutputBufferLength, *ReturnOutputBufferLength) PVOID OutputBuffer,
    _In_ ULONG OutputBufferLength,
    _Out_ PULONG ReturnOutputBufferLength);
typedef FLT_MESSAGE_NOTIFY *PFLT_MESSAGE_NOTIFY;

typedef VOID FLTAPI FLTOPLOCK_WAIT_COMPLETE_ROUTINE(
    _In_ PFLT_CALLBACK_DATA CallbackData,
    _In_opt_ PVOID Context);
typedef FLTOPLOCK_WAIT_COMPLETE_ROUTINE *PFLTOPLOCK_WAIT_COMPLETE_ROUTINE;

typedef VOID FLTAPI FLTOPLOCK_PREPOST_CALLBACKDATA_ROUTINE(
    _In_ PFLT_CALLBACK_DATA CallbackData,
    _In_opt_ PVOID Context);
typedef FLTOPLOCK_PREPOST_CALLBACKDATA_ROUTINE *PFLTOPLOCK_PREPOST_CALLBACKDATA_ROUTINE;

typedef NTSTATUS FLTAPI FLT_COMPLETE_LOCK_CALLBACK_DATA_ROUTINE(
    _In_opt_ PVOID Context,
    _In_ PFLT_CALLBACK_DATA CallbackData);
typedef FLT_COMPLETE_LOCK_CALLBACK_DATA_ROUTINE *PFLT_COMPLETE_LOCK_CALLBACK_DATA_ROUTINE;

/* ------------------------------------------------------------------------ */
/* Registration tables                                                      */
/* ------------------------------------------------------------------------ */

typedef struct _FLT_CONTEXT_REGISTRATION {
    FLT_CONTEXT_TYPE ContextType;
    FLT_CONTEXT_REGISTRATION_FLAGS Flags;
    PFLT_CONTEXT_CLEANUP_CALLBACK ContextCleanupCallback;
    SIZE_T Size;
    ULONG PoolTag;
    PFLT_CONTEXT_ALLOCATE_CALLBACK ContextAllocateCallback;
    PFLT_CONTEXT_FREE_CALLBACK ContextFreeCallback;
    PVOID Reserved1;
} FLT_CONTEXT_REGISTRATION, *PFLT_CONTEXT_REGISTRATION;
typedef const FLT_CONTEXT_REGISTRATION *PCFLT_CONTEXT_REGISTRATION;

typedef struct _FLT_OPERATION_REGISTRATION {
    UCHAR MajorFunction;
    FLT_OPERATION_REGISTRATION_FLAGS Flags;
    PFLT_PRE_OPERATION_CALLBACK PreOperation;
    PFLT_POST_OPERATION_CALLBACK PostOperation;
    PVOID Reserved1;
} FLT_OPERATION_REGISTRATION, *PFLT_OPERATION_REGISTRATION;

typedef struct _FLT_REGISTRATION {
    USHORT Size;
    USHORT Version;
    FLT_REGISTRATION_FLAGS Flags;
    const FLT_CONTEXT_REGISTRATION *ContextRegistration;
    const FLT_OPERATION_REGISTRATION *OperationRegistration;
    PFLT_FILTER_UNLOAD_CALLBACK FilterUnloadCallback;
    PFLT_INSTANCE_SETUP_CALLBACK InstanceSetupCallback;
    PFLT_INSTANCE_QUERY_TEARDOWN_CALLBACK InstanceQueryTeardownCallback;
    PFLT_INSTANCE_TEARDOWN_CALLBACK InstanceTeardownStartCallback;
    PFLT_INSTANCE_TEARDOWN_CALLBACK InstanceTeardownCompleteCallback;
    PFLT_GENERATE_FILE_NAME GenerateFileNameCallback;
    PFLT_NORMALIZE_NAME_COMPONENT NormalizeNameComponentCallback;
    PFLT_NORMALIZE_CONTEXT_CLEANUP NormalizeContextCleanupCallback;
    PFLT_TRANSACTION_NOTIFICATION_CALLBACK TransactionNotificationCallback;
    PFLT_NORMALIZE_NAME_COMPONENT_EX NormalizeNameComponentExCallback;
    PFLT_SECTION_CONFLICT_NOTIFICATION_CALLBACK SectionNotificationCallback;
} FLT_REGISTRATION, *PFLT_REGISTRATION;

/* ------------------------------------------------------------------------ */
/* Cancel-safe callback-data queue                                          */
/* ------------------------------------------------------------------------ */

typedef IO_CSQ_IRP_CONTEXT FLT_CALLBACK_DATA_QUEUE_IO_CONTEXT, *PFLT_CALLBACK_DATA_QUEUE_IO_CONTEXT;

/* Reserved flag word (an incomplete enum in the WDK; same size here). */
typedef ULONG FLT_CALLBACK_DATA_QUEUE_FLAGS;

struct _FLT_CALLBACK_DATA_QUEUE;

typedef NTSTATUS FLTAPI FLT_CALLBACK_DATA_QUEUE_INSERT_IO(
    _Inout_ struct _FLT_CALLBACK_DATA_QUEUE *Cbdq,
    _In_ PFLT_CALLBACK_DATA Cbd,
    _In_opt_ PVOID InsertContext);
typedef FLT_CALLBACK_DATA_QUEUE_INSERT_IO *PFLT_CALLBACK_DATA_QUEUE_INSERT_IO;

typedef VOID FLTAPI FLT_CALLBACK_DATA_QUEUE_REMOVE_IO(
    _Inout_ struct _FLT_CALLBACK_DATA_QUEUE *Cbdq,
    _In_ PFLT_CALLBACK_DATA Cbd);
typedef FLT_CALLBACK_DATA_QUEUE_REMOVE_IO *PFLT_CALLBACK_DATA_QUEUE_REMOVE_IO;

typedef PFLT_CALLBACK_DATA FLTAPI FLT_CALLBACK_DATA_QUEUE_PEEK_NEXT_IO(
    _In_ struct _FLT_CALLBACK_DATA_QUEUE *Cbdq,
    _In_opt_ PFLT_CALLBACK_DATA Cbd,
    _In_opt_ PVOID PeekContext);
typedef FLT_CALLBACK_DATA_QUEUE_PEEK_NEXT_IO *PFLT_CALLBACK_DATA_QUEUE_PEEK_NEXT_IO;

typedef VOID FLTAPI FLT_CALLBACK_DATA_QUEUE_ACQUIRE(
    _Inout_ struct _FLT_CALLBACK_DATA_QUEUE *Cbdq,
    _Out_opt_ PKIRQL Irql);
typedef FLT_CALLBACK_DATA_QUEUE_ACQUIRE *PFLT_CALLBACK_DATA_QUEUE_ACQUIRE;

typedef VOID FLTAPI FLT_CALLBACK_DATA_QUEUE_RELEASE(
    _Inout_ struct _FLT_CALLBACK_DATA_QUEUE *Cbdq,
    _In_opt_ KIRQL Irql);
typedef FLT_CALLBACK_DATA_QUEUE_RELEASE *PFLT_CALLBACK_DATA_QUEUE_RELEASE;

typedef VOID FLTAPI FLT_CALLBACK_DATA_QUEUE_COMPLETE_CANCELED_IO(
    _Inout_ struct _FLT_CALLBACK_DATA_QUEUE *Cbdq,
    _Inout_ PFLT_CALLBACK_DATA Cbd);
typedef FLT_CALLBACK_DATA_QUEUE_COMPLETE_CANCELED_IO *PFLT_CALLBACK_DATA_QUEUE_COMPLETE_CANCELED_IO;

typedef struct _FLT_CALLBACK_DATA_QUEUE {
    IO_CSQ Csq;
    FLT_CALLBACK_DATA_QUEUE_FLAGS Flags;
    PFLT_INSTANCE Instance;
    PFLT_CALLBACK_DATA_QUEUE_INSERT_IO InsertIo;
    PFLT_CALLBACK_DATA_QUEUE_REMOVE_IO RemoveIo;
    PFLT_CALLBACK_DATA_QUEUE_PEEK_NEXT_IO PeekNextIo;
    PFLT_CALLBACK_DATA_QUEUE_ACQUIRE Acquire;
    PFLT_CALLBACK_DATA_QUEUE_RELEASE Release;
    PFLT_CALLBACK_DATA_QUEUE_COMPLETE_CANCELED_IO CompleteCanceledIo;
} FLT_CALLBACK_DATA_QUEUE, *PFLT_CALLBACK_DATA_QUEUE;

/* ------------------------------------------------------------------------ */
/* Routines                                                                 */
/* ------------------------------------------------------------------------ */

/* Registration and filtering. */
NTSTATUS FLTAPI FltRegisterFilter(
    _In_ PDRIVER_OBJECT Driver,
    _In_ const FLT_REGISTRATION *Registration,
    _Outptr_ PFLT_FILTER *RetFilter);
VOID FLTAPI FltUnregisterFilter(_In_ PFLT_FILTER Filter);
NTSTATUS FLTAPI FltStartFiltering(_In_ PFLT_FILTER Filter);
PVOID FLTAPI FltGetRoutineAddress(_In_ PCSTR FltMgrRoutineName);
NTSTATUS FLTAPI FltLoadFilter(_In_ PCUNICODE_STRING FilterName);
NTSTATUS FLTAPI FltUnloadFilter(_In_ PCUNICODE_STRING FilterName);

/* Contexts. */
NTSTATUS FLTAPI FltAllocateContext(
    _In_ PFLT_FILTER Filter,
    _In_ FLT_CONTEXT_TYPE ContextType,
    _In_ SIZE_T ContextSize,
    _In_ POOL_TYPE PoolType,
    _Outptr_ PFLT_CONTEXT *ReturnedContext);
VOID FLTAPI FltReferenceContext(_In_ PFLT_CONTEXT Context);
VOID FLTAPI FltReleaseContext(_In_ PFLT_CONTEXT Context);
VOID FLTAPI FltDeleteContext(_In_ PFLT_CONTEXT Context);

NTSTATUS FLTAPI FltSetVolumeContext(
    _In_ PFLT_VOLUME Volume,
    _In_ FLT_SET_CONTEXT_OPERATION Operation,
    _In_ PFLT_CONTEXT NewContext,
    _Outptr_opt_result_maybenull_ PFLT_CONTEXT *OldContext);
NTSTATUS FLTAPI FltSetInstanceContext(
    _In_ PFLT_INSTANCE Instance,
    _In_ FLT_SET_CONTEXT_OPERATION Operation,
    _In_ PFLT_CONTEXT NewContext,
    _Outptr_opt_result_maybenull_ PFLT_CONTEXT *OldContext);
NTSTATUS FLTAPI FltSetFileContext(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT FileObject,
    _In_ FLT_SET_CONTEXT_OPERATION Operation,
    _In_ PFLT_CONTEXT NewContext,
    _Outptr_opt_result_maybenull_ PFLT_CONTEXT *OldContext);
NTSTATUS FLTAPI FltSetStreamContext(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT FileObject,
    _In_ FLT_SET_CONTEXT_OPERATION Operation,
    _In_ PFLT_CONTEXT NewContext,
    _Outptr_opt_result_maybenull_ PFLT_CONTEXT *OldContext);
NTSTATUS FLTAPI FltSetStreamHandleContext(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT FileObject,
    _In_ FLT_SET_CONTEXT_OPERATION Operation,
    _In_ PFLT_CONTEXT NewContext,
    _Outptr_opt_result_maybenull_ PFLT_CONTEXT *OldContext);
NTSTATUS FLTAPI FltSetTransactionContext(
    _In_ PFLT_INSTANCE Instance,
    _In_ PKTRANSACTION Transaction,
    _In_ FLT_SET_CONTEXT_OPERATION Operation,
    _In_ PFLT_CONTEXT NewContext,
    _Outptr_opt_ PFLT_CONTEXT *OldContext);

NTSTATUS FLTAPI FltDeleteVolumeContext(
    _In_ PFLT_FILTER Filter,
    _In_ PFLT_VOLUME Volume,
    _Outptr_opt_result_maybenull_ PFLT_CONTEXT *OldContext);
NTSTATUS FLTAPI FltDeleteInstanceContext(
    _In_ PFLT_INSTANCE Instance,
    _Outptr_opt_result_maybenull_ PFLT_CONTEXT *OldContext);
NTSTATUS FLTAPI FltDeleteFileContext(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT FileObject,
    _Outptr_opt_result_maybenull_ PFLT_CONTEXT *OldContext);
NTSTATUS FLTAPI FltDeleteStreamContext(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT FileObject,
    _Outptr_opt_result_maybenull_ PFLT_CONTEXT *OldContext);
NTSTATUS FLTAPI FltDeleteStreamHandleContext(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT FileObject,
    _Outptr_opt_result_maybenull_ PFLT_CONTEXT *OldContext);
NTSTATUS FLTAPI FltDeleteTransactionContext(
    _In_ PFLT_INSTANCE Instance,
    _In_ PKTRANSACTION Transaction,
    _Outptr_opt_ PFLT_CONTEXT *OldContext);

NTSTATUS FLTAPI FltGetVolumeContext(
    _In_ PFLT_FILTER Filter,
    _In_ PFLT_VOLUME Volume,
    _Outptr_ PFLT_CONTEXT *Context);
NTSTATUS FLTAPI FltGetInstanceContext(
    _In_ PFLT_INSTANCE Instance,
    _Outptr_ PFLT_CONTEXT *Context);
NTSTATUS FLTAPI FltGetFileContext(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT FileObject,
    _Outptr_ PFLT_CONTEXT *Context);
NTSTATUS FLTAPI FltGetStreamContext(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT FileObject,
    _Outptr_ PFLT_CONTEXT *Context);
NTSTATUS FLTAPI FltGetStreamHandleContext(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT FileObject,
    _Outptr_ PFLT_CONTEXT *Context);
NTSTATUS FLTAPI FltGetTransactionContext(
    _In_ PFLT_INSTANCE Instance,
    _In_ PKTRANSACTION Transaction,
    _Outptr_ PFLT_CONTEXT *Context);
NTSTATUS FLTAPI FltGetSectionContext(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT FileObject,
    _Outptr_ PFLT_CONTEXT *Context);

VOID FLTAPI FltGetContexts(
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ FLT_CONTEXT_TYPE DesiredContexts,
    _Inout_ PFLT_RELATED_CONTEXTS Contexts);
NTSTATUS FLTAPI FltGetContextsEx(
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ FLT_CONTEXT_TYPE DesiredContexts,
    _In_ SIZE_T ContextsSize,
    _Out_ PFLT_RELATED_CONTEXTS_EX Contexts);
VOID FLTAPI FltReleaseContexts(_In_ PFLT_RELATED_CONTEXTS Contexts);
VOID FLTAPI FltReleaseContextsEx(
    _In_ SIZE_T ContextsSize,
    _In_ PFLT_RELATED_CONTEXTS_EX Contexts);

BOOLEAN FLTAPI FltSupportsFileContexts(_In_ PFILE_OBJECT FileObject);
BOOLEAN FLTAPI FltSupportsFileContextsEx(
    _In_ PFILE_OBJECT FileObject,
    _In_opt_ PFLT_INSTANCE Instance);
BOOLEAN FLTAPI FltSupportsStreamContexts(_In_ PFILE_OBJECT FileObject);
BOOLEAN FLTAPI FltSupportsStreamHandleContexts(_In_ PFILE_OBJECT FileObject);

/* Names. */
NTSTATUS FLTAPI FltGetFileNameInformation(
    _In_ PFLT_CALLBACK_DATA CallbackData,
    _In_ FLT_FILE_NAME_OPTIONS NameOptions,
    _Outptr_ PFLT_FILE_NAME_INFORMATION *FileNameInformation);
NTSTATUS FLTAPI FltGetFileNameInformationUnsafe(
    _In_ PFILE_OBJECT FileObject,
    _In_opt_ PFLT_INSTANCE Instance,
    _In_ FLT_FILE_NAME_OPTIONS NameOptions,
    _Outptr_ PFLT_FILE_NAME_INFORMATION *FileNameInformation);
NTSTATUS FLTAPI FltGetDestinationFileNameInformation(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT FileObject,
    _In_opt_ HANDLE RootDirectory,
    _In_reads_bytes_(FileNameLength) PWSTR FileName,
    _In_ ULONG FileNameLength,
    _In_ FLT_FILE_NAME_OPTIONS NameOptions,
    _Outptr_ PFLT_FILE_NAME_INFORMATION *RetFileNameInformation);
NTSTATUS FLTAPI FltGetTunneledName(
    _In_ PFLT_CALLBACK_DATA CallbackData,
    _In_ PFLT_FILE_NAME_INFORMATION FileNameInformation,
    _Outptr_result_maybenull_ PFLT_FILE_NAME_INFORMATION *RetTunneledFileNameInformation);
VOID FLTAPI FltReleaseFileNameInformation(_In_ PFLT_FILE_NAME_INFORMATION FileNameInformation);
VOID FLTAPI FltReferenceFileNameInformation(_In_ PFLT_FILE_NAME_INFORMATION FileNameInformation);
NTSTATUS FLTAPI FltParseFileName(
    _In_ PCUNICODE_STRING FileName,
    _Inout_opt_ PUNICODE_STRING Extension,
    _Inout_opt_ PUNICODE_STRING Stream,
    _Inout_opt_ PUNICODE_STRING FinalComponent);
NTSTATUS FLTAPI FltParseFileNameInformation(_Inout_ PFLT_FILE_NAME_INFORMATION FileNameInformation);
NTSTATUS FLTAPI FltCheckAndGrowNameControl(
    _Inout_ PFLT_NAME_CONTROL NameCtrl,
    _In_ USHORT NewSize);
NTSTATUS FLTAPI FltPurgeFileNameInformationCache(
    _In_ PFLT_INSTANCE Instance,
    _In_opt_ PFILE_OBJECT FileObject);

/* Filter-initiated file I/O (seen only by instances below Instance). */
NTSTATUS FLTAPI FltCreateFile(
    _In_ PFLT_FILTER Filter,
    _In_opt_ PFLT_INSTANCE Instance,
    _Out_ PHANDLE FileHandle,
    _In_ ACCESS_MASK DesiredAccess,
    _In_ POBJECT_ATTRIBUTES ObjectAttributes,
    _Out_ PIO_STATUS_BLOCK IoStatusBlock,
    _In_opt_ PLARGE_INTEGER AllocationSize,
    _In_ ULONG FileAttributes,
    _In_ ULONG ShareAccess,
    _In_ ULONG CreateDisposition,
    _In_ ULONG CreateOptions,
    _In_reads_bytes_opt_(EaLength) PVOID EaBuffer,
    _In_ ULONG EaLength,
    _In_ ULONG Flags);
NTSTATUS FLTAPI FltCreateFileEx(
    _In_ PFLT_FILTER Filter,
    _In_opt_ PFLT_INSTANCE Instance,
    _Out_ PHANDLE FileHandle,
    _Outptr_opt_ PFILE_OBJECT *FileObject,
    _In_ ACCESS_MASK DesiredAccess,
    _In_ POBJECT_ATTRIBUTES ObjectAttributes,
    _Out_ PIO_STATUS_BLOCK IoStatusBlock,
    _In_opt_ PLARGE_INTEGER AllocationSize,
    _In_ ULONG FileAttributes,
    _In_ ULONG ShareAccess,
    _In_ ULONG CreateDisposition,
    _In_ ULONG CreateOptions,
    _In_reads_bytes_opt_(EaLength) PVOID EaBuffer,
    _In_ ULONG EaLength,
    _In_ ULONG Flags);
NTSTATUS FLTAPI FltCreateFileEx2(
    _In_ PFLT_FILTER Filter,
    _In_opt_ PFLT_INSTANCE Instance,
    _Out_ PHANDLE FileHandle,
    _Outptr_opt_ PFILE_OBJECT *FileObject,
    _In_ ACCESS_MASK DesiredAccess,
    _In_ POBJECT_ATTRIBUTES ObjectAttributes,
    _Out_ PIO_STATUS_BLOCK IoStatusBlock,
    _In_opt_ PLARGE_INTEGER AllocationSize,
    _In_ ULONG FileAttributes,
    _In_ ULONG ShareAccess,
    _In_ ULONG CreateDisposition,
    _In_ ULONG CreateOptions,
    _In_reads_bytes_opt_(EaLength) PVOID EaBuffer,
    _In_ ULONG EaLength,
    _In_ ULONG Flags,
    _In_opt_ PIO_DRIVER_CREATE_CONTEXT DriverContext);
NTSTATUS FLTAPI FltClose(_In_ HANDLE FileHandle);

NTSTATUS FLTAPI FltReadFile(
    _In_ PFLT_INSTANCE InitiatingInstance,
    _In_ PFILE_OBJECT FileObject,
    _In_opt_ PLARGE_INTEGER ByteOffset,
    _In_ ULONG Length,
    _Out_writes_bytes_to_(Length, *BytesRead) PVOID Buffer,
    _In_ FLT_IO_OPERATION_FLAGS Flags,
    _Out_opt_ PULONG BytesRead,
    _In_opt_ PFLT_COMPLETED_ASYNC_IO_CALLBACK CallbackRoutine,
    _In_opt_ PVOID CallbackContext);
NTSTATUS FLTAPI FltReadFileEx(
    _In_ PFLT_INSTANCE InitiatingInstance,
    _In_ PFILE_OBJECT FileObject,
    _In_opt_ PLARGE_INTEGER ByteOffset,
    _In_ ULONG Length,
    _Out_writes_bytes_to_opt_(Length, *BytesRead) PVOID Buffer,
    _In_ FLT_IO_OPERATION_FLAGS Flags,
    _Out_opt_ PULONG BytesRead,
    _In_opt_ PFLT_COMPLETED_ASYNC_IO_CALLBACK CallbackRoutine,
    _In_opt_ PVOID CallbackContext,
    _In_opt_ PULONG Key,
    _In_opt_ PMDL Mdl);
NTSTATUS FLTAPI FltWriteFile(
    _In_ PFLT_INSTANCE InitiatingInstance,
    _In_ PFILE_OBJECT FileObject,
    _In_opt_ PLARGE_INTEGER ByteOffset,
    _In_ ULONG Length,
    _In_reads_bytes_(Length) PVOID Buffer,
    _In_ FLT_IO_OPERATION_FLAGS Flags,
    _Out_opt_ PULONG BytesWritten,
    _In_opt_ PFLT_COMPLETED_ASYNC_IO_CALLBACK CallbackRoutine,
    _In_opt_ PVOID CallbackContext);
NTSTATUS FLTAPI FltWriteFileEx(
    _In_ PFLT_INSTANCE InitiatingInstance,
    _In_ PFILE_OBJECT FileObject,
    _In_opt_ PLARGE_INTEGER ByteOffset,
    _In_ ULONG Length,
    _In_reads_bytes_opt_(Length) PVOID Buffer,
    _In_ FLT_IO_OPERATION_FLAGS Flags,
    _Out_opt_ PULONG BytesWritten,
    _In_opt_ PFLT_COMPLETED_ASYNC_IO_CALLBACK CallbackRoutine,
    _In_opt_ PVOID CallbackContext,
    _In_opt_ PULONG Key,
    _In_opt_ PMDL Mdl);

NTSTATUS FLTAPI FltQueryInformationFile(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT FileObject,
    _Out_writes_bytes_to_(Length, *LengthReturned) PVOID FileInformation,
    _In_ ULONG Length,
    _In_ FILE_INFORMATION_CLASS FileInformationClass,
    _Out_opt_ PULONG LengthReturned);
NTSTATUS FLTAPI FltSetInformationFile(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT FileObject,
    _In_reads_bytes_(Length) PVOID FileInformation,
    _In_ ULONG Length,
    _In_ FILE_INFORMATION_CLASS FileInformationClass);
NTSTATUS FLTAPI FltQueryDirectoryFile(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT FileObject,
    _Out_writes_bytes_(Length) PVOID FileInformation,
    _In_ ULONG Length,
    _In_ FILE_INFORMATION_CLASS FileInformationClass,
    _In_ BOOLEAN ReturnSingleEntry,
    _In_opt_ PUNICODE_STRING FileName,
    _In_ BOOLEAN RestartScan,
    _Out_opt_ PULONG LengthReturned);
NTSTATUS FLTAPI FltQueryDirectoryFileEx(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT FileObject,
    _Out_writes_bytes_(Length) PVOID FileInformation,
    _In_ ULONG Length,
    _In_ FILE_INFORMATION_CLASS FileInformationClass,
    _In_ ULONG QueryFlags,
    _In_opt_ PUNICODE_STRING FileName,
    _Out_opt_ PULONG LengthReturned);
NTSTATUS FLTAPI FltQueryVolumeInformationFile(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT FileObject,
    _Out_writes_bytes_to_(Length, *LengthReturned) PVOID FsInformation,
    _In_ ULONG Length,
    _In_ FS_INFORMATION_CLASS FsInformationClass,
    _Out_opt_ PULONG LengthReturned);
NTSTATUS FLTAPI FltQueryVolumeInformation(
    _In_ PFLT_INSTANCE Instance,
    _Out_ PIO_STATUS_BLOCK Iosb,
    _Out_writes_bytes_(Length) PVOID FsInformation,
    _In_ ULONG Length,
    _In_ FS_INFORMATION_CLASS FsInformationClass);
NTSTATUS FLTAPI FltSetVolumeInformation(
    _In_ PFLT_INSTANCE Instance,
    _Out_ PIO_STATUS_BLOCK Iosb,
    _Out_writes_bytes_(Length) PVOID FsInformation,
    _In_ ULONG Length,
    _In_ FS_INFORMATION_CLASS FsInformationClass);
NTSTATUS FLTAPI FltQuerySecurityObject(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT FileObject,
    _In_ SECURITY_INFORMATION SecurityInformation,
    _Inout_updates_bytes_opt_(Length) PSECURITY_DESCRIPTOR SecurityDescriptor,
    _In_ ULONG Length,
    _Out_opt_ PULONG LengthNeeded);
NTSTATUS FLTAPI FltSetSecurityObject(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT FileObject,
    _In_ SECURITY_INFORMATION SecurityInformation,
    _In_ PSECURITY_DESCRIPTOR SecurityDescriptor);
NTSTATUS FLTAPI FltFlushBuffers(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT FileObject);
NTSTATUS FLTAPI FltFlushBuffers2(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT FileObject,
    _In_ ULONG FlushType,
    _In_opt_ PFLT_CALLBACK_DATA CallbackData);
NTSTATUS FLTAPI FltDeviceIoControlFile(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT FileObject,
    _In_ ULONG IoControlCode,
    _In_reads_bytes_opt_(InputBufferLength) PVOID InputBuffer,
    _In_ ULONG InputBufferLength,
    _Out_writes_bytes_to_opt_(OutputBufferLength, *LengthReturned) PVOID OutputBuffer,
    _In_ ULONG OutputBufferLength,
    _Out_opt_ PULONG LengthReturned);
NTSTATUS FLTAPI FltFsControlFile(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT FileObject,
    _In_ ULONG FsControlCode,
    _In_reads_bytes_opt_(InputBufferLength) PVOID InputBuffer,
    _In_ ULONG InputBufferLength,
    _Out_writes_bytes_to_opt_(OutputBufferLength, *LengthReturned) PVOID OutputBuffer,
    _In_ ULONG OutputBufferLength,
    _Out_opt_ PULONG LengthReturned);
NTSTATUS FLTAPI FltIsDirectory(
    _In_ PFILE_OBJECT FileObject,
    _In_ PFLT_INSTANCE Instance,
    _Out_ PBOOLEAN IsDirectory);
VOID FLTAPI FltCancelFileOpen(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT FileObject);

/* Callback data: allocation, issuing, completion, inspection. */
NTSTATUS FLTAPI FltAllocateCallbackData(
    _In_ PFLT_INSTANCE Instance,
    _In_opt_ PFILE_OBJECT FileObject,
    _Outptr_ PFLT_CALLBACK_DATA *RetNewCallbackData);
NTSTATUS FLTAPI FltAllocateCallbackDataEx(
    _In_ PFLT_INSTANCE Instance,
    _In_opt_ PFILE_OBJECT FileObject,
    _In_ FLT_ALLOCATE_CALLBACK_DATA_FLAGS Flags,
    _Outptr_ PFLT_CALLBACK_DATA *RetNewCallbackData);
VOID FLTAPI FltFreeCallbackData(_In_ PFLT_CALLBACK_DATA CallbackData);
VOID FLTAPI FltReuseCallbackData(_Inout_ PFLT_CALLBACK_DATA CallbackData);
VOID FLTAPI FltPerformSynchronousIo(_Inout_ PFLT_CALLBACK_DATA CallbackData);
NTSTATUS FLTAPI FltPerformAsynchronousIo(
    _Inout_ PFLT_CALLBACK_DATA CallbackData,
    _In_ PFLT_COMPLETED_ASYNC_IO_CALLBACK CallbackRoutine,
    _In_ PVOID CallbackContext);
NTSTATUS FLTAPI FltReissueSynchronousIo(
    _In_ PFLT_INSTANCE InitiatingInstance,
    _In_ PFLT_CALLBACK_DATA CallbackData);
VOID FLTAPI FltCompletePendedPreOperation(
    _In_ PFLT_CALLBACK_DATA CallbackData,
    _In_ FLT_PREOP_CALLBACK_STATUS CallbackStatus,
    _In_opt_ PVOID Context);
VOID FLTAPI FltCompletePendedPostOperation(_In_ PFLT_CALLBACK_DATA CallbackData);
BOOLEAN FLTAPI FltDoCompletionProcessingWhenSafe(
    _In_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_opt_ PVOID CompletionContext,
    _In_ FLT_POST_OPERATION_FLAGS Flags,
    _In_ PFLT_POST_OPERATION_CALLBACK SafePostCallback,
    _Out_ PFLT_POSTOP_CALLBACK_STATUS RetPostOperationStatus);
NTSTATUS FLTAPI FltLockUserBuffer(_In_ PFLT_CALLBACK_DATA CallbackData);
NTSTATUS FLTAPI FltDecodeParameters(
    _In_ PFLT_CALLBACK_DATA CallbackData,
    _Outptr_opt_result_maybenull_ PMDL **MdlAddressPointer,
    _Outptr_opt_result_bytebuffer_(**Length) PVOID **Buffer,
    _Outptr_opt_result_maybenull_ PULONG *Length,
    _Out_opt_ LOCK_OPERATION *DesiredAccess);
PMDL FLTAPI FltGetSwappedBufferMdlAddress(_In_ PFLT_CALLBACK_DATA CallbackData);
VOID FLTAPI FltRetainSwappedBufferMdlAddress(_In_ PFLT_CALLBACK_DATA CallbackData);
PVOID FLTAPI FltGetNewSystemBufferAddress(_In_ PFLT_CALLBACK_DATA CallbackData);
VOID FLTAPI FltSetCallbackDataDirty(_Inout_ PFLT_CALLBACK_DATA Data);
VOID FLTAPI FltClearCallbackDataDirty(_Inout_ PFLT_CALLBACK_DATA Data);
BOOLEAN FLTAPI FltIsCallbackDataDirty(_In_ PFLT_CALLBACK_DATA Data);
BOOLEAN FLTAPI FltIsOperationSynchronous(_In_ PFLT_CALLBACK_DATA CallbackData);
BOOLEAN FLTAPI FltIsIoCanceled(_In_ PFLT_CALLBACK_DATA CallbackData);
NTSTATUS FLTAPI FltSetCancelCompletion(
    _In_ PFLT_CALLBACK_DATA CallbackData,
    _In_ PFLT_COMPLETE_CANCELED_CALLBACK CanceledCallback);
NTSTATUS FLTAPI FltClearCancelCompletion(_In_ PFLT_CALLBACK_DATA CallbackData);
BOOLEAN FLTAPI FltCancelIo(_In_ PFLT_CALLBACK_DATA CallbackData);
NTSTATUS FLTAPI FltRequestOperationStatusCallback(
    _In_ PFLT_CALLBACK_DATA Data,
    _In_ PFLT_GET_OPERATION_STATUS_CALLBACK CallbackRoutine,
    _In_opt_ PVOID RequesterContext);
PEPROCESS FLTAPI FltGetRequestorProcess(_In_ PFLT_CALLBACK_DATA CallbackData);
ULONG FLTAPI FltGetRequestorProcessId(_In_ PFLT_CALLBACK_DATA CallbackData);
HANDLE FLTAPI FltGetRequestorProcessIdEx(_In_ PFLT_CALLBACK_DATA CallbackData);
BOOLEAN FLTAPI FltIs32bitProcess(_In_opt_ PFLT_CALLBACK_DATA CallbackData);
PCHAR FLTAPI FltGetIrpName(_In_ UCHAR IrpMajorCode);
IO_PRIORITY_HINT FLTAPI FltGetIoPriorityHint(_In_ PFLT_CALLBACK_DATA Data);
IO_PRIORITY_HINT FLTAPI FltGetIoPriorityHintFromCallbackData(_In_ PFLT_CALLBACK_DATA Data);
NTSTATUS FLTAPI FltSetIoPriorityHintIntoCallbackData(
    _In_ PFLT_CALLBACK_DATA Data,
    _In_ IO_PRIORITY_HINT PriorityHint);
IO_PRIORITY_HINT FLTAPI FltGetIoPriorityHintFromFileObject(_In_ PFILE_OBJECT FileObject);
NTSTATUS FLTAPI FltSetIoPriorityHintIntoFileObject(
    _In_ PFILE_OBJECT FileObject,
    _In_ IO_PRIORITY_HINT PriorityHint);
IO_PRIORITY_HINT FLTAPI FltGetIoPriorityHintFromThread(_In_ PETHREAD Thread);
NTSTATUS FLTAPI FltSetIoPriorityHintIntoThread(
    _In_ PETHREAD Thread,
    _In_ IO_PRIORITY_HINT PriorityHint);
NTSTATUS FLTAPI FltCancellableWaitForSingleObject(
    _In_ PVOID Object,
    _In_opt_ PLARGE_INTEGER Timeout,
    _In_opt_ PFLT_CALLBACK_DATA CallbackData);
NTSTATUS FLTAPI FltCancellableWaitForMultipleObjects(
    _In_ ULONG Count,
    _In_reads_(Count) PVOID ObjectArray[],
    _In_ WAIT_TYPE WaitType,
    _In_opt_ PLARGE_INTEGER Timeout,
    _In_opt_ PKWAIT_BLOCK WaitBlockArray,
    _In_ PFLT_CALLBACK_DATA CallbackData);

/* Extra create parameters. */
NTSTATUS FLTAPI FltGetEcpListFromCallbackData(
    _In_ PFLT_FILTER Filter,
    _In_ PFLT_CALLBACK_DATA CallbackData,
    _Outptr_result_maybenull_ PECP_LIST *EcpList);
NTSTATUS FLTAPI FltSetEcpListIntoCallbackData(
    _In_ PFLT_FILTER Filter,
    _In_ PFLT_CALLBACK_DATA CallbackData,
    _In_ PECP_LIST EcpList);
NTSTATUS FLTAPI FltAllocateExtraCreateParameterList(
    _In_ PFLT_FILTER Filter,
    _In_ FSRTL_ALLOCATE_ECPLIST_FLAGS Flags,
    _Outptr_ PECP_LIST *EcpList);
NTSTATUS FLTAPI FltAllocateExtraCreateParameter(
    _In_ PFLT_FILTER Filter,
    _In_ LPCGUID EcpType,
    _In_ ULONG SizeOfContext,
    _In_ FSRTL_ALLOCATE_ECP_FLAGS Flags,
    _In_opt_ PFSRTL_EXTRA_CREATE_PARAMETER_CLEANUP_CALLBACK CleanupCallback,
    _In_ ULONG PoolTag,
    _Outptr_ PVOID *EcpContext);
VOID FLTAPI FltFreeExtraCreateParameterList(
    _In_ PFLT_FILTER Filter,
    _In_ PECP_LIST EcpList);
VOID FLTAPI FltFreeExtraCreateParameter(
    _In_ PFLT_FILTER Filter,
    _In_ PVOID EcpContext);
NTSTATUS FLTAPI FltInsertExtraCreateParameter(
    _In_ PFLT_FILTER Filter,
    _Inout_ PECP_LIST EcpList,
    _Inout_ PVOID EcpContext);
NTSTATUS FLTAPI FltFindExtraCreateParameter(
    _In_ PFLT_FILTER Filter,
    _In_ PECP_LIST EcpList,
    _In_ LPCGUID EcpType,
    _Outptr_opt_ PVOID *EcpContext,
    _Out_opt_ ULONG *EcpContextSize);
NTSTATUS FLTAPI FltRemoveExtraCreateParameter(
    _In_ PFLT_FILTER Filter,
    _Inout_ PECP_LIST EcpList,
    _In_ LPCGUID EcpType,
    _Outptr_ PVOID *EcpContext,
    _Out_opt_ ULONG *EcpContextSize);
NTSTATUS FLTAPI FltGetNextExtraCreateParameter(
    _In_ PFLT_FILTER Filter,
    _In_ PECP_LIST EcpList,
    _In_opt_ PVOID CurrentEcpContext,
    _Out_opt_ LPGUID NextEcpType,
    _Outptr_opt_ PVOID *NextEcpContext,
    _Out_opt_ PULONG NextEcpContextSize);
VOID FLTAPI FltAcknowledgeEcp(
    _In_ PFLT_FILTER Filter,
    _In_ PVOID EcpContext);
BOOLEAN FLTAPI FltIsEcpAcknowledged(
    _In_ PFLT_FILTER Filter,
    _In_ PVOID EcpContext);
BOOLEAN FLTAPI FltIsEcpFromUserMode(
    _In_ PFLT_FILTER Filter,
    _In_ PVOID EcpContext);

/* Volumes, instances, filters. */
NTSTATUS FLTAPI FltGetVolumeName(
    _In_ PFLT_VOLUME Volume,
    _Inout_opt_ PUNICODE_STRING VolumeName,
    _Out_opt_ PULONG BufferSizeNeeded);
NTSTATUS FLTAPI FltGetVolumeGuidName(
    _In_ PFLT_VOLUME Volume,
    _Out_ PUNICODE_STRING VolumeGuidName,
    _Out_opt_ PULONG BufferSizeNeeded);
NTSTATUS FLTAPI FltGetVolumeFromInstance(
    _In_ PFLT_INSTANCE Instance,
    _Outptr_ PFLT_VOLUME *RetVolume);
NTSTATUS FLTAPI FltGetVolumeFromName(
    _In_ PFLT_FILTER Filter,
    _In_ PCUNICODE_STRING VolumeName,
    _Outptr_ PFLT_VOLUME *RetVolume);
NTSTATUS FLTAPI FltGetVolumeFromFileObject(
    _In_ PFLT_FILTER Filter,
    _In_ PFILE_OBJECT FileObject,
    _Outptr_ PFLT_VOLUME *RetVolume);
NTSTATUS FLTAPI FltGetVolumeFromDeviceObject(
    _In_ PFLT_FILTER Filter,
    _In_ PDEVICE_OBJECT DeviceObject,
    _Outptr_ PFLT_VOLUME *RetVolume);
NTSTATUS FLTAPI FltGetVolumeInstanceFromName(
    _In_opt_ PFLT_FILTER Filter,
    _In_ PFLT_VOLUME Volume,
    _In_opt_ PCUNICODE_STRING InstanceName,
    _Outptr_ PFLT_INSTANCE *RetInstance);
NTSTATUS FLTAPI FltGetFilterFromInstance(
    _In_ PFLT_INSTANCE Instance,
    _Outptr_ PFLT_FILTER *RetFilter);
NTSTATUS FLTAPI FltGetFilterFromName(
    _In_ PCUNICODE_STRING FilterName,
    _Outptr_ PFLT_FILTER *RetFilter);
NTSTATUS FLTAPI FltGetInstanceInformation(
    _In_ PFLT_INSTANCE Instance,
    _In_ INSTANCE_INFORMATION_CLASS InformationClass,
    _Out_writes_bytes_to_opt_(BufferSize, *BytesReturned) PVOID Buffer,
    _In_ ULONG BufferSize,
    _Out_ PULONG BytesReturned);
NTSTATUS FLTAPI FltGetFilterInformation(
    _In_ PFLT_FILTER Filter,
    _In_ FILTER_INFORMATION_CLASS InformationClass,
    _Out_writes_bytes_to_opt_(BufferSize, *BytesReturned) PVOID Buffer,
    _In_ ULONG BufferSize,
    _Out_ PULONG BytesReturned);
NTSTATUS FLTAPI FltGetVolumeInformation(
    _In_ PFLT_VOLUME Volume,
    _In_ FILTER_VOLUME_INFORMATION_CLASS InformationClass,
    _Out_writes_bytes_to_opt_(BufferSize, *BytesReturned) PVOID Buffer,
    _In_ ULONG BufferSize,
    _Out_ PULONG BytesReturned);
NTSTATUS FLTAPI FltGetVolumeProperties(
    _In_ PFLT_VOLUME Volume,
    _Out_writes_bytes_to_opt_(VolumePropertiesLength, *LengthReturned) PFLT_VOLUME_PROPERTIES VolumeProperties,
    _In_ ULONG VolumePropertiesLength,
    _Out_ PULONG LengthReturned);
NTSTATUS FLTAPI FltIsVolumeWritable(
    _In_ PVOID FltObject,
    _Out_ PBOOLEAN IsWritable);
NTSTATUS FLTAPI FltIsVolumeSnapshot(
    _In_ PVOID FltObject,
    _Out_ PBOOLEAN IsSnapshotVolume);
NTSTATUS FLTAPI FltGetFileSystemType(
    _In_ PVOID FltObject,
    _Out_ PFLT_FILESYSTEM_TYPE FileSystemType);
NTSTATUS FLTAPI FltGetDiskDeviceObject(
    _In_ PFLT_VOLUME Volume,
    _Outptr_ PDEVICE_OBJECT *DiskDeviceObject);
NTSTATUS FLTAPI FltGetDeviceObject(
    _In_ PFLT_VOLUME Volume,
    _Outptr_ PDEVICE_OBJECT *DeviceObject);
NTSTATUS FLTAPI FltGetTopInstance(
    _In_ PFLT_VOLUME Volume,
    _Outptr_ PFLT_INSTANCE *Instance);
NTSTATUS FLTAPI FltGetBottomInstance(
    _In_ PFLT_VOLUME Volume,
    _Outptr_ PFLT_INSTANCE *Instance);
NTSTATUS FLTAPI FltGetUpperInstance(
    _In_ PFLT_INSTANCE CurrentInstance,
    _Outptr_ PFLT_INSTANCE *UpperInstance);
NTSTATUS FLTAPI FltGetLowerInstance(
    _In_ PFLT_INSTANCE CurrentInstance,
    _Outptr_ PFLT_INSTANCE *LowerInstance);
NTSTATUS FLTAPI FltAttachVolume(
    _Inout_ PFLT_FILTER Filter,
    _Inout_ PFLT_VOLUME Volume,
    _In_opt_ PCUNICODE_STRING InstanceName,
    _Outptr_opt_result_maybenull_ PFLT_INSTANCE *RetInstance);
NTSTATUS FLTAPI FltAttachVolumeAtAltitude(
    _Inout_ PFLT_FILTER Filter,
    _Inout_ PFLT_VOLUME Volume,
    _In_ PCUNICODE_STRING Altitude,
    _In_opt_ PCUNICODE_STRING InstanceName,
    _Outptr_opt_result_maybenull_ PFLT_INSTANCE *RetInstance);
NTSTATUS FLTAPI FltDetachVolume(
    _Inout_ PFLT_FILTER Filter,
    _Inout_ PFLT_VOLUME Volume,
    _In_opt_ PCUNICODE_STRING InstanceName);
NTSTATUS FLTAPI FltEnumerateVolumes(
    _In_ PFLT_FILTER Filter,
    _Out_writes_to_opt_(VolumeListSize, *NumberVolumesReturned) PFLT_VOLUME *VolumeList,
    _In_ ULONG VolumeListSize,
    _Out_ PULONG NumberVolumesReturned);
NTSTATUS FLTAPI FltEnumerateInstances(
    _In_opt_ PFLT_VOLUME Volume,
    _In_opt_ PFLT_FILTER Filter,
    _Out_writes_to_opt_(InstanceListSize, *NumberInstancesReturned) PFLT_INSTANCE *InstanceList,
    _In_ ULONG InstanceListSize,
    _Out_ PULONG NumberInstancesReturned);
NTSTATUS FLTAPI FltEnumerateFilters(
    _Out_writes_to_opt_(FilterListSize, *NumberFiltersReturned) PFLT_FILTER *FilterList,
    _In_ ULONG FilterListSize,
    _Out_ PULONG NumberFiltersReturned);
NTSTATUS FLTAPI FltObjectReference(_Inout_ PVOID FltObject);
VOID FLTAPI FltObjectDereference(_Inout_ PVOID FltObject);
NTSTATUS FLTAPI FltCreateSystemVolumeInformationFolder(_In_ PFLT_INSTANCE Instance);

/* Communication ports. */
NTSTATUS FLTAPI FltCreateCommunicationPort(
    _In_ PFLT_FILTER Filter,
    _Outptr_ PFLT_PORT *ServerPort,
    _In_ POBJECT_ATTRIBUTES ObjectAttributes,
    _In_opt_ PVOID ServerPortCookie,
    _In_ PFLT_CONNECT_NOTIFY ConnectNotifyCallback,
    _In_ PFLT_DISCONNECT_NOTIFY DisconnectNotifyCallback,
    _In_opt_ PFLT_MESSAGE_NOTIFY MessageNotifyCallback,
    _In_ LONG MaxConnections);
VOID FLTAPI FltCloseCommunicationPort(_In_ PFLT_PORT ServerPort);
VOID FLTAPI FltCloseClientPort(
    _In_ PFLT_FILTER Filter,
    _Outptr_result_maybenull_ PFLT_PORT *ClientPort);
NTSTATUS FLTAPI FltSendMessage(
    _In_ PFLT_FILTER Filter,
    _In_ PFLT_PORT *ClientPort,
    _In_reads_bytes_(SenderBufferLength) PVOID SenderBuffer,
    _In_ ULONG SenderBufferLength,
    _Out_writes_bytes_opt_(*ReplyLength) PVOID ReplyBuffer,
    _Inout_opt_ PULONG ReplyLength,
    _In_opt_ PLARGE_INTEGER Timeout);
NTSTATUS FLTAPI FltBuildDefaultSecurityDescriptor(
    _Outptr_ PSECURITY_DESCRIPTOR *SecurityDescriptor,
    _In_ ACCESS_MASK DesiredAccess);
VOID FLTAPI FltFreeSecurityDescriptor(_In_ PSECURITY_DESCRIPTOR SecurityDescriptor);

/* Work items. */
PFLT_DEFERRED_IO_WORKITEM FLTAPI FltAllocateDeferredIoWorkItem(VOID);
VOID FLTAPI FltFreeDeferredIoWorkItem(_In_ PFLT_DEFERRED_IO_WORKITEM FltWorkItem);
NTSTATUS FLTAPI FltQueueDeferredIoWorkItem(
    _In_ PFLT_DEFERRED_IO_WORKITEM FltWorkItem,
    _In_ PFLT_CALLBACK_DATA Data,
    _In_ PFLT_DEFERRED_IO_WORKITEM_ROUTINE WorkerRoutine,
    _In_ WORK_QUEUE_TYPE QueueType,
    _In_ PVOID Context);
PFLT_GENERIC_WORKITEM FLTAPI FltAllocateGenericWorkItem(VOID);
VOID FLTAPI FltFreeGenericWorkItem(_In_ PFLT_GENERIC_WORKITEM FltWorkItem);
NTSTATUS FLTAPI FltQueueGenericWorkItem(
    _In_ PFLT_GENERIC_WORKITEM FltWorkItem,
    _In_ PVOID FltObject,
    _In_ PFLT_GENERIC_WORKITEM_ROUTINE WorkerRoutine,
    _In_ WORK_QUEUE_TYPE QueueType,
    _In_opt_ PVOID Context);

/* Pool and locks. */
PVOID FLTAPI FltAllocatePoolAlignedWithTag(
    _In_ PFLT_INSTANCE Instance,
    _In_ POOL_TYPE PoolType,
    _In_ SIZE_T NumberOfBytes,
    _In_ ULONG Tag);
VOID FLTAPI FltFreePoolAlignedWithTag(
    _In_ PFLT_INSTANCE Instance,
    _In_ PVOID Buffer,
    _In_ ULONG Tag);
VOID FLTAPI FltInitializePushLock(_Out_ PEX_PUSH_LOCK PushLock);
VOID FLTAPI FltDeletePushLock(_In_ PEX_PUSH_LOCK PushLock);
VOID FLTAPI FltAcquirePushLockExclusive(_Inout_ PEX_PUSH_LOCK PushLock);
VOID FLTAPI FltAcquirePushLockShared(_Inout_ PEX_PUSH_LOCK PushLock);
VOID FLTAPI FltReleasePushLock(_Inout_ PEX_PUSH_LOCK PushLock);
VOID FLTAPI FltAcquireResourceExclusive(_Inout_ PERESOURCE Resource);
VOID FLTAPI FltAcquireResourceShared(_Inout_ PERESOURCE Resource);
VOID FLTAPI FltReleaseResource(_Inout_ PERESOURCE Resource);

/* Cancel-safe callback-data queues. */
NTSTATUS FLTAPI FltCbdqInitialize(
    _In_ PFLT_INSTANCE Instance,
    _Inout_ PFLT_CALLBACK_DATA_QUEUE Cbdq,
    _In_ PFLT_CALLBACK_DATA_QUEUE_INSERT_IO CbdqInsertIo,
    _In_ PFLT_CALLBACK_DATA_QUEUE_REMOVE_IO CbdqRemoveIo,
    _In_ PFLT_CALLBACK_DATA_QUEUE_PEEK_NEXT_IO CbdqPeekNextIo,
    _In_ PFLT_CALLBACK_DATA_QUEUE_ACQUIRE CbdqAcquire,
    _In_ PFLT_CALLBACK_DATA_QUEUE_RELEASE CbdqRelease,
    _In_ PFLT_CALLBACK_DATA_QUEUE_COMPLETE_CANCELED_IO CbdqCompleteCanceledIo);
VOID FLTAPI FltCbdqEnable(_Inout_ PFLT_CALLBACK_DATA_QUEUE Cbdq);
VOID FLTAPI FltCbdqDisable(_Inout_ PFLT_CALLBACK_DATA_QUEUE Cbdq);
NTSTATUS FLTAPI FltCbdqInsertIo(
    _Inout_ PFLT_CALLBACK_DATA_QUEUE Cbdq,
    _In_ PFLT_CALLBACK_DATA Cbd,
    _In_opt_ PFLT_CALLBACK_DATA_QUEUE_IO_CONTEXT Context,
    _In_opt_ PVOID InsertContext);
PFLT_CALLBACK_DATA FLTAPI FltCbdqRemoveIo(
    _Inout_ PFLT_CALLBACK_DATA_QUEUE Cbdq,
    _In_ PFLT_CALLBACK_DATA_QUEUE_IO_CONTEXT Context);
PFLT_CALLBACK_DATA FLTAPI FltCbdqRemoveNextIo(
    _Inout_ PFLT_CALLBACK_DATA_QUEUE Cbdq,
    _In_opt_ PVOID PeekContext);

/* Oplocks and byte-range locks. */
FLT_PREOP_CALLBACK_STATUS FLTAPI FltCheckOplock(
    _In_ POPLOCK Oplock,
    _In_ PFLT_CALLBACK_DATA CallbackData,
    _In_opt_ PVOID Context,
    _In_opt_ PFLTOPLOCK_WAIT_COMPLETE_ROUTINE WaitCompletionRoutine,
    _In_opt_ PFLTOPLOCK_PREPOST_CALLBACKDATA_ROUTINE PrePostCallbackDataRoutine);
VOID FLTAPI FltInitializeOplock(_Out_ POPLOCK Oplock);
VOID FLTAPI FltUninitializeOplock(_In_ POPLOCK Oplock);
FLT_PREOP_CALLBACK_STATUS FLTAPI FltOplockFsctrl(
    _In_ POPLOCK Oplock,
    _In_ PFLT_CALLBACK_DATA CallbackData,
    _In_ ULONG OpenCount);
BOOLEAN FLTAPI FltOplockIsFastIoPossible(_In_ POPLOCK Oplock);
BOOLEAN FLTAPI FltCurrentBatchOplock(_In_ POPLOCK Oplock);
VOID FLTAPI FltInitializeFileLock(_Out_ PFILE_LOCK FileLock);
VOID FLTAPI FltUninitializeFileLock(_In_ PFILE_LOCK FileLock);
PFILE_LOCK FLTAPI FltAllocateFileLock(
    _In_opt_ PFLT_COMPLETE_LOCK_CALLBACK_DATA_ROUTINE CompleteLockCallbackDataRoutine,
    _In_opt_ PUNLOCK_ROUTINE UnlockRoutine);
VOID FLTAPI FltFreeFileLock(_In_ PFILE_LOCK FileLock);
FLT_PREOP_CALLBACK_STATUS FLTAPI FltProcessFileLock(
    _In_ PFILE_LOCK FileLock,
    _In_ PFLT_CALLBACK_DATA CallbackData,
    _In_opt_ PVOID Context);
BOOLEAN FLTAPI FltCheckLockForReadAccess(
    _In_ PFILE_LOCK FileLock,
    _In_ PFLT_CALLBACK_DATA CallbackData);
BOOLEAN FLTAPI FltCheckLockForWriteAccess(
    _In_ PFILE_LOCK FileLock,
    _In_ PFLT_CALLBACK_DATA CallbackData);

/* Transactions. */
NTSTATUS FLTAPI FltEnlistInTransaction(
    _In_ PFLT_INSTANCE Instance,
    _In_ PKTRANSACTION Transaction,
    _In_ PFLT_CONTEXT TransactionContext,
    _In_ NOTIFICATION_MASK NotificationMask);
NTSTATUS FLTAPI FltRollbackEnlistment(
    _In_ PFLT_INSTANCE Instance,
    _In_ PKTRANSACTION Transaction,
    _In_opt_ PFLT_CONTEXT TransactionContext);
NTSTATUS FLTAPI FltPrePrepareComplete(
    _In_ PFLT_INSTANCE Instance,
    _In_ PKTRANSACTION Transaction,
    _In_opt_ PFLT_CONTEXT TransactionContext);
NTSTATUS FLTAPI FltPrepareComplete(
    _In_ PFLT_INSTANCE Instance,
    _In_ PKTRANSACTION Transaction,
    _In_opt_ PFLT_CONTEXT TransactionContext);
NTSTATUS FLTAPI FltCommitComplete(
    _In_ PFLT_INSTANCE Instance,
    _In_ PKTRANSACTION Transaction,
    _In_opt_ PFLT_CONTEXT TransactionContext);
NTSTATUS FLTAPI FltRollbackComplete(
    _In_ PFLT_INSTANCE Instance,
    _In_ PKTRANSACTION Transaction,
    _In_opt_ PFLT_CONTEXT TransactionContext);

/* Data scanning sections (Windows 8+). */
NTSTATUS FLTAPI FltRegisterForDataScan(_In_ PFLT_INSTANCE Instance);
NTSTATUS FLTAPI FltCreateSectionForDataScan(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT FileObject,
    _In_ PFLT_CONTEXT SectionContext,
    _In_ ACCESS_MASK DesiredAccess,
    _In_opt_ POBJECT_ATTRIBUTES ObjectAttributes,
    _In_opt_ PLARGE_INTEGER MaximumSize,
    _In_ ULONG SectionPageProtection,
    _In_ ULONG AllocationAttributes,
    _In_ ULONG Flags,
    _Out_ PHANDLE SectionHandle,
    _Outptr_ PVOID *SectionObject,
    _Out_opt_ PLARGE_INTEGER SectionFileSize);
NTSTATUS FLTAPI FltCloseSectionForDataScan(_In_ PFLT_CONTEXT SectionContext);

/* ------------------------------------------------------------------------ */
/* x64 layout checks                                                        */
/* ------------------------------------------------------------------------ */

#ifndef __cplusplus
#define FLTP_LAYOUT(type, field, off) \
    _Static_assert(offsetof(type, field) == (off), #type "." #field " must be at " #off " (x64 WDK layout)")

_Static_assert(sizeof(FLT_PARAMETERS) == 48, "FLT_PARAMETERS is 48 bytes on x64");
FLTP_LAYOUT(FLT_PARAMETERS, Create.FileAttributes, 16);
FLTP_LAYOUT(FLT_PARAMETERS, Create.ShareAccess, 18);
FLTP_LAYOUT(FLT_PARAMETERS, Create.EaLength, 24);
FLTP_LAYOUT(FLT_PARAMETERS, Create.AllocationSize, 40);
FLTP_LAYOUT(FLT_PARAMETERS, Read.Key, 8);
FLTP_LAYOUT(FLT_PARAMETERS, Read.ByteOffset, 16);
FLTP_LAYOUT(FLT_PARAMETERS, Read.MdlAddress, 32);
FLTP_LAYOUT(FLT_PARAMETERS, SetFileInformation.DeleteHandle, 24);
FLTP_LAYOUT(FLT_PARAMETERS, SetFileInformation.InfoBuffer, 32);
FLTP_LAYOUT(FLT_PARAMETERS, DirectoryControl.QueryDirectory.FileIndex, 24);
FLTP_LAYOUT(FLT_PARAMETERS, DirectoryControl.QueryDirectory.MdlAddress, 40);
FLTP_LAYOUT(FLT_PARAMETERS, DirectoryControl.NotifyDirectory.Spare2, 16);
FLTP_LAYOUT(FLT_PARAMETERS, FileSystemControl.Common.FsControlCode, 16);
FLTP_LAYOUT(FLT_PARAMETERS, FileSystemControl.Neither.OutputMdlAddress, 40);
FLTP_LAYOUT(FLT_PARAMETERS, DeviceIoControl.Common.IoControlCode, 16);
FLTP_LAYOUT(FLT_PARAMETERS, LockControl.ProcessId, 24);
FLTP_LAYOUT(FLT_PARAMETERS, QuerySecurity.Length, 8);
FLTP_LAYOUT(FLT_PARAMETERS, QuerySecurity.SecurityBuffer, 16);
FLTP_LAYOUT(FLT_PARAMETERS, QuerySecurity.MdlAddress, 24);
FLTP_LAYOUT(FLT_PARAMETERS, QueryQuota.MdlAddress, 40);
FLTP_LAYOUT(FLT_PARAMETERS, Pnp.UsageNotification.Type, 8);
FLTP_LAYOUT(FLT_PARAMETERS, FastIoCheckIfPossible.CheckForReadOperation, 24);
FLTP_LAYOUT(FLT_PARAMETERS, MdlRead.MdlChain, 24);
FLTP_LAYOUT(FLT_PARAMETERS, Others.Argument6, 40);

_Static_assert(sizeof(FLT_IO_PARAMETER_BLOCK) == 72, "FLT_IO_PARAMETER_BLOCK is 72 bytes on x64");
FLTP_LAYOUT(FLT_IO_PARAMETER_BLOCK, TargetFileObject, 8);
FLTP_LAYOUT(FLT_IO_PARAMETER_BLOCK, Parameters, 24);

_Static_assert(sizeof(FLT_CALLBACK_DATA) == 88, "FLT_CALLBACK_DATA is 88 bytes on x64");
FLTP_LAYOUT(FLT_CALLBACK_DATA, Iopb, 16);
FLTP_LAYOUT(FLT_CALLBACK_DATA, IoStatus, 24);
FLTP_LAYOUT(FLT_CALLBACK_DATA, TagData, 40);
FLTP_LAYOUT(FLT_CALLBACK_DATA, QueueLinks, 48);
FLTP_LAYOUT(FLT_CALLBACK_DATA, QueueContext, 64);
FLTP_LAYOUT(FLT_CALLBACK_DATA, FilterContext, 48);
FLTP_LAYOUT(FLT_CALLBACK_DATA, RequestorMode, 80);

_Static_assert(sizeof(FLT_RELATED_OBJECTS) == 48, "FLT_RELATED_OBJECTS is 48 bytes on x64");
FLTP_LAYOUT(FLT_RELATED_OBJECTS, Filter, 8);
FLTP_LAYOUT(FLT_RELATED_OBJECTS, Transaction, 40);

_Static_assert(sizeof(FLT_REGISTRATION) == 112, "FLT_REGISTRATION (0x0203) is 112 bytes on x64");
FLTP_LAYOUT(FLT_REGISTRATION, ContextRegistration, 8);
FLTP_LAYOUT(FLT_REGISTRATION, FilterUnloadCallback, 24);
FLTP_LAYOUT(FLT_REGISTRATION, GenerateFileNameCallback, 64);
FLTP_LAYOUT(FLT_REGISTRATION, SectionNotificationCallback, 104);
_Static_assert(sizeof(FLT_OPERATION_REGISTRATION) == 32, "FLT_OPERATION_REGISTRATION is 32 bytes on x64");
FLTP_LAYOUT(FLT_OPERATION_REGISTRATION, Flags, 4);
FLTP_LAYOUT(FLT_OPERATION_REGISTRATION, PreOperation, 8);
_Static_assert(sizeof(FLT_CONTEXT_REGISTRATION) == 56, "FLT_CONTEXT_REGISTRATION is 56 bytes on x64");
FLTP_LAYOUT(FLT_CONTEXT_REGISTRATION, ContextCleanupCallback, 8);
FLTP_LAYOUT(FLT_CONTEXT_REGISTRATION, Size, 16);
FLTP_LAYOUT(FLT_CONTEXT_REGISTRATION, PoolTag, 24);
FLTP_LAYOUT(FLT_CONTEXT_REGISTRATION, Reserved1, 48);

_Static_assert(sizeof(FLT_FILE_NAME_INFORMATION) == 120, "FLT_FILE_NAME_INFORMATION is 120 bytes on x64");
FLTP_LAYOUT(FLT_FILE_NAME_INFORMATION, Name, 8);
FLTP_LAYOUT(FLT_FILE_NAME_INFORMATION, ParentDir, 104);
_Static_assert(sizeof(FLT_VOLUME_PROPERTIES) == 72, "FLT_VOLUME_PROPERTIES is 72 bytes on x64");
FLTP_LAYOUT(FLT_VOLUME_PROPERTIES, FileSystemDriverName, 24);
FLTP_LAYOUT(FLT_TAG_DATA_BUFFER, GenericReparseBuffer, 8);

#undef FLTP_LAYOUT
#endif /* !__cplusplus */

#ifdef __cplusplus
}
#endif

/* ------------------------------------------------------------------------ */
/* Call-site recording for driver builds                                     */
/* ------------------------------------------------------------------------ */

#ifndef FLTSIM_KERNEL
#include <fsim_ddi.h>

#define FltRegisterFilter(...) FSIM_DDI(FltRegisterFilter)(__VA_ARGS__)
#define FltUnregisterFilter(...) FSIM_DDI(FltUnregisterFilter)(__VA_ARGS__)
#define FltStartFiltering(...) FSIM_DDI(FltStartFiltering)(__VA_ARGS__)
#define FltGetRoutineAddress(...) FSIM_DDI(FltGetRoutineAddress)(__VA_ARGS__)
#define FltLoadFilter(...) FSIM_DDI(FltLoadFilter)(__VA_ARGS__)
#define FltUnloadFilter(...) FSIM_DDI(FltUnloadFilter)(__VA_ARGS__)
#define FltAllocateContext(...) FSIM_DDI(FltAllocateContext)(__VA_ARGS__)
#define FltReferenceContext(...) FSIM_DDI(FltReferenceContext)(__VA_ARGS__)
#define FltReleaseContext(...) FSIM_DDI(FltReleaseContext)(__VA_ARGS__)
#define FltDeleteContext(...) FSIM_DDI(FltDeleteContext)(__VA_ARGS__)
#define FltSetVolumeContext(...) FSIM_DDI(FltSetVolumeContext)(__VA_ARGS__)
#define FltSetInstanceContext(...) FSIM_DDI(FltSetInstanceContext)(__VA_ARGS__)
#define FltSetFileContext(...) FSIM_DDI(FltSetFileContext)(__VA_ARGS__)
#define FltSetStreamContext(...) FSIM_DDI(FltSetStreamContext)(__VA_ARGS__)
#define FltSetStreamHandleContext(...) FSIM_DDI(FltSetStreamHandleContext)(__VA_ARGS__)
#define FltSetTransactionContext(...) FSIM_DDI(FltSetTransactionContext)(__VA_ARGS__)
#define FltDeleteVolumeContext(...) FSIM_DDI(FltDeleteVolumeContext)(__VA_ARGS__)
#define FltDeleteInstanceContext(...) FSIM_DDI(FltDeleteInstanceContext)(__VA_ARGS__)
#define FltDeleteFileContext(...) FSIM_DDI(FltDeleteFileContext)(__VA_ARGS__)
#define FltDeleteStreamContext(...) FSIM_DDI(FltDeleteStreamContext)(__VA_ARGS__)
#define FltDeleteStreamHandleContext(...) FSIM_DDI(FltDeleteStreamHandleContext)(__VA_ARGS__)
#define FltDeleteTransactionContext(...) FSIM_DDI(FltDeleteTransactionContext)(__VA_ARGS__)
#define FltGetVolumeContext(...) FSIM_DDI(FltGetVolumeContext)(__VA_ARGS__)
#define FltGetInstanceContext(...) FSIM_DDI(FltGetInstanceContext)(__VA_ARGS__)
#define FltGetFileContext(...) FSIM_DDI(FltGetFileContext)(__VA_ARGS__)
#define FltGetStreamContext(...) FSIM_DDI(FltGetStreamContext)(__VA_ARGS__)
#define FltGetStreamHandleContext(...) FSIM_DDI(FltGetStreamHandleContext)(__VA_ARGS__)
#define FltGetTransactionContext(...) FSIM_DDI(FltGetTransactionContext)(__VA_ARGS__)
#define FltGetSectionContext(...) FSIM_DDI(FltGetSectionContext)(__VA_ARGS__)
#define FltGetContexts(...) FSIM_DDI(FltGetContexts)(__VA_ARGS__)
#define FltGetContextsEx(...) FSIM_DDI(FltGetContextsEx)(__VA_ARGS__)
#define FltReleaseContexts(...) FSIM_DDI(FltReleaseContexts)(__VA_ARGS__)
#define FltReleaseContextsEx(...) FSIM_DDI(FltReleaseContextsEx)(__VA_ARGS__)
#define FltSupportsFileContexts(...) FSIM_DDI(FltSupportsFileContexts)(__VA_ARGS__)
#define FltSupportsFileContextsEx(...) FSIM_DDI(FltSupportsFileContextsEx)(__VA_ARGS__)
#define FltSupportsStreamContexts(...) FSIM_DDI(FltSupportsStreamContexts)(__VA_ARGS__)
#define FltSupportsStreamHandleContexts(...) FSIM_DDI(FltSupportsStreamHandleContexts)(__VA_ARGS__)
#define FltGetFileNameInformation(...) FSIM_DDI(FltGetFileNameInformation)(__VA_ARGS__)
#define FltGetFileNameInformationUnsafe(...) FSIM_DDI(FltGetFileNameInformationUnsafe)(__VA_ARGS__)
#define FltGetDestinationFileNameInformation(...) FSIM_DDI(FltGetDestinationFileNameInformation)(__VA_ARGS__)
#define FltGetTunneledName(...) FSIM_DDI(FltGetTunneledName)(__VA_ARGS__)
#define FltReleaseFileNameInformation(...) FSIM_DDI(FltReleaseFileNameInformation)(__VA_ARGS__)
#define FltReferenceFileNameInformation(...) FSIM_DDI(FltReferenceFileNameInformation)(__VA_ARGS__)
#define FltParseFileName(...) FSIM_DDI(FltParseFileName)(__VA_ARGS__)
#define FltParseFileNameInformation(...) FSIM_DDI(FltParseFileNameInformation)(__VA_ARGS__)
#define FltCheckAndGrowNameControl(...) FSIM_DDI(FltCheckAndGrowNameControl)(__VA_ARGS__)
#define FltPurgeFileNameInformationCache(...) FSIM_DDI(FltPurgeFileNameInformationCache)(__VA_ARGS__)
#define FltCreateFile(...) FSIM_DDI(FltCreateFile)(__VA_ARGS__)
#define FltCreateFileEx(...) FSIM_DDI(FltCreateFileEx)(__VA_ARGS__)
#define FltCreateFileEx2(...) FSIM_DDI(FltCreateFileEx2)(__VA_ARGS__)
#define FltClose(...) FSIM_DDI(FltClose)(__VA_ARGS__)
#define FltReadFile(...) FSIM_DDI(FltReadFile)(__VA_ARGS__)
#define FltReadFileEx(...) FSIM_DDI(FltReadFileEx)(__VA_ARGS__)
#define FltWriteFile(...) FSIM_DDI(FltWriteFile)(__VA_ARGS__)
#define FltWriteFileEx(...) FSIM_DDI(FltWriteFileEx)(__VA_ARGS__)
#define FltQueryInformationFile(...) FSIM_DDI(FltQueryInformationFile)(__VA_ARGS__)
#define FltSetInformationFile(...) FSIM_DDI(FltSetInformationFile)(__VA_ARGS__)
#define FltQueryDirectoryFile(...) FSIM_DDI(FltQueryDirectoryFile)(__VA_ARGS__)
#define FltQueryDirectoryFileEx(...) FSIM_DDI(FltQueryDirectoryFileEx)(__VA_ARGS__)
#define FltQueryVolumeInformationFile(...) FSIM_DDI(FltQueryVolumeInformationFile)(__VA_ARGS__)
#define FltQueryVolumeInformation(...) FSIM_DDI(FltQueryVolumeInformation)(__VA_ARGS__)
#define FltSetVolumeInformation(...) FSIM_DDI(FltSetVolumeInformation)(__VA_ARGS__)
#define FltQuerySecurityObject(...) FSIM_DDI(FltQuerySecurityObject)(__VA_ARGS__)
#define FltSetSecurityObject(...) FSIM_DDI(FltSetSecurityObject)(__VA_ARGS__)
#define FltFlushBuffers(...) FSIM_DDI(FltFlushBuffers)(__VA_ARGS__)
#define FltFlushBuffers2(...) FSIM_DDI(FltFlushBuffers2)(__VA_ARGS__)
#define FltDeviceIoControlFile(...) FSIM_DDI(FltDeviceIoControlFile)(__VA_ARGS__)
#define FltFsControlFile(...) FSIM_DDI(FltFsControlFile)(__VA_ARGS__)
#define FltIsDirectory(...) FSIM_DDI(FltIsDirectory)(__VA_ARGS__)
#define FltCancelFileOpen(...) FSIM_DDI(FltCancelFileOpen)(__VA_ARGS__)
#define FltAllocateCallbackData(...) FSIM_DDI(FltAllocateCallbackData)(__VA_ARGS__)
#define FltAllocateCallbackDataEx(...) FSIM_DDI(FltAllocateCallbackDataEx)(__VA_ARGS__)
#define FltFreeCallbackData(...) FSIM_DDI(FltFreeCallbackData)(__VA_ARGS__)
#define FltReuseCallbackData(...) FSIM_DDI(FltReuseCallbackData)(__VA_ARGS__)
#define FltPerformSynchronousIo(...) FSIM_DDI(FltPerformSynchronousIo)(__VA_ARGS__)
#define FltPerformAsynchronousIo(...) FSIM_DDI(FltPerformAsynchronousIo)(__VA_ARGS__)
#define FltReissueSynchronousIo(...) FSIM_DDI(FltReissueSynchronousIo)(__VA_ARGS__)
#define FltCompletePendedPreOperation(...) FSIM_DDI(FltCompletePendedPreOperation)(__VA_ARGS__)
#define FltCompletePendedPostOperation(...) FSIM_DDI(FltCompletePendedPostOperation)(__VA_ARGS__)
#define FltDoCompletionProcessingWhenSafe(...) FSIM_DDI(FltDoCompletionProcessingWhenSafe)(__VA_ARGS__)
#define FltLockUserBuffer(...) FSIM_DDI(FltLockUserBuffer)(__VA_ARGS__)
#define FltDecodeParameters(...) FSIM_DDI(FltDecodeParameters)(__VA_ARGS__)
#define FltGetSwappedBufferMdlAddress(...) FSIM_DDI(FltGetSwappedBufferMdlAddress)(__VA_ARGS__)
#define FltRetainSwappedBufferMdlAddress(...) FSIM_DDI(FltRetainSwappedBufferMdlAddress)(__VA_ARGS__)
#define FltGetNewSystemBufferAddress(...) FSIM_DDI(FltGetNewSystemBufferAddress)(__VA_ARGS__)
#define FltSetCallbackDataDirty(...) FSIM_DDI(FltSetCallbackDataDirty)(__VA_ARGS__)
#define FltClearCallbackDataDirty(...) FSIM_DDI(FltClearCallbackDataDirty)(__VA_ARGS__)
#define FltIsCallbackDataDirty(...) FSIM_DDI(FltIsCallbackDataDirty)(__VA_ARGS__)
#define FltIsOperationSynchronous(...) FSIM_DDI(FltIsOperationSynchronous)(__VA_ARGS__)
#define FltIsIoCanceled(...) FSIM_DDI(FltIsIoCanceled)(__VA_ARGS__)
#define FltSetCancelCompletion(...) FSIM_DDI(FltSetCancelCompletion)(__VA_ARGS__)
#define FltClearCancelCompletion(...) FSIM_DDI(FltClearCancelCompletion)(__VA_ARGS__)
#define FltCancelIo(...) FSIM_DDI(FltCancelIo)(__VA_ARGS__)
#define FltRequestOperationStatusCallback(...) FSIM_DDI(FltRequestOperationStatusCallback)(__VA_ARGS__)
#define FltGetRequestorProcess(...) FSIM_DDI(FltGetRequestorProcess)(__VA_ARGS__)
#define FltGetRequestorProcessId(...) FSIM_DDI(FltGetRequestorProcessId)(__VA_ARGS__)
#define FltGetRequestorProcessIdEx(...) FSIM_DDI(FltGetRequestorProcessIdEx)(__VA_ARGS__)
#define FltIs32bitProcess(...) FSIM_DDI(FltIs32bitProcess)(__VA_ARGS__)
#define FltGetIrpName(...) FSIM_DDI(FltGetIrpName)(__VA_ARGS__)
#define FltGetIoPriorityHint(...) FSIM_DDI(FltGetIoPriorityHint)(__VA_ARGS__)
#define FltGetIoPriorityHintFromCallbackData(...) FSIM_DDI(FltGetIoPriorityHintFromCallbackData)(__VA_ARGS__)
#define FltSetIoPriorityHintIntoCallbackData(...) FSIM_DDI(FltSetIoPriorityHintIntoCallbackData)(__VA_ARGS__)
#define FltGetIoPriorityHintFromFileObject(...) FSIM_DDI(FltGetIoPriorityHintFromFileObject)(__VA_ARGS__)
#define FltSetIoPriorityHintIntoFileObject(...) FSIM_DDI(FltSetIoPriorityHintIntoFileObject)(__VA_ARGS__)
#define FltGetIoPriorityHintFromThread(...) FSIM_DDI(FltGetIoPriorityHintFromThread)(__VA_ARGS__)
#define FltSetIoPriorityHintIntoThread(...) FSIM_DDI(FltSetIoPriorityHintIntoThread)(__VA_ARGS__)
#define FltCancellableWaitForSingleObject(...) FSIM_DDI(FltCancellableWaitForSingleObject)(__VA_ARGS__)
#define FltCancellableWaitForMultipleObjects(...) FSIM_DDI(FltCancellableWaitForMultipleObjects)(__VA_ARGS__)
#define FltGetEcpListFromCallbackData(...) FSIM_DDI(FltGetEcpListFromCallbackData)(__VA_ARGS__)
#define FltSetEcpListIntoCallbackData(...) FSIM_DDI(FltSetEcpListIntoCallbackData)(__VA_ARGS__)
#define FltAllocateExtraCreateParameterList(...) FSIM_DDI(FltAllocateExtraCreateParameterList)(__VA_ARGS__)
#define FltAllocateExtraCreateParameter(...) FSIM_DDI(FltAllocateExtraCreateParameter)(__VA_ARGS__)
#define FltFreeExtraCreateParameterList(...) FSIM_DDI(FltFreeExtraCreateParameterList)(__VA_ARGS__)
#define FltFreeExtraCreateParameter(...) FSIM_DDI(FltFreeExtraCreateParameter)(__VA_ARGS__)
#define FltInsertExtraCreateParameter(...) FSIM_DDI(FltInsertExtraCreateParameter)(__VA_ARGS__)
#define FltFindExtraCreateParameter(...) FSIM_DDI(FltFindExtraCreateParameter)(__VA_ARGS__)
#define FltRemoveExtraCreateParameter(...) FSIM_DDI(FltRemoveExtraCreateParameter)(__VA_ARGS__)
#define FltGetNextExtraCreateParameter(...) FSIM_DDI(FltGetNextExtraCreateParameter)(__VA_ARGS__)
#define FltAcknowledgeEcp(...) FSIM_DDI(FltAcknowledgeEcp)(__VA_ARGS__)
#define FltIsEcpAcknowledged(...) FSIM_DDI(FltIsEcpAcknowledged)(__VA_ARGS__)
#define FltIsEcpFromUserMode(...) FSIM_DDI(FltIsEcpFromUserMode)(__VA_ARGS__)
#define FltGetVolumeName(...) FSIM_DDI(FltGetVolumeName)(__VA_ARGS__)
#define FltGetVolumeGuidName(...) FSIM_DDI(FltGetVolumeGuidName)(__VA_ARGS__)
#define FltGetVolumeFromInstance(...) FSIM_DDI(FltGetVolumeFromInstance)(__VA_ARGS__)
#define FltGetVolumeFromName(...) FSIM_DDI(FltGetVolumeFromName)(__VA_ARGS__)
#define FltGetVolumeFromFileObject(...) FSIM_DDI(FltGetVolumeFromFileObject)(__VA_ARGS__)
#define FltGetVolumeFromDeviceObject(...) FSIM_DDI(FltGetVolumeFromDeviceObject)(__VA_ARGS__)
#define FltGetVolumeInstanceFromName(...) FSIM_DDI(FltGetVolumeInstanceFromName)(__VA_ARGS__)
#define FltGetFilterFromInstance(...) FSIM_DDI(FltGetFilterFromInstance)(__VA_ARGS__)
#define FltGetFilterFromName(...) FSIM_DDI(FltGetFilterFromName)(__VA_ARGS__)
#define FltGetInstanceInformation(...) FSIM_DDI(FltGetInstanceInformation)(__VA_ARGS__)
#define FltGetFilterInformation(...) FSIM_DDI(FltGetFilterInformation)(__VA_ARGS__)
#define FltGetVolumeInformation(...) FSIM_DDI(FltGetVolumeInformation)(__VA_ARGS__)
#define FltGetVolumeProperties(...) FSIM_DDI(FltGetVolumeProperties)(__VA_ARGS__)
#define FltIsVolumeWritable(...) FSIM_DDI(FltIsVolumeWritable)(__VA_ARGS__)
#define FltIsVolumeSnapshot(...) FSIM_DDI(FltIsVolumeSnapshot)(__VA_ARGS__)
#define FltGetFileSystemType(...) FSIM_DDI(FltGetFileSystemType)(__VA_ARGS__)
#define FltGetDiskDeviceObject(...) FSIM_DDI(FltGetDiskDeviceObject)(__VA_ARGS__)
#define FltGetDeviceObject(...) FSIM_DDI(FltGetDeviceObject)(__VA_ARGS__)
#define FltGetTopInstance(...) FSIM_DDI(FltGetTopInstance)(__VA_ARGS__)
#define FltGetBottomInstance(...) FSIM_DDI(FltGetBottomInstance)(__VA_ARGS__)
#define FltGetUpperInstance(...) FSIM_DDI(FltGetUpperInstance)(__VA_ARGS__)
#define FltGetLowerInstance(...) FSIM_DDI(FltGetLowerInstance)(__VA_ARGS__)
#define FltAttachVolume(...) FSIM_DDI(FltAttachVolume)(__VA_ARGS__)
#define FltAttachVolumeAtAltitude(...) FSIM_DDI(FltAttachVolumeAtAltitude)(__VA_ARGS__)
#define FltDetachVolume(...) FSIM_DDI(FltDetachVolume)(__VA_ARGS__)
#define FltEnumerateVolumes(...) FSIM_DDI(FltEnumerateVolumes)(__VA_ARGS__)
#define FltEnumerateInstances(...) FSIM_DDI(FltEnumerateInstances)(__VA_ARGS__)
#define FltEnumerateFilters(...) FSIM_DDI(FltEnumerateFilters)(__VA_ARGS__)
#define FltObjectReference(...) FSIM_DDI(FltObjectReference)(__VA_ARGS__)
#define FltObjectDereference(...) FSIM_DDI(FltObjectDereference)(__VA_ARGS__)
#define FltCreateSystemVolumeInformationFolder(...) FSIM_DDI(FltCreateSystemVolumeInformationFolder)(__VA_ARGS__)
#define FltCreateCommunicationPort(...) FSIM_DDI(FltCreateCommunicationPort)(__VA_ARGS__)
#define FltCloseCommunicationPort(...) FSIM_DDI(FltCloseCommunicationPort)(__VA_ARGS__)
#define FltCloseClientPort(...) FSIM_DDI(FltCloseClientPort)(__VA_ARGS__)
#define FltSendMessage(...) FSIM_DDI(FltSendMessage)(__VA_ARGS__)
#define FltBuildDefaultSecurityDescriptor(...) FSIM_DDI(FltBuildDefaultSecurityDescriptor)(__VA_ARGS__)
#define FltFreeSecurityDescriptor(...) FSIM_DDI(FltFreeSecurityDescriptor)(__VA_ARGS__)
#define FltAllocateDeferredIoWorkItem(...) FSIM_DDI(FltAllocateDeferredIoWorkItem)(__VA_ARGS__)
#define FltFreeDeferredIoWorkItem(...) FSIM_DDI(FltFreeDeferredIoWorkItem)(__VA_ARGS__)
#define FltQueueDeferredIoWorkItem(...) FSIM_DDI(FltQueueDeferredIoWorkItem)(__VA_ARGS__)
#define FltAllocateGenericWorkItem(...) FSIM_DDI(FltAllocateGenericWorkItem)(__VA_ARGS__)
#define FltFreeGenericWorkItem(...) FSIM_DDI(FltFreeGenericWorkItem)(__VA_ARGS__)
#define FltQueueGenericWorkItem(...) FSIM_DDI(FltQueueGenericWorkItem)(__VA_ARGS__)
#define FltAllocatePoolAlignedWithTag(...) FSIM_DDI(FltAllocatePoolAlignedWithTag)(__VA_ARGS__)
#define FltFreePoolAlignedWithTag(...) FSIM_DDI(FltFreePoolAlignedWithTag)(__VA_ARGS__)
#define FltInitializePushLock(...) FSIM_DDI(FltInitializePushLock)(__VA_ARGS__)
#define FltDeletePushLock(...) FSIM_DDI(FltDeletePushLock)(__VA_ARGS__)
#define FltAcquirePushLockExclusive(...) FSIM_DDI(FltAcquirePushLockExclusive)(__VA_ARGS__)
#define FltAcquirePushLockShared(...) FSIM_DDI(FltAcquirePushLockShared)(__VA_ARGS__)
#define FltReleasePushLock(...) FSIM_DDI(FltReleasePushLock)(__VA_ARGS__)
#define FltAcquireResourceExclusive(...) FSIM_DDI(FltAcquireResourceExclusive)(__VA_ARGS__)
#define FltAcquireResourceShared(...) FSIM_DDI(FltAcquireResourceShared)(__VA_ARGS__)
#define FltReleaseResource(...) FSIM_DDI(FltReleaseResource)(__VA_ARGS__)
#define FltCbdqInitialize(...) FSIM_DDI(FltCbdqInitialize)(__VA_ARGS__)
#define FltCbdqEnable(...) FSIM_DDI(FltCbdqEnable)(__VA_ARGS__)
#define FltCbdqDisable(...) FSIM_DDI(FltCbdqDisable)(__VA_ARGS__)
#define FltCbdqInsertIo(...) FSIM_DDI(FltCbdqInsertIo)(__VA_ARGS__)
#define FltCbdqRemoveIo(...) FSIM_DDI(FltCbdqRemoveIo)(__VA_ARGS__)
#define FltCbdqRemoveNextIo(...) FSIM_DDI(FltCbdqRemoveNextIo)(__VA_ARGS__)
#define FltCheckOplock(...) FSIM_DDI(FltCheckOplock)(__VA_ARGS__)
#define FltInitializeOplock(...) FSIM_DDI(FltInitializeOplock)(__VA_ARGS__)
#define FltUninitializeOplock(...) FSIM_DDI(FltUninitializeOplock)(__VA_ARGS__)
#define FltOplockFsctrl(...) FSIM_DDI(FltOplockFsctrl)(__VA_ARGS__)
#define FltOplockIsFastIoPossible(...) FSIM_DDI(FltOplockIsFastIoPossible)(__VA_ARGS__)
#define FltCurrentBatchOplock(...) FSIM_DDI(FltCurrentBatchOplock)(__VA_ARGS__)
#define FltInitializeFileLock(...) FSIM_DDI(FltInitializeFileLock)(__VA_ARGS__)
#define FltUninitializeFileLock(...) FSIM_DDI(FltUninitializeFileLock)(__VA_ARGS__)
#define FltAllocateFileLock(...) FSIM_DDI(FltAllocateFileLock)(__VA_ARGS__)
#define FltFreeFileLock(...) FSIM_DDI(FltFreeFileLock)(__VA_ARGS__)
#define FltProcessFileLock(...) FSIM_DDI(FltProcessFileLock)(__VA_ARGS__)
#define FltCheckLockForReadAccess(...) FSIM_DDI(FltCheckLockForReadAccess)(__VA_ARGS__)
#define FltCheckLockForWriteAccess(...) FSIM_DDI(FltCheckLockForWriteAccess)(__VA_ARGS__)
#define FltEnlistInTransaction(...) FSIM_DDI(FltEnlistInTransaction)(__VA_ARGS__)
#define FltRollbackEnlistment(...) FSIM_DDI(FltRollbackEnlistment)(__VA_ARGS__)
#define FltPrePrepareComplete(...) FSIM_DDI(FltPrePrepareComplete)(__VA_ARGS__)
#define FltPrepareComplete(...) FSIM_DDI(FltPrepareComplete)(__VA_ARGS__)
#define FltCommitComplete(...) FSIM_DDI(FltCommitComplete)(__VA_ARGS__)
#define FltRollbackComplete(...) FSIM_DDI(FltRollbackComplete)(__VA_ARGS__)
#define FltRegisterForDataScan(...) FSIM_DDI(FltRegisterForDataScan)(__VA_ARGS__)
#define FltCreateSectionForDataScan(...) FSIM_DDI(FltCreateSectionForDataScan)(__VA_ARGS__)
#define FltCloseSectionForDataScan(...) FSIM_DDI(FltCloseSectionForDataScan)(__VA_ARGS__)
#endif

#endif /* __FLTKERNEL__ */
