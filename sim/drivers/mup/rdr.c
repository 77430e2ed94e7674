/*
 * rdr.c - the network redirector chain as the rest of the kernel sees it
 * (sim/inc/rdr.h): bring-up at boot (the built-in drivers smbsrv, Mup,
 * Rdbss, Csc and mrxsmb), \Device\Mup registered as the network volume
 * with the first share, teardown, shares and setup-time files on the
 * server model, counters, and the names of the redirector's completion
 * routines.
 */
#include <rdr.h>
#include "mupp.h"
#include "../rdbss/rdbss.h"
#include "../mrxsmb/mrxsmb.h"
#include "../smbsrv/smbsrv.h"
#include <string.h>

NTSTATUS CscDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);

void RdrInitialize(void)
{
    PMUP_DEVICE Mup;
    IopCreateBuiltinDriver("\\Driver\\smbsrv", "smbsrv", SrvDriverEntry);
    IopCreateBuiltinDriver("\\FileSystem\\Mup", "mup", MupDriverEntry);
    IopCreateBuiltinDriver("\\FileSystem\\Rdbss", "rdbss", RxDriverEntry);
    IopCreateBuiltinDriver("\\FileSystem\\Csc", "csc", CscDriverEntry);
    IopCreateBuiltinDriver("\\FileSystem\\mrxsmb", "mrxsmb", MRxSmbDriverEntry);
    Mup = MupGetDevice();
    if (Mup == NULL)
        KiTrace("rdr: MUP did not start; no network namespace");
    /* \Device\Mup becomes a volume with the first share (RdrpRegisterVolume). */
}

/*
 * Registers \Device\Mup with the I/O manager as the network volume (FltMgr
 * attaches above it), once, after the providers registered so FltMgr's
 * frame gets MUP's final stack size.  Done when the first share is added
 * rather than at boot: the I/O manager numbers local volumes
 * (\Device\HarddiskVolumeN) by their place among all volumes, and a
 * network volume registered first would renumber every local one.
 */
static NTSTATUS RdrpRegisterVolume(void)
{
    PMUP_DEVICE Mup = MupGetDevice();
    if (Mup == NULL)
        return STATUS_DEVICE_NOT_READY;
    for (size_t I = 0; I < IopVolumeCount(); I++)
        if (IopGetVolume(I)->VolumeDevice == Mup->DeviceObject)
            return STATUS_SUCCESS;
    return IopRegisterNetworkVolume(Mup->DeviceObject);
}

void RdrTeardown(void)
{
    IOP_DRIVER_IMAGE *Image = KiMachine && KiMachine->Io ? IopFindImageByService("smbsrv") : NULL;
    if (Image != NULL && Image->DriverObject != NULL)
        SrvDestroy(Image->DriverObject->DeviceObject);
}

PDEVICE_OBJECT RdrGetMupDevice(void)
{
    PMUP_DEVICE M = MupGetDevice();
    return M ? M->DeviceObject : NULL;
}

/* "\\server\share[\path]" (UTF-8) -> UTF-16 pieces in one host buffer. */
typedef struct RDR_UNC {
    UNICODE_STRING All;
    UNICODE_STRING Server;
    UNICODE_STRING Share;
    UNICODE_STRING Path;          /* below the share, no leading '\' */
} RDR_UNC;

static BOOLEAN RdrParseUnc(const char *Text, RDR_UNC *U)
{
    memset(U, 0, sizeof(*U));
    if (Text == NULL || Text[0] != '\\' || Text[1] != '\\' || !KiUtf8ToUnicode(Text, &U->All))
        return FALSE;
    PWCH P = U->All.Buffer;
    USHORT N = U->All.Length / sizeof(WCHAR), I = 2, Start = 2;
    while (I < N && P[I] != L'\\')
        I++;
    U->Server.Buffer = P + Start;
    U->Server.Length = U->Server.MaximumLength = (USHORT)((I - Start) * sizeof(WCHAR));
    if (I < N)
        I++;
    Start = I;
    while (I < N && P[I] != L'\\')
        I++;
    U->Share.Buffer = P + Start;
    U->Share.Length = U->Share.MaximumLength = (USHORT)((I - Start) * sizeof(WCHAR));
    if (I < N)
        I++;
    U->Path.Buffer = P + I;
    U->Path.Length = U->Path.MaximumLength = (USHORT)((N - I) * sizeof(WCHAR));
    if (U->Server.Length == 0 || U->Share.Length == 0) {
        KiFreeUnicode(&U->All);
        return FALSE;
    }
    return TRUE;
}

NTSTATUS RdrAddShare(const char *Unc, ULONGLONG LatencyNs, BOOLEAN Csc, BOOLEAN Caching)
{
    RDR_UNC U;
    PDEVICE_OBJECT Wire = SrvGetWireDevice();
    NTSTATUS Status;
    if (Wire == NULL)
        return STATUS_DEVICE_NOT_READY;
    if (!RdrParseUnc(Unc, &U))
        return STATUS_OBJECT_NAME_INVALID;
    if (U.Path.Length != 0)
        Status = STATUS_OBJECT_NAME_INVALID;
    else if (!NT_SUCCESS(Status = RdrpRegisterVolume()))
        KiTrace("rdr: cannot register \\Device\\Mup as a volume: 0x%08X", (unsigned)Status);
    else
        Status = SrvAddShare(Wire, &U.Server, &U.Share, LatencyNs,
                             (Csc ? SMBW_SHARE_CSC : 0) | (Caching ? SMBW_SHARE_CACHING : 0));
    KiFreeUnicode(&U.All);
    if (NT_SUCCESS(Status))
        KiTrace("rdr: share %s (latency %llu ns%s%s)", Unc, (unsigned long long)LatencyNs, Csc ? ", csc" : "",
                Caching ? ", caching" : "");
    return Status;
}

NTSTATUS RdrCreateEntryDirect(const char *UncPath, BOOLEAN Directory, const void *Data, SIZE_T Length)
{
    RDR_UNC U;
    PDEVICE_OBJECT Wire = SrvGetWireDevice();
    NTSTATUS Status;
    if (Wire == NULL)
        return STATUS_DEVICE_NOT_READY;
    if (!RdrParseUnc(UncPath, &U))
        return STATUS_OBJECT_NAME_INVALID;
    Status = SrvCreateEntryDirect(Wire, &U.Server, &U.Share, &U.Path, Directory, Data, Length);
    KiFreeUnicode(&U.All);
    return Status;
}

BOOLEAN RdrQueryEntryDirect(const char *UncPath, ULONGLONG *Size, BOOLEAN *Directory, ULONG *OpenCount)
{
    RDR_UNC U;
    PDEVICE_OBJECT Wire = SrvGetWireDevice();
    BOOLEAN Found;
    if (Wire == NULL || !RdrParseUnc(UncPath, &U))
        return FALSE;
    Found = SrvQueryEntryDirect(Wire, &U.Server, &U.Share, &U.Path, Size, Directory, OpenCount);
    KiFreeUnicode(&U.All);
    return Found;
}

void RdrGetStatistics(RDR_STATISTICS *S)
{
    PMUP_DEVICE Mup = MupGetDevice();
    PDEVICE_OBJECT Smb = MRxSmbGetDeviceObject();
    PRDBSS_DEVICE Rx = Smb ? RxGetDevice(Smb) : NULL;
    PMRXSMB_DEVICE X = Rx ? Rx->MiniRdrExtension : NULL;
    memset(S, 0, sizeof(*S));
    if (Mup != NULL) {
        S->PrefixQueries = Mup->PrefixQueries;
        S->PrefixCacheHits = Mup->PrefixCacheHits;
    }
    if (X != NULL) {
        S->Exchanges = X->ExchangesStarted;
        S->InlineReplies = X->InlineReplies;
        S->OutstandingExchanges = X->ExchangeCount;
    }
    if (Rx != NULL)
        S->OpenFcbs = Rx->FcbCount;
    if (RxStatistics() != NULL) {
        S->CscPassThrough = RxStatistics()->CscPassThrough;
        S->BuffersLocked = RxStatistics()->BuffersLocked;
    }
}

const char *RdrDescribeRoutine(const void *Address)
{
    static const struct {
        const void *Routine;
        const char *Name;
    } Known[] = {
        {(const void *)MupiUncProviderCompletion, "mup!MupiUncProviderCompletion"},
        {(const void *)MupiQueryPathCompletion, "mup!MupiQueryPathCompletion"},
        {(const void *)MupCreate, "mup!MupCreate"},
        {(const void *)MupFsdIrpPassThrough, "mup!MupFsdIrpPassThrough"},
        {(const void *)SmbWskSendCompletion, "mrxsmb!SmbWskSendCompletion"},
        {(const void *)MRxSmbFsdDispatch, "mrxsmb!MRxSmbFsdDispatch"},
        {(const void *)RxFsdDispatch, "rdbss!RxFsdDispatch"},
    };
    for (size_t I = 0; I < sizeof(Known) / sizeof(Known[0]); I++)
        if (Known[I].Routine == Address)
            return Known[I].Name;
    return NULL;
}
