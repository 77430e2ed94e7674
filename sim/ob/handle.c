/*
 * handle.c - fltsim Ob: per-process handle tables, kernel handles (in the
 * System process, with the kernel-handle bit set as on x64), and the
 * handle-based routines (ObReferenceObjectByHandle, ZwClose, NtClose,
 * ObOpenObjectByPointer).
 */
#include "obp.h"
#include <string.h>

void ObpAdjustHandleCount(PVOID Object, LONG_PTR Delta);
LONG_PTR ObpHandleCount(PVOID Object);

#define OBP_KERNEL_HANDLE_BIT ((ULONG_PTR)0xFFFFFFFF80000000ull)

static struct OBP_HANDLE_TABLE *ObpTable(struct _EPROCESS *Process)
{
    if (Process->HandleTable == NULL) {
        Process->HandleTable = calloc(1, sizeof(struct OBP_HANDLE_TABLE));
        if (Process->HandleTable == NULL)
            abort();
    }
    return Process->HandleTable;
}

NTSTATUS ObpInsertHandle(struct _EPROCESS *Process, PVOID Object, ACCESS_MASK Access, BOOLEAN KernelHandle,
                         PHANDLE Handle)
{
    struct OBP_HANDLE_TABLE *T;
    ULONG Slot;
    if (KernelHandle)
        Process = KiMachine->SystemProcess;
    T = ObpTable(Process);
    for (Slot = 0; Slot < T->Count; Slot++)
        if (T->Entries[Slot].Object == NULL)
            break;
    if (Slot == T->Count) {
        if (T->Count == T->Capacity) {
            ULONG Cap = T->Capacity ? T->Capacity * 2 : 16;
            OBP_HANDLE_ENTRY *New = realloc(T->Entries, Cap * sizeof(*New));
            if (New == NULL)
                return STATUS_INSUFFICIENT_RESOURCES;
            T->Entries = New;
            T->Capacity = Cap;
        }
        T->Count++;
    }
    T->Entries[Slot].Object = Object;
    T->Entries[Slot].Access = Access;
    ObfReferenceObject(Object);
    ObpAdjustHandleCount(Object, 1);
    ULONG_PTR Value = (ULONG_PTR)(Slot + 1) * 4;
    if (KernelHandle)
        Value |= OBP_KERNEL_HANDLE_BIT;
    *Handle = (HANDLE)Value;
    return STATUS_SUCCESS;
}

static OBP_HANDLE_ENTRY *ObpLookup(struct _EPROCESS *Process, HANDLE Handle, struct _EPROCESS **Owner)
{
    ULONG_PTR Value = (ULONG_PTR)Handle;
    struct OBP_HANDLE_TABLE *T;
    if ((Value & OBP_KERNEL_HANDLE_BIT) == OBP_KERNEL_HANDLE_BIT) {
        Process = KiMachine->SystemProcess;
        Value &= ~OBP_KERNEL_HANDLE_BIT;
    }
    *Owner = Process;
    if (Process == NULL || Value == 0 || (Value & 3) != 0)
        return NULL;
    T = ObpTable(Process);
    ULONG Slot = (ULONG)(Value / 4 - 1);
    if (Slot >= T->Count || T->Entries[Slot].Object == NULL)
        return NULL;
    return &T->Entries[Slot];
}

NTSTATUS ObpReferenceHandle(struct _EPROCESS *Process, HANDLE Handle, POBJECT_TYPE Type, PVOID *Object,
                            ACCESS_MASK *Granted)
{
    struct _EPROCESS *Owner;
    OBP_HANDLE_ENTRY *E = ObpLookup(Process, Handle, &Owner);
    if (E == NULL)
        return STATUS_INVALID_HANDLE;
    if (Type != NULL && ObpGetType(E->Object) != Type)
        return STATUS_OBJECT_TYPE_MISMATCH;
    ObfReferenceObject(E->Object);
    *Object = E->Object;
    if (Granted)
        *Granted = E->Access;
    return STATUS_SUCCESS;
}

NTSTATUS ObpCloseHandle(struct _EPROCESS *Process, HANDLE Handle)
{
    struct _EPROCESS *Owner;
    OBP_HANDLE_ENTRY *E = ObpLookup(Process, Handle, &Owner);
    PVOID Object;
    if (E == NULL)
        return STATUS_INVALID_HANDLE;
    Object = E->Object;
    E->Object = NULL;
    ObpAdjustHandleCount(Object, -1);
    POBJECT_TYPE Type = ObpGetType(Object);
    if (Type->Info.Close)
        Type->Info.Close(Object, (ULONG)ObpHandleCount(Object), Owner);
    ObfDereferenceObject(Object);
    return STATUS_SUCCESS;
}

void ObpCloseAllHandles(struct _EPROCESS *Process)
{
    struct OBP_HANDLE_TABLE *T = Process->HandleTable;
    if (T == NULL)
        return;
    for (ULONG Slot = 0; Slot < T->Count; Slot++)
        if (T->Entries[Slot].Object != NULL)
            ObpCloseHandle(Process, (HANDLE)(ULONG_PTR)((Slot + 1) * 4));
}

void ObpDestroyHandleTable(struct _EPROCESS *Process)
{
    if (Process->HandleTable) {
        free(Process->HandleTable->Entries);
        free(Process->HandleTable);
        Process->HandleTable = NULL;
    }
}

NTSTATUS ObReferenceObjectByHandle(HANDLE Handle, ACCESS_MASK DesiredAccess, POBJECT_TYPE ObjectType,
                                   KPROCESSOR_MODE AccessMode, PVOID *Object,
                                   POBJECT_HANDLE_INFORMATION HandleInformation)
{
    PKTHREAD T = KeGetCurrentThread();
    ACCESS_MASK Granted = 0;
    NTSTATUS Status;
    KiRequireIrql(APC_LEVEL, "ObReferenceObjectByHandle");
    *Object = NULL;
    if (Handle == NtCurrentProcess()) {
        if (ObjectType != NULL && ObjectType != *PsProcessType)
            return STATUS_OBJECT_TYPE_MISMATCH;
        ObfReferenceObject(T->Process);
        *Object = T->Process;
        return STATUS_SUCCESS;
    }
    if (Handle == NtCurrentThread()) {
        if (ObjectType != NULL && ObjectType != *PsThreadType)
            return STATUS_OBJECT_TYPE_MISMATCH;
        ObfReferenceObject(T);
        *Object = T;
        return STATUS_SUCCESS;
    }
    if (AccessMode == UserMode && ((ULONG_PTR)Handle & OBP_KERNEL_HANDLE_BIT) == OBP_KERNEL_HANDLE_BIT)
        return STATUS_INVALID_HANDLE;
    Status = ObpReferenceHandle(T->Process, Handle, ObjectType, Object, &Granted);
    if (!NT_SUCCESS(Status))
        return Status;
    if (AccessMode == UserMode && (DesiredAccess & ~Granted) != 0) {
        ObfDereferenceObject(*Object);
        *Object = NULL;
        return STATUS_ACCESS_DENIED;
    }
    if (HandleInformation) {
        HandleInformation->GrantedAccess = Granted;
        HandleInformation->HandleAttributes = 0;
    }
    return STATUS_SUCCESS;
}

NTSTATUS ObReferenceObjectByHandleWithTag(HANDLE Handle, ACCESS_MASK DesiredAccess, POBJECT_TYPE ObjectType,
                                          KPROCESSOR_MODE AccessMode, ULONG Tag, PVOID *Object,
                                          POBJECT_HANDLE_INFORMATION HandleInformation)
{
    (void)Tag;
    return ObReferenceObjectByHandle(Handle, DesiredAccess, ObjectType, AccessMode, Object, HandleInformation);
}

NTSTATUS ObOpenObjectByPointer(PVOID Object, ULONG HandleAttributes, PACCESS_STATE PassedAccessState,
                               ACCESS_MASK DesiredAccess, POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
                               PHANDLE Handle)
{
    (void)PassedAccessState;
    (void)AccessMode;
    if (ObjectType != NULL && ObpGetType(Object) != ObjectType)
        return STATUS_OBJECT_TYPE_MISMATCH;
    return ObpInsertHandle(KeGetCurrentThread()->Process, Object, DesiredAccess,
                           (HandleAttributes & OBJ_KERNEL_HANDLE) != 0, Handle);
}

NTSTATUS NTAPI ZwClose(HANDLE Handle)
{
    PKTHREAD T = KeGetCurrentThread();
    NTSTATUS Status;
    KiRequireIrql(PASSIVE_LEVEL, "ZwClose");
    Status = ObpCloseHandle(T->Process, Handle);
    if (Status == STATUS_INVALID_HANDLE) {
        /* Kernel code closing an invalid handle: INVALID_KERNEL_HANDLE
         * (Arg1 the handle, Arg2 1 = invalid rather than protected). */
        KiReportSetRootCause(KiFormat("ZwClose on an invalid handle %llx", (unsigned long long)(ULONG_PTR)Handle));
        KeBugCheckEx(0x93 /* INVALID_KERNEL_HANDLE */, (ULONG_PTR)Handle, 1, 0, 0);
    }
    return Status;
}

NTSTATUS NTAPI NtClose(HANDLE Handle)
{
    return ZwClose(Handle);
}

NTSTATUS ObQueryNameString(PVOID Object, POBJECT_NAME_INFORMATION ObjectNameInfo, ULONG Length, PULONG ReturnLength)
{
    OBP_HEADER *H = ObpFindHeader(Object);
    UNICODE_STRING Name = {0, 0, NULL};
    ULONG Needed;
    if (H == NULL)
        return STATUS_INVALID_PARAMETER;
    if (H->Name)
        KiUtf8ToUnicode(H->Name, &Name);
    Needed = (ULONG)sizeof(OBJECT_NAME_INFORMATION) + Name.Length + sizeof(WCHAR);
    if (ReturnLength)
        *ReturnLength = Needed;
    if (Length < Needed) {
        KiFreeUnicode(&Name);
        return STATUS_INFO_LENGTH_MISMATCH;
    }
    ObjectNameInfo->Name.Buffer = (PWCH)(ObjectNameInfo + 1);
    ObjectNameInfo->Name.Length = Name.Length;
    ObjectNameInfo->Name.MaximumLength = (USHORT)(Name.Length + sizeof(WCHAR));
    if (Name.Length)
        memcpy(ObjectNameInfo->Name.Buffer, Name.Buffer, Name.Length);
    ObjectNameInfo->Name.Buffer[Name.Length / sizeof(WCHAR)] = 0;
    KiFreeUnicode(&Name);
    return STATUS_SUCCESS;
}
