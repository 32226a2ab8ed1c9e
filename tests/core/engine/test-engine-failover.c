/* test-engine-failover.c: BkEngine runs a meeting on another node of a
 * 3-node simulated cluster (over loopback HTTPS, a certificate per node)
 * when its node does not answer: at the check, at the start, during the
 * meeting, and after a restart; counting the requests each node got
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestEngineFailover"

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
#define POLL_MS 100

typedef struct
{
  BkSimCluster    *sim;
  char            *space;        /* slot 7001 */
  char            *dir;
  BkBookingStore  *store;
  BkClock         *clock;
  BkEngine        *engine;
  GPtrArray       *bridges;      /* BkDevice for the booking rules */
  BkDeviceStore   *devices;
  BkSecrets       *secrets;
  BkBridgeManager *manager;
  GString         *log;          /* "<state> " per state change */
  GPtrArray       *problems;     /* sentences */
  GPtrArray       *moves;        /* "failed-over" node labels */
  guint            moved_counts[4];  /* node 1's requests when it took over */
  GPtrArray       *unknown;      /* call ids per "unknown-call" */
} Fixture;

static const char * const two_out[] = { "alice@ex.example", "bob@ex.example", NULL };

/* ---- plumbing ---- */

/* Requests that change something on @node. */
static guint
writes (Fixture *f,
        int      node)
{
  return et_count (f->sim, node, "POST", NULL) + et_count (f->sim, node, "PUT", NULL)
         + et_count (f->sim, node, "DELETE", NULL);
}

static char *
node_label (Fixture *f,
            guint    node)
{
  return g_strdup_printf ("%s (127.0.0.1:%u)", bk_sim_cluster_get_node_name (f->sim, node),
                          bk_sim_cluster_get_node_port (f->sim, node));
}

static void
assert_slot (Fixture    *f,
             const char *name,
             const char *access)
{
  et_assert_field (f->sim, f->space, "name", name);
  et_assert_field (f->sim, f->space, "nonMemberAccess", access);
}

static void
assert_slot_idle (Fixture *f)
{
  et_assert_slot_idle (f->sim, f->space, 7001);
}

static void
wait_deadline (Fixture *f,
               int day, int h, int m, int s)
{
  et_wait_deadline (f->clock, et_unix_at (day, h, m, s));
}

static char *
book (Fixture   *f,
      GDateTime *start,
      GDateTime *end)
{
  EtBooking spec = { TITLE, NULL, BK_BOOKING_TYPE_AUTOMATIC_CONNECT, start, end, two_out, NULL, 0, FALSE };
  guint64 slot = 0;
  char *id = et_book (f->store, f->clock, f->bridges, &spec, &slot);

  g_assert_cmpuint (slot, ==, 7001);
  return id;
}

static void
failed_over_cb (BkEngine   *engine,
                const char *id,
                const char *label,
                Fixture    *f)
{
  g_ptr_array_add (f->moves, g_strdup (label));
  /* What the node that took over got, before any poll of it. */
  f->moved_counts[0] = et_count (f->sim, 1, "PUT", "/api/v1/coSpaces");
  f->moved_counts[1] = et_posted_calls (f->sim, 1);
  f->moved_counts[2] = et_count (f->sim, 1, "POST", "/api/v1/calls/");
  f->moved_counts[3] = et_count (f->sim, 1, "GET", "/api/v1/calls");
}

static void
unknown_call_cb (BkEngine   *engine,
                 const char *bridge_id,
                 const char *call_id,
                 const char *sentence,
                 Fixture    *f)
{
  g_assert_cmpstr (bridge_id, ==, BRIDGE);
  g_ptr_array_add (f->unknown, g_strdup (call_id));
}

static void
start_engine (Fixture *f,
              guint    poll_ms)
{
  g_assert_null (f->engine);
  f->engine = bk_engine_new (f->store, f->clock, NULL);
  bk_engine_set_bridge_manager (f->engine, f->manager);
  bk_engine_set_poll_interval (f->engine, poll_ms);
  et_engine_record (f->engine, f->log, f->problems);
  g_signal_connect (f->engine, "failed-over", G_CALLBACK (failed_over_cb), f);
  g_signal_connect (f->engine, "unknown-call", G_CALLBACK (unknown_call_cb), f);
  bk_engine_run (f->engine);
}

typedef struct
{
  Fixture    *f;
  const char *id;
} WaitMeeting;

static gboolean
all_connected (gpointer data)
{
  WaitMeeting *w = data;
  BkMeeting *m = bk_engine_get_meeting (w->f->engine, w->id);

  if (m == NULL || bk_meeting_get_n_participants (m) == 0)
    return FALSE;
  for (guint i = 0; i < bk_meeting_get_n_participants (m); i++)
    if (bk_meeting_get_participant_state (m, i) != BK_PARTICIPANT_CONNECTED)
      return FALSE;
  return TRUE;
}

static void
wait_connected (Fixture    *f,
                const char *id)
{
  WaitMeeting w = { f, id };

  bk_test_wait_until (all_connected, &w, WAIT_MS);
  g_assert_true (all_connected (&w));
}

static gboolean
moved (gpointer data)
{
  Fixture *f = data;

  return f->moves->len > 0;
}

static void
secrets_stored_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
store_secret (Fixture      *f,
              BkDevice     *device,
              BkSecretKind  kind,
              const char   *password)
{
  GAsyncResult *res = NULL;
  g_autoptr(GError) error = NULL;

  bk_secrets_store_async (f->secrets, device, kind, password, NULL, secrets_stored_cb, &res);
  g_assert_true (bk_secrets_store_finish (f->secrets, et_wait_result (&res), &error));
  g_assert_no_error (error);
  g_object_unref (res);
}

/* ---- fixture: a 3-node cluster listed as one bridge ---- */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  static guint serial;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) start = et_at (7, 8, 0, 0);
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_cluster_member_free);
  g_autofree char *store_dir = NULL;
  g_autofree char *alt_address = NULL;
  g_autoptr(BkCmsClient) probe = NULL;
  BkDevice *device;

  f->sim = et_sim_new (3);
  bk_sim_cluster_set_per_node_certificates (f->sim, TRUE);
  /* The alternate has an API user of its own; the third node accepts the
   * cluster's (the primary's). */
  bk_sim_cluster_set_node_credentials (f->sim, 1, BK_SIM_DEMO_NODE2_USERNAME, BK_SIM_DEMO_NODE2_PASSWORD);
  et_sim_start (f->sim);
  probe = et_client_new (f->sim);
  f->space = et_add_idle_slot (f->sim, probe, 7001);

  f->dir = g_strdup_printf ("%s/failover-%u", bk_test_get_tmpdir (), ++serial);
  f->store = et_store_new (f->dir);
  f->clock = bk_fake_clock_new (start);

  /* The bridge as onboarding saves it: the primary is node 0, the
   * alternate node 1 with its own user and pin, node 2 a member. */
  device = g_object_new (BK_TYPE_DEVICE, "id", BRIDGE, "address", "127.0.0.1",
                         "port", bk_sim_cluster_get_node_port (f->sim, 0), NULL);
  bk_device_set_name (device, "CMS A");
  bk_device_set_domain (device, "meet.example.com");
  bk_device_set_numeric_id_base (device, 7001);
  bk_device_set_numeric_id_quantity (device, 1);
  bk_device_set_certificate_pin (device, bk_sim_cluster_get_node_certificate_sha256 (f->sim, 0));
  bk_device_set_username (device, BK_SIM_DEFAULT_USERNAME);
  for (guint i = 0; i < 3; i++)
    g_ptr_array_add (members, bk_cluster_member_new (bk_sim_cluster_get_node_id (f->sim, i),
                                                     bk_sim_cluster_get_node_name (f->sim, i),
                                                     bk_sim_cluster_get_node_url (f->sim, i)));
  bk_device_set_cluster_members (device, members);
  alt_address = g_strdup_printf ("127.0.0.1:%u", bk_sim_cluster_get_node_port (f->sim, 1));
  bk_device_set_alternate_member_id (device, bk_sim_cluster_get_node_id (f->sim, 1));
  bk_device_set_alternate_address (device, alt_address);
  bk_device_set_alternate_username (device, BK_SIM_DEMO_NODE2_USERNAME);
  bk_device_set_alternate_certificate_pin (device, bk_sim_cluster_get_node_certificate_sha256 (f->sim, 1));
  f->bridges = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (f->bridges, device);

  store_dir = g_build_filename (f->dir, "devices", NULL);
  g_mkdir_with_parents (store_dir, 0700);
  f->devices = bk_device_store_new (store_dir);
  g_assert_true (bk_device_store_load (f->devices, &error));
  g_assert_no_error (error);
  f->secrets = bk_secrets_new_session_only ("Test passwords stay in this process.");
  bk_device_store_set_secrets (f->devices, f->secrets);
  g_assert_true (bk_device_store_add (f->devices, device, &error));
  g_assert_no_error (error);
  store_secret (f, device, BK_SECRET_KIND_PRIMARY, BK_SIM_DEFAULT_PASSWORD);
  store_secret (f, device, BK_SECRET_KIND_ALTERNATE, BK_SIM_DEMO_NODE2_PASSWORD);
  f->manager = bk_bridge_manager_new (f->devices, f->secrets);
  g_assert_nonnull (bk_bridge_manager_lookup (f->manager, BRIDGE));

  f->log = g_string_new ("");
  f->problems = g_ptr_array_new_with_free_func (g_free);
  f->moves = g_ptr_array_new_with_free_func (g_free);
  f->unknown = g_ptr_array_new_with_free_func (g_free);
  bk_sim_cluster_reset_counters (f->sim);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->engine != NULL)
    et_kill_engine (&f->engine, f->clock);
  g_object_run_dispose (G_OBJECT (f->manager));
  g_clear_object (&f->manager);
  g_clear_object (&f->devices);
  g_clear_object (&f->secrets);
  g_clear_object (&f->clock);
  g_clear_object (&f->store);
  bk_sim_cluster_stop (f->sim);
  g_clear_object (&f->sim);
  g_free (f->space);
  bk_test_rm_rf (f->dir);
  g_free (f->dir);
  g_ptr_array_unref (f->bridges);
  g_string_free (f->log, TRUE);
  g_ptr_array_unref (f->problems);
  g_ptr_array_unref (f->moves);
  g_ptr_array_unref (f->unknown);
}

typedef struct
{
  Fixture    *f;
  int         node;
  const char *method;
  const char *prefix;
  guint       n;
} WaitCount;

static gboolean
count_reached (gpointer data)
{
  WaitCount *w = data;

  return et_count (w->f->sim, w->node, w->method, w->prefix) >= w->n;
}

/* @node got at least @n requests @method @prefix. */
static void
wait_count (Fixture    *f,
            int         node,
            const char *method,
            const char *prefix,
            guint       n)
{
  WaitCount w = { f, node, method, prefix, n };

  bk_test_wait_until (count_reached, &w, WAIT_MS);
  g_assert_cmpuint (et_count (f->sim, node, method, prefix), >=, n);
}

/* The launch's look for calls left on the slots (GET /calls on every
 * node that may be used) reached the alternate: what follows is counted
 * from zero. */
static void
wait_launch_look (Fixture *f)
{
  wait_count (f, 1, "GET", "/api/v1/calls", 1);
  bk_test_spin (50);
  bk_sim_cluster_reset_counters (f->sim);
}

/* TITLE on the 7th, 09:00 to 10:00, Alice and Bob dialled out (slot
 * 7001): returns its occurrence's id. */
static char *
book_nine_to_ten (Fixture *f)
{
  g_autoptr(GDateTime) start = et_at (7, 9, 0, 0);
  g_autoptr(GDateTime) end = et_at (7, 10, 0, 0);

  return book (f, start, end);
}

/* An engine that watches its meetings (polls every POLL_MS) starts, has
 * looked for calls at launch (the counters then reset), and the clock
 * reaches the early join at 08:55: meeting @id is running. */
static void
start_watched (Fixture    *f,
               const char *id)
{
  start_engine (f, POLL_MS);
  wait_launch_look (f);
  et_advance_to (f->clock, 7, 8, 55, 0);
  et_wait_state (f->engine, id, BK_ENGINE_STATE_RUNNING);
}

/* Node 0 goes down and a meeting has moved off it. */
static void
lose_node_0 (Fixture *f)
{
  bk_sim_cluster_set_node_up (f->sim, 0, FALSE);
  bk_test_wait_until (moved, f, WAIT_MS);
}

/* ---- the chain ---- */

/* Primary, alternate (its own user and pin), then the third member with
 * the primary's user: its certificate decides whether it may be used
 * (self-signed here: only once confirmed for that node). */
static void
test_chain (Fixture       *f,
            gconstpointer  data)
{
  BkBridge *bridge = bk_bridge_manager_lookup (f->manager, BRIDGE);
  g_autoptr(GPtrArray) chain = NULL;
  g_autofree char *label1 = node_label (f, 1);
  g_autofree char *label2 = node_label (f, 2);
  BkFailoverNode *n;
  GAsyncResult *res = NULL;

  bk_bridge_ready_async (bridge, NULL, et_result_cb, &res);
  g_assert_true (bk_bridge_ready_finish (bridge, et_wait_result (&res), NULL));
  g_object_unref (res);
  chain = bk_bridge_dup_failover_chain (bridge);
  g_assert_cmpuint (chain->len, ==, 3);
  n = g_ptr_array_index (chain, 0);
  g_assert_true (n->client == bk_bridge_get_client (bridge));
  g_assert_cmpstr (n->member_id, ==, bk_sim_cluster_get_node_id (f->sim, 0));
  n = g_ptr_array_index (chain, 1);
  g_assert_cmpstr (n->member_id, ==, bk_sim_cluster_get_node_id (f->sim, 1));
  g_assert_cmpstr (n->label, ==, label1);
  g_assert_cmpstr (bk_cms_client_get_username (n->client), ==, BK_SIM_DEMO_NODE2_USERNAME);
  g_assert_cmpstr (bk_cms_client_get_pin (n->client), ==, bk_sim_cluster_get_node_certificate_sha256 (f->sim, 1));
  n = g_ptr_array_index (chain, 2);
  g_assert_cmpstr (n->member_id, ==, bk_sim_cluster_get_node_id (f->sim, 2));
  g_assert_cmpstr (n->label, ==, label2);
  g_assert_nonnull (n->client);
  g_assert_cmpstr (bk_cms_client_get_username (n->client), ==, BK_SIM_DEFAULT_USERNAME);
  /* No pin: only the system's CAs could make it trusted. */
  g_assert_null (bk_cms_client_get_pin (n->client));
  /* Requests of every node land in the bridge's log. */
  g_assert_true (bk_cms_client_get_log (n->client) == bk_bridge_get_log (bridge));
  g_clear_pointer (&chain, g_ptr_array_unref);

  bk_bridge_trust_member_certificate (bridge, bk_sim_cluster_get_node_id (f->sim, 2),
                                      bk_sim_cluster_get_node_certificate_sha256 (f->sim, 2));
  chain = bk_bridge_dup_failover_chain (bridge);
  n = g_ptr_array_index (chain, 2);
  g_assert_cmpstr (bk_cms_client_get_pin (n->client), ==, bk_sim_cluster_get_node_certificate_sha256 (f->sim, 2));
}

/* ---- the simulator: calls are node-local, a downed node is gone ---- */

static void
test_sim_node_local (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(BkCmsClient) c0 = bk_cms_client_new (bk_sim_cluster_get_node_url (f->sim, 0), BK_SIM_DEFAULT_USERNAME,
                                                 BK_SIM_DEFAULT_PASSWORD, bk_sim_cluster_get_node_certificate_sha256 (f->sim, 0));
  g_autoptr(BkCmsClient) c2 = bk_cms_client_new (bk_sim_cluster_get_node_url (f->sim, 2), BK_SIM_DEFAULT_USERNAME,
                                                 BK_SIM_DEFAULT_PASSWORD, bk_sim_cluster_get_node_certificate_sha256 (f->sim, 2));
  const char *post[] = { "coSpace", f->space, NULL };
  const char *filter[] = { "coSpaceFilter", f->space, NULL };
  g_autofree char *call_id = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GPtrArray) spaces = NULL;
  g_autoptr(BkCmsCall) call = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;

  bk_cms_client_create_async (c0, "calls", post, NULL, et_result_cb, &res);
  call_id = bk_cms_client_create_finish (c0, et_wait_result (&res), &error);
  g_assert_no_error (error);
  g_clear_object (&res);

  /* Node 2 does not list node 0's call, nor know it... */
  bk_cms_client_list_async (c2, BK_CMS_KIND_CALL, "calls", filter, NULL, NULL, NULL, et_result_cb, &res);
  calls = bk_cms_client_list_finish (c2, et_wait_result (&res), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (calls->len, ==, 0);
  g_clear_object (&res);
  path = g_strdup_printf ("calls/%s", call_id);
  bk_cms_client_get_async (c2, BK_CMS_KIND_CALL, path, NULL, NULL, et_result_cb, &res);
  call = bk_cms_client_get_finish (c2, et_wait_result (&res), &error);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_NOT_FOUND);
  g_assert_true (bk_cms_error_has_reason (error, "callDoesNotExist"));
  g_clear_error (&error);
  g_clear_object (&res);
  /* ...but shares the space (the cluster's database). */
  bk_cms_client_list_async (c2, BK_CMS_KIND_COSPACE, "coSpaces", NULL, NULL, NULL, NULL, et_result_cb, &res);
  spaces = bk_cms_client_list_finish (c2, et_wait_result (&res), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (spaces->len, ==, 1);
  g_clear_object (&res);

  /* A node taken down does not answer at all: its call is out of reach. */
  bk_sim_cluster_set_node_up (f->sim, 0, FALSE);
  bk_cms_client_get_async (c0, BK_CMS_KIND_CALL, path, NULL, NULL, et_result_cb, &res);
  g_clear_object (&call);
  call = bk_cms_client_get_finish (c0, et_wait_result (&res), &error);
  g_assert_null (call);
  g_assert_true (bk_meeting_error_is_no_answer (error));
  g_clear_error (&error);
  g_clear_object (&res);
}

/* ---- at the start ---- */

/* The primary is down from before the check: the check says the meeting
 * will start on the alternate; the start goes there (its own user), the
 * journal names it, and the end runs there too. */
static void
test_start_on_alternate (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *id = book_nine_to_ten (f);
  g_autofree char *label0 = node_label (f, 0);
  g_autofree char *label1 = node_label (f, 1);
  g_autofree char *journal = NULL;
  const char *problem;

  bk_sim_cluster_set_node_up (f->sim, 0, FALSE);
  start_engine (f, 0);
  et_advance_to (f->clock, 7, 8, 45, 0);
  wait_deadline (f, 7, 8, 55, 0);
  problem = bk_engine_get_problem (f->engine, id);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, label0));
  g_assert_nonnull (strstr (problem, "will start on"));
  g_assert_nonnull (strstr (problem, label1));
  g_assert_cmpuint (et_count (f->sim, 1, "GET", "/api/v1/coSpaces"), ==, 1);
  g_assert_cmpuint (et_count (f->sim, 2, NULL, NULL), ==, 0);
  bk_sim_cluster_reset_counters (f->sim);

  et_advance_to (f->clock, 7, 8, 55, 0);
  et_wait_state (f->engine, id, BK_ENGINE_STATE_RUNNING);
  /* 2 on the alternate at the early join, k at the start, nothing elsewhere. */
  g_assert_cmpuint (et_count (f->sim, 1, NULL, NULL), ==, 2);
  g_assert_cmpuint (et_count (f->sim, 1, "PUT", "/api/v1/coSpaces"), ==, 1);
  g_assert_cmpuint (et_posted_calls (f->sim, 1), ==, 1);
  et_advance_to (f->clock, 7, 9, 0, 0);
  wait_deadline (f, 7, 9, 55, 0);
  g_assert_cmpuint (et_count (f->sim, 1, NULL, NULL), ==, 2 + 2);
  g_assert_cmpuint (et_count (f->sim, 1, "POST", "/api/v1/calls/"), ==, 2);
  g_assert_cmpuint (et_count (f->sim, 0, "POST", NULL), ==, 0);
  g_assert_cmpuint (et_count (f->sim, 2, NULL, NULL), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, 1), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, 0), ==, 0);
  assert_slot (f, TITLE, "true");
  g_assert_cmpstr (bk_engine_get_node_label (f->engine, id), ==, label1);
  g_assert_cmpuint (f->moves->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->moves, 0), ==, label1);
  journal = et_read_journal (f->engine);
  g_assert_nonnull (strstr (journal, bk_sim_cluster_get_node_id (f->sim, 1)));

  bk_sim_cluster_reset_counters (f->sim);
  et_advance_to (f->clock, 7, 10, 0, 0);
  et_wait_state (f->engine, id, BK_ENGINE_STATE_ENDED);
  g_assert_cmpuint (et_count (f->sim, 1, NULL, NULL), ==, 2);
  g_assert_cmpuint (et_count (f->sim, 1, "DELETE", "/api/v1/calls/"), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 0);
  assert_slot_idle (f);
  g_assert_cmpstr (f->log->str, ==, "checking starting running ending ended ");
}

/* Primary and alternate down; the third member's certificate was
 * confirmed for it: the meeting starts there with the primary's user. */
static void
test_start_on_third (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *id = book_nine_to_ten (f);
  g_autofree char *label2 = node_label (f, 2);

  bk_bridge_trust_member_certificate (bk_bridge_manager_lookup (f->manager, BRIDGE),
                                      bk_sim_cluster_get_node_id (f->sim, 2),
                                      bk_sim_cluster_get_node_certificate_sha256 (f->sim, 2));
  bk_sim_cluster_set_node_up (f->sim, 0, FALSE);
  bk_sim_cluster_set_node_up (f->sim, 1, FALSE);
  start_engine (f, 0);
  et_advance_to (f->clock, 7, 8, 55, 0);   /* no check: straight to the start */
  et_wait_state (f->engine, id, BK_ENGINE_STATE_RUNNING);
  /* The launch's look for calls left on the slots (GET /calls: calls are
   * node-local); the space id was not known (no check): one filtered GET
   * first; then the activation (2). */
  g_assert_cmpuint (et_count (f->sim, 2, NULL, NULL), ==, 1 + 1 + 2);
  g_assert_cmpuint (et_posted_calls (f->sim, 2), ==, 1);
  et_advance_to (f->clock, 7, 9, 0, 0);
  wait_deadline (f, 7, 9, 55, 0);
  g_assert_cmpuint (et_count (f->sim, 2, NULL, NULL), ==, 1 + 1 + 2 + 2);
  g_assert_cmpuint (et_count (f->sim, 2, "POST", "/api/v1/calls/"), ==, 2);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, 2), ==, 1);
  g_assert_cmpstr (bk_engine_get_node_label (f->engine, id), ==, label2);

  et_advance_to (f->clock, 7, 10, 0, 0);
  et_wait_state (f->engine, id, BK_ENGINE_STATE_ENDED);
  g_assert_cmpuint (et_count (f->sim, 2, "DELETE", "/api/v1/calls/"), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 0);
  assert_slot_idle (f);
}

/* Primary and alternate down; the third member's certificate was never
 * confirmed: nothing is sent to it, and the failure names every node
 * and what happened there. */
static void
test_third_untrusted (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *id = book_nine_to_ten (f);
  g_autofree char *label0 = node_label (f, 0);
  g_autofree char *label1 = node_label (f, 1);
  g_autofree char *label2 = node_label (f, 2);
  g_autofree char *not_tried = g_strdup_printf ("%s was not tried: its certificate was never confirmed", label2);
  const char *error;

  bk_sim_cluster_set_node_up (f->sim, 0, FALSE);
  bk_sim_cluster_set_node_up (f->sim, 1, FALSE);
  start_engine (f, 0);
  et_advance_to (f->clock, 7, 8, 55, 0);
  et_wait_state (f->engine, id, BK_ENGINE_STATE_FAILED);
  error = bk_engine_get_error (f->engine, id);
  g_assert_nonnull (strstr (error, TITLE));
  g_assert_nonnull (strstr (error, label0));
  g_assert_nonnull (strstr (error, label1));
  g_assert_nonnull (strstr (error, not_tried));
  /* The TLS handshake failed before any request (no password) was sent. */
  g_assert_cmpuint (et_count (f->sim, 2, NULL, NULL), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 0);
  assert_slot_idle (f);
}

/* The primary answers, with a refusal (its API user was changed on the
 * bridge): a real answer, so the meeting is not moved; the failure says
 * why and nothing is sent to the other nodes. */
static void
test_primary_refuses (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *id = book_nine_to_ten (f);

  bk_sim_cluster_set_node_credentials (f->sim, 0, "someone-else", "another-password");
  start_engine (f, 0);
  et_advance_to (f->clock, 7, 8, 45, 0);
  wait_deadline (f, 7, 8, 55, 0);
  g_assert_nonnull (bk_engine_get_problem (f->engine, id));
  et_advance_to (f->clock, 7, 8, 55, 0);
  et_wait_state (f->engine, id, BK_ENGINE_STATE_FAILED);
  /* The launch's look for calls left on the slots, the check, the start;
   * the alternate only got the look (calls are node-local). */
  g_assert_cmpuint (et_count (f->sim, 0, NULL, NULL), ==, 3);
  g_assert_cmpuint (et_count (f->sim, 1, NULL, NULL), ==, 1);
  g_assert_cmpuint (et_count (f->sim, 1, "GET", "/api/v1/calls"), ==, 1);
  g_assert_cmpuint (et_count (f->sim, 2, NULL, NULL), ==, 0);
  g_assert_cmpuint (f->moves->len, ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 0);
}

/* ---- during the meeting ---- */

/* The node running the meeting goes down: the watch's polls get no
 * answer twice, the call is made again on the alternate (no PUT: the
 * shared space is still activated; one GET looks for a call left there
 * first), both participants are called again and connect; the end
 * deletes the call there and resets the slot, and deletes the old call
 * on the lost node if it came back (else says it is left there). */
static void
test_node_lost (Fixture       *f,
                gconstpointer  data)
{
  gboolean comes_back = GPOINTER_TO_INT (data);
  g_autofree char *id = book_nine_to_ten (f);
  g_autofree char *label0 = node_label (f, 0);
  g_autofree char *label1 = node_label (f, 1);
  g_autofree char *first_call = NULL;
  g_autofree char *journal = NULL;
  BkMeeting *meeting;

  start_watched (f, id);
  et_advance_to (f->clock, 7, 9, 0, 0);   /* its start: the participants are called */
  g_assert_cmpstr (bk_engine_get_node_label (f->engine, id), ==, label0);
  wait_connected (f, id);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, 0), ==, 2);
  first_call = g_strdup (bk_meeting_get_call_id (bk_engine_get_meeting (f->engine, id)));
  g_assert_cmpuint (f->moves->len, ==, 0);
  g_assert_cmpuint (et_count (f->sim, 1, NULL, NULL), ==, 0);

  lose_node_0 (f);
  g_assert_cmpuint (f->moves->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->moves, 0), ==, label1);
  /* GET calls?coSpaceFilter, POST /calls, a leg each: 2 + k, no PUT. */
  g_assert_cmpuint (f->moved_counts[0], ==, 0);
  g_assert_cmpuint (f->moved_counts[1], ==, 1);
  g_assert_cmpuint (f->moved_counts[2], ==, 2);
  g_assert_cmpuint (f->moved_counts[3], ==, 1);
  g_assert_cmpstr (bk_engine_state_to_string (bk_engine_get_state (f->engine, id)), ==, "running");
  g_assert_cmpstr (bk_engine_get_node_label (f->engine, id), ==, label1);
  meeting = bk_engine_get_meeting (f->engine, id);
  g_assert_cmpstr (bk_meeting_get_call_id (meeting), !=, first_call);
  g_assert_cmpuint (bk_meeting_get_n_participants (meeting), ==, 2);
  wait_connected (f, id);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, 1), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, 1), ==, 2);
  assert_slot (f, TITLE, "true");
  journal = et_read_journal (f->engine);
  g_assert_nonnull (strstr (journal, bk_sim_cluster_get_node_id (f->sim, 1)));
  g_assert_nonnull (strstr (journal, bk_meeting_get_call_id (meeting)));

  /* The lost node still has its call (as after a network outage). */
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, 0), ==, 1);
  if (comes_back)
    bk_sim_cluster_set_node_up (f->sim, 0, TRUE);
  bk_sim_cluster_reset_counters (f->sim);
  et_advance_to (f->clock, 7, 10, 0, 0);
  et_wait_state (f->engine, id, BK_ENGINE_STATE_ENDED);
  /* DELETE the call and reset the slot where it runs now... */
  g_assert_cmpuint (et_count (f->sim, 1, "DELETE", "/api/v1/calls/"), ==, 1);
  g_assert_cmpuint (et_count (f->sim, 1, "PUT", "/api/v1/coSpaces/"), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, 1), ==, 0);
  assert_slot_idle (f);
  g_assert_cmpstr (f->log->str, ==, "starting running ending ended ");
  if (comes_back)
    {
      /* ...and the old call on the node that came back: one DELETE. */
      g_assert_cmpuint (et_count (f->sim, 0, NULL, NULL), ==, 1);
      g_assert_cmpuint (et_count (f->sim, 0, "DELETE", "/api/v1/calls/"), ==, 1);
      g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 0);
      g_assert_null (bk_engine_get_problem (f->engine, id));
    }
  else
    {
      /* ...the node that is still down keeps it: said, naming it. */
      const char *problem = bk_engine_get_problem (f->engine, id);

      g_assert_nonnull (problem);
      g_assert_nonnull (strstr (problem, label0));
      g_assert_nonnull (strstr (problem, TITLE));
      g_assert_cmpuint (f->problems->len, ==, 1);
    }
}

/* The node is lost between the activation (early join) and the start:
 * the call is made again on the alternate (GET, POST /calls: no PUT, no
 * leg), nobody is called before the start; at the start, one leg per
 * participant there, none on the lost node. */
static void
test_node_lost_before_start (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *id = book_nine_to_ten (f);
  g_autofree char *label1 = node_label (f, 1);
  BkMeeting *meeting;

  start_watched (f, id);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, -1), ==, 0);
  lose_node_0 (f);
  g_assert_cmpstr (g_ptr_array_index (f->moves, 0), ==, label1);
  g_assert_cmpuint (f->moved_counts[0], ==, 0);
  g_assert_cmpuint (f->moved_counts[1], ==, 1);
  g_assert_cmpuint (f->moved_counts[2], ==, 0);   /* nobody called early */
  g_assert_cmpuint (f->moved_counts[3], ==, 1);
  meeting = bk_engine_get_meeting (f->engine, id);
  g_assert_true (bk_meeting_get_dial_held (meeting));
  bk_test_spin (3 * POLL_MS);                      /* its polls call nobody either */
  g_assert_cmpuint (et_count (f->sim, 1, "POST", "/api/v1/calls/"), ==, 0);
  wait_deadline (f, 7, 9, 0, 0);

  et_advance_to (f->clock, 7, 9, 0, 0);
  wait_connected (f, id);
  g_assert_cmpuint (et_count (f->sim, 1, "POST", "/api/v1/calls/"), ==, 2);
  g_assert_cmpuint (et_count (f->sim, 0, "POST", "/api/v1/calls/"), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, 1), ==, 2);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, 1), ==, 1);
}

/* The node hangs instead of refusing: its polls get no answer at all (the
 * requests are held). Each round gives up at the poll deadline and counts
 * as no answer: two of them and the meeting moves (the client's own
 * timeouts, 3 x 15 s per request, would take minutes). */
static void
test_node_hangs (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *id = book_nine_to_ten (f);
  g_autofree char *label1 = node_label (f, 1);
  g_autofree char *pattern = NULL;
  BkMeeting *meeting;

  start_engine (f, POLL_MS);
  et_advance_to (f->clock, 7, 8, 55, 0);
  et_wait_state (f->engine, id, BK_ENGINE_STATE_RUNNING);
  et_advance_to (f->clock, 7, 9, 0, 0);   /* its start: the participants are called */
  wait_connected (f, id);
  meeting = bk_engine_get_meeting (f->engine, id);
  bk_meeting_set_poll_deadline (meeting, 3 * POLL_MS);
  /* Only node 0's call: the node that takes over answers. */
  pattern = g_strdup_printf ("/api/v1/calls/%s/*", bk_meeting_get_call_id (meeting));
  bk_sim_cluster_add_fault (f->sim, NULL, pattern, BK_SIM_FAULT_NO_ANSWER, 1.0, -1);
  /* Without the deadline, two polls would wait 2 x 3 x 15 s: longer than
   * this wait. */
  bk_test_wait_until (moved, f, WAIT_MS);
  g_assert_cmpstr (g_ptr_array_index (f->moves, 0), ==, label1);
  g_assert_cmpuint (f->moved_counts[0], ==, 0);
  g_assert_cmpuint (f->moved_counts[1], ==, 1);
  g_assert_cmpuint (f->moved_counts[2], ==, 2);
  wait_connected (f, id);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, 1), ==, 1);
}

/* One poll that gets no answer (a reset, retried by the client until it
 * gives up) is not a lost node: the next poll is answered, nothing moves. */
static void
test_one_silent_poll (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *id = book_nine_to_ten (f);
  guint polls;

  start_watched (f, id);
  et_advance_to (f->clock, 7, 9, 0, 0);   /* its start: the participants are called */
  wait_connected (f, id);
  bk_sim_cluster_add_fault (f->sim, "GET", "/api/v1/calls/*/callLegs", BK_SIM_FAULT_RESET, 1.0,
                            BK_CMS_CLIENT_DEFAULT_MAX_ATTEMPTS);
  polls = et_count (f->sim, 0, "GET", "/api/v1/calls/");
  /* The failing poll (3 tries), then three answered ones. */
  while (et_count (f->sim, 0, "GET", "/api/v1/calls/") < polls + BK_CMS_CLIENT_DEFAULT_MAX_ATTEMPTS + 3)
    bk_test_spin (20);
  g_assert_cmpuint (f->moves->len, ==, 0);
  g_assert_cmpuint (et_count (f->sim, 1, NULL, NULL), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 1);
}

/* ---- restart ---- */

/* The meeting failed over to the alternate; the application is killed;
 * the primary is back up. A new engine finds the call on the alternate
 * (the journal names it) and adopts it: nothing is started on the
 * primary, nothing is doubled; the end runs on the alternate. */
static void
test_restart_after_failover (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *id = book_nine_to_ten (f);
  g_autofree char *label1 = node_label (f, 1);
  g_autofree char *call_id = NULL;

  bk_sim_cluster_set_node_up (f->sim, 0, FALSE);
  start_engine (f, 0);
  et_advance_to (f->clock, 7, 8, 55, 0);
  et_wait_state (f->engine, id, BK_ENGINE_STATE_RUNNING);
  call_id = g_strdup (bk_meeting_get_call_id (bk_engine_get_meeting (f->engine, id)));
  et_kill_engine (&f->engine, f->clock);

  bk_sim_cluster_set_node_up (f->sim, 0, TRUE);
  bk_sim_cluster_reset_counters (f->sim);
  et_advance_to (f->clock, 7, 9, 20, 0);
  g_string_truncate (f->log, 0);
  start_engine (f, 0);
  et_wait_state (f->engine, id, BK_ENGINE_STATE_RUNNING);
  bk_test_spin (50);
  g_assert_nonnull (bk_engine_get_meeting (f->engine, id));
  g_assert_cmpstr (bk_meeting_get_call_id (bk_engine_get_meeting (f->engine, id)), ==, call_id);
  /* Killed before its start, back after it: dialled now, once, there. */
  g_assert_cmpuint (et_count (f->sim, 1, "POST", "/api/v1/calls/"), ==, 2);
  g_assert_cmpuint (et_count (f->sim, 0, "POST", NULL), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, 1), ==, 2);
  g_assert_cmpstr (bk_engine_get_node_label (f->engine, id), ==, label1);
  /* Adopted on the alternate: its calls on the slot, then their legs;
   * the primary only got the launch's look for calls left on the slots
   * (GET /calls: node-local, ours is not there). */
  g_assert_cmpuint (et_count (f->sim, 0, NULL, NULL), ==, 1);
  g_assert_cmpuint (et_count (f->sim, 0, "GET", "/api/v1/calls"), ==, 1);
  g_assert_cmpuint (et_count (f->sim, 1, "GET", "/api/v1/calls"), ==, 1 + 2);   /* the look too */
  g_assert_cmpuint (et_posted_calls (f->sim, -1), ==, 0);
  g_assert_cmpuint (et_count (f->sim, -1, "PUT", NULL), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 1);

  et_advance_to (f->clock, 7, 10, 0, 0);
  et_wait_state (f->engine, id, BK_ENGINE_STATE_ENDED);
  g_assert_cmpuint (et_count (f->sim, 1, "DELETE", "/api/v1/calls/"), ==, 1);
  g_assert_cmpuint (writes (f, 0), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 0);
  assert_slot_idle (f);
}

/* The meeting moved during its run; the application is killed; the lost
 * node comes back (with the old call). A new engine adopts the call where
 * the meeting runs now (the journal names that node) and, at the end,
 * deletes it there and the old call on the node that came back (the
 * journal kept it). */
static void
test_restart_after_move (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *id = book_nine_to_ten (f);
  g_autofree char *label1 = node_label (f, 1);
  g_autofree char *call_id = NULL;

  start_engine (f, POLL_MS);
  et_advance_to (f->clock, 7, 8, 55, 0);
  et_wait_state (f->engine, id, BK_ENGINE_STATE_RUNNING);
  et_advance_to (f->clock, 7, 9, 0, 0);   /* its start: the participants are called */
  wait_connected (f, id);
  lose_node_0 (f);
  call_id = g_strdup (bk_meeting_get_call_id (bk_engine_get_meeting (f->engine, id)));
  et_kill_engine (&f->engine, f->clock);

  bk_sim_cluster_set_node_up (f->sim, 0, TRUE);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, 0), ==, 1);
  bk_sim_cluster_reset_counters (f->sim);
  et_advance_to (f->clock, 7, 9, 20, 0);
  start_engine (f, 0);
  et_wait_state (f->engine, id, BK_ENGINE_STATE_RUNNING);
  bk_test_spin (50);
  g_assert_cmpstr (bk_meeting_get_call_id (bk_engine_get_meeting (f->engine, id)), ==, call_id);
  g_assert_cmpstr (bk_engine_get_node_label (f->engine, id), ==, label1);
  /* Nothing changed on the node that came back (it was only looked at,
   * the launch's look for calls left on the slots). */
  g_assert_cmpuint (writes (f, 0), ==, 0);
  g_assert_cmpuint (et_posted_calls (f->sim, -1), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, 1), ==, 1);

  et_advance_to (f->clock, 7, 10, 0, 0);
  et_wait_state (f->engine, id, BK_ENGINE_STATE_ENDED);
  g_assert_cmpuint (et_count (f->sim, 1, "DELETE", "/api/v1/calls/"), ==, 1);
  g_assert_cmpuint (et_count (f->sim, 0, "DELETE", "/api/v1/calls/"), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 0);
  g_assert_null (bk_engine_get_problem (f->engine, id));
  assert_slot_idle (f);
}

/* A participant added live; the application is killed and started
 * again (the meeting adopted, with its three participants: the journal
 * has them); then its node is lost: the meeting made again on the
 * alternate calls all three (2 + 3 requests). */
static void
test_restart_then_move (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *id = book_nine_to_ten (f);
  g_autofree char *label1 = node_label (f, 1);
  g_autoptr(GError) error = NULL;
  BkMeeting *meeting;

  start_engine (f, POLL_MS);
  et_advance_to (f->clock, 7, 8, 55, 0);
  et_wait_state (f->engine, id, BK_ENGINE_STATE_RUNNING);
  et_advance_to (f->clock, 7, 9, 0, 0);   /* its start: the participants are called */
  wait_connected (f, id);
  g_assert_true (bk_engine_add_participant (f->engine, id, "dave@ex.example", &error));
  g_assert_no_error (error);
  wait_connected (f, id);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, 0), ==, 3);
  et_kill_engine (&f->engine, f->clock);

  et_advance_to (f->clock, 7, 9, 10, 0);
  start_engine (f, POLL_MS);
  wait_launch_look (f);
  et_wait_state (f->engine, id, BK_ENGINE_STATE_RUNNING);
  wait_connected (f, id);
  g_assert_true (bk_engine_get_adopted (f->engine, id));
  g_assert_cmpuint (bk_meeting_get_n_participants (bk_engine_get_meeting (f->engine, id)), ==, 3);

  lose_node_0 (f);
  g_assert_cmpstr (g_ptr_array_index (f->moves, 0), ==, label1);
  g_assert_cmpuint (f->moved_counts[1], ==, 1);
  g_assert_cmpuint (f->moved_counts[2], ==, 3);   /* a leg each, dave too */
  meeting = bk_engine_get_meeting (f->engine, id);
  g_assert_cmpuint (bk_meeting_get_n_participants (meeting), ==, 3);
  g_assert_cmpstr (bk_meeting_get_participant_uri (meeting, 2), ==, "dave@ex.example");
  wait_connected (f, id);
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, 1), ==, 3);
}

/* The meeting's node goes down and nobody has noticed yet (no watch):
 * the end, due now, gets no answer there and goes along the chain: the
 * alternate is asked for a call of the meeting on the slot (none: calls
 * are node-local) and resets the shared slot. The meeting has ended, with
 * a sentence naming the silent node; the call there is journalled (a
 * look for calls without a booking knows it: no ticket), and ended there
 * (one DELETE) at the next try once that node answers again; then
 * nothing more is sent. */
static void
test_end_node_silent (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *id = book_nine_to_ten (f);
  g_autofree char *label0 = node_label (f, 0);
  g_autofree char *call_id = NULL;
  g_autofree char *journal = NULL;
  const char *problem;

  start_engine (f, 0);
  wait_launch_look (f);
  et_advance_to (f->clock, 7, 8, 55, 0);
  et_wait_state (f->engine, id, BK_ENGINE_STATE_RUNNING);
  call_id = g_strdup (bk_meeting_get_call_id (bk_engine_get_meeting (f->engine, id)));
  bk_sim_cluster_set_node_up (f->sim, 0, FALSE);
  bk_sim_cluster_reset_counters (f->sim);

  et_advance_to (f->clock, 7, 10, 0, 0);
  et_wait_state (f->engine, id, BK_ENGINE_STATE_ENDED);
  g_assert_cmpstr (f->log->str, ==, "starting running ending ended ");
  g_assert_cmpuint (et_count (f->sim, 1, NULL, NULL), ==, 2);
  g_assert_cmpuint (et_count (f->sim, 1, "GET", "/api/v1/calls"), ==, 1);
  g_assert_cmpuint (et_count (f->sim, 1, "PUT", "/api/v1/coSpaces/"), ==, 1);
  g_assert_cmpuint (et_count (f->sim, 2, NULL, NULL), ==, 0);
  assert_slot_idle (f);
  problem = bk_engine_get_problem (f->engine, id);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, TITLE));
  g_assert_nonnull (strstr (problem, label0));
  g_assert_cmpuint (f->problems->len, ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, 0), ==, 1);
  journal = et_read_journal (f->engine);
  g_assert_nonnull (strstr (journal, call_id));

  /* The node answers again. A clock change first: the look for calls
   * without a booking finds that call, and knows it (no ticket). */
  bk_sim_cluster_set_node_up (f->sim, 0, TRUE);
  bk_sim_cluster_reset_counters (f->sim);
  bk_fake_clock_step (BK_FAKE_CLOCK (f->clock), 30 * G_TIME_SPAN_SECOND);
  wait_count (f, 0, "GET", "/api/v1/calls", 1);
  wait_count (f, 1, "GET", "/api/v1/calls", 1);
  bk_test_spin (100);
  g_assert_cmpuint (f->unknown->len, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (bk_engine_get_tickets (f->engine)), ==, 0);
  g_assert_cmpuint (et_count (f->sim, 0, "DELETE", NULL), ==, 0);
  /* A minute after the end: its call is ended there, once. */
  bk_sim_cluster_reset_counters (f->sim);
  et_advance_to (f->clock, 7, 10, 1, 0);
  wait_count (f, 0, "DELETE", "/api/v1/calls/", 1);
  bk_test_spin (100);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 0);
  g_assert_cmpuint (et_count (f->sim, -1, NULL, NULL), ==, 1);
  g_assert_null (bk_engine_get_problem (f->engine, id));
  bk_sim_cluster_reset_counters (f->sim);
  et_advance_to (f->clock, 7, 10, 5, 0);
  bk_test_spin (100);
  g_assert_cmpuint (et_count (f->sim, -1, NULL, NULL), ==, 0);
  g_free (journal);
  journal = et_read_journal (f->engine);
  g_assert_null (strstr (journal, call_id));
}

/* A call without a booking on the slot, on the alternate (calls are
 * node-local; someone started it there by hand). The launch's look asks
 * every node of the chain that may be used (GET /calls on the primary and
 * the alternate; the untrusted third gets nothing) and reports it once;
 * after a resume from suspend it looks again (the same requests, the
 * space not asked again) without a second ticket; End deletes it on the
 * alternate, where it runs; the next look (a clock change) finds
 * nothing. */
static void
test_unknown_call_on_alternate (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(BkCmsClient) c1 = bk_cms_client_new (bk_sim_cluster_get_node_url (f->sim, 1), BK_SIM_DEMO_NODE2_USERNAME,
                                                 BK_SIM_DEMO_NODE2_PASSWORD,
                                                 bk_sim_cluster_get_node_certificate_sha256 (f->sim, 1));
  const char *params[] = { "coSpace", f->space, NULL };
  g_autofree char *stray = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;

  bk_cms_client_create_async (c1, "calls", params, NULL, et_result_cb, &res);
  stray = bk_cms_client_create_finish (c1, et_wait_result (&res), &error);
  g_assert_no_error (error);
  g_clear_object (&res);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, 1), ==, 1);
  bk_sim_cluster_reset_counters (f->sim);

  start_engine (f, 0);
  for (guint waited = 0; f->unknown->len == 0 && waited < WAIT_MS; waited += 5)
    bk_test_spin (5);
  bk_test_spin (100);
  g_assert_cmpuint (f->unknown->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->unknown, 0), ==, stray);
  g_assert_cmpuint (g_list_model_get_n_items (bk_engine_get_tickets (f->engine)), ==, 1);
  g_assert_cmpuint (et_count (f->sim, 0, "GET", "/api/v1/calls"), ==, 1);
  g_assert_cmpuint (et_count (f->sim, 1, "GET", "/api/v1/calls"), ==, 1);
  g_assert_cmpuint (et_count (f->sim, 1, "GET", "/api/v1/coSpaces/"), ==, 1);
  g_assert_cmpuint (et_count (f->sim, -1, NULL, NULL), ==, 3);
  g_assert_cmpuint (et_count (f->sim, 2, NULL, NULL), ==, 0);

  /* A resume: looked at again, said once. */
  bk_sim_cluster_reset_counters (f->sim);
  bk_fake_clock_suspend (BK_FAKE_CLOCK (f->clock), 10 * 60 * G_TIME_SPAN_SECOND);
  wait_count (f, 0, "GET", "/api/v1/calls", 1);
  wait_count (f, 1, "GET", "/api/v1/calls", 1);
  bk_test_spin (100);
  g_assert_cmpuint (et_count (f->sim, -1, NULL, NULL), ==, 2);
  g_assert_cmpuint (f->unknown->len, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (bk_engine_get_tickets (f->engine)), ==, 1);

  /* End: where the call runs. */
  bk_sim_cluster_reset_counters (f->sim);
  bk_engine_end_unknown_call_async (f->engine, BRIDGE, stray, NULL, et_result_cb, &res);
  g_assert_true (bk_engine_end_unknown_call_finish (f->engine, et_wait_result (&res), &error));
  g_assert_no_error (error);
  g_clear_object (&res);
  g_assert_cmpuint (et_count (f->sim, 1, "DELETE", "/api/v1/calls/"), ==, 1);
  g_assert_cmpuint (et_count (f->sim, 0, NULL, NULL), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (bk_engine_get_tickets (f->engine)), ==, 0);
  assert_slot_idle (f);

  /* A clock change: looked at again, nothing found. */
  bk_sim_cluster_reset_counters (f->sim);
  bk_fake_clock_step (BK_FAKE_CLOCK (f->clock), -5 * 60 * G_TIME_SPAN_SECOND);
  wait_count (f, 0, "GET", "/api/v1/calls", 1);
  wait_count (f, 1, "GET", "/api/v1/calls", 1);
  bk_test_spin (100);
  g_assert_cmpuint (f->unknown->len, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (bk_engine_get_tickets (f->engine)), ==, 0);
}

/* Every node is down at the check: the problem names what each did, and
 * the start will try again. */
static void
test_check_none_answers (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *id = book_nine_to_ten (f);
  g_autofree char *label0 = node_label (f, 0);
  g_autofree char *label1 = node_label (f, 1);
  g_autofree char *label2 = node_label (f, 2);
  const char *problem;

  for (guint i = 0; i < 3; i++)
    bk_sim_cluster_set_node_up (f->sim, i, FALSE);
  start_engine (f, 0);
  et_advance_to (f->clock, 7, 8, 45, 0);
  wait_deadline (f, 7, 8, 55, 0);
  problem = bk_engine_get_problem (f->engine, id);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, "No call bridge of the cluster answered"));
  g_assert_nonnull (strstr (problem, label0));
  g_assert_nonnull (strstr (problem, label1));
  g_assert_nonnull (strstr (problem, label2));
  g_assert_cmpuint (f->problems->len, ==, 1);
}

/* The bridge's ticket with @key, or NULL. */
static BkTicket *
bridge_ticket (BkBridge   *bridge,
               const char *key)
{
  GListModel *tickets = bk_bridge_get_tickets (bridge);

  for (guint i = 0; i < g_list_model_get_n_items (tickets); i++)
    {
      g_autoptr(BkTicket) t = g_list_model_get_item (tickets, i);

      if (g_strcmp0 (bk_ticket_get_key (t), key) == 0)
        return t;  /* the model keeps it */
    }
  return NULL;
}

/* The primary is down from before the start: the meeting runs on the
 * alternate (node 1). The third member's certificate was confirmed, then
 * changes during the meeting. Node 1 goes down: the failover finds node 0
 * silent and node 2 showing another certificate: nothing is sent to node
 * 2 (the TLS handshake ends first), the failure names it and says its
 * certificate changed, and the bridge has the member's ticket at once
 * (no periodic check ran). */
static void
test_member_certificate_changed (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *id = book_nine_to_ten (f);
  g_autofree char *label0 = node_label (f, 0);
  g_autofree char *label1 = node_label (f, 1);
  g_autofree char *label2 = node_label (f, 2);
  g_autofree char *changed = g_strdup_printf ("%s was not tried: its certificate has changed", label2);
  const char *node2 = bk_sim_cluster_get_node_id (f->sim, 2);
  g_autofree char *key = g_strdup_printf ("member-certificate-changed:%s", node2);
  BkBridge *bridge = bk_bridge_manager_lookup (f->manager, BRIDGE);
  g_autoptr(GError) error = NULL;
  BkTicket *ticket;
  const char *why;

  bk_bridge_trust_member_certificate (bridge, node2, bk_sim_cluster_get_node_certificate_sha256 (f->sim, 2));
  bk_sim_cluster_set_node_up (f->sim, 0, FALSE);
  start_engine (f, POLL_MS);
  et_advance_to (f->clock, 7, 8, 55, 0);
  et_wait_state (f->engine, id, BK_ENGINE_STATE_RUNNING);
  et_advance_to (f->clock, 7, 9, 0, 0);
  wait_connected (f, id);
  g_assert_cmpstr (bk_engine_get_node_label (f->engine, id), ==, label1);
  g_assert_cmpint (bk_bridge_get_member_trust (bridge, node2), ==, BK_MEMBER_TRUST_TRUSTED);
  g_assert_null (bridge_ticket (bridge, key));

  g_assert_true (bk_sim_cluster_replace_node_certificate (f->sim, 2, &error));
  g_assert_no_error (error);
  bk_sim_cluster_reset_counters (f->sim);
  bk_sim_cluster_set_node_up (f->sim, 1, FALSE);
  et_wait_state (f->engine, id, BK_ENGINE_STATE_FAILED);
  why = bk_engine_get_error (f->engine, id);
  g_assert_nonnull (strstr (why, TITLE));
  g_assert_nonnull (strstr (why, label0));
  g_assert_nonnull (strstr (why, changed));
  g_assert_cmpuint (f->moves->len, ==, 1);   /* the start on the alternate only */
  /* No request (no password) reached it. */
  g_assert_cmpuint (et_count (f->sim, 2, NULL, NULL), ==, 0);
  g_assert_cmpint (bk_bridge_get_member_trust (bridge, node2), ==, BK_MEMBER_TRUST_CHANGED);
  ticket = bridge_ticket (bridge, key);
  g_assert_nonnull (ticket);
  g_assert_cmpint (bk_ticket_get_kind (ticket), ==, BK_TICKET_KIND_MEMBER_CERTIFICATE_CHANGED);
  g_assert_nonnull (strstr (bk_ticket_get_sentence (ticket), label2));
}

int
main (int argc, char **argv)
{
  bk_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/engine/failover/chain", test_chain);
  ADD ("/engine/failover/sim-node-local", test_sim_node_local);
  ADD ("/engine/failover/start-on-alternate", test_start_on_alternate);
  ADD ("/engine/failover/start-on-third", test_start_on_third);
  ADD ("/engine/failover/third-untrusted", test_third_untrusted);
  ADD ("/engine/failover/primary-refuses", test_primary_refuses);
  g_test_add ("/engine/failover/node-lost", Fixture, GINT_TO_POINTER (TRUE),
              fixture_set_up, test_node_lost, fixture_tear_down);
  g_test_add ("/engine/failover/node-lost-stays-down", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_node_lost, fixture_tear_down);
  ADD ("/engine/failover/node-lost-before-start", test_node_lost_before_start);
  ADD ("/engine/failover/node-hangs", test_node_hangs);
  ADD ("/engine/failover/one-silent-poll", test_one_silent_poll);
  ADD ("/engine/failover/restart-after-failover", test_restart_after_failover);
  ADD ("/engine/failover/restart-after-move", test_restart_after_move);
  ADD ("/engine/failover/unknown-call-on-alternate", test_unknown_call_on_alternate);
  ADD ("/engine/failover/end-node-silent", test_end_node_silent);
  ADD ("/engine/failover/restart-then-move", test_restart_then_move);
  ADD ("/engine/failover/check-none-answers", test_check_none_answers);
  ADD ("/engine/failover/member-certificate-changed", test_member_certificate_changed);
#undef ADD

  return g_test_run ();
}
