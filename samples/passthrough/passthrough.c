/*
 * passthrough.c - fltsim sample minifilter: watches every operation and
 * changes nothing.
 *
 * Registers a pre- and a post-operation callback for every IRP major function
 * (IRP_MJ_CREATE .. IRP_MJ_PNP) and every FltMgr pseudo-operation, plus the
 * instance setup/teardown callbacks and FilterUnload, and logs each call with
 * DbgPrint as
 *
 *     PT[370030] pre  IRP_MJ_CREATE
 *     PT[370030] post IRP_MJ_CREATE status=0x00000000
 *
 * where 370030 is the altitude of the instance that saw the operation.  The
 * altitude is read once in InstanceSetup (FltGetInstanceInformation) and kept
 * in an instance context; a pre-operation callback hands its reference to the
 * post-operation callback as the completion context, so nothing is looked up
 * at DISPATCH_LEVEL.
 *
 * A DWORD "DebugFlags" under the service's Parameters key selects what is
 * logged (PTDBG_* below; default: everything).
 *
 * Written as an ordinary WDK minifilter: it builds unchanged with the WDK.
 */

#include <fltKernel.h>
#include <dontuse.h>
#include <suppress.h>

/* ------------------------------------------------------------------------ */
/* Globals                                                                  */
/* ------------------------------------------------------------------------ */

#define PTDBG_TRACE_ROUTINES 0x00000001   /* DriverEntry, instance callbacks, unload */
#define PTDBG_TRACE_OPERATIONS 0x00000002 /* every pre/post callback */

#define PT_CONTEXT_TAG 'xCtP'
#define PT_REGISTRY_TAG 'gRtP'

#define PT_MAX_ALTITUDE_CHARS 32

static PFLT_FILTER gFilterHandle = NULL;
static ULONG gTraceFlags = PTDBG_TRACE_ROUTINES | PTDBG_TRACE_OPERATIONS;

#define PT_DBG_PRINT(_level, _args)          \
    do {                                     \
        if (FlagOn(gTraceFlags, (_level))) { \
            DbgPrint _args;                  \
        }                                    \
    } while (0)

/* Per-instance state: the instance's altitude as text. */
typedef struct _PT_INSTANCE_CONTEXT {
    UNICODE_STRING Altitude;
    WCHAR AltitudeBuffer[PT_MAX_ALTITUDE_CHARS];
} PT_INSTANCE_CONTEXT, *PPT_INSTANCE_CONTEXT;

static UNICODE_STRING gUnknownAltitude = RTL_CONSTANT_STRING(L"?");

/* ------------------------------------------------------------------------ */
/* Prototypes                                                               */
/* ------------------------------------------------------------------------ */

DRIVER_INITIALIZE DriverEntry;

static NTSTATUS
PtReadDebugFlags(
    _In_ PUNICODE_STRING RegistryPath
    );

static NTSTATUS
PtUnload(
    _In_ FLT_FILTER_UNLOAD_FLAGS Flags
    );

static NTSTATUS
PtInstanceSetup(
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ FLT_INSTANCE_SETUP_FLAGS Flags,
    _In_ DEVICE_TYPE VolumeDeviceType,
    _In_ FLT_FILESYSTEM_TYPE VolumeFilesystemType
    );

static NTSTATUS
PtInstanceQueryTeardown(
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ FLT_INSTANCE_QUERY_TEARDOWN_FLAGS Flags
    );

static VOID
PtInstanceTeardownStart(
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ FLT_INSTANCE_TEARDOWN_FLAGS Flags
    );

static VOID
PtInstanceTeardownComplete(
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ FLT_INSTANCE_TEARDOWN_FLAGS Flags
    );

static VOID
PtInstanceContextCleanup(
    _In_ PFLT_CONTEXT Context,
    _In_ FLT_CONTEXT_TYPE ContextType
    );

static FLT_PREOP_CALLBACK_STATUS
PtPreOperation(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    );

static FLT_POSTOP_CALLBACK_STATUS
PtPostOperation(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_opt_ PVOID CompletionContext,
    _In_ FLT_POST_OPERATION_FLAGS Flags
    );

static FLT_PREOP_CALLBACK_STATUS
PtPreOperationNoPostOperation(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    );

#ifdef ALLOC_PRAGMA
#pragma alloc_text(INIT, DriverEntry)
#pragma alloc_text(INIT, PtReadDebugFlags)
#pragma alloc_text(PAGE, PtUnload)
#pragma alloc_text(PAGE, PtInstanceSetup)
#pragma alloc_text(PAGE, PtInstanceQueryTeardown)
#pragma alloc_text(PAGE, PtInstanceTeardownStart)
#pragma alloc_text(PAGE, PtInstanceTeardownComplete)
#endif

/* ------------------------------------------------------------------------ */
/* Registration                                                             */
/* ------------------------------------------------------------------------ */

static const FLT_OPERATION_REGISTRATION Callbacks[] = {
    { IRP_MJ_CREATE, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_CREATE_NAMED_PIPE, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_CLOSE, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_READ, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_WRITE, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_QUERY_INFORMATION, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_SET_INFORMATION, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_QUERY_EA, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_SET_EA, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_FLUSH_BUFFERS, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_QUERY_VOLUME_INFORMATION, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_SET_VOLUME_INFORMATION, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_DIRECTORY_CONTROL, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_FILE_SYSTEM_CONTROL, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_DEVICE_CONTROL, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_INTERNAL_DEVICE_CONTROL, 0, PtPreOperation, PtPostOperation, NULL },
    /* FltMgr never calls a post-operation callback for shutdown. */
    { IRP_MJ_SHUTDOWN, 0, PtPreOperationNoPostOperation, NULL, NULL },
    { IRP_MJ_LOCK_CONTROL, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_CLEANUP, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_CREATE_MAILSLOT, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_QUERY_SECURITY, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_SET_SECURITY, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_POWER, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_SYSTEM_CONTROL, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_DEVICE_CHANGE, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_QUERY_QUOTA, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_SET_QUOTA, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_PNP, 0, PtPreOperation, PtPostOperation, NULL },

    { IRP_MJ_ACQUIRE_FOR_SECTION_SYNCHRONIZATION, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_RELEASE_FOR_SECTION_SYNCHRONIZATION, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_ACQUIRE_FOR_MOD_WRITE, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_RELEASE_FOR_MOD_WRITE, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_ACQUIRE_FOR_CC_FLUSH, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_RELEASE_FOR_CC_FLUSH, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_QUERY_OPEN, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_FAST_IO_CHECK_IF_POSSIBLE, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_NETWORK_QUERY_OPEN, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_MDL_READ, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_MDL_READ_COMPLETE, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_PREPARE_MDL_WRITE, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_MDL_WRITE_COMPLETE, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_VOLUME_MOUNT, 0, PtPreOperation, PtPostOperation, NULL },
    { IRP_MJ_VOLUME_DISMOUNT, 0, PtPreOperation, PtPostOperation, NULL },

    { IRP_MJ_OPERATION_END, 0, NULL, NULL, NULL }
};

static const FLT_CONTEXT_REGISTRATION Contexts[] = {
    { FLT_INSTANCE_CONTEXT, 0, PtInstanceContextCleanup, sizeof(PT_INSTANCE_CONTEXT), PT_CONTEXT_TAG, NULL, NULL, NULL },
    { FLT_CONTEXT_END, 0, NULL, 0, 0, NULL, NULL, NULL }
};

static const FLT_REGISTRATION FilterRegistration = {
    sizeof(FLT_REGISTRATION),     /* Size */
    FLT_REGISTRATION_VERSION,     /* Version */
    0,                            /* Flags */
    Contexts,                     /* Context */
    Callbacks,                    /* Operation callbacks */
    PtUnload,                     /* FilterUnload */
    PtInstanceSetup,              /* InstanceSetup */
    PtInstanceQueryTeardown,      /* InstanceQueryTeardown */
    PtInstanceTeardownStart,      /* InstanceTeardownStart */
    PtInstanceTeardownComplete,   /* InstanceTeardownComplete */
    NULL,                         /* GenerateFileName */
    NULL,                         /* NormalizeNameComponent */
    NULL,                         /* NormalizeContextCleanup */
    NULL,                         /* TransactionNotification */
    NULL,                         /* NormalizeNameComponentEx */
    NULL                          /* SectionNotification */
};

/* ------------------------------------------------------------------------ */
/* Load and unload                                                          */
/* ------------------------------------------------------------------------ */

NTSTATUS
DriverEntry(
    _In_ PDRIVER_OBJECT DriverObject,
    _In_ PUNICODE_STRING RegistryPath
    )
{
    NTSTATUS status;

    ExInitializeDriverRuntime(DrvRtPoolNxOptIn);

    /* A missing Parameters key or value keeps the default flags. */
    (VOID)PtReadDebugFlags(RegistryPath);

    PT_DBG_PRINT(PTDBG_TRACE_ROUTINES,
                 ("PT DriverEntry DebugFlags=0x%08x\n", gTraceFlags));

    status = FltRegisterFilter(DriverObject, &FilterRegistration, &gFilterHandle);
    FLT_ASSERT(NT_SUCCESS(status) || gFilterHandle == NULL);

    if (NT_SUCCESS(status)) {
        status = FltStartFiltering(gFilterHandle);
        if (!NT_SUCCESS(status)) {
            FltUnregisterFilter(gFilterHandle);
            gFilterHandle = NULL;
        }
    }

    return status;
}

/*
 * Reads HKLM\...\Services\<driver>\Parameters\DebugFlags (REG_DWORD) into
 * gTraceFlags.
 */
static NTSTATUS
PtReadDebugFlags(
    _In_ PUNICODE_STRING RegistryPath
    )
{
    static const WCHAR parametersSuffix[] = L"\\Parameters";
    UNICODE_STRING keyPath;
    UNICODE_STRING valueName = RTL_CONSTANT_STRING(L"DebugFlags");
    OBJECT_ATTRIBUTES attributes;
    HANDLE key = NULL;
    ULONG resultLength = 0;
    ULONG flags;
    NTSTATUS status;
    union {
        KEY_VALUE_PARTIAL_INFORMATION Info;
        UCHAR Bytes[sizeof(KEY_VALUE_PARTIAL_INFORMATION) + sizeof(ULONG)];
    } value;

    PAGED_CODE();

    keyPath.Length = 0;
    keyPath.MaximumLength = (USHORT)(RegistryPath->Length + sizeof(parametersSuffix));
    keyPath.Buffer = ExAllocatePoolZero(PagedPool, keyPath.MaximumLength, PT_REGISTRY_TAG);
    if (keyPath.Buffer == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }

    RtlCopyUnicodeString(&keyPath, RegistryPath);
    status = RtlAppendUnicodeToString(&keyPath, parametersSuffix);
    if (!NT_SUCCESS(status)) {
        goto Cleanup;
    }

    InitializeObjectAttributes(&attributes,
                               &keyPath,
                               OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE,
                               NULL,
                               NULL);

    status = ZwOpenKey(&key, KEY_READ, &attributes);
    if (!NT_SUCCESS(status)) {
        goto Cleanup;
    }

    RtlZeroMemory(&value, sizeof(value));
    status = ZwQueryValueKey(key,
                             &valueName,
                             KeyValuePartialInformation,
                             &value,
                             sizeof(value),
                             &resultLength);
    if (!NT_SUCCESS(status)) {
        goto Cleanup;
    }

    if (value.Info.Type != REG_DWORD || value.Info.DataLength != sizeof(ULONG)) {
        status = STATUS_INVALID_PARAMETER;
        goto Cleanup;
    }

    RtlCopyMemory(&flags, value.Info.Data, sizeof(flags));
    gTraceFlags = flags;

Cleanup:
    if (key != NULL) {
        ZwClose(key);
    }
    ExFreePoolWithTag(keyPath.Buffer, PT_REGISTRY_TAG);
    return status;
}

static NTSTATUS
PtUnload(
    _In_ FLT_FILTER_UNLOAD_FLAGS Flags
    )
{
    PAGED_CODE();

    PT_DBG_PRINT(PTDBG_TRACE_ROUTINES, ("PT FilterUnload flags=0x%08x\n", Flags));

    FltUnregisterFilter(gFilterHandle);
    gFilterHandle = NULL;

    return STATUS_SUCCESS;
}

/* ------------------------------------------------------------------------ */
/* Instances                                                                */
/* ------------------------------------------------------------------------ */

/* Fills Context->Altitude from FltGetInstanceInformation, or "?" on failure. */
static VOID
PtCaptureAltitude(
    _In_ PFLT_INSTANCE Instance,
    _Inout_ PPT_INSTANCE_CONTEXT Context
    )
{
    /* ULONGLONG storage: the information must be 8-byte aligned. */
    ULONGLONG buffer[32];
    PINSTANCE_PARTIAL_INFORMATION info = (PINSTANCE_PARTIAL_INFORMATION)buffer;
    ULONG returned = 0;
    USHORT length;
    NTSTATUS status;

    Context->Altitude.Buffer = Context->AltitudeBuffer;
    Context->Altitude.Length = 0;
    Context->Altitude.MaximumLength = sizeof(Context->AltitudeBuffer);

    status = FltGetInstanceInformation(Instance,
                                       InstancePartialInformation,
                                       buffer,
                                       sizeof(buffer),
                                       &returned);
    if (!NT_SUCCESS(status) ||
        (ULONG)info->AltitudeBufferOffset + info->AltitudeLength > returned) {
        RtlCopyUnicodeString(&Context->Altitude, &gUnknownAltitude);
        return;
    }

    length = info->AltitudeLength;
    if (length > Context->Altitude.MaximumLength) {
        length = Context->Altitude.MaximumLength;
    }
    RtlCopyMemory(Context->AltitudeBuffer, Add2Ptr(info, info->AltitudeBufferOffset), length);
    Context->Altitude.Length = length;
}

static NTSTATUS
PtInstanceSetup(
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ FLT_INSTANCE_SETUP_FLAGS Flags,
    _In_ DEVICE_TYPE VolumeDeviceType,
    _In_ FLT_FILESYSTEM_TYPE VolumeFilesystemType
    )
{
    PPT_INSTANCE_CONTEXT context = NULL;
    NTSTATUS status;

    PAGED_CODE();

    status = FltAllocateContext(FltObjects->Filter,
                                FLT_INSTANCE_CONTEXT,
                                sizeof(PT_INSTANCE_CONTEXT),
                                NonPagedPoolNx,
                                (PFLT_CONTEXT *)&context);
    if (!NT_SUCCESS(status)) {
        /* Attach anyway; callbacks print "?" for the altitude. */
        PT_DBG_PRINT(PTDBG_TRACE_ROUTINES,
                     ("PT[?] InstanceSetup: FltAllocateContext failed 0x%08x\n", (ULONG)status));
        return STATUS_SUCCESS;
    }

    RtlZeroMemory(context, sizeof(*context));
    PtCaptureAltitude(FltObjects->Instance, context);

    status = FltSetInstanceContext(FltObjects->Instance,
                                   FLT_SET_CONTEXT_KEEP_IF_EXISTS,
                                   context,
                                   NULL);

    PT_DBG_PRINT(PTDBG_TRACE_ROUTINES,
                 ("PT[%wZ] InstanceSetup flags=0x%08x devtype=0x%08x fstype=%d\n",
                  &context->Altitude,
                  Flags,
                  (ULONG)VolumeDeviceType,
                  (int)VolumeFilesystemType));

    /* The instance holds its own reference on success; drop ours either way. */
    FltReleaseContext(context);

    if (!NT_SUCCESS(status)) {
        PT_DBG_PRINT(PTDBG_TRACE_ROUTINES,
                     ("PT InstanceSetup: FltSetInstanceContext failed 0x%08x\n", (ULONG)status));
    }

    return STATUS_SUCCESS;
}

/* Logs an instance event with the instance's altitude. */
static VOID
PtLogInstanceEvent(
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ PCSTR Event,
    _In_ ULONG Flags
    )
{
    PPT_INSTANCE_CONTEXT context = NULL;
    NTSTATUS status;

    if (!FlagOn(gTraceFlags, PTDBG_TRACE_ROUTINES)) {
        return;
    }

    status = FltGetInstanceContext(FltObjects->Instance, (PFLT_CONTEXT *)&context);
    DbgPrint("PT[%wZ] %s flags=0x%08x\n",
             NT_SUCCESS(status) ? &context->Altitude : &gUnknownAltitude,
             Event,
             Flags);
    if (NT_SUCCESS(status)) {
        FltReleaseContext(context);
    }
}

static NTSTATUS
PtInstanceQueryTeardown(
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ FLT_INSTANCE_QUERY_TEARDOWN_FLAGS Flags
    )
{
    PAGED_CODE();

    PtLogInstanceEvent(FltObjects, "InstanceQueryTeardown", Flags);
    return STATUS_SUCCESS;
}

static VOID
PtInstanceTeardownStart(
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ FLT_INSTANCE_TEARDOWN_FLAGS Flags
    )
{
    PAGED_CODE();

    PtLogInstanceEvent(FltObjects, "InstanceTeardownStart", Flags);
}

static VOID
PtInstanceTeardownComplete(
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ FLT_INSTANCE_TEARDOWN_FLAGS Flags
    )
{
    PAGED_CODE();

    PtLogInstanceEvent(FltObjects, "InstanceTeardownComplete", Flags);
}

static VOID
PtInstanceContextCleanup(
    _In_ PFLT_CONTEXT Context,
    _In_ FLT_CONTEXT_TYPE ContextType
    )
{
    PPT_INSTANCE_CONTEXT context = Context;

    FLT_ASSERT(ContextType == FLT_INSTANCE_CONTEXT);
    UNREFERENCED_PARAMETER(ContextType);

    /* The altitude lives inside the context: nothing else to free. */
    PT_DBG_PRINT(PTDBG_TRACE_ROUTINES, ("PT[%wZ] InstanceContextCleanup\n", &context->Altitude));
}

/* ------------------------------------------------------------------------ */
/* Operation callbacks                                                      */
/* ------------------------------------------------------------------------ */

/*
 * Logs the operation and passes it down.  The instance context reference
 * taken here travels to PtPostOperation as the completion context, which
 * releases it (FltReleaseContext is callable at DISPATCH_LEVEL for a
 * non-paged context).
 */
static FLT_PREOP_CALLBACK_STATUS
PtPreOperation(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    )
{
    PPT_INSTANCE_CONTEXT context = NULL;
    NTSTATUS status;

    *CompletionContext = NULL;

    if (!FlagOn(gTraceFlags, PTDBG_TRACE_OPERATIONS)) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }

    status = FltGetInstanceContext(FltObjects->Instance, (PFLT_CONTEXT *)&context);
    if (!NT_SUCCESS(status)) {
        context = NULL;
    }

    if (Data->Iopb->MajorFunction == IRP_MJ_ACQUIRE_FOR_SECTION_SYNCHRONIZATION) {
        /* An FsFilter operation: which section is being created. */
        DbgPrint("PT[%wZ] pre  %s SyncType=%d PageProtection=0x%x\n",
                 context != NULL ? &context->Altitude : &gUnknownAltitude,
                 FltGetIrpName(Data->Iopb->MajorFunction),
                 (int)Data->Iopb->Parameters.AcquireForSectionSynchronization.SyncType,
                 Data->Iopb->Parameters.AcquireForSectionSynchronization.PageProtection);
    } else {
        /* Paging I/O (a cache miss or a page fault) is marked. */
        DbgPrint("PT[%wZ] pre  %s%s\n",
                 context != NULL ? &context->Altitude : &gUnknownAltitude,
                 FltGetIrpName(Data->Iopb->MajorFunction),
                 FlagOn(Data->Iopb->IrpFlags, IRP_PAGING_IO) ? " paging" : "");
    }

    *CompletionContext = context;
    return FLT_PREOP_SUCCESS_WITH_CALLBACK;
}

static FLT_POSTOP_CALLBACK_STATUS
PtPostOperation(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_opt_ PVOID CompletionContext,
    _In_ FLT_POST_OPERATION_FLAGS Flags
    )
{
    PPT_INSTANCE_CONTEXT context = CompletionContext;

    UNREFERENCED_PARAMETER(FltObjects);

    /* Nothing is touched below except the context we own, so this is also
       what a draining post-operation (FLTFL_POST_OPERATION_DRAINING) needs. */
    DbgPrint("PT[%wZ] post %s status=0x%08x%s\n",
             context != NULL ? &context->Altitude : &gUnknownAltitude,
             FltGetIrpName(Data->Iopb->MajorFunction),
             (ULONG)Data->IoStatus.Status,
             FlagOn(Flags, FLTFL_POST_OPERATION_DRAINING) ? " draining" : "");

    if (context != NULL) {
        FltReleaseContext(context);
    }

    return FLT_POSTOP_FINISHED_PROCESSING;
}

static FLT_PREOP_CALLBACK_STATUS
PtPreOperationNoPostOperation(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    )
{
    PPT_INSTANCE_CONTEXT context = NULL;
    NTSTATUS status;

    *CompletionContext = NULL;

    if (FlagOn(gTraceFlags, PTDBG_TRACE_OPERATIONS)) {
        status = FltGetInstanceContext(FltObjects->Instance, (PFLT_CONTEXT *)&context);
        DbgPrint("PT[%wZ] pre  %s\n",
                 NT_SUCCESS(status) ? &context->Altitude : &gUnknownAltitude,
                 FltGetIrpName(Data->Iopb->MajorFunction));
        if (NT_SUCCESS(status)) {
            FltReleaseContext(context);
        }
    }

    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}
