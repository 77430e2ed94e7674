/*
 * fltp.h - fltsim FltMgr: private state of the Filter Manager (filters,
 * volumes and frames, instances, callback-data control blocks, contexts,
 * name information) shared by the files of fltsim/.  Never included by
 * drivers.
 */
#ifndef FSIM_FLTP_H
#define FSIM_FLTP_H

#include <fsim_kernel.h>
#include <fltKernel.h>
#include <string.h>
#include <strings.h>

/* Object signatures (first ULONG of every FltMgr object). */
#define FLTP_FILTER_MAGIC 0x746c4946u   /* 'FIlt' */
#define FLTP_VOLUME_MAGIC 0x6c6f5646u   /* 'FVol' */
#define FLTP_INSTANCE_MAGIC 0x736e4946u /* 'FIns' */
#define FLTP_CONTEXT_MAGIC 0x78744346u  /* 'FCtx' */
#define FLTP_NAME_MAGIC 0x6d6e4e46u     /* 'FNnm' */
#define FLTP_CBD_MAGIC 0x64624346u      /* 'FCbd' */

/* Pool tags FltMgr uses (multi-character constants are stored byte-reversed,
 * so !pool shows 'nfMF' as "FMfn", FltMgr's tag family). */
#define FLTP_TAG_NAME 'nfMF'            /* FLT_FILE_NAME_INFORMATION: "FMfn" */
#define FLTP_TAG_CBD 'bcMF'             /* filter-allocated callback data: "FMcb" */
#define FLTP_TAG_MISC 'mxMF'            /* work items, ports, ECPs */

/* Frame sizes charged on the stack ledger (frames-win10-19041-x64.tsv where
 * listed; otherwise kernel-facts.md or the documented 0x60 estimate). */
#define FLTP_FRAME_DISPATCH 0x60
#define FLTP_FRAME_CREATE 0xa0       /* estimate (FltpCreate) */
#define FLTP_FRAME_PRECALLBACKS 0x120
#define FLTP_FRAME_LEGACY_AFTER_PRE 0x70
#define FLTP_FRAME_POSTCALLBACKS 0x60   /* estimate */
#define FLTP_FRAME_DEFAULT 0x60         /* estimate */
#define FLTP_FRAME_UNREGISTER 0xC0
#define FLTP_FRAME_RUNDOWN_WAIT 0x110
#define FLTP_FRAME_SYNC_IO 0xB0
#define FLTP_FRAME_READFILE 0x70

#define FLTP_OPS 256

#ifndef STATUS_CONTINUE_COMPLETION
#define STATUS_CONTINUE_COMPLETION STATUS_SUCCESS
#endif                    /* indexed by the (UCHAR) major code */

/* One operation-registration entry, indexed by major function. */
typedef struct FLTP_OPERATION {
    PFLT_PRE_OPERATION_CALLBACK Pre;
    PFLT_POST_OPERATION_CALLBACK Post;
    ULONG Flags;
    BOOLEAN Registered;
} FLTP_OPERATION;

/* One instance definition from Services\<svc>\Instances\<name>. */
typedef struct FLTP_INSTANCE_CONFIG {
    const char *Name;                   /* machine-owned UTF-8 */
    const char *Altitude;
    ULONG Flags;                        /* 1: no automatic attach, 2: no manual attach */
} FLTP_INSTANCE_CONFIG;

struct _FLT_FILTER {
    ULONG Magic;
    LIST_ENTRY Links;                   /* FLTP_STATE.Filters, creation order */
    PDRIVER_OBJECT DriverObject;
    const char *ServiceName;            /* "passthrough" */
    const char *ImageName;              /* "passthrough.sys" */
    const char *ModuleName;             /* "passthrough" */
    FLT_REGISTRATION Registration;      /* copy; tables below are copies too */
    FLT_CONTEXT_REGISTRATION *ContextRegistrations;
    ULONG ContextRegistrationCount;
    FLTP_OPERATION Ops[FLTP_OPS];
    FLTP_INSTANCE_CONFIG *Configs;
    ULONG ConfigCount;
    const char *DefaultInstance;
    BOOLEAN Started;
    BOOLEAN Unregistering;
    BOOLEAN Unregistered;
    LONG References;                    /* FltObjectReference & co. (rundown) */
    const char *ReferenceFile;          /* last unmatched reference site */
    ULONG ReferenceLine;
    LIST_ENTRY Instances;               /* FLT_INSTANCE.FilterLinks */
};

struct _FLT_VOLUME {
    ULONG Magic;
    LIST_ENTRY Links;                   /* FLTP_STATE.Volumes, mount order */
    IOP_VOLUME *IoVolume;
    PDEVICE_OBJECT FrameDevice;         /* FltMgr's device in the volume stack */
    PDEVICE_OBJECT LowerDevice;         /* what the frame device is attached to */
    UNICODE_STRING Name;                /* \Device\HarddiskVolume1 (host copy) */
    FLT_FILESYSTEM_TYPE FileSystemType;
    DEVICE_TYPE DeviceType;
    BOOLEAN TearingDown;
    LONG References;
    LIST_ENTRY Instances;               /* FLT_INSTANCE.VolumeLinks, top (highest altitude) first */
};

struct _FLT_INSTANCE {
    ULONG Magic;
    LIST_ENTRY VolumeLinks;
    LIST_ENTRY FilterLinks;
    LIST_ENTRY AllLinks;                /* FLTP_STATE.Instances (kept until machine teardown) */
    PFLT_FILTER Filter;
    PFLT_VOLUME Volume;
    const char *Name;                   /* machine-owned */
    const char *Altitude;
    ULONG Flags;
    BOOLEAN Attached;                   /* in the volume's list, receiving I/O */
    BOOLEAN TearingDown;
    BOOLEAN Detached;
    LONG References;
    const char *ReferenceFile;
    ULONG ReferenceLine;
};

/* Header FltMgr keeps in front of each context body (one pool block). */
typedef struct FLTP_CONTEXT {
    ULONG Magic;
    BOOLEAN Freed;
    BOOLEAN Attached;
    FLT_CONTEXT_TYPE Type;
    LONG References;
    LIST_ENTRY AllLinks;                /* FLTP_STATE.Contexts (live), allocation order */
    LIST_ENTRY AttachLinks;             /* FLTP_STATE.Attached while attached */
    PFLT_FILTER Filter;
    const FLT_CONTEXT_REGISTRATION *Registration;
    SIZE_T Size;
    ULONG Tag;
    POOL_TYPE PoolType;
    /* What it is attached to. */
    PFLT_INSTANCE Instance;
    PFLT_VOLUME Volume;
    PVOID Key;                          /* FsContext (stream/file), FileObject (handle), transaction */
    /* Where the driver allocated it. */
    const char *File;
    ULONG Line;
    ULONG Sequence;
    ULONG Reserved;
} FLTP_CONTEXT;

/* Header in front of a FLT_FILE_NAME_INFORMATION (one pool block). */
typedef struct FLTP_NAME {
    ULONG Magic;
    LONG References;
    LIST_ENTRY Links;                   /* FLTP_STATE.Names (live) */
    PFLT_FILTER Filter;
    const char *File;
    ULONG Line;
    ULONG Reserved;
    FLT_FILE_NAME_INFORMATION Info;     /* what the driver sees; name text follows */
} FLTP_NAME;

/* Per-instance state of one operation as it walks the stack. */
typedef struct FLTP_CALL {
    PFLT_INSTANCE Instance;
    PVOID CompletionContext;
    BOOLEAN Called;                     /* pre callback ran */
    BOOLEAN WantPost;                   /* post callback owed */
    BOOLEAN PostDone;
    BOOLEAN Synchronize;
    PFLT_GET_OPERATION_STATUS_CALLBACK StatusCallback;
    PVOID StatusContext;
    FLT_IO_PARAMETER_BLOCK StatusSnapshot;
} FLTP_CALL;

typedef enum FLTP_PHASE {
    FltpPhasePre,                       /* walking pre callbacks */
    FltpPhasePendedPre,                 /* a pre callback returned PENDING */
    FltpPhaseBelow,                     /* sent below FltMgr */
    FltpPhasePost,                      /* walking post callbacks */
    FltpPhasePendedPost,                /* a post callback returned MORE_PROCESSING_REQUIRED */
    FltpPhaseDone
} FLTP_PHASE;

#define FLTP_MAX_CALLS 32

/*
 * The control block behind every FLT_CALLBACK_DATA FltMgr hands out
 * (FltMgr's IRP_CTRL).  Data must stay the first member: drivers get &Data
 * and FltMgr finds the control block from it.
 */
typedef struct FLTP_CBD {
    FLT_CALLBACK_DATA Data;
    FLT_IO_PARAMETER_BLOCK Iopb;
    ULONG Magic;
    BOOLEAN FilterAllocated;            /* FltAllocateCallbackData */
    BOOLEAN Freed;
    BOOLEAN Dirty;                      /* parameters changed since captured */
    BOOLEAN InPreCallback;              /* a pre callback of Calls[Current] is running */
    BOOLEAN ResumeRecorded;             /* FltCompletePendedPreOperation during that call */
    BOOLEAN OwnsIrp;                    /* FltMgr allocated the IRP (generated I/O) */
    BOOLEAN DispatchActive;             /* FltpDispatch has not returned yet */
    BOOLEAN ReturnedPending;
    BOOLEAN InPostCallback;
    BOOLEAN PostResumeRecorded;
    BOOLEAN CompleteIrpWhenDone;        /* post walk finishes outside the completion routine */
    BOOLEAN FromPool;                   /* FltAllocateCallbackData: driver-charged pool block */
    BOOLEAN CallerOwned;                /* freed by its owner, not when the operation ends */
    BOOLEAN NoInstances;                /* straight below the frame (FltMgr's own queries) */
    BOOLEAN DestroyPending;             /* freed by its owner while FltMgr still holds it */
    KEVENT DoneEvent;                   /* generated I/O finished */
    FLTP_PHASE Phase;
    LONG References;                    /* dispatch + completion paths */
    FLT_PREOP_CALLBACK_STATUS ResumeStatus;
    PVOID ResumeContext;
    PFLT_VOLUME Volume;
    PFLT_FILTER Filter;                 /* allocating filter (generated I/O) */
    PFLT_INSTANCE Initiator;            /* generated I/O: instances below it only */
    PIRP Irp;
    PDEVICE_OBJECT Device;              /* frame device */
    ULONG CallCount;
    ULONG Current;                      /* index being processed */
    FLTP_CALL Calls[FLTP_MAX_CALLS];
    NTSTATUS BelowStatus;               /* what IoCallDriver returned */
    PFLT_COMPLETED_ASYNC_IO_CALLBACK AsyncCallback;
    PVOID AsyncContext;
    PMDL HeldMdl;                       /* generated I/O: MDL chain kept until FltFreeCallbackData */
    PIRP HeldIrp;                       /* generated I/O: the completed IRP, kept (with its MDLs) until
                                           the callback data is freed or reused, as on Windows */
    PVOID SystemBuffer;                 /* generated I/O: FltMgr-owned buffer */
    const char *File;                   /* FltAllocateCallbackData site */
    ULONG Line;
    LIST_ENTRY Links;                   /* FLTP_STATE.CallbackData (filter-allocated, live) */
    LIST_ENTRY ActiveLinks;             /* FLTP_STATE.Active while in flight */
} FLTP_CBD;

/* A file object opened with FltCreateFile*: its I/O is seen only by the
 * instances below the one that opened it. */
typedef struct FLTP_OPEN_FILE {
    LIST_ENTRY Links;
    PFILE_OBJECT FileObject;
    PFLT_INSTANCE Initiator;
} FLTP_OPEN_FILE;

struct FLTP_STATE {
    PDRIVER_OBJECT DriverObject;        /* \FileSystem\FltMgr */
    LIST_ENTRY Filters;
    LIST_ENTRY Volumes;
    LIST_ENTRY Instances;
    LIST_ENTRY Contexts;                /* all context headers ever allocated (live and freed) */
    LIST_ENTRY Attached;                /* contexts attached to objects */
    LIST_ENTRY Names;
    LIST_ENTRY CallbackData;
    LIST_ENTRY Active;
    LIST_ENTRY OpenFiles;               /* FLTP_OPEN_FILE: file objects from FltCreateFile* */
    PFLT_INSTANCE CreateInitiator;      /* FltCreateFile in progress: instances below it only */
    LIST_ENTRY Misc;                    /* FLTP_MISC blocks (work items, ports, ...) */
    ULONG ContextSequence;
    ULONG InstanceSequence;
    BOOLEAN TearingDown;
};

/* Generic host-side allocations freed at machine teardown. */
typedef struct FLTP_MISC {
    LIST_ENTRY Links;
    ULONG Kind;
    ULONG Reserved;
} FLTP_MISC;

#define FltpState() (KiMachine->Flt)

/* ---- registration.c ---- */
PFLT_FILTER FltpFilterFromDriver(PDRIVER_OBJECT DriverObject);
BOOLEAN FltpIsFilter(PVOID Object);
BOOLEAN FltpIsInstance(PVOID Object);
BOOLEAN FltpIsVolume(PVOID Object);
void FltpCheckFilter(PFLT_FILTER Filter, const char *Routine);
void FltpCheckInstance(PFLT_INSTANCE Instance, const char *Routine);
void FltpCheckVolume(PFLT_VOLUME Volume, const char *Routine);

/* ---- instance.c ---- */
void FltpOnMount(IOP_VOLUME *Volume);
void FltpAttachFilterToVolume(PFLT_FILTER Filter, PFLT_VOLUME Volume, FLT_INSTANCE_SETUP_FLAGS Flags);
NTSTATUS FltpCreateInstance(PFLT_FILTER Filter, PFLT_VOLUME Volume, const char *Name, const char *Altitude,
                            ULONG ConfigFlags, FLT_INSTANCE_SETUP_FLAGS SetupFlags, PFLT_INSTANCE *Out);
void FltpTeardownInstance(PFLT_INSTANCE Instance, FLT_INSTANCE_TEARDOWN_FLAGS Reason);
int FltpCompareAltitude(const char *A, const char *B);
PFLT_VOLUME FltpVolumeFromDevice(PDEVICE_OBJECT Device);
/* The pre and post walks (dispatch.c), shared with FsFilter operations (fsfilter.c). */
typedef enum FLTP_PRE_RESULT {
    FltpPrePassDown,
    FltpPrePended,
    FltpPreCompleted
} FLTP_PRE_RESULT;
FLTP_PRE_RESULT FltpWalkPre(FLTP_CBD *C);
FLTP_CBD *FltpNewCbd(PFLT_VOLUME V, ULONG Flags, PETHREAD Thread, KPROCESSOR_MODE Mode);
BOOLEAN FltpRunPost(FLTP_CBD *C);
void FltpRegisterFsFilterCallbacks(PDRIVER_OBJECT DriverObject);
/* Communication ports (port.c): DisconnectNotify for the client ports still
 * open when the filter unregisters; the ports holding filter references. */
void FltpDisconnectClientPorts(PFLT_FILTER Filter);
typedef void FLTP_PORT_LEAK_FN(void *Context, const char *Kind, const void *Object, const char *File, ULONG Line,
                               const char *What);
ULONG FltpForEachOpenPort(PFLT_FILTER Filter, FLTP_PORT_LEAK_FN *Fn, void *Context);
PFLT_VOLUME FltpVolumeFromFileObject(PFILE_OBJECT FileObject);
void FltpFreeVolumes(void);
void FltpRelatedObjects(PFLT_RELATED_OBJECTS Objects, PFLT_INSTANCE Instance, PFILE_OBJECT FileObject);
/* fltmc detach <filter> <volume> (InstanceQueryTeardown is asked first). */
NTSTATUS FltpDetachFilter(PDRIVER_OBJECT DriverObject, const char *Drive, const char *InstanceName);

/* ---- dispatch.c ---- */
NTSTATUS FltpDispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp);
FLTP_CBD *FltpCbdFromData(PFLT_CALLBACK_DATA Data, const char *Routine);
void FltpCaptureParameters(PFLT_IO_PARAMETER_BLOCK Iopb, PIRP Irp, PIO_STACK_LOCATION Sp);
void FltpApplyParameters(PFLT_IO_PARAMETER_BLOCK Iopb, PIRP Irp, PIO_STACK_LOCATION Sp);
/* Run an operation through the instances of Cbd (Calls[] already filled). */
NTSTATUS FltpStartOperation(FLTP_CBD *Cbd);
void FltpReleaseCbd(FLTP_CBD *Cbd);
void FltpFreeCbdMemory(FLTP_CBD *Cbd);
void FltpSnapshotInstances(FLTP_CBD *C, PFLT_INSTANCE Initiator);
void FltpDrainInstance(PFLT_INSTANCE Instance);
const char *FltpMajorName(UCHAR Major);

/* ---- context.c ---- */
void FltpDeleteContextsOf(PFLT_INSTANCE Instance, PFLT_VOLUME Volume, PFLT_FILTER Filter);
void FltpDeleteContextsForFileObject(PFLT_VOLUME Volume, PFILE_OBJECT FileObject);
void FltpDeleteContextsForStream(PFLT_VOLUME Volume, PVOID FsContext);
void FltpFreeContexts(void);
FLTP_CONTEXT *FltpContextFromBody(PVOID Body, const char *Routine);

/* ---- name.c ---- */
void FltpFreeNames(void);

/* ---- context.c (file objects) ---- */
void FltpNoteFileObjectClose(PFLT_VOLUME Volume, PFILE_OBJECT FileObject);

/* ---- io.c ---- */
void FltpFreeCallbackDataBlocks(void);
PFLT_INSTANCE FltpInitiatorOfFileObject(PFILE_OBJECT FileObject);
void FltpForgetFileObject(PFILE_OBJECT FileObject);
void FltpRememberFileObject(PFILE_OBJECT FileObject, PFLT_INSTANCE Initiator);
/* FileNameInformation from the file system below the frame (host-malloc'd path). */
NTSTATUS FltpQueryFileSystemName(PFLT_VOLUME Volume, PFILE_OBJECT FileObject, WCHAR **Path, size_t *Units);

/* ---- misc.c ---- */
void *FltpAllocMisc(size_t Size, ULONG Kind);
void FltpFreeMisc(void *Block);
void FltpFreeAllMisc(void);

/* Helpers. */
static inline void FltpInitList(PLIST_ENTRY Head)
{
    Head->Flink = Head->Blink = Head;
}
static inline void FltpInsertTail(PLIST_ENTRY Head, PLIST_ENTRY Entry)
{
    Entry->Flink = Head;
    Entry->Blink = Head->Blink;
    Head->Blink->Flink = Entry;
    Head->Blink = Entry;
}
static inline void FltpInsertBefore(PLIST_ENTRY Next, PLIST_ENTRY Entry)
{
    FltpInsertTail(Next, Entry);
}
static inline void FltpRemove(PLIST_ENTRY Entry)
{
    Entry->Blink->Flink = Entry->Flink;
    Entry->Flink->Blink = Entry->Blink;
    Entry->Flink = Entry->Blink = Entry;
}
static inline BOOLEAN FltpListEmpty(PLIST_ENTRY Head)
{
    return Head->Flink == Head;
}

/* Driver routine call site noted by the DDI wrapper macros. */
static inline const char *FltpCallFile(void)
{
    PKTHREAD T = KiMachine->CurrentThread;
    return T && T->CallFile ? T->CallFile : "?";
}
static inline ULONG FltpCallLine(void)
{
    PKTHREAD T = KiMachine->CurrentThread;
    return T ? T->CallLine : 0;
}

/* UTF-16 helpers (no glibc wide functions: WCHAR is 16-bit here). */
BOOLEAN FltpEqualUnicodeUtf8(PCUNICODE_STRING A, const char *B, BOOLEAN CaseInsensitive);

#endif /* FSIM_FLTP_H */
