/*
 * scn_names.c - names the scenario language accepts and their Windows values.
 *
 * Values are those of the Windows SDK/WDK headers and the Microsoft
 * documentation (ntstatus.h, wdm.h FILE_INFORMATION_CLASS, winnt.h access
 * rights and file attributes, ntifs.h create options, verifier.exe /flags).
 */
#include <string.h>

#include "scn_int.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* --- case-insensitive helpers -------------------------------------------------- */

static char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

int scn_ieqn(const char *a, size_t alen, const char *b)
{
    size_t blen = strlen(b);
    if (alen != blen)
        return 0;
    for (size_t i = 0; i < alen; i++)
        if (lower(a[i]) != lower(b[i]))
            return 0;
    return 1;
}

int scn_ieq(const char *a, const char *b)
{
    return scn_ieqn(a, strlen(a), b);
}

/* --- enumerations and flags ---------------------------------------------------- */

static const scn_name_value access_items[] = {
    { "read", 0x00000001 },             /* FILE_READ_DATA */
    { "list", 0x00000001 },             /* FILE_LIST_DIRECTORY */
    { "write", 0x00000002 },            /* FILE_WRITE_DATA */
    { "append", 0x00000004 },           /* FILE_APPEND_DATA */
    { "read-ea", 0x00000008 },          /* FILE_READ_EA */
    { "write-ea", 0x00000010 },         /* FILE_WRITE_EA */
    { "execute", 0x00000020 },          /* FILE_EXECUTE */
    { "traverse", 0x00000020 },         /* FILE_TRAVERSE */
    { "delete-child", 0x00000040 },     /* FILE_DELETE_CHILD */
    { "read-attributes", 0x00000080 },  /* FILE_READ_ATTRIBUTES */
    { "write-attributes", 0x00000100 }, /* FILE_WRITE_ATTRIBUTES */
    { "delete", 0x00010000 },           /* DELETE */
    { "read-control", 0x00020000 },     /* READ_CONTROL */
    { "write-dac", 0x00040000 },        /* WRITE_DAC */
    { "write-owner", 0x00080000 },      /* WRITE_OWNER */
    { "synchronize", 0x00100000 },      /* SYNCHRONIZE */
    { "generic-read", 0x80000000 },     /* GENERIC_READ */
    { "generic-write", 0x40000000 },    /* GENERIC_WRITE */
    { "generic-execute", 0x20000000 },  /* GENERIC_EXECUTE */
    { "generic-all", 0x10000000 },      /* GENERIC_ALL */
    { "all", 0x001F01FF },              /* FILE_ALL_ACCESS */
};
const scn_table scn_tab_access = { "access", access_items, COUNT(access_items), 1 };

static const scn_name_value share_items[] = {
    { "read", 0x1 },   /* FILE_SHARE_READ */
    { "write", 0x2 },  /* FILE_SHARE_WRITE */
    { "delete", 0x4 }, /* FILE_SHARE_DELETE */
    { "none", 0x0 },
};
const scn_table scn_tab_share = { "share", share_items, COUNT(share_items), 1 };

static const scn_name_value disposition_items[] = {
    { "supersede", 0 },    /* FILE_SUPERSEDE */
    { "open", 1 },         /* FILE_OPEN */
    { "create", 2 },       /* FILE_CREATE */
    { "open-if", 3 },      /* FILE_OPEN_IF */
    { "overwrite", 4 },    /* FILE_OVERWRITE */
    { "overwrite-if", 5 }, /* FILE_OVERWRITE_IF */
};
const scn_table scn_tab_disposition = { "disposition", disposition_items, COUNT(disposition_items), 1 };

static const scn_name_value options_items[] = {
    { "directory", 0x00000001 },       /* FILE_DIRECTORY_FILE */
    { "write-through", 0x00000002 },   /* FILE_WRITE_THROUGH */
    { "sequential", 0x00000004 },      /* FILE_SEQUENTIAL_ONLY */
    { "no-buffering", 0x00000008 },    /* FILE_NO_INTERMEDIATE_BUFFERING */
    { "non-directory", 0x00000040 },   /* FILE_NON_DIRECTORY_FILE */
    { "random-access", 0x00000800 },   /* FILE_RANDOM_ACCESS */
    { "delete-on-close", 0x00001000 }, /* FILE_DELETE_ON_CLOSE */
    { "open-by-id", 0x00002000 },      /* FILE_OPEN_BY_FILE_ID */
    { "backup", 0x00004000 },          /* FILE_OPEN_FOR_BACKUP_INTENT */
    { "reparse-point", 0x00200000 },   /* FILE_OPEN_REPARSE_POINT */
};
const scn_table scn_tab_options = { "options", options_items, COUNT(options_items), 1 };

static const scn_name_value attributes_items[] = {
    { "readonly", 0x001 },  /* FILE_ATTRIBUTE_READONLY */
    { "hidden", 0x002 },    /* FILE_ATTRIBUTE_HIDDEN */
    { "system", 0x004 },    /* FILE_ATTRIBUTE_SYSTEM */
    { "directory", 0x010 }, /* FILE_ATTRIBUTE_DIRECTORY */
    { "archive", 0x020 },   /* FILE_ATTRIBUTE_ARCHIVE */
    { "normal", 0x080 },    /* FILE_ATTRIBUTE_NORMAL */
    { "temporary", 0x100 }, /* FILE_ATTRIBUTE_TEMPORARY */
};
const scn_table scn_tab_attributes = { "attributes", attributes_items, COUNT(attributes_items), 1 };

/* verifier.exe /flags bits; "standard" is /standard: special pool, IRQL
 * checking, pool tracking, I/O verification, deadlock detection, DMA
 * verification, security checks, miscellaneous checks, DDI compliance. */
static const scn_name_value verifier_items[] = {
    { "special-pool", 0x00000001 },
    { "irql", 0x00000002 },
    { "pool-tracking", 0x00000008 },
    { "io", 0x00000010 },
    { "deadlock", 0x00000020 },
    { "enhanced-io", 0x00000040 },
    { "misc", 0x00000800 },
    { "standard", 0x000209BB },
    { "none", 0x00000000 },
};
const scn_table scn_tab_verifier = { "verifier", verifier_items, COUNT(verifier_items), 1 };

/* FILE_DISPOSITION_INFORMATION_EX.Flags */
static const scn_name_value dispex_items[] = {
    { "do-not-delete", 0x00 },             /* FILE_DISPOSITION_DO_NOT_DELETE */
    { "delete", 0x01 },                    /* FILE_DISPOSITION_DELETE */
    { "posix-semantics", 0x02 },           /* FILE_DISPOSITION_POSIX_SEMANTICS */
    { "force-image-section-check", 0x04 }, /* FILE_DISPOSITION_FORCE_IMAGE_SECTION_CHECK */
    { "on-close", 0x08 },                  /* FILE_DISPOSITION_ON_CLOSE */
    { "ignore-readonly-attribute", 0x10 }, /* FILE_DISPOSITION_IGNORE_READONLY_ATTRIBUTE */
};
const scn_table scn_tab_dispex = { "flags", dispex_items, COUNT(dispex_items), 1 };

/* The directory information classes `list class=` takes by short name. */
static const scn_name_value dirclass_items[] = {
    { "Directory", 1 }, /* FileDirectoryInformation */
    { "Full", 2 },      /* FileFullDirectoryInformation */
    { "Both", 3 },      /* FileBothDirectoryInformation */
    { "Names", 12 },    /* FileNamesInformation */
    { "IdBoth", 37 },   /* FileIdBothDirectoryInformation */
    { "IdFull", 38 },   /* FileIdFullDirectoryInformation */
};
const scn_table scn_tab_dirclass = { "directory class", dirclass_items, COUNT(dirclass_items), 0 };

/* SECURITY_INFORMATION bits (winnt.h) */
static const scn_name_value secinfo_items[] = {
    { "owner", 0x00000001 },     /* OWNER_SECURITY_INFORMATION */
    { "group", 0x00000002 },     /* GROUP_SECURITY_INFORMATION */
    { "dacl", 0x00000004 },      /* DACL_SECURITY_INFORMATION */
    { "sacl", 0x00000008 },      /* SACL_SECURITY_INFORMATION */
    { "label", 0x00000010 },     /* LABEL_SECURITY_INFORMATION */
    { "attribute", 0x00000020 }, /* ATTRIBUTE_SECURITY_INFORMATION */
    { "scope", 0x00000040 },     /* SCOPE_SECURITY_INFORMATION */
    { "backup", 0x00010000 },    /* BACKUP_SECURITY_INFORMATION */
};
const scn_table scn_tab_secinfo = { "security information", secinfo_items, COUNT(secinfo_items), 1 };

static const scn_name_value volkind_items[] = {
    { "local", 0 },
    { "remote", 1 },
};
const scn_table scn_tab_volkind = { "volume kind", volkind_items, COUNT(volkind_items), 0 };

static const scn_name_value objkind_items[] = {
    { "irp", SCN_OBJ_IRP },
    { "mdl", SCN_OBJ_MDL },
    { "process", SCN_OBJ_PROCESS },
    { "thread", SCN_OBJ_THREAD },
    { "file", SCN_OBJ_FILE },
    { "device", SCN_OBJ_DEVICE },
    { "driver", SCN_OBJ_DRIVER },
    { "pool", SCN_OBJ_POOL },
    { "eresource", SCN_OBJ_ERESOURCE },
    { "context", SCN_OBJ_CONTEXT },
    { "callback-data", SCN_OBJ_CALLBACK_DATA },
};
const scn_table scn_tab_objkind = { "object kind", objkind_items, COUNT(objkind_items), 0 };

int scn_table_lookup(const scn_table *t, const char *name, size_t len, uint64_t *value)
{
    for (size_t i = 0; i < t->count; i++) {
        if (scn_ieqn(name, len, t->items[i].name)) {
            *value = t->items[i].value;
            return 1;
        }
    }
    return 0;
}

void scn_table_list(const scn_table *t, char *buf, size_t size)
{
    size_t used = 0;
    if (size)
        buf[0] = '\0';
    for (size_t i = 0; i < t->count && used < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", t->items[i].name);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

const char *scn_objkind_name(int kind)
{
    for (size_t i = 0; i < COUNT(objkind_items); i++)
        if ((int)objkind_items[i].value == kind)
            return objkind_items[i].name;
    return NULL;
}

/* --- NTSTATUS -------------------------------------------------------------------- */

typedef struct status_name {
    const char *name;
    uint32_t value;
} status_name;

static const status_name statuses[] = {
    { "STATUS_SUCCESS", 0x00000000 },
    { "STATUS_ALERTED", 0x00000101 },
    { "STATUS_TIMEOUT", 0x00000102 },
    { "STATUS_PENDING", 0x00000103 },
    { "STATUS_REPARSE", 0x00000104 },
    { "STATUS_MORE_ENTRIES", 0x00000105 },
    { "STATUS_NOTIFY_ENUM_DIR", 0x0000010C },
    { "STATUS_OBJECT_NAME_EXISTS", 0x40000000 },
    { "STATUS_DATATYPE_MISALIGNMENT", 0x80000002 },
    { "STATUS_BUFFER_OVERFLOW", 0x80000005 },
    { "STATUS_NO_MORE_FILES", 0x80000006 },
    { "STATUS_NO_MORE_ENTRIES", 0x8000001A },
    { "STATUS_UNSUCCESSFUL", 0xC0000001 },
    { "STATUS_NOT_IMPLEMENTED", 0xC0000002 },
    { "STATUS_INVALID_INFO_CLASS", 0xC0000003 },
    { "STATUS_INFO_LENGTH_MISMATCH", 0xC0000004 },
    { "STATUS_ACCESS_VIOLATION", 0xC0000005 },
    { "STATUS_INVALID_HANDLE", 0xC0000008 },
    { "STATUS_NO_SUCH_DEVICE", 0xC000000E },
    { "STATUS_INVALID_PARAMETER", 0xC000000D },
    { "STATUS_NO_SUCH_FILE", 0xC000000F },
    { "STATUS_INVALID_DEVICE_REQUEST", 0xC0000010 },
    { "STATUS_END_OF_FILE", 0xC0000011 },
    { "STATUS_NO_MEMORY", 0xC0000017 },
    { "STATUS_ACCESS_DENIED", 0xC0000022 },
    { "STATUS_BUFFER_TOO_SMALL", 0xC0000023 },
    { "STATUS_OBJECT_TYPE_MISMATCH", 0xC0000024 },
    { "STATUS_OBJECT_NAME_INVALID", 0xC0000033 },
    { "STATUS_OBJECT_NAME_NOT_FOUND", 0xC0000034 },
    { "STATUS_OBJECT_NAME_COLLISION", 0xC0000035 },
    { "STATUS_OBJECT_PATH_INVALID", 0xC0000039 },
    { "STATUS_OBJECT_PATH_NOT_FOUND", 0xC000003A },
    { "STATUS_SHARING_VIOLATION", 0xC0000043 },
    { "STATUS_FILE_LOCK_CONFLICT", 0xC0000054 },
    { "STATUS_LOCK_NOT_GRANTED", 0xC0000055 },
    { "STATUS_DELETE_PENDING", 0xC0000056 },
    { "STATUS_PRIVILEGE_NOT_HELD", 0xC0000061 },
    { "STATUS_PROCEDURE_NOT_FOUND", 0xC000007A },
    { "STATUS_INVALID_IMAGE_FORMAT", 0xC000007B },
    { "STATUS_DISK_FULL", 0xC000007F },
    { "STATUS_INSUFFICIENT_RESOURCES", 0xC000009A },
    { "STATUS_MEDIA_WRITE_PROTECTED", 0xC00000A2 },
    { "STATUS_IO_TIMEOUT", 0xC00000B5 },
    { "STATUS_FILE_IS_A_DIRECTORY", 0xC00000BA },
    { "STATUS_NOT_SUPPORTED", 0xC00000BB },
    { "STATUS_BAD_NETWORK_PATH", 0xC00000BE },
    { "STATUS_NETWORK_NAME_DELETED", 0xC00000C9 },
    { "STATUS_BAD_NETWORK_NAME", 0xC00000CC },
    { "STATUS_NOT_SAME_DEVICE", 0xC00000D4 },
    { "STATUS_INVALID_USER_BUFFER", 0xC00000E8 },
    { "STATUS_STACK_OVERFLOW", 0xC00000FD },
    { "STATUS_DIRECTORY_NOT_EMPTY", 0xC0000101 },
    { "STATUS_NOT_A_DIRECTORY", 0xC0000103 },
    { "STATUS_NAME_TOO_LONG", 0xC0000106 },
    { "STATUS_IMAGE_ALREADY_LOADED", 0xC000010E },
    { "STATUS_CANCELLED", 0xC0000120 },
    { "STATUS_CANNOT_DELETE", 0xC0000121 },
    { "STATUS_FILE_DELETED", 0xC0000123 },
    { "STATUS_FILE_CLOSED", 0xC0000128 },
    { "STATUS_DLL_NOT_FOUND", 0xC0000135 },
    { "STATUS_ENTRYPOINT_NOT_FOUND", 0xC0000139 },
    { "STATUS_INVALID_DEVICE_STATE", 0xC0000184 },
    { "STATUS_CONNECTION_DISCONNECTED", 0xC000020C },
    { "STATUS_NOT_FOUND", 0xC0000225 },
    { "STATUS_DRIVER_ENTRYPOINT_NOT_FOUND", 0xC0000263 },
    { "STATUS_FLT_NO_HANDLER_DEFINED", 0xC01C0001 },
    { "STATUS_FLT_CONTEXT_ALREADY_DEFINED", 0xC01C0002 },
    { "STATUS_FLT_INVALID_ASYNCHRONOUS_REQUEST", 0xC01C0003 },
    { "STATUS_FLT_DISALLOW_FAST_IO", 0xC01C0004 },
    { "STATUS_FLT_INVALID_NAME_REQUEST", 0xC01C0005 },
    { "STATUS_FLT_NOT_SAFE_TO_POST_OPERATION", 0xC01C0006 },
    { "STATUS_FLT_NOT_INITIALIZED", 0xC01C0007 },
    { "STATUS_FLT_FILTER_NOT_READY", 0xC01C0008 },
    { "STATUS_FLT_POST_OPERATION_CLEANUP", 0xC01C0009 },
    { "STATUS_FLT_INTERNAL_ERROR", 0xC01C000A },
    { "STATUS_FLT_DELETING_OBJECT", 0xC01C000B },
    { "STATUS_FLT_MUST_BE_NONPAGED_POOL", 0xC01C000C },
    { "STATUS_FLT_DUPLICATE_ENTRY", 0xC01C000D },
    { "STATUS_FLT_CBDQ_DISABLED", 0xC01C000E },
    { "STATUS_FLT_DO_NOT_ATTACH", 0xC01C000F },
    { "STATUS_FLT_DO_NOT_DETACH", 0xC01C0010 },
    { "STATUS_FLT_INSTANCE_ALTITUDE_COLLISION", 0xC01C0011 },
    { "STATUS_FLT_INSTANCE_NAME_COLLISION", 0xC01C0012 },
    { "STATUS_FLT_FILTER_NOT_FOUND", 0xC01C0013 },
    { "STATUS_FLT_VOLUME_NOT_FOUND", 0xC01C0014 },
    { "STATUS_FLT_INSTANCE_NOT_FOUND", 0xC01C0015 },
    { "STATUS_FLT_CONTEXT_ALLOCATION_NOT_FOUND", 0xC01C0016 },
    { "STATUS_FLT_INVALID_CONTEXT_REGISTRATION", 0xC01C0017 },
    { "STATUS_FLT_NAME_CACHE_MISS", 0xC01C0018 },
    { "STATUS_FLT_NO_DEVICE_OBJECT", 0xC01C0019 },
    { "STATUS_FLT_VOLUME_ALREADY_MOUNTED", 0xC01C001A },
};

int scn_status_lookup_n(const char *name, size_t len, uint32_t *value)
{
    for (size_t i = 0; i < COUNT(statuses); i++) {
        if (scn_ieqn(name, len, statuses[i].name)) {
            *value = statuses[i].value;
            return 1;
        }
    }
    return 0;
}

int scn_status_lookup(const char *name, uint32_t *value)
{
    return scn_status_lookup_n(name, strlen(name), value);
}

const char *scn_status_name(uint32_t value)
{
    for (size_t i = 0; i < COUNT(statuses); i++)
        if (statuses[i].value == value)
            return statuses[i].name;
    return NULL;
}

/* --- FILE_INFORMATION_CLASS -------------------------------------------------------- */

static const status_name info_classes[] = {
    { "FileDirectoryInformation", 1 },
    { "FileFullDirectoryInformation", 2 },
    { "FileBothDirectoryInformation", 3 },
    { "FileBasicInformation", 4 },
    { "FileStandardInformation", 5 },
    { "FileInternalInformation", 6 },
    { "FileEaInformation", 7 },
    { "FileAccessInformation", 8 },
    { "FileNameInformation", 9 },
    { "FileRenameInformation", 10 },
    { "FileLinkInformation", 11 },
    { "FileNamesInformation", 12 },
    { "FileDispositionInformation", 13 },
    { "FilePositionInformation", 14 },
    { "FileFullEaInformation", 15 },
    { "FileModeInformation", 16 },
    { "FileAlignmentInformation", 17 },
    { "FileAllInformation", 18 },
    { "FileAllocationInformation", 19 },
    { "FileEndOfFileInformation", 20 },
    { "FileAlternateNameInformation", 21 },
    { "FileStreamInformation", 22 },
    { "FilePipeInformation", 23 },
    { "FilePipeLocalInformation", 24 },
    { "FilePipeRemoteInformation", 25 },
    { "FileMailslotQueryInformation", 26 },
    { "FileMailslotSetInformation", 27 },
    { "FileCompressionInformation", 28 },
    { "FileObjectIdInformation", 29 },
    { "FileCompletionInformation", 30 },
    { "FileMoveClusterInformation", 31 },
    { "FileQuotaInformation", 32 },
    { "FileReparsePointInformation", 33 },
    { "FileNetworkOpenInformation", 34 },
    { "FileAttributeTagInformation", 35 },
    { "FileTrackingInformation", 36 },
    { "FileIdBothDirectoryInformation", 37 },
    { "FileIdFullDirectoryInformation", 38 },
    { "FileValidDataLengthInformation", 39 },
    { "FileShortNameInformation", 40 },
    { "FileIoCompletionNotificationInformation", 41 },
    { "FileIoStatusBlockRangeInformation", 42 },
    { "FileIoPriorityHintInformation", 43 },
    { "FileSfioReserveInformation", 44 },
    { "FileSfioVolumeInformation", 45 },
    { "FileHardLinkInformation", 46 },
    { "FileStandardLinkInformation", 54 },
    { "FileRemoteProtocolInformation", 55 },
    { "FileVolumeNameInformation", 58 },
    { "FileIdInformation", 59 },
    { "FileIdExtdDirectoryInformation", 60 },
    { "FileHardLinkFullIdInformation", 62 },
    { "FileIdExtdBothDirectoryInformation", 63 },
    { "FileDispositionInformationEx", 64 },
    { "FileRenameInformationEx", 65 },
    { "FileStatInformation", 68 },
    { "FileCaseSensitiveInformation", 71 },
    { "FileLinkInformationEx", 72 },
};

/* "FileXxxInformation[Ex]" matches "Xxx[Ex]", "XxxInformation[Ex]", "FileXxx[Ex]"
 * and itself, case-insensitively. */
static int class_matches(const char *full, const char *s, size_t len)
{
    if (scn_ieqn(s, len, full))
        return 1;
    const char *core = full + 4; /* skip "File" */
    const char *info = strstr(core, "Information");
    if (!info)
        return 0;
    size_t corelen = (size_t)(info - core);
    const char *suffix = info + strlen("Information"); /* "" or "Ex" */
    char buf[96];
    /* Xxx[Ex] */
    snprintf(buf, sizeof(buf), "%.*s%s", (int)corelen, core, suffix);
    if (scn_ieqn(s, len, buf))
        return 1;
    /* XxxInformation[Ex] */
    if (scn_ieqn(s, len, core))
        return 1;
    /* FileXxx[Ex] */
    snprintf(buf, sizeof(buf), "File%.*s%s", (int)corelen, core, suffix);
    return scn_ieqn(s, len, buf);
}

int scn_info_class_lookup_n(const char *name, size_t len, uint32_t *value)
{
    for (size_t i = 0; i < COUNT(info_classes); i++) {
        if (class_matches(info_classes[i].name, name, len)) {
            *value = info_classes[i].value;
            return 1;
        }
    }
    return 0;
}

int scn_info_class_lookup(const char *name, uint32_t *value)
{
    return scn_info_class_lookup_n(name, strlen(name), value);
}

const char *scn_info_class_name(uint32_t value)
{
    for (size_t i = 0; i < COUNT(info_classes); i++)
        if (info_classes[i].value == value)
            return info_classes[i].name;
    return NULL;
}

/* --- verbs ------------------------------------------------------------------------ */

static const char *const verb_names[SCN_VERB_COUNT] = {
    [SCN_VERB_INVALID] = "(invalid)",
    [SCN_VERB_MACHINE] = "machine",
    [SCN_VERB_VOLUME] = "volume",
    [SCN_VERB_DIR] = "dir",
    [SCN_VERB_FILE] = "file",
    [SCN_VERB_DRIVER] = "driver",
    [SCN_VERB_INSTANCE] = "instance",
    [SCN_VERB_PARAM] = "param",
    [SCN_VERB_LOAD] = "load",
    [SCN_VERB_UNLOAD] = "unload",
    [SCN_VERB_PROCESS] = "process",
    [SCN_VERB_ADVANCE] = "advance",
    [SCN_VERB_OPEN] = "open",
    [SCN_VERB_READ] = "read",
    [SCN_VERB_MAP] = "map",
    [SCN_VERB_WRITE] = "write",
    [SCN_VERB_QUERY] = "query",
    [SCN_VERB_SET] = "set",
    [SCN_VERB_QUERY_SECURITY] = "query-security",
    [SCN_VERB_LIST] = "list",
    [SCN_VERB_CLOSE] = "close",
    [SCN_VERB_COPY] = "copy",
    [SCN_VERB_SERVE] = "serve",
    [SCN_VERB_EXIT] = "exit",
    [SCN_VERB_EXPECT_BUGCHECK] = "expect bugcheck",
    [SCN_VERB_EXPECT_NO_BUGCHECK] = "expect no-bugcheck",
    [SCN_VERB_EXPECT_HANG] = "expect hang",
    [SCN_VERB_EXPECT_LOG] = "expect log",
    [SCN_VERB_EXPECT_NO_LOG] = "expect no-log",
    [SCN_VERB_EXPECT_LOG_COUNT] = "expect log-count",
    [SCN_VERB_EXPECT_REPORT] = "expect report",
    [SCN_VERB_EXPECT_NO_LEAKS] = "expect no-leaks",
    [SCN_VERB_EXPECT_HEADROOM] = "expect headroom",
};

const char *scn_verb_name(scn_verb verb)
{
    if ((int)verb < 0 || verb >= SCN_VERB_COUNT)
        return verb_names[SCN_VERB_INVALID];
    return verb_names[verb];
}

/* --- data pattern ------------------------------------------------------------------- */

void scn_fill_pattern(void *buffer, size_t length)
{
    unsigned char *p = buffer;
    for (size_t i = 0; i < length; i++)
        p[i] = (unsigned char)('a' + i % 26);
}
