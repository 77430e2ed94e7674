/*
 * ctx.c - fltsim sample minifilter "ctx": stream and stream-handle contexts.
 *
 * On every successful create the filter finds or attaches a stream context
 * (FltGetStreamContext, else FltAllocateContext + FltSetStreamContext with
 * FLT_SET_CONTEXT_KEEP_IF_EXISTS, handling the race where another open set
 * one first), counts the open, and attaches a stream-handle context that
 * holds the file's normalized name (FltGetFileNameInformation +
 * FltParseFileNameInformation).  Each stream keeps a table of its open
 * handles under an ERESOURCE.  Cleanup and close are logged with the
 * handle's name; the context cleanup callbacks free what the contexts own.
 *
 * Log lines (DbgPrint), e.g.:
 *
 *     ctx: open \Device\HarddiskVolume1\docs\a.txt handle 1 (opens 1, handles 1) final "a.txt" ext "txt"
 *     ctx: cleanup \Device\HarddiskVolume1\docs\a.txt handle 1 (opens 1, handles 1)
 *     ctx: close \Device\HarddiskVolume1\docs\a.txt handle 1
 *
 * Parameters\LogLevel (REG_DWORD) selects the detail: 0 none, 1 opens (the
 * default), 2 verbose.
 */

#include "ctx.h"

/* ------------------------------------------------------------------------ */
/* Globals and prototypes                                                   */
/* ------------------------------------------------------------------------ */

static PFLT_FILTER gFilter = NULL;
static ULONG gLogLevel = CTX_LOG_OPENS;

#define CTX_LOG(_level, _args)      \
    do {                            \
        if (gLogLevel >= (_level)) { \
            DbgPrint _args;         \
        }                           \
    } while (0)

DRIVER_INITIALIZE DriverEntry;

static NTSTATUS CtxReadParameters(_In_ PUNICODE_STRING RegistryPath);

static NTSTATUS CtxUnload(_In_ FLT_FILTER_UNLOAD_FLAGS Flags);

static NTSTATUS CtxInstanceSetup(
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ FLT_INSTANCE_SETUP_FLAGS Flags,
    _In_ DEVICE_TYPE VolumeDeviceType,
    _In_ FLT_FILESYSTEM_TYPE VolumeFilesystemType);

static NTSTATUS CtxInstanceQueryTeardown(
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ FLT_INSTANCE_QUERY_TEARDOWN_FLAGS Flags);

static VOID CtxStreamContextCleanup(
    _In_ PFLT_CONTEXT Context,
    _In_ FLT_CONTEXT_TYPE ContextType);

static VOID CtxStreamHandleContextCleanup(
    _In_ PFLT_CONTEXT Context,
    _In_ FLT_CONTEXT_TYPE ContextType);

static FLT_PREOP_CALLBACK_STATUS CtxPreCreate(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext);

static FLT_POSTOP_CALLBACK_STATUS CtxPostCreate(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_opt_ PVOID CompletionContext,
    _In_ FLT_POST_OPERATION_FLAGS Flags);

static FLT_PREOP_CALLBACK_STATUS CtxPreCleanup(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext);

static FLT_PREOP_CALLBACK_STATUS CtxPreClose(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext);

#ifdef ALLOC_PRAGMA
#pragma alloc_text(INIT, DriverEntry)
#pragma alloc_text(INIT, CtxReadParameters)
#pragma alloc_text(PAGE, CtxUnload)
#pragma alloc_text(PAGE, CtxInstanceSetup)
#pragma alloc_text(PAGE, CtxInstanceQueryTeardown)
#pragma alloc_text(PAGE, CtxStreamHandleContextCleanup)
#pragma alloc_text(PAGE, CtxPreCreate)
#pragma alloc_text(PAGE, CtxPostCreate)
#pragma alloc_text(PAGE, CtxPreCleanup)
#pragma alloc_text(PAGE, CtxPreClose)
#endif

/* ------------------------------------------------------------------------ */
/* Registration                                                             */
/* ------------------------------------------------------------------------ */

static const FLT_CONTEXT_REGISTRATION ContextRegistration[] = {
    { FLT_STREAM_CONTEXT, 0, CtxStreamContextCleanup,
      sizeof(CTX_STREAM_CONTEXT), CTX_STREAM_CONTEXT_TAG, NULL, NULL, NULL },
    { FLT_STREAMHANDLE_CONTEXT, 0, CtxStreamHandleContextCleanup,
      sizeof(CTX_STREAMHANDLE_CONTEXT), CTX_HANDLE_CONTEXT_TAG, NULL, NULL, NULL },
    { FLT_CONTEXT_END, 0, NULL, 0, 0, NULL, NULL, NULL }
};

static const FLT_OPERATION_REGISTRATION Callbacks[] = {
    { IRP_MJ_CREATE, 0, CtxPreCreate, CtxPostCreate, NULL },
    { IRP_MJ_CLEANUP, 0, CtxPreCleanup, NULL, NULL },
    { IRP_MJ_CLOSE, 0, CtxPreClose, NULL, NULL },
    { IRP_MJ_OPERATION_END, 0, NULL, NULL, NULL }
};

static const FLT_REGISTRATION FilterRegistration = {
    sizeof(FLT_REGISTRATION),
    FLT_REGISTRATION_VERSION,
    0,                          /* Flags */
    ContextRegistration,
    Callbacks,
    CtxUnload,
    CtxInstanceSetup,
    CtxInstanceQueryTeardown,
    NULL,                       /* InstanceTeardownStart */
    NULL,                       /* InstanceTeardownComplete */
    NULL,                       /* GenerateFileName */
    NULL,                       /* NormalizeNameComponent */
    NULL,                       /* NormalizeContextCleanup */
    NULL,                       /* TransactionNotification */
    NULL,                       /* NormalizeNameComponentEx */
    NULL                        /* SectionNotification */
};

/* ------------------------------------------------------------------------ */
/* Load, unload, instances                                                  */
/* ------------------------------------------------------------------------ */

NTSTATUS
DriverEntry(
    _In_ PDRIVER_OBJECT DriverObject,
    _In_ PUNICODE_STRING RegistryPath
    )
{
    NTSTATUS status;

    ExInitializeDriverRuntime(DrvRtPoolNxOptIn);

    (VOID)CtxReadParameters(RegistryPath);

    status = FltRegisterFilter(DriverObject, &FilterRegistration, &gFilter);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    status = FltStartFiltering(gFilter);
    if (!NT_SUCCESS(status)) {
        FltUnregisterFilter(gFilter);
        gFilter = NULL;
    }

    return status;
}

/* Reads Parameters\LogLevel (REG_DWORD); keeps the default when absent. */
static NTSTATUS
CtxReadParameters(
    _In_ PUNICODE_STRING RegistryPath
    )
{
    UNICODE_STRING keyPath;
    UNICODE_STRING valueName;
    OBJECT_ATTRIBUTES attributes;
    HANDLE key = NULL;
    ULONG resultLength = 0;
    ULONG level;
    NTSTATUS status;
    union {
        KEY_VALUE_PARTIAL_INFORMATION Info;
        UCHAR Bytes[sizeof(KEY_VALUE_PARTIAL_INFORMATION) + sizeof(ULONG)];
    } value;

    PAGED_CODE();

    RtlInitUnicodeString(&valueName, L"LogLevel");

    keyPath.Length = 0;
    keyPath.MaximumLength = (USHORT)(RegistryPath->Length + sizeof(L"\\Parameters"));
    keyPath.Buffer = ExAllocatePoolZero(PagedPool, keyPath.MaximumLength, CTX_REGISTRY_TAG);
    if (keyPath.Buffer == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }

    RtlCopyUnicodeString(&keyPath, RegistryPath);
    status = RtlAppendUnicodeToString(&keyPath, L"\\Parameters");

    if (NT_SUCCESS(status)) {
        InitializeObjectAttributes(&attributes,
                                   &keyPath,
                                   OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE,
                                   NULL,
                                   NULL);
        status = ZwOpenKey(&key, KEY_READ, &attributes);
    }

    if (NT_SUCCESS(status)) {
        RtlZeroMemory(&value, sizeof(value));
        status = ZwQueryValueKey(key,
                                 &valueName,
                                 KeyValuePartialInformation,
                                 &value,
                                 sizeof(value),
                                 &resultLength);
        ZwClose(key);
    }

    if (NT_SUCCESS(status)) {
        if (value.Info.Type == REG_DWORD && value.Info.DataLength == sizeof(ULONG)) {
            RtlCopyMemory(&level, value.Info.Data, sizeof(level));
            gLogLevel = level;
        } else {
            status = STATUS_INVALID_PARAMETER;
        }
    }

    ExFreePoolWithTag(keyPath.Buffer, CTX_REGISTRY_TAG);
    return status;
}

static NTSTATUS
CtxUnload(
    _In_ FLT_FILTER_UNLOAD_FLAGS Flags
    )
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(Flags);

    CTX_LOG(CTX_LOG_VERBOSE, ("ctx: unload\n"));

    /* Tears down every instance and deletes the contexts still attached. */
    FltUnregisterFilter(gFilter);
    gFilter = NULL;

    return STATUS_SUCCESS;
}

static NTSTATUS
CtxInstanceSetup(
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ FLT_INSTANCE_SETUP_FLAGS Flags,
    _In_ DEVICE_TYPE VolumeDeviceType,
    _In_ FLT_FILESYSTEM_TYPE VolumeFilesystemType
    )
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(FltObjects);
    UNREFERENCED_PARAMETER(Flags);
    UNREFERENCED_PARAMETER(VolumeFilesystemType);

    /* Named pipes and mailslots have no streams worth tracking. */
    if (VolumeDeviceType == FILE_DEVICE_NAMED_PIPE || VolumeDeviceType == FILE_DEVICE_MAILSLOT) {
        return STATUS_FLT_DO_NOT_ATTACH;
    }

    return STATUS_SUCCESS;
}

static NTSTATUS
CtxInstanceQueryTeardown(
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ FLT_INSTANCE_QUERY_TEARDOWN_FLAGS Flags
    )
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(FltObjects);
    UNREFERENCED_PARAMETER(Flags);

    return STATUS_SUCCESS;
}

/* ------------------------------------------------------------------------ */
/* Contexts                                                                 */
/* ------------------------------------------------------------------------ */

/*
 * Returns the stream context of FileObject, attaching a new one when the
 * stream has none.  On success the caller owns one reference.
 */
static NTSTATUS
CtxFindOrCreateStreamContext(
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Outptr_ PCTX_STREAM_CONTEXT *StreamContext
    )
{
    PCTX_STREAM_CONTEXT context = NULL;
    PCTX_STREAM_CONTEXT existing = NULL;
    NTSTATUS status;

    PAGED_CODE();

    *StreamContext = NULL;

    status = FltGetStreamContext(FltObjects->Instance,
                                 FltObjects->FileObject,
                                 (PFLT_CONTEXT *)&context);
    if (NT_SUCCESS(status)) {
        *StreamContext = context;
        return STATUS_SUCCESS;
    }
    if (status != STATUS_NOT_FOUND) {
        return status;
    }

    status = FltAllocateContext(FltObjects->Filter,
                                FLT_STREAM_CONTEXT,
                                sizeof(CTX_STREAM_CONTEXT),
                                NonPagedPoolNx,
                                (PFLT_CONTEXT *)&context);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    /* Contexts are not zeroed by FltAllocateContext. */
    RtlZeroMemory(context, sizeof(*context));
    InitializeListHead(&context->HandleList);
    status = ExInitializeResourceLite(&context->Resource);
    if (!NT_SUCCESS(status)) {
        /* The cleanup callback must not delete an uninitialized resource:
           mark it by leaving HandleList.Flink NULL. */
        context->HandleList.Flink = NULL;
        FltReleaseContext(context);
        return status;
    }

    status = FltSetStreamContext(FltObjects->Instance,
                                 FltObjects->FileObject,
                                 FLT_SET_CONTEXT_KEEP_IF_EXISTS,
                                 context,
                                 (PFLT_CONTEXT *)&existing);
    if (status == STATUS_FLT_CONTEXT_ALREADY_DEFINED) {
        /* Another open attached one first: use it (it comes back referenced)
           and drop ours, whose cleanup callback deletes its resource. */
        CTX_LOG(CTX_LOG_VERBOSE, ("ctx: stream context race lost, using the existing one\n"));
        FltReleaseContext(context);
        *StreamContext = existing;
        return STATUS_SUCCESS;
    }

    if (!NT_SUCCESS(status)) {
        FltReleaseContext(context);
        return status;
    }

    /* The stream now holds its own reference; ours goes to the caller. */
    *StreamContext = context;
    return STATUS_SUCCESS;
}

/*
 * Copies NameInfo->Name into pool owned by Handle and points FinalComponent
 * and Extension into that copy.
 */
static NTSTATUS
CtxCaptureName(
    _Inout_ PCTX_STREAMHANDLE_CONTEXT Handle,
    _In_ PFLT_FILE_NAME_INFORMATION NameInfo
    )
{
    PWCH buffer;
    USHORT size;

    PAGED_CODE();

    size = NameInfo->Name.Length;
    if (size == 0) {
        size = sizeof(WCHAR);
    }

    buffer = ExAllocatePoolZero(PagedPool, size, CTX_NAME_TAG);
    if (buffer == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }

    Handle->FileName.Buffer = buffer;
    Handle->FileName.Length = 0;
    Handle->FileName.MaximumLength = size;
    RtlCopyUnicodeString(&Handle->FileName, &NameInfo->Name);

    /* Parsed components are views into NameInfo->Name; rebase them. */
    if (NameInfo->FinalComponent.Length != 0) {
        Handle->FinalComponent.Buffer = Add2Ptr(buffer, PtrOffset(NameInfo->Name.Buffer, NameInfo->FinalComponent.Buffer));
        Handle->FinalComponent.Length = NameInfo->FinalComponent.Length;
        Handle->FinalComponent.MaximumLength = NameInfo->FinalComponent.Length;
    }
    if (NameInfo->Extension.Length != 0) {
        Handle->Extension.Buffer = Add2Ptr(buffer, PtrOffset(NameInfo->Name.Buffer, NameInfo->Extension.Buffer));
        Handle->Extension.Length = NameInfo->Extension.Length;
        Handle->Extension.MaximumLength = NameInfo->Extension.Length;
    }

    return STATUS_SUCCESS;
}

static VOID
CtxStreamContextCleanup(
    _In_ PFLT_CONTEXT Context,
    _In_ FLT_CONTEXT_TYPE ContextType
    )
{
    PCTX_STREAM_CONTEXT stream = Context;

    /* Non-paged context: FltMgr may run this at up to DISPATCH_LEVEL, which
       ExDeleteResourceLite allows; so this routine is not pageable. */
    FLT_ASSERT(ContextType == FLT_STREAM_CONTEXT);
    UNREFERENCED_PARAMETER(ContextType);

    if (stream->HandleList.Flink == NULL) {
        return; /* never initialized (see CtxFindOrCreateStreamContext) */
    }

    /* Every handle context references its stream, so none can be left. */
    FLT_ASSERT(IsListEmpty(&stream->HandleList));
    FLT_ASSERT(stream->HandleCount == 0);

    CTX_LOG(CTX_LOG_VERBOSE, ("ctx: stream context freed after %u opens\n", stream->OpenCount));

    ExDeleteResourceLite(&stream->Resource);
}

static VOID
CtxStreamHandleContextCleanup(
    _In_ PFLT_CONTEXT Context,
    _In_ FLT_CONTEXT_TYPE ContextType
    )
{
    PCTX_STREAMHANDLE_CONTEXT handle = Context;
    PCTX_STREAM_CONTEXT stream = handle->Stream;

    PAGED_CODE();
    FLT_ASSERT(ContextType == FLT_STREAMHANDLE_CONTEXT);
    UNREFERENCED_PARAMETER(ContextType);

    if (stream != NULL) {
        if (handle->Linked) {
            CtxAcquireResourceExclusive(&stream->Resource);
            RemoveEntryList(&handle->Link);
            handle->Linked = FALSE;
            FLT_ASSERT(stream->HandleCount > 0);
            stream->HandleCount--;
            CtxReleaseResource(&stream->Resource);
        }
        handle->Stream = NULL;
        FltReleaseContext(stream);
    }

    if (handle->FileName.Buffer != NULL) {
        ExFreePoolWithTag(handle->FileName.Buffer, CTX_NAME_TAG);
        handle->FileName.Buffer = NULL;
    }
}

/* ------------------------------------------------------------------------ */
/* Operation callbacks                                                      */
/* ------------------------------------------------------------------------ */

static FLT_PREOP_CALLBACK_STATUS
CtxPreCreate(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    )
{
    PAGED_CODE();
    UNREFERENCED_PARAMETER(FltObjects);

    *CompletionContext = NULL;

    /* Paging-file opens and volume opens carry no stream we care about. */
    if (FlagOn(Data->Iopb->OperationFlags, SL_OPEN_PAGING_FILE) ||
        FlagOn(Data->Iopb->TargetFileObject->Flags, FO_VOLUME_OPEN)) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }

    /* Post-create always runs at PASSIVE_LEVEL in the creating thread. */
    return FLT_PREOP_SUCCESS_WITH_CALLBACK;
}

static FLT_POSTOP_CALLBACK_STATUS
CtxPostCreate(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_opt_ PVOID CompletionContext,
    _In_ FLT_POST_OPERATION_FLAGS Flags
    )
{
    PFLT_FILE_NAME_INFORMATION nameInfo = NULL;
    PCTX_STREAM_CONTEXT stream = NULL;
    PCTX_STREAMHANDLE_CONTEXT handle = NULL;
    ULONG opens;
    ULONG handles;
    NTSTATUS status;

    PAGED_CODE();
    UNREFERENCED_PARAMETER(CompletionContext);

    if (FlagOn(Flags, FLTFL_POST_OPERATION_DRAINING) ||
        !NT_SUCCESS(Data->IoStatus.Status) ||
        Data->IoStatus.Status == STATUS_REPARSE ||
        !FltSupportsStreamContexts(FltObjects->FileObject) ||
        !FltSupportsStreamHandleContexts(FltObjects->FileObject)) {
        return FLT_POSTOP_FINISHED_PROCESSING;
    }

    status = FltGetFileNameInformation(Data,
                                       FLT_FILE_NAME_NORMALIZED | FLT_FILE_NAME_QUERY_DEFAULT,
                                       &nameInfo);
    if (!NT_SUCCESS(status)) {
        CTX_LOG(CTX_LOG_OPENS, ("ctx: open: no name (0x%08x)\n", (ULONG)status));
        return FLT_POSTOP_FINISHED_PROCESSING;
    }

    status = FltParseFileNameInformation(nameInfo);
    if (!NT_SUCCESS(status)) {
        goto Done;
    }

    status = CtxFindOrCreateStreamContext(FltObjects, &stream);
    if (!NT_SUCCESS(status)) {
        CTX_LOG(CTX_LOG_OPENS, ("ctx: open %wZ: no stream context (0x%08x)\n",
                                &nameInfo->Name, (ULONG)status));
        goto Done;
    }

    status = FltAllocateContext(FltObjects->Filter,
                                FLT_STREAMHANDLE_CONTEXT,
                                sizeof(CTX_STREAMHANDLE_CONTEXT),
                                PagedPool,
                                (PFLT_CONTEXT *)&handle);
    if (!NT_SUCCESS(status)) {
        goto Done;
    }
    RtlZeroMemory(handle, sizeof(*handle));

    status = CtxCaptureName(handle, nameInfo);
    if (!NT_SUCCESS(status)) {
        goto Done;
    }

    /* The handle keeps its stream alive until the handle context goes. */
    FltReferenceContext(stream);
    handle->Stream = stream;

    CtxAcquireResourceExclusive(&stream->Resource);
    stream->OpenCount++;
    stream->HandleCount++;
    handle->Ordinal = ++stream->NextOrdinal;
    InsertTailList(&stream->HandleList, &handle->Link);
    handle->Linked = TRUE;
    opens = stream->OpenCount;
    handles = stream->HandleCount;
    CtxReleaseResource(&stream->Resource);

    status = FltSetStreamHandleContext(FltObjects->Instance,
                                       FltObjects->FileObject,
                                       FLT_SET_CONTEXT_KEEP_IF_EXISTS,
                                       handle,
                                       NULL);
    if (!NT_SUCCESS(status)) {
        /* Our release below runs the cleanup callback, which unlinks it. */
        CTX_LOG(CTX_LOG_OPENS, ("ctx: open %wZ: FltSetStreamHandleContext failed 0x%08x\n",
                                &handle->FileName, (ULONG)status));
        goto Done;
    }

    CTX_LOG(CTX_LOG_OPENS,
            ("ctx: open %wZ handle %u (opens %u, handles %u) final \"%wZ\" ext \"%wZ\"\n",
             &handle->FileName, handle->Ordinal, opens, handles,
             &handle->FinalComponent, &handle->Extension));

Done:
    if (handle != NULL) {
        FltReleaseContext(handle);
    }
    if (stream != NULL) {
        FltReleaseContext(stream);
    }
    FltReleaseFileNameInformation(nameInfo);

    return FLT_POSTOP_FINISHED_PROCESSING;
}

static FLT_PREOP_CALLBACK_STATUS
CtxPreCleanup(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    )
{
    PCTX_STREAMHANDLE_CONTEXT handle = NULL;
    ULONG opens;
    ULONG handles;
    NTSTATUS status;

    PAGED_CODE();
    UNREFERENCED_PARAMETER(Data);

    *CompletionContext = NULL;

    status = FltGetStreamHandleContext(FltObjects->Instance,
                                       FltObjects->FileObject,
                                       (PFLT_CONTEXT *)&handle);
    if (!NT_SUCCESS(status)) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }

    CtxAcquireResourceShared(&handle->Stream->Resource);
    opens = handle->Stream->OpenCount;
    handles = handle->Stream->HandleCount;
    CtxReleaseResource(&handle->Stream->Resource);

    CTX_LOG(CTX_LOG_OPENS, ("ctx: cleanup %wZ handle %u (opens %u, handles %u)\n",
                            &handle->FileName, handle->Ordinal, opens, handles));

    FltReleaseContext(handle);
    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}

static FLT_PREOP_CALLBACK_STATUS
CtxPreClose(
    _Inout_ PFLT_CALLBACK_DATA Data,
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _Flt_CompletionContext_Outptr_ PVOID *CompletionContext
    )
{
    PCTX_STREAMHANDLE_CONTEXT handle = NULL;
    NTSTATUS status;

    PAGED_CODE();
    UNREFERENCED_PARAMETER(Data);

    *CompletionContext = NULL;

    status = FltGetStreamHandleContext(FltObjects->Instance,
                                       FltObjects->FileObject,
                                       (PFLT_CONTEXT *)&handle);
    if (!NT_SUCCESS(status)) {
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }

    /* FltMgr deletes the handle context after the close; its cleanup
       callback takes the handle out of the stream's table. */
    CTX_LOG(CTX_LOG_OPENS, ("ctx: close %wZ handle %u\n", &handle->FileName, handle->Ordinal));

    FltReleaseContext(handle);
    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}
