/* test-bridge-manager.c: one live BkBridge per listed device, owned by
 * core (no UI anywhere in this program), and every request of a bridge,
 * onboarding included, in its log
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bk-bridge-manager.h"
#include "onb-test-util.h"

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint n_signals;
} Changes;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *c)
{
  c->position = position;
  c->removed = removed;
  c->added = added;
  c->n_signals++;
}

/* The manager's list is the store's, one bridge per device, in order. */
static void
assert_mirrors_store (BkBridgeManager *manager,
                      BkDeviceStore   *store)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BkDevice) device = g_list_model_get_item (G_LIST_MODEL (store), i);
      g_autoptr(BkBridge) bridge = g_list_model_get_item (G_LIST_MODEL (manager), i);

      g_assert_true (bk_bridge_get_device (bridge) == device);
      g_assert_true (bk_bridge_manager_lookup (manager, bk_device_get_id (device)) == bridge);
    }
}

/* Bridges appear and disappear with the store's devices, one per device;
 * a removed device's bridge is disposed and released. */
static void
test_follows_store (OnbFixture    *f,
                    gconstpointer  data)
{
  g_autoptr(BkDevice) a = bk_device_new ("a.example.com", 443);
  g_autoptr(BkDevice) b = bk_device_new ("b.example.com", 445);
  g_autoptr(BkDevice) c = bk_device_new ("2001:db8::1", 443);
  g_autoptr(BkBridgeManager) manager = NULL;
  g_autoptr(GError) error = NULL;
  Changes changes = { 0 };
  BkBridge *bridge_b;
  BkBridge *bridge_a;
  gpointer weak_b;
  gpointer weak_c;

  /* Devices listed before the manager exists (loaded at start-up). */
  g_assert_true (bk_device_store_add (f->store, a, &error));
  g_assert_true (bk_device_store_add (f->store, b, &error));
  g_assert_no_error (error);
  manager = bk_bridge_manager_new (f->store, f->secrets);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (manager)) == BK_TYPE_BRIDGE);
  g_assert_true (bk_bridge_manager_get_store (manager) == f->store);
  g_assert_true (bk_bridge_manager_get_secrets (manager) == f->secrets);
  assert_mirrors_store (manager, f->store);
  bridge_a = bk_bridge_manager_lookup (manager, bk_device_get_id (a));
  bridge_b = bk_bridge_manager_lookup (manager, bk_device_get_id (b));
  g_assert_nonnull (bridge_a);
  g_assert_nonnull (bridge_b);
  g_assert_true (bridge_a != bridge_b);
  g_assert_null (bk_bridge_manager_lookup (manager, "no-such-device"));
  g_assert_null (bk_bridge_manager_lookup (manager, NULL));

  g_signal_connect (manager, "items-changed", G_CALLBACK (items_changed_cb), &changes);

  /* Added: its bridge is there as soon as the store has it. */
  g_assert_true (bk_device_store_add (f->store, c, &error));
  g_assert_cmpuint (changes.n_signals, ==, 1);
  g_assert_cmpuint (changes.position, ==, 2);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_assert_cmpuint (changes.added, ==, 1);
  assert_mirrors_store (manager, f->store);
  weak_c = bk_bridge_manager_lookup (manager, bk_device_get_id (c));
  g_object_add_weak_pointer (weak_c, &weak_c);

  /* The same bridge every time: exactly one per device. */
  g_assert_true (bk_bridge_manager_lookup (manager, bk_device_get_id (b)) == bridge_b);
  g_assert_true (bk_bridge_get_client (bridge_b) == bk_bridge_get_client (bk_bridge_manager_lookup (manager, bk_device_get_id (b))));

  /* Removed: gone from the list and released (no one else held it). */
  weak_b = bridge_b;
  g_object_add_weak_pointer (weak_b, &weak_b);
  g_assert_true (bk_device_store_remove (f->store, b, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes.n_signals, ==, 2);
  g_assert_cmpuint (changes.position, ==, 1);
  g_assert_cmpuint (changes.removed, ==, 1);
  g_assert_cmpuint (changes.added, ==, 0);
  g_assert_null (weak_b);
  g_assert_null (bk_bridge_manager_lookup (manager, bk_device_get_id (b)));
  assert_mirrors_store (manager, f->store);
  g_assert_true (bk_bridge_manager_lookup (manager, bk_device_get_id (a)) == bridge_a);

  /* Loading the file again replaces the devices, and so the bridges. */
  g_assert_true (bk_device_store_flush (f->store, &error));
  g_assert_true (bk_device_store_load (f->store, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 2);
  assert_mirrors_store (manager, f->store);
  g_assert_null (weak_c);

  /* The manager going away disposes its bridges; an observer holding one
   * keeps a quiet object. */
  {
    g_autoptr(BkBridge) held = g_list_model_get_item (G_LIST_MODEL (manager), 0);

    g_clear_object (&manager);
    g_assert_true (BK_IS_BRIDGE (held));
    g_assert_nonnull (bk_bridge_get_log (held));
  }
}

static BkCmsLogEntry *
find_entry (BkCmsLog   *log,
            const char *method,
            const char *path_suffix)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (log));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BkCmsLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);
      g_autofree char *path = g_strdup (bk_cms_log_entry_get_path (entry));

      /* The path without its query. */
      if (strchr (path, '?') != NULL)
        *strchr (path, '?') = '\0';
      if (g_strcmp0 (bk_cms_log_entry_get_method (entry), method) == 0 && g_str_has_suffix (path, path_suffix))
        return entry;   /* the log keeps it alive */
    }
  return NULL;
}

/* Every entry names the host it went to and has a status; a failure has a
 * reason. */
static void
assert_entries_complete (BkCmsLog   *log,
                         const char *host)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (log));

  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BkCmsLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);
      guint status = bk_cms_log_entry_get_status (entry);

      g_assert_true (g_str_has_prefix (bk_cms_log_entry_get_bridge (entry), host));
      if (status == 0 || status >= 400)
        {
          g_assert_nonnull (bk_cms_log_entry_get_failure (entry));
          g_assert_cmpstr (bk_cms_log_entry_get_failure (entry), !=, "");
        }
    }
}

/* An onboarding watched by the manager: everything it sends, from the
 * first status probe to the slots, is in the log of the device's bridge,
 * which works on with no window anywhere. */
static void
test_onboarding_in_log (OnbFixture    *f,
                        gconstpointer  data)
{
  g_autoptr(BkBridgeManager) manager = bk_bridge_manager_new (f->store, f->secrets);
  g_autoptr(BkOnboarding) ob = bk_onboarding_new (f->store, f->secrets);
  g_autofree char *address = onb_node_address (f, 0);
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GPtrArray) collisions = NULL;
  g_autoptr(GError) error = NULL;
  BkBridge *bridge;
  BkCmsLog *log;
  BkDevice *device;
  guint n_before;

  bk_bridge_manager_watch_onboarding (manager, ob);
  bk_onboarding_trust_certificate (ob, bk_sim_cluster_get_certificate_sha256 (f->sim));
  error = onb_connect (ob, address, BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (manager)), ==, 0);
  members = onb_discover (ob, &error);
  g_assert_no_error (error);

  /* Listed by discovery: its bridge exists now, with the log so far. */
  device = bk_onboarding_get_device (ob);
  bridge = bk_bridge_manager_lookup (manager, bk_device_get_id (device));
  g_assert_nonnull (bridge);
  log = bk_bridge_get_log (bridge);
  g_assert_true (bk_cms_client_get_log (bk_onboarding_get_client (ob)) == log);
  g_assert_nonnull (find_entry (log, "GET", "/system/status"));
  g_assert_nonnull (find_entry (log, "GET", "/callBridges"));

  collisions = onb_check_range (ob, 1, 5, &error);
  g_assert_no_error (error);
  g_assert_true (bk_onboarding_set_name (ob, "CMS Core", &error));
  error = onb_reserve (ob, NULL);
  g_assert_no_error (error);
  error = onb_finish (ob);
  g_assert_no_error (error);
  g_clear_object (&ob);

  /* The requests that created the profiles, the parameter set and the
   * slots are in the bridge's log, with host and status. */
  g_assert_true (bk_bridge_manager_lookup (manager, bk_device_get_id (device)) == bridge);
  g_assert_true (bk_bridge_get_log (bridge) == log);
  g_assert_nonnull (find_entry (log, "POST", "/callProfiles"));
  g_assert_nonnull (find_entry (log, "POST", "/callLegProfiles"));
  g_assert_nonnull (find_entry (log, "POST", "/cospaceBulkParameterSets"));
  g_assert_nonnull (find_entry (log, "POST", "/cospaceBulkSyncs"));
  g_assert_cmpuint (bk_cms_log_entry_get_status (find_entry (log, "POST", "/callProfiles")), ==, 200);
  assert_entries_complete (log, "127.0.0.1:");
  onb_assert_slots (f, 1, 5, 0);
  g_assert_cmpuint (onb_count (f, BK_CMS_KIND_CALL_PROFILE, "callProfiles"), ==, 1);

  /* No UI: the bridge checks on its own, into the same log. */
  n_before = g_list_model_get_n_items (G_LIST_MODEL (log));
  {
    GAsyncResult *res = NULL;

    bk_bridge_check_async (bridge, NULL, onb_result_cb, &res);
    g_assert_true (bk_bridge_check_finish (bridge, onb_wait (&res), &error));
    g_object_unref (res);
    g_assert_no_error (error);
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), >, n_before);
  g_assert_nonnull (bk_bridge_get_status (bridge));

  /* As after a restart: a second manager's bridge asks the keyring only
   * when needed; ready_async() gives its client the stored password. */
  {
    g_autoptr(BkBridgeManager) again = bk_bridge_manager_new (f->store, f->secrets);
    BkBridge *fresh = bk_bridge_manager_lookup (again, bk_device_get_id (device));
    g_autoptr(BkCmsSystemStatus) status = NULL;
    GAsyncResult *res = NULL;

    g_assert_nonnull (fresh);
    g_assert_true (fresh != bridge);
    bk_bridge_ready_async (fresh, NULL, onb_result_cb, &res);
    g_assert_true (bk_bridge_ready_finish (fresh, onb_wait (&res), &error));
    g_clear_object (&res);
    g_assert_no_error (error);
    bk_cms_client_get_system_status_async (bk_bridge_get_client (fresh), NULL, onb_result_cb, &res);
    status = bk_cms_client_get_system_status_finish (bk_bridge_get_client (fresh), onb_wait (&res), &error);
    g_clear_object (&res);
    g_assert_no_error (error);
    g_assert_nonnull (status);
  }
  g_assert_cmpint (bk_device_get_reachability (device), ==, BK_REACHABILITY_REACHABLE);
  {
    GListModel *tickets = bk_bridge_get_tickets (bridge);

    for (guint i = 0; i < g_list_model_get_n_items (tickets); i++)
      {
        g_autoptr(BkTicket) t = g_list_model_get_item (tickets, i);

        g_assert_cmpint (bk_ticket_get_kind (t), !=, BK_TICKET_KIND_MISSING_SYSTEM_NAME);
      }
  }
}

/* Resuming the set-up of a listed device logs into its bridge's log at
 * once. */
static void
test_resume_in_log (OnbFixture    *f,
                    gconstpointer  data)
{
  g_autoptr(BkBridgeManager) manager = bk_bridge_manager_new (f->store, f->secrets);
  g_autoptr(BkOnboarding) first = bk_onboarding_new (f->store, f->secrets);
  g_autoptr(BkOnboarding) resumed = NULL;
  g_autofree char *address = onb_node_address (f, 0);
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GError) error = NULL;
  BkDevice *device;
  BkBridge *bridge;
  guint n_before;

  /* A set-up stopped after discovery. */
  bk_bridge_manager_watch_onboarding (manager, first);
  bk_onboarding_trust_certificate (first, bk_sim_cluster_get_certificate_sha256 (f->sim));
  error = onb_connect (first, address, BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD);
  g_assert_no_error (error);
  members = onb_discover (first, &error);
  g_assert_no_error (error);
  device = bk_onboarding_get_device (first);
  g_clear_object (&first);
  bridge = bk_bridge_manager_lookup (manager, bk_device_get_id (device));
  g_assert_nonnull (bridge);

  resumed = bk_onboarding_new_resume (f->store, f->secrets, device);
  bk_bridge_manager_watch_onboarding (manager, resumed);
  n_before = g_list_model_get_n_items (G_LIST_MODEL (bk_bridge_get_log (bridge)));
  error = onb_connect (resumed, address, BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD);
  g_assert_no_error (error);
  g_assert_true (bk_cms_client_get_log (bk_onboarding_get_client (resumed)) == bk_bridge_get_log (bridge));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (bk_bridge_get_log (bridge))), >, n_before);

  /* The manager may go before the onboarding it watched. */
  g_clear_object (&manager);
  error = onb_connect (resumed, address, BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD);
  g_assert_no_error (error);
}

/* Failed requests say where they went, that no HTTP answer came (status
 * 0) or which status came, and why. */
static void
test_failures_in_log (OnbFixture    *f,
                      gconstpointer  data)
{
  g_autoptr(BkBridgeManager) manager = bk_bridge_manager_new (f->store, f->secrets);
  BkDevice *device = onb_onboard (f, 0, 1, 5);
  BkBridge *bridge = bk_bridge_manager_lookup (manager, bk_device_get_id (device));
  BkCmsLog *log = bk_bridge_get_log (bridge);
  g_autofree char *host = g_strdup_printf ("127.0.0.1:%u", bk_sim_cluster_get_node_port (f->sim, 0));
  GAsyncResult *res = NULL;
  g_autoptr(GError) error = NULL;
  gboolean seen_refused = FALSE;
  gboolean seen_unanswered = FALSE;

  /* Wrong password: the bridge says 401. */
  bk_bridge_set_credentials_async (bridge, BK_SECRET_KIND_PRIMARY, BK_SIM_DEFAULT_USERNAME, "wrong",
                                   NULL, onb_result_cb, &res);
  g_assert_false (bk_bridge_set_credentials_finish (bridge, onb_wait (&res), &error));
  g_clear_object (&res);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* The node down: no HTTP answer. */
  bk_sim_cluster_set_node_up (f->sim, 0, FALSE);
  bk_bridge_test_connection_async (bridge, NULL, onb_result_cb, &res);
  g_assert_null (bk_bridge_test_connection_finish (bridge, onb_wait (&res), &error));
  g_clear_object (&res);
  g_assert_nonnull (error);
  bk_sim_cluster_set_node_up (f->sim, 0, TRUE);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (log)); i++)
    {
      g_autoptr(BkCmsLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);

      if (bk_cms_log_entry_get_status (entry) == 401)
        {
          seen_refused = TRUE;
          g_assert_cmpstr (bk_cms_log_entry_get_bridge (entry), ==, host);
          g_assert_nonnull (bk_cms_log_entry_get_failure (entry));
        }
      else if (bk_cms_log_entry_get_status (entry) == 0)
        {
          seen_unanswered = TRUE;
          g_assert_cmpstr (bk_cms_log_entry_get_bridge (entry), ==, host);
          g_assert_nonnull (bk_cms_log_entry_get_failure (entry));
        }
    }
  g_assert_true (seen_refused);
  g_assert_true (seen_unanswered);
  assert_entries_complete (log, "127.0.0.1:");
}

int
main (int    argc,
      char **argv)
{
  bk_test_init (&argc, &argv);

  ONB_ADD ("/core/bridge-manager/follows-store", test_follows_store);
  ONB_ADD ("/core/bridge-manager/onboarding-in-log", test_onboarding_in_log);
  ONB_ADD ("/core/bridge-manager/resume-in-log", test_resume_in_log);
  ONB_ADD ("/core/bridge-manager/failures-in-log", test_failures_in_log);

  return g_test_run ();
}
