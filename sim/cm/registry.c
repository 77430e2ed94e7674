/*
 * registry.c - fltsim Cm: an in-memory registry (keys in creation order,
 * case-insensitive names, REG_* values), key objects and handles, the Zw
 * registry calls, IoOpenDriverRegistryKey, and host-side helpers that fill
 * the Services\<driver> keys a scenario describes.
 */
#include <fsim_kernel.h>
#include <string.h>
#include <strings.h>

typedef struct CMP_VALUE {
    char *Name;                  /* UTF-8; "" is the default value */
    ULONG Type;
    void *Data;
    ULONG Size;
    struct CMP_VALUE *Next;
} CMP_VALUE;

typedef struct CMP_KEY {
    char *Name;
    struct CMP_KEY *Parent;
    struct CMP_KEY *Children;    /* creation order */
    struct CMP_KEY *Next;
    CMP_VALUE *Values;           /* creation order */
    LARGE_INTEGER LastWriteTime;
} CMP_KEY;

struct CMP_STATE {
    CMP_KEY *Root;               /* \REGISTRY */
};

/* The body of a key object: the key it opens. */
typedef struct CMP_KEY_BODY {
    CMP_KEY *Key;
} CMP_KEY_BODY;

#define CMP_SERVICES "\\REGISTRY\\MACHINE\\SYSTEM\\CurrentControlSet\\Services"

static CMP_KEY *CmpNewKey(CMP_KEY *Parent, const char *Name, size_t Len)
{
    CMP_KEY *K = calloc(1, sizeof(*K));
    if (K == NULL || (K->Name = strndup(Name, Len)) == NULL)
        abort();
    K->Parent = Parent;
    KeQuerySystemTimePrecise(&K->LastWriteTime);
    if (Parent) {
        CMP_KEY **Link = &Parent->Children;
        while (*Link)
            Link = &(*Link)->Next;
        *Link = K;
    }
    return K;
}

static void CmpFreeKey(CMP_KEY *K)
{
    while (K->Children) {
        CMP_KEY *C = K->Children;
        K->Children = C->Next;
        CmpFreeKey(C);
    }
    while (K->Values) {
        CMP_VALUE *V = K->Values;
        K->Values = V->Next;
        free(V->Name);
        free(V->Data);
        free(V);
    }
    free(K->Name);
    free(K);
}

void CmpInitialize(void)
{
    KiMachine->Cm = calloc(1, sizeof(struct CMP_STATE));
    if (KiMachine->Cm == NULL)
        abort();
    KiMachine->Cm->Root = CmpNewKey(NULL, "REGISTRY", 8);
    CmpCreateKeyUtf8("");
}

void CmpTeardown(void)
{
    if (KiMachine->Cm == NULL)
        return;
    CmpFreeKey(KiMachine->Cm->Root);
    free(KiMachine->Cm);
    KiMachine->Cm = NULL;
}

static CMP_KEY *CmpChild(CMP_KEY *K, const char *Name, size_t Len)
{
    for (CMP_KEY *C = K->Children; C; C = C->Next)
        if (strlen(C->Name) == Len && strncasecmp(C->Name, Name, Len) == 0)
            return C;
    return NULL;
}

/* Walk a backslash-separated path from Start; create missing keys if asked. */
static CMP_KEY *CmpWalk(CMP_KEY *Start, const char *Path, BOOLEAN Create)
{
    CMP_KEY *K = Start;
    const char *P = Path;
    while (*P) {
        while (*P == '\\')
            P++;
        if (!*P)
            break;
        const char *End = strchr(P, '\\');
        size_t Len = End ? (size_t)(End - P) : strlen(P);
        CMP_KEY *C = CmpChild(K, P, Len);
        if (C == NULL) {
            if (!Create)
                return NULL;
            C = CmpNewKey(K, P, Len);
        }
        K = C;
        P += Len;
    }
    return K;
}

/* Absolute path "\REGISTRY\..." -> key. */
static CMP_KEY *CmpLookupAbsolute(const char *Path, BOOLEAN Create)
{
    if (strncasecmp(Path, "\\REGISTRY", 9) != 0 || (Path[9] != 0 && Path[9] != '\\'))
        return NULL;
    return CmpWalk(KiMachine->Cm->Root, Path + 9, Create);
}

static CMP_KEY *CmpServicesKey(const char *Relative, BOOLEAN Create)
{
    char Path[1024];
    snprintf(Path, sizeof(Path), "%s%s%s", CMP_SERVICES, Relative[0] ? "\\" : "", Relative);
    return CmpLookupAbsolute(Path, Create);
}

NTSTATUS CmpCreateKeyUtf8(const char *KeyPath)
{
    return CmpServicesKey(KeyPath, TRUE) ? STATUS_SUCCESS : STATUS_OBJECT_NAME_INVALID;
}

static CMP_VALUE *CmpFindValue(CMP_KEY *K, const char *Name)
{
    for (CMP_VALUE *V = K->Values; V; V = V->Next)
        if (strcasecmp(V->Name, Name) == 0)
            return V;
    return NULL;
}

static NTSTATUS CmpSetValue(CMP_KEY *K, const char *Name, ULONG Type, const void *Data, ULONG Size)
{
    CMP_VALUE *V = CmpFindValue(K, Name);
    if (V == NULL) {
        CMP_VALUE **Link = &K->Values;
        V = calloc(1, sizeof(*V));
        if (V == NULL || (V->Name = strdup(Name)) == NULL)
            abort();
        while (*Link)
            Link = &(*Link)->Next;
        *Link = V;
    }
    free(V->Data);
    V->Data = malloc(Size ? Size : 1);
    if (V->Data == NULL)
        abort();
    if (Size)
        memcpy(V->Data, Data, Size);
    V->Size = Size;
    V->Type = Type;
    KeQuerySystemTimePrecise(&K->LastWriteTime);
    return STATUS_SUCCESS;
}

NTSTATUS CmpSetValueUtf8(const char *KeyPath, const char *Name, ULONG Type, const void *Data, ULONG Size)
{
    CMP_KEY *K = CmpServicesKey(KeyPath, TRUE);
    if (K == NULL)
        return STATUS_OBJECT_NAME_INVALID;
    if (Type == REG_SZ) {
        /* Data is UTF-8 here; stored as UTF-16 with its terminator. */
        UNICODE_STRING U;
        NTSTATUS Status;
        if (!KiUtf8ToUnicode((const char *)Data, &U))
            return STATUS_INVALID_PARAMETER;
        Status = CmpSetValue(K, Name, Type, U.Buffer, U.Length + sizeof(WCHAR));
        KiFreeUnicode(&U);
        return Status;
    }
    return CmpSetValue(K, Name, Type, Data, Size);
}

BOOLEAN CmpQueryDwordUtf8(const char *KeyPath, const char *Name, ULONG *Value)
{
    CMP_KEY *K = CmpServicesKey(KeyPath, FALSE);
    CMP_VALUE *V = K ? CmpFindValue(K, Name) : NULL;
    if (V == NULL || V->Type != REG_DWORD || V->Size != 4)
        return FALSE;
    memcpy(Value, V->Data, 4);
    return TRUE;
}

BOOLEAN CmpQueryStringUtf8(const char *KeyPath, const char *Name, char *Buffer, size_t Size)
{
    CMP_KEY *K = CmpServicesKey(KeyPath, FALSE);
    CMP_VALUE *V = K ? CmpFindValue(K, Name) : NULL;
    if (V == NULL || (V->Type != REG_SZ && V->Type != REG_EXPAND_SZ))
        return FALSE;
    size_t Units = V->Size / sizeof(WCHAR);
    while (Units > 0 && ((PWCHAR)V->Data)[Units - 1] == 0)
        Units--;
    char *Text = KiUtf16ToUtf8((PWCHAR)V->Data, Units);
    snprintf(Buffer, Size, "%s", Text);
    free(Text);
    return TRUE;
}

size_t CmpEnumerateSubkeysUtf8(const char *KeyPath, const char **Names, size_t Max)
{
    CMP_KEY *K = CmpServicesKey(KeyPath, FALSE);
    size_t N = 0;
    if (K == NULL)
        return 0;
    for (CMP_KEY *C = K->Children; C && N < Max; C = C->Next)
        Names[N++] = KiSaveString(C->Name);
    return N;
}

/* --- key objects and the Zw calls ------------------------------------------ */

void CmpDeleteKey(PVOID Object);
void CmpDeleteKey(PVOID Object)
{
    (void)Object; /* the key outlives its handles */
}

static CMP_KEY *CmpKeyFromHandle(HANDLE Handle, NTSTATUS *Status)
{
    PVOID Object;
    *Status = ObpReferenceHandle(KeGetCurrentThread()->Process, Handle, CmpKeyObjectType, &Object, NULL);
    if (!NT_SUCCESS(*Status))
        return NULL;
    CMP_KEY *K = ((CMP_KEY_BODY *)Object)->Key;
    ObfDereferenceObject(Object);
    return K;
}

static NTSTATUS CmpOpen(PHANDLE KeyHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                        BOOLEAN Create, PULONG Disposition)
{
    CMP_KEY *Start = NULL, *K;
    NTSTATUS Status = STATUS_SUCCESS;
    const char *Path;
    KiRequireIrql(PASSIVE_LEVEL, Create ? "ZwCreateKey" : "ZwOpenKey");
    if (ObjectAttributes == NULL || ObjectAttributes->ObjectName == NULL)
        return STATUS_INVALID_PARAMETER;
    Path = KiUnicodeToUtf8(ObjectAttributes->ObjectName);
    if (ObjectAttributes->RootDirectory != NULL) {
        Start = CmpKeyFromHandle(ObjectAttributes->RootDirectory, &Status);
        if (Start == NULL)
            return Status;
        K = CmpWalk(Start, Path, FALSE);
    } else {
        K = CmpLookupAbsolute(Path, FALSE);
        if (K == NULL && strncasecmp(Path, "\\REGISTRY", 9) != 0)
            return STATUS_OBJECT_PATH_SYNTAX_BAD;
    }
    if (Disposition)
        *Disposition = K ? REG_OPENED_EXISTING_KEY : REG_CREATED_NEW_KEY;
    if (K == NULL) {
        if (!Create)
            return STATUS_OBJECT_NAME_NOT_FOUND;
        K = Start ? CmpWalk(Start, Path, TRUE) : CmpLookupAbsolute(Path, TRUE);
        if (K == NULL)
            return STATUS_OBJECT_NAME_INVALID;
    }
    CMP_KEY_BODY *Body = ObpCreateObject(CmpKeyObjectType, sizeof(CMP_KEY_BODY), Path);
    Body->Key = K;
    Status = ObpInsertHandle(KeGetCurrentThread()->Process, Body, DesiredAccess,
                             (ObjectAttributes->Attributes & OBJ_KERNEL_HANDLE) != 0 ||
                                 KeGetCurrentThread()->Process == KiMachine->SystemProcess,
                             KeyHandle);
    ObfDereferenceObject(Body);
    return Status;
}

NTSTATUS NTAPI ZwOpenKey(PHANDLE KeyHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes)
{
    return CmpOpen(KeyHandle, DesiredAccess, ObjectAttributes, FALSE, NULL);
}

NTSTATUS NTAPI ZwCreateKey(PHANDLE KeyHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                           ULONG TitleIndex, PUNICODE_STRING Class, ULONG CreateOptions, PULONG Disposition)
{
    (void)TitleIndex;
    (void)Class;
    (void)CreateOptions;
    return CmpOpen(KeyHandle, DesiredAccess, ObjectAttributes, TRUE, Disposition);
}

static NTSTATUS CmpFillValue(CMP_VALUE *V, KEY_VALUE_INFORMATION_CLASS Class, PVOID Buffer, ULONG Length,
                             PULONG ResultLength)
{
    UNICODE_STRING Name = {0, 0, NULL};
    ULONG Fixed, Needed;
    NTSTATUS Status = STATUS_SUCCESS;
    if (!KiUtf8ToUnicode(V->Name, &Name))
        return STATUS_INVALID_PARAMETER;
    switch (Class) {
    case KeyValueBasicInformation:
        Fixed = FIELD_OFFSET(KEY_VALUE_BASIC_INFORMATION, Name);
        Needed = Fixed + Name.Length;
        break;
    case KeyValueFullInformation:
    case KeyValueFullInformationAlign64:
        Fixed = FIELD_OFFSET(KEY_VALUE_FULL_INFORMATION, Name);
        Needed = Fixed + Name.Length + V->Size;
        break;
    case KeyValuePartialInformation:
    case KeyValuePartialInformationAlign64:
        Fixed = FIELD_OFFSET(KEY_VALUE_PARTIAL_INFORMATION, Data);
        Needed = Fixed + V->Size;
        break;
    default:
        KiFreeUnicode(&Name);
        return STATUS_INVALID_PARAMETER;
    }
    if (ResultLength)
        *ResultLength = Needed;
    if (Length < Fixed) {
        KiFreeUnicode(&Name);
        return STATUS_BUFFER_TOO_SMALL;
    }
    if (Length < Needed)
        Status = STATUS_BUFFER_OVERFLOW;
    switch (Class) {
    case KeyValueBasicInformation: {
        PKEY_VALUE_BASIC_INFORMATION I = Buffer;
        I->TitleIndex = 0;
        I->Type = V->Type;
        I->NameLength = Name.Length;
        if (Status == STATUS_SUCCESS)
            memcpy(I->Name, Name.Buffer, Name.Length);
        break;
    }
    case KeyValueFullInformation:
    case KeyValueFullInformationAlign64: {
        PKEY_VALUE_FULL_INFORMATION I = Buffer;
        I->TitleIndex = 0;
        I->Type = V->Type;
        I->NameLength = Name.Length;
        I->DataOffset = Fixed + Name.Length;
        I->DataLength = V->Size;
        if (Status == STATUS_SUCCESS) {
            memcpy(I->Name, Name.Buffer, Name.Length);
            memcpy((PUCHAR)Buffer + I->DataOffset, V->Data, V->Size);
        }
        break;
    }
    default: {
        PKEY_VALUE_PARTIAL_INFORMATION I = Buffer;
        I->TitleIndex = 0;
        I->Type = V->Type;
        I->DataLength = V->Size;
        if (Status == STATUS_SUCCESS)
            memcpy(I->Data, V->Data, V->Size);
        break;
    }
    }
    KiFreeUnicode(&Name);
    return Status;
}

NTSTATUS NTAPI ZwQueryValueKey(HANDLE KeyHandle, PUNICODE_STRING ValueName,
                               KEY_VALUE_INFORMATION_CLASS KeyValueInformationClass, PVOID KeyValueInformation,
                               ULONG Length, PULONG ResultLength)
{
    NTSTATUS Status;
    CMP_KEY *K;
    KiRequireIrql(PASSIVE_LEVEL, "ZwQueryValueKey");
    K = CmpKeyFromHandle(KeyHandle, &Status);
    if (K == NULL)
        return Status;
    CMP_VALUE *V = CmpFindValue(K, ValueName ? KiUnicodeToUtf8(ValueName) : "");
    if (V == NULL)
        return STATUS_OBJECT_NAME_NOT_FOUND;
    return CmpFillValue(V, KeyValueInformationClass, KeyValueInformation, Length, ResultLength);
}

NTSTATUS NTAPI ZwEnumerateValueKey(HANDLE KeyHandle, ULONG Index, KEY_VALUE_INFORMATION_CLASS KeyValueInformationClass,
                                   PVOID KeyValueInformation, ULONG Length, PULONG ResultLength)
{
    NTSTATUS Status;
    CMP_KEY *K = CmpKeyFromHandle(KeyHandle, &Status);
    ULONG I = 0;
    if (K == NULL)
        return Status;
    for (CMP_VALUE *V = K->Values; V; V = V->Next, I++)
        if (I == Index)
            return CmpFillValue(V, KeyValueInformationClass, KeyValueInformation, Length, ResultLength);
    return STATUS_NO_MORE_ENTRIES;
}

NTSTATUS NTAPI ZwEnumerateKey(HANDLE KeyHandle, ULONG Index, KEY_INFORMATION_CLASS KeyInformationClass,
                              PVOID KeyInformation, ULONG Length, PULONG ResultLength)
{
    NTSTATUS Status;
    CMP_KEY *K = CmpKeyFromHandle(KeyHandle, &Status);
    ULONG I = 0;
    if (K == NULL)
        return Status;
    if (KeyInformationClass != KeyBasicInformation)
        return STATUS_INVALID_PARAMETER;
    for (CMP_KEY *C = K->Children; C; C = C->Next, I++) {
        if (I != Index)
            continue;
        UNICODE_STRING Name;
        KiUtf8ToUnicode(C->Name, &Name);
        ULONG Fixed = FIELD_OFFSET(KEY_BASIC_INFORMATION, Name), Needed = Fixed + Name.Length;
        if (ResultLength)
            *ResultLength = Needed;
        if (Length < Fixed) {
            KiFreeUnicode(&Name);
            return STATUS_BUFFER_TOO_SMALL;
        }
        PKEY_BASIC_INFORMATION B = KeyInformation;
        B->LastWriteTime = C->LastWriteTime;
        B->TitleIndex = 0;
        B->NameLength = Name.Length;
        Status = STATUS_BUFFER_OVERFLOW;
        if (Length >= Needed) {
            memcpy(B->Name, Name.Buffer, Name.Length);
            Status = STATUS_SUCCESS;
        }
        KiFreeUnicode(&Name);
        return Status;
    }
    return STATUS_NO_MORE_ENTRIES;
}

NTSTATUS NTAPI ZwSetValueKey(HANDLE KeyHandle, PUNICODE_STRING ValueName, ULONG TitleIndex, ULONG Type, PVOID Data,
                             ULONG DataSize)
{
    NTSTATUS Status;
    CMP_KEY *K;
    (void)TitleIndex;
    KiRequireIrql(PASSIVE_LEVEL, "ZwSetValueKey");
    K = CmpKeyFromHandle(KeyHandle, &Status);
    if (K == NULL)
        return Status;
    return CmpSetValue(K, ValueName ? KiUnicodeToUtf8(ValueName) : "", Type, Data, DataSize);
}

NTSTATUS NTAPI ZwDeleteValueKey(HANDLE KeyHandle, PUNICODE_STRING ValueName)
{
    NTSTATUS Status;
    CMP_KEY *K = CmpKeyFromHandle(KeyHandle, &Status);
    const char *Name;
    if (K == NULL)
        return Status;
    Name = ValueName ? KiUnicodeToUtf8(ValueName) : "";
    for (CMP_VALUE **Link = &K->Values; *Link; Link = &(*Link)->Next) {
        if (strcasecmp((*Link)->Name, Name) == 0) {
            CMP_VALUE *V = *Link;
            *Link = V->Next;
            free(V->Name);
            free(V->Data);
            free(V);
            return STATUS_SUCCESS;
        }
    }
    return STATUS_OBJECT_NAME_NOT_FOUND;
}

/* IoOpenDriverRegistryKey: DriverRegKeyParameters opens (creating if
 * needed) Services\<service>\Parameters. */
NTSTATUS IoOpenDriverRegistryKey(PDRIVER_OBJECT DriverObject, DRIVER_REGKEY_TYPE RegKeyType, ACCESS_MASK DesiredAccess,
                                 ULONG Flags, PHANDLE DriverRegKey)
{
    IOP_DRIVER_IMAGE *Image = IopFindImageByDriverObject(DriverObject);
    char Path[512];
    (void)Flags;
    KiRequireIrql(PASSIVE_LEVEL, "IoOpenDriverRegistryKey");
    if (Image == NULL || Image->BuiltIn)
        return STATUS_INVALID_PARAMETER;
    switch (RegKeyType) {
    case DriverRegKeyParameters:
        snprintf(Path, sizeof(Path), "%s\\%s\\Parameters", CMP_SERVICES, Image->ServiceName);
        break;
    case DriverRegKeyPersistentState:
        snprintf(Path, sizeof(Path), "%s\\%s\\State", CMP_SERVICES, Image->ServiceName);
        break;
    default:
        return STATUS_NOT_SUPPORTED;
    }
    CMP_KEY *K = CmpLookupAbsolute(Path, TRUE);
    CMP_KEY_BODY *Body = ObpCreateObject(CmpKeyObjectType, sizeof(CMP_KEY_BODY), Path);
    Body->Key = K;
    NTSTATUS Status = ObpInsertHandle(KiMachine->SystemProcess, Body, DesiredAccess, TRUE, DriverRegKey);
    ObfDereferenceObject(Body);
    return Status;
}
