/*
 * device.c - fltsim Io: device objects, device stacks (attach/detach),
 * VPBs, and the storage volumes that file systems mount.
 */
#include "iop.h"
#include <string.h>
#include "../drivers/localfs/lfs.h"

NTSTATUS IoCreateDevice(PDRIVER_OBJECT DriverObject, ULONG DeviceExtensionSize, PUNICODE_STRING DeviceName,
                        DEVICE_TYPE DeviceType, ULONG DeviceCharacteristics, BOOLEAN Exclusive,
                        PDEVICE_OBJECT *DeviceObject)
{
    SIZE_T Size = sizeof(DEVICE_OBJECT) + ((DeviceExtensionSize + 15) & ~15u) + sizeof(DEVOBJ_EXTENSION);
    const char *Name = DeviceName ? KiUnicodeToUtf8(DeviceName) : NULL;
    (void)Exclusive;
    KiRequireIrql(PASSIVE_LEVEL, "IoCreateDevice");
    PDEVICE_OBJECT D = ObpCreateObject(IopDeviceObjectType, Size, Name);
    D->Type = IO_TYPE_DEVICE;
    D->Size = (USHORT)(sizeof(DEVICE_OBJECT) + DeviceExtensionSize);
    D->ReferenceCount = 0;
    D->DriverObject = DriverObject;
    D->DeviceType = DeviceType;
    D->Characteristics = DeviceCharacteristics;
    D->StackSize = 1;
    D->Flags = DO_DEVICE_INITIALIZING | (Name ? DO_DEVICE_HAS_NAME : 0);
    D->DeviceExtension = DeviceExtensionSize ? (PVOID)(D + 1) : NULL;
    D->DeviceObjectExtension =
        (struct _DEVOBJ_EXTENSION *)((PUCHAR)(D + 1) + ((DeviceExtensionSize + 15) & ~15u));
    D->DeviceObjectExtension->Type = IO_TYPE_DEVICE_OBJECT_EXTENSION;
    D->DeviceObjectExtension->Size = sizeof(DEVOBJ_EXTENSION);
    D->DeviceObjectExtension->DeviceObject = D;
    D->SectorSize = 512;
    KeInitializeEvent(&D->DeviceLock, SynchronizationEvent, TRUE);
    if (DeviceType == FILE_DEVICE_DISK || DeviceType == FILE_DEVICE_CD_ROM || DeviceType == FILE_DEVICE_VIRTUAL_DISK) {
        PVPB Vpb = ExpAllocateSystemPool(NonPagedPoolNx, sizeof(VPB), ' bpV');
        Vpb->Type = IO_TYPE_VPB;
        Vpb->Size = sizeof(VPB);
        Vpb->RealDevice = D;
        D->Vpb = Vpb;
    }
    D->NextDevice = DriverObject->DeviceObject;
    DriverObject->DeviceObject = D;
    *DeviceObject = D;
    return STATUS_SUCCESS;
}

VOID IoDeleteDevice(PDEVICE_OBJECT DeviceObject)
{
    PDRIVER_OBJECT Driver = DeviceObject->DriverObject;
    KiRequireIrql(PASSIVE_LEVEL, "IoDeleteDevice");
    if (DeviceObject->AttachedDevice != NULL) {
        KiReportSetRootCause("IoDeleteDevice on a device that still has a device attached above it");
        KeBugCheckEx(0xC9 /* DRIVER_VERIFIER_IOMANAGER_VIOLATION */, 0x1F,
                     (ULONG_PTR)MiSyntheticAddress(DeviceObject), 0, 0);
    }
    for (PDEVICE_OBJECT *Link = &Driver->DeviceObject; *Link; Link = &(*Link)->NextDevice) {
        if (*Link == DeviceObject) {
            *Link = DeviceObject->NextDevice;
            break;
        }
    }
    if (DeviceObject->DeviceObjectExtension->AttachedTo != NULL)
        IoDetachDevice(DeviceObject->DeviceObjectExtension->AttachedTo);
    ObfDereferenceObject(DeviceObject);
}

PDEVICE_OBJECT IoGetAttachedDevice(PDEVICE_OBJECT DeviceObject)
{
    while (DeviceObject->AttachedDevice)
        DeviceObject = DeviceObject->AttachedDevice;
    return DeviceObject;
}

PDEVICE_OBJECT IoGetAttachedDeviceReference(PDEVICE_OBJECT DeviceObject)
{
    PDEVICE_OBJECT Top = IoGetAttachedDevice(DeviceObject);
    ObfReferenceObject(Top);
    return Top;
}

PDEVICE_OBJECT IoGetLowerDeviceObject(PDEVICE_OBJECT DeviceObject)
{
    PDEVICE_OBJECT Lower = DeviceObject->DeviceObjectExtension->AttachedTo;
    if (Lower)
        ObfReferenceObject(Lower);
    return Lower;
}

PDEVICE_OBJECT IoGetDeviceAttachmentBaseRef(PDEVICE_OBJECT DeviceObject)
{
    while (DeviceObject->DeviceObjectExtension->AttachedTo)
        DeviceObject = DeviceObject->DeviceObjectExtension->AttachedTo;
    ObfReferenceObject(DeviceObject);
    return DeviceObject;
}

NTSTATUS IoAttachDeviceToDeviceStackSafe(PDEVICE_OBJECT SourceDevice, PDEVICE_OBJECT TargetDevice,
                                         PDEVICE_OBJECT *AttachedToDeviceObject)
{
    PDEVICE_OBJECT Top = IoGetAttachedDevice(TargetDevice);
    Top->AttachedDevice = SourceDevice;
    SourceDevice->DeviceObjectExtension->AttachedTo = Top;
    SourceDevice->StackSize = (CCHAR)(Top->StackSize + 1);
    SourceDevice->AlignmentRequirement = Top->AlignmentRequirement;
    SourceDevice->SectorSize = Top->SectorSize;
    if (Top->Vpb == NULL && Top->Flags & DO_VOLUME_DEVICE_OBJECT)
        SourceDevice->Flags |= DO_VOLUME_DEVICE_OBJECT;
    *AttachedToDeviceObject = Top;
    return STATUS_SUCCESS;
}

PDEVICE_OBJECT IoAttachDeviceToDeviceStack(PDEVICE_OBJECT SourceDevice, PDEVICE_OBJECT TargetDevice)
{
    PDEVICE_OBJECT Lower;
    IoAttachDeviceToDeviceStackSafe(SourceDevice, TargetDevice, &Lower);
    return Lower;
}

VOID IoDetachDevice(PDEVICE_OBJECT TargetDevice)
{
    PDEVICE_OBJECT Upper = TargetDevice->AttachedDevice;
    if (Upper != NULL)
        Upper->DeviceObjectExtension->AttachedTo = NULL;
    TargetDevice->AttachedDevice = NULL;
}

/* The related device of a file object: the top of the file system's stack
 * (through the VPB when the file is on a mounted volume). */
PDEVICE_OBJECT IoGetRelatedDeviceObject(PFILE_OBJECT FileObject)
{
    PDEVICE_OBJECT D;
    if (FileObject->Vpb != NULL && FileObject->Vpb->DeviceObject != NULL)
        D = FileObject->Vpb->DeviceObject;
    else if (FileObject->DeviceObject->Vpb != NULL && FileObject->DeviceObject->Vpb->DeviceObject != NULL)
        D = FileObject->DeviceObject->Vpb->DeviceObject;
    else
        D = FileObject->DeviceObject;
    return IoGetAttachedDevice(D);
}

PDEVICE_OBJECT IoGetBaseFileSystemDeviceObject(PFILE_OBJECT FileObject)
{
    if (FileObject->Vpb != NULL && FileObject->Vpb->DeviceObject != NULL)
        return FileObject->Vpb->DeviceObject;
    return FileObject->DeviceObject;
}

NTSTATUS IoGetDiskDeviceObject(PDEVICE_OBJECT FileSystemDeviceObject, PDEVICE_OBJECT *DiskDeviceObject)
{
    struct IOP_STATE *S = IopState();
    for (ULONG I = 0; I < S->VolumeCount; I++) {
        if (S->Volumes[I].VolumeDevice == FileSystemDeviceObject) {
            ObfReferenceObject(S->Volumes[I].StorageDevice);
            *DiskDeviceObject = S->Volumes[I].StorageDevice;
            return STATUS_SUCCESS;
        }
    }
    return STATUS_INVALID_PARAMETER;
}

VOID IoRegisterFileSystem(PDEVICE_OBJECT DeviceObject)
{
    (void)DeviceObject;
}

VOID IoUnregisterFileSystem(PDEVICE_OBJECT DeviceObject)
{
    (void)DeviceObject;
}

/* --- volumes ------------------------------------------------------------------ */

void IopSetMountCallback(IOP_MOUNT_CALLBACK Callback)
{
    IopState()->MountCallback = Callback;
}

size_t IopVolumeCount(void)
{
    return IopState()->VolumeCount;
}

IOP_VOLUME *IopGetVolume(size_t Index)
{
    return Index < IopState()->VolumeCount ? &IopState()->Volumes[Index] : NULL;
}

IOP_VOLUME *IopFindVolumeByDevice(PDEVICE_OBJECT AnyDeviceInStack)
{
    struct IOP_STATE *S = IopState();
    for (ULONG I = 0; I < S->VolumeCount; I++) {
        PDEVICE_OBJECT D = S->Volumes[I].VolumeDevice;
        for (; D; D = D->AttachedDevice)
            if (D == AnyDeviceInStack)
                return &S->Volumes[I];
        if (S->Volumes[I].StorageDevice == AnyDeviceInStack)
            return &S->Volumes[I];
    }
    return NULL;
}

NTSTATUS IopMountLocalVolume(const char *Drive, PDEVICE_OBJECT *VolumeDevice)
{
    struct IOP_STATE *S = IopState();
    UNICODE_STRING Name;
    PDEVICE_OBJECT Storage, Vdo;
    NTSTATUS Status;
    if (S->VolumeCount == IOP_MAX_VOLUMES)
        return STATUS_INSUFFICIENT_RESOURCES;
    for (ULONG I = 0; I < S->VolumeCount; I++)
        if (strcasecmp(S->Volumes[I].Drive, Drive) == 0)
            return STATUS_OBJECT_NAME_COLLISION;
    ULONG Local = 0;
    for (ULONG I = 0; I < S->VolumeCount; I++)
        if (S->Volumes[I].StorageDevice != NULL)
            Local++;
    /* local volumes are numbered among themselves (the network volume is \Device\Mup) */
    KiUtf8ToUnicode(KiFormat("\\Device\\HarddiskVolume%u", Local + 1), &Name);
    Status = IoCreateDevice(S->VolMgr, 0, &Name, FILE_DEVICE_DISK, 0, FALSE, &Storage);
    if (!NT_SUCCESS(Status)) {
        KiFreeUnicode(&Name);
        return Status;
    }
    Storage->Flags &= ~DO_DEVICE_INITIALIZING;
    Storage->StackSize = 1;
    {
        KI_FRAME_SCOPE("nt", "IopMountVolume", 0x100);
        Status = LfsMountVolume(S->LocalFs, Storage, &Vdo);
    }
    if (!NT_SUCCESS(Status)) {
        KiFreeUnicode(&Name);
        return Status;
    }
    IOP_VOLUME *V = &S->Volumes[S->VolumeCount++];
    V->Drive = KiSaveString(Drive);
    V->DeviceName = Name;
    V->StorageDevice = Storage;
    V->VolumeDevice = Vdo;
    if (S->MountCallback)
        S->MountCallback(V);
    *VolumeDevice = Vdo;
    return STATUS_SUCCESS;
}

/* The network namespace: MUP's device, registered by the redirector at
 * boot; FltMgr attaches to it like to any volume. */
NTSTATUS IopRegisterNetworkVolume(PDEVICE_OBJECT MupDevice)
{
    struct IOP_STATE *S = IopState();
    if (S->VolumeCount == IOP_MAX_VOLUMES)
        return STATUS_INSUFFICIENT_RESOURCES;
    IOP_VOLUME *V = &S->Volumes[S->VolumeCount++];
    V->Drive = KiSaveString("\\\\");
    KiUtf8ToUnicode("\\Device\\Mup", &V->DeviceName);
    V->StorageDevice = NULL;
    V->VolumeDevice = MupDevice;
    S->NetworkVolume = V;
    if (S->MountCallback)
        S->MountCallback(V);
    return STATUS_SUCCESS;
}

/* "C:\dir\a.txt" (also "\??\C:\...") -> the volume device and "\dir\a.txt". */
/* Case-insensitive ASCII prefix match; on a match *P and *Units move past it. */
static BOOLEAN IopStripPrefix(PWCH *P, USHORT *Units, const WCHAR *Prefix)
{
    USHORT N = 0;
    while (Prefix[N] != 0)
        N++;
    if (*Units < N)
        return FALSE;
    for (USHORT I = 0; I < N; I++) {
        WCHAR A = (*P)[I], B = Prefix[I];
        if (A >= L'a' && A <= L'z')
            A = (WCHAR)(A - 32);
        if (B >= L'a' && B <= L'z')
            B = (WCHAR)(B - 32);
        if (A != B)
            return FALSE;
    }
    *P += N;
    *Units = (USHORT)(*Units - N);
    return TRUE;
}

NTSTATUS IopResolveDosPath(PCUNICODE_STRING Path, PDEVICE_OBJECT *VolumeDevice, PUNICODE_STRING Remainder)
{
    struct IOP_STATE *S = IopState();
    PWCH P = Path->Buffer;
    USHORT Units = Path->Length / sizeof(WCHAR);
    BOOLEAN Unc = FALSE;
    /* Object-manager forms kernel callers use: "\??\C:\x", "\DosDevices\C:\x",
     * "\??\UNC\server\share\x", "\Device\Mup\server\share\x". */
    if (IopStripPrefix(&P, &Units, L"\\??\\") || IopStripPrefix(&P, &Units, L"\\DosDevices\\")) {
        if (IopStripPrefix(&P, &Units, L"UNC\\")) {
            P--; /* keep the backslash before the server name */
            Units++;
            Unc = TRUE;
        }
    } else if (IopStripPrefix(&P, &Units, L"\\Device\\Mup\\")) {
        P--;
        Units++;
        Unc = TRUE;
    }
    if (!Unc && Units >= 2 && P[0] == L'\\' && P[1] == L'\\') {
        P++; /* "\\server\share\..." */
        Units--;
        Unc = TRUE;
    }
    if (Unc) {
        /* UNC: "\\server\share\..." goes to MUP as "\server\share\..." */
        if (S->NetworkVolume == NULL)
            return STATUS_OBJECT_PATH_NOT_FOUND;
        *VolumeDevice = S->NetworkVolume->VolumeDevice;
        Remainder->Buffer = P;
        Remainder->Length = (USHORT)(Units * sizeof(WCHAR));
        Remainder->MaximumLength = Remainder->Length;
        return STATUS_SUCCESS;
    }
    if (Units < 2 || P[1] != L':')
        return STATUS_OBJECT_PATH_SYNTAX_BAD;
    WCHAR Letter = P[0] >= L'a' && P[0] <= L'z' ? (WCHAR)(P[0] - 32) : P[0];
    for (ULONG I = 0; I < S->VolumeCount; I++) {
        if (S->Volumes[I].StorageDevice != NULL && (WCHAR)S->Volumes[I].Drive[0] == Letter) {
            *VolumeDevice = S->Volumes[I].VolumeDevice;
            Remainder->Buffer = P + 2;
            Remainder->Length = (USHORT)((Units - 2) * sizeof(WCHAR));
            Remainder->MaximumLength = Remainder->Length;
            return STATUS_SUCCESS;
        }
    }
    return STATUS_OBJECT_PATH_NOT_FOUND;
}

NTSTATUS IoVolumeDeviceToDosName(PVOID VolumeDeviceObject, PUNICODE_STRING DosName)
{
    IOP_VOLUME *V = IopFindVolumeByDevice(VolumeDeviceObject);
    KiRequireIrql(PASSIVE_LEVEL, "IoVolumeDeviceToDosName");
    if (V == NULL)
        return STATUS_INVALID_PARAMETER;
    UNICODE_STRING Tmp;
    KiUtf8ToUnicode(V->Drive, &Tmp);
    DosName->Buffer = ExAllocatePoolWithTag(PagedPool, Tmp.MaximumLength, 'mNoI');
    memcpy(DosName->Buffer, Tmp.Buffer, Tmp.MaximumLength);
    DosName->Length = Tmp.Length;
    DosName->MaximumLength = Tmp.MaximumLength;
    KiFreeUnicode(&Tmp);
    return STATUS_SUCCESS;
}
