/*
 * safe.c - fltsim CRT: the bounds-checked copy routines of the _s family.
 *
 * Owns wcscpy_s, wcsncpy_s, wcscat_s, strcpy_s, strcat_s, strncpy_s,
 * memcpy_s and memmove_s with Microsoft's error tables: EINVAL for a NULL
 * pointer or zero size, ERANGE when the result does not fit (the
 * destination then holds an empty string), STRUNCATE when a _TRUNCATE copy
 * was cut short.  No invalid-parameter handler is called and errno is not
 * set.  The narrow and wide forms share one implementation over a unit size.
 */
#include <string.h>

#include "crtp.h"

static size_t GetUnit(const void *Text, size_t Index, int Wide)
{
    return Wide ? (size_t)(uint16_t)((const WCHAR *)Text)[Index]
                : (size_t)(unsigned char)((const char *)Text)[Index];
}

static void SetUnit(void *Text, size_t Index, size_t Value, int Wide)
{
    if (Wide) {
        ((WCHAR *)Text)[Index] = (WCHAR)Value;
    } else {
        ((char *)Text)[Index] = (char)Value;
    }
}

/*
 * Copies at most Count units of Src (stopping at its terminator) to Dest,
 * which has Size units, from Start on.  Truncate: copy what fits (STRUNCATE)
 * instead of failing with ERANGE.
 */
static errno_t CopyBounded(void *Dest, size_t Size, size_t Start, const void *Src, size_t Count,
                           int Truncate, int Wide)
{
    size_t room = Size - Start; /* >= 1 */
    size_t i = 0;

    while (i < Count && GetUnit(Src, i, Wide) != 0) {
        if (i == room - 1) {
            if (Truncate) {
                SetUnit(Dest, Start + i, 0, Wide);
                return STRUNCATE;
            }
            SetUnit(Dest, 0, 0, Wide);
            return ERANGE;
        }
        SetUnit(Dest, Start + i, GetUnit(Src, i, Wide), Wide);
        i++;
    }
    SetUnit(Dest, Start + i, 0, Wide);
    return 0;
}

static errno_t CopyS(void *Dest, size_t Size, const void *Src, int Wide)
{
    if (Dest == NULL || Size == 0) {
        return EINVAL;
    }
    if (Src == NULL) {
        SetUnit(Dest, 0, 0, Wide);
        return EINVAL;
    }
    return CopyBounded(Dest, Size, 0, Src, (size_t)-1, 0, Wide);
}

static errno_t CopyNS(void *Dest, size_t Size, const void *Src, size_t Count, int Wide)
{
    if (Count == 0 && Dest == NULL && Size == 0) {
        return 0;
    }
    if (Dest == NULL || Size == 0) {
        return EINVAL;
    }
    if (Count == 0) {
        SetUnit(Dest, 0, 0, Wide);
        return 0;
    }
    if (Src == NULL) {
        SetUnit(Dest, 0, 0, Wide);
        return EINVAL;
    }
    return CopyBounded(Dest, Size, 0, Src, Count, Count == _TRUNCATE, Wide);
}

static errno_t CatS(void *Dest, size_t Size, const void *Src, int Wide)
{
    size_t length = 0;

    if (Dest == NULL || Size == 0) {
        return EINVAL;
    }
    if (Src == NULL) {
        SetUnit(Dest, 0, 0, Wide);
        return EINVAL;
    }
    while (length < Size && GetUnit(Dest, length, Wide) != 0) {
        length++;
    }
    if (length == Size) {
        SetUnit(Dest, 0, 0, Wide); /* destination not terminated */
        return EINVAL;
    }
    return CopyBounded(Dest, Size, length, Src, (size_t)-1, 0, Wide);
}

errno_t FsimCrt_wcscpy_s(WCHAR *dest, size_t numberOfElements, const WCHAR *src)
{
    return CopyS(dest, numberOfElements, src, 1);
}

errno_t FsimCrt_wcsncpy_s(WCHAR *dest, size_t numberOfElements, const WCHAR *src, size_t count)
{
    return CopyNS(dest, numberOfElements, src, count, 1);
}

errno_t FsimCrt_wcscat_s(WCHAR *dest, size_t numberOfElements, const WCHAR *src)
{
    return CatS(dest, numberOfElements, src, 1);
}

errno_t FsimCrt_strcpy_s(char *dest, size_t numberOfElements, const char *src)
{
    return CopyS(dest, numberOfElements, src, 0);
}

errno_t FsimCrt_strcat_s(char *dest, size_t numberOfElements, const char *src)
{
    return CatS(dest, numberOfElements, src, 0);
}

errno_t FsimCrt_strncpy_s(char *dest, size_t numberOfElements, const char *src, size_t count)
{
    return CopyNS(dest, numberOfElements, src, count, 0);
}

errno_t FsimCrt_memcpy_s(void *dest, size_t destSize, const void *src, size_t count)
{
    if (count == 0) {
        return 0;
    }
    if (dest == NULL) {
        return EINVAL;
    }
    if (src == NULL) {
        memset(dest, 0, destSize);
        return EINVAL;
    }
    if (destSize < count) {
        memset(dest, 0, destSize);
        return ERANGE;
    }
    memcpy(dest, src, count);
    return 0;
}

errno_t FsimCrt_memmove_s(void *dest, size_t numberOfElements, const void *src, size_t count)
{
    if (count == 0) {
        return 0;
    }
    if (dest == NULL || src == NULL) {
        return EINVAL;
    }
    if (numberOfElements < count) {
        return ERANGE;
    }
    memmove(dest, src, count);
    return 0;
}
