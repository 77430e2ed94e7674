/*
 * kernel.c - fltsim Ke: the current machine, machine-owned strings, and the
 * simulator's log and trace lines.
 */
#include <fsim_kernel.h>
#include <stdarg.h>
#include <string.h>

_Thread_local FSIM_MACHINE *KiMachine;

const char *KiSaveString(const char *Text)
{
    FSIM_MACHINE *M = KiMachine;
    if (Text == NULL)
        return NULL;
    if (M->StringCount == M->StringCapacity) {
        size_t Cap = M->StringCapacity ? M->StringCapacity * 2 : 64;
        char **New = realloc(M->Strings, Cap * sizeof(char *));
        if (New == NULL)
            abort();
        M->Strings = New;
        M->StringCapacity = Cap;
    }
    char *Copy = strdup(Text);
    if (Copy == NULL)
        abort();
    M->Strings[M->StringCount++] = Copy;
    return Copy;
}

const char *KiFormat(const char *Format, ...)
{
    char Buffer[2048];
    va_list Args;
    va_start(Args, Format);
    vsnprintf(Buffer, sizeof(Buffer), Format, Args);
    va_end(Args);
    return KiSaveString(Buffer);
}

char *KiUtf16ToUtf8(PCWSTR Text, size_t Units)
{
    char *Out = malloc(Units * 3 + 1);
    size_t O = 0;
    if (Out == NULL)
        abort();
    for (size_t I = 0; I < Units; I++) {
        uint32_t C = Text[I];
        if (C >= 0xD800 && C < 0xDC00 && I + 1 < Units && Text[I + 1] >= 0xDC00 && Text[I + 1] < 0xE000) {
            C = 0x10000 + ((C - 0xD800) << 10) + (Text[I + 1] - 0xDC00);
            I++;
        }
        if (C < 0x80) {
            Out[O++] = (char)C;
        } else if (C < 0x800) {
            Out[O++] = (char)(0xC0 | (C >> 6));
            Out[O++] = (char)(0x80 | (C & 0x3F));
        } else if (C < 0x10000) {
            Out[O++] = (char)(0xE0 | (C >> 12));
            Out[O++] = (char)(0x80 | ((C >> 6) & 0x3F));
            Out[O++] = (char)(0x80 | (C & 0x3F));
        } else {
            char *Grow = realloc(Out, Units * 3 + 8 + O);
            if (Grow == NULL)
                abort();
            Out = Grow;
            Out[O++] = (char)(0xF0 | (C >> 18));
            Out[O++] = (char)(0x80 | ((C >> 12) & 0x3F));
            Out[O++] = (char)(0x80 | ((C >> 6) & 0x3F));
            Out[O++] = (char)(0x80 | (C & 0x3F));
        }
    }
    Out[O] = 0;
    return Out;
}

const char *KiUnicodeToUtf8(PCUNICODE_STRING String)
{
    if (String == NULL || String->Buffer == NULL)
        return KiSaveString("");
    char *Text = KiUtf16ToUtf8(String->Buffer, String->Length / sizeof(WCHAR));
    const char *Saved = KiSaveString(Text);
    free(Text);
    return Saved;
}

BOOLEAN KiUtf8ToUnicode(const char *Text, PUNICODE_STRING String)
{
    size_t Len = strlen(Text);
    PWCHAR Buffer = malloc((Len + 1) * 2 * sizeof(WCHAR));
    size_t O = 0;
    if (Buffer == NULL)
        abort();
    for (size_t I = 0; I < Len;) {
        unsigned char B = (unsigned char)Text[I];
        uint32_t C;
        if (B < 0x80) {
            C = B;
            I++;
        } else if ((B & 0xE0) == 0xC0 && I + 1 < Len) {
            C = ((B & 0x1Fu) << 6) | (Text[I + 1] & 0x3F);
            I += 2;
        } else if ((B & 0xF0) == 0xE0 && I + 2 < Len) {
            C = ((B & 0x0Fu) << 12) | ((Text[I + 1] & 0x3Fu) << 6) | (Text[I + 2] & 0x3F);
            I += 3;
        } else if ((B & 0xF8) == 0xF0 && I + 3 < Len) {
            C = ((B & 0x07u) << 18) | ((Text[I + 1] & 0x3Fu) << 12) | ((Text[I + 2] & 0x3Fu) << 6) |
                (Text[I + 3] & 0x3F);
            I += 4;
        } else {
            C = 0xFFFD;
            I++;
        }
        if (C >= 0x10000) {
            C -= 0x10000;
            Buffer[O++] = (WCHAR)(0xD800 + (C >> 10));
            Buffer[O++] = (WCHAR)(0xDC00 + (C & 0x3FF));
        } else {
            Buffer[O++] = (WCHAR)C;
        }
    }
    Buffer[O] = 0;
    if (O * sizeof(WCHAR) > 0xFFFC) {
        free(Buffer);
        return FALSE;
    }
    String->Buffer = Buffer;
    String->Length = (USHORT)(O * sizeof(WCHAR));
    String->MaximumLength = (USHORT)((O + 1) * sizeof(WCHAR));
    return TRUE;
}

VOID KiFreeUnicode(PUNICODE_STRING String)
{
    free(String->Buffer);
    String->Buffer = NULL;
    String->Length = String->MaximumLength = 0;
}

void KiLog(FSIM_LOG_KIND Kind, const char *Line)
{
    FSIM_MACHINE *M = KiMachine;
    if (M != NULL && M->LogCallback != NULL)
        M->LogCallback(M->LogContext, Kind, Line);
}

void KiTrace(const char *Format, ...)
{
    FSIM_MACHINE *M = KiMachine;
    char Buffer[1024];
    va_list Args;
    if (M == NULL || !M->Trace)
        return;
    va_start(Args, Format);
    vsnprintf(Buffer, sizeof(Buffer), Format, Args);
    va_end(Args);
    KiLog(FSIM_LOG_TRACE, Buffer);
}

void KiSetLastError(const char *Format, ...)
{
    va_list Args;
    va_start(Args, Format);
    vsnprintf(KiMachine->LastError, sizeof(KiMachine->LastError), Format, Args);
    va_end(Args);
}
