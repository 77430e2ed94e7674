/*
 * rdr.h - fltsim: the network redirector chain (MUP, RDBSS, CSC, mrxsmb /
 * mrxsmb20) and the in-memory SMB server model, as the rest of the
 * simulated kernel and the host API see them.
 *
 * RdrInitialize creates, in this order, the built-in drivers
 *   \Driver\smbsrv      the wire and the remote servers (server model),
 *   \FileSystem\Mup     \Device\Mup, the UNC namespace root,
 *   \FileSystem\Rdbss   the redirector library (RxFsdDispatch, ...),
 *   \FileSystem\Csc     the client-side-caching surrogate (pass-through),
 *   \FileSystem\mrxsmb  the SMB mini-redirector (its MajorFunction[] is
 *                       MRxSmbFsdDispatch, which calls RxFsdDispatch),
 * and registers mrxsmb with MUP as a UNC provider.  The first RdrAddShare
 * registers \Device\Mup with the I/O manager as the network volume
 * (IopRegisterNetworkVolume), so FltMgr attaches above it; it is not done
 * at boot because the I/O manager numbers local volumes
 * (\Device\HarddiskVolumeN) by their place among all volumes.  Paths
 * "\\server\share\..." then reach IoGetAttachedDevice(\Device\Mup) with
 * FileObject->FileName = "\server\share\...".
 *
 * Every server round trip (tree connect, create, read, write, query and set
 * information, query security, query directory, close) is an exchange: the
 * dispatch routine marks the IRP pending and returns STATUS_PENDING; the
 * request travels in an IRP with an MDL to the server model; the reply
 * arrives after the share's latency on the virtual clock (KeSetTimer, a DPC,
 * then a work item at PASSIVE_LEVEL) and completes the IRP on that worker
 * thread.  A share with latency 0 answers inline, on the requesting thread
 * (the IRP is still marked pending and STATUS_PENDING returned).
 *
 * Host-side memory of the server model is freed by RdrTeardown; everything
 * else lives in pool.
 */
#ifndef FSIM_RDR_H
#define FSIM_RDR_H

#include <fsim_kernel.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Boot (after FltpInitialize): creates the drivers. */
void RdrInitialize(void);

/*
 * Machine teardown, before Ex pool teardown: frees the server model's host
 * memory.  Makes no DDI calls (the machine may be stopped); timers still
 * set by in-flight exchanges live in pool and must be dropped by Ke.
 */
void RdrTeardown(void);

/*
 * A share on the server model: Unc is "\\\\server\\share" (UTF-8).  Creates
 * the server on first use; the first share also makes \Device\Mup a
 * volume.  LatencyNs is the round-trip time of every
 * request to the share; Csc routes the share's I/O through the CSC
 * surrogate; Caching allows cached reads and writes (Cc, a later slice).
 * STATUS_OBJECT_NAME_COLLISION when the share exists,
 * STATUS_OBJECT_NAME_INVALID for a malformed name.
 */
NTSTATUS RdrAddShare(const char *Unc, ULONGLONG LatencyNs, BOOLEAN Csc, BOOLEAN Caching);

/*
 * Setup without I/O: creates "\\\\server\\share\\dir\\file" on the server
 * (missing parent directories too).  A file gets Length bytes of Data; an
 * existing file's data are replaced.  STATUS_BAD_NETWORK_NAME for an unknown
 * share, STATUS_OBJECT_NAME_COLLISION when an entry of the other kind exists.
 */
NTSTATUS RdrCreateEntryDirect(const char *UncPath, BOOLEAN Directory, const void *Data, SIZE_T Length);

/* \Device\Mup (NULL before RdrInitialize). */
PDEVICE_OBJECT RdrGetMupDevice(void);

/*
 * "mup!MupiUncProviderCompletion" for the redirector's routines that can
 * appear in an IRP stack location (completion routines) or a report; NULL
 * for any other address.  For !irp dumps.
 */
const char *RdrDescribeRoutine(const void *Address);

/* Counters for tests and traces. */
typedef struct RDR_STATISTICS {
    ULONG PrefixQueries;        /* IOCTL_REDIR_QUERY_PATH_EX sent by MUP */
    ULONG PrefixCacheHits;      /* creates resolved from MUP's prefix cache */
    ULONG Exchanges;            /* server round trips started by mrxsmb */
    ULONG InlineReplies;        /* of those, answered inline (latency 0) */
    ULONG CscPassThrough;       /* low I/O calls that went through CSC */
    ULONG BuffersLocked;        /* user buffers RDBSS locked into an MDL */
    ULONG OutstandingExchanges; /* exchanges still waiting for their reply */
    ULONG OpenFcbs;             /* RDBSS FCBs alive */
} RDR_STATISTICS;
void RdrGetStatistics(RDR_STATISTICS *Statistics);

/*
 * Server-side view of an entry (tests): TRUE if it exists; *Size gets the
 * file size, *Directory whether it is a directory, *OpenCount the number of
 * server handles open on it.
 */
BOOLEAN RdrQueryEntryDirect(const char *UncPath, ULONGLONG *Size, BOOLEAN *Directory, ULONG *OpenCount);

#ifdef __cplusplus
}
#endif

#endif /* FSIM_RDR_H */
