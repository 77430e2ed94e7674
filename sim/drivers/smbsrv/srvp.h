/*
 * srvp.h - smbsrv: private structures of the server model (servers,
 * shares, the file tree of each share, tree connects, open handles) and of
 * the wire driver.
 *
 * All of the servers' state is host memory owned by one SRV_STATE, which
 * the wire device's extension points to.  Lists keep insertion order and
 * directories keep their children sorted by upcased name, so nothing
 * depends on host addresses.
 */
#ifndef SRVP_H
#define SRVP_H

#include <fsim_kernel.h>
#include "smbsrv.h"

#define SRV_TAG_PACKET 'kPsS' /* "SsPk": a request on the wire */
#define SRV_MAX_FILE_SIZE (256ull * 1024 * 1024)
#define SRV_MAX_COMPONENT 255u
#define SRV_ALLOCATION_UNIT 4096ull

typedef struct SRV_NODE SRV_NODE;
typedef struct SRV_SHARE SRV_SHARE;
typedef struct SRV_SERVER SRV_SERVER;

struct SRV_NODE {
    SRV_NODE *AllPrev, *AllNext;  /* every node of the machine, creation order */
    SRV_NODE *Parent;             /* NULL for a share root */
    SRV_SHARE *Share;
    WCHAR *Name;                  /* case preserved */
    WCHAR *Upcase;                /* lookup and sort key */
    USHORT NameChars;
    BOOLEAN Directory;
    BOOLEAN Linked;               /* in Parent's child array (or a share root) */
    BOOLEAN DeletePending;
    ULONG Attributes;             /* FILE_ATTRIBUTE_* without NORMAL/DIRECTORY */
    LARGE_INTEGER CreationTime;
    LARGE_INTEGER LastAccessTime;
    LARGE_INTEGER LastWriteTime;
    LARGE_INTEGER ChangeTime;
    ULONGLONG IndexNumber;
    UCHAR *Data;
    ULONGLONG Size;
    SIZE_T Capacity;
    ULONGLONG AllocationSize;
    UCHAR *Security;              /* self-relative security descriptor */
    ULONG SecurityLength;
    SRV_NODE **Children;
    ULONG ChildCount;
    ULONG ChildCapacity;
    /* Server-side share access of the open handles. */
    ULONG OpenCount;
    ULONG Readers, Writers, Deleters;
    ULONG SharedRead, SharedWrite, SharedDelete;
};

struct SRV_SHARE {
    SRV_SHARE *Next;
    SRV_SERVER *Server;
    WCHAR *Name;
    WCHAR *Upcase;
    USHORT NameChars;
    SRV_NODE *Root;
    ULONGLONG LatencyNs;
    ULONG Flags;                  /* SMBW_SHARE_* */
};

struct SRV_SERVER {
    SRV_SERVER *Next;
    WCHAR *Name;
    WCHAR *Upcase;
    USHORT NameChars;
    SRV_SHARE *Shares;
};

typedef struct SRV_TREE {
    struct SRV_TREE *Next;
    ULONG TreeId;
    SRV_SHARE *Share;
} SRV_TREE;

typedef struct SRV_HANDLE {
    struct SRV_HANDLE *Prev, *Next;
    ULONGLONG FileId;
    SRV_SHARE *Share;
    SRV_NODE *Node;
    ACCESS_MASK Access;
    ULONG ShareAccess;
    BOOLEAN DeleteOnClose;
    /* Directory enumeration (SMB2 keeps the cursor per open). */
    BOOLEAN EnumStarted;
    UCHAR EnumPhase;              /* 0 ".", 1 "..", 2 children after LastName */
    WCHAR *Pattern;               /* upcased; NULL: "*" */
    USHORT PatternChars;
    WCHAR *LastName;              /* upcased name of the last child returned */
    USHORT LastNameChars;
} SRV_HANDLE;

typedef struct SRV_STATE {
    SRV_SERVER *Servers;
    SRV_TREE *Trees;
    SRV_HANDLE *HandlesHead, *HandlesTail;
    SRV_NODE *NodesHead, *NodesTail;
    ULONG NextTreeId;
    ULONGLONG NextFileId;
    ULONGLONG NextIndexNumber;
} SRV_STATE;

/* The wire device's extension. */
#define SRV_NTC_WIRE ((CSHORT)0x5301)
typedef struct SRV_WIRE_EXTENSION {
    CSHORT NodeTypeCode;
    CSHORT NodeByteSize;
    SRV_STATE *State;
    LIST_ENTRY InFlight;          /* SRV_PACKETs, send order */
    ULONG InFlightCount;
    ULONG Delivered;
} SRV_WIRE_EXTENSION;

/* --- srv_tree.c ----------------------------------------------------------- */
SRV_STATE *SrvpCreateState(void);
void SrvpDestroyState(SRV_STATE *State);
WCHAR SrvpUpcase(WCHAR C);
BOOLEAN SrvpEqualNames(const WCHAR *A, USHORT ACount, const WCHAR *B, USHORT BCount);
LONG SrvpCompareUpcased(const WCHAR *A, USHORT ACount, const WCHAR *B, USHORT BCount);
LARGE_INTEGER SrvpNow(void);
SRV_SERVER *SrvpFindServer(SRV_STATE *State, const WCHAR *Name, USHORT Chars);
SRV_SHARE *SrvpFindShare(SRV_SERVER *Server, const WCHAR *Name, USHORT Chars);
NTSTATUS SrvpAddShare(SRV_STATE *State, const WCHAR *Server, USHORT ServerChars, const WCHAR *Share,
                      USHORT ShareChars, ULONGLONG LatencyNs, ULONG Flags);
NTSTATUS SrvpValidateComponent(const WCHAR *Name, USHORT Chars);
NTSTATUS SrvpNewNode(SRV_STATE *State, SRV_SHARE *Share, const WCHAR *Name, USHORT Chars, BOOLEAN Directory,
                     ULONG Attributes, SRV_NODE **Node);
void SrvpFreeNode(SRV_STATE *State, SRV_NODE *Node);
SRV_NODE *SrvpLookupChild(SRV_NODE *Directory, const WCHAR *Name, USHORT Chars);
NTSTATUS SrvpInsertChild(SRV_NODE *Directory, SRV_NODE *Child);
void SrvpUnlinkChild(SRV_NODE *Child);
NTSTATUS SrvpSetFileSize(SRV_NODE *Node, ULONGLONG Size);
/*
 * Walks Path (components separated by '\', no leading '\') below Root.
 * *Parent gets the directory that holds the last component and *Final
 * its name; *Node the entry if it exists.  STATUS_OBJECT_PATH_NOT_FOUND
 * when an intermediate component is missing or not a directory.
 */
NTSTATUS SrvpWalk(SRV_NODE *Root, const WCHAR *Path, USHORT Chars, SRV_NODE **Parent, const WCHAR **Final,
                  USHORT *FinalChars, SRV_NODE **Node);
void SrvpFillInfo(const SRV_NODE *Node, SMBW_FILE_INFO *Info);
SRV_TREE *SrvpFindTree(SRV_STATE *State, ULONG TreeId);

/* --- srv_sec.c ------------------------------------------------------------ */
/* The default descriptor of a new file or directory (host memory). */
BOOLEAN SrvpDefaultSecurity(BOOLEAN Directory, BOOLEAN Root, UCHAR **Descriptor, ULONG *Length);
/* The components SecurityInformation asks for, self-relative, into Out (if
 * it fits); returns the length needed, 0 if the stored one is malformed. */
ULONG SrvpSelectSecurity(const UCHAR *Stored, ULONG StoredLength, ULONG SecurityInformation, UCHAR *Out,
                         ULONG OutLength);

/* --- srv_ops.c ------------------------------------------------------------ */
/*
 * Processes one request and writes the reply into Reply (room ReplyRoom
 * bytes).  Returns the reply's length, or 0 with *TransportStatus set when
 * the request cannot be delivered (unknown server or tree, malformed).
 */
ULONG SrvpProcess(SRV_STATE *State, const UCHAR *Request, ULONG RequestLength, UCHAR *Reply, ULONG ReplyRoom,
                  NTSTATUS *TransportStatus);
/* Latency of the share a request goes to; FALSE if it has no destination. */
BOOLEAN SrvpRequestLatency(SRV_STATE *State, const UCHAR *Request, ULONG RequestLength, ULONGLONG *LatencyNs);
void SrvpCloseAllHandles(SRV_STATE *State);

#endif /* SRVP_H */
