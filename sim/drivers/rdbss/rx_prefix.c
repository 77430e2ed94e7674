/*
 * rx_prefix.c - rdbss: prefix claims (IOCTL_REDIR_QUERY_PATH_EX from MUP)
 * and the SRV_CALL / NET_ROOT tables.  A claim for "\server\share\..." is
 * answered at once when the NET_ROOT is connected; otherwise the NET_ROOT
 * is created in transition and the mini-redirector connects it
 * (MRxCreateVNetRoot: a tree connect round trip); claims for the same
 * share that arrive meanwhile wait on it and complete with the first.  A
 * failed connect removes the NET_ROOT, so a later claim tries again.
 */
#include "rxp.h"
#include "../mup/mupprov.h"

/* "\server\share..." (one or two leading backslashes): the parts' bounds. */
static BOOLEAN RxpParseUnc(PCUNICODE_STRING Path, USHORT *ServerStart, USHORT *ServerEnd, USHORT *ShareEnd)
{
    USHORT N = Path->Length / sizeof(WCHAR), I = 0;
    PCWCH P = Path->Buffer;
    while (I < N && I < 2 && P[I] == L'\\')
        I++;
    if (I == 0)
        return FALSE;
    *ServerStart = I;
    while (I < N && P[I] != L'\\')
        I++;
    *ServerEnd = I;
    if (I >= N || *ServerEnd == *ServerStart)
        return FALSE;
    I++;
    USHORT ShareStart = I;
    while (I < N && P[I] != L'\\')
        I++;
    *ShareEnd = I;
    return *ShareEnd != ShareStart;
}

static PSRV_CALL RxpFindOrCreateSrvCall(PRDBSS_DEVICE D, PCWCH Name, USHORT Bytes)
{
    for (PLIST_ENTRY E = D->SrvCalls.Flink; E != &D->SrvCalls; E = E->Flink) {
        PSRV_CALL S = CONTAINING_RECORD(E, SRV_CALL, Links);
        if (RxpEqualNames(S->Name.Buffer, S->Name.Length, Name, Bytes))
            return S;
    }
    PSRV_CALL S = ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(SRV_CALL), RX_TAG_SRVCALL);
    if (S == NULL)
        return NULL;
    RtlZeroMemory(S, sizeof(*S));
    S->NodeTypeCode = RDBSS_NTC_SRVCALL;
    S->NodeByteSize = (CSHORT)sizeof(*S);
    if (!RxpDuplicateName(&S->Name, Name, Bytes)) {
        ExFreePoolWithTag(S, RX_TAG_SRVCALL);
        return NULL;
    }
    InsertTailList(&D->SrvCalls, &S->Links);
    return S;
}

static PNET_ROOT RxpFindNetRoot(PRDBSS_DEVICE D, PCWCH Name, USHORT Bytes)
{
    for (PLIST_ENTRY E = D->NetRoots.Flink; E != &D->NetRoots; E = E->Flink) {
        PNET_ROOT R = CONTAINING_RECORD(E, NET_ROOT, Links);
        if (RxpEqualNames(R->Name.Buffer, R->Name.Length, Name, Bytes))
            return R;
    }
    return NULL;
}

/* Called with the table lock held. */
static VOID RxpDeleteNetRoot(PRDBSS_DEVICE D, PNET_ROOT R)
{
    PSRV_CALL S = R->SrvCall;
    UNREFERENCED_PARAMETER(D);
    RxpFreeName(&R->Name);
    ExFreePoolWithTag(R, RX_TAG_NETROOT);
    if (S != NULL && --S->RefCount == 0) {
        RemoveEntryList(&S->Links);
        RxpFreeName(&S->Name);
        ExFreePoolWithTag(S, RX_TAG_SRVCALL);
    }
}

static VOID RxpAnswerClaim(PRX_CONTEXT C, NTSTATUS Status)
{
    PMUP_QUERY_PATH_RESPONSE Response = C->CurrentIrp->UserBuffer;
    if (NT_SUCCESS(Status) && Response != NULL)
        Response->LengthAccepted = C->Create.ClaimLength;
    RxpCompleteRequest(C, Status, 0);
}

static NTSTATUS RxPrefixClaim(PRX_CONTEXT RxContext)
{
    RX_FRAME("RxPrefixClaim", 0xe0);
    PIRP Irp = RxContext->CurrentIrp;
    PIO_STACK_LOCATION Sp = RxContext->CurrentIrpSp;
    PMUP_QUERY_PATH_REQUEST_EX Request = Sp->Parameters.DeviceIoControl.Type3InputBuffer;
    PRDBSS_DEVICE D = RxContext->RxDevice;
    USHORT ServerStart, ServerEnd, ShareEnd;
    WCHAR Normalized[2 * 256 + 2];
    USHORT Chars = 0;
    PNET_ROOT NetRoot;

    /* Only MUP (kernel mode) may ask. */
    if (Irp->RequestorMode != KernelMode)
        return STATUS_INVALID_DEVICE_REQUEST;
    if (Request == NULL || Irp->UserBuffer == NULL ||
        Sp->Parameters.DeviceIoControl.InputBufferLength < sizeof(MUP_QUERY_PATH_REQUEST_EX) ||
        Sp->Parameters.DeviceIoControl.OutputBufferLength < sizeof(MUP_QUERY_PATH_RESPONSE))
        return STATUS_INVALID_PARAMETER;
    if (!RxpParseUnc(&Request->PathName, &ServerStart, &ServerEnd, &ShareEnd) ||
        ShareEnd - ServerStart + 1 > (USHORT)(sizeof(Normalized) / sizeof(WCHAR)))
        return STATUS_BAD_NETWORK_PATH;
    /* "\server\share", one leading backslash, as tables and the server see it. */
    Normalized[Chars++] = L'\\';
    for (USHORT I = ServerStart; I < ShareEnd; I++)
        Normalized[Chars++] = Request->PathName.Buffer[I];
    RxContext->Create.ClaimLength = (ULONG)ShareEnd * sizeof(WCHAR);

    ExAcquireFastMutex(&D->TableLock);
    NetRoot = RxpFindNetRoot(D, Normalized, (USHORT)(Chars * sizeof(WCHAR)));
    if (NetRoot != NULL && NetRoot->Condition == Condition_Good) {
        ExReleaseFastMutex(&D->TableLock);
        ((PMUP_QUERY_PATH_RESPONSE)Irp->UserBuffer)->LengthAccepted = RxContext->Create.ClaimLength;
        return STATUS_SUCCESS;
    }
    if (NetRoot != NULL) {
        /* Being connected by an earlier claim: wait for it. */
        IoMarkIrpPending(Irp);
        RxContext->Flags |= RX_CONTEXT_FLAG_ASYNC_OPERATION;
        RxContext->pNetRoot = NetRoot;
        InsertTailList(&NetRoot->TransitionWaiters, &RxContext->TransitionLinks);
        ExReleaseFastMutex(&D->TableLock);
        return STATUS_PENDING;
    }
    PSRV_CALL SrvCall = RxpFindOrCreateSrvCall(D, Normalized, (USHORT)((ServerEnd - ServerStart + 1) * sizeof(WCHAR)));
    NetRoot = SrvCall ? ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(NET_ROOT), RX_TAG_NETROOT) : NULL;
    if (NetRoot == NULL) {
        if (SrvCall != NULL && SrvCall->RefCount == 0) {
            RemoveEntryList(&SrvCall->Links);
            RxpFreeName(&SrvCall->Name);
            ExFreePoolWithTag(SrvCall, RX_TAG_SRVCALL);
        }
        ExReleaseFastMutex(&D->TableLock);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    RtlZeroMemory(NetRoot, sizeof(*NetRoot));
    NetRoot->NodeTypeCode = RDBSS_NTC_NETROOT;
    NetRoot->NodeByteSize = (CSHORT)sizeof(*NetRoot);
    NetRoot->SrvCall = SrvCall;
    NetRoot->Condition = Condition_InTransition;
    InitializeListHead(&NetRoot->TransitionWaiters);
    InitializeListHead(&NetRoot->Fcbs);
    if (!RxpDuplicateName(&NetRoot->Name, Normalized, (USHORT)(Chars * sizeof(WCHAR)))) {
        SrvCall->RefCount++;
        RxpDeleteNetRoot(D, NetRoot);
        ExReleaseFastMutex(&D->TableLock);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    SrvCall->RefCount++;
    InsertTailList(&D->NetRoots, &NetRoot->Links);
    ExReleaseFastMutex(&D->TableLock);

    RxContext->pNetRoot = NetRoot;
    if (!RxpDuplicateName(&RxContext->Create.PathName, NetRoot->Name.Buffer, NetRoot->Name.Length)) {
        IoMarkIrpPending(Irp);
        RxpFinishPrefixClaim(RxContext, STATUS_INSUFFICIENT_RESOURCES);
        return STATUS_PENDING;
    }
    return RxpCallDownAsync(RxContext, RxGetMiniRdrDispatch(RxContext)->MRxCreateVNetRoot);
}

VOID RxpFinishPrefixClaim(PRX_CONTEXT RxContext, NTSTATUS Status)
{
    RX_FRAME("RxFinishPrefixClaim", 0x60); /* estimate */
    PNET_ROOT NetRoot = RxContext->pNetRoot;
    PRDBSS_DEVICE D = RxContext->RxDevice;
    LIST_ENTRY Waiters;
    InitializeListHead(&Waiters);
    if (NetRoot == NULL) {
        RxpAnswerClaim(RxContext, Status);
        return;
    }
    ExAcquireFastMutex(&D->TableLock);
    if (NT_SUCCESS(Status)) {
        NetRoot->Condition = Condition_Good;
        NetRoot->Flags = RxContext->Create.ShareFlags;
        NetRoot->Context = RxContext->Create.NetRootContext;
    } else {
        NetRoot->Condition = Condition_Bad;
        NetRoot->ConditionStatus = Status;
        RemoveEntryList(&NetRoot->Links);
    }
    while (!IsListEmpty(&NetRoot->TransitionWaiters)) {
        PLIST_ENTRY E = RemoveHeadList(&NetRoot->TransitionWaiters);
        InsertTailList(&Waiters, E);
    }
    ExReleaseFastMutex(&D->TableLock);
    RxpAnswerClaim(RxContext, Status);
    while (!IsListEmpty(&Waiters)) {
        PRX_CONTEXT W = CONTAINING_RECORD(RemoveHeadList(&Waiters), RX_CONTEXT, TransitionLinks);
        RxpAnswerClaim(W, Status);
    }
    if (!NT_SUCCESS(Status)) {
        ExAcquireFastMutex(&D->TableLock);
        RxpDeleteNetRoot(D, NetRoot);
        ExReleaseFastMutex(&D->TableLock);
    }
}

NTSTATUS RxCommonDeviceControl(PRX_CONTEXT RxContext)
{
    RX_FRAME("RxCommonDeviceControl", 0x80);
    ULONG Code = RxContext->CurrentIrpSp->Parameters.DeviceIoControl.IoControlCode;
    if (Code == IOCTL_REDIR_QUERY_PATH_EX)
        return RxPrefixClaim(RxContext);
    return STATUS_INVALID_DEVICE_REQUEST;
}
