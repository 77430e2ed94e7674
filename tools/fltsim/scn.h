/*
 * scn.h - scenario scripts: the syntax tree the front end produces and the
 * executor consumes.
 *
 * A script is read, split into tokens (scn_lex.c), grouped into statements
 * (scn_parse.c) and checked (scn_validate.c) in one pass, line by line.  A
 * script that loads without errors is fully decoded: every argument already
 * carries its value (numbers, sizes, durations in nanoseconds, NTSTATUS
 * values, enumerations and flag masks with their Windows values), every
 * optional argument that has a default is present with `is_default` set, and
 * names are resolved to indices (processes, services, handle slots).  The
 * executor never parses text again: it uses the accessors at the end of this
 * file.
 *
 * The language is described for users in docs/scenario-language.md.
 */
#ifndef FLTSIM_SCN_H
#define FLTSIM_SCN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

struct scn_diag;

/* A position in a script: 1-based line and column (columns count bytes). */
typedef struct scn_pos {
    const char *file;
    uint32_t line;
    uint32_t col;
} scn_pos;

typedef enum scn_verb {
    SCN_VERB_INVALID = 0,
    /* machine and world */
    SCN_VERB_MACHINE,
    SCN_VERB_VOLUME,
    SCN_VERB_DIR,
    SCN_VERB_FILE,
    SCN_VERB_DRIVER,
    SCN_VERB_INSTANCE,
    SCN_VERB_PARAM,
    SCN_VERB_LOAD,
    SCN_VERB_UNLOAD,
    SCN_VERB_PROCESS,
    SCN_VERB_ADVANCE,
    /* process operations (need an actor: "P1: open ...") */
    SCN_VERB_OPEN,
    SCN_VERB_READ,
    SCN_VERB_MAP,
    SCN_VERB_WRITE,
    SCN_VERB_QUERY,
    SCN_VERB_SET,
    SCN_VERB_QUERY_SECURITY,
    SCN_VERB_LIST,
    SCN_VERB_CLOSE,
    SCN_VERB_COPY,
    SCN_VERB_SERVE,
    SCN_VERB_EXIT,
    /* expectations ("expect KIND ...") */
    SCN_VERB_EXPECT_BUGCHECK,
    SCN_VERB_EXPECT_NO_BUGCHECK,
    SCN_VERB_EXPECT_HANG,
    SCN_VERB_EXPECT_LOG,
    SCN_VERB_EXPECT_NO_LOG,
    SCN_VERB_EXPECT_LOG_COUNT,
    SCN_VERB_EXPECT_REPORT,
    SCN_VERB_EXPECT_NO_LEAKS,
    SCN_VERB_EXPECT_HEADROOM,
    SCN_VERB_COUNT
} scn_verb;

#define SCN_VERB_IS_PROCESS_OP(v) ((v) >= SCN_VERB_OPEN && (v) <= SCN_VERB_EXIT)
#define SCN_VERB_IS_EXPECT(v) ((v) >= SCN_VERB_EXPECT_BUGCHECK && (v) <= SCN_VERB_EXPECT_HEADROOM)

/* What an argument's value was decoded as (scn_arg.type). */
typedef enum scn_type {
    SCN_T_TEXT = 0,   /* free text; see .text */
    SCN_T_IDENT,      /* a name: process, handle */
    SCN_T_SERVICE,    /* a service name (letters, digits, _ - .) */
    SCN_T_PATH,       /* a Windows path on a declared volume */
    SCN_T_VOLUME,     /* "C:" or "\\server\share" */
    SCN_T_IMAGE,      /* a driver image on the host; .resolved is the path found */
    SCN_T_NUMBER,     /* .u */
    SCN_T_U32,        /* .u, fits in 32 bits */
    SCN_T_SIZE,       /* .u in bytes (K/M/G suffixes accepted) */
    SCN_T_SIZE32,     /* a size that fits in 32 bits (a Length) */
    SCN_T_DURATION,   /* .u in nanoseconds */
    SCN_T_BOOL,       /* .u is 0 or 1 */
    SCN_T_STATUS,     /* .u is an NTSTATUS */
    SCN_T_ENUM,       /* .u is the enumeration's Windows value */
    SCN_T_FLAGS,      /* .u is the OR of the items' Windows values */
    SCN_T_INFO_CLASS, /* .u is a FILE_INFORMATION_CLASS value */
    SCN_T_ALTITUDE,   /* a decimal altitude string, e.g. "370030.5"; see .text */
    SCN_T_BUGCHECK_ARG, /* .u is a number, or .kind != SCN_OBJ_NONE */
    SCN_T_REG_VALUE   /* param: .kind is SCN_REG_DWORD (.u) or SCN_REG_SZ (.text) */
} scn_type;

/* Object kinds an `expect bugcheck` argument can name (scn_arg.kind). */
typedef enum scn_objkind {
    SCN_OBJ_NONE = 0,
    SCN_OBJ_IRP,
    SCN_OBJ_MDL,
    SCN_OBJ_PROCESS,
    SCN_OBJ_THREAD,
    SCN_OBJ_FILE,
    SCN_OBJ_DEVICE,
    SCN_OBJ_DRIVER,
    SCN_OBJ_POOL,
    SCN_OBJ_ERESOURCE,
    SCN_OBJ_CONTEXT,
    SCN_OBJ_CALLBACK_DATA,
    SCN_OBJ_COUNT
} scn_objkind;

/* Registry value types of a `param` value (scn_arg.kind); Windows' numbers. */
#define SCN_REG_SZ 1
#define SCN_REG_DWORD 4

typedef struct scn_arg {
    const char *key;      /* named argument: its key as written; NULL when positional */
    const char *text;     /* the value: a string's contents (no quotes) or the word */
    size_t len;           /* strlen(text) */
    int quoted;           /* the value was written as a "string" */
    int is_default;       /* not in the script: a default the validator filled in */
    scn_pos pos;          /* the token (for key=value: the key) */
    scn_pos value_pos;    /* the value */
    scn_type type;
    uint64_t u;           /* the decoded value (see scn_type) */
    int kind;             /* SCN_OBJ_* (bugcheck args), SCN_REG_* (param) */
    const char *resolved; /* SCN_T_IMAGE: the host path the image was found at */
} scn_arg;

typedef struct scn_stmt {
    scn_verb verb;
    const char *verb_text; /* as written ("expect bugcheck" for expectations) */
    const char *source;    /* the statement as written, without blanks around it or its comment */
    scn_pos pos;           /* the statement's first token (the actor when there is one) */
    scn_pos verb_pos;
    const char *actor_name;/* "P1" for "P1: open ...", else NULL */
    scn_pos actor_pos;
    int actor;             /* process operations: process index; else -1 */
    int process;           /* `process`: the index it declares; process ops: = actor; else -1 */
    int service;           /* driver/instance/param/load/unload: service index; else -1 */
    int handle;            /* open: the handle slot it creates; read..close: the slot used; else -1 */
    int volume;            /* volume: the index it declares; else -1 */
    size_t npositional;
    scn_arg *positional;
    size_t nnamed;
    scn_arg *named;
} scn_stmt;

typedef struct scn_machine {
    uint32_t line;          /* 0: no `machine` statement, these are the defaults */
    uint64_t seed;          /* default 0 */
    uint32_t verifier;      /* verifier.exe /flags bits; default 0 */
    int track_locked_pages; /* default 0 */
    uint32_t stack_size;    /* bytes; default 0x6000 (KERNEL_STACK_SIZE) */
    int trace;              /* default 0 */
} scn_machine;

typedef struct scn_volume {
    const char *name;     /* "C:" (upper-case drive letter) or "\\server\share" as written */
    int remote;
    uint64_t latency_ns;  /* remote: default 0 */
    int csc;              /* remote: default 0 (off) */
    int caching;          /* remote: default 1 (on) */
    uint32_t line;
} scn_volume;

typedef struct scn_process {
    const char *name;
    const char *image;    /* image=, default "NAME.exe" */
    uint32_t line;
} scn_process;

typedef struct scn_service {
    const char *name;
    const char *image_path; /* resolved host path of path= */
    const char *altitude;   /* NULL when not given */
    const char *instance;   /* default instance name: instance= or "NAME Instance" */
    uint32_t flags;
    uint32_t line;
} scn_service;

/* A handle slot: one per `open` statement. */
typedef struct scn_handle {
    const char *name;
    int process;
    uint32_t open_line;
} scn_handle;

typedef struct scn_script {
    const char *path;     /* the file name as given */
    const char *dir;      /* its directory ("." when none) */
    scn_stmt *stmts;
    size_t nstmts;
    scn_machine machine;
    scn_volume *volumes;
    size_t nvolumes;
    scn_process *processes;
    size_t nprocesses;
    scn_service *services;
    size_t nservices;
    scn_handle *handles;
    size_t nhandles;
    struct scn_arena *arena;
} scn_script;

/* --- loading ----------------------------------------------------------------- */

/*
 * Read, parse and validate a script.  Errors go to `diag` (see diag.h).  The
 * script is returned even when it has errors (so tools can inspect what was
 * understood); it is only safe to execute when diag reports no errors.
 * Returns NULL only when the file cannot be read or memory runs out.
 */
scn_script *scn_load_file(const char *path, struct scn_diag *diag);
/* The same for text in memory; `name` is used in messages and for resolving
 * relative driver paths (its directory). */
scn_script *scn_load_string(const char *name, const char *text, size_t len, struct scn_diag *diag);
void scn_free(scn_script *script);

/* Print the decoded statements, one a line (fltsim check --dump). */
void scn_dump(const scn_script *script, FILE *out);

/* --- accessors for the executor ---------------------------------------------- */

/* A named argument (key case-insensitive), written or defaulted; NULL if absent. */
const scn_arg *scn_arg_find(const scn_stmt *st, const char *key);
/* 1 when the script itself wrote key=... (not a default). */
int scn_arg_given(const scn_stmt *st, const char *key);
/* The decoded value of a named argument, or `def` when absent. */
uint64_t scn_arg_u64(const scn_stmt *st, const char *key, uint64_t def);
uint32_t scn_arg_u32(const scn_stmt *st, const char *key, uint32_t def);
/* The text of a named argument, or `def` when absent. */
const char *scn_arg_str(const scn_stmt *st, const char *key, const char *def);
/* Positional arguments (0-based, after the verb); NULL / def when absent. */
const scn_arg *scn_pos_arg(const scn_stmt *st, size_t index);
const char *scn_pos_str(const scn_stmt *st, size_t index);
uint64_t scn_pos_u64(const scn_stmt *st, size_t index, uint64_t def);
/* The status a statement expects (expect=, default STATUS_SUCCESS). */
uint32_t scn_expect_status(const scn_stmt *st);

/* Offsets: "offset" absent means "the current file position". */
#define SCN_OFFSET_CURRENT UINT64_MAX

/* --- names and values (scn_names.c) ------------------------------------------- */

const char *scn_verb_name(scn_verb verb);
/* NTSTATUS names: lookup is case-insensitive; name returns NULL if unknown. */
int scn_status_lookup(const char *name, uint32_t *value);
const char *scn_status_name(uint32_t value);
/* FILE_INFORMATION_CLASS: "Basic", "BasicInformation", "FileBasic" and
 * "FileBasicInformation" are all accepted; name returns the full Windows name. */
int scn_info_class_lookup(const char *name, uint32_t *value);
const char *scn_info_class_name(uint32_t value);
const char *scn_objkind_name(int kind);

/* The deterministic content of `file PATH size=N` and `write h size=N`: byte i
 * is 'a' + i % 26 ("abcdefghijklmnopqrstuvwxyzabc..."). */
void scn_fill_pattern(void *buffer, size_t length);

/* NTSTATUS values the front end itself needs. */
#define SCN_STATUS_SUCCESS 0x00000000u

#ifdef __cplusplus
}
#endif

#endif /* FLTSIM_SCN_H */
