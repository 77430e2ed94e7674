/*
 * apcwait.c - fltsim test driver: on the first open of a file named
 * "trigger.txt" its pre-create reads a configuration file next to it with
 * ZwCreateFile/ZwReadFile, under a lock that serializes the reload.  With
 * Parameters\Lock = 1 the lock is a FAST_MUTEX: ExAcquireFastMutex raises
 * the IRQL to APC_LEVEL, and on a share, where the redirector pends the
 * create and completes it on its own thread, the I/O manager's completion
 * APC (IopCompleteRequest) can never run in this thread: the thread waits
 * for good.  With Lock = 0 it is an ERESOURCE in a critical region, which
 * holds off only normal kernel APCs, and the reload works.
 */
#include <fltKernel.h>

static PFLT_FILTER gFilter;
static FAST_MUTEX gFastLock;
static ERESOURCE gResource;
static ULONG gUseFastMutex;
static BOOLEAN gLoaded;

static VOID AwReadConfig(PFLT_CALLBACK_DATA Data)
{
    PFILE_OBJECT FileObject = Data->Iopb->TargetFileObject;
    UNICODE_STRING Name;
    WCHAR Buffer[260];
    OBJECT_ATTRIBUTES Attributes;
    IO_STATUS_BLOCK Iosb;
    HANDLE Handle;
    CHAR Text[32];
    NTSTATUS Status;
    USHORT Cut = FileObject->FileName.Length / sizeof(WCHAR);

    /* "\server\share\dir\trigger.txt" -> "\??\UNC\server\share\dir\config.ini" */
    while (Cut > 0 && FileObject->FileName.Buffer[Cut - 1] != L'\\')
        Cut--;
    Name.Buffer = Buffer;
    Name.Length = 0;
    Name.MaximumLength = sizeof(Buffer);
    RtlAppendUnicodeToString(&Name, L"\\??\\UNC");
    if (Name.Length + Cut * sizeof(WCHAR) + sizeof(L"config.ini") > Name.MaximumLength)
        return;
    RtlCopyMemory((PUCHAR)Name.Buffer + Name.Length, FileObject->FileName.Buffer, Cut * sizeof(WCHAR));
    Name.Length = (USHORT)(Name.Length + Cut * sizeof(WCHAR));
    RtlAppendUnicodeToString(&Name, L"config.ini");
    InitializeObjectAttributes(&Attributes, &Name, OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE, NULL, NULL);
    Status = ZwCreateFile(&Handle, GENERIC_READ | SYNCHRONIZE, &Attributes, &Iosb, NULL, FILE_ATTRIBUTE_NORMAL,
                          FILE_SHARE_READ, FILE_OPEN, FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE, NULL, 0);
    if (!NT_SUCCESS(Status)) {
        DbgPrint("apcwait: ZwCreateFile(%wZ) failed 0x%08x\n", &Name, (ULONG)Status);
        return;
    }
    RtlZeroMemory(Text, sizeof(Text));
    Status = ZwReadFile(Handle, NULL, NULL, NULL, &Iosb, Text, sizeof(Text) - 1, NULL, NULL);
    DbgPrint("apcwait: configuration read 0x%08x: \"%s\"\n", (ULONG)Status, NT_SUCCESS(Status) ? Text : "");
    ZwClose(Handle);
}

static FLT_PREOP_CALLBACK_STATUS
AwPreCreate(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext)
{
    static const WCHAR Trigger[] = L"trigger.txt";
    PUNICODE_STRING FileName = &Data->Iopb->TargetFileObject->FileName;
    UNICODE_STRING Suffix;
    UNREFERENCED_PARAMETER(FltObjects);
    *CompletionContext = NULL;
    Suffix.Buffer = (PWCH)Trigger;
    Suffix.Length = sizeof(Trigger) - sizeof(WCHAR);
    Suffix.MaximumLength = sizeof(Trigger);
    if (gLoaded || FileName->Length < Suffix.Length)
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    {
        UNICODE_STRING Tail;
        Tail.Buffer = (PWCH)((PUCHAR)FileName->Buffer + FileName->Length - Suffix.Length);
        Tail.Length = Tail.MaximumLength = Suffix.Length;
        if (!RtlEqualUnicodeString(&Tail, &Suffix, TRUE))
            return FLT_PREOP_SUCCESS_NO_CALLBACK;
    }
    gLoaded = TRUE;
    if (gUseFastMutex) {
        ExAcquireFastMutex(&gFastLock);
        AwReadConfig(Data);
        ExReleaseFastMutex(&gFastLock);
    } else {
        KeEnterCriticalRegion();
        ExAcquireResourceExclusiveLite(&gResource, TRUE);
        AwReadConfig(Data);
        ExReleaseResourceLite(&gResource);
        KeLeaveCriticalRegion();
    }
    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}

static NTSTATUS AwUnload(FLT_FILTER_UNLOAD_FLAGS Flags)
{
    UNREFERENCED_PARAMETER(Flags);
    FltUnregisterFilter(gFilter);
    ExDeleteResourceLite(&gResource);
    return STATUS_SUCCESS;
}

static const FLT_OPERATION_REGISTRATION Callbacks[] = {
    {IRP_MJ_CREATE, 0, AwPreCreate, NULL},
    {IRP_MJ_OPERATION_END}};

static const FLT_REGISTRATION Registration = {
    sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, Callbacks, AwUnload,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};

static VOID AwReadParameters(PDRIVER_OBJECT DriverObject)
{
    HANDLE Key;
    UNICODE_STRING Value;
    UCHAR Buffer[sizeof(KEY_VALUE_PARTIAL_INFORMATION) + sizeof(ULONG)];
    PKEY_VALUE_PARTIAL_INFORMATION Info = (PKEY_VALUE_PARTIAL_INFORMATION)Buffer;
    ULONG Length;
    gUseFastMutex = 1;
    if (!NT_SUCCESS(IoOpenDriverRegistryKey(DriverObject, DriverRegKeyParameters, KEY_READ, 0, &Key)))
        return;
    RtlInitUnicodeString(&Value, L"Lock");
    if (NT_SUCCESS(ZwQueryValueKey(Key, &Value, KeyValuePartialInformation, Info, sizeof(Buffer), &Length)) &&
        Info->Type == REG_DWORD && Info->DataLength == sizeof(ULONG))
        gUseFastMutex = *(PULONG)Info->Data;
    ZwClose(Key);
}

DRIVER_INITIALIZE DriverEntry;

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    NTSTATUS Status;
    UNREFERENCED_PARAMETER(RegistryPath);
    ExInitializeFastMutex(&gFastLock);
    ExInitializeResourceLite(&gResource);
    AwReadParameters(DriverObject);
    DbgPrint("apcwait: the configuration lock is %s\n", gUseFastMutex ? "a FAST_MUTEX" : "an ERESOURCE");
    Status = FltRegisterFilter(DriverObject, &Registration, &gFilter);
    if (NT_SUCCESS(Status)) {
        Status = FltStartFiltering(gFilter);
        if (!NT_SUCCESS(Status))
            FltUnregisterFilter(gFilter);
    }
    if (!NT_SUCCESS(Status))
        ExDeleteResourceLite(&gResource);
    return Status;
}
