/*
 * dump.c - fltsim Mm: MDLs in reports, laid out as WinDbg's `dt nt!_MDL`
 * shows them (field offsets, decimal Size and MdlFlags with the flag
 * names spelled out).
 */
#include <fsim_kernel.h>
#include <string.h>

static const char *MiFlagNames(CSHORT Flags)
{
    static const struct {
        CSHORT Bit;
        const char *Name;
    } Names[] = {
        {MDL_MAPPED_TO_SYSTEM_VA, "MAPPED_TO_SYSTEM_VA"}, {MDL_PAGES_LOCKED, "PAGES_LOCKED"},
        {MDL_SOURCE_IS_NONPAGED_POOL, "SOURCE_IS_NONPAGED_POOL"}, {MDL_ALLOCATED_FIXED_SIZE, "ALLOCATED_FIXED_SIZE"},
        {MDL_PARTIAL, "PARTIAL"}, {MDL_PARTIAL_HAS_BEEN_MAPPED, "PARTIAL_HAS_BEEN_MAPPED"},
        {MDL_IO_PAGE_READ, "IO_PAGE_READ"}, {MDL_WRITE_OPERATION, "WRITE_OPERATION"},
        {MDL_LOCKED_PAGE_TABLES, "LOCKED_PAGE_TABLES"}, {MDL_FREE_EXTRA_PTES, "FREE_EXTRA_PTES"},
        {MDL_DESCRIBES_AWE, "DESCRIBES_AWE"}, {MDL_IO_SPACE, "IO_SPACE"}, {MDL_NETWORK_HEADER, "NETWORK_HEADER"},
        {MDL_MAPPING_CAN_FAIL, "MAPPING_CAN_FAIL"}, {MDL_PAGE_CONTENTS_INVARIANT, "PAGE_CONTENTS_INVARIANT"},
        {(CSHORT)MDL_INTERNAL, "INTERNAL"},
    };
    char Text[512] = "";
    for (size_t I = 0; I < sizeof(Names) / sizeof(Names[0]); I++) {
        if (Flags & Names[I].Bit) {
            if (Text[0])
                strcat(Text, "|");
            strcat(Text, "MDL_");
            strcat(Text, Names[I].Name);
        }
    }
    return KiSaveString(Text);
}

static const char *MiPointer(uint64_t Value, const char *Type)
{
    if (Value == 0)
        return "(null)";
    return KiFormat("0x%08llx`%08llx %s", (unsigned long long)(Value >> 32), (unsigned long long)(Value & 0xFFFFFFFF),
                    Type);
}

void MiReportMdl(PMDL Mdl, uint64_t MappedVa)
{
    const char *Names[] = {"+0x000 Next", "+0x008 Size", "+0x00a MdlFlags", "+0x00c AllocationProcessorNumber",
                           "+0x00e Reserved", "+0x010 Process", "+0x018 MappedSystemVa", "+0x020 StartVa",
                           "+0x028 ByteCount", "+0x02c ByteOffset"};
    const char *Values[10];
    uint64_t Address = MiSyntheticAddress(Mdl);
    Values[0] = MiPointer(MiSyntheticAddress(Mdl->Next), "_MDL");
    Values[1] = KiFormat("0n%d", Mdl->Size);
    Values[2] = KiFormat("0n%d (%s)", Mdl->MdlFlags, MiFlagNames(Mdl->MdlFlags));
    Values[3] = KiFormat("%u", Mdl->AllocationProcessorNumber);
    Values[4] = KiFormat("%u", Mdl->Reserved);
    Values[5] = MiPointer(MiSyntheticAddress(Mdl->Process), "_EPROCESS");
    Values[6] = (Mdl->MdlFlags & MDL_MAPPED_TO_SYSTEM_VA)
                    ? MiPointer(MappedVa ? MappedVa : MiSyntheticAddress(Mdl->MappedSystemVa), "Void")
                    : "(null)";
    Values[7] = MiPointer(MiSyntheticAddress(Mdl->StartVa), "Void");
    Values[8] = KiFormat("0x%x", Mdl->ByteCount);
    Values[9] = KiFormat("0x%x", Mdl->ByteOffset);
    KiReportSection(KiFormat("dt nt!_MDL %08llx`%08llx", (unsigned long long)(Address >> 32),
                             (unsigned long long)(Address & 0xFFFFFFFF)),
                    10, Names, Values);
}
