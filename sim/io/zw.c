/*
 * zw.c - fltsim Io: the file system services kernel code calls (ZwCreateFile,
 * ZwOpenFile, ZwReadFile, ZwWriteFile, ZwQueryInformationFile,
 * ZwSetInformationFile, ZwQueryVolumeInformationFile, ZwQueryDirectoryFile,
 * ZwQuerySecurityObject, ZwFsControlFile).  A Zw call is a system call made from kernel mode:
 * the previous mode is KernelMode for its duration (buffers are not
 * probed, handles may be kernel handles), and it takes the system
 * service's frames.  Names are object-manager names: "\??\C:\x",
 * "\DosDevices\C:\x", "\??\UNC\server\share\x", "\Device\Mup\server\share\x", or a name
 * relative to an open directory (RootDirectory).
 * The I/O is synchronous (the caller waits for a pended IRP, which finishes
 * through the IopCompleteRequest APC); an Event or ApcRoutine is not
 * supported and fails with STATUS_NOT_SUPPORTED.  IRQL: the documented
 * contract is PASSIVE_LEVEL with special kernel APCs enabled; Windows does
 * not check it, and neither does this (a caller at APC_LEVEL hangs on a
 * pended IRP, as on Windows); above APC_LEVEL is IRQL_NOT_LESS_OR_EQUAL.
 */
#include "iop.h"
#include <string.h>

NTSTATUS IopReadWrite(HANDLE Handle, BOOLEAN Write, PVOID UserBuffer, ULONG Length, PLARGE_INTEGER ByteOffset,
                      PIO_STATUS_BLOCK IoStatus);
NTSTATUS IopQuerySetInformation(HANDLE Handle, BOOLEAN Set, ULONG Class, PVOID UserBuffer, ULONG Length,
                                PIO_STATUS_BLOCK IoStatus);
NTSTATUS IopQuerySecurity(HANDLE Handle, ULONG SecurityInformation, PVOID UserBuffer, ULONG Length,
                          PIO_STATUS_BLOCK IoStatus);
NTSTATUS IopQueryDirectory(HANDLE Handle, ULONG Class, PVOID UserBuffer, ULONG Length, BOOLEAN ReturnSingleEntry,
                           PUNICODE_STRING Pattern, BOOLEAN RestartScan, PIO_STATUS_BLOCK IoStatus);
NTSTATUS IopQueryVolume(HANDLE Handle, ULONG Class, PVOID UserBuffer, ULONG Length, PIO_STATUS_BLOCK IoStatus);
NTSTATUS IopFsControl(HANDLE Handle, ULONG Code, PVOID Input, ULONG InputLength, PVOID Output, ULONG OutputLength,
                      PIO_STATUS_BLOCK IoStatus);

typedef struct IOP_ZW_CALL {
    PKTHREAD Thread;
    KPROCESSOR_MODE SavedMode;
} IOP_ZW_CALL;

static void IopZwEnter(IOP_ZW_CALL *Call, const char *Routine)
{
    Call->Thread = KeGetCurrentThread();
    KiRequireIrql(APC_LEVEL, Routine);
    Call->SavedMode = Call->Thread->PreviousMode;
    Call->Thread->PreviousMode = KernelMode;
}

static void IopZwLeave(IOP_ZW_CALL *Call)
{
    Call->Thread->PreviousMode = Call->SavedMode;
}

NTSTATUS IopCreateFileRelative(struct _EPROCESS *Process, PFILE_OBJECT Related, PCUNICODE_STRING Path,
                               ACCESS_MASK DesiredAccess, ULONG FileAttributes, ULONG ShareAccess, ULONG Disposition,
                               ULONG CreateOptions, KPROCESSOR_MODE Mode, PHANDLE Handle, PIO_STATUS_BLOCK IoStatus);

/* The object name of Attributes. */
static NTSTATUS IopZwName(POBJECT_ATTRIBUTES Attributes, PUNICODE_STRING Name)
{
    if (Attributes == NULL || Attributes->ObjectName == NULL || Attributes->ObjectName->Buffer == NULL)
        return STATUS_INVALID_PARAMETER;
    *Name = *Attributes->ObjectName;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI ZwCreateFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                            PIO_STATUS_BLOCK IoStatusBlock, PLARGE_INTEGER AllocationSize, ULONG FileAttributes,
                            ULONG ShareAccess, ULONG CreateDisposition, ULONG CreateOptions, PVOID EaBuffer,
                            ULONG EaLength)
{
    IOP_ZW_CALL Call;
    UNICODE_STRING Name;
    NTSTATUS Status;
    (void)AllocationSize;
    if (EaBuffer != NULL || EaLength != 0)
        return STATUS_EAS_NOT_SUPPORTED;
    if (FileHandle == NULL || IoStatusBlock == NULL)
        return STATUS_INVALID_PARAMETER;
    *FileHandle = NULL;
    Status = IopZwName(ObjectAttributes, &Name);
    if (!NT_SUCCESS(Status))
        return Status;
    IopZwEnter(&Call, "ZwCreateFile");
    {
        KI_FRAME_SCOPE("nt", "KiSystemServiceCopyEnd", 0x200);
        KI_FRAME_SCOPE_2("nt", "NtCreateFile", 0x90);
        struct _EPROCESS *Process =
            (ObjectAttributes->Attributes & OBJ_KERNEL_HANDLE) ? KiMachine->SystemProcess : Call.Thread->Process;
        if (ObjectAttributes->RootDirectory != NULL) {
            /* relative to an open directory */
            PFILE_OBJECT Root;
            Status = ObReferenceObjectByHandle(ObjectAttributes->RootDirectory, 0, IopFileObjectType, KernelMode,
                                               (PVOID *)&Root, NULL);
            if (NT_SUCCESS(Status)) {
                Status = IopCreateFileRelative(Process, Root, &Name, DesiredAccess, FileAttributes, ShareAccess,
                                               CreateDisposition, CreateOptions, KernelMode, FileHandle,
                                               IoStatusBlock);
                ObfDereferenceObject(Root);
            }
        } else {
            Status = IopCreateFile(Process, &Name, DesiredAccess, FileAttributes, ShareAccess, CreateDisposition,
                                   CreateOptions, KernelMode, NULL, FileHandle, IoStatusBlock, NULL);
        }
    }
    IopZwLeave(&Call);
    return Status;
}

NTSTATUS NTAPI ZwOpenFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                          PIO_STATUS_BLOCK IoStatusBlock, ULONG ShareAccess, ULONG OpenOptions)
{
    return ZwCreateFile(FileHandle, DesiredAccess, ObjectAttributes, IoStatusBlock, NULL, 0, ShareAccess, FILE_OPEN,
                        OpenOptions, NULL, 0);
}

static NTSTATUS IopZwReadWrite(const char *Routine, const char *Service, BOOLEAN Write, HANDLE FileHandle,
                               HANDLE Event, PIO_APC_ROUTINE ApcRoutine, PIO_STATUS_BLOCK IoStatusBlock,
                               PVOID Buffer, ULONG Length, PLARGE_INTEGER ByteOffset)
{
    IOP_ZW_CALL Call;
    NTSTATUS Status;
    if (Event != NULL || ApcRoutine != NULL)
        return STATUS_NOT_SUPPORTED; /* asynchronous Zw I/O: not simulated */
    if (IoStatusBlock == NULL || (Buffer == NULL && Length != 0))
        return STATUS_INVALID_PARAMETER;
    IopZwEnter(&Call, Routine);
    {
        KI_FRAME_SCOPE("nt", "KiSystemServiceCopyEnd", 0x200);
        KI_FRAME_SCOPE_2("nt", Service, 0xd0);
        Status = IopReadWrite(FileHandle, Write, Buffer, Length, ByteOffset, IoStatusBlock);
    }
    IopZwLeave(&Call);
    return Status;
}

NTSTATUS NTAPI ZwReadFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                          PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer, ULONG Length, PLARGE_INTEGER ByteOffset,
                          PULONG Key)
{
    (void)ApcContext;
    (void)Key;
    return IopZwReadWrite("ZwReadFile", "NtReadFile", FALSE, FileHandle, Event, ApcRoutine, IoStatusBlock, Buffer,
                          Length, ByteOffset);
}

NTSTATUS NTAPI ZwWriteFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                           PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer, ULONG Length, PLARGE_INTEGER ByteOffset,
                           PULONG Key)
{
    (void)ApcContext;
    (void)Key;
    return IopZwReadWrite("ZwWriteFile", "NtWriteFile", TRUE, FileHandle, Event, ApcRoutine, IoStatusBlock, Buffer,
                          Length, ByteOffset);
}

static NTSTATUS IopZwInformation(const char *Routine, const char *Service, BOOLEAN Set, HANDLE FileHandle,
                                 PIO_STATUS_BLOCK IoStatusBlock, PVOID FileInformation, ULONG Length,
                                 FILE_INFORMATION_CLASS Class)
{
    IOP_ZW_CALL Call;
    NTSTATUS Status;
    if (IoStatusBlock == NULL || FileInformation == NULL)
        return STATUS_INVALID_PARAMETER;
    IopZwEnter(&Call, Routine);
    {
        KI_FRAME_SCOPE("nt", "KiSystemServiceCopyEnd", 0x200);
        KI_FRAME_SCOPE_2("nt", Service, 0xb0);
        Status = IopQuerySetInformation(FileHandle, Set, (ULONG)Class, FileInformation, Length, IoStatusBlock);
    }
    IopZwLeave(&Call);
    return Status;
}

NTSTATUS NTAPI ZwQueryInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock, PVOID FileInformation,
                                      ULONG Length, FILE_INFORMATION_CLASS FileInformationClass)
{
    return IopZwInformation("ZwQueryInformationFile", "NtQueryInformationFile", FALSE, FileHandle, IoStatusBlock,
                            FileInformation, Length, FileInformationClass);
}

NTSTATUS NTAPI ZwSetInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock, PVOID FileInformation,
                                    ULONG Length, FILE_INFORMATION_CLASS FileInformationClass)
{
    return IopZwInformation("ZwSetInformationFile", "NtSetInformationFile", TRUE, FileHandle, IoStatusBlock,
                            FileInformation, Length, FileInformationClass);
}

NTSTATUS NTAPI ZwQueryVolumeInformationFile(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock, PVOID FsInformation,
                                            ULONG Length, FS_INFORMATION_CLASS FsInformationClass)
{
    IOP_ZW_CALL Call;
    NTSTATUS Status;
    if (IoStatusBlock == NULL || FsInformation == NULL)
        return STATUS_INVALID_PARAMETER;
    IopZwEnter(&Call, "ZwQueryVolumeInformationFile");
    {
        KI_FRAME_SCOPE("nt", "KiSystemServiceCopyEnd", 0x200);
        KI_FRAME_SCOPE_2("nt", "NtQueryVolumeInformationFile", 0xb0);
        Status = IopQueryVolume(FileHandle, (ULONG)FsInformationClass, FsInformation, Length, IoStatusBlock);
    }
    IopZwLeave(&Call);
    return Status;
}

NTSTATUS NTAPI ZwQueryDirectoryFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                                    PIO_STATUS_BLOCK IoStatusBlock, PVOID FileInformation, ULONG Length,
                                    FILE_INFORMATION_CLASS FileInformationClass, BOOLEAN ReturnSingleEntry,
                                    PUNICODE_STRING FileName, BOOLEAN RestartScan)
{
    IOP_ZW_CALL Call;
    NTSTATUS Status;
    (void)ApcContext;
    if (Event != NULL || ApcRoutine != NULL)
        return STATUS_NOT_SUPPORTED;
    if (IoStatusBlock == NULL || FileInformation == NULL)
        return STATUS_INVALID_PARAMETER;
    IopZwEnter(&Call, "ZwQueryDirectoryFile");
    {
        KI_FRAME_SCOPE("nt", "KiSystemServiceCopyEnd", 0x200);
        KI_FRAME_SCOPE_2("nt", "NtQueryDirectoryFile", 0xb0);
        Status = IopQueryDirectory(FileHandle, (ULONG)FileInformationClass, FileInformation, Length, ReturnSingleEntry,
                                   FileName, RestartScan, IoStatusBlock);
    }
    IopZwLeave(&Call);
    return Status;
}

/* LengthNeeded: the size the descriptor needs when the buffer is too small. */
NTSTATUS NTAPI ZwQuerySecurityObject(HANDLE Handle, SECURITY_INFORMATION SecurityInformation,
                                     PSECURITY_DESCRIPTOR SecurityDescriptor, ULONG Length, PULONG LengthNeeded)
{
    IOP_ZW_CALL Call;
    IO_STATUS_BLOCK Iosb = {{0}, 0};
    NTSTATUS Status;
    if (LengthNeeded == NULL)
        return STATUS_INVALID_PARAMETER;
    IopZwEnter(&Call, "ZwQuerySecurityObject");
    {
        KI_FRAME_SCOPE("nt", "KiSystemServiceCopyEnd", 0x200);
        KI_FRAME_SCOPE_2("nt", "NtQuerySecurityObject", 0xb0);
        Status = IopQuerySecurity(Handle, SecurityInformation, SecurityDescriptor, Length, &Iosb);
    }
    IopZwLeave(&Call);
    *LengthNeeded = (ULONG)Iosb.Information;
    /* as NtQuerySecurityObject: the file system's STATUS_BUFFER_OVERFLOW
     * is STATUS_BUFFER_TOO_SMALL with the size needed */
    if (Status == STATUS_BUFFER_OVERFLOW)
        Status = STATUS_BUFFER_TOO_SMALL;
    return Status;
}

/* IoCreateFile: the kernel's create with its extra knobs.  Only ordinary
 * files and directories exist here (CreateFileTypeNone); the Options
 * (IO_NO_PARAMETER_CHECKING, IO_FORCE_ACCESS_CHECK, ...) change nothing in
 * a machine without access checks. */
NTSTATUS IoCreateFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                      PIO_STATUS_BLOCK IoStatusBlock, PLARGE_INTEGER AllocationSize, ULONG FileAttributes,
                      ULONG ShareAccess, ULONG Disposition, ULONG CreateOptions, PVOID EaBuffer, ULONG EaLength,
                      ULONG CreateFileType, PVOID InternalParameters, ULONG Options)
{
    (void)InternalParameters;
    (void)Options;
    if (CreateFileType != 0 /* CreateFileTypeNone */)
        return STATUS_NOT_SUPPORTED; /* named pipes and mailslots */
    return ZwCreateFile(FileHandle, DesiredAccess, ObjectAttributes, IoStatusBlock, AllocationSize, FileAttributes,
                        ShareAccess, Disposition, CreateOptions, EaBuffer, EaLength);
}

NTSTATUS NTAPI ZwFsControlFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                               PIO_STATUS_BLOCK IoStatusBlock, ULONG FsControlCode, PVOID InputBuffer,
                               ULONG InputBufferLength, PVOID OutputBuffer, ULONG OutputBufferLength)
{
    IOP_ZW_CALL Call;
    NTSTATUS Status;
    (void)ApcContext;
    if (Event != NULL || ApcRoutine != NULL)
        return STATUS_NOT_SUPPORTED;
    if (IoStatusBlock == NULL)
        return STATUS_INVALID_PARAMETER;
    IopZwEnter(&Call, "ZwFsControlFile");
    {
        KI_FRAME_SCOPE("nt", "KiSystemServiceCopyEnd", 0x200);
        KI_FRAME_SCOPE_2("nt", "NtFsControlFile", 0xb0);
        Status = IopFsControl(FileHandle, FsControlCode, InputBuffer, InputBufferLength, OutputBuffer,
                              OutputBufferLength, IoStatusBlock);
    }
    IopZwLeave(&Call);
    return Status;
}
