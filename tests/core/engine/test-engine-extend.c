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
#define BRIDGE  ET_BRIDGE
#define TITLE   "Quarterly review"

typedef struct
{
  EtFixture       et;           /* first */
  guint           n_extended;   /* "auto-extended" signals */
  guint           n_end_changed;
} Fixture;

/* ---- plumbing ---- */

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
  et_fixture_new_engine (&f->et);
  g_signal_connect (f->et.engine, "auto-extended", G_CALLBACK (auto_extended_cb), f);
  g_signal_connect (f->et.engine, "end-changed", G_CALLBACK (end_changed_cb), f);
  bk_engine_run (f->et.engine);
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
  BkEngineState state = bk_engine_get_state (w->f->et.engine, w->id);

  return bk_engine_get_auto_extensions (w->f->et.engine, w->id) >= w->n
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

  g_assert_cmpint (bk_engine_get_end (f->et.engine, id), ==, end);
  et_advance_to (f->et.clock, 7, h, m, 0);
  bk_test_wait_until (extended_or_over, &w, WAIT_MS);
  g_assert_cmpstr (bk_engine_state_to_string (bk_engine_get_state (f->et.engine, id)), ==, "running");
  g_assert_cmpuint (bk_engine_get_auto_extensions (f->et.engine, id), ==, n);
  g_assert_cmpint (bk_engine_get_end (f->et.engine, id), ==, end + 15 * 60);
  g_assert_null (bk_engine_get_not_extended (f->et.engine, id));
  g_assert_cmpuint (et_count (f->et.sim, -1, "DELETE", NULL), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 1);
  et_wait_deadline (f->et.clock, end + 10 * 60);   /* "ends in 5 minutes" again */
}

static const char * const alice[] = { "alice@ex.example", NULL };

/* Waits until the bridge has the first participant's leg connected (the
 * simulator answers after its connect delay); then forgets the requests. */
static void
wait_connected (Fixture    *f,
                const char *id)
{
  BkMeeting *m = bk_engine_get_meeting (f->et.engine, id);
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

          bk_cms_client_get_async (f->et.probe, BK_CMS_KIND_CALL_LEG, path, NULL, NULL, et_result_cb, &res);
          leg = bk_cms_client_get_finish (f->et.probe, et_wait_result (&res), NULL);
          g_object_unref (res);
          connected = leg != NULL && g_strcmp0 (leg->state, "connected") == 0;
        }
      if (!connected)
        bk_test_spin (10);
    }
  g_assert_true (connected);
  bk_sim_cluster_reset_counters (f->et.sim);
}

/* Alice's meeting: TITLE from 09:00 to 10:00, Automatic Connect, in the
 * fixture's extend mode; returns its first occurrence's id. */
static char *
book_alice (Fixture *f)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);

  return et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_AUTOMATIC_CONNECT, start, end, alice, NULL, 0, NULL);
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
  et_join_early (f->et.engine, f->et.clock, id);
  et_advance_to (f->et.clock, 7, 9, 0, 0);   /* the participants are called at the start */
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
    et_advance_to (f->et.clock, 7, h - 1, 59, 59);
  else
    et_advance_to (f->et.clock, 7, h, m - 1, 59);
  bk_sim_cluster_reset_counters (f->et.sim);
  et_advance_to (f->et.clock, 7, h, m, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_ENDED);
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

  f->et.extend_mode = BK_EXTEND_AUTOMATIC;
  id = book_alice (f);
  run_until_connected (f, id);
  et_advance_to (f->et.clock, 7, 9, 55, 0);
  et_advance_to (f->et.clock, 7, 9, 59, 0);
  et_advance_to (f->et.clock, 7, 9, 59, 59);
  g_assert_cmpstr (f->et.warnings->str, ==, "09:55:00=5 09:59:00=1 ");

  bk_sim_cluster_reset_counters (f->et.sim);
  assert_extended_at (f, id, 10, 0, 1);
  g_assert_cmpuint (f->n_extended, ==, 1);
  g_assert_cmpuint (f->n_end_changed, ==, 1);
  g_assert_cmpuint (et_total (f->et.sim), ==, 2);
  g_assert_cmpuint (et_count (f->et.sim, -1, "GET", NULL), ==, 2);
  m = bk_engine_get_meeting (f->et.engine, id);
  g_assert_cmpint (bk_meeting_get_participant_state (m, 0), ==, BK_PARTICIPANT_CONNECTED);

  et_advance_to (f->et.clock, 7, 10, 10, 0);
  et_advance_to (f->et.clock, 7, 10, 14, 0);
  et_advance_to (f->et.clock, 7, 10, 14, 59);
  g_assert_cmpstr (f->et.warnings->str, ==, "09:55:00=5 09:59:00=1 10:10:00=5 10:14:00=1 ");
  bk_sim_cluster_reset_counters (f->et.sim);
  assert_extended_at (f, id, 10, 15, 2);
  g_assert_cmpuint (et_total (f->et.sim), ==, 1);   /* GET /calls/<id>/callLegs */

  /* Alice leaves. */
  path = g_strdup_printf ("callLegs/%s", bk_meeting_get_participant_leg_id (m, 0));
  bk_cms_client_delete_async (f->et.probe, path, NULL, et_result_cb, &res);
  g_assert_true (bk_cms_client_delete_finish (f->et.probe, et_wait_result (&res), &error));
  g_assert_no_error (error);
  g_object_unref (res);
  end_at (f, id, 10, 30);
  g_assert_cmpstr (bk_engine_get_not_extended (f->et.engine, id), ==, "Nobody was connected any more.");
  g_assert_cmpuint (bk_engine_get_auto_extensions (f->et.engine, id), ==, 2);
  g_assert_cmpint (bk_engine_get_end (f->et.engine, id), ==, et_unix_at (7, 10, 30, 0));
  g_assert_cmpuint (et_count (f->et.sim, -1, "GET", NULL), ==, 1);      /* the poll: no leg left */
  g_assert_cmpuint (et_count (f->et.sim, -1, "DELETE", "/api/v1/calls/"), ==, 1);
  g_assert_cmpuint (et_count (f->et.sim, -1, "PUT", "/api/v1/coSpaces/"), ==, 1);
  g_assert_cmpuint (et_total (f->et.sim), ==, 3);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 0);
  et_fixture_assert_slot_idle (&f->et, 0);
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
  const char *call_id = bk_meeting_get_call_id (bk_engine_get_meeting (f->et.engine, id));
  g_autofree char *path = g_strdup_printf ("calls/%s/callLegs", call_id);
  g_autofree char *leg_path = NULL;
  const char *params[] = { "remoteParty", uri, NULL };
  g_autofree char *leg_id = NULL;
  gboolean reached = FALSE;
  GAsyncResult *res = NULL;
  g_autoptr(GError) error = NULL;

  bk_cms_client_create_async (f->et.probe, path, params, NULL, et_result_cb, &res);
  leg_id = bk_cms_client_create_finish (f->et.probe, et_wait_result (&res), &error);
  g_assert_no_error (error);
  g_clear_object (&res);
  leg_path = g_strdup_printf ("callLegs/%s", leg_id);
  for (guint waited = 0; !reached && waited < WAIT_MS; waited += 10)
    {
      g_autoptr(BkCmsCallLeg) leg = NULL;

      bk_cms_client_get_async (f->et.probe, BK_CMS_KIND_CALL_LEG, leg_path, NULL, NULL, et_result_cb, &res);
      leg = bk_cms_client_get_finish (f->et.probe, et_wait_result (&res), NULL);
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

  f->et.extend_mode = BK_EXTEND_AUTOMATIC;
  id = et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_RESERVATION, start, end, NULL, dial_in, 0, NULL);
  start_engine (f);
  et_join_early (f->et.engine, f->et.clock, id);
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

  bk_sim_cluster_reset_counters (f->et.sim);
  assert_extended_at (f, id, 10, 0, 1);
  g_assert_cmpuint (et_total (f->et.sim), ==, 2);   /* the legs, and Carol's: someone else's */
  g_assert_cmpuint (et_count (f->et.sim, -1, "GET", leg_path), ==, 1);
  g_assert_cmpuint (bk_meeting_get_n_connected (bk_engine_get_meeting (f->et.engine, id)), ==, 1);

  et_advance_to (f->et.clock, 7, 10, 14, 59);
  bk_sim_cluster_reset_counters (f->et.sim);
  assert_extended_at (f, id, 10, 15, 2);
  g_assert_cmpuint (et_total (f->et.sim), ==, 1);   /* the legs: Carol is known to be connected */
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

  bk_sim_cluster_set_unanswered_pattern (f->et.sim, "carol@*");
  id = run_with_dial_in (f, "ringing", &leg_path);
  end_at (f, id, 10, 0);
  g_assert_cmpstr (bk_engine_get_not_extended (f->et.engine, id), ==, "Nobody was connected any more.");
  g_assert_cmpuint (bk_engine_get_auto_extensions (f->et.engine, id), ==, 0);
  g_assert_cmpuint (f->n_extended, ==, 0);
  g_assert_cmpuint (et_count (f->et.sim, -1, "GET", leg_path), ==, 1);
  g_assert_cmpuint (et_total (f->et.sim), ==, 4);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 0);
  et_fixture_assert_slot_idle (&f->et, 0);
}

static void
test_nobody (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);
  g_autofree char *id = NULL;

  f->et.extend_mode = BK_EXTEND_AUTOMATIC;
  id = et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_RESERVATION, start, end, NULL, NULL, 0, NULL);
  start_engine (f);
  et_join_early (f->et.engine, f->et.clock, id);
  end_at (f, id, 10, 0);
  g_assert_cmpstr (bk_engine_get_not_extended (f->et.engine, id), ==, "Nobody was connected any more.");
  g_assert_cmpuint (bk_engine_get_auto_extensions (f->et.engine, id), ==, 0);
  g_assert_cmpuint (et_total (f->et.sim), ==, 3);   /* the legs, then the end's 2 */
  g_assert_cmpuint (f->n_extended, ==, 0);
  et_fixture_assert_slot_idle (&f->et, 0);
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
  g_assert_null (bk_engine_get_not_extended (f->et.engine, id));
  g_assert_cmpuint (et_total (f->et.sim), ==, 2);
}

/* 16 extensions (4 hours), then the end, said. */
static void
test_limit (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *id = NULL;

  f->et.extend_mode = BK_EXTEND_AUTOMATIC;
  id = book_alice (f);
  run_until_connected (f, id);
  for (guint i = 0; i < 16; i++)
    {
      guint minutes = 10 * 60 + 15 * i;

      bk_sim_cluster_reset_counters (f->et.sim);
      assert_extended_at (f, id, minutes / 60, minutes % 60, i + 1);
    }
  g_assert_cmpint (bk_engine_get_end (f->et.engine, id), ==, et_unix_at (7, 14, 0, 0));
  end_at (f, id, 14, 0);
  g_assert_cmpuint (bk_engine_get_auto_extensions (f->et.engine, id), ==, 16);
  g_assert_nonnull (strstr (bk_engine_get_not_extended (f->et.engine, id), "16 times"));
  g_assert_cmpuint (et_total (f->et.sim), ==, 2);   /* no poll: the count says no */
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

  et_fixture_set_quantity (&f->et, 1);
  f->et.extend_mode = BK_EXTEND_AUTOMATIC;
  a = et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_AUTOMATIC_CONNECT, a_start, a_end, alice, NULL, 0, &slot_a);
  f->et.extend_mode = BK_EXTEND_NONE;
  b = et_fixture_book (&f->et, "Next on the slot", BK_BOOKING_TYPE_RESERVATION, b_start, b_end, NULL, NULL, 0, &slot_b);
  g_assert_cmpuint (slot_a, ==, slot_b);
  run_until_connected (f, a);
  end_at (f, a, 10, 0);
  g_assert_nonnull (bk_engine_get_not_extended (f->et.engine, a));
  g_assert_nonnull (strstr (bk_engine_get_not_extended (f->et.engine, a), "Next on the slot"));
  g_assert_cmpstr (bk_engine_get_not_extended (f->et.engine, a), ==,
                   "Its meeting space is booked next for “Next on the slot” (Mon 2030-01-07 10:10).");
  g_assert_cmpuint (et_total (f->et.sim), ==, 2);
  g_assert_cmpuint (f->n_extended, ==, 0);
  et_advance_to (f->et.clock, 7, 10, 5, 0);
  et_wait_state (f->et.engine, b, BK_ENGINE_STATE_RUNNING);
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

  f->et.extend_mode = BK_EXTEND_AUTOMATIC;
  a = book_alice (f);
  c = et_fixture_book (&f->et, "Alice elsewhere", BK_BOOKING_TYPE_NO_CONNECT, c_start, c_end, alice, NULL, 0, NULL);
  run_until_connected (f, a);
  et_advance_to (f->et.clock, 7, 10, 0, 0);
  et_wait_state (f->et.engine, a, BK_ENGINE_STATE_ENDED);
  g_assert_cmpstr (bk_engine_get_not_extended (f->et.engine, a), ==,
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

  f->et.extend_mode = BK_EXTEND_AUTOMATIC;
  a = book_alice (f);
  f->et.extend_mode = BK_EXTEND_NONE;
  c = et_fixture_book (&f->et, "Alice elsewhere", BK_BOOKING_TYPE_NO_CONNECT, c_start, c_end, alice, NULL, 2, NULL);
  c_uid = g_strndup (c, strrchr (c, '@') - c);
  now = bk_clock_now (f->et.clock);
  g_ptr_array_add (without_alice, bk_participant_new ("", "bob@ex.example", BK_DIAL_OUT));
  {
    BkBookingRules rules = { g_date_time_to_unix (now), f->et.bridges, NULL };

    g_assert_true (bk_booking_store_change_occurrence (f->et.store, &rules, c_uid, g_date_time_to_unix (c_start),
                                                       c_start, c_end, NULL, NULL, without_alice, NULL, &error));
    g_assert_no_error (error);
  }
  run_until_connected (f, a);
  et_advance_to (f->et.clock, 7, 10, 0, 0);
  et_wait_deadline (f->et.clock, et_unix_at (7, 10, 10, 0));   /* the first warning of the new end */
  g_assert_cmpuint (f->n_extended, ==, 1);
  g_assert_null (bk_engine_get_not_extended (f->et.engine, a));
  g_assert_cmpint (bk_engine_get_state (f->et.engine, a), ==, BK_ENGINE_STATE_RUNNING);
}

/* End Now is not undone by an automatic extension. */
static void
test_end_now (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;

  f->et.extend_mode = BK_EXTEND_AUTOMATIC;
  id = book_alice (f);
  run_until_connected (f, id);
  et_advance_to (f->et.clock, 7, 9, 30, 0);
  bk_sim_cluster_reset_counters (f->et.sim);
  g_assert_true (bk_engine_end_now (f->et.engine, id, &error));
  g_assert_no_error (error);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_ENDED);
  g_assert_cmpuint (et_total (f->et.sim), ==, 2);
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

  f->et.extend_mode = BK_EXTEND_AUTOMATIC;
  id = book_alice (f);
  run_until_connected (f, id);
  bk_sim_cluster_reset_counters (f->et.sim);
  assert_extended_at (f, id, 10, 0, 1);
  assert_extended_at (f, id, 10, 15, 2);
  et_advance_to (f->et.clock, 7, 10, 20, 0);

  et_kill_engine (&f->et.engine, f->et.clock);
  start_engine (f);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_RUNNING);
  for (guint waited = 0; bk_engine_get_meeting (f->et.engine, id) == NULL && waited < WAIT_MS; waited += 10)
    bk_test_spin (10);
  g_assert_nonnull (bk_engine_get_meeting (f->et.engine, id));   /* adopted */
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 1);
  g_assert_cmpuint (bk_engine_get_auto_extensions (f->et.engine, id), ==, 2);
  g_assert_cmpint (bk_engine_get_end (f->et.engine, id), ==, et_unix_at (7, 10, 30, 0));
  bk_sim_cluster_reset_counters (f->et.sim);
  assert_extended_at (f, id, 10, 30, 3);
  et_kill_engine (&f->et.engine, f->et.clock);

  /* The journal says so. */
  {
    g_autofree char *path = g_build_filename (f->et.dir, "engine-journal.json", NULL);
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

/* Its fixture is EtFixture (first) and what it adds, zeroed. */
#define ADD(path, func) g_test_add_vtable (path, sizeof (Fixture), NULL, et_fixture_set_up, \
                                           (GTestFixtureFunc) (func), et_fixture_tear_down)
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
