/*
 * fake_host.c - a stand-in for the simulator's host API (sim/host/fltsim.h)
 * for the tool tests: records calls, returns canned results and reports.
 */
#include "fake_host.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct FSIM_MACHINE {
    int dummy;
};

#define MAX_RULES 32

typedef struct rule {
    char func[64];
    int kind; /* 1 fail next, 2 stop on nth, 3 log */
    uint32_t status;
    unsigned nth;
    const FSIM_REPORT *report;
    char line[256];
} rule;

static struct {
    char *calls;
    size_t len, cap;
    rule rules[MAX_RULES];
    size_t nrules;
    struct {
        char func[64];
        unsigned count;
    } counts[64];
    size_t ncounts;
    FSIM_MACHINE machine;
    int live;
    FSIM_STATE state;
    const FSIM_REPORT *report;
    FSIM_LOG_CALLBACK *log;
    void *log_ctx;
    const FSIM_REPORT_LEAK *leaks;
    size_t nleaks;
    struct {
        uint64_t address;
        const char *kind;
    } describe[16];
    size_t ndescribe;
    const char *read_data;
    const char *last_error;
    uint64_t next_handle;
    FSIM_PID next_pid;
    uint64_t time;
    int dir_calls;
} F;

void fake_reset(void)
{
    free(F.calls);
    memset(&F, 0, sizeof(F));
    F.next_handle = 4;
    F.next_pid = 100;
}

const char *fake_calls(void)
{
    return F.calls ? F.calls : "";
}

static void record(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char buf[1024];
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    size_t len = strlen(buf);
    if (F.len + len + 2 > F.cap) {
        size_t ncap = F.cap ? F.cap * 2 : 1024;
        while (ncap < F.len + len + 2)
            ncap *= 2;
        char *p = realloc(F.calls, ncap);
        if (!p)
            return;
        F.calls = p;
        F.cap = ncap;
    }
    memcpy(F.calls + F.len, buf, len);
    F.len += len;
    F.calls[F.len++] = '\n';
    F.calls[F.len] = '\0';
}

static rule *add_rule(const char *func, int kind)
{
    if (F.nrules == MAX_RULES)
        abort();
    rule *r = &F.rules[F.nrules++];
    memset(r, 0, sizeof(*r));
    snprintf(r->func, sizeof(r->func), "%s", func);
    r->kind = kind;
    return r;
}

void fake_fail_next(const char *func, uint32_t status)
{
    add_rule(func, 1)->status = status;
}

void fake_stop_on(const char *func, unsigned nth, const FSIM_REPORT *report)
{
    rule *r = add_rule(func, 2);
    r->nth = nth;
    r->report = report;
}

void fake_log_on(const char *func, const char *line)
{
    snprintf(add_rule(func, 3)->line, sizeof(F.rules[0].line), "%s", line);
}

void fake_set_leaks(const FSIM_REPORT_LEAK *leaks, size_t n)
{
    F.leaks = leaks;
    F.nleaks = n;
}

void fake_set_describe(uint64_t address, const char *kind)
{
    if (F.ndescribe < 16) {
        F.describe[F.ndescribe].address = address;
        F.describe[F.ndescribe].kind = kind;
        F.ndescribe++;
    }
}

void fake_set_read_data(const char *data)
{
    F.read_data = data;
}

void fake_set_last_error(const char *text)
{
    F.last_error = text;
}

int fake_live_machines(void)
{
    return F.live;
}

/*
 * Apply the rules for a call of `func`: emit log lines, then fail or stop.
 * Returns 1 and sets *status when the call must return it without doing
 * its work.
 */
static int enter(const char *func, uint32_t *status)
{
    if (F.state != FSIM_STATE_RUNNING) {
        *status = FSIM_STATUS_MACHINE_STOPPED;
        return 1;
    }
    unsigned count = 0;
    size_t i;
    for (i = 0; i < F.ncounts; i++)
        if (strcmp(F.counts[i].func, func) == 0)
            break;
    if (i == F.ncounts && F.ncounts < 64) {
        snprintf(F.counts[i].func, sizeof(F.counts[i].func), "%s", func);
        F.ncounts++;
    }
    if (i < 64)
        count = ++F.counts[i].count;
    for (size_t k = 0; k < F.nrules; k++) {
        rule *r = &F.rules[k];
        if (r->kind == 3 && strcmp(r->func, func) == 0 && F.log)
            F.log(F.log_ctx, FSIM_LOG_DBGPRINT, r->line);
    }
    for (size_t k = 0; k < F.nrules; k++) {
        rule *r = &F.rules[k];
        if (strcmp(r->func, func) != 0)
            continue;
        if (r->kind == 1) {
            r->kind = 0; /* used up */
            *status = r->status;
            return 1;
        }
        if (r->kind == 2 && r->nth == count) {
            F.state = r->report->Kind;
            F.report = r->report;
            *status = FSIM_STATUS_MACHINE_STOPPED;
            return 1;
        }
    }
    return 0;
}

/* --- machine --- */

FSIM_MACHINE *FsimMachineCreate(const FSIM_MACHINE_OPTIONS *o)
{
    record("FsimMachineCreate seed=%" PRIu64 " verifier=0x%" PRIx32 " track=%d stack=0x%" PRIx32, o->Seed,
           o->VerifierFlags, o->TrackLockedPages, o->KernelStackSize);
    F.live++;
    F.state = FSIM_STATE_RUNNING;
    return &F.machine;
}

void FsimMachineDestroy(FSIM_MACHINE *m)
{
    (void)m;
    record("FsimMachineDestroy");
    F.live--;
}

void FsimSetLogCallback(FSIM_MACHINE *m, FSIM_LOG_CALLBACK *cb, void *ctx)
{
    (void)m;
    F.log = cb;
    F.log_ctx = ctx;
}

void FsimSetTrace(FSIM_MACHINE *m, int enabled)
{
    (void)m;
    record("FsimSetTrace %d", enabled);
    if (enabled && F.log)
        F.log(F.log_ctx, FSIM_LOG_TRACE, "trace on\n");
}

const char *FsimLastError(FSIM_MACHINE *m)
{
    (void)m;
    return F.last_error ? F.last_error : "";
}

FSIM_STATUS FsimAdvanceTime(FSIM_MACHINE *m, uint64_t ns)
{
    (void)m;
    uint32_t st;
    record("FsimAdvanceTime %" PRIu64, ns);
    if (enter("FsimAdvanceTime", &st))
        return st;
    F.time += ns / 100;
    return 0;
}

uint64_t FsimCurrentTime(FSIM_MACHINE *m)
{
    (void)m;
    return F.time;
}

/* --- volumes --- */

FSIM_STATUS FsimVolumeAddLocal(FSIM_MACHINE *m, const char *drive)
{
    (void)m;
    uint32_t st;
    record("FsimVolumeAddLocal %s", drive);
    return enter("FsimVolumeAddLocal", &st) ? st : 0;
}

FSIM_STATUS FsimVolumeAddRemote(FSIM_MACHINE *m, const char *share, uint64_t latency_ns, int csc, int caching)
{
    (void)m;
    uint32_t st;
    record("FsimVolumeAddRemote %s latency=%llu csc=%d caching=%d", share, (unsigned long long)latency_ns, csc,
           caching);
    return enter("FsimVolumeAddRemote", &st) ? st : 0;
}

FSIM_STATUS FsimCopyFileEx(FSIM_MACHINE *m, FSIM_PID pid, const char *source, const char *target, uint32_t flags)
{
    (void)m;
    uint32_t st;
    record("FsimCopyFileEx %u %s %s 0x%x", pid, source, target, flags);
    return enter("FsimCopyFileEx", &st) ? st : 0;
}

FSIM_STATUS FsimVolumeCreateDirectory(FSIM_MACHINE *m, const char *path)
{
    (void)m;
    uint32_t st;
    record("FsimVolumeCreateDirectory %s", path);
    return enter("FsimVolumeCreateDirectory", &st) ? st : 0;
}

FSIM_STATUS FsimVolumeCreateFile(FSIM_MACHINE *m, const char *path, const void *data, size_t length)
{
    (void)m;
    uint32_t st;
    record("FsimVolumeCreateFile %s length=%zu data=%.*s", path, length, (int)(length > 30 ? 30 : length),
           (const char *)data);
    return enter("FsimVolumeCreateFile", &st) ? st : 0;
}

/* --- services --- */

FSIM_STATUS FsimServiceCreate(FSIM_MACHINE *m, const char *service, const char *image)
{
    (void)m;
    uint32_t st;
    record("FsimServiceCreate %s %s", service, image);
    return enter("FsimServiceCreate", &st) ? st : 0;
}

FSIM_STATUS FsimServiceAddInstance(FSIM_MACHINE *m, const char *service, const char *instance, const char *altitude,
                                   uint32_t flags, int def)
{
    (void)m;
    uint32_t st;
    record("FsimServiceAddInstance %s \"%s\" %s flags=0x%" PRIx32 " default=%d", service, instance, altitude, flags,
           def);
    return enter("FsimServiceAddInstance", &st) ? st : 0;
}

FSIM_STATUS FsimServiceSetDword(FSIM_MACHINE *m, const char *service, const char *name, uint32_t value)
{
    (void)m;
    uint32_t st;
    record("FsimServiceSetDword %s %s 0x%" PRIx32, service, name, value);
    return enter("FsimServiceSetDword", &st) ? st : 0;
}

FSIM_STATUS FsimServiceSetString(FSIM_MACHINE *m, const char *service, const char *name, const char *value)
{
    (void)m;
    uint32_t st;
    record("FsimServiceSetString %s %s \"%s\"", service, name, value);
    return enter("FsimServiceSetString", &st) ? st : 0;
}

FSIM_STATUS FsimDriverLoad(FSIM_MACHINE *m, const char *service)
{
    (void)m;
    uint32_t st;
    record("FsimDriverLoad %s", service);
    return enter("FsimDriverLoad", &st) ? st : 0;
}

FSIM_STATUS FsimDriverUnload(FSIM_MACHINE *m, const char *service)
{
    (void)m;
    uint32_t st;
    record("FsimDriverUnload %s", service);
    return enter("FsimDriverUnload", &st) ? st : 0;
}

/* --- processes and files --- */

FSIM_STATUS FsimProcessCreate(FSIM_MACHINE *m, const char *image, FSIM_PID *pid)
{
    (void)m;
    uint32_t st;
    record("FsimProcessCreate %s", image);
    if (enter("FsimProcessCreate", &st))
        return st;
    *pid = F.next_pid;
    F.next_pid += 4;
    return 0;
}

FSIM_STATUS FsimProcessExit(FSIM_MACHINE *m, FSIM_PID pid)
{
    (void)m;
    uint32_t st;
    record("FsimProcessExit %" PRIu32, pid);
    return enter("FsimProcessExit", &st) ? st : 0;
}

FSIM_STATUS FsimNtCreateFile(FSIM_MACHINE *m, FSIM_PID pid, const FSIM_CREATE *c, FSIM_HANDLE *h, uint64_t *info)
{
    (void)m;
    uint32_t st;
    record("FsimNtCreateFile pid=%" PRIu32 " %s access=0x%" PRIx32 " share=0x%" PRIx32 " disposition=%" PRIu32
           " options=0x%" PRIx32 " attributes=0x%" PRIx32,
           pid, c->Path, c->DesiredAccess, c->ShareAccess, c->CreateDisposition, c->CreateOptions, c->FileAttributes);
    if (enter("FsimNtCreateFile", &st))
        return st;
    *h = F.next_handle;
    F.next_handle += 4;
    *info = c->CreateDisposition == 2 ? 2 : 1; /* FILE_CREATED : FILE_OPENED */
    return 0;
}

static const char *offset_text(uint64_t off, char buf[32])
{
    if (off == UINT64_MAX)
        return "current";
    snprintf(buf, 32, "%" PRIu64, off);
    return buf;
}

FSIM_STATUS FsimPortServe(FSIM_MACHINE *m, FSIM_PID pid, const FSIM_PORT_SERVICE *svc)
{
    (void)m;
    uint32_t st;
    record("FsimPortServe pid=%" PRIu32 " port=%s reply=%" PRIu32 " bytes delay=%" PRIu64 " open=%s", pid, svc->Port,
           svc->ReplyLength, svc->DelayNs, svc->OpenPath ? svc->OpenPath : "-");
    if (enter("FsimPortServe", &st))
        return st;
    return 0;
}

FSIM_STATUS FsimReadMappedView(FSIM_MACHINE *m, FSIM_PID pid, FSIM_HANDLE h, uint64_t off, void *buf, uint32_t len,
                               uint64_t *info)
{
    (void)m;
    uint32_t st;
    record("FsimReadMappedView pid=%" PRIu32 " h=%" PRIu64 " offset=%" PRIu64 " length=%" PRIu32, pid, h, off, len);
    if (enter("FsimReadMappedView", &st))
        return st;
    for (uint32_t i = 0; i < len; i++)
        ((unsigned char *)buf)[i] = (unsigned char)('a' + i % 26);
    *info = len;
    return 0;
}

FSIM_STATUS FsimNtReadFile(FSIM_MACHINE *m, FSIM_PID pid, FSIM_HANDLE h, uint64_t off, void *buf, uint32_t len,
                           uint64_t *info)
{
    (void)m;
    uint32_t st;
    char ob[32];
    record("FsimNtReadFile pid=%" PRIu32 " h=%" PRIu64 " offset=%s length=%" PRIu32, pid, h, offset_text(off, ob),
           len);
    if (enter("FsimNtReadFile", &st))
        return st;
    if (F.read_data) {
        size_t n = strlen(F.read_data);
        if (n > len)
            n = len;
        memcpy(buf, F.read_data, n);
        *info = n;
    } else {
        for (uint32_t i = 0; i < len; i++)
            ((unsigned char *)buf)[i] = (unsigned char)('a' + i % 26);
        *info = len;
    }
    return 0;
}

FSIM_STATUS FsimNtWriteFile(FSIM_MACHINE *m, FSIM_PID pid, FSIM_HANDLE h, uint64_t off, const void *buf,
                            uint32_t len, uint64_t *info)
{
    (void)m;
    uint32_t st;
    char ob[32];
    record("FsimNtWriteFile pid=%" PRIu32 " h=%" PRIu64 " offset=%s length=%" PRIu32 " data=%.*s", pid, h,
           offset_text(off, ob), len, (int)(len > 30 ? 30 : len), (const char *)buf);
    if (enter("FsimNtWriteFile", &st))
        return st;
    *info = len;
    return 0;
}

static void put16(unsigned char *p, const char *ascii)
{
    for (size_t i = 0; ascii[i]; i++) {
        p[2 * i] = (unsigned char)ascii[i];
        p[2 * i + 1] = 0;
    }
}

static void put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

FSIM_STATUS FsimNtQueryInformationFile(FSIM_MACHINE *m, FSIM_PID pid, FSIM_HANDLE h, uint32_t cls, void *buf,
                                       uint32_t len, uint64_t *info)
{
    (void)m;
    uint32_t st;
    record("FsimNtQueryInformationFile pid=%" PRIu32 " h=%" PRIu64 " class=%" PRIu32 " length=%" PRIu32, pid, h, cls,
           len);
    if (enter("FsimNtQueryInformationFile", &st))
        return st;
    unsigned char *p = buf;
    if (cls == 5 && len >= 24) { /* FileStandardInformation */
        memset(p, 0, 24);
        p[1] = 0x10;  /* AllocationSize 4096 */
        p[8] = 100;   /* EndOfFile */
        p[16] = 1;    /* NumberOfLinks */
        *info = 24;
        return 0;
    }
    if (cls == 9 && len >= 4 + 2 * 11) { /* FileNameInformation */
        put32(p, 22);
        put16(p + 4, "\\docs\\a.txt");
        *info = 4 + 22;
        return 0;
    }
    *info = 0;
    return 0xC0000003u; /* STATUS_INVALID_INFO_CLASS */
}

FSIM_STATUS FsimNtSetInformationFile(FSIM_MACHINE *m, FSIM_PID pid, FSIM_HANDLE h, uint32_t cls, const void *buf,
                                     uint32_t len)
{
    (void)m;
    uint32_t st;
    char hex[512];
    size_t used = 0;
    const unsigned char *p = buf;
    for (uint32_t i = 0; i < len && used + 3 < sizeof(hex); i++)
        used += (size_t)snprintf(hex + used, sizeof(hex) - used, "%02x", p[i]);
    hex[used] = '\0';
    record("FsimNtSetInformationFile pid=%" PRIu32 " h=%" PRIu64 " class=%" PRIu32 " length=%" PRIu32 " data=%s", pid,
           h, cls, len, hex);
    return enter("FsimNtSetInformationFile", &st) ? st : 0;
}

FSIM_STATUS FsimNtQuerySecurityObject(FSIM_MACHINE *m, FSIM_PID pid, FSIM_HANDLE h, uint32_t info, void *buf,
                                      uint32_t len, uint32_t *needed)
{
    (void)m;
    (void)buf;
    uint32_t st;
    record("FsimNtQuerySecurityObject pid=%" PRIu32 " h=%" PRIu64 " info=0x%" PRIx32 " length=%" PRIu32, pid, h, info,
           len);
    if (enter("FsimNtQuerySecurityObject", &st))
        return st;
    *needed = 0x90;
    return len >= 0x90 ? 0 : 0xC0000023u; /* STATUS_BUFFER_TOO_SMALL */
}

/* Two entries in FileBothDirectoryInformation (3) or FileNamesInformation (12) layout. */
static uint64_t dir_entries(uint32_t cls, unsigned char *p, uint32_t len)
{
    static const char *const names[] = { "a.txt", "sub" };
    size_t len_off = cls == 3 ? 60 : 8, name_off = cls == 3 ? 94 : 12;
    uint64_t off = 0;
    for (size_t i = 0; i < 2; i++) {
        size_t nlen = strlen(names[i]) * 2;
        size_t size = (name_off + nlen + 7) & ~(size_t)7;
        if (off + size > len)
            break;
        memset(p + off, 0, size);
        put32(p + off, i == 1 ? 0 : (uint32_t)size);
        put32(p + off + len_off, (uint32_t)nlen);
        put16(p + off + name_off, names[i]);
        off += size;
    }
    return off;
}

FSIM_STATUS FsimNtQueryDirectoryFile(FSIM_MACHINE *m, FSIM_PID pid, FSIM_HANDLE h, uint32_t cls, void *buf,
                                     uint32_t len, int single, const char *pattern, int restart, uint64_t *info)
{
    (void)m;
    uint32_t st;
    record("FsimNtQueryDirectoryFile pid=%" PRIu32 " h=%" PRIu64 " class=%" PRIu32 " length=%" PRIu32
           " single=%d pattern=%s restart=%d",
           pid, h, cls, len, single, pattern ? pattern : "(null)", restart);
    if (enter("FsimNtQueryDirectoryFile", &st))
        return st;
    if (restart)
        F.dir_calls = 0;
    if (F.dir_calls++ > 0 || (cls != 3 && cls != 12)) {
        *info = 0;
        return 0x80000006u; /* STATUS_NO_MORE_FILES */
    }
    *info = dir_entries(cls, buf, len);
    return 0;
}

FSIM_STATUS FsimNtClose(FSIM_MACHINE *m, FSIM_PID pid, FSIM_HANDLE h)
{
    (void)m;
    uint32_t st;
    record("FsimNtClose pid=%" PRIu32 " h=%" PRIu64, pid, h);
    return enter("FsimNtClose", &st) ? st : 0;
}

/* --- what happened --- */

FSIM_STATE FsimMachineState(FSIM_MACHINE *m)
{
    (void)m;
    return F.state;
}

const FSIM_REPORT *FsimGetReport(FSIM_MACHINE *m)
{
    (void)m;
    return F.state == FSIM_STATE_RUNNING ? NULL : F.report;
}

size_t FsimGetLeaks(FSIM_MACHINE *m, const FSIM_REPORT_LEAK **leaks)
{
    (void)m;
    *leaks = F.leaks;
    return F.nleaks;
}

const char *FsimDescribeAddress(FSIM_MACHINE *m, uint64_t address)
{
    (void)m;
    for (size_t i = 0; i < F.ndescribe; i++)
        if (F.describe[i].address == address)
            return F.describe[i].kind;
    return NULL;
}

int FsimGetDeepestStack(FSIM_MACHINE *m, FSIM_STACK_PROFILE *p)
{
    (void)m;
    memset(p, 0, sizeof(*p));
    return 0; /* the fake runs no simulated code */
}
