/*
 * file.c - fltsim Io: file objects and the I/O manager side of file
 * system calls: NtCreateFile (IRP_MJ_CREATE down the volume's stack),
 * handle close (IRP_MJ_CLEANUP when the last handle goes), object deletion
 * (IRP_MJ_CLOSE when the last reference goes), and the synchronous IRPs
 * behind NtReadFile, NtWriteFile, NtQueryInformationFile,
 * NtSetInformationFile, NtQuerySecurityObject and NtQueryDirectoryFile.
 */
#include "iop.h"

const char *IopIrpMajorName(UCHAR Major);
#include <string.h>

static PIRP IopBuildIrp(PFILE_OBJECT FileObject, PDEVICE_OBJECT Device, UCHAR Major, UCHAR Minor,
                        KPROCESSOR_MODE Mode)
{
    PIRP Irp = IoAllocateIrp(Device->StackSize, FALSE);
    PIO_STACK_LOCATION Sp = IoGetNextIrpStackLocation(Irp);
    Irp->Tail.Overlay.Thread = (PETHREAD)KeGetCurrentThread();
    Irp->Tail.Overlay.OriginalFileObject = FileObject;
    Irp->RequestorMode = Mode;
    Irp->Flags |= IRP_SYNCHRONOUS_API;
    Sp->MajorFunction = Major;
    Sp->MinorFunction = Minor;
    Sp->FileObject = FileObject;
    return Irp;
}

/* A dispatch routine marked an I/O manager IRP pending and returned
 * Status: Driver Verifier's enhanced I/O verification stops the machine
 * (0xC9, 0x23E; the IRP as Arg2 - the arguments beyond the code are not
 * documented); without it Windows goes on with an IRP completed twice,
 * which the simulator avoids and notes in the trace. */
static void IopMarkedPendingReturnedStatus(UCHAR Major, unsigned long long IrpAddress, NTSTATUS Status)
{
    const char *Text = KiFormat("a driver marked the %s IRP %016llx pending (IoMarkIrpPending) but its dispatch "
                                "routine returned 0x%08x instead of STATUS_PENDING",
                                IopIrpMajorName(Major), IrpAddress, (unsigned)Status);
    if (KiMachine->Options.VerifierFlags & FSIM_VERIFIER_ENHANCED_IO_CHECKING) {
        KiReportSetRootCause(Text);
        KeBugCheckEx(0xC9 /* DRIVER_VERIFIER_IOMANAGER_VIOLATION */, 0x23E, (ULONG_PTR)IrpAddress, 0, 0);
    }
    KiTrace("I/O: %s (the IRP is finished once)", Text);
}

/* Send an I/O manager IRP and wait for it, as a synchronous system service
 * does (IopSynchronousServiceTail).  A driver that completes the IRP
 * without pending it leaves the rest to this routine
 * (IRP_DEFER_IO_COMPLETION); a pended one finishes in IopCompleteRequest,
 * the special kernel APC its completion queues to this thread, which sets
 * the event waited for here.  Cleanup and close IRPs (IRP_CLOSE_OPERATION)
 * come back without the APC and are freed here. */
NTSTATUS IopSynchronousIrp(PFILE_OBJECT FileObject, PDEVICE_OBJECT Device, PIRP Irp, PIO_STATUS_BLOCK IoStatus)
{
    NTSTATUS Status;
    KEVENT Done;
    IO_STATUS_BLOCK Iosb;
    UCHAR Major = ((PIO_STACK_LOCATION)(Irp + 1))[Irp->StackCount - 1].MajorFunction;
    BOOLEAN Close = (Irp->Flags & IRP_CLOSE_OPERATION) != 0;
    unsigned long long IrpAddress = (unsigned long long)MiSyntheticAddress(Irp);
    (void)FileObject;
    KeInitializeEvent(&Done, NotificationEvent, FALSE);
    Iosb.Status = STATUS_PENDING;
    Iosb.Information = 0;
    Irp->UserEvent = &Done;
    Irp->UserIosb = &Iosb;
    if (!Close)
        Irp->Flags |= IRP_DEFER_IO_COMPLETION;
    Status = IoCallDriver(Device, Irp);
    if (Status == STATUS_PENDING) {
        /* The driver will complete it later (another thread, a timer); the
         * IRP may be gone already: only the event and the IOSB are ours.
         * While the wait lasts the IRP still exists (the APC that frees it
         * ends the wait), so a hang report may look at it. */
        PKTHREAD T = KeGetCurrentThread();
        T->WaitNote = KiFormat("the completion of the pending %s IRP %016llx", IopIrpMajorName(Major), IrpAddress);
        T->WaitIrp = Irp;
        KeWaitForSingleObject(&Done, Executive, KernelMode, FALSE, NULL);
        T->WaitIrp = NULL;
        if (Close)
            IoFreeIrp(Irp);
        *IoStatus = Iosb;
        return IoStatus->Status;
    }
    if (KeReadStateEvent(&Done) != 0 && !Close) {
        /* The completion APC has run already - the IRP is gone - although
         * the dispatch routine returned a status, not STATUS_PENDING: a
         * driver marked the IRP pending (IoMarkIrpPending) and completed it
         * in its dispatch routine.  On Windows the service would now finish
         * the freed IRP a second time. */
        IopMarkedPendingReturnedStatus(Major, IrpAddress, Status);
        *IoStatus = Iosb;
        return IoStatus->Status;
    }
    if (Irp->CurrentLocation <= Irp->StackCount + 1) {
        const char *Text = KiFormat("the %s IRP %016llx was never completed: a driver returned a status without "
                                    "completing it, and nothing else will",
                                    IopIrpMajorName(Major), IrpAddress);
        KiReportSetRootCause(Text);
        KiHang(Text);
    }
    if (Close) {
        *IoStatus = Iosb;
        IoFreeIrp(Irp);
        return IoStatus->Status;
    }
    if (Irp->PendingReturned) {
        /* Marked pending but a status returned, and the completion APC is
         * queued but has not run (the thread holds APCs off): it would
         * finish the IRP a second time.  Take it back, finish it here. */
        IopMarkedPendingReturnedStatus(Major, IrpAddress, Status);
        KiRemoveQueuedApc(&Irp->Tail.Apc);
    }
    IopCompleteDeferred(Irp);
    *IoStatus = Iosb;
    return IoStatus->Status;
}

/* --- file object lifetime --------------------------------------------------- */

void IopCloseFileObject(PVOID Object, ULONG HandleCount, struct _EPROCESS *Process);
void IopCloseFileObject(PVOID Object, ULONG HandleCount, struct _EPROCESS *Process)
{
    PFILE_OBJECT Fo = Object;
    IO_STATUS_BLOCK Iosb;
    (void)Process;
    if (HandleCount != 0 || !(Fo->Flags & FO_HANDLE_CREATED) || (Fo->Flags & FO_CLEANUP_COMPLETE))
        return;
    PDEVICE_OBJECT Device = IoGetRelatedDeviceObject(Fo);
    PIRP Irp = IopBuildIrp(Fo, Device, IRP_MJ_CLEANUP, 0, KernelMode);
    Irp->Flags |= IRP_CLOSE_OPERATION;
    IopSynchronousIrp(Fo, Device, Irp, &Iosb);
    Fo->Flags |= FO_CLEANUP_COMPLETE;
}

void IopDeleteFileObject(PVOID Object);
void IopDeleteFileObject(PVOID Object)
{
    PFILE_OBJECT Fo = Object;
    IO_STATUS_BLOCK Iosb;
    if (Fo->Flags & FO_FILE_OPEN) {
        PDEVICE_OBJECT Device = IoGetRelatedDeviceObject(Fo);
        PIRP Irp = IopBuildIrp(Fo, Device, IRP_MJ_CLOSE, 0, KernelMode);
        Irp->Flags |= IRP_CLOSE_OPERATION;
        IopSynchronousIrp(Fo, Device, Irp, &Iosb);
    }
    if (Fo->FileName.Buffer)
        ExFreePoolWithTag(Fo->FileName.Buffer, 'mNoI');
    if (Fo->RelatedFileObject)
        ObfDereferenceObject(Fo->RelatedFileObject);
}

/* The file object type's generic mapping (FILE_GENERIC_*); MAXIMUM_ALLOWED
 * grants everything here because no access check is simulated yet. */
static ACCESS_MASK IopMapFileAccess(ACCESS_MASK Access)
{
    ACCESS_MASK Mapped = Access & ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL | MAXIMUM_ALLOWED);
    if (Access & GENERIC_READ)
        Mapped |= FILE_GENERIC_READ;
    if (Access & GENERIC_WRITE)
        Mapped |= FILE_GENERIC_WRITE;
    if (Access & GENERIC_EXECUTE)
        Mapped |= FILE_GENERIC_EXECUTE;
    if (Access & (GENERIC_ALL | MAXIMUM_ALLOWED))
        Mapped |= FILE_ALL_ACCESS;
    return Mapped;
}

static NTSTATUS IopCreateFileFlags(struct _EPROCESS *Process, PFILE_OBJECT Related, PCUNICODE_STRING Path,
                                   ACCESS_MASK DesiredAccess,
                                   ULONG FileAttributes, ULONG ShareAccess, ULONG Disposition, ULONG CreateOptions,
                                   KPROCESSOR_MODE Mode, PDEVICE_OBJECT TargetDevice, PHANDLE Handle,
                                   PIO_STATUS_BLOCK IoStatus, PFILE_OBJECT *FileObjectOut, UCHAR StackFlags);

NTSTATUS IopCreateFile(struct _EPROCESS *Process, PCUNICODE_STRING Path, ACCESS_MASK DesiredAccess,
                       ULONG FileAttributes, ULONG ShareAccess, ULONG Disposition, ULONG CreateOptions,
                       KPROCESSOR_MODE Mode, PDEVICE_OBJECT TargetDevice, PHANDLE Handle, PIO_STATUS_BLOCK IoStatus,
                       PFILE_OBJECT *FileObjectOut)
{
    return IopCreateFileFlags(Process, NULL, Path, DesiredAccess, FileAttributes, ShareAccess, Disposition, CreateOptions,
                              Mode, TargetDevice, Handle, IoStatus, FileObjectOut, 0);
}

/* ZwCreateFile with a RootDirectory: Path is relative to the open directory Related. */
NTSTATUS IopCreateFileRelative(struct _EPROCESS *Process, PFILE_OBJECT Related, PCUNICODE_STRING Path,
                               ACCESS_MASK DesiredAccess, ULONG FileAttributes, ULONG ShareAccess, ULONG Disposition,
                               ULONG CreateOptions, KPROCESSOR_MODE Mode, PHANDLE Handle, PIO_STATUS_BLOCK IoStatus)
{
    return IopCreateFileFlags(Process, Related, Path, DesiredAccess, FileAttributes, ShareAccess, Disposition,
                              CreateOptions, Mode, NULL, Handle, IoStatus, NULL, 0);
}

static NTSTATUS IopCreateFileFlags(struct _EPROCESS *Process, PFILE_OBJECT Related, PCUNICODE_STRING Path,
                                   ACCESS_MASK DesiredAccess,
                                   ULONG FileAttributes, ULONG ShareAccess, ULONG Disposition, ULONG CreateOptions,
                                   KPROCESSOR_MODE Mode, PDEVICE_OBJECT TargetDevice, PHANDLE Handle,
                                   PIO_STATUS_BLOCK IoStatus, PFILE_OBJECT *FileObjectOut, UCHAR StackFlags)
{
    PDEVICE_OBJECT Vdo = NULL;
    UNICODE_STRING Remainder;
    NTSTATUS Status;
    if (Related != NULL) {
        /* A name relative to an open directory: the same volume, and the
         * file system resolves it against the RelatedFileObject. */
        IOP_VOLUME *RelatedVolume = IopFindVolumeByDevice(Related->DeviceObject);
        Status = STATUS_OBJECT_PATH_NOT_FOUND;
        if (RelatedVolume != NULL) {
            Vdo = RelatedVolume->VolumeDevice;
            Remainder = *Path;
            Status = (Path->Length >= sizeof(WCHAR) && Path->Buffer[0] == L'\\') ? STATUS_OBJECT_NAME_INVALID
                                                                                  : STATUS_SUCCESS;
        }
    } else {
        Status = IopResolveDosPath(Path, &Vdo, &Remainder);
    }
    if (!NT_SUCCESS(Status)) {
        IoStatus->Status = Status;
        IoStatus->Information = 0;
        return Status;
    }
    if (Disposition > FILE_MAXIMUM_DISPOSITION || (CreateOptions & ~FILE_VALID_OPTION_FLAGS) ||
        ((CreateOptions & FILE_DIRECTORY_FILE) && (CreateOptions & FILE_NON_DIRECTORY_FILE))) {
        IoStatus->Status = STATUS_INVALID_PARAMETER;
        return STATUS_INVALID_PARAMETER;
    }
    IOP_VOLUME *Volume = IopFindVolumeByDevice(Vdo);
    PFILE_OBJECT Fo = ObpCreateObject(IopFileObjectType, sizeof(FILE_OBJECT), NULL);
    Fo->Type = IO_TYPE_FILE;
    Fo->Size = sizeof(FILE_OBJECT);
    Fo->DeviceObject = Volume && Volume->StorageDevice ? Volume->StorageDevice : Vdo;
    KeInitializeEvent(&Fo->Lock, SynchronizationEvent, FALSE);
    KeInitializeEvent(&Fo->Event, NotificationEvent, FALSE);
    InitializeListHead(&Fo->IrpList);
    Fo->FileName.Buffer = ExpAllocateSystemPool(PagedPool, Remainder.Length + sizeof(WCHAR), 'mNoI');
    memcpy(Fo->FileName.Buffer, Remainder.Buffer, Remainder.Length);
    Fo->FileName.Length = Remainder.Length;
    Fo->FileName.MaximumLength = (USHORT)(Remainder.Length + sizeof(WCHAR));
    if (Related != NULL) {
        ObfReferenceObject(Related); /* dropped with the file object */
        Fo->RelatedFileObject = Related;
    }
    if (CreateOptions & (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT))
        Fo->Flags |= FO_SYNCHRONOUS_IO | ((CreateOptions & FILE_SYNCHRONOUS_IO_ALERT) ? FO_ALERTABLE_IO : 0);
    if (CreateOptions & FILE_NO_INTERMEDIATE_BUFFERING)
        Fo->Flags |= FO_NO_INTERMEDIATE_BUFFERING;
    if (CreateOptions & FILE_WRITE_THROUGH)
        Fo->Flags |= FO_WRITE_THROUGH;
    if (CreateOptions & FILE_SEQUENTIAL_ONLY)
        Fo->Flags |= FO_SEQUENTIAL_ONLY;
    if (CreateOptions & FILE_RANDOM_ACCESS)
        Fo->Flags |= FO_RANDOM_ACCESS;
    if (CreateOptions & FILE_DELETE_ON_CLOSE)
        Fo->Flags |= FO_DELETE_ON_CLOSE;

    PDEVICE_OBJECT Device = TargetDevice ? TargetDevice : IoGetAttachedDevice(Vdo);
    ACCESS_STATE AccessState;
    IO_SECURITY_CONTEXT Security;
    memset(&AccessState, 0, sizeof(AccessState));
    memset(&Security, 0, sizeof(Security));
    AccessState.OriginalDesiredAccess = DesiredAccess;
    AccessState.RemainingDesiredAccess = DesiredAccess;
    Security.AccessState = &AccessState;
    Security.DesiredAccess = DesiredAccess;
    Security.FullCreateOptions = CreateOptions;
    PIRP Irp = IopBuildIrp(Fo, Device, IRP_MJ_CREATE, 0, Mode);
    Irp->Flags |= IRP_CREATE_OPERATION | IRP_DEFER_IO_COMPLETION;
    PIO_STACK_LOCATION Sp = IoGetNextIrpStackLocation(Irp);
    Sp->Parameters.Create.SecurityContext = &Security;
    Sp->Parameters.Create.Options = (Disposition << 24) | (CreateOptions & FILE_VALID_OPTION_FLAGS);
    Sp->Parameters.Create.FileAttributes = (USHORT)FileAttributes;
    Sp->Parameters.Create.ShareAccess = (USHORT)ShareAccess;
    Sp->Parameters.Create.EaLength = 0;
    Sp->Flags = StackFlags;
    {
        /* Windows: IopCreateFile -> ObOpenObjectByNameEx -> ObpLookupObjectName
         * -> IopParseDevice (the device object's parse routine) sends the IRP. */
        KI_FRAME_SCOPE("nt", "IopCreateFile", 0x1a0);
        KI_FRAME_SCOPE_2("nt", "ObOpenObjectByNameEx", 0x1d0);
        KI_FRAME_SCOPE_3("nt", "ObpLookupObjectName", 0x1a0);
        KI_FRAME_SCOPE_4("nt", "IopParseDevice", 0x1b0);
        Status = IopSynchronousIrp(Fo, Device, Irp, IoStatus);
    }
    if (!NT_SUCCESS(Status) || Status == STATUS_REPARSE) {
        ObfDereferenceObject(Fo); /* no IRP_MJ_CLOSE: the create did not succeed */
        return Status;
    }
    /* ReadAccess/WriteAccess/DeleteAccess were set by the file system's
     * IoSetShareAccess; the handle gets the granted access, generic rights
     * mapped to the file-specific ones. */
    Fo->Flags |= FO_FILE_OPEN;
    if (Handle != NULL) {
        Fo->Flags |= FO_HANDLE_CREATED;
        Status = ObpInsertHandle(Process, Fo, IopMapFileAccess(DesiredAccess), Process == KiMachine->SystemProcess,
                                 Handle);
        if (FileObjectOut) {
            *FileObjectOut = Fo;
            return IoStatus->Status; /* caller keeps the creation reference */
        }
        ObfDereferenceObject(Fo);
        return NT_SUCCESS(Status) ? IoStatus->Status : Status;
    }
    if (FileObjectOut)
        *FileObjectOut = Fo;
    else
        ObfDereferenceObject(Fo);
    return IoStatus->Status;
}

/* --- the calls behind the host's simulated system calls --------------------- */

static NTSTATUS IopReferenceFile(HANDLE Handle, PFILE_OBJECT *Fo, ACCESS_MASK *Granted)
{
    OBJECT_HANDLE_INFORMATION Info = {0, 0};
    NTSTATUS Status =
        ObReferenceObjectByHandle(Handle, 0, IopFileObjectType, ExGetPreviousMode(), (PVOID *)Fo, &Info);
    if (Granted)
        *Granted = Info.GrantedAccess;
    return Status;
}

NTSTATUS IopReadWrite(HANDLE Handle, BOOLEAN Write, PVOID UserBuffer, ULONG Length, PLARGE_INTEGER ByteOffset,
                      PIO_STATUS_BLOCK IoStatus);
NTSTATUS IopReadWrite(HANDLE Handle, BOOLEAN Write, PVOID UserBuffer, ULONG Length, PLARGE_INTEGER ByteOffset,
                      PIO_STATUS_BLOCK IoStatus)
{
    PFILE_OBJECT Fo;
    ACCESS_MASK Granted = 0;
    NTSTATUS Status = IopReferenceFile(Handle, &Fo, &Granted);
    if (!NT_SUCCESS(Status))
        return Status;
    if ((Write && !(Granted & (FILE_WRITE_DATA | FILE_APPEND_DATA))) || (!Write && !(Granted & FILE_READ_DATA))) {
        ObfDereferenceObject(Fo);
        return STATUS_ACCESS_DENIED;
    }
    PDEVICE_OBJECT Device = IoGetRelatedDeviceObject(Fo);
    PIRP Irp = IopBuildIrp(Fo, Device, Write ? IRP_MJ_WRITE : IRP_MJ_READ, IRP_MN_NORMAL, ExGetPreviousMode());
    PIO_STACK_LOCATION Sp = IoGetNextIrpStackLocation(Irp);
    LARGE_INTEGER Offset;
    if (ByteOffset == NULL || (ByteOffset->LowPart == FILE_USE_FILE_POINTER_POSITION && ByteOffset->HighPart == -1)) {
        if (!(Fo->Flags & FO_SYNCHRONOUS_IO)) {
            IoFreeIrp(Irp);
            ObfDereferenceObject(Fo);
            return STATUS_INVALID_PARAMETER;
        }
        Offset = Fo->CurrentByteOffset;
    } else {
        Offset = *ByteOffset;
    }
    Irp->Flags |= Write ? IRP_WRITE_OPERATION : (IRP_READ_OPERATION | IRP_DEFER_IO_COMPLETION);
    if (Fo->Flags & FO_NO_INTERMEDIATE_BUFFERING)
        Irp->Flags |= IRP_NOCACHE; /* a handle opened without intermediate buffering does non-cached I/O */
    Irp->UserBuffer = UserBuffer;
    if (Device->Flags & DO_BUFFERED_IO) {
        Irp->AssociatedIrp.SystemBuffer = ExpAllocateSystemPool(NonPagedPoolNx, Length ? Length : 1, 'fBoI');
        Irp->Flags |= IRP_BUFFERED_IO | IRP_DEALLOCATE_BUFFER | (Write ? 0 : IRP_INPUT_OPERATION);
        if (Write)
            memcpy(Irp->AssociatedIrp.SystemBuffer, UserBuffer, Length);
    } else if (Device->Flags & DO_DIRECT_IO) {
        PMDL Mdl = IoAllocateMdl(UserBuffer, Length, FALSE, FALSE, Irp);
        MmProbeAndLockPages(Mdl, ExGetPreviousMode(), Write ? IoReadAccess : IoWriteAccess);
    }
    if (Write) {
        Sp->Parameters.Write.Length = Length;
        Sp->Parameters.Write.ByteOffset = Offset;
    } else {
        Sp->Parameters.Read.Length = Length;
        Sp->Parameters.Read.ByteOffset = Offset;
    }
    Status = IopSynchronousIrp(Fo, Device, Irp, IoStatus);
    ObfDereferenceObject(Fo);
    return Status;
}

NTSTATUS IopQuerySetInformation(HANDLE Handle, BOOLEAN Set, ULONG Class, PVOID UserBuffer, ULONG Length,
                                PIO_STATUS_BLOCK IoStatus);
NTSTATUS IopQuerySetInformation(HANDLE Handle, BOOLEAN Set, ULONG Class, PVOID UserBuffer, ULONG Length,
                                PIO_STATUS_BLOCK IoStatus)
{
    PFILE_OBJECT Fo;
    NTSTATUS Status = IopReferenceFile(Handle, &Fo, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    PDEVICE_OBJECT Device = IoGetRelatedDeviceObject(Fo);
    PIRP Irp = IopBuildIrp(Fo, Device, Set ? IRP_MJ_SET_INFORMATION : IRP_MJ_QUERY_INFORMATION, 0,
                           ExGetPreviousMode());
    PIO_STACK_LOCATION Sp = IoGetNextIrpStackLocation(Irp);
    HANDLE TargetHandle = NULL;
    PFILE_OBJECT TargetObject = NULL;
    PVOID SystemBuffer = ExpAllocateSystemPool(NonPagedPoolNx, Length ? Length : 1, 'fBoI');
    Irp->AssociatedIrp.SystemBuffer = SystemBuffer;
    Irp->UserBuffer = UserBuffer;
    Irp->Flags |= IRP_BUFFERED_IO | IRP_DEALLOCATE_BUFFER | (Set ? 0 : IRP_INPUT_OPERATION | IRP_DEFER_IO_COMPLETION);
    if (Set) {
        memcpy(Irp->AssociatedIrp.SystemBuffer, UserBuffer, Length);
        Sp->Parameters.SetFile.Length = Length;
        Sp->Parameters.SetFile.FileInformationClass = (FILE_INFORMATION_CLASS)Class;
        if (Class == FileRenameInformation || Class == FileLinkInformation || Class == FileRenameInformationEx ||
            Class == FileLinkInformationEx) {
            PFILE_RENAME_INFORMATION R = Irp->AssociatedIrp.SystemBuffer;
            Sp->Parameters.SetFile.ReplaceIfExists = R->ReplaceIfExists;
            /* A full target path: the I/O manager opens the target's parent
             * directory first (SL_OPEN_TARGET_DIRECTORY) and hands that file
             * object to the file system, as IopOpenLinkOrRenameTarget does. */
            if (Length >= FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName) + sizeof(WCHAR) && R->RootDirectory == NULL &&
                R->FileNameLength >= sizeof(WCHAR) && R->FileName[0] == L'\\' &&
                FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName) + R->FileNameLength <= Length) {
                UNICODE_STRING Target;
                IO_STATUS_BLOCK TargetIosb;
                Target.Buffer = R->FileName;
                Target.Length = Target.MaximumLength = (USHORT)R->FileNameLength;
                Status = IopCreateFileFlags(KeGetCurrentThread()->Process, NULL, &Target, FILE_WRITE_DATA | SYNCHRONIZE, 0,
                                            FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN,
                                            FILE_OPEN_FOR_BACKUP_INTENT | FILE_SYNCHRONOUS_IO_NONALERT, KernelMode,
                                            NULL, &TargetHandle, &TargetIosb, &TargetObject,
                                            SL_OPEN_TARGET_DIRECTORY);
                if (!NT_SUCCESS(Status)) {
                    IoFreeIrp(Irp);
                    ExFreePoolWithTag(SystemBuffer, 'fBoI');
                    ObfDereferenceObject(Fo);
                    return Status;
                }
                if (IoGetRelatedDeviceObject(TargetObject) != Device) {
                    ObfDereferenceObject(TargetObject);
                    ObpCloseHandle(KiMachine->SystemProcess, TargetHandle);
                    IoFreeIrp(Irp);
                    ExFreePoolWithTag(SystemBuffer, 'fBoI');
                    ObfDereferenceObject(Fo);
                    return STATUS_NOT_SAME_DEVICE;
                }
                Sp->Parameters.SetFile.FileObject = TargetObject;
            }
        }
    } else {
        Sp->Parameters.QueryFile.Length = Length;
        Sp->Parameters.QueryFile.FileInformationClass = (FILE_INFORMATION_CLASS)Class;
    }
    Status = IopSynchronousIrp(Fo, Device, Irp, IoStatus);
    if (TargetObject != NULL) {
        ObfDereferenceObject(TargetObject);
        ObpCloseHandle(KiMachine->SystemProcess, TargetHandle);
    }
    ObfDereferenceObject(Fo);
    return Status;
}

NTSTATUS IopQuerySecurity(HANDLE Handle, ULONG SecurityInformation, PVOID UserBuffer, ULONG Length,
                          PIO_STATUS_BLOCK IoStatus);
NTSTATUS IopQuerySecurity(HANDLE Handle, ULONG SecurityInformation, PVOID UserBuffer, ULONG Length,
                          PIO_STATUS_BLOCK IoStatus)
{
    PFILE_OBJECT Fo;
    NTSTATUS Status = IopReferenceFile(Handle, &Fo, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    PDEVICE_OBJECT Device = IoGetRelatedDeviceObject(Fo);
    PIRP Irp = IopBuildIrp(Fo, Device, IRP_MJ_QUERY_SECURITY, 0, ExGetPreviousMode());
    PIO_STACK_LOCATION Sp = IoGetNextIrpStackLocation(Irp);
    Irp->UserBuffer = UserBuffer;
    Irp->Flags |= IRP_DEFER_IO_COMPLETION;
    Sp->Parameters.QuerySecurity.SecurityInformation = SecurityInformation;
    Sp->Parameters.QuerySecurity.Length = Length;
    Status = IopSynchronousIrp(Fo, Device, Irp, IoStatus);
    ObfDereferenceObject(Fo);
    return Status;
}

NTSTATUS IopQueryDirectory(HANDLE Handle, ULONG Class, PVOID UserBuffer, ULONG Length, BOOLEAN ReturnSingleEntry,
                           PUNICODE_STRING Pattern, BOOLEAN RestartScan, PIO_STATUS_BLOCK IoStatus);
NTSTATUS IopQueryDirectory(HANDLE Handle, ULONG Class, PVOID UserBuffer, ULONG Length, BOOLEAN ReturnSingleEntry,
                           PUNICODE_STRING Pattern, BOOLEAN RestartScan, PIO_STATUS_BLOCK IoStatus)
{
    PFILE_OBJECT Fo;
    NTSTATUS Status = IopReferenceFile(Handle, &Fo, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    PDEVICE_OBJECT Device = IoGetRelatedDeviceObject(Fo);
    PIRP Irp = IopBuildIrp(Fo, Device, IRP_MJ_DIRECTORY_CONTROL, IRP_MN_QUERY_DIRECTORY, ExGetPreviousMode());
    PIO_STACK_LOCATION Sp = IoGetNextIrpStackLocation(Irp);
    UNICODE_STRING *KernelPattern = NULL;
    Irp->UserBuffer = UserBuffer;
    Irp->Flags |= IRP_DEFER_IO_COMPLETION;
    if (Pattern != NULL && Pattern->Length) {
        KernelPattern = ExpAllocateSystemPool(PagedPool, sizeof(UNICODE_STRING) + Pattern->Length, 'mNoI');
        KernelPattern->Buffer = (PWCH)(KernelPattern + 1);
        KernelPattern->Length = KernelPattern->MaximumLength = Pattern->Length;
        memcpy(KernelPattern->Buffer, Pattern->Buffer, Pattern->Length);
    }
    Sp->Flags = (UCHAR)((RestartScan ? SL_RESTART_SCAN : 0) | (ReturnSingleEntry ? SL_RETURN_SINGLE_ENTRY : 0));
    Sp->Parameters.QueryDirectory.Length = Length;
    Sp->Parameters.QueryDirectory.FileName = KernelPattern;
    Sp->Parameters.QueryDirectory.FileInformationClass = (FILE_INFORMATION_CLASS)Class;
    Sp->Parameters.QueryDirectory.FileIndex = 0;
    Status = IopSynchronousIrp(Fo, Device, Irp, IoStatus);
    if (KernelPattern)
        ExFreePoolWithTag(KernelPattern, 'mNoI');
    ObfDereferenceObject(Fo);
    return Status;
}

/* Stream file objects for file systems and filters (IoCreateStreamFileObject). */
/* NtQueryVolumeInformationFile: a buffered IRP_MJ_QUERY_VOLUME_INFORMATION. */
NTSTATUS IopQueryVolume(HANDLE Handle, ULONG Class, PVOID UserBuffer, ULONG Length, PIO_STATUS_BLOCK IoStatus);
NTSTATUS IopQueryVolume(HANDLE Handle, ULONG Class, PVOID UserBuffer, ULONG Length, PIO_STATUS_BLOCK IoStatus)
{
    PFILE_OBJECT Fo;
    NTSTATUS Status = IopReferenceFile(Handle, &Fo, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    PDEVICE_OBJECT Device = IoGetRelatedDeviceObject(Fo);
    PIRP Irp = IopBuildIrp(Fo, Device, IRP_MJ_QUERY_VOLUME_INFORMATION, 0, ExGetPreviousMode());
    PIO_STACK_LOCATION Sp = IoGetNextIrpStackLocation(Irp);
    Irp->AssociatedIrp.SystemBuffer = ExpAllocateSystemPool(NonPagedPoolNx, Length ? Length : 1, 'fBoI');
    Irp->UserBuffer = UserBuffer;
    Irp->Flags |= IRP_BUFFERED_IO | IRP_DEALLOCATE_BUFFER | IRP_INPUT_OPERATION;
    Sp->Parameters.QueryVolume.Length = Length;
    Sp->Parameters.QueryVolume.FsInformationClass = (FS_INFORMATION_CLASS)Class;
    Status = IopSynchronousIrp(Fo, Device, Irp, IoStatus);
    ObfDereferenceObject(Fo);
    return Status;
}

/* NtFsControlFile: IRP_MJ_FILE_SYSTEM_CONTROL / IRP_MN_USER_FS_REQUEST on
 * the handle's file, its buffers by the FSCTL's method. */
NTSTATUS IopFsControl(HANDLE Handle, ULONG Code, PVOID Input, ULONG InputLength, PVOID Output, ULONG OutputLength,
                      PIO_STATUS_BLOCK IoStatus);
NTSTATUS IopFsControl(HANDLE Handle, ULONG Code, PVOID Input, ULONG InputLength, PVOID Output, ULONG OutputLength,
                      PIO_STATUS_BLOCK IoStatus)
{
    PFILE_OBJECT Fo;
    NTSTATUS Status = IopReferenceFile(Handle, &Fo, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    PDEVICE_OBJECT Device = IoGetRelatedDeviceObject(Fo);
    PIRP Irp = IopBuildIrp(Fo, Device, IRP_MJ_FILE_SYSTEM_CONTROL, IRP_MN_USER_FS_REQUEST, ExGetPreviousMode());
    PIO_STACK_LOCATION Sp = IoGetNextIrpStackLocation(Irp);
    Sp->Parameters.FileSystemControl.FsControlCode = Code;
    Sp->Parameters.FileSystemControl.InputBufferLength = InputLength;
    Sp->Parameters.FileSystemControl.OutputBufferLength = OutputLength;
    if (!IopSetupControlBuffers(Irp, Code, Input, InputLength, Output, OutputLength)) {
        IoFreeIrp(Irp);
        ObfDereferenceObject(Fo);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    Status = IopSynchronousIrp(Fo, Device, Irp, IoStatus);
    ObfDereferenceObject(Fo);
    return Status;
}

/* IoQueryFileInformation: the query sent for a file object the caller holds
 * (no handle), to the top of its stack. */
NTSTATUS IoQueryFileInformation(PFILE_OBJECT FileObject, FILE_INFORMATION_CLASS FileInformationClass, ULONG Length,
                                PVOID FileInformation, PULONG ReturnedLength)
{
    IO_STATUS_BLOCK Iosb = {{0}, 0};
    KiRequireIrql(PASSIVE_LEVEL, "IoQueryFileInformation");
    *ReturnedLength = 0;
    if (FileObject == NULL || FileInformation == NULL)
        return STATUS_INVALID_PARAMETER;
    PDEVICE_OBJECT Device = IoGetRelatedDeviceObject(FileObject);
    PIRP Irp = IopBuildIrp(FileObject, Device, IRP_MJ_QUERY_INFORMATION, 0, KernelMode);
    PIO_STACK_LOCATION Sp = IoGetNextIrpStackLocation(Irp);
    Irp->AssociatedIrp.SystemBuffer = ExpAllocateSystemPool(NonPagedPoolNx, Length ? Length : 1, 'fBoI');
    Irp->UserBuffer = FileInformation;
    Irp->Flags |= IRP_BUFFERED_IO | IRP_DEALLOCATE_BUFFER | IRP_INPUT_OPERATION;
    Sp->Parameters.QueryFile.Length = Length;
    Sp->Parameters.QueryFile.FileInformationClass = FileInformationClass;
    NTSTATUS Status = IopSynchronousIrp(FileObject, Device, Irp, &Iosb);
    *ReturnedLength = (ULONG)Iosb.Information;
    return Status;
}

/* A filter that redirects a create renames the file object: the new name
 * goes into the existing buffer when it fits, else into a new one (the old
 * freed). */
NTSTATUS IoReplaceFileObjectName(PFILE_OBJECT FileObject, PWSTR NewFileName, USHORT FileNameLength)
{
    KiRequireIrql(PASSIVE_LEVEL, "IoReplaceFileObjectName");
    if (FileObject == NULL || (NewFileName == NULL && FileNameLength != 0))
        return STATUS_INVALID_PARAMETER;
    if (FileObject->FileName.Buffer == NULL || FileObject->FileName.MaximumLength < FileNameLength) {
        PWCH Buffer = ExpAllocateSystemPool(PagedPool, FileNameLength ? FileNameLength : sizeof(WCHAR), 'mNoI');
        if (Buffer == NULL)
            return STATUS_INSUFFICIENT_RESOURCES;
        if (FileObject->FileName.Buffer != NULL)
            ExFreePoolWithTag(FileObject->FileName.Buffer, 'mNoI');
        FileObject->FileName.Buffer = Buffer;
        FileObject->FileName.MaximumLength = FileNameLength ? FileNameLength : sizeof(WCHAR);
    }
    if (FileNameLength)
        memmove(FileObject->FileName.Buffer, NewFileName, FileNameLength);
    FileObject->FileName.Length = FileNameLength;
    return STATUS_SUCCESS;
}

/* No file object here belongs to a transaction (no KTM in this machine). */
PTXN_PARAMETER_BLOCK IoGetTransactionParameterBlock(PFILE_OBJECT FileObject)
{
    (void)FileObject;
    return NULL;
}

/* The file's name in DOS form ("C:\\docs\\a.txt", "\\\\server\\share\\x"), in pool
 * the caller frees (ExFreePool). */
NTSTATUS IoQueryFileDosDeviceName(PFILE_OBJECT FileObject, POBJECT_NAME_INFORMATION *ObjectNameInformation)
{
    WCHAR Path[1024];
    USHORT Units = 0, Depth = 0;
    KiRequireIrql(PASSIVE_LEVEL, "IoQueryFileDosDeviceName");
    *ObjectNameInformation = NULL;
    IOP_VOLUME *Volume = FileObject != NULL ? IopFindVolumeByDevice(FileObject->DeviceObject) : NULL;
    if (Volume == NULL)
        return STATUS_INVALID_DEVICE_REQUEST;
    /* the path, its relative parts resolved against RelatedFileObject */
    PFILE_OBJECT Parts[16];
    for (PFILE_OBJECT F = FileObject; F != NULL && Depth < 16; F = F->RelatedFileObject) {
        Parts[Depth++] = F;
        if (F->FileName.Length >= sizeof(WCHAR) && F->FileName.Buffer[0] == L'\\')
            break;
    }
    const char *Drive = Volume->Drive;
    BOOLEAN Unc = Drive[0] == '\\';
    if (Unc) {
        Path[Units++] = L'\\'; /* the names start "\\server": one more makes "\\\\server" */
    } else {
        Path[Units++] = (WCHAR)Drive[0];
        Path[Units++] = L':';
    }
    while (Depth-- > 0) {
        PUNICODE_STRING N = &Parts[Depth]->FileName;
        USHORT Count = N->Length / sizeof(WCHAR);
        if (Count && N->Buffer[0] != L'\\' && Units && Path[Units - 1] != L'\\')
            Path[Units++] = L'\\';
        if (Units + Count >= RTL_NUMBER_OF(Path))
            return STATUS_NAME_TOO_LONG;
        memcpy(Path + Units, N->Buffer, Count * sizeof(WCHAR));
        Units = (USHORT)(Units + Count);
    }
    if (Units == 2 && !Unc)
        Path[Units++] = L'\\'; /* the volume's root */
    POBJECT_NAME_INFORMATION Info =
        ExAllocatePoolWithTag(PagedPool, sizeof(OBJECT_NAME_INFORMATION) + (Units + 1) * sizeof(WCHAR), 'mNoI');
    if (Info == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Info->Name.Buffer = (PWCH)(Info + 1);
    memcpy(Info->Name.Buffer, Path, Units * sizeof(WCHAR));
    Info->Name.Buffer[Units] = 0;
    Info->Name.Length = (USHORT)(Units * sizeof(WCHAR));
    Info->Name.MaximumLength = (USHORT)((Units + 1) * sizeof(WCHAR));
    *ObjectNameInformation = Info;
    return STATUS_SUCCESS;
}

PFILE_OBJECT IoCreateStreamFileObjectLite(PFILE_OBJECT FileObject, PDEVICE_OBJECT DeviceObject)
{
    PFILE_OBJECT Fo = ObpCreateObject(IopFileObjectType, sizeof(FILE_OBJECT), NULL);
    Fo->Type = IO_TYPE_FILE;
    Fo->Size = sizeof(FILE_OBJECT);
    Fo->DeviceObject = FileObject ? FileObject->DeviceObject : DeviceObject;
    Fo->Vpb = FileObject ? FileObject->Vpb : (DeviceObject ? DeviceObject->Vpb : NULL);
    Fo->Flags = FO_STREAM_FILE;
    KeInitializeEvent(&Fo->Lock, SynchronizationEvent, FALSE);
    KeInitializeEvent(&Fo->Event, NotificationEvent, FALSE);
    InitializeListHead(&Fo->IrpList);
    return Fo;
}

PFILE_OBJECT IoCreateStreamFileObject(PFILE_OBJECT FileObject, PDEVICE_OBJECT DeviceObject)
{
    return IoCreateStreamFileObjectLite(FileObject, DeviceObject);
}
