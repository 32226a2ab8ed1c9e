/* bk-booking.h: one booked meeting (TMS "New Conference"), and its occurrences
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define BK_BOOKING_ERROR (bk_booking_error_quark ())

/* Why a booking was refused; every error's message is a sentence to show. */
typedef enum
{
  BK_BOOKING_ERROR_EMPTY_TITLE,
  BK_BOOKING_ERROR_BAD_TIMES,        /* end not after start */
  BK_BOOKING_ERROR_IN_PAST,
  BK_BOOKING_ERROR_TIME_ZONE,
  BK_BOOKING_ERROR_RECURRENCE,
  BK_BOOKING_ERROR_ADDRESS,          /* a participant's address */
  BK_BOOKING_ERROR_NO_BRIDGE,        /* no bridge given, or unknown */
  BK_BOOKING_ERROR_BRIDGE_NOT_READY, /* no extended settings */
  BK_BOOKING_ERROR_NOT_ALLOWED,      /* no Book permission, or booking off */
  BK_BOOKING_ERROR_CAPACITY,
  BK_BOOKING_ERROR_PARTICIPANT_BUSY,
  BK_BOOKING_ERROR_NO_SLOT,
} BkBookingError;

GQuark          bk_booking_error_quark         (void);

/**
 * BkBookingType:
 * @BK_BOOKING_TYPE_AUTOMATIC_CONNECT: the bridge dials the participants at
 *   the start time
 * @BK_BOOKING_TYPE_ONE_BUTTON_TO_PUSH: the space is ready; participants
 *   dial in (their endpoints show a join button)
 * @BK_BOOKING_TYPE_RESERVATION: the space is ready; participants dial in
 * @BK_BOOKING_TYPE_NO_CONNECT: nothing runs on a bridge (no slot is used)
 *
 * The booking types as TMS names them.
 */
typedef enum
{
  BK_BOOKING_TYPE_AUTOMATIC_CONNECT,
  BK_BOOKING_TYPE_ONE_BUTTON_TO_PUSH,
  BK_BOOKING_TYPE_RESERVATION,
  BK_BOOKING_TYPE_NO_CONNECT,
} BkBookingType;

/**
 * BkExtendMode:
 * @BK_EXTEND_NONE: the meeting ends at its end (it can still be extended
 *   by hand: the "Ending Soon" notification, the live panel)
 * @BK_EXTEND_AUTOMATIC: TMS's "Automatic Best Effort": at its end, the
 *   meeting is extended by BK_EXTEND_AUTOMATIC_MINUTES while at least one
 *   participant is still connected, at most BK_EXTEND_AUTOMATIC_MAX times,
 *   unless its slot or a participant is booked next
 *
 * TMS's Extend Mode (its "Endpoint Prompt" has no equivalent here).
 */
typedef enum
{
  BK_EXTEND_NONE,
  BK_EXTEND_AUTOMATIC,
} BkExtendMode;

#define BK_EXTEND_AUTOMATIC_MINUTES 15
#define BK_EXTEND_AUTOMATIC_MAX     16

typedef enum
{
  BK_RECURRENCE_NONE,
  BK_RECURRENCE_DAILY,
  BK_RECURRENCE_WEEKLY,              /* on the days in @weekdays */
  BK_RECURRENCE_MONTHLY_BY_DATE,     /* on the start's day of the month */
  BK_RECURRENCE_MONTHLY_BY_WEEKDAY,  /* on the @position-th @weekdays day */
} BkRecurrenceKind;

typedef enum
{
  BK_WEEKDAY_MONDAY    = 1 << 0,
  BK_WEEKDAY_TUESDAY   = 1 << 1,
  BK_WEEKDAY_WEDNESDAY = 1 << 2,
  BK_WEEKDAY_THURSDAY  = 1 << 3,
  BK_WEEKDAY_FRIDAY    = 1 << 4,
  BK_WEEKDAY_SATURDAY  = 1 << 5,
  BK_WEEKDAY_SUNDAY    = 1 << 6,
} BkWeekdays;

/* The flag of a GDateWeekday / g_date_time_get_day_of_week() day (1 = Monday). */
#define BK_WEEKDAY_FROM_ISO(d) ((BkWeekdays) (1u << ((d) - 1)))

typedef enum
{
  BK_DIAL_OUT,   /* the bridge calls the participant */
  BK_DIAL_IN,    /* the participant calls the meeting's address */
} BkDialDirection;

/* A series needs an end: a count or an until date.  Longer series than this
 * are refused (a daily series of more than 13 years). */
#define BK_RECURRENCE_MAX_OCCURRENCES 5000

/**
 * BkRecurrence:
 * @kind: none, daily, weekly, monthly
 * @interval: every @interval days, weeks or months (>= 1)
 * @weekdays: WEEKLY: the days (at least one); MONTHLY_BY_WEEKDAY: exactly one day
 * @position: MONTHLY_BY_WEEKDAY: 1..5 (first..fifth) or -1 (last)
 * @count: the number of occurrences, or 0 when @until ends the series
 * @until: the last date (in the booking's time zone, inclusive) when @count is 0
 */
typedef struct
{
  BkRecurrenceKind kind;
  guint            interval;
  BkWeekdays       weekdays;
  int              position;
  guint            count;
  GDate            until;
} BkRecurrence;

/**
 * BkBookingException:
 * @recurrence_id: the original start of the occurrence (booking's zone)
 * @cancelled: TRUE when the occurrence is cancelled
 * @start: its new start when moved (NULL when cancelled)
 * @end: its new end when moved (NULL when cancelled)
 * @title: this meeting's own title, or NULL for the series'
 * @notes: this meeting's own notes, or NULL for the series'
 * @participants: (element-type BkParticipant) (nullable): this meeting's
 *   own participants (possibly none), or NULL for the series'
 *
 * A meeting that is not cancelled has an exception when its times, its
 * title, its notes or its participants differ from the series' (its times
 * may be the original ones).
 */
typedef struct
{
  GDateTime *recurrence_id;
  gboolean   cancelled;
  GDateTime *start;
  GDateTime *end;
  char      *title;
  char      *notes;
  GPtrArray *participants;
} BkBookingException;

/**
 * BkParticipant:
 * @name: display name ("" when none)
 * @address: SIP URI ("alice@example.com", "sip:alice@example.com") or a
 *   number ("+886 2 1234 5678", "tel:+88621234"), trimmed
 * @direction: dial out or dial in
 */
typedef struct
{
  char            *name;
  char            *address;
  BkDialDirection  direction;
} BkParticipant;

/**
 * BkBooking:
 * @uid: iCalendar UID (a random UUID for new bookings)
 * @sequence: iCalendar SEQUENCE: raised on each saved change
 * @title: the meeting's title
 * @time_zone: IANA name of the zone the times were booked in
 * @start: the (first) start, in @time_zone
 * @end: the (first) end, in @time_zone; after @start
 * @recurrence: the repeat pattern
 * @exceptions: (element-type BkBookingException): moved or cancelled occurrences
 * @type: TMS booking type
 * @automatic_bridge: TRUE when the person asked for "Automatic" routing
 * @bridge_id: the BkDevice id the meeting runs on ("" when none chosen yet,
 *   and for No Connect)
 * @slot_number: the slot's numeric ID (its call ID) bound at booking; 0 = none
 * @slot_address: "<call ID>@<domain>" of that slot; "" when none
 * @has_pin: TRUE when a PIN is kept for it in the keyring (never in the file)
 * @extend_mode: what happens at its end while people are still in it
 * @participants: (element-type BkParticipant)
 * @owner: who booked it ("" when unknown)
 * @notes: free text
 * @created: UTC; @modified: UTC
 *
 * A reference-counted record.  Once a booking is handed to a store or an
 * index it is shared and must not change: copy it, change the copy and put
 * the copy back.  Strings are never NULL.
 */
typedef struct
{
  char          *uid;
  guint          sequence;
  char          *title;
  char          *time_zone;
  GDateTime     *start;
  GDateTime     *end;
  BkRecurrence   recurrence;
  GPtrArray     *exceptions;
  BkBookingType  type;
  gboolean       automatic_bridge;
  char          *bridge_id;
  guint64        slot_number;
  char          *slot_address;
  gboolean       has_pin;
  BkExtendMode   extend_mode;
  GPtrArray     *participants;
  char          *owner;
  char          *notes;
  GDateTime     *created;
  GDateTime     *modified;

  /*< private >*/
  gint64         cache_last_start;   /* 0 = not computed */
} BkBooking;

/**
 * BkOccurrence:
 * @start: start, seconds since the epoch (UTC)
 * @end: end, likewise
 * @recurrence_id: the original start of this occurrence (== @start unless moved)
 * @moved: TRUE when an exception moved it
 *
 * Its title, notes and participants (its own or the series'):
 * bk_booking_get_occurrence_title (), _notes () and _participants () with
 * @recurrence_id.
 */
typedef struct
{
  gint64   start;
  gint64   end;
  gint64   recurrence_id;
  gboolean moved;
} BkOccurrence;

#define BK_TYPE_BOOKING (bk_booking_get_type ())

GType           bk_booking_get_type            (void) G_GNUC_CONST;

/* A one-off booking from @start to @end (both converted to @time_zone),
 * type Automatic Connect, Automatic bridge, a new UID, sequence 0, created
 * and modified now.  NULL when @time_zone is not a known IANA zone. */
BkBooking      *bk_booking_new                 (const char       *title,
                                                const char       *time_zone,
                                                GDateTime        *start,
                                                GDateTime        *end);
/* An empty record (every string "", no times): for the store's reader. */
BkBooking      *bk_booking_new_empty           (void);
BkBooking      *bk_booking_ref                 (BkBooking        *booking);
void            bk_booking_unref               (BkBooking        *booking);
/* A deep copy with refcount 1 (same UID and sequence). */
BkBooking      *bk_booking_copy                (const BkBooking  *booking);
/* TRUE when every field is the same (stamps to the second). */
gboolean        bk_booking_equal               (const BkBooking  *a,
                                                const BkBooking  *b);

void            bk_booking_set_string          (char            **field,
                                                const char       *value);
void            bk_booking_set_times           (BkBooking        *booking,
                                                const char       *time_zone,
                                                GDateTime        *start,
                                                GDateTime        *end);
void            bk_booking_add_participant     (BkBooking        *booking,
                                                const char       *name,
                                                const char       *address,
                                                BkDialDirection   direction);
/* Adds (or replaces) the exception for the occurrence originally at
 * @recurrence_id: cancelled when @start is NULL, else moved (keeping the
 * title and notes of its own it had). */
void            bk_booking_set_exception       (BkBooking        *booking,
                                                GDateTime        *recurrence_id,
                                                GDateTime        *start,
                                                GDateTime        *end);
const BkBookingException *bk_booking_find_exception (const BkBooking *booking,
                                                     gint64           recurrence_id);
/* Gives the (not cancelled) exception at @recurrence_id its own @title and
 * @notes; NULL, or the series' own text, means the series'. */
void            bk_booking_set_exception_details (BkBooking      *booking,
                                                  gint64          recurrence_id,
                                                  const char     *title,
                                                  const char     *notes);
/* Gives the (not cancelled) exception at @recurrence_id its own
 * participants (copied); NULL, or a list equal to the series', means the
 * series'. */
void            bk_booking_set_exception_participants (BkBooking      *booking,
                                                       gint64          recurrence_id,
                                                       GPtrArray      *participants);
/* The participants (element-type BkParticipant) of the occurrence
 * originally at @recurrence_id: its own, or the series'.  Never NULL. */
GPtrArray      *bk_booking_get_occurrence_participants (const BkBooking *booking,
                                                        gint64           recurrence_id);
/* TRUE when a (not cancelled) meeting of the series has participants of
 * its own. */
gboolean        bk_booking_has_occurrence_participants (const BkBooking *booking);
/* TRUE when the occurrence originally at @recurrence_id has a participant
 * whose address has key @key (bk_participant_address_key()). */
gboolean        bk_booking_occurrence_has_participant (const BkBooking *booking,
                                                       gint64           recurrence_id,
                                                       const char      *key);
/* TRUE when the two lists hold the same participants in the same order. */
gboolean        bk_participants_equal          (GPtrArray        *a,
                                                GPtrArray        *b);
/* A deep copy of a participant list (NULL for NULL). */
GPtrArray      *bk_participants_copy           (GPtrArray        *participants);
/* The title (notes) of the occurrence originally at @recurrence_id: its
 * own, or the series'. */
const char     *bk_booking_get_occurrence_title (const BkBooking *booking,
                                                 gint64           recurrence_id);
const char     *bk_booking_get_occurrence_notes (const BkBooking *booking,
                                                 gint64           recurrence_id);
/* Seconds between start and end. */
gint64          bk_booking_get_duration        (const BkBooking  *booking);
gboolean        bk_booking_uses_bridge         (const BkBooking  *booking);

/* "automatic-connect", "one-button-to-push", "reservation", "no-connect". */
const char     *bk_booking_type_to_string      (BkBookingType     type);
gboolean        bk_booking_type_from_string    (const char       *text,
                                                BkBookingType    *type);
/* The TMS name, translated ("Automatic Connect", ...). */
const char     *bk_booking_type_get_label      (BkBookingType     type);

BkParticipant  *bk_participant_new             (const char       *name,
                                                const char       *address,
                                                BkDialDirection   direction);
BkParticipant  *bk_participant_copy            (const BkParticipant *participant);
void            bk_participant_free            (BkParticipant    *participant);
/* TRUE when @address is a SIP URI (user@host, with or without "sip:" or
 * "sips:") or a number (digits with an optional "+", spaces, dashes, dots
 * or brackets, optionally after "tel:").  On FALSE, @error holds the sentence. */
gboolean        bk_participant_validate_address (const char      *address,
                                                 GError         **error);
/* The key two addresses are the same participant by: without the scheme,
 * case-folded; numbers without separators.  Free with g_free. */
char           *bk_participant_address_key     (const char       *address);
/* TRUE when @address is a number rather than a SIP URI. */
gboolean        bk_participant_address_is_number (const char     *address);

BkBookingException *bk_booking_exception_copy  (const BkBookingException *exception);
void            bk_booking_exception_free      (BkBookingException *exception);

/* Local wall-clock time in @tz to UTC seconds as RFC 5545 reads it: an
 * ambiguous time (clocks go back) is the first of the two; a time that
 * does not exist (clocks go forward) uses the offset before the gap. */
gint64          bk_local_to_utc                (GTimeZone        *tz,
                                                int year, int month, int day,
                                                int hour, int minute, int second);

/* Occurrences (BkOccurrence, sorted by start) overlapping [@from, @to)
 * (UTC seconds), with moved and cancelled occurrences applied.  The rule is
 * iterated by libical from the first occurrence at or after @from minus the
 * duration, so a long series costs only the occurrences asked for.  A
 * booking without recurrence has one occurrence.  Never fails for a booking
 * that bk_booking_validate_recurrence() accepts; NULL with @error otherwise. */
GArray         *bk_booking_expand              (BkBooking        *booking,
                                                gint64            from,
                                                gint64            to,
                                                GError          **error);
/* Every occurrence of the series (at most BK_RECURRENCE_MAX_OCCURRENCES + the
 * moved ones). */
GArray         *bk_booking_expand_all          (BkBooking        *booking,
                                                GError          **error);
/* The start of the last original occurrence (cached); the first start for a
 * booking without recurrence. */
gint64          bk_booking_get_last_start      (BkBooking        *booking);

/* Checks the pattern: an interval >= 1, weekly on at least one day, a
 * monthly-by-weekday position, an end (count or until on or after the
 * start), at most BK_RECURRENCE_MAX_OCCURRENCES.  @error holds the sentence. */
gboolean        bk_booking_validate_recurrence (BkBooking        *booking,
                                                GError          **error);

/* The IANA time zones a booking can be in (libical's built-in list, the
 * ones GLib knows as well, and "UTC"), sorted by name. */
GStrv           bk_booking_dup_time_zone_names (void);

/* Weekday 1 (Monday) .. 7, abbreviated ("Mon", "週一") or full ("Monday",
 * "星期一"): translated with the messages, whatever LC_TIME is. */
const char     *bk_booking_weekday_name        (int               weekday,
                                                gboolean          abbreviated);

/* A time for sentences: "Mon 2026-12-07 09:00" in @tz (translatable format). */
char           *bk_booking_format_time         (gint64            utc,
                                                GTimeZone        *tz);
/* A date for sentences: "Mon 2026-12-07". */
char           *bk_booking_format_date         (gint64            utc,
                                                GTimeZone        *tz);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BkBooking, bk_booking_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BkParticipant, bk_participant_free)

G_END_DECLS
