/*
 * context.c - fltsim FltMgr: contexts.  FltAllocateContext against the
 * registration's context table, reference counting with the cleanup
 * callback at the last release, attaching to volumes, instances, files,
 * streams (through the file system's FsRtl per-stream context list, so a
 * stream's contexts go away when the file system tears the stream down),
 * stream handles (gone when the file object closes) and transactions, and
 * the 0xF5 checks for extra releases and use after free.
 */
#include "fltp.h"

/* FsRtl per-stream context list (sim/fsrtl/context.c). */
NTSTATUS FsRtlInsertPerStreamContext(PFSRTL_ADVANCED_FCB_HEADER PerStreamContext, PFSRTL_PER_STREAM_CONTEXT Ptr);
PFSRTL_PER_STREAM_CONTEXT FsRtlRemovePerStreamContext(PFSRTL_ADVANCED_FCB_HEADER StreamContext, PVOID OwnerId,
                                                      PVOID InstanceId);

_Static_assert(sizeof(FLTP_CONTEXT) % 16 == 0, "context bodies must stay 16-byte aligned");

#define FLTP_CONTEXT_FALLBACK_TAG 'xCMF'

/* One node per (instance, stream) in the stream's FilterContexts list. */
typedef struct FLTP_STREAM_NODE {
    FSRTL_PER_STREAM_CONTEXT PerStream;
    LIST_ENTRY Links;                   /* FltpStreamNodes */
    PFLT_INSTANCE Instance;
    PVOID FsContext;
} FLTP_STREAM_NODE;

/* Record of a freed context (its pool block is overwritten on free). */
typedef struct FLTP_FREED_CONTEXT {
    LIST_ENTRY Links;
    const void *Body;
    FLT_CONTEXT_TYPE Type;
    const char *File;
    ULONG Line;
} FLTP_FREED_CONTEXT;

/* Misc kinds used with FltpAllocMisc. */
#define FLTP_MISC_STREAM_NODE 1
#define FLTP_MISC_FREED_CONTEXT 2

static FLTP_STREAM_NODE *FltpFindStreamNode(PFLT_INSTANCE Instance, PVOID FsContext);
static void FltpDropStreamNode(FLTP_STREAM_NODE *Node, BOOLEAN Unlink);

/* ------------------------------------------------------------------------ */
/* Lookup and checks                                                        */
/* ------------------------------------------------------------------------ */

static const char *FltpTypeName(FLT_CONTEXT_TYPE Type)
{
    switch (Type) {
    case FLT_VOLUME_CONTEXT: return "volume";
    case FLT_INSTANCE_CONTEXT: return "instance";
    case FLT_FILE_CONTEXT: return "file";
    case FLT_STREAM_CONTEXT: return "stream";
    case FLT_STREAMHANDLE_CONTEXT: return "stream-handle";
    case FLT_TRANSACTION_CONTEXT: return "transaction";
    case FLT_SECTION_CONTEXT: return "section";
    default: return "unknown";
    }
}

static FLTP_FREED_CONTEXT *FltpFindFreed(const void *Body)
{
    struct FLTP_STATE *S = FltpState();
    for (PLIST_ENTRY E = S->Misc.Blink; E != &S->Misc; E = E->Blink) {
        FLTP_MISC *M = CONTAINING_RECORD(E, FLTP_MISC, Links);
        if (M->Kind != FLTP_MISC_FREED_CONTEXT)
            continue;
        FLTP_FREED_CONTEXT *F = (FLTP_FREED_CONTEXT *)(M + 1);
        if (F->Body == Body)
            return F;
    }
    return NULL;
}

FLTP_CONTEXT *FltpContextFromBody(PVOID Body, const char *Routine)
{
    FLTP_CONTEXT *C = Body ? (FLTP_CONTEXT *)Body - 1 : NULL;
    if (C != NULL && C->Magic == FLTP_CONTEXT_MAGIC && !C->Freed)
        return C;
    FLTP_FREED_CONTEXT *F = Body ? FltpFindFreed(Body) : NULL;
    if (F != NULL) {
        KiReportSetRootCause(KiFormat("%s on %s context %016llx (allocated at %s:%u) after its last reference was "
                                      "released and it was freed",
                                      Routine, FltpTypeName(F->Type), (unsigned long long)MiSyntheticAddress(Body),
                                      F->File, F->Line));
        KeBugCheckEx(0xF5 /* FLTMGR_FILE_SYSTEM */, 0x6E, (ULONG_PTR)MiSyntheticAddress(Body), 0, 0);
    }
    KiReportSetRootCause(KiFormat("%s called with %016llx, which is not a context from FltAllocateContext", Routine,
                                  (unsigned long long)MiSyntheticAddress(Body)));
    KeBugCheckEx(0x1E /* KMODE_EXCEPTION_NOT_HANDLED */, (ULONG_PTR)STATUS_ACCESS_VIOLATION, 0, 0,
                 (ULONG_PTR)MiSyntheticAddress(Body));
}

/* The attached context of Type for the given owner, or NULL. */
static FLTP_CONTEXT *FltpFindAttached(FLT_CONTEXT_TYPE Type, PFLT_FILTER Filter, PFLT_INSTANCE Instance,
                                      PFLT_VOLUME Volume, PVOID Key)
{
    struct FLTP_STATE *S = FltpState();
    for (PLIST_ENTRY E = S->Attached.Flink; E != &S->Attached; E = E->Flink) {
        FLTP_CONTEXT *C = CONTAINING_RECORD(E, FLTP_CONTEXT, AttachLinks);
        if (C->Type == Type && C->Filter == Filter && C->Instance == Instance && C->Volume == Volume && C->Key == Key)
            return C;
    }
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* Allocation and references                                                */
/* ------------------------------------------------------------------------ */

static void FltpFreeContext(FLTP_CONTEXT *C)
{
    struct FLTP_STATE *S = FltpState();
    PVOID Body = C + 1;
    const FLT_CONTEXT_REGISTRATION *R = C->Registration;
    if (R != NULL && R->ContextCleanupCallback != NULL) {
        KI_FRAME_SCOPE("FLTMGR", "FltpFreeContext", FLTP_FRAME_DEFAULT);
        KI_DRIVER_FRAME_SCOPE(R->ContextCleanupCallback);
        R->ContextCleanupCallback(Body, C->Type);
    }
    FLTP_FREED_CONTEXT *F = FltpAllocMisc(sizeof(FLTP_FREED_CONTEXT), FLTP_MISC_FREED_CONTEXT);
    F->Body = Body;
    F->Type = C->Type;
    F->File = C->File;
    F->Line = C->Line;
    C->Freed = TRUE;
    FltpRemove(&C->AllLinks);
    (void)S;
    ExFreePoolWithTag(C, C->Tag);
}

static void FltpDereference(FLTP_CONTEXT *C, const char *Routine)
{
    if (C->References <= 0) {
        KiReportSetRootCause(KiFormat("%s: %s context %016llx has no reference left", Routine, FltpTypeName(C->Type),
                                      (unsigned long long)MiSyntheticAddress(C + 1)));
        KeBugCheckEx(0xF5 /* FLTMGR_FILE_SYSTEM */, 0x6D, (ULONG_PTR)MiSyntheticAddress(C + 1),
                     (ULONG_PTR)MiSyntheticAddress(C), 0);
    }
    if (--C->References > 0)
        return;
    if (C->Attached) {
        KiReportSetRootCause(KiFormat("%s dropped the last reference of %s context %016llx (allocated at %s:%u) while "
                                      "it is still attached: FltReleaseContext was called once too often",
                                      Routine, FltpTypeName(C->Type), (unsigned long long)MiSyntheticAddress(C + 1),
                                      C->File, C->Line));
        KiReportSetGuilty(C->Filter->ImageName, KiFormat("%s:%u", FltpCallFile(), FltpCallLine()));
        KeBugCheckEx(0xF5 /* FLTMGR_FILE_SYSTEM */, 0x6D, (ULONG_PTR)MiSyntheticAddress(C + 1),
                     (ULONG_PTR)MiSyntheticAddress(C), 0);
    }
    FltpFreeContext(C);
}

NTSTATUS FLTAPI FltAllocateContext(PFLT_FILTER Filter, FLT_CONTEXT_TYPE ContextType, SIZE_T ContextSize,
                                   POOL_TYPE PoolType, PFLT_CONTEXT *ReturnedContext)
{
    struct FLTP_STATE *S = FltpState();
    const FLT_CONTEXT_REGISTRATION *Match = NULL;
    KiRequireIrql(APC_LEVEL, "FltAllocateContext");
    FltpCheckFilter(Filter, "FltAllocateContext");
    if (ReturnedContext == NULL)
        return STATUS_INVALID_PARAMETER;
    *ReturnedContext = NULL;
    if (Filter->Unregistered)
        return STATUS_FLT_DELETING_OBJECT;
    if (ContextType == 0 || (ContextType & (ContextType - 1)) != 0 || ContextType > FLT_SECTION_CONTEXT)
        return STATUS_INVALID_PARAMETER;
    if (PoolType != NonPagedPool && PoolType != NonPagedPoolNx && PoolType != PagedPool)
        return STATUS_INVALID_PARAMETER;
    if (ContextType == FLT_VOLUME_CONTEXT && PoolType == PagedPool)
        return STATUS_FLT_MUST_BE_NONPAGED_POOL;
    if (ContextSize == 0 || ContextSize > 0x7FFFFFF0)
        return STATUS_INVALID_PARAMETER;
    for (ULONG I = 0; I < Filter->ContextRegistrationCount; I++) {
        const FLT_CONTEXT_REGISTRATION *R = &Filter->ContextRegistrations[I];
        if (R->ContextType != ContextType)
            continue;
        if (R->Size == FLT_VARIABLE_SIZED_CONTEXTS || R->Size == ContextSize ||
            ((R->Flags & FLTFL_CONTEXT_REGISTRATION_NO_EXACT_SIZE_MATCH) && ContextSize <= R->Size)) {
            Match = R;
            break;
        }
    }
    if (Match == NULL)
        return STATUS_FLT_CONTEXT_ALLOCATION_NOT_FOUND;
    ULONG Tag = Match->PoolTag ? Match->PoolTag : FLTP_CONTEXT_FALLBACK_TAG;
    /* Pool charged to the calling driver, at the driver line that asked. */
    FLTP_CONTEXT *C = ExAllocatePoolWithTag(PoolType, sizeof(FLTP_CONTEXT) + ContextSize, Tag);
    if (C == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    MiSetRangeKind(C, "FLT_CONTEXT");
    memset(C, 0, sizeof(*C));
    C->Magic = FLTP_CONTEXT_MAGIC;
    C->Type = ContextType;
    C->References = 1;
    C->Filter = Filter;
    C->Registration = Match;
    C->Size = ContextSize;
    C->Tag = Tag;
    C->PoolType = PoolType;
    C->File = FltpCallFile();
    C->Line = FltpCallLine();
    C->Sequence = ++S->ContextSequence;
    FltpInitList(&C->AttachLinks);
    FltpInsertTail(&S->Contexts, &C->AllLinks);
    /* Variable-sized contexts come zeroed (Windows 11); fixed-size ones are not. */
    if (Match->Size == FLT_VARIABLE_SIZED_CONTEXTS)
        memset(C + 1, 0, ContextSize);
    *ReturnedContext = C + 1;
    return STATUS_SUCCESS;
}

VOID FLTAPI FltReferenceContext(PFLT_CONTEXT Context)
{
    KiRequireIrql(DISPATCH_LEVEL, "FltReferenceContext");
    FLTP_CONTEXT *C = FltpContextFromBody(Context, "FltReferenceContext");
    C->References++;
}

VOID FLTAPI FltReleaseContext(PFLT_CONTEXT Context)
{
    FLTP_CONTEXT *C = FltpContextFromBody(Context, "FltReleaseContext");
    KiRequireIrql(C->PoolType == PagedPool ? APC_LEVEL : DISPATCH_LEVEL, "FltReleaseContext");
    FltpDereference(C, "FltReleaseContext");
}

VOID FLTAPI FltReleaseContexts(PFLT_RELATED_CONTEXTS Contexts)
{
    PFLT_CONTEXT *Slots[] = {&Contexts->VolumeContext, &Contexts->InstanceContext, &Contexts->FileContext,
                             &Contexts->StreamContext, &Contexts->StreamHandleContext, &Contexts->TransactionContext};
    for (size_t I = 0; I < sizeof(Slots) / sizeof(Slots[0]); I++) {
        if (*Slots[I] != NULL) {
            FltReleaseContext(*Slots[I]);
            *Slots[I] = NULL;
        }
    }
}

VOID FLTAPI FltReleaseContextsEx(SIZE_T ContextsSize, PFLT_RELATED_CONTEXTS_EX Contexts)
{
    if (Contexts == NULL || ContextsSize < sizeof(FLT_RELATED_CONTEXTS))
        return;
    FltReleaseContexts((PFLT_RELATED_CONTEXTS)Contexts);
    if (ContextsSize >= sizeof(FLT_RELATED_CONTEXTS_EX) && Contexts->SectionContext != NULL) {
        FltReleaseContext(Contexts->SectionContext);
        Contexts->SectionContext = NULL;
    }
}

/* ------------------------------------------------------------------------ */
/* Attach / detach                                                          */
/* ------------------------------------------------------------------------ */

static void FltpAttach(FLTP_CONTEXT *C, PFLT_INSTANCE Instance, PFLT_VOLUME Volume, PVOID Key)
{
    struct FLTP_STATE *S = FltpState();
    C->Attached = TRUE;
    C->Instance = Instance;
    C->Volume = Volume;
    C->Key = Key;
    C->References++; /* held by the object */
    FltpInsertTail(&S->Attached, &C->AttachLinks);
}

/* Unlinks C; the object's reference is dropped unless handed to the caller. */
static void FltpDetach(FLTP_CONTEXT *C, PFLT_CONTEXT *HandTo)
{
    PFLT_INSTANCE Instance = C->Instance;
    PVOID Key = C->Key;
    FLT_CONTEXT_TYPE Type = C->Type;
    FltpRemove(&C->AttachLinks);
    C->Attached = FALSE;
    C->Instance = NULL;
    C->Volume = NULL;
    C->Key = NULL;
    if (HandTo != NULL)
        *HandTo = C + 1;
    else
        FltpDereference(C, "FltMgr context deletion");
    /* Last stream/file context of this instance on the stream: drop the FsRtl node. */
    if ((Type == FLT_STREAM_CONTEXT || Type == FLT_FILE_CONTEXT) && Instance != NULL && Key != NULL &&
        FltpFindAttached(FLT_STREAM_CONTEXT, Instance->Filter, Instance, NULL, Key) == NULL &&
        FltpFindAttached(FLT_FILE_CONTEXT, Instance->Filter, Instance, NULL, Key) == NULL) {
        FLTP_STREAM_NODE *Node = FltpFindStreamNode(Instance, Key);
        if (Node != NULL)
            FltpDropStreamNode(Node, TRUE);
    }
}

void FltpDeleteContextsOf(PFLT_INSTANCE Instance, PFLT_VOLUME Volume, PFLT_FILTER Filter)
{
    struct FLTP_STATE *S = FltpState();
    for (;;) {
        FLTP_CONTEXT *Victim = NULL;
        for (PLIST_ENTRY E = S->Attached.Flink; E != &S->Attached; E = E->Flink) {
            FLTP_CONTEXT *C = CONTAINING_RECORD(E, FLTP_CONTEXT, AttachLinks);
            if ((Instance != NULL && C->Instance == Instance) || (Volume != NULL && C->Volume == Volume) ||
                (Filter != NULL && C->Filter == Filter)) {
                Victim = C;
                break;
            }
        }
        if (Victim == NULL)
            return;
        FltpDetach(Victim, NULL);
    }
}

void FltpDeleteContextsForFileObject(PFLT_VOLUME Volume, PFILE_OBJECT FileObject)
{
    struct FLTP_STATE *S = FltpState();
    (void)Volume;
    for (;;) {
        FLTP_CONTEXT *Victim = NULL;
        for (PLIST_ENTRY E = S->Attached.Flink; E != &S->Attached; E = E->Flink) {
            FLTP_CONTEXT *C = CONTAINING_RECORD(E, FLTP_CONTEXT, AttachLinks);
            if (C->Type == FLT_STREAMHANDLE_CONTEXT && C->Key == FileObject) {
                Victim = C;
                break;
            }
        }
        if (Victim == NULL)
            return;
        FltpDetach(Victim, NULL);
    }
}

void FltpDeleteContextsForStream(PFLT_VOLUME Volume, PVOID FsContext)
{
    struct FLTP_STATE *S = FltpState();
    (void)Volume;
    for (;;) {
        FLTP_CONTEXT *Victim = NULL;
        for (PLIST_ENTRY E = S->Attached.Flink; E != &S->Attached; E = E->Flink) {
            FLTP_CONTEXT *C = CONTAINING_RECORD(E, FLTP_CONTEXT, AttachLinks);
            if ((C->Type == FLT_STREAM_CONTEXT || C->Type == FLT_FILE_CONTEXT) && C->Key == FsContext) {
                Victim = C;
                break;
            }
        }
        if (Victim == NULL)
            return;
        FltpDetach(Victim, NULL);
    }
}

/* The file object is closed: its stream-handle contexts go. */
void FltpNoteFileObjectClose(PFLT_VOLUME Volume, PFILE_OBJECT FileObject)
{
    FltpDeleteContextsForFileObject(Volume, FileObject);
}

/* ------------------------------------------------------------------------ */
/* Streams: FsRtl per-stream nodes                                          */
/* ------------------------------------------------------------------------ */

static BOOLEAN FltpStreamSupportsContexts(PFILE_OBJECT FileObject)
{
    PFSRTL_ADVANCED_FCB_HEADER H;
    if (FileObject == NULL || FileObject->FsContext == NULL)
        return FALSE;
    H = FileObject->FsContext;
    return (((PFSRTL_COMMON_FCB_HEADER)H)->Flags2 & FSRTL_FLAG2_SUPPORTS_FILTER_CONTEXTS) && H->FastMutex != NULL;
}

static FLTP_STREAM_NODE *FltpFindStreamNode(PFLT_INSTANCE Instance, PVOID FsContext)
{
    struct FLTP_STATE *S = FltpState();
    for (PLIST_ENTRY E = S->Misc.Flink; E != &S->Misc; E = E->Flink) {
        FLTP_MISC *M = CONTAINING_RECORD(E, FLTP_MISC, Links);
        if (M->Kind != FLTP_MISC_STREAM_NODE)
            continue;
        FLTP_STREAM_NODE *N = (FLTP_STREAM_NODE *)(M + 1);
        if (N->Instance == Instance && N->FsContext == FsContext)
            return N;
    }
    return NULL;
}

static void FltpDropStreamNode(FLTP_STREAM_NODE *Node, BOOLEAN Unlink)
{
    if (Unlink)
        (void)FsRtlRemovePerStreamContext(Node->FsContext, Node->PerStream.OwnerId, Node->PerStream.InstanceId);
    FltpFreeMisc(Node);
}

/* The file system tears the stream down: its stream and file contexts go. */
static VOID FltpStreamTeardown(PVOID Buffer)
{
    FLTP_STREAM_NODE *Node = Buffer;
    PFLT_INSTANCE Instance = Node->Instance;
    PVOID FsContext = Node->FsContext;
    struct FLTP_STATE *S = FltpState();
    FltpFreeMisc(Node); /* already unlinked by FsRtl */
    for (;;) {
        FLTP_CONTEXT *Victim = NULL;
        for (PLIST_ENTRY E = S->Attached.Flink; E != &S->Attached; E = E->Flink) {
            FLTP_CONTEXT *C = CONTAINING_RECORD(E, FLTP_CONTEXT, AttachLinks);
            if ((C->Type == FLT_STREAM_CONTEXT || C->Type == FLT_FILE_CONTEXT) && C->Key == FsContext &&
                C->Instance == Instance) {
                Victim = C;
                break;
            }
        }
        if (Victim == NULL)
            return;
        FltpDetach(Victim, NULL);
    }
}

static NTSTATUS FltpEnsureStreamNode(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject)
{
    if (FltpFindStreamNode(Instance, FileObject->FsContext) != NULL)
        return STATUS_SUCCESS;
    FLTP_STREAM_NODE *Node = FltpAllocMisc(sizeof(FLTP_STREAM_NODE), FLTP_MISC_STREAM_NODE);
    Node->Instance = Instance;
    Node->FsContext = FileObject->FsContext;
    Node->PerStream.OwnerId = FltpState()->DriverObject;
    Node->PerStream.InstanceId = Instance;
    Node->PerStream.FreeCallback = FltpStreamTeardown;
    NTSTATUS Status = FsRtlInsertPerStreamContext(FileObject->FsContext, &Node->PerStream);
    if (!NT_SUCCESS(Status))
        FltpFreeMisc(Node);
    return Status;
}

/* ------------------------------------------------------------------------ */
/* Set / get / delete                                                       */
/* ------------------------------------------------------------------------ */

static NTSTATUS FltpSetContext(FLT_CONTEXT_TYPE Type, PFLT_FILTER Filter, PFLT_INSTANCE Instance, PFLT_VOLUME Volume,
                               PVOID Key, FLT_SET_CONTEXT_OPERATION Operation, PFLT_CONTEXT NewContext,
                               PFLT_CONTEXT *OldContext, const char *Routine)
{
    KiRequireIrql(APC_LEVEL, Routine);
    if (OldContext != NULL)
        *OldContext = NULL;
    FLTP_CONTEXT *C = FltpContextFromBody(NewContext, Routine);
    if (C->Type != Type || C->Filter != Filter)
        return STATUS_INVALID_PARAMETER;
    if (Operation != FLT_SET_CONTEXT_REPLACE_IF_EXISTS && Operation != FLT_SET_CONTEXT_KEEP_IF_EXISTS)
        return STATUS_INVALID_PARAMETER;
    if (C->Attached)
        return STATUS_FLT_CONTEXT_ALREADY_LINKED;
    if (Instance != NULL && (Instance->TearingDown || Instance->Detached))
        return STATUS_FLT_DELETING_OBJECT;
    if (Filter->Unregistering || Filter->Unregistered)
        return STATUS_FLT_DELETING_OBJECT;
    FLTP_CONTEXT *Existing = FltpFindAttached(Type, Filter, Instance, Volume, Key);
    if (Existing != NULL) {
        if (Operation == FLT_SET_CONTEXT_KEEP_IF_EXISTS) {
            if (OldContext != NULL) {
                Existing->References++;
                *OldContext = Existing + 1;
            }
            return STATUS_FLT_CONTEXT_ALREADY_DEFINED;
        }
        FltpRemove(&Existing->AttachLinks);
        Existing->Attached = FALSE;
        Existing->Instance = NULL;
        Existing->Volume = NULL;
        Existing->Key = NULL;
        FltpAttach(C, Instance, Volume, Key);
        if (OldContext != NULL)
            *OldContext = Existing + 1; /* the object's reference goes to the caller */
        else
            FltpDereference(Existing, Routine);
        return STATUS_SUCCESS;
    }
    FltpAttach(C, Instance, Volume, Key);
    return STATUS_SUCCESS;
}

static NTSTATUS FltpGetContext(FLT_CONTEXT_TYPE Type, PFLT_FILTER Filter, PFLT_INSTANCE Instance, PFLT_VOLUME Volume,
                               PVOID Key, PFLT_CONTEXT *Context, const char *Routine)
{
    KiRequireIrql(APC_LEVEL, Routine);
    if (Context == NULL)
        return STATUS_INVALID_PARAMETER;
    *Context = NULL;
    FLTP_CONTEXT *C = FltpFindAttached(Type, Filter, Instance, Volume, Key);
    if (C == NULL)
        return STATUS_NOT_FOUND;
    C->References++;
    *Context = C + 1;
    return STATUS_SUCCESS;
}

static NTSTATUS FltpDeleteContext(FLT_CONTEXT_TYPE Type, PFLT_FILTER Filter, PFLT_INSTANCE Instance,
                                  PFLT_VOLUME Volume, PVOID Key, PFLT_CONTEXT *OldContext, const char *Routine)
{
    KiRequireIrql(APC_LEVEL, Routine);
    if (OldContext != NULL)
        *OldContext = NULL;
    FLTP_CONTEXT *C = FltpFindAttached(Type, Filter, Instance, Volume, Key);
    if (C == NULL)
        return STATUS_NOT_FOUND;
    FltpDetach(C, OldContext);
    return STATUS_SUCCESS;
}

VOID FLTAPI FltDeleteContext(PFLT_CONTEXT Context)
{
    KiRequireIrql(APC_LEVEL, "FltDeleteContext");
    FLTP_CONTEXT *C = FltpContextFromBody(Context, "FltDeleteContext");
    if (C->Attached)
        FltpDetach(C, NULL);
}

/* Volume. */
NTSTATUS FLTAPI FltSetVolumeContext(PFLT_VOLUME Volume, FLT_SET_CONTEXT_OPERATION Operation, PFLT_CONTEXT NewContext,
                                    PFLT_CONTEXT *OldContext)
{
    FltpCheckVolume(Volume, "FltSetVolumeContext");
    FLTP_CONTEXT *C = FltpContextFromBody(NewContext, "FltSetVolumeContext");
    if (Volume->TearingDown)
        return STATUS_FLT_DELETING_OBJECT;
    return FltpSetContext(FLT_VOLUME_CONTEXT, C->Filter, NULL, Volume, NULL, Operation, NewContext, OldContext,
                          "FltSetVolumeContext");
}

NTSTATUS FLTAPI FltGetVolumeContext(PFLT_FILTER Filter, PFLT_VOLUME Volume, PFLT_CONTEXT *Context)
{
    FltpCheckFilter(Filter, "FltGetVolumeContext");
    FltpCheckVolume(Volume, "FltGetVolumeContext");
    return FltpGetContext(FLT_VOLUME_CONTEXT, Filter, NULL, Volume, NULL, Context, "FltGetVolumeContext");
}

NTSTATUS FLTAPI FltDeleteVolumeContext(PFLT_FILTER Filter, PFLT_VOLUME Volume, PFLT_CONTEXT *OldContext)
{
    FltpCheckFilter(Filter, "FltDeleteVolumeContext");
    FltpCheckVolume(Volume, "FltDeleteVolumeContext");
    return FltpDeleteContext(FLT_VOLUME_CONTEXT, Filter, NULL, Volume, NULL, OldContext, "FltDeleteVolumeContext");
}

/* Instance. */
NTSTATUS FLTAPI FltSetInstanceContext(PFLT_INSTANCE Instance, FLT_SET_CONTEXT_OPERATION Operation,
                                      PFLT_CONTEXT NewContext, PFLT_CONTEXT *OldContext)
{
    FltpCheckInstance(Instance, "FltSetInstanceContext");
    return FltpSetContext(FLT_INSTANCE_CONTEXT, Instance->Filter, Instance, NULL, NULL, Operation, NewContext,
                          OldContext, "FltSetInstanceContext");
}

NTSTATUS FLTAPI FltGetInstanceContext(PFLT_INSTANCE Instance, PFLT_CONTEXT *Context)
{
    FltpCheckInstance(Instance, "FltGetInstanceContext");
    return FltpGetContext(FLT_INSTANCE_CONTEXT, Instance->Filter, Instance, NULL, NULL, Context,
                          "FltGetInstanceContext");
}

NTSTATUS FLTAPI FltDeleteInstanceContext(PFLT_INSTANCE Instance, PFLT_CONTEXT *OldContext)
{
    FltpCheckInstance(Instance, "FltDeleteInstanceContext");
    return FltpDeleteContext(FLT_INSTANCE_CONTEXT, Instance->Filter, Instance, NULL, NULL, OldContext,
                             "FltDeleteInstanceContext");
}

/* File and stream: keyed by the stream (FsContext); localfs has one stream per file. */
static NTSTATUS FltpSetStreamLike(FLT_CONTEXT_TYPE Type, PFLT_INSTANCE Instance, PFILE_OBJECT FileObject,
                                  FLT_SET_CONTEXT_OPERATION Operation, PFLT_CONTEXT NewContext,
                                  PFLT_CONTEXT *OldContext, const char *Routine)
{
    FltpCheckInstance(Instance, Routine);
    if (OldContext != NULL)
        *OldContext = NULL;
    (void)FltpContextFromBody(NewContext, Routine);
    if (FileObject == NULL)
        return STATUS_INVALID_PARAMETER;
    if (!FltpStreamSupportsContexts(FileObject))
        return STATUS_NOT_SUPPORTED;
    NTSTATUS Status = FltpSetContext(Type, Instance->Filter, Instance, NULL, FileObject->FsContext, Operation,
                                     NewContext, OldContext, Routine);
    if (NT_SUCCESS(Status) && !NT_SUCCESS(FltpEnsureStreamNode(Instance, FileObject))) {
        /* Could not hook the stream's teardown: undo. */
        FLTP_CONTEXT *C = FltpContextFromBody(NewContext, Routine);
        FltpDetach(C, NULL);
        return STATUS_NOT_SUPPORTED;
    }
    return Status;
}

NTSTATUS FLTAPI FltSetStreamContext(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject,
                                    FLT_SET_CONTEXT_OPERATION Operation, PFLT_CONTEXT NewContext,
                                    PFLT_CONTEXT *OldContext)
{
    return FltpSetStreamLike(FLT_STREAM_CONTEXT, Instance, FileObject, Operation, NewContext, OldContext,
                             "FltSetStreamContext");
}

NTSTATUS FLTAPI FltSetFileContext(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject,
                                  FLT_SET_CONTEXT_OPERATION Operation, PFLT_CONTEXT NewContext,
                                  PFLT_CONTEXT *OldContext)
{
    return FltpSetStreamLike(FLT_FILE_CONTEXT, Instance, FileObject, Operation, NewContext, OldContext,
                             "FltSetFileContext");
}

NTSTATUS FLTAPI FltGetStreamContext(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, PFLT_CONTEXT *Context)
{
    FltpCheckInstance(Instance, "FltGetStreamContext");
    if (Context != NULL)
        *Context = NULL;
    if (FileObject == NULL)
        return STATUS_INVALID_PARAMETER;
    if (!FltpStreamSupportsContexts(FileObject))
        return STATUS_NOT_SUPPORTED;
    return FltpGetContext(FLT_STREAM_CONTEXT, Instance->Filter, Instance, NULL, FileObject->FsContext, Context,
                          "FltGetStreamContext");
}

NTSTATUS FLTAPI FltGetFileContext(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, PFLT_CONTEXT *Context)
{
    FltpCheckInstance(Instance, "FltGetFileContext");
    if (Context != NULL)
        *Context = NULL;
    if (FileObject == NULL)
        return STATUS_INVALID_PARAMETER;
    if (!FltpStreamSupportsContexts(FileObject))
        return STATUS_NOT_SUPPORTED;
    return FltpGetContext(FLT_FILE_CONTEXT, Instance->Filter, Instance, NULL, FileObject->FsContext, Context,
                          "FltGetFileContext");
}

NTSTATUS FLTAPI FltDeleteStreamContext(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, PFLT_CONTEXT *OldContext)
{
    FltpCheckInstance(Instance, "FltDeleteStreamContext");
    if (OldContext != NULL)
        *OldContext = NULL;
    if (FileObject == NULL)
        return STATUS_INVALID_PARAMETER;
    if (!FltpStreamSupportsContexts(FileObject))
        return STATUS_NOT_SUPPORTED;
    return FltpDeleteContext(FLT_STREAM_CONTEXT, Instance->Filter, Instance, NULL, FileObject->FsContext, OldContext,
                             "FltDeleteStreamContext");
}

NTSTATUS FLTAPI FltDeleteFileContext(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, PFLT_CONTEXT *OldContext)
{
    FltpCheckInstance(Instance, "FltDeleteFileContext");
    if (OldContext != NULL)
        *OldContext = NULL;
    if (FileObject == NULL)
        return STATUS_INVALID_PARAMETER;
    if (!FltpStreamSupportsContexts(FileObject))
        return STATUS_NOT_SUPPORTED;
    return FltpDeleteContext(FLT_FILE_CONTEXT, Instance->Filter, Instance, NULL, FileObject->FsContext, OldContext,
                             "FltDeleteFileContext");
}

/* Stream handle: keyed by the file object. */
NTSTATUS FLTAPI FltSetStreamHandleContext(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject,
                                          FLT_SET_CONTEXT_OPERATION Operation, PFLT_CONTEXT NewContext,
                                          PFLT_CONTEXT *OldContext)
{
    FltpCheckInstance(Instance, "FltSetStreamHandleContext");
    if (OldContext != NULL)
        *OldContext = NULL;
    if (FileObject == NULL)
        return STATUS_INVALID_PARAMETER;
    if (FileObject->FsContext == NULL)
        return STATUS_NOT_SUPPORTED; /* not opened yet (pre-create) */
    return FltpSetContext(FLT_STREAMHANDLE_CONTEXT, Instance->Filter, Instance, NULL, FileObject, Operation,
                          NewContext, OldContext, "FltSetStreamHandleContext");
}

NTSTATUS FLTAPI FltGetStreamHandleContext(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, PFLT_CONTEXT *Context)
{
    FltpCheckInstance(Instance, "FltGetStreamHandleContext");
    if (FileObject == NULL) {
        if (Context != NULL)
            *Context = NULL;
        return STATUS_INVALID_PARAMETER;
    }
    return FltpGetContext(FLT_STREAMHANDLE_CONTEXT, Instance->Filter, Instance, NULL, FileObject, Context,
                          "FltGetStreamHandleContext");
}

NTSTATUS FLTAPI FltDeleteStreamHandleContext(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject,
                                             PFLT_CONTEXT *OldContext)
{
    FltpCheckInstance(Instance, "FltDeleteStreamHandleContext");
    if (FileObject == NULL) {
        if (OldContext != NULL)
            *OldContext = NULL;
        return STATUS_INVALID_PARAMETER;
    }
    return FltpDeleteContext(FLT_STREAMHANDLE_CONTEXT, Instance->Filter, Instance, NULL, FileObject, OldContext,
                             "FltDeleteStreamHandleContext");
}

/* Transaction: keyed by the transaction object. */
NTSTATUS FLTAPI FltSetTransactionContext(PFLT_INSTANCE Instance, PKTRANSACTION Transaction,
                                         FLT_SET_CONTEXT_OPERATION Operation, PFLT_CONTEXT NewContext,
                                         PFLT_CONTEXT *OldContext)
{
    FltpCheckInstance(Instance, "FltSetTransactionContext");
    if (Transaction == NULL) {
        if (OldContext != NULL)
            *OldContext = NULL;
        return STATUS_INVALID_PARAMETER;
    }
    return FltpSetContext(FLT_TRANSACTION_CONTEXT, Instance->Filter, Instance, NULL, Transaction, Operation,
                          NewContext, OldContext, "FltSetTransactionContext");
}

NTSTATUS FLTAPI FltGetTransactionContext(PFLT_INSTANCE Instance, PKTRANSACTION Transaction, PFLT_CONTEXT *Context)
{
    FltpCheckInstance(Instance, "FltGetTransactionContext");
    return FltpGetContext(FLT_TRANSACTION_CONTEXT, Instance->Filter, Instance, NULL, Transaction, Context,
                          "FltGetTransactionContext");
}

NTSTATUS FLTAPI FltDeleteTransactionContext(PFLT_INSTANCE Instance, PKTRANSACTION Transaction,
                                            PFLT_CONTEXT *OldContext)
{
    FltpCheckInstance(Instance, "FltDeleteTransactionContext");
    return FltpDeleteContext(FLT_TRANSACTION_CONTEXT, Instance->Filter, Instance, NULL, Transaction, OldContext,
                             "FltDeleteTransactionContext");
}

/* Sections: no section contexts are ever attached in this simulator. */
NTSTATUS FLTAPI FltGetSectionContext(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, PFLT_CONTEXT *Context)
{
    FltpCheckInstance(Instance, "FltGetSectionContext");
    (void)FileObject;
    if (Context != NULL)
        *Context = NULL;
    return STATUS_NOT_FOUND;
}

/* ------------------------------------------------------------------------ */
/* FltGetContexts                                                           */
/* ------------------------------------------------------------------------ */

VOID FLTAPI FltGetContexts(PCFLT_RELATED_OBJECTS FltObjects, FLT_CONTEXT_TYPE DesiredContexts,
                           PFLT_RELATED_CONTEXTS Contexts)
{
    PFLT_INSTANCE I = FltObjects->Instance;
    PFILE_OBJECT FO = FltObjects->FileObject;
    memset(Contexts, 0, sizeof(*Contexts));
    if (I == NULL)
        return;
    if (DesiredContexts & FLT_VOLUME_CONTEXT)
        (void)FltpGetContext(FLT_VOLUME_CONTEXT, I->Filter, NULL, I->Volume, NULL, &Contexts->VolumeContext,
                             "FltGetContexts");
    if (DesiredContexts & FLT_INSTANCE_CONTEXT)
        (void)FltpGetContext(FLT_INSTANCE_CONTEXT, I->Filter, I, NULL, NULL, &Contexts->InstanceContext,
                             "FltGetContexts");
    if (FO != NULL && FO->FsContext != NULL) {
        if (DesiredContexts & FLT_FILE_CONTEXT)
            (void)FltpGetContext(FLT_FILE_CONTEXT, I->Filter, I, NULL, FO->FsContext, &Contexts->FileContext,
                                 "FltGetContexts");
        if (DesiredContexts & FLT_STREAM_CONTEXT)
            (void)FltpGetContext(FLT_STREAM_CONTEXT, I->Filter, I, NULL, FO->FsContext, &Contexts->StreamContext,
                                 "FltGetContexts");
        if (DesiredContexts & FLT_STREAMHANDLE_CONTEXT)
            (void)FltpGetContext(FLT_STREAMHANDLE_CONTEXT, I->Filter, I, NULL, FO, &Contexts->StreamHandleContext,
                                 "FltGetContexts");
    }
    if ((DesiredContexts & FLT_TRANSACTION_CONTEXT) && FltObjects->Transaction != NULL)
        (void)FltpGetContext(FLT_TRANSACTION_CONTEXT, I->Filter, I, NULL, FltObjects->Transaction,
                             &Contexts->TransactionContext, "FltGetContexts");
}

NTSTATUS FLTAPI FltGetContextsEx(PCFLT_RELATED_OBJECTS FltObjects, FLT_CONTEXT_TYPE DesiredContexts,
                                 SIZE_T ContextsSize, PFLT_RELATED_CONTEXTS_EX Contexts)
{
    if (FltObjects == NULL || Contexts == NULL || ContextsSize < sizeof(FLT_RELATED_CONTEXTS_EX))
        return STATUS_INVALID_PARAMETER;
    FltGetContexts(FltObjects, DesiredContexts, (PFLT_RELATED_CONTEXTS)Contexts);
    Contexts->SectionContext = NULL;
    return STATUS_SUCCESS;
}

BOOLEAN FLTAPI FltSupportsFileContexts(PFILE_OBJECT FileObject)
{
    return FltpStreamSupportsContexts(FileObject);
}

BOOLEAN FLTAPI FltSupportsFileContextsEx(PFILE_OBJECT FileObject, PFLT_INSTANCE Instance)
{
    (void)Instance;
    return FltpStreamSupportsContexts(FileObject);
}

BOOLEAN FLTAPI FltSupportsStreamContexts(PFILE_OBJECT FileObject)
{
    return FltpStreamSupportsContexts(FileObject);
}

BOOLEAN FLTAPI FltSupportsStreamHandleContexts(PFILE_OBJECT FileObject)
{
    return FileObject != NULL && FileObject->FsContext != NULL;
}

/* Machine teardown: context pool blocks belong to the pool; only FltMgr's
 * own host records go (they live in the misc list). */
void FltpFreeContexts(void)
{
    struct FLTP_STATE *S = FltpState();
    /* Streams still open: unhook FltMgr's nodes from their FCBs directly (the
     * file system is torn down after FltMgr and must not call back). */
    for (PLIST_ENTRY E = S->Misc.Flink; E != &S->Misc; E = E->Flink) {
        FLTP_MISC *M = CONTAINING_RECORD(E, FLTP_MISC, Links);
        if (M->Kind != FLTP_MISC_STREAM_NODE)
            continue;
        FLTP_STREAM_NODE *N = (FLTP_STREAM_NODE *)(M + 1);
        N->PerStream.Links.Blink->Flink = N->PerStream.Links.Flink;
        N->PerStream.Links.Flink->Blink = N->PerStream.Links.Blink;
    }
    FltpInitList(&S->Attached);
    FltpInitList(&S->Contexts);
}
