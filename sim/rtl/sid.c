/*
 * sid.c - fltsim Rtl: sizes and validity of security identifiers and
 * descriptors (RtlValidSid, RtlLengthSid, RtlLengthSecurityDescriptor).  A
 * self-relative descriptor's length runs to the end of its last part; an
 * absolute one is the header plus each part's length.
 */
#include "rtlp.h"

BOOLEAN NTAPI RtlValidSid(PSID Sid)
{
    PISID S = Sid;
    return S != NULL && S->Revision == SID_REVISION && S->SubAuthorityCount <= SID_MAX_SUB_AUTHORITIES;
}

ULONG NTAPI RtlLengthSid(PSID Sid)
{
    PISID S = Sid;
    return (ULONG)(FIELD_OFFSET(SID, SubAuthority) + S->SubAuthorityCount * sizeof(ULONG));
}

static ULONG RtlpAclLength(PACL Acl)
{
    return Acl != NULL ? Acl->AclSize : 0;
}

ULONG NTAPI RtlLengthSecurityDescriptor(PSECURITY_DESCRIPTOR SecurityDescriptor)
{
    PISECURITY_DESCRIPTOR Sd = SecurityDescriptor;
    if (Sd->Control & SE_SELF_RELATIVE) {
        PISECURITY_DESCRIPTOR_RELATIVE R = SecurityDescriptor;
        PUCHAR Base = (PUCHAR)R;
        ULONG End = sizeof(SECURITY_DESCRIPTOR_RELATIVE), Part;
        if (R->Owner && (Part = R->Owner + RtlLengthSid(Base + R->Owner)) > End)
            End = Part;
        if (R->Group && (Part = R->Group + RtlLengthSid(Base + R->Group)) > End)
            End = Part;
        if ((R->Control & SE_SACL_PRESENT) && R->Sacl && (Part = R->Sacl + RtlpAclLength((PACL)(Base + R->Sacl))) > End)
            End = Part;
        if ((R->Control & SE_DACL_PRESENT) && R->Dacl && (Part = R->Dacl + RtlpAclLength((PACL)(Base + R->Dacl))) > End)
            End = Part;
        return End;
    }
    return (ULONG)sizeof(SECURITY_DESCRIPTOR) + (Sd->Owner ? RtlLengthSid(Sd->Owner) : 0) +
           (Sd->Group ? RtlLengthSid(Sd->Group) : 0) + ((Sd->Control & SE_SACL_PRESENT) ? RtlpAclLength(Sd->Sacl) : 0) +
           ((Sd->Control & SE_DACL_PRESENT) ? RtlpAclLength(Sd->Dacl) : 0);
}
