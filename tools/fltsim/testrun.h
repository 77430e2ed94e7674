/*
 * testrun.h - `fltsim test`: run many scenarios in parallel child processes
 * (libuv), each with a timeout, and print one result line per scenario in
 * name order.
 */
#ifndef FLTSIM_TESTRUN_H
#define FLTSIM_TESTRUN_H

#include <stddef.h>
#include <stdint.h>
#include <stdint.h>
#include <stdio.h>

#define TESTRUN_DEFAULT_TIMEOUT 60u

typedef struct testrun_options {
    unsigned jobs;        /* children at once; 0: the number of CPUs */
    unsigned timeout_sec; /* per scenario; 0: TESTRUN_DEFAULT_TIMEOUT */
    int verbose;          /* also print a failing scenario's output */
    int progress;         /* a "[3/10] running..." line; -1: when `out` is a terminal */
    const char *child;    /* program run as `CHILD run FILE`; NULL: $FLTSIM_TEST_CHILD or this executable */
    FILE *out;
    FILE *err;
    int seeds;            /* run every scenario once per seed, seed_first..seed_last (`run --seed S FILE`) */
    uint64_t seed_first, seed_last;
} testrun_options;

/*
 * The scenarios named by `args` (files, and directories whose *.scn files
 * are taken), sorted by path, without duplicates.  With no args, the
 * current directory.  Returns 0, or -1 after printing an error to `err`.
 */
int testrun_collect(const char *const *args, size_t nargs, char ***paths, size_t *npaths, FILE *err);
void testrun_free_paths(char **paths, size_t n);

/* Run them; prints "PASS name" / "FAIL name: reason" lines and "N passed, N failed".
 * Returns 0 when none failed, 1 otherwise, 2 when nothing could run. */
int testrun_run(char *const *paths, size_t n, const testrun_options *options);

/*
 * Why a finished child failed, from how it ended and what it printed;
 * returns 0 (and an empty `reason`) when it passed.
 */
int testrun_reason(int64_t exit_status, int term_signal, int timed_out, unsigned timeout_sec, const char *out,
                   const char *err, char *reason, size_t size);

#endif /* FLTSIM_TESTRUN_H */
