/*
 * name.c - fltsim FltMgr: file names.  FltGetFileNameInformation (opened and
 * normalized names built from the volume's device name and the file
 * object's name, resolved against its RelatedFileObject), the reference-
 * counted FLT_FILE_NAME_INFORMATION in 'nFlF' pool (leak-tracked, 0xF5/0x68
 * on an extra release), FltParseFileName(Information), destination names
 * for renames and links, and the name-provider helpers.
 */
#include "fltp.h"

/* A growable UTF-16 string on the host heap. */
typedef struct FLTP_WSTR {
    WCHAR *Buffer;
    size_t Length;              /* in WCHARs */
    size_t Capacity;
} FLTP_WSTR;

static void FltpWsAppend(FLTP_WSTR *S, const WCHAR *Text, size_t Units)
{
    if (S->Length + Units + 1 > S->Capacity) {
        size_t Cap = (S->Length + Units + 1) * 2;
        WCHAR *B = realloc(S->Buffer, Cap * sizeof(WCHAR));
        if (B == NULL)
            abort();
        S->Buffer = B;
        S->Capacity = Cap;
    }
    memcpy(S->Buffer + S->Length, Text, Units * sizeof(WCHAR));
    S->Length += Units;
}

static void FltpWsAppendUnicode(FLTP_WSTR *S, PCUNICODE_STRING U)
{
    if (U != NULL && U->Buffer != NULL)
        FltpWsAppend(S, U->Buffer, U->Length / sizeof(WCHAR));
}

static void FltpWsAppendChar(FLTP_WSTR *S, WCHAR C)
{
    FltpWsAppend(S, &C, 1);
}

static BOOLEAN FltpWsEndsWithBackslash(const FLTP_WSTR *S)
{
    return S->Length > 0 && S->Buffer[S->Length - 1] == L'\\';
}

/* The path of a file object on its volume ("\dir\a.txt"), RelatedFileObject resolved. */
static void FltpFilePath(FLTP_WSTR *Out, PFILE_OBJECT FileObject, int Depth)
{
    PUNICODE_STRING Name = &FileObject->FileName;
    BOOLEAN Absolute = Name->Length >= sizeof(WCHAR) && Name->Buffer[0] == L'\\';
    if (!Absolute && FileObject->RelatedFileObject != NULL && Depth < 16) {
        FltpFilePath(Out, FileObject->RelatedFileObject, Depth + 1);
        if (Name->Length > 0 && !FltpWsEndsWithBackslash(Out))
            FltpWsAppendChar(Out, L'\\');
    } else if (!Absolute) {
        FltpWsAppendChar(Out, L'\\');
    }
    FltpWsAppendUnicode(Out, Name);
}

/* Normalized form: no trailing backslash (except the root), no "\.\". */
static void FltpNormalize(FLTP_WSTR *Path)
{
    size_t O = 0;
    for (size_t I = 0; I < Path->Length; I++) {
        WCHAR C = Path->Buffer[I];
        if (C == L'\\' && O > 0 && Path->Buffer[O - 1] == L'\\')
            continue; /* "\\" -> "\" */
        if (C == L'.' && O > 0 && Path->Buffer[O - 1] == L'\\' &&
            (I + 1 == Path->Length || Path->Buffer[I + 1] == L'\\')) {
            I++; /* "\." component */
            continue;
        }
        Path->Buffer[O++] = C;
    }
    Path->Length = O;
    if (Path->Length > 1 && Path->Buffer[Path->Length - 1] == L'\\')
        Path->Length--;
    if (Path->Length == 0)
        FltpWsAppendChar(Path, L'\\');
}

/* ------------------------------------------------------------------------ */
/* The FLT_FILE_NAME_INFORMATION block                                      */
/* ------------------------------------------------------------------------ */

static FLTP_NAME *FltpNameFromInfo(PFLT_FILE_NAME_INFORMATION Info, const char *Routine)
{
    FLTP_NAME *N = Info ? CONTAINING_RECORD(Info, FLTP_NAME, Info) : NULL;
    if (N == NULL || N->Magic != FLTP_NAME_MAGIC || N->References <= 0) {
        KiReportSetRootCause(KiFormat("%s on FLT_FILE_NAME_INFORMATION %016llx that was already released (or was "
                                      "never returned by FltGetFileNameInformation)",
                                      Routine, (unsigned long long)MiSyntheticAddress(Info)));
        KeBugCheckEx(0xF5 /* FLTMGR_FILE_SYSTEM */, 0x68, 0, (ULONG_PTR)MiSyntheticAddress(Info), 0);
    }
    return N;
}

/* Builds the name block: Volume is the first VolumeUnits of Text. */
static NTSTATUS FltpMakeName(PFLT_FILTER Filter, FLT_FILE_NAME_OPTIONS Format, const WCHAR *Text, size_t Units,
                             size_t VolumeUnits, PFLT_FILE_NAME_INFORMATION *Out)
{
    struct FLTP_STATE *S = FltpState();
    size_t Bytes = Units * sizeof(WCHAR);
    if (Bytes > 0xFFF0)
        return STATUS_NAME_TOO_LONG;
    FLTP_NAME *N = ExAllocatePoolWithTag(PagedPool, sizeof(FLTP_NAME) + Bytes + sizeof(WCHAR), FLTP_TAG_NAME);
    if (N == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    MiSetRangeKind(N, "FLT_FILE_NAME_INFORMATION");
    memset(N, 0, sizeof(*N));
    N->Magic = FLTP_NAME_MAGIC;
    N->References = 1;
    N->Filter = Filter;
    N->File = FltpCallFile();
    N->Line = FltpCallLine();
    PWCH Buffer = (PWCH)(N + 1);
    memcpy(Buffer, Text, Bytes);
    Buffer[Units] = 0;
    N->Info.Size = (USHORT)sizeof(FLT_FILE_NAME_INFORMATION);
    N->Info.NamesParsed = 0;
    N->Info.Format = Format;
    N->Info.Name.Buffer = Buffer;
    N->Info.Name.Length = (USHORT)Bytes;
    N->Info.Name.MaximumLength = (USHORT)Bytes;
    if (FltGetFileNameFormat(Format) != FLT_FILE_NAME_SHORT) {
        N->Info.Volume.Buffer = Buffer;
        N->Info.Volume.Length = N->Info.Volume.MaximumLength = (USHORT)(VolumeUnits * sizeof(WCHAR));
    }
    FltpInsertTail(&S->Names, &N->Links);
    *Out = &N->Info;
    return STATUS_SUCCESS;
}

static NTSTATUS FltpNameForFileObject(PFLT_FILTER Filter, PFLT_VOLUME Volume, PFILE_OBJECT FileObject,
                                      FLT_FILE_NAME_OPTIONS NameOptions, PFLT_FILE_NAME_INFORMATION *Out)
{
    FLT_FILE_NAME_OPTIONS Format = FltGetFileNameFormat(NameOptions);
    FLTP_WSTR Path = {0};
    NTSTATUS Status;
    if (Format != FLT_FILE_NAME_NORMALIZED && Format != FLT_FILE_NAME_OPENED && Format != FLT_FILE_NAME_SHORT)
        return STATUS_INVALID_PARAMETER;
    switch (FltGetFileNameQueryMethod(NameOptions)) {
    case 0:
    case FLT_FILE_NAME_QUERY_DEFAULT:
    case FLT_FILE_NAME_QUERY_FILESYSTEM_ONLY:
    case FLT_FILE_NAME_QUERY_ALWAYS_ALLOW_CACHE_LOOKUP:
        break;
    case FLT_FILE_NAME_QUERY_CACHE_ONLY:
        return STATUS_FLT_NAME_CACHE_MISS; /* FltMgr keeps no name cache here */
    default:
        return STATUS_INVALID_PARAMETER;
    }
    if (Format == FLT_FILE_NAME_SHORT)
        return STATUS_NOT_SUPPORTED; /* localfs has no 8.3 names */
    if (Volume == NULL)
        return STATUS_FLT_INVALID_NAME_REQUEST;
    FltpWsAppendUnicode(&Path, &Volume->Name);
    size_t VolumeUnits = Path.Length;
    {
        FLTP_WSTR File = {0};
        WCHAR *Stored = NULL;
        size_t StoredUnits = 0;
        /* Normalized: the long-name path with the case the file system
         * stores, asked of the file system once the file is open; before
         * that (pre-create) the name the caller opened, cleaned up. */
        if (Format == FLT_FILE_NAME_NORMALIZED && FileObject->FsContext != NULL &&
            NT_SUCCESS(FltpQueryFileSystemName(Volume, FileObject, &Stored, &StoredUnits)) && StoredUnits > 0) {
            FltpWsAppend(&File, Stored, StoredUnits);
            free(Stored);
        } else {
            free(Stored);
            FltpFilePath(&File, FileObject, 0);
        }
        if (Format == FLT_FILE_NAME_NORMALIZED)
            FltpNormalize(&File);
        FltpWsAppend(&Path, File.Buffer, File.Length);
        free(File.Buffer);
    }
    Status = FltpMakeName(Filter, Format, Path.Buffer, Path.Length, VolumeUnits, Out);
    free(Path.Buffer);
    return Status;
}

NTSTATUS FLTAPI FltGetFileNameInformation(PFLT_CALLBACK_DATA CallbackData, FLT_FILE_NAME_OPTIONS NameOptions,
                                          PFLT_FILE_NAME_INFORMATION *FileNameInformation)
{
    KiRequireIrql(APC_LEVEL, "FltGetFileNameInformation");
    if (FileNameInformation == NULL)
        return STATUS_INVALID_PARAMETER;
    *FileNameInformation = NULL;
    FLTP_CBD *C = FltpCbdFromData(CallbackData, "FltGetFileNameInformation");
    PFILE_OBJECT FileObject = C->Iopb.TargetFileObject;
    if (FileObject == NULL)
        return STATUS_INVALID_PARAMETER;
    /* Requests FltMgr refuses: paging I/O, a top-level IRP already set (the
     * query could recurse into the file system), a closed file object. */
    if ((C->Iopb.IrpFlags & IRP_PAGING_IO) || IoGetTopLevelIrp() != NULL)
        return STATUS_FLT_INVALID_NAME_REQUEST;
    if (C->Iopb.MajorFunction == IRP_MJ_CLOSE ||
        ((FileObject->Flags & FO_CLEANUP_COMPLETE) && C->Iopb.MajorFunction != IRP_MJ_CLEANUP))
        return STATUS_FLT_INVALID_NAME_REQUEST;
    PFLT_INSTANCE Instance = C->Iopb.TargetInstance;
    PFLT_FILTER Filter = Instance ? Instance->Filter : C->Filter;
    return FltpNameForFileObject(Filter, C->Volume, FileObject, NameOptions, FileNameInformation);
}

NTSTATUS FLTAPI FltGetFileNameInformationUnsafe(PFILE_OBJECT FileObject, PFLT_INSTANCE Instance,
                                                FLT_FILE_NAME_OPTIONS NameOptions,
                                                PFLT_FILE_NAME_INFORMATION *FileNameInformation)
{
    KiRequireIrql(APC_LEVEL, "FltGetFileNameInformationUnsafe");
    if (FileNameInformation == NULL || FileObject == NULL)
        return STATUS_INVALID_PARAMETER;
    *FileNameInformation = NULL;
    if (Instance != NULL)
        FltpCheckInstance(Instance, "FltGetFileNameInformationUnsafe");
    PFLT_VOLUME Volume = Instance ? Instance->Volume : FltpVolumeFromFileObject(FileObject);
    if (IoGetTopLevelIrp() != NULL)
        return STATUS_FLT_INVALID_NAME_REQUEST;
    return FltpNameForFileObject(Instance ? Instance->Filter : NULL, Volume, FileObject, NameOptions,
                                 FileNameInformation);
}

/* "\??\C:\x", "C:\x", "\Device\HarddiskVolume1\x": the volume and the path on it. */
static PFLT_VOLUME FltpSplitFullName(const WCHAR *Name, size_t Units, size_t *PathStart)
{
    struct FLTP_STATE *S = FltpState();
    size_t P = 0;
    if (Units >= 4 && Name[0] == L'\\' && Name[1] == L'?' && Name[2] == L'?' && Name[3] == L'\\')
        P = 4;
    if (Units >= P + 2 && Name[P + 1] == L':') {
        WCHAR L = Name[P];
        if (L >= L'a' && L <= L'z')
            L = (WCHAR)(L - 32);
        for (PLIST_ENTRY E = S->Volumes.Flink; E != &S->Volumes; E = E->Flink) {
            PFLT_VOLUME V = CONTAINING_RECORD(E, struct _FLT_VOLUME, Links);
            if ((WCHAR)V->IoVolume->Drive[0] == L) {
                *PathStart = P + 2;
                return V;
            }
        }
        return NULL;
    }
    for (PLIST_ENTRY E = S->Volumes.Flink; E != &S->Volumes; E = E->Flink) {
        PFLT_VOLUME V = CONTAINING_RECORD(E, struct _FLT_VOLUME, Links);
        size_t VU = V->Name.Length / sizeof(WCHAR);
        if (Units >= VU && memcmp(Name, V->Name.Buffer, V->Name.Length) == 0 && (Units == VU || Name[VU] == L'\\')) {
            *PathStart = VU;
            return V;
        }
    }
    return NULL;
}

NTSTATUS FLTAPI FltGetDestinationFileNameInformation(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject,
                                                     HANDLE RootDirectory, PWSTR FileName, ULONG FileNameLength,
                                                     FLT_FILE_NAME_OPTIONS NameOptions,
                                                     PFLT_FILE_NAME_INFORMATION *RetFileNameInformation)
{
    KiRequireIrql(APC_LEVEL, "FltGetDestinationFileNameInformation");
    FltpCheckInstance(Instance, "FltGetDestinationFileNameInformation");
    if (RetFileNameInformation == NULL || FileObject == NULL || FileName == NULL)
        return STATUS_INVALID_PARAMETER;
    *RetFileNameInformation = NULL;
    FLT_FILE_NAME_OPTIONS Format = FltGetFileNameFormat(NameOptions);
    if (Format == FLT_FILE_NAME_SHORT)
        return STATUS_INVALID_PARAMETER;
    if (Format != FLT_FILE_NAME_NORMALIZED && Format != FLT_FILE_NAME_OPENED)
        return STATUS_INVALID_PARAMETER;
    size_t Units = FileNameLength / sizeof(WCHAR);
    FLTP_WSTR Path = {0};
    size_t VolumeUnits;
    size_t Start = 0;
    PFLT_VOLUME V = FltpSplitFullName(FileName, Units, &Start);
    if (V != NULL && RootDirectory == NULL) {
        FltpWsAppendUnicode(&Path, &V->Name);
        VolumeUnits = Path.Length;
        FltpWsAppend(&Path, FileName + Start, Units - Start);
    } else {
        FLTP_WSTR Dir = {0};
        FltpWsAppendUnicode(&Path, &Instance->Volume->Name);
        VolumeUnits = Path.Length;
        if (RootDirectory != NULL) {
            PFILE_OBJECT Root;
            NTSTATUS Status = ObReferenceObjectByHandle(RootDirectory, 0, *IoFileObjectType, KernelMode,
                                                        (PVOID *)&Root, NULL);
            if (!NT_SUCCESS(Status)) {
                free(Path.Buffer);
                return Status;
            }
            FltpFilePath(&Dir, Root, 0);
            ObfDereferenceObject(Root);
        } else {
            /* Relative to the directory that holds the file being renamed. */
            FltpFilePath(&Dir, FileObject, 0);
            while (Dir.Length > 0 && Dir.Buffer[Dir.Length - 1] != L'\\')
                Dir.Length--;
        }
        FltpWsAppend(&Path, Dir.Buffer, Dir.Length);
        if (!FltpWsEndsWithBackslash(&Path))
            FltpWsAppendChar(&Path, L'\\');
        FltpWsAppend(&Path, FileName, Units);
        free(Dir.Buffer);
    }
    if (Format == FLT_FILE_NAME_NORMALIZED) {
        FLTP_WSTR Tail = {0};
        FltpWsAppend(&Tail, Path.Buffer + VolumeUnits, Path.Length - VolumeUnits);
        FltpNormalize(&Tail);
        Path.Length = VolumeUnits;
        FltpWsAppend(&Path, Tail.Buffer, Tail.Length);
        free(Tail.Buffer);
    }
    NTSTATUS Status = FltpMakeName(Instance->Filter, Format, Path.Buffer, Path.Length, VolumeUnits,
                                   RetFileNameInformation);
    free(Path.Buffer);
    return Status;
}

NTSTATUS FLTAPI FltGetTunneledName(PFLT_CALLBACK_DATA CallbackData, PFLT_FILE_NAME_INFORMATION FileNameInformation,
                                   PFLT_FILE_NAME_INFORMATION *RetTunneledFileNameInformation)
{
    KiRequireIrql(APC_LEVEL, "FltGetTunneledName");
    (void)FltpCbdFromData(CallbackData, "FltGetTunneledName");
    (void)FltpNameFromInfo(FileNameInformation, "FltGetTunneledName");
    if (RetTunneledFileNameInformation == NULL)
        return STATUS_INVALID_PARAMETER;
    *RetTunneledFileNameInformation = NULL; /* localfs does no name tunneling */
    return STATUS_SUCCESS;
}

VOID FLTAPI FltReleaseFileNameInformation(PFLT_FILE_NAME_INFORMATION FileNameInformation)
{
    KiRequireIrql(APC_LEVEL, "FltReleaseFileNameInformation");
    FLTP_NAME *N = FltpNameFromInfo(FileNameInformation, "FltReleaseFileNameInformation");
    if (--N->References > 0)
        return;
    FltpRemove(&N->Links);
    N->Magic = 0;
    ExFreePoolWithTag(N, FLTP_TAG_NAME);
}

VOID FLTAPI FltReferenceFileNameInformation(PFLT_FILE_NAME_INFORMATION FileNameInformation)
{
    KiRequireIrql(APC_LEVEL, "FltReferenceFileNameInformation");
    FLTP_NAME *N = FltpNameFromInfo(FileNameInformation, "FltReferenceFileNameInformation");
    N->References++;
}

/* ------------------------------------------------------------------------ */
/* Parsing                                                                  */
/* ------------------------------------------------------------------------ */

static void FltpSetPart(PUNICODE_STRING Part, const WCHAR *Start, size_t Units)
{
    if (Part == NULL)
        return;
    if (Units == 0) {
        Part->Buffer = NULL;
        Part->Length = Part->MaximumLength = 0;
        return;
    }
    Part->Buffer = (PWCH)Start;
    Part->Length = Part->MaximumLength = (USHORT)(Units * sizeof(WCHAR));
}

/* Final component (after the last '\'), its stream (from the first ':'),
 * and the extension (after the last '.' before the stream). */
static void FltpParseTail(const WCHAR *Text, size_t Units, PUNICODE_STRING Extension, PUNICODE_STRING Stream,
                          PUNICODE_STRING FinalComponent, size_t *FinalStart)
{
    size_t Final = 0;
    for (size_t I = 0; I < Units; I++)
        if (Text[I] == L'\\')
            Final = I + 1;
    if (FinalStart != NULL)
        *FinalStart = Final;
    FltpSetPart(FinalComponent, Text + Final, Units - Final);
    size_t StreamAt = Units;
    for (size_t I = Final; I < Units; I++)
        if (Text[I] == L':') {
            StreamAt = I;
            break;
        }
    FltpSetPart(Stream, Text + StreamAt, Units - StreamAt);
    size_t Dot = StreamAt;
    for (size_t I = StreamAt; I-- > Final;)
        if (Text[I] == L'.') {
            Dot = I;
            break;
        }
    if (Dot < StreamAt)
        FltpSetPart(Extension, Text + Dot + 1, StreamAt - Dot - 1);
    else
        FltpSetPart(Extension, NULL, 0);
}

NTSTATUS FLTAPI FltParseFileName(PCUNICODE_STRING FileName, PUNICODE_STRING Extension, PUNICODE_STRING Stream,
                                 PUNICODE_STRING FinalComponent)
{
    if (FileName == NULL)
        return STATUS_INVALID_PARAMETER;
    FltpParseTail(FileName->Buffer, FileName->Length / sizeof(WCHAR), Extension, Stream, FinalComponent, NULL);
    return STATUS_SUCCESS;
}

NTSTATUS FLTAPI FltParseFileNameInformation(PFLT_FILE_NAME_INFORMATION FileNameInformation)
{
    KiRequireIrql(APC_LEVEL, "FltParseFileNameInformation");
    FLTP_NAME *N = FltpNameFromInfo(FileNameInformation, "FltParseFileNameInformation");
    PFLT_FILE_NAME_INFORMATION I = &N->Info;
    const WCHAR *Text = I->Name.Buffer;
    size_t Units = I->Name.Length / sizeof(WCHAR);
    if (FltGetFileNameFormat(I->Format) == FLT_FILE_NAME_SHORT) {
        FltpParseTail(Text, Units, &I->Extension, NULL, NULL, NULL);
        FltpSetPart(&I->Stream, NULL, 0);
        FltpSetPart(&I->FinalComponent, NULL, 0);
        FltpSetPart(&I->ParentDir, NULL, 0);
    } else {
        size_t VolumeUnits = I->Volume.Length / sizeof(WCHAR);
        const WCHAR *Rest = Text + VolumeUnits;
        size_t RestUnits = Units - VolumeUnits;
        size_t FinalStart = 0;
        FltpParseTail(Rest, RestUnits, &I->Extension, &I->Stream, &I->FinalComponent, &FinalStart);
        /* ParentDir: from after the volume up to and including the last '\'
         * ("\docs\" for "\Device\HarddiskVolume1\docs\a.txt"), as Windows
         * returns it. */
        FltpSetPart(&I->ParentDir, Rest, FinalStart);
        FltpSetPart(&I->Share, NULL, 0);
    }
    I->NamesParsed = FLTFL_FILE_NAME_PARSED_FINAL_COMPONENT | FLTFL_FILE_NAME_PARSED_EXTENSION |
                     FLTFL_FILE_NAME_PARSED_STREAM | FLTFL_FILE_NAME_PARSED_PARENT_DIR;
    return STATUS_SUCCESS;
}

/* ------------------------------------------------------------------------ */
/* Name providers                                                           */
/* ------------------------------------------------------------------------ */

#define FLTP_MISC_NAME_BUFFER 3

NTSTATUS FLTAPI FltCheckAndGrowNameControl(PFLT_NAME_CONTROL NameCtrl, USHORT NewSize)
{
    if (NameCtrl == NULL)
        return STATUS_INVALID_PARAMETER;
    if (NameCtrl->Name.MaximumLength >= NewSize)
        return STATUS_SUCCESS;
    PWCH Buffer = FltpAllocMisc(NewSize, FLTP_MISC_NAME_BUFFER);
    if (NameCtrl->Name.Buffer != NULL && NameCtrl->Name.Length > 0)
        memcpy(Buffer, NameCtrl->Name.Buffer, NameCtrl->Name.Length);
    NameCtrl->Name.Buffer = Buffer;
    NameCtrl->Name.MaximumLength = NewSize;
    return STATUS_SUCCESS;
}

NTSTATUS FLTAPI FltPurgeFileNameInformationCache(PFLT_INSTANCE Instance, PFILE_OBJECT FileObject)
{
    (void)FileObject;
    if (Instance != NULL)
        FltpCheckInstance(Instance, "FltPurgeFileNameInformationCache");
    return STATUS_SUCCESS; /* no cache to purge */
}

/* Machine teardown: name blocks are pool (freed by the pool owner). */
void FltpFreeNames(void)
{
    FltpInitList(&FltpState()->Names);
}
