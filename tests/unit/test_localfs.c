/*
 * test_localfs.c - unit tests of the local file system driver
 * (sim/drivers/localfs) through the host API: a machine with a local C:
 * volume and one process issuing NtCreateFile / NtReadFile / ... calls.
 *
 * Covers create dispositions and their errors, share access, delete on
 * close and dispositions, reads and writes around the end of file, the
 * query-information classes with exact values, directory enumeration
 * (order, "." and "..", patterns, buffer rules), security descriptor
 * queries, renames and timestamps moving with the virtual clock.
 *
 * A second group runs as kernel code on the machine's System thread
 * (support/ts.h) and sends IRPs the host API has no call for: volume
 * information, IRP_MJ_SET_SECURITY, faulting user buffers, flush, file
 * system control and unsupported requests.
 *
 * Buffers are raw Windows x64 layouts (fsim_fileinfo.h, fsim_security.h);
 * the test is built with the kernel flags (-fshort-wchar) so WCHAR and L""
 * are UTF-16.
 */
#include "support/ts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ST(x) ((uint32_t)(x))
#define ASSERT_ST(Expr, Want) assert_int_equal(ST(Expr), ST(Want))

#define RW (FILE_GENERIC_READ | FILE_GENERIC_WRITE)
#define ALL_SHARE (FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)
#define ONE_SECOND_NS 1000000000ull
#define ONE_SECOND_100NS 10000000ll

typedef struct LFS_TEST {
    FSIM_MACHINE *Machine;
    FSIM_PID Pid;
} LFS_TEST;

static int Setup(void **State)
{
    FSIM_MACHINE_OPTIONS Options;
    LFS_TEST *T = calloc(1, sizeof(LFS_TEST));

    memset(&Options, 0, sizeof(Options));
    Options.Seed = 1;
    T->Machine = FsimMachineCreate(&Options);
    assert_non_null(T->Machine);
    ASSERT_ST(FsimVolumeAddLocal(T->Machine, "C:"), STATUS_SUCCESS);
    ASSERT_ST(FsimProcessCreate(T->Machine, "test.exe", &T->Pid), STATUS_SUCCESS);
    *State = T;
    return 0;
}

static int Teardown(void **State)
{
    LFS_TEST *T = *State;

    assert_int_equal(FsimMachineState(T->Machine), FSIM_STATE_RUNNING);
    ASSERT_ST(FsimProcessExit(T->Machine, T->Pid), STATUS_SUCCESS);
    FsimMachineDestroy(T->Machine);
    free(T);
    return 0;
}

static uint32_t Open(LFS_TEST *T, const char *Path, uint32_t Access, uint32_t Share, uint32_t Disposition,
                     uint32_t Options, uint32_t Attributes, FSIM_HANDLE *Handle, uint64_t *Information)
{
    FSIM_CREATE Create;
    uint64_t Info = 0xDEAD;

    memset(&Create, 0, sizeof(Create));
    Create.Path = Path;
    Create.DesiredAccess = Access;
    Create.FileAttributes = Attributes;
    Create.ShareAccess = Share;
    Create.CreateDisposition = Disposition;
    Create.CreateOptions = Options;
    *Handle = 0;
    uint32_t Status = FsimNtCreateFile(T->Machine, T->Pid, &Create, Handle, &Info);
    if (Information != NULL) {
        *Information = Info;
    }
    return Status;
}

/* Opens (FILE_OPEN, all sharing) and returns the handle; fails the test otherwise. */
static FSIM_HANDLE OpenExisting(LFS_TEST *T, const char *Path, uint32_t Access)
{
    FSIM_HANDLE Handle;

    ASSERT_ST(Open(T, Path, Access, ALL_SHARE, FILE_OPEN, 0, 0, &Handle, NULL), STATUS_SUCCESS);
    return Handle;
}

static void Close(LFS_TEST *T, FSIM_HANDLE Handle)
{
    ASSERT_ST(FsimNtClose(T->Machine, T->Pid, Handle), STATUS_SUCCESS);
}

static void CreateFileWith(LFS_TEST *T, const char *Path, const char *Data)
{
    FSIM_HANDLE Handle;
    uint64_t Info;

    ASSERT_ST(Open(T, Path, RW, ALL_SHARE, FILE_CREATE, FILE_NON_DIRECTORY_FILE, FILE_ATTRIBUTE_NORMAL, &Handle,
                   &Info),
              STATUS_SUCCESS);
    assert_int_equal(Info, FILE_CREATED);
    if (Data != NULL && Data[0] != 0) {
        ASSERT_ST(FsimNtWriteFile(T->Machine, T->Pid, Handle, 0, Data, (uint32_t)strlen(Data), &Info),
                  STATUS_SUCCESS);
        assert_int_equal(Info, strlen(Data));
    }
    Close(T, Handle);
}

static void CreateDirectory(LFS_TEST *T, const char *Path)
{
    FSIM_HANDLE Handle;
    uint64_t Info;

    ASSERT_ST(Open(T, Path, FILE_LIST_DIRECTORY | SYNCHRONIZE, ALL_SHARE, FILE_CREATE, FILE_DIRECTORY_FILE, 0,
                   &Handle, &Info),
              STATUS_SUCCESS);
    assert_int_equal(Info, FILE_CREATED);
    Close(T, Handle);
}

static uint32_t Query(LFS_TEST *T, FSIM_HANDLE Handle, uint32_t Class, void *Buffer, uint32_t Length,
                      uint64_t *Information)
{
    uint64_t Info = 0;
    uint32_t Status = FsimNtQueryInformationFile(T->Machine, T->Pid, Handle, Class, Buffer, Length, &Info);

    if (Information != NULL) {
        *Information = Info;
    }
    return Status;
}

static uint64_t FileIdOf(LFS_TEST *T, FSIM_HANDLE Handle)
{
    FILE_INTERNAL_INFORMATION Internal;

    ASSERT_ST(Query(T, Handle, FileInternalInformation, &Internal, sizeof(Internal), NULL), STATUS_SUCCESS);
    return (uint64_t)Internal.IndexNumber.QuadPart;
}

/* Compares a UTF-16 name of Length bytes with an ASCII string. */
static int NameIs(const WCHAR *Name, uint32_t Length, const char *Expected)
{
    size_t Count = strlen(Expected);
    size_t Index;

    if (Length != Count * sizeof(WCHAR)) {
        return 0;
    }
    for (Index = 0; Index < Count; Index++) {
        if (Name[Index] != (WCHAR)(unsigned char)Expected[Index]) {
            return 0;
        }
    }
    return 1;
}

static void AssertName(const WCHAR *Name, uint32_t Length, const char *Expected)
{
    if (!NameIs(Name, Length, Expected)) {
        char Got[256];
        size_t Index;
        for (Index = 0; Index < Length / 2 && Index < sizeof(Got) - 1; Index++) {
            Got[Index] = (char)Name[Index];
        }
        Got[Index] = 0;
        fail_msg("name \"%s\", expected \"%s\"", Got, Expected);
    }
}

/* --- dispositions ---------------------------------------------------------- */

static void test_dispositions(void **State)
{
    LFS_TEST *T = *State;
    FSIM_HANDLE H;
    uint64_t Info;
    uint64_t Id;

    ASSERT_ST(Open(T, "C:\\a.txt", RW, ALL_SHARE, FILE_CREATE, FILE_NON_DIRECTORY_FILE, FILE_ATTRIBUTE_NORMAL, &H,
                   &Info),
              STATUS_SUCCESS);
    assert_int_equal(Info, FILE_CREATED);
    Id = FileIdOf(T, H);
    /* First user file: MFT record 0x40, sequence 1. */
    assert_int_equal(Id, (1ull << 48) | 0x40);
    Close(T, H);

    ASSERT_ST(Open(T, "C:\\a.txt", RW, ALL_SHARE, FILE_CREATE, 0, 0, &H, &Info), STATUS_OBJECT_NAME_COLLISION);
    ASSERT_ST(Open(T, "C:\\A.TXT", RW, ALL_SHARE, FILE_OPEN, 0, 0, &H, &Info), STATUS_SUCCESS);
    assert_int_equal(Info, FILE_OPENED);
    assert_int_equal(FileIdOf(T, H), Id);
    Close(T, H);
    ASSERT_ST(Open(T, "C:\\a.txt", RW, ALL_SHARE, FILE_OPEN_IF, 0, 0, &H, &Info), STATUS_SUCCESS);
    assert_int_equal(Info, FILE_OPENED);
    Close(T, H);
    ASSERT_ST(Open(T, "C:\\a.txt", RW, ALL_SHARE, FILE_OVERWRITE, 0, 0, &H, &Info), STATUS_SUCCESS);
    assert_int_equal(Info, FILE_OVERWRITTEN);
    Close(T, H);
    ASSERT_ST(Open(T, "C:\\a.txt", RW, ALL_SHARE, FILE_OVERWRITE_IF, 0, 0, &H, &Info), STATUS_SUCCESS);
    assert_int_equal(Info, FILE_OVERWRITTEN);
    Close(T, H);
    ASSERT_ST(Open(T, "C:\\a.txt", RW | DELETE, ALL_SHARE, FILE_SUPERSEDE, 0, 0, &H, &Info), STATUS_SUCCESS);
    assert_int_equal(Info, FILE_SUPERSEDED);
    assert_int_equal(FileIdOf(T, H), Id);
    Close(T, H);

    /* The creating dispositions on a missing file. */
    ASSERT_ST(Open(T, "C:\\b.txt", RW, ALL_SHARE, FILE_OPEN_IF, 0, 0, &H, &Info), STATUS_SUCCESS);
    assert_int_equal(Info, FILE_CREATED);
    Close(T, H);
    ASSERT_ST(Open(T, "C:\\c.txt", RW, ALL_SHARE, FILE_OVERWRITE_IF, 0, 0, &H, &Info), STATUS_SUCCESS);
    assert_int_equal(Info, FILE_CREATED);
    Close(T, H);
    ASSERT_ST(Open(T, "C:\\d.txt", RW | DELETE, ALL_SHARE, FILE_SUPERSEDE, 0, 0, &H, &Info), STATUS_SUCCESS);
    assert_int_equal(Info, FILE_CREATED);
    Close(T, H);

    /* Missing files and paths. */
    ASSERT_ST(Open(T, "C:\\missing.txt", RW, ALL_SHARE, FILE_OPEN, 0, 0, &H, &Info), STATUS_OBJECT_NAME_NOT_FOUND);
    ASSERT_ST(Open(T, "C:\\missing.txt", RW, ALL_SHARE, FILE_OVERWRITE, 0, 0, &H, &Info),
              STATUS_OBJECT_NAME_NOT_FOUND);
    ASSERT_ST(Open(T, "C:\\nodir\\x.txt", RW, ALL_SHARE, FILE_OPEN_IF, 0, 0, &H, &Info),
              STATUS_OBJECT_PATH_NOT_FOUND);
    ASSERT_ST(Open(T, "C:\\a.txt\\x.txt", RW, ALL_SHARE, FILE_OPEN_IF, 0, 0, &H, &Info),
              STATUS_OBJECT_PATH_NOT_FOUND);

    /* Files and directories. */
    CreateDirectory(T, "C:\\dir");
    ASSERT_ST(Open(T, "C:\\a.txt", RW, ALL_SHARE, FILE_OPEN, FILE_DIRECTORY_FILE, 0, &H, &Info),
              STATUS_NOT_A_DIRECTORY);
    ASSERT_ST(Open(T, "C:\\dir", RW, ALL_SHARE, FILE_OPEN, FILE_NON_DIRECTORY_FILE, 0, &H, &Info),
              STATUS_FILE_IS_A_DIRECTORY);
    ASSERT_ST(Open(T, "C:\\dir", RW, ALL_SHARE, FILE_OVERWRITE_IF, 0, 0, &H, &Info), STATUS_OBJECT_NAME_COLLISION);
    ASSERT_ST(Open(T, "C:\\DIR\\", FILE_LIST_DIRECTORY, ALL_SHARE, FILE_OPEN, 0, 0, &H, &Info), STATUS_SUCCESS);
    Close(T, H);
    ASSERT_ST(Open(T, "C:\\a.txt\\", RW, ALL_SHARE, FILE_OPEN, 0, 0, &H, &Info), STATUS_OBJECT_NAME_INVALID);

    /* Malformed names. */
    ASSERT_ST(Open(T, "C:\\a*.txt", RW, ALL_SHARE, FILE_CREATE, 0, 0, &H, &Info), STATUS_OBJECT_NAME_INVALID);
    ASSERT_ST(Open(T, "C:\\a?.txt", RW, ALL_SHARE, FILE_CREATE, 0, 0, &H, &Info), STATUS_OBJECT_NAME_INVALID);
    ASSERT_ST(Open(T, "C:\\dir\\\\a.txt", RW, ALL_SHARE, FILE_OPEN_IF, 0, 0, &H, &Info),
              STATUS_OBJECT_NAME_INVALID);
    ASSERT_ST(Open(T, "C:\\a.txt:stream", RW, ALL_SHARE, FILE_OPEN, 0, 0, &H, &Info), STATUS_OBJECT_NAME_INVALID);
    ASSERT_ST(Open(T, "C:\\a.txt::$DATA", RW, ALL_SHARE, FILE_OPEN, 0, 0, &H, &Info), STATUS_SUCCESS);
    assert_int_equal(FileIdOf(T, H), Id);
    Close(T, H);

    /* Read-only files. */
    ASSERT_ST(Open(T, "C:\\ro.txt", RW, ALL_SHARE, FILE_CREATE, 0, FILE_ATTRIBUTE_READONLY, &H, &Info),
              STATUS_SUCCESS);
    Close(T, H);
    ASSERT_ST(Open(T, "C:\\ro.txt", FILE_GENERIC_WRITE, ALL_SHARE, FILE_OPEN, 0, 0, &H, &Info),
              STATUS_ACCESS_DENIED);
    ASSERT_ST(Open(T, "C:\\ro.txt", FILE_GENERIC_READ, ALL_SHARE, FILE_OVERWRITE_IF, 0, 0, &H, &Info),
              STATUS_ACCESS_DENIED);
    ASSERT_ST(Open(T, "C:\\ro.txt", FILE_GENERIC_READ | DELETE, ALL_SHARE, FILE_OPEN, FILE_DELETE_ON_CLOSE, 0, &H,
                   &Info),
              STATUS_CANNOT_DELETE);
    ASSERT_ST(Open(T, "C:\\ro.txt", FILE_GENERIC_READ, ALL_SHARE, FILE_OPEN, 0, 0, &H, &Info), STATUS_SUCCESS);
    Close(T, H);

    /* A hidden file must be overwritten as hidden. */
    ASSERT_ST(Open(T, "C:\\hidden.txt", RW, ALL_SHARE, FILE_CREATE, 0, FILE_ATTRIBUTE_HIDDEN, &H, &Info),
              STATUS_SUCCESS);
    Close(T, H);
    ASSERT_ST(Open(T, "C:\\hidden.txt", RW, ALL_SHARE, FILE_OVERWRITE_IF, 0, FILE_ATTRIBUTE_NORMAL, &H, &Info),
              STATUS_ACCESS_DENIED);
    ASSERT_ST(Open(T, "C:\\hidden.txt", RW, ALL_SHARE, FILE_OVERWRITE_IF, 0, FILE_ATTRIBUTE_HIDDEN, &H, &Info),
              STATUS_SUCCESS);
    assert_int_equal(Info, FILE_OVERWRITTEN);
    Close(T, H);
}

/* --- share access ---------------------------------------------------------- */

static void test_share_access(void **State)
{
    LFS_TEST *T = *State;
    FSIM_HANDLE A, B, C;
    uint64_t Info;

    CreateFileWith(T, "C:\\s.txt", "shared");
    ASSERT_ST(Open(T, "C:\\s.txt", FILE_GENERIC_READ, FILE_SHARE_READ, FILE_OPEN, 0, 0, &A, &Info), STATUS_SUCCESS);
    /* Wants write, which A does not share. */
    ASSERT_ST(Open(T, "C:\\s.txt", FILE_GENERIC_WRITE, ALL_SHARE, FILE_OPEN, 0, 0, &B, &Info),
              STATUS_SHARING_VIOLATION);
    /* Does not share read, which A has. */
    ASSERT_ST(Open(T, "C:\\s.txt", FILE_GENERIC_READ, FILE_SHARE_WRITE, FILE_OPEN, 0, 0, &B, &Info),
              STATUS_SHARING_VIOLATION);
    ASSERT_ST(Open(T, "C:\\s.txt", FILE_GENERIC_READ, FILE_SHARE_READ, FILE_OPEN, 0, 0, &B, &Info), STATUS_SUCCESS);
    /* Attribute-only opens take no part in sharing. */
    ASSERT_ST(Open(T, "C:\\s.txt", FILE_READ_ATTRIBUTES | SYNCHRONIZE, 0, FILE_OPEN, 0, 0, &C, &Info),
              STATUS_SUCCESS);
    Close(T, C);
    /* An overwrite needs write sharing. */
    ASSERT_ST(Open(T, "C:\\s.txt", FILE_GENERIC_READ, FILE_SHARE_READ, FILE_OVERWRITE, 0, 0, &C, &Info),
              STATUS_SHARING_VIOLATION);
    Close(T, A);
    ASSERT_ST(Open(T, "C:\\s.txt", FILE_GENERIC_WRITE, ALL_SHARE, FILE_OPEN, 0, 0, &C, &Info),
              STATUS_SHARING_VIOLATION);
    Close(T, B);
    ASSERT_ST(Open(T, "C:\\s.txt", FILE_GENERIC_WRITE, 0, FILE_OPEN, 0, 0, &C, &Info), STATUS_SUCCESS);
    ASSERT_ST(Open(T, "C:\\s.txt", FILE_GENERIC_READ, ALL_SHARE, FILE_OPEN, 0, 0, &A, &Info),
              STATUS_SHARING_VIOLATION);
    Close(T, C);
    A = OpenExisting(T, "C:\\s.txt", FILE_GENERIC_READ);
    Close(T, A);
}

/* --- deleting ---------------------------------------------------------------- */

static void test_delete_on_close(void **State)
{
    LFS_TEST *T = *State;
    FSIM_HANDLE A, B;
    uint64_t Info;
    FILE_STANDARD_INFORMATION Standard;

    ASSERT_ST(Open(T, "C:\\tmp.txt", RW | DELETE, ALL_SHARE, FILE_CREATE, FILE_DELETE_ON_CLOSE, 0, &A, &Info),
              STATUS_SUCCESS);
    Close(T, A);
    ASSERT_ST(Open(T, "C:\\tmp.txt", RW, ALL_SHARE, FILE_OPEN, 0, 0, &A, &Info), STATUS_OBJECT_NAME_NOT_FOUND);

    /* With another handle open the file lingers, delete pending. */
    ASSERT_ST(Open(T, "C:\\tmp.txt", RW | DELETE, ALL_SHARE, FILE_CREATE, FILE_DELETE_ON_CLOSE, 0, &A, &Info),
              STATUS_SUCCESS);
    B = OpenExisting(T, "C:\\tmp.txt", FILE_GENERIC_READ);
    Close(T, A);
    ASSERT_ST(Open(T, "C:\\tmp.txt", RW, ALL_SHARE, FILE_OPEN, 0, 0, &A, &Info), STATUS_DELETE_PENDING);
    ASSERT_ST(Open(T, "C:\\tmp.txt", RW, ALL_SHARE, FILE_OVERWRITE_IF, 0, 0, &A, &Info), STATUS_DELETE_PENDING);
    ASSERT_ST(Query(T, B, FileStandardInformation, &Standard, sizeof(Standard), NULL), STATUS_SUCCESS);
    assert_true(Standard.DeletePending);
    Close(T, B);
    ASSERT_ST(Open(T, "C:\\tmp.txt", RW, ALL_SHARE, FILE_OPEN, 0, 0, &A, &Info), STATUS_OBJECT_NAME_NOT_FOUND);
}

static void test_disposition(void **State)
{
    LFS_TEST *T = *State;
    FSIM_HANDLE Dir, File, Other;
    uint64_t Info;
    FILE_DISPOSITION_INFORMATION Disposition;

    CreateDirectory(T, "C:\\dd");
    CreateFileWith(T, "C:\\dd\\f.txt", "x");
    Dir = OpenExisting(T, "C:\\dd", FILE_LIST_DIRECTORY | DELETE | SYNCHRONIZE);
    File = OpenExisting(T, "C:\\dd\\f.txt", RW | DELETE);

    Disposition.DeleteFile = TRUE;
    ASSERT_ST(FsimNtSetInformationFile(T->Machine, T->Pid, Dir, FileDispositionInformation, &Disposition,
                                       sizeof(Disposition)),
              STATUS_DIRECTORY_NOT_EMPTY);
    ASSERT_ST(Open(T, "C:\\dd", FILE_LIST_DIRECTORY | DELETE, ALL_SHARE, FILE_OPEN, FILE_DELETE_ON_CLOSE, 0,
                   &Other, &Info),
              STATUS_DIRECTORY_NOT_EMPTY);

    ASSERT_ST(FsimNtSetInformationFile(T->Machine, T->Pid, File, FileDispositionInformation, &Disposition,
                                       sizeof(Disposition)),
              STATUS_SUCCESS);
    ASSERT_ST(Open(T, "C:\\dd\\f.txt", RW, ALL_SHARE, FILE_OPEN, 0, 0, &Other, &Info), STATUS_DELETE_PENDING);
    /* Undo, check, redo. */
    Disposition.DeleteFile = FALSE;
    ASSERT_ST(FsimNtSetInformationFile(T->Machine, T->Pid, File, FileDispositionInformation, &Disposition,
                                       sizeof(Disposition)),
              STATUS_SUCCESS);
    Other = OpenExisting(T, "C:\\dd\\f.txt", FILE_GENERIC_READ);
    Close(T, Other);
    Disposition.DeleteFile = TRUE;
    ASSERT_ST(FsimNtSetInformationFile(T->Machine, T->Pid, File, FileDispositionInformation, &Disposition,
                                       sizeof(Disposition)),
              STATUS_SUCCESS);
    Close(T, File);

    /* Now the directory is empty and can go. */
    ASSERT_ST(FsimNtSetInformationFile(T->Machine, T->Pid, Dir, FileDispositionInformation, &Disposition,
                                       sizeof(Disposition)),
              STATUS_SUCCESS);
    ASSERT_ST(Open(T, "C:\\dd\\new.txt", RW, ALL_SHARE, FILE_CREATE, 0, 0, &Other, &Info), STATUS_DELETE_PENDING);
    Close(T, Dir);
    ASSERT_ST(Open(T, "C:\\dd", FILE_LIST_DIRECTORY, ALL_SHARE, FILE_OPEN, 0, 0, &Other, &Info),
              STATUS_OBJECT_NAME_NOT_FOUND);

    /* A read-only file cannot be deleted. */
    ASSERT_ST(Open(T, "C:\\ro.txt", RW | DELETE, ALL_SHARE, FILE_CREATE, 0, FILE_ATTRIBUTE_READONLY, &File, &Info),
              STATUS_SUCCESS);
    ASSERT_ST(FsimNtSetInformationFile(T->Machine, T->Pid, File, FileDispositionInformation, &Disposition,
                                       sizeof(Disposition)),
              STATUS_CANNOT_DELETE);
    Close(T, File);
}

/* --- reading and writing ------------------------------------------------------ */

static void test_read_write_end_of_file(void **State)
{
    LFS_TEST *T = *State;
    FSIM_HANDLE H;
    uint64_t Info;
    char Buffer[64];
    FILE_STANDARD_INFORMATION Standard;
    FILE_POSITION_INFORMATION Position;

    ASSERT_ST(Open(T, "C:\\rw.bin", RW, 0, FILE_CREATE, FILE_NON_DIRECTORY_FILE, 0, &H, &Info), STATUS_SUCCESS);
    ASSERT_ST(Query(T, H, FileStandardInformation, &Standard, sizeof(Standard), &Info), STATUS_SUCCESS);
    assert_int_equal(Info, sizeof(FILE_STANDARD_INFORMATION));
    assert_int_equal(Standard.EndOfFile.QuadPart, 0);
    assert_int_equal(Standard.AllocationSize.QuadPart, 0);

    ASSERT_ST(FsimNtWriteFile(T->Machine, T->Pid, H, 0, "hello", 5, &Info), STATUS_SUCCESS);
    assert_int_equal(Info, 5);
    ASSERT_ST(Query(T, H, FileStandardInformation, &Standard, sizeof(Standard), NULL), STATUS_SUCCESS);
    assert_int_equal(Standard.EndOfFile.QuadPart, 5);
    assert_int_equal(Standard.AllocationSize.QuadPart, 4096);
    assert_int_equal(Standard.NumberOfLinks, 1);
    assert_false(Standard.DeletePending);
    assert_false(Standard.Directory);

    /* The file pointer of a synchronous handle follows the transfers. */
    ASSERT_ST(FsimNtWriteFile(T->Machine, T->Pid, H, UINT64_MAX, " world", 6, &Info), STATUS_SUCCESS);
    ASSERT_ST(Query(T, H, FilePositionInformation, &Position, sizeof(Position), NULL), STATUS_SUCCESS);
    assert_int_equal(Position.CurrentByteOffset.QuadPart, 11);

    memset(Buffer, 0, sizeof(Buffer));
    ASSERT_ST(FsimNtReadFile(T->Machine, T->Pid, H, 0, Buffer, sizeof(Buffer), &Info), STATUS_SUCCESS);
    assert_int_equal(Info, 11);
    assert_memory_equal(Buffer, "hello world", 11);
    ASSERT_ST(FsimNtReadFile(T->Machine, T->Pid, H, 11, Buffer, 4, &Info), STATUS_END_OF_FILE);
    assert_int_equal(Info, 0);
    ASSERT_ST(FsimNtReadFile(T->Machine, T->Pid, H, 1000, Buffer, 4, &Info), STATUS_END_OF_FILE);
    ASSERT_ST(FsimNtReadFile(T->Machine, T->Pid, H, 6, Buffer, 100, &Info), STATUS_SUCCESS);
    assert_int_equal(Info, 5);
    assert_memory_equal(Buffer, "world", 5);

    /* Writing past the end zero-fills the gap. */
    ASSERT_ST(FsimNtWriteFile(T->Machine, T->Pid, H, 20, "Z", 1, &Info), STATUS_SUCCESS);
    ASSERT_ST(FsimNtReadFile(T->Machine, T->Pid, H, 0, Buffer, sizeof(Buffer), &Info), STATUS_SUCCESS);
    assert_int_equal(Info, 21);
    assert_int_equal(Buffer[11], 0);
    assert_int_equal(Buffer[19], 0);
    assert_int_equal(Buffer[20], 'Z');

    /* End of file and allocation set directly. */
    {
        FILE_END_OF_FILE_INFORMATION EndOfFile;
        FILE_ALLOCATION_INFORMATION Allocation;

        EndOfFile.EndOfFile.QuadPart = 5000;
        ASSERT_ST(FsimNtSetInformationFile(T->Machine, T->Pid, H, FileEndOfFileInformation, &EndOfFile,
                                           sizeof(EndOfFile)),
                  STATUS_SUCCESS);
        ASSERT_ST(Query(T, H, FileStandardInformation, &Standard, sizeof(Standard), NULL), STATUS_SUCCESS);
        assert_int_equal(Standard.EndOfFile.QuadPart, 5000);
        assert_int_equal(Standard.AllocationSize.QuadPart, 8192);
        Allocation.AllocationSize.QuadPart = 3;
        ASSERT_ST(FsimNtSetInformationFile(T->Machine, T->Pid, H, FileAllocationInformation, &Allocation,
                                           sizeof(Allocation)),
                  STATUS_SUCCESS);
        ASSERT_ST(Query(T, H, FileStandardInformation, &Standard, sizeof(Standard), NULL), STATUS_SUCCESS);
        assert_int_equal(Standard.EndOfFile.QuadPart, 3);
        assert_int_equal(Standard.AllocationSize.QuadPart, 4096);
    }
    Close(T, H);

    /* Data written at setup time. */
    ASSERT_ST(FsimVolumeCreateFile(T->Machine, "C:\\setup\\deep\\f.txt", "abcd", 4), STATUS_SUCCESS);
    H = OpenExisting(T, "C:\\setup\\deep\\f.txt", FILE_GENERIC_READ);
    ASSERT_ST(FsimNtReadFile(T->Machine, T->Pid, H, 0, Buffer, sizeof(Buffer), &Info), STATUS_SUCCESS);
    assert_int_equal(Info, 4);
    assert_memory_equal(Buffer, "abcd", 4);
    Close(T, H);
    ASSERT_ST(FsimVolumeCreateDirectory(T->Machine, "C:\\setup\\deep\\f.txt"), STATUS_OBJECT_NAME_COLLISION);
}

/* --- query information ------------------------------------------------------ */

static void test_query_information_classes(void **State)
{
    LFS_TEST *T = *State;
    FSIM_HANDLE H;
    FSIM_HANDLE Root;
    uint64_t Info;
    uint64_t Id;
    union {
        FILE_BASIC_INFORMATION Basic;
        FILE_NETWORK_OPEN_INFORMATION NetworkOpen;
        FILE_ATTRIBUTE_TAG_INFORMATION Tag;
        FILE_EA_INFORMATION Ea;
        FILE_MODE_INFORMATION Mode;
        FILE_ALIGNMENT_INFORMATION Alignment;
        FILE_ID_INFORMATION FileId;
        FILE_NAME_INFORMATION Name;
        FILE_STREAM_INFORMATION Stream;
        FILE_ALL_INFORMATION All;
        UCHAR Raw[512];
    } B;

    CreateDirectory(T, "C:\\docs");
    CreateFileWith(T, "C:\\docs\\Report.txt", "0123456789");
    H = OpenExisting(T, "C:\\DOCS\\report.TXT", FILE_GENERIC_READ);
    Id = FileIdOf(T, H);

    ASSERT_ST(Query(T, H, FileBasicInformation, &B, sizeof(FILE_BASIC_INFORMATION), &Info), STATUS_SUCCESS);
    assert_int_equal(Info, sizeof(FILE_BASIC_INFORMATION));
    assert_int_equal(B.Basic.FileAttributes, FILE_ATTRIBUTE_ARCHIVE);
    ASSERT_ST(Query(T, H, FileBasicInformation, &B, sizeof(FILE_BASIC_INFORMATION) - 1, &Info),
              STATUS_INFO_LENGTH_MISMATCH);

    /* The name is the case-preserved path from the volume root. */
    ASSERT_ST(Query(T, H, FileNameInformation, &B, sizeof(B), &Info), STATUS_SUCCESS);
    AssertName(B.Name.FileName, B.Name.FileNameLength, "\\docs\\Report.txt");
    assert_int_equal(Info, FIELD_OFFSET(FILE_NAME_INFORMATION, FileName) + 32);
    ASSERT_ST(Query(T, H, FileNameInformation, &B, 12, &Info), STATUS_BUFFER_OVERFLOW);
    assert_int_equal(B.Name.FileNameLength, 32);
    assert_int_equal(Info, 12);
    {
        const WCHAR *Partial = B.Name.FileName;
        assert_int_equal(Partial[0], L'\\');
        assert_int_equal(Partial[3], L'c');
    }

    ASSERT_ST(Query(T, H, FileAllInformation, &B, sizeof(B), &Info), STATUS_SUCCESS);
    assert_int_equal(B.All.StandardInformation.EndOfFile.QuadPart, 10);
    assert_int_equal(B.All.StandardInformation.AllocationSize.QuadPart, 4096);
    assert_int_equal(B.All.InternalInformation.IndexNumber.QuadPart, (LONGLONG)Id);
    assert_int_equal(B.All.EaInformation.EaSize, 0);
    assert_int_equal(B.All.PositionInformation.CurrentByteOffset.QuadPart, 0);
    assert_int_equal(B.All.ModeInformation.Mode, FILE_SYNCHRONOUS_IO_NONALERT);
    assert_int_equal(B.All.AlignmentInformation.AlignmentRequirement, FILE_BYTE_ALIGNMENT);
    AssertName(B.All.NameInformation.FileName, B.All.NameInformation.FileNameLength, "\\docs\\Report.txt");
    assert_int_equal(Info, FIELD_OFFSET(FILE_ALL_INFORMATION, NameInformation.FileName) + 32);
    ASSERT_ST(Query(T, H, FileAllInformation, &B, sizeof(FILE_ALL_INFORMATION) - 2, &Info),
              STATUS_INFO_LENGTH_MISMATCH);

    ASSERT_ST(Query(T, H, FileNetworkOpenInformation, &B, sizeof(FILE_NETWORK_OPEN_INFORMATION), &Info),
              STATUS_SUCCESS);
    assert_int_equal(B.NetworkOpen.EndOfFile.QuadPart, 10);
    assert_int_equal(B.NetworkOpen.AllocationSize.QuadPart, 4096);
    assert_int_equal(B.NetworkOpen.FileAttributes, FILE_ATTRIBUTE_ARCHIVE);

    ASSERT_ST(Query(T, H, FileAttributeTagInformation, &B, sizeof(FILE_ATTRIBUTE_TAG_INFORMATION), &Info),
              STATUS_SUCCESS);
    assert_int_equal(B.Tag.FileAttributes, FILE_ATTRIBUTE_ARCHIVE);
    assert_int_equal(B.Tag.ReparseTag, 0);

    ASSERT_ST(Query(T, H, FileEaInformation, &B, sizeof(FILE_EA_INFORMATION), &Info), STATUS_SUCCESS);
    assert_int_equal(B.Ea.EaSize, 0);

    ASSERT_ST(Query(T, H, FileModeInformation, &B, sizeof(FILE_MODE_INFORMATION), &Info), STATUS_SUCCESS);
    assert_int_equal(B.Mode.Mode, FILE_SYNCHRONOUS_IO_NONALERT);

    ASSERT_ST(Query(T, H, FileAlignmentInformation, &B, sizeof(FILE_ALIGNMENT_INFORMATION), &Info),
              STATUS_SUCCESS);
    assert_int_equal(B.Alignment.AlignmentRequirement, FILE_BYTE_ALIGNMENT);

    ASSERT_ST(Query(T, H, FileStreamInformation, &B, sizeof(B), &Info), STATUS_SUCCESS);
    assert_int_equal(B.Stream.NextEntryOffset, 0);
    assert_int_equal(B.Stream.StreamSize.QuadPart, 10);
    assert_int_equal(B.Stream.StreamAllocationSize.QuadPart, 4096);
    AssertName(B.Stream.StreamName, B.Stream.StreamNameLength, "::$DATA");
    assert_int_equal(Info, FIELD_OFFSET(FILE_STREAM_INFORMATION, StreamName) + 14);

    ASSERT_ST(Query(T, H, FileIdInformation, &B, sizeof(FILE_ID_INFORMATION), &Info), STATUS_SUCCESS);
    assert_int_equal(B.FileId.FileId.Identifier[0], (UCHAR)Id);
    assert_int_equal(B.FileId.FileId.Identifier[6], 1);
    assert_int_equal(B.FileId.FileId.Identifier[8], 0);
    assert_int_not_equal(B.FileId.VolumeSerialNumber, 0);

    /* A class localfs does not implement. */
    ASSERT_ST(Query(T, H, FileHardLinkInformation, &B, sizeof(B), &Info), STATUS_INVALID_PARAMETER);
    Close(T, H);

    /* The root: hidden, system, a directory, MFT record 5. */
    Root = OpenExisting(T, "C:\\", FILE_LIST_DIRECTORY | FILE_READ_ATTRIBUTES | SYNCHRONIZE);
    assert_int_equal(FileIdOf(T, Root), 0x0005000000000005ull);
    ASSERT_ST(Query(T, Root, FileBasicInformation, &B, sizeof(FILE_BASIC_INFORMATION), &Info), STATUS_SUCCESS);
    assert_int_equal(B.Basic.FileAttributes, FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM |
                                                 FILE_ATTRIBUTE_DIRECTORY);
    ASSERT_ST(Query(T, Root, FileNameInformation, &B, sizeof(B), &Info), STATUS_SUCCESS);
    AssertName(B.Name.FileName, B.Name.FileNameLength, "\\");
    {
        FILE_STANDARD_INFORMATION Standard;
        ASSERT_ST(Query(T, Root, FileStandardInformation, &Standard, sizeof(Standard), NULL), STATUS_SUCCESS);
        assert_true(Standard.Directory);
        assert_int_equal(Standard.EndOfFile.QuadPart, 0);
    }
    Close(T, Root);
}

/* --- timestamps ---------------------------------------------------------------- */

static void test_timestamps(void **State)
{
    LFS_TEST *T = *State;
    FSIM_HANDLE H;
    FSIM_HANDLE Dir;
    uint64_t Info;
    FILE_BASIC_INFORMATION Created;
    FILE_BASIC_INFORMATION Now;
    FILE_BASIC_INFORMATION DirBefore;
    FILE_BASIC_INFORMATION DirAfter;

    CreateDirectory(T, "C:\\t");
    Dir = OpenExisting(T, "C:\\t", FILE_READ_ATTRIBUTES | SYNCHRONIZE);
    ASSERT_ST(Query(T, Dir, FileBasicInformation, &DirBefore, sizeof(DirBefore), NULL), STATUS_SUCCESS);

    ASSERT_ST(FsimAdvanceTime(T->Machine, ONE_SECOND_NS), STATUS_SUCCESS);
    ASSERT_ST(Open(T, "C:\\t\\f.txt", RW, ALL_SHARE, FILE_CREATE, 0, 0, &H, &Info), STATUS_SUCCESS);
    ASSERT_ST(Query(T, H, FileBasicInformation, &Created, sizeof(Created), NULL), STATUS_SUCCESS);
    assert_int_equal(Created.CreationTime.QuadPart, DirBefore.CreationTime.QuadPart + ONE_SECOND_100NS);
    assert_int_equal(Created.LastWriteTime.QuadPart, Created.CreationTime.QuadPart);
    assert_int_equal(Created.ChangeTime.QuadPart, Created.CreationTime.QuadPart);
    assert_int_equal(Created.LastAccessTime.QuadPart, Created.CreationTime.QuadPart);
    /* Creating an entry modified the directory. */
    ASSERT_ST(Query(T, Dir, FileBasicInformation, &DirAfter, sizeof(DirAfter), NULL), STATUS_SUCCESS);
    assert_int_equal(DirAfter.LastWriteTime.QuadPart, Created.CreationTime.QuadPart);
    assert_int_equal(DirAfter.CreationTime.QuadPart, DirBefore.CreationTime.QuadPart);

    ASSERT_ST(FsimAdvanceTime(T->Machine, 3 * ONE_SECOND_NS), STATUS_SUCCESS);
    ASSERT_ST(FsimNtWriteFile(T->Machine, T->Pid, H, 0, "data", 4, &Info), STATUS_SUCCESS);
    ASSERT_ST(Query(T, H, FileBasicInformation, &Now, sizeof(Now), NULL), STATUS_SUCCESS);
    assert_int_equal(Now.CreationTime.QuadPart, Created.CreationTime.QuadPart);
    assert_int_equal(Now.LastWriteTime.QuadPart, Created.CreationTime.QuadPart + 3 * ONE_SECOND_100NS);
    assert_int_equal(Now.ChangeTime.QuadPart, Now.LastWriteTime.QuadPart);

    /* Reading does not touch them. */
    ASSERT_ST(FsimAdvanceTime(T->Machine, ONE_SECOND_NS), STATUS_SUCCESS);
    {
        char Buffer[4];
        FILE_BASIC_INFORMATION Later;
        ASSERT_ST(FsimNtReadFile(T->Machine, T->Pid, H, 0, Buffer, 4, &Info), STATUS_SUCCESS);
        ASSERT_ST(Query(T, H, FileBasicInformation, &Later, sizeof(Later), NULL), STATUS_SUCCESS);
        assert_memory_equal(&Later, &Now, sizeof(Now));
    }

    /* FileBasicInformation: explicit times are kept, zero means "leave alone". */
    {
        FILE_BASIC_INFORMATION Set;
        FILE_BASIC_INFORMATION Got;
        memset(&Set, 0, sizeof(Set));
        Set.CreationTime.QuadPart = 123456789;
        Set.FileAttributes = FILE_ATTRIBUTE_HIDDEN;
        ASSERT_ST(FsimNtSetInformationFile(T->Machine, T->Pid, H, FileBasicInformation, &Set, sizeof(Set)),
                  STATUS_SUCCESS);
        ASSERT_ST(Query(T, H, FileBasicInformation, &Got, sizeof(Got), NULL), STATUS_SUCCESS);
        assert_int_equal(Got.CreationTime.QuadPart, 123456789);
        assert_int_equal(Got.LastWriteTime.QuadPart, Now.LastWriteTime.QuadPart);
        assert_int_equal(Got.ChangeTime.QuadPart, Now.LastWriteTime.QuadPart + ONE_SECOND_100NS);
        assert_int_equal(Got.FileAttributes, FILE_ATTRIBUTE_HIDDEN);
    }
    Close(T, H);
    Close(T, Dir);
}

/* --- directory listing ---------------------------------------------------------- */

/* Lists Directory with FileNamesInformation and compares with Expected. */
static void ExpectListing(LFS_TEST *T, const char *Directory, const char *Pattern, uint32_t BufferLength,
                          const char *const *Expected, size_t Count)
{
    FSIM_HANDLE H = OpenExisting(T, Directory, FILE_LIST_DIRECTORY | SYNCHRONIZE);
    UCHAR *Buffer = malloc(BufferLength);
    size_t Got = 0;
    int First = 1;

    for (;;) {
        uint64_t Info = 0xDEAD;
        uint32_t Status = FsimNtQueryDirectoryFile(T->Machine, T->Pid, H, FileNamesInformation, Buffer,
                                                   BufferLength, 0, Pattern, First, &Info);
        uint32_t Offset = 0;

        if (Status == ST(STATUS_NO_MORE_FILES) || Status == ST(STATUS_NO_SUCH_FILE)) {
            assert_int_equal(Status, ST(First ? STATUS_NO_SUCH_FILE : STATUS_NO_MORE_FILES));
            break;
        }
        ASSERT_ST(Status, STATUS_SUCCESS);
        First = 0;
        for (;;) {
            PFILE_NAMES_INFORMATION Entry = (PFILE_NAMES_INFORMATION)(Buffer + Offset);
            assert_int_equal(Offset % 8, 0);
            assert_true(Got < Count);
            AssertName(Entry->FileName, Entry->FileNameLength, Expected[Got]);
            Got++;
            if (Entry->NextEntryOffset == 0) {
                assert_int_equal(Info, Offset + FIELD_OFFSET(FILE_NAMES_INFORMATION, FileName) +
                                           Entry->FileNameLength);
                break;
            }
            Offset += Entry->NextEntryOffset;
        }
    }
    assert_int_equal(Got, Count);
    free(Buffer);
    Close(T, H);
}

static void test_directory_listing(void **State)
{
    LFS_TEST *T = *State;
    static const char *const Names[] = {"b", "A", "c", "_x", "a1", "B2.txt", "readme.md"};
    static const char *const All[] = {".", "..", "A", "a1", "b", "B2.txt", "c", "readme.md", "_x"};
    static const char *const StartsWithA[] = {"A", "a1"};
    static const char *const Txt[] = {"B2.txt"};
    static const char *const OneChar[] = {".", "A", "b", "c"};
    static const char *const Exact[] = {"readme.md"};
    char Path[64];
    size_t Index;

    CreateDirectory(T, "C:\\list");
    for (Index = 0; Index < sizeof(Names) / sizeof(Names[0]); Index++) {
        snprintf(Path, sizeof(Path), "C:\\list\\%s", Names[Index]);
        CreateFileWith(T, Path, NULL);
    }
    CreateDirectory(T, "C:\\empty");

    /* NTFS order: upcased UTF-16 units ('_' sorts after letters), dots first. */
    ExpectListing(T, "C:\\list", NULL, 4096, All, 9);
    /* A small buffer takes several calls. */
    ExpectListing(T, "C:\\list", NULL, 40, All, 9);
    ExpectListing(T, "C:\\list", "a*", 4096, StartsWithA, 2);
    ExpectListing(T, "C:\\list", "*.TXT", 4096, Txt, 1);
    ExpectListing(T, "C:\\list", "?", 4096, OneChar, 4);
    ExpectListing(T, "C:\\list", "README.MD", 4096, Exact, 1);
    ExpectListing(T, "C:\\list", "zz*", 4096, NULL, 0);
    ExpectListing(T, "C:\\empty", NULL, 4096, All, 2);

    {
        UCHAR Buffer[512];
        uint64_t Info;
        FSIM_HANDLE H = OpenExisting(T, "C:\\list", FILE_LIST_DIRECTORY | SYNCHRONIZE);
        PFILE_ID_BOTH_DIR_INFORMATION Entry = (PFILE_ID_BOTH_DIR_INFORMATION)Buffer;
        ULONG NameOffset = FIELD_OFFSET(FILE_ID_BOTH_DIR_INFORMATION, FileName);

        /* The first entry does not fit: fixed part and part of the name. */
        ASSERT_ST(FsimNtQueryDirectoryFile(T->Machine, T->Pid, H, FileIdBothDirectoryInformation, Buffer,
                                           NameOffset + 2, 1, "readme.md", 1, &Info),
                  STATUS_BUFFER_OVERFLOW);
        assert_int_equal(Info, NameOffset + 2);
        assert_int_equal(Entry->FileNameLength, 18);
        assert_int_equal(Entry->FileName[0], L'r');
        /* The entry was not consumed. */
        ASSERT_ST(FsimNtQueryDirectoryFile(T->Machine, T->Pid, H, FileIdBothDirectoryInformation, Buffer,
                                           sizeof(Buffer), 1, NULL, 0, &Info),
                  STATUS_SUCCESS);
        assert_int_equal(Info, NameOffset + 18);
        assert_int_equal(Entry->NextEntryOffset, 0);
        AssertName(Entry->FileName, Entry->FileNameLength, "readme.md");
        assert_int_equal(Entry->FileAttributes, FILE_ATTRIBUTE_ARCHIVE);
        assert_int_equal(Entry->ShortNameLength, 0);
        assert_int_equal(Entry->EaSize, 0);
        assert_int_equal(Entry->EndOfFile.QuadPart, 0);
        assert_int_equal(Entry->FileIndex, 0);
        assert_int_not_equal(Entry->FileId.QuadPart, 0);
        ASSERT_ST(FsimNtQueryDirectoryFile(T->Machine, T->Pid, H, FileIdBothDirectoryInformation, Buffer,
                                           sizeof(Buffer), 1, NULL, 0, &Info),
                  STATUS_NO_MORE_FILES);
        /* Restarting keeps the captured expression. */
        ASSERT_ST(FsimNtQueryDirectoryFile(T->Machine, T->Pid, H, FileBothDirectoryInformation, Buffer,
                                           sizeof(Buffer), 0, "*", 1, &Info),
                  STATUS_SUCCESS);
        AssertName(((PFILE_BOTH_DIR_INFORMATION)Buffer)->FileName,
                   ((PFILE_BOTH_DIR_INFORMATION)Buffer)->FileNameLength, "readme.md");
        Close(T, H);
    }
    {
        /* The root lists no "." or "..". */
        UCHAR Buffer[512];
        uint64_t Info;
        FSIM_HANDLE H = OpenExisting(T, "C:\\", FILE_LIST_DIRECTORY | SYNCHRONIZE);
        PFILE_DIRECTORY_INFORMATION Entry = (PFILE_DIRECTORY_INFORMATION)Buffer;

        ASSERT_ST(FsimNtQueryDirectoryFile(T->Machine, T->Pid, H, FileDirectoryInformation, Buffer, sizeof(Buffer),
                                           1, NULL, 1, &Info),
                  STATUS_SUCCESS);
        AssertName(Entry->FileName, Entry->FileNameLength, "empty");
        assert_int_equal(Entry->FileAttributes, FILE_ATTRIBUTE_DIRECTORY);
        Close(T, H);
    }
}

/* --- security ---------------------------------------------------------------------- */

static void test_security_descriptor(void **State)
{
    LFS_TEST *T = *State;
    FSIM_HANDLE H;
    UCHAR Buffer[512];
    uint32_t Needed = 0;
    const SECURITY_INFORMATION Wanted =
        OWNER_SECURITY_INFORMATION | GROUP_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION;

    CreateFileWith(T, "C:\\secure.txt", "s");
    H = OpenExisting(T, "C:\\secure.txt", READ_CONTROL | SYNCHRONIZE);

    /* Too small: nothing copied, the size needed returned. */
    ASSERT_ST(FsimNtQuerySecurityObject(T->Machine, T->Pid, H, Wanted, Buffer, 16, &Needed),
              STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(Needed, 120);

    ASSERT_ST(FsimNtQuerySecurityObject(T->Machine, T->Pid, H, Wanted, Buffer, sizeof(Buffer), &Needed),
              STATUS_SUCCESS);
    assert_int_equal(Needed, 120);
    {
        PISECURITY_DESCRIPTOR_RELATIVE Sd = (PISECURITY_DESCRIPTOR_RELATIVE)Buffer;
        const UCHAR *Dacl = Buffer + Sd->Dacl;
        const UCHAR *Owner = Buffer + Sd->Owner;
        const UCHAR *Group = Buffer + Sd->Group;
        static const UCHAR Administrators[16] = {1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 0x02, 0, 0};
        static const UCHAR System[12] = {1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0};
        static const UCHAR AuthenticatedUsers[12] = {1, 1, 0, 0, 0, 0, 0, 5, 11, 0, 0, 0};
        const UCHAR *Ace;
        ULONG Mask;

        assert_int_equal(Sd->Revision, SECURITY_DESCRIPTOR_REVISION);
        assert_int_equal(Sd->Control, SE_SELF_RELATIVE | SE_DACL_PRESENT | SE_DACL_AUTO_INHERITED);
        assert_int_equal(Sd->Sacl, 0);
        assert_int_equal(Sd->Dacl, 20);
        assert_int_equal(Sd->Owner, 92);
        assert_int_equal(Sd->Group, 108);
        assert_memory_equal(Owner, Administrators, sizeof(Administrators));
        assert_memory_equal(Group, System, sizeof(System));

        /* ACL header: revision 2, size 72, three ACEs. */
        assert_int_equal(Dacl[0], ACL_REVISION);
        assert_int_equal(Dacl[2] | (Dacl[3] << 8), 72);
        assert_int_equal(Dacl[4] | (Dacl[5] << 8), 3);
        /* SYSTEM: full control, inherited. */
        Ace = Dacl + 8;
        assert_int_equal(Ace[0], ACCESS_ALLOWED_ACE_TYPE);
        assert_int_equal(Ace[1], INHERITED_ACE);
        assert_int_equal(Ace[2] | (Ace[3] << 8), 20);
        memcpy(&Mask, Ace + 4, 4);
        assert_int_equal(Mask, FILE_ALL_ACCESS);
        assert_memory_equal(Ace + 8, System, sizeof(System));
        /* Administrators: full control. */
        Ace += 20;
        assert_int_equal(Ace[2] | (Ace[3] << 8), 24);
        memcpy(&Mask, Ace + 4, 4);
        assert_int_equal(Mask, FILE_ALL_ACCESS);
        assert_memory_equal(Ace + 8, Administrators, sizeof(Administrators));
        /* Authenticated Users: modify. */
        Ace += 24;
        memcpy(&Mask, Ace + 4, 4);
        assert_int_equal(Mask, 0x001301BF);
        assert_memory_equal(Ace + 8, AuthenticatedUsers, sizeof(AuthenticatedUsers));
    }

    /* Only the owner. */
    ASSERT_ST(FsimNtQuerySecurityObject(T->Machine, T->Pid, H, OWNER_SECURITY_INFORMATION, Buffer, sizeof(Buffer),
                                        &Needed),
              STATUS_SUCCESS);
    assert_int_equal(Needed, 36);
    assert_int_equal(((PISECURITY_DESCRIPTOR_RELATIVE)Buffer)->Control, SE_SELF_RELATIVE);
    assert_int_equal(((PISECURITY_DESCRIPTOR_RELATIVE)Buffer)->Owner, 20);
    Close(T, H);

    /* Directories' ACEs are inheritable. */
    CreateDirectory(T, "C:\\sdir");
    H = OpenExisting(T, "C:\\sdir", READ_CONTROL | SYNCHRONIZE);
    ASSERT_ST(FsimNtQuerySecurityObject(T->Machine, T->Pid, H, DACL_SECURITY_INFORMATION, Buffer, sizeof(Buffer),
                                        &Needed),
              STATUS_SUCCESS);
    assert_int_equal(Needed, 92);
    assert_int_equal(Buffer[20 + 8 + 1], OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE | INHERITED_ACE);
    Close(T, H);
}

/* --- rename ---------------------------------------------------------------------------- */

static void test_rename(void **State)
{
    LFS_TEST *T = *State;
    FSIM_HANDLE H;
    FSIM_HANDLE Other;
    uint64_t Info;
    union {
        FILE_RENAME_INFORMATION Rename;
        FILE_NAME_INFORMATION Name;
        UCHAR Raw[256];
    } B;
    char Data[8];
    static const WCHAR NewName[] = L"new.txt";
    static const WCHAR Taken[] = L"taken.txt";

    CreateDirectory(T, "C:\\r");
    CreateFileWith(T, "C:\\r\\old.txt", "data");
    CreateFileWith(T, "C:\\r\\taken.txt", "other");
    H = OpenExisting(T, "C:\\r\\old.txt", RW | DELETE);

    memset(&B, 0, sizeof(B));
    B.Rename.FileNameLength = sizeof(NewName) - sizeof(WCHAR);
    memcpy(B.Rename.FileName, NewName, sizeof(NewName) - sizeof(WCHAR));
    ASSERT_ST(FsimNtSetInformationFile(T->Machine, T->Pid, H, FileRenameInformation, &B,
                                       FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName) + B.Rename.FileNameLength),
              STATUS_SUCCESS);
    ASSERT_ST(Query(T, H, FileNameInformation, &B, sizeof(B), &Info), STATUS_SUCCESS);
    AssertName(B.Name.FileName, B.Name.FileNameLength, "\\r\\new.txt");
    ASSERT_ST(Open(T, "C:\\r\\old.txt", RW, ALL_SHARE, FILE_OPEN, 0, 0, &Other, &Info), STATUS_OBJECT_NAME_NOT_FOUND);

    /* Onto an existing name: only with ReplaceIfExists. */
    memset(&B, 0, sizeof(B));
    B.Rename.FileNameLength = sizeof(Taken) - sizeof(WCHAR);
    memcpy(B.Rename.FileName, Taken, sizeof(Taken) - sizeof(WCHAR));
    ASSERT_ST(FsimNtSetInformationFile(T->Machine, T->Pid, H, FileRenameInformation, &B,
                                       FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName) + B.Rename.FileNameLength),
              STATUS_OBJECT_NAME_COLLISION);
    B.Rename.ReplaceIfExists = TRUE;
    ASSERT_ST(FsimNtSetInformationFile(T->Machine, T->Pid, H, FileRenameInformation, &B,
                                       FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName) + B.Rename.FileNameLength),
              STATUS_SUCCESS);
    Close(T, H);

    H = OpenExisting(T, "C:\\r\\TAKEN.TXT", FILE_GENERIC_READ);
    ASSERT_ST(FsimNtReadFile(T->Machine, T->Pid, H, 0, Data, sizeof(Data), &Info), STATUS_SUCCESS);
    assert_int_equal(Info, 4);
    assert_memory_equal(Data, "data", 4);
    Close(T, H);
    ASSERT_ST(Open(T, "C:\\r\\new.txt", RW, ALL_SHARE, FILE_OPEN, 0, 0, &Other, &Info), STATUS_OBJECT_NAME_NOT_FOUND);
}

/* --- kernel-mode requests ------------------------------------------------------ */

/* An open of a file by the System process, for IRPs built by hand. */
typedef struct LFS_KFILE {
    HANDLE Handle;
    PFILE_OBJECT FileObject;
} LFS_KFILE;

static void KOpen(const WCHAR *Path, ACCESS_MASK Access, ULONG Disposition, ULONG Options, LFS_KFILE *File)
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
    ASSERT_ST(IopCreateFile(KiMachine->SystemProcess, &Name, Access, 0, FILE_SHARE_READ | FILE_SHARE_WRITE |
                                                                            FILE_SHARE_DELETE,
                            Disposition, Options | FILE_SYNCHRONOUS_IO_NONALERT, KernelMode, NULL, &File->Handle,
                            &Iosb, &File->FileObject),
              STATUS_SUCCESS);
}

static void KClose(LFS_KFILE *File)
{
    ASSERT_ST(ZwClose(File->Handle), STATUS_SUCCESS);
    ObDereferenceObject(File->FileObject);
}

/* A request for File's volume stack; the caller fills the stack location. */
static PIRP KIrp(LFS_KFILE *File, UCHAR Major, UCHAR Minor, PIO_STACK_LOCATION *Sp)
{
    PDEVICE_OBJECT Device = IoGetRelatedDeviceObject(File->FileObject);
    PIRP Irp = IoAllocateIrp(Device->StackSize, FALSE);

    assert_non_null(Irp);
    Irp->RequestorMode = KernelMode;
    Irp->Tail.Overlay.Thread = (PETHREAD)KeGetCurrentThread();
    Irp->Tail.Overlay.OriginalFileObject = File->FileObject;
    *Sp = IoGetNextIrpStackLocation(Irp);
    (*Sp)->MajorFunction = Major;
    (*Sp)->MinorFunction = Minor;
    (*Sp)->FileObject = File->FileObject;
    return Irp;
}

/* The sender's completion routine: the IRP is the sender's own (built with
 * IoAllocateIrp), stopped here so that it can read and free it. */
static NTSTATUS KKeepIrp(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context)
{
    (void)DeviceObject;
    (void)Irp;
    (void)Context;
    return STATUS_MORE_PROCESSING_REQUIRED;
}

/* Sends Irp (completed synchronously by localfs) and frees it. */
static NTSTATUS KSend(LFS_KFILE *File, PIRP Irp, ULONG_PTR *Information)
{
    IoSetCompletionRoutine(Irp, KKeepIrp, NULL, TRUE, TRUE, TRUE);
    NTSTATUS Status = IoCallDriver(IoGetRelatedDeviceObject(File->FileObject), Irp);

    assert_int_equal(ST(Status), ST(Irp->IoStatus.Status));
    if (Information != NULL) {
        *Information = Irp->IoStatus.Information;
    }
    IoFreeIrp(Irp);
    return Status;
}

static NTSTATUS KQueryVolume(LFS_KFILE *File, FS_INFORMATION_CLASS Class, PVOID Buffer, ULONG Length,
                             ULONG_PTR *Information)
{
    PIO_STACK_LOCATION Sp;
    PIRP Irp = KIrp(File, IRP_MJ_QUERY_VOLUME_INFORMATION, 0, &Sp);

    Irp->AssociatedIrp.SystemBuffer = Buffer;
    Sp->Parameters.QueryVolume.Length = Length;
    Sp->Parameters.QueryVolume.FsInformationClass = Class;
    return KSend(File, Irp, Information);
}

static void VolumeInformationBody(void *Context)
{
    LFS_KFILE File;
    ULONG_PTR Info;
    union {
        FILE_FS_VOLUME_INFORMATION Volume;
        FILE_FS_SIZE_INFORMATION Size;
        FILE_FS_FULL_SIZE_INFORMATION FullSize;
        FILE_FS_DEVICE_INFORMATION Device;
        FILE_FS_ATTRIBUTE_INFORMATION Attribute;
        FILE_FS_SECTOR_SIZE_INFORMATION Sector;
        UCHAR Raw[256];
    } B;
    ULONG LabelOffset = FIELD_OFFSET(FILE_FS_VOLUME_INFORMATION, VolumeLabel);
    ULONG NameOffset = FIELD_OFFSET(FILE_FS_ATTRIBUTE_INFORMATION, FileSystemName);
    LONGLONG FreeBefore;

    (void)Context;
    KOpen(L"C:\\vol.txt", FILE_GENERIC_READ, FILE_OPEN, 0, &File);

    ASSERT_ST(KQueryVolume(&File, FileFsVolumeInformation, &B, sizeof(B), &Info), STATUS_SUCCESS);
    assert_int_equal(Info, LabelOffset + 14);
    AssertName(B.Volume.VolumeLabel, B.Volume.VolumeLabelLength, "LocalFs");
    assert_int_not_equal(B.Volume.VolumeSerialNumber, 0);
    assert_int_equal(B.Volume.VolumeSerialNumber, File.FileObject->Vpb->SerialNumber);
    ASSERT_ST(KQueryVolume(&File, FileFsVolumeInformation, &B, LabelOffset + 4, &Info), STATUS_BUFFER_OVERFLOW);
    assert_int_equal(Info, LabelOffset + 4);
    assert_int_equal(B.Volume.VolumeLabelLength, 14);

    ASSERT_ST(KQueryVolume(&File, FileFsSizeInformation, &B, sizeof(B), &Info), STATUS_SUCCESS);
    assert_int_equal(Info, sizeof(FILE_FS_SIZE_INFORMATION));
    assert_int_equal(B.Size.TotalAllocationUnits.QuadPart, 16ll * 1024 * 1024);
    assert_int_equal(B.Size.SectorsPerAllocationUnit, 8);
    assert_int_equal(B.Size.BytesPerSector, 512);
    /* vol.txt (5000 bytes) takes two clusters. */
    assert_int_equal(B.Size.AvailableAllocationUnits.QuadPart, 16ll * 1024 * 1024 - 2);
    FreeBefore = B.Size.AvailableAllocationUnits.QuadPart;

    ASSERT_ST(KQueryVolume(&File, FileFsFullSizeInformation, &B, sizeof(B), &Info), STATUS_SUCCESS);
    assert_int_equal(Info, sizeof(FILE_FS_FULL_SIZE_INFORMATION));
    assert_int_equal(B.FullSize.CallerAvailableAllocationUnits.QuadPart, FreeBefore);
    assert_int_equal(B.FullSize.ActualAvailableAllocationUnits.QuadPart, FreeBefore);

    ASSERT_ST(KQueryVolume(&File, FileFsDeviceInformation, &B, sizeof(B), &Info), STATUS_SUCCESS);
    assert_int_equal(B.Device.DeviceType, FILE_DEVICE_DISK);

    ASSERT_ST(KQueryVolume(&File, FileFsAttributeInformation, &B, sizeof(B), &Info), STATUS_SUCCESS);
    assert_int_equal(Info, NameOffset + 8);
    AssertName(B.Attribute.FileSystemName, B.Attribute.FileSystemNameLength, "NTFS");
    assert_int_equal(B.Attribute.MaximumComponentNameLength, 255);
    assert_int_equal(B.Attribute.FileSystemAttributes, FILE_CASE_SENSITIVE_SEARCH | FILE_CASE_PRESERVED_NAMES |
                                                           FILE_UNICODE_ON_DISK | FILE_PERSISTENT_ACLS);
    ASSERT_ST(KQueryVolume(&File, FileFsAttributeInformation, &B, NameOffset + 2, &Info), STATUS_BUFFER_OVERFLOW);
    assert_int_equal(Info, NameOffset + 2);

    ASSERT_ST(KQueryVolume(&File, FileFsSectorSizeInformation, &B, sizeof(B), &Info), STATUS_SUCCESS);
    assert_int_equal(B.Sector.LogicalBytesPerSector, 512);
    assert_int_equal(B.Sector.PhysicalBytesPerSectorForAtomicity, 512);

    ASSERT_ST(KQueryVolume(&File, FileFsSizeInformation, &B, sizeof(FILE_FS_SIZE_INFORMATION) - 1, &Info),
              STATUS_INFO_LENGTH_MISMATCH);
    ASSERT_ST(KQueryVolume(&File, FileFsControlInformation, &B, sizeof(B), &Info), STATUS_INVALID_PARAMETER);
    KClose(&File);

    /* The volume itself can be opened (empty name). */
    KOpen(L"C:", FILE_READ_ATTRIBUTES, FILE_OPEN, 0, &File);
    ASSERT_ST(KQueryVolume(&File, FileFsAttributeInformation, &B, sizeof(B), &Info), STATUS_SUCCESS);
    AssertName(B.Attribute.FileSystemName, B.Attribute.FileSystemNameLength, "NTFS");
    KClose(&File);
}

static void test_volume_information(void **State)
{
    FSIM_MACHINE *M = TsCreate(0);
    static UCHAR Data[5000];

    (void)State;
    ASSERT_ST(FsimVolumeAddLocal(M, "C:"), STATUS_SUCCESS);
    ASSERT_ST(FsimVolumeCreateFile(M, "C:\\vol.txt", Data, sizeof(Data)), STATUS_SUCCESS);
    assert_int_equal(TsRun(M, VolumeInformationBody, NULL), 0);
    FsimMachineDestroy(M);
}

static NTSTATUS KQuerySecurity(LFS_KFILE *File, SECURITY_INFORMATION Information, PVOID Buffer, ULONG Length,
                               ULONG_PTR *Needed)
{
    PIO_STACK_LOCATION Sp;
    PIRP Irp = KIrp(File, IRP_MJ_QUERY_SECURITY, 0, &Sp);

    Irp->UserBuffer = Buffer;
    Sp->Parameters.QuerySecurity.SecurityInformation = Information;
    Sp->Parameters.QuerySecurity.Length = Length;
    return KSend(File, Irp, Needed);
}

static NTSTATUS KSetSecurity(LFS_KFILE *File, SECURITY_INFORMATION Information, PSECURITY_DESCRIPTOR Descriptor)
{
    PIO_STACK_LOCATION Sp;
    PIRP Irp = KIrp(File, IRP_MJ_SET_SECURITY, 0, &Sp);

    Sp->Parameters.SetSecurity.SecurityInformation = Information;
    Sp->Parameters.SetSecurity.SecurityDescriptor = Descriptor;
    return KSend(File, Irp, NULL);
}

static void SetSecurityBody(void *Context)
{
    LFS_KFILE File;
    ULONG_PTR Needed;
    UCHAR Buffer[256];
    UCHAR System[12] = {1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0};
    SECURITY_DESCRIPTOR Absolute;
    PISECURITY_DESCRIPTOR_RELATIVE Relative = (PISECURITY_DESCRIPTOR_RELATIVE)Buffer;

    (void)Context;
    KOpen(L"C:\\sec.txt", READ_CONTROL | WRITE_DAC | WRITE_OWNER, FILE_OPEN, 0, &File);

    /* A new owner from an absolute descriptor. */
    memset(&Absolute, 0, sizeof(Absolute));
    Absolute.Revision = SECURITY_DESCRIPTOR_REVISION;
    Absolute.Owner = System;
    ASSERT_ST(KSetSecurity(&File, OWNER_SECURITY_INFORMATION, &Absolute), STATUS_SUCCESS);
    ASSERT_ST(KQuerySecurity(&File, OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION, Buffer, sizeof(Buffer),
                             &Needed),
              STATUS_SUCCESS);
    assert_int_equal(Needed, 20 + 72 + 12);
    assert_memory_equal(Buffer + Relative->Owner, System, sizeof(System));

    /* A NULL DACL: present, without an ACL. */
    memset(&Absolute, 0, sizeof(Absolute));
    Absolute.Revision = SECURITY_DESCRIPTOR_REVISION;
    Absolute.Control = SE_DACL_PRESENT;
    ASSERT_ST(KSetSecurity(&File, DACL_SECURITY_INFORMATION, &Absolute), STATUS_SUCCESS);
    ASSERT_ST(KQuerySecurity(&File, DACL_SECURITY_INFORMATION, Buffer, sizeof(Buffer), &Needed), STATUS_SUCCESS);
    assert_int_equal(Needed, 20);
    assert_int_equal(Relative->Control, SE_SELF_RELATIVE | SE_DACL_PRESENT);
    assert_int_equal(Relative->Dacl, 0);

    /* The owner cannot be removed. */
    ASSERT_ST(KSetSecurity(&File, OWNER_SECURITY_INFORMATION, &Absolute), STATUS_INVALID_OWNER);

    /* Self-relative input: copy the group back in from a query. */
    ASSERT_ST(KQuerySecurity(&File, GROUP_SECURITY_INFORMATION, Buffer, sizeof(Buffer), &Needed), STATUS_SUCCESS);
    ASSERT_ST(KSetSecurity(&File, GROUP_SECURITY_INFORMATION, Buffer), STATUS_SUCCESS);
    KClose(&File);
}

static void test_set_security(void **State)
{
    FSIM_MACHINE *M = TsCreate(0);

    (void)State;
    ASSERT_ST(FsimVolumeAddLocal(M, "C:"), STATUS_SUCCESS);
    ASSERT_ST(FsimVolumeCreateFile(M, "C:\\sec.txt", "s", 1), STATUS_SUCCESS);
    assert_int_equal(TsRun(M, SetSecurityBody, NULL), 0);
    FsimMachineDestroy(M);
}

static void RequestsBody(void *Context)
{
    LFS_KFILE File;
    LFS_KFILE Dir;
    PIO_STACK_LOCATION Sp;
    PIRP Irp;
    ULONG_PTR Info;
    UCHAR Buffer[64];

    (void)Context;
    KOpen(L"C:\\req.txt", FILE_GENERIC_READ | FILE_GENERIC_WRITE, FILE_OPEN, 0, &File);

    /* A user-mode request whose buffer is not in the process's user space. */
    Irp = KIrp(&File, IRP_MJ_READ, IRP_MN_NORMAL, &Sp);
    Irp->RequestorMode = UserMode;
    Irp->UserBuffer = Buffer;
    Sp->Parameters.Read.Length = 4;
    Sp->Parameters.Read.ByteOffset.QuadPart = 0;
    ASSERT_ST(KSend(&File, Irp, &Info), STATUS_ACCESS_VIOLATION);
    assert_int_equal(Info, 0);
    Irp = KIrp(&File, IRP_MJ_WRITE, IRP_MN_NORMAL, &Sp);
    Irp->RequestorMode = UserMode;
    Irp->UserBuffer = Buffer;
    Sp->Parameters.Write.Length = 4;
    Sp->Parameters.Write.ByteOffset.QuadPart = 100;
    ASSERT_ST(KSend(&File, Irp, &Info), STATUS_ACCESS_VIOLATION);

    /* A paging read across the end of file is zero-filled; the file does not grow. */
    memset(Buffer, 0xAA, sizeof(Buffer));
    Irp = KIrp(&File, IRP_MJ_READ, IRP_MN_NORMAL, &Sp);
    Irp->Flags |= IRP_PAGING_IO | IRP_NOCACHE;
    Irp->UserBuffer = Buffer;
    Sp->Parameters.Read.Length = 16;
    Sp->Parameters.Read.ByteOffset.QuadPart = 0;
    ASSERT_ST(KSend(&File, Irp, &Info), STATUS_SUCCESS);
    assert_int_equal(Info, 4);
    assert_memory_equal(Buffer, "abcd", 4);
    assert_int_equal(Buffer[4], 0);
    assert_int_equal(Buffer[15], 0);
    assert_int_equal(Buffer[16], 0xAA);

    /* Write to end of file. */
    Irp = KIrp(&File, IRP_MJ_WRITE, IRP_MN_NORMAL, &Sp);
    Irp->UserBuffer = "ef";
    Sp->Parameters.Write.Length = 2;
    Sp->Parameters.Write.ByteOffset.LowPart = FILE_WRITE_TO_END_OF_FILE;
    Sp->Parameters.Write.ByteOffset.HighPart = -1;
    ASSERT_ST(KSend(&File, Irp, &Info), STATUS_SUCCESS);
    assert_int_equal(File.FileObject->CurrentByteOffset.QuadPart, 6);
    assert_int_equal(((PFSRTL_COMMON_FCB_HEADER)File.FileObject->FsContext)->FileSize.QuadPart, 6);

    Irp = KIrp(&File, IRP_MJ_FLUSH_BUFFERS, 0, &Sp);
    ASSERT_ST(KSend(&File, Irp, NULL), STATUS_SUCCESS);

    Irp = KIrp(&File, IRP_MJ_FILE_SYSTEM_CONTROL, IRP_MN_USER_FS_REQUEST, &Sp);
    Sp->Parameters.FileSystemControl.FsControlCode = FSCTL_IS_VOLUME_MOUNTED;
    ASSERT_ST(KSend(&File, Irp, NULL), STATUS_SUCCESS);
    Irp = KIrp(&File, IRP_MJ_FILE_SYSTEM_CONTROL, IRP_MN_USER_FS_REQUEST, &Sp);
    Sp->Parameters.FileSystemControl.FsControlCode = FSCTL_GET_REPARSE_POINT;
    ASSERT_ST(KSend(&File, Irp, NULL), STATUS_INVALID_DEVICE_REQUEST);
    Irp = KIrp(&File, IRP_MJ_LOCK_CONTROL, IRP_MN_LOCK, &Sp);
    ASSERT_ST(KSend(&File, Irp, NULL), STATUS_INVALID_DEVICE_REQUEST);
    /* Reading a directory or listing a file is not possible. */
    KOpen(L"C:\\", FILE_LIST_DIRECTORY | FILE_READ_DATA, FILE_OPEN, 0, &Dir);
    Irp = KIrp(&Dir, IRP_MJ_READ, IRP_MN_NORMAL, &Sp);
    Irp->UserBuffer = Buffer;
    Sp->Parameters.Read.Length = 4;
    ASSERT_ST(KSend(&Dir, Irp, NULL), STATUS_INVALID_DEVICE_REQUEST);
    Irp = KIrp(&Dir, IRP_MJ_DIRECTORY_CONTROL, IRP_MN_NOTIFY_CHANGE_DIRECTORY, &Sp);
    ASSERT_ST(KSend(&Dir, Irp, NULL), STATUS_NOT_SUPPORTED);
    Irp = KIrp(&File, IRP_MJ_DIRECTORY_CONTROL, IRP_MN_QUERY_DIRECTORY, &Sp);
    Irp->UserBuffer = Buffer;
    Sp->Parameters.QueryDirectory.Length = sizeof(Buffer);
    Sp->Parameters.QueryDirectory.FileInformationClass = FileNamesInformation;
    ASSERT_ST(KSend(&File, Irp, NULL), STATUS_INVALID_PARAMETER);
    KClose(&Dir);
    KClose(&File);
}

static void test_kernel_requests(void **State)
{
    FSIM_MACHINE *M = TsCreate(0);

    (void)State;
    ASSERT_ST(FsimVolumeAddLocal(M, "C:"), STATUS_SUCCESS);
    ASSERT_ST(FsimVolumeCreateFile(M, "C:\\req.txt", "abcd", 4), STATUS_SUCCESS);
    assert_int_equal(TsRun(M, RequestsBody, NULL), 0);
    FsimMachineDestroy(M);
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test_setup_teardown(test_dispositions, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_share_access, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_delete_on_close, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_disposition, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_read_write_end_of_file, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_query_information_classes, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_timestamps, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_directory_listing, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_security_descriptor, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_rename, Setup, Teardown),
        cmocka_unit_test(test_volume_information),
        cmocka_unit_test(test_set_security),
        cmocka_unit_test(test_kernel_requests),
    };

    return cmocka_run_group_tests_name("localfs", Tests, NULL, NULL);
}
