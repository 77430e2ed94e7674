/*
 * status.c - FsRtl exception-status helpers: FsRtlIsNtstatusExpected and
 * FsRtlNormalizeNtstatus.
 *
 * The "unexpected" statuses are the ones that reveal a bug in the code that
 * raised them rather than a condition a file system handles: access
 * violation, datatype and instruction misalignment, illegal instruction.
 */
#include <ntifs.h>

#ifndef STATUS_INSTRUCTION_MISALIGNMENT
#define STATUS_INSTRUCTION_MISALIGNMENT ((NTSTATUS)0xC00000AAL)
#endif

BOOLEAN FsRtlIsNtstatusExpected(NTSTATUS Exception)
{
    switch (Exception) {
    case STATUS_DATATYPE_MISALIGNMENT:
    case STATUS_ACCESS_VIOLATION:
    case STATUS_ILLEGAL_INSTRUCTION:
    case STATUS_INSTRUCTION_MISALIGNMENT:
        return FALSE;
    default:
        return TRUE;
    }
}

NTSTATUS FsRtlNormalizeNtstatus(NTSTATUS Exception, NTSTATUS GenericException)
{
    return FsRtlIsNtstatusExpected(Exception) ? Exception : GenericException;
}
