/* bk-booking-ical.c: bookings as iCalendar text
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkBookingIcal"

#include "config.h"

#include <string.h>
#include <libical/ical.h>

#include "bk-booking-ical.h"
#include "bk-booking-private.h"

G_DEFINE_QUARK (bk-booking-store-error-quark, bk_booking_store_error)

#define X_FORMAT       "X-BRIDGEKEEPER-FORMAT"
#define X_TYPE         "X-BRIDGEKEEPER-TYPE"
#define X_ROUTING      "X-BRIDGEKEEPER-ROUTING"
#define X_BRIDGE       "X-BRIDGEKEEPER-BRIDGE"
#define X_SLOT         "X-BRIDGEKEEPER-SLOT"
#define X_SLOT_ADDRESS "X-BRIDGEKEEPER-SLOT-ADDRESS"
#define X_PIN          "X-BRIDGEKEEPER-PIN"
#define X_EXTEND       "X-BRIDGEKEEPER-EXTEND"
#define X_OWNER        "X-BRIDGEKEEPER-OWNER"
#define X_DIAL         "X-BRIDGEKEEPER-DIAL"
#define X_PLAIN        "X-BRIDGEKEEPER-PLAIN"
#define X_PARTICIPANTS "X-BRIDGEKEEPER-PARTICIPANTS"

void
bk_booking_ical_init (void)
{
  /* Sets up libical's static UTC zone here, in the main thread. */
  (void) icaltimezone_get_utc_timezone ();
}

/* Writing */

static struct icaltimetype
ical_local (GDateTime *dt)
{
  struct icaltimetype t = icaltime_null_time ();

  t.year = g_date_time_get_year (dt);
  t.month = g_date_time_get_month (dt);
  t.day = g_date_time_get_day_of_month (dt);
  t.hour = g_date_time_get_hour (dt);
  t.minute = g_date_time_get_minute (dt);
  t.second = g_date_time_get_second (dt);
  t.is_date = 0;
  return t;
}

static struct icaltimetype
ical_utc (gint64 unix_time)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (unix_time);
  struct icaltimetype t = ical_local (dt);

  t.zone = icaltimezone_get_utc_timezone ();
  return t;
}

static icalproperty *
with_tzid (icalproperty *prop,
           const char   *tzid)
{
  icalproperty_add_parameter (prop, icalparameter_new_tzid (tzid));
  return prop;
}

static void
add_x (icalcomponent *c,
       const char    *name,
       const char    *value)
{
  icalproperty *p = icalproperty_new_x (value);

  icalproperty_set_x_name (p, name);
  icalcomponent_add_property (c, p);
}

/* libical writes X- values as they are and splits them at commas when it
 * reads them: escape them as RFC 5545 TEXT ourselves. */
static char *
escape_text (const char *value)
{
  GString *s = g_string_new (NULL);

  for (const char *p = value; *p != '\0'; p++)
    switch (*p)
      {
      case '\\': g_string_append (s, "\\\\"); break;
      case ';': g_string_append (s, "\\;"); break;
      case ',': g_string_append (s, "\\,"); break;
      case '\n': g_string_append (s, "\\n"); break;
      case '\r': break;
      default: g_string_append_c (s, *p);
      }
  return g_string_free (s, FALSE);
}

static char *
unescape_text (const char *value)
{
  GString *s = g_string_new (NULL);

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p != '\\' || p[1] == '\0')
        {
          g_string_append_c (s, *p);
          continue;
        }
      p++;
      g_string_append_c (s, (*p == 'n' || *p == 'N') ? '\n' : *p);
    }
  return g_string_free (s, FALSE);
}

static void
add_x_text (icalcomponent *c,
            const char    *name,
            const char    *value)
{
  g_autofree char *escaped = escape_text (value);

  add_x (c, name, escaped);
}

static icalproperty *
new_attendee (const BkParticipant *p)
{
  g_autofree char *uri = NULL;
  gboolean plain = FALSE;
  icalproperty *prop;
  icalparameter *param;

  if (strchr (p->address, ':') != NULL &&
      (g_ascii_strncasecmp (p->address, "sip:", 4) == 0 ||
       g_ascii_strncasecmp (p->address, "sips:", 5) == 0 ||
       g_ascii_strncasecmp (p->address, "tel:", 4) == 0))
    uri = g_strdup (p->address);
  else
    {
      plain = TRUE;
      uri = g_strconcat (bk_participant_address_is_number (p->address) ? "tel:" : "sip:",
                         p->address, NULL);
    }

  prop = icalproperty_new_attendee (uri);
  if (*p->name != '\0')
    icalproperty_add_parameter (prop, icalparameter_new_cn (p->name));
  param = icalparameter_new_x (p->direction == BK_DIAL_OUT ? "OUT" : "IN");
  icalparameter_set_xname (param, X_DIAL);
  icalproperty_add_parameter (prop, param);
  if (plain)
    {
      param = icalparameter_new_x ("TRUE");
      icalparameter_set_xname (param, X_PLAIN);
      icalproperty_add_parameter (prop, param);
    }
  return prop;
}

static struct icalrecurrencetype
rule_for_file (const BkBooking *b)
{
  const BkRecurrence *r = &b->recurrence;
  struct icalrecurrencetype rule = bk_booking_rule_shape (b);

  if (r->count > 0)
    rule.count = (int) r->count;
  else
    {
      /* UNTIL is in UTC (RFC 5545 with a TZID start): the end of the until
       * date in the booking's zone. */
      g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (b->time_zone);
      gint64 until = bk_local_to_utc (tz, g_date_get_year (&r->until), g_date_get_month (&r->until),
                                      g_date_get_day (&r->until), 23, 59, 59);

      rule.until = ical_utc (until);
    }
  return rule;
}

static void
add_common (icalcomponent   *c,
            const BkBooking *b)
{
  icalcomponent_add_property (c, icalproperty_new_uid (b->uid));
  icalcomponent_add_property (c, icalproperty_new_sequence ((int) b->sequence));
  icalcomponent_add_property (c, icalproperty_new_dtstamp (ical_utc (g_date_time_to_unix (b->modified))));
  icalcomponent_add_property (c, icalproperty_new_summary (b->title));
}

static icalcomponent *
master_event (const BkBooking *b)
{
  icalcomponent *c = icalcomponent_new (ICAL_VEVENT_COMPONENT);
  g_autofree char *slot = g_strdup_printf ("%" G_GUINT64_FORMAT, b->slot_number);

  add_common (c, b);
  icalcomponent_add_property (c, icalproperty_new_created (ical_utc (g_date_time_to_unix (b->created))));
  icalcomponent_add_property (c, icalproperty_new_lastmodified (ical_utc (g_date_time_to_unix (b->modified))));
  icalcomponent_add_property (c, with_tzid (icalproperty_new_dtstart (ical_local (b->start)), b->time_zone));
  icalcomponent_add_property (c, with_tzid (icalproperty_new_dtend (ical_local (b->end)), b->time_zone));
  if (*b->notes != '\0')
    icalcomponent_add_property (c, icalproperty_new_description (b->notes));
  if (*b->slot_address != '\0')
    icalcomponent_add_property (c, icalproperty_new_location (b->slot_address));

  if (b->recurrence.kind != BK_RECURRENCE_NONE)
    {
      icalcomponent_add_property (c, icalproperty_new_rrule (rule_for_file (b)));
      for (guint i = 0; i < b->exceptions->len; i++)
        {
          const BkBookingException *e = g_ptr_array_index (b->exceptions, i);

          if (e->cancelled)
            icalcomponent_add_property (c, with_tzid (icalproperty_new_exdate (ical_local (e->recurrence_id)),
                                                      b->time_zone));
        }
    }

  for (guint i = 0; i < b->participants->len; i++)
    icalcomponent_add_property (c, new_attendee (g_ptr_array_index (b->participants, i)));

  add_x (c, X_TYPE, bk_booking_type_to_string (b->type));
  add_x (c, X_ROUTING, b->automatic_bridge ? "automatic" : "chosen");
  if (*b->bridge_id != '\0')
    add_x_text (c, X_BRIDGE, b->bridge_id);
  if (b->slot_number != 0)
    {
      add_x (c, X_SLOT, slot);
      add_x_text (c, X_SLOT_ADDRESS, b->slot_address);
    }
  add_x (c, X_PIN, b->has_pin ? "TRUE" : "FALSE");
  /* TMS's Extend Mode; absent (older files) means none. */
  if (b->extend_mode == BK_EXTEND_AUTOMATIC)
    add_x (c, X_EXTEND, "automatic");
  if (*b->owner != '\0')
    add_x_text (c, X_OWNER, b->owner);
  return c;
}

static icalcomponent *
moved_event (const BkBooking          *b,
             const BkBookingException *e)
{
  icalcomponent *c = icalcomponent_new (ICAL_VEVENT_COMPONENT);

  add_common (c, b);
  /* This meeting's own title and notes, when it has them. */
  if (e->title != NULL)
    icalcomponent_set_summary (c, e->title);
  if (e->notes != NULL && *e->notes != '\0')
    icalcomponent_add_property (c, icalproperty_new_description (e->notes));
  icalcomponent_add_property (c, with_tzid (icalproperty_new_recurrenceid (ical_local (e->recurrence_id)),
                                            b->time_zone));
  icalcomponent_add_property (c, with_tzid (icalproperty_new_dtstart (ical_local (e->start)), b->time_zone));
  icalcomponent_add_property (c, with_tzid (icalproperty_new_dtend (ical_local (e->end)), b->time_zone));
  /* This meeting's own participants, as ATTENDEEs like the series'; the
   * marker keeps an own list that is empty (everyone removed) apart from
   * no list of its own (the series', and files written before). */
  if (e->participants != NULL)
    {
      for (guint i = 0; i < e->participants->len; i++)
        icalcomponent_add_property (c, new_attendee (g_ptr_array_index (e->participants, i)));
      add_x (c, X_PARTICIPANTS, "OWN");
    }
  return c;
}

static void
append_component (GString       *out,
                  icalcomponent *c)
{
  char *text = icalcomponent_as_ical_string_r (c);

  g_string_append (out, text);
  icalmemory_free_buffer (text);
  icalcomponent_free (c);
}

char *
bk_booking_ical_write (GPtrArray *bookings)
{
  GString *out = g_string_sized_new (700 * (bookings->len + 1));
  int format = 1;

  for (guint i = 0; i < bookings->len && format < 2; i++)
    if (bk_booking_has_occurrence_participants (g_ptr_array_index (bookings, i)))
      format = 2;

  /* One event at a time, so that no tree of the whole calendar is held. */
  g_string_append (out, "BEGIN:VCALENDAR\r\n"
                        "PRODID:-//Bridgekeeper//Bookings//EN\r\n"
                        "VERSION:2.0\r\n");
  g_string_append_printf (out, X_FORMAT ":%d\r\n", format);

  for (guint i = 0; i < bookings->len; i++)
    {
      const BkBooking *b = g_ptr_array_index (bookings, i);

      append_component (out, master_event (b));
      if (b->recurrence.kind == BK_RECURRENCE_NONE)
        continue;
      for (guint j = 0; j < b->exceptions->len; j++)
        {
          const BkBookingException *e = g_ptr_array_index (b->exceptions, j);

          if (!e->cancelled)
            append_component (out, moved_event (b, e));
        }
    }

  g_string_append (out, "END:VCALENDAR\r\n");
  return g_string_free (out, FALSE);
}

/* Reading */

static gboolean
corrupt (GError    **error,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static gboolean
corrupt (GError    **error,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, BK_BOOKING_STORE_ERROR, BK_BOOKING_STORE_ERROR_CORRUPT, message);
  return FALSE;
}

static const char *
x_value (icalcomponent *c,
         const char    *name)
{
  for (icalproperty *p = icalcomponent_get_first_property (c, ICAL_X_PROPERTY);
       p != NULL;
       p = icalcomponent_get_next_property (c, ICAL_X_PROPERTY))
    if (g_ascii_strcasecmp (icalproperty_get_x_name (p), name) == 0)
      return icalproperty_get_x (p);
  return NULL;
}

/* An X- value written by add_x_text(); "" when absent. */
static char *
x_text (icalcomponent *c,
        const char    *name)
{
  const char *v = x_value (c, name);

  return v != NULL ? unescape_text (v) : g_strdup ("");
}

static const char *
x_param (icalproperty *prop,
         const char   *name)
{
  for (icalparameter *p = icalproperty_get_first_parameter (prop, ICAL_X_PARAMETER);
       p != NULL;
       p = icalproperty_get_next_parameter (prop, ICAL_X_PARAMETER))
    if (g_ascii_strcasecmp (icalparameter_get_xname (p), name) == 0)
      return icalparameter_get_xvalue (p);
  return NULL;
}

static gboolean
valid_fields (const struct icaltimetype *t)
{
  return !icaltime_is_null_time (*t) && !t->is_date &&
         t->month >= 1 && t->month <= 12 && t->day >= 1 &&
         t->day <= g_date_get_days_in_month (t->month, t->year) &&
         t->hour <= 23 && t->minute <= 59 && t->second <= 60;
}

/* A DATE-TIME with its TZID (or in UTC) as a GDateTime in @zone. */
static GDateTime *
read_time (icalproperty *prop,
           struct icaltimetype t,
           const char   *zone,
           const char   *what,
           GError      **error)
{
  icalparameter *tzid = icalproperty_get_first_parameter (prop, ICAL_TZID_PARAMETER);
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GTimeZone) own = NULL;
  g_autoptr(GDateTime) u = NULL;
  gint64 when;

  if (!valid_fields (&t))
    return (corrupt (error, "%s is not a date and time", what), NULL);

  own = g_time_zone_new_identifier (zone);
  if (own == NULL)
    return (corrupt (error, "unknown time zone “%s”", zone), NULL);

  if (icaltime_is_utc (t))
    tz = g_time_zone_new_utc ();
  else if (tzid != NULL)
    {
      tz = g_time_zone_new_identifier (icalparameter_get_tzid (tzid));
      if (tz == NULL)
        return (corrupt (error, "unknown time zone “%s”", icalparameter_get_tzid (tzid)), NULL);
    }
  else
    return (corrupt (error, "%s has no time zone", what), NULL);

  when = bk_local_to_utc (tz, t.year, t.month, t.day, t.hour, t.minute, t.second);
  u = g_date_time_new_from_unix_utc (when);
  return g_date_time_to_timezone (u, own);
}

static GDateTime *
read_utc (icalcomponent     *c,
          icalproperty_kind  kind,
          GError           **error)
{
  icalproperty *p = icalcomponent_get_first_property (c, kind);
  struct icaltimetype t;
  g_autoptr(GTimeZone) utc = NULL;

  if (p == NULL)
    return g_date_time_new_now_utc ();
  t = icalvalue_get_datetime (icalproperty_get_value (p));
  if (!valid_fields (&t))
    return (corrupt (error, "a time stamp is not a date and time"), NULL);
  utc = g_time_zone_new_utc ();
  return g_date_time_new (utc, t.year, t.month, t.day, t.hour, t.minute, t.second);
}

static const char *
tzid_of (icalproperty *p)
{
  icalparameter *tzid = p != NULL ? icalproperty_get_first_parameter (p, ICAL_TZID_PARAMETER) : NULL;

  return tzid != NULL ? icalparameter_get_tzid (tzid) : NULL;
}

static gboolean
read_rule (BkBooking    *b,
           icalproperty *prop,
           GError      **error)
{
  struct icalrecurrencetype rule = icalproperty_get_rrule (prop);
  BkRecurrence *r = &b->recurrence;
  guint n_days = 0;

  if (rule.by_second[0] != ICAL_RECURRENCE_ARRAY_MAX || rule.by_minute[0] != ICAL_RECURRENCE_ARRAY_MAX || rule.by_hour[0] != ICAL_RECURRENCE_ARRAY_MAX ||
      rule.by_year_day[0] != ICAL_RECURRENCE_ARRAY_MAX || rule.by_week_no[0] != ICAL_RECURRENCE_ARRAY_MAX ||
      rule.by_month[0] != ICAL_RECURRENCE_ARRAY_MAX || rule.by_set_pos[0] != ICAL_RECURRENCE_ARRAY_MAX)
    return corrupt (error, "unsupported repeat rule");

  r->interval = (guint) MAX (1, rule.interval);
  for (; n_days < ICAL_BY_DAY_SIZE && rule.by_day[n_days] != ICAL_RECURRENCE_ARRAY_MAX; n_days++)
    {
      int wd = icalrecurrencetype_day_day_of_week (rule.by_day[n_days]);   /* 1 = Sunday */
      int iso = wd == 1 ? 7 : wd - 1;

      if (wd < 1 || wd > 7)
        return corrupt (error, "unsupported repeat rule (day)");
      r->weekdays |= BK_WEEKDAY_FROM_ISO (iso);
      r->position = icalrecurrencetype_day_position (rule.by_day[n_days]);
    }

  switch (rule.freq)
    {
    case ICAL_DAILY_RECURRENCE:
      if (n_days > 0 || rule.by_month_day[0] != ICAL_RECURRENCE_ARRAY_MAX)
        return corrupt (error, "unsupported daily repeat rule");
      r->kind = BK_RECURRENCE_DAILY;
      break;
    case ICAL_WEEKLY_RECURRENCE:
      if (r->position != 0 || rule.by_month_day[0] != ICAL_RECURRENCE_ARRAY_MAX)
        return corrupt (error, "unsupported weekly repeat rule");
      if (n_days == 0)
        r->weekdays = BK_WEEKDAY_FROM_ISO (g_date_time_get_day_of_week (b->start));
      r->kind = BK_RECURRENCE_WEEKLY;
      break;
    case ICAL_MONTHLY_RECURRENCE:
      if (n_days == 1 && r->position != 0 && rule.by_month_day[0] == ICAL_RECURRENCE_ARRAY_MAX)
        r->kind = BK_RECURRENCE_MONTHLY_BY_WEEKDAY;
      else if (n_days == 0 &&
               (rule.by_month_day[0] == ICAL_RECURRENCE_ARRAY_MAX ||
                (rule.by_month_day[0] == g_date_time_get_day_of_month (b->start) &&
                 rule.by_month_day[1] == ICAL_RECURRENCE_ARRAY_MAX)))
        r->kind = BK_RECURRENCE_MONTHLY_BY_DATE;
      else
        return corrupt (error, "unsupported monthly repeat rule");
      break;
    default:
      return corrupt (error, "unsupported repeat frequency");
    }
  if (r->kind != BK_RECURRENCE_MONTHLY_BY_WEEKDAY)
    r->position = 0;
  if (r->kind == BK_RECURRENCE_DAILY || r->kind == BK_RECURRENCE_MONTHLY_BY_DATE)
    r->weekdays = 0;

  if (rule.count > 0)
    r->count = (guint) rule.count;
  else if (!icaltime_is_null_time (rule.until))
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
      g_autoptr(GTimeZone) own = g_time_zone_new_identifier (b->time_zone);
      g_autoptr(GDateTime) u = NULL;
      g_autoptr(GDateTime) l = NULL;

      if (rule.until.is_date)
        u = g_date_time_new (own, rule.until.year, rule.until.month, rule.until.day, 12, 0, 0);
      else if (icaltime_is_utc (rule.until))
        u = g_date_time_new (utc, rule.until.year, rule.until.month, rule.until.day,
                             rule.until.hour, rule.until.minute, rule.until.second);
      else
        u = g_date_time_new (own, rule.until.year, rule.until.month, rule.until.day,
                             rule.until.hour, rule.until.minute, rule.until.second);
      if (u == NULL)
        return corrupt (error, "the end of a series is not a date");
      l = g_date_time_to_timezone (u, own);
      g_date_set_dmy (&r->until, g_date_time_get_day_of_month (l), g_date_time_get_month (l),
                      g_date_time_get_year (l));
    }
  else
    return corrupt (error, "a series has no end");
  return TRUE;
}

static BkParticipant *
read_attendee (icalproperty *prop)
{
  const char *uri = icalproperty_get_attendee (prop);
  icalparameter *cn = icalproperty_get_first_parameter (prop, ICAL_CN_PARAMETER);
  const char *dial = x_param (prop, X_DIAL);
  const char *plain = x_param (prop, X_PLAIN);
  const char *address = uri != NULL ? uri : "";

  if (plain != NULL && g_ascii_strcasecmp (plain, "TRUE") == 0)
    {
      if (g_ascii_strncasecmp (address, "sip:", 4) == 0 || g_ascii_strncasecmp (address, "tel:", 4) == 0)
        address += 4;
    }
  return bk_participant_new (cn != NULL ? icalparameter_get_cn (cn) : "",
                             address,
                             dial != NULL && g_ascii_strcasecmp (dial, "IN") == 0 ? BK_DIAL_IN : BK_DIAL_OUT);
}

static BkBooking *
read_master (icalcomponent *c,
             GError       **error)
{
  g_autoptr(BkBooking) b = bk_booking_new_empty ();
  icalproperty *dtstart = icalcomponent_get_first_property (c, ICAL_DTSTART_PROPERTY);
  icalproperty *dtend = icalcomponent_get_first_property (c, ICAL_DTEND_PROPERTY);
  icalproperty *p;
  const char *zone;
  const char *v;

  bk_booking_set_string (&b->uid, icalcomponent_get_uid (c));
  if ((p = icalcomponent_get_first_property (c, ICAL_SEQUENCE_PROPERTY)) != NULL)
    b->sequence = (guint) MAX (0, icalproperty_get_sequence (p));
  if ((p = icalcomponent_get_first_property (c, ICAL_SUMMARY_PROPERTY)) != NULL)
    bk_booking_set_string (&b->title, icalproperty_get_summary (p));
  if ((p = icalcomponent_get_first_property (c, ICAL_DESCRIPTION_PROPERTY)) != NULL)
    bk_booking_set_string (&b->notes, icalproperty_get_description (p));

  if (dtstart == NULL || dtend == NULL)
    return (corrupt (error, "booking %s has no start or end", b->uid), NULL);
  zone = tzid_of (dtstart);
  bk_booking_set_string (&b->time_zone, zone != NULL ? zone : "UTC");
  if ((b->start = read_time (dtstart, icalproperty_get_dtstart (dtstart), b->time_zone, "DTSTART", error)) == NULL ||
      (b->end = read_time (dtend, icalproperty_get_dtend (dtend), b->time_zone, "DTEND", error)) == NULL)
    return NULL;

  g_clear_pointer (&b->created, g_date_time_unref);
  g_clear_pointer (&b->modified, g_date_time_unref);
  if ((b->created = read_utc (c, ICAL_CREATED_PROPERTY, error)) == NULL ||
      (b->modified = read_utc (c, ICAL_LASTMODIFIED_PROPERTY, error)) == NULL)
    return NULL;

  if ((p = icalcomponent_get_first_property (c, ICAL_RRULE_PROPERTY)) != NULL)
    {
      if (!read_rule (b, p, error))
        return NULL;
      for (p = icalcomponent_get_first_property (c, ICAL_EXDATE_PROPERTY);
           p != NULL;
           p = icalcomponent_get_next_property (c, ICAL_EXDATE_PROPERTY))
        {
          g_autoptr(GDateTime) when = read_time (p, icalproperty_get_exdate (p), b->time_zone, "EXDATE", error);

          if (when == NULL)
            return NULL;
          bk_booking_set_exception (b, when, NULL, NULL);
        }
    }

  for (p = icalcomponent_get_first_property (c, ICAL_ATTENDEE_PROPERTY);
       p != NULL;
       p = icalcomponent_get_next_property (c, ICAL_ATTENDEE_PROPERTY))
    g_ptr_array_add (b->participants, read_attendee (p));

  if ((v = x_value (c, X_TYPE)) != NULL && !bk_booking_type_from_string (v, &b->type))
    return (corrupt (error, "booking %s has an unknown type “%s”", b->uid, v), NULL);
  v = x_value (c, X_ROUTING);
  b->automatic_bridge = v == NULL || g_ascii_strcasecmp (v, "chosen") != 0;
  g_free (b->bridge_id);
  b->bridge_id = x_text (c, X_BRIDGE);
  if ((v = x_value (c, X_SLOT)) != NULL &&
      !g_ascii_string_to_unsigned (v, 10, 0, G_MAXUINT64, &b->slot_number, NULL))
    return (corrupt (error, "booking %s has a slot that is not a number", b->uid), NULL);
  g_free (b->slot_address);
  b->slot_address = x_text (c, X_SLOT_ADDRESS);
  v = x_value (c, X_PIN);
  b->has_pin = v != NULL && g_ascii_strcasecmp (v, "TRUE") == 0;
  /* An unknown mode (a newer Bridgekeeper's) ends the meeting on time. */
  v = x_value (c, X_EXTEND);
  b->extend_mode = v != NULL && g_ascii_strcasecmp (v, "automatic") == 0 ? BK_EXTEND_AUTOMATIC : BK_EXTEND_NONE;
  g_free (b->owner);
  b->owner = x_text (c, X_OWNER);

  return g_steal_pointer (&b);
}

/* The start of the next line that begins with @what (at or after @from),
 * or NULL. */
static const char *
find_line (const char *from,
           const char *what)
{
  gsize n = strlen (what);

  for (const char *p = from; (p = strstr (p, what)) != NULL; p += n)
    if (p == from || p[-1] == '\n')
      return p;
  return NULL;
}

static const char *
next_line (const char *p)
{
  const char *nl = strchr (p, '\n');

  return nl != NULL ? nl + 1 : p + strlen (p);
}

static gboolean
read_moved (GHashTable    *by_uid,
            icalcomponent *c,
            GError       **error)
{
  icalproperty *rid = icalcomponent_get_first_property (c, ICAL_RECURRENCEID_PROPERTY);
  icalproperty *dtstart = icalcomponent_get_first_property (c, ICAL_DTSTART_PROPERTY);
  icalproperty *dtend = icalcomponent_get_first_property (c, ICAL_DTEND_PROPERTY);
  g_autoptr(GDateTime) id = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  BkBooking *b;

  b = g_hash_table_lookup (by_uid, icalcomponent_get_uid (c) != NULL ? icalcomponent_get_uid (c) : "");
  if (b == NULL || b->recurrence.kind == BK_RECURRENCE_NONE)
    return corrupt (error, "a moved meeting belongs to no series");
  if (dtstart == NULL || dtend == NULL)
    return corrupt (error, "a moved meeting of %s has no start or end", b->uid);
  if ((id = read_time (rid, icalproperty_get_recurrenceid (rid), b->time_zone, "RECURRENCE-ID", error)) == NULL ||
      (start = read_time (dtstart, icalproperty_get_dtstart (dtstart), b->time_zone, "DTSTART", error)) == NULL ||
      (end = read_time (dtend, icalproperty_get_dtend (dtend), b->time_zone, "DTEND", error)) == NULL)
    return FALSE;
  bk_booking_set_exception (b, id, start, end);
  /* A title or notes unlike the series' are this meeting's own. */
  bk_booking_set_exception_details (b, g_date_time_to_unix (id), icalcomponent_get_summary (c),
                                    icalcomponent_get_first_property (c, ICAL_DESCRIPTION_PROPERTY) != NULL
                                    ? icalcomponent_get_description (c) : NULL);
  /* ATTENDEEs (or the marker of an empty list) are this meeting's own
   * participants; without them it has the series'. */
  {
    const char *own = x_value (c, X_PARTICIPANTS);
    g_autoptr(GPtrArray) participants = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_participant_free);
    icalproperty *p;

    for (p = icalcomponent_get_first_property (c, ICAL_ATTENDEE_PROPERTY);
         p != NULL;
         p = icalcomponent_get_next_property (c, ICAL_ATTENDEE_PROPERTY))
      g_ptr_array_add (participants, read_attendee (p));
    if (participants->len > 0 || (own != NULL && g_ascii_strcasecmp (own, "OWN") == 0))
      bk_booking_set_exception_participants (b, g_date_time_to_unix (id), participants);
  }
  return TRUE;
}

GPtrArray *
bk_booking_ical_read (const char  *text,
                      GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_booking_unref);
  g_autoptr(GPtrArray) moved = g_ptr_array_new_with_free_func ((GDestroyNotify) icalcomponent_free);
  g_autoptr(GHashTable) by_uid = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  g_autofree char *head_text = NULL;
  const char *first_event;
  const char *p;
  icalcomponent *head;
  const char *format;
  guint64 version = 0;

  /* A file cut short would still parse: insist on its first and last lines. */
  if (!g_str_has_prefix (trimmed, "BEGIN:VCALENDAR") || !g_str_has_suffix (trimmed, "END:VCALENDAR"))
    return (corrupt (error, "the file is not a whole calendar"), NULL);

  /* The calendar's own properties (and any time zones) come before the
   * first event; the events are parsed one at a time, so no tree of the
   * whole file is ever held. */
  first_event = find_line (trimmed, "BEGIN:VEVENT");
  {
    gsize head_len = first_event != NULL ? (gsize) (first_event - trimmed) : strlen (trimmed) - strlen ("END:VCALENDAR");

    head_text = g_strdup_printf ("%.*sEND:VCALENDAR\r\n", (int) head_len, trimmed);
  }
  head = icalparser_parse_string (head_text);
  if (head == NULL || icalcomponent_isa (head) != ICAL_VCALENDAR_COMPONENT ||
      icalcomponent_count_errors (head) > 0)
    {
      g_clear_pointer (&head, icalcomponent_free);
      return (corrupt (error, "the file is not a calendar"), NULL);
    }
  format = x_value (head, X_FORMAT);
  if (format != NULL && !g_ascii_string_to_unsigned (format, 10, 1, G_MAXINT, &version, NULL))
    {
      corrupt (error, "unknown format “%s”", format);
      icalcomponent_free (head);
      return NULL;
    }
  icalcomponent_free (head);
  if (version > BK_BOOKING_ICAL_FORMAT_VERSION)
    {
      g_set_error (error, BK_BOOKING_STORE_ERROR, BK_BOOKING_STORE_ERROR_TOO_NEW, "%" G_GUINT64_FORMAT, version);
      return NULL;
    }

  for (p = first_event; p != NULL; )
    {
      const char *end = find_line (p, "END:VEVENT");
      g_autofree char *block = NULL;
      icalcomponent *c;
      BkBooking *b;

      if (end == NULL)
        return (corrupt (error, "an event has no end"), NULL);
      end = next_line (end);
      block = g_strndup (p, end - p);
      c = icalparser_parse_string (block);
      if (c == NULL || icalcomponent_isa (c) != ICAL_VEVENT_COMPONENT || icalcomponent_count_errors (c) > 0)
        {
          g_clear_pointer (&c, icalcomponent_free);
          return (corrupt (error, "an event has lines that are not iCalendar"), NULL);
        }

      /* Only events, blank lines or other whole components follow. */
      p = find_line (end, "BEGIN:VEVENT");

      if (icalcomponent_get_first_property (c, ICAL_RECURRENCEID_PROPERTY) != NULL)
        {
          g_ptr_array_add (moved, c);
          continue;
        }
      if (icalcomponent_get_uid (c) == NULL || *icalcomponent_get_uid (c) == '\0')
        {
          icalcomponent_free (c);
          return (corrupt (error, "a booking has no UID"), NULL);
        }
      if (g_hash_table_contains (by_uid, icalcomponent_get_uid (c)))
        {
          corrupt (error, "two bookings have the UID %s", icalcomponent_get_uid (c));
          icalcomponent_free (c);
          return NULL;
        }
      b = read_master (c, error);
      icalcomponent_free (c);
      if (b == NULL)
        return NULL;
      g_ptr_array_add (out, b);
      g_hash_table_insert (by_uid, b->uid, b);
    }

  for (guint i = 0; i < moved->len; i++)
    if (!read_moved (by_uid, g_ptr_array_index (moved, i), error))
      return NULL;

  return g_steal_pointer (&out);
}
