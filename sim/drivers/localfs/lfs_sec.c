/*
 * lfs_sec.c - localfs: file security descriptors (the default descriptor
 * every file gets, IRP_MJ_QUERY_SECURITY and IRP_MJ_SET_SECURITY).
 *
 * Each node stores one self-relative descriptor.  The default one has owner
 * BUILTIN\Administrators (S-1-5-32-544), group SYSTEM (S-1-5-18) and a DACL
 * of three ACCESS_ALLOWED ACEs: SYSTEM and Administrators FILE_ALL_ACCESS,
 * Authenticated Users (S-1-5-11) "modify" (FILE_GENERIC_READ | WRITE |
 * EXECUTE | DELETE).  Directories' ACEs are object- and container-
 * inheritable; below the root they are marked inherited and the DACL
 * auto-inherited, as a freshly created NTFS file looks.
 *
 * Self-relative layout written here: the 20-byte header, then SACL, DACL,
 * owner and group (the components present), each 4-byte aligned.
 *
 * A query that does not fit returns STATUS_BUFFER_OVERFLOW with
 * IoStatus.Information = the length needed and nothing copied, as NTFS does;
 * the I/O manager turns that into STATUS_BUFFER_TOO_SMALL and LengthNeeded
 * for NtQuerySecurityObject.
 */
#include "lfsp.h"

#define LFS_SD_HEADER_LENGTH 20u

#ifndef SE_DACL_AUTO_INHERITED
#define SE_DACL_AUTO_INHERITED 0x0400
#endif
#ifndef SE_SACL_AUTO_INHERITED
#define SE_SACL_AUTO_INHERITED 0x0800
#endif
#ifndef SE_DACL_PROTECTED
#define SE_DACL_PROTECTED 0x1000
#endif
#ifndef SE_SACL_PROTECTED
#define SE_SACL_PROTECTED 0x2000
#endif
#ifndef PROTECTED_DACL_SECURITY_INFORMATION
#define PROTECTED_DACL_SECURITY_INFORMATION 0x80000000u
#endif
#ifndef PROTECTED_SACL_SECURITY_INFORMATION
#define PROTECTED_SACL_SECURITY_INFORMATION 0x40000000u
#endif
#ifndef UNPROTECTED_DACL_SECURITY_INFORMATION
#define UNPROTECTED_DACL_SECURITY_INFORMATION 0x20000000u
#endif
#ifndef UNPROTECTED_SACL_SECURITY_INFORMATION
#define UNPROTECTED_SACL_SECURITY_INFORMATION 0x10000000u
#endif

/* Control bits that belong to each component. */
#define LFS_DACL_CONTROL \
    (SE_DACL_PRESENT | SE_DACL_DEFAULTED | SE_DACL_AUTO_INHERITED | SE_DACL_PROTECTED)
#define LFS_SACL_CONTROL \
    (SE_SACL_PRESENT | SE_SACL_DEFAULTED | SE_SACL_AUTO_INHERITED | SE_SACL_PROTECTED)

/* The components of a descriptor, pointing into someone else's memory. */
typedef struct _LFS_SD_PARTS {
    USHORT Control;               /* without SE_SELF_RELATIVE */
    const UCHAR *Owner;
    ULONG OwnerLength;
    const UCHAR *Group;
    ULONG GroupLength;
    const UCHAR *Sacl;            /* NULL with SE_SACL_PRESENT: a NULL SACL */
    ULONG SaclLength;
    const UCHAR *Dacl;            /* NULL with SE_DACL_PRESENT: a NULL DACL */
    ULONG DaclLength;
} LFS_SD_PARTS;

static USHORT LfspGetUshort(const UCHAR *P)
{
    return (USHORT)(P[0] | (P[1] << 8));
}

static ULONG LfspGetUlong(const UCHAR *P)
{
    return (ULONG)P[0] | ((ULONG)P[1] << 8) | ((ULONG)P[2] << 16) | ((ULONG)P[3] << 24);
}

static void LfspPutUshort(UCHAR *P, USHORT Value)
{
    P[0] = (UCHAR)Value;
    P[1] = (UCHAR)(Value >> 8);
}

static void LfspPutUlong(UCHAR *P, ULONG Value)
{
    P[0] = (UCHAR)Value;
    P[1] = (UCHAR)(Value >> 8);
    P[2] = (UCHAR)(Value >> 16);
    P[3] = (UCHAR)(Value >> 24);
}

/* Length of a valid SID within Available bytes, else 0. */
static ULONG LfspSidLength(const UCHAR *Sid, ULONG Available)
{
    ULONG Length;

    if (Available < 8 || Sid[0] != SID_REVISION || Sid[1] > SID_MAX_SUB_AUTHORITIES) {
        return 0;
    }
    Length = 8u + 4u * Sid[1];
    return Length <= Available ? Length : 0;
}

/* Length (AclSize) of a valid ACL within Available bytes, else 0. */
static ULONG LfspAclLength(const UCHAR *Acl, ULONG Available)
{
    ULONG Size;
    ULONG Count;
    ULONG Offset = 8;
    ULONG Index;

    if (Available < 8 || Acl[0] < ACL_REVISION || Acl[0] > ACL_REVISION_DS) {
        return 0;
    }
    Size = LfspGetUshort(Acl + 2);
    Count = LfspGetUshort(Acl + 4);
    if (Size < 8 || Size > Available || (Size & 3) != 0) {
        return 0;
    }
    for (Index = 0; Index < Count; Index++) {
        ULONG AceSize;
        if (Offset + 4 > Size) {
            return 0;
        }
        AceSize = LfspGetUshort(Acl + Offset + 2);
        if (AceSize < 4 || (AceSize & 3) != 0 || Offset + AceSize > Size) {
            return 0;
        }
        Offset += AceSize;
    }
    return Size;
}

/* Splits a self-relative descriptor of at most Available bytes. */
static NTSTATUS LfspSplitSelfRelative(const UCHAR *Sd, ULONG Available, LFS_SD_PARTS *Parts)
{
    ULONG Offsets[4];
    ULONG Index;
    USHORT Control;

    RtlZeroMemory(Parts, sizeof(*Parts));
    if (Available < LFS_SD_HEADER_LENGTH || Sd[0] != SECURITY_DESCRIPTOR_REVISION) {
        return STATUS_INVALID_SECURITY_DESCR;
    }
    Control = LfspGetUshort(Sd + 2);
    for (Index = 0; Index < 4; Index++) {
        Offsets[Index] = LfspGetUlong(Sd + 4 + 4 * Index);
        if (Offsets[Index] != 0 &&
            (Offsets[Index] < LFS_SD_HEADER_LENGTH || Offsets[Index] >= Available)) {
            return STATUS_INVALID_SECURITY_DESCR;
        }
    }
    Parts->Control = (USHORT)(Control & ~SE_SELF_RELATIVE);
    if (Offsets[0] != 0) {
        Parts->Owner = Sd + Offsets[0];
        Parts->OwnerLength = LfspSidLength(Parts->Owner, Available - Offsets[0]);
        if (Parts->OwnerLength == 0) {
            return STATUS_INVALID_SID;
        }
    }
    if (Offsets[1] != 0) {
        Parts->Group = Sd + Offsets[1];
        Parts->GroupLength = LfspSidLength(Parts->Group, Available - Offsets[1]);
        if (Parts->GroupLength == 0) {
            return STATUS_INVALID_SID;
        }
    }
    if ((Control & SE_SACL_PRESENT) && Offsets[2] != 0) {
        Parts->Sacl = Sd + Offsets[2];
        Parts->SaclLength = LfspAclLength(Parts->Sacl, Available - Offsets[2]);
        if (Parts->SaclLength == 0) {
            return STATUS_INVALID_ACL;
        }
    }
    if ((Control & SE_DACL_PRESENT) && Offsets[3] != 0) {
        Parts->Dacl = Sd + Offsets[3];
        Parts->DaclLength = LfspAclLength(Parts->Dacl, Available - Offsets[3]);
        if (Parts->DaclLength == 0) {
            return STATUS_INVALID_ACL;
        }
    }
    return STATUS_SUCCESS;
}

/* Splits a descriptor in either form (a captured kernel copy). */
static NTSTATUS LfspSplitDescriptor(PSECURITY_DESCRIPTOR Descriptor, LFS_SD_PARTS *Parts)
{
    const UCHAR *Raw = (const UCHAR *)Descriptor;
    const SECURITY_DESCRIPTOR *Absolute;
    USHORT Control;

    if (Raw == NULL) {
        return STATUS_INVALID_SECURITY_DESCR;
    }
    Control = LfspGetUshort(Raw + 2);
    if (Control & SE_SELF_RELATIVE) {
        return LfspSplitSelfRelative(Raw, 0x10000u, Parts);
    }
    RtlZeroMemory(Parts, sizeof(*Parts));
    if (Raw[0] != SECURITY_DESCRIPTOR_REVISION) {
        return STATUS_INVALID_SECURITY_DESCR;
    }
    Absolute = (const SECURITY_DESCRIPTOR *)Descriptor;
    Parts->Control = Control;
    if (Absolute->Owner != NULL) {
        Parts->Owner = (const UCHAR *)Absolute->Owner;
        Parts->OwnerLength = LfspSidLength(Parts->Owner, 0x10000u);
        if (Parts->OwnerLength == 0) {
            return STATUS_INVALID_SID;
        }
    }
    if (Absolute->Group != NULL) {
        Parts->Group = (const UCHAR *)Absolute->Group;
        Parts->GroupLength = LfspSidLength(Parts->Group, 0x10000u);
        if (Parts->GroupLength == 0) {
            return STATUS_INVALID_SID;
        }
    }
    if ((Control & SE_SACL_PRESENT) && Absolute->Sacl != NULL) {
        Parts->Sacl = (const UCHAR *)Absolute->Sacl;
        Parts->SaclLength = LfspAclLength(Parts->Sacl, 0x10000u);
        if (Parts->SaclLength == 0) {
            return STATUS_INVALID_ACL;
        }
    }
    if ((Control & SE_DACL_PRESENT) && Absolute->Dacl != NULL) {
        Parts->Dacl = (const UCHAR *)Absolute->Dacl;
        Parts->DaclLength = LfspAclLength(Parts->Dacl, 0x10000u);
        if (Parts->DaclLength == 0) {
            return STATUS_INVALID_ACL;
        }
    }
    return STATUS_SUCCESS;
}

static ULONG LfspAlign4(ULONG Value)
{
    return (Value + 3u) & ~3u;
}

/* Writes the self-relative form of Parts into Out (if not NULL); returns its length. */
static ULONG LfspLayoutSelfRelative(const LFS_SD_PARTS *Parts, UCHAR *Out)
{
    ULONG Offset = LFS_SD_HEADER_LENGTH;
    ULONG SaclOffset = 0;
    ULONG DaclOffset = 0;
    ULONG OwnerOffset = 0;
    ULONG GroupOffset = 0;

    if (Parts->Sacl != NULL) {
        SaclOffset = Offset;
        Offset = LfspAlign4(Offset + Parts->SaclLength);
    }
    if (Parts->Dacl != NULL) {
        DaclOffset = Offset;
        Offset = LfspAlign4(Offset + Parts->DaclLength);
    }
    if (Parts->Owner != NULL) {
        OwnerOffset = Offset;
        Offset = LfspAlign4(Offset + Parts->OwnerLength);
    }
    if (Parts->Group != NULL) {
        GroupOffset = Offset;
        Offset = LfspAlign4(Offset + Parts->GroupLength);
    }
    if (Out != NULL) {
        RtlZeroMemory(Out, Offset);
        Out[0] = SECURITY_DESCRIPTOR_REVISION;
        Out[1] = 0;
        LfspPutUshort(Out + 2, (USHORT)(Parts->Control | SE_SELF_RELATIVE));
        LfspPutUlong(Out + 4, OwnerOffset);
        LfspPutUlong(Out + 8, GroupOffset);
        LfspPutUlong(Out + 12, SaclOffset);
        LfspPutUlong(Out + 16, DaclOffset);
        if (Parts->Sacl != NULL) {
            RtlCopyMemory(Out + SaclOffset, Parts->Sacl, Parts->SaclLength);
        }
        if (Parts->Dacl != NULL) {
            RtlCopyMemory(Out + DaclOffset, Parts->Dacl, Parts->DaclLength);
        }
        if (Parts->Owner != NULL) {
            RtlCopyMemory(Out + OwnerOffset, Parts->Owner, Parts->OwnerLength);
        }
        if (Parts->Group != NULL) {
            RtlCopyMemory(Out + GroupOffset, Parts->Group, Parts->GroupLength);
        }
    }
    return Offset;
}

static NTSTATUS LfspAllocateSelfRelative(const LFS_SD_PARTS *Parts, PUCHAR *Descriptor,
                                         ULONG *Length)
{
    ULONG Size = LfspLayoutSelfRelative(Parts, NULL);
    PUCHAR Buffer = ExAllocatePoolWithTag(PagedPool, Size, LFS_TAG_SECURITY);

    if (Buffer == NULL) {
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    LfspLayoutSelfRelative(Parts, Buffer);
    *Descriptor = Buffer;
    *Length = Size;
    return STATUS_SUCCESS;
}

/* S-1-5-<Rid1>[-<Rid2>] into Sid (room for 16 bytes); returns its length. */
static ULONG LfspMakeNtSid(UCHAR *Sid, ULONG SubAuthorityCount, ULONG Rid1, ULONG Rid2)
{
    Sid[0] = SID_REVISION;
    Sid[1] = (UCHAR)SubAuthorityCount;
    Sid[2] = 0;
    Sid[3] = 0;
    Sid[4] = 0;
    Sid[5] = 0;
    Sid[6] = 0;
    Sid[7] = 5; /* SECURITY_NT_AUTHORITY */
    LfspPutUlong(Sid + 8, Rid1);
    if (SubAuthorityCount > 1) {
        LfspPutUlong(Sid + 12, Rid2);
    }
    return 8u + 4u * SubAuthorityCount;
}

/* Appends an ACCESS_ALLOWED ACE at Acl + *Offset. */
static void LfspAppendAllowedAce(UCHAR *Acl, ULONG *Offset, UCHAR Flags, ACCESS_MASK Mask,
                                 const UCHAR *Sid, ULONG SidLength)
{
    UCHAR *Ace = Acl + *Offset;
    USHORT AceSize = (USHORT)(8u + SidLength);

    Ace[0] = ACCESS_ALLOWED_ACE_TYPE;
    Ace[1] = Flags;
    LfspPutUshort(Ace + 2, AceSize);
    LfspPutUlong(Ace + 4, Mask);
    RtlCopyMemory(Ace + 8, Sid, SidLength);
    *Offset += AceSize;
}

NTSTATUS LfspBuildDefaultSecurity(BOOLEAN Directory, BOOLEAN Root, PUCHAR *Descriptor,
                                  ULONG *Length)
{
    UCHAR Administrators[16];
    UCHAR System[16];
    UCHAR AuthenticatedUsers[16];
    UCHAR Dacl[8 + 3 * (8 + 16)];
    ULONG AdministratorsLength = LfspMakeNtSid(Administrators, 2, SECURITY_BUILTIN_DOMAIN_RID,
                                               DOMAIN_ALIAS_RID_ADMINS);
    ULONG SystemLength = LfspMakeNtSid(System, 1, SECURITY_LOCAL_SYSTEM_RID, 0);
    ULONG AuthenticatedLength = LfspMakeNtSid(AuthenticatedUsers, 1,
                                              SECURITY_AUTHENTICATED_USER_RID, 0);
    ULONG Offset = 8;
    UCHAR AceFlags = 0;
    LFS_SD_PARTS Parts;

    if (Directory) {
        AceFlags |= OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE;
    }
    if (!Root) {
        AceFlags |= INHERITED_ACE;
    }
    LfspAppendAllowedAce(Dacl, &Offset, AceFlags, FILE_ALL_ACCESS, System, SystemLength);
    LfspAppendAllowedAce(Dacl, &Offset, AceFlags, FILE_ALL_ACCESS, Administrators,
                         AdministratorsLength);
    LfspAppendAllowedAce(Dacl, &Offset, AceFlags,
                         FILE_GENERIC_READ | FILE_GENERIC_WRITE | FILE_GENERIC_EXECUTE | DELETE,
                         AuthenticatedUsers, AuthenticatedLength);
    Dacl[0] = ACL_REVISION;
    Dacl[1] = 0;
    LfspPutUshort(Dacl + 2, (USHORT)Offset);
    LfspPutUshort(Dacl + 4, 3);
    LfspPutUshort(Dacl + 6, 0);

    RtlZeroMemory(&Parts, sizeof(Parts));
    Parts.Control = SE_DACL_PRESENT;
    if (!Root) {
        Parts.Control |= SE_DACL_AUTO_INHERITED;
    }
    Parts.Owner = Administrators;
    Parts.OwnerLength = AdministratorsLength;
    Parts.Group = System;
    Parts.GroupLength = SystemLength;
    Parts.Dacl = Dacl;
    Parts.DaclLength = Offset;
    return LfspAllocateSelfRelative(&Parts, Descriptor, Length);
}

/* The parts of Stored that SecurityInformation asks for. */
static void LfspSelectParts(const LFS_SD_PARTS *Stored, SECURITY_INFORMATION Information,
                            LFS_SD_PARTS *Selected)
{
    RtlZeroMemory(Selected, sizeof(*Selected));
    if (Information & OWNER_SECURITY_INFORMATION) {
        Selected->Owner = Stored->Owner;
        Selected->OwnerLength = Stored->OwnerLength;
        Selected->Control |= (USHORT)(Stored->Control & SE_OWNER_DEFAULTED);
    }
    if (Information & GROUP_SECURITY_INFORMATION) {
        Selected->Group = Stored->Group;
        Selected->GroupLength = Stored->GroupLength;
        Selected->Control |= (USHORT)(Stored->Control & SE_GROUP_DEFAULTED);
    }
    if (Information & DACL_SECURITY_INFORMATION) {
        Selected->Dacl = Stored->Dacl;
        Selected->DaclLength = Stored->DaclLength;
        Selected->Control |= (USHORT)(Stored->Control & LFS_DACL_CONTROL);
    }
    if (Information & SACL_SECURITY_INFORMATION) {
        Selected->Sacl = Stored->Sacl;
        Selected->SaclLength = Stored->SaclLength;
        Selected->Control |= (USHORT)(Stored->Control & LFS_SACL_CONTROL);
    }
}

/* The node a security request is about (the root for a volume open). */
static PLFS_NODE LfspSecurityNode(PLFS_VCB Vcb, LFS_OPEN_TYPE Type, PLFS_FCB Fcb)
{
    if (Type == LfsOpenVolume) {
        return Vcb->Root;
    }
    return Fcb->Node;
}

/*
 * IRP_MJ_QUERY_SECURITY: the requested components of the file's descriptor,
 * self-relative, into Irp->UserBuffer (or Irp->MdlAddress).
 */
NTSTATUS LfsFsdQuerySecurity(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION IrpSp = IoGetCurrentIrpStackLocation(Irp);
    PLFS_VCB Vcb = LfspVcbFromDevice(DeviceObject);
    SECURITY_INFORMATION Information = IrpSp->Parameters.QuerySecurity.SecurityInformation;
    ULONG Length = IrpSp->Parameters.QuerySecurity.Length;
    LFS_OPEN_TYPE Type;
    PLFS_FCB Fcb;
    PLFS_CCB Ccb;
    PLFS_NODE Node;
    LFS_SD_PARTS Stored;
    LFS_SD_PARTS Selected;
    ULONG Needed;
    PUCHAR Temporary = NULL;
    PVOID Buffer;
    BOOLEAN UserAddress;
    NTSTATUS Status;
    ULONG_PTR Result = 0;

    PAGED_CODE();
    if (Vcb == NULL) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
    Type = LfspDecodeFileObject(Vcb, IrpSp->FileObject, &Fcb, &Ccb);
    if (Type == LfsOpenUnknown) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_PARAMETER, 0);
    }
    LfspAcquireVcbShared(Vcb);
    Node = LfspSecurityNode(Vcb, Type, Fcb);
    Status = LfspSplitSelfRelative(Node->Security, Node->SecurityLength, &Stored);
    if (NT_SUCCESS(Status)) {
        LfspSelectParts(&Stored, Information, &Selected);
        Needed = LfspLayoutSelfRelative(&Selected, NULL);
        if (Needed > Length) {
            Status = STATUS_BUFFER_OVERFLOW;
            Result = Needed;
        } else {
            Temporary = ExAllocatePoolWithTag(PagedPool, Needed, LFS_TAG_TEMP);
            if (Temporary == NULL) {
                Status = STATUS_INSUFFICIENT_RESOURCES;
            } else {
                LfspLayoutSelfRelative(&Selected, Temporary);
                Result = Needed;
            }
        }
    }
    LfspReleaseVcb(Vcb);

    if (Temporary != NULL) {
        Status = LfspGetRequestBuffer(Irp, &Buffer, &UserAddress);
        if (NT_SUCCESS(Status)) {
            Status = LfspCopyToRequestBuffer(Buffer, UserAddress, Length, Temporary, Result);
        }
        if (!NT_SUCCESS(Status)) {
            Result = 0;
        }
        ExFreePoolWithTag(Temporary, LFS_TAG_TEMP);
    }
    return LfspCompleteRequest(Irp, Status, Result);
}

/*
 * IRP_MJ_SET_SECURITY: replaces the components named by SecurityInformation
 * with those of Parameters.SetSecurity.SecurityDescriptor (absolute or
 * self-relative).  The owner cannot be removed; a DACL/SACL absent from the
 * new descriptor is removed.
 */
NTSTATUS LfsFsdSetSecurity(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION IrpSp = IoGetCurrentIrpStackLocation(Irp);
    PLFS_VCB Vcb = LfspVcbFromDevice(DeviceObject);
    SECURITY_INFORMATION Information = IrpSp->Parameters.SetSecurity.SecurityInformation;
    LFS_OPEN_TYPE Type;
    PLFS_FCB Fcb;
    PLFS_CCB Ccb;
    PLFS_NODE Node;
    LFS_SD_PARTS Stored;
    LFS_SD_PARTS New;
    LFS_SD_PARTS Merged;
    PUCHAR Descriptor;
    ULONG DescriptorLength;
    NTSTATUS Status;

    PAGED_CODE();
    if (Vcb == NULL) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_DEVICE_REQUEST, 0);
    }
    Type = LfspDecodeFileObject(Vcb, IrpSp->FileObject, &Fcb, &Ccb);
    if (Type == LfsOpenUnknown) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_PARAMETER, 0);
    }
    Status = LfspSplitDescriptor(IrpSp->Parameters.SetSecurity.SecurityDescriptor, &New);
    if (!NT_SUCCESS(Status)) {
        return LfspCompleteRequest(Irp, Status, 0);
    }
    if ((Information & OWNER_SECURITY_INFORMATION) && New.Owner == NULL) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_OWNER, 0);
    }
    if ((Information & GROUP_SECURITY_INFORMATION) && New.Group == NULL) {
        return LfspCompleteRequest(Irp, STATUS_INVALID_PRIMARY_GROUP, 0);
    }

    LfspAcquireVcbExclusive(Vcb);
    Node = LfspSecurityNode(Vcb, Type, Fcb);
    Status = LfspSplitSelfRelative(Node->Security, Node->SecurityLength, &Stored);
    if (NT_SUCCESS(Status)) {
        Merged = Stored;
        if (Information & OWNER_SECURITY_INFORMATION) {
            Merged.Owner = New.Owner;
            Merged.OwnerLength = New.OwnerLength;
            Merged.Control = (USHORT)((Merged.Control & ~SE_OWNER_DEFAULTED) |
                                      (New.Control & SE_OWNER_DEFAULTED));
        }
        if (Information & GROUP_SECURITY_INFORMATION) {
            Merged.Group = New.Group;
            Merged.GroupLength = New.GroupLength;
            Merged.Control = (USHORT)((Merged.Control & ~SE_GROUP_DEFAULTED) |
                                      (New.Control & SE_GROUP_DEFAULTED));
        }
        if (Information & DACL_SECURITY_INFORMATION) {
            Merged.Dacl = New.Dacl;
            Merged.DaclLength = New.DaclLength;
            Merged.Control = (USHORT)((Merged.Control & ~LFS_DACL_CONTROL) |
                                      (New.Control & LFS_DACL_CONTROL));
            if (Information & PROTECTED_DACL_SECURITY_INFORMATION) {
                Merged.Control |= SE_DACL_PROTECTED;
            } else if (Information & UNPROTECTED_DACL_SECURITY_INFORMATION) {
                Merged.Control &= (USHORT)~SE_DACL_PROTECTED;
            }
        }
        if (Information & SACL_SECURITY_INFORMATION) {
            Merged.Sacl = New.Sacl;
            Merged.SaclLength = New.SaclLength;
            Merged.Control = (USHORT)((Merged.Control & ~LFS_SACL_CONTROL) |
                                      (New.Control & LFS_SACL_CONTROL));
            if (Information & PROTECTED_SACL_SECURITY_INFORMATION) {
                Merged.Control |= SE_SACL_PROTECTED;
            } else if (Information & UNPROTECTED_SACL_SECURITY_INFORMATION) {
                Merged.Control &= (USHORT)~SE_SACL_PROTECTED;
            }
        }
        Status = LfspAllocateSelfRelative(&Merged, &Descriptor, &DescriptorLength);
        if (NT_SUCCESS(Status)) {
            ExFreePoolWithTag(Node->Security, LFS_TAG_SECURITY);
            Node->Security = Descriptor;
            Node->SecurityLength = DescriptorLength;
            Node->ChangeTime = LfspNow();
        }
    }
    LfspReleaseVcb(Vcb);
    return LfspCompleteRequest(Irp, Status, 0);
}
