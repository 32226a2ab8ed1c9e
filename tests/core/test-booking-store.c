/* test-booking-store.c: bookings.ics written and read back, atomically
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestBookingStore"

#include "config.h"

#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <libical/ical.h>
#include <glib/gstdio.h>

#include "bk-booking-export.h"
#include "bk-booking-file.h"
#include "bk-booking-ical.h"
#include "bk-booking-store.h"
#include "bk-test-util.h"

static char *
make_dir (const char *name)
{
  char *dir = g_build_filename (bk_test_get_tmpdir (), name, NULL);

  bk_test_rm_rf (dir);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return dir;
}

static GDateTime *
local (const char *zone,
       int y, int mo, int d, int h, int mi)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zone);

  return g_date_time_new (tz, y, mo, d, h, mi, 0);
}

/* Loading and flushing, waited for on the main loop. */

typedef struct
{
  gboolean done;
  gboolean ok;
  GError  *error;
} Wait;

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;

  w->ok = bk_booking_store_load_finish (BK_BOOKING_STORE (source), result, &w->error);
  w->done = TRUE;
}

static void
flush_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Wait *w = user_data;

  w->ok = bk_booking_store_flush_finish (BK_BOOKING_STORE (source), result, &w->error);
  w->done = TRUE;
}

static gboolean
is_done (gpointer data)
{
  return ((Wait *) data)->done;
}

static gboolean
load (BkBookingStore *store,
      GError        **error)
{
  Wait w = { 0 };

  bk_booking_store_load_async (store, NULL, load_cb, &w);
  bk_test_wait_until (is_done, &w, 20000);
  if (w.error != NULL)
    g_propagate_error (error, w.error);
  return w.ok;
}

static gboolean
flush (BkBookingStore *store,
       GError        **error)
{
  Wait w = { 0 };

  bk_booking_store_flush_async (store, NULL, flush_cb, &w);
  bk_test_wait_until (is_done, &w, 20000);
  if (w.error != NULL)
    g_propagate_error (error, w.error);
  return w.ok;
}

static BkBookingStore *
open_store (const char *dir)
{
  g_autoptr(BkBookingFile) file = bk_booking_file_new (dir);

  return bk_booking_store_new (BK_BOOKING_BACKEND (file), BK_BOOKING_DEFAULT_EARLY_JOIN);
}

static BkDevice *
make_bridge (const char *id,
             guint       quantity)
{
  BkDevice *d = g_object_new (BK_TYPE_DEVICE, "id", id, "address", "cms.example.com", NULL);

  bk_device_set_name (d, id);
  bk_device_set_domain (d, "meet.example.com");
  bk_device_set_numeric_id_base (d, 7001);
  bk_device_set_numeric_id_quantity (d, quantity);
  return d;
}

typedef struct
{
  BkBookingRules  rules;
  GPtrArray      *bridges;
} Rules;

static void
rules_init (Rules *r)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 12, 1, 0, 0, 0);

  r->bridges = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (r->bridges, make_bridge ("bridge-a", 50));
  r->rules.now = g_date_time_to_unix (now);
  r->rules.bridges = r->bridges;
  r->rules.preferred_bridge_id = NULL;
}

static void
rules_clear (Rules *r)
{
  g_ptr_array_unref (r->bridges);
}

/* Every field, with text that needs escaping. */
static BkBooking *
full_booking (void)
{
  g_autoptr(GDateTime) start = local ("Europe/Berlin", 2026, 12, 7, 23, 30);
  g_autoptr(GDateTime) end = local ("Europe/Berlin", 2026, 12, 8, 0, 45);
  g_autoptr(GDateTime) cancelled = local ("Europe/Berlin", 2026, 12, 9, 23, 30);
  g_autoptr(GDateTime) moved = local ("Europe/Berlin", 2026, 12, 10, 23, 30);
  g_autoptr(GDateTime) moved_start = local ("Europe/Berlin", 2026, 12, 11, 8, 0);
  g_autoptr(GDateTime) moved_end = local ("Europe/Berlin", 2026, 12, 11, 9, 15);
  BkBooking *b = bk_booking_new ("Board; review, “Q4” \\ 董事會", "Europe/Berlin", start, end);

  b->recurrence.kind = BK_RECURRENCE_WEEKLY;
  b->recurrence.weekdays = BK_WEEKDAY_MONDAY | BK_WEEKDAY_WEDNESDAY | BK_WEEKDAY_THURSDAY;
  b->recurrence.interval = 1;
  g_date_set_dmy (&b->recurrence.until, 31, 3, 2027);
  bk_booking_set_exception (b, cancelled, NULL, NULL);
  bk_booking_set_exception (b, moved, moved_start, moved_end);
  b->type = BK_BOOKING_TYPE_ONE_BUTTON_TO_PUSH;
  b->has_pin = TRUE;
  b->extend_mode = BK_EXTEND_AUTOMATIC;
  bk_booking_set_string (&b->owner, "Lin, Mei-Ling; IT\nroom 3");
  bk_booking_set_string (&b->notes, "Line one\nLine two; with, commas");
  bk_booking_add_participant (b, "Alice \"Al\" Example", "alice@example.com", BK_DIAL_OUT);
  bk_booking_add_participant (b, "", "sip:Room.101@example.com", BK_DIAL_IN);
  bk_booking_add_participant (b, "王小明", "+886 2 1234-5678", BK_DIAL_OUT);
  bk_booking_add_participant (b, "Desk", "tel:+15551234", BK_DIAL_IN);
  return b;
}

/* Field by field first (to say what differs), then bk_booking_equal(). */
static void
assert_same (const BkBooking *a,
             const BkBooking *b)
{
  g_assert_nonnull (a);
  g_assert_cmpstr (a->uid, ==, b->uid);
  g_assert_cmpuint (a->sequence, ==, b->sequence);
  g_assert_cmpstr (a->title, ==, b->title);
  g_assert_cmpstr (a->time_zone, ==, b->time_zone);
  g_assert_cmpint (g_date_time_to_unix (a->start), ==, g_date_time_to_unix (b->start));
  g_assert_cmpint (g_date_time_to_unix (a->end), ==, g_date_time_to_unix (b->end));
  g_assert_cmpint (a->recurrence.kind, ==, b->recurrence.kind);
  g_assert_cmpuint (a->recurrence.count, ==, b->recurrence.count);
  g_assert_cmpuint (a->recurrence.interval, ==, b->recurrence.interval);
  g_assert_cmpuint (a->recurrence.weekdays, ==, b->recurrence.weekdays);
  g_assert_cmpint (a->recurrence.position, ==, b->recurrence.position);
  g_assert_cmpuint (a->exceptions->len, ==, b->exceptions->len);
  g_assert_cmpint (a->type, ==, b->type);
  g_assert_cmpint (a->automatic_bridge, ==, b->automatic_bridge);
  g_assert_cmpstr (a->bridge_id, ==, b->bridge_id);
  g_assert_cmpuint (a->slot_number, ==, b->slot_number);
  g_assert_cmpstr (a->slot_address, ==, b->slot_address);
  g_assert_cmpint (a->has_pin, ==, b->has_pin);
  g_assert_cmpint (a->extend_mode, ==, b->extend_mode);
  g_assert_cmpstr (a->owner, ==, b->owner);
  g_assert_cmpstr (a->notes, ==, b->notes);
  g_assert_cmpint (g_date_time_to_unix (a->created), ==, g_date_time_to_unix (b->created));
  g_assert_cmpint (g_date_time_to_unix (a->modified), ==, g_date_time_to_unix (b->modified));
  g_assert_cmpuint (a->participants->len, ==, b->participants->len);
  for (guint i = 0; i < a->participants->len; i++)
    {
      const BkParticipant *pa = g_ptr_array_index (a->participants, i);
      const BkParticipant *pb = g_ptr_array_index (b->participants, i);

      g_assert_cmpstr (pa->name, ==, pb->name);
      g_assert_cmpstr (pa->address, ==, pb->address);
      g_assert_cmpint (pa->direction, ==, pb->direction);
    }
  g_assert_true (bk_booking_equal (a, b));
}

static void
test_round_trip (void)
{
  g_autofree char *dir = make_dir ("round-trip");
  g_autoptr(BkBookingStore) store = open_store (dir);
  g_autoptr(BkBookingStore) again = NULL;
  g_autoptr(BkBooking) series = full_booking ();
  g_autoptr(BkBooking) monthly = NULL;
  g_autoptr(BkBooking) none = NULL;
  g_autoptr(GDateTime) s1 = local ("America/New_York", 2027, 1, 29, 9, 0);
  g_autoptr(GDateTime) e1 = local ("America/New_York", 2027, 1, 29, 10, 0);
  g_autoptr(GDateTime) s2 = local ("Asia/Taipei", 2027, 2, 3, 14, 0);
  g_autoptr(GDateTime) e2 = local ("Asia/Taipei", 2027, 2, 3, 15, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  Rules r;
  struct stat st;

  rules_init (&r);
  g_assert_true (load (store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bk_booking_store_get_n_bookings (store), ==, 0);

  monthly = bk_booking_new ("Last Friday", "America/New_York", s1, e1);
  monthly->recurrence.kind = BK_RECURRENCE_MONTHLY_BY_WEEKDAY;
  monthly->recurrence.weekdays = BK_WEEKDAY_FRIDAY;
  monthly->recurrence.position = -1;
  monthly->recurrence.count = 12;
  monthly->automatic_bridge = FALSE;
  bk_booking_set_string (&monthly->bridge_id, "bridge-a");
  none = bk_booking_new ("One-off", "Asia/Taipei", s2, e2);
  none->type = BK_BOOKING_TYPE_NO_CONNECT;

  g_assert_true (bk_booking_store_save (store, &r.rules, series, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (bk_booking_store_save (store, &r.rules, monthly, NULL, &error));
  g_assert_true (bk_booking_store_save (store, &r.rules, none, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (series->bridge_id, ==, "bridge-a");
  g_assert_cmpuint (series->slot_number, ==, 7001);
  g_assert_cmpstr (series->slot_address, ==, "7001@meet.example.com");
  g_assert_cmpuint (monthly->slot_number, ==, 7001);   /* never at the same time */
  g_assert_cmpstr (none->bridge_id, ==, "");
  g_assert_true (flush (store, &error));
  g_assert_no_error (error);
  g_assert_null (bk_booking_store_get_save_error (store));

  path = g_build_filename (dir, "bookings.ics", NULL);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* What other programs see: standard properties, parsed by libical. */
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  {
    icalcomponent *cal = icalparser_parse_string (text);
    guint n_events = 0, n_moved = 0;

    g_assert_nonnull (cal);
    g_assert_cmpint (icalcomponent_count_errors (cal), ==, 0);
    for (icalcomponent *c = icalcomponent_get_first_component (cal, ICAL_VEVENT_COMPONENT);
         c != NULL;
         c = icalcomponent_get_next_component (cal, ICAL_VEVENT_COMPONENT))
      {
        n_events++;
        g_assert_nonnull (icalcomponent_get_first_property (c, ICAL_UID_PROPERTY));
        g_assert_nonnull (icalcomponent_get_first_property (c, ICAL_SEQUENCE_PROPERTY));
        g_assert_nonnull (icalcomponent_get_first_property (c, ICAL_DTSTAMP_PROPERTY));
        if (icalcomponent_get_first_property (c, ICAL_RECURRENCEID_PROPERTY) != NULL)
          n_moved++;
      }
    g_assert_cmpuint (n_events, ==, 4);
    g_assert_cmpuint (n_moved, ==, 1);
    icalcomponent_free (cal);
  }
  g_assert_nonnull (strstr (text, "DTSTART;TZID=Europe/Berlin:20261207T233000"));
  g_assert_nonnull (strstr (text, "RRULE:FREQ=WEEKLY;UNTIL=20270331T215959Z;BYDAY=MO,WE,TH"));
  g_assert_nonnull (strstr (text, "EXDATE;TZID=Europe/Berlin:20261209T233000"));
  /* The extend mode: written for the automatic series only (absent: none). */
  g_assert_nonnull (strstr (text, "X-BRIDGEKEEPER-EXTEND:automatic"));
  g_assert_null (strstr (strstr (text, "X-BRIDGEKEEPER-EXTEND:automatic") + 1, "X-BRIDGEKEEPER-EXTEND"));
  g_assert_nonnull (strstr (text, "RECURRENCE-ID;TZID=Europe/Berlin:20261210T233000"));
  g_assert_nonnull (strstr (text, "RRULE:FREQ=MONTHLY;COUNT=12;BYDAY=-1FR"));
  g_assert_nonnull (strstr (text, "X-BRIDGEKEEPER-TYPE:one-button-to-push"));
  g_assert_nonnull (strstr (text, "X-BRIDGEKEEPER-SLOT:7001"));
  g_assert_nonnull (strstr (text, "X-BRIDGEKEEPER-PIN:TRUE"));

  /* Read back by a new store: every field the same. */
  again = open_store (dir);
  g_assert_true (load (again, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bk_booking_store_get_n_bookings (again), ==, 3);
  /* The week of Monday 7 December in Berlin: the series meets on Monday
   * 23:30 (into Tuesday); Wednesday's is cancelled and Thursday's moved to
   * Friday 08:00; the other bookings are in 2027. */
  {
    g_autoptr(GDateTime) monday = local ("Europe/Berlin", 2026, 12, 7, 0, 0);
    gint64 from = g_date_time_to_unix (monday);
    g_autoptr(GArray) week = bk_booking_store_query (again, NULL, from, from + 7 * 24 * 3600);
    g_autoptr(GArray) on_a = bk_booking_store_query (again, "bridge-a", from, from + 7 * 24 * 3600);
    g_autoptr(GArray) on_b = bk_booking_store_query (again, "bridge-b", from, from + 7 * 24 * 3600);

    g_assert_cmpuint (week->len, ==, 2);
    g_assert_false (g_array_index (week, BkIndexedOccurrence, 0).occurrence.moved);
    g_assert_true (g_array_index (week, BkIndexedOccurrence, 1).occurrence.moved);
    g_assert_cmpint (g_array_index (week, BkIndexedOccurrence, 1).occurrence.start, ==,
                     g_date_time_to_unix (monday) + 4 * 24 * 3600 + 8 * 3600);
    g_assert_cmpuint (on_a->len, ==, 2);
    g_assert_cmpuint (on_b->len, ==, 0);
  }
  assert_same (bk_booking_store_lookup (again, series->uid), series);
  assert_same (bk_booking_store_lookup (again, monthly->uid), monthly);
  assert_same (bk_booking_store_lookup (again, none->uid), none);
  {
    BkBooking *b = bk_booking_store_lookup (again, series->uid);
    const BkParticipant *p = g_ptr_array_index (b->participants, 0);

    g_assert_cmpstr (b->owner, ==, "Lin, Mei-Ling; IT\nroom 3");
    g_assert_cmpstr (p->name, ==, "Alice \"Al\" Example");
    g_assert_cmpstr (((BkParticipant *) g_ptr_array_index (b->participants, 2))->address, ==, "+886 2 1234-5678");
  }

  /* A change raises SEQUENCE; cancelling an occurrence too. */
  {
    g_autoptr(BkBooking) copy = bk_booking_copy (bk_booking_store_lookup (again, monthly->uid));
    GArray *occ;

    bk_booking_set_string (&copy->title, "Last Friday (renamed)");
    g_assert_true (bk_booking_store_save (again, &r.rules, copy, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (copy->sequence, ==, monthly->sequence + 1);
    occ = bk_booking_index_get_occurrences (bk_booking_store_get_index (again), monthly->uid);
    g_assert_cmpuint (occ->len, ==, 12);
    g_assert_true (bk_booking_store_cancel_occurrence (again, monthly->uid,
                                                       g_array_index (occ, BkOccurrence, 2).recurrence_id));
    g_assert_false (bk_booking_store_cancel_occurrence (again, monthly->uid, 12345));
    g_assert_cmpuint (bk_booking_store_lookup (again, monthly->uid)->sequence, ==, monthly->sequence + 2);
    g_assert_true (bk_booking_store_remove (again, none->uid));
    g_assert_true (flush (again, &error));
  }
  g_clear_object (&store);
  store = open_store (dir);
  g_assert_true (load (store, &error));
  g_assert_cmpuint (bk_booking_store_get_n_bookings (store), ==, 2);
  g_assert_cmpuint (bk_booking_index_get_occurrences (bk_booking_store_get_index (store), monthly->uid)->len, ==, 11);
  g_assert_cmpstr (bk_booking_store_lookup (store, monthly->uid)->title, ==, "Last Friday (renamed)");

  rules_clear (&r);
}

static void
test_refused_not_saved (void)
{
  g_autofree char *dir = make_dir ("refused");
  g_autoptr(BkBookingStore) store = open_store (dir);
  g_autoptr(GDateTime) s = local ("UTC", 2026, 12, 7, 9, 0);
  g_autoptr(BkBooking) b = bk_booking_new ("   ", "UTC", s, s);
  g_autoptr(GError) error = NULL;
  Rules r;

  rules_init (&r);
  g_assert_true (load (store, &error));
  g_assert_false (bk_booking_store_save (store, &r.rules, b, NULL, &error));
  g_assert_error (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_EMPTY_TITLE);
  g_assert_cmpuint (bk_booking_store_get_n_bookings (store), ==, 0);
  g_assert_true (flush (store, NULL));
  g_assert_false (g_file_test (bk_booking_file_get_path (BK_BOOKING_FILE (bk_booking_store_get_backend (store))),
                               G_FILE_TEST_EXISTS));
  rules_clear (&r);
}

static void
count_changed_cb (BkBookingStore *store,
                  const char     *uid,
                  guint          *count)
{
  g_assert_null (uid);
  (*count)++;
}

/* A copy of @b with its meeting originally at @rid, now from @start to
 * @end, moved an hour later, as a drag in the week grid does (its
 * exception set again). */
static BkBooking *
drag_an_hour_later (BkBooking *b,
                    GDateTime *rid,
                    GDateTime *start,
                    GDateTime *end)
{
  BkBooking *dragged = bk_booking_copy (b);
  g_autoptr(GDateTime) later = g_date_time_add_hours (start, 1);
  g_autoptr(GDateTime) later_end = g_date_time_add_hours (end, 1);

  bk_booking_set_exception (dragged, rid, later, later_end);
  return dragged;
}

/* One meeting of a series moved through the store: checked (not into the
 * past, not onto a full bridge), kept as an exception, read back from the
 * file; the early join followed when it changes. */
static void
test_move_occurrence (void)
{
  g_autofree char *dir = make_dir ("move");
  g_autoptr(BkBookingStore) store = open_store (dir);
  g_autoptr(BkBookingStore) again = NULL;
  g_autoptr(GDateTime) s = local ("Asia/Taipei", 2026, 12, 7, 9, 0);
  g_autoptr(GDateTime) e = local ("Asia/Taipei", 2026, 12, 7, 10, 0);
  g_autoptr(GDateTime) second = local ("Asia/Taipei", 2026, 12, 8, 9, 0);
  g_autoptr(GDateTime) to_start = local ("Asia/Taipei", 2026, 12, 8, 14, 0);
  g_autoptr(GDateTime) to_end = local ("Asia/Taipei", 2026, 12, 8, 15, 30);
  g_autoptr(GDateTime) past = local ("Asia/Taipei", 2026, 11, 30, 14, 0);
  g_autoptr(GDateTime) past_end = local ("Asia/Taipei", 2026, 11, 30, 15, 0);
  g_autoptr(BkBooking) b = bk_booking_new ("Daily", "Asia/Taipei", s, e);
  g_autoptr(GError) error = NULL;
  BkBooking *kept;
  const BkBookingException *x;
  guint sequence;
  Rules r;

  rules_init (&r);
  g_assert_true (load (store, &error));
  b->recurrence.kind = BK_RECURRENCE_DAILY;
  b->recurrence.count = 5;
  g_assert_true (bk_booking_store_save (store, &r.rules, b, NULL, &error));
  sequence = bk_booking_store_lookup (store, b->uid)->sequence;

  /* Not a meeting of the series; into the past. */
  g_assert_false (bk_booking_store_change_occurrence (store, &r.rules, b->uid, g_date_time_to_unix (second) + 60,
                                                    to_start, to_end, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_RECURRENCE);
  g_clear_error (&error);
  g_assert_false (bk_booking_store_change_occurrence (store, &r.rules, b->uid, g_date_time_to_unix (second),
                                                    past, past_end, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_IN_PAST);
  g_clear_error (&error);
  g_assert_cmpuint (bk_booking_store_lookup (store, b->uid)->exceptions->len, ==, 0);

  g_assert_true (bk_booking_store_change_occurrence (store, &r.rules, b->uid, g_date_time_to_unix (second),
                                                   to_start, to_end, "Daily, in room 5", "Room 5\nsecond floor",
                                                   NULL, NULL, &error));
  g_assert_no_error (error);
  kept = bk_booking_store_lookup (store, b->uid);
  g_assert_cmpuint (kept->sequence, >, sequence);
  g_assert_cmpuint (kept->exceptions->len, ==, 1);
  {
    g_autoptr(GArray) day = bk_booking_store_query (store, NULL, g_date_time_to_unix (second),
                                                     g_date_time_to_unix (second) + 86400);

    g_assert_cmpuint (day->len, ==, 1);
    g_assert_true (g_array_index (day, BkIndexedOccurrence, 0).occurrence.moved);
    g_assert_cmpint (g_array_index (day, BkIndexedOccurrence, 0).occurrence.start, ==, g_date_time_to_unix (to_start));
  }

  g_assert_true (flush (store, &error));
  again = open_store (dir);
  g_assert_true (load (again, &error));
  x = g_ptr_array_index (bk_booking_store_lookup (again, b->uid)->exceptions, 0);
  g_assert_false (x->cancelled);
  g_assert_cmpint (g_date_time_to_unix (x->recurrence_id), ==, g_date_time_to_unix (second));
  g_assert_cmpint (g_date_time_to_unix (x->start), ==, g_date_time_to_unix (to_start));
  g_assert_cmpint (g_date_time_to_unix (x->end), ==, g_date_time_to_unix (to_end));
  g_assert_cmpstr (x->title, ==, "Daily, in room 5");
  g_assert_cmpstr (x->notes, ==, "Room 5\nsecond floor");
  g_assert_cmpstr (bk_booking_get_occurrence_title (bk_booking_store_lookup (again, b->uid), g_date_time_to_unix (s)),
                   ==, "Daily");
  g_assert_true (bk_booking_equal (bk_booking_store_lookup (again, b->uid), bk_booking_store_lookup (store, b->uid)));
  /* Moved again (as a drag in the week grid does), it keeps them. */
  {
    g_autoptr(BkBooking) dragged = drag_an_hour_later (bk_booking_store_lookup (again, b->uid), second,
                                                       to_start, to_end);

    g_assert_cmpstr (bk_booking_get_occurrence_title (dragged, g_date_time_to_unix (second)), ==, "Daily, in room 5");
    g_assert_cmpstr (bk_booking_get_occurrence_notes (dragged, g_date_time_to_unix (second)), ==, "Room 5\nsecond floor");
  }

  /* A new early join is used from then on, and said with ::changed. */
  {
    guint changed = 0;
    gulong id = g_signal_connect (again, "changed", G_CALLBACK (count_changed_cb), &changed);

    g_object_set (again, "early-join", (gint64) 600, NULL);
    g_assert_cmpint (bk_booking_store_get_early_join (again), ==, 600);
    g_assert_cmpint (bk_booking_index_get_early_join (bk_booking_store_get_index (again)), ==, 600);
    g_assert_cmpuint (changed, ==, 1);
    g_object_set (again, "early-join", (gint64) 600, NULL);
    g_assert_cmpuint (changed, ==, 1);
    g_signal_handler_disconnect (again, id);
  }
  rules_clear (&r);
}

static GPtrArray *
participants_of (const char *first_name,
                 ...) G_GNUC_NULL_TERMINATED;

/* A participant list: name, address pairs, NULL-terminated. */
static GPtrArray *
participants_of (const char *first_name,
                 ...)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_participant_free);
  va_list args;

  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    {
      const char *address = va_arg (args, const char *);

      g_ptr_array_add (out, bk_participant_new (name, address, BK_DIAL_OUT));
    }
  va_end (args);
  return out;
}

static guint
count_of (const char *haystack,
          const char *needle)
{
  guint n = 0;

  for (const char *p = haystack; (p = strstr (p, needle)) != NULL; p += strlen (needle))
    n++;
  return n;
}

/* One meeting of a series with its own participants (someone joins only
 * that week; everyone away another week): kept as that meeting's
 * exception, written to the file as its RECURRENCE-ID event's ATTENDEEs and
 * read back; the other meetings keep the series'. */
static void
test_occurrence_participants (void)
{
  g_autofree char *dir = make_dir ("occurrence-participants");
  g_autofree char *path = g_build_filename (dir, "bookings.ics", NULL);
  g_autoptr(BkBookingStore) store = open_store (dir);
  g_autoptr(BkBookingStore) again = NULL;
  g_autoptr(GDateTime) s = local ("Asia/Taipei", 2026, 12, 7, 9, 0);
  g_autoptr(GDateTime) e = local ("Asia/Taipei", 2026, 12, 7, 10, 0);
  g_autoptr(GDateTime) week2 = local ("Asia/Taipei", 2026, 12, 14, 9, 0);
  g_autoptr(GDateTime) week2_end = local ("Asia/Taipei", 2026, 12, 14, 10, 0);
  g_autoptr(GDateTime) week3 = local ("Asia/Taipei", 2026, 12, 21, 9, 0);
  g_autoptr(GDateTime) week3_end = local ("Asia/Taipei", 2026, 12, 21, 10, 0);
  g_autoptr(BkBooking) b = bk_booking_new ("Weekly", "Asia/Taipei", s, e);
  g_autoptr(GPtrArray) with_carol = participants_of ("Alice", "alice@example.com",
                                                     "Carol", "carol@example.com", NULL);
  g_autoptr(GPtrArray) nobody = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_participant_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  BkBooking *kept;
  GPtrArray *list;
  Rules r;

  rules_init (&r);
  g_assert_true (load (store, &error));
  b->recurrence.kind = BK_RECURRENCE_WEEKLY;
  b->recurrence.weekdays = BK_WEEKDAY_MONDAY;
  b->recurrence.count = 4;
  bk_booking_add_participant (b, "Alice", "alice@example.com", BK_DIAL_OUT);
  bk_booking_add_participant (b, "Bob", "bob@example.com", BK_DIAL_OUT);
  g_assert_true (bk_booking_store_save (store, &r.rules, b, NULL, &error));
  /* No meeting with its own participants: format 1, which every
   * version reads. */
  {
    g_autofree char *plain = NULL;

    g_assert_true (flush (store, &error));
    g_assert_true (g_file_get_contents (path, &plain, NULL, NULL));
    g_assert_nonnull (strstr (plain, "X-BRIDGEKEEPER-FORMAT:1\r\n"));
  }

  /* Week 2 at its own times: Carol instead of Bob; week 3: nobody. */
  g_assert_true (bk_booking_store_change_occurrence (store, &r.rules, b->uid, g_date_time_to_unix (week2),
                                                     week2, week2_end, NULL, NULL, with_carol, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (bk_booking_store_change_occurrence (store, &r.rules, b->uid, g_date_time_to_unix (week3),
                                                     week3, week3_end, NULL, NULL, nobody, NULL, &error));
  g_assert_no_error (error);
  kept = bk_booking_store_lookup (store, b->uid);
  g_assert_cmpuint (kept->participants->len, ==, 2);
  g_assert_true (bk_participants_equal (bk_booking_get_occurrence_participants (kept, g_date_time_to_unix (s)),
                                        kept->participants));
  g_assert_true (bk_participants_equal (bk_booking_get_occurrence_participants (kept, g_date_time_to_unix (week2)),
                                        with_carol));
  g_assert_cmpuint (bk_booking_get_occurrence_participants (kept, g_date_time_to_unix (week3))->len, ==, 0);
  /* A copy is equal; a copy with another list for week 2 is not. */
  {
    g_autoptr(BkBooking) copy = bk_booking_copy (kept);

    g_assert_true (bk_booking_equal (copy, kept));
    bk_booking_set_exception_participants (copy, g_date_time_to_unix (week2), nobody);
    g_assert_false (bk_booking_equal (copy, kept));
    /* The series' own list again: none of its own. */
    bk_booking_set_exception_participants (copy, g_date_time_to_unix (week2), kept->participants);
    g_assert_null (bk_booking_find_exception (copy, g_date_time_to_unix (week2))->participants);
  }

  g_assert_true (flush (store, &error));
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  /* Format 2 (a Bridgekeeper that knows only 1 opens it read-only and
   * does not drop the meetings' own lists). */
  g_assert_nonnull (strstr (text, "X-BRIDGEKEEPER-FORMAT:2\r\n"));
  /* Alice twice (the series, week 2), Bob and Carol once. */
  g_assert_cmpuint (count_of (text, "ATTENDEE"), ==, 4);
  g_assert_cmpuint (count_of (text, "carol@example.com"), ==, 1);
  g_assert_cmpuint (count_of (text, "bob@example.com"), ==, 1);

  again = open_store (dir);
  g_assert_true (load (again, &error));
  kept = bk_booking_store_lookup (again, b->uid);
  g_assert_true (bk_booking_equal (kept, bk_booking_store_lookup (store, b->uid)));
  list = bk_booking_get_occurrence_participants (kept, g_date_time_to_unix (week2));
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((BkParticipant *) g_ptr_array_index (list, 1))->name, ==, "Carol");
  g_assert_cmpstr (((BkParticipant *) g_ptr_array_index (list, 1))->address, ==, "carol@example.com");
  list = bk_booking_get_occurrence_participants (kept, g_date_time_to_unix (week3));
  g_assert_true (list != kept->participants);
  g_assert_cmpuint (list->len, ==, 0);
  g_assert_true (bk_participants_equal (bk_booking_get_occurrence_participants (kept, g_date_time_to_unix (s)),
                                        kept->participants));

  /* Moved again (a drag in the week grid), week 2 keeps its own. */
  {
    g_autoptr(BkBooking) dragged = drag_an_hour_later (kept, week2, week2, week2_end);

    g_assert_true (bk_participants_equal (bk_booking_get_occurrence_participants (dragged, g_date_time_to_unix (week2)),
                                          with_carol));
  }

  /* Exported: week 2 lists its own people, week 3 nobody, and a meeting
   * with only a title of its own the series' (others read a RECURRENCE-ID
   * event as the whole meeting). */
  {
    g_autoptr(BkBooking) titled = bk_booking_copy (kept);
    g_autoptr(GDateTime) week4 = local ("Asia/Taipei", 2026, 12, 28, 9, 0);
    g_autoptr(GDateTime) week4_end = local ("Asia/Taipei", 2026, 12, 28, 10, 0);
    g_autoptr(GPtrArray) one = g_ptr_array_new ();
    g_autofree char *ics = NULL;
    icalcomponent *cal;
    guint seen = 0;

    bk_booking_set_exception (titled, week4, week4, week4_end);
    bk_booking_set_exception_details (titled, g_date_time_to_unix (week4), "Weekly, last one", NULL);
    g_ptr_array_add (one, titled);
    ics = bk_booking_export_ics (one, NULL);
    cal = icalparser_parse_string (ics);
    g_assert_nonnull (cal);
    for (icalcomponent *ev = icalcomponent_get_first_component (cal, ICAL_VEVENT_COMPONENT);
         ev != NULL;
         ev = icalcomponent_get_next_component (cal, ICAL_VEVENT_COMPONENT))
      {
        icalproperty *rid = icalcomponent_get_first_property (ev, ICAL_RECURRENCEID_PROPERTY);
        GString *who = g_string_new (NULL);

        for (icalproperty *p = icalcomponent_get_first_property (ev, ICAL_ATTENDEE_PROPERTY);
             p != NULL;
             p = icalcomponent_get_next_property (ev, ICAL_ATTENDEE_PROPERTY))
          g_string_append_printf (who, "%s;", icalproperty_get_attendee (p));
        if (rid == NULL)
          g_assert_cmpstr (who->str, ==, "sip:alice@example.com;sip:bob@example.com;");
        else if (icalproperty_get_recurrenceid (rid).day == 14)
          g_assert_cmpstr (who->str, ==, "sip:alice@example.com;sip:carol@example.com;");
        else if (icalproperty_get_recurrenceid (rid).day == 21)
          g_assert_cmpstr (who->str, ==, "");
        else
          g_assert_cmpstr (who->str, ==, "sip:alice@example.com;sip:bob@example.com;");
        g_string_free (who, TRUE);
        seen++;
      }
    g_assert_cmpuint (seen, ==, 4);
    g_assert_null (strstr (ics, "X-BRIDGEKEEPER-PARTICIPANTS"));
    icalcomponent_free (cal);
  }
  rules_clear (&r);
}

/* A file written before meetings had participants of their own: a
 * RECURRENCE-ID event without ATTENDEEs has the series' participants. */
static void
test_occurrence_participants_old_file (void)
{
  const char *text =
    "BEGIN:VCALENDAR\r\nPRODID:-//Bridgekeeper//Bookings//EN\r\nVERSION:2.0\r\n"
    "X-BRIDGEKEEPER-FORMAT:1\r\n"
    "BEGIN:VEVENT\r\nUID:old-series\r\nSEQUENCE:2\r\nDTSTAMP:20261201T000000Z\r\n"
    "SUMMARY:Weekly\r\nCREATED:20261201T000000Z\r\nLAST-MODIFIED:20261201T000000Z\r\n"
    "DTSTART;TZID=UTC:20261207T090000\r\nDTEND;TZID=UTC:20261207T100000\r\n"
    "RRULE:FREQ=WEEKLY;COUNT=3;BYDAY=MO\r\n"
    "ATTENDEE;CN=Alice;X-BRIDGEKEEPER-DIAL=OUT:sip:alice@example.com\r\n"
    "X-BRIDGEKEEPER-TYPE:automatic-connect\r\nEND:VEVENT\r\n"
    "BEGIN:VEVENT\r\nUID:old-series\r\nSEQUENCE:2\r\nDTSTAMP:20261201T000000Z\r\n"
    "SUMMARY:Weekly\r\nRECURRENCE-ID;TZID=UTC:20261214T090000\r\n"
    "DTSTART;TZID=UTC:20261214T110000\r\nDTEND;TZID=UTC:20261214T120000\r\nEND:VEVENT\r\n"
    "END:VCALENDAR\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bookings = bk_booking_ical_read (text, &error);
  BkBooking *b;
  const BkBookingException *x;

  g_assert_no_error (error);
  g_assert_cmpuint (bookings->len, ==, 1);
  b = g_ptr_array_index (bookings, 0);
  g_assert_cmpuint (b->exceptions->len, ==, 1);
  x = g_ptr_array_index (b->exceptions, 0);
  g_assert_null (x->participants);
  g_assert_true (bk_booking_get_occurrence_participants (b, g_date_time_to_unix (x->recurrence_id)) == b->participants);
  g_assert_cmpuint (b->participants->len, ==, 1);
}

static void
test_coalesced (void)
{
  g_autofree char *dir = make_dir ("coalesced");
  g_autoptr(BkBookingStore) store = open_store (dir);
  g_autoptr(BkBookingStore) again = NULL;
  g_autoptr(GError) error = NULL;
  BkBookingFile *file;
  Rules r;

  rules_init (&r);
  g_assert_true (load (store, &error));
  file = BK_BOOKING_FILE (bk_booking_store_get_backend (store));
  for (guint i = 0; i < 300; i++)
    {
      g_autoptr(GDateTime) s = g_date_time_new_utc (2027, 1, 1 + i % 28, 8 + i % 10, 0, 0);
      g_autoptr(GDateTime) e = g_date_time_add_minutes (s, 30);
      g_autofree char *title = g_strdup_printf ("Meeting %u", i);
      g_autoptr(BkBooking) b = bk_booking_new (title, "UTC", s, e);

      g_assert_true (bk_booking_store_save (store, &r.rules, b, NULL, &error));
      g_assert_no_error (error);
    }
  /* 300 saves in one main-loop iteration: one write. */
  g_assert_true (flush (store, &error));
  g_assert_cmpuint (bk_booking_file_get_n_writes (file), ==, 1);

  again = open_store (dir);
  g_assert_true (load (again, &error));
  g_assert_cmpuint (bk_booking_store_get_n_bookings (again), ==, 300);
  rules_clear (&r);
}

static guint
count_prefix (const char *dir,
              const char *prefix)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix))
      n++;
  return n;
}

static void
check_corrupt (const char *name,
               const char *contents,
               gssize      length)
{
  g_autofree char *dir = make_dir (name);
  g_autofree char *path = g_build_filename (dir, "bookings.ics", NULL);
  g_autoptr(BkBookingStore) store = open_store (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *moved_text = NULL;
  BkBookingFile *file = BK_BOOKING_FILE (bk_booking_store_get_backend (store));
  Rules r;

  rules_init (&r);
  g_assert_true (g_file_set_contents (path, contents, length, NULL));

  g_assert_false (load (store, &error));
  g_assert_error (error, BK_BOOKING_STORE_ERROR, BK_BOOKING_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "could not be read and the file was moved aside to"));
  g_assert_cmpstr (bk_booking_store_get_load_error (store), ==, error->message);
  g_assert_nonnull (bk_booking_file_get_corrupt_path (file));
  g_assert_nonnull (strstr (error->message, bk_booking_file_get_corrupt_path (file)));

  /* Nothing lost: the moved file holds exactly what was there. */
  g_assert_true (g_file_get_contents (bk_booking_file_get_corrupt_path (file), &moved_text, NULL, NULL));
  g_assert_cmpmem (moved_text, strlen (moved_text), contents, length < 0 ? strlen (contents) : (gsize) length);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_prefix (dir, "bookings.ics.corrupt-"), ==, 1);

  /* The store works on: a new booking is saved to a new file. */
  {
    g_autoptr(GDateTime) s = g_date_time_new_utc (2027, 1, 4, 9, 0, 0);
    g_autoptr(GDateTime) e = g_date_time_new_utc (2027, 1, 4, 10, 0, 0);
    g_autoptr(BkBooking) b = bk_booking_new ("After the accident", "UTC", s, e);

    g_assert_true (bk_booking_store_save (store, &r.rules, b, NULL, NULL));
    g_assert_true (flush (store, NULL));
    g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
    g_assert_cmpuint (count_prefix (dir, "bookings.ics.corrupt-"), ==, 1);
  }
  rules_clear (&r);
}

static void
test_corrupt_moved_aside (void)
{
  g_autoptr(BkBooking) b = full_booking ();
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  g_autofree char *good = NULL;
  g_autofree char *bad_time = NULL;

  g_ptr_array_add (list, b);
  bk_booking_ical_init ();
  good = bk_booking_ical_write (list);

  check_corrupt ("corrupt-garbage", "\x01\x02 this is not a calendar", -1);
  /* Cut in the middle of a VEVENT (as a non-atomic write would leave it). */
  check_corrupt ("corrupt-truncated", good, strlen (good) / 2);
  check_corrupt ("corrupt-empty", "", 0);
  /* A well-formed calendar whose booking has no time zone. */
  {
    g_auto(GStrv) parts = g_strsplit (good, "DTSTART;TZID=Europe/Berlin:20261207T233000", 2);

    g_assert_cmpuint (g_strv_length (parts), ==, 2);
    bad_time = g_strjoinv ("DTSTART:20261207T233000", parts);
  }
  check_corrupt ("corrupt-floating", bad_time, -1);
}

static void
test_newer_format_left_alone (void)
{
  g_autofree char *dir = make_dir ("too-new");
  g_autofree char *path = g_build_filename (dir, "bookings.ics", NULL);
  g_autoptr(BkBookingStore) store = open_store (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;
  const char *text = "BEGIN:VCALENDAR\r\nPRODID:-//Bridgekeeper//Bookings//EN\r\nVERSION:2.0\r\n"
                     "X-BRIDGEKEEPER-FORMAT:99\r\nEND:VCALENDAR\r\n";
  Rules r;

  rules_init (&r);
  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  g_assert_false (load (store, &error));
  g_assert_error (error, BK_BOOKING_STORE_ERROR, BK_BOOKING_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version of Bridgekeeper (format 99)"));
  g_clear_error (&error);
  g_assert_true (bk_booking_file_get_read_only (BK_BOOKING_FILE (bk_booking_store_get_backend (store))));

  {
    g_autoptr(GDateTime) s = g_date_time_new_utc (2027, 1, 4, 9, 0, 0);
    g_autoptr(GDateTime) e = g_date_time_new_utc (2027, 1, 4, 10, 0, 0);
    g_autoptr(BkBooking) b = bk_booking_new ("Not written", "UTC", s, e);

    g_assert_true (bk_booking_store_save (store, &r.rules, b, NULL, NULL));
    g_assert_false (flush (store, &error));
    g_assert_error (error, BK_BOOKING_STORE_ERROR, BK_BOOKING_STORE_ERROR_READ_ONLY);
    g_assert_cmpstr (bk_booking_store_get_save_error (store), ==, error->message);
  }
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (after, ==, text);
  rules_clear (&r);
}

/* Atomicity: a child process saves in a loop and is killed at random
 * moments; the file must always load, with a generation never older than
 * the last one seen. */

#define SAVE_LOOP_KILLS 30

static int
save_loop (const char *dir)
{
  g_autoptr(BkBookingStore) store = open_store (dir);
  g_autoptr(GError) error = NULL;
  gboolean announced = FALSE;
  guint64 generation = 1;
  Rules r;

  rules_init (&r);
  r.rules.bridges = NULL;
  if (!load (store, &error))
    g_error ("child: %s", error->message);
  {
    g_autoptr(GPtrArray) all = bk_booking_store_dup_bookings (store);

    for (guint i = 0; i < all->len; i++)
      generation = MAX (generation, ((BkBooking *) g_ptr_array_index (all, i))->sequence + 1);
  }

  for (;; generation++)
    {
      /* Three bookings, all of one generation in every file. */
      for (guint i = 0; i < 3; i++)
        {
          g_autoptr(GDateTime) s = g_date_time_new_utc (2027, 1, 4 + i, 9, 0, 0);
          g_autoptr(GDateTime) e = g_date_time_new_utc (2027, 1, 4 + i, 10, 0, 0);
          g_autofree char *uid = g_strdup_printf ("loop-%u", i);
          g_autofree char *notes = g_strnfill (500 * (1 + generation % 7), 'a' + generation % 26);
          g_autoptr(BkBooking) b = bk_booking_new ("Loop", "UTC", s, e);

          bk_booking_set_string (&b->uid, uid);
          bk_booking_set_string (&b->notes, notes);
          b->type = BK_BOOKING_TYPE_NO_CONNECT;
          b->sequence = (guint) generation;
          if (!bk_booking_store_save (store, &r.rules, b, NULL, &error))
            g_error ("child: %s", error->message);
        }
      if (!flush (store, &error))
        g_error ("child: %s", error->message);
      if (!announced)
        {
          g_print ("ready\n");
          fflush (stdout);
          announced = TRUE;
        }
    }
  return 0;
}

static char *self_path;

static void
test_atomic_save_killed (void)
{
  g_autofree char *dir = make_dir ("atomic");
  guint64 last = 0;

  for (guint round = 0; round < SAVE_LOOP_KILLS; round++)
    {
      const char *argv[] = { self_path, "--save-loop", dir, NULL };
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GDataInputStream) out = NULL;
      g_autoptr(BkBookingStore) store = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) all = NULL;
      g_autofree char *line = NULL;
      guint64 generation = 0;

      child = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
      g_assert_no_error (error);
      out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
      line = g_data_input_stream_read_line (out, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (line, ==, "ready");

      g_usleep (g_test_rand_int_range (0, 20000));
      g_subprocess_force_exit (child);
      g_subprocess_wait (child, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_signaled (child));

      store = open_store (dir);
      if (!load (store, &error))
        g_error ("after kill %u the bookings did not load: %s", round, error->message);
      g_assert_cmpuint (bk_booking_store_get_n_bookings (store), ==, 3);
      all = bk_booking_store_dup_bookings (store);
      for (guint i = 0; i < all->len; i++)
        {
          BkBooking *b = g_ptr_array_index (all, i);

          /* Every booking of one file is of the same save. */
          if (i == 0)
            generation = b->sequence;
          g_assert_cmpuint (b->sequence, ==, generation);
          g_assert_cmpuint (strlen (b->notes), ==, 500 * (1 + generation % 7));
        }
      g_assert_cmpuint (generation, >=, last);
      last = generation;

      g_assert_cmpuint (count_prefix (dir, "bookings.ics.corrupt-"), ==, 0);
      /* Unfinished temporaries (bookings.ics.XXXXXX) are removed on load. */
      g_assert_cmpuint (count_prefix (dir, "bookings.ics."), ==, 0);
    }
  g_test_message ("%u kills, last generation %" G_GUINT64_FORMAT, SAVE_LOOP_KILLS, last);
  g_assert_cmpuint (last, >, SAVE_LOOP_KILLS);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "--save-loop"))
    return save_loop (argv[2]);

  self_path = g_canonicalize_filename (argv[0], NULL);
  bk_test_init (&argc, &argv);

  g_test_add_func ("/core/booking/store/round-trip", test_round_trip);
  g_test_add_func ("/core/booking/store/refused-not-saved", test_refused_not_saved);
  g_test_add_func ("/core/booking/store/coalesced", test_coalesced);
  g_test_add_func ("/core/booking/store/move-occurrence", test_move_occurrence);
  g_test_add_func ("/core/booking/store/occurrence-participants", test_occurrence_participants);
  g_test_add_func ("/core/booking/store/occurrence-participants-old-file", test_occurrence_participants_old_file);
  g_test_add_func ("/core/booking/store/corrupt-moved-aside", test_corrupt_moved_aside);
  g_test_add_func ("/core/booking/store/newer-format-left-alone", test_newer_format_left_alone);
  g_test_add_func ("/core/booking/store/atomic-save-killed", test_atomic_save_killed);

  return g_test_run ();
}
