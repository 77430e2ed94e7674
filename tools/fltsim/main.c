/*
 * main.c - the `fltsim` command line: run, check and test, their options,
 * and the usage message.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "scn.h"
#include "scn_exec.h"
#include "testrun.h"

#define FLTSIM_TOOL_VERSION "0.1"

static const char usage_text[] =
    "usage: fltsim run FILE.scn [--json] [--trace] [--seed N] [--stack-svg FILE.svg] [--stack-folded FILE.folded]\n"
    "       fltsim check FILE.scn... [--dump]\n"
    "       fltsim test [DIR|FILE.scn...] [-j N] [--timeout SEC] [--seeds A[-B]] [-v]\n"
    "       fltsim --help | --version\n"
    "\n"
    "  run     run a scenario: each statement with its result, the driver log, the\n"
    "          report when the machine stops, then the expectations\n"
    "          --json   the report as JSON     --trace  the simulator's event trace\n"
    "          --seed N           the scheduler seed instead of the script's\n"
    "          --stack-svg F      the deepest kernel stack as an SVG chart\n"
    "          --stack-folded F   ... and as folded stacks for flame-graph tools\n"
    "  check   parse and validate only         --dump   print the decoded statements\n"
    "  test    run every *.scn in parallel child processes\n"
    "          -j N           children at once (default: number of CPUs)\n"
    "          --timeout SEC  per scenario (default 60)\n"
    "          --seeds A[-B]  run each scenario once per seed from A to B (races)\n"
    "          -v             print the output of failing scenarios\n"
    "\n"
    "exit status: 0 all expectations held, 1 an expectation failed, 2 an error in a\n"
    "script or on the command line.  The language: docs/scenario-language.md\n";

static int usage_error(const char *fmt, const char *arg)
{
    fputs("fltsim: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\n", stderr);
    fputs(usage_text, stderr);
    return 2;
}

/* Parse a decimal seed (up to 2^64 - 1); -1 on failure. */
static int parse_seed(const char *s, const char **end, uint64_t *out)
{
    uint64_t v = 0;
    const char *p = s;
    if (!s || *s < '0' || *s > '9')
        return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *end = p;
    *out = v;
    return 0;
}

/* Parse a positive decimal number; 0 on failure. */
static unsigned parse_count(const char *s)
{
    if (!s || !*s)
        return 0;
    unsigned long v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return 0;
        v = v * 10 + (unsigned long)(*p - '0');
        if (v > 1000000)
            return 0;
    }
    return (unsigned)v;
}

static scn_script *load(const char *path, scn_diag *diag)
{
    scn_script *s = scn_load_file(path, diag);
    scn_diag_print(diag, stderr);
    return s;
}

static int cmd_run(int argc, char **argv)
{
    const char *file = NULL;
    scn_exec_options o;
    memset(&o, 0, sizeof(o));
    o.out = stdout;
    o.err = stderr;
    int options_done = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!options_done && strcmp(a, "--") == 0)
            options_done = 1;
        else if (!options_done && strcmp(a, "--json") == 0)
            o.json = 1;
        else if (!options_done && strcmp(a, "--trace") == 0)
            o.trace = 1;
        else if (!options_done && strcmp(a, "--seed") == 0) {
            const char *end;
            if (i + 1 >= argc || parse_seed(argv[i + 1], &end, &o.seed) < 0 || *end)
                return usage_error("run: --seed needs a number%s", "");
            o.seed_set = 1;
            i++;
        } else if (!options_done && (strcmp(a, "--stack-svg") == 0 || strcmp(a, "--stack-folded") == 0)) {
            if (i + 1 >= argc)
                return usage_error("run: %s needs a file name", a);
            if (a[8] == 's')
                o.stack_svg = argv[++i];
            else
                o.stack_folded = argv[++i];
        } else if (!options_done && a[0] == '-' && a[1])
            return usage_error("run: unknown option '%s'", a);
        else if (file)
            return usage_error("run: one scenario at a time ('%s' is extra; use 'fltsim test' for many)", a);
        else
            file = a;
    }
    if (!file)
        return usage_error("run: missing the scenario file%s", "");
    scn_diag diag;
    scn_diag_init(&diag);
    scn_script *s = load(file, &diag);
    int rc;
    if (!s || diag.nerrors)
        rc = 2;
    else
        rc = scn_exec(s, &o);
    scn_free(s);
    scn_diag_free(&diag);
    return rc;
}

static int cmd_check(int argc, char **argv)
{
    int dump = 0, options_done = 0, nfiles = 0, rc = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!options_done && strcmp(a, "--") == 0)
            options_done = 1;
        else if (!options_done && strcmp(a, "--dump") == 0)
            dump = 1;
        else if (!options_done && a[0] == '-' && a[1])
            return usage_error("check: unknown option '%s'", a);
        else
            nfiles++;
    }
    if (nfiles == 0)
        return usage_error("check: missing the scenario file%s", "");
    options_done = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!options_done && strcmp(a, "--") == 0) {
            options_done = 1;
            continue;
        }
        if (!options_done && a[0] == '-' && a[1])
            continue;
        scn_diag diag;
        scn_diag_init(&diag);
        scn_script *s = load(a, &diag);
        if (!s || diag.nerrors)
            rc = 2;
        else if (dump)
            scn_dump(s, stdout);
        scn_free(s);
        scn_diag_free(&diag);
    }
    return rc;
}

static int cmd_test(int argc, char **argv)
{
    testrun_options o;
    memset(&o, 0, sizeof(o));
    o.out = stdout;
    o.err = stderr;
    o.progress = -1;
    const char **args = calloc((size_t)argc + 1, sizeof(*args));
    if (!args)
        return 2;
    size_t nargs = 0;
    int options_done = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!options_done && strcmp(a, "--") == 0) {
            options_done = 1;
        } else if (!options_done && (strcmp(a, "-j") == 0 || strncmp(a, "-j", 2) == 0)) {
            const char *v = a[2] ? a + 2 : (i + 1 < argc ? argv[++i] : NULL);
            o.jobs = parse_count(v);
            if (!o.jobs) {
                free(args);
                return usage_error("test: -j needs a positive number of jobs%s", "");
            }
        } else if (!options_done && (strcmp(a, "--timeout") == 0 || strncmp(a, "--timeout=", 10) == 0)) {
            const char *v = a[9] == '=' ? a + 10 : (i + 1 < argc ? argv[++i] : NULL);
            o.timeout_sec = parse_count(v);
            if (!o.timeout_sec) {
                free(args);
                return usage_error("test: --timeout needs a positive number of seconds%s", "");
            }
        } else if (!options_done && (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0)) {
            o.verbose = 1;
        } else if (!options_done && strcmp(a, "--seeds") == 0) {
            const char *v = i + 1 < argc ? argv[++i] : NULL, *end = NULL;
            if (parse_seed(v, &end, &o.seed_first) < 0) {
                free(args);
                return usage_error("test: --seeds needs A or A-B (seeds, A <= B)%s", "");
            }
            o.seed_last = o.seed_first;
            if (*end == '-' && (parse_seed(end + 1, &end, &o.seed_last) < 0 || o.seed_last < o.seed_first)) {
                free(args);
                return usage_error("test: --seeds needs A or A-B (seeds, A <= B)%s", "");
            }
            if (*end || o.seed_last - o.seed_first >= 100000) {
                free(args);
                return usage_error("test: --seeds needs A or A-B with at most 100000 seeds%s", "");
            }
            o.seeds = 1;
        } else if (!options_done && a[0] == '-' && a[1]) {
            free(args);
            return usage_error("test: unknown option '%s'", a);
        } else {
            args[nargs++] = a;
        }
    }
    char **paths = NULL;
    size_t n = 0;
    int rc;
    if (testrun_collect(args, nargs, &paths, &n, stderr) < 0)
        rc = 2;
    else
        rc = testrun_run(paths, n, &o);
    testrun_free_paths(paths, n);
    free(args);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("missing a command%s", "");
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("fltsim %s\n", FLTSIM_TOOL_VERSION);
        return 0;
    }
    if (strcmp(cmd, "run") == 0)
        return cmd_run(argc - 2, argv + 2);
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 2, argv + 2);
    if (strcmp(cmd, "test") == 0)
        return cmd_test(argc - 2, argv + 2);
    return usage_error("unknown command '%s'", cmd);
}
