/*
 * mup.c - mup: the Multiple UNC Provider, \FileSystem\Mup with the device
 * \Device\Mup (FILE_DEVICE_MULTI_UNC_PROVIDER), root of the UNC namespace.
 *
 * IRP_MJ_CREATE of "\server\share\...": the prefix is looked up in the
 * prefix cache; on a miss each registered provider is asked in
 * registration order with IOCTL_REDIR_QUERY_PATH_EX (an IRP MUP allocates,
 * METHOD_NEITHER, kernel mode) until one claims a prefix, which is cached.
 * The create - marked pending while the resolution runs - is then passed to
 * the provider's device (IoCopyCurrentIrpStackLocationToNext,
 * MupiUncProviderCompletion as completion routine).  Every other IRP is
 * passed to the provider that opened its file object (MUP keeps a table
 * keyed by FILE_OBJECT; the file object's FsContext and FsContext2 are the
 * provider's) with the same completion routine, which is why a remote
 * file's IRPs show mup!MupiUncProviderCompletion in the provider's stack
 * location.  No provider claiming the prefix fails the create with
 * STATUS_BAD_NETWORK_NAME if one knew the server, else
 * STATUS_BAD_NETWORK_PATH.  Opening \Device\Mup itself succeeds and is
 * served by MUP.  Also FsRtlRegisterUncProviderEx and
 * FsRtlDeregisterUncProvider.  The prefix cache has neither a size limit nor
 * a timeout (Mup\Parameters' PrefixCacheSizeInKB / ...TimeoutInSeconds are
 * not modelled); a provider's deregistration drops its entries.
 */
#include "mupp.h"

#define MUP_FRAME(Function, Bytes) KI_FRAME_SCOPE("mup", Function, Bytes)

PMUP_DEVICE MupGetDevice(void)
{
    IOP_DRIVER_IMAGE *Image = KiMachine && KiMachine->Io ? IopFindImageByService("mup") : NULL;
    PDEVICE_OBJECT D = Image && Image->DriverObject ? Image->DriverObject->DeviceObject : NULL;
    PMUP_DEVICE M = D ? (PMUP_DEVICE)D->DeviceExtension : NULL;
    return M != NULL && M->NodeTypeCode == MUP_NTC_DEVICE ? M : NULL;
}

static NTSTATUS MupiComplete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information)
{
    Irp->IoStatus.Status = Status;
    Irp->IoStatus.Information = Information;
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Status;
}

static BOOLEAN MupiEqual(PCWCH A, PCWCH B, USHORT Bytes)
{
    for (USHORT I = 0; I < Bytes / sizeof(WCHAR); I++)
        if (RtlUpcaseUnicodeChar(A[I]) != RtlUpcaseUnicodeChar(B[I]))
            return FALSE;
    return TRUE;
}

/* --- the file object table --------------------------------------------------- */

static PMUP_FILE MupiLookupFile(PMUP_DEVICE M, PFILE_OBJECT Fo)
{
    KIRQL Irql;
    PMUP_FILE Found = NULL;
    KeAcquireSpinLock(&M->Lock, &Irql);
    for (PLIST_ENTRY E = M->Files.Flink; E != &M->Files; E = E->Flink) {
        PMUP_FILE F = CONTAINING_RECORD(E, MUP_FILE, Links);
        if (F->FileObject == Fo) {
            Found = F;
            break;
        }
    }
    KeReleaseSpinLock(&M->Lock, Irql);
    return Found;
}

static PMUP_FILE MupiInsertFile(PMUP_DEVICE M, PFILE_OBJECT Fo, PMUP_PROVIDER Provider)
{
    KIRQL Irql;
    PMUP_FILE F = ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(MUP_FILE), MUP_TAG_FILE);
    if (F == NULL)
        return NULL;
    RtlZeroMemory(F, sizeof(*F));
    F->NodeTypeCode = MUP_NTC_FILE;
    F->NodeByteSize = (CSHORT)sizeof(*F);
    F->FileObject = Fo;
    F->Provider = Provider;
    KeAcquireSpinLock(&M->Lock, &Irql);
    InsertTailList(&M->Files, &F->Links);
    KeReleaseSpinLock(&M->Lock, Irql);
    return F;
}

static VOID MupiRemoveFile(PMUP_DEVICE M, PMUP_FILE F)
{
    KIRQL Irql;
    KeAcquireSpinLock(&M->Lock, &Irql);
    RemoveEntryList(&F->Links);
    KeReleaseSpinLock(&M->Lock, Irql);
    F->NodeTypeCode = 0;
    ExFreePoolWithTag(F, MUP_TAG_FILE);
}

/* --- passing IRPs to providers ------------------------------------------------- */

NTSTATUS MupiUncProviderCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    MUP_FRAME("MupiUncProviderCompletion", 0x40);
    PMUP_FILE F = Context;
    PMUP_DEVICE M = DeviceObject ? (PMUP_DEVICE)DeviceObject->DeviceExtension : MupGetDevice();
    UCHAR Major = IoGetCurrentIrpStackLocation(Irp)->MajorFunction;
    if (Irp->PendingReturned)
        IoMarkIrpPending(Irp);
    if (M != NULL && F != NULL && F->NodeTypeCode == MUP_NTC_FILE) {
        /* A failed create leaves no file object to route; a close ends it. */
        if ((Major == IRP_MJ_CREATE && !NT_SUCCESS(Irp->IoStatus.Status)) || Major == IRP_MJ_CLOSE)
            MupiRemoveFile(M, F);
    }
    return STATUS_CONTINUE_COMPLETION;
}

static NTSTATUS MupiCallUncProvider(PIRP Irp, PMUP_FILE F)
{
    MUP_FRAME("MupiCallUncProvider", 0x70);
    IoCopyCurrentIrpStackLocationToNext(Irp);
    IoSetCompletionRoutine(Irp, MupiUncProviderCompletion, F, TRUE, TRUE, TRUE);
    return IoCallDriver(F->Provider->DeviceObject, Irp);
}

static NTSTATUS MupStateMachine(PIRP Irp, PMUP_FILE F)
{
    MUP_FRAME("MupStateMachine", 0x30);
    return MupiCallUncProvider(Irp, F);
}

/* Requests on an open of \Device\Mup itself. */
static NTSTATUS MupiServeRoot(PMUP_DEVICE M, PIRP Irp, PMUP_FILE F)
{
    PIO_STACK_LOCATION Sp = IoGetCurrentIrpStackLocation(Irp);
    switch (Sp->MajorFunction) {
    case IRP_MJ_CLEANUP:
        return MupiComplete(Irp, STATUS_SUCCESS, 0);
    case IRP_MJ_CLOSE:
        MupiRemoveFile(M, F);
        Sp->FileObject->FsContext = NULL;
        return MupiComplete(Irp, STATUS_SUCCESS, 0);
    case IRP_MJ_QUERY_VOLUME_INFORMATION:
        if (Sp->Parameters.QueryVolume.FsInformationClass == FileFsDeviceInformation) {
            PFILE_FS_DEVICE_INFORMATION D = Irp->AssociatedIrp.SystemBuffer;
            if (D == NULL || Sp->Parameters.QueryVolume.Length < sizeof(*D))
                return MupiComplete(Irp, STATUS_INFO_LENGTH_MISMATCH, 0);
            D->DeviceType = FILE_DEVICE_MULTI_UNC_PROVIDER;
            D->Characteristics = FILE_REMOTE_DEVICE;
            return MupiComplete(Irp, STATUS_SUCCESS, sizeof(*D));
        }
        return MupiComplete(Irp, STATUS_INVALID_PARAMETER, 0);
    default:
        return MupiComplete(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
}

NTSTATUS MupFsdIrpPassThrough(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    KI_BOUNDARY_FRAME_SCOPE("mup", "MupFsdIrpPassThrough", 0x70);
    PMUP_DEVICE M = DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION Sp = IoGetCurrentIrpStackLocation(Irp);
    PMUP_FILE F = Sp->FileObject ? MupiLookupFile(M, Sp->FileObject) : NULL;
    if (F == NULL)
        return MupiComplete(Irp, Sp->FileObject ? STATUS_INVALID_HANDLE : STATUS_INVALID_DEVICE_REQUEST, 0);
    if (F->Provider == NULL)
        return MupiServeRoot(M, Irp, F);
    return MupStateMachine(Irp, F);
}

/* --- prefix resolution ------------------------------------------------------------ */

/* The cached provider of Name ("\server\share\..."), or NULL. */
static PMUP_PROVIDER MupiLookupPrefix(PMUP_DEVICE M, PCUNICODE_STRING Name)
{
    KIRQL Irql;
    PMUP_PROVIDER Found = NULL;
    KeAcquireSpinLock(&M->Lock, &Irql);
    for (PLIST_ENTRY E = M->Prefixes.Flink; E != &M->Prefixes; E = E->Flink) {
        PMUP_PREFIX P = CONTAINING_RECORD(E, MUP_PREFIX, Links);
        USHORT L = P->Prefix.Length;
        if (Name->Length < L || (Name->Length > L && Name->Buffer[L / sizeof(WCHAR)] != L'\\'))
            continue;
        if (MupiEqual(P->Prefix.Buffer, Name->Buffer, L)) {
            P->Hits++;
            Found = P->Provider;
            break;
        }
    }
    KeReleaseSpinLock(&M->Lock, Irql);
    return Found;
}

static VOID MupiAddPrefix(PMUP_DEVICE M, PCUNICODE_STRING Name, ULONG Length, PMUP_PROVIDER Provider)
{
    KIRQL Irql;
    PMUP_PREFIX P;
    if (Length == 0 || Length > Name->Length || (Length & 1))
        return;
    P = ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(MUP_PREFIX) + Length, MUP_TAG_PREFIX);
    if (P == NULL)
        return; /* only a cache */
    RtlZeroMemory(P, sizeof(*P));
    P->Prefix.Buffer = (PWCH)(P + 1);
    P->Prefix.Length = P->Prefix.MaximumLength = (USHORT)Length;
    RtlCopyMemory(P->Prefix.Buffer, Name->Buffer, Length);
    P->Provider = Provider;
    KeAcquireSpinLock(&M->Lock, &Irql);
    for (PLIST_ENTRY E = M->Prefixes.Flink; E != &M->Prefixes; E = E->Flink) {
        PMUP_PREFIX Q = CONTAINING_RECORD(E, MUP_PREFIX, Links);
        if (Q->Prefix.Length == P->Prefix.Length && MupiEqual(Q->Prefix.Buffer, P->Prefix.Buffer, Q->Prefix.Length)) {
            KeReleaseSpinLock(&M->Lock, Irql);
            ExFreePoolWithTag(P, MUP_TAG_PREFIX); /* a concurrent resolution got there first */
            return;
        }
    }
    InsertTailList(&M->Prefixes, &P->Links);
    KeReleaseSpinLock(&M->Lock, Irql);
}

static VOID MupiResolveNext(PMUP_RESOLVE R);

static VOID MupiFinishResolve(PMUP_RESOLVE R)
{
    PIRP Irp = R->CreateIrp;
    PMUP_DEVICE M = R->Mup;
    PFILE_OBJECT Fo = IoGetCurrentIrpStackLocation(Irp)->FileObject;
    if (R->WorkItem != NULL)
        IoFreeWorkItem(R->WorkItem);
    if (!R->Claimed) {
        NTSTATUS Status = R->BestStatus;
        ExFreePoolWithTag(R, MUP_TAG_RESOLVE);
        MupiComplete(Irp, Status, 0);
        return;
    }
    PMUP_PROVIDER Provider = R->Current;
    ExFreePoolWithTag(R, MUP_TAG_RESOLVE);
    PMUP_FILE F = MupiInsertFile(M, Fo, Provider);
    if (F == NULL) {
        MupiComplete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
        return;
    }
    (void)MupStateMachine(Irp, F); /* the create was marked pending */
}

/* PASSIVE_LEVEL: go on with a resolution whose query completed at DISPATCH_LEVEL. */
static VOID MupiResolveWorker(PDEVICE_OBJECT DeviceObject, PVOID Context)
{
    KI_BOUNDARY_FRAME_SCOPE("mup", "MupiResolveWorker", 0x50);
    PMUP_RESOLVE R = Context;
    UNREFERENCED_PARAMETER(DeviceObject);
    if (R->Claimed)
        MupiFinishResolve(R);
    else
        MupiResolveNext(R);
}

static VOID MupiContinue(PMUP_RESOLVE R)
{
    if (KeGetCurrentIrql() > PASSIVE_LEVEL) {
        if (R->WorkItem == NULL)
            R->WorkItem = IoAllocateWorkItem(R->Mup->DeviceObject);
        if (R->WorkItem != NULL) {
            IoQueueWorkItem(R->WorkItem, MupiResolveWorker, DelayedWorkQueue, R);
            return;
        }
    }
    if (R->Claimed)
        MupiFinishResolve(R);
    else
        MupiResolveNext(R);
}

NTSTATUS MupiQueryPathCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    MUP_FRAME("MupiQueryPathCompletion", 0x40);
    PMUP_RESOLVE R = Context;
    NTSTATUS Status = Irp->IoStatus.Status;
    UNREFERENCED_PARAMETER(DeviceObject);
    IoFreeIrp(Irp);
    if (NT_SUCCESS(Status) && R->Response.LengthAccepted != 0) {
        R->Claimed = TRUE;
        MupiAddPrefix(R->Mup, &R->Request.PathName, R->Response.LengthAccepted, R->Current);
    } else if (Status == STATUS_BAD_NETWORK_NAME) {
        /* A provider that knows the server says more than one that does not. */
        R->BestStatus = Status;
    } else if (Status == STATUS_INSUFFICIENT_RESOURCES && R->BestStatus == STATUS_BAD_NETWORK_PATH) {
        R->BestStatus = Status;
    }
    MupiContinue(R);
    return STATUS_MORE_PROCESSING_REQUIRED;
}

/* Asks the provider after R->Current; none left: the create fails. */
static VOID MupiResolveNext(PMUP_RESOLVE R)
{
    MUP_FRAME("MupiResolvePrefix", 0x80);
    PMUP_DEVICE M = R->Mup;
    KIRQL Irql;
    PMUP_PROVIDER Next = NULL;
    KeAcquireSpinLock(&M->Lock, &Irql);
    PLIST_ENTRY E = R->Current ? R->Current->Links.Flink : M->Providers.Flink;
    if (E != &M->Providers)
        Next = CONTAINING_RECORD(E, MUP_PROVIDER, Links);
    M->PrefixQueries += Next != NULL;
    KeReleaseSpinLock(&M->Lock, Irql);
    if (Next == NULL) {
        MupiFinishResolve(R);
        return;
    }
    R->Current = Next;
    R->Response.LengthAccepted = 0;
    PIRP Query = IoAllocateIrp(Next->DeviceObject->StackSize, FALSE);
    if (Query == NULL) {
        R->BestStatus = STATUS_INSUFFICIENT_RESOURCES;
        MupiFinishResolve(R);
        return;
    }
    PIO_STACK_LOCATION Sp = IoGetNextIrpStackLocation(Query);
    Query->RequestorMode = KernelMode;
    Query->UserBuffer = &R->Response;
    Query->Tail.Overlay.Thread = R->CreateIrp->Tail.Overlay.Thread;
    Sp->MajorFunction = IRP_MJ_DEVICE_CONTROL;
    Sp->Parameters.DeviceIoControl.IoControlCode = IOCTL_REDIR_QUERY_PATH_EX;
    Sp->Parameters.DeviceIoControl.Type3InputBuffer = &R->Request;
    Sp->Parameters.DeviceIoControl.InputBufferLength = sizeof(R->Request);
    Sp->Parameters.DeviceIoControl.OutputBufferLength = sizeof(R->Response);
    IoSetCompletionRoutine(Query, MupiQueryPathCompletion, R, TRUE, TRUE, TRUE);
    (void)IoCallDriver(Next->DeviceObject, Query);
}

NTSTATUS MupCreate(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    KI_BOUNDARY_FRAME_SCOPE("mup", "MupCreate", 0xb0);
    PMUP_DEVICE M = DeviceObject->DeviceExtension;
    PIO_STACK_LOCATION Sp = IoGetCurrentIrpStackLocation(Irp);
    PFILE_OBJECT Fo = Sp->FileObject;
    PMUP_PROVIDER Provider;
    PMUP_FILE F;
    PAGED_CODE();
    if (Fo == NULL)
        return MupiComplete(Irp, STATUS_INVALID_PARAMETER, 0);
    if (Fo->RelatedFileObject != NULL) {
        /* Relative to a remote file: its provider resolves the name. */
        PMUP_FILE Related = MupiLookupFile(M, Fo->RelatedFileObject);
        if (Related == NULL || Related->Provider == NULL)
            return MupiComplete(Irp, STATUS_OBJECT_PATH_NOT_FOUND, 0);
        F = MupiInsertFile(M, Fo, Related->Provider);
        if (F == NULL)
            return MupiComplete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
        return MupStateMachine(Irp, F);
    }
    if (Fo->FileName.Length == 0 || (Fo->FileName.Length == sizeof(WCHAR) && Fo->FileName.Buffer[0] == L'\\')) {
        /* \Device\Mup itself. */
        F = MupiInsertFile(M, Fo, NULL);
        if (F == NULL)
            return MupiComplete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
        Fo->FsContext = &M->RootFcb;
        Fo->FsContext2 = NULL;
        return MupiComplete(Irp, STATUS_SUCCESS, FILE_OPENED);
    }
    if (Fo->FileName.Buffer[0] != L'\\')
        return MupiComplete(Irp, STATUS_OBJECT_NAME_INVALID, 0);
    /* "\\server\..." (a name built from "\\" + "\server\..."): one backslash. */
    UNICODE_STRING Name = Fo->FileName;
    while (Name.Length >= 2 * sizeof(WCHAR) && Name.Buffer[1] == L'\\') {
        Name.Buffer++;
        Name.Length -= sizeof(WCHAR);
        Name.MaximumLength = Name.Length;
    }
    Provider = MupiLookupPrefix(M, &Name);
    if (Provider != NULL) {
        M->PrefixCacheHits++;
        F = MupiInsertFile(M, Fo, Provider);
        if (F == NULL)
            return MupiComplete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
        return MupStateMachine(Irp, F);
    }
    /* Ask the providers, one after the other; the create waits meanwhile. */
    PMUP_RESOLVE R = ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(MUP_RESOLVE), MUP_TAG_RESOLVE);
    if (R == NULL)
        return MupiComplete(Irp, STATUS_INSUFFICIENT_RESOURCES, 0);
    RtlZeroMemory(R, sizeof(*R));
    R->CreateIrp = Irp;
    R->Mup = M;
    R->BestStatus = STATUS_BAD_NETWORK_PATH;
    R->Request.pSecurityContext = Sp->Parameters.Create.SecurityContext;
    R->Request.PathName = Name;
    IoMarkIrpPending(Irp);
    MupiResolveNext(R);
    return STATUS_PENDING;
}

/* --- providers -------------------------------------------------------------------- */

NTSTATUS FsRtlRegisterUncProviderEx(PHANDLE MupHandle, PCUNICODE_STRING RedirDevName, PDEVICE_OBJECT DeviceObject,
                                    ULONG Flags)
{
    PMUP_DEVICE M = MupGetDevice();
    PMUP_PROVIDER P;
    KIRQL Irql;
    KiRequireIrql(PASSIVE_LEVEL, "FsRtlRegisterUncProviderEx");
    if (M == NULL)
        return STATUS_DEVICE_NOT_READY;
    if (MupHandle == NULL || DeviceObject == NULL)
        return STATUS_INVALID_PARAMETER;
    if (RedirDevName == NULL || RedirDevName->Length == 0)
        return STATUS_INVALID_PARAMETER;
    P = ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(MUP_PROVIDER) + RedirDevName->Length, MUP_TAG_PROVIDER);
    if (P == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    RtlZeroMemory(P, sizeof(*P));
    P->DeviceObject = DeviceObject;
    P->Flags = Flags;
    P->DeviceName.Buffer = (PWCH)(P + 1);
    P->DeviceName.Length = P->DeviceName.MaximumLength = RedirDevName->Length;
    RtlCopyMemory(P->DeviceName.Buffer, RedirDevName->Buffer, RedirDevName->Length);
    KeAcquireSpinLock(&M->Lock, &Irql);
    for (PLIST_ENTRY E = M->Providers.Flink; E != &M->Providers; E = E->Flink) {
        if (CONTAINING_RECORD(E, MUP_PROVIDER, Links)->DeviceObject == DeviceObject) {
            KeReleaseSpinLock(&M->Lock, Irql);
            ExFreePoolWithTag(P, MUP_TAG_PROVIDER);
            return STATUS_INVALID_DEVICE_REQUEST; /* already registered */
        }
    }
    P->Handle = ++M->NextHandle;
    InsertTailList(&M->Providers, &P->Links);
    KeReleaseSpinLock(&M->Lock, Irql);
    /* IRPs MUP passes on need a location for the provider's stack too. */
    if (M->DeviceObject->StackSize < DeviceObject->StackSize + 1)
        M->DeviceObject->StackSize = (CCHAR)(DeviceObject->StackSize + 1);
    *MupHandle = (HANDLE)(ULONG_PTR)P->Handle;
    return STATUS_SUCCESS;
}

VOID FsRtlDeregisterUncProvider(HANDLE Handle)
{
    PMUP_DEVICE M = MupGetDevice();
    KIRQL Irql;
    PMUP_PROVIDER Found = NULL;
    LIST_ENTRY Dropped;
    if (M == NULL)
        return;
    InitializeListHead(&Dropped);
    KeAcquireSpinLock(&M->Lock, &Irql);
    for (PLIST_ENTRY E = M->Providers.Flink; E != &M->Providers; E = E->Flink) {
        PMUP_PROVIDER P = CONTAINING_RECORD(E, MUP_PROVIDER, Links);
        if ((HANDLE)(ULONG_PTR)P->Handle == Handle) {
            Found = P;
            RemoveEntryList(&P->Links);
            break;
        }
    }
    /* Its prefixes leave the cache; open files keep their routes (a provider
     * must not deregister while its files are open). */
    for (PLIST_ENTRY E = M->Prefixes.Flink; Found != NULL && E != &M->Prefixes;) {
        PMUP_PREFIX P = CONTAINING_RECORD(E, MUP_PREFIX, Links);
        E = E->Flink;
        if (P->Provider == Found) {
            RemoveEntryList(&P->Links);
            InsertTailList(&Dropped, &P->Links);
        }
    }
    KeReleaseSpinLock(&M->Lock, Irql);
    while (!IsListEmpty(&Dropped))
        ExFreePoolWithTag(CONTAINING_RECORD(RemoveHeadList(&Dropped), MUP_PREFIX, Links), MUP_TAG_PREFIX);
    if (Found != NULL)
        ExFreePoolWithTag(Found, MUP_TAG_PROVIDER);
}

/* --- driver entry --------------------------------------------------------------------- */

NTSTATUS MupDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    UNICODE_STRING Name = RTL_CONSTANT_STRING(L"\\Device\\Mup");
    PDEVICE_OBJECT Device;
    NTSTATUS Status;
    UNREFERENCED_PARAMETER(RegistryPath);
    PAGED_CODE();
    for (ULONG I = 0; I <= IRP_MJ_MAXIMUM_FUNCTION; I++)
        DriverObject->MajorFunction[I] = MupFsdIrpPassThrough;
    DriverObject->MajorFunction[IRP_MJ_CREATE] = MupCreate;
    DriverObject->DriverUnload = NULL;
    Status = IoCreateDevice(DriverObject, sizeof(MUP_DEVICE), &Name, FILE_DEVICE_MULTI_UNC_PROVIDER,
                            FILE_REMOTE_DEVICE, FALSE, &Device);
    if (!NT_SUCCESS(Status))
        return Status;
    PMUP_DEVICE M = Device->DeviceExtension;
    RtlZeroMemory(M, sizeof(*M));
    M->NodeTypeCode = MUP_NTC_DEVICE;
    M->NodeByteSize = (CSHORT)sizeof(*M);
    M->DeviceObject = Device;
    KeInitializeSpinLock(&M->Lock);
    InitializeListHead(&M->Providers);
    InitializeListHead(&M->Prefixes);
    InitializeListHead(&M->Files);
    M->RootFcb.Header.NodeTypeCode = MUP_NTC_ROOT_FCB;
    M->RootFcb.Header.NodeByteSize = (CSHORT)sizeof(MUP_ROOT_FCB);
    ExInitializeFastMutex(&M->RootFcb.HeaderMutex);
    FsRtlSetupAdvancedHeader(&M->RootFcb.Header, &M->RootFcb.HeaderMutex);
    Device->StackSize = 1;
    Device->Flags &= ~DO_DEVICE_INITIALIZING;
    IoRegisterFileSystem(Device);
    return STATUS_SUCCESS;
}
