/*
 * cfmain.c - cryptfilt: driver entry, parameters, registration with FltMgr,
 * instance setup (the volume context), unload, and the extension policy.
 *
 * Parameters (Services\cryptfilt\Parameters, read once in DriverEntry with
 * IoOpenDriverRegistryKey, falling back to RegistryPath\Parameters):
 *
 *   Extension        REG_SZ    managed extensions, ';'-separated ("enc")
 *   FreeCallbackData REG_DWORD 1: free the re-issued QUERY_SECURITY's
 *                              callback data (default); 0: the seed's bug
 *   ExpandStack      REG_DWORD 1: read the header on open through
 *                              KeExpandKernelStackAndCalloutEx; 0: directly
 *                              from the create path (default, the seed's way)
 *   ManageByHeader   REG_DWORD 1: also isolate any file carrying the header
 *   LogLevel         REG_DWORD 0 none, 1 info (default), 2 verbose
 *   KeySeed          REG_DWORD key material for the placeholder cipher
 */

#include "cfdata.h"

CF_GLOBAL_DATA CfGlobals;

#define CF_DEFAULT_EXTENSION L"enc"
#define CF_DEFAULT_KEY_SEED 0x43465931u     /* "CFY1" */

DRIVER_INITIALIZE DriverEntry;

static NTSTATUS
CfUnload(
    _In_ FLT_FILTER_UNLOAD_FLAGS Flags);

static NTSTATUS
CfInstanceSetup(
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ FLT_INSTANCE_SETUP_FLAGS Flags,
    _In_ DEVICE_TYPE VolumeDeviceType,
    _In_ FLT_FILESYSTEM_TYPE VolumeFilesystemType);

static NTSTATUS
CfInstanceQueryTeardown(
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ FLT_INSTANCE_QUERY_TEARDOWN_FLAGS Flags);

#ifdef ALLOC_PRAGMA
#pragma alloc_text(INIT, DriverEntry)
#pragma alloc_text(PAGE, CfUnload)
#pragma alloc_text(PAGE, CfInstanceSetup)
#pragma alloc_text(PAGE, CfInstanceQueryTeardown)
#pragma alloc_text(PAGE, CfPreCreate)
#pragma alloc_text(PAGE, CfPreCleanup)
#endif

/* ------------------------------------------------------------------------ */
/* Registration                                                             */
/* ------------------------------------------------------------------------ */

static const FLT_CONTEXT_REGISTRATION CfContextRegistration[] = {
    { FLT_VOLUME_CONTEXT, 0, CfVolumeContextCleanup, sizeof(CF_VOLUME_CONTEXT), CF_TAG_VOLUME, NULL, NULL, NULL },
    { FLT_CONTEXT_END, 0, NULL, 0, 0, NULL, NULL, NULL }
};

/*
 * Every operation an isolated file object can receive is registered: none
 * of them may reach the file system, which does not know cryptfilt's FCB.
 * For other file objects each pre-callback returns at once.
 */
static const FLT_OPERATION_REGISTRATION CfCallbacks[] = {
    { IRP_MJ_CREATE, 0, CfPreCreate, NULL, NULL },
    { IRP_MJ_CLEANUP, 0, CfPreCleanup, NULL, NULL },
    { IRP_MJ_CLOSE, 0, CfPreClose, NULL, NULL },
    { IRP_MJ_READ, 0, CfPreRead, NULL, NULL },
    { IRP_MJ_WRITE, 0, CfPreWrite, NULL, NULL },
    { IRP_MJ_QUERY_INFORMATION, 0, CfPreQueryInformation, NULL, NULL },
    { IRP_MJ_SET_INFORMATION, 0, CfPreSetInformation, NULL, NULL },
    { IRP_MJ_QUERY_EA, 0, CfPreUnsupported, NULL, NULL },
    { IRP_MJ_SET_EA, 0, CfPreUnsupported, NULL, NULL },
    { IRP_MJ_FLUSH_BUFFERS, 0, CfPreFlushBuffers, NULL, NULL },
    { IRP_MJ_QUERY_VOLUME_INFORMATION, 0, CfPreVolumeInformation, NULL, NULL },
    { IRP_MJ_SET_VOLUME_INFORMATION, 0, CfPreVolumeInformation, NULL, NULL },
    { IRP_MJ_DIRECTORY_CONTROL, 0, CfPreUnsupported, NULL, NULL },
    { IRP_MJ_FILE_SYSTEM_CONTROL, 0, CfPreControl, NULL, NULL },
    { IRP_MJ_DEVICE_CONTROL, 0, CfPreControl, NULL, NULL },
    { IRP_MJ_INTERNAL_DEVICE_CONTROL, 0, CfPreControl, NULL, NULL },
    { IRP_MJ_LOCK_CONTROL, 0, CfPreLockControl, NULL, NULL },
    { IRP_MJ_QUERY_SECURITY, 0, CfPreQuerySecurity, NULL, NULL },
    { IRP_MJ_SET_SECURITY, 0, CfPreSetSecurity, NULL, NULL },
    { IRP_MJ_QUERY_QUOTA, 0, CfPreUnsupported, NULL, NULL },
    { IRP_MJ_SET_QUOTA, 0, CfPreUnsupported, NULL, NULL },
    { IRP_MJ_OPERATION_END, 0, NULL, NULL, NULL }
};

static const FLT_REGISTRATION CfFilterRegistration = {
    sizeof(FLT_REGISTRATION),
    FLT_REGISTRATION_VERSION,
    0,                              /* Flags */
    CfContextRegistration,
    CfCallbacks,
    CfUnload,
    CfInstanceSetup,
    CfInstanceQueryTeardown,
    NULL,                           /* InstanceTeardownStart */
    NULL,                           /* InstanceTeardownComplete */
    NULL,                           /* GenerateFileName */
    NULL,                           /* NormalizeNameComponent */
    NULL,                           /* NormalizeContextCleanup */
    NULL,                           /* TransactionNotification */
    NULL,                           /* NormalizeNameComponentEx */
    NULL                            /* SectionNotification */
};

/* ------------------------------------------------------------------------ */
/* Parameters                                                               */
/* ------------------------------------------------------------------------ */

/* Reads one value into a caller buffer; STATUS_OBJECT_NAME_NOT_FOUND if absent. */
static NTSTATUS
CfpQueryValue(
    _In_ HANDLE Key,
    _In_ PCWSTR Name,
    _Out_writes_bytes_(Size) PKEY_VALUE_PARTIAL_INFORMATION Value,
    _In_ ULONG Size
    )
{
    UNICODE_STRING valueName;
    ULONG resultLength = 0;

    RtlInitUnicodeString(&valueName, Name);
    RtlZeroMemory(Value, Size);
    return ZwQueryValueKey(Key, &valueName, KeyValuePartialInformation, Value, Size, &resultLength);
}

static VOID
CfpReadDword(
    _In_ HANDLE Key,
    _In_ PCWSTR Name,
    _Inout_ PULONG Target
    )
{
    union {
        KEY_VALUE_PARTIAL_INFORMATION Info;
        UCHAR Bytes[sizeof(KEY_VALUE_PARTIAL_INFORMATION) + sizeof(ULONG)];
    } value;

    if (NT_SUCCESS(CfpQueryValue(Key, Name, &value.Info, sizeof(value))) &&
        value.Info.Type == REG_DWORD && value.Info.DataLength == sizeof(ULONG)) {
        RtlCopyMemory(Target, value.Info.Data, sizeof(ULONG));
    }
}

/* Adds one extension (a leading dot is dropped). */
static VOID
CfpAddExtension(
    _In_reads_(Length) PCWCH Text,
    _In_ ULONG Length
    )
{
    ULONG i;

    if (Length != 0 && Text[0] == L'.') {
        Text++;
        Length--;
    }
    if (Length == 0 || Length >= CF_MAX_EXTENSION_CHARS || CfGlobals.ExtensionCount >= CF_MAX_EXTENSIONS) {
        return;
    }
    for (i = 0; i < Length; i++) {
        CfGlobals.Extensions[CfGlobals.ExtensionCount][i] = Text[i];
    }
    CfGlobals.Extensions[CfGlobals.ExtensionCount][Length] = L'\0';
    CfGlobals.ExtensionCount++;
}

/* "enc", ".enc", "enc;tmp": ';', ',' and blanks separate extensions. */
static VOID
CfpParseExtensions(
    _In_reads_(Length) PCWCH Text,
    _In_ ULONG Length
    )
{
    ULONG start = 0;
    ULONG i;

    CfGlobals.ExtensionCount = 0;
    for (i = 0; i <= Length; i++) {
        if (i == Length || Text[i] == L';' || Text[i] == L',' || Text[i] == L' ' || Text[i] == L'\0') {
            CfpAddExtension(Text + start, i - start);
            start = i + 1;
            if (i < Length && Text[i] == L'\0') {
                break;
            }
        }
    }
}

static VOID
CfpReadExtensions(
    _In_ HANDLE Key
    )
{
    PKEY_VALUE_PARTIAL_INFORMATION value;
    ULONG size = sizeof(KEY_VALUE_PARTIAL_INFORMATION) + 256 * sizeof(WCHAR);

    value = ExAllocatePoolZero(PagedPool, size, CF_TAG_REGISTRY);
    if (value == NULL) {
        return;
    }
    if (NT_SUCCESS(CfpQueryValue(Key, L"Extension", value, size)) &&
        (value->Type == REG_SZ || value->Type == REG_EXPAND_SZ)) {
        CfpParseExtensions((PCWCH)value->Data, value->DataLength / sizeof(WCHAR));
    }
    ExFreePoolWithTag(value, CF_TAG_REGISTRY);
}

/* Opens the Parameters key: IoOpenDriverRegistryKey, else RegistryPath\Parameters. */
static NTSTATUS
CfpOpenParametersKey(
    _In_ PDRIVER_OBJECT DriverObject,
    _In_ PUNICODE_STRING RegistryPath,
    _Out_ PHANDLE Key
    )
{
    UNICODE_STRING path;
    OBJECT_ATTRIBUTES attributes;
    NTSTATUS status;

    *Key = NULL;
    status = IoOpenDriverRegistryKey(DriverObject, DriverRegKeyParameters, KEY_READ, 0, Key);
    if (NT_SUCCESS(status)) {
        return status;
    }

    path.Length = 0;
    path.MaximumLength = (USHORT)(RegistryPath->Length + sizeof(L"\\Parameters"));
    path.Buffer = ExAllocatePoolZero(PagedPool, path.MaximumLength, CF_TAG_REGISTRY);
    if (path.Buffer == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    RtlCopyUnicodeString(&path, RegistryPath);
    status = RtlAppendUnicodeToString(&path, L"\\Parameters");
    if (NT_SUCCESS(status)) {
        InitializeObjectAttributes(&attributes, &path, OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE, NULL, NULL);
        status = ZwOpenKey(Key, KEY_READ, &attributes);
    }
    ExFreePoolWithTag(path.Buffer, CF_TAG_REGISTRY);
    return status;
}

/* Key bytes from the seed (placeholder cipher only: NOT a key derivation). */
static VOID
CfpExpandKey(
    _In_ ULONG Seed
    )
{
    ULONGLONG state = 0x9e3779b97f4a7c15ULL ^ Seed;
    ULONG i;

    for (i = 0; i < CF_CIPHER_KEY_BYTES; i++) {
        state ^= state >> 33;
        state *= 0xff51afd7ed558ccdULL;
        state ^= state >> 29;
        CfGlobals.Key[i] = (UCHAR)(state >> 24);
    }
}

static VOID
CfpReadParameters(
    _In_ PDRIVER_OBJECT DriverObject,
    _In_ PUNICODE_STRING RegistryPath
    )
{
    HANDLE key = NULL;

    /* Defaults. */
    CfGlobals.FreeCallbackData = 1;
    CfGlobals.ExpandStack = 0;
    CfGlobals.ManageByHeader = 0;
    CfGlobals.LogLevel = CF_LOG_INFO;
    CfGlobals.KeySeed = CF_DEFAULT_KEY_SEED;
    CfGlobals.ExtensionCount = 0;
    CfpAddExtension(CF_DEFAULT_EXTENSION, sizeof(CF_DEFAULT_EXTENSION) / sizeof(WCHAR) - 1);

    if (NT_SUCCESS(CfpOpenParametersKey(DriverObject, RegistryPath, &key))) {
        CfpReadDword(key, L"FreeCallbackData", &CfGlobals.FreeCallbackData);
        CfpReadDword(key, L"ExpandStack", &CfGlobals.ExpandStack);
        CfpReadDword(key, L"ManageByHeader", &CfGlobals.ManageByHeader);
        CfpReadDword(key, L"LogLevel", &CfGlobals.LogLevel);
        CfpReadDword(key, L"KeySeed", &CfGlobals.KeySeed);
        CfpReadExtensions(key);
        ZwClose(key);
    }
    if (CfGlobals.ExtensionCount == 0) {
        CfpAddExtension(CF_DEFAULT_EXTENSION, sizeof(CF_DEFAULT_EXTENSION) / sizeof(WCHAR) - 1);
    }
    CfpExpandKey(CfGlobals.KeySeed);
    CfGlobals.Cipher = &CfPlaceholderCipher;
}

/* Is Extension (as FltParseFileNameInformation gives it, without the dot)
   one of the managed ones? */
BOOLEAN
CfIsManagedExtension(
    _In_ PCUNICODE_STRING Extension
    )
{
    UNICODE_STRING candidate;
    ULONG i;

    if (Extension->Length == 0) {
        return FALSE;
    }
    for (i = 0; i < CfGlobals.ExtensionCount; i++) {
        RtlInitUnicodeString(&candidate, CfGlobals.Extensions[i]);
        if (RtlEqualUnicodeString(&candidate, Extension, TRUE)) {
            return TRUE;
        }
    }
    return FALSE;
}

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
    ULONG i;

    ExInitializeDriverRuntime(DrvRtPoolNxOptIn);

    RtlZeroMemory(&CfGlobals, sizeof(CfGlobals));
    CfGlobals.DriverObject = DriverObject;
    CfpReadParameters(DriverObject, RegistryPath);

    if (CfGlobals.LogLevel >= CF_LOG_INFO) {
        DbgPrint("cryptfilt: loading: FreeCallbackData=%u ExpandStack=%u ManageByHeader=%u cipher %s\n",
                 CfGlobals.FreeCallbackData, CfGlobals.ExpandStack, CfGlobals.ManageByHeader,
                 CfGlobals.Cipher->Name);
        for (i = 0; i < CfGlobals.ExtensionCount; i++) {
            DbgPrint("cryptfilt: managed extension .%ws\n", CfGlobals.Extensions[i]);
        }
    }

    status = FltRegisterFilter(DriverObject, &CfFilterRegistration, &CfGlobals.Filter);
    if (!NT_SUCCESS(status)) {
        return status;
    }

    status = FltStartFiltering(CfGlobals.Filter);
    if (!NT_SUCCESS(status)) {
        FltUnregisterFilter(CfGlobals.Filter);
        CfGlobals.Filter = NULL;
    }
    return status;
}

static NTSTATUS
CfUnload(
    _In_ FLT_FILTER_UNLOAD_FLAGS Flags
    )
{
    PAGED_CODE();

    /* Isolated files still open would be orphaned: their FsContext is ours. */
    if (!FlagOn(Flags, FLTFL_FILTER_UNLOAD_MANDATORY) && CfGlobals.FcbCount > 0) {
        CF_LOG(CF_LOG_INFO, ("cryptfilt: unload refused: %d isolated file(s) still open\n", CfGlobals.FcbCount));
        return STATUS_FLT_DO_NOT_DETACH;
    }

    CF_LOG(CF_LOG_INFO, ("cryptfilt: unloading\n"));
    FltUnregisterFilter(CfGlobals.Filter);
    CfGlobals.Filter = NULL;
    RtlSecureZeroMemory(CfGlobals.Key, sizeof(CfGlobals.Key));
    return STATUS_SUCCESS;
}

static NTSTATUS
CfInstanceSetup(
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ FLT_INSTANCE_SETUP_FLAGS Flags,
    _In_ DEVICE_TYPE VolumeDeviceType,
    _In_ FLT_FILESYSTEM_TYPE VolumeFilesystemType
    )
{
    PCF_VOLUME_CONTEXT volume = NULL;
    NTSTATUS status;

    PAGED_CODE();
    UNREFERENCED_PARAMETER(Flags);

    /* Files on disks and on network shares; no pipes, mailslots or CDFS. */
    if (VolumeDeviceType != FILE_DEVICE_DISK_FILE_SYSTEM && VolumeDeviceType != FILE_DEVICE_NETWORK_FILE_SYSTEM) {
        return STATUS_FLT_DO_NOT_ATTACH;
    }

    status = FltAllocateContext(FltObjects->Filter, FLT_VOLUME_CONTEXT, sizeof(CF_VOLUME_CONTEXT), NonPagedPoolNx,
                                (PFLT_CONTEXT *)&volume);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    RtlZeroMemory(volume, sizeof(*volume));
    InitializeListHead(&volume->FcbList);
    volume->DeviceType = VolumeDeviceType;
    volume->FileSystemType = VolumeFilesystemType;

    volume->VolResource = ExAllocatePoolZero(NonPagedPoolNx, sizeof(ERESOURCE), CF_TAG_RESOURCE);
    if (volume->VolResource == NULL) {
        FltReleaseContext(volume);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    status = ExInitializeResourceLite(volume->VolResource);
    if (!NT_SUCCESS(status)) {
        ExFreePoolWithTag(volume->VolResource, CF_TAG_RESOURCE);
        volume->VolResource = NULL;
        FltReleaseContext(volume);
        return status;
    }

    status = FltSetVolumeContext(FltObjects->Volume, FLT_SET_CONTEXT_KEEP_IF_EXISTS, volume, NULL);
    FltReleaseContext(volume);
    if (!NT_SUCCESS(status) && status != STATUS_FLT_CONTEXT_ALREADY_DEFINED) {
        return status;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS
CfInstanceQueryTeardown(
    _In_ PCFLT_RELATED_OBJECTS FltObjects,
    _In_ FLT_INSTANCE_QUERY_TEARDOWN_FLAGS Flags
    )
{
    PCF_VOLUME_CONTEXT volume = NULL;
    NTSTATUS status = STATUS_SUCCESS;

    PAGED_CODE();
    UNREFERENCED_PARAMETER(Flags);

    /* A manual detach with isolated files open is refused. */
    if (NT_SUCCESS(FltGetVolumeContext(FltObjects->Filter, FltObjects->Volume, (PFLT_CONTEXT *)&volume))) {
        if (volume->FcbCount != 0) {
            status = STATUS_FLT_DO_NOT_DETACH;
        }
        FltReleaseContext(volume);
    }
    return status;
}
