/* bk-booking-export.c: bookings as an iCalendar file for other programs
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkBookingExport"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libical/ical.h>

#include "bk-booking-export.h"
#include "bk-booking-ical.h"

/* Bridgekeeper's own X- properties are for its store, not for others. */
static void
remove_x_properties (icalcomponent *event)
{
  icalproperty *p = icalcomponent_get_first_property (event, ICAL_X_PROPERTY);

  while (p != NULL)
    {
      icalproperty *next = icalcomponent_get_next_property (event, ICAL_X_PROPERTY);

      icalcomponent_remove_property (event, p);
      icalproperty_free (p);
      p = next;
    }
}

static char *
join_details (const BkBooking *b,
              const char      *pin)
{
  GString *text = g_string_new (b->notes);

  if (b->slot_number != 0 && *b->slot_address != '\0')
    {
      g_autofree char *call_id = g_strdup_printf ("%" G_GUINT64_FORMAT, b->slot_number);

      if (text->len > 0)
        g_string_append (text, "\n\n");
      /* Translators: the meeting's address in an exported calendar file. */
      g_string_append_printf (text, _("Join: sip:%s"), b->slot_address);
      g_string_append_c (text, '\n');
      /* Translators: %s is the meeting's numeric call ID (what people dial). */
      g_string_append_printf (text, _("Call ID: %s"), call_id);
      if (pin != NULL && *pin != '\0')
        {
          g_string_append_c (text, '\n');
          g_string_append_printf (text, _("PIN: %s"), pin);
        }
    }

  return g_string_free (text, FALSE);
}

static void
note_tzid (GHashTable   *zones,
           icalproperty *p)
{
  icalparameter *tzid = p != NULL ? icalproperty_get_first_parameter (p, ICAL_TZID_PARAMETER) : NULL;

  if (tzid != NULL)
    g_hash_table_add (zones, g_strdup (icalparameter_get_tzid (tzid)));
}

static icalcomponent *
vtimezone_for (const char *tzid)
{
  icaltimezone *zone = icaltimezone_get_builtin_timezone (tzid);
  icalcomponent *c;
  icalproperty *p;

  if (zone == NULL)
    return NULL;
  c = icalcomponent_new_clone (icaltimezone_get_component (zone));
  /* libical names its built-in zones with a prefix
   * ("/freeassociation.sourceforge.net/Europe/Berlin"); the events use the
   * IANA name, and so must their VTIMEZONE. */
  p = icalcomponent_get_first_property (c, ICAL_TZID_PROPERTY);
  if (p != NULL)
    icalproperty_set_tzid (p, tzid);
  else
    icalcomponent_add_property (c, icalproperty_new_tzid (tzid));
  return c;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

char *
bk_booking_export_ics (GPtrArray  *bookings,
                       GHashTable *pins)
{
  g_autofree char *text = NULL;
  g_autoptr(GHashTable) by_uid = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) events = g_ptr_array_new ();
  g_autoptr(GPtrArray) zone_names = NULL;
  icalcomponent *calendar;
  icalcomponent *c;
  char *out;
  char *result;

  g_return_val_if_fail (bookings != NULL, NULL);

  for (guint i = 0; i < bookings->len; i++)
    {
      BkBooking *b = g_ptr_array_index (bookings, i);

      g_hash_table_insert (by_uid, b->uid, b);
    }

  bk_booking_ical_init ();
  text = bk_booking_ical_write (bookings);
  calendar = icalparser_parse_string (text);
  g_return_val_if_fail (calendar != NULL, NULL);
  remove_x_properties (calendar);
  icalcomponent_add_property (calendar, icalproperty_new_method (ICAL_METHOD_PUBLISH));

  /* Take the events out, to put the time zones first. */
  for (c = icalcomponent_get_first_component (calendar, ICAL_VEVENT_COMPONENT);
       c != NULL;
       c = icalcomponent_get_next_component (calendar, ICAL_VEVENT_COMPONENT))
    g_ptr_array_add (events, c);

  /* A meeting of a series with no participants of its own has the
   * series': other programs read a RECURRENCE-ID event as the whole
   * meeting, so it gets the series' ATTENDEEs. */
  for (guint i = 0; i < events->len; i++)
    {
      icalcomponent *event = g_ptr_array_index (events, i);
      icalcomponent *master = NULL;
      icalproperty *p;

      if (icalcomponent_get_first_property (event, ICAL_RECURRENCEID_PROPERTY) == NULL ||
          icalcomponent_get_first_property (event, ICAL_ATTENDEE_PROPERTY) != NULL)
        continue;
      for (p = icalcomponent_get_first_property (event, ICAL_X_PROPERTY);
           p != NULL;
           p = icalcomponent_get_next_property (event, ICAL_X_PROPERTY))
        if (g_strcmp0 (icalproperty_get_x_name (p), "X-BRIDGEKEEPER-PARTICIPANTS") == 0)
          break;
      if (p != NULL)
        continue;   /* its own list, empty */
      for (guint j = 0; j < events->len && master == NULL; j++)
        {
          icalcomponent *m = g_ptr_array_index (events, j);

          if (icalcomponent_get_first_property (m, ICAL_RECURRENCEID_PROPERTY) == NULL &&
              g_strcmp0 (icalcomponent_get_uid (m), icalcomponent_get_uid (event)) == 0)
            master = m;
        }
      if (master == NULL)
        continue;
      for (p = icalcomponent_get_first_property (master, ICAL_ATTENDEE_PROPERTY);
           p != NULL;
           p = icalcomponent_get_next_property (master, ICAL_ATTENDEE_PROPERTY))
        icalcomponent_add_property (event, icalproperty_new_clone (p));
    }

  for (guint i = 0; i < events->len; i++)
    {
      icalcomponent *event = g_ptr_array_index (events, i);
      BkBooking *b = g_hash_table_lookup (by_uid, icalcomponent_get_uid (event));
      icalproperty *p;

      icalcomponent_remove_component (calendar, event);
      remove_x_properties (event);
      note_tzid (zones, icalcomponent_get_first_property (event, ICAL_DTSTART_PROPERTY));
      note_tzid (zones, icalcomponent_get_first_property (event, ICAL_DTEND_PROPERTY));
      note_tzid (zones, icalcomponent_get_first_property (event, ICAL_RECURRENCEID_PROPERTY));
      note_tzid (zones, icalcomponent_get_first_property (event, ICAL_EXDATE_PROPERTY));

      if (b != NULL)
        {
          g_autofree char *description = join_details (b, pins != NULL ? g_hash_table_lookup (pins, b->uid) : NULL);

          while ((p = icalcomponent_get_first_property (event, ICAL_DESCRIPTION_PROPERTY)) != NULL)
            {
              icalcomponent_remove_property (event, p);
              icalproperty_free (p);
            }
          if (*description != '\0')
            icalcomponent_add_property (event, icalproperty_new_description (description));
          if (*b->slot_address != '\0' &&
              icalcomponent_get_first_property (event, ICAL_LOCATION_PROPERTY) == NULL)
            icalcomponent_add_property (event, icalproperty_new_location (b->slot_address));
        }
    }

  zone_names = g_ptr_array_new ();
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, zones);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      g_ptr_array_add (zone_names, key);
  }
  g_ptr_array_sort (zone_names, compare_strings);
  for (guint i = 0; i < zone_names->len; i++)
    {
      const char *name = g_ptr_array_index (zone_names, i);
      icalcomponent *vtz;

      if (g_strcmp0 (name, "UTC") == 0)
        continue;
      vtz = vtimezone_for (name);
      if (vtz != NULL)
        icalcomponent_add_component (calendar, vtz);
      else
        g_warning ("No VTIMEZONE for %s: other programs may read its times as floating", name);
    }
  for (guint i = 0; i < events->len; i++)
    icalcomponent_add_component (calendar, g_ptr_array_index (events, i));

  out = icalcomponent_as_ical_string_r (calendar);
  result = g_strdup (out);
  icalmemory_free_buffer (out);
  icalcomponent_free (calendar);
  return result;
}

static int
compare_by_start (gconstpointer a,
                  gconstpointer b)
{
  const BkBooking *x = *(BkBooking **) a;
  const BkBooking *y = *(BkBooking **) b;

  return g_date_time_compare (x->start, y->start);
}

GPtrArray *
bk_booking_export_collect (BkBookingStore *store,
                           gint64          from,
                           gint64          to)
{
  g_autoptr(GArray) occurrences = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *bookings = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_booking_unref);

  g_return_val_if_fail (BK_IS_BOOKING_STORE (store), bookings);

  occurrences = bk_booking_store_query (store, NULL, from, to);
  for (guint i = 0; occurrences != NULL && i < occurrences->len; i++)
    {
      BkIndexedOccurrence *o = &g_array_index (occurrences, BkIndexedOccurrence, i);

      if (g_hash_table_add (seen, o->booking->uid))
        g_ptr_array_add (bookings, bk_booking_ref (o->booking));
    }
  g_ptr_array_sort (bookings, compare_by_start);
  return bookings;
}
