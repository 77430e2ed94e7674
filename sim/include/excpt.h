/*
 * excpt.h - fltsim: structured exception handling for gcc and clang.
 *
 * Both spellings work: __try/__except/__finally/__leave and, in C, the legacy
 * try/except/finally/leave that the WDK's excpt.h maps onto them.
 *
 * Shape of the emulation.  __try opens a two-pass loop around a frame that is
 * linked onto the current simulated thread's exception chain:
 *   pass 1 runs the guarded block under _setjmp;
 *   pass 2 runs the __except block (only if an exception arrived and the
 *          filter said EXCEPTION_EXECUTE_HANDLER) or the __finally block
 *          (always).
 * __leave is a `break` out of the guarded block.  A raise (ExRaiseStatus,
 * ProbeForRead/Write, a fault on a simulated user buffer) records the code in
 * the innermost frame, unlinks it and _longjmp's there.  An exception still
 * unhandled when the loop ends is raised again to the next frame; with no
 * frame left the machine bugchecks (KMODE_EXCEPTION_NOT_HANDLED).  A cleanup
 * attribute unlinks the frame when the block is left by return or goto.
 *
 * Limits (documented in the README):
 *  - `break`/`continue` inside the guarded block that were meant for a loop
 *    outside the __try end the guarded block instead (like __leave), and a
 *    `break` inside an __except/__finally block ends that block.
 *  - A `return` or `goto` out of a __finally-guarded block skips the
 *    __finally block (MSVC would run it as an abnormal termination).
 *  - Filters run after the stack has been unwound to their frame, so inner
 *    __finally blocks run before outer filters are evaluated.
 *  - Locals that the guarded block modifies and the handler reads must be
 *    volatile when the driver is built with optimisation (a C longjmp rule);
 *    drivers are best simulated at -O0/-Og.
 *  - EXCEPTION_CONTINUE_EXECUTION cannot resume a faulting instruction; it is
 *    treated as EXCEPTION_CONTINUE_SEARCH.
 */
#ifndef _INC_EXCPT
#define _INC_EXCPT

#include <ntdef.h>
#include <setjmp.h>

#define EXCEPTION_EXECUTE_HANDLER 1
#define EXCEPTION_CONTINUE_SEARCH 0
#define EXCEPTION_CONTINUE_EXECUTION (-1)

#define EXCEPTION_NONCONTINUABLE 0x1
#define EXCEPTION_UNWINDING 0x2
#define EXCEPTION_EXIT_UNWIND 0x4
#define EXCEPTION_MAXIMUM_PARAMETERS 15

typedef enum _EXCEPTION_DISPOSITION {
    ExceptionContinueExecution,
    ExceptionContinueSearch,
    ExceptionNestedException,
    ExceptionCollidedUnwind
} EXCEPTION_DISPOSITION;

typedef struct _EXCEPTION_RECORD {
    NTSTATUS ExceptionCode;
    ULONG ExceptionFlags;
    struct _EXCEPTION_RECORD *ExceptionRecord;
    PVOID ExceptionAddress;
    ULONG NumberParameters;
    ULONG_PTR ExceptionInformation[EXCEPTION_MAXIMUM_PARAMETERS];
} EXCEPTION_RECORD, *PEXCEPTION_RECORD;

/*
 * The x64 CONTEXT record, reduced to what a filter of a simulated exception
 * can meaningfully read: the instruction and stack pointers.
 */
typedef struct _CONTEXT {
    ULONG ContextFlags;
    ULONG64 Rsp;
    ULONG64 Rip;
} CONTEXT, *PCONTEXT;

typedef struct _EXCEPTION_POINTERS {
    PEXCEPTION_RECORD ExceptionRecord;
    PCONTEXT ContextRecord;
} EXCEPTION_POINTERS, *PEXCEPTION_POINTERS;

/* One __try on the simulated thread's exception chain. */
typedef struct _FSIM_SEH_FRAME {
    struct _FSIM_SEH_FRAME *Previous;
    PVOID Thread;           /* simulated thread that owns the chain */
    ULONG Pass;             /* 0 before, 1 guarded block, 2 handler, 3 done */
    ULONG Once;             /* the single-pass loop around the guarded block */
    ULONG Linked;           /* on the thread's chain */
    ULONG Raised;           /* an exception reached this frame */
    ULONG Handled;          /* its __except block took it */
    ULONG CallDepth;        /* simulated call-stack depth at __try */
    EXCEPTION_RECORD Record;
    CONTEXT Context;
    EXCEPTION_POINTERS Pointers;
    jmp_buf JumpBuffer;
} FSIM_SEH_FRAME, *PFSIM_SEH_FRAME;

int FsimSehNextPass(PFSIM_SEH_FRAME Frame);
void FsimSehLink(PFSIM_SEH_FRAME Frame);
int FsimSehFilter(PFSIM_SEH_FRAME Frame, LONG Disposition);
void FsimSehScopeExit(PFSIM_SEH_FRAME Frame);

#define __try                                                                         \
    for (FSIM_SEH_FRAME FsimSehFrame_ __attribute__((cleanup(FsimSehScopeExit))) = {   \
             .Pass = 0 };                                                              \
         FsimSehNextPass(&FsimSehFrame_);)                                             \
        if (FsimSehFrame_.Pass == 1 && _setjmp(FsimSehFrame_.JumpBuffer) == 0)        \
            for (FsimSehLink(&FsimSehFrame_); FsimSehFrame_.Once; FsimSehFrame_.Once = 0)

#define __except(filter)                                                              \
        else if (FsimSehFrame_.Pass == 2 && FsimSehFrame_.Raised &&                   \
                 FsimSehFilter(&FsimSehFrame_, (LONG)(filter)))

#define __finally else if (FsimSehFrame_.Pass == 2)

#define __leave break

#define GetExceptionCode() (FsimSehFrame_.Record.ExceptionCode)
#define GetExceptionInformation() (&FsimSehFrame_.Pointers)
#define AbnormalTermination() (FsimSehFrame_.Raised != 0)
#define _exception_code() GetExceptionCode()
#define _exception_info() GetExceptionInformation()
#define _abnormal_termination() AbnormalTermination()

#if !defined(__cplusplus) && !defined(FLTSIM_NO_LEGACY_SEH)
#define try __try
#define except __except
#define finally __finally
#define leave __leave
#endif

#endif /* _INC_EXCPT */
