/* test-booking-rules.c: every booking rule, with its sentence
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestBookingRules"

#include "config.h"

#include <locale.h>
#include <stdarg.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "bk-booking-rules.h"
#include "bk-test-util.h"

typedef struct
{
  BkBookingIndex *index;
  GPtrArray      *bridges;
  BkBookingRules  rules;
} Fixture;

static BkDevice *
make_bridge (const char *id,
             const char *name,
             guint64     base,
             guint       quantity,
             const char *domain)
{
  BkDevice *d = g_object_new (BK_TYPE_DEVICE, "id", id, "address", "cms.example.com", NULL);

  bk_device_set_name (d, name);
  bk_device_set_domain (d, domain);
  bk_device_set_numeric_id_base (d, base);
  bk_device_set_numeric_id_quantity (d, quantity);
  return d;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 12, 7, 0, 0, 0);   /* a Monday */
  BkDevice *d;

  f->index = bk_booking_index_new (BK_BOOKING_DEFAULT_EARLY_JOIN);
  f->bridges = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (f->bridges, make_bridge ("a", "Core A", 1001, 3, "a.example.com"));
  g_ptr_array_add (f->bridges, make_bridge ("b", "Core B", 2001, 2, "b.example.com"));
  /* C: no extended settings. */
  d = g_object_new (BK_TYPE_DEVICE, "id", "c", "address", "c.example.com", NULL);
  bk_device_set_name (d, "Core C");
  g_ptr_array_add (f->bridges, d);
  /* D: no Book permission.  E: booking turned off. */
  d = make_bridge ("d", "Core D", 4001, 10, "d.example.com");
  bk_device_set_access_levels (d, BK_ACCESS_LEVEL_READ);
  g_ptr_array_add (f->bridges, d);
  d = make_bridge ("e", "Core E", 5001, 10, "e.example.com");
  bk_device_set_allow_booking (d, FALSE);
  g_ptr_array_add (f->bridges, d);

  f->rules.now = g_date_time_to_unix (now);
  f->rules.bridges = f->bridges;
  f->rules.preferred_bridge_id = NULL;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  bk_booking_index_free (f->index);
  g_ptr_array_unref (f->bridges);
}

static BkBooking *
make_in (const char *zone,
         const char *title,
         int y, int mo, int d, int h, int mi,
         int minutes,
         const char *bridge)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zone);
  g_autoptr(GDateTime) start = g_date_time_new (tz, y, mo, d, h, mi, 0);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, minutes);
  BkBooking *b = bk_booking_new (title, zone, start, end);

  if (bridge != NULL)
    {
      b->automatic_bridge = FALSE;
      bk_booking_set_string (&b->bridge_id, bridge);
    }
  return b;
}

static BkBooking *
make (const char *title,
      int d, int h, int mi,
      int minutes,
      const char *bridge)
{
  return make_in ("UTC", title, 2026, 12, d, h, mi, minutes, bridge);
}

/* Checks @b and, when accepted, keeps it as the store would. */
static gboolean
book (Fixture    *f,
      BkBooking  *b,
      GError    **error)
{
  g_autoptr(BkBookingPlan) plan = NULL;

  if (!bk_booking_rules_check (&f->rules, f->index, b, &plan, NULL, error))
    return FALSE;
  bk_booking_set_string (&b->bridge_id, plan->bridge != NULL ? bk_device_get_id (plan->bridge) : "");
  b->slot_number = plan->slot_number;
  bk_booking_set_string (&b->slot_address, plan->slot_address);
  g_assert_true (bk_booking_index_put (f->index, b));
  return TRUE;
}

static void
book_ok (Fixture   *f,
         BkBooking *b)
{
  g_autoptr(GError) error = NULL;

  if (!book (f, b, &error))
    g_error ("“%s” was refused: %s", b->title, error->message);
}

static char *
refused (Fixture        *f,
         BkBooking      *b,
         BkBookingError  code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (book (f, b, &error));
  g_assert_error (error, BK_BOOKING_ERROR, (int) code);
  g_test_message ("%s", error->message);
  return g_strdup (error->message);
}

static void
test_basic (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(BkBooking) untitled = make (" \t ", 8, 9, 0, 60, "a");
  g_autoptr(BkBooking) backwards = make ("Backwards", 8, 9, 0, 60, "a");
  g_autoptr(BkBooking) zero = make ("Zero", 8, 9, 0, 0, "a");
  g_autoptr(BkBooking) past = make_in ("UTC", "Past", 2026, 12, 6, 23, 0, 60, "a");
  g_autoptr(BkBooking) zone = make ("Zone", 8, 9, 0, 60, "a");
  g_autofree char *m = NULL;

  m = refused (f, untitled, BK_BOOKING_ERROR_EMPTY_TITLE);
  g_assert_cmpstr (m, ==, "The meeting has no title. Enter a title.");
  g_clear_pointer (&m, g_free);

  {
    g_autoptr(GDateTime) end = g_date_time_add_hours (backwards->start, -1);
    g_autoptr(GDateTime) start = g_date_time_ref (backwards->start);

    bk_booking_set_times (backwards, "UTC", start, end);
  }
  m = refused (f, backwards, BK_BOOKING_ERROR_BAD_TIMES);
  g_assert_cmpstr (m, ==, "The meeting ends before it starts. Choose an end time after the start.");
  g_clear_pointer (&m, g_free);
  g_free (refused (f, zero, BK_BOOKING_ERROR_BAD_TIMES));

  m = refused (f, past, BK_BOOKING_ERROR_IN_PAST);
  g_assert_cmpstr (m, ==, "The meeting would start in the past (Sun 2026-12-06 23:00). Choose a later start.");
  g_clear_pointer (&m, g_free);

  bk_booking_set_string (&zone->time_zone, "Mars/Olympus_Mons");
  m = refused (f, zone, BK_BOOKING_ERROR_TIME_ZONE);
  g_assert_cmpstr (m, ==, "The time zone “Mars/Olympus_Mons” is not known. Choose a time zone from the list.");
  g_assert_cmpuint (bk_booking_index_get_n_bookings (f->index), ==, 0);
}

static void
test_addresses (Fixture       *f,
                gconstpointer  data)
{
  const char *good[] = { "alice@example.com", "sip:bob@10.0.0.1", "sips:carol@[2001:db8::1]:5061",
                         "SIP:Dave.Smith@Example.COM", "+886 2 1234 5678", "tel:+15551234", "(02) 1234-5678",
                         "room-101@cms.example.com:5060" };
  const char *bad[] = { "alice", "alice@", "@example.com", "alice@exa mple.com", "a@b@c.com",
                        "+12a", "tel:", "sip:", "alice smith@example.com" };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      if (!bk_participant_validate_address (good[i], &error))
        g_error ("“%s” refused: %s", good[i], error->message);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (bk_participant_validate_address (bad[i], &error));
      g_assert_error (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_ADDRESS);
    }

  {
    g_autoptr(BkBooking) b = make ("Addresses", 8, 9, 0, 60, "a");
    g_autofree char *m = NULL;

    bk_booking_add_participant (b, "Alice", "alice@example.com", BK_DIAL_OUT);
    bk_booking_add_participant (b, "Bob", "bob at example.com", BK_DIAL_OUT);
    m = refused (f, b, BK_BOOKING_ERROR_ADDRESS);
    g_assert_cmpstr (m, ==, "“bob at example.com” is not a valid SIP address. Enter it as name@domain, for example alice@example.com, or enter a number.");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (bk_participant_validate_address ("+1 (555) 12x", &error));
    g_assert_cmpstr (error->message, ==, "“+1 (555) 12x” is not a valid SIP address. Enter it as name@domain, for example alice@example.com, or enter a number.");
    g_clear_error (&error);
    g_assert_false (bk_participant_validate_address ("tel:+1-", &error));
    g_assert_cmpstr (error->message, ==, "“tel:+1-” is not a valid number. Enter digits, optionally starting with +.");
  }

  /* The same participant, however it is written. */
  {
    g_autofree char *k1 = bk_participant_address_key ("SIP:Alice@Example.COM");
    g_autofree char *k2 = bk_participant_address_key ("alice@example.com");
    g_autofree char *k3 = bk_participant_address_key ("tel:+886-2-1234 5678");
    g_autofree char *k4 = bk_participant_address_key ("+886 2 12345678");
    g_autofree char *k5 = bk_participant_address_key ("bob@example.com");

    g_assert_cmpstr (k1, ==, k2);
    g_assert_cmpstr (k3, ==, k4);
    g_assert_cmpstr (k1, !=, k5);
  }
}

static void
test_bridges (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(BkBooking) c = make ("On C", 8, 9, 0, 60, "c");
  g_autoptr(BkBooking) d = make ("On D", 8, 9, 0, 60, "d");
  g_autoptr(BkBooking) e = make ("On E", 8, 9, 0, 60, "e");
  g_autoptr(BkBooking) gone = make ("Gone", 8, 9, 0, 60, "zz");
  g_autofree char *m = NULL;

  m = refused (f, c, BK_BOOKING_ERROR_BRIDGE_NOT_READY);
  g_assert_cmpstr (m, ==, "“Core C” cannot take bookings until its extended settings (domain and numeric ID range) are set. Set them in the bridge’s settings, or choose another bridge.");
  g_clear_pointer (&m, g_free);
  m = refused (f, d, BK_BOOKING_ERROR_NOT_ALLOWED);
  g_assert_cmpstr (m, ==, "You do not have permission to book meetings on “Core D”. Ask for Book permission, or choose another bridge.");
  g_clear_pointer (&m, g_free);
  m = refused (f, e, BK_BOOKING_ERROR_NOT_ALLOWED);
  g_assert_cmpstr (m, ==, "Booking is turned off for “Core E” (Allow Booking). Turn it on in the bridge’s settings, or choose another bridge.");
  g_clear_pointer (&m, g_free);
  m = refused (f, gone, BK_BOOKING_ERROR_NO_BRIDGE);
  g_assert_cmpstr (m, ==, "The bridge chosen for this meeting is not in the list of bridges. Choose another bridge, or Automatic.");
  g_clear_pointer (&m, g_free);

  /* Automatic with no bridge that can book. */
  {
    g_autoptr(BkBooking) automatic = make ("Anywhere", 8, 9, 0, 60, NULL);

    g_ptr_array_remove_range (f->bridges, 0, 2);
    m = refused (f, automatic, BK_BOOKING_ERROR_NO_BRIDGE);
    g_assert_cmpstr (m, ==, "No bridge can take bookings yet. Add a bridge and set its domain and numeric ID range, or book the meeting as No Connect.");
  }

  /* No Connect needs no bridge at all. */
  {
    g_autoptr(BkBooking) none = make ("Rooms only", 8, 9, 0, 60, NULL);
    g_autoptr(BkBookingPlan) plan = NULL;
    g_autoptr(GError) error = NULL;

    none->type = BK_BOOKING_TYPE_NO_CONNECT;
    f->rules.bridges = NULL;
    g_assert_true (bk_booking_rules_check (&f->rules, f->index, none, &plan, NULL, &error));
    g_assert_no_error (error);
    g_assert_null (plan->bridge);
    g_assert_cmpuint (plan->slot_number, ==, 0);
    g_assert_cmpstr (plan->slot_address, ==, "");
  }
}

static void
test_capacity (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(BkBooking) one = make ("One", 7, 9, 0, 60, "a");
  g_autoptr(BkBooking) two = make ("Two", 7, 9, 0, 60, "a");
  g_autoptr(BkBooking) three = make ("Three", 7, 9, 0, 60, "a");
  g_autoptr(BkBooking) four = make ("Four", 7, 9, 30, 60, "a");
  g_autoptr(BkBooking) early = make ("Early join", 7, 10, 3, 30, "a");
  g_autoptr(BkBooking) after = make ("After", 7, 10, 5, 30, "a");
  g_autoptr(BkBooking) before = make ("Before", 7, 8, 0, 55, "a");
  g_autoptr(BkBookingConflict) conflict = NULL;
  g_autoptr(GError) error = NULL;

  book_ok (f, one);
  book_ok (f, two);
  book_ok (f, three);
  g_assert_cmpuint (one->slot_number, ==, 1001);
  g_assert_cmpuint (two->slot_number, ==, 1002);
  g_assert_cmpuint (three->slot_number, ==, 1003);
  g_assert_cmpstr (three->slot_address, ==, "1003@a.example.com");

  g_assert_false (bk_booking_rules_check (&f->rules, f->index, four, NULL, &conflict, &error));
  g_assert_error (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_CAPACITY);
  /* Four holds its slot from 09:25 (early join): full until the others end. */
  g_assert_cmpstr (error->message, ==,
                   "“Core A” has no free meeting slot from Mon 2026-12-07 09:25 to Mon 2026-12-07 10:00: "
                   "its 3 slots are taken by “One”, “Two” and “Three”. "
                   "The next free time for a meeting this long is Mon 2026-12-07 10:05.");
  g_assert_nonnull (conflict);
  g_assert_cmpstr (conflict->bridge_id, ==, "a");
  g_assert_cmpuint (conflict->in_the_way->len, ==, 3);
  g_assert_cmpuint (conflict->dates->len, ==, 1);
  g_assert_cmpint (conflict->next_free, ==, g_date_time_to_unix (four->start) + 35 * 60);

  /* The early join counts: 10:03 needs a slot from 09:58. */
  g_free (refused (f, early, BK_BOOKING_ERROR_CAPACITY));
  book_ok (f, after);
  g_assert_cmpuint (after->slot_number, ==, 1001);
  /* Ending when the others' early join starts is fine (half-open times). */
  book_ok (f, before);
  g_assert_cmpuint (before->slot_number, ==, 1001);

  /* A change of a booking does not clash with itself, and keeps its slot. */
  {
    g_autoptr(BkBooking) renamed = bk_booking_copy (two);

    bk_booking_set_string (&renamed->title, "Two, renamed");
    book_ok (f, renamed);
    g_assert_cmpuint (renamed->slot_number, ==, 1002);
    g_assert_cmpuint (bk_booking_index_get_n_bookings (f->index), ==, 5);
  }
}

static void
test_next_free_walks (Fixture       *f,
                      gconstpointer  data)
{
  /* B has 2 slots; 9-10 and 10-11 are full, and so is 11:05-12:00 once one
   * slot is taken: the next time a 60-minute meeting fits is 12:05. */
  const struct { const char *title; int h, mi, len; } taken[] = {
    { "B1", 9, 0, 60 }, { "B2", 9, 0, 60 },
    { "B3", 10, 5, 55 }, { "B4", 10, 5, 55 },
    { "B5", 11, 5, 55 },
    { "B6", 11, 30, 30 },
  };
  g_autoptr(BkBooking) late = make ("Late", 9, 9, 30, 60, "b");
  g_autoptr(BkBookingConflict) conflict = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (taken); i++)
    {
      g_autoptr(BkBooking) b = make (taken[i].title, 9, taken[i].h, taken[i].mi, taken[i].len, "b");

      book_ok (f, b);
    }
  g_assert_false (bk_booking_rules_check (&f->rules, f->index, late, NULL, &conflict, &error));
  g_assert_error (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_CAPACITY);
  g_assert_nonnull (strstr (error->message, "The next free time for a meeting this long is Wed 2026-12-09 12:05."));
}

static void
test_automatic_routing (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(BkBooking) first = make ("First", 8, 14, 0, 60, NULL);
  g_autofree char *m = NULL;

  /* Without a preference: the list's order, skipping bridges that cannot book. */
  book_ok (f, first);
  g_assert_cmpstr (first->bridge_id, ==, "a");
  g_assert_true (first->automatic_bridge);

  /* Preferred B while it has room, then A. */
  f->rules.preferred_bridge_id = "b";
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *title = g_strdup_printf ("Auto %u", i);
      g_autoptr(BkBooking) b = make (title, 8, 14, 0, 60, NULL);

      book_ok (f, b);
      g_assert_cmpstr (b->bridge_id, ==, i < 2 ? "b" : "a");
      g_assert_cmpuint (b->slot_number, ==, i < 2 ? 2001 + i : 1002 + (i - 2));
    }

  /* Both full: refused on the preferred bridge, and said so. */
  {
    g_autoptr(BkBooking) full = make ("One too many", 8, 14, 0, 60, NULL);

    m = refused (f, full, BK_BOOKING_ERROR_CAPACITY);
    g_assert_true (g_str_has_prefix (m, "“Core B” has no free meeting slot from Tue 2026-12-08 13:55 to Tue 2026-12-08 15:00: its 2 slots are taken by “Auto 0” and “Auto 1”."));
    g_assert_true (g_str_has_suffix (m, "No other bridge has room at that time either."));
  }

  /* A preferred bridge that cannot book is passed over. */
  {
    g_autoptr(BkBooking) other = make ("Elsewhere", 8, 16, 0, 60, NULL);

    f->rules.preferred_bridge_id = "c";
    book_ok (f, other);
    g_assert_cmpstr (other->bridge_id, ==, "a");
  }

  /* A change of an automatic booking stays on its bridge while it fits. */
  {
    g_autoptr(BkBooking) moved = NULL;
    BkBooking *on_b = NULL;
    guint64 slot;
    g_autoptr(GArray) at_two = bk_booking_index_query (f->index, "b", g_date_time_to_unix (first->start),
                                                       g_date_time_to_unix (first->end));

    g_assert_cmpuint (at_two->len, ==, 2);
    on_b = g_array_index (at_two, BkIndexedOccurrence, 0).booking;
    moved = bk_booking_copy (on_b);
    slot = on_b->slot_number;   /* on_b goes when the index replaces it */
    f->rules.preferred_bridge_id = "a";
    book_ok (f, moved);
    g_assert_cmpstr (moved->bridge_id, ==, "b");
    g_assert_cmpuint (moved->slot_number, ==, slot);
  }
}

static void
test_slot_binding (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BkBooking) x = make ("X", 8, 9, 0, 60, "a");
  g_autoptr(BkBooking) y = make ("Y", 8, 9, 0, 60, "a");
  g_autoptr(BkBooking) z = make ("Z", 8, 11, 0, 60, "a");
  g_autoptr(BkBooking) w = make ("W", 8, 9, 30, 120, "a");
  g_autoptr(BkBooking) p = make ("P", 14, 16, 0, 60, "b");
  g_autoptr(BkBooking) r = make ("R", 15, 16, 0, 60, "b");
  g_autoptr(BkBooking) q = make ("Q", 15, 16, 0, 60, "b");
  g_autoptr(BkBooking) series = make ("Series", 14, 16, 0, 60, "b");
  g_autofree char *m = NULL;

  book_ok (f, x);
  book_ok (f, y);
  book_ok (f, z);
  g_assert_cmpuint (z->slot_number, ==, 1001);   /* the lowest free at its time */
  book_ok (f, w);
  g_assert_cmpuint (w->slot_number, ==, 1003);   /* 1001 and 1002 are busy during it */

  /* Capacity allows a series that no single slot can serve. */
  book_ok (f, p);
  book_ok (f, r);
  book_ok (f, q);
  g_assert_cmpuint (p->slot_number, ==, 2001);
  g_assert_cmpuint (q->slot_number, ==, 2002);
  g_assert_true (bk_booking_index_remove (f->index, r->uid));
  series->recurrence.kind = BK_RECURRENCE_DAILY;
  series->recurrence.count = 2;
  m = refused (f, series, BK_BOOKING_ERROR_NO_SLOT);
  g_assert_cmpstr (m, ==, "Every meeting slot of “Core B” is taken at some time during this series, so no single meeting address can serve all of its meetings. Book the meetings that clash separately, or choose another bridge.");
}

static void
test_series_dates (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BkBooking) week = make ("Stand-up", 7, 9, 30, 15, "a");
  g_autoptr(BkBooking) fortnight = make ("Long stand-up", 7, 9, 30, 15, "b");
  g_autoptr(BkBookingConflict) conflict = NULL;
  g_autoptr(GError) error = NULL;

  /* Tuesday and Thursday are full on A. */
  for (int day = 8; day <= 10; day += 2)
    for (guint i = 0; i < 3; i++)
      {
        g_autofree char *title = g_strdup_printf ("Full %d/%u", day, i);
        g_autoptr(BkBooking) b = make (title, day, 9, 0, 60, "a");

        book_ok (f, b);
      }
  week->recurrence.kind = BK_RECURRENCE_WEEKLY;
  week->recurrence.weekdays = BK_WEEKDAY_MONDAY | BK_WEEKDAY_TUESDAY | BK_WEEKDAY_WEDNESDAY |
                              BK_WEEKDAY_THURSDAY | BK_WEEKDAY_FRIDAY;
  week->recurrence.count = 5;
  g_assert_false (bk_booking_rules_check (&f->rules, f->index, week, NULL, &conflict, &error));
  g_assert_error (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_CAPACITY);
  g_assert_nonnull (strstr (error->message, "The series does not fit on Tue 2026-12-08 and Thu 2026-12-10."));
  g_assert_cmpuint (conflict->dates->len, ==, 2);
  /* Each refused meeting gets its own offer, saying which one it replaces:
   * A is free again at 10:00, so the 15 minutes (with the 5-minute early
   * join from 10:00) fit from 10:05. */
  g_assert_nonnull (strstr (error->message,
                            "The next free times for meetings this long: Tue 2026-12-08 10:05 instead of "
                            "Tue 2026-12-08 09:30 and Thu 2026-12-10 10:05 instead of Thu 2026-12-10 09:30."));
  g_assert_null (strstr (error->message, "The next free time for a meeting this long is"));
  g_assert_cmpuint (conflict->next_free_times->len, ==, 2);
  g_assert_cmpint (g_array_index (conflict->next_free_times, gint64, 0), ==, conflict->next_free);
  g_assert_cmpint (g_array_index (conflict->next_free_times, gint64, 1), ==,
                   g_array_index (conflict->dates, gint64, 1) + 35 * 60);
  g_clear_error (&error);
  g_clear_pointer (&conflict, bk_booking_conflict_free);

  /* Two daily series fill B for ten days: ten dates, five named. */
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *title = g_strdup_printf ("Daily %u", i);
      g_autoptr(BkBooking) b = make (title, 7, 9, 0, 60, "b");

      b->recurrence.kind = BK_RECURRENCE_DAILY;
      b->recurrence.count = 10;
      book_ok (f, b);
    }
  fortnight->recurrence.kind = BK_RECURRENCE_DAILY;
  fortnight->recurrence.count = 14;
  g_assert_false (bk_booking_rules_check (&f->rules, f->index, fortnight, NULL, &conflict, &error));
  g_assert_nonnull (strstr (error->message,
                            "The series does not fit on Mon 2026-12-07, Tue 2026-12-08, Wed 2026-12-09, "
                            "Thu 2026-12-10, Fri 2026-12-11 and 5 more dates."));
  g_assert_cmpuint (conflict->dates->len, ==, 10);
  /* Offers for the five named (B is free from 10:00 each day: 10:05 with
   * the early join), and a word for the rest. */
  g_assert_nonnull (strstr (error->message, "Mon 2026-12-07 10:05 instead of Mon 2026-12-07 09:30, "));
  g_assert_nonnull (strstr (error->message, "Fri 2026-12-11 10:05 instead of Fri 2026-12-11 09:30."));
  g_assert_nonnull (strstr (error->message, "Change the series to find a free time for the other 5 meetings."));
  g_assert_cmpint (g_array_index (conflict->next_free_times, gint64, 4), !=, 0);
  g_assert_cmpint (g_array_index (conflict->next_free_times, gint64, 5), ==, 0);
}

static void
test_participants (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BkBooking) review = make ("Design review", 7, 10, 0, 60, "a");
  g_autoptr(BkBooking) clash = make ("Sales call", 7, 10, 30, 60, "b");
  g_autoptr(BkBooking) touching = make ("Right after", 7, 11, 0, 60, "b");
  g_autoptr(BkBooking) phone = make ("Phone", 7, 10, 45, 30, NULL);
  g_autoptr(BkBooking) weekly = make ("Weekly", 7, 10, 15, 30, NULL);
  g_autofree char *m = NULL;

  bk_booking_add_participant (review, "Alice", "alice@example.com", BK_DIAL_OUT);
  bk_booking_add_participant (review, "Desk", "+886 2 1234 5678", BK_DIAL_IN);
  book_ok (f, review);

  bk_booking_add_participant (clash, "Alice Chen", "SIP:ALICE@EXAMPLE.COM", BK_DIAL_OUT);
  m = refused (f, clash, BK_BOOKING_ERROR_PARTICIPANT_BUSY);
  g_assert_cmpstr (m, ==, "Alice Chen (SIP:ALICE@EXAMPLE.COM) is already in “Design review” at Mon 2026-12-07 10:00, which overlaps this meeting. Remove the participant or choose another time.");
  g_clear_pointer (&m, g_free);

  /* Back to back: "Design review" ends at 11:00 when "Right after" starts,
   * whose early join (5 min) opens it at 10:55.  The early join holds the
   * bridge's slot, not the person (TMS dials at the start): accepted, even
   * with a longer early join. */
  bk_booking_add_participant (touching, "", "alice@example.com", BK_DIAL_OUT);
  bk_booking_index_set_early_join (f->index, 15 * 60);
  book_ok (f, touching);
  bk_booking_index_set_early_join (f->index, BK_BOOKING_DEFAULT_EARLY_JOIN);

  /* Numbers match whatever their separators; No Connect is checked too. */
  phone->type = BK_BOOKING_TYPE_NO_CONNECT;
  bk_booking_add_participant (phone, "", "tel:+886212345678", BK_DIAL_OUT);
  m = refused (f, phone, BK_BOOKING_ERROR_PARTICIPANT_BUSY);
  g_assert_true (g_str_has_prefix (m, "tel:+886212345678 is already in “Design review” at Mon 2026-12-07 10:00"));
  g_clear_pointer (&m, g_free);

  /* A series names the dates that clash. */
  weekly->recurrence.kind = BK_RECURRENCE_DAILY;
  weekly->recurrence.count = 3;
  bk_booking_add_participant (weekly, "Bob", "bob@example.com", BK_DIAL_OUT);
  bk_booking_add_participant (weekly, "Alice", "alice@example.com", BK_DIAL_OUT);
  m = refused (f, weekly, BK_BOOKING_ERROR_PARTICIPANT_BUSY);
  g_assert_cmpstr (m, ==, "Alice (alice@example.com) is already in “Design review” at Mon 2026-12-07 10:00, which overlaps this meeting. The clash is on Mon 2026-12-07. Remove the participant or choose another time.");
}

/* Gives the meeting of @b on December @day (at the series' time of day)
 * its own participants: name, address pairs, NULL-terminated. */
static void
own_participants (BkBooking  *b,
                  int         day,
                  const char *first_name,
                  ...)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (b->time_zone);
  g_autoptr(GDateTime) id = g_date_time_new (tz, 2026, 12, day, g_date_time_get_hour (b->start),
                                             g_date_time_get_minute (b->start), 0);
  g_autoptr(GDateTime) end = g_date_time_add_seconds (id, (gdouble) bk_booking_get_duration (b));
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_participant_free);
  va_list args;

  va_start (args, first_name);
  for (const char *name = first_name; name != NULL; name = va_arg (args, const char *))
    {
      const char *address = va_arg (args, const char *);

      g_ptr_array_add (list, bk_participant_new (name, address, BK_DIAL_OUT));
    }
  va_end (args);
  if (bk_booking_find_exception (b, g_date_time_to_unix (id)) == NULL)
    bk_booking_set_exception (b, id, id, end);
  bk_booking_set_exception_participants (b, g_date_time_to_unix (id), list);
}

/* A meeting of a series with its own participants: only they are busy in
 * it, in the series being saved and in those already booked. */
static void
test_occurrence_participants (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(BkBooking) dentist = make ("Dentist", 14, 10, 0, 60, NULL);
  g_autoptr(BkBooking) weekly = make ("Weekly", 7, 10, 0, 60, NULL);
  g_autoptr(BkBooking) review = make ("Design review", 14, 10, 30, 60, NULL);
  g_autoptr(BkBooking) carol_21 = make ("Carol on the 21st", 21, 10, 30, 30, NULL);
  g_autoptr(BkBooking) alice_28 = make ("Alice on the 28th", 28, 10, 30, 30, NULL);
  g_autoptr(BkBooking) alice_7 = make ("Alice on the 7th", 7, 10, 30, 30, NULL);
  g_autofree char *m = NULL;

  dentist->type = BK_BOOKING_TYPE_NO_CONNECT;
  bk_booking_add_participant (dentist, "Carol", "carol@example.com", BK_DIAL_OUT);
  book_ok (f, dentist);
  review->type = BK_BOOKING_TYPE_NO_CONNECT;
  bk_booking_add_participant (review, "Alice", "alice@example.com", BK_DIAL_OUT);
  book_ok (f, review);

  /* Weekly on Mondays 10:00-11:00 (the 7th to the 28th) with Alice and
   * Bob.  Only the meeting of the 14th has Carol, who is at the dentist:
   * refused, naming that date only. */
  weekly->type = BK_BOOKING_TYPE_NO_CONNECT;
  weekly->recurrence.kind = BK_RECURRENCE_WEEKLY;
  weekly->recurrence.weekdays = BK_WEEKDAY_MONDAY;
  weekly->recurrence.count = 4;
  bk_booking_add_participant (weekly, "Alice", "alice@example.com", BK_DIAL_OUT);
  bk_booking_add_participant (weekly, "Bob", "bob@example.com", BK_DIAL_OUT);
  own_participants (weekly, 14, "Bob", "bob@example.com", "Carol", "carol@example.com", NULL);
  m = refused (f, weekly, BK_BOOKING_ERROR_PARTICIPANT_BUSY);
  g_assert_cmpstr (m, ==, "Carol (carol@example.com) is already in “Dentist” at Mon 2026-12-14 10:00, which overlaps this meeting. The clash is on Mon 2026-12-14. Remove the participant or choose another time.");
  g_clear_pointer (&m, g_free);

  /* Without Carol on the 14th: Alice, in the design review then, is away
   * from that meeting (it has only Bob), so nothing clashes. */
  own_participants (weekly, 14, "Bob", "bob@example.com", NULL);
  /* On the 21st Carol joins (she is free then); on the 28th Alice is away. */
  own_participants (weekly, 21, "Alice", "alice@example.com", "Bob", "bob@example.com",
                    "Carol", "carol@example.com", NULL);
  own_participants (weekly, 28, "Bob", "bob@example.com", NULL);
  book_ok (f, weekly);

  /* Bookings made after it see each meeting's own participants. */
  bk_booking_add_participant (carol_21, "Carol", "carol@example.com", BK_DIAL_OUT);
  m = refused (f, carol_21, BK_BOOKING_ERROR_PARTICIPANT_BUSY);
  g_assert_cmpstr (m, ==, "Carol (carol@example.com) is already in “Weekly” at Mon 2026-12-21 10:00, which overlaps this meeting. Remove the participant or choose another time.");
  g_clear_pointer (&m, g_free);
  bk_booking_add_participant (alice_28, "Alice", "alice@example.com", BK_DIAL_OUT);
  alice_28->type = BK_BOOKING_TYPE_NO_CONNECT;
  book_ok (f, alice_28);
  bk_booking_add_participant (alice_7, "Alice", "alice@example.com", BK_DIAL_OUT);
  m = refused (f, alice_7, BK_BOOKING_ERROR_PARTICIPANT_BUSY);
  g_assert_true (g_str_has_prefix (m, "Alice (alice@example.com) is already in “Weekly” at Mon 2026-12-07 10:00"));
  g_clear_pointer (&m, g_free);

  /* A meeting's own participant is checked like the series': an address
   * that is not one is refused. */
  {
    g_autoptr(BkBooking) bad = bk_booking_copy (weekly);

    own_participants (bad, 21, "Dave", "not an address", NULL);
    m = refused (f, bad, BK_BOOKING_ERROR_ADDRESS);
  }
}

static void
test_exceptions_checked (Fixture       *f,
                         gconstpointer  data)
{
  /* B is full on Wednesday 9 December 09:00-10:00. */
  g_autoptr(BkBooking) series = make ("Daily 11:00", 7, 11, 0, 30, "b");
  g_autoptr(GDateTime) wednesday = g_date_time_new_utc (2026, 12, 9, 11, 0, 0);
  g_autoptr(GDateTime) moved_start = g_date_time_new_utc (2026, 12, 9, 9, 15, 0);
  g_autoptr(GDateTime) moved_end = g_date_time_new_utc (2026, 12, 9, 9, 45, 0);
  g_autoptr(BkBookingConflict) conflict = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *title = g_strdup_printf ("Wednesday %u", i);
      g_autoptr(BkBooking) b = make (title, 9, 9, 0, 60, "b");

      book_ok (f, b);
    }
  series->recurrence.kind = BK_RECURRENCE_DAILY;
  series->recurrence.count = 5;

  /* Moving Wednesday's meeting into the full hour is refused, on that date. */
  bk_booking_set_exception (series, wednesday, moved_start, moved_end);
  g_assert_false (bk_booking_rules_check (&f->rules, f->index, series, NULL, &conflict, &error));
  g_assert_error (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_CAPACITY);
  g_assert_nonnull (strstr (error->message, "from Wed 2026-12-09 09:10 to Wed 2026-12-09 09:45"));
  g_assert_nonnull (strstr (error->message, "The series does not fit on Wed 2026-12-09."));
  g_clear_error (&error);

  /* Cancelled instead: accepted; the other four meetings hold slot 2001. */
  bk_booking_set_exception (series, wednesday, NULL, NULL);
  book_ok (f, series);
  g_assert_cmpuint (series->slot_number, ==, 2001);
  g_assert_cmpuint (bk_booking_index_get_occurrences (f->index, series->uid)->len, ==, 4);

  /* A moved meeting that ends before it starts. */
  {
    g_autoptr(BkBooking) bad = bk_booking_copy (series);

    bk_booking_set_exception (bad, wednesday, moved_end, moved_start);
    g_free (refused (f, bad, BK_BOOKING_ERROR_BAD_TIMES));
  }
  /* A meeting of the series with a blank title of its own. */
  {
    g_autoptr(BkBooking) bad = bk_booking_copy (series);
    g_autoptr(GDateTime) thursday = g_date_time_new_utc (2026, 12, 10, 11, 0, 0);
    g_autoptr(GDateTime) thursday_end = g_date_time_new_utc (2026, 12, 10, 11, 30, 0);
    g_autofree char *m = NULL;

    bk_booking_set_exception (bad, thursday, thursday, thursday_end);
    bk_booking_set_exception_details (bad, g_date_time_to_unix (thursday), "  ", NULL);
    m = refused (f, bad, BK_BOOKING_ERROR_EMPTY_TITLE);
    g_assert_cmpstr (m, ==, "The meeting has no title. Enter a title.");
  }
}

static void
test_dst_and_midnight (Fixture       *f,
                       gconstpointer  data)
{
  /* B (2 slots) is full 07:00-07:50 UTC on Friday 26 March 2027 and on
   * Monday 29 March.  A daily 09:00 meeting in Berlin is at 08:00 UTC
   * before the change (its early join from 07:55 clears 07:50) and at
   * 07:00 UTC after it: only Monday clashes. */
  g_autoptr(BkBooking) berlin = make_in ("Europe/Berlin", "Berlin daily", 2027, 3, 26, 9, 0, 60, "b");
  g_autoptr(BkBookingConflict) conflict = NULL;
  g_autoptr(GError) error = NULL;

  for (int day = 26; day <= 29; day += 3)
    for (guint i = 0; i < 2; i++)
      {
        g_autofree char *title = g_strdup_printf ("UTC %d/%u", day, i);
        g_autoptr(BkBooking) b = make_in ("UTC", title, 2027, 3, day, 7, 0, 50, "b");

        book_ok (f, b);
      }
  berlin->recurrence.kind = BK_RECURRENCE_DAILY;
  berlin->recurrence.count = 5;
  g_assert_false (bk_booking_rules_check (&f->rules, f->index, berlin, NULL, &conflict, &error));
  g_assert_error (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_CAPACITY);
  g_assert_cmpuint (conflict->dates->len, ==, 1);
  g_assert_nonnull (strstr (error->message, "The series does not fit on Mon 2027-03-29."));
  /* Times are said in the booking's own zone. */
  g_assert_nonnull (strstr (error->message, "from Mon 2027-03-29 08:55 to Mon 2027-03-29 09:50"));
  g_clear_error (&error);

  /* Across midnight in New York: a 23:30-00:30 meeting on Saturday holds
   * Bob until Sunday 00:30, and the Sunday 00:15 call clashes with it. */
  {
    g_autoptr(BkBooking) night = make_in ("America/New_York", "Night ops", 2026, 12, 12, 23, 30, 60, "a");
    g_autoptr(BkBooking) early = make_in ("America/New_York", "Early call", 2026, 12, 13, 0, 15, 30, "a");
    g_autoptr(BkBooking) later = make_in ("America/New_York", "Later call", 2026, 12, 13, 0, 30, 30, "a");
    g_autofree char *m = NULL;

    bk_booking_add_participant (night, "Bob", "bob@example.com", BK_DIAL_OUT);
    bk_booking_add_participant (early, "Bob", "bob@example.com", BK_DIAL_OUT);
    bk_booking_add_participant (later, "Bob", "bob@example.com", BK_DIAL_OUT);
    book_ok (f, night);
    m = refused (f, early, BK_BOOKING_ERROR_PARTICIPANT_BUSY);
    g_assert_nonnull (strstr (m, "is already in “Night ops” at Sat 2026-12-12 23:30"));
    book_ok (f, later);
  }
}

static void
test_edit_past_series (Fixture       *f,
                       gconstpointer  data)
{
  /* A series that began before "now" can still be changed (its start is
   * unchanged), but a new one cannot start in the past. */
  g_autoptr(BkBooking) series = make_in ("UTC", "Ongoing", 2026, 12, 1, 9, 0, 60, "a");
  g_autoptr(BkBooking) changed = NULL;
  gint64 now = f->rules.now;

  series->recurrence.kind = BK_RECURRENCE_DAILY;
  series->recurrence.count = 20;
  f->rules.now = g_date_time_to_unix (series->start) - 3600;
  book_ok (f, series);
  f->rules.now = now;

  changed = bk_booking_copy (series);
  bk_booking_set_string (&changed->title, "Ongoing, renamed");
  book_ok (f, changed);

  {
    g_autoptr(BkBooking) moved = bk_booking_copy (changed);
    g_autoptr(GDateTime) s = g_date_time_add_hours (moved->start, 1);
    g_autoptr(GDateTime) e = g_date_time_add_hours (moved->end, 1);

    bk_booking_set_times (moved, "UTC", s, e);
    g_free (refused (f, moved, BK_BOOKING_ERROR_IN_PAST));
  }
}

static void
test_early_join_changes (Fixture       *f,
                         gconstpointer  data)
{
  /* B (2 slots) is full 09:00-10:00; a meeting at 10:00 holds its slot
   * from 09:55 with the 5-minute early join, from 10:00 with none. */
  g_autoptr(BkBooking) one = make ("One", 8, 9, 0, 60, "b");
  g_autoptr(BkBooking) two = make ("Two", 8, 9, 0, 60, "b");
  g_autoptr(BkBooking) next = make ("Next", 8, 10, 0, 30, "b");
  g_autoptr(BkBooking) later = make ("Later", 8, 10, 0, 30, "b");
  g_autofree char *m = NULL;

  book_ok (f, one);
  book_ok (f, two);
  m = refused (f, next, BK_BOOKING_ERROR_CAPACITY);
  g_assert_nonnull (strstr (m, "from Tue 2026-12-08 09:55 to Tue 2026-12-08 10:00"));

  /* The index's lists move with a new early join (nothing re-expanded). */
  bk_booking_index_set_early_join (f->index, 0);
  g_assert_cmpint (bk_booking_index_get_early_join (f->index), ==, 0);
  book_ok (f, next);
  /* And back: "Next" now holds one slot from 09:55, "Later" is refused at
   * 09:55-10:00 and fits once the early join is gone again. */
  bk_booking_index_set_early_join (f->index, 10 * 60);
  g_clear_pointer (&m, g_free);
  m = refused (f, later, BK_BOOKING_ERROR_CAPACITY);
  g_assert_nonnull (strstr (m, "from Tue 2026-12-08 09:50 to Tue 2026-12-08 10:00"));
  {
    g_autoptr(GArray) held = bk_booking_index_query_slots (f->index, "b", 0, G_MAXINT64, NULL);

    g_assert_cmpuint (held->len, ==, 3);
    g_assert_cmpint (g_array_index (held, BkIndexedOccurrence, 2).occurrence.start, ==,
                     g_date_time_to_unix (next->start) - 10 * 60);
  }
}

/* Last (it switches the process to Traditional Chinese): the sentences
 * come from the build's catalogue. */
static void
test_zh_tw (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(BkBooking) one = make ("One", 7, 9, 0, 60, "b");
  g_autoptr(BkBooking) two = make ("Two", 7, 9, 0, 60, "b");
  g_autoptr(BkBooking) three = make ("Three", 7, 9, 30, 60, "b");
  g_autofree char *m = NULL;
  const char *localedir = g_getenv ("BK_LOCALEDIR");

  if (localedir == NULL)
    {
      g_test_skip ("Needs BK_LOCALEDIR (the build's translations)");
      return;
    }
  g_setenv ("LANGUAGE", "zh_TW", TRUE);
  /* Under a real zh_TW.UTF-8 locale (compiled into the build tree), whose
   * C library weekday is a bare "二": the sentences use their own "週二".
   * CI must have it; elsewhere C.UTF-8 with the zh_TW messages will do. */
  if (g_getenv ("BK_TEST_LOCPATH") != NULL)
    g_setenv ("LOCPATH", g_getenv ("BK_TEST_LOCPATH"), TRUE);
  if (setlocale (LC_ALL, "zh_TW.UTF-8") == NULL)
    {
      if (g_getenv ("CI") != NULL)
        g_error ("No zh_TW.UTF-8 locale (build-aux/make-test-locales needs localedef and Debian's locales)");
      g_test_message ("No zh_TW.UTF-8 locale here: C.UTF-8 with the zh_TW messages");
      setlocale (LC_ALL, "");
    }
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  book_ok (f, one);
  book_ok (f, two);
  m = refused (f, three, BK_BOOKING_ERROR_CAPACITY);
  g_assert_true (g_str_has_prefix (m, "「Core B」從 2026-12-07（週一）09:25"));
  /* No space between Chinese sentences. */
  g_assert_nonnull (strstr (m, "沒有空閒的會議時段：2 個時段已被「One」和「Two」佔用。可容納相同長度會議的下一個空閒時間是 2026-12-07"));
  g_clear_pointer (&m, g_free);

  g_assert_cmpstr (bk_booking_type_get_label (BK_BOOKING_TYPE_ONE_BUTTON_TO_PUSH), ==, "一鍵加入");
}

int
main (int   argc,
      char *argv[])
{
  bk_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/core/booking/rules/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("basic", test_basic);
  ADD ("addresses", test_addresses);
  ADD ("bridges", test_bridges);
  ADD ("capacity", test_capacity);
  ADD ("next-free-walks", test_next_free_walks);
  ADD ("automatic-routing", test_automatic_routing);
  ADD ("slot-binding", test_slot_binding);
  ADD ("series-dates", test_series_dates);
  ADD ("participants", test_participants);
  ADD ("occurrence-participants", test_occurrence_participants);
  ADD ("exceptions-checked", test_exceptions_checked);
  ADD ("dst-and-midnight", test_dst_and_midnight);
  ADD ("edit-past-series", test_edit_past_series);
  ADD ("early-join-changes", test_early_join_changes);
  ADD ("zh-tw", test_zh_tw);

  return g_test_run ();
}
