/*
 * rtlp.h - fltsim: private interfaces of the run-time library (sim/rtl).
 *
 * Owns what the files of sim/rtl share and what other kernel components may
 * use without it being a public DDI: the pool tag and allocator of Rtl
 * string buffers, the system ANSI code page (Windows-1252) conversions, the
 * character case mapping every component must agree on, and the number
 * parser behind RtlUnicodeStringToInteger / RtlCharToInteger.  The public
 * Rtl routines themselves are declared by wdm.h, ntddk.h and ntifs.h.
 */
#ifndef FSIM_RTLP_H
#define FSIM_RTLP_H

#include <ntifs.h>
#include <fsim_crt.h>
#include <fsim_kernel.h>

/*
 * Rtl string buffers (RtlCreateUnicodeString, RtlDuplicateUnicodeString,
 * RtlAnsiStringToUnicodeString, RtlUpcaseUnicodeString(..., TRUE), ...) come
 * from paged pool with this tag and are released by RtlFreeUnicodeString /
 * RtlFreeAnsiString.
 */
#define RTLP_STRING_POOL_TAG 'GrtS'

/*
 * The IRQL contract of the pageable Rtl routines (those documented for
 * PASSIVE_LEVEL or IRQL <= APC_LEVEL).  On Windows they live in pageable
 * code, so what actually breaks is a call at DISPATCH_LEVEL or above; the
 * check enforces that (not the stricter PASSIVE_LEVEL of some pages, which
 * Windows itself does not enforce) and names the Rtl routine in the report,
 * where PAGED_CODE() would name a line of sim/rtl.
 */
#define RTLP_PAGED_CODE() KiRequireIrql(APC_LEVEL, __func__)

/* Paged pool of at least NumberOfBytes (never a zero-byte request); NULL on failure. */
PVOID RtlpAllocateStringBuffer(SIZE_T NumberOfBytes);
/* Releases a string buffer (any pool tag, see unicode.c); NULL is ignored. */
VOID RtlpFreeStringBuffer(PVOID Buffer);

/*
 * Case mapping: the CRT's towupper/towlower tables, so that the Rtl routines,
 * FsRtl name matching, the object manager and the file systems agree on what
 * "case-insensitive" means.
 */
static inline WCHAR RtlpUpcaseChar(WCHAR Char)
{
    return (WCHAR)FsimCrt_towupper((FSIM_WINT)Char);
}
static inline WCHAR RtlpDowncaseChar(WCHAR Char)
{
    return (WCHAR)FsimCrt_towlower((FSIM_WINT)Char);
}

/*
 * Compares two counted UTF-16 strings (lengths in characters), optionally
 * through RtlpUpcaseChar.  Returns the difference of the first unequal pair
 * of characters, else the difference of the lengths (negative, 0, positive).
 */
LONG RtlpCompareWide(const WCHAR *String1, SIZE_T Length1, const WCHAR *String2,
                     SIZE_T Length2, BOOLEAN CaseInSensitive);

/*
 * The system ANSI code page: Windows-1252 (the en-US default), a single-byte
 * code page, so an ANSI string has one byte per UTF-16 unit.  Bytes 0x81,
 * 0x8D, 0x8F, 0x90 and 0x9D (undefined in 1252) map to U+0081.. as Windows
 * maps them; a UTF-16 unit without a 1252 byte becomes '?' (the code page's
 * default character; no best-fit mapping is modelled).
 */
#define RTLP_ANSI_DEFAULT_CHAR '?'
WCHAR RtlpAnsiCharToUnicodeChar(UCHAR Char);
UCHAR RtlpUnicodeCharToAnsiChar(WCHAR Char);

/*
 * The number syntax of RtlUnicodeStringToInteger and RtlCharToInteger:
 * [white space] [+|-] [0x|0o|0b when Base is 0] digits; white space is any
 * unit <= L' '; digits stop at the first character that is not a digit of
 * the base; overflow wraps modulo 2^32; a '-' negates.  Text holds Count
 * units, narrow (bytes) when Wide is FALSE.  Base must be 0, 2, 8, 10 or 16
 * (else STATUS_INVALID_PARAMETER).  No digits gives 0 and STATUS_SUCCESS.
 */
NTSTATUS RtlpParseUlong(const void *Text, SIZE_T Count, BOOLEAN Wide, ULONG Base, PULONG Value);

/*
 * Writes Value in Base (0 means 10; 2, 8, 10, 16; hex digits uppercase) into
 * Digits (at least 64 units), most significant first, no terminator.
 * Returns the number of digits, or 0 for an invalid base.
 */
ULONG RtlpFormatUlong64(ULONGLONG Value, ULONG Base, CHAR Digits[64]);

/* The version the simulated system reports (Windows 10 2004, build 19041). */
#define RTLP_OS_MAJOR_VERSION 10
#define RTLP_OS_MINOR_VERSION 0
#define RTLP_OS_BUILD_NUMBER 19041
#define RTLP_OS_NTDDI_VERSION 0x0A000008 /* NTDDI_WIN10_VB */

#endif /* FSIM_RTLP_H */
