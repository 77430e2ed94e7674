/*
 * guid.c - fltsim Rtl: GUIDs as text.  RtlStringFromGUID writes the
 * registry form "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" (upper-case hex)
 * into a buffer RtlFreeUnicodeString frees; RtlGUIDFromString reads that
 * form back (either case) and refuses anything else.
 */
#include "rtlp.h"

#define RTLP_GUID_CHARS 38

static const char RtlpHex[] = "0123456789ABCDEF";

static WCHAR *RtlpPutHex(WCHAR *Out, ULONGLONG Value, int Digits)
{
    for (int I = Digits - 1; I >= 0; I--)
        *Out++ = (WCHAR)RtlpHex[(Value >> (4 * I)) & 0xF];
    return Out;
}

NTSTATUS NTAPI RtlStringFromGUID(REFGUID Guid, PUNICODE_STRING GuidString)
{
    WCHAR *Out;
    RTLP_PAGED_CODE();
    GuidString->Buffer = (PWCH)RtlpAllocateStringBuffer((RTLP_GUID_CHARS + 1) * sizeof(WCHAR));
    if (GuidString->Buffer == NULL)
        return STATUS_NO_MEMORY;
    Out = GuidString->Buffer;
    *Out++ = L'{';
    Out = RtlpPutHex(Out, Guid->Data1, 8);
    *Out++ = L'-';
    Out = RtlpPutHex(Out, Guid->Data2, 4);
    *Out++ = L'-';
    Out = RtlpPutHex(Out, Guid->Data3, 4);
    *Out++ = L'-';
    Out = RtlpPutHex(Out, Guid->Data4[0], 2);
    Out = RtlpPutHex(Out, Guid->Data4[1], 2);
    *Out++ = L'-';
    for (int I = 2; I < 8; I++)
        Out = RtlpPutHex(Out, Guid->Data4[I], 2);
    *Out++ = L'}';
    *Out = 0;
    GuidString->Length = RTLP_GUID_CHARS * sizeof(WCHAR);
    GuidString->MaximumLength = (RTLP_GUID_CHARS + 1) * sizeof(WCHAR);
    return STATUS_SUCCESS;
}

static BOOLEAN RtlpGetHex(const WCHAR *In, int Digits, ULONGLONG *Value)
{
    *Value = 0;
    for (int I = 0; I < Digits; I++) {
        WCHAR C = In[I];
        int D = C >= L'0' && C <= L'9' ? C - L'0' : C >= L'a' && C <= L'f' ? C - L'a' + 10
                : C >= L'A' && C <= L'F' ? C - L'A' + 10 : -1;
        if (D < 0)
            return FALSE;
        *Value = (*Value << 4) | (ULONGLONG)D;
    }
    return TRUE;
}

NTSTATUS NTAPI RtlGUIDFromString(PCUNICODE_STRING GuidString, GUID *Guid)
{
    const WCHAR *S = GuidString != NULL ? GuidString->Buffer : NULL;
    ULONGLONG V;
    RTLP_PAGED_CODE();
    if (S == NULL || GuidString->Length != RTLP_GUID_CHARS * sizeof(WCHAR) || S[0] != L'{' || S[9] != L'-' ||
        S[14] != L'-' || S[19] != L'-' || S[24] != L'-' || S[37] != L'}')
        return STATUS_INVALID_PARAMETER;
    if (!RtlpGetHex(S + 1, 8, &V))
        return STATUS_INVALID_PARAMETER;
    Guid->Data1 = (ULONG)V;
    if (!RtlpGetHex(S + 10, 4, &V))
        return STATUS_INVALID_PARAMETER;
    Guid->Data2 = (USHORT)V;
    if (!RtlpGetHex(S + 15, 4, &V))
        return STATUS_INVALID_PARAMETER;
    Guid->Data3 = (USHORT)V;
    for (int I = 0; I < 2; I++) {
        if (!RtlpGetHex(S + 20 + 2 * I, 2, &V))
            return STATUS_INVALID_PARAMETER;
        Guid->Data4[I] = (UCHAR)V;
    }
    for (int I = 0; I < 6; I++) {
        if (!RtlpGetHex(S + 25 + 2 * I, 2, &V))
            return STATUS_INVALID_PARAMETER;
        Guid->Data4[2 + I] = (UCHAR)V;
    }
    return STATUS_SUCCESS;
}
