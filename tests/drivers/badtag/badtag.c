/*
 * badtag.c - fltsim test driver: frees pool with the wrong tag.
 *
 * Exists to provoke bug check 0xC2 BAD_POOL_CALLER with Arg1 = 0x0A (pool
 * freed with a tag other than the one it was allocated with).  On the first
 * IRP_MJ_CREATE it sees, its pre-create callback allocates 64 bytes with
 * ExAllocatePoolWithTag(NonPagedPoolNx, 64, 'gaTB') and frees them with
 * ExFreePoolWithTag(p, 'gaTX'); the report must name that free and the
 * allocating line.
 */

#include <fltKernel.h>

#define BT_ALLOC_TAG 'gaTB'
#define BT_WRONG_TAG 'gaTX'

DRIVER_INITIALIZE DriverEntry;

static PFLT_FILTER gFilter;
static LONG gFired;

static NTSTATUS
BtUnload(
    _In_ FLT_FILTER_UNLOAD_FLAGS Flags
    )
{
    UNREFERENCED_PARAMETER(Flags);
    PAGED_CODE();

    FltUnregisterFilter(gFilter);
    return STATUS_SUCCESS;
}

static FLT_PREOP_CALLBACK_STATUS
BtPreCreate(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    )
{
    PVOID buffer;

    UNREFERENCED_PARAMETER(Data);
    UNREFERENCED_PARAMETER(FltObjects);
    *CompletionContext = NULL;

    if (InterlockedCompareExchange(&gFired, 1, 0) != 0) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }

    buffer = ExAllocatePoolWithTag(NonPagedPoolNx, 64, BT_ALLOC_TAG);
    if (buffer != NULL) {
        RtlZeroMemory(buffer, 64);
        ExFreePoolWithTag(buffer, BT_WRONG_TAG); /* BUG: tag mismatch -> 0xC2/0x0A */
    }

    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}

static const FLT_OPERATION_REGISTRATION Callbacks[] = {
    { IRP_MJ_CREATE, 0, BtPreCreate, NULL, NULL },
    { IRP_MJ_OPERATION_END, 0, NULL, NULL, NULL }
};

static const FLT_REGISTRATION Registration = {
    sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0,
    NULL, Callbacks, BtUnload,
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
