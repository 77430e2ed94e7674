/*
 * name83.c - fltsim Rtl: RtlIsNameLegalDOS8Dot3.  A legal 8.3 name is "."
 * or "..", or a base of one to eight characters and an optional extension
 * of one to three after a single dot, made of characters the OEM code page
 * has (this machine's is ASCII) other than the ones DOS names forbid
 * (control characters and " * + , / : ; < = > ? [ \ ] |).  Spaces are legal
 * except at the start and right before the dot or the end; their presence
 * is reported.  The OEM form (upper-cased) is written when asked for.
 */
#include "rtlp.h"

static BOOLEAN RtlpIllegal83(WCHAR C)
{
    static const char Forbidden[] = "\"*+,/:;<=>?[\\]|";
    if (C < 0x20 || C >= 0x7F)
        return TRUE;
    for (const char *P = Forbidden; *P; P++)
        if (C == (WCHAR)*P)
            return TRUE;
    return FALSE;
}

BOOLEAN NTAPI RtlIsNameLegalDOS8Dot3(PCUNICODE_STRING Name, PANSI_STRING OemName, PBOOLEAN NameContainsSpaces)
{
    USHORT Count = Name != NULL ? (USHORT)(Name->Length / sizeof(WCHAR)) : 0;
    const WCHAR *S = Name != NULL ? Name->Buffer : NULL;
    USHORT Base = 0, Extension = 0;
    BOOLEAN Dot = FALSE, Spaces = FALSE;
    RTLP_PAGED_CODE();
    if (NameContainsSpaces != NULL)
        *NameContainsSpaces = FALSE;
    if (S == NULL || Count == 0 || Count > 12)
        return FALSE;
    if ((Count == 1 && S[0] == L'.') || (Count == 2 && S[0] == L'.' && S[1] == L'.'))
        goto Legal;
    if (S[0] == L' ' || S[0] == L'.')
        return FALSE;
    for (USHORT I = 0; I < Count; I++) {
        WCHAR C = S[I];
        if (C == L'.') {
            if (Dot || S[I - 1] == L' ')
                return FALSE;
            Dot = TRUE;
            continue;
        }
        if (RtlpIllegal83(C))
            return FALSE;
        if (C == L' ')
            Spaces = TRUE;
        if (Dot)
            Extension++;
        else
            Base++;
    }
    if (Base == 0 || Base > 8 || Extension > 3 || (Dot && Extension == 0) || S[Count - 1] == L' ')
        return FALSE;
Legal:
    if (OemName != NULL) {
        if (OemName->Buffer == NULL || OemName->MaximumLength < Count)
            return FALSE;
        for (USHORT I = 0; I < Count; I++) {
            WCHAR C = S[I];
            OemName->Buffer[I] = (CHAR)(C >= L'a' && C <= L'z' ? C - 32 : C);
        }
        OemName->Length = Count;
    }
    if (NameContainsSpaces != NULL)
        *NameContainsSpaces = Spaces;
    return TRUE;
}
