/*
 * notifyleak.c - fltsim test driver: a legacy driver that registers a
 * process-creation notify routine (PsSetCreateProcessNotifyRoutine) and
 * logs each call.  With Parameters\Remove = 1 its DriverUnload removes the
 * routine; with 0 (the default) it forgets, and the next process created
 * after the unload calls into the unloaded driver (0xCE).
 */
#include <ntddk.h>

static ULONG gRemove;

static VOID NlNotify(HANDLE ParentId, HANDLE ProcessId, BOOLEAN Create)
{
    DbgPrint("notifyleak: process %Iu %s (parent %Iu)\n", (ULONG_PTR)ProcessId, Create ? "created" : "exits",
             (ULONG_PTR)ParentId);
}

static VOID NlUnload(PDRIVER_OBJECT DriverObject)
{
    UNREFERENCED_PARAMETER(DriverObject);
    if (gRemove)
        PsSetCreateProcessNotifyRoutine(NlNotify, TRUE);
    DbgPrint("notifyleak: unloaded%s\n", gRemove ? "" : " (the notify routine is still registered)");
}

DRIVER_INITIALIZE DriverEntry;

NTSTATUS DriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath)
{
    HANDLE Key;
    UNREFERENCED_PARAMETER(RegistryPath);
    gRemove = 0;
    if (NT_SUCCESS(IoOpenDriverRegistryKey(DriverObject, DriverRegKeyParameters, KEY_READ, 0, &Key))) {
        UNICODE_STRING Name;
        UCHAR Buffer[sizeof(KEY_VALUE_PARTIAL_INFORMATION) + sizeof(ULONG)];
        PKEY_VALUE_PARTIAL_INFORMATION Info = (PKEY_VALUE_PARTIAL_INFORMATION)Buffer;
        ULONG Length;
        RtlInitUnicodeString(&Name, L"Remove");
        if (NT_SUCCESS(ZwQueryValueKey(Key, &Name, KeyValuePartialInformation, Info, sizeof(Buffer), &Length)) &&
            Info->Type == REG_DWORD)
            gRemove = *(PULONG)Info->Data;
        ZwClose(Key);
    }
    DriverObject->DriverUnload = NlUnload;
    return PsSetCreateProcessNotifyRoutine(NlNotify, FALSE);
}
