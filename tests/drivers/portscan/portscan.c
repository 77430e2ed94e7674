/*
 * portscan.c - fltsim test driver: a scanner-style minifilter.  It opens
 * the communication port "\PortScan" (one connection); on every open of a
 * file whose name ends in ".scan" its pre-create sends the file's name to
 * the connected user-mode service with FltSendMessage and waits for the
 * verdict (one byte: nonzero = safe to open); an unsafe file fails the open
 * with STATUS_ACCESS_DENIED, and with no service or no verdict in time the
 * open goes on (fail open).  Parameters: TimeoutMs (0: wait forever, the
 * default) and IgnoreService (1: opens by the connected service's own
 * process are not scanned - the fix for a service that reads the files it
 * scans; 0, the default, scans them too and deadlocks) and KeepClientPort
 * (1: DisconnectNotify forgets to close the client port - the unload then
 * waits for it forever).  A message from the service (FilterSendMessage)
 * reaches MessageNotify with user-mode buffers: it probes them, logs the
 * text and answers "pong".
 */
#include <fltKernel.h>

static PFLT_FILTER gFilter;
static PFLT_PORT gServerPort;
static PFLT_PORT gClientPort;
static HANDLE gServicePid;
static ULONG gTimeoutMs;
static ULONG gIgnoreService;
static ULONG gKeepClientPort;

static NTSTATUS FLTAPI PsConnect(PFLT_PORT ClientPort, PVOID ServerPortCookie, PVOID ConnectionContext,
                                 ULONG SizeOfContext, PVOID *ConnectionCookie)
{
    UNREFERENCED_PARAMETER(ServerPortCookie);
    UNREFERENCED_PARAMETER(ConnectionContext);
    UNREFERENCED_PARAMETER(SizeOfContext);
    gClientPort = ClientPort;
    gServicePid = PsGetCurrentProcessId();
    *ConnectionCookie = NULL;
    DbgPrint("portscan: service process %Iu connected\n", (ULONG_PTR)gServicePid);
    return STATUS_SUCCESS;
}

static VOID FLTAPI PsDisconnect(PVOID ConnectionCookie)
{
    UNREFERENCED_PARAMETER(ConnectionCookie);
    DbgPrint("portscan: service disconnected\n");
    if (!gKeepClientPort)
        FltCloseClientPort(gFilter, &gClientPort);
    gServicePid = NULL;
}

static NTSTATUS FLTAPI PsMessage(PVOID PortCookie, PVOID InputBuffer, ULONG InputBufferLength, PVOID OutputBuffer,
                                 ULONG OutputBufferLength, PULONG ReturnOutputBufferLength)
{
    static const CHAR Pong[] = "pong";
    CHAR Text[32];
    ULONG Length = min(InputBufferLength, (ULONG)sizeof(Text) - 1);
    UNREFERENCED_PARAMETER(PortCookie);
    *ReturnOutputBufferLength = 0;
    /* The buffers are the service's user-mode memory. */
    __try {
        ProbeForRead(InputBuffer, InputBufferLength, 1);
        RtlCopyMemory(Text, InputBuffer, Length);
        Text[Length] = 0;
        if (OutputBufferLength < sizeof(Pong) - 1)
            return STATUS_BUFFER_TOO_SMALL;
        ProbeForWrite(OutputBuffer, OutputBufferLength, 1);
        RtlCopyMemory(OutputBuffer, Pong, sizeof(Pong) - 1);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        return GetExceptionCode();
    }
    DbgPrint("portscan: message from the service: %s\n", Text);
    *ReturnOutputBufferLength = sizeof(Pong) - 1;
    return STATUS_SUCCESS;
}

static BOOLEAN PsWantsScan(PUNICODE_STRING Name)
{
    static const WCHAR Suffix[] = L".scan";
    USHORT Bytes = sizeof(Suffix) - sizeof(WCHAR);
    UNICODE_STRING Tail, Want;
    if (Name->Length < Bytes)
        return FALSE;
    Tail.Buffer = (PWCH)((PUCHAR)Name->Buffer + Name->Length - Bytes);
    Tail.Length = Tail.MaximumLength = Bytes;
    Want.Buffer = (PWCH)Suffix;
    Want.Length = Bytes;
    Want.MaximumLength = sizeof(Suffix);
    return RtlEqualUnicodeString(&Tail, &Want, TRUE);
}

static FLT_PREOP_CALLBACK_STATUS
PsPreCreate(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects, PVOID *CompletionContext)
{
    PUNICODE_STRING Name = &Data->Iopb->TargetFileObject->FileName;
    WCHAR Message[128];
    UCHAR SafeToOpen = 1;
    ULONG ReplyLength = sizeof(SafeToOpen);
    LARGE_INTEGER Timeout;
    NTSTATUS Status;
    USHORT Chars;
    UNREFERENCED_PARAMETER(FltObjects);
    *CompletionContext = NULL;
    if (!PsWantsScan(Name) || gClientPort == NULL)
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    if (gIgnoreService && FltGetRequestorProcessId(Data) == HandleToUlong(gServicePid))
        return FLT_PREOP_SUCCESS_NO_CALLBACK;
    Chars = (USHORT)min(Name->Length / sizeof(WCHAR), RTL_NUMBER_OF(Message) - 1);
    RtlCopyMemory(Message, Name->Buffer, Chars * sizeof(WCHAR));
    Message[Chars] = L'\0';
    Timeout.QuadPart = -(LONGLONG)gTimeoutMs * 10000;
    Status = FltSendMessage(gFilter, &gClientPort, Message, (Chars + 1) * sizeof(WCHAR), &SafeToOpen, &ReplyLength,
                            gTimeoutMs ? &Timeout : NULL);
    DbgPrint("portscan: %wZ: FltSendMessage 0x%08x, verdict %u\n", Name, (ULONG)Status,
             Status == STATUS_SUCCESS ? SafeToOpen : 1);
    if (Status == STATUS_SUCCESS && !SafeToOpen) {
        Data->IoStatus.Status = STATUS_ACCESS_DENIED;
        Data->IoStatus.Information = 0;
        return FLT_PREOP_COMPLETE;
    }
    return FLT_PREOP_SUCCESS_NO_CALLBACK;
}

static NTSTATUS PsUnload(FLT_FILTER_UNLOAD_FLAGS Flags)
{
    UNREFERENCED_PARAMETER(Flags);
    FltCloseCommunicationPort(gServerPort);
    FltUnregisterFilter(gFilter);
    return STATUS_SUCCESS;
}

static const FLT_OPERATION_REGISTRATION Callbacks[] = {
    {IRP_MJ_CREATE, 0, PsPreCreate, NULL},
    {IRP_MJ_OPERATION_END}};

static const FLT_REGISTRATION Registration = {
    sizeof(FLT_REGISTRATION), FLT_REGISTRATION_VERSION, 0, NULL, Callbacks, PsUnload,
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL};

static ULONG PsReadDword(HANDLE Key, PCWSTR Name, ULONG Default)
{
    UNICODE_STRING Value;
    UCHAR Buffer[sizeof(KEY_VALUE_PARTIAL_INFORMATION) + sizeof(ULONG)];
    PKEY_VALUE_PARTIAL_INFORMATION Info = (PKEY_VALUE_PARTIAL_INFORMATION)Buffer;
    ULONG Length;
    RtlInitUnicodeString(&Value, Name);
    if (NT_SUCCESS(ZwQueryValueKey(Key, &Value, KeyValuePartialInformation, Info, sizeof(Buffer), &Length)) &&
        Info->Type == REG_DWORD && Info->DataLength == sizeof(ULONG))
        return *(PULONG)Info->Data;
    return Default;
}

DRIVER_INITIALIZE DriverEntry;

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    PSECURITY_DESCRIPTOR Sd;
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING PortName;
    HANDLE Key;
    NTSTATUS Status;
    UNREFERENCED_PARAMETER(RegistryPath);
    if (NT_SUCCESS(IoOpenDriverRegistryKey(DriverObject, DriverRegKeyParameters, KEY_READ, 0, &Key))) {
        gTimeoutMs = PsReadDword(Key, L"TimeoutMs", 0);
        gIgnoreService = PsReadDword(Key, L"IgnoreService", 0);
        gKeepClientPort = PsReadDword(Key, L"KeepClientPort", 0);
        ZwClose(Key);
    }
    Status = FltRegisterFilter(DriverObject, &Registration, &gFilter);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = FltBuildDefaultSecurityDescriptor(&Sd, FLT_PORT_ALL_ACCESS);
    if (NT_SUCCESS(Status)) {
        RtlInitUnicodeString(&PortName, L"\\PortScan");
        InitializeObjectAttributes(&Attributes, &PortName, OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE, NULL, Sd);
        Status = FltCreateCommunicationPort(gFilter, &gServerPort, &Attributes, NULL, PsConnect, PsDisconnect, PsMessage,
                                            1);
        FltFreeSecurityDescriptor(Sd);
    }
    if (NT_SUCCESS(Status))
        Status = FltStartFiltering(gFilter);
    if (!NT_SUCCESS(Status)) {
        if (gServerPort != NULL)
            FltCloseCommunicationPort(gServerPort);
        FltUnregisterFilter(gFilter);
    }
    return Status;
}
