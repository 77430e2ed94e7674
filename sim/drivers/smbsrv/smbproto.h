/*
 * smbproto.h - smbsrv: the simulated wire format between the SMB
 * mini-redirector (mrxsmb / mrxsmb20) and the server model.
 *
 * A message is an SMBW_MESSAGE (a header modelled on the SMB2 header, then
 * one fixed-size body per command) followed, at SMBW_DATA_OFFSET, by
 * DataLength bytes of variable data (a UTF-16 name, write data, read data,
 * directory entries, a security descriptor).  Command codes are SMB2's.
 * Requests and replies use the same layout; a reply has SMBW_FLAG_REPLY set
 * and the server's NTSTATUS in Header.Status.  Only the simulator's two
 * sides read it: it is not the SMB2 byte layout.
 */
#ifndef SMBPROTO_H
#define SMBPROTO_H

#include <ntifs.h>

#define SMBW_PROTOCOL_ID 0x424D53FEu /* 0xFE 'S' 'M' 'B' */

#define SMBW_TREE_CONNECT 0x0003
#define SMBW_CREATE 0x0005
#define SMBW_CLOSE 0x0006
#define SMBW_FLUSH 0x0007
#define SMBW_READ 0x0008
#define SMBW_WRITE 0x0009
#define SMBW_QUERY_DIRECTORY 0x000E
#define SMBW_QUERY_INFO 0x0010
#define SMBW_SET_INFO 0x0011

#define SMBW_FLAG_REPLY 0x00000001u

/* Share flags returned by TREE_CONNECT. */
#define SMBW_SHARE_CSC 0x00000001u     /* client-side caching (offline files) */
#define SMBW_SHARE_CACHING 0x00000002u /* the client may cache data */

/* QUERY_INFO / SET_INFO information types (SMB2's InfoType values). */
#define SMBW_INFO_FILE 0x01
#define SMBW_INFO_SECURITY 0x03

/* QUERY_DIRECTORY flags (SMB2's). */
#define SMBW_RESTART_SCANS 0x01
#define SMBW_RETURN_SINGLE_ENTRY 0x02

/*
 * CREATE flag: open the directory that holds the path's last component
 * (SL_OPEN_TARGET_DIRECTORY, the first half of a rename); CreateAction says
 * whether that component exists (FILE_EXISTS / FILE_DOES_NOT_EXIST).
 */
#define SMBW_CREATE_OPEN_TARGET 0x00000001u

/* WRITE offset meaning "append at the end of file". */
#define SMBW_WRITE_APPEND (-1LL)

/* What the server knows about a file, in replies to CREATE and QUERY_INFO. */
typedef struct SMBW_FILE_INFO {
    LARGE_INTEGER CreationTime;
    LARGE_INTEGER LastAccessTime;
    LARGE_INTEGER LastWriteTime;
    LARGE_INTEGER ChangeTime;
    LARGE_INTEGER AllocationSize;
    LARGE_INTEGER EndOfFile;
    ULONGLONG IndexNumber;
    ULONG FileAttributes;        /* FILE_ATTRIBUTE_*, NORMAL when none */
    ULONG NumberOfLinks;
    BOOLEAN DeletePending;
    BOOLEAN Directory;
} SMBW_FILE_INFO;

typedef struct SMBW_HEADER {
    ULONG ProtocolId;
    USHORT StructureSize;        /* sizeof(SMBW_HEADER) */
    USHORT Command;
    NTSTATUS Status;             /* replies */
    ULONG Flags;
    ULONGLONG MessageId;
    ULONG TreeId;
    ULONG DataLength;            /* variable bytes at SMBW_DATA_OFFSET */
} SMBW_HEADER;

typedef struct SMBW_MESSAGE {
    SMBW_HEADER Header;
    union {
        struct {                 /* data: "\server\share" */
            ULONG TreeId;        /* reply */
            ULONG ShareFlags;    /* reply: SMBW_SHARE_* */
        } TreeConnect;
        struct {                 /* data: path below the share root, no leading '\' */
            ULONG CreateFlags;   /* SMBW_CREATE_OPEN_TARGET */
            ACCESS_MASK DesiredAccess; /* reply: the access granted */
            ULONG FileAttributes;
            ULONG ShareAccess;
            ULONG Disposition;
            ULONG Options;
            ULONGLONG FileId;    /* reply */
            ULONG CreateAction;  /* reply: FILE_OPENED, ... */
            SMBW_FILE_INFO Info; /* reply */
        } Create;
        struct {
            ULONGLONG FileId;
        } Close;
        struct {                 /* reply data: the bytes read */
            ULONGLONG FileId;
            LONGLONG Offset;
            ULONG Length;
        } Read;
        struct {                 /* request data: the bytes to write */
            ULONGLONG FileId;
            LONGLONG Offset;     /* SMBW_WRITE_APPEND: at end of file */
            ULONG Length;
            ULONG Written;       /* reply */
            LARGE_INTEGER EndOfFile; /* reply */
        } Write;
        struct {                 /* reply data: security descriptor (SECURITY) */
            ULONGLONG FileId;
            UCHAR InfoType;
            ULONG SecurityInformation;
            ULONG OutputLength;  /* request: room; reply: bytes returned or needed */
            SMBW_FILE_INFO Info; /* reply (FILE) */
        } QueryInfo;
        struct {                 /* request data: FILE_*_INFORMATION (FILE) */
            ULONGLONG FileId;
            UCHAR InfoType;
            ULONG FileInformationClass;
            SMBW_FILE_INFO Info; /* reply: the file after the change */
        } SetInfo;
        struct {                 /* request data: pattern; reply data: entries */
            ULONGLONG FileId;
            ULONG FileInformationClass;
            UCHAR Flags;         /* SMBW_RESTART_SCANS, SMBW_RETURN_SINGLE_ENTRY */
            ULONG OutputLength;  /* request: room; reply: bytes returned */
        } QueryDirectory;
    } u;
} SMBW_MESSAGE;

/* Variable data starts 8-byte aligned after the fixed part. */
#define SMBW_DATA_OFFSET ((ULONG)((sizeof(SMBW_MESSAGE) + 7u) & ~7u))
#define SmbwData(Message) ((PUCHAR)(Message) + SMBW_DATA_OFFSET)

#endif /* SMBPROTO_H */
