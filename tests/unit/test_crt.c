/*
 * test_crt.c - fltsim unit tests: the kernel C runtime (sim/crt).
 *
 * Owns the checks of the wide string routines, case mapping and
 * classification, wcstol & co, the _s copy routines, the narrow MS helpers
 * and the Microsoft printf engine (_snprintf/_snwprintf families, the _s
 * printf forms, FsimFormat*), with expected values taken from Microsoft's
 * documentation of each routine and format specification.  The C library's
 * wide headers are included after fsim_crt.h on purpose: that order must
 * compile and must still reach the FsimCrt_ routines.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fsim_crt.h>

/* After fsim_crt.h: must neither conflict nor undo the renames. */
#include <wchar.h>
#include <wctype.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>

/* ------------------------------------------------------------------------ */
/* Helpers.                                                                 */
/* ------------------------------------------------------------------------ */

/* Compares two terminated UTF-16 strings without using the code under test. */
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

static int CallVsnprintf(char *Buffer, size_t Count, const char *Format, ...)
{
    va_list args;
    int result;
    va_start(args, Format);
    result = _vsnprintf(Buffer, Count, Format, args);
    va_end(args);
    return result;
}

static int CallVsnwprintf(WCHAR *Buffer, size_t Count, const WCHAR *Format, ...)
{
    va_list args;
    int result;
    va_start(args, Format);
    result = _vsnwprintf(Buffer, Count, Format, args);
    va_end(args);
    return result;
}

static int CallFormatNarrowV(char *Buffer, size_t Capacity, size_t *Needed, const char *Format,
                             ...)
{
    va_list args;
    int stored;
    va_start(args, Format);
    stored = FsimFormatNarrowV(Buffer, Capacity, Format, args, NULL, NULL, Needed);
    va_end(args);
    return stored;
}

/* A pointer hook like the kernel's: a synthetic address instead of the host one. */
static const void *HookLastPointer;
static int HookCalls;

static void TestPointerHook(void *HookContext, const void *Pointer, char Out[32])
{
    const char *text = (const char *)HookContext;
    HookLastPointer = Pointer;
    HookCalls++;
    memcpy(Out, text, strlen(text) + 1);
}

/* ------------------------------------------------------------------------ */
/* Wide strings.                                                            */
/* ------------------------------------------------------------------------ */

static void test_wcslen_family(void **state)
{
    WCHAR buffer[16];
    (void)state;

    assert_int_equal(wcslen(L"abc"), 3);
    assert_int_equal(wcslen(L""), 0);
    assert_int_equal(wcsnlen(L"abcdef", 4), 4);
    assert_int_equal(wcsnlen(L"ab", 4), 2);
    /* The 16-bit model: L"" literals are UTF-16 and sizeof(WCHAR) is 2. */
    assert_int_equal(sizeof(WCHAR), 2);
    assert_int_equal(wcslen(L"\u00e9t\u00e9"), 3);

    assert_ptr_equal(wcscpy(buffer, L"abc"), buffer);
    assert_wide_equal(buffer, L"abc");
    assert_ptr_equal(wcscat(buffer, L"de"), buffer);
    assert_wide_equal(buffer, L"abcde");
    wcsncat(buffer, L"fghij", 2);
    assert_wide_equal(buffer, L"abcdefg");
}

static void test_wcsncpy_pads_with_nul(void **state)
{
    WCHAR buffer[6] = {'x', 'x', 'x', 'x', 'x', 'x'};
    (void)state;

    wcsncpy(buffer, L"ab", 5);
    assert_int_equal(buffer[0], 'a');
    assert_int_equal(buffer[1], 'b');
    assert_int_equal(buffer[2], 0);
    assert_int_equal(buffer[3], 0);
    assert_int_equal(buffer[4], 0);
    assert_int_equal(buffer[5], 'x');

    /* Source longer than count: no terminator is added. */
    wcsncpy(buffer, L"uvwxyz", 3);
    assert_int_equal(buffer[2], 'w');
    assert_int_equal(buffer[3], 0);
}

static void test_wcscmp_family(void **state)
{
    (void)state;

    assert_int_equal(wcscmp(L"abc", L"abc"), 0);
    assert_true(wcscmp(L"abc", L"abd") < 0);
    assert_true(wcscmp(L"abd", L"abc") > 0);
    assert_true(wcscmp(L"ab", L"abc") < 0);
    /* Units compare as unsigned 16-bit values. */
    assert_true(wcscmp(L"\uffff", L"a") > 0);
    assert_int_equal(wcsncmp(L"abcX", L"abcY", 3), 0);
    assert_true(wcsncmp(L"abcX", L"abcY", 4) < 0);

    /* _wcsicmp compares lowercase forms: ASCII, Latin-1, Greek, Cyrillic. */
    assert_int_equal(_wcsicmp(L"HeLLo", L"hello"), 0);
    assert_int_equal(_wcsicmp(L"\u00c4BC\u00d6", L"\u00e4bc\u00f6"), 0);
    assert_int_equal(_wcsicmp(L"\u0391\u0392\u0393", L"\u03b1\u03b2\u03b3"), 0);
    assert_int_equal(_wcsicmp(L"\u041f\u0420\u0418", L"\u043f\u0440\u0438"), 0);
    assert_int_equal(_wcsicmp(L"\u0178", L"\u00ff"), 0);
    /* '_' (0x5F) sorts before 'a' (0x61) once 'A' is lowered. */
    assert_true(_wcsicmp(L"_", L"A") < 0);
    assert_true(_wcsicmp(L"abc", L"ABD") < 0);
    assert_int_equal(_wcsnicmp(L"ABCdef", L"abcXYZ", 3), 0);
    assert_true(_wcsnicmp(L"ABCdef", L"abcXYZ", 4) < 0);
    assert_int_equal(_wcsicmp(NULL, L"a"), _NLSCMPERROR);
}

static void test_wcs_search(void **state)
{
    static const WCHAR text[] = L"a\\b\\c.txt";
    (void)state;

    assert_ptr_equal(wcschr(text, L'\\'), text + 1);
    assert_ptr_equal(wcsrchr(text, L'\\'), text + 3);
    assert_null(wcschr(text, L'z'));
    assert_ptr_equal(wcschr(text, 0), text + 9);
    assert_ptr_equal(wcsrchr(text, 0), text + 9);
    assert_ptr_equal(wcsstr(text, L"c.t"), text + 4);
    assert_ptr_equal(wcsstr(text, L""), text);
    assert_null(wcsstr(text, L"txtx"));
    assert_int_equal(wcsspn(L"aabbc", L"ab"), 4);
    assert_int_equal(wcscspn(L"abc.d", L"."), 3);
    assert_ptr_equal(wcspbrk(text, L".\\"), text + 1);
    assert_null(wcspbrk(text, L"!"));
}

static void test_case_conversion(void **state)
{
    WCHAR upper[] = L"abc\u00e4\u00f6\u00fc\u00df\u03b1\u0431z";
    WCHAR lower[] = L"ABC\u00c4\u0130\u0178\u0401";
    (void)state;

    assert_ptr_equal(_wcsupr(upper), upper);
    /* U+00DF (sharp s) has no one-to-one uppercase: unchanged. */
    assert_wide_equal(upper, L"ABC\u00c4\u00d6\u00dc\u00df\u0391\u0411Z");
    assert_ptr_equal(_wcslwr(lower), lower);
    /* U+0130 has no one-to-one lowercase: unchanged. */
    assert_wide_equal(lower, L"abc\u00e4\u0130\u00ff\u0451");

    assert_int_equal(towupper(L'a'), L'A');
    assert_int_equal(towupper(0x00FF), 0x0178);
    assert_int_equal(towlower(0x0178), 0x00FF);
    assert_int_equal(towupper(0x0101), 0x0100);
    assert_int_equal(towlower(0x0139), 0x013A);
    assert_int_equal(towupper(0x03C2), 0x03C2); /* final sigma */
    assert_int_equal(towupper(0x03AC), 0x0386);
    assert_int_equal(towlower(0x038F), 0x03CE);
    assert_int_equal(towupper(0x0131), 0x0131);
    assert_int_equal(towupper(L'1'), L'1');
    /* Beyond the 16-bit range: returned unchanged. */
    assert_int_equal(towupper(0x10061), 0x10061);
}

static void test_classification(void **state)
{
    (void)state;

    assert_true(iswalpha(L'a'));
    assert_true(iswalpha(0x00E9));
    assert_true(iswalpha(0x0416));
    assert_false(iswalpha(L'1'));
    assert_false(iswalpha(0x00D7)); /* multiplication sign */
    assert_true(iswdigit(L'7'));
    assert_false(iswdigit(L'a'));
    assert_true(iswxdigit(L'F'));
    assert_true(iswxdigit(L'c'));
    assert_false(iswxdigit(L'g'));
    assert_true(iswspace(L' '));
    assert_true(iswspace(L'\t'));
    assert_true(iswspace(0x00A0));
    assert_true(iswspace(0x3000));
    assert_false(iswspace(L'x'));
    assert_true(iswupper(L'Q'));
    assert_true(iswupper(0x00C9));
    assert_false(iswupper(L'q'));
    assert_true(iswlower(L'q'));
    assert_true(iswlower(0x00DF));
    assert_false(iswlower(L'Q'));
    assert_true(iswalnum(L'5'));
    assert_true(iswalnum(L'Z'));
    assert_false(iswalnum(L'-'));
    assert_false(iswalpha(0x10041));
}

static void test_wmem(void **state)
{
    WCHAR buffer[5];
    (void)state;

    assert_ptr_equal(wmemset(buffer, 0x1234, 5), buffer);
    assert_int_equal(buffer[4], 0x1234);
    wmemcpy(buffer, L"abcd", 4);
    assert_int_equal(buffer[3], L'd');
    assert_int_equal(buffer[4], 0x1234);
    wmemmove(buffer + 1, buffer, 3);
    assert_int_equal(buffer[1], L'a');
    assert_int_equal(buffer[3], L'c');
    assert_int_equal(wmemcmp(L"abc", L"abd", 2), 0);
    assert_true(wmemcmp(L"abc", L"abd", 3) < 0);
    assert_ptr_equal(wmemchr(buffer, L'c', 5), buffer + 3);
    assert_null(wmemchr(buffer, L'z', 5));
}

/* ------------------------------------------------------------------------ */
/* Wide string to number.                                                   */
/* ------------------------------------------------------------------------ */

static void test_wcstoul(void **state)
{
    static const WCHAR big[] = L"4294967296xyz";
    static const WCHAR none[] = L"  xyz";
    WCHAR *end = NULL;
    (void)state;

    assert_int_equal(wcstoul(L"4294967295", NULL, 10), 0xFFFFFFFFul);
    /* ULONG is 32-bit: overflow clamps to ULONG_MAX and consumes every digit. */
    assert_int_equal(wcstoul(big, &end, 10), 0xFFFFFFFFul);
    assert_ptr_equal(end, big + 10);
    assert_int_equal(wcstoul(L"99999999999999999999", NULL, 10), 0xFFFFFFFFul);
    /* A minus sign negates in 32 bits. */
    assert_int_equal(wcstoul(L"-1", NULL, 10), 0xFFFFFFFFul);
    assert_int_equal(wcstoul(L"-4294967295", NULL, 10), 1);
    assert_int_equal(wcstoul(L"  +17", NULL, 10), 17);
    assert_int_equal(wcstoul(L"0x1F", NULL, 16), 31);
    assert_int_equal(wcstoul(L"1f", NULL, 16), 31);
    assert_int_equal(wcstoul(L"0777", NULL, 0), 511);
    assert_int_equal(wcstoul(L"0X10", NULL, 0), 16);
    assert_int_equal(wcstoul(L"zz", NULL, 36), 35 * 36 + 35);
    assert_int_equal(wcstoul(L"101", NULL, 2), 5);
    /* No digits: 0 and *endptr = nptr. */
    assert_int_equal(wcstoul(none, &end, 10), 0);
    assert_ptr_equal(end, none);
    /* Invalid base. */
    assert_int_equal(wcstoul(L"10", &end, 1), 0);
    assert_int_equal(wcstoul(L"10", NULL, 37), 0);
}

static void test_wcstol(void **state)
{
    static const WCHAR hex[] = L"  0x1fZ";
    static const WCHAR zerox[] = L"0x";
    WCHAR *end = NULL;
    (void)state;

    assert_int_equal(wcstol(L"2147483647", NULL, 10), 2147483647L);
    assert_int_equal(wcstol(L"2147483648", NULL, 10), 2147483647L);
    assert_int_equal(wcstol(L"-2147483648", NULL, 10), -2147483647L - 1);
    assert_int_equal(wcstol(L"-2147483649", NULL, 10), -2147483647L - 1);
    assert_int_equal(wcstol(L"-42", NULL, 10), -42);
    assert_int_equal(wcstol(hex, &end, 0), 31);
    assert_ptr_equal(end, hex + 6);
    /* "0x" without hex digits: the "0" is the number. */
    assert_int_equal(wcstol(zerox, &end, 16), 0);
    assert_ptr_equal(end, zerox + 1);
    assert_int_equal(_wtoi(L" -123abc"), -123);
    assert_int_equal(_wtol(L"99999999999"), 2147483647);
    assert_true(_wcstoui64(L"18446744073709551615", NULL, 10) == UINT64_MAX);
    assert_true(_wcstoui64(L"18446744073709551616", NULL, 10) == UINT64_MAX);
    assert_true(_wcstoi64(L"-9223372036854775808", NULL, 10) == INT64_MIN);
    assert_true(_wcstoi64(L"9223372036854775808", NULL, 10) == INT64_MAX);
    assert_true(_wcstoi64(L"-0x10", NULL, 16) == -16);
    assert_true(_wtoi64(L"1234567890123") == 1234567890123LL);
}

/* ------------------------------------------------------------------------ */
/* The _s copy routines (Microsoft's error tables and documented examples). */
/* ------------------------------------------------------------------------ */

static void test_strncpy_s_documented_examples(void **state)
{
    char dest[10];
    WCHAR wdest[10];
    (void)state;

    assert_int_equal(strncpy_s(dest, 10, "howdy", 4), 0);
    assert_string_equal(dest, "howd");
    assert_int_equal(strncpy_s(dest, 10, "howdy", 6), 0);
    assert_string_equal(dest, "howdy");
    assert_int_equal(strncpy_s(dest, 10, "Hi there!!", 10), ERANGE);
    assert_string_equal(dest, "");
    assert_int_equal(strncpy_s(dest, 10, "How do you do?", _TRUNCATE), STRUNCATE);
    assert_string_equal(dest, "How do yo");
    assert_int_equal(strncpy_s(dest, 10, "Howdy.", _TRUNCATE), 0);
    assert_string_equal(dest, "Howdy.");
    assert_int_equal(strncpy_s(dest, 5, "a long string", 4), 0);
    assert_string_equal(dest, "a lo");
    assert_int_equal(strncpy_s(dest, 5, "a long string", 5), ERANGE);
    assert_string_equal(dest, "");

    assert_int_equal(wcsncpy_s(wdest, 10, L"How do you do?", _TRUNCATE), STRUNCATE);
    assert_wide_equal(wdest, L"How do yo");
    assert_int_equal(wcsncpy_s(wdest, 10, L"howdy", 4), 0);
    assert_wide_equal(wdest, L"howd");
    wdest[0] = 'q';
    assert_int_equal(wcsncpy_s(wdest, 10, NULL, 3), EINVAL);
    assert_int_equal(wdest[0], 0);
    assert_int_equal(wcsncpy_s(NULL, 10, L"x", 1), EINVAL);
    assert_int_equal(wcsncpy_s(NULL, 0, NULL, 0), 0);
}

static void test_strcpy_s_and_strcat_s(void **state)
{
    char dest[6];
    WCHAR wdest[6];
    (void)state;

    assert_int_equal(strcpy_s(dest, sizeof(dest), "hello"), 0);
    assert_string_equal(dest, "hello");
    assert_int_equal(strcpy_s(dest, sizeof(dest), "hello!"), ERANGE);
    assert_string_equal(dest, "");
    dest[0] = 'z';
    assert_int_equal(strcpy_s(dest, sizeof(dest), NULL), EINVAL);
    assert_int_equal(dest[0], 0);
    assert_int_equal(strcpy_s(NULL, 6, "a"), EINVAL);
    assert_int_equal(strcpy_s(dest, 0, "a"), EINVAL);

    assert_int_equal(strcpy_s(dest, sizeof(dest), "ab"), 0);
    assert_int_equal(strcat_s(dest, sizeof(dest), "cde"), 0);
    assert_string_equal(dest, "abcde");
    assert_int_equal(strcat_s(dest, sizeof(dest), "f"), ERANGE);
    assert_string_equal(dest, "");
    memset(dest, 'x', sizeof(dest)); /* no terminator within the size */
    assert_int_equal(strcat_s(dest, sizeof(dest), "a"), EINVAL);
    assert_int_equal(dest[0], 0);

    assert_int_equal(wcscpy_s(wdest, 6, L"wide"), 0);
    assert_wide_equal(wdest, L"wide");
    assert_int_equal(wcscat_s(wdest, 6, L"!"), 0);
    assert_wide_equal(wdest, L"wide!");
    assert_int_equal(wcscat_s(wdest, 6, L"?"), ERANGE);
    assert_int_equal(wdest[0], 0);
    assert_int_equal(wcscpy_s(wdest, 3, L"abc"), ERANGE);
    assert_int_equal(wdest[0], 0);
}

static void test_memcpy_s_and_memmove_s(void **state)
{
    unsigned char dest[4] = {1, 2, 3, 4};
    unsigned char src[8] = {9, 9, 9, 9, 9, 9, 9, 9};
    (void)state;

    assert_int_equal(memcpy_s(dest, 4, src, 2), 0);
    assert_int_equal(dest[1], 9);
    assert_int_equal(dest[2], 3);
    /* Too small: the destination is zeroed. */
    assert_int_equal(memcpy_s(dest, 4, src, 5), ERANGE);
    assert_int_equal(dest[0], 0);
    assert_int_equal(dest[3], 0);
    dest[0] = 7;
    assert_int_equal(memcpy_s(dest, 4, NULL, 2), EINVAL);
    assert_int_equal(dest[0], 0);
    assert_int_equal(memcpy_s(NULL, 4, src, 2), EINVAL);
    assert_int_equal(memcpy_s(NULL, 0, NULL, 0), 0);

    dest[0] = 1;
    dest[1] = 2;
    dest[2] = 3;
    dest[3] = 4;
    assert_int_equal(memmove_s(dest + 1, 3, dest, 3), 0);
    assert_int_equal(dest[1], 1);
    assert_int_equal(dest[3], 3);
    /* Too small: reported, the destination is left alone. */
    assert_int_equal(memmove_s(dest, 4, src, 5), ERANGE);
    assert_int_equal(dest[0], 1);
    assert_int_equal(memmove_s(dest, 4, NULL, 1), EINVAL);
}

static void test_narrow_helpers(void **state)
{
    char upper[] = "abc_xyz\xc3\xa9";
    char lower[] = "ABC_XYZ\xc3\x89";
    (void)state;

    assert_int_equal(_stricmp("HeLLo", "hello"), 0);
    assert_true(_stricmp("_", "A") < 0);
    assert_true(_stricmp("abc", "ABD") < 0);
    assert_true(_stricmp("abcd", "ABC") > 0);
    assert_int_equal(_strnicmp("ABCdef", "abcXYZ", 3), 0);
    assert_true(_strnicmp("ABCdef", "abcXYZ", 4) < 0);
    assert_int_equal(_stricmp(NULL, "a"), _NLSCMPERROR);
    assert_int_equal(_strnicmp("a", NULL, 1), _NLSCMPERROR);
    /* The "C" locale changes ASCII letters only. */
    assert_ptr_equal(_strupr(upper), upper);
    assert_string_equal(upper, "ABC_XYZ\xc3\xa9");
    assert_ptr_equal(_strlwr(lower), lower);
    assert_string_equal(lower, "abc_xyz\xc3\x89");
}

/* ------------------------------------------------------------------------ */
/* printf: _snprintf/_snwprintf return values and terminators.              */
/* ------------------------------------------------------------------------ */

static void test_snwprintf_truncation(void **state)
{
    WCHAR buffer[8];
    (void)state;

    /* Too long: count units stored, no terminator, -1. */
    wmemset(buffer, 0x7777, 8);
    assert_int_equal(_snwprintf(buffer, 4, L"%d", 12345), -1);
    assert_int_equal(buffer[0], L'1');
    assert_int_equal(buffer[3], L'4');
    assert_int_equal(buffer[4], 0x7777);

    /* Exactly count: stored, no terminator, the length. */
    wmemset(buffer, 0x7777, 8);
    assert_int_equal(_snwprintf(buffer, 5, L"%d", 12345), 5);
    assert_int_equal(buffer[4], L'5');
    assert_int_equal(buffer[5], 0x7777);

    /* Shorter: terminated. */
    wmemset(buffer, 0x7777, 8);
    assert_int_equal(_snwprintf(buffer, 8, L"%d", 12345), 5);
    assert_wide_equal(buffer, L"12345");
    assert_int_equal(buffer[6], 0x7777);

    /* Measuring, and the invalid calls. */
    assert_int_equal(_snwprintf(NULL, 0, L"%d", 12345), 5);
    assert_int_equal(_snwprintf(NULL, 3, L"%d", 12345), -1);
    assert_int_equal(_snwprintf(buffer, 8, NULL), -1);
}

static void test_snprintf_truncation(void **state)
{
    char buffer[8];
    (void)state;

    memset(buffer, 'Z', sizeof(buffer));
    assert_int_equal(_snprintf(buffer, 3, "%s", "abcdef"), -1);
    assert_memory_equal(buffer, "abcZ", 4);
    memset(buffer, 'Z', sizeof(buffer));
    assert_int_equal(_snprintf(buffer, 6, "%s", "abcdef"), 6);
    assert_memory_equal(buffer, "abcdefZ", 7);
    assert_int_equal(_snprintf(buffer, 8, "%s", "abc"), 3);
    assert_string_equal(buffer, "abc");

    memset(buffer, 'Z', sizeof(buffer));
    assert_int_equal(CallVsnprintf(buffer, 4, "%d%d", 12, 345), -1);
    assert_memory_equal(buffer, "1234Z", 5);
    assert_int_equal(CallVsnprintf(buffer, 8, "%d-%d", 12, 3), 4);
    assert_string_equal(buffer, "12-3");
}

static void test_vsnwprintf(void **state)
{
    WCHAR buffer[16];
    (void)state;

    assert_int_equal(CallVsnwprintf(buffer, 16, L"%s=%d", L"x", 7), 3);
    assert_wide_equal(buffer, L"x=7");
    assert_int_equal(CallVsnwprintf(buffer, 2, L"%s", L"abc"), -1);
}

/* ------------------------------------------------------------------------ */
/* printf: Microsoft's conversions.                                         */
/* ------------------------------------------------------------------------ */

static void test_printf_counted_strings(void **state)
{
    WCHAR text[] = L"abcdef";
    UNICODE_STRING unicode = {6, sizeof(text), text};
    char narrowText[] = "ANSI!";
    ANSI_STRING ansi = {4, sizeof(narrowText), narrowText};
    UNICODE_STRING noBuffer = {0, 0, NULL};
    char buffer[64];
    WCHAR wide[64];
    (void)state;

    /* Length is in bytes: 6 bytes = 3 characters, no terminator needed. */
    assert_int_equal(_snprintf(buffer, sizeof(buffer), "[%wZ]", &unicode), 5);
    assert_string_equal(buffer, "[abc]");
    assert_int_equal(_snwprintf(wide, 64, L"[%wZ]", &unicode), 5);
    assert_wide_equal(wide, L"[abc]");
    assert_int_equal(_snprintf(buffer, sizeof(buffer), "[%Z]", &ansi), 6);
    assert_string_equal(buffer, "[ANSI]");
    assert_int_equal(_snwprintf(wide, 64, L"[%Z]", &ansi), 6);
    assert_wide_equal(wide, L"[ANSI]");
    _snprintf(buffer, sizeof(buffer), "%wZ|%wZ|%Z", (UNICODE_STRING *)NULL, &noBuffer,
              (ANSI_STRING *)NULL);
    assert_string_equal(buffer, "(null)|(null)|(null)");
    _snprintf(buffer, sizeof(buffer), "[%6wZ|%-4wZ|%.2wZ]", &unicode, &unicode, &unicode);
    assert_string_equal(buffer, "[   abc|abc |ab]");
}

static void test_printf_string_kinds(void **state)
{
    char buffer[64];
    WCHAR wide[64];
    (void)state;

    /* Narrow format: %s narrow, %S wide, %ws/%ls wide, %hs narrow. */
    _snprintf(buffer, sizeof(buffer), "%s|%S|%ws|%ls|%hs|%hS", "n1", L"w1", L"w2", L"w3", "n2",
              "n3");
    assert_string_equal(buffer, "n1|w1|w2|w3|n2|n3");
    /* Wide format: %s wide, %S narrow, %ws wide, %hs narrow. */
    _snwprintf(wide, 64, L"%s|%S|%ws|%hs|%ls", L"w1", "n1", L"w2", "n2", L"w3");
    assert_wide_equal(wide, L"w1|n1|w2|n2|w3");
    /* Characters follow the same rules. */
    _snprintf(buffer, sizeof(buffer), "%c%C%wc%hc", 'a', L'b', L'c', 'd');
    assert_string_equal(buffer, "abcd");
    _snwprintf(wide, 64, L"%c%C%wc%hc", L'a', 'b', L'c', 'd');
    assert_wide_equal(wide, L"abcd");
    /* NULL strings. */
    _snprintf(buffer, sizeof(buffer), "%s|%ws", (char *)NULL, (WCHAR *)NULL);
    assert_string_equal(buffer, "(null)|(null)");
    _snwprintf(wide, 64, L"%s|%S", (WCHAR *)NULL, (char *)NULL);
    assert_wide_equal(wide, L"(null)|(null)");
}

static void test_printf_text_conversion(void **state)
{
    char buffer[32];
    WCHAR wide[32];
    WCHAR lone[] = {0xD800, 'x', 0};
    WCHAR pair[] = {0xD83D, 0xDE00, 0};
    (void)state;

    /* Wide text in a narrow buffer becomes UTF-8. */
    _snprintf(buffer, sizeof(buffer), "%ws", L"\u00e9\u20ac");
    assert_string_equal(buffer, "\xc3\xa9\xe2\x82\xac");
    _snprintf(buffer, sizeof(buffer), "%ws", pair);
    assert_string_equal(buffer, "\xf0\x9f\x98\x80");
    /* An unpaired surrogate becomes U+FFFD. */
    _snprintf(buffer, sizeof(buffer), "%ws", lone);
    assert_string_equal(buffer, "\xef\xbf\xbdx");
    /* Narrow (UTF-8) text in a wide buffer is decoded; invalid bytes are U+FFFD. */
    _snwprintf(wide, 32, L"%S", "\xc3\xa9\xf0\x9f\x98\x80");
    assert_wide_equal(wide, L"\u00e9\xd83d\xde00");
    _snwprintf(wide, 32, L"%S", "a\xff" "b");
    assert_wide_equal(wide, L"a\ufffdb");
    /* Literal text of the format is converted the same way. */
    _snwprintf(wide, 32, L"\u00e9%d", 1);
    assert_wide_equal(wide, L"\u00e91");
}

static void test_printf_precision_never_overreads(void **state)
{
    /* No terminators: precision bounds the read (ASan checks it). */
    WCHAR wideChars[3] = {'x', 'y', 'z'};
    char narrowChars[3] = {'p', 'q', 'r'};
    char buffer[16];
    (void)state;

    _snprintf(buffer, sizeof(buffer), "%.*ws|%.3s|%.2s", 3, wideChars, narrowChars, "long");
    assert_string_equal(buffer, "xyz|pqr|lo");
}

static void test_printf_integer_sizes(void **state)
{
    char buffer[64];
    WCHAR wide[64];
    (void)state;

    _snprintf(buffer, sizeof(buffer), "%I64x", 0x123456789AULL);
    assert_string_equal(buffer, "123456789a");
    _snprintf(buffer, sizeof(buffer), "%I64X|%I64d|%I64u", 0xFEDCBA9876543210ULL,
              (long long)-5000000000LL, 18446744073709551615ULL);
    assert_string_equal(buffer, "FEDCBA9876543210|-5000000000|18446744073709551615");
    _snprintf(buffer, sizeof(buffer), "%I32x|%I32d", 0xDEADBEEFu, -7);
    assert_string_equal(buffer, "deadbeef|-7");
    /* I is pointer-sized (64-bit on x64). */
    _snprintf(buffer, sizeof(buffer), "%Iu|%Ix|%Id", (size_t)1099511627775ULL,
              (size_t)0xABCDEF012345ULL, (ptrdiff_t)-1099511627776LL);
    assert_string_equal(buffer, "1099511627775|abcdef012345|-1099511627776");
    /* l is 32-bit (LONG), ll 64-bit. */
    _snprintf(buffer, sizeof(buffer), "%lx|%ld|%lu|%llx", (ULONG)0xFFFFFFFFu, (LONG)-1,
              (ULONG)4000000000u, 0x1122334455667788ULL);
    assert_string_equal(buffer, "ffffffff|-1|4000000000|1122334455667788");
    /* h and hh narrow the promoted int. */
    _snprintf(buffer, sizeof(buffer), "%hd|%hu|%hhx|%hhd", 65535, 65535, 0x1FF, 255);
    assert_string_equal(buffer, "-1|65535|ff|-1");
    /* z, j, t are 64-bit. */
    _snprintf(buffer, sizeof(buffer), "%zu|%jd|%td", (size_t)5000000000ULL,
              (intmax_t)-5000000000LL, (ptrdiff_t)5000000000LL);
    assert_string_equal(buffer, "5000000000|-5000000000|5000000000");
    _snprintf(buffer, sizeof(buffer), "%o|%X|%i|%u", 8, 0xABCu, -12, 3000000000u);
    assert_string_equal(buffer, "10|ABC|-12|3000000000");
    _snwprintf(wide, 64, L"%I64x/%wZ", 0xABCULL, (UNICODE_STRING *)NULL);
    assert_wide_equal(wide, L"abc/(null)");
}

static void test_printf_flags(void **state)
{
    char buffer[64];
    (void)state;

    _snprintf(buffer, sizeof(buffer), "%#x|%#X|%#x|%#o|%#o", 255, 255, 0, 8, 0);
    assert_string_equal(buffer, "0xff|0XFF|0|010|0");
    _snprintf(buffer, sizeof(buffer), "%+d|% d|%+d|% d|%+u", 5, 5, -5, -5, 5u);
    assert_string_equal(buffer, "+5| 5|-5|-5|5");
    _snprintf(buffer, sizeof(buffer), "%05d|%-5d|%5d|%-05d|", -42, 42, 42, 42);
    assert_string_equal(buffer, "-0042|42   |   42|42   |");
    _snprintf(buffer, sizeof(buffer), "%.3d|%.0d|%5.3d|%08.3d", 5, 0, 7, 9);
    assert_string_equal(buffer, "005||  007|     009");
    _snprintf(buffer, sizeof(buffer), "%#06x|%#010I64x", 0x2a, 0x2aULL);
    assert_string_equal(buffer, "0x002a|0x0000002a");
    _snprintf(buffer, sizeof(buffer), "%*d|%-*d|%*d|", 5, 42, 5, 42, -5, 42);
    assert_string_equal(buffer, "   42|42   |42   |");
    _snprintf(buffer, sizeof(buffer), "%.*s|%.*s|", 3, "abcdef", -1, "abc");
    assert_string_equal(buffer, "abc|abc|");
    _snprintf(buffer, sizeof(buffer), "%5s|%-5s|%c%3c", "ab", "ab", 'x', 'y');
    assert_string_equal(buffer, "   ab|ab   |x  y");
    _snprintf(buffer, sizeof(buffer), "100%%|%d%%", 5);
    assert_string_equal(buffer, "100%|5%");
}

static void test_printf_n_writes_nothing(void **state)
{
    char buffer[16];
    int counter = 1234;
    (void)state;

    assert_int_equal(_snprintf(buffer, sizeof(buffer), "ab%ncd%d", &counter, 5), 5);
    assert_string_equal(buffer, "abcd5");
    assert_int_equal(counter, 1234);
}

static void test_printf_invalid_conversion(void **state)
{
    char buffer[16];
    (void)state;

    /* Copied literally, no argument consumed. */
    assert_int_equal(_snprintf(buffer, sizeof(buffer), "%y%d", 7), 3);
    assert_string_equal(buffer, "%y7");
    assert_int_equal(_snprintf(buffer, sizeof(buffer), "end%"), 4);
    assert_string_equal(buffer, "end%");
    assert_int_equal(_snprintf(buffer, sizeof(buffer), "x%-08"), 5);
    assert_string_equal(buffer, "x%-08");
    /* The _s forms treat it as EINVAL: empty buffer, -1. */
    assert_int_equal(sprintf_s(buffer, sizeof(buffer), "%y%d", 7), -1);
    assert_string_equal(buffer, "");
}

static void test_printf_floating_point(void **state)
{
    char buffer[64];
    WCHAR wide[32];
    (void)state;

    _snprintf(buffer, sizeof(buffer), "%.2f|%e|%g|%08.3f|%-8.1f|", 3.14159, 12345.678, 0.0001,
              -3.14159, 2.5);
    assert_string_equal(buffer, "3.14|1.234568e+04|0.0001|-003.142|2.5     |");
    _snprintf(buffer, sizeof(buffer), "%+.1E|%G|%10.4f", 1.5, 1e20, 1.0);
    assert_string_equal(buffer, "+1.5E+00|1E+20|    1.0000");
    _snwprintf(wide, 32, L"%.3f", 0.5);
    assert_wide_equal(wide, L"0.500");
    _snprintf(buffer, sizeof(buffer), "%.0f|%#.0f|%5.1f%%", 2.0, 2.0, 99.44);
    assert_string_equal(buffer, "2|2.| 99.4%");
}

static void test_printf_pointer(void **state)
{
    char buffer[64];
    WCHAR wide[64];
    void *pointer = (void *)(uintptr_t)0xFFFFAC0500001000ULL;
    FSIM_FORMAT_POINTER_HOOK *hook = NULL;
    void *hookContext = NULL;
    char expected[64];
    (void)state;

    /* Without a hook: 16 uppercase hex digits. */
    assert_int_equal(FsimFormatNarrow(buffer, sizeof(buffer), NULL, NULL, NULL, "%p", pointer),
                     16);
    assert_string_equal(buffer, "FFFFAC0500001000");
    FsimFormatNarrow(buffer, sizeof(buffer), NULL, NULL, NULL, "[%p]", (void *)(uintptr_t)0x1000);
    assert_string_equal(buffer, "[0000000000001000]");
    FsimFormatWide(wide, 64, NULL, NULL, NULL, L"%p", pointer);
    assert_wide_equal(wide, L"FFFFAC0500001000");

    /* With a hook: its text, never the host value. */
    HookCalls = 0;
    FsimFormatNarrow(buffer, sizeof(buffer), TestPointerHook, (void *)"ffffac05f612a4b0", NULL,
                     "obj=%p end", pointer);
    assert_string_equal(buffer, "obj=ffffac05f612a4b0 end");
    assert_int_equal(HookCalls, 1);
    assert_ptr_equal(HookLastPointer, pointer);
    FsimFormatWide(wide, 64, TestPointerHook, (void *)"FFFFAC05F612A4B0", NULL, L"%20p|", pointer);
    assert_wide_equal(wide, L"    FFFFAC05F612A4B0|");

    /* The driver-facing routines use the machine's hook (or none). */
    FsimCrtGetPointerHook(&hook, &hookContext);
    FsimFormatNarrow(expected, sizeof(expected), hook, hookContext, NULL, "%p", pointer);
    _snprintf(buffer, sizeof(buffer), "%p", pointer);
    assert_string_equal(buffer, expected);
}

/* ------------------------------------------------------------------------ */
/* The simulator entry points and the _s printf forms.                      */
/* ------------------------------------------------------------------------ */

static void test_format_entry_points(void **state)
{
    char buffer[4];
    WCHAR wide[4];
    size_t needed = 0;
    (void)state;

    /* Always terminated, truncated to Capacity - 1, Needed is the full length. */
    assert_int_equal(CallFormatNarrowV(buffer, sizeof(buffer), &needed, "%s", "hello"), 3);
    assert_string_equal(buffer, "hel");
    assert_int_equal(needed, 5);
    assert_int_equal(FsimFormatWide(wide, 4, NULL, NULL, &needed, L"%d", 123), 3);
    assert_wide_equal(wide, L"123");
    assert_int_equal(needed, 3);
    assert_int_equal(FsimFormatNarrow(NULL, 0, NULL, NULL, &needed, "%d-%d", 10, 20), 0);
    assert_int_equal(needed, 5);
    assert_int_equal(FsimFormatNarrow(buffer, 1, NULL, NULL, &needed, "abc"), 0);
    assert_string_equal(buffer, "");
}

static void test_sprintf_s(void **state)
{
    char buffer[8];
    WCHAR wide[4];
    (void)state;

    assert_int_equal(sprintf_s(buffer, sizeof(buffer), "%d|%s", 42, "ab"), 5);
    assert_string_equal(buffer, "42|ab");
    /* Output plus terminator must fit: 8 characters in 8 is too small. */
    assert_int_equal(sprintf_s(buffer, sizeof(buffer), "%s", "abcdefgh"), -1);
    assert_string_equal(buffer, "");
    assert_int_equal(sprintf_s(buffer, sizeof(buffer), "%s", "abcdefg"), 7);
    assert_int_equal(sprintf_s(NULL, 8, "x"), -1);
    assert_int_equal(sprintf_s(buffer, 0, "x"), -1);
    assert_int_equal(sprintf_s(buffer, sizeof(buffer), NULL), -1);

    assert_int_equal(swprintf_s(wide, 4, L"%d", 123), 3);
    assert_wide_equal(wide, L"123");
    assert_int_equal(swprintf_s(wide, 4, L"%d", 1234), -1);
    assert_int_equal(wide[0], 0);
}

static void test_snprintf_s(void **state)
{
    char buffer[10];
    WCHAR wide[5];
    (void)state;

    /* count < size: truncated to count and terminated, -1. */
    assert_int_equal(_snprintf_s(buffer, 10, 4, "%s", "abcdefgh"), -1);
    assert_string_equal(buffer, "abcd");
    assert_int_equal(_snprintf_s(buffer, 10, 4, "%s", "abc"), 3);
    assert_string_equal(buffer, "abc");
    /* _TRUNCATE: as much as fits. */
    assert_int_equal(_snprintf_s(buffer, 5, _TRUNCATE, "%s", "abcdefgh"), -1);
    assert_string_equal(buffer, "abcd");
    assert_int_equal(_snprintf_s(buffer, 5, _TRUNCATE, "%s", "abcd"), 4);
    assert_string_equal(buffer, "abcd");
    /* count >= size and the output does not fit: emptied, -1. */
    assert_int_equal(_snprintf_s(buffer, 5, 9, "%s", "abcdefgh"), -1);
    assert_string_equal(buffer, "");
    assert_int_equal(_snprintf_s(buffer, 10, 9, "%s", "abcdefgh"), 8);
    assert_string_equal(buffer, "abcdefgh");
    /* Invalid parameters. */
    assert_int_equal(_snprintf_s(NULL, 10, 4, "x"), -1);
    assert_int_equal(_snprintf_s(buffer, 0, 4, "x"), -1);
    assert_int_equal(_snprintf_s(buffer, 10, 0, "x"), -1);

    assert_int_equal(_snwprintf_s(wide, 5, _TRUNCATE, L"%s", L"abcdef"), -1);
    assert_wide_equal(wide, L"abcd");
    assert_int_equal(_snwprintf_s(wide, 5, 2, L"%d", 123), -1);
    assert_wide_equal(wide, L"12");
    assert_int_equal(_snwprintf_s(wide, 5, 5, L"%d", 12345), -1);
    assert_int_equal(wide[0], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wcslen_family),
        cmocka_unit_test(test_wcsncpy_pads_with_nul),
        cmocka_unit_test(test_wcscmp_family),
        cmocka_unit_test(test_wcs_search),
        cmocka_unit_test(test_case_conversion),
        cmocka_unit_test(test_classification),
        cmocka_unit_test(test_wmem),
        cmocka_unit_test(test_wcstoul),
        cmocka_unit_test(test_wcstol),
        cmocka_unit_test(test_strncpy_s_documented_examples),
        cmocka_unit_test(test_strcpy_s_and_strcat_s),
        cmocka_unit_test(test_memcpy_s_and_memmove_s),
        cmocka_unit_test(test_narrow_helpers),
        cmocka_unit_test(test_snwprintf_truncation),
        cmocka_unit_test(test_snprintf_truncation),
        cmocka_unit_test(test_vsnwprintf),
        cmocka_unit_test(test_printf_counted_strings),
        cmocka_unit_test(test_printf_string_kinds),
        cmocka_unit_test(test_printf_text_conversion),
        cmocka_unit_test(test_printf_precision_never_overreads),
        cmocka_unit_test(test_printf_integer_sizes),
        cmocka_unit_test(test_printf_flags),
        cmocka_unit_test(test_printf_n_writes_nothing),
        cmocka_unit_test(test_printf_invalid_conversion),
        cmocka_unit_test(test_printf_floating_point),
        cmocka_unit_test(test_printf_pointer),
        cmocka_unit_test(test_format_entry_points),
        cmocka_unit_test(test_sprintf_s),
        cmocka_unit_test(test_snprintf_s),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
