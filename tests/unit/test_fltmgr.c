/*
 * test_fltmgr.c - Filter Manager behaviour seen from the host API with the
 * passthrough sample: pre-operation callbacks run from the highest altitude
 * down and post-operation callbacks back up (Windows' documented order),
 * for create, cleanup and close; unload runs each instance's teardown
 * callbacks and then FilterUnload; the registration table is validated.
 * A mapped view brings the FsFilter section-synchronization pseudo-operations
 * and the fault's paging read.
 * The driver is loaded from $FLTSIM_DRIVERS (default build/drivers).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <fltsim.h>

#define MAX_LINES 256
static char *Lines[MAX_LINES];
static int LineCount;

static void Collect(void *Context, FSIM_LOG_KIND Kind, const char *Line)
{
    (void)Context;
    if (Kind == FSIM_LOG_DBGPRINT && LineCount < MAX_LINES)
        Lines[LineCount++] = strdup(Line);
}

static void ClearLines(void)
{
    for (int I = 0; I < LineCount; I++)
        free(Lines[I]);
    LineCount = 0;
}

static const char *DriverPath(const char *Name)
{
    static char Path[1024];
    const char *Dir = getenv("FLTSIM_DRIVERS");
    snprintf(Path, sizeof(Path), "%s/%s", Dir ? Dir : "build/drivers", Name);
    return Path;
}

static FSIM_MACHINE *M;
static FSIM_PID Pid;

static int Setup(void **State)
{
    FSIM_MACHINE_OPTIONS Options = {1, 0, 0, 0};
    (void)State;
    M = FsimMachineCreate(&Options);
    assert_non_null(M);
    FsimSetLogCallback(M, Collect, NULL);
    assert_int_equal(FsimVolumeAddLocal(M, "C:"), 0);
    assert_int_equal(FsimVolumeCreateFile(M, "C:\\a.txt", "data", 4), 0);
    assert_int_equal(FsimServiceCreate(M, "passthrough", DriverPath("passthrough.sys")), 0);
    assert_int_equal(FsimServiceAddInstance(M, "passthrough", "Upper", "370030", 0, 1), 0);
    assert_int_equal(FsimServiceAddInstance(M, "passthrough", "Lower", "370020", 0, 0), 0);
    assert_int_equal(FsimDriverLoad(M, "passthrough"), 0);
    assert_int_equal(FsimProcessCreate(M, "app.exe", &Pid), 0);
    ClearLines();
    return 0;
}

static int Teardown(void **State)
{
    (void)State;
    FsimMachineDestroy(M);
    ClearLines();
    return 0;
}

/* The lines of one major function, in order. */
static int Select(const char *Major, const char **Out, int Max)
{
    int N = 0;
    for (int I = 0; I < LineCount && N < Max; I++) {
        const char *P = strstr(Lines[I], Major);
        if (P != NULL && (P[strlen(Major)] == 0 || P[strlen(Major)] == ' '))
            Out[N++] = Lines[I];
    }
    return N;
}

static void test_pre_top_down_post_bottom_up(void **State)
{
    FSIM_CREATE Create = {"C:\\a.txt", 0x80000000u /* GENERIC_READ */, 0, 1 /* FILE_SHARE_READ */, 1 /* FILE_OPEN */,
                          0x40 /* FILE_NON_DIRECTORY_FILE */};
    FSIM_HANDLE H = 0;
    uint64_t Info = 0;
    const char *Sel[16];
    (void)State;
    assert_int_equal(FsimNtCreateFile(M, Pid, &Create, &H, &Info), 0);
    assert_int_equal(Info, 1); /* FILE_OPENED */
    assert_int_equal(Select("IRP_MJ_CREATE", Sel, 16), 4);
    assert_string_equal(Sel[0], "PT[370030] pre  IRP_MJ_CREATE");
    assert_string_equal(Sel[1], "PT[370020] pre  IRP_MJ_CREATE");
    assert_string_equal(Sel[2], "PT[370020] post IRP_MJ_CREATE status=0x00000000");
    assert_string_equal(Sel[3], "PT[370030] post IRP_MJ_CREATE status=0x00000000");
    assert_int_equal(FsimNtClose(M, Pid, H), 0);
    assert_int_equal(Select("IRP_MJ_CLEANUP", Sel, 16), 4);
    assert_string_equal(Sel[0], "PT[370030] pre  IRP_MJ_CLEANUP");
    assert_string_equal(Sel[3], "PT[370030] post IRP_MJ_CLEANUP status=0x00000000");
    assert_int_equal(Select("IRP_MJ_CLOSE", Sel, 16), 4);
    assert_string_equal(Sel[1], "PT[370020] pre  IRP_MJ_CLOSE");
    assert_string_equal(Sel[2], "PT[370020] post IRP_MJ_CLOSE status=0x00000000");
}

/* Mapped access: the section's creation is bracketed by the FsFilter
 * pseudo-operations (pre top-down, post bottom-up, as for IRPs, with
 * SyncTypeCreateSection and PAGE_READONLY), and the page fault is a paging
 * read every instance sees; a second view of the resident page reads
 * nothing. */
static void test_mapped_view_sees_section_sync_then_paging_read(void **State)
{
    FSIM_CREATE Create = {"C:\\a.txt", 0x80000000u /* GENERIC_READ */, 0, 1 /* FILE_SHARE_READ */, 1 /* FILE_OPEN */,
                          0x40 /* FILE_NON_DIRECTORY_FILE */};
    FSIM_HANDLE H = 0;
    uint64_t Info = 0;
    char Data[4];
    const char *Sel[16];
    (void)State;
    assert_int_equal(FsimNtCreateFile(M, Pid, &Create, &H, &Info), 0);
    ClearLines();
    assert_int_equal(FsimReadMappedView(M, Pid, H, 0, Data, 4, &Info), 0);
    assert_int_equal(Info, 4);
    assert_memory_equal(Data, "data", 4);
    assert_int_equal(LineCount, 12);
    assert_string_equal(Lines[0], "PT[370030] pre  IRP_MJ_ACQUIRE_FOR_SECTION_SYNCHRONIZATION SyncType=1 PageProtection=0x2");
    assert_string_equal(Lines[1], "PT[370020] pre  IRP_MJ_ACQUIRE_FOR_SECTION_SYNCHRONIZATION SyncType=1 PageProtection=0x2");
    assert_string_equal(Lines[2], "PT[370020] post IRP_MJ_ACQUIRE_FOR_SECTION_SYNCHRONIZATION status=0x00000000");
    assert_string_equal(Lines[3], "PT[370030] post IRP_MJ_ACQUIRE_FOR_SECTION_SYNCHRONIZATION status=0x00000000");
    assert_string_equal(Lines[4], "PT[370030] pre  IRP_MJ_RELEASE_FOR_SECTION_SYNCHRONIZATION");
    assert_string_equal(Lines[7], "PT[370030] post IRP_MJ_RELEASE_FOR_SECTION_SYNCHRONIZATION status=0x00000000");
    assert_string_equal(Lines[8], "PT[370030] pre  IRP_MJ_READ paging");
    assert_string_equal(Lines[9], "PT[370020] pre  IRP_MJ_READ paging");
    assert_string_equal(Lines[11], "PT[370030] post IRP_MJ_READ status=0x00000000");
    ClearLines();
    assert_int_equal(FsimReadMappedView(M, Pid, H, 1, Data, 3, &Info), 0);
    assert_memory_equal(Data, "ata", 3);
    assert_int_equal(Select("IRP_MJ_READ", Sel, 16), 0);
    /* Beyond the view's only page. */
    assert_int_equal(FsimReadMappedView(M, Pid, H, 4090, Data, 8, &Info), 0xC0000005u);
    assert_int_equal(FsimNtClose(M, Pid, H), 0);
}

static void test_failed_create_reaches_post_with_its_status(void **State)
{
    FSIM_CREATE Create = {"C:\\missing.txt", 0x80000000u, 0, 1, 1 /* FILE_OPEN */, 0};
    FSIM_HANDLE H = 0;
    const char *Sel[16];
    (void)State;
    assert_int_equal(FsimNtCreateFile(M, Pid, &Create, &H, NULL), 0xC0000034u /* OBJECT_NAME_NOT_FOUND */);
    assert_int_equal(Select("IRP_MJ_CREATE", Sel, 16), 4);
    assert_string_equal(Sel[2], "PT[370020] post IRP_MJ_CREATE status=0xc0000034");
    /* a failed create has no cleanup and no close */
    assert_int_equal(Select("IRP_MJ_CLOSE", Sel, 16), 0);
}

static void test_unload_runs_teardown_then_filter_unload(void **State)
{
    int Start = 0, Complete = 0, Unload = -1, LastTeardown = -1;
    (void)State;
    assert_int_equal(FsimDriverUnload(M, "passthrough"), 0);
    for (int I = 0; I < LineCount; I++) {
        if (strstr(Lines[I], "InstanceTeardownStart flags=0x00000002")) /* FLTFL_INSTANCE_TEARDOWN_FILTER_UNLOAD */
            Start++;
        if (strstr(Lines[I], "InstanceTeardownComplete flags=0x00000002")) {
            Complete++;
            LastTeardown = I;
        }
        if (strstr(Lines[I], "PT FilterUnload"))
            Unload = I;
    }
    assert_int_equal(Start, 2);
    assert_int_equal(Complete, 2);
    /* FilterUnload is called first and calls FltUnregisterFilter, which tears the instances down */
    assert_true(Unload >= 0 && Unload < LastTeardown);
    assert_int_equal(FsimMachineState(M), FSIM_STATE_RUNNING);
}

static void test_load_fails_naming_the_missing_import(void **State)
{
    (void)State;
    assert_int_equal(FsimServiceCreate(M, "missingimport", DriverPath("missingimport.sys")), 0);
    assert_int_equal(FsimDriverLoad(M, "missingimport"), 0xC000007Au /* STATUS_PROCEDURE_NOT_FOUND */);
    assert_non_null(strstr(FsimLastError(M), "IoWMIRegistrationControl"));
    assert_int_equal(FsimMachineState(M), FSIM_STATE_RUNNING);
}

/* An image path without a directory is a file in the current directory,
 * not a name for the dynamic linker's search path. */
static void test_a_bare_image_name_is_in_the_current_directory(void **State)
{
    char Cwd[1024];
    const char *Dir = getenv("FLTSIM_DRIVERS");
    (void)State;
    assert_non_null(getcwd(Cwd, sizeof(Cwd)));
    assert_int_equal(chdir(Dir ? Dir : "build/drivers"), 0);
    assert_int_equal(FsimServiceCreate(M, "pendwork", "pendwork.sys"), 0);
    assert_int_equal(FsimServiceAddInstance(M, "pendwork", "Default", "300000", 0, 1), 0);
    uint32_t Status = FsimDriverLoad(M, "pendwork");
    assert_int_equal(chdir(Cwd), 0);
    assert_int_equal(Status, 0);
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test_setup_teardown(test_pre_top_down_post_bottom_up, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_failed_create_reaches_post_with_its_status, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_mapped_view_sees_section_sync_then_paging_read, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_unload_runs_teardown_then_filter_unload, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_load_fails_naming_the_missing_import, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_a_bare_image_name_is_in_the_current_directory, Setup, Teardown),
    };
    return cmocka_run_group_tests(Tests, NULL, NULL);
}
