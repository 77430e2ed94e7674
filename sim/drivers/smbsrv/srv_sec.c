/*
 * srv_sec.c - smbsrv: security descriptors of the server's files: the
 * default one every new entry gets (the same as localfs': owner
 * BUILTIN\Administrators S-1-5-32-544, group SYSTEM S-1-5-18, a DACL
 * granting SYSTEM and Administrators FILE_ALL_ACCESS and Authenticated
 * Users S-1-5-11 modify rights; inheritable on directories, inherited below
 * the share root) and the selection of the components a QUERY_INFO for
 * security asks for, returned self-relative (header, SACL, DACL, owner,
 * group, each 4-byte aligned).
 */
#include "srvp.h"
#include <string.h>

#define SRV_SD_HEADER 20u

#ifndef SE_DACL_AUTO_INHERITED
#define SE_DACL_AUTO_INHERITED 0x0400
#endif
#ifndef SE_DACL_PROTECTED
#define SE_DACL_PROTECTED 0x1000
#endif
#ifndef SE_SACL_AUTO_INHERITED
#define SE_SACL_AUTO_INHERITED 0x0800
#endif
#ifndef SE_SACL_PROTECTED
#define SE_SACL_PROTECTED 0x2000
#endif

static void SrvpPut16(UCHAR *P, USHORT V)
{
    P[0] = (UCHAR)V;
    P[1] = (UCHAR)(V >> 8);
}

static void SrvpPut32(UCHAR *P, ULONG V)
{
    for (int I = 0; I < 4; I++)
        P[I] = (UCHAR)(V >> (8 * I));
}

static USHORT SrvpGet16(const UCHAR *P)
{
    return (USHORT)(P[0] | (P[1] << 8));
}

static ULONG SrvpGet32(const UCHAR *P)
{
    return (ULONG)P[0] | ((ULONG)P[1] << 8) | ((ULONG)P[2] << 16) | ((ULONG)P[3] << 24);
}

/* S-1-5-Rid1[-Rid2] */
static ULONG SrvpNtSid(UCHAR *Sid, ULONG Count, ULONG Rid1, ULONG Rid2)
{
    memset(Sid, 0, 16);
    Sid[0] = 1;
    Sid[1] = (UCHAR)Count;
    Sid[7] = 5;
    SrvpPut32(Sid + 8, Rid1);
    if (Count > 1)
        SrvpPut32(Sid + 12, Rid2);
    return 8 + 4 * Count;
}

static void SrvpAllowedAce(UCHAR *Acl, ULONG *Offset, UCHAR Flags, ULONG Mask, const UCHAR *Sid, ULONG SidLength)
{
    UCHAR *Ace = Acl + *Offset;
    Ace[0] = ACCESS_ALLOWED_ACE_TYPE;
    Ace[1] = Flags;
    SrvpPut16(Ace + 2, (USHORT)(8 + SidLength));
    SrvpPut32(Ace + 4, Mask);
    memcpy(Ace + 8, Sid, SidLength);
    *Offset += 8 + SidLength;
}

BOOLEAN SrvpDefaultSecurity(BOOLEAN Directory, BOOLEAN Root, UCHAR **Descriptor, ULONG *Length)
{
    UCHAR Admins[16], System[16], Users[16], Dacl[8 + 3 * (8 + 16)];
    ULONG AdminsLength = SrvpNtSid(Admins, 2, 32, 544);
    ULONG SystemLength = SrvpNtSid(System, 1, 18, 0);
    ULONG UsersLength = SrvpNtSid(Users, 1, 11, 0);
    ULONG DaclLength = 8;
    UCHAR Flags = 0;
    if (Directory)
        Flags |= OBJECT_INHERIT_ACE | CONTAINER_INHERIT_ACE;
    if (!Root)
        Flags |= INHERITED_ACE;
    SrvpAllowedAce(Dacl, &DaclLength, Flags, FILE_ALL_ACCESS, System, SystemLength);
    SrvpAllowedAce(Dacl, &DaclLength, Flags, FILE_ALL_ACCESS, Admins, AdminsLength);
    SrvpAllowedAce(Dacl, &DaclLength, Flags, FILE_GENERIC_READ | FILE_GENERIC_WRITE | FILE_GENERIC_EXECUTE | DELETE,
                   Users, UsersLength);
    Dacl[0] = ACL_REVISION;
    Dacl[1] = 0;
    SrvpPut16(Dacl + 2, (USHORT)DaclLength);
    SrvpPut16(Dacl + 4, 3);
    SrvpPut16(Dacl + 6, 0);

    ULONG Size = SRV_SD_HEADER + DaclLength + AdminsLength + SystemLength;
    UCHAR *Sd = calloc(1, Size);
    if (Sd == NULL)
        return FALSE;
    USHORT Control = SE_SELF_RELATIVE | SE_DACL_PRESENT | (Root ? 0 : SE_DACL_AUTO_INHERITED);
    Sd[0] = SECURITY_DESCRIPTOR_REVISION;
    SrvpPut16(Sd + 2, Control);
    ULONG Offset = SRV_SD_HEADER;
    SrvpPut32(Sd + 16, Offset); /* DACL */
    memcpy(Sd + Offset, Dacl, DaclLength);
    Offset += DaclLength;
    SrvpPut32(Sd + 4, Offset); /* owner */
    memcpy(Sd + Offset, Admins, AdminsLength);
    Offset += AdminsLength;
    SrvpPut32(Sd + 8, Offset); /* group */
    memcpy(Sd + Offset, System, SystemLength);
    *Descriptor = Sd;
    *Length = Size;
    return TRUE;
}

static ULONG SrvpSidLength(const UCHAR *Sid, ULONG Available)
{
    if (Available < 8 || Sid[0] != 1 || Sid[1] > 15)
        return 0;
    ULONG L = 8 + 4u * Sid[1];
    return L <= Available ? L : 0;
}

static ULONG SrvpAclLength(const UCHAR *Acl, ULONG Available)
{
    if (Available < 8)
        return 0;
    ULONG L = SrvpGet16(Acl + 2);
    return (L >= 8 && L <= Available) ? L : 0;
}

static ULONG SrvpAlign4(ULONG V)
{
    return (V + 3u) & ~3u;
}

ULONG SrvpSelectSecurity(const UCHAR *Stored, ULONG StoredLength, ULONG SecurityInformation, UCHAR *Out,
                         ULONG OutLength)
{
    const UCHAR *Parts[4] = {NULL, NULL, NULL, NULL}; /* SACL, DACL, owner, group (layout order) */
    ULONG Lengths[4] = {0, 0, 0, 0};
    USHORT Control, Selected = 0;
    if (Stored == NULL || StoredLength < SRV_SD_HEADER)
        return 0;
    Control = SrvpGet16(Stored + 2);
    ULONG OwnerOffset = SrvpGet32(Stored + 4), GroupOffset = SrvpGet32(Stored + 8);
    ULONG SaclOffset = SrvpGet32(Stored + 12), DaclOffset = SrvpGet32(Stored + 16);
    if ((SecurityInformation & SACL_SECURITY_INFORMATION) && (Control & SE_SACL_PRESENT)) {
        Selected |= (USHORT)(Control & (SE_SACL_PRESENT | SE_SACL_DEFAULTED | SE_SACL_AUTO_INHERITED |
                                        SE_SACL_PROTECTED));
        if (SaclOffset != 0 && SaclOffset < StoredLength) {
            Parts[0] = Stored + SaclOffset;
            Lengths[0] = SrvpAclLength(Parts[0], StoredLength - SaclOffset);
        }
    }
    if ((SecurityInformation & DACL_SECURITY_INFORMATION) && (Control & SE_DACL_PRESENT)) {
        Selected |= (USHORT)(Control & (SE_DACL_PRESENT | SE_DACL_DEFAULTED | SE_DACL_AUTO_INHERITED |
                                        SE_DACL_PROTECTED));
        if (DaclOffset != 0 && DaclOffset < StoredLength) {
            Parts[1] = Stored + DaclOffset;
            Lengths[1] = SrvpAclLength(Parts[1], StoredLength - DaclOffset);
        }
    }
    if ((SecurityInformation & OWNER_SECURITY_INFORMATION) && OwnerOffset != 0 && OwnerOffset < StoredLength) {
        Parts[2] = Stored + OwnerOffset;
        Lengths[2] = SrvpSidLength(Parts[2], StoredLength - OwnerOffset);
        Selected |= (USHORT)(Control & SE_OWNER_DEFAULTED);
    }
    if ((SecurityInformation & GROUP_SECURITY_INFORMATION) && GroupOffset != 0 && GroupOffset < StoredLength) {
        Parts[3] = Stored + GroupOffset;
        Lengths[3] = SrvpSidLength(Parts[3], StoredLength - GroupOffset);
        Selected |= (USHORT)(Control & SE_GROUP_DEFAULTED);
    }
    ULONG Offsets[4] = {0, 0, 0, 0};
    ULONG Size = SRV_SD_HEADER;
    for (int I = 0; I < 4; I++) {
        if (Parts[I] != NULL && Lengths[I] == 0)
            return 0; /* malformed */
        if (Parts[I] != NULL) {
            Offsets[I] = Size;
            Size = SrvpAlign4(Size + Lengths[I]);
        }
    }
    if (Out == NULL || OutLength < Size)
        return Size;
    memset(Out, 0, Size);
    Out[0] = SECURITY_DESCRIPTOR_REVISION;
    SrvpPut16(Out + 2, (USHORT)(Selected | SE_SELF_RELATIVE));
    SrvpPut32(Out + 12, Offsets[0]);
    SrvpPut32(Out + 16, Offsets[1]);
    SrvpPut32(Out + 4, Offsets[2]);
    SrvpPut32(Out + 8, Offsets[3]);
    for (int I = 0; I < 4; I++)
        if (Parts[I] != NULL)
            memcpy(Out + Offsets[I], Parts[I], Lengths[I]);
    return Size;
}
