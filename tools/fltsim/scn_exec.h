/*
 * scn_exec.h - running a loaded scenario script on a simulated machine
 * through the host API (sim/host/fltsim.h) and checking its expectations.
 */
#ifndef FLTSIM_SCN_EXEC_H
#define FLTSIM_SCN_EXEC_H

#include <stdint.h>
#include <stdio.h>

#include "scn.h"

typedef struct scn_exec_options {
    FILE *out;  /* statements as they run, the driver log, the report, expectation results */
    FILE *err;  /* errors that stop the run ("file:line:col: error: ...") */
    int json;   /* the report as JSON instead of text */
    int trace;  /* enable the simulator's event trace (as `machine trace=1`) */
    const char *stack_svg;    /* write the deepest stack as an SVG chart here */
    const char *stack_folded; /* ... and as folded stacks here */
    int seed_set;             /* run with `seed` instead of the script's machine seed */
    uint64_t seed;
} scn_exec_options;

/* Exit codes of a run. */
#define SCN_EXIT_PASS 0   /* every expectation held */
#define SCN_EXIT_FAIL 1   /* an expectation failed */
#define SCN_EXIT_ERROR 2  /* the script could not run (an error at a statement) */

/* The prefix of the line that reports a failed expectation:
 * "FILE:LINE: expectation failed: MESSAGE" (the test runner looks for it). */
#define SCN_EXPECTATION_FAILED "expectation failed: "

/* Run `script` (which must have loaded without errors); returns an SCN_EXIT_* code. */
int scn_exec(const scn_script *script, const scn_exec_options *options);

#endif /* FLTSIM_SCN_EXEC_H */
