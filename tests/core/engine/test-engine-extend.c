/* test-engine-extend.c: TMS's "Automatic Best Effort" extension: at the
 * end of a meeting booked with it, the engine extends it by 15 minutes
 * while someone is still connected (at most 16 times, never into the next
 * booking of its slot or of a participant), or ends it and says why;
 * against the simulator over loopback HTTPS with a fake clock, counting
 * every request; a new engine on the same journal keeps the count
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestEngineExtend"

#include "config.h"

#include <string.h>

#include "bk-engine.h"
#include "bk-fake-clock.h"
#include "bk-sim.h"
#include "bk-test-util.h"
#include "engine-test-util.h"

#define WAIT_MS 60000
#define BRIDGE  "bridge-a"
#define TITLE   "Quarterly review"

typedef struct
{
  BkSimCluster   *sim;
  BkCmsClient    *probe;
  char           *space[2];     /* slots 7001 and 7002 */
  char           *dir;
  BkBookingStore *store;
  BkClock        *clock;
  BkEngine       *engine;
  GPtrArray      *bridges;
  GString        *log;          /* "<state> " per state change */
  GPtrArray      *problems;     /* sentences */
  gboolean        with_pin;     /* the next booking has a PIN */
  BkExtendMode    extend_mode;  /* the next booking's */
  guint           n_extended;   /* "auto-extended" signals */
  guint           n_end_changed;
  GString        *warnings;     /* "<HH:MM:SS>=<minutes> " per "ending-soon" */
} Fixture;

/* ---- plumbing ---- */

static void
assert_slot_idle (Fixture *f,
                  guint    slot_index)
{
  et_assert_slot_idle (f->sim, f->space[slot_index], 7001 + slot_index);
}

static void
set_quantity (Fixture *f,
              guint    quantity)
{
  g_ptr_array_set_size (f->bridges, 0);
  g_ptr_array_add (f->bridges, et_make_bridge (BRIDGE, quantity));
}

/* Saves a booking through the booking rules (which bind the slot) and
 * returns its first occurrence's id. */
static char *
book (Fixture             *f,
      const char          *title,
      BkBookingType        type,
      GDateTime           *start,
      GDateTime           *end,
      const char * const  *dial_out,
      const char * const  *dial_in,
      guint                daily_count,
      guint64             *slot)
{
  EtBooking spec = { title, NULL, type, start, end, dial_out, dial_in, daily_count, f->with_pin,
                     f->extend_mode };

  return et_book (f->store, f->clock, f->bridges, &spec, slot);
}

static void
ending_soon_cb (BkEngine   *engine,
                const char *id,
                guint       minutes,
                Fixture    *f)
{
  g_autoptr(GDateTime) now = bk_clock_now (f->clock);
  g_autofree char *hms = g_date_time_format (now, "%H:%M:%S");

  g_string_append_printf (f->warnings, "%s=%u ", hms, minutes);
}

static void
auto_extended_cb (BkEngine   *engine,
                  const char *id,
                  guint       n,
                  Fixture    *f)
{
  f->n_extended++;
  g_assert_cmpuint (n, ==, bk_engine_get_auto_extensions (engine, id));
}

static void
end_changed_cb (BkEngine   *engine,
                const char *id,
                Fixture    *f)
{
  f->n_end_changed++;
}

/* A new engine on the fixture's store, clock, journal and simulator. */
static void
start_engine (Fixture *f)
{
  g_autoptr(BkCmsClient) client =
    bk_cms_client_new (bk_sim_cluster_get_node_url (f->sim, 0), BK_SIM_DEFAULT_USERNAME,
                       BK_SIM_DEFAULT_PASSWORD, bk_sim_cluster_get_certificate_sha256 (f->sim));

  g_assert_null (f->engine);
  f->engine = bk_engine_new (f->store, f->clock, NULL);
  bk_engine_set_client (f->engine, BRIDGE, client);
  bk_engine_set_poll_interval (f->engine, 0);   /* the tests count every request */
  et_engine_record (f->engine, f->log, f->problems);
  g_signal_connect (f->engine, "ending-soon", G_CALLBACK (ending_soon_cb), f);
  g_signal_connect (f->engine, "auto-extended", G_CALLBACK (auto_extended_cb), f);
  g_signal_connect (f->engine, "end-changed", G_CALLBACK (end_changed_cb), f);
  bk_engine_run (f->engine);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static guint serial;
  g_autoptr(GDateTime) start = et_at (7, 8, 0, 0);

  f->sim = et_sim_new (1);
  et_sim_start (f->sim);
  f->probe = et_client_new (f->sim);
  for (guint i = 0; i < 2; i++)
    f->space[i] = et_add_idle_slot (f->sim, f->probe, 7001 + i);
  bk_sim_cluster_reset_counters (f->sim);

  f->dir = g_strdup_printf ("%s/engine-%u", bk_test_get_tmpdir (), ++serial);
  f->store = et_store_new (f->dir);

  f->clock = bk_fake_clock_new (start);
  f->bridges = g_ptr_array_new_with_free_func (g_object_unref);
  set_quantity (f, 2);
  f->log = g_string_new ("");
  f->problems = g_ptr_array_new_with_free_func (g_free);
  f->warnings = g_string_new ("");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->engine != NULL)
    et_kill_engine (&f->engine, f->clock);
  g_clear_object (&f->clock);
  g_clear_object (&f->store);
  g_clear_object (&f->probe);
  bk_sim_cluster_stop (f->sim);
  g_clear_object (&f->sim);
  for (guint i = 0; i < 2; i++)
    g_free (f->space[i]);
  bk_test_rm_rf (f->dir);
  g_free (f->dir);
  g_ptr_array_unref (f->bridges);
  g_string_free (f->log, TRUE);
  g_ptr_array_unref (f->problems);
  g_string_free (f->warnings, TRUE);
}

typedef struct
{
  Fixture    *f;
  const char *id;
  guint       n;
} WaitExtended;

static gboolean
extended_or_over (gpointer data)
{
  WaitExtended *w = data;
  BkEngineState state = bk_engine_get_state (w->f->engine, w->id);

  return bk_engine_get_auto_extensions (w->f->engine, w->id) >= w->n
         || state == BK_ENGINE_STATE_ENDED || state == BK_ENGINE_STATE_FAILED;
}

/* The end of the meeting at @h:@m: it is extended (the @n-th time), it
 * runs on, nothing was ended, and the one timer is for the new end's
 * first warning. */
static void
assert_extended_at (Fixture    *f,
                    const char *id,
                    int h, int m,
                    guint       n)
{
  WaitExtended w = { f, id, n };
  gint64 end = et_unix_at (7, h, m, 0);

  g_assert_cmpint (bk_engine_get_end (f->engine, id), ==, end);
  et_advance_to (f->clock, 7, h, m, 0);
  bk_test_wait_until (extended_or_over, &w, WAIT_MS);
  g_assert_cmpstr (bk_engine_state_to_string (bk_engine_get_state (f->engine, id)), ==, "running");
  g_assert_cmpuint (bk_engine_get_auto_extensions (f->engine, id), ==, n);
  g_assert_cmpint (bk_engine_get_end (f->engine, id), ==, end + 15 * 60);
  g_assert_null (bk_engine_get_not_extended (f->engine, id));
  g_assert_cmpuint (et_count (f->sim, -1, "DELETE", NULL), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 1);
  et_wait_deadline (f->clock, end + 10 * 60);   /* "ends in 5 minutes" again */
}

static const char * const alice[] = { "alice@ex.example", NULL };

/* Waits until the bridge has the first participant's leg connected (the
 * simulator answers after its connect delay); then forgets the requests. */
static void
wait_connected (Fixture    *f,
                const char *id)
{
  BkMeeting *m = bk_engine_get_meeting (f->engine, id);
  gboolean connected = FALSE;

  g_assert_nonnull (m);
  for (guint waited = 0; !connected && waited < WAIT_MS; waited += 10)
    {
      const char *leg_id = bk_meeting_get_participant_leg_id (m, 0);
      g_autofree char *path = leg_id != NULL ? g_strdup_printf ("callLegs/%s", leg_id) : NULL;
      GAsyncResult *res = NULL;

      if (path != NULL)
        {
          g_autoptr(BkCmsCallLeg) leg = NULL;

          bk_cms_client_get_async (f->probe, BK_CMS_KIND_CALL_LEG, path, NULL, NULL, et_result_cb, &res);
          leg = bk_cms_client_get_finish (f->probe, et_wait_result (&res), NULL);
          g_object_unref (res);
          connected = leg != NULL && g_strcmp0 (leg->state, "connected") == 0;
        }
      if (!connected)
        bk_test_spin (10);
    }
  g_assert_true (connected);
  bk_sim_cluster_reset_counters (f->sim);
}

/* Alice's meeting: TITLE from 09:00 to 10:00, Automatic Connect, in the
 * fixture's extend mode; returns its first occurrence's id. */
static char *
book_alice (Fixture *f)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);

  return book (f, TITLE, BK_BOOKING_TYPE_AUTOMATIC_CONNECT, start, end, alice, NULL, 0, NULL);
}

/* Starts the engine, lets the clock reach the early join (occurrence @id
 * runs), then the start at 09:00, where the participants are called, and
 * waits until the first one's leg is connected (the requests are
 * forgotten). */
static void
run_until_connected (Fixture    *f,
                     const char *id)
{
  start_engine (f);
  et_join_early (f->engine, f->clock, id);
  et_advance_to (f->clock, 7, 9, 0, 0);   /* the participants are called at the start */
  wait_connected (f, id);
}

/* The end at @h:@m of occurrence @id: the clock goes to the second
 * before it, the requests are forgotten, then to the end itself, and the
 * engine ends the meeting (the test then looks at the requests). */
static void
end_at (Fixture    *f,
        const char *id,
        int h, int m)
{
  if (m == 0)
    et_advance_to (f->clock, 7, h - 1, 59, 59);
  else
    et_advance_to (f->clock, 7, h, m - 1, 59);
  bk_sim_cluster_reset_counters (f->sim);
  et_advance_to (f->clock, 7, h, m, 0);
  et_wait_state (f->engine, id, BK_ENGINE_STATE_ENDED);
}

/* Alice is still connected at the end: extended by 15 minutes instead of
 * ended (no DELETE), "auto-extended" and "end-changed"; the first time one
 * poll round says so (the call's legs and Alice's leg: 2 requests, the
 * engine's watch is off here), the next time only the legs (she is known
 * to be connected). The warnings come again before each new end. Once she
 * has left, the next end ends it (2 requests) and says why. */
static void
test_while_connected (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  BkMeeting *m;
  GAsyncResult *res = NULL;
  g_autoptr(GError) error = NULL;

  f->extend_mode = BK_EXTEND_AUTOMATIC;
  id = book_alice (f);
  run_until_connected (f, id);
  et_advance_to (f->clock, 7, 9, 55, 0);
  et_advance_to (f->clock, 7, 9, 59, 0);
  et_advance_to (f->clock, 7, 9, 59, 59);
  g_assert_cmpstr (f->warnings->str, ==, "09:55:00=5 09:59:00=1 ");

  bk_sim_cluster_reset_counters (f->sim);
  assert_extended_at (f, id, 10, 0, 1);
  g_assert_cmpuint (f->n_extended, ==, 1);
  g_assert_cmpuint (f->n_end_changed, ==, 1);
  g_assert_cmpuint (et_total (f->sim), ==, 2);
  g_assert_cmpuint (et_count (f->sim, -1, "GET", NULL), ==, 2);
  m = bk_engine_get_meeting (f->engine, id);
  g_assert_cmpint (bk_meeting_get_participant_state (m, 0), ==, BK_PARTICIPANT_CONNECTED);

  et_advance_to (f->clock, 7, 10, 10, 0);
  et_advance_to (f->clock, 7, 10, 14, 0);
  et_advance_to (f->clock, 7, 10, 14, 59);
  g_assert_cmpstr (f->warnings->str, ==, "09:55:00=5 09:59:00=1 10:10:00=5 10:14:00=1 ");
  bk_sim_cluster_reset_counters (f->sim);
  assert_extended_at (f, id, 10, 15, 2);
  g_assert_cmpuint (et_total (f->sim), ==, 1);   /* GET /calls/<id>/callLegs */

  /* Alice leaves. */
  path = g_strdup_printf ("callLegs/%s", bk_meeting_get_participant_leg_id (m, 0));
  bk_cms_client_delete_async (f->probe, path, NULL, et_result_cb, &res);
  g_assert_true (bk_cms_client_delete_finish (f->probe, et_wait_result (&res), &error));
  g_assert_no_error (error);
  g_object_unref (res);
  end_at (f, id, 10, 30);
  g_assert_cmpstr (bk_engine_get_not_extended (f->engine, id), ==, "Nobody was connected any more.");
  g_assert_cmpuint (bk_engine_get_auto_extensions (f->engine, id), ==, 2);
  g_assert_cmpint (bk_engine_get_end (f->engine, id), ==, et_unix_at (7, 10, 30, 0));
  g_assert_cmpuint (et_count (f->sim, -1, "GET", NULL), ==, 1);      /* the poll: no leg left */
  g_assert_cmpuint (et_count (f->sim, -1, "DELETE", "/api/v1/calls/"), ==, 1);
  g_assert_cmpuint (et_count (f->sim, -1, "PUT", "/api/v1/coSpaces/"), ==, 1);
  g_assert_cmpuint (et_total (f->sim), ==, 3);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 0);
  assert_slot_idle (f, 0);
  g_assert_cmpuint (f->n_extended, ==, 2);
}

/* A leg on the call that nobody dials (someone who dialled in; the probe
 * makes it as the simulator has no incoming calls), as the engine sees
 * it: in the call's listing, its state only in its details. Returns its
 * id once its details say @state. */
static char *
add_dial_in_leg (Fixture    *f,
                 const char *id,
                 const char *uri,
                 const char *state)
{
  const char *call_id = bk_meeting_get_call_id (bk_engine_get_meeting (f->engine, id));
  g_autofree char *path = g_strdup_printf ("calls/%s/callLegs", call_id);
  g_autofree char *leg_path = NULL;
  const char *params[] = { "remoteParty", uri, NULL };
  g_autofree char *leg_id = NULL;
  gboolean reached = FALSE;
  GAsyncResult *res = NULL;
  g_autoptr(GError) error = NULL;

  bk_cms_client_create_async (f->probe, path, params, NULL, et_result_cb, &res);
  leg_id = bk_cms_client_create_finish (f->probe, et_wait_result (&res), &error);
  g_assert_no_error (error);
  g_clear_object (&res);
  leg_path = g_strdup_printf ("callLegs/%s", leg_id);
  for (guint waited = 0; !reached && waited < WAIT_MS; waited += 10)
    {
      g_autoptr(BkCmsCallLeg) leg = NULL;

      bk_cms_client_get_async (f->probe, BK_CMS_KIND_CALL_LEG, leg_path, NULL, NULL, et_result_cb, &res);
      leg = bk_cms_client_get_finish (f->probe, et_wait_result (&res), NULL);
      g_clear_object (&res);
      reached = leg != NULL && g_strcmp0 (leg->state, state) == 0;
      if (!reached)
        bk_test_spin (10);
    }
  g_assert_true (reached);
  return g_steal_pointer (&leg_id);
}

/* A Reservation from 09:00 to 10:00 extended automatically, running
 * since its early join, with Carol's leg on its call in @state (someone
 * who dialled in); returns the occurrence, and the path of her leg in
 * @leg_path. */
static char *
run_with_dial_in (Fixture     *f,
                  const char  *state,
                  char       **leg_path)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);
  static const char * const dial_in[] = { "carol@ex.example", NULL };
  g_autofree char *leg_id = NULL;
  char *id;

  f->extend_mode = BK_EXTEND_AUTOMATIC;
  id = book (f, TITLE, BK_BOOKING_TYPE_RESERVATION, start, end, NULL, dial_in, 0, NULL);
  start_engine (f);
  et_join_early (f->engine, f->clock, id);
  leg_id = add_dial_in_leg (f, id, "carol@ex.example", state);
  *leg_path = g_strdup_printf ("/api/v1/callLegs/%s", leg_id);
  return id;
}

/* Someone who dialled in counts (a leg on the call that nobody dials),
 * once its details say it is connected: a Reservation has no dial-out
 * participant. The first end reads the legs and Carol's leg (2
 * requests); the next only the legs (she is known to be connected). */
static void
test_dial_in_counts (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *leg_path = NULL;
  g_autofree char *id = run_with_dial_in (f, "connected", &leg_path);

  bk_sim_cluster_reset_counters (f->sim);
  assert_extended_at (f, id, 10, 0, 1);
  g_assert_cmpuint (et_total (f->sim), ==, 2);   /* the legs, and Carol's: someone else's */
  g_assert_cmpuint (et_count (f->sim, -1, "GET", leg_path), ==, 1);
  g_assert_cmpuint (bk_meeting_get_n_connected (bk_engine_get_meeting (f->engine, id)), ==, 1);

  et_advance_to (f->clock, 7, 10, 14, 59);
  bk_sim_cluster_reset_counters (f->sim);
  assert_extended_at (f, id, 10, 15, 2);
  g_assert_cmpuint (et_total (f->sim), ==, 1);   /* the legs: Carol is known to be connected */
}

/* A dial-in leg that only rings (or is still being set up) is listed on
 * the call, but nobody is in the meeting yet: it does not keep the
 * meeting running. It ends at its end and says nobody was connected:
 * the legs, Carol's leg (ringing), then the end's 2. */
static void
test_dial_in_ringing (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *leg_path = NULL;
  g_autofree char *id = NULL;

  bk_sim_cluster_set_unanswered_pattern (f->sim, "carol@*");
  id = run_with_dial_in (f, "ringing", &leg_path);
  end_at (f, id, 10, 0);
  g_assert_cmpstr (bk_engine_get_not_extended (f->engine, id), ==, "Nobody was connected any more.");
  g_assert_cmpuint (bk_engine_get_auto_extensions (f->engine, id), ==, 0);
  g_assert_cmpuint (f->n_extended, ==, 0);
  g_assert_cmpuint (et_count (f->sim, -1, "GET", leg_path), ==, 1);
  g_assert_cmpuint (et_total (f->sim), ==, 4);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 0);
  assert_slot_idle (f, 0);
}

static void
test_nobody (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);
  g_autofree char *id = NULL;

  f->extend_mode = BK_EXTEND_AUTOMATIC;
  id = book (f, TITLE, BK_BOOKING_TYPE_RESERVATION, start, end, NULL, NULL, 0, NULL);
  start_engine (f);
  et_join_early (f->engine, f->clock, id);
  end_at (f, id, 10, 0);
  g_assert_cmpstr (bk_engine_get_not_extended (f->engine, id), ==, "Nobody was connected any more.");
  g_assert_cmpuint (bk_engine_get_auto_extensions (f->engine, id), ==, 0);
  g_assert_cmpuint (et_total (f->sim), ==, 3);   /* the legs, then the end's 2 */
  g_assert_cmpuint (f->n_extended, ==, 0);
  assert_slot_idle (f, 0);
}

/* Without the mode (the default), the same meeting ends at its end with
 * Alice still in it: 2 requests, no poll, nothing to say. */
static void
test_mode_none (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *id = NULL;

  id = book_alice (f);
  run_until_connected (f, id);
  end_at (f, id, 10, 0);
  g_assert_null (bk_engine_get_not_extended (f->engine, id));
  g_assert_cmpuint (et_total (f->sim), ==, 2);
}

/* 16 extensions (4 hours), then the end, said. */
static void
test_limit (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *id = NULL;

  f->extend_mode = BK_EXTEND_AUTOMATIC;
  id = book_alice (f);
  run_until_connected (f, id);
  for (guint i = 0; i < 16; i++)
    {
      guint minutes = 10 * 60 + 15 * i;

      bk_sim_cluster_reset_counters (f->sim);
      assert_extended_at (f, id, minutes / 60, minutes % 60, i + 1);
    }
  g_assert_cmpint (bk_engine_get_end (f->engine, id), ==, et_unix_at (7, 14, 0, 0));
  end_at (f, id, 14, 0);
  g_assert_cmpuint (bk_engine_get_auto_extensions (f->engine, id), ==, 16);
  g_assert_nonnull (strstr (bk_engine_get_not_extended (f->engine, id), "16 times"));
  g_assert_cmpuint (et_total (f->sim), ==, 2);   /* no poll: the count says no */
  g_assert_cmpuint (f->n_extended, ==, 16);
}

/* The slot is booked next (from its early join, 10:05): the end at 10:00
 * is not extended (no poll: the bookings say no), and the sentence names
 * the next booking; that one starts on time. */
static void
test_slot_booked_next (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GDateTime) a_start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) a_end = et_at (7, 10, 0, 0);
  g_autoptr(GDateTime) b_start = et_at (7, 10, 10, 0);
  g_autoptr(GDateTime) b_end = et_at (7, 11, 0, 0);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  guint64 slot_a = 0, slot_b = 0;

  set_quantity (f, 1);
  f->extend_mode = BK_EXTEND_AUTOMATIC;
  a = book (f, TITLE, BK_BOOKING_TYPE_AUTOMATIC_CONNECT, a_start, a_end, alice, NULL, 0, &slot_a);
  f->extend_mode = BK_EXTEND_NONE;
  b = book (f, "Next on the slot", BK_BOOKING_TYPE_RESERVATION, b_start, b_end, NULL, NULL, 0, &slot_b);
  g_assert_cmpuint (slot_a, ==, slot_b);
  run_until_connected (f, a);
  end_at (f, a, 10, 0);
  g_assert_nonnull (bk_engine_get_not_extended (f->engine, a));
  g_assert_nonnull (strstr (bk_engine_get_not_extended (f->engine, a), "Next on the slot"));
  g_assert_cmpstr (bk_engine_get_not_extended (f->engine, a), ==,
                   "Its meeting space is booked next for “Next on the slot” (Mon 2030-01-07 10:10).");
  g_assert_cmpuint (et_total (f->sim), ==, 2);
  g_assert_cmpuint (f->n_extended, ==, 0);
  et_advance_to (f->clock, 7, 10, 5, 0);
  et_wait_state (f->engine, b, BK_ENGINE_STATE_RUNNING);
}

/* Alice is booked elsewhere at 10:10: not extended, and she is named. */
static void
test_participant_booked_next (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GDateTime) c_start = et_at (7, 10, 10, 0);
  g_autoptr(GDateTime) c_end = et_at (7, 10, 40, 0);
  g_autofree char *a = NULL;
  g_autofree char *c = NULL;

  f->extend_mode = BK_EXTEND_AUTOMATIC;
  a = book_alice (f);
  c = book (f, "Alice elsewhere", BK_BOOKING_TYPE_NO_CONNECT, c_start, c_end, alice, NULL, 0, NULL);
  run_until_connected (f, a);
  et_advance_to (f->clock, 7, 10, 0, 0);
  et_wait_state (f->engine, a, BK_ENGINE_STATE_ENDED);
  g_assert_cmpstr (bk_engine_get_not_extended (f->engine, a), ==,
                   "alice@ex.example is booked next in “Alice elsewhere” (Mon 2030-01-07 10:10).");
}

/* Alice's other booking is a series whose meeting that day has its own
 * participants, without her (she is away from it): the meeting is
 * extended; the series' list alone would have refused it. */
static void
test_participant_away_next (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GDateTime) c_start = et_at (7, 10, 10, 0);
  g_autoptr(GDateTime) c_end = et_at (7, 10, 40, 0);
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GPtrArray) without_alice = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_participant_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL;
  g_autofree char *c = NULL;
  g_autofree char *c_uid = NULL;

  f->extend_mode = BK_EXTEND_AUTOMATIC;
  a = book_alice (f);
  f->extend_mode = BK_EXTEND_NONE;
  c = book (f, "Alice elsewhere", BK_BOOKING_TYPE_NO_CONNECT, c_start, c_end, alice, NULL, 2, NULL);
  c_uid = g_strndup (c, strrchr (c, '@') - c);
  now = bk_clock_now (f->clock);
  g_ptr_array_add (without_alice, bk_participant_new ("", "bob@ex.example", BK_DIAL_OUT));
  {
    BkBookingRules rules = { g_date_time_to_unix (now), f->bridges, NULL };

    g_assert_true (bk_booking_store_change_occurrence (f->store, &rules, c_uid, g_date_time_to_unix (c_start),
                                                       c_start, c_end, NULL, NULL, without_alice, NULL, &error));
    g_assert_no_error (error);
  }
  run_until_connected (f, a);
  et_advance_to (f->clock, 7, 10, 0, 0);
  et_wait_deadline (f->clock, et_unix_at (7, 10, 10, 0));   /* the first warning of the new end */
  g_assert_cmpuint (f->n_extended, ==, 1);
  g_assert_null (bk_engine_get_not_extended (f->engine, a));
  g_assert_cmpint (bk_engine_get_state (f->engine, a), ==, BK_ENGINE_STATE_RUNNING);
}

/* End Now is not undone by an automatic extension. */
static void
test_end_now (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;

  f->extend_mode = BK_EXTEND_AUTOMATIC;
  id = book_alice (f);
  run_until_connected (f, id);
  et_advance_to (f->clock, 7, 9, 30, 0);
  bk_sim_cluster_reset_counters (f->sim);
  g_assert_true (bk_engine_end_now (f->engine, id, &error));
  g_assert_no_error (error);
  et_wait_state (f->engine, id, BK_ENGINE_STATE_ENDED);
  g_assert_cmpuint (et_total (f->sim), ==, 2);
  g_assert_cmpuint (f->n_extended, ==, 0);
}

/* A new engine (the application was restarted) after two extensions: the
 * occurrence has left the window (its booked end passed), yet the mode
 * and the count come back from the journal: the next end extends it a
 * third time. */
static void
test_restart_keeps_count (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *id = NULL;

  f->extend_mode = BK_EXTEND_AUTOMATIC;
  id = book_alice (f);
  run_until_connected (f, id);
  bk_sim_cluster_reset_counters (f->sim);
  assert_extended_at (f, id, 10, 0, 1);
  assert_extended_at (f, id, 10, 15, 2);
  et_advance_to (f->clock, 7, 10, 20, 0);

  et_kill_engine (&f->engine, f->clock);
  start_engine (f);
  et_wait_state (f->engine, id, BK_ENGINE_STATE_RUNNING);
  for (guint waited = 0; bk_engine_get_meeting (f->engine, id) == NULL && waited < WAIT_MS; waited += 10)
    bk_test_spin (10);
  g_assert_nonnull (bk_engine_get_meeting (f->engine, id));   /* adopted */
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 1);
  g_assert_cmpuint (bk_engine_get_auto_extensions (f->engine, id), ==, 2);
  g_assert_cmpint (bk_engine_get_end (f->engine, id), ==, et_unix_at (7, 10, 30, 0));
  bk_sim_cluster_reset_counters (f->sim);
  assert_extended_at (f, id, 10, 30, 3);
  et_kill_engine (&f->engine, f->clock);

  /* The journal says so. */
  {
    g_autofree char *path = g_build_filename (f->dir, "engine-journal.json", NULL);
    g_autofree char *text = NULL;

    g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
    g_assert_nonnull (strstr (text, "\"auto-extensions\" : 3"));
    g_assert_nonnull (strstr (text, "\"extend-mode\" : \"automatic\""));
  }
}

int
main (int argc, char **argv)
{
  bk_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/engine/extend/while-connected", test_while_connected);
  ADD ("/engine/extend/dial-in-counts", test_dial_in_counts);
  ADD ("/engine/extend/dial-in-ringing", test_dial_in_ringing);
  ADD ("/engine/extend/nobody", test_nobody);
  ADD ("/engine/extend/mode-none", test_mode_none);
  ADD ("/engine/extend/limit", test_limit);
  ADD ("/engine/extend/slot-booked-next", test_slot_booked_next);
  ADD ("/engine/extend/participant-booked-next", test_participant_booked_next);
  ADD ("/engine/extend/participant-away-next", test_participant_away_next);
  ADD ("/engine/extend/end-now", test_end_now);
  ADD ("/engine/extend/restart-keeps-count", test_restart_keeps_count);
#undef ADD

  return g_test_run ();
}
