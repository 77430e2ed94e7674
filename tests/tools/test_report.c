/*
 * test_report.c - the report renderer (tools/fltsim/report.c): WinDbg-style
 * text of a bugcheck and of a hang compared with text written from the
 * `!analyze -v` / `k` / `dt` formats, JSON output and escaping, addresses
 * and pool tags.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"

static const FSIM_REPORT_FRAME frames[] = {
    { 0, 0xffffd00123456000ull, "nt", "KeBugCheckEx", NULL, 0, 0x28, 0 },
    { 1, 0xffffd00123456028ull, "nt", "MmDeleteProcessAddressSpace", NULL, 0, 0x90, 0 },
    { 2, 0xffffd001234560b8ull, "cryptfilt", "CfPreQuerySecurity", "cryptfilt/security.c", 88, 0x1a0, 1 },
};

static const FSIM_REPORT_FIELD mdl_fields[] = {
    { "+0x000 Next", "(null)" },
    { "+0x008 Size", "0n64" },
    { "+0x00a MdlFlags", "0n138" },
    { "+0x020 StartVa", "0x00000000`7ffe0000" },
};

static const FSIM_REPORT_SECTION sections[] = {
    { "dt nt!_MDL ffffac05`00001000", 4, mdl_fields },
};

/* 'FltC' as a pool tag: the first character is the low byte. */
#define TAG_FLTC 0x43746c46u

static const FSIM_REPORT_LEAK leaks[] = {
    { "CallbackData", 0xffffac0500002000ull, TAG_FLTC, 0x120, 1, "cryptfilt.sys", "cryptfilt/security.c", 80 },
};

static FSIM_REPORT bugcheck_report(void)
{
    FSIM_REPORT r;
    memset(&r, 0, sizeof(r));
    r.Kind = FSIM_STATE_BUGCHECKED;
    r.Code = 0xCB;
    r.Args[0] = 0xfffff80112345678ull;
    r.Args[1] = 0xfffff80112340000ull;
    r.Args[2] = 0xffffac0500001000ull;
    r.Args[3] = 2;
    r.Name = "DRIVER_LEFT_LOCKED_PAGES_IN_PROCESS";
    r.Description = "A driver failed to release locked pages after an I/O operation.";
    r.ArgMeaning[0] = "The calling address in the driver that locked the pages";
    r.ArgMeaning[1] = "The caller of the calling address in driver that locked the pages";
    r.ArgMeaning[2] = "A pointer to the MDL containing the locked pages";
    r.ArgMeaning[3] = "The number of locked pages";
    r.GuiltyDriver = "cryptfilt.sys";
    r.GuiltyLocation = "cryptfilt/security.c:88";
    r.RootCause = "MDL ffffac05`00001000 (2 pages) was locked by mrxsmb and never freed";
    r.Thread = "P1 (copy.exe) thread 1";
    r.Irql = 0;
    r.FrameCount = 3;
    r.Frames = frames;
    r.SectionCount = 1;
    r.Sections = sections;
    r.LeakCount = 1;
    r.Leaks = leaks;
    return r;
}

/* Written from the WinDbg formats: the 79-column banner, "NAME (code)" with
 * the code in lower-case hex, ArgN as 16 hex digits, "KEY:  value" lines,
 * `k` rows as "NN Child-SP Call-Site Size" with the call-site column as wide
 * as the longest call site plus one (at least 44), `dt` fields with the
 * names padded to the longest, and the leak table's columns two blanks
 * apart. */
static const char expected_bugcheck[] =
    "*******************************************************************************\n"
    "*                                                                             *\n"
    "*                        Bugcheck Analysis                                    *\n"
    "*                                                                             *\n"
    "*******************************************************************************\n"
    "\n"
    "DRIVER_LEFT_LOCKED_PAGES_IN_PROCESS (cb)\n"
    "A driver failed to release locked pages after an I/O operation.\n"
    "Arguments:\n"
    "Arg1: fffff80112345678, The calling address in the driver that locked the pages\n"
    "Arg2: fffff80112340000, The caller of the calling address in driver that locked the pages\n"
    "Arg3: ffffac0500001000, A pointer to the MDL containing the locked pages\n"
    "Arg4: 0000000000000002, The number of locked pages\n"
    "\n"
    "FAULTING_THREAD:  P1 (copy.exe) thread 1\n"
    "\n"
    "CURRENT_IRQL:  0\n"
    "\n"
    "IMAGE_NAME:  cryptfilt.sys\n"
    "\n"
    "FAULTING_SOURCE_LINE:  cryptfilt/security.c:88\n"
    "\n"
    "ROOT_CAUSE:  MDL ffffac05`00001000 (2 pages) was locked by mrxsmb and never freed\n"
    "\n"
    "STACK_TEXT:\n"
    " # Child-SP          Call Site                                                Size\n"
    "00 ffffd001`23456000 nt!KeBugCheckEx                                          0x28\n"
    "01 ffffd001`23456028 nt!MmDeleteProcessAddressSpace                           0x90\n"
    "02 ffffd001`234560b8 cryptfilt!CfPreQuerySecurity [cryptfilt/security.c @ 88] 0x1a0\n"
    "\n"
    "0: kd> dt nt!_MDL ffffac05`00001000\n"
    "   +0x000 Next     : (null)\n"
    "   +0x008 Size     : 0n64\n"
    "   +0x00a MdlFlags : 0n138\n"
    "   +0x020 StartVa  : 0x00000000`7ffe0000\n"
    "\n"
    "LEAKED OBJECTS:\n"
    "Kind          Address            Tag   Size   Refs  Driver         Allocated at\n"
    "CallbackData  ffffac05`00002000  FltC  0x120  1     cryptfilt.sys  cryptfilt/security.c:80\n"
    "\n"
    ;

static void test_bugcheck_text(void **state)
{
    (void)state;
    FSIM_REPORT r = bugcheck_report();
    rbuf b = { 0 };
    report_render_text(&b, &r);
    assert_false(b.oom);
    if (strcmp(rb_str(&b), expected_bugcheck) != 0)
        fprintf(stderr, "--- got:\n%s--- expected:\n%s", rb_str(&b), expected_bugcheck);
    assert_string_equal(rb_str(&b), expected_bugcheck);
    rb_free(&b);

    char *t = report_text(&r);
    assert_non_null(t);
    assert_string_equal(t, expected_bugcheck);
    free(t);
}

static void test_hang(void **state)
{
    (void)state;
    FSIM_REPORT r;
    memset(&r, 0, sizeof(r));
    r.Kind = FSIM_STATE_HUNG;
    r.Description = "FltUnregisterFilter waits for 1 reference to ctx.sys's objects:\n"
                    "the stream context below is still referenced.";
    r.GuiltyDriver = "ctx.sys";
    r.Thread = "System worker";
    static const FSIM_REPORT_LEAK hl[] = {
        { "StreamContext", 0xffffac0500003000ull, 0, 0x40, 1, "ctx.sys", NULL, 0 },
    };
    r.LeakCount = 1;
    r.Leaks = hl;
    static const char expected[] =
        "*******************************************************************************\n"
        "*                                                                             *\n"
        "*                        Hang Analysis                                        *\n"
        "*                                                                             *\n"
        "*******************************************************************************\n"
        "\n"
        "UNLOAD HANG\n"
        "FltUnregisterFilter waits for 1 reference to ctx.sys's objects:\n"
        "the stream context below is still referenced.\n"
        "\n"
        "FAULTING_THREAD:  System worker\n"
        "\n"
        "IMAGE_NAME:  ctx.sys\n"
        "\n"
        "LEAKED OBJECTS:\n"
        "Kind           Address            Tag   Size  Refs  Driver   Allocated at\n"
        "StreamContext  ffffac05`00003000  -     0x40  1     ctx.sys  -\n"
        "\n";
    rbuf b = { 0 };
    report_render_text(&b, &r);
    if (strcmp(rb_str(&b), expected) != 0)
        fprintf(stderr, "--- got:\n%s--- expected:\n%s", rb_str(&b), expected);
    assert_string_equal(rb_str(&b), expected);
    rb_free(&b);
}

static void test_multiline_values(void **state)
{
    (void)state;
    static const FSIM_REPORT_FIELD f[] = {
        { "Type", "IO_TYPE_IRP" },
        { "StackLocations", "3\nCurrent 2" },
        { "Nothing", NULL },
    };
    static const FSIM_REPORT_SECTION s[] = { { "!irp ffffac05`00004000", 3, f } };
    FSIM_REPORT r;
    memset(&r, 0, sizeof(r));
    r.Kind = FSIM_STATE_BUGCHECKED;
    r.Code = 0x44;
    r.Name = "MULTIPLE_IRP_COMPLETE_REQUESTS";
    r.ArgMeaning[0] = "Address of the IRP";
    r.Args[0] = 0xffffac0500004000ull;
    r.Irql = 2;
    r.SectionCount = 1;
    r.Sections = s;
    rbuf b = { 0 };
    report_render_text(&b, &r);
    const char *t = rb_str(&b);
    assert_non_null(strstr(t, "\nMULTIPLE_IRP_COMPLETE_REQUESTS (44)\nArguments:\n"
                              "Arg1: ffffac0500004000, Address of the IRP\n"
                              "Arg2: 0000000000000000\n"));
    assert_non_null(strstr(t, "\nCURRENT_IRQL:  2\n"));
    assert_non_null(strstr(t, "0: kd> !irp ffffac05`00004000\n"
                              "   Type           : IO_TYPE_IRP\n"
                              "   StackLocations : 3\n"
                              "                    Current 2\n"
                              "   Nothing        : (null)\n"));
    assert_null(strstr(t, "STACK_TEXT"));
    assert_null(strstr(t, "IMAGE_NAME"));
    rb_free(&b);
}

static void test_json(void **state)
{
    (void)state;
    FSIM_REPORT r = bugcheck_report();
    rbuf b = { 0 };
    report_render_json(&b, &r);
    const char *j = rb_str(&b);
    assert_true(j[0] == '{');
    assert_non_null(strstr(j, "  \"kind\": \"bugcheck\",\n  \"code\": \"0x000000CB\",\n"
                              "  \"name\": \"DRIVER_LEFT_LOCKED_PAGES_IN_PROCESS\",\n"));
    assert_non_null(strstr(j, "    { \"value\": \"0xffffac0500001000\", \"meaning\": \"A pointer to the MDL containing "
                              "the locked pages\" },\n"));
    assert_non_null(strstr(j, "      \"function\": \"CfPreQuerySecurity\",\n      \"file\": \"cryptfilt/security.c\",\n"
                              "      \"line\": 88,\n      \"bytes\": 416,\n      \"is_driver\": true\n"));
    assert_non_null(strstr(j, "      \"file\": null,\n"));
    assert_non_null(strstr(j, "        { \"name\": \"+0x00a MdlFlags\", \"value\": \"0n138\" },\n"));
    assert_non_null(strstr(j, "\"tag\": \"FltC\",\n"));
    assert_non_null(strstr(j, "\"root_cause\": \"MDL ffffac05`00001000 (2 pages) was locked by mrxsmb and never "
                              "freed\",\n"));
    size_t n = strlen(j);
    assert_true(n > 4 && strcmp(j + n - 4, "]\n}\n") == 0);
    rb_free(&b);

    /* no frames, sections or leaks: empty arrays */
    FSIM_REPORT h;
    memset(&h, 0, sizeof(h));
    h.Kind = FSIM_STATE_HUNG;
    report_render_json(&b, &h);
    assert_non_null(strstr(rb_str(&b), "\"kind\": \"hang\""));
    assert_non_null(strstr(rb_str(&b), "\"stack\": [],\n"));
    assert_non_null(strstr(rb_str(&b), "\"sections\": [],\n"));
    assert_non_null(strstr(rb_str(&b), "\"leaks\": []\n}\n"));
    assert_non_null(strstr(rb_str(&b), "\"name\": null,\n"));
    rb_free(&b);
}

static void test_json_escape(void **state)
{
    (void)state;
    rbuf b = { 0 };
    report_json_string(&b, "C:\\dir\\a \"b\"\n\t\x01\x7f end \xc3\xa9");
    assert_string_equal(rb_str(&b), "\"C:\\\\dir\\\\a \\\"b\\\"\\n\\t\\u0001\\u007f end \xc3\xa9\"");
    rb_free(&b);
    report_json_string(&b, NULL);
    assert_string_equal(rb_str(&b), "null");
    rb_free(&b);
}

static void test_small_formats(void **state)
{
    (void)state;
    char a[18], t[5];
    report_address(0xffffd0012345e000ull, a);
    assert_string_equal(a, "ffffd001`2345e000");
    report_address(0, a);
    assert_string_equal(a, "00000000`00000000");
    report_tag(TAG_FLTC, t);
    assert_string_equal(t, "FltC");
    report_tag(0x00014146u, t); /* 'F' 'A' 0x01 0x00 */
    assert_string_equal(t, "FA..");
}

static void test_leaks_only(void **state)
{
    (void)state;
    rbuf b = { 0 };
    report_render_leaks(&b, leaks, 0);
    assert_int_equal(b.len, 0);
    report_render_leaks(&b, leaks, 1);
    assert_true(strncmp(rb_str(&b), "LEAKED OBJECTS:\nKind ", 21) == 0);
    rb_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bugcheck_text), cmocka_unit_test(test_hang),      cmocka_unit_test(test_multiline_values),
        cmocka_unit_test(test_json),          cmocka_unit_test(test_json_escape), cmocka_unit_test(test_small_formats),
        cmocka_unit_test(test_leaks_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
