/*
 * wstring.c - fltsim CRT: the wide (UTF-16) string and memory routines.
 *
 * Owns wcslen, wcsnlen, wcscpy, wcsncpy, wcscat, wcsncat, wcscmp, wcsncmp,
 * _wcsicmp, _wcsnicmp, wcschr, wcsrchr, wcsstr, wcsspn, wcscspn, wcspbrk,
 * _wcsupr, _wcslwr and wmemcpy, wmemmove, wmemset, wmemcmp, wmemchr, all on
 * 16-bit units whatever the host's wchar_t is.  Units compare as unsigned
 * 16-bit values; comparisons return -1, 0 or 1.
 */
#include <string.h>

#include "crtp.h"

static int CompareUnits(uint16_t A, uint16_t B)
{
    return A < B ? -1 : (A > B ? 1 : 0);
}

size_t FsimCrt_wcslen(const WCHAR *s)
{
    size_t length = 0;

    while (s[length] != 0) {
        length++;
    }
    return length;
}

size_t FsimCrt_wcsnlen(const WCHAR *s, size_t maxCount)
{
    size_t length = 0;

    while (length < maxCount && s[length] != 0) {
        length++;
    }
    return length;
}

WCHAR *FsimCrt_wcscpy(WCHAR *dest, const WCHAR *src)
{
    size_t i = 0;

    do {
        dest[i] = src[i];
    } while (src[i++] != 0);
    return dest;
}

WCHAR *FsimCrt_wcsncpy(WCHAR *dest, const WCHAR *src, size_t count)
{
    size_t i = 0;

    for (; i < count && src[i] != 0; i++) {
        dest[i] = src[i];
    }
    for (; i < count; i++) {
        dest[i] = 0;
    }
    return dest;
}

WCHAR *FsimCrt_wcscat(WCHAR *dest, const WCHAR *src)
{
    FsimCrt_wcscpy(dest + FsimCrt_wcslen(dest), src);
    return dest;
}

WCHAR *FsimCrt_wcsncat(WCHAR *dest, const WCHAR *src, size_t count)
{
    WCHAR *end = dest + FsimCrt_wcslen(dest);
    size_t i = 0;

    for (; i < count && src[i] != 0; i++) {
        end[i] = src[i];
    }
    end[i] = 0;
    return dest;
}

int FsimCrt_wcscmp(const WCHAR *a, const WCHAR *b)
{
    size_t i = 0;

    while (a[i] != 0 && a[i] == b[i]) {
        i++;
    }
    return CompareUnits((uint16_t)a[i], (uint16_t)b[i]);
}

int FsimCrt_wcsncmp(const WCHAR *a, const WCHAR *b, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (a[i] != b[i] || a[i] == 0) {
            return CompareUnits((uint16_t)a[i], (uint16_t)b[i]);
        }
    }
    return 0;
}

int FsimCrt__wcsnicmp(const WCHAR *a, const WCHAR *b, size_t count)
{
    if (a == NULL || b == NULL) {
        return _NLSCMPERROR;
    }
    for (size_t i = 0; i < count; i++) {
        uint16_t x = FsimCrtDowncase((uint16_t)a[i]);
        uint16_t y = FsimCrtDowncase((uint16_t)b[i]);
        if (x != y || x == 0) {
            return CompareUnits(x, y);
        }
    }
    return 0;
}

int FsimCrt__wcsicmp(const WCHAR *a, const WCHAR *b)
{
    return FsimCrt__wcsnicmp(a, b, (size_t)-1);
}

WCHAR *FsimCrt_wcschr(const WCHAR *s, WCHAR c)
{
    for (;; s++) {
        if (*s == c) {
            return (WCHAR *)s;
        }
        if (*s == 0) {
            return NULL;
        }
    }
}

WCHAR *FsimCrt_wcsrchr(const WCHAR *s, WCHAR c)
{
    const WCHAR *found = NULL;

    for (;; s++) {
        if (*s == c) {
            found = s;
        }
        if (*s == 0) {
            return (WCHAR *)found;
        }
    }
}

WCHAR *FsimCrt_wcsstr(const WCHAR *haystack, const WCHAR *needle)
{
    size_t needleLength = FsimCrt_wcslen(needle);

    if (needleLength == 0) {
        return (WCHAR *)haystack;
    }
    for (; *haystack != 0; haystack++) {
        if (FsimCrt_wcsncmp(haystack, needle, needleLength) == 0) {
            return (WCHAR *)haystack;
        }
    }
    return NULL;
}

static int InSet(WCHAR C, const WCHAR *Set)
{
    for (; *Set != 0; Set++) {
        if (*Set == C) {
            return 1;
        }
    }
    return 0;
}

size_t FsimCrt_wcsspn(const WCHAR *s, const WCHAR *accept)
{
    size_t i = 0;

    while (s[i] != 0 && InSet(s[i], accept)) {
        i++;
    }
    return i;
}

size_t FsimCrt_wcscspn(const WCHAR *s, const WCHAR *reject)
{
    size_t i = 0;

    while (s[i] != 0 && !InSet(s[i], reject)) {
        i++;
    }
    return i;
}

WCHAR *FsimCrt_wcspbrk(const WCHAR *s, const WCHAR *accept)
{
    s += FsimCrt_wcscspn(s, accept);
    return *s != 0 ? (WCHAR *)s : NULL;
}

WCHAR *FsimCrt__wcsupr(WCHAR *s)
{
    if (s == NULL) {
        return NULL;
    }
    for (WCHAR *p = s; *p != 0; p++) {
        *p = (WCHAR)FsimCrtUpcase((uint16_t)*p);
    }
    return s;
}

WCHAR *FsimCrt__wcslwr(WCHAR *s)
{
    if (s == NULL) {
        return NULL;
    }
    for (WCHAR *p = s; *p != 0; p++) {
        *p = (WCHAR)FsimCrtDowncase((uint16_t)*p);
    }
    return s;
}

WCHAR *FsimCrt_wmemcpy(WCHAR *dest, const WCHAR *src, size_t count)
{
    if (count != 0) {
        memcpy(dest, src, count * sizeof(WCHAR));
    }
    return dest;
}

WCHAR *FsimCrt_wmemmove(WCHAR *dest, const WCHAR *src, size_t count)
{
    if (count != 0) {
        memmove(dest, src, count * sizeof(WCHAR));
    }
    return dest;
}

WCHAR *FsimCrt_wmemset(WCHAR *dest, WCHAR c, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        dest[i] = c;
    }
    return dest;
}

int FsimCrt_wmemcmp(const WCHAR *a, const WCHAR *b, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (a[i] != b[i]) {
            return CompareUnits((uint16_t)a[i], (uint16_t)b[i]);
        }
    }
    return 0;
}

WCHAR *FsimCrt_wmemchr(const WCHAR *s, WCHAR c, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (s[i] == c) {
            return (WCHAR *)(s + i);
        }
    }
    return NULL;
}
