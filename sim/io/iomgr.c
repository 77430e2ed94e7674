/*
 * iomgr.c - fltsim Io: I/O manager start-up and teardown (the volume
 * manager that owns storage devices, the built-in local file system).
 */
#include "iop.h"
#include <string.h>
#include "../drivers/localfs/lfs.h"

void IopFreeDriverStrings(PDRIVER_OBJECT D);

void IopInitialize(void)
{
    KiMachine->Io = calloc(1, sizeof(struct IOP_STATE));
    if (KiMachine->Io == NULL)
        abort();
    IopState()->VolMgr = IopCreateBuiltinDriver("\\Driver\\volmgr", "volmgr", NULL);
    IopState()->LocalFs = IopCreateBuiltinDriver("\\FileSystem\\Ntfs", "Ntfs", LfsDriverEntry);
}

void IopTeardown(void)
{
    struct IOP_STATE *S = IopState();
    if (S == NULL)
        return;
    for (ULONG I = 0; I < S->VolumeCount; I++) {
        if (S->Volumes[I].StorageDevice != NULL)
            LfsDestroyVolume(S->Volumes[I].VolumeDevice);
        KiFreeUnicode(&S->Volumes[I].DeviceName);
    }
    for (ULONG I = 0; I < S->ImageCount; I++) {
        if (S->Images[I].DriverObject)
            IopFreeDriverStrings(S->Images[I].DriverObject);
    }
    free(S);
    KiMachine->Io = NULL;
}

/* Driver images stay mapped until every machine is gone (their code may be
 * referenced by reports); closed at teardown. */
#include <dlfcn.h>
void IopCloseImages(void);
void IopCloseImages(void)
{
    struct IOP_STATE *S = IopState();
    if (S == NULL)
        return;
    for (ULONG I = 0; I < S->ImageCount; I++)
        if (S->Images[I].Handle)
            dlclose(S->Images[I].Handle);
}
