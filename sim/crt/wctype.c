/*
 * wctype.c - fltsim CRT: wide-character case mapping and classification.
 *
 * Owns towupper/towlower and the isw* classifiers, and the primitives behind
 * them (FsimCrtUpcase, FsimCrtDowncase, ...) that the case-insensitive
 * string routines share.  Coverage: ASCII, Latin-1, Latin Extended-A,
 * modern Greek and basic Cyrillic with Unicode's one-to-one simple case
 * mappings (see the character model in fsim_crt.h).  Mappings are computed
 * from the blocks' regular layout rather than looked up in tables.
 */
#include "crtp.h"

/* In U+0100-U+017F upper- and lowercase letters alternate in runs. */
static int LatinExtendedAIsUpper(uint16_t C)
{
    if ((C >= 0x0100 && C <= 0x012F) || (C >= 0x0132 && C <= 0x0137) ||
        (C >= 0x014A && C <= 0x0177)) {
        return (C & 1u) == 0;
    }
    if ((C >= 0x0139 && C <= 0x0148) || (C >= 0x0179 && C <= 0x017E)) {
        return (C & 1u) == 1;
    }
    return 0;
}

static int LatinExtendedAIsPairedLower(uint16_t C)
{
    if ((C >= 0x0100 && C <= 0x012F) || (C >= 0x0132 && C <= 0x0137) ||
        (C >= 0x014A && C <= 0x0177)) {
        return (C & 1u) == 1;
    }
    if ((C >= 0x0139 && C <= 0x0148) || (C >= 0x0179 && C <= 0x017E)) {
        return (C & 1u) == 0;
    }
    return 0;
}

uint16_t FsimCrtUpcase(uint16_t C)
{
    if (C < 0x80) {
        return (C >= 'a' && C <= 'z') ? (uint16_t)(C - 0x20) : C;
    }
    if (C < 0x100) {
        if (C >= 0xE0 && C <= 0xFE && C != 0xF7) {
            return (uint16_t)(C - 0x20);
        }
        return C == 0xFF ? 0x0178 : C;
    }
    if (C < 0x180) {
        return LatinExtendedAIsPairedLower(C) ? (uint16_t)(C - 1) : C;
    }
    if (C >= 0x0386 && C <= 0x03CE) {
        if (C == 0x03AC) {
            return 0x0386;
        }
        if (C >= 0x03AD && C <= 0x03AF) {
            return (uint16_t)(C - 0x25);
        }
        if ((C >= 0x03B1 && C <= 0x03C1) || (C >= 0x03C3 && C <= 0x03CB)) {
            return (uint16_t)(C - 0x20);
        }
        if (C == 0x03CC) {
            return 0x038C;
        }
        if (C == 0x03CD || C == 0x03CE) {
            return (uint16_t)(C - 0x3F);
        }
        return C;
    }
    if (C >= 0x0430 && C <= 0x044F) {
        return (uint16_t)(C - 0x20);
    }
    if (C >= 0x0450 && C <= 0x045F) {
        return (uint16_t)(C - 0x50);
    }
    return C;
}

uint16_t FsimCrtDowncase(uint16_t C)
{
    if (C < 0x80) {
        return (C >= 'A' && C <= 'Z') ? (uint16_t)(C + 0x20) : C;
    }
    if (C < 0x100) {
        if (C >= 0xC0 && C <= 0xDE && C != 0xD7) {
            return (uint16_t)(C + 0x20);
        }
        return C;
    }
    if (C < 0x180) {
        if (C == 0x0178) {
            return 0x00FF;
        }
        return LatinExtendedAIsUpper(C) ? (uint16_t)(C + 1) : C;
    }
    if (C >= 0x0386 && C <= 0x03CE) {
        if (C == 0x0386) {
            return 0x03AC;
        }
        if (C >= 0x0388 && C <= 0x038A) {
            return (uint16_t)(C + 0x25);
        }
        if (C == 0x038C) {
            return 0x03CC;
        }
        if (C == 0x038E || C == 0x038F) {
            return (uint16_t)(C + 0x3F);
        }
        if ((C >= 0x0391 && C <= 0x03A1) || (C >= 0x03A3 && C <= 0x03AB)) {
            return (uint16_t)(C + 0x20);
        }
        return C;
    }
    if (C >= 0x0400 && C <= 0x040F) {
        return (uint16_t)(C + 0x50);
    }
    if (C >= 0x0410 && C <= 0x042F) {
        return (uint16_t)(C + 0x20);
    }
    return C;
}

int FsimCrtIsUpper(uint16_t C)
{
    /* U+0130 (I with dot above) is uppercase without a one-to-one lowercase. */
    return FsimCrtDowncase(C) != C || C == 0x0130;
}

int FsimCrtIsLower(uint16_t C)
{
    if (FsimCrtUpcase(C) != C) {
        return 1;
    }
    switch (C) {
    case 0x00B5: case 0x00DF: case 0x0131: case 0x0138: case 0x0149: case 0x017F:
    case 0x0390: case 0x03B0: case 0x03C2:
        return 1;
    default:
        return 0;
    }
}

int FsimCrtIsSpace(uint16_t C)
{
    if ((C >= 0x09 && C <= 0x0D) || C == 0x20 || C == 0x85 || C == 0xA0) {
        return 1;
    }
    return C == 0x1680 || (C >= 0x2000 && C <= 0x200A) || C == 0x2028 || C == 0x2029 ||
           C == 0x202F || C == 0x205F || C == 0x3000;
}

static int IsAlpha(uint16_t C)
{
    if (C < 0x80) {
        return (C >= 'A' && C <= 'Z') || (C >= 'a' && C <= 'z');
    }
    if (C < 0x100) {
        return C == 0xAA || C == 0xB5 || C == 0xBA || (C >= 0xC0 && C != 0xD7 && C != 0xF7);
    }
    if (C < 0x180) {
        return 1;
    }
    if (C >= 0x0386 && C <= 0x03CE) {
        return C != 0x0387 && C != 0x038B && C != 0x038D && C != 0x03A2;
    }
    return C >= 0x0400 && C <= 0x045F;
}

static int IsDigit(uint16_t C)
{
    return C >= '0' && C <= '9';
}

/* FSIM_WINT may be signed (macOS) or unsigned (glibc); anything outside the BMP is no WCHAR. */
static int ToUnit(FSIM_WINT C, uint16_t *Unit)
{
    unsigned long long value = (unsigned long long)C;

    if (value > 0xFFFFu) {
        return 0;
    }
    *Unit = (uint16_t)value;
    return 1;
}

FSIM_WINT FsimCrt_towupper(FSIM_WINT c)
{
    uint16_t unit;
    return ToUnit(c, &unit) ? (FSIM_WINT)FsimCrtUpcase(unit) : c;
}

FSIM_WINT FsimCrt_towlower(FSIM_WINT c)
{
    uint16_t unit;
    return ToUnit(c, &unit) ? (FSIM_WINT)FsimCrtDowncase(unit) : c;
}

int FsimCrt_iswalpha(FSIM_WINT c)
{
    uint16_t unit;
    return ToUnit(c, &unit) && IsAlpha(unit);
}

int FsimCrt_iswdigit(FSIM_WINT c)
{
    uint16_t unit;
    return ToUnit(c, &unit) && IsDigit(unit);
}

int FsimCrt_iswspace(FSIM_WINT c)
{
    uint16_t unit;
    return ToUnit(c, &unit) && FsimCrtIsSpace(unit);
}

int FsimCrt_iswupper(FSIM_WINT c)
{
    uint16_t unit;
    return ToUnit(c, &unit) && FsimCrtIsUpper(unit);
}

int FsimCrt_iswlower(FSIM_WINT c)
{
    uint16_t unit;
    return ToUnit(c, &unit) && FsimCrtIsLower(unit);
}

int FsimCrt_iswxdigit(FSIM_WINT c)
{
    uint16_t unit;
    return ToUnit(c, &unit) &&
           (IsDigit(unit) || (unit >= 'a' && unit <= 'f') || (unit >= 'A' && unit <= 'F'));
}

int FsimCrt_iswalnum(FSIM_WINT c)
{
    uint16_t unit;
    return ToUnit(c, &unit) && (IsAlpha(unit) || IsDigit(unit));
}
