/*
 * ops.c - fltsim host API: volumes, driver services, loading, simulated
 * processes and their system calls.  Each call runs on the simulated
 * thread it belongs to (the System thread for loads, the process's main
 * thread for its system calls) and returns FSIM_STATUS_MACHINE_STOPPED
 * once the machine has bugchecked or hung.
 */
#include "hostp.h"
#include <string.h>
#include "../drivers/localfs/lfs.h"

NTSTATUS IopReadWrite(HANDLE Handle, BOOLEAN Write, PVOID UserBuffer, ULONG Length, PLARGE_INTEGER ByteOffset,
                      PIO_STATUS_BLOCK IoStatus);
NTSTATUS IopQuerySetInformation(HANDLE Handle, BOOLEAN Set, ULONG Class, PVOID UserBuffer, ULONG Length,
                                PIO_STATUS_BLOCK IoStatus);
NTSTATUS IopQuerySecurity(HANDLE Handle, ULONG SecurityInformation, PVOID UserBuffer, ULONG Length,
                          PIO_STATUS_BLOCK IoStatus);
NTSTATUS IopQueryDirectory(HANDLE Handle, ULONG Class, PVOID UserBuffer, ULONG Length, BOOLEAN ReturnSingleEntry,
                           PUNICODE_STRING Pattern, BOOLEAN RestartScan, PIO_STATUS_BLOCK IoStatus);

/* UTF-8 -> a UNICODE_STRING in system pool: if the machine stops before the
 * matching FsimFreeString, the pool teardown still frees it. */
static BOOLEAN FsimString(const char *Text, PUNICODE_STRING String)
{
    UNICODE_STRING Host;
    if (!KiUtf8ToUnicode(Text, &Host))
        return FALSE;
    String->Buffer = ExpAllocateSystemPool(PagedPool, Host.MaximumLength, 'rtsU');
    memcpy(String->Buffer, Host.Buffer, Host.MaximumLength);
    String->Length = Host.Length;
    String->MaximumLength = Host.MaximumLength;
    KiFreeUnicode(&Host);
    return TRUE;
}

static void FsimFreeString(PUNICODE_STRING String)
{
    if (String->Buffer)
        ExFreePoolWithTag(String->Buffer, 'rtsU');
    String->Buffer = NULL;
}

#define FSIM_BEGIN(M)                                      \
    if ((M)->State != FSIM_STATE_RUNNING)                  \
        return FSIM_STATUS_MACHINE_STOPPED;                \
    (M)->LastError[0] = 0;                                 \
    KI_RUN(M, return FSIM_STATUS_MACHINE_STOPPED)
#define FSIM_END(M, Value)                                 \
    do {                                                   \
        FSIM_STATUS Result_ = (FSIM_STATUS)(Value);        \
        KiRunUntilIdle();                                  \
        KI_RUN_END(M);                                     \
        return Result_;                                    \
    } while (0)

FSIM_STATUS FsimVolumeAddLocal(FSIM_MACHINE *Machine, const char *Drive)
{
    PDEVICE_OBJECT Vdo;
    FSIM_BEGIN(Machine);
    if (strlen(Drive) != 2 || Drive[1] != ':' || !((Drive[0] >= 'A' && Drive[0] <= 'Z') ||
                                                   (Drive[0] >= 'a' && Drive[0] <= 'z'))) {
        KiSetLastError("bad drive \"%s\" (expected a letter and ':')", Drive);
        FSIM_END(Machine, STATUS_OBJECT_NAME_INVALID);
    }
    char Upper[3] = {(char)(Drive[0] & ~0x20), ':', 0};
    NTSTATUS Status = IopMountLocalVolume(Upper, &Vdo);
    FSIM_END(Machine, Status);
}

NTSTATUS RdrCreateEntryDirect(const char *UncPath, BOOLEAN Directory, const void *Data, SIZE_T Length)
    __attribute__((weak));

static NTSTATUS FsimCreateEntry(const char *Path, BOOLEAN Directory, const void *Data, size_t Length)
{
    UNICODE_STRING U, Remainder;
    if (Path[0] == '\\' && Path[1] == '\\') {
        if (RdrCreateEntryDirect == NULL) {
            KiSetLastError("remote shares need the network redirector, which this build does not have");
            return STATUS_NOT_SUPPORTED;
        }
        return RdrCreateEntryDirect(Path, Directory, Data, Length);
    }
    PDEVICE_OBJECT Vdo;
    NTSTATUS Status;
    if (!FsimString(Path, &U))
        return STATUS_OBJECT_NAME_INVALID;
    Status = IopResolveDosPath(&U, &Vdo, &Remainder);
    if (NT_SUCCESS(Status))
        Status = LfsCreateEntryDirect(Vdo, &Remainder, Directory, Data, Length);
    FsimFreeString(&U);
    return Status;
}

FSIM_STATUS FsimVolumeCreateDirectory(FSIM_MACHINE *Machine, const char *Path)
{
    FSIM_BEGIN(Machine);
    FSIM_END(Machine, FsimCreateEntry(Path, TRUE, NULL, 0));
}

FSIM_STATUS FsimVolumeCreateFile(FSIM_MACHINE *Machine, const char *Path, const void *Data, size_t Length)
{
    FSIM_BEGIN(Machine);
    FSIM_END(Machine, FsimCreateEntry(Path, FALSE, Data, Length));
}

FSIM_STATUS FsimServiceCreate(FSIM_MACHINE *Machine, const char *Service, const char *ImagePath)
{
    FSIM_BEGIN(Machine);
    ULONG One = 1, Two = 2, Three = 3;
    CmpCreateKeyUtf8(Service);
    CmpSetValueUtf8(Service, "ImagePath", REG_SZ, ImagePath, 0);
    CmpSetValueUtf8(Service, "Type", REG_DWORD, &Two, 4); /* SERVICE_FILE_SYSTEM_DRIVER */
    CmpSetValueUtf8(Service, "Start", REG_DWORD, &Three, 4);
    CmpSetValueUtf8(Service, "ErrorControl", REG_DWORD, &One, 4);
    CmpSetValueUtf8(Service, "Group", REG_SZ, "FSFilter Activity Monitor", 0);
    FSIM_END(Machine, STATUS_SUCCESS);
}

FSIM_STATUS FsimServiceAddInstance(FSIM_MACHINE *Machine, const char *Service, const char *Instance,
                                   const char *Altitude, uint32_t Flags, int Default)
{
    char Key[512];
    FSIM_BEGIN(Machine);
    snprintf(Key, sizeof(Key), "%s\\Instances", Service);
    CmpCreateKeyUtf8(Key);
    if (Default)
        CmpSetValueUtf8(Key, "DefaultInstance", REG_SZ, Instance, 0);
    snprintf(Key, sizeof(Key), "%s\\Instances\\%s", Service, Instance);
    CmpSetValueUtf8(Key, "Altitude", REG_SZ, Altitude, 0);
    ULONG F = Flags;
    CmpSetValueUtf8(Key, "Flags", REG_DWORD, &F, 4);
    FSIM_END(Machine, STATUS_SUCCESS);
}

FSIM_STATUS FsimServiceSetDword(FSIM_MACHINE *Machine, const char *Service, const char *Name, uint32_t Value)
{
    char Key[512];
    ULONG V = Value;
    FSIM_BEGIN(Machine);
    snprintf(Key, sizeof(Key), "%s\\Parameters", Service);
    FSIM_END(Machine, CmpSetValueUtf8(Key, Name, REG_DWORD, &V, 4));
}

FSIM_STATUS FsimServiceSetString(FSIM_MACHINE *Machine, const char *Service, const char *Name, const char *Value)
{
    char Key[512];
    FSIM_BEGIN(Machine);
    snprintf(Key, sizeof(Key), "%s\\Parameters", Service);
    FSIM_END(Machine, CmpSetValueUtf8(Key, Name, REG_SZ, Value, 0));
}

FSIM_STATUS FsimDriverLoad(FSIM_MACHINE *Machine, const char *Service)
{
    FSIM_BEGIN(Machine);
    FSIM_END(Machine, IopLoadDriver(Service));
}

FSIM_STATUS FsimDriverUnload(FSIM_MACHINE *Machine, const char *Service)
{
    FSIM_BEGIN(Machine);
    FSIM_END(Machine, IopUnloadDriver(Service));
}

FSIM_STATUS FsimProcessCreate(FSIM_MACHINE *Machine, const char *ImageName, FSIM_PID *Pid)
{
    FSIM_BEGIN(Machine);
    struct _EPROCESS *P = PspCreateProcess(ImageName);
    *Pid = P->ProcessId;
    FSIM_END(Machine, STATUS_SUCCESS);
}

static struct _EPROCESS *FsimProcess(FSIM_MACHINE *Machine, FSIM_PID Pid)
{
    (void)Machine;
    struct _EPROCESS *P = PspLookupProcess(Pid);
    if (P == NULL)
        KiSetLastError("no process with id %u", Pid);
    return P;
}

FSIM_STATUS FsimProcessExit(FSIM_MACHINE *Machine, FSIM_PID Pid)
{
    FSIM_BEGIN(Machine);
    struct _EPROCESS *P = FsimProcess(Machine, Pid);
    if (P == NULL)
        FSIM_END(Machine, STATUS_INVALID_PARAMETER);
    PspExitProcess(P);
    FSIM_END(Machine, STATUS_SUCCESS);
}

/* Run the body on the process's main thread at PASSIVE_LEVEL; a system
 * call must return at PASSIVE_LEVEL with balanced APC disabling. */
#define FSIM_SYSCALL_BEGIN(M, Pid)                                    \
    FSIM_BEGIN(M);                                                    \
    struct _EPROCESS *Process_ = FsimProcess(M, Pid);                 \
    if (Process_ == NULL)                                             \
        FSIM_END(M, STATUS_INVALID_PARAMETER);                        \
    PKTHREAD Previous_ = KiSwitchThread(Process_->MainThread)
#define FSIM_SYSCALL_END(M, Value)                                    \
    do {                                                              \
        FSIM_STATUS V_ = (FSIM_STATUS)(Value);                        \
        FsimCheckSystemServiceExit();                                 \
        KiSwitchThread(Previous_);                                    \
        FSIM_END(M, V_);                                              \
    } while (0)

static void FsimCheckSystemServiceExit(void)
{
    PKTHREAD T = KeGetCurrentThread();
    if (T->Irql != PASSIVE_LEVEL) {
        KiReportSetRootCause(KiFormat("a system call returned to user mode at IRQL %u", T->Irql));
        KeBugCheckEx(IRQL_GT_ZERO_AT_SYSTEM_SERVICE, 0, T->Irql, 0, 0);
    }
    if (T->KernelApcDisable != 0 || T->SpecialApcDisable != 0) {
        KiReportSetRootCause(KiFormat("a system call returned to user mode with kernel APCs disabled "
                                      "(KernelApcDisable %d): a KeEnterCriticalRegion without "
                                      "KeLeaveCriticalRegion", T->KernelApcDisable));
        KeBugCheckEx(APC_INDEX_MISMATCH, 0, 0, (ULONG_PTR)(LONG_PTR)T->KernelApcDisable, 0);
    }
}

FSIM_STATUS FsimNtCreateFile(FSIM_MACHINE *Machine, FSIM_PID Pid, const FSIM_CREATE *Create, FSIM_HANDLE *Handle,
                             uint64_t *Information)
{
    UNICODE_STRING Path;
    IO_STATUS_BLOCK Iosb = {{0}, 0};
    HANDLE H = NULL;
    FSIM_SYSCALL_BEGIN(Machine, Pid);
    if (!FsimString(Create->Path, &Path))
        FSIM_SYSCALL_END(Machine, STATUS_OBJECT_NAME_INVALID);
    NTSTATUS Status;
    {
        /* The system service's frames: the trap frame and the dispatcher,
         * then NtCreateFile (estimates, see sim/ke/frames.c). */
        KI_FRAME_SCOPE("nt", "KiSystemServiceCopyEnd", 0x200);
        KI_FRAME_SCOPE_2("nt", "NtCreateFile", 0x90);
        Status = IopCreateFile(Process_, &Path, Create->DesiredAccess | SYNCHRONIZE, Create->FileAttributes,
                               Create->ShareAccess, Create->CreateDisposition,
                               Create->CreateOptions | FILE_SYNCHRONOUS_IO_NONALERT, UserMode, NULL, &H, &Iosb, NULL);
    }
    FsimFreeString(&Path);
    *Handle = (FSIM_HANDLE)(ULONG_PTR)H;
    if (Information)
        *Information = Iosb.Information;
    FSIM_SYSCALL_END(Machine, Status);
}

FSIM_STATUS FsimNtReadFile(FSIM_MACHINE *Machine, FSIM_PID Pid, FSIM_HANDLE Handle, uint64_t ByteOffset, void *Buffer,
                           uint32_t Length, uint64_t *Information)
{
    IO_STATUS_BLOCK Iosb = {{0}, 0};
    LARGE_INTEGER Offset;
    FSIM_SYSCALL_BEGIN(Machine, Pid);
    PVOID User = MiAllocateUserBuffer(Process_, Length, 0);
    Offset.QuadPart = (LONGLONG)ByteOffset;
    NTSTATUS Status = IopReadWrite((HANDLE)(ULONG_PTR)Handle, FALSE, User, Length,
                                   ByteOffset == UINT64_MAX ? NULL : &Offset, &Iosb);
    if (NT_SUCCESS(Status) && Buffer)
        memcpy(Buffer, User, Iosb.Information < Length ? Iosb.Information : Length);
    MiFreeUserBuffer(Process_, User);
    if (Information)
        *Information = Iosb.Information;
    FSIM_SYSCALL_END(Machine, Status);
}

FSIM_STATUS FsimNtWriteFile(FSIM_MACHINE *Machine, FSIM_PID Pid, FSIM_HANDLE Handle, uint64_t ByteOffset,
                            const void *Buffer, uint32_t Length, uint64_t *Information)
{
    IO_STATUS_BLOCK Iosb = {{0}, 0};
    LARGE_INTEGER Offset;
    FSIM_SYSCALL_BEGIN(Machine, Pid);
    PVOID User = MiAllocateUserBuffer(Process_, Length, 0);
    if (Buffer)
        memcpy(User, Buffer, Length);
    Offset.QuadPart = (LONGLONG)ByteOffset;
    NTSTATUS Status = IopReadWrite((HANDLE)(ULONG_PTR)Handle, TRUE, User, Length,
                                   ByteOffset == UINT64_MAX ? NULL : &Offset, &Iosb);
    MiFreeUserBuffer(Process_, User);
    if (Information)
        *Information = Iosb.Information;
    FSIM_SYSCALL_END(Machine, Status);
}

FSIM_STATUS FsimReadMappedView(FSIM_MACHINE *Machine, FSIM_PID Pid, FSIM_HANDLE Handle, uint64_t ByteOffset,
                               void *Buffer, uint32_t Length, uint64_t *Information)
{
    IO_STATUS_BLOCK Iosb = {{0}, 0};
    FSIM_SYSCALL_BEGIN(Machine, Pid);
    PVOID User = MiAllocateUserBuffer(Process_, Length, 0);
    NTSTATUS Status = ByteOffset > INT64_MAX ? STATUS_INVALID_PARAMETER
                                             : MmpMapFileAndRead((HANDLE)(ULONG_PTR)Handle, (LONGLONG)ByteOffset,
                                                                 Length, User, &Iosb);
    if (NT_SUCCESS(Status) && Buffer)
        memcpy(Buffer, User, Length);
    MiFreeUserBuffer(Process_, User);
    if (Information)
        *Information = Iosb.Information;
    FSIM_SYSCALL_END(Machine, Status);
}

FSIM_STATUS FsimNtQueryInformationFile(FSIM_MACHINE *Machine, FSIM_PID Pid, FSIM_HANDLE Handle,
                                       uint32_t InformationClass, void *Buffer, uint32_t Length, uint64_t *Information)
{
    IO_STATUS_BLOCK Iosb = {{0}, 0};
    FSIM_SYSCALL_BEGIN(Machine, Pid);
    PVOID User = MiAllocateUserBuffer(Process_, Length, 0);
    NTSTATUS Status = IopQuerySetInformation((HANDLE)(ULONG_PTR)Handle, FALSE, InformationClass, User, Length, &Iosb);
    if (!NT_ERROR(Status) && Buffer)
        memcpy(Buffer, User, Length);
    MiFreeUserBuffer(Process_, User);
    if (Information)
        *Information = Iosb.Information;
    FSIM_SYSCALL_END(Machine, Status);
}

FSIM_STATUS FsimNtSetInformationFile(FSIM_MACHINE *Machine, FSIM_PID Pid, FSIM_HANDLE Handle,
                                     uint32_t InformationClass, const void *Buffer, uint32_t Length)
{
    IO_STATUS_BLOCK Iosb = {{0}, 0};
    FSIM_SYSCALL_BEGIN(Machine, Pid);
    PVOID User = MiAllocateUserBuffer(Process_, Length, 0);
    memcpy(User, Buffer, Length);
    NTSTATUS Status = IopQuerySetInformation((HANDLE)(ULONG_PTR)Handle, TRUE, InformationClass, User, Length, &Iosb);
    MiFreeUserBuffer(Process_, User);
    FSIM_SYSCALL_END(Machine, Status);
}

FSIM_STATUS FsimNtQuerySecurityObject(FSIM_MACHINE *Machine, FSIM_PID Pid, FSIM_HANDLE Handle,
                                      uint32_t SecurityInformation, void *Buffer, uint32_t Length,
                                      uint32_t *LengthNeeded)
{
    IO_STATUS_BLOCK Iosb = {{0}, 0};
    FSIM_SYSCALL_BEGIN(Machine, Pid);
    PVOID User = MiAllocateUserBuffer(Process_, Length, 0);
    NTSTATUS Status = IopQuerySecurity((HANDLE)(ULONG_PTR)Handle, SecurityInformation, User, Length, &Iosb);
    if (NT_SUCCESS(Status) && Buffer)
        memcpy(Buffer, User, Length);
    /* NtQuerySecurityObject turns the file system's STATUS_BUFFER_OVERFLOW
     * into STATUS_BUFFER_TOO_SMALL and returns the size needed. */
    if (Status == STATUS_BUFFER_OVERFLOW)
        Status = STATUS_BUFFER_TOO_SMALL;
    if (LengthNeeded)
        *LengthNeeded = (uint32_t)Iosb.Information;
    MiFreeUserBuffer(Process_, User);
    FSIM_SYSCALL_END(Machine, Status);
}

FSIM_STATUS FsimNtQueryDirectoryFile(FSIM_MACHINE *Machine, FSIM_PID Pid, FSIM_HANDLE Handle,
                                     uint32_t InformationClass, void *Buffer, uint32_t Length, int ReturnSingleEntry,
                                     const char *Pattern, int RestartScan, uint64_t *Information)
{
    IO_STATUS_BLOCK Iosb = {{0}, 0};
    UNICODE_STRING P = {0, 0, NULL};
    FSIM_SYSCALL_BEGIN(Machine, Pid);
    if (Pattern)
        FsimString(Pattern, &P);
    PVOID User = MiAllocateUserBuffer(Process_, Length, 0);
    NTSTATUS Status = IopQueryDirectory((HANDLE)(ULONG_PTR)Handle, InformationClass, User, Length,
                                        (BOOLEAN)(ReturnSingleEntry != 0), Pattern ? &P : NULL,
                                        (BOOLEAN)(RestartScan != 0), &Iosb);
    if (!NT_ERROR(Status) && Buffer)
        memcpy(Buffer, User, Length);
    MiFreeUserBuffer(Process_, User);
    if (Pattern)
        FsimFreeString(&P);
    if (Information)
        *Information = Iosb.Information;
    FSIM_SYSCALL_END(Machine, Status);
}

FSIM_STATUS FsimRunAsProcess(FSIM_MACHINE *Machine, FSIM_PID Pid, NTSTATUS (*Body)(struct _EPROCESS *, void *),
                             void *Context);
FSIM_STATUS FsimRunAsProcess(FSIM_MACHINE *Machine, FSIM_PID Pid, NTSTATUS (*Body)(struct _EPROCESS *, void *),
                             void *Context)
{
    FSIM_SYSCALL_BEGIN(Machine, Pid);
    NTSTATUS Status = Body(Process_, Context);
    FSIM_SYSCALL_END(Machine, Status);
}

FSIM_STATUS FsimVolumeAddRemote(FSIM_MACHINE *Machine, const char *Share, uint64_t LatencyNanoseconds, int Csc,
                                int Caching)
{
    extern NTSTATUS RdrAddShare(const char *Unc, ULONGLONG LatencyNs, BOOLEAN Csc, BOOLEAN Caching)
        __attribute__((weak));
    FSIM_BEGIN(Machine);
    if (RdrAddShare == NULL) {
        KiSetLastError("remote shares need the network redirector, which this build does not have");
        FSIM_END(Machine, STATUS_NOT_SUPPORTED);
    }
    FSIM_END(Machine, RdrAddShare(Share, LatencyNanoseconds, (BOOLEAN)(Csc != 0), (BOOLEAN)(Caching != 0)));
}

FSIM_STATUS FsimNtClose(FSIM_MACHINE *Machine, FSIM_PID Pid, FSIM_HANDLE Handle)
{
    FSIM_SYSCALL_BEGIN(Machine, Pid);
    NTSTATUS Status = ObpCloseHandle(Process_, (HANDLE)(ULONG_PTR)Handle);
    FSIM_SYSCALL_END(Machine, Status);
}

FSIM_STATUS FsimPortServe(FSIM_MACHINE *Machine, FSIM_PID Pid, const FSIM_PORT_SERVICE *Service)
{
    FSIM_SYSCALL_BEGIN(Machine, Pid);
    NTSTATUS Status = Service == NULL || Service->Port == NULL ? STATUS_INVALID_PARAMETER
                                                                : FsimpStartPortService(Process_, Service);
    FSIM_SYSCALL_END(Machine, Status);
}
