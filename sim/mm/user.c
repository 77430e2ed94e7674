/*
 * user.c - fltsim Mm: the simulated user address space of each process.
 * Buffers a simulated process passes to system calls live here, at
 * deterministic simulated addresses (each process's space starts at
 * 0x000001d4'00000000 + pid-dependent offset), page-aligned plus a chosen
 * offset within the page.  ProbeForRead/ProbeForWrite check ranges
 * against it and raise as Windows does.
 */
#include <fsim_kernel.h>
#include <string.h>
#include <sys/mman.h>
#ifndef MAP_ANONYMOUS
#define MAP_ANONYMOUS MAP_ANON
#endif

uint64_t MiRegisterUserRange(const void *Host, size_t Size, uint64_t Synthetic);

typedef struct MI_USER_BUFFER {
    void *Host;                 /* page-aligned host mapping (its pages, then a guard page) */
    size_t HostSize;            /* the accessible pages */
    uintptr_t Start, End;       /* the part handed out */
    struct MI_USER_BUFFER *Next;
} MI_USER_BUFFER;

struct MI_USER_SPACE {
    uint64_t NextVa;
    MI_USER_BUFFER *Buffers;
};

void MiCreateUserSpace(struct _EPROCESS *Process)
{
    struct MI_USER_SPACE *S = calloc(1, sizeof(*S));
    if (S == NULL)
        abort();
    S->NextVa = 0x000001d400000000ull + ((uint64_t)(Process->ProcessId & 0xFFF) << 28);
    Process->UserSpace = S;
}

void MiDeleteUserSpace(struct _EPROCESS *Process)
{
    struct MI_USER_SPACE *S = Process->UserSpace;
    if (S == NULL)
        return;
    while (S->Buffers) {
        MI_USER_BUFFER *B = S->Buffers;
        S->Buffers = B->Next;
        MiUnregisterRange(B->Host);
        munmap(B->Host, B->HostSize + PAGE_SIZE);
        free(B);
    }
    free(S);
    Process->UserSpace = NULL;
}

PVOID MiAllocateUserBuffer(struct _EPROCESS *Process, SIZE_T Size, ULONG PageOffset)
{
    struct MI_USER_SPACE *S = Process->UserSpace;
    MI_USER_BUFFER *B = calloc(1, sizeof(*B));
    size_t Total = ROUND_TO_PAGES(PageOffset + (Size ? Size : 1));
    if (B == NULL)
        abort();
    /* The pages, then a PROT_NONE guard page: a driver running past the end
     * of a user buffer faults like a touch of unmapped user memory. */
    B->Host = mmap(NULL, Total + PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (B->Host == MAP_FAILED)
        abort();
    mprotect((char *)B->Host + Total, PAGE_SIZE, PROT_NONE);
    B->HostSize = Total;
    B->Start = (uintptr_t)B->Host + PageOffset;
    B->End = B->Start + Size;
    B->Next = S->Buffers;
    S->Buffers = B;
    MiRegisterUserRange(B->Host, Total, S->NextVa);
    S->NextVa += Total + 0x10000; /* a guard gap between buffers */
    return (PVOID)B->Start;
}

void MiFreeUserBuffer(struct _EPROCESS *Process, PVOID Buffer)
{
    struct MI_USER_SPACE *S = Process->UserSpace;
    /* Pages an MDL still holds locked stay (as physical pages do on
     * Windows); the mapping goes with the process. */
    for (MI_USER_BUFFER **Link = &S->Buffers; *Link; Link = &(*Link)->Next) {
        MI_USER_BUFFER *B = *Link;
        if (B->Start == (uintptr_t)Buffer) {
            if (MiRangeHasLockedPages(Process, B->Host, B->HostSize))
                return;
            *Link = B->Next;
            MiUnregisterRange(B->Host);
            munmap(B->Host, B->HostSize + PAGE_SIZE);
            free(B);
            return;
        }
    }
}

BOOLEAN MiIsUserRange(struct _EPROCESS *Process, const void *Address, SIZE_T Length)
{
    struct MI_USER_SPACE *S = Process ? Process->UserSpace : NULL;
    uintptr_t A = (uintptr_t)Address;
    if (S == NULL)
        return FALSE;
    for (MI_USER_BUFFER *B = S->Buffers; B; B = B->Next) {
        uintptr_t Lo = (uintptr_t)B->Host, Hi = Lo + B->HostSize;
        if (A >= Lo && A + Length <= Hi && A + Length >= A)
            return TRUE;
    }
    return FALSE;
}

/* ProbeForRead/ProbeForWrite: a zero length is always fine; a misaligned
 * address raises STATUS_DATATYPE_MISALIGNMENT; a range outside the current
 * process's user space raises STATUS_ACCESS_VIOLATION. */
static void MiProbe(volatile VOID *Address, SIZE_T Length, ULONG Alignment, BOOLEAN Write)
{
    PKTHREAD T = KeGetCurrentThread();
    uintptr_t A = (uintptr_t)Address;
    (void)Write;
    KiRequireIrql(APC_LEVEL, Write ? "ProbeForWrite" : "ProbeForRead");
    if (Length == 0)
        return;
    if (Alignment != 0 && (A & (Alignment - 1)) != 0)
        KiRaiseException(STATUS_DATATYPE_MISALIGNMENT, 0, 0);
    if (!MiIsUserRange(T->Process, (const void *)A, Length))
        KiRaiseException(STATUS_ACCESS_VIOLATION, Write ? 1 : 0, (ULONG_PTR)MiSyntheticAddress((const void *)A));
}

VOID NTAPI ProbeForRead(volatile VOID *Address, SIZE_T Length, ULONG Alignment)
{
    MiProbe(Address, Length, Alignment, FALSE);
}

VOID NTAPI ProbeForWrite(volatile VOID *Address, SIZE_T Length, ULONG Alignment)
{
    MiProbe(Address, Length, Alignment, TRUE);
}
