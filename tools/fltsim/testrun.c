/*
 * testrun.c - `fltsim test`: finds scenarios, runs each in its own child
 * process (`fltsim run FILE`) with libuv (uv_spawn, stdout/stderr pipes, a
 * timer per child for the timeout), N at a time, and prints the results in
 * scenario-name order with the reason of each failure.
 */
#include "testrun.h"

#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uv.h>

#include "report.h"
#include "scn_exec.h"

#define OUTPUT_CAP (4u << 20) /* bytes kept of each child stream */

/* --- finding scenarios ------------------------------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcmp(s + n - m, suffix) == 0;
}

static int push_path(char ***v, size_t *n, size_t *cap, const char *dir, const char *name)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 32;
        char **nv = realloc(*v, ncap * sizeof(*nv));
        if (!nv)
            return -1;
        *v = nv;
        *cap = ncap;
    }
    size_t len = (dir ? strlen(dir) + 1 : 0) + strlen(name) + 1;
    char *p = malloc(len);
    if (!p)
        return -1;
    if (dir) {
        size_t dl = strlen(dir);
        int slash = dl > 0 && dir[dl - 1] == '/';
        snprintf(p, len, "%s%s%s", dir, slash ? "" : "/", name);
    } else {
        snprintf(p, len, "%s", name);
    }
    (*v)[(*n)++] = p;
    return 0;
}

void testrun_free_paths(char **paths, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
}

int testrun_collect(const char *const *args, size_t nargs, char ***paths, size_t *npaths, FILE *err)
{
    static const char *const here[] = { "." };
    if (nargs == 0) {
        args = here;
        nargs = 1;
    }
    char **v = NULL;
    size_t n = 0, cap = 0;
    uv_loop_t loop; /* the fs calls below are synchronous; the loop only carries them */
    if (uv_loop_init(&loop) < 0) {
        fprintf(err, "fltsim test: cannot start: out of resources\n");
        return -1;
    }
    for (size_t i = 0; i < nargs; i++) {
        uv_fs_t req;
        int r = uv_fs_stat(&loop, &req, args[i], NULL);
        int is_dir = r == 0 && (req.statbuf.st_mode & S_IFMT) == S_IFDIR;
        uv_fs_req_cleanup(&req);
        if (r < 0) {
            fprintf(err, "fltsim test: %s: %s\n", args[i], uv_strerror(r));
            testrun_free_paths(v, n);
            uv_loop_close(&loop);
            return -1;
        }
        if (!is_dir) {
            if (push_path(&v, &n, &cap, NULL, args[i]) < 0)
                goto oom;
            continue;
        }
        r = uv_fs_scandir(&loop, &req, args[i], 0, NULL);
        if (r < 0) {
            fprintf(err, "fltsim test: %s: %s\n", args[i], uv_strerror(r));
            uv_fs_req_cleanup(&req);
            testrun_free_paths(v, n);
            uv_loop_close(&loop);
            return -1;
        }
        uv_dirent_t ent;
        while (uv_fs_scandir_next(&req, &ent) != UV_EOF) {
            if (ent.type == UV_DIRENT_DIR || !ends_with(ent.name, ".scn"))
                continue;
            if (push_path(&v, &n, &cap, strcmp(args[i], ".") == 0 ? NULL : args[i], ent.name) < 0) {
                uv_fs_req_cleanup(&req);
                goto oom;
            }
        }
        uv_fs_req_cleanup(&req);
    }
    uv_loop_close(&loop);
    if (n)
        qsort(v, n, sizeof(*v), cmp_str);
    /* drop duplicates */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (k && strcmp(v[k - 1], v[i]) == 0)
            free(v[i]);
        else
            v[k++] = v[i];
    }
    *paths = v;
    *npaths = k;
    return 0;
oom:
    fprintf(err, "fltsim test: out of memory\n");
    testrun_free_paths(v, n);
    uv_loop_close(&loop);
    return -1;
}

/* --- why a child failed -------------------------------------------------------------------------- */

/* The first line of `text` containing `needle`, into buf (without the newline); 1 if found. */
static int first_line_with(const char *text, const char *needle, const char **line, size_t *len)
{
    if (!text)
        return 0;
    const char *hit = strstr(text, needle);
    if (!hit)
        return 0;
    const char *start = hit;
    while (start > text && start[-1] != '\n')
        start--;
    const char *end = strchr(hit, '\n');
    *line = start;
    *len = end ? (size_t)(end - start) : strlen(start);
    return 1;
}

/* The first non-empty line of `text`. */
static int first_line(const char *text, const char **line, size_t *len)
{
    if (!text)
        return 0;
    while (*text) {
        const char *end = strchr(text, '\n');
        size_t n = end ? (size_t)(end - text) : strlen(text);
        if (n) {
            *line = text;
            *len = n;
            return 1;
        }
        if (!end)
            break;
        text = end + 1;
    }
    return 0;
}

int testrun_reason(int64_t exit_status, int term_signal, int timed_out, unsigned timeout_sec, const char *out,
                   const char *err, char *reason, size_t size)
{
    const char *line;
    size_t len;
    if (size)
        reason[0] = '\0';
    if (timed_out) {
        snprintf(reason, size, "timed out after %us", timeout_sec);
        return 1;
    }
    if (term_signal) {
        snprintf(reason, size, "crashed (signal %d)", term_signal);
        return 1;
    }
    if (exit_status == 0)
        return 0;
    if (exit_status == SCN_EXIT_FAIL && first_line_with(out, ": " SCN_EXPECTATION_FAILED, &line, &len)) {
        /* "FILE:LINE: expectation failed: MESSAGE" -> "line LINE: MESSAGE" */
        const char *mark = strstr(line, ": " SCN_EXPECTATION_FAILED);
        const char *msg = mark + strlen(": " SCN_EXPECTATION_FAILED);
        const char *num = mark;
        while (num > line && num[-1] >= '0' && num[-1] <= '9')
            num--;
        if (num < mark && num > line && num[-1] == ':')
            snprintf(reason, size, "line %.*s: %.*s", (int)(mark - num), num, (int)(len - (size_t)(msg - line)), msg);
        else
            snprintf(reason, size, "%.*s", (int)(len - (size_t)(msg - line)), msg);
        return 1;
    }
    if (first_line_with(err, ": error: ", &line, &len) || first_line_with(out, ": error: ", &line, &len) ||
        first_line(err, &line, &len))
        snprintf(reason, size, "exit status %d: %.*s", (int)exit_status, (int)len, line);
    else
        snprintf(reason, size, "exit status %d", (int)exit_status);
    return 1;
}

/* --- running ------------------------------------------------------------------------------------- */

typedef struct runner runner;

typedef struct job {
    runner *r;
    size_t index;       /* the scenario: paths[index] */
    uint64_t seed;      /* with --seeds: the seed it runs with */
    char seed_text[24];
    uv_process_t proc;
    uv_pipe_t out, err;
    uv_timer_t timer;
    rbuf obuf, ebuf;
    int handles_open;
    int64_t exit_status;
    int term_signal;
    int timed_out;
    int spawn_error;
    int started;
    int done;
    int failed;
    char reason[512];
} job;

struct runner {
    uv_loop_t loop;
    const testrun_options *o;
    char *const *paths;
    size_t n;
    job *jobs;
    size_t next_start, next_print, running, finished;
    size_t passed, failed;
    unsigned jobs_max, timeout;
    const char *child;
    int progress;
    int progress_shown;
};

static void progress(runner *r)
{
    if (!r->progress)
        return;
    fprintf(r->o->out, "\r\033[K[%zu/%zu] running...", r->finished, r->n);
    fflush(r->o->out);
    r->progress_shown = 1;
}

static void clear_progress(runner *r)
{
    if (r->progress_shown) {
        fputs("\r\033[K", r->o->out);
        r->progress_shown = 0;
    }
}

static void print_indented(FILE *out, const char *text)
{
    while (text && *text) {
        const char *nl = strchr(text, '\n');
        size_t n = nl ? (size_t)(nl - text) : strlen(text);
        fprintf(out, "    %.*s\n", (int)n, text);
        if (!nl)
            break;
        text = nl + 1;
    }
}

static void print_ready(runner *r)
{
    while (r->next_print < r->n && r->jobs[r->next_print].done) {
        job *j = &r->jobs[r->next_print];
        clear_progress(r);
        if (j->failed) {
            fprintf(r->o->out, "FAIL %s%s%s%s: %s\n", r->paths[j->index], r->o->seeds ? " (seed " : "",
                    r->o->seeds ? j->seed_text : "", r->o->seeds ? ")" : "", j->reason);
            if (r->o->verbose) {
                print_indented(r->o->out, rb_str(&j->obuf));
                print_indented(r->o->out, rb_str(&j->ebuf));
            }
        } else {
            fprintf(r->o->out, "PASS %s%s%s%s\n", r->paths[j->index], r->o->seeds ? " (seed " : "",
                    r->o->seeds ? j->seed_text : "", r->o->seeds ? ")" : "");
        }
        rb_free(&j->obuf);
        rb_free(&j->ebuf);
        r->next_print++;
    }
    fflush(r->o->out);
}

static void start_jobs(runner *r);

static void job_finish(job *j)
{
    runner *r = j->r;
    if (j->spawn_error) {
        snprintf(j->reason, sizeof(j->reason), "cannot run %s: %s", r->child, uv_strerror(j->spawn_error));
        j->failed = 1;
    } else {
        j->failed = testrun_reason(j->exit_status, j->term_signal, j->timed_out, r->timeout, rb_str(&j->obuf),
                                   rb_str(&j->ebuf), j->reason, sizeof(j->reason));
    }
    if (j->failed)
        r->failed++;
    else
        r->passed++;
    j->done = 1;
    r->running--;
    r->finished++;
    print_ready(r);
    if (r->finished < r->n)
        progress(r);
    start_jobs(r);
}

static void on_close(uv_handle_t *h)
{
    job *j = h->data;
    if (--j->handles_open == 0)
        job_finish(j);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)h;
    size_t n = suggested < 65536 ? 65536 : suggested;
    buf->base = malloc(n);
    buf->len = buf->base ? n : 0;
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
    job *j = s->data;
    rbuf *b = s == (uv_stream_t *)&j->out ? &j->obuf : &j->ebuf;
    if (nread > 0 && b->len < OUTPUT_CAP) {
        size_t keep = (size_t)nread;
        if (b->len + keep > OUTPUT_CAP)
            keep = OUTPUT_CAP - b->len;
        rb_putn(b, buf->base, keep);
    }
    free(buf->base);
    if (nread < 0) {
        uv_read_stop(s);
        uv_close((uv_handle_t *)s, on_close);
    }
}

static void on_exit_cb(uv_process_t *p, int64_t exit_status, int term_signal)
{
    job *j = p->data;
    j->exit_status = exit_status;
    j->term_signal = term_signal;
    uv_timer_stop(&j->timer);
    uv_close((uv_handle_t *)&j->timer, on_close);
    uv_close((uv_handle_t *)p, on_close);
    if (j->timed_out) {
        /* its output no longer matters, and a process it started may keep the pipes open */
        uv_stream_t *pipes[2] = { (uv_stream_t *)&j->out, (uv_stream_t *)&j->err };
        for (int i = 0; i < 2; i++)
            if (!uv_is_closing((uv_handle_t *)pipes[i])) {
                uv_read_stop(pipes[i]);
                uv_close((uv_handle_t *)pipes[i], on_close);
            }
    }
}

static void on_timeout(uv_timer_t *t)
{
    job *j = t->data;
    j->timed_out = 1;
    uv_process_kill(&j->proc, SIGKILL);
}

static void start_job(runner *r, job *j)
{
    j->r = r;
    j->started = 1;
    j->proc.data = j->out.data = j->err.data = j->timer.data = j;
    uv_pipe_init(&r->loop, &j->out, 0);
    uv_pipe_init(&r->loop, &j->err, 0);
    uv_timer_init(&r->loop, &j->timer);
    j->handles_open = 4;
    r->running++;

    char *args[6];
    int a = 0;
    args[a++] = (char *)r->child;
    args[a++] = (char *)"run";
    if (r->o->seeds) {
        args[a++] = (char *)"--seed";
        args[a++] = j->seed_text;
    }
    args[a++] = r->paths[j->index];
    args[a] = NULL;
    uv_stdio_container_t stdio[3];
    stdio[0].flags = UV_IGNORE;
    stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
    stdio[1].data.stream = (uv_stream_t *)&j->out;
    stdio[2].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
    stdio[2].data.stream = (uv_stream_t *)&j->err;
    uv_process_options_t po;
    memset(&po, 0, sizeof(po));
    po.file = r->child;
    po.args = args;
    po.exit_cb = on_exit_cb;
    po.stdio_count = 3;
    po.stdio = stdio;
    int rc = uv_spawn(&r->loop, &j->proc, &po);
    if (rc < 0) {
        j->spawn_error = rc;
        uv_close((uv_handle_t *)&j->proc, on_close);
        uv_close((uv_handle_t *)&j->out, on_close);
        uv_close((uv_handle_t *)&j->err, on_close);
        uv_close((uv_handle_t *)&j->timer, on_close);
        return;
    }
    uv_read_start((uv_stream_t *)&j->out, on_alloc, on_read);
    uv_read_start((uv_stream_t *)&j->err, on_alloc, on_read);
    uv_timer_start(&j->timer, on_timeout, (uint64_t)r->timeout * 1000u, 0);
}

static void start_jobs(runner *r)
{
    while (r->running < r->jobs_max && r->next_start < r->n)
        start_job(r, &r->jobs[r->next_start++]);
}

int testrun_run(char *const *paths, size_t n, const testrun_options *o)
{
    runner r;
    memset(&r, 0, sizeof(r));
    r.o = o;
    r.paths = paths;
    r.n = n;
    r.timeout = o->timeout_sec ? o->timeout_sec : TESTRUN_DEFAULT_TIMEOUT;
    r.jobs_max = o->jobs ? o->jobs : uv_available_parallelism();
    if (r.jobs_max == 0)
        r.jobs_max = 1;
    r.progress = o->progress < 0 ? isatty(fileno(o->out)) : o->progress;

    char exe[4096];
    r.child = o->child;
    if (!r.child) {
        const char *env = getenv("FLTSIM_TEST_CHILD");
        if (env && *env) {
            r.child = env;
        } else {
            size_t size = sizeof(exe);
            int rc = uv_exepath(exe, &size);
            if (rc < 0) {
                fprintf(o->err, "fltsim test: cannot find this program's path: %s\n", uv_strerror(rc));
                return 2;
            }
            r.child = exe;
        }
    }
    if (n == 0) {
        fprintf(o->out, "0 passed, 0 failed\n");
        return 0;
    }
    size_t per = o->seeds ? (size_t)(o->seed_last - o->seed_first) + 1 : 1;
    n *= per; /* one job per scenario and seed */
    r.n = n;
    r.jobs = calloc(n, sizeof(*r.jobs));
    if (!r.jobs || uv_loop_init(&r.loop) < 0) {
        free(r.jobs);
        fprintf(o->err, "fltsim test: cannot start: out of resources\n");
        return 2;
    }
    for (size_t i = 0; i < n; i++) {
        r.jobs[i].index = i / per;
        r.jobs[i].seed = o->seed_first + (uint64_t)(i % per);
        snprintf(r.jobs[i].seed_text, sizeof(r.jobs[i].seed_text), "%" PRIu64, r.jobs[i].seed);
    }
    progress(&r);
    start_jobs(&r);
    uv_run(&r.loop, UV_RUN_DEFAULT);
    uv_loop_close(&r.loop);
    clear_progress(&r);
    fprintf(o->out, "%zu passed, %zu failed\n", r.passed, r.failed);
    fflush(o->out);
    free(r.jobs);
    return r.failed ? 1 : 0;
}
