/*
 * cachemap.c - fltsim Cc: shared and private cache maps and their pages:
 * CcInitializeCacheMap, CcUninitializeCacheMap (the last private map
 * flushes the stream and tears its shared map down), CcSetFileSizes(Ex)
 * (truncation drops the pages beyond the new end), CcGetFileObjectFromSectionPtrs,
 * CcSetReadAheadGranularity, and the sorted page array every other Cc file
 * works on.
 */
#include "ccp.h"
#include <string.h>

/* --- aligned pool ---------------------------------------------------------- */

PVOID CcpAllocateAligned(SIZE_T Size, ULONG Tag, const char *Kind, PVOID *Block)
{
    PUCHAR Raw = ExpAllocateSystemPool(NonPagedPoolNx, Size + PAGE_SIZE, Tag);
    PUCHAR Aligned;

    if (Raw == NULL) {
        *Block = NULL;
        return NULL;
    }
    Aligned = (PUCHAR)(((ULONG_PTR)Raw + PAGE_SIZE - 1) & ~((ULONG_PTR)PAGE_SIZE - 1));
    /* Its own synthetic range: what reports show of it does not depend on
     * where the host heap put the block. */
    (void)MiRegisterRange(Aligned, Size, Kind);
    *Block = Raw;
    return Aligned;
}

void CcpFreeAligned(PVOID Aligned, PVOID Block, ULONG Tag)
{
    MiUnregisterRange(Aligned);
    ExFreePoolWithTag(Block, Tag);
}

/* --- maps ------------------------------------------------------------------- */

PCCP_SHARED_MAP CcpSharedMapOf(PSECTION_OBJECT_POINTERS SectionObjectPointers)
{
    PCCP_SHARED_MAP Map;

    if (SectionObjectPointers == NULL || SectionObjectPointers->SharedCacheMap == NULL) {
        return NULL;
    }
    Map = (PCCP_SHARED_MAP)SectionObjectPointers->SharedCacheMap;
    if (Map->Magic != CCP_SHARED_MAP_MAGIC) {
        KiReportSetRootCause("SECTION_OBJECT_POINTERS.SharedCacheMap does not point at a shared cache map "
                             "(the file system overwrote it, or the FCB was freed while still cached)");
        KeBugCheckEx(0x34 /* CACHE_MANAGER */, 0, (ULONG_PTR)MiSyntheticAddress(SectionObjectPointers),
                     (ULONG_PTR)MiSyntheticAddress(Map), 0);
    }
    return Map;
}

PCCP_SHARED_MAP CcpRequireSharedMap(PFILE_OBJECT FileObject, const char *Routine)
{
    PCCP_SHARED_MAP Map = FileObject != NULL ? CcpSharedMapOf(FileObject->SectionObjectPointer) : NULL;

    if (Map == NULL) {
        KiReportSetRootCause(KiFormat("%s on file object %016llx whose stream is not cached: the file system "
                                      "must call CcInitializeCacheMap first",
                                      Routine, (unsigned long long)MiSyntheticAddress(FileObject)));
        KeBugCheckEx(0x34 /* CACHE_MANAGER */, 0, (ULONG_PTR)MiSyntheticAddress(FileObject), 0, 0);
    }
    return Map;
}

static void CcpDeleteSharedMap(PCCP_SHARED_MAP Map)
{
    ULONG Index;

    ASSERT(Map->OpenCount == 0 && Map->ActiveCount == 0);
    for (Index = 0; Index < Map->PageCount; Index++) {
        PCCP_PAGE Page = Map->Pages[Index];
        Page->Removed = TRUE;
        CcpDereferencePage(Page);
    }
    Map->PageCount = 0;
    if (Map->Pages != NULL) {
        ExFreePoolWithTag(Map->Pages, CCP_TAG_PAGE_ARRAY);
        Map->Pages = NULL;
    }
    if (Map->SectionObjectPointers != NULL && Map->SectionObjectPointers->SharedCacheMap == Map) {
        Map->SectionObjectPointers->SharedCacheMap = NULL;
    }
    Map->Magic = 0;
    ExFreePoolWithTag(Map, CCP_TAG_SHARED_MAP);
}

/* The map lost its last private map: write the dirty pages back and free
 * it, unless a Cc call still runs on it (then the last one to leave does). */
static BOOLEAN CcpCloseSharedMap(PCCP_SHARED_MAP Map)
{
    ULONG_PTR Written;

    if (Map->ActiveCount != 0) {
        Map->DeletePending = TRUE;
        return FALSE;
    }
    Map->ActiveCount++;
    (void)CcpFlushRange(Map, 0, ~0ull, &Written);
    Map->ActiveCount--;
    if (Map->OpenCount != 0) {
        /* Cached again while the flush waited. */
        return FALSE;
    }
    if (Map->ActiveCount != 0) {
        /* Another thread entered while the flush waited. */
        Map->DeletePending = TRUE;
        return FALSE;
    }
    CcpDeleteSharedMap(Map);
    return TRUE;
}

void CcpEnter(PCCP_SHARED_MAP Map)
{
    Map->ActiveCount++;
}

void CcpLeave(PCCP_SHARED_MAP Map)
{
    ASSERT(Map->ActiveCount > 0);
    if (--Map->ActiveCount == 0 && Map->DeletePending && Map->OpenCount == 0) {
        Map->DeletePending = FALSE;
        (void)CcpCloseSharedMap(Map);
    }
}

/* --- pages ------------------------------------------------------------------ */

/* Position of the first page whose Index >= Index. */
static ULONG CcpLowerBound(PCCP_SHARED_MAP Map, ULONGLONG Index)
{
    ULONG Lo = 0, Hi = Map->PageCount;

    while (Lo < Hi) {
        ULONG Mid = Lo + (Hi - Lo) / 2;
        if (Map->Pages[Mid]->Index < Index) {
            Lo = Mid + 1;
        } else {
            Hi = Mid;
        }
    }
    return Lo;
}

ULONG CcpPagePosition(PCCP_SHARED_MAP Map, ULONGLONG Index)
{
    return CcpLowerBound(Map, Index);
}

PCCP_PAGE CcpFindPage(PCCP_SHARED_MAP Map, ULONGLONG Index)
{
    ULONG At = CcpLowerBound(Map, Index);

    if (At < Map->PageCount && Map->Pages[At]->Index == Index) {
        return Map->Pages[At];
    }
    return NULL;
}

PCCP_PAGE CcpInsertPage(PCCP_SHARED_MAP Map, ULONGLONG Index)
{
    ULONG At = CcpLowerBound(Map, Index);
    PCCP_PAGE Page;

    ASSERT(At == Map->PageCount || Map->Pages[At]->Index != Index);
    if (Map->PageCount == Map->PageCapacity) {
        ULONG Capacity = Map->PageCapacity ? Map->PageCapacity * 2 : 16;
        PCCP_PAGE *Pages = ExpAllocateSystemPool(NonPagedPoolNx, Capacity * sizeof(PCCP_PAGE), CCP_TAG_PAGE_ARRAY);
        if (Pages == NULL) {
            ExRaiseStatus(STATUS_INSUFFICIENT_RESOURCES);
        }
        if (Map->Pages != NULL) {
            memcpy(Pages, Map->Pages, Map->PageCount * sizeof(PCCP_PAGE));
            ExFreePoolWithTag(Map->Pages, CCP_TAG_PAGE_ARRAY);
        }
        Map->Pages = Pages;
        Map->PageCapacity = Capacity;
    }
    Page = ExpAllocateSystemPool(NonPagedPoolNx, sizeof(CCP_PAGE), CCP_TAG_PAGE);
    if (Page == NULL) {
        ExRaiseStatus(STATUS_INSUFFICIENT_RESOURCES);
    }
    Page->Data = CcpAllocateAligned(PAGE_SIZE, CCP_TAG_PAGE_DATA, "CacheView", &Page->Block);
    if (Page->Data == NULL) {
        ExFreePoolWithTag(Page, CCP_TAG_PAGE);
        ExRaiseStatus(STATUS_INSUFFICIENT_RESOURCES);
    }
    Page->Index = Index;
    Page->References = 1;
    KeInitializeEvent(&Page->ReadDone, NotificationEvent, FALSE);
    memmove(&Map->Pages[At + 1], &Map->Pages[At], (Map->PageCount - At) * sizeof(PCCP_PAGE));
    Map->Pages[At] = Page;
    Map->PageCount++;
    return Page;
}

void CcpRemovePage(PCCP_SHARED_MAP Map, PCCP_PAGE Page)
{
    ULONG At = CcpLowerBound(Map, Page->Index);

    if (Page->Removed) {
        return;
    }
    ASSERT(At < Map->PageCount && Map->Pages[At] == Page);
    memmove(&Map->Pages[At], &Map->Pages[At + 1], (Map->PageCount - At - 1) * sizeof(PCCP_PAGE));
    Map->PageCount--;
    Page->Removed = TRUE;
    Page->Dirty = FALSE;
    CcpDereferencePage(Page);
}

void CcpReferencePage(PCCP_PAGE Page)
{
    Page->References++;
}

void CcpDereferencePage(PCCP_PAGE Page)
{
    ASSERT(Page->References > 0);
    if (--Page->References == 0) {
        ASSERT(Page->Removed);
        CcpFreeAligned(Page->Data, Page->Block, CCP_TAG_PAGE_DATA);
        ExFreePoolWithTag(Page, CCP_TAG_PAGE);
    }
}

void CcpWaitForPageRead(PCCP_PAGE Page)
{
    PKTHREAD Thread = KeGetCurrentThread();

    if (Page->Reader == Thread) {
        const char *Text = KiFormat("thread %u (%s) needs cache page %llu while its own paging read of that page "
                                    "is still in progress: a driver below the cache re-entered it for the "
                                    "same data (a collided page fault on one thread never resolves)",
                                    Thread->ThreadId, Thread->Name, (unsigned long long)Page->Index);
        KiReportSetRootCause(Text);
        KiHang(Text);
    }
    CcpReferencePage(Page);
    Thread->WaitNote = KiFormat("the paging read of cache page %llu (file offset 0x%llx) by thread %u",
                                (unsigned long long)Page->Index,
                                (unsigned long long)(Page->Index * PAGE_SIZE),
                                Page->Reader != NULL ? Page->Reader->ThreadId : 0);
    (void)KeWaitForSingleObject(&Page->ReadDone, WrPageIn, KernelMode, FALSE, NULL);
    CcpDereferencePage(Page);
}

void CcpTruncate(PCCP_SHARED_MAP Map, LONGLONG NewSize)
{
    ULONGLONG FirstGone = ((ULONGLONG)NewSize + PAGE_SIZE - 1) / PAGE_SIZE;
    ULONG At = CcpLowerBound(Map, FirstGone);

    /* Whole pages beyond the new end (a page still being read stays until
     * its reader is done with it; its data is never copied past the end). */
    while (At < Map->PageCount) {
        PCCP_PAGE Page = Map->Pages[At];
        if (Page->Reading) {
            At++;
            continue;
        }
        CcpRemovePage(Map, Page);
    }
    /* The bytes past the end in the last page read as zeros if the file grows again. */
    if ((NewSize % PAGE_SIZE) != 0) {
        PCCP_PAGE Last = CcpFindPage(Map, (ULONGLONG)NewSize / PAGE_SIZE);
        if (Last != NULL && !Last->Reading) {
            ULONG Keep = (ULONG)(NewSize % PAGE_SIZE);
            RtlZeroMemory(Last->Data + Keep, PAGE_SIZE - Keep);
        }
    }
    if (Map->ValidDataLength > NewSize) {
        Map->ValidDataLength = NewSize;
    }
}

/* --- the routines ------------------------------------------------------------ */

VOID CcInitializeCacheMap(PFILE_OBJECT FileObject, PCC_FILE_SIZES FileSizes, BOOLEAN PinAccess,
                          PCACHE_MANAGER_CALLBACKS Callbacks, PVOID LazyWriteContext)
{
    PSECTION_OBJECT_POINTERS Pointers;
    PCCP_SHARED_MAP Map;
    PCCP_PRIVATE_MAP Private;

    KI_FRAME_SCOPE("nt", "CcInitializeCacheMap", 0x90);
    KiRequireIrql(APC_LEVEL, "CcInitializeCacheMap");
    if (FileObject == NULL || FileObject->SectionObjectPointer == NULL || FileSizes == NULL) {
        KiReportSetRootCause("CcInitializeCacheMap on a file object without SectionObjectPointer (the file "
                             "system must point it at the stream's SECTION_OBJECT_POINTERS first), or without "
                             "file sizes");
        KeBugCheckEx(0x34 /* CACHE_MANAGER */, 0, (ULONG_PTR)MiSyntheticAddress(FileObject), 0, 0);
    }
    if (FileObject->PrivateCacheMap != NULL) {
        return; /* this file object already caches the stream */
    }
    Pointers = FileObject->SectionObjectPointer;
    Map = CcpSharedMapOf(Pointers);
    if (Map == NULL) {
        Map = ExpAllocateSystemPool(NonPagedPoolNx, sizeof(CCP_SHARED_MAP), CCP_TAG_SHARED_MAP);
        if (Map == NULL) {
            ExRaiseStatus(STATUS_INSUFFICIENT_RESOURCES);
        }
        MiSetRangeKind(Map, "SharedCacheMap");
        Map->Magic = CCP_SHARED_MAP_MAGIC;
        Map->SectionObjectPointers = Pointers;
        Map->FileObject = FileObject;
        Map->AllocationSize = FileSizes->AllocationSize.QuadPart;
        Map->FileSize = FileSizes->FileSize.QuadPart;
        Map->ValidDataLength = FileSizes->ValidDataLength.QuadPart;
        Map->PinAccess = PinAccess;
        if (Callbacks != NULL) {
            Map->Callbacks = *Callbacks;
        }
        Map->LazyWriteContext = LazyWriteContext;
        InitializeListHead(&Map->PrivateMaps);
        Pointers->SharedCacheMap = Map;
    } else {
        /* Another file object caches the stream already: only a larger
         * section grows it (the sizes are the file system's to keep up to
         * date with CcSetFileSizes). */
        if (FileSizes->AllocationSize.QuadPart > Map->AllocationSize) {
            Map->AllocationSize = FileSizes->AllocationSize.QuadPart;
        }
        Map->DeletePending = FALSE;
        if (Map->OpenCount == 0) {
            Map->FileObject = FileObject;
        }
    }
    Private = ExpAllocateSystemPool(NonPagedPoolNx, sizeof(CCP_PRIVATE_MAP), CCP_TAG_PRIVATE_MAP);
    if (Private == NULL) {
        if (Map->OpenCount == 0 && Map->ActiveCount == 0) {
            CcpDeleteSharedMap(Map);
        }
        ExRaiseStatus(STATUS_INSUFFICIENT_RESOURCES);
    }
    MiSetRangeKind(Private, "PrivateCacheMap");
    Private->Magic = CCP_PRIVATE_MAP_MAGIC;
    Private->FileObject = FileObject;
    Private->SharedMap = Map;
    InsertTailList(&Map->PrivateMaps, &Private->Links);
    Map->OpenCount++;
    FileObject->PrivateCacheMap = Private;
}

/* Unlink and free a private map of Map. */
static void CcpDetachPrivateMap(PCCP_SHARED_MAP Map, PCCP_PRIVATE_MAP Private)
{
    PFILE_OBJECT FileObject = Private->FileObject;

    if (FileObject->PrivateCacheMap == Private) {
        FileObject->PrivateCacheMap = NULL;
    }
    RemoveEntryList(&Private->Links);
    Private->Magic = 0;
    ExFreePoolWithTag(Private, CCP_TAG_PRIVATE_MAP);
    ASSERT(Map->OpenCount > 0);
    Map->OpenCount--;
    if (Map->FileObject == FileObject && Map->OpenCount != 0) {
        /* Paging I/O goes on through a file object that still caches the stream. */
        PCCP_PRIVATE_MAP Next = CONTAINING_RECORD(Map->PrivateMaps.Flink, CCP_PRIVATE_MAP, Links);
        Map->FileObject = Next->FileObject;
    }
}

/* Detach a file object's private map (Map NULL: the stream is no longer cached). */
static void CcpRemovePrivateMap(PCCP_SHARED_MAP Map, PFILE_OBJECT FileObject)
{
    PCCP_PRIVATE_MAP Private = (PCCP_PRIVATE_MAP)FileObject->PrivateCacheMap;

    if (Private == NULL) {
        return;
    }
    if (Private->Magic != CCP_PRIVATE_MAP_MAGIC) {
        KiReportSetRootCause("FileObject->PrivateCacheMap does not point at a private cache map (a driver "
                             "overwrote it)");
        KeBugCheckEx(0x34 /* CACHE_MANAGER */, 0, (ULONG_PTR)MiSyntheticAddress(FileObject),
                     (ULONG_PTR)MiSyntheticAddress(Private), 0);
    }
    if (Map == NULL || Private->SharedMap != Map) {
        /* A leftover of a stream torn down without it: nothing else refers to it. */
        FileObject->PrivateCacheMap = NULL;
        Private->Magic = 0;
        ExFreePoolWithTag(Private, CCP_TAG_PRIVATE_MAP);
        return;
    }
    CcpDetachPrivateMap(Map, Private);
}

BOOLEAN CcpUninitializeAllPrivateMaps(PCCP_SHARED_MAP Map)
{
    while (!IsListEmpty(&Map->PrivateMaps)) {
        CcpDetachPrivateMap(Map, CONTAINING_RECORD(Map->PrivateMaps.Flink, CCP_PRIVATE_MAP, Links));
    }
    return !CcpCloseSharedMap(Map);
}

/*
 * Returns TRUE when the stream is no longer cached afterwards (its shared
 * map was torn down, or there was none), FALSE while other file objects
 * still cache it or a Cc call still running on it defers the teardown.
 * The data is written back synchronously, so UninitializeEvent is
 * signaled before the routine returns.
 */
BOOLEAN CcUninitializeCacheMap(PFILE_OBJECT FileObject, PLARGE_INTEGER TruncateSize,
                               PCACHE_UNINITIALIZE_EVENT UninitializeEvent)
{
    PCCP_SHARED_MAP Map;
    BOOLEAN Stopped = TRUE;

    KI_FRAME_SCOPE("nt", "CcUninitializeCacheMap", 0x80);
    KiRequireIrql(APC_LEVEL, "CcUninitializeCacheMap");
    Map = FileObject != NULL ? CcpSharedMapOf(FileObject->SectionObjectPointer) : NULL;
    if (Map == NULL) {
        if (FileObject != NULL) {
            CcpRemovePrivateMap(NULL, FileObject);
        }
    } else {
        CcpRemovePrivateMap(Map, FileObject);
        if (TruncateSize != NULL) {
            LONGLONG Size = TruncateSize->QuadPart < 0 ? 0 : TruncateSize->QuadPart;
            CcpTruncate(Map, Size);
            if (Map->FileSize > Size) {
                Map->FileSize = Size;
            }
        }
        if (Map->OpenCount == 0) {
            Stopped = CcpCloseSharedMap(Map);
        } else {
            Stopped = FALSE;
        }
    }
    if (UninitializeEvent != NULL) {
        KeSetEvent(&UninitializeEvent->Event, IO_NO_INCREMENT, FALSE);
    }
    return Stopped;
}

NTSTATUS CcSetFileSizesEx(PFILE_OBJECT FileObject, PCC_FILE_SIZES FileSizes)
{
    PCCP_SHARED_MAP Map;

    KI_FRAME_SCOPE("nt", "CcSetFileSizesEx", 0x70);
    KiRequireIrql(APC_LEVEL, "CcSetFileSizes");
    Map = FileObject != NULL ? CcpSharedMapOf(FileObject->SectionObjectPointer) : NULL;
    if (Map == NULL || FileSizes == NULL) {
        return STATUS_SUCCESS;
    }
    if (FileSizes->AllocationSize.QuadPart > Map->AllocationSize) {
        Map->AllocationSize = FileSizes->AllocationSize.QuadPart;
    }
    if (FileSizes->FileSize.QuadPart < Map->FileSize) {
        CcpTruncate(Map, FileSizes->FileSize.QuadPart < 0 ? 0 : FileSizes->FileSize.QuadPart);
    }
    Map->FileSize = FileSizes->FileSize.QuadPart;
    Map->ValidDataLength = FileSizes->ValidDataLength.QuadPart;
    if (Map->ValidDataLength > Map->FileSize) {
        Map->ValidDataLength = Map->FileSize;
    }
    return STATUS_SUCCESS;
}

VOID CcSetFileSizes(PFILE_OBJECT FileObject, PCC_FILE_SIZES FileSizes)
{
    NTSTATUS Status = CcSetFileSizesEx(FileObject, FileSizes);

    if (!NT_SUCCESS(Status)) {
        ExRaiseStatus(Status);
    }
}

PFILE_OBJECT CcGetFileObjectFromSectionPtrs(PSECTION_OBJECT_POINTERS SectionObjectPointer)
{
    PCCP_SHARED_MAP Map = CcpSharedMapOf(SectionObjectPointer);

    return Map != NULL ? Map->FileObject : NULL;
}

VOID CcSetReadAheadGranularity(PFILE_OBJECT FileObject, ULONG Granularity)
{
    /* There is no read-ahead in the model: a miss reads exactly the pages
     * the copy needs. */
    UNREFERENCED_PARAMETER(FileObject);
    UNREFERENCED_PARAMETER(Granularity);
}
