/*
 * hook.c - fltsim CRT: the weak fallback of the printf engine's pointer hook.
 *
 * Owns FsimCrtGetPointerHook as a weak symbol that reports "no hook", so the
 * CRT links and formats %p as 16 uppercase hex digits on its own.  The
 * kernel's strong definition (which turns host pointers into the machine's
 * synthetic addresses) replaces it at link time.  Kept alone in this file so
 * no caller in the CRT can have it inlined.
 */
#include "crtp.h"

__attribute__((weak)) void FsimCrtGetPointerHook(FSIM_FORMAT_POINTER_HOOK **Hook,
                                                 void **HookContext)
{
    if (Hook != NULL) {
        *Hook = NULL;
    }
    if (HookContext != NULL) {
        *HookContext = NULL;
    }
}
