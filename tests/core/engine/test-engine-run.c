/* test-engine-run.c: BkEngine runs booked meetings on time (a fake clock),
 * against the simulator over loopback HTTPS, counting every request; and a
 * new engine on the same store, journal and simulator carries on
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestEngineRun"

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
  guint           starts;       /* RUNNING that is not an adoption: the application's "Meeting Started" */
} Fixture;

/* ---- plumbing ---- */

/* Counts what the application tells as "Meeting Started". */
static void
state_changed_cb (BkEngine      *engine,
                  const char    *id,
                  BkEngineState  state,
                  Fixture       *f)
{
  if (state == BK_ENGINE_STATE_RUNNING && !bk_engine_get_adopted (engine, id))
    f->starts++;
}

/* A new engine on the fixture's store, clock, journal and simulator. */
static void
start_engine (Fixture *f)
{
  et_fixture_new_engine (&f->et);
  g_signal_connect (f->et.engine, "state-changed", G_CALLBACK (state_changed_cb), f);
  bk_engine_run (f->et.engine);
}

/* The application started again (the last engine killed): the requests
 * and the state log are forgotten, a new engine starts, and its log comes
 * to hold @until (e.g. "running": it has adopted the meeting). */
static void
restart_engine (Fixture    *f,
                const char *until)
{
  bk_sim_cluster_reset_counters (f->et.sim);
  g_string_truncate (f->et.log, 0);
  start_engine (f);
  et_wait_log (f->et.log, until);
}

/* A daily series' meeting of the 7th has ended: the clock follows the
 * engine's one timer to the next day's check, each deadline asserted:
 * 11:00 (only to forget the ended one), 23:00 (the window looked at again
 * within 12 hours), then the next meeting's check at 08:45 on the 8th,
 * armed (the clock stays before it). */
static void
on_to_next_days_check (Fixture *f)
{
  et_wait_deadline (f->et.clock, et_unix_at (7, 11, 0, 0));
  et_advance_to (f->et.clock, 7, 11, 0, 0);
  et_wait_deadline (f->et.clock, et_unix_at (7, 23, 0, 0));
  et_advance_to (f->et.clock, 7, 23, 0, 0);
  et_wait_deadline (f->et.clock, et_unix_at (8, 8, 45, 0));
}

static const char * const two_out[] = { "alice@ex.example", "bob@ex.example", NULL };
static const char * const one_in[] = { "carol@ex.example", NULL };

/* The usual booking: TITLE on the 7th, 09:00 to 10:00, automatic
 * connect, Alice and Bob dialled out; returns its occurrence's id. */
static char *
book_review (Fixture *f)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);

  return et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_AUTOMATIC_CONNECT, start, end,
                          two_out, NULL, 0, NULL);
}

/* The clock reaches 10:00, the end of meeting @id: it has ended, no call
 * is left and slot 7001 is idle again. */
static void
end_at_ten (Fixture    *f,
            const char *id)
{
  et_advance_to (f->et.clock, 7, 10, 0, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_ENDED);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 0);
  et_fixture_assert_slot_idle (&f->et, 0);
}

/* TITLE daily on the 7th and the 8th, 09:00 to 10:00, Alice and Bob
 * dialled out: returns the first meeting's id; the series' uid in @uid
 * and the second meeting's id in @second. */
static char *
book_two_days (Fixture  *f,
               char    **uid,
               char    **second)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);
  char *first = et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_AUTOMATIC_CONNECT, start, end, two_out, NULL, 2, NULL);

  *uid = g_strndup (first, strrchr (first, '@') - first);
  *second = bk_engine_occurrence_id (*uid, et_unix_at (8, 9, 0, 0));
  return first;
}

/* ---- tests ---- */

/* Automatic Connect, on time: checked 15 minutes before, activated exactly
 * at its tick (start - early join: PUT the space, POST /calls, 2 requests;
 * the check found the space), its dial-out participants (only those)
 * dialled exactly at its start, k requests in parallel, on the one timer
 * (TMS "does not dial out before the scheduled start"); ended exactly at
 * its end in 2 requests with the slot reset. */
static void
test_automatic_connect (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);
  guint64 slot = 0;
  g_autofree char *id = et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_AUTOMATIC_CONNECT, start, end,
                                         two_out, one_in, 0, &slot);
  BkMeeting *m;

  g_assert_cmpuint (slot, ==, 7001);
  start_engine (f);
  g_assert_cmpint (bk_engine_get_state (f->et.engine, id), ==, BK_ENGINE_STATE_SCHEDULED);
  /* Due within 24 hours: pending (the application stays in the background). */
  g_assert_cmpuint (bk_engine_get_n_pending (f->et.engine), ==, 1);
  g_assert_cmpint (et_deadline (f->et.clock), ==, et_unix_at (7, 8, 45, 0));   /* one timer: the check */

  et_advance_to (f->et.clock, 7, 8, 44, 59);
  g_assert_cmpuint (et_total (f->et.sim), ==, 0);
  g_assert_cmpint (bk_engine_get_state (f->et.engine, id), ==, BK_ENGINE_STATE_SCHEDULED);

  et_advance_to (f->et.clock, 7, 8, 45, 0);
  g_assert_cmpint (bk_engine_get_state (f->et.engine, id), ==, BK_ENGINE_STATE_CHECKING);
  et_wait_deadline (f->et.clock, et_unix_at (7, 8, 55, 0));
  g_assert_cmpuint (et_total (f->et.sim), ==, 1);                          /* GET /coSpaces?filter= */
  g_assert_cmpuint (et_count (f->et.sim, -1, "GET", "/api/v1/coSpaces"), ==, 1);
  g_assert_null (bk_engine_get_problem (f->et.engine, id));
  g_assert_cmpuint (f->et.problems->len, ==, 0);

  et_advance_to (f->et.clock, 7, 8, 54, 59);
  g_assert_cmpuint (et_total (f->et.sim), ==, 1);
  g_assert_cmpint (bk_engine_get_state (f->et.engine, id), ==, BK_ENGINE_STATE_CHECKING);
  bk_sim_cluster_reset_counters (f->et.sim);

  et_join_early (f->et.engine, f->et.clock, id);
  /* The space is ready (dial-in participants can join), nobody is called. */
  et_wait_deadline (f->et.clock, et_unix_at (7, 9, 0, 0));                     /* the dial, at the start */
  g_assert_cmpuint (et_total (f->et.sim), ==, 2);
  g_assert_cmpuint (et_count (f->et.sim, -1, "PUT", "/api/v1/coSpaces/"), ==, 1);
  g_assert_cmpuint (et_posted_calls (f->et.sim, -1), ==, 1);
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", "/api/v1/calls/"), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->et.sim, -1), ==, 0);
  et_assert_field (f->et.sim, f->et.space[0], "name", TITLE);
  et_assert_field (f->et.sim, f->et.space[0], "nonMemberAccess", "true");
  m = bk_engine_get_meeting (f->et.engine, id);
  g_assert_nonnull (m);
  g_assert_cmpuint (bk_meeting_get_n_participants (m), ==, 2);
  g_assert_cmpstr (bk_meeting_get_participant_uri (m, 0), ==, "alice@ex.example");
  g_assert_null (bk_meeting_get_participant_leg_id (m, 0));
  g_assert_true (g_file_test (bk_engine_get_journal_path (f->et.engine), G_FILE_TEST_EXISTS));

  et_advance_to (f->et.clock, 7, 8, 59, 59);
  g_assert_cmpuint (et_total (f->et.sim), ==, 2);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->et.sim, -1), ==, 0);
  bk_sim_cluster_reset_counters (f->et.sim);

  /* k = the two dial-out participants, in parallel; the dial-in one is not called. */
  et_advance_to (f->et.clock, 7, 9, 0, 0);
  et_wait_deadline (f->et.clock, et_unix_at (7, 9, 55, 0));                    /* the first end warning */
  g_assert_cmpuint (et_total (f->et.sim), ==, 2);
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", "/api/v1/calls/"), ==, 2);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->et.sim, -1), ==, 2);
  g_assert_nonnull (bk_meeting_get_participant_leg_id (m, 0));
  g_assert_nonnull (bk_meeting_get_participant_leg_id (m, 1));

  et_advance_to (f->et.clock, 7, 9, 59, 59);
  g_assert_cmpint (bk_engine_get_state (f->et.engine, id), ==, BK_ENGINE_STATE_RUNNING);
  g_assert_cmpuint (bk_engine_get_n_pending (f->et.engine), ==, 1);
  bk_sim_cluster_reset_counters (f->et.sim);

  et_advance_to (f->et.clock, 7, 10, 0, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_ENDED);
  g_assert_cmpuint (bk_engine_get_n_pending (f->et.engine), ==, 0);
  g_assert_cmpuint (et_total (f->et.sim), ==, 2);                          /* DELETE the call, PUT the slot */
  g_assert_cmpuint (et_count (f->et.sim, -1, "DELETE", "/api/v1/calls/"), ==, 1);
  g_assert_cmpuint (et_count (f->et.sim, -1, "PUT", "/api/v1/coSpaces/"), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->et.sim, -1), ==, 0);
  et_fixture_assert_slot_idle (&f->et, 0);
  g_assert_cmpstr (f->et.log->str, ==, "checking starting running ending ended ");
}

/* Reservation: the slot is activated and a call made, but nobody is
 * dialled; No Connect: nothing on a bridge at all. */
static void
test_reservation (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);
  g_autofree char *id = et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_RESERVATION, start, end,
                                         two_out, NULL, 0, NULL);
  g_autofree char *none = et_fixture_book (&f->et, "Rooms only", BK_BOOKING_TYPE_NO_CONNECT, start, end,
                                           NULL, NULL, 0, NULL);
  g_auto(GStrv) ids = NULL;

  start_engine (f);
  ids = bk_engine_dup_occurrence_ids (f->et.engine);
  g_assert_true (g_strv_contains ((const char * const *) ids, id));
  g_assert_false (g_strv_contains ((const char * const *) ids, none));

  et_join_early (f->et.engine, f->et.clock, id);
  g_assert_cmpuint (et_posted_calls (f->et.sim, -1), ==, 1);
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", "/api/v1/calls/"), ==, 0);   /* no legs */
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->et.sim, -1), ==, 0);
  et_assert_field (f->et.sim, f->et.space[0], "name", TITLE);
  et_assert_field (f->et.sim, f->et.space[0], "nonMemberAccess", "true");
  et_fixture_assert_slot_idle (&f->et, 1);   /* No Connect took no slot */

  et_advance_to (f->et.clock, 7, 10, 0, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_ENDED);
  et_fixture_assert_slot_idle (&f->et, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 0);
}

/* The check 15 minutes before finds the slot's space missing: a problem
 * with a sentence, then; at the start, a failure with a sentence and
 * nothing made on the bridge. */
static void
test_check_missing_slot (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *id = book_review (f);
  const char *error;

  g_assert_true (bk_sim_cluster_remove_cospace (f->et.sim, f->et.space[0]));
  start_engine (f);
  et_advance_to (f->et.clock, 7, 8, 45, 0);
  et_wait_deadline (f->et.clock, et_unix_at (7, 8, 55, 0));
  g_assert_cmpuint (f->et.problems->len, ==, 1);
  g_assert_nonnull (strstr (g_ptr_array_index (f->et.problems, 0), "7001"));
  g_assert_nonnull (strstr (g_ptr_array_index (f->et.problems, 0), "missing"));
  g_assert_cmpstr (bk_engine_get_problem (f->et.engine, id), ==, g_ptr_array_index (f->et.problems, 0));
  g_assert_cmpint (bk_engine_get_state (f->et.engine, id), ==, BK_ENGINE_STATE_CHECKING);

  et_advance_to (f->et.clock, 7, 8, 55, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_FAILED);
  error = bk_engine_get_error (f->et.engine, id);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error, TITLE));
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", NULL), ==, 0);
  g_assert_cmpuint (et_count (f->et.sim, -1, "PUT", NULL), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 0);
  /* Failed is final: the next plan does not try again. */
  et_advance_to (f->et.clock, 7, 9, 30, 0);
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", NULL), ==, 0);
}

/* Killed while the meeting runs, between its activation and its start; a
 * new engine on the same store, journal and simulator adopts the call
 * (listing it), makes no second call, and dials the participants exactly
 * once, at the start; a third engine after the dial adopts the legs and
 * dials nobody again (25 min later); it ends at its end. */
static void
test_restart_running (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *id = book_review (f);
  g_autofree char *call_id = NULL;
  BkMeeting *m;

  start_engine (f);
  et_join_early (f->et.engine, f->et.clock, id);
  call_id = g_strdup (bk_meeting_get_call_id (bk_engine_get_meeting (f->et.engine, id)));
  et_kill_engine (&f->et.engine, f->et.clock);

  /* Back within the minute (an on-time start needs no listing): only the
   * journal tells the new engine that it started the meeting. */
  et_advance_to (f->et.clock, 7, 8, 55, 30);
  restart_engine (f, "running");
  g_assert_cmpstr (f->et.log->str, ==, "starting running ");
  m = bk_engine_get_meeting (f->et.engine, id);
  g_assert_nonnull (m);
  g_assert_cmpstr (bk_meeting_get_call_id (m), ==, call_id);   /* adopted */
  /* Found again, not started: nobody is told it started a second time. */
  g_assert_true (bk_engine_get_adopted (f->et.engine, id));
  g_assert_cmpuint (f->starts, ==, 1);
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", NULL), ==, 0);           /* nothing doubled, nobody called early */
  g_assert_cmpuint (et_count (f->et.sim, -1, "GET", "/api/v1/calls"), >=, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->et.sim, -1), ==, 0);
  et_wait_deadline (f->et.clock, et_unix_at (7, 9, 0, 0));    /* the dial */

  et_advance_to (f->et.clock, 7, 9, 0, 0);
  et_wait_deadline (f->et.clock, et_unix_at (7, 9, 55, 0));   /* the first end warning */
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", "/api/v1/calls/"), ==, 2);   /* once each */
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->et.sim, -1), ==, 2);
  for (guint i = 0; i < 2; i++)
    g_assert_nonnull (bk_meeting_get_participant_leg_id (m, i));
  bk_sim_cluster_reset_counters (f->et.sim);

  /* And a third engine, after the dial: still one call, the legs adopted. */
  et_kill_engine (&f->et.engine, f->et.clock);
  et_advance_to (f->et.clock, 7, 9, 20, 0);
  start_engine (f);
  et_wait_deadline (f->et.clock, et_unix_at (7, 9, 55, 0));
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", NULL), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->et.sim, -1), ==, 2);
  m = bk_engine_get_meeting (f->et.engine, id);
  for (guint i = 0; i < 2; i++)
    g_assert_nonnull (bk_meeting_get_participant_leg_id (m, i));

  end_at_ten (f, id);
}

/* Killed while the meeting runs, started again after its end: the call is
 * found and deleted and the slot reset; nothing is started. */
static void
test_restart_after_end (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *id = book_review (f);

  start_engine (f);
  et_join_early (f->et.engine, f->et.clock, id);
  et_kill_engine (&f->et.engine, f->et.clock);

  et_advance_to (f->et.clock, 7, 10, 30, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 1);   /* left running */
  restart_engine (f, "ended");
  g_assert_cmpstr (f->et.log->str, ==, "ending ended ");
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", NULL), ==, 0);
  g_assert_cmpuint (et_count (f->et.sim, -1, "DELETE", "/api/v1/calls/"), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->et.sim, -1), ==, 0);
  et_fixture_assert_slot_idle (&f->et, 0);

  /* Over: another engine does nothing at all with it (nor an hour later). */
  et_kill_engine (&f->et.engine, f->et.clock);
  bk_sim_cluster_reset_counters (f->et.sim);
  start_engine (f);
  bk_test_spin (200);
  g_assert_cmpint (bk_engine_get_state (f->et.engine, id), ==, BK_ENGINE_STATE_ENDED);
  et_advance_to (f->et.clock, 7, 11, 30, 0);
  g_assert_cmpint (bk_engine_get_state (f->et.engine, id), ==, BK_ENGINE_STATE_SCHEDULED);  /* forgotten */
  et_kill_engine (&f->et.engine, f->et.clock);
  start_engine (f);
  bk_test_spin (200);
  g_assert_cmpuint (et_total (f->et.sim), ==, 0);
}

static void probe_delete (Fixture *f, const char *path);

typedef struct
{
  Fixture *f;
  guint    n;
} LegsCount;

static gboolean
legs_are (gpointer data)
{
  LegsCount *w = data;

  return bk_sim_cluster_get_n_call_legs (w->f->et.sim, -1) == w->n;
}

static void
wait_legs (Fixture *f,
           guint    n)
{
  LegsCount w = { f, n };

  bk_test_wait_until (legs_are, &w, WAIT_MS);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->et.sim, -1), ==, n);
}

typedef struct
{
  BkMeeting *meeting;
  guint      index;
} LegOf;

static gboolean
has_leg (gpointer data)
{
  LegOf *w = data;

  return bk_meeting_get_participant_leg_id (w->meeting, w->index) != NULL;
}

/* The participant at @index of @m has a leg (its POST was answered). */
static void
wait_leg_of (BkMeeting *m,
             guint      index)
{
  LegOf w = { m, index };

  bk_test_wait_until (has_leg, &w, WAIT_MS);
  g_assert_nonnull (bk_meeting_get_participant_leg_id (m, index));
}

/* Add Participant and Redial during the early join (the space activated,
 * the call made, the booked participants held until the start): a TMS
 * user adding someone wants them called now. Dave, added, is called at
 * once (the refresh's listing, then one POST); Bob, dropped before the
 * start and redialled, too; Alice still waits for the start. The journal
 * says so: a new engine before the start adopts their legs (no POST), and
 * at the start only Alice is called, once. */
static void
test_add_early (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *id = book_review (f);
  g_autofree char *journal = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  BkMeeting *m;

  start_engine (f);
  et_join_early (f->et.engine, f->et.clock, id);
  et_wait_deadline (f->et.clock, et_unix_at (7, 9, 0, 0));   /* the dial, at the start */
  m = bk_engine_get_meeting (f->et.engine, id);
  g_assert_true (bk_meeting_get_dial_held (m));
  bk_sim_cluster_reset_counters (f->et.sim);

  g_assert_true (bk_engine_add_participant (f->et.engine, id, "dave@ex.example", &error));
  g_assert_no_error (error);
  wait_leg_of (m, 2);
  wait_legs (f, 1);
  g_assert_cmpuint (bk_meeting_get_n_participants (m), ==, 3);
  g_assert_false (bk_meeting_get_participant_held (m, 2));
  g_assert_true (bk_meeting_get_participant_held (m, 0));
  g_assert_true (bk_meeting_get_participant_held (m, 1));
  g_assert_null (bk_meeting_get_participant_leg_id (m, 0));
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", "/api/v1/calls/"), ==, 1);
  g_assert_cmpuint (et_count (f->et.sim, -1, "GET", NULL), ==, 1);
  g_assert_cmpuint (et_total (f->et.sim), ==, 2);

  /* Bob is dropped before the start (not called), then redialled: now. */
  bk_meeting_drop_async (m, 1, NULL, et_result_cb, &res);
  g_assert_true (bk_meeting_drop_finish (m, et_wait_result (&res), &error));
  g_assert_no_error (error);
  g_clear_object (&res);
  g_assert_cmpint (bk_meeting_get_participant_state (m, 1), ==, BK_PARTICIPANT_GONE);
  bk_sim_cluster_reset_counters (f->et.sim);
  bk_meeting_redial (m, 1);
  bk_meeting_refresh (m);
  wait_leg_of (m, 1);
  wait_legs (f, 2);
  g_assert_false (bk_meeting_get_participant_held (m, 1));
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", "/api/v1/calls/"), ==, 1);
  g_assert_null (bk_meeting_get_participant_leg_id (m, 0));
  g_assert_true (bk_meeting_get_participant_held (m, 0));

  journal = et_read_journal (f->et.engine);
  g_assert_nonnull (strstr (journal, "dave@ex.example"));
  g_assert_nonnull (strstr (journal, "\"early\""));
  et_kill_engine (&f->et.engine, f->et.clock);

  /* A new engine before the start: their legs are adopted, nobody is
   * called; Alice still waits. */
  et_advance_to (f->et.clock, 7, 8, 57, 0);
  restart_engine (f, "running");
  et_wait_deadline (f->et.clock, et_unix_at (7, 9, 0, 0));
  m = bk_engine_get_meeting (f->et.engine, id);
  g_assert_cmpuint (bk_meeting_get_n_participants (m), ==, 3);
  g_assert_nonnull (bk_meeting_get_participant_leg_id (m, 1));
  g_assert_nonnull (bk_meeting_get_participant_leg_id (m, 2));
  g_assert_null (bk_meeting_get_participant_leg_id (m, 0));
  g_assert_true (bk_meeting_get_participant_held (m, 0));
  g_assert_false (bk_meeting_get_participant_held (m, 2));
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", NULL), ==, 0);
  g_assert_cmpuint (et_count (f->et.sim, -1, "PUT", NULL), ==, 0);

  /* The start: Alice, once; Bob and Dave are not called again. */
  bk_sim_cluster_reset_counters (f->et.sim);
  et_advance_to (f->et.clock, 7, 9, 0, 0);
  et_wait_deadline (f->et.clock, et_unix_at (7, 9, 55, 0));
  wait_leg_of (m, 0);
  wait_legs (f, 3);
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", "/api/v1/calls/"), ==, 1);
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", NULL), ==, 1);
  g_assert_cmpuint (bk_meeting_get_participant_attempts (m, 0), ==, 1);
  et_advance_to (f->et.clock, 7, 9, 30, 0);
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", NULL), ==, 1);

  end_at_ten (f, id);
}

/* Who is in the meeting is journalled: one added live (Add Participant)
 * and one dropped. The meeting is extended past its booking's end, the
 * application killed and started again after that end (the booking no
 * longer says who is in the meeting): the adopted meeting has the same
 * three participants; the one added live, whose leg went while the
 * application was away, is called again (one POST), the dropped one is
 * not; the adoption is not told as a new start. */
static void
test_restart_participants (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *id = book_review (f);
  g_autofree char *call_id = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  gint64 since;
  BkMeeting *m;

  start_engine (f);
  et_join_early (f->et.engine, f->et.clock, id);
  g_assert_false (bk_engine_get_adopted (f->et.engine, id));
  g_assert_cmpuint (f->starts, ==, 1);
  m = bk_engine_get_meeting (f->et.engine, id);
  call_id = g_strdup (bk_meeting_get_call_id (m));
  et_advance_to (f->et.clock, 7, 9, 0, 0);   /* its start: the participants are called */
  wait_legs (f, 2);
  g_assert_true (bk_engine_add_participant (f->et.engine, id, "dave@ex.example", &error));
  g_assert_no_error (error);
  wait_legs (f, 3);
  bk_meeting_drop_async (m, 1, NULL, et_result_cb, &res);
  g_assert_true (bk_meeting_drop_finish (m, et_wait_result (&res), &error));
  g_assert_no_error (error);
  g_clear_object (&res);
  wait_legs (f, 2);
  g_assert_true (bk_engine_extend (f->et.engine, id, 30, &error));
  g_assert_no_error (error);
  g_assert_nonnull (bk_meeting_get_participant_leg_id (m, 2));
  path = g_strdup_printf ("callLegs/%s", bk_meeting_get_participant_leg_id (m, 2));
  since = bk_engine_get_running_since (f->et.engine, id);
  g_assert_cmpint (since, ==, et_unix_at (7, 8, 55, 0));
  et_kill_engine (&f->et.engine, f->et.clock);

  /* Dave's leg goes while the application is away. */
  probe_delete (f, path);
  wait_legs (f, 1);
  et_advance_to (f->et.clock, 7, 10, 10, 0);
  restart_engine (f, "running");
  m = bk_engine_get_meeting (f->et.engine, id);
  g_assert_nonnull (m);
  g_assert_cmpstr (bk_meeting_get_call_id (m), ==, call_id);
  g_assert_true (bk_engine_get_adopted (f->et.engine, id));
  g_assert_cmpuint (f->starts, ==, 1);
  g_assert_cmpuint (bk_meeting_get_n_participants (m), ==, 3);
  g_assert_cmpstr (bk_meeting_get_participant_uri (m, 0), ==, "alice@ex.example");
  g_assert_cmpstr (bk_meeting_get_participant_uri (m, 1), ==, "bob@ex.example");
  g_assert_cmpstr (bk_meeting_get_participant_uri (m, 2), ==, "dave@ex.example");
  g_assert_cmpint (bk_meeting_get_participant_state (m, 1), ==, BK_PARTICIPANT_GONE);
  g_assert_nonnull (bk_meeting_get_participant_leg_id (m, 0));
  wait_legs (f, 2);
  g_assert_nonnull (bk_meeting_get_participant_leg_id (m, 2));
  g_assert_null (bk_meeting_get_participant_leg_id (m, 1));
  g_assert_cmpuint (et_posted_calls (f->et.sim, -1), ==, 0);
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", "/api/v1/calls/"), ==, 1);   /* dave only */
  g_assert_cmpuint (et_count (f->et.sim, -1, "PUT", NULL), ==, 0);
  g_assert_cmpint (bk_engine_get_end (f->et.engine, id), ==, et_unix_at (7, 10, 30, 0));
  /* The live panel's duration counts from the real start. */
  g_assert_cmpint (bk_engine_get_running_since (f->et.engine, id), ==, since);

  et_advance_to (f->et.clock, 7, 10, 30, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_ENDED);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 0);
  et_fixture_assert_slot_idle (&f->et, 0);
}

/* A daily series: the second occurrence starts and ends as well. */
static void
test_series (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *uid = NULL;
  g_autofree char *second = NULL;
  g_autofree char *first = book_two_days (f, &uid, &second);

  start_engine (f);
  et_join_early (f->et.engine, f->et.clock, first);
  et_advance_to (f->et.clock, 7, 10, 0, 0);
  et_wait_state (f->et.engine, first, BK_ENGINE_STATE_ENDED);
  on_to_next_days_check (f);
  bk_sim_cluster_reset_counters (f->et.sim);

  et_advance_to (f->et.clock, 8, 8, 55, 0);
  et_wait_state (f->et.engine, second, BK_ENGINE_STATE_RUNNING);
  g_assert_cmpuint (et_posted_calls (f->et.sim, -1), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->et.sim, -1), ==, 0);
  et_advance_to (f->et.clock, 8, 9, 0, 0);
  et_wait_deadline (f->et.clock, et_unix_at (8, 9, 55, 0));
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->et.sim, -1), ==, 2);
  et_advance_to (f->et.clock, 8, 10, 0, 0);
  et_wait_state (f->et.engine, second, BK_ENGINE_STATE_ENDED);
  et_fixture_assert_slot_idle (&f->et, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 0);
}

/* Extend: refused when the slot is booked next (from the next booking's
 * early join) or a participant is; otherwise the end moves and the meeting
 * ends then; the next booking on the slot then starts on time. */
static void
test_extend (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GDateTime) a_start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) a_end = et_at (7, 10, 0, 0);
  g_autoptr(GDateTime) c_start = et_at (7, 10, 20, 0);
  g_autoptr(GDateTime) c_end = et_at (7, 10, 25, 0);
  g_autoptr(GDateTime) b_start = et_at (7, 10, 30, 0);
  g_autoptr(GDateTime) b_end = et_at (7, 11, 0, 0);
  static const char * const alice[] = { "alice@ex.example", NULL };
  guint64 slot_a = 0, slot_b = 0;
  g_autofree char *a = NULL;
  g_autofree char *c = NULL;
  g_autofree char *b = NULL;
  g_autoptr(GError) error = NULL;

  et_fixture_set_quantity (&f->et, 1);   /* one slot: the next booking uses it too */
  a = et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_AUTOMATIC_CONNECT, a_start, a_end, alice, NULL, 0, &slot_a);
  c = et_fixture_book (&f->et, "Alice elsewhere", BK_BOOKING_TYPE_NO_CONNECT, c_start, c_end, alice, NULL, 0, NULL);
  b = et_fixture_book (&f->et, "Next on the slot", BK_BOOKING_TYPE_RESERVATION, b_start, b_end, NULL, NULL, 0, &slot_b);
  g_assert_cmpuint (slot_a, ==, slot_b);

  start_engine (f);
  g_assert_false (bk_engine_extend (f->et.engine, a, 15, &error));   /* not running yet */
  g_assert_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_NOT_RUNNING);
  g_clear_error (&error);

  et_join_early (f->et.engine, f->et.clock, a);

  /* +30: into the next booking's hold on the slot (10:25). */
  g_assert_false (bk_engine_extend (f->et.engine, a, 30, &error));
  g_assert_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_SLOT_BOOKED);
  g_assert_nonnull (strstr (error->message, "Next on the slot"));
  g_clear_error (&error);
  g_assert_cmpint (bk_engine_get_end (f->et.engine, a), ==, et_unix_at (7, 10, 0, 0));

  /* +10: fine. */
  g_assert_true (bk_engine_extend (f->et.engine, a, 10, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bk_engine_get_end (f->et.engine, a), ==, et_unix_at (7, 10, 10, 0));
  g_assert_cmpint (et_deadline (f->et.clock), ==, et_unix_at (7, 9, 0, 0));    /* its dial, at its start */
  et_advance_to (f->et.clock, 7, 9, 0, 0);
  et_wait_deadline (f->et.clock, et_unix_at (7, 10, 5, 0));                     /* its first end warning */

  /* +15 more: Alice is booked at 10:20. */
  g_assert_false (bk_engine_extend (f->et.engine, a, 15, &error));
  g_assert_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_PARTICIPANT_BOOKED);
  g_assert_nonnull (strstr (error->message, "alice@ex.example"));
  g_assert_nonnull (strstr (error->message, "Alice elsewhere"));
  g_clear_error (&error);

  et_advance_to (f->et.clock, 7, 10, 0, 0);
  g_assert_cmpint (bk_engine_get_state (f->et.engine, a), ==, BK_ENGINE_STATE_RUNNING);
  et_advance_to (f->et.clock, 7, 10, 9, 59);
  g_assert_cmpint (bk_engine_get_state (f->et.engine, a), ==, BK_ENGINE_STATE_RUNNING);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 1);
  et_advance_to (f->et.clock, 7, 10, 10, 0);
  et_wait_state (f->et.engine, a, BK_ENGINE_STATE_ENDED);
  et_fixture_assert_slot_idle (&f->et, 0);

  et_advance_to (f->et.clock, 7, 10, 25, 0);
  et_wait_state (f->et.engine, b, BK_ENGINE_STATE_RUNNING);
  et_assert_field (f->et.sim, f->et.space[0], "name", "Next on the slot");
}

/* End warnings: "ending-soon" exactly at end - 5 min and end - 1 min, on
 * the one deadline, and none early; an extension past the warnings' times
 * brings both again before the new end; none after the end. */
static void
test_end_warnings (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);
  g_autofree char *id = et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_RESERVATION, start, end, NULL, NULL, 0, NULL);
  g_autoptr(GError) error = NULL;

  start_engine (f);
  et_join_early (f->et.engine, f->et.clock, id);
  et_wait_deadline (f->et.clock, et_unix_at (7, 9, 55, 0));

  et_advance_to (f->et.clock, 7, 9, 54, 59);
  g_assert_cmpstr (f->et.warnings->str, ==, "");
  et_advance_to (f->et.clock, 7, 9, 55, 0);
  g_assert_cmpstr (f->et.warnings->str, ==, "09:55:00=5 ");
  et_wait_deadline (f->et.clock, et_unix_at (7, 9, 59, 0));
  et_advance_to (f->et.clock, 7, 9, 58, 59);
  g_assert_cmpstr (f->et.warnings->str, ==, "09:55:00=5 ");
  et_advance_to (f->et.clock, 7, 9, 59, 0);
  g_assert_cmpstr (f->et.warnings->str, ==, "09:55:00=5 09:59:00=1 ");
  et_wait_deadline (f->et.clock, et_unix_at (7, 10, 0, 0));

  /* +10 after both warnings: they come again before 10:10. */
  g_string_truncate (f->et.warnings, 0);
  g_assert_true (bk_engine_extend (f->et.engine, id, 10, &error));
  g_assert_no_error (error);
  g_assert_cmpint (et_deadline (f->et.clock), ==, et_unix_at (7, 10, 5, 0));
  g_assert_cmpstr (f->et.warnings->str, ==, "");
  et_advance_to (f->et.clock, 7, 10, 0, 0);
  g_assert_cmpint (bk_engine_get_state (f->et.engine, id), ==, BK_ENGINE_STATE_RUNNING);
  et_advance_to (f->et.clock, 7, 10, 4, 59);
  g_assert_cmpstr (f->et.warnings->str, ==, "");
  et_advance_to (f->et.clock, 7, 10, 5, 0);
  g_assert_cmpstr (f->et.warnings->str, ==, "10:05:00=5 ");
  et_advance_to (f->et.clock, 7, 10, 9, 0);
  g_assert_cmpstr (f->et.warnings->str, ==, "10:05:00=5 10:09:00=1 ");
  et_advance_to (f->et.clock, 7, 10, 10, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_ENDED);
  et_fixture_assert_slot_idle (&f->et, 0);
  et_advance_to (f->et.clock, 7, 10, 30, 0);
  g_assert_cmpstr (f->et.warnings->str, ==, "10:05:00=5 10:09:00=1 ");
}

/* A meeting that could not start (its node down) is retried once the node
 * is back: it runs, with exactly one call posted in all; a retry is
 * refused while it does not apply (running, or its end has passed). */
static void
test_retry (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *id = book_review (f);
  g_autoptr(GError) error = NULL;

  start_engine (f);
  g_assert_false (bk_engine_retry (f->et.engine, id, &error));   /* scheduled: nothing to retry */
  g_assert_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_NOT_FAILED);
  g_clear_error (&error);

  bk_sim_cluster_set_node_up (f->et.sim, 0, FALSE);
  et_advance_to (f->et.clock, 7, 8, 55, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_FAILED);
  g_assert_nonnull (bk_engine_get_error (f->et.engine, id));
  g_assert_cmpuint (et_posted_calls (f->et.sim, -1), ==, 0);

  bk_sim_cluster_set_node_up (f->et.sim, 0, TRUE);
  et_advance_to (f->et.clock, 7, 9, 10, 0);
  g_string_truncate (f->et.log, 0);
  g_assert_true (bk_engine_retry (f->et.engine, id, &error));
  g_assert_no_error (error);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_RUNNING);
  g_assert_cmpstr (f->et.log->str, ==, "starting running ");
  g_assert_null (bk_engine_get_error (f->et.engine, id));
  g_assert_cmpuint (et_posted_calls (f->et.sim, -1), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 1);
  g_assert_cmpuint (et_count (f->et.sim, -1, "GET", "/api/v1/calls"), >=, 1);   /* verified first */
  et_assert_field (f->et.sim, f->et.space[0], "name", TITLE);

  /* Running: no retry; and a second retry would not double it anyway. */
  g_assert_false (bk_engine_retry (f->et.engine, id, &error));
  g_assert_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_NOT_FAILED);
  g_clear_error (&error);
  g_assert_cmpuint (et_posted_calls (f->et.sim, -1), ==, 1);

  et_advance_to (f->et.clock, 7, 10, 0, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_ENDED);
  et_fixture_assert_slot_idle (&f->et, 0);
}

/* A failed start may have left its call on the slot (its POST reached
 * the bridge, then the node went away): a retry, even on time (so only
 * the retry asks for VERIFY), adopts that call: still one call. */
static void
test_retry_adopts (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);
  g_autofree char *id = et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_RESERVATION, start, end, NULL, NULL, 0, NULL);
  const char *params[] = { "coSpace", f->et.space[0], NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *call_id = NULL;
  GAsyncResult *res = NULL;

  start_engine (f);
  bk_sim_cluster_set_node_up (f->et.sim, 0, FALSE);
  et_advance_to (f->et.clock, 7, 8, 55, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_FAILED);
  bk_sim_cluster_set_node_up (f->et.sim, 0, TRUE);

  /* The call the failed attempt left behind. */
  bk_cms_client_create_async (f->et.probe, "calls", params, NULL, et_result_cb, &res);
  call_id = bk_cms_client_create_finish (f->et.probe, et_wait_result (&res), &error);
  g_object_unref (res);
  g_assert_no_error (error);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 1);
  bk_sim_cluster_reset_counters (f->et.sim);

  et_advance_to (f->et.clock, 7, 8, 55, 30);
  g_assert_true (bk_engine_retry (f->et.engine, id, &error));
  g_assert_no_error (error);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_RUNNING);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 1);
  g_assert_cmpuint (et_posted_calls (f->et.sim, -1), ==, 0);
  g_assert_cmpstr (bk_meeting_get_call_id (bk_engine_get_meeting (f->et.engine, id)), ==, call_id);

  end_at_ten (f, id);
}

/* A failed meeting whose end has passed is not started again. */
static void
test_retry_over (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);
  g_autofree char *id = et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_RESERVATION, start, end, NULL, NULL, 0, NULL);
  g_autoptr(GError) error = NULL;

  start_engine (f);
  bk_sim_cluster_set_node_up (f->et.sim, 0, FALSE);
  et_advance_to (f->et.clock, 7, 8, 55, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_FAILED);
  bk_sim_cluster_set_node_up (f->et.sim, 0, TRUE);
  et_advance_to (f->et.clock, 7, 10, 0, 0);
  g_assert_false (bk_engine_retry (f->et.engine, id, &error));
  g_assert_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_OVER);
  g_assert_cmpint (bk_engine_get_state (f->et.engine, id), ==, BK_ENGINE_STATE_FAILED);
  g_assert_cmpuint (et_posted_calls (f->et.sim, -1), ==, 0);
}

/* The engine follows the store: a booking added, moved or removed while
 * it runs changes its one deadline at once; a clock step re-plans too. */
static void
test_store_changes (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);
  g_autoptr(GDateTime) later_start = et_at (7, 9, 30, 0);
  g_autoptr(GDateTime) later_end = et_at (7, 10, 30, 0);
  g_autoptr(BkBooking) moved = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *uid = NULL;
  g_autoptr(GDateTime) now = NULL;
  BkBookingRules rules = { 0 };

  start_engine (f);
  g_assert_cmpint (et_deadline (f->et.clock), ==, et_unix_at (7, 20, 0, 0));   /* nothing: the window again in 12 h */

  id = et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_AUTOMATIC_CONNECT, start, end, two_out, NULL, 0, NULL);
  g_assert_cmpint (et_deadline (f->et.clock), ==, et_unix_at (7, 8, 45, 0));

  uid = g_strndup (id, strrchr (id, '@') - id);
  moved = bk_booking_copy (bk_booking_store_lookup (f->et.store, uid));
  bk_booking_set_times (moved, "UTC", later_start, later_end);
  now = bk_clock_now (f->et.clock);
  rules.now = g_date_time_to_unix (now);
  rules.bridges = f->et.bridges;
  g_assert_true (bk_booking_store_save (f->et.store, &rules, moved, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (et_deadline (f->et.clock), ==, et_unix_at (7, 9, 15, 0));
  /* A one-off booking's occurrence is known by its start: a new one. */
  g_assert_cmpint (bk_engine_get_state (f->et.engine, id), ==, BK_ENGINE_STATE_SCHEDULED);
  g_free (id);
  id = bk_engine_occurrence_id (uid, et_unix_at (7, 9, 30, 0));

  /* The clock is set forward past the check: checked at once. */
  bk_fake_clock_step (BK_FAKE_CLOCK (f->et.clock), 80 * G_TIME_SPAN_MINUTE);   /* 09:20 */
  bk_test_spin (20);
  g_assert_cmpint (bk_engine_get_state (f->et.engine, id), ==, BK_ENGINE_STATE_CHECKING);
  et_wait_deadline (f->et.clock, et_unix_at (7, 9, 25, 0));

  g_assert_true (bk_booking_store_remove (f->et.store, uid));
  g_assert_cmpint (bk_engine_get_state (f->et.engine, id), ==, BK_ENGINE_STATE_SCHEDULED);   /* forgotten */
  g_assert_cmpint (et_deadline (f->et.clock), ==, et_unix_at (7, 21, 20, 0));
  et_advance_to (f->et.clock, 7, 10, 0, 0);
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", NULL), ==, 0);
}

/* The PIN comes from the secrets (BK_SECRET_KIND_BOOKING_PIN) and becomes
 * the space's passcode; the end clears it. */
static void
test_pin (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);
  g_autoptr(BkSecrets) secrets = NULL;
  g_autofree char *id = NULL;
  g_autofree char *uid = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;

  if (g_getenv ("BK_HEADLESS_INNER") != NULL && g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    secrets = bk_secrets_new ();   /* the private keyring of run-headless */
  else
    secrets = bk_secrets_new_session_only ("test without a keyring");
  f->et.with_pin = TRUE;
  id = et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_RESERVATION, start, end, NULL, NULL, 0, NULL);
  uid = g_strndup (id, strrchr (id, '@') - id);
  bk_secrets_store_booking_pin_async (secrets, uid, TITLE, "8642", NULL, et_result_cb, &res);
  g_assert_true (bk_secrets_store_finish (secrets, et_wait_result (&res), &error));
  g_assert_no_error (error);
  g_clear_object (&res);

  start_engine (f);
  bk_engine_set_secrets (f->et.engine, secrets);
  et_join_early (f->et.engine, f->et.clock, id);
  et_assert_field (f->et.sim, f->et.space[0], "passcode", "8642");

  /* Extended past its booking's end; killed; its call goes meanwhile (the
   * call bridge restarted, say). The new engine, after the booking's end
   * (the booking no longer in its window), makes the call again with the
   * PIN: the journal says the meeting has one. */
  g_assert_true (bk_engine_extend (f->et.engine, id, 30, &error));
  g_assert_no_error (error);
  {
    g_autofree char *path = g_strdup_printf ("calls/%s", bk_meeting_get_call_id (bk_engine_get_meeting (f->et.engine, id)));

    et_kill_engine (&f->et.engine, f->et.clock);
    probe_delete (f, path);
  }
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 0);
  et_advance_to (f->et.clock, 7, 10, 10, 0);
  start_engine (f);
  bk_engine_set_secrets (f->et.engine, secrets);
  et_wait_log (f->et.log, "running starting running");
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_RUNNING);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 1);
  et_assert_field (f->et.sim, f->et.space[0], "passcode", "8642");

  et_advance_to (f->et.clock, 7, 10, 30, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_ENDED);
  et_fixture_assert_slot_idle (&f->et, 0);
}

/* Back to back on one slot: the next meeting's check (while the first
 * still runs on the slot, ending before the next one's early join) finds
 * no problem; the first ends, the second starts on the same slot. */
static void
test_back_to_back (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDateTime) a_start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) a_end = et_at (7, 10, 0, 0);
  g_autoptr(GDateTime) b_start = et_at (7, 10, 5, 0);
  g_autoptr(GDateTime) b_end = et_at (7, 11, 0, 0);
  guint64 slot_a = 0, slot_b = 0;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  et_fixture_set_quantity (&f->et, 1);
  a = et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_RESERVATION, a_start, a_end, NULL, NULL, 0, &slot_a);
  b = et_fixture_book (&f->et, "Next on the slot", BK_BOOKING_TYPE_RESERVATION, b_start, b_end, NULL, NULL, 0, &slot_b);
  g_assert_cmpuint (slot_a, ==, slot_b);

  start_engine (f);
  et_join_early (f->et.engine, f->et.clock, a);
  et_advance_to (f->et.clock, 7, 9, 50, 0);                  /* b's check, a still runs */
  et_wait_deadline (f->et.clock, et_unix_at (7, 9, 55, 0));     /* a's first end warning */
  g_assert_cmpint (bk_engine_get_state (f->et.engine, b), ==, BK_ENGINE_STATE_CHECKING);
  g_assert_null (bk_engine_get_problem (f->et.engine, b));
  g_assert_cmpuint (f->et.problems->len, ==, 0);

  /* Both due at 10:00 (a's end, b's early join): b waits for a's reset
   * of the slot, then activates it (a reset after it would wipe it). */
  bk_sim_cluster_reset_counters (f->et.sim);
  bk_sim_cluster_clear_trace (f->et.sim);
  bk_sim_cluster_set_latency (f->et.sim, 150, 0);   /* a's two requests take a while */
  et_advance_to (f->et.clock, 7, 10, 0, 0);
  et_wait_state (f->et.engine, a, BK_ENGINE_STATE_ENDED);
  et_wait_state (f->et.engine, b, BK_ENGINE_STATE_RUNNING);    /* its early join is 10:00 too */
  et_assert_field (f->et.sim, f->et.space[0], "name", "Next on the slot");
  et_assert_field (f->et.sim, f->et.space[0], "nonMemberAccess", "true");
  g_assert_cmpuint (et_count (f->et.sim, -1, "PUT", "/api/v1/coSpaces/"), ==, 2);
  {
    g_autofree char *trace = bk_sim_cluster_dup_trace (f->et.sim);
    const char *reset = strstr (trace, "name=TMS_Scheduled_Meeting_7001");
    const char *activate = strstr (trace, "name=Next%20on%20the%20slot");

    g_assert_nonnull (reset);
    g_assert_nonnull (activate);
    g_assert_true (reset < activate);
  }
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 1);
}

/* The journal as a crash between the start's first request and its
 * "running" record leaves it. */
static void
journal_to_starting (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->et.dir, "engine-journal.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GString) edited = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  edited = g_string_new (text);
  g_assert_cmpuint (g_string_replace (edited, "\"running\"", "\"starting\"", 0), ==, 1);
  g_assert_true (g_file_set_contents (path, edited->str, -1, NULL));
}

static void
probe_delete (Fixture    *f,
              const char *path)
{
  GAsyncResult *res = NULL;
  g_autoptr(GError) error = NULL;

  bk_cms_client_delete_async (f->et.probe, path, NULL, et_result_cb, &res);
  g_assert_true (bk_cms_client_delete_finish (f->et.probe, et_wait_result (&res), &error));
  g_assert_no_error (error);
  g_object_unref (res);
}

/* Crashed while starting (before its start): after the call was made (it
 * is adopted, nobody dialled before the start), or before (it is made now,
 * once); the participants are dialled once, at the start. */
static void
test_restart_starting (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *id = book_review (f);
  g_autofree char *call_id = NULL;
  g_autofree char *call_path = NULL;
  BkMeeting *m;

  start_engine (f);
  et_join_early (f->et.engine, f->et.clock, id);
  call_id = g_strdup (bk_meeting_get_call_id (bk_engine_get_meeting (f->et.engine, id)));
  et_kill_engine (&f->et.engine, f->et.clock);

  /* The call was made, its "running" record never written. */
  journal_to_starting (f);
  restart_engine (f, "running");
  m = bk_engine_get_meeting (f->et.engine, id);
  g_assert_cmpstr (bk_meeting_get_call_id (m), ==, call_id);
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", NULL), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->et.sim, -1), ==, 0);
  et_kill_engine (&f->et.engine, f->et.clock);

  /* The slot was activated, the call never made. */
  journal_to_starting (f);
  call_path = g_strdup_printf ("calls/%s", call_id);
  probe_delete (f, call_path);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 0);
  restart_engine (f, "running");
  g_assert_cmpuint (et_posted_calls (f->et.sim, -1), ==, 1);
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", "/api/v1/calls/"), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 1);
  g_assert_cmpstr (bk_meeting_get_call_id (bk_engine_get_meeting (f->et.engine, id)), !=, call_id);
  et_wait_deadline (f->et.clock, et_unix_at (7, 9, 0, 0));
  et_advance_to (f->et.clock, 7, 9, 0, 0);
  et_wait_deadline (f->et.clock, et_unix_at (7, 9, 55, 0));
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", "/api/v1/calls/"), ==, 2);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->et.sim, -1), ==, 2);

  et_advance_to (f->et.clock, 7, 10, 0, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_ENDED);
  et_fixture_assert_slot_idle (&f->et, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 0);
}

/* How many callLegs were POSTed (dial-outs). */
static guint
legs_posted (Fixture *f)
{
  return et_count (f->et.sim, -1, "POST", "/api/v1/calls/");
}

/* One meeting of a series with its own participants (Carol joins only
 * this one, Bob is away): that meeting dials its own people (one callLeg
 * POST each), the next meeting of the series the series' again. */
static void
test_series_own_participants (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);
  g_autofree char *uid = NULL;
  g_autofree char *second = NULL;
  g_autofree char *first = book_two_days (f, &uid, &second);
  g_autoptr(GPtrArray) own = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_participant_free);
  g_autoptr(GDateTime) now = bk_clock_now (f->et.clock);
  g_autoptr(GError) error = NULL;
  BkBookingRules rules = { g_date_time_to_unix (now), f->et.bridges, NULL };
  BkMeeting *m;

  g_ptr_array_add (own, bk_participant_new ("Alice", "alice@ex.example", BK_DIAL_OUT));
  g_ptr_array_add (own, bk_participant_new ("Carol", "carol@ex.example", BK_DIAL_OUT));
  g_ptr_array_add (own, bk_participant_new ("Dave", "dave@ex.example", BK_DIAL_OUT));
  g_ptr_array_add (own, bk_participant_new ("Erin", "erin@ex.example", BK_DIAL_IN));
  g_assert_true (bk_booking_store_change_occurrence (f->et.store, &rules, uid, et_unix_at (7, 9, 0, 0),
                                                     start, end, "Weekly, with Carol", NULL, own, NULL, &error));
  g_assert_no_error (error);

  start_engine (f);
  et_join_early (f->et.engine, f->et.clock, first);
  /* Its own title on the bridge too. */
  et_assert_field (f->et.sim, f->et.space[0], "name", "Weekly, with Carol");
  m = bk_engine_get_meeting (f->et.engine, first);
  g_assert_cmpuint (bk_meeting_get_n_participants (m), ==, 3);
  g_assert_cmpstr (bk_meeting_get_participant_uri (m, 0), ==, "alice@ex.example");
  g_assert_cmpstr (bk_meeting_get_participant_uri (m, 1), ==, "carol@ex.example");
  g_assert_cmpstr (bk_meeting_get_participant_uri (m, 2), ==, "dave@ex.example");
  bk_sim_cluster_reset_counters (f->et.sim);
  et_advance_to (f->et.clock, 7, 9, 0, 0);
  et_wait_deadline (f->et.clock, et_unix_at (7, 9, 55, 0));
  /* Its three dial-out people, not the series' two; the dial-in one dials in. */
  g_assert_cmpuint (legs_posted (f), ==, 3);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->et.sim, -1), ==, 3);
  et_advance_to (f->et.clock, 7, 10, 0, 0);
  et_wait_state (f->et.engine, first, BK_ENGINE_STATE_ENDED);

  on_to_next_days_check (f);
  et_advance_to (f->et.clock, 8, 8, 55, 0);
  et_wait_state (f->et.engine, second, BK_ENGINE_STATE_RUNNING);
  et_assert_field (f->et.sim, f->et.space[0], "name", TITLE);
  m = bk_engine_get_meeting (f->et.engine, second);
  g_assert_cmpuint (bk_meeting_get_n_participants (m), ==, 2);
  g_assert_cmpstr (bk_meeting_get_participant_uri (m, 1), ==, "bob@ex.example");
  bk_sim_cluster_reset_counters (f->et.sim);
  et_advance_to (f->et.clock, 8, 9, 0, 0);
  et_wait_deadline (f->et.clock, et_unix_at (8, 9, 55, 0));
  g_assert_cmpuint (legs_posted (f), ==, 2);
  et_advance_to (f->et.clock, 8, 10, 0, 0);
  et_wait_state (f->et.engine, second, BK_ENGINE_STATE_ENDED);
  et_fixture_assert_slot_idle (&f->et, 0);
}

/* Issue 12: TMS "does not dial out before the scheduled start". A meeting
 * booked 2 minutes ahead (inside its 5 min early join) is activated at
 * once (its space ready, its call made), and not one callLeg is POSTed
 * before its start; at the start, one per dial-out participant, on the
 * engine's one timer; none again afterwards. */
static void
test_dial_at_start (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 9, 30, 0);
  g_autofree char *id = NULL;
  BkMeeting *m;

  start_engine (f);
  et_advance_to (f->et.clock, 7, 8, 58, 0);
  bk_sim_cluster_reset_counters (f->et.sim);
  id = et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_AUTOMATIC_CONNECT, start, end, two_out, one_in, 0, NULL);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_RUNNING);                  /* activated now */
  g_assert_cmpuint (legs_posted (f), ==, 0);
  et_wait_deadline (f->et.clock, et_unix_at (7, 9, 0, 0));                      /* the one timer: the dial */
  g_assert_cmpuint (et_posted_calls (f->et.sim, -1), ==, 1);
  g_assert_cmpuint (et_count (f->et.sim, -1, "PUT", "/api/v1/coSpaces/"), ==, 1);
  g_assert_cmpuint (legs_posted (f), ==, 0);
  et_assert_field (f->et.sim, f->et.space[0], "nonMemberAccess", "true");               /* dial-in participants can join */
  m = bk_engine_get_meeting (f->et.engine, id);
  g_assert_true (bk_meeting_get_dial_held (m));

  /* Every second up to the start: nobody is called. */
  for (guint sec = 1; sec < 120; sec += 7)
    {
      et_advance_to (f->et.clock, 7, 8, 58 + sec / 60, sec % 60);
      g_assert_cmpuint (legs_posted (f), ==, 0);
    }
  et_advance_to (f->et.clock, 7, 8, 59, 59);
  g_assert_cmpuint (legs_posted (f), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->et.sim, -1), ==, 0);

  et_advance_to (f->et.clock, 7, 9, 0, 0);
  et_wait_deadline (f->et.clock, et_unix_at (7, 9, 25, 0));                     /* the first end warning */
  g_assert_cmpuint (legs_posted (f), ==, 2);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->et.sim, -1), ==, 2);
  g_assert_false (bk_meeting_get_dial_held (m));
  g_assert_cmpuint (et_posted_calls (f->et.sim, -1), ==, 1);
  et_advance_to (f->et.clock, 7, 9, 20, 0);
  g_assert_cmpuint (legs_posted (f), ==, 2);
  et_advance_to (f->et.clock, 7, 9, 30, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_ENDED);
  et_fixture_assert_slot_idle (&f->et, 0);
}

/* A start that has already passed when the meeting is activated (the
 * application was not running at its early join nor at its start): the
 * participants are dialled at once, with the activation. */
static void
test_dial_late (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *id = book_review (f);

  et_advance_to (f->et.clock, 7, 9, 10, 0);
  start_engine (f);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_RUNNING);
  et_wait_deadline (f->et.clock, et_unix_at (7, 9, 55, 0));
  g_assert_cmpuint (et_posted_calls (f->et.sim, -1), ==, 1);
  g_assert_cmpuint (legs_posted (f), ==, 2);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->et.sim, -1), ==, 2);
  g_assert_false (bk_meeting_get_dial_held (bk_engine_get_meeting (f->et.engine, id)));
}

/* ---- the production path: clients from the bridge manager ---- */

static void
count_notify_cb (guint *n)
{
  (*n)++;
}

static void
secrets_stored_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The engine is given the application's BkBridgeManager and no client:
 * it runs the meeting through the manager's bridge's client, once that
 * bridge has its password (bk_bridge_ready_async: looked up only when the
 * start needs it), so every request is in that bridge's log (the Logs
 * tab), and the start is still 2 + k requests (no extra one for the
 * bridge, no authentication challenge). */
static void
test_bridge_manager (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);
  g_autofree char *store_dir = g_build_filename (f->et.dir, "devices", NULL);
  g_autoptr(BkDeviceStore) devices = bk_device_store_new (store_dir);
  g_autoptr(BkSecrets) secrets = bk_secrets_new_session_only ("Test passwords stay in this process.");
  g_autoptr(BkBridgeManager) manager = NULL;
  g_autoptr(GError) error = NULL;
  BkDevice *device = f->et.bridges->pdata[0];
  GAsyncResult *res = NULL;
  g_autofree char *id = NULL;
  BkBridge *bridge;
  BkCmsLog *log;
  guint n_log;
  guint n_posts = 0, n_puts = 0, n_deletes = 0;
  guint n_notify = 0;

  g_mkdir_with_parents (store_dir, 0700);
  g_assert_true (bk_device_store_load (devices, &error));
  g_assert_no_error (error);
  bk_device_store_set_secrets (devices, secrets);
  /* The simulator's node as the listed device (what onboarding saves). */
  g_object_set (device, "address", "127.0.0.1",
                "port", bk_sim_cluster_get_node_port (f->et.sim, 0), NULL);
  bk_device_set_certificate_pin (device, bk_sim_cluster_get_certificate_sha256 (f->et.sim));
  bk_device_set_username (device, BK_SIM_DEFAULT_USERNAME);
  g_assert_true (bk_device_store_add (devices, device, &error));
  g_assert_no_error (error);
  bk_secrets_store_async (secrets, device, BK_SECRET_KIND_PRIMARY, BK_SIM_DEFAULT_PASSWORD,
                          NULL, secrets_stored_cb, &res);
  g_assert_true (bk_secrets_store_finish (secrets, et_wait_result (&res), &error));
  g_assert_no_error (error);
  g_clear_object (&res);
  manager = bk_bridge_manager_new (devices, secrets);
  bridge = bk_bridge_manager_lookup (manager, BRIDGE);
  g_assert_nonnull (bridge);
  log = bk_bridge_get_log (bridge);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 0);

  id = et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_AUTOMATIC_CONNECT, start, end, two_out, one_in, 0, NULL);
  {
    /* Not within the next 24 hours: not pending. */
    g_autoptr(GDateTime) later = et_at (9, 9, 0, 0);
    g_autoptr(GDateTime) later_end = et_at (9, 10, 0, 0);
    g_autofree char *later_id = et_fixture_book (&f->et, "Later", BK_BOOKING_TYPE_RESERVATION, later, later_end,
                                                 NULL, NULL, 0, NULL);
  }
  g_assert_null (f->et.engine);
  f->et.engine = bk_engine_new (f->et.store, f->et.clock, NULL);
  bk_engine_set_bridge_manager (f->et.engine, manager);
  bk_engine_set_poll_interval (f->et.engine, 0);
  et_engine_record (f->et.engine, f->et.log, f->et.problems);
  g_signal_connect (f->et.engine, "state-changed", G_CALLBACK (state_changed_cb), f);
  g_assert_cmpuint (bk_engine_get_n_pending (f->et.engine), ==, 0);
  g_signal_connect_swapped (f->et.engine, "notify::n-pending", G_CALLBACK (count_notify_cb), &n_notify);
  bk_engine_run (f->et.engine);
  g_assert_cmpuint (bk_engine_get_n_pending (f->et.engine), ==, 1);
  g_assert_cmpuint (n_notify, ==, 1);

  et_advance_to (f->et.clock, 7, 8, 45, 0);
  et_wait_deadline (f->et.clock, et_unix_at (7, 8, 55, 0));
  g_assert_null (bk_engine_get_problem (f->et.engine, id));
  g_assert_cmpuint (f->et.problems->len, ==, 0);
  g_assert_cmpuint (et_count (f->et.sim, -1, "GET", "/api/v1/coSpaces"), ==, 1);
  /* The launch's look for calls left on the slots (GET /calls), the check. */
  for (guint waited = 0; et_count (f->et.sim, -1, "GET", "/api/v1/calls") < 1 && waited < WAIT_MS; waited += 5)
    bk_test_spin (5);
  g_assert_cmpuint (et_count (f->et.sim, -1, "GET", "/api/v1/calls"), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 2);
  bk_sim_cluster_reset_counters (f->et.sim);

  et_join_early (f->et.engine, f->et.clock, id);
  et_wait_deadline (f->et.clock, et_unix_at (7, 9, 0, 0));
  g_assert_cmpuint (et_total (f->et.sim), ==, 2);           /* activated: PUT, POST /calls */
  g_assert_cmpuint (et_posted_calls (f->et.sim, -1), ==, 1);
  et_advance_to (f->et.clock, 7, 9, 0, 0);                    /* the start: k legs */
  et_wait_deadline (f->et.clock, et_unix_at (7, 9, 55, 0));
  g_assert_cmpuint (et_total (f->et.sim), ==, 2 + 2);
  g_assert_cmpuint (et_posted_calls (f->et.sim, -1), ==, 1);
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", "/api/v1/calls/"), ==, 2);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->et.sim, -1), ==, 2);
  et_assert_field (f->et.sim, f->et.space[0], "name", TITLE);
  /* The same requests, each once and answered, in the bridge's log. */
  n_log = g_list_model_get_n_items (G_LIST_MODEL (log));
  g_assert_cmpuint (n_log, ==, 2 + 2 + 2);
  for (guint i = 2; i < n_log; i++)
    {
      g_autoptr(BkCmsLogEntry) e = g_list_model_get_item (G_LIST_MODEL (log), i);
      const char *method = bk_cms_log_entry_get_method (e);

      g_assert_cmpuint (bk_cms_log_entry_get_status (e), <, 300);
      g_assert_cmpuint (bk_cms_log_entry_get_status (e), >=, 200);
      g_assert_cmpuint (bk_cms_log_entry_get_attempt (e), ==, 1);
      if (g_str_equal (method, "POST"))
        n_posts++;
      else if (g_str_equal (method, "PUT"))
        n_puts++;
    }
  g_assert_cmpuint (n_posts, ==, 3);
  g_assert_cmpuint (n_puts, ==, 1);

  bk_sim_cluster_reset_counters (f->et.sim);
  et_advance_to (f->et.clock, 7, 10, 0, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_ENDED);
  g_assert_cmpuint (et_total (f->et.sim), ==, 2);
  et_fixture_assert_slot_idle (&f->et, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, n_log + 2);
  for (guint i = n_log; i < n_log + 2; i++)
    {
      g_autoptr(BkCmsLogEntry) e = g_list_model_get_item (G_LIST_MODEL (log), i);

      if (g_str_equal (bk_cms_log_entry_get_method (e), "DELETE"))
        n_deletes++;
    }
  g_assert_cmpuint (n_deletes, ==, 1);
  g_assert_cmpstr (f->et.log->str, ==, "checking starting running ending ended ");
  g_assert_cmpuint (bk_engine_get_n_pending (f->et.engine), ==, 0);
  g_assert_cmpuint (n_notify, ==, 2);
  et_kill_engine (&f->et.engine, f->et.clock);
  g_object_run_dispose (G_OBJECT (manager));
}

/* A booking on a bridge the manager does not list fails with a sentence,
 * not a crash or a silent wait. */
static void
test_bridge_manager_unlisted (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);
  g_autofree char *store_dir = g_build_filename (f->et.dir, "devices", NULL);
  g_autoptr(BkDeviceStore) devices = bk_device_store_new (store_dir);
  g_autoptr(BkSecrets) secrets = bk_secrets_new_session_only ("Test passwords stay in this process.");
  g_autoptr(BkBridgeManager) manager = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  g_mkdir_with_parents (store_dir, 0700);
  g_assert_true (bk_device_store_load (devices, &error));
  manager = bk_bridge_manager_new (devices, secrets);
  id = et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_AUTOMATIC_CONNECT, start, end, two_out, NULL, 0, NULL);
  f->et.engine = bk_engine_new (f->et.store, f->et.clock, NULL);
  bk_engine_set_bridge_manager (f->et.engine, manager);
  bk_engine_set_poll_interval (f->et.engine, 0);
  bk_engine_run (f->et.engine);
  et_advance_to (f->et.clock, 7, 8, 55, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_FAILED);
  g_assert_nonnull (bk_engine_get_error (f->et.engine, id));
  g_assert_cmpuint (et_total (f->et.sim), ==, 0);
  et_kill_engine (&f->et.engine, f->et.clock);
}

typedef struct
{
  Fixture *f;
  guint    n;
} LegsWant;

static gboolean
legs_reach (gpointer data)
{
  LegsWant *w = data;

  return bk_sim_cluster_get_n_call_legs (w->f->et.sim, -1) >= w->n;
}

static void
end_changed_cb (BkEngine   *engine,
                const char *id,
                guint      *n)
{
  (*n)++;
}

/* End Now (the live panel): refused unless running; the end becomes now
 * ("end-changed"), the meeting ends as at its end (DELETE the call, PUT
 * the slot back: 2 requests), journalled: a new engine does not start it
 * again. Add Participant: a bad address or a meeting that does not run is
 * refused with a sentence and no request; a good one is one POST. */
static void
test_end_now (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);
  g_autofree char *id = et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_AUTOMATIC_CONNECT, start, end,
                                         two_out, NULL, 0, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *legs = NULL;
  guint end_changes = 0;
  BkMeeting *m;

  start_engine (f);
  g_signal_connect (f->et.engine, "end-changed", G_CALLBACK (end_changed_cb), &end_changes);
  g_assert_false (bk_engine_end_now (f->et.engine, id, &error));   /* not running yet */
  g_assert_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_NOT_RUNNING);
  g_assert_nonnull (strstr (error->message, TITLE));
  g_clear_error (&error);
  g_assert_false (bk_engine_end_now (f->et.engine, "nobody@1", &error));
  g_assert_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_UNKNOWN);
  g_clear_error (&error);
  g_assert_false (bk_engine_add_participant (f->et.engine, id, "carol@ex.example", &error));
  g_assert_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_NOT_RUNNING);
  g_clear_error (&error);

  et_join_early (f->et.engine, f->et.clock, id);
  g_assert_cmpint (bk_engine_get_running_since (f->et.engine, id), ==, et_unix_at (7, 8, 55, 0));
  m = bk_engine_get_meeting (f->et.engine, id);
  legs = g_strdup_printf ("/api/v1/calls/%s/callLegs", bk_meeting_get_call_id (m));
  et_advance_to (f->et.clock, 7, 9, 0, 0);   /* its start: its participants are dialled */
  {
    LegsWant want = { f, 2 };

    bk_test_wait_until (legs_reach, &want, WAIT_MS);
  }

  /* Add Participant: a bad address is a sentence, nothing sent. */
  bk_sim_cluster_reset_counters (f->et.sim);
  g_assert_false (bk_engine_add_participant (f->et.engine, id, "not an address", &error));
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, !=, "");
  g_clear_error (&error);
  bk_test_spin (100);
  g_assert_cmpuint (et_total (f->et.sim), ==, 0);
  /* A good one (spaces trimmed) is dialled at once: one POST of a leg. */
  g_assert_true (bk_engine_add_participant (f->et.engine, id, "  carol@ex.example ", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bk_meeting_get_n_participants (m), ==, 3);
  g_assert_cmpstr (bk_meeting_get_participant_uri (m, 2), ==, "carol@ex.example");
  {
    LegsWant want = { f, 3 };

    bk_test_wait_until (legs_reach, &want, WAIT_MS);
  }
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", legs), ==, 1);

  /* Its booking's end edited while it runs: "end-changed". */
  {
    g_autofree char *uid = g_strndup (id, strrchr (id, '@') - id);
    g_autoptr(BkBooking) edited = bk_booking_copy (bk_booking_store_lookup (f->et.store, uid));
    g_autoptr(GDateTime) earlier_end = et_at (7, 9, 50, 0);
    g_autoptr(GDateTime) now = bk_clock_now (f->et.clock);
    BkBookingRules rules = { g_date_time_to_unix (now), f->et.bridges, NULL };

    bk_booking_set_times (edited, "UTC", start, earlier_end);
    g_assert_true (bk_booking_store_save (f->et.store, &rules, edited, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (bk_engine_get_end (f->et.engine, id), ==, et_unix_at (7, 9, 50, 0));
    g_assert_cmpuint (end_changes, ==, 1);
  }

  /* End Now at 9:20: ended, the slot reset, in two requests. */
  et_advance_to (f->et.clock, 7, 9, 20, 0);
  bk_sim_cluster_reset_counters (f->et.sim);
  g_string_truncate (f->et.log, 0);
  g_assert_true (bk_engine_end_now (f->et.engine, id, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (end_changes, ==, 2);
  g_assert_cmpint (bk_engine_get_end (f->et.engine, id), ==, et_unix_at (7, 9, 20, 0));
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_ENDED);
  g_assert_cmpstr (f->et.log->str, ==, "ending ended ");
  g_assert_cmpuint (et_total (f->et.sim), ==, 2);
  g_assert_cmpuint (et_count (f->et.sim, -1, "DELETE", "/api/v1/calls/"), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 0);
  et_fixture_assert_slot_idle (&f->et, 0);
  g_assert_false (bk_engine_end_now (f->et.engine, id, &error));   /* over */
  g_assert_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_NOT_RUNNING);
  g_clear_error (&error);

  /* A new engine before the booked end: it does not start it again. */
  et_kill_engine (&f->et.engine, f->et.clock);
  bk_sim_cluster_reset_counters (f->et.sim);
  start_engine (f);
  bk_test_spin (200);
  g_assert_cmpint (bk_engine_get_state (f->et.engine, id), ==, BK_ENGINE_STATE_ENDED);
  et_advance_to (f->et.clock, 7, 9, 30, 0);
  g_assert_cmpint (bk_engine_get_state (f->et.engine, id), ==, BK_ENGINE_STATE_ENDED);
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", NULL), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 0);
}

int
main (int argc, char **argv)
{
  bk_test_init (&argc, &argv);

/* Its fixture is EtFixture (first) and what it adds, zeroed. */
#define ADD(path, func) g_test_add_vtable (path, sizeof (Fixture), NULL, et_fixture_set_up, \
                                           (GTestFixtureFunc) (func), et_fixture_tear_down)
  ADD ("/engine/run/automatic-connect", test_automatic_connect);
  ADD ("/engine/run/dial-at-start", test_dial_at_start);
  ADD ("/engine/run/dial-late", test_dial_late);
  ADD ("/engine/run/reservation", test_reservation);
  ADD ("/engine/run/check-missing-slot", test_check_missing_slot);
  ADD ("/engine/run/restart-running", test_restart_running);
  ADD ("/engine/run/restart-after-end", test_restart_after_end);
  ADD ("/engine/run/restart-participants", test_restart_participants);
  ADD ("/engine/run/add-early", test_add_early);
  ADD ("/engine/run/series", test_series);
  ADD ("/engine/run/series-own-participants", test_series_own_participants);
  ADD ("/engine/run/extend", test_extend);
  ADD ("/engine/run/end-now", test_end_now);
  ADD ("/engine/run/store-changes", test_store_changes);
  ADD ("/engine/run/end-warnings", test_end_warnings);
  ADD ("/engine/run/retry", test_retry);
  ADD ("/engine/run/retry-adopts", test_retry_adopts);
  ADD ("/engine/run/retry-over", test_retry_over);
  ADD ("/engine/run/pin", test_pin);
  ADD ("/engine/run/back-to-back", test_back_to_back);
  ADD ("/engine/run/restart-starting", test_restart_starting);
  ADD ("/engine/run/bridge-manager", test_bridge_manager);
  ADD ("/engine/run/bridge-manager-unlisted", test_bridge_manager_unlisted);
#undef ADD

  return g_test_run ();
}
