/*
 * trap.c - fltsim Ke: hardware faults in simulated kernel code.  A fault
 * (SIGSEGV/SIGBUS) raised while a machine runs becomes what Windows makes
 * of it: an access violation exception (STATUS_ACCESS_VIOLATION) that the
 * thread's __try/__except can catch - e.g. a driver touching a bad user
 * buffer - or, with no handler, KMODE_EXCEPTION_NOT_HANDLED.  Faults
 * outside simulated code are passed to the previous handler, so a bug in
 * the simulator itself still crashes loudly.
 */
#define _GNU_SOURCE 1
#include <fsim_kernel.h>
#include <signal.h>
#include <string.h>
#if defined(__linux__) && defined(__x86_64__)
#include <ucontext.h>
#endif

static struct sigaction KiPreviousSegv, KiPreviousBus;

/* The handler runs on an alternate stack, so a fault caused by running off
 * the end of a stack (a driver's runaway recursion) can still be handled. */
#define KI_ALT_STACK_SIZE (256 * 1024)
static _Thread_local void *KiAltStack;

BOOLEAN KiIsFiberGuardPage(const void *Address);

static BOOLEAN KiIsStackOverflow(const void *Address, void *Context)
{
    if (KiIsFiberGuardPage(Address))
        return TRUE;
#if defined(__linux__) && defined(__x86_64__)
    {
        ucontext_t *Uc = Context;
        uintptr_t Sp = (uintptr_t)Uc->uc_mcontext.gregs[REG_RSP];
        uintptr_t A = (uintptr_t)Address;
        if (A + 65536 >= Sp && A <= Sp + 65536)
            return TRUE; /* the fault is at the stack pointer: the stack ran out */
    }
#else
    (void)Context;
#endif
    return FALSE;
}

static void KiChain(int Signal, siginfo_t *Info, void *Context)
{
    struct sigaction *Previous = Signal == SIGSEGV ? &KiPreviousSegv : &KiPreviousBus;
    if ((Previous->sa_flags & SA_SIGINFO) && Previous->sa_sigaction != NULL) {
        Previous->sa_sigaction(Signal, Info, Context);
        return;
    }
    if (Previous->sa_handler != SIG_DFL && Previous->sa_handler != SIG_IGN && Previous->sa_handler != NULL) {
        Previous->sa_handler(Signal);
        return;
    }
    signal(Signal, SIG_DFL);
    raise(Signal);
}

static void KiTrapHandler(int Signal, siginfo_t *Info, void *Context)
{
    FSIM_MACHINE *M = KiMachine;
    ULONG_PTR Write = 0;
    if (M == NULL || M->StopJump == NULL || M->CurrentThread == NULL || M->State != FSIM_STATE_RUNNING) {
        KiChain(Signal, Info, Context);
        return;
    }
#if defined(__linux__) && defined(__x86_64__)
    {
        ucontext_t *Uc = Context;
        Write = (Uc->uc_mcontext.gregs[REG_ERR] & 2) ? 1 : 0;
    }
#endif
    if (KiIsStackOverflow(Info->si_addr, Context)) {
        KiReportSetRootCause("the host stack under a simulated thread overflowed: runaway recursion in driver code "
                             "(the guard page below the stack was hit)");
        KeBugCheckEx(UNEXPECTED_KERNEL_MODE_TRAP, 8, 0, 0, 0);
    }
    /* The faulting address as the simulated machine sees it. */
    ULONG_PTR Address = (ULONG_PTR)MiSyntheticAddress(Info->si_addr);
    if ((uintptr_t)Info->si_addr < 0x10000)
        Address = (ULONG_PTR)(uintptr_t)Info->si_addr; /* NULL-page accesses keep their small address */
    if (M->CurrentThread->SehTop != NULL)
        KiRaiseException(STATUS_ACCESS_VIOLATION, Write, Address);
    KiReportSetRootCause(KiFormat("access violation: %s of address %016llx with no exception handler",
                                  Write ? "write" : "read", (unsigned long long)Address));
    KeBugCheckEx(KMODE_EXCEPTION_NOT_HANDLED, (ULONG_PTR)(ULONG)STATUS_ACCESS_VIOLATION, 0, Write, Address);
}

/* Called on every entry into a machine (KI_RUN): someone else (a test
 * framework, a sanitizer) may have replaced the handler since; the handler
 * found is kept as the one to chain to. */
void KiInstallTrapHandlers(void)
{
    struct sigaction Action, Current;
    if (KiAltStack == NULL) {
        stack_t Alt;
        KiAltStack = malloc(KI_ALT_STACK_SIZE);
        if (KiAltStack != NULL) {
            Alt.ss_sp = KiAltStack;
            Alt.ss_size = KI_ALT_STACK_SIZE;
            Alt.ss_flags = 0;
            sigaltstack(&Alt, NULL);
        }
    }
    memset(&Action, 0, sizeof(Action));
    Action.sa_sigaction = KiTrapHandler;
    Action.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
    sigemptyset(&Action.sa_mask);
    if (sigaction(SIGSEGV, NULL, &Current) == 0 &&
        !((Current.sa_flags & SA_SIGINFO) && Current.sa_sigaction == KiTrapHandler))
        sigaction(SIGSEGV, &Action, &KiPreviousSegv);
    if (sigaction(SIGBUS, NULL, &Current) == 0 &&
        !((Current.sa_flags & SA_SIGINFO) && Current.sa_sigaction == KiTrapHandler))
        sigaction(SIGBUS, &Action, &KiPreviousBus);
}
