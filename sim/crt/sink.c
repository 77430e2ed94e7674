/*
 * sink.c - fltsim CRT: the bounded output buffer of the printf engine.
 *
 * Owns storing units into a narrow or wide buffer up to its limit while
 * counting everything produced, and the text conversions that happen on the
 * way in (UTF-16 -> UTF-8 for a narrow sink, UTF-8 -> UTF-16 for a wide one).
 * The sink never writes a terminator; the callers decide about it.
 */
#include "crtp.h"

void FsimCrtSinkInit(FSIM_CRT_SINK *Sink, void *Buffer, size_t Limit, int Wide)
{
    Sink->Buffer = Buffer;
    Sink->Limit = Buffer != NULL ? Limit : 0;
    Sink->Stored = 0;
    Sink->Needed = 0;
    Sink->Wide = Wide;
}

void FsimCrtSinkPutUnit(FSIM_CRT_SINK *Sink, uint16_t Unit)
{
    if (Sink->Stored < Sink->Limit) {
        if (Sink->Wide) {
            ((WCHAR *)Sink->Buffer)[Sink->Stored] = (WCHAR)Unit;
        } else {
            ((char *)Sink->Buffer)[Sink->Stored] = (char)(unsigned char)Unit;
        }
        Sink->Stored++;
    }
    Sink->Needed++;
}

void FsimCrtSinkPutRepeat(FSIM_CRT_SINK *Sink, uint16_t Unit, size_t Count)
{
    size_t room = Sink->Limit - Sink->Stored;
    size_t store = Count < room ? Count : room;

    for (size_t i = 0; i < store; i++) {
        FsimCrtSinkPutUnit(Sink, Unit);
    }
    Sink->Needed += Count - store;
}

void FsimCrtSinkPutAscii(FSIM_CRT_SINK *Sink, const char *Text, size_t Length)
{
    for (size_t i = 0; i < Length; i++) {
        FsimCrtSinkPutUnit(Sink, (unsigned char)Text[i]);
    }
}

static void PutCodePointWide(FSIM_CRT_SINK *Sink, uint32_t CodePoint)
{
    if (CodePoint >= 0x10000u) {
        CodePoint -= 0x10000u;
        FsimCrtSinkPutUnit(Sink, (uint16_t)(0xD800u + (CodePoint >> 10)));
        FsimCrtSinkPutUnit(Sink, (uint16_t)(0xDC00u + (CodePoint & 0x3FFu)));
    } else {
        FsimCrtSinkPutUnit(Sink, (uint16_t)CodePoint);
    }
}

void FsimCrtSinkPutNarrow(FSIM_CRT_SINK *Sink, const char *Text, size_t Length)
{
    size_t i = 0;

    if (!Sink->Wide) {
        FsimCrtSinkPutAscii(Sink, Text, Length);
        return;
    }
    while (i < Length) {
        uint32_t codePoint;
        i += FsimCrtUtf8Decode(Text + i, Length - i, &codePoint);
        PutCodePointWide(Sink, codePoint);
    }
}

void FsimCrtSinkPutWide(FSIM_CRT_SINK *Sink, const WCHAR *Text, size_t Length)
{
    size_t i = 0;

    if (Sink->Wide) {
        for (i = 0; i < Length; i++) {
            FsimCrtSinkPutUnit(Sink, (uint16_t)Text[i]);
        }
        return;
    }
    while (i < Length) {
        uint32_t codePoint;
        char bytes[4];
        size_t count;

        i += FsimCrtUtf16Decode(Text + i, Length - i, &codePoint);
        count = FsimCrtUtf8Encode(codePoint, bytes);
        FsimCrtSinkPutAscii(Sink, bytes, count);
    }
}
