/*
 * driver.c - fltsim Io: driver images and driver objects.  A driver is a
 * shared object (NAME.sys) loaded from its service key's ImagePath with
 * dlopen; an import fltsim lacks fails the load with the routine's name.
 * DriverEntry runs on the System thread at PASSIVE_LEVEL.
 */
#define _GNU_SOURCE 1
#include <dlfcn.h>
#include "iop.h"
#include <stdio.h>
#include <string.h>

#define IOP_SERVICES "\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Services\\"

static IOP_DRIVER_IMAGE *IopNewImage(const char *Service)
{
    struct IOP_STATE *S = IopState();
    if (S->ImageCount == IOP_MAX_IMAGES)
        return NULL;
    IOP_DRIVER_IMAGE *I = &S->Images[S->ImageCount++];
    memset(I, 0, sizeof(*I));
    I->ServiceName = KiSaveString(Service);
    return I;
}

static PDRIVER_OBJECT IopCreateDriverObject(const char *Name, const char *Service)
{
    PDRIVER_OBJECT D = ObpCreateObject(IopDriverObjectType, sizeof(DRIVER_OBJECT) + sizeof(DRIVER_EXTENSION), Name);
    PDRIVER_EXTENSION X = (PDRIVER_EXTENSION)(D + 1);
    D->Type = IO_TYPE_DRIVER;
    D->Size = sizeof(DRIVER_OBJECT);
    D->DriverExtension = X;
    X->DriverObject = D;
    KiUtf8ToUnicode(Name, &D->DriverName);
    KiUtf8ToUnicode(Service, &X->ServiceKeyName);
    for (int I = 0; I <= IRP_MJ_MAXIMUM_FUNCTION; I++)
        D->MajorFunction[I] = NULL;
    return D;
}

void IopFreeDriverStrings(PDRIVER_OBJECT D);
void IopFreeDriverStrings(PDRIVER_OBJECT D)
{
    KiFreeUnicode(&D->DriverName);
    KiFreeUnicode(&D->DriverExtension->ServiceKeyName);
}

PDRIVER_OBJECT IopCreateBuiltinDriver(const char *Name, const char *Module, PDRIVER_INITIALIZE Entry)
{
    IOP_DRIVER_IMAGE *I = IopNewImage(Module);
    PDRIVER_OBJECT D = IopCreateDriverObject(Name, Module);
    UNICODE_STRING RegistryPath;
    I->ImageName = KiFormat("%s.sys", Module);
    I->ModuleName = KiSaveString(Module);
    I->BuiltIn = TRUE;
    I->Loaded = TRUE;
    I->DriverObject = D;
    D->DriverInit = Entry;
    KiUtf8ToUnicode(KiFormat(IOP_SERVICES "%s", Module), &RegistryPath);
    if (Entry) {
        KI_FRAME_SCOPE(Module, "DriverEntry", 0x40);
        Entry(D, &RegistryPath);
    }
    KiFreeUnicode(&RegistryPath);
    return D;
}

IOP_DRIVER_IMAGE *IopFindImageByService(const char *ServiceName)
{
    struct IOP_STATE *S = IopState();
    for (ULONG I = 0; I < S->ImageCount; I++)
        if (strcasecmp(S->Images[I].ServiceName, ServiceName) == 0)
            return &S->Images[I];
    return NULL;
}

IOP_DRIVER_IMAGE *IopFindImageByDriverObject(PDRIVER_OBJECT DriverObject)
{
    struct IOP_STATE *S = IopState();
    for (ULONG I = 0; I < S->ImageCount; I++)
        if (S->Images[I].DriverObject == DriverObject)
            return &S->Images[I];
    return NULL;
}

IOP_DRIVER_IMAGE *IopFindImageByAddress(const void *Address)
{
    struct IOP_STATE *S = IopState();
    Dl_info Info;
    if (S == NULL || dladdr(Address, &Info) == 0)
        return NULL;
    /* One shared object may back several services over a run (loaded,
     * unloaded, loaded again): the loaded one, else the latest. */
    IOP_DRIVER_IMAGE *Latest = NULL;
    for (ULONG I = S->ImageCount; I-- > 0;) {
        IOP_DRIVER_IMAGE *Image = &S->Images[I];
        if (!Image->BuiltIn && Image->Handle != NULL && Image->HostPath != NULL && Info.dli_fname != NULL &&
            strcmp(Info.dli_fname, Image->HostPath) == 0) {
            if (Image->Loaded)
                return Image;
            if (Latest == NULL)
                Latest = Image;
        }
    }
    return Latest;
}

/* "undefined symbol: FltFoo" (glibc) / "symbol not found ... '_FltFoo'" (macOS) -> "FltFoo" */
static const char *IopMissingImport(const char *Error)
{
    const char *P = strstr(Error, "undefined symbol: ");
    char Name[256];
    size_t N = 0;
    if (P != NULL) {
        P += strlen("undefined symbol: ");
    } else if ((P = strstr(Error, "symbol not found in flat namespace '")) != NULL) {
        P += strlen("symbol not found in flat namespace '");
        if (*P == '_')
            P++;
    } else {
        return NULL;
    }
    while (P[N] && P[N] != ' ' && P[N] != '\'' && P[N] != ',' && P[N] != ')' && N + 1 < sizeof(Name)) {
        Name[N] = P[N];
        N++;
    }
    Name[N] = 0;
    return KiSaveString(Name);
}

NTSTATUS IopLoadDriver(const char *ServiceName)
{
    FSIM_MACHINE *M = KiMachine;
    char ImagePath[1024];
    IOP_DRIVER_IMAGE *Image = IopFindImageByService(ServiceName);
    NTSTATUS Status;
    if (Image != NULL && Image->Loaded) {
        KiSetLastError("%s is already loaded", ServiceName);
        return STATUS_IMAGE_ALREADY_LOADED;
    }
    if (!CmpQueryStringUtf8(ServiceName, "ImagePath", ImagePath, sizeof(ImagePath))) {
        KiSetLastError("no service key Services\\%s with an ImagePath", ServiceName);
        return STATUS_OBJECT_NAME_NOT_FOUND;
    }
    /* The image path is a file: a bare name means the current directory,
     * not the dynamic linker's search path. */
    if (strchr(ImagePath, '/') == NULL) {
        size_t Length = strlen(ImagePath);
        if (Length + 3 > sizeof(ImagePath)) {
            KiSetLastError("driver image path too long: %s", ImagePath);
            return STATUS_OBJECT_NAME_INVALID;
        }
        memmove(ImagePath + 2, ImagePath, Length + 1);
        ImagePath[0] = '.';
        ImagePath[1] = '/';
    }
    void *Handle = dlopen(ImagePath, RTLD_NOW | RTLD_LOCAL);
    if (Handle == NULL) {
        const char *Error = dlerror();
        const char *Missing = Error ? IopMissingImport(Error) : NULL;
        if (Missing != NULL) {
            KiSetLastError("cannot load %s: it imports %s, which fltsim does not implement", ImagePath, Missing);
            return STATUS_PROCEDURE_NOT_FOUND;
        }
        KiSetLastError("cannot load %s: %s", ImagePath, Error ? Error : "?");
        return STATUS_INVALID_IMAGE_FORMAT;
    }
    PDRIVER_INITIALIZE Entry = (PDRIVER_INITIALIZE)dlsym(Handle, "DriverEntry");
    if (Entry == NULL) {
        KiSetLastError("%s exports no DriverEntry", ImagePath);
        dlclose(Handle);
        return STATUS_DRIVER_ENTRYPOINT_NOT_FOUND;
    }
    if (Image == NULL)
        Image = IopNewImage(ServiceName);
    if (Image == NULL) {
        dlclose(Handle);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    const char *Base = strrchr(ImagePath, '/');
    Base = Base ? Base + 1 : ImagePath;
    Image->ImageName = KiSaveString(Base);
    {
        char Module[256];
        size_t BaseLen = strlen(Base) < sizeof(Module) - 1 ? strlen(Base) : sizeof(Module) - 1;
        memcpy(Module, Base, BaseLen);
        Module[BaseLen] = 0;
        char *Dot = strrchr(Module, '.');
        if (Dot)
            *Dot = 0;
        Image->ModuleName = KiSaveString(Module);
    }
    Image->HostPath = KiSaveString(ImagePath);
    Image->Handle = Handle;
    {
        Dl_info Info;
        if (dladdr((void *)Entry, &Info) && Info.dli_fname)
            Image->HostPath = KiSaveString(Info.dli_fname);
    }
    PDRIVER_OBJECT D = IopCreateDriverObject(KiFormat("\\Driver\\%s", ServiceName), ServiceName);
    Image->DriverObject = D;
    D->DriverInit = Entry;
    Image->Loaded = TRUE;
    UNICODE_STRING RegistryPath;
    KiUtf8ToUnicode(KiFormat(IOP_SERVICES "%s", ServiceName), &RegistryPath);
    PKTHREAD Old = KiSwitchThread(M->SystemThread);
    KiTrace("load %s: DriverEntry", ServiceName);
    {
        KI_FRAME_SCOPE("nt", "IopLoadDriver", 0x90);
        KI_DRIVER_FRAME_SCOPE(Entry);
        Status = Entry(D, &RegistryPath);
    }
    KiSwitchThread(Old);
    KiFreeUnicode(&RegistryPath);
    if (M->SystemThread->Irql != PASSIVE_LEVEL) {
        KiReportSetRootCause(KiFormat("DriverEntry of %s returned at IRQL %u", ServiceName, M->SystemThread->Irql));
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, 0, M->SystemThread->Irql, 0, 0);
    }
    if (!NT_SUCCESS(Status)) {
        KiSetLastError("DriverEntry of %s failed with 0x%08X", ServiceName,
                 (unsigned)Status);
        Image->Loaded = FALSE;
    }
    return Status;
}

NTSTATUS IopUnloadDriver(const char *ServiceName)
{
    FSIM_MACHINE *M = KiMachine;
    IOP_DRIVER_IMAGE *Image = IopFindImageByService(ServiceName);
    NTSTATUS Status;
    if (Image == NULL || !Image->Loaded || Image->BuiltIn) {
        KiSetLastError("%s is not loaded", ServiceName);
        return STATUS_OBJECT_NAME_NOT_FOUND;
    }
    PDRIVER_OBJECT D = Image->DriverObject;
    PKTHREAD Old = KiSwitchThread(M->SystemThread);
    if (FltpDriverHasFilter(D)) {
        Status = FltpUnloadFilter(D);
    } else if (D->DriverUnload != NULL) {
        KI_FRAME_SCOPE("nt", "IopUnloadDriver", 0x60);
        KI_DRIVER_FRAME_SCOPE(D->DriverUnload);
        D->DriverUnload(D);
        Status = STATUS_SUCCESS;
    } else {
        Status = STATUS_INVALID_DEVICE_REQUEST;
    }
    KiSwitchThread(Old);
    if (NT_SUCCESS(Status)) {
        D->Flags |= DRVO_UNLOAD_INVOKED;
        Image->Loaded = FALSE;
    } else {
        KiSetLastError("unload of %s refused (0x%08X)", ServiceName, (unsigned)Status);
    }
    return Status;
}

PVOID MmGetSystemRoutineAddress(PUNICODE_STRING SystemRoutineName)
{
    KiRequireIrql(PASSIVE_LEVEL, "MmGetSystemRoutineAddress");
    const char *Name = KiUnicodeToUtf8(SystemRoutineName);
    /* Only routines the kernel exports: the simulator's own symbols. */
    static const char *const Private[] = {"Ki", "Fsim", "Iop", "Obp", "Exp", "Cmp", "Psp", "Mi", "Kdp", "Fltp",
                                          "Lfs", "Rtlp", "Fsrtlp"};
    if (Name[0] < 'A' || Name[0] > 'Z')
        return NULL;
    for (size_t I = 0; I < sizeof(Private) / sizeof(Private[0]); I++)
        if (strncmp(Name, Private[I], strlen(Private[I])) == 0)
            return NULL;
    return dlsym(RTLD_DEFAULT, Name);
}
