/*
 * noncached.c - fltsim Mm: MmAllocateNonCachedMemory and
 * MmFreeNonCachedMemory.  The memory is nonpaged, whole pages, and charged
 * to the caller like pool (tag 'NcMm'), so a driver that never frees it
 * shows in leak reports.  (The size passed to the free is not checked.)
 */
#include <fsim_kernel.h>

#define MI_NONCACHED_TAG 'mMcN'

PVOID MmAllocateNonCachedMemory(SIZE_T NumberOfBytes)
{
    KiRequireIrql(PASSIVE_LEVEL, "MmAllocateNonCachedMemory");
    if (NumberOfBytes == 0)
        return NULL;
    return ExAllocatePoolWithTag(NonPagedPoolNx, ROUND_TO_PAGES(NumberOfBytes), MI_NONCACHED_TAG);
}

VOID MmFreeNonCachedMemory(PVOID BaseAddress, SIZE_T NumberOfBytes)
{
    (void)NumberOfBytes;
    KiRequireIrql(PASSIVE_LEVEL, "MmFreeNonCachedMemory");
    ExFreePoolWithTag(BaseAddress, MI_NONCACHED_TAG);
}
