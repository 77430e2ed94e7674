/*
 * unicode.c - fltsim Rtl: counted UTF-16 strings (UNICODE_STRING).
 *
 * Owns initialisation, copy, append, comparison, prefix/suffix tests, case
 * conversion, duplication and release of UNICODE_STRINGs, the string/number
 * conversions (RtlUnicodeStringToInteger, RtlIntegerToUnicodeString,
 * RtlInt64ToUnicodeString) with the number parser and formatter they share
 * with ansi.c, RtlHashUnicodeString, and the paged-pool allocator of every
 * Rtl string buffer.  Semantics follow the WDK documentation of each routine.
 */
#include "rtlp.h"

#include <string.h>

/* Largest byte length a UNICODE_STRING built from a C string may carry. */
#define RTLP_MAX_USTRING 0xFFFEu

/* ------------------------------------------------------------------------ */
/* Shared helpers.                                                          */
/* ------------------------------------------------------------------------ */

PVOID RtlpAllocateStringBuffer(SIZE_T NumberOfBytes)
{
    /* A zero-byte request is itself a Verifier violation; never make one. */
    if (NumberOfBytes == 0) {
        NumberOfBytes = sizeof(WCHAR);
    }
    return ExAllocatePoolWithTag(PagedPool, NumberOfBytes, RTLP_STRING_POOL_TAG);
}

VOID RtlpFreeStringBuffer(PVOID Buffer)
{
    /*
     * Untagged free: drivers commonly hand RtlFreeUnicodeString a buffer they
     * allocated themselves under their own tag, which Windows accepts; a
     * buffer that is not pool at all still bugchecks in ExFreePool.
     */
    if (Buffer != NULL) {
        ExFreePool(Buffer);
    }
}

LONG RtlpCompareWide(const WCHAR *String1, SIZE_T Length1, const WCHAR *String2,
                     SIZE_T Length2, BOOLEAN CaseInSensitive)
{
    SIZE_T count = Length1 < Length2 ? Length1 : Length2;
    SIZE_T i;

    for (i = 0; i < count; i++) {
        WCHAR c1 = String1[i];
        WCHAR c2 = String2[i];
        if (c1 != c2 && CaseInSensitive) {
            c1 = RtlpUpcaseChar(c1);
            c2 = RtlpUpcaseChar(c2);
        }
        if (c1 != c2) {
            return (LONG)c1 - (LONG)c2;
        }
    }
    if (Length1 == Length2) {
        return 0;
    }
    return Length1 < Length2 ? -1 : 1;
}

static SIZE_T RtlpWideLength(PCWSTR String)
{
    SIZE_T n = 0;
    while (String[n] != UNICODE_NULL) {
        n++;
    }
    return n;
}

/* Writes a terminator after Length bytes when the buffer has room for one. */
static void RtlpTerminateIfRoom(PUNICODE_STRING String)
{
    if ((ULONG)String->Length + sizeof(WCHAR) <= String->MaximumLength) {
        String->Buffer[String->Length / sizeof(WCHAR)] = UNICODE_NULL;
    }
}

static int RtlpDigitValue(ULONG Char)
{
    if (Char >= '0' && Char <= '9') {
        return (int)(Char - '0');
    }
    if (Char >= 'a' && Char <= 'z') {
        return (int)(Char - 'a') + 10;
    }
    if (Char >= 'A' && Char <= 'Z') {
        return (int)(Char - 'A') + 10;
    }
    return 99;
}

NTSTATUS RtlpParseUlong(const void *Text, SIZE_T Count, BOOLEAN Wide, ULONG Base, PULONG Value)
{
    const WCHAR *wide = (const WCHAR *)Text;
    const UCHAR *narrow = (const UCHAR *)Text;
    SIZE_T i = 0;
    BOOLEAN negative = FALSE;
    ULONG result = 0;

#define RTLP_AT(k) (Wide ? (ULONG)wide[(k)] : (ULONG)narrow[(k)])

    if (Base != 0 && Base != 2 && Base != 8 && Base != 10 && Base != 16) {
        return STATUS_INVALID_PARAMETER;
    }
    while (i < Count && RTLP_AT(i) <= ' ') {
        i++;
    }
    if (i < Count && (RTLP_AT(i) == '+' || RTLP_AT(i) == '-')) {
        negative = (BOOLEAN)(RTLP_AT(i) == '-');
        i++;
    }
    if (Base == 0) {
        Base = 10;
        if (i + 1 < Count && RTLP_AT(i) == '0') {
            ULONG tag = RTLP_AT(i + 1);
            if (tag == 'x') {
                Base = 16;
                i += 2;
            } else if (tag == 'o') {
                Base = 8;
                i += 2;
            } else if (tag == 'b') {
                Base = 2;
                i += 2;
            }
        }
    }
    for (; i < Count; i++) {
        int digit = RtlpDigitValue(RTLP_AT(i));
        if (digit >= (int)Base) {
            break;
        }
        result = result * Base + (ULONG)digit;
    }
#undef RTLP_AT

    *Value = negative ? (ULONG)(0u - result) : result;
    return STATUS_SUCCESS;
}

ULONG RtlpFormatUlong64(ULONGLONG Value, ULONG Base, CHAR Digits[64])
{
    static const char digitChars[] = "0123456789ABCDEF";
    CHAR reversed[64];
    ULONG count = 0;
    ULONG i;

    if (Base == 0) {
        Base = 10;
    }
    if (Base != 2 && Base != 8 && Base != 10 && Base != 16) {
        return 0;
    }
    do {
        reversed[count++] = digitChars[Value % Base];
        Value /= Base;
    } while (Value != 0);
    for (i = 0; i < count; i++) {
        Digits[i] = reversed[count - 1 - i];
    }
    return count;
}

/* ------------------------------------------------------------------------ */
/* Initialisation.                                                          */
/* ------------------------------------------------------------------------ */

VOID RtlInitUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString)
{
    DestinationString->Buffer = (PWCH)SourceString;
    if (SourceString == NULL) {
        DestinationString->Length = 0;
        DestinationString->MaximumLength = 0;
        return;
    }
    SIZE_T bytes = RtlpWideLength(SourceString) * sizeof(WCHAR);
    if (bytes >= RTLP_MAX_USTRING) {
        /* Documented: too long a source is misrepresented, not rejected. */
        DestinationString->Length = (USHORT)(RTLP_MAX_USTRING - sizeof(WCHAR));
        DestinationString->MaximumLength = (USHORT)RTLP_MAX_USTRING;
        return;
    }
    DestinationString->Length = (USHORT)bytes;
    DestinationString->MaximumLength = (USHORT)(bytes + sizeof(WCHAR));
}

NTSTATUS RtlInitUnicodeStringEx(PUNICODE_STRING DestinationString, PCWSTR SourceString)
{
    DestinationString->Length = 0;
    DestinationString->MaximumLength = 0;
    DestinationString->Buffer = (PWCH)SourceString;
    if (SourceString == NULL) {
        return STATUS_SUCCESS;
    }
    SIZE_T bytes = RtlpWideLength(SourceString) * sizeof(WCHAR);
    if (bytes >= RTLP_MAX_USTRING) {
        return STATUS_NAME_TOO_LONG;
    }
    DestinationString->Length = (USHORT)bytes;
    DestinationString->MaximumLength = (USHORT)(bytes + sizeof(WCHAR));
    return STATUS_SUCCESS;
}

BOOLEAN RtlCreateUnicodeString(PUNICODE_STRING DestinationString, PCWSTR SourceString)
{
    RTLP_PAGED_CODE();

    SIZE_T size = (RtlpWideLength(SourceString) + 1) * sizeof(WCHAR);
    if (size > MAXUSHORT) {
        return FALSE;
    }
    PWCH buffer = (PWCH)RtlpAllocateStringBuffer(size);
    if (buffer == NULL) {
        return FALSE;
    }
    memcpy(buffer, SourceString, size);
    DestinationString->Buffer = buffer;
    DestinationString->Length = (USHORT)(size - sizeof(WCHAR));
    DestinationString->MaximumLength = (USHORT)size;
    return TRUE;
}

VOID RtlFreeUnicodeString(PUNICODE_STRING UnicodeString)
{
    RTLP_PAGED_CODE();

    RtlpFreeStringBuffer(UnicodeString->Buffer);
    UnicodeString->Buffer = NULL;
    UnicodeString->Length = 0;
    UnicodeString->MaximumLength = 0;
}

NTSTATUS RtlDuplicateUnicodeString(ULONG Flags, PCUNICODE_STRING StringIn, PUNICODE_STRING StringOut)
{
    const ULONG validFlags = RTL_DUPLICATE_UNICODE_STRING_NULL_TERMINATE |
                             RTL_DUPLICATE_UNICODE_STRING_ALLOCATE_NULL_STRING;

    RTLP_PAGED_CODE();

    if ((Flags & ~validFlags) != 0 || StringIn == NULL || StringOut == NULL) {
        return STATUS_INVALID_PARAMETER;
    }
    if ((StringIn->Length % sizeof(WCHAR)) != 0 ||
        StringIn->Length > StringIn->MaximumLength ||
        (StringIn->Length != 0 && StringIn->Buffer == NULL)) {
        return STATUS_INVALID_PARAMETER;
    }
    if (StringIn->Length == 0 && (Flags & RTL_DUPLICATE_UNICODE_STRING_ALLOCATE_NULL_STRING) == 0) {
        StringOut->Length = 0;
        StringOut->MaximumLength = 0;
        StringOut->Buffer = NULL;
        return STATUS_SUCCESS;
    }

    SIZE_T size = StringIn->Length;
    if ((Flags & RTL_DUPLICATE_UNICODE_STRING_NULL_TERMINATE) != 0 || size == 0) {
        /* A requested terminator, or the one-character empty string. */
        size += sizeof(WCHAR);
    }
    if (size > MAXUSHORT) {
        return STATUS_NAME_TOO_LONG;
    }
    PWCH buffer = (PWCH)RtlpAllocateStringBuffer(size);
    if (buffer == NULL) {
        return STATUS_NO_MEMORY;
    }
    if (StringIn->Length != 0) {
        memcpy(buffer, StringIn->Buffer, StringIn->Length);
    }
    if (size > StringIn->Length) {
        buffer[StringIn->Length / sizeof(WCHAR)] = UNICODE_NULL;
    }
    StringOut->Buffer = buffer;
    StringOut->Length = StringIn->Length;
    StringOut->MaximumLength = (USHORT)size;
    return STATUS_SUCCESS;
}

/* ------------------------------------------------------------------------ */
/* Copy and append.                                                         */
/* ------------------------------------------------------------------------ */

VOID RtlCopyUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString)
{
    if (SourceString == NULL) {
        DestinationString->Length = 0;
        return;
    }
    USHORT bytes = SourceString->Length;
    if (bytes > DestinationString->MaximumLength) {
        bytes = DestinationString->MaximumLength;
    }
    if (bytes != 0) {
        memmove(DestinationString->Buffer, SourceString->Buffer, bytes);
    }
    DestinationString->Length = bytes;
    RtlpTerminateIfRoom(DestinationString);
}

NTSTATUS RtlAppendUnicodeToString(PUNICODE_STRING Destination, PCWSTR Source)
{
    if (Source == NULL) {
        return STATUS_SUCCESS;
    }
    SIZE_T bytes = RtlpWideLength(Source) * sizeof(WCHAR);
    if ((SIZE_T)Destination->Length + bytes > Destination->MaximumLength) {
        return STATUS_BUFFER_TOO_SMALL;
    }
    if (bytes != 0) {
        memmove((PUCHAR)Destination->Buffer + Destination->Length, Source, bytes);
    }
    Destination->Length = (USHORT)(Destination->Length + bytes);
    RtlpTerminateIfRoom(Destination);
    return STATUS_SUCCESS;
}

NTSTATUS RtlAppendUnicodeStringToString(PUNICODE_STRING Destination, PCUNICODE_STRING Source)
{
    USHORT bytes = Source->Length;

    if (bytes == 0) {
        return STATUS_SUCCESS;
    }
    if ((ULONG)Destination->Length + bytes > Destination->MaximumLength) {
        return STATUS_BUFFER_TOO_SMALL;
    }
    memmove((PUCHAR)Destination->Buffer + Destination->Length, Source->Buffer, bytes);
    Destination->Length = (USHORT)(Destination->Length + bytes);
    RtlpTerminateIfRoom(Destination);
    return STATUS_SUCCESS;
}

/* ------------------------------------------------------------------------ */
/* Comparison.                                                              */
/* ------------------------------------------------------------------------ */

LONG RtlCompareUnicodeStrings(PCWCH String1, SIZE_T String1Length, PCWCH String2,
                              SIZE_T String2Length, BOOLEAN CaseInSensitive)
{
    RTLP_PAGED_CODE();

    return RtlpCompareWide(String1, String1Length, String2, String2Length, CaseInSensitive);
}

LONG RtlCompareUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                             BOOLEAN CaseInSensitive)
{
    RTLP_PAGED_CODE();

    return RtlpCompareWide(String1->Buffer, String1->Length / sizeof(WCHAR), String2->Buffer,
                           String2->Length / sizeof(WCHAR), CaseInSensitive);
}

BOOLEAN RtlEqualUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                              BOOLEAN CaseInSensitive)
{
    RTLP_PAGED_CODE();

    if (String1->Length != String2->Length) {
        return FALSE;
    }
    return (BOOLEAN)(RtlpCompareWide(String1->Buffer, String1->Length / sizeof(WCHAR),
                                     String2->Buffer, String2->Length / sizeof(WCHAR),
                                     CaseInSensitive) == 0);
}

BOOLEAN RtlPrefixUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                               BOOLEAN CaseInSensitive)
{
    RTLP_PAGED_CODE();

    if (String1->Length > String2->Length) {
        return FALSE;
    }
    SIZE_T count = String1->Length / sizeof(WCHAR);
    return (BOOLEAN)(RtlpCompareWide(String1->Buffer, count, String2->Buffer, count,
                                     CaseInSensitive) == 0);
}

BOOLEAN RtlSuffixUnicodeString(PCUNICODE_STRING String1, PCUNICODE_STRING String2,
                               BOOLEAN CaseInSensitive)
{
    RTLP_PAGED_CODE();

    if (String1->Length > String2->Length) {
        return FALSE;
    }
    SIZE_T count = String1->Length / sizeof(WCHAR);
    SIZE_T skip = String2->Length / sizeof(WCHAR) - count;
    return (BOOLEAN)(RtlpCompareWide(String1->Buffer, count, String2->Buffer + skip, count,
                                     CaseInSensitive) == 0);
}

/* ------------------------------------------------------------------------ */
/* Case.                                                                    */
/* ------------------------------------------------------------------------ */

WCHAR RtlUpcaseUnicodeChar(WCHAR SourceCharacter)
{
    return RtlpUpcaseChar(SourceCharacter);
}

WCHAR RtlDowncaseUnicodeChar(WCHAR SourceCharacter)
{
    return RtlpDowncaseChar(SourceCharacter);
}

static NTSTATUS RtlpConvertCase(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString,
                                BOOLEAN AllocateDestinationString, BOOLEAN Upcase)
{
    USHORT bytes = SourceString->Length;
    SIZE_T count = bytes / sizeof(WCHAR);
    SIZE_T i;

    if (AllocateDestinationString) {
        PWCH buffer = (PWCH)RtlpAllocateStringBuffer(bytes);
        if (buffer == NULL) {
            return STATUS_NO_MEMORY;
        }
        DestinationString->Buffer = buffer;
        DestinationString->MaximumLength = bytes;
    } else if (bytes > DestinationString->MaximumLength) {
        return STATUS_BUFFER_OVERFLOW;
    }
    /* Character by character, so Destination may be Source (in place). */
    for (i = 0; i < count; i++) {
        WCHAR c = SourceString->Buffer[i];
        DestinationString->Buffer[i] = Upcase ? RtlpUpcaseChar(c) : RtlpDowncaseChar(c);
    }
    DestinationString->Length = (USHORT)(count * sizeof(WCHAR));
    return STATUS_SUCCESS;
}

NTSTATUS RtlUpcaseUnicodeString(PUNICODE_STRING DestinationString, PCUNICODE_STRING SourceString,
                                BOOLEAN AllocateDestinationString)
{
    RTLP_PAGED_CODE();

    return RtlpConvertCase(DestinationString, SourceString, AllocateDestinationString, TRUE);
}

NTSTATUS RtlDowncaseUnicodeString(PUNICODE_STRING DestinationString,
                                  PCUNICODE_STRING SourceString,
                                  BOOLEAN AllocateDestinationString)
{
    RTLP_PAGED_CODE();

    return RtlpConvertCase(DestinationString, SourceString, AllocateDestinationString, FALSE);
}

/* ------------------------------------------------------------------------ */
/* Numbers.                                                                 */
/* ------------------------------------------------------------------------ */

NTSTATUS RtlUnicodeStringToInteger(PCUNICODE_STRING String, ULONG Base, PULONG Value)
{
    RTLP_PAGED_CODE();

    if (String->Length < sizeof(WCHAR)) {
        /* Documented: an empty string fails. */
        return STATUS_INVALID_PARAMETER;
    }
    return RtlpParseUlong(String->Buffer, String->Length / sizeof(WCHAR), TRUE, Base, Value);
}

/*
 * The result must fit with its terminator (as RtlAnsiStringToUnicodeString,
 * which Windows builds these on, requires); STATUS_BUFFER_OVERFLOW otherwise.
 */
static NTSTATUS RtlpNumberToUnicodeString(ULONGLONG Value, ULONG Base, PUNICODE_STRING String)
{
    CHAR digits[64];
    ULONG count = RtlpFormatUlong64(Value, Base, digits);
    ULONG i;

    if (count == 0) {
        return STATUS_INVALID_PARAMETER;
    }
    if ((count + 1) * sizeof(WCHAR) > String->MaximumLength) {
        return STATUS_BUFFER_OVERFLOW;
    }
    for (i = 0; i < count; i++) {
        String->Buffer[i] = (WCHAR)digits[i];
    }
    String->Buffer[count] = UNICODE_NULL;
    String->Length = (USHORT)(count * sizeof(WCHAR));
    return STATUS_SUCCESS;
}

NTSTATUS RtlIntegerToUnicodeString(ULONG Value, ULONG Base, PUNICODE_STRING String)
{
    RTLP_PAGED_CODE();

    return RtlpNumberToUnicodeString(Value, Base, String);
}

NTSTATUS RtlInt64ToUnicodeString(ULONGLONG Value, ULONG Base, PUNICODE_STRING String)
{
    RTLP_PAGED_CODE();

    return RtlpNumberToUnicodeString(Value, Base, String);
}

/* ------------------------------------------------------------------------ */
/* Hashing.                                                                 */
/* ------------------------------------------------------------------------ */

NTSTATUS RtlHashUnicodeString(PCUNICODE_STRING String, BOOLEAN CaseInSensitive,
                              ULONG HashAlgorithm, PULONG HashValue)
{
    SIZE_T count;
    SIZE_T i;
    ULONG hash = 0;

    RTLP_PAGED_CODE();

    if (String == NULL || HashValue == NULL) {
        return STATUS_INVALID_PARAMETER;
    }
    if (HashAlgorithm != HASH_STRING_ALGORITHM_DEFAULT &&
        HashAlgorithm != HASH_STRING_ALGORITHM_X65599) {
        return STATUS_INVALID_PARAMETER;
    }
    /* x65599 (the documented default): hash = hash * 65599 + character. */
    count = String->Length / sizeof(WCHAR);
    for (i = 0; i < count; i++) {
        WCHAR c = String->Buffer[i];
        if (CaseInSensitive) {
            c = RtlpUpcaseChar(c);
        }
        hash = hash * 65599u + c;
    }
    *HashValue = hash;
    return STATUS_SUCCESS;
}
