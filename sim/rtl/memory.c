/*
 * memory.c - fltsim Rtl: memory comparison and the system version queries.
 *
 * Owns RtlCompareMemory and RtlCompareMemoryUlong (RtlCopyMemory,
 * RtlZeroMemory & co are header macros over the C library), and
 * RtlGetVersion / RtlIsNtDdiVersionAvailable, which report the simulated
 * system: Windows 10 version 2004, build 19041, workstation.
 */
#include "rtlp.h"

#include <string.h>

/* Version constants of the WDK (values from the documentation). */
#define RTLP_VER_PLATFORM_WIN32_NT 2u
#define RTLP_VER_NT_WORKSTATION 1u
#define RTLP_VER_SUITE_SINGLEUSERTS 0x0100u

SIZE_T RtlCompareMemory(const VOID *Source1, const VOID *Source2, SIZE_T Length)
{
    const UCHAR *a = (const UCHAR *)Source1;
    const UCHAR *b = (const UCHAR *)Source2;
    SIZE_T i = 0;

    while (i < Length && a[i] == b[i]) {
        i++;
    }
    return i;
}

SIZE_T RtlCompareMemoryUlong(PVOID Source, SIZE_T Length, ULONG Pattern)
{
    const UCHAR *p = (const UCHAR *)Source;
    SIZE_T matched = 0;

    /* Documented: a misaligned block or a length not a multiple of 4 gives 0. */
    if (((ULONG_PTR)Source % sizeof(ULONG)) != 0 || (Length % sizeof(ULONG)) != 0) {
        return 0;
    }
    while (matched < Length) {
        ULONG value;
        memcpy(&value, p + matched, sizeof(value));
        if (value != Pattern) {
            break;
        }
        matched += sizeof(ULONG);
    }
    return matched;
}

NTSTATUS RtlGetVersion(PRTL_OSVERSIONINFOW lpVersionInformation)
{
    RTLP_PAGED_CODE();

    lpVersionInformation->dwMajorVersion = RTLP_OS_MAJOR_VERSION;
    lpVersionInformation->dwMinorVersion = RTLP_OS_MINOR_VERSION;
    lpVersionInformation->dwBuildNumber = RTLP_OS_BUILD_NUMBER;
    lpVersionInformation->dwPlatformId = RTLP_VER_PLATFORM_WIN32_NT;
    memset(lpVersionInformation->szCSDVersion, 0, sizeof(lpVersionInformation->szCSDVersion));

    if (lpVersionInformation->dwOSVersionInfoSize >= sizeof(RTL_OSVERSIONINFOEXW)) {
        PRTL_OSVERSIONINFOEXW ex = (PRTL_OSVERSIONINFOEXW)lpVersionInformation;
        ex->wServicePackMajor = 0;
        ex->wServicePackMinor = 0;
        ex->wSuiteMask = (USHORT)RTLP_VER_SUITE_SINGLEUSERTS;
        ex->wProductType = (UCHAR)RTLP_VER_NT_WORKSTATION;
        ex->wReserved = 0;
    }
    return STATUS_SUCCESS;
}

BOOLEAN RtlIsNtDdiVersionAvailable(ULONG Version)
{
    RTLP_PAGED_CODE();

    return (BOOLEAN)(Version <= RTLP_OS_NTDDI_VERSION);
}
