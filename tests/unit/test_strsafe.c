/*
 * test_strsafe.c - fltsim unit tests: ntstrsafe.h (sim/rtl/strsafe.c).
 *
 * Owns the checks of the RtlStringCch* and RtlStringCb* families (W and A, Ex flags,
 * truncation, invalid parameters), the UNICODE_STRING conversions and the
 * RtlUnicodeString* routines, with expected statuses and buffer contents
 * taken from Microsoft's documentation of each routine.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <ntdef.h>
#include <ntstatus.h>
#include <ntstrsafe.h>

static int WideEqual(const WCHAR *A, const WCHAR *B)
{
    size_t i = 0;
    for (;; i++) {
        if (A[i] != B[i]) {
            return 0;
        }
        if (A[i] == 0) {
            return 1;
        }
    }
}

#define assert_wide_equal(a, b) assert_true(WideEqual((a), (b)))
#define assert_status(expr, status) assert_int_equal((NTSTATUS)(expr), (NTSTATUS)(status))

/* Compares Length bytes of a UNICODE_STRING with a literal. */
static int UnicodeEquals(const UNICODE_STRING *String, const WCHAR *Text)
{
    size_t length = 0;
    while (Text[length] != 0) {
        length++;
    }
    if (String->Length != length * sizeof(WCHAR)) {
        return 0;
    }
    return memcmp(String->Buffer, Text, String->Length) == 0;
}

static void FillWide(WCHAR *Buffer, size_t Count, WCHAR Value)
{
    for (size_t i = 0; i < Count; i++) {
        Buffer[i] = Value;
    }
}

/* ------------------------------------------------------------------------ */
/* Constants.                                                               */
/* ------------------------------------------------------------------------ */

static void test_constants(void **state)
{
    (void)state;
    assert_int_equal(NTSTRSAFE_MAX_CCH, 2147483647);
    assert_int_equal(NTSTRSAFE_UNICODE_STRING_MAX_CCH, 32767);
    assert_int_equal(STRSAFE_IGNORE_NULLS, 0x100);
    assert_int_equal(STRSAFE_FILL_BEHIND_NULL, 0x200);
    assert_int_equal(STRSAFE_FILL_ON_FAILURE, 0x400);
    assert_int_equal(STRSAFE_NULL_ON_FAILURE, 0x800);
    assert_int_equal(STRSAFE_NO_TRUNCATION, 0x1000);
    assert_int_equal(STRSAFE_FILL_BYTE(0xCC), 0x2CC);
    assert_int_equal(STRSAFE_FAILURE_BYTE('x'), 0x400 | 'x');
    assert_int_equal(STATUS_BUFFER_OVERFLOW, (NTSTATUS)0x80000005);
    assert_int_equal(STATUS_INVALID_PARAMETER, (NTSTATUS)0xC000000D);
}

/* ------------------------------------------------------------------------ */
/* Copy.                                                                    */
/* ------------------------------------------------------------------------ */

static void test_copy(void **state)
{
    WCHAR wide[8];
    char narrow[8];
    (void)state;

    assert_status(RtlStringCbCopyW(wide, sizeof(wide), L"abc"), STATUS_SUCCESS);
    assert_wide_equal(wide, L"abc");
    /* 10 bytes = 5 characters: 4 of them and the terminator. */
    FillWide(wide, 8, 0x7777);
    assert_status(RtlStringCbCopyW(wide, 10, L"abcdefgh"), STATUS_BUFFER_OVERFLOW);
    assert_wide_equal(wide, L"abcd");
    assert_int_equal(wide[5], 0x7777);
    assert_status(RtlStringCchCopyW(wide, 8, L"1234567"), STATUS_SUCCESS);
    assert_status(RtlStringCchCopyW(wide, 8, L"12345678"), STATUS_BUFFER_OVERFLOW);
    assert_wide_equal(wide, L"1234567");

    assert_status(RtlStringCchCopyA(narrow, sizeof(narrow), "narrow!"), STATUS_SUCCESS);
    assert_string_equal(narrow, "narrow!");
    assert_status(RtlStringCbCopyA(narrow, 4, "narrow"), STATUS_BUFFER_OVERFLOW);
    assert_string_equal(narrow, "nar");
}

static void test_copy_invalid_parameters(void **state)
{
    WCHAR wide[8] = L"keep";
    char narrow[8] = "keep";
    (void)state;

    assert_status(RtlStringCchCopyW(wide, 0, L"a"), STATUS_INVALID_PARAMETER);
    assert_status(RtlStringCbCopyW(wide, 1, L"a"), STATUS_INVALID_PARAMETER);
    assert_status(RtlStringCchCopyW(wide, (size_t)NTSTRSAFE_MAX_CCH + 1, L"a"),
                  STATUS_INVALID_PARAMETER);
    assert_status(RtlStringCbCopyW(wide, ((size_t)NTSTRSAFE_MAX_CCH + 1) * sizeof(WCHAR), L"a"),
                  STATUS_INVALID_PARAMETER);
    assert_status(RtlStringCchCopyW(NULL, 8, L"a"), STATUS_INVALID_PARAMETER);
    assert_status(RtlStringCchCopyW(wide, 8, NULL), STATUS_INVALID_PARAMETER);
    assert_wide_equal(wide, L"keep");
    assert_status(RtlStringCchCopyA(narrow, 0, "a"), STATUS_INVALID_PARAMETER);
    assert_status(RtlStringCbCopyA(narrow, (size_t)NTSTRSAFE_MAX_CCH + 1, "a"),
                  STATUS_INVALID_PARAMETER);
    assert_string_equal(narrow, "keep");
}

static void test_copy_n(void **state)
{
    WCHAR wide[8];
    char narrow[8];
    static const WCHAR unterminated[3] = {'x', 'y', 'z'};
    (void)state;

    assert_status(RtlStringCchCopyNW(wide, 8, L"abcdef", 3), STATUS_SUCCESS);
    assert_wide_equal(wide, L"abc");
    assert_status(RtlStringCchCopyNW(wide, 8, L"ab", 5), STATUS_SUCCESS);
    assert_wide_equal(wide, L"ab");
    /* The source need not be terminated within cchToCopy. */
    assert_status(RtlStringCchCopyNW(wide, 8, unterminated, 3), STATUS_SUCCESS);
    assert_wide_equal(wide, L"xyz");
    assert_status(RtlStringCbCopyNW(wide, 8, L"abcdef", 6 * sizeof(WCHAR)),
                  STATUS_BUFFER_OVERFLOW);
    assert_wide_equal(wide, L"abc");
    assert_status(RtlStringCchCopyNW(wide, 8, L"a", (size_t)NTSTRSAFE_MAX_CCH + 1),
                  STATUS_INVALID_PARAMETER);

    assert_status(RtlStringCchCopyNA(narrow, 8, "abcdef", 2), STATUS_SUCCESS);
    assert_string_equal(narrow, "ab");
    assert_status(RtlStringCbCopyNA(narrow, 3, "abcdef", 5), STATUS_BUFFER_OVERFLOW);
    assert_string_equal(narrow, "ab");
}

/* ------------------------------------------------------------------------ */
/* Cat.                                                                     */
/* ------------------------------------------------------------------------ */

static void test_cat(void **state)
{
    WCHAR wide[6] = L"ab";
    char narrow[6] = "ab";
    (void)state;

    assert_status(RtlStringCchCatW(wide, 6, L"cd"), STATUS_SUCCESS);
    assert_wide_equal(wide, L"abcd");
    assert_status(RtlStringCchCatW(wide, 6, L"efgh"), STATUS_BUFFER_OVERFLOW);
    assert_wide_equal(wide, L"abcde");
    /* The destination is full: no terminator left for a new character. */
    assert_status(RtlStringCbCatW(wide, sizeof(wide), L"x"), STATUS_BUFFER_OVERFLOW);
    assert_wide_equal(wide, L"abcde");
    /* No terminator within cchDest: invalid. */
    FillWide(wide, 6, L'q');
    assert_status(RtlStringCchCatW(wide, 6, L"x"), STATUS_INVALID_PARAMETER);

    assert_status(RtlStringCbCatA(narrow, sizeof(narrow), "c"), STATUS_SUCCESS);
    assert_string_equal(narrow, "abc");
    assert_status(RtlStringCchCatNA(narrow, sizeof(narrow), "defgh", 1), STATUS_SUCCESS);
    assert_string_equal(narrow, "abcd");
    assert_status(RtlStringCchCatNA(narrow, sizeof(narrow), "efgh", 3), STATUS_BUFFER_OVERFLOW);
    assert_string_equal(narrow, "abcde");

    wide[0] = 0;
    assert_status(RtlStringCchCatNW(wide, 6, L"wxyz", 2), STATUS_SUCCESS);
    assert_wide_equal(wide, L"wx");
    assert_status(RtlStringCbCatNW(wide, sizeof(wide), L"123456", 2 * sizeof(WCHAR)),
                  STATUS_SUCCESS);
    assert_wide_equal(wide, L"wx12");
}

/* ------------------------------------------------------------------------ */
/* Ex forms.                                                                */
/* ------------------------------------------------------------------------ */

static void test_ex_end_and_remaining(void **state)
{
    WCHAR wide[10];
    char narrow[10];
    NTSTRSAFE_PWSTR end = NULL;
    NTSTRSAFE_PSTR narrowEnd = NULL;
    size_t remaining = 0;
    (void)state;

    assert_status(RtlStringCchCopyExW(wide, 10, L"abc", &end, &remaining, 0), STATUS_SUCCESS);
    assert_ptr_equal(end, wide + 3);
    assert_int_equal(remaining, 7); /* unused characters, terminator included */
    assert_status(RtlStringCbCopyExW(wide, 20, L"abc", &end, &remaining, 0), STATUS_SUCCESS);
    assert_int_equal(remaining, 14);
    /* An odd byte of cbDest is counted as remaining. */
    assert_status(RtlStringCbCopyExW(wide, 19, L"abc", &end, &remaining, 0), STATUS_SUCCESS);
    assert_int_equal(remaining, 13);
    assert_status(RtlStringCchCatExW(wide, 10, L"de", &end, &remaining, 0), STATUS_SUCCESS);
    assert_ptr_equal(end, wide + 5);
    assert_int_equal(remaining, 5);
    /* Truncation still reports the end: the last character. */
    assert_status(RtlStringCchCopyExW(wide, 4, L"abcdef", &end, &remaining, 0),
                  STATUS_BUFFER_OVERFLOW);
    assert_ptr_equal(end, wide + 3);
    assert_int_equal(remaining, 1);

    assert_status(RtlStringCbCopyExA(narrow, 10, "hello", &narrowEnd, &remaining, 0),
                  STATUS_SUCCESS);
    assert_ptr_equal(narrowEnd, narrow + 5);
    assert_int_equal(remaining, 5);
    assert_status(RtlStringCchCopyNExA(narrow, 10, "abcdef", 2, &narrowEnd, &remaining, 0),
                  STATUS_SUCCESS);
    assert_string_equal(narrow, "ab");
    assert_int_equal(remaining, 8);
    assert_status(RtlStringCbCatNExW(wide, 20, L"zzzz", 2, &end, &remaining, 0), STATUS_SUCCESS);
    assert_wide_equal(wide, L"abcz");
    assert_int_equal(remaining, 12);
}

static void test_ex_fill_behind_null(void **state)
{
    char narrow[8];
    WCHAR wide[4];
    const unsigned char *bytes = (const unsigned char *)wide;
    (void)state;

    memset(narrow, 0, sizeof(narrow));
    assert_status(RtlStringCchCopyExA(narrow, 8, "abc", NULL, NULL, STRSAFE_FILL_BYTE(0xCC)),
                  STATUS_SUCCESS);
    assert_string_equal(narrow, "abc");
    for (size_t i = 4; i < 8; i++) {
        assert_int_equal((unsigned char)narrow[i], 0xCC);
    }
    memset(wide, 0, sizeof(wide));
    assert_status(RtlStringCbCopyExW(wide, sizeof(wide), L"a", NULL, NULL, STRSAFE_FILL_BYTE(0x11)),
                  STATUS_SUCCESS);
    assert_int_equal(wide[0], L'a');
    assert_int_equal(wide[1], 0);
    for (size_t i = 4; i < sizeof(wide); i++) {
        assert_int_equal(bytes[i], 0x11);
    }
}

static void test_ex_failure_flags(void **state)
{
    char narrow[6];
    WCHAR wide[6];
    NTSTRSAFE_PSTR end = NULL;
    size_t remaining = 0;
    (void)state;

    /* FILL_ON_FAILURE: the whole buffer is the fill byte, then a terminator. */
    assert_status(RtlStringCchCopyExA(narrow, 6, "abcdefgh", &end, &remaining,
                                      STRSAFE_FAILURE_BYTE('x')),
                  STATUS_BUFFER_OVERFLOW);
    assert_string_equal(narrow, "xxxxx");
    assert_ptr_equal(end, narrow + 5);
    assert_int_equal(remaining, 1);
    /* A zero fill byte leaves an empty string. */
    assert_status(RtlStringCchCopyExA(narrow, 6, "abcdefgh", &end, &remaining,
                                      STRSAFE_FAILURE_BYTE(0)),
                  STATUS_BUFFER_OVERFLOW);
    assert_string_equal(narrow, "");
    assert_int_equal(remaining, 6);
    /* NULL_ON_FAILURE: empty string. */
    assert_status(RtlStringCchCopyExA(narrow, 6, "abcdefgh", &end, &remaining,
                                      STRSAFE_NULL_ON_FAILURE),
                  STATUS_BUFFER_OVERFLOW);
    assert_string_equal(narrow, "");
    assert_ptr_equal(end, narrow);
    assert_int_equal(remaining, 6);
    /* NO_TRUNCATION on Cat: the destination keeps its string. */
    assert_status(RtlStringCchCopyA(narrow, 6, "ab"), STATUS_SUCCESS);
    assert_status(RtlStringCchCatExA(narrow, 6, "cdefgh", &end, &remaining,
                                     STRSAFE_NO_TRUNCATION),
                  STATUS_BUFFER_OVERFLOW);
    assert_string_equal(narrow, "ab");
    assert_ptr_equal(end, narrow + 2);
    assert_int_equal(remaining, 4);
    /* NO_TRUNCATION on Copy: no truncated result, an empty string. */
    assert_status(RtlStringCchCopyExW(wide, 6, L"abcdefgh", NULL, NULL, STRSAFE_NO_TRUNCATION),
                  STATUS_BUFFER_OVERFLOW);
    assert_wide_equal(wide, L"");
    /* Without flags the truncated result stays. */
    assert_status(RtlStringCchCopyExW(wide, 6, L"abcdefgh", NULL, NULL, 0),
                  STATUS_BUFFER_OVERFLOW);
    assert_wide_equal(wide, L"abcde");
    /* Failure flags also apply to invalid parameters (unterminated Cat destination). */
    memset(narrow, 'q', sizeof(narrow));
    assert_status(RtlStringCchCatExA(narrow, 6, "a", NULL, NULL, STRSAFE_NULL_ON_FAILURE),
                  STATUS_INVALID_PARAMETER);
    assert_string_equal(narrow, "");
}

static void test_ex_nulls_and_flags(void **state)
{
    WCHAR wide[4] = L"old";
    NTSTRSAFE_PWSTR end = wide;
    size_t remaining = 99;
    (void)state;

    /* NULL source without IGNORE_NULLS: invalid; with it: "". */
    assert_status(RtlStringCchCopyExW(wide, 4, NULL, NULL, NULL, 0), STATUS_INVALID_PARAMETER);
    assert_wide_equal(wide, L"old");
    assert_status(RtlStringCchCopyExW(wide, 4, NULL, &end, &remaining, STRSAFE_IGNORE_NULLS),
                  STATUS_SUCCESS);
    assert_wide_equal(wide, L"");
    assert_int_equal(remaining, 4);
    /* NULL destination: only with IGNORE_NULLS, size 0, and an empty source. */
    assert_status(RtlStringCchCopyExW(NULL, 0, L"", &end, &remaining, STRSAFE_IGNORE_NULLS),
                  STATUS_SUCCESS);
    assert_null(end);
    assert_int_equal(remaining, 0);
    assert_status(RtlStringCchCopyExW(NULL, 0, NULL, NULL, NULL, STRSAFE_IGNORE_NULLS),
                  STATUS_SUCCESS);
    assert_status(RtlStringCchCopyExW(NULL, 0, L"a", NULL, NULL, STRSAFE_IGNORE_NULLS),
                  STATUS_INVALID_PARAMETER);
    assert_status(RtlStringCchCopyExW(NULL, 4, L"", NULL, NULL, STRSAFE_IGNORE_NULLS),
                  STATUS_INVALID_PARAMETER);
    assert_status(RtlStringCchCopyExW(NULL, 0, L"", NULL, NULL, 0), STATUS_INVALID_PARAMETER);
    /* A zero-length destination with a non-empty source. */
    assert_status(RtlStringCchCopyExW(wide, 0, L"a", NULL, NULL, 0), STATUS_INVALID_PARAMETER);
    /* Flags outside STRSAFE_VALID_FLAGS. */
    assert_status(RtlStringCchCopyExW(wide, 4, L"a", NULL, NULL, 0x00100000),
                  STATUS_INVALID_PARAMETER);
    /* Outputs are left alone on an invalid parameter. */
    end = wide;
    remaining = 99;
    assert_status(RtlStringCchCatExW(wide, 0x80000000u, L"a", &end, &remaining, 0),
                  STATUS_INVALID_PARAMETER);
    assert_ptr_equal(end, wide);
    assert_int_equal(remaining, 99);
}

/* ------------------------------------------------------------------------ */
/* Printf.                                                                  */
/* ------------------------------------------------------------------------ */

static NTSTATUS CallVPrintfW(WCHAR *Buffer, size_t Cch, const WCHAR *Format, ...)
{
    va_list args;
    NTSTATUS status;
    va_start(args, Format);
    status = RtlStringCchVPrintfW(Buffer, Cch, Format, args);
    va_end(args);
    return status;
}

static void test_printf(void **state)
{
    WCHAR text[] = L"abcdef";
    UNICODE_STRING name = {6, sizeof(text), text};
    WCHAR wide[32];
    char narrow[8];
    NTSTRSAFE_PWSTR end = NULL;
    size_t remaining = 0;
    (void)state;

    /* Microsoft semantics in the W forms: %s is wide, %wZ a UNICODE_STRING. */
    assert_status(RtlStringCbPrintfW(wide, sizeof(wide), L"%ws-%d-%wZ-%s-%S", L"x", 42, &name,
                                     L"w", "n"),
                  STATUS_SUCCESS);
    assert_wide_equal(wide, L"x-42-abc-w-n");
    assert_status(RtlStringCchPrintfW(wide, 32, L"%I64x", 0x123456789AULL), STATUS_SUCCESS);
    assert_wide_equal(wide, L"123456789a");
    /* Truncated and terminated. */
    assert_status(RtlStringCchPrintfA(narrow, 5, "%d", 1234567), STATUS_BUFFER_OVERFLOW);
    assert_string_equal(narrow, "1234");
    assert_status(RtlStringCbPrintfA(narrow, sizeof(narrow), "%s|%ws", "ab", L"cd"),
                  STATUS_SUCCESS);
    assert_string_equal(narrow, "ab|cd");
    /* Exactly fills the buffer with its terminator. */
    assert_status(RtlStringCchPrintfA(narrow, 8, "%s", "1234567"), STATUS_SUCCESS);
    assert_status(RtlStringCchPrintfA(narrow, 8, "%s", "12345678"), STATUS_BUFFER_OVERFLOW);
    assert_string_equal(narrow, "1234567");
    assert_status(CallVPrintfW(wide, 4, L"%d%d", 12, 34), STATUS_BUFFER_OVERFLOW);
    assert_wide_equal(wide, L"123");
    assert_status(RtlStringCchPrintfW(wide, 0, L"x"), STATUS_INVALID_PARAMETER);
    assert_status(RtlStringCchPrintfW(wide, 32, NULL), STATUS_INVALID_PARAMETER);

    assert_status(RtlStringCchPrintfExW(wide, 32, &end, &remaining, 0, L"%03u", 7u),
                  STATUS_SUCCESS);
    assert_wide_equal(wide, L"007");
    assert_ptr_equal(end, wide + 3);
    assert_int_equal(remaining, 29);
    assert_status(RtlStringCbPrintfExW(wide, 8, &end, &remaining, STRSAFE_NULL_ON_FAILURE,
                                       L"%s", L"too long"),
                  STATUS_BUFFER_OVERFLOW);
    assert_wide_equal(wide, L"");
    assert_int_equal(remaining, 8);
    assert_status(RtlStringCchPrintfExW(wide, 32, NULL, NULL, STRSAFE_IGNORE_NULLS, NULL),
                  STATUS_SUCCESS);
    assert_wide_equal(wide, L"");
}

/* ------------------------------------------------------------------------ */
/* Length.                                                                  */
/* ------------------------------------------------------------------------ */

static void test_length(void **state)
{
    size_t length = 99;
    static const WCHAR unterminated[3] = {'a', 'b', 'c'};
    (void)state;

    assert_status(RtlStringCchLengthW(L"abc", 10, &length), STATUS_SUCCESS);
    assert_int_equal(length, 3);
    assert_status(RtlStringCchLengthW(L"abc", 4, &length), STATUS_SUCCESS);
    assert_int_equal(length, 3);
    /* No terminator within cchMax: invalid, and the length is 0. */
    assert_status(RtlStringCchLengthW(unterminated, 3, &length), STATUS_INVALID_PARAMETER);
    assert_int_equal(length, 0);
    assert_status(RtlStringCchLengthW(NULL, 3, &length), STATUS_INVALID_PARAMETER);
    assert_status(RtlStringCchLengthW(L"a", (size_t)NTSTRSAFE_MAX_CCH + 1, &length),
                  STATUS_INVALID_PARAMETER);
    assert_status(RtlStringCchLengthW(L"abc", 10, NULL), STATUS_SUCCESS);

    assert_status(RtlStringCbLengthW(L"abc", 8, &length), STATUS_SUCCESS);
    assert_int_equal(length, 6);
    assert_status(RtlStringCbLengthW(L"abc", 6, &length), STATUS_INVALID_PARAMETER);
    assert_int_equal(length, 0);
    assert_status(RtlStringCchLengthA("hello", 6, &length), STATUS_SUCCESS);
    assert_int_equal(length, 5);
    assert_status(RtlStringCbLengthA("hello", 5, &length), STATUS_INVALID_PARAMETER);
}

/* ------------------------------------------------------------------------ */
/* UNICODE_STRING routines.                                                 */
/* ------------------------------------------------------------------------ */

static void test_unicode_init_and_validate(void **state)
{
    static WCHAR longText[32768];
    UNICODE_STRING string;
    UNICODE_STRING bad;
    WCHAR buffer[4];
    (void)state;

    assert_status(RtlUnicodeStringInit(&string, L"abc"), STATUS_SUCCESS);
    assert_int_equal(string.Length, 6);
    assert_int_equal(string.MaximumLength, 8);
    assert_status(RtlUnicodeStringInit(&string, NULL), STATUS_SUCCESS);
    assert_int_equal(string.Length, 0);
    assert_int_equal(string.MaximumLength, 0);
    assert_null(string.Buffer);
    /* 32766 characters and the terminator fit in 65534 bytes; 32767 do not. */
    FillWide(longText, 32766, L'a');
    longText[32766] = 0;
    assert_status(RtlUnicodeStringInit(&string, longText), STATUS_SUCCESS);
    assert_int_equal(string.Length, 65532);
    assert_int_equal(string.MaximumLength, 65534);
    longText[32766] = L'a';
    longText[32767] = 0;
    assert_status(RtlUnicodeStringInit(&string, longText), STATUS_INVALID_PARAMETER);
    assert_status(RtlUnicodeStringInit(NULL, L"a"), STATUS_INVALID_PARAMETER);

    bad.Buffer = buffer;
    bad.Length = 2;
    bad.MaximumLength = 8;
    assert_status(RtlUnicodeStringValidate(&bad), STATUS_SUCCESS);
    bad.Length = 3;
    assert_status(RtlUnicodeStringValidate(&bad), STATUS_INVALID_PARAMETER);
    bad.Length = 10;
    assert_status(RtlUnicodeStringValidate(&bad), STATUS_INVALID_PARAMETER);
    bad.Length = 2;
    bad.MaximumLength = 7;
    assert_status(RtlUnicodeStringValidate(&bad), STATUS_INVALID_PARAMETER);
    bad.MaximumLength = 8;
    bad.Buffer = NULL;
    assert_status(RtlUnicodeStringValidate(&bad), STATUS_INVALID_PARAMETER);
    bad.Length = 0;
    bad.MaximumLength = 0;
    assert_status(RtlUnicodeStringValidate(&bad), STATUS_SUCCESS);
    assert_status(RtlUnicodeStringValidate(NULL), STATUS_INVALID_PARAMETER);
    assert_status(RtlUnicodeStringValidateEx(NULL, STRSAFE_IGNORE_NULLS), STATUS_SUCCESS);
}

static void test_unicode_copy_and_cat(void **state)
{
    WCHAR destBuffer[6];
    UNICODE_STRING dest = {0, 8, destBuffer}; /* room for 4 characters */
    WCHAR sourceText[] = L"abcdef";
    UNICODE_STRING source = {4, sizeof(sourceText), sourceText}; /* "ab" */
    (void)state;

    FillWide(destBuffer, 6, 0x7777);
    assert_status(RtlUnicodeStringCopy(&dest, &source), STATUS_SUCCESS);
    assert_true(UnicodeEquals(&dest, L"ab"));
    /* No terminator is written. */
    assert_int_equal(destBuffer[2], 0x7777);
    assert_status(RtlUnicodeStringCat(&dest, &source), STATUS_SUCCESS);
    assert_true(UnicodeEquals(&dest, L"abab"));
    /* Full: truncation is an overflow, Length stays within MaximumLength. */
    assert_status(RtlUnicodeStringCatString(&dest, L"x"), STATUS_BUFFER_OVERFLOW);
    assert_true(UnicodeEquals(&dest, L"abab"));
    source.Length = 12;
    assert_status(RtlUnicodeStringCopy(&dest, &source), STATUS_BUFFER_OVERFLOW);
    assert_true(UnicodeEquals(&dest, L"abcd"));
    assert_int_equal(destBuffer[4], 0x7777);
    assert_status(RtlUnicodeStringCopyString(&dest, L"xy"), STATUS_SUCCESS);
    assert_true(UnicodeEquals(&dest, L"xy"));
    assert_status(RtlUnicodeStringCatString(&dest, L"zzz"), STATUS_BUFFER_OVERFLOW);
    assert_true(UnicodeEquals(&dest, L"xyzz"));

    /* Invalid structures and pointers. */
    assert_status(RtlUnicodeStringCopy(&dest, NULL), STATUS_INVALID_PARAMETER);
    assert_status(RtlUnicodeStringCopyString(NULL, L"a"), STATUS_INVALID_PARAMETER);
    assert_status(RtlUnicodeStringCopyString(&dest, NULL), STATUS_INVALID_PARAMETER);
    dest.Length = 3;
    assert_status(RtlUnicodeStringCatString(&dest, L"a"), STATUS_INVALID_PARAMETER);
    dest.Length = 0;
    dest.MaximumLength = 0;
    assert_status(RtlUnicodeStringCopyString(&dest, L"a"), STATUS_INVALID_PARAMETER);
    assert_status(RtlUnicodeStringCopyString(&dest, L""), STATUS_SUCCESS);
}

static void test_unicode_ex(void **state)
{
    WCHAR destBuffer[4];
    UNICODE_STRING dest = {0, sizeof(destBuffer), destBuffer};
    UNICODE_STRING remaining;
    const unsigned char *bytes = (const unsigned char *)destBuffer;
    (void)state;

    assert_status(RtlUnicodeStringCopyStringEx(&dest, L"ab", &remaining, 0), STATUS_SUCCESS);
    assert_ptr_equal(remaining.Buffer, destBuffer + 2);
    assert_int_equal(remaining.Length, 0);
    assert_int_equal(remaining.MaximumLength, 4);
    /* ZERO_LENGTH_ON_FAILURE: an overflow leaves Length 0. */
    assert_status(RtlUnicodeStringCopyStringEx(&dest, L"abcdef", NULL,
                                               STRSAFE_ZERO_LENGTH_ON_FAILURE),
                  STATUS_BUFFER_OVERFLOW);
    assert_int_equal(dest.Length, 0);
    /* NO_TRUNCATION on Cat: Length unchanged. */
    assert_status(RtlUnicodeStringCopyString(&dest, L"ab"), STATUS_SUCCESS);
    assert_status(RtlUnicodeStringCatStringEx(&dest, L"cde", &remaining, STRSAFE_NO_TRUNCATION),
                  STATUS_BUFFER_OVERFLOW);
    assert_true(UnicodeEquals(&dest, L"ab"));
    assert_int_equal(remaining.MaximumLength, 4);
    /* FILL_BEHIND with 0 terminates a short result. */
    memset(destBuffer, 0xAB, sizeof(destBuffer));
    assert_status(RtlUnicodeStringCopyStringEx(&dest, L"a", NULL, STRSAFE_FILL_BEHIND | 0),
                  STATUS_SUCCESS);
    assert_int_equal(dest.Length, 2);
    for (size_t i = 2; i < sizeof(destBuffer); i++) {
        assert_int_equal(bytes[i], 0);
    }
    /* IGNORE_NULLS: a NULL source is empty. */
    assert_status(RtlUnicodeStringCopyEx(&dest, NULL, NULL, STRSAFE_IGNORE_NULLS),
                  STATUS_SUCCESS);
    assert_int_equal(dest.Length, 0);
    assert_status(RtlUnicodeStringCatEx(NULL, NULL, NULL, STRSAFE_IGNORE_NULLS), STATUS_SUCCESS);
    assert_status(RtlUnicodeStringCatStringEx(NULL, L"a", NULL, STRSAFE_IGNORE_NULLS),
                  STATUS_INVALID_PARAMETER);
}

static void test_unicode_printf(void **state)
{
    WCHAR destBuffer[6];
    UNICODE_STRING dest = {0, 10, destBuffer}; /* 5 characters */
    UNICODE_STRING remaining;
    WCHAR nameText[] = L"file.txt";
    UNICODE_STRING name = {6, sizeof(nameText), nameText}; /* "fil" */
    (void)state;

    FillWide(destBuffer, 6, 0x7777);
    assert_status(RtlUnicodeStringPrintf(&dest, L"%d", 123), STATUS_SUCCESS);
    assert_true(UnicodeEquals(&dest, L"123"));
    /* The whole buffer may hold text: no room is kept for a terminator. */
    assert_status(RtlUnicodeStringPrintf(&dest, L"%d", 12345), STATUS_SUCCESS);
    assert_true(UnicodeEquals(&dest, L"12345"));
    assert_int_equal(destBuffer[5], 0x7777);
    assert_status(RtlUnicodeStringPrintf(&dest, L"%d", 1234567), STATUS_BUFFER_OVERFLOW);
    assert_true(UnicodeEquals(&dest, L"12345"));
    assert_status(RtlUnicodeStringPrintf(&dest, L"<%wZ>", &name), STATUS_SUCCESS);
    assert_true(UnicodeEquals(&dest, L"<fil>"));
    assert_status(RtlUnicodeStringPrintfEx(&dest, &remaining, 0, L"%s", L"ab"), STATUS_SUCCESS);
    assert_true(UnicodeEquals(&dest, L"ab"));
    assert_ptr_equal(remaining.Buffer, destBuffer + 2);
    assert_int_equal(remaining.MaximumLength, 6);
    assert_status(RtlUnicodeStringPrintf(&dest, NULL), STATUS_INVALID_PARAMETER);
}

static void test_unicode_to_buffer(void **state)
{
    WCHAR text[] = L"name";
    UNICODE_STRING source = {8, sizeof(text), text};
    WCHAR buffer[4];
    WCHAR big[16] = L">";
    NTSTRSAFE_PWSTR end = NULL;
    size_t remaining = 0;
    (void)state;

    assert_status(RtlStringCbCopyUnicodeString(buffer, sizeof(buffer), &source),
                  STATUS_BUFFER_OVERFLOW);
    assert_wide_equal(buffer, L"nam");
    assert_status(RtlStringCchCatUnicodeString(big, 16, &source), STATUS_SUCCESS);
    assert_wide_equal(big, L">name");
    source.Length = 4;
    assert_status(RtlStringCchCopyUnicodeStringEx(big, 16, &source, &end, &remaining, 0),
                  STATUS_SUCCESS);
    assert_wide_equal(big, L"na");
    assert_ptr_equal(end, big + 2);
    assert_int_equal(remaining, 14);
    assert_status(RtlStringCbCatUnicodeStringEx(big, sizeof(big), &source, &end, &remaining, 0),
                  STATUS_SUCCESS);
    assert_wide_equal(big, L"nana");
    assert_int_equal(remaining, 24);
    source.Length = 3;
    assert_status(RtlStringCchCopyUnicodeString(big, 16, &source), STATUS_INVALID_PARAMETER);
    assert_status(RtlStringCchCopyUnicodeString(big, 16, NULL), STATUS_INVALID_PARAMETER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_constants),
        cmocka_unit_test(test_copy),
        cmocka_unit_test(test_copy_invalid_parameters),
        cmocka_unit_test(test_copy_n),
        cmocka_unit_test(test_cat),
        cmocka_unit_test(test_ex_end_and_remaining),
        cmocka_unit_test(test_ex_fill_behind_null),
        cmocka_unit_test(test_ex_failure_flags),
        cmocka_unit_test(test_ex_nulls_and_flags),
        cmocka_unit_test(test_printf),
        cmocka_unit_test(test_length),
        cmocka_unit_test(test_unicode_init_and_validate),
        cmocka_unit_test(test_unicode_copy_and_cat),
        cmocka_unit_test(test_unicode_ex),
        cmocka_unit_test(test_unicode_printf),
        cmocka_unit_test(test_unicode_to_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
