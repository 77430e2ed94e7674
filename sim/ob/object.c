/*
 * object.c - fltsim Ob: object types, object bodies with their headers
 * (pointer and handle counts), ObfReferenceObject/ObfDereferenceObject
 * with Windows' checks, and deletion when the last reference goes.
 */
#include "obp.h"
#include <string.h>

/* Object types are immutable descriptors shared by every machine. */
extern void IopDeleteFileObject(PVOID Object);
extern void IopCloseFileObject(PVOID Object, ULONG HandleCount, struct _EPROCESS *Process);
extern void PspDeleteProcess(PVOID Object);
extern void CmpDeleteKey(PVOID Object);
static struct _OBJECT_TYPE ObpFileType = {{"File", IopDeleteFileObject, IopCloseFileObject}};
static struct _OBJECT_TYPE ObpProcessType = {{"Process", PspDeleteProcess, NULL}};
static struct _OBJECT_TYPE ObpThreadType = {{"Thread", NULL, NULL}};
static struct _OBJECT_TYPE ObpDeviceType = {{"Device", NULL, NULL}};
static struct _OBJECT_TYPE ObpDriverType = {{"Driver", NULL, NULL}};
static struct _OBJECT_TYPE ObpKeyType = {{"Key", CmpDeleteKey, NULL}};
static struct _OBJECT_TYPE ObpEventType = {{"Event", NULL, NULL}};
static struct _OBJECT_TYPE ObpSemaphoreType = {{"Semaphore", NULL, NULL}};
static struct _OBJECT_TYPE ObpTokenType = {{"Token", NULL, NULL}};
static struct _OBJECT_TYPE ObpTransactionType = {{"TmTx", NULL, NULL}};
static struct _OBJECT_TYPE ObpDirType = {{"Directory", NULL, NULL}};
static struct _OBJECT_TYPE ObpSymbolicLinkType = {{"SymbolicLink", NULL, NULL}};
static struct _OBJECT_TYPE ObpFilterPortType = {{"FilterConnectionPort", FltpDeleteClientPortObject,
                                                  FltpCloseClientPortObject}};

POBJECT_TYPE ObpDirectoryType = &ObpDirType;
POBJECT_TYPE FltpClientPortType = &ObpFilterPortType;
POBJECT_TYPE ObpSymbolicLinkObjectType = &ObpSymbolicLinkType;
POBJECT_TYPE IopFileObjectType = &ObpFileType, IopDeviceObjectType = &ObpDeviceType,
             IopDriverObjectType = &ObpDriverType;
POBJECT_TYPE PspProcessType = &ObpProcessType, PspThreadType = &ObpThreadType;
POBJECT_TYPE CmpKeyObjectType = &ObpKeyType;
POBJECT_TYPE *IoFileObjectType = &IopFileObjectType;
POBJECT_TYPE *PsProcessType = &PspProcessType;
POBJECT_TYPE *PsThreadType = &PspThreadType;
POBJECT_TYPE *IoDeviceObjectType = &IopDeviceObjectType;
POBJECT_TYPE *IoDriverObjectType = &IopDriverObjectType;
POBJECT_TYPE *CmKeyObjectType = &CmpKeyObjectType;
static POBJECT_TYPE ObpEventTypePtr = &ObpEventType, ObpSemaphoreTypePtr = &ObpSemaphoreType,
                    ObpTokenTypePtr = &ObpTokenType, ObpTransactionTypePtr = &ObpTransactionType;
POBJECT_TYPE *ExEventObjectType = &ObpEventTypePtr;
POBJECT_TYPE *ExSemaphoreObjectType = &ObpSemaphoreTypePtr;
POBJECT_TYPE *SeTokenObjectType = &ObpTokenTypePtr;
POBJECT_TYPE *TmTransactionObjectType = &ObpTransactionTypePtr;

void ObpInitialize(void)
{
    KiMachine->Ob = calloc(1, sizeof(struct OBP_STATE));
    if (KiMachine->Ob == NULL)
        abort();
}

void ObpTeardown(void)
{
    struct OBP_STATE *S = KiMachine->Ob;
    OBP_HEADER *H, *Tmp;
    if (S == NULL)
        return;
    HASH_ITER(hh, S->Headers, H, Tmp) {
        HASH_DEL(S->Headers, H);
        free(H->Body);
        free(H);
    }
    free(S);
    KiMachine->Ob = NULL;
}

OBP_HEADER *ObpFindHeader(PVOID Object)
{
    OBP_HEADER *H = NULL;
    if (KiMachine == NULL || KiMachine->Ob == NULL)
        return NULL;
    HASH_FIND_PTR(KiMachine->Ob->Headers, &Object, H);
    return H;
}

PVOID ObpCreateObject(POBJECT_TYPE Type, SIZE_T Size, const char *Name)
{
    OBP_HEADER *H = calloc(1, sizeof(*H));
    void *Body = calloc(1, Size ? Size : 1);
    if (H == NULL || Body == NULL)
        abort();
    H->Body = Body;
    H->Type = Type;
    H->PointerCount = 1;
    H->Name = Name ? KiSaveString(Name) : NULL;
    HASH_ADD_PTR(KiMachine->Ob->Headers, Body, H);
    MiRegisterRange(Body, Size, Type->Info.Name);
    return Body;
}

BOOLEAN ObpIsObject(PVOID Object)
{
    return ObpFindHeader(Object) != NULL;
}

POBJECT_TYPE ObpGetType(PVOID Object)
{
    OBP_HEADER *H = ObpFindHeader(Object);
    return H ? H->Type : NULL;
}

LONG_PTR ObpPointerCount(PVOID Object)
{
    OBP_HEADER *H = ObpFindHeader(Object);
    return H ? H->PointerCount : 0;
}

static OBP_HEADER *ObpCheckedHeader(PVOID Object, LONG_PTR Delta)
{
    OBP_HEADER *H = ObpFindHeader(Object);
    if (H == NULL) {
        KiReportSetRootCause(KiFormat("Ob%sReferenceObject on %016llx, which is not an object (or was already "
                                      "deleted)", Delta < 0 ? "De" : "", (unsigned long long)MiSyntheticAddress(Object)));
        KeBugCheckEx(0x18 /* REFERENCE_BY_POINTER */, 0, (ULONG_PTR)MiSyntheticAddress(Object), 0, 0);
    }
    return H;
}

static void ObpDelete(OBP_HEADER *H)
{
    struct OBP_STATE *S = KiMachine->Ob;
    void *Body = H->Body;
    if (H->Type->Info.Delete)
        H->Type->Info.Delete(Body);
    HASH_DEL(S->Headers, H);
    MiUnregisterRange(Body);
    free(H);
    free(Body);
}

LONG_PTR FASTCALL ObfReferenceObject(PVOID Object)
{
    OBP_HEADER *H = ObpCheckedHeader(Object, 1);
    if (H->PointerCount <= 0) {
        KiReportSetRootCause("ObReferenceObject on an object whose reference count is already 0");
        KeBugCheckEx(0x18, (ULONG_PTR)0, (ULONG_PTR)MiSyntheticAddress(Object), 0x10, (ULONG_PTR)H->PointerCount);
    }
    return ++H->PointerCount;
}

LONG_PTR FASTCALL ObfDereferenceObject(PVOID Object)
{
    OBP_HEADER *H = ObpCheckedHeader(Object, -1);
    if (H->PointerCount <= 0 || H->PointerCount <= H->HandleCount) {
        KiReportSetRootCause("ObDereferenceObject dropped a reference the caller did not own (the object's "
                             "pointer count would fall below its handle count)");
        KeBugCheckEx(0x18, 0, (ULONG_PTR)MiSyntheticAddress(Object), 0x10, (ULONG_PTR)H->PointerCount);
    }
    LONG_PTR Count = --H->PointerCount;
    if (Count == 0)
        ObpDelete(H);
    return Count;
}

LONG_PTR FASTCALL ObfReferenceObjectWithTag(PVOID Object, ULONG Tag)
{
    (void)Tag;
    return ObfReferenceObject(Object);
}

LONG_PTR FASTCALL ObfDereferenceObjectWithTag(PVOID Object, ULONG Tag)
{
    (void)Tag;
    return ObfDereferenceObject(Object);
}

VOID ObDereferenceObjectDeferDelete(PVOID Object)
{
    ObfDereferenceObject(Object);
}

NTSTATUS ObReferenceObjectByPointer(PVOID Object, ACCESS_MASK DesiredAccess, POBJECT_TYPE ObjectType,
                                    KPROCESSOR_MODE AccessMode)
{
    (void)DesiredAccess;
    (void)AccessMode;
    if (ObjectType != NULL && ObpGetType(Object) != ObjectType)
        return STATUS_OBJECT_TYPE_MISMATCH;
    ObfReferenceObject(Object);
    return STATUS_SUCCESS;
}

/* Counts used by the handle table. */
void ObpAdjustHandleCount(PVOID Object, LONG_PTR Delta);
void ObpAdjustHandleCount(PVOID Object, LONG_PTR Delta)
{
    OBP_HEADER *H = ObpCheckedHeader(Object, Delta);
    H->HandleCount += Delta;
}

LONG_PTR ObpHandleCount(PVOID Object);
LONG_PTR ObpHandleCount(PVOID Object)
{
    OBP_HEADER *H = ObpFindHeader(Object);
    return H ? H->HandleCount : 0;
}
