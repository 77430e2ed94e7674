/*
 * section.c - fltsim Mm: a process reading a file through a mapped view.
 * NtCreateSection (SEC_COMMIT, PAGE_READONLY, over a file handle) checks
 * the handle's access, acquires the file for section synchronization
 * through the file system filter callbacks (minifilters see
 * IRP_MJ_ACQUIRE_FOR_SECTION_SYNCHRONIZATION with SyncTypeCreateSection),
 * creates or reuses the stream's data section and releases the file
 * (IRP_MJ_RELEASE_FOR_SECTION_SYNCHRONIZATION); NtMapViewOfSection maps the
 * whole file; the process then touches the view, and each page that is not
 * resident faults in with a paging read (sim/cc/mapped.c).  Bytes of the
 * last page beyond the end of file read as zeros; a touch beyond that page
 * is an access violation.
 */
#include <fsim_kernel.h>
#include <string.h>

#ifndef PAGE_READONLY
#define PAGE_READONLY 0x02
#endif
#ifndef SEC_COMMIT
#define SEC_COMMIT 0x8000000
#endif

static NTSTATUS MmpSectionSynchronization(PFILE_OBJECT FileObject, UCHAR Operation)
{
    FS_FILTER_PARAMETERS Parameters;
    memset(&Parameters, 0, sizeof(Parameters));
    Parameters.AcquireForSectionSynchronization.SyncType =
        Operation == FS_FILTER_ACQUIRE_FOR_SECTION_SYNCHRONIZATION ? SyncTypeCreateSection : SyncTypeOther;
    Parameters.AcquireForSectionSynchronization.PageProtection =
        Operation == FS_FILTER_ACQUIRE_FOR_SECTION_SYNCHRONIZATION ? PAGE_READONLY : 0;
    Parameters.AcquireForSectionSynchronization.AllocationAttributes =
        Operation == FS_FILTER_ACQUIRE_FOR_SECTION_SYNCHRONIZATION ? SEC_COMMIT : 0;
    return FsRtlpPerformFsFilterOperation(FileObject, Operation, &Parameters);
}

/* NtCreateSection's part: access check and the section synchronization. */
static NTSTATUS MmpCreateDataSection(PFILE_OBJECT FileObject, ACCESS_MASK Granted, LONGLONG *FileSize)
{
    PFSRTL_COMMON_FCB_HEADER Header = FileObject->FsContext;
    NTSTATUS Status;
    KI_FRAME_SCOPE("nt", "KiSystemServiceCopyEnd", 0x200);
    KI_FRAME_SCOPE_2("nt", "NtCreateSection", 0xb0);
    KI_FRAME_SCOPE_3("nt", "MmCreateSection", 0x100);
    if (!(Granted & FILE_READ_DATA))
        return STATUS_ACCESS_DENIED;
    if (FileObject->SectionObjectPointer == NULL || Header == NULL)
        return STATUS_INVALID_FILE_FOR_SECTION;
    {
        KI_FRAME_SCOPE_4("nt", "FsRtlAcquireToCreateMappedSection", 0x60);
        KeEnterCriticalRegion();
        Status = MmpSectionSynchronization(FileObject, FS_FILTER_ACQUIRE_FOR_SECTION_SYNCHRONIZATION);
        if (!NT_SUCCESS(Status)) {
            KeLeaveCriticalRegion();
            return Status;
        }
    }
    *FileSize = Header->FileSize.QuadPart;
    Status = *FileSize == 0 ? STATUS_MAPPED_FILE_SIZE_ZERO : STATUS_SUCCESS;
    {
        KI_FRAME_SCOPE_4("nt", "FsRtlReleaseFile", 0x40);
        (void)MmpSectionSynchronization(FileObject, FS_FILTER_RELEASE_FOR_SECTION_SYNCHRONIZATION);
        KeLeaveCriticalRegion();
    }
    return Status;
}

NTSTATUS MmpMapFileAndRead(HANDLE FileHandle, LONGLONG Offset, ULONG Length, PVOID Out, PIO_STATUS_BLOCK IoStatus)
{
    OBJECT_HANDLE_INFORMATION Info = {0, 0};
    PFILE_OBJECT FileObject;
    LONGLONG FileSize = 0;
    NTSTATUS Status;

    IoStatus->Status = STATUS_SUCCESS;
    IoStatus->Information = 0;
    KiRequireIrql(PASSIVE_LEVEL, "NtCreateSection");
    Status = ObReferenceObjectByHandle(FileHandle, 0, IopFileObjectType, UserMode, (PVOID *)&FileObject, &Info);
    if (!NT_SUCCESS(Status))
        return IoStatus->Status = Status;
    Status = MmpCreateDataSection(FileObject, Info.GrantedAccess, &FileSize);
    if (NT_SUCCESS(Status)) {
        /* The view covers the file, rounded up to whole pages. */
        LONGLONG ViewEnd = (FileSize + PAGE_SIZE - 1) & ~(LONGLONG)(PAGE_SIZE - 1);
        LONGLONG End = Offset + (LONGLONG)Length;
        memset(Out, 0, Length);
        if (Offset < 0 || End > ViewEnd) {
            Status = STATUS_ACCESS_VIOLATION;
        } else {
            ULONG_PTR Copied = 0;
            ULONG InFile = End <= FileSize ? Length : Offset < FileSize ? (ULONG)(FileSize - Offset) : 0;
            if (InFile > 0) {
                /* The touches fault from user mode: the trap frame first. */
                KI_FRAME_SCOPE("nt", "KiPageFault", 0x190);
                Status = MmpReadMappedView(FileObject, Offset, InFile, Out, &Copied);
                if (!NT_SUCCESS(Status))
                    Status = STATUS_IN_PAGE_ERROR; /* the fault's paging read failed */
            }
            if (NT_SUCCESS(Status))
                IoStatus->Information = Length;
        }
    }
    ObfDereferenceObject(FileObject);
    IoStatus->Status = Status;
    return Status;
}
