/* test-bridge.c: BkBridge against the simulator over loopback HTTPS
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "onb-test-util.h"

static gboolean
bridge_check (BkBridge *bridge)
{
  GAsyncResult *res = NULL;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  bk_bridge_check_async (bridge, NULL, onb_result_cb, &res);
  ok = bk_bridge_check_finish (bridge, onb_wait (&res), &error);
  g_object_unref (res);
  g_assert_no_error (error);
  return ok;
}

static BkTicket *
find_ticket (BkBridge     *bridge,
             BkTicketKind  kind)
{
  GListModel *tickets = bk_bridge_get_tickets (bridge);

  for (guint i = 0; i < g_list_model_get_n_items (tickets); i++)
    {
      g_autoptr(BkTicket) t = g_list_model_get_item (tickets, i);

      if (bk_ticket_get_kind (t) == kind)
        return t;   /* the model keeps it alive */
    }
  return NULL;
}

static BkClusterNode *
find_node (BkBridge   *bridge,
           const char *id)
{
  GListModel *nodes = bk_bridge_get_cluster_nodes (bridge);

  for (guint i = 0; i < g_list_model_get_n_items (nodes); i++)
    {
      g_autoptr(BkClusterNode) n = g_list_model_get_item (nodes, i);

      if (g_strcmp0 (bk_cluster_node_get_id (n), id) == 0)
        return n;
    }
  return NULL;
}

static char *
slot_space_id (OnbFixture *f,
               guint64     number)
{
  g_autoptr(GPtrArray) spaces = onb_list (f, BK_CMS_KIND_COSPACE, "coSpaces");
  g_autofree char *name = bk_slot_name_for_number (number);

  for (guint i = 0; i < spaces->len; i++)
    {
      const BkCmsCoSpace *s = g_ptr_array_index (spaces, i);

      if (g_strcmp0 (s->name, name) == 0)
        return g_strdup (s->id);
    }
  return NULL;
}

static void
test_check_healthy (OnbFixture    *f,
                    gconstpointer  data)
{
  BkDevice *device = onb_onboard (f, 0, 1, 5);
  g_autoptr(BkBridge) bridge = bk_bridge_new (device, f->store, f->secrets);
  BkClusterNode *n0, *n1;

  g_assert_true (bridge_check (bridge));
  g_assert_nonnull (bk_bridge_get_status (bridge));
  g_assert_false (bk_bridge_get_in_call (bridge));
  g_assert_null (bk_bridge_get_last_error (bridge));
  g_assert_cmpint (bk_device_get_reachability (device), ==, BK_REACHABILITY_REACHABLE);
  g_assert_nonnull (bk_device_get_last_checked (device));
  g_assert_null (find_ticket (bridge, BK_TICKET_KIND_SLOTS_MISSING));
  g_assert_null (find_ticket (bridge, BK_TICKET_KIND_SLOTS_CHANGED));
  g_assert_null (find_ticket (bridge, BK_TICKET_KIND_PRIMARY_UNREACHABLE));
  g_assert_null (find_ticket (bridge, BK_TICKET_KIND_MISSING_EXTENDED_SETTINGS));

  g_assert_cmpuint (g_list_model_get_n_items (bk_bridge_get_cluster_nodes (bridge)), ==, 2);
  n0 = find_node (bridge, bk_sim_cluster_get_node_id (f->sim, 0));
  n1 = find_node (bridge, bk_sim_cluster_get_node_id (f->sim, 1));
  g_assert_nonnull (n0);
  g_assert_nonnull (n1);
  g_assert_true (bk_cluster_node_get_managed (n0));
  g_assert_false (bk_cluster_node_get_managed (n1));
  g_assert_cmpint (bk_cluster_node_get_reachability (n0), ==, BK_REACHABILITY_REACHABLE);
  g_assert_cmpint (bk_cluster_node_get_reachability (n1), ==, BK_REACHABILITY_REACHABLE);

  /* A CMS alarm becomes a ticket. */
  g_free (bk_sim_cluster_add_alarm (f->sim, "cdrConnectionFailure"));
  g_assert_true (bridge_check (bridge));
  g_assert_nonnull (find_ticket (bridge, BK_TICKET_KIND_CMS_ALARM));
  g_assert_cmpstr (bk_ticket_get_alarm_type (find_ticket (bridge, BK_TICKET_KIND_CMS_ALARM)), ==, "cdrConnectionFailure");

  /* Test connection. */
  {
    GAsyncResult *res = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(BkCmsSystemStatus) status = NULL;

    bk_bridge_test_connection_async (bridge, NULL, onb_result_cb, &res);
    status = bk_bridge_test_connection_finish (bridge, onb_wait (&res), &error);
    g_object_unref (res);
    g_assert_no_error (error);
    g_assert_nonnull (status);
    g_assert_nonnull (status->software_version);
  }

  /* In a call: callLegsActive > 0 on the managed node. */
  {
    GAsyncResult *res = NULL;
    g_autoptr(GError) error = NULL;
    g_autofree char *space = slot_space_id (f, 1);
    g_autofree char *call = NULL;
    g_autofree char *legs = NULL;
    g_autofree char *leg = NULL;
    const char *call_params[] = { "coSpace", space, NULL };
    const char *leg_params[] = { "remoteParty", "desk.ex90@example.com", NULL };

    bk_cms_client_create_async (f->probe, "calls", call_params, NULL, onb_result_cb, &res);
    call = bk_cms_client_create_finish (f->probe, onb_wait (&res), &error);
    g_clear_object (&res);
    g_assert_no_error (error);
    legs = g_strdup_printf ("calls/%s/callLegs", call);
    bk_cms_client_create_async (f->probe, legs, leg_params, NULL, onb_result_cb, &res);
    leg = bk_cms_client_create_finish (f->probe, onb_wait (&res), &error);
    g_clear_object (&res);
    g_assert_no_error (error);
    g_assert_true (bridge_check (bridge));
    g_assert_true (bk_bridge_get_in_call (bridge));
    g_assert_cmpint (bk_bridge_get_status (bridge)->call_legs_active, >=, 1);
  }

  /* The primary down: a ticket, not an error. */
  bk_sim_cluster_set_node_up (f->sim, 0, FALSE);
  g_assert_true (bridge_check (bridge));
  g_assert_nonnull (find_ticket (bridge, BK_TICKET_KIND_PRIMARY_UNREACHABLE));
  g_assert_cmpint (bk_device_get_reachability (device), ==, BK_REACHABILITY_UNREACHABLE);
  g_assert_nonnull (bk_bridge_get_last_error (bridge));
  bk_sim_cluster_set_node_up (f->sim, 0, TRUE);
}

static void
test_drift_and_repair (OnbFixture    *f,
                       gconstpointer  data)
{
  BkDevice *device = onb_onboard (f, 0, 1, 5);
  g_autoptr(BkBridge) bridge = bk_bridge_new (device, f->store, f->secrets);
  g_autofree char *victim = slot_space_id (f, 3);
  GAsyncResult *res = NULL;
  g_autoptr(GError) error = NULL;
  BkTicket *ticket;

  g_assert_nonnull (victim);
  g_assert_true (bk_sim_cluster_remove_cospace (f->sim, victim));
  g_assert_true (bridge_check (bridge));
  ticket = find_ticket (bridge, BK_TICKET_KIND_SLOTS_MISSING);
  g_assert_nonnull (ticket);
  g_assert_cmpstr (bk_ticket_get_action_name (ticket), ==, BK_TICKET_ACTION_REPAIR_SLOTS);

  bk_bridge_repair_async (bridge, NULL, onb_result_cb, &res);
  g_assert_true (bk_bridge_repair_finish (bridge, onb_wait (&res), &error));
  g_clear_object (&res);
  g_assert_no_error (error);
  g_assert_null (find_ticket (bridge, BK_TICKET_KIND_SLOTS_MISSING));
  g_assert_false (bk_bridge_get_busy (bridge));
  onb_assert_slots (f, 1, 5, 0);
  g_assert_cmpuint (onb_count (f, BK_CMS_KIND_BULK_PARAMETER_SET, "cospaceBulkParameterSets"), ==, 1);

  /* A changed slot (call ID edited on the bridge) is drift too. */
  {
    g_autofree char *id = slot_space_id (f, 2);
    g_autofree char *path = g_strdup_printf ("coSpaces/%s", id);
    const char *params[] = { "callId", "777", NULL };

    bk_cms_client_update_async (f->probe, path, params, NULL, onb_result_cb, &res);
    g_assert_true (bk_cms_client_update_finish (f->probe, onb_wait (&res), &error));
    g_clear_object (&res);
    g_assert_true (bridge_check (bridge));
    g_assert_nonnull (find_ticket (bridge, BK_TICKET_KIND_SLOTS_CHANGED));
    bk_bridge_repair_async (bridge, NULL, onb_result_cb, &res);
    g_assert_true (bk_bridge_repair_finish (bridge, onb_wait (&res), &error));
    g_clear_object (&res);
    g_assert_null (find_ticket (bridge, BK_TICKET_KIND_SLOTS_CHANGED));
    onb_assert_slots (f, 1, 5, 0);
  }
}

static void
test_alternate_unreachable (OnbFixture    *f,
                            gconstpointer  data)
{
  BkDevice *device = onb_onboard (f, 0, 1, 5);
  g_autoptr(BkBridge) bridge = bk_bridge_new (device, f->store, f->secrets);
  GAsyncResult *res = NULL;
  g_autoptr(GError) error = NULL;
  BkClusterNode *n1;

  bk_bridge_set_alternate_async (bridge, bk_sim_cluster_get_node_id (f->sim, 1), NULL, NULL, NULL, onb_result_cb, &res);
  g_assert_true (bk_bridge_set_alternate_finish (bridge, onb_wait (&res), &error));
  g_clear_object (&res);
  g_assert_no_error (error);
  g_assert_true (bk_device_has_alternate (device));

  g_assert_true (bridge_check (bridge));
  g_assert_null (find_ticket (bridge, BK_TICKET_KIND_ALTERNATE_UNREACHABLE));
  n1 = find_node (bridge, bk_sim_cluster_get_node_id (f->sim, 1));
  g_assert_true (bk_cluster_node_get_alternate (n1));

  bk_sim_cluster_set_node_up (f->sim, 1, FALSE);
  g_assert_true (bridge_check (bridge));
  g_assert_nonnull (find_ticket (bridge, BK_TICKET_KIND_ALTERNATE_UNREACHABLE));
  g_assert_cmpint (bk_device_get_alternate_reachability (device), ==, BK_REACHABILITY_UNREACHABLE);
  n1 = find_node (bridge, bk_sim_cluster_get_node_id (f->sim, 1));
  g_assert_cmpint (bk_cluster_node_get_reachability (n1), ==, BK_REACHABILITY_UNREACHABLE);
  g_assert_null (find_ticket (bridge, BK_TICKET_KIND_PRIMARY_UNREACHABLE));

  bk_sim_cluster_set_node_up (f->sim, 1, TRUE);
  g_assert_true (bridge_check (bridge));
  g_assert_null (find_ticket (bridge, BK_TICKET_KIND_ALTERNATE_UNREACHABLE));

  /* No alternate any more. */
  bk_bridge_set_alternate_async (bridge, NULL, NULL, NULL, NULL, onb_result_cb, &res);
  g_assert_true (bk_bridge_set_alternate_finish (bridge, onb_wait (&res), &error));
  g_clear_object (&res);
  g_assert_false (bk_device_has_alternate (device));
}

static gboolean
change_range (BkBridge  *bridge,
              guint64    base,
              guint      quantity,
              GError   **error)
{
  GAsyncResult *res = NULL;
  gboolean ok;

  bk_bridge_change_range_async (bridge, ONB_DOMAIN, base, quantity, NULL, onb_result_cb, &res);
  ok = bk_bridge_change_range_finish (bridge, onb_wait (&res), error);
  g_object_unref (res);
  return ok;
}

static void
test_change_range (OnbFixture    *f,
                   gconstpointer  data)
{
  BkDevice *device = onb_onboard (f, 0, 1, 5);
  g_autoptr(BkBridge) bridge = bk_bridge_new (device, f->store, f->secrets);
  g_autoptr(GError) error = NULL;
  g_autofree char *blocker = NULL;

  bk_sim_cluster_reset_counters (f->sim);
  g_assert_true (change_range (bridge, 1, 8, &error));
  g_assert_no_error (error);
  onb_assert_slots (f, 1, 8, 0);
  g_assert_cmpuint (bk_device_get_numeric_id_quantity (device), ==, 8);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "PUT", "/api/v1/cospaceBulkParameterSets/"), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "POST", "/api/v1/cospaceBulkParameterSets"), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "POST", "/api/v1/callProfiles"), ==, 0);

  g_assert_true (change_range (bridge, 500, 8, &error));
  onb_assert_slots (f, 500, 8, 0);
  g_assert_cmpuint (bk_device_get_numeric_id_base (device), ==, 500);
  g_assert_cmpuint (onb_count (f, BK_CMS_KIND_BULK_PARAMETER_SET, "cospaceBulkParameterSets"), ==, 1);

  /* Collisions are refused before any change. */
  blocker = bk_sim_cluster_add_cospace (f->sim, "Sales weekly", "sales", "902");
  bk_sim_cluster_reset_counters (f->sim);
  g_assert_false (change_range (bridge, 900, 5, &error));
  g_assert_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_RANGE_COLLISION);
  g_assert_nonnull (strstr (error->message, "Sales weekly"));
  g_clear_error (&error);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "PUT", NULL), ==, 0);
  g_assert_cmpuint (bk_device_get_numeric_id_base (device), ==, 500);
  onb_assert_slots (f, 500, 8, 1);

  g_assert_false (change_range (bridge, 0, 5, &error));
  g_assert_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT);
}

/* What the "busy", "progress" and "progress-text" properties said. */
static void
record_busy_cb (GObject    *object,
                GParamSpec *pspec,
                gpointer    user_data)
{
  GPtrArray *seen = user_data;
  gboolean busy;
  double progress;
  g_autofree char *text = NULL;

  g_object_get (object, "busy", &busy, "progress", &progress, "progress-text", &text, NULL);
  g_assert_cmpint (busy, ==, bk_bridge_get_busy (BK_BRIDGE (object)));
  g_assert_cmpfloat (progress, ==, bk_bridge_get_progress (BK_BRIDGE (object)));
  g_assert_cmpstr (text, ==, bk_bridge_get_progress_text (BK_BRIDGE (object)));
  g_ptr_array_add (seen, g_strdup_printf ("%s %d %s", pspec->name, busy, text != NULL ? text : "-"));
}

static gboolean
seen_has (GPtrArray  *seen,
          const char *line)
{
  for (guint i = 0; i < seen->len; i++)
    if (g_str_equal (g_ptr_array_index (seen, i), line))
      return TRUE;
  return FALSE;
}

/* A range change shows busy and its steps, refuses a second job meanwhile
 * and leaves busy FALSE with the progress forgotten. */
static void
test_busy_progress (OnbFixture    *f,
                    gconstpointer  data)
{
  BkDevice *device = onb_onboard (f, 0, 1, 5);
  g_autoptr(BkBridge) bridge = bk_bridge_new (device, f->store, f->secrets);
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  GAsyncResult *refused = NULL;
  double progress;
  g_autofree char *text = NULL;
  gboolean busy;

  g_signal_connect (bridge, "notify::busy", G_CALLBACK (record_busy_cb), seen);
  g_signal_connect (bridge, "notify::progress", G_CALLBACK (record_busy_cb), seen);
  g_signal_connect (bridge, "notify::progress-text", G_CALLBACK (record_busy_cb), seen);

  bk_bridge_change_range_async (bridge, ONB_DOMAIN, 1, 8, NULL, onb_result_cb, &res);
  g_assert_true (bk_bridge_get_busy (bridge));
  bk_bridge_repair_async (bridge, NULL, onb_result_cb, &refused);
  g_assert_false (bk_bridge_repair_finish (bridge, onb_wait (&refused), &error));
  g_assert_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_WRONG_STEP);
  g_assert_nonnull (strstr (error->message, "still running"));
  g_clear_error (&error);
  g_object_unref (refused);
  g_assert_true (bk_bridge_change_range_finish (bridge, onb_wait (&res), &error));
  g_assert_no_error (error);
  g_object_unref (res);

  g_assert_true (seen_has (seen, "busy 1 -"));
  g_assert_true (seen_has (seen, "progress-text 1 Looking for spaces that already use the range"));
  g_assert_cmpstr (g_ptr_array_index (seen, seen->len - 1), ==, "busy 0 -");
  g_object_get (bridge, "busy", &busy, "progress", &progress, "progress-text", &text, NULL);
  g_assert_false (busy);
  g_assert_cmpfloat (progress, ==, -1);
  g_assert_null (text);
}

static void
test_credentials (OnbFixture    *f,
                  gconstpointer  data)
{
  BkDevice *device = onb_onboard (f, 0, 1, 3);
  g_autoptr(BkBridge) bridge = bk_bridge_new (device, f->store, f->secrets);
  GAsyncResult *res = NULL;
  g_autoptr(GError) error = NULL;
  char *password;

  bk_bridge_set_credentials_async (bridge, BK_SECRET_KIND_PRIMARY, BK_SIM_DEFAULT_USERNAME, "wrong",
                                   NULL, onb_result_cb, &res);
  g_assert_false (bk_bridge_set_credentials_finish (bridge, onb_wait (&res), &error));
  g_clear_object (&res);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  bk_secrets_lookup_async (f->secrets, bk_device_get_id (device), BK_SECRET_KIND_PRIMARY, NULL, onb_result_cb, &res);
  password = bk_secrets_lookup_finish (f->secrets, onb_wait (&res), &error);
  g_clear_object (&res);
  g_assert_cmpstr (password, ==, BK_SIM_DEFAULT_PASSWORD);
  bk_secrets_password_free (password);

  bk_bridge_set_credentials_async (bridge, BK_SECRET_KIND_PRIMARY, BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD,
                                   NULL, onb_result_cb, &res);
  g_assert_true (bk_bridge_set_credentials_finish (bridge, onb_wait (&res), &error));
  g_clear_object (&res);
  g_assert_no_error (error);
}

static void
test_remove_clean_up (OnbFixture    *f,
                      gconstpointer  data)
{
  BkDevice *device = onb_onboard (f, 0, 1, 5);
  g_autoptr(BkBridge) bridge = bk_bridge_new (g_object_ref (device), f->store, f->secrets);
  g_autofree char *device_id = g_strdup (bk_device_get_id (device));
  g_autofree char *user_space = bk_sim_cluster_add_cospace (f->sim, "Cool Bridge Space", "cool.bridge.space", "497540167");
  GAsyncResult *res = NULL;
  g_autoptr(GError) error = NULL;
  char *password;

  /* A failure on the bridge stops the removal and says what is left. */
  bk_sim_cluster_add_fault (f->sim, "DELETE", "/api/v1/callLegProfiles/*", BK_SIM_FAULT_HTTP_500, 1.0, -1);
  bk_bridge_remove_async (bridge, TRUE, NULL, onb_result_cb, &res);
  g_assert_false (bk_bridge_remove_finish (bridge, onb_wait (&res), &error));
  g_clear_object (&res);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "call leg profile"));
  g_assert_nonnull (strstr (error->message, "call profile"));
  g_assert_null (strstr (error->message, "meeting spaces TMS"));
  g_clear_error (&error);
  g_assert_cmpuint (bk_device_store_get_n_devices (f->store), ==, 1);
  g_assert_cmpuint (onb_count (f, BK_CMS_KIND_BULK_PARAMETER_SET, "cospaceBulkParameterSets"), ==, 0);
  bk_sim_cluster_clear_faults (f->sim);

  bk_bridge_remove_async (bridge, TRUE, NULL, onb_result_cb, &res);
  g_assert_true (bk_bridge_remove_finish (bridge, onb_wait (&res), &error));
  g_clear_object (&res);
  g_assert_no_error (error);

  g_assert_cmpuint (bk_device_store_get_n_devices (f->store), ==, 0);
  g_assert_cmpuint (onb_count (f, BK_CMS_KIND_CALL_PROFILE, "callProfiles"), ==, 0);
  g_assert_cmpuint (onb_count (f, BK_CMS_KIND_CALL_LEG_PROFILE, "callLegProfiles"), ==, 0);
  g_assert_cmpuint (onb_count (f, BK_CMS_KIND_BULK_PARAMETER_SET, "cospaceBulkParameterSets"), ==, 0);
  onb_assert_slots (f, 1, 0, 1);   /* only the user's space is left */

  bk_secrets_lookup_async (f->secrets, device_id, BK_SECRET_KIND_PRIMARY, NULL, onb_result_cb, &res);
  password = bk_secrets_lookup_finish (f->secrets, onb_wait (&res), &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  g_assert_null (password);
  g_object_unref (device);
}

static gboolean
has_status (gpointer data)
{
  return bk_bridge_get_status (BK_BRIDGE (data)) != NULL;
}

static void
test_refresh_and_repin (OnbFixture    *f,
                        gconstpointer  data)
{
  BkDevice *device = onb_onboard (f, 0, 1, 2);
  g_autoptr(BkBridge) bridge = bk_bridge_new (device, f->store, f->secrets);
  g_autoptr(GError) error = NULL;
  g_autofree char *new_sha = NULL;
  GAsyncResult *res = NULL;
  BkCmsSystemStatus *status;

  /* The Summary tab's refresh brings the status without a full check. */
  bk_bridge_set_refresh_interval (bridge, 1);
  bk_test_wait_until (has_status, bridge, ONB_TIMEOUT_MS);
  bk_bridge_set_refresh_interval (bridge, 0);
  g_assert_nonnull (bk_bridge_get_status (bridge));

  /* A new certificate is refused until the person confirms it. */
  g_assert_true (bk_sim_cluster_replace_certificate (f->sim, &error));
  new_sha = g_strdup (bk_sim_cluster_get_certificate_sha256 (f->sim));
  bk_bridge_test_connection_async (bridge, NULL, onb_result_cb, &res);
  status = bk_bridge_test_connection_finish (bridge, onb_wait (&res), &error);
  g_clear_object (&res);
  g_assert_null (status);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_PIN_MISMATCH);
  g_assert_cmpstr (bk_cms_error_get_peer_sha256 (error), ==, new_sha);
  g_clear_error (&error);
  g_assert_true (bridge_check (bridge));
  g_assert_nonnull (find_ticket (bridge, BK_TICKET_KIND_PRIMARY_UNREACHABLE));

  bk_bridge_repin (bridge, new_sha);
  g_assert_cmpstr (bk_device_get_certificate_pin (device), ==, new_sha);
  bk_bridge_test_connection_async (bridge, NULL, onb_result_cb, &res);
  status = bk_bridge_test_connection_finish (bridge, onb_wait (&res), &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  g_assert_nonnull (status);
  bk_cms_system_status_free (status);
  g_assert_true (bridge_check (bridge));
  g_assert_null (find_ticket (bridge, BK_TICKET_KIND_PRIMARY_UNREACHABLE));
}

int
main (int   argc,
      char *argv[])
{
  bk_test_init (&argc, &argv);

  ONB_ADD ("/bridge/check-healthy", test_check_healthy);
  ONB_ADD ("/bridge/drift-and-repair", test_drift_and_repair);
  ONB_ADD ("/bridge/alternate-unreachable", test_alternate_unreachable);
  ONB_ADD ("/bridge/change-range", test_change_range);
  ONB_ADD ("/bridge/busy-progress", test_busy_progress);
  ONB_ADD ("/bridge/credentials", test_credentials);
  ONB_ADD ("/bridge/remove-clean-up", test_remove_clean_up);
  ONB_ADD ("/bridge/refresh-and-repin", test_refresh_and_repin);

  return g_test_run ();
}
