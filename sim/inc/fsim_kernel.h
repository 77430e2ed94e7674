/*
 * fsim_kernel.h - fltsim: the simulator's internal umbrella header.
 *
 * Owns the machine structure (every piece of simulated state hangs off one
 * FSIM_MACHINE, so two machines never share anything), the kernel-private
 * object bodies (KTHREAD, EPROCESS, ...) and the cross-component internal
 * interfaces, one section per executive component with its prefix
 * (Ki, Exp, Obp, Psp, Cmp, Iop, Mi, Kd, Fltp).  Never included by drivers.
 */
#ifndef FSIM_KERNEL_H
#define FSIM_KERNEL_H

#include <ntifs.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <fltsim.h>

/* ------------------------------------------------------------------------ */
/* Machine                                                                   */
/* ------------------------------------------------------------------------ */

typedef struct FSIM_MACHINE FSIM_MACHINE;

/* The machine whose code is running on this host thread (set by KiEnter). */
extern _Thread_local FSIM_MACHINE *KiMachine;

/* A simulated call frame on a simulated thread's stack ledger. */
typedef struct KI_FRAME {
    const char *Module;         /* "nt", "FLTMGR", "passthrough" */
    const char *Function;
    ULONG Bytes;                /* frame size charged */
    const char *File;           /* driver frames: last DDI call site inside it */
    ULONG Line;
    BOOLEAN IsDriver;
    BOOLEAN IsBoundary;         /* a built-in driver's own code: pool below is the system's */
    BOOLEAN IsSegment;          /* KeExpandKernelStackAndCallout: a new stack segment starts here */
    BOOLEAN Estimate;           /* size not measured on Windows (frames.c) */
    uintptr_t EntrySp;          /* driver frames: host stack pointer at entry, for measuring */
    const char *InnerFunction;  /* driver frames: the driver function that made the deepest DDI call, */
    ULONG InnerBytes;           /* when it is not the routine entered, and its share of Bytes */
} KI_FRAME;

#define KI_MAX_FRAMES 512

struct _KTHREAD {
    DISPATCHER_HEADER Header;   /* signaled when the thread terminates (waitable, as on Windows) */
    ULONG Magic;                /* 'dhTK' */
    ULONG ThreadId;             /* a multiple of 4, as Windows' */
    struct _EPROCESS *Process;
    const char *Name;
    KIRQL Irql;
    SHORT KernelApcDisable;     /* critical regions (negative when disabled) */
    SHORT SpecialApcDisable;    /* guarded regions */
    ULONG SpinLocksHeld;
    PIRP TopLevelIrp;
    BOOLEAN SystemThread;
    KPROCESSOR_MODE PreviousMode;   /* UserMode in a process's system calls; Zw* calls make it KernelMode */
    /* The stack ledger. */
    ULONG FrameCount;
    KI_FRAME Frames[KI_MAX_FRAMES];
    /* Last DDI call site noted by driver code (fsim_ddi.h). */
    const char *CallFile;
    ULONG CallLine;
    /* SEH: the innermost active __try frame. */
    PFSIM_SEH_FRAME SehTop;
    /* Scheduling (sim/ke/sched.c). */
    struct KI_FIBER *Fiber;     /* NULL: runs on the host stack of a host call */
    UCHAR State;                /* KI_THREAD_* */
    BOOLEAN IdleWait;           /* a worker waiting for work: not part of a deadlock */
    LIST_ENTRY SchedLinks;      /* ready queue or wait list */
    PVOID WaitObjects[MAXIMUM_WAIT_OBJECTS];
    ULONG WaitCount;
    WAIT_TYPE WaitType;
    LONGLONG WaitDeadline;      /* interrupt time, -1 = none */
    NTSTATUS WaitStatus;
    const char *WaitNote;       /* what the wait is for, in deadlock reports */
    struct _IRP *WaitIrp;       /* the I/O manager IRP a synchronous service waits for */
    const void *WaitChannel;    /* the lock whose release it waits for (KiWaitChannel) */
    PKSTART_ROUTINE StartRoutine;
    PVOID StartContext;
    /* Kernel APCs queued to the thread (sim/ke/apc.c): special ones first. */
    LIST_ENTRY ApcList;
    BOOLEAN KernelApcInProgress;    /* a normal kernel APC's normal routine runs */
    /* Where driver code last blocked APC delivery (IRQL raised from
     * PASSIVE_LEVEL, a guarded region entered), for hang reports. */
    const char *ApcBlockWhat;
    const char *ApcBlockFile;
    ULONG ApcBlockLine;
};

#define KI_THREAD_INITIALIZED 0
#define KI_THREAD_READY 1
#define KI_THREAD_RUNNING 2
#define KI_THREAD_WAITING 3
#define KI_THREAD_TERMINATED 4

/* Report under construction (freed at machine destroy). */
typedef struct KI_REPORT_BUILDER {
    FSIM_REPORT Report;
    FSIM_REPORT_FRAME *Frames;
    FSIM_REPORT_SECTION *Sections;
    size_t SectionCapacity;
    FSIM_REPORT_LEAK *Leaks;
    size_t LeakCapacity;
} KI_REPORT_BUILDER;

struct FSIM_MACHINE {
    FSIM_MACHINE_OPTIONS Options;
    FSIM_STATE State;
    jmp_buf *StopJump;          /* where a bugcheck or hang unwinds to */
    int Depth;                  /* nesting of KiEnter */
    KI_REPORT_BUILDER Report;
    int HaveReport;
    char LastError[1024];
    FSIM_LOG_CALLBACK *LogCallback;
    void *LogContext;
    int Trace;
    LONGLONG InterruptTime;     /* 100 ns since boot */
    ULONG NextThreadId;
    ULONG NextProcessId;
    /* every string the machine hands out (reports, names) */
    char **Strings;
    size_t StringCount, StringCapacity;
    /* synthetic address space */
    struct MI_ADDRESS_MAP *AddressMap;
    uint64_t NextKernelVa;
    /* components */
    struct EXP_STATE *Ex;
    struct OBP_STATE *Ob;
    struct PSP_STATE *Ps;
    struct CMP_STATE *Cm;
    struct IOP_STATE *Io;
    struct FLTP_STATE *Flt;
    struct KI_SCHED *Sched;
    PKTHREAD CurrentThread;
    struct _EPROCESS *SystemProcess;
    PKTHREAD SystemThread;
    struct KI_IMAGE_SYMBOLS *Symbols; /* symbol tables of driver images (stack listings) */
    FSIM_REPORT_LEAK *LeakList;   /* FsimGetLeaks result */
    /* The deepest stack seen (bytes of the ledger against its budget). */
    ULONG DeepestBytes;
    ULONG DeepestBudget;
    ULONG DeepestCount;
    const char *DeepestThread;
    KI_FRAME *DeepestFrames;
    FSIM_REPORT_FRAME *DeepestReport;
    size_t LeakListCount;
};

#define KiCurrentThread() (KiMachine->CurrentThread)

/* Run host-API work on a machine: KiEnter/KiLeave bracket every host call;
 * a bugcheck or hang inside longjmps back to the KI_RUN point. */
void KiInstallTrapHandlers(void);
#define KI_RUN(Machine, OnStop)                                  \
    KiInstallTrapHandlers();                                     \
    jmp_buf KiRunJump_;                                          \
    FSIM_MACHINE *KiRunSaved_ = KiMachine;                       \
    KiMachine = (Machine);                                       \
    jmp_buf *KiRunPrevJump_ = (Machine)->StopJump;               \
    (Machine)->StopJump = &KiRunJump_;                           \
    if (setjmp(KiRunJump_) != 0) {                               \
        (Machine)->StopJump = KiRunPrevJump_;                    \
        KiMachine = KiRunSaved_;                                 \
        OnStop;                                                  \
    }
#define KI_RUN_END(Machine)                                      \
    do {                                                         \
        (Machine)->StopJump = KiRunPrevJump_;                    \
        KiMachine = KiRunSaved_;                                 \
    } while (0)

/* Strings owned by the machine. */
const char *KiSaveString(const char *Text);
const char *KiFormat(const char *Format, ...) __attribute__((format(printf, 1, 2)));
/* The message FsimLastError returns. */
void KiSetLastError(const char *Format, ...) __attribute__((format(printf, 1, 2)));
char *KiUtf16ToUtf8(PCWSTR Text, size_t Units);          /* malloc'd */
const char *KiUnicodeToUtf8(PCUNICODE_STRING String);    /* machine-owned */
/* UTF-8 -> freshly pool-less allocated UNICODE_STRING (free with KiFreeUnicode) */
BOOLEAN KiUtf8ToUnicode(const char *Text, PUNICODE_STRING String);
VOID KiFreeUnicode(PUNICODE_STRING String);

/* Simulator trace and log lines. */
void KiTrace(const char *Format, ...) __attribute__((format(printf, 1, 2)));
void KiLog(FSIM_LOG_KIND Kind, const char *Line);

/* ------------------------------------------------------------------------ */
/* Ke: bugchecks, IRQL, threads, frames                                       */
/* ------------------------------------------------------------------------ */

/* A hang: every thread blocked; Description says on what. Never returns. */
DECLSPEC_NORETURN void KiHang(const char *Description);
/* APCs (sim/ke/apc.c).  The routine types are not in the WDK headers;
 * drivers that queue APCs declare them, as on Windows. */
typedef VOID(NTAPI *PKNORMAL_ROUTINE)(PVOID NormalContext, PVOID SystemArgument1, PVOID SystemArgument2);
typedef VOID(NTAPI *PKKERNEL_ROUTINE)(PKAPC Apc, PKNORMAL_ROUTINE *NormalRoutine, PVOID *NormalContext,
                                      PVOID *SystemArgument1, PVOID *SystemArgument2);
typedef VOID(NTAPI *PKRUNDOWN_ROUTINE)(PKAPC Apc);
VOID NTAPI KeInitializeApc(PKAPC Apc, PKTHREAD Thread, KAPC_ENVIRONMENT Environment, PKKERNEL_ROUTINE KernelRoutine,
                           PKRUNDOWN_ROUTINE RundownRoutine, PKNORMAL_ROUTINE NormalRoutine, KPROCESSOR_MODE ApcMode,
                           PVOID NormalContext);
BOOLEAN NTAPI KeInsertQueueApc(PKAPC Apc, PVOID SystemArgument1, PVOID SystemArgument2, KPRIORITY Increment);
BOOLEAN KiApcDeliverable(PKTHREAD Thread);      /* a queued APC could run in Thread now */
void KiDeliverApcs(void);
void KiYield(void);                              /* sim/ke/sched.c: KeDelayExecutionThread(0) */
/* Lock waits (sim/ke/sched.c): block until Ready(Context); a release wakes Key's waiters. */
NTSTATUS KiWaitChannel(const void *Key, BOOLEAN (*Ready)(void *Context), void *Context, const char *Note,
                       LONGLONG Deadline);      /* Deadline: interrupt time, -1 none; STATUS_TIMEOUT if it passed */
void KiWakeChannel(const void *Key);                        /* run the current thread's deliverable APCs */
void KiRundownApcs(PKTHREAD Thread);             /* thread termination: deliver what is left */
void KiNoteApcBlock(PKTHREAD Thread, const char *What);
/* What a queued APC waits to do, for hang reports ("" when none). */
int KiDescribeBlockedApcs(char *Text, size_t Size, PKTHREAD Thread);
const char *IopDescribeApc(PKAPC Apc);           /* sim/io: an I/O completion APC, or NULL */
int IopDescribeWaitIrp(char *Text, size_t Size, struct _IRP *Irp); /* where a waited-for IRP is */
BOOLEAN KiRemoveQueuedApc(PKAPC Apc);            /* take a queued APC back (FALSE: it was not queued) */
/* Details attached to the report being built (before KeBugCheckEx/KiHang). */
void KiReportSection(const char *Title, size_t FieldCount, const char *const *Names, const char *const *Values);
void KiReportAddLeak(const FSIM_REPORT_LEAK *Leak);
void KiReportSetRootCause(const char *Text);
void KiReportSetGuilty(const char *Driver, const char *Location);
void KiReportReset(void);

void KiPushFrame(const char *Module, const char *Function, ULONG Bytes);
void KiPushDriverFrame(PVOID Routine);
void KiPushBoundaryFrame(const char *Module, const char *Function, ULONG Bytes);
void KiPopFrame(void);
static inline void KiFrameScopeExit(int *Unused) { (void)Unused; KiPopFrame(); }
#define KI_FRAME_SCOPE(Module, Function, Bytes)                                         \
    int KiFrameScope_ __attribute__((cleanup(KiFrameScopeExit), unused)) =                \
        (KiPushFrame((Module), (Function), (Bytes)), 0)
/* More frames in one scope (nested calls a routine makes, innermost last). */
#define KI_FRAME_SCOPE_N(N, Module, Function, Bytes)                                    \
    int KiFrameScope##N##_ __attribute__((cleanup(KiFrameScopeExit), unused)) =          \
        (KiPushFrame((Module), (Function), (Bytes)), 0)
#define KI_FRAME_SCOPE_2(M, F, B) KI_FRAME_SCOPE_N(2, M, F, B)
#define KI_FRAME_SCOPE_3(M, F, B) KI_FRAME_SCOPE_N(3, M, F, B)
#define KI_FRAME_SCOPE_4(M, F, B) KI_FRAME_SCOPE_N(4, M, F, B)
#define KI_FRAME_SCOPE_5(M, F, B) KI_FRAME_SCOPE_N(5, M, F, B)
#define KI_BOUNDARY_FRAME_SCOPE(Module, Function, Bytes)                                \
    int KiBoundaryScope_ __attribute__((cleanup(KiFrameScopeExit), unused)) =             \
        (KiPushBoundaryFrame((Module), (Function), (Bytes)), 0)
#define KI_DRIVER_FRAME_SCOPE(Routine)                                                  \
    int KiDriverFrameScope_ __attribute__((cleanup(KiFrameScopeExit), unused)) =          \
        (KiPushDriverFrame((PVOID)(Routine)), 0)

PKTHREAD KiCreateThread(struct _EPROCESS *Process, const char *Name, BOOLEAN SystemThread);
void KiDeleteThread(PKTHREAD Thread);
/* Switch the running thread (the machine is single-CPU and runs one
 * simulated thread at a time; returns the previous one). */
PKTHREAD KiSwitchThread(PKTHREAD Thread);
void KiRequireIrql(KIRQL Max, const char *Routine);  /* IRQL contract check */

/* Scheduler (sim/ke/sched.c).  Threads created here run on their own host
 * stack (a coroutine); host calls run on the host stack and, when they wait,
 * drive the scheduler until their wait is satisfied. */
void KiInitializeScheduler(void);
void KiTeardownScheduler(void);
PKTHREAD KiCreateSystemThread(struct _EPROCESS *Process, const char *Name, PKSTART_ROUTINE Routine, PVOID Context);
PKTHREAD KiCreateUserThread(struct _EPROCESS *Process, const char *Name, PKSTART_ROUTINE Routine, PVOID Context);
PKTHREAD KiLookupThread(ULONG ThreadId);
/* Block the current thread until one (WaitAny) or all (WaitAll) objects are
 * signaled or the deadline (interrupt time, -1 none) passes. */
NTSTATUS KiWait(PVOID *Objects, ULONG Count, WAIT_TYPE Type, LONGLONG Deadline, BOOLEAN Idle);
/* An object may have become signaled: wake the waiters it satisfies. */
void KiSignalObject(PVOID Object);
/* Run ready threads, DPCs and due timers until nothing is ready (the clock
 * does not move). */
void KiRunUntilIdle(void);
/* Move the clock forward by Delta (100 ns units), running what becomes due. */
void KiAdvanceClock(LONGLONG Delta);
BOOLEAN KiTryAcquire(PVOID Object);
void KiInitializeTime(void);

/* Exceptions (SEH emulation runtime, sim/ke/except.c). */
DECLSPEC_NORETURN void KiRaiseException(NTSTATUS Code, ULONG_PTR Info0, ULONG_PTR Info1);

/* ------------------------------------------------------------------------ */
/* Ex: pool                                                                   */
/* ------------------------------------------------------------------------ */

void ExpInitialize(void);
void ExpTeardown(void);
/* Pool owned by the simulator itself (system allocations, tag shown). */
PVOID ExpAllocateSystemPool(POOL_TYPE Type, SIZE_T Size, ULONG Tag);
/* Blocks still allocated by a driver image (for unload/leak reports). */
size_t ExpCollectLeaks(const char *DriverName, FSIM_REPORT_LEAK **Out);
void ExpForEachBlock(ULONG Tag, BOOLEAN (*Callback)(void *Host, void *Context), void *Context);
/* Allocation site of a pool block or NULL */
BOOLEAN ExpDescribeBlock(PVOID Address, ULONG *Tag, SIZE_T *Size, const char **Driver, const char **File,
                         ULONG *Line);

/* ------------------------------------------------------------------------ */
/* Mi: synthetic addresses                                                    */
/* ------------------------------------------------------------------------ */

/* Register a host range as simulated kernel memory of a kind ("IRP",
 * "Pool"...): returns its synthetic address. */
uint64_t MiRegisterRange(const void *Host, size_t Size, const char *Kind);
void MiUnregisterRange(const void *Host);
void MiSetRangeKind(const void *Host, const char *Kind);
uint64_t MiSyntheticAddress(const void *Host);   /* 0 for NULL; unknown -> a stable fallback */
const char *MiDescribeSynthetic(uint64_t Address);
void MiTeardown(void);

/* ------------------------------------------------------------------------ */
/* Ob                                                                         */
/* ------------------------------------------------------------------------ */

typedef struct OBP_TYPE_INFO {
    const char *Name;                      /* "File", "Process", "Key", ... */
    void (*Delete)(PVOID Object);          /* last reference gone */
    void (*Close)(PVOID Object, ULONG HandleCount, struct _EPROCESS *Process); /* a handle closed */
} OBP_TYPE_INFO;

void ObpInitialize(void);
void ObpTeardown(void);
/* Allocate an object body of Size bytes (zeroed) with one reference. */
PVOID ObpCreateObject(POBJECT_TYPE Type, SIZE_T Size, const char *Name);
POBJECT_TYPE ObpGetType(PVOID Object);
BOOLEAN ObpIsObject(PVOID Object);
LONG_PTR ObpPointerCount(PVOID Object);
NTSTATUS ObpInsertHandle(struct _EPROCESS *Process, PVOID Object, ACCESS_MASK Access, BOOLEAN KernelHandle,
                         PHANDLE Handle);
NTSTATUS ObpReferenceHandle(struct _EPROCESS *Process, HANDLE Handle, POBJECT_TYPE Type, PVOID *Object,
                            ACCESS_MASK *Granted);
NTSTATUS ObpCloseHandle(struct _EPROCESS *Process, HANDLE Handle);
void ObpCloseAllHandles(struct _EPROCESS *Process);
void ObpDestroyHandleTable(struct _EPROCESS *Process);
extern POBJECT_TYPE ObpDirectoryType, ObpSymbolicLinkObjectType, CmpKeyObjectType;

/* ------------------------------------------------------------------------ */
/* Ps                                                                         */
/* ------------------------------------------------------------------------ */

struct _EPROCESS {
    DISPATCHER_HEADER Header;   /* signaled when the process exits */
    ULONG Magic;                /* 'corP' */
    ULONG ProcessId;
    char ImageFileName[16];
    struct OBP_HANDLE_TABLE *HandleTable;
    PKTHREAD MainThread;
    BOOLEAN Exited;
    SIZE_T NumberOfLockedPages;
    struct MI_LOCKED_MDL *LockedMdls;  /* MDLs locking this process's pages, in locking order */
    struct MI_USER_SPACE *UserSpace;
    LIST_ENTRY ProcessLinks;
};

void PspInitialize(void);
void PspTeardown(void);
struct _EPROCESS *PspCreateProcess(const char *ImageName);
struct _EPROCESS *PspLookupProcess(ULONG ProcessId);
void PspExitProcess(struct _EPROCESS *Process);
extern POBJECT_TYPE PspProcessType, PspThreadType;

/* ------------------------------------------------------------------------ */
/* Mm: simulated user address space                                          */
/* ------------------------------------------------------------------------ */

void MiCreateUserSpace(struct _EPROCESS *Process);
void MiDeleteUserSpace(struct _EPROCESS *Process);
/* Allocate committed user memory in a process (page-aligned + Offset). */
PVOID MiAllocateUserBuffer(struct _EPROCESS *Process, SIZE_T Size, ULONG PageOffset);
void MiFreeUserBuffer(struct _EPROCESS *Process, PVOID Buffer);
BOOLEAN MiIsUserRange(struct _EPROCESS *Process, const void *Address, SIZE_T Length);
/* Process deletion: pages still locked stop the machine (0xCB / 0x76). */
void MiCheckLockedPagesAtDelete(struct _EPROCESS *Process);
BOOLEAN MiRangeHasLockedPages(struct _EPROCESS *Process, const void *Start, SIZE_T Length);
void MiFreeLockRecords(struct _EPROCESS *Process);
/* Report dumps (sim/mm/dump.c): `dt _MDL`, `!irp`, and finding the IRP that holds an MDL. */
void MiReportMdl(PMDL Mdl, uint64_t MappedVa);
void IopReportIrp(PIRP Irp);
PIRP IopFindIrpHoldingMdl(PMDL Mdl);

/* ------------------------------------------------------------------------ */
/* Cm                                                                         */
/* ------------------------------------------------------------------------ */

void CmpInitialize(void);
void CmpTeardown(void);
/* Host-side registry setup, UTF-8 paths relative to HKLM\SYSTEM\CurrentControlSet\Services. */
NTSTATUS CmpSetValueUtf8(const char *KeyPath, const char *Name, ULONG Type, const void *Data, ULONG Size);
NTSTATUS CmpCreateKeyUtf8(const char *KeyPath);
BOOLEAN CmpQueryDwordUtf8(const char *KeyPath, const char *Name, ULONG *Value);
BOOLEAN CmpQueryStringUtf8(const char *KeyPath, const char *Name, char *Buffer, size_t Size);
/* Enumerate subkey names of a key (UTF-8); returns count, names machine-owned. */
size_t CmpEnumerateSubkeysUtf8(const char *KeyPath, const char **Names, size_t Max);

/* ------------------------------------------------------------------------ */
/* Io                                                                         */
/* ------------------------------------------------------------------------ */

/* FsRtl: a non-IRP file system operation through the filters' callbacks
 * (sim/fsrtl/fsfilter.c); Mm: a process reading a file through a mapped
 * view (sim/cc/mapped.c). */
NTSTATUS FsRtlpPerformFsFilterOperation(PFILE_OBJECT FileObject, UCHAR Operation, const FS_FILTER_PARAMETERS *Parameters);
NTSTATUS MmpReadMappedView(PFILE_OBJECT FileObject, LONGLONG Offset, ULONG Length, PUCHAR Out, ULONG_PTR *Copied);
NTSTATUS MmpMapFileAndRead(HANDLE FileHandle, LONGLONG Offset, ULONG Length, PVOID Out, PIO_STATUS_BLOCK IoStatus);

typedef struct IOP_DRIVER_IMAGE {
    const char *ServiceName;    /* "passthrough" */
    const char *ImageName;      /* "passthrough.sys" */
    const char *ModuleName;     /* "passthrough" (k listing) */
    const char *HostPath;
    void *Handle;               /* dlopen handle, NULL for built-ins */
    PDRIVER_OBJECT DriverObject;
    BOOLEAN Loaded;
    BOOLEAN BuiltIn;
    BOOLEAN HasFsFilterCallbacks;   /* FsRtlRegisterFileSystemFilterCallbacks */
    FS_FILTER_CALLBACKS FsFilterCallbacks;
} IOP_DRIVER_IMAGE;

void IopInitialize(void);
void IopTeardown(void);
NTSTATUS IopLoadDriver(const char *ServiceName);
NTSTATUS IopUnloadDriver(const char *ServiceName);
IOP_DRIVER_IMAGE *IopFindImageByAddress(const void *Address);
IOP_DRIVER_IMAGE *IopFindImageByService(const char *ServiceName);
IOP_DRIVER_IMAGE *IopFindImageByDriverObject(PDRIVER_OBJECT DriverObject);
/* Create a built-in driver (localfs, FltMgr) whose DriverEntry is in the simulator. */
PDRIVER_OBJECT IopCreateBuiltinDriver(const char *Name, const char *Module, PDRIVER_INITIALIZE Entry);
/* Mount a local volume under a drive letter; returns the VDO. */
NTSTATUS IopMountLocalVolume(const char *Drive, PDEVICE_OBJECT *VolumeDevice);
/* The redirector's MUP device: UNC paths ("\\server\share\...") resolve to it. */
NTSTATUS IopRegisterNetworkVolume(PDEVICE_OBJECT MupDevice);
/* Resolve "C:\x\y" to the volume device and the path on it. */
NTSTATUS IopResolveDosPath(PCUNICODE_STRING Path, PDEVICE_OBJECT *VolumeDevice, PUNICODE_STRING Remainder);
/* Volume bookkeeping (FltMgr enumerates these). */
typedef struct IOP_VOLUME {
    const char *Drive;          /* "C:" */
    UNICODE_STRING DeviceName;  /* \Device\HarddiskVolume1 */
    PDEVICE_OBJECT StorageDevice;
    PDEVICE_OBJECT VolumeDevice; /* the file system's VDO */
} IOP_VOLUME;
size_t IopVolumeCount(void);
IOP_VOLUME *IopGetVolume(size_t Index);
IOP_VOLUME *IopFindVolumeByDevice(PDEVICE_OBJECT AnyDeviceInStack);
/* A mount notification target (FltMgr). */
typedef void (*IOP_MOUNT_CALLBACK)(IOP_VOLUME *Volume);
void IopSetMountCallback(IOP_MOUNT_CALLBACK Callback);

/* File objects and user-mode I/O (sim/io/file.c). */
NTSTATUS IopCreateFile(struct _EPROCESS *Process, PCUNICODE_STRING Path, ACCESS_MASK DesiredAccess,
                       ULONG FileAttributes, ULONG ShareAccess, ULONG Disposition, ULONG CreateOptions,
                       KPROCESSOR_MODE Mode, PDEVICE_OBJECT TargetDevice, PHANDLE Handle,
                       PIO_STATUS_BLOCK IoStatus, PFILE_OBJECT *FileObjectOut);
NTSTATUS IopSynchronousIrp(PFILE_OBJECT FileObject, PDEVICE_OBJECT Device, PIRP Irp, PIO_STATUS_BLOCK IoStatus);
void IopQueueCompletionApc(PIRP Irp);   /* sim/io/complete.c */
void IopCompleteDeferred(PIRP Irp);
extern POBJECT_TYPE IopFileObjectType, IopDeviceObjectType, IopDriverObjectType;

/* ------------------------------------------------------------------------ */
/* Kd / CRT                                                                   */
/* ------------------------------------------------------------------------ */

void KdpPrint(const char *Text);

/* ------------------------------------------------------------------------ */
/* FltMgr (fltsim/)                                                           */
/* ------------------------------------------------------------------------ */

void FltpInitialize(void);
void FltpTeardown(void);
/* The filter (if any) registered by a driver object. */
BOOLEAN FltpDriverHasFilter(PDRIVER_OBJECT DriverObject);
/* fltmc unload: FilterUnloadCallback. */
NTSTATUS FltpUnloadFilter(PDRIVER_OBJECT DriverObject);
/* Communication ports, the user side (fltsim/port.c): FilterConnectCommunicationPort
 * (a handle in Process), FilterGetMessage (waits; the message without its
 * FILTER_MESSAGE_HEADER), FilterReplyMessage (the reply without its
 * FILTER_REPLY_HEADER).  Closing the handle disconnects. */
extern POBJECT_TYPE FltpClientPortType;
void FltpCloseClientPortObject(PVOID Object, ULONG HandleCount, struct _EPROCESS *Process);
void FltpDeleteClientPortObject(PVOID Object);
NTSTATUS FltpConnectPort(struct _EPROCESS *Process, const char *Name, PVOID Context, ULONG ContextLength,
                         HANDLE *Handle);
NTSTATUS FltpGetMessage(HANDLE Handle, PVOID Buffer, ULONG Capacity, PULONG Length, PULONGLONG MessageId);
NTSTATUS FltpReplyMessage(HANDLE Handle, ULONGLONG MessageId, PVOID Reply, ULONG ReplyLength);
NTSTATUS FltpSendToFilter(HANDLE Handle, PVOID Input, ULONG InputLength, PVOID Output, ULONG OutputLength,
                          PULONG Returned);

/* localfs (sim/drivers/localfs/lfs.h) is included where needed. */

#endif /* FSIM_KERNEL_H */
