/*
 * build.c - fltsim Io: IRPs a driver has the I/O manager build for it
 * (IoBuildSynchronousFsdRequest, IoBuildAsynchronousFsdRequest,
 * IoBuildDeviceIoControlRequest).  The buffer goes in the way the target
 * device asks for (DO_BUFFERED_IO: a system buffer; DO_DIRECT_IO: a locked
 * MDL; neither: the caller's address), the IRP belongs to the calling
 * thread, and its completion ends in IopCompleteRequest, which copies
 * buffered output back, frees the system buffer and the MDLs, writes the
 * I/O status block, signals the event and frees the IRP - so the caller
 * waits on its event and never frees a synchronous one.  An asynchronous
 * FSD request has no event: its caller's completion routine must free it
 * (IoFreeIrp, after its MDLs) and return STATUS_MORE_PROCESSING_REQUIRED.
 */
#include "iop.h"
#include <string.h>

#define IOP_TAG_BUFFER 'fBoI'

static PIRP IopBuildThreadedIrp(PDEVICE_OBJECT DeviceObject, UCHAR Major, PIO_STATUS_BLOCK IoStatusBlock)
{
    PIRP Irp = IoAllocateIrp(DeviceObject->StackSize, FALSE);
    if (Irp == NULL)
        return NULL;
    PIO_STACK_LOCATION Sp = IoGetNextIrpStackLocation(Irp);
    Sp->MajorFunction = Major;
    Irp->RequestorMode = KernelMode;
    Irp->UserIosb = IoStatusBlock;
    Irp->Tail.Overlay.Thread = (PETHREAD)KeGetCurrentThread();
    return Irp;
}

/* Lock Buffer into an MDL on Irp (kernel memory: cannot fault). */
static BOOLEAN IopAttachMdl(PIRP Irp, PVOID Buffer, ULONG Length, LOCK_OPERATION Operation)
{
    PMDL Mdl = IoAllocateMdl(Buffer, Length, FALSE, FALSE, Irp);
    if (Mdl == NULL)
        return FALSE;
    MmProbeAndLockPages(Mdl, KernelMode, Operation);
    return TRUE;
}

/* The buffers of a control request (IOCTL or FSCTL) by its METHOD_*: one
 * system buffer both ways (output copied back at completion); input in a
 * system buffer and the output in a locked MDL; or the caller's addresses
 * (Type3InputBuffer, UserBuffer).  The stack location's parameters must be
 * set by the caller (DeviceIoControl and FileSystemControl share a layout). */
BOOLEAN IopSetupControlBuffers(PIRP Irp, ULONG Code, PVOID InputBuffer, ULONG InputBufferLength, PVOID OutputBuffer,
                               ULONG OutputBufferLength)
{
    PIO_STACK_LOCATION Sp = IoGetNextIrpStackLocation(Irp);
    switch (Code & 3) {
    case METHOD_BUFFERED: {
        ULONG Size = InputBufferLength > OutputBufferLength ? InputBufferLength : OutputBufferLength;
        if (Size) {
            Irp->AssociatedIrp.SystemBuffer = ExpAllocateSystemPool(NonPagedPoolNx, Size, IOP_TAG_BUFFER);
            Irp->Flags |= IRP_BUFFERED_IO | IRP_DEALLOCATE_BUFFER | (OutputBufferLength ? IRP_INPUT_OPERATION : 0);
            if (InputBuffer && InputBufferLength)
                memcpy(Irp->AssociatedIrp.SystemBuffer, InputBuffer, InputBufferLength);
            Irp->UserBuffer = OutputBuffer;
        }
        return TRUE;
    }
    case METHOD_IN_DIRECT:
    case METHOD_OUT_DIRECT:
        if (InputBuffer && InputBufferLength) {
            Irp->AssociatedIrp.SystemBuffer = ExpAllocateSystemPool(NonPagedPoolNx, InputBufferLength, IOP_TAG_BUFFER);
            Irp->Flags |= IRP_BUFFERED_IO | IRP_DEALLOCATE_BUFFER;
            memcpy(Irp->AssociatedIrp.SystemBuffer, InputBuffer, InputBufferLength);
        }
        if (OutputBuffer && OutputBufferLength &&
            !IopAttachMdl(Irp, OutputBuffer, OutputBufferLength,
                          (Code & 3) == METHOD_IN_DIRECT ? IoReadAccess : IoWriteAccess)) {
            if (Irp->Flags & IRP_DEALLOCATE_BUFFER)
                ExFreePoolWithTag(Irp->AssociatedIrp.SystemBuffer, IOP_TAG_BUFFER);
            Irp->Flags &= ~(ULONG)(IRP_BUFFERED_IO | IRP_DEALLOCATE_BUFFER);
            return FALSE;
        }
        return TRUE;
    default: /* METHOD_NEITHER */
        Sp->Parameters.DeviceIoControl.Type3InputBuffer = InputBuffer;
        Irp->UserBuffer = OutputBuffer;
        return TRUE;
    }
}

PIRP IoBuildAsynchronousFsdRequest(ULONG MajorFunction, PDEVICE_OBJECT DeviceObject, PVOID Buffer, ULONG Length,
                                   PLARGE_INTEGER StartingOffset, PIO_STATUS_BLOCK IoStatusBlock)
{
    KiRequireIrql(DISPATCH_LEVEL, "IoBuildAsynchronousFsdRequest");
    if (DeviceObject == NULL || (MajorFunction != IRP_MJ_READ && MajorFunction != IRP_MJ_WRITE &&
                                 MajorFunction != IRP_MJ_FLUSH_BUFFERS && MajorFunction != IRP_MJ_SHUTDOWN &&
                                 MajorFunction != IRP_MJ_PNP && MajorFunction != IRP_MJ_POWER))
        return NULL;
    PIRP Irp = IopBuildThreadedIrp(DeviceObject, (UCHAR)MajorFunction, IoStatusBlock);
    if (Irp == NULL)
        return NULL;
    if (MajorFunction != IRP_MJ_READ && MajorFunction != IRP_MJ_WRITE)
        return Irp;
    BOOLEAN Write = MajorFunction == IRP_MJ_WRITE;
    PIO_STACK_LOCATION Sp = IoGetNextIrpStackLocation(Irp);
    if (DeviceObject->Flags & DO_BUFFERED_IO) {
        Irp->AssociatedIrp.SystemBuffer = ExpAllocateSystemPool(NonPagedPoolNx, Length ? Length : 1, IOP_TAG_BUFFER);
        Irp->Flags |= IRP_BUFFERED_IO | IRP_DEALLOCATE_BUFFER | (Write ? 0 : IRP_INPUT_OPERATION);
        if (Write && Length)
            memcpy(Irp->AssociatedIrp.SystemBuffer, Buffer, Length);
        Irp->UserBuffer = Buffer;
    } else if ((DeviceObject->Flags & DO_DIRECT_IO) && Length) {
        if (!IopAttachMdl(Irp, Buffer, Length, Write ? IoReadAccess : IoWriteAccess)) {
            IoFreeIrp(Irp);
            return NULL;
        }
    } else {
        Irp->UserBuffer = Buffer;
    }
    if (Write) {
        Sp->Parameters.Write.Length = Length;
        Sp->Parameters.Write.ByteOffset.QuadPart = StartingOffset ? StartingOffset->QuadPart : 0;
    } else {
        Sp->Parameters.Read.Length = Length;
        Sp->Parameters.Read.ByteOffset.QuadPart = StartingOffset ? StartingOffset->QuadPart : 0;
    }
    return Irp;
}

PIRP IoBuildSynchronousFsdRequest(ULONG MajorFunction, PDEVICE_OBJECT DeviceObject, PVOID Buffer, ULONG Length,
                                  PLARGE_INTEGER StartingOffset, PKEVENT Event, PIO_STATUS_BLOCK IoStatusBlock)
{
    KiRequireIrql(PASSIVE_LEVEL, "IoBuildSynchronousFsdRequest");
    PIRP Irp = IoBuildAsynchronousFsdRequest(MajorFunction, DeviceObject, Buffer, Length, StartingOffset,
                                             IoStatusBlock);
    if (Irp == NULL)
        return NULL;
    Irp->UserEvent = Event;
    Irp->Flags |= IRP_SYNCHRONOUS_API;
    return Irp;
}

PIRP IoBuildDeviceIoControlRequest(ULONG IoControlCode, PDEVICE_OBJECT DeviceObject, PVOID InputBuffer,
                                   ULONG InputBufferLength, PVOID OutputBuffer, ULONG OutputBufferLength,
                                   BOOLEAN InternalDeviceIoControl, PKEVENT Event, PIO_STATUS_BLOCK IoStatusBlock)
{
    KiRequireIrql(PASSIVE_LEVEL, "IoBuildDeviceIoControlRequest");
    if (DeviceObject == NULL)
        return NULL;
    PIRP Irp = IopBuildThreadedIrp(DeviceObject,
                                   InternalDeviceIoControl ? IRP_MJ_INTERNAL_DEVICE_CONTROL : IRP_MJ_DEVICE_CONTROL,
                                   IoStatusBlock);
    if (Irp == NULL)
        return NULL;
    PIO_STACK_LOCATION Sp = IoGetNextIrpStackLocation(Irp);
    Sp->Parameters.DeviceIoControl.IoControlCode = IoControlCode;
    Sp->Parameters.DeviceIoControl.InputBufferLength = InputBufferLength;
    Sp->Parameters.DeviceIoControl.OutputBufferLength = OutputBufferLength;
    Irp->UserEvent = Event;
    Irp->Flags |= IRP_SYNCHRONOUS_API;
    if (!IopSetupControlBuffers(Irp, IoControlCode, InputBuffer, InputBufferLength, OutputBuffer, OutputBufferLength)) {
        IoFreeIrp(Irp);
        return NULL;
    }
    return Irp;
}
