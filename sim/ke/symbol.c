/*
 * symbol.c - fltsim Ke: names of driver routines for stack listings
 * (dladdr on the loaded driver images).
 */
#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <fsim_kernel.h>

const char *KiSymbolName(const void *Address);

const char *KiSymbolName(const void *Address)
{
    Dl_info Info;
    if (dladdr(Address, &Info) == 0 || Info.dli_sname == NULL)
        return NULL;
    if (Info.dli_saddr == Address)
        return KiSaveString(Info.dli_sname);
    return KiFormat("%s+0x%lx", Info.dli_sname, (unsigned long)((const char *)Address - (const char *)Info.dli_saddr));
}
