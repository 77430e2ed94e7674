/*
 * test_scn_exec.c - the scenario executor (tools/fltsim/scn_exec.c) against
 * the fake host API: the calls it makes, what it prints, how it checks
 * statuses and expectations, stopped machines, and exit codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "diag.h"
#include "fake_host.h"
#include "scn.h"
#include "scn_exec.h"

static char drivers_dir[256];
static char out_text[65536], err_text[8192];

static int group_setup(void **state)
{
    (void)state;
    snprintf(drivers_dir, sizeof(drivers_dir), "/tmp/fltsim-test-exec-XXXXXX");
    if (!mkdtemp(drivers_dir))
        return -1;
    char p[300];
    snprintf(p, sizeof(p), "%s/pt.sys", drivers_dir);
    FILE *f = fopen(p, "w");
    if (!f)
        return -1;
    fclose(f);
    setenv("FLTSIM_DRIVERS", drivers_dir, 1);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    char p[300];
    snprintf(p, sizeof(p), "%s/pt.sys", drivers_dir);
    unlink(p);
    rmdir(drivers_dir);
    fake_reset();
    return 0;
}

static int setup(void **state)
{
    (void)state;
    fake_reset();
    return 0;
}

static void slurp(FILE *f, char *buf, size_t size)
{
    rewind(f);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
}

/* Load and run `text`; the output lands in out_text / err_text. */
static int run(const char *text, int json)
{
    scn_diag d;
    scn_diag_init(&d);
    scn_script *s = scn_load_string("t.scn", text, strlen(text), &d);
    assert_non_null(s);
    if (d.nerrors)
        scn_diag_print(&d, stderr);
    assert_int_equal(d.nerrors, 0);
    FILE *out = tmpfile(), *err = tmpfile();
    assert_non_null(out);
    assert_non_null(err);
    scn_exec_options o = { out, err, json, 0, NULL, NULL, 0, 0 };
    int rc = scn_exec(s, &o);
    slurp(out, out_text, sizeof(out_text));
    slurp(err, err_text, sizeof(err_text));
    scn_free(s);
    scn_diag_free(&d);
    assert_int_equal(fake_live_machines(), 0);
    return rc;
}

static void contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("missing:\n%s\n--- in:\n%s", needle, hay);
}

static void not_contains(const char *hay, const char *needle)
{
    if (strstr(hay, needle))
        fail_msg("unexpected:\n%s\n--- in:\n%s", needle, hay);
}

#define PRE                                                                                                            \
    "machine seed=5 verifier=io track-locked-pages=1\n"                                                                \
    "volume C:\n"                                                                                                      \
    "dir \"C:\\docs\"\n"                                                                                               \
    "file \"C:\\docs\\a.txt\" size=30\n"                                                                               \
    "driver pt path=pt.sys altitude=370030 flags=1\n"                                                                  \
    "param pt Level=dword:3 Name=\"x\"\n"                                                                              \
    "load pt\n"                                                                                                        \
    "process P1 image=copy.exe\n"                                                                                      \
    "P1: open h1 \"C:\\docs\\a.txt\" access=read|write\n"

static void test_pass_output(void **state)
{
    (void)state;
    fake_log_on("FsimDriverLoad", "pt: DriverEntry\n");
    int rc = run(PRE "P1: read h1 length=4 offset=0 data=\"abcd\"\n"
                     "P1: write h1 text=\"hi\"   # a comment\n"
                     "P1: close h1\nP1: exit\nunload pt\nexpect log \"DriverEntry\"\nexpect no-bugcheck\n",
                 0);
    assert_int_equal(rc, SCN_EXIT_PASS);
    static const char expected[] =
        "[1] machine seed=5 verifier=io track-locked-pages=1 -> seed 5, verifier 0x10, kernel stack 0x6000\n"
        "[2] volume C: -> STATUS_SUCCESS\n"
        "[3] dir \"C:\\docs\" -> STATUS_SUCCESS\n"
        "[4] file \"C:\\docs\\a.txt\" size=30 -> STATUS_SUCCESS\n"
        "[5] driver pt path=pt.sys altitude=370030 flags=1 -> STATUS_SUCCESS\n"
        "[6] param pt Level=dword:3 Name=\"x\" -> STATUS_SUCCESS\n"
        "[7] load pt\n"
        "pt: DriverEntry\n"
        "    -> STATUS_SUCCESS\n"
        "[8] process P1 image=copy.exe -> STATUS_SUCCESS\n"
        "[9] P1: open h1 \"C:\\docs\\a.txt\" access=read|write -> STATUS_SUCCESS (FILE_OPENED)\n"
        "[10] P1: read h1 length=4 offset=0 data=\"abcd\" -> STATUS_SUCCESS (read 4 bytes)\n"
        "[11] P1: write h1 text=\"hi\" -> STATUS_SUCCESS (wrote 2 bytes)\n"
        "[12] P1: close h1 -> STATUS_SUCCESS\n"
        "[13] P1: exit -> STATUS_SUCCESS\n"
        "[14] unload pt -> STATUS_SUCCESS\n"
        "\n"
        "expectations:\n"
        "t.scn:15: ok: expect log \"DriverEntry\"\n"
        "t.scn:16: ok: expect no-bugcheck\n"
        "\n"
        "result: PASS (10 checks)\n";
    assert_string_equal(out_text, expected);
    assert_string_equal(err_text, "");

    char calls[4096];
    snprintf(calls, sizeof(calls),
             "FsimMachineCreate seed=5 verifier=0x10 track=1 stack=0x6000\n"
             "FsimVolumeAddLocal C:\n"
             "FsimVolumeCreateDirectory C:\\docs\n"
             "FsimVolumeCreateFile C:\\docs\\a.txt length=30 data=abcdefghijklmnopqrstuvwxyzabcd\n"
             "FsimServiceCreate pt %s/pt.sys\n"
             "FsimServiceAddInstance pt \"pt Instance\" 370030 flags=0x1 default=1\n"
             "FsimServiceSetDword pt Level 0x3\n"
             "FsimServiceSetString pt Name \"x\"\n"
             "FsimDriverLoad pt\n"
             "FsimProcessCreate copy.exe\n"
             "FsimNtCreateFile pid=100 C:\\docs\\a.txt access=0x3 share=0x3 disposition=1 options=0x0 "
             "attributes=0x80\n"
             "FsimNtReadFile pid=100 h=4 offset=0 length=4\n"
             "FsimNtWriteFile pid=100 h=4 offset=current length=2 data=hi\n"
             "FsimNtClose pid=100 h=4\n"
             "FsimProcessExit 100\n"
             "FsimDriverUnload pt\n"
             "FsimMachineDestroy\n",
             drivers_dir);
    assert_string_equal(fake_calls(), calls);
}

static void test_status_mismatch(void **state)
{
    (void)state;
    fake_fail_next("FsimNtCreateFile", 0xC0000022u);
    fake_set_last_error("denied by pt");
    int rc = run(PRE "P1: read h1 length=1\nP1: open h2 \"C:\\x\" expect=STATUS_OBJECT_NAME_NOT_FOUND\n", 0);
    assert_int_equal(rc, SCN_EXIT_FAIL);
    contains(out_text, "[9] P1: open h1 \"C:\\docs\\a.txt\" access=read|write -> STATUS_ACCESS_DENIED\n"
                       "t.scn:9: expectation failed: P1: open h1 returned STATUS_ACCESS_DENIED, expected "
                       "STATUS_SUCCESS: denied by pt\n");
    contains(out_text, "[10] P1: read h1 length=1 -> skipped: handle h1 is not open (its open at line 9 failed)\n");
    contains(out_text, "[11] P1: open h2 \"C:\\x\" expect=STATUS_OBJECT_NAME_NOT_FOUND -> STATUS_SUCCESS "
                       "(FILE_OPENED)\n"
                       "t.scn:11: expectation failed: P1: open h2 returned STATUS_SUCCESS, expected "
                       "STATUS_OBJECT_NAME_NOT_FOUND\n");
    contains(out_text, "result: FAIL (2 of 3 checks failed)\n");
}

static const FSIM_REPORT_FRAME frames[] = {
    { 0, 0xffffd00123456000ull, "nt", "KeBugCheckEx", NULL, 0, 0x28, 0 },
};

static FSIM_REPORT cb_report(void)
{
    FSIM_REPORT r;
    memset(&r, 0, sizeof(r));
    r.Kind = FSIM_STATE_BUGCHECKED;
    r.Code = 0xCB;
    r.Args[2] = 0xffffac0500001000ull;
    r.Args[3] = 2;
    r.Name = "DRIVER_LEFT_LOCKED_PAGES_IN_PROCESS";
    r.RootCause = "MDL ffffac05`00001000 was never unlocked";
    r.FrameCount = 1;
    r.Frames = frames;
    return r;
}

static void test_bugcheck_expected(void **state)
{
    (void)state;
    FSIM_REPORT r = cb_report();
    fake_stop_on("FsimProcessExit", 1, &r);
    fake_set_describe(0xffffac0500001000ull, "MDL");
    int rc = run(PRE "P1: exit\nunload pt\nexpect bugcheck 0xCB arg3=mdl arg4=2\n"
                     "expect report contains=\"never unlocked\"\n",
                 0);
    assert_int_equal(rc, SCN_EXIT_PASS);
    contains(out_text, "[10] P1: exit -> machine stopped: bugcheck 0xCB (DRIVER_LEFT_LOCKED_PAGES_IN_PROCESS)\n"
                       "[11] unload pt: skipped: machine stopped\n"
                       "\n****");
    contains(out_text, "DRIVER_LEFT_LOCKED_PAGES_IN_PROCESS (cb)\nArguments:\n");
    contains(out_text, "00 ffffd001`23456000 nt!KeBugCheckEx");
    contains(out_text, "t.scn:12: ok: expect bugcheck 0xCB arg3=mdl arg4=2\n"
                       "t.scn:13: ok: expect report contains=\"never unlocked\"\n");
    not_contains(fake_calls(), "FsimDriverUnload");
}

static void test_bugcheck_mismatches(void **state)
{
    (void)state;
    FSIM_REPORT r = cb_report();
    fake_stop_on("FsimProcessExit", 1, &r);
    fake_set_describe(0xffffac0500001000ull, "IRP");
    int rc = run(PRE "P1: exit\nexpect bugcheck 0xCB arg3=mdl\n", 0);
    assert_int_equal(rc, SCN_EXIT_FAIL);
    contains(out_text, "t.scn:11: expectation failed: bugcheck 0xCB Arg3 ffffac0500001000 is IRP, expected mdl\n");

    fake_reset();
    fake_stop_on("FsimProcessExit", 1, &r);
    rc = run(PRE "P1: exit\nexpect bugcheck 0x44\n", 0);
    assert_int_equal(rc, SCN_EXIT_FAIL);
    contains(out_text, "t.scn:11: expectation failed: expected bugcheck 0x44, got 0xCB "
                       "(DRIVER_LEFT_LOCKED_PAGES_IN_PROCESS)\n");

    fake_reset();
    fake_stop_on("FsimProcessExit", 1, &r);
    rc = run(PRE "P1: exit\nexpect bugcheck 0xCB arg4=3\n", 0);
    assert_int_equal(rc, SCN_EXIT_FAIL);
    contains(out_text, "t.scn:11: expectation failed: bugcheck 0xCB Arg4 is 0x2, expected 0x3\n");

    fake_reset();
    rc = run(PRE "P1: exit\nexpect bugcheck 0xCB\n", 0);
    assert_int_equal(rc, SCN_EXIT_FAIL);
    contains(out_text, "t.scn:11: expectation failed: expected bugcheck 0xCB, the machine did not bugcheck\n");
}

static void test_unexpected_stop(void **state)
{
    (void)state;
    FSIM_REPORT r = cb_report();
    fake_stop_on("FsimProcessExit", 1, &r);
    int rc = run(PRE "P1: exit\nexpect no-leaks\n", 0);
    assert_int_equal(rc, SCN_EXIT_FAIL);
    contains(out_text, "t.scn:10: expectation failed: unexpected bugcheck 0xCB (DRIVER_LEFT_LOCKED_PAGES_IN_PROCESS)\n");
    contains(out_text, "t.scn:11: ok: expect no-leaks\n");

    fake_reset();
    fake_stop_on("FsimProcessExit", 1, &r);
    rc = run(PRE "P1: exit\nexpect no-bugcheck\n", 0);
    assert_int_equal(rc, SCN_EXIT_FAIL);
    contains(out_text, "t.scn:11: expectation failed: the machine bugchecked: 0xCB "
                       "(DRIVER_LEFT_LOCKED_PAGES_IN_PROCESS) at line 10\n");
}

static void test_hang(void **state)
{
    (void)state;
    static const FSIM_REPORT_LEAK leak = { "StreamContext", 0xffffac0500003000ull, 0, 0x40, 1, "pt.sys", "pt.c", 12 };
    FSIM_REPORT r;
    memset(&r, 0, sizeof(r));
    r.Kind = FSIM_STATE_HUNG;
    r.Description = "FltUnregisterFilter waits for pt.sys's stream context";
    r.LeakCount = 1;
    r.Leaks = &leak;
    fake_stop_on("FsimDriverUnload", 1, &r);
    int rc = run(PRE "P1: close h1\nunload pt\nexpect hang contains=\"StreamContext\"\n", 0);
    assert_int_equal(rc, SCN_EXIT_PASS);
    contains(out_text, "[11] unload pt -> machine stopped: hang\n");
    contains(out_text, "UNLOAD HANG\nFltUnregisterFilter waits");
    contains(out_text, "t.scn:12: ok: expect hang contains=\"StreamContext\"\n");

    fake_reset();
    fake_stop_on("FsimDriverUnload", 1, &r);
    rc = run(PRE "unload pt\nexpect hang contains=\"Pool\"\n", 0);
    assert_int_equal(rc, SCN_EXIT_FAIL);
    contains(out_text, "t.scn:11: expectation failed: the hang report does not contain \"Pool\"\n");

    fake_reset();
    rc = run(PRE "unload pt\nexpect hang\n", 0);
    assert_int_equal(rc, SCN_EXIT_FAIL);
    contains(out_text, "t.scn:11: expectation failed: expected a hang, the machine did not hang\n");
}

static void test_json_report(void **state)
{
    (void)state;
    FSIM_REPORT r = cb_report();
    fake_stop_on("FsimProcessExit", 1, &r);
    int rc = run(PRE "P1: exit\nexpect bugcheck 0xCB\n", 1);
    assert_int_equal(rc, SCN_EXIT_PASS);
    contains(out_text, "\n{\n  \"kind\": \"bugcheck\",\n  \"code\": \"0x000000CB\",\n");
    not_contains(out_text, "Bugcheck Analysis");
}

static void test_logs(void **state)
{
    (void)state;
    fake_log_on("FsimNtReadFile", "pt: read\n");
    fake_log_on("FsimNtClose", "pt: close");
    int rc = run(PRE "P1: read h1 length=1\nP1: read h1 length=1\nP1: close h1\n"
                     "expect log-count \"pt: read\" 2\nexpect no-log \"close\"\nexpect log \"nothing\"\n"
                     "expect log-count \"pt:\" 2\n",
                 0);
    assert_int_equal(rc, SCN_EXIT_FAIL);
    contains(out_text, "[10] P1: read h1 length=1\npt: read\n    -> STATUS_SUCCESS (read 1 bytes)\n");
    contains(out_text, "t.scn:13: ok: expect log-count \"pt: read\" 2\n");
    contains(out_text, "t.scn:14: expectation failed: a log line contains \"close\": pt: close\n");
    contains(out_text, "t.scn:15: expectation failed: no log line contains \"nothing\"\n");
    contains(out_text, "t.scn:16: expectation failed: 3 log lines contain \"pt:\", expected 2\n");
}

static void test_leaks(void **state)
{
    (void)state;
    static const FSIM_REPORT_LEAK leaks[] = {
        { "Pool", 0xffffac0500005000ull, 0x6b547450u /* 'PtTk' */, 0x100, 1, "pt.sys", "pt.c", 40 },
    };
    fake_set_leaks(leaks, 1);
    int rc = run(PRE "P1: close h1\nexpect no-leaks\n", 0);
    assert_int_equal(rc, SCN_EXIT_FAIL);
    contains(out_text, "t.scn:11: expectation failed: 1 object is still allocated\n"
                       "LEAKED OBJECTS:\n"
                       "Kind  Address            Tag   Size   Refs  Driver  Allocated at\n"
                       "Pool  ffffac05`00005000  PtTk  0x100  1     pt.sys  pt.c:40\n");
}

static void test_remote_volume_and_copy(void **state)
{
    (void)state;
    int rc = run("volume C:\nvolume \\\\srv\\share latency=5ms csc=1\nexpect no-bugcheck\n", 0);
    assert_int_equal(rc, SCN_EXIT_PASS);
    assert_non_null(strstr(fake_calls(), "FsimVolumeAddRemote \\\\srv\\share latency=5000000 csc=1 caching=1"));

    fake_reset();
    rc = run(PRE "P1: copy \"C:\\docs\\a.txt\" \"C:\\docs\\b.txt\"\n", 0);
    assert_int_equal(rc, SCN_EXIT_PASS);
    assert_non_null(strstr(fake_calls(), "FsimCopyFileEx"));
    assert_non_null(strstr(fake_calls(), "C:\\docs\\a.txt C:\\docs\\b.txt 0x0"));

    fake_reset();
    fake_fail_next("FsimVolumeCreateDirectory", 0xC000003Au);
    fake_set_last_error("no parent");
    rc = run(PRE, 0);
    assert_int_equal(rc, SCN_EXIT_ERROR);
    assert_string_equal(err_text,
                        "t.scn:3:1: error: dir failed with STATUS_OBJECT_PATH_NOT_FOUND: no parent\n");
}

static void test_queries(void **state)
{
    (void)state;
    fake_set_read_data("xyz");
    int rc = run(PRE "P1: query h1 Standard\nP1: query h1 Name\nP1: query h1 Basic expect=STATUS_INVALID_INFO_CLASS\n"
                     "P1: query-security h1 info=owner|dacl length=0x100\n"
                     "P1: query-security h1 length=16 expect=STATUS_BUFFER_TOO_SMALL\n"
                     "P1: list h1 pattern=\"*\"\nP1: list h1 class=Names\nP1: list h1 class=Directory "
                     "expect=STATUS_NO_MORE_FILES\n"
                     "P1: read h1 length=10 data=\"xyzw\"\nadvance 2ms\n",
                 0);
    assert_int_equal(rc, SCN_EXIT_FAIL);
    contains(out_text, "[10] P1: query h1 Standard -> STATUS_SUCCESS (24 bytes, size=100 allocation=4096 links=1 "
                       "delete-pending=0 directory=0)\n");
    contains(out_text, "[11] P1: query h1 Name -> STATUS_SUCCESS (26 bytes, name=\"\\docs\\a.txt\")\n");
    contains(out_text, "[12] P1: query h1 Basic expect=STATUS_INVALID_INFO_CLASS -> STATUS_INVALID_INFO_CLASS\n");
    contains(out_text, "[13] P1: query-security h1 info=owner|dacl length=0x100 -> STATUS_SUCCESS (length needed 144)\n");
    contains(out_text, "-> STATUS_BUFFER_TOO_SMALL (length needed 144)\n[15]");
    contains(out_text, "[15] P1: list h1 pattern=\"*\" -> STATUS_SUCCESS (2 entries: a.txt, sub)\n");
    contains(out_text, "[16] P1: list h1 class=Names -> STATUS_SUCCESS (2 entries: a.txt, sub)\n");
    contains(out_text, "[17] P1: list h1 class=Directory expect=STATUS_NO_MORE_FILES -> STATUS_NO_MORE_FILES\n");
    contains(out_text, "[18] P1: read h1 length=10 data=\"xyzw\" -> STATUS_SUCCESS (read 3 bytes)\n"
                       "t.scn:18: expectation failed: read data \"xyz\", expected \"xyzw\"\n");
    contains(out_text, "[19] advance 2ms -> STATUS_SUCCESS (now 2.0000ms)\n");
    contains(out_text, "result: FAIL (1 of 12 checks failed)\n");
    contains(fake_calls(), "FsimNtQuerySecurityObject pid=100 h=4 info=0x5 length=256\n");
    contains(fake_calls(), "FsimNtQueryDirectoryFile pid=100 h=4 class=3 length=4096 single=0 pattern=* restart=1\n"
                           "FsimNtQueryDirectoryFile pid=100 h=4 class=3 length=4096 single=0 pattern=* restart=0\n");
}

static void test_set_buffers(void **state)
{
    (void)state;
    int rc = run(PRE "P1: set h1 Rename to=\"C:\\b\" replace=1\nP1: set h1 EndOfFile size=0x102\n"
                     "P1: set h1 Disposition\nP1: set h1 DispositionEx flags=delete|posix-semantics\n"
                     "P1: set h1 Basic attributes=hidden\nP1: set h1 Position offset=5\n",
                 0);
    assert_int_equal(rc, SCN_EXIT_PASS);
    /* FILE_RENAME_INFORMATION (x64): ReplaceIfExists, RootDirectory at 8, FileNameLength at 16,
     * FileName at 20 = UTF-16 "\??\C:\b" (8 characters, 16 bytes) */
    contains(fake_calls(), "FsimNtSetInformationFile pid=100 h=4 class=10 length=36 data="
                           "01000000" "0000000000000000" "00000000" "10000000"
                           "5c003f003f005c0043003a005c006200\n");
    contains(fake_calls(), "class=20 length=8 data=0201000000000000\n");
    contains(fake_calls(), "class=13 length=1 data=01\n");
    contains(fake_calls(), "class=64 length=4 data=03000000\n");
    contains(fake_calls(), "class=4 length=40 data=" "0000000000000000000000000000000000000000000000000000000000000000"
                           "0200000000000000\n");
    contains(fake_calls(), "class=14 length=8 data=0500000000000000\n");
}

static void test_trace(void **state)
{
    (void)state;
    int rc = run("machine trace=1\nvolume C:\n", 0);
    assert_int_equal(rc, SCN_EXIT_PASS);
    contains(out_text, "trace: trace on\n");
    contains(fake_calls(), "FsimSetTrace 1\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_pass_output, setup),
        cmocka_unit_test_setup(test_status_mismatch, setup),
        cmocka_unit_test_setup(test_bugcheck_expected, setup),
        cmocka_unit_test_setup(test_bugcheck_mismatches, setup),
        cmocka_unit_test_setup(test_unexpected_stop, setup),
        cmocka_unit_test_setup(test_hang, setup),
        cmocka_unit_test_setup(test_json_report, setup),
        cmocka_unit_test_setup(test_logs, setup),
        cmocka_unit_test_setup(test_leaks, setup),
        cmocka_unit_test_setup(test_remote_volume_and_copy, setup),
        cmocka_unit_test_setup(test_queries, setup),
        cmocka_unit_test_setup(test_set_buffers, setup),
        cmocka_unit_test_setup(test_trace, setup),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
