/*
 * address.c - fltsim Mm: synthetic addresses.  Every host range that stands
 * for simulated memory (pool blocks, objects, IRPs, user buffers) gets a
 * stable simulated address assigned in allocation order, so reports and %p
 * never show host pointers and repeated runs print the same numbers.
 */
#include <fsim_kernel.h>
#include <string.h>

typedef struct MI_RANGE {
    uintptr_t Host;
    size_t Size;
    uint64_t Synthetic;
    const char *Kind;
} MI_RANGE;

struct MI_ADDRESS_MAP {
    MI_RANGE *Ranges;            /* sorted by Host */
    size_t Count, Capacity;
};

#define MI_KERNEL_BASE 0xffffac0500000000ull

static struct MI_ADDRESS_MAP *MiMap(void)
{
    FSIM_MACHINE *M = KiMachine;
    if (M->AddressMap == NULL) {
        M->AddressMap = calloc(1, sizeof(struct MI_ADDRESS_MAP));
        if (M->AddressMap == NULL)
            abort();
        M->NextKernelVa = MI_KERNEL_BASE + 0x1000;
    }
    return M->AddressMap;
}

/* Index of the last range with Host <= Address, or (size_t)-1. */
static size_t MiFloor(struct MI_ADDRESS_MAP *Map, uintptr_t Address)
{
    size_t Lo = 0, Hi = Map->Count;
    while (Lo < Hi) {
        size_t Mid = (Lo + Hi) / 2;
        if (Map->Ranges[Mid].Host <= Address)
            Lo = Mid + 1;
        else
            Hi = Mid;
    }
    return Lo == 0 ? (size_t)-1 : Lo - 1;
}

static uint64_t MiInsert(const void *Host, size_t Size, const char *Kind, uint64_t Synthetic)
{
    struct MI_ADDRESS_MAP *Map = MiMap();
    uintptr_t H = (uintptr_t)Host;
    size_t At = MiFloor(Map, H);
    if (At != (size_t)-1 && Map->Ranges[At].Host == H) {
        Map->Ranges[At].Size = Size;
        Map->Ranges[At].Synthetic = Synthetic;
        Map->Ranges[At].Kind = Kind;
        return Synthetic;
    }
    At = At == (size_t)-1 ? 0 : At + 1;
    if (Map->Count == Map->Capacity) {
        size_t Cap = Map->Capacity ? Map->Capacity * 2 : 256;
        MI_RANGE *New = realloc(Map->Ranges, Cap * sizeof(*New));
        if (New == NULL)
            abort();
        Map->Ranges = New;
        Map->Capacity = Cap;
    }
    memmove(&Map->Ranges[At + 1], &Map->Ranges[At], (Map->Count - At) * sizeof(MI_RANGE));
    Map->Ranges[At].Host = H;
    Map->Ranges[At].Size = Size;
    Map->Ranges[At].Synthetic = Synthetic;
    Map->Ranges[At].Kind = Kind;
    Map->Count++;
    return Synthetic;
}

uint64_t MiRegisterRange(const void *Host, size_t Size, const char *Kind)
{
    FSIM_MACHINE *M = KiMachine;
    uint64_t Synthetic;
    (void)MiMap();
    Synthetic = M->NextKernelVa + 0x10; /* room for a pool header */
    M->NextKernelVa = (Synthetic + Size + 0xF) & ~0xFull;
    return MiInsert(Host, Size, Kind, Synthetic);
}

uint64_t MiRegisterUserRange(const void *Host, size_t Size, uint64_t Synthetic);
uint64_t MiRegisterUserRange(const void *Host, size_t Size, uint64_t Synthetic)
{
    return MiInsert(Host, Size, "User", Synthetic);
}

void MiUnregisterRange(const void *Host)
{
    struct MI_ADDRESS_MAP *Map = MiMap();
    size_t At = MiFloor(Map, (uintptr_t)Host);
    if (At == (size_t)-1 || Map->Ranges[At].Host != (uintptr_t)Host)
        return;
    memmove(&Map->Ranges[At], &Map->Ranges[At + 1], (Map->Count - At - 1) * sizeof(MI_RANGE));
    Map->Count--;
}

static MI_RANGE *MiLookup(const void *Host)
{
    struct MI_ADDRESS_MAP *Map = MiMap();
    uintptr_t H = (uintptr_t)Host;
    size_t At = MiFloor(Map, H);
    if (At == (size_t)-1)
        return NULL;
    MI_RANGE *R = &Map->Ranges[At];
    if (H < R->Host + (R->Size ? R->Size : 1))
        return R;
    return NULL;
}

uint64_t MiSyntheticAddress(const void *Host)
{
    MI_RANGE *R;
    if (Host == NULL)
        return 0;
    R = MiLookup(Host);
    if (R != NULL)
        return R->Synthetic + ((uintptr_t)Host - R->Host);
    /* Memory the simulator does not know (driver globals, the stack):
     * register a one-byte range so the value at least stays stable. */
    return MiRegisterRange(Host, 1, "Unknown");
}

const char *MiDescribeSynthetic(uint64_t Address)
{
    struct MI_ADDRESS_MAP *Map = MiMap();
    for (size_t I = 0; I < Map->Count; I++) {
        MI_RANGE *R = &Map->Ranges[I];
        if (Address >= R->Synthetic && Address < R->Synthetic + (R->Size ? R->Size : 1))
            return R->Kind;
    }
    return NULL;
}

void MiTeardown(void)
{
    FSIM_MACHINE *M = KiMachine;
    if (M->AddressMap) {
        free(M->AddressMap->Ranges);
        free(M->AddressMap);
        M->AddressMap = NULL;
    }
}

/* The %p hook of the CRT: simulated addresses only. */
static void MiPointerHook(void *Context, const void *Pointer, char Out[32])
{
    (void)Context;
    if (KiMachine == NULL) {
        snprintf(Out, 32, "%016llX", 0ull);
        return;
    }
    snprintf(Out, 32, "%016llX", (unsigned long long)MiSyntheticAddress(Pointer));
}

void FsimCrtGetPointerHook(FSIM_FORMAT_POINTER_HOOK **Hook, void **HookContext)
{
    *Hook = MiPointerHook;
    *HookContext = NULL;
}

/* Rename what a registered range holds ("Pool" -> "IRP"). */
void MiSetRangeKind(const void *Host, const char *Kind)
{
    MI_RANGE *R = MiLookup(Host);
    if (R != NULL && R->Host == (uintptr_t)Host)
        R->Kind = Kind;
}
