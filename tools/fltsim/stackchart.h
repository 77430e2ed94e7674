/*
 * stackchart.h - the deepest kernel stack of a run as an SVG bar chart and
 * as folded stacks (the input format of flame-graph tools).
 */
#ifndef FLTSIM_STACKCHART_H
#define FLTSIM_STACKCHART_H
#include <stdio.h>
#include <fltsim.h>

/* One line: "deepest kernel stack: 0x... of 0x... bytes (headroom 0x...) on thread ...". */
void stack_summary(FILE *out, const FSIM_STACK_PROFILE *p);
int stack_write_svg(const char *path, const FSIM_STACK_PROFILE *p, const char *title);
int stack_write_folded(const char *path, const FSIM_STACK_PROFILE *p);
#endif
