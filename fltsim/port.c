/*
 * port.c - fltsim FltMgr: filter communication ports.  A minifilter's
 * server port (FltCreateCommunicationPort) takes connections from
 * simulated user-mode processes (FltpConnectPort, the kernel half of
 * FilterConnectCommunicationPort): FltMgr calls the filter's
 * ConnectNotify in the connecting thread and hands it the client port;
 * the process holds the connection as a handle.  FltSendMessage queues a
 * message on a client port and waits - until the user side takes it
 * (FltpGetMessage, FilterGetMessage's half) or, when the filter passed a
 * reply buffer, until it replies (FltpReplyMessage) - within the caller's
 * timeout.  A user thread already waiting for a message gets it at once.
 * Closing the user's handle calls DisconnectNotify; closing either end
 * ends the waits with STATUS_PORT_DISCONNECTED.  Server and client ports
 * each keep a reference on the filter until they are closed, so a port
 * left open makes the unload hang and names itself.
 */
#include "fltp.h"
#include <string.h>
#include <strings.h>

#define FLTP_MISC_PORT 10
#define FLTP_CLIENT_MAGIC 0x746c4346u /* 'FClt' */

typedef struct FLTP_PORT {
    ULONG Magic;
    PFLT_FILTER Filter;
    const char *Name;
    PVOID Cookie;
    PFLT_CONNECT_NOTIFY Connect;
    PFLT_DISCONNECT_NOTIFY Disconnect;
    PFLT_MESSAGE_NOTIFY Message;
    LONG MaxConnections;
    LONG Connections;            /* client ports the user side has not closed */
    LIST_ENTRY Clients;          /* FLTP_CLIENT_PORT.ServerLinks: every client port still in existence */
    BOOLEAN Closed;
    const char *File;
    ULONG Line;
} FLTP_PORT;

#define FLTP_PORT_MAGIC 0x74724f46u /* 'FOrt' */

/* A message in flight; it lives on the sender's stack while it waits. */
typedef struct FLTP_MESSAGE {
    LIST_ENTRY Links;            /* the port's Queue, then Taken while a reply is awaited */
    ULONGLONG MessageId;
    PVOID Data;
    ULONG Length;
    PVOID ReplyBuffer;           /* NULL: no reply awaited */
    ULONG ReplyCapacity;
    ULONG ReplyLength;
    BOOLEAN Taken;
    BOOLEAN Replied;
} FLTP_MESSAGE;

/* A user thread waiting in FilterGetMessage. */
typedef struct FLTP_GETTER {
    LIST_ENTRY Links;
    PVOID Buffer;
    ULONG Capacity;
    ULONG Length;                /* the message's full length */
    ULONGLONG MessageId;
    BOOLEAN Filled;
} FLTP_GETTER;

/* The client port: the connection object the process has a handle to. */
typedef struct FLTP_CLIENT_PORT {
    ULONG Magic;
    LIST_ENTRY ServerLinks;
    FLTP_PORT *Server;
    PFLT_FILTER Filter;
    PVOID ConnectionCookie;
    ULONG ProcessId;             /* the connecting process (it may exit before the port closes) */
    const char *ImageName;
    BOOLEAN FilterClosed;        /* FltCloseClientPort */
    BOOLEAN UserClosed;          /* the process's handle is closed */
    BOOLEAN DisconnectNotified;  /* DisconnectNotify has run (handle closed, or the filter unloading) */
    LIST_ENTRY Queue;            /* FLTP_MESSAGE sent, not taken yet */
    LIST_ENTRY Taken;            /* FLTP_MESSAGE taken, a reply awaited */
    LIST_ENTRY Getters;          /* FLTP_GETTER */
    ULONGLONG NextMessageId;
} FLTP_CLIENT_PORT;

static BOOLEAN FltpClientOpen(FLTP_CLIENT_PORT *C)
{
    return !C->FilterClosed && !C->UserClosed;
}

static const char *FltpPortLabel(FLTP_CLIENT_PORT *C)
{
    return KiFormat("port %s of %s, connected by process %u (%s)", C->Server->Name, C->Filter->ImageName,
                    (unsigned)C->ProcessId, C->ImageName);
}

/* ------------------------------------------------------------------------ */
/* Server ports                                                             */
/* ------------------------------------------------------------------------ */

NTSTATUS FLTAPI FltCreateCommunicationPort(PFLT_FILTER Filter, PFLT_PORT *ServerPort, POBJECT_ATTRIBUTES ObjectAttributes,
                                           PVOID ServerPortCookie, PFLT_CONNECT_NOTIFY ConnectNotifyCallback,
                                           PFLT_DISCONNECT_NOTIFY DisconnectNotifyCallback,
                                           PFLT_MESSAGE_NOTIFY MessageNotifyCallback, LONG MaxConnections)
{
    struct FLTP_STATE *S = FltpState();
    KiRequireIrql(PASSIVE_LEVEL, "FltCreateCommunicationPort");
    FltpCheckFilter(Filter, "FltCreateCommunicationPort");
    if (ServerPort == NULL || ObjectAttributes == NULL || ObjectAttributes->ObjectName == NULL ||
        ConnectNotifyCallback == NULL || DisconnectNotifyCallback == NULL || MaxConnections <= 0)
        return STATUS_INVALID_PARAMETER;
    *ServerPort = NULL;
    if (Filter->Unregistering || Filter->Unregistered)
        return STATUS_FLT_DELETING_OBJECT;
    const char *Name = KiUnicodeToUtf8(ObjectAttributes->ObjectName);
    for (PLIST_ENTRY E = S->Misc.Flink; E != &S->Misc; E = E->Flink) {
        FLTP_MISC *M = CONTAINING_RECORD(E, FLTP_MISC, Links);
        if (M->Kind == FLTP_MISC_PORT && !((FLTP_PORT *)(M + 1))->Closed &&
            strcasecmp(((FLTP_PORT *)(M + 1))->Name, Name) == 0)
            return STATUS_OBJECT_NAME_COLLISION;
    }
    FLTP_PORT *P = FltpAllocMisc(sizeof(FLTP_PORT), FLTP_MISC_PORT);
    P->Magic = FLTP_PORT_MAGIC;
    P->Filter = Filter;
    P->Name = Name;
    P->Cookie = ServerPortCookie;
    P->Connect = ConnectNotifyCallback;
    P->Disconnect = DisconnectNotifyCallback;
    P->Message = MessageNotifyCallback;
    P->MaxConnections = MaxConnections;
    InitializeListHead(&P->Clients);
    P->File = FltpCallFile();
    P->Line = FltpCallLine();
    /* An open server port keeps a reference on the filter (rundown). */
    Filter->References++;
    Filter->ReferenceFile = P->File;
    Filter->ReferenceLine = P->Line;
    *ServerPort = (PFLT_PORT)P;
    return STATUS_SUCCESS;
}

/* Closing the server port stops new connections; connected client ports
 * stay until they are closed. */
VOID FLTAPI FltCloseCommunicationPort(PFLT_PORT ServerPort)
{
    KiRequireIrql(PASSIVE_LEVEL, "FltCloseCommunicationPort");
    FLTP_PORT *P = (FLTP_PORT *)ServerPort;
    if (P == NULL || P->Magic != FLTP_PORT_MAGIC || P->Closed) {
        KiReportSetRootCause("FltCloseCommunicationPort on a port that is not open");
        KeBugCheckEx(0x1E /* KMODE_EXCEPTION_NOT_HANDLED */, (ULONG_PTR)STATUS_ACCESS_VIOLATION, 0, 0,
                     (ULONG_PTR)MiSyntheticAddress(ServerPort));
    }
    P->Closed = TRUE;
    if (P->Filter->References > 0)
        P->Filter->References--;
    /* The block stays (client ports point to it) until machine teardown. */
}

/* ------------------------------------------------------------------------ */
/* Connections: the user side (called by the host's simulated processes)    */
/* ------------------------------------------------------------------------ */

NTSTATUS FltpConnectPort(struct _EPROCESS *Process, const char *Name, PVOID Context, ULONG ContextLength,
                         HANDLE *Handle)
{
    struct FLTP_STATE *S = FltpState();
    FLTP_PORT *P = NULL;
    NTSTATUS Status;
    *Handle = NULL;
    KiRequireIrql(PASSIVE_LEVEL, "FilterConnectCommunicationPort");
    for (PLIST_ENTRY E = S ? S->Misc.Flink : NULL; S && E != &S->Misc; E = E->Flink) {
        FLTP_MISC *M = CONTAINING_RECORD(E, FLTP_MISC, Links);
        FLTP_PORT *Candidate = (FLTP_PORT *)(M + 1);
        if (M->Kind == FLTP_MISC_PORT && !Candidate->Closed && strcasecmp(Candidate->Name, Name) == 0)
            P = Candidate;
    }
    if (P == NULL)
        return STATUS_OBJECT_NAME_NOT_FOUND;
    if (P->Connections >= P->MaxConnections)
        return STATUS_CONNECTION_COUNT_LIMIT;
    FLTP_CLIENT_PORT *C = ObpCreateObject(FltpClientPortType, sizeof(FLTP_CLIENT_PORT), NULL);
    C->Magic = FLTP_CLIENT_MAGIC;
    C->Server = P;
    C->Filter = P->Filter;
    C->ProcessId = (ULONG)(ULONG_PTR)PsGetProcessId(Process);
    C->ImageName = KiSaveString(PsGetProcessImageFileName(Process));
    InitializeListHead(&C->Queue);
    InitializeListHead(&C->Taken);
    InitializeListHead(&C->Getters);
    InsertTailList(&P->Clients, &C->ServerLinks);
    {
        /* ConnectNotify runs in the connecting thread at PASSIVE_LEVEL. */
        PVOID Cookie = NULL;
        KI_FRAME_SCOPE("FLTMGR", "FltpOpenCommunicationPort", 0xa0);
        KI_DRIVER_FRAME_SCOPE(P->Connect);
        Status = P->Connect((PFLT_PORT)C, P->Cookie, Context, ContextLength, &Cookie);
        C->ConnectionCookie = Cookie;
    }
    if (!NT_SUCCESS(Status)) {
        C->FilterClosed = C->UserClosed = TRUE;
        ObfDereferenceObject(C);
        return Status;
    }
    /* The client port keeps a reference on the filter until FltCloseClientPort. */
    P->Connections++;
    P->Filter->References++;
    P->Filter->ReferenceFile = P->File;
    P->Filter->ReferenceLine = P->Line;
    /* The creation reference is the filter's client port; the handle takes its own. */
    return ObpInsertHandle(Process, C, FILE_READ_DATA | FILE_WRITE_DATA, FALSE, Handle);
}

/* The handle's last close: the user side disconnects. */
void FltpCloseClientPortObject(PVOID Object, ULONG HandleCount, struct _EPROCESS *Process)
{
    FLTP_CLIENT_PORT *C = Object;
    (void)Process;
    if (HandleCount != 0 || C->UserClosed)
        return;
    C->UserClosed = TRUE;
    C->Server->Connections--;
    KiWakeChannel(C); /* senders and getters see the disconnect */
    if (!C->FilterClosed && !C->DisconnectNotified) {
        C->DisconnectNotified = TRUE;
        KI_FRAME_SCOPE("FLTMGR", "FltpClosePortHandle", 0x60);
        KI_DRIVER_FRAME_SCOPE(C->Server->Disconnect);
        C->Server->Disconnect(C->ConnectionCookie);
    }
}

/* The object's last reference: off its server port's list. */
void FltpDeleteClientPortObject(PVOID Object)
{
    FLTP_CLIENT_PORT *C = Object;
    RemoveEntryList(&C->ServerLinks);
    C->Magic = 0;
}

/* FltUnregisterFilter: FltMgr calls DisconnectNotify for every client port
 * the filter still has open (the filter is expected to close it there). */
void FltpDisconnectClientPorts(PFLT_FILTER Filter)
{
    struct FLTP_STATE *S = FltpState();
    BOOLEAN Again = TRUE;
    while (Again) {
        Again = FALSE;
        for (PLIST_ENTRY E = S->Misc.Flink; E != &S->Misc && !Again; E = E->Flink) {
            FLTP_MISC *M = CONTAINING_RECORD(E, FLTP_MISC, Links);
            FLTP_PORT *P = (FLTP_PORT *)(M + 1);
            if (M->Kind != FLTP_MISC_PORT || P->Filter != Filter)
                continue;
            for (PLIST_ENTRY L = P->Clients.Flink; L != &P->Clients; L = L->Flink) {
                FLTP_CLIENT_PORT *C = CONTAINING_RECORD(L, FLTP_CLIENT_PORT, ServerLinks);
                if (C->FilterClosed || C->DisconnectNotified)
                    continue;
                C->DisconnectNotified = TRUE;
                {
                    KI_DRIVER_FRAME_SCOPE(P->Disconnect);
                    P->Disconnect(C->ConnectionCookie); /* may close (and free) C */
                }
                Again = TRUE; /* the lists may have changed: look again */
                break;
            }
        }
    }
}

/* The rundown report: each port that still holds a reference on Filter. */
ULONG FltpForEachOpenPort(PFLT_FILTER Filter, FLTP_PORT_LEAK_FN *Fn, void *Context)
{
    struct FLTP_STATE *S = FltpState();
    ULONG References = 0;
    for (PLIST_ENTRY E = S->Misc.Flink; E != &S->Misc; E = E->Flink) {
        FLTP_MISC *M = CONTAINING_RECORD(E, FLTP_MISC, Links);
        FLTP_PORT *P = (FLTP_PORT *)(M + 1);
        if (M->Kind != FLTP_MISC_PORT || P->Filter != Filter)
            continue;
        if (!P->Closed) {
            Fn(Context, "CommunicationPort", P, P->File, P->Line,
               KiFormat("communication server port %s (FltCloseCommunicationPort is never called), port", P->Name));
            References++;
        }
        for (PLIST_ENTRY L = P->Clients.Flink; L != &P->Clients; L = L->Flink) {
            FLTP_CLIENT_PORT *C = CONTAINING_RECORD(L, FLTP_CLIENT_PORT, ServerLinks);
            if (C->FilterClosed)
                continue;
            Fn(Context, "ClientPort", C, P->File, P->Line,
               KiFormat("client %s, still open (FltCloseClientPort is never called; DisconnectNotify, which FltMgr "
                        "called, should close it), port", FltpPortLabel(C)));
            References++;
        }
    }
    return References;
}

static FLTP_CLIENT_PORT *FltpClientFromHandle(HANDLE Handle)
{
    FLTP_CLIENT_PORT *C;
    if (!NT_SUCCESS(ObReferenceObjectByHandle(Handle, 0, FltpClientPortType, UserMode, (PVOID *)&C, NULL)))
        return NULL;
    return C;
}

typedef struct FLTP_GET_WAIT {
    FLTP_GETTER *Getter;
    FLTP_CLIENT_PORT *Port;
} FLTP_GET_WAIT;

static BOOLEAN FltpGetReady(void *Context)
{
    FLTP_GET_WAIT *W = Context;
    return W->Getter->Filled || !FltpClientOpen(W->Port);
}

/* Hands Message to Getter: the data is copied, the message is taken. */
static void FltpDeliver(FLTP_CLIENT_PORT *C, FLTP_MESSAGE *Message, FLTP_GETTER *Getter)
{
    memcpy(Getter->Buffer, Message->Data, Message->Length < Getter->Capacity ? Message->Length : Getter->Capacity);
    Getter->Length = Message->Length;
    Getter->MessageId = Message->MessageId;
    Getter->Filled = TRUE;
    Message->Taken = TRUE;
    if (Message->ReplyBuffer != NULL)
        InsertTailList(&C->Taken, &Message->Links);
    KiWakeChannel(C);
}

NTSTATUS FltpGetMessage(HANDLE Handle, PVOID Buffer, ULONG Capacity, PULONG Length, PULONGLONG MessageId)
{
    FLTP_CLIENT_PORT *C = FltpClientFromHandle(Handle);
    FLTP_GETTER G;
    NTSTATUS Status = STATUS_SUCCESS;
    if (C == NULL)
        return STATUS_INVALID_HANDLE;
    memset(&G, 0, sizeof(G));
    G.Buffer = Buffer;
    G.Capacity = Capacity;
    if (!IsListEmpty(&C->Queue)) {
        FLTP_MESSAGE *M = CONTAINING_RECORD(RemoveHeadList(&C->Queue), FLTP_MESSAGE, Links);
        FltpDeliver(C, M, &G);
    } else if (FltpClientOpen(C)) {
        FLTP_GET_WAIT W = {&G, C};
        InsertTailList(&C->Getters, &G.Links);
        KiWaitChannel(C, FltpGetReady, &W,
                      KiFormat("a message on %s (FilterGetMessage)", FltpPortLabel(C)), -1);
        if (!G.Filled)
            RemoveEntryList(&G.Links);
    }
    if (!G.Filled)
        Status = STATUS_PORT_DISCONNECTED;
    *Length = G.Length;
    *MessageId = G.MessageId;
    ObfDereferenceObject(C);
    return Status;
}

/* FilterSendMessage: the filter's MessageNotify, in the caller's thread,
 * with the caller's (user-mode) buffers - the filter must probe them. */
NTSTATUS FltpSendToFilter(HANDLE Handle, PVOID Input, ULONG InputLength, PVOID Output, ULONG OutputLength,
                          PULONG Returned)
{
    FLTP_CLIENT_PORT *C = FltpClientFromHandle(Handle);
    NTSTATUS Status;
    *Returned = 0;
    if (C == NULL)
        return STATUS_INVALID_HANDLE;
    KiRequireIrql(PASSIVE_LEVEL, "FilterSendMessage");
    if (!FltpClientOpen(C)) {
        Status = STATUS_PORT_DISCONNECTED;
    } else if (C->Server->Message == NULL) {
        Status = STATUS_INVALID_DEVICE_REQUEST; /* the filter registered no MessageNotify */
    } else {
        ULONG Length = 0;
        KI_FRAME_SCOPE("FLTMGR", "FltpFilterMessage", 0x80);
        {
            KI_DRIVER_FRAME_SCOPE(C->Server->Message);
            Status = C->Server->Message(C->ConnectionCookie, Input, InputLength, Output, OutputLength, &Length);
        }
        *Returned = Length;
    }
    ObfDereferenceObject(C);
    return Status;
}

NTSTATUS FltpReplyMessage(HANDLE Handle, ULONGLONG MessageId, PVOID Reply, ULONG ReplyLength)
{
    FLTP_CLIENT_PORT *C = FltpClientFromHandle(Handle);
    NTSTATUS Status = STATUS_FLT_NO_WAITER_FOR_REPLY;
    if (C == NULL)
        return STATUS_INVALID_HANDLE;
    for (PLIST_ENTRY E = C->Taken.Flink; E != &C->Taken; E = E->Flink) {
        FLTP_MESSAGE *M = CONTAINING_RECORD(E, FLTP_MESSAGE, Links);
        if (M->MessageId != MessageId)
            continue;
        RemoveEntryList(&M->Links);
        M->ReplyLength = ReplyLength < M->ReplyCapacity ? ReplyLength : M->ReplyCapacity;
        memcpy(M->ReplyBuffer, Reply, M->ReplyLength);
        M->Replied = TRUE;
        KiWakeChannel(C);
        Status = ReplyLength <= M->ReplyCapacity ? STATUS_SUCCESS : STATUS_BUFFER_OVERFLOW;
        break;
    }
    ObfDereferenceObject(C);
    return Status;
}

/* ------------------------------------------------------------------------ */
/* The filter's side of a connection                                        */
/* ------------------------------------------------------------------------ */

static FLTP_CLIENT_PORT *FltpCheckClient(PFLT_PORT Port, const char *Routine)
{
    FLTP_CLIENT_PORT *C = (FLTP_CLIENT_PORT *)Port;
    if (C != NULL && C->Magic != FLTP_CLIENT_MAGIC) {
        KiReportSetRootCause(KiFormat("%s with something that is not a client port (a freed or stale pointer)",
                                      Routine));
        KeBugCheckEx(0x1E /* KMODE_EXCEPTION_NOT_HANDLED */, (ULONG_PTR)STATUS_ACCESS_VIOLATION, 0, 0,
                     (ULONG_PTR)MiSyntheticAddress(Port));
    }
    return C;
}

VOID FLTAPI FltCloseClientPort(PFLT_FILTER Filter, PFLT_PORT *ClientPort)
{
    KiRequireIrql(PASSIVE_LEVEL, "FltCloseClientPort");
    FltpCheckFilter(Filter, "FltCloseClientPort");
    if (ClientPort == NULL || *ClientPort == NULL)
        return;
    FLTP_CLIENT_PORT *C = FltpCheckClient(*ClientPort, "FltCloseClientPort");
    *ClientPort = NULL;
    if (C->FilterClosed)
        return;
    C->FilterClosed = TRUE;
    if (C->Filter->References > 0)
        C->Filter->References--;
    KiWakeChannel(C); /* senders and getters see the disconnect */
    ObfDereferenceObject(C); /* the filter's reference */
}

typedef struct FLTP_SEND_WAIT {
    FLTP_MESSAGE *Message;
    FLTP_CLIENT_PORT *Port;
} FLTP_SEND_WAIT;

static BOOLEAN FltpSendReady(void *Context)
{
    FLTP_SEND_WAIT *W = Context;
    if (!FltpClientOpen(W->Port))
        return TRUE;
    return W->Message->ReplyBuffer != NULL ? W->Message->Replied : W->Message->Taken;
}

NTSTATUS FLTAPI FltSendMessage(PFLT_FILTER Filter, PFLT_PORT *ClientPort, PVOID SenderBuffer, ULONG SenderBufferLength,
                               PVOID ReplyBuffer, PULONG ReplyLength, PLARGE_INTEGER Timeout)
{
    FLTP_MESSAGE M;
    KiRequireIrql(APC_LEVEL, "FltSendMessage");
    FltpCheckFilter(Filter, "FltSendMessage");
    if (SenderBuffer == NULL || (ReplyBuffer != NULL && ReplyLength == NULL))
        return STATUS_INVALID_PARAMETER;
    FLTP_CLIENT_PORT *C = ClientPort != NULL ? FltpCheckClient(*ClientPort, "FltSendMessage") : NULL;
    if (C == NULL || !FltpClientOpen(C))
        return STATUS_PORT_DISCONNECTED;
    KI_FRAME_SCOPE("FLTMGR", "FltSendMessage", 0x90);
    memset(&M, 0, sizeof(M));
    M.MessageId = ++C->NextMessageId;
    M.Data = SenderBuffer;
    M.Length = SenderBufferLength;
    M.ReplyBuffer = ReplyBuffer;
    M.ReplyCapacity = ReplyBuffer != NULL ? *ReplyLength : 0;
    ObfReferenceObject(C); /* across the wait */
    if (!IsListEmpty(&C->Getters)) {
        /* a user thread is already waiting for a message: delivered now */
        FLTP_GETTER *G = CONTAINING_RECORD(RemoveHeadList(&C->Getters), FLTP_GETTER, Links);
        FltpDeliver(C, &M, G);
    } else {
        InsertTailList(&C->Queue, &M.Links);
    }
    FLTP_SEND_WAIT W = {&M, C};
    LARGE_INTEGER Now;
    LONGLONG Deadline = -1;
    if (Timeout != NULL) {
        if (Timeout->QuadPart <= 0) {
            Deadline = KiMachine->InterruptTime - Timeout->QuadPart;
        } else {
            KeQuerySystemTimePrecise(&Now);
            Deadline = KiMachine->InterruptTime + (Timeout->QuadPart > Now.QuadPart ? Timeout->QuadPart - Now.QuadPart : 0);
        }
    }
    NTSTATUS Status = KiWaitChannel(
        C, FltpSendReady, &W,
        KiFormat("%s to message %llu on %s (FltSendMessage%s)",
                 ReplyBuffer != NULL ? "a reply" : "the user side to take", (unsigned long long)M.MessageId,
                 FltpPortLabel(C), Timeout == NULL ? ", no timeout" : ""),
        Deadline);
    if (M.Replied) {
        *ReplyLength = M.ReplyLength;
        Status = STATUS_SUCCESS;
    } else if (ReplyBuffer == NULL && M.Taken) {
        Status = STATUS_SUCCESS;
    } else {
        if (!M.Taken || ReplyBuffer != NULL)
            RemoveEntryList(&M.Links); /* still queued, or taken and awaiting a reply */
        Status = FltpClientOpen(C) ? STATUS_TIMEOUT : STATUS_PORT_DISCONNECTED;
    }
    ObfDereferenceObject(C);
    return Status;
}
