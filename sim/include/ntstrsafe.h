/*
 * ntstrsafe.h - fltsim: the kernel's safe string functions (RtlString*, RtlUnicodeString*).
 *
 * Owns the declarations, types and flags of the WDK's ntstrsafe.h: the
 * RtlStringCch* / RtlStringCb* families (Copy, CopyN, Cat, CatN, Printf,
 * VPrintf, their Ex forms, Length) in W and A versions, the conversions
 * between UNICODE_STRING and terminated strings (RtlStringCbCopyUnicodeString
 * ...), and the RtlUnicodeString* routines (Init, Validate, Copy,
 * CopyString, Cat, CatString, Printf, VPrintf and their Ex forms).  They are
 * real functions exported by the simulator (sim/rtl/strsafe.c), not header
 * inlines.  Printf routines use the kernel CRT's Microsoft printf semantics
 * (%wZ, %ws, %I64x, %s wide in the W forms, ...).
 *
 * NTSTRSAFE_NO_CCH_FUNCTIONS, NTSTRSAFE_NO_CB_FUNCTIONS and
 * NTSTRSAFE_NO_UNICODE_STRING_FUNCTIONS hide the matching declarations as in
 * the WDK.  The deprecation of strcpy/wcscat/... that the WDK header can
 * apply is not reproduced.  Written from Microsoft's documentation of each
 * routine.
 */
#ifndef _NTSTRSAFE_H_INCLUDED_
#define _NTSTRSAFE_H_INCLUDED_

#include <stdarg.h>
#include <ntdef.h>
#include <ntstatus.h>
#include <fsim_crt.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Types, limits and flags.                                                 */
/* ------------------------------------------------------------------------ */
typedef char *NTSTRSAFE_PSTR;
typedef const char *NTSTRSAFE_PCSTR;
typedef WCHAR *NTSTRSAFE_PWSTR;
typedef const WCHAR *NTSTRSAFE_PCWSTR;
typedef const WCHAR *NTSTRSAFE_PCUWSTR;
/* "Possibly not null-terminated" source strings (the N forms, Length). */
typedef const char *STRSAFE_PCNZCH;
typedef const WCHAR *STRSAFE_PCNZWCH;
typedef const WCHAR *STRSAFE_PCUNZWCH;

#define NTSTRSAFEDDI NTSTATUS NTAPI

/* Largest buffer, in characters, any of these routines accepts. */
#define NTSTRSAFE_MAX_CCH 2147483647
/* Largest UNICODE_STRING buffer, in characters: 0xFFFF / sizeof(WCHAR). */
#define NTSTRSAFE_UNICODE_STRING_MAX_CCH (0xffff / sizeof(wchar_t))

/* dwFlags of the Ex routines; the low byte is a fill pattern. */
#define STRSAFE_IGNORE_NULLS 0x00000100
#define STRSAFE_FILL_BEHIND_NULL 0x00000200
#define STRSAFE_FILL_ON_FAILURE 0x00000400
#define STRSAFE_NULL_ON_FAILURE 0x00000800
#define STRSAFE_NO_TRUNCATION 0x00001000
#define STRSAFE_IGNORE_NULL_UNICODE_STRINGS 0x00010000
#define STRSAFE_UNICODE_STRING_DEST_NULL_TERMINATED 0x00020000
#define STRSAFE_VALID_FLAGS                                                          \
    (0x000000FF | STRSAFE_IGNORE_NULLS | STRSAFE_FILL_BEHIND_NULL |                  \
     STRSAFE_FILL_ON_FAILURE | STRSAFE_NULL_ON_FAILURE | STRSAFE_NO_TRUNCATION)
#define STRSAFE_UNICODE_STRING_VALID_FLAGS                                           \
    (STRSAFE_VALID_FLAGS | STRSAFE_IGNORE_NULL_UNICODE_STRINGS |                     \
     STRSAFE_UNICODE_STRING_DEST_NULL_TERMINATED)
/* The UNICODE_STRING routines' names for two of the flags. */
#define STRSAFE_FILL_BEHIND STRSAFE_FILL_BEHIND_NULL
#define STRSAFE_ZERO_LENGTH_ON_FAILURE STRSAFE_NULL_ON_FAILURE

#define STRSAFE_FILL_BYTE(x) ((DWORD)(((x) & 0x000000FF) | STRSAFE_FILL_BEHIND_NULL))
#define STRSAFE_FAILURE_BYTE(x) ((DWORD)(((x) & 0x000000FF) | STRSAFE_FILL_ON_FAILURE))
#define STRSAFE_GET_FILL_PATTERN(dwFlags) ((int)((dwFlags) & 0x000000FF))

/* ------------------------------------------------------------------------ */
/* Character-counted routines.                                              */
/* ------------------------------------------------------------------------ */
#ifndef NTSTRSAFE_NO_CCH_FUNCTIONS
NTSTRSAFEDDI RtlStringCchCopyW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, NTSTRSAFE_PCWSTR pszSrc);
NTSTRSAFEDDI RtlStringCchCopyA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PCSTR pszSrc);
NTSTRSAFEDDI RtlStringCchCopyExW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, NTSTRSAFE_PCWSTR pszSrc,
                                 NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcchRemaining,
                                 DWORD dwFlags);
NTSTRSAFEDDI RtlStringCchCopyExA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PCSTR pszSrc,
                                 NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcchRemaining,
                                 DWORD dwFlags);
NTSTRSAFEDDI RtlStringCchCopyNW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, STRSAFE_PCNZWCH pszSrc,
                                size_t cchToCopy);
NTSTRSAFEDDI RtlStringCchCopyNA(NTSTRSAFE_PSTR pszDest, size_t cchDest, STRSAFE_PCNZCH pszSrc,
                                size_t cchToCopy);
NTSTRSAFEDDI RtlStringCchCopyNExW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, STRSAFE_PCNZWCH pszSrc,
                                  size_t cchToCopy, NTSTRSAFE_PWSTR *ppszDestEnd,
                                  size_t *pcchRemaining, DWORD dwFlags);
NTSTRSAFEDDI RtlStringCchCopyNExA(NTSTRSAFE_PSTR pszDest, size_t cchDest, STRSAFE_PCNZCH pszSrc,
                                  size_t cchToCopy, NTSTRSAFE_PSTR *ppszDestEnd,
                                  size_t *pcchRemaining, DWORD dwFlags);
NTSTRSAFEDDI RtlStringCchCatW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, NTSTRSAFE_PCWSTR pszSrc);
NTSTRSAFEDDI RtlStringCchCatA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PCSTR pszSrc);
NTSTRSAFEDDI RtlStringCchCatExW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, NTSTRSAFE_PCWSTR pszSrc,
                                NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcchRemaining,
                                DWORD dwFlags);
NTSTRSAFEDDI RtlStringCchCatExA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PCSTR pszSrc,
                                NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcchRemaining,
                                DWORD dwFlags);
NTSTRSAFEDDI RtlStringCchCatNW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, STRSAFE_PCNZWCH pszSrc,
                               size_t cchToAppend);
NTSTRSAFEDDI RtlStringCchCatNA(NTSTRSAFE_PSTR pszDest, size_t cchDest, STRSAFE_PCNZCH pszSrc,
                               size_t cchToAppend);
NTSTRSAFEDDI RtlStringCchCatNExW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, STRSAFE_PCNZWCH pszSrc,
                                 size_t cchToAppend, NTSTRSAFE_PWSTR *ppszDestEnd,
                                 size_t *pcchRemaining, DWORD dwFlags);
NTSTRSAFEDDI RtlStringCchCatNExA(NTSTRSAFE_PSTR pszDest, size_t cchDest, STRSAFE_PCNZCH pszSrc,
                                 size_t cchToAppend, NTSTRSAFE_PSTR *ppszDestEnd,
                                 size_t *pcchRemaining, DWORD dwFlags);
NTSTRSAFEDDI RtlStringCchPrintfW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, NTSTRSAFE_PCWSTR pszFormat,
                                 ...);
NTSTRSAFEDDI RtlStringCchPrintfA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PCSTR pszFormat,
                                 ...);
NTSTRSAFEDDI RtlStringCchPrintfExW(NTSTRSAFE_PWSTR pszDest, size_t cchDest,
                                   NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcchRemaining,
                                   DWORD dwFlags, NTSTRSAFE_PCWSTR pszFormat, ...);
NTSTRSAFEDDI RtlStringCchPrintfExA(NTSTRSAFE_PSTR pszDest, size_t cchDest,
                                   NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcchRemaining,
                                   DWORD dwFlags, NTSTRSAFE_PCSTR pszFormat, ...);
NTSTRSAFEDDI RtlStringCchVPrintfW(NTSTRSAFE_PWSTR pszDest, size_t cchDest,
                                  NTSTRSAFE_PCWSTR pszFormat, va_list argList);
NTSTRSAFEDDI RtlStringCchVPrintfA(NTSTRSAFE_PSTR pszDest, size_t cchDest,
                                  NTSTRSAFE_PCSTR pszFormat, va_list argList);
NTSTRSAFEDDI RtlStringCchVPrintfExW(NTSTRSAFE_PWSTR pszDest, size_t cchDest,
                                    NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcchRemaining,
                                    DWORD dwFlags, NTSTRSAFE_PCWSTR pszFormat, va_list argList);
NTSTRSAFEDDI RtlStringCchVPrintfExA(NTSTRSAFE_PSTR pszDest, size_t cchDest,
                                    NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcchRemaining,
                                    DWORD dwFlags, NTSTRSAFE_PCSTR pszFormat, va_list argList);
NTSTRSAFEDDI RtlStringCchLengthW(STRSAFE_PCNZWCH psz, size_t cchMax, size_t *pcchLength);
NTSTRSAFEDDI RtlStringCchLengthA(STRSAFE_PCNZCH psz, size_t cchMax, size_t *pcchLength);
#endif /* NTSTRSAFE_NO_CCH_FUNCTIONS */

/* ------------------------------------------------------------------------ */
/* Byte-counted routines.                                                   */
/* ------------------------------------------------------------------------ */
#ifndef NTSTRSAFE_NO_CB_FUNCTIONS
NTSTRSAFEDDI RtlStringCbCopyW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PCWSTR pszSrc);
NTSTRSAFEDDI RtlStringCbCopyA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PCSTR pszSrc);
NTSTRSAFEDDI RtlStringCbCopyExW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PCWSTR pszSrc,
                                NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcbRemaining,
                                DWORD dwFlags);
NTSTRSAFEDDI RtlStringCbCopyExA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PCSTR pszSrc,
                                NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcbRemaining,
                                DWORD dwFlags);
NTSTRSAFEDDI RtlStringCbCopyNW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, STRSAFE_PCNZWCH pszSrc,
                               size_t cbToCopy);
NTSTRSAFEDDI RtlStringCbCopyNA(NTSTRSAFE_PSTR pszDest, size_t cbDest, STRSAFE_PCNZCH pszSrc,
                               size_t cbToCopy);
NTSTRSAFEDDI RtlStringCbCopyNExW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, STRSAFE_PCNZWCH pszSrc,
                                 size_t cbToCopy, NTSTRSAFE_PWSTR *ppszDestEnd,
                                 size_t *pcbRemaining, DWORD dwFlags);
NTSTRSAFEDDI RtlStringCbCopyNExA(NTSTRSAFE_PSTR pszDest, size_t cbDest, STRSAFE_PCNZCH pszSrc,
                                 size_t cbToCopy, NTSTRSAFE_PSTR *ppszDestEnd,
                                 size_t *pcbRemaining, DWORD dwFlags);
NTSTRSAFEDDI RtlStringCbCatW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PCWSTR pszSrc);
NTSTRSAFEDDI RtlStringCbCatA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PCSTR pszSrc);
NTSTRSAFEDDI RtlStringCbCatExW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PCWSTR pszSrc,
                               NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcbRemaining,
                               DWORD dwFlags);
NTSTRSAFEDDI RtlStringCbCatExA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PCSTR pszSrc,
                               NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcbRemaining,
                               DWORD dwFlags);
NTSTRSAFEDDI RtlStringCbCatNW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, STRSAFE_PCNZWCH pszSrc,
                              size_t cbToAppend);
NTSTRSAFEDDI RtlStringCbCatNA(NTSTRSAFE_PSTR pszDest, size_t cbDest, STRSAFE_PCNZCH pszSrc,
                              size_t cbToAppend);
NTSTRSAFEDDI RtlStringCbCatNExW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, STRSAFE_PCNZWCH pszSrc,
                                size_t cbToAppend, NTSTRSAFE_PWSTR *ppszDestEnd,
                                size_t *pcbRemaining, DWORD dwFlags);
NTSTRSAFEDDI RtlStringCbCatNExA(NTSTRSAFE_PSTR pszDest, size_t cbDest, STRSAFE_PCNZCH pszSrc,
                                size_t cbToAppend, NTSTRSAFE_PSTR *ppszDestEnd,
                                size_t *pcbRemaining, DWORD dwFlags);
NTSTRSAFEDDI RtlStringCbPrintfW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PCWSTR pszFormat,
                                ...);
NTSTRSAFEDDI RtlStringCbPrintfA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PCSTR pszFormat,
                                ...);
NTSTRSAFEDDI RtlStringCbPrintfExW(NTSTRSAFE_PWSTR pszDest, size_t cbDest,
                                  NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcbRemaining,
                                  DWORD dwFlags, NTSTRSAFE_PCWSTR pszFormat, ...);
NTSTRSAFEDDI RtlStringCbPrintfExA(NTSTRSAFE_PSTR pszDest, size_t cbDest,
                                  NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcbRemaining,
                                  DWORD dwFlags, NTSTRSAFE_PCSTR pszFormat, ...);
NTSTRSAFEDDI RtlStringCbVPrintfW(NTSTRSAFE_PWSTR pszDest, size_t cbDest,
                                 NTSTRSAFE_PCWSTR pszFormat, va_list argList);
NTSTRSAFEDDI RtlStringCbVPrintfA(NTSTRSAFE_PSTR pszDest, size_t cbDest,
                                 NTSTRSAFE_PCSTR pszFormat, va_list argList);
NTSTRSAFEDDI RtlStringCbVPrintfExW(NTSTRSAFE_PWSTR pszDest, size_t cbDest,
                                   NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcbRemaining,
                                   DWORD dwFlags, NTSTRSAFE_PCWSTR pszFormat, va_list argList);
NTSTRSAFEDDI RtlStringCbVPrintfExA(NTSTRSAFE_PSTR pszDest, size_t cbDest,
                                   NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcbRemaining,
                                   DWORD dwFlags, NTSTRSAFE_PCSTR pszFormat, va_list argList);
NTSTRSAFEDDI RtlStringCbLengthW(STRSAFE_PCNZWCH psz, size_t cbMax, size_t *pcbLength);
NTSTRSAFEDDI RtlStringCbLengthA(STRSAFE_PCNZCH psz, size_t cbMax, size_t *pcbLength);
#endif /* NTSTRSAFE_NO_CB_FUNCTIONS */

/* ------------------------------------------------------------------------ */
/* UNICODE_STRING routines.                                                 */
/* ------------------------------------------------------------------------ */
#ifndef NTSTRSAFE_NO_UNICODE_STRING_FUNCTIONS
NTSTRSAFEDDI RtlUnicodeStringInit(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc);
NTSTRSAFEDDI RtlUnicodeStringInitEx(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc,
                                    DWORD dwFlags);
NTSTRSAFEDDI RtlUnicodeStringValidate(PCUNICODE_STRING SourceString);
NTSTRSAFEDDI RtlUnicodeStringValidateEx(PCUNICODE_STRING SourceString, DWORD dwFlags);
NTSTRSAFEDDI RtlUnicodeStringCopy(PUNICODE_STRING DestinationString,
                                  PCUNICODE_STRING SourceString);
NTSTRSAFEDDI RtlUnicodeStringCopyEx(PUNICODE_STRING DestinationString,
                                    PCUNICODE_STRING SourceString,
                                    PUNICODE_STRING RemainingString, DWORD dwFlags);
NTSTRSAFEDDI RtlUnicodeStringCopyString(PUNICODE_STRING DestinationString,
                                        NTSTRSAFE_PCWSTR pszSrc);
NTSTRSAFEDDI RtlUnicodeStringCopyStringEx(PUNICODE_STRING DestinationString,
                                          NTSTRSAFE_PCWSTR pszSrc,
                                          PUNICODE_STRING RemainingString, DWORD dwFlags);
NTSTRSAFEDDI RtlUnicodeStringCat(PUNICODE_STRING DestinationString,
                                 PCUNICODE_STRING SourceString);
NTSTRSAFEDDI RtlUnicodeStringCatEx(PUNICODE_STRING DestinationString,
                                   PCUNICODE_STRING SourceString,
                                   PUNICODE_STRING RemainingString, DWORD dwFlags);
NTSTRSAFEDDI RtlUnicodeStringCatString(PUNICODE_STRING DestinationString,
                                       NTSTRSAFE_PCWSTR pszSrc);
NTSTRSAFEDDI RtlUnicodeStringCatStringEx(PUNICODE_STRING DestinationString,
                                         NTSTRSAFE_PCWSTR pszSrc,
                                         PUNICODE_STRING RemainingString, DWORD dwFlags);
NTSTRSAFEDDI RtlUnicodeStringPrintf(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszFormat,
                                    ...);
NTSTRSAFEDDI RtlUnicodeStringPrintfEx(PUNICODE_STRING DestinationString,
                                      PUNICODE_STRING RemainingString, DWORD dwFlags,
                                      NTSTRSAFE_PCWSTR pszFormat, ...);
NTSTRSAFEDDI RtlUnicodeStringVPrintf(PUNICODE_STRING DestinationString,
                                     NTSTRSAFE_PCWSTR pszFormat, va_list argList);
NTSTRSAFEDDI RtlUnicodeStringVPrintfEx(PUNICODE_STRING DestinationString,
                                       PUNICODE_STRING RemainingString, DWORD dwFlags,
                                       NTSTRSAFE_PCWSTR pszFormat, va_list argList);

/* A UNICODE_STRING to a terminated buffer. */
NTSTRSAFEDDI RtlStringCchCopyUnicodeString(NTSTRSAFE_PWSTR pszDest, size_t cchDest,
                                           PCUNICODE_STRING SourceString);
NTSTRSAFEDDI RtlStringCbCopyUnicodeString(NTSTRSAFE_PWSTR pszDest, size_t cbDest,
                                          PCUNICODE_STRING SourceString);
NTSTRSAFEDDI RtlStringCchCopyUnicodeStringEx(NTSTRSAFE_PWSTR pszDest, size_t cchDest,
                                             PCUNICODE_STRING SourceString,
                                             NTSTRSAFE_PWSTR *ppszDestEnd,
                                             size_t *pcchRemaining, DWORD dwFlags);
NTSTRSAFEDDI RtlStringCbCopyUnicodeStringEx(NTSTRSAFE_PWSTR pszDest, size_t cbDest,
                                            PCUNICODE_STRING SourceString,
                                            NTSTRSAFE_PWSTR *ppszDestEnd,
                                            size_t *pcbRemaining, DWORD dwFlags);
NTSTRSAFEDDI RtlStringCchCatUnicodeString(NTSTRSAFE_PWSTR pszDest, size_t cchDest,
                                          PCUNICODE_STRING SourceString);
NTSTRSAFEDDI RtlStringCbCatUnicodeString(NTSTRSAFE_PWSTR pszDest, size_t cbDest,
                                         PCUNICODE_STRING SourceString);
NTSTRSAFEDDI RtlStringCchCatUnicodeStringEx(NTSTRSAFE_PWSTR pszDest, size_t cchDest,
                                            PCUNICODE_STRING SourceString,
                                            NTSTRSAFE_PWSTR *ppszDestEnd,
                                            size_t *pcchRemaining, DWORD dwFlags);
NTSTRSAFEDDI RtlStringCbCatUnicodeStringEx(NTSTRSAFE_PWSTR pszDest, size_t cbDest,
                                           PCUNICODE_STRING SourceString,
                                           NTSTRSAFE_PWSTR *ppszDestEnd,
                                           size_t *pcbRemaining, DWORD dwFlags);
#endif /* NTSTRSAFE_NO_UNICODE_STRING_FUNCTIONS */

#ifdef __cplusplus
}
#endif

/* Driver builds: each routine records its calling source line (fsim_ddi.h). */
#define FSIM_NTSTRSAFE_END
#ifndef FLTSIM_KERNEL
#include <fsim_ddi_wrap.h>
#endif

#endif /* _NTSTRSAFE_H_INCLUDED_ */
