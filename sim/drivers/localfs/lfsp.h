/*
 * lfsp.h - localfs: private structures and routines shared by the driver's
 * source files (volume control block, in-memory file tree, FCB, CCB).
 *
 * Model.  The volume is a tree of LFS_NODEs (the "on-disk" state: name,
 * attributes, times, data, children, security descriptor).  A node has an
 * LFS_FCB only while some file object refers to it; the FCB carries the
 * FSRTL_ADVANCED_FCB_HEADER that FileObject->FsContext points to, the share
 * access and the FCB resources.  Each file object has its own LFS_CCB
 * (FsContext2).  Nodes are reference counted: one reference for being
 * linked in the parent directory (or being the root), one for an FCB, and
 * one from each child node whose Parent points at it, so that a file that
 * was unlinked while still open keeps a valid path to report.
 *
 * Caching.  A file's FCB carries the stream's SECTION_OBJECT_POINTERS
 * (every file object's SectionObjectPointer points there); the cache
 * manager's shared cache map hangs off it while some file object caches the
 * file (lfs_rw.c).  Cleanup uninitializes the file object's private cache
 * map (the last one writes the dirty data back with paging writes), close
 * does it for a file object that never saw a cleanup, and every size change
 * of a cached file is passed on with CcSetFileSizes.
 *
 * Locking.  Vcb->Resource protects the tree (names, links, child arrays,
 * enumeration); it is taken exclusive by operations that change the tree
 * and shared by the others.  Fcb->MainResource protects the file's data and
 * sizes.  Order: Vcb->Resource, then the FCB's.  Both are taken inside a
 * critical region and released before IoCompleteRequest.  Paging I/O (the
 * cache manager reading or writing the file from inside another request,
 * which may hold both) takes only Fcb->PagingIoResource, shared.
 */
#ifndef LFSP_H
#define LFSP_H

#include "lfs.h"

/* Pool tags (as shown by !pool: "FLfv", "FLfn", ...). */
#define LFS_TAG_VCB 'vfLF'      /* volume-wide allocations */
#define LFS_TAG_NODE 'nfLF'     /* tree nodes */
#define LFS_TAG_NAME 'mfLF'     /* node names */
#define LFS_TAG_DATA 'dfLF'     /* file data */
#define LFS_TAG_CHILDREN 'hfLF' /* directory child arrays */
#define LFS_TAG_SECURITY 'sfLF' /* security descriptors */
#define LFS_TAG_FCB 'cfLF'      /* FCBs */
#define LFS_TAG_CCB 'xfLF'      /* CCBs */
#define LFS_TAG_TEMP 'tfLF'     /* short-lived buffers */

/* Node type codes (FSRTL_COMMON_FCB_HEADER.NodeTypeCode and our own). */
#define LFS_NTC_VCB ((CSHORT)0x4C01)
#define LFS_NTC_FCB ((CSHORT)0x4C02)
#define LFS_NTC_VOLUME_FCB ((CSHORT)0x4C03)
#define LFS_NTC_CCB ((CSHORT)0x4C04)
#define LFS_NTC_CDO ((CSHORT)0x4C05)

/* Volume geometry: 64 GiB of 4 KiB clusters on 512-byte sectors. */
#define LFS_SECTOR_SIZE 512u
#define LFS_SECTORS_PER_CLUSTER 8u
#define LFS_CLUSTER_SIZE (LFS_SECTOR_SIZE * LFS_SECTORS_PER_CLUSTER)
#define LFS_TOTAL_CLUSTERS (16ull * 1024 * 1024)
#define LFS_MAX_FILE_SIZE (256ull * 1024 * 1024) /* beyond: STATUS_DISK_FULL */
#define LFS_MAX_COMPONENT 255u                   /* characters in one name */

/* File reference numbers: the root is MFT record 5 (sequence 5) as on NTFS;
 * user files get records from 0x40 on, sequence 1. */
#define LFS_ROOT_FILE_ID 0x0005000000000005ull
#define LFS_FIRST_FILE_RECORD 0x40ull

/* Attributes a caller may set; what a listing reports for no attribute. */
#define LFS_SETTABLE_ATTRIBUTES                                                                \
    (FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_SYSTEM |                \
     FILE_ATTRIBUTE_ARCHIVE | FILE_ATTRIBUTE_TEMPORARY | FILE_ATTRIBUTE_OFFLINE |             \
     FILE_ATTRIBUTE_NOT_CONTENT_INDEXED)

typedef struct _LFS_VCB LFS_VCB, *PLFS_VCB;
typedef struct _LFS_NODE LFS_NODE, *PLFS_NODE;
typedef struct _LFS_FCB LFS_FCB, *PLFS_FCB;
typedef struct _LFS_CCB LFS_CCB, *PLFS_CCB;

struct _LFS_NODE {
    LIST_ENTRY VcbLinks;          /* Vcb->AllNodes, in creation order */
    PLFS_VCB Vcb;
    PLFS_NODE Parent;             /* NULL for the root */
    ULONG RefCount;
    BOOLEAN IsDirectory;
    BOOLEAN IsRoot;
    BOOLEAN Linked;               /* present in Parent's child array */
    BOOLEAN DeletePending;
    UNICODE_STRING Name;          /* as created (case preserved) */
    UNICODE_STRING UpcaseName;    /* sort and lookup key */
    ULONG FileAttributes;         /* FILE_ATTRIBUTE_* (0 = none, reported as NORMAL) */
    LARGE_INTEGER CreationTime;
    LARGE_INTEGER LastAccessTime;
    LARGE_INTEGER LastWriteTime;
    LARGE_INTEGER ChangeTime;
    ULONGLONG FileId;             /* NTFS-style file reference number */
    PUCHAR Data;                  /* FileSize valid bytes */
    SIZE_T DataCapacity;
    ULONGLONG FileSize;
    ULONGLONG AllocationSize;
    PLFS_NODE *Children;          /* directories: sorted by UpcaseName */
    ULONG ChildCount;
    ULONG ChildCapacity;
    PUCHAR Security;              /* self-relative security descriptor */
    ULONG SecurityLength;
    PLFS_FCB Fcb;                 /* while a file object refers to the node */
};

/*
 * The common part of the FCB's header, reached through a cast so the code
 * does not depend on how ntifs.h spells the (in the WDK anonymous)
 * FSRTL_COMMON_FCB_HEADER member of FSRTL_ADVANCED_FCB_HEADER.
 */
#define LfspCommonHeader(Fcb) ((PFSRTL_COMMON_FCB_HEADER) & (Fcb)->Header)

struct _LFS_FCB {
    FSRTL_ADVANCED_FCB_HEADER Header; /* must be first: FileObject->FsContext */
    FAST_MUTEX HeaderMutex;
    ERESOURCE MainResource;
    ERESOURCE PagingIoResource;
    SECTION_OBJECT_POINTERS SectionObjectPointers;
    SHARE_ACCESS ShareAccess;
    LIST_ENTRY VcbLinks;          /* Vcb->AllFcbs */
    PLFS_VCB Vcb;
    PLFS_NODE Node;               /* NULL for the volume FCB */
    ULONG OpenCount;              /* file objects not yet closed */
    ULONG CleanupCount;           /* file objects not yet cleaned up */
};

struct _LFS_CCB {
    CSHORT NodeTypeCode;
    CSHORT NodeByteSize;
    LIST_ENTRY VcbLinks;          /* Vcb->AllCcbs */
    ACCESS_MASK GrantedAccess;
    BOOLEAN DeleteOnClose;        /* FILE_DELETE_ON_CLOSE / FILE_DISPOSITION_ON_CLOSE */
    BOOLEAN PosixDelete;          /* this handle set a POSIX-semantics disposition */
    /* Directory enumeration. */
    BOOLEAN EnumStarted;          /* the search expression has been captured */
    UCHAR EnumPhase;              /* 0: ".", 1: "..", 2: children after LastName */
    BOOLEAN HaveLastName;
    UNICODE_STRING Pattern;       /* upcased search expression; Length 0: all */
    UNICODE_STRING LastName;      /* upcased name of the last child returned */
};

/* The volume device object's extension. */
struct _LFS_VCB {
    CSHORT NodeTypeCode;
    CSHORT NodeByteSize;
    PDEVICE_OBJECT VolumeDeviceObject;
    PDEVICE_OBJECT StorageDevice;
    PVPB Vpb;
    ERESOURCE Resource;
    BOOLEAN ResourceInitialized;
    PLFS_NODE Root;
    PLFS_FCB VolumeFcb;           /* opens of the volume itself */
    LIST_ENTRY AllNodes;
    LIST_ENTRY AllFcbs;
    LIST_ENTRY AllCcbs;
    ULONGLONG NextFileRecord;
    LARGE_INTEGER CreationTime;
    ULONG SerialNumber;
};

/* The control device object's extension. */
typedef struct _LFS_CDO_EXTENSION {
    CSHORT NodeTypeCode;
    CSHORT NodeByteSize;
} LFS_CDO_EXTENSION, *PLFS_CDO_EXTENSION;

typedef enum _LFS_OPEN_TYPE {
    LfsOpenUnknown,               /* not a localfs file object (or the CDO) */
    LfsOpenVolume,
    LfsOpenDirectory,
    LfsOpenFile
} LFS_OPEN_TYPE;

/* --- dispatch routines --------------------------------------------------- */
DRIVER_DISPATCH LfsFsdCreate;
DRIVER_DISPATCH LfsFsdCleanup;
DRIVER_DISPATCH LfsFsdClose;
DRIVER_DISPATCH LfsFsdRead;
DRIVER_DISPATCH LfsFsdWrite;
DRIVER_DISPATCH LfsFsdQueryInformation;
DRIVER_DISPATCH LfsFsdSetInformation;
DRIVER_DISPATCH LfsFsdQueryVolumeInformation;
DRIVER_DISPATCH LfsFsdDirectoryControl;
DRIVER_DISPATCH LfsFsdQuerySecurity;
DRIVER_DISPATCH LfsFsdSetSecurity;
DRIVER_DISPATCH LfsFsdFlushBuffers;
DRIVER_DISPATCH LfsFsdFileSystemControl;
DRIVER_DISPATCH LfsFsdInvalidRequest;

/* --- lfs_init.c ---------------------------------------------------------- */
NTSTATUS LfspCompleteRequest(PIRP Irp, NTSTATUS Status, ULONG_PTR Information);
PLFS_VCB LfspVcbFromDevice(PDEVICE_OBJECT DeviceObject);
LFS_OPEN_TYPE LfspDecodeFileObject(PLFS_VCB Vcb, PFILE_OBJECT FileObject, PLFS_FCB *Fcb,
                                   PLFS_CCB *Ccb);
void LfspAcquireVcbExclusive(PLFS_VCB Vcb);
void LfspAcquireVcbShared(PLFS_VCB Vcb);
void LfspReleaseVcb(PLFS_VCB Vcb);
void LfspAcquireFcbExclusive(PLFS_FCB Fcb);
void LfspAcquireFcbShared(PLFS_FCB Fcb);
void LfspReleaseFcb(PLFS_FCB Fcb);
/*
 * Makes Irp the thread's top-level IRP while the cache manager works for it
 * (TRUE when it was set: the thread had none); the restore clears it again.
 */
BOOLEAN LfspSetTopLevelIrp(PIRP Irp);
void LfspRestoreTopLevelIrp(BOOLEAN WasSet);
/*
 * The sizes the cache manager gets for a file: the FCB header's, with the
 * valid data length at most ValidLimit.  A file grown by SetEndOfFile or by
 * an extending write holds zeros past its old end (LfspSetFileSize fills
 * them), so the cache is told the old end as valid data length and never
 * reads those zeros back - as NTFS leaves its valid data length behind a
 * grown end of file.  (ULONGLONG)-1: the header's own.
 */
void LfspCacheFileSizes(PLFS_FCB Fcb, ULONGLONG ValidLimit, PCC_FILE_SIZES Sizes);
/* A cached file's sizes changed: CcSetFileSizes (nothing if not cached). */
void LfspNotifyCacheSizes(PFILE_OBJECT FileObject, PLFS_FCB Fcb, ULONGLONG ValidLimit);
#define LFS_VALID_ALL (~0ull)

/* --- lfs_tree.c ---------------------------------------------------------- */
LARGE_INTEGER LfspNow(void);
WCHAR LfspUpcase(WCHAR Char);
LONG LfspCompareUpcased(PCUNICODE_STRING A, PCUNICODE_STRING B);
NTSTATUS LfspValidateComponent(PCUNICODE_STRING Name);
NTSTATUS LfspAllocateNode(PLFS_VCB Vcb, PCUNICODE_STRING Name, BOOLEAN Directory,
                          ULONG FileAttributes, PLFS_NODE *Node);
void LfspReferenceNode(PLFS_NODE Node);
void LfspDereferenceNode(PLFS_NODE Node);
PLFS_NODE LfspLookupChild(PLFS_NODE Directory, PCUNICODE_STRING Name);
ULONG LfspFindChildPosition(PLFS_NODE Directory, PCUNICODE_STRING UpcaseName, BOOLEAN *Found);
NTSTATUS LfspInsertChild(PLFS_NODE Directory, PLFS_NODE Child);
void LfspUnlinkNode(PLFS_NODE Node);
NTSTATUS LfspRenameNode(PLFS_NODE Node, PLFS_NODE NewParent, PCUNICODE_STRING NewName);
BOOLEAN LfspIsAncestor(PLFS_NODE Ancestor, PLFS_NODE Node);
BOOLEAN LfspHasOpenDescendant(PLFS_NODE Directory);
ULONG LfspPathLength(PLFS_NODE Node);
void LfspFillPath(PLFS_NODE Node, PWCHAR Buffer, ULONG PathLength);
NTSTATUS LfspSetFileSize(PLFS_NODE Node, ULONGLONG NewSize);
void LfspSetAllocationSize(PLFS_NODE Node, ULONGLONG AllocationSize);
void LfspSyncFcbSizes(PLFS_NODE Node);
ULONG LfspReportedAttributes(PLFS_NODE Node);
ULONGLONG LfspUsedClusters(PLFS_VCB Vcb);
NTSTATUS LfspCreateFcb(PLFS_VCB Vcb, PLFS_NODE Node, PLFS_FCB *Fcb);
void LfspDeleteFcb(PLFS_FCB Fcb);
NTSTATUS LfspCreateCcb(PLFS_VCB Vcb, PLFS_CCB *Ccb);
void LfspDeleteCcb(PLFS_CCB Ccb);
void LfspTouchDirectory(PLFS_NODE Directory);

/* --- lfs_rw.c: the request's data buffer -------------------------------- */
/*
 * The buffer of a "neither"/direct request: the system address of
 * Irp->MdlAddress when there is one, else Irp->UserBuffer.  *UserAddress
 * tells whether it is a user-mode address (UserBuffer of a UserMode
 * request) that must be probed and touched under __try.
 */
NTSTATUS LfspGetRequestBuffer(PIRP Irp, PVOID *Buffer, BOOLEAN *UserAddress);
NTSTATUS LfspCopyToRequestBuffer(PVOID Buffer, BOOLEAN UserAddress, ULONG ProbeLength,
                                 const VOID *Source, SIZE_T Length);
NTSTATUS LfspCopyFromRequestBuffer(PVOID Destination, const VOID *Buffer, BOOLEAN UserAddress,
                                   SIZE_T Length);

/* --- lfs_sec.c ----------------------------------------------------------- */
NTSTATUS LfspBuildDefaultSecurity(BOOLEAN Directory, BOOLEAN Root, PUCHAR *Descriptor,
                                  ULONG *Length);

#endif /* LFSP_H */
