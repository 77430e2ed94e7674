/*
 * mapped.c - fltsim Mm/Cc: a user process reading a file through a mapped
 * view (NtCreateSection + NtMapViewOfSection, then touching the view).
 * The view's pages are the stream's data section pages, which the cache
 * manager's views share: a page that is not resident faults
 * (MmAccessFault -> MiIssueHardFault) and is read with a paging read IRP
 * sent to the top of the file's device stack, so filters see it; a
 * resident page costs nothing.  The data section stays with the file
 * object once created (the file system's cleanup uninitializes it, as it
 * does every file object's cache map), so pages a view read stay resident
 * for the next view, as the standby list keeps them on Windows.  A section
 * created here for a stream nobody cached yet has no-op acquire callbacks:
 * its pages are only ever read.
 */
#include "ccp.h"
#include <string.h>

static BOOLEAN NTAPI MmpAcquireNop(PVOID Context, BOOLEAN Wait)
{
    (void)Context;
    (void)Wait;
    return TRUE;
}

static VOID NTAPI MmpReleaseNop(PVOID Context)
{
    (void)Context;
}

/* The data section of a file the I/O manager maps for a process: the
 * stream's section object pointers, backed by the shared cache map. */
NTSTATUS MmpReadMappedView(PFILE_OBJECT FileObject, LONGLONG Offset, ULONG Length, PUCHAR Out, ULONG_PTR *Copied)
{
    static CACHE_MANAGER_CALLBACKS Callbacks = {MmpAcquireNop, MmpReleaseNop, MmpAcquireNop, MmpReleaseNop};
    PFSRTL_COMMON_FCB_HEADER Header = FileObject->FsContext;
    NTSTATUS Status = STATUS_SUCCESS;
    *Copied = 0;
    if (FileObject->SectionObjectPointer == NULL || Header == NULL)
        return STATUS_INVALID_FILE_FOR_SECTION;
    if (FileObject->PrivateCacheMap == NULL) {
        /* NtCreateSection on a file nobody has cached yet: the data section
         * comes into being (sizes from the file system's FCB header). */
        CcInitializeCacheMap(FileObject, (PCC_FILE_SIZES)&Header->AllocationSize, FALSE, &Callbacks, NULL);
    }
    PCCP_SHARED_MAP Map = CcpSharedMapOf(FileObject->SectionObjectPointer);
    LONGLONG End = Offset + (LONGLONG)Length;
    if (End > Map->FileSize)
        End = Map->FileSize;
    CcpEnter(Map);
    for (LONGLONG At = Offset; At < End;) {
        ULONGLONG Index = (ULONGLONG)At / PAGE_SIZE;
        LONGLONG PageStart = (LONGLONG)(Index * PAGE_SIZE);
        LONGLONG To = End < PageStart + PAGE_SIZE ? End : PageStart + PAGE_SIZE;
        PCCP_PAGE Page;
        /* the touch: a resident page is read as it is, another faults in */
        Status = CcpResolvePage(Map, Index, FALSE, TRUE, 0, 0, &Page);
        if (!NT_SUCCESS(Status))
            break;
        memcpy(Out + (At - Offset), Page->Data + (At - PageStart), (size_t)(To - At));
        CcpDereferencePage(Page);
        *Copied += (ULONG_PTR)(To - At);
        At = To;
    }
    CcpLeave(Map);
    return Status;
}
