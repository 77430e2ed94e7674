/*
 * test_wdk_headers.c - unit tests for the leaf WDK headers: ntstatus.h
 * (values and FsimNtStatusName), fsim_fileinfo.h and fsim_security.h (x64
 * layouts, information classes, constants).
 *
 * Sizes and offsets are Windows x64 ones (learn.microsoft.com DDI pages and
 * [MS-FSCC]); status values are [MS-ERREF]'s.  Needs only FsimNtStatusName
 * from the simulator (sim/rtl/ntstatus_names.c).
 */
#include <ntdef.h>
#include <ntstatus.h>
#include <fsim_fileinfo.h>
#include <fsim_security.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#define OFF(type, field) ((unsigned long)offsetof(type, field))

/* ------------------------------------------------------------------------ */
/* ntstatus.h                                                               */
/* ------------------------------------------------------------------------ */

typedef struct {
    NTSTATUS Status;
    const char *Name;
} STATUS_CASE;

#define S(x) { x, #x }

/*
 * Every code a filter or file-system driver commonly uses: compiling this
 * table checks that the header defines them, and the test checks that
 * FsimNtStatusName maps each one back to its name.
 */
static const STATUS_CASE StatusCases[] = {
    S(STATUS_SUCCESS), S(STATUS_WAIT_1), S(STATUS_WAIT_63), S(STATUS_ABANDONED),
    S(STATUS_USER_APC), S(STATUS_KERNEL_APC), S(STATUS_ALERTED), S(STATUS_TIMEOUT),
    S(STATUS_PENDING), S(STATUS_REPARSE), S(STATUS_MORE_ENTRIES),
    S(STATUS_OPLOCK_BREAK_IN_PROGRESS), S(STATUS_NOTIFY_CLEANUP), S(STATUS_NOTIFY_ENUM_DIR),
    S(STATUS_FLT_IO_COMPLETE), S(STATUS_OBJECT_NAME_EXISTS), S(STATUS_RECEIVE_PARTIAL),
    S(STATUS_GUARD_PAGE_VIOLATION), S(STATUS_DATATYPE_MISALIGNMENT), S(STATUS_BREAKPOINT),
    S(STATUS_SINGLE_STEP), S(STATUS_BUFFER_OVERFLOW), S(STATUS_NO_MORE_FILES),
    S(STATUS_DEVICE_BUSY), S(STATUS_NO_MORE_ENTRIES), S(STATUS_STOPPED_ON_SYMLINK),
    S(STATUS_UNSUCCESSFUL), S(STATUS_NOT_IMPLEMENTED), S(STATUS_INVALID_INFO_CLASS),
    S(STATUS_INFO_LENGTH_MISMATCH), S(STATUS_ACCESS_VIOLATION), S(STATUS_IN_PAGE_ERROR),
    S(STATUS_INVALID_HANDLE), S(STATUS_INVALID_PARAMETER), S(STATUS_NO_SUCH_DEVICE),
    S(STATUS_NO_SUCH_FILE), S(STATUS_INVALID_DEVICE_REQUEST), S(STATUS_END_OF_FILE),
    S(STATUS_NONEXISTENT_SECTOR), S(STATUS_MORE_PROCESSING_REQUIRED), S(STATUS_NO_MEMORY),
    S(STATUS_ILLEGAL_INSTRUCTION), S(STATUS_INVALID_LOCK_SEQUENCE), S(STATUS_ACCESS_DENIED),
    S(STATUS_BUFFER_TOO_SMALL), S(STATUS_OBJECT_TYPE_MISMATCH), S(STATUS_NOT_LOCKED),
    S(STATUS_INVALID_PARAMETER_MIX), S(STATUS_OBJECT_NAME_INVALID),
    S(STATUS_OBJECT_NAME_NOT_FOUND), S(STATUS_OBJECT_NAME_COLLISION),
    S(STATUS_PORT_DISCONNECTED), S(STATUS_DEVICE_ALREADY_ATTACHED),
    S(STATUS_OBJECT_PATH_INVALID), S(STATUS_OBJECT_PATH_NOT_FOUND),
    S(STATUS_OBJECT_PATH_SYNTAX_BAD), S(STATUS_SHARING_VIOLATION), S(STATUS_FILE_LOCK_CONFLICT),
    S(STATUS_LOCK_NOT_GRANTED), S(STATUS_DELETE_PENDING), S(STATUS_UNKNOWN_REVISION),
    S(STATUS_REVISION_MISMATCH), S(STATUS_INVALID_OWNER), S(STATUS_NO_SUCH_PRIVILEGE),
    S(STATUS_PRIVILEGE_NOT_HELD), S(STATUS_INVALID_SID), S(STATUS_INVALID_SECURITY_DESCR),
    S(STATUS_PROCEDURE_NOT_FOUND), S(STATUS_INVALID_IMAGE_FORMAT), S(STATUS_RANGE_NOT_LOCKED),
    S(STATUS_DISK_FULL), S(STATUS_INTEGER_DIVIDE_BY_ZERO), S(STATUS_FILE_INVALID),
    S(STATUS_INSUFFICIENT_RESOURCES), S(STATUS_DEVICE_NOT_READY), S(STATUS_IO_TIMEOUT),
    S(STATUS_FILE_IS_A_DIRECTORY), S(STATUS_NOT_SUPPORTED), S(STATUS_BAD_NETWORK_PATH),
    S(STATUS_UNEXPECTED_NETWORK_ERROR), S(STATUS_NETWORK_NAME_DELETED),
    S(STATUS_BAD_NETWORK_NAME), S(STATUS_SHARING_PAUSED), S(STATUS_OPLOCK_NOT_GRANTED),
    S(STATUS_INTERNAL_ERROR), S(STATUS_INVALID_USER_BUFFER), S(STATUS_INVALID_PARAMETER_1),
    S(STATUS_INVALID_PARAMETER_2), S(STATUS_INVALID_PARAMETER_3), S(STATUS_INVALID_PARAMETER_4),
    S(STATUS_INVALID_PARAMETER_5), S(STATUS_INVALID_PARAMETER_6), S(STATUS_INVALID_PARAMETER_7),
    S(STATUS_INVALID_PARAMETER_8), S(STATUS_INVALID_PARAMETER_9),
    S(STATUS_INVALID_PARAMETER_10), S(STATUS_INVALID_PARAMETER_11),
    S(STATUS_INVALID_PARAMETER_12), S(STATUS_STACK_OVERFLOW), S(STATUS_DIRECTORY_NOT_EMPTY),
    S(STATUS_NOT_A_DIRECTORY), S(STATUS_NAME_TOO_LONG), S(STATUS_IMAGE_ALREADY_LOADED),
    S(STATUS_TOO_MANY_OPENED_FILES), S(STATUS_CANCELLED), S(STATUS_CANNOT_DELETE),
    S(STATUS_FILE_DELETED), S(STATUS_FILE_CLOSED), S(STATUS_DLL_NOT_FOUND),
    S(STATUS_ENTRYPOINT_NOT_FOUND), S(STATUS_INVALID_LEVEL), S(STATUS_UNRECOGNIZED_VOLUME),
    S(STATUS_UNMAPPABLE_CHARACTER), S(STATUS_KEY_DELETED), S(STATUS_INVALID_DEVICE_STATE),
    S(STATUS_CONNECTION_DISCONNECTED), S(STATUS_NOT_FOUND), S(STATUS_OBJECTID_EXISTS),
    S(STATUS_HANDLE_NOT_CLOSABLE), S(STATUS_PATH_NOT_COVERED),
    S(STATUS_DRIVER_ENTRYPOINT_NOT_FOUND), S(STATUS_DRIVER_UNABLE_TO_LOAD),
    S(STATUS_VOLUME_DISMOUNTED), S(STATUS_NOT_A_REPARSE_POINT),
    S(STATUS_REPARSE_POINT_NOT_RESOLVED), S(STATUS_OBJECTID_NOT_FOUND),
    S(STATUS_INVALID_DEVICE_OBJECT_PARAMETER), S(STATUS_VERIFIER_STOP),
    S(STATUS_FILE_SYSTEM_LIMITATION), S(STATUS_NO_MEDIA_IN_DEVICE), S(STATUS_VIRUS_INFECTED),
    S(STATUS_FLT_NO_HANDLER_DEFINED), S(STATUS_FLT_CONTEXT_ALREADY_DEFINED),
    S(STATUS_FLT_INVALID_ASYNCHRONOUS_REQUEST), S(STATUS_FLT_DISALLOW_FAST_IO),
    S(STATUS_FLT_INVALID_NAME_REQUEST), S(STATUS_FLT_NOT_SAFE_TO_POST_OPERATION),
    S(STATUS_FLT_NOT_INITIALIZED), S(STATUS_FLT_FILTER_NOT_READY),
    S(STATUS_FLT_POST_OPERATION_CLEANUP), S(STATUS_FLT_INTERNAL_ERROR),
    S(STATUS_FLT_DELETING_OBJECT), S(STATUS_FLT_MUST_BE_NONPAGED_POOL),
    S(STATUS_FLT_DUPLICATE_ENTRY), S(STATUS_FLT_CBDQ_DISABLED), S(STATUS_FLT_DO_NOT_ATTACH),
    S(STATUS_FLT_DO_NOT_DETACH), S(STATUS_FLT_INSTANCE_ALTITUDE_COLLISION),
    S(STATUS_FLT_INSTANCE_NAME_COLLISION), S(STATUS_FLT_FILTER_NOT_FOUND),
    S(STATUS_FLT_VOLUME_NOT_FOUND), S(STATUS_FLT_INSTANCE_NOT_FOUND),
    S(STATUS_FLT_CONTEXT_ALLOCATION_NOT_FOUND), S(STATUS_FLT_INVALID_CONTEXT_REGISTRATION),
    S(STATUS_FLT_NAME_CACHE_MISS), S(STATUS_FLT_NO_DEVICE_OBJECT),
    S(STATUS_FLT_VOLUME_ALREADY_MOUNTED), S(STATUS_FLT_ALREADY_ENLISTED),
    S(STATUS_FLT_CONTEXT_ALREADY_LINKED), S(STATUS_FLT_NO_WAITER_FOR_REPLY),
    S(STATUS_FLT_REGISTRATION_BUSY), S(STATUS_FLT_WCOS_NOT_SUPPORTED),
    S(DBG_EXCEPTION_HANDLED), S(DBG_CONTINUE), S(DBG_EXCEPTION_NOT_HANDLED),
    S(DBG_PRINTEXCEPTION_C),
};

static void test_status_values(void **state)
{
    (void)state;
    /* A sample of [MS-ERREF] values across severities and facilities. */
    assert_int_equal((ULONG)STATUS_SUCCESS, 0x00000000u);
    assert_int_equal((ULONG)STATUS_WAIT_63, 0x0000003Fu);
    assert_int_equal((ULONG)STATUS_TIMEOUT, 0x00000102u);
    assert_int_equal((ULONG)STATUS_PENDING, 0x00000103u);
    assert_int_equal((ULONG)STATUS_REPARSE, 0x00000104u);
    assert_int_equal((ULONG)STATUS_OBJECT_NAME_EXISTS, 0x40000000u);
    assert_int_equal((ULONG)STATUS_BUFFER_OVERFLOW, 0x80000005u);
    assert_int_equal((ULONG)STATUS_NO_MORE_FILES, 0x80000006u);
    assert_int_equal((ULONG)STATUS_NO_MORE_ENTRIES, 0x8000001Au);
    assert_int_equal((ULONG)STATUS_ACCESS_VIOLATION, 0xC0000005u);
    assert_int_equal((ULONG)STATUS_INVALID_PARAMETER, 0xC000000Du);
    assert_int_equal((ULONG)STATUS_MORE_PROCESSING_REQUIRED, 0xC0000016u);
    assert_int_equal((ULONG)STATUS_ACCESS_DENIED, 0xC0000022u);
    assert_int_equal((ULONG)STATUS_BUFFER_TOO_SMALL, 0xC0000023u);
    assert_int_equal((ULONG)STATUS_OBJECT_NAME_NOT_FOUND, 0xC0000034u);
    assert_int_equal((ULONG)STATUS_SHARING_VIOLATION, 0xC0000043u);
    assert_int_equal((ULONG)STATUS_DELETE_PENDING, 0xC0000056u);
    assert_int_equal((ULONG)STATUS_INSUFFICIENT_RESOURCES, 0xC000009Au);
    assert_int_equal((ULONG)STATUS_NOT_SUPPORTED, 0xC00000BBu);
    assert_int_equal((ULONG)STATUS_INVALID_PARAMETER_1, 0xC00000EFu);
    assert_int_equal((ULONG)STATUS_INVALID_PARAMETER_12, 0xC00000FAu);
    assert_int_equal((ULONG)STATUS_STACK_OVERFLOW, 0xC00000FDu);
    assert_int_equal((ULONG)STATUS_CANCELLED, 0xC0000120u);
    assert_int_equal((ULONG)STATUS_NOT_FOUND, 0xC0000225u);
    assert_int_equal((ULONG)STATUS_VERIFIER_STOP, 0xC0000421u);
    assert_int_equal((ULONG)STATUS_FLT_NO_HANDLER_DEFINED, 0xC01C0001u);
    assert_int_equal((ULONG)STATUS_FLT_DO_NOT_ATTACH, 0xC01C000Fu);
    assert_int_equal((ULONG)STATUS_FLT_REGISTRATION_BUSY, 0xC01C0023u);
    assert_int_equal((ULONG)DBG_CONTINUE, 0x00010002u);
    assert_int_equal((ULONG)DBG_EXCEPTION_NOT_HANDLED, 0x80010001u);

    /* The values are 32-bit NTSTATUS (LONG) on the host too. */
    assert_int_equal(sizeof(STATUS_ACCESS_DENIED), 4);
    assert_true(STATUS_ACCESS_DENIED < 0);

    /* Classification through ntdef.h's macros. */
    assert_true(NT_SUCCESS(STATUS_SUCCESS));
    assert_true(NT_SUCCESS(STATUS_PENDING));
    assert_true(NT_SUCCESS(STATUS_REPARSE));
    assert_true(NT_SUCCESS(STATUS_OBJECT_NAME_EXISTS));
    assert_true(NT_INFORMATION(STATUS_OBJECT_NAME_EXISTS));
    assert_false(NT_SUCCESS(STATUS_BUFFER_OVERFLOW));
    assert_true(NT_WARNING(STATUS_BUFFER_OVERFLOW));
    assert_true(NT_WARNING(STATUS_NO_MORE_ENTRIES));
    assert_true(NT_ERROR(STATUS_SHARING_VIOLATION));
    assert_false(NT_ERROR(STATUS_BUFFER_OVERFLOW));
    assert_int_equal(NT_FACILITY(STATUS_FLT_DO_NOT_ATTACH), FACILITY_FILTER_MANAGER);
    assert_int_equal(NT_FACILITY(STATUS_OBJECT_NO_LONGER_EXISTS), FACILITY_TRANSACTION);
    assert_int_equal(NT_FACILITY(DBG_CONTINUE), FACILITY_DEBUGGER);
    assert_int_equal(((ULONG)STATUS_ACCESS_DENIED) >> 30, STATUS_SEVERITY_ERROR);
    assert_int_equal(((ULONG)STATUS_BUFFER_OVERFLOW) >> 30, STATUS_SEVERITY_WARNING);

    /* Aliases. */
    assert_int_equal(STATUS_WAIT_0, STATUS_SUCCESS);
    assert_int_equal(STATUS_ABANDONED_WAIT_0, STATUS_ABANDONED);
}

static void test_status_names(void **state)
{
    (void)state;
    for (size_t i = 0; i < RTL_NUMBER_OF(StatusCases); i++) {
        const char *Name = FsimNtStatusName(StatusCases[i].Status);
        assert_non_null(Name);
        assert_string_equal(Name, StatusCases[i].Name);
    }

    assert_string_equal(FsimNtStatusName(STATUS_SHARING_VIOLATION), "STATUS_SHARING_VIOLATION");
    /* Shared values give the name defined first. */
    assert_string_equal(FsimNtStatusName(STATUS_WAIT_0), "STATUS_SUCCESS");
    assert_string_equal(FsimNtStatusName(STATUS_ABANDONED_WAIT_0), "STATUS_ABANDONED");
    /* Lowest and highest values in the table, and unknown ones either side. */
    assert_string_equal(FsimNtStatusName(0), "STATUS_SUCCESS");
    assert_string_equal(FsimNtStatusName(STATUS_FLT_WCOS_NOT_SUPPORTED),
                        "STATUS_FLT_WCOS_NOT_SUPPORTED");
    assert_null(FsimNtStatusName((NTSTATUS)0xFFFFFFFFu));
    assert_null(FsimNtStatusName((NTSTATUS)0xE0000001u));
    assert_null(FsimNtStatusName((NTSTATUS)0x00000004u));
    assert_null(FsimNtStatusName((NTSTATUS)0xC0000000u));
}

/* ------------------------------------------------------------------------ */
/* fsim_fileinfo.h                                                          */
/* ------------------------------------------------------------------------ */

static void test_info_classes(void **state)
{
    (void)state;
    assert_int_equal(sizeof(FILE_INFORMATION_CLASS), 4);
    assert_int_equal(FileDirectoryInformation, 1);
    assert_int_equal(FileBothDirectoryInformation, 3);
    assert_int_equal(FileBasicInformation, 4);
    assert_int_equal(FileStandardInformation, 5);
    assert_int_equal(FileInternalInformation, 6);
    assert_int_equal(FileNameInformation, 9);
    assert_int_equal(FileRenameInformation, 10);
    assert_int_equal(FileLinkInformation, 11);
    assert_int_equal(FileDispositionInformation, 13);
    assert_int_equal(FileAllInformation, 18);
    assert_int_equal(FileEndOfFileInformation, 20);
    assert_int_equal(FileStreamInformation, 22);
    assert_int_equal(FileNetworkOpenInformation, 34);
    assert_int_equal(FileAttributeTagInformation, 35);
    assert_int_equal(FileIdBothDirectoryInformation, 37);
    assert_int_equal(FileIdFullDirectoryInformation, 38);
    assert_int_equal(FileValidDataLengthInformation, 39);
    assert_int_equal(FileShortNameInformation, 40);
    assert_int_equal(FileHardLinkInformation, 46);
    assert_int_equal(FileNormalizedNameInformation, 48);
    assert_int_equal(FileIdInformation, 59);
    assert_int_equal(FileIdExtdDirectoryInformation, 60);
    assert_int_equal(FileIdExtdBothDirectoryInformation, 63);
    assert_int_equal(FileDispositionInformationEx, 64);
    assert_int_equal(FileRenameInformationEx, 65);
    assert_int_equal(FileCaseSensitiveInformation, 71);
    assert_int_equal(FileLinkInformationEx, 72);
    assert_int_equal(FileStorageReserveIdInformation, 74);
    assert_int_equal(FileMupProviderInfo, 83);
    assert_int_equal(FileMaximumInformation, 84);

    assert_int_equal(FileFsVolumeInformation, 1);
    assert_int_equal(FileFsSizeInformation, 3);
    assert_int_equal(FileFsDeviceInformation, 4);
    assert_int_equal(FileFsAttributeInformation, 5);
    assert_int_equal(FileFsFullSizeInformation, 7);
    assert_int_equal(FileFsSectorSizeInformation, 11);
    assert_int_equal(FileFsDataCopyInformation, 12);
    assert_int_equal(FileFsGuidInformation, 15);
    assert_int_equal(FileFsMaximumInformation, 16);
}

static void test_file_info_layouts(void **state)
{
    (void)state;
    assert_int_equal(sizeof(WCHAR), 2);

    assert_int_equal(sizeof(FILE_BASIC_INFORMATION), 40);
    assert_int_equal(OFF(FILE_BASIC_INFORMATION, ChangeTime), 24);
    assert_int_equal(OFF(FILE_BASIC_INFORMATION, FileAttributes), 32);

    assert_int_equal(sizeof(FILE_STANDARD_INFORMATION), 24);
    assert_int_equal(OFF(FILE_STANDARD_INFORMATION, EndOfFile), 8);
    assert_int_equal(OFF(FILE_STANDARD_INFORMATION, NumberOfLinks), 16);
    assert_int_equal(OFF(FILE_STANDARD_INFORMATION, DeletePending), 20);
    assert_int_equal(OFF(FILE_STANDARD_INFORMATION, Directory), 21);

    assert_int_equal(sizeof(FILE_INTERNAL_INFORMATION), 8);
    assert_int_equal(sizeof(FILE_EA_INFORMATION), 4);
    assert_int_equal(sizeof(FILE_ACCESS_INFORMATION), 4);
    assert_int_equal(sizeof(FILE_POSITION_INFORMATION), 8);
    assert_int_equal(sizeof(FILE_MODE_INFORMATION), 4);
    assert_int_equal(sizeof(FILE_ALIGNMENT_INFORMATION), 4);
    assert_int_equal(sizeof(FILE_NAME_INFORMATION), 8);
    assert_int_equal(OFF(FILE_NAME_INFORMATION, FileName), 4);

    assert_int_equal(sizeof(FILE_ALL_INFORMATION), 104);
    assert_int_equal(OFF(FILE_ALL_INFORMATION, BasicInformation), 0);
    assert_int_equal(OFF(FILE_ALL_INFORMATION, StandardInformation), 40);
    assert_int_equal(OFF(FILE_ALL_INFORMATION, InternalInformation), 64);
    assert_int_equal(OFF(FILE_ALL_INFORMATION, EaInformation), 72);
    assert_int_equal(OFF(FILE_ALL_INFORMATION, AccessInformation), 76);
    assert_int_equal(OFF(FILE_ALL_INFORMATION, PositionInformation), 80);
    assert_int_equal(OFF(FILE_ALL_INFORMATION, ModeInformation), 88);
    assert_int_equal(OFF(FILE_ALL_INFORMATION, AlignmentInformation), 92);
    assert_int_equal(OFF(FILE_ALL_INFORMATION, NameInformation), 96);
    assert_int_equal(OFF(FILE_ALL_INFORMATION, NameInformation.FileName), 100);

    assert_int_equal(sizeof(FILE_NETWORK_OPEN_INFORMATION), 56);
    assert_int_equal(OFF(FILE_NETWORK_OPEN_INFORMATION, AllocationSize), 32);
    assert_int_equal(OFF(FILE_NETWORK_OPEN_INFORMATION, EndOfFile), 40);
    assert_int_equal(OFF(FILE_NETWORK_OPEN_INFORMATION, FileAttributes), 48);

    assert_int_equal(sizeof(FILE_ATTRIBUTE_TAG_INFORMATION), 8);
    assert_int_equal(OFF(FILE_ATTRIBUTE_TAG_INFORMATION, ReparseTag), 4);
    assert_int_equal(sizeof(FILE_DISPOSITION_INFORMATION), 1);
    assert_int_equal(sizeof(FILE_DISPOSITION_INFORMATION_EX), 4);
    assert_int_equal(sizeof(FILE_END_OF_FILE_INFORMATION), 8);
    assert_int_equal(sizeof(FILE_ALLOCATION_INFORMATION), 8);
    assert_int_equal(sizeof(FILE_VALID_DATA_LENGTH_INFORMATION), 8);

    assert_int_equal(sizeof(FILE_RENAME_INFORMATION), 24);
    assert_int_equal(OFF(FILE_RENAME_INFORMATION, ReplaceIfExists), 0);
    assert_int_equal(OFF(FILE_RENAME_INFORMATION, Flags), 0);
    assert_int_equal(OFF(FILE_RENAME_INFORMATION, RootDirectory), 8);
    assert_int_equal(OFF(FILE_RENAME_INFORMATION, FileNameLength), 16);
    assert_int_equal(OFF(FILE_RENAME_INFORMATION, FileName), 0x14);
    assert_int_equal(sizeof(FILE_LINK_INFORMATION), 24);
    assert_int_equal(OFF(FILE_LINK_INFORMATION, Flags), 0);
    assert_int_equal(OFF(FILE_LINK_INFORMATION, RootDirectory), 8);
    assert_int_equal(OFF(FILE_LINK_INFORMATION, FileName), 0x14);

    assert_int_equal(sizeof(FILE_LINK_ENTRY_INFORMATION), 24);
    assert_int_equal(OFF(FILE_LINK_ENTRY_INFORMATION, ParentFileId), 8);
    assert_int_equal(OFF(FILE_LINK_ENTRY_INFORMATION, FileNameLength), 16);
    assert_int_equal(OFF(FILE_LINK_ENTRY_INFORMATION, FileName), 20);
    assert_int_equal(sizeof(FILE_LINKS_INFORMATION), 32);
    assert_int_equal(OFF(FILE_LINKS_INFORMATION, Entry), 8);

    assert_int_equal(sizeof(FILE_STREAM_INFORMATION), 32);
    assert_int_equal(OFF(FILE_STREAM_INFORMATION, StreamNameLength), 4);
    assert_int_equal(OFF(FILE_STREAM_INFORMATION, StreamSize), 8);
    assert_int_equal(OFF(FILE_STREAM_INFORMATION, StreamAllocationSize), 16);
    assert_int_equal(OFF(FILE_STREAM_INFORMATION, StreamName), 24);

    assert_int_equal(sizeof(FILE_ID_128), 16);
    assert_int_equal(sizeof(FILE_ID_INFORMATION), 24);
    assert_int_equal(OFF(FILE_ID_INFORMATION, FileId), 8);
    assert_int_equal(sizeof(FILE_COMPRESSION_INFORMATION), 16);
    assert_int_equal(sizeof(FILE_CASE_SENSITIVE_INFORMATION), 4);

    assert_int_equal(sizeof(FILE_FULL_EA_INFORMATION), 12);
    assert_int_equal(OFF(FILE_FULL_EA_INFORMATION, Flags), 4);
    assert_int_equal(OFF(FILE_FULL_EA_INFORMATION, EaNameLength), 5);
    assert_int_equal(OFF(FILE_FULL_EA_INFORMATION, EaValueLength), 6);
    assert_int_equal(OFF(FILE_FULL_EA_INFORMATION, EaName), 8);
    assert_int_equal(sizeof(FILE_GET_EA_INFORMATION), 8);
    assert_int_equal(OFF(FILE_GET_EA_INFORMATION, EaName), 5);

    assert_int_equal(OFF(FILE_GET_QUOTA_INFORMATION, Sid), 8);
    assert_int_equal(sizeof(FILE_GET_QUOTA_INFORMATION), 20);
    assert_int_equal(OFF(FILE_QUOTA_INFORMATION, ChangeTime), 8);
    assert_int_equal(OFF(FILE_QUOTA_INFORMATION, QuotaLimit), 32);
    assert_int_equal(OFF(FILE_QUOTA_INFORMATION, Sid), 40);
    assert_int_equal(sizeof(FILE_QUOTA_INFORMATION), 56);
}

static void test_directory_layouts(void **state)
{
    (void)state;
    assert_int_equal(OFF(FILE_DIRECTORY_INFORMATION, FileIndex), 4);
    assert_int_equal(OFF(FILE_DIRECTORY_INFORMATION, CreationTime), 8);
    assert_int_equal(OFF(FILE_DIRECTORY_INFORMATION, EndOfFile), 40);
    assert_int_equal(OFF(FILE_DIRECTORY_INFORMATION, AllocationSize), 48);
    assert_int_equal(OFF(FILE_DIRECTORY_INFORMATION, FileAttributes), 56);
    assert_int_equal(OFF(FILE_DIRECTORY_INFORMATION, FileNameLength), 60);
    assert_int_equal(OFF(FILE_DIRECTORY_INFORMATION, FileName), 0x40);
    assert_int_equal(sizeof(FILE_DIRECTORY_INFORMATION), 72);

    assert_int_equal(OFF(FILE_FULL_DIR_INFORMATION, EaSize), 64);
    assert_int_equal(OFF(FILE_FULL_DIR_INFORMATION, FileName), 0x44);
    assert_int_equal(sizeof(FILE_FULL_DIR_INFORMATION), 72);

    assert_int_equal(OFF(FILE_BOTH_DIR_INFORMATION, EaSize), 64);
    assert_int_equal(OFF(FILE_BOTH_DIR_INFORMATION, ShortNameLength), 68);
    assert_int_equal(OFF(FILE_BOTH_DIR_INFORMATION, ShortName), 70);
    assert_int_equal(OFF(FILE_BOTH_DIR_INFORMATION, FileName), 0x5E);
    assert_int_equal(sizeof(FILE_BOTH_DIR_INFORMATION), 96);

    assert_int_equal(OFF(FILE_ID_BOTH_DIR_INFORMATION, ShortName), 70);
    assert_int_equal(OFF(FILE_ID_BOTH_DIR_INFORMATION, FileId), 96);
    assert_int_equal(OFF(FILE_ID_BOTH_DIR_INFORMATION, FileName), 0x68);
    assert_int_equal(sizeof(FILE_ID_BOTH_DIR_INFORMATION), 112);

    assert_int_equal(OFF(FILE_ID_FULL_DIR_INFORMATION, EaSize), 64);
    assert_int_equal(OFF(FILE_ID_FULL_DIR_INFORMATION, FileId), 72);
    assert_int_equal(OFF(FILE_ID_FULL_DIR_INFORMATION, FileName), 0x50);
    assert_int_equal(sizeof(FILE_ID_FULL_DIR_INFORMATION), 88);

    assert_int_equal(OFF(FILE_NAMES_INFORMATION, FileNameLength), 8);
    assert_int_equal(OFF(FILE_NAMES_INFORMATION, FileName), 12);
    assert_int_equal(sizeof(FILE_NAMES_INFORMATION), 16);

    assert_int_equal(OFF(FILE_ID_EXTD_DIR_INFORMATION, ReparsePointTag), 68);
    assert_int_equal(OFF(FILE_ID_EXTD_DIR_INFORMATION, FileId), 72);
    assert_int_equal(OFF(FILE_ID_EXTD_DIR_INFORMATION, FileName), 0x58);
    assert_int_equal(sizeof(FILE_ID_EXTD_DIR_INFORMATION), 96);

    assert_int_equal(OFF(FILE_ID_EXTD_BOTH_DIR_INFORMATION, FileId), 72);
    assert_int_equal(OFF(FILE_ID_EXTD_BOTH_DIR_INFORMATION, ShortNameLength), 88);
    assert_int_equal(OFF(FILE_ID_EXTD_BOTH_DIR_INFORMATION, ShortName), 90);
    assert_int_equal(OFF(FILE_ID_EXTD_BOTH_DIR_INFORMATION, FileName), 0x72);
    assert_int_equal(sizeof(FILE_ID_EXTD_BOTH_DIR_INFORMATION), 120);

    assert_int_equal(OFF(FILE_NOTIFY_INFORMATION, Action), 4);
    assert_int_equal(OFF(FILE_NOTIFY_INFORMATION, FileName), 12);
    assert_int_equal(sizeof(FILE_NOTIFY_INFORMATION), 16);
}

static void test_volume_layouts(void **state)
{
    (void)state;
    assert_int_equal(OFF(FILE_FS_VOLUME_INFORMATION, VolumeSerialNumber), 8);
    assert_int_equal(OFF(FILE_FS_VOLUME_INFORMATION, VolumeLabelLength), 12);
    assert_int_equal(OFF(FILE_FS_VOLUME_INFORMATION, SupportsObjects), 16);
    assert_int_equal(OFF(FILE_FS_VOLUME_INFORMATION, VolumeLabel), 18);
    assert_int_equal(sizeof(FILE_FS_VOLUME_INFORMATION), 24);

    assert_int_equal(OFF(FILE_FS_LABEL_INFORMATION, VolumeLabel), 4);
    assert_int_equal(sizeof(FILE_FS_SIZE_INFORMATION), 24);
    assert_int_equal(OFF(FILE_FS_SIZE_INFORMATION, SectorsPerAllocationUnit), 16);
    assert_int_equal(OFF(FILE_FS_SIZE_INFORMATION, BytesPerSector), 20);
    assert_int_equal(sizeof(FILE_FS_FULL_SIZE_INFORMATION), 32);
    assert_int_equal(OFF(FILE_FS_FULL_SIZE_INFORMATION, ActualAvailableAllocationUnits), 16);
    assert_int_equal(OFF(FILE_FS_FULL_SIZE_INFORMATION, BytesPerSector), 28);
    assert_int_equal(sizeof(FILE_FS_DEVICE_INFORMATION), 8);
    assert_int_equal(OFF(FILE_FS_DEVICE_INFORMATION, Characteristics), 4);
    assert_int_equal(OFF(FILE_FS_ATTRIBUTE_INFORMATION, MaximumComponentNameLength), 4);
    assert_int_equal(OFF(FILE_FS_ATTRIBUTE_INFORMATION, FileSystemNameLength), 8);
    assert_int_equal(OFF(FILE_FS_ATTRIBUTE_INFORMATION, FileSystemName), 12);
    assert_int_equal(sizeof(FILE_FS_ATTRIBUTE_INFORMATION), 16);
    assert_int_equal(sizeof(FILE_FS_SECTOR_SIZE_INFORMATION), 28);
    assert_int_equal(OFF(FILE_FS_SECTOR_SIZE_INFORMATION, Flags), 16);
    assert_int_equal(sizeof(FILE_FS_OBJECTID_INFORMATION), 64);
}

static void test_file_constants(void **state)
{
    (void)state;
    /* Access rights. */
    assert_int_equal(FILE_ALL_ACCESS, 0x001F01FF);
    assert_int_equal(FILE_GENERIC_READ, 0x00120089);
    assert_int_equal(FILE_GENERIC_WRITE, 0x00120116);
    assert_int_equal(FILE_GENERIC_EXECUTE, 0x001200A0);
    assert_int_equal(FILE_LIST_DIRECTORY, FILE_READ_DATA);
    assert_int_equal(FILE_TRAVERSE, FILE_EXECUTE);
    assert_int_equal(DELETE | READ_CONTROL | WRITE_DAC | WRITE_OWNER, STANDARD_RIGHTS_REQUIRED);
    assert_int_equal(STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE, STANDARD_RIGHTS_ALL);
    assert_int_equal(ACCESS_SYSTEM_SECURITY, 0x01000000);
    assert_int_equal(MAXIMUM_ALLOWED, 0x02000000);
    assert_int_equal(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL, 0xF0000000u);
    /* 32-bit, as on Windows, even on an LP64 host. */
    assert_int_equal(sizeof(GENERIC_READ), 4);
    assert_int_equal(sizeof(FILE_GENERIC_WRITE), 4);
    assert_int_equal(sizeof(DELETE), 4);

    /* Attributes, device types and characteristics, FS attributes. */
    assert_int_equal(FILE_ATTRIBUTE_DIRECTORY, 0x10);
    assert_int_equal(FILE_ATTRIBUTE_NORMAL, 0x80);
    assert_int_equal(FILE_ATTRIBUTE_REPARSE_POINT, 0x400);
    assert_int_equal(FILE_ATTRIBUTE_ENCRYPTED, 0x4000);
    assert_int_equal(FILE_DEVICE_DISK, 7);
    assert_int_equal(FILE_DEVICE_DISK_FILE_SYSTEM, 8);
    assert_int_equal(FILE_DEVICE_NETWORK, 0x12);
    assert_int_equal(FILE_DEVICE_NETWORK_FILE_SYSTEM, 0x14);
    assert_int_equal(FILE_DEVICE_MULTI_UNC_PROVIDER, 0x10);
    assert_int_equal(FILE_DEVICE_NETWORK_REDIRECTOR, 0x28);
    assert_int_equal(FILE_REMOTE_DEVICE, 0x10);
    assert_int_equal(FILE_DEVICE_SECURE_OPEN, 0x100);
    assert_int_equal(FILE_CASE_SENSITIVE_SEARCH | FILE_CASE_PRESERVED_NAMES | FILE_UNICODE_ON_DISK |
                         FILE_PERSISTENT_ACLS,
                     0xF);
    assert_int_equal(FILE_SUPPORTS_REPARSE_POINTS, 0x80);
    assert_int_equal(FILE_NAMED_STREAMS, 0x40000);
    assert_int_equal(FILE_SUPPORTS_OPEN_BY_FILE_ID, 0x01000000);

    /* Create results, special offsets, rename/disposition flags, notification. */
    assert_int_equal(FILE_SUPERSEDED, 0);
    assert_int_equal(FILE_OPENED, 1);
    assert_int_equal(FILE_CREATED, 2);
    assert_int_equal(FILE_OVERWRITTEN, 3);
    assert_int_equal(FILE_EXISTS, 4);
    assert_int_equal(FILE_DOES_NOT_EXIST, 5);
    assert_int_equal(FILE_WRITE_TO_END_OF_FILE, 0xffffffffu);
    assert_int_equal(FILE_USE_FILE_POINTER_POSITION, 0xfffffffeu);
    assert_int_equal(FILE_RENAME_POSIX_SEMANTICS, 2);
    assert_int_equal(FILE_RENAME_PRESERVE_AVAILABLE_SPACE, 0x30);
    assert_int_equal(FILE_DISPOSITION_POSIX_SEMANTICS | FILE_DISPOSITION_DELETE, 3);
    assert_int_equal(FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE, 0x10);
    assert_int_equal(FILE_NOTIFY_CHANGE_NAME,
                     FILE_NOTIFY_CHANGE_FILE_NAME | FILE_NOTIFY_CHANGE_DIR_NAME);
    assert_int_equal(FILE_ACTION_RENAMED_NEW_NAME, 5);

    /* The rename union: ReplaceIfExists aliases the low byte of Flags. */
    FILE_RENAME_INFORMATION Rename;
    memset(&Rename, 0, sizeof(Rename));
    Rename.Flags = FILE_RENAME_REPLACE_IF_EXISTS;
    assert_int_equal(Rename.ReplaceIfExists, TRUE);
}

/* ------------------------------------------------------------------------ */
/* fsim_security.h                                                          */
/* ------------------------------------------------------------------------ */

static void test_security_layouts(void **state)
{
    (void)state;
    assert_int_equal(sizeof(SID_IDENTIFIER_AUTHORITY), 6);
    assert_int_equal(sizeof(SID), 12);
    assert_int_equal(OFF(SID, IdentifierAuthority), 2);
    assert_int_equal(OFF(SID, SubAuthority), 8);
    assert_int_equal(SECURITY_MAX_SID_SIZE, 68);
    assert_int_equal(sizeof(SID_AND_ATTRIBUTES), 16);

    assert_int_equal(sizeof(ACL), 8);
    assert_int_equal(OFF(ACL, AclSize), 2);
    assert_int_equal(OFF(ACL, AceCount), 4);
    assert_int_equal(sizeof(ACE_HEADER), 4);
    assert_int_equal(OFF(ACE_HEADER, AceSize), 2);
    assert_int_equal(sizeof(ACCESS_ALLOWED_ACE), 12);
    assert_int_equal(OFF(ACCESS_ALLOWED_ACE, Mask), 4);
    assert_int_equal(OFF(ACCESS_ALLOWED_ACE, SidStart), 8);
    assert_int_equal(sizeof(ACCESS_DENIED_ACE), 12);
    assert_int_equal(sizeof(SYSTEM_MANDATORY_LABEL_ACE), 12);

    assert_int_equal(sizeof(SECURITY_DESCRIPTOR), 40);
    assert_int_equal(OFF(SECURITY_DESCRIPTOR, Control), 2);
    assert_int_equal(OFF(SECURITY_DESCRIPTOR, Owner), 8);
    assert_int_equal(OFF(SECURITY_DESCRIPTOR, Group), 16);
    assert_int_equal(OFF(SECURITY_DESCRIPTOR, Sacl), 24);
    assert_int_equal(OFF(SECURITY_DESCRIPTOR, Dacl), 32);
    assert_int_equal(SECURITY_DESCRIPTOR_MIN_LENGTH, 40);
    assert_int_equal(sizeof(SECURITY_DESCRIPTOR_RELATIVE), 20);
    assert_int_equal(OFF(SECURITY_DESCRIPTOR_RELATIVE, Owner), 4);
    assert_int_equal(OFF(SECURITY_DESCRIPTOR_RELATIVE, Group), 8);
    assert_int_equal(OFF(SECURITY_DESCRIPTOR_RELATIVE, Sacl), 12);
    assert_int_equal(OFF(SECURITY_DESCRIPTOR_RELATIVE, Dacl), 16);
    assert_int_equal(sizeof(SECURITY_DESCRIPTOR_CONTROL), 2);

    assert_int_equal(sizeof(GENERIC_MAPPING), 16);
    assert_int_equal(sizeof(LUID_AND_ATTRIBUTES), 12);
    assert_int_equal(sizeof(PRIVILEGE_SET), 20);
    assert_int_equal(OFF(PRIVILEGE_SET, Privilege), 8);
    assert_int_equal(sizeof(SECURITY_QUALITY_OF_SERVICE), 12);
    assert_int_equal(OFF(SECURITY_QUALITY_OF_SERVICE, ImpersonationLevel), 4);
    assert_int_equal(OFF(SECURITY_QUALITY_OF_SERVICE, ContextTrackingMode), 8);
    assert_int_equal(OFF(SECURITY_QUALITY_OF_SERVICE, EffectiveOnly), 9);
}

static void test_security_constants(void **state)
{
    (void)state;
    assert_int_equal(OWNER_SECURITY_INFORMATION, 0x1);
    assert_int_equal(GROUP_SECURITY_INFORMATION, 0x2);
    assert_int_equal(DACL_SECURITY_INFORMATION, 0x4);
    assert_int_equal(SACL_SECURITY_INFORMATION, 0x8);
    assert_int_equal(LABEL_SECURITY_INFORMATION, 0x10);
    assert_int_equal(ATTRIBUTE_SECURITY_INFORMATION, 0x20);
    assert_int_equal(SCOPE_SECURITY_INFORMATION, 0x40);
    assert_int_equal(PROCESS_TRUST_LABEL_SECURITY_INFORMATION, 0x80);
    assert_int_equal(BACKUP_SECURITY_INFORMATION, 0x10000);
    assert_int_equal(PROTECTED_DACL_SECURITY_INFORMATION, 0x80000000u);
    assert_int_equal(UNPROTECTED_SACL_SECURITY_INFORMATION, 0x10000000u);
    assert_int_equal(sizeof(PROTECTED_DACL_SECURITY_INFORMATION), 4);

    assert_int_equal(SECURITY_DESCRIPTOR_REVISION, 1);
    assert_int_equal(ACL_REVISION, 2);
    assert_int_equal(ACL_REVISION_DS, 4);
    assert_int_equal(SE_DACL_PRESENT, 0x4);
    assert_int_equal(SE_SELF_RELATIVE, 0x8000);
    assert_int_equal(ACCESS_ALLOWED_ACE_TYPE, 0);
    assert_int_equal(ACCESS_DENIED_ACE_TYPE, 1);
    assert_int_equal(SYSTEM_MANDATORY_LABEL_ACE_TYPE, 0x11);

    assert_int_equal(SECURITY_LOCAL_SYSTEM_RID, 18);
    assert_int_equal(SECURITY_BUILTIN_DOMAIN_RID, 32);
    assert_int_equal(DOMAIN_ALIAS_RID_ADMINS, 544);
    assert_int_equal(SECURITY_WORLD_RID, 0);
    assert_int_equal(SECURITY_AUTHENTICATED_USER_RID, 11);

    assert_int_equal(SE_CREATE_TOKEN_PRIVILEGE, 2);
    assert_int_equal(SE_TCB_PRIVILEGE, 7);
    assert_int_equal(SE_SECURITY_PRIVILEGE, 8);
    assert_int_equal(SE_BACKUP_PRIVILEGE, 17);
    assert_int_equal(SE_RESTORE_PRIVILEGE, 18);
    assert_int_equal(SE_CHANGE_NOTIFY_PRIVILEGE, 23);
    assert_int_equal(SE_MAX_WELL_KNOWN_PRIVILEGE, 36);

    assert_int_equal(SecurityAnonymous, 0);
    assert_int_equal(SecurityDelegation, 3);
    assert_true(VALID_IMPERSONATION_LEVEL(SecurityImpersonation));
    assert_int_equal(TokenImpersonation, 2);

    /* The authority initializers fill a SID_IDENTIFIER_AUTHORITY. */
    SID_IDENTIFIER_AUTHORITY Nt = SECURITY_NT_AUTHORITY;
    SID_IDENTIFIER_AUTHORITY World = SECURITY_WORLD_SID_AUTHORITY;
    static const UCHAR NtBytes[6] = {0, 0, 0, 0, 0, 5};
    static const UCHAR WorldBytes[6] = {0, 0, 0, 0, 0, 1};
    assert_memory_equal(Nt.Value, NtBytes, 6);
    assert_memory_equal(World.Value, WorldBytes, 6);

    /* A LocalSystem SID (S-1-5-18) built in place. */
    SID System = {SID_REVISION, 1, SECURITY_NT_AUTHORITY, {SECURITY_LOCAL_SYSTEM_RID}};
    assert_int_equal(System.Revision, 1);
    assert_int_equal(System.IdentifierAuthority.Value[5], 5);
    assert_int_equal(System.SubAuthority[0], 18);
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test(test_status_values),
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_info_classes),
        cmocka_unit_test(test_file_info_layouts),
        cmocka_unit_test(test_directory_layouts),
        cmocka_unit_test(test_volume_layouts),
        cmocka_unit_test(test_file_constants),
        cmocka_unit_test(test_security_layouts),
        cmocka_unit_test(test_security_constants),
    };
    return cmocka_run_group_tests(Tests, NULL, NULL);
}
