/*
 * test_cm.c - Cm unit tests: service keys written by the host, read by
 * kernel code through ZwOpenKey/ZwQueryValueKey with Windows' buffer rules
 * (STATUS_BUFFER_TOO_SMALL below the fixed part, STATUS_BUFFER_OVERFLOW
 * when only the data does not fit, ResultLength = bytes needed).
 */
#include "support/ts.h"

static FSIM_MACHINE *M;

static int Setup(void **State)
{
    (void)State;
    M = TsCreate(0);
    assert_int_equal(FsimServiceCreate(M, "demo", "/nonexistent/demo.sys"), 0);
    assert_int_equal(FsimServiceSetDword(M, "demo", "DebugFlags", 0x13), 0);
    assert_int_equal(FsimServiceSetString(M, "demo", "Mode", "fast"), 0);
    assert_int_equal(FsimServiceAddInstance(M, "demo", "Demo Instance", "370030", 0, 1), 0);
    return 0;
}

static int Teardown(void **State)
{
    (void)State;
    FsimMachineDestroy(M);
    return 0;
}

typedef struct CM_CASE {
    NTSTATUS Open, Small, Overflow, Ok, Missing, Str, Close;
    ULONG Needed, Type, Value, StrLength;
    WCHAR Str0;
} CM_CASE;

static void Query(void *Context)
{
    CM_CASE *C = Context;
    UNICODE_STRING Path, Name, Missing, Mode;
    OBJECT_ATTRIBUTES Oa;
    HANDLE Key;
    UCHAR Buffer[64];
    PKEY_VALUE_PARTIAL_INFORMATION Info = (PKEY_VALUE_PARTIAL_INFORMATION)Buffer;
    ULONG Needed = 0;
    RtlInitUnicodeString(&Path, L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\demo\\Parameters");
    RtlInitUnicodeString(&Name, L"DebugFlags");
    RtlInitUnicodeString(&Missing, L"Nope");
    RtlInitUnicodeString(&Mode, L"Mode");
    InitializeObjectAttributes(&Oa, &Path, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    C->Open = ZwOpenKey(&Key, KEY_READ, &Oa);
    C->Small = ZwQueryValueKey(Key, &Name, KeyValuePartialInformation, Info, 4, &Needed);
    C->Needed = Needed;
    C->Overflow = ZwQueryValueKey(Key, &Name, KeyValuePartialInformation, Info,
                                  FIELD_OFFSET(KEY_VALUE_PARTIAL_INFORMATION, Data), &Needed);
    C->Ok = ZwQueryValueKey(Key, &Name, KeyValuePartialInformation, Info, sizeof(Buffer), &Needed);
    C->Type = Info->Type;
    memcpy(&C->Value, Info->Data, sizeof(ULONG));
    C->Missing = ZwQueryValueKey(Key, &Missing, KeyValuePartialInformation, Info, sizeof(Buffer), &Needed);
    C->Str = ZwQueryValueKey(Key, &Mode, KeyValuePartialInformation, Info, sizeof(Buffer), &Needed);
    C->StrLength = Info->DataLength;
    memcpy(&C->Str0, Info->Data, sizeof(WCHAR));
    C->Close = ZwClose(Key);
}

static void test_query_value_buffer_rules(void **State)
{
    CM_CASE C;
    (void)State;
    memset(&C, 0, sizeof(C));
    assert_int_equal(TsRun(M, Query, &C), 0);
    assert_int_equal(C.Open, STATUS_SUCCESS);
    assert_int_equal(C.Small, STATUS_BUFFER_TOO_SMALL);
    assert_int_equal(C.Needed, 12 + 4); /* TitleIndex, Type, DataLength + a DWORD */
    assert_int_equal(C.Overflow, STATUS_BUFFER_OVERFLOW);
    assert_int_equal(C.Ok, STATUS_SUCCESS);
    assert_int_equal(C.Type, REG_DWORD);
    assert_int_equal(C.Value, 0x13);
    assert_int_equal(C.Missing, STATUS_OBJECT_NAME_NOT_FOUND);
    assert_int_equal(C.Str, STATUS_SUCCESS);
    assert_int_equal(C.StrLength, 5 * sizeof(WCHAR)); /* "fast" and its terminator */
    assert_int_equal(C.Str0, L'f');
    assert_int_equal(C.Close, STATUS_SUCCESS);
}

static void OpenMissing(void *Context)
{
    NTSTATUS *Status = Context;
    UNICODE_STRING Path;
    OBJECT_ATTRIBUTES Oa;
    HANDLE Key;
    RtlInitUnicodeString(&Path, L"\\Registry\\Machine\\System\\CurrentControlSet\\Services\\nothere");
    InitializeObjectAttributes(&Oa, &Path, OBJ_KERNEL_HANDLE, NULL, NULL);
    *Status = ZwOpenKey(&Key, KEY_READ, &Oa);
    ZwClose((HANDLE)(ULONG_PTR)0x1234); /* a bad kernel handle */
}

static void test_open_missing_key_and_close_bad_handle(void **State)
{
    NTSTATUS Status = 0;
    (void)State;
    assert_int_equal(TsRun(M, OpenMissing, &Status), 1);
    assert_int_equal(Status, STATUS_OBJECT_NAME_NOT_FOUND);
    TsExpectBugcheck(M, 0x93, 0x1234);
    assert_int_equal(FsimGetReport(M)->Args[1], 1);
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test_setup_teardown(test_query_value_buffer_rules, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_open_missing_key_and_close_bad_handle, Setup, Teardown),
    };
    return cmocka_run_group_tests(Tests, NULL, NULL);
}
