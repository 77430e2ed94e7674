/*
 * misc.c - fltsim FltMgr: the smaller services.  Default security
 * descriptors, deferred-I/O and generic work items,
 * aligned pool, push locks and resources, cancel-safe callback-data queues,
 * extra create parameters, oplock/byte-range-lock/transaction/data-scan
 * entry points (no oplocks, locks, KTM or data-scan sections exist in this
 * simulator; they answer as Windows does when there is nothing to report),
 * and FltMgr's own host-side bookkeeping blocks.
 */
#include "fltp.h"

/* ------------------------------------------------------------------------ */
/* Host bookkeeping blocks (freed at machine teardown)                      */
/* ------------------------------------------------------------------------ */

void *FltpAllocMisc(size_t Size, ULONG Kind)
{
    FLTP_MISC *M = calloc(1, sizeof(FLTP_MISC) + Size);
    if (M == NULL)
        abort();
    M->Kind = Kind;
    FltpInsertTail(&FltpState()->Misc, &M->Links);
    return M + 1;
}

void FltpFreeMisc(void *Block)
{
    if (Block == NULL)
        return;
    FLTP_MISC *M = (FLTP_MISC *)Block - 1;
    FltpRemove(&M->Links);
    free(M);
}

void FltpFreeAllMisc(void)
{
    struct FLTP_STATE *S = FltpState();
    while (!FltpListEmpty(&S->Misc)) {
        PLIST_ENTRY E = S->Misc.Flink;
        FltpRemove(E);
        free(CONTAINING_RECORD(E, FLTP_MISC, Links));
    }
}

#define FLTP_TAG_WORKITEM 'iwMF'
#define FLTP_TAG_SD 'dSeF'
#define FLTP_TAG_ECP 'pcEF'

/* A self-relative descriptor whose DACL grants DesiredAccess to System and
 * Administrators (FltMgr's default for communication ports). */
NTSTATUS FLTAPI FltBuildDefaultSecurityDescriptor(PSECURITY_DESCRIPTOR *SecurityDescriptor, ACCESS_MASK DesiredAccess)
{
    static const UCHAR System[] = {1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0};                      /* S-1-5-18 */
    static const UCHAR Admins[] = {1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 0x02, 0, 0};     /* S-1-5-32-544 */
    KiRequireIrql(APC_LEVEL, "FltBuildDefaultSecurityDescriptor");
    if (SecurityDescriptor == NULL)
        return STATUS_INVALID_PARAMETER;
    *SecurityDescriptor = NULL;
    ULONG AceSys = 8 + sizeof(System), AceAdm = 8 + sizeof(Admins);
    ULONG AclSize = 8 + AceSys + AceAdm;
    ULONG Size = 20 + AclSize;
    PUCHAR B = ExAllocatePoolWithTag(PagedPool, Size, FLTP_TAG_SD);
    if (B == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    memset(B, 0, Size);
    /* SECURITY_DESCRIPTOR_RELATIVE: Revision, Sbz1, Control, Owner, Group, Sacl, Dacl. */
    B[0] = 1;
    USHORT Control = 0x8000 /* SE_SELF_RELATIVE */ | 0x0004 /* SE_DACL_PRESENT */;
    memcpy(B + 2, &Control, 2);
    ULONG DaclOffset = 20;
    memcpy(B + 16, &DaclOffset, 4);
    PUCHAR Acl = B + 20;
    Acl[0] = 2; /* ACL_REVISION */
    USHORT AclSize16 = (USHORT)AclSize, AceCount = 2;
    memcpy(Acl + 2, &AclSize16, 2);
    memcpy(Acl + 4, &AceCount, 2);
    PUCHAR Ace = Acl + 8;
    const UCHAR *Sids[2] = {System, Admins};
    ULONG SidSizes[2] = {sizeof(System), sizeof(Admins)};
    for (int I = 0; I < 2; I++) {
        USHORT AceSize = (USHORT)(8 + SidSizes[I]);
        Ace[0] = 0; /* ACCESS_ALLOWED_ACE_TYPE */
        Ace[1] = 0;
        memcpy(Ace + 2, &AceSize, 2);
        memcpy(Ace + 4, &DesiredAccess, 4);
        memcpy(Ace + 8, Sids[I], SidSizes[I]);
        Ace += AceSize;
    }
    *SecurityDescriptor = B;
    return STATUS_SUCCESS;
}

VOID FLTAPI FltFreeSecurityDescriptor(PSECURITY_DESCRIPTOR SecurityDescriptor)
{
    KiRequireIrql(APC_LEVEL, "FltFreeSecurityDescriptor");
    if (SecurityDescriptor != NULL)
        ExFreePoolWithTag(SecurityDescriptor, FLTP_TAG_SD);
}

/* ------------------------------------------------------------------------ */
/* Work items: queued to the system worker threads (ExQueueWorkItem); the   */
/* routine runs later, on a worker thread, at PASSIVE_LEVEL.                */
/* ------------------------------------------------------------------------ */

typedef struct FLTP_WORKITEM {
    ULONG Magic;
    BOOLEAN Deferred;
    BOOLEAN Queued;
    WORK_QUEUE_ITEM Item;
    PVOID Routine;               /* PFLT_DEFERRED_IO_WORKITEM_ROUTINE or PFLT_GENERIC_WORKITEM_ROUTINE */
    PVOID Object;                /* callback data or FLT object */
    PVOID Context;
} FLTP_WORKITEM;

#define FLTP_WORKITEM_MAGIC 0x6b724f46u /* 'FOrk' */

static FLTP_WORKITEM *FltpNewWorkItem(BOOLEAN Deferred)
{
    FLTP_WORKITEM *W = ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(FLTP_WORKITEM), FLTP_TAG_WORKITEM);
    if (W == NULL)
        return NULL;
    MiSetRangeKind(W, Deferred ? "FLT_DEFERRED_IO_WORKITEM" : "FLT_GENERIC_WORKITEM");
    W->Magic = FLTP_WORKITEM_MAGIC;
    W->Deferred = Deferred;
    W->Queued = FALSE;
    return W;
}

static FLTP_WORKITEM *FltpWorkItem(PVOID Item, const char *Routine)
{
    FLTP_WORKITEM *W = Item;
    if (W == NULL || W->Magic != FLTP_WORKITEM_MAGIC) {
        KiReportSetRootCause(KiFormat("%s called with %016llx, which is not a live FltMgr work item", Routine,
                                      (unsigned long long)MiSyntheticAddress(Item)));
        KeBugCheckEx(0x1E /* KMODE_EXCEPTION_NOT_HANDLED */, (ULONG_PTR)STATUS_ACCESS_VIOLATION, 0, 0,
                     (ULONG_PTR)MiSyntheticAddress(Item));
    }
    return W;
}

PFLT_DEFERRED_IO_WORKITEM FLTAPI FltAllocateDeferredIoWorkItem(VOID)
{
    KiRequireIrql(DISPATCH_LEVEL, "FltAllocateDeferredIoWorkItem");
    return (PFLT_DEFERRED_IO_WORKITEM)FltpNewWorkItem(TRUE);
}

VOID FLTAPI FltFreeDeferredIoWorkItem(PFLT_DEFERRED_IO_WORKITEM FltWorkItem)
{
    KiRequireIrql(DISPATCH_LEVEL, "FltFreeDeferredIoWorkItem");
    FLTP_WORKITEM *W = FltpWorkItem(FltWorkItem, "FltFreeDeferredIoWorkItem");
    if (W->Queued) {
        KiReportSetRootCause("FltFreeDeferredIoWorkItem on a work item that is still queued");
        KeBugCheckEx(0xE4 /* WORKER_INVALID */, 1, (ULONG_PTR)MiSyntheticAddress(W), 0, 0);
    }
    W->Magic = 0;
    ExFreePoolWithTag(W, FLTP_TAG_WORKITEM);
}

static VOID FltpRunDeferredIoWorkItem(PVOID Parameter)
{
    FLTP_WORKITEM *W = Parameter;
    PFLT_DEFERRED_IO_WORKITEM_ROUTINE Routine = (PFLT_DEFERRED_IO_WORKITEM_ROUTINE)W->Routine;
    W->Queued = FALSE;
    KI_FRAME_SCOPE("FLTMGR", "FltpProcessDeferredIoWorkItem", FLTP_FRAME_DEFAULT);
    KI_DRIVER_FRAME_SCOPE(Routine);
    Routine((PFLT_DEFERRED_IO_WORKITEM)W, (PFLT_CALLBACK_DATA)W->Object, W->Context);
}

static VOID FltpRunGenericWorkItem(PVOID Parameter)
{
    FLTP_WORKITEM *W = Parameter;
    PFLT_GENERIC_WORKITEM_ROUTINE Routine = (PFLT_GENERIC_WORKITEM_ROUTINE)W->Routine;
    PVOID Object = W->Object;
    W->Queued = FALSE;
    {
        KI_FRAME_SCOPE("FLTMGR", "FltpProcessGenericWorkItem", FLTP_FRAME_DEFAULT);
        KI_DRIVER_FRAME_SCOPE(Routine);
        Routine((PFLT_GENERIC_WORKITEM)W, Object, W->Context);
    }
    FltObjectDereference(Object);
}

NTSTATUS FLTAPI FltQueueDeferredIoWorkItem(PFLT_DEFERRED_IO_WORKITEM FltWorkItem, PFLT_CALLBACK_DATA Data,
                                           PFLT_DEFERRED_IO_WORKITEM_ROUTINE WorkerRoutine, WORK_QUEUE_TYPE QueueType,
                                           PVOID Context)
{
    KiRequireIrql(DISPATCH_LEVEL, "FltQueueDeferredIoWorkItem");
    (void)FltpWorkItem(FltWorkItem, "FltQueueDeferredIoWorkItem");
    FLTP_CBD *C = FltpCbdFromData(Data, "FltQueueDeferredIoWorkItem");
    (void)QueueType;
    if (WorkerRoutine == NULL)
        return STATUS_INVALID_PARAMETER;
    if (!FLT_IS_IRP_OPERATION(Data) || (C->Iopb.IrpFlags & IRP_PAGING_IO) || IoGetTopLevelIrp() != NULL)
        return STATUS_FLT_NOT_SAFE_TO_POST_OPERATION;
    PFLT_INSTANCE I = C->Iopb.TargetInstance;
    if (I != NULL && (I->TearingDown || I->Detached))
        return STATUS_FLT_NOT_SAFE_TO_POST_OPERATION;
    FLTP_WORKITEM *W = (FLTP_WORKITEM *)FltWorkItem;
    if (W->Queued)
        return STATUS_FLT_NOT_SAFE_TO_POST_OPERATION;
    W->Queued = TRUE;
    W->Routine = (PVOID)WorkerRoutine;
    W->Object = Data;
    W->Context = Context;
    ExInitializeWorkItem(&W->Item, FltpRunDeferredIoWorkItem, W);
    ExQueueWorkItem(&W->Item, QueueType);
    return STATUS_SUCCESS;
}

PFLT_GENERIC_WORKITEM FLTAPI FltAllocateGenericWorkItem(VOID)
{
    KiRequireIrql(DISPATCH_LEVEL, "FltAllocateGenericWorkItem");
    return (PFLT_GENERIC_WORKITEM)FltpNewWorkItem(FALSE);
}

VOID FLTAPI FltFreeGenericWorkItem(PFLT_GENERIC_WORKITEM FltWorkItem)
{
    KiRequireIrql(DISPATCH_LEVEL, "FltFreeGenericWorkItem");
    FLTP_WORKITEM *W = FltpWorkItem(FltWorkItem, "FltFreeGenericWorkItem");
    if (W->Queued) {
        KiReportSetRootCause("FltFreeGenericWorkItem on a work item that is still queued");
        KeBugCheckEx(0xE4 /* WORKER_INVALID */, 1, (ULONG_PTR)MiSyntheticAddress(W), 0, 0);
    }
    W->Magic = 0;
    ExFreePoolWithTag(W, FLTP_TAG_WORKITEM);
}

NTSTATUS FLTAPI FltQueueGenericWorkItem(PFLT_GENERIC_WORKITEM FltWorkItem, PVOID FltObject,
                                        PFLT_GENERIC_WORKITEM_ROUTINE WorkerRoutine, WORK_QUEUE_TYPE QueueType,
                                        PVOID Context)
{
    KiRequireIrql(DISPATCH_LEVEL, "FltQueueGenericWorkItem");
    (void)FltpWorkItem(FltWorkItem, "FltQueueGenericWorkItem");
    (void)QueueType;
    if (WorkerRoutine == NULL)
        return STATUS_INVALID_PARAMETER;
    FLTP_WORKITEM *W = (FLTP_WORKITEM *)FltWorkItem;
    if (W->Queued)
        return STATUS_FLT_DELETING_OBJECT;
    /* The item holds a rundown reference on FltObject until it has run. */
    NTSTATUS Status = FltObjectReference(FltObject);
    if (!NT_SUCCESS(Status))
        return Status;
    W->Queued = TRUE;
    W->Routine = (PVOID)WorkerRoutine;
    W->Object = FltObject;
    W->Context = Context;
    ExInitializeWorkItem(&W->Item, FltpRunGenericWorkItem, W);
    ExQueueWorkItem(&W->Item, QueueType);
    return STATUS_SUCCESS;
}

/* ------------------------------------------------------------------------ */
/* Pool and locks                                                           */
/* ------------------------------------------------------------------------ */

PVOID FLTAPI FltAllocatePoolAlignedWithTag(PFLT_INSTANCE Instance, POOL_TYPE PoolType, SIZE_T NumberOfBytes, ULONG Tag)
{
    KiRequireIrql(PoolType == PagedPool ? APC_LEVEL : DISPATCH_LEVEL, "FltAllocatePoolAlignedWithTag");
    FltpCheckInstance(Instance, "FltAllocatePoolAlignedWithTag");
    /* Sector-aligned length; the simulated pool has no alignment constraint to honour beyond it. */
    return ExAllocatePoolWithTag(PoolType, NumberOfBytes, Tag);
}

VOID FLTAPI FltFreePoolAlignedWithTag(PFLT_INSTANCE Instance, PVOID Buffer, ULONG Tag)
{
    FltpCheckInstance(Instance, "FltFreePoolAlignedWithTag");
    ExFreePoolWithTag(Buffer, Tag);
}

/* Push locks: the EX_PUSH_LOCK value counts shared owners by 2, bit 0 = exclusive. */
VOID FLTAPI FltInitializePushLock(PEX_PUSH_LOCK PushLock)
{
    *(volatile ULONG_PTR *)PushLock = 0;
}

VOID FLTAPI FltDeletePushLock(PEX_PUSH_LOCK PushLock)
{
    (void)PushLock;
}

static DECLSPEC_NORETURN void FltpPushLockDeadlock(PEX_PUSH_LOCK PushLock, const char *How)
{
    const char *Text = KiFormat("push lock %016llx acquired %s while it is held %s: the thread waits forever",
                                (unsigned long long)MiSyntheticAddress(PushLock), How,
                                (*(volatile ULONG_PTR *)PushLock & 1) ? "exclusively" : "shared");
    KiReportSetRootCause(Text);
    KiHang(Text);
}

VOID FLTAPI FltAcquirePushLockExclusive(PEX_PUSH_LOCK PushLock)
{
    KiRequireIrql(APC_LEVEL, "FltAcquirePushLockExclusive");
    KeEnterCriticalRegion();
    volatile ULONG_PTR *V = (volatile ULONG_PTR *)PushLock;
    if (*V != 0)
        FltpPushLockDeadlock(PushLock, "exclusively");
    *V = 1;
}

VOID FLTAPI FltAcquirePushLockShared(PEX_PUSH_LOCK PushLock)
{
    KiRequireIrql(APC_LEVEL, "FltAcquirePushLockShared");
    KeEnterCriticalRegion();
    volatile ULONG_PTR *V = (volatile ULONG_PTR *)PushLock;
    if (*V & 1)
        FltpPushLockDeadlock(PushLock, "shared");
    *V += 2;
}

VOID FLTAPI FltReleasePushLock(PEX_PUSH_LOCK PushLock)
{
    volatile ULONG_PTR *V = (volatile ULONG_PTR *)PushLock;
    if (*V == 1)
        *V = 0;
    else if (*V >= 2)
        *V -= 2;
    KeLeaveCriticalRegion();
}

VOID FLTAPI FltAcquireResourceExclusive(PERESOURCE Resource)
{
    KiRequireIrql(APC_LEVEL, "FltAcquireResourceExclusive");
    KeEnterCriticalRegion();
    (void)ExAcquireResourceExclusiveLite(Resource, TRUE);
}

VOID FLTAPI FltAcquireResourceShared(PERESOURCE Resource)
{
    KiRequireIrql(APC_LEVEL, "FltAcquireResourceShared");
    KeEnterCriticalRegion();
    (void)ExAcquireResourceSharedLite(Resource, TRUE);
}

VOID FLTAPI FltReleaseResource(PERESOURCE Resource)
{
    ExReleaseResourceLite(Resource);
    KeLeaveCriticalRegion();
}

/* ------------------------------------------------------------------------ */
/* Cancel-safe callback-data queues                                         */
/* ------------------------------------------------------------------------ */

#define FLTP_CBDQ_DISABLED 0x1

NTSTATUS FLTAPI FltCbdqInitialize(PFLT_INSTANCE Instance, PFLT_CALLBACK_DATA_QUEUE Cbdq,
                                  PFLT_CALLBACK_DATA_QUEUE_INSERT_IO CbdqInsertIo,
                                  PFLT_CALLBACK_DATA_QUEUE_REMOVE_IO CbdqRemoveIo,
                                  PFLT_CALLBACK_DATA_QUEUE_PEEK_NEXT_IO CbdqPeekNextIo,
                                  PFLT_CALLBACK_DATA_QUEUE_ACQUIRE CbdqAcquire,
                                  PFLT_CALLBACK_DATA_QUEUE_RELEASE CbdqRelease,
                                  PFLT_CALLBACK_DATA_QUEUE_COMPLETE_CANCELED_IO CbdqCompleteCanceledIo)
{
    KiRequireIrql(DISPATCH_LEVEL, "FltCbdqInitialize");
    FltpCheckInstance(Instance, "FltCbdqInitialize");
    if (Cbdq == NULL || CbdqInsertIo == NULL || CbdqRemoveIo == NULL || CbdqPeekNextIo == NULL ||
        CbdqAcquire == NULL || CbdqRelease == NULL || CbdqCompleteCanceledIo == NULL)
        return STATUS_INVALID_PARAMETER;
    memset(&Cbdq->Csq, 0, sizeof(Cbdq->Csq));
    Cbdq->Csq.Type = IO_TYPE_CSQ_EX;
    Cbdq->Flags = 0;
    Cbdq->Instance = Instance;
    Cbdq->InsertIo = CbdqInsertIo;
    Cbdq->RemoveIo = CbdqRemoveIo;
    Cbdq->PeekNextIo = CbdqPeekNextIo;
    Cbdq->Acquire = CbdqAcquire;
    Cbdq->Release = CbdqRelease;
    Cbdq->CompleteCanceledIo = CbdqCompleteCanceledIo;
    return STATUS_SUCCESS;
}

VOID FLTAPI FltCbdqEnable(PFLT_CALLBACK_DATA_QUEUE Cbdq)
{
    Cbdq->Flags &= ~(ULONG)FLTP_CBDQ_DISABLED;
}

VOID FLTAPI FltCbdqDisable(PFLT_CALLBACK_DATA_QUEUE Cbdq)
{
    Cbdq->Flags |= FLTP_CBDQ_DISABLED;
}

static void FltpCbdqLock(PFLT_CALLBACK_DATA_QUEUE Cbdq, PKIRQL Irql)
{
    KI_DRIVER_FRAME_SCOPE(Cbdq->Acquire);
    Cbdq->Acquire(Cbdq, Irql);
}

static void FltpCbdqUnlock(PFLT_CALLBACK_DATA_QUEUE Cbdq, KIRQL Irql)
{
    KI_DRIVER_FRAME_SCOPE(Cbdq->Release);
    Cbdq->Release(Cbdq, Irql);
}

NTSTATUS FLTAPI FltCbdqInsertIo(PFLT_CALLBACK_DATA_QUEUE Cbdq, PFLT_CALLBACK_DATA Cbd,
                                PFLT_CALLBACK_DATA_QUEUE_IO_CONTEXT Context, PVOID InsertContext)
{
    KIRQL Irql = 0;
    NTSTATUS Status;
    (void)FltpCbdFromData(Cbd, "FltCbdqInsertIo");
    if (!FLT_IS_IRP_OPERATION(Cbd))
        return STATUS_INVALID_PARAMETER;
    FltpCbdqLock(Cbdq, &Irql);
    if (Cbdq->Flags & FLTP_CBDQ_DISABLED) {
        FltpCbdqUnlock(Cbdq, Irql);
        return STATUS_FLT_CBDQ_DISABLED;
    }
    if (Context != NULL) {
        Context->Type = IO_TYPE_CSQ_IRP_CONTEXT;
        Context->Irp = (PIRP)Cbd;
        Context->Csq = &Cbdq->Csq;
    }
    {
        KI_DRIVER_FRAME_SCOPE(Cbdq->InsertIo);
        Status = Cbdq->InsertIo(Cbdq, Cbd, InsertContext);
    }
    FltpCbdqUnlock(Cbdq, Irql);
    return Status;
}

PFLT_CALLBACK_DATA FLTAPI FltCbdqRemoveIo(PFLT_CALLBACK_DATA_QUEUE Cbdq, PFLT_CALLBACK_DATA_QUEUE_IO_CONTEXT Context)
{
    KIRQL Irql = 0;
    PFLT_CALLBACK_DATA Cbd = NULL;
    if (Context == NULL)
        return NULL;
    FltpCbdqLock(Cbdq, &Irql);
    if (Context->Irp != NULL) {
        Cbd = (PFLT_CALLBACK_DATA)Context->Irp;
        Context->Irp = NULL;
        KI_DRIVER_FRAME_SCOPE(Cbdq->RemoveIo);
        Cbdq->RemoveIo(Cbdq, Cbd);
    }
    FltpCbdqUnlock(Cbdq, Irql);
    return Cbd;
}

PFLT_CALLBACK_DATA FLTAPI FltCbdqRemoveNextIo(PFLT_CALLBACK_DATA_QUEUE Cbdq, PVOID PeekContext)
{
    KIRQL Irql = 0;
    PFLT_CALLBACK_DATA Cbd;
    FltpCbdqLock(Cbdq, &Irql);
    {
        KI_DRIVER_FRAME_SCOPE(Cbdq->PeekNextIo);
        Cbd = Cbdq->PeekNextIo(Cbdq, NULL, PeekContext);
    }
    if (Cbd != NULL) {
        KI_DRIVER_FRAME_SCOPE(Cbdq->RemoveIo);
        Cbdq->RemoveIo(Cbdq, Cbd);
    }
    FltpCbdqUnlock(Cbdq, Irql);
    return Cbd;
}

/* ------------------------------------------------------------------------ */
/* Extra create parameters                                                  */
/* ------------------------------------------------------------------------ */

typedef struct FLTP_ECP_LIST {
    ULONG Magic;
    ULONG Flags;
    LIST_ENTRY Entries;
} FLTP_ECP_LIST;

typedef struct FLTP_ECP {
    ULONG Magic;
    ULONG Size;
    LIST_ENTRY Links;
    GUID Type;
    PFSRTL_EXTRA_CREATE_PARAMETER_CLEANUP_CALLBACK Cleanup;
    ULONG PoolTag;
    BOOLEAN InList;
    BOOLEAN Acknowledged;
    BOOLEAN FromUserMode;
    BOOLEAN Reserved;
    ULONG Reserved2;
} FLTP_ECP;

#define FLTP_ECP_LIST_MAGIC 0x4c706345u /* 'EcpL' */
#define FLTP_ECP_MAGIC 0x45706345u      /* 'EcpE' */

_Static_assert(sizeof(FLTP_ECP) % 16 == 0, "ECP contexts stay 16-byte aligned");

static FLTP_ECP_LIST *FltpEcpList(PECP_LIST List, const char *Routine)
{
    FLTP_ECP_LIST *L = (FLTP_ECP_LIST *)List;
    if (L == NULL || L->Magic != FLTP_ECP_LIST_MAGIC) {
        KiReportSetRootCause(KiFormat("%s called with %016llx, which is not an ECP list", Routine,
                                      (unsigned long long)MiSyntheticAddress(List)));
        KeBugCheckEx(0x1E /* KMODE_EXCEPTION_NOT_HANDLED */, (ULONG_PTR)STATUS_ACCESS_VIOLATION, 0, 0,
                     (ULONG_PTR)MiSyntheticAddress(List));
    }
    return L;
}

static FLTP_ECP *FltpEcp(PVOID EcpContext, const char *Routine)
{
    FLTP_ECP *E = EcpContext ? (FLTP_ECP *)EcpContext - 1 : NULL;
    if (E == NULL || E->Magic != FLTP_ECP_MAGIC) {
        KiReportSetRootCause(KiFormat("%s called with %016llx, which is not an ECP context", Routine,
                                      (unsigned long long)MiSyntheticAddress(EcpContext)));
        KeBugCheckEx(0x1E /* KMODE_EXCEPTION_NOT_HANDLED */, (ULONG_PTR)STATUS_ACCESS_VIOLATION, 0, 0,
                     (ULONG_PTR)MiSyntheticAddress(EcpContext));
    }
    return E;
}

NTSTATUS FLTAPI FltGetEcpListFromCallbackData(PFLT_FILTER Filter, PFLT_CALLBACK_DATA CallbackData,
                                              PECP_LIST *EcpList)
{
    FltpCheckFilter(Filter, "FltGetEcpListFromCallbackData");
    FLTP_CBD *C = FltpCbdFromData(CallbackData, "FltGetEcpListFromCallbackData");
    if (EcpList == NULL)
        return STATUS_INVALID_PARAMETER;
    *EcpList = NULL;
    if (C->Iopb.MajorFunction != IRP_MJ_CREATE)
        return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS; /* the I/O manager attaches no ECP list to creates */
}

NTSTATUS FLTAPI FltSetEcpListIntoCallbackData(PFLT_FILTER Filter, PFLT_CALLBACK_DATA CallbackData, PECP_LIST EcpList)
{
    FltpCheckFilter(Filter, "FltSetEcpListIntoCallbackData");
    FLTP_CBD *C = FltpCbdFromData(CallbackData, "FltSetEcpListIntoCallbackData");
    (void)FltpEcpList(EcpList, "FltSetEcpListIntoCallbackData");
    if (C->Iopb.MajorFunction != IRP_MJ_CREATE)
        return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}

NTSTATUS FLTAPI FltAllocateExtraCreateParameterList(PFLT_FILTER Filter, FSRTL_ALLOCATE_ECPLIST_FLAGS Flags,
                                                    PECP_LIST *EcpList)
{
    FltpCheckFilter(Filter, "FltAllocateExtraCreateParameterList");
    if (EcpList == NULL)
        return STATUS_INVALID_PARAMETER;
    FLTP_ECP_LIST *L = ExAllocatePoolWithTag(PagedPool, sizeof(FLTP_ECP_LIST), FLTP_TAG_ECP);
    if (L == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    L->Magic = FLTP_ECP_LIST_MAGIC;
    L->Flags = Flags;
    FltpInitList(&L->Entries);
    *EcpList = (PECP_LIST)L;
    return STATUS_SUCCESS;
}

NTSTATUS FLTAPI FltAllocateExtraCreateParameter(PFLT_FILTER Filter, LPCGUID EcpType, ULONG SizeOfContext,
                                                FSRTL_ALLOCATE_ECP_FLAGS Flags,
                                                PFSRTL_EXTRA_CREATE_PARAMETER_CLEANUP_CALLBACK CleanupCallback,
                                                ULONG PoolTag, PVOID *EcpContext)
{
    FltpCheckFilter(Filter, "FltAllocateExtraCreateParameter");
    if (EcpType == NULL || EcpContext == NULL || SizeOfContext == 0)
        return STATUS_INVALID_PARAMETER;
    (void)Flags;
    FLTP_ECP *E = ExAllocatePoolWithTag(PagedPool, sizeof(FLTP_ECP) + SizeOfContext, PoolTag ? PoolTag : FLTP_TAG_ECP);
    if (E == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    memset(E, 0, sizeof(*E) + SizeOfContext);
    E->Magic = FLTP_ECP_MAGIC;
    E->Size = SizeOfContext;
    E->Type = *EcpType;
    E->Cleanup = CleanupCallback;
    E->PoolTag = PoolTag ? PoolTag : FLTP_TAG_ECP;
    FltpInitList(&E->Links);
    *EcpContext = E + 1;
    return STATUS_SUCCESS;
}

static void FltpDestroyEcp(FLTP_ECP *E)
{
    if (E->Cleanup != NULL) {
        KI_DRIVER_FRAME_SCOPE(E->Cleanup);
        E->Cleanup(E + 1, &E->Type);
    }
    E->Magic = 0;
    ExFreePoolWithTag(E, E->PoolTag);
}

VOID FLTAPI FltFreeExtraCreateParameter(PFLT_FILTER Filter, PVOID EcpContext)
{
    FltpCheckFilter(Filter, "FltFreeExtraCreateParameter");
    FLTP_ECP *E = FltpEcp(EcpContext, "FltFreeExtraCreateParameter");
    if (E->InList)
        FltpRemove(&E->Links);
    FltpDestroyEcp(E);
}

VOID FLTAPI FltFreeExtraCreateParameterList(PFLT_FILTER Filter, PECP_LIST EcpList)
{
    FltpCheckFilter(Filter, "FltFreeExtraCreateParameterList");
    FLTP_ECP_LIST *L = FltpEcpList(EcpList, "FltFreeExtraCreateParameterList");
    while (!FltpListEmpty(&L->Entries)) {
        PLIST_ENTRY X = L->Entries.Flink;
        FltpRemove(X);
        FltpDestroyEcp(CONTAINING_RECORD(X, FLTP_ECP, Links));
    }
    L->Magic = 0;
    ExFreePoolWithTag(L, FLTP_TAG_ECP);
}

NTSTATUS FLTAPI FltInsertExtraCreateParameter(PFLT_FILTER Filter, PECP_LIST EcpList, PVOID EcpContext)
{
    FltpCheckFilter(Filter, "FltInsertExtraCreateParameter");
    FLTP_ECP_LIST *L = FltpEcpList(EcpList, "FltInsertExtraCreateParameter");
    FLTP_ECP *E = FltpEcp(EcpContext, "FltInsertExtraCreateParameter");
    if (E->InList)
        return STATUS_INVALID_PARAMETER;
    for (PLIST_ENTRY X = L->Entries.Flink; X != &L->Entries; X = X->Flink)
        if (memcmp(&CONTAINING_RECORD(X, FLTP_ECP, Links)->Type, &E->Type, sizeof(GUID)) == 0)
            return STATUS_OBJECT_NAME_COLLISION;
    FltpInsertTail(&L->Entries, &E->Links);
    E->InList = TRUE;
    return STATUS_SUCCESS;
}

NTSTATUS FLTAPI FltFindExtraCreateParameter(PFLT_FILTER Filter, PECP_LIST EcpList, LPCGUID EcpType, PVOID *EcpContext,
                                            ULONG *EcpContextSize)
{
    FltpCheckFilter(Filter, "FltFindExtraCreateParameter");
    FLTP_ECP_LIST *L = FltpEcpList(EcpList, "FltFindExtraCreateParameter");
    if (EcpContext != NULL)
        *EcpContext = NULL;
    if (EcpType == NULL)
        return STATUS_INVALID_PARAMETER;
    for (PLIST_ENTRY X = L->Entries.Flink; X != &L->Entries; X = X->Flink) {
        FLTP_ECP *E = CONTAINING_RECORD(X, FLTP_ECP, Links);
        if (memcmp(&E->Type, EcpType, sizeof(GUID)) == 0) {
            if (EcpContext != NULL)
                *EcpContext = E + 1;
            if (EcpContextSize != NULL)
                *EcpContextSize = E->Size;
            return STATUS_SUCCESS;
        }
    }
    return STATUS_NOT_FOUND;
}

NTSTATUS FLTAPI FltRemoveExtraCreateParameter(PFLT_FILTER Filter, PECP_LIST EcpList, LPCGUID EcpType,
                                              PVOID *EcpContext, ULONG *EcpContextSize)
{
    PVOID Found = NULL;
    NTSTATUS Status = FltFindExtraCreateParameter(Filter, EcpList, EcpType, &Found, EcpContextSize);
    if (EcpContext != NULL)
        *EcpContext = Found;
    if (!NT_SUCCESS(Status))
        return Status;
    FLTP_ECP *E = FltpEcp(Found, "FltRemoveExtraCreateParameter");
    FltpRemove(&E->Links);
    E->InList = FALSE;
    return STATUS_SUCCESS;
}

NTSTATUS FLTAPI FltGetNextExtraCreateParameter(PFLT_FILTER Filter, PECP_LIST EcpList, PVOID CurrentEcpContext,
                                               LPGUID NextEcpType, PVOID *NextEcpContext, PULONG NextEcpContextSize)
{
    FltpCheckFilter(Filter, "FltGetNextExtraCreateParameter");
    FLTP_ECP_LIST *L = FltpEcpList(EcpList, "FltGetNextExtraCreateParameter");
    PLIST_ENTRY X = CurrentEcpContext ? FltpEcp(CurrentEcpContext, "FltGetNextExtraCreateParameter")->Links.Flink
                                      : L->Entries.Flink;
    if (NextEcpContext != NULL)
        *NextEcpContext = NULL;
    if (X == &L->Entries)
        return STATUS_NOT_FOUND;
    FLTP_ECP *E = CONTAINING_RECORD(X, FLTP_ECP, Links);
    if (NextEcpType != NULL)
        *NextEcpType = E->Type;
    if (NextEcpContext != NULL)
        *NextEcpContext = E + 1;
    if (NextEcpContextSize != NULL)
        *NextEcpContextSize = E->Size;
    return STATUS_SUCCESS;
}

VOID FLTAPI FltAcknowledgeEcp(PFLT_FILTER Filter, PVOID EcpContext)
{
    FltpCheckFilter(Filter, "FltAcknowledgeEcp");
    FltpEcp(EcpContext, "FltAcknowledgeEcp")->Acknowledged = TRUE;
}

BOOLEAN FLTAPI FltIsEcpAcknowledged(PFLT_FILTER Filter, PVOID EcpContext)
{
    FltpCheckFilter(Filter, "FltIsEcpAcknowledged");
    return FltpEcp(EcpContext, "FltIsEcpAcknowledged")->Acknowledged;
}

BOOLEAN FLTAPI FltIsEcpFromUserMode(PFLT_FILTER Filter, PVOID EcpContext)
{
    FltpCheckFilter(Filter, "FltIsEcpFromUserMode");
    return FltpEcp(EcpContext, "FltIsEcpFromUserMode")->FromUserMode;
}

/* ------------------------------------------------------------------------ */
/* Waits                                                                    */
/* ------------------------------------------------------------------------ */

NTSTATUS FLTAPI FltCancellableWaitForSingleObject(PVOID Object, PLARGE_INTEGER Timeout, PFLT_CALLBACK_DATA CallbackData)
{
    KiRequireIrql(APC_LEVEL, "FltCancellableWaitForSingleObject");
    if (CallbackData != NULL) {
        FLTP_CBD *C = FltpCbdFromData(CallbackData, "FltCancellableWaitForSingleObject");
        if (C->Irp != NULL && C->Irp->Cancel)
            return STATUS_CANCELLED;
    }
    return KeWaitForSingleObject(Object, Executive, KernelMode, FALSE, Timeout);
}

NTSTATUS FLTAPI FltCancellableWaitForMultipleObjects(ULONG Count, PVOID ObjectArray[], WAIT_TYPE WaitType,
                                                     PLARGE_INTEGER Timeout, PKWAIT_BLOCK WaitBlockArray,
                                                     PFLT_CALLBACK_DATA CallbackData)
{
    KiRequireIrql(APC_LEVEL, "FltCancellableWaitForMultipleObjects");
    FLTP_CBD *C = FltpCbdFromData(CallbackData, "FltCancellableWaitForMultipleObjects");
    if (C->Irp != NULL && C->Irp->Cancel)
        return STATUS_CANCELLED;
    return KeWaitForMultipleObjects(Count, ObjectArray, WaitType, Executive, KernelMode, FALSE, Timeout,
                                    WaitBlockArray);
}

/* ------------------------------------------------------------------------ */
/* Oplocks and byte-range locks: the simulated file systems grant none.     */
/* ------------------------------------------------------------------------ */

VOID FLTAPI FltInitializeOplock(POPLOCK Oplock)
{
    if (Oplock != NULL)
        *Oplock = NULL;
}

VOID FLTAPI FltUninitializeOplock(POPLOCK Oplock)
{
    if (Oplock != NULL)
        *Oplock = NULL;
}

FLT_PREOP_CALLBACK_STATUS FLTAPI FltCheckOplock(POPLOCK Oplock, PFLT_CALLBACK_DATA CallbackData, PVOID Context,
                                                PFLTOPLOCK_WAIT_COMPLETE_ROUTINE WaitCompletionRoutine,
                                                PFLTOPLOCK_PREPOST_CALLBACKDATA_ROUTINE PrePostCallbackDataRoutine)
{
    (void)Oplock;
    (void)Context;
    (void)WaitCompletionRoutine;
    (void)PrePostCallbackDataRoutine;
    (void)FltpCbdFromData(CallbackData, "FltCheckOplock");
    return FLT_PREOP_SUCCESS_WITH_CALLBACK; /* no oplock to break */
}

FLT_PREOP_CALLBACK_STATUS FLTAPI FltOplockFsctrl(POPLOCK Oplock, PFLT_CALLBACK_DATA CallbackData, ULONG OpenCount)
{
    (void)Oplock;
    (void)OpenCount;
    (void)FltpCbdFromData(CallbackData, "FltOplockFsctrl");
    CallbackData->IoStatus.Status = STATUS_OPLOCK_NOT_GRANTED;
    CallbackData->IoStatus.Information = 0;
    return FLT_PREOP_COMPLETE;
}

BOOLEAN FLTAPI FltOplockIsFastIoPossible(POPLOCK Oplock)
{
    (void)Oplock;
    return TRUE;
}

BOOLEAN FLTAPI FltCurrentBatchOplock(POPLOCK Oplock)
{
    (void)Oplock;
    return FALSE;
}

#define FLTP_TAG_FILELOCK 'lfMF'

VOID FLTAPI FltInitializeFileLock(PFILE_LOCK FileLock)
{
    (void)FileLock;
}

VOID FLTAPI FltUninitializeFileLock(PFILE_LOCK FileLock)
{
    (void)FileLock;
}

PFILE_LOCK FLTAPI FltAllocateFileLock(PFLT_COMPLETE_LOCK_CALLBACK_DATA_ROUTINE CompleteLockCallbackDataRoutine,
                                      PUNLOCK_ROUTINE UnlockRoutine)
{
    (void)CompleteLockCallbackDataRoutine;
    (void)UnlockRoutine;
    return ExAllocatePoolWithTag(PagedPool, 64, FLTP_TAG_FILELOCK);
}

VOID FLTAPI FltFreeFileLock(PFILE_LOCK FileLock)
{
    if (FileLock != NULL)
        ExFreePoolWithTag(FileLock, FLTP_TAG_FILELOCK);
}

FLT_PREOP_CALLBACK_STATUS FLTAPI FltProcessFileLock(PFILE_LOCK FileLock, PFLT_CALLBACK_DATA CallbackData, PVOID Context)
{
    (void)FileLock;
    (void)Context;
    (void)FltpCbdFromData(CallbackData, "FltProcessFileLock");
    /* No byte-range locks are tracked: every lock request is granted. */
    CallbackData->IoStatus.Status = STATUS_SUCCESS;
    CallbackData->IoStatus.Information = 0;
    return FLT_PREOP_COMPLETE;
}

BOOLEAN FLTAPI FltCheckLockForReadAccess(PFILE_LOCK FileLock, PFLT_CALLBACK_DATA CallbackData)
{
    (void)FileLock;
    (void)FltpCbdFromData(CallbackData, "FltCheckLockForReadAccess");
    return TRUE;
}

BOOLEAN FLTAPI FltCheckLockForWriteAccess(PFILE_LOCK FileLock, PFLT_CALLBACK_DATA CallbackData)
{
    (void)FileLock;
    (void)FltpCbdFromData(CallbackData, "FltCheckLockForWriteAccess");
    return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Transactions (no KTM here: FLT_RELATED_OBJECTS.Transaction is never set) */
/* ------------------------------------------------------------------------ */

static NTSTATUS FltpTransaction(PFLT_INSTANCE Instance, PKTRANSACTION Transaction, const char *Routine)
{
    FltpCheckInstance(Instance, Routine);
    return Transaction == NULL ? STATUS_INVALID_PARAMETER : STATUS_NOT_SUPPORTED;
}

NTSTATUS FLTAPI FltEnlistInTransaction(PFLT_INSTANCE Instance, PKTRANSACTION Transaction,
                                       PFLT_CONTEXT TransactionContext, NOTIFICATION_MASK NotificationMask)
{
    (void)TransactionContext;
    (void)NotificationMask;
    return FltpTransaction(Instance, Transaction, "FltEnlistInTransaction");
}

NTSTATUS FLTAPI FltRollbackEnlistment(PFLT_INSTANCE Instance, PKTRANSACTION Transaction,
                                      PFLT_CONTEXT TransactionContext)
{
    (void)TransactionContext;
    return FltpTransaction(Instance, Transaction, "FltRollbackEnlistment");
}

NTSTATUS FLTAPI FltPrePrepareComplete(PFLT_INSTANCE Instance, PKTRANSACTION Transaction,
                                      PFLT_CONTEXT TransactionContext)
{
    (void)TransactionContext;
    return FltpTransaction(Instance, Transaction, "FltPrePrepareComplete");
}

NTSTATUS FLTAPI FltPrepareComplete(PFLT_INSTANCE Instance, PKTRANSACTION Transaction, PFLT_CONTEXT TransactionContext)
{
    (void)TransactionContext;
    return FltpTransaction(Instance, Transaction, "FltPrepareComplete");
}

NTSTATUS FLTAPI FltCommitComplete(PFLT_INSTANCE Instance, PKTRANSACTION Transaction, PFLT_CONTEXT TransactionContext)
{
    (void)TransactionContext;
    return FltpTransaction(Instance, Transaction, "FltCommitComplete");
}

NTSTATUS FLTAPI FltRollbackComplete(PFLT_INSTANCE Instance, PKTRANSACTION Transaction, PFLT_CONTEXT TransactionContext)
{
    (void)TransactionContext;
    return FltpTransaction(Instance, Transaction, "FltRollbackComplete");
}

/* ------------------------------------------------------------------------ */
/* Data-scan sections: volumes here do not support them.                    */
/* ------------------------------------------------------------------------ */

NTSTATUS FLTAPI FltRegisterForDataScan(PFLT_INSTANCE Instance)
{
    KiRequireIrql(PASSIVE_LEVEL, "FltRegisterForDataScan");
    FltpCheckInstance(Instance, "FltRegisterForDataScan");
    return STATUS_NOT_SUPPORTED;
}

NTSTATUS FLTAPI FltCreateSectionForDataScan(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject, PFLT_CONTEXT SectionContext,
                                            ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                                            PLARGE_INTEGER MaximumSize, ULONG SectionPageProtection,
                                            ULONG AllocationAttributes, ULONG Flags, PHANDLE SectionHandle,
                                            PVOID *SectionObject, PLARGE_INTEGER SectionFileSize)
{
    KiRequireIrql(PASSIVE_LEVEL, "FltCreateSectionForDataScan");
    FltpCheckInstance(Instance, "FltCreateSectionForDataScan");
    (void)FileObject;
    (void)SectionContext;
    (void)DesiredAccess;
    (void)ObjectAttributes;
    (void)MaximumSize;
    (void)SectionPageProtection;
    (void)AllocationAttributes;
    (void)Flags;
    (void)SectionFileSize;
    if (SectionHandle != NULL)
        *SectionHandle = NULL;
    if (SectionObject != NULL)
        *SectionObject = NULL;
    return STATUS_NOT_SUPPORTED;
}

NTSTATUS FLTAPI FltCloseSectionForDataScan(PFLT_CONTEXT SectionContext)
{
    (void)SectionContext;
    return STATUS_NOT_FOUND;
}
