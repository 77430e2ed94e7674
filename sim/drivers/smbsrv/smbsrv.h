/*
 * smbsrv.h - smbsrv: the simulated network and the in-memory SMB servers
 * behind it, as the SMB mini-redirector and the boot code see them.
 *
 * \Driver\smbsrv has one device, \Device\SmbSrv (FILE_DEVICE_NETWORK): the
 * wire.  A client sends a request by IRP_MJ_INTERNAL_DEVICE_CONTROL with
 * IOCTL_SMBSRV_TRANSCEIVE (METHOD_NEITHER):
 *   Irp->MdlAddress                        the request (an SMBW_MESSAGE and
 *                                          its data, in nonpaged pool, the
 *                                          MDL built by MmBuildMdlForNonPagedPool)
 *   Parameters.DeviceIoControl.InputBufferLength   request length
 *   Irp->UserBuffer, ...OutputBufferLength          reply buffer (nonpaged) and room
 * The wire marks the IRP pending, sets a timer for the share's latency, and
 * when it fires (DPC, then a work item at PASSIVE_LEVEL) lets the server
 * process the request, writes the reply and completes the IRP with
 * STATUS_SUCCESS and Information = the reply's length (the server's status
 * is inside the reply).  With latency 0 the reply is produced and the IRP
 * completed inline.  A request for a server or tree that does not exist
 * completes at once with STATUS_BAD_NETWORK_PATH.
 *
 * The servers' state is host memory (the remote machine is not part of the
 * simulated kernel's pool); its files' times come from the virtual clock.
 */
#ifndef SMBSRV_H
#define SMBSRV_H

#include <ntifs.h>
#include "smbproto.h"

#define IOCTL_SMBSRV_TRANSCEIVE CTL_CODE(FILE_DEVICE_NETWORK, 0x801, METHOD_NEITHER, FILE_ANY_ACCESS)

/* DriverEntry of \Driver\smbsrv: creates \Device\SmbSrv. */
NTSTATUS SrvDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);

/* The wire device of the running machine (NULL before boot). */
PDEVICE_OBJECT SrvGetWireDevice(void);

/* Setup (host side, no I/O).  Names are UTF-16 without leading backslashes. */
NTSTATUS SrvAddShare(PDEVICE_OBJECT Wire, PCUNICODE_STRING Server, PCUNICODE_STRING Share,
                     ULONGLONG LatencyNs, ULONG ShareFlags);
/* Path below the share root ("dir\\file"). */
NTSTATUS SrvCreateEntryDirect(PDEVICE_OBJECT Wire, PCUNICODE_STRING Server, PCUNICODE_STRING Share,
                              PCUNICODE_STRING Path, BOOLEAN Directory, const VOID *Data, SIZE_T Length);
BOOLEAN SrvQueryEntryDirect(PDEVICE_OBJECT Wire, PCUNICODE_STRING Server, PCUNICODE_STRING Share,
                            PCUNICODE_STRING Path, ULONGLONG *Size, BOOLEAN *Directory, ULONG *OpenCount);

/* Machine teardown: frees the servers (host memory); no DDI calls. */
void SrvDestroy(PDEVICE_OBJECT Wire);

/* Requests the wire still holds (in flight). */
ULONG SrvOutstandingRequests(PDEVICE_OBJECT Wire);

#endif /* SMBSRV_H */
