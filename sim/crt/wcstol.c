/*
 * wcstol.c - fltsim CRT: wide string to integer conversions.
 *
 * Owns wcstol, wcstoul, _wtoi, _wtol, _wcstoi64, _wcstoui64 and _wtoi64 with
 * Windows' widths (LONG/ULONG are 32-bit) and Microsoft's rules: leading
 * white space (iswspace) is skipped, an optional sign, base 0 detects a
 * "0x"/"0X" (hex) or "0" (octal) prefix, base 16 accepts an optional "0x",
 * digits are 0-9 and a-z/A-Z below the base.  Out-of-range values clamp to
 * the type's limit (the unsigned forms to their maximum whatever the sign);
 * every digit is consumed even after an overflow.  An invalid base or no
 * digits give 0 with *endptr = nptr.  errno is never set.
 */
#include "crtp.h"

typedef struct _PARSED_INTEGER {
    uint64_t Magnitude;  /* clamped to the applicable limit when Overflow */
    int Negative;
    int Overflow;
} PARSED_INTEGER;

static int DigitValue(uint16_t C)
{
    if (C >= '0' && C <= '9') {
        return C - '0';
    }
    if (C >= 'a' && C <= 'z') {
        return C - 'a' + 10;
    }
    if (C >= 'A' && C <= 'Z') {
        return C - 'A' + 10;
    }
    return 99;
}

/*
 * Parses Text; the magnitude may not exceed PositiveLimit (no sign or '+')
 * or NegativeLimit ('-').  Returns 0 and sets *End to Text when nothing was
 * converted.
 */
static int ParseInteger(const WCHAR *Text, int Base, uint64_t PositiveLimit,
                        uint64_t NegativeLimit, const WCHAR **End, PARSED_INTEGER *Out)
{
    const WCHAR *p = Text;
    const WCHAR *digitsStart;
    uint64_t limit;

    Out->Magnitude = 0;
    Out->Negative = 0;
    Out->Overflow = 0;
    *End = Text;
    if (Text == NULL || Base < 0 || Base == 1 || Base > 36) {
        return 0;
    }
    while (FsimCrtIsSpace((uint16_t)*p)) {
        p++;
    }
    if (*p == '-' || *p == '+') {
        Out->Negative = (*p == '-');
        p++;
    }
    if ((Base == 0 || Base == 16) && p[0] == '0' && (p[1] == 'x' || p[1] == 'X') &&
        DigitValue((uint16_t)p[2]) < 16) {
        p += 2;
        Base = 16;
    } else if (Base == 0) {
        Base = (p[0] == '0') ? 8 : 10;
    }

    limit = Out->Negative ? NegativeLimit : PositiveLimit;
    digitsStart = p;
    for (;; p++) {
        int digit = DigitValue((uint16_t)*p);
        if (digit >= Base) {
            break;
        }
        if (Out->Overflow) {
            continue;
        }
        if (Out->Magnitude > (limit - (uint64_t)digit) / (uint64_t)Base) {
            Out->Overflow = 1;
            Out->Magnitude = limit;
        } else {
            Out->Magnitude = Out->Magnitude * (uint64_t)Base + (uint64_t)digit;
        }
    }
    if (p == digitsStart) {
        Out->Negative = 0;
        return 0;
    }
    *End = p;
    return 1;
}

static void SetEnd(WCHAR **EndPointer, const WCHAR *End)
{
    if (EndPointer != NULL) {
        *EndPointer = (WCHAR *)End;
    }
}

unsigned long FsimCrt_wcstoul(const WCHAR *nptr, WCHAR **endptr, int base)
{
    PARSED_INTEGER parsed;
    const WCHAR *end;
    uint32_t value;

    ParseInteger(nptr, base, 0xFFFFFFFFu, 0xFFFFFFFFu, &end, &parsed);
    SetEnd(endptr, end);
    if (parsed.Overflow) {
        return 0xFFFFFFFFul;
    }
    value = (uint32_t)parsed.Magnitude;
    return parsed.Negative ? (unsigned long)(uint32_t)(0u - value) : (unsigned long)value;
}

long FsimCrt_wcstol(const WCHAR *nptr, WCHAR **endptr, int base)
{
    PARSED_INTEGER parsed;
    const WCHAR *end;

    ParseInteger(nptr, base, 0x7FFFFFFFu, 0x80000000u, &end, &parsed);
    SetEnd(endptr, end);
    if (parsed.Negative) {
        return -(long)parsed.Magnitude;
    }
    return (long)parsed.Magnitude;
}

int FsimCrt__wtoi(const WCHAR *s)
{
    return (int)FsimCrt_wcstol(s, NULL, 10);
}

LONG FsimCrt__wtol(const WCHAR *s)
{
    return (LONG)FsimCrt_wcstol(s, NULL, 10);
}

ULONGLONG FsimCrt__wcstoui64(const WCHAR *nptr, WCHAR **endptr, int base)
{
    PARSED_INTEGER parsed;
    const WCHAR *end;

    ParseInteger(nptr, base, UINT64_MAX, UINT64_MAX, &end, &parsed);
    SetEnd(endptr, end);
    if (parsed.Overflow) {
        return UINT64_MAX;
    }
    return parsed.Negative ? 0 - parsed.Magnitude : parsed.Magnitude;
}

LONGLONG FsimCrt__wcstoi64(const WCHAR *nptr, WCHAR **endptr, int base)
{
    PARSED_INTEGER parsed;
    const WCHAR *end;

    ParseInteger(nptr, base, (uint64_t)INT64_MAX, (uint64_t)INT64_MAX + 1u, &end, &parsed);
    SetEnd(endptr, end);
    if (parsed.Negative) {
        /* Magnitude <= 2^63: negate in unsigned arithmetic, then convert. */
        return parsed.Magnitude == (uint64_t)INT64_MAX + 1u ? INT64_MIN
                                                            : -(int64_t)parsed.Magnitude;
    }
    return (int64_t)parsed.Magnitude;
}

LONGLONG FsimCrt__wtoi64(const WCHAR *s)
{
    return FsimCrt__wcstoi64(s, NULL, 10);
}
