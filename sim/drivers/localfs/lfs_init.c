/*
 * lfs_init.c - localfs: driver entry, dispatch table, control device
 * object, mounting and tearing down volumes, setup-time population, and the
 * small dispatch routines (flush, file system control, unsupported
 * requests), plus the helpers every dispatch routine uses (completion,
 * file object decoding, locking).
 */
#include "lfsp.h"

#ifndef FSCTL_IS_VOLUME_MOUNTED
#define FSCTL_IS_VOLUME_MOUNTED CTL_CODE(FILE_DEVICE_FILE_SYSTEM, 10, METHOD_BUFFERED, FILE_ANY_ACCESS)
#endif

/* --- helpers ------------------------------------------------------------- */

NTSTATUS LfspCompleteRequest(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

/* The VCB of a volume device object, NULL for the control device object. */
PLFS_VCB LfspVcbFromDevice(PDEVICE_OBJECT DeviceObject)
{
    PLFS_VCB Vcb;

    if (DeviceObject == NULL || DeviceObject->DeviceExtension == NULL) {
        return NULL;
    }
    Vcb = (PLFS_VCB)DeviceObject->DeviceExtension;
    return Vcb->NodeTypeCode == LFS_NTC_VCB ? Vcb : NULL;
}

LFS_OPEN_TYPE LfspDecodeFileObject(PLFS_VCB Vcb, PFILE_OBJECT FileObject, PLFS_FCB *Fcb,
                                   PLFS_CCB *Ccb)
{
    PLFS_FCB FoundFcb;
    PLFS_CCB FoundCcb;

    *Fcb = NULL;
    *Ccb = NULL;
    if (FileObject == NULL || FileObject->FsContext == NULL || FileObject->FsContext2 == NULL) {
        return LfsOpenUnknown;
    }
    FoundFcb = (PLFS_FCB)FileObject->FsContext;
    FoundCcb = (PLFS_CCB)FileObject->FsContext2;
    if ((LfspCommonHeader(FoundFcb)->NodeTypeCode != LFS_NTC_FCB &&
         LfspCommonHeader(FoundFcb)->NodeTypeCode != LFS_NTC_VOLUME_FCB) ||
        FoundCcb->NodeTypeCode != LFS_NTC_CCB || (Vcb != NULL && FoundFcb->Vcb != Vcb)) {
        return LfsOpenUnknown;
    }
    *Fcb = FoundFcb;
    *Ccb = FoundCcb;
    if (FoundFcb->Node == NULL) {
        return LfsOpenVolume;
    }
    return FoundFcb->Node->IsDirectory ? LfsOpenDirectory : LfsOpenFile;
}

void LfspAcquireVcbExclusive(PLFS_VCB Vcb)
{
    KeEnterCriticalRegion();
    (void)ExAcquireResourceExclusiveLite(&Vcb->Resource, TRUE);
}

void LfspAcquireVcbShared(PLFS_VCB Vcb)
{
    KeEnterCriticalRegion();
    (void)ExAcquireResourceSharedLite(&Vcb->Resource, TRUE);
}

void LfspReleaseVcb(PLFS_VCB Vcb)
{
    ExReleaseResourceLite(&Vcb->Resource);
    KeLeaveCriticalRegion();
}

void LfspAcquireFcbExclusive(PLFS_FCB Fcb)
{
    KeEnterCriticalRegion();
    (void)ExAcquireResourceExclusiveLite(&Fcb->MainResource, TRUE);
}

void LfspAcquireFcbShared(PLFS_FCB Fcb)
{
    KeEnterCriticalRegion();
    (void)ExAcquireResourceSharedLite(&Fcb->MainResource, TRUE);
}

void LfspReleaseFcb(PLFS_FCB Fcb)
{
    ExReleaseResourceLite(&Fcb->MainResource);
    KeLeaveCriticalRegion();
}

BOOLEAN LfspSetTopLevelIrp(PIRP Irp)
{
    if (Irp == NULL || IoGetTopLevelIrp() != NULL) {
        return FALSE;
    }
    IoSetTopLevelIrp(Irp);
    return TRUE;
}

void LfspRestoreTopLevelIrp(BOOLEAN WasSet)
{
    if (WasSet) {
        IoSetTopLevelIrp(NULL);
    }
}

void LfspCacheFileSizes(PLFS_FCB Fcb, ULONGLONG ValidLimit, PCC_FILE_SIZES Sizes)
{
    PFSRTL_COMMON_FCB_HEADER Header = LfspCommonHeader(Fcb);

    Sizes->AllocationSize = Header->AllocationSize;
    Sizes->FileSize = Header->FileSize;
    Sizes->ValidDataLength = Header->ValidDataLength;
    if ((ULONGLONG)Sizes->ValidDataLength.QuadPart > ValidLimit) {
        Sizes->ValidDataLength.QuadPart = (LONGLONG)ValidLimit;
    }
}

void LfspNotifyCacheSizes(PFILE_OBJECT FileObject, PLFS_FCB Fcb, ULONGLONG ValidLimit)
{
    CC_FILE_SIZES Sizes;

    if (Fcb->SectionObjectPointers.SharedCacheMap == NULL) {
        return;
    }
    LfspCacheFileSizes(Fcb, ValidLimit, &Sizes);
    CcSetFileSizes(FileObject, &Sizes);
}

/* --- driver entry -------------------------------------------------------- */

NTSTATUS LfsDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(L"\\LocalFs");
    PDEVICE_OBJECT ControlDevice = NULL;
    PLFS_CDO_EXTENSION Extension;
    NTSTATUS Status;
    ULONG Index;

    UNREFERENCED_PARAMETER(RegistryPath);
    PAGED_CODE();

    for (Index = 0; Index <= IRP_MJ_MAXIMUM_FUNCTION; Index++) {
        DriverObject->MajorFunction[Index] = LfsFsdInvalidRequest;
    }
    DriverObject->MajorFunction[IRP_MJ_CREATE] = LfsFsdCreate;
    DriverObject->MajorFunction[IRP_MJ_CLEANUP] = LfsFsdCleanup;
    DriverObject->MajorFunction[IRP_MJ_CLOSE] = LfsFsdClose;
    DriverObject->MajorFunction[IRP_MJ_READ] = LfsFsdRead;
    DriverObject->MajorFunction[IRP_MJ_WRITE] = LfsFsdWrite;
    DriverObject->MajorFunction[IRP_MJ_QUERY_INFORMATION] = LfsFsdQueryInformation;
    DriverObject->MajorFunction[IRP_MJ_SET_INFORMATION] = LfsFsdSetInformation;
    DriverObject->MajorFunction[IRP_MJ_QUERY_VOLUME_INFORMATION] = LfsFsdQueryVolumeInformation;
    DriverObject->MajorFunction[IRP_MJ_DIRECTORY_CONTROL] = LfsFsdDirectoryControl;
    DriverObject->MajorFunction[IRP_MJ_QUERY_SECURITY] = LfsFsdQuerySecurity;
    DriverObject->MajorFunction[IRP_MJ_SET_SECURITY] = LfsFsdSetSecurity;
    DriverObject->MajorFunction[IRP_MJ_FLUSH_BUFFERS] = LfsFsdFlushBuffers;
    DriverObject->MajorFunction[IRP_MJ_FILE_SYSTEM_CONTROL] = LfsFsdFileSystemControl;
    /* A file system driver cannot be unloaded; no fast I/O: every request is an IRP. */
    DriverObject->DriverUnload = NULL;
    DriverObject->FastIoDispatch = NULL;

    Status = IoCreateDevice(DriverObject, sizeof(LFS_CDO_EXTENSION), &Name,
                            FILE_DEVICE_DISK_FILE_SYSTEM, 0, FALSE, &ControlDevice);
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    Extension = (PLFS_CDO_EXTENSION)ControlDevice->DeviceExtension;
    Extension->NodeTypeCode = LFS_NTC_CDO;
    Extension->NodeByteSize = (CSHORT)sizeof(LFS_CDO_EXTENSION);
    ControlDevice->Flags &= ~DO_DEVICE_INITIALIZING;
    return STATUS_SUCCESS;
}

/* --- mounting ------------------------------------------------------------ */

/* Number of device objects the driver already has (the CDO counts). */
static ULONG LfspDeviceCount(PDRIVER_OBJECT DriverObject)
{
    ULONG Count = 0;
    PDEVICE_OBJECT Device;

    for (Device = DriverObject->DeviceObject; Device != NULL; Device = Device->NextDevice) {
        Count++;
    }
    return Count;
}

/* A serial number that looks like one, from the volume's ordinal. */
static ULONG LfspSerialNumber(ULONG Ordinal)
{
    ULONG Value = (Ordinal + 1) * 0x9E3779B1u;

    Value ^= Value >> 15;
    Value *= 0x85EBCA77u;
    Value ^= Value >> 13;
    return Value;
}

NTSTATUS LfsMountVolume(PDRIVER_OBJECT DriverObject, PDEVICE_OBJECT StorageDevice,
                        PDEVICE_OBJECT *VolumeDeviceObject)
{
    static const WCHAR Label[] = L"LocalFs";
    PDEVICE_OBJECT Volume = NULL;
    PVPB Vpb;
    PLFS_VCB Vcb;
    PLFS_NODE Root;
    NTSTATUS Status;
    ULONG Ordinal;

    PAGED_CODE();
    *VolumeDeviceObject = NULL;
    if (StorageDevice == NULL || StorageDevice->Vpb == NULL) {
        return STATUS_UNRECOGNIZED_VOLUME;
    }
    Vpb = StorageDevice->Vpb;
    Ordinal = LfspDeviceCount(DriverObject);
    Status = IoCreateDevice(DriverObject, sizeof(LFS_VCB), NULL, FILE_DEVICE_DISK_FILE_SYSTEM, 0,
                            FALSE, &Volume);
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    Vcb = (PLFS_VCB)Volume->DeviceExtension;
    RtlZeroMemory(Vcb, sizeof(LFS_VCB));
    Vcb->NodeTypeCode = LFS_NTC_VCB;
    Vcb->NodeByteSize = (CSHORT)sizeof(LFS_VCB);
    Vcb->VolumeDeviceObject = Volume;
    Vcb->StorageDevice = StorageDevice;
    Vcb->Vpb = Vpb;
    InitializeListHead(&Vcb->AllNodes);
    InitializeListHead(&Vcb->AllFcbs);
    InitializeListHead(&Vcb->AllCcbs);
    Vcb->NextFileRecord = LFS_FIRST_FILE_RECORD;
    Vcb->CreationTime = LfspNow();
    Vcb->SerialNumber = LfspSerialNumber(Ordinal);
    Status = ExInitializeResourceLite(&Vcb->Resource);
    if (!NT_SUCCESS(Status)) {
        Vcb->NodeTypeCode = 0;
        IoDeleteDevice(Volume);
        return Status;
    }
    Vcb->ResourceInitialized = TRUE;

    Status = LfspAllocateNode(Vcb, NULL, TRUE, FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM,
                              &Root);
    if (!NT_SUCCESS(Status)) {
        ExDeleteResourceLite(&Vcb->Resource);
        Vcb->NodeTypeCode = 0;
        IoDeleteDevice(Volume);
        return Status;
    }
    Root->Linked = TRUE;
    LfspReferenceNode(Root);
    Vcb->Root = Root;

    Volume->StackSize = (CCHAR)(StorageDevice->StackSize + 1);
    Volume->AlignmentRequirement = StorageDevice->AlignmentRequirement;
    Volume->SectorSize = (USHORT)LFS_SECTOR_SIZE;
    Volume->Vpb = Vpb;
    Vpb->DeviceObject = Volume;
    Vpb->SerialNumber = Vcb->SerialNumber;
    Vpb->VolumeLabelLength = (USHORT)(sizeof(Label) - sizeof(WCHAR));
    RtlCopyMemory(Vpb->VolumeLabel, Label, sizeof(Label) - sizeof(WCHAR));
    Vpb->Flags |= VPB_MOUNTED;
    Volume->Flags &= ~DO_DEVICE_INITIALIZING;
    *VolumeDeviceObject = Volume;
    return STATUS_SUCCESS;
}

void LfsDestroyVolume(PDEVICE_OBJECT VolumeDeviceObject)
{
    PLFS_VCB Vcb = LfspVcbFromDevice(VolumeDeviceObject);

    if (Vcb == NULL) {
        return;
    }
    /* File objects never closed: their CCBs, then their FCBs. */
    while (!IsListEmpty(&Vcb->AllCcbs)) {
        PLFS_CCB Ccb = CONTAINING_RECORD(Vcb->AllCcbs.Flink, LFS_CCB, VcbLinks);
        LfspDeleteCcb(Ccb);
    }
    while (!IsListEmpty(&Vcb->AllFcbs)) {
        PLFS_FCB Fcb = CONTAINING_RECORD(Vcb->AllFcbs.Flink, LFS_FCB, VcbLinks);
        LfspDeleteFcb(Fcb);
    }
    /* Every node, whatever its reference count (children before parents
     * does not matter: nothing is followed once freeing starts). */
    while (!IsListEmpty(&Vcb->AllNodes)) {
        PLFS_NODE Node = CONTAINING_RECORD(Vcb->AllNodes.Blink, LFS_NODE, VcbLinks);
        RemoveEntryList(&Node->VcbLinks);
        InitializeListHead(&Node->VcbLinks);
        Node->RefCount = 1;
        Node->Parent = NULL;
        LfspDereferenceNode(Node);
    }
    Vcb->Root = NULL;
    if (Vcb->ResourceInitialized) {
        ExDeleteResourceLite(&Vcb->Resource);
        Vcb->ResourceInitialized = FALSE;
    }
    if (Vcb->Vpb != NULL && Vcb->Vpb->DeviceObject == VolumeDeviceObject) {
        Vcb->Vpb->Flags &= ~VPB_MOUNTED;
    }
    Vcb->NodeTypeCode = 0;
}

/* --- setup-time population ----------------------------------------------- */

NTSTATUS LfsCreateEntryDirect(PDEVICE_OBJECT VolumeDeviceObject, PCUNICODE_STRING Path,
                              BOOLEAN Directory, const VOID *Data, SIZE_T Length)
{
    PLFS_VCB Vcb = LfspVcbFromDevice(VolumeDeviceObject);
    UNICODE_STRING Remaining;
    UNICODE_STRING Component;
    UNICODE_STRING Rest;
    PLFS_NODE Current;
    NTSTATUS Status = STATUS_SUCCESS;

    if (Vcb == NULL || Path == NULL || Path->Length < sizeof(WCHAR) ||
        (Path->Length % sizeof(WCHAR)) != 0 || Path->Buffer[0] != L'\\') {
        return STATUS_OBJECT_NAME_INVALID;
    }
    if (!Directory && (Length > LFS_MAX_FILE_SIZE || (Data == NULL && Length != 0))) {
        return STATUS_INVALID_PARAMETER;
    }
    Remaining = *Path;
    if (Remaining.Length > sizeof(WCHAR) &&
        Remaining.Buffer[Remaining.Length / sizeof(WCHAR) - 1] == L'\\') {
        Remaining.Length -= sizeof(WCHAR);
    }

    LfspAcquireVcbExclusive(Vcb);
    Current = Vcb->Root;
    if (Remaining.Length == sizeof(WCHAR)) {
        /* "\": the root directory. */
        Status = Directory ? STATUS_SUCCESS : STATUS_OBJECT_NAME_COLLISION;
        LfspReleaseVcb(Vcb);
        return Status;
    }
    while (Remaining.Length != 0) {
        PLFS_NODE Child;
        BOOLEAN Last;

        FsRtlDissectName(Remaining, &Component, &Rest);
        if (Component.Length == 0 || (Rest.Length != 0 && Rest.Buffer[0] == L'\\')) {
            Status = STATUS_OBJECT_NAME_INVALID;
            break;
        }
        Status = LfspValidateComponent(&Component);
        if (!NT_SUCCESS(Status)) {
            break;
        }
        Last = (BOOLEAN)(Rest.Length == 0);
        Child = LfspLookupChild(Current, &Component);
        if (Child == NULL) {
            BOOLEAN MakeDirectory = (BOOLEAN)(!Last || Directory);
            Status = LfspAllocateNode(Vcb, &Component, MakeDirectory,
                                      MakeDirectory ? 0 : FILE_ATTRIBUTE_ARCHIVE, &Child);
            if (!NT_SUCCESS(Status)) {
                break;
            }
            Status = LfspInsertChild(Current, Child);
            if (!NT_SUCCESS(Status)) {
                LfspReferenceNode(Child);
                LfspDereferenceNode(Child);
                break;
            }
            LfspTouchDirectory(Current);
        } else if (!Last && !Child->IsDirectory) {
            Status = STATUS_OBJECT_PATH_NOT_FOUND;
            break;
        } else if (Last && Child->IsDirectory != Directory) {
            Status = STATUS_OBJECT_NAME_COLLISION;
            break;
        }
        if (Last && !Directory) {
            Status = LfspSetFileSize(Child, 0);
            if (NT_SUCCESS(Status)) {
                Status = LfspSetFileSize(Child, Length);
            }
            if (NT_SUCCESS(Status) && Length != 0) {
                RtlCopyMemory(Child->Data, Data, Length);
            }
            if (NT_SUCCESS(Status)) {
                LARGE_INTEGER Now = LfspNow();
                Child->LastWriteTime = Now;
                Child->ChangeTime = Now;
            }
        }
        Current = Child;
        Remaining = Rest;
    }
    LfspReleaseVcb(Vcb);
    return Status;
}

/* --- small dispatch routines --------------------------------------------- */

/*
 * IRP_MJ_FLUSH_BUFFERS: a cached file's dirty data is written back
 * (CcFlushCache: paging writes down the volume's stack); the in-memory
 * data needs nothing more.  The status is the flush's.
 */
NTSTATUS LfsFsdFlushBuffers(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION IrpSp = IoGetCurrentIrpStackLocation(Irp);
    PLFS_VCB Vcb = LfspVcbFromDevice(DeviceObject);
    LFS_OPEN_TYPE Type;
    PLFS_FCB Fcb;
    PLFS_CCB Ccb;
    IO_STATUS_BLOCK Iosb;
    BOOLEAN TopLevel;

    PAGED_CODE();
    if (Vcb == NULL) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
    Type = LfspDecodeFileObject(Vcb, IrpSp->FileObject, &Fcb, &Ccb);
    if (Type == LfsOpenUnknown) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_PARAMETER, 0);
    }
    Iosb.Status = STATUS_SUCCESS;
    Iosb.Information = 0;
    if (Type == LfsOpenFile && Fcb->SectionObjectPointers.SharedCacheMap != NULL) {
        LfspAcquireFcbExclusive(Fcb);
        TopLevel = LfspSetTopLevelIrp(Irp);
        CcFlushCache(&Fcb->SectionObjectPointers, NULL, 0, &Iosb);
        LfspRestoreTopLevelIrp(TopLevel);
        LfspReleaseFcb(Fcb);
    }
    return LfspCompleteRequest(Irp, NT_SUCCESS(Iosb.Status) ? STATUS_SUCCESS : Iosb.Status, 0);
}

/*
 * IRP_MJ_FILE_SYSTEM_CONTROL: IRP_MN_MOUNT_VOLUME at the control device
 * object mounts a volume; FSCTL_IS_VOLUME_MOUNTED succeeds; every other
 * request is STATUS_INVALID_DEVICE_REQUEST.
 */
NTSTATUS LfsFsdFileSystemControl(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION IrpSp = IoGetCurrentIrpStackLocation(Irp);
    PLFS_VCB Vcb = LfspVcbFromDevice(DeviceObject);
    NTSTATUS Status = STATUS_INVALID_DEVICE_REQUEST;

    PAGED_CODE();
    switch (IrpSp->MinorFunction) {
    case IRP_MN_MOUNT_VOLUME:
        if (Vcb == NULL) {
            PDEVICE_OBJECT Storage = IrpSp->Parameters.MountVolume.DeviceObject;
            PDEVICE_OBJECT Volume;
            if (Storage != NULL && Storage->Vpb == NULL) {
                Storage->Vpb = IrpSp->Parameters.MountVolume.Vpb;
            }
            Status = LfsMountVolume(DeviceObject->DriverObject, Storage, &Volume);
        }
        break;
    case IRP_MN_USER_FS_REQUEST:
    case IRP_MN_KERNEL_CALL:
        if (Vcb != NULL &&
            IrpSp->Parameters.FileSystemControl.FsControlCode == FSCTL_IS_VOLUME_MOUNTED) {
            Status = STATUS_SUCCESS;
        }
        break;
    default:
        break;
    }
    return LfspCompleteRequest(Irp, Status, 0);
}

/* Every major function localfs does not implement. */
NTSTATUS LfsFsdInvalidRequest(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    UNREFERENCED_PARAMETER(DeviceObject);
    return LfspCompleteRequest(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
}
