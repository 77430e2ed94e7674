/*
 * cipher.c - cryptfilt: the cipher registry and the placeholder cipher.
 *
 * *** The placeholder is NOT SECURE. ***  It XORs data with a keystream
 * computed from (key, file nonce, byte offset) by a 64-bit mixing function.
 * Anyone with one plaintext/ciphertext pair of a file can recover that
 * file's keystream.  It exists so that the sample has something with the
 * shape of a stream cipher behind a real interface: replace the ops table
 * with a real cipher (AES-XTS, or a counter mode) for anything but a demo.
 */

#include "cipher.h"

/* ------------------------------------------------------------------------ */
/* Placeholder cipher                                                       */
/* ------------------------------------------------------------------------ */

typedef struct _CF_XOR_STATE {
    ULONGLONG Key0;
    ULONGLONG Key1;
    ULONGLONG Nonce;
} CF_XOR_STATE, *PCF_XOR_STATE;

C_ASSERT(sizeof(CF_XOR_STATE) <= CF_CIPHER_STATE_BYTES);

/* A 64-bit finalizer-style mixer (multiply/xor-shift rounds). */
static ULONGLONG
CfpMix64(
    _In_ ULONGLONG Value
    )
{
    Value ^= Value >> 30;
    Value *= 0xbf58476d1ce4e5b9ULL;
    Value ^= Value >> 27;
    Value *= 0x94d049bb133111ebULL;
    Value ^= Value >> 31;
    return Value;
}

/* Keystream word for the 8-byte block BlockIndex of a file. */
static ULONGLONG
CfpKeystreamWord(
    _In_ const CF_XOR_STATE *State,
    _In_ ULONGLONG BlockIndex
    )
{
    ULONGLONG word = CfpMix64(State->Key0 ^ State->Nonce ^ (BlockIndex * 0x9e3779b97f4a7c15ULL));
    return CfpMix64(word ^ State->Key1);
}

static NTSTATUS
CfpXorInit(
    _Out_ PCF_CIPHER_CONTEXT Context,
    _In_reads_bytes_(KeyLength) const UCHAR *Key,
    _In_ ULONG KeyLength,
    _In_ ULONGLONG Nonce
    )
{
    PCF_XOR_STATE state = (PCF_XOR_STATE)Context->State;
    ULONG i;

    if (KeyLength != CF_CIPHER_KEY_BYTES) {
        return STATUS_INVALID_PARAMETER;
    }

    RtlZeroMemory(state, sizeof(*state));
    for (i = 0; i < 8; i++) {
        state->Key0 |= (ULONGLONG)Key[i] << (8 * i);
        state->Key1 |= (ULONGLONG)Key[8 + i] << (8 * i);
    }
    state->Nonce = Nonce;
    return STATUS_SUCCESS;
}

static VOID
CfpXorTransform(
    _In_ PCF_CIPHER_CONTEXT Context,
    _In_ LONGLONG Offset,
    _Inout_updates_bytes_(Length) PUCHAR Buffer,
    _In_ ULONG Length
    )
{
    const CF_XOR_STATE *state = (const CF_XOR_STATE *)Context->State;
    ULONGLONG position = (ULONGLONG)Offset;
    ULONGLONG block = position / 8;
    ULONGLONG word = CfpKeystreamWord(state, block);
    ULONG i;

    for (i = 0; i < Length; i++, position++) {
        if (position / 8 != block) {
            block = position / 8;
            word = CfpKeystreamWord(state, block);
        }
        Buffer[i] ^= (UCHAR)(word >> (8 * (position % 8)));
    }
}

static VOID
CfpXorCleanup(
    _Inout_ PCF_CIPHER_CONTEXT Context
    )
{
    RtlSecureZeroMemory(Context->State, sizeof(Context->State));
}

const CF_CIPHER_OPS CfPlaceholderCipher = {
    CF_CIPHER_ID_XOR_PLACEHOLDER,
    "xor-placeholder (NOT SECURE)",
    CfpXorInit,
    CfpXorTransform,    /* XOR: encryption and decryption are the same */
    CfpXorTransform,
    CfpXorCleanup
};

/* ------------------------------------------------------------------------ */
/* Registry and wrappers                                                    */
/* ------------------------------------------------------------------------ */

static const CF_CIPHER_OPS *const CfCiphers[] = {
    &CfPlaceholderCipher,
};

PCCF_CIPHER_OPS
CfFindCipher(
    _In_ ULONG CipherId
    )
{
    ULONG i;

    for (i = 0; i < RTL_NUMBER_OF(CfCiphers); i++) {
        if (CfCiphers[i]->CipherId == CipherId) {
            return CfCiphers[i];
        }
    }
    return NULL;
}

NTSTATUS
CfCipherInit(
    _Out_ PCF_CIPHER_CONTEXT Context,
    _In_ PCCF_CIPHER_OPS Ops,
    _In_reads_bytes_(KeyLength) const UCHAR *Key,
    _In_ ULONG KeyLength,
    _In_ ULONGLONG Nonce
    )
{
    NTSTATUS status;

    RtlZeroMemory(Context, sizeof(*Context));
    Context->Ops = Ops;
    status = Ops->Init(Context, Key, KeyLength, Nonce);
    Context->Initialized = (BOOLEAN)NT_SUCCESS(status);
    return status;
}

VOID
CfCipherEncrypt(
    _In_ PCF_CIPHER_CONTEXT Context,
    _In_ LONGLONG Offset,
    _Inout_updates_bytes_(Length) PUCHAR Buffer,
    _In_ ULONG Length
    )
{
    FLT_ASSERT(Context->Initialized);
    Context->Ops->Encrypt(Context, Offset, Buffer, Length);
}

VOID
CfCipherDecrypt(
    _In_ PCF_CIPHER_CONTEXT Context,
    _In_ LONGLONG Offset,
    _Inout_updates_bytes_(Length) PUCHAR Buffer,
    _In_ ULONG Length
    )
{
    FLT_ASSERT(Context->Initialized);
    Context->Ops->Decrypt(Context, Offset, Buffer, Length);
}

VOID
CfCipherCleanup(
    _Inout_ PCF_CIPHER_CONTEXT Context
    )
{
    if (Context->Initialized) {
        Context->Ops->Cleanup(Context);
        Context->Initialized = FALSE;
    }
}
