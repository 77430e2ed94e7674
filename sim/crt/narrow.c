/*
 * narrow.c - fltsim CRT: Microsoft's narrow case-insensitive string helpers.
 *
 * Owns _stricmp, _strnicmp, _strupr and _strlwr.  As in Microsoft's "C"
 * locale only ASCII letters change case; bytes compare as unsigned values
 * after conversion to lowercase, so '_' sorts before letters.  Comparisons
 * return -1, 0 or 1, or _NLSCMPERROR for a NULL argument.
 */
#include "crtp.h"

int FsimCrt__strnicmp(const char *a, const char *b, size_t count)
{
    if (a == NULL || b == NULL) {
        return _NLSCMPERROR;
    }
    for (size_t i = 0; i < count; i++) {
        unsigned char x = FsimCrtAsciiLower((unsigned char)a[i]);
        unsigned char y = FsimCrtAsciiLower((unsigned char)b[i]);
        if (x != y) {
            return x < y ? -1 : 1;
        }
        if (x == 0) {
            break;
        }
    }
    return 0;
}

int FsimCrt__stricmp(const char *a, const char *b)
{
    return FsimCrt__strnicmp(a, b, (size_t)-1);
}

char *FsimCrt__strupr(char *s)
{
    if (s == NULL) {
        return NULL;
    }
    for (char *p = s; *p != '\0'; p++) {
        *p = (char)FsimCrtAsciiUpper((unsigned char)*p);
    }
    return s;
}

char *FsimCrt__strlwr(char *s)
{
    if (s == NULL) {
        return NULL;
    }
    for (char *p = s; *p != '\0'; p++) {
        *p = (char)FsimCrtAsciiLower((unsigned char)*p);
    }
    return s;
}
