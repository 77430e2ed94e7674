/*
 * except.c - fltsim Ke: the runtime of the SEH emulation in excpt.h, raising
 * exceptions (ExRaiseStatus, RtlFailFast, failed assertions) and the
 * unhandled-exception bugcheck.
 */
#include <fsim_kernel.h>
#include <string.h>

static PKTHREAD KiSehThread(void)
{
    return KiMachine ? KiMachine->CurrentThread : NULL;
}

static void KiSehUnlink(PFSIM_SEH_FRAME Frame)
{
    PKTHREAD T = Frame->Thread;
    if (!Frame->Linked || T == NULL)
        return;
    /* Frames unlink innermost-first; tolerate a frame left by longjmp. */
    PFSIM_SEH_FRAME *Link = &T->SehTop;
    while (*Link != NULL && *Link != Frame)
        Link = &(*Link)->Previous;
    if (*Link == Frame)
        *Link = Frame->Previous;
    Frame->Linked = 0;
}

void FsimSehLink(PFSIM_SEH_FRAME Frame)
{
    PKTHREAD T = KiSehThread();
    Frame->Once = 1;
    Frame->Thread = T;
    if (T == NULL)
        return;
    Frame->CallDepth = T->FrameCount;
    Frame->Previous = T->SehTop;
    T->SehTop = Frame;
    Frame->Linked = 1;
}

/* Deliver the exception in Record to the innermost frame of the running thread. */
static DECLSPEC_NORETURN void KiDispatch(const EXCEPTION_RECORD *Record)
{
    PKTHREAD T = KiSehThread();
    PFSIM_SEH_FRAME Target = T ? T->SehTop : NULL;
    if (Target == NULL) {
        KiReportSetRootCause(KiFormat("exception 0x%08X raised with no __try/__except handler on the stack",
                                      (unsigned)Record->ExceptionCode));
        KeBugCheckEx(KMODE_EXCEPTION_NOT_HANDLED, (ULONG_PTR)(ULONG)Record->ExceptionCode, 0,
                     Record->ExceptionInformation[0], Record->ExceptionInformation[1]);
    }
    KiSehUnlink(Target);
    Target->Record = *Record;
    Target->Pointers.ExceptionRecord = &Target->Record;
    Target->Pointers.ContextRecord = &Target->Context;
    Target->Raised = 1;
    Target->Pass = 2;
    /* Unwind the simulated call stack to the frame that holds the __try. */
    T->FrameCount = Target->CallDepth;
    _longjmp(Target->JumpBuffer, 1);
}

int FsimSehNextPass(PFSIM_SEH_FRAME Frame)
{
    switch (Frame->Pass) {
    case 0:
        Frame->Pass = 1;
        return 1;
    case 1:
        KiSehUnlink(Frame);
        Frame->Pass = 2;
        return 1;
    default:
        if (Frame->Raised && !Frame->Handled) {
            EXCEPTION_RECORD Record = Frame->Record;
            Frame->Pass = 3;
            KiDispatch(&Record);
        }
        Frame->Pass = 3;
        return 0;
    }
}

int FsimSehFilter(PFSIM_SEH_FRAME Frame, LONG Disposition)
{
    if (Disposition == EXCEPTION_EXECUTE_HANDLER) {
        Frame->Handled = 1;
        return 1;
    }
    return 0;
}

void FsimSehScopeExit(PFSIM_SEH_FRAME Frame)
{
    KiSehUnlink(Frame);
}

DECLSPEC_NORETURN void KiRaiseException(NTSTATUS Code, ULONG_PTR Info0, ULONG_PTR Info1)
{
    EXCEPTION_RECORD Record;
    memset(&Record, 0, sizeof(Record));
    Record.ExceptionCode = Code;
    Record.NumberParameters = 2;
    Record.ExceptionInformation[0] = Info0;
    Record.ExceptionInformation[1] = Info1;
    KiDispatch(&Record);
}

DECLSPEC_NORETURN VOID NTAPI ExRaiseStatus(NTSTATUS Status)
{
    KiRaiseException(Status, 0, 0);
}

DECLSPEC_NORETURN VOID NTAPI RtlFailFast(ULONG Code)
{
    KiReportSetRootCause(KiFormat("__fastfail(%u): %s", Code,
                                  Code == FAST_FAIL_CORRUPT_LIST_ENTRY ? "a LIST_ENTRY is corrupted (its "
                                  "neighbours do not point back at it)" : "fast fail"));
    KeBugCheckEx(KERNEL_SECURITY_CHECK_FAILURE, Code, 0, 0, 0);
}

VOID NTAPI RtlAssert(PVOID VoidFailedAssertion, PVOID VoidFileName, ULONG LineNumber, PSTR MutableMessage)
{
    const char *Expr = VoidFailedAssertion;
    const char *File = VoidFileName;
    char Line[1024];
    snprintf(Line, sizeof(Line), "*** Assertion failed: %s%s%s\n***   Source File: %s, line %u\n",
             MutableMessage ? MutableMessage : "", MutableMessage ? " " : "", Expr, File, LineNumber);
    KdpPrint(Line);
    KiReportSetRootCause(KiFormat("assertion failed: %s at %s:%u", Expr, File, LineNumber));
    KiReportSetGuilty(NULL, KiFormat("%s:%u", File, LineNumber));
    /* A failed NT_ASSERT without a debugger attached raises STATUS_ASSERTION_FAILURE. */
    KiRaiseException((NTSTATUS)0xC0000420L, 0, 0);
}
