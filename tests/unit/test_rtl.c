/*
 * test_rtl.c - unit tests of the Rtl run-time library (sim/rtl).
 *
 * Owns the checks of the string, number, memory, time, random, version and
 * bit map routines against their documented Windows semantics.  Expected
 * values are derived by hand from the WDK documentation (the worked examples
 * of RtlUnicodeStringToInteger, the system-time definition of 100-ns units
 * since 1601-01-01, Windows-1252 for the ANSI code page), not from running
 * the code under test.  Each test body runs as kernel code of a booted
 * machine (TsRun: the System thread at PASSIVE_LEVEL, inside the machine's
 * stop point), so the IRQL contract is checked, pool allocations are real
 * tracked blocks, and a bugcheck returns to the test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <ntifs.h>
#include "support/ts.h"

/*
 * Documented Rtl routines sim/rtl implements that the simulator's WDK headers
 * do not declare (yet).  Identical redeclarations are harmless once they do.
 */
NTSYSAPI NTSTATUS NTAPI RtlInitStringEx(PSTRING DestinationString, PCSZ SourceString);
NTSYSAPI NTSTATUS NTAPI RtlInitAnsiStringEx(PANSI_STRING DestinationString, PCSZ SourceString);
NTSYSAPI ULONG NTAPI RtlxUnicodeStringToAnsiSize(PCUNICODE_STRING UnicodeString);
NTSYSAPI ULONG NTAPI RtlxAnsiStringToUnicodeSize(PCANSI_STRING AnsiString);
NTSYSAPI VOID NTAPI RtlCopyString(PSTRING DestinationString, const STRING *SourceString);
NTSYSAPI LONG NTAPI RtlCompareString(const STRING *String1, const STRING *String2,
                                     BOOLEAN CaseInSensitive);
NTSYSAPI BOOLEAN NTAPI RtlEqualString(const STRING *String1, const STRING *String2,
                                      BOOLEAN CaseInSensitive);
NTSYSAPI BOOLEAN NTAPI RtlPrefixString(const STRING *String1, const STRING *String2,
                                       BOOLEAN CaseInSensitive);
NTSYSAPI VOID NTAPI RtlUpperString(PSTRING DestinationString, const STRING *SourceString);
NTSYSAPI CHAR NTAPI RtlUpperChar(CHAR Character);
NTSYSAPI BOOLEAN NTAPI RtlTimeToSecondsSince1970(PLARGE_INTEGER Time, PULONG ElapsedSeconds);
NTSYSAPI VOID NTAPI RtlSecondsSince1970ToTime(ULONG ElapsedSeconds, PLARGE_INTEGER Time);
NTSYSAPI BOOLEAN NTAPI RtlTimeToSecondsSince1980(PLARGE_INTEGER Time, PULONG ElapsedSeconds);
NTSYSAPI VOID NTAPI RtlSecondsSince1980ToTime(ULONG ElapsedSeconds, PLARGE_INTEGER Time);
NTSYSAPI VOID NTAPI RtlInitializeBitMap(PRTL_BITMAP BitMapHeader, PULONG BitMapBuffer,
                                        ULONG SizeOfBitMap);
NTSYSAPI VOID NTAPI RtlClearAllBits(PRTL_BITMAP BitMapHeader);
NTSYSAPI VOID NTAPI RtlSetAllBits(PRTL_BITMAP BitMapHeader);
NTSYSAPI VOID NTAPI RtlClearBit(PRTL_BITMAP BitMapHeader, ULONG BitNumber);
NTSYSAPI VOID NTAPI RtlSetBit(PRTL_BITMAP BitMapHeader, ULONG BitNumber);
NTSYSAPI BOOLEAN NTAPI RtlTestBit(PRTL_BITMAP BitMapHeader, ULONG BitNumber);
NTSYSAPI VOID NTAPI RtlClearBits(PRTL_BITMAP BitMapHeader, ULONG StartingIndex, ULONG NumberToClear);
NTSYSAPI VOID NTAPI RtlSetBits(PRTL_BITMAP BitMapHeader, ULONG StartingIndex, ULONG NumberToSet);
NTSYSAPI BOOLEAN NTAPI RtlAreBitsClear(PRTL_BITMAP BitMapHeader, ULONG StartingIndex, ULONG Length);
NTSYSAPI BOOLEAN NTAPI RtlAreBitsSet(PRTL_BITMAP BitMapHeader, ULONG StartingIndex, ULONG Length);
NTSYSAPI ULONG NTAPI RtlFindClearBits(PRTL_BITMAP BitMapHeader, ULONG NumberToFind, ULONG HintIndex);
NTSYSAPI ULONG NTAPI RtlFindSetBits(PRTL_BITMAP BitMapHeader, ULONG NumberToFind, ULONG HintIndex);
NTSYSAPI ULONG NTAPI RtlFindClearBitsAndSet(PRTL_BITMAP BitMapHeader, ULONG NumberToFind,
                                            ULONG HintIndex);
NTSYSAPI ULONG NTAPI RtlFindSetBitsAndClear(PRTL_BITMAP BitMapHeader, ULONG NumberToFind,
                                            ULONG HintIndex);
NTSYSAPI ULONG NTAPI RtlNumberOfClearBits(PRTL_BITMAP BitMapHeader);
NTSYSAPI ULONG NTAPI RtlNumberOfSetBits(PRTL_BITMAP BitMapHeader);

/* ------------------------------------------------------------------------ */
/* Fixture and helpers.                                                     */
/* ------------------------------------------------------------------------ */

static FSIM_MACHINE *TestMachine;

static int RtlTestGroupSetup(void **state)
{
    (void)state;
    TestMachine = TsCreate(0);
    return 0;
}

static int RtlTestGroupTeardown(void **state)
{
    (void)state;
    FsimMachineDestroy(TestMachine);
    TestMachine = NULL;
    return 0;
}

/* Runs a CMocka test body on the machine's System thread. */
typedef struct RTL_TEST_CALL {
    CMUnitTestFunction Body;
    void **State;
} RTL_TEST_CALL;

static void RtlTestTrampoline(void *Context)
{
    RTL_TEST_CALL *call = (RTL_TEST_CALL *)Context;
    call->Body(call->State);
}

static void RtlRunInKernel(CMUnitTestFunction Body, void **State)
{
    RTL_TEST_CALL call = { Body, State };
    assert_int_equal(TsRun(TestMachine, RtlTestTrampoline, &call), 0);
}

#define RTL_KERNEL_TEST(Name)                  \
    static void test_##Name(void **state)      \
    {                                          \
        RtlRunInKernel(body_##Name, state);    \
    }

static size_t WideLen(const WCHAR *s)
{
    size_t n = 0;
    while (s[n] != 0) {
        n++;
    }
    return n;
}

/* Length bytes of String equal the NUL-terminated Expected (no terminator needed in String). */
static void AssertUnicodeIs(const UNICODE_STRING *String, const WCHAR *Expected)
{
    size_t n = WideLen(Expected);
    assert_int_equal(String->Length, n * sizeof(WCHAR));
    assert_memory_equal(String->Buffer, Expected, n * sizeof(WCHAR));
}

static void AssertAnsiIs(const ANSI_STRING *String, const char *Expected)
{
    size_t n = strlen(Expected);
    assert_int_equal(String->Length, n);
    assert_memory_equal(String->Buffer, Expected, n);
}

/* A UNICODE_STRING over Storage with Length 0 (RtlInitEmptyUnicodeString's effect). */
static void InitEmpty(UNICODE_STRING *String, WCHAR *Storage, USHORT MaximumBytes)
{
    String->Buffer = Storage;
    String->Length = 0;
    String->MaximumLength = MaximumBytes;
}

/* ------------------------------------------------------------------------ */
/* Initialisation.                                                          */
/* ------------------------------------------------------------------------ */

static void body_init_unicode_string(void **state)
{
    static const WCHAR abc[] = L"abc";
    UNICODE_STRING s;

    (void)state;
    RtlInitUnicodeString(&s, abc);
    assert_int_equal(s.Length, 6);
    assert_int_equal(s.MaximumLength, 8);
    assert_ptr_equal(s.Buffer, abc);

    RtlInitUnicodeString(&s, L"");
    assert_int_equal(s.Length, 0);
    assert_int_equal(s.MaximumLength, 2);

    s.Length = 99;
    RtlInitUnicodeString(&s, NULL);
    assert_int_equal(s.Length, 0);
    assert_int_equal(s.MaximumLength, 0);
    assert_null(s.Buffer);
}

static void body_init_unicode_string_limits(void **state)
{
    static WCHAR big[40001];
    UNICODE_STRING s;
    size_t i;

    (void)state;
    for (i = 0; i < 40000; i++) {
        big[i] = L'a';
    }
    big[40000] = 0;
    /* Longer than MAX_USTRING - 1 bytes: Length MAX_USTRING - 2, MaximumLength MAX_USTRING. */
    RtlInitUnicodeString(&s, big);
    assert_int_equal(s.Length, 0xFFFC);
    assert_int_equal(s.MaximumLength, 0xFFFE);
    assert_int_equal(RtlInitUnicodeStringEx(&s, big), STATUS_NAME_TOO_LONG);

    /* 32766 characters (65532 bytes) is the longest that fits with its NUL. */
    big[32766] = 0;
    assert_int_equal(RtlInitUnicodeStringEx(&s, big), STATUS_SUCCESS);
    assert_int_equal(s.Length, 0xFFFC);
    assert_int_equal(s.MaximumLength, 0xFFFE);
    big[32766] = L'a';
    big[32767] = 0;
    assert_int_equal(RtlInitUnicodeStringEx(&s, big), STATUS_NAME_TOO_LONG);

    assert_int_equal(RtlInitUnicodeStringEx(&s, NULL), STATUS_SUCCESS);
    assert_int_equal(s.Length, 0);
    assert_int_equal(s.MaximumLength, 0);
}

static void body_init_ansi_string(void **state)
{
    static const char abc[] = "abc";
    ANSI_STRING a;
    STRING s;

    (void)state;
    RtlInitAnsiString(&a, abc);
    assert_int_equal(a.Length, 3);
    assert_int_equal(a.MaximumLength, 4);
    assert_ptr_equal(a.Buffer, abc);
    RtlInitString(&s, NULL);
    assert_int_equal(s.Length, 0);
    assert_int_equal(s.MaximumLength, 0);
    assert_null(s.Buffer);
    assert_int_equal(RtlInitStringEx(&s, "xy"), STATUS_SUCCESS);
    assert_int_equal(s.Length, 2);
    assert_int_equal(s.MaximumLength, 3);
}

/* ------------------------------------------------------------------------ */
/* Copy and append.                                                         */
/* ------------------------------------------------------------------------ */

static void body_copy_unicode_string(void **state)
{
    WCHAR storage[6] = { L'#', L'#', L'#', L'#', L'#', L'#' };
    UNICODE_STRING dst;
    UNICODE_STRING src;

    (void)state;
    /* Truncated to the destination's MaximumLength (8 bytes), no terminator. */
    InitEmpty(&dst, storage, 8);
    RtlInitUnicodeString(&src, L"abcdef");
    RtlCopyUnicodeString(&dst, &src);
    assert_int_equal(dst.Length, 8);
    assert_int_equal(dst.MaximumLength, 8);
    assert_ptr_equal(dst.Buffer, storage);
    assert_memory_equal(storage, L"abcd", 8);
    assert_int_equal(storage[4], L'#');

    /* A shorter source is copied whole (and terminated when there is room). */
    RtlInitUnicodeString(&src, L"xy");
    RtlCopyUnicodeString(&dst, &src);
    AssertUnicodeIs(&dst, L"xy");
    assert_int_equal(storage[2], 0);

    /* NULL source: Length 0, nothing else changes. */
    RtlCopyUnicodeString(&dst, NULL);
    assert_int_equal(dst.Length, 0);
    assert_int_equal(dst.MaximumLength, 8);
    assert_ptr_equal(dst.Buffer, storage);
}

static void body_append(void **state)
{
    WCHAR storage[8];
    UNICODE_STRING dst;
    UNICODE_STRING src;
    size_t i;

    (void)state;
    for (i = 0; i < 8; i++) {
        storage[i] = L'#';
    }
    InitEmpty(&dst, storage, 12); /* room for 6 characters */
    assert_int_equal(RtlAppendUnicodeToString(&dst, L"ab"), STATUS_SUCCESS);
    assert_int_equal(RtlAppendUnicodeToString(&dst, L"cd"), STATUS_SUCCESS);
    AssertUnicodeIs(&dst, L"abcd");
    assert_int_equal(storage[4], 0);

    /* Too long: STATUS_BUFFER_TOO_SMALL, nothing changes. */
    assert_int_equal(RtlAppendUnicodeToString(&dst, L"xyz"), STATUS_BUFFER_TOO_SMALL);
    AssertUnicodeIs(&dst, L"abcd");
    RtlInitUnicodeString(&src, L"xyz");
    assert_int_equal(RtlAppendUnicodeStringToString(&dst, &src), STATUS_BUFFER_TOO_SMALL);
    AssertUnicodeIs(&dst, L"abcd");

    /* Exactly fills the buffer: success, no terminator written past it. */
    RtlInitUnicodeString(&src, L"ef");
    assert_int_equal(RtlAppendUnicodeStringToString(&dst, &src), STATUS_SUCCESS);
    AssertUnicodeIs(&dst, L"abcdef");
    assert_int_equal(dst.Length, dst.MaximumLength);
    assert_int_equal(storage[6], L'#');

    /* A NULL or empty source appends nothing. */
    assert_int_equal(RtlAppendUnicodeToString(&dst, NULL), STATUS_SUCCESS);
    RtlInitUnicodeString(&src, L"");
    assert_int_equal(RtlAppendUnicodeStringToString(&dst, &src), STATUS_SUCCESS);
    AssertUnicodeIs(&dst, L"abcdef");
}

/* ------------------------------------------------------------------------ */
/* Comparison.                                                              */
/* ------------------------------------------------------------------------ */

static void body_compare(void **state)
{
    UNICODE_STRING abc, ABC, ABD, ab, e1, e2;

    (void)state;
    RtlInitUnicodeString(&abc, L"abc");
    RtlInitUnicodeString(&ABC, L"ABC");
    RtlInitUnicodeString(&ABD, L"ABD");
    RtlInitUnicodeString(&ab, L"ab");
    RtlInitUnicodeString(&e1, L"caf\u00e9");
    RtlInitUnicodeString(&e2, L"CAF\u00c9");

    assert_int_equal(RtlCompareUnicodeString(&abc, &ABC, TRUE), 0);
    /* Case-sensitive: 'a' (0x61) sorts after 'A' (0x41). */
    assert_true(RtlCompareUnicodeString(&abc, &ABC, FALSE) > 0);
    assert_true(RtlCompareUnicodeString(&ABC, &abc, FALSE) < 0);
    assert_true(RtlCompareUnicodeString(&abc, &ABD, TRUE) < 0);
    assert_true(RtlCompareUnicodeString(&ABD, &abc, TRUE) > 0);
    /* A proper prefix sorts first. */
    assert_true(RtlCompareUnicodeString(&ab, &abc, FALSE) < 0);
    assert_true(RtlCompareUnicodeString(&abc, &ab, TRUE) > 0);
    assert_int_equal(RtlCompareUnicodeString(&e1, &e2, TRUE), 0);
    assert_true(RtlCompareUnicodeString(&e1, &e2, FALSE) != 0);

    assert_true(RtlEqualUnicodeString(&abc, &ABC, TRUE));
    assert_false(RtlEqualUnicodeString(&abc, &ABC, FALSE));
    assert_false(RtlEqualUnicodeString(&ab, &abc, TRUE));
    assert_true(RtlEqualUnicodeString(&e1, &e2, TRUE));

    assert_int_equal(RtlCompareUnicodeStrings(L"abcX", 3, L"ABCY", 3, TRUE), 0);
    assert_true(RtlCompareUnicodeStrings(L"abc", 3, L"abd", 3, FALSE) < 0);
    assert_true(RtlCompareUnicodeStrings(L"abc", 3, L"ab", 2, FALSE) > 0);
}

static void body_prefix_suffix(void **state)
{
    UNICODE_STRING device, full, name, ext, longer;

    (void)state;
    RtlInitUnicodeString(&device, L"\\Device");
    RtlInitUnicodeString(&full, L"\\DEVICE\\Mup\\server\\file.txt");
    RtlInitUnicodeString(&name, L"file.TXT");
    RtlInitUnicodeString(&ext, L".txt");
    RtlInitUnicodeString(&longer, L"\\DEVICE\\Mup\\server\\file.txt.bak");

    assert_true(RtlPrefixUnicodeString(&device, &full, TRUE));
    assert_false(RtlPrefixUnicodeString(&device, &full, FALSE));
    assert_false(RtlPrefixUnicodeString(&full, &device, TRUE));
    assert_true(RtlPrefixUnicodeString(&full, &full, FALSE));
    assert_true(RtlPrefixUnicodeString(&full, &longer, FALSE));

    assert_true(RtlSuffixUnicodeString(&ext, &name, TRUE));
    assert_false(RtlSuffixUnicodeString(&ext, &name, FALSE));
    assert_true(RtlSuffixUnicodeString(&ext, &full, FALSE));
    assert_false(RtlSuffixUnicodeString(&full, &ext, TRUE));
}

/* ------------------------------------------------------------------------ */
/* Case, duplication, allocation.                                           */
/* ------------------------------------------------------------------------ */

static void body_case_chars(void **state)
{
    (void)state;
    assert_int_equal(RtlUpcaseUnicodeChar(L'a'), L'A');
    assert_int_equal(RtlUpcaseUnicodeChar(L'Z'), L'Z');
    assert_int_equal(RtlUpcaseUnicodeChar(L'1'), L'1');
    assert_int_equal(RtlUpcaseUnicodeChar(0x00E9), 0x00C9); /* e acute */
    assert_int_equal(RtlUpcaseUnicodeChar(0x03B1), 0x0391); /* Greek alpha */
    assert_int_equal(RtlDowncaseUnicodeChar(L'Q'), L'q');
    assert_int_equal(RtlDowncaseUnicodeChar(0x0416), 0x0436); /* Cyrillic zhe */
}

static void body_upcase_downcase_string(void **state)
{
    WCHAR storage[4];
    UNICODE_STRING src, dst;

    (void)state;
    RtlInitUnicodeString(&src, L"MiXed\u00e9");
    assert_int_equal(RtlUpcaseUnicodeString(&dst, &src, TRUE), STATUS_SUCCESS);
    AssertUnicodeIs(&dst, L"MIXED\u00c9");
    assert_true(dst.MaximumLength >= dst.Length);
    assert_ptr_not_equal(dst.Buffer, src.Buffer);
    RtlFreeUnicodeString(&dst);
    assert_null(dst.Buffer);
    assert_int_equal(dst.Length, 0);
    assert_int_equal(dst.MaximumLength, 0);

    assert_int_equal(RtlDowncaseUnicodeString(&dst, &src, TRUE), STATUS_SUCCESS);
    AssertUnicodeIs(&dst, L"mixed\u00e9");
    RtlFreeUnicodeString(&dst);

    /* Into a caller buffer: too small is STATUS_BUFFER_OVERFLOW; exact fits. */
    InitEmpty(&dst, storage, sizeof(storage));
    assert_int_equal(RtlUpcaseUnicodeString(&dst, &src, FALSE), STATUS_BUFFER_OVERFLOW);
    RtlInitUnicodeString(&src, L"ab;d");
    assert_int_equal(RtlUpcaseUnicodeString(&dst, &src, FALSE), STATUS_SUCCESS);
    AssertUnicodeIs(&dst, L"AB;D");
    /* In place. */
    assert_int_equal(RtlDowncaseUnicodeString(&dst, &dst, FALSE), STATUS_SUCCESS);
    AssertUnicodeIs(&dst, L"ab;d");
}

static void body_create_and_duplicate(void **state)
{
    UNICODE_STRING s, d, empty, odd;
    WCHAR oddBuffer[2] = { L'x', 0 };

    (void)state;
    assert_true(RtlCreateUnicodeString(&s, L"hello"));
    assert_int_equal(s.Length, 10);
    assert_int_equal(s.MaximumLength, 12);
    assert_memory_equal(s.Buffer, L"hello", 12);

    assert_int_equal(RtlDuplicateUnicodeString(RTL_DUPLICATE_UNICODE_STRING_NULL_TERMINATE, &s, &d),
                     STATUS_SUCCESS);
    assert_int_equal(d.Length, 10);
    assert_int_equal(d.MaximumLength, 12);
    assert_ptr_not_equal(d.Buffer, s.Buffer);
    assert_memory_equal(d.Buffer, L"hello", 12);
    RtlFreeUnicodeString(&d);

    assert_int_equal(RtlDuplicateUnicodeString(0, &s, &d), STATUS_SUCCESS);
    assert_int_equal(d.Length, 10);
    assert_int_equal(d.MaximumLength, 10);
    AssertUnicodeIs(&d, L"hello");
    RtlFreeUnicodeString(&d);

    /* An empty source gives an empty string without a buffer ... */
    RtlInitUnicodeString(&empty, L"");
    assert_int_equal(RtlDuplicateUnicodeString(RTL_DUPLICATE_UNICODE_STRING_NULL_TERMINATE, &empty, &d),
                     STATUS_SUCCESS);
    assert_null(d.Buffer);
    assert_int_equal(d.Length, 0);
    assert_int_equal(d.MaximumLength, 0);
    /* ... unless ALLOCATE_NULL_STRING asks for an allocated "". */
    assert_int_equal(RtlDuplicateUnicodeString(RTL_DUPLICATE_UNICODE_STRING_NULL_TERMINATE |
                                                   RTL_DUPLICATE_UNICODE_STRING_ALLOCATE_NULL_STRING,
                                               &empty, &d),
                     STATUS_SUCCESS);
    assert_non_null(d.Buffer);
    assert_int_equal(d.Length, 0);
    assert_int_equal(d.MaximumLength, 2);
    assert_int_equal(d.Buffer[0], 0);
    RtlFreeUnicodeString(&d);

    /* Invalid flags and malformed strings. */
    assert_int_equal(RtlDuplicateUnicodeString(4, &s, &d), STATUS_INVALID_PARAMETER);
    odd.Buffer = oddBuffer;
    odd.Length = 3;
    odd.MaximumLength = 4;
    assert_int_equal(RtlDuplicateUnicodeString(0, &odd, &d), STATUS_INVALID_PARAMETER);
    odd.Length = 4;
    odd.MaximumLength = 2;
    assert_int_equal(RtlDuplicateUnicodeString(0, &odd, &d), STATUS_INVALID_PARAMETER);
    assert_int_equal(RtlDuplicateUnicodeString(0, NULL, &d), STATUS_INVALID_PARAMETER);

    RtlFreeUnicodeString(&s);
    assert_null(s.Buffer);
}

/* ------------------------------------------------------------------------ */
/* ANSI strings and the code page.                                          */
/* ------------------------------------------------------------------------ */

static void body_unicode_to_ansi(void **state)
{
    UNICODE_STRING u;
    ANSI_STRING a;
    char small[4];

    (void)state;
    /* e acute is 0xE9 in 1252, the euro sign 0x80, a CJK character has no byte: '?'. */
    RtlInitUnicodeString(&u, L"Caf\u00e9 \u20ac\u4e2d");
    assert_int_equal(RtlxUnicodeStringToAnsiSize(&u), 8);
    assert_int_equal(RtlUnicodeStringToAnsiString(&a, &u, TRUE), STATUS_SUCCESS);
    AssertAnsiIs(&a, "Caf\xe9 \x80?");
    assert_int_equal(a.MaximumLength, 8);
    assert_int_equal(a.Buffer[7], 0);
    RtlFreeAnsiString(&a);
    assert_null(a.Buffer);
    assert_int_equal(a.Length, 0);
    assert_int_equal(a.MaximumLength, 0);

    /* A caller buffer too small: truncated, terminated, STATUS_BUFFER_OVERFLOW. */
    a.Buffer = small;
    a.Length = 0;
    a.MaximumLength = sizeof(small);
    assert_int_equal(RtlUnicodeStringToAnsiString(&a, &u, FALSE), STATUS_BUFFER_OVERFLOW);
    AssertAnsiIs(&a, "Caf");
    assert_int_equal(small[3], 0);

    RtlInitUnicodeString(&u, L"abc");
    assert_int_equal(RtlUnicodeStringToAnsiString(&a, &u, FALSE), STATUS_SUCCESS);
    AssertAnsiIs(&a, "abc");
}

static void body_ansi_to_unicode(void **state)
{
    ANSI_STRING a;
    UNICODE_STRING u;
    WCHAR storage[3];

    (void)state;
    RtlInitAnsiString(&a, "A\x80\xff\x8a");
    assert_int_equal(RtlxAnsiStringToUnicodeSize(&a), 10);
    assert_int_equal(RtlAnsiStringToUnicodeString(&u, &a, TRUE), STATUS_SUCCESS);
    AssertUnicodeIs(&u, L"A\u20ac\u00ff\u0160");
    assert_int_equal(u.MaximumLength, 10);
    assert_int_equal(u.Buffer[4], 0);
    RtlFreeUnicodeString(&u);

    /* The result needs room for its terminator. */
    InitEmpty(&u, storage, sizeof(storage));
    RtlInitAnsiString(&a, "xyz");
    assert_int_equal(RtlAnsiStringToUnicodeString(&u, &a, FALSE), STATUS_BUFFER_OVERFLOW);
    RtlInitAnsiString(&a, "xy");
    assert_int_equal(RtlAnsiStringToUnicodeString(&u, &a, FALSE), STATUS_SUCCESS);
    AssertUnicodeIs(&u, L"xy");
    assert_int_equal(storage[2], 0);
}

static void body_ansi_string_ops(void **state)
{
    char storage[8];
    STRING s1, s2, dst;

    (void)state;
    RtlInitString(&s1, "abc\xe4");
    RtlInitString(&s2, "ABC\xc4");
    assert_true(RtlEqualString(&s1, &s2, TRUE));
    assert_false(RtlEqualString(&s1, &s2, FALSE));
    assert_int_equal(RtlCompareString(&s1, &s2, TRUE), 0);
    assert_true(RtlCompareString(&s1, &s2, FALSE) > 0);
    RtlInitString(&s2, "ab");
    assert_true(RtlPrefixString(&s2, &s1, FALSE));
    assert_true(RtlCompareString(&s2, &s1, FALSE) < 0);

    dst.Buffer = storage;
    dst.Length = 0;
    dst.MaximumLength = sizeof(storage);
    RtlUpperString(&dst, &s1);
    AssertAnsiIs(&dst, "ABC\xc4");
    RtlCopyString(&dst, &s2);
    AssertAnsiIs(&dst, "ab");
    assert_int_equal(RtlUpperChar('q'), 'Q');
    assert_int_equal((UCHAR)RtlUpperChar((CHAR)0x9a), 0x8a); /* s caron */
    assert_int_equal((UCHAR)RtlUpperChar((CHAR)0xff), 0x9f); /* y diaeresis */
}

/* ------------------------------------------------------------------------ */
/* Numbers.                                                                 */
/* ------------------------------------------------------------------------ */

static ULONG ParseWide(const WCHAR *Text, ULONG Base, NTSTATUS ExpectedStatus)
{
    UNICODE_STRING s;
    ULONG value = 0xDEADBEEF;

    RtlInitUnicodeString(&s, Text);
    assert_int_equal(RtlUnicodeStringToInteger(&s, Base, &value), ExpectedStatus);
    return value;
}

static void body_unicode_string_to_integer(void **state)
{
    UNICODE_STRING s;
    ULONG value;

    (void)state;
    /* The documentation's table. */
    assert_int_equal(ParseWide(L"123", 10, STATUS_SUCCESS), 123);
    assert_int_equal(ParseWide(L"  -345", 10, STATUS_SUCCESS), (ULONG)-345);
    assert_int_equal(ParseWide(L"xyz", 10, STATUS_SUCCESS), 0);
    assert_int_equal(ParseWide(L"   +678abc", 10, STATUS_SUCCESS), 678);
    assert_int_equal(ParseWide(L"   +678abc", 16, STATUS_SUCCESS), 6785724);
    assert_int_equal(ParseWide(L"007", 10, STATUS_SUCCESS), 7);
    assert_int_equal(ParseWide(L"789", 8, STATUS_SUCCESS), 7);
    assert_int_equal(ParseWide(L"FGH", 16, STATUS_SUCCESS), 15);
    assert_int_equal(ParseWide(L"      ", 10, STATUS_SUCCESS), 0);

    /* Base 0: the prefixes. */
    assert_int_equal(ParseWide(L"0x1A", 0, STATUS_SUCCESS), 26);
    assert_int_equal(ParseWide(L"0o17", 0, STATUS_SUCCESS), 15);
    assert_int_equal(ParseWide(L"0b101", 0, STATUS_SUCCESS), 5);
    assert_int_equal(ParseWide(L"-0x10", 0, STATUS_SUCCESS), (ULONG)-16);
    assert_int_equal(ParseWide(L"42", 0, STATUS_SUCCESS), 42);
    assert_int_equal(ParseWide(L"0", 0, STATUS_SUCCESS), 0);
    /* With an explicit base the prefix is not special. */
    assert_int_equal(ParseWide(L"0x1A", 16, STATUS_SUCCESS), 0);
    assert_int_equal(ParseWide(L"4294967295", 10, STATUS_SUCCESS), 0xFFFFFFFFu);

    /* An invalid base, and an empty string, fail. */
    ParseWide(L"12", 3, STATUS_INVALID_PARAMETER);
    RtlInitUnicodeString(&s, L"");
    assert_int_equal(RtlUnicodeStringToInteger(&s, 10, &value), STATUS_INVALID_PARAMETER);

    /* Only Length counts, not the terminator. */
    RtlInitUnicodeString(&s, L"12345");
    s.Length = 4;
    assert_int_equal(RtlUnicodeStringToInteger(&s, 10, &value), STATUS_SUCCESS);
    assert_int_equal(value, 12);
}

static void body_char_to_integer(void **state)
{
    ULONG value = 0;

    (void)state;
    assert_int_equal(RtlCharToInteger("0x1F", 0, &value), STATUS_SUCCESS);
    assert_int_equal(value, 31);
    assert_int_equal(RtlCharToInteger(" \t-12", 10, &value), STATUS_SUCCESS);
    assert_int_equal(value, (ULONG)-12);
    assert_int_equal(RtlCharToInteger("1010", 2, &value), STATUS_SUCCESS);
    assert_int_equal(value, 10);
    assert_int_equal(RtlCharToInteger("12", 7, &value), STATUS_INVALID_PARAMETER);
}

static void body_integer_to_unicode_string(void **state)
{
    WCHAR storage[24];
    UNICODE_STRING s;

    (void)state;
    InitEmpty(&s, storage, sizeof(storage));
    assert_int_equal(RtlIntegerToUnicodeString(1234, 10, &s), STATUS_SUCCESS);
    AssertUnicodeIs(&s, L"1234");
    assert_int_equal(storage[4], 0);
    assert_int_equal(RtlIntegerToUnicodeString(1234, 0, &s), STATUS_SUCCESS);
    AssertUnicodeIs(&s, L"1234");
    assert_int_equal(RtlIntegerToUnicodeString(0xBEEF, 16, &s), STATUS_SUCCESS);
    AssertUnicodeIs(&s, L"BEEF");
    assert_int_equal(RtlIntegerToUnicodeString(8, 8, &s), STATUS_SUCCESS);
    AssertUnicodeIs(&s, L"10");
    assert_int_equal(RtlIntegerToUnicodeString(5, 2, &s), STATUS_SUCCESS);
    AssertUnicodeIs(&s, L"101");
    assert_int_equal(RtlIntegerToUnicodeString(0, 10, &s), STATUS_SUCCESS);
    AssertUnicodeIs(&s, L"0");
    assert_int_equal(RtlIntegerToUnicodeString(0xFFFFFFFFu, 10, &s), STATUS_SUCCESS);
    AssertUnicodeIs(&s, L"4294967295");
    assert_int_equal(RtlIntegerToUnicodeString(1, 3, &s), STATUS_INVALID_PARAMETER);

    assert_int_equal(RtlInt64ToUnicodeString(0xFFFFFFFFFFFFFFFFull, 10, &s), STATUS_SUCCESS);
    AssertUnicodeIs(&s, L"18446744073709551615");
    assert_int_equal(RtlInt64ToUnicodeString(0x123456789ABCDEFull, 16, &s), STATUS_SUCCESS);
    AssertUnicodeIs(&s, L"123456789ABCDEF");

    /* "1234" and its terminator need 10 bytes. */
    InitEmpty(&s, storage, 8);
    assert_int_equal(RtlIntegerToUnicodeString(1234, 10, &s), STATUS_BUFFER_OVERFLOW);
    InitEmpty(&s, storage, 10);
    assert_int_equal(RtlIntegerToUnicodeString(1234, 10, &s), STATUS_SUCCESS);
    AssertUnicodeIs(&s, L"1234");
}

static void body_hash(void **state)
{
    UNICODE_STRING upper, lower;
    ULONG h1 = 0, h2 = 0;

    (void)state;
    RtlInitUnicodeString(&upper, L"AB");
    RtlInitUnicodeString(&lower, L"ab");
    /* x65599: ('A' = 65) * 65599 + ('B' = 66) = 4264001. */
    assert_int_equal(RtlHashUnicodeString(&upper, FALSE, HASH_STRING_ALGORITHM_X65599, &h1),
                     STATUS_SUCCESS);
    assert_int_equal(h1, 4264001u);
    assert_int_equal(RtlHashUnicodeString(&upper, FALSE, HASH_STRING_ALGORITHM_DEFAULT, &h2),
                     STATUS_SUCCESS);
    assert_int_equal(h2, h1);
    assert_int_equal(RtlHashUnicodeString(&lower, TRUE, HASH_STRING_ALGORITHM_DEFAULT, &h2),
                     STATUS_SUCCESS);
    assert_int_equal(h2, h1);
    assert_int_equal(RtlHashUnicodeString(&lower, FALSE, HASH_STRING_ALGORITHM_DEFAULT, &h2),
                     STATUS_SUCCESS);
    assert_int_not_equal(h2, h1);

    assert_int_equal(RtlHashUnicodeString(&upper, FALSE, HASH_STRING_ALGORITHM_INVALID, &h1),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(RtlHashUnicodeString(NULL, FALSE, HASH_STRING_ALGORITHM_DEFAULT, &h1),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(RtlHashUnicodeString(&upper, FALSE, HASH_STRING_ALGORITHM_DEFAULT, NULL),
                     STATUS_INVALID_PARAMETER);
}

/* ------------------------------------------------------------------------ */
/* Memory.                                                                  */
/* ------------------------------------------------------------------------ */

static void body_compare_memory(void **state)
{
    ULONG words[5] = { 7, 7, 7, 8, 7 };
    ULONG aligned[3];
    UCHAR *bytes = (UCHAR *)aligned; /* 4-byte aligned storage */

    (void)state;
    assert_int_equal(RtlCompareMemory("abcdef", "abcxef", 6), 3);
    assert_int_equal(RtlCompareMemory("abcdef", "abcdef", 6), 6);
    assert_int_equal(RtlCompareMemory("abc", "xbc", 3), 0);
    assert_int_equal(RtlCompareMemory("abc", "xyz", 0), 0);

    assert_int_equal(RtlCompareMemoryUlong(words, 12, 7), 12);
    assert_int_equal(RtlCompareMemoryUlong(words, 20, 7), 12);
    assert_int_equal(RtlCompareMemoryUlong(words, 20, 8), 0);
    /* Length not a multiple of 4, or a misaligned block: 0. */
    assert_int_equal(RtlCompareMemoryUlong(words, 6, 7), 0);
    memset(aligned, 0, sizeof(aligned));
    assert_int_equal(RtlCompareMemoryUlong(bytes + 4, 8, 0), 8);
    assert_int_equal(RtlCompareMemoryUlong(bytes + 1, 8, 0), 0);
}

/* ------------------------------------------------------------------------ */
/* Time.                                                                    */
/* ------------------------------------------------------------------------ */

static void AssertFields(const TIME_FIELDS *f, int Year, int Month, int Day, int Hour, int Minute,
                         int Second, int Milliseconds, int Weekday)
{
    assert_int_equal(f->Year, Year);
    assert_int_equal(f->Month, Month);
    assert_int_equal(f->Day, Day);
    assert_int_equal(f->Hour, Hour);
    assert_int_equal(f->Minute, Minute);
    assert_int_equal(f->Second, Second);
    assert_int_equal(f->Milliseconds, Milliseconds);
    assert_int_equal(f->Weekday, Weekday);
}

static void SetFields(TIME_FIELDS *f, int Year, int Month, int Day, int Hour, int Minute,
                      int Second, int Milliseconds)
{
    f->Year = (CSHORT)Year;
    f->Month = (CSHORT)Month;
    f->Day = (CSHORT)Day;
    f->Hour = (CSHORT)Hour;
    f->Minute = (CSHORT)Minute;
    f->Second = (CSHORT)Second;
    f->Milliseconds = (CSHORT)Milliseconds;
    f->Weekday = 6; /* ignored by RtlTimeFieldsToTime */
}

/*
 * Hand arithmetic: 1601-01-01 to 2001-01-01 is one 400-year cycle, 146097
 * days; 2001 to 2021 is 20 * 365 + 5 leap days (2004..2020) = 7305 days; so
 * 2021-01-01 is day 153402, time 153402 * 864000000000 = 132539328000000000,
 * and a Friday ((153402 + 1) % 7 = 5, 1601-01-01 being a Monday).
 * 132537600000000000 is day 153400: 2020-12-30, a Wednesday.
 */
static void body_time_to_time_fields(void **state)
{
    LARGE_INTEGER t;
    TIME_FIELDS f;

    (void)state;
    t.QuadPart = 0;
    RtlTimeToTimeFields(&t, &f);
    AssertFields(&f, 1601, 1, 1, 0, 0, 0, 0, 1);

    t.QuadPart = 132539328000000000LL;
    RtlTimeToTimeFields(&t, &f);
    AssertFields(&f, 2021, 1, 1, 0, 0, 0, 0, 5);

    t.QuadPart = 132537600000000000LL;
    RtlTimeToTimeFields(&t, &f);
    AssertFields(&f, 2020, 12, 30, 0, 0, 0, 0, 3);

    /* 2021-01-01 minus 100 ns: 2020-12-31 23:59:59.999, a Thursday. */
    t.QuadPart = 132539328000000000LL - 1;
    RtlTimeToTimeFields(&t, &f);
    AssertFields(&f, 2020, 12, 31, 23, 59, 59, 999, 4);

    /* 1970-01-01 (day 134774), a Thursday. */
    t.QuadPart = 116444736000000000LL;
    RtlTimeToTimeFields(&t, &f);
    AssertFields(&f, 1970, 1, 1, 0, 0, 0, 0, 4);

    /* 2000-12-31 is day 146096, the last day of the 400-year cycle (a leap year). */
    t.QuadPart = 146096LL * 864000000000LL + 12LL * 36000000000LL;
    RtlTimeToTimeFields(&t, &f);
    AssertFields(&f, 2000, 12, 31, 12, 0, 0, 0, 0);

    /* 1604-12-31 is day 3*365 + 365 = 1460, the last day of a 4-year group. */
    t.QuadPart = 1460LL * 864000000000LL;
    RtlTimeToTimeFields(&t, &f);
    AssertFields(&f, 1604, 12, 31, 0, 0, 0, 0, 5);
}

static void body_time_fields_to_time(void **state)
{
    LARGE_INTEGER t;
    TIME_FIELDS f, back;

    (void)state;
    SetFields(&f, 2021, 1, 1, 0, 0, 0, 0);
    assert_true(RtlTimeFieldsToTime(&f, &t));
    assert_true(t.QuadPart == 132539328000000000LL);

    SetFields(&f, 1601, 1, 1, 0, 0, 0, 0);
    assert_true(RtlTimeFieldsToTime(&f, &t));
    assert_true(t.QuadPart == 0);

    /* Leap days round-trip: 2020-02-29 and the 400-year leap day 2000-02-29. */
    SetFields(&f, 2020, 2, 29, 12, 34, 56, 789);
    assert_true(RtlTimeFieldsToTime(&f, &t));
    RtlTimeToTimeFields(&t, &back);
    AssertFields(&back, 2020, 2, 29, 12, 34, 56, 789, 6); /* a Saturday */
    SetFields(&f, 2000, 2, 29, 0, 0, 0, 0);
    assert_true(RtlTimeFieldsToTime(&f, &t));
    RtlTimeToTimeFields(&t, &back);
    AssertFields(&back, 2000, 2, 29, 0, 0, 0, 0, 2); /* a Tuesday */

    /* Invalid fields. */
    SetFields(&f, 1900, 2, 29, 0, 0, 0, 0);
    assert_false(RtlTimeFieldsToTime(&f, &t));
    SetFields(&f, 1600, 12, 31, 0, 0, 0, 0);
    assert_false(RtlTimeFieldsToTime(&f, &t));
    SetFields(&f, 2021, 13, 1, 0, 0, 0, 0);
    assert_false(RtlTimeFieldsToTime(&f, &t));
    SetFields(&f, 2021, 4, 31, 0, 0, 0, 0);
    assert_false(RtlTimeFieldsToTime(&f, &t));
    SetFields(&f, 2021, 1, 1, 24, 0, 0, 0);
    assert_false(RtlTimeFieldsToTime(&f, &t));
    SetFields(&f, 2021, 1, 1, 0, 60, 0, 0);
    assert_false(RtlTimeFieldsToTime(&f, &t));
    SetFields(&f, 2021, 1, 1, 0, 0, 60, 0);
    assert_false(RtlTimeFieldsToTime(&f, &t));
    SetFields(&f, 2021, 1, 1, 0, 0, 0, 1000);
    assert_false(RtlTimeFieldsToTime(&f, &t));
    SetFields(&f, 30900, 1, 1, 0, 0, 0, 0); /* beyond the LARGE_INTEGER range */
    assert_false(RtlTimeFieldsToTime(&f, &t));
}

static void body_seconds_since(void **state)
{
    LARGE_INTEGER t;
    ULONG seconds = 0;

    (void)state;
    t.QuadPart = 116444736000000000LL + 10000000LL * 86400;
    assert_true(RtlTimeToSecondsSince1970(&t, &seconds));
    assert_int_equal(seconds, 86400);
    t.QuadPart = 116444736000000000LL - 1;
    assert_false(RtlTimeToSecondsSince1970(&t, &seconds));
    RtlSecondsSince1970ToTime(0, &t);
    assert_true(t.QuadPart == 116444736000000000LL);
    /* 1980-01-01 is 3652 days after 1970-01-01. */
    RtlSecondsSince1980ToTime(0, &t);
    assert_true(t.QuadPart == 116444736000000000LL + 3652LL * 864000000000LL);
    assert_true(RtlTimeToSecondsSince1980(&t, &seconds));
    assert_int_equal(seconds, 0);
}

/* ------------------------------------------------------------------------ */
/* Random, version.                                                         */
/* ------------------------------------------------------------------------ */

static void body_random(void **state)
{
    ULONG seedA = 1, seedB = 1, seedC = 0xFFFFFFFFu;
    ULONG first[16];
    int i, differing = 0;

    (void)state;
    for (i = 0; i < 16; i++) {
        first[i] = RtlRandomEx(&seedA);
        assert_true(first[i] < (ULONG)MAXLONG);
        assert_int_equal(seedA, first[i]);
        if (i > 0 && first[i] != first[i - 1]) {
            differing++;
        }
    }
    assert_true(differing > 0);
    /* Same seed, same sequence: a function of the seed only. */
    for (i = 0; i < 16; i++) {
        assert_int_equal(RtlRandomEx(&seedB), first[i]);
    }
    for (i = 0; i < 16; i++) {
        assert_true(RtlRandom(&seedC) < (ULONG)MAXLONG);
    }
}

static void body_version(void **state)
{
    RTL_OSVERSIONINFOEXW ex;
    RTL_OSVERSIONINFOW basic;

    (void)state;
    memset(&ex, 0xCC, sizeof(ex));
    ex.dwOSVersionInfoSize = sizeof(ex);
    assert_int_equal(RtlGetVersion((PRTL_OSVERSIONINFOW)&ex), STATUS_SUCCESS);
    assert_int_equal(ex.dwOSVersionInfoSize, sizeof(ex));
    assert_int_equal(ex.dwMajorVersion, 10);
    assert_int_equal(ex.dwMinorVersion, 0);
    assert_int_equal(ex.dwBuildNumber, 19041);
    assert_int_equal(ex.dwPlatformId, 2); /* VER_PLATFORM_WIN32_NT */
    assert_int_equal(ex.szCSDVersion[0], 0);
    assert_int_equal(ex.wServicePackMajor, 0);
    assert_int_equal(ex.wProductType, 1); /* VER_NT_WORKSTATION */

    memset(&basic, 0, sizeof(basic));
    basic.dwOSVersionInfoSize = sizeof(basic);
    assert_int_equal(RtlGetVersion(&basic), STATUS_SUCCESS);
    assert_int_equal(basic.dwBuildNumber, 19041);

    assert_int_equal(sizeof(RTL_OSVERSIONINFOW), 276);
    assert_int_equal(sizeof(RTL_OSVERSIONINFOEXW), 284);

    assert_true(RtlIsNtDdiVersionAvailable(0x06010000));  /* NTDDI_WIN7 */
    assert_true(RtlIsNtDdiVersionAvailable(0x0A000000));  /* NTDDI_WIN10 */
    assert_true(RtlIsNtDdiVersionAvailable(0x0A000008));  /* NTDDI_WIN10_VB (2004) */
    assert_false(RtlIsNtDdiVersionAvailable(0x0A000009)); /* NTDDI_WIN10_MN */
}

/* ------------------------------------------------------------------------ */
/* Bit maps.                                                                */
/* ------------------------------------------------------------------------ */

static void body_bitmap(void **state)
{
    ULONG buffer[3] = { 0xFFFFFFFFu, 0xFFFFFFFFu, 0xA5A5A5A5u };
    RTL_BITMAP map;

    (void)state;
    RtlInitializeBitMap(&map, buffer, 64);
    assert_int_equal(map.SizeOfBitMap, 64);
    assert_ptr_equal(map.Buffer, buffer);
    RtlClearAllBits(&map);
    assert_int_equal(buffer[0], 0);
    assert_int_equal(buffer[1], 0);
    assert_int_equal(buffer[2], 0xA5A5A5A5u); /* beyond the map: untouched */
    assert_int_equal(RtlNumberOfSetBits(&map), 0);

    RtlSetBits(&map, 3, 8); /* bits 3..10 */
    assert_int_equal(buffer[0], 0x7F8u);
    assert_true(RtlAreBitsSet(&map, 3, 8));
    assert_false(RtlAreBitsSet(&map, 2, 8));
    assert_true(RtlAreBitsClear(&map, 11, 53));
    assert_false(RtlAreBitsClear(&map, 11, 54)); /* runs off the end */
    assert_true(RtlTestBit(&map, 10));
    assert_false(RtlTestBit(&map, 11));
    assert_int_equal(RtlNumberOfSetBits(&map), 8);
    assert_int_equal(RtlNumberOfClearBits(&map), 56);

    /* Bits 0..2 are too short a run for 5; the first fit is 11. */
    assert_int_equal(RtlFindClearBits(&map, 5, 0), 11);
    assert_int_equal(RtlFindClearBits(&map, 3, 0), 0);
    assert_int_equal(RtlFindClearBits(&map, 5, 20), 20);
    /* From hint 60 only 4 bits remain: the search wraps to the start. */
    assert_int_equal(RtlFindClearBits(&map, 5, 60), 11);
    assert_int_equal(RtlFindClearBits(&map, 54, 0), 0xFFFFFFFFu);
    assert_int_equal(RtlFindSetBits(&map, 8, 0), 3);
    assert_int_equal(RtlFindSetBits(&map, 9, 0), 0xFFFFFFFFu);

    /* Word boundary: set 30..33. */
    RtlSetBits(&map, 30, 4);
    assert_int_equal(buffer[0], 0xC00007F8u);
    assert_int_equal(buffer[1], 0x3u);
    assert_int_equal(RtlFindClearBitsAndSet(&map, 19, 0), 11);
    assert_int_equal(buffer[0], 0xFFFFFFF8u);
    assert_int_equal(RtlFindSetBitsAndClear(&map, 31, 0), 3);
    assert_int_equal(buffer[0], 0);
    assert_int_equal(buffer[1], 0);

    RtlSetBit(&map, 63);
    assert_int_equal(buffer[1], 0x80000000u);
    RtlClearBit(&map, 63);
    RtlSetAllBits(&map);
    assert_int_equal(buffer[0], 0xFFFFFFFFu);
    assert_int_equal(buffer[1], 0xFFFFFFFFu);
    assert_int_equal(buffer[2], 0xA5A5A5A5u);
    RtlClearBits(&map, 32, 32);
    assert_int_equal(buffer[1], 0);
    assert_int_equal(RtlFindClearBits(&map, 32, 0), 32);
}

/* ------------------------------------------------------------------------ */
/* Pool and IRQL contract.                                                  */
/* ------------------------------------------------------------------------ */

/* Rtl string buffers are tracked paged-pool blocks; the free accepts any tag. */
static void body_string_pool(void **state)
{
    UNICODE_STRING s, d;
    ULONG tag = 0;
    SIZE_T size = 0;

    (void)state;
    assert_true(RtlCreateUnicodeString(&s, L"pool"));
    assert_true(ExpDescribeBlock(s.Buffer, &tag, &size, NULL, NULL, NULL));
    assert_int_equal(tag, 'GrtS');
    assert_int_equal(size, 10);
    assert_int_equal(RtlDuplicateUnicodeString(0, &s, &d), STATUS_SUCCESS);
    assert_true(ExpDescribeBlock(d.Buffer, &tag, &size, NULL, NULL, NULL));
    assert_int_equal(tag, 'GrtS');
    assert_int_equal(size, 8);
    RtlFreeUnicodeString(&d);
    RtlFreeUnicodeString(&s);

    /* A buffer the caller allocated under its own tag. */
    s.Buffer = (PWCH)ExAllocatePoolWithTag(PagedPool, 16, 'rvrD');
    assert_non_null(s.Buffer);
    s.Length = 0;
    s.MaximumLength = 16;
    RtlFreeUnicodeString(&s);
    assert_null(s.Buffer);
}

/* At DISPATCH_LEVEL the non-pageable routines work; a pageable one stops the machine. */
static void PagedRoutineAtDispatch(void *Context)
{
    WCHAR storage[8];
    UNICODE_STRING a, b;
    KIRQL old;

    (void)Context;
    KeRaiseIrql(DISPATCH_LEVEL, &old);
    RtlInitUnicodeString(&a, L"abc");
    b.Buffer = storage;
    b.Length = 0;
    b.MaximumLength = sizeof(storage);
    RtlCopyUnicodeString(&b, &a);
    (void)RtlAppendUnicodeToString(&b, L"d");
    (void)RtlCompareMemory(a.Buffer, b.Buffer, a.Length);
    (void)RtlUpcaseUnicodeChar(L'x');
    (void)RtlCompareUnicodeString(&a, &b, TRUE); /* pageable: bugchecks */
    KeLowerIrql(old);
}

static void test_pageable_routine_at_dispatch_bugchecks(void **state)
{
    FSIM_MACHINE *machine = TsCreate(0);
    const FSIM_REPORT *report;

    (void)state;
    assert_int_equal(TsRun(machine, PagedRoutineAtDispatch, NULL), 1);
    TsExpectBugcheck(machine, 0x0A, 0); /* IRQL_NOT_LESS_OR_EQUAL */
    report = FsimGetReport(machine);
    assert_int_equal(report->Args[1], DISPATCH_LEVEL);
    assert_non_null(strstr(report->RootCause, "RtlCompareUnicodeString"));
    FsimMachineDestroy(machine);
}

RTL_KERNEL_TEST(init_unicode_string)
RTL_KERNEL_TEST(init_unicode_string_limits)
RTL_KERNEL_TEST(init_ansi_string)
RTL_KERNEL_TEST(copy_unicode_string)
RTL_KERNEL_TEST(append)
RTL_KERNEL_TEST(compare)
RTL_KERNEL_TEST(prefix_suffix)
RTL_KERNEL_TEST(case_chars)
RTL_KERNEL_TEST(upcase_downcase_string)
RTL_KERNEL_TEST(create_and_duplicate)
RTL_KERNEL_TEST(unicode_to_ansi)
RTL_KERNEL_TEST(ansi_to_unicode)
RTL_KERNEL_TEST(ansi_string_ops)
RTL_KERNEL_TEST(unicode_string_to_integer)
RTL_KERNEL_TEST(char_to_integer)
RTL_KERNEL_TEST(integer_to_unicode_string)
RTL_KERNEL_TEST(hash)
RTL_KERNEL_TEST(compare_memory)
RTL_KERNEL_TEST(time_to_time_fields)
RTL_KERNEL_TEST(time_fields_to_time)
RTL_KERNEL_TEST(seconds_since)
RTL_KERNEL_TEST(random)
RTL_KERNEL_TEST(version)
RTL_KERNEL_TEST(bitmap)
RTL_KERNEL_TEST(string_pool)

/* ------------------------------------------------------------------------ */
/* GUID text and 8.3 names.                                                 */
/* ------------------------------------------------------------------------ */

static void body_guid_text(void **state)
{
    static const GUID G = {0x01234567, 0x89ab, 0xcdef, {0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}};
    static const WCHAR Want[] = L"{01234567-89AB-CDEF-0123-456789ABCDEF}";
    UNICODE_STRING Text, Bad;
    GUID Back;
    (void)state;
    assert_int_equal(RtlStringFromGUID(&G, &Text), STATUS_SUCCESS);
    assert_int_equal(Text.Length, 38 * sizeof(WCHAR));
    assert_memory_equal(Text.Buffer, Want, 38 * sizeof(WCHAR));
    assert_int_equal(RtlGUIDFromString(&Text, &Back), STATUS_SUCCESS);
    assert_memory_equal(&Back, &G, sizeof(GUID));
    RtlFreeUnicodeString(&Text);
    RtlInitUnicodeString(&Bad, L"{01234567-89AB-CDEF-0123-456789ABCDEG}");
    assert_int_equal(RtlGUIDFromString(&Bad, &Back), STATUS_INVALID_PARAMETER);
    RtlInitUnicodeString(&Bad, L"01234567-89AB-CDEF-0123-456789ABCDEF");
    assert_int_equal(RtlGUIDFromString(&Bad, &Back), STATUS_INVALID_PARAMETER);
}
RTL_KERNEL_TEST(guid_text)

static BOOLEAN Legal83(PCWSTR Name, BOOLEAN *Spaces)
{
    UNICODE_STRING U;
    RtlInitUnicodeString(&U, Name);
    return RtlIsNameLegalDOS8Dot3(&U, NULL, Spaces);
}

static void body_names_8dot3(void **state)
{
    BOOLEAN Spaces = FALSE;
    CHAR Buffer[16];
    ANSI_STRING Oem = {0, sizeof(Buffer), Buffer};
    UNICODE_STRING U;
    (void)state;
    assert_true(Legal83(L"README.TXT", &Spaces) && !Spaces);
    assert_true(Legal83(L"a.b", NULL));
    assert_true(Legal83(L".", NULL) && Legal83(L"..", NULL));
    assert_true(Legal83(L"MY FILE.TXT", &Spaces) && Spaces);
    assert_false(Legal83(L"NINECHARS.TXT", NULL));
    assert_false(Legal83(L"A.TEXT", NULL));
    assert_false(Legal83(L"A.B.C", NULL));
    assert_false(Legal83(L"A+B.TXT", NULL));
    assert_false(Legal83(L"NAME.", NULL));
    assert_false(Legal83(L" NAME", NULL));
    assert_false(Legal83(L".HIDDEN", NULL));
    RtlInitUnicodeString(&U, L"abc.txt");
    assert_true(RtlIsNameLegalDOS8Dot3(&U, &Oem, NULL));
    assert_int_equal(Oem.Length, 7);
    assert_memory_equal(Oem.Buffer, "ABC.TXT", 7);
}
RTL_KERNEL_TEST(names_8dot3)

/* ------------------------------------------------------------------------ */
/* Generic tables.                                                          */
/* ------------------------------------------------------------------------ */

static ULONG TableFrees;

static RTL_GENERIC_COMPARE_RESULTS NTAPI CompareUlong(PRTL_GENERIC_TABLE Table, PVOID First, PVOID Second)
{
    ULONG A = *(PULONG)First, B = *(PULONG)Second;
    (void)Table;
    return A < B ? GenericLessThan : A > B ? GenericGreaterThan : GenericEqual;
}

static PVOID NTAPI AllocateEntry(PRTL_GENERIC_TABLE Table, CLONG ByteSize)
{
    (void)Table;
    return ExAllocatePoolWithTag(PagedPool, ByteSize, 'lbTG');
}

static VOID NTAPI FreeEntry(PRTL_GENERIC_TABLE Table, PVOID Buffer)
{
    (void)Table;
    TableFrees++;
    ExFreePoolWithTag(Buffer, 'lbTG');
}

static void body_generic_table(void **state)
{
    static const ULONG Keys[] = {50, 20, 80, 10, 30, 70, 90, 60, 40};
    RTL_GENERIC_TABLE T;
    BOOLEAN New = FALSE;
    char Order[64];
    size_t Used = 0;
    (void)state;
    TableFrees = 0;
    RtlInitializeGenericTable(&T, CompareUlong, AllocateEntry, FreeEntry, NULL);
    assert_true(RtlIsGenericTableEmpty(&T));
    for (ULONG I = 0; I < RTL_NUMBER_OF(Keys); I++) {
        PULONG E = RtlInsertElementGenericTable(&T, (PVOID)&Keys[I], sizeof(ULONG), &New);
        assert_true(New);
        assert_int_equal(*E, Keys[I]);
    }
    /* a duplicate is not inserted again: the existing element comes back */
    ULONG Dup = 30;
    PULONG Existing = RtlInsertElementGenericTable(&T, &Dup, sizeof(ULONG), &New);
    assert_false(New);
    assert_ptr_equal(Existing, RtlLookupElementGenericTable(&T, &Dup));
    assert_int_equal(RtlNumberGenericTableElements(&T), 9);
    /* collation order */
    for (PULONG E = RtlEnumerateGenericTable(&T, TRUE); E != NULL; E = RtlEnumerateGenericTable(&T, FALSE))
        Used += (size_t)snprintf(Order + Used, sizeof(Order) - Used, "%u ", (unsigned)*E);
    assert_string_equal(Order, "10 20 30 40 50 60 70 80 90 ");
    /* insertion order */
    assert_int_equal(*(PULONG)RtlGetElementGenericTable(&T, 0), 50);
    assert_int_equal(*(PULONG)RtlGetElementGenericTable(&T, 8), 40);
    assert_int_equal(*(PULONG)RtlGetElementGenericTable(&T, 3), 10);
    assert_null(RtlGetElementGenericTable(&T, 9));
    /* deletes: a leaf, a node with two children, the root, one not there */
    ULONG Gone[] = {10, 20, 50};
    for (ULONG I = 0; I < RTL_NUMBER_OF(Gone); I++)
        assert_true(RtlDeleteElementGenericTable(&T, &Gone[I]));
    assert_false(RtlDeleteElementGenericTable(&T, &Gone[0]));
    assert_int_equal(TableFrees, 3);
    assert_null(RtlLookupElementGenericTable(&T, &Gone[1]));
    Used = 0;
    for (PULONG E = RtlEnumerateGenericTable(&T, TRUE); E != NULL; E = RtlEnumerateGenericTable(&T, FALSE))
        Used += (size_t)snprintf(Order + Used, sizeof(Order) - Used, "%u ", (unsigned)*E);
    assert_string_equal(Order, "30 40 60 70 80 90 ");
    assert_int_equal(*(PULONG)RtlGetElementGenericTable(&T, 0), 80);
    while (!RtlIsGenericTableEmpty(&T))
        assert_true(RtlDeleteElementGenericTable(&T, RtlGetElementGenericTable(&T, 0)));
    assert_int_equal(RtlNumberGenericTableElements(&T), 0);
    assert_int_equal(TableFrees, 9);
}
RTL_KERNEL_TEST(generic_table)

static void body_sid_and_descriptor_lengths(void **state)
{
    /* S-1-5-32-544 and a self-relative descriptor: owner, then an empty DACL */
    static const UCHAR Admins[] = {1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 0x02, 0, 0};
    UCHAR Buffer[64];
    PISECURITY_DESCRIPTOR_RELATIVE R = (PISECURITY_DESCRIPTOR_RELATIVE)Buffer;
    PACL Dacl;
    UCHAR Bad[16];
    (void)state;
    assert_true(RtlValidSid((PSID)Admins));
    assert_int_equal(RtlLengthSid((PSID)Admins), 16);
    memcpy(Bad, Admins, sizeof(Bad));
    Bad[0] = 2; /* revision */
    assert_false(RtlValidSid((PSID)Bad));
    memset(Buffer, 0, sizeof(Buffer));
    R->Revision = 1;
    R->Control = SE_SELF_RELATIVE | SE_DACL_PRESENT;
    R->Owner = sizeof(*R);
    memcpy(Buffer + R->Owner, Admins, sizeof(Admins));
    R->Dacl = R->Owner + sizeof(Admins);
    Dacl = (PACL)(Buffer + R->Dacl);
    Dacl->AclRevision = ACL_REVISION;
    Dacl->AclSize = sizeof(ACL);
    assert_int_equal(RtlLengthSecurityDescriptor(R), sizeof(*R) + sizeof(Admins) + sizeof(ACL));
}
RTL_KERNEL_TEST(sid_and_descriptor_lengths)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_unicode_string),
        cmocka_unit_test(test_init_unicode_string_limits),
        cmocka_unit_test(test_init_ansi_string),
        cmocka_unit_test(test_copy_unicode_string),
        cmocka_unit_test(test_append),
        cmocka_unit_test(test_compare),
        cmocka_unit_test(test_prefix_suffix),
        cmocka_unit_test(test_case_chars),
        cmocka_unit_test(test_upcase_downcase_string),
        cmocka_unit_test(test_create_and_duplicate),
        cmocka_unit_test(test_unicode_to_ansi),
        cmocka_unit_test(test_ansi_to_unicode),
        cmocka_unit_test(test_ansi_string_ops),
        cmocka_unit_test(test_unicode_string_to_integer),
        cmocka_unit_test(test_char_to_integer),
        cmocka_unit_test(test_integer_to_unicode_string),
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_compare_memory),
        cmocka_unit_test(test_time_to_time_fields),
        cmocka_unit_test(test_time_fields_to_time),
        cmocka_unit_test(test_seconds_since),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_bitmap),
        cmocka_unit_test(test_guid_text),
        cmocka_unit_test(test_names_8dot3),
        cmocka_unit_test(test_generic_table),
        cmocka_unit_test(test_sid_and_descriptor_lengths),
        cmocka_unit_test(test_string_pool),
        cmocka_unit_test(test_pageable_routine_at_dispatch_bugchecks),
    };

    return cmocka_run_group_tests(tests, RtlTestGroupSetup, RtlTestGroupTeardown);
}
