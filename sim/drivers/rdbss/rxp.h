/*
 * rxp.h - rdbss: private declarations shared by the library's source files
 * (the library's global data, the common dispatch routines, the finishing
 * steps run when a mini-redirector's asynchronous operation completes).
 *
 * Frame sizes charged to the stack ledger (bytes; "tsv" = measured in the
 * seed's listing, shared/data/frames-win10-19041-x64.tsv, else an estimate):
 *   RxFsdDispatch 0x50 tsv, RxFsdCommonDispatch 0x190 tsv, RxCommonRead
 *   0x180 tsv, RxLowIoSubmit 0x70 tsv, RxCeAllocateIrpWithMDL 0x30 tsv;
 *   estimates: RxCommonCreate 0x1b0, RxCommonWrite 0x180,
 *   RxCommonQueryInformation 0x110, RxCommonSetInformation 0x110,
 *   RxCommonQuerySecurity 0xa0, RxCommonDirectoryControl 0xb0,
 *   RxCommonCleanup 0xd0, RxCommonClose 0x90, RxCommonDeviceControl 0x80,
 *   RxPrefixClaim 0xe0, RxCommonQueryVolumeInformation 0xb0,
 *   RxCommonFlushBuffers 0x80, RxCompleteAsynchronousRequest 0x60,
 *   RxLowIoCompletion 0x60, RxFinishCreate 0xa0, RxWorkerThreadDispatcher 0x50.
 */
#ifndef RXP_H
#define RXP_H

#include <fsim_kernel.h>
#include "rdbss.h"

#define RX_FRAME(Function, Bytes) KI_FRAME_SCOPE("rdbss", Function, Bytes)

/* The library's global data: the control device's extension. */
typedef struct _RX_DATA {
    CSHORT NodeTypeCode;
    CSHORT NodeByteSize;
    PMINIRDR_DISPATCH CscDispatch;
    RX_STATISTICS Statistics;
} RX_DATA, *PRX_DATA;

PRX_DATA RxpData(void);

/* The routines RDBSS calls down to for this context: CSC's for a CSC share. */
PMINIRDR_DISPATCH RxpCallDownTable(PRX_CONTEXT RxContext);

/*
 * Marks the IRP pending and calls Routine; a final status it returns is
 * finished as if it had completed asynchronously.  Returns STATUS_PENDING;
 * RxContext must not be touched afterwards.
 */
NTSTATUS RxpCallDownAsync(PRX_CONTEXT RxContext, PMRX_CALLDOWN Routine);

/* Completes the IRP with Status/Information and frees the context. */
VOID RxpCompleteRequest(PRX_CONTEXT RxContext, NTSTATUS Status, ULONG_PTR Information);

/* FCB and FOBX of an RDBSS file object; FALSE for anything else. */
BOOLEAN RxpDecodeFileObject(PFILE_OBJECT FileObject, PFCB *Fcb, PFOBX *Fobx);

/* Locks Irp->UserBuffer into an MDL on the IRP (see rdbss.h). */
NTSTATUS RxLockUserBuffer(PRX_CONTEXT RxContext, LOCK_OPERATION Operation, ULONG Length);

/* Case-insensitive comparison of UTF-16 runs. */
BOOLEAN RxpEqualNames(PCWCH A, USHORT ABytes, PCWCH B, USHORT BBytes);
/* A pool copy (RX_TAG_NAME) of Length bytes at Source, or FALSE. */
BOOLEAN RxpDuplicateName(PUNICODE_STRING Target, PCWCH Source, USHORT Length);
VOID RxpFreeName(PUNICODE_STRING Name);
VOID RxpCopyFileInfo(PFCB Fcb, const RX_FILE_INFO *Info);

/* Common dispatch routines (one per major function). */
NTSTATUS RxCommonCreate(PRX_CONTEXT RxContext);
NTSTATUS RxCommonCleanup(PRX_CONTEXT RxContext);
NTSTATUS RxCommonClose(PRX_CONTEXT RxContext);
NTSTATUS RxCommonRead(PRX_CONTEXT RxContext);
NTSTATUS RxCommonWrite(PRX_CONTEXT RxContext);
NTSTATUS RxCommonQueryInformation(PRX_CONTEXT RxContext);
NTSTATUS RxCommonSetInformation(PRX_CONTEXT RxContext);
NTSTATUS RxCommonQuerySecurity(PRX_CONTEXT RxContext);
NTSTATUS RxCommonSetSecurity(PRX_CONTEXT RxContext);
NTSTATUS RxCommonDirectoryControl(PRX_CONTEXT RxContext);
NTSTATUS RxCommonQueryVolumeInformation(PRX_CONTEXT RxContext);
NTSTATUS RxCommonFlushBuffers(PRX_CONTEXT RxContext);
NTSTATUS RxCommonDeviceControl(PRX_CONTEXT RxContext);

/* Finishing steps, at PASSIVE_LEVEL, before the IRP is completed. */
VOID RxpFinishCreate(PRX_CONTEXT RxContext, NTSTATUS *Status, ULONG_PTR *Information);
VOID RxpFinishReadWrite(PRX_CONTEXT RxContext, NTSTATUS *Status, ULONG_PTR *Information);
VOID RxpFinishQueryInformation(PRX_CONTEXT RxContext, NTSTATUS *Status, ULONG_PTR *Information);
VOID RxpFinishSetInformation(PRX_CONTEXT RxContext, NTSTATUS *Status, ULONG_PTR *Information);
/* Completes the claim and every claim that waited for the same NET_ROOT. */
VOID RxpFinishPrefixClaim(PRX_CONTEXT RxContext, NTSTATUS Status);

#endif /* RXP_H */
