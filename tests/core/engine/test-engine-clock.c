/* test-engine-clock.c: BkRealClock (timerfd, logind) and BkFakeClock
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bk-fake-clock.h"
#include "bk-real-clock.h"
#include "bk-test-util.h"

/* What a clock's signals did, in order: "A" for alarm, "C" for changed. */
typedef struct
{
  GString   *events;
  GDateTime *alarm_at;      /* the clock's now when "alarm" came */
  GDateTime *reached;       /* the deadline "alarm" reported */
  BkClock   *clock;
} Recorder;

static void
alarm_cb (BkClock   *clock,
          GDateTime *deadline,
          Recorder  *r)
{
  g_string_append_c (r->events, 'A');
  g_clear_pointer (&r->alarm_at, g_date_time_unref);
  g_clear_pointer (&r->reached, g_date_time_unref);
  r->alarm_at = bk_clock_now (clock);
  r->reached = g_date_time_ref (deadline);
  /* Disarmed before the signal, so a handler may plan the next one. */
  g_assert_null (bk_clock_get_deadline (clock));
}

static void
changed_cb (BkClock  *clock,
            Recorder *r)
{
  g_string_append_c (r->events, 'C');
}

static void
recorder_init (Recorder *r,
               BkClock  *clock)
{
  r->events = g_string_new (NULL);
  r->alarm_at = NULL;
  r->reached = NULL;
  r->clock = clock;
  g_signal_connect (clock, "alarm", G_CALLBACK (alarm_cb), r);
  g_signal_connect (clock, "changed", G_CALLBACK (changed_cb), r);
}

static void
recorder_clear (Recorder *r)
{
  g_signal_handlers_disconnect_by_data (r->clock, r);
  g_string_free (r->events, TRUE);
  g_clear_pointer (&r->alarm_at, g_date_time_unref);
  g_clear_pointer (&r->reached, g_date_time_unref);
}

static gboolean
has_events (gpointer data)
{
  Recorder *r = data;

  return r->events->len > 0;
}

/* The real clock's events without its "changed" ones: the machine's wall
 * clock may be stepped while a test runs (it happens here: NTP or the
 * host), and the clock then rightly says so. */
static char *
alarms_only (Recorder *r)
{
  GString *out = g_string_new (NULL);

  for (const char *c = r->events->str; *c; c++)
    if (*c != 'C')
      g_string_append_c (out, *c);
    else
      g_test_message ("the wall clock was set during the test");
  return g_string_free (out, FALSE);
}

static gboolean
has_alarm (gpointer data)
{
  Recorder *r = data;

  return strchr (r->events->str, 'A') != NULL;
}

static gboolean
has_two_events (gpointer data)
{
  Recorder *r = data;

  return r->events->len >= 2;
}

static GDateTime *
utc (int year, int month, int day, int hour, int minute, double seconds)
{
  return g_date_time_new_utc (year, month, day, hour, minute, seconds);
}

/* ---- the real clock ---- */

static BkClock *
real_clock (void)
{
  g_autoptr(GError) error = NULL;
  BkClock *clock = bk_real_clock_new (FALSE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (clock);
  return clock;
}

static void
test_real_deadline (void)
{
  g_autoptr(BkClock) clock = real_clock ();
  g_autoptr(GDateTime) now = bk_clock_now (clock);
  g_autoptr(GDateTime) deadline = g_date_time_add (now, 30 * G_TIME_SPAN_MILLISECOND);
  Recorder r;

  g_assert_cmpint (g_date_time_get_utc_offset (now), ==, 0);
  recorder_init (&r, clock);
  bk_clock_arm (clock, deadline);
  g_assert_true (g_date_time_equal (bk_clock_get_deadline (clock), deadline));
  bk_test_wait_until (has_alarm, &r, 5000);
  {
    g_autofree char *alarms = alarms_only (&r);

    g_assert_cmpstr (alarms, ==, "A");
  }
  /* Never early: the wall clock had reached the deadline. */
  g_assert_cmpint (g_date_time_compare (r.alarm_at, deadline), >=, 0);
  g_assert_true (g_date_time_equal (r.reached, deadline));
  g_assert_null (bk_clock_get_deadline (clock));
  recorder_clear (&r);
}

static void
test_real_past_deadline (void)
{
  g_autoptr(BkClock) clock = real_clock ();
  g_autoptr(GDateTime) now = bk_clock_now (clock);
  g_autoptr(GDateTime) past = g_date_time_add_hours (now, -2);
  Recorder r;

  recorder_init (&r, clock);
  bk_clock_arm (clock, past);
  /* Not from inside arm(): from the main loop, at once. */
  g_assert_cmpstr (r.events->str, ==, "");
  bk_test_wait_until (has_alarm, &r, 5000);
  {
    g_autofree char *alarms = alarms_only (&r);

    g_assert_cmpstr (alarms, ==, "A");
  }
  recorder_clear (&r);
}

/* Re-arming replaces the deadline; disarming cancels it. The later clock's
 * alarm is the condition that tells the earlier one had its chance. */
static void
test_real_rearm_and_disarm (void)
{
  g_autoptr(BkClock) replaced = real_clock ();
  g_autoptr(BkClock) disarmed = real_clock ();
  g_autoptr(BkClock) witness = real_clock ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) far = g_date_time_add_hours (now, 1);
  g_autoptr(GDateTime) soon = g_date_time_add (now, 20 * G_TIME_SPAN_MILLISECOND);
  g_autoptr(GDateTime) later = g_date_time_add (now, 120 * G_TIME_SPAN_MILLISECOND);
  Recorder r1, r2, r3;

  recorder_init (&r1, replaced);
  recorder_init (&r2, disarmed);
  recorder_init (&r3, witness);
  bk_clock_arm (replaced, far);
  bk_clock_arm (replaced, soon);
  bk_clock_arm (disarmed, soon);
  bk_clock_disarm (disarmed);
  g_assert_null (bk_clock_get_deadline (disarmed));
  bk_clock_arm (witness, later);

  bk_test_wait_until (has_alarm, &r3, 5000);
  {
    g_autofree char *a1 = alarms_only (&r1);
    g_autofree char *a2 = alarms_only (&r2);

    g_assert_cmpstr (a1, ==, "A");
    g_assert_cmpstr (a2, ==, "");
  }
  g_assert_true (g_date_time_equal (r1.reached, soon));
  recorder_clear (&r1);
  recorder_clear (&r2);
  recorder_clear (&r3);
}

/* Without a reachable system bus the clock works on, quietly (criticals and
 * warnings are fatal in tests). Runs before the logind test, which points
 * the system bus at the private session bus. */
static void
test_real_no_system_bus (void)
{
  g_autoptr(BkClock) clock = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) deadline = g_date_time_add (now, 50 * G_TIME_SPAN_MILLISECOND);
  Recorder r;

  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/bridgekeeper-test", TRUE);
  clock = bk_real_clock_new (TRUE, &error);
  g_assert_no_error (error);
  recorder_init (&r, clock);
  bk_clock_arm (clock, deadline);
  bk_test_wait_until (has_alarm, &r, 5000);
  {
    g_autofree char *alarms = alarms_only (&r);

    g_assert_cmpstr (alarms, ==, "A");
  }
  g_assert_false (bk_real_clock_is_watching_sleep (BK_REAL_CLOCK (clock)));
  recorder_clear (&r);
}

static gboolean
is_watching (gpointer data)
{
  return bk_real_clock_is_watching_sleep (data);
}

static gboolean
name_owned (gpointer data)
{
  return *(gboolean *) data;
}

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
marker_cb (GDBusConnection *connection,
           const char      *sender,
           const char      *path,
           const char      *interface,
           const char      *signal,
           GVariant        *parameters,
           gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

static Recorder *witness_recorder;

static gboolean
more_than_witness (gpointer data)
{
  Recorder *r = data;

  return r->events->len > witness_recorder->events->len;
}

/* logind's PrepareForSleep(false) makes "changed"; (true) does not. A
 * second clock without logind counts the times the wall clock was set
 * meanwhile (both see those). The
 * private session bus of the headless test run plays the system bus, and
 * this test owns org.freedesktop.login1 on it. */
static void
test_real_logind_resume (void)
{
  const char *session = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(BkClock) clock = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) system = NULL;
  g_autoptr(BkClock) witness = NULL;
  gboolean owned = FALSE;
  gboolean marked = FALSE;
  guint owner_id, marker_id;
  Recorder r, rw;

  if (session == NULL || *session == '\0')
    {
      g_test_skip ("no private session bus (run under build-aux/run-headless)");
      return;
    }
  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", session, TRUE);

  bus = g_dbus_connection_new_for_address_sync (session,
                                                G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                NULL, NULL, &error);
  g_assert_no_error (error);
  owner_id = g_bus_own_name_on_connection (bus, "org.freedesktop.login1", G_BUS_NAME_OWNER_FLAGS_NONE,
                                           name_acquired_cb, NULL, &owned, NULL);
  bk_test_wait_until (name_owned, &owned, 10000);

  clock = bk_real_clock_new (TRUE, &error);
  g_assert_no_error (error);
  recorder_init (&r, clock);
  /* Sees the wall clock being set, if it is, but not logind. */
  witness = real_clock ();
  recorder_init (&rw, witness);
  witness_recorder = &rw;
  bk_test_wait_until (is_watching, clock, 10000);

  /* Going to sleep: nothing. The marker, sent after it on the same path
   * through the bus, tells when it has been dispatched. */
  system = g_bus_get_sync (G_BUS_TYPE_SYSTEM, NULL, &error);
  g_assert_no_error (error);
  marker_id = g_dbus_connection_signal_subscribe (system, NULL, "org.freedesktop.login1.Manager", "TestMarker",
                                                  "/org/freedesktop/login1", NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                                  marker_cb, &marked, NULL);
  /* A round trip on that connection: the bus has the match rule now. */
  {
    g_autoptr(GVariant) reply = g_dbus_connection_call_sync (system, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                                             "org.freedesktop.DBus", "GetId", NULL, NULL,
                                                             G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
    g_assert_no_error (error);
  }
  g_dbus_connection_emit_signal (bus, NULL, "/org/freedesktop/login1", "org.freedesktop.login1.Manager",
                                 "PrepareForSleep", g_variant_new ("(b)", TRUE), &error);
  g_assert_no_error (error);
  g_dbus_connection_emit_signal (bus, NULL, "/org/freedesktop/login1", "org.freedesktop.login1.Manager",
                                 "TestMarker", NULL, &error);
  g_assert_no_error (error);
  bk_test_wait_until (name_owned, &marked, 10000);
  g_assert_cmpuint (r.events->len, ==, rw.events->len);

  /* Resumed: "changed". */
  g_dbus_connection_emit_signal (bus, NULL, "/org/freedesktop/login1", "org.freedesktop.login1.Manager",
                                 "PrepareForSleep", g_variant_new ("(b)", FALSE), &error);
  g_assert_no_error (error);
  bk_test_wait_until (more_than_witness, &r, 10000);
  g_assert_cmpuint (r.events->len, ==, rw.events->len + 1);
  g_assert_null (strchr (r.events->str, 'A'));

  g_dbus_connection_signal_unsubscribe (system, marker_id);
  recorder_clear (&r);
  recorder_clear (&rw);
  g_bus_unown_name (owner_id);
}

/* ---- the fake clock ---- */

static void
test_fake_advance (void)
{
  g_autoptr(GDateTime) start = utc (2026, 3, 29, 23, 50, 0);
  g_autoptr(GDateTime) deadline = utc (2026, 3, 30, 0, 0, 0);
  g_autoptr(BkClock) clock = bk_fake_clock_new (start);
  g_autoptr(GDateTime) now = NULL;
  Recorder r;

  recorder_init (&r, clock);
  bk_clock_arm (clock, deadline);
  bk_fake_clock_advance (BK_FAKE_CLOCK (clock), 10 * G_TIME_SPAN_MINUTE - 1);
  g_assert_cmpstr (r.events->str, ==, "");
  /* Exactly at its tick. */
  bk_fake_clock_advance (BK_FAKE_CLOCK (clock), 1);
  g_assert_cmpstr (r.events->str, ==, "A");
  g_assert_true (g_date_time_equal (r.alarm_at, deadline));
  /* Fires once. */
  bk_fake_clock_advance (BK_FAKE_CLOCK (clock), G_TIME_SPAN_HOUR);
  g_assert_cmpstr (r.events->str, ==, "A");
  now = bk_clock_now (clock);
  g_assert_cmpint (g_date_time_get_hour (now), ==, 1);
  recorder_clear (&r);
}

static void
test_fake_step (void)
{
  g_autoptr(GDateTime) start = utc (2026, 10, 25, 0, 30, 0);
  g_autoptr(GDateTime) deadline = utc (2026, 10, 25, 1, 0, 0);
  g_autoptr(BkClock) clock = bk_fake_clock_new (start);
  Recorder r;

  recorder_init (&r, clock);
  bk_clock_arm (clock, deadline);
  /* Back: "changed", the deadline stays armed. */
  bk_fake_clock_step (BK_FAKE_CLOCK (clock), -G_TIME_SPAN_HOUR);
  g_assert_cmpstr (r.events->str, ==, "C");
  g_assert_nonnull (bk_clock_get_deadline (clock));
  /* Forward over the deadline: "changed", then the deadline fires. */
  bk_fake_clock_step (BK_FAKE_CLOCK (clock), 3 * G_TIME_SPAN_HOUR);
  g_assert_cmpstr (r.events->str, ==, "CCA");
  recorder_clear (&r);
}

static void
test_fake_suspend (void)
{
  g_autoptr(GDateTime) start = utc (2026, 12, 6, 8, 0, 0);
  g_autoptr(GDateTime) deadline = utc (2026, 12, 6, 9, 0, 0);
  g_autoptr(BkClock) clock = bk_fake_clock_new (start);
  Recorder r;

  recorder_init (&r, clock);
  bk_clock_arm (clock, deadline);
  /* A short sleep that ends before the deadline: only "changed". */
  bk_fake_clock_suspend (BK_FAKE_CLOCK (clock), 30 * G_TIME_SPAN_MINUTE);
  g_assert_cmpstr (r.events->str, ==, "C");
  /* A sleep over the deadline: it fires on resume, then "changed". */
  bk_fake_clock_suspend (BK_FAKE_CLOCK (clock), 2 * G_TIME_SPAN_HOUR);
  g_assert_cmpstr (r.events->str, ==, "CAC");
  g_assert_cmpint (g_date_time_get_hour (r.alarm_at), ==, 10);
  recorder_clear (&r);
}

static void
rearm_in_handler_cb (BkClock   *clock,
                     GDateTime *deadline,
                     gpointer   user_data)
{
  guint *n = user_data;

  if (++*n < 3)
    {
      g_autoptr(GDateTime) next = g_date_time_add_minutes (deadline, 5);

      bk_clock_arm (clock, next);
    }
}

static void
test_fake_past_and_rearm (void)
{
  g_autoptr(GDateTime) start = utc (2026, 12, 6, 8, 0, 0);
  g_autoptr(GDateTime) past = utc (2026, 12, 6, 7, 0, 0);
  g_autoptr(BkClock) clock = bk_fake_clock_new (start);
  guint n = 0;
  Recorder r;

  recorder_init (&r, clock);
  bk_clock_arm (clock, past);
  g_assert_cmpstr (r.events->str, ==, "");   /* not from inside arm() */
  bk_test_wait_until (has_events, &r, 5000);
  g_assert_cmpstr (r.events->str, ==, "A");

  /* A handler arms the next deadline from "alarm". */
  g_signal_connect (clock, "alarm", G_CALLBACK (rearm_in_handler_cb), &n);
  bk_clock_arm (clock, start);
  bk_test_wait_until (has_two_events, &r, 5000);
  g_assert_cmpuint (n, ==, 1);
  bk_fake_clock_advance (BK_FAKE_CLOCK (clock), 5 * G_TIME_SPAN_MINUTE);
  g_assert_cmpuint (n, ==, 2);
  bk_fake_clock_advance (BK_FAKE_CLOCK (clock), 5 * G_TIME_SPAN_MINUTE);
  g_assert_cmpuint (n, ==, 3);
  g_assert_null (bk_clock_get_deadline (clock));
  g_assert_cmpstr (r.events->str, ==, "AAAA");
  recorder_clear (&r);
}

/* Deadlines are instants: one set in local time across a DST change
 * (Europe/Berlin springs forward at 02:00 on 2026-03-29) fires at the right
 * UTC tick, and "now" stays UTC. */
static void
test_fake_dst (void)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GDateTime) start = utc (2026, 3, 28, 23, 0, 0);        /* 00:00 CET */
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(BkClock) clock = bk_fake_clock_new (start);
  Recorder r;

  if (berlin == NULL)
    {
      g_test_skip ("no tzdata for Europe/Berlin");
      return;
    }
  local = g_date_time_new (berlin, 2026, 3, 29, 3, 30, 0);           /* CEST = 01:30 UTC */
  recorder_init (&r, clock);
  bk_clock_arm (clock, local);
  g_assert_cmpint (g_date_time_get_utc_offset (bk_clock_get_deadline (clock)), ==, 0);
  g_assert_cmpint (g_date_time_get_hour (bk_clock_get_deadline (clock)), ==, 1);
  /* 2 h 30 min of wall time, not 3 h 30 min of local clock face. */
  bk_fake_clock_advance (BK_FAKE_CLOCK (clock), 2 * G_TIME_SPAN_HOUR + 29 * G_TIME_SPAN_MINUTE);
  g_assert_cmpstr (r.events->str, ==, "");
  bk_fake_clock_advance (BK_FAKE_CLOCK (clock), G_TIME_SPAN_MINUTE);
  g_assert_cmpstr (r.events->str, ==, "A");
  g_assert_true (g_date_time_equal (r.alarm_at, local));
  recorder_clear (&r);
}

int
main (int argc, char **argv)
{
  bk_test_init (&argc, &argv);

  g_test_add_func ("/engine/clock/real/deadline", test_real_deadline);
  g_test_add_func ("/engine/clock/real/past-deadline", test_real_past_deadline);
  g_test_add_func ("/engine/clock/real/rearm-and-disarm", test_real_rearm_and_disarm);
  g_test_add_func ("/engine/clock/real/no-system-bus", test_real_no_system_bus);
  g_test_add_func ("/engine/clock/real/logind-resume", test_real_logind_resume);
  g_test_add_func ("/engine/clock/fake/advance", test_fake_advance);
  g_test_add_func ("/engine/clock/fake/step", test_fake_step);
  g_test_add_func ("/engine/clock/fake/suspend", test_fake_suspend);
  g_test_add_func ("/engine/clock/fake/past-and-rearm", test_fake_past_and_rearm);
  g_test_add_func ("/engine/clock/fake/dst", test_fake_dst);

  return g_test_run ();
}
