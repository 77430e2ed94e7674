/*
 * hostp.h - fltsim host API: what its files share (never included by tools).
 */
#ifndef FSIM_HOSTP_H
#define FSIM_HOSTP_H
#include <fsim_kernel.h>

/* NtCreateFile as a process issues it: a UTF-8 DOS or UNC path, a
 * synchronous handle in P's table (copyfile.c). */
NTSTATUS FsimpOpenFile(struct _EPROCESS *P, const char *Path, ACCESS_MASK Access, ULONG Attributes, ULONG Share,
                       ULONG Disposition, ULONG Options, PHANDLE Handle);

/* A port service of process P (portsvc.c). */
NTSTATUS FsimpStartPortService(struct _EPROCESS *Process, const FSIM_PORT_SERVICE *Service);

#endif
