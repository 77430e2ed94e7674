/*
 * feature.c - fltsim Ex: ExIsProcessorFeaturePresent.  The simulated
 * processor is a plain x64 machine of the Windows 10 19041 era: SSE
 * through SSE3, CMPXCHG16B, RDTSC, NX, PAE, XSAVE, FS/GS base access and
 * fast-fail; no 3DNow!, no floating-point emulation or errata, no
 * virtualization features.
 */
#include "exp.h"

BOOLEAN ExIsProcessorFeaturePresent(ULONG ProcessorFeature)
{
    switch (ProcessorFeature) {
    case PF_COMPARE_EXCHANGE_DOUBLE:
    case PF_MMX_INSTRUCTIONS_AVAILABLE:
    case PF_XMMI_INSTRUCTIONS_AVAILABLE:
    case PF_RDTSC_INSTRUCTION_AVAILABLE:
    case PF_PAE_ENABLED:
    case PF_XMMI64_INSTRUCTIONS_AVAILABLE:
    case PF_NX_ENABLED:
    case PF_SSE3_INSTRUCTIONS_AVAILABLE:
    case PF_COMPARE_EXCHANGE128:
    case PF_XSAVE_ENABLED:
    case PF_RDWRFSGSBASE_AVAILABLE:
    case PF_FASTFAIL_AVAILABLE:
        return TRUE;
    default:
        return FALSE;
    }
}
