/*
 * name.c - FsRtl name routines: FsRtlIsNameInExpression,
 * FsRtlDoesNameContainWildCards, FsRtlDissectName.
 *
 * FsRtlIsNameInExpression matches with the documented wildcards:
 *   *        zero or more characters;
 *   ?        exactly one character;
 *   DOS_STAR (<)  zero or more characters, but never past the name's final
 *            period (the period itself must be matched by what follows);
 *   DOS_QM   (>)  one character other than a period, or nothing when the
 *            name is at a period or at its end (so a run of DOS_QMs matches
 *            "up to that many characters");
 *   DOS_DOT  (")  a period, or nothing at the end of the name.
 * It is evaluated as a set of expression positions advanced one name
 * character at a time (no backtracking, no allocation).  With IgnoreCase the
 * expression must already be upcased and the name is upcased with the
 * UpcaseTable when given, else with RtlUpcaseUnicodeChar.  An empty name
 * matches only an empty expression.
 */
#include <ntifs.h>

#ifndef DOS_STAR
#define DOS_STAR (L'<')
#define DOS_QM (L'>')
#define DOS_DOT (L'"')
#endif

/* Expressions longer than this are matched with a pool-allocated state set. */
#define FSRTLP_SMALL_EXPRESSION 256

BOOLEAN FsRtlDoesNameContainWildCards(PUNICODE_STRING Name)
{
    USHORT Count = Name->Length / sizeof(WCHAR);
    USHORT Index;

    for (Index = 0; Index < Count; Index++) {
        WCHAR Char = Name->Buffer[Index];
        if (Char == L'*' || Char == L'?' || Char == DOS_STAR || Char == DOS_QM ||
            Char == DOS_DOT) {
            return TRUE;
        }
    }
    return FALSE;
}

VOID FsRtlDissectName(UNICODE_STRING Path, PUNICODE_STRING FirstName,
                      PUNICODE_STRING RemainingName)
{
    USHORT Count = Path.Length / sizeof(WCHAR);
    USHORT Start = 0;
    USHORT End;

    FirstName->Length = 0;
    FirstName->MaximumLength = 0;
    FirstName->Buffer = NULL;
    RemainingName->Length = 0;
    RemainingName->MaximumLength = 0;
    RemainingName->Buffer = NULL;
    if (Count == 0) {
        return;
    }
    if (Path.Buffer[0] == L'\\') {
        Start = 1;
    }
    for (End = Start; End < Count && Path.Buffer[End] != L'\\'; End++) {
    }
    FirstName->Buffer = Path.Buffer + Start;
    FirstName->Length = (USHORT)((End - Start) * sizeof(WCHAR));
    FirstName->MaximumLength = FirstName->Length;
    if (End + 1 < Count) {
        RemainingName->Buffer = Path.Buffer + End + 1;
        RemainingName->Length = (USHORT)((Count - End - 1) * sizeof(WCHAR));
        RemainingName->MaximumLength = RemainingName->Length;
    }
}

/*
 * Adds expression position State and everything reachable from it without
 * consuming a character, given where the name stands (AtPeriod: the next
 * name character is '.'; AtEnd: the name is exhausted).
 */
static void FsRtlpAddState(const WCHAR *Expression, USHORT Count, UCHAR *Set, USHORT State,
                           BOOLEAN AtPeriod, BOOLEAN AtEnd)
{
    while (State <= Count && !Set[State]) {
        WCHAR Char;

        Set[State] = 1;
        if (State == Count) {
            return;
        }
        Char = Expression[State];
        if (Char == L'*' || Char == DOS_STAR) {
            State++;
        } else if (Char == DOS_QM && (AtPeriod || AtEnd)) {
            State++;
        } else if (Char == DOS_DOT && AtEnd) {
            State++;
        } else {
            return;
        }
    }
}

BOOLEAN FsRtlIsNameInExpression(PUNICODE_STRING Expression, PUNICODE_STRING Name,
                                BOOLEAN IgnoreCase, PWCH UpcaseTable)
{
    UCHAR SmallSets[2][FSRTLP_SMALL_EXPRESSION + 1];
    UCHAR *Current;
    UCHAR *Next;
    UCHAR *Allocated = NULL;
    USHORT ExpressionCount = Expression->Length / sizeof(WCHAR);
    USHORT NameCount = Name->Length / sizeof(WCHAR);
    USHORT LastPeriod = NameCount; /* NameCount: the name has no period */
    USHORT Position;
    USHORT State;
    BOOLEAN Matched;

    if (ExpressionCount == 0 || NameCount == 0) {
        return (BOOLEAN)(ExpressionCount == 0 && NameCount == 0);
    }
    if (ExpressionCount <= FSRTLP_SMALL_EXPRESSION) {
        Current = SmallSets[0];
        Next = SmallSets[1];
    } else {
        Allocated = ExAllocatePoolWithTag(PagedPool, 2 * ((SIZE_T)ExpressionCount + 1), 'nrSF');
        if (Allocated == NULL) {
            ExRaiseStatus(STATUS_NO_MEMORY);
            return FALSE;
        }
        Current = Allocated;
        Next = Allocated + ExpressionCount + 1;
    }
    for (Position = 0; Position < NameCount; Position++) {
        if (Name->Buffer[Position] == L'.') {
            LastPeriod = Position;
        }
    }

    RtlZeroMemory(Current, (SIZE_T)ExpressionCount + 1);
    FsRtlpAddState(Expression->Buffer, ExpressionCount, Current, 0, Name->Buffer[0] == L'.',
                   FALSE);
    for (Position = 0; Position < NameCount; Position++) {
        WCHAR Char = Name->Buffer[Position];
        BOOLEAN NextAtEnd = (BOOLEAN)(Position + 1 == NameCount);
        BOOLEAN NextAtPeriod = (BOOLEAN)(!NextAtEnd && Name->Buffer[Position + 1] == L'.');
        BOOLEAN Any = FALSE;

        if (IgnoreCase) {
            Char = UpcaseTable != NULL ? UpcaseTable[(USHORT)Char] : RtlUpcaseUnicodeChar(Char);
        }
        RtlZeroMemory(Next, (SIZE_T)ExpressionCount + 1);
        for (State = 0; State < ExpressionCount; State++) {
            WCHAR Pattern;

            if (!Current[State]) {
                continue;
            }
            Pattern = Expression->Buffer[State];
            if (Pattern == L'*') {
                FsRtlpAddState(Expression->Buffer, ExpressionCount, Next, State, NextAtPeriod,
                               NextAtEnd);
            } else if (Pattern == DOS_STAR) {
                /* May consume anything before the final period. */
                if (LastPeriod == NameCount || Position < LastPeriod) {
                    FsRtlpAddState(Expression->Buffer, ExpressionCount, Next, State,
                                   NextAtPeriod, NextAtEnd);
                }
            } else if (Pattern == L'?') {
                FsRtlpAddState(Expression->Buffer, ExpressionCount, Next, (USHORT)(State + 1),
                               NextAtPeriod, NextAtEnd);
            } else if (Pattern == DOS_QM) {
                if (Char != L'.') {
                    FsRtlpAddState(Expression->Buffer, ExpressionCount, Next,
                                   (USHORT)(State + 1), NextAtPeriod, NextAtEnd);
                }
            } else if (Pattern == DOS_DOT) {
                if (Char == L'.') {
                    FsRtlpAddState(Expression->Buffer, ExpressionCount, Next,
                                   (USHORT)(State + 1), NextAtPeriod, NextAtEnd);
                }
            } else if (Pattern == Char) {
                FsRtlpAddState(Expression->Buffer, ExpressionCount, Next, (USHORT)(State + 1),
                               NextAtPeriod, NextAtEnd);
            }
        }
        for (State = 0; State <= ExpressionCount; State++) {
            if (Next[State]) {
                Any = TRUE;
                break;
            }
        }
        {
            UCHAR *Swap = Current;
            Current = Next;
            Next = Swap;
        }
        if (!Any) {
            break;
        }
    }
    Matched = (BOOLEAN)(Position == NameCount && Current[ExpressionCount] != 0);
    if (Allocated != NULL) {
        ExFreePoolWithTag(Allocated, 'nrSF');
    }
    return Matched;
}
