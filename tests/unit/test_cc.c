/*
 * test_cc.c - unit tests of the Cache Manager (sim/cc) and of localfs
 * reading and writing cached files through it.
 *
 * Host-API group (the passthrough sample loaded over C:): a cached read of
 * a file not yet cached shows the filter the user's IRP_MJ_READ and, nested
 * inside it, one paging read per missing page; reading it again shows none;
 * data written through the cache reads back and reaches the file when the
 * handle closes (paging writes the filter sees); the deepest stack of the
 * run holds the seed's frames from CcCopyRead down to IoPageReadEx.
 *
 * Kernel group (support/ts.h): a built-in "ccspy" legacy filter device is
 * attached on top of C:'s stack and records every read and write IRP - its
 * flags, offset, length, MDL, thread, nesting depth, top-level IRP, and the
 * simulated stack at the first paging read.  It checks the paging IRPs'
 * shape, Wait == FALSE, a request localfs posts to a worker, two threads
 * colliding on a page whose read is pending, CcFlushCache,
 * CcPurgeCacheSection, truncation through CcSetFileSizes, and the cache
 * maps' lifetime across cleanup with two file objects.
 *
 * Built with the kernel flags (-fshort-wchar): WCHAR and L"" are UTF-16.
 */
#include "support/ts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ST(x) ((uint32_t)(x))
#define ASSERT_ST(Expr, Want) assert_int_equal(ST(Expr), ST(Want))
#define PAGING_READ_FLAGS (IRP_PAGING_IO | IRP_NOCACHE | IRP_SYNCHRONOUS_PAGING_IO | IRP_INPUT_OPERATION)
#define PAGING_WRITE_FLAGS (IRP_PAGING_IO | IRP_NOCACHE | IRP_SYNCHRONOUS_PAGING_IO)

/* A byte of the test files' contents at Offset. */
static UCHAR Pattern(size_t Offset)
{
    return (UCHAR)((Offset * 7 + Offset / 4096) & 0xFF);
}

static void FillPattern(UCHAR *Buffer, size_t Length)
{
    for (size_t I = 0; I < Length; I++) {
        Buffer[I] = Pattern(I);
    }
}

/* ========================================================================= */
/* Host API with the passthrough sample                                      */
/* ========================================================================= */

#define MAX_LINES 512
static char *Lines[MAX_LINES];
static int LineCount;

static void Collect(void *Context, FSIM_LOG_KIND Kind, const char *Line)
{
    (void)Context;
    if (Kind == FSIM_LOG_DBGPRINT && LineCount < MAX_LINES) {
        Lines[LineCount++] = strdup(Line);
    }
}

static void ClearLines(void)
{
    for (int I = 0; I < LineCount; I++) {
        free(Lines[I]);
    }
    LineCount = 0;
}

static int CountLines(const char *Text)
{
    int N = 0;
    for (int I = 0; I < LineCount; I++) {
        if (strstr(Lines[I], Text) != NULL) {
            N++;
        }
    }
    return N;
}

static const char *DriverPath(const char *Name)
{
    static char Path[1024];
    const char *Dir = getenv("FLTSIM_DRIVERS");
    snprintf(Path, sizeof(Path), "%s/%s", Dir ? Dir : "build/drivers", Name);
    return Path;
}

#define BIG_SIZE (3 * 4096 + 100) /* four pages, the last one partly */

typedef struct HOST_TEST {
    FSIM_MACHINE *Machine;
    FSIM_PID Pid;
} HOST_TEST;

static int HostSetup(void **State)
{
    FSIM_MACHINE_OPTIONS Options;
    HOST_TEST *T = calloc(1, sizeof(HOST_TEST));
    UCHAR *Data = malloc(BIG_SIZE);

    memset(&Options, 0, sizeof(Options));
    Options.Seed = 1;
    T->Machine = FsimMachineCreate(&Options);
    assert_non_null(T->Machine);
    FsimSetLogCallback(T->Machine, Collect, NULL);
    ASSERT_ST(FsimVolumeAddLocal(T->Machine, "C:"), STATUS_SUCCESS);
    FillPattern(Data, BIG_SIZE);
    ASSERT_ST(FsimVolumeCreateFile(T->Machine, "C:\\big.bin", Data, BIG_SIZE), STATUS_SUCCESS);
    ASSERT_ST(FsimVolumeCreateFile(T->Machine, "C:\\small.txt", "0123456789", 10), STATUS_SUCCESS);
    free(Data);
    ASSERT_ST(FsimServiceCreate(T->Machine, "passthrough", DriverPath("passthrough.sys")), STATUS_SUCCESS);
    ASSERT_ST(FsimServiceAddInstance(T->Machine, "passthrough", "Upper", "370030", 0, 1), STATUS_SUCCESS);
    ASSERT_ST(FsimDriverLoad(T->Machine, "passthrough"), STATUS_SUCCESS);
    ASSERT_ST(FsimProcessCreate(T->Machine, "app.exe", &T->Pid), STATUS_SUCCESS);
    ClearLines();
    *State = T;
    return 0;
}

static int HostTeardown(void **State)
{
    HOST_TEST *T = *State;

    assert_int_equal(FsimMachineState(T->Machine), FSIM_STATE_RUNNING);
    ASSERT_ST(FsimProcessExit(T->Machine, T->Pid), STATUS_SUCCESS);
    FsimMachineDestroy(T->Machine);
    ClearLines();
    free(T);
    return 0;
}

static FSIM_HANDLE HostOpen(HOST_TEST *T, const char *Path)
{
    FSIM_CREATE Create;
    FSIM_HANDLE Handle = 0;

    memset(&Create, 0, sizeof(Create));
    Create.Path = Path;
    Create.DesiredAccess = FILE_GENERIC_READ | FILE_GENERIC_WRITE;
    Create.ShareAccess = FILE_SHARE_READ | FILE_SHARE_WRITE;
    Create.CreateDisposition = FILE_OPEN;
    Create.CreateOptions = FILE_NON_DIRECTORY_FILE;
    ASSERT_ST(FsimNtCreateFile(T->Machine, T->Pid, &Create, &Handle, NULL), STATUS_SUCCESS);
    return Handle;
}

static void test_cached_read_miss_shows_nested_paging_reads(void **State)
{
    HOST_TEST *T = *State;
    FSIM_HANDLE H = HostOpen(T, "C:\\big.bin");
    UCHAR *Data = malloc(BIG_SIZE);
    UCHAR *Want = malloc(BIG_SIZE);
    uint64_t Info = 0;

    FillPattern(Want, BIG_SIZE);
    ClearLines();
    ASSERT_ST(FsimNtReadFile(T->Machine, T->Pid, H, 0, Data, BIG_SIZE, &Info), STATUS_SUCCESS);
    assert_int_equal(Info, BIG_SIZE);
    assert_memory_equal(Data, Want, BIG_SIZE);
    /* The user's read plus one paging read per page, each nested inside it:
     * pre (user), then pre/post per page, then the user's post last. */
    assert_int_equal(CountLines("pre  IRP_MJ_READ"), 1 + 4);
    assert_int_equal(CountLines("post IRP_MJ_READ"), 1 + 4);
    assert_int_equal(LineCount, 10);
    assert_non_null(strstr(Lines[0], "pre  IRP_MJ_READ"));
    for (int I = 0; I < 4; I++) {
        assert_non_null(strstr(Lines[1 + 2 * I], "pre  IRP_MJ_READ"));
        assert_non_null(strstr(Lines[2 + 2 * I], "post IRP_MJ_READ"));
    }
    assert_non_null(strstr(Lines[9], "post IRP_MJ_READ"));

    /* Everything is resident now: no paging read, whatever part is read. */
    ClearLines();
    memset(Data, 0, BIG_SIZE);
    ASSERT_ST(FsimNtReadFile(T->Machine, T->Pid, H, 0, Data, BIG_SIZE, &Info), STATUS_SUCCESS);
    assert_memory_equal(Data, Want, BIG_SIZE);
    ASSERT_ST(FsimNtReadFile(T->Machine, T->Pid, H, 5000, Data, 100, &Info), STATUS_SUCCESS);
    assert_memory_equal(Data, Want + 5000, 100);
    assert_int_equal(CountLines("pre  IRP_MJ_READ"), 2);
    assert_int_equal(LineCount, 4);

    /* The end of file still ends reads. */
    ASSERT_ST(FsimNtReadFile(T->Machine, T->Pid, H, BIG_SIZE, Data, 10, &Info), STATUS_END_OF_FILE);
    ASSERT_ST(FsimNtClose(T->Machine, T->Pid, H), STATUS_SUCCESS);
    free(Data);
    free(Want);
}

static void test_partial_read_reads_only_the_missing_pages(void **State)
{
    HOST_TEST *T = *State;
    FSIM_HANDLE H = HostOpen(T, "C:\\big.bin");
    UCHAR Data[64];
    uint64_t Info = 0;

    ClearLines();
    /* 64 bytes across the boundary of pages 1 and 2: two paging reads. */
    ASSERT_ST(FsimNtReadFile(T->Machine, T->Pid, H, 2 * 4096 - 32, Data, sizeof(Data), &Info), STATUS_SUCCESS);
    assert_int_equal(Info, sizeof(Data));
    for (size_t I = 0; I < sizeof(Data); I++) {
        assert_int_equal(Data[I], Pattern(2 * 4096 - 32 + I));
    }
    assert_int_equal(CountLines("pre  IRP_MJ_READ"), 1 + 2);
    /* Page 2 is resident, page 3 is not. */
    ClearLines();
    ASSERT_ST(FsimNtReadFile(T->Machine, T->Pid, H, 3 * 4096 - 10, Data, 20, &Info), STATUS_SUCCESS);
    assert_int_equal(CountLines("pre  IRP_MJ_READ"), 1 + 1);
    ASSERT_ST(FsimNtClose(T->Machine, T->Pid, H), STATUS_SUCCESS);
}

static void test_write_through_cache_reaches_the_file_at_close(void **State)
{
    HOST_TEST *T = *State;
    FSIM_HANDLE H = HostOpen(T, "C:\\small.txt");
    char Data[32];
    uint64_t Info = 0;

    ClearLines();
    /* A write into the middle of a page with valid data reads the page first. */
    ASSERT_ST(FsimNtWriteFile(T->Machine, T->Pid, H, 2, "abc", 3, &Info), STATUS_SUCCESS);
    assert_int_equal(Info, 3);
    assert_int_equal(CountLines("pre  IRP_MJ_WRITE"), 1);
    assert_int_equal(CountLines("pre  IRP_MJ_READ"), 1);
    /* Read back from the cache: no more I/O. */
    ClearLines();
    memset(Data, 0, sizeof(Data));
    ASSERT_ST(FsimNtReadFile(T->Machine, T->Pid, H, 0, Data, 10, &Info), STATUS_SUCCESS);
    assert_int_equal(Info, 10);
    assert_memory_equal(Data, "01abc56789", 10);
    assert_int_equal(CountLines("IRP_MJ_READ"), 2);
    /* Extending write: the file grows, the new page needs no read. */
    ASSERT_ST(FsimNtWriteFile(T->Machine, T->Pid, H, 4096 + 6, "tail", 4, &Info), STATUS_SUCCESS);
    ASSERT_ST(FsimNtReadFile(T->Machine, T->Pid, H, 4096, Data, 32, &Info), STATUS_SUCCESS);
    assert_int_equal(Info, 10);
    assert_memory_equal(Data, "\0\0\0\0\0\0tail", 10);
    assert_int_equal(CountLines("pre  IRP_MJ_READ"), 2);

    /* The last handle: the two dirty pages are written with one paging write. */
    ClearLines();
    ASSERT_ST(FsimNtClose(T->Machine, T->Pid, H), STATUS_SUCCESS);
    assert_int_equal(CountLines("pre  IRP_MJ_WRITE"), 1);
    assert_int_equal(CountLines("post IRP_MJ_WRITE status=0x00000000"), 1);

    /* A new open caches the file anew: the data comes from the file. */
    H = HostOpen(T, "C:\\small.txt");
    ClearLines();
    memset(Data, 0, sizeof(Data));
    ASSERT_ST(FsimNtReadFile(T->Machine, T->Pid, H, 0, Data, 10, &Info), STATUS_SUCCESS);
    assert_memory_equal(Data, "01abc56789", 10);
    ASSERT_ST(FsimNtReadFile(T->Machine, T->Pid, H, 4096 + 6, Data, 10, &Info), STATUS_SUCCESS);
    assert_int_equal(Info, 4);
    assert_memory_equal(Data, "tail", 4);
    assert_int_equal(CountLines("pre  IRP_MJ_READ"), 2 + 2);
    ClearLines();
    ASSERT_ST(FsimNtClose(T->Machine, T->Pid, H), STATUS_SUCCESS);
    assert_int_equal(CountLines("IRP_MJ_WRITE"), 0); /* nothing dirty */
}

static void test_deepest_stack_holds_the_seed_frames(void **State)
{
    static const struct {
        const char *Function;
        uint32_t Bytes;
    } Seed[] = {
        /* innermost first, as the profile lists them */
        {"IofCallDriver", 0x40},         {"IoPageReadEx", 0x70},         {"MiPageRead", 0x50},
        {"MiPfExecuteReadList", 0x70},   {"MmPrefetchForCacheManager", 0x60}, {"CcFetchDataForRead", 0x60},
        {"CcMapAndCopyFromCache", 0xa0}, {"CcCopyReadEx", 0xb0},         {"CcCopyRead", 0x50},
    };
    HOST_TEST *T = *State;
    FSIM_HANDLE H = HostOpen(T, "C:\\big.bin");
    FSIM_STACK_PROFILE Profile;
    UCHAR Data[16];
    uint64_t Info = 0;
    size_t At, I;

    ASSERT_ST(FsimNtReadFile(T->Machine, T->Pid, H, 0, Data, sizeof(Data), &Info), STATUS_SUCCESS);
    assert_int_equal(FsimGetDeepestStack(T->Machine, &Profile), 1);
    for (At = 0; At < Profile.FrameCount; At++) {
        if (strcmp(Profile.Frames[At].Function, "IoPageReadEx") == 0) {
            break;
        }
    }
    assert_true(At > 0 && At + 7 < Profile.FrameCount);
    At--; /* IofCallDriver, just inside IoPageReadEx */
    for (I = 0; I < sizeof(Seed) / sizeof(Seed[0]); I++) {
        assert_string_equal(Profile.Frames[At + I].Module, "nt");
        assert_string_equal(Profile.Frames[At + I].Function, Seed[I].Function);
        assert_int_equal(Profile.Frames[At + I].Bytes, Seed[I].Bytes);
    }
    /* Above CcCopyRead: localfs's NTFS read frames; below IofCallDriver: FltMgr again. */
    assert_string_equal(Profile.Frames[At + I].Function, "NtfsCommonRead");
    assert_int_equal(Profile.Frames[At + I].Bytes, 0x1c0);
    assert_string_equal(Profile.Frames[At + I + 1].Function, "NtfsFsdRead");
    assert_int_equal(Profile.Frames[At + I + 1].Bytes, 0xb0);
    assert_string_equal(Profile.Frames[At - 1].Module, "FLTMGR");
    ASSERT_ST(FsimNtClose(T->Machine, T->Pid, H), STATUS_SUCCESS);
}

/* ========================================================================= */
/* Kernel code with a spy filter device on top of C:                          */
/* ========================================================================= */

#define SPY_MAX 64

typedef struct SPY_RECORD {
    UCHAR Major;
    ULONG Flags;
    LONGLONG Offset;
    ULONG Length;
    PMDL Mdl;
    CSHORT MdlFlags;
    ULONG MdlByteCount;
    ULONG MdlByteOffset;
    PVOID UserBuffer;
    PKTHREAD Thread;
    PKTHREAD IrpThread;
    ULONG Depth;
    PFILE_OBJECT FileObject;
    PIRP TopLevel;
    PIRP Irp;
} SPY_RECORD;

static struct {
    PDEVICE_OBJECT Device;
    PDEVICE_OBJECT Lower;
    SPY_RECORD Log[SPY_MAX];
    ULONG Count;
    ULONG Depth;
    BOOLEAN PendPagingReads;      /* forward paging reads later from a worker */
    KI_FRAME Frames[KI_MAX_FRAMES];
    ULONG FrameCount;             /* the stack at the first paging read */
} Spy;

typedef struct SPY_WORK {
    WORK_QUEUE_ITEM Item;
    PIRP Irp;
} SPY_WORK;

static VOID NTAPI SpyForwardLater(PVOID Context)
{
    SPY_WORK *Work = Context;
    PIRP Irp = Work->Irp;
    LARGE_INTEGER Delay;

    ExFreePoolWithTag(Work, 'ypSC');
    /* Let the other threads run into the page this read is filling. */
    Delay.QuadPart = -10 * 1000 * 10; /* 10 ms */
    (void)KeDelayExecutionThread(KernelMode, FALSE, &Delay);
    IoCopyCurrentIrpStackLocationToNext(Irp);
    (void)IoCallDriver(Spy.Lower, Irp);
}

static NTSTATUS SpyDispatch(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Sp = IoGetCurrentIrpStackLocation(Irp);
    NTSTATUS Status;

    (void)DeviceObject;
    if ((Sp->MajorFunction == IRP_MJ_READ || Sp->MajorFunction == IRP_MJ_WRITE) && Spy.Count < SPY_MAX) {
        SPY_RECORD *R = &Spy.Log[Spy.Count++];
        R->Major = Sp->MajorFunction;
        R->Flags = Irp->Flags;
        R->Offset = Sp->Parameters.Read.ByteOffset.QuadPart;
        R->Length = Sp->Parameters.Read.Length;
        R->Mdl = Irp->MdlAddress;
        if (Irp->MdlAddress != NULL) {
            R->MdlFlags = Irp->MdlAddress->MdlFlags;
            R->MdlByteCount = Irp->MdlAddress->ByteCount;
            R->MdlByteOffset = Irp->MdlAddress->ByteOffset;
        }
        R->UserBuffer = Irp->UserBuffer;
        R->Thread = KeGetCurrentThread();
        R->IrpThread = (PKTHREAD)Irp->Tail.Overlay.Thread;
        R->Depth = Spy.Depth + 1;
        R->FileObject = Sp->FileObject;
        R->TopLevel = IoGetTopLevelIrp();
        R->Irp = Irp;
        if ((Irp->Flags & IRP_PAGING_IO) && Sp->MajorFunction == IRP_MJ_READ) {
            if (Spy.FrameCount == 0) {
                PKTHREAD T = KeGetCurrentThread();
                memcpy(Spy.Frames, T->Frames, T->FrameCount * sizeof(KI_FRAME));
                Spy.FrameCount = T->FrameCount;
            }
            if (Spy.PendPagingReads) {
                SPY_WORK *Work = ExAllocatePoolWithTag(NonPagedPoolNx, sizeof(SPY_WORK), 'ypSC');
                assert_non_null(Work);
                Work->Irp = Irp;
                IoMarkIrpPending(Irp);
                ExInitializeWorkItem(&Work->Item, SpyForwardLater, Work);
                ExQueueWorkItem(&Work->Item, DelayedWorkQueue);
                return STATUS_PENDING;
            }
        }
    }
    IoSkipCurrentIrpStackLocation(Irp);
    Spy.Depth++;
    Status = IoCallDriver(Spy.Lower, Irp);
    Spy.Depth--;
    return Status;
}

static NTSTATUS SpyDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    (void)RegistryPath;
    for (ULONG I = 0; I <= IRP_MJ_MAXIMUM_FUNCTION; I++) {
        DriverObject->MajorFunction[I] = SpyDispatch;
    }
    return STATUS_SUCCESS;
}

static void SpyAttach(void)
{
    PDRIVER_OBJECT Driver = IopCreateBuiltinDriver("\\Driver\\ccspy", "ccspy", SpyDriverEntry);
    IOP_VOLUME *Volume = IopGetVolume(0);

    memset(&Spy, 0, sizeof(Spy));
    ASSERT_ST(IoCreateDevice(Driver, 0, NULL, FILE_DEVICE_DISK_FILE_SYSTEM, 0, FALSE, &Spy.Device),
              STATUS_SUCCESS);
    Spy.Lower = IoAttachDeviceToDeviceStack(Spy.Device, Volume->VolumeDevice);
    assert_non_null(Spy.Lower);
    Spy.Device->Flags &= ~DO_DEVICE_INITIALIZING;
}

static void SpyDetach(void)
{
    IoDetachDevice(Spy.Lower);
    IoDeleteDevice(Spy.Device);
}

static void SpyClear(void)
{
    Spy.Count = 0;
}

static ULONG SpyCountPaging(UCHAR Major)
{
    ULONG N = 0;
    for (ULONG I = 0; I < Spy.Count; I++) {
        if (Spy.Log[I].Major == Major && (Spy.Log[I].Flags & IRP_PAGING_IO)) {
            N++;
        }
    }
    return N;
}

typedef struct KFILE {
    HANDLE Handle;
    PFILE_OBJECT FileObject;
} KFILE;

static void KOpen(const WCHAR *Path, ULONG Disposition, BOOLEAN Synchronous, KFILE *File)
{
    UNICODE_STRING Name;
    IO_STATUS_BLOCK Iosb;
    USHORT Count = 0;

    while (Path[Count] != 0) {
        Count++;
    }
    Name.Buffer = (PWCH)Path;
    Name.Length = (USHORT)(Count * sizeof(WCHAR));
    Name.MaximumLength = Name.Length;
    ASSERT_ST(IopCreateFile(KiMachine->SystemProcess, &Name, FILE_GENERIC_READ | FILE_GENERIC_WRITE | DELETE, 0,
                            FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, Disposition,
                            FILE_NON_DIRECTORY_FILE | (Synchronous ? FILE_SYNCHRONOUS_IO_NONALERT : 0), KernelMode,
                            NULL, &File->Handle, &Iosb, &File->FileObject),
              STATUS_SUCCESS);
}

static void KClose(KFILE *File)
{
    ASSERT_ST(ZwClose(File->Handle), STATUS_SUCCESS);
    ObDereferenceObject(File->FileObject);
}

/* The issuer's completion routine: the IRP is its own, stopped here and
 * freed after the wait (IoAllocateIrp's documented pattern). */
static NTSTATUS KStopCompletion(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    (void)DeviceObject;
    (void)Irp;
    KeSetEvent((PKEVENT)Context, IO_NO_INCREMENT, FALSE);
    return STATUS_MORE_PROCESSING_REQUIRED;
}

/* A read or write IRP for the top of File's stack, sent and waited for. */
static NTSTATUS KReadWrite(KFILE *File, UCHAR Major, LONGLONG Offset, PVOID Buffer, ULONG Length, ULONG ExtraFlags,
                           ULONG_PTR *Information, PIRP *Sent)
{
    PDEVICE_OBJECT Device = IoGetRelatedDeviceObject(File->FileObject);
    PIRP Irp = IoAllocateIrp(Device->StackSize, FALSE);
    PIO_STACK_LOCATION Sp;
    KEVENT Done;
    NTSTATUS Status;

    assert_non_null(Irp);
    KeInitializeEvent(&Done, NotificationEvent, FALSE);
    Irp->RequestorMode = KernelMode;
    Irp->Tail.Overlay.Thread = (PETHREAD)KeGetCurrentThread();
    Irp->Tail.Overlay.OriginalFileObject = File->FileObject;
    Irp->UserBuffer = Buffer;
    Irp->Flags |= ExtraFlags | (Major == IRP_MJ_READ ? IRP_READ_OPERATION : IRP_WRITE_OPERATION);
    Sp = IoGetNextIrpStackLocation(Irp);
    Sp->MajorFunction = Major;
    Sp->FileObject = File->FileObject;
    Sp->Parameters.Read.ByteOffset.QuadPart = Offset;
    Sp->Parameters.Read.Length = Length;
    IoSetCompletionRoutine(Irp, KStopCompletion, &Done, TRUE, TRUE, TRUE);
    if (Sent != NULL) {
        *Sent = Irp;
    }
    Status = IoCallDriver(Device, Irp);
    if (Status == STATUS_PENDING) {
        ASSERT_ST(KeWaitForSingleObject(&Done, Executive, KernelMode, FALSE, NULL), STATUS_SUCCESS);
        Status = Irp->IoStatus.Status;
    }
    assert_int_equal(ST(Status), ST(Irp->IoStatus.Status));
    if (Information != NULL) {
        *Information = Irp->IoStatus.Information;
    }
    IoFreeIrp(Irp);
    return Status;
}

static NTSTATUS KRead(KFILE *File, LONGLONG Offset, PVOID Buffer, ULONG Length, ULONG_PTR *Information)
{
    return KReadWrite(File, IRP_MJ_READ, Offset, Buffer, Length, IRP_SYNCHRONOUS_API, Information, NULL);
}

static NTSTATUS KWrite(KFILE *File, LONGLONG Offset, const void *Buffer, ULONG Length)
{
    return KReadWrite(File, IRP_MJ_WRITE, Offset, (PVOID)Buffer, Length, IRP_SYNCHRONOUS_API, NULL, NULL);
}

static NTSTATUS KSetEndOfFile(KFILE *File, LONGLONG Size)
{
    PDEVICE_OBJECT Device = IoGetRelatedDeviceObject(File->FileObject);
    PIRP Irp = IoAllocateIrp(Device->StackSize, FALSE);
    FILE_END_OF_FILE_INFORMATION Eof;
    PIO_STACK_LOCATION Sp;
    KEVENT Done;
    NTSTATUS Status;

    Eof.EndOfFile.QuadPart = Size;
    Irp->RequestorMode = KernelMode;
    Irp->Tail.Overlay.Thread = (PETHREAD)KeGetCurrentThread();
    Irp->AssociatedIrp.SystemBuffer = &Eof;
    Sp = IoGetNextIrpStackLocation(Irp);
    Sp->MajorFunction = IRP_MJ_SET_INFORMATION;
    Sp->FileObject = File->FileObject;
    Sp->Parameters.SetFile.Length = sizeof(Eof);
    Sp->Parameters.SetFile.FileInformationClass = FileEndOfFileInformation;
    KeInitializeEvent(&Done, NotificationEvent, FALSE);
    IoSetCompletionRoutine(Irp, KStopCompletion, &Done, TRUE, TRUE, TRUE);
    Status = IoCallDriver(Device, Irp);
    ASSERT_ST(KeWaitForSingleObject(&Done, Executive, KernelMode, FALSE, NULL), STATUS_SUCCESS);
    Status = Irp->IoStatus.Status;
    IoFreeIrp(Irp);
    return Status;
}

static FSIM_MACHINE *KMachine(void)
{
    FSIM_MACHINE *M = TsCreate(0);
    UCHAR *Data = malloc(BIG_SIZE);

    FillPattern(Data, BIG_SIZE);
    ASSERT_ST(FsimVolumeAddLocal(M, "C:"), STATUS_SUCCESS);
    ASSERT_ST(FsimVolumeCreateFile(M, "C:\\big.bin", Data, BIG_SIZE), STATUS_SUCCESS);
    ASSERT_ST(FsimVolumeCreateFile(M, "C:\\small.txt", "0123456789", 10), STATUS_SUCCESS);
    free(Data);
    return M;
}

static void KRun(TS_BODY *Body)
{
    FSIM_MACHINE *M = KMachine();

    assert_int_equal(TsRun(M, Body, NULL), 0);
    assert_int_equal(FsimMachineState(M), FSIM_STATE_RUNNING);
    FsimMachineDestroy(M);
}

/* --- the paging read's shape ------------------------------------------------- */

static void PagingReadShapeBody(void *Context)
{
    static const char *const Seed[] = {"CcCopyRead", "CcCopyReadEx", "CcMapAndCopyFromCache", "CcFetchDataForRead",
                                       "MmPrefetchForCacheManager", "MiPfExecuteReadList", "MiPageRead",
                                       "IoPageReadEx", "IofCallDriver"};
    KFILE File;
    UCHAR Buffer[6000];
    ULONG_PTR Info;
    PIRP UserIrp;
    ULONG I, At;

    (void)Context;
    SpyAttach();
    KOpen(L"C:\\big.bin", FILE_OPEN, TRUE, &File);
    assert_true(File.FileObject->Flags & FO_CACHE_SUPPORTED);
    assert_false(CcIsFileCached(File.FileObject));

    /* Bytes 100..6099: pages 0 and 1. */
    ASSERT_ST(KReadWrite(&File, IRP_MJ_READ, 100, Buffer, sizeof(Buffer), IRP_SYNCHRONOUS_API, &Info, &UserIrp),
              STATUS_SUCCESS);
    assert_int_equal(Info, sizeof(Buffer));
    for (I = 0; I < sizeof(Buffer); I++) {
        assert_int_equal(Buffer[I], Pattern(100 + I));
    }
    assert_true(CcIsFileCached(File.FileObject));
    assert_non_null(File.FileObject->PrivateCacheMap);
    assert_ptr_equal(CcGetFileObjectFromSectionPtrs(File.FileObject->SectionObjectPointer), File.FileObject);

    assert_int_equal(Spy.Count, 3);
    /* The user's read, then the two paging reads nested inside it. */
    assert_int_equal(Spy.Log[0].Depth, 1);
    assert_false(Spy.Log[0].Flags & IRP_PAGING_IO);
    for (I = 1; I <= 2; I++) {
        SPY_RECORD *R = &Spy.Log[I];
        assert_int_equal(R->Major, IRP_MJ_READ);
        assert_int_equal(R->Flags, PAGING_READ_FLAGS);
        assert_int_equal(R->Depth, 2);
        assert_int_equal(R->Offset, (LONGLONG)(I - 1) * PAGE_SIZE);
        assert_int_equal(R->Length, PAGE_SIZE);
        assert_non_null(R->Mdl);
        assert_int_equal(R->MdlFlags & (MDL_PAGES_LOCKED | MDL_IO_PAGE_READ), MDL_PAGES_LOCKED | MDL_IO_PAGE_READ);
        assert_int_equal(R->MdlByteCount, PAGE_SIZE);
        assert_int_equal(R->MdlByteOffset, 0);
        assert_int_equal(BYTE_OFFSET(R->UserBuffer), 0);
        assert_ptr_equal(R->Thread, KeGetCurrentThread());    /* on the same thread */
        assert_ptr_equal(R->IrpThread, KeGetCurrentThread());
        assert_ptr_equal(R->FileObject, File.FileObject);
        assert_ptr_equal(R->TopLevel, UserIrp);                /* localfs's request is top level */
    }
    assert_null(IoGetTopLevelIrp());

    /* The stack at the paging read: NTFS's read, then the seed's frames in order. */
    for (At = 0; At < Spy.FrameCount; At++) {
        if (strcmp(Spy.Frames[At].Function, "CcCopyRead") == 0) {
            break;
        }
    }
    assert_true(At >= 2 && At + 9 < Spy.FrameCount);
    assert_string_equal(Spy.Frames[At - 2].Function, "NtfsFsdRead");
    assert_string_equal(Spy.Frames[At - 1].Function, "NtfsCommonRead");
    for (I = 0; I < sizeof(Seed) / sizeof(Seed[0]); I++) {
        assert_string_equal(Spy.Frames[At + I].Module, "nt");
        assert_string_equal(Spy.Frames[At + I].Function, Seed[I]);
        assert_false(Spy.Frames[At + I].Estimate);
    }
    assert_string_equal(Spy.Frames[At + I].Module, "ccspy"); /* the spy, entered a second time */

    /* A second read of the same range: no paging I/O. */
    SpyClear();
    ASSERT_ST(KRead(&File, 100, Buffer, sizeof(Buffer), &Info), STATUS_SUCCESS);
    assert_int_equal(Spy.Count, 1);

    /* A read past the end of file: what there is, pages read once. */
    SpyClear();
    ASSERT_ST(KRead(&File, BIG_SIZE - 50, Buffer, 200, &Info), STATUS_SUCCESS);
    assert_int_equal(Info, 50);
    assert_int_equal(SpyCountPaging(IRP_MJ_READ), 1);
    for (I = 0; I < 50; I++) {
        assert_int_equal(Buffer[I], Pattern(BIG_SIZE - 50 + I));
    }

    /* The last cleanup tears the cache down; nothing was dirty. */
    SpyClear();
    ASSERT_ST(ZwClose(File.Handle), STATUS_SUCCESS);
    assert_null(File.FileObject->PrivateCacheMap);
    assert_false(CcIsFileCached(File.FileObject));
    assert_int_equal(Spy.Count, 0);
    ObDereferenceObject(File.FileObject);
    SpyDetach();
}

static void test_paging_read_shape(void **State)
{
    (void)State;
    KRun(PagingReadShapeBody);
}

/* --- Wait == FALSE, and localfs posting ---------------------------------------- */

static void NoWaitBody(void *Context)
{
    KFILE File, Async;
    UCHAR Buffer[100];
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Offset;
    ULONG_PTR Info;
    ULONG I;

    (void)Context;
    SpyAttach();
    KOpen(L"C:\\big.bin", FILE_OPEN, TRUE, &File);
    ASSERT_ST(KRead(&File, 0, Buffer, 10, &Info), STATUS_SUCCESS); /* caches page 0 */
    assert_int_equal(SpyCountPaging(IRP_MJ_READ), 1);

    /* Page 1 is not resident: CcCopyRead refuses to wait, copies nothing. */
    SpyClear();
    Offset.QuadPart = PAGE_SIZE + 8;
    memset(Buffer, 0xEE, sizeof(Buffer));
    assert_false(CcCopyRead(File.FileObject, &Offset, 16, FALSE, Buffer, &Iosb));
    assert_int_equal(Spy.Count, 0);
    assert_int_equal(Buffer[0], 0xEE);
    /* Page 0 is: it copies at once. */
    Offset.QuadPart = 8;
    assert_true(CcCopyRead(File.FileObject, &Offset, 16, FALSE, Buffer, &Iosb));
    ASSERT_ST(Iosb.Status, STATUS_SUCCESS);
    assert_int_equal(Iosb.Information, 16);
    assert_int_equal(Buffer[0], Pattern(8));
    /* Wait == TRUE reads the missing page. */
    Offset.QuadPart = PAGE_SIZE + 8;
    assert_true(CcCopyRead(File.FileObject, &Offset, 16, TRUE, Buffer, &Iosb));
    assert_int_equal(Buffer[0], Pattern(PAGE_SIZE + 8));
    assert_int_equal(SpyCountPaging(IRP_MJ_READ), 1);
    /* CcCopyWrite with Wait == FALSE: a partly written page not resident needs a read. */
    Offset.QuadPart = 2 * PAGE_SIZE + 1;
    assert_false(CcCopyWrite(File.FileObject, &Offset, 2, FALSE, "zz"));
    assert_int_equal(SpyCountPaging(IRP_MJ_READ), 1);

    /* An asynchronous request whose cached copy would block is posted:
     * STATUS_PENDING, then a worker does the read (and its paging read). */
    KOpen(L"C:\\big.bin", FILE_OPEN, FALSE, &Async);
    SpyClear();
    memset(Buffer, 0, sizeof(Buffer));
    ASSERT_ST(KReadWrite(&Async, IRP_MJ_READ, 3 * PAGE_SIZE, Buffer, sizeof(Buffer), 0, &Info, NULL),
              STATUS_SUCCESS);
    assert_int_equal(Info, 100);
    for (I = 0; I < 100; I++) {
        assert_int_equal(Buffer[I], Pattern(3 * PAGE_SIZE + I));
    }
    assert_int_equal(Spy.Count, 2);
    assert_ptr_equal(Spy.Log[0].Thread, KeGetCurrentThread());
    assert_int_equal(Spy.Log[1].Flags, PAGING_READ_FLAGS);
    assert_ptr_not_equal(Spy.Log[1].Thread, KeGetCurrentThread()); /* the worker */
    assert_true(Spy.Log[1].Thread->SystemThread);
    /* Now resident: the asynchronous request completes at once. */
    SpyClear();
    ASSERT_ST(KReadWrite(&Async, IRP_MJ_READ, 3 * PAGE_SIZE, Buffer, sizeof(Buffer), 0, &Info, NULL),
              STATUS_SUCCESS);
    assert_int_equal(Spy.Count, 1);

    KClose(&Async);
    KClose(&File);
    SpyDetach();
}

static void test_no_wait_and_posting(void **State)
{
    (void)State;
    KRun(NoWaitBody);
}

/* --- two threads, one pending paging read ---------------------------------------- */

static UCHAR SecondBuffer[32];
static KFILE Shared;

static VOID NTAPI SecondReader(PVOID Context)
{
    ULONG_PTR Info;

    (void)Context;
    ASSERT_ST(KRead(&Shared, 16, SecondBuffer, sizeof(SecondBuffer), &Info), STATUS_SUCCESS);
    assert_int_equal(Info, sizeof(SecondBuffer));
}

static void CollidedReadBody(void *Context)
{
    UCHAR Buffer[32];
    ULONG_PTR Info;
    PKTHREAD Second;

    (void)Context;
    SpyAttach();
    Spy.PendPagingReads = TRUE;
    KOpen(L"C:\\big.bin", FILE_OPEN, TRUE, &Shared);
    Second = KiCreateSystemThread(KiMachine->SystemProcess, "second reader", SecondReader, NULL);
    /* This thread misses page 0; its paging read pends; the second thread
     * finds the page being read and waits for that read instead of issuing
     * its own. */
    ASSERT_ST(KRead(&Shared, 0, Buffer, sizeof(Buffer), &Info), STATUS_SUCCESS);
    ASSERT_ST(KeWaitForSingleObject(Second, Executive, KernelMode, FALSE, NULL), STATUS_SUCCESS);
    for (ULONG I = 0; I < sizeof(Buffer); I++) {
        assert_int_equal(Buffer[I], Pattern(I));
        assert_int_equal(SecondBuffer[I], Pattern(16 + I));
    }
    assert_int_equal(SpyCountPaging(IRP_MJ_READ), 1);
    assert_int_equal(Spy.Count, 3); /* two user reads, one paging read */
    Spy.PendPagingReads = FALSE;
    KClose(&Shared);
    SpyDetach();
}

static void test_collided_read_waits_for_the_pending_paging_read(void **State)
{
    (void)State;
    KRun(CollidedReadBody);
}

/* --- flush, purge, truncation ------------------------------------------------------- */

static void FlushPurgeBody(void *Context)
{
    KFILE File;
    UCHAR Buffer[2 * 4096 + 16];
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Offset;
    ULONG_PTR Info;
    PSECTION_OBJECT_POINTERS Pointers;
    ULONG I;

    (void)Context;
    SpyAttach();
    KOpen(L"C:\\new.bin", FILE_CREATE, TRUE, &File);
    Pointers = File.FileObject->SectionObjectPointer;

    /* Two fresh pages: no paging read (nothing valid to keep), both dirty. */
    for (I = 0; I < 2 * PAGE_SIZE; I++) {
        Buffer[I] = (UCHAR)(I ^ 0x5A);
    }
    ASSERT_ST(KWrite(&File, 0, Buffer, 2 * PAGE_SIZE), STATUS_SUCCESS);
    assert_int_equal(SpyCountPaging(IRP_MJ_READ), 0);
    assert_int_equal(SpyCountPaging(IRP_MJ_WRITE), 0);

    /* CcFlushCache: one paging write for the two consecutive dirty pages. */
    SpyClear();
    CcFlushCache(Pointers, NULL, 0, &Iosb);
    ASSERT_ST(Iosb.Status, STATUS_SUCCESS);
    assert_int_equal(Iosb.Information, 2 * PAGE_SIZE);
    assert_int_equal(Spy.Count, 1);
    assert_int_equal(Spy.Log[0].Major, IRP_MJ_WRITE);
    assert_int_equal(Spy.Log[0].Flags, PAGING_WRITE_FLAGS);
    assert_int_equal(Spy.Log[0].Offset, 0);
    assert_int_equal(Spy.Log[0].Length, 2 * PAGE_SIZE);
    assert_int_equal(Spy.Log[0].MdlFlags & (MDL_PAGES_LOCKED | MDL_IO_PAGE_READ), MDL_PAGES_LOCKED);
    assert_ptr_equal(Spy.Log[0].Thread, KeGetCurrentThread());
    /* Nothing dirty any more. */
    SpyClear();
    CcFlushCache(Pointers, NULL, 0, &Iosb);
    assert_int_equal(Spy.Count, 0);

    /* Dirty data purged is lost; the file keeps what was flushed. */
    ASSERT_ST(KWrite(&File, 10, "XXXX", 4), STATUS_SUCCESS);
    assert_true(CcPurgeCacheSection(Pointers, NULL, 0, FALSE));
    SpyClear();
    ASSERT_ST(KRead(&File, 0, Buffer, 16, &Info), STATUS_SUCCESS);
    assert_int_equal(SpyCountPaging(IRP_MJ_READ), 1);
    for (I = 0; I < 16; I++) {
        assert_int_equal(Buffer[I], (UCHAR)(I ^ 0x5A));
    }
    /* A range purge drops only its pages. */
    Offset.QuadPart = PAGE_SIZE;
    ASSERT_ST(KRead(&File, PAGE_SIZE, Buffer, 16, &Info), STATUS_SUCCESS);
    assert_true(CcPurgeCacheSection(Pointers, &Offset, 1, FALSE));
    SpyClear();
    ASSERT_ST(KRead(&File, 0, Buffer, 2 * PAGE_SIZE, &Info), STATUS_SUCCESS);
    assert_int_equal(SpyCountPaging(IRP_MJ_READ), 1);
    assert_int_equal(Spy.Log[1].Offset, PAGE_SIZE);

    /* Truncation drops the cached data past the new end: growing the file
     * again shows zeros, not the old bytes. */
    ASSERT_ST(KWrite(&File, 0, "hello world", 11), STATUS_SUCCESS);
    ASSERT_ST(KSetEndOfFile(&File, 5), STATUS_SUCCESS);
    ASSERT_ST(KSetEndOfFile(&File, PAGE_SIZE + 100), STATUS_SUCCESS);
    memset(Buffer, 0xEE, sizeof(Buffer));
    ASSERT_ST(KRead(&File, 0, Buffer, sizeof(Buffer), &Info), STATUS_SUCCESS);
    assert_int_equal(Info, PAGE_SIZE + 100);
    assert_memory_equal(Buffer, "hello", 5);
    for (I = 5; I < PAGE_SIZE + 100; I++) {
        assert_int_equal(Buffer[I], 0);
    }

    /* The last cleanup writes the dirty page back. */
    SpyClear();
    ASSERT_ST(ZwClose(File.Handle), STATUS_SUCCESS);
    assert_int_equal(SpyCountPaging(IRP_MJ_WRITE), 1);
    assert_false(CcIsFileCached(File.FileObject));
    ObDereferenceObject(File.FileObject);

    /* ...where a non-cached read finds it. */
    KOpen(L"C:\\new.bin", FILE_OPEN, TRUE, &File);
    memset(Buffer, 0xEE, sizeof(Buffer));
    ASSERT_ST(KReadWrite(&File, IRP_MJ_READ, 0, Buffer, 512, IRP_SYNCHRONOUS_API | IRP_NOCACHE, &Info, NULL),
              STATUS_SUCCESS);
    assert_memory_equal(Buffer, "hello\0\0\0", 8);
    assert_false(CcIsFileCached(File.FileObject)); /* non-cached I/O does not cache */
    KClose(&File);
    SpyDetach();
}

static void test_flush_purge_and_truncation(void **State)
{
    (void)State;
    KRun(FlushPurgeBody);
}

/* --- cache maps across file objects ------------------------------------------------- */

static void TwoFileObjectsBody(void *Context)
{
    KFILE First, Second;
    UCHAR Buffer[16];
    ULONG_PTR Info;
    PSECTION_OBJECT_POINTERS Pointers;

    (void)Context;
    SpyAttach();
    KOpen(L"C:\\small.txt", FILE_OPEN, TRUE, &First);
    KOpen(L"C:\\small.txt", FILE_OPEN, TRUE, &Second);
    Pointers = First.FileObject->SectionObjectPointer;
    assert_ptr_equal(Pointers, Second.FileObject->SectionObjectPointer);
    ASSERT_ST(KRead(&First, 0, Buffer, 10, &Info), STATUS_SUCCESS);
    ASSERT_ST(KWrite(&Second, 0, "AB", 2), STATUS_SUCCESS); /* the same pages, a second private map */
    assert_int_equal(SpyCountPaging(IRP_MJ_READ), 1);
    assert_non_null(First.FileObject->PrivateCacheMap);
    assert_non_null(Second.FileObject->PrivateCacheMap);
    assert_ptr_equal(CcGetFileObjectFromSectionPtrs(Pointers), First.FileObject);

    /* The first handle goes: the stream stays cached through the second,
     * which paging I/O now uses; nothing is written yet. */
    SpyClear();
    ASSERT_ST(ZwClose(First.Handle), STATUS_SUCCESS);
    assert_int_equal(Spy.Count, 0);
    assert_null(First.FileObject->PrivateCacheMap);
    assert_true(CcIsFileCached(Second.FileObject));
    assert_ptr_equal(CcGetFileObjectFromSectionPtrs(Pointers), Second.FileObject);
    ASSERT_ST(KRead(&Second, 0, Buffer, 10, &Info), STATUS_SUCCESS);
    assert_memory_equal(Buffer, "AB23456789", 10);
    assert_int_equal(Spy.Count, 1);
    ObDereferenceObject(First.FileObject);

    /* The second one: the dirty page is written through it, the map goes. */
    SpyClear();
    ASSERT_ST(ZwClose(Second.Handle), STATUS_SUCCESS);
    assert_int_equal(Spy.Count, 1);
    assert_int_equal(Spy.Log[0].Flags, PAGING_WRITE_FLAGS);
    assert_ptr_equal(Spy.Log[0].FileObject, Second.FileObject);
    assert_false(CcIsFileCached(Second.FileObject));
    ObDereferenceObject(Second.FileObject);
    SpyDetach();
}

static void test_cache_maps_across_file_objects(void **State)
{
    (void)State;
    KRun(TwoFileObjectsBody);
}

/* --- a deleted file's cache is dropped, not written --------------------------------- */

static void DeleteBody(void *Context)
{
    KFILE File;
    PDEVICE_OBJECT Device;
    PIRP Irp;
    PIO_STACK_LOCATION Sp;
    FILE_DISPOSITION_INFORMATION Disposition;
    KEVENT Done;

    (void)Context;
    SpyAttach();
    KOpen(L"C:\\small.txt", FILE_OPEN, TRUE, &File);
    ASSERT_ST(KWrite(&File, 0, "dirty", 5), STATUS_SUCCESS);
    Device = IoGetRelatedDeviceObject(File.FileObject);
    Irp = IoAllocateIrp(Device->StackSize, FALSE);
    Disposition.DeleteFile = TRUE;
    Irp->RequestorMode = KernelMode;
    Irp->Tail.Overlay.Thread = (PETHREAD)KeGetCurrentThread();
    Irp->AssociatedIrp.SystemBuffer = &Disposition;
    Sp = IoGetNextIrpStackLocation(Irp);
    Sp->MajorFunction = IRP_MJ_SET_INFORMATION;
    Sp->FileObject = File.FileObject;
    Sp->Parameters.SetFile.Length = sizeof(Disposition);
    Sp->Parameters.SetFile.FileInformationClass = FileDispositionInformation;
    KeInitializeEvent(&Done, NotificationEvent, FALSE);
    IoSetCompletionRoutine(Irp, KStopCompletion, &Done, TRUE, TRUE, TRUE);
    ASSERT_ST(IoCallDriver(Device, Irp), STATUS_SUCCESS);
    ASSERT_ST(Irp->IoStatus.Status, STATUS_SUCCESS);
    IoFreeIrp(Irp);
    SpyClear();
    KClose(&File);
    assert_int_equal(SpyCountPaging(IRP_MJ_WRITE), 0);
    SpyDetach();
}

static void test_deleted_file_cache_is_dropped(void **State)
{
    (void)State;
    KRun(DeleteBody);
}

/* --- CcZeroData, an uninitialize event, a purge that uninitializes --------------- */

static void MiscBody(void *Context)
{
    KFILE File, Other;
    UCHAR Buffer[16];
    ULONG_PTR Info;
    LARGE_INTEGER Start, End;
    CACHE_UNINITIALIZE_EVENT Uninitialize;

    (void)Context;
    SpyAttach();
    KOpen(L"C:\\small.txt", FILE_OPEN, TRUE, &File);
    ASSERT_ST(KRead(&File, 0, Buffer, 10, &Info), STATUS_SUCCESS);
    Start.QuadPart = 2;
    End.QuadPart = 5;
    assert_true(CcZeroData(File.FileObject, &Start, &End, TRUE));
    ASSERT_ST(KRead(&File, 0, Buffer, 10, &Info), STATUS_SUCCESS);
    assert_memory_equal(Buffer, "01\0\0\0" "56789", 10);

    /* The only private map: the data is written, the map goes, the event is set. */
    SpyClear();
    KeInitializeEvent(&Uninitialize.Event, NotificationEvent, FALSE);
    assert_true(CcUninitializeCacheMap(File.FileObject, NULL, &Uninitialize));
    assert_int_equal(KeReadStateEvent(&Uninitialize.Event), 1);
    assert_int_equal(SpyCountPaging(IRP_MJ_WRITE), 1);
    assert_false(CcIsFileCached(File.FileObject));
    assert_null(File.FileObject->PrivateCacheMap);

    /* Two file objects cache it again; a purge with UNINITIALIZE_CACHE_MAPS
     * takes both private maps and the stream is no longer cached. */
    KOpen(L"C:\\small.txt", FILE_OPEN, TRUE, &Other);
    ASSERT_ST(KRead(&File, 0, Buffer, 10, &Info), STATUS_SUCCESS);
    assert_memory_equal(Buffer, "01\0\0\0" "56789", 10);
    ASSERT_ST(KRead(&Other, 0, Buffer, 10, &Info), STATUS_SUCCESS);
    assert_true(CcPurgeCacheSection(File.FileObject->SectionObjectPointer, NULL, 0, UNINITIALIZE_CACHE_MAPS));
    assert_null(File.FileObject->PrivateCacheMap);
    assert_null(Other.FileObject->PrivateCacheMap);
    assert_false(CcIsFileCached(File.FileObject));
    KClose(&Other);
    KClose(&File);
    SpyDetach();
}

static void test_zero_data_uninitialize_event_and_purge_uninitializing(void **State)
{
    (void)State;
    KRun(MiscBody);
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test_setup_teardown(test_cached_read_miss_shows_nested_paging_reads, HostSetup, HostTeardown),
        cmocka_unit_test_setup_teardown(test_partial_read_reads_only_the_missing_pages, HostSetup, HostTeardown),
        cmocka_unit_test_setup_teardown(test_write_through_cache_reaches_the_file_at_close, HostSetup,
                                        HostTeardown),
        cmocka_unit_test_setup_teardown(test_deepest_stack_holds_the_seed_frames, HostSetup, HostTeardown),
        cmocka_unit_test(test_paging_read_shape),
        cmocka_unit_test(test_no_wait_and_posting),
        cmocka_unit_test(test_collided_read_waits_for_the_pending_paging_read),
        cmocka_unit_test(test_flush_purge_and_truncation),
        cmocka_unit_test(test_cache_maps_across_file_objects),
        cmocka_unit_test(test_deleted_file_cache_is_dropped),
        cmocka_unit_test(test_zero_data_uninitialize_event_and_purge_uninitializing),
    };

    return cmocka_run_group_tests_name("cc", Tests, NULL, NULL);
}
