/*
 * smb2_ops.c - mrxsmb / mrxsmb20: the mini-redirector's routines that RDBSS
 * calls (its MINIRDR_DISPATCH): the shell's SmbShellRead / SmbShellWrite and
 * mrxsmb20's SMB2 operations - tree connect for a NET_ROOT, create, close
 * (sent on its own), read, write, query and set file information, query
 * security, query directory.  Each builds one exchange (Start routine:
 * the request; Finish routine: the reply, copied into the IRP's locked
 * buffer where there is data, then RxCompleteAsynchronousRequest or
 * RxLowIoCompletion).
 */
#include "mrxsmb.h"

#define SMB2_FRAME(Function) KI_FRAME_SCOPE("mrxsmb20", Function, 0x60)

static ULONG Smb2TreeId(PRX_CONTEXT C)
{
    return C->pNetRoot ? (ULONG)C->pNetRoot->Context : 0;
}

static ULONGLONG Smb2FileId(PRX_CONTEXT C)
{
    return C->pSrvOpen ? C->pSrvOpen->Context : 0;
}

VOID MRxSmbFileInfoFromWire(PRX_FILE_INFO Out, const SMBW_FILE_INFO *In)
{
    Out->CreationTime = In->CreationTime;
    Out->LastAccessTime = In->LastAccessTime;
    Out->LastWriteTime = In->LastWriteTime;
    Out->ChangeTime = In->ChangeTime;
    Out->AllocationSize = In->AllocationSize;
    Out->EndOfFile = In->EndOfFile;
    Out->IndexNumber.QuadPart = (LONGLONG)In->IndexNumber;
    Out->FileAttributes = In->FileAttributes;
    Out->NumberOfLinks = In->NumberOfLinks;
    Out->DeletePending = In->DeletePending;
    Out->Directory = In->Directory;
}

/* Starts an exchange for RxContext, or fails without sending. */
static NTSTATUS Smb2Exchange(PRX_CONTEXT C, USHORT Command, ULONG RequestData, ULONG ReplyData, PCSTR StartName,
                             PSMB_EXCHANGE_START Start, PCSTR FinishName, PSMB_EXCHANGE_FINISH Finish)
{
    PSMB_EXCHANGE X = SmbCeCreateExchange(MRxSmbGetDevice(C), C, Command, Smb2TreeId(C), RequestData, ReplyData,
                                          StartName, Start, FinishName, Finish);
    if (X == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    return SmbCeInitiateExchange(X);
}

/* Copies a reply's data into the IRP's buffer (the locked MDL's system mapping). */
static NTSTATUS Smb2CopyOut(PRX_CONTEXT C, const SMBW_MESSAGE *Reply, ULONG Room, ULONG *Copied)
{
    ULONG Count = Reply->Header.DataLength < Room ? Reply->Header.DataLength : Room;
    *Copied = 0;
    if (Count == 0)
        return STATUS_SUCCESS;
    PVOID Buffer = RxMapSystemBuffer(C);
    if (Buffer == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    RtlCopyMemory(Buffer, SmbwData(Reply), Count);
    *Copied = Count;
    return STATUS_SUCCESS;
}

/* --- tree connect ------------------------------------------------------------------- */

static NTSTATUS Smb2TreeConnect_Start(PSMB_EXCHANGE X)
{
    PRX_CONTEXT C = X->RxContext;
    RtlCopyMemory(SmbwData(X->Request), C->Create.PathName.Buffer, C->Create.PathName.Length);
    return SmbCseSubmitBufferContext(X);
}

static VOID Smb2TreeConnect_Finish(PSMB_EXCHANGE X, NTSTATUS Status, const SMBW_MESSAGE *Reply)
{
    PRX_CONTEXT C = X->RxContext;
    if (NT_SUCCESS(Status)) {
        C->Create.NetRootContext = Reply->u.TreeConnect.TreeId;
        C->Create.ShareFlags = ((Reply->u.TreeConnect.ShareFlags & SMBW_SHARE_CSC) ? NETROOT_FLAG_CSC : 0) |
                               ((Reply->u.TreeConnect.ShareFlags & SMBW_SHARE_CACHING) ? NETROOT_FLAG_CACHING : 0);
    }
    RxCompleteAsynchronousRequest(C, Status, 0);
}

static NTSTATUS MRxSmb2CreateVNetRoot(PRX_CONTEXT C)
{
    SMB2_FRAME("MRxSmb2CreateVNetRoot");
    return Smb2Exchange(C, SMBW_TREE_CONNECT, C->Create.PathName.Length, 0, "Smb2TreeConnect_Start",
                        Smb2TreeConnect_Start, "Smb2TreeConnect_Finish", Smb2TreeConnect_Finish);
}

/* --- create / close ------------------------------------------------------------------ */

static NTSTATUS Smb2Create_Start(PSMB_EXCHANGE X)
{
    PRX_CONTEXT C = X->RxContext;
    X->Request->u.Create.DesiredAccess = C->Create.DesiredAccess;
    X->Request->u.Create.FileAttributes = C->Create.FileAttributes;
    X->Request->u.Create.ShareAccess = C->Create.ShareAccess;
    X->Request->u.Create.Disposition = C->Create.Disposition;
    X->Request->u.Create.Options = C->Create.CreateOptions;
    X->Request->u.Create.CreateFlags = C->Create.OpenTarget ? SMBW_CREATE_OPEN_TARGET : 0;
    RtlCopyMemory(SmbwData(X->Request), C->Create.PathName.Buffer, C->Create.PathName.Length);
    return SmbCseSubmitBufferContext(X);
}

static VOID Smb2Create_Finish(PSMB_EXCHANGE X, NTSTATUS Status, const SMBW_MESSAGE *Reply)
{
    PRX_CONTEXT C = X->RxContext;
    ULONG_PTR Information = 0;
    if (NT_SUCCESS(Status)) {
        C->Create.SrvOpenContext = Reply->u.Create.FileId;
        C->Create.CreateAction = Reply->u.Create.CreateAction;
        C->Create.GrantedAccess = Reply->u.Create.DesiredAccess;
        MRxSmbFileInfoFromWire(&C->Info.FileInfo, &Reply->u.Create.Info);
        C->Flags |= RX_CONTEXT_FLAG_FILE_INFO_VALID;
        Information = Reply->u.Create.CreateAction;
    }
    RxCompleteAsynchronousRequest(C, Status, Information);
}

static NTSTATUS MRxSmb2Create(PRX_CONTEXT C)
{
    SMB2_FRAME("MRxSmb2Create");
    return Smb2Exchange(C, SMBW_CREATE, C->Create.PathName.Length, 0, "Smb2Create_Start", Smb2Create_Start,
                        "Smb2Create_Finish", Smb2Create_Finish);
}

static NTSTATUS Smb2Close_Start(PSMB_EXCHANGE X)
{
    X->Request->u.Close.FileId = X->FileId;
    return SmbCseSubmitBufferContext(X);
}

static VOID Smb2Close_Finish(PSMB_EXCHANGE X, NTSTATUS Status, const SMBW_MESSAGE *Reply)
{
    /* Nobody waits for a close: a failure only means the handle is gone already. */
    UNREFERENCED_PARAMETER(X);
    UNREFERENCED_PARAMETER(Status);
    UNREFERENCED_PARAMETER(Reply);
}

static NTSTATUS MRxSmb2CloseSrvOpen(PRX_CONTEXT C, PSRV_OPEN SrvOpen)
{
    SMB2_FRAME("MRxSmb2CloseSrvOpen");
    PSMB_EXCHANGE X = SmbCeCreateExchange(MRxSmbGetDevice(C), NULL, SMBW_CLOSE, Smb2TreeId(C), 0, 0,
                                          "Smb2Close_Start", Smb2Close_Start, "Smb2Close_Finish", Smb2Close_Finish);
    if (X == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    X->FileId = SrvOpen->Context;
    (void)SmbCeInitiateExchange(X);
    return STATUS_SUCCESS;
}

/* --- read / write ----------------------------------------------------------------------- */

static NTSTATUS Smb2Read_Start(PSMB_EXCHANGE X)
{
    PRX_CONTEXT C = X->RxContext;
    X->Request->u.Read.FileId = Smb2FileId(C);
    X->Request->u.Read.Offset = C->LowIoContext.ReadWrite.ByteOffset;
    X->Request->u.Read.Length = C->LowIoContext.ReadWrite.ByteCount;
    return SmbCseSubmitBufferContext(X);
}

static VOID Smb2Read_Finish(PSMB_EXCHANGE X, NTSTATUS Status, const SMBW_MESSAGE *Reply)
{
    PRX_CONTEXT C = X->RxContext;
    ULONG Count = 0;
    if (NT_SUCCESS(Status)) {
        Count = Reply->Header.DataLength < C->LowIoContext.ReadWrite.ByteCount ? Reply->Header.DataLength
                                                                                : C->LowIoContext.ReadWrite.ByteCount;
        if (Count != 0) {
            PVOID Buffer = MmGetSystemAddressForMdlSafe(C->LowIoContext.ReadWrite.Buffer, NormalPagePriority);
            if (Buffer == NULL) {
                Status = STATUS_INSUFFICIENT_RESOURCES;
                Count = 0;
            } else {
                RtlCopyMemory(Buffer, SmbwData(Reply), Count);
            }
        }
    }
    RxLowIoCompletion(C, Status, Count);
}

static NTSTATUS MRxSmb2Read(PRX_CONTEXT C)
{
    SMB2_FRAME("MRxSmb2Read");
    return Smb2Exchange(C, SMBW_READ, 0, C->LowIoContext.ReadWrite.ByteCount, "Smb2Read_Start", Smb2Read_Start,
                        "Smb2Read_Finish", Smb2Read_Finish);
}

static NTSTATUS SmbShellRead(PRX_CONTEXT C)
{
    KI_FRAME_SCOPE("mrxsmb", "SmbShellRead", 0x30);
    return MRxSmb2Read(C);
}

static NTSTATUS Smb2Write_Start(PSMB_EXCHANGE X)
{
    PRX_CONTEXT C = X->RxContext;
    ULONG Count = C->LowIoContext.ReadWrite.ByteCount;
    PVOID Data = MmGetSystemAddressForMdlSafe(C->LowIoContext.ReadWrite.Buffer, NormalPagePriority);
    if (Data == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    X->Request->u.Write.FileId = Smb2FileId(C);
    X->Request->u.Write.Offset =
        C->LowIoContext.ReadWrite.ByteOffset < 0 ? SMBW_WRITE_APPEND : C->LowIoContext.ReadWrite.ByteOffset;
    X->Request->u.Write.Length = Count;
    RtlCopyMemory(SmbwData(X->Request), Data, Count);
    return SmbCseSubmitBufferContext(X);
}

static VOID Smb2Write_Finish(PSMB_EXCHANGE X, NTSTATUS Status, const SMBW_MESSAGE *Reply)
{
    PRX_CONTEXT C = X->RxContext;
    ULONG Count = 0;
    if (NT_SUCCESS(Status)) {
        Count = Reply->u.Write.Written;
        C->Info.FileInfo.EndOfFile = Reply->u.Write.EndOfFile;
        C->Flags |= RX_CONTEXT_FLAG_FILE_INFO_VALID;
    }
    RxLowIoCompletion(C, Status, Count);
}

static NTSTATUS MRxSmb2Write(PRX_CONTEXT C)
{
    SMB2_FRAME("MRxSmb2Write");
    return Smb2Exchange(C, SMBW_WRITE, C->LowIoContext.ReadWrite.ByteCount, 0, "Smb2Write_Start", Smb2Write_Start,
                        "Smb2Write_Finish", Smb2Write_Finish);
}

static NTSTATUS SmbShellWrite(PRX_CONTEXT C)
{
    KI_FRAME_SCOPE("mrxsmb", "SmbShellWrite", 0x30);
    return MRxSmb2Write(C);
}

/* --- information ------------------------------------------------------------------------ */

static NTSTATUS Smb2QueryInfo_Start(PSMB_EXCHANGE X)
{
    PRX_CONTEXT C = X->RxContext;
    X->Request->u.QueryInfo.FileId = Smb2FileId(C);
    X->Request->u.QueryInfo.InfoType = SMBW_INFO_FILE;
    return SmbCseSubmitBufferContext(X);
}

static VOID Smb2QueryInfo_Finish(PSMB_EXCHANGE X, NTSTATUS Status, const SMBW_MESSAGE *Reply)
{
    PRX_CONTEXT C = X->RxContext;
    if (NT_SUCCESS(Status)) {
        MRxSmbFileInfoFromWire(&C->Info.FileInfo, &Reply->u.QueryInfo.Info);
        C->Flags |= RX_CONTEXT_FLAG_FILE_INFO_VALID;
    }
    RxCompleteAsynchronousRequest(C, Status, 0);
}

static NTSTATUS MRxSmb2QueryFileInfo(PRX_CONTEXT C)
{
    SMB2_FRAME("MRxSmb2QueryFileInfo");
    return Smb2Exchange(C, SMBW_QUERY_INFO, 0, 0, "Smb2QueryInfo_Start", Smb2QueryInfo_Start, "Smb2QueryInfo_Finish",
                        Smb2QueryInfo_Finish);
}

static NTSTATUS Smb2SetInfo_Start(PSMB_EXCHANGE X)
{
    PRX_CONTEXT C = X->RxContext;
    X->Request->u.SetInfo.FileId = Smb2FileId(C);
    X->Request->u.SetInfo.InfoType = SMBW_INFO_FILE;
    X->Request->u.SetInfo.FileInformationClass = (ULONG)C->Info.FileInformationClass;
    RtlCopyMemory(SmbwData(X->Request), C->Info.SetBuffer, C->Info.SetLength);
    return SmbCseSubmitBufferContext(X);
}

static VOID Smb2SetInfo_Finish(PSMB_EXCHANGE X, NTSTATUS Status, const SMBW_MESSAGE *Reply)
{
    PRX_CONTEXT C = X->RxContext;
    if (NT_SUCCESS(Status)) {
        MRxSmbFileInfoFromWire(&C->Info.FileInfo, &Reply->u.SetInfo.Info);
        C->Flags |= RX_CONTEXT_FLAG_FILE_INFO_VALID;
    }
    RxCompleteAsynchronousRequest(C, Status, 0);
}

static NTSTATUS MRxSmb2SetFileInfo(PRX_CONTEXT C)
{
    SMB2_FRAME("MRxSmb2SetFileInfo");
    return Smb2Exchange(C, SMBW_SET_INFO, C->Info.SetLength, 0, "Smb2SetInfo_Start", Smb2SetInfo_Start,
                        "Smb2SetInfo_Finish", Smb2SetInfo_Finish);
}

/* --- security ---------------------------------------------------------------------------- */

static NTSTATUS Smb2QuerySecurity_Start(PSMB_EXCHANGE X)
{
    PRX_CONTEXT C = X->RxContext;
    X->Request->u.QueryInfo.FileId = Smb2FileId(C);
    X->Request->u.QueryInfo.InfoType = SMBW_INFO_SECURITY;
    X->Request->u.QueryInfo.SecurityInformation = C->Info.SecurityInformation;
    X->Request->u.QueryInfo.OutputLength = C->Info.Length;
    return SmbCseSubmitBufferContext(X);
}

static VOID Smb2QuerySecurity_Finish(PSMB_EXCHANGE X, NTSTATUS Status, const SMBW_MESSAGE *Reply)
{
    PRX_CONTEXT C = X->RxContext;
    ULONG_PTR Information = 0;
    if (Reply != NULL && Status == STATUS_BUFFER_OVERFLOW) {
        /* Nothing copied; Information tells the size needed. */
        Information = Reply->u.QueryInfo.OutputLength;
    } else if (NT_SUCCESS(Status)) {
        ULONG Copied;
        Status = Smb2CopyOut(C, Reply, C->Info.Length, &Copied);
        Information = NT_SUCCESS(Status) ? Copied : 0;
    }
    RxCompleteAsynchronousRequest(C, Status, Information);
}

static NTSTATUS MRxSmb2QuerySdInfo(PRX_CONTEXT C)
{
    SMB2_FRAME("MRxSmb2QuerySdInfo");
    return Smb2Exchange(C, SMBW_QUERY_INFO, 0, C->Info.Length, "Smb2QuerySecurity_Start", Smb2QuerySecurity_Start,
                        "Smb2QuerySecurity_Finish", Smb2QuerySecurity_Finish);
}

/* --- directories --------------------------------------------------------------------------- */

static NTSTATUS Smb2QueryDirectory_Start(PSMB_EXCHANGE X)
{
    PRX_CONTEXT C = X->RxContext;
    X->Request->u.QueryDirectory.FileId = Smb2FileId(C);
    X->Request->u.QueryDirectory.FileInformationClass = (ULONG)C->Info.FileInformationClass;
    X->Request->u.QueryDirectory.Flags = (UCHAR)(((C->Info.DirectoryFlags & SL_RESTART_SCAN) ? SMBW_RESTART_SCANS : 0) |
                                                 ((C->Info.DirectoryFlags & SL_RETURN_SINGLE_ENTRY)
                                                      ? SMBW_RETURN_SINGLE_ENTRY
                                                      : 0));
    X->Request->u.QueryDirectory.OutputLength = C->Info.Length;
    if (C->Info.Pattern.Length != 0)
        RtlCopyMemory(SmbwData(X->Request), C->Info.Pattern.Buffer, C->Info.Pattern.Length);
    return SmbCseSubmitBufferContext(X);
}

static VOID Smb2QueryDirectory_Finish(PSMB_EXCHANGE X, NTSTATUS Status, const SMBW_MESSAGE *Reply)
{
    PRX_CONTEXT C = X->RxContext;
    ULONG Copied = 0;
    if (Reply != NULL && (NT_SUCCESS(Status) || Status == STATUS_BUFFER_OVERFLOW)) {
        NTSTATUS Copy = Smb2CopyOut(C, Reply, C->Info.Length, &Copied);
        if (!NT_SUCCESS(Copy))
            Status = Copy;
    }
    RxCompleteAsynchronousRequest(C, Status, Copied);
}

static NTSTATUS MRxSmb2QueryDirectory(PRX_CONTEXT C)
{
    SMB2_FRAME("MRxSmb2QueryDirectory");
    return Smb2Exchange(C, SMBW_QUERY_DIRECTORY, C->Info.Pattern.Length, C->Info.Length, "Smb2QueryDirectory_Start",
                        Smb2QueryDirectory_Start, "Smb2QueryDirectory_Finish", Smb2QueryDirectory_Finish);
}

MINIRDR_DISPATCH MRxSmbDispatch = {
    .NodeTypeCode = RDBSS_NTC_MINIRDR_DISPATCH,
    .NodeByteSize = (CSHORT)sizeof(MINIRDR_DISPATCH),
    .MRxFlags = 0,
    .Name = "mrxsmb",
    .MRxCreateVNetRoot = MRxSmb2CreateVNetRoot,
    .MRxCreate = MRxSmb2Create,
    .MRxCloseSrvOpen = MRxSmb2CloseSrvOpen,
    .MRxLowIOSubmit = {SmbShellRead, SmbShellWrite},
    .MRxQueryFileInfo = MRxSmb2QueryFileInfo,
    .MRxSetFileInfo = MRxSmb2SetFileInfo,
    .MRxQuerySdInfo = MRxSmb2QuerySdInfo,
    .MRxQueryDirectory = MRxSmb2QueryDirectory,
};
