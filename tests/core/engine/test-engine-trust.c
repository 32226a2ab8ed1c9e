/* test-engine-trust.c: what makes the engine trustworthy beyond running a
 * meeting: a participant who never answers becomes a ticket (Redial); end
 * warnings shown on the call (and not on a bridge too old for them), not
 * repeated after a restart; a call on our slot without a booking is
 * reported (End), never ended silently; series across DST nights start at
 * their tick; a POST whose reply is lost after it took effect is verified,
 * never doubled. Against the simulator over loopback HTTPS, with a fake
 * clock, counting requests.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestEngineTrust"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

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
  GString        *unanswered;   /* "<index>=<uri> " per "participant-unanswered" */
  GPtrArray      *unknown;      /* call ids per "unknown-call" */
  BkDeviceStore  *devices;      /* with_manager() */
  BkSecrets      *secrets;
} Fixture;

/* ---- plumbing ---- */

static void
unanswered_cb (BkEngine   *engine,
               const char *id,
               guint       index,
               const char *uri,
               Fixture    *f)
{
  g_string_append_printf (f->unanswered, "%u=%s ", index, uri);
}

static void
unknown_call_cb (BkEngine   *engine,
                 const char *bridge_id,
                 const char *call_id,
                 const char *sentence,
                 Fixture    *f)
{
  g_assert_cmpstr (bridge_id, ==, BRIDGE);
  g_assert_nonnull (strstr (sentence, "7002"));
  g_ptr_array_add (f->unknown, g_strdup (call_id));
}

/* A new engine on the fixture's store, clock, journal and simulator. */
static void
start_engine (Fixture *f)
{
  et_fixture_new_engine (&f->et);
  g_signal_connect (f->et.engine, "participant-unanswered", G_CALLBACK (unanswered_cb), f);
  g_signal_connect (f->et.engine, "unknown-call", G_CALLBACK (unknown_call_cb), f);
  bk_engine_run (f->et.engine);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  et_fixture_set_up (&f->et, data);
  f->unanswered = g_string_new ("");
  f->unknown = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  et_fixture_tear_down (&f->et, data);
  g_string_free (f->unanswered, TRUE);
  g_ptr_array_unref (f->unknown);
  g_clear_object (&f->devices);
  g_clear_object (&f->secrets);
}

static const char * const two_out[] = { "alice@ex.example", "bob@ex.example", NULL };

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

static const char * const one_failing[] = { "alice@ex.example", "broken@fail.example", NULL };

/* The production path: the bridge is the manager's (listed in a device
 * store, its password in the secrets), so the engine's tickets reach the
 * bridge's Tickets and the launch's sweep knows its slots (7001, 7002). */
static void
with_manager (Fixture *f)
{
  g_autofree char *store_dir = g_build_filename (f->et.dir, "devices", NULL);
  g_autoptr(GError) error = NULL;
  BkDevice *device = f->et.bridges->pdata[0];
  GAsyncResult *res = NULL;

  g_mkdir_with_parents (store_dir, 0700);
  f->devices = bk_device_store_new (store_dir);
  f->secrets = bk_secrets_new_session_only ("Test passwords stay in this process.");
  g_assert_true (bk_device_store_load (f->devices, &error));
  g_assert_no_error (error);
  bk_device_store_set_secrets (f->devices, f->secrets);
  g_object_set (device, "address", "127.0.0.1",
                "port", bk_sim_cluster_get_node_port (f->et.sim, 0), NULL);
  bk_device_set_certificate_pin (device, bk_sim_cluster_get_certificate_sha256 (f->et.sim));
  bk_device_set_username (device, BK_SIM_DEFAULT_USERNAME);
  g_assert_true (bk_device_store_add (f->devices, device, &error));
  g_assert_no_error (error);
  bk_secrets_store_async (f->secrets, device, BK_SECRET_KIND_PRIMARY, BK_SIM_DEFAULT_PASSWORD,
                          NULL, et_result_cb, &res);
  g_assert_true (bk_secrets_store_finish (f->secrets, et_wait_result (&res), &error));
  g_assert_no_error (error);
  g_clear_object (&res);
  f->et.manager = bk_bridge_manager_new (f->devices, f->secrets);
  g_assert_nonnull (bk_bridge_manager_lookup (f->et.manager, BRIDGE));
}

/* The ticket with @key in @model, or NULL (transfer full). */
static BkTicket *
find_ticket (GListModel *model,
             const char *key)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(BkTicket) t = g_list_model_get_item (model, i);

      if (g_strcmp0 (bk_ticket_get_key (t), key) == 0)
        return g_steal_pointer (&t);
    }
  return NULL;
}

typedef struct
{
  BkMeeting *meeting;
  guint      index;
  BkParticipantState state;
  gboolean   polling;
} PollWait;

static void
poll_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  PollWait *w = user_data;

  bk_meeting_poll_finish (BK_MEETING (object), result, NULL);
  w->polling = FALSE;
}

/* Polls (as the engine's watch would) until participant @index is in @state. */
static gboolean
polled_to_state (gpointer data)
{
  PollWait *w = data;

  if (bk_meeting_get_participant_state (w->meeting, w->index) == w->state)
    return TRUE;
  if (!w->polling)
    {
      w->polling = TRUE;
      bk_meeting_poll_async (w->meeting, NULL, poll_done_cb, w);
    }
  return FALSE;
}

static void
poll_until (BkMeeting          *meeting,
            guint               index,
            BkParticipantState  state)
{
  PollWait w = { meeting, index, state, FALSE };

  bk_test_wait_until (polled_to_state, &w, WAIT_MS);
  while (w.polling)
    bk_test_spin (5);
  g_assert_cmpstr (bk_participant_state_to_string (bk_meeting_get_participant_state (meeting, index)), ==,
                   bk_participant_state_to_string (state));
}

/* ---- tests ---- */

/* A participant who never answers (three calls that fail) raises
 * "participant-unanswered" once and a ticket with Redial, in the engine's
 * list and in the bridge's Tickets; redialling takes it back (and it comes
 * back when they fail again); the meeting's end takes it away. */
static void
test_unanswered_ticket (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);
  g_autofree char *id = NULL;
  g_autofree char *key = NULL;
  g_autoptr(BkTicket) ticket = NULL;
  g_autoptr(BkTicket) on_bridge = NULL;
  GListModel *bridge_tickets;
  const char *target_id = NULL;
  guint target_index = 99;
  BkMeeting *m;

  with_manager (f);
  bridge_tickets = bk_bridge_get_tickets (bk_bridge_manager_lookup (f->et.manager, BRIDGE));
  bk_sim_cluster_set_failing_pattern (f->et.sim, "*@fail.example");
  id = et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_AUTOMATIC_CONNECT, start, end, one_failing, NULL, 0, NULL);
  key = g_strdup_printf ("participant-unanswered:%s:1", id);
  start_engine (f);
  et_advance_to (f->et.clock, 7, 8, 55, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_RUNNING);
  m = bk_engine_get_meeting (f->et.engine, id);
  g_assert_nonnull (m);
  g_assert_cmpuint (g_list_model_get_n_items (bk_engine_get_tickets (f->et.engine)), ==, 0);
  et_advance_to (f->et.clock, 7, 9, 0, 0);   /* its start: the participants are called */
  et_wait_deadline (f->et.clock, et_unix_at (7, 9, 55, 0));

  poll_until (m, 1, BK_PARTICIPANT_UNANSWERED);
  g_assert_cmpint (bk_meeting_get_participant_state (m, 0), ==, BK_PARTICIPANT_CONNECTED);
  g_assert_cmpstr (f->unanswered->str, ==, "1=broken@fail.example ");
  g_assert_cmpuint (g_list_model_get_n_items (bk_engine_get_tickets (f->et.engine)), ==, 1);
  ticket = find_ticket (bk_engine_get_tickets (f->et.engine), key);
  g_assert_nonnull (ticket);
  g_assert_cmpint (bk_ticket_get_kind (ticket), ==, BK_TICKET_KIND_PARTICIPANT_UNANSWERED);
  g_assert_cmpstr (bk_ticket_get_device_id (ticket), ==, BRIDGE);
  g_assert_cmpstr (bk_ticket_get_action_name (ticket), ==, "app.redial-participant");
  g_assert_cmpstr (bk_ticket_get_action_label (ticket), ==, "Redial");
  g_assert_nonnull (strstr (bk_ticket_get_sentence (ticket), "broken@fail.example"));
  g_assert_nonnull (strstr (bk_ticket_get_sentence (ticket), TITLE));
  g_assert_nonnull (bk_ticket_get_action_target (ticket));
  g_variant_get (bk_ticket_get_action_target (ticket), "(&su)", &target_id, &target_index);
  g_assert_cmpstr (target_id, ==, id);
  g_assert_cmpuint (target_index, ==, 1);
  on_bridge = find_ticket (bridge_tickets, key);
  g_assert_true (on_bridge == ticket);
  g_clear_object (&on_bridge);

  /* More polls: no second signal, no second ticket. */
  poll_until (m, 1, BK_PARTICIPANT_UNANSWERED);
  g_assert_cmpstr (f->unanswered->str, ==, "1=broken@fail.example ");

  /* Redial (the ticket's action): the ticket goes at once; they fail
   * again: it comes back, and the signal with it. */
  bk_meeting_redial (m, 1);
  g_assert_cmpuint (g_list_model_get_n_items (bk_engine_get_tickets (f->et.engine)), ==, 0);
  on_bridge = find_ticket (bridge_tickets, key);
  g_assert_null (on_bridge);
  poll_until (m, 1, BK_PARTICIPANT_UNANSWERED);
  g_assert_cmpstr (f->unanswered->str, ==, "1=broken@fail.example 1=broken@fail.example ");
  on_bridge = find_ticket (bridge_tickets, key);
  g_assert_nonnull (on_bridge);
  g_clear_object (&on_bridge);

  /* They answer after a redial: no ticket. */
  bk_sim_cluster_set_failing_pattern (f->et.sim, NULL);
  bk_meeting_redial (m, 1);
  poll_until (m, 1, BK_PARTICIPANT_CONNECTED);
  g_assert_cmpuint (g_list_model_get_n_items (bk_engine_get_tickets (f->et.engine)), ==, 0);

  /* Unanswered again, then the meeting ends: the ticket goes with it. */
  bk_sim_cluster_set_failing_pattern (f->et.sim, "*@fail.example");
  {
    /* Drop them (as if they hung up) and redial: the calls fail. */
    g_autofree char *leg = g_strdup_printf ("callLegs/%s", bk_meeting_get_participant_leg_id (m, 1));
    probe_delete (f, leg);
  }
  poll_until (m, 1, BK_PARTICIPANT_GONE);
  bk_meeting_redial (m, 1);
  poll_until (m, 1, BK_PARTICIPANT_UNANSWERED);
  g_assert_cmpuint (g_list_model_get_n_items (bk_engine_get_tickets (f->et.engine)), ==, 1);
  et_advance_to (f->et.clock, 7, 10, 0, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_ENDED);
  g_assert_cmpuint (g_list_model_get_n_items (bk_engine_get_tickets (f->et.engine)), ==, 0);
  on_bridge = find_ticket (bridge_tickets, key);
  g_assert_null (on_bridge);
  et_fixture_assert_slot_idle (&f->et, 0);
}

static guint
message_puts (Fixture *f)
{
  return et_count (f->et.sim, -1, "PUT", "/api/v1/calls/");
}

/* The end warnings are also a message on the call: at end - 5 and end - 1
 * min, one PUT /calls/<id> each (messageText, messagePosition,
 * messageDuration), the simulator's call showing the text; nothing else is
 * sent for them. */
static void
test_end_messages (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);
  g_autofree char *id = et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_RESERVATION, start, end, NULL, NULL, 0, NULL);
  g_autofree char *trace = NULL;
  g_autofree char *call_path = NULL;
  guint before;

  start_engine (f);
  et_advance_to (f->et.clock, 7, 8, 55, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_RUNNING);
  call_path = g_strdup_printf ("/api/v1/calls/%s", bk_meeting_get_call_id (bk_engine_get_meeting (f->et.engine, id)));
  bk_sim_cluster_reset_counters (f->et.sim);
  bk_sim_cluster_clear_trace (f->et.sim);

  et_advance_to (f->et.clock, 7, 9, 54, 59);
  g_assert_cmpuint (et_total (f->et.sim), ==, 0);
  et_advance_to (f->et.clock, 7, 9, 55, 0);
  g_assert_cmpstr (f->et.warnings->str, ==, "09:55:00=5 ");
  for (guint waited = 0; message_puts (f) < 1 && waited < WAIT_MS; waited += 5)
    bk_test_spin (5);
  g_assert_cmpuint (message_puts (f), ==, 1);
  g_assert_cmpuint (et_count (f->et.sim, -1, "PUT", call_path), ==, 1);
  g_assert_cmpuint (et_total (f->et.sim), ==, 1);
  trace = bk_sim_cluster_dup_trace (f->et.sim);
  g_assert_nonnull (strstr (trace, "messageText=This%20meeting%20ends%20in%205%20minutes."));
  g_assert_nonnull (strstr (trace, "messagePosition=bottom"));
  g_assert_nonnull (strstr (trace, "messageDuration=30"));

  /* The simulator's call shows it (GET /calls/<id>, as apiary's sample). */
  {
    GAsyncResult *res = NULL;
    g_autoptr(BkCmsReply) reply = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *path = g_strdup (call_path + strlen ("/api/v1/"));

    bk_cms_client_request_async (f->et.probe, "GET", path, NULL, NULL, et_result_cb, &res);
    reply = bk_cms_client_request_finish (f->et.probe, et_wait_result (&res), &error);
    g_object_unref (res);
    g_assert_no_error (error);
    g_free (trace);
    trace = bk_sim_cluster_dup_trace (f->et.sim);
    g_assert_nonnull (strstr (trace, "<messageText>This meeting ends in 5 minutes.</messageText>"));
    g_assert_nonnull (strstr (trace, "<messagePosition>bottom</messagePosition>"));
    g_assert_nonnull (strstr (trace, "<messageDuration>30</messageDuration>"));
  }

  bk_sim_cluster_reset_counters (f->et.sim);
  et_advance_to (f->et.clock, 7, 9, 59, 0);
  for (guint waited = 0; message_puts (f) < 1 && waited < WAIT_MS; waited += 5)
    bk_test_spin (5);
  g_assert_cmpuint (message_puts (f), ==, 1);
  g_assert_cmpuint (et_total (f->et.sim), ==, 1);
  g_free (trace);
  trace = bk_sim_cluster_dup_trace (f->et.sim);
  g_assert_nonnull (strstr (trace, "messageText=This%20meeting%20ends%20in%201%20minute."));

  before = et_total (f->et.sim);
  et_advance_to (f->et.clock, 7, 10, 0, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_ENDED);
  g_assert_cmpuint (et_total (f->et.sim) - before, ==, 2);   /* the end is still 2 requests */
  et_fixture_assert_slot_idle (&f->et, 0);
}

/* A bridge before CMS 2.1 refuses a message on a call (parameterError):
 * the meeting runs on and ends on time, the notification-side warnings
 * still come, and the bridge is not asked for a message again. */
static void
test_end_messages_old_bridge (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);
  g_autofree char *id = et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_RESERVATION, start, end, NULL, NULL, 0, NULL);

  bk_sim_cluster_set_software_version (f->et.sim, "2.0.5");
  g_test_expect_message ("BkEngine", G_LOG_LEVEL_MESSAGE, "*does not show messages on calls*");
  start_engine (f);
  et_advance_to (f->et.clock, 7, 8, 55, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_RUNNING);
  bk_sim_cluster_reset_counters (f->et.sim);

  et_advance_to (f->et.clock, 7, 9, 55, 0);
  for (guint waited = 0; message_puts (f) < 1 && waited < WAIT_MS; waited += 5)
    bk_test_spin (5);
  bk_test_spin (50);   /* its refusal is handled */
  g_assert_cmpuint (message_puts (f), ==, 1);
  g_assert_cmpint (bk_engine_get_state (f->et.engine, id), ==, BK_ENGINE_STATE_RUNNING);
  g_assert_null (bk_engine_get_error (f->et.engine, id));

  et_advance_to (f->et.clock, 7, 9, 59, 0);
  bk_test_spin (50);
  g_assert_cmpstr (f->et.warnings->str, ==, "09:55:00=5 09:59:00=1 ");
  g_assert_cmpuint (message_puts (f), ==, 1);   /* not asked again */
  g_test_assert_expected_messages ();

  et_advance_to (f->et.clock, 7, 10, 0, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_ENDED);
  et_fixture_assert_slot_idle (&f->et, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 0);
}

/* A warning given is journalled: an engine started again after it (the
 * app restarted at 09:56) neither warns again nor shows the message again;
 * the next warning comes at its time. */
static void
test_warning_journalled (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);
  g_autofree char *id = et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_RESERVATION, start, end, NULL, NULL, 0, NULL);

  start_engine (f);
  et_advance_to (f->et.clock, 7, 8, 55, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_RUNNING);
  et_advance_to (f->et.clock, 7, 9, 55, 0);
  g_assert_cmpstr (f->et.warnings->str, ==, "09:55:00=5 ");
  for (guint waited = 0; message_puts (f) < 1 && waited < WAIT_MS; waited += 5)
    bk_test_spin (5);
  et_kill_engine (&f->et.engine, f->et.clock);

  et_advance_to (f->et.clock, 7, 9, 56, 0);
  bk_sim_cluster_reset_counters (f->et.sim);
  g_string_truncate (f->et.log, 0);
  start_engine (f);
  et_wait_log (f->et.log, "running");
  et_wait_deadline (f->et.clock, et_unix_at (7, 9, 59, 0));
  g_assert_cmpstr (f->et.warnings->str, ==, "09:55:00=5 ");
  g_assert_cmpuint (message_puts (f), ==, 0);
  et_advance_to (f->et.clock, 7, 9, 58, 59);
  g_assert_cmpstr (f->et.warnings->str, ==, "09:55:00=5 ");
  et_advance_to (f->et.clock, 7, 9, 59, 0);
  g_assert_cmpstr (f->et.warnings->str, ==, "09:55:00=5 09:59:00=1 ");
  for (guint waited = 0; message_puts (f) < 1 && waited < WAIT_MS; waited += 5)
    bk_test_spin (5);
  g_assert_cmpuint (message_puts (f), ==, 1);
  et_advance_to (f->et.clock, 7, 10, 0, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_ENDED);
}

static char *
probe_post_call (Fixture    *f,
                 const char *space_id)
{
  const char *params[] = { "coSpace", space_id, NULL };
  GAsyncResult *res = NULL;
  g_autoptr(GError) error = NULL;
  char *call_id;

  bk_cms_client_create_async (f->et.probe, "calls", params, NULL, et_result_cb, &res);
  call_id = bk_cms_client_create_finish (f->et.probe, et_wait_result (&res), &error);
  g_object_unref (res);
  g_assert_no_error (error);
  return call_id;
}

static void
probe_activate (Fixture    *f,
                const char *space_id,
                const char *name)
{
  const char *params[] = { "name", name, "nonMemberAccess", "true", NULL };
  g_autofree char *path = g_strdup_printf ("coSpaces/%s", space_id);
  GAsyncResult *res = NULL;
  g_autoptr(BkCmsReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  bk_cms_client_request_async (f->et.probe, "PUT", path, params, NULL, et_result_cb, &res);
  reply = bk_cms_client_request_finish (f->et.probe, et_wait_result (&res), &error);
  g_object_unref (res);
  g_assert_no_error (error);
}

/* The journal is lost while a meeting runs on slot 7001 and someone's
 * call runs on slot 7002 with no booking. At launch the meeting is adopted
 * (its call found, nothing doubled) and the call on 7002 is reported (a
 * ticket offering End, in the bridge's Tickets, "unknown-call"), not ended;
 * End deletes it and resets the slot. */
static void
test_unknown_call (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);
  g_autofree char *id = NULL;
  g_autofree char *ours = NULL;
  g_autofree char *stray = NULL;
  g_autofree char *journal = g_build_filename (f->et.dir, "engine-journal.json", NULL);
  g_autofree char *key = NULL;
  g_autoptr(BkTicket) ticket = NULL;
  g_autoptr(BkTicket) on_bridge = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  guint64 slot = 0;

  with_manager (f);
  id = et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_RESERVATION, start, end, NULL, NULL, 0, &slot);
  g_assert_cmpuint (slot, ==, 7001);
  start_engine (f);
  et_advance_to (f->et.clock, 7, 8, 55, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_RUNNING);
  ours = g_strdup (bk_meeting_get_call_id (bk_engine_get_meeting (f->et.engine, id)));
  g_assert_cmpuint (f->unknown->len, ==, 0);   /* nothing stray at the first launch */
  et_kill_engine (&f->et.engine, f->et.clock);

  probe_activate (f, f->et.space[1], "Someone's meeting");
  stray = probe_post_call (f, f->et.space[1]);
  g_assert_cmpint (g_unlink (journal), ==, 0);
  et_advance_to (f->et.clock, 7, 9, 20, 0);
  bk_sim_cluster_reset_counters (f->et.sim);
  g_string_truncate (f->et.log, 0);
  start_engine (f);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_RUNNING);
  for (guint waited = 0; f->unknown->len == 0 && waited < WAIT_MS; waited += 5)
    bk_test_spin (5);
  bk_test_spin (100);
  g_assert_cmpuint (f->unknown->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->unknown, 0), ==, stray);
  g_assert_cmpstr (bk_meeting_get_call_id (bk_engine_get_meeting (f->et.engine, id)), ==, ours);
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", NULL), ==, 0);
  g_assert_cmpuint (et_count (f->et.sim, -1, "DELETE", NULL), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 2);
  /* GET /calls once for the sweep, each call's space once. */
  g_assert_cmpuint (et_count (f->et.sim, -1, "GET", "/api/v1/coSpaces/"), ==, 2);

  key = g_strdup_printf ("unknown-call:%s:%s", BRIDGE, stray);
  ticket = find_ticket (bk_engine_get_tickets (f->et.engine), key);
  g_assert_nonnull (ticket);
  g_assert_cmpuint (g_list_model_get_n_items (bk_engine_get_tickets (f->et.engine)), ==, 1);
  g_assert_cmpint (bk_ticket_get_kind (ticket), ==, BK_TICKET_KIND_UNKNOWN_CALL);
  g_assert_cmpstr (bk_ticket_get_action_name (ticket), ==, "app.end-unknown-call");
  g_assert_nonnull (strstr (bk_ticket_get_sentence (ticket), "Someone's meeting"));
  on_bridge = find_ticket (bk_bridge_get_tickets (bk_bridge_manager_lookup (f->et.manager, BRIDGE)), key);
  g_assert_true (on_bridge == ticket);
  g_clear_object (&on_bridge);

  /* Left alone: a while later, both calls still run. */
  et_advance_to (f->et.clock, 7, 9, 30, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 2);

  /* End (the ticket's action). */
  bk_engine_end_unknown_call_async (f->et.engine, BRIDGE, stray, NULL, et_result_cb, &res);
  g_assert_true (bk_engine_end_unknown_call_finish (f->et.engine, et_wait_result (&res), &error));
  g_assert_no_error (error);
  g_clear_object (&res);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 1);
  et_fixture_assert_slot_idle (&f->et, 1);
  g_assert_cmpuint (g_list_model_get_n_items (bk_engine_get_tickets (f->et.engine)), ==, 0);
  on_bridge = find_ticket (bk_bridge_get_tickets (bk_bridge_manager_lookup (f->et.manager, BRIDGE)), key);
  g_assert_null (on_bridge);
  /* Not twice. */
  bk_engine_end_unknown_call_async (f->et.engine, BRIDGE, stray, NULL, et_result_cb, &res);
  g_assert_false (bk_engine_end_unknown_call_finish (f->et.engine, et_wait_result (&res), &error));
  g_assert_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_UNKNOWN);
  g_clear_object (&res);

  et_advance_to (f->et.clock, 7, 10, 0, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_ENDED);
  et_fixture_assert_slot_idle (&f->et, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 0);
}

/* ---- DST ---- */

static GDateTime *
local (GTimeZone *tz, int y, int mo, int d, int h, int mi)
{
  return g_date_time_new (tz, y, mo, d, h, mi, 0);
}

/* Moves the fake clock to @t (UTC seconds). */
static void
advance_to_unix (Fixture *f,
                 gint64   t)
{
  g_autoptr(GDateTime) now = bk_clock_now (f->et.clock);
  GTimeSpan span = (t - g_date_time_to_unix (now)) * G_TIME_SPAN_SECOND;

  g_assert_cmpint (span, >=, 0);
  bk_fake_clock_advance (BK_FAKE_CLOCK (f->et.clock), span);
  bk_test_spin (20);
}

/* Runs the occurrence starting at @start (UTC seconds, @minutes long):
 * the engine's one deadline is its tick (start - early join) after the
 * check, it is not started a second early, it runs at the tick with one
 * call, and ends exactly at its end. */
static void
run_occurrence (Fixture    *f,
                const char *uid,
                gint64      start,
                guint       minutes)
{
  g_autofree char *id = bk_engine_occurrence_id (uid, start);
  gint64 tick = start - BK_BOOKING_DEFAULT_EARLY_JOIN;
  gint64 end = start + (gint64) minutes * 60;

  et_wait_deadline (f->et.clock, start - BK_ENGINE_CHECK_BEFORE);
  advance_to_unix (f, start - BK_ENGINE_CHECK_BEFORE);
  et_wait_deadline (f->et.clock, tick);
  advance_to_unix (f, tick - 1);
  g_assert_cmpint (bk_engine_get_state (f->et.engine, id), ==, BK_ENGINE_STATE_CHECKING);
  bk_sim_cluster_reset_counters (f->et.sim);
  advance_to_unix (f, tick);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_RUNNING);
  g_assert_cmpuint (et_posted_calls (f->et.sim, -1), ==, 1);
  advance_to_unix (f, end - 1);
  g_assert_cmpint (bk_engine_get_state (f->et.engine, id), ==, BK_ENGINE_STATE_RUNNING);
  advance_to_unix (f, end);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_ENDED);
  et_fixture_assert_slot_idle (&f->et, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 0);
}

/* Moves on to a little before @t, letting the engine forget and re-plan
 * on the way (its deadlines are met one by one, as time passes). */
static void
pass_time_until (Fixture *f,
                 gint64   t)
{
  for (;;)
    {
      gint64 d = et_deadline (f->et.clock);
      g_autoptr(GDateTime) now = bk_clock_now (f->et.clock);

      if (d == 0 || d >= t)
        break;
      g_assert_cmpint (d, >=, g_date_time_to_unix (now));
      advance_to_unix (f, d);
    }
}

/* A daily 09:00-10:00 series in Europe/Berlin across the spring-forward
 * night (30 Mar 2030 CET, 31 Mar and 1 Apr CEST) and the fall-back night
 * (26 Oct CEST, 27 and 28 Oct CET): each occurrence starts at 08:55 local
 * time (07:55 or 06:55 UTC) exactly, and ends at 10:00 local. */
static void
test_dst_berlin (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Berlin");
  struct { int mo, d; int utc_hour; } spring[] = { { 3, 30, 8 }, { 3, 31, 7 }, { 4, 1, 7 } },
                                      fall[] = { { 10, 26, 7 }, { 10, 27, 8 }, { 10, 28, 8 } };
  g_autoptr(GDateTime) s1 = NULL;
  g_autoptr(GDateTime) e1 = NULL;
  g_autoptr(GDateTime) s2 = NULL;
  g_autoptr(GDateTime) e2 = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *uid = NULL;
  g_autoptr(GDateTime) begin = g_date_time_new_utc (2030, 3, 29, 12, 0, 0);

  g_assert_nonnull (tz);
  g_clear_object (&f->et.clock);
  f->et.clock = bk_fake_clock_new (begin);
  f->et.time_zone = "Europe/Berlin";
  s1 = local (tz, 2030, 3, 30, 9, 0);
  e1 = local (tz, 2030, 3, 30, 10, 0);
  first = et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_AUTOMATIC_CONNECT, s1, e1, two_out, NULL, 3, NULL);
  uid = bk_engine_occurrence_uid (first);
  start_engine (f);
  for (guint i = 0; i < G_N_ELEMENTS (spring); i++)
    {
      g_autoptr(GDateTime) s = g_date_time_new_utc (2030, spring[i].mo, spring[i].d, spring[i].utc_hour, 0, 0);
      g_autoptr(GDateTime) l = local (tz, 2030, spring[i].mo, spring[i].d, 9, 0);

      g_assert_cmpint (g_date_time_to_unix (s), ==, g_date_time_to_unix (l));
      pass_time_until (f, g_date_time_to_unix (s) - BK_ENGINE_CHECK_BEFORE);
      run_occurrence (f, uid, g_date_time_to_unix (s), 60);
    }
  et_kill_engine (&f->et.engine, f->et.clock);

  /* The autumn: a new series on a clock set forward to October. */
  {
    g_autoptr(GDateTime) october = g_date_time_new_utc (2030, 10, 25, 12, 0, 0);

    g_clear_object (&f->et.clock);
    f->et.clock = bk_fake_clock_new (october);
  }
  s2 = local (tz, 2030, 10, 26, 9, 0);
  e2 = local (tz, 2030, 10, 26, 10, 0);
  second = et_fixture_book (&f->et, "Autumn", BK_BOOKING_TYPE_AUTOMATIC_CONNECT, s2, e2, two_out, NULL, 3, NULL);
  g_free (uid);
  uid = bk_engine_occurrence_uid (second);
  start_engine (f);
  for (guint i = 0; i < G_N_ELEMENTS (fall); i++)
    {
      g_autoptr(GDateTime) s = g_date_time_new_utc (2030, fall[i].mo, fall[i].d, fall[i].utc_hour, 0, 0);

      pass_time_until (f, g_date_time_to_unix (s) - BK_ENGINE_CHECK_BEFORE);
      run_occurrence (f, uid, g_date_time_to_unix (s), 60);
    }
}

/* A weekly Monday 10:00-10:30 series in America/New_York across the
 * spring-forward Sunday (10 Mar 2030): 15:00 UTC on 4 March, then 14:00
 * UTC on 11 and 18 March; each starts at 09:55 local exactly. */
static void
test_dst_new_york (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("America/New_York");
  g_autoptr(GDateTime) begin = g_date_time_new_utc (2030, 3, 3, 12, 0, 0);
  g_autoptr(GDateTime) s = NULL;
  g_autoptr(GDateTime) e = NULL;
  g_autoptr(BkBooking) b = NULL;
  g_autofree char *uid = NULL;
  gint64 starts[] = { 0, 0, 0 };
  struct { int d, utc_hour; } weeks[] = { { 4, 15 }, { 11, 14 }, { 18, 14 } };

  g_assert_nonnull (tz);
  g_clear_object (&f->et.clock);
  f->et.clock = bk_fake_clock_new (begin);
  s = local (tz, 2030, 3, 4, 10, 0);
  e = local (tz, 2030, 3, 4, 10, 30);
  {
    g_autoptr(GDateTime) now = bk_clock_now (f->et.clock);
    BkBookingRules rules = { g_date_time_to_unix (now), f->et.bridges, NULL };
    g_autoptr(GError) error = NULL;

    b = bk_booking_new (TITLE, "America/New_York", s, e);
    b->type = BK_BOOKING_TYPE_AUTOMATIC_CONNECT;
    for (guint i = 0; two_out[i] != NULL; i++)
      bk_booking_add_participant (b, "", two_out[i], BK_DIAL_OUT);
    b->recurrence.kind = BK_RECURRENCE_WEEKLY;
    b->recurrence.interval = 1;
    b->recurrence.weekdays = BK_WEEKDAY_MONDAY;
    b->recurrence.count = 3;
    g_assert_true (bk_booking_store_save (f->et.store, &rules, b, NULL, &error));
    g_assert_no_error (error);
    uid = g_strdup (b->uid);
  }
  start_engine (f);
  for (guint i = 0; i < G_N_ELEMENTS (weeks); i++)
    {
      g_autoptr(GDateTime) at_utc = g_date_time_new_utc (2030, 3, weeks[i].d, weeks[i].utc_hour, 0, 0);

      starts[i] = g_date_time_to_unix (at_utc);
      pass_time_until (f, starts[i] - BK_ENGINE_CHECK_BEFORE);
      run_occurrence (f, uid, starts[i], 30);
    }
  g_assert_cmpint (starts[1] - starts[0], ==, 7 * 24 * 3600 - 3600);
}

/* ---- a reply lost after the request took effect ---- */

/* POST /calls takes effect on the bridge, then the connection is reset
 * before the reply: the start does not know it happened, looks (the
 * slot's calls), adopts the call and dials everyone: one call, no second
 * POST /calls, each participant once. */
static void
test_call_reply_lost (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);
  g_autofree char *id = et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_AUTOMATIC_CONNECT, start, end,
                                         two_out, NULL, 0, NULL);

  start_engine (f);
  et_advance_to (f->et.clock, 7, 8, 50, 0);
  bk_sim_cluster_reset_counters (f->et.sim);
  bk_sim_cluster_add_fault (f->et.sim, "POST", "/api/v1/calls", BK_SIM_FAULT_RESET_AFTER_EFFECT, 1.0, 1);
  et_advance_to (f->et.clock, 7, 8, 55, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_RUNNING);
  g_assert_cmpuint (et_posted_calls (f->et.sim, -1), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 1);
  g_assert_cmpuint (et_count (f->et.sim, -1, "GET", "/api/v1/calls"), >=, 1);   /* verified */
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", "/api/v1/calls/"), ==, 0);  /* nobody before the start */
  et_advance_to (f->et.clock, 7, 9, 0, 0);
  et_wait_deadline (f->et.clock, et_unix_at (7, 9, 55, 0));
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", "/api/v1/calls/"), ==, 2);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->et.sim, -1), ==, 2);
  g_assert_nonnull (bk_meeting_get_call_id (bk_engine_get_meeting (f->et.engine, id)));

  et_advance_to (f->et.clock, 7, 10, 0, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_ENDED);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 0);
  et_fixture_assert_slot_idle (&f->et, 0);
}

/* POST /calls/<id>/callLegs takes effect, its reply is lost: the leg is
 * found (the call's legs listed), not dialled again: two legs in all. */
static void
test_leg_reply_lost (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);
  g_autofree char *id = et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_AUTOMATIC_CONNECT, start, end,
                                         two_out, NULL, 0, NULL);
  BkMeeting *m;

  start_engine (f);
  et_advance_to (f->et.clock, 7, 8, 50, 0);
  bk_sim_cluster_reset_counters (f->et.sim);
  bk_sim_cluster_add_fault (f->et.sim, "POST", "/api/v1/calls/*/callLegs", BK_SIM_FAULT_RESET_AFTER_EFFECT, 1.0, 1);
  et_advance_to (f->et.clock, 7, 8, 55, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_RUNNING);
  m = bk_engine_get_meeting (f->et.engine, id);
  et_advance_to (f->et.clock, 7, 9, 0, 0);   /* the dial, whose first reply is lost */
  et_wait_deadline (f->et.clock, et_unix_at (7, 9, 55, 0));
  /* Whatever the dial left to the first poll, a poll settles it. */
  poll_until (m, 0, BK_PARTICIPANT_CONNECTED);
  poll_until (m, 1, BK_PARTICIPANT_CONNECTED);
  g_assert_cmpuint (et_posted_calls (f->et.sim, -1), ==, 1);
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", "/api/v1/calls/"), ==, 2);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->et.sim, -1), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_assert_nonnull (bk_meeting_get_participant_leg_id (m, i));
      g_assert_cmpuint (bk_meeting_get_participant_attempts (m, i), ==, 1);
    }

  et_advance_to (f->et.clock, 7, 10, 0, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_ENDED);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->et.sim, -1), ==, 0);
  et_fixture_assert_slot_idle (&f->et, 0);
}

/* The end fails (the node is down at the end): the meeting is FAILED
 * "at end", its call left on the bridge; Retry (the notification's
 * button) ends it once the node is back, rather than refusing because its
 * end has passed; it is not forgotten meanwhile. */
static void
test_retry_end (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);
  g_autofree char *id = et_fixture_book (&f->et, TITLE, BK_BOOKING_TYPE_RESERVATION, start, end, NULL, NULL, 0, NULL);
  g_autoptr(GError) error = NULL;

  start_engine (f);
  et_advance_to (f->et.clock, 7, 8, 55, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_RUNNING);
  g_assert_false (bk_engine_get_failed_at_end (f->et.engine, id));
  bk_sim_cluster_set_node_up (f->et.sim, 0, FALSE);
  et_advance_to (f->et.clock, 7, 10, 0, 0);
  et_wait_state (f->et.engine, id, BK_ENGINE_STATE_FAILED);
  g_assert_true (bk_engine_get_failed_at_end (f->et.engine, id));
  g_assert_nonnull (strstr (bk_engine_get_error (f->et.engine, id), "could not be ended"));

  /* Two hours on: still known (an hour after its end, a started one that
   * failed would be forgotten). */
  bk_sim_cluster_set_node_up (f->et.sim, 0, TRUE);
  et_advance_to (f->et.clock, 7, 12, 0, 0);
  g_assert_cmpint (bk_engine_get_state (f->et.engine, id), ==, BK_ENGINE_STATE_FAILED);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 1);

  bk_sim_cluster_reset_counters (f->et.sim);
  g_string_truncate (f->et.log, 0);
  g_assert_true (bk_engine_retry (f->et.engine, id, &error));
  g_assert_no_error (error);
  /* Ended, then forgotten at once (its end was over an hour ago). */
  et_wait_log (f->et.log, "ending ended ");
  g_assert_cmpstr (f->et.log->str, ==, "ending ended ");
  g_assert_false (bk_engine_get_failed_at_end (f->et.engine, id));
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->et.sim, -1), ==, 0);
  g_assert_cmpuint (et_count (f->et.sim, -1, "POST", NULL), ==, 0);
  et_fixture_assert_slot_idle (&f->et, 0);
}

int
main (int argc, char **argv)
{
  bk_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/engine/trust/unanswered-ticket", test_unanswered_ticket);
  ADD ("/engine/trust/end-messages", test_end_messages);
  ADD ("/engine/trust/end-messages-old-bridge", test_end_messages_old_bridge);
  ADD ("/engine/trust/warning-journalled", test_warning_journalled);
  ADD ("/engine/trust/unknown-call", test_unknown_call);
  ADD ("/engine/trust/dst-berlin", test_dst_berlin);
  ADD ("/engine/trust/dst-new-york", test_dst_new_york);
  ADD ("/engine/trust/call-reply-lost", test_call_reply_lost);
  ADD ("/engine/trust/leg-reply-lost", test_leg_reply_lost);
  ADD ("/engine/trust/retry-end", test_retry_end);
#undef ADD

  return g_test_run ();
}
