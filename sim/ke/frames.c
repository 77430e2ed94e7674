/*
 * frames.c - fltsim Ke: the frame-size table of the stack ledger.  Each
 * simulated Windows routine charges the bytes its frame takes on a real
 * Windows 10 19041 x64 stack: the sizes read off the seed's double-fault
 * listing (shared/data/frames-win10-19041-x64.tsv) and kernel-facts.md 8.2
 * where they exist; every other size is an estimate and marked so.
 * Frames not in the table charge the estimate their caller passes.
 */
#include <fsim_kernel.h>
#include <string.h>

typedef struct KI_FRAME_SIZE {
    const char *Module;
    const char *Function;
    ULONG Bytes;
    BOOLEAN Estimate;            /* not measured on Windows: a documented guess */
} KI_FRAME_SIZE;

static const KI_FRAME_SIZE KiFrameSizes[] = {
    /* measured: frames-win10-19041-x64.tsv (the seed's 0x7F/8 listing) */
    {"nt", "RtlRbRemoveNode", 0x10, FALSE},
    {"nt", "RtlpHpVsChunkSplit", 0xc0, FALSE},
    {"nt", "RtlpHpVsContextAllocateInternal", 0x60, FALSE},
    {"nt", "ExAllocateHeapPool", 0x140, FALSE},
    {"nt", "ExpAllocatePoolWithTagFromNode", 0x50, FALSE},
    {"nt", "ExAllocatePoolWithTagPriority", 0x40, FALSE},
    {"nt", "VeAllocatePoolWithTagPriority", 0x70, FALSE},
    {"nt", "ViIrpAllocateLockedPacket", 0x50, FALSE},
    {"nt", "IovAllocateIrp", 0x50, FALSE},
    {"nt", "IoAllocateIrp", 0x30, FALSE},
    {"rdbss", "RxCeAllocateIrpWithMDL", 0x30, FALSE},
    {"mrxsmb", "SmbWskSend", 0x80, FALSE},
    {"mrxsmb", "RxCeSend", 0x130, FALSE},
    {"mrxsmb", "VctSend", 0x60, FALSE},
    {"mrxsmb", "SmbCseSubmitBufferContext", 0x140, FALSE},
    {"mrxsmb20", "Smb2Read_Start", 0xd0, FALSE},
    {"mrxsmb", "SmbCeInitiateExchange", 0xe0, FALSE},
    {"mrxsmb20", "MRxSmb2Read", 0x60, FALSE},
    {"mrxsmb", "SmbShellRead", 0x30, FALSE},
    {"csc", "CscRead", 0x150, FALSE},
    {"rdbss", "RxLowIoSubmit", 0x70, FALSE},
    {"rdbss", "RxCommonRead", 0x180, FALSE},
    {"rdbss", "RxFsdCommonDispatch", 0x190, FALSE},
    {"rdbss", "RxFsdDispatch", 0x50, FALSE},
    {"mrxsmb", "MRxSmbFsdDispatch", 0x40, FALSE},
    {"nt", "IopfCallDriver", 0x40, FALSE},
    {"nt", "IovCallDriver", 0x40, FALSE},
    {"nt", "IofCallDriver", 0x40, FALSE},
    {"mup", "MupiCallUncProvider", 0x70, FALSE},
    {"mup", "MupStateMachine", 0x30, FALSE},
    {"mup", "MupFsdIrpPassThrough", 0x70, FALSE},
    {"FLTMGR", "FltpLegacyProcessingAfterPreCallbacksCompleted", 0x70, FALSE},
    {"FLTMGR", "FltpDispatch", 0x60, FALSE},
    {"nt", "IoPageReadEx", 0x70, FALSE},
    {"nt", "MiPageRead", 0x50, FALSE},
    {"nt", "MiPfExecuteReadList", 0x70, FALSE},
    {"nt", "MmPrefetchForCacheManager", 0x60, FALSE},
    {"nt", "CcFetchDataForRead", 0x60, FALSE},
    {"nt", "CcMapAndCopyFromCache", 0xa0, FALSE},
    {"nt", "CcCopyReadEx", 0xb0, FALSE},
    {"nt", "CcCopyRead", 0x50, FALSE},
    {"FLTMGR", "FltPerformSynchronousIo", 0xb0, FALSE},
    {"FLTMGR", "FltReadFileEx", 0x100, FALSE},
    {"FLTMGR", "FltReadFile", 0x70, FALSE},
    {"FLTMGR", "FltvReadFile", 0x70, FALSE},
    /* measured: kernel-facts.md 8.2 (other public dumps) */
    {"FLTMGR", "FltpPerformPreCallbacks", 0x120, FALSE},
    {"FLTMGR", "FltpPreFsFilterOperation", 0x90, FALSE},
    {"nt", "FsFilterPerformCallbacks", 0x60, FALSE},
    {"nt", "FsRtlAcquireFileForCcFlushEx", 0x2b0, FALSE},
    {"Ntfs", "NtfsFsdRead", 0xb0, FALSE},
    {"Ntfs", "NtfsCommonRead", 0x1c0, FALSE},
    {"Ntfs", "NtfsNonCachedIo", 0x210, FALSE},
    {"FLTMGR", "FltUnregisterFilter", 0xc0, FALSE},
    {"FLTMGR", "FltpWaitForRundownProtectionReleaseInternal", 0x110, FALSE},
    /* estimates (no public measurement found) */
    {"nt", "KeBugCheckEx", 0x28, TRUE},
    {"nt", "IofCompleteRequest", 0x40, TRUE},
    /* The create path of a user NtCreateFile above the file system stack.
     * KiSystemServiceCopyEnd carries the KTRAP_FRAME (0x190 bytes on x64)
     * between it and the top of the stack. */
    {"nt", "KiSystemServiceCopyEnd", 0x200, TRUE},
    {"nt", "NtCreateFile", 0x90, TRUE},
    {"nt", "IopCreateFile", 0x1a0, TRUE},
    {"nt", "ObOpenObjectByNameEx", 0x1d0, TRUE},
    {"nt", "ObpLookupObjectName", 0x1a0, TRUE},
    {"nt", "IopParseDevice", 0x1b0, TRUE},
    {"FLTMGR", "FltpCreate", 0xa0, TRUE},
    {"FLTMGR", "FltpPerformPostCallbacks", 0x60, TRUE},
    {"nt", "IopLoadDriver", 0x90, TRUE},
    {"nt", "IopUnloadDriver", 0x60, TRUE},
    {"nt", "IopMountVolume", 0x100, TRUE},
    {"nt", "PspSystemThreadStartup", 0x50, TRUE},
    {"nt", "ExpWorkerThread", 0x80, TRUE},
    {"nt", "KiExecuteAllDpcs", 0x80, TRUE},
    {"nt", "PspProcessDelete", 0x90, TRUE},
    {"nt", "MmDeleteProcessAddressSpace", 0x50, TRUE},
    {"nt", "KeExpandKernelStackAndCalloutInternal", 0x60, TRUE},
    {"nt", "ExWaitForRundownProtectionRelease", 0x60, TRUE},
    {"Ntfs", "FsdDispatch", 0x60, TRUE},
    {"FLTMGR", "FltpPassThroughCompletion", 0x60, TRUE},
    {"nt", "CcInitializeCacheMap", 0x90, TRUE},
    {"nt", "CcUninitializeCacheMap", 0x80, TRUE},
    {"nt", "CcSetFileSizesEx", 0x70, TRUE},
    {"nt", "CcCopyWrite", 0x80, TRUE},
    {"nt", "CcMapAndCopyToCache", 0xc0, TRUE},
    {"nt", "CcZeroData", 0x90, TRUE},
    {"nt", "CcFlushCache", 0x100, TRUE},
    {"nt", "CcPurgeCacheSection", 0x90, TRUE},
    {"nt", "MmFlushSection", 0x80, TRUE},
    {"nt", "MiFlushSectionInternal", 0xd0, TRUE},
    {"nt", "IoSynchronousPageWrite", 0x70, TRUE},
    {"nt", "MmAccessFault", 0x110, TRUE},
    {"nt", "KiPageFault", 0x190, TRUE},
    {"nt", "NtReadFile", 0xd0, TRUE},
    {"nt", "NtWriteFile", 0xd0, TRUE},
    {"nt", "NtQueryInformationFile", 0xb0, TRUE},
    {"nt", "NtSetInformationFile", 0xb0, TRUE},
    {"nt", "NtQueryVolumeInformationFile", 0xb0, TRUE},
    {"nt", "NtQueryDirectoryFile", 0xb0, TRUE},
    {"nt", "NtQuerySecurityObject", 0xb0, TRUE},
    {"nt", "NtFsControlFile", 0xb0, TRUE},
    {"nt", "IopCompleteRequest", 0xa0, TRUE},
    {"nt", "KiDeliverApc", 0x90, TRUE},     /* the KTRAP_FRAME of a user-mode fault */
    {"nt", "NtCreateSection", 0xb0, TRUE},
    {"nt", "MmCreateSection", 0x100, TRUE},
    {"nt", "FsRtlAcquireToCreateMappedSection", 0x60, TRUE},
    {"nt", "FsRtlReleaseFile", 0x40, TRUE},
    {"FLTMGR", "FltpPostFsFilterOperation", 0x60, TRUE},
    {"nt", "MiIssueHardFault", 0x90, TRUE},
    {"Ntfs", "NtfsFsdWrite", 0xb0, TRUE},
    {"Ntfs", "NtfsCommonWrite", 0x230, TRUE},
};

/* The table's size for a frame, or Fallback (the caller's estimate). */
ULONG KiFrameBytes(const char *Module, const char *Function, ULONG Fallback, BOOLEAN *Estimate);
ULONG KiFrameBytes(const char *Module, const char *Function, ULONG Fallback, BOOLEAN *Estimate)
{
    for (size_t I = 0; I < sizeof(KiFrameSizes) / sizeof(KiFrameSizes[0]); I++) {
        if (strcmp(KiFrameSizes[I].Function, Function) == 0 && strcmp(KiFrameSizes[I].Module, Module) == 0) {
            if (Estimate)
                *Estimate = KiFrameSizes[I].Estimate;
            return KiFrameSizes[I].Bytes;
        }
    }
    if (Estimate)
        *Estimate = TRUE;
    return Fallback;
}
