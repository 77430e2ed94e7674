/*
 * test_scn_parse.c - the scenario front end (lexer, parser, validator):
 * errors with their exact file:line:col and message, the source-line
 * context, decoded values, defaults, declared names and the accessors.
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
#include "scn.h"
#include "scn_int.h"

static char drivers_dir[256];
static scn_diag D;

/* $FLTSIM_DRIVERS with a pt.sys in it, for `driver pt path=pt.sys`. */
static int group_setup(void **state)
{
    (void)state;
    snprintf(drivers_dir, sizeof(drivers_dir), "/tmp/fltsim-test-drivers-XXXXXX");
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
    return 0;
}

static scn_script *load(const char *text)
{
    scn_diag_free(&D);
    scn_diag_init(&D);
    scn_script *s = scn_load_string("t.scn", text, strlen(text), &D);
    assert_non_null(s);
    return s;
}

static scn_script *load_ok(const char *text)
{
    scn_script *s = load(text);
    if (D.nerrors)
        scn_diag_print(&D, stderr);
    assert_int_equal(D.nerrors, 0);
    return s;
}

/* The first error of `text` must be exactly `msg`. */
static void check_error(const char *text, const char *msg)
{
    scn_script *s = load(text);
    if (D.nmsgs == 0 || strcmp(D.msgs[0], msg) != 0) {
        fprintf(stderr, "script:\n%s\nexpected: %s\n", text, msg);
        scn_diag_print(&D, stderr);
    }
    assert_true(D.nmsgs > 0);
    assert_string_equal(D.msgs[0], msg);
    scn_free(s);
}

/* Lines 1-4 of most error tests. */
#define PRE                                                                                                            \
    "volume C:\n"                                                                                                      \
    "driver pt path=pt.sys altitude=370030\n"                                                                          \
    "process P1\n"                                                                                                     \
    "P1: open h1 \"C:\\a.txt\"\n"

/* --- errors ------------------------------------------------------------------------------------- */

static void test_error_unknown_statement(void **state)
{
    (void)state;
    check_error(PRE "P1: opne h1\n", "t.scn:5:5: error: unknown operation 'opne'; did you mean 'open'?");
    check_error("frobnicate\n", "t.scn:1:1: error: unknown statement 'frobnicate' (statements: machine, volume, dir, "
                                "file, driver, instance, param, load, unload, process, advance, expect, and process "
                                "operations 'P1: open|read|write|query|set|query-security|list|close|copy|map|serve|exit')");
    check_error(PRE "P1 : open h1\n", "t.scn:5:4: error: write the process name and ':' together ('P1: ...')");
    check_error(PRE "P1:open h2 \"C:\\b\"\n",
                "t.scn:5:4: error: missing blank after 'P1:' (write 'P1: open ...')");
    check_error(PRE "P1:\n", "t.scn:5:4: error: missing operation after 'P1:' (e.g. 'P1: open h1 \"C:\\file.txt\"')");
    check_error(PRE "\"volume\" C:\n", "t.scn:5:1: error: expected a statement keyword, found a string");
}

static void test_error_lexical(void **state)
{
    (void)state;
    check_error(PRE "dir \"C:\\x\n", "t.scn:5:5: error: unterminated string (a string ends with '\"' on the same line)");
    check_error(PRE "dir \"C:\\x\"zz\n", "t.scn:5:11: error: missing blank after the closing '\"' of a string");
    check_error(PRE "file \"C:\\x\" =5\n", "t.scn:5:13: error: missing argument name before '='");
}

static void test_error_unknown_key(void **state)
{
    (void)state;
    check_error(PRE "P1: read h1 lenght=5\n",
                "t.scn:5:13: error: unknown argument 'lenght' for 'read'; did you mean 'length'?");
    check_error(PRE "P1: close h1 zzz=1\n",
                "t.scn:5:14: error: unknown argument 'zzz' for 'close' (accepted: expect)");
    check_error(PRE "dir \"C:\\d\" size=1\n", "t.scn:5:12: error: 'dir' takes no named arguments");
}

static void test_error_numbers(void **state)
{
    (void)state;
    check_error("machine seed=12x\n", "t.scn:1:14: error: seed: '12x' is not a number (write decimal or 0x hex)");
    check_error("machine seed=99999999999999999999\n", "t.scn:1:14: error: seed: '99999999999999999999' is too large");
    check_error(PRE "P1: read h1 length=4Q\n",
                "t.scn:5:20: error: length: '4Q' is not a size (a number with an optional K, M or G suffix)");
    check_error(PRE "P1: read h1 length=4G\n", "t.scn:5:20: error: length: 4G does not fit in 32 bits (at most 4G-1)");
    check_error(PRE "advance 10\n", "t.scn:5:9: error: duration: '10' needs a unit: ns, us, ms or s (e.g. 10ms)");
    check_error(PRE "advance 1h\n",
                "t.scn:5:9: error: duration: '1h' is not a duration (a number followed by ns, us, ms or s)");
    check_error("machine trace=2\n", "t.scn:1:15: error: trace: '2' is not 0 or 1");
    check_error("machine stack=5000\n", "t.scn:1:15: error: stack: 5000 is not a multiple of 4K between 4K and 1M");
    check_error("machine seed=\n", "t.scn:1:14: error: missing value after 'seed='");
}

static void test_error_status(void **state)
{
    (void)state;
    check_error(PRE "load pt expect=STATUS_NOPE\n",
                "t.scn:5:16: error: unknown status 'STATUS_NOPE' (write a STATUS_ name or a number such as 0xC0000022)");
    check_error(PRE "load pt expect=0x1FFFFFFFF\n", "t.scn:5:16: error: expect: 0x1FFFFFFFF does not fit in 32 bits");
}

static void test_error_flags(void **state)
{
    (void)state;
    check_error(PRE "P1: open h2 \"C:\\b\" access=read|wrte\n",
                "t.scn:5:32: error: unknown access 'wrte'; did you mean 'write'?");
    check_error(PRE "P1: open h2 \"C:\\b\" access=read||write\n",
                "t.scn:5:32: error: empty item in the access list 'read||write'");
    check_error(PRE "P1: open h2 \"C:\\b\" disposition=open|create\n",
                "t.scn:5:36: error: disposition takes one value, not a '|' list");
    check_error("machine verifier=zzzzzzzz\n",
                "t.scn:1:18: error: unknown verifier 'zzzzzzzz' (accepted: special-pool, irql, pool-tracking, io, "
                "deadlock, enhanced-io, misc, standard, none, or a number)");
    check_error(PRE "P1: query h1 Bogus\n",
                "t.scn:5:14: error: unknown information class 'Bogus' (e.g. Basic, Standard, Name, Position, All, "
                "NetworkOpen, or FileXxxInformation)");
    check_error(PRE "P1: list h1 class=Basic\n",
                "t.scn:5:19: error: class=Basic is not a directory information class (Directory, Full, Both, Names, "
                "IdBoth, IdFull)");
    check_error(PRE "param pt Level=3\n",
                "t.scn:5:16: error: Level: write dword:N for a REG_DWORD or \"text\" for a REG_SZ");
    check_error(PRE "expect bugcheck 0x44 arg1=widget\n",
                "t.scn:5:27: error: arg1: 'widget' is neither a number nor an object kind (irp, mdl, process, thread, "
                "file, device, driver, pool, eresource, context, callback-data)");
}

static void test_error_names(void **state)
{
    (void)state;
    check_error(PRE "P2: close h1\n", "t.scn:5:1: error: unknown process 'P2' (declare it first: 'process P2')");
    check_error(PRE "P1: read h9 length=1\n",
                "t.scn:5:10: error: unknown handle 'h9' in process P1 (open it first: 'P1: open h9 \"C:\\...\"')");
    check_error(PRE "P1: close h1\nP1: read h1 length=1\n", "t.scn:6:10: error: handle h1 was closed at line 5");
    check_error(PRE "P1: open h1 \"C:\\b\"\n",
                "t.scn:5:10: error: handle h1 is already open (line 4); close it first or use another name");
    check_error(PRE "P1: open h2 \"C:\\b\" expect=STATUS_ACCESS_DENIED\nP1: read h2 length=1\n",
                "t.scn:6:10: error: handle h2 is not open: its open at line 5 expects a failure");
    check_error(PRE "process p1\n", "t.scn:5:9: error: process p1 is already declared at line 3");
    check_error(PRE "driver PT path=pt.sys\n", "t.scn:5:8: error: driver service PT is already declared at line 2");
    check_error(PRE "volume c:\n", "t.scn:5:8: error: volume C: is already declared at line 1");
    check_error(PRE "load nosuch\n",
                "t.scn:5:6: error: unknown driver service 'nosuch' (declare it first: 'driver nosuch path=...')");
    check_error(PRE "instance pt \"pt Instance\" altitude=1\n",
                "t.scn:5:13: error: instance \"pt Instance\" of pt is already declared at line 2");
    check_error(PRE "P1: exit\nP1: close h1\n", "t.scn:6:1: error: process P1 has exited (line 5)");
    check_error(PRE "process 1x\n",
                "t.scn:5:9: error: '1x' is not a valid process name (a letter or '_' followed by letters, digits, '_' "
                "or '-')");
}

static void test_error_shape(void **state)
{
    (void)state;
    check_error(PRE "P1: read h1 length=1 length=2\n",
                "t.scn:5:22: error: duplicate argument 'length' (already given at column 13)");
    check_error(PRE "dir\n", "t.scn:5:4: error: missing path (usage: dir \"C:\\dir\")");
    check_error(PRE "P1: read h1\n", "t.scn:5:12: error: missing length= (usage: P1: read HANDLE length=N [offset=N] "
                                     "[data=\"text\"] [expect=STATUS])");
    check_error(PRE "P1: close h1 extra\n",
                "t.scn:5:14: error: unexpected argument 'extra' (usage: P1: close HANDLE [expect=STATUS])");
    check_error(PRE "open h2 \"C:\\a\"\n", "t.scn:5:1: error: 'open' is a process operation: write 'P1: open ...'");
    check_error(PRE "P1: volume D:\n", "t.scn:5:1: error: 'volume' is not a process operation; remove 'P1:'");
    check_error(PRE "P1: write h1\n", "t.scn:5:13: error: write needs length=N or text=\"...\" (usage: P1: write "
                                      "HANDLE length=N | text=\"...\" [offset=N] [expect=STATUS])");
    check_error(PRE "P1: write h1 length=1 text=\"a\"\n", "t.scn:5:23: error: length= and text= exclude each other");
    check_error(PRE "file \"C:\\f\" size=1 text=\"a\"\n", "t.scn:5:20: error: size= and text= exclude each other");
    check_error(PRE "P1: read h1 length=5 data=\"toolongdata\"\n",
                "t.scn:5:22: error: data= is 11 bytes, longer than length=5");
    check_error(PRE "param pt\n", "t.scn:5:9: error: 'param' needs at least one value (usage: param NAME "
                                  "Key=dword:N | Key=\"string\" ...)");
}

static void test_error_order(void **state)
{
    (void)state;
    check_error(PRE "machine seed=1\n",
                "t.scn:5:1: error: 'machine' must come before any other statement (line 1 is the first)");
    check_error("machine\nmachine\n", "t.scn:2:1: error: duplicate 'machine' statement (the first is at line 1)");
}

static void test_error_paths(void **state)
{
    (void)state;
    check_error(PRE "dir \"D:\\x\"\n",
                "t.scn:5:6: error: path 'D:\\x' is not on a declared volume (declare it first: 'volume D:')");
    check_error(PRE "dir \"C:/x\"\n", "t.scn:5:8: error: write Windows paths with '\\', not '/' (\"C:\\dir\\file.txt\")");
    check_error(PRE "dir \"C:x\"\n", "t.scn:5:6: error: path 'C:x' is not absolute (write \"C:\\...\")");
    check_error(PRE "dir \"docs\"\n", "t.scn:5:6: error: path 'docs' is not an absolute path on a volume (write "
                                      "\"C:\\dir\\file\" or \"\\\\server\\share\\file\")");
    check_error(PRE "dir \"C:\\a\\\\b\"\n", "t.scn:5:10: error: empty path component ('\\\\') in 'C:\\a\\\\b'");
    check_error(PRE "dir \"\\\\srv\\share\\x\"\n", "t.scn:5:6: error: path '\\\\srv\\share\\x' is not on a declared "
                                                   "volume (declare it first: 'volume \\\\srv\\share')");
    check_error(PRE "volume D: latency=5ms\n",
                "t.scn:5:11: error: 'latency=' applies to remote volumes (\\\\server\\share) only");
    check_error(PRE "volume CC:\n",
                "t.scn:5:8: error: 'CC:' is not a volume (write a drive 'C:' or a share '\\\\server\\share')");
}

static void test_error_image(void **state)
{
    (void)state;
    char msg[600];
    snprintf(msg, sizeof(msg),
             "t.scn:5:18: error: driver image 'nope.sys' not found (looked in ./ and in $FLTSIM_DRIVERS=%s)",
             drivers_dir);
    check_error(PRE "driver nope path=nope.sys\n", msg);
    check_error(PRE "driver nope altitude=1\n", "t.scn:5:23: error: missing path= (usage: driver NAME path=IMAGE "
                                                "[altitude=A] [flags=N] [instance=\"Name\"])");
    check_error(PRE "driver nope path=pt.sys altitude=12a\n",
                "t.scn:5:34: error: altitude '12a' is not a decimal number such as 370030 or 370030.5");
}

static void test_error_set(void **state)
{
    (void)state;
    check_error(PRE "P1: set h1 EndOfFile to=\"C:\\b\"\n",
                "t.scn:5:22: error: 'to=' does not apply to set FileEndOfFileInformation (it takes size=)");
    check_error(PRE "P1: set h1 Rename size=1\n",
                "t.scn:5:19: error: 'size=' does not apply to set FileRenameInformation (it takes to=, replace=)");
    check_error(PRE "P1: set h1 Position\n", "t.scn:5:20: error: set FilePositionInformation needs offset=");
    check_error(PRE "P1: set h1 Stream\n",
                "t.scn:5:12: error: set does not support FileStreamInformation (supported: Basic, Rename, Link, "
                "Disposition, DispositionEx, Position, Allocation, EndOfFile)");
}

static void test_error_serve(void **state)
{
    (void)state;
    check_error(PRE "P1: serve reply=byte:1\n", "t.scn:5:23: error: missing port= (usage: P1: serve port=\"\\\\Name\" "
                                                 "[reply=\"text\"|byte:N|dword:N] [delay=DURATION] [open=\"C:\\path\"] "
                                                 "[context=\"text\"] [hello=\"text\"] [expect=STATUS])");
    check_error(PRE "P1: serve port=\"\\P\" reply=byte:300\n",
                "t.scn:5:27: error: reply=byte:N needs a number from 0 to 255");
}

static void test_error_expectations(void **state)
{
    (void)state;
    check_error(PRE "expect bugcheck 0x44\nexpect no-bugcheck\n",
                "t.scn:6:8: error: 'expect no-bugcheck' contradicts 'expect bugcheck' at line 5");
    check_error(PRE "expect hang\nexpect bugcheck 0x44\n",
                "t.scn:6:8: error: 'expect bugcheck' contradicts 'expect hang' at line 5");
    check_error(PRE "expect bugcheck 0x44\nexpect bugcheck 0x44\n",
                "t.scn:6:8: error: duplicate 'expect bugcheck' (the first is at line 5)");
    check_error(PRE "expect report contains=\"x\"\n",
                "t.scn:5:8: error: 'expect report' needs 'expect bugcheck' or 'expect hang' (a report exists only when "
                "the machine stops)");
    check_error(PRE "expect crash\n", "t.scn:5:8: error: unknown expectation 'crash' (accepted: bugcheck, "
                                      "no-bugcheck, hang, log, no-log, log-count, report, no-leaks)");
    check_error(PRE "expect\n", "t.scn:5:7: error: 'expect' needs a kind: bugcheck, no-bugcheck, hang, log, no-log, "
                                "log-count, report or no-leaks");
    check_error(PRE "expect log-count \"x\"\n",
                "t.scn:5:21: error: missing count (usage: expect log-count \"text\" N)");
    check_error(PRE "expect bugcheck\n", "t.scn:5:16: error: missing bugcheck code (usage: expect bugcheck CODE "
                                         "[arg1=V|irp|mdl|process|...] ... [arg4=...])");
}

static void test_error_context_and_limit(void **state)
{
    (void)state;
    scn_script *s = load(PRE "P1: opne h1\n");
    assert_int_equal(D.nmsgs, 1);
    assert_string_equal(D.context[0], "   5 | P1: opne h1\n     |     ^\n");
    scn_free(s);

    s = load("\tlaod pt\n");
    assert_string_equal(D.msgs[0], "t.scn:1:2: error: unknown statement 'laod'; did you mean 'load'?");
    assert_string_equal(D.context[0], "   1 | \tlaod pt\n     | \t^\n");
    scn_free(s);

    char text[1024] = "";
    for (int i = 0; i < 25; i++)
        strcat(text, "bogus\n");
    s = load(text);
    assert_int_equal(D.nerrors, 20);
    assert_int_equal(D.nmsgs, 21);
    assert_string_equal(D.msgs[20], "t.scn: note: too many errors, stopped after 20");
    scn_free(s);

    /* several errors in one script are all reported, the rest of the statement is still checked */
    s = load(PRE "P1: read h1 length=4Q offset=x\nP1: bogus\n");
    assert_int_equal(D.nerrors, 3);
    assert_string_equal(D.msgs[1],
                        "t.scn:5:30: error: offset: 'x' is not a size (a number with an optional K, M or G suffix)");
    assert_string_equal(D.msgs[2], "t.scn:6:5: error: unknown operation 'bogus' (process operations: open, read, "
                                   "write, query, set, query-security, list, close, copy, exit)");
    scn_free(s);
}

static void test_load_file_missing(void **state)
{
    (void)state;
    scn_diag_free(&D);
    scn_diag_init(&D);
    scn_script *s = scn_load_file("/nonexistent/x.scn", &D);
    assert_null(s);
    assert_int_equal(D.nmsgs, 1);
    assert_string_equal(D.msgs[0], "/nonexistent/x.scn: error: cannot read the script: No such file or directory");
}

/* --- decoded values and defaults ------------------------------------------------------------------- */

static const scn_stmt *stmt_at_line(const scn_script *s, uint32_t line)
{
    for (size_t i = 0; i < s->nstmts; i++)
        if (s->stmts[i].pos.line == line)
            return &s->stmts[i];
    fail_msg("no statement at line %u", (unsigned)line);
    return NULL;
}

static void test_machine(void **state)
{
    (void)state;
    scn_script *s = load_ok("# comment\nmachine seed=0x10 verifier=io|special-pool|0x800 track-locked-pages=1 "
                            "stack=64K trace=1\n");
    assert_int_equal(s->machine.line, 2);
    assert_int_equal(s->machine.seed, 16);
    assert_int_equal(s->machine.verifier, 0x811);
    assert_int_equal(s->machine.track_locked_pages, 1);
    assert_int_equal(s->machine.stack_size, 0x10000);
    assert_int_equal(s->machine.trace, 1);
    scn_free(s);

    s = load_ok("machine verifier=none\n");
    assert_int_equal(s->machine.verifier, 0);
    assert_int_equal(s->machine.stack_size, 0x6000);
    assert_true(scn_arg_find(&s->stmts[0], "stack")->is_default);
    assert_false(scn_arg_given(&s->stmts[0], "stack"));
    assert_true(scn_arg_given(&s->stmts[0], "verifier"));
    scn_free(s);

    s = load_ok("volume C:\n");
    assert_int_equal(s->machine.line, 0);
    assert_int_equal(s->machine.stack_size, 0x6000);
    assert_int_equal(s->machine.seed, 0);
    scn_free(s);
}

static void test_open_values(void **state)
{
    (void)state;
    scn_script *s = load_ok(PRE "P1: open h2 \"C:\\b\" access=all share=none disposition=overwrite-if "
                                "options=non-directory|write-through attributes=hidden|0x4 expect=ACCESS_DENIED\n");
    const scn_stmt *o = stmt_at_line(s, 4);
    assert_int_equal(o->verb, SCN_VERB_OPEN);
    assert_string_equal(o->actor_name, "P1");
    assert_int_equal(o->actor, 0);
    assert_int_equal(o->process, 0);
    assert_int_equal(o->handle, 0);
    assert_int_equal(scn_arg_u32(o, "access", 99), 0x1);
    assert_int_equal(scn_arg_u32(o, "share", 99), 0x3);
    assert_int_equal(scn_arg_u32(o, "disposition", 99), 1);
    assert_int_equal(scn_arg_u32(o, "options", 99), 0);
    assert_int_equal(scn_arg_u32(o, "attributes", 99), 0x80);
    assert_int_equal(scn_expect_status(o), 0);
    assert_true(scn_arg_find(o, "access")->is_default);
    assert_string_equal(scn_pos_str(o, 1), "C:\\a.txt");
    assert_int_equal(scn_pos_arg(o, 1)->type, SCN_T_PATH);
    assert_null(scn_pos_arg(o, 2));

    o = stmt_at_line(s, 5);
    assert_int_equal(o->handle, 1);
    assert_int_equal(scn_arg_u32(o, "access", 0), 0x1F01FF);
    assert_int_equal(scn_arg_u32(o, "share", 9), 0);
    assert_int_equal(scn_arg_u32(o, "disposition", 0), 5);
    assert_int_equal(scn_arg_u32(o, "options", 0), 0x42);
    assert_int_equal(scn_arg_u32(o, "attributes", 0), 0x6);
    assert_int_equal(scn_expect_status(o), 0xC0000022);
    assert_false(scn_arg_find(o, "access")->is_default);
    assert_int_equal(s->nhandles, 2);
    assert_string_equal(s->handles[1].name, "h2");
    assert_int_equal(s->handles[1].open_line, 5);
    scn_free(s);
}

static void test_sizes_durations_statuses(void **state)
{
    (void)state;
    scn_script *s = load_ok(PRE "P1: read h1 length=4K offset=1M\n"
                                "P1: read h1 length=0x10 expect=0xC0000034\n"
                                "P1: read h1 length=7 expect=STATUS_OBJECT_NAME_NOT_FOUND\n"
                                "P1: read h1 length=7 expect=object_name_not_found\n"
                                "advance 10ms\nadvance 5us\nadvance 2s\nadvance 7ns\nadvance 0\n");
    const scn_stmt *r = stmt_at_line(s, 5);
    assert_int_equal(scn_arg_u32(r, "length", 0), 4096);
    assert_int_equal(scn_arg_u64(r, "offset", 0), 1048576);
    r = stmt_at_line(s, 6);
    assert_int_equal(scn_arg_u32(r, "length", 0), 16);
    assert_true(scn_arg_u64(r, "offset", 0) == SCN_OFFSET_CURRENT);
    assert_true(scn_arg_find(r, "offset")->is_default);
    assert_int_equal(scn_expect_status(r), 0xC0000034);
    assert_int_equal(scn_expect_status(stmt_at_line(s, 7)), 0xC0000034);
    assert_int_equal(scn_expect_status(stmt_at_line(s, 8)), 0xC0000034);
    assert_int_equal(scn_pos_u64(stmt_at_line(s, 9), 0, 0), 10000000);
    assert_int_equal(scn_pos_u64(stmt_at_line(s, 10), 0, 0), 5000);
    assert_int_equal(scn_pos_u64(stmt_at_line(s, 11), 0, 0), 2000000000);
    assert_int_equal(scn_pos_u64(stmt_at_line(s, 12), 0, 0), 7);
    assert_int_equal(scn_pos_u64(stmt_at_line(s, 13), 0, 1), 0);
    scn_free(s);

    uint64_t v;
    char err[128];
    assert_int_equal(scn_parse_size("2G", 2, &v, err, sizeof(err)), 0);
    assert_true(v == 2147483648ull);
    assert_int_equal(scn_parse_size("0x1000", 6, &v, err, sizeof(err)), 0);
    assert_int_equal(v, 4096);
    assert_int_equal(scn_parse_size("3k", 2, &v, err, sizeof(err)), 0);
    assert_int_equal(v, 3072);
    assert_int_equal(scn_parse_number("0x", 2, &v, err, sizeof(err)), -1);
    assert_int_equal(scn_parse_number("", 0, &v, err, sizeof(err)), -1);
    assert_int_equal(scn_parse_number("18446744073709551615", 20, &v, err, sizeof(err)), 0);
    assert_true(v == UINT64_MAX);
    assert_int_equal(scn_parse_number("18446744073709551616", 20, &v, err, sizeof(err)), -1);
    assert_int_equal(scn_parse_duration("3MS", 3, &v, err, sizeof(err)), 0);
    assert_int_equal(v, 3000000);
}

static void test_info_classes(void **state)
{
    (void)state;
    scn_script *s = load_ok(PRE "P1: query h1 Basic\nP1: query h1 BasicInformation\nP1: query h1 FileBasic\n"
                                "P1: query h1 FileBasicInformation\nP1: query h1 4\nP1: query h1 All length=1K\n"
                                "P1: query h1 networkopen\nP1: list h1 class=IdBoth pattern=\"*.txt\"\n"
                                "P1: list h1\nP1: list h1 class=FileNamesInformation\n");
    for (uint32_t line = 5; line <= 9; line++)
        assert_int_equal(scn_pos_u64(stmt_at_line(s, line), 1, 0), 4);
    assert_int_equal(scn_pos_u64(stmt_at_line(s, 10), 1, 0), 18);
    assert_int_equal(scn_arg_u32(stmt_at_line(s, 10), "length", 0), 1024);
    assert_int_equal(scn_arg_u32(stmt_at_line(s, 5), "length", 0), 4096);
    assert_int_equal(scn_pos_u64(stmt_at_line(s, 11), 1, 0), 34);
    assert_int_equal(scn_arg_u32(stmt_at_line(s, 12), "class", 0), 37);
    assert_string_equal(scn_arg_str(stmt_at_line(s, 12), "pattern", NULL), "*.txt");
    assert_int_equal(scn_arg_u32(stmt_at_line(s, 13), "class", 0), 3);
    assert_null(scn_arg_str(stmt_at_line(s, 13), "pattern", NULL));
    assert_int_equal(scn_arg_u32(stmt_at_line(s, 14), "class", 0), 12);
    assert_string_equal(scn_info_class_name(34), "FileNetworkOpenInformation");
    scn_free(s);
}

static void test_set_defaults(void **state)
{
    (void)state;
    scn_script *s = load_ok(PRE "P1: set h1 Disposition\nP1: set h1 Rename to=\"C:\\b.txt\"\n"
                                "P1: set h1 DispositionEx\nP1: set h1 DispositionEx flags=delete|posix-semantics\n"
                                "P1: set h1 Basic attributes=readonly\nP1: set h1 Link to=\"C:\\l\" replace=1\n");
    const scn_stmt *st = stmt_at_line(s, 5);
    assert_int_equal(scn_arg_u64(st, "delete", 0), 1);
    assert_true(scn_arg_find(st, "delete")->is_default);
    st = stmt_at_line(s, 6);
    assert_int_equal(scn_pos_u64(st, 1, 0), 10);
    assert_int_equal(scn_arg_u64(st, "replace", 9), 0);
    assert_string_equal(scn_arg_str(st, "to", NULL), "C:\\b.txt");
    assert_int_equal(scn_arg_u64(stmt_at_line(s, 7), "flags", 0), 1);
    assert_int_equal(scn_arg_u64(stmt_at_line(s, 8), "flags", 0), 3);
    assert_int_equal(scn_arg_u64(stmt_at_line(s, 9), "attributes", 0), 1);
    assert_int_equal(scn_arg_u64(stmt_at_line(s, 10), "replace", 0), 1);
    assert_null(scn_arg_find(stmt_at_line(s, 9), "delete"));
    scn_free(s);
}

static void test_expectations(void **state)
{
    (void)state;
    scn_script *s = load_ok(PRE "expect bugcheck 0xCB arg1=irp arg3=MDL arg4=2\nexpect log \"hello\"\n"
                                "expect log-count \"x y\" 3\nexpect report contains=\"MDL\"\nexpect no-leaks\n"
                                "EXPECT NO-LOG \"bad\"\n");
    const scn_stmt *st = stmt_at_line(s, 5);
    assert_int_equal(st->verb, SCN_VERB_EXPECT_BUGCHECK);
    assert_string_equal(st->verb_text, "expect bugcheck");
    assert_int_equal(scn_pos_u64(st, 0, 0), 0xCB);
    assert_int_equal(scn_arg_find(st, "arg1")->kind, SCN_OBJ_IRP);
    assert_int_equal(scn_arg_find(st, "arg3")->kind, SCN_OBJ_MDL);
    assert_int_equal(scn_arg_find(st, "arg4")->kind, SCN_OBJ_NONE);
    assert_int_equal(scn_arg_u64(st, "arg4", 0), 2);
    assert_null(scn_arg_find(st, "arg2"));
    assert_string_equal(scn_pos_str(stmt_at_line(s, 6), 0), "hello");
    assert_int_equal(scn_pos_u64(stmt_at_line(s, 7), 1, 0), 3);
    assert_string_equal(scn_pos_str(stmt_at_line(s, 7), 0), "x y");
    assert_int_equal(stmt_at_line(s, 9)->verb, SCN_VERB_EXPECT_NO_LEAKS);
    assert_int_equal(stmt_at_line(s, 10)->verb, SCN_VERB_EXPECT_NO_LOG);
    scn_free(s);
}

static void test_world(void **state)
{
    (void)state;
    scn_script *s = load_ok("VOLUME c:\r\n"
                            "volume \\\\srv\\share latency=5ms csc=1 caching=0\r\n"
                            "volume \"\\\\srv2\\s\"\r\n"
                            "dir \"\\\\srv\\share\\d\"\n"
                            "file \"C:\\f.txt\"\n"
                            "file \"C:\\g.txt\" text=\"a b\"   # trailing comment\n"
                            "driver pt path=pt.sys altitude=370030.5 flags=0x3\n"
                            "driver legacy path=pt.sys\n"
                            "instance pt \"Second\" altitude=370040\n"
                            "param pt A=dword:0x10 B=\"x y\" c=DWORD:7\n"
                            "process P1\nprocess P2 image=copy.exe\n");
    assert_int_equal(s->nvolumes, 3);
    assert_string_equal(s->volumes[0].name, "C:");
    assert_int_equal(s->volumes[0].remote, 0);
    assert_string_equal(s->volumes[1].name, "\\\\srv\\share");
    assert_int_equal(s->volumes[1].remote, 1);
    assert_int_equal(s->volumes[1].latency_ns, 5000000);
    assert_int_equal(s->volumes[1].csc, 1);
    assert_int_equal(s->volumes[1].caching, 0);
    assert_int_equal(s->volumes[2].caching, 1);
    assert_int_equal(s->volumes[2].line, 3);
    assert_int_equal(stmt_at_line(s, 2)->volume, 1);

    const scn_stmt *f = stmt_at_line(s, 5);
    assert_int_equal(scn_arg_u64(f, "size", 9), 0);
    assert_true(scn_arg_find(f, "size")->is_default);
    f = stmt_at_line(s, 6);
    assert_string_equal(f->source, "file \"C:\\g.txt\" text=\"a b\"");
    assert_null(scn_arg_find(f, "size"));

    assert_int_equal(s->nservices, 2);
    assert_string_equal(s->services[0].name, "pt");
    assert_string_equal(s->services[0].altitude, "370030.5");
    assert_string_equal(s->services[0].instance, "pt Instance");
    assert_int_equal(s->services[0].flags, 3);
    char img[300];
    snprintf(img, sizeof(img), "%s/pt.sys", drivers_dir);
    assert_string_equal(s->services[0].image_path, img);
    assert_null(s->services[1].altitude);
    assert_int_equal(stmt_at_line(s, 9)->service, 0);

    const scn_stmt *p = stmt_at_line(s, 10);
    assert_int_equal(p->nnamed, 3);
    assert_int_equal(scn_arg_find(p, "A")->kind, SCN_REG_DWORD);
    assert_int_equal(scn_arg_find(p, "A")->u, 16);
    assert_int_equal(scn_arg_find(p, "B")->kind, SCN_REG_SZ);
    assert_string_equal(scn_arg_find(p, "B")->text, "x y");
    assert_int_equal(scn_arg_find(p, "c")->u, 7);

    assert_int_equal(s->nprocesses, 2);
    assert_string_equal(s->processes[0].image, "P1.exe");
    assert_string_equal(s->processes[1].image, "copy.exe");
    assert_int_equal(stmt_at_line(s, 12)->process, 1);
    scn_free(s);
}

static void test_handles_reopen(void **state)
{
    (void)state;
    scn_script *s = load_ok(PRE "P1: close h1\nP1: open h1 \"C:\\b\" disposition=create\nP1: read h1 length=1\n"
                                "process P2\nP2: open h1 \"C:\\c\"\nP2: close h1\nP1: exit\n");
    assert_int_equal(s->nhandles, 3);
    assert_int_equal(stmt_at_line(s, 5)->handle, 0);
    assert_int_equal(stmt_at_line(s, 6)->handle, 1);
    assert_int_equal(stmt_at_line(s, 7)->handle, 1);
    assert_int_equal(stmt_at_line(s, 9)->handle, 2);
    assert_int_equal(s->handles[2].process, 1);
    assert_int_equal(stmt_at_line(s, 10)->handle, 2);
    assert_int_equal(stmt_at_line(s, 11)->actor, 0);
    assert_int_equal(stmt_at_line(s, 11)->handle, -1);
    scn_free(s);
}

static void test_dump(void **state)
{
    (void)state;
    scn_script *s = load_ok(PRE "P1: read h1 length=2K\nexpect bugcheck 0x44 arg1=irp\n");
    FILE *f = tmpfile();
    assert_non_null(f);
    scn_dump(s, f);
    rewind(f);
    char buf[4096];
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    assert_non_null(strstr(buf, "1: volume \"C:\"\n"));
    assert_non_null(strstr(buf, "5: P1: read h1 length=2048 offset=current(default) expect=STATUS_SUCCESS(default)\n"));
    assert_non_null(strstr(buf, "6: expect bugcheck 0x44 arg1=irp\n"));
    scn_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_unknown_statement),
        cmocka_unit_test(test_error_lexical),
        cmocka_unit_test(test_error_unknown_key),
        cmocka_unit_test(test_error_numbers),
        cmocka_unit_test(test_error_status),
        cmocka_unit_test(test_error_flags),
        cmocka_unit_test(test_error_names),
        cmocka_unit_test(test_error_shape),
        cmocka_unit_test(test_error_order),
        cmocka_unit_test(test_error_paths),
        cmocka_unit_test(test_error_image),
        cmocka_unit_test(test_error_set),
        cmocka_unit_test(test_error_serve),
        cmocka_unit_test(test_error_expectations),
        cmocka_unit_test(test_error_context_and_limit),
        cmocka_unit_test(test_load_file_missing),
        cmocka_unit_test(test_machine),
        cmocka_unit_test(test_open_values),
        cmocka_unit_test(test_sizes_durations_statuses),
        cmocka_unit_test(test_info_classes),
        cmocka_unit_test(test_set_defaults),
        cmocka_unit_test(test_expectations),
        cmocka_unit_test(test_world),
        cmocka_unit_test(test_handles_reopen),
        cmocka_unit_test(test_dump),
    };
    int rc = cmocka_run_group_tests(tests, group_setup, group_teardown);
    scn_diag_free(&D);
    return rc;
}
