/*
 * report.c - fltsim FltMgr: what the Filter Manager can tell a bugcheck
 * report about objects it owns (which filter's callback data holds an MDL,
 * and where that callback data was allocated).
 */
#include "fltp.h"

BOOLEAN FltpDescribeMdlOwner(PMDL Mdl, const char **Image, const char **File, ULONG *Line, UCHAR *Major,
                             BOOLEAN *Freed, uint64_t *CallbackData);

BOOLEAN FltpDescribeMdlOwner(PMDL Mdl, const char **Image, const char **File, ULONG *Line, UCHAR *Major,
                             BOOLEAN *Freed, uint64_t *CallbackData)
{
    struct FLTP_STATE *S = FltpState();
    if (S == NULL)
        return FALSE;
    for (PLIST_ENTRY E = S->CallbackData.Flink; E != &S->CallbackData; E = E->Flink) {
        FLTP_CBD *C = CONTAINING_RECORD(E, FLTP_CBD, Links);
        for (PMDL M = C->HeldMdl; M != NULL; M = M->Next) {
            if (M != Mdl)
                continue;
            *Image = C->Filter ? C->Filter->ImageName : "?";
            *File = C->File;
            *Line = C->Line;
            *Major = C->Iopb.MajorFunction;
            *Freed = C->Freed;
            *CallbackData = MiSyntheticAddress(&C->Data);
            return TRUE;
        }
    }
    return FALSE;
}
