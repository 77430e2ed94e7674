/*
 * time.c - fltsim Rtl: system time <-> calendar fields.
 *
 * Owns RtlTimeToTimeFields and RtlTimeFieldsToTime, and the ntifs.h
 * conversions to and from seconds since 1970 and 1980.  A system time counts
 * 100-nanosecond intervals since 1601-01-01 00:00 (proleptic Gregorian
 * calendar, no leap seconds).  1601 opens a 400-year cycle, so the calendar
 * arithmetic below counts whole cycles, centuries, 4-year groups and years.
 */
#include "rtlp.h"

#define RTLP_TICKS_PER_MILLISECOND 10000ull
#define RTLP_TICKS_PER_SECOND 10000000ull
#define RTLP_TICKS_PER_DAY 864000000000ull
#define RTLP_DAYS_PER_400_YEARS 146097ull
#define RTLP_DAYS_PER_100_YEARS 36524ull
#define RTLP_DAYS_PER_4_YEARS 1461ull
#define RTLP_DAYS_PER_YEAR 365ull
/* Days from 1601-01-01 to 1970-01-01 and to 1980-01-01. */
#define RTLP_DAYS_TO_1970 134774ull
#define RTLP_DAYS_TO_1980 138426ull

/* Days before each month in a common year. */
static const USHORT RtlpDaysBeforeMonth[13] = {
    0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365,
};

static BOOLEAN RtlpIsLeapYear(ULONG Year)
{
    return (BOOLEAN)((Year % 4 == 0 && Year % 100 != 0) || Year % 400 == 0);
}

static ULONG RtlpDaysInMonth(ULONG Year, ULONG Month)
{
    ULONG days = RtlpDaysBeforeMonth[Month] - RtlpDaysBeforeMonth[Month - 1];
    if (Month == 2 && RtlpIsLeapYear(Year)) {
        days++;
    }
    return days;
}

VOID RtlTimeToTimeFields(PLARGE_INTEGER Time, PTIME_FIELDS TimeFields)
{
    ULONGLONG ticks = (ULONGLONG)Time->QuadPart;
    ULONGLONG days = ticks / RTLP_TICKS_PER_DAY;
    ULONGLONG within = ticks % RTLP_TICKS_PER_DAY;
    ULONGLONG n400, n100, n4, n1, rest;
    ULONG year, dayOfYear, month;

    /* 1601-01-01 was a Monday; Weekday counts from Sunday = 0. */
    TimeFields->Weekday = (CSHORT)((days + 1) % 7);

    n400 = days / RTLP_DAYS_PER_400_YEARS;
    rest = days % RTLP_DAYS_PER_400_YEARS;
    n100 = rest / RTLP_DAYS_PER_100_YEARS;
    if (n100 == 4) { /* the last day of a leap 400th year */
        n100 = 3;
    }
    rest -= n100 * RTLP_DAYS_PER_100_YEARS;
    n4 = rest / RTLP_DAYS_PER_4_YEARS;
    rest %= RTLP_DAYS_PER_4_YEARS;
    n1 = rest / RTLP_DAYS_PER_YEAR;
    if (n1 == 4) { /* the last day of a leap year */
        n1 = 3;
    }
    rest -= n1 * RTLP_DAYS_PER_YEAR;

    year = (ULONG)(1601 + 400 * n400 + 100 * n100 + 4 * n4 + n1);
    dayOfYear = (ULONG)rest;
    for (month = 1; month < 12; month++) {
        ULONG before = RtlpDaysBeforeMonth[month];
        if (month >= 2 && RtlpIsLeapYear(year)) {
            before++;
        }
        if (dayOfYear < before) {
            break;
        }
    }
    {
        ULONG start = RtlpDaysBeforeMonth[month - 1];
        if (month > 2 && RtlpIsLeapYear(year)) {
            start++;
        }
        TimeFields->Day = (CSHORT)(dayOfYear - start + 1);
    }
    TimeFields->Year = (CSHORT)year;
    TimeFields->Month = (CSHORT)month;
    TimeFields->Hour = (CSHORT)(within / (3600 * RTLP_TICKS_PER_SECOND));
    TimeFields->Minute = (CSHORT)((within / (60 * RTLP_TICKS_PER_SECOND)) % 60);
    TimeFields->Second = (CSHORT)((within / RTLP_TICKS_PER_SECOND) % 60);
    TimeFields->Milliseconds = (CSHORT)((within / RTLP_TICKS_PER_MILLISECOND) % 1000);
}

BOOLEAN RtlTimeFieldsToTime(PTIME_FIELDS TimeFields, PLARGE_INTEGER Time)
{
    LONG year = TimeFields->Year;
    LONG month = TimeFields->Month;
    LONG day = TimeFields->Day;
    ULONGLONG y, days, ticks;

    /* The documented ranges; Weekday is ignored. */
    if (year < 1601 || month < 1 || month > 12 || day < 1 ||
        (ULONG)day > RtlpDaysInMonth((ULONG)year, (ULONG)month) ||
        TimeFields->Hour < 0 || TimeFields->Hour > 23 ||
        TimeFields->Minute < 0 || TimeFields->Minute > 59 ||
        TimeFields->Second < 0 || TimeFields->Second > 59 ||
        TimeFields->Milliseconds < 0 || TimeFields->Milliseconds > 999) {
        return FALSE;
    }

    y = (ULONGLONG)(year - 1601);
    days = y * RTLP_DAYS_PER_YEAR + y / 4 - y / 100 + y / 400 +
           RtlpDaysBeforeMonth[month - 1] + (ULONGLONG)(day - 1);
    if (month > 2 && RtlpIsLeapYear((ULONG)year)) {
        days++;
    }
    /* The result must be a positive LARGE_INTEGER (through year 30828). */
    if (days > (ULONGLONG)MAXLONGLONG / RTLP_TICKS_PER_DAY) {
        return FALSE;
    }
    ticks = days * RTLP_TICKS_PER_DAY +
            (ULONGLONG)TimeFields->Hour * 3600 * RTLP_TICKS_PER_SECOND +
            (ULONGLONG)TimeFields->Minute * 60 * RTLP_TICKS_PER_SECOND +
            (ULONGLONG)TimeFields->Second * RTLP_TICKS_PER_SECOND +
            (ULONGLONG)TimeFields->Milliseconds * RTLP_TICKS_PER_MILLISECOND;
    if (ticks > (ULONGLONG)MAXLONGLONG) {
        return FALSE;
    }
    Time->QuadPart = (LONGLONG)ticks;
    return TRUE;
}

static BOOLEAN RtlpTimeToSecondsSince(PLARGE_INTEGER Time, ULONGLONG EpochDays,
                                      PULONG ElapsedSeconds)
{
    ULONGLONG epoch = EpochDays * RTLP_TICKS_PER_DAY;
    ULONGLONG seconds;

    if (Time->QuadPart < 0 || (ULONGLONG)Time->QuadPart < epoch) {
        return FALSE;
    }
    seconds = ((ULONGLONG)Time->QuadPart - epoch) / RTLP_TICKS_PER_SECOND;
    if (seconds > MAXULONG) {
        return FALSE;
    }
    *ElapsedSeconds = (ULONG)seconds;
    return TRUE;
}

BOOLEAN RtlTimeToSecondsSince1970(PLARGE_INTEGER Time, PULONG ElapsedSeconds)
{
    return RtlpTimeToSecondsSince(Time, RTLP_DAYS_TO_1970, ElapsedSeconds);
}

BOOLEAN RtlTimeToSecondsSince1980(PLARGE_INTEGER Time, PULONG ElapsedSeconds)
{
    return RtlpTimeToSecondsSince(Time, RTLP_DAYS_TO_1980, ElapsedSeconds);
}

VOID RtlSecondsSince1970ToTime(ULONG ElapsedSeconds, PLARGE_INTEGER Time)
{
    Time->QuadPart = (LONGLONG)(RTLP_DAYS_TO_1970 * RTLP_TICKS_PER_DAY +
                                (ULONGLONG)ElapsedSeconds * RTLP_TICKS_PER_SECOND);
}

VOID RtlSecondsSince1980ToTime(ULONG ElapsedSeconds, PLARGE_INTEGER Time)
{
    Time->QuadPart = (LONGLONG)(RTLP_DAYS_TO_1980 * RTLP_TICKS_PER_DAY +
                                (ULONGLONG)ElapsedSeconds * RTLP_TICKS_PER_SECOND);
}
