/*
 * fake_host.h - controls of the fake host API (fake_host.c) the tool tests
 * link instead of the simulator: it records every call as a line of text,
 * returns canned results, and stops the machine with a canned report when
 * told to.
 */
#ifndef FLTSIM_FAKE_HOST_H
#define FLTSIM_FAKE_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "fltsim.h"

/* Forget everything (calls, rules, leaks, ...). */
void fake_reset(void);
/* Every host call so far, one a line ("FsimVolumeAddLocal C:\n..."). */
const char *fake_calls(void);
/* The next call of `func` returns `status` (and does nothing else). */
void fake_fail_next(const char *func, uint32_t status);
/* The `nth` (1-based) call of `func` stops the machine with `report`
 * (report->Kind: FSIM_STATE_BUGCHECKED or FSIM_STATE_HUNG); the call returns
 * FSIM_STATUS_MACHINE_STOPPED. The report must outlive the machine. */
void fake_stop_on(const char *func, unsigned nth, const FSIM_REPORT *report);
/* Every call of `func` first emits `line` through the log callback (DbgPrint). */
void fake_log_on(const char *func, const char *line);
/* What FsimGetLeaks returns. */
void fake_set_leaks(const FSIM_REPORT_LEAK *leaks, size_t n);
/* FsimDescribeAddress(address) returns `kind`. */
void fake_set_describe(uint64_t address, const char *kind);
/* FsimNtReadFile returns these bytes (default: the 'abc...' pattern up to the length). */
void fake_set_read_data(const char *data);
/* FsimLastError's text. */
void fake_set_last_error(const char *text);
/* Machines created and not destroyed. */
int fake_live_machines(void);

#endif /* FLTSIM_FAKE_HOST_H */
