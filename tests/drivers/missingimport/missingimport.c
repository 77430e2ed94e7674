/*
 * missingimport.c - fltsim test driver: imports a kernel routine fltsim does
 * not implement (IoWMIRegistrationControl, WMI registration).  Loading it
 * must fail cleanly, naming that routine, instead of running DriverEntry.
 */
#include <ntddk.h>

/* Declared as the WDK's wdm.h declares it; fltsim's headers do not. */
NTKERNELAPI NTSTATUS IoWMIRegistrationControl(PDEVICE_OBJECT DeviceObject, ULONG Action);

DRIVER_INITIALIZE DriverEntry;

NTSTATUS
DriverEntry(
    _In_ PDRIVER_OBJECT DriverObject,
    _In_ PUNICODE_STRING RegistryPath
    )
{
    UNREFERENCED_PARAMETER(RegistryPath);
    return IoWMIRegistrationControl(DriverObject->DeviceObject, 1 /* WMIREG_ACTION_REGISTER */);
}
