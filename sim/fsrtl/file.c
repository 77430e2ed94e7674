/*
 * file.c - fltsim FsRtl: questions about a file object.  FsRtlGetFileSize
 * asks the file's own stack (IRP_MJ_QUERY_INFORMATION, standard
 * information) and refuses directories; FsRtlIsPagingFile is FALSE for
 * every file, since the simulated machine has no paging file.
 */
#include <fsim_kernel.h>

NTSTATUS FsRtlGetFileSize(PFILE_OBJECT FileObject, PLARGE_INTEGER FileSize)
{
    FILE_STANDARD_INFORMATION Standard;
    ULONG Returned;
    KiRequireIrql(APC_LEVEL, "FsRtlGetFileSize");
    NTSTATUS Status =
        IoQueryFileInformation(FileObject, FileStandardInformation, sizeof(Standard), &Standard, &Returned);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Standard.Directory)
        return STATUS_FILE_IS_A_DIRECTORY;
    FileSize->QuadPart = Standard.EndOfFile.QuadPart;
    return STATUS_SUCCESS;
}

BOOLEAN FsRtlIsPagingFile(PFILE_OBJECT FileObject)
{
    (void)FileObject;
    return FALSE;
}
