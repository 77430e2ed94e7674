/*
 * complete.c - fltsim Io: the second stage of I/O completion.  When the
 * completion walk of an I/O manager IRP ends, IofCompleteRequest queues the
 * special kernel APC IopCompleteRequest to the thread that issued it (the
 * synchronous service finishes an IRP its driver did not pend itself,
 * IRP_DEFER_IO_COMPLETION).  IopCompleteRequest, in the issuing thread at
 * APC_LEVEL: buffered input is copied back to the caller's buffer, the
 * system buffer and every MDL of the chain are freed, the I/O status block
 * is written, the event is signalled and the IRP freed.  A thread that
 * waits for a pending IRP with special kernel APCs held off (IRQL
 * APC_LEVEL, a guarded region) never gets it: the wait never ends.
 */
#include "iop.h"
#include <string.h>

static VOID NTAPI IopCompleteRequest(PKAPC Apc, PKNORMAL_ROUTINE *NormalRoutine, PVOID *NormalContext,
                                     PVOID *SystemArgument1, PVOID *SystemArgument2);

/* The IRP an I/O completion APC finishes, or NULL for any other APC. */
static PIRP IopIrpOfApc(PKAPC Apc)
{
    if (*(PKKERNEL_ROUTINE *)&Apc->Reserved[0] != IopCompleteRequest)
        return NULL;
    return CONTAINING_RECORD(Apc, IRP, Tail.Apc);
}

const char *IopDescribeApc(PKAPC Apc)
{
    PIRP Irp = IopIrpOfApc(Apc);
    if (Irp == NULL)
        return NULL;
    return KiFormat("nt!IopCompleteRequest, the end of the IRP %016llx: it sets the event its issuer waits for",
                    (unsigned long long)MiSyntheticAddress(Irp));
}

/* For a hang report: what became of an IRP a synchronous service waits for. */
int IopDescribeWaitIrp(char *Text, size_t Size, PIRP Irp)
{
    int Used;
    if (IopIrpOfApc(&Irp->Tail.Apc) != NULL)
        return 0; /* its completion APC is queued: the APC report says why it cannot run */
    if (Irp->CurrentLocation > Irp->StackCount + 1) {
        Used = snprintf(Text, Size, "; that IRP was completed, but the driver that returned STATUS_PENDING for it "
                                    "did not mark it pending (IoMarkIrpPending), so its completion was left to "
                                    "this thread as if the dispatch routine had completed it, and nothing will "
                                    "signal the wait");
    } else {
        PIO_STACK_LOCATION Sp = IoGetCurrentIrpStackLocation(Irp);
        IOP_DRIVER_IMAGE *Image =
            Sp->DeviceObject != NULL ? IopFindImageByDriverObject(Sp->DeviceObject->DriverObject) : NULL;
        Used = snprintf(Text, Size, "; that IRP is still at stack location %d of %d (%s), not completed",
                        Irp->CurrentLocation, Irp->StackCount, Image != NULL ? Image->ImageName : "?");
    }
    return Used < 0 ? 0 : (Used < (int)Size ? Used : (int)Size - 1);
}

void IopQueueCompletionApc(PIRP Irp)
{
    PKTHREAD Thread = (PKTHREAD)Irp->Tail.Overlay.Thread;
    PFILE_OBJECT FileObject = Irp->Tail.Overlay.OriginalFileObject;
    /* The APC overlays Tail.Overlay, as on Windows: thread and file object
     * travel as its arguments. */
    KeInitializeApc(&Irp->Tail.Apc, Thread, OriginalApcEnvironment, IopCompleteRequest, NULL, NULL, KernelMode,
                    NULL);
    (void)KeInsertQueueApc(&Irp->Tail.Apc, FileObject, NULL, IO_NO_INCREMENT);
}

/* The issuer's own finish of an IRP its driver completed without pending it. */
void IopCompleteDeferred(PIRP Irp)
{
    KIRQL Old;
    PKNORMAL_ROUTINE Normal = NULL;
    PVOID Context = NULL, Arg1 = Irp->Tail.Overlay.OriginalFileObject, Arg2 = NULL;
    KeRaiseIrql(APC_LEVEL, &Old);
    IopCompleteRequest(&Irp->Tail.Apc, &Normal, &Context, &Arg1, &Arg2);
    KeLowerIrql(Old);
}

static VOID NTAPI IopCompleteRequest(PKAPC Apc, PKNORMAL_ROUTINE *NormalRoutine, PVOID *NormalContext,
                                     PVOID *SystemArgument1, PVOID *SystemArgument2)
{
    PIRP Irp = CONTAINING_RECORD(Apc, IRP, Tail.Apc);
    (void)NormalRoutine;
    (void)NormalContext;
    (void)SystemArgument1;
    (void)SystemArgument2;
    KI_FRAME_SCOPE("nt", "IopCompleteRequest", 0xa0);
    /* Buffered input: copied back unless the status is an error (warnings
     * such as STATUS_BUFFER_OVERFLOW still return their partial data). */
    if ((Irp->Flags & IRP_BUFFERED_IO) && (Irp->Flags & IRP_INPUT_OPERATION) && !NT_ERROR(Irp->IoStatus.Status) &&
        Irp->UserBuffer != NULL && Irp->IoStatus.Information > 0)
        memcpy(Irp->UserBuffer, Irp->AssociatedIrp.SystemBuffer, Irp->IoStatus.Information);
    if (Irp->Flags & IRP_DEALLOCATE_BUFFER)
        ExFreePoolWithTag(Irp->AssociatedIrp.SystemBuffer, 'fBoI');
    while (Irp->MdlAddress) {
        PMDL Next = Irp->MdlAddress->Next;
        IoFreeMdl(Irp->MdlAddress);
        Irp->MdlAddress = Next;
    }
    if (Irp->UserIosb != NULL)
        *Irp->UserIosb = Irp->IoStatus;
    if (Irp->UserEvent != NULL)
        KeSetEvent(Irp->UserEvent, IO_NO_INCREMENT, FALSE);
    IoFreeIrp(Irp);
}
