/*
 * dispatch.c - fltsim FltMgr: the I/O path.  FltpDispatch receives every
 * IRP sent to a frame device, builds the FLT_CALLBACK_DATA, walks the
 * instances' pre-operation callbacks top-down (every FLT_PREOP_* status,
 * PENDING with FltCompletePendedPreOperation), passes the IRP below with a
 * completion routine that runs the post-operation callbacks bottom-up
 * (FLT_POSTOP_MORE_PROCESSING_REQUIRED with FltCompletePendedPostOperation),
 * plus the callback-data inspection routines and FltGetIrpName.
 */
#include "fltp.h"

static NTSTATUS FltpCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context);
static NTSTATUS FltpSynchronizedOperationCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context);
static NTSTATUS FltpPassThroughCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context);
static NTSTATUS FltpRunPre(FLTP_CBD *C);

/* ------------------------------------------------------------------------ */
/* Names                                                                    */
/* ------------------------------------------------------------------------ */

static char FltpIrpNames[][48] = {
    "IRP_MJ_CREATE", "IRP_MJ_CREATE_NAMED_PIPE", "IRP_MJ_CLOSE", "IRP_MJ_READ", "IRP_MJ_WRITE",
    "IRP_MJ_QUERY_INFORMATION", "IRP_MJ_SET_INFORMATION", "IRP_MJ_QUERY_EA", "IRP_MJ_SET_EA",
    "IRP_MJ_FLUSH_BUFFERS", "IRP_MJ_QUERY_VOLUME_INFORMATION", "IRP_MJ_SET_VOLUME_INFORMATION",
    "IRP_MJ_DIRECTORY_CONTROL", "IRP_MJ_FILE_SYSTEM_CONTROL", "IRP_MJ_DEVICE_CONTROL",
    "IRP_MJ_INTERNAL_DEVICE_CONTROL", "IRP_MJ_SHUTDOWN", "IRP_MJ_LOCK_CONTROL", "IRP_MJ_CLEANUP",
    "IRP_MJ_CREATE_MAILSLOT", "IRP_MJ_QUERY_SECURITY", "IRP_MJ_SET_SECURITY", "IRP_MJ_POWER",
    "IRP_MJ_SYSTEM_CONTROL", "IRP_MJ_DEVICE_CHANGE", "IRP_MJ_QUERY_QUOTA", "IRP_MJ_SET_QUOTA", "IRP_MJ_PNP"};

static char FltpPseudoNames[][48] = {
    /* -1 .. -20 */
    "IRP_MJ_ACQUIRE_FOR_SECTION_SYNCHRONIZATION", "IRP_MJ_RELEASE_FOR_SECTION_SYNCHRONIZATION",
    "IRP_MJ_ACQUIRE_FOR_MOD_WRITE", "IRP_MJ_RELEASE_FOR_MOD_WRITE", "IRP_MJ_ACQUIRE_FOR_CC_FLUSH",
    "IRP_MJ_RELEASE_FOR_CC_FLUSH", "IRP_MJ_QUERY_OPEN", "", "", "", "", "", "IRP_MJ_FAST_IO_CHECK_IF_POSSIBLE",
    "IRP_MJ_NETWORK_QUERY_OPEN", "IRP_MJ_MDL_READ", "IRP_MJ_MDL_READ_COMPLETE", "IRP_MJ_PREPARE_MDL_WRITE",
    "IRP_MJ_MDL_WRITE_COMPLETE", "IRP_MJ_VOLUME_MOUNT", "IRP_MJ_VOLUME_DISMOUNT"};

static char FltpUnknownIrpName[] = "IRP_MJ_UNKNOWN";

static PCHAR FltpIrpName(UCHAR Major)
{
    if (Major <= IRP_MJ_MAXIMUM_FUNCTION)
        return FltpIrpNames[Major];
    if (Major >= (UCHAR)-20) {
        PCHAR Name = FltpPseudoNames[(UCHAR)(0 - Major) - 1];
        if (Name[0] != 0)
            return Name;
    }
    return FltpUnknownIrpName;
}

const char *FltpMajorName(UCHAR Major)
{
    return FltpIrpName(Major);
}

PCHAR FLTAPI FltGetIrpName(UCHAR IrpMajorCode)
{
    return FltpIrpName(IrpMajorCode);
}

/* ------------------------------------------------------------------------ */
/* IRP <-> FLT_IO_PARAMETER_BLOCK                                           */
/* ------------------------------------------------------------------------ */

#define FLTP_METHOD(Code) ((Code) & 3)

void FltpCaptureParameters(PFLT_IO_PARAMETER_BLOCK Iopb, PIRP Irp, PIO_STACK_LOCATION Sp)
{
    PFLT_PARAMETERS P = &Iopb->Parameters;
    Iopb->IrpFlags = Irp->Flags;
    Iopb->MajorFunction = Sp->MajorFunction;
    Iopb->MinorFunction = Sp->MinorFunction;
    Iopb->OperationFlags = Sp->Flags;
    Iopb->Reserved = 0;
    Iopb->TargetFileObject = Sp->FileObject;
    memset(P, 0, sizeof(*P));
    switch (Sp->MajorFunction) {
    case IRP_MJ_CREATE:
        P->Create.SecurityContext = Sp->Parameters.Create.SecurityContext;
        P->Create.Options = Sp->Parameters.Create.Options;
        P->Create.FileAttributes = Sp->Parameters.Create.FileAttributes;
        P->Create.ShareAccess = Sp->Parameters.Create.ShareAccess;
        P->Create.EaLength = Sp->Parameters.Create.EaLength;
        P->Create.EaBuffer = Irp->AssociatedIrp.SystemBuffer;
        P->Create.AllocationSize = Irp->Overlay.AllocationSize;
        break;
    case IRP_MJ_CREATE_NAMED_PIPE:
    case IRP_MJ_CREATE_MAILSLOT:
        P->CreatePipe.SecurityContext = Sp->Parameters.CreatePipe.SecurityContext;
        P->CreatePipe.Options = Sp->Parameters.CreatePipe.Options;
        P->CreatePipe.Reserved = Sp->Parameters.CreatePipe.Reserved;
        P->CreatePipe.ShareAccess = Sp->Parameters.CreatePipe.ShareAccess;
        P->CreatePipe.Parameters = Sp->Parameters.CreatePipe.Parameters;
        break;
    case IRP_MJ_READ:
    case IRP_MJ_WRITE:
        P->Read.Length = Sp->Parameters.Read.Length;
        P->Read.Key = Sp->Parameters.Read.Key;
        P->Read.ByteOffset = Sp->Parameters.Read.ByteOffset;
        P->Read.ReadBuffer = Irp->UserBuffer;
        P->Read.MdlAddress = Irp->MdlAddress;
        break;
    case IRP_MJ_QUERY_INFORMATION:
        P->QueryFileInformation.Length = Sp->Parameters.QueryFile.Length;
        P->QueryFileInformation.FileInformationClass = Sp->Parameters.QueryFile.FileInformationClass;
        P->QueryFileInformation.InfoBuffer = Irp->AssociatedIrp.SystemBuffer;
        break;
    case IRP_MJ_SET_INFORMATION:
        P->SetFileInformation.Length = Sp->Parameters.SetFile.Length;
        P->SetFileInformation.FileInformationClass = Sp->Parameters.SetFile.FileInformationClass;
        P->SetFileInformation.ParentOfTarget = Sp->Parameters.SetFile.FileObject;
        P->SetFileInformation.DeleteHandle = Sp->Parameters.SetFile.DeleteHandle;
        P->SetFileInformation.InfoBuffer = Irp->AssociatedIrp.SystemBuffer;
        break;
    case IRP_MJ_QUERY_EA:
        P->QueryEa.Length = Sp->Parameters.QueryEa.Length;
        P->QueryEa.EaList = Sp->Parameters.QueryEa.EaList;
        P->QueryEa.EaListLength = Sp->Parameters.QueryEa.EaListLength;
        P->QueryEa.EaIndex = Sp->Parameters.QueryEa.EaIndex;
        P->QueryEa.EaBuffer = Irp->UserBuffer;
        P->QueryEa.MdlAddress = Irp->MdlAddress;
        break;
    case IRP_MJ_SET_EA:
        P->SetEa.Length = Sp->Parameters.SetEa.Length;
        P->SetEa.EaBuffer = (Irp->Flags & IRP_BUFFERED_IO) ? Irp->AssociatedIrp.SystemBuffer : Irp->UserBuffer;
        P->SetEa.MdlAddress = Irp->MdlAddress;
        break;
    case IRP_MJ_QUERY_VOLUME_INFORMATION:
    case IRP_MJ_SET_VOLUME_INFORMATION:
        P->QueryVolumeInformation.Length = Sp->Parameters.QueryVolume.Length;
        P->QueryVolumeInformation.FsInformationClass = Sp->Parameters.QueryVolume.FsInformationClass;
        P->QueryVolumeInformation.VolumeBuffer = Irp->AssociatedIrp.SystemBuffer;
        break;
    case IRP_MJ_DIRECTORY_CONTROL:
        if (Sp->MinorFunction == IRP_MN_QUERY_DIRECTORY) {
            P->DirectoryControl.QueryDirectory.Length = Sp->Parameters.QueryDirectory.Length;
            P->DirectoryControl.QueryDirectory.FileName = Sp->Parameters.QueryDirectory.FileName;
            P->DirectoryControl.QueryDirectory.FileInformationClass =
                Sp->Parameters.QueryDirectory.FileInformationClass;
            P->DirectoryControl.QueryDirectory.FileIndex = Sp->Parameters.QueryDirectory.FileIndex;
        } else {
            P->DirectoryControl.NotifyDirectoryEx.Length = Sp->Parameters.NotifyDirectoryEx.Length;
            P->DirectoryControl.NotifyDirectoryEx.CompletionFilter =
                Sp->Parameters.NotifyDirectoryEx.CompletionFilter;
            if (Sp->MinorFunction != IRP_MN_NOTIFY_CHANGE_DIRECTORY)
                P->DirectoryControl.NotifyDirectoryEx.DirectoryNotifyInformationClass =
                    Sp->Parameters.NotifyDirectoryEx.DirectoryNotifyInformationClass;
        }
        P->DirectoryControl.QueryDirectory.DirectoryBuffer = Irp->UserBuffer;
        P->DirectoryControl.QueryDirectory.MdlAddress = Irp->MdlAddress;
        break;
    case IRP_MJ_FILE_SYSTEM_CONTROL:
    case IRP_MJ_DEVICE_CONTROL:
    case IRP_MJ_INTERNAL_DEVICE_CONTROL:
        if (Sp->MajorFunction == IRP_MJ_FILE_SYSTEM_CONTROL &&
            (Sp->MinorFunction == IRP_MN_MOUNT_VOLUME || Sp->MinorFunction == IRP_MN_VERIFY_VOLUME)) {
            P->FileSystemControl.VerifyVolume.Vpb = Sp->Parameters.VerifyVolume.Vpb;
            P->FileSystemControl.VerifyVolume.DeviceObject = Sp->Parameters.VerifyVolume.DeviceObject;
            break;
        }
        P->DeviceIoControl.Common.OutputBufferLength = Sp->Parameters.DeviceIoControl.OutputBufferLength;
        P->DeviceIoControl.Common.InputBufferLength = Sp->Parameters.DeviceIoControl.InputBufferLength;
        P->DeviceIoControl.Common.IoControlCode = Sp->Parameters.DeviceIoControl.IoControlCode;
        switch (FLTP_METHOD(Sp->Parameters.DeviceIoControl.IoControlCode)) {
        case METHOD_BUFFERED:
            P->DeviceIoControl.Buffered.SystemBuffer = Irp->AssociatedIrp.SystemBuffer;
            break;
        case METHOD_IN_DIRECT:
        case METHOD_OUT_DIRECT:
            P->DeviceIoControl.Direct.InputSystemBuffer = Irp->AssociatedIrp.SystemBuffer;
            P->DeviceIoControl.Direct.OutputBuffer = Irp->UserBuffer;
            P->DeviceIoControl.Direct.OutputMdlAddress = Irp->MdlAddress;
            break;
        default:
            P->DeviceIoControl.Neither.InputBuffer = Sp->Parameters.DeviceIoControl.Type3InputBuffer;
            P->DeviceIoControl.Neither.OutputBuffer = Irp->UserBuffer;
            P->DeviceIoControl.Neither.OutputMdlAddress = Irp->MdlAddress;
            break;
        }
        break;
    case IRP_MJ_LOCK_CONTROL:
        P->LockControl.Length = Sp->Parameters.LockControl.Length;
        P->LockControl.Key = Sp->Parameters.LockControl.Key;
        P->LockControl.ByteOffset = Sp->Parameters.LockControl.ByteOffset;
        P->LockControl.ProcessId = IoGetRequestorProcess(Irp);
        P->LockControl.FailImmediately = (Sp->Flags & SL_FAIL_IMMEDIATELY) ? TRUE : FALSE;
        P->LockControl.ExclusiveLock = (Sp->Flags & SL_EXCLUSIVE_LOCK) ? TRUE : FALSE;
        break;
    case IRP_MJ_QUERY_SECURITY:
        P->QuerySecurity.SecurityInformation = Sp->Parameters.QuerySecurity.SecurityInformation;
        P->QuerySecurity.Length = Sp->Parameters.QuerySecurity.Length;
        P->QuerySecurity.SecurityBuffer = Irp->UserBuffer;
        P->QuerySecurity.MdlAddress = Irp->MdlAddress;
        break;
    case IRP_MJ_SET_SECURITY:
        P->SetSecurity.SecurityInformation = Sp->Parameters.SetSecurity.SecurityInformation;
        P->SetSecurity.SecurityDescriptor = Sp->Parameters.SetSecurity.SecurityDescriptor;
        break;
    case IRP_MJ_SYSTEM_CONTROL:
        P->WMI.ProviderId = Sp->Parameters.WMI.ProviderId;
        P->WMI.DataPath = Sp->Parameters.WMI.DataPath;
        P->WMI.BufferSize = Sp->Parameters.WMI.BufferSize;
        P->WMI.Buffer = Sp->Parameters.WMI.Buffer;
        break;
    case IRP_MJ_QUERY_QUOTA:
        P->QueryQuota.Length = Sp->Parameters.QueryQuota.Length;
        P->QueryQuota.StartSid = Sp->Parameters.QueryQuota.StartSid;
        P->QueryQuota.SidList = (PFILE_GET_QUOTA_INFORMATION)Sp->Parameters.QueryQuota.SidList;
        P->QueryQuota.SidListLength = Sp->Parameters.QueryQuota.SidListLength;
        P->QueryQuota.QuotaBuffer = Irp->UserBuffer;
        P->QueryQuota.MdlAddress = Irp->MdlAddress;
        break;
    case IRP_MJ_SET_QUOTA:
        P->SetQuota.Length = Sp->Parameters.SetQuota.Length;
        P->SetQuota.QuotaBuffer = Irp->UserBuffer;
        P->SetQuota.MdlAddress = Irp->MdlAddress;
        break;
    default:
        P->Others.Argument1 = Sp->Parameters.Others.Argument1;
        P->Others.Argument2 = Sp->Parameters.Others.Argument2;
        P->Others.Argument3 = Sp->Parameters.Others.Argument3;
        P->Others.Argument4 = Sp->Parameters.Others.Argument4;
        break;
    }
}

/* The reverse mapping, into the stack location the next driver will see
 * (and the IRP's buffer fields).  Fields FLT_PARAMETERS does not carry are
 * left as they are. */
void FltpApplyParameters(PFLT_IO_PARAMETER_BLOCK Iopb, PIRP Irp, PIO_STACK_LOCATION Sp)
{
    PFLT_PARAMETERS P = &Iopb->Parameters;
    Irp->Flags = Iopb->IrpFlags;
    Sp->MajorFunction = Iopb->MajorFunction;
    Sp->MinorFunction = Iopb->MinorFunction;
    Sp->Flags = Iopb->OperationFlags;
    Sp->FileObject = Iopb->TargetFileObject;
    switch (Iopb->MajorFunction) {
    case IRP_MJ_CREATE:
        Sp->Parameters.Create.SecurityContext = P->Create.SecurityContext;
        Sp->Parameters.Create.Options = P->Create.Options;
        Sp->Parameters.Create.FileAttributes = P->Create.FileAttributes;
        Sp->Parameters.Create.ShareAccess = P->Create.ShareAccess;
        Sp->Parameters.Create.EaLength = P->Create.EaLength;
        Irp->AssociatedIrp.SystemBuffer = P->Create.EaBuffer;
        Irp->Overlay.AllocationSize = P->Create.AllocationSize;
        break;
    case IRP_MJ_CREATE_NAMED_PIPE:
    case IRP_MJ_CREATE_MAILSLOT:
        Sp->Parameters.CreatePipe.SecurityContext = P->CreatePipe.SecurityContext;
        Sp->Parameters.CreatePipe.Options = P->CreatePipe.Options;
        Sp->Parameters.CreatePipe.ShareAccess = P->CreatePipe.ShareAccess;
        Sp->Parameters.CreatePipe.Parameters = P->CreatePipe.Parameters;
        break;
    case IRP_MJ_READ:
    case IRP_MJ_WRITE:
        Sp->Parameters.Read.Length = P->Read.Length;
        Sp->Parameters.Read.Key = P->Read.Key;
        Sp->Parameters.Read.ByteOffset = P->Read.ByteOffset;
        Irp->UserBuffer = P->Read.ReadBuffer;
        Irp->MdlAddress = P->Read.MdlAddress;
        break;
    case IRP_MJ_QUERY_INFORMATION:
        Sp->Parameters.QueryFile.Length = P->QueryFileInformation.Length;
        Sp->Parameters.QueryFile.FileInformationClass = P->QueryFileInformation.FileInformationClass;
        Irp->AssociatedIrp.SystemBuffer = P->QueryFileInformation.InfoBuffer;
        break;
    case IRP_MJ_SET_INFORMATION:
        Sp->Parameters.SetFile.Length = P->SetFileInformation.Length;
        Sp->Parameters.SetFile.FileInformationClass = P->SetFileInformation.FileInformationClass;
        Sp->Parameters.SetFile.FileObject = P->SetFileInformation.ParentOfTarget;
        Sp->Parameters.SetFile.DeleteHandle = P->SetFileInformation.DeleteHandle;
        Irp->AssociatedIrp.SystemBuffer = P->SetFileInformation.InfoBuffer;
        break;
    case IRP_MJ_QUERY_EA:
        Sp->Parameters.QueryEa.Length = P->QueryEa.Length;
        Sp->Parameters.QueryEa.EaList = P->QueryEa.EaList;
        Sp->Parameters.QueryEa.EaListLength = P->QueryEa.EaListLength;
        Sp->Parameters.QueryEa.EaIndex = P->QueryEa.EaIndex;
        Irp->UserBuffer = P->QueryEa.EaBuffer;
        Irp->MdlAddress = P->QueryEa.MdlAddress;
        break;
    case IRP_MJ_SET_EA:
        Sp->Parameters.SetEa.Length = P->SetEa.Length;
        if (Irp->Flags & IRP_BUFFERED_IO)
            Irp->AssociatedIrp.SystemBuffer = P->SetEa.EaBuffer;
        else
            Irp->UserBuffer = P->SetEa.EaBuffer;
        Irp->MdlAddress = P->SetEa.MdlAddress;
        break;
    case IRP_MJ_QUERY_VOLUME_INFORMATION:
    case IRP_MJ_SET_VOLUME_INFORMATION:
        Sp->Parameters.QueryVolume.Length = P->QueryVolumeInformation.Length;
        Sp->Parameters.QueryVolume.FsInformationClass = P->QueryVolumeInformation.FsInformationClass;
        Irp->AssociatedIrp.SystemBuffer = P->QueryVolumeInformation.VolumeBuffer;
        break;
    case IRP_MJ_DIRECTORY_CONTROL:
        if (Iopb->MinorFunction == IRP_MN_QUERY_DIRECTORY) {
            Sp->Parameters.QueryDirectory.Length = P->DirectoryControl.QueryDirectory.Length;
            Sp->Parameters.QueryDirectory.FileName = P->DirectoryControl.QueryDirectory.FileName;
            Sp->Parameters.QueryDirectory.FileInformationClass =
                P->DirectoryControl.QueryDirectory.FileInformationClass;
            Sp->Parameters.QueryDirectory.FileIndex = P->DirectoryControl.QueryDirectory.FileIndex;
        } else {
            Sp->Parameters.NotifyDirectoryEx.Length = P->DirectoryControl.NotifyDirectoryEx.Length;
            Sp->Parameters.NotifyDirectoryEx.CompletionFilter = P->DirectoryControl.NotifyDirectoryEx.CompletionFilter;
            if (Iopb->MinorFunction != IRP_MN_NOTIFY_CHANGE_DIRECTORY)
                Sp->Parameters.NotifyDirectoryEx.DirectoryNotifyInformationClass =
                    P->DirectoryControl.NotifyDirectoryEx.DirectoryNotifyInformationClass;
        }
        Irp->UserBuffer = P->DirectoryControl.QueryDirectory.DirectoryBuffer;
        Irp->MdlAddress = P->DirectoryControl.QueryDirectory.MdlAddress;
        break;
    case IRP_MJ_FILE_SYSTEM_CONTROL:
    case IRP_MJ_DEVICE_CONTROL:
    case IRP_MJ_INTERNAL_DEVICE_CONTROL:
        if (Iopb->MajorFunction == IRP_MJ_FILE_SYSTEM_CONTROL &&
            (Iopb->MinorFunction == IRP_MN_MOUNT_VOLUME || Iopb->MinorFunction == IRP_MN_VERIFY_VOLUME)) {
            Sp->Parameters.VerifyVolume.Vpb = P->FileSystemControl.VerifyVolume.Vpb;
            Sp->Parameters.VerifyVolume.DeviceObject = P->FileSystemControl.VerifyVolume.DeviceObject;
            break;
        }
        Sp->Parameters.DeviceIoControl.OutputBufferLength = P->DeviceIoControl.Common.OutputBufferLength;
        Sp->Parameters.DeviceIoControl.InputBufferLength = P->DeviceIoControl.Common.InputBufferLength;
        Sp->Parameters.DeviceIoControl.IoControlCode = P->DeviceIoControl.Common.IoControlCode;
        switch (FLTP_METHOD(P->DeviceIoControl.Common.IoControlCode)) {
        case METHOD_BUFFERED:
            Irp->AssociatedIrp.SystemBuffer = P->DeviceIoControl.Buffered.SystemBuffer;
            break;
        case METHOD_IN_DIRECT:
        case METHOD_OUT_DIRECT:
            Irp->AssociatedIrp.SystemBuffer = P->DeviceIoControl.Direct.InputSystemBuffer;
            Irp->UserBuffer = P->DeviceIoControl.Direct.OutputBuffer;
            Irp->MdlAddress = P->DeviceIoControl.Direct.OutputMdlAddress;
            break;
        default:
            Sp->Parameters.DeviceIoControl.Type3InputBuffer = P->DeviceIoControl.Neither.InputBuffer;
            Irp->UserBuffer = P->DeviceIoControl.Neither.OutputBuffer;
            Irp->MdlAddress = P->DeviceIoControl.Neither.OutputMdlAddress;
            break;
        }
        break;
    case IRP_MJ_LOCK_CONTROL:
        Sp->Parameters.LockControl.Length = P->LockControl.Length;
        Sp->Parameters.LockControl.Key = P->LockControl.Key;
        Sp->Parameters.LockControl.ByteOffset = P->LockControl.ByteOffset;
        break;
    case IRP_MJ_QUERY_SECURITY:
        Sp->Parameters.QuerySecurity.SecurityInformation = P->QuerySecurity.SecurityInformation;
        Sp->Parameters.QuerySecurity.Length = P->QuerySecurity.Length;
        Irp->UserBuffer = P->QuerySecurity.SecurityBuffer;
        Irp->MdlAddress = P->QuerySecurity.MdlAddress;
        break;
    case IRP_MJ_SET_SECURITY:
        Sp->Parameters.SetSecurity.SecurityInformation = P->SetSecurity.SecurityInformation;
        Sp->Parameters.SetSecurity.SecurityDescriptor = P->SetSecurity.SecurityDescriptor;
        break;
    case IRP_MJ_SYSTEM_CONTROL:
        Sp->Parameters.WMI.ProviderId = P->WMI.ProviderId;
        Sp->Parameters.WMI.DataPath = P->WMI.DataPath;
        Sp->Parameters.WMI.BufferSize = P->WMI.BufferSize;
        Sp->Parameters.WMI.Buffer = P->WMI.Buffer;
        break;
    case IRP_MJ_QUERY_QUOTA:
        Sp->Parameters.QueryQuota.Length = P->QueryQuota.Length;
        Sp->Parameters.QueryQuota.StartSid = P->QueryQuota.StartSid;
        Sp->Parameters.QueryQuota.SidList = (PFILE_GET_QUOTA_INFORMATION_OPAQUE)P->QueryQuota.SidList;
        Sp->Parameters.QueryQuota.SidListLength = P->QueryQuota.SidListLength;
        Irp->UserBuffer = P->QueryQuota.QuotaBuffer;
        Irp->MdlAddress = P->QueryQuota.MdlAddress;
        break;
    case IRP_MJ_SET_QUOTA:
        Sp->Parameters.SetQuota.Length = P->SetQuota.Length;
        Irp->UserBuffer = P->SetQuota.QuotaBuffer;
        Irp->MdlAddress = P->SetQuota.MdlAddress;
        break;
    default:
        Sp->Parameters.Others.Argument1 = P->Others.Argument1;
        Sp->Parameters.Others.Argument2 = P->Others.Argument2;
        Sp->Parameters.Others.Argument3 = P->Others.Argument3;
        Sp->Parameters.Others.Argument4 = P->Others.Argument4;
        break;
    }
}

/* The MDL field of the parameters of an operation, if it has one. */
static PMDL *FltpMdlField(PFLT_IO_PARAMETER_BLOCK Iopb)
{
    PFLT_PARAMETERS P = &Iopb->Parameters;
    switch (Iopb->MajorFunction) {
    case IRP_MJ_READ:
    case IRP_MJ_WRITE: return &P->Read.MdlAddress;
    case IRP_MJ_QUERY_EA: return &P->QueryEa.MdlAddress;
    case IRP_MJ_SET_EA: return &P->SetEa.MdlAddress;
    case IRP_MJ_DIRECTORY_CONTROL: return &P->DirectoryControl.QueryDirectory.MdlAddress;
    case IRP_MJ_QUERY_SECURITY: return &P->QuerySecurity.MdlAddress;
    case IRP_MJ_QUERY_QUOTA: return &P->QueryQuota.MdlAddress;
    case IRP_MJ_SET_QUOTA: return &P->SetQuota.MdlAddress;
    case IRP_MJ_FILE_SYSTEM_CONTROL:
    case IRP_MJ_DEVICE_CONTROL:
    case IRP_MJ_INTERNAL_DEVICE_CONTROL:
        if (FLTP_METHOD(P->DeviceIoControl.Common.IoControlCode) != METHOD_BUFFERED)
            return &P->DeviceIoControl.Neither.OutputMdlAddress;
        return NULL;
    default: return NULL;
    }
}

/* ------------------------------------------------------------------------ */
/* Control blocks                                                           */
/* ------------------------------------------------------------------------ */

FLTP_CBD *FltpCbdFromData(PFLT_CALLBACK_DATA Data, const char *Routine)
{
    FLTP_CBD *C = (FLTP_CBD *)Data;
    if (Data == NULL || C->Magic != FLTP_CBD_MAGIC || C->Freed) {
        KiReportSetRootCause(KiFormat("%s called with %016llx, which is not live FLT_CALLBACK_DATA%s", Routine,
                                      (unsigned long long)MiSyntheticAddress(Data),
                                      (Data != NULL && C->Magic == FLTP_CBD_MAGIC) ? " (it was freed)" : ""));
        KeBugCheckEx(0x1E /* KMODE_EXCEPTION_NOT_HANDLED */, (ULONG_PTR)STATUS_ACCESS_VIOLATION, 0, 0,
                     (ULONG_PTR)MiSyntheticAddress(Data));
    }
    return C;
}

void FltpFreeCbdMemory(FLTP_CBD *C)
{
    if (C->ActiveLinks.Flink != NULL && C->ActiveLinks.Flink != &C->ActiveLinks)
        FltpRemove(&C->ActiveLinks);
    C->Magic = 0;
    if (C->FromPool) {
        ExFreePoolWithTag(C, FLTP_TAG_CBD);
    } else {
        MiUnregisterRange(C);
        free(C);
    }
}

void FltpReleaseCbd(FLTP_CBD *C)
{
    if (--C->References > 0)
        return;
    if (C->ActiveLinks.Flink != NULL && C->ActiveLinks.Flink != &C->ActiveLinks)
        FltpRemove(&C->ActiveLinks);
    if (C->CallerOwned && !C->DestroyPending)
        return; /* lives until FltFreeCallbackData / its issuer frees it */
    FltpFreeCbdMemory(C);
}

/* Snapshot the attached instances below Initiator (all when NULL), top first. */
void FltpSnapshotInstances(FLTP_CBD *C, PFLT_INSTANCE Initiator)
{
    PFLT_VOLUME V = C->Volume;
    BOOLEAN Below = Initiator == NULL;
    C->CallCount = 0;
    for (PLIST_ENTRY E = V->Instances.Flink; E != &V->Instances; E = E->Flink) {
        PFLT_INSTANCE I = CONTAINING_RECORD(E, struct _FLT_INSTANCE, VolumeLinks);
        if (!Below) {
            if (I == Initiator)
                Below = TRUE;
            continue;
        }
        if (!I->Attached || I->TearingDown)
            continue;
        if (C->CallCount == FLTP_MAX_CALLS)
            break;
        memset(&C->Calls[C->CallCount], 0, sizeof(FLTP_CALL));
        C->Calls[C->CallCount++].Instance = I;
    }
}

static BOOLEAN FltpSkipOperation(FLTP_CBD *C, ULONG Flags)
{
    ULONG IrpFlags = C->Iopb.IrpFlags;
    UCHAR Major = C->Iopb.MajorFunction;
    BOOLEAN Paging = (IrpFlags & IRP_PAGING_IO) != 0;
    if ((Flags & FLTFL_OPERATION_REGISTRATION_SKIP_PAGING_IO) && Paging)
        return TRUE;
    if (Major == IRP_MJ_READ || Major == IRP_MJ_WRITE) {
        BOOLEAN NonCached = (IrpFlags & IRP_NOCACHE) != 0;
        if ((Flags & FLTFL_OPERATION_REGISTRATION_SKIP_CACHED_IO) && !Paging && !NonCached)
            return TRUE;
        if ((Flags & FLTFL_OPERATION_REGISTRATION_SKIP_NON_CACHED_NON_PAGING_IO) && !Paging && NonCached)
            return TRUE;
    }
    if ((Flags & FLTFL_OPERATION_REGISTRATION_SKIP_NON_DASD_IO) && C->Iopb.TargetFileObject != NULL &&
        !(C->Iopb.TargetFileObject->Flags & FO_VOLUME_OPEN))
        return TRUE;
    return FALSE;
}

/* ------------------------------------------------------------------------ */
/* Post-operation walk                                                      */
/* ------------------------------------------------------------------------ */

/* Runs the owed post callbacks from Calls[Current-1] down to Calls[0].
 * FALSE when a callback took the operation (MORE_PROCESSING_REQUIRED). */
BOOLEAN FltpRunPost(FLTP_CBD *C)
{
    KI_FRAME_SCOPE("FLTMGR", "FltpPerformPostCallbacks", FLTP_FRAME_POSTCALLBACKS);
    C->Phase = FltpPhasePost;
    while (C->Current > 0) {
        FLTP_CALL *Call = &C->Calls[C->Current - 1];
        if (!Call->WantPost || Call->PostDone) {
            C->Current--;
            continue;
        }
        PFLT_INSTANCE I = Call->Instance;
        PFLT_POST_OPERATION_CALLBACK Post = I->Filter->Ops[C->Iopb.MajorFunction].Post;
        FLT_POST_OPERATION_FLAGS Flags = I->TearingDown ? FLTFL_POST_OPERATION_DRAINING : 0;
        FLT_RELATED_OBJECTS Objects;
        FLT_POSTOP_CALLBACK_STATUS Status;
        Call->PostDone = TRUE;
        if (Post == NULL) {
            C->Current--;
            continue;
        }
        C->Iopb.TargetInstance = I;
        C->Data.Flags |= FLTFL_CALLBACK_DATA_POST_OPERATION;
        FltpRelatedObjects(&Objects, I, C->Iopb.TargetFileObject);
        C->InPostCallback = TRUE;
        C->PostResumeRecorded = FALSE;
        {
            KI_DRIVER_FRAME_SCOPE(Post);
            Status = Post(&C->Data, &Objects, Call->CompletionContext, Flags);
        }
        C->InPostCallback = FALSE;
        C->Current--;
        if (C->Data.Flags & FLTFL_CALLBACK_DATA_DIRTY) {
            C->Data.Flags &= ~FLTFL_CALLBACK_DATA_DIRTY;
            C->Dirty = TRUE;
        }
        if (Status == FLT_POSTOP_MORE_PROCESSING_REQUIRED && !(Flags & FLTFL_POST_OPERATION_DRAINING)) {
            if (!FLT_IS_IRP_OPERATION(&C->Data)) {
                KiTrace("FltMgr: %s post-operation returned MORE_PROCESSING_REQUIRED for a non-IRP operation",
                        I->Filter->ServiceName);
                continue;
            }
            if (!C->PostResumeRecorded) {
                C->Phase = FltpPhasePendedPost;
                return FALSE;
            }
        } else if (Status != FLT_POSTOP_FINISHED_PROCESSING && Status != FLT_POSTOP_MORE_PROCESSING_REQUIRED &&
                   Status != FLT_POSTOP_DISALLOW_FSFILTER_IO) {
            KiTrace("FltMgr: %s post-operation returned invalid status %d", I->Filter->ServiceName, (int)Status);
        }
    }
    return TRUE;
}

/* Everything after the last post callback: bookkeeping, then the IRP goes on. */
static void FltpFinish(FLTP_CBD *C, BOOLEAN CompleteIrp)
{
    PIRP Irp = C->Irp;
    PFILE_OBJECT FileObject = C->Iopb.TargetFileObject;
    C->Phase = FltpPhaseDone;
    if (C->Iopb.MajorFunction == IRP_MJ_CREATE && NT_SUCCESS(C->Data.IoStatus.Status) &&
        C->Data.IoStatus.Status != STATUS_REPARSE && FileObject != NULL && C->Initiator != NULL && !C->OwnsIrp)
        FltpRememberFileObject(FileObject, C->Initiator);
    if (C->Iopb.MajorFunction == IRP_MJ_CLOSE && FileObject != NULL) {
        FltpNoteFileObjectClose(C->Volume, FileObject);
        FltpForgetFileObject(FileObject);
    }
    if (C->OwnsIrp) {
        /* Generated I/O: the IRP is FltMgr's.  An MDL chain lower layers
         * attached stays with the callback data until FltFreeCallbackData. */
        PMDL *Field = FltpMdlField(&C->Iopb);
        if (Irp->MdlAddress != NULL) {
            C->HeldMdl = Irp->MdlAddress;
            if (Field != NULL)
                *Field = Irp->MdlAddress;
        }
        /* The IRP stays, stopped at FltMgr's own location with the MDL chain
         * still on it, until FltFreeCallbackData/FltReuseCallbackData. */
        C->Irp = NULL;
        C->HeldIrp = Irp;
        KeSetEvent(&C->DoneEvent, IO_NO_INCREMENT, FALSE);
        if (C->AsyncCallback != NULL) {
            PFLT_COMPLETED_ASYNC_IO_CALLBACK Callback = C->AsyncCallback;
            C->AsyncCallback = NULL;
            FltpReleaseCbd(C);
            KI_DRIVER_FRAME_SCOPE(Callback);
            Callback(&C->Data, C->AsyncContext);
            return;
        }
        FltpReleaseCbd(C);
        return;
    }
    Irp->IoStatus = C->Data.IoStatus;
    FltpReleaseCbd(C);
    if (CompleteIrp)
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
}

/* A pre callback completed the operation: post callbacks of the instances
 * above it, then the IRP completes without reaching anything below. */
static NTSTATUS FltpCompleteFromPre(FLTP_CBD *C)
{
    NTSTATUS Status = C->Data.IoStatus.Status;
    C->References++; /* the completion path */
    if (FltpRunPost(C))
        FltpFinish(C, !C->OwnsIrp);
    else
        C->CompleteIrpWhenDone = TRUE;
    return Status;
}

/* ------------------------------------------------------------------------ */
/* Pre-operation walk                                                       */
/* ------------------------------------------------------------------------ */

/* Applies a pre callback's verdict for Calls[Current]; TRUE when the
 * operation is complete (FLT_PREOP_COMPLETE). */
static BOOLEAN FltpPreStatus(FLTP_CBD *C, FLT_PREOP_CALLBACK_STATUS Status, PVOID Context)
{
    FLTP_CALL *Call = &C->Calls[C->Current];
    PFLT_INSTANCE I = Call->Instance;
    FLTP_OPERATION *Op = &I->Filter->Ops[C->Iopb.MajorFunction];
    if (C->Data.Flags & FLTFL_CALLBACK_DATA_DIRTY) {
        C->Data.Flags &= ~FLTFL_CALLBACK_DATA_DIRTY;
        C->Dirty = TRUE;
    }
    switch (Status) {
    case FLT_PREOP_SUCCESS_WITH_CALLBACK:
    case FLT_PREOP_SYNCHRONIZE:
        if (Op->Post == NULL) {
            KiReportSetRootCause(KiFormat("the %s pre-operation callback of %s returned %s but the filter "
                                          "registered no post-operation callback",
                                          FltpIrpName(C->Iopb.MajorFunction), I->Filter->ImageName,
                                          Status == FLT_PREOP_SYNCHRONIZE ? "FLT_PREOP_SYNCHRONIZE"
                                                                          : "FLT_PREOP_SUCCESS_WITH_CALLBACK"));
            KiReportSetGuilty(I->Filter->ImageName, "");
            KeBugCheckEx(0xF5 /* FLTMGR_FILE_SYSTEM */, 0x66, (ULONG_PTR)MiSyntheticAddress(&C->Data), 0, 0);
        }
        Call->WantPost = TRUE;
        Call->CompletionContext = Context;
        Call->Synchronize = Status == FLT_PREOP_SYNCHRONIZE;
        return FALSE;
    case FLT_PREOP_SUCCESS_NO_CALLBACK:
    case FLT_PREOP_DISALLOW_FASTIO:       /* IRP: same as NO_CALLBACK */
    case FLT_PREOP_DISALLOW_FSFILTER_IO:
        return FALSE;
    case FLT_PREOP_COMPLETE:
        return TRUE;
    default:
        KiTrace("FltMgr: %s pre-operation returned invalid status %d (treated as SUCCESS_NO_CALLBACK)",
                I->Filter->ServiceName, (int)Status);
        return FALSE;
    }
}

/* Sends the operation below FltMgr. */
static NTSTATUS FltpPassDown(FLTP_CBD *C)
{
    PIRP Irp = C->Irp;
    NTSTATUS Status;
    KI_FRAME_SCOPE("FLTMGR", "FltpLegacyProcessingAfterPreCallbacksCompleted", FLTP_FRAME_LEGACY_AFTER_PRE);
    C->Phase = FltpPhaseBelow;
    IoCopyCurrentIrpStackLocationToNext(Irp);
    if (C->Dirty)
        FltpApplyParameters(&C->Iopb, Irp, IoGetNextIrpStackLocation(Irp));
    IoSetCompletionRoutine(Irp, C->OwnsIrp ? FltpSynchronizedOperationCompletion : FltpPassThroughCompletion, C,
                           TRUE, TRUE, TRUE);
    C->References++; /* the completion path */
    C->References++; /* held across the call (a completion callback may free generated callback data) */
    Status = IoCallDriver(C->Volume->LowerDevice, Irp);
    C->BelowStatus = Status;
    for (ULONG I = 0; I < C->CallCount; I++) {
        FLTP_CALL *Call = &C->Calls[I];
        if (Call->StatusCallback == NULL)
            continue;
        FLT_RELATED_OBJECTS Objects;
        PFLT_GET_OPERATION_STATUS_CALLBACK Callback = Call->StatusCallback;
        Call->StatusCallback = NULL;
        FltpRelatedObjects(&Objects, Call->Instance, Call->StatusSnapshot.TargetFileObject);
        KI_DRIVER_FRAME_SCOPE(Callback);
        Callback(&Objects, &Call->StatusSnapshot, Status, Call->StatusContext);
    }
    FltpReleaseCbd(C);
    return Status;
}

/* Walks the pre callbacks from Calls[Current]; the FltpPerformPreCallbacks
 * frame is gone again before the operation is passed down or completed. */
FLTP_PRE_RESULT FltpWalkPre(FLTP_CBD *C)
{
    KI_FRAME_SCOPE("FLTMGR", "FltpPerformPreCallbacks", FLTP_FRAME_PRECALLBACKS);
    C->Phase = FltpPhasePre;
    for (; C->Current < C->CallCount; C->Current++) {
        FLTP_CALL *Call = &C->Calls[C->Current];
        PFLT_INSTANCE I = Call->Instance;
        if (I->TearingDown || I->Detached || I->Filter->Unregistering || I->Filter->Unregistered)
            continue;
        FLTP_OPERATION *Op = &I->Filter->Ops[C->Iopb.MajorFunction];
        if (!Op->Registered || FltpSkipOperation(C, Op->Flags))
            continue;
        if (Op->Pre == NULL) {
            /* Only a post callback: it is always called. */
            if (Op->Post != NULL)
                Call->WantPost = TRUE;
            continue;
        }
        FLT_RELATED_OBJECTS Objects;
        FLT_PREOP_CALLBACK_STATUS Status;
        PVOID Context = NULL;
        C->Iopb.TargetInstance = I;
        FltpRelatedObjects(&Objects, I, C->Iopb.TargetFileObject);
        C->InPreCallback = TRUE;
        C->ResumeRecorded = FALSE;
        {
            KI_DRIVER_FRAME_SCOPE(Op->Pre);
            Status = Op->Pre(&C->Data, &Objects, &Context);
        }
        C->InPreCallback = FALSE;
        Call->Called = TRUE;
        if (Status == FLT_PREOP_PENDING) {
            if (!FLT_IS_IRP_OPERATION(&C->Data)) {
                KiTrace("FltMgr: %s pended a non-IRP operation", I->Filter->ServiceName);
                continue;
            }
            if (!C->ResumeRecorded) {
                C->Phase = FltpPhasePendedPre;
                C->References++; /* held until FltCompletePendedPreOperation */
                return FltpPrePended;
            }
            Status = C->ResumeStatus;
            Context = C->ResumeContext;
        }
        if (FltpPreStatus(C, Status, Context))
            return FltpPreCompleted;
    }
    return FltpPrePassDown;
}

static NTSTATUS FltpRunPre(FLTP_CBD *C)
{
    switch (FltpWalkPre(C)) {
    case FltpPrePended:
        return STATUS_PENDING;
    case FltpPreCompleted:
        return FltpCompleteFromPre(C);
    default:
        return FltpPassDown(C);
    }
}

/* ------------------------------------------------------------------------ */
/* Dispatch and completion                                                  */
/* ------------------------------------------------------------------------ */

static NTSTATUS FltpCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    FLTP_CBD *C = Context;
    (void)DeviceObject;
    if (Irp->PendingReturned && !C->OwnsIrp)
        IoMarkIrpPending(Irp);
    KI_FRAME_SCOPE("FLTMGR", "FltpPassThroughCompletion", FLTP_FRAME_DEFAULT);
    C->Data.IoStatus = Irp->IoStatus;
    C->Current = C->CallCount;
    if (!FltpRunPost(C)) {
        C->CompleteIrpWhenDone = TRUE;
        return STATUS_MORE_PROCESSING_REQUIRED;
    }
    BOOLEAN Owns = C->OwnsIrp;
    FltpFinish(C, FALSE);
    return Owns ? STATUS_MORE_PROCESSING_REQUIRED : STATUS_CONTINUE_COMPLETION;
}

/* The two completion routines FltMgr sets, named as Windows' (they show in
 * `!irp` listings): I/O FltMgr generated itself, and I/O passing through. */
static NTSTATUS FltpSynchronizedOperationCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    return FltpCompletion(DeviceObject, Irp, Context);
}

static NTSTATUS FltpPassThroughCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    return FltpCompletion(DeviceObject, Irp, Context);
}

NTSTATUS FltpStartOperation(FLTP_CBD *C)
{
    struct FLTP_STATE *S = FltpState();
    FltpInsertTail(&S->Active, &C->ActiveLinks);
    C->Current = 0;
    return FltpRunPre(C);
}

/* A new callback data block for an operation on volume V (host memory,
 * registered so reports can name it), with its parameter block linked. */
FLTP_CBD *FltpNewCbd(PFLT_VOLUME V, ULONG Flags, PETHREAD Thread, KPROCESSOR_MODE Mode)
{
    FLTP_CBD *C = calloc(1, sizeof(*C));
    if (C == NULL)
        abort();
    MiRegisterRange(C, sizeof(*C), "FLT_CALLBACK_DATA");
    C->Magic = FLTP_CBD_MAGIC;
    C->Volume = V;
    FltpInitList(&C->Links);
    FltpInitList(&C->ActiveLinks);
    C->Data.Flags = Flags;
    C->Data.Thread = Thread;
    C->Data.Iopb = &C->Iopb;
    C->Data.RequestorMode = Mode;
    C->Data.IoStatus.Status = STATUS_SUCCESS;
    C->Data.IoStatus.Information = 0;
    return C;
}

NTSTATUS FltpDispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    struct FLTP_STATE *S = FltpState();
    PFLT_VOLUME V = FltpVolumeFromDevice(DeviceObject);
    PIO_STACK_LOCATION Sp = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS Status;
    /* IRP_MJ_CREATE enters FltMgr through FltpCreate, everything else
     * through FltpDispatch. */
    KI_FRAME_SCOPE("FLTMGR", Sp->MajorFunction == IRP_MJ_CREATE ? "FltpCreate" : "FltpDispatch",
                   Sp->MajorFunction == IRP_MJ_CREATE ? FLTP_FRAME_CREATE : FLTP_FRAME_DISPATCH);
    if (V == NULL) {
        Irp->IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
        Irp->IoStatus.Information = 0;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_INVALID_DEVICE_REQUEST;
    }
    if (FltpListEmpty(&V->Instances) || S == NULL) {
        IoSkipCurrentIrpStackLocation(Irp);
        return IoCallDriver(V->LowerDevice, Irp);
    }
    FLTP_CBD *C = FltpNewCbd(V,
                             FLTFL_CALLBACK_DATA_IRP_OPERATION |
                                 ((Irp->Flags & IRP_BUFFERED_IO) ? FLTFL_CALLBACK_DATA_SYSTEM_BUFFER : 0),
                             Irp->Tail.Overlay.Thread, Irp->RequestorMode);
    C->Irp = Irp;
    C->Device = DeviceObject;
    C->References = 1; /* this dispatch */
    FltpCaptureParameters(&C->Iopb, Irp, Sp);
    {
        /* I/O on a file object a filter opened with FltCreateFile is seen
         * only by the instances below that filter's instance. */
        PFLT_INSTANCE Initiator = NULL;
        if (Sp->MajorFunction == IRP_MJ_CREATE && S->CreateInitiator != NULL &&
            S->CreateInitiator->Volume == V) {
            Initiator = S->CreateInitiator;
            S->CreateInitiator = NULL;
        } else if (Sp->FileObject != NULL) {
            Initiator = FltpInitiatorOfFileObject(Sp->FileObject);
        }
        C->Initiator = Initiator;
        FltpSnapshotInstances(C, Initiator);
    }
    C->DispatchActive = TRUE;
    Status = FltpStartOperation(C);
    C->DispatchActive = FALSE;
    if (C->Phase == FltpPhasePendedPre || C->Phase == FltpPhasePendedPost) {
        /* A filter owns the operation now; it completes it later. */
        IoMarkIrpPending(Irp);
        Status = STATUS_PENDING;
    }
    FltpReleaseCbd(C);
    return Status;
}

/* Instance teardown: operations still owing it a post callback get it now,
 * flagged FLTFL_POST_OPERATION_DRAINING. */
void FltpDrainInstance(PFLT_INSTANCE Instance)
{
    struct FLTP_STATE *S = FltpState();
    for (PLIST_ENTRY E = S->Active.Flink; E != &S->Active; E = E->Flink) {
        FLTP_CBD *C = CONTAINING_RECORD(E, FLTP_CBD, ActiveLinks);
        if (C->Phase != FltpPhaseBelow && C->Phase != FltpPhasePendedPre)
            continue;
        for (ULONG I = 0; I < C->CallCount; I++) {
            FLTP_CALL *Call = &C->Calls[I];
            if (Call->Instance != Instance || !Call->WantPost || Call->PostDone)
                continue;
            PFLT_POST_OPERATION_CALLBACK Post = Instance->Filter->Ops[C->Iopb.MajorFunction].Post;
            Call->PostDone = TRUE;
            if (Post == NULL)
                continue;
            FLT_RELATED_OBJECTS Objects;
            FltpRelatedObjects(&Objects, Instance, C->Iopb.TargetFileObject);
            C->Data.Flags |= FLTFL_CALLBACK_DATA_DRAINING_IO | FLTFL_CALLBACK_DATA_POST_OPERATION;
            C->Iopb.TargetInstance = Instance;
            KI_DRIVER_FRAME_SCOPE(Post);
            (void)Post(&C->Data, &Objects, Call->CompletionContext, FLTFL_POST_OPERATION_DRAINING);
        }
    }
}

/* ------------------------------------------------------------------------ */
/* Pended operations                                                        */
/* ------------------------------------------------------------------------ */

VOID FLTAPI FltCompletePendedPreOperation(PFLT_CALLBACK_DATA CallbackData, FLT_PREOP_CALLBACK_STATUS CallbackStatus,
                                          PVOID Context)
{
    FLTP_CBD *C = FltpCbdFromData(CallbackData, "FltCompletePendedPreOperation");
    KiRequireIrql(CallbackStatus == FLT_PREOP_COMPLETE ? DISPATCH_LEVEL : APC_LEVEL,
                  "FltCompletePendedPreOperation");
    if (CallbackStatus == FLT_PREOP_PENDING || CallbackStatus == FLT_PREOP_DISALLOW_FSFILTER_IO) {
        KiReportSetRootCause(KiFormat("FltCompletePendedPreOperation called with status %d, which is not allowed",
                                      (int)CallbackStatus));
        KeBugCheckEx(0xF5 /* FLTMGR_FILE_SYSTEM */, 0x6B, (ULONG_PTR)MiSyntheticAddress(CallbackData), 0,
                     (ULONG_PTR)MiSyntheticAddress(KiCurrentThread()));
    }
    if (C->InPreCallback && !C->ResumeRecorded) {
        /* Completed from inside the pre callback that is about to return PENDING. */
        C->ResumeRecorded = TRUE;
        C->ResumeStatus = CallbackStatus;
        C->ResumeContext = Context;
        return;
    }
    if (C->Phase != FltpPhasePendedPre) {
        KiReportSetRootCause(KiFormat("FltCompletePendedPreOperation on callback data %016llx whose operation is not "
                                      "pended (completed twice?)",
                                      (unsigned long long)MiSyntheticAddress(CallbackData)));
        KeBugCheckEx(0xF5 /* FLTMGR_FILE_SYSTEM */, 0x6B, (ULONG_PTR)MiSyntheticAddress(CallbackData), 0,
                     (ULONG_PTR)MiSyntheticAddress(KiCurrentThread()));
    }
    KI_FRAME_SCOPE("FLTMGR", "FltCompletePendedPreOperation", FLTP_FRAME_DEFAULT);
    C->Phase = FltpPhasePre;
    if (FltpPreStatus(C, CallbackStatus, Context)) {
        (void)FltpCompleteFromPre(C);
    } else {
        C->Current++;
        (void)FltpRunPre(C);
    }
    FltpReleaseCbd(C); /* the pended operation's hold */
}

VOID FLTAPI FltCompletePendedPostOperation(PFLT_CALLBACK_DATA CallbackData)
{
    FLTP_CBD *C = FltpCbdFromData(CallbackData, "FltCompletePendedPostOperation");
    KiRequireIrql(DISPATCH_LEVEL, "FltCompletePendedPostOperation");
    if (C->InPostCallback && !C->PostResumeRecorded) {
        C->PostResumeRecorded = TRUE;
        return;
    }
    if (C->Phase != FltpPhasePendedPost) {
        KiReportSetRootCause(KiFormat("FltCompletePendedPostOperation on callback data %016llx whose post-operation "
                                      "processing is not pended",
                                      (unsigned long long)MiSyntheticAddress(CallbackData)));
        KeBugCheckEx(0xF5 /* FLTMGR_FILE_SYSTEM */, 0x6B, (ULONG_PTR)MiSyntheticAddress(CallbackData), 0,
                     (ULONG_PTR)MiSyntheticAddress(KiCurrentThread()));
    }
    KI_FRAME_SCOPE("FLTMGR", "FltCompletePendedPostOperation", FLTP_FRAME_DEFAULT);
    if (FltpRunPost(C))
        FltpFinish(C, C->CompleteIrpWhenDone && !C->OwnsIrp);
}

BOOLEAN FLTAPI FltDoCompletionProcessingWhenSafe(PFLT_CALLBACK_DATA Data, PCFLT_RELATED_OBJECTS FltObjects,
                                                 PVOID CompletionContext, FLT_POST_OPERATION_FLAGS Flags,
                                                 PFLT_POST_OPERATION_CALLBACK SafePostCallback,
                                                 PFLT_POSTOP_CALLBACK_STATUS RetPostOperationStatus)
{
    FLTP_CBD *C = FltpCbdFromData(Data, "FltDoCompletionProcessingWhenSafe");
    if (Flags & FLTFL_POST_OPERATION_DRAINING)
        return FALSE;
    if (KeGetCurrentIrql() <= APC_LEVEL) {
        FLT_POSTOP_CALLBACK_STATUS Status;
        KI_DRIVER_FRAME_SCOPE(SafePostCallback);
        Status = SafePostCallback(Data, FltObjects, CompletionContext, Flags);
        if (RetPostOperationStatus != NULL)
            *RetPostOperationStatus = Status;
        return TRUE;
    }
    /* At DISPATCH_LEVEL it would be posted to a worker; paging I/O never is. */
    if (!FLT_IS_IRP_OPERATION(&C->Data) || (C->Iopb.IrpFlags & IRP_PAGING_IO))
        return FALSE;
    FLT_POSTOP_CALLBACK_STATUS Status;
    {
        KI_DRIVER_FRAME_SCOPE(SafePostCallback);
        Status = SafePostCallback(Data, FltObjects, CompletionContext, Flags);
    }
    if (RetPostOperationStatus != NULL)
        *RetPostOperationStatus = Status;
    return TRUE;
}

/* ------------------------------------------------------------------------ */
/* Callback data inspection                                                 */
/* ------------------------------------------------------------------------ */

VOID FLTAPI FltSetCallbackDataDirty(PFLT_CALLBACK_DATA Data)
{
    FLTP_CBD *C = FltpCbdFromData(Data, "FltSetCallbackDataDirty");
    Data->Flags |= FLTFL_CALLBACK_DATA_DIRTY;
    C->Dirty = TRUE;
}

VOID FLTAPI FltClearCallbackDataDirty(PFLT_CALLBACK_DATA Data)
{
    (void)FltpCbdFromData(Data, "FltClearCallbackDataDirty");
    Data->Flags &= ~FLTFL_CALLBACK_DATA_DIRTY;
}

BOOLEAN FLTAPI FltIsCallbackDataDirty(PFLT_CALLBACK_DATA Data)
{
    (void)FltpCbdFromData(Data, "FltIsCallbackDataDirty");
    return (Data->Flags & FLTFL_CALLBACK_DATA_DIRTY) ? TRUE : FALSE;
}

BOOLEAN FLTAPI FltIsOperationSynchronous(PFLT_CALLBACK_DATA CallbackData)
{
    FLTP_CBD *C = FltpCbdFromData(CallbackData, "FltIsOperationSynchronous");
    if (!FLT_IS_IRP_OPERATION(CallbackData))
        return TRUE;
    if (C->Iopb.MajorFunction == IRP_MJ_CREATE)
        return TRUE;
    if (C->Iopb.IrpFlags & IRP_SYNCHRONOUS_API)
        return TRUE;
    if (C->Iopb.TargetFileObject != NULL && (C->Iopb.TargetFileObject->Flags & FO_SYNCHRONOUS_IO))
        return TRUE;
    if ((C->Iopb.IrpFlags & IRP_PAGING_IO) && (C->Iopb.IrpFlags & IRP_SYNCHRONOUS_PAGING_IO))
        return TRUE;
    return FALSE;
}

BOOLEAN FLTAPI FltIsIoCanceled(PFLT_CALLBACK_DATA CallbackData)
{
    FLTP_CBD *C = FltpCbdFromData(CallbackData, "FltIsIoCanceled");
    return C->Irp != NULL && C->Irp->Cancel;
}

NTSTATUS FLTAPI FltSetCancelCompletion(PFLT_CALLBACK_DATA CallbackData, PFLT_COMPLETE_CANCELED_CALLBACK CanceledCallback)
{
    FLTP_CBD *C = FltpCbdFromData(CallbackData, "FltSetCancelCompletion");
    (void)CanceledCallback;
    if (!FLT_IS_IRP_OPERATION(CallbackData) || C->Irp == NULL)
        return STATUS_INVALID_PARAMETER;
    if (C->Irp->Cancel)
        return STATUS_CANCELLED;
    return STATUS_SUCCESS;
}

NTSTATUS FLTAPI FltClearCancelCompletion(PFLT_CALLBACK_DATA CallbackData)
{
    FLTP_CBD *C = FltpCbdFromData(CallbackData, "FltClearCancelCompletion");
    if (!FLT_IS_IRP_OPERATION(CallbackData) || C->Irp == NULL)
        return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}

BOOLEAN FLTAPI FltCancelIo(PFLT_CALLBACK_DATA CallbackData)
{
    FLTP_CBD *C = FltpCbdFromData(CallbackData, "FltCancelIo");
    if (C->Irp == NULL || C->Phase != FltpPhaseBelow)
        return FALSE;
    return IoCancelIrp(C->Irp);
}

NTSTATUS FLTAPI FltRequestOperationStatusCallback(PFLT_CALLBACK_DATA Data,
                                                  PFLT_GET_OPERATION_STATUS_CALLBACK CallbackRoutine,
                                                  PVOID RequesterContext)
{
    FLTP_CBD *C = FltpCbdFromData(Data, "FltRequestOperationStatusCallback");
    KiRequireIrql(APC_LEVEL, "FltRequestOperationStatusCallback");
    if (CallbackRoutine == NULL || !FLT_IS_IRP_OPERATION(Data))
        return STATUS_INVALID_PARAMETER;
    /* Only from a pre-operation callback, before the operation goes down. */
    if (!C->InPreCallback || C->Current >= C->CallCount)
        return STATUS_INVALID_PARAMETER;
    FLTP_CALL *Call = &C->Calls[C->Current];
    Call->StatusCallback = CallbackRoutine;
    Call->StatusContext = RequesterContext;
    Call->StatusSnapshot = C->Iopb;
    return STATUS_SUCCESS;
}

PEPROCESS FLTAPI FltGetRequestorProcess(PFLT_CALLBACK_DATA CallbackData)
{
    FLTP_CBD *C = FltpCbdFromData(CallbackData, "FltGetRequestorProcess");
    if (C->Irp != NULL)
        return IoGetRequestorProcess(C->Irp);
    PKTHREAD T = (PKTHREAD)CallbackData->Thread;
    return T ? T->Process : NULL;
}

ULONG FLTAPI FltGetRequestorProcessId(PFLT_CALLBACK_DATA CallbackData)
{
    PEPROCESS P = FltGetRequestorProcess(CallbackData);
    return P ? P->ProcessId : 0;
}

HANDLE FLTAPI FltGetRequestorProcessIdEx(PFLT_CALLBACK_DATA CallbackData)
{
    return (HANDLE)(ULONG_PTR)FltGetRequestorProcessId(CallbackData);
}

BOOLEAN FLTAPI FltIs32bitProcess(PFLT_CALLBACK_DATA CallbackData)
{
    if (CallbackData != NULL)
        (void)FltpCbdFromData(CallbackData, "FltIs32bitProcess");
    return FALSE;
}

NTSTATUS FLTAPI FltDecodeParameters(PFLT_CALLBACK_DATA CallbackData, PMDL **MdlAddressPointer, PVOID **Buffer,
                                    PULONG *Length, LOCK_OPERATION *DesiredAccess)
{
    FLTP_CBD *C = FltpCbdFromData(CallbackData, "FltDecodeParameters");
    PFLT_PARAMETERS P = &C->Iopb.Parameters;
    PMDL *Mdl = NULL;
    PVOID *Buf = NULL;
    PULONG Len = NULL;
    LOCK_OPERATION Access = IoWriteAccess;
    switch (C->Iopb.MajorFunction) {
    case IRP_MJ_READ:
        Mdl = &P->Read.MdlAddress; Buf = &P->Read.ReadBuffer; Len = &P->Read.Length; Access = IoWriteAccess;
        break;
    case IRP_MJ_WRITE:
        Mdl = &P->Write.MdlAddress; Buf = &P->Write.WriteBuffer; Len = &P->Write.Length; Access = IoReadAccess;
        break;
    case IRP_MJ_QUERY_EA:
        Mdl = &P->QueryEa.MdlAddress; Buf = &P->QueryEa.EaBuffer; Len = &P->QueryEa.Length;
        break;
    case IRP_MJ_SET_EA:
        Mdl = &P->SetEa.MdlAddress; Buf = &P->SetEa.EaBuffer; Len = &P->SetEa.Length; Access = IoReadAccess;
        break;
    case IRP_MJ_DIRECTORY_CONTROL:
        Mdl = &P->DirectoryControl.QueryDirectory.MdlAddress;
        Buf = &P->DirectoryControl.QueryDirectory.DirectoryBuffer;
        Len = &P->DirectoryControl.QueryDirectory.Length;
        break;
    case IRP_MJ_QUERY_SECURITY:
        Mdl = &P->QuerySecurity.MdlAddress; Buf = &P->QuerySecurity.SecurityBuffer; Len = &P->QuerySecurity.Length;
        break;
    case IRP_MJ_QUERY_QUOTA:
        Mdl = &P->QueryQuota.MdlAddress; Buf = &P->QueryQuota.QuotaBuffer; Len = &P->QueryQuota.Length;
        break;
    case IRP_MJ_SET_QUOTA:
        Mdl = &P->SetQuota.MdlAddress; Buf = &P->SetQuota.QuotaBuffer; Len = &P->SetQuota.Length;
        Access = IoReadAccess;
        break;
    case IRP_MJ_FILE_SYSTEM_CONTROL:
    case IRP_MJ_DEVICE_CONTROL:
    case IRP_MJ_INTERNAL_DEVICE_CONTROL:
        if (FLTP_METHOD(P->DeviceIoControl.Common.IoControlCode) == METHOD_BUFFERED)
            return STATUS_INVALID_PARAMETER;
        Mdl = &P->DeviceIoControl.Neither.OutputMdlAddress;
        Buf = &P->DeviceIoControl.Neither.OutputBuffer;
        Len = &P->DeviceIoControl.Common.OutputBufferLength;
        break;
    default:
        return STATUS_INVALID_PARAMETER;
    }
    if (MdlAddressPointer != NULL)
        *MdlAddressPointer = Mdl;
    if (Buffer != NULL)
        *Buffer = Buf;
    if (Length != NULL)
        *Length = Len;
    if (DesiredAccess != NULL)
        *DesiredAccess = Access;
    return STATUS_SUCCESS;
}

NTSTATUS FLTAPI FltLockUserBuffer(PFLT_CALLBACK_DATA CallbackData)
{
    FLTP_CBD *C = FltpCbdFromData(CallbackData, "FltLockUserBuffer");
    PMDL *MdlField;
    PVOID *BufferField;
    PULONG LengthField;
    LOCK_OPERATION Access;
    KiRequireIrql(APC_LEVEL, "FltLockUserBuffer");
    if (C->Iopb.MajorFunction == IRP_MJ_READ || C->Iopb.MajorFunction == IRP_MJ_WRITE) {
        if (C->Iopb.MinorFunction & IRP_MN_MDL)
            return STATUS_INVALID_PARAMETER;
    }
    if (!NT_SUCCESS(FltDecodeParameters(CallbackData, &MdlField, &BufferField, &LengthField, &Access)))
        return STATUS_INVALID_PARAMETER;
    if (*MdlField != NULL)
        return STATUS_SUCCESS;
    if (*BufferField == NULL || *LengthField == 0)
        return STATUS_SUCCESS;
    PMDL Mdl = IoAllocateMdl(*BufferField, *LengthField, FALSE, FALSE, NULL);
    if (Mdl == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (C->Data.RequestorMode == UserMode || MiIsUserRange(KiCurrentThread()->Process, *BufferField, *LengthField)) {
        NTSTATUS Status = STATUS_SUCCESS;
        __try {
            MmProbeAndLockPages(Mdl, C->Data.RequestorMode, Access);
        } __except (EXCEPTION_EXECUTE_HANDLER) {
            Status = GetExceptionCode();
        }
        if (!NT_SUCCESS(Status)) {
            IoFreeMdl(Mdl);
            return Status;
        }
    } else {
        MmBuildMdlForNonPagedPool(Mdl);
    }
    *MdlField = Mdl;
    if (C->Irp != NULL)
        C->Irp->MdlAddress = Mdl; /* the I/O manager unlocks and frees it at completion */
    else
        C->HeldMdl = Mdl;
    C->Dirty = TRUE;
    C->Data.Flags |= FLTFL_CALLBACK_DATA_DIRTY;
    return STATUS_SUCCESS;
}

PMDL FLTAPI FltGetSwappedBufferMdlAddress(PFLT_CALLBACK_DATA CallbackData)
{
    FLTP_CBD *C = FltpCbdFromData(CallbackData, "FltGetSwappedBufferMdlAddress");
    PMDL *Field = FltpMdlField(&C->Iopb);
    return Field ? *Field : NULL;
}

VOID FLTAPI FltRetainSwappedBufferMdlAddress(PFLT_CALLBACK_DATA CallbackData)
{
    (void)FltpCbdFromData(CallbackData, "FltRetainSwappedBufferMdlAddress");
}

PVOID FLTAPI FltGetNewSystemBufferAddress(PFLT_CALLBACK_DATA CallbackData)
{
    FLTP_CBD *C = FltpCbdFromData(CallbackData, "FltGetNewSystemBufferAddress");
    return C->Irp ? C->Irp->AssociatedIrp.SystemBuffer : C->SystemBuffer;
}

IO_PRIORITY_HINT FLTAPI FltGetIoPriorityHint(PFLT_CALLBACK_DATA Data)
{
    (void)FltpCbdFromData(Data, "FltGetIoPriorityHint");
    return IoPriorityNormal;
}

IO_PRIORITY_HINT FLTAPI FltGetIoPriorityHintFromCallbackData(PFLT_CALLBACK_DATA Data)
{
    (void)FltpCbdFromData(Data, "FltGetIoPriorityHintFromCallbackData");
    return IoPriorityNormal;
}

NTSTATUS FLTAPI FltSetIoPriorityHintIntoCallbackData(PFLT_CALLBACK_DATA Data, IO_PRIORITY_HINT PriorityHint)
{
    (void)FltpCbdFromData(Data, "FltSetIoPriorityHintIntoCallbackData");
    return PriorityHint < MaxIoPriorityTypes ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
}

IO_PRIORITY_HINT FLTAPI FltGetIoPriorityHintFromFileObject(PFILE_OBJECT FileObject)
{
    (void)FileObject;
    return IoPriorityNormal;
}

NTSTATUS FLTAPI FltSetIoPriorityHintIntoFileObject(PFILE_OBJECT FileObject, IO_PRIORITY_HINT PriorityHint)
{
    if (FileObject == NULL)
        return STATUS_INVALID_PARAMETER;
    return PriorityHint < MaxIoPriorityTypes ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
}

IO_PRIORITY_HINT FLTAPI FltGetIoPriorityHintFromThread(PETHREAD Thread)
{
    (void)Thread;
    return IoPriorityNormal;
}

NTSTATUS FLTAPI FltSetIoPriorityHintIntoThread(PETHREAD Thread, IO_PRIORITY_HINT PriorityHint)
{
    if (Thread == NULL)
        return STATUS_INVALID_PARAMETER;
    return PriorityHint < MaxIoPriorityTypes ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
}
