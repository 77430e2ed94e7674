/*
 * test_rdr.c - the network redirector chain (MUP, RDBSS, CSC, mrxsmb) and
 * the SMB server model: boot wiring, prefix resolution and its cache,
 * creates, reads, writes, information, security, directories, sharing and
 * delete-on-close through UNC paths, asynchronous completion after the
 * share's latency on the virtual clock (and inline completion at latency
 * 0), the CSC surrogate, and the neither-I/O buffer RDBSS locks into an MDL
 * on the IRP (its shape in the IRP below MUP, its release at completion),
 * cached reads through Cc with the nested paging read of a miss (the seed's
 * frame sequence down to the send) and writes keeping the cache current.
 */
#include "support/ts.h"
#include <rdr.h>
#include <string.h>

#define MS (1000ull * 1000ull) /* nanoseconds */
/* FSIM_STATUS is unsigned: compare NTSTATUS values as 32-bit codes. */
#define assert_status(Expression, Status) assert_int_equal((uint32_t)(Expression), (uint32_t)(Status))

static FSIM_MACHINE *M;
static FSIM_PID Pid;

static int Setup(void **State)
{
    (void)State;
    M = TsCreate(0);
    assert_int_equal(FsimProcessCreate(M, "test.exe", &Pid), 0);
    return 0;
}

static int Teardown(void **State)
{
    (void)State;
    FsimMachineDestroy(M);
    M = NULL;
    return 0;
}

static void Stats(RDR_STATISTICS *S)
{
    FSIM_MACHINE *Saved = KiMachine;
    KiMachine = M;
    RdrGetStatistics(S);
    KiMachine = Saved;
}

static FSIM_STATUS Open(const char *Path, uint32_t Access, uint32_t Share, uint32_t Disposition, uint32_t Options,
                        FSIM_HANDLE *H, uint64_t *Info)
{
    FSIM_CREATE C;
    memset(&C, 0, sizeof(C));
    C.Path = Path;
    C.DesiredAccess = Access;
    C.ShareAccess = Share;
    C.CreateDisposition = Disposition;
    C.CreateOptions = Options;
    return FsimNtCreateFile(M, Pid, &C, H, Info);
}

static BOOLEAN ServerEntry(const char *Path, ULONGLONG *Size, ULONG *Opens)
{
    BOOLEAN Directory;
    FSIM_MACHINE *Saved = KiMachine;
    KiMachine = M;
    BOOLEAN Found = RdrQueryEntryDirect(Path, Size, &Directory, Opens);
    KiMachine = Saved;
    return Found;
}

/* --- boot ------------------------------------------------------------------------ */

static void BootBody(void *Context)
{
    (void)Context;
    PDEVICE_OBJECT Mup = RdrGetMupDevice();
    assert_non_null(Mup);
    assert_int_equal(Mup->DeviceType, FILE_DEVICE_MULTI_UNC_PROVIDER);
    /* mrxsmb's device (2 locations) registered: MUP needs one more. */
    assert_int_equal(Mup->StackSize, 3);
    /* The network volume is there, once, and FltMgr sits above MUP. */
    int Found = 0;
    for (size_t I = 0; I < IopVolumeCount(); I++) {
        IOP_VOLUME *V = IopGetVolume(I);
        if (V->VolumeDevice == Mup) {
            Found++;
            assert_string_equal(V->Drive, "\\\\");
            assert_string_equal(KiUnicodeToUtf8(&V->DeviceName), "\\Device\\Mup");
        } else {
            assert_string_equal(KiUnicodeToUtf8(&V->DeviceName), "\\Device\\HarddiskVolume1");
        }
    }
    assert_int_equal(Found, 1);
    assert_non_null(Mup->AttachedDevice);
    assert_int_equal(IoGetAttachedDevice(Mup)->StackSize, 4);
    IOP_DRIVER_IMAGE *Smb = IopFindImageByService("mrxsmb");
    assert_non_null(Smb);
    assert_string_equal(KiUnicodeToUtf8(&Smb->DriverObject->DriverName), "\\FileSystem\\mrxsmb");
    assert_int_equal(Smb->DriverObject->DeviceObject->StackSize, 2);
    assert_string_equal(RdrDescribeRoutine((const void *)Smb->DriverObject->MajorFunction[IRP_MJ_READ]),
                        "mrxsmb!MRxSmbFsdDispatch");
    assert_non_null(IopFindImageByService("rdbss"));
    assert_non_null(IopFindImageByService("csc"));
}

static void test_boot_creates_the_chain_and_the_network_volume(void **State)
{
    (void)State;
    /* The first share makes \Device\Mup a volume, after any local one. */
    assert_int_equal(FsimVolumeAddLocal(M, "C:"), 0);
    assert_int_equal(FsimVolumeAddRemote(M, "\\\\srv\\share", 0, 0, 0), 0);
    assert_int_equal(FsimVolumeAddRemote(M, "\\\\srv\\other", 0, 0, 0), 0);
    assert_int_equal(TsRun(M, BootBody, NULL), 0);
}

/* --- files ------------------------------------------------------------------------- */

static void test_create_write_read_close_inline(void **State)
{
    FSIM_HANDLE H;
    uint64_t Info = 0;
    char Buffer[64];
    RDR_STATISTICS S;
    ULONGLONG Size;
    (void)State;
    assert_int_equal(FsimVolumeAddRemote(M, "\\\\srv\\share", 0, 0, 0), 0);
    assert_int_equal(Open("\\\\srv\\share\\a.txt", GENERIC_READ | GENERIC_WRITE, 0, FILE_CREATE,
                          FILE_NON_DIRECTORY_FILE, &H, &Info),
                     STATUS_SUCCESS);
    assert_int_equal(Info, FILE_CREATED);
    assert_int_equal(FsimNtWriteFile(M, Pid, H, 0, "hello remote", 12, &Info), STATUS_SUCCESS);
    assert_int_equal(Info, 12);
    memset(Buffer, 0, sizeof(Buffer));
    assert_int_equal(FsimNtReadFile(M, Pid, H, 6, Buffer, sizeof(Buffer), &Info), STATUS_SUCCESS);
    assert_int_equal(Info, 6);
    assert_memory_equal(Buffer, "remote", 6);
    assert_status(FsimNtReadFile(M, Pid, H, 12, Buffer, 4, &Info), STATUS_END_OF_FILE);
    assert_true(ServerEntry("\\\\srv\\share\\a.txt", &Size, NULL));
    assert_int_equal(Size, 12);
    assert_int_equal(FsimNtClose(M, Pid, H), STATUS_SUCCESS);
    Stats(&S);
    /* latency 0: every reply came back inline, and every exchange finished */
    assert_true(S.Exchanges >= 5);
    assert_int_equal(S.InlineReplies, S.Exchanges);
    assert_int_equal(S.OutstandingExchanges, 0);
    assert_int_equal(S.OpenFcbs, 0);
    assert_int_equal(S.BuffersLocked, 3); /* the write's and both reads' buffers */
    assert_int_equal(FsimCurrentTime(M), 0);
}

static void test_replies_arrive_after_the_latency(void **State)
{
    FSIM_HANDLE H;
    uint64_t Info = 0;
    char Buffer[16];
    RDR_STATISTICS S;
    ULONG Opens = 99;
    (void)State;
    assert_int_equal(FsimVolumeAddRemote(M, "\\\\srv\\slow", 2 * MS, 0, 0), 0);
    assert_int_equal(FsimVolumeCreateFile(M, "\\\\srv\\slow\\dir\\f.bin", "0123456789", 10), 0);
    uint64_t Start = FsimCurrentTime(M);
    assert_int_equal(Open("\\\\srv\\slow\\dir\\f.bin", GENERIC_READ, FILE_SHARE_READ, FILE_OPEN, 0, &H, &Info),
                     STATUS_SUCCESS);
    assert_int_equal(Info, FILE_OPENED);
    /* tree connect + create: two round trips of 2 ms */
    assert_int_equal(FsimCurrentTime(M) - Start, 2 * 20000);
    assert_int_equal(FsimNtReadFile(M, Pid, H, 2, Buffer, 4, &Info), STATUS_SUCCESS);
    assert_int_equal(Info, 4);
    assert_memory_equal(Buffer, "2345", 4);
    assert_int_equal(FsimCurrentTime(M) - Start, 3 * 20000);
    assert_true(ServerEntry("\\\\srv\\slow\\dir\\f.bin", NULL, &Opens));
    assert_int_equal(Opens, 1);
    assert_int_equal(FsimNtClose(M, Pid, H), STATUS_SUCCESS);
    /* The server close travels on its own: done once its latency passed. */
    assert_int_equal(FsimAdvanceTime(M, 2 * MS), 0);
    assert_true(ServerEntry("\\\\srv\\slow\\dir\\f.bin", NULL, &Opens));
    assert_int_equal(Opens, 0);
    Stats(&S);
    assert_int_equal(S.InlineReplies, 0);
    assert_int_equal(S.OutstandingExchanges, 0);
}

static void test_prefix_cache_and_resolution_failures(void **State)
{
    FSIM_HANDLE H;
    RDR_STATISTICS S;
    (void)State;
    assert_int_equal(FsimVolumeAddRemote(M, "\\\\srv\\one", 0, 0, 0), 0);
    assert_int_equal(FsimVolumeCreateFile(M, "\\\\srv\\one\\x", "x", 1), 0);
    assert_int_equal(FsimVolumeCreateFile(M, "\\\\srv\\one\\y", "y", 1), 0);
    assert_int_equal(Open("\\\\srv\\one\\x", GENERIC_READ, FILE_SHARE_READ, FILE_OPEN, 0, &H, NULL), 0);
    assert_int_equal(FsimNtClose(M, Pid, H), 0);
    Stats(&S);
    assert_int_equal(S.PrefixQueries, 1);
    assert_int_equal(S.PrefixCacheHits, 0);
    assert_int_equal(Open("\\\\SRV\\One\\y", GENERIC_READ, FILE_SHARE_READ, FILE_OPEN, 0, &H, NULL), 0);
    assert_int_equal(FsimNtClose(M, Pid, H), 0);
    Stats(&S);
    assert_int_equal(S.PrefixQueries, 1);
    assert_int_equal(S.PrefixCacheHits, 1);
    /* A share the server does not have, a server nobody knows. */
    assert_status(Open("\\\\srv\\nope\\x", GENERIC_READ, 0, FILE_OPEN, 0, &H, NULL), STATUS_BAD_NETWORK_NAME);
    assert_status(Open("\\\\ghost\\one\\x", GENERIC_READ, 0, FILE_OPEN, 0, &H, NULL), STATUS_BAD_NETWORK_PATH);
    assert_status(Open("\\\\srv\\one\\missing", GENERIC_READ, 0, FILE_OPEN, 0, &H, NULL), STATUS_OBJECT_NAME_NOT_FOUND);
    assert_status(Open("\\\\srv\\one\\no\\such", GENERIC_READ, 0, FILE_OPEN, 0, &H, NULL), STATUS_OBJECT_PATH_NOT_FOUND);
    Stats(&S);
    assert_int_equal(S.OpenFcbs, 0);
}

static void test_information_and_delete_on_close(void **State)
{
    FSIM_HANDLE H;
    FILE_STANDARD_INFORMATION Standard;
    FILE_BASIC_INFORMATION Basic;
    UCHAR NameBuffer[128];
    FILE_END_OF_FILE_INFORMATION Eof;
    FILE_DISPOSITION_INFORMATION Disposition;
    uint64_t Info;
    (void)State;
    assert_int_equal(FsimVolumeAddRemote(M, "\\\\srv\\data", MS, 0, 0), 0);
    assert_int_equal(FsimVolumeCreateFile(M, "\\\\srv\\data\\doc.txt", "abcdef", 6), 0);
    assert_int_equal(Open("\\\\srv\\data\\doc.txt", GENERIC_READ | GENERIC_WRITE | DELETE, 0, FILE_OPEN, 0, &H, NULL),
                     0);
    assert_int_equal(FsimNtQueryInformationFile(M, Pid, H, FileStandardInformation, &Standard, sizeof(Standard),
                                                &Info),
                     0);
    assert_int_equal(Info, sizeof(Standard));
    assert_int_equal(Standard.EndOfFile.QuadPart, 6);
    assert_false(Standard.Directory);
    assert_int_equal(FsimNtQueryInformationFile(M, Pid, H, FileBasicInformation, &Basic, sizeof(Basic), &Info), 0);
    assert_int_equal(Basic.FileAttributes, FILE_ATTRIBUTE_ARCHIVE);
    assert_int_equal(FsimNtQueryInformationFile(M, Pid, H, FileNameInformation, NameBuffer, sizeof(NameBuffer),
                                                &Info),
                     0);
    {
        PFILE_NAME_INFORMATION N = (PFILE_NAME_INFORMATION)NameBuffer;
        static const WCHAR Expected[] = L"\\srv\\data\\doc.txt";
        assert_int_equal(N->FileNameLength, sizeof(Expected) - sizeof(WCHAR));
        assert_memory_equal(N->FileName, Expected, N->FileNameLength);
    }
    Eof.EndOfFile.QuadPart = 3;
    assert_int_equal(FsimNtSetInformationFile(M, Pid, H, FileEndOfFileInformation, &Eof, sizeof(Eof)), 0);
    assert_int_equal(FsimNtQueryInformationFile(M, Pid, H, FileStandardInformation, &Standard, sizeof(Standard),
                                                &Info),
                     0);
    assert_int_equal(Standard.EndOfFile.QuadPart, 3);
    Disposition.DeleteFile = TRUE;
    assert_int_equal(
        FsimNtSetInformationFile(M, Pid, H, FileDispositionInformation, &Disposition, sizeof(Disposition)), 0);
    assert_int_equal(FsimNtClose(M, Pid, H), 0);
    assert_int_equal(FsimAdvanceTime(M, MS), 0);
    assert_false(ServerEntry("\\\\srv\\data\\doc.txt", NULL, NULL));
    /* FILE_DELETE_ON_CLOSE at create. */
    assert_int_equal(Open("\\\\srv\\data\\tmp.dat", GENERIC_WRITE | DELETE, 0, FILE_CREATE, FILE_DELETE_ON_CLOSE, &H,
                          NULL),
                     0);
    assert_true(ServerEntry("\\\\srv\\data\\tmp.dat", NULL, NULL));
    assert_int_equal(FsimNtClose(M, Pid, H), 0);
    assert_int_equal(FsimAdvanceTime(M, MS), 0);
    assert_false(ServerEntry("\\\\srv\\data\\tmp.dat", NULL, NULL));
}

static void test_sharing_is_decided_by_the_server(void **State)
{
    FSIM_HANDLE A, B;
    (void)State;
    assert_int_equal(FsimVolumeAddRemote(M, "\\\\srv\\s", 0, 0, 0), 0);
    assert_int_equal(FsimVolumeCreateFile(M, "\\\\srv\\s\\f", "1", 1), 0);
    assert_int_equal(Open("\\\\srv\\s\\f", GENERIC_READ, 0, FILE_OPEN, 0, &A, NULL), 0);
    assert_status(Open("\\\\srv\\s\\f", GENERIC_READ, FILE_SHARE_READ, FILE_OPEN, 0, &B, NULL), STATUS_SHARING_VIOLATION);
    assert_int_equal(FsimNtClose(M, Pid, A), 0);
    assert_int_equal(Open("\\\\srv\\s\\f", GENERIC_READ, FILE_SHARE_READ, FILE_OPEN, 0, &A, NULL), 0);
    assert_int_equal(Open("\\\\srv\\s\\f", GENERIC_READ, FILE_SHARE_READ, FILE_OPEN, 0, &B, NULL), 0);
    assert_status(Open("\\\\srv\\s\\f", GENERIC_WRITE, FILE_SHARE_READ, FILE_OPEN, 0, &B, NULL), STATUS_SHARING_VIOLATION);
    assert_int_equal(FsimNtClose(M, Pid, A), 0);
}

static void test_query_security_locks_and_releases_the_buffer(void **State)
{
    FSIM_HANDLE H;
    UCHAR Sd[0x400];
    uint32_t Needed = 0;
    RDR_STATISTICS S;
    (void)State;
    assert_int_equal(FsimVolumeAddRemote(M, "\\\\srv\\sec", MS, 0, 0), 0);
    assert_int_equal(FsimVolumeCreateFile(M, "\\\\srv\\sec\\f", "1", 1), 0);
    assert_int_equal(Open("\\\\srv\\sec\\f", READ_CONTROL, FILE_SHARE_READ, FILE_OPEN, 0, &H, NULL), 0);
    /* What CopyFileEx asks for: no owner, group or DACL - just the header. */
    assert_int_equal(FsimNtQuerySecurityObject(M, Pid, H, 0x20, Sd, sizeof(Sd), &Needed), 0);
    assert_int_equal(Needed, 20);
    assert_int_equal(Sd[0], 1);
    assert_int_equal(Sd[2] | (Sd[3] << 8), SE_SELF_RELATIVE);
    /* Owner, group and DACL. */
    assert_int_equal(FsimNtQuerySecurityObject(M, Pid, H, OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION |
                                                              DACL_SECURITY_INFORMATION,
                                               Sd, sizeof(Sd), &Needed),
                     0);
    assert_int_equal(Needed, 20 + 8 + 3 * 8 + 16 + 12 + 12 + 16 + 12);
    {
        ULONG Owner = Sd[4] | (Sd[5] << 8);
        assert_int_equal(Sd[Owner + 1], 2);                   /* two sub-authorities */
        assert_int_equal(Sd[Owner + 8] | (Sd[Owner + 9] << 8), 32);  /* BUILTIN */
        assert_int_equal(Sd[Owner + 12] | (Sd[Owner + 13] << 8), 544); /* Administrators */
    }
    assert_status(FsimNtQuerySecurityObject(M, Pid, H, OWNER_SECURITY_INFORMATION, Sd, 8, &Needed), STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(Needed, 20 + 16);
    assert_int_equal(FsimNtClose(M, Pid, H), 0);
    Stats(&S);
    assert_int_equal(S.BuffersLocked, 3);
}

static void test_directory_listing(void **State)
{
    FSIM_HANDLE H;
    UCHAR Buffer[1024];
    uint64_t Info;
    (void)State;
    assert_int_equal(FsimVolumeAddRemote(M, "\\\\srv\\dirs", MS, 0, 0), 0);
    assert_int_equal(FsimVolumeCreateFile(M, "\\\\srv\\dirs\\d\\b.txt", "b", 1), 0);
    assert_int_equal(FsimVolumeCreateFile(M, "\\\\srv\\dirs\\d\\A.txt", "a", 1), 0);
    assert_int_equal(FsimVolumeCreateFile(M, "\\\\srv\\dirs\\d\\c.log", "c", 1), 0);
    assert_int_equal(Open("\\\\srv\\dirs\\d", FILE_LIST_DIRECTORY, FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN,
                          FILE_DIRECTORY_FILE, &H, NULL),
                     0);
    assert_int_equal(FsimNtQueryDirectoryFile(M, Pid, H, FileNamesInformation, Buffer, sizeof(Buffer), 0, "*.txt",
                                              0, &Info),
                     0);
    {
        const char *Names[] = {"A.txt", "b.txt"};
        ULONG Offset = 0;
        for (int I = 0; I < 2; I++) {
            PFILE_NAMES_INFORMATION N = (PFILE_NAMES_INFORMATION)(Buffer + Offset);
            assert_int_equal(N->FileNameLength, 10);
            for (int C = 0; C < 5; C++)
                assert_int_equal(N->FileName[C], (WCHAR)Names[I][C]);
            if (I == 0)
                assert_int_not_equal(N->NextEntryOffset, 0);
            else
                assert_int_equal(N->NextEntryOffset, 0);
            Offset += N->NextEntryOffset;
        }
    }
    assert_status(FsimNtQueryDirectoryFile(M, Pid, H, FileNamesInformation, Buffer, sizeof(Buffer), 0, NULL, 0,
                                              &Info), STATUS_NO_MORE_FILES);
    /* The expression stays with the handle (a restart keeps it): a new
     * handle lists ".", ".." and the three children, one at a time. */
    assert_int_equal(FsimNtClose(M, Pid, H), 0);
    assert_int_equal(Open("\\\\srv\\dirs\\d", FILE_LIST_DIRECTORY, FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN,
                          FILE_DIRECTORY_FILE, &H, NULL),
                     0);
    int Count = 0;
    FSIM_STATUS Status = FsimNtQueryDirectoryFile(M, Pid, H, FileDirectoryInformation, Buffer, sizeof(Buffer), 1,
                                                  NULL, 1, &Info);
    while (Status == 0) {
        Count++;
        Status = FsimNtQueryDirectoryFile(M, Pid, H, FileDirectoryInformation, Buffer, sizeof(Buffer), 1, NULL, 0,
                                          &Info);
    }
    assert_status(Status, STATUS_NO_MORE_FILES);
    assert_int_equal(Count, 2 + 3);
    assert_int_equal(FsimNtClose(M, Pid, H), 0);
}

static void test_csc_share_goes_through_the_surrogate(void **State)
{
    FSIM_HANDLE H;
    char Buffer[8];
    uint64_t Info;
    RDR_STATISTICS Before, After;
    (void)State;
    assert_int_equal(FsimVolumeAddRemote(M, "\\\\srv\\plain", 0, 0, 0), 0);
    assert_int_equal(FsimVolumeAddRemote(M, "\\\\srv\\offline", 0, 1, 0), 0);
    assert_int_equal(FsimVolumeCreateFile(M, "\\\\srv\\plain\\f", "plain", 5), 0);
    assert_int_equal(FsimVolumeCreateFile(M, "\\\\srv\\offline\\f", "csc", 3), 0);
    Stats(&Before);
    assert_int_equal(Open("\\\\srv\\plain\\f", GENERIC_READ, 0, FILE_OPEN, 0, &H, NULL), 0);
    assert_int_equal(FsimNtReadFile(M, Pid, H, 0, Buffer, 5, &Info), 0);
    assert_int_equal(FsimNtClose(M, Pid, H), 0);
    Stats(&After);
    assert_int_equal(After.CscPassThrough, Before.CscPassThrough);
    assert_int_equal(Open("\\\\srv\\offline\\f", GENERIC_READ, 0, FILE_OPEN, 0, &H, NULL), 0);
    assert_int_equal(FsimNtReadFile(M, Pid, H, 0, Buffer, 3, &Info), 0);
    assert_memory_equal(Buffer, "csc", 3);
    assert_int_equal(FsimNtClose(M, Pid, H), 0);
    Stats(&After);
    assert_int_equal(After.CscPassThrough, Before.CscPassThrough + 3); /* create, read, close */
}

static void test_copyfile_between_shares(void **State)
{
    char Data[5000];
    char Back[5000];
    uint64_t Info;
    FSIM_HANDLE H;
    (void)State;
    for (size_t I = 0; I < sizeof(Data); I++)
        Data[I] = (char)('a' + I % 26);
    assert_int_equal(FsimVolumeAddRemote(M, "\\\\srv\\from", MS, 0, 0), 0);
    assert_int_equal(FsimVolumeAddRemote(M, "\\\\other\\to", 3 * MS, 1, 0), 0);
    assert_int_equal(FsimVolumeCreateFile(M, "\\\\srv\\from\\big.bin", Data, sizeof(Data)), 0);
    assert_int_equal(FsimCopyFileEx(M, Pid, "\\\\srv\\from\\big.bin", "\\\\other\\to\\copy.bin", 0), 0);
    assert_int_equal(Open("\\\\other\\to\\copy.bin", GENERIC_READ, 0, FILE_OPEN, 0, &H, NULL), 0);
    assert_int_equal(FsimNtReadFile(M, Pid, H, 0, Back, sizeof(Back), &Info), 0);
    assert_int_equal(Info, sizeof(Back));
    assert_memory_equal(Back, Data, sizeof(Data));
    assert_int_equal(FsimNtClose(M, Pid, H), 0);
}

static FSIM_STATUS Rename(FSIM_HANDLE H, const WCHAR *Target, BOOLEAN Replace)
{
    UCHAR Buffer[sizeof(FILE_RENAME_INFORMATION) + 128 * sizeof(WCHAR)];
    PFILE_RENAME_INFORMATION R = (PFILE_RENAME_INFORMATION)Buffer;
    ULONG Chars = 0;
    while (Target[Chars])
        Chars++;
    memset(Buffer, 0, sizeof(Buffer));
    R->ReplaceIfExists = Replace;
    R->FileNameLength = Chars * sizeof(WCHAR);
    memcpy(R->FileName, Target, Chars * sizeof(WCHAR));
    return FsimNtSetInformationFile(M, Pid, H, FileRenameInformation, Buffer,
                                    (uint32_t)(FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName) + R->FileNameLength));
}

static void test_rename_by_full_path_and_by_name(void **State)
{
    FSIM_HANDLE H, D;
    char Buffer[8];
    uint64_t Info;
    (void)State;
    assert_int_equal(FsimVolumeAddRemote(M, "\\\\srv\\ren", MS, 0, 0), 0);
    assert_int_equal(FsimVolumeCreateFile(M, "\\\\srv\\ren\\docs\\a.txt", "hello", 5), 0);
    assert_int_equal(FsimVolumeCreateFile(M, "\\\\srv\\ren\\docs\\c.txt", "other", 5), 0);
    assert_int_equal(FsimVolumeCreateDirectory(M, "\\\\srv\\ren\\archive"), 0);
    assert_int_equal(Open("\\\\srv\\ren\\docs\\a.txt", DELETE | GENERIC_READ, 0, FILE_OPEN, 0, &H, NULL), 0);
    /* A full path: the I/O manager opens the target directory on the share first. */
    assert_int_equal(Rename(H, L"\\\\srv\\ren\\archive\\b.txt", FALSE), 0);
    assert_false(ServerEntry("\\\\srv\\ren\\docs\\a.txt", NULL, NULL));
    assert_true(ServerEntry("\\\\srv\\ren\\archive\\b.txt", NULL, NULL));
    /* The handle follows the file; its name is the new one. */
    {
        UCHAR NameBuffer[128];
        static const WCHAR Expected[] = L"\\srv\\ren\\archive\\b.txt";
        assert_int_equal(FsimNtQueryInformationFile(M, Pid, H, FileNameInformation, NameBuffer, sizeof(NameBuffer),
                                                    &Info),
                         0);
        assert_int_equal(((PFILE_NAME_INFORMATION)NameBuffer)->FileNameLength, sizeof(Expected) - sizeof(WCHAR));
        assert_memory_equal(((PFILE_NAME_INFORMATION)NameBuffer)->FileName, Expected, sizeof(Expected) - sizeof(WCHAR));
    }
    /* A simple name: the same directory. */
    assert_int_equal(Rename(H, L"d.txt", FALSE), 0);
    assert_true(ServerEntry("\\\\srv\\ren\\archive\\d.txt", NULL, NULL));
    /* Onto an existing file without / with ReplaceIfExists. */
    assert_status(Rename(H, L"\\\\srv\\ren\\docs\\c.txt", FALSE), STATUS_OBJECT_NAME_COLLISION);
    assert_int_equal(Rename(H, L"\\\\srv\\ren\\docs\\c.txt", TRUE), 0);
    assert_int_equal(FsimNtClose(M, Pid, H), 0);
    assert_int_equal(Open("\\\\srv\\ren\\docs\\c.txt", GENERIC_READ, 0, FILE_OPEN, 0, &D, NULL), 0);
    assert_int_equal(FsimNtReadFile(M, Pid, D, 0, Buffer, 5, &Info), 0);
    assert_memory_equal(Buffer, "hello", 5);
    assert_int_equal(FsimNtClose(M, Pid, D), 0);
}

/* --- the IRP below MUP ------------------------------------------------------------------ */

typedef struct MDL_CASE {
    PIRP Irp;
    PMDL Mdl;
    CSHORT MdlFlags;
    ULONG ByteCount;
    ULONG ByteOffset;
    PVOID Process;
    PDEVICE_OBJECT Devices[4];
    PIO_COMPLETION_ROUTINE Routines[4];
    BOOLEAN Completed;
    SIZE_T LockedBefore, LockedHeld, LockedAfter;
    NTSTATUS Status;
    ULONG_PTR Information;
} MDL_CASE;

/* Like FltMgr's routine for filter-initiated I/O: keep the IRP. */
static NTSTATUS TestKeepIrp(PDEVICE_OBJECT Device, PIRP Irp, PVOID Context)
{
    MDL_CASE *C = Context;
    PIO_STACK_LOCATION First = (PIO_STACK_LOCATION)(Irp + 1);
    (void)Device;
    C->Completed = TRUE;
    C->Status = Irp->IoStatus.Status;
    C->Information = Irp->IoStatus.Information;
    C->Mdl = Irp->MdlAddress;
    if (C->Mdl != NULL) {
        C->MdlFlags = C->Mdl->MdlFlags;
        C->ByteCount = C->Mdl->ByteCount;
        C->ByteOffset = C->Mdl->ByteOffset;
        C->Process = C->Mdl->Process;
    }
    for (int I = 0; I < Irp->StackCount && I < 4; I++) {
        C->Devices[I] = First[I].DeviceObject;
        C->Routines[I] = First[I].CompletionRoutine;
    }
    return STATUS_MORE_PROCESSING_REQUIRED;
}

static void QuerySecurityBelowMup(void *Context)
{
    MDL_CASE *C = Context;
    struct _EPROCESS *P = PspLookupProcess(Pid);
    PKTHREAD Old = KiSwitchThread(P->MainThread);
    UNICODE_STRING Path;
    IO_STATUS_BLOCK Iosb;
    PFILE_OBJECT Fo = NULL;
    HANDLE Handle = NULL;
    KEVENT Done;
    PDEVICE_OBJECT Mup = RdrGetMupDevice();
    assert_true(KiUtf8ToUnicode("\\\\srv\\irp\\f", &Path));
    assert_int_equal(IopCreateFile(P, &Path, READ_CONTROL | SYNCHRONIZE, 0, FILE_SHARE_READ, FILE_OPEN,
                                   FILE_SYNCHRONOUS_IO_NONALERT, KernelMode, NULL, &Handle, &Iosb, &Fo),
                     0);
    KiFreeUnicode(&Path);
    /* The buffer CopyFileEx uses: 0x400 bytes at page offset 0xd80. */
    PVOID User = MiAllocateUserBuffer(P, 0x400, 0xd80);
    C->LockedBefore = P->NumberOfLockedPages;
    /* As FltMgr allocates for filter-issued I/O: one location above MUP. */
    PIRP Irp = IoAllocateIrp((CCHAR)(Mup->StackSize + 1), FALSE);
    IoSetNextIrpStackLocation(Irp);
    PIO_STACK_LOCATION Own = IoGetCurrentIrpStackLocation(Irp);
    Own->MajorFunction = IRP_MJ_QUERY_SECURITY;
    Own->FileObject = Fo;
    Own->Parameters.QuerySecurity.SecurityInformation = 0x20;
    Own->Parameters.QuerySecurity.Length = 0x400;
    Irp->UserBuffer = User;
    Irp->RequestorMode = KernelMode;
    Irp->Tail.Overlay.Thread = (PETHREAD)KeGetCurrentThread();
    Irp->Tail.Overlay.OriginalFileObject = Fo;
    IoCopyCurrentIrpStackLocationToNext(Irp);
    IoSetCompletionRoutine(Irp, TestKeepIrp, C, TRUE, TRUE, TRUE);
    C->Irp = Irp;
    KeInitializeEvent(&Done, NotificationEvent, FALSE);
    NTSTATUS Status = IoCallDriver(Mup, Irp);
    assert_int_equal(Status, STATUS_PENDING);
    assert_false(C->Completed);
    while (!C->Completed) {
        LARGE_INTEGER Tick;
        Tick.QuadPart = -10000; /* 1 ms */
        KeDelayExecutionThread(KernelMode, FALSE, &Tick);
    }
    C->LockedHeld = P->NumberOfLockedPages;
    /* The owner of a kept IRP releases its MDLs, as FltFreeCallbackData does. */
    for (PMDL Mdl = Irp->MdlAddress, Next; Mdl != NULL; Mdl = Next) {
        Next = Mdl->Next;
        if (Mdl->MdlFlags & MDL_PAGES_LOCKED)
            MmUnlockPages(Mdl);
        IoFreeMdl(Mdl);
    }
    Irp->MdlAddress = NULL;
    IoFreeIrp(Irp);
    C->LockedAfter = P->NumberOfLockedPages;
    MiFreeUserBuffer(P, User);
    ObfDereferenceObject(Fo);
    ObpCloseHandle(P, Handle);
    KiSwitchThread(Old);
}

static void test_neither_io_buffer_is_locked_into_an_mdl_on_the_irp(void **State)
{
    MDL_CASE C;
    (void)State;
    memset(&C, 0, sizeof(C));
    assert_int_equal(FsimVolumeAddRemote(M, "\\\\srv\\irp", MS, 0, 0), 0);
    assert_int_equal(FsimVolumeCreateFile(M, "\\\\srv\\irp\\f", "1", 1), 0);
    assert_int_equal(TsRun(M, QuerySecurityBelowMup, &C), 0);
    assert_true(C.Completed);
    assert_int_equal(C.Status, STATUS_SUCCESS);
    assert_int_equal(C.Information, 20);
    assert_non_null(C.Mdl);
    assert_int_equal(C.ByteCount, 0x400);
    assert_int_equal(C.ByteOffset, 0xd80);
    assert_int_equal(C.MdlFlags & (MDL_PAGES_LOCKED | MDL_MAPPED_TO_SYSTEM_VA | MDL_WRITE_OPERATION |
                                   MDL_ALLOCATED_FIXED_SIZE),
                     MDL_PAGES_LOCKED | MDL_MAPPED_TO_SYSTEM_VA | MDL_WRITE_OPERATION | MDL_ALLOCATED_FIXED_SIZE);
    assert_non_null(C.Process);
    assert_int_equal(C.LockedHeld, C.LockedBefore + 2);
    assert_int_equal(C.LockedAfter, C.LockedBefore);
    /* 4 locations: unused, mrxsmb (MUP's completion), MUP (ours), ours. */
    {
        FSIM_MACHINE *Saved = KiMachine;
        KiMachine = M;
        IOP_DRIVER_IMAGE *Smb = IopFindImageByService("mrxsmb");
        assert_ptr_equal(C.Devices[1], Smb->DriverObject->DeviceObject);
        assert_string_equal(RdrDescribeRoutine((const void *)C.Routines[1]), "mup!MupiUncProviderCompletion");
        assert_ptr_equal(C.Devices[2], RdrGetMupDevice());
        assert_ptr_equal((void *)C.Routines[2], (void *)TestKeepIrp);
        KiMachine = Saved;
    }
}

typedef struct POST_CASE {
    BOOLEAN CompletedBeforeReturn;
    BOOLEAN Completed;
    NTSTATUS Returned;
    NTSTATUS Status;
    ULONG_PTR Information;
    PKTHREAD Caller;
    PKTHREAD CompletedOn;
    CHAR Data[8];
} POST_CASE;

static NTSTATUS TestReadDone(PDEVICE_OBJECT Device, PIRP Irp, PVOID Context)
{
    POST_CASE *C = Context;
    (void)Device;
    C->Completed = TRUE;
    C->Status = Irp->IoStatus.Status;
    C->Information = Irp->IoStatus.Information;
    C->CompletedOn = KeGetCurrentThread();
    return STATUS_MORE_PROCESSING_REQUIRED;
}

static void ReadWithLittleStack(void *Context)
{
    POST_CASE *C = Context;
    UNICODE_STRING Path;
    IO_STATUS_BLOCK Iosb;
    PFILE_OBJECT Fo = NULL;
    HANDLE Handle = NULL;
    PDEVICE_OBJECT Mup = RdrGetMupDevice();
    assert_true(KiUtf8ToUnicode("\\\\srv\\deep\\f", &Path));
    assert_int_equal(IopCreateFile(KiMachine->SystemProcess, &Path, GENERIC_READ | SYNCHRONIZE, 0, FILE_SHARE_READ,
                                   FILE_OPEN, FILE_SYNCHRONOUS_IO_NONALERT, KernelMode, NULL, &Handle, &Iosb, &Fo),
                     0);
    KiFreeUnicode(&Path);
    PCHAR Buffer = ExAllocatePoolWithTag(NonPagedPoolNx, 8, 'tseT');
    PIRP Irp = IoAllocateIrp((CCHAR)(Mup->StackSize + 1), FALSE);
    IoSetNextIrpStackLocation(Irp);
    PIO_STACK_LOCATION Own = IoGetCurrentIrpStackLocation(Irp);
    Own->MajorFunction = IRP_MJ_READ;
    Own->FileObject = Fo;
    Own->Parameters.Read.Length = 8;
    Own->Parameters.Read.ByteOffset.QuadPart = 0;
    Irp->UserBuffer = Buffer;
    Irp->RequestorMode = KernelMode;
    Irp->Flags = IRP_NOCACHE;
    Irp->Tail.Overlay.Thread = (PETHREAD)KeGetCurrentThread();
    IoCopyCurrentIrpStackLocationToNext(Irp);
    IoSetCompletionRoutine(Irp, TestReadDone, C, TRUE, TRUE, TRUE);
    C->Caller = KeGetCurrentThread();
    {
        /* Leave 0x1000 bytes: RDBSS gets there with less than 0xE00. */
        ULONG Eat = (ULONG)IoGetRemainingStackSize() - 0x1000;
        KiPushFrame("test", "BusyStack", Eat);
        C->Returned = IoCallDriver(Mup, Irp);
        C->CompletedBeforeReturn = C->Completed;
        KiPopFrame();
    }
    while (!C->Completed) {
        LARGE_INTEGER Tick;
        Tick.QuadPart = -10000;
        KeDelayExecutionThread(KernelMode, FALSE, &Tick);
    }
    memcpy(C->Data, Buffer, 8);
    for (PMDL Mdl = Irp->MdlAddress, Next; Mdl != NULL; Mdl = Next) {
        Next = Mdl->Next;
        if (Mdl->MdlFlags & MDL_PAGES_LOCKED)
            MmUnlockPages(Mdl);
        IoFreeMdl(Mdl);
    }
    IoFreeIrp(Irp);
    ExFreePoolWithTag(Buffer, 'tseT');
    ObfDereferenceObject(Fo);
    ObpCloseHandle(KiMachine->SystemProcess, Handle);
}

static void test_read_is_posted_when_the_stack_runs_low(void **State)
{
    POST_CASE C;
    (void)State;
    memset(&C, 0, sizeof(C));
    /* Latency 0: run in place, the read would complete before IoCallDriver returns. */
    assert_int_equal(FsimVolumeAddRemote(M, "\\\\srv\\deep", 0, 0, 0), 0);
    assert_int_equal(FsimVolumeCreateFile(M, "\\\\srv\\deep\\f", "posted!!", 8), 0);
    assert_int_equal(TsRun(M, ReadWithLittleStack, &C), 0);
    assert_int_equal(C.Returned, STATUS_PENDING);
    assert_false(C.CompletedBeforeReturn);
    assert_true(C.Completed);
    assert_int_equal(C.Status, STATUS_SUCCESS);
    assert_int_equal(C.Information, 8);
    assert_memory_equal(C.Data, "posted!!", 8);
    assert_ptr_not_equal(C.CompletedOn, C.Caller);
}

static void test_user_request_unlocks_at_completion(void **State)
{
    FSIM_HANDLE H;
    UCHAR Sd[0x400];
    uint32_t Needed;
    (void)State;
    assert_int_equal(FsimVolumeAddRemote(M, "\\\\srv\\u", MS, 0, 0), 0);
    assert_int_equal(FsimVolumeCreateFile(M, "\\\\srv\\u\\f", "1", 1), 0);
    assert_int_equal(Open("\\\\srv\\u\\f", READ_CONTROL, FILE_SHARE_READ, FILE_OPEN, 0, &H, NULL), 0);
    assert_int_equal(FsimNtQuerySecurityObject(M, Pid, H, 0x20, Sd, sizeof(Sd), &Needed), 0);
    assert_int_equal(FsimNtClose(M, Pid, H), 0);
    /* The I/O manager unlocked the MDL: the process exits cleanly. */
    assert_int_equal(FsimProcessExit(M, Pid), 0);
    assert_int_equal(FsimMachineState(M), FSIM_STATE_RUNNING);
}

/* --- cached reads: the seed's nested paging read ------------------------------------ */

/* The deepest stack's frames, outermost first, as "module!function;..." */
static void DeepestPath(char *Out, size_t Size)
{
    FSIM_STACK_PROFILE P;
    size_t Len = 0;
    Out[0] = '\0';
    assert_int_equal(FsimGetDeepestStack(M, &P), 1);
    for (size_t I = P.FrameCount; I > 0; I--) {
        const FSIM_REPORT_FRAME *F = &P.Frames[I - 1];
        int N = snprintf(Out + Len, Size - Len, "%s!%s;", F->Module, F->Function);
        assert_true(N > 0 && (size_t)N < Size - Len);
        Len += (size_t)N;
    }
}

static void test_cached_read_pages_in_through_the_whole_stack(void **State)
{
    FSIM_HANDLE H;
    char Buffer[16];
    uint64_t Info;
    static char Path[8192];
    (void)State;
    /* I/O verification on, as in the seed's listing. */
    FsimMachineDestroy(M);
    M = TsCreate(FSIM_VERIFIER_IO_CHECKING);
    assert_int_equal(FsimProcessCreate(M, "wpp.exe", &Pid), 0);
    assert_int_equal(FsimVolumeAddRemote(M, "\\\\test\\share", MS, 1, 1), 0);
    assert_int_equal(FsimVolumeCreateFile(M, "\\\\test\\share\\t.tmp", "cached read", 11), 0);
    assert_int_equal(Open("\\\\test\\share\\t.tmp", GENERIC_READ, FILE_SHARE_READ, FILE_OPEN, FILE_SYNCHRONOUS_IO_NONALERT,
                          &H, NULL), 0);
    assert_int_equal(FsimNtReadFile(M, Pid, H, 0, Buffer, sizeof(Buffer), &Info), 0);
    assert_int_equal(Info, 11);
    assert_memory_equal(Buffer, "cached read", 11);
    DeepestPath(Path, sizeof(Path));
    /* The user's read goes into the cache; the miss sends Mm's paging read to
     * the top of the same stack, nested, down to the network send. */
    const char *Expected =
        /* the cached read */
        "FLTMGR!FltpDispatch;nt!IofCallDriver;nt!IovCallDriver;nt!IopfCallDriver;"
        "mup!MupFsdIrpPassThrough;mup!MupStateMachine;mup!MupiCallUncProvider;"
        "nt!IofCallDriver;nt!IovCallDriver;nt!IopfCallDriver;mrxsmb!MRxSmbFsdDispatch;"
        "rdbss!RxFsdDispatch;rdbss!RxFsdCommonDispatch;rdbss!RxCommonRead;"
        "nt!CcCopyRead;nt!CcCopyReadEx;nt!CcMapAndCopyFromCache;nt!CcFetchDataForRead;"
        "nt!MmPrefetchForCacheManager;nt!MiPfExecuteReadList;nt!MiPageRead;nt!IoPageReadEx;"
        /* the paging read, from the top of the stack again */
        "nt!IofCallDriver;nt!IovCallDriver;nt!IopfCallDriver;FLTMGR!FltpDispatch;"
        "nt!IofCallDriver;nt!IovCallDriver;nt!IopfCallDriver;"
        "mup!MupFsdIrpPassThrough;mup!MupStateMachine;mup!MupiCallUncProvider;"
        "nt!IofCallDriver;nt!IovCallDriver;nt!IopfCallDriver;mrxsmb!MRxSmbFsdDispatch;"
        "rdbss!RxFsdDispatch;rdbss!RxFsdCommonDispatch;rdbss!RxCommonRead;rdbss!RxLowIoSubmit;"
        "csc!CscRead;mrxsmb!SmbShellRead;mrxsmb20!MRxSmb2Read;mrxsmb!SmbCeInitiateExchange;"
        "mrxsmb20!Smb2Read_Start;mrxsmb!SmbCseSubmitBufferContext;mrxsmb!VctSend;mrxsmb!RxCeSend;"
        "mrxsmb!SmbWskSend;rdbss!RxCeAllocateIrpWithMDL;nt!IoAllocateIrp;nt!IovAllocateIrp;";
    if (strstr(Path, Expected) == NULL)
        fail_msg("deepest stack: %s", Path);
    /* Once cached, the same read is a copy: no second trip to the server. */
    RDR_STATISTICS Before, After;
    Stats(&Before);
    assert_int_equal(FsimNtReadFile(M, Pid, H, 0, Buffer, sizeof(Buffer), &Info), 0);
    assert_int_equal(Info, 11);
    Stats(&After);
    assert_memory_equal(&Before, &After, sizeof(Before));
    /* Past the end of file. */
    assert_status(FsimNtReadFile(M, Pid, H, 64, Buffer, sizeof(Buffer), &Info), STATUS_END_OF_FILE);
    assert_int_equal(FsimNtClose(M, Pid, H), 0);
}

static void test_write_refreshes_the_cache(void **State)
{
    FSIM_HANDLE H;
    char Buffer[16];
    uint64_t Info;
    (void)State;
    assert_int_equal(FsimVolumeAddRemote(M, "\\\\srv\\c", 0, 0, 1), 0);
    assert_int_equal(FsimVolumeCreateFile(M, "\\\\srv\\c\\f", "old data", 8), 0);
    assert_int_equal(Open("\\\\srv\\c\\f", GENERIC_READ | GENERIC_WRITE, 0, FILE_OPEN, FILE_SYNCHRONOUS_IO_NONALERT, &H,
                          NULL), 0);
    assert_int_equal(FsimNtReadFile(M, Pid, H, 0, Buffer, sizeof(Buffer), &Info), 0);
    assert_int_equal(Info, 8);
    assert_int_equal(FsimNtWriteFile(M, Pid, H, 4, "NEW data", 8, &Info), 0);
    assert_int_equal(FsimNtReadFile(M, Pid, H, 0, Buffer, sizeof(Buffer), &Info), 0);
    assert_int_equal(Info, 12);
    assert_memory_equal(Buffer, "old NEW data", 12);
    assert_int_equal(FsimNtClose(M, Pid, H), 0);
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test_setup_teardown(test_boot_creates_the_chain_and_the_network_volume, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_create_write_read_close_inline, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_replies_arrive_after_the_latency, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_prefix_cache_and_resolution_failures, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_information_and_delete_on_close, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_sharing_is_decided_by_the_server, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_query_security_locks_and_releases_the_buffer, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_directory_listing, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_csc_share_goes_through_the_surrogate, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_copyfile_between_shares, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_rename_by_full_path_and_by_name, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_neither_io_buffer_is_locked_into_an_mdl_on_the_irp, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_read_is_posted_when_the_stack_runs_low, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_user_request_unlocks_at_completion, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_cached_read_pages_in_through_the_whole_stack, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_write_refreshes_the_cache, Setup, Teardown),
    };
    return cmocka_run_group_tests(Tests, NULL, NULL);
}
