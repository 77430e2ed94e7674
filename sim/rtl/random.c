/*
 * random.c - fltsim Rtl: RtlRandom and RtlRandomEx.
 *
 * Owns the drivers' pseudo-random generators.  Both are pure functions of
 * the caller's seed (which they update), so a run stays a function of its
 * inputs: no host randomness.  The documentation fixes only the contract -
 * the next seed is derived from the current one and the result lies in
 * [0..MAXLONG-1] - not Windows' constants, so the sequences are this
 * simulator's own: linear congruential steps modulo 2^31 - 1 (RtlRandomEx
 * with multiplier 48271, RtlRandom with 16807, the "minimal standard"
 * multipliers of Park and Miller).  The returned value is the new seed.
 */
#include "rtlp.h"

#define RTLP_RANDOM_MODULUS 0x7FFFFFFFu /* 2^31 - 1 == MAXLONG */
#define RTLP_RANDOM_INCREMENT 12345u

static ULONG RtlpRandomStep(PULONG Seed, ULONGLONG Multiplier)
{
    ULONGLONG state = *Seed % RTLP_RANDOM_MODULUS;

    state = (state * Multiplier + RTLP_RANDOM_INCREMENT) % RTLP_RANDOM_MODULUS;
    *Seed = (ULONG)state; /* in [0, MAXLONG - 1] */
    return (ULONG)state;
}

ULONG RtlRandomEx(PULONG Seed)
{
    RTLP_PAGED_CODE();

    return RtlpRandomStep(Seed, 48271u);
}

ULONG RtlRandom(PULONG Seed)
{
    RTLP_PAGED_CODE();

    return RtlpRandomStep(Seed, 16807u);
}
