/*
 * dbgprint.c - fltsim Kd: DbgPrint and friends.  Formats with Microsoft's
 * printf rules (the CRT engine, %p through synthetic addresses) and hands
 * each complete line to the machine's log.
 */
#include <fsim_kernel.h>
#include <string.h>

void KdpPrint(const char *Text)
{
    char Line[1024];
    size_t Len = strlen(Text);
    while (Len > 0 && (Text[Len - 1] == '\n' || Text[Len - 1] == '\r'))
        Len--;
    if (Len >= sizeof(Line))
        Len = sizeof(Line) - 1;
    memcpy(Line, Text, Len);
    Line[Len] = 0;
    KiLog(FSIM_LOG_DBGPRINT, Line);
}

static ULONG KdpVPrint(PCCH Format, va_list Args)
{
    char Buffer[512]; /* DbgPrint transmits at most 512 bytes */
    FSIM_FORMAT_POINTER_HOOK *Hook;
    void *Context;
    FsimCrtGetPointerHook(&Hook, &Context);
    FsimFormatNarrowV(Buffer, sizeof(Buffer), Format, Args, Hook, Context, NULL);
    KdpPrint(Buffer);
    return STATUS_SUCCESS;
}

ULONG __cdecl DbgPrint(PCSTR Format, ...)
{
    va_list Args;
    ULONG R;
    va_start(Args, Format);
    R = KdpVPrint(Format, Args);
    va_end(Args);
    return R;
}

/* DbgPrintEx: the machine runs with the Debug Print Filter a driver
 * developer sets (HKLM\...\Debug Print Filter\DEFAULT = 0xFFFFFFFF): every
 * component's messages at every level are shown, as DbgPrint's are. */
static BOOLEAN KdpLevelEnabled(ULONG Level)
{
    (void)Level;
    return TRUE;
}

ULONG NTAPI vDbgPrintEx(ULONG ComponentId, ULONG Level, PCCH Format, va_list arglist)
{
    (void)ComponentId;
    if (!KdpLevelEnabled(Level))
        return STATUS_SUCCESS;
    return KdpVPrint(Format, arglist);
}

ULONG __cdecl DbgPrintEx(ULONG ComponentId, ULONG Level, PCSTR Format, ...)
{
    va_list Args;
    ULONG R;
    va_start(Args, Format);
    R = vDbgPrintEx(ComponentId, Level, Format, Args);
    va_end(Args);
    return R;
}

BOOLEAN KdDebuggerEnabled = FALSE;
BOOLEAN KdDebuggerNotPresent = TRUE;

/* A breakpoint with no kernel debugger attached raises STATUS_BREAKPOINT;
 * unhandled, that is KMODE_EXCEPTION_NOT_HANDLED(0x80000003). */
VOID NTAPI DbgBreakPoint(VOID)
{
    KiRaiseException(STATUS_BREAKPOINT, 0, 0);
}

VOID NTAPI DbgBreakPointWithStatus(ULONG Status)
{
    (void)Status;
    KiRaiseException(STATUS_BREAKPOINT, 0, 0);
}
