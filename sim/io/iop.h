/*
 * iop.h - fltsim Io: private state of the I/O manager (driver images,
 * devices, volumes, IRPs the I/O manager issued).
 */
#ifndef FSIM_IOP_H
#define FSIM_IOP_H
#include <fsim_kernel.h>

#define IOP_MAX_IMAGES 64
#define IOP_MAX_VOLUMES 26

struct IOP_STATE {
    IOP_DRIVER_IMAGE Images[IOP_MAX_IMAGES];
    ULONG ImageCount;
    IOP_VOLUME Volumes[IOP_MAX_VOLUMES];
    ULONG VolumeCount;
    IOP_MOUNT_CALLBACK MountCallback;
    IOP_VOLUME *NetworkVolume;   /* MUP, when the redirector is present */
    PDRIVER_OBJECT VolMgr;       /* owns the storage devices */
    PDRIVER_OBJECT LocalFs;
    KSPIN_LOCK CancelLock;
};

#define IopState() (KiMachine->Io)
void IopFinishIrp(PIRP Irp);
BOOLEAN IopSetupControlBuffers(PIRP Irp, ULONG Code, PVOID InputBuffer, ULONG InputBufferLength, PVOID OutputBuffer,
                               ULONG OutputBufferLength);

#endif
