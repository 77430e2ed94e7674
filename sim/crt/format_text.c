/*
 * format_text.c - fltsim CRT: character and string conversions of the printf engine.
 *
 * Owns %c/%C, %s/%S (with the h/l/w size prefixes already resolved by the
 * parser into "the argument is wide" or not) and the counted strings %Z
 * (ANSI_STRING*) and %wZ (UNICODE_STRING*).  Precision limits how many units
 * of the argument are taken, width pads; both count units of the argument's
 * own encoding.  A string is never read past its precision, so a buffer
 * without a terminator is safe with "%.*s"/"%.*ws".  NULL pointers print
 * "(null)".
 */
#include "crtp.h"

static const char FsimCrtNullText[] = "(null)";

/* Writes Length units of Text (narrow or wide) with precision and width applied. */
static void EmitText(FSIM_CRT_SINK *Sink, const FSIM_CRT_SPEC *Spec, const void *Text,
                     size_t Length, int WideText)
{
    if (Spec->HasPrecision && Spec->Precision < Length) {
        Length = Spec->Precision;
    }
    FsimCrtPad(Sink, Spec, Length, 1);
    if (WideText) {
        FsimCrtSinkPutWide(Sink, (const WCHAR *)Text, Length);
    } else {
        FsimCrtSinkPutNarrow(Sink, (const char *)Text, Length);
    }
    FsimCrtPad(Sink, Spec, Length, 0);
}

static void EmitNull(FSIM_CRT_SINK *Sink, const FSIM_CRT_SPEC *Spec)
{
    /* ASCII: the same text whichever the argument's encoding would have been. */
    EmitText(Sink, Spec, FsimCrtNullText, sizeof(FsimCrtNullText) - 1, 0);
}

/* Length of a terminated string, never looking at more than Limit units. */
static size_t BoundedLength(const void *Text, int WideText, size_t Limit)
{
    size_t length = 0;

    if (WideText) {
        const WCHAR *wide = (const WCHAR *)Text;
        while (length < Limit && wide[length] != 0) {
            length++;
        }
    } else {
        const char *narrow = (const char *)Text;
        while (length < Limit && narrow[length] != 0) {
            length++;
        }
    }
    return length;
}

void FsimCrtFormatChar(FSIM_CRT_SINK *Sink, const FSIM_CRT_SPEC *Spec, va_list *Args,
                       int WideText)
{
    /* char and WCHAR are promoted to int when passed through "...". */
    int value = va_arg(*Args, int);

    FsimCrtPad(Sink, Spec, 1, 1);
    if (WideText) {
        WCHAR unit = (WCHAR)(uint16_t)value;
        FsimCrtSinkPutWide(Sink, &unit, 1);
    } else {
        char byte = (char)(unsigned char)value;
        FsimCrtSinkPutNarrow(Sink, &byte, 1);
    }
    FsimCrtPad(Sink, Spec, 1, 0);
}

void FsimCrtFormatString(FSIM_CRT_SINK *Sink, const FSIM_CRT_SPEC *Spec, va_list *Args,
                         int WideText)
{
    const void *text = va_arg(*Args, const void *);
    size_t limit = Spec->HasPrecision ? Spec->Precision : (size_t)-1;

    if (text == NULL) {
        EmitNull(Sink, Spec);
        return;
    }
    EmitText(Sink, Spec, text, BoundedLength(text, WideText, limit), WideText);
}

void FsimCrtFormatCountedString(FSIM_CRT_SINK *Sink, const FSIM_CRT_SPEC *Spec, va_list *Args,
                                int WideText)
{
    if (WideText) {
        const UNICODE_STRING *string = va_arg(*Args, const UNICODE_STRING *);
        if (string == NULL || string->Buffer == NULL) {
            EmitNull(Sink, Spec);
            return;
        }
        EmitText(Sink, Spec, string->Buffer, string->Length / sizeof(WCHAR), 1);
    } else {
        const STRING *string = va_arg(*Args, const STRING *);
        if (string == NULL || string->Buffer == NULL) {
            EmitNull(Sink, Spec);
            return;
        }
        EmitText(Sink, Spec, string->Buffer, string->Length, 0);
    }
}
