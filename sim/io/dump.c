/*
 * dump.c - fltsim Io: IRPs in reports, as WinDbg's `!irp` shows them (each
 * stack location with its function codes, device and driver, file object,
 * completion routine and context, and parameters), and the `!irpfind
 * ... mdlprocess` search for the IRP that holds an MDL.
 */
#include "iop.h"
#include <string.h>

extern const char *KiSymbolName(const void *Address);
const char *IopIrpMajorName(UCHAR Major);

typedef struct IOP_FIND {
    PMDL Mdl;
    PIRP Found;
} IOP_FIND;

static BOOLEAN IopCheckIrp(void *Host, void *Context)
{
    IOP_FIND *F = Context;
    PIRP Irp = Host;
    if (Irp->Type != IO_TYPE_IRP)
        return TRUE;
    for (PMDL M = Irp->MdlAddress; M; M = M->Next) {
        if (M == F->Mdl) {
            F->Found = Irp;
            return FALSE;
        }
    }
    return TRUE;
}

PIRP IopFindIrpHoldingMdl(PMDL Mdl)
{
    IOP_FIND F = {Mdl, NULL};
    ExpForEachBlock(' prI', IopCheckIrp, &F);
    return F.Found;
}

static const char *IopAddress(uint64_t A)
{
    if (A <= 0xFFFFFFFFull)
        return KiFormat("%08llx", (unsigned long long)A);
    return KiFormat("%016llx", (unsigned long long)A);
}

/* module!function of a routine in a driver image or in the simulator. */
static const char *IopRoutineName(PVOID Routine)
{
    static const struct {
        const char *Prefix;
        const char *Module;
    } Modules[] = {{"Fltp", "FLTMGR"}, {"Flt", "FLTMGR"}, {"Mup", "mup"}, {"Rx", "rdbss"}, {"MRx", "mrxsmb"},
                   {"Smb", "mrxsmb"}, {"Csc", "csc"}, {"Lfs", "Ntfs"}, {"Iop", "nt"}, {"Io", "nt"}};
    if (Routine == NULL)
        return "00000000";
    const char *Name = KiSymbolName(Routine);
    IOP_DRIVER_IMAGE *Image = IopFindImageByAddress(Routine);
    if (Image != NULL)
        return KiFormat("%s!%s", Image->ModuleName, Name ? Name : "?");
    if (Name != NULL)
        for (size_t I = 0; I < sizeof(Modules) / sizeof(Modules[0]); I++)
            if (strncmp(Name, Modules[I].Prefix, strlen(Modules[I].Prefix)) == 0)
                return KiFormat("%s!%s", Modules[I].Module, Name);
    return KiFormat("nt!%s", Name ? Name : "?");
}

void IopReportIrp(PIRP Irp)
{
    const char *Names[2 + 64];
    const char *Values[2 + 64];
    size_t N = 0;
    uint64_t Address = MiSyntheticAddress(Irp);
    PIO_STACK_LOCATION First = (PIO_STACK_LOCATION)(Irp + 1);
    BOOLEAN Active = Irp->CurrentLocation <= Irp->StackCount + 1;
    Names[N] = "";
    Values[N++] = KiFormat("Irp is %s with %d stacks %d is current (= %s)", Active ? "active" : "completed",
                           Irp->StackCount, Irp->CurrentLocation,
                           IopAddress(MiSyntheticAddress(Irp->Tail.Overlay.CurrentStackLocation)));
    Names[N] = "";
    Values[N++] = KiFormat("Mdl=%s: %s: Thread %s: Irp stack trace.", IopAddress(MiSyntheticAddress(Irp->MdlAddress)),
                           Irp->AssociatedIrp.SystemBuffer ? IopAddress(MiSyntheticAddress(Irp->AssociatedIrp.SystemBuffer))
                                                           : "No System Buffer",
                           IopAddress(MiSyntheticAddress(Irp->Tail.Overlay.Thread)));
    for (int I = 0; I < Irp->StackCount && N < 2 + 64; I++) {
        PIO_STACK_LOCATION Sp = &First[I];
        const char *Driver = "";
        if (Sp->DeviceObject != NULL && Sp->DeviceObject->DriverObject != NULL)
            Driver = KiUnicodeToUtf8(&Sp->DeviceObject->DriverObject->DriverName);
        Names[N] = KiFormat("%s[%d]", I + 1 == Irp->CurrentLocation ? ">" : " ", I + 1);
        if (Sp->DeviceObject == NULL && Sp->MajorFunction == 0 && Sp->CompletionRoutine == NULL) {
            Values[N++] = "[N/A(0), N/A(0)] 0 0 00000000 00000000 00000000-00000000 Args: 00000000 00000000 00000000 "
                          "00000000";
            continue;
        }
        /* Locations the completion walk has passed keep only their device and
         * completion routine: their function codes read 0, as `!irp` shows. */
        BOOLEAN Walked = I + 1 < Irp->CurrentLocation;
        Values[N++] = KiFormat(
            "[%s(%x), %x] %x %x %s %s %s %s-%s Args: %s %s %s %s",
            Walked ? "0" : IopIrpMajorName(Sp->MajorFunction), Sp->MajorFunction, Sp->MinorFunction, Sp->Flags,
            Sp->Control,
            IopAddress(MiSyntheticAddress(Sp->DeviceObject)), Driver, IopAddress(MiSyntheticAddress(Sp->FileObject)),
            IopRoutineName((PVOID)Sp->CompletionRoutine), IopAddress(MiSyntheticAddress(Sp->Context)),
            IopAddress((uint64_t)(ULONG_PTR)Sp->Parameters.Others.Argument1),
            IopAddress((uint64_t)(ULONG_PTR)Sp->Parameters.Others.Argument2),
            IopAddress((uint64_t)(ULONG_PTR)Sp->Parameters.Others.Argument3),
            IopAddress((uint64_t)(ULONG_PTR)Sp->Parameters.Others.Argument4));
    }
    KiReportSection(KiFormat("!irp %08llx`%08llx", (unsigned long long)(Address >> 32),
                             (unsigned long long)(Address & 0xFFFFFFFF)),
                    N, Names, Values);
}

typedef struct IOP_IRPFIND {
    struct _EPROCESS *Process;
    const char *Names[32];
    const char *Values[32];
    size_t Count;
} IOP_IRPFIND;

static BOOLEAN IopFindByProcess(void *Host, void *Context)
{
    IOP_IRPFIND *F = Context;
    PIRP Irp = Host;
    if (Irp->Type != IO_TYPE_IRP || F->Count == 32)
        return F->Count < 32;
    for (PMDL M = Irp->MdlAddress; M; M = M->Next) {
        if (M->Process != F->Process)
            continue;
        PIO_STACK_LOCATION Sp = Irp->Tail.Overlay.CurrentStackLocation;
        BOOLEAN HasLocation = Irp->CurrentLocation >= 1 && Irp->CurrentLocation <= Irp->StackCount;
        const char *Driver = "";
        if (HasLocation && Sp->DeviceObject != NULL && Sp->DeviceObject->DriverObject != NULL)
            Driver = KiUnicodeToUtf8(&Sp->DeviceObject->DriverObject->DriverName);
        F->Names[F->Count] = IopAddress(MiSyntheticAddress(Irp));
        F->Values[F->Count] = KiFormat("[%s] irpStack: (%x, %x) %s [ %s] %s",
                                       IopAddress(MiSyntheticAddress(Irp->Tail.Overlay.Thread)),
                                       HasLocation ? Sp->MajorFunction : 0, HasLocation ? Sp->MinorFunction : 0,
                                       HasLocation ? IopAddress(MiSyntheticAddress(Sp->DeviceObject)) : "00000000",
                                       Driver, IopAddress(MiSyntheticAddress(F->Process)));
        F->Count++;
        break;
    }
    return TRUE;
}

/* `!irpfind 0 0 mdlprocess PROCESS`: the IRPs holding an MDL of a process. */
void IopReportIrpFind(struct _EPROCESS *Process);
void IopReportIrpFind(struct _EPROCESS *Process)
{
    IOP_IRPFIND F;
    memset(&F, 0, sizeof(F));
    F.Process = Process;
    ExpForEachBlock(' prI', IopFindByProcess, &F);
    uint64_t P = MiSyntheticAddress(Process);
    KiReportSection(KiFormat("!irpfind 0 0 mdlprocess %08llx`%08llx", (unsigned long long)(P >> 32),
                             (unsigned long long)(P & 0xFFFFFFFF)),
                    F.Count, F.Names, F.Values);
}
