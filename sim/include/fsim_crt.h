/*
 * fsim_crt.h - fltsim: the kernel C runtime that driver code sees.
 *
 * Owns the wide-character and Microsoft-flavoured string/printf routines a
 * driver calls (wcslen, _snwprintf, RtlStringCb*'s formatter, the _s family),
 * and the simulator-side entry points of the printf engine behind them.
 *
 * Why renames.  Drivers are built with -fshort-wchar: WCHAR (= wchar_t) is a
 * 16-bit UTF-16 code unit, while glibc's wide functions walk 32-bit units.
 * Every routine below is therefore declared as FsimCrt_<name> and reached
 * through `#define <name> FsimCrt_<name>`, so a call in driver code can never
 * bind to the C library, whether <wchar.h>, <wctype.h>, <string.h> or
 * <stdio.h> is included before or after this header.
 *
 * Include order.  This header includes the host's <wchar.h> and <wctype.h>
 * itself, before defining the renames.  Their include guards then keep a
 * later #include in driver code from re-reading them, so the host's
 * declarations, inline wrappers (glibc's _FORTIFY_SOURCE versions of wcscpy
 * & co, glibc's C23 redirects of wcstol/wcstoul) and inline definitions
 * (macOS defines iswalpha, towupper, ... as static inline functions) all
 * keep the host's names and are never rewritten into FsimCrt_ ones; every
 * use in driver code after this header goes to the FsimCrt_ routines.  The
 * host's other headers (<string.h>, <stdio.h>, <stdlib.h>) declare none of
 * the renamed names, so their order does not matter.  Host wide functions
 * that are not renamed here (swprintf, wprintf, wcstok, mbstowcs, ...) still
 * assume 32-bit units and must not be called from driver code.
 *
 * Types chosen for compatibility with the C library's prototypes:
 *   - towupper/towlower take and return FSIM_WINT (the compiler's
 *     __WINT_TYPE__, i.e. the host's wint_t: unsigned int on glibc, int on
 *     macOS) and the isw* classifiers take FSIM_WINT and return int.  On
 *     Windows wint_t is 16-bit; any WCHAR converts to and from FSIM_WINT
 *     without loss, and values above 0xFFFF are returned unchanged / classify
 *     as false.
 *   - wcstoul returns `unsigned long` and wcstol returns `long` (64-bit on the
 *     host) but compute Windows' 32-bit ULONG / LONG results: the range,
 *     overflow clamping (0xFFFFFFFF, 0x7FFFFFFF, -0x80000000) and negation
 *     are those of 32-bit longs; the value is then widened.  _wtol, which
 *     glibc does not declare, returns LONG.
 *   - errno_t is int.  errno itself is never set (the kernel has none); the
 *     functions return their error codes.
 *
 * Character model: wide characters are UTF-16 code units.  Case mapping and
 * classification cover ASCII, Latin-1 (U+00A0-U+00FF), Latin Extended-A
 * (U+0100-U+017F), modern Greek (U+0386-U+03CE) and basic Cyrillic
 * (U+0400-U+045F) with Unicode's one-to-one simple mappings; characters
 * without a one-to-one mapping (U+00DF, U+00B5, U+0130, U+0131, U+0149,
 * U+017F, U+0138, U+0390, U+03B0, U+03C2) map to themselves, and every
 * character outside those blocks maps to itself and classifies as no letter.
 * iswdigit and iswxdigit accept ASCII digits only; iswspace accepts the
 * Unicode White_Space characters of the BMP.  _wcsicmp & co compare the
 * lowercase forms (towlower), as Microsoft documents.  Number parsing
 * (wcstol, ...) accepts ASCII digits and letters.  Narrow strings are UTF-8
 * bytes; the narrow case functions (_stricmp, _strupr, ...) change ASCII
 * letters only, as Microsoft's "C" locale does.  The comparison routines
 * (wcscmp, _wcsicmp, _stricmp, ...) return -1, 0 or 1; _wcsicmp & co
 * return _NLSCMPERROR for a NULL argument.
 *
 * printf semantics (Microsoft's): see the comment above FsimFormatNarrowV.
 */
#ifndef _FSIM_CRT_H_
#define _FSIM_CRT_H_

#include <stddef.h>
#include <stdarg.h>
#include <ntdef.h>

/* The host's wide-character headers, before the renames (see above). */
#include <wchar.h>
#include <wctype.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Types and constants of the Microsoft CRT.                                */
/* ------------------------------------------------------------------------ */
#ifndef _ERRNO_T_DEFINED
#define _ERRNO_T_DEFINED
typedef int errno_t;
#endif

typedef __WINT_TYPE__ FSIM_WINT;

/* Same values as Windows (and as Linux/macOS for EINVAL and ERANGE). */
#ifndef EINVAL
#define EINVAL 22
#endif
#ifndef ERANGE
#define ERANGE 34
#endif
#ifndef STRUNCATE
#define STRUNCATE 80
#endif
#ifndef _TRUNCATE
#define _TRUNCATE ((size_t)-1)
#endif
#ifndef _NLSCMPERROR
#define _NLSCMPERROR 2147483647
#endif

/* ------------------------------------------------------------------------ */
/* Wide strings (UTF-16 code units).                                        */
/* ------------------------------------------------------------------------ */
size_t FsimCrt_wcslen(const WCHAR *s);
size_t FsimCrt_wcsnlen(const WCHAR *s, size_t maxCount);
WCHAR *FsimCrt_wcscpy(WCHAR *dest, const WCHAR *src);
WCHAR *FsimCrt_wcsncpy(WCHAR *dest, const WCHAR *src, size_t count);
WCHAR *FsimCrt_wcscat(WCHAR *dest, const WCHAR *src);
WCHAR *FsimCrt_wcsncat(WCHAR *dest, const WCHAR *src, size_t count);
int FsimCrt_wcscmp(const WCHAR *a, const WCHAR *b);
int FsimCrt_wcsncmp(const WCHAR *a, const WCHAR *b, size_t count);
int FsimCrt__wcsicmp(const WCHAR *a, const WCHAR *b);
int FsimCrt__wcsnicmp(const WCHAR *a, const WCHAR *b, size_t count);
WCHAR *FsimCrt_wcschr(const WCHAR *s, WCHAR c);
WCHAR *FsimCrt_wcsrchr(const WCHAR *s, WCHAR c);
WCHAR *FsimCrt_wcsstr(const WCHAR *haystack, const WCHAR *needle);
size_t FsimCrt_wcsspn(const WCHAR *s, const WCHAR *accept);
size_t FsimCrt_wcscspn(const WCHAR *s, const WCHAR *reject);
WCHAR *FsimCrt_wcspbrk(const WCHAR *s, const WCHAR *accept);
WCHAR *FsimCrt__wcsupr(WCHAR *s);
WCHAR *FsimCrt__wcslwr(WCHAR *s);
WCHAR *FsimCrt_wmemcpy(WCHAR *dest, const WCHAR *src, size_t count);
WCHAR *FsimCrt_wmemmove(WCHAR *dest, const WCHAR *src, size_t count);
WCHAR *FsimCrt_wmemset(WCHAR *dest, WCHAR c, size_t count);
int FsimCrt_wmemcmp(const WCHAR *a, const WCHAR *b, size_t count);
WCHAR *FsimCrt_wmemchr(const WCHAR *s, WCHAR c, size_t count);

/* Wide characters. */
FSIM_WINT FsimCrt_towupper(FSIM_WINT c);
FSIM_WINT FsimCrt_towlower(FSIM_WINT c);
int FsimCrt_iswalpha(FSIM_WINT c);
int FsimCrt_iswdigit(FSIM_WINT c);
int FsimCrt_iswspace(FSIM_WINT c);
int FsimCrt_iswupper(FSIM_WINT c);
int FsimCrt_iswlower(FSIM_WINT c);
int FsimCrt_iswxdigit(FSIM_WINT c);
int FsimCrt_iswalnum(FSIM_WINT c);

/* Wide string to number (32-bit Windows LONG semantics, see above). */
unsigned long FsimCrt_wcstoul(const WCHAR *nptr, WCHAR **endptr, int base);
long FsimCrt_wcstol(const WCHAR *nptr, WCHAR **endptr, int base);
int FsimCrt__wtoi(const WCHAR *s);
LONG FsimCrt__wtol(const WCHAR *s);
/* 64-bit forms (Microsoft's __int64 names). */
LONGLONG FsimCrt__wcstoi64(const WCHAR *nptr, WCHAR **endptr, int base);
ULONGLONG FsimCrt__wcstoui64(const WCHAR *nptr, WCHAR **endptr, int base);
LONGLONG FsimCrt__wtoi64(const WCHAR *s);

/* ------------------------------------------------------------------------ */
/* Formatted output (Microsoft semantics).                                  */
/*                                                                          */
/* _snprintf/_snwprintf/_vsnprintf/_vsnwprintf: len = formatted length.     */
/*   len < count: stored, NUL appended, returns len;                        */
/*   len == count: stored, no NUL, returns len;                             */
/*   len > count: count chars stored, no NUL, returns -1;                   */
/*   buffer NULL and count 0: returns len; buffer NULL and count != 0, or   */
/*   format NULL: returns -1.                                               */
/* sprintf_s/swprintf_s/vsprintf_s/vswprintf_s: returns len; -1 with the     */
/*   buffer emptied when it is too small (ERANGE) or the format has an      */
/*   invalid conversion (EINVAL); -1 when buffer/format is NULL or size 0.  */
/* _snprintf_s/_snwprintf_s/_vsnprintf_s/_vsnwprintf_s: stores at most      */
/*   count chars plus NUL; count == _TRUNCATE stores what fits; both return */
/*   -1 when output was cut short.  If count >= size and the output plus    */
/*   NUL does not fit, the buffer is emptied and -1 returned (ERANGE).      */
/*   NULL buffer/format, size 0 or count 0 return -1 (EINVAL).              */
/* In all the _s forms an invalid conversion in the format is EINVAL: the   */
/* buffer is emptied and -1 returned.  The other forms copy it literally.   */
/* ------------------------------------------------------------------------ */
int FsimCrt__snprintf(char *buffer, size_t count, const char *format, ...);
int FsimCrt__vsnprintf(char *buffer, size_t count, const char *format, va_list args);
int FsimCrt__snwprintf(WCHAR *buffer, size_t count, const WCHAR *format, ...);
int FsimCrt__vsnwprintf(WCHAR *buffer, size_t count, const WCHAR *format, va_list args);
int FsimCrt_sprintf_s(char *buffer, size_t sizeOfBuffer, const char *format, ...);
int FsimCrt_vsprintf_s(char *buffer, size_t sizeOfBuffer, const char *format, va_list args);
int FsimCrt_swprintf_s(WCHAR *buffer, size_t sizeOfBuffer, const WCHAR *format, ...);
int FsimCrt_vswprintf_s(WCHAR *buffer, size_t sizeOfBuffer, const WCHAR *format, va_list args);
int FsimCrt__snprintf_s(char *buffer, size_t sizeOfBuffer, size_t count, const char *format, ...);
int FsimCrt__vsnprintf_s(char *buffer, size_t sizeOfBuffer, size_t count, const char *format,
                         va_list args);
int FsimCrt__snwprintf_s(WCHAR *buffer, size_t sizeOfBuffer, size_t count, const WCHAR *format,
                         ...);
int FsimCrt__vsnwprintf_s(WCHAR *buffer, size_t sizeOfBuffer, size_t count, const WCHAR *format,
                          va_list args);

/* ------------------------------------------------------------------------ */
/* Bounds-checked copies (Microsoft's error tables; no handler is called).  */
/* ------------------------------------------------------------------------ */
errno_t FsimCrt_wcscpy_s(WCHAR *dest, size_t numberOfElements, const WCHAR *src);
errno_t FsimCrt_wcsncpy_s(WCHAR *dest, size_t numberOfElements, const WCHAR *src, size_t count);
errno_t FsimCrt_wcscat_s(WCHAR *dest, size_t numberOfElements, const WCHAR *src);
errno_t FsimCrt_strcpy_s(char *dest, size_t numberOfElements, const char *src);
errno_t FsimCrt_strcat_s(char *dest, size_t numberOfElements, const char *src);
errno_t FsimCrt_strncpy_s(char *dest, size_t numberOfElements, const char *src, size_t count);
errno_t FsimCrt_memcpy_s(void *dest, size_t destSize, const void *src, size_t count);
errno_t FsimCrt_memmove_s(void *dest, size_t numberOfElements, const void *src, size_t count);

/* Narrow case-insensitive helpers (ASCII letters only). */
int FsimCrt__stricmp(const char *a, const char *b);
int FsimCrt__strnicmp(const char *a, const char *b, size_t count);
char *FsimCrt__strupr(char *s);
char *FsimCrt__strlwr(char *s);

/* ------------------------------------------------------------------------ */
/* The renames.  #undef first in case a C library header defined a macro.    */
/* ------------------------------------------------------------------------ */
#undef wcslen
#define wcslen FsimCrt_wcslen
#undef wcsnlen
#define wcsnlen FsimCrt_wcsnlen
#undef wcscpy
#define wcscpy FsimCrt_wcscpy
#undef wcsncpy
#define wcsncpy FsimCrt_wcsncpy
#undef wcscat
#define wcscat FsimCrt_wcscat
#undef wcsncat
#define wcsncat FsimCrt_wcsncat
#undef wcscmp
#define wcscmp FsimCrt_wcscmp
#undef wcsncmp
#define wcsncmp FsimCrt_wcsncmp
#undef _wcsicmp
#define _wcsicmp FsimCrt__wcsicmp
#undef _wcsnicmp
#define _wcsnicmp FsimCrt__wcsnicmp
#undef wcschr
#define wcschr FsimCrt_wcschr
#undef wcsrchr
#define wcsrchr FsimCrt_wcsrchr
#undef wcsstr
#define wcsstr FsimCrt_wcsstr
#undef wcsspn
#define wcsspn FsimCrt_wcsspn
#undef wcscspn
#define wcscspn FsimCrt_wcscspn
#undef wcspbrk
#define wcspbrk FsimCrt_wcspbrk
#undef _wcsupr
#define _wcsupr FsimCrt__wcsupr
#undef _wcslwr
#define _wcslwr FsimCrt__wcslwr
#undef wmemcpy
#define wmemcpy FsimCrt_wmemcpy
#undef wmemmove
#define wmemmove FsimCrt_wmemmove
#undef wmemset
#define wmemset FsimCrt_wmemset
#undef wmemcmp
#define wmemcmp FsimCrt_wmemcmp
#undef wmemchr
#define wmemchr FsimCrt_wmemchr
#undef towupper
#define towupper FsimCrt_towupper
#undef towlower
#define towlower FsimCrt_towlower
#undef iswalpha
#define iswalpha FsimCrt_iswalpha
#undef iswdigit
#define iswdigit FsimCrt_iswdigit
#undef iswspace
#define iswspace FsimCrt_iswspace
#undef iswupper
#define iswupper FsimCrt_iswupper
#undef iswlower
#define iswlower FsimCrt_iswlower
#undef iswxdigit
#define iswxdigit FsimCrt_iswxdigit
#undef iswalnum
#define iswalnum FsimCrt_iswalnum
#undef wcstoul
#define wcstoul FsimCrt_wcstoul
#undef wcstol
#define wcstol FsimCrt_wcstol
#undef _wtoi
#define _wtoi FsimCrt__wtoi
#undef _wtol
#define _wtol FsimCrt__wtol
#undef _wcstoi64
#define _wcstoi64 FsimCrt__wcstoi64
#undef _wcstoui64
#define _wcstoui64 FsimCrt__wcstoui64
#undef _wtoi64
#define _wtoi64 FsimCrt__wtoi64
#undef _snprintf
#define _snprintf FsimCrt__snprintf
#undef _vsnprintf
#define _vsnprintf FsimCrt__vsnprintf
#undef _snwprintf
#define _snwprintf FsimCrt__snwprintf
#undef _vsnwprintf
#define _vsnwprintf FsimCrt__vsnwprintf
#undef sprintf_s
#define sprintf_s FsimCrt_sprintf_s
#undef vsprintf_s
#define vsprintf_s FsimCrt_vsprintf_s
#undef swprintf_s
#define swprintf_s FsimCrt_swprintf_s
#undef vswprintf_s
#define vswprintf_s FsimCrt_vswprintf_s
#undef _snprintf_s
#define _snprintf_s FsimCrt__snprintf_s
#undef _vsnprintf_s
#define _vsnprintf_s FsimCrt__vsnprintf_s
#undef _snwprintf_s
#define _snwprintf_s FsimCrt__snwprintf_s
#undef _vsnwprintf_s
#define _vsnwprintf_s FsimCrt__vsnwprintf_s
#undef wcscpy_s
#define wcscpy_s FsimCrt_wcscpy_s
#undef wcsncpy_s
#define wcsncpy_s FsimCrt_wcsncpy_s
#undef wcscat_s
#define wcscat_s FsimCrt_wcscat_s
#undef strcpy_s
#define strcpy_s FsimCrt_strcpy_s
#undef strcat_s
#define strcat_s FsimCrt_strcat_s
#undef strncpy_s
#define strncpy_s FsimCrt_strncpy_s
#undef memcpy_s
#define memcpy_s FsimCrt_memcpy_s
#undef memmove_s
#define memmove_s FsimCrt_memmove_s
#undef _stricmp
#define _stricmp FsimCrt__stricmp
#undef _strnicmp
#define _strnicmp FsimCrt__strnicmp
#undef _strupr
#define _strupr FsimCrt__strupr
#undef _strlwr
#define _strlwr FsimCrt__strlwr

/* ------------------------------------------------------------------------ */
/* The printf engine, for the simulator (DbgPrint, RtlStringCbPrintf*).     */
/*                                                                          */
/* Conversions: d i u o x X c C s S Z p n e E f F g G a A %%; flags - + ' '  */
/* # 0; width and precision (digits or '*'; a negative '*' width means '-', */
/* a negative '*' precision means none).  Sizes: hh h l ll L j z t I I32    */
/* I64 w, with Microsoft's meanings: l is 32-bit (LONG), ll/I64/I/j/z/t/L    */
/* are 64-bit, I32 is 32-bit, h short, hh char.                             */
/* Strings: in a narrow format %s/%hs/%hS are narrow and %S/%ls/%ws/%lS/%wS */
/* wide; in a wide format %s/%S swap (%s wide, %S narrow).  %c/%C likewise. */
/* %Z/%hZ take a PANSI_STRING and %wZ/%lZ a PUNICODE_STRING (Length bytes,  */
/* no terminator needed).  A NULL string, NULL %Z structure or NULL Buffer  */
/* prints "(null)".  Precision limits the characters taken from a string,   */
/* and width pads; both count units of the argument's encoding (bytes of a  */
/* narrow string, UTF-16 units of a wide one).  Wide text written to a      */
/* narrow buffer is converted to UTF-8 (unpaired surrogates become U+FFFD), */
/* narrow text written to a wide buffer is decoded from UTF-8 (invalid      */
/* bytes become U+FFFD).  %p prints what the pointer hook writes, or 16     */
/* uppercase hex digits without a hook.  %n consumes its pointer and writes */
/* nothing.  An invalid or unknown conversion is copied to the output as    */
/* is and consumes no argument.  Floating point is formatted by the host C  */
/* library (precision capped at 512); %a/%A default to precision 6.         */
/* ------------------------------------------------------------------------ */

/* Writes the NUL-terminated text to print for Pointer into Out. */
typedef void FSIM_FORMAT_POINTER_HOOK(void *HookContext, const void *Pointer, char Out[32]);

/*
 * Formats into Buffer (Capacity units, including the terminator).  Always
 * NUL-terminates when Capacity > 0, truncating; returns the number of units
 * stored (without the NUL); *Needed (optional) receives the untruncated
 * length.  Buffer may be NULL when Capacity is 0 (to measure).  Hook may be
 * NULL.
 */
int FsimFormatNarrowV(char *Buffer, size_t Capacity, const char *Format, va_list Args,
                      FSIM_FORMAT_POINTER_HOOK *Hook, void *HookContext, size_t *Needed);
int FsimFormatWideV(WCHAR *Buffer, size_t CapacityInChars, const WCHAR *Format, va_list Args,
                    FSIM_FORMAT_POINTER_HOOK *Hook, void *HookContext, size_t *Needed);
int FsimFormatNarrow(char *Buffer, size_t Capacity, FSIM_FORMAT_POINTER_HOOK *Hook,
                     void *HookContext, size_t *Needed, const char *Format, ...);
int FsimFormatWide(WCHAR *Buffer, size_t CapacityInChars, FSIM_FORMAT_POINTER_HOOK *Hook,
                   void *HookContext, size_t *Needed, const WCHAR *Format, ...);

/*
 * The pointer hook of the current simulated machine, used by the driver-
 * facing entry points (_snprintf, _snwprintf, ...).  The kernel provides
 * it; the CRT carries a weak fallback that returns NULL/NULL.
 */
void FsimCrtGetPointerHook(FSIM_FORMAT_POINTER_HOOK **Hook, void **HookContext);

#ifdef __cplusplus
}
#endif

#endif /* _FSIM_CRT_H_ */
