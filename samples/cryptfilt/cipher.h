/*
 * cipher.h - cryptfilt: the cipher interface.  The filter never encrypts
 * directly: it holds a CF_CIPHER_CONTEXT per file (FCB) and calls through
 * its ops table, so a real cipher (AES-XTS, SM4-CTR, ...) can replace the
 * placeholder without touching the I/O paths.
 *
 * Contract of an implementation:
 *   - Init prepares Context for one file from the volume-wide key material
 *     and the file's nonce (stored in the file header).  It may not fail
 *     after returning STATUS_SUCCESS; Cleanup is then always called.
 *   - Encrypt/Decrypt transform Length bytes in place; Offset is the
 *     plaintext byte offset of Buffer[0] in the file.  Any offset and any
 *     length must work (the transform is position-addressable, so a read or
 *     write of any range can be handled on its own).
 *   - Cleanup wipes the key schedule.
 *   All four are callable at IRQL <= APC_LEVEL and touch no pageable data
 *   beyond the context itself.
 */
#ifndef CRYPTFILT_CIPHER_H
#define CRYPTFILT_CIPHER_H

#include <fltKernel.h>

#define CF_CIPHER_KEY_BYTES 16
#define CF_CIPHER_STATE_BYTES 64

/* Cipher identifiers stored in the file header. */
#define CF_CIPHER_ID_XOR_PLACEHOLDER 1

typedef struct _CF_CIPHER_CONTEXT CF_CIPHER_CONTEXT, *PCF_CIPHER_CONTEXT;

typedef NTSTATUS CF_CIPHER_INIT(
    _Out_ PCF_CIPHER_CONTEXT Context,
    _In_reads_bytes_(KeyLength) const UCHAR *Key,
    _In_ ULONG KeyLength,
    _In_ ULONGLONG Nonce);

typedef VOID CF_CIPHER_TRANSFORM(
    _In_ PCF_CIPHER_CONTEXT Context,
    _In_ LONGLONG Offset,
    _Inout_updates_bytes_(Length) PUCHAR Buffer,
    _In_ ULONG Length);

typedef VOID CF_CIPHER_CLEANUP(
    _Inout_ PCF_CIPHER_CONTEXT Context);

typedef struct _CF_CIPHER_OPS {
    ULONG CipherId;                 /* CF_CIPHER_ID_* (stored in the header) */
    PCSTR Name;                     /* for log lines */
    CF_CIPHER_INIT *Init;
    CF_CIPHER_TRANSFORM *Encrypt;
    CF_CIPHER_TRANSFORM *Decrypt;
    CF_CIPHER_CLEANUP *Cleanup;
} CF_CIPHER_OPS, *PCF_CIPHER_OPS;

typedef const CF_CIPHER_OPS *PCCF_CIPHER_OPS;

/* Per-file cipher state; the layout of State belongs to the implementation. */
struct _CF_CIPHER_CONTEXT {
    PCCF_CIPHER_OPS Ops;
    BOOLEAN Initialized;
    DECLSPEC_ALIGN(8) UCHAR State[CF_CIPHER_STATE_BYTES];
};

/*
 * The placeholder cipher: XOR with a keystream derived from the key, the
 * file nonce and the byte offset.  NOT SECURE - it only stands in for a real
 * cipher so that data on disk differs from what applications see.
 */
extern const CF_CIPHER_OPS CfPlaceholderCipher;

/* Looks up the ops table for a cipher id found in a header (NULL: unknown). */
PCCF_CIPHER_OPS
CfFindCipher(
    _In_ ULONG CipherId);

/* Convenience wrappers that check the context was initialized. */
NTSTATUS
CfCipherInit(
    _Out_ PCF_CIPHER_CONTEXT Context,
    _In_ PCCF_CIPHER_OPS Ops,
    _In_reads_bytes_(KeyLength) const UCHAR *Key,
    _In_ ULONG KeyLength,
    _In_ ULONGLONG Nonce);

VOID
CfCipherEncrypt(
    _In_ PCF_CIPHER_CONTEXT Context,
    _In_ LONGLONG Offset,
    _Inout_updates_bytes_(Length) PUCHAR Buffer,
    _In_ ULONG Length);

VOID
CfCipherDecrypt(
    _In_ PCF_CIPHER_CONTEXT Context,
    _In_ LONGLONG Offset,
    _Inout_updates_bytes_(Length) PUCHAR Buffer,
    _In_ ULONG Length);

VOID
CfCipherCleanup(
    _Inout_ PCF_CIPHER_CONTEXT Context);

#endif /* CRYPTFILT_CIPHER_H */
