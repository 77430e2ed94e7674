/*
 * rx_create.c - rdbss: IRP_MJ_CREATE (the path below the claimed NET_ROOT,
 * relative opens, the server open through the mini-redirector, then the
 * FCB / SRV_OPEN / FOBX set-up when the answer arrives), IRP_MJ_CLEANUP
 * (share access) and IRP_MJ_CLOSE (the server handle is closed by a round
 * trip that travels on its own; the last close frees the FCB after FltMgr's
 * per-stream contexts are torn down).  Share access is decided by the
 * server; RDBSS records it on the FCB so the file object's access flags are
 * set as on a local file system.
 */
#include "rxp.h"

#ifndef FO_REMOTE_ORIGIN
#define FO_REMOTE_ORIGIN 0x01000000
#endif

/* The NET_ROOT whose name prefixes Name (followed by '\' or the end). */
static PNET_ROOT RxpFindNetRootForPath(PRDBSS_DEVICE D, PCUNICODE_STRING Name, USHORT *PrefixBytes)
{
    for (PLIST_ENTRY E = D->NetRoots.Flink; E != &D->NetRoots; E = E->Flink) {
        PNET_ROOT R = CONTAINING_RECORD(E, NET_ROOT, Links);
        USHORT L = R->Name.Length;
        if (R->Condition != Condition_Good || Name->Length < L)
            continue;
        if (Name->Length > L && Name->Buffer[L / sizeof(WCHAR)] != L'\\')
            continue;
        if (RxpEqualNames(R->Name.Buffer, L, Name->Buffer, L)) {
            *PrefixBytes = L;
            return R;
        }
    }
    return NULL;
}

NTSTATUS RxCommonCreate(PRX_CONTEXT RxContext)
{
    RX_FRAME("RxCommonCreate", 0x1b0);
    PIO_STACK_LOCATION Sp = RxContext->CurrentIrpSp;
    PFILE_OBJECT Fo = Sp->FileObject;
    PRDBSS_DEVICE D = RxContext->RxDevice;
    PNET_ROOT NetRoot = NULL;
    UNICODE_STRING Rest;
    WCHAR *Joined = NULL;
    USHORT JoinedBytes = 0;
    PAGED_CODE();

    /* The context decoded FsContext: a create has none yet. */
    RxContext->pFcb = NULL;
    RxContext->pFobx = NULL;
    RxContext->pSrvOpen = NULL;
    RxContext->pNetRoot = NULL;
    if (Fo == NULL)
        return STATUS_INVALID_PARAMETER;
    if (Sp->Parameters.Create.Options & FILE_OPEN_BY_FILE_ID)
        return STATUS_NOT_SUPPORTED;
    RxContext->Create.Disposition = (Sp->Parameters.Create.Options >> 24) & 0xFF;
    RxContext->Create.CreateOptions = Sp->Parameters.Create.Options & FILE_VALID_OPTION_FLAGS;
    RxContext->Create.ShareAccess = Sp->Parameters.Create.ShareAccess;
    RxContext->Create.FileAttributes = Sp->Parameters.Create.FileAttributes;
    RxContext->Create.DesiredAccess =
        Sp->Parameters.Create.SecurityContext ? Sp->Parameters.Create.SecurityContext->DesiredAccess : 0;

    if (Fo->RelatedFileObject != NULL) {
        PFCB RelatedFcb;
        PFOBX RelatedFobx;
        if (!RxpDecodeFileObject(Fo->RelatedFileObject, &RelatedFcb, &RelatedFobx))
            return STATUS_INVALID_PARAMETER;
        if (Fo->FileName.Length != 0 && Fo->FileName.Buffer[0] == L'\\')
            return STATUS_OBJECT_NAME_INVALID;
        NetRoot = RelatedFcb->NetRoot;
        /* related path + '\' + FileName */
        JoinedBytes = RelatedFcb->PathName.Length;
        if (Fo->FileName.Length != 0)
            JoinedBytes = (USHORT)(JoinedBytes + (JoinedBytes ? sizeof(WCHAR) : 0) + Fo->FileName.Length);
        Joined = ExAllocatePoolWithTag(NonPagedPoolNx, JoinedBytes + sizeof(WCHAR), RX_TAG_NAME);
        if (Joined == NULL)
            return STATUS_INSUFFICIENT_RESOURCES;
        RtlCopyMemory(Joined, RelatedFcb->PathName.Buffer, RelatedFcb->PathName.Length);
        if (Fo->FileName.Length != 0) {
            USHORT At = RelatedFcb->PathName.Length / sizeof(WCHAR);
            if (At != 0)
                Joined[At++] = L'\\';
            RtlCopyMemory(Joined + At, Fo->FileName.Buffer, Fo->FileName.Length);
        }
        Rest.Buffer = Joined;
        Rest.Length = Rest.MaximumLength = JoinedBytes;
    } else {
        USHORT Prefix = 0;
        UNICODE_STRING Name = Fo->FileName;
        /* "\\server\share\..." as well as "\server\share\...". */
        while (Name.Length >= 2 * sizeof(WCHAR) && Name.Buffer[0] == L'\\' && Name.Buffer[1] == L'\\') {
            Name.Buffer++;
            Name.Length -= sizeof(WCHAR);
        }
        ExAcquireFastMutex(&D->TableLock);
        NetRoot = RxpFindNetRootForPath(D, &Name, &Prefix);
        ExReleaseFastMutex(&D->TableLock);
        if (NetRoot == NULL)
            return STATUS_BAD_NETWORK_PATH;
        Rest.Buffer = Name.Buffer + Prefix / sizeof(WCHAR);
        Rest.Length = Rest.MaximumLength = (USHORT)(Name.Length - Prefix);
        if (Rest.Length != 0) {
            /* "\dir\file" -> "dir\file" */
            Rest.Buffer++;
            Rest.Length -= sizeof(WCHAR);
            Rest.MaximumLength = Rest.Length;
        }
    }
    RxContext->pNetRoot = NetRoot;
    BOOLEAN Copied = RxpDuplicateName(&RxContext->Create.PathName, Rest.Buffer, Rest.Length);
    if (Joined != NULL)
        ExFreePoolWithTag(Joined, RX_TAG_NAME);
    if (!Copied)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (Sp->Flags & SL_OPEN_TARGET_DIRECTORY) {
        /* The first half of a rename: the server opens the directory that
         * holds the last component and says whether that one exists. */
        PUNICODE_STRING P = &RxContext->Create.PathName;
        USHORT I = P->Length / sizeof(WCHAR);
        if (I != 0 && P->Buffer[I - 1] == L'\\')
            return STATUS_OBJECT_NAME_INVALID;
        while (I > 0 && P->Buffer[I - 1] != L'\\')
            I--;
        if (P->Length == 0)
            return STATUS_OBJECT_NAME_INVALID;
        RxContext->Create.OpenTarget = TRUE;
        RxContext->Create.FinalOffset = (USHORT)(I * sizeof(WCHAR));
    }
    return RxpCallDownAsync(RxContext, RxpCallDownTable(RxContext)->MRxCreate);
}

/* The FCB of PathName in NetRoot, created if needed (table lock held). */
static PFCB RxpFindOrCreateFcb(PRDBSS_DEVICE D, PNET_ROOT NetRoot, PCUNICODE_STRING PathName, BOOLEAN *Created)
{
    USHORT Bytes = PathName->Length;
    *Created = FALSE;
    /* A trailing backslash names the same entry. */
    if (Bytes != 0 && PathName->Buffer[Bytes / sizeof(WCHAR) - 1] == L'\\')
        Bytes -= sizeof(WCHAR);
    for (PLIST_ENTRY E = NetRoot->Fcbs.Flink; E != &NetRoot->Fcbs; E = E->Flink) {
        PFCB F = CONTAINING_RECORD(E, FCB, NetRootLinks);
        if (RxpEqualNames(F->PathName.Buffer, F->PathName.Length, PathName->Buffer, Bytes))
            return F;
    }
    PFCB F = ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(FCB), RX_TAG_FCB);
    if (F == NULL)
        return NULL;
    RtlZeroMemory(F, sizeof(*F));
    if (!RxpDuplicateName(&F->PathName, PathName->Buffer, Bytes)) {
        ExFreePoolWithTag(F, RX_TAG_FCB);
        return NULL;
    }
    F->Header.NodeTypeCode = RDBSS_NTC_FCB;
    F->Header.NodeByteSize = (CSHORT)sizeof(FCB);
    F->Header.IsFastIoPossible = FastIoIsNotPossible;
    ExInitializeFastMutex(&F->HeaderMutex);
    ExInitializeResourceLite(&F->MainResource);
    ExInitializeResourceLite(&F->PagingIoResource);
    F->Header.Resource = &F->MainResource;
    F->Header.PagingIoResource = &F->PagingIoResource;
    FsRtlSetupAdvancedHeader(&F->Header, &F->HeaderMutex);
    F->NetRoot = NetRoot;
    InitializeListHead(&F->SrvOpens);
    InsertTailList(&NetRoot->Fcbs, &F->NetRootLinks);
    NetRoot->FcbCount++;
    D->FcbCount++;
    *Created = TRUE;
    return F;
}

/* Last close: unlinked from its NET_ROOT (table lock held by the caller). */
static VOID RxpDeleteFcb(PRDBSS_DEVICE D, PFCB F)
{
    RemoveEntryList(&F->NetRootLinks);
    F->NetRoot->FcbCount--;
    D->FcbCount--;
}

static VOID RxpFreeFcb(PFCB F)
{
    /* FltMgr's stream contexts hang off the header: let them go first. */
    FsRtlTeardownPerStreamContexts(&F->Header);
    ExDeleteResourceLite(&F->MainResource);
    ExDeleteResourceLite(&F->PagingIoResource);
    RxpFreeName(&F->PathName);
    F->Header.NodeTypeCode = 0;
    ExFreePoolWithTag(F, RX_TAG_FCB);
}

VOID RxpFinishCreate(PRX_CONTEXT RxContext, NTSTATUS *Status, ULONG_PTR *Information)
{
    RX_FRAME("RxFinishCreate", 0xa0);
    PRDBSS_DEVICE D = RxContext->RxDevice;
    PFILE_OBJECT Fo = RxContext->FileObject;
    PNET_ROOT NetRoot = RxContext->pNetRoot;
    PFCB Fcb;
    PSRV_OPEN SrvOpen;
    PFOBX Fobx;
    BOOLEAN Created;
    if (!NT_SUCCESS(*Status))
        return;
    UNICODE_STRING FcbPath = RxContext->Create.PathName;
    if (RxContext->Create.OpenTarget) {
        /* The FCB is the directory's: the path without its last component. */
        FcbPath.Length = RxContext->Create.FinalOffset;
        if (FcbPath.Length != 0)
            FcbPath.Length -= sizeof(WCHAR);
    }
    SrvOpen = ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(SRV_OPEN), RX_TAG_SRVOPEN);
    Fobx = ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(FOBX), RX_TAG_FOBX);
    ExAcquireFastMutex(&D->TableLock);
    Fcb = (SrvOpen && Fobx) ? RxpFindOrCreateFcb(D, NetRoot, &FcbPath, &Created) : NULL;
    if (Fcb == NULL) {
        ExReleaseFastMutex(&D->TableLock);
        if (SrvOpen != NULL) {
            /* The server opened it: close that handle again. */
            RtlZeroMemory(SrvOpen, sizeof(*SrvOpen));
            SrvOpen->NodeTypeCode = RDBSS_NTC_SRVOPEN;
            SrvOpen->Context = RxContext->Create.SrvOpenContext;
            RxGetMiniRdrDispatch(RxContext)->MRxCloseSrvOpen(RxContext, SrvOpen);
            ExFreePoolWithTag(SrvOpen, RX_TAG_SRVOPEN);
        }
        if (Fobx != NULL)
            ExFreePoolWithTag(Fobx, RX_TAG_FOBX);
        *Status = STATUS_INSUFFICIENT_RESOURCES;
        *Information = 0;
        return;
    }
    RtlZeroMemory(SrvOpen, sizeof(*SrvOpen));
    SrvOpen->NodeTypeCode = RDBSS_NTC_SRVOPEN;
    SrvOpen->NodeByteSize = (CSHORT)sizeof(*SrvOpen);
    SrvOpen->Fcb = Fcb;
    SrvOpen->RefCount = 1;
    SrvOpen->DesiredAccess = RxContext->Create.GrantedAccess;
    SrvOpen->ShareAccess = RxContext->Create.ShareAccess;
    SrvOpen->Context = RxContext->Create.SrvOpenContext;
    InsertTailList(&Fcb->SrvOpens, &SrvOpen->FcbLinks);
    RtlZeroMemory(Fobx, sizeof(*Fobx));
    Fobx->NodeTypeCode = RDBSS_NTC_FOBX;
    Fobx->NodeByteSize = (CSHORT)sizeof(*Fobx);
    Fobx->SrvOpen = SrvOpen;
    Fobx->FileObject = Fo;
    Fcb->OpenCount++;
    Fcb->UncleanCount++;
    RxpCopyFileInfo(Fcb, &RxContext->Info.FileInfo);
    if (Created) {
        IoSetShareAccess(RxContext->Create.GrantedAccess, RxContext->Create.ShareAccess, Fo, &Fcb->ShareAccess);
    } else {
        /* The server already decided: record the file object's accesses
         * (the local check's verdict does not matter) and count them. */
        (void)IoCheckShareAccess(RxContext->Create.GrantedAccess, RxContext->Create.ShareAccess, Fo,
                                 &Fcb->ShareAccess, FALSE);
        IoUpdateShareAccess(Fo, &Fcb->ShareAccess);
    }
    ExReleaseFastMutex(&D->TableLock);
    Fo->FsContext = Fcb;
    Fo->FsContext2 = Fobx;
    Fo->SectionObjectPointer = &Fcb->SectionObjectPointers;
    Fo->PrivateCacheMap = NULL;
    Fo->Flags |= FO_REMOTE_ORIGIN;
    if (!Fcb->Directory && (NetRoot->Flags & NETROOT_FLAG_CACHING))
        Fo->Flags |= FO_CACHE_SUPPORTED;
    if (RxContext->Create.OpenTarget) {
        /* As NTFS does: FileName becomes the last component (for the rename). */
        USHORT Final = (USHORT)(RxContext->Create.PathName.Length - RxContext->Create.FinalOffset);
        RtlMoveMemory(Fo->FileName.Buffer,
                      (PUCHAR)RxContext->Create.PathName.Buffer + RxContext->Create.FinalOffset, Final);
        Fo->FileName.Length = Final;
    }
    *Information = RxContext->Create.CreateAction;
}

NTSTATUS RxCommonCleanup(PRX_CONTEXT RxContext)
{
    RX_FRAME("RxCommonCleanup", 0xd0);
    PFCB Fcb = RxContext->pFcb;
    PRDBSS_DEVICE D = RxContext->RxDevice;
    PAGED_CODE();
    if (Fcb == NULL)
        return STATUS_SUCCESS;
    ExAcquireFastMutex(&D->TableLock);
    IoRemoveShareAccess(RxContext->FileObject, &Fcb->ShareAccess);
    if (Fcb->UncleanCount != 0)
        Fcb->UncleanCount--;
    ExReleaseFastMutex(&D->TableLock);
    /* The file object's cache map goes; the stream's with its last one. */
    (void)CcUninitializeCacheMap(RxContext->FileObject, NULL, NULL);
    RxContext->FileObject->Flags |= FO_CLEANUP_COMPLETE;
    return STATUS_SUCCESS;
}

NTSTATUS RxCommonClose(PRX_CONTEXT RxContext)
{
    RX_FRAME("RxCommonClose", 0x90);
    PFCB Fcb = RxContext->pFcb;
    PFOBX Fobx = RxContext->pFobx;
    PSRV_OPEN SrvOpen = RxContext->pSrvOpen;
    PRDBSS_DEVICE D = RxContext->RxDevice;
    BOOLEAN FreeFcb = FALSE;
    PAGED_CODE();
    if (Fcb == NULL)
        return STATUS_SUCCESS;
    ExAcquireFastMutex(&D->TableLock);
    if (SrvOpen != NULL && --SrvOpen->RefCount == 0) {
        RemoveEntryList(&SrvOpen->FcbLinks);
        ExReleaseFastMutex(&D->TableLock);
        /* The server's handle: closed by a round trip of its own. */
        RxpCallDownTable(RxContext)->MRxCloseSrvOpen(RxContext, SrvOpen);
        ExAcquireFastMutex(&D->TableLock);
        SrvOpen->NodeTypeCode = 0;
        ExFreePoolWithTag(SrvOpen, RX_TAG_SRVOPEN);
    }
    if (--Fcb->OpenCount == 0) {
        RxpDeleteFcb(D, Fcb);
        FreeFcb = TRUE;
    }
    ExReleaseFastMutex(&D->TableLock);
    Fobx->NodeTypeCode = 0;
    ExFreePoolWithTag(Fobx, RX_TAG_FOBX);
    RxContext->FileObject->FsContext = NULL;
    RxContext->FileObject->FsContext2 = NULL;
    RxContext->FileObject->SectionObjectPointer = NULL;
    RxContext->pFcb = NULL;
    RxContext->pFobx = NULL;
    RxContext->pSrvOpen = NULL;
    if (FreeFcb)
        RxpFreeFcb(Fcb);
    return STATUS_SUCCESS;
}
