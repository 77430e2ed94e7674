/*
 * guiddef.h - fltsim: GUID type and DEFINE_GUID.
 *
 * With INITGUID defined (initguid.h) DEFINE_GUID emits a weak definition, so
 * several translation units may instantiate the same GUID as MSVC's
 * selectany allows; otherwise it declares an extern.
 */
#ifndef GUID_DEFINED
#define GUID_DEFINED
typedef struct _GUID {
    unsigned int Data1;
    unsigned short Data2;
    unsigned short Data3;
    unsigned char Data4[8];
} GUID;
#endif

#ifndef FLTSIM_GUIDDEF_H
#define FLTSIM_GUIDDEF_H

#include <string.h>

typedef GUID *LPGUID;
typedef const GUID *LPCGUID;
typedef GUID IID;
typedef IID *LPIID;
typedef GUID CLSID;
typedef CLSID *LPCLSID;
typedef GUID *PGUID;
typedef const GUID *PCGUID;
#define REFGUID const GUID *
#define REFIID const IID *
#define REFCLSID const IID *

#define IsEqualGUID(a, b) (memcmp((a), (b), sizeof(GUID)) == 0)
#define InlineIsEqualGUID(a, b) IsEqualGUID(a, b)
#define IsEqualIID(a, b) IsEqualGUID(a, b)

#endif /* FLTSIM_GUIDDEF_H */

#undef DEFINE_GUID
#ifdef INITGUID
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
    __attribute__((weak)) const GUID name = { l, w1, w2, { b1, b2, b3, b4, b5, b6, b7, b8 } }
#else
#define DEFINE_GUID(name, l, w1, w2, b1, b2, b3, b4, b5, b6, b7, b8) \
    extern const GUID name
#endif
