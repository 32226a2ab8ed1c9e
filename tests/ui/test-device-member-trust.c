/* test-device-member-trust.c: the Clustering tab says which call bridges
 * failover may use, and confirms a third member's certificate (fetched
 * without credentials, the trust dialog naming it, the pin saved); a
 * changed one is a ticket whose Review Certificate re-pins that member
 * alone. In the language of the environment (English, or zh_TW).
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestDeviceMemberTrust"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bk-bridge-ui-test.h"
#include "bk-tickets.h"
#include "devices/bk-cluster-node-row.h"

#define TIMEOUT_MS BK_BRIDGE_UI_TEST_TIMEOUT_MS

static BkSimCluster *sim;

static gboolean
page_checked (gpointer data)
{
  BkBridge *bridge = bk_device_page_get_bridge (data);

  return bk_bridge_get_status (bridge) != NULL && !bk_bridge_get_busy (bridge) &&
         bk_device_get_last_checked (bk_bridge_get_device (bridge)) != NULL &&
         g_list_model_get_n_items (bk_bridge_get_cluster_nodes (bridge)) == 3;
}

/* The Clustering tab's row of the node named @name (a BkClusterNodeRow). */
static GtkWidget *
node_row (BkDevicePage *page,
          const char   *name)
{
  GtkWidget *list = bk_bridge_ui_test_child (page, "nodes_list");

  for (GtkWidget *c = gtk_widget_get_first_child (list); c; c = gtk_widget_get_next_sibling (c))
    if (BK_IS_CLUSTER_NODE_ROW (c) &&
        g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (c)), name) == 0)
      return c;
  return NULL;
}

typedef struct
{
  BkDevicePage *page;
  const char   *name;
  const char   *text;
} TrustWait;

/* The node's trust label says @text (NULL: hidden). */
static gboolean
trust_shown (gpointer data)
{
  TrustWait *w = data;
  GtkWidget *row = node_row (w->page, w->name);
  GtkWidget *label;

  if (row == NULL)
    return FALSE;
  label = bk_bridge_ui_test_child (row, "trust_label");
  if (w->text == NULL)
    return !gtk_widget_get_visible (label);
  return gtk_widget_get_visible (label) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (label)), w->text) == 0;
}

static void
wait_trust (BkDevicePage *page,
            guint         node,
            const char   *text)
{
  TrustWait w = { page, bk_sim_cluster_get_node_name (sim, node), text };

  bk_test_wait_until (trust_shown, &w, TIMEOUT_MS);
}

static gboolean
ticket_of_kind (gpointer data)
{
  GListModel *tickets = bk_bridge_get_tickets (data);

  for (guint i = 0; i < g_list_model_get_n_items (tickets); i++)
    {
      g_autoptr(BkTicket) t = g_list_model_get_item (tickets, i);

      if (bk_ticket_get_kind (t) == BK_TICKET_KIND_MEMBER_CERTIFICATE_CHANGED)
        return TRUE;
    }
  return FALSE;
}

static gboolean
no_member_ticket (gpointer data)
{
  return !ticket_of_kind (data);
}

static gboolean
has_toast (gpointer data)
{
  return bk_ui_test_window_has_toast (data);
}

static void
check_now (BkDevicePage *page)
{
  BkBridge *bridge = bk_device_page_get_bridge (page);
  BkDevice *device = bk_bridge_get_device (bridge);
  g_autoptr(GDateTime) before = g_date_time_ref (bk_device_get_last_checked (device));

  g_usleep (1100 * 1000);   /* the check's time differs (seconds) */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "device.check-now", NULL));
  for (guint waited = 0; waited < TIMEOUT_MS && (bk_bridge_get_busy (bridge)
                                                 || g_date_time_equal (before, bk_device_get_last_checked (device)));
       waited += 10)
    bk_test_spin (10);
  g_assert_false (g_date_time_equal (before, bk_device_get_last_checked (device)));
}

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
result_arrived (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static GAsyncResult *
wait_result (GAsyncResult **res)
{
  bk_test_wait_until (result_arrived, res, TIMEOUT_MS);
  return *res;
}

/* As bk_bridge_ui_test_onboard(), with each node's own certificate
 * trusted (node 0's and the alternate's, node 1), as the assistant asks. */
static BkDevice *
onboard (void)
{
  BkApplication *app = bk_ui_test_get_app ();
  g_autoptr(BkOnboarding) ob = bk_onboarding_new (bk_application_get_store (app),
                                                  bk_application_get_secrets (app));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GPtrArray) collisions = NULL;
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", bk_sim_cluster_get_node_port (sim, 0));
  GAsyncResult *res = NULL;

  bk_onboarding_trust_certificate (ob, bk_sim_cluster_get_node_certificate_sha256 (sim, 0));
  bk_onboarding_connect_async (ob, address, bk_sim_cluster_get_username (sim),
                               bk_sim_cluster_get_password (sim), NULL, got_result, &res);
  bk_onboarding_connect_finish (ob, wait_result (&res), &error);
  g_assert_no_error (error);
  g_clear_object (&res);
  bk_onboarding_discover_async (ob, NULL, got_result, &res);
  members = bk_onboarding_discover_finish (ob, wait_result (&res), &error);
  g_assert_no_error (error);
  g_clear_object (&res);
  g_assert_true (bk_onboarding_set_name (ob, "CMS Core Primary", &error));
  bk_onboarding_check_range_async (ob, "acanolab2.example.com", 1, 5, NULL, got_result, &res);
  collisions = bk_onboarding_check_range_finish (ob, wait_result (&res), &error);
  g_assert_no_error (error);
  g_clear_object (&res);
  bk_onboarding_reserve_async (ob, NULL, got_result, &res);
  bk_onboarding_reserve_finish (ob, wait_result (&res), &error);
  g_assert_no_error (error);
  g_clear_object (&res);
  g_assert_true (bk_onboarding_set_alternate (ob, bk_sim_cluster_get_node_id (sim, 1), NULL, NULL, &error));
  bk_onboarding_trust_alternate_certificate (ob, bk_sim_cluster_get_node_certificate_sha256 (sim, 1));
  bk_onboarding_finish_async (ob, NULL, got_result, &res);
  bk_onboarding_finish_finish (ob, wait_result (&res), &error);
  g_assert_no_error (error);
  g_clear_object (&res);
  return bk_onboarding_get_device (ob);
}

static void
test_confirm_member (void)
{
  BkWindow *window = bk_ui_test_open_window ();
  BkDevice *device = onboard ();
  BkApplication *app = bk_ui_test_get_app ();
  const char *node2 = bk_sim_cluster_get_node_id (sim, 2);
  const char *name2 = bk_sim_cluster_get_node_name (sim, 2);
  g_autofree char *old_sha2 = g_strdup (bk_sim_cluster_get_node_certificate_sha256 (sim, 2));
  g_autofree char *primary_pin = NULL;
  g_autofree char *a11y = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) chain = NULL;
  BkDevicePage *page;
  BkBridge *bridge;
  GtkWidget *row;
  GtkWidget *button;
  AdwMessageDialog *dialog;

  primary_pin = g_strdup (bk_device_get_certificate_pin (device));
  bk_window_select_device (window, device);
  page = bk_window_get_device_page (window);
  g_assert_nonnull (page);
  bridge = bk_device_page_get_bridge (page);
  bk_test_wait_until (page_checked, page, TIMEOUT_MS);
  bk_device_page_show_tab (page, "clustering", NULL);

  /* The managed node and the alternate: nothing to confirm here. */
  wait_trust (page, 2, _("Certificate not confirmed: failover will skip it"));
  wait_trust (page, 0, NULL);
  wait_trust (page, 1, NULL);
  g_assert_false (gtk_widget_get_visible (bk_bridge_ui_test_child (node_row (page, bk_sim_cluster_get_node_name (sim, 0)),
                                                                   "confirm_button")));
  row = node_row (page, name2);
  button = bk_bridge_ui_test_child (row, "confirm_button");
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, _("Confirm Certificate…"));
  a11y = bk_ui_test_get_accessible_name (button);
  g_assert_nonnull (a11y);
  g_assert_nonnull (strstr (a11y, name2));
  bk_ui_test_assert_all_named (GTK_WIDGET (page));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "member-trust-1-unconfirmed");

  /* Confirm Certificate…: the trust dialog names node 2 and shows its
   * fingerprint. Cancel changes nothing. */
  bk_bridge_ui_test_click (button);
  dialog = bk_bridge_ui_test_wait_dialog (GTK_WINDOW (window));
  heading = g_strdup (adw_message_dialog_get_heading (dialog));
  g_assert_nonnull (strstr (heading, name2));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), name2));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (dialog), "member-trust-2-dialog");
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  bk_test_spin (100);
  g_assert_cmpstr (bk_device_get_member_certificate_pin (device, node2), ==, "");

  bk_bridge_ui_test_click (button);
  dialog = bk_bridge_ui_test_wait_dialog (GTK_WINDOW (window));
  adw_message_dialog_response (dialog, "trust");
  gtk_window_destroy (GTK_WINDOW (dialog));
  /* Saved for node 2 alone, said in the row and in a toast. */
  g_assert_cmpstr (bk_device_get_member_certificate_pin (device, node2), ==, old_sha2);
  g_assert_cmpstr (bk_device_get_certificate_pin (device), ==, primary_pin);
  g_assert_cmpstr (bk_device_get_alternate_certificate_pin (device), ==,
                   bk_sim_cluster_get_node_certificate_sha256 (sim, 1));
  wait_trust (page, 2, _("Trusted for failover"));
  g_assert_false (gtk_widget_get_visible (bk_bridge_ui_test_child (node_row (page, name2), "confirm_button")));
  bk_test_wait_until (has_toast, window, TIMEOUT_MS);
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "member-trust-3-trusted");
  /* In the file, and in the failover chain. */
  g_assert_true (bk_device_store_flush (bk_application_get_store (app), &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (bk_device_store_get_path (bk_application_get_store (app)), &contents, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (contents, "member-certificate-pins"));
  g_assert_nonnull (strstr (contents, old_sha2));
  chain = bk_bridge_dup_failover_chain (bridge);
  g_assert_cmpuint (chain->len, ==, 3);
  g_assert_cmpstr (((BkFailoverNode *) g_ptr_array_index (chain, 2))->member_id, ==, node2);
  g_assert_cmpstr (bk_cms_client_get_pin (((BkFailoverNode *) g_ptr_array_index (chain, 2))->client), ==, old_sha2);

  /* Node 2's certificate changes: the check makes it a ticket and the row
   * says failover refuses it; Review Certificate (the ticket's action)
   * shows both fingerprints and re-pins node 2 alone. */
  g_assert_true (bk_sim_cluster_replace_node_certificate (sim, 2, &error));
  g_assert_no_error (error);
  check_now (page);
  bk_test_wait_until (ticket_of_kind, bridge, TIMEOUT_MS);
  wait_trust (page, 2, _("Certificate changed: failover refuses it"));
  bk_device_page_show_tab (page, "summary", NULL);
  button = bk_ui_test_find_by_text (bk_bridge_ui_test_child (page, "summary_tab"), _("Review Certificate"));
  g_assert_true (GTK_IS_BUTTON (button));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "member-trust-4-ticket");
  /* The ticket's button, as a person clicks it: the Clustering tab and the
   * dialog for node 2. */
  bk_bridge_ui_test_click (button);
  dialog = bk_bridge_ui_test_wait_dialog (GTK_WINDOW (window));
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), name2));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (bk_bridge_ui_test_child (page, "view_stack")), ==, "clustering");
  bk_bridge_ui_test_screenshot (GTK_WIDGET (dialog), "member-trust-5-review");
  adw_message_dialog_response (dialog, "repin");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpstr (bk_device_get_member_certificate_pin (device, node2), ==,
                   bk_sim_cluster_get_node_certificate_sha256 (sim, 2));
  g_assert_cmpstr (bk_device_get_certificate_pin (device), ==, primary_pin);
  bk_test_wait_until (no_member_ticket, bridge, TIMEOUT_MS);
  wait_trust (page, 2, _("Trusted for failover"));

  bk_bridge_ui_test_clear_store ();
  bk_ui_test_close_window (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  bk_ui_test_init (&argc, &argv);
  /* Three nodes, each with a self-signed certificate of its own. */
  sim = bk_sim_cluster_new (3);
  bk_sim_cluster_set_tls (sim, TRUE);
  bk_sim_cluster_set_per_node_certificates (sim, TRUE);
  bk_sim_cluster_set_bulk_sync_delay (sim, 100);
  g_assert_true (bk_sim_cluster_start (sim, &error));
  g_assert_no_error (error);

  g_test_add_func ("/device-member-trust/confirm", test_confirm_member);

  status = g_test_run ();

  bk_sim_cluster_stop (sim);
  g_clear_object (&sim);
  return status;
}
