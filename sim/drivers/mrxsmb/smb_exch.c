/*
 * smb_exch.c - mrxsmb: the exchange engine and the transport: one
 * exchange per server round trip (request and reply buffers in nonpaged
 * pool, a message id), its submission down to the wire device in an IRP
 * with an MDL for the request (SmbCeInitiateExchange -> Start routine ->
 * SmbCseSubmitBufferContext -> VctSend -> RxCeSend -> SmbWskSend ->
 * RxCeAllocateIrpWithMDL -> IoAllocateIrp), and the reply's way back
 * (SmbWskSendCompletion frees the transport IRP and its MDL and returns
 * STATUS_MORE_PROCESSING_REQUIRED, as a WSK client does with its own IRPs;
 * SmbCeReceive checks the reply and calls the exchange's Finish routine).
 */
#include "mrxsmb.h"

#define SMB_FRAME(Function, Bytes) KI_FRAME_SCOPE("mrxsmb", Function, Bytes)

PSMB_EXCHANGE SmbCeCreateExchange(PMRXSMB_DEVICE Device, PRX_CONTEXT RxContext, USHORT Command, ULONG TreeId,
                                  ULONG RequestData, ULONG ReplyData, PCSTR StartName, PSMB_EXCHANGE_START Start,
                                  PCSTR FinishName, PSMB_EXCHANGE_FINISH Finish)
{
    PSMB_EXCHANGE X;
    if (Device == NULL || RequestData > 0x10000000u || ReplyData > 0x10000000u)
        return NULL;
    X = ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(SMB_EXCHANGE), SMB_TAG_EXCHANGE);
    if (X == NULL)
        return NULL;
    RtlZeroMemory(X, sizeof(*X));
    X->NodeTypeCode = SMB_NTC_EXCHANGE;
    X->NodeByteSize = (CSHORT)sizeof(*X);
    X->Device = Device;
    X->RxContext = RxContext;
    X->Command = Command;
    X->TreeId = TreeId;
    X->StartName = StartName;
    X->Start = Start;
    X->FinishName = FinishName;
    X->Finish = Finish;
    InitializeListHead(&X->Links);
    X->RequestLength = SMBW_DATA_OFFSET + RequestData;
    X->Request = ExAllocatePoolWithTag(NonPagedPoolNx, X->RequestLength, SMB_TAG_BUFFER);
    X->ReplyCapacity = SMBW_DATA_OFFSET + ReplyData;
    X->Reply = ExAllocatePoolWithTag(NonPagedPoolNx, X->ReplyCapacity, SMB_TAG_BUFFER);
    if (X->Request == NULL || X->Reply == NULL) {
        SmbCeDiscardExchange(X);
        return NULL;
    }
    RtlZeroMemory(X->Request, X->RequestLength);
    RtlZeroMemory(X->Reply, SMBW_DATA_OFFSET);
    X->Request->Header.ProtocolId = SMBW_PROTOCOL_ID;
    X->Request->Header.StructureSize = (USHORT)sizeof(SMBW_HEADER);
    X->Request->Header.Command = Command;
    X->Request->Header.TreeId = TreeId;
    X->Request->Header.DataLength = RequestData;
    return X;
}

VOID SmbCeDiscardExchange(PSMB_EXCHANGE X)
{
    if (X->Request != NULL)
        ExFreePoolWithTag(X->Request, SMB_TAG_BUFFER);
    if (X->Reply != NULL)
        ExFreePoolWithTag(X->Reply, SMB_TAG_BUFFER);
    X->NodeTypeCode = 0;
    ExFreePoolWithTag(X, SMB_TAG_EXCHANGE);
}

/* The transport: the request's IRP and MDL go to the wire. */
static NTSTATUS SmbWskSend(PSMB_EXCHANGE X)
{
    SMB_FRAME("SmbWskSend", 0x80);
    PDEVICE_OBJECT Wire = X->Device->Wire;
    PIRP Irp = RxCeAllocateIrpWithMDL(Wire->StackSize, FALSE, X->Request, X->RequestLength);
    PIO_STACK_LOCATION Sp;
    if (Irp == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Irp->RequestorMode = KernelMode;
    Irp->UserBuffer = X->Reply;
    Sp = IoGetNextIrpStackLocation(Irp);
    Sp->MajorFunction = IRP_MJ_INTERNAL_DEVICE_CONTROL;
    Sp->Parameters.DeviceIoControl.IoControlCode = IOCTL_SMBSRV_TRANSCEIVE;
    Sp->Parameters.DeviceIoControl.InputBufferLength = X->RequestLength;
    Sp->Parameters.DeviceIoControl.OutputBufferLength = X->ReplyCapacity;
    IoSetCompletionRoutine(Irp, SmbWskSendCompletion, X, TRUE, TRUE, TRUE);
    /* From here on the exchange belongs to the completion path. */
    (void)IoCallDriver(Wire, Irp);
    return STATUS_PENDING;
}

static NTSTATUS RxCeSend(PSMB_EXCHANGE X)
{
    SMB_FRAME("RxCeSend", 0x130);
    return SmbWskSend(X);
}

static NTSTATUS VctSend(PSMB_EXCHANGE X)
{
    SMB_FRAME("VctSend", 0x60);
    return RxCeSend(X);
}

NTSTATUS SmbCseSubmitBufferContext(PSMB_EXCHANGE X)
{
    SMB_FRAME("SmbCseSubmitBufferContext", 0x140);
    PMRXSMB_DEVICE D = X->Device;
    X->Request->Header.MessageId = D->NextMessageId++;
    InsertTailList(&D->Exchanges, &X->Links);
    D->ExchangeCount++;
    D->ExchangesStarted++;
    return VctSend(X);
}

NTSTATUS SmbCeInitiateExchange(PSMB_EXCHANGE X)
{
    SMB_FRAME("SmbCeInitiateExchange", 0xe0);
    NTSTATUS Status;
    {
        /* Every command is SMB2's: the Start routines are mrxsmb20's. */
        KI_FRAME_SCOPE("mrxsmb20", X->StartName, 0xd0);
        Status = X->Start(X);
    }
    if (Status != STATUS_PENDING) {
        /* Nothing went out: the exchange dies here. */
        if (!IsListEmpty(&X->Links)) {
            RemoveEntryList(&X->Links);
            X->Device->ExchangeCount--;
        }
        SmbCeDiscardExchange(X);
    }
    return Status;
}

/* The reply is in (or the transport failed): hand it to the exchange. */
static VOID SmbCeReceive(PSMB_EXCHANGE X, NTSTATUS TransportStatus)
{
    SMB_FRAME("SmbCeReceive", 0x90);
    NTSTATUS Status = TransportStatus;
    const SMBW_MESSAGE *Reply = NULL;
    RemoveEntryList(&X->Links);
    X->Device->ExchangeCount--;
    if (NT_SUCCESS(Status)) {
        if (X->ReplyLength < SMBW_DATA_OFFSET || X->Reply->Header.ProtocolId != SMBW_PROTOCOL_ID ||
            !(X->Reply->Header.Flags & SMBW_FLAG_REPLY) ||
            X->Reply->Header.MessageId != X->Request->Header.MessageId ||
            X->Reply->Header.DataLength > X->ReplyLength - SMBW_DATA_OFFSET) {
            Status = STATUS_INVALID_NETWORK_RESPONSE;
        } else {
            Status = X->Reply->Header.Status;
            Reply = X->Reply;
        }
    }
    {
        KI_FRAME_SCOPE("mrxsmb20", X->FinishName, 0x80);
        X->Finish(X, Status, Reply);
    }
    SmbCeDiscardExchange(X);
}

/* The transport IRP's completion routine (the WSK contract: ours to free). */
NTSTATUS SmbWskSendCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    SMB_FRAME("SmbWskSendCompletion", 0x40);
    PSMB_EXCHANGE X = Context;
    NTSTATUS Status = Irp->IoStatus.Status;
    UNREFERENCED_PARAMETER(DeviceObject);
    if (!Irp->PendingReturned)
        X->Device->InlineReplies++;
    X->ReplyLength = NT_SUCCESS(Status) ? (ULONG)Irp->IoStatus.Information : 0;
    RxCeFreeIrpWithMDL(Irp);
    SmbCeReceive(X, Status);
    return STATUS_MORE_PROCESSING_REQUIRED;
}
