/*
 * fltkernel.h - fltsim: lower-case spelling of fltKernel.h for case-sensitive
 * file systems (some drivers include it this way).
 */
#include "fltKernel.h"
