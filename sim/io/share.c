/*
 * share.c - I/O manager share access: IoCheckShareAccess, IoSetShareAccess,
 * IoUpdateShareAccess, IoRemoveShareAccess.
 *
 * A file's SHARE_ACCESS counts its opens and how many of them read, write
 * or delete and allow others to.  Only opens that ask for read
 * (FILE_READ_DATA | FILE_EXECUTE), write (FILE_WRITE_DATA |
 * FILE_APPEND_DATA) or DELETE access take part; an open for attributes or
 * security only never conflicts and is not counted.  A new open conflicts
 * when it wants an access that an existing open does not share, or when it
 * does not share an access an existing open has.  The file object records
 * what it was granted and what it shares (ReadAccess ... SharedDelete) so
 * that IoRemoveShareAccess can take it back out.
 */
#include <ntifs.h>

#define IOP_READ_ACCESS (FILE_READ_DATA | FILE_EXECUTE)
#define IOP_WRITE_ACCESS (FILE_WRITE_DATA | FILE_APPEND_DATA)

/* Records the open's accesses in the file object; TRUE if it takes part. */
static BOOLEAN IopRecordAccess(ACCESS_MASK DesiredAccess, ULONG DesiredShareAccess,
                               PFILE_OBJECT FileObject)
{
    FileObject->ReadAccess = (BOOLEAN)((DesiredAccess & IOP_READ_ACCESS) != 0);
    FileObject->WriteAccess = (BOOLEAN)((DesiredAccess & IOP_WRITE_ACCESS) != 0);
    FileObject->DeleteAccess = (BOOLEAN)((DesiredAccess & DELETE) != 0);
    if (!FileObject->ReadAccess && !FileObject->WriteAccess && !FileObject->DeleteAccess) {
        return FALSE;
    }
    FileObject->SharedRead = (BOOLEAN)((DesiredShareAccess & FILE_SHARE_READ) != 0);
    FileObject->SharedWrite = (BOOLEAN)((DesiredShareAccess & FILE_SHARE_WRITE) != 0);
    FileObject->SharedDelete = (BOOLEAN)((DesiredShareAccess & FILE_SHARE_DELETE) != 0);
    return TRUE;
}

/* Adds (Delta 1) or removes (Delta -1) the file object's accesses. */
static void IopApplyShareAccess(PFILE_OBJECT FileObject, PSHARE_ACCESS ShareAccess, LONG Delta)
{
    ULONG Step = (ULONG)Delta;

    ShareAccess->OpenCount += Step;
    if (FileObject->ReadAccess) {
        ShareAccess->Readers += Step;
    }
    if (FileObject->WriteAccess) {
        ShareAccess->Writers += Step;
    }
    if (FileObject->DeleteAccess) {
        ShareAccess->Deleters += Step;
    }
    if (FileObject->SharedRead) {
        ShareAccess->SharedRead += Step;
    }
    if (FileObject->SharedWrite) {
        ShareAccess->SharedWrite += Step;
    }
    if (FileObject->SharedDelete) {
        ShareAccess->SharedDelete += Step;
    }
}

static BOOLEAN IopTakesPart(PFILE_OBJECT FileObject)
{
    return (BOOLEAN)(FileObject->ReadAccess || FileObject->WriteAccess ||
                     FileObject->DeleteAccess);
}

NTSTATUS IoCheckShareAccess(ACCESS_MASK DesiredAccess, ULONG DesiredShareAccess,
                            PFILE_OBJECT FileObject, PSHARE_ACCESS ShareAccess, BOOLEAN Update)
{
    if (!IopRecordAccess(DesiredAccess, DesiredShareAccess, FileObject)) {
        return STATUS_SUCCESS;
    }
    if ((FileObject->ReadAccess && ShareAccess->SharedRead < ShareAccess->OpenCount) ||
        (FileObject->WriteAccess && ShareAccess->SharedWrite < ShareAccess->OpenCount) ||
        (FileObject->DeleteAccess && ShareAccess->SharedDelete < ShareAccess->OpenCount) ||
        (ShareAccess->Readers != 0 && !FileObject->SharedRead) ||
        (ShareAccess->Writers != 0 && !FileObject->SharedWrite) ||
        (ShareAccess->Deleters != 0 && !FileObject->SharedDelete)) {
        return STATUS_SHARING_VIOLATION;
    }
    if (Update) {
        IopApplyShareAccess(FileObject, ShareAccess, 1);
    }
    return STATUS_SUCCESS;
}

VOID IoSetShareAccess(ACCESS_MASK DesiredAccess, ULONG DesiredShareAccess,
                      PFILE_OBJECT FileObject, PSHARE_ACCESS ShareAccess)
{
    if (!IopRecordAccess(DesiredAccess, DesiredShareAccess, FileObject)) {
        ShareAccess->OpenCount = 0;
        ShareAccess->Readers = 0;
        ShareAccess->Writers = 0;
        ShareAccess->Deleters = 0;
        ShareAccess->SharedRead = 0;
        ShareAccess->SharedWrite = 0;
        ShareAccess->SharedDelete = 0;
        return;
    }
    ShareAccess->OpenCount = 1;
    ShareAccess->Readers = FileObject->ReadAccess;
    ShareAccess->Writers = FileObject->WriteAccess;
    ShareAccess->Deleters = FileObject->DeleteAccess;
    ShareAccess->SharedRead = FileObject->SharedRead;
    ShareAccess->SharedWrite = FileObject->SharedWrite;
    ShareAccess->SharedDelete = FileObject->SharedDelete;
}

VOID IoUpdateShareAccess(PFILE_OBJECT FileObject, PSHARE_ACCESS ShareAccess)
{
    if (IopTakesPart(FileObject)) {
        IopApplyShareAccess(FileObject, ShareAccess, 1);
    }
}

VOID IoRemoveShareAccess(PFILE_OBJECT FileObject, PSHARE_ACCESS ShareAccess)
{
    if (IopTakesPart(FileObject) && ShareAccess->OpenCount != 0) {
        IopApplyShareAccess(FileObject, ShareAccess, -1);
    }
}
