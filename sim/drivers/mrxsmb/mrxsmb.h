/*
 * mrxsmb.h - mrxsmb: private declarations of the SMB mini-redirector
 * (mrxsmb's shell, exchange engine and transport; mrxsmb20's SMB2 routines).
 *
 * An exchange is one server round trip.  SmbCeInitiateExchange calls the
 * exchange's Start routine (Smb2Read_Start, ...), which builds the request
 * in nonpaged pool and submits it: SmbCseSubmitBufferContext -> VctSend ->
 * RxCeSend -> SmbWskSend, which allocates the transport IRP and the
 * request's MDL (RxCeAllocateIrpWithMDL) and sends it to the wire device.
 * When the reply arrives the IRP's completion routine (SmbWskSendCompletion)
 * frees the IRP and its MDL, returns STATUS_MORE_PROCESSING_REQUIRED, and
 * hands the reply to the exchange's Finish routine (SmbCeReceive ->
 * Smb2Read_Finish, ...), which reports the result to RDBSS.
 *
 * Frame sizes charged (bytes; "tsv" = measured in the seed's listing,
 * shared/data/frames-win10-19041-x64.tsv, else an estimate):
 *   mrxsmb:   MRxSmbFsdDispatch 0x40 tsv, SmbShellRead 0x30 tsv,
 *             SmbCeInitiateExchange 0xe0 tsv, SmbCseSubmitBufferContext 0x140
 *             tsv, VctSend 0x60 tsv, RxCeSend 0x130 tsv, SmbWskSend 0x80 tsv;
 *             estimates: SmbShellWrite 0x30, SmbWskSendCompletion 0x40,
 *             SmbCeReceive 0x90, MRxSmbCloseSrvOpen 0x60.
 *   mrxsmb20: MRxSmb2Read 0x60 tsv, Smb2Read_Start 0xd0 tsv; estimates:
 *             MRxSmb2Write 0x60, Smb2Write_Start 0xd0, the other
 *             MRxSmb2<Op> 0x60 and Smb2<Op>_Start 0xd0, every
 *             Smb2<Op>_Finish 0x80.
 */
#ifndef MRXSMB_H
#define MRXSMB_H

#include <fsim_kernel.h>
#include "../rdbss/rdbss.h"
#include "../smbsrv/smbsrv.h"

#define SMB_TAG_EXCHANGE 'xEmS' /* "SmEx" */
#define SMB_TAG_BUFFER 'fBmS'   /* "SmBf": requests and replies */

#define SMB_NTC_EXCHANGE ((CSHORT)0x5302)

typedef struct _SMB_EXCHANGE SMB_EXCHANGE, *PSMB_EXCHANGE;
typedef NTSTATUS (*PSMB_EXCHANGE_START)(PSMB_EXCHANGE Exchange);
typedef VOID (*PSMB_EXCHANGE_FINISH)(PSMB_EXCHANGE Exchange, NTSTATUS Status, const SMBW_MESSAGE *Reply);

/* The mini-redirector's part of its device extension. */
typedef struct _MRXSMB_DEVICE {
    PDEVICE_OBJECT Wire;          /* \Device\SmbSrv */
    ULONGLONG NextMessageId;
    LIST_ENTRY Exchanges;         /* outstanding, start order */
    ULONG ExchangeCount;
    ULONG ExchangesStarted;
    ULONG InlineReplies;
} MRXSMB_DEVICE, *PMRXSMB_DEVICE;

struct _SMB_EXCHANGE {
    CSHORT NodeTypeCode;
    CSHORT NodeByteSize;
    LIST_ENTRY Links;
    PMRXSMB_DEVICE Device;
    PRX_CONTEXT RxContext;        /* NULL for a close travelling alone */
    USHORT Command;
    PCSTR StartName;              /* frames: "Smb2Read_Start" */
    PCSTR FinishName;
    PSMB_EXCHANGE_START Start;
    PSMB_EXCHANGE_FINISH Finish;
    ULONG TreeId;
    SMBW_MESSAGE *Request;        /* nonpaged pool */
    ULONG RequestLength;
    SMBW_MESSAGE *Reply;          /* nonpaged pool */
    ULONG ReplyCapacity;
    ULONG ReplyLength;
    ULONGLONG FileId;             /* closes travelling alone */
};

/* smb_init.c */
NTSTATUS MRxSmbDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);
NTSTATUS MRxSmbFsdDispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp);
PMRXSMB_DEVICE MRxSmbGetDevice(PRX_CONTEXT RxContext);
PDEVICE_OBJECT MRxSmbGetDeviceObject(void);

/* smb_exch.c */
PSMB_EXCHANGE SmbCeCreateExchange(PMRXSMB_DEVICE Device, PRX_CONTEXT RxContext, USHORT Command, ULONG TreeId,
                                  ULONG RequestData, ULONG ReplyData, PCSTR StartName, PSMB_EXCHANGE_START Start,
                                  PCSTR FinishName, PSMB_EXCHANGE_FINISH Finish);
VOID SmbCeDiscardExchange(PSMB_EXCHANGE Exchange);
/*
 * Starts the exchange.  STATUS_PENDING: it was sent (its Finish routine
 * runs, maybe already ran) - neither the exchange nor its RX_CONTEXT may be
 * touched any more.  Any other status: nothing was sent and the exchange is
 * freed.
 */
NTSTATUS SmbCeInitiateExchange(PSMB_EXCHANGE Exchange);
NTSTATUS SmbCseSubmitBufferContext(PSMB_EXCHANGE Exchange);
NTSTATUS SmbWskSendCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context);

/* smb2_ops.c (mrxsmb20) */
extern MINIRDR_DISPATCH MRxSmbDispatch;
VOID MRxSmbFileInfoFromWire(PRX_FILE_INFO Out, const SMBW_FILE_INFO *In);

#endif /* MRXSMB_H */
