/*
 * format.c - fltsim CRT: the printf engine's parser and dispatcher.
 *
 * Owns walking a narrow or UTF-16 format string, copying literal text,
 * parsing each conversion specification (flags, width, precision, size
 * prefix, type) with Microsoft's meanings, fetching '*' arguments, deciding
 * whether a %c/%s/%Z argument is narrow or wide, and handing the conversion
 * to its family (format_int.c, format_float.c, format_text.c).  A
 * specification that is not valid is copied to the output as it stands and
 * consumes no argument.
 */
#include "crtp.h"

typedef struct _FORMAT_CURSOR {
    const void *Format;
    int Wide;
} FORMAT_CURSOR;

static uint16_t UnitAt(const FORMAT_CURSOR *Cursor, size_t Index)
{
    if (Cursor->Wide) {
        return (uint16_t)((const WCHAR *)Cursor->Format)[Index];
    }
    return (unsigned char)((const char *)Cursor->Format)[Index];
}

static void PutLiteral(FSIM_CRT_SINK *Sink, const FORMAT_CURSOR *Cursor, size_t Start,
                       size_t Length)
{
    if (Length == 0) {
        return;
    }
    if (Cursor->Wide) {
        FsimCrtSinkPutWide(Sink, (const WCHAR *)Cursor->Format + Start, Length);
    } else {
        FsimCrtSinkPutNarrow(Sink, (const char *)Cursor->Format + Start, Length);
    }
}

static int IsDigit(uint16_t Unit)
{
    return Unit >= '0' && Unit <= '9';
}

/* Reads a decimal field starting at *Index, saturating at FSIM_CRT_MAX_FIELD. */
static size_t ParseNumber(const FORMAT_CURSOR *Cursor, size_t *Index)
{
    size_t value = 0;

    while (IsDigit(UnitAt(Cursor, *Index))) {
        size_t digit = (size_t)(UnitAt(Cursor, *Index) - '0');
        if (value > (FSIM_CRT_MAX_FIELD - digit) / 10) {
            value = FSIM_CRT_MAX_FIELD;
        } else {
            value = value * 10 + digit;
        }
        (*Index)++;
    }
    return value;
}

/* Parses the size prefix at *Index (if any) into Spec->Size. */
static void ParseSize(const FORMAT_CURSOR *Cursor, size_t *Index, FSIM_CRT_SPEC *Spec)
{
    uint16_t c = UnitAt(Cursor, *Index);
    /* Never look past the terminator: read the next unit only after a non-NUL one. */
    uint16_t next = (c != 0) ? UnitAt(Cursor, *Index + 1) : 0;

    switch (c) {
    case 'h':
        if (next == 'h') {
            Spec->Size = FSIM_CRT_SIZE_CHAR;
            *Index += 2;
        } else {
            Spec->Size = FSIM_CRT_SIZE_SHORT;
            *Index += 1;
        }
        return;
    case 'l':
        if (next == 'l') {
            Spec->Size = FSIM_CRT_SIZE_64;
            *Index += 2;
        } else {
            Spec->Size = FSIM_CRT_SIZE_LONG;
            *Index += 1;
        }
        return;
    case 'L':
        Spec->Size = FSIM_CRT_SIZE_LONGDOUBLE;
        *Index += 1;
        return;
    case 'j':
    case 'z':
    case 't':
        Spec->Size = FSIM_CRT_SIZE_64;
        *Index += 1;
        return;
    case 'w':
        Spec->Size = FSIM_CRT_SIZE_WIDE;
        *Index += 1;
        return;
    case 'I':
        if (next == '6' && UnitAt(Cursor, *Index + 2) == '4') {
            Spec->Size = FSIM_CRT_SIZE_64;
            *Index += 3;
        } else if (next == '3' && UnitAt(Cursor, *Index + 2) == '2') {
            Spec->Size = FSIM_CRT_SIZE_32;
            *Index += 3;
        } else {
            Spec->Size = FSIM_CRT_SIZE_64; /* pointer-sized on x64 */
            *Index += 1;
        }
        return;
    default:
        Spec->Size = FSIM_CRT_SIZE_NONE;
        return;
    }
}

static int IsConversion(uint16_t Unit)
{
    switch (Unit) {
    case 'd': case 'i': case 'u': case 'o': case 'x': case 'X':
    case 'c': case 'C': case 's': case 'S': case 'Z':
    case 'p': case 'n':
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'a': case 'A':
        return 1;
    default:
        return 0;
    }
}

/*
 * Text conversions: is the argument wide?  h forces narrow, l/w force wide;
 * otherwise c/s follow the format's own kind and C/S the other kind.
 * %Z is an ANSI_STRING unless l or w makes it a UNICODE_STRING.
 */
static int ArgumentIsWide(const FSIM_CRT_SPEC *Spec, int FormatIsWide)
{
    if (Spec->Size == FSIM_CRT_SIZE_SHORT) {
        return 0;
    }
    if (Spec->Size == FSIM_CRT_SIZE_LONG || Spec->Size == FSIM_CRT_SIZE_WIDE) {
        return 1;
    }
    switch (Spec->Type) {
    case 'c':
    case 's':
        return FormatIsWide;
    case 'C':
    case 'S':
        return !FormatIsWide;
    default:
        return 0;
    }
}

/* Pads Length units of text conversions to the spec's width (before or after). */
void FsimCrtPad(FSIM_CRT_SINK *Sink, const FSIM_CRT_SPEC *Spec, size_t Length, int Before)
{
    uint16_t fill;

    if (Spec->Width <= Length) {
        return;
    }
    if ((Before != 0) != (Spec->LeftAlign == 0)) {
        return;
    }
    fill = (Spec->ZeroPad && !Spec->LeftAlign) ? '0' : ' ';
    FsimCrtSinkPutRepeat(Sink, fill, Spec->Width - Length);
}

/*
 * Handles the specification that starts with the '%' at Start; returns the
 * index just after it.
 */
static size_t ConvertOne(FSIM_CRT_SINK *Sink, const FORMAT_CURSOR *Cursor, size_t Start,
                         va_list *Args, FSIM_FORMAT_POINTER_HOOK *Hook, void *HookContext,
                         FSIM_CRT_FORMAT_RESULT *Result)
{
    FSIM_CRT_SPEC spec = {0};
    size_t i = Start + 1;
    int widthStar = 0;
    int precisionStar = 0;
    uint16_t type;

    if (UnitAt(Cursor, i) == '%') {
        FsimCrtSinkPutUnit(Sink, '%');
        return i + 1;
    }

    for (;;) {
        uint16_t c = UnitAt(Cursor, i);
        if (c == '-') {
            spec.LeftAlign = 1;
        } else if (c == '+') {
            spec.ForceSign = 1;
        } else if (c == ' ') {
            spec.SpaceSign = 1;
        } else if (c == '#') {
            spec.Alternate = 1;
        } else if (c == '0') {
            spec.ZeroPad = 1;
        } else {
            break;
        }
        i++;
    }
    if (UnitAt(Cursor, i) == '*') {
        widthStar = 1;
        i++;
    } else {
        spec.Width = ParseNumber(Cursor, &i);
    }
    if (UnitAt(Cursor, i) == '.') {
        i++;
        spec.HasPrecision = 1;
        if (UnitAt(Cursor, i) == '*') {
            precisionStar = 1;
            i++;
        } else {
            spec.Precision = ParseNumber(Cursor, &i);
        }
    }
    ParseSize(Cursor, &i, &spec);

    type = UnitAt(Cursor, i);
    if (!IsConversion(type)) {
        /* Copy "%...<bad char>" (or "%..." up to the end) and take no argument. */
        size_t end = (type == 0) ? i : i + 1;
        PutLiteral(Sink, Cursor, Start, end - Start);
        Result->InvalidConversion = 1;
        return end;
    }
    spec.Type = (char)type;
    i++;

    if (widthStar) {
        int width = va_arg(*Args, int);
        if (width < 0) {
            spec.LeftAlign = 1;
            spec.Width = (width == -2147483647 - 1) ? FSIM_CRT_MAX_FIELD : (size_t)(-width);
        } else {
            spec.Width = (size_t)width;
        }
    }
    if (precisionStar) {
        int precision = va_arg(*Args, int);
        if (precision < 0) {
            spec.HasPrecision = 0;
            spec.Precision = 0;
        } else {
            spec.Precision = (size_t)precision;
        }
    }

    switch (spec.Type) {
    case 'd': case 'i': case 'u': case 'o': case 'x': case 'X':
        FsimCrtFormatInteger(Sink, &spec, Args);
        break;
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'a': case 'A':
        FsimCrtFormatFloat(Sink, &spec, Args);
        break;
    case 'p':
        FsimCrtFormatPointer(Sink, &spec, Args, Hook, HookContext);
        break;
    case 'n':
        (void)va_arg(*Args, void *);
        break;
    case 'c': case 'C':
        FsimCrtFormatChar(Sink, &spec, Args, ArgumentIsWide(&spec, Cursor->Wide));
        break;
    case 's': case 'S':
        FsimCrtFormatString(Sink, &spec, Args, ArgumentIsWide(&spec, Cursor->Wide));
        break;
    case 'Z':
        FsimCrtFormatCountedString(Sink, &spec, Args, ArgumentIsWide(&spec, Cursor->Wide));
        break;
    default:
        break;
    }
    return i;
}

void FsimCrtFormat(FSIM_CRT_SINK *Sink, const void *Format, int FormatIsWide, va_list *Args,
                   FSIM_FORMAT_POINTER_HOOK *Hook, void *HookContext,
                   FSIM_CRT_FORMAT_RESULT *Result)
{
    FORMAT_CURSOR cursor = {Format, FormatIsWide};
    size_t i = 0;

    Result->InvalidConversion = 0;
    if (Format == NULL) {
        return;
    }
    for (;;) {
        size_t start = i;
        while (UnitAt(&cursor, i) != 0 && UnitAt(&cursor, i) != '%') {
            i++;
        }
        PutLiteral(Sink, &cursor, start, i - start);
        if (UnitAt(&cursor, i) == 0) {
            return;
        }
        i = ConvertOne(Sink, &cursor, i, Args, Hook, HookContext, Result);
    }
}
