/*
 * obp.h - fltsim Ob: private state of the object manager.
 */
#ifndef FSIM_OBP_H
#define FSIM_OBP_H
#include <fsim_kernel.h>
#include <uthash.h>

struct _OBJECT_TYPE {
    OBP_TYPE_INFO Info;
};

typedef struct OBP_HEADER {
    void *Body;                  /* key */
    POBJECT_TYPE Type;
    LONG_PTR PointerCount;
    LONG_PTR HandleCount;
    const char *Name;
    UT_hash_handle hh;
} OBP_HEADER;

typedef struct OBP_HANDLE_ENTRY {
    PVOID Object;
    ACCESS_MASK Access;
} OBP_HANDLE_ENTRY;

struct OBP_HANDLE_TABLE {
    OBP_HANDLE_ENTRY *Entries;
    ULONG Count;                 /* slots used (handle = (index + 1) * 4) */
    ULONG Capacity;
};

struct OBP_STATE {
    OBP_HEADER *Headers;
};

OBP_HEADER *ObpFindHeader(PVOID Object);
#endif
