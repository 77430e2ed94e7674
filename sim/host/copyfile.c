/*
 * copyfile.c - fltsim host API: CopyFileEx as a simulated process issues it,
 * and remote shares.  The copy is the sequence of system calls kernel32's
 * CopyFileEx makes, each through the I/O manager and every filter, with
 * its buffers in the process's own address space at deterministic
 * addresses (the security descriptor buffer sits at page offset 0xd80 and
 * spans two pages, as in the crash this reproduces).
 */
#include "hostp.h"
#include <string.h>

NTSTATUS IopReadWrite(HANDLE Handle, BOOLEAN Write, PVOID UserBuffer, ULONG Length, PLARGE_INTEGER ByteOffset,
                      PIO_STATUS_BLOCK IoStatus);
NTSTATUS IopQuerySetInformation(HANDLE Handle, BOOLEAN Set, ULONG Class, PVOID UserBuffer, ULONG Length,
                                PIO_STATUS_BLOCK IoStatus);
NTSTATUS IopQuerySecurity(HANDLE Handle, ULONG SecurityInformation, PVOID UserBuffer, ULONG Length,
                          PIO_STATUS_BLOCK IoStatus);

/* The redirector (sim/drivers/mup...): absent in builds without it. */
NTSTATUS RdrAddShare(const char *Unc, ULONGLONG LatencyNs, BOOLEAN Csc, BOOLEAN Caching) __attribute__((weak));

#define COPY_CHUNK 0x10000
#define ATTRIBUTE_SECURITY_QUERY 0x20 /* what CopyFileEx asks for (ATTRIBUTE_SECURITY_INFORMATION) */

NTSTATUS FsimpOpenFile(struct _EPROCESS *P, const char *Path, ACCESS_MASK Access, ULONG Attributes, ULONG Share,
                       ULONG Disposition, ULONG Options, PHANDLE Handle)
{
    UNICODE_STRING U;
    IO_STATUS_BLOCK Iosb = {{0}, 0};
    NTSTATUS Status;
    if (!KiUtf8ToUnicode(Path, &U))
        return STATUS_OBJECT_NAME_INVALID;
    PUNICODE_STRING Pool = ExpAllocateSystemPool(PagedPool, sizeof(UNICODE_STRING) + U.MaximumLength, 'rtsU');
    Pool->Buffer = (PWCH)(Pool + 1);
    Pool->Length = U.Length;
    Pool->MaximumLength = U.MaximumLength;
    memcpy(Pool->Buffer, U.Buffer, U.MaximumLength);
    KiFreeUnicode(&U);
    Status = IopCreateFile(P, Pool, Access | SYNCHRONIZE, Attributes, Share, Disposition,
                           Options | FILE_SYNCHRONOUS_IO_NONALERT, UserMode, NULL, Handle, &Iosb, NULL);
    ExFreePoolWithTag(Pool, 'rtsU');
    return Status;
}

static NTSTATUS FsimCopy(struct _EPROCESS *P, const char *Source, const char *Target, uint32_t Flags)
{
    HANDLE Src = NULL, Dst = NULL;
    IO_STATUS_BLOCK Iosb;
    NTSTATUS Status;
    PFILE_BASIC_INFORMATION Basic = MiAllocateUserBuffer(P, sizeof(FILE_BASIC_INFORMATION), 0x100);
    PFILE_STANDARD_INFORMATION Standard = MiAllocateUserBuffer(P, sizeof(FILE_STANDARD_INFORMATION), 0x200);
    PVOID Security = MiAllocateUserBuffer(P, 0x400, 0xd80);
    PUCHAR Data = MiAllocateUserBuffer(P, COPY_CHUNK, 0);

    Status = FsimpOpenFile(P, Source, GENERIC_READ, 0, FILE_SHARE_READ | FILE_SHARE_DELETE, FILE_OPEN,
                      FILE_SEQUENTIAL_ONLY | FILE_NON_DIRECTORY_FILE, &Src);
    if (!NT_SUCCESS(Status))
        goto Done;
    Status = IopQuerySetInformation(Src, FALSE, FileBasicInformation, Basic, sizeof(*Basic), &Iosb);
    if (NT_SUCCESS(Status))
        Status = IopQuerySetInformation(Src, FALSE, FileStandardInformation, Standard, sizeof(*Standard), &Iosb);
    if (!NT_SUCCESS(Status))
        goto Done;
    /* The security attributes the copy carries over: failure is not fatal. */
    (void)IopQuerySecurity(Src, ATTRIBUTE_SECURITY_QUERY, Security, 0x400, &Iosb);
    Status = FsimpOpenFile(P, Target, GENERIC_WRITE | DELETE | FILE_READ_ATTRIBUTES | FILE_WRITE_ATTRIBUTES,
                      Basic->FileAttributes & ~FILE_ATTRIBUTE_DIRECTORY, 0,
                      (Flags & FSIM_COPY_FILE_FAIL_IF_EXISTS) ? FILE_CREATE : FILE_OVERWRITE_IF,
                      FILE_SEQUENTIAL_ONLY | FILE_NON_DIRECTORY_FILE, &Dst);
    if (!NT_SUCCESS(Status))
        goto Done;
    {
        PFILE_END_OF_FILE_INFORMATION Eof = MiAllocateUserBuffer(P, sizeof(FILE_END_OF_FILE_INFORMATION), 0x300);
        Eof->EndOfFile = Standard->EndOfFile;
        Status = IopQuerySetInformation(Dst, TRUE, FileEndOfFileInformation, Eof, sizeof(*Eof), &Iosb);
        MiFreeUserBuffer(P, Eof);
        if (!NT_SUCCESS(Status))
            goto Done;
    }
    for (LONGLONG Offset = 0; Offset < Standard->EndOfFile.QuadPart;) {
        LARGE_INTEGER At;
        ULONG Chunk = (ULONG)(Standard->EndOfFile.QuadPart - Offset < COPY_CHUNK ? Standard->EndOfFile.QuadPart - Offset
                                                                                  : COPY_CHUNK);
        At.QuadPart = Offset;
        Status = IopReadWrite(Src, FALSE, Data, Chunk, &At, &Iosb);
        if (!NT_SUCCESS(Status))
            goto Done;
        if (Iosb.Information == 0)
            break;
        Status = IopReadWrite(Dst, TRUE, Data, (ULONG)Iosb.Information, &At, &Iosb);
        if (!NT_SUCCESS(Status))
            goto Done;
        Offset += (LONGLONG)Iosb.Information;
    }
    Status = IopQuerySetInformation(Dst, TRUE, FileBasicInformation, Basic, sizeof(*Basic), &Iosb);
Done:
    if (Dst != NULL)
        ObpCloseHandle(P, Dst);
    if (Src != NULL)
        ObpCloseHandle(P, Src);
    MiFreeUserBuffer(P, Data);
    MiFreeUserBuffer(P, Security);
    MiFreeUserBuffer(P, Standard);
    MiFreeUserBuffer(P, Basic);
    return Status;
}

/* Shared by the host calls that run as a process's thread (see ops.c). */
FSIM_STATUS FsimRunAsProcess(FSIM_MACHINE *Machine, FSIM_PID Pid, NTSTATUS (*Body)(struct _EPROCESS *, void *),
                             void *Context);

typedef struct COPY_ARGS {
    const char *Source;
    const char *Target;
    uint32_t Flags;
} COPY_ARGS;

static NTSTATUS FsimCopyBody(struct _EPROCESS *P, void *Context)
{
    COPY_ARGS *A = Context;
    return FsimCopy(P, A->Source, A->Target, A->Flags);
}

FSIM_STATUS FsimCopyFileEx(FSIM_MACHINE *Machine, FSIM_PID Pid, const char *Source, const char *Target,
                           uint32_t CopyFlags)
{
    COPY_ARGS A = {Source, Target, CopyFlags};
    return FsimRunAsProcess(Machine, Pid, FsimCopyBody, &A);
}
