/*
 * cfheader.c - cryptfilt: the file header.  Building and writing it (new
 * files, size changes), and reading it when a file is opened - from a
 * helper with large locals, as the seed's driver did, optionally run on an
 * expanded kernel stack through KeExpandKernelStackAndCalloutEx
 * (Parameters\ExpandStack = 1).
 *
 * Layout on disk: CF_DISK_HEADER at offset 0, zero padding up to
 * CF_HEADER_SIZE (4 KB), then the ciphertext.
 *
 * Why the read helper matters: on a network share the cached FltReadFile
 * of the header goes FltMgr -> MUP -> RDBSS -> CcCopyRead, and the cache
 * miss re-enters the whole stack with a paging read from inside the first
 * one.  With 4 KB of header buffer and a 520-byte name on the stack of the
 * create path (and Driver Verifier's extra frames) the 24 KB kernel stack
 * does not last: 0x7F / double fault.  KeExpandKernelStackAndCalloutEx runs
 * the helper on a stack segment with MAXIMUM_EXPANSION_SIZE bytes free.
 */

#include "cfdata.h"

#define CF_KEYCHECK_SALT 0x6366c17e5a11e7a5ULL

typedef struct _CF_HEADER_REQUEST {
    PFLT_CALLBACK_DATA Data;        /* the user's create (requestor process) */
    PFLT_INSTANCE Instance;
    PFILE_OBJECT StreamObject;      /* lower stream file object */
    PCUNICODE_STRING FileName;
    PCF_HEADER_INFO Info;
    NTSTATUS Status;
} CF_HEADER_REQUEST, *PCF_HEADER_REQUEST;

static EXPAND_STACK_CALLOUT CfReadHeaderCallout;

/* ------------------------------------------------------------------------ */
/* Building and writing                                                     */
/* ------------------------------------------------------------------------ */

/* FNV-1a over the header bytes before the Checksum field. */
static ULONG
CfpHeaderChecksum(
    _In_reads_bytes_(Length) const UCHAR *Bytes,
    _In_ ULONG Length
    )
{
    ULONG hash = 0x811c9dc5u;
    ULONG i;

    for (i = 0; i < Length; i++) {
        hash ^= Bytes[i];
        hash *= 0x01000193u;
    }
    return hash;
}

/* A per-file value derived from the key: a file written under another key
   is recognised instead of being decrypted into garbage. */
static ULONGLONG
CfpKeyCheck(
    _In_reads_bytes_(CF_CIPHER_KEY_BYTES) const UCHAR *Key,
    _In_ ULONGLONG Nonce
    )
{
    ULONGLONG value = Nonce ^ CF_KEYCHECK_SALT;
    ULONG i;

    for (i = 0; i < CF_CIPHER_KEY_BYTES; i++) {
        value ^= (ULONGLONG)Key[i] << (8 * (i % 8));
        value *= 0x100000001b3ULL;
        value ^= value >> 29;
    }
    return value;
}

VOID
CfBuildHeader(
    _In_ PCF_FCB Fcb,
    _Out_writes_bytes_(CF_HEADER_SIZE) PUCHAR Block
    )
{
    CF_DISK_HEADER header;

    RtlZeroMemory(Block, CF_HEADER_SIZE);
    RtlZeroMemory(&header, sizeof(header));
    RtlCopyMemory(header.Magic, CF_HEADER_MAGIC, CF_HEADER_MAGIC_LENGTH);
    header.Version = CF_HEADER_VERSION;
    header.HeaderSize = CF_HEADER_SIZE;
    header.OriginalSize = Fcb->Header.FileSize.QuadPart;
    header.Nonce = Fcb->Nonce;
    header.CipherId = Fcb->CipherId;
    header.Flags = 0;
    header.KeyCheck = CfpKeyCheck(CfGlobals.Key, Fcb->Nonce);
    header.Checksum = CfpHeaderChecksum((const UCHAR *)&header, FIELD_OFFSET(CF_DISK_HEADER, Checksum));
    RtlCopyMemory(Block, &header, sizeof(header));
}

/*
 * Writes the FCB's header through StreamObject (which must have write
 * access).  The caller holds Fcb->Header.Resource exclusive.
 */
NTSTATUS
CfWriteHeader(
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT StreamObject,
    _In_ PCF_FCB Fcb
    )
{
    PUCHAR block;
    LARGE_INTEGER offset;
    ULONG written = 0;
    NTSTATUS status;

    block = ExAllocatePoolZero(NonPagedPoolNx, CF_HEADER_SIZE, CF_TAG_HEADER);
    if (block == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    CfBuildHeader(Fcb, block);

    offset.QuadPart = 0;
    status = FltWriteFile(Instance,
                          StreamObject,
                          &offset,
                          CF_HEADER_SIZE,
                          block,
                          FLTFL_IO_OPERATION_DO_NOT_UPDATE_BYTE_OFFSET,
                          &written,
                          NULL,
                          NULL);
    if (NT_SUCCESS(status) && written != CF_HEADER_SIZE) {
        status = STATUS_DISK_FULL;
    }
    if (NT_SUCCESS(status)) {
        Fcb->HeaderDirty = FALSE;
    }
    ExFreePoolWithTag(block, CF_TAG_HEADER);
    return status;
}

/* Nonces are a deterministic sequence mixed with the file's name. */
ULONGLONG
CfNewNonce(
    _In_ PCUNICODE_STRING FileName
    )
{
    ULONGLONG value = (ULONGLONG)InterlockedIncrement64(&CfGlobals.NonceCounter);
    USHORT i;

    for (i = 0; i < FileName->Length / sizeof(WCHAR); i++) {
        value ^= RtlUpcaseUnicodeChar(FileName->Buffer[i]);
        value *= 0x100000001b3ULL;
    }
    return value ^ (value >> 31);
}

/* ------------------------------------------------------------------------ */
/* Reading on open                                                          */
/* ------------------------------------------------------------------------ */

/*
 * Reads and checks the header of an open file, the way the seed's
 * CreatedFileHeaderInfo did: everything on the stack, including the 4 KB
 * block FltReadFile reads into.  Compare the seed's `dv`:
 *
 *     image_name = wchar_t [260] "wpp.exe"
 *     fkey/dkey/vkey = unsigned char [16]
 *     vSec/dSec = char [128]
 *     pbuf = 0xfffffb89`02368c40 (a stack address)
 *
 * Run directly from the create path this is what overflows the kernel stack
 * on a share; see CfReadHeaderOnOpen for the fix.
 */
static NTSTATUS
CfReadFileHeaderInfo(
    _Inout_ PCF_HEADER_REQUEST Request
    )
{
    UCHAR headerBlock[CF_HEADER_SIZE];          /* the header, read onto the stack */
    WCHAR imageName[260];                       /* the opening process, for the log */
    UCHAR fileKey[CF_CIPHER_KEY_BYTES];         /* key material checked against the header */
    UCHAR dataKey[CF_CIPHER_KEY_BYTES];
    UCHAR verifyKey[CF_CIPHER_KEY_BYTES];
    CHAR keyDescription[128];
    CF_DISK_HEADER header;
    LARGE_INTEGER byteOffset;
    ULONG bytesRead = 0;
    PFLT_INSTANCE instance = Request->Instance;
    PFILE_OBJECT stream = Request->StreamObject;
    FLT_IO_OPERATION_FLAGS readFlags = FLTFL_IO_OPERATION_DO_NOT_UPDATE_BYTE_OFFSET;   /* cached */
    PEPROCESS process;
    PCSTR image = NULL;
    PCCF_CIPHER_OPS cipher;
    ULONG i;
    NTSTATUS status;

    RtlZeroMemory(Request->Info, sizeof(*Request->Info));
    RtlZeroMemory(imageName, sizeof(imageName));

    /* Who is opening the file (the seed logged image_name the same way). */
    process = FltGetRequestorProcess(Request->Data);
    if (process != NULL) {
        image = PsGetProcessImageFileName(process);
    }
    if (image == NULL) {
        image = "System";
    }
    for (i = 0; i < RTL_NUMBER_OF(imageName) - 1 && image[i] != '\0'; i++) {
        imageName[i] = (WCHAR)(UCHAR)image[i];
    }

    /* The read itself: cached, at offset 0, into the stack block. */
    byteOffset.QuadPart = 0;
    /* On one line, so gcc and clang record the same call-site line. */
    status = FltReadFile(instance, stream, &byteOffset, sizeof(headerBlock), headerBlock, readFlags, &bytesRead, NULL, NULL);
    if (status == STATUS_END_OF_FILE) {
        return STATUS_SUCCESS;  /* too short to carry a header: Valid stays FALSE */
    }
    if (!NT_SUCCESS(status)) {
        CF_LOG(CF_LOG_INFO, ("cryptfilt: header of %wZ: FltReadFile failed 0x%08x\n",
                             Request->FileName, (ULONG)status));
        return status;
    }
    if (bytesRead < sizeof(CF_DISK_HEADER)) {
        return STATUS_SUCCESS;
    }

    RtlCopyMemory(&header, headerBlock, sizeof(header));
    if (RtlCompareMemory(header.Magic, CF_HEADER_MAGIC, CF_HEADER_MAGIC_LENGTH) != CF_HEADER_MAGIC_LENGTH) {
        return STATUS_SUCCESS;  /* a plain file */
    }

    if (header.Version != CF_HEADER_VERSION ||
        header.HeaderSize != CF_HEADER_SIZE ||
        header.Checksum != CfpHeaderChecksum(headerBlock, FIELD_OFFSET(CF_DISK_HEADER, Checksum)) ||
        header.OriginalSize < 0) {
        CF_LOG(CF_LOG_INFO, ("cryptfilt: header of %wZ is damaged (version %u, size 0x%x)\n",
                             Request->FileName, header.Version, header.HeaderSize));
        return STATUS_FILE_CORRUPT_ERROR;
    }

    cipher = CfFindCipher(header.CipherId);
    if (cipher == NULL) {
        CF_LOG(CF_LOG_INFO, ("cryptfilt: header of %wZ names unknown cipher %u\n",
                             Request->FileName, header.CipherId));
        return STATUS_NOT_SUPPORTED;
    }

    /* Key check: the file's key check value against ours. */
    RtlCopyMemory(fileKey, CfGlobals.Key, sizeof(fileKey));
    for (i = 0; i < sizeof(dataKey); i++) {
        dataKey[i] = (UCHAR)(fileKey[i] ^ (UCHAR)(header.Nonce >> (8 * (i % 8))));
    }
    RtlZeroMemory(verifyKey, sizeof(verifyKey));
    {
        ULONGLONG check = CfpKeyCheck(fileKey, header.Nonce);
        ULONGLONG stored = header.KeyCheck;
        for (i = 0; i < 8; i++) {
            verifyKey[i] = (UCHAR)(check >> (8 * i));
            verifyKey[8 + i] = (UCHAR)(stored >> (8 * i));
        }
    }
    if (RtlCompareMemory(verifyKey, verifyKey + 8, 8) != 8) {
        CF_LOG(CF_LOG_INFO, ("cryptfilt: header of %wZ: written under another key, access denied\n",
                             Request->FileName));
        RtlSecureZeroMemory(fileKey, sizeof(fileKey));
        RtlSecureZeroMemory(dataKey, sizeof(dataKey));
        return STATUS_ACCESS_DENIED;
    }

    (VOID)RtlStringCbPrintfA(keyDescription, sizeof(keyDescription), "%s, key check %02x%02x%02x%02x",
                             cipher->Name, verifyKey[0], verifyKey[1], verifyKey[2], verifyKey[3]);

    Request->Info->Valid = TRUE;
    Request->Info->Version = header.Version;
    Request->Info->OriginalSize = header.OriginalSize;
    Request->Info->Nonce = header.Nonce;
    Request->Info->CipherId = header.CipherId;

    CF_LOG(CF_LOG_INFO, ("cryptfilt: header of %wZ: version %u, size %I64d, cipher %s (opened by %ws, %s)\n",
                         Request->FileName, header.Version, header.OriginalSize, cipher->Name, imageName,
                         CfGlobals.ExpandStack ? "expanded stack" : "direct read"));
    CF_LOG(CF_LOG_VERBOSE, ("cryptfilt: header of %wZ: %s\n", Request->FileName, keyDescription));

    RtlSecureZeroMemory(fileKey, sizeof(fileKey));
    RtlSecureZeroMemory(dataKey, sizeof(dataKey));
    return STATUS_SUCCESS;
}

/* The callout of KeExpandKernelStackAndCalloutEx: it must not let an
   exception escape (that would be a 0x1E). */
static VOID
CfReadHeaderCallout(
    _In_ PVOID Parameter
    )
{
    PCF_HEADER_REQUEST request = Parameter;

    __try {
        request->Status = CfReadFileHeaderInfo(request);
    } __except (EXCEPTION_EXECUTE_HANDLER) {
        request->Status = GetExceptionCode();
    }
}

/*
 * Reads the header of the file open as StreamObject into Info.  Returns
 * success with Info->Valid FALSE for a file that carries no header.
 */
NTSTATUS
CfReadHeaderOnOpen(
    _In_ PFLT_CALLBACK_DATA Data,
    _In_ PFLT_INSTANCE Instance,
    _In_ PFILE_OBJECT StreamObject,
    _In_ PCUNICODE_STRING FileName,
    _Out_ PCF_HEADER_INFO Info
    )
{
    CF_HEADER_REQUEST request;
    NTSTATUS status;

    RtlZeroMemory(Info, sizeof(*Info));
    RtlZeroMemory(&request, sizeof(request));
    request.Data = Data;
    request.Instance = Instance;
    request.StreamObject = StreamObject;
    request.FileName = FileName;
    request.Info = Info;
    request.Status = STATUS_UNSUCCESSFUL;

    if (!CfGlobals.ExpandStack) {
        /* The seed's way: straight from the create path's stack. */
        return CfReadFileHeaderInfo(&request);
    }

    /* The fix: guarantee MAXIMUM_EXPANSION_SIZE bytes of stack for the read. */
    status = KeExpandKernelStackAndCalloutEx(CfReadHeaderCallout, &request, MAXIMUM_EXPANSION_SIZE, TRUE, NULL);
    if (!NT_SUCCESS(status)) {
        CF_LOG(CF_LOG_INFO, ("cryptfilt: header of %wZ: KeExpandKernelStackAndCalloutEx failed 0x%08x\n",
                             FileName, (ULONG)status));
        return status;
    }
    return request.Status;
}
