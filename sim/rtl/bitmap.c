/*
 * bitmap.c - fltsim Rtl: RTL_BITMAP bit maps.
 *
 * Owns initialisation, setting, clearing, testing, counting and searching of
 * caller-owned bit maps.  Bit n lives in Buffer[n / 32] at bit n % 32, as on
 * Windows, so drivers that also touch Buffer directly see the same layout.
 * Searches are plain scans: deterministic, and fast enough for the bit maps
 * drivers keep.  RtlCheckBit is a header inline/macro in wdm.h on x64.
 */
#include "rtlp.h"

#define RTLP_NOT_FOUND 0xFFFFFFFFu

static BOOLEAN RtlpGetBit(const RTL_BITMAP *BitMap, ULONG Bit)
{
    return (BOOLEAN)((BitMap->Buffer[Bit / 32] >> (Bit % 32)) & 1u);
}

static void RtlpPutBits(PRTL_BITMAP BitMap, ULONG Start, ULONG Count, BOOLEAN Set)
{
    ULONG bit = Start;
    ULONG end = Start + Count;

    while (bit < end) {
        ULONG word = bit / 32;
        ULONG shift = bit % 32;
        ULONG take = 32 - shift;
        ULONG mask;
        if (take > end - bit) {
            take = end - bit;
        }
        mask = (take == 32) ? 0xFFFFFFFFu : (((1u << take) - 1u) << shift);
        if (Set) {
            BitMap->Buffer[word] |= mask;
        } else {
            BitMap->Buffer[word] &= ~mask;
        }
        bit += take;
    }
}

/* TRUE when Count bits from Start are all equal to Value (range inside the map). */
static BOOLEAN RtlpRangeIs(const RTL_BITMAP *BitMap, ULONG Start, ULONG Count, BOOLEAN Value)
{
    ULONG i;

    for (i = 0; i < Count; i++) {
        if (RtlpGetBit(BitMap, Start + i) != Value) {
            return FALSE;
        }
    }
    return TRUE;
}

/* First run of Count bits equal to Value starting in [From, To); RTLP_NOT_FOUND if none. */
static ULONG RtlpFindRun(const RTL_BITMAP *BitMap, ULONG Count, BOOLEAN Value, ULONG From,
                         ULONG To)
{
    ULONG size = BitMap->SizeOfBitMap;
    ULONG start = From;

    while (start < To && Count <= size - start) {
        ULONG run = 0;
        while (run < Count && RtlpGetBit(BitMap, start + run) == Value) {
            run++;
        }
        if (run == Count) {
            return start;
        }
        start += run + 1; /* skip past the bit that broke the run */
    }
    return RTLP_NOT_FOUND;
}

/* Documented search order: from the hint to the end, then from the start. */
static ULONG RtlpFindBits(const RTL_BITMAP *BitMap, ULONG NumberToFind, ULONG HintIndex,
                          BOOLEAN Value)
{
    ULONG size = BitMap->SizeOfBitMap;
    ULONG found;

    if (HintIndex >= size) {
        HintIndex = 0;
    }
    if (NumberToFind == 0) {
        return HintIndex;
    }
    if (NumberToFind > size) {
        return RTLP_NOT_FOUND;
    }
    found = RtlpFindRun(BitMap, NumberToFind, Value, HintIndex, size);
    if (found == RTLP_NOT_FOUND && HintIndex != 0) {
        found = RtlpFindRun(BitMap, NumberToFind, Value, 0, HintIndex);
    }
    return found;
}

VOID RtlInitializeBitMap(PRTL_BITMAP BitMapHeader, PULONG BitMapBuffer, ULONG SizeOfBitMap)
{
    BitMapHeader->SizeOfBitMap = SizeOfBitMap;
    BitMapHeader->Buffer = BitMapBuffer;
}

VOID RtlClearAllBits(PRTL_BITMAP BitMapHeader)
{
    RtlpPutBits(BitMapHeader, 0, BitMapHeader->SizeOfBitMap, FALSE);
}

VOID RtlSetAllBits(PRTL_BITMAP BitMapHeader)
{
    RtlpPutBits(BitMapHeader, 0, BitMapHeader->SizeOfBitMap, TRUE);
}

VOID RtlClearBit(PRTL_BITMAP BitMapHeader, ULONG BitNumber)
{
    RtlpPutBits(BitMapHeader, BitNumber, 1, FALSE);
}

VOID RtlSetBit(PRTL_BITMAP BitMapHeader, ULONG BitNumber)
{
    RtlpPutBits(BitMapHeader, BitNumber, 1, TRUE);
}

BOOLEAN RtlTestBit(PRTL_BITMAP BitMapHeader, ULONG BitNumber)
{
    return RtlpGetBit(BitMapHeader, BitNumber);
}

VOID RtlClearBits(PRTL_BITMAP BitMapHeader, ULONG StartingIndex, ULONG NumberToClear)
{
    RtlpPutBits(BitMapHeader, StartingIndex, NumberToClear, FALSE);
}

VOID RtlSetBits(PRTL_BITMAP BitMapHeader, ULONG StartingIndex, ULONG NumberToSet)
{
    RtlpPutBits(BitMapHeader, StartingIndex, NumberToSet, TRUE);
}

BOOLEAN RtlAreBitsClear(PRTL_BITMAP BitMapHeader, ULONG StartingIndex, ULONG Length)
{
    ULONG size = BitMapHeader->SizeOfBitMap;

    if (StartingIndex >= size || Length > size - StartingIndex) {
        return FALSE;
    }
    return RtlpRangeIs(BitMapHeader, StartingIndex, Length, FALSE);
}

BOOLEAN RtlAreBitsSet(PRTL_BITMAP BitMapHeader, ULONG StartingIndex, ULONG Length)
{
    ULONG size = BitMapHeader->SizeOfBitMap;

    if (StartingIndex >= size || Length > size - StartingIndex) {
        return FALSE;
    }
    return RtlpRangeIs(BitMapHeader, StartingIndex, Length, TRUE);
}

ULONG RtlFindClearBits(PRTL_BITMAP BitMapHeader, ULONG NumberToFind, ULONG HintIndex)
{
    return RtlpFindBits(BitMapHeader, NumberToFind, HintIndex, FALSE);
}

ULONG RtlFindSetBits(PRTL_BITMAP BitMapHeader, ULONG NumberToFind, ULONG HintIndex)
{
    return RtlpFindBits(BitMapHeader, NumberToFind, HintIndex, TRUE);
}

ULONG RtlFindClearBitsAndSet(PRTL_BITMAP BitMapHeader, ULONG NumberToFind, ULONG HintIndex)
{
    ULONG index = RtlpFindBits(BitMapHeader, NumberToFind, HintIndex, FALSE);

    if (index != RTLP_NOT_FOUND) {
        RtlpPutBits(BitMapHeader, index, NumberToFind, TRUE);
    }
    return index;
}

ULONG RtlFindSetBitsAndClear(PRTL_BITMAP BitMapHeader, ULONG NumberToFind, ULONG HintIndex)
{
    ULONG index = RtlpFindBits(BitMapHeader, NumberToFind, HintIndex, TRUE);

    if (index != RTLP_NOT_FOUND) {
        RtlpPutBits(BitMapHeader, index, NumberToFind, FALSE);
    }
    return index;
}

ULONG RtlNumberOfSetBits(PRTL_BITMAP BitMapHeader)
{
    ULONG size = BitMapHeader->SizeOfBitMap;
    ULONG count = 0;
    ULONG i;

    for (i = 0; i < size; i++) {
        count += RtlpGetBit(BitMapHeader, i);
    }
    return count;
}

ULONG RtlNumberOfClearBits(PRTL_BITMAP BitMapHeader)
{
    return BitMapHeader->SizeOfBitMap - RtlNumberOfSetBits(BitMapHeader);
}
