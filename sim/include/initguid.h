/* initguid.h - fltsim: make DEFINE_GUID instantiate GUIDs (weakly). */
#ifndef INITGUID
#define INITGUID
#endif
#include <guiddef.h>
