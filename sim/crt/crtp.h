/*
 * crtp.h - fltsim CRT: private interfaces shared by the files of sim/crt.
 *
 * Owns the output sink of the printf engine (a bounded buffer of narrow or
 * UTF-16 units that keeps counting past its end), the UTF-8/UTF-16
 * conversion helpers, the wide case/classification primitives and the
 * engine's core entry point.  Nothing here is visible to driver code.
 */
#ifndef FSIM_CRT_PRIVATE_H
#define FSIM_CRT_PRIVATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <fsim_crt.h>

/* ------------------------------------------------------------------------ */
/* Output sink.                                                             */
/* ------------------------------------------------------------------------ */
typedef struct _FSIM_CRT_SINK {
    void *Buffer;   /* char * (narrow) or WCHAR * (wide); may be NULL if Limit is 0 */
    size_t Limit;   /* units that may be stored */
    size_t Stored;  /* units stored so far (<= Limit) */
    size_t Needed;  /* units produced so far, stored or not */
    int Wide;       /* nonzero: the buffer holds UTF-16 units */
} FSIM_CRT_SINK;

void FsimCrtSinkInit(FSIM_CRT_SINK *Sink, void *Buffer, size_t Limit, int Wide);
/* One unit: a byte in a narrow sink, a UTF-16 unit in a wide sink. */
void FsimCrtSinkPutUnit(FSIM_CRT_SINK *Sink, uint16_t Unit);
void FsimCrtSinkPutRepeat(FSIM_CRT_SINK *Sink, uint16_t Unit, size_t Count);
/* ASCII text (digits, signs, "(null)"): the same units in either sink. */
void FsimCrtSinkPutAscii(FSIM_CRT_SINK *Sink, const char *Text, size_t Length);
/* Narrow (UTF-8) text: copied to a narrow sink, decoded into a wide one. */
void FsimCrtSinkPutNarrow(FSIM_CRT_SINK *Sink, const char *Text, size_t Length);
/* UTF-16 text: copied to a wide sink, encoded as UTF-8 into a narrow one. */
void FsimCrtSinkPutWide(FSIM_CRT_SINK *Sink, const WCHAR *Text, size_t Length);

/* ------------------------------------------------------------------------ */
/* UTF-8 / UTF-16.                                                          */
/* ------------------------------------------------------------------------ */
#define FSIM_CRT_REPLACEMENT_CHARACTER 0xFFFDu

/* Encodes a scalar value (<= 0x10FFFF, not a surrogate) into Out; returns 1-4. */
size_t FsimCrtUtf8Encode(uint32_t CodePoint, char Out[4]);
/*
 * Decodes one code point from Text[0..Length) (Length >= 1).  Returns the
 * number of bytes consumed (>= 1); an invalid or truncated sequence yields
 * U+FFFD and consumes one byte.
 */
size_t FsimCrtUtf8Decode(const char *Text, size_t Length, uint32_t *CodePoint);
/*
 * Decodes one code point from UTF-16 Text[0..Length) (Length >= 1).  Returns
 * the units consumed (1 or 2); an unpaired surrogate yields U+FFFD.
 */
size_t FsimCrtUtf16Decode(const WCHAR *Text, size_t Length, uint32_t *CodePoint);

/* ------------------------------------------------------------------------ */
/* Wide characters: the tables behind towupper & co.                        */
/* ------------------------------------------------------------------------ */
uint16_t FsimCrtUpcase(uint16_t C);
uint16_t FsimCrtDowncase(uint16_t C);
int FsimCrtIsUpper(uint16_t C);
int FsimCrtIsLower(uint16_t C);
int FsimCrtIsSpace(uint16_t C);

/* Narrow ASCII helpers. */
static inline unsigned char FsimCrtAsciiLower(unsigned char C)
{
    return (C >= 'A' && C <= 'Z') ? (unsigned char)(C - 'A' + 'a') : C;
}
static inline unsigned char FsimCrtAsciiUpper(unsigned char C)
{
    return (C >= 'a' && C <= 'z') ? (unsigned char)(C - 'a' + 'A') : C;
}

/* ------------------------------------------------------------------------ */
/* The printf engine.                                                       */
/* ------------------------------------------------------------------------ */
typedef struct _FSIM_CRT_FORMAT_RESULT {
    int InvalidConversion;  /* an invalid/unknown conversion was copied literally */
} FSIM_CRT_FORMAT_RESULT;

/*
 * Formats Format (narrow if FormatIsWide is 0, UTF-16 otherwise) with the
 * arguments in *Args into Sink.  Never writes a terminator.
 */
void FsimCrtFormat(FSIM_CRT_SINK *Sink, const void *Format, int FormatIsWide, va_list *Args,
                   FSIM_FORMAT_POINTER_HOOK *Hook, void *HookContext,
                   FSIM_CRT_FORMAT_RESULT *Result);

/* One parsed conversion specification. */
typedef struct _FSIM_CRT_SPEC {
    int LeftAlign;      /* '-' */
    int ForceSign;      /* '+' */
    int SpaceSign;      /* ' ' */
    int Alternate;      /* '#' */
    int ZeroPad;        /* '0' */
    size_t Width;       /* 0 if none */
    int HasPrecision;
    size_t Precision;
    char Size;          /* FSIM_CRT_SIZE_* */
    char Type;          /* conversion character (ASCII) */
} FSIM_CRT_SPEC;

#define FSIM_CRT_SIZE_NONE 0
#define FSIM_CRT_SIZE_CHAR 'H'      /* hh */
#define FSIM_CRT_SIZE_SHORT 'h'     /* h */
#define FSIM_CRT_SIZE_LONG 'l'      /* l: 32-bit on integers, wide on text */
#define FSIM_CRT_SIZE_WIDE 'w'      /* w */
#define FSIM_CRT_SIZE_32 '3'        /* I32 */
#define FSIM_CRT_SIZE_64 '6'        /* ll, I64, I, j, z, t */
#define FSIM_CRT_SIZE_LONGDOUBLE 'L'

/* Precision for floating point is capped at this many digits. */
#define FSIM_CRT_MAX_FLOAT_PRECISION 512
/* Width and precision saturate here. */
#define FSIM_CRT_MAX_FIELD ((size_t)0x7FFFFFFF)

/* Writes Length units of already converted Body with the spec's width. */
void FsimCrtPad(FSIM_CRT_SINK *Sink, const FSIM_CRT_SPEC *Spec, size_t Length, int Before);

/* Conversions, one per family (format_int.c, format_float.c, format_text.c). */
void FsimCrtFormatInteger(FSIM_CRT_SINK *Sink, const FSIM_CRT_SPEC *Spec, va_list *Args);
void FsimCrtFormatFloat(FSIM_CRT_SINK *Sink, const FSIM_CRT_SPEC *Spec, va_list *Args);
void FsimCrtFormatPointer(FSIM_CRT_SINK *Sink, const FSIM_CRT_SPEC *Spec, va_list *Args,
                          FSIM_FORMAT_POINTER_HOOK *Hook, void *HookContext);
/* WideText: the argument is wide (decided by the caller from format kind and size). */
void FsimCrtFormatChar(FSIM_CRT_SINK *Sink, const FSIM_CRT_SPEC *Spec, va_list *Args,
                       int WideText);
void FsimCrtFormatString(FSIM_CRT_SINK *Sink, const FSIM_CRT_SPEC *Spec, va_list *Args,
                         int WideText);
void FsimCrtFormatCountedString(FSIM_CRT_SINK *Sink, const FSIM_CRT_SPEC *Spec, va_list *Args,
                                int WideText);

/* Runs the engine for the driver-facing wrappers with the machine's hook. */
size_t FsimCrtFormatToSink(FSIM_CRT_SINK *Sink, const void *Format, int FormatIsWide,
                           va_list Args, FSIM_CRT_FORMAT_RESULT *Result);

#endif /* FSIM_CRT_PRIVATE_H */
