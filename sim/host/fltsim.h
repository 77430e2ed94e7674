/*
 * fltsim.h - the host-side API of the simulator.
 *
 * This is the only header a tool or a test needs to drive a simulated
 * machine: boot it, describe volumes and driver services, load and unload
 * drivers, create simulated user-mode processes that issue file operations,
 * and read what happened (the debug log, the bugcheck report, leak and hang
 * reports).  It uses plain C types only; it does not include the WDK headers
 * and does not need -fshort-wchar.  Strings are UTF-8; paths use Windows
 * syntax ("C:\\dir\\file.txt", "\\\\server\\share\\file").
 *
 * Every call runs the machine until it is idle again (all simulated threads
 * blocked or finished and no timer due) or until it bugchecks or hangs.
 * After a bugcheck or a hang the machine is stopped: further operations
 * return FSIM_STATUS_MACHINE_STOPPED and do nothing.
 */
#ifndef FLTSIM_HOST_H
#define FLTSIM_HOST_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct FSIM_MACHINE FSIM_MACHINE;
typedef uint32_t FSIM_STATUS;   /* an NTSTATUS value */
typedef uint64_t FSIM_HANDLE;   /* a handle in a simulated process */
typedef uint32_t FSIM_PID;      /* a simulated process id */

/* Returned (as an NTSTATUS) when the machine has already stopped. */
#define FSIM_STATUS_MACHINE_STOPPED 0xE0000001u /* customer-defined error code (bit 29 set) */

/* Driver Verifier options (the /flags bits of verifier.exe). */
#define FSIM_VERIFIER_SPECIAL_POOL 0x00000001u
#define FSIM_VERIFIER_FORCE_IRQL_CHECKING 0x00000002u
#define FSIM_VERIFIER_POOL_TRACKING 0x00000008u
#define FSIM_VERIFIER_IO_CHECKING 0x00000010u
#define FSIM_VERIFIER_DEADLOCK_DETECTION 0x00000020u
#define FSIM_VERIFIER_ENHANCED_IO_CHECKING 0x00000040u
#define FSIM_VERIFIER_MISCELLANEOUS_CHECKS 0x00000800u

typedef struct FSIM_MACHINE_OPTIONS {
    uint64_t Seed;               /* scheduler / fault-injection PRNG seed */
    uint32_t VerifierFlags;      /* FSIM_VERIFIER_* applied to loaded drivers */
    int TrackLockedPages;        /* Memory Management\TrackLockedPages = 1 */
    uint32_t KernelStackSize;    /* bytes; 0 = KERNEL_STACK_SIZE (0x6000) */
} FSIM_MACHINE_OPTIONS;

/* One line of the machine's output, in order. */
typedef enum FSIM_LOG_KIND {
    FSIM_LOG_DBGPRINT,           /* DbgPrint/DbgPrintEx/KdPrint from a driver */
    FSIM_LOG_TRACE,              /* the simulator's own event trace */
    FSIM_LOG_USER,               /* a simulated user-mode program's output (a port service) */
} FSIM_LOG_KIND;

typedef void FSIM_LOG_CALLBACK(void *Context, FSIM_LOG_KIND Kind, const char *Line);

/* --- machine ------------------------------------------------------------ */

FSIM_MACHINE *FsimMachineCreate(const FSIM_MACHINE_OPTIONS *Options);
void FsimMachineDestroy(FSIM_MACHINE *Machine);
void FsimSetLogCallback(FSIM_MACHINE *Machine, FSIM_LOG_CALLBACK *Callback, void *Context);
/* Enable/disable the simulator's event trace (IRPs, callbacks). Off by default. */
void FsimSetTrace(FSIM_MACHINE *Machine, int Enabled);
/* The last error message of a failed host call ("" if none). */
const char *FsimLastError(FSIM_MACHINE *Machine);
/* Advance the virtual clock, running whatever becomes due. */
FSIM_STATUS FsimAdvanceTime(FSIM_MACHINE *Machine, uint64_t Nanoseconds);
uint64_t FsimCurrentTime(FSIM_MACHINE *Machine); /* 100-ns units since boot */

/* --- volumes ------------------------------------------------------------ */

/* An in-memory NTFS-like volume mounted under Drive ("C:"). */
FSIM_STATUS FsimVolumeAddLocal(FSIM_MACHINE *Machine, const char *Drive);
/* A share on the simulated network, "\\\\server\\share": requests take Latency
 * (virtual time) per server round trip; Csc puts the client-side-caching
 * layer in the path; Caching lets the redirector cache file data. */
FSIM_STATUS FsimVolumeAddRemote(FSIM_MACHINE *Machine, const char *Share, uint64_t LatencyNanoseconds, int Csc,
                                int Caching);
/* Pre-populate a volume, local ("C:\\...") or remote ("\\\\server\\share\\..."):
 * no I/O through the filters; setup only. */
FSIM_STATUS FsimVolumeCreateDirectory(FSIM_MACHINE *Machine, const char *Path);
FSIM_STATUS FsimVolumeCreateFile(FSIM_MACHINE *Machine, const char *Path, const void *Data, size_t Length);

/* --- driver services (the registry) and loading -------------------------- */

/* HKLM\SYSTEM\CurrentControlSet\Services\<Service> with ImagePath = ImagePath. */
FSIM_STATUS FsimServiceCreate(FSIM_MACHINE *Machine, const char *Service, const char *ImagePath);
/* Services\<Service>\Instances\<Instance>: Altitude, Flags; Default sets DefaultInstance. */
FSIM_STATUS FsimServiceAddInstance(FSIM_MACHINE *Machine, const char *Service, const char *Instance,
                                   const char *Altitude, uint32_t Flags, int Default);
/* Services\<Service>\Parameters\<Name> as REG_DWORD or REG_SZ. */
FSIM_STATUS FsimServiceSetDword(FSIM_MACHINE *Machine, const char *Service, const char *Name, uint32_t Value);
FSIM_STATUS FsimServiceSetString(FSIM_MACHINE *Machine, const char *Service, const char *Name, const char *Value);
/* Load the driver image and call DriverEntry. On a load failure the reason is in FsimLastError. */
FSIM_STATUS FsimDriverLoad(FSIM_MACHINE *Machine, const char *Service);
/* `fltmc unload`: FilterUnloadCallback (non-mandatory) or DriverUnload. */
FSIM_STATUS FsimDriverUnload(FSIM_MACHINE *Machine, const char *Service);

/* --- simulated user mode -------------------------------------------------- */

FSIM_STATUS FsimProcessCreate(FSIM_MACHINE *Machine, const char *ImageName, FSIM_PID *Pid);
/* Process exit: closes every handle, then drops the process object. */
FSIM_STATUS FsimProcessExit(FSIM_MACHINE *Machine, FSIM_PID Pid);

/* A user-mode service of a minifilter: process Pid connects to the filter's
 * communication port (FilterConnectCommunicationPort; the filter's
 * ConnectNotify runs now) and a thread of the process then answers each
 * message (FilterGetMessage): it waits DelayNs, opens and reads OpenPath
 * if set (a scanner reading a file - it goes through the filters like any
 * open), and replies Reply (FilterReplyMessage) unless Reply is NULL.  Each
 * step is written to the log (FSIM_LOG_USER) as "NAME: ...".  It ends when
 * the port disconnects or the process exits.  Hello, if set, is sent to the
 * filter first (FilterSendMessage: its MessageNotify runs in the process
 * with user-mode buffers, a 256-byte output buffer). */
typedef struct FSIM_PORT_SERVICE {
    const char *Name;            /* its label in the log */
    const char *Port;            /* the port's name, "\\ScanPort" */
    const void *Context;         /* the connection context ConnectNotify gets */
    uint32_t ContextLength;
    const void *Reply;           /* the reply's bytes after FILTER_REPLY_HEADER; NULL: no reply */
    uint32_t ReplyLength;
    uint64_t DelayNs;
    const char *OpenPath;        /* NULL: none */
    const void *Hello;           /* sent once after connecting (FilterSendMessage, to MessageNotify); NULL: none */
    uint32_t HelloLength;
} FSIM_PORT_SERVICE;
FSIM_STATUS FsimPortServe(FSIM_MACHINE *Machine, FSIM_PID Pid, const FSIM_PORT_SERVICE *Service);

typedef struct FSIM_CREATE {
    const char *Path;            /* "C:\\dir\\file" */
    uint32_t DesiredAccess;      /* ACCESS_MASK */
    uint32_t FileAttributes;
    uint32_t ShareAccess;
    uint32_t CreateDisposition;  /* FILE_OPEN, FILE_CREATE, ... */
    uint32_t CreateOptions;      /* FILE_NON_DIRECTORY_FILE, ...; FILE_SYNCHRONOUS_IO_NONALERT is added */
} FSIM_CREATE;

/* NtCreateFile. *Information receives IoStatus.Information (FILE_CREATED, ...). */
FSIM_STATUS FsimNtCreateFile(FSIM_MACHINE *Machine, FSIM_PID Pid, const FSIM_CREATE *Create,
                             FSIM_HANDLE *Handle, uint64_t *Information);
/* NtReadFile / NtWriteFile at ByteOffset (UINT64_MAX: current position). */
FSIM_STATUS FsimNtReadFile(FSIM_MACHINE *Machine, FSIM_PID Pid, FSIM_HANDLE Handle, uint64_t ByteOffset,
                           void *Buffer, uint32_t Length, uint64_t *Information);
FSIM_STATUS FsimNtWriteFile(FSIM_MACHINE *Machine, FSIM_PID Pid, FSIM_HANDLE Handle, uint64_t ByteOffset,
                            const void *Buffer, uint32_t Length, uint64_t *Information);
/* Mapped access: NtCreateSection (SEC_COMMIT, PAGE_READONLY) over the handle,
 * NtMapViewOfSection of the whole file, the process reading Length bytes at
 * ByteOffset through the view (each non-resident page faults in with a
 * paging read), then the view unmapped and the section closed.
 * *Information receives the bytes read; a read beyond the view's last page
 * fails with STATUS_ACCESS_VIOLATION, a failed paging read with
 * STATUS_IN_PAGE_ERROR. */
FSIM_STATUS FsimReadMappedView(FSIM_MACHINE *Machine, FSIM_PID Pid, FSIM_HANDLE Handle, uint64_t ByteOffset,
                               void *Buffer, uint32_t Length, uint64_t *Information);
/* Information classes are FILE_INFORMATION_CLASS values; buffers are raw Windows layouts. */
FSIM_STATUS FsimNtQueryInformationFile(FSIM_MACHINE *Machine, FSIM_PID Pid, FSIM_HANDLE Handle,
                                       uint32_t InformationClass, void *Buffer, uint32_t Length,
                                       uint64_t *Information);
FSIM_STATUS FsimNtSetInformationFile(FSIM_MACHINE *Machine, FSIM_PID Pid, FSIM_HANDLE Handle,
                                     uint32_t InformationClass, const void *Buffer, uint32_t Length);
FSIM_STATUS FsimNtQuerySecurityObject(FSIM_MACHINE *Machine, FSIM_PID Pid, FSIM_HANDLE Handle,
                                      uint32_t SecurityInformation, void *Buffer, uint32_t Length,
                                      uint32_t *LengthNeeded);
/* NtQueryDirectoryFile; Pattern may be NULL. */
FSIM_STATUS FsimNtQueryDirectoryFile(FSIM_MACHINE *Machine, FSIM_PID Pid, FSIM_HANDLE Handle,
                                     uint32_t InformationClass, void *Buffer, uint32_t Length,
                                     int ReturnSingleEntry, const char *Pattern, int RestartScan,
                                     uint64_t *Information);
FSIM_STATUS FsimNtClose(FSIM_MACHINE *Machine, FSIM_PID Pid, FSIM_HANDLE Handle);

/* CopyFileEx(Source, Target, ..., Flags): the system calls kernel32 issues
 * for it, in order - open the source, query its basic and standard
 * information and its security (SecurityInformation 0x20 into a 0x400-byte
 * buffer at page offset 0xd80), create the target (COPY_FILE_FAIL_IF_EXISTS
 * = 1 makes that FILE_CREATE), set its end of file, copy the data in 64 KB
 * reads and writes, set its basic information, close both. */
#define FSIM_COPY_FILE_FAIL_IF_EXISTS 0x00000001u
FSIM_STATUS FsimCopyFileEx(FSIM_MACHINE *Machine, FSIM_PID Pid, const char *Source, const char *Target,
                           uint32_t CopyFlags);

/* --- what happened ------------------------------------------------------- */

typedef enum FSIM_STATE {
    FSIM_STATE_RUNNING,          /* idle, ready for the next operation */
    FSIM_STATE_BUGCHECKED,       /* stopped by KeBugCheckEx */
    FSIM_STATE_HUNG,             /* every thread waits and nothing can wake one */
} FSIM_STATE;

FSIM_STATE FsimMachineState(FSIM_MACHINE *Machine);

/*
 * The report of a stopped machine (bugcheck or hang), as data.  The sim
 * fills it; tools/ renders it as WinDbg-style text or as JSON.  All strings
 * are UTF-8 and owned by the machine (valid until FsimMachineDestroy).
 * Addresses are synthetic simulated kernel/user addresses, never host ones.
 */
typedef struct FSIM_REPORT_FRAME {
    uint32_t Number;             /* 0 = innermost, as `k` numbers them */
    uint64_t ChildSp;            /* simulated stack pointer of the frame */
    const char *Module;          /* "nt", "FLTMGR", "passthrough" */
    const char *Function;        /* "IofCompleteRequest" */
    const char *File;            /* driver frames: source file, else NULL */
    uint32_t Line;               /* driver frames: source line, else 0 */
    uint32_t Bytes;              /* frame size charged to the stack budget */
    int IsDriver;                /* a frame of a loaded (non-system) driver */
} FSIM_REPORT_FRAME;

typedef struct FSIM_REPORT_FIELD {
    const char *Name;            /* "MdlFlags" / "+0x00a MdlFlags" style names */
    const char *Value;           /* "0n64", "0x8a (MDL_PAGES_LOCKED|...)" */
} FSIM_REPORT_FIELD;

/* A dump: `dt _MDL ADDR`, `!irp ADDR`, a leaked object, ... */
typedef struct FSIM_REPORT_SECTION {
    const char *Title;           /* the command a WinDbg user would type: "dt nt!_MDL ffffac05`00001000" */
    size_t FieldCount;
    const FSIM_REPORT_FIELD *Fields;
} FSIM_REPORT_SECTION;

/* An object still referenced when an unload waited for it (hang) or at teardown. */
typedef struct FSIM_REPORT_LEAK {
    const char *Kind;            /* "StreamContext", "Pool", "CallbackData", ... */
    uint64_t Address;
    uint32_t Tag;                /* pool tag, 0 if none */
    uint64_t Size;
    uint32_t References;         /* references outstanding */
    const char *Driver;          /* "ctx.sys" */
    const char *File;            /* allocating driver source line */
    uint32_t Line;
} FSIM_REPORT_LEAK;

typedef struct FSIM_REPORT {
    FSIM_STATE Kind;             /* BUGCHECKED or HUNG */
    uint32_t Code;               /* bugcheck code (0 for a hang) */
    uint64_t Args[4];
    const char *Name;            /* "MULTIPLE_IRP_COMPLETE_REQUESTS" */
    const char *Description;     /* one paragraph, Microsoft's meaning of the code */
    const char *ArgMeaning[4];   /* what each argument is, for this code and Arg1 */
    const char *GuiltyDriver;    /* "passthrough.sys" or "" */
    const char *GuiltyLocation;  /* "samples/passthrough/passthrough.c:120" or "" */
    const char *RootCause;       /* one line naming the cause, "" if unknown */
    const char *Thread;          /* "System worker", "P1 (copy.exe) thread 1" */
    uint32_t Irql;               /* IRQL at the failure */
    size_t FrameCount;
    const FSIM_REPORT_FRAME *Frames;
    size_t SectionCount;
    const FSIM_REPORT_SECTION *Sections;
    size_t LeakCount;
    const FSIM_REPORT_LEAK *Leaks;
} FSIM_REPORT;

/* The report of a stopped machine, NULL while it runs. */
const FSIM_REPORT *FsimGetReport(FSIM_MACHINE *Machine);

/* Objects still allocated by drivers after an unload or at this point (pool
 * blocks, contexts, callback data, name information, references); for `expect no-leaks`. */
size_t FsimGetLeaks(FSIM_MACHINE *Machine, const FSIM_REPORT_LEAK **Leaks);

/* The deepest kernel stack of the run so far: the frames on it (innermost
 * first, sizes as charged), the bytes used and the budget of that stack
 * segment.  0 when no simulated code has run. */
typedef struct FSIM_STACK_PROFILE {
    uint32_t Budget;
    uint32_t Used;
    const char *Thread;
    size_t FrameCount;
    const FSIM_REPORT_FRAME *Frames;
} FSIM_STACK_PROFILE;
int FsimGetDeepestStack(FSIM_MACHINE *Machine, FSIM_STACK_PROFILE *Profile);

/* What kind of object a synthetic kernel address shown in a report names ("IRP", "MDL", ...), or NULL. */
const char *FsimDescribeAddress(FSIM_MACHINE *Machine, uint64_t Address);

#ifdef __cplusplus
}
#endif

#endif /* FLTSIM_HOST_H */
