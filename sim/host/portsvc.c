/*
 * portsvc.c - fltsim host API: a simulated user-mode service of a
 * minifilter (the user half of a scanner-style filter).  The process
 * connects to the filter's communication port, then a user thread of the
 * process loops: FilterGetMessage, the service's own work (a delay; opening
 * and reading a file, which goes through every filter like any open - the
 * way a scanner re-enters its own filter), FilterReplyMessage.  It logs each
 * step and ends when the port disconnects.
 */
#include "hostp.h"
#include <stdio.h>
#include <string.h>

NTSTATUS IopReadWrite(HANDLE Handle, BOOLEAN Write, PVOID UserBuffer, ULONG Length, PLARGE_INTEGER ByteOffset,
                      PIO_STATUS_BLOCK IoStatus);

#define FSIMP_MESSAGE_MAX 0x1000
#define FSIMP_READ_LENGTH 0x200
#define FSIMP_HELLO_OUTPUT 0x100

typedef struct FSIMP_SERVICE {
    struct _EPROCESS *Process;
    HANDLE Port;
    char *Name;
    UCHAR *Reply;                /* NULL: no reply */
    ULONG ReplyLength;
    ULONGLONG DelayNs;
    char *OpenPath;
} FSIMP_SERVICE;

static void FsimpLog(FSIMP_SERVICE *S, const char *Text)
{
    KiLog(FSIM_LOG_USER, KiFormat("%s: %s", S->Name, Text));
}

/* Service memory is system pool: a machine that stops while the service
 * waits frees it with the rest of the pool. */
#define FSIMP_TAG 'vSpF'

static char *FsimpDup(const void *Data, size_t Length)
{
    char *Copy = ExpAllocateSystemPool(NonPagedPoolNx, Length + 1, FSIMP_TAG);
    if (Length)
        memcpy(Copy, Data, Length);
    Copy[Length] = 0;
    return Copy;
}

/* A message as a person reads it: UTF-16 text (a file name) when it looks
 * like that, else its first bytes in hex. */
static const char *FsimpPreview(const UCHAR *Data, ULONG Length)
{
    char Text[96];
    ULONG Chars = 0, Zeros = 0;
    size_t Used = 0;
    for (ULONG I = 1; I < Length; I += 2)
        Zeros += Data[I] == 0;
    if (Length >= 4 && Zeros * 2 >= Length / 2 && Data[0] >= 0x20 && Data[0] < 0x7f) {
        for (ULONG I = 0; I + 1 < Length && Used + 2 < sizeof(Text); I += 2, Chars++) {
            UCHAR C = Data[I];
            if (C == 0 && Data[I + 1] == 0)
                break;
            Text[Used++] = (Data[I + 1] == 0 && C >= 0x20 && C < 0x7f) ? (char)C : '?';
        }
        Text[Used] = 0;
        return KiFormat("\"%s\"", Text);
    }
    for (ULONG I = 0; I < Length && I < 16 && Used + 3 < sizeof(Text); I++)
        Used += (size_t)snprintf(Text + Used, sizeof(Text) - Used, "%02x", Data[I]);
    Text[Used] = 0;
    return KiFormat("%s%s", Text, Length > 16 ? "..." : "");
}

/* The scanner's own access to a file: open, read the start, close. */
static NTSTATUS FsimpReadFile(FSIMP_SERVICE *S)
{
    IO_STATUS_BLOCK Iosb = {{0}, 0};
    HANDLE Handle = NULL;
    NTSTATUS Status;
    {
        KI_FRAME_SCOPE("nt", "KiSystemServiceCopyEnd", 0x200);
        KI_FRAME_SCOPE_2("nt", "NtCreateFile", 0x90);
        Status = FsimpOpenFile(S->Process, S->OpenPath, FILE_GENERIC_READ, 0, FILE_SHARE_READ | FILE_SHARE_WRITE,
                               FILE_OPEN, FILE_NON_DIRECTORY_FILE, &Handle);
    }
    if (!NT_SUCCESS(Status))
        return Status;
    PVOID User = MiAllocateUserBuffer(S->Process, FSIMP_READ_LENGTH, 0);
    LARGE_INTEGER Offset;
    Offset.QuadPart = 0;
    {
        KI_FRAME_SCOPE("nt", "KiSystemServiceCopyEnd", 0x200);
        KI_FRAME_SCOPE_2("nt", "NtReadFile", 0xd0);
        Status = IopReadWrite(Handle, FALSE, User, FSIMP_READ_LENGTH, &Offset, &Iosb);
    }
    if (Status == STATUS_END_OF_FILE)
        Status = STATUS_SUCCESS;
    MiFreeUserBuffer(S->Process, User);
    (void)ObpCloseHandle(S->Process, Handle);
    return Status;
}

static VOID FsimpServiceThread(PVOID Context)
{
    FSIMP_SERVICE *S = Context;
    UCHAR *Message = ExpAllocateSystemPool(NonPagedPoolNx, FSIMP_MESSAGE_MAX, FSIMP_TAG);
    for (;;) {
        ULONG Length = 0;
        ULONGLONG Id = 0;
        NTSTATUS Status = FltpGetMessage(S->Port, Message, FSIMP_MESSAGE_MAX, &Length, &Id);
        if (!NT_SUCCESS(Status)) {
            FsimpLog(S, KiFormat("FilterGetMessage -> %s: the port is disconnected, the service ends",
                                 FsimNtStatusName(Status)));
            break;
        }
        FsimpLog(S, KiFormat("message %llu, %u bytes: %s", (unsigned long long)Id, Length,
                             FsimpPreview(Message, Length < FSIMP_MESSAGE_MAX ? Length : FSIMP_MESSAGE_MAX)));
        if (S->DelayNs != 0) {
            LARGE_INTEGER Delay;
            Delay.QuadPart = -(LONGLONG)(S->DelayNs / 100);
            KeDelayExecutionThread(UserMode, FALSE, &Delay);
        }
        if (S->OpenPath != NULL) {
            FsimpLog(S, KiFormat("opens %s", S->OpenPath));
            Status = FsimpReadFile(S);
            FsimpLog(S, KiFormat("read %s -> %s", S->OpenPath, FsimNtStatusName(Status)));
        }
        if (S->Reply != NULL) {
            Status = FltpReplyMessage(S->Port, Id, S->Reply, S->ReplyLength);
            FsimpLog(S, KiFormat("reply to message %llu -> %s", (unsigned long long)Id, FsimNtStatusName(Status)));
        }
    }
    ExFreePoolWithTag(Message, FSIMP_TAG);
    struct _EPROCESS *Process = S->Process;
    ExFreePoolWithTag(S->Name, FSIMP_TAG);
    if (S->Reply != NULL)
        ExFreePoolWithTag(S->Reply, FSIMP_TAG);
    if (S->OpenPath != NULL)
        ExFreePoolWithTag(S->OpenPath, FSIMP_TAG);
    ExFreePoolWithTag(S, FSIMP_TAG);
    ObfDereferenceObject(Process); /* the thread's reference on its process */
}

NTSTATUS FsimpStartPortService(struct _EPROCESS *Process, const FSIM_PORT_SERVICE *Service)
{
    HANDLE Port = NULL;
    NTSTATUS Status;
    PVOID Context = NULL;
    if (Service->ContextLength != 0) {
        Context = MiAllocateUserBuffer(Process, Service->ContextLength, 0);
        memcpy(Context, Service->Context, Service->ContextLength);
    }
    {
        KI_FRAME_SCOPE("nt", "KiSystemServiceCopyEnd", 0x200);
        KI_FRAME_SCOPE_2("nt", "NtCreateFile", 0x90); /* FilterConnectCommunicationPort opens FltMgr's port */
        Status = FltpConnectPort(Process, Service->Port, Context, Service->ContextLength, &Port);
    }
    if (Context != NULL)
        MiFreeUserBuffer(Process, Context);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Service->Hello != NULL) {
        /* FilterSendMessage from the process: user-mode buffers for both sides */
        PVOID In = MiAllocateUserBuffer(Process, Service->HelloLength ? Service->HelloLength : 1, 0);
        PVOID Out = MiAllocateUserBuffer(Process, FSIMP_HELLO_OUTPUT, 0);
        ULONG Returned = 0;
        memcpy(In, Service->Hello, Service->HelloLength);
        {
            KI_FRAME_SCOPE("nt", "KiSystemServiceCopyEnd", 0x200);
            KI_FRAME_SCOPE_2("nt", "NtDeviceIoControlFile", 0xb0);
            Status = FltpSendToFilter(Port, In, Service->HelloLength, Out, FSIMP_HELLO_OUTPUT, &Returned);
        }
        KiLog(FSIM_LOG_USER, KiFormat("%s: FilterSendMessage -> %s, %u bytes back%s%s",
                                      Service->Name ? Service->Name : "service", FsimNtStatusName(Status), Returned,
                                      Returned ? ": " : "",
                                      Returned ? FsimpPreview(Out, Returned < FSIMP_HELLO_OUTPUT ? Returned
                                                                                                 : FSIMP_HELLO_OUTPUT)
                                               : ""));
        MiFreeUserBuffer(Process, Out);
        MiFreeUserBuffer(Process, In);
    }
    FSIMP_SERVICE *S = ExpAllocateSystemPool(NonPagedPoolNx, sizeof(*S), FSIMP_TAG);
    memset(S, 0, sizeof(*S));
    S->Process = Process;
    S->Port = Port;
    S->Name = FsimpDup(Service->Name ? Service->Name : "service", strlen(Service->Name ? Service->Name : "service"));
    if (Service->Reply != NULL) {
        S->Reply = (UCHAR *)FsimpDup(Service->Reply, Service->ReplyLength);
        S->ReplyLength = Service->ReplyLength;
    }
    S->DelayNs = Service->DelayNs;
    S->OpenPath = Service->OpenPath ? FsimpDup(Service->OpenPath, strlen(Service->OpenPath)) : NULL;
    ObfReferenceObject(Process); /* released when the service thread ends */
    (void)KiCreateUserThread(Process, KiFormat("%s service", PsGetProcessImageFileName(Process)),
                             FsimpServiceThread, S);
    return STATUS_SUCCESS;
}
