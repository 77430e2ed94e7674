/*
 * mdl.c - fltsim Mm: locking and mapping the pages an MDL describes, and
 * per-process locked-page accounting.  Every MDL locking user pages is
 * recorded with the component and driver line that locked it; when the
 * process object goes away with pages still locked the machine stops as
 * Windows does: DRIVER_LEFT_LOCKED_PAGES_IN_PROCESS (0xCB) when locked-page
 * tracking is on (Memory Management\TrackLockedPages = 1, or Driver
 * Verifier's pool tracking), else PROCESS_HAS_LOCKED_PAGES (0x76).
 */
#include <fsim_kernel.h>
#include <string.h>

typedef struct MI_LOCKED_MDL {
    PMDL Mdl;
    ULONG Pages;
    PVOID Tracker;               /* the tracking structure (0xCB Arg1), tracking on only */
    const char *Locker;          /* module whose code locked the pages */
    const char *File;            /* driver source line, when a driver did */
    ULONG Line;
    uint64_t MappedVa;           /* the system mapping shown as MappedSystemVa */
    struct MI_LOCKED_MDL *Next;
} MI_LOCKED_MDL;

static BOOLEAN MiTracking(void)
{
    return KiMachine->Options.TrackLockedPages || (KiMachine->Options.VerifierFlags & FSIM_VERIFIER_POOL_TRACKING);
}

/* The innermost driver or built-in file system frame: who is locking. */
static void MiLocker(MI_LOCKED_MDL *R)
{
    PKTHREAD T = KeGetCurrentThread();
    R->Locker = "nt";
    for (ULONG I = T->FrameCount; I-- > 0;) {
        if (T->Frames[I].IsDriver || T->Frames[I].IsBoundary) {
            R->Locker = T->Frames[I].Module;
            if (T->Frames[I].IsDriver) {
                R->File = T->Frames[I].File;
                R->Line = T->Frames[I].Line;
            }
            return;
        }
    }
}

static MI_LOCKED_MDL *MiFindRecord(struct _EPROCESS *P, PMDL Mdl, MI_LOCKED_MDL ***LinkOut)
{
    MI_LOCKED_MDL **Link = &P->LockedMdls;
    while (*Link != NULL && (*Link)->Mdl != Mdl)
        Link = &(*Link)->Next;
    if (LinkOut)
        *LinkOut = Link;
    return *Link;
}

static MI_LOCKED_MDL *MiFindAnyRecord(PMDL Mdl)
{
    if (Mdl->Process == NULL)
        return NULL;
    return MiFindRecord(Mdl->Process, Mdl, NULL);
}

void MiFreeLockRecords(struct _EPROCESS *Process)
{
    while (Process->LockedMdls) {
        MI_LOCKED_MDL *R = Process->LockedMdls;
        Process->LockedMdls = R->Next;
        free(R);
    }
}

BOOLEAN MiRangeHasLockedPages(struct _EPROCESS *Process, const void *Start, SIZE_T Length)
{
    for (MI_LOCKED_MDL *R = Process->LockedMdls; R; R = R->Next) {
        const char *Va = MmGetMdlVirtualAddress(R->Mdl);
        if (Va < (const char *)Start + Length && Va + R->Mdl->ByteCount > (const char *)Start)
            return TRUE;
    }
    return FALSE;
}

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
        ULONG Pages = ADDRESS_AND_SIZE_TO_SPAN_PAGES(Va, Mdl->ByteCount);
        MI_LOCKED_MDL *R = calloc(1, sizeof(*R)), **Link = &T->Process->LockedMdls;
        if (R == NULL)
            abort();
        Mdl->Process = T->Process;
        T->Process->NumberOfLockedPages += Pages;
        R->Mdl = Mdl;
        R->Pages = Pages;
        MiLocker(R);
        if (MiTracking()) {
            R->Tracker = ExpAllocateSystemPool(NonPagedPoolNx, 0x40, 'kLmM');
            MiSetRangeKind(R->Tracker, "LockedPagesTracker");
        }
        while (*Link)
            Link = &(*Link)->Next;
        *Link = R;
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
    if (Mdl->Process != NULL) {
        MI_LOCKED_MDL **Link, *R = MiFindRecord(Mdl->Process, Mdl, &Link);
        if (Mdl->Process->NumberOfLockedPages >= Pages)
            Mdl->Process->NumberOfLockedPages -= Pages;
        if (R != NULL) {
            *Link = R->Next;
            if (R->Tracker)
                ExFreePoolWithTag(R->Tracker, 'kLmM');
            free(R);
        }
    }
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
    {
        /* The host address is the user buffer itself; reports show the
         * mapping as Windows would, in system space at the same page offset. */
        MI_LOCKED_MDL *R = MiFindAnyRecord(Mdl);
        if (R != NULL && R->MappedVa == 0) {
            static const uint64_t SystemPtes = 0xffff828024200000ull;
            R->MappedVa = SystemPtes + ((uint64_t)(KiMachine->NextKernelVa & 0xFFFFF000ull)) +
                          Mdl->ByteOffset;
        }
    }
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

void MiCheckLockedPagesAtDelete(struct _EPROCESS *Process)
{
    MI_LOCKED_MDL *R = Process->LockedMdls;
    extern BOOLEAN FltpDescribeMdlOwner(PMDL Mdl, const char **Image, const char **File, ULONG *Line, UCHAR *Major,
                                        BOOLEAN *Freed, uint64_t *CallbackData);
    extern const char *IopIrpMajorName(UCHAR Major);
    if (Process->NumberOfLockedPages == 0 || R == NULL)
        return;
    KI_FRAME_SCOPE("nt", "MmDeleteProcessAddressSpace", 0x50);
    PMDL Mdl = R->Mdl;
    uint64_t MdlAddress = MiSyntheticAddress(Mdl);
    MiReportMdl(Mdl, R->MappedVa);
    {
        extern void IopReportIrpFind(struct _EPROCESS * Process);
        IopReportIrpFind(Process);
    }
    PIRP Irp = IopFindIrpHoldingMdl(Mdl);
    if (Irp != NULL)
        IopReportIrp(Irp);
    /* Who left them: the filter whose callback data holds the MDL, else the locker. */
    const char *Image = NULL, *File = NULL;
    ULONG Line = 0;
    UCHAR Major = 0;
    BOOLEAN Freed = FALSE;
    uint64_t Cbd = 0;
    if (FltpDescribeMdlOwner(Mdl, &Image, &File, &Line, &Major, &Freed, &Cbd)) {
        KiReportSetRootCause(KiFormat("MDL %016llx (%u pages) was locked by %s for %s issued through callback data "
                                      "%016llx allocated at %s:%u (FltAllocateCallbackData) and never freed "
                                      "(FltFreeCallbackData frees the MDLs lower drivers attached)",
                                      (unsigned long long)MdlAddress, R->Pages, R->Locker, IopIrpMajorName(Major),
                                      (unsigned long long)Cbd, File ? File : "?", Line));
        KiReportSetGuilty(Image, File ? KiFormat("%s:%u", File, Line) : "");
    } else {
        KiReportSetRootCause(KiFormat("MDL %016llx (%u pages) locked by %s%s%s was never unlocked (MmUnlockPages)",
                                      (unsigned long long)MdlAddress, R->Pages, R->Locker,
                                      R->File ? " at " : "", R->File ? KiFormat("%s:%u", R->File, R->Line) : ""));
        if (R->File)
            KiReportSetGuilty(KiFormat("%s.sys", R->Locker), KiFormat("%s:%u", R->File, R->Line));
    }
    if (MiTracking())
        KeBugCheckEx(DRIVER_LEFT_LOCKED_PAGES_IN_PROCESS, (ULONG_PTR)MiSyntheticAddress(R->Tracker), 0,
                     (ULONG_PTR)MdlAddress, R->Pages);
    KeBugCheckEx(PROCESS_HAS_LOCKED_PAGES, 0, (ULONG_PTR)MiSyntheticAddress(Process),
                 (ULONG_PTR)Process->NumberOfLockedPages, 0);
}
