/*
 * csc.c - csc: the client-side caching (Offline Files) surrogate,
 * \FileSystem\Csc.  It registers with RDBSS as the surrogate whose routines
 * RDBSS calls instead of the mini-redirector's for shares the server marks
 * for client-side caching (NETROOT_FLAG_CSC); each routine passes the call
 * through to the mini-redirector unchanged (no offline store is kept), so
 * such a share's requests carry CSC's frames (CscRead ...) on the stack, as
 * on Windows.
 *
 * Frame sizes: CscRead 0x150 (measured, frames-win10-19041-x64.tsv); the
 * others are estimates of the same size.
 */
#include <fsim_kernel.h>
#include "../rdbss/rdbss.h"

#define CSC_FRAME(Function) KI_FRAME_SCOPE("csc", Function, 0x150)

NTSTATUS CscDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);

static VOID CscCount(void)
{
    if (RxStatistics() != NULL)
        RxStatistics()->CscPassThrough++;
}

static NTSTATUS CscPassThrough(PRX_CONTEXT RxContext, PMRX_CALLDOWN Routine)
{
    CscCount();
    return Routine != NULL ? Routine(RxContext) : STATUS_NOT_IMPLEMENTED;
}

static NTSTATUS CscCreateVNetRoot(PRX_CONTEXT RxContext)
{
    CSC_FRAME("CscCreateVNetRoot");
    return CscPassThrough(RxContext, RxGetMiniRdrDispatch(RxContext)->MRxCreateVNetRoot);
}

static NTSTATUS CscCreate(PRX_CONTEXT RxContext)
{
    CSC_FRAME("CscCreate");
    return CscPassThrough(RxContext, RxGetMiniRdrDispatch(RxContext)->MRxCreate);
}

static NTSTATUS CscCloseSrvOpen(PRX_CONTEXT RxContext, PSRV_OPEN SrvOpen)
{
    CSC_FRAME("CscCloseSrvOpen");
    CscCount();
    return RxGetMiniRdrDispatch(RxContext)->MRxCloseSrvOpen(RxContext, SrvOpen);
}

static NTSTATUS CscRead(PRX_CONTEXT RxContext)
{
    CSC_FRAME("CscRead");
    return CscPassThrough(RxContext, RxGetMiniRdrDispatch(RxContext)->MRxLowIOSubmit[LOWIO_OP_READ]);
}

static NTSTATUS CscWrite(PRX_CONTEXT RxContext)
{
    CSC_FRAME("CscWrite");
    return CscPassThrough(RxContext, RxGetMiniRdrDispatch(RxContext)->MRxLowIOSubmit[LOWIO_OP_WRITE]);
}

static NTSTATUS CscQueryFileInfo(PRX_CONTEXT RxContext)
{
    CSC_FRAME("CscQueryFileInfo");
    return CscPassThrough(RxContext, RxGetMiniRdrDispatch(RxContext)->MRxQueryFileInfo);
}

static NTSTATUS CscSetFileInfo(PRX_CONTEXT RxContext)
{
    CSC_FRAME("CscSetFileInfo");
    return CscPassThrough(RxContext, RxGetMiniRdrDispatch(RxContext)->MRxSetFileInfo);
}

static NTSTATUS CscQuerySecurityInfo(PRX_CONTEXT RxContext)
{
    CSC_FRAME("CscQuerySecurityInfo");
    return CscPassThrough(RxContext, RxGetMiniRdrDispatch(RxContext)->MRxQuerySdInfo);
}

static NTSTATUS CscQueryDirectory(PRX_CONTEXT RxContext)
{
    CSC_FRAME("CscQueryDirectory");
    return CscPassThrough(RxContext, RxGetMiniRdrDispatch(RxContext)->MRxQueryDirectory);
}

static NTSTATUS CscDispatchInvalid(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    Irp->IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
    Irp->IoStatus.Information = 0;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return STATUS_INVALID_DEVICE_REQUEST;
}

NTSTATUS CscDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    PDEVICE_OBJECT Device;
    NTSTATUS Status;
    UNREFERENCED_PARAMETER(RegistryPath);
    for (ULONG I = 0; I <= IRP_MJ_MAXIMUM_FUNCTION; I++)
        DriverObject->MajorFunction[I] = CscDispatchInvalid;
    /* The surrogate's table lives in its (unnamed) device's extension. */
    Status = IoCreateDevice(DriverObject, sizeof(MINIRDR_DISPATCH), NULL, FILE_DEVICE_NETWORK_FILE_SYSTEM, 0, FALSE,
                            &Device);
    if (!NT_SUCCESS(Status))
        return Status;
    PMINIRDR_DISPATCH D = Device->DeviceExtension;
    RtlZeroMemory(D, sizeof(*D));
    D->NodeTypeCode = RDBSS_NTC_MINIRDR_DISPATCH;
    D->NodeByteSize = (CSHORT)sizeof(*D);
    D->Name = "csc";
    D->MRxCreateVNetRoot = CscCreateVNetRoot;
    D->MRxCreate = CscCreate;
    D->MRxCloseSrvOpen = CscCloseSrvOpen;
    D->MRxLowIOSubmit[LOWIO_OP_READ] = CscRead;
    D->MRxLowIOSubmit[LOWIO_OP_WRITE] = CscWrite;
    D->MRxQueryFileInfo = CscQueryFileInfo;
    D->MRxSetFileInfo = CscSetFileInfo;
    D->MRxQuerySdInfo = CscQuerySecurityInfo;
    D->MRxQueryDirectory = CscQueryDirectory;
    Device->Flags &= ~DO_DEVICE_INITIALIZING;
    return RxRegisterCscSurrogate(D);
}
