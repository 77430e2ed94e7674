/*
 * instance.c - fltsim FltMgr: volumes and frames (FltMgr's device attached
 * to each mounted volume's stack), instances (attached by altitude from the
 * Instances registry key, InstanceSetup, InstanceQueryTeardown and the
 * teardown callbacks, FltAttachVolume/FltDetachVolume) and the routines that
 * answer questions about volumes, instances and filters.
 */
#include "fltp.h"

/* Device extension of a frame device. */
typedef struct FLTP_FRAME_EXTENSION {
    PFLT_VOLUME Volume;
} FLTP_FRAME_EXTENSION;

/* ------------------------------------------------------------------------ */
/* Altitudes                                                                */
/* ------------------------------------------------------------------------ */

/* Numeric comparison of two altitude strings ("370030", "385100.5"). */
int FltpCompareAltitude(const char *A, const char *B)
{
    while (*A == '0' && A[1] != 0 && A[1] != '.')
        A++;
    while (*B == '0' && B[1] != 0 && B[1] != '.')
        B++;
    size_t IA = strcspn(A, "."), IB = strcspn(B, ".");
    if (IA != IB)
        return IA < IB ? -1 : 1;
    int C = strncmp(A, B, IA);
    if (C != 0)
        return C < 0 ? -1 : 1;
    const char *FA = A[IA] == '.' ? A + IA + 1 : "";
    const char *FB = B[IB] == '.' ? B + IB + 1 : "";
    while (*FA || *FB) {
        char X = *FA ? *FA++ : '0';
        char Y = *FB ? *FB++ : '0';
        if (X != Y)
            return X < Y ? -1 : 1;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Volumes                                                                  */
/* ------------------------------------------------------------------------ */

PFLT_VOLUME FltpVolumeFromDevice(PDEVICE_OBJECT Device)
{
    struct FLTP_STATE *S = FltpState();
    if (S == NULL || Device == NULL)
        return NULL;
    for (PLIST_ENTRY E = S->Volumes.Flink; E != &S->Volumes; E = E->Flink) {
        PFLT_VOLUME V = CONTAINING_RECORD(E, struct _FLT_VOLUME, Links);
        if (V->FrameDevice == Device)
            return V;
    }
    return NULL;
}

PFLT_VOLUME FltpVolumeFromFileObject(PFILE_OBJECT FileObject)
{
    struct FLTP_STATE *S = FltpState();
    IOP_VOLUME *IoV;
    if (S == NULL || FileObject == NULL)
        return NULL;
    IoV = IopFindVolumeByDevice(FileObject->DeviceObject);
    if (IoV == NULL && FileObject->Vpb != NULL)
        IoV = IopFindVolumeByDevice(FileObject->Vpb->DeviceObject);
    if (IoV == NULL)
        return NULL;
    for (PLIST_ENTRY E = S->Volumes.Flink; E != &S->Volumes; E = E->Flink) {
        PFLT_VOLUME V = CONTAINING_RECORD(E, struct _FLT_VOLUME, Links);
        if (V->IoVolume == IoV)
            return V;
    }
    return NULL;
}

void FltpOnMount(IOP_VOLUME *IoVolume)
{
    struct FLTP_STATE *S = FltpState();
    PDEVICE_OBJECT Frame;
    NTSTATUS Status;
    if (S == NULL || IoVolume == NULL || IoVolume->VolumeDevice == NULL)
        return;
    for (PLIST_ENTRY E = S->Volumes.Flink; E != &S->Volumes; E = E->Flink)
        if (CONTAINING_RECORD(E, struct _FLT_VOLUME, Links)->IoVolume == IoVolume)
            return;
    KI_FRAME_SCOPE("FLTMGR", "FltpFsNotification", FLTP_FRAME_DEFAULT);
    Status = IoCreateDevice(S->DriverObject, sizeof(FLTP_FRAME_EXTENSION), NULL, FILE_DEVICE_DISK_FILE_SYSTEM, 0,
                            FALSE, &Frame);
    if (!NT_SUCCESS(Status)) {
        KiTrace("FltMgr: cannot create a frame device for %s: 0x%08X", IoVolume->Drive, (unsigned)Status);
        return;
    }
    PFLT_VOLUME V = calloc(1, sizeof(*V));
    if (V == NULL)
        abort();
    V->Magic = FLTP_VOLUME_MAGIC;
    V->IoVolume = IoVolume;
    V->FrameDevice = Frame;
    /* The network namespace (MUP's device) has no storage device. */
    V->FileSystemType = IoVolume->StorageDevice == NULL ? FLT_FSTYPE_MUP : FLT_FSTYPE_NTFS;
    V->DeviceType = FILE_DEVICE_DISK_FILE_SYSTEM;
    FltpInitList(&V->Instances);
    KiUtf8ToUnicode(KiUnicodeToUtf8(&IoVolume->DeviceName), &V->Name);
    ((FLTP_FRAME_EXTENSION *)Frame->DeviceExtension)->Volume = V;
    V->LowerDevice = IoAttachDeviceToDeviceStack(Frame, IoVolume->VolumeDevice);
    Frame->Flags |= V->LowerDevice->Flags & (DO_BUFFERED_IO | DO_DIRECT_IO);
    Frame->Characteristics |= V->LowerDevice->Characteristics;
    Frame->Flags &= ~DO_DEVICE_INITIALIZING;
    MiRegisterRange(V, sizeof(*V), "FLT_VOLUME");
    FltpInsertTail(&S->Volumes, &V->Links);
    KiTrace("FltMgr: frame 0 attached to %s (%s)", KiUnicodeToUtf8(&V->Name), IoVolume->Drive);
    for (PLIST_ENTRY E = S->Filters.Flink; E != &S->Filters; E = E->Flink) {
        PFLT_FILTER F = CONTAINING_RECORD(E, struct _FLT_FILTER, Links);
        if (F->Started && !F->Unregistering && !F->Unregistered)
            FltpAttachFilterToVolume(F, V, FLTFL_INSTANCE_SETUP_NEWLY_MOUNTED_VOLUME);
    }
}

void FltpFreeVolumes(void)
{
    struct FLTP_STATE *S = FltpState();
    while (!FltpListEmpty(&S->Volumes)) {
        PLIST_ENTRY E = S->Volumes.Flink;
        PFLT_VOLUME V = CONTAINING_RECORD(E, struct _FLT_VOLUME, Links);
        FltpRemove(E);
        KiFreeUnicode(&V->Name);
        MiUnregisterRange(V);
        free(V);
    }
}

/* ------------------------------------------------------------------------ */
/* Instances                                                                */
/* ------------------------------------------------------------------------ */

void FltpRelatedObjects(PFLT_RELATED_OBJECTS Objects, PFLT_INSTANCE Instance, PFILE_OBJECT FileObject)
{
    memset(Objects, 0, sizeof(*Objects));
    Objects->Size = (USHORT)sizeof(FLT_RELATED_OBJECTS);
    Objects->TransactionContext = 0;
    Objects->Filter = Instance ? Instance->Filter : NULL;
    Objects->Volume = Instance ? Instance->Volume : NULL;
    Objects->Instance = Instance;
    Objects->FileObject = FileObject;
    Objects->Transaction = NULL;
}

/* Link I into its volume's list, highest altitude first. */
static void FltpLinkByAltitude(PFLT_VOLUME V, PFLT_INSTANCE I)
{
    PLIST_ENTRY E;
    for (E = V->Instances.Flink; E != &V->Instances; E = E->Flink) {
        PFLT_INSTANCE Other = CONTAINING_RECORD(E, struct _FLT_INSTANCE, VolumeLinks);
        if (FltpCompareAltitude(Other->Altitude, I->Altitude) < 0)
            break;
    }
    FltpInsertBefore(E, &I->VolumeLinks);
}

NTSTATUS FltpCreateInstance(PFLT_FILTER Filter, PFLT_VOLUME Volume, const char *Name, const char *Altitude,
                            ULONG ConfigFlags, FLT_INSTANCE_SETUP_FLAGS SetupFlags, PFLT_INSTANCE *Out)
{
    struct FLTP_STATE *S = FltpState();
    NTSTATUS Status = STATUS_SUCCESS;
    if (Out != NULL)
        *Out = NULL;
    if (Filter->Unregistering || Filter->Unregistered || Volume->TearingDown)
        return STATUS_FLT_DELETING_OBJECT;
    for (PLIST_ENTRY E = Volume->Instances.Flink; E != &Volume->Instances; E = E->Flink) {
        PFLT_INSTANCE Other = CONTAINING_RECORD(E, struct _FLT_INSTANCE, VolumeLinks);
        if (Other->Filter == Filter && strcasecmp(Other->Name, Name) == 0)
            return STATUS_FLT_INSTANCE_NAME_COLLISION;
        if (FltpCompareAltitude(Other->Altitude, Altitude) == 0) {
            KiTrace("FltMgr: %s instance \"%s\" not attached to %s: altitude %s is taken by %s", Filter->ServiceName,
                    Name, KiUnicodeToUtf8(&Volume->Name), Altitude, Other->Filter->ServiceName);
            return STATUS_FLT_INSTANCE_ALTITUDE_COLLISION;
        }
    }
    PFLT_INSTANCE I = calloc(1, sizeof(*I));
    if (I == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    I->Magic = FLTP_INSTANCE_MAGIC;
    I->Filter = Filter;
    I->Volume = Volume;
    I->Name = KiSaveString(Name);
    I->Altitude = KiSaveString(Altitude);
    I->Flags = ConfigFlags;
    MiRegisterRange(I, sizeof(*I), "FLT_INSTANCE");
    FltpInsertTail(&S->Instances, &I->AllLinks);
    FltpInsertTail(&Filter->Instances, &I->FilterLinks);
    FltpLinkByAltitude(Volume, I);
    if (Filter->Registration.InstanceSetupCallback != NULL) {
        FLT_RELATED_OBJECTS Objects;
        FltpRelatedObjects(&Objects, I, NULL);
        KI_FRAME_SCOPE("FLTMGR", "FltpDoInstanceSetupNotification", FLTP_FRAME_DEFAULT);
        KI_DRIVER_FRAME_SCOPE(Filter->Registration.InstanceSetupCallback);
        Status = Filter->Registration.InstanceSetupCallback(&Objects, SetupFlags, Volume->DeviceType,
                                                            Volume->FileSystemType);
    }
    if (!NT_SUCCESS(Status)) {
        /* Not attached: no teardown callbacks, contexts it set go away. */
        KiTrace("FltMgr: %s instance \"%s\" declined %s (0x%08X)", Filter->ServiceName, Name,
                KiUnicodeToUtf8(&Volume->Name), (unsigned)Status);
        FltpRemove(&I->VolumeLinks);
        I->Detached = TRUE;
        FltpDeleteContextsOf(I, NULL, NULL);
        return Status;
    }
    I->Attached = TRUE;
    KiTrace("FltMgr: %s instance \"%s\" attached to %s at altitude %s", Filter->ServiceName, Name,
            KiUnicodeToUtf8(&Volume->Name), Altitude);
    if (Out != NULL)
        *Out = I;
    return STATUS_SUCCESS;
}

void FltpAttachFilterToVolume(PFLT_FILTER Filter, PFLT_VOLUME Volume, FLT_INSTANCE_SETUP_FLAGS Flags)
{
    for (ULONG I = 0; I < Filter->ConfigCount; I++) {
        FLTP_INSTANCE_CONFIG *C = &Filter->Configs[I];
        if (C->Flags & 0x1) /* automatic attachments suppressed */
            continue;
        (void)FltpCreateInstance(Filter, Volume, C->Name, C->Altitude, C->Flags, Flags, NULL);
        if (Filter->Unregistering || Filter->Unregistered)
            break;
    }
}

void FltpTeardownInstance(PFLT_INSTANCE Instance, FLT_INSTANCE_TEARDOWN_FLAGS Reason)
{
    PFLT_FILTER F = Instance->Filter;
    FLT_RELATED_OBJECTS Objects;
    if (Instance->TearingDown || Instance->Detached)
        return;
    Instance->TearingDown = TRUE;
    FltpRelatedObjects(&Objects, Instance, NULL);
    KI_FRAME_SCOPE("FLTMGR", "FltpDetachInstance", FLTP_FRAME_DEFAULT);
    if (F->Registration.InstanceTeardownStartCallback != NULL) {
        KI_DRIVER_FRAME_SCOPE(F->Registration.InstanceTeardownStartCallback);
        F->Registration.InstanceTeardownStartCallback(&Objects, Reason);
    }
    /* Operations in flight owe this instance a post callback: drain them. */
    FltpDrainInstance(Instance);
    if (F->Registration.InstanceTeardownCompleteCallback != NULL) {
        KI_DRIVER_FRAME_SCOPE(F->Registration.InstanceTeardownCompleteCallback);
        F->Registration.InstanceTeardownCompleteCallback(&Objects, Reason);
    }
    if (Instance->Attached)
        FltpRemove(&Instance->VolumeLinks);
    Instance->Attached = FALSE;
    Instance->Detached = TRUE;
    FltpDeleteContextsOf(Instance, NULL, NULL);
    KiTrace("FltMgr: %s instance \"%s\" detached from %s", F->ServiceName, Instance->Name,
            KiUnicodeToUtf8(&Instance->Volume->Name));
}

static PFLT_INSTANCE FltpFindInstance(PFLT_FILTER Filter, PFLT_VOLUME Volume, const char *Name)
{
    for (PLIST_ENTRY E = Volume->Instances.Flink; E != &Volume->Instances; E = E->Flink) {
        PFLT_INSTANCE I = CONTAINING_RECORD(E, struct _FLT_INSTANCE, VolumeLinks);
        if (I->Filter == Filter && I->Attached && !I->TearingDown && (Name == NULL || strcasecmp(I->Name, Name) == 0))
            return I;
    }
    return NULL;
}

/* Manual detach: InstanceQueryTeardown decides (none registered: refused). */
static NTSTATUS FltpManualDetach(PFLT_INSTANCE I)
{
    PFLT_FILTER F = I->Filter;
    NTSTATUS Status;
    FLT_RELATED_OBJECTS Objects;
    if (F->Registration.InstanceQueryTeardownCallback == NULL)
        return STATUS_FLT_DO_NOT_DETACH;
    FltpRelatedObjects(&Objects, I, NULL);
    {
        KI_FRAME_SCOPE("FLTMGR", "FltpDoInstanceQueryTeardown", FLTP_FRAME_DEFAULT);
        KI_DRIVER_FRAME_SCOPE(F->Registration.InstanceQueryTeardownCallback);
        Status = F->Registration.InstanceQueryTeardownCallback(&Objects, 0);
    }
    if (!NT_SUCCESS(Status) || NT_WARNING(Status))
        return NT_SUCCESS(Status) ? STATUS_FLT_DO_NOT_DETACH : Status;
    FltpTeardownInstance(I, FLTFL_INSTANCE_TEARDOWN_MANUAL);
    return STATUS_SUCCESS;
}

NTSTATUS FltpDetachFilter(PDRIVER_OBJECT DriverObject, const char *Drive, const char *InstanceName)
{
    struct FLTP_STATE *S = FltpState();
    PFLT_FILTER F = FltpFilterFromDriver(DriverObject);
    if (F == NULL)
        return STATUS_FLT_FILTER_NOT_FOUND;
    for (PLIST_ENTRY E = S->Volumes.Flink; E != &S->Volumes; E = E->Flink) {
        PFLT_VOLUME V = CONTAINING_RECORD(E, struct _FLT_VOLUME, Links);
        if (strcasecmp(V->IoVolume->Drive, Drive) != 0)
            continue;
        PFLT_INSTANCE I = FltpFindInstance(F, V, InstanceName);
        if (I == NULL)
            return STATUS_FLT_INSTANCE_NOT_FOUND;
        return FltpManualDetach(I);
    }
    return STATUS_FLT_VOLUME_NOT_FOUND;
}

/* ------------------------------------------------------------------------ */
/* Attach / detach DDIs                                                     */
/* ------------------------------------------------------------------------ */

NTSTATUS FLTAPI FltAttachVolume(PFLT_FILTER Filter, PFLT_VOLUME Volume, PCUNICODE_STRING InstanceName,
                                PFLT_INSTANCE *RetInstance)
{
    KiRequireIrql(PASSIVE_LEVEL, "FltAttachVolume");
    FltpCheckFilter(Filter, "FltAttachVolume");
    FltpCheckVolume(Volume, "FltAttachVolume");
    if (RetInstance != NULL)
        *RetInstance = NULL;
    if (Filter->Unregistering || Filter->Unregistered || Volume->TearingDown)
        return STATUS_FLT_DELETING_OBJECT;
    if (!Filter->Started)
        return STATUS_FLT_FILTER_NOT_READY;
    const char *Name = InstanceName ? KiUnicodeToUtf8(InstanceName) : Filter->DefaultInstance;
    FLTP_INSTANCE_CONFIG *Config = NULL;
    for (ULONG I = 0; I < Filter->ConfigCount; I++)
        if (Name == NULL || strcasecmp(Filter->Configs[I].Name, Name) == 0) {
            Config = &Filter->Configs[I];
            break;
        }
    if (Config == NULL)
        return STATUS_OBJECT_NAME_NOT_FOUND;
    if (Config->Flags & 0x2) /* manual attachments suppressed */
        return STATUS_FLT_DO_NOT_ATTACH;
    PFLT_INSTANCE Instance;
    NTSTATUS Status = FltpCreateInstance(Filter, Volume, Config->Name, Config->Altitude, Config->Flags,
                                         FLTFL_INSTANCE_SETUP_MANUAL_ATTACHMENT, &Instance);
    if (NT_SUCCESS(Status) && RetInstance != NULL) {
        Instance->References++;
        Instance->ReferenceFile = FltpCallFile();
        Instance->ReferenceLine = FltpCallLine();
        *RetInstance = Instance;
    }
    return Status;
}

NTSTATUS FLTAPI FltAttachVolumeAtAltitude(PFLT_FILTER Filter, PFLT_VOLUME Volume, PCUNICODE_STRING Altitude,
                                          PCUNICODE_STRING InstanceName, PFLT_INSTANCE *RetInstance)
{
    KiRequireIrql(PASSIVE_LEVEL, "FltAttachVolumeAtAltitude");
    FltpCheckFilter(Filter, "FltAttachVolumeAtAltitude");
    FltpCheckVolume(Volume, "FltAttachVolumeAtAltitude");
    if (RetInstance != NULL)
        *RetInstance = NULL;
    if (Altitude == NULL)
        return STATUS_INVALID_PARAMETER;
    if (Filter->Unregistering || Filter->Unregistered || Volume->TearingDown)
        return STATUS_FLT_DELETING_OBJECT;
    if (!Filter->Started)
        return STATUS_FLT_FILTER_NOT_READY;
    const char *Alt = KiUnicodeToUtf8(Altitude);
    int Dots = 0, Digits = 0;
    for (const char *P = Alt; *P; P++) {
        if (*P == '.')
            Dots++;
        else if (*P >= '0' && *P <= '9')
            Digits++;
        else
            return STATUS_INVALID_PARAMETER;
    }
    if (Digits == 0 || Dots > 1)
        return STATUS_INVALID_PARAMETER;
    const char *Name = InstanceName ? KiUnicodeToUtf8(InstanceName) : KiFormat("%s %s", Filter->ServiceName, Alt);
    PFLT_INSTANCE Instance;
    NTSTATUS Status = FltpCreateInstance(Filter, Volume, Name, Alt, 0, FLTFL_INSTANCE_SETUP_MANUAL_ATTACHMENT,
                                         &Instance);
    if (NT_SUCCESS(Status) && RetInstance != NULL) {
        Instance->References++;
        Instance->ReferenceFile = FltpCallFile();
        Instance->ReferenceLine = FltpCallLine();
        *RetInstance = Instance;
    }
    return Status;
}

NTSTATUS FLTAPI FltDetachVolume(PFLT_FILTER Filter, PFLT_VOLUME Volume, PCUNICODE_STRING InstanceName)
{
    KiRequireIrql(PASSIVE_LEVEL, "FltDetachVolume");
    FltpCheckFilter(Filter, "FltDetachVolume");
    FltpCheckVolume(Volume, "FltDetachVolume");
    PFLT_INSTANCE I = FltpFindInstance(Filter, Volume, InstanceName ? KiUnicodeToUtf8(InstanceName) : NULL);
    if (I == NULL)
        return STATUS_FLT_INSTANCE_NOT_FOUND;
    return FltpManualDetach(I);
}

/* ------------------------------------------------------------------------ */
/* Lookups                                                                  */
/* ------------------------------------------------------------------------ */

static void FltpReferenceVolume(PFLT_VOLUME V)
{
    V->References++;
}

static void FltpReferenceInstance(PFLT_INSTANCE I)
{
    I->References++;
    I->ReferenceFile = FltpCallFile();
    I->ReferenceLine = FltpCallLine();
}

NTSTATUS FLTAPI FltGetVolumeFromInstance(PFLT_INSTANCE Instance, PFLT_VOLUME *RetVolume)
{
    KiRequireIrql(DISPATCH_LEVEL, "FltGetVolumeFromInstance");
    FltpCheckInstance(Instance, "FltGetVolumeFromInstance");
    if (RetVolume == NULL)
        return STATUS_INVALID_PARAMETER;
    if (Instance->Volume->TearingDown)
        return STATUS_FLT_DELETING_OBJECT;
    FltpReferenceVolume(Instance->Volume);
    *RetVolume = Instance->Volume;
    return STATUS_SUCCESS;
}

NTSTATUS FLTAPI FltGetFilterFromInstance(PFLT_INSTANCE Instance, PFLT_FILTER *RetFilter)
{
    KiRequireIrql(DISPATCH_LEVEL, "FltGetFilterFromInstance");
    FltpCheckInstance(Instance, "FltGetFilterFromInstance");
    if (RetFilter == NULL)
        return STATUS_INVALID_PARAMETER;
    if (Instance->Filter->Unregistered)
        return STATUS_FLT_DELETING_OBJECT;
    Instance->Filter->References++;
    Instance->Filter->ReferenceFile = FltpCallFile();
    Instance->Filter->ReferenceLine = FltpCallLine();
    *RetFilter = Instance->Filter;
    return STATUS_SUCCESS;
}

/* "\Device\HarddiskVolume1", "C:", "C:\" or "\??\C:" */
static PFLT_VOLUME FltpVolumeFromName(PCUNICODE_STRING Name)
{
    struct FLTP_STATE *S = FltpState();
    const char *N = KiUnicodeToUtf8(Name);
    char Buf[512];
    snprintf(Buf, sizeof(Buf), "%s", N);
    size_t L = strlen(Buf);
    if (L > 1 && Buf[L - 1] == '\\')
        Buf[--L] = 0;
    const char *P = Buf;
    if (strncmp(P, "\\??\\", 4) == 0)
        P += 4;
    for (PLIST_ENTRY E = S->Volumes.Flink; E != &S->Volumes; E = E->Flink) {
        PFLT_VOLUME V = CONTAINING_RECORD(E, struct _FLT_VOLUME, Links);
        if (FltpEqualUnicodeUtf8(&V->Name, Buf, TRUE) || strcasecmp(V->IoVolume->Drive, P) == 0)
            return V;
    }
    return NULL;
}

NTSTATUS FLTAPI FltGetVolumeFromName(PFLT_FILTER Filter, PCUNICODE_STRING VolumeName, PFLT_VOLUME *RetVolume)
{
    KiRequireIrql(PASSIVE_LEVEL, "FltGetVolumeFromName");
    FltpCheckFilter(Filter, "FltGetVolumeFromName");
    if (VolumeName == NULL || RetVolume == NULL)
        return STATUS_INVALID_PARAMETER;
    PFLT_VOLUME V = FltpVolumeFromName(VolumeName);
    if (V == NULL)
        return STATUS_FLT_VOLUME_NOT_FOUND;
    if (V->TearingDown)
        return STATUS_FLT_DELETING_OBJECT;
    FltpReferenceVolume(V);
    *RetVolume = V;
    return STATUS_SUCCESS;
}

NTSTATUS FLTAPI FltGetVolumeFromFileObject(PFLT_FILTER Filter, PFILE_OBJECT FileObject, PFLT_VOLUME *RetVolume)
{
    KiRequireIrql(APC_LEVEL, "FltGetVolumeFromFileObject");
    FltpCheckFilter(Filter, "FltGetVolumeFromFileObject");
    if (FileObject == NULL || RetVolume == NULL)
        return STATUS_INVALID_PARAMETER;
    PFLT_VOLUME V = FltpVolumeFromFileObject(FileObject);
    if (V == NULL)
        return STATUS_FLT_VOLUME_NOT_FOUND;
    FltpReferenceVolume(V);
    *RetVolume = V;
    return STATUS_SUCCESS;
}

NTSTATUS FLTAPI FltGetVolumeFromDeviceObject(PFLT_FILTER Filter, PDEVICE_OBJECT DeviceObject, PFLT_VOLUME *RetVolume)
{
    struct FLTP_STATE *S = FltpState();
    KiRequireIrql(APC_LEVEL, "FltGetVolumeFromDeviceObject");
    FltpCheckFilter(Filter, "FltGetVolumeFromDeviceObject");
    if (DeviceObject == NULL || RetVolume == NULL)
        return STATUS_INVALID_PARAMETER;
    IOP_VOLUME *IoV = IopFindVolumeByDevice(DeviceObject);
    for (PLIST_ENTRY E = S->Volumes.Flink; IoV && E != &S->Volumes; E = E->Flink) {
        PFLT_VOLUME V = CONTAINING_RECORD(E, struct _FLT_VOLUME, Links);
        if (V->IoVolume == IoV) {
            FltpReferenceVolume(V);
            *RetVolume = V;
            return STATUS_SUCCESS;
        }
    }
    return STATUS_FLT_VOLUME_NOT_FOUND;
}

NTSTATUS FLTAPI FltGetVolumeInstanceFromName(PFLT_FILTER Filter, PFLT_VOLUME Volume, PCUNICODE_STRING InstanceName,
                                             PFLT_INSTANCE *RetInstance)
{
    KiRequireIrql(APC_LEVEL, "FltGetVolumeInstanceFromName");
    FltpCheckVolume(Volume, "FltGetVolumeInstanceFromName");
    if (RetInstance == NULL)
        return STATUS_INVALID_PARAMETER;
    const char *Name = InstanceName ? KiUnicodeToUtf8(InstanceName) : NULL;
    for (PLIST_ENTRY E = Volume->Instances.Flink; E != &Volume->Instances; E = E->Flink) {
        PFLT_INSTANCE I = CONTAINING_RECORD(E, struct _FLT_INSTANCE, VolumeLinks);
        if (!I->Attached || I->TearingDown)
            continue;
        if (Filter != NULL && I->Filter != Filter)
            continue;
        if (Name != NULL && strcasecmp(I->Name, Name) != 0)
            continue;
        FltpReferenceInstance(I);
        *RetInstance = I;
        return STATUS_SUCCESS;
    }
    return STATUS_FLT_INSTANCE_NOT_FOUND;
}

static NTSTATUS FltpNeighbour(PFLT_VOLUME V, PFLT_INSTANCE From, BOOLEAN Upward, BOOLEAN SameFilterOnly,
                              PFLT_INSTANCE *Out)
{
    PLIST_ENTRY Head = &V->Instances;
    PLIST_ENTRY E;
    if (From == NULL)
        E = Upward ? Head->Blink : Head->Flink; /* bottom / top */
    else
        E = Upward ? From->VolumeLinks.Blink : From->VolumeLinks.Flink;
    for (; E != Head; E = Upward ? E->Blink : E->Flink) {
        PFLT_INSTANCE I = CONTAINING_RECORD(E, struct _FLT_INSTANCE, VolumeLinks);
        (void)SameFilterOnly;
        if (!I->Attached || I->TearingDown)
            continue;
        FltpReferenceInstance(I);
        *Out = I;
        return STATUS_SUCCESS;
    }
    return STATUS_NO_MORE_ENTRIES;
}

NTSTATUS FLTAPI FltGetTopInstance(PFLT_VOLUME Volume, PFLT_INSTANCE *Instance)
{
    KiRequireIrql(APC_LEVEL, "FltGetTopInstance");
    FltpCheckVolume(Volume, "FltGetTopInstance");
    return FltpNeighbour(Volume, NULL, FALSE, FALSE, Instance);
}

NTSTATUS FLTAPI FltGetBottomInstance(PFLT_VOLUME Volume, PFLT_INSTANCE *Instance)
{
    KiRequireIrql(APC_LEVEL, "FltGetBottomInstance");
    FltpCheckVolume(Volume, "FltGetBottomInstance");
    return FltpNeighbour(Volume, NULL, TRUE, FALSE, Instance);
}

NTSTATUS FLTAPI FltGetUpperInstance(PFLT_INSTANCE CurrentInstance, PFLT_INSTANCE *UpperInstance)
{
    KiRequireIrql(APC_LEVEL, "FltGetUpperInstance");
    FltpCheckInstance(CurrentInstance, "FltGetUpperInstance");
    if (!CurrentInstance->Attached)
        return STATUS_NO_MORE_ENTRIES;
    return FltpNeighbour(CurrentInstance->Volume, CurrentInstance, TRUE, FALSE, UpperInstance);
}

NTSTATUS FLTAPI FltGetLowerInstance(PFLT_INSTANCE CurrentInstance, PFLT_INSTANCE *LowerInstance)
{
    KiRequireIrql(APC_LEVEL, "FltGetLowerInstance");
    FltpCheckInstance(CurrentInstance, "FltGetLowerInstance");
    if (!CurrentInstance->Attached)
        return STATUS_NO_MORE_ENTRIES;
    return FltpNeighbour(CurrentInstance->Volume, CurrentInstance, FALSE, FALSE, LowerInstance);
}

NTSTATUS FLTAPI FltEnumerateVolumes(PFLT_FILTER Filter, PFLT_VOLUME *VolumeList, ULONG VolumeListSize,
                                    PULONG NumberVolumesReturned)
{
    struct FLTP_STATE *S = FltpState();
    ULONG N = 0, Stored = 0;
    KiRequireIrql(APC_LEVEL, "FltEnumerateVolumes");
    FltpCheckFilter(Filter, "FltEnumerateVolumes");
    if (NumberVolumesReturned == NULL)
        return STATUS_INVALID_PARAMETER;
    for (PLIST_ENTRY E = S->Volumes.Flink; E != &S->Volumes; E = E->Flink) {
        PFLT_VOLUME V = CONTAINING_RECORD(E, struct _FLT_VOLUME, Links);
        if (V->TearingDown)
            continue;
        if (VolumeList != NULL && Stored < VolumeListSize) {
            FltpReferenceVolume(V);
            VolumeList[Stored++] = V;
        }
        N++;
    }
    *NumberVolumesReturned = N;
    return Stored < N ? STATUS_BUFFER_TOO_SMALL : STATUS_SUCCESS;
}

NTSTATUS FLTAPI FltEnumerateInstances(PFLT_VOLUME Volume, PFLT_FILTER Filter, PFLT_INSTANCE *InstanceList,
                                      ULONG InstanceListSize, PULONG NumberInstancesReturned)
{
    struct FLTP_STATE *S = FltpState();
    ULONG N = 0, Stored = 0;
    KiRequireIrql(APC_LEVEL, "FltEnumerateInstances");
    if (NumberInstancesReturned == NULL)
        return STATUS_INVALID_PARAMETER;
    if (Volume != NULL)
        FltpCheckVolume(Volume, "FltEnumerateInstances");
    if (Filter != NULL)
        FltpCheckFilter(Filter, "FltEnumerateInstances");
    for (PLIST_ENTRY VE = S->Volumes.Flink; VE != &S->Volumes; VE = VE->Flink) {
        PFLT_VOLUME V = CONTAINING_RECORD(VE, struct _FLT_VOLUME, Links);
        if (Volume != NULL && V != Volume)
            continue;
        for (PLIST_ENTRY E = V->Instances.Flink; E != &V->Instances; E = E->Flink) {
            PFLT_INSTANCE I = CONTAINING_RECORD(E, struct _FLT_INSTANCE, VolumeLinks);
            if (!I->Attached || I->TearingDown || (Filter != NULL && I->Filter != Filter))
                continue;
            if (InstanceList != NULL && Stored < InstanceListSize) {
                FltpReferenceInstance(I);
                InstanceList[Stored++] = I;
            }
            N++;
        }
    }
    *NumberInstancesReturned = N;
    return Stored < N ? STATUS_BUFFER_TOO_SMALL : STATUS_SUCCESS;
}

/* ------------------------------------------------------------------------ */
/* Information                                                              */
/* ------------------------------------------------------------------------ */

/* Appends UTF-8 Text as UTF-16 at *Offset (even-aligned); returns its byte length. */
static USHORT FltpPutString(PVOID Buffer, ULONG *Offset, const char *Text, BOOLEAN Store)
{
    UNICODE_STRING U;
    KiUtf8ToUnicode(Text, &U);
    USHORT Len = U.Length;
    if (Store)
        memcpy((PUCHAR)Buffer + *Offset, U.Buffer, Len);
    *Offset += Len;
    KiFreeUnicode(&U);
    return Len;
}

static ULONG FltpUtf16Bytes(const char *Text)
{
    UNICODE_STRING U;
    KiUtf8ToUnicode(Text, &U);
    ULONG L = U.Length;
    KiFreeUnicode(&U);
    return L;
}

NTSTATUS FLTAPI FltGetInstanceInformation(PFLT_INSTANCE Instance, INSTANCE_INFORMATION_CLASS InformationClass,
                                          PVOID Buffer, ULONG BufferSize, PULONG BytesReturned)
{
    KiRequireIrql(APC_LEVEL, "FltGetInstanceInformation");
    FltpCheckInstance(Instance, "FltGetInstanceInformation");
    if (BytesReturned == NULL)
        return STATUS_INVALID_PARAMETER;
    const char *VolumeName = KiUnicodeToUtf8(&Instance->Volume->Name);
    ULONG Header, Needed;
    switch (InformationClass) {
    case InstanceBasicInformation: Header = sizeof(INSTANCE_BASIC_INFORMATION); break;
    case InstancePartialInformation: Header = sizeof(INSTANCE_PARTIAL_INFORMATION); break;
    case InstanceFullInformation: Header = sizeof(INSTANCE_FULL_INFORMATION); break;
    case InstanceAggregateStandardInformation: Header = sizeof(INSTANCE_AGGREGATE_STANDARD_INFORMATION); break;
    default: return STATUS_INVALID_PARAMETER;
    }
    Needed = Header + FltpUtf16Bytes(Instance->Name);
    if (InformationClass != InstanceBasicInformation)
        Needed += FltpUtf16Bytes(Instance->Altitude);
    if (InformationClass == InstanceFullInformation || InformationClass == InstanceAggregateStandardInformation)
        Needed += FltpUtf16Bytes(VolumeName) + FltpUtf16Bytes(Instance->Filter->ServiceName);
    *BytesReturned = Needed;
    if (Buffer == NULL || BufferSize < Needed)
        return STATUS_BUFFER_TOO_SMALL;
    memset(Buffer, 0, Header);
    ULONG Off = Header;
    USHORT NameOff = (USHORT)Off, NameLen = FltpPutString(Buffer, &Off, Instance->Name, TRUE);
    USHORT AltOff = 0, AltLen = 0, VolOff = 0, VolLen = 0, FltOff = 0, FltLen = 0;
    if (InformationClass != InstanceBasicInformation) {
        AltOff = (USHORT)Off;
        AltLen = FltpPutString(Buffer, &Off, Instance->Altitude, TRUE);
    }
    if (InformationClass == InstanceFullInformation || InformationClass == InstanceAggregateStandardInformation) {
        VolOff = (USHORT)Off;
        VolLen = FltpPutString(Buffer, &Off, VolumeName, TRUE);
        FltOff = (USHORT)Off;
        FltLen = FltpPutString(Buffer, &Off, Instance->Filter->ServiceName, TRUE);
    }
    switch (InformationClass) {
    case InstanceBasicInformation: {
        PINSTANCE_BASIC_INFORMATION I = Buffer;
        I->InstanceNameLength = NameLen;
        I->InstanceNameBufferOffset = NameOff;
        break;
    }
    case InstancePartialInformation: {
        PINSTANCE_PARTIAL_INFORMATION I = Buffer;
        I->InstanceNameLength = NameLen;
        I->InstanceNameBufferOffset = NameOff;
        I->AltitudeLength = AltLen;
        I->AltitudeBufferOffset = AltOff;
        break;
    }
    case InstanceFullInformation: {
        PINSTANCE_FULL_INFORMATION I = Buffer;
        I->InstanceNameLength = NameLen;
        I->InstanceNameBufferOffset = NameOff;
        I->AltitudeLength = AltLen;
        I->AltitudeBufferOffset = AltOff;
        I->VolumeNameLength = VolLen;
        I->VolumeNameBufferOffset = VolOff;
        I->FilterNameLength = FltLen;
        I->FilterNameBufferOffset = FltOff;
        break;
    }
    default: {
        PINSTANCE_AGGREGATE_STANDARD_INFORMATION I = Buffer;
        I->Flags = FLTFL_IASI_IS_MINIFILTER;
        I->Type.MiniFilter.FrameID = 0;
        I->Type.MiniFilter.VolumeFileSystemType = Instance->Volume->FileSystemType;
        I->Type.MiniFilter.InstanceNameLength = NameLen;
        I->Type.MiniFilter.InstanceNameBufferOffset = NameOff;
        I->Type.MiniFilter.AltitudeLength = AltLen;
        I->Type.MiniFilter.AltitudeBufferOffset = AltOff;
        I->Type.MiniFilter.VolumeNameLength = VolLen;
        I->Type.MiniFilter.VolumeNameBufferOffset = VolOff;
        I->Type.MiniFilter.FilterNameLength = FltLen;
        I->Type.MiniFilter.FilterNameBufferOffset = FltOff;
        break;
    }
    }
    return STATUS_SUCCESS;
}

NTSTATUS FLTAPI FltGetVolumeInformation(PFLT_VOLUME Volume, FILTER_VOLUME_INFORMATION_CLASS InformationClass,
                                        PVOID Buffer, ULONG BufferSize, PULONG BytesReturned)
{
    KiRequireIrql(APC_LEVEL, "FltGetVolumeInformation");
    FltpCheckVolume(Volume, "FltGetVolumeInformation");
    if (BytesReturned == NULL)
        return STATUS_INVALID_PARAMETER;
    ULONG Header = InformationClass == FilterVolumeBasicInformation
                       ? (ULONG)FIELD_OFFSET(FILTER_VOLUME_BASIC_INFORMATION, FilterVolumeName)
                       : (ULONG)FIELD_OFFSET(FILTER_VOLUME_STANDARD_INFORMATION, FilterVolumeName);
    if (InformationClass != FilterVolumeBasicInformation && InformationClass != FilterVolumeStandardInformation)
        return STATUS_INVALID_PARAMETER;
    ULONG Needed = Header + Volume->Name.Length;
    *BytesReturned = Needed;
    if (Buffer == NULL || BufferSize < Needed)
        return STATUS_BUFFER_TOO_SMALL;
    memset(Buffer, 0, Header);
    if (InformationClass == FilterVolumeBasicInformation) {
        PFILTER_VOLUME_BASIC_INFORMATION I = Buffer;
        I->FilterVolumeNameLength = Volume->Name.Length;
        memcpy(I->FilterVolumeName, Volume->Name.Buffer, Volume->Name.Length);
    } else {
        PFILTER_VOLUME_STANDARD_INFORMATION I = Buffer;
        I->FrameID = 0;
        I->FileSystemType = Volume->FileSystemType;
        I->FilterVolumeNameLength = Volume->Name.Length;
        memcpy(I->FilterVolumeName, Volume->Name.Buffer, Volume->Name.Length);
    }
    return STATUS_SUCCESS;
}

NTSTATUS FLTAPI FltGetVolumeName(PFLT_VOLUME Volume, PUNICODE_STRING VolumeName, PULONG BufferSizeNeeded)
{
    KiRequireIrql(APC_LEVEL, "FltGetVolumeName");
    FltpCheckVolume(Volume, "FltGetVolumeName");
    if (BufferSizeNeeded != NULL)
        *BufferSizeNeeded = Volume->Name.Length;
    if (VolumeName == NULL)
        return BufferSizeNeeded != NULL ? STATUS_BUFFER_TOO_SMALL : STATUS_INVALID_PARAMETER;
    if (VolumeName->MaximumLength < Volume->Name.Length || VolumeName->Buffer == NULL)
        return STATUS_BUFFER_TOO_SMALL;
    memcpy(VolumeName->Buffer, Volume->Name.Buffer, Volume->Name.Length);
    VolumeName->Length = Volume->Name.Length;
    return STATUS_SUCCESS;
}

NTSTATUS FLTAPI FltGetVolumeGuidName(PFLT_VOLUME Volume, PUNICODE_STRING VolumeGuidName, PULONG BufferSizeNeeded)
{
    struct FLTP_STATE *S = FltpState();
    ULONG Index = 0;
    KiRequireIrql(APC_LEVEL, "FltGetVolumeGuidName");
    FltpCheckVolume(Volume, "FltGetVolumeGuidName");
    for (PLIST_ENTRY E = S->Volumes.Flink; E != &S->Volumes && E != &Volume->Links; E = E->Flink)
        Index++;
    /* A stable, made-up volume GUID per mount index. */
    const char *Text = KiFormat("\\??\\Volume{5f0c1a2e-%04x-11ef-9a6b-%012llx}", 0x1000 + Index,
                                (unsigned long long)(0x806e6f6e6900ull + Index));
    UNICODE_STRING U;
    KiUtf8ToUnicode(Text, &U);
    if (BufferSizeNeeded != NULL)
        *BufferSizeNeeded = U.Length;
    if (VolumeGuidName == NULL || VolumeGuidName->Buffer == NULL || VolumeGuidName->MaximumLength < U.Length) {
        KiFreeUnicode(&U);
        return STATUS_BUFFER_TOO_SMALL;
    }
    memcpy(VolumeGuidName->Buffer, U.Buffer, U.Length);
    VolumeGuidName->Length = U.Length;
    KiFreeUnicode(&U);
    return STATUS_SUCCESS;
}

NTSTATUS FLTAPI FltGetVolumeProperties(PFLT_VOLUME Volume, PFLT_VOLUME_PROPERTIES VolumeProperties,
                                       ULONG VolumePropertiesLength, PULONG LengthReturned)
{
    KiRequireIrql(APC_LEVEL, "FltGetVolumeProperties");
    FltpCheckVolume(Volume, "FltGetVolumeProperties");
    if (LengthReturned == NULL)
        return STATUS_INVALID_PARAMETER;
    PDEVICE_OBJECT Vdo = Volume->IoVolume->VolumeDevice;
    const char *DriverName = Vdo->DriverObject ? KiUnicodeToUtf8(&Vdo->DriverObject->DriverName) : "";
    const char *FsDeviceName = "";
    const char *RealName = KiUnicodeToUtf8(&Volume->Name);
    ULONG Fixed = (ULONG)sizeof(FLT_VOLUME_PROPERTIES);
    ULONG Needed = Fixed + FltpUtf16Bytes(DriverName) + FltpUtf16Bytes(FsDeviceName) + FltpUtf16Bytes(RealName);
    *LengthReturned = Needed;
    if (VolumeProperties == NULL || VolumePropertiesLength < Fixed)
        return STATUS_BUFFER_TOO_SMALL;
    memset(VolumeProperties, 0, Fixed);
    VolumeProperties->DeviceType = Vdo->DeviceType;
    VolumeProperties->DeviceCharacteristics = Vdo->Characteristics;
    VolumeProperties->DeviceObjectFlags = Vdo->Flags;
    VolumeProperties->AlignmentRequirement = Vdo->AlignmentRequirement;
    VolumeProperties->SectorSize = Vdo->SectorSize ? Vdo->SectorSize : 512;
    VolumeProperties->Flags = 0;
    if (VolumePropertiesLength < Needed)
        return STATUS_BUFFER_OVERFLOW;
    ULONG Off = Fixed;
    PVOID Base = VolumeProperties;
    VolumeProperties->FileSystemDriverName.Buffer = (PWCH)((PUCHAR)Base + Off);
    VolumeProperties->FileSystemDriverName.Length = FltpPutString(Base, &Off, DriverName, TRUE);
    VolumeProperties->FileSystemDriverName.MaximumLength = VolumeProperties->FileSystemDriverName.Length;
    VolumeProperties->FileSystemDeviceName.Buffer = (PWCH)((PUCHAR)Base + Off);
    VolumeProperties->FileSystemDeviceName.Length = FltpPutString(Base, &Off, FsDeviceName, TRUE);
    VolumeProperties->FileSystemDeviceName.MaximumLength = VolumeProperties->FileSystemDeviceName.Length;
    VolumeProperties->RealDeviceName.Buffer = (PWCH)((PUCHAR)Base + Off);
    VolumeProperties->RealDeviceName.Length = FltpPutString(Base, &Off, RealName, TRUE);
    VolumeProperties->RealDeviceName.MaximumLength = VolumeProperties->RealDeviceName.Length;
    return STATUS_SUCCESS;
}

/* A volume or an instance on it. */
static PFLT_VOLUME FltpVolumeOfObject(PVOID FltObject, const char *Routine)
{
    if (FltpIsVolume(FltObject))
        return FltObject;
    if (FltpIsInstance(FltObject))
        return ((PFLT_INSTANCE)FltObject)->Volume;
    FltpCheckVolume(FltObject, Routine); /* does not return */
    return NULL;
}

NTSTATUS FLTAPI FltIsVolumeWritable(PVOID FltObject, PBOOLEAN IsWritable)
{
    KiRequireIrql(PASSIVE_LEVEL, "FltIsVolumeWritable");
    PFLT_VOLUME V = FltpVolumeOfObject(FltObject, "FltIsVolumeWritable");
    if (IsWritable == NULL)
        return STATUS_INVALID_PARAMETER;
    *IsWritable = (V->IoVolume->VolumeDevice->Characteristics & FILE_READ_ONLY_DEVICE) ? FALSE : TRUE;
    return STATUS_SUCCESS;
}

NTSTATUS FLTAPI FltIsVolumeSnapshot(PVOID FltObject, PBOOLEAN IsSnapshotVolume)
{
    KiRequireIrql(PASSIVE_LEVEL, "FltIsVolumeSnapshot");
    (void)FltpVolumeOfObject(FltObject, "FltIsVolumeSnapshot");
    if (IsSnapshotVolume == NULL)
        return STATUS_INVALID_PARAMETER;
    *IsSnapshotVolume = FALSE;
    return STATUS_SUCCESS;
}

NTSTATUS FLTAPI FltGetFileSystemType(PVOID FltObject, PFLT_FILESYSTEM_TYPE FileSystemType)
{
    KiRequireIrql(PASSIVE_LEVEL, "FltGetFileSystemType");
    PFLT_VOLUME V = FltpVolumeOfObject(FltObject, "FltGetFileSystemType");
    if (FileSystemType == NULL)
        return STATUS_INVALID_PARAMETER;
    *FileSystemType = V->FileSystemType;
    return STATUS_SUCCESS;
}

NTSTATUS FLTAPI FltGetDiskDeviceObject(PFLT_VOLUME Volume, PDEVICE_OBJECT *DiskDeviceObject)
{
    KiRequireIrql(PASSIVE_LEVEL, "FltGetDiskDeviceObject");
    FltpCheckVolume(Volume, "FltGetDiskDeviceObject");
    if (DiskDeviceObject == NULL)
        return STATUS_INVALID_PARAMETER;
    *DiskDeviceObject = NULL;
    /* Referenced: the caller drops it with ObDereferenceObject. */
    NTSTATUS Status = IoGetDiskDeviceObject(Volume->IoVolume->VolumeDevice, DiskDeviceObject);
    return NT_SUCCESS(Status) ? Status : STATUS_FLT_NO_DEVICE_OBJECT;
}

NTSTATUS FLTAPI FltGetDeviceObject(PFLT_VOLUME Volume, PDEVICE_OBJECT *DeviceObject)
{
    KiRequireIrql(APC_LEVEL, "FltGetDeviceObject");
    FltpCheckVolume(Volume, "FltGetDeviceObject");
    if (DeviceObject == NULL)
        return STATUS_INVALID_PARAMETER;
    /* The volume's file system device object, referenced. */
    ObfReferenceObject(Volume->IoVolume->VolumeDevice);
    *DeviceObject = Volume->IoVolume->VolumeDevice;
    return STATUS_SUCCESS;
}
