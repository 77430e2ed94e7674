/*
 * format_int.c - fltsim CRT: integer and pointer conversions of the printf engine.
 *
 * Owns %d %i %u %o %x %X with Microsoft's argument sizes (no prefix and l
 * and I32 read 32 bits, h/hh narrow them, ll/I64/I/j/z/t/L read 64 bits),
 * sign/space/'#' prefixes, precision as a minimum digit count, zero padding,
 * and %p, which prints through the caller's pointer hook or as 16 uppercase
 * hex digits.
 */
#include <string.h>

#include "crtp.h"

/* Reads the argument for an integer conversion as a magnitude and a sign. */
static uint64_t FetchInteger(const FSIM_CRT_SPEC *Spec, va_list *Args, int *Negative)
{
    int isSigned = (Spec->Type == 'd' || Spec->Type == 'i');
    int64_t signedValue;

    *Negative = 0;
    switch (Spec->Size) {
    case FSIM_CRT_SIZE_64:
    case FSIM_CRT_SIZE_LONGDOUBLE:
        if (!isSigned) {
            return (uint64_t)va_arg(*Args, unsigned long long);
        }
        signedValue = (int64_t)va_arg(*Args, long long);
        break;
    case FSIM_CRT_SIZE_SHORT:
        if (!isSigned) {
            return (unsigned short)va_arg(*Args, int);
        }
        signedValue = (short)va_arg(*Args, int);
        break;
    case FSIM_CRT_SIZE_CHAR:
        if (!isSigned) {
            return (unsigned char)va_arg(*Args, int);
        }
        signedValue = (signed char)va_arg(*Args, int);
        break;
    default: /* none, l (Windows LONG), I32, w: 32 bits */
        if (!isSigned) {
            return va_arg(*Args, unsigned int);
        }
        signedValue = va_arg(*Args, int);
        break;
    }
    if (signedValue < 0) {
        *Negative = 1;
        return (uint64_t)0 - (uint64_t)signedValue;
    }
    return (uint64_t)signedValue;
}

/* Writes the digits of Value in Base into the end of Out; returns how many. */
static size_t ToDigits(uint64_t Value, unsigned Base, int Upper, char Out[24])
{
    const char *digits = Upper ? "0123456789ABCDEF" : "0123456789abcdef";
    size_t count = 0;

    while (Value != 0) {
        Out[23 - count] = digits[Value % Base];
        Value /= Base;
        count++;
    }
    return count;
}

void FsimCrtFormatInteger(FSIM_CRT_SINK *Sink, const FSIM_CRT_SPEC *Spec, va_list *Args)
{
    int negative;
    uint64_t value = FetchInteger(Spec, Args, &negative);
    unsigned base = 10;
    char digitBuffer[24];
    size_t digitCount;
    const char *digits;
    size_t minDigits = Spec->HasPrecision ? Spec->Precision : 1;
    size_t zeros;
    char prefix[2];
    size_t prefixLength = 0;
    size_t total;

    if (Spec->Type == 'o') {
        base = 8;
    } else if (Spec->Type == 'x' || Spec->Type == 'X') {
        base = 16;
    }
    digitCount = ToDigits(value, base, Spec->Type == 'X', digitBuffer);
    digits = digitBuffer + sizeof(digitBuffer) - digitCount;
    zeros = minDigits > digitCount ? minDigits - digitCount : 0;

    if (Spec->Type == 'd' || Spec->Type == 'i') {
        if (negative) {
            prefix[prefixLength++] = '-';
        } else if (Spec->ForceSign) {
            prefix[prefixLength++] = '+';
        } else if (Spec->SpaceSign) {
            prefix[prefixLength++] = ' ';
        }
    } else if (Spec->Alternate && base == 16 && value != 0) {
        prefix[prefixLength++] = '0';
        prefix[prefixLength++] = (char)(Spec->Type == 'X' ? 'X' : 'x');
    } else if (Spec->Alternate && base == 8 && zeros == 0 &&
               (digitCount == 0 || digits[0] != '0')) {
        zeros = 1; /* '#' with o: the output starts with 0 */
    }

    total = prefixLength + zeros + digitCount;
    if (Spec->ZeroPad && !Spec->LeftAlign && !Spec->HasPrecision && Spec->Width > total) {
        zeros += Spec->Width - total;
        total = Spec->Width;
    }
    if (!Spec->LeftAlign && Spec->Width > total) {
        FsimCrtSinkPutRepeat(Sink, ' ', Spec->Width - total);
    }
    FsimCrtSinkPutAscii(Sink, prefix, prefixLength);
    FsimCrtSinkPutRepeat(Sink, '0', zeros);
    FsimCrtSinkPutAscii(Sink, digits, digitCount);
    if (Spec->LeftAlign && Spec->Width > total) {
        FsimCrtSinkPutRepeat(Sink, ' ', Spec->Width - total);
    }
}

void FsimCrtFormatPointer(FSIM_CRT_SINK *Sink, const FSIM_CRT_SPEC *Spec, va_list *Args,
                          FSIM_FORMAT_POINTER_HOOK *Hook, void *HookContext)
{
    const void *pointer = va_arg(*Args, void *);
    char text[32];
    size_t length;

    memset(text, 0, sizeof(text));
    if (Hook != NULL) {
        Hook(HookContext, pointer, text);
        text[sizeof(text) - 1] = '\0';
        length = strlen(text);
    } else {
        uint64_t value = (uint64_t)(uintptr_t)pointer;
        for (size_t i = 0; i < 16; i++) {
            text[15 - i] = "0123456789ABCDEF"[value & 0xFu];
            value >>= 4;
        }
        length = 16;
    }
    FsimCrtPad(Sink, Spec, length, 1);
    FsimCrtSinkPutNarrow(Sink, text, length);
    FsimCrtPad(Sink, Spec, length, 0);
}
