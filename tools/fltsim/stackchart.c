/*
 * stackchart.c - renders FsimGetDeepestStack's profile: a one-line summary,
 * an SVG chart (one bar per frame, height by bytes, outermost at the
 * bottom, driver frames highlighted, the stack budget drawn as a line) and
 * folded stacks ("outer;...;inner bytes" lines, one per frame).  Output
 * depends only on the profile, so repeated runs give identical files.
 */
#include "stackchart.h"
#include <string.h>

void stack_summary(FILE *out, const FSIM_STACK_PROFILE *p)
{
    if (p->Used > p->Budget)
        fprintf(out, "deepest kernel stack: 0x%x of 0x%x bytes (over by 0x%x) on thread %s\n", p->Used, p->Budget,
                p->Used - p->Budget, p->Thread ? p->Thread : "?");
    else
        fprintf(out, "deepest kernel stack: 0x%x of 0x%x bytes (headroom 0x%x) on thread %s\n", p->Used, p->Budget,
                p->Budget - p->Used, p->Thread ? p->Thread : "?");
}

static void xml_text(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f); break;
        }
    }
}

int stack_write_svg(const char *path, const FSIM_STACK_PROFILE *p, const char *title)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    const double width = 900.0, chart = 640.0, top = 50.0, left = 10.0;
    uint32_t scale_to = p->Used > p->Budget ? p->Used : p->Budget;
    if (scale_to == 0)
        scale_to = 1;
    double per_byte = chart / (double)scale_to;
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" font-family=\"monospace\" "
               "font-size=\"11\">\n",
            width, top + chart + 30.0);
    fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#ffffff\"/>\n", width, top + chart + 30.0);
    fputs("<text x=\"10\" y=\"20\" font-size=\"14\">", f);
    xml_text(f, title);
    fputs("</text>\n", f);
    fprintf(f, "<text x=\"10\" y=\"38\">deepest stack 0x%x of 0x%x bytes on thread ", p->Used, p->Budget);
    xml_text(f, p->Thread);
    fputs("</text>\n", f);
    /* frames: outermost (last) at the bottom */
    double y = top + chart;
    for (size_t i = p->FrameCount; i-- > 0;) {
        const FSIM_REPORT_FRAME *fr = &p->Frames[i];
        double h = fr->Bytes * per_byte;
        y -= h;
        fprintf(f, "<rect x=\"%.0f\" y=\"%.2f\" width=\"%.0f\" height=\"%.2f\" fill=\"%s\" stroke=\"#ffffff\" "
                   "stroke-width=\"0.5\"><title>",
                left, y, width - 2 * left, h > 0 ? h : 0.0, fr->IsDriver ? "#f28e2b" : "#9bb7d4");
        xml_text(f, fr->Module);
        fputc('!', f);
        xml_text(f, fr->Function);
        fprintf(f, " 0x%x</title></rect>\n", fr->Bytes);
        if (h >= 10.0) {
            fprintf(f, "<text x=\"%.0f\" y=\"%.2f\">", left + 6, y + h / 2 + 4);
            xml_text(f, fr->Module);
            fputc('!', f);
            xml_text(f, fr->Function);
            if (fr->File)
                fprintf(f, " [%s:%u]", fr->File, fr->Line);
            fprintf(f, " 0x%x</text>\n", fr->Bytes);
        }
    }
    double budget_y = top + chart - p->Budget * per_byte;
    fprintf(f, "<line x1=\"0\" y1=\"%.2f\" x2=\"%.0f\" y2=\"%.2f\" stroke=\"#d62728\" stroke-width=\"2\" "
               "stroke-dasharray=\"6,4\"/>\n",
            budget_y, width, budget_y);
    fprintf(f, "<text x=\"%.0f\" y=\"%.2f\" fill=\"#d62728\">budget 0x%x</text>\n", width - 120, budget_y - 4,
            p->Budget);
    fputs("</svg>\n", f);
    return fclose(f) == 0 ? 0 : -1;
}

int stack_write_folded(const char *path, const FSIM_STACK_PROFILE *p)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    /* one line per frame: the path from the outermost frame to it, and its own bytes */
    for (size_t depth = p->FrameCount; depth-- > 0;) {
        fputs(p->Thread ? p->Thread : "thread", f);
        for (size_t i = p->FrameCount; i-- > depth;)
            fprintf(f, ";%s!%s", p->Frames[i].Module, p->Frames[i].Function);
        fprintf(f, " %u\n", p->Frames[depth].Bytes);
    }
    return fclose(f) == 0 ? 0 : -1;
}
