/*
 * smb_init.c - mrxsmb: the SMB mini-redirector's driver entry
 * (\FileSystem\mrxsmb): registration with RDBSS (RxRegisterMinirdr keeps
 * mrxsmb's own dispatch routine, MRxSmbFsdDispatch, which hands every IRP
 * to RxFsdDispatch, as mrxsmb.sys does) and with MUP as the UNC provider
 * "\Device\LanmanRedirector" (RxStartMinirdr).
 */
#include "mrxsmb.h"

PDEVICE_OBJECT MRxSmbGetDeviceObject(void)
{
    IOP_DRIVER_IMAGE *Image = IopFindImageByService("mrxsmb");
    return Image && Image->DriverObject ? Image->DriverObject->DeviceObject : NULL;
}

PMRXSMB_DEVICE MRxSmbGetDevice(PRX_CONTEXT RxContext)
{
    return RxContext->RxDevice ? (PMRXSMB_DEVICE)RxContext->RxDevice->MiniRdrExtension : NULL;
}

NTSTATUS MRxSmbFsdDispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    KI_BOUNDARY_FRAME_SCOPE("mrxsmb", "MRxSmbFsdDispatch", 0x40);
    return RxFsdDispatch(DeviceObject, Irp);
}

NTSTATUS MRxSmbDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(L"\\Device\\LanmanRedirector");
    PDEVICE_OBJECT Device;
    NTSTATUS Status;
    UNREFERENCED_PARAMETER(RegistryPath);
    PAGED_CODE();
    Status = RxRegisterMinirdr(&Device, DriverObject, &MRxSmbDispatch, RX_REGISTERMINI_FLAG_DONT_INIT_DRIVER_DISPATCH,
                               &Name, sizeof(MRXSMB_DEVICE), FILE_DEVICE_NETWORK_FILE_SYSTEM, 0);
    if (!NT_SUCCESS(Status))
        return Status;
    for (ULONG I = 0; I <= IRP_MJ_MAXIMUM_FUNCTION; I++)
        DriverObject->MajorFunction[I] = MRxSmbFsdDispatch;
    PMRXSMB_DEVICE X = RxGetDevice(Device)->MiniRdrExtension;
    X->Wire = SrvGetWireDevice();
    X->NextMessageId = 1;
    InitializeListHead(&X->Exchanges);
    if (X->Wire == NULL)
        return STATUS_DEVICE_NOT_CONNECTED;
    return RxStartMinirdr(Device);
}
