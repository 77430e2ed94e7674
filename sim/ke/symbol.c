/*
 * symbol.c - fltsim Ke: names of driver routines for stack listings.
 * Exported routines come from dladdr; static ones (most of a driver) from
 * the image's own ELF symbol table, read once per image and cached on the
 * machine.  Anything else is shown as WinDbg shows an address it has no
 * symbol for: module+0xoffset.
 */
#define _GNU_SOURCE 1
#include <dlfcn.h>
#include <fsim_kernel.h>
#include <string.h>
#if defined(__linux__)
#include <elf.h>
#endif

typedef struct KI_SYMBOL {
    uintptr_t Value;
    size_t Size;
    const char *Name;
} KI_SYMBOL;

typedef struct KI_IMAGE_SYMBOLS {
    char *Path;
    KI_SYMBOL *Symbols;
    size_t Count;
    struct KI_IMAGE_SYMBOLS *Next;
} KI_IMAGE_SYMBOLS;

const char *KiSymbolName(const void *Address);
void KiFreeSymbols(void);

#if defined(__linux__)
static void KiReadElfSymbols(KI_IMAGE_SYMBOLS *Image)
{
    FILE *F = fopen(Image->Path, "rb");
    Elf64_Ehdr Eh;
    if (F == NULL)
        return;
    if (fread(&Eh, sizeof(Eh), 1, F) != 1 || memcmp(Eh.e_ident, ELFMAG, SELFMAG) != 0 ||
        Eh.e_ident[EI_CLASS] != ELFCLASS64 || Eh.e_shentsize != sizeof(Elf64_Shdr) || Eh.e_shnum == 0) {
        fclose(F);
        return;
    }
    Elf64_Shdr *Sh = calloc(Eh.e_shnum, sizeof(Elf64_Shdr));
    if (Sh == NULL || fseek(F, (long)Eh.e_shoff, SEEK_SET) != 0 ||
        fread(Sh, sizeof(Elf64_Shdr), Eh.e_shnum, F) != Eh.e_shnum) {
        free(Sh);
        fclose(F);
        return;
    }
    for (unsigned I = 0; I < Eh.e_shnum; I++) {
        if (Sh[I].sh_type != SHT_SYMTAB || Sh[I].sh_link >= Eh.e_shnum || Sh[I].sh_entsize != sizeof(Elf64_Sym))
            continue;
        Elf64_Shdr *Str = &Sh[Sh[I].sh_link];
        size_t N = Sh[I].sh_size / sizeof(Elf64_Sym);
        Elf64_Sym *Syms = malloc(Sh[I].sh_size ? Sh[I].sh_size : 1);
        char *Strings = malloc(Str->sh_size + 1);
        if (Syms && Strings && fseek(F, (long)Sh[I].sh_offset, SEEK_SET) == 0 &&
            fread(Syms, sizeof(Elf64_Sym), N, F) == N && fseek(F, (long)Str->sh_offset, SEEK_SET) == 0 &&
            fread(Strings, 1, Str->sh_size, F) == Str->sh_size) {
            Strings[Str->sh_size] = 0;
            Image->Symbols = calloc(N ? N : 1, sizeof(KI_SYMBOL));
            for (size_t J = 0; Image->Symbols && J < N; J++) {
                if (ELF64_ST_TYPE(Syms[J].st_info) != STT_FUNC || Syms[J].st_value == 0 ||
                    Syms[J].st_name >= Str->sh_size)
                    continue;
                KI_SYMBOL *S = &Image->Symbols[Image->Count++];
                S->Value = (uintptr_t)Syms[J].st_value;
                S->Size = Syms[J].st_size;
                S->Name = KiSaveString(Strings + Syms[J].st_name);
            }
        }
        free(Syms);
        free(Strings);
        break;
    }
    free(Sh);
    fclose(F);
}
#endif

static KI_IMAGE_SYMBOLS *KiImageSymbols(const char *Path)
{
    FSIM_MACHINE *M = KiMachine;
    KI_IMAGE_SYMBOLS *I;
    for (I = M->Symbols; I; I = I->Next)
        if (strcmp(I->Path, Path) == 0)
            return I;
    I = calloc(1, sizeof(*I));
    if (I == NULL || (I->Path = strdup(Path)) == NULL)
        abort();
#if defined(__linux__)
    KiReadElfSymbols(I);
#endif
    I->Next = M->Symbols;
    M->Symbols = I;
    return I;
}

void KiFreeSymbols(void)
{
    FSIM_MACHINE *M = KiMachine;
    while (M->Symbols) {
        KI_IMAGE_SYMBOLS *I = M->Symbols;
        M->Symbols = I->Next;
        free(I->Symbols);
        free(I->Path);
        free(I);
    }
}

const char *KiSymbolName(const void *Address)
{
    Dl_info Info;
    if (dladdr(Address, &Info) == 0 || Info.dli_fname == NULL)
        return NULL;
    uintptr_t Offset = (uintptr_t)Address - (uintptr_t)Info.dli_fbase;
    KI_IMAGE_SYMBOLS *Image = KiImageSymbols(Info.dli_fname);
    for (size_t I = 0; I < Image->Count; I++) {
        KI_SYMBOL *S = &Image->Symbols[I];
        if (Offset >= S->Value && Offset < S->Value + (S->Size ? S->Size : 1)) {
            if (Offset == S->Value)
                return S->Name;
            return KiFormat("%s+0x%lx", S->Name, (unsigned long)(Offset - S->Value));
        }
    }
    if (Info.dli_sname != NULL) {
        if (Info.dli_saddr == Address)
            return KiSaveString(Info.dli_sname);
        return KiFormat("%s+0x%lx", Info.dli_sname,
                        (unsigned long)((const char *)Address - (const char *)Info.dli_saddr));
    }
    return KiFormat("+0x%lx", (unsigned long)Offset); /* rendered module!+0x...: no symbol */
}
