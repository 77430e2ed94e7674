/*
 * utf.c - fltsim CRT: UTF-8 and UTF-16 code point encoding and decoding.
 *
 * Owns the conversions the printf engine needs when wide text goes to a
 * narrow buffer or narrow text to a wide one.  Invalid input never stops a
 * conversion: it becomes U+FFFD.
 */
#include "crtp.h"

size_t FsimCrtUtf8Encode(uint32_t CodePoint, char Out[4])
{
    if (CodePoint < 0x80u) {
        Out[0] = (char)CodePoint;
        return 1;
    }
    if (CodePoint < 0x800u) {
        Out[0] = (char)(0xC0u | (CodePoint >> 6));
        Out[1] = (char)(0x80u | (CodePoint & 0x3Fu));
        return 2;
    }
    if (CodePoint < 0x10000u) {
        Out[0] = (char)(0xE0u | (CodePoint >> 12));
        Out[1] = (char)(0x80u | ((CodePoint >> 6) & 0x3Fu));
        Out[2] = (char)(0x80u | (CodePoint & 0x3Fu));
        return 3;
    }
    Out[0] = (char)(0xF0u | (CodePoint >> 18));
    Out[1] = (char)(0x80u | ((CodePoint >> 12) & 0x3Fu));
    Out[2] = (char)(0x80u | ((CodePoint >> 6) & 0x3Fu));
    Out[3] = (char)(0x80u | (CodePoint & 0x3Fu));
    return 4;
}

static int IsContinuation(unsigned char Byte)
{
    return (Byte & 0xC0u) == 0x80u;
}

size_t FsimCrtUtf8Decode(const char *Text, size_t Length, uint32_t *CodePoint)
{
    const unsigned char *p = (const unsigned char *)Text;
    unsigned char lead = p[0];
    size_t count;
    uint32_t value;
    uint32_t minimum;

    if (lead < 0x80u) {
        *CodePoint = lead;
        return 1;
    }
    if (lead >= 0xC2u && lead <= 0xDFu) {
        count = 2;
        value = lead & 0x1Fu;
        minimum = 0x80u;
    } else if (lead >= 0xE0u && lead <= 0xEFu) {
        count = 3;
        value = lead & 0x0Fu;
        minimum = 0x800u;
    } else if (lead >= 0xF0u && lead <= 0xF4u) {
        count = 4;
        value = lead & 0x07u;
        minimum = 0x10000u;
    } else {
        *CodePoint = FSIM_CRT_REPLACEMENT_CHARACTER;
        return 1;
    }
    if (Length < count) {
        *CodePoint = FSIM_CRT_REPLACEMENT_CHARACTER;
        return 1;
    }
    for (size_t i = 1; i < count; i++) {
        if (!IsContinuation(p[i])) {
            *CodePoint = FSIM_CRT_REPLACEMENT_CHARACTER;
            return 1;
        }
        value = (value << 6) | (p[i] & 0x3Fu);
    }
    if (value < minimum || value > 0x10FFFFu || (value >= 0xD800u && value <= 0xDFFFu)) {
        *CodePoint = FSIM_CRT_REPLACEMENT_CHARACTER;
        return 1;
    }
    *CodePoint = value;
    return count;
}

size_t FsimCrtUtf16Decode(const WCHAR *Text, size_t Length, uint32_t *CodePoint)
{
    uint16_t first = (uint16_t)Text[0];

    if (first >= 0xD800u && first <= 0xDBFFu) {
        if (Length >= 2) {
            uint16_t second = (uint16_t)Text[1];
            if (second >= 0xDC00u && second <= 0xDFFFu) {
                *CodePoint = 0x10000u + (((uint32_t)first - 0xD800u) << 10) +
                             ((uint32_t)second - 0xDC00u);
                return 2;
            }
        }
        *CodePoint = FSIM_CRT_REPLACEMENT_CHARACTER;
        return 1;
    }
    if (first >= 0xDC00u && first <= 0xDFFFu) {
        *CodePoint = FSIM_CRT_REPLACEMENT_CHARACTER;
        return 1;
    }
    *CodePoint = first;
    return 1;
}
