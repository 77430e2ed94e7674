/*
 * scn_exec.c - the scenario executor: plays "user mode" against the host
 * API (machine, volumes, services, processes and their file operations),
 * prints each statement with its result and the driver log as it happens,
 * prints the report when the machine stops, and checks the expectations.
 */
#include "scn_exec.h"
#include "stackchart.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fltsim.h"
#include "report.h"
#include "scn_int.h"

/* Windows values the executor builds buffers with. */
#define FILE_BASIC_INFO_CLASS 4
#define FILE_STANDARD_INFO_CLASS 5
#define FILE_NAME_INFO_CLASS 9
#define FILE_RENAME_INFO_CLASS 10
#define FILE_LINK_INFO_CLASS 11
#define FILE_DISPOSITION_INFO_CLASS 13
#define FILE_POSITION_INFO_CLASS 14
#define FILE_ALL_INFO_CLASS 18
#define FILE_ALLOCATION_INFO_CLASS 19
#define FILE_END_OF_FILE_INFO_CLASS 20
#define FILE_NETWORK_OPEN_INFO_CLASS 34
#define FILE_DISPOSITION_EX_INFO_CLASS 64
#define STATUS_NO_MORE_FILES_VALUE 0x80000006u

typedef struct exec_ctx {
    const scn_script *s;
    const scn_exec_options *o;
    FSIM_MACHINE *m;
    FSIM_PID *pids;
    int *pid_valid;
    FSIM_HANDLE *handles;
    int *handle_valid;
    char **log;   /* DbgPrint lines, for the log expectations */
    size_t nlog, caplog;
    int pending;  /* a statement header is on the current output line */
    int stopped;
    int quiet;    /* the run is over: ignore log lines (e.g. from the machine's teardown) */
    uint32_t stop_line;
    size_t checks, failures;
    char *report; /* text of the stop report, rendered once */
} exec_ctx;

/* --- output ------------------------------------------------------------------------------ */

static void end_pending(exec_ctx *c)
{
    if (c->pending) {
        fputc('\n', c->o->out);
        c->pending = 0;
    }
}

static void header(exec_ctx *c, const scn_stmt *st)
{
    end_pending(c);
    fprintf(c->o->out, "[%u] %s", (unsigned)st->pos.line, st->source);
    fflush(c->o->out);
    c->pending = 1;
}

/* " -> TEXT" on the statement's line, or "    -> TEXT" after log lines intervened. */
static void result(exec_ctx *c, const char *fmt, ...) RB_PRINTF(2, 3);
static void result(exec_ctx *c, const char *fmt, ...)
{
    fputs(c->pending ? " -> " : "    -> ", c->o->out);
    c->pending = 0;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(c->o->out, fmt, ap);
    va_end(ap);
    fputc('\n', c->o->out);
}

static void fail(exec_ctx *c, uint32_t line, const char *fmt, ...) RB_PRINTF(3, 4);
static void fail(exec_ctx *c, uint32_t line, const char *fmt, ...)
{
    end_pending(c);
    c->failures++;
    fprintf(c->o->out, "%s:%u: " SCN_EXPECTATION_FAILED, c->s->path, (unsigned)line);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(c->o->out, fmt, ap);
    va_end(ap);
    fputc('\n', c->o->out);
}

/* An error that stops the run (exit status 2). */
static int exec_error(exec_ctx *c, const scn_stmt *st, const char *fmt, ...) RB_PRINTF(3, 4);
static int exec_error(exec_ctx *c, const scn_stmt *st, const char *fmt, ...)
{
    end_pending(c);
    fflush(c->o->out);
    fprintf(c->o->err, "%s:%u:%u: error: ", c->s->path, (unsigned)st->verb_pos.line, (unsigned)st->verb_pos.col);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(c->o->err, fmt, ap);
    va_end(ap);
    fputc('\n', c->o->err);
    fflush(c->o->err);
    return -1;
}

static const char *status_text(uint32_t st, char buf[16])
{
    const char *n = st == FSIM_STATUS_MACHINE_STOPPED ? "FSIM_STATUS_MACHINE_STOPPED" : scn_status_name(st);
    if (n)
        return n;
    snprintf(buf, 16, "0x%08" PRIX32, st);
    return buf;
}

static const char *last_error(exec_ctx *c)
{
    const char *e = FsimLastError(c->m);
    return e ? e : "";
}

static void on_log(void *ctx, FSIM_LOG_KIND kind, const char *line)
{
    exec_ctx *c = ctx;
    if (c->quiet)
        return;
    if (!line)
        line = "";
    size_t n = strlen(line);
    if (n && line[n - 1] == '\n')
        n--;
    end_pending(c);
    if (kind == FSIM_LOG_DBGPRINT || kind == FSIM_LOG_USER) {
        fprintf(c->o->out, "%.*s\n", (int)n, line);
        if (c->nlog == c->caplog) {
            size_t ncap = c->caplog ? c->caplog * 2 : 64;
            char **nl = realloc(c->log, ncap * sizeof(*nl));
            if (!nl)
                return;
            c->log = nl;
            c->caplog = ncap;
        }
        char *copy = malloc(n + 1);
        if (!copy)
            return;
        memcpy(copy, line, n);
        copy[n] = '\0';
        c->log[c->nlog++] = copy;
    } else {
        fprintf(c->o->out, "trace: %.*s\n", (int)n, line);
    }
}

/* --- UTF-8 <-> UTF-16LE ------------------------------------------------------------------- */

/* Decode one UTF-8 sequence; returns its length (invalid bytes count as U+FFFD, length 1). */
static size_t utf8_next(const unsigned char *p, size_t n, uint32_t *cp)
{
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    size_t len = (p[0] & 0xE0) == 0xC0 ? 2 : (p[0] & 0xF0) == 0xE0 ? 3 : (p[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || len > n) {
        *cp = 0xFFFD;
        return 1;
    }
    uint32_t v = p[0] & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *cp = 0xFFFD;
            return 1;
        }
        v = (v << 6) | (p[i] & 0x3F);
    }
    *cp = v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) ? 0xFFFD : v;
    return len;
}

/* UTF-16LE bytes of `s` into `out` (at most `cap` bytes); returns the byte count needed. */
static size_t utf8_to_utf16le(const char *s, unsigned char *out, size_t cap)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0, used = 0;
    while (i < n) {
        uint32_t cp;
        i += utf8_next(p + i, n - i, &cp);
        uint16_t units[2];
        size_t nu = 1;
        if (cp >= 0x10000) {
            cp -= 0x10000;
            units[0] = (uint16_t)(0xD800 + (cp >> 10));
            units[1] = (uint16_t)(0xDC00 + (cp & 0x3FF));
            nu = 2;
        } else {
            units[0] = (uint16_t)cp;
        }
        for (size_t k = 0; k < nu; k++) {
            if (out && used + 2 <= cap) {
                out[used] = (unsigned char)(units[k] & 0xFF);
                out[used + 1] = (unsigned char)(units[k] >> 8);
            }
            used += 2;
        }
    }
    return used;
}

/* Append the UTF-8 form of `bytes` UTF-16LE bytes at p. */
static void utf16le_to_utf8(rbuf *b, const unsigned char *p, size_t bytes)
{
    size_t n = bytes / 2;
    for (size_t i = 0; i < n; i++) {
        uint32_t cp = (uint32_t)p[2 * i] | ((uint32_t)p[2 * i + 1] << 8);
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 1 < n) {
            uint32_t lo = (uint32_t)p[2 * i + 2] | ((uint32_t)p[2 * i + 3] << 8);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i++;
            } else {
                cp = 0xFFFD;
            }
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            cp = 0xFFFD;
        }
        char u[4];
        size_t k;
        if (cp < 0x80) {
            u[0] = (char)cp;
            k = 1;
        } else if (cp < 0x800) {
            u[0] = (char)(0xC0 | (cp >> 6));
            u[1] = (char)(0x80 | (cp & 0x3F));
            k = 2;
        } else if (cp < 0x10000) {
            u[0] = (char)(0xE0 | (cp >> 12));
            u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
            u[2] = (char)(0x80 | (cp & 0x3F));
            k = 3;
        } else {
            u[0] = (char)(0xF0 | (cp >> 18));
            u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
            u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
            u[3] = (char)(0x80 | (cp & 0x3F));
            k = 4;
        }
        rb_putn(b, u, k);
    }
}

/* --- little-endian buffer access ------------------------------------------------------------ */

static uint64_t get_le(const unsigned char *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = n; i-- > 0;)
        v = (v << 8) | p[i];
    return v;
}

static void put_le(unsigned char *p, uint64_t v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* Printable rendering of data for messages: at most 64 bytes, non-printables as '.'. */
static void show_data(rbuf *b, const unsigned char *p, size_t n)
{
    size_t m = n > 64 ? 64 : n;
    rb_puts(b, "\"");
    for (size_t i = 0; i < m; i++)
        rb_printf(b, "%c", p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.');
    rb_puts(b, n > m ? "\"..." : "\"");
}

/* --- machine state ---------------------------------------------------------------------------- */

/* After a host call: did the machine stop? Prints the stop once. */
static int check_stopped(exec_ctx *c, const scn_stmt *st)
{
    if (c->stopped)
        return 1;
    FSIM_STATE state = FsimMachineState(c->m);
    if (state == FSIM_STATE_RUNNING)
        return 0;
    c->stopped = 1;
    c->stop_line = st->pos.line;
    const FSIM_REPORT *r = FsimGetReport(c->m);
    if (state == FSIM_STATE_BUGCHECKED)
        result(c, "machine stopped: bugcheck 0x%" PRIX32 " (%s)", r ? r->Code : 0,
               r && r->Name ? r->Name : "unknown");
    else
        result(c, "machine stopped: hang");
    return 1;
}

/* Compare an operation's status with its expect=. */
static void check_status(exec_ctx *c, const scn_stmt *st, uint32_t status, const char *detail)
{
    if (check_stopped(c, st))
        return;
    char b1[16], b2[16];
    uint32_t want = scn_expect_status(st);
    c->checks++;
    if (detail && *detail)
        result(c, "%s (%s)", status_text(status, b1), detail);
    else
        result(c, "%s", status_text(status, b1));
    if (status != want) {
        const char *le = (int32_t)status < 0 ? last_error(c) : "";
        fail(c, st->pos.line, "%s%s%s %s returned %s, expected %s%s%s", st->actor_name ? st->actor_name : "",
             st->actor_name ? ": " : "", st->verb_text, st->npositional ? st->positional[0].text : "",
             status_text(status, b1), status_text(want, b2), *le ? ": " : "", le);
    }
}

/* A setup call (no expect=): a failure stops the run. */
static int setup_status(exec_ctx *c, const scn_stmt *st, uint32_t status)
{
    if (check_stopped(c, st))
        return 0;
    char b[16];
    if ((int32_t)status < 0) {
        result(c, "%s", status_text(status, b));
        const char *le = last_error(c);
        return exec_error(c, st, "%s failed with %s%s%s", st->verb_text, status_text(status, b), *le ? ": " : "",
                          le);
    }
    result(c, "%s", status_text(status, b));
    return 0;
}

/* --- operations ------------------------------------------------------------------------------- */

static const char *create_info_name(uint64_t info)
{
    static const char *const names[] = { "FILE_SUPERSEDED", "FILE_OPENED", "FILE_CREATED",
                                         "FILE_OVERWRITTEN", "FILE_EXISTS", "FILE_DOES_NOT_EXIST" };
    return info < sizeof(names) / sizeof(names[0]) ? names[info] : NULL;
}

/* The handle a statement uses, or NULL after reporting why it is not open. */
static int handle_ok(exec_ctx *c, const scn_stmt *st)
{
    if (st->handle >= 0 && c->handle_valid[st->handle])
        return 1;
    result(c, "skipped: handle %s is not open (its open at line %u failed)", st->positional[0].text,
           (unsigned)c->s->handles[st->handle].open_line);
    return 0;
}

static void describe_query(rbuf *d, uint32_t cls, const unsigned char *p, uint64_t n)
{
    rb_printf(d, "%" PRIu64 " bytes", n);
    switch (cls) {
    case FILE_BASIC_INFO_CLASS:
        if (n >= 36)
            rb_printf(d, ", attributes=0x%" PRIx64, get_le(p + 32, 4));
        break;
    case FILE_STANDARD_INFO_CLASS:
        if (n >= 22)
            rb_printf(d, ", size=%" PRIu64 " allocation=%" PRIu64 " links=%" PRIu64 " delete-pending=%u directory=%u",
                      get_le(p + 8, 8), get_le(p, 8), get_le(p + 16, 4), p[20], p[21]);
        break;
    case FILE_POSITION_INFO_CLASS:
        if (n >= 8)
            rb_printf(d, ", offset=%" PRIu64, get_le(p, 8));
        break;
    case FILE_NETWORK_OPEN_INFO_CLASS:
        if (n >= 52)
            rb_printf(d, ", size=%" PRIu64 " attributes=0x%" PRIx64, get_le(p + 40, 8), get_le(p + 48, 4));
        break;
    case FILE_NAME_INFO_CLASS:
    case FILE_ALL_INFO_CLASS: {
        size_t base = cls == FILE_ALL_INFO_CLASS ? 96 : 0;
        if (cls == FILE_ALL_INFO_CLASS && n >= 62)
            rb_printf(d, ", size=%" PRIu64 " attributes=0x%" PRIx64, get_le(p + 48, 8), get_le(p + 32, 4));
        if (n >= base + 4) {
            uint64_t len = get_le(p + base, 4);
            if (len > n - base - 4)
                len = n - base - 4;
            rb_puts(d, ", name=\"");
            utf16le_to_utf8(d, p + base + 4, (size_t)len);
            rb_puts(d, "\"");
        }
        break;
    }
    default:
        break;
    }
}

/* Where FileNameLength and FileName sit in a directory entry of `cls`. */
static int dir_layout(uint32_t cls, size_t *len_off, size_t *name_off)
{
    switch (cls) {
    case 1: /* FileDirectoryInformation */
        *len_off = 60, *name_off = 64;
        return 1;
    case 2: /* FileFullDirectoryInformation */
        *len_off = 60, *name_off = 68;
        return 1;
    case 3: /* FileBothDirectoryInformation */
        *len_off = 60, *name_off = 94;
        return 1;
    case 12: /* FileNamesInformation */
        *len_off = 8, *name_off = 12;
        return 1;
    case 37: /* FileIdBothDirectoryInformation */
        *len_off = 60, *name_off = 104;
        return 1;
    case 38: /* FileIdFullDirectoryInformation */
        *len_off = 60, *name_off = 80;
        return 1;
    default:
        return 0;
    }
}

static size_t list_entries(rbuf *names, uint32_t cls, const unsigned char *p, uint64_t n)
{
    size_t len_off, name_off, count = 0;
    if (!dir_layout(cls, &len_off, &name_off))
        return 0;
    uint64_t off = 0;
    for (;;) {
        if (off + name_off > n)
            break;
        const unsigned char *e = p + off;
        uint64_t next = get_le(e, 4), nlen = get_le(e + len_off, 4);
        if (nlen > n - off - name_off)
            nlen = n - off - name_off;
        rb_puts(names, names->len ? ", " : "");
        utf16le_to_utf8(names, e + name_off, (size_t)nlen);
        count++;
        if (next == 0 || next > n - off)
            break;
        off += next;
    }
    return count;
}

static int op_open(exec_ctx *c, const scn_stmt *st, FSIM_PID pid)
{
    FSIM_CREATE cr;
    memset(&cr, 0, sizeof(cr));
    cr.Path = st->positional[1].text;
    cr.DesiredAccess = scn_arg_u32(st, "access", 0);
    cr.ShareAccess = scn_arg_u32(st, "share", 0);
    cr.CreateDisposition = scn_arg_u32(st, "disposition", 1);
    cr.CreateOptions = scn_arg_u32(st, "options", 0);
    cr.FileAttributes = scn_arg_u32(st, "attributes", 0);
    FSIM_HANDLE h = 0;
    uint64_t info = 0;
    uint32_t status = FsimNtCreateFile(c->m, pid, &cr, &h, &info);
    if ((int32_t)status >= 0 && FsimMachineState(c->m) == FSIM_STATE_RUNNING) {
        c->handles[st->handle] = h;
        c->handle_valid[st->handle] = 1;
    }
    const char *in = create_info_name(info);
    char buf[32];
    if (!in) {
        snprintf(buf, sizeof(buf), "information=%" PRIu64, info);
        in = buf;
    }
    check_status(c, st, status, (int32_t)status >= 0 ? in : NULL);
    return 0;
}

/* A port service: the reply's bytes from reply="text", byte:N or dword:N. */
static int op_serve(exec_ctx *c, const scn_stmt *st, FSIM_PID pid)
{
    const scn_arg *reply = scn_arg_find(st, "reply"), *ctx = scn_arg_find(st, "context");
    unsigned char bytes[4];
    FSIM_PORT_SERVICE svc;
    memset(&svc, 0, sizeof(svc));
    svc.Name = c->s->processes[st->actor].name;
    svc.Port = scn_arg_find(st, "port")->text;
    if (ctx) {
        svc.Context = ctx->text;
        svc.ContextLength = (uint32_t)ctx->len;
    }
    if (reply) {
        uint64_t v = 0;
        int width = 0;
        if (reply->len > 5 && strncasecmp(reply->text, "byte:", 5) == 0)
            width = 1, v = strtoull(reply->text + 5, NULL, 0);
        else if (reply->len > 6 && strncasecmp(reply->text, "dword:", 6) == 0)
            width = 4, v = strtoull(reply->text + 6, NULL, 0);
        if (width) {
            for (int i = 0; i < width; i++)
                bytes[i] = (unsigned char)(v >> (8 * i));
            svc.Reply = bytes;
            svc.ReplyLength = (uint32_t)width;
        } else {
            svc.Reply = reply->text;
            svc.ReplyLength = (uint32_t)reply->len;
        }
    }
    svc.DelayNs = scn_arg_u64(st, "delay", 0);
    const scn_arg *open = scn_arg_find(st, "open");
    svc.OpenPath = open ? open->text : NULL;
    const scn_arg *hello = scn_arg_find(st, "hello");
    if (hello) {
        svc.Hello = hello->text;
        svc.HelloLength = (uint32_t)hello->len;
    }
    uint32_t status = FsimPortServe(c->m, pid, &svc);
    check_status(c, st, status, (int32_t)status >= 0 ? "connected; its thread answers the port's messages" : NULL);
    return 0;
}

/* read, or map: the same bytes read through a mapped view of the file. */
static int op_read(exec_ctx *c, const scn_stmt *st, FSIM_PID pid)
{
    int mapped = st->verb == SCN_VERB_MAP;
    uint32_t len = scn_arg_u32(st, "length", 0);
    unsigned char *buf = malloc(len ? len : 1);
    if (!buf)
        return exec_error(c, st, "out of memory for a %" PRIu32 "-byte read buffer", len);
    memset(buf, 0, len ? len : 1);
    uint64_t info = 0;
    uint32_t status = mapped ? FsimReadMappedView(c->m, pid, c->handles[st->handle], scn_arg_u64(st, "offset", 0),
                                                  buf, len, &info)
                             : FsimNtReadFile(c->m, pid, c->handles[st->handle],
                                              scn_arg_u64(st, "offset", SCN_OFFSET_CURRENT), buf, len, &info);
    char detail[64];
    snprintf(detail, sizeof(detail), "read %" PRIu64 " bytes", info);
    check_status(c, st, status, (int32_t)status >= 0 ? detail : NULL);
    const scn_arg *data = scn_arg_find(st, "data");
    if (data && !c->stopped && (int32_t)status >= 0) {
        c->checks++;
        uint64_t got = info > len ? len : info;
        if (got != data->len || memcmp(buf, data->text, data->len) != 0) {
            rbuf m = { 0 };
            rb_puts(&m, "read data ");
            show_data(&m, buf, (size_t)got);
            rb_puts(&m, ", expected ");
            show_data(&m, (const unsigned char *)data->text, data->len);
            fail(c, st->pos.line, "%s", rb_str(&m));
            rb_free(&m);
        }
    }
    free(buf);
    return 0;
}

static int op_write(exec_ctx *c, const scn_stmt *st, FSIM_PID pid)
{
    const scn_arg *text = scn_arg_find(st, "text");
    uint32_t len = text ? (uint32_t)text->len : scn_arg_u32(st, "length", 0);
    unsigned char *buf = malloc(len ? len : 1);
    if (!buf)
        return exec_error(c, st, "out of memory for a %" PRIu32 "-byte write buffer", len);
    if (text)
        memcpy(buf, text->text, len);
    else
        scn_fill_pattern(buf, len);
    uint64_t info = 0;
    uint32_t status = FsimNtWriteFile(c->m, pid, c->handles[st->handle],
                                      scn_arg_u64(st, "offset", SCN_OFFSET_CURRENT), buf, len, &info);
    char detail[64];
    snprintf(detail, sizeof(detail), "wrote %" PRIu64 " bytes", info);
    check_status(c, st, status, (int32_t)status >= 0 ? detail : NULL);
    free(buf);
    return 0;
}

static int op_query(exec_ctx *c, const scn_stmt *st, FSIM_PID pid)
{
    uint32_t cls = (uint32_t)st->positional[1].u;
    uint32_t len = scn_arg_u32(st, "length", 4096);
    unsigned char *buf = calloc(1, len ? len : 1);
    if (!buf)
        return exec_error(c, st, "out of memory for a %" PRIu32 "-byte buffer", len);
    uint64_t info = 0;
    uint32_t status = FsimNtQueryInformationFile(c->m, pid, c->handles[st->handle], cls, buf, len, &info);
    rbuf d = { 0 };
    if ((int32_t)status >= 0 || status == 0x80000005u /* STATUS_BUFFER_OVERFLOW */)
        describe_query(&d, cls, buf, info > len ? len : info);
    check_status(c, st, status, rb_str(&d));
    rb_free(&d);
    free(buf);
    return 0;
}

static int op_set(exec_ctx *c, const scn_stmt *st, FSIM_PID pid)
{
    uint32_t cls = (uint32_t)st->positional[1].u;
    unsigned char small[40];
    unsigned char *buf = small, *heap = NULL;
    uint32_t len = 0;
    memset(small, 0, sizeof(small));
    switch (cls) {
    case FILE_BASIC_INFO_CLASS: /* FILE_BASIC_INFORMATION: 4 times (0 = unchanged), FileAttributes at 32 */
        put_le(small + 32, scn_arg_u64(st, "attributes", 0), 4);
        len = 40;
        break;
    case FILE_DISPOSITION_INFO_CLASS: /* BOOLEAN DeleteFile */
        small[0] = (unsigned char)scn_arg_u64(st, "delete", 1);
        len = 1;
        break;
    case FILE_DISPOSITION_EX_INFO_CLASS: /* ULONG Flags */
        put_le(small, scn_arg_u64(st, "flags", 1), 4);
        len = 4;
        break;
    case FILE_POSITION_INFO_CLASS: /* LARGE_INTEGER CurrentByteOffset */
        put_le(small, scn_arg_u64(st, "offset", 0), 8);
        len = 8;
        break;
    case FILE_ALLOCATION_INFO_CLASS: /* LARGE_INTEGER AllocationSize */
    case FILE_END_OF_FILE_INFO_CLASS: /* LARGE_INTEGER EndOfFile */
        put_le(small, scn_arg_u64(st, "size", 0), 8);
        len = 8;
        break;
    case FILE_RENAME_INFO_CLASS:
    case FILE_LINK_INFO_CLASS: {
        /* x64 FILE_RENAME_INFORMATION / FILE_LINK_INFORMATION: ReplaceIfExists (BOOLEAN, in a
         * ULONG-sized union) at 0, RootDirectory at 8, FileNameLength at 16, FileName at 20.
         * Like MoveFileEx, the target is passed as an NT path: \??\C:\dir\name. */
        const char *to = scn_arg_str(st, "to", "");
        size_t nt_len = strlen(to) + 5;
        char *nt = malloc(nt_len);
        if (!nt)
            return exec_error(c, st, "out of memory");
        snprintf(nt, nt_len, "\\??\\%s", to);
        size_t nbytes = utf8_to_utf16le(nt, NULL, 0);
        heap = calloc(1, 20 + nbytes + 2);
        if (!heap) {
            free(nt);
            return exec_error(c, st, "out of memory");
        }
        heap[0] = (unsigned char)scn_arg_u64(st, "replace", 0);
        put_le(heap + 16, nbytes, 4);
        utf8_to_utf16le(nt, heap + 20, nbytes);
        free(nt);
        buf = heap;
        len = (uint32_t)(20 + nbytes);
        break;
    }
    default:
        return exec_error(c, st, "set: unsupported information class %" PRIu32, cls);
    }
    uint32_t status = FsimNtSetInformationFile(c->m, pid, c->handles[st->handle], cls, buf, len);
    free(heap);
    check_status(c, st, status, NULL);
    return 0;
}

static int op_query_security(exec_ctx *c, const scn_stmt *st, FSIM_PID pid)
{
    uint32_t len = scn_arg_u32(st, "length", 1024);
    unsigned char *buf = calloc(1, len ? len : 1);
    if (!buf)
        return exec_error(c, st, "out of memory for a %" PRIu32 "-byte buffer", len);
    uint32_t needed = 0;
    uint32_t status =
        FsimNtQuerySecurityObject(c->m, pid, c->handles[st->handle], scn_arg_u32(st, "info", 7), buf, len, &needed);
    char detail[64];
    snprintf(detail, sizeof(detail), "length needed %" PRIu32, needed);
    check_status(c, st, status, needed ? detail : NULL);
    free(buf);
    return 0;
}

static int op_list(exec_ctx *c, const scn_stmt *st, FSIM_PID pid)
{
    uint32_t cls = scn_arg_u32(st, "class", 3);
    uint32_t len = scn_arg_u32(st, "length", 4096);
    const char *pattern = scn_arg_str(st, "pattern", NULL);
    unsigned char *buf = malloc(len ? len : 1);
    if (!buf)
        return exec_error(c, st, "out of memory for a %" PRIu32 "-byte buffer", len);
    rbuf names = { 0 };
    size_t count = 0;
    uint32_t final = 0;
    for (int call = 0; call < 10000; call++) {
        uint64_t info = 0;
        memset(buf, 0, len ? len : 1);
        uint32_t status = FsimNtQueryDirectoryFile(c->m, pid, c->handles[st->handle], cls, buf, len, 0, pattern,
                                                   call == 0, &info);
        if (FsimMachineState(c->m) != FSIM_STATE_RUNNING) {
            final = status;
            break;
        }
        if ((int32_t)status < 0 && status != 0x80000005u) {
            /* STATUS_NO_MORE_FILES ends a listing that returned entries */
            final = (status == STATUS_NO_MORE_FILES_VALUE && call > 0) ? 0 : status;
            break;
        }
        count += list_entries(&names, cls, buf, info > len ? len : info);
        if (info == 0 || status == 0x80000005u) {
            final = status;
            break;
        }
    }
    rbuf d = { 0 };
    if (count)
        rb_printf(&d, "%zu entries: %s", count, rb_str(&names));
    check_status(c, st, final, rb_str(&d));
    rb_free(&d);
    rb_free(&names);
    free(buf);
    return 0;
}

/* --- statements --------------------------------------------------------------------------------- */

static int run_stmt(exec_ctx *c, const scn_stmt *st)
{
    const scn_script *s = c->s;
    switch (st->verb) {
    case SCN_VERB_MACHINE:
        result(c, "seed %" PRIu64 "%s, verifier 0x%" PRIx32 ", kernel stack 0x%" PRIx32,
               c->o->seed_set ? c->o->seed : s->machine.seed, c->o->seed_set ? " (--seed)" : "",
               s->machine.verifier, s->machine.stack_size);
        return 0;
    case SCN_VERB_VOLUME: {
        const scn_volume *v = &s->volumes[st->volume];
        if (v->remote)
            return setup_status(c, st, FsimVolumeAddRemote(c->m, v->name, v->latency_ns, v->csc, v->caching));
        return setup_status(c, st, FsimVolumeAddLocal(c->m, v->name));
    }
    case SCN_VERB_DIR:
        return setup_status(c, st, FsimVolumeCreateDirectory(c->m, st->positional[0].text));
    case SCN_VERB_FILE: {
        const scn_arg *text = scn_arg_find(st, "text");
        if (text)
            return setup_status(c, st, FsimVolumeCreateFile(c->m, st->positional[0].text, text->text, text->len));
        uint64_t size = scn_arg_u64(st, "size", 0);
        if (size > SIZE_MAX)
            return exec_error(c, st, "file size %" PRIu64 " is too large for this host", size);
        void *data = malloc(size ? (size_t)size : 1);
        if (!data)
            return exec_error(c, st, "out of memory for a %" PRIu64 "-byte file", size);
        scn_fill_pattern(data, (size_t)size);
        int r = setup_status(c, st, FsimVolumeCreateFile(c->m, st->positional[0].text, data, (size_t)size));
        free(data);
        return r;
    }
    case SCN_VERB_DRIVER: {
        const scn_service *sv = &s->services[st->service];
        uint32_t status = FsimServiceCreate(c->m, sv->name, sv->image_path);
        if ((int32_t)status >= 0 && sv->altitude && !c->stopped && FsimMachineState(c->m) == FSIM_STATE_RUNNING)
            status = FsimServiceAddInstance(c->m, sv->name, sv->instance, sv->altitude, sv->flags, 1);
        return setup_status(c, st, status);
    }
    case SCN_VERB_INSTANCE:
        return setup_status(c, st,
                            FsimServiceAddInstance(c->m, s->services[st->service].name, st->positional[1].text,
                                                   scn_arg_str(st, "altitude", ""), scn_arg_u32(st, "flags", 0), 0));
    case SCN_VERB_PARAM: {
        uint32_t status = 0;
        for (size_t i = 0; i < st->nnamed && (int32_t)status >= 0; i++) {
            const scn_arg *a = &st->named[i];
            if (a->kind == SCN_REG_DWORD)
                status = FsimServiceSetDword(c->m, s->services[st->service].name, a->key, (uint32_t)a->u);
            else
                status = FsimServiceSetString(c->m, s->services[st->service].name, a->key, a->text);
        }
        return setup_status(c, st, status);
    }
    case SCN_VERB_LOAD:
    case SCN_VERB_UNLOAD: {
        const char *name = s->services[st->service].name;
        uint32_t status = st->verb == SCN_VERB_LOAD ? FsimDriverLoad(c->m, name) : FsimDriverUnload(c->m, name);
        const char *le = (int32_t)status < 0 ? last_error(c) : "";
        check_status(c, st, status, le);
        return 0;
    }
    case SCN_VERB_PROCESS: {
        const scn_process *p = &s->processes[st->process];
        FSIM_PID pid = 0;
        uint32_t status = FsimProcessCreate(c->m, p->image, &pid);
        if ((int32_t)status >= 0) {
            c->pids[st->process] = pid;
            c->pid_valid[st->process] = 1;
        }
        return setup_status(c, st, status);
    }
    case SCN_VERB_ADVANCE: {
        uint32_t status = FsimAdvanceTime(c->m, st->positional[0].u);
        if (check_stopped(c, st))
            return 0;
        char b[16];
        uint64_t now = FsimCurrentTime(c->m);
        result(c, "%s (now %" PRIu64 ".%04" PRIu64 "ms)", status_text(status, b), now / 10000, now % 10000);
        return 0;
    }
    default:
        break;
    }

    /* process operations */
    if (!c->pid_valid[st->actor]) {
        result(c, "skipped: process %s was not created", s->processes[st->actor].name);
        return 0;
    }
    FSIM_PID pid = c->pids[st->actor];
    switch (st->verb) {
    case SCN_VERB_OPEN:
        return op_open(c, st, pid);
    case SCN_VERB_COPY: {
        uint32_t status = FsimCopyFileEx(c->m, pid, st->positional[0].text, st->positional[1].text, 0);
        check_status(c, st, status, NULL);
        return 0;
    }
    case SCN_VERB_SERVE:
        return op_serve(c, st, pid);
    case SCN_VERB_EXIT: {
        uint32_t status = FsimProcessExit(c->m, pid);
        c->pid_valid[st->actor] = 0;
        for (size_t i = 0; i < s->nhandles; i++)
            if (s->handles[i].process == st->actor)
                c->handle_valid[i] = 0;
        check_status(c, st, status, NULL);
        return 0;
    }
    default:
        break;
    }
    if (!handle_ok(c, st))
        return 0;
    switch (st->verb) {
    case SCN_VERB_READ:
    case SCN_VERB_MAP:
        return op_read(c, st, pid);
    case SCN_VERB_WRITE:
        return op_write(c, st, pid);
    case SCN_VERB_QUERY:
        return op_query(c, st, pid);
    case SCN_VERB_SET:
        return op_set(c, st, pid);
    case SCN_VERB_QUERY_SECURITY:
        return op_query_security(c, st, pid);
    case SCN_VERB_LIST:
        return op_list(c, st, pid);
    case SCN_VERB_CLOSE: {
        uint32_t status = FsimNtClose(c->m, pid, c->handles[st->handle]);
        c->handle_valid[st->handle] = 0;
        check_status(c, st, status, NULL);
        return 0;
    }
    default:
        return exec_error(c, st, "internal error: '%s' cannot run", st->verb_text);
    }
}

/* --- expectations -------------------------------------------------------------------------------- */

static void ok(exec_ctx *c, const scn_stmt *st)
{
    fprintf(c->o->out, "%s:%u: ok: %s\n", c->s->path, (unsigned)st->pos.line, st->source);
}

static const char *report_string(exec_ctx *c)
{
    if (!c->report) {
        const FSIM_REPORT *r = FsimGetReport(c->m);
        if (r)
            c->report = report_text(r);
    }
    return c->report;
}

/* Does a description from FsimDescribeAddress name object kind `kind`? */
static int kind_matches(int kind, const char *desc)
{
    static const struct {
        int kind;
        const char *names[4];
    } aliases[] = {
        { SCN_OBJ_IRP, { "irp", NULL } },
        { SCN_OBJ_MDL, { "mdl", NULL } },
        { SCN_OBJ_PROCESS, { "process", "eprocess", "kprocess", NULL } },
        { SCN_OBJ_THREAD, { "thread", "ethread", "kthread", NULL } },
        { SCN_OBJ_FILE, { "file", "fileobject", NULL } },
        { SCN_OBJ_DEVICE, { "device", "deviceobject", NULL } },
        { SCN_OBJ_DRIVER, { "driver", "driverobject", NULL } },
        { SCN_OBJ_POOL, { "pool", "poolblock", "poolallocation", NULL } },
        { SCN_OBJ_ERESOURCE, { "eresource", "resource", NULL } },
        { SCN_OBJ_CONTEXT, { "context", "streamcontext", "streamhandlecontext", "instancecontext" } },
        { SCN_OBJ_CALLBACK_DATA, { "callbackdata", "fltcallbackdata", NULL } },
    };
    if (!desc)
        return 0;
    char norm[64];
    size_t n = 0;
    for (const char *p = desc; *p && n + 1 < sizeof(norm); p++) {
        char ch = *p;
        if (ch >= 'A' && ch <= 'Z')
            ch = (char)(ch - 'A' + 'a');
        if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
            norm[n++] = ch;
    }
    norm[n] = '\0';
    for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
        if (aliases[i].kind == kind)
            for (size_t k = 0; k < 4 && aliases[i].names[k]; k++)
                if (strcmp(norm, aliases[i].names[k]) == 0)
                    return 1;
    return 0;
}

static void expect_bugcheck(exec_ctx *c, const scn_stmt *st)
{
    uint32_t code = (uint32_t)st->positional[0].u;
    const FSIM_REPORT *r = FsimGetReport(c->m);
    FSIM_STATE state = FsimMachineState(c->m);
    if (state != FSIM_STATE_BUGCHECKED || !r) {
        fail(c, st->pos.line, "expected bugcheck 0x%" PRIX32 ", the machine %s", code,
             state == FSIM_STATE_HUNG ? "hung" : "did not bugcheck");
        return;
    }
    if (r->Code != code) {
        fail(c, st->pos.line, "expected bugcheck 0x%" PRIX32 ", got 0x%" PRIX32 " (%s)", code, r->Code,
             r->Name ? r->Name : "unknown");
        return;
    }
    static const char *const keys[4] = { "arg1", "arg2", "arg3", "arg4" };
    for (int i = 0; i < 4; i++) {
        const scn_arg *a = scn_arg_find(st, keys[i]);
        if (!a)
            continue;
        if (a->kind != SCN_OBJ_NONE) {
            const char *desc = FsimDescribeAddress(c->m, r->Args[i]);
            if (!kind_matches(a->kind, desc)) {
                fail(c, st->pos.line, "bugcheck 0x%" PRIX32 " Arg%d %016" PRIx64 " is %s, expected %s", code, i + 1,
                     r->Args[i], desc ? desc : "not a known object", scn_objkind_name(a->kind));
                return;
            }
        } else if (r->Args[i] != a->u) {
            fail(c, st->pos.line, "bugcheck 0x%" PRIX32 " Arg%d is 0x%" PRIx64 ", expected 0x%" PRIx64, code, i + 1,
                 r->Args[i], a->u);
            return;
        }
    }
    ok(c, st);
}

static size_t log_count(exec_ctx *c, const char *text)
{
    size_t n = 0;
    for (size_t i = 0; i < c->nlog; i++)
        if (strstr(c->log[i], text))
            n++;
    return n;
}

static void check_expectation(exec_ctx *c, const scn_stmt *st)
{
    FSIM_STATE state = FsimMachineState(c->m);
    c->checks++;
    switch (st->verb) {
    case SCN_VERB_EXPECT_BUGCHECK:
        expect_bugcheck(c, st);
        return;
    case SCN_VERB_EXPECT_NO_BUGCHECK:
        if (state == FSIM_STATE_BUGCHECKED) {
            const FSIM_REPORT *r = FsimGetReport(c->m);
            fail(c, st->pos.line, "the machine bugchecked: 0x%" PRIX32 " (%s) at line %u", r ? r->Code : 0,
                 r && r->Name ? r->Name : "unknown", (unsigned)c->stop_line);
            return;
        }
        ok(c, st);
        return;
    case SCN_VERB_EXPECT_HANG: {
        if (state != FSIM_STATE_HUNG) {
            fail(c, st->pos.line, "expected a hang, the machine %s",
                 state == FSIM_STATE_BUGCHECKED ? "bugchecked" : "did not hang");
            return;
        }
        const char *contains = scn_arg_str(st, "contains", NULL);
        const char *text = report_string(c);
        if (contains && (!text || !strstr(text, contains))) {
            fail(c, st->pos.line, "the hang report does not contain \"%s\"", contains);
            return;
        }
        ok(c, st);
        return;
    }
    case SCN_VERB_EXPECT_LOG:
        if (log_count(c, st->positional[0].text) == 0) {
            fail(c, st->pos.line, "no log line contains \"%s\"", st->positional[0].text);
            return;
        }
        ok(c, st);
        return;
    case SCN_VERB_EXPECT_NO_LOG: {
        for (size_t i = 0; i < c->nlog; i++)
            if (strstr(c->log[i], st->positional[0].text)) {
                fail(c, st->pos.line, "a log line contains \"%s\": %s", st->positional[0].text, c->log[i]);
                return;
            }
        ok(c, st);
        return;
    }
    case SCN_VERB_EXPECT_LOG_COUNT: {
        size_t n = log_count(c, st->positional[0].text);
        if (n != st->positional[1].u) {
            fail(c, st->pos.line, "%zu log lines contain \"%s\", expected %" PRIu64, n, st->positional[0].text,
                 st->positional[1].u);
            return;
        }
        ok(c, st);
        return;
    }
    case SCN_VERB_EXPECT_REPORT: {
        const char *contains = scn_arg_str(st, "contains", "");
        const char *text = report_string(c);
        if (!text) {
            fail(c, st->pos.line, "there is no report: the machine did not stop");
            return;
        }
        if (!strstr(text, contains)) {
            fail(c, st->pos.line, "the report does not contain \"%s\"", contains);
            return;
        }
        ok(c, st);
        return;
    }
    case SCN_VERB_EXPECT_HEADROOM: {
        FSIM_STACK_PROFILE prof;
        uint64_t min = scn_arg_u64(st, "min", 0);
        if (!FsimGetDeepestStack(c->m, &prof)) {
            fail(c, st->pos.line, "no simulated stack was used");
            return;
        }
        uint64_t headroom = prof.Used >= prof.Budget ? 0 : prof.Budget - prof.Used;
        if (headroom < min) {
            fail(c, st->pos.line, "the deepest kernel stack left 0x%" PRIx64 " bytes, less than 0x%" PRIx64, headroom,
                 min);
            return;
        }
        ok(c, st);
        return;
    }
    case SCN_VERB_EXPECT_NO_LEAKS: {
        const FSIM_REPORT_LEAK *leaks = NULL;
        size_t n = FsimGetLeaks(c->m, &leaks);
        if (n) {
            fail(c, st->pos.line, "%zu object%s still allocated", n, n == 1 ? " is" : "s are");
            rbuf b = { 0 };
            report_render_leaks(&b, leaks, n);
            fputs(rb_str(&b), c->o->out);
            rb_free(&b);
            return;
        }
        ok(c, st);
        return;
    }
    default:
        return;
    }
}

static void check_expectations(exec_ctx *c)
{
    const scn_script *s = c->s;
    int want_stop = 0;
    for (size_t i = 0; i < s->nstmts; i++)
        if (s->stmts[i].verb == SCN_VERB_EXPECT_BUGCHECK || s->stmts[i].verb == SCN_VERB_EXPECT_HANG)
            want_stop = 1;
    fputs("\nexpectations:\n", c->o->out);
    if (c->stopped && !want_stop) {
        const FSIM_REPORT *r = FsimGetReport(c->m);
        c->checks++;
        if (FsimMachineState(c->m) == FSIM_STATE_HUNG)
            fail(c, c->stop_line, "unexpected hang");
        else
            fail(c, c->stop_line, "unexpected bugcheck 0x%" PRIX32 " (%s)", r ? r->Code : 0,
                 r && r->Name ? r->Name : "unknown");
    }
    for (size_t i = 0; i < s->nstmts; i++)
        if (SCN_VERB_IS_EXPECT(s->stmts[i].verb))
            check_expectation(c, &s->stmts[i]);
}

/* --- the run --------------------------------------------------------------------------------------- */

int scn_exec(const scn_script *s, const scn_exec_options *o)
{
    exec_ctx c;
    memset(&c, 0, sizeof(c));
    c.s = s;
    c.o = o;
    int rc = SCN_EXIT_ERROR;
    c.pids = calloc(s->nprocesses + 1, sizeof(*c.pids));
    c.pid_valid = calloc(s->nprocesses + 1, sizeof(*c.pid_valid));
    c.handles = calloc(s->nhandles + 1, sizeof(*c.handles));
    c.handle_valid = calloc(s->nhandles + 1, sizeof(*c.handle_valid));
    if (!c.pids || !c.pid_valid || !c.handles || !c.handle_valid) {
        fprintf(o->err, "%s: error: out of memory\n", s->path);
        goto out;
    }
    FSIM_MACHINE_OPTIONS mo;
    memset(&mo, 0, sizeof(mo));
    mo.Seed = o->seed_set ? o->seed : s->machine.seed;
    mo.VerifierFlags = s->machine.verifier;
    mo.TrackLockedPages = s->machine.track_locked_pages;
    mo.KernelStackSize = s->machine.stack_size;
    c.m = FsimMachineCreate(&mo);
    if (!c.m) {
        fprintf(o->err, "%s: error: the simulated machine could not be created\n", s->path);
        goto out;
    }
    FsimSetLogCallback(c.m, on_log, &c);
    if (s->machine.trace || o->trace)
        FsimSetTrace(c.m, 1);

    for (size_t i = 0; i < s->nstmts; i++) {
        const scn_stmt *st = &s->stmts[i];
        if (SCN_VERB_IS_EXPECT(st->verb))
            continue;
        if (c.stopped) {
            end_pending(&c);
            fprintf(o->out, "[%u] %s: skipped: machine stopped\n", (unsigned)st->pos.line, st->source);
            continue;
        }
        header(&c, st);
        if (run_stmt(&c, st) < 0)
            goto out;
        end_pending(&c);
    }
    end_pending(&c);

    if (c.stopped) {
        const FSIM_REPORT *r = FsimGetReport(c.m);
        if (r) {
            rbuf b = { 0 };
            if (o->json)
                report_render_json(&b, r);
            else
                report_render_text(&b, r);
            fputc('\n', o->out);
            fputs(rb_str(&b), o->out);
            rb_free(&b);
        }
    }
    {
        FSIM_STACK_PROFILE prof;
        if (FsimGetDeepestStack(c.m, &prof)) {
            fputc('\n', o->out);
            stack_summary(o->out, &prof);
            if (o->stack_svg && stack_write_svg(o->stack_svg, &prof, s->path) != 0)
                fprintf(o->err, "%s: error: cannot write %s\n", s->path, o->stack_svg);
            if (o->stack_folded && stack_write_folded(o->stack_folded, &prof) != 0)
                fprintf(o->err, "%s: error: cannot write %s\n", s->path, o->stack_folded);
        }
    }
    check_expectations(&c);
    if (c.failures)
        fprintf(o->out, "\nresult: FAIL (%zu of %zu checks failed)\n", c.failures, c.checks);
    else
        fprintf(o->out, "\nresult: PASS (%zu checks)\n", c.checks);
    rc = c.failures ? SCN_EXIT_FAIL : SCN_EXIT_PASS;

out:
    end_pending(&c);
    c.quiet = 1;
    fflush(o->out);
    if (c.m)
        FsimMachineDestroy(c.m);
    for (size_t i = 0; i < c.nlog; i++)
        free(c.log[i]);
    free(c.log);
    free(c.report);
    free(c.pids);
    free(c.pid_valid);
    free(c.handles);
    free(c.handle_valid);
    return rc;
}
