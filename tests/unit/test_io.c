/*
 * test_io.c - Io unit tests: a two-driver device stack, the completion
 * walk (order, PendingReturned propagation, STATUS_MORE_PROCESSING_REQUIRED
 * stopping the walk), 0x44 on a second completion, 0x35 when an IRP has too
 * few stack locations; a synchronous service's IRP finished by the
 * IopCompleteRequest APC, and the two pending-bit mistakes; IRPs built with
 * IoBuildDeviceIoControlRequest (each buffering method) and
 * IoBuildSynchronousFsdRequest finished and freed by the I/O manager.
 */
#include "support/ts.h"

static FSIM_MACHINE *M;
static char Trace[64];
static int TraceLen;
static BOOLEAN LowerPends;
static NTSTATUS UpperReturns;

static void Note(char C)
{
    Trace[TraceLen++] = C;
    Trace[TraceLen] = 0;
}

static NTSTATUS LowerDispatch(PDEVICE_OBJECT Device, PIRP Irp)
{
    (void)Device;
    Note('L');
    Irp->IoStatus.Status = STATUS_SUCCESS;
    Irp->IoStatus.Information = 7;
    if (LowerPends)
        IoMarkIrpPending(Irp);
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return LowerPends ? STATUS_PENDING : STATUS_SUCCESS;
}

static NTSTATUS UpperCompletion(PDEVICE_OBJECT Device, PIRP Irp, PVOID Context)
{
    (void)Context;
    Note('c');
    Note(Irp->PendingReturned ? 'P' : '-');
    Note(Device != NULL ? 'd' : 'n');
    if (Irp->PendingReturned && UpperReturns != STATUS_MORE_PROCESSING_REQUIRED)
        IoMarkIrpPending(Irp);
    return UpperReturns;
}

static PDEVICE_OBJECT Upper, Lower;

static NTSTATUS UpperDispatch(PDEVICE_OBJECT Device, PIRP Irp)
{
    (void)Device;
    Note('U');
    IoCopyCurrentIrpStackLocationToNext(Irp);
    IoSetCompletionRoutine(Irp, UpperCompletion, NULL, TRUE, TRUE, TRUE);
    return IoCallDriver(Lower, Irp);
}

static void BuildStack(void)
{
    PDRIVER_OBJECT DL = IopCreateBuiltinDriver("\\Driver\\tlower", "tlower", NULL);
    PDRIVER_OBJECT DU = IopCreateBuiltinDriver("\\Driver\\tupper", "tupper", NULL);
    DL->MajorFunction[IRP_MJ_READ] = LowerDispatch;
    DU->MajorFunction[IRP_MJ_READ] = UpperDispatch;
    IoCreateDevice(DL, 0, NULL, FILE_DEVICE_DISK_FILE_SYSTEM, 0, FALSE, &Lower);
    IoCreateDevice(DU, 0, NULL, FILE_DEVICE_DISK_FILE_SYSTEM, 0, FALSE, &Upper);
    IoAttachDeviceToDeviceStack(Upper, Lower);
}

typedef struct IO_CASE {
    NTSTATUS Returned;
    IO_STATUS_BLOCK Iosb;
    CHAR Location;
    PIRP Irp;
    uint64_t IrpAddress; /* synthetic, taken while the machine runs */
} IO_CASE;

static void SendRead(void *Context)
{
    IO_CASE *C = Context;
    BuildStack();
    PIRP Irp = IoAllocateIrp(Upper->StackSize, FALSE);
    PIO_STACK_LOCATION Sp = IoGetNextIrpStackLocation(Irp);
    Sp->MajorFunction = IRP_MJ_READ;
    Irp->UserIosb = &C->Iosb;
    C->Irp = Irp;
    C->Returned = IoCallDriver(Upper, Irp);
    C->Location = Irp->CurrentLocation;
}

static int Setup(void **State)
{
    (void)State;
    M = TsCreate(0);
    TraceLen = 0;
    Trace[0] = 0;
    LowerPends = FALSE;
    UpperReturns = STATUS_SUCCESS;
    return 0;
}

static int Teardown(void **State)
{
    (void)State;
    FsimMachineDestroy(M);
    return 0;
}

static void test_completion_walk_order_and_iosb(void **State)
{
    IO_CASE C;
    (void)State;
    memset(&C, 0, sizeof(C));
    assert_int_equal(TsRun(M, SendRead, &C), 0);
    /* upper dispatch, lower dispatch, then the upper's completion routine,
     * called with the upper device and PendingReturned clear */
    assert_string_equal(Trace, "ULc-d");
    assert_int_equal(C.Returned, STATUS_SUCCESS);
    assert_int_equal(C.Iosb.Status, STATUS_SUCCESS);
    assert_int_equal(C.Iosb.Information, 7);
    assert_int_equal(C.Location, C.Irp->StackCount + 2); /* completed */
}

static void test_pending_returned_reaches_the_completion_routine(void **State)
{
    IO_CASE C;
    (void)State;
    memset(&C, 0, sizeof(C));
    LowerPends = TRUE;
    assert_int_equal(TsRun(M, SendRead, &C), 0);
    assert_string_equal(Trace, "ULcPd");
    assert_int_equal(C.Returned, STATUS_PENDING);
}

static void test_more_processing_required_stops_the_walk(void **State)
{
    IO_CASE C;
    (void)State;
    memset(&C, 0, sizeof(C));
    UpperReturns = STATUS_MORE_PROCESSING_REQUIRED;
    assert_int_equal(TsRun(M, SendRead, &C), 0);
    assert_string_equal(Trace, "ULc-d");
    /* the walk stopped at the upper location: not completed, no IOSB yet */
    assert_true(C.Location <= C.Irp->StackCount + 1);
    assert_int_equal(C.Iosb.Information, 0);
}

static void CompleteTwice(void *Context)
{
    IO_CASE *C = Context;
    BuildStack();
    C->Irp = IoAllocateIrp(1, FALSE);
    C->IrpAddress = MiSyntheticAddress(C->Irp);
    C->Irp->IoStatus.Status = STATUS_SUCCESS;
    IoCompleteRequest(C->Irp, IO_NO_INCREMENT);
    IoCompleteRequest(C->Irp, IO_NO_INCREMENT);
}

static void test_second_completion_is_0x44(void **State)
{
    IO_CASE C;
    (void)State;
    memset(&C, 0, sizeof(C));
    assert_int_equal(TsRun(M, CompleteTwice, &C), 1);
    TsExpectBugcheck(M, 0x44, C.IrpAddress);
    assert_string_equal(FsimDescribeAddress(M, FsimGetReport(M)->Args[0]), "IRP");
}

static void TooFewLocations(void *Context)
{
    IO_CASE *C = Context;
    BuildStack();
    C->Irp = IoAllocateIrp(1, FALSE); /* the stack below needs 2 */
    C->IrpAddress = MiSyntheticAddress(C->Irp);
    IoGetNextIrpStackLocation(C->Irp)->MajorFunction = IRP_MJ_READ;
    IoCallDriver(Upper, C->Irp);
}

static void test_too_few_stack_locations_is_0x35(void **State)
{
    IO_CASE C;
    (void)State;
    memset(&C, 0, sizeof(C));
    assert_int_equal(TsRun(M, TooFewLocations, &C), 1);
    TsExpectBugcheck(M, 0x35, C.IrpAddress);
    assert_string_equal(Trace, "U");
}

/* --- a synchronous service's IRP: IRP_DEFER_IO_COMPLETION and the APC ------ */

static int SvcMode; /* 0: pends properly; 1: pends without IoMarkIrpPending; 2: marks pending, returns a status */
static PIRP SvcLater;
static KTIMER SvcTimer;
static KDPC SvcDpc;

static VOID SvcCompleteLater(PKDPC Dpc, PVOID Context, PVOID Arg1, PVOID Arg2)
{
    (void)Dpc;
    (void)Context;
    (void)Arg1;
    (void)Arg2;
    SvcLater->IoStatus.Status = STATUS_SUCCESS;
    SvcLater->IoStatus.Information = 3;
    IoCompleteRequest(SvcLater, IO_NO_INCREMENT);
}

static NTSTATUS SvcDispatch(PDEVICE_OBJECT Device, PIRP Irp)
{
    LARGE_INTEGER Due;
    (void)Device;
    Due.QuadPart = -10000; /* 1 ms */
    if (SvcMode == 2) {
        IoMarkIrpPending(Irp);
        Irp->IoStatus.Status = STATUS_SUCCESS;
        Irp->IoStatus.Information = 5;
        IoCompleteRequest(Irp, IO_NO_INCREMENT);
        return STATUS_SUCCESS;
    }
    if (SvcMode == 0)
        IoMarkIrpPending(Irp);
    SvcLater = Irp;
    KeInitializeDpc(&SvcDpc, SvcCompleteLater, NULL);
    KeInitializeTimer(&SvcTimer);
    KeSetTimer(&SvcTimer, Due, &SvcDpc);
    return STATUS_PENDING;
}

static void SendSynchronous(void *Context)
{
    IO_CASE *C = Context;
    PDEVICE_OBJECT Device;
    PDRIVER_OBJECT Driver = IopCreateBuiltinDriver("\\Driver\\tsvc", "tsvc", NULL);
    Driver->MajorFunction[IRP_MJ_READ] = SvcDispatch;
    IoCreateDevice(Driver, 0, NULL, FILE_DEVICE_DISK_FILE_SYSTEM, 0, FALSE, &Device);
    PIRP Irp = IoAllocateIrp(Device->StackSize, FALSE);
    Irp->Tail.Overlay.Thread = (PETHREAD)KeGetCurrentThread();
    Irp->Flags |= IRP_SYNCHRONOUS_API | IRP_READ_OPERATION;
    IoGetNextIrpStackLocation(Irp)->MajorFunction = IRP_MJ_READ;
    C->Returned = IopSynchronousIrp(NULL, Device, Irp, &C->Iosb);
}

static void test_a_pended_irp_ends_in_the_completion_apc(void **State)
{
    IO_CASE C;
    (void)State;
    memset(&C, 0, sizeof(C));
    SvcMode = 0;
    assert_int_equal(TsRun(M, SendSynchronous, &C), 0);
    assert_int_equal(C.Returned, STATUS_SUCCESS);
    assert_int_equal(C.Iosb.Information, 3);
}

static void test_pending_without_mark_hangs_and_says_why(void **State)
{
    IO_CASE C;
    (void)State;
    memset(&C, 0, sizeof(C));
    SvcMode = 1;
    assert_int_equal(TsRun(M, SendSynchronous, &C), 1);
    assert_int_equal(FsimMachineState(M), FSIM_STATE_HUNG);
    assert_non_null(strstr(FsimGetReport(M)->RootCause, "the completion of the pending IRP_MJ_READ IRP"));
    assert_non_null(strstr(FsimGetReport(M)->RootCause, "did not mark it pending (IoMarkIrpPending)"));
}

static void test_marked_pending_but_a_status_returned(void **State)
{
    IO_CASE C;
    (void)State;
    memset(&C, 0, sizeof(C));
    SvcMode = 2;
    /* without Verifier: the IRP is finished once, the caller gets its status */
    assert_int_equal(TsRun(M, SendSynchronous, &C), 0);
    assert_int_equal(C.Returned, STATUS_SUCCESS);
    assert_int_equal(C.Iosb.Information, 5);
    /* with enhanced I/O verification: 0xC9, 0x23E */
    FsimMachineDestroy(M);
    M = TsCreate(0x40 /* FSIM_VERIFIER_ENHANCED_IO_CHECKING */);
    assert_int_equal(TsRun(M, SendSynchronous, &C), 1);
    TsExpectBugcheck(M, 0xC9, 0x23E);
}

/* --- IRPs built for a driver: IoBuildDeviceIoControlRequest / FSD requests -- */

#define TEST_IOCTL(Fn, Method) CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800 + (Fn), (Method), FILE_ANY_ACCESS)

static PIRP BuiltLater;
static KTIMER BuiltTimer;
static KDPC BuiltDpc;

static VOID BuiltCompleteLater(PKDPC Dpc, PVOID Context, PVOID Arg1, PVOID Arg2)
{
    (void)Dpc;
    (void)Context;
    (void)Arg1;
    (void)Arg2;
    PVOID Data = MmGetSystemAddressForMdlSafe(BuiltLater->MdlAddress, NormalPagePriority);
    memcpy(Data, "later", 5);
    BuiltLater->IoStatus.Status = STATUS_SUCCESS;
    BuiltLater->IoStatus.Information = 5;
    IoCompleteRequest(BuiltLater, IO_NO_INCREMENT);
}

static NTSTATUS BuiltDispatch(PDEVICE_OBJECT Device, PIRP Irp)
{
    PIO_STACK_LOCATION Sp = IoGetCurrentIrpStackLocation(Irp);
    (void)Device;
    Irp->IoStatus.Status = STATUS_SUCCESS;
    if (Sp->MajorFunction == IRP_MJ_READ) {
        /* a direct-I/O read finished later, from a DPC */
        LARGE_INTEGER Due;
        Due.QuadPart = -10000;
        IoMarkIrpPending(Irp);
        BuiltLater = Irp;
        KeInitializeDpc(&BuiltDpc, BuiltCompleteLater, NULL);
        KeInitializeTimer(&BuiltTimer);
        KeSetTimer(&BuiltTimer, Due, &BuiltDpc);
        return STATUS_PENDING;
    }
    switch (Sp->Parameters.DeviceIoControl.IoControlCode) {
    case TEST_IOCTL(1, METHOD_BUFFERED):
        /* input and output share the system buffer */
        Note(memcmp(Irp->AssociatedIrp.SystemBuffer, "abc", 3) == 0 ? 'b' : '!');
        memcpy(Irp->AssociatedIrp.SystemBuffer, "XYZW", 4);
        Irp->IoStatus.Information = 4;
        break;
    case TEST_IOCTL(2, METHOD_OUT_DIRECT):
        Note(memcmp(Irp->AssociatedIrp.SystemBuffer, "in", 2) == 0 && Irp->MdlAddress != NULL ? 'd' : '!');
        memcpy(MmGetSystemAddressForMdlSafe(Irp->MdlAddress, NormalPagePriority), "OUT!", 4);
        Irp->IoStatus.Information = 4;
        break;
    case TEST_IOCTL(3, METHOD_NEITHER):
        Note(memcmp(Sp->Parameters.DeviceIoControl.Type3InputBuffer, "raw", 3) == 0 ? 'n' : '!');
        memcpy(Irp->UserBuffer, "RAW", 3);
        Irp->IoStatus.Information = 3;
        break;
    default:
        Irp->IoStatus.Status = STATUS_INVALID_DEVICE_REQUEST;
        break;
    }
    IoCompleteRequest(Irp, IO_NO_INCREMENT);
    return Irp->IoStatus.Status;
}

typedef struct BUILT_CASE {
    CHAR Out1[8], Out2[8], Out3[8], Read[8];
    IO_STATUS_BLOCK Iosb1, Iosb2, Iosb3, IosbRead;
    NTSTATUS Read0;
} BUILT_CASE;

static NTSTATUS SendAndWait(PDEVICE_OBJECT Device, PIRP Irp, PKEVENT Event, PIO_STATUS_BLOCK Iosb)
{
    NTSTATUS Status = IoCallDriver(Device, Irp); /* the IRP is the I/O manager's from here on */
    if (Status == STATUS_PENDING) {
        KeWaitForSingleObject(Event, Executive, KernelMode, FALSE, NULL);
        Status = Iosb->Status;
    }
    return Status;
}

static void BuildAndSend(void *Context)
{
    BUILT_CASE *C = Context;
    PDEVICE_OBJECT Device;
    KEVENT Event;
    PDRIVER_OBJECT Driver = IopCreateBuiltinDriver("\\Driver\\tbuilt", "tbuilt", NULL);
    Driver->MajorFunction[IRP_MJ_DEVICE_CONTROL] = BuiltDispatch;
    Driver->MajorFunction[IRP_MJ_READ] = BuiltDispatch;
    IoCreateDevice(Driver, 0, NULL, FILE_DEVICE_UNKNOWN, 0, FALSE, &Device);
    Device->Flags |= DO_DIRECT_IO;
    KeInitializeEvent(&Event, NotificationEvent, FALSE);
    PIRP Irp = IoBuildDeviceIoControlRequest(TEST_IOCTL(1, METHOD_BUFFERED), Device, "abc", 3, C->Out1, 4, FALSE,
                                             &Event, &C->Iosb1);
    SendAndWait(Device, Irp, &Event, &C->Iosb1);
    KeClearEvent(&Event);
    Irp = IoBuildDeviceIoControlRequest(TEST_IOCTL(2, METHOD_OUT_DIRECT), Device, "in", 2, C->Out2, 4, FALSE, &Event,
                                        &C->Iosb2);
    SendAndWait(Device, Irp, &Event, &C->Iosb2);
    KeClearEvent(&Event);
    Irp = IoBuildDeviceIoControlRequest(TEST_IOCTL(3, METHOD_NEITHER), Device, "raw", 3, C->Out3, 3, FALSE, &Event,
                                        &C->Iosb3);
    SendAndWait(Device, Irp, &Event, &C->Iosb3);
    KeClearEvent(&Event);
    Irp = IoBuildSynchronousFsdRequest(IRP_MJ_READ, Device, C->Read, 5, NULL, &Event, &C->IosbRead);
    C->Read0 = SendAndWait(Device, Irp, &Event, &C->IosbRead);
}

static void test_built_requests_finish_in_the_io_manager(void **State)
{
    BUILT_CASE C;
    (void)State;
    memset(&C, 0, sizeof(C));
    assert_int_equal(TsRun(M, BuildAndSend, &C), 0);
    assert_int_equal(FsimMachineState(M), FSIM_STATE_RUNNING);
    assert_string_equal(Trace, "bdn");
    /* METHOD_BUFFERED: copied back from the system buffer */
    assert_int_equal(C.Iosb1.Status, STATUS_SUCCESS);
    assert_int_equal(C.Iosb1.Information, 4);
    assert_memory_equal(C.Out1, "XYZW", 4);
    /* METHOD_OUT_DIRECT: written through the MDL */
    assert_memory_equal(C.Out2, "OUT!", 4);
    /* METHOD_NEITHER: the caller's own buffers */
    assert_memory_equal(C.Out3, "RAW", 3);
    /* a direct-I/O read that pended: the event and the status block */
    assert_int_equal(C.Read0, STATUS_SUCCESS);
    assert_int_equal(C.IosbRead.Information, 5);
    assert_memory_equal(C.Read, "later", 5);
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test_setup_teardown(test_completion_walk_order_and_iosb, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_pending_returned_reaches_the_completion_routine, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_more_processing_required_stops_the_walk, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_second_completion_is_0x44, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_too_few_stack_locations_is_0x35, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_a_pended_irp_ends_in_the_completion_apc, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_pending_without_mark_hangs_and_says_why, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_marked_pending_but_a_status_returned, Setup, Teardown),
        cmocka_unit_test_setup_teardown(test_built_requests_finish_in_the_io_manager, Setup, Teardown),
    };
    return cmocka_run_group_tests(Tests, NULL, NULL);
}
