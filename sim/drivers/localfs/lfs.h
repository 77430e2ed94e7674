/*
 * lfs.h - localfs: the interface of the in-memory NTFS-like local file
 * system driver to the rest of the simulated kernel.
 *
 * localfs is a WDK-style file system driver.  The kernel creates its driver
 * object (\FileSystem\localfs) at boot and calls LfsDriverEntry, which fills
 * MajorFunction[] and creates the file system's control device object.  For
 * every local volume the kernel calls LfsMountVolume with the storage device
 * (whose Vpb the I/O manager allocated); from then on every request for the
 * volume arrives as an IRP at the returned volume device object (possibly
 * through FltMgr and other filters attached above it), and is completed
 * synchronously with IoCompleteRequest.
 *
 * Behaviour in brief (details at each dispatch routine):
 *  - names are case-insensitive and case-preserving; directory listings are
 *    sorted by upcased UTF-16 code units, "." and ".." first (not at the
 *    root), as NTFS returns them;
 *  - FileObject->FsContext points to the file's FCB, which starts with an
 *    FSRTL_ADVANCED_FCB_HEADER (one FCB per open file, shared by all its
 *    file objects, freed at the last IRP_MJ_CLOSE after tearing down the
 *    per-stream and per-file filter contexts); FsContext2 points to a
 *    per-open CCB;
 *  - every file has a self-relative security descriptor (owner
 *    BUILTIN\Administrators, group SYSTEM, a DACL for SYSTEM,
 *    Administrators and Authenticated Users) that IRP_MJ_QUERY_SECURITY and
 *    IRP_MJ_SET_SECURITY read and replace; no access check is made against
 *    it;
 *  - the volume is not cached: IRP_NOCACHE and paging I/O flags are accepted
 *    and every read and write goes straight to the in-memory data;
 *  - timestamps come from KeQuerySystemTime (the virtual clock).
 */
#ifndef LFS_H
#define LFS_H

#include <ntifs.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * DriverEntry of \FileSystem\localfs: sets the dispatch table and creates
 * the file system control device object (FILE_DEVICE_DISK_FILE_SYSTEM,
 * named \LocalFs).
 */
NTSTATUS LfsDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);

/*
 * Mounts a new, empty volume on StorageDevice (whose Vpb must be set):
 * creates the unnamed volume device object, links it with the VPB
 * (Vpb->DeviceObject, VPB_MOUNTED, a deterministic label and serial number,
 * VolumeDeviceObject->Vpb), sets its StackSize to StorageDevice->StackSize
 * + 1 and creates the root directory.  IRP_MN_MOUNT_VOLUME sent to the
 * control device object does the same.
 */
NTSTATUS LfsMountVolume(PDRIVER_OBJECT DriverObject, PDEVICE_OBJECT StorageDevice,
                        PDEVICE_OBJECT *VolumeDeviceObject);

/*
 * Setup-time population without IRPs: creates the file or directory at Path
 * (relative to the volume root, "\docs\a.txt"), creating missing parent
 * directories.  A file gets Length bytes of Data (Data may be NULL when
 * Length is 0); an existing file's contents are replaced.  An existing
 * directory is accepted when Directory is TRUE.  Fails with
 * STATUS_OBJECT_NAME_COLLISION when an entry of the other kind exists,
 * STATUS_OBJECT_NAME_INVALID for a malformed path.
 */
NTSTATUS LfsCreateEntryDirect(PDEVICE_OBJECT VolumeDeviceObject, PCUNICODE_STRING Path,
                              BOOLEAN Directory, const VOID *Data, SIZE_T Length);

/*
 * Machine teardown: frees the volume's whole in-memory state (tree, file
 * data, FCBs and CCBs still referenced by file objects that were never
 * closed, the volume's resources).  It does not delete the volume device
 * object, which the kernel owns from IoCreateDevice on; file objects still
 * pointing at the volume must not be used afterwards.
 */
void LfsDestroyVolume(PDEVICE_OBJECT VolumeDeviceObject);

#ifdef __cplusplus
}
#endif

#endif /* LFS_H */
