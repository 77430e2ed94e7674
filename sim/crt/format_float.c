/*
 * format_float.c - fltsim CRT: floating-point conversions of the printf engine.
 *
 * Owns %e %E %f %F %g %G %a %A.  The digits come from the host C library's
 * snprintf (the kernel seldom formats floating point); this file builds the
 * host specification from the parsed one (flags + - ' ' #, precision capped
 * at FSIM_CRT_MAX_FLOAT_PRECISION, Microsoft's default precision of 6 for
 * %a) and applies width and zero padding itself, so a huge width never
 * reaches the host.  %Lf reads a host long double (Windows' long double is a
 * double; a driver built here passes the host type).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crtp.h"

/* Builds "%[+ #].<precision>[L]<type>" into Out. */
static void BuildHostSpec(const FSIM_CRT_SPEC *Spec, char Out[32])
{
    size_t n = 0;
    size_t precision;
    int hasPrecision = Spec->HasPrecision;

    Out[n++] = '%';
    if (Spec->ForceSign) {
        Out[n++] = '+';
    } else if (Spec->SpaceSign) {
        Out[n++] = ' ';
    }
    if (Spec->Alternate) {
        Out[n++] = '#';
    }
    precision = Spec->Precision;
    if (!hasPrecision && (Spec->Type == 'a' || Spec->Type == 'A')) {
        hasPrecision = 1;
        precision = 6;
    }
    if (hasPrecision) {
        if (precision > FSIM_CRT_MAX_FLOAT_PRECISION) {
            precision = FSIM_CRT_MAX_FLOAT_PRECISION;
        }
        n += (size_t)snprintf(Out + n, 32 - n, ".%u", (unsigned)precision);
    }
    if (Spec->Size == FSIM_CRT_SIZE_LONGDOUBLE) {
        Out[n++] = 'L';
    }
    Out[n++] = Spec->Type;
    Out[n] = '\0';
}

/* Writes Text (Length ASCII chars) with width/zero padding. */
static void EmitPadded(FSIM_CRT_SINK *Sink, const FSIM_CRT_SPEC *Spec, const char *Text,
                       size_t Length, int Finite)
{
    size_t fill = Spec->Width > Length ? Spec->Width - Length : 0;
    size_t head = 0;

    if (fill == 0) {
        FsimCrtSinkPutAscii(Sink, Text, Length);
        return;
    }
    if (Spec->LeftAlign) {
        FsimCrtSinkPutAscii(Sink, Text, Length);
        FsimCrtSinkPutRepeat(Sink, ' ', fill);
        return;
    }
    if (!Spec->ZeroPad || !Finite) {
        FsimCrtSinkPutRepeat(Sink, ' ', fill);
        FsimCrtSinkPutAscii(Sink, Text, Length);
        return;
    }
    /* Zeros go after the sign and after the 0x of %a. */
    if (head < Length && (Text[head] == '-' || Text[head] == '+' || Text[head] == ' ')) {
        head++;
    }
    if (head + 1 < Length && Text[head] == '0' && (Text[head + 1] == 'x' || Text[head + 1] == 'X')) {
        head += 2;
    }
    FsimCrtSinkPutAscii(Sink, Text, head);
    FsimCrtSinkPutRepeat(Sink, '0', fill);
    FsimCrtSinkPutAscii(Sink, Text + head, Length - head);
}

void FsimCrtFormatFloat(FSIM_CRT_SINK *Sink, const FSIM_CRT_SPEC *Spec, va_list *Args)
{
    char hostSpec[32];
    char local[256];
    char *text = local;
    int length;
    int finite;
    long double longValue = 0;
    double value = 0;
    int isLong = (Spec->Size == FSIM_CRT_SIZE_LONGDOUBLE);

    if (isLong) {
        longValue = va_arg(*Args, long double);
        finite = isfinite(longValue);
    } else {
        value = va_arg(*Args, double);
        finite = isfinite(value);
    }
    BuildHostSpec(Spec, hostSpec);

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
    length = isLong ? snprintf(local, sizeof(local), hostSpec, longValue)
                    : snprintf(local, sizeof(local), hostSpec, value);
    if (length >= (int)sizeof(local)) {
        text = malloc((size_t)length + 1);
        if (text != NULL) {
            length = isLong ? snprintf(text, (size_t)length + 1, hostSpec, longValue)
                            : snprintf(text, (size_t)length + 1, hostSpec, value);
        }
    }
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
    if (text != NULL && length > 0) {
        EmitPadded(Sink, Spec, text, (size_t)length, finite);
    }
    if (text != local) {
        free(text);
    }
}
