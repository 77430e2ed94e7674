/*
 * test_testrun.c - `fltsim test` (tools/fltsim/testrun.c): the failure
 * reasons, finding scenarios, and a parallel run of a fake child program
 * that passes, fails, errs, crashes and hangs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "testrun.h"

static char dir[256];

static void write_file(const char *name, const char *text, int mode)
{
    char p[512];
    snprintf(p, sizeof(p), "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    chmod(p, (mode_t)mode);
}

static void remove_file(const char *name)
{
    char p[512];
    snprintf(p, sizeof(p), "%s/%s", dir, name);
    unlink(p);
}

static const char *const scenario_files[] = { "e_slow.scn", "a_pass.scn", "c_err.scn", "b_fail.scn", "d_crash.scn" };

static int group_setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/fltsim-test-run-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    for (size_t i = 0; i < sizeof(scenario_files) / sizeof(scenario_files[0]); i++)
        write_file(scenario_files[i], "# scenario\n", 0644);
    write_file("notes.txt", "not a scenario\n", 0644);
    write_file("child.sh",
               "#!/bin/sh\n"
               "case \"$2\" in\n"
               "--seed) if [ \"$3\" = 2 ]; then echo \"$4:5: expectation failed: seed two\"; exit 1; fi; exit 0 ;;\n"
               "*pass*) echo \"[1] volume C: -> STATUS_SUCCESS\"; exit 0 ;;\n"
               "*fail*) echo \"[3] P1: exit\"; echo \"$2:7: expectation failed: boom happened\"; "
               "echo \"$2:9: expectation failed: second\"; exit 1 ;;\n"
               "*err*) echo \"$2:1:1: error: bad thing\" >&2; echo \"  1 | bad\" >&2; exit 2 ;;\n"
               "*crash*) kill -SEGV $$ ;;\n"
               "*slow*) exec sleep 20 ;;\n"
               "esac\n"
               "exit 3\n",
               0755);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(scenario_files) / sizeof(scenario_files[0]); i++)
        remove_file(scenario_files[i]);
    remove_file("notes.txt");
    remove_file("child.sh");
    rmdir(dir);
    return 0;
}

static void test_reasons(void **state)
{
    (void)state;
    char r[256];
    assert_int_equal(testrun_reason(0, 0, 0, 60, "x", "", r, sizeof(r)), 0);
    assert_string_equal(r, "");
    assert_int_equal(testrun_reason(0, 0, 1, 60, "", "", r, sizeof(r)), 1);
    assert_string_equal(r, "timed out after 60s");
    assert_int_equal(testrun_reason(0, 11, 0, 60, "", "", r, sizeof(r)), 1);
    assert_string_equal(r, "crashed (signal 11)");
    testrun_reason(1, 0, 0, 60, "[1] x\ns/a.scn:12: expectation failed: open h1 returned X\nb\n", "", r, sizeof(r));
    assert_string_equal(r, "line 12: open h1 returned X");
    testrun_reason(1, 0, 0, 60, "nothing useful\n", "", r, sizeof(r));
    assert_string_equal(r, "exit status 1");
    testrun_reason(2, 0, 0, 60, "[1] volume\n", "a.scn:2:1: error: remote volumes\n   2 | x\n", r, sizeof(r));
    assert_string_equal(r, "exit status 2: a.scn:2:1: error: remote volumes");
    testrun_reason(2, 0, 0, 60, "", "\nusage: fltsim run\n", r, sizeof(r));
    assert_string_equal(r, "exit status 2: usage: fltsim run");
    testrun_reason(134, 0, 0, 60, "", "", r, sizeof(r));
    assert_string_equal(r, "exit status 134");
}

static void test_collect(void **state)
{
    (void)state;
    char **paths = NULL;
    size_t n = 0;
    char extra[300];
    snprintf(extra, sizeof(extra), "%s/b_fail.scn", dir);
    const char *args[] = { dir, extra };
    FILE *err = tmpfile();
    assert_int_equal(testrun_collect(args, 2, &paths, &n, err), 0);
    assert_int_equal(n, 5);
    char want[300];
    snprintf(want, sizeof(want), "%s/a_pass.scn", dir);
    assert_string_equal(paths[0], want);
    snprintf(want, sizeof(want), "%s/e_slow.scn", dir);
    assert_string_equal(paths[4], want);
    testrun_free_paths(paths, n);

    const char *bad[] = { "/nonexistent-dir" };
    assert_int_equal(testrun_collect(bad, 1, &paths, &n, err), -1);
    rewind(err);
    char buf[256];
    size_t m = fread(buf, 1, sizeof(buf) - 1, err);
    buf[m] = '\0';
    fclose(err);
    assert_string_equal(buf, "fltsim test: /nonexistent-dir: no such file or directory\n");
}

static void test_run(void **state)
{
    (void)state;
    char **paths = NULL;
    size_t n = 0;
    const char *args[] = { dir };
    assert_int_equal(testrun_collect(args, 1, &paths, &n, stderr), 0);
    char child[300];
    snprintf(child, sizeof(child), "%s/child.sh", dir);
    FILE *out = tmpfile();
    testrun_options o = { 2, 1, 0, 0, child, out, stderr, 0, 0, 0 };
    int rc = testrun_run(paths, n, &o);
    testrun_free_paths(paths, n);
    assert_int_equal(rc, 1);
    rewind(out);
    char buf[4096];
    size_t m = fread(buf, 1, sizeof(buf) - 1, out);
    buf[m] = '\0';
    fclose(out);
    char want[4096];
    snprintf(want, sizeof(want),
             "PASS %1$s/a_pass.scn\n"
             "FAIL %1$s/b_fail.scn: line 7: boom happened\n"
             "FAIL %1$s/c_err.scn: exit status 2: %1$s/c_err.scn:1:1: error: bad thing\n"
             "FAIL %1$s/d_crash.scn: crashed (signal 11)\n"
             "FAIL %1$s/e_slow.scn: timed out after 1s\n"
             "1 passed, 4 failed\n",
             dir);
    assert_string_equal(buf, want);
}

/* --seeds: each scenario once per seed, as `CHILD run --seed S FILE`, the
 * seed shown with each result. */
static void test_run_seeds(void **state)
{
    (void)state;
    char p[300], child[300];
    snprintf(p, sizeof(p), "%s/a_pass.scn", dir);
    snprintf(child, sizeof(child), "%s/child.sh", dir);
    char *paths[] = { p };
    FILE *out = tmpfile();
    testrun_options o = { 1, 5, 0, 0, child, out, stderr, 1, 1, 3 };
    assert_int_equal(testrun_run(paths, 1, &o), 1);
    rewind(out);
    char buf[1024];
    size_t m = fread(buf, 1, sizeof(buf) - 1, out);
    buf[m] = '\0';
    fclose(out);
    char want[1024];
    snprintf(want, sizeof(want),
             "PASS %1$s (seed 1)\nFAIL %1$s (seed 2): line 5: seed two\nPASS %1$s (seed 3)\n2 passed, 1 failed\n", p);
    assert_string_equal(buf, want);
}

static void test_run_missing_child(void **state)
{
    (void)state;
    char p[300];
    snprintf(p, sizeof(p), "%s/a_pass.scn", dir);
    char *paths[] = { p };
    FILE *out = tmpfile();
    testrun_options o = { 0, 0, 0, 0, "/nonexistent/fltsim", out, stderr, 0, 0, 0 };
    assert_int_equal(testrun_run(paths, 1, &o), 1);
    rewind(out);
    char buf[1024];
    size_t m = fread(buf, 1, sizeof(buf) - 1, out);
    buf[m] = '\0';
    fclose(out);
    char want[1024];
    snprintf(want, sizeof(want),
             "FAIL %s: cannot run /nonexistent/fltsim: no such file or directory\n0 passed, 1 failed\n", p);
    assert_string_equal(buf, want);

    out = tmpfile();
    o.out = out;
    assert_int_equal(testrun_run(NULL, 0, &o), 0);
    rewind(out);
    m = fread(buf, 1, sizeof(buf) - 1, out);
    buf[m] = '\0';
    fclose(out);
    assert_string_equal(buf, "0 passed, 0 failed\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reasons),
        cmocka_unit_test(test_collect),
        cmocka_unit_test(test_run),
        cmocka_unit_test(test_run_seeds),
cmocka_unit_test(test_run_missing_child),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
