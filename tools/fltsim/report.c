/*
 * report.c - rendering bugcheck and hang reports (FSIM_REPORT) as WinDbg
 * `!analyze -v`-like text or as JSON: banner, code and arguments, thread and
 * IRQL, guilty driver and source line, root cause, `k`-style stack, object
 * dumps aligned like `dt`, and the table of leaked objects.
 */
#include "report.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- text buffer ------------------------------------------------------------------------ */

static int rb_reserve(rbuf *b, size_t extra)
{
    if (b->oom)
        return -1;
    if (b->len + extra + 1 <= b->cap)
        return 0;
    size_t ncap = b->cap ? b->cap : 256;
    while (ncap < b->len + extra + 1)
        ncap *= 2;
    char *np = realloc(b->p, ncap);
    if (!np) {
        b->oom = 1;
        return -1;
    }
    b->p = np;
    b->cap = ncap;
    return 0;
}

void rb_putn(rbuf *b, const char *s, size_t n)
{
    if (rb_reserve(b, n) < 0)
        return;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void rb_puts(rbuf *b, const char *s)
{
    rb_putn(b, s, strlen(s));
}

void rb_pad(rbuf *b, char c, size_t n)
{
    if (rb_reserve(b, n) < 0)
        return;
    memset(b->p + b->len, c, n);
    b->len += n;
    b->p[b->len] = '\0';
}

void rb_printf(rbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n > 0 && rb_reserve(b, (size_t)n) == 0) {
        vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
        b->len += (size_t)n;
    }
    va_end(ap);
}

const char *rb_str(rbuf *b)
{
    return b->p ? b->p : "";
}

void rb_free(rbuf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
    b->oom = 0;
}

/* --- small formats ------------------------------------------------------------------------- */

void report_address(uint64_t a, char out[18])
{
    snprintf(out, 18, "%08" PRIx32 "`%08" PRIx32, (uint32_t)(a >> 32), (uint32_t)a);
}

void report_tag(uint32_t tag, char out[5])
{
    for (int i = 0; i < 4; i++) {
        unsigned char c = (unsigned char)(tag >> (8 * i));
        out[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '.';
    }
    out[4] = '\0';
}

static int nonempty(const char *s)
{
    return s && *s;
}

/* Append text, then a newline unless it already ends with one. */
static void put_line(rbuf *b, const char *s)
{
    size_t n = strlen(s);
    rb_putn(b, s, n);
    if (n == 0 || s[n - 1] != '\n')
        rb_putn(b, "\n", 1);
}

/* Text with its continuation lines indented by `indent` spaces. */
static void put_indented(rbuf *b, const char *s, size_t indent)
{
    for (;;) {
        const char *nl = strchr(s, '\n');
        if (!nl) {
            rb_puts(b, s);
            return;
        }
        rb_putn(b, s, (size_t)(nl - s) + 1);
        s = nl + 1;
        if (!*s)
            return;
        rb_pad(b, ' ', indent);
    }
}

/* --- text report ----------------------------------------------------------------------------- */

#define BANNER_WIDTH 79

static void banner(rbuf *b, const char *title)
{
    rb_pad(b, '*', BANNER_WIDTH);
    rb_puts(b, "\n*");
    rb_pad(b, ' ', BANNER_WIDTH - 2);
    rb_puts(b, "*\n*");
    /* the title starts in column 26, as in WinDbg's "Bugcheck Analysis" banner */
    size_t tl = strlen(title), lead = 24;
    rb_pad(b, ' ', lead);
    rb_puts(b, title);
    rb_pad(b, ' ', BANNER_WIDTH - 2 > lead + tl ? BANNER_WIDTH - 2 - lead - tl : 1);
    rb_puts(b, "*\n*");
    rb_pad(b, ' ', BANNER_WIDTH - 2);
    rb_puts(b, "*\n");
    rb_pad(b, '*', BANNER_WIDTH);
    rb_puts(b, "\n\n");
}

static void key_line(rbuf *b, const char *key, const char *value)
{
    if (!nonempty(value))
        return;
    rb_printf(b, "%s:  ", key);
    put_indented(b, value, strlen(key) + 3);
    if (value[strlen(value) - 1] != '\n')
        rb_puts(b, "\n");
    rb_puts(b, "\n");
}

#define CALL_SITE_WIDTH 44

static void call_site(rbuf *b, const FSIM_REPORT_FRAME *f)
{
    rb_printf(b, "%s!%s", nonempty(f->Module) ? f->Module : "<unknown>",
              nonempty(f->Function) ? f->Function : "<unknown>");
    if (nonempty(f->File))
        rb_printf(b, " [%s @ %" PRIu32 "]", f->File, f->Line);
}

static void stack_text(rbuf *b, const FSIM_REPORT *r)
{
    if (r->FrameCount == 0 || !r->Frames)
        return;
    size_t width = CALL_SITE_WIDTH;
    for (size_t i = 0; i < r->FrameCount; i++) {
        rbuf cs = { 0 };
        call_site(&cs, &r->Frames[i]);
        if (cs.len + 1 > width)
            width = cs.len + 1;
        rb_free(&cs);
    }
    rb_puts(b, "STACK_TEXT:\n");
    rb_puts(b, " # Child-SP          Call Site");
    rb_pad(b, ' ', width - strlen("Call Site"));
    rb_puts(b, "Size\n");
    for (size_t i = 0; i < r->FrameCount; i++) {
        const FSIM_REPORT_FRAME *f = &r->Frames[i];
        char sp[18];
        report_address(f->ChildSp, sp);
        rb_printf(b, "%02" PRIx32 " %s ", f->Number, sp);
        size_t before = b->len;
        call_site(b, f);
        size_t used = b->len - before;
        rb_pad(b, ' ', width > used ? width - used : 1);
        rb_printf(b, "0x%" PRIx32 "\n", f->Bytes);
    }
    rb_puts(b, "\n");
}

/* Field names "+0x00a MdlFlags" are split into the offset and the name. */
static void split_field(const char *name, const char **off, size_t *offlen, const char **fname)
{
    *off = NULL;
    *offlen = 0;
    *fname = name ? name : "";
    if (name && name[0] == '+' && name[1] == '0' && name[2] == 'x') {
        const char *sp = strchr(name, ' ');
        if (sp) {
            *off = name;
            *offlen = (size_t)(sp - name);
            while (*sp == ' ')
                sp++;
            *fname = sp;
        }
    }
}

static void section(rbuf *b, const FSIM_REPORT_SECTION *s)
{
    rb_printf(b, "0: kd> %s\n", nonempty(s->Title) ? s->Title : "");
    size_t namew = 0, offw = 0;
    for (size_t i = 0; i < s->FieldCount; i++) {
        const char *off, *fname;
        size_t offlen;
        split_field(s->Fields[i].Name, &off, &offlen, &fname);
        if (strlen(fname) > namew)
            namew = strlen(fname);
        if (offlen > offw)
            offw = offlen;
    }
    for (size_t i = 0; i < s->FieldCount; i++) {
        const char *off, *fname;
        size_t offlen;
        split_field(s->Fields[i].Name, &off, &offlen, &fname);
        rb_puts(b, "   ");
        if (offw) {
            rb_putn(b, off ? off : "", offlen);
            rb_pad(b, ' ', offw - offlen + 1);
        }
        rb_puts(b, fname);
        rb_pad(b, ' ', namew - strlen(fname) + 1);
        rb_puts(b, ": ");
        const char *v = s->Fields[i].Value ? s->Fields[i].Value : "(null)";
        put_indented(b, v, 3 + (offw ? offw + 1 : 0) + namew + 3);
        if (!*v || v[strlen(v) - 1] != '\n')
            rb_puts(b, "\n");
    }
    rb_puts(b, "\n");
}

void report_render_leaks(rbuf *b, const FSIM_REPORT_LEAK *l, size_t n)
{
    if (n == 0 || !l)
        return;
    enum { C_KIND, C_ADDR, C_TAG, C_SIZE, C_REFS, C_DRIVER, C_AT, NCOL };
    static const char *const head[NCOL] = { "Kind", "Address", "Tag", "Size", "Refs", "Driver", "Allocated at" };
    size_t w[NCOL];
    for (int c = 0; c < NCOL; c++)
        w[c] = strlen(head[c]);
    char cell[64];
    for (size_t i = 0; i < n; i++) {
        size_t k = nonempty(l[i].Kind) ? strlen(l[i].Kind) : 1;
        if (k > w[C_KIND])
            w[C_KIND] = k;
        if (17 > w[C_ADDR])
            w[C_ADDR] = 17;
        if (4 > w[C_TAG])
            w[C_TAG] = 4;
        int m = snprintf(cell, sizeof(cell), "0x%" PRIx64, l[i].Size);
        if ((size_t)m > w[C_SIZE])
            w[C_SIZE] = (size_t)m;
        m = snprintf(cell, sizeof(cell), "%" PRIu32, l[i].References);
        if ((size_t)m > w[C_REFS])
            w[C_REFS] = (size_t)m;
        size_t d = nonempty(l[i].Driver) ? strlen(l[i].Driver) : 1;
        if (d > w[C_DRIVER])
            w[C_DRIVER] = d;
    }
    rb_puts(b, "LEAKED OBJECTS:\n");
    for (int c = 0; c < NCOL; c++) {
        rb_puts(b, head[c]);
        if (c + 1 < NCOL)
            rb_pad(b, ' ', w[c] - strlen(head[c]) + 2);
    }
    rb_puts(b, "\n");
    for (size_t i = 0; i < n; i++) {
        const char *cells[NCOL];
        char addr[18], tag[5], size[32], refs[16];
        report_address(l[i].Address, addr);
        if (l[i].Tag)
            report_tag(l[i].Tag, tag);
        else
            snprintf(tag, sizeof(tag), "-");
        snprintf(size, sizeof(size), "0x%" PRIx64, l[i].Size);
        snprintf(refs, sizeof(refs), "%" PRIu32, l[i].References);
        cells[C_KIND] = nonempty(l[i].Kind) ? l[i].Kind : "-";
        cells[C_ADDR] = addr;
        cells[C_TAG] = tag;
        cells[C_SIZE] = size;
        cells[C_REFS] = refs;
        cells[C_DRIVER] = nonempty(l[i].Driver) ? l[i].Driver : "-";
        for (int c = 0; c < C_AT; c++) {
            rb_puts(b, cells[c]);
            rb_pad(b, ' ', w[c] - strlen(cells[c]) + 2);
        }
        if (nonempty(l[i].File))
            rb_printf(b, "%s:%" PRIu32 "\n", l[i].File, l[i].Line);
        else
            rb_puts(b, "-\n");
    }
    rb_puts(b, "\n");
}

void report_render_text(rbuf *b, const FSIM_REPORT *r)
{
    int hang = r->Kind == FSIM_STATE_HUNG;
    banner(b, hang ? "Hang Analysis" : "Bugcheck Analysis");
    if (hang) {
        put_line(b, nonempty(r->Name) ? r->Name : "UNLOAD HANG");
    } else {
        rb_printf(b, "%s (%" PRIx32 ")\n", nonempty(r->Name) ? r->Name : "UNKNOWN_BUGCHECK_CODE", r->Code);
    }
    if (nonempty(r->Description))
        put_line(b, r->Description);
    if (!hang) {
        rb_puts(b, "Arguments:\n");
        for (int i = 0; i < 4; i++) {
            rb_printf(b, "Arg%d: %016" PRIx64, i + 1, r->Args[i]);
            if (nonempty(r->ArgMeaning[i])) {
                rb_puts(b, ", ");
                put_indented(b, r->ArgMeaning[i], 0);
            }
            if (!nonempty(r->ArgMeaning[i]) || r->ArgMeaning[i][strlen(r->ArgMeaning[i]) - 1] != '\n')
                rb_puts(b, "\n");
        }
    }
    rb_puts(b, "\n");
    key_line(b, "FAULTING_THREAD", r->Thread);
    if (!hang) {
        char irql[16];
        snprintf(irql, sizeof(irql), "%" PRIu32, r->Irql);
        key_line(b, "CURRENT_IRQL", irql);
    }
    key_line(b, "IMAGE_NAME", r->GuiltyDriver);
    key_line(b, "FAULTING_SOURCE_LINE", r->GuiltyLocation);
    key_line(b, "ROOT_CAUSE", r->RootCause);
    stack_text(b, r);
    for (size_t i = 0; r->Sections && i < r->SectionCount; i++)
        section(b, &r->Sections[i]);
    report_render_leaks(b, r->Leaks, r->LeakCount);
}

char *report_text(const FSIM_REPORT *r)
{
    rbuf b = { 0 };
    report_render_text(&b, r);
    if (b.oom) {
        rb_free(&b);
        return NULL;
    }
    if (!b.p)
        return calloc(1, 1);
    return b.p;
}

/* --- JSON ------------------------------------------------------------------------------------ */

void report_json_string(rbuf *b, const char *s)
{
    if (!s) {
        rb_puts(b, "null");
        return;
    }
    rb_puts(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':
            rb_puts(b, "\\\"");
            break;
        case '\\':
            rb_puts(b, "\\\\");
            break;
        case '\n':
            rb_puts(b, "\\n");
            break;
        case '\r':
            rb_puts(b, "\\r");
            break;
        case '\t':
            rb_puts(b, "\\t");
            break;
        case '\b':
            rb_puts(b, "\\b");
            break;
        case '\f':
            rb_puts(b, "\\f");
            break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                rb_printf(b, "\\u%04x", *p);
            else
                rb_putn(b, (const char *)p, 1);
        }
    }
    rb_puts(b, "\"");
}

static void jkey(rbuf *b, int indent, const char *key)
{
    rb_pad(b, ' ', (size_t)indent);
    report_json_string(b, key);
    rb_puts(b, ": ");
}

static void jstr(rbuf *b, int indent, const char *key, const char *value, int comma)
{
    jkey(b, indent, key);
    report_json_string(b, value);
    rb_puts(b, comma ? ",\n" : "\n");
}

static void jhex(rbuf *b, int indent, const char *key, uint64_t value, int comma)
{
    jkey(b, indent, key);
    rb_printf(b, "\"0x%016" PRIx64 "\"%s\n", value, comma ? "," : "");
}

static void jnum(rbuf *b, int indent, const char *key, uint64_t value, int comma)
{
    jkey(b, indent, key);
    rb_printf(b, "%" PRIu64 "%s\n", value, comma ? "," : "");
}

void report_render_leaks_json(rbuf *b, const FSIM_REPORT_LEAK *l, size_t n, int indent)
{
    if (n == 0 || !l) {
        rb_puts(b, "[]");
        return;
    }
    rb_puts(b, "[\n");
    for (size_t i = 0; i < n; i++) {
        char tag[5];
        report_tag(l[i].Tag, tag);
        rb_pad(b, ' ', (size_t)indent + 2);
        rb_puts(b, "{\n");
        jstr(b, indent + 4, "kind", l[i].Kind, 1);
        jhex(b, indent + 4, "address", l[i].Address, 1);
        jstr(b, indent + 4, "tag", l[i].Tag ? tag : NULL, 1);
        jnum(b, indent + 4, "size", l[i].Size, 1);
        jnum(b, indent + 4, "references", l[i].References, 1);
        jstr(b, indent + 4, "driver", l[i].Driver, 1);
        jstr(b, indent + 4, "file", l[i].File, 1);
        jnum(b, indent + 4, "line", l[i].Line, 0);
        rb_pad(b, ' ', (size_t)indent + 2);
        rb_puts(b, i + 1 < n ? "},\n" : "}\n");
    }
    rb_pad(b, ' ', (size_t)indent);
    rb_puts(b, "]");
}

void report_render_json(rbuf *b, const FSIM_REPORT *r)
{
    int hang = r->Kind == FSIM_STATE_HUNG;
    rb_puts(b, "{\n");
    jstr(b, 2, "kind", hang ? "hang" : "bugcheck", 1);
    jkey(b, 2, "code");
    rb_printf(b, "\"0x%08" PRIX32 "\",\n", r->Code);
    jstr(b, 2, "name", r->Name, 1);
    jstr(b, 2, "description", r->Description, 1);
    jkey(b, 2, "arguments");
    rb_puts(b, "[\n");
    for (int i = 0; i < 4; i++) {
        rb_puts(b, "    { \"value\": ");
        rb_printf(b, "\"0x%016" PRIx64 "\", \"meaning\": ", r->Args[i]);
        report_json_string(b, r->ArgMeaning[i]);
        rb_puts(b, i < 3 ? " },\n" : " }\n");
    }
    rb_puts(b, "  ],\n");
    jstr(b, 2, "guilty_driver", r->GuiltyDriver, 1);
    jstr(b, 2, "guilty_location", r->GuiltyLocation, 1);
    jstr(b, 2, "root_cause", r->RootCause, 1);
    jstr(b, 2, "thread", r->Thread, 1);
    jnum(b, 2, "irql", r->Irql, 1);
    jkey(b, 2, "stack");
    if (r->FrameCount == 0 || !r->Frames) {
        rb_puts(b, "[],\n");
    } else {
        rb_puts(b, "[\n");
        for (size_t i = 0; i < r->FrameCount; i++) {
            const FSIM_REPORT_FRAME *f = &r->Frames[i];
            rb_puts(b, "    {\n");
            jnum(b, 6, "number", f->Number, 1);
            jhex(b, 6, "child_sp", f->ChildSp, 1);
            jstr(b, 6, "module", f->Module, 1);
            jstr(b, 6, "function", f->Function, 1);
            jstr(b, 6, "file", f->File, 1);
            jnum(b, 6, "line", f->Line, 1);
            jnum(b, 6, "bytes", f->Bytes, 1);
            jkey(b, 6, "is_driver");
            rb_puts(b, f->IsDriver ? "true\n" : "false\n");
            rb_puts(b, i + 1 < r->FrameCount ? "    },\n" : "    }\n");
        }
        rb_puts(b, "  ],\n");
    }
    jkey(b, 2, "sections");
    if (r->SectionCount == 0 || !r->Sections) {
        rb_puts(b, "[],\n");
    } else {
        rb_puts(b, "[\n");
        for (size_t i = 0; i < r->SectionCount; i++) {
            const FSIM_REPORT_SECTION *s = &r->Sections[i];
            rb_puts(b, "    {\n");
            jstr(b, 6, "title", s->Title, 1);
            jkey(b, 6, "fields");
            if (s->FieldCount == 0 || !s->Fields) {
                rb_puts(b, "[]\n");
            } else {
                rb_puts(b, "[\n");
                for (size_t k = 0; k < s->FieldCount; k++) {
                    rb_puts(b, "        { \"name\": ");
                    report_json_string(b, s->Fields[k].Name);
                    rb_puts(b, ", \"value\": ");
                    report_json_string(b, s->Fields[k].Value);
                    rb_puts(b, k + 1 < s->FieldCount ? " },\n" : " }\n");
                }
                rb_puts(b, "      ]\n");
            }
            rb_puts(b, i + 1 < r->SectionCount ? "    },\n" : "    }\n");
        }
        rb_puts(b, "  ],\n");
    }
    jkey(b, 2, "leaks");
    report_render_leaks_json(b, r->Leaks, r->LeakCount, 2);
    rb_puts(b, "\n}\n");
}
