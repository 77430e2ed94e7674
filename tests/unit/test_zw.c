/*
 * test_zw.c - the Zw file services kernel code calls: object-manager names
 * (\??\C:, \DosDevices\, \??\UNC\), names relative to an open directory
 * (RootDirectory), reads, writes and queries on the handle, kernel handles,
 * and the previous mode a Zw call runs with; volume, directory and security
 * queries; IoQueryFileInformation, FsRtlGetFileSize, IoReplaceFileObjectName.
 */
#include "support/ts.h"
#include <string.h>

static FSIM_MACHINE *M;

static int Setup(void **State)
{
    (void)State;
    M = TsCreate(0);
    assert_int_equal(FsimVolumeAddLocal(M, "C:"), 0);
    assert_int_equal(FsimVolumeCreateDirectory(M, "C:\\docs"), 0);
    assert_int_equal(FsimVolumeCreateFile(M, "C:\\docs\\a.txt", "alpha", 5), 0);
    assert_int_equal(FsimVolumeAddRemote(M, "\\\\srv\\data", 1000000, 0, 1), 0);
    assert_int_equal(FsimVolumeCreateFile(M, "\\\\srv\\data\\r.txt", "remote", 6), 0);
    return 0;
}

static int Teardown(void **State)
{
    (void)State;
    FsimMachineDestroy(M);
    return 0;
}

typedef struct ZW_CASE {
    NTSTATUS Open, Read, Query, Write, Relative, RelativeRead, Backslash, Unc, UncRead;
    CHAR Data[16], RelativeData[16], UncData[16];
    LONGLONG EndOfFile;
    KPROCESSOR_MODE ModeOutside;
} ZW_CASE;

static NTSTATUS Open(PCWSTR Name, HANDLE Root, ACCESS_MASK Access, ULONG Options, PHANDLE Handle)
{
    UNICODE_STRING U;
    OBJECT_ATTRIBUTES A;
    IO_STATUS_BLOCK Iosb;
    RtlInitUnicodeString(&U, Name);
    InitializeObjectAttributes(&A, &U, OBJ_KERNEL_HANDLE | OBJ_CASE_INSENSITIVE, Root, NULL);
    return ZwCreateFile(Handle, Access | SYNCHRONIZE, &A, &Iosb, NULL, 0, FILE_SHARE_READ | FILE_SHARE_WRITE,
                        FILE_OPEN, Options | FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
}

static void ZwCalls(void *Context)
{
    ZW_CASE *C = Context;
    HANDLE H, Dir, R, U;
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Zero;
    FILE_STANDARD_INFORMATION Standard;
    Zero.QuadPart = 0;
    C->ModeOutside = ExGetPreviousMode();
    C->Open = Open(L"\\??\\C:\\docs\\a.txt", NULL, GENERIC_READ | GENERIC_WRITE, FILE_NON_DIRECTORY_FILE, &H);
    if (!NT_SUCCESS(C->Open))
        return;
    C->Read = ZwReadFile(H, NULL, NULL, NULL, &Iosb, C->Data, 5, &Zero, NULL);
    C->Write = ZwWriteFile(H, NULL, NULL, NULL, &Iosb, "ALPHA!", 6, &Zero, NULL);
    C->Query = ZwQueryInformationFile(H, &Iosb, &Standard, sizeof(Standard), FileStandardInformation);
    C->EndOfFile = Standard.EndOfFile.QuadPart;
    ZwClose(H);
    C->Relative = Open(L"\\DosDevices\\C:\\docs", NULL, FILE_LIST_DIRECTORY, FILE_DIRECTORY_FILE, &Dir);
    if (NT_SUCCESS(C->Relative)) {
        C->Relative = Open(L"a.txt", Dir, GENERIC_READ, FILE_NON_DIRECTORY_FILE, &R);
        if (NT_SUCCESS(C->Relative)) {
            C->RelativeRead = ZwReadFile(R, NULL, NULL, NULL, &Iosb, C->RelativeData, 6, &Zero, NULL);
            ZwClose(R);
        }
        C->Backslash = Open(L"\\a.txt", Dir, GENERIC_READ, FILE_NON_DIRECTORY_FILE, &R);
        ZwClose(Dir);
    }
    C->Unc = Open(L"\\??\\UNC\\srv\\data\\r.txt", NULL, GENERIC_READ, FILE_NON_DIRECTORY_FILE, &U);
    if (NT_SUCCESS(C->Unc)) {
        C->UncRead = ZwReadFile(U, NULL, NULL, NULL, &Iosb, C->UncData, 6, &Zero, NULL);
        ZwClose(U);
    }
}

static void test_zw_file_calls(void **State)
{
    ZW_CASE C;
    (void)State;
    memset(&C, 0, sizeof(C));
    assert_int_equal(TsRun(M, ZwCalls, &C), 0);
    assert_int_equal(C.ModeOutside, KernelMode); /* the System thread */
    assert_int_equal(C.Open, STATUS_SUCCESS);
    assert_int_equal(C.Read, STATUS_SUCCESS);
    assert_memory_equal(C.Data, "alpha", 5);
    assert_int_equal(C.Write, STATUS_SUCCESS);
    assert_int_equal(C.Query, STATUS_SUCCESS);
    assert_int_equal(C.EndOfFile, 6);
    assert_int_equal(C.Relative, STATUS_SUCCESS);
    assert_int_equal(C.RelativeRead, STATUS_SUCCESS);
    assert_memory_equal(C.RelativeData, "ALPHA!", 6);
    assert_int_equal(C.Backslash, STATUS_OBJECT_NAME_INVALID);
    assert_int_equal(C.Unc, STATUS_SUCCESS); /* the redirector pends it: finished by the completion APC */
    assert_int_equal(C.UncRead, STATUS_SUCCESS);
    assert_memory_equal(C.UncData, "remote", 6);
}

typedef struct QUERY_CASE {
    NTSTATUS Volume, Directory, Security, SecurityFull, IoQuery, Size, Replace, Paging;
    ULONG VolumeBytes, NeededForSecurity, IoReturned;
    WCHAR FirstName[16];
    LONGLONG FileSize;
    WCHAR Replaced[16];
    USHORT ReplacedLength;
} QUERY_CASE;

static void ZwQueries(void *Context)
{
    QUERY_CASE *C = Context;
    HANDLE Dir, File;
    IO_STATUS_BLOCK Iosb;
    UCHAR Buffer[512];
    UNICODE_STRING Pattern;
    PFILE_OBJECT Fo;
    if (!NT_SUCCESS(Open(L"\\??\\C:\\docs", NULL, FILE_LIST_DIRECTORY, FILE_DIRECTORY_FILE, &Dir)))
        return;
    C->Volume = ZwQueryVolumeInformationFile(Dir, &Iosb, Buffer, sizeof(Buffer), FileFsSizeInformation);
    C->VolumeBytes = (ULONG)Iosb.Information;
    RtlInitUnicodeString(&Pattern, L"*.txt");
    C->Directory = ZwQueryDirectoryFile(Dir, NULL, NULL, NULL, &Iosb, Buffer, sizeof(Buffer),
                                        FileNamesInformation, TRUE, &Pattern, TRUE);
    if (NT_SUCCESS(C->Directory)) {
        PFILE_NAMES_INFORMATION Names = (PFILE_NAMES_INFORMATION)Buffer;
        memcpy(C->FirstName, Names->FileName, Names->FileNameLength < sizeof(C->FirstName) ? Names->FileNameLength
                                                                                              : sizeof(C->FirstName));
    }
    ZwClose(Dir);
    if (!NT_SUCCESS(Open(L"\\??\\C:\\docs\\a.txt", NULL, GENERIC_READ | READ_CONTROL, FILE_NON_DIRECTORY_FILE,
                         &File)))
        return;
    C->Security = ZwQuerySecurityObject(File, OWNER_SECURITY_INFORMATION, Buffer, 8, &C->NeededForSecurity);
    C->SecurityFull = ZwQuerySecurityObject(File, OWNER_SECURITY_INFORMATION, Buffer, sizeof(Buffer),
                                            &C->NeededForSecurity);
    if (NT_SUCCESS(ObReferenceObjectByHandle(File, 0, *IoFileObjectType, KernelMode, (PVOID *)&Fo, NULL))) {
        FILE_STANDARD_INFORMATION Standard;
        LARGE_INTEGER Size;
        C->IoQuery = IoQueryFileInformation(Fo, FileStandardInformation, sizeof(Standard), &Standard,
                                            &C->IoReturned);
        C->Size = FsRtlGetFileSize(Fo, &Size);
        C->FileSize = Size.QuadPart;
        C->Paging = FsRtlIsPagingFile(Fo) ? STATUS_UNSUCCESSFUL : STATUS_SUCCESS;
        C->Replace = IoReplaceFileObjectName(Fo, (PWSTR)L"\\docs\\renamed-by-a-filter.txt",
                                             (USHORT)(29 * sizeof(WCHAR)));
        memcpy(C->Replaced, Fo->FileName.Buffer, sizeof(C->Replaced));
        C->ReplacedLength = Fo->FileName.Length;
        ObDereferenceObject(Fo);
    }
    ZwClose(File);
}

static void test_zw_queries_and_file_object_services(void **State)
{
    QUERY_CASE C;
    (void)State;
    memset(&C, 0, sizeof(C));
    assert_int_equal(TsRun(M, ZwQueries, &C), 0);
    assert_int_equal(C.Volume, STATUS_SUCCESS);
    assert_int_equal(C.VolumeBytes, sizeof(FILE_FS_SIZE_INFORMATION));
    assert_int_equal(C.Directory, STATUS_SUCCESS);
    assert_memory_equal(C.FirstName, L"a.txt", 5 * sizeof(WCHAR));
    assert_int_equal(C.Security, STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(C.SecurityFull, STATUS_SUCCESS);
    assert_true(C.NeededForSecurity > 8);
    assert_int_equal(C.IoQuery, STATUS_SUCCESS);
    assert_int_equal(C.IoReturned, sizeof(FILE_STANDARD_INFORMATION));
    assert_int_equal(C.Size, STATUS_SUCCESS);
    assert_int_equal(C.FileSize, 5);
    assert_int_equal(C.Paging, STATUS_SUCCESS);
    assert_int_equal(C.Replace, STATUS_SUCCESS);
    assert_int_equal(C.ReplacedLength, 29 * sizeof(WCHAR));
    assert_memory_equal(C.Replaced, L"\\docs\\renamed-b", 15 * sizeof(WCHAR));
}

typedef struct DOSNAME_CASE {
    NTSTATUS Create, Local, Relative, Unc, Mounted, Unknown;
    WCHAR LocalName[32], RelativeName[32], UncName[32];
} DOSNAME_CASE;

static NTSTATUS DosName(HANDLE H, WCHAR *Out, size_t Size)
{
    PFILE_OBJECT Fo;
    POBJECT_NAME_INFORMATION Info;
    NTSTATUS Status = ObReferenceObjectByHandle(H, 0, *IoFileObjectType, KernelMode, (PVOID *)&Fo, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = IoQueryFileDosDeviceName(Fo, &Info);
    if (NT_SUCCESS(Status)) {
        memset(Out, 0, Size);
        memcpy(Out, Info->Name.Buffer, Info->Name.Length < Size - sizeof(WCHAR) ? Info->Name.Length
                                                                                  : Size - sizeof(WCHAR));
        ExFreePool(Info);
    }
    ObDereferenceObject(Fo);
    return Status;
}

static void DosNames(void *Context)
{
    DOSNAME_CASE *C = Context;
    HANDLE H, Dir, R, U;
    UNICODE_STRING Name;
    OBJECT_ATTRIBUTES A;
    IO_STATUS_BLOCK Iosb;
    RtlInitUnicodeString(&Name, L"\\??\\C:\\docs\\a.txt");
    InitializeObjectAttributes(&A, &Name, OBJ_KERNEL_HANDLE, NULL, NULL);
    C->Create = IoCreateFile(&H, GENERIC_READ | SYNCHRONIZE, &A, &Iosb, NULL, 0, FILE_SHARE_READ, FILE_OPEN,
                             FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE, NULL, 0, 0 /* CreateFileTypeNone */,
                             NULL, 0);
    if (!NT_SUCCESS(C->Create))
        return;
    C->Local = DosName(H, C->LocalName, sizeof(C->LocalName));
    C->Mounted = ZwFsControlFile(H, NULL, NULL, NULL, &Iosb, FSCTL_IS_VOLUME_MOUNTED, NULL, 0, NULL, 0);
    C->Unknown = ZwFsControlFile(H, NULL, NULL, NULL, &Iosb, CTL_CODE(FILE_DEVICE_FILE_SYSTEM, 0x7ff, METHOD_BUFFERED,
                                                                        FILE_ANY_ACCESS), NULL, 0, NULL, 0);
    ZwClose(H);
    if (NT_SUCCESS(Open(L"\\??\\C:\\docs", NULL, FILE_LIST_DIRECTORY, FILE_DIRECTORY_FILE, &Dir))) {
        if (NT_SUCCESS(Open(L"a.txt", Dir, GENERIC_READ, FILE_NON_DIRECTORY_FILE, &R))) {
            C->Relative = DosName(R, C->RelativeName, sizeof(C->RelativeName));
            ZwClose(R);
        }
        ZwClose(Dir);
    }
    if (NT_SUCCESS(Open(L"\\??\\UNC\\srv\\data\\r.txt", NULL, GENERIC_READ, FILE_NON_DIRECTORY_FILE, &U))) {
        C->Unc = DosName(U, C->UncName, sizeof(C->UncName));
        ZwClose(U);
    }
}

static void test_dos_device_names(void **State)
{
    DOSNAME_CASE C;
    (void)State;
    memset(&C, 0, sizeof(C));
    assert_int_equal(TsRun(M, DosNames, &C), 0);
    assert_int_equal(C.Create, STATUS_SUCCESS);
    assert_int_equal(C.Local, STATUS_SUCCESS);
    assert_int_equal(C.Mounted, STATUS_SUCCESS);
    assert_int_equal(C.Unknown, STATUS_INVALID_DEVICE_REQUEST);
    assert_memory_equal(C.LocalName, L"C:\\docs\\a.txt", 14 * sizeof(WCHAR));
    assert_int_equal(C.Relative, STATUS_SUCCESS);
    assert_memory_equal(C.RelativeName, L"C:\\docs\\a.txt", 14 * sizeof(WCHAR));
    assert_int_equal(C.Unc, STATUS_SUCCESS);
    assert_memory_equal(C.UncName, L"\\\\srv\\data\\r.txt", 17 * sizeof(WCHAR));
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test_setup_teardown(test_zw_file_calls, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_zw_queries_and_file_object_services, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_dos_device_names, Setup, Teardown),
    };
    return cmocka_run_group_tests(Tests, NULL, NULL);
}
