/*
 * ansi.c - fltsim Rtl: counted 8-bit strings (STRING / ANSI_STRING) and the
 * system ANSI code page.
 *
 * Owns RtlInitString/RtlInitAnsiString (and their Ex forms), copy, compare
 * and upcase of STRINGs, RtlCharToInteger, the conversions between ANSI and
 * UNICODE_STRINGs with their size helpers, RtlFreeAnsiString, and the
 * Windows-1252 tables behind them (see rtlp.h for the code page model).
 */
#include "rtlp.h"

#include <string.h>

/* Largest byte length a STRING built from a C string may carry, plus its NUL. */
#define RTLP_MAX_STRING 0xFFFFu

/* ------------------------------------------------------------------------ */
/* Windows-1252.                                                            */
/* ------------------------------------------------------------------------ */

/* Bytes 0x80-0x9F; the rest of the code page is Latin-1 (byte == code point). */
static const WCHAR RtlpCp1252High[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

WCHAR RtlpAnsiCharToUnicodeChar(UCHAR Char)
{
    if (Char >= 0x80 && Char <= 0x9F) {
        return RtlpCp1252High[Char - 0x80];
    }
    return (WCHAR)Char;
}

UCHAR RtlpUnicodeCharToAnsiChar(WCHAR Char)
{
    ULONG i;

    if (Char < 0x80 || (Char >= 0xA0 && Char <= 0xFF)) {
        return (UCHAR)Char;
    }
    for (i = 0; i < RTL_NUMBER_OF(RtlpCp1252High); i++) {
        if (RtlpCp1252High[i] == Char) {
            return (UCHAR)(0x80 + i);
        }
    }
    return (UCHAR)RTLP_ANSI_DEFAULT_CHAR;
}

/* Upper case of an ANSI character through the Unicode tables; unchanged if unmappable. */
static UCHAR RtlpAnsiUpcase(UCHAR Char)
{
    WCHAR wide = RtlpAnsiCharToUnicodeChar(Char);
    WCHAR upper = RtlpUpcaseChar(wide);

    if (upper == wide) {
        return Char;
    }
    UCHAR result = RtlpUnicodeCharToAnsiChar(upper);
    if (RtlpAnsiCharToUnicodeChar(result) != upper) {
        return Char;
    }
    return result;
}

/* ------------------------------------------------------------------------ */
/* Initialisation and release.                                              */
/* ------------------------------------------------------------------------ */

static BOOLEAN RtlpInitNarrow(PSTRING DestinationString, PCSZ SourceString, BOOLEAN Clamp)
{
    DestinationString->Buffer = (PCHAR)SourceString;
    DestinationString->Length = 0;
    DestinationString->MaximumLength = 0;
    if (SourceString == NULL) {
        return TRUE;
    }
    SIZE_T length = strlen(SourceString);
    if (length >= RTLP_MAX_STRING) {
        if (!Clamp) {
            return FALSE;
        }
        length = RTLP_MAX_STRING - 1;
    }
    DestinationString->Length = (USHORT)length;
    DestinationString->MaximumLength = (USHORT)(length + 1);
    return TRUE;
}

VOID RtlInitString(PSTRING DestinationString, PCSZ SourceString)
{
    (void)RtlpInitNarrow(DestinationString, SourceString, TRUE);
}

VOID RtlInitAnsiString(PANSI_STRING DestinationString, PCSZ SourceString)
{
    (void)RtlpInitNarrow(DestinationString, SourceString, TRUE);
}

NTSTATUS RtlInitStringEx(PSTRING DestinationString, PCSZ SourceString)
{
    return RtlpInitNarrow(DestinationString, SourceString, FALSE) ? STATUS_SUCCESS
                                                                   : STATUS_NAME_TOO_LONG;
}

NTSTATUS RtlInitAnsiStringEx(PANSI_STRING DestinationString, PCSZ SourceString)
{
    return RtlInitStringEx(DestinationString, SourceString);
}

VOID RtlFreeAnsiString(PANSI_STRING AnsiString)
{
    RTLP_PAGED_CODE();

    RtlpFreeStringBuffer(AnsiString->Buffer);
    AnsiString->Buffer = NULL;
    AnsiString->Length = 0;
    AnsiString->MaximumLength = 0;
}

/* ------------------------------------------------------------------------ */
/* Copy, compare, case.                                                     */
/* ------------------------------------------------------------------------ */

VOID RtlCopyString(PSTRING DestinationString, const STRING *SourceString)
{
    if (SourceString == NULL) {
        DestinationString->Length = 0;
        return;
    }
    USHORT length = SourceString->Length;
    if (length > DestinationString->MaximumLength) {
        length = DestinationString->MaximumLength;
    }
    if (length != 0) {
        memmove(DestinationString->Buffer, SourceString->Buffer, length);
    }
    DestinationString->Length = length;
    if (length < DestinationString->MaximumLength) {
        DestinationString->Buffer[length] = ANSI_NULL;
    }
}

CHAR RtlUpperChar(CHAR Character)
{
    RTLP_PAGED_CODE();

    return (CHAR)RtlpAnsiUpcase((UCHAR)Character);
}

VOID RtlUpperString(PSTRING DestinationString, const STRING *SourceString)
{
    USHORT length = SourceString->Length;
    USHORT i;

    RTLP_PAGED_CODE();

    if (length > DestinationString->MaximumLength) {
        length = DestinationString->MaximumLength;
    }
    for (i = 0; i < length; i++) {
        DestinationString->Buffer[i] = (CHAR)RtlpAnsiUpcase((UCHAR)SourceString->Buffer[i]);
    }
    DestinationString->Length = length;
}

static LONG RtlpCompareNarrow(const STRING *String1, const STRING *String2, USHORT Count,
                              BOOLEAN CaseInSensitive)
{
    USHORT i;

    for (i = 0; i < Count; i++) {
        UCHAR c1 = (UCHAR)String1->Buffer[i];
        UCHAR c2 = (UCHAR)String2->Buffer[i];
        if (c1 != c2 && CaseInSensitive) {
            c1 = RtlpAnsiUpcase(c1);
            c2 = RtlpAnsiUpcase(c2);
        }
        if (c1 != c2) {
            return (LONG)c1 - (LONG)c2;
        }
    }
    return 0;
}

LONG RtlCompareString(const STRING *String1, const STRING *String2, BOOLEAN CaseInSensitive)
{
    USHORT count = String1->Length < String2->Length ? String1->Length : String2->Length;
    LONG result;

    RTLP_PAGED_CODE();

    result = RtlpCompareNarrow(String1, String2, count, CaseInSensitive);
    if (result != 0) {
        return result;
    }
    return (LONG)String1->Length - (LONG)String2->Length;
}

BOOLEAN RtlEqualString(const STRING *String1, const STRING *String2, BOOLEAN CaseInSensitive)
{
    RTLP_PAGED_CODE();

    if (String1->Length != String2->Length) {
        return FALSE;
    }
    return (BOOLEAN)(RtlpCompareNarrow(String1, String2, String1->Length, CaseInSensitive) == 0);
}

BOOLEAN RtlPrefixString(const STRING *String1, const STRING *String2, BOOLEAN CaseInSensitive)
{
    RTLP_PAGED_CODE();

    if (String1->Length > String2->Length) {
        return FALSE;
    }
    return (BOOLEAN)(RtlpCompareNarrow(String1, String2, String1->Length, CaseInSensitive) == 0);
}

/* ------------------------------------------------------------------------ */
/* Numbers.                                                                 */
/* ------------------------------------------------------------------------ */

NTSTATUS RtlCharToInteger(PCSZ String, ULONG Base, PULONG Value)
{
    RTLP_PAGED_CODE();

    return RtlpParseUlong(String, strlen(String), FALSE, Base, Value);
}

/* ------------------------------------------------------------------------ */
/* ANSI <-> Unicode.                                                        */
/* ------------------------------------------------------------------------ */

ULONG RtlxUnicodeStringToAnsiSize(PCUNICODE_STRING UnicodeString)
{
    /* Single-byte code page: one byte per UTF-16 unit, plus the terminator. */
    return (ULONG)(UnicodeString->Length / sizeof(WCHAR)) + 1;
}

ULONG RtlxAnsiStringToUnicodeSize(PCANSI_STRING AnsiString)
{
    return ((ULONG)AnsiString->Length + 1) * (ULONG)sizeof(WCHAR);
}

/*
 * When the caller's buffer is too small the conversion is truncated to
 * MaximumLength - 1 characters, terminated, and STATUS_BUFFER_OVERFLOW (a
 * warning, not success) is returned, as Windows does.
 */
NTSTATUS RtlUnicodeStringToAnsiString(PANSI_STRING DestinationString,
                                      PCUNICODE_STRING SourceString,
                                      BOOLEAN AllocateDestinationString)
{
    NTSTATUS status = STATUS_SUCCESS;
    ULONG size;
    ULONG count;
    ULONG i;

    RTLP_PAGED_CODE();

    size = RtlxUnicodeStringToAnsiSize(SourceString);
    if (size > MAXUSHORT) {
        return STATUS_INVALID_PARAMETER_2;
    }
    count = size - 1;
    if (AllocateDestinationString) {
        PCHAR buffer = (PCHAR)RtlpAllocateStringBuffer(size);
        if (buffer == NULL) {
            return STATUS_NO_MEMORY;
        }
        DestinationString->Buffer = buffer;
        DestinationString->MaximumLength = (USHORT)size;
    } else if (count >= DestinationString->MaximumLength) {
        if (DestinationString->MaximumLength == 0) {
            return STATUS_BUFFER_OVERFLOW;
        }
        status = STATUS_BUFFER_OVERFLOW;
        count = DestinationString->MaximumLength - 1u;
    }
    for (i = 0; i < count; i++) {
        DestinationString->Buffer[i] = (CHAR)RtlpUnicodeCharToAnsiChar(SourceString->Buffer[i]);
    }
    DestinationString->Buffer[count] = ANSI_NULL;
    DestinationString->Length = (USHORT)count;
    return status;
}

NTSTATUS RtlAnsiStringToUnicodeString(PUNICODE_STRING DestinationString,
                                      PCANSI_STRING SourceString,
                                      BOOLEAN AllocateDestinationString)
{
    ULONG size;
    ULONG count;
    ULONG i;

    RTLP_PAGED_CODE();

    size = RtlxAnsiStringToUnicodeSize(SourceString);
    if (size > MAXUSHORT) {
        return STATUS_INVALID_PARAMETER_2;
    }
    count = SourceString->Length;
    if (AllocateDestinationString) {
        PWCH buffer = (PWCH)RtlpAllocateStringBuffer(size);
        if (buffer == NULL) {
            return STATUS_NO_MEMORY;
        }
        DestinationString->Buffer = buffer;
        DestinationString->MaximumLength = (USHORT)size;
    } else if (size > DestinationString->MaximumLength) {
        return STATUS_BUFFER_OVERFLOW;
    }
    for (i = 0; i < count; i++) {
        DestinationString->Buffer[i] = RtlpAnsiCharToUnicodeChar((UCHAR)SourceString->Buffer[i]);
    }
    DestinationString->Buffer[count] = UNICODE_NULL;
    DestinationString->Length = (USHORT)(count * sizeof(WCHAR));
    return STATUS_SUCCESS;
}
