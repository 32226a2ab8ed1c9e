/* test-engine-meeting.c: BkMeeting (start, poll, redial, end) against the
 * simulator over loopback HTTPS, counting every request the bridge sees
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bk-meeting.h"
#include "bk-sim.h"
#include "bk-test-util.h"
#include "engine-test-util.h"

#define WAIT_MS  60000
#define SLOT     7001
#define TITLE    "Quarterly review"
#define PIN      "4711"

static const char * const three[] = { "alice@ex.example", "bob@ex.example", "carol@ex.example", NULL };

typedef struct
{
  BkSimCluster *sim;
  BkCmsClient  *probe;     /* the test's own look at the bridge */
  char         *space_id;
} Fixture;

/* ---- plumbing ---- */

static gboolean
meeting_start (BkMeeting           *m,
               BkMeetingStartFlags  flags,
               GError             **error)
{
  GAsyncResult *res = NULL;
  gboolean ok;

  bk_meeting_start_async (m, flags, NULL, et_result_cb, &res);
  ok = bk_meeting_start_finish (m, et_wait_result (&res), error);
  g_object_unref (res);
  return ok;
}

static gboolean
meeting_end (BkMeeting  *m,
             GError    **error)
{
  GAsyncResult *res = NULL;
  gboolean ok;

  bk_meeting_end_async (m, NULL, et_result_cb, &res);
  ok = bk_meeting_end_finish (m, et_wait_result (&res), error);
  g_object_unref (res);
  return ok;
}

static void
meeting_poll (BkMeeting *m)
{
  GAsyncResult *res = NULL;
  g_autoptr(GError) error = NULL;

  bk_meeting_poll_async (m, NULL, et_result_cb, &res);
  bk_meeting_poll_finish (m, et_wait_result (&res), &error);
  g_object_unref (res);
  g_assert_no_error (error);
}

static char *
field (Fixture    *f,
       const char *name)
{
  return bk_sim_cluster_dup_cospace_field (f->sim, f->space_id, name);
}

static void
assert_field (Fixture    *f,
              const char *name,
              const char *want)
{
  et_assert_field (f->sim, f->space_id, name, want);
}

/* The slot is back to its placeholder and no call runs: nothing is left. */
static void
assert_slot_idle (Fixture *f)
{
  et_assert_slot_idle (f->sim, f->space_id, SLOT);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, -1), ==, 0);
}

static void
assert_slot_active (Fixture *f)
{
  assert_field (f, "name", TITLE);
  assert_field (f, "passcode", PIN);
  assert_field (f, "nonMemberAccess", "true");
}

/* A client that tries every request once, with a short timeout: each
 * injected fault reaches the meeting code. */
static BkCmsClient *
new_strict_client (Fixture *f)
{
  BkCmsClient *client = et_client_new (f->sim);

  bk_cms_client_set_retry_policy (client, 1, 10, 10);
  bk_cms_client_set_timeout (client, bk_test_scale_ms (1500));
  return client;
}

static void
probe_request (Fixture    *f,
               const char *method,
               const char *path,
               const char * const *params)
{
  GAsyncResult *res = NULL;
  g_autoptr(BkCmsReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  bk_cms_client_request_async (f->probe, method, path, params, NULL, et_result_cb, &res);
  reply = bk_cms_client_request_finish (f->probe, et_wait_result (&res), &error);
  g_object_unref (res);
  g_assert_no_error (error);
}

/* Makes the slot space (as the bulk sync does: callId = URI = number,
 * non-members kept out) and forgets the requests that took. */
static void
make_slot (Fixture *f)
{
  g_free (f->space_id);
  f->space_id = et_add_idle_slot (f->sim, f->probe, SLOT);
  bk_sim_cluster_reset_counters (f->sim);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->sim = et_sim_new (1);
  et_sim_start (f->sim);
  f->probe = et_client_new (f->sim);
  make_slot (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->probe);
  bk_sim_cluster_stop (f->sim);
  g_clear_object (&f->sim);
  g_free (f->space_id);
}

typedef struct
{
  BkMeeting    *meeting;
  GAsyncResult *res;
  gboolean      in_flight;
  BkParticipantState want;
} PollUntil;

static void
poll_until_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  PollUntil *pu = user_data;
  g_autoptr(GError) error = NULL;

  bk_meeting_poll_finish (pu->meeting, result, &error);
  g_assert_no_error (error);
  pu->in_flight = FALSE;
}

static gboolean
all_in_state (BkMeeting          *m,
              BkParticipantState  want)
{
  for (guint i = 0; i < bk_meeting_get_n_participants (m); i++)
    if (bk_meeting_get_participant_state (m, i) != want)
      return FALSE;
  return TRUE;
}

/* Polls until every participant is in pu->want (or settled otherwise). */
static gboolean
poll_until_pred (gpointer data)
{
  PollUntil *pu = data;
  gboolean settled = TRUE;

  if (pu->in_flight)
    return FALSE;
  for (guint i = 0; i < bk_meeting_get_n_participants (pu->meeting); i++)
    {
      BkParticipantState s = bk_meeting_get_participant_state (pu->meeting, i);

      if (s != pu->want && s != BK_PARTICIPANT_UNANSWERED && s != BK_PARTICIPANT_GONE)
        settled = FALSE;
    }
  if (settled)
    return TRUE;
  pu->in_flight = TRUE;
  bk_meeting_poll_async (pu->meeting, NULL, poll_until_cb, pu);
  return FALSE;
}

static void
poll_until_settled (BkMeeting *m)
{
  PollUntil pu = { m, NULL, FALSE, BK_PARTICIPANT_CONNECTED };

  bk_test_wait_until (poll_until_pred, &pu, WAIT_MS);
}

/* ---- tests ---- */

/* The whole life of a meeting, with the requests the bridge saw. */
static void
test_start_end (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(BkCmsClient) client = et_client_new (f->sim);
  g_autoptr(BkMeeting) m = bk_meeting_new (client, SLOT, f->space_id, TITLE, PIN, three);
  g_autoptr(GError) error = NULL;
  g_autofree char *idle_secret = field (f, "secret");
  g_autofree char *active_secret = NULL;
  g_autofree char *ended_secret = NULL;

  g_assert_true (meeting_start (m, BK_MEETING_START_NONE, &error));
  g_assert_no_error (error);
  /* 2 + k: PUT the space, POST the call, one POST per participant; no GET,
   * no 401 challenge (every request the node saw is counted). */
  g_assert_cmpuint (et_total (f->sim), ==, 2 + 3);
  g_assert_cmpuint (et_count (f->sim, -1, "PUT", "/api/v1/coSpaces/"), ==, 1);
  g_assert_cmpuint (et_posted_calls (f->sim, -1), ==, 1);
  g_assert_cmpuint (et_count (f->sim, -1, "POST", "/api/v1/calls/"), ==, 3);
  g_assert_cmpuint (et_count (f->sim, -1, "GET", NULL), ==, 0);

  g_assert_true (bk_meeting_is_running (m));
  g_assert_nonnull (bk_meeting_get_call_id (m));
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, -1), ==, 3);
  assert_slot_active (f);
  active_secret = field (f, "secret");
  g_assert_nonnull (active_secret);
  g_assert_cmpstr (active_secret, !=, idle_secret);   /* a new secret */
  for (guint i = 0; i < 3; i++)
    {
      g_assert_nonnull (bk_meeting_get_participant_leg_id (m, i));
      g_assert_cmpuint (bk_meeting_get_participant_attempts (m, i), ==, 1);
      g_assert_null (bk_meeting_get_participant_error (m, i));
    }

  /* Polling: everyone connects; once they have, a round is one request. */
  poll_until_settled (m);
  g_assert_true (all_in_state (m, BK_PARTICIPANT_CONNECTED));
  bk_sim_cluster_reset_counters (f->sim);
  meeting_poll (m);
  g_assert_cmpuint (et_total (f->sim), ==, 1);
  g_assert_true (all_in_state (m, BK_PARTICIPANT_CONNECTED));

  /* End: DELETE the call, PUT the slot back. */
  bk_sim_cluster_reset_counters (f->sim);
  g_assert_true (meeting_end (m, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (et_total (f->sim), ==, 2);
  g_assert_cmpuint (et_count (f->sim, -1, "DELETE", "/api/v1/calls/"), ==, 1);
  g_assert_cmpuint (et_count (f->sim, -1, "PUT", "/api/v1/coSpaces/"), ==, 1);
  assert_slot_idle (f);
  ended_secret = field (f, "secret");
  g_assert_cmpstr (ended_secret, !=, active_secret);  /* old links stop working */
  g_assert_false (bk_meeting_is_running (m));
  g_assert_true (all_in_state (m, BK_PARTICIPANT_GONE));
}

/* Nothing is started twice: the same object knows; a fresh object (after a
 * restart) with VERIFY finds the call on the slot and adopts it and its legs. */
static void
test_start_twice (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(BkCmsClient) client = et_client_new (f->sim);
  g_autoptr(BkMeeting) m = bk_meeting_new (client, SLOT, f->space_id, TITLE, PIN, three);
  g_autoptr(BkMeeting) again = NULL;
  g_autoptr(BkMeeting) later = NULL;
  g_autoptr(GError) error = NULL;
  const char *call_id;

  g_assert_true (meeting_start (m, BK_MEETING_START_NONE, &error));
  g_assert_no_error (error);
  call_id = bk_meeting_get_call_id (m);

  bk_sim_cluster_reset_counters (f->sim);
  g_assert_true (meeting_start (m, BK_MEETING_START_NONE, &error));
  g_assert_cmpuint (et_total (f->sim), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 1);

  /* After a restart: the calls on the slot, then that call's legs. */
  again = bk_meeting_new (client, SLOT, f->space_id, TITLE, PIN, three);
  g_assert_true (meeting_start (again, BK_MEETING_START_VERIFY, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (et_total (f->sim), ==, 2);
  g_assert_cmpuint (et_count (f->sim, -1, "GET", "/api/v1/calls"), ==, 2);
  g_assert_cmpuint (et_count (f->sim, -1, "POST", NULL), ==, 0);
  g_assert_cmpuint (et_count (f->sim, -1, "PUT", NULL), ==, 0);
  g_assert_cmpstr (bk_meeting_get_call_id (again), ==, call_id);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, -1), ==, 3);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (bk_meeting_get_participant_leg_id (again, i), ==,
                     bk_meeting_get_participant_leg_id (m, i));

  /* A fresh object that never looked ends it: it lists, deletes, resets. */
  later = bk_meeting_new (client, SLOT, f->space_id, TITLE, PIN, three);
  bk_sim_cluster_reset_counters (f->sim);
  g_assert_true (meeting_end (later, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (et_total (f->sim), ==, 3);
  assert_slot_idle (f);

  /* Ending again: the call is gone already (counts as ended). */
  bk_sim_cluster_reset_counters (f->sim);
  g_assert_true (meeting_end (m, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (et_count (f->sim, -1, "DELETE", NULL), ==, 1);
  assert_slot_idle (f);
}

/* Without its id, the slot space is found by call ID with one filtered GET,
 * not fooled by other spaces the filter also matches. */
static void
test_find_space (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(BkCmsClient) client = et_client_new (f->sim);
  g_autoptr(BkMeeting) m = NULL;
  g_autoptr(BkMeeting) missing = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *decoy = bk_sim_cluster_add_cospace (f->sim, "Sales 7001", "sales", "97001");

  g_assert_nonnull (decoy);
  m = bk_meeting_new (client, SLOT, NULL, TITLE, PIN, three);
  g_assert_true (meeting_start (m, BK_MEETING_START_NONE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (et_total (f->sim), ==, 1 + 2 + 3);
  g_assert_cmpstr (bk_meeting_get_space_id (m), ==, f->space_id);
  assert_slot_active (f);
  {
    g_autofree char *decoy_name = bk_sim_cluster_dup_cospace_field (f->sim, decoy, "name");

    g_assert_cmpstr (decoy_name, ==, "Sales 7001");
  }
  g_assert_true (meeting_end (m, &error));
  assert_slot_idle (f);

  /* A slot that is not on the bridge: a sentence, nothing changed. */
  missing = bk_meeting_new (client, 7999, NULL, TITLE, PIN, three);
  bk_sim_cluster_reset_counters (f->sim);
  g_assert_false (meeting_start (missing, BK_MEETING_START_NONE, &error));
  g_assert_error (error, BK_MEETING_ERROR, BK_MEETING_ERROR_NO_SLOT);
  g_assert_nonnull (strstr (error->message, "7999"));
  g_assert_cmpuint (et_total (f->sim), ==, 1);
}

typedef struct
{
  const char *method;
  const char *pattern;
  const char *name;
} Target;

static const Target start_targets[] = {
  { "PUT", "/api/v1/coSpaces/*", "activation PUT" },
  { "POST", "/api/v1/calls", "POST /calls" },
  { "POST", "/api/v1/calls/*/callLegs", "POST callLegs" },
};

static const BkSimFault faults[] = {
  BK_SIM_FAULT_HTTP_503, BK_SIM_FAULT_HTTP_500, BK_SIM_FAULT_RESET,
  BK_SIM_FAULT_NO_ANSWER, BK_SIM_FAULT_MALFORMED_XML,
};

/* A fresh simulator state with the idle slot. */
static void
renew (Fixture *f)
{
  bk_sim_cluster_reset (f->sim);
  make_slot (f);
}

static void
assert_sentence (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_true (error->domain == BK_MEETING_ERROR);
  g_assert_nonnull (strstr (error->message, TITLE));
  g_assert_null (strstr (error->message, "(null)"));
  g_assert_cmpuint (strlen (error->message), >, strlen (TITLE) + 40);
}

/* Every request of start failing once, with every fault. Either start
 * succeeds (the fault did not matter, or the outcome was verified and the
 * request sent once more) with exactly one call and the right legs, or it
 * fails with a sentence and nothing is left on the bridge. */
static void
test_start_faults (Fixture       *f,
                   gconstpointer  data)
{
  for (guint t = 0; t < G_N_ELEMENTS (start_targets); t++)
    for (guint k = 0; k < G_N_ELEMENTS (faults); k++)
      {
        g_autoptr(BkCmsClient) client = NULL;
        g_autoptr(BkMeeting) m = NULL;
        g_autoptr(GError) error = NULL;
        gboolean ok;

        renew (f);
        client = new_strict_client (f);
        m = bk_meeting_new (client, SLOT, f->space_id, TITLE, PIN, three);
        g_test_message ("%s fails with %s", start_targets[t].name, bk_sim_fault_to_string (faults[k]));
        bk_sim_cluster_add_fault (f->sim, start_targets[t].method, start_targets[t].pattern, faults[k], 1.0, 1);
        ok = meeting_start (m, BK_MEETING_START_NONE, &error);

        if (faults[k] == BK_SIM_FAULT_MALFORMED_XML)
          {
            /* Nothing reads the body of a PUT or POST reply. */
            g_assert_no_error (error);
          }
        if (t == 0 && faults[k] != BK_SIM_FAULT_MALFORMED_XML)
          {
            assert_sentence (error);
            g_assert_error (error, BK_MEETING_ERROR, BK_MEETING_ERROR_FAILED);
            /* 503 is "not done": nothing to undo. Otherwise it is undone. */
            g_assert_cmpuint (et_count (f->sim, -1, "PUT", NULL), ==, faults[k] == BK_SIM_FAULT_HTTP_503 ? 1 : 2);
            assert_slot_idle (f);
            continue;
          }
        if (t == 1 && faults[k] == BK_SIM_FAULT_HTTP_503)
          {
            /* The bridge refused: the activated slot is reset. */
            assert_sentence (error);
            g_assert_error (error, BK_MEETING_ERROR, BK_MEETING_ERROR_FAILED);
            g_assert_nonnull (strstr (error->message, "undone"));
            assert_slot_idle (f);
            continue;
          }
        g_assert_no_error (error);
        g_assert_true (ok);
        if (t == 1 && faults[k] != BK_SIM_FAULT_MALFORMED_XML)
          {
            /* Outcome unknown: listed (no call), then posted once more. */
            g_assert_cmpuint (et_count (f->sim, -1, "GET", "/api/v1/calls"), ==, 1);
            g_assert_cmpuint (et_posted_calls (f->sim, -1), ==, 2);
          }
        g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 1);
        assert_slot_active (f);
        if (t == 2 && faults[k] != BK_SIM_FAULT_MALFORMED_XML)
          {
            guint failed = 0;

            /* One participant could not be called: a sentence on them. */
            for (guint i = 0; i < 3; i++)
              if (bk_meeting_get_participant_error (m, i) != NULL)
                {
                  failed++;
                  g_assert_null (bk_meeting_get_participant_leg_id (m, i));
                  g_assert_nonnull (strstr (bk_meeting_get_participant_error (m, i)->message,
                                            bk_meeting_get_participant_uri (m, i)));
                }
            g_assert_cmpuint (failed, ==, 1);
            g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, -1), ==, 2);
          }
        /* Polling redials whoever is missing: everyone, once each. */
        poll_until_settled (m);
        g_assert_true (all_in_state (m, BK_PARTICIPANT_CONNECTED));
        g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, -1), ==, 3);

        g_assert_true (meeting_end (m, &error));
        g_assert_no_error (error);
        assert_slot_idle (f);
      }
}

/* POST /calls keeps failing: verified, retried once, then undone. When not
 * even the listing answers, the sentence says the call is unknown. */
static void
test_start_call_keeps_failing (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(BkCmsClient) client = new_strict_client (f);
  g_autoptr(BkMeeting) m = bk_meeting_new (client, SLOT, f->space_id, TITLE, PIN, three);
  g_autoptr(BkMeeting) m2 = NULL;
  g_autoptr(GError) error = NULL;

  bk_sim_cluster_add_fault (f->sim, "POST", "/api/v1/calls", BK_SIM_FAULT_HTTP_500, 1.0, -1);
  g_assert_false (meeting_start (m, BK_MEETING_START_NONE, &error));
  assert_sentence (error);
  g_assert_error (error, BK_MEETING_ERROR, BK_MEETING_ERROR_FAILED);
  /* PUT, POST, GET (none), POST, GET (none), PUT back. */
  g_assert_cmpuint (et_total (f->sim), ==, 6);
  g_assert_cmpuint (et_posted_calls (f->sim, -1), ==, 2);
  assert_slot_idle (f);
  g_clear_error (&error);

  renew (f);
  m2 = bk_meeting_new (client, SLOT, f->space_id, TITLE, PIN, three);
  bk_sim_cluster_add_fault (f->sim, "POST", "/api/v1/calls", BK_SIM_FAULT_RESET, 1.0, -1);
  bk_sim_cluster_add_fault (f->sim, "GET", "/api/v1/calls", BK_SIM_FAULT_HTTP_500, 1.0, -1);
  g_assert_false (meeting_start (m2, BK_MEETING_START_NONE, &error));
  assert_sentence (error);
  g_assert_error (error, BK_MEETING_ERROR, BK_MEETING_ERROR_LEFT_BEHIND);
  g_assert_nonnull (strstr (error->message, "not known"));
  g_assert_cmpuint (et_posted_calls (f->sim, -1), ==, 1);   /* never re-posted unverified */
  assert_slot_idle (f);
  g_clear_error (&error);

  /* Starting again looks first (VERIFY), and then starts. */
  bk_sim_cluster_clear_faults (f->sim);
  g_assert_true (meeting_start (m2, BK_MEETING_START_VERIFY, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 1);
}

/* Slows the bridge down from the activation PUT on, so that the answer to
 * POST /calls comes too late; back to fast once that POST is done. */
static void
slow_call_hook (BkSimCluster *sim,
                guint         node,
                const char   *method,
                const char   *path,
                const char   *query,
                gpointer      user_data)
{
  guint *latency = user_data;

  if (g_str_equal (method, "PUT") && g_str_has_prefix (path, "/api/v1/coSpaces/"))
    bk_sim_cluster_set_latency (sim, *latency, 0);
  else if (g_str_equal (method, "POST") && g_str_equal (path, "/api/v1/calls"))
    bk_sim_cluster_set_latency (sim, 0, 0);
}

/* POST /calls reaches the bridge, which makes the call, but its answer is
 * lost (the client gave up waiting): the listing finds the call and it is
 * adopted; no second call is made. */
static void
test_start_call_reply_lost (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(BkCmsClient) client = et_client_new (f->sim);
  g_autoptr(BkMeeting) m = bk_meeting_new (client, SLOT, f->space_id, TITLE, PIN, three);
  g_autoptr(GError) error = NULL;
  guint latency = bk_test_scale_ms (600);

  bk_cms_client_set_timeout (client, bk_test_scale_ms (400));
  bk_cms_client_set_retry_policy (client, 5, 10, 10);
  bk_sim_cluster_set_request_hook (f->sim, slow_call_hook, &latency, NULL);
  g_assert_true (meeting_start (m, BK_MEETING_START_NONE, &error));
  g_assert_no_error (error);
  bk_sim_cluster_set_request_hook (f->sim, NULL, NULL, NULL);

  g_assert_cmpuint (et_posted_calls (f->sim, -1), ==, 1);           /* never re-posted */
  g_assert_cmpuint (et_count (f->sim, -1, "GET", "/api/v1/calls"), >=, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, -1), ==, 3);
  g_assert_true (bk_meeting_is_running (m));
  assert_slot_active (f);

  g_assert_true (meeting_end (m, &error));
  g_assert_no_error (error);
  assert_slot_idle (f);
}

static const Target end_targets[] = {
  { "DELETE", "/api/v1/calls/*", "DELETE the call" },
  { "PUT", "/api/v1/coSpaces/*", "PUT the slot back" },
};

/* Every request of end failing once: a sentence that says what is left
 * (and it is true on the bridge); ending again does only what is left. */
static void
test_end_faults (Fixture       *f,
                 gconstpointer  data)
{
  for (guint t = 0; t < G_N_ELEMENTS (end_targets); t++)
    for (guint k = 0; k < G_N_ELEMENTS (faults); k++)
      {
        g_autoptr(BkCmsClient) client = NULL;
        g_autoptr(BkMeeting) m = NULL;
        g_autoptr(GError) error = NULL;

        renew (f);
        client = new_strict_client (f);
        m = bk_meeting_new (client, SLOT, f->space_id, TITLE, PIN, three);
        g_assert_true (meeting_start (m, BK_MEETING_START_NONE, &error));
        g_assert_no_error (error);
        g_test_message ("%s fails with %s", end_targets[t].name, bk_sim_fault_to_string (faults[k]));
        bk_sim_cluster_add_fault (f->sim, end_targets[t].method, end_targets[t].pattern, faults[k], 1.0, 1);
        bk_sim_cluster_reset_counters (f->sim);

        if (meeting_end (m, &error))
          {
            /* Nothing reads the body of a DELETE or PUT reply; libsoup
             * itself sends an idempotent request again when a kept-alive
             * connection is reset. Either way it is done. */
            g_assert_no_error (error);
            g_assert_true (faults[k] == BK_SIM_FAULT_MALFORMED_XML || faults[k] == BK_SIM_FAULT_RESET);
            assert_slot_idle (f);
            continue;
          }
        assert_sentence (error);
        g_assert_error (error, BK_MEETING_ERROR, BK_MEETING_ERROR_LEFT_BEHIND);
        if (t == 0)
          {
            /* The call still runs, as the sentence says; the slot is untouched. */
            g_assert_nonnull (strstr (error->message, "still be running"));
            g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 1);
            assert_slot_active (f);
            g_assert_true (bk_meeting_is_running (m));
          }
        else
          {
            g_assert_nonnull (strstr (error->message, "was ended"));
            g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 0);
            assert_slot_active (f);
          }
        g_clear_error (&error);

        bk_sim_cluster_reset_counters (f->sim);
        g_assert_true (meeting_end (m, &error));
        g_assert_no_error (error);
        g_assert_cmpuint (et_total (f->sim), ==, t == 0 ? 2 : 1);
        assert_slot_idle (f);
      }
}

/* A participant who never answers is hung up after the ring timeout and
 * called again, three times in all (TMS's default), then UNANSWERED with a
 * sentence; the others stay connected. */
static void
test_redial_unanswered (Fixture       *f,
                        gconstpointer  data)
{
  static const char * const people[] = { "alice@ex.example", "nobody@busy.example", NULL };
  g_autoptr(BkCmsClient) client = et_client_new (f->sim);
  g_autoptr(BkMeeting) m = bk_meeting_new (client, SLOT, f->space_id, TITLE, PIN, people);
  g_autoptr(GError) error = NULL;
  const GError *why;

  bk_sim_cluster_set_unanswered_pattern (f->sim, "*@busy.example");
  bk_meeting_set_ring_timeout (m, bk_test_scale_ms (150));
  g_assert_true (meeting_start (m, BK_MEETING_START_NONE, &error));
  g_assert_no_error (error);
  poll_until_settled (m);

  g_assert_cmpint (bk_meeting_get_participant_state (m, 0), ==, BK_PARTICIPANT_CONNECTED);
  g_assert_cmpint (bk_meeting_get_participant_state (m, 1), ==, BK_PARTICIPANT_UNANSWERED);
  g_assert_cmpuint (bk_meeting_get_participant_attempts (m, 1), ==, 3);
  g_assert_cmpuint (bk_meeting_get_participant_attempts (m, 0), ==, 1);
  why = bk_meeting_get_participant_error (m, 1);
  g_assert_nonnull (why);
  g_assert_nonnull (strstr (why->message, "nobody@busy.example"));
  g_assert_nonnull (strstr (why->message, "3"));
  /* Three calls to them, each hung up: no ringing leg is left behind. */
  g_assert_cmpuint (et_count (f->sim, -1, "POST", "/api/v1/calls/"), ==, 1 + 3);
  g_assert_cmpuint (et_count (f->sim, -1, "DELETE", "/api/v1/callLegs/"), ==, 3);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, -1), ==, 1);

  /* Redial (the ticket's action): they answer this time. */
  bk_sim_cluster_set_unanswered_pattern (f->sim, NULL);
  bk_meeting_redial (m, 1);
  g_assert_cmpint (bk_meeting_get_participant_state (m, 1), ==, BK_PARTICIPANT_INITIAL);
  g_assert_null (bk_meeting_get_participant_error (m, 1));
  poll_until_settled (m);
  g_assert_true (all_in_state (m, BK_PARTICIPANT_CONNECTED));
  g_assert_cmpuint (bk_meeting_get_participant_attempts (m, 1), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, -1), ==, 2);

  g_assert_true (meeting_end (m, &error));
  assert_slot_idle (f);
}

/* A call that fails (the leg rings, then is gone, as on CMS) is made again,
 * three times in all, then the participant is UNANSWERED; nothing is hung
 * up, no leg is left. */
static void
test_redial_failing (Fixture       *f,
                     gconstpointer  data)
{
  static const char * const people[] = { "alice@ex.example", "broken@fail.example", NULL };
  g_autoptr(BkCmsClient) client = et_client_new (f->sim);
  g_autoptr(BkMeeting) m = bk_meeting_new (client, SLOT, f->space_id, TITLE, PIN, people);
  g_autoptr(GError) error = NULL;

  bk_sim_cluster_set_failing_pattern (f->sim, "*@fail.example");
  g_assert_true (meeting_start (m, BK_MEETING_START_NONE, &error));
  g_assert_no_error (error);
  poll_until_settled (m);

  g_assert_cmpint (bk_meeting_get_participant_state (m, 0), ==, BK_PARTICIPANT_CONNECTED);
  g_assert_cmpint (bk_meeting_get_participant_state (m, 1), ==, BK_PARTICIPANT_UNANSWERED);
  g_assert_cmpuint (bk_meeting_get_participant_attempts (m, 1), ==, 3);
  g_assert_nonnull (bk_meeting_get_participant_error (m, 1));
  g_assert_cmpuint (et_count (f->sim, -1, "POST", "/api/v1/calls/"), ==, 1 + 3);
  g_assert_cmpuint (et_count (f->sim, -1, "DELETE", NULL), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, -1), ==, 1);

  g_assert_true (meeting_end (m, &error));
  assert_slot_idle (f);
}

static void
cancel_on_call_cb (GObject    *object,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  if (bk_meeting_get_call_id (BK_MEETING (object)) != NULL)
    g_cancellable_cancel (user_data);
}

/* Cancelled once the call exists: what was set up is undone. */
static void
test_cancel_start (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BkCmsClient) client = et_client_new (f->sim);
  g_autoptr(BkMeeting) m = bk_meeting_new (client, SLOT, f->space_id, TITLE, PIN, three);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;

  g_signal_connect (m, "notify::call-id", G_CALLBACK (cancel_on_call_cb), cancellable);
  bk_meeting_start_async (m, BK_MEETING_START_NONE, cancellable, et_result_cb, &res);
  g_assert_false (bk_meeting_start_finish (m, et_wait_result (&res), &error));
  g_object_unref (res);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (bk_meeting_is_running (m));
  assert_slot_idle (f);
}

/* A leg that disappears before connecting (as CMS drops a failed leg) is
 * redialled; a connected one that disappears is GONE and not redialled;
 * a call that disappears ends the meeting. */
static void
test_legs_disappear (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(BkCmsClient) client = et_client_new (f->sim);
  g_autoptr(BkMeeting) m = bk_meeting_new (client, SLOT, f->space_id, TITLE, PIN, three);
  g_autoptr(GError) error = NULL;
  g_autofree char *first_leg = NULL;
  g_autofree char *path = NULL;

  bk_sim_cluster_set_call_leg_connect_delay (f->sim, 60000);
  g_assert_true (meeting_start (m, BK_MEETING_START_NONE, &error));
  g_assert_no_error (error);
  meeting_poll (m);
  /* Freshly dialled legs are "initial" on CMS (then ringing). */
  g_assert_cmpint (bk_meeting_get_participant_state (m, 0), ==, BK_PARTICIPANT_INITIAL);

  /* Alice's leg fails (disappears) while ringing: called again. */
  first_leg = g_strdup (bk_meeting_get_participant_leg_id (m, 0));
  path = g_strdup_printf ("callLegs/%s", first_leg);
  probe_request (f, "DELETE", path, NULL);
  meeting_poll (m);
  g_assert_cmpuint (bk_meeting_get_participant_attempts (m, 0), ==, 2);
  g_assert_nonnull (bk_meeting_get_participant_leg_id (m, 0));
  g_assert_cmpstr (bk_meeting_get_participant_leg_id (m, 0), !=, first_leg);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, -1), ==, 3);

  /* Now everyone answers. */
  bk_sim_cluster_set_call_leg_connect_delay (f->sim, 0);
  g_assert_true (meeting_end (m, &error));   /* (new legs connect at once) */
  g_clear_object (&m);
  renew (f);
  m = bk_meeting_new (client, SLOT, f->space_id, TITLE, PIN, three);
  g_assert_true (meeting_start (m, BK_MEETING_START_NONE, &error));
  poll_until_settled (m);
  g_assert_true (all_in_state (m, BK_PARTICIPANT_CONNECTED));

  /* Bob hangs up: gone, not called back. */
  g_free (path);
  path = g_strdup_printf ("callLegs/%s", bk_meeting_get_participant_leg_id (m, 1));
  probe_request (f, "DELETE", path, NULL);
  bk_sim_cluster_reset_counters (f->sim);
  meeting_poll (m);
  g_assert_cmpint (bk_meeting_get_participant_state (m, 1), ==, BK_PARTICIPANT_GONE);
  g_assert_cmpuint (bk_meeting_get_participant_attempts (m, 1), ==, 1);
  g_assert_cmpuint (et_count (f->sim, -1, "POST", NULL), ==, 0);
  g_assert_cmpint (bk_meeting_get_participant_state (m, 0), ==, BK_PARTICIPANT_CONNECTED);

  /* The call disappears (ended on the bridge): the meeting is not running. */
  g_free (path);
  path = g_strdup_printf ("calls/%s", bk_meeting_get_call_id (m));
  probe_request (f, "DELETE", path, NULL);
  meeting_poll (m);
  g_assert_false (bk_meeting_is_running (m));
  g_assert_true (all_in_state (m, BK_PARTICIPANT_GONE));

  g_assert_true (meeting_end (m, &error));
  g_assert_no_error (error);
  assert_slot_idle (f);
}

static gboolean
fourth_dialled (gpointer data)
{
  return bk_meeting_get_participant_leg_id (data, 3) != NULL;
}

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static gboolean
meeting_drop (BkMeeting  *m,
              guint       index,
              GError    **error)
{
  GAsyncResult *res = NULL;
  gboolean ok;

  bk_meeting_drop_async (m, index, NULL, et_result_cb, &res);
  ok = bk_meeting_drop_finish (m, et_wait_result (&res), error);
  g_object_unref (res);
  return ok;
}

typedef struct
{
  BkMeeting    *meeting;
  char         *path;
  guint         index;
  GAsyncResult *res;
  gboolean      fired;
} DropHook;

static void
drop_hook (BkSimCluster *sim,
           guint         node,
           const char   *method,
           const char   *path,
           const char   *query,
           gpointer      user_data)
{
  DropHook *hook = user_data;

  if (hook->fired || !g_str_equal (method, "GET") || g_strcmp0 (path, hook->path) != 0)
    return;
  hook->fired = TRUE;
  bk_meeting_drop_async (hook->meeting, hook->index, NULL, et_result_cb, &hook->res);
  g_assert_cmpint (bk_meeting_get_participant_state (hook->meeting, hook->index), ==, BK_PARTICIPANT_GONE);
}

/* Polls until participant 4 rings. */
static gboolean
fifth_ringing (gpointer data)
{
  PollUntil *pu = data;

  if (pu->in_flight)
    return FALSE;
  if (bk_meeting_get_participant_state (pu->meeting, 4) == BK_PARTICIPANT_RINGING)
    return TRUE;
  pu->in_flight = TRUE;
  bk_meeting_poll_async (pu->meeting, NULL, poll_until_cb, pu);
  return FALSE;
}

static gboolean
not_busy_pred (gpointer data)
{
  return !((PollUntil *) data)->in_flight;
}

/* The live panel's actions: Add Participant dials one leg (a known
 * address is a redial, not a second participant); Drop deletes the leg,
 * and a poll under way at that moment does not read the vanished leg as
 * a failed dial (no call back); a failed Drop puts them back, with a
 * sentence; Redial calls a dropped one again; refresh polls at once. */
static void
test_live_changes (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BkCmsClient) client = et_client_new (f->sim);
  g_autoptr(BkMeeting) m = bk_meeting_new (client, SLOT, f->space_id, TITLE, PIN, three);
  g_autoptr(GError) error = NULL;
  g_autofree char *bob_leg = NULL;
  g_autofree char *legs = NULL;
  guint notified = 0;
  PollUntil pu = { m, NULL, FALSE, BK_PARTICIPANT_CONNECTED };

  g_signal_connect (m, "notify::n-participants", G_CALLBACK (notify_count_cb), &notified);
  g_assert_true (meeting_start (m, BK_MEETING_START_NONE, &error));
  g_assert_no_error (error);
  poll_until_settled (m);
  g_assert_true (all_in_state (m, BK_PARTICIPANT_CONNECTED));
  legs = g_strdup_printf ("/api/v1/calls/%s/callLegs", bk_meeting_get_call_id (m));

  /* Add Participant: a fourth, dialled by the refresh (one POST). */
  bk_sim_cluster_reset_counters (f->sim);
  g_assert_cmpuint (bk_meeting_add_participant (m, "dave@ex.example"), ==, 3);
  g_assert_cmpuint (bk_meeting_get_n_participants (m), ==, 4);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpint (bk_meeting_get_participant_state (m, 3), ==, BK_PARTICIPANT_INITIAL);
  bk_meeting_refresh (m);
  bk_test_wait_until (fourth_dialled, m, WAIT_MS);
  g_assert_cmpuint (et_count (f->sim, -1, "POST", legs), ==, 1);
  poll_until_settled (m);
  g_assert_true (all_in_state (m, BK_PARTICIPANT_CONNECTED));
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, -1), ==, 4);

  /* An address already in the meeting (any case): no second participant,
   * nobody called. */
  g_assert_cmpuint (bk_meeting_add_participant (m, "ALICE@ex.example"), ==, 0);
  g_assert_cmpuint (bk_meeting_get_n_participants (m), ==, 4);
  g_assert_cmpuint (notified, ==, 1);
  meeting_poll (m);
  g_assert_cmpuint (et_count (f->sim, -1, "POST", legs), ==, 1);

  /* Eve's phone rings and rings. Dropped while a poll is under way: gone
   * at once, her leg deleted, and neither that poll (reading her vanished
   * leg) nor the next ones call her back. */
  bk_sim_cluster_set_unanswered_pattern (f->sim, "*@ring.example");
  g_assert_cmpuint (bk_meeting_add_participant (m, "eve@ring.example"), ==, 4);
  bk_test_wait_until (fifth_ringing, &pu, WAIT_MS);
  g_assert_cmpint (bk_meeting_get_participant_state (m, 4), ==, BK_PARTICIPANT_RINGING);
  bk_sim_cluster_reset_counters (f->sim);
  {
    /* The drop lands while the poll reads her leg (as the bridge answers
     * that GET, her leg still ringing). */
    DropHook hook = { m, g_strdup_printf ("/api/v1/callLegs/%s", bk_meeting_get_participant_leg_id (m, 4)),
                      4, NULL, FALSE };

    bk_sim_cluster_set_request_hook (f->sim, drop_hook, &hook, NULL);
    pu.in_flight = TRUE;
    bk_meeting_poll_async (m, NULL, poll_until_cb, &pu);
    et_wait_result (&hook.res);
    bk_sim_cluster_set_request_hook (f->sim, NULL, NULL, NULL);
    g_assert_true (hook.fired);
    g_assert_true (bk_meeting_drop_finish (m, hook.res, &error));
    g_assert_no_error (error);
    g_clear_object (&hook.res);
    g_free (hook.path);
  }
  bk_test_wait_until (not_busy_pred, &pu, WAIT_MS);
  meeting_poll (m);
  meeting_poll (m);
  g_assert_cmpint (bk_meeting_get_participant_state (m, 4), ==, BK_PARTICIPANT_GONE);
  g_assert_null (bk_meeting_get_participant_leg_id (m, 4));
  g_assert_cmpuint (bk_meeting_get_participant_attempts (m, 4), ==, 1);
  g_assert_cmpuint (et_count (f->sim, -1, "DELETE", "/api/v1/callLegs/"), ==, 1);
  g_assert_cmpuint (et_count (f->sim, -1, "POST", NULL), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, -1), ==, 4);

  /* Bob, connected, is dropped: his leg deleted, gone, not called back. */
  bk_sim_cluster_reset_counters (f->sim);
  bob_leg = g_strdup (bk_meeting_get_participant_leg_id (m, 1));
  g_assert_true (meeting_drop (m, 1, &error));
  g_assert_no_error (error);
  meeting_poll (m);
  g_assert_cmpint (bk_meeting_get_participant_state (m, 1), ==, BK_PARTICIPANT_GONE);
  g_assert_cmpuint (et_count (f->sim, -1, "DELETE", "/api/v1/callLegs/"), ==, 1);
  g_assert_cmpuint (et_count (f->sim, -1, "POST", NULL), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, -1), ==, 3);

  /* Redial: called again (one POST), connected. */
  bk_meeting_redial (m, 1);
  poll_until_settled (m);
  g_assert_cmpint (bk_meeting_get_participant_state (m, 1), ==, BK_PARTICIPANT_CONNECTED);
  g_assert_cmpuint (et_count (f->sim, -1, "POST", legs), ==, 1);
  g_assert_cmpstr (bk_meeting_get_participant_leg_id (m, 1), !=, bob_leg);

  /* A Drop the bridge refuses: back as before, with a sentence. */
  bk_sim_cluster_add_fault (f->sim, "DELETE", "/api/v1/callLegs/", BK_SIM_FAULT_HTTP_500, 1.0, -1);
  g_assert_false (meeting_drop (m, 2, &error));
  g_assert_error (error, BK_MEETING_ERROR, BK_MEETING_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "carol@ex.example"));
  g_clear_error (&error);
  bk_sim_cluster_clear_faults (f->sim);
  g_assert_cmpint (bk_meeting_get_participant_state (m, 2), ==, BK_PARTICIPANT_CONNECTED);
  g_assert_nonnull (bk_meeting_get_participant_leg_id (m, 2));
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, -1), ==, 4);

  g_assert_true (meeting_end (m, &error));
  g_assert_no_error (error);
  assert_slot_idle (f);
}

/* Held until the start: start is the PUT and the POST /calls only; polls
 * (and a refresh) call nobody; a meeting moved to another node keeps the
 * hold; the dial, asked while a poll round is under way, goes right after
 * it: k POSTs, each participant once; then polls go on as usual. */
static void
test_dial_held (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(BkCmsClient) client = et_client_new (f->sim);
  g_autoptr(BkMeeting) m = bk_meeting_new (client, SLOT, f->space_id, TITLE, PIN, three);
  g_autoptr(BkMeeting) moved = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *poll_res = NULL;
  GAsyncResult *dial_res = NULL;

  bk_meeting_set_dial_held (m, TRUE);
  g_assert_true (meeting_start (m, BK_MEETING_START_NONE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (et_total (f->sim), ==, 2);
  g_assert_cmpuint (et_posted_calls (f->sim, -1), ==, 1);
  g_assert_cmpuint (et_count (f->sim, -1, "POST", "/api/v1/calls/"), ==, 0);
  assert_slot_active (f);
  g_assert_true (bk_meeting_is_running (m));
  g_assert_true (all_in_state (m, BK_PARTICIPANT_INITIAL));

  bk_sim_cluster_reset_counters (f->sim);
  meeting_poll (m);
  bk_meeting_refresh (m);
  bk_test_spin (100);
  g_assert_cmpuint (et_count (f->sim, -1, "POST", NULL), ==, 0);
  g_assert_cmpuint (et_count (f->sim, -1, "GET", NULL), >=, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, -1), ==, 0);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (bk_meeting_get_participant_attempts (m, i), ==, 0);

  moved = bk_meeting_new_moved (m, client);
  g_assert_true (bk_meeting_get_dial_held (moved));

  /* A poll under way, then the dial: it waits for the poll. */
  bk_sim_cluster_reset_counters (f->sim);
  bk_meeting_poll_async (m, NULL, et_result_cb, &poll_res);
  bk_meeting_dial_async (m, NULL, et_result_cb, &dial_res);
  g_assert_true (bk_meeting_poll_finish (m, et_wait_result (&poll_res), &error));
  g_assert_no_error (error);
  g_assert_true (bk_meeting_dial_finish (m, et_wait_result (&dial_res), &error));
  g_assert_no_error (error);
  g_clear_object (&poll_res);
  g_clear_object (&dial_res);
  g_assert_false (bk_meeting_get_dial_held (m));
  g_assert_cmpuint (et_count (f->sim, -1, "POST", "/api/v1/calls/"), ==, 3);
  g_assert_cmpuint (et_count (f->sim, -1, "POST", NULL), ==, 3);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, -1), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_nonnull (bk_meeting_get_participant_leg_id (m, i));
      g_assert_cmpuint (bk_meeting_get_participant_attempts (m, i), ==, 1);
    }

  poll_until_settled (m);
  g_assert_true (all_in_state (m, BK_PARTICIPANT_CONNECTED));
  g_assert_cmpuint (et_count (f->sim, -1, "POST", "/api/v1/calls/"), ==, 3);
  g_assert_true (meeting_end (m, &error));
  g_assert_no_error (error);
  assert_slot_idle (f);
}

/* Held until the start, but Add Participant and Redial are not: the call
 * exists, so a poll calls them at once (one POST each), and nobody else;
 * a meeting moved to another node keeps who was called early; the dial
 * at the start calls only who has no leg (Bob and Carol: 2 POSTs). */
static void
test_add_while_held (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(BkCmsClient) client = et_client_new (f->sim);
  g_autoptr(BkMeeting) m = bk_meeting_new (client, SLOT, f->space_id, TITLE, PIN, three);
  g_autoptr(BkMeeting) moved = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;

  bk_meeting_set_dial_held (m, TRUE);
  g_assert_true (meeting_start (m, BK_MEETING_START_NONE, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < 3; i++)
    g_assert_true (bk_meeting_get_participant_held (m, i));

  bk_sim_cluster_reset_counters (f->sim);
  g_assert_cmpuint (bk_meeting_add_participant (m, "dave@ex.example"), ==, 3);
  g_assert_false (bk_meeting_get_participant_held (m, 3));
  g_assert_true (bk_meeting_get_participant_early (m, 3));
  meeting_poll (m);
  g_assert_cmpuint (et_count (f->sim, -1, "POST", "/api/v1/calls/"), ==, 1);
  g_assert_cmpuint (et_count (f->sim, -1, "POST", NULL), ==, 1);
  g_assert_nonnull (bk_meeting_get_participant_leg_id (m, 3));
  g_assert_cmpuint (bk_meeting_get_participant_attempts (m, 0), ==, 0);

  /* Redial of Alice (booked, not called yet): now, she alone. */
  bk_sim_cluster_reset_counters (f->sim);
  bk_meeting_redial (m, 0);
  g_assert_false (bk_meeting_get_participant_held (m, 0));
  meeting_poll (m);
  g_assert_cmpuint (et_count (f->sim, -1, "POST", "/api/v1/calls/"), ==, 1);
  g_assert_nonnull (bk_meeting_get_participant_leg_id (m, 0));
  g_assert_null (bk_meeting_get_participant_leg_id (m, 1));
  g_assert_true (bk_meeting_get_dial_held (m));

  moved = bk_meeting_new_moved (m, client);
  g_assert_true (bk_meeting_get_participant_early (moved, 0));
  g_assert_true (bk_meeting_get_participant_early (moved, 3));
  g_assert_true (bk_meeting_get_participant_held (moved, 1));

  /* The start: only the two who have no leg. */
  bk_sim_cluster_reset_counters (f->sim);
  bk_meeting_dial_async (m, NULL, et_result_cb, &res);
  g_assert_true (bk_meeting_dial_finish (m, et_wait_result (&res), &error));
  g_assert_no_error (error);
  g_clear_object (&res);
  g_assert_cmpuint (et_count (f->sim, -1, "POST", "/api/v1/calls/"), ==, 2);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, -1), ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpuint (bk_meeting_get_participant_attempts (m, i), ==, 1);

  g_assert_true (meeting_end (m, &error));
  g_assert_no_error (error);
  assert_slot_idle (f);
}

int
main (int argc, char **argv)
{
  bk_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/engine/meeting/start-end", test_start_end);
  ADD ("/engine/meeting/dial-held", test_dial_held);
  ADD ("/engine/meeting/add-while-held", test_add_while_held);
  ADD ("/engine/meeting/start-twice", test_start_twice);
  ADD ("/engine/meeting/find-space", test_find_space);
  ADD ("/engine/meeting/start-faults", test_start_faults);
  ADD ("/engine/meeting/start-call-keeps-failing", test_start_call_keeps_failing);
  ADD ("/engine/meeting/start-call-reply-lost", test_start_call_reply_lost);
  ADD ("/engine/meeting/end-faults", test_end_faults);
  ADD ("/engine/meeting/redial-unanswered", test_redial_unanswered);
  ADD ("/engine/meeting/redial-failing", test_redial_failing);
  ADD ("/engine/meeting/legs-disappear", test_legs_disappear);
  ADD ("/engine/meeting/cancel-start", test_cancel_start);
  ADD ("/engine/meeting/live-changes", test_live_changes);
#undef ADD

  return g_test_run ();
}
