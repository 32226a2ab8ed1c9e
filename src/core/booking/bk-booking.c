/* bk-booking.c: one booked meeting, and its occurrences
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkBooking"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <libical/ical.h>

#include "bk-booking.h"
#include "bk-booking-private.h"
#include "bk-validate.h"

G_DEFINE_QUARK (bk-booking-error-quark, bk_booking_error)
G_DEFINE_BOXED_TYPE (BkBooking, bk_booking, bk_booking_ref, bk_booking_unref)

#define DAY_SECONDS (24 * 60 * 60)

static void
booking_clear (BkBooking *self)
{
  g_free (self->uid);
  g_free (self->title);
  g_free (self->time_zone);
  g_clear_pointer (&self->start, g_date_time_unref);
  g_clear_pointer (&self->end, g_date_time_unref);
  g_clear_pointer (&self->exceptions, g_ptr_array_unref);
  g_free (self->bridge_id);
  g_free (self->slot_address);
  g_clear_pointer (&self->participants, g_ptr_array_unref);
  g_free (self->owner);
  g_free (self->notes);
  g_clear_pointer (&self->created, g_date_time_unref);
  g_clear_pointer (&self->modified, g_date_time_unref);
}

BkBooking *
bk_booking_new_empty (void)
{
  BkBooking *self = g_atomic_rc_box_new0 (BkBooking);

  self->uid = g_uuid_string_random ();
  self->title = g_strdup ("");
  self->time_zone = g_strdup ("");
  self->recurrence.kind = BK_RECURRENCE_NONE;
  self->recurrence.interval = 1;
  g_date_clear (&self->recurrence.until, 1);
  self->exceptions = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_booking_exception_free);
  self->type = BK_BOOKING_TYPE_AUTOMATIC_CONNECT;
  self->automatic_bridge = TRUE;
  self->bridge_id = g_strdup ("");
  self->slot_address = g_strdup ("");
  self->participants = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_participant_free);
  self->owner = g_strdup ("");
  self->notes = g_strdup ("");
  self->created = g_date_time_new_now_utc ();
  self->modified = g_date_time_ref (self->created);
  return self;
}

BkBooking *
bk_booking_new (const char *title,
                const char *time_zone,
                GDateTime  *start,
                GDateTime  *end)
{
  g_autoptr(GTimeZone) tz = NULL;
  BkBooking *self;

  g_return_val_if_fail (time_zone != NULL, NULL);
  g_return_val_if_fail (start != NULL && end != NULL, NULL);

  tz = g_time_zone_new_identifier (time_zone);
  if (tz == NULL)
    return NULL;

  self = bk_booking_new_empty ();
  bk_booking_set_string (&self->title, title);
  bk_booking_set_times (self, time_zone, start, end);
  return self;
}

BkBooking *
bk_booking_ref (BkBooking *booking)
{
  g_return_val_if_fail (booking != NULL, NULL);
  return g_atomic_rc_box_acquire (booking);
}

void
bk_booking_unref (BkBooking *booking)
{
  g_return_if_fail (booking != NULL);
  g_atomic_rc_box_release_full (booking, (GDestroyNotify) booking_clear);
}

static GDateTime *
ref_or_null (GDateTime *dt)
{
  return dt != NULL ? g_date_time_ref (dt) : NULL;
}

BkBooking *
bk_booking_copy (const BkBooking *booking)
{
  BkBooking *self;

  g_return_val_if_fail (booking != NULL, NULL);

  self = g_atomic_rc_box_new0 (BkBooking);
  self->uid = g_strdup (booking->uid);
  self->sequence = booking->sequence;
  self->title = g_strdup (booking->title);
  self->time_zone = g_strdup (booking->time_zone);
  self->start = ref_or_null (booking->start);
  self->end = ref_or_null (booking->end);
  self->recurrence = booking->recurrence;
  self->exceptions = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_booking_exception_free);
  for (guint i = 0; i < booking->exceptions->len; i++)
    g_ptr_array_add (self->exceptions, bk_booking_exception_copy (g_ptr_array_index (booking->exceptions, i)));
  self->type = booking->type;
  self->automatic_bridge = booking->automatic_bridge;
  self->bridge_id = g_strdup (booking->bridge_id);
  self->slot_number = booking->slot_number;
  self->slot_address = g_strdup (booking->slot_address);
  self->has_pin = booking->has_pin;
  self->extend_mode = booking->extend_mode;
  self->participants = bk_participants_copy (booking->participants);
  self->owner = g_strdup (booking->owner);
  self->notes = g_strdup (booking->notes);
  self->created = ref_or_null (booking->created);
  self->modified = ref_or_null (booking->modified);
  return self;
}

static gboolean
same_time (GDateTime *a,
           GDateTime *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return g_date_time_to_unix (a) == g_date_time_to_unix (b);
}

gboolean
bk_booking_equal (const BkBooking *a,
                  const BkBooking *b)
{
  const BkRecurrence *ra = &a->recurrence, *rb = &b->recurrence;

  if (g_strcmp0 (a->uid, b->uid) != 0 || a->sequence != b->sequence ||
      g_strcmp0 (a->title, b->title) != 0 || g_strcmp0 (a->time_zone, b->time_zone) != 0 ||
      !same_time (a->start, b->start) || !same_time (a->end, b->end) ||
      a->type != b->type || a->automatic_bridge != b->automatic_bridge ||
      g_strcmp0 (a->bridge_id, b->bridge_id) != 0 || a->slot_number != b->slot_number ||
      g_strcmp0 (a->slot_address, b->slot_address) != 0 || a->has_pin != b->has_pin ||
      a->extend_mode != b->extend_mode ||
      g_strcmp0 (a->owner, b->owner) != 0 || g_strcmp0 (a->notes, b->notes) != 0 ||
      !same_time (a->created, b->created) || !same_time (a->modified, b->modified))
    return FALSE;

  if (ra->kind != rb->kind)
    return FALSE;
  if (ra->kind != BK_RECURRENCE_NONE)
    {
      if (ra->interval != rb->interval || ra->count != rb->count)
        return FALSE;
      if ((ra->kind == BK_RECURRENCE_WEEKLY || ra->kind == BK_RECURRENCE_MONTHLY_BY_WEEKDAY) &&
          ra->weekdays != rb->weekdays)
        return FALSE;
      if (ra->kind == BK_RECURRENCE_MONTHLY_BY_WEEKDAY && ra->position != rb->position)
        return FALSE;
      if (ra->count == 0 &&
          (g_date_valid (&ra->until) != g_date_valid (&rb->until) ||
           (g_date_valid (&ra->until) && g_date_compare (&ra->until, &rb->until) != 0)))
        return FALSE;
    }

  if (a->exceptions->len != b->exceptions->len)
    return FALSE;
  for (guint i = 0; i < a->exceptions->len; i++)
    {
      const BkBookingException *ea = g_ptr_array_index (a->exceptions, i);
      const BkBookingException *eb = bk_booking_find_exception (b, g_date_time_to_unix (ea->recurrence_id));

      if (eb == NULL || ea->cancelled != eb->cancelled ||
          !same_time (ea->start, eb->start) || !same_time (ea->end, eb->end) ||
          g_strcmp0 (ea->title, eb->title) != 0 || g_strcmp0 (ea->notes, eb->notes) != 0 ||
          (ea->participants == NULL) != (eb->participants == NULL) ||
          (ea->participants != NULL && !bk_participants_equal (ea->participants, eb->participants)))
        return FALSE;
    }
  return bk_participants_equal (a->participants, b->participants);
}

gboolean
bk_participants_equal (GPtrArray *a,
                       GPtrArray *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  if (a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      const BkParticipant *pa = g_ptr_array_index (a, i);
      const BkParticipant *pb = g_ptr_array_index (b, i);

      if (g_strcmp0 (pa->name, pb->name) != 0 || g_strcmp0 (pa->address, pb->address) != 0 ||
          pa->direction != pb->direction)
        return FALSE;
    }
  return TRUE;
}

GPtrArray *
bk_participants_copy (GPtrArray *participants)
{
  GPtrArray *out;

  if (participants == NULL)
    return NULL;
  out = g_ptr_array_new_full (participants->len, (GDestroyNotify) bk_participant_free);
  for (guint i = 0; i < participants->len; i++)
    g_ptr_array_add (out, bk_participant_copy (g_ptr_array_index (participants, i)));
  return out;
}

void
bk_booking_set_string (char       **field,
                       const char  *value)
{
  char *old = *field;

  *field = g_strdup (value != NULL ? value : "");
  g_free (old);
}

void
bk_booking_set_times (BkBooking  *booking,
                      const char *time_zone,
                      GDateTime  *start,
                      GDateTime  *end)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (time_zone);

  g_return_if_fail (tz != NULL);

  bk_booking_set_string (&booking->time_zone, time_zone);
  g_clear_pointer (&booking->start, g_date_time_unref);
  g_clear_pointer (&booking->end, g_date_time_unref);
  booking->start = g_date_time_to_timezone (start, tz);
  booking->end = g_date_time_to_timezone (end, tz);
  booking->cache_last_start = 0;
}

void
bk_booking_add_participant (BkBooking       *booking,
                            const char      *name,
                            const char      *address,
                            BkDialDirection  direction)
{
  g_ptr_array_add (booking->participants, bk_participant_new (name, address, direction));
}

const BkBookingException *
bk_booking_find_exception (const BkBooking *booking,
                           gint64           recurrence_id)
{
  for (guint i = 0; i < booking->exceptions->len; i++)
    {
      const BkBookingException *e = g_ptr_array_index (booking->exceptions, i);

      if (g_date_time_to_unix (e->recurrence_id) == recurrence_id)
        return e;
    }
  return NULL;
}

void
bk_booking_set_exception (BkBooking *booking,
                          GDateTime *recurrence_id,
                          GDateTime *start,
                          GDateTime *end)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (booking->time_zone);
  BkBookingException *e;
  gint64 id = g_date_time_to_unix (recurrence_id);
  g_autofree char *title = NULL;
  g_autofree char *notes = NULL;
  g_autoptr(GPtrArray) participants = NULL;

  g_return_if_fail (tz != NULL);
  g_return_if_fail ((start == NULL) == (end == NULL));

  for (guint i = 0; i < booking->exceptions->len; i++)
    {
      e = g_ptr_array_index (booking->exceptions, i);
      if (g_date_time_to_unix (e->recurrence_id) == id)
        {
          /* Moved again, it keeps its own title, notes and participants. */
          title = g_steal_pointer (&e->title);
          notes = g_steal_pointer (&e->notes);
          participants = g_steal_pointer (&e->participants);
          g_ptr_array_remove_index (booking->exceptions, i);
          break;
        }
    }

  e = g_new0 (BkBookingException, 1);
  e->recurrence_id = g_date_time_to_timezone (recurrence_id, tz);
  e->cancelled = (start == NULL);
  if (start != NULL)
    {
      e->start = g_date_time_to_timezone (start, tz);
      e->end = g_date_time_to_timezone (end, tz);
      e->title = g_steal_pointer (&title);
      e->notes = g_steal_pointer (&notes);
      e->participants = g_steal_pointer (&participants);
    }
  g_ptr_array_add (booking->exceptions, e);
}

void
bk_booking_set_exception_details (BkBooking  *booking,
                                  gint64      recurrence_id,
                                  const char *title,
                                  const char *notes)
{
  BkBookingException *e = (BkBookingException *) bk_booking_find_exception (booking, recurrence_id);

  g_return_if_fail (e != NULL && !e->cancelled);

  g_free (e->title);
  e->title = title != NULL && g_strcmp0 (title, booking->title) != 0 ? g_strdup (title) : NULL;
  g_free (e->notes);
  e->notes = notes != NULL && g_strcmp0 (notes, booking->notes) != 0 ? g_strdup (notes) : NULL;
}

void
bk_booking_set_exception_participants (BkBooking *booking,
                                       gint64     recurrence_id,
                                       GPtrArray *participants)
{
  BkBookingException *e = (BkBookingException *) bk_booking_find_exception (booking, recurrence_id);

  g_return_if_fail (e != NULL && !e->cancelled);

  g_clear_pointer (&e->participants, g_ptr_array_unref);
  if (participants != NULL && !bk_participants_equal (participants, booking->participants))
    e->participants = bk_participants_copy (participants);
}

GPtrArray *
bk_booking_get_occurrence_participants (const BkBooking *booking,
                                        gint64           recurrence_id)
{
  const BkBookingException *e;

  if (booking->exceptions->len == 0)
    return booking->participants;
  e = bk_booking_find_exception (booking, recurrence_id);
  return e != NULL && e->participants != NULL ? e->participants : booking->participants;
}

gboolean
bk_booking_has_occurrence_participants (const BkBooking *booking)
{
  for (guint i = 0; i < booking->exceptions->len; i++)
    {
      const BkBookingException *e = g_ptr_array_index (booking->exceptions, i);

      if (!e->cancelled && e->participants != NULL)
        return TRUE;
    }
  return FALSE;
}

gboolean
bk_booking_occurrence_has_participant (const BkBooking *booking,
                                       gint64           recurrence_id,
                                       const char      *key)
{
  GPtrArray *list = bk_booking_get_occurrence_participants (booking, recurrence_id);

  for (guint i = 0; i < list->len; i++)
    {
      const BkParticipant *p = g_ptr_array_index (list, i);
      g_autofree char *k = bk_participant_address_key (p->address);

      if (g_strcmp0 (k, key) == 0)
        return TRUE;
    }
  return FALSE;
}

const char *
bk_booking_get_occurrence_title (const BkBooking *booking,
                                 gint64           recurrence_id)
{
  const BkBookingException *e;

  if (booking->exceptions->len == 0)
    return booking->title;
  e = bk_booking_find_exception (booking, recurrence_id);
  return e != NULL && e->title != NULL ? e->title : booking->title;
}

const char *
bk_booking_get_occurrence_notes (const BkBooking *booking,
                                 gint64           recurrence_id)
{
  const BkBookingException *e;

  if (booking->exceptions->len == 0)
    return booking->notes;
  e = bk_booking_find_exception (booking, recurrence_id);
  return e != NULL && e->notes != NULL ? e->notes : booking->notes;
}

gint64
bk_booking_get_duration (const BkBooking *booking)
{
  return g_date_time_to_unix (booking->end) - g_date_time_to_unix (booking->start);
}

gboolean
bk_booking_uses_bridge (const BkBooking *booking)
{
  return booking->type != BK_BOOKING_TYPE_NO_CONNECT;
}

/* Types */

static const char * const type_names[] = {
  "automatic-connect", "one-button-to-push", "reservation", "no-connect",
};

const char *
bk_booking_type_to_string (BkBookingType type)
{
  g_return_val_if_fail ((guint) type < G_N_ELEMENTS (type_names), NULL);
  return type_names[type];
}

gboolean
bk_booking_type_from_string (const char    *text,
                             BkBookingType *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_names); i++)
    if (g_ascii_strcasecmp (text, type_names[i]) == 0)
      {
        *type = (BkBookingType) i;
        return TRUE;
      }
  return FALSE;
}

const char *
bk_booking_type_get_label (BkBookingType type)
{
  switch (type)
    {
    case BK_BOOKING_TYPE_AUTOMATIC_CONNECT:
      return _("Automatic Connect");
    case BK_BOOKING_TYPE_ONE_BUTTON_TO_PUSH:
      return _("One Button To Push");
    case BK_BOOKING_TYPE_RESERVATION:
      return _("Reservation");
    case BK_BOOKING_TYPE_NO_CONNECT:
      return _("No Connect");
    default:
      g_return_val_if_reached (NULL);
    }
}

/* Participants */

BkParticipant *
bk_participant_new (const char      *name,
                    const char      *address,
                    BkDialDirection  direction)
{
  BkParticipant *self = g_new0 (BkParticipant, 1);

  self->name = g_strdup (name != NULL ? name : "");
  self->address = g_strstrip (g_strdup (address != NULL ? address : ""));
  self->direction = direction;
  return self;
}

BkParticipant *
bk_participant_copy (const BkParticipant *participant)
{
  return bk_participant_new (participant->name, participant->address, participant->direction);
}

void
bk_participant_free (BkParticipant *participant)
{
  if (participant == NULL)
    return;
  g_free (participant->name);
  g_free (participant->address);
  g_free (participant);
}

static const char *
skip_scheme (const char *address,
             gboolean   *is_tel)
{
  static const char * const sip[] = { "sip:", "sips:" };

  *is_tel = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (sip); i++)
    if (g_ascii_strncasecmp (address, sip[i], strlen (sip[i])) == 0)
      return address + strlen (sip[i]);
  if (g_ascii_strncasecmp (address, "tel:", 4) == 0)
    {
      *is_tel = TRUE;
      return address + 4;
    }
  return address;
}

static gboolean
looks_like_number (const char *text,
                   guint      *n_digits)
{
  guint digits = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digits++;
      else if (*p == '+' && p == text)
        continue;
      else if (strchr (" -.()", *p) == NULL)
        return FALSE;
    }
  if (n_digits != NULL)
    *n_digits = digits;
  return digits > 0;
}

gboolean
bk_participant_address_is_number (const char *address)
{
  gboolean is_tel;
  const char *rest = skip_scheme (address, &is_tel);

  return is_tel || looks_like_number (rest, NULL);
}

gboolean
bk_participant_validate_address (const char  *address,
                                 GError     **error)
{
  gboolean is_tel;
  const char *rest;
  const char *at;
  guint digits = 0;

  if (address == NULL || *address == '\0')
    {
      g_set_error_literal (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_ADDRESS,
                           _("A participant has no address. Enter a SIP address such as alice@example.com or a number."));
      return FALSE;
    }

  rest = skip_scheme (address, &is_tel);
  if (is_tel || looks_like_number (rest, NULL))
    {
      if (looks_like_number (rest, &digits) && digits >= 2 && digits <= 20)
        return TRUE;
      g_set_error (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_ADDRESS,
                   _("“%s” is not a valid number. Enter digits, optionally starting with +."),
                   address);
      return FALSE;
    }

  at = strchr (rest, '@');
  if (at != NULL && at != rest && strchr (at + 1, '@') == NULL)
    {
      gboolean user_ok = TRUE;

      for (const char *p = rest; p < at; p++)
        if (g_ascii_isspace (*p) || *p == ':' || *p == '<' || *p == '>' || (guchar) *p < 0x20)
          user_ok = FALSE;
      /* The host may carry a port ("host:5061"). */
      if (user_ok && bk_validate_address (at + 1, NULL, NULL, NULL) &&
          strchr (at + 1, '/') == NULL && strchr (at + 1, ' ') == NULL)
        return TRUE;
    }

  g_set_error (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_ADDRESS,
               _("“%s” is not a valid SIP address. Enter it as name@domain, for example alice@example.com, or enter a number."),
               address);
  return FALSE;
}

char *
bk_participant_address_key (const char *address)
{
  gboolean is_tel;
  const char *rest = skip_scheme (address, &is_tel);

  if (is_tel || looks_like_number (rest, NULL))
    {
      GString *digits = g_string_new (NULL);

      for (const char *p = rest; *p != '\0'; p++)
        if (g_ascii_isdigit (*p) || *p == '+')
          g_string_append_c (digits, *p);
      return g_string_free (digits, FALSE);
    }
  return g_utf8_casefold (rest, -1);
}

BkBookingException *
bk_booking_exception_copy (const BkBookingException *exception)
{
  BkBookingException *e = g_new0 (BkBookingException, 1);

  e->recurrence_id = g_date_time_ref (exception->recurrence_id);
  e->cancelled = exception->cancelled;
  e->start = ref_or_null (exception->start);
  e->end = ref_or_null (exception->end);
  e->title = g_strdup (exception->title);
  e->notes = g_strdup (exception->notes);
  e->participants = bk_participants_copy (exception->participants);
  return e;
}

void
bk_booking_exception_free (BkBookingException *exception)
{
  if (exception == NULL)
    return;
  g_clear_pointer (&exception->recurrence_id, g_date_time_unref);
  g_clear_pointer (&exception->start, g_date_time_unref);
  g_clear_pointer (&exception->end, g_date_time_unref);
  g_free (exception->title);
  g_free (exception->notes);
  g_clear_pointer (&exception->participants, g_ptr_array_unref);
  g_free (exception);
}

/* Time zones */

static gint32
offset_at (GTimeZone *tz,
           gint64     utc)
{
  int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, utc);

  return g_time_zone_get_offset (tz, interval);
}

static gint64
days_from_civil (int y,
                 int m,
                 int d)
{
  /* Days since 1970-01-01 of a proleptic Gregorian date. */
  y -= m <= 2;
  {
    gint64 era = (y >= 0 ? y : y - 399) / 400;
    gint64 yoe = y - era * 400;
    gint64 doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    gint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
  }
}

gint64
bk_local_to_utc (GTimeZone *tz,
                 int        year,
                 int        month,
                 int        day,
                 int        hour,
                 int        minute,
                 int        second)
{
  gint64 naive = days_from_civil (year, month, day) * DAY_SECONDS + hour * 3600 + minute * 60 + second;
  gint32 before = offset_at (tz, naive - DAY_SECONDS);
  gint32 after = offset_at (tz, naive + DAY_SECONDS);
  gint64 t1, t2;
  gboolean ok1, ok2;

  /* No change of offset within a day either side (transitions are months
   * apart): the usual case. */
  if (before == after)
    return naive - before;

  t1 = naive - before;
  t2 = naive - after;
  ok1 = offset_at (tz, t1) == before;
  ok2 = offset_at (tz, t2) == after;

  if (ok1 && ok2)
    return MIN (t1, t2);   /* ambiguous: the first */
  if (ok1)
    return t1;
  if (ok2)
    return t2;
  return t1;               /* in a gap: the offset before it */
}

static struct icaltimetype
local_of (GTimeZone *tz,
          gint64     utc)
{
  struct icaltimetype t = icaltime_null_time ();
  gint64 local = utc + offset_at (tz, utc);
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (local);

  t.year = g_date_time_get_year (dt);
  t.month = g_date_time_get_month (dt);
  t.day = g_date_time_get_day_of_month (dt);
  t.hour = g_date_time_get_hour (dt);
  t.minute = g_date_time_get_minute (dt);
  t.second = g_date_time_get_second (dt);
  t.is_date = 0;
  return t;
}

static gint64
utc_of (GTimeZone                 *tz,
        const struct icaltimetype *t)
{
  return bk_local_to_utc (tz, t->year, t->month, t->day, t->hour, t->minute, t->second);
}

/* Recurrence with libical */

static short
encode_day (int iso_weekday,
            int position)
{
  /* libical: 1 = Sunday .. 7 = Saturday; position in multiples of 8. */
  int wd = iso_weekday % 7 + 1;

  return (short) (position < 0 ? -(8 * -position + wd) : 8 * position + wd);
}

static int
first_weekday (BkWeekdays weekdays)
{
  for (int d = 1; d <= 7; d++)
    if (weekdays & BK_WEEKDAY_FROM_ISO (d))
      return d;
  return 0;
}

/* The libical rule of @booking without its end (COUNT or UNTIL): the
 * frequency, interval and days. Shared by the expansion below and the
 * iCalendar writer (bk-booking-ical.c), which end it each their own way. */
struct icalrecurrencetype
bk_booking_rule_shape (const BkBooking *booking)
{
  const BkRecurrence *r = &booking->recurrence;
  struct icalrecurrencetype rule;
  guint n = 0;

  icalrecurrencetype_clear (&rule);
  rule.interval = (short) MAX (1u, r->interval);
  rule.week_start = ICAL_MONDAY_WEEKDAY;

  switch (r->kind)
    {
    case BK_RECURRENCE_DAILY:
      rule.freq = ICAL_DAILY_RECURRENCE;
      break;
    case BK_RECURRENCE_WEEKLY:
      rule.freq = ICAL_WEEKLY_RECURRENCE;
      for (int d = 1; d <= 7; d++)
        if (r->weekdays & BK_WEEKDAY_FROM_ISO (d))
          rule.by_day[n++] = encode_day (d, 0);
      rule.by_day[n] = ICAL_RECURRENCE_ARRAY_MAX;
      break;
    case BK_RECURRENCE_MONTHLY_BY_DATE:
      rule.freq = ICAL_MONTHLY_RECURRENCE;
      rule.by_month_day[0] = (short) g_date_time_get_day_of_month (booking->start);
      rule.by_month_day[1] = ICAL_RECURRENCE_ARRAY_MAX;
      break;
    case BK_RECURRENCE_MONTHLY_BY_WEEKDAY:
      rule.freq = ICAL_MONTHLY_RECURRENCE;
      rule.by_day[0] = encode_day (first_weekday (r->weekdays), r->position);
      rule.by_day[1] = ICAL_RECURRENCE_ARRAY_MAX;
      break;
    case BK_RECURRENCE_NONE:
    default:
      g_assert_not_reached ();
    }
  return rule;
}

/* The libical rule of @booking for iteration in local (floating) time.
 * @with_count: keep COUNT; otherwise the series ends at its last start,
 * which allows icalrecur_iterator_set_start(). */
static struct icalrecurrencetype
make_rule (BkBooking *booking,
           gboolean   with_count,
           gint64     last_start,
           GTimeZone *tz)
{
  const BkRecurrence *r = &booking->recurrence;
  struct icalrecurrencetype rule = bk_booking_rule_shape (booking);

  if (with_count && r->count > 0)
    rule.count = (int) r->count;
  else if (!with_count)
    rule.until = local_of (tz, last_start);
  else
    {
      rule.until = icaltime_null_time ();
      rule.until.year = g_date_get_year (&r->until);
      rule.until.month = g_date_get_month (&r->until);
      rule.until.day = g_date_get_day (&r->until);
      rule.until.hour = 23;
      rule.until.minute = 59;
      rule.until.second = 59;
      rule.until.is_date = 0;
    }
  return rule;
}

static struct icaltimetype
dtstart_of (BkBooking *booking)
{
  struct icaltimetype t = icaltime_null_time ();

  t.year = g_date_time_get_year (booking->start);
  t.month = g_date_time_get_month (booking->start);
  t.day = g_date_time_get_day_of_month (booking->start);
  t.hour = g_date_time_get_hour (booking->start);
  t.minute = g_date_time_get_minute (booking->start);
  t.second = g_date_time_get_second (booking->start);
  t.is_date = 0;
  return t;
}

/* Calls @func for each original start (UTC) from the first at or after
 * @from_local (floating; NULL = the series' start) until @func returns FALSE
 * or the series ends.  Returns the number of starts seen. */
typedef gboolean (*StartFunc) (gint64 utc, gpointer data);

static guint
iterate_starts (BkBooking                 *booking,
                GTimeZone                 *tz,
                gboolean                   with_count,
                const struct icaltimetype *from_local,
                StartFunc                  func,
                gpointer                   data)
{
  struct icalrecurrencetype rule;
  icalrecur_iterator *iter;
  struct icaltimetype t;
  guint n = 0;

  /* An UNTIL rule allows a jump as it is; a COUNT rule is turned into the
   * UNTIL rule of its last start first (libical cannot jump with COUNT). */
  if (booking->recurrence.count == 0)
    with_count = TRUE;
  rule = make_rule (booking, with_count, with_count ? 0 : bk_booking_get_last_start (booking), tz);
  iter = icalrecur_iterator_new (rule, dtstart_of (booking));
  if (iter == NULL)
    return 0;

  if (from_local != NULL && !icalrecur_iterator_set_start (iter, *from_local))
    g_warning ("libical refused to start the series %s at a date", booking->uid);

  for (t = icalrecur_iterator_next (iter);
       !icaltime_is_null_time (t) && n <= BK_RECURRENCE_MAX_OCCURRENCES * 4;
       t = icalrecur_iterator_next (iter))
    {
      n++;
      if (!func (utc_of (tz, &t), data))
        break;
    }

  icalrecur_iterator_free (iter);
  return n;
}

typedef struct
{
  gint64 last;
  guint  n;
  guint  limit;
} LastData;

static gboolean
remember_last (gint64   utc,
               gpointer data)
{
  LastData *d = data;

  d->last = utc;
  return ++d->n <= d->limit;
}

gint64
bk_booking_get_last_start (BkBooking *booking)
{
  g_autoptr(GTimeZone) tz = NULL;
  LastData d = { 0, 0, BK_RECURRENCE_MAX_OCCURRENCES };

  if (booking->recurrence.kind == BK_RECURRENCE_NONE)
    return g_date_time_to_unix (booking->start);
  if (booking->cache_last_start != 0)
    return booking->cache_last_start;

  tz = g_time_zone_new_identifier (booking->time_zone);
  g_return_val_if_fail (tz != NULL, g_date_time_to_unix (booking->start));

  d.last = g_date_time_to_unix (booking->start);
  iterate_starts (booking, tz, TRUE, NULL, remember_last, &d);
  booking->cache_last_start = d.last;
  return d.last;
}

gboolean
bk_booking_validate_recurrence (BkBooking  *booking,
                                GError    **error)
{
  const BkRecurrence *r = &booking->recurrence;
  g_autoptr(GTimeZone) tz = NULL;
  LastData d = { 0, 0, BK_RECURRENCE_MAX_OCCURRENCES };

  if (r->kind == BK_RECURRENCE_NONE)
    return TRUE;

  tz = g_time_zone_new_identifier (booking->time_zone);
  if (tz == NULL || booking->start == NULL)
    {
      g_set_error (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_TIME_ZONE,
                   _("The time zone “%s” is not known. Choose a time zone from the list."),
                   booking->time_zone);
      return FALSE;
    }

  if (r->interval < 1 || r->interval > 99)
    {
      g_set_error_literal (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_RECURRENCE,
                           _("A series repeats every 1 to 99 days, weeks or months. Change the interval."));
      return FALSE;
    }
  if (r->kind == BK_RECURRENCE_WEEKLY)
    {
      int iso = g_date_time_get_day_of_week (booking->start);

      if ((r->weekdays & 0x7f) == 0)
        {
          g_set_error_literal (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_RECURRENCE,
                               _("A weekly series needs at least one day of the week. Choose the days."));
          return FALSE;
        }
      if (!(r->weekdays & BK_WEEKDAY_FROM_ISO (iso)))
        {
          g_set_error_literal (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_RECURRENCE,
                               _("The first meeting of a weekly series must be on one of the chosen days. Change the start date or the days."));
          return FALSE;
        }
    }
  if (r->kind == BK_RECURRENCE_MONTHLY_BY_WEEKDAY)
    {
      int iso = g_date_time_get_day_of_week (booking->start);
      int dom = g_date_time_get_day_of_month (booking->start);
      int pos = (dom - 1) / 7 + 1;
      gboolean last = dom + 7 > g_date_get_days_in_month (g_date_time_get_month (booking->start),
                                                          g_date_time_get_year (booking->start));

      if (r->weekdays != BK_WEEKDAY_FROM_ISO (iso) ||
          !(r->position == pos || (r->position == -1 && last)))
        {
          g_set_error_literal (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_RECURRENCE,
                               _("The first meeting of a monthly series must be on the chosen weekday of the month. Change the start date or the pattern."));
          return FALSE;
        }
    }
  if (r->count == 0 && !g_date_valid (&r->until))
    {
      g_set_error_literal (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_RECURRENCE,
                           _("A series needs an end: choose an end date or a number of meetings."));
      return FALSE;
    }
  if (r->count == 0)
    {
      GDate first;

      g_date_clear (&first, 1);
      g_date_set_dmy (&first, g_date_time_get_day_of_month (booking->start),
                      g_date_time_get_month (booking->start), g_date_time_get_year (booking->start));
      if (g_date_compare (&r->until, &first) < 0)
        {
          g_set_error_literal (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_RECURRENCE,
                               _("The series ends before its first meeting. Choose a later end date."));
          return FALSE;
        }
    }
  if (r->count > 0)
    d.n = r->count;
  else
    {
      /* An upper bound from the calendar; count exactly only when it is
       * over the limit. */
      GDate first;
      gint64 days;
      guint64 bound;

      g_date_clear (&first, 1);
      g_date_set_dmy (&first, g_date_time_get_day_of_month (booking->start),
                      g_date_time_get_month (booking->start), g_date_time_get_year (booking->start));
      days = g_date_days_between (&first, &r->until);
      switch (r->kind)
        {
        case BK_RECURRENCE_DAILY:
          bound = days / r->interval + 1;
          break;
        case BK_RECURRENCE_WEEKLY:
          {
            guint n_days = 0;

            for (int wd = 1; wd <= 7; wd++)
              n_days += (r->weekdays & BK_WEEKDAY_FROM_ISO (wd)) != 0;
            bound = (days / (7 * r->interval) + 1) * n_days;
          }
          break;
        default:
          bound = days / (28 * r->interval) + 1;
          break;
        }
      if (bound <= BK_RECURRENCE_MAX_OCCURRENCES)
        d.n = (guint) bound;
      else
        iterate_starts (booking, tz, TRUE, NULL, remember_last, &d);
    }
  if (d.n > BK_RECURRENCE_MAX_OCCURRENCES)
    {
      g_set_error (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_RECURRENCE,
                   _("A series can have at most %d meetings. Choose an earlier end date or fewer meetings."),
                   BK_RECURRENCE_MAX_OCCURRENCES);
      return FALSE;
    }
  return TRUE;
}

/* No original occurrence starts after this: the end of the until date, or
 * (COUNT) the last start, found once and cached. */
static gint64
series_end_bound (BkBooking *booking,
                  GTimeZone *tz)
{
  const BkRecurrence *r = &booking->recurrence;

  if (r->count == 0 && g_date_valid (&r->until))
    return bk_local_to_utc (tz, g_date_get_year (&r->until), g_date_get_month (&r->until),
                            g_date_get_day (&r->until), 23, 59, 59);
  return bk_booking_get_last_start (booking);
}

typedef struct
{
  BkBooking *booking;
  gint64     from;
  gint64     to;
  gint64     duration;
  GArray    *out;
} ExpandData;

static gboolean
collect_start (gint64   utc,
               gpointer data)
{
  ExpandData *d = data;
  const BkBookingException *e;
  BkOccurrence o;

  if (utc >= d->to)
    return FALSE;
  if (utc + d->duration <= d->from)
    return TRUE;
  e = d->booking->exceptions->len > 0 ? bk_booking_find_exception (d->booking, utc) : NULL;
  if (e != NULL)
    return TRUE;   /* cancelled, or added below where it moved to */

  o.start = utc;
  o.end = utc + d->duration;
  o.recurrence_id = utc;
  o.moved = FALSE;
  g_array_append_val (d->out, o);
  return TRUE;
}

static int
occurrence_cmp (gconstpointer a,
                gconstpointer b)
{
  const BkOccurrence *oa = a, *ob = b;

  if (oa->start != ob->start)
    return oa->start < ob->start ? -1 : 1;
  return (oa->recurrence_id > ob->recurrence_id) - (oa->recurrence_id < ob->recurrence_id);
}

GArray *
bk_booking_expand (BkBooking  *booking,
                   gint64      from,
                   gint64      to,
                   GError    **error)
{
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (BkOccurrence));
  ExpandData d;
  gint64 first;

  g_return_val_if_fail (booking != NULL && booking->start != NULL && booking->end != NULL, NULL);

  tz = g_time_zone_new_identifier (booking->time_zone);
  if (tz == NULL)
    {
      g_set_error (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_TIME_ZONE,
                   _("The time zone “%s” is not known. Choose a time zone from the list."),
                   booking->time_zone);
      return NULL;
    }

  d.booking = booking;
  d.from = from;
  d.to = to;
  d.duration = bk_booking_get_duration (booking);
  d.out = out;
  first = g_date_time_to_unix (booking->start);

  if (booking->recurrence.kind == BK_RECURRENCE_NONE)
    {
      BkOccurrence o = { first, first + d.duration, first, FALSE };

      if (o.start < to && o.end > from)
        g_array_append_val (out, o);
      return g_steal_pointer (&out);
    }

  if (first < to && series_end_bound (booking, tz) + d.duration > from)
    {
      /* Jump to a day before the range (local times and UTC differ by
       * less than a day), but never before the series' start. */
      gint64 jump = from - d.duration - DAY_SECONDS;

      if (jump > first)
        {
          struct icaltimetype from_local = local_of (tz, jump);

          iterate_starts (booking, tz, FALSE, &from_local, collect_start, &d);
        }
      else
        iterate_starts (booking, tz, TRUE, NULL, collect_start, &d);
    }

  for (guint i = 0; i < booking->exceptions->len; i++)
    {
      const BkBookingException *e = g_ptr_array_index (booking->exceptions, i);
      BkOccurrence o;

      if (e->cancelled)
        continue;
      o.start = g_date_time_to_unix (e->start);
      o.end = g_date_time_to_unix (e->end);
      o.recurrence_id = g_date_time_to_unix (e->recurrence_id);
      o.moved = TRUE;
      if (o.start < to && o.end > from)
        g_array_append_val (out, o);
    }

  g_array_sort (out, occurrence_cmp);
  return g_steal_pointer (&out);
}

GArray *
bk_booking_expand_all (BkBooking  *booking,
                       GError    **error)
{
  return bk_booking_expand (booking, G_MININT64 / 4, G_MAXINT64 / 4, error);
}

/* Time zones */

static int
zone_name_cmp (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

GStrv
bk_booking_dup_time_zone_names (void)
{
  icalarray *zones = icaltimezone_get_builtin_timezones ();
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (size_t i = 0; zones != NULL && i < zones->num_elements; i++)
    {
      icaltimezone *zone = icalarray_element_at (zones, i);
      const char *location = icaltimezone_get_location (zone);
      g_autoptr(GTimeZone) tz = NULL;

      /* Only what GLib can use too (a booking is expanded with both). */
      if (location == NULL || *location == '\0' || g_hash_table_contains (seen, location) ||
          (tz = g_time_zone_new_identifier (location)) == NULL)
        continue;
      g_ptr_array_add (names, g_strdup (location));
      g_hash_table_add (seen, g_ptr_array_index (names, names->len - 1));
    }
  if (!g_hash_table_contains (seen, "UTC"))
    g_ptr_array_add (names, g_strdup ("UTC"));
  g_ptr_array_sort (names, zone_name_cmp);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/* Sentences */

/* The weekday names of sentences and of the calendar: our own
 * translations, not the C library's: strftime's %a follows LC_TIME, which
 * is often C or en_US while the messages are in Chinese ("（Tue）"), and
 * zh_TW's own LC_TIME abbreviation is a bare "二" where we write "週二". */
static const char *weekdays_short[] = {
  NC_("weekday", "Mon"), NC_("weekday", "Tue"), NC_("weekday", "Wed"), NC_("weekday", "Thu"),
  NC_("weekday", "Fri"), NC_("weekday", "Sat"), NC_("weekday", "Sun"),
};

static const char *weekdays_long[] = {
  NC_("weekday", "Monday"), NC_("weekday", "Tuesday"), NC_("weekday", "Wednesday"),
  NC_("weekday", "Thursday"), NC_("weekday", "Friday"), NC_("weekday", "Saturday"),
  NC_("weekday", "Sunday"),
};

const char *
bk_booking_weekday_name (int      weekday,
                         gboolean abbreviated)
{
  g_return_val_if_fail (weekday >= 1 && weekday <= 7, "");

  return g_dpgettext2 (GETTEXT_PACKAGE, "weekday",
                       abbreviated ? weekdays_short[weekday - 1] : weekdays_long[weekday - 1]);
}

/* g_date_time_format() with %a and %A replaced by the translated names. */
static char *
format_with_weekday (GDateTime  *time,
                     const char *format)
{
  int wd = g_date_time_get_day_of_week (time);
  GString *f = g_string_new (NULL);

  for (const char *c = format; *c != '\0'; c++)
    {
      if (c[0] == '%' && (c[1] == 'a' || c[1] == 'A'))
        {
          const char *name = bk_booking_weekday_name (wd, c[1] == 'a');

          for (const char *n = name; *n != '\0'; n++)
            {
              if (*n == '%')
                g_string_append_c (f, '%');
              g_string_append_c (f, *n);
            }
          c++;
        }
      else if (c[0] == '%' && c[1] != '\0')
        {
          g_string_append_len (f, c, 2);
          c++;
        }
      else
        g_string_append_c (f, *c);
    }
  {
    char *out = g_date_time_format (time, f->str);

    g_string_free (f, TRUE);
    return out;
  }
}

char *
bk_booking_format_time (gint64     utc,
                        GTimeZone *tz)
{
  g_autoptr(GDateTime) u = g_date_time_new_from_unix_utc (utc);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (u, tz);

  /* Translators: a meeting time in a sentence, a g_date_time_format() format:
   * e.g. "Mon 2026-12-07 09:00" (%a is the "weekday" abbreviation translated
   * here, not the C library's). */
  return format_with_weekday (local, C_("booking time", "%a %Y-%m-%d %H:%M"));
}

char *
bk_booking_format_date (gint64     utc,
                        GTimeZone *tz)
{
  g_autoptr(GDateTime) u = g_date_time_new_from_unix_utc (utc);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (u, tz);

  /* Translators: a meeting date in a sentence, a g_date_time_format() format:
   * e.g. "Mon 2026-12-07". */
  return format_with_weekday (local, C_("booking date", "%a %Y-%m-%d"));
}
