/* dontuse.h - fltsim: the WDK header that bans or suppresses analysis warnings; nothing to do with gcc/clang. */
