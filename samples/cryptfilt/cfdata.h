/*
 * cfdata.h - cryptfilt: the filter's data structures (global data, volume
 * context, FCB and CCB of an isolated file, the on-disk header), pool tags,
 * logging, and the prototypes the cf*.c files share.
 *
 * The isolation model in one paragraph: for a managed file the user's
 * FILE_OBJECT never reaches the file system.  cryptfilt completes the create
 * itself and puts its own FCB (one per file, shared by every open) in
 * FsContext and its own CCB (one per open) in FsContext2.  Each CCB owns a
 * *lower stream file object*, opened with FltCreateFileEx2 below cryptfilt's
 * instance on the same path; every operation on the user's file object is
 * completed by cryptfilt after forwarding what it needs to that lower file
 * object, shifting offsets and sizes by the header and running data through
 * the cipher.  Upper filters and the I/O manager see a plaintext file of
 * FCB->Header.FileSize bytes; the file system sees a header followed by
 * ciphertext.
 */
#ifndef CRYPTFILT_CFDATA_H
#define CRYPTFILT_CFDATA_H

#include <fltKernel.h>
#include <ntstrsafe.h>
#include "cipher.h"

/* ------------------------------------------------------------------------ */
/* Constants                                                                */
/* ------------------------------------------------------------------------ */

/* Pool tags ('Cf..' as !pool shows them). */
#define CF_TAG_FCB 'bFfC'           /* CfFb: FCB */
#define CF_TAG_CCB 'bCfC'           /* CfCb: CCB */
#define CF_TAG_NAME 'mNfC'          /* CfNm: names */
#define CF_TAG_RESOURCE 'sRfC'      /* CfRs: ERESOURCEs */
#define CF_TAG_BUFFER 'fBfC'        /* CfBf: I/O bounce buffers */
#define CF_TAG_HEADER 'dHfC'        /* CfHd: header blocks */
#define CF_TAG_VOLUME 'oVfC'        /* CfVo: volume context */
#define CF_TAG_REGISTRY 'gRfC'      /* CfRg: registry reads */

/* Node type codes of cryptfilt's own structures (FSRTL header NodeTypeCode). */
#define CF_NTC_FCB ((CSHORT)0x4346)   /* 'CF' */
#define CF_NTC_CCB ((CSHORT)0x4347)

/*
 * The file header: one 4 KB block in front of the ciphertext, so the data
 * of plaintext offset N lives at N + CF_HEADER_SIZE and non-cached I/O stays
 * sector aligned.
 */
#define CF_HEADER_SIZE 0x1000
#define CF_HEADER_VERSION 1
#define CF_HEADER_MAGIC "CRYPTFLT"  /* 8 bytes, no terminator on disk */
#define CF_HEADER_MAGIC_LENGTH 8

#pragma pack(push, 1)
typedef struct _CF_DISK_HEADER {
    UCHAR Magic[CF_HEADER_MAGIC_LENGTH];
    ULONG Version;                  /* CF_HEADER_VERSION */
    ULONG HeaderSize;               /* CF_HEADER_SIZE */
    LONGLONG OriginalSize;          /* plaintext size (valid data) */
    ULONGLONG Nonce;                /* per-file cipher nonce */
    ULONG CipherId;                 /* CF_CIPHER_ID_* */
    ULONG Flags;                    /* reserved, 0 */
    ULONGLONG KeyCheck;             /* derived from the key and the nonce */
    ULONG Checksum;                 /* CfHeaderChecksum over the bytes before it */
} CF_DISK_HEADER, *PCF_DISK_HEADER;
#pragma pack(pop)

C_ASSERT(sizeof(CF_DISK_HEADER) <= CF_HEADER_SIZE);

/* Largest bounce buffer for one step of a read or write. */
#define CF_IO_CHUNK 0x10000

/* Extensions (Parameters\Extension, ';'-separated). */
#define CF_MAX_EXTENSIONS 8
#define CF_MAX_EXTENSION_CHARS 16

/* LogLevel values (Parameters\LogLevel). */
#define CF_LOG_NONE 0
#define CF_LOG_INFO 1               /* opens, closes, header and security events */
#define CF_LOG_VERBOSE 2            /* plus every read/write, with disk bytes */

#define CF_LOG(_level, _args)                 \
    do {                                      \
        if (CfGlobals.LogLevel >= (_level)) { \
            DbgPrint _args;                   \
        }                                     \
    } while (0)

/* ------------------------------------------------------------------------ */
/* Global data                                                              */
/* ------------------------------------------------------------------------ */

typedef struct _CF_GLOBAL_DATA {
    PFLT_FILTER Filter;
    PDRIVER_OBJECT DriverObject;

    /* Parameters (Services\cryptfilt\Parameters). */
    ULONG FreeCallbackData;         /* FreeCallbackData: 1 (default) frees the re-issued query's data */
    ULONG ExpandStack;              /* ExpandStack: 1 reads the header via KeExpandKernelStackAndCalloutEx */
    ULONG ManageByHeader;           /* ManageByHeader: 1 also isolates any file that carries the header */
    ULONG LogLevel;                 /* LogLevel */
    ULONG KeySeed;                  /* KeySeed: key material for the placeholder cipher */
    ULONG ExtensionCount;
    WCHAR Extensions[CF_MAX_EXTENSIONS][CF_MAX_EXTENSION_CHARS]; /* without the dot, NUL-terminated */

    UCHAR Key[CF_CIPHER_KEY_BYTES]; /* expanded from KeySeed */
    PCCF_CIPHER_OPS Cipher;         /* cipher for new files */

    volatile LONG FcbCount;         /* live FCBs on every volume (unload refuses while > 0) */
    volatile LONG64 NonceCounter;   /* per-file nonces: deterministic sequence */
} CF_GLOBAL_DATA, *PCF_GLOBAL_DATA;

extern CF_GLOBAL_DATA CfGlobals;

/* ------------------------------------------------------------------------ */
/* Volume context                                                           */
/* ------------------------------------------------------------------------ */

/*
 * One per instance (volume).  VolResource protects FcbList and serializes
 * creates of managed files, so two opens of one file never build two FCBs.
 */
typedef struct _CF_VOLUME_CONTEXT {
    PERESOURCE VolResource;         /* non-paged ERESOURCE */
    LIST_ENTRY FcbList;             /* CF_FCB.VolumeLinks */
    ULONG FcbCount;
    DEVICE_TYPE DeviceType;
    FLT_FILESYSTEM_TYPE FileSystemType;
} CF_VOLUME_CONTEXT, *PCF_VOLUME_CONTEXT;

/* ------------------------------------------------------------------------ */
/* FCB / CCB                                                                */
/* ------------------------------------------------------------------------ */

/*
 * The FCB of an isolated file: what FsContext points to for every user
 * open of it.  It starts with an FSRTL_ADVANCED_FCB_HEADER (set up with
 * FsRtlSetupAdvancedHeader) so FltMgr can attach stream contexts of filters
 * above cryptfilt, and Header.FileSize/ValidDataLength/AllocationSize are
 * the *plaintext* sizes.  Header.Resource protects the sizes and serializes
 * I/O on the file.
 */
typedef struct _CF_FCB {
    FSRTL_ADVANCED_FCB_HEADER Header;
    SECTION_OBJECT_POINTERS SectionObjectPointers; /* no data section: cryptfilt does not cache */
    FAST_MUTEX HeaderFastMutex;     /* FsRtl's lock for Header.FilterContexts */
    ERESOURCE MainResource;         /* Header.Resource */
    ERESOURCE PagingIoResource;     /* Header.PagingIoResource */

    LIST_ENTRY VolumeLinks;         /* CF_VOLUME_CONTEXT.FcbList */
    PCF_VOLUME_CONTEXT Volume;      /* referenced */
    LONG ReferenceCount;            /* one per CCB (+ transient lookups) */
    ULONG OpenCount;                /* CCBs */
    ULONG UncleanCount;             /* CCBs whose cleanup has not come */
    SHARE_ACCESS ShareAccess;       /* sharing among the user's opens */

    UNICODE_STRING FileName;        /* normalized name (pool); FCB lookup key */
    BOOLEAN DeletePending;
    BOOLEAN HeaderDirty;            /* OriginalSize changed but not yet written */

    /* Header contents and cipher state. */
    ULONG HeaderVersion;
    ULONG CipherId;
    ULONGLONG Nonce;
    CF_CIPHER_CONTEXT Cipher;
} CF_FCB, *PCF_FCB;

/* The lower stream file object of one open (named as in the seed's driver). */
typedef struct _CF_STREAM_FILE_INFO {
    PFILE_OBJECT StreamObject;      /* referenced; dereferenced at IRP_MJ_CLOSE */
    HANDLE StreamHandle;            /* kernel handle; FltClose at IRP_MJ_CLEANUP */
} CF_STREAM_FILE_INFO, *PCF_STREAM_FILE_INFO;

typedef struct _CF_CCB {
    CSHORT NodeTypeCode;            /* CF_NTC_CCB */
    CSHORT NodeByteSize;
    PCF_FCB Fcb;
    CF_STREAM_FILE_INFO StreamFileInfo;
    ACCESS_MASK DesiredAccess;      /* what the user asked for (generic rights mapped) */
    ULONG CreateOptions;
    BOOLEAN CleanupDone;
} CF_CCB, *PCF_CCB;

/* ------------------------------------------------------------------------ */
/* Prototypes                                                               */
/* ------------------------------------------------------------------------ */

/* cfmain.c */
BOOLEAN
CfIsManagedExtension(
    _In_ PCUNICODE_STRING Extension);

/* cfstruct.c: FCB/CCB lifetime, lookups, locking */
BOOLEAN
CfIsIsolatedFileObject(
    _In_opt_ PFILE_OBJECT FileObject);

NTSTATUS
CfCreateFcb(
    _In_ PCF_VOLUME_CONTEXT Volume,
    _In_ PCUNICODE_STRING FileName,
    _In_ LONGLONG FileSize,
    _In_ LONGLONG LowerAllocationSize,
    _In_ ULONGLONG Nonce,
    _In_ ULONG CipherId,
    _Outptr_ PCF_FCB *Fcb);

PCF_FCB
CfFindFcb(
    _In_ PCF_VOLUME_CONTEXT Volume,
    _In_ PCUNICODE_STRING FileName);

VOID
CfReferenceFcb(
    _Inout_ PCF_FCB Fcb);

VOID
CfDereferenceFcb(
    _Inout_ PCF_FCB Fcb);

NTSTATUS
CfRenameFcb(
    _Inout_ PCF_FCB Fcb,
    _In_ PCUNICODE_STRING NewName);

NTSTATUS
CfCreateCcb(
    _In_ PCF_FCB Fcb,
    _In_ PFILE_OBJECT StreamObject,
    _In_ HANDLE StreamHandle,
    _In_ ACCESS_MASK DesiredAccess,
    _In_ ULONG CreateOptions,
    _Outptr_ PCF_CCB *Ccb);

VOID
CfDeleteCcb(
    _In_ _Post_invalid_ PCF_CCB Ccb);

VOID
CfAcquireExclusive(
    _Inout_ PERESOURCE Resource);

VOID
CfAcquireShared(
    _Inout_ PERESOURCE Resource);

VOID
CfRelease(
    _Inout_ PERESOURCE Resource);

VOID
CfVolumeContextCleanup(
    _In_ PFLT_CONTEXT Context,
    _In_ FLT_CONTEXT_TYPE ContextType);

NTSTATUS
CfCopyUnicodeString(
    _Out_ PUNICODE_STRING Destination,
    _In_ PCUNICODE_STRING Source);

VOID
CfFreeUnicodeString(
    _Inout_ PUNICODE_STRING String);

/* cfheader.c: the file header */
VOID
CfBuildHeader(
    _In_ PCF_FCB Fcb,
    _Out_writes_bytes_(CF_HEADER_SIZE) PUCHAR Block);

NTSTATUS
CfWriteHeader(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT StreamObject,
    _In_ PCF_FCB Fcb);

/* Result of reading a file's header on open. */
typedef struct _CF_HEADER_INFO {
    BOOLEAN Valid;                  /* the file carries a cryptfilt header */
    ULONG Version;
    LONGLONG OriginalSize;
    ULONGLONG Nonce;
    ULONG CipherId;
} CF_HEADER_INFO, *PCF_HEADER_INFO;

NTSTATUS
CfReadHeaderOnOpen(
    _In_ PFLT_CALLBACK_DATA Data,
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT StreamObject,
    _In_ PCUNICODE_STRING FileName,
    _Out_ PCF_HEADER_INFO Info);

ULONGLONG
CfNewNonce(
    _In_ PCUNICODE_STRING FileName);

/* cfcreate.c */
FLT_PREOP_CALLBACK_STATUS
CfPreCreate(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext);

/* cfclose.c */
FLT_PREOP_CALLBACK_STATUS
CfPreCleanup(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext);

FLT_PREOP_CALLBACK_STATUS
CfPreClose(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext);

/* cfio.c */
FLT_PREOP_CALLBACK_STATUS
CfPreRead(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext);

FLT_PREOP_CALLBACK_STATUS
CfPreWrite(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext);

NTSTATUS
CfSetLowerFileSize(
    _In_ PFLT_INSTANCE Instance,
    _In_ PCF_CCB Ccb,
    _In_ LONGLONG NewPlainSize);

/* cfinfo.c */
FLT_PREOP_CALLBACK_STATUS
CfPreQueryInformation(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext);

FLT_PREOP_CALLBACK_STATUS
CfPreSetInformation(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext);

/* cfsec.c */
FLT_PREOP_CALLBACK_STATUS
CfPreQuerySecurity(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext);

FLT_PREOP_CALLBACK_STATUS
CfPreSetSecurity(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext);

/* cfmisc.c: the other operations on isolated files */
FLT_PREOP_CALLBACK_STATUS
CfPreFlushBuffers(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext);

FLT_PREOP_CALLBACK_STATUS
CfPreVolumeInformation(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext);

FLT_PREOP_CALLBACK_STATUS
CfPreControl(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext);

FLT_PREOP_CALLBACK_STATUS
CfPreLockControl(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext);

FLT_PREOP_CALLBACK_STATUS
CfPreUnsupported(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext);

/* ------------------------------------------------------------------------ */
/* Small helpers                                                            */
/* ------------------------------------------------------------------------ */

/* The FCB/CCB of a file object cryptfilt isolates (caller checked it is one). */
#define CfFcbOf(_FileObject) ((PCF_FCB)(_FileObject)->FsContext)
#define CfCcbOf(_FileObject) ((PCF_CCB)(_FileObject)->FsContext2)

/* Completes the operation in a pre-operation callback. */
FORCEINLINE
FLT_PREOP_CALLBACK_STATUS
CfComplete(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ NTSTATUS Status,
    _In_ ULONG_PTR Information
    )
{
    Data->IoStatus.Status = Status;
    Data->IoStatus.Information = Information;
    return FLT_PREOP_COMPLETE;
}

#endif /* CRYPTFILT_CFDATA_H */
