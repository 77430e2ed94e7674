/*
 * dblcomplete.c - fltsim test driver: completes the same IRP twice.
 *
 * Exists to provoke bug check 0x44 MULTIPLE_IRP_COMPLETE_REQUESTS.  On the
 * first IRP_MJ_CREATE it sees, its pre-create callback allocates an IRP of
 * its own with IoAllocateIrp(1, FALSE) and calls IoCompleteRequest on it
 * twice.  The first completion is legal; the second must stop the machine
 * with 0x44 and Arg1 = the address of that IRP, and the report must name
 * the second IoCompleteRequest line below as the culprit.
 */

#include <fltKernel.h>

DRIVER_INITIALIZE DriverEntry;

static PFLT_FILTER gFilter;
static LONG gFired;

static NTSTATUS
DcUnload(
    _In_ FLT_FILTER_UNLOAD_FLAGS Flags
    )
{
    UNREFERENCED_PARAMETER(Flags);
    PAGED_CODE();

    FltUnregisterFilter(gFilter);
    return STATUS_SUCCESS;
}

static FLT_PREOP_CALLBACK_STATUS
DcPreCreate(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    )
{
    PIRP irp;

    UNREFERENCED_PARAMETER(Data);
    UNREFERENCED_PARAMETER(FltObjects);
    *CompletionContext = NULL;

    if (InterlockedCompareExchange(&gFired, 1, 0) != 0) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }

    irp = IoAllocateIrp(1, FALSE);
    if (irp == NULL) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }

    irp->IoStatus.Status = STATUS_SUCCESS;
    irp->IoStatus.Information = 0;

    IoCompleteRequest(irp, IO_NO_INCREMENT);
    IoCompleteRequest(irp, IO_NO_INCREMENT); /* BUG: second completion -> 0x44 */

    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}

static const FLT_OPERATION_REGISTRATION Callbacks[] = {
    { IRP_MJ_CREATE, 0, DcPreCreate, NULL, NULL },
    { IRP_MJ_OPERATION_END, 0, NULL, NULL, NULL }
};

static const FLT_REGISTRATION Registration = {
    sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0,
    NULL, Callbacks, DcUnload,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
};

NTSTATUS
DriverEntry(
    _In_ PDRIVER_OBJECT DriverObject,
    _In_ PUNICODE_STRING RegistryPath
    )
{
    NTSTATUS status;

    UNREFERENCED_PARAMETER(RegistryPath);

    status = FltRegisterFilter(DriverObject, &Registration, &gFilter);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    status = FltStartFiltering(gFilter);
    if (!NT_SUCCESS(status)) {
        FltUnregisterFilter(gFilter);
    }
    return status;
}
