/*
 * fsim_ddi.h - fltsim: call-site recording for DDIs called by driver code.
 *
 * In driver code (anything not compiled with FLTSIM_KERNEL) each DDI name is
 * also a function-like macro that first records the caller's file and line on
 * the current simulated thread, then calls the routine:
 *
 *     #define ExAllocatePoolWithTag(...) FSIM_DDI(ExAllocatePoolWithTag)(__VA_ARGS__)
 *
 * so leak and bugcheck reports can name the driver line that allocated or
 * last touched an object.  Taking a DDI's address (`&FltReleaseContext`, or a
 * name not followed by `(`) is unaffected.  A driver that must declare a
 * routine itself can #undef the name first.
 */
#ifndef FLTSIM_DDI_H
#define FLTSIM_DDI_H

/* Records the call site of a DDI call on the current simulated thread: the
 * source line, the calling function and its frame address (which splits
 * the driver's stack use between the routine the simulator called and the
 * helper that makes the call). */
void FsimNoteCall(const char *File, int Line);
void FsimNoteCallSite(const char *File, int Line, const char *Function, void *Frame);

#define FSIM_DDI(Routine) (FsimNoteCallSite(__FILE__, __LINE__, __func__, __builtin_frame_address(0)), Routine)

#endif /* FLTSIM_DDI_H */
