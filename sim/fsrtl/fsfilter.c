/*
 * fsfilter.c - fltsim FsRtl: file system filter callbacks
 * (FsRtlRegisterFileSystemFilterCallbacks) and the operations that reach a
 * file system without an IRP.  Acquiring a file for section
 * synchronization (NtCreateSection) and releasing it again: every device of
 * the file's stack, top first, whose driver registered callbacks gets its
 * pre callback; then the file system itself acquires (its fast I/O
 * AcquireFileForNtCreateSection, else the FCB header's Resource,
 * exclusively); then the post callbacks, bottom first.  A pre callback that
 * fails the operation stops it there, and only the callbacks already called
 * get their post callback.  FltMgr is one such driver: it presents these to
 * minifilters as IRP_MJ_ACQUIRE/RELEASE_FOR_SECTION_SYNCHRONIZATION.
 */
#include <fsim_kernel.h>
#include <string.h>

#define FSRTLP_MAX_STACK 16

NTSTATUS FsRtlRegisterFileSystemFilterCallbacks(PDRIVER_OBJECT FilterDriverObject, PFS_FILTER_CALLBACKS Callbacks)
{
    KiRequireIrql(PASSIVE_LEVEL, "FsRtlRegisterFileSystemFilterCallbacks");
    if (FilterDriverObject == NULL || Callbacks == NULL || Callbacks->SizeOfFsFilterCallbacks == 0)
        return STATUS_INVALID_PARAMETER;
    IOP_DRIVER_IMAGE *Image = IopFindImageByDriverObject(FilterDriverObject);
    if (Image == NULL)
        return STATUS_INVALID_PARAMETER;
    ULONG Size = Callbacks->SizeOfFsFilterCallbacks;
    if (Size > sizeof(FS_FILTER_CALLBACKS))
        Size = sizeof(FS_FILTER_CALLBACKS);
    memset(&Image->FsFilterCallbacks, 0, sizeof(Image->FsFilterCallbacks));
    memcpy(&Image->FsFilterCallbacks, Callbacks, Size);
    Image->HasFsFilterCallbacks = TRUE;
    return STATUS_SUCCESS;
}

static void FsRtlpPick(const FS_FILTER_CALLBACKS *C, UCHAR Operation, PFS_FILTER_CALLBACK *Pre,
                       PFS_FILTER_COMPLETION_CALLBACK *Post)
{
    *Pre = NULL;
    *Post = NULL;
    switch (Operation) {
    case FS_FILTER_ACQUIRE_FOR_SECTION_SYNCHRONIZATION:
        *Pre = C->PreAcquireForSectionSynchronization;
        *Post = C->PostAcquireForSectionSynchronization;
        break;
    case FS_FILTER_RELEASE_FOR_SECTION_SYNCHRONIZATION:
        *Pre = C->PreReleaseForSectionSynchronization;
        *Post = C->PostReleaseForSectionSynchronization;
        break;
    case FS_FILTER_ACQUIRE_FOR_CC_FLUSH:
        *Pre = C->PreAcquireForCcFlush;
        *Post = C->PostAcquireForCcFlush;
        break;
    case FS_FILTER_RELEASE_FOR_CC_FLUSH:
        *Pre = C->PreReleaseForCcFlush;
        *Post = C->PostReleaseForCcFlush;
        break;
    case FS_FILTER_ACQUIRE_FOR_MOD_WRITE:
        *Pre = C->PreAcquireForModifiedPageWriter;
        *Post = C->PostAcquireForModifiedPageWriter;
        break;
    case FS_FILTER_RELEASE_FOR_MOD_WRITE:
        *Pre = C->PreReleaseForModifiedPageWriter;
        *Post = C->PostReleaseForModifiedPageWriter;
        break;
    default:
        break;
    }
}

/* What the file system does for the operation once every filter agreed. */
static NTSTATUS FsRtlpFileSystemOperation(PDEVICE_OBJECT Base, PFILE_OBJECT FileObject, UCHAR Operation)
{
    PFAST_IO_DISPATCH FastIo = Base->DriverObject->FastIoDispatch;
    PFSRTL_COMMON_FCB_HEADER Header = FileObject->FsContext;
    switch (Operation) {
    case FS_FILTER_ACQUIRE_FOR_SECTION_SYNCHRONIZATION:
        if (FastIo != NULL && FastIo->AcquireFileForNtCreateSection != NULL) {
            FastIo->AcquireFileForNtCreateSection(FileObject);
        } else if (Header != NULL && Header->Resource != NULL) {
            (void)ExAcquireResourceExclusiveLite(Header->Resource, TRUE);
        }
        return STATUS_SUCCESS;
    case FS_FILTER_RELEASE_FOR_SECTION_SYNCHRONIZATION:
        if (FastIo != NULL && FastIo->ReleaseFileForNtCreateSection != NULL) {
            FastIo->ReleaseFileForNtCreateSection(FileObject);
        } else if (Header != NULL && Header->Resource != NULL) {
            ExReleaseResourceLite(Header->Resource);
        }
        return STATUS_SUCCESS;
    default:
        return STATUS_SUCCESS;
    }
}

/* Runs one file system filter operation on FileObject's device stack. */
NTSTATUS FsRtlpPerformFsFilterOperation(PFILE_OBJECT FileObject, UCHAR Operation, const FS_FILTER_PARAMETERS *Parameters)
{
    PDEVICE_OBJECT Stack[FSRTLP_MAX_STACK];
    PFS_FILTER_COMPLETION_CALLBACK Posts[FSRTLP_MAX_STACK];
    PVOID Contexts[FSRTLP_MAX_STACK];
    FS_FILTER_CALLBACK_DATA Data[FSRTLP_MAX_STACK];
    ULONG Count = 0, Called = 0;
    NTSTATUS Status = STATUS_SUCCESS;

    KI_FRAME_SCOPE("nt", "FsFilterPerformCallbacks", 0x60);
    for (PDEVICE_OBJECT D = IoGetRelatedDeviceObject(FileObject); D != NULL && Count < FSRTLP_MAX_STACK;
         D = D->DeviceObjectExtension->AttachedTo)
        Stack[Count++] = D;
    if (Count == 0)
        return STATUS_INVALID_DEVICE_REQUEST;
    /* Pre callbacks, top of the stack first. */
    for (ULONG I = 0; I + 1 < Count; I++) {
        IOP_DRIVER_IMAGE *Image = IopFindImageByDriverObject(Stack[I]->DriverObject);
        PFS_FILTER_CALLBACK Pre;
        PFS_FILTER_COMPLETION_CALLBACK Post;
        if (Image == NULL || !Image->HasFsFilterCallbacks)
            continue;
        FsRtlpPick(&Image->FsFilterCallbacks, Operation, &Pre, &Post);
        if (Pre == NULL && Post == NULL)
            continue;
        PFS_FILTER_CALLBACK_DATA D = &Data[Called];
        memset(D, 0, sizeof(*D));
        D->SizeOfFsFilterCallbackData = sizeof(*D);
        D->Operation = Operation;
        D->DeviceObject = Stack[I];
        D->FileObject = FileObject;
        D->Parameters = *Parameters;
        Contexts[Called] = NULL;
        Posts[Called] = Post;
        Called++;
        if (Pre != NULL) {
            Status = Pre(D, &Contexts[Called - 1]);
            if (Status == STATUS_FSFILTER_OP_COMPLETED_SUCCESSFULLY || !NT_SUCCESS(Status))
                break;
        }
    }
    if (NT_SUCCESS(Status) && Status != STATUS_FSFILTER_OP_COMPLETED_SUCCESSFULLY)
        Status = FsRtlpFileSystemOperation(Stack[Count - 1], FileObject, Operation);
    if (Status == STATUS_FSFILTER_OP_COMPLETED_SUCCESSFULLY)
        Status = STATUS_SUCCESS;
    /* Post callbacks, bottom first, for the filters that were asked. */
    while (Called > 0) {
        Called--;
        if (Posts[Called] != NULL)
            Posts[Called](&Data[Called], Status, Contexts[Called]);
    }
    return Status;
}
