/*
 * pageio.c - fltsim Cc: the paging I/O behind the cache.  Windows' Cc
 * reaches the file through Mm: a miss in a view is a page read
 * (CcFetchDataForRead -> MmPrefetchForCacheManager -> MiPfExecuteReadList ->
 * MiPageRead -> IoPageReadEx), a flush is MmFlushSection writing the dirty
 * pages (IoSynchronousPageWrite).  The simulator has no section objects, so
 * that Mm path is modelled here, charging Mm's frames on the stack ledger
 * (the seed's sizes from the frame table; the others are estimates there).
 *
 * Every paging IRP goes to the TOP of the stream's device stack
 * (IoGetRelatedDeviceObject of the file object the stream is cached
 * through), on the calling thread, nested inside the request that missed:
 * filters see it as IRP_MJ_READ / IRP_MJ_WRITE with IRP_PAGING_IO |
 * IRP_NOCACHE | IRP_SYNCHRONOUS_PAGING_IO.  The MDL describes the cache's
 * own pages, locked (MDL_PAGES_LOCKED, plus MDL_IO_PAGE_READ for reads) and
 * owned by Mm: the I/O manager's completion neither unlocks nor frees it;
 * it is unmapped and freed here with the IRP once the I/O is over.  A
 * pending paging IRP is waited for on its UserEvent.
 */
#include "ccp.h"

const char *IopIrpMajorName(UCHAR Major);

/* An Mm-style MDL for Length bytes at the page-aligned Buffer. */
static PMDL CcpBuildPagingMdl(PVOID Buffer, ULONG Length, BOOLEAN Read)
{
    PMDL Mdl = ExpAllocateSystemPool(NonPagedPoolNx, MmSizeOfMdl(Buffer, Length), CCP_TAG_MDL);
    PPFN_NUMBER Pfns;
    ULONG Page, Pages;

    if (Mdl == NULL) {
        return NULL;
    }
    MiSetRangeKind(Mdl, "MDL");
    MmInitializeMdl(Mdl, Buffer, Length);
    Mdl->MdlFlags |= MDL_PAGES_LOCKED | (Read ? MDL_IO_PAGE_READ : 0);
    Mdl->Process = NULL;
    /* Page frame numbers derived from the pages' synthetic addresses: stable run to run. */
    Pfns = MmGetMdlPfnArray(Mdl);
    Pages = ADDRESS_AND_SIZE_TO_SPAN_PAGES(Buffer, Length);
    for (Page = 0; Page < Pages; Page++) {
        Pfns[Page] = (PFN_NUMBER)((MiSyntheticAddress((PUCHAR)Buffer + (SIZE_T)Page * PAGE_SIZE) >> PAGE_SHIFT) &
                                  0xFFFFFFFFFull);
    }
    return Mdl;
}

static void CcpFreePagingMdl(PMDL Mdl)
{
    if (Mdl->MdlFlags & (MDL_MAPPED_TO_SYSTEM_VA | MDL_PARTIAL_HAS_BEEN_MAPPED)) {
        MmUnmapLockedPages(Mdl->MappedSystemVa, Mdl);
    }
    Mdl->MdlFlags &= ~(MDL_PAGES_LOCKED | MDL_IO_PAGE_READ);
    ExFreePoolWithTag(Mdl, CCP_TAG_MDL);
}

/*
 * One paging IRP for [Offset, Offset + Length) of the stream, to the top of
 * its stack, waited for.  IoRoutine/IoBytes is the I/O manager routine that
 * builds and sends it (IoPageReadEx, IoSynchronousPageWrite).
 */
static NTSTATUS CcpPagingIo(PCCP_SHARED_MAP Map, BOOLEAN Write, LONGLONG Offset, PVOID Buffer, ULONG Length,
                            const char *IoRoutine, ULONG IoBytes, ULONG_PTR *Information)
{
    PFILE_OBJECT FileObject = Map->FileObject;
    PDEVICE_OBJECT Device = IoGetRelatedDeviceObject(FileObject);
    PKTHREAD Thread = KeGetCurrentThread();
    IO_STATUS_BLOCK Iosb;
    KEVENT Event;
    PIO_STACK_LOCATION Sp;
    PMDL Mdl;
    PIRP Irp;
    NTSTATUS Status;

    *Information = 0;
    Mdl = CcpBuildPagingMdl(Buffer, Length, (BOOLEAN)!Write);
    if (Mdl == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    {
        KI_FRAME_SCOPE("nt", IoRoutine, IoBytes);
        Irp = IoAllocateIrp(Device->StackSize, FALSE);
        if (Irp == NULL) {
            CcpFreePagingMdl(Mdl);
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        KeInitializeEvent(&Event, NotificationEvent, FALSE);
        Iosb.Status = STATUS_PENDING;
        Iosb.Information = 0;
        Irp->MdlAddress = Mdl;
        Irp->UserBuffer = MmGetMdlVirtualAddress(Mdl);
        Irp->Flags = IRP_PAGING_IO | IRP_NOCACHE | IRP_SYNCHRONOUS_PAGING_IO | (Write ? 0 : IRP_INPUT_OPERATION);
        Irp->RequestorMode = KernelMode;
        Irp->UserIosb = &Iosb;
        Irp->UserEvent = &Event;
        Irp->Tail.Overlay.Thread = (PETHREAD)Thread;
        Irp->Tail.Overlay.OriginalFileObject = FileObject;
        Sp = IoGetNextIrpStackLocation(Irp);
        Sp->MajorFunction = Write ? IRP_MJ_WRITE : IRP_MJ_READ;
        Sp->MinorFunction = IRP_MN_NORMAL;
        Sp->FileObject = FileObject;
        if (Write) {
            Sp->Parameters.Write.Length = Length;
            Sp->Parameters.Write.ByteOffset.QuadPart = Offset;
        } else {
            Sp->Parameters.Read.Length = Length;
            Sp->Parameters.Read.ByteOffset.QuadPart = Offset;
        }
        Status = IoCallDriver(Device, Irp);
    }
    if (Status == STATUS_PENDING) {
        Thread->WaitNote = KiFormat("the paging %s IRP %016llx (file offset 0x%llx, 0x%x bytes)",
                                    Write ? "write" : "read", (unsigned long long)MiSyntheticAddress(Irp),
                                    (unsigned long long)Offset, Length);
        (void)KeWaitForSingleObject(&Event, WrPageIn, KernelMode, FALSE, NULL);
    } else if (KeReadStateEvent(&Event) == 0) {
        const char *Text = KiFormat("the paging %s IRP %016llx was never completed: a driver returned 0x%08x "
                                    "for it without completing it (IoCompleteRequest), and nothing else will",
                                    IopIrpMajorName(Write ? IRP_MJ_WRITE : IRP_MJ_READ),
                                    (unsigned long long)MiSyntheticAddress(Irp), (unsigned)Status);
        KiReportSetRootCause(Text);
        KiHang(Text);
    }
    *Information = Iosb.Information;
    CcpFreePagingMdl(Mdl);
    /* Mm's IRP: completion left it (and its MDL) to the issuer. */
    Irp->MdlAddress = NULL;
    IoFreeIrp(Irp);
    return Iosb.Status;
}

/* A page read into Page->Data; what the file system did not return reads as zeros. */
static NTSTATUS CcpPageRead(PCCP_SHARED_MAP Map, PCCP_PAGE Page)
{
    ULONG_PTR Information;
    NTSTATUS Status;

    KI_FRAME_SCOPE("nt", "MiPageRead", 0x50);
    Status = CcpPagingIo(Map, FALSE, (LONGLONG)(Page->Index * PAGE_SIZE), Page->Data, PAGE_SIZE, "IoPageReadEx",
                         0x70, &Information);
    if (Status == STATUS_END_OF_FILE) {
        /* The file shrank under the read: the page is beyond its end. */
        Information = 0;
        Status = STATUS_SUCCESS;
    }
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    if (Information < PAGE_SIZE) {
        RtlZeroMemory(Page->Data + Information, PAGE_SIZE - Information);
    }
    return STATUS_SUCCESS;
}

NTSTATUS CcpFetchDataForRead(PCCP_SHARED_MAP Map, PCCP_PAGE Page)
{
    KI_FRAME_SCOPE("nt", "CcFetchDataForRead", 0x60);
    KI_FRAME_SCOPE_2("nt", "MmPrefetchForCacheManager", 0x60);
    KI_FRAME_SCOPE_3("nt", "MiPfExecuteReadList", 0x70);
    return CcpPageRead(Map, Page);
}

NTSTATUS CcpFaultPageForWrite(PCCP_SHARED_MAP Map, PCCP_PAGE Page)
{
    /* Copying into a view whose page is not resident faults. */
    KI_FRAME_SCOPE("nt", "MmAccessFault", 0x110);
    KI_FRAME_SCOPE_2("nt", "MiIssueHardFault", 0x90);
    return CcpPageRead(Map, Page);
}

NTSTATUS CcpFlushRange(PCCP_SHARED_MAP Map, ULONGLONG StartIndex, ULONGLONG EndIndex, ULONG_PTR *Written)
{
    ULONG At;

    KI_FRAME_SCOPE("nt", "MmFlushSection", 0x80);
    KI_FRAME_SCOPE_2("nt", "MiFlushSectionInternal", 0xd0);
    *Written = 0;
    At = CcpPagePosition(Map, StartIndex);
    while (At < Map->PageCount && Map->Pages[At]->Index < EndIndex) {
        PCCP_PAGE Run[CCP_MAX_WRITE_PAGES];
        ULONG Count = 0, I;
        ULONGLONG First = Map->Pages[At]->Index;
        LONGLONG RunStart = (LONGLONG)(First * PAGE_SIZE);
        PVOID Block;
        PUCHAR Buffer;
        ULONG_PTR Information;
        NTSTATUS Status;

        if (!Map->Pages[At]->Dirty || Map->Pages[At]->Reading) {
            At++;
            continue;
        }
        /* A run of consecutive dirty pages, one paging write. */
        while (At + Count < Map->PageCount && Count < CCP_MAX_WRITE_PAGES) {
            PCCP_PAGE Page = Map->Pages[At + Count];
            if (Page->Index != First + Count || Page->Index >= EndIndex || !Page->Dirty || Page->Reading) {
                break;
            }
            Run[Count++] = Page;
        }
        if (RunStart >= Map->FileSize) {
            /* Beyond the end (cannot stay after a truncation): nothing to write. */
            for (I = 0; I < Count; I++) {
                Run[I]->Dirty = FALSE;
            }
            At += Count;
            continue;
        }
        Buffer = CcpAllocateAligned((SIZE_T)Count * PAGE_SIZE, CCP_TAG_WRITE_BUFFER, "CcWriteBuffer", &Block);
        if (Buffer == NULL) {
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        /* The pages are clean from the moment their data is taken: a write
         * into them while the paging write waits dirties them again. */
        for (I = 0; I < Count; I++) {
            RtlCopyMemory(Buffer + (SIZE_T)I * PAGE_SIZE, Run[I]->Data, PAGE_SIZE);
            Run[I]->Dirty = FALSE;
            CcpReferencePage(Run[I]);
        }
        Status = CcpPagingIo(Map, TRUE, RunStart, Buffer, Count * PAGE_SIZE, "IoSynchronousPageWrite", 0x70,
                             &Information);
        CcpFreeAligned(Buffer, Block, CCP_TAG_WRITE_BUFFER);
        for (I = 0; I < Count; I++) {
            if (!NT_SUCCESS(Status) && !Run[I]->Removed) {
                Run[I]->Dirty = TRUE;
            }
            CcpDereferencePage(Run[I]);
        }
        if (!NT_SUCCESS(Status)) {
            return Status;
        }
        {
            LONGLONG Bytes = (LONGLONG)Count * PAGE_SIZE;
            if (RunStart + Bytes > Map->FileSize) {
                Bytes = Map->FileSize > RunStart ? Map->FileSize - RunStart : 0;
            }
            *Written += (ULONG_PTR)Bytes;
        }
        /* The array may have changed while the write waited. */
        At = CcpPagePosition(Map, First + Count);
    }
    return STATUS_SUCCESS;
}
