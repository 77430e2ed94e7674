/*
 * ccp.h - fltsim Cc: the Cache Manager's private structures and the
 * interfaces between its source files.
 *
 * Model.  Each cached stream has one shared cache map, reached through
 * SECTION_OBJECT_POINTERS.SharedCacheMap (the FCB's section object
 * pointers, so every file object of the stream finds it), and each file
 * object that called CcInitializeCacheMap has a private cache map in
 * FileObject->PrivateCacheMap.  The shared map holds the cached data as
 * 4 KB pages of host memory, kept in an array sorted by page index (never
 * a pointer-ordered container, so every walk is deterministic).
 *
 * A page is either valid (its data can be copied) or being read: the
 * thread that missed builds a paging read IRP and sends it to the top of
 * the stream's device stack, as Mm does for the cache manager's views; a
 * thread needing the same page meanwhile waits for the page's event.
 * Valid pages may be dirty (written by CcCopyWrite and not yet written
 * back); CcFlushCache writes them with paging write IRPs, CcPurgeCacheSection
 * and truncation drop them.
 *
 * Lifetime.  The map counts the operations running on it (ActiveCount):
 * when the last private map goes while an operation still waits for a
 * paging I/O, the teardown is deferred to the end of that operation.
 * Pages are reference counted for the threads waiting for their read.
 * Everything is allocated from system pool, so nothing is charged to a
 * driver and machine teardown frees what a file system never tore down.
 */
#ifndef FSIM_CCP_H
#define FSIM_CCP_H

#include <fsim_kernel.h>

/* Pool tags, as !pool shows them. */
#define CCP_TAG_SHARED_MAP 'cScC'   /* "CcSc" */
#define CCP_TAG_PRIVATE_MAP 'cPcC'  /* "CcPc" */
#define CCP_TAG_PAGE 'gPcC'         /* "CcPg": page descriptors */
#define CCP_TAG_PAGE_DATA 'dPcC'    /* "CcPd": the cached data */
#define CCP_TAG_PAGE_ARRAY 'aPcC'   /* "CcPa": the sorted page array */
#define CCP_TAG_WRITE_BUFFER 'wFcC' /* "CcFw": a paging write's pages, gathered */
#define CCP_TAG_MDL ' ldM'          /* "Mdl ": paging I/O MDLs, as Mm tags them */

#define CCP_SHARED_MAP_MAGIC 0x70614D53u  /* "SMap" */
#define CCP_PRIVATE_MAP_MAGIC 0x70614D50u /* "PMap" */

/* Pages per paging write: Mm writes dirty pages in clusters of up to 64 KB. */
#define CCP_MAX_WRITE_PAGES 16u

/* Internal status: the caller did not allow waiting and a page needs I/O. */
#define CCP_STATUS_CANT_WAIT STATUS_CANT_WAIT

typedef struct CCP_PAGE {
    ULONGLONG Index;            /* file offset / PAGE_SIZE */
    PUCHAR Data;                /* PAGE_SIZE bytes, page aligned */
    PVOID Block;                /* the pool block holding Data */
    BOOLEAN Reading;            /* a paging read is filling Data */
    BOOLEAN Dirty;              /* written, not yet written back */
    BOOLEAN Removed;            /* no longer in the map's array */
    ULONG References;           /* 1 for the array, 1 per thread using or waiting for it */
    PKTHREAD Reader;            /* the thread doing the paging read */
    NTSTATUS ReadStatus;        /* the read's outcome, for the waiters */
    KEVENT ReadDone;            /* notification: the read finished */
} CCP_PAGE, *PCCP_PAGE;

typedef struct CCP_SHARED_MAP {
    ULONG Magic;
    PSECTION_OBJECT_POINTERS SectionObjectPointers;
    /* The file object paging I/O is issued on: the first one that cached
     * the stream, replaced by the next remaining one when it uninitializes. */
    PFILE_OBJECT FileObject;
    LONGLONG AllocationSize;
    LONGLONG FileSize;
    LONGLONG ValidDataLength;
    BOOLEAN PinAccess;
    BOOLEAN DeletePending;      /* no private map left; torn down when ActiveCount drops to 0 */
    CACHE_MANAGER_CALLBACKS Callbacks;
    PVOID LazyWriteContext;
    LIST_ENTRY PrivateMaps;     /* CCP_PRIVATE_MAP, in the order they were created */
    ULONG OpenCount;            /* private maps */
    ULONG ActiveCount;          /* Cc calls running on the map */
    PCCP_PAGE *Pages;           /* sorted by Index */
    ULONG PageCount;
    ULONG PageCapacity;
} CCP_SHARED_MAP, *PCCP_SHARED_MAP;

typedef struct CCP_PRIVATE_MAP {
    ULONG Magic;
    LIST_ENTRY Links;           /* SharedMap->PrivateMaps */
    PFILE_OBJECT FileObject;
    PCCP_SHARED_MAP SharedMap;
} CCP_PRIVATE_MAP, *PCCP_PRIVATE_MAP;

/* --- cachemap.c: maps, pages, lifetime ----------------------------------- */

/* The shared map of a file object's stream, NULL when it is not cached. */
PCCP_SHARED_MAP CcpSharedMapOf(PSECTION_OBJECT_POINTERS SectionObjectPointers);
/* As above for a routine that needs one: a file object whose stream is not
 * cached stops the machine (CACHE_MANAGER) naming Routine. */
PCCP_SHARED_MAP CcpRequireSharedMap(PFILE_OBJECT FileObject, const char *Routine);
/* Bracket a Cc call that may wait (keeps the map alive). */
void CcpEnter(PCCP_SHARED_MAP Map);
/* CcPurgeCacheSection's UNINITIALIZE_CACHE_MAPS: every private map goes;
 * FALSE when that tore the shared map down. */
BOOLEAN CcpUninitializeAllPrivateMaps(PCCP_SHARED_MAP Map);
void CcpLeave(PCCP_SHARED_MAP Map);

PCCP_PAGE CcpFindPage(PCCP_SHARED_MAP Map, ULONGLONG Index);
/* Position in Map->Pages of the first page at or after Index. */
ULONG CcpPagePosition(PCCP_SHARED_MAP Map, ULONGLONG Index);
/* A new page at Index (zero-filled), inserted in the array. */
PCCP_PAGE CcpInsertPage(PCCP_SHARED_MAP Map, ULONGLONG Index);
/* Take the page out of the array (dirty data is discarded). */
void CcpRemovePage(PCCP_SHARED_MAP Map, PCCP_PAGE Page);
void CcpReferencePage(PCCP_PAGE Page);
void CcpDereferencePage(PCCP_PAGE Page);
/* Wait until the paging read filling Page is over (the caller then looks
 * the page up again: a failed read leaves no page behind). */
void CcpWaitForPageRead(PCCP_PAGE Page);
/* Drop the pages at and beyond NewSize and zero the tail of the last one. */
void CcpTruncate(PCCP_SHARED_MAP Map, LONGLONG NewSize);

/* Page-aligned pool memory registered as one synthetic range of Kind. */
PVOID CcpAllocateAligned(SIZE_T Size, ULONG Tag, const char *Kind, PVOID *Block);
void CcpFreeAligned(PVOID Aligned, PVOID Block, ULONG Tag);

/* --- copy.c --------------------------------------------------------------- */

/* Copy to or from a caller's buffer; a fault gives STATUS_INVALID_USER_BUFFER
 * (what CcCopyRead/CcCopyWrite raise for a bad user buffer). */
NTSTATUS CcpCopyCallerBuffer(PVOID Destination, const VOID *Source, SIZE_T Length);

/* --- pageio.c: paging I/O to the top of the stream's device stack ------- */

/* A cache miss in CcCopyRead: CcFetchDataForRead down to IoPageReadEx. */
NTSTATUS CcpFetchDataForRead(PCCP_SHARED_MAP Map, PCCP_PAGE Page);
/* A miss while copying into the cache (a partly overwritten page): the
 * page fault's path down to IoPageReadEx. */
NTSTATUS CcpFaultPageForWrite(PCCP_SHARED_MAP Map, PCCP_PAGE Page);
/* Write the dirty pages in [StartIndex, EndIndex) back; *Written gets the
 * bytes (up to the file size) written. */
NTSTATUS CcpFlushRange(PCCP_SHARED_MAP Map, ULONGLONG StartIndex, ULONGLONG EndIndex, ULONG_PTR *Written);

/* A referenced, valid page at Index (copy.c); Fault: read in by a page
 * fault's paging read instead of the cache manager's. */
NTSTATUS CcpResolvePage(PCCP_SHARED_MAP Map, ULONGLONG Index, BOOLEAN ForWrite, BOOLEAN Fault, LONGLONG WriteStart,
                        LONGLONG WriteEnd, PCCP_PAGE *Out);

#endif /* FSIM_CCP_H */
