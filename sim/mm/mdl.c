/*
 * mdl.c - fltsim Mm: locking and mapping the pages an MDL describes, with
 * per-process locked-page accounting (process exit with pages still locked
 * is checked by Ps in a later slice).
 */
#include <fsim_kernel.h>

VOID MmProbeAndLockPages(PMDL Mdl, KPROCESSOR_MODE AccessMode, LOCK_OPERATION Operation)
{
    PKTHREAD T = KeGetCurrentThread();
    PVOID Va = MmGetMdlVirtualAddress(Mdl);
    KiRequireIrql(DISPATCH_LEVEL, "MmProbeAndLockPages");
    if (Mdl->MdlFlags & (MDL_PAGES_LOCKED | MDL_SOURCE_IS_NONPAGED_POOL)) {
        KiReportSetRootCause("MmProbeAndLockPages on an MDL that is already locked or built for nonpaged pool");
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, 0x16, 0, (ULONG_PTR)MiSyntheticAddress(Mdl), 0);
    }
    BOOLEAN User = MiIsUserRange(T->Process, Va, Mdl->ByteCount);
    if (AccessMode == UserMode && !User)
        KiRaiseException(STATUS_ACCESS_VIOLATION, Operation != IoReadAccess, (ULONG_PTR)MiSyntheticAddress(Va));
    Mdl->MdlFlags |= MDL_PAGES_LOCKED;
    if (Operation != IoReadAccess)
        Mdl->MdlFlags |= MDL_WRITE_OPERATION;
    if (User) {
        Mdl->Process = T->Process;
        T->Process->NumberOfLockedPages += ADDRESS_AND_SIZE_TO_SPAN_PAGES(Va, Mdl->ByteCount);
    } else {
        Mdl->Process = NULL;
    }
}

VOID MmUnlockPages(PMDL Mdl)
{
    ULONG Pages = ADDRESS_AND_SIZE_TO_SPAN_PAGES(MmGetMdlVirtualAddress(Mdl), Mdl->ByteCount);
    KiRequireIrql(DISPATCH_LEVEL, "MmUnlockPages");
    if (!(Mdl->MdlFlags & MDL_PAGES_LOCKED) || (Mdl->MdlFlags & MDL_SOURCE_IS_NONPAGED_POOL)) {
        KiReportSetRootCause("MmUnlockPages on an MDL whose pages are not locked");
        if (KiMachine->Options.TrackLockedPages || (KiMachine->Options.VerifierFlags & FSIM_VERIFIER_POOL_TRACKING))
            KeBugCheckEx(PROCESS_HAS_LOCKED_PAGES, 1, (ULONG_PTR)MiSyntheticAddress(Mdl->Process), Pages, 0);
        KeBugCheckEx(PFN_LIST_CORRUPT, 7, 0, 0, 0);
    }
    if (Mdl->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA)
        MmUnmapLockedPages(Mdl->MappedSystemVa, Mdl);
    if (Mdl->Process != NULL && Mdl->Process->NumberOfLockedPages >= Pages)
        Mdl->Process->NumberOfLockedPages -= Pages;
    Mdl->MdlFlags &= ~(MDL_PAGES_LOCKED | MDL_WRITE_OPERATION);
}

VOID MmBuildMdlForNonPagedPool(PMDL Mdl)
{
    Mdl->MdlFlags |= MDL_SOURCE_IS_NONPAGED_POOL;
    Mdl->MappedSystemVa = MmGetMdlVirtualAddress(Mdl);
    Mdl->Process = NULL;
}

PVOID MmMapLockedPagesSpecifyCache(PMDL Mdl, KPROCESSOR_MODE AccessMode, MEMORY_CACHING_TYPE CacheType,
                                   PVOID RequestedAddress, ULONG BugCheckOnFailure, ULONG Priority)
{
    (void)CacheType;
    (void)RequestedAddress;
    (void)BugCheckOnFailure;
    (void)Priority;
    if (AccessMode == UserMode) {
        KiReportSetRootCause("MmMapLockedPagesSpecifyCache to user mode is not simulated");
        return NULL;
    }
    if (Mdl->MdlFlags & MDL_SOURCE_IS_NONPAGED_POOL)
        return Mdl->MappedSystemVa;
    if (!(Mdl->MdlFlags & (MDL_PAGES_LOCKED | MDL_PARTIAL))) {
        KiReportSetRootCause("MmMapLockedPages on an MDL whose pages are not locked");
        KeBugCheckEx(DRIVER_VERIFIER_DETECTED_VIOLATION, 0x16, 0, (ULONG_PTR)MiSyntheticAddress(Mdl), 0);
    }
    Mdl->MappedSystemVa = MmGetMdlVirtualAddress(Mdl);
    Mdl->MdlFlags |= (Mdl->MdlFlags & MDL_PARTIAL) ? MDL_PARTIAL_HAS_BEEN_MAPPED : MDL_MAPPED_TO_SYSTEM_VA;
    return Mdl->MappedSystemVa;
}

PVOID MmMapLockedPages(PMDL Mdl, KPROCESSOR_MODE AccessMode)
{
    return MmMapLockedPagesSpecifyCache(Mdl, AccessMode, MmCached, NULL, TRUE, NormalPagePriority);
}

VOID MmUnmapLockedPages(PVOID BaseAddress, PMDL Mdl)
{
    (void)BaseAddress;
    Mdl->MdlFlags &= ~(MDL_MAPPED_TO_SYSTEM_VA | MDL_PARTIAL_HAS_BEEN_MAPPED);
}

SIZE_T MmSizeOfMdl(PVOID Base, SIZE_T Length)
{
    return sizeof(MDL) + ADDRESS_AND_SIZE_TO_SPAN_PAGES(Base, Length) * sizeof(PFN_NUMBER);
}

PMDL MmCreateMdl(PMDL MemoryDescriptorList, PVOID Base, SIZE_T Length)
{
    if (MemoryDescriptorList == NULL)
        MemoryDescriptorList = ExAllocatePoolWithTag(NonPagedPoolNx, MmSizeOfMdl(Base, Length), ' ldM');
    if (MemoryDescriptorList)
        MmInitializeMdl(MemoryDescriptorList, Base, Length);
    return MemoryDescriptorList;
}

VOID IoBuildPartialMdl(PMDL SourceMdl, PMDL TargetMdl, PVOID VirtualAddress, ULONG Length)
{
    PCHAR SourceVa = MmGetMdlVirtualAddress(SourceMdl);
    if (Length == 0)
        Length = SourceMdl->ByteCount - (ULONG)((PCHAR)VirtualAddress - SourceVa);
    TargetMdl->StartVa = PAGE_ALIGN(VirtualAddress);
    TargetMdl->ByteOffset = BYTE_OFFSET(VirtualAddress);
    TargetMdl->ByteCount = Length;
    TargetMdl->Process = SourceMdl->Process;
    TargetMdl->MdlFlags = (CSHORT)((TargetMdl->MdlFlags & (MDL_ALLOCATED_FIXED_SIZE | MDL_ALLOCATED_MUST_SUCCEED)) |
                                   MDL_PARTIAL |
                                   (SourceMdl->MdlFlags & (MDL_SOURCE_IS_NONPAGED_POOL | MDL_IO_SPACE)));
    if (SourceMdl->MdlFlags & MDL_SOURCE_IS_NONPAGED_POOL)
        TargetMdl->MappedSystemVa = VirtualAddress;
}

BOOLEAN MmIsAddressValid(PVOID VirtualAddress)
{
    return VirtualAddress != NULL;
}

PVOID MmLockPagableDataSection(PVOID AddressWithinSection)
{
    return AddressWithinSection;
}

VOID MmUnlockPagableImageSection(PVOID ImageSectionHandle)
{
    (void)ImageSectionHandle;
}

BOOLEAN MmIsThisAnNtAsSystem(VOID)
{
    return FALSE;
}
