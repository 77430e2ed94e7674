/*
 * srv_wire.c - smbsrv: the \Driver\smbsrv driver: the wire device that
 * carries the mini-redirector's requests to the server model and brings
 * the replies back after the share's latency on the virtual clock (a
 * KTIMER whose DPC queues a work item; the work item lets the server
 * process the request at PASSIVE_LEVEL and completes the request's IRP),
 * or inline for a share with latency 0.
 */
#include "srvp.h"
#include <string.h>

typedef struct SRV_PACKET {
    LIST_ENTRY Links;             /* SRV_WIRE_EXTENSION.InFlight */
    PIRP Irp;
    PDEVICE_OBJECT Wire;
    KTIMER Timer;
    KDPC Dpc;
    WORK_QUEUE_ITEM WorkItem;
} SRV_PACKET;

static SRV_WIRE_EXTENSION *SrvpWire(PDEVICE_OBJECT Device)
{
    SRV_WIRE_EXTENSION *X = Device ? (SRV_WIRE_EXTENSION *)Device->DeviceExtension : NULL;
    return X != NULL && X->NodeTypeCode == SRV_NTC_WIRE ? X : NULL;
}

PDEVICE_OBJECT SrvGetWireDevice(void)
{
    IOP_DRIVER_IMAGE *Image = KiMachine && KiMachine->Io ? IopFindImageByService("smbsrv") : NULL;
    return Image && Image->DriverObject ? Image->DriverObject->DeviceObject : NULL;
}

ULONG SrvOutstandingRequests(PDEVICE_OBJECT Wire)
{
    SRV_WIRE_EXTENSION *X = SrvpWire(Wire);
    return X ? X->InFlightCount : 0;
}

/* The server answers: the reply goes into the IRP's reply buffer, then the IRP completes. */
static void SrvpDeliver(PDEVICE_OBJECT Wire, PIRP Irp)
{
    SRV_WIRE_EXTENSION *X = SrvpWire(Wire);
    PIO_STACK_LOCATION Sp = IoGetCurrentIrpStackLocation(Irp);
    const UCHAR *Request = MmGetSystemAddressForMdlSafe(Irp->MdlAddress, NormalPagePriority);
    NTSTATUS Transport = STATUS_INVALID_NETWORK_RESPONSE;
    ULONG Length = 0;
    KI_FRAME_SCOPE("smbsrv", "SrvProcessRequest", 0x120); /* estimate */
    if (X != NULL && X->State != NULL && Request != NULL && Irp->UserBuffer != NULL)
        Length = SrvpProcess(X->State, Request, Sp->Parameters.DeviceIoControl.InputBufferLength, Irp->UserBuffer,
                             Sp->Parameters.DeviceIoControl.OutputBufferLength, &Transport);
    if (X != NULL)
        X->Delivered++;
    Irp->IoStatus.Status = Length != 0 ? STATUS_SUCCESS : Transport;
    Irp->IoStatus.Information = Length;
    IoCompleteRequest(Irp, IO_NETWORK_INCREMENT);
}

/* PASSIVE_LEVEL, a system worker thread: the reply has arrived. */
static VOID SrvpWireWorker(PVOID Context)
{
    SRV_PACKET *P = Context;
    SRV_WIRE_EXTENSION *X = SrvpWire(P->Wire);
    /* A boundary: what the server side allocates is the system's, not the
     * caller of the worker's. */
    KI_BOUNDARY_FRAME_SCOPE("smbsrv", "SrvWireReceive", 0x50); /* estimate */
    RemoveEntryList(&P->Links);
    if (X != NULL)
        X->InFlightCount--;
    SrvpDeliver(P->Wire, P->Irp);
    ExFreePoolWithTag(P, SRV_TAG_PACKET);
}

/* DISPATCH_LEVEL: the latency has elapsed; the server runs at PASSIVE_LEVEL. */
static VOID SrvpWireDpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2)
{
    SRV_PACKET *P = Context;
    KI_BOUNDARY_FRAME_SCOPE("smbsrv", "SrvWireTimerDpc", 0x40); /* estimate */
    UNREFERENCED_PARAMETER(Dpc);
    UNREFERENCED_PARAMETER(Argument1);
    UNREFERENCED_PARAMETER(Argument2);
    ExInitializeWorkItem(&P->WorkItem, SrvpWireWorker, P);
    ExQueueWorkItem(&P->WorkItem, DelayedWorkQueue);
}

static NTSTATUS SrvpWireComplete(PIRP Irp, NTSTATUS Status)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

/* IRP_MJ_INTERNAL_DEVICE_CONTROL, IOCTL_SMBSRV_TRANSCEIVE: see smbsrv.h. */
static NTSTATUS SrvWireTransceive(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Sp = IoGetCurrentIrpStackLocation(Irp);
    SRV_WIRE_EXTENSION *X = SrvpWire(DeviceObject);
    const UCHAR *Request;
    ULONGLONG LatencyNs;
    KI_BOUNDARY_FRAME_SCOPE("smbsrv", "SrvWireTransceive", 0x60); /* estimate */
    if (X == NULL || X->State == NULL || Sp->Parameters.DeviceIoControl.IoControlCode != IOCTL_SMBSRV_TRANSCEIVE)
        return SrvpWireComplete(Irp, STATUS_INVALID_DEVICE_REQUEST);
    if (Irp->MdlAddress == NULL || Irp->UserBuffer == NULL)
        return SrvpWireComplete(Irp, STATUS_INVALID_PARAMETER);
    Request = MmGetSystemAddressForMdlSafe(Irp->MdlAddress, NormalPagePriority);
    if (Request == NULL)
        return SrvpWireComplete(Irp, STATUS_INSUFFICIENT_RESOURCES);
    if (!SrvpRequestLatency(X->State, Request, Sp->Parameters.DeviceIoControl.InputBufferLength, &LatencyNs))
        return SrvpWireComplete(Irp, STATUS_BAD_NETWORK_PATH); /* nobody at that address */
    if (LatencyNs == 0) {
        SrvpDeliver(DeviceObject, Irp);
        return STATUS_SUCCESS;
    }
    SRV_PACKET *P = ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(SRV_PACKET), SRV_TAG_PACKET);
    if (P == NULL)
        return SrvpWireComplete(Irp, STATUS_INSUFFICIENT_RESOURCES);
    RtlZeroMemory(P, sizeof(*P));
    P->Irp = Irp;
    P->Wire = DeviceObject;
    IoMarkIrpPending(Irp);
    InsertTailList(&X->InFlight, &P->Links);
    X->InFlightCount++;
    KeInitializeTimer(&P->Timer);
    KeInitializeDpc(&P->Dpc, SrvpWireDpc, P);
    {
        LARGE_INTEGER Due;
        LONGLONG Ticks = (LONGLONG)((LatencyNs + 99) / 100);
        Due.QuadPart = -(Ticks > 0 ? Ticks : 1);
        KeSetTimer(&P->Timer, Due, &P->Dpc);
    }
    return STATUS_PENDING;
}

static NTSTATUS SrvWireCreateClose(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    return SrvpWireComplete(Irp, STATUS_SUCCESS);
}

static NTSTATUS SrvWireInvalid(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    return SrvpWireComplete(Irp, STATUS_INVALID_DEVICE_REQUEST);
}

NTSTATUS SrvDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(L"\\Device\\SmbSrv");
    PDEVICE_OBJECT Device;
    NTSTATUS Status;
    UNREFERENCED_PARAMETER(RegistryPath);
    for (ULONG I = 0; I <= IRP_MJ_MAXIMUM_FUNCTION; I++)
        DriverObject->MajorFunction[I] = SrvWireInvalid;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = SrvWireCreateClose;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = SrvWireCreateClose;
    DriverObject->MajorFunction[IRP_MJ_INTERNAL_DEVICE_CONTROL] = SrvWireTransceive;
    Status = IoCreateDevice(DriverObject, sizeof(SRV_WIRE_EXTENSION), &Name, FILE_DEVICE_NETWORK, 0, FALSE, &Device);
    if (!NT_SUCCESS(Status))
        return Status;
    SRV_WIRE_EXTENSION *X = Device->DeviceExtension;
    RtlZeroMemory(X, sizeof(*X));
    X->NodeTypeCode = SRV_NTC_WIRE;
    X->NodeByteSize = (CSHORT)sizeof(*X);
    X->State = SrvpCreateState();
    InitializeListHead(&X->InFlight);
    Device->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}

void SrvDestroy(PDEVICE_OBJECT Wire)
{
    SRV_WIRE_EXTENSION *X = SrvpWire(Wire);
    if (X == NULL)
        return;
    SrvpDestroyState(X->State);
    X->State = NULL;
}
