/*
 * printf.c - fltsim CRT: the entry points of the printf engine.
 *
 * Owns the simulator-facing formatters (FsimFormatNarrowV/FsimFormatWideV and
 * their variadic forms, used by DbgPrint and RtlStringCb*Printf) and the
 * driver-facing Microsoft CRT routines built on them: _snprintf/_snwprintf,
 * _vsnprintf/_vsnwprintf, sprintf_s/swprintf_s/vsprintf_s/vswprintf_s and
 * _snprintf_s/_snwprintf_s/_vsnprintf_s/_vsnwprintf_s, each with the
 * truncation, terminator and return-value rules documented in fsim_crt.h.
 * The driver-facing routines format %p through the machine's pointer hook
 * (FsimCrtGetPointerHook).
 */
#include "crtp.h"

/* Stores a terminator at Index of a narrow or wide buffer. */
static void PutTerminator(void *Buffer, size_t Index, int Wide)
{
    if (Wide) {
        ((WCHAR *)Buffer)[Index] = 0;
    } else {
        ((char *)Buffer)[Index] = '\0';
    }
}

static int ClampToInt(size_t Value)
{
    return Value > 0x7FFFFFFF ? 0x7FFFFFFF : (int)Value;
}

size_t FsimCrtFormatToSink(FSIM_CRT_SINK *Sink, const void *Format, int FormatIsWide,
                           va_list Args, FSIM_CRT_FORMAT_RESULT *Result)
{
    FSIM_FORMAT_POINTER_HOOK *hook = NULL;
    void *hookContext = NULL;
    va_list args;

    FsimCrtGetPointerHook(&hook, &hookContext);
    va_copy(args, Args);
    FsimCrtFormat(Sink, Format, FormatIsWide, &args, hook, hookContext, Result);
    va_end(args);
    return Sink->Needed;
}

/* ------------------------------------------------------------------------ */
/* Simulator-facing entry points.                                           */
/* ------------------------------------------------------------------------ */

static int FormatBounded(void *Buffer, size_t Capacity, const void *Format, int Wide,
                         va_list Args, FSIM_FORMAT_POINTER_HOOK *Hook, void *HookContext,
                         size_t *Needed)
{
    FSIM_CRT_SINK sink;
    FSIM_CRT_FORMAT_RESULT result;
    int hasRoom = (Buffer != NULL && Capacity > 0);
    va_list args;

    FsimCrtSinkInit(&sink, hasRoom ? Buffer : NULL, hasRoom ? Capacity - 1 : 0, Wide);
    va_copy(args, Args);
    FsimCrtFormat(&sink, Format, Wide, &args, Hook, HookContext, &result);
    va_end(args);
    if (hasRoom) {
        PutTerminator(Buffer, sink.Stored, Wide);
    }
    if (Needed != NULL) {
        *Needed = sink.Needed;
    }
    return ClampToInt(sink.Stored);
}

int FsimFormatNarrowV(char *Buffer, size_t Capacity, const char *Format, va_list Args,
                      FSIM_FORMAT_POINTER_HOOK *Hook, void *HookContext, size_t *Needed)
{
    return FormatBounded(Buffer, Capacity, Format, 0, Args, Hook, HookContext, Needed);
}

int FsimFormatWideV(WCHAR *Buffer, size_t CapacityInChars, const WCHAR *Format, va_list Args,
                    FSIM_FORMAT_POINTER_HOOK *Hook, void *HookContext, size_t *Needed)
{
    return FormatBounded(Buffer, CapacityInChars, Format, 1, Args, Hook, HookContext, Needed);
}

int FsimFormatNarrow(char *Buffer, size_t Capacity, FSIM_FORMAT_POINTER_HOOK *Hook,
                     void *HookContext, size_t *Needed, const char *Format, ...)
{
    va_list args;
    int stored;

    va_start(args, Format);
    stored = FormatBounded(Buffer, Capacity, Format, 0, args, Hook, HookContext, Needed);
    va_end(args);
    return stored;
}

int FsimFormatWide(WCHAR *Buffer, size_t CapacityInChars, FSIM_FORMAT_POINTER_HOOK *Hook,
                   void *HookContext, size_t *Needed, const WCHAR *Format, ...)
{
    va_list args;
    int stored;

    va_start(args, Format);
    stored = FormatBounded(Buffer, CapacityInChars, Format, 1, args, Hook, HookContext, Needed);
    va_end(args);
    return stored;
}

/* ------------------------------------------------------------------------ */
/* _snprintf family: no terminator when the text fills the buffer exactly,  */
/* -1 when it does not fit.                                                 */
/* ------------------------------------------------------------------------ */

static int SnprintfCore(void *Buffer, size_t Count, const void *Format, int Wide, va_list Args)
{
    FSIM_CRT_SINK sink;
    FSIM_CRT_FORMAT_RESULT result;
    size_t length;

    if (Format == NULL || (Buffer == NULL && Count != 0)) {
        return -1;
    }
    FsimCrtSinkInit(&sink, Buffer, Count, Wide);
    length = FsimCrtFormatToSink(&sink, Format, Wide, Args, &result);
    if (Buffer == NULL) {
        return length > 0x7FFFFFFF ? -1 : (int)length;
    }
    if (length > Count) {
        return -1;
    }
    if (length < Count) {
        PutTerminator(Buffer, length, Wide);
    }
    return length > 0x7FFFFFFF ? -1 : (int)length;
}

int FsimCrt__vsnprintf(char *buffer, size_t count, const char *format, va_list args)
{
    return SnprintfCore(buffer, count, format, 0, args);
}

int FsimCrt__vsnwprintf(WCHAR *buffer, size_t count, const WCHAR *format, va_list args)
{
    return SnprintfCore(buffer, count, format, 1, args);
}

int FsimCrt__snprintf(char *buffer, size_t count, const char *format, ...)
{
    va_list args;
    int result;

    va_start(args, format);
    result = SnprintfCore(buffer, count, format, 0, args);
    va_end(args);
    return result;
}

int FsimCrt__snwprintf(WCHAR *buffer, size_t count, const WCHAR *format, ...)
{
    va_list args;
    int result;

    va_start(args, format);
    result = SnprintfCore(buffer, count, format, 1, args);
    va_end(args);
    return result;
}

/* ------------------------------------------------------------------------ */
/* sprintf_s family: all or nothing.                                        */
/* ------------------------------------------------------------------------ */

static int SprintfSCore(void *Buffer, size_t Size, const void *Format, int Wide, va_list Args)
{
    FSIM_CRT_SINK sink;
    FSIM_CRT_FORMAT_RESULT result;
    size_t length;

    if (Buffer == NULL || Size == 0 || Format == NULL) {
        return -1; /* EINVAL */
    }
    FsimCrtSinkInit(&sink, Buffer, Size - 1, Wide);
    length = FsimCrtFormatToSink(&sink, Format, Wide, Args, &result);
    if (result.InvalidConversion || length > Size - 1 || length > 0x7FFFFFFF) {
        PutTerminator(Buffer, 0, Wide); /* EINVAL or ERANGE */
        return -1;
    }
    PutTerminator(Buffer, length, Wide);
    return (int)length;
}

int FsimCrt_vsprintf_s(char *buffer, size_t sizeOfBuffer, const char *format, va_list args)
{
    return SprintfSCore(buffer, sizeOfBuffer, format, 0, args);
}

int FsimCrt_vswprintf_s(WCHAR *buffer, size_t sizeOfBuffer, const WCHAR *format, va_list args)
{
    return SprintfSCore(buffer, sizeOfBuffer, format, 1, args);
}

int FsimCrt_sprintf_s(char *buffer, size_t sizeOfBuffer, const char *format, ...)
{
    va_list args;
    int result;

    va_start(args, format);
    result = SprintfSCore(buffer, sizeOfBuffer, format, 0, args);
    va_end(args);
    return result;
}

int FsimCrt_swprintf_s(WCHAR *buffer, size_t sizeOfBuffer, const WCHAR *format, ...)
{
    va_list args;
    int result;

    va_start(args, format);
    result = SprintfSCore(buffer, sizeOfBuffer, format, 1, args);
    va_end(args);
    return result;
}

/* ------------------------------------------------------------------------ */
/* _snprintf_s family: truncation to count (or to the buffer with           */
/* _TRUNCATE) is allowed and reported as -1; overrunning the buffer is not. */
/* ------------------------------------------------------------------------ */

static int SnprintfSCore(void *Buffer, size_t Size, size_t Count, const void *Format, int Wide,
                         va_list Args)
{
    FSIM_CRT_SINK sink;
    FSIM_CRT_FORMAT_RESULT result;
    size_t length;
    size_t limit;
    int truncating;

    if (Buffer == NULL || Size == 0 || Format == NULL || Count == 0) {
        return -1; /* EINVAL */
    }
    truncating = (Count == _TRUNCATE || Count < Size);
    limit = (Count == _TRUNCATE || Count >= Size) ? Size - 1 : Count;

    FsimCrtSinkInit(&sink, Buffer, limit, Wide);
    length = FsimCrtFormatToSink(&sink, Format, Wide, Args, &result);
    if (result.InvalidConversion) {
        PutTerminator(Buffer, 0, Wide); /* EINVAL */
        return -1;
    }
    if (length > limit) {
        if (truncating) {
            PutTerminator(Buffer, limit, Wide); /* STRUNCATE */
        } else {
            PutTerminator(Buffer, 0, Wide); /* ERANGE */
        }
        return -1;
    }
    PutTerminator(Buffer, length, Wide);
    return ClampToInt(length);
}

int FsimCrt__vsnprintf_s(char *buffer, size_t sizeOfBuffer, size_t count, const char *format,
                         va_list args)
{
    return SnprintfSCore(buffer, sizeOfBuffer, count, format, 0, args);
}

int FsimCrt__vsnwprintf_s(WCHAR *buffer, size_t sizeOfBuffer, size_t count, const WCHAR *format,
                          va_list args)
{
    return SnprintfSCore(buffer, sizeOfBuffer, count, format, 1, args);
}

int FsimCrt__snprintf_s(char *buffer, size_t sizeOfBuffer, size_t count, const char *format, ...)
{
    va_list args;
    int result;

    va_start(args, format);
    result = SnprintfSCore(buffer, sizeOfBuffer, count, format, 0, args);
    va_end(args);
    return result;
}

int FsimCrt__snwprintf_s(WCHAR *buffer, size_t sizeOfBuffer, size_t count, const WCHAR *format,
                         ...)
{
    va_list args;
    int result;

    va_start(args, format);
    result = SnprintfSCore(buffer, sizeOfBuffer, count, format, 1, args);
    va_end(args);
    return result;
}
