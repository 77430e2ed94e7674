/*
 * registration.c - fltsim FltMgr: the Filter Manager itself (boot and
 * teardown, the \FileSystem\FltMgr driver object), filter registration
 * (FltRegisterFilter with FLT_REGISTRATION validation, the Instances
 * registry key), FltStartFiltering, FltUnregisterFilter with its rundown
 * wait (leaked references become a deterministic hang report), fltmc-style
 * unload, filter objects and references.
 */
#include "fltp.h"
#include <string.h>
#include <dlfcn.h>

/* ------------------------------------------------------------------------ */
/* Helpers                                                                  */
/* ------------------------------------------------------------------------ */

BOOLEAN FltpEqualUnicodeUtf8(PCUNICODE_STRING A, const char *B, BOOLEAN CaseInsensitive)
{
    size_t N = A ? A->Length / sizeof(WCHAR) : 0;
    size_t L = strlen(B);
    if (N != L)
        return FALSE;
    for (size_t I = 0; I < N; I++) {
        WCHAR X = A->Buffer[I];
        WCHAR Y = (WCHAR)(unsigned char)B[I];
        if (CaseInsensitive) {
            if (X >= L'a' && X <= L'z')
                X = (WCHAR)(X - 32);
            if (Y >= L'a' && Y <= L'z')
                Y = (WCHAR)(Y - 32);
        }
        if (X != Y)
            return FALSE;
    }
    return TRUE;
}

BOOLEAN FltpIsFilter(PVOID Object)
{
    struct FLTP_STATE *S = FltpState();
    if (S == NULL || Object == NULL)
        return FALSE;
    for (PLIST_ENTRY E = S->Filters.Flink; E != &S->Filters; E = E->Flink)
        if (CONTAINING_RECORD(E, struct _FLT_FILTER, Links) == Object)
            return TRUE;
    return FALSE;
}

BOOLEAN FltpIsVolume(PVOID Object)
{
    struct FLTP_STATE *S = FltpState();
    if (S == NULL || Object == NULL)
        return FALSE;
    for (PLIST_ENTRY E = S->Volumes.Flink; E != &S->Volumes; E = E->Flink)
        if (CONTAINING_RECORD(E, struct _FLT_VOLUME, Links) == Object)
            return TRUE;
    return FALSE;
}

BOOLEAN FltpIsInstance(PVOID Object)
{
    struct FLTP_STATE *S = FltpState();
    if (S == NULL || Object == NULL)
        return FALSE;
    for (PLIST_ENTRY E = S->Instances.Flink; E != &S->Instances; E = E->Flink)
        if (CONTAINING_RECORD(E, struct _FLT_INSTANCE, AllLinks) == Object)
            return TRUE;
    return FALSE;
}

/* A driver handed FltMgr something that is not the object it expects: on
 * Windows this faults inside FltMgr; here it is a clean 0x1E-style stop. */
static DECLSPEC_NORETURN void FltpBadObject(const char *Routine, const char *What, const void *Object)
{
    KiReportSetRootCause(KiFormat("%s called with %016llx, which is not a valid %s", Routine,
                                  (unsigned long long)MiSyntheticAddress(Object), What));
    KeBugCheckEx(0x1E /* KMODE_EXCEPTION_NOT_HANDLED */, (ULONG_PTR)STATUS_ACCESS_VIOLATION, 0, 0,
                 (ULONG_PTR)MiSyntheticAddress(Object));
}

void FltpCheckFilter(PFLT_FILTER Filter, const char *Routine)
{
    if (!FltpIsFilter(Filter))
        FltpBadObject(Routine, "PFLT_FILTER", Filter);
}

void FltpCheckInstance(PFLT_INSTANCE Instance, const char *Routine)
{
    if (!FltpIsInstance(Instance))
        FltpBadObject(Routine, "PFLT_INSTANCE", Instance);
}

void FltpCheckVolume(PFLT_VOLUME Volume, const char *Routine)
{
    if (!FltpIsVolume(Volume))
        FltpBadObject(Routine, "PFLT_VOLUME", Volume);
}

PFLT_FILTER FltpFilterFromDriver(PDRIVER_OBJECT DriverObject)
{
    struct FLTP_STATE *S = FltpState();
    if (S == NULL)
        return NULL;
    for (PLIST_ENTRY E = S->Filters.Flink; E != &S->Filters; E = E->Flink) {
        PFLT_FILTER F = CONTAINING_RECORD(E, struct _FLT_FILTER, Links);
        if (F->DriverObject == DriverObject && !F->Unregistered)
            return F;
    }
    return NULL;
}

/* ------------------------------------------------------------------------ */
/* Boot and teardown                                                        */
/* ------------------------------------------------------------------------ */

static NTSTATUS FltpDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    (void)RegistryPath;
    for (int I = 0; I <= IRP_MJ_MAXIMUM_FUNCTION; I++)
        DriverObject->MajorFunction[I] = FltpDispatch;
    FltpRegisterFsFilterCallbacks(DriverObject);
    return STATUS_SUCCESS;
}

void FltpInitialize(void)
{
    struct FLTP_STATE *S = calloc(1, sizeof(*S));
    if (S == NULL)
        abort();
    FltpInitList(&S->Filters);
    FltpInitList(&S->Volumes);
    FltpInitList(&S->Instances);
    FltpInitList(&S->Contexts);
    FltpInitList(&S->Attached);
    FltpInitList(&S->Names);
    FltpInitList(&S->CallbackData);
    FltpInitList(&S->Active);
    FltpInitList(&S->OpenFiles);
    FltpInitList(&S->Misc);
    KiMachine->Flt = S;
    S->DriverObject = IopCreateBuiltinDriver("\\FileSystem\\FltMgr", "FLTMGR", FltpDriverEntry);
    /* Volumes mounted before FltMgr started get a frame now, later ones on mount. */
    for (size_t I = 0; I < IopVolumeCount(); I++)
        FltpOnMount(IopGetVolume(I));
    IopSetMountCallback(FltpOnMount);
}

void FltpTeardown(void)
{
    struct FLTP_STATE *S = FltpState();
    if (S == NULL)
        return;
    S->TearingDown = TRUE;
    FltpFreeCallbackDataBlocks();
    FltpFreeNames();
    FltpFreeContexts();
    while (!FltpListEmpty(&S->OpenFiles)) {
        PLIST_ENTRY E = S->OpenFiles.Flink;
        FltpRemove(E);
        free(CONTAINING_RECORD(E, FLTP_OPEN_FILE, Links));
    }
    while (!FltpListEmpty(&S->Instances)) {
        PLIST_ENTRY E = S->Instances.Flink;
        PFLT_INSTANCE I = CONTAINING_RECORD(E, struct _FLT_INSTANCE, AllLinks);
        FltpRemove(E);
        MiUnregisterRange(I);
        free(I);
    }
    FltpFreeVolumes();
    while (!FltpListEmpty(&S->Filters)) {
        PLIST_ENTRY E = S->Filters.Flink;
        PFLT_FILTER F = CONTAINING_RECORD(E, struct _FLT_FILTER, Links);
        FltpRemove(E);
        free(F->ContextRegistrations);
        free(F->Configs);
        MiUnregisterRange(F);
        free(F);
    }
    FltpFreeAllMisc();
    free(S);
    KiMachine->Flt = NULL;
}

/* ------------------------------------------------------------------------ */
/* FltRegisterFilter                                                        */
/* ------------------------------------------------------------------------ */

static BOOLEAN FltpValidMajor(UCHAR Major)
{
    if (Major <= IRP_MJ_MAXIMUM_FUNCTION)
        return TRUE;
    /* Pseudo-operations: -1..-7 and -13..-20. */
    if (Major >= (UCHAR)-7)
        return TRUE;
    if (Major >= (UCHAR)-20 && Major <= (UCHAR)-13)
        return TRUE;
    return FALSE;
}

static BOOLEAN FltpValidAltitude(const char *A)
{
    int Dots = 0, Digits = 0;
    if (A == NULL || *A == 0)
        return FALSE;
    for (const char *P = A; *P; P++) {
        if (*P == '.') {
            if (++Dots > 1)
                return FALSE;
        } else if (*P >= '0' && *P <= '9') {
            Digits++;
        } else {
            return FALSE;
        }
    }
    return Digits > 0;
}

static USHORT FltpRegistrationSizeForVersion(USHORT Version)
{
    switch (Version) {
    case FLT_REGISTRATION_VERSION_0200:
        return (USHORT)FIELD_OFFSET(FLT_REGISTRATION, TransactionNotificationCallback);
    case FLT_REGISTRATION_VERSION_0201:
    case FLT_REGISTRATION_VERSION_0202:
        return (USHORT)FIELD_OFFSET(FLT_REGISTRATION, SectionNotificationCallback);
    default:
        return (USHORT)sizeof(FLT_REGISTRATION);
    }
}

static NTSTATUS FltpCopyContextTable(PFLT_FILTER F, const FLT_CONTEXT_REGISTRATION *Table)
{
    ULONG Count = 0;
    if (Table == NULL)
        return STATUS_SUCCESS;
    for (;; Count++) {
        if (Count > 256)
            return STATUS_INVALID_PARAMETER; /* not terminated by FLT_CONTEXT_END */
        if (Table[Count].ContextType == FLT_CONTEXT_END)
            break;
    }
    for (ULONG I = 0; I < Count; I++) {
        const FLT_CONTEXT_REGISTRATION *R = &Table[I];
        USHORT T = R->ContextType;
        if (T == 0 || (T & (T - 1)) != 0 || T > FLT_SECTION_CONTEXT)
            return STATUS_FLT_INVALID_CONTEXT_REGISTRATION;
        if (R->Flags & ~FLTFL_CONTEXT_REGISTRATION_NO_EXACT_SIZE_MATCH)
            return STATUS_FLT_INVALID_CONTEXT_REGISTRATION;
        if (R->ContextAllocateCallback == NULL && R->Size == 0)
            return STATUS_FLT_INVALID_CONTEXT_REGISTRATION;
        if ((R->ContextAllocateCallback == NULL) != (R->ContextFreeCallback == NULL))
            return STATUS_FLT_INVALID_CONTEXT_REGISTRATION;
        for (ULONG J = 0; J < I; J++)
            if (Table[J].ContextType == T && Table[J].Size == R->Size)
                return STATUS_FLT_CONTEXT_ALREADY_DEFINED;
    }
    F->ContextRegistrations = calloc(Count + 1, sizeof(FLT_CONTEXT_REGISTRATION));
    if (F->ContextRegistrations == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    memcpy(F->ContextRegistrations, Table, Count * sizeof(FLT_CONTEXT_REGISTRATION));
    F->ContextRegistrations[Count].ContextType = FLT_CONTEXT_END;
    F->ContextRegistrationCount = Count;
    return STATUS_SUCCESS;
}

static NTSTATUS FltpCopyOperationTable(PFLT_FILTER F, const FLT_OPERATION_REGISTRATION *Table)
{
    if (Table == NULL)
        return STATUS_SUCCESS;
    for (ULONG I = 0;; I++) {
        const FLT_OPERATION_REGISTRATION *R = &Table[I];
        if (I > 512)
            return STATUS_INVALID_PARAMETER; /* not terminated by IRP_MJ_OPERATION_END */
        if (R->MajorFunction == IRP_MJ_OPERATION_END)
            break;
        if (!FltpValidMajor(R->MajorFunction))
            return STATUS_INVALID_PARAMETER;
        if (R->Flags & ~(ULONG)0xF)
            return STATUS_INVALID_PARAMETER;
        FLTP_OPERATION *Op = &F->Ops[R->MajorFunction];
        if (Op->Registered)
            return STATUS_FLT_DUPLICATE_ENTRY;
        Op->Registered = TRUE;
        Op->Pre = R->PreOperation;
        Op->Post = R->PostOperation;
        Op->Flags = R->Flags;
    }
    return STATUS_SUCCESS;
}

/* Services\<svc>\Instances: DefaultInstance, and per instance Altitude/Flags. */
static NTSTATUS FltpReadInstances(PFLT_FILTER F)
{
    const char *Names[64];
    char Key[512], Value[256];
    size_t N;
    snprintf(Key, sizeof(Key), "%s\\Instances", F->ServiceName);
    N = CmpEnumerateSubkeysUtf8(Key, Names, 64);
    if (N == 0)
        return STATUS_OBJECT_NAME_NOT_FOUND;
    F->Configs = calloc(N, sizeof(FLTP_INSTANCE_CONFIG));
    if (F->Configs == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (CmpQueryStringUtf8(Key, "DefaultInstance", Value, sizeof(Value)))
        F->DefaultInstance = KiSaveString(Value);
    for (size_t I = 0; I < N; I++) {
        char Sub[600];
        ULONG Flags = 0;
        snprintf(Sub, sizeof(Sub), "%s\\%s", Key, Names[I]);
        if (!CmpQueryStringUtf8(Sub, "Altitude", Value, sizeof(Value)) || !FltpValidAltitude(Value))
            continue;
        (void)CmpQueryDwordUtf8(Sub, "Flags", &Flags);
        FLTP_INSTANCE_CONFIG *C = &F->Configs[F->ConfigCount++];
        C->Name = Names[I];
        C->Altitude = KiSaveString(Value);
        C->Flags = Flags;
    }
    if (F->ConfigCount == 0)
        return STATUS_OBJECT_NAME_NOT_FOUND;
    /* The default instance goes first (it is the one attached by default). */
    if (F->DefaultInstance != NULL) {
        for (ULONG I = 1; I < F->ConfigCount; I++) {
            if (strcasecmp(F->Configs[I].Name, F->DefaultInstance) == 0) {
                FLTP_INSTANCE_CONFIG Tmp = F->Configs[I];
                memmove(&F->Configs[1], &F->Configs[0], I * sizeof(FLTP_INSTANCE_CONFIG));
                F->Configs[0] = Tmp;
                break;
            }
        }
    }
    return STATUS_SUCCESS;
}

NTSTATUS FLTAPI FltRegisterFilter(PDRIVER_OBJECT Driver, const FLT_REGISTRATION *Registration, PFLT_FILTER *RetFilter)
{
    struct FLTP_STATE *S = FltpState();
    NTSTATUS Status;
    KiRequireIrql(APC_LEVEL, "FltRegisterFilter");
    if (RetFilter != NULL)
        *RetFilter = NULL;
    if (S == NULL)
        return STATUS_FLT_NOT_INITIALIZED;
    if (Driver == NULL || Registration == NULL || RetFilter == NULL)
        return STATUS_INVALID_PARAMETER;
    if ((Registration->Version >> 8) != (FLT_REGISTRATION_VERSION >> 8) ||
        (Registration->Version & 0xFF) > (FLT_REGISTRATION_VERSION_0203 & 0xFF))
        return STATUS_INVALID_PARAMETER;
    if (Registration->Size != sizeof(FLT_REGISTRATION) &&
        Registration->Size != FltpRegistrationSizeForVersion(Registration->Version))
        return STATUS_INVALID_PARAMETER;
    if (Registration->Flags & ~(ULONG)(FLTFL_REGISTRATION_DO_NOT_SUPPORT_SERVICE_STOP |
                                       FLTFL_REGISTRATION_SUPPORT_NPFS_MSFS |
                                       FLTFL_REGISTRATION_SUPPORT_DAX_VOLUME | FLTFL_REGISTRATION_SUPPORT_WCOS))
        return STATUS_INVALID_PARAMETER;

    PFLT_FILTER F = calloc(1, sizeof(*F));
    if (F == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    memcpy(&F->Registration, Registration, Registration->Size);
    F->Magic = FLTP_FILTER_MAGIC;
    F->DriverObject = Driver;
    FltpInitList(&F->Instances);
    FltpInitList(&F->Links);
    /* A name provider must supply GenerateFileName and a normalizer together. */
    if ((F->Registration.NormalizeNameComponentCallback != NULL ||
         F->Registration.NormalizeNameComponentExCallback != NULL) &&
        F->Registration.GenerateFileNameCallback == NULL) {
        free(F);
        return STATUS_INVALID_PARAMETER;
    }
    IOP_DRIVER_IMAGE *Image = IopFindImageByDriverObject(Driver);
    if (Image == NULL) {
        free(F);
        return STATUS_INVALID_PARAMETER;
    }
    if (FltpFilterFromDriver(Driver) != NULL) {
        free(F);
        return STATUS_OBJECT_NAME_COLLISION; /* a driver registers one filter */
    }
    F->ServiceName = Image->ServiceName;
    F->ImageName = Image->ImageName ? Image->ImageName : KiFormat("%s.sys", Image->ServiceName);
    F->ModuleName = Image->ModuleName ? Image->ModuleName : Image->ServiceName;

    Status = FltpCopyOperationTable(F, Registration->OperationRegistration);
    if (NT_SUCCESS(Status))
        Status = FltpCopyContextTable(F, Registration->ContextRegistration);
    if (NT_SUCCESS(Status))
        Status = FltpReadInstances(F);
    if (!NT_SUCCESS(Status)) {
        KiTrace("FltRegisterFilter(%s) failed 0x%08X", F->ServiceName, (unsigned)Status);
        free(F->ContextRegistrations);
        free(F->Configs);
        free(F);
        return Status;
    }
    MiRegisterRange(F, sizeof(*F), "FLT_FILTER");
    FltpInsertTail(&S->Filters, &F->Links);
    KiTrace("FltRegisterFilter(%s): %u instance definition(s)", F->ServiceName, F->ConfigCount);
    *RetFilter = F;
    return STATUS_SUCCESS;
}

NTSTATUS FLTAPI FltStartFiltering(PFLT_FILTER Filter)
{
    struct FLTP_STATE *S = FltpState();
    KiRequireIrql(PASSIVE_LEVEL, "FltStartFiltering");
    FltpCheckFilter(Filter, "FltStartFiltering");
    if (Filter->Unregistering || Filter->Unregistered)
        return STATUS_FLT_DELETING_OBJECT;
    if (Filter->Started)
        return STATUS_SUCCESS;
    Filter->Started = TRUE;
    KI_FRAME_SCOPE("FLTMGR", "FltStartFiltering", FLTP_FRAME_DEFAULT);
    for (PLIST_ENTRY E = S->Volumes.Flink; E != &S->Volumes; E = E->Flink) {
        PFLT_VOLUME V = CONTAINING_RECORD(E, struct _FLT_VOLUME, Links);
        if (!V->TearingDown)
            FltpAttachFilterToVolume(Filter, V, FLTFL_INSTANCE_SETUP_AUTOMATIC_ATTACHMENT);
        if (Filter->Unregistering || Filter->Unregistered)
            break;
    }
    return STATUS_SUCCESS;
}

/* ------------------------------------------------------------------------ */
/* FltUnregisterFilter and the rundown wait                                 */
/* ------------------------------------------------------------------------ */

static const char *FltpContextKind(FLT_CONTEXT_TYPE Type)
{
    switch (Type) {
    case FLT_VOLUME_CONTEXT: return "VolumeContext";
    case FLT_INSTANCE_CONTEXT: return "InstanceContext";
    case FLT_FILE_CONTEXT: return "FileContext";
    case FLT_STREAM_CONTEXT: return "StreamContext";
    case FLT_STREAMHANDLE_CONTEXT: return "StreamHandleContext";
    case FLT_TRANSACTION_CONTEXT: return "TransactionContext";
    case FLT_SECTION_CONTEXT: return "SectionContext";
    default: return "Context";
    }
}

static const char *FltpContextDescription(FLT_CONTEXT_TYPE Type)
{
    switch (Type) {
    case FLT_VOLUME_CONTEXT: return "a volume context";
    case FLT_INSTANCE_CONTEXT: return "an instance context";
    case FLT_FILE_CONTEXT: return "a file context";
    case FLT_STREAM_CONTEXT: return "a stream context";
    case FLT_STREAMHANDLE_CONTEXT: return "a stream-handle context";
    case FLT_TRANSACTION_CONTEXT: return "a transaction context";
    case FLT_SECTION_CONTEXT: return "a section context";
    default: return "a context";
    }
}

typedef struct FLTP_LEAK_SUMMARY {
    BOOLEAN Record;             /* add to the report (second pass) */
    ULONG Objects;
    ULONG References;
    const char *First;          /* description of the first leak */
    const char *FirstFile;
    ULONG FirstLine;
} FLTP_LEAK_SUMMARY;

static void FltpAddLeak(FLTP_LEAK_SUMMARY *Sum, PFLT_FILTER F, const char *Kind, const void *Object, ULONG Tag,
                        SIZE_T Size, ULONG References, const char *File, ULONG Line, const char *What)
{
    FSIM_REPORT_LEAK L;
    memset(&L, 0, sizeof(L));
    L.Kind = Kind;
    L.Address = MiSyntheticAddress(Object);
    L.Tag = Tag;
    L.Size = Size;
    L.References = References;
    L.Driver = F->ImageName;
    L.File = File ? File : "?";
    L.Line = Line;
    if (Sum->Record)
        KiReportAddLeak(&L);
    if (Sum->Objects == 0) {
        Sum->First = KiFormat("%s %016llx", What, (unsigned long long)L.Address);
        Sum->FirstFile = L.File;
        Sum->FirstLine = Line;
    }
    Sum->Objects++;
    Sum->References += References;
}

typedef struct FLTP_PORT_LEAKS {
    FLTP_LEAK_SUMMARY *Sum;
    PFLT_FILTER Filter;
} FLTP_PORT_LEAKS;

static void FltpAddPortLeak(void *Context, const char *Kind, const void *Object, const char *File, ULONG Line,
                            const char *What)
{
    FLTP_PORT_LEAKS *L = Context;
    FltpAddLeak(L->Sum, L->Filter, Kind, Object, 0, 0, 1, File, Line, What);
}

/* Collects the references FltUnregisterFilter would wait for. */
static void FltpCollectRundown(PFLT_FILTER F, FLTP_LEAK_SUMMARY *Out)
{
    struct FLTP_STATE *S = FltpState();
    FLTP_LEAK_SUMMARY Sum = *Out;
    for (PLIST_ENTRY E = S->Contexts.Flink; E != &S->Contexts; E = E->Flink) {
        FLTP_CONTEXT *C = CONTAINING_RECORD(E, FLTP_CONTEXT, AllLinks);
        if (C->Freed || C->Filter != F || C->References <= 0)
            continue;
        FltpAddLeak(&Sum, F, FltpContextKind(C->Type), C + 1, C->Tag, C->Size, (ULONG)C->References, C->File, C->Line,
                    FltpContextDescription(C->Type));
    }
    for (PLIST_ENTRY E = S->Names.Flink; E != &S->Names; E = E->Flink) {
        FLTP_NAME *N = CONTAINING_RECORD(E, FLTP_NAME, Links);
        if (N->Filter != F || N->References <= 0)
            continue;
        FltpAddLeak(&Sum, F, "FileNameInformation", &N->Info, FLTP_TAG_NAME, N->Info.Size, (ULONG)N->References,
                    N->File, N->Line, "FLT_FILE_NAME_INFORMATION");
    }
    for (PLIST_ENTRY E = S->CallbackData.Flink; E != &S->CallbackData; E = E->Flink) {
        FLTP_CBD *C = CONTAINING_RECORD(E, FLTP_CBD, Links);
        if (C->Filter != F || C->Freed)
            continue;
        FltpAddLeak(&Sum, F, "CallbackData", &C->Data, FLTP_TAG_CBD, sizeof(FLTP_CBD), 1, C->File, C->Line,
                    "FLT_CALLBACK_DATA");
    }
    for (PLIST_ENTRY E = S->Active.Flink; E != &S->Active; E = E->Flink) {
        FLTP_CBD *C = CONTAINING_RECORD(E, FLTP_CBD, ActiveLinks);
        if (C->FilterAllocated)
            continue;
        if ((C->Phase == FltpPhasePendedPre || C->Phase == FltpPhasePendedPost) && C->Current < C->CallCount &&
            C->Calls[C->Current].Instance->Filter == F)
            FltpAddLeak(&Sum, F, "PendedOperation", &C->Data, 0, sizeof(FLT_CALLBACK_DATA), 1, NULL, 0,
                        KiFormat("%s pended and never completed, callback data", FltpMajorName(C->Iopb.MajorFunction)));
    }
    FLTP_PORT_LEAKS PortLeaks = {&Sum, F};
    ULONG PortReferences = FltpForEachOpenPort(F, FltpAddPortLeak, &PortLeaks);
    if (F->References > (LONG)PortReferences)
        FltpAddLeak(&Sum, F, "FilterReference", F, 0, sizeof(*F), (ULONG)(F->References - (LONG)PortReferences),
                    F->ReferenceFile, F->ReferenceLine,
                    "FLT_FILTER reference (FltObjectReference/FltGetFilterFromInstance), filter");
    for (PLIST_ENTRY E = F->Instances.Flink; E != &F->Instances; E = E->Flink) {
        PFLT_INSTANCE I = CONTAINING_RECORD(E, struct _FLT_INSTANCE, FilterLinks);
        if (I->References > 0)
            FltpAddLeak(&Sum, F, "InstanceReference", I, 0, sizeof(*I), (ULONG)I->References, I->ReferenceFile,
                        I->ReferenceLine, "FLT_INSTANCE reference (FltObjectReference/FltGet*Instance), instance");
    }
    *Out = Sum;
}

/* If references remain, Windows waits forever: the machine hangs. */
static void FltpRundownWait(PFLT_FILTER F)
{
    FLTP_LEAK_SUMMARY Sum;
    memset(&Sum, 0, sizeof(Sum));
    FltpCollectRundown(F, &Sum);
    if (Sum.Objects == 0)
        return;
    KiReportReset();
    memset(&Sum, 0, sizeof(Sum));
    Sum.Record = TRUE;
    FltpCollectRundown(F, &Sum);
    KI_FRAME_SCOPE("FLTMGR", "FltpWaitForRundownProtectionReleaseInternal", FLTP_FRAME_RUNDOWN_WAIT);
    KiPushFrame("nt", "ExWaitForRundownProtectionRelease", FLTP_FRAME_DEFAULT); /* never returns */
    const char *Refs = Sum.References == 1 ? "1 reference" : KiFormat("%u references", Sum.References);
    const char *Others = Sum.Objects == 1 ? "" : KiFormat(" (and %u more leaked object%s)", Sum.Objects - 1,
                                                          Sum.Objects - 1 == 1 ? "" : "s");
    /* Name the call that would have released it. */
    const char *Release = "";
    if (strncmp(Sum.First, "FLT_CALLBACK_DATA", 17) == 0)
        Release = " (FltFreeCallbackData is never called)";
    else if (strstr(Sum.First, "context") != NULL || strstr(Sum.First, "Context") != NULL)
        Release = " (FltReleaseContext is missing)";
    else if (strstr(Sum.First, "name") != NULL || strstr(Sum.First, "Name") != NULL)
        Release = " (FltReleaseFileNameInformation is missing)";
    KiReportSetRootCause(KiFormat("FltUnregisterFilter waits for %s: %s allocated at %s:%u is never released%s%s",
                                  Refs, Sum.First, Sum.FirstFile, Sum.FirstLine, Release, Others));
    KiReportSetGuilty(F->ImageName, KiFormat("%s:%u", Sum.FirstFile, Sum.FirstLine));
    KiHang(KiFormat("FltUnregisterFilter of %s never returns: the filter's rundown waits for %s that %s never "
                    "releases",
                    F->ImageName, Refs, F->ImageName));
}

VOID FLTAPI FltUnregisterFilter(PFLT_FILTER Filter)
{
    KiRequireIrql(APC_LEVEL, "FltUnregisterFilter");
    FltpCheckFilter(Filter, "FltUnregisterFilter");
    if (Filter->Unregistered || Filter->Unregistering)
        return;
    KI_FRAME_SCOPE("FLTMGR", "FltUnregisterFilter", FLTP_FRAME_UNREGISTER);
    KiTrace("FltUnregisterFilter(%s)", Filter->ServiceName);
    Filter->Unregistering = TRUE;
    /* Tear down every instance, in attach order. */
    for (;;) {
        PFLT_INSTANCE Next = NULL;
        for (PLIST_ENTRY E = Filter->Instances.Flink; E != &Filter->Instances; E = E->Flink) {
            PFLT_INSTANCE I = CONTAINING_RECORD(E, struct _FLT_INSTANCE, FilterLinks);
            if (!I->Detached && !I->TearingDown) {
                Next = I;
                break;
            }
        }
        if (Next == NULL)
            break;
        FltpTeardownInstance(Next, FLTFL_INSTANCE_TEARDOWN_FILTER_UNLOAD);
    }
    /* Contexts still attached anywhere for this filter (volume contexts). */
    FltpDeleteContextsOf(NULL, NULL, Filter);
    /* Client ports still connected: DisconnectNotify, as on Windows. */
    FltpDisconnectClientPorts(Filter);
    FltpRundownWait(Filter);
    Filter->Unregistered = TRUE;
    memset(Filter->Ops, 0, sizeof(Filter->Ops));
}

/* ------------------------------------------------------------------------ */
/* Host-side: fltmc unload                                                  */
/* ------------------------------------------------------------------------ */

BOOLEAN FltpDriverHasFilter(PDRIVER_OBJECT DriverObject)
{
    return FltpFilterFromDriver(DriverObject) != NULL;
}

NTSTATUS FltpUnloadFilter(PDRIVER_OBJECT DriverObject)
{
    PFLT_FILTER F = FltpFilterFromDriver(DriverObject);
    NTSTATUS Status;
    if (F == NULL)
        return STATUS_FLT_FILTER_NOT_FOUND;
    /* Without a FilterUnloadCallback a minifilter can never be unloaded. */
    if (F->Registration.FilterUnloadCallback == NULL)
        return STATUS_FLT_DO_NOT_DETACH;
    {
        KI_FRAME_SCOPE("FLTMGR", "FltUnloadFilter", FLTP_FRAME_DEFAULT);
        KI_DRIVER_FRAME_SCOPE(F->Registration.FilterUnloadCallback);
        Status = F->Registration.FilterUnloadCallback(0);
    }
    if (!NT_SUCCESS(Status) || NT_WARNING(Status)) {
        KiTrace("FilterUnload of %s refused the unload: 0x%08X", F->ServiceName, (unsigned)Status);
        return NT_SUCCESS(Status) ? STATUS_FLT_DO_NOT_DETACH : Status;
    }
    if (!F->Unregistered)
        KiTrace("FilterUnload of %s returned success without calling FltUnregisterFilter", F->ServiceName);
    return STATUS_SUCCESS;
}

NTSTATUS FLTAPI FltLoadFilter(PCUNICODE_STRING FilterName)
{
    KiRequireIrql(PASSIVE_LEVEL, "FltLoadFilter");
    if (FilterName == NULL)
        return STATUS_INVALID_PARAMETER;
    return IopLoadDriver(KiUnicodeToUtf8(FilterName));
}

NTSTATUS FLTAPI FltUnloadFilter(PCUNICODE_STRING FilterName)
{
    KiRequireIrql(PASSIVE_LEVEL, "FltUnloadFilter");
    if (FilterName == NULL)
        return STATUS_INVALID_PARAMETER;
    return IopUnloadDriver(KiUnicodeToUtf8(FilterName));
}

/* ------------------------------------------------------------------------ */
/* Filter objects                                                           */
/* ------------------------------------------------------------------------ */

NTSTATUS FLTAPI FltObjectReference(PVOID FltObject)
{
    KiRequireIrql(DISPATCH_LEVEL, "FltObjectReference");
    if (FltpIsFilter(FltObject)) {
        PFLT_FILTER F = FltObject;
        if (F->Unregistering || F->Unregistered)
            return STATUS_FLT_DELETING_OBJECT;
        F->References++;
        F->ReferenceFile = FltpCallFile();
        F->ReferenceLine = FltpCallLine();
        return STATUS_SUCCESS;
    }
    if (FltpIsInstance(FltObject)) {
        PFLT_INSTANCE I = FltObject;
        if (I->TearingDown || I->Detached)
            return STATUS_FLT_DELETING_OBJECT;
        I->References++;
        I->ReferenceFile = FltpCallFile();
        I->ReferenceLine = FltpCallLine();
        return STATUS_SUCCESS;
    }
    if (FltpIsVolume(FltObject)) {
        PFLT_VOLUME V = FltObject;
        if (V->TearingDown)
            return STATUS_FLT_DELETING_OBJECT;
        V->References++;
        return STATUS_SUCCESS;
    }
    FltpBadObject("FltObjectReference", "FltMgr object", FltObject);
}

VOID FLTAPI FltObjectDereference(PVOID FltObject)
{
    KiRequireIrql(DISPATCH_LEVEL, "FltObjectDereference");
    LONG *Count = NULL;
    if (FltpIsFilter(FltObject))
        Count = &((PFLT_FILTER)FltObject)->References;
    else if (FltpIsInstance(FltObject))
        Count = &((PFLT_INSTANCE)FltObject)->References;
    else if (FltpIsVolume(FltObject))
        Count = &((PFLT_VOLUME)FltObject)->References;
    else
        FltpBadObject("FltObjectDereference", "FltMgr object", FltObject);
    if (*Count <= 0) {
        KiReportSetRootCause(KiFormat("FltObjectDereference on %016llx without a matching reference",
                                      (unsigned long long)MiSyntheticAddress(FltObject)));
        KeBugCheckEx(0xF5 /* FLTMGR_FILE_SYSTEM */, 0x6E, (ULONG_PTR)MiSyntheticAddress(FltObject), 0, 0);
    }
    (*Count)--;
}

NTSTATUS FLTAPI FltEnumerateFilters(PFLT_FILTER *FilterList, ULONG FilterListSize, PULONG NumberFiltersReturned)
{
    struct FLTP_STATE *S = FltpState();
    ULONG N = 0, Stored = 0;
    KiRequireIrql(APC_LEVEL, "FltEnumerateFilters");
    if (NumberFiltersReturned == NULL)
        return STATUS_INVALID_PARAMETER;
    for (PLIST_ENTRY E = S->Filters.Flink; E != &S->Filters; E = E->Flink) {
        PFLT_FILTER F = CONTAINING_RECORD(E, struct _FLT_FILTER, Links);
        if (F->Unregistered)
            continue;
        if (FilterList != NULL && Stored < FilterListSize) {
            F->References++;
            FilterList[Stored++] = F;
        }
        N++;
    }
    *NumberFiltersReturned = N;
    return Stored < N ? STATUS_BUFFER_TOO_SMALL : STATUS_SUCCESS;
}

NTSTATUS FLTAPI FltGetFilterFromName(PCUNICODE_STRING FilterName, PFLT_FILTER *RetFilter)
{
    struct FLTP_STATE *S = FltpState();
    KiRequireIrql(APC_LEVEL, "FltGetFilterFromName");
    if (FilterName == NULL || RetFilter == NULL)
        return STATUS_INVALID_PARAMETER;
    for (PLIST_ENTRY E = S->Filters.Flink; E != &S->Filters; E = E->Flink) {
        PFLT_FILTER F = CONTAINING_RECORD(E, struct _FLT_FILTER, Links);
        if (!F->Unregistered && FltpEqualUnicodeUtf8(FilterName, F->ServiceName, TRUE)) {
            F->References++;
            F->ReferenceFile = FltpCallFile();
            F->ReferenceLine = FltpCallLine();
            *RetFilter = F;
            return STATUS_SUCCESS;
        }
    }
    return STATUS_FLT_FILTER_NOT_FOUND;
}

static ULONG FltpFrameId(void)
{
    return 0; /* one frame per volume, all frame 0 */
}

NTSTATUS FLTAPI FltGetFilterInformation(PFLT_FILTER Filter, FILTER_INFORMATION_CLASS InformationClass, PVOID Buffer,
                                        ULONG BufferSize, PULONG BytesReturned)
{
    UNICODE_STRING Name;
    ULONG Needed, Instances = 0;
    KiRequireIrql(APC_LEVEL, "FltGetFilterInformation");
    FltpCheckFilter(Filter, "FltGetFilterInformation");
    if (BytesReturned == NULL)
        return STATUS_INVALID_PARAMETER;
    for (PLIST_ENTRY E = Filter->Instances.Flink; E != &Filter->Instances; E = E->Flink)
        if (CONTAINING_RECORD(E, struct _FLT_INSTANCE, FilterLinks)->Attached)
            Instances++;
    KiUtf8ToUnicode(Filter->ServiceName, &Name);
    if (InformationClass == FilterFullInformation) {
        Needed = (ULONG)FIELD_OFFSET(FILTER_FULL_INFORMATION, FilterNameBuffer) + Name.Length;
        *BytesReturned = Needed;
        if (Buffer == NULL || BufferSize < Needed) {
            KiFreeUnicode(&Name);
            return STATUS_BUFFER_TOO_SMALL;
        }
        PFILTER_FULL_INFORMATION Info = Buffer;
        Info->NextEntryOffset = 0;
        Info->FrameID = FltpFrameId();
        Info->NumberOfInstances = Instances;
        Info->FilterNameLength = Name.Length;
        memcpy(Info->FilterNameBuffer, Name.Buffer, Name.Length);
    } else if (InformationClass == FilterAggregateBasicInformation) {
        UNICODE_STRING Altitude;
        KiUtf8ToUnicode(Filter->ConfigCount ? Filter->Configs[0].Altitude : "0", &Altitude);
        ULONG NameOffset = (ULONG)sizeof(FILTER_AGGREGATE_BASIC_INFORMATION);
        ULONG AltOffset = NameOffset + Name.Length;
        Needed = AltOffset + Altitude.Length;
        *BytesReturned = Needed;
        if (Buffer == NULL || BufferSize < Needed) {
            KiFreeUnicode(&Name);
            KiFreeUnicode(&Altitude);
            return STATUS_BUFFER_TOO_SMALL;
        }
        PFILTER_AGGREGATE_BASIC_INFORMATION Info = Buffer;
        memset(Info, 0, sizeof(*Info));
        Info->Flags = FLTFL_AGGREGATE_INFO_IS_MINIFILTER;
        Info->Type.MiniFilter.FrameID = FltpFrameId();
        Info->Type.MiniFilter.NumberOfInstances = Instances;
        Info->Type.MiniFilter.FilterNameLength = Name.Length;
        Info->Type.MiniFilter.FilterNameBufferOffset = (USHORT)NameOffset;
        Info->Type.MiniFilter.FilterAltitudeLength = Altitude.Length;
        Info->Type.MiniFilter.FilterAltitudeBufferOffset = (USHORT)AltOffset;
        memcpy((PUCHAR)Buffer + NameOffset, Name.Buffer, Name.Length);
        memcpy((PUCHAR)Buffer + AltOffset, Altitude.Buffer, Altitude.Length);
        KiFreeUnicode(&Altitude);
    } else {
        KiFreeUnicode(&Name);
        return STATUS_INVALID_PARAMETER;
    }
    KiFreeUnicode(&Name);
    return STATUS_SUCCESS;
}

/* FltMgr's own exports by name (like MmGetSystemRoutineAddress, "Flt" only). */
PVOID FLTAPI FltGetRoutineAddress(PCSTR FltMgrRoutineName)
{
    KiRequireIrql(PASSIVE_LEVEL, "FltGetRoutineAddress");
    if (FltMgrRoutineName == NULL || strncmp(FltMgrRoutineName, "Flt", 3) != 0 ||
        strncmp(FltMgrRoutineName, "Fltp", 4) == 0 || FltMgrRoutineName[3] < 'A' || FltMgrRoutineName[3] > 'Z')
        return NULL;
    return dlsym(RTLD_DEFAULT, FltMgrRoutineName);
}
