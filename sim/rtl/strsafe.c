/*
 * strsafe.c - fltsim Rtl: the safe string routines of ntstrsafe.h.
 *
 * Owns the RtlStringCch* and RtlStringCb* routines (Copy, CopyN, Cat, CatN,
 * Printf, VPrintf, Length and the Ex forms, W and A), the Cch/Cb
 * CopyUnicodeString and CatUnicodeString routines (and Ex forms), and the
 * RtlUnicodeString* routines.  One implementation
 * serves narrow and wide buffers (Rtlp* workers over a unit size); the
 * exported routines only translate their sizes and arguments.
 *
 * Rules, from Microsoft's documentation of each routine:
 *  - sizes: 1..NTSTRSAFE_MAX_CCH characters (Cb forms: bytes / unit size);
 *    anything else, a NULL pointer (unless STRSAFE_IGNORE_NULLS), an invalid
 *    flag or a Cat destination without a terminator within its size is
 *    STATUS_INVALID_PARAMETER and leaves the buffer alone;
 *  - a result that does not fit is truncated, terminated, and reported as
 *    STATUS_BUFFER_OVERFLOW;
 *  - Ex forms: a NULL destination is allowed with STRSAFE_IGNORE_NULLS and
 *    a size of 0; a zero-size (or NULL) destination with a non-empty source
 *    is STATUS_INVALID_PARAMETER.  *ppszDestEnd / *pcchRemaining (the unused
 *    characters, terminator included; Cb forms: bytes, plus an odd byte of
 *    cbDest) are set on success and on STATUS_BUFFER_OVERFLOW.  On success
 *    STRSAFE_FILL_BEHIND_NULL fills the rest of the buffer after the
 *    terminator with the fill byte.  On failure STRSAFE_FILL_ON_FAILURE
 *    fills the whole buffer with it and terminates the last character (a
 *    zero fill byte leaves an empty string); otherwise
 *    STRSAFE_NULL_ON_FAILURE leaves an empty string; otherwise, for an
 *    overflow, STRSAFE_NO_TRUNCATION leaves an empty string (Copy, CopyN,
 *    Printf) or the destination's original string (Cat, CatN);
 *  - UNICODE_STRING routines never write a terminator; Length and
 *    MaximumLength must be even, Length <= MaximumLength <=
 *    NTSTRSAFE_UNICODE_STRING_MAX_CCH * sizeof(WCHAR), and Buffer may be
 *    NULL only when both are 0.  A full destination with a non-empty source
 *    is an overflow; a destination with MaximumLength 0 and a non-empty
 *    source is STATUS_INVALID_PARAMETER.  STRSAFE_ZERO_LENGTH_ON_FAILURE
 *    sets Length to 0 on failure; STRSAFE_FILL_ON_FAILURE fills the buffer
 *    and makes Length cover it all (0 with a zero fill byte);
 *    STRSAFE_NO_TRUNCATION leaves Length 0 (Copy) or the original (Cat);
 *    RemainingString describes the unused tail (Length 0).
 * Printf routines format with the kernel CRT's Microsoft semantics and the
 * machine's %p hook.
 */
#include <string.h>

#include <ntstrsafe.h>

#define RtlpUnitSize(Wide) ((Wide) ? sizeof(WCHAR) : sizeof(char))

/* ------------------------------------------------------------------------ */
/* Units of narrow or wide text.                                            */
/* ------------------------------------------------------------------------ */

static uint16_t RtlpGetUnit(const void *Text, size_t Index, int Wide)
{
    return Wide ? (uint16_t)((const WCHAR *)Text)[Index]
                : (uint16_t)(unsigned char)((const char *)Text)[Index];
}

static void RtlpSetUnit(void *Text, size_t Index, uint16_t Value, int Wide)
{
    if (Wide) {
        ((WCHAR *)Text)[Index] = (WCHAR)Value;
    } else {
        ((char *)Text)[Index] = (char)Value;
    }
}

static const WCHAR RtlpEmptyWide[1] = {0};
static const char RtlpEmptyNarrow[1] = {0};

static const void *RtlpEmpty(int Wide)
{
    return Wide ? (const void *)RtlpEmptyWide : (const void *)RtlpEmptyNarrow;
}

/* ------------------------------------------------------------------------ */
/* The destination of a character-array operation.                         */
/* ------------------------------------------------------------------------ */

typedef struct _RTLP_STRSAFE_DEST {
    void *Buffer;
    size_t Cch;             /* characters */
    size_t Cb;              /* bytes (Cch * unit, plus an odd byte for Cb forms) */
    int Wide;
    int Ex;                 /* Ex rules: flags, NULL destination with size 0 */
    DWORD Flags;            /* 0 for the non-Ex forms */
    int Usable;             /* Buffer and Cch are valid: failure flags may write */
    int IsCat;
    size_t OriginalLength;  /* Cat: the destination's length on entry */
    size_t End;             /* index of the terminator of the result */
    int OutputsValid;       /* End may be reported (success or overflow) */
} RTLP_STRSAFE_DEST;

static void RtlpInitDest(RTLP_STRSAFE_DEST *Dest, void *Buffer, size_t Cch, size_t Cb, int Wide,
                         int Ex, DWORD Flags)
{
    memset(Dest, 0, sizeof(*Dest));
    Dest->Buffer = Buffer;
    Dest->Cch = Cch;
    Dest->Cb = Cb;
    Dest->Wide = Wide;
    Dest->Ex = Ex;
    Dest->Flags = Ex ? Flags : 0;
    Dest->Usable = (Buffer != NULL && Cch != 0 && Cch <= NTSTRSAFE_MAX_CCH);
}

static NTSTATUS RtlpValidateDest(const RTLP_STRSAFE_DEST *Dest)
{
    if (Dest->Cch > NTSTRSAFE_MAX_CCH) {
        return STATUS_INVALID_PARAMETER;
    }
    if (!Dest->Ex) {
        return (Dest->Buffer == NULL || Dest->Cch == 0) ? STATUS_INVALID_PARAMETER
                                                        : STATUS_SUCCESS;
    }
    if ((Dest->Flags & ~(DWORD)STRSAFE_VALID_FLAGS) != 0) {
        return STATUS_INVALID_PARAMETER;
    }
    if (Dest->Buffer == NULL &&
        ((Dest->Flags & STRSAFE_IGNORE_NULLS) == 0 || Dest->Cch != 0)) {
        return STATUS_INVALID_PARAMETER;
    }
    return STATUS_SUCCESS;
}

/* A NULL source is "" with STRSAFE_IGNORE_NULLS; returns NULL if not allowed. */
static const void *RtlpSource(const RTLP_STRSAFE_DEST *Dest, const void *Source)
{
    if (Source != NULL) {
        return Source;
    }
    return (Dest->Flags & STRSAFE_IGNORE_NULLS) ? RtlpEmpty(Dest->Wide) : NULL;
}

/*
 * Writes at most MaxSource units of Source (up to its terminator) at Start
 * and terminates.  Dest->Cch == 0 (Ex only) accepts an empty source only.
 */
static NTSTATUS RtlpCopyAt(RTLP_STRSAFE_DEST *Dest, size_t Start, const void *Source,
                           size_t MaxSource)
{
    size_t i = 0;

    if (Dest->Cch == 0) {
        Dest->End = 0;
        if (MaxSource > 0 && RtlpGetUnit(Source, 0, Dest->Wide) != 0) {
            return STATUS_INVALID_PARAMETER;
        }
        return STATUS_SUCCESS;
    }
    while (i < MaxSource && RtlpGetUnit(Source, i, Dest->Wide) != 0) {
        if (Start + i == Dest->Cch - 1) {
            RtlpSetUnit(Dest->Buffer, Start + i, 0, Dest->Wide);
            Dest->End = Start + i;
            return STATUS_BUFFER_OVERFLOW;
        }
        RtlpSetUnit(Dest->Buffer, Start + i, RtlpGetUnit(Source, i, Dest->Wide), Dest->Wide);
        i++;
    }
    RtlpSetUnit(Dest->Buffer, Start + i, 0, Dest->Wide);
    Dest->End = Start + i;
    return STATUS_SUCCESS;
}

/* Applies the Ex flags for Status and decides whether End may be reported. */
static NTSTATUS RtlpFinish(RTLP_STRSAFE_DEST *Dest, NTSTATUS Status)
{
    DWORD flags = Dest->Flags;
    int fill = STRSAFE_GET_FILL_PATTERN(flags);
    size_t unit = RtlpUnitSize(Dest->Wide);

    if (NT_SUCCESS(Status)) {
        if ((flags & STRSAFE_FILL_BEHIND_NULL) && Dest->Usable) {
            size_t from = (Dest->End + 1) * unit;
            if (from < Dest->Cb) {
                memset((char *)Dest->Buffer + from, fill, Dest->Cb - from);
            }
        }
    } else if (Dest->Usable) {
        if (flags & STRSAFE_FILL_ON_FAILURE) {
            memset(Dest->Buffer, fill, Dest->Cb);
            Dest->End = (fill == 0) ? 0 : Dest->Cch - 1;
            RtlpSetUnit(Dest->Buffer, Dest->End, 0, Dest->Wide);
        } else if (flags & STRSAFE_NULL_ON_FAILURE) {
            Dest->End = 0;
            RtlpSetUnit(Dest->Buffer, 0, 0, Dest->Wide);
        } else if ((flags & STRSAFE_NO_TRUNCATION) && Status == STATUS_BUFFER_OVERFLOW) {
            Dest->End = Dest->IsCat ? Dest->OriginalLength : 0;
            RtlpSetUnit(Dest->Buffer, Dest->End, 0, Dest->Wide);
        }
    }
    Dest->OutputsValid = (NT_SUCCESS(Status) || Status == STATUS_BUFFER_OVERFLOW);
    return Status;
}

/* Characters left after End, terminator included (bytes if InBytes). */
static size_t RtlpRemaining(const RTLP_STRSAFE_DEST *Dest, int InBytes)
{
    size_t unit = RtlpUnitSize(Dest->Wide);
    size_t remaining = Dest->Cch > Dest->End ? Dest->Cch - Dest->End : 0;

    return InBytes ? remaining * unit + Dest->Cb % unit : remaining;
}

/* ------------------------------------------------------------------------ */
/* Workers.                                                                 */
/* ------------------------------------------------------------------------ */

static NTSTATUS RtlpCopyWorker(RTLP_STRSAFE_DEST *Dest, const void *Source, size_t MaxSource)
{
    NTSTATUS status = RtlpValidateDest(Dest);

    if (NT_SUCCESS(status) && MaxSource > NTSTRSAFE_MAX_CCH && MaxSource != (size_t)-1) {
        status = STATUS_INVALID_PARAMETER;
    }
    if (NT_SUCCESS(status)) {
        Source = RtlpSource(Dest, Source);
        status = (Source == NULL) ? STATUS_INVALID_PARAMETER
                                  : RtlpCopyAt(Dest, 0, Source, MaxSource);
    }
    return RtlpFinish(Dest, status);
}

static NTSTATUS RtlpCatWorker(RTLP_STRSAFE_DEST *Dest, const void *Source, size_t MaxSource)
{
    NTSTATUS status = RtlpValidateDest(Dest);
    size_t length = 0;

    Dest->IsCat = 1;
    if (NT_SUCCESS(status) && MaxSource > NTSTRSAFE_MAX_CCH && MaxSource != (size_t)-1) {
        status = STATUS_INVALID_PARAMETER;
    }
    if (NT_SUCCESS(status) && Dest->Cch != 0) {
        while (length < Dest->Cch && RtlpGetUnit(Dest->Buffer, length, Dest->Wide) != 0) {
            length++;
        }
        if (length == Dest->Cch) {
            status = STATUS_INVALID_PARAMETER; /* no terminator: the buffer is already full */
        }
    }
    Dest->OriginalLength = length;
    Dest->End = length;
    if (NT_SUCCESS(status)) {
        Source = RtlpSource(Dest, Source);
        status = (Source == NULL) ? STATUS_INVALID_PARAMETER
                                  : RtlpCopyAt(Dest, length, Source, MaxSource);
    }
    return RtlpFinish(Dest, status);
}

static NTSTATUS RtlpPrintfWorker(RTLP_STRSAFE_DEST *Dest, const void *Format, va_list Args)
{
    NTSTATUS status = RtlpValidateDest(Dest);
    FSIM_FORMAT_POINTER_HOOK *hook = NULL;
    void *hookContext = NULL;
    size_t needed = 0;
    int stored;

    if (NT_SUCCESS(status)) {
        Format = RtlpSource(Dest, Format);
        if (Format == NULL) {
            status = STATUS_INVALID_PARAMETER;
        }
    }
    if (NT_SUCCESS(status) && Dest->Cch == 0) {
        Dest->End = 0;
        if (RtlpGetUnit(Format, 0, Dest->Wide) != 0) {
            status = STATUS_INVALID_PARAMETER;
        }
    } else if (NT_SUCCESS(status)) {
        FsimCrtGetPointerHook(&hook, &hookContext);
        if (Dest->Wide) {
            stored = FsimFormatWideV((WCHAR *)Dest->Buffer, Dest->Cch, (const WCHAR *)Format,
                                     Args, hook, hookContext, &needed);
        } else {
            stored = FsimFormatNarrowV((char *)Dest->Buffer, Dest->Cch, (const char *)Format,
                                       Args, hook, hookContext, &needed);
        }
        Dest->End = (size_t)stored;
        if (needed > (size_t)stored) {
            status = STATUS_BUFFER_OVERFLOW;
        }
    }
    return RtlpFinish(Dest, status);
}

static NTSTATUS RtlpLengthWorker(const void *Text, size_t CchMax, int Wide, size_t *Length)
{
    size_t length = 0;

    if (Text == NULL || CchMax > NTSTRSAFE_MAX_CCH) {
        if (Length != NULL) {
            *Length = 0;
        }
        return STATUS_INVALID_PARAMETER;
    }
    while (length < CchMax && RtlpGetUnit(Text, length, Wide) != 0) {
        length++;
    }
    if (length == CchMax) {
        if (Length != NULL) {
            *Length = 0;
        }
        return STATUS_INVALID_PARAMETER;
    }
    if (Length != NULL) {
        *Length = length;
    }
    return STATUS_SUCCESS;
}

/* Reports the Ex outputs of a wide or narrow operation. */
static void RtlpReportW(const RTLP_STRSAFE_DEST *Dest, NTSTRSAFE_PWSTR *End, size_t *Remaining,
                        int InBytes)
{
    if (!Dest->OutputsValid) {
        return;
    }
    if (End != NULL) {
        *End = Dest->Buffer != NULL ? (WCHAR *)Dest->Buffer + Dest->End : NULL;
    }
    if (Remaining != NULL) {
        *Remaining = RtlpRemaining(Dest, InBytes);
    }
}

static void RtlpReportA(const RTLP_STRSAFE_DEST *Dest, NTSTRSAFE_PSTR *End, size_t *Remaining,
                        int InBytes)
{
    if (!Dest->OutputsValid) {
        return;
    }
    if (End != NULL) {
        *End = Dest->Buffer != NULL ? (char *)Dest->Buffer + Dest->End : NULL;
    }
    if (Remaining != NULL) {
        *Remaining = RtlpRemaining(Dest, InBytes);
    }
}

#define RTLP_NO_LIMIT ((size_t)-1)
#define RTLP_CB_TO_CCH_W(cb) ((cb) / sizeof(WCHAR))

/* ------------------------------------------------------------------------ */
/* Copy.                                                                    */
/* ------------------------------------------------------------------------ */

NTSTATUS NTAPI RtlStringCchCopyW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, NTSTRSAFE_PCWSTR pszSrc)
{
    RTLP_STRSAFE_DEST dest;
    RtlpInitDest(&dest, pszDest, cchDest, cchDest * sizeof(WCHAR), 1, 0, 0);
    return RtlpCopyWorker(&dest, pszSrc, RTLP_NO_LIMIT);
}

NTSTATUS NTAPI RtlStringCchCopyA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PCSTR pszSrc)
{
    RTLP_STRSAFE_DEST dest;
    RtlpInitDest(&dest, pszDest, cchDest, cchDest, 0, 0, 0);
    return RtlpCopyWorker(&dest, pszSrc, RTLP_NO_LIMIT);
}

NTSTATUS NTAPI RtlStringCbCopyW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PCWSTR pszSrc)
{
    RTLP_STRSAFE_DEST dest;
    RtlpInitDest(&dest, pszDest, RTLP_CB_TO_CCH_W(cbDest), cbDest, 1, 0, 0);
    return RtlpCopyWorker(&dest, pszSrc, RTLP_NO_LIMIT);
}

NTSTATUS NTAPI RtlStringCbCopyA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PCSTR pszSrc)
{
    return RtlStringCchCopyA(pszDest, cbDest, pszSrc);
}

NTSTATUS NTAPI RtlStringCchCopyExW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, NTSTRSAFE_PCWSTR pszSrc,
                                   NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcchRemaining,
                                   DWORD dwFlags)
{
    RTLP_STRSAFE_DEST dest;
    NTSTATUS status;
    RtlpInitDest(&dest, pszDest, cchDest, cchDest * sizeof(WCHAR), 1, 1, dwFlags);
    status = RtlpCopyWorker(&dest, pszSrc, RTLP_NO_LIMIT);
    RtlpReportW(&dest, ppszDestEnd, pcchRemaining, 0);
    return status;
}

NTSTATUS NTAPI RtlStringCchCopyExA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PCSTR pszSrc,
                                   NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcchRemaining,
                                   DWORD dwFlags)
{
    RTLP_STRSAFE_DEST dest;
    NTSTATUS status;
    RtlpInitDest(&dest, pszDest, cchDest, cchDest, 0, 1, dwFlags);
    status = RtlpCopyWorker(&dest, pszSrc, RTLP_NO_LIMIT);
    RtlpReportA(&dest, ppszDestEnd, pcchRemaining, 0);
    return status;
}

NTSTATUS NTAPI RtlStringCbCopyExW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PCWSTR pszSrc,
                                  NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcbRemaining,
                                  DWORD dwFlags)
{
    RTLP_STRSAFE_DEST dest;
    NTSTATUS status;
    RtlpInitDest(&dest, pszDest, RTLP_CB_TO_CCH_W(cbDest), cbDest, 1, 1, dwFlags);
    status = RtlpCopyWorker(&dest, pszSrc, RTLP_NO_LIMIT);
    RtlpReportW(&dest, ppszDestEnd, pcbRemaining, 1);
    return status;
}

NTSTATUS NTAPI RtlStringCbCopyExA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PCSTR pszSrc,
                                  NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcbRemaining,
                                  DWORD dwFlags)
{
    return RtlStringCchCopyExA(pszDest, cbDest, pszSrc, ppszDestEnd, pcbRemaining, dwFlags);
}

/* ------------------------------------------------------------------------ */
/* CopyN.                                                                   */
/* ------------------------------------------------------------------------ */

NTSTATUS NTAPI RtlStringCchCopyNW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, STRSAFE_PCNZWCH pszSrc,
                                  size_t cchToCopy)
{
    RTLP_STRSAFE_DEST dest;
    RtlpInitDest(&dest, pszDest, cchDest, cchDest * sizeof(WCHAR), 1, 0, 0);
    if (cchToCopy > NTSTRSAFE_MAX_CCH) {
        return RtlpFinish(&dest, STATUS_INVALID_PARAMETER);
    }
    return RtlpCopyWorker(&dest, pszSrc, cchToCopy);
}

NTSTATUS NTAPI RtlStringCchCopyNA(NTSTRSAFE_PSTR pszDest, size_t cchDest, STRSAFE_PCNZCH pszSrc,
                                  size_t cchToCopy)
{
    RTLP_STRSAFE_DEST dest;
    RtlpInitDest(&dest, pszDest, cchDest, cchDest, 0, 0, 0);
    if (cchToCopy > NTSTRSAFE_MAX_CCH) {
        return RtlpFinish(&dest, STATUS_INVALID_PARAMETER);
    }
    return RtlpCopyWorker(&dest, pszSrc, cchToCopy);
}

NTSTATUS NTAPI RtlStringCbCopyNW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, STRSAFE_PCNZWCH pszSrc,
                                 size_t cbToCopy)
{
    RTLP_STRSAFE_DEST dest;
    RtlpInitDest(&dest, pszDest, RTLP_CB_TO_CCH_W(cbDest), cbDest, 1, 0, 0);
    if (RTLP_CB_TO_CCH_W(cbToCopy) > NTSTRSAFE_MAX_CCH) {
        return RtlpFinish(&dest, STATUS_INVALID_PARAMETER);
    }
    return RtlpCopyWorker(&dest, pszSrc, RTLP_CB_TO_CCH_W(cbToCopy));
}

NTSTATUS NTAPI RtlStringCbCopyNA(NTSTRSAFE_PSTR pszDest, size_t cbDest, STRSAFE_PCNZCH pszSrc,
                                 size_t cbToCopy)
{
    return RtlStringCchCopyNA(pszDest, cbDest, pszSrc, cbToCopy);
}

NTSTATUS NTAPI RtlStringCchCopyNExW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, STRSAFE_PCNZWCH pszSrc,
                                    size_t cchToCopy, NTSTRSAFE_PWSTR *ppszDestEnd,
                                    size_t *pcchRemaining, DWORD dwFlags)
{
    RTLP_STRSAFE_DEST dest;
    NTSTATUS status;
    RtlpInitDest(&dest, pszDest, cchDest, cchDest * sizeof(WCHAR), 1, 1, dwFlags);
    if (cchToCopy > NTSTRSAFE_MAX_CCH) {
        status = RtlpFinish(&dest, STATUS_INVALID_PARAMETER);
    } else {
        status = RtlpCopyWorker(&dest, pszSrc, cchToCopy);
    }
    RtlpReportW(&dest, ppszDestEnd, pcchRemaining, 0);
    return status;
}

NTSTATUS NTAPI RtlStringCchCopyNExA(NTSTRSAFE_PSTR pszDest, size_t cchDest, STRSAFE_PCNZCH pszSrc,
                                    size_t cchToCopy, NTSTRSAFE_PSTR *ppszDestEnd,
                                    size_t *pcchRemaining, DWORD dwFlags)
{
    RTLP_STRSAFE_DEST dest;
    NTSTATUS status;
    RtlpInitDest(&dest, pszDest, cchDest, cchDest, 0, 1, dwFlags);
    if (cchToCopy > NTSTRSAFE_MAX_CCH) {
        status = RtlpFinish(&dest, STATUS_INVALID_PARAMETER);
    } else {
        status = RtlpCopyWorker(&dest, pszSrc, cchToCopy);
    }
    RtlpReportA(&dest, ppszDestEnd, pcchRemaining, 0);
    return status;
}

NTSTATUS NTAPI RtlStringCbCopyNExW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, STRSAFE_PCNZWCH pszSrc,
                                   size_t cbToCopy, NTSTRSAFE_PWSTR *ppszDestEnd,
                                   size_t *pcbRemaining, DWORD dwFlags)
{
    RTLP_STRSAFE_DEST dest;
    NTSTATUS status;
    RtlpInitDest(&dest, pszDest, RTLP_CB_TO_CCH_W(cbDest), cbDest, 1, 1, dwFlags);
    if (RTLP_CB_TO_CCH_W(cbToCopy) > NTSTRSAFE_MAX_CCH) {
        status = RtlpFinish(&dest, STATUS_INVALID_PARAMETER);
    } else {
        status = RtlpCopyWorker(&dest, pszSrc, RTLP_CB_TO_CCH_W(cbToCopy));
    }
    RtlpReportW(&dest, ppszDestEnd, pcbRemaining, 1);
    return status;
}

NTSTATUS NTAPI RtlStringCbCopyNExA(NTSTRSAFE_PSTR pszDest, size_t cbDest, STRSAFE_PCNZCH pszSrc,
                                   size_t cbToCopy, NTSTRSAFE_PSTR *ppszDestEnd,
                                   size_t *pcbRemaining, DWORD dwFlags)
{
    return RtlStringCchCopyNExA(pszDest, cbDest, pszSrc, cbToCopy, ppszDestEnd, pcbRemaining,
                                dwFlags);
}

/* ------------------------------------------------------------------------ */
/* Cat.                                                                     */
/* ------------------------------------------------------------------------ */

NTSTATUS NTAPI RtlStringCchCatW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, NTSTRSAFE_PCWSTR pszSrc)
{
    RTLP_STRSAFE_DEST dest;
    RtlpInitDest(&dest, pszDest, cchDest, cchDest * sizeof(WCHAR), 1, 0, 0);
    return RtlpCatWorker(&dest, pszSrc, RTLP_NO_LIMIT);
}

NTSTATUS NTAPI RtlStringCchCatA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PCSTR pszSrc)
{
    RTLP_STRSAFE_DEST dest;
    RtlpInitDest(&dest, pszDest, cchDest, cchDest, 0, 0, 0);
    return RtlpCatWorker(&dest, pszSrc, RTLP_NO_LIMIT);
}

NTSTATUS NTAPI RtlStringCbCatW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PCWSTR pszSrc)
{
    RTLP_STRSAFE_DEST dest;
    RtlpInitDest(&dest, pszDest, RTLP_CB_TO_CCH_W(cbDest), cbDest, 1, 0, 0);
    return RtlpCatWorker(&dest, pszSrc, RTLP_NO_LIMIT);
}

NTSTATUS NTAPI RtlStringCbCatA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PCSTR pszSrc)
{
    return RtlStringCchCatA(pszDest, cbDest, pszSrc);
}

NTSTATUS NTAPI RtlStringCchCatExW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, NTSTRSAFE_PCWSTR pszSrc,
                                  NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcchRemaining,
                                  DWORD dwFlags)
{
    RTLP_STRSAFE_DEST dest;
    NTSTATUS status;
    RtlpInitDest(&dest, pszDest, cchDest, cchDest * sizeof(WCHAR), 1, 1, dwFlags);
    status = RtlpCatWorker(&dest, pszSrc, RTLP_NO_LIMIT);
    RtlpReportW(&dest, ppszDestEnd, pcchRemaining, 0);
    return status;
}

NTSTATUS NTAPI RtlStringCchCatExA(NTSTRSAFE_PSTR pszDest, size_t cchDest, NTSTRSAFE_PCSTR pszSrc,
                                  NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcchRemaining,
                                  DWORD dwFlags)
{
    RTLP_STRSAFE_DEST dest;
    NTSTATUS status;
    RtlpInitDest(&dest, pszDest, cchDest, cchDest, 0, 1, dwFlags);
    status = RtlpCatWorker(&dest, pszSrc, RTLP_NO_LIMIT);
    RtlpReportA(&dest, ppszDestEnd, pcchRemaining, 0);
    return status;
}

NTSTATUS NTAPI RtlStringCbCatExW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, NTSTRSAFE_PCWSTR pszSrc,
                                 NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcbRemaining,
                                 DWORD dwFlags)
{
    RTLP_STRSAFE_DEST dest;
    NTSTATUS status;
    RtlpInitDest(&dest, pszDest, RTLP_CB_TO_CCH_W(cbDest), cbDest, 1, 1, dwFlags);
    status = RtlpCatWorker(&dest, pszSrc, RTLP_NO_LIMIT);
    RtlpReportW(&dest, ppszDestEnd, pcbRemaining, 1);
    return status;
}

NTSTATUS NTAPI RtlStringCbCatExA(NTSTRSAFE_PSTR pszDest, size_t cbDest, NTSTRSAFE_PCSTR pszSrc,
                                 NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcbRemaining,
                                 DWORD dwFlags)
{
    return RtlStringCchCatExA(pszDest, cbDest, pszSrc, ppszDestEnd, pcbRemaining, dwFlags);
}

/* ------------------------------------------------------------------------ */
/* CatN.                                                                    */
/* ------------------------------------------------------------------------ */

NTSTATUS NTAPI RtlStringCchCatNW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, STRSAFE_PCNZWCH pszSrc,
                                 size_t cchToAppend)
{
    RTLP_STRSAFE_DEST dest;
    RtlpInitDest(&dest, pszDest, cchDest, cchDest * sizeof(WCHAR), 1, 0, 0);
    if (cchToAppend > NTSTRSAFE_MAX_CCH) {
        return RtlpFinish(&dest, STATUS_INVALID_PARAMETER);
    }
    return RtlpCatWorker(&dest, pszSrc, cchToAppend);
}

NTSTATUS NTAPI RtlStringCchCatNA(NTSTRSAFE_PSTR pszDest, size_t cchDest, STRSAFE_PCNZCH pszSrc,
                                 size_t cchToAppend)
{
    RTLP_STRSAFE_DEST dest;
    RtlpInitDest(&dest, pszDest, cchDest, cchDest, 0, 0, 0);
    if (cchToAppend > NTSTRSAFE_MAX_CCH) {
        return RtlpFinish(&dest, STATUS_INVALID_PARAMETER);
    }
    return RtlpCatWorker(&dest, pszSrc, cchToAppend);
}

NTSTATUS NTAPI RtlStringCbCatNW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, STRSAFE_PCNZWCH pszSrc,
                                size_t cbToAppend)
{
    RTLP_STRSAFE_DEST dest;
    RtlpInitDest(&dest, pszDest, RTLP_CB_TO_CCH_W(cbDest), cbDest, 1, 0, 0);
    if (RTLP_CB_TO_CCH_W(cbToAppend) > NTSTRSAFE_MAX_CCH) {
        return RtlpFinish(&dest, STATUS_INVALID_PARAMETER);
    }
    return RtlpCatWorker(&dest, pszSrc, RTLP_CB_TO_CCH_W(cbToAppend));
}

NTSTATUS NTAPI RtlStringCbCatNA(NTSTRSAFE_PSTR pszDest, size_t cbDest, STRSAFE_PCNZCH pszSrc,
                                size_t cbToAppend)
{
    return RtlStringCchCatNA(pszDest, cbDest, pszSrc, cbToAppend);
}

NTSTATUS NTAPI RtlStringCchCatNExW(NTSTRSAFE_PWSTR pszDest, size_t cchDest, STRSAFE_PCNZWCH pszSrc,
                                   size_t cchToAppend, NTSTRSAFE_PWSTR *ppszDestEnd,
                                   size_t *pcchRemaining, DWORD dwFlags)
{
    RTLP_STRSAFE_DEST dest;
    NTSTATUS status;
    RtlpInitDest(&dest, pszDest, cchDest, cchDest * sizeof(WCHAR), 1, 1, dwFlags);
    if (cchToAppend > NTSTRSAFE_MAX_CCH) {
        status = RtlpFinish(&dest, STATUS_INVALID_PARAMETER);
    } else {
        status = RtlpCatWorker(&dest, pszSrc, cchToAppend);
    }
    RtlpReportW(&dest, ppszDestEnd, pcchRemaining, 0);
    return status;
}

NTSTATUS NTAPI RtlStringCchCatNExA(NTSTRSAFE_PSTR pszDest, size_t cchDest, STRSAFE_PCNZCH pszSrc,
                                   size_t cchToAppend, NTSTRSAFE_PSTR *ppszDestEnd,
                                   size_t *pcchRemaining, DWORD dwFlags)
{
    RTLP_STRSAFE_DEST dest;
    NTSTATUS status;
    RtlpInitDest(&dest, pszDest, cchDest, cchDest, 0, 1, dwFlags);
    if (cchToAppend > NTSTRSAFE_MAX_CCH) {
        status = RtlpFinish(&dest, STATUS_INVALID_PARAMETER);
    } else {
        status = RtlpCatWorker(&dest, pszSrc, cchToAppend);
    }
    RtlpReportA(&dest, ppszDestEnd, pcchRemaining, 0);
    return status;
}

NTSTATUS NTAPI RtlStringCbCatNExW(NTSTRSAFE_PWSTR pszDest, size_t cbDest, STRSAFE_PCNZWCH pszSrc,
                                  size_t cbToAppend, NTSTRSAFE_PWSTR *ppszDestEnd,
                                  size_t *pcbRemaining, DWORD dwFlags)
{
    RTLP_STRSAFE_DEST dest;
    NTSTATUS status;
    RtlpInitDest(&dest, pszDest, RTLP_CB_TO_CCH_W(cbDest), cbDest, 1, 1, dwFlags);
    if (RTLP_CB_TO_CCH_W(cbToAppend) > NTSTRSAFE_MAX_CCH) {
        status = RtlpFinish(&dest, STATUS_INVALID_PARAMETER);
    } else {
        status = RtlpCatWorker(&dest, pszSrc, RTLP_CB_TO_CCH_W(cbToAppend));
    }
    RtlpReportW(&dest, ppszDestEnd, pcbRemaining, 1);
    return status;
}

NTSTATUS NTAPI RtlStringCbCatNExA(NTSTRSAFE_PSTR pszDest, size_t cbDest, STRSAFE_PCNZCH pszSrc,
                                  size_t cbToAppend, NTSTRSAFE_PSTR *ppszDestEnd,
                                  size_t *pcbRemaining, DWORD dwFlags)
{
    return RtlStringCchCatNExA(pszDest, cbDest, pszSrc, cbToAppend, ppszDestEnd, pcbRemaining,
                               dwFlags);
}

/* ------------------------------------------------------------------------ */
/* Printf.                                                                  */
/* ------------------------------------------------------------------------ */

NTSTATUS NTAPI RtlStringCchVPrintfW(NTSTRSAFE_PWSTR pszDest, size_t cchDest,
                                    NTSTRSAFE_PCWSTR pszFormat, va_list argList)
{
    RTLP_STRSAFE_DEST dest;
    RtlpInitDest(&dest, pszDest, cchDest, cchDest * sizeof(WCHAR), 1, 0, 0);
    return RtlpPrintfWorker(&dest, pszFormat, argList);
}

NTSTATUS NTAPI RtlStringCchVPrintfA(NTSTRSAFE_PSTR pszDest, size_t cchDest,
                                    NTSTRSAFE_PCSTR pszFormat, va_list argList)
{
    RTLP_STRSAFE_DEST dest;
    RtlpInitDest(&dest, pszDest, cchDest, cchDest, 0, 0, 0);
    return RtlpPrintfWorker(&dest, pszFormat, argList);
}

NTSTATUS NTAPI RtlStringCbVPrintfW(NTSTRSAFE_PWSTR pszDest, size_t cbDest,
                                   NTSTRSAFE_PCWSTR pszFormat, va_list argList)
{
    RTLP_STRSAFE_DEST dest;
    RtlpInitDest(&dest, pszDest, RTLP_CB_TO_CCH_W(cbDest), cbDest, 1, 0, 0);
    return RtlpPrintfWorker(&dest, pszFormat, argList);
}

NTSTATUS NTAPI RtlStringCbVPrintfA(NTSTRSAFE_PSTR pszDest, size_t cbDest,
                                   NTSTRSAFE_PCSTR pszFormat, va_list argList)
{
    return RtlStringCchVPrintfA(pszDest, cbDest, pszFormat, argList);
}

NTSTATUS NTAPI RtlStringCchVPrintfExW(NTSTRSAFE_PWSTR pszDest, size_t cchDest,
                                      NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcchRemaining,
                                      DWORD dwFlags, NTSTRSAFE_PCWSTR pszFormat, va_list argList)
{
    RTLP_STRSAFE_DEST dest;
    NTSTATUS status;
    RtlpInitDest(&dest, pszDest, cchDest, cchDest * sizeof(WCHAR), 1, 1, dwFlags);
    status = RtlpPrintfWorker(&dest, pszFormat, argList);
    RtlpReportW(&dest, ppszDestEnd, pcchRemaining, 0);
    return status;
}

NTSTATUS NTAPI RtlStringCchVPrintfExA(NTSTRSAFE_PSTR pszDest, size_t cchDest,
                                      NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcchRemaining,
                                      DWORD dwFlags, NTSTRSAFE_PCSTR pszFormat, va_list argList)
{
    RTLP_STRSAFE_DEST dest;
    NTSTATUS status;
    RtlpInitDest(&dest, pszDest, cchDest, cchDest, 0, 1, dwFlags);
    status = RtlpPrintfWorker(&dest, pszFormat, argList);
    RtlpReportA(&dest, ppszDestEnd, pcchRemaining, 0);
    return status;
}

NTSTATUS NTAPI RtlStringCbVPrintfExW(NTSTRSAFE_PWSTR pszDest, size_t cbDest,
                                     NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcbRemaining,
                                     DWORD dwFlags, NTSTRSAFE_PCWSTR pszFormat, va_list argList)
{
    RTLP_STRSAFE_DEST dest;
    NTSTATUS status;
    RtlpInitDest(&dest, pszDest, RTLP_CB_TO_CCH_W(cbDest), cbDest, 1, 1, dwFlags);
    status = RtlpPrintfWorker(&dest, pszFormat, argList);
    RtlpReportW(&dest, ppszDestEnd, pcbRemaining, 1);
    return status;
}

NTSTATUS NTAPI RtlStringCbVPrintfExA(NTSTRSAFE_PSTR pszDest, size_t cbDest,
                                     NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcbRemaining,
                                     DWORD dwFlags, NTSTRSAFE_PCSTR pszFormat, va_list argList)
{
    return RtlStringCchVPrintfExA(pszDest, cbDest, ppszDestEnd, pcbRemaining, dwFlags, pszFormat,
                                  argList);
}

NTSTATUS NTAPI RtlStringCchPrintfW(NTSTRSAFE_PWSTR pszDest, size_t cchDest,
                                   NTSTRSAFE_PCWSTR pszFormat, ...)
{
    va_list args;
    NTSTATUS status;
    va_start(args, pszFormat);
    status = RtlStringCchVPrintfW(pszDest, cchDest, pszFormat, args);
    va_end(args);
    return status;
}

NTSTATUS NTAPI RtlStringCchPrintfA(NTSTRSAFE_PSTR pszDest, size_t cchDest,
                                   NTSTRSAFE_PCSTR pszFormat, ...)
{
    va_list args;
    NTSTATUS status;
    va_start(args, pszFormat);
    status = RtlStringCchVPrintfA(pszDest, cchDest, pszFormat, args);
    va_end(args);
    return status;
}

NTSTATUS NTAPI RtlStringCbPrintfW(NTSTRSAFE_PWSTR pszDest, size_t cbDest,
                                  NTSTRSAFE_PCWSTR pszFormat, ...)
{
    va_list args;
    NTSTATUS status;
    va_start(args, pszFormat);
    status = RtlStringCbVPrintfW(pszDest, cbDest, pszFormat, args);
    va_end(args);
    return status;
}

NTSTATUS NTAPI RtlStringCbPrintfA(NTSTRSAFE_PSTR pszDest, size_t cbDest,
                                  NTSTRSAFE_PCSTR pszFormat, ...)
{
    va_list args;
    NTSTATUS status;
    va_start(args, pszFormat);
    status = RtlStringCbVPrintfA(pszDest, cbDest, pszFormat, args);
    va_end(args);
    return status;
}

NTSTATUS NTAPI RtlStringCchPrintfExW(NTSTRSAFE_PWSTR pszDest, size_t cchDest,
                                     NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcchRemaining,
                                     DWORD dwFlags, NTSTRSAFE_PCWSTR pszFormat, ...)
{
    va_list args;
    NTSTATUS status;
    va_start(args, pszFormat);
    status = RtlStringCchVPrintfExW(pszDest, cchDest, ppszDestEnd, pcchRemaining, dwFlags,
                                    pszFormat, args);
    va_end(args);
    return status;
}

NTSTATUS NTAPI RtlStringCchPrintfExA(NTSTRSAFE_PSTR pszDest, size_t cchDest,
                                     NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcchRemaining,
                                     DWORD dwFlags, NTSTRSAFE_PCSTR pszFormat, ...)
{
    va_list args;
    NTSTATUS status;
    va_start(args, pszFormat);
    status = RtlStringCchVPrintfExA(pszDest, cchDest, ppszDestEnd, pcchRemaining, dwFlags,
                                    pszFormat, args);
    va_end(args);
    return status;
}

NTSTATUS NTAPI RtlStringCbPrintfExW(NTSTRSAFE_PWSTR pszDest, size_t cbDest,
                                    NTSTRSAFE_PWSTR *ppszDestEnd, size_t *pcbRemaining,
                                    DWORD dwFlags, NTSTRSAFE_PCWSTR pszFormat, ...)
{
    va_list args;
    NTSTATUS status;
    va_start(args, pszFormat);
    status = RtlStringCbVPrintfExW(pszDest, cbDest, ppszDestEnd, pcbRemaining, dwFlags,
                                   pszFormat, args);
    va_end(args);
    return status;
}

NTSTATUS NTAPI RtlStringCbPrintfExA(NTSTRSAFE_PSTR pszDest, size_t cbDest,
                                    NTSTRSAFE_PSTR *ppszDestEnd, size_t *pcbRemaining,
                                    DWORD dwFlags, NTSTRSAFE_PCSTR pszFormat, ...)
{
    va_list args;
    NTSTATUS status;
    va_start(args, pszFormat);
    status = RtlStringCbVPrintfExA(pszDest, cbDest, ppszDestEnd, pcbRemaining, dwFlags,
                                   pszFormat, args);
    va_end(args);
    return status;
}

/* ------------------------------------------------------------------------ */
/* Length.                                                                  */
/* ------------------------------------------------------------------------ */

NTSTATUS NTAPI RtlStringCchLengthW(STRSAFE_PCNZWCH psz, size_t cchMax, size_t *pcchLength)
{
    return RtlpLengthWorker(psz, cchMax, 1, pcchLength);
}

NTSTATUS NTAPI RtlStringCchLengthA(STRSAFE_PCNZCH psz, size_t cchMax, size_t *pcchLength)
{
    return RtlpLengthWorker(psz, cchMax, 0, pcchLength);
}

NTSTATUS NTAPI RtlStringCbLengthW(STRSAFE_PCNZWCH psz, size_t cbMax, size_t *pcbLength)
{
    size_t length = 0;
    NTSTATUS status = RtlpLengthWorker(psz, RTLP_CB_TO_CCH_W(cbMax), 1, &length);

    if (pcbLength != NULL) {
        *pcbLength = length * sizeof(WCHAR);
    }
    return status;
}

NTSTATUS NTAPI RtlStringCbLengthA(STRSAFE_PCNZCH psz, size_t cbMax, size_t *pcbLength)
{
    return RtlpLengthWorker(psz, cbMax, 0, pcbLength);
}

/* ------------------------------------------------------------------------ */
/* UNICODE_STRING sources into terminated buffers.                          */
/* ------------------------------------------------------------------------ */

#define RTLP_UNICODE_MAX_BYTES (NTSTRSAFE_UNICODE_STRING_MAX_CCH * sizeof(WCHAR))

/* Checks a UNICODE_STRING; NULL passes only with STRSAFE_IGNORE_NULLS. */
static NTSTATUS RtlpValidateUnicodeString(PCUNICODE_STRING String, DWORD Flags)
{
    if (String == NULL) {
        return (Flags & STRSAFE_IGNORE_NULLS) ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
    }
    if ((String->Length & 1u) != 0 || (String->MaximumLength & 1u) != 0 ||
        String->Length > String->MaximumLength || String->MaximumLength > RTLP_UNICODE_MAX_BYTES) {
        return STATUS_INVALID_PARAMETER;
    }
    if (String->Buffer == NULL && (String->Length != 0 || String->MaximumLength != 0)) {
        return STATUS_INVALID_PARAMETER;
    }
    return STATUS_SUCCESS;
}

/* Copy or Cat of a UNICODE_STRING (up to Length, or an embedded NUL) into a buffer. */
static NTSTATUS RtlpUnicodeSourceWorker(RTLP_STRSAFE_DEST *Dest, PCUNICODE_STRING Source, int Cat)
{
    NTSTATUS status = RtlpValidateUnicodeString(Source, Dest->Flags);
    const WCHAR *buffer = RtlpEmptyWide;
    size_t length = 0;

    if (!NT_SUCCESS(status)) {
        Dest->IsCat = Cat;
        return RtlpFinish(Dest, status);
    }
    if (Source != NULL && Source->Buffer != NULL) {
        buffer = Source->Buffer;
        length = Source->Length / sizeof(WCHAR);
    }
    return Cat ? RtlpCatWorker(Dest, buffer, length) : RtlpCopyWorker(Dest, buffer, length);
}

NTSTATUS NTAPI RtlStringCchCopyUnicodeString(NTSTRSAFE_PWSTR pszDest, size_t cchDest,
                                             PCUNICODE_STRING SourceString)
{
    RTLP_STRSAFE_DEST dest;
    RtlpInitDest(&dest, pszDest, cchDest, cchDest * sizeof(WCHAR), 1, 0, 0);
    return RtlpUnicodeSourceWorker(&dest, SourceString, 0);
}

NTSTATUS NTAPI RtlStringCbCopyUnicodeString(NTSTRSAFE_PWSTR pszDest, size_t cbDest,
                                            PCUNICODE_STRING SourceString)
{
    RTLP_STRSAFE_DEST dest;
    RtlpInitDest(&dest, pszDest, RTLP_CB_TO_CCH_W(cbDest), cbDest, 1, 0, 0);
    return RtlpUnicodeSourceWorker(&dest, SourceString, 0);
}

NTSTATUS NTAPI RtlStringCchCopyUnicodeStringEx(NTSTRSAFE_PWSTR pszDest, size_t cchDest,
                                               PCUNICODE_STRING SourceString,
                                               NTSTRSAFE_PWSTR *ppszDestEnd,
                                               size_t *pcchRemaining, DWORD dwFlags)
{
    RTLP_STRSAFE_DEST dest;
    NTSTATUS status;
    RtlpInitDest(&dest, pszDest, cchDest, cchDest * sizeof(WCHAR), 1, 1, dwFlags);
    status = RtlpUnicodeSourceWorker(&dest, SourceString, 0);
    RtlpReportW(&dest, ppszDestEnd, pcchRemaining, 0);
    return status;
}

NTSTATUS NTAPI RtlStringCbCopyUnicodeStringEx(NTSTRSAFE_PWSTR pszDest, size_t cbDest,
                                              PCUNICODE_STRING SourceString,
                                              NTSTRSAFE_PWSTR *ppszDestEnd,
                                              size_t *pcbRemaining, DWORD dwFlags)
{
    RTLP_STRSAFE_DEST dest;
    NTSTATUS status;
    RtlpInitDest(&dest, pszDest, RTLP_CB_TO_CCH_W(cbDest), cbDest, 1, 1, dwFlags);
    status = RtlpUnicodeSourceWorker(&dest, SourceString, 0);
    RtlpReportW(&dest, ppszDestEnd, pcbRemaining, 1);
    return status;
}

NTSTATUS NTAPI RtlStringCchCatUnicodeString(NTSTRSAFE_PWSTR pszDest, size_t cchDest,
                                            PCUNICODE_STRING SourceString)
{
    RTLP_STRSAFE_DEST dest;
    RtlpInitDest(&dest, pszDest, cchDest, cchDest * sizeof(WCHAR), 1, 0, 0);
    return RtlpUnicodeSourceWorker(&dest, SourceString, 1);
}

NTSTATUS NTAPI RtlStringCbCatUnicodeString(NTSTRSAFE_PWSTR pszDest, size_t cbDest,
                                           PCUNICODE_STRING SourceString)
{
    RTLP_STRSAFE_DEST dest;
    RtlpInitDest(&dest, pszDest, RTLP_CB_TO_CCH_W(cbDest), cbDest, 1, 0, 0);
    return RtlpUnicodeSourceWorker(&dest, SourceString, 1);
}

NTSTATUS NTAPI RtlStringCchCatUnicodeStringEx(NTSTRSAFE_PWSTR pszDest, size_t cchDest,
                                              PCUNICODE_STRING SourceString,
                                              NTSTRSAFE_PWSTR *ppszDestEnd,
                                              size_t *pcchRemaining, DWORD dwFlags)
{
    RTLP_STRSAFE_DEST dest;
    NTSTATUS status;
    RtlpInitDest(&dest, pszDest, cchDest, cchDest * sizeof(WCHAR), 1, 1, dwFlags);
    status = RtlpUnicodeSourceWorker(&dest, SourceString, 1);
    RtlpReportW(&dest, ppszDestEnd, pcchRemaining, 0);
    return status;
}

NTSTATUS NTAPI RtlStringCbCatUnicodeStringEx(NTSTRSAFE_PWSTR pszDest, size_t cbDest,
                                             PCUNICODE_STRING SourceString,
                                             NTSTRSAFE_PWSTR *ppszDestEnd,
                                             size_t *pcbRemaining, DWORD dwFlags)
{
    RTLP_STRSAFE_DEST dest;
    NTSTATUS status;
    RtlpInitDest(&dest, pszDest, RTLP_CB_TO_CCH_W(cbDest), cbDest, 1, 1, dwFlags);
    status = RtlpUnicodeSourceWorker(&dest, SourceString, 1);
    RtlpReportW(&dest, ppszDestEnd, pcbRemaining, 1);
    return status;
}

/* ------------------------------------------------------------------------ */
/* UNICODE_STRING destinations.                                             */
/* ------------------------------------------------------------------------ */

typedef enum _RTLP_UNICODE_OP {
    RtlpUnicodeCopy,
    RtlpUnicodeCat
} RTLP_UNICODE_OP;

/* Applies the failure/success flags, stores Length and RemainingString. */
static NTSTATUS RtlpUnicodeFinish(PUNICODE_STRING Dest, NTSTATUS Status, size_t NewLength,
                                  size_t OriginalLength, int Cat, PUNICODE_STRING Remaining,
                                  DWORD Flags)
{
    size_t maxChars;
    int fill = STRSAFE_GET_FILL_PATTERN(Flags);
    int store = NT_SUCCESS(Status) || Status == STATUS_BUFFER_OVERFLOW;

    if (Dest == NULL) {
        if (store && Remaining != NULL) {
            Remaining->Length = 0;
            Remaining->MaximumLength = 0;
            Remaining->Buffer = NULL;
        }
        return Status;
    }
    maxChars = Dest->MaximumLength / sizeof(WCHAR);
    if (NT_SUCCESS(Status)) {
        if ((Flags & STRSAFE_FILL_BEHIND) && NewLength < maxChars) {
            memset(Dest->Buffer + NewLength, fill, (maxChars - NewLength) * sizeof(WCHAR));
        }
    } else if (maxChars != 0 && (Flags & (STRSAFE_FILL_ON_FAILURE | STRSAFE_ZERO_LENGTH_ON_FAILURE |
                                          STRSAFE_NO_TRUNCATION))) {
        if (Flags & STRSAFE_FILL_ON_FAILURE) {
            memset(Dest->Buffer, fill, maxChars * sizeof(WCHAR));
            NewLength = (fill == 0) ? 0 : maxChars;
            store = 1;
        } else if (Flags & STRSAFE_ZERO_LENGTH_ON_FAILURE) {
            NewLength = 0;
            store = 1;
        } else if (Status == STATUS_BUFFER_OVERFLOW) {
            NewLength = Cat ? OriginalLength : 0;
        }
    }
    if (!store) {
        return Status;
    }
    Dest->Length = (USHORT)(NewLength * sizeof(WCHAR));
    if (Remaining != NULL && (NT_SUCCESS(Status) || Status == STATUS_BUFFER_OVERFLOW)) {
        Remaining->Length = 0;
        Remaining->MaximumLength = (USHORT)((maxChars - NewLength) * sizeof(WCHAR));
        Remaining->Buffer = Dest->Buffer != NULL ? Dest->Buffer + NewLength : NULL;
    }
    return Status;
}

/*
 * Copies (or appends) up to SourceLength units of Source into Dest; with
 * StopAtNul the source ends at its terminator (a PCWSTR source).
 */
static NTSTATUS RtlpUnicodeWrite(PUNICODE_STRING Dest, const WCHAR *Source, size_t SourceLength,
                                 int StopAtNul, RTLP_UNICODE_OP Op, PUNICODE_STRING Remaining,
                                 DWORD Flags, int Ex)
{
    NTSTATUS status;
    size_t maxChars;
    size_t start;
    size_t i = 0;
    int sourceEmpty = (SourceLength == 0 || (StopAtNul && Source[0] == 0));

    if (Ex && (Flags & ~(DWORD)STRSAFE_UNICODE_STRING_VALID_FLAGS) != 0) {
        return STATUS_INVALID_PARAMETER;
    }
    status = RtlpValidateUnicodeString(Dest, Flags);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    if (Dest == NULL) {
        status = sourceEmpty ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
        return RtlpUnicodeFinish(NULL, status, 0, 0, 0, Remaining, Flags);
    }
    maxChars = Dest->MaximumLength / sizeof(WCHAR);
    start = (Op == RtlpUnicodeCat) ? Dest->Length / sizeof(WCHAR) : 0;
    if (maxChars == 0 && !sourceEmpty) {
        return STATUS_INVALID_PARAMETER;
    }
    status = STATUS_SUCCESS;
    while (i < SourceLength && !(StopAtNul && Source[i] == 0)) {
        if (start + i == maxChars) {
            status = STATUS_BUFFER_OVERFLOW;
            break;
        }
        Dest->Buffer[start + i] = Source[i];
        i++;
    }
    return RtlpUnicodeFinish(Dest, status, start + i, start, Op == RtlpUnicodeCat, Remaining,
                             Flags);
}

/* Resolves a PCUNICODE_STRING source for the Copy/Cat routines. */
static NTSTATUS RtlpUnicodeFromString(PUNICODE_STRING Dest, PCUNICODE_STRING Source,
                                      RTLP_UNICODE_OP Op, PUNICODE_STRING Remaining, DWORD Flags,
                                      int Ex)
{
    NTSTATUS status = RtlpValidateUnicodeString(Source, Ex ? Flags : 0);

    if (!NT_SUCCESS(status)) {
        return status;
    }
    if (Source == NULL || Source->Buffer == NULL) {
        return RtlpUnicodeWrite(Dest, RtlpEmptyWide, 0, 0, Op, Remaining, Flags, Ex);
    }
    return RtlpUnicodeWrite(Dest, Source->Buffer, Source->Length / sizeof(WCHAR), 0, Op,
                            Remaining, Flags, Ex);
}

static NTSTATUS RtlpUnicodeFromPsz(PUNICODE_STRING Dest, NTSTRSAFE_PCWSTR Source,
                                   RTLP_UNICODE_OP Op, PUNICODE_STRING Remaining, DWORD Flags,
                                   int Ex)
{
    if (Source == NULL) {
        if (!(Flags & STRSAFE_IGNORE_NULLS)) {
            return STATUS_INVALID_PARAMETER;
        }
        Source = RtlpEmptyWide;
    }
    return RtlpUnicodeWrite(Dest, Source, (size_t)-1, 1, Op, Remaining, Flags, Ex);
}

NTSTATUS NTAPI RtlUnicodeStringInitEx(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc,
                                      DWORD dwFlags)
{
    size_t length = 0;

    if ((dwFlags & ~(DWORD)STRSAFE_IGNORE_NULLS) != 0) {
        return STATUS_INVALID_PARAMETER;
    }
    if (DestinationString == NULL) {
        return (dwFlags & STRSAFE_IGNORE_NULLS) ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
    }
    DestinationString->Length = 0;
    DestinationString->MaximumLength = 0;
    DestinationString->Buffer = NULL;
    if (pszSrc == NULL) {
        return STATUS_SUCCESS;
    }
    while (length < NTSTRSAFE_UNICODE_STRING_MAX_CCH && pszSrc[length] != 0) {
        length++;
    }
    if (length == NTSTRSAFE_UNICODE_STRING_MAX_CCH) {
        return STATUS_INVALID_PARAMETER; /* the string and its terminator do not fit */
    }
    DestinationString->Buffer = (PWCH)pszSrc;
    DestinationString->Length = (USHORT)(length * sizeof(WCHAR));
    DestinationString->MaximumLength = (USHORT)((length + 1) * sizeof(WCHAR));
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlUnicodeStringInit(PUNICODE_STRING DestinationString, NTSTRSAFE_PCWSTR pszSrc)
{
    return RtlUnicodeStringInitEx(DestinationString, pszSrc, 0);
}

NTSTATUS NTAPI RtlUnicodeStringValidateEx(PCUNICODE_STRING SourceString, DWORD dwFlags)
{
    if ((dwFlags & ~(DWORD)STRSAFE_IGNORE_NULLS) != 0) {
        return STATUS_INVALID_PARAMETER;
    }
    return RtlpValidateUnicodeString(SourceString, dwFlags);
}

NTSTATUS NTAPI RtlUnicodeStringValidate(PCUNICODE_STRING SourceString)
{
    return RtlUnicodeStringValidateEx(SourceString, 0);
}

NTSTATUS NTAPI RtlUnicodeStringCopy(PUNICODE_STRING DestinationString,
                                    PCUNICODE_STRING SourceString)
{
    return RtlpUnicodeFromString(DestinationString, SourceString, RtlpUnicodeCopy, NULL, 0, 0);
}

NTSTATUS NTAPI RtlUnicodeStringCopyEx(PUNICODE_STRING DestinationString,
                                      PCUNICODE_STRING SourceString,
                                      PUNICODE_STRING RemainingString, DWORD dwFlags)
{
    return RtlpUnicodeFromString(DestinationString, SourceString, RtlpUnicodeCopy,
                                 RemainingString, dwFlags, 1);
}

NTSTATUS NTAPI RtlUnicodeStringCopyString(PUNICODE_STRING DestinationString,
                                          NTSTRSAFE_PCWSTR pszSrc)
{
    return RtlpUnicodeFromPsz(DestinationString, pszSrc, RtlpUnicodeCopy, NULL, 0, 0);
}

NTSTATUS NTAPI RtlUnicodeStringCopyStringEx(PUNICODE_STRING DestinationString,
                                            NTSTRSAFE_PCWSTR pszSrc,
                                            PUNICODE_STRING RemainingString, DWORD dwFlags)
{
    return RtlpUnicodeFromPsz(DestinationString, pszSrc, RtlpUnicodeCopy, RemainingString,
                              dwFlags, 1);
}

NTSTATUS NTAPI RtlUnicodeStringCat(PUNICODE_STRING DestinationString,
                                   PCUNICODE_STRING SourceString)
{
    return RtlpUnicodeFromString(DestinationString, SourceString, RtlpUnicodeCat, NULL, 0, 0);
}

NTSTATUS NTAPI RtlUnicodeStringCatEx(PUNICODE_STRING DestinationString,
                                     PCUNICODE_STRING SourceString,
                                     PUNICODE_STRING RemainingString, DWORD dwFlags)
{
    return RtlpUnicodeFromString(DestinationString, SourceString, RtlpUnicodeCat,
                                 RemainingString, dwFlags, 1);
}

NTSTATUS NTAPI RtlUnicodeStringCatString(PUNICODE_STRING DestinationString,
                                         NTSTRSAFE_PCWSTR pszSrc)
{
    return RtlpUnicodeFromPsz(DestinationString, pszSrc, RtlpUnicodeCat, NULL, 0, 0);
}

NTSTATUS NTAPI RtlUnicodeStringCatStringEx(PUNICODE_STRING DestinationString,
                                           NTSTRSAFE_PCWSTR pszSrc,
                                           PUNICODE_STRING RemainingString, DWORD dwFlags)
{
    return RtlpUnicodeFromPsz(DestinationString, pszSrc, RtlpUnicodeCat, RemainingString,
                              dwFlags, 1);
}

static NTSTATUS RtlpUnicodePrintf(PUNICODE_STRING Dest, PUNICODE_STRING Remaining, DWORD Flags,
                                  int Ex, NTSTRSAFE_PCWSTR Format, va_list Args)
{
    NTSTATUS status;
    size_t maxChars;
    int written;

    if (Ex && (Flags & ~(DWORD)STRSAFE_UNICODE_STRING_VALID_FLAGS) != 0) {
        return STATUS_INVALID_PARAMETER;
    }
    if (Format == NULL) {
        if (!(Flags & STRSAFE_IGNORE_NULLS)) {
            return STATUS_INVALID_PARAMETER;
        }
        Format = RtlpEmptyWide;
    }
    status = RtlpValidateUnicodeString(Dest, Flags);
    if (!NT_SUCCESS(status)) {
        return status;
    }
    if (Dest == NULL) {
        status = (Format[0] == 0) ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
        return RtlpUnicodeFinish(NULL, status, 0, 0, 0, Remaining, Flags);
    }
    maxChars = Dest->MaximumLength / sizeof(WCHAR);
    if (maxChars == 0) {
        status = (Format[0] == 0) ? STATUS_SUCCESS : STATUS_INVALID_PARAMETER;
        if (!NT_SUCCESS(status)) {
            return status;
        }
        return RtlpUnicodeFinish(Dest, status, 0, 0, 0, Remaining, Flags);
    }
    /* _vsnwprintf semantics: all of the buffer may hold text, no terminator needed. */
    written = FsimCrt__vsnwprintf(Dest->Buffer, maxChars, Format, Args);
    if (written < 0) {
        return RtlpUnicodeFinish(Dest, STATUS_BUFFER_OVERFLOW, maxChars, 0, 0, Remaining, Flags);
    }
    return RtlpUnicodeFinish(Dest, STATUS_SUCCESS, (size_t)written, 0, 0, Remaining, Flags);
}

NTSTATUS NTAPI RtlUnicodeStringVPrintf(PUNICODE_STRING DestinationString,
                                       NTSTRSAFE_PCWSTR pszFormat, va_list argList)
{
    return RtlpUnicodePrintf(DestinationString, NULL, 0, 0, pszFormat, argList);
}

NTSTATUS NTAPI RtlUnicodeStringVPrintfEx(PUNICODE_STRING DestinationString,
                                         PUNICODE_STRING RemainingString, DWORD dwFlags,
                                         NTSTRSAFE_PCWSTR pszFormat, va_list argList)
{
    return RtlpUnicodePrintf(DestinationString, RemainingString, dwFlags, 1, pszFormat, argList);
}

NTSTATUS NTAPI RtlUnicodeStringPrintf(PUNICODE_STRING DestinationString,
                                      NTSTRSAFE_PCWSTR pszFormat, ...)
{
    va_list args;
    NTSTATUS status;
    va_start(args, pszFormat);
    status = RtlpUnicodePrintf(DestinationString, NULL, 0, 0, pszFormat, args);
    va_end(args);
    return status;
}

NTSTATUS NTAPI RtlUnicodeStringPrintfEx(PUNICODE_STRING DestinationString,
                                        PUNICODE_STRING RemainingString, DWORD dwFlags,
                                        NTSTRSAFE_PCWSTR pszFormat, ...)
{
    va_list args;
    NTSTATUS status;
    va_start(args, pszFormat);
    status = RtlpUnicodePrintf(DestinationString, RemainingString, dwFlags, 1, pszFormat, args);
    va_end(args);
    return status;
}
