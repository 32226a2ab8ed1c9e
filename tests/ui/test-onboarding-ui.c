/* test-onboarding-ui.c: the Add Bridge assistant, driven as a person would
 * (in-process, on the real window) against a simulated 2-node cluster
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestOnboardingUi"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bk-bridge-ui-test.h"
#include "bk-fake-keyring.h"
#include "bk-bridge-row.h"
#include "bk-onboarding.h"
#include "bk-tickets.h"

#define TIMEOUT_MS BK_BRIDGE_UI_TEST_TIMEOUT_MS

static BkSimCluster *sim;

typedef struct
{
  BkOnboardingWindow *ow;
  const char         *page;
} PageWait;

static gboolean
page_is (gpointer data)
{
  PageWait *wait = data;

  return g_strcmp0 (bk_onboarding_window_get_page (wait->ow), wait->page) == 0;
}

static void
wait_page (BkOnboardingWindow *ow,
           const char         *page)
{
  PageWait wait = { ow, page };

  bk_test_wait_until (page_is, &wait, TIMEOUT_MS);
}

static gboolean
widget_sensitive (gpointer data)
{
  return gtk_widget_is_sensitive (data);
}

static gboolean
widget_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static void
set_text (BkOnboardingWindow *ow,
          const char         *row,
          const char         *text)
{
  gtk_editable_set_text (GTK_EDITABLE (bk_bridge_ui_test_child (ow, row)), text);
}

static BkOnboardingWindow *
open_assistant (BkWindow *window)
{
  BkOnboardingWindow *ow;

  /* Ctrl+N's action, as the header button and the empty page use it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-bridge", NULL));
  ow = BK_ONBOARDING_WINDOW (bk_ui_test_wait_for_toplevel (BK_TYPE_ONBOARDING_WINDOW, NULL, TIMEOUT_MS));
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (ow)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (ow)) == GTK_WINDOW (window));
  g_assert_cmpstr (bk_onboarding_window_get_page (ow), ==, "connect");
  /* Every control of every page has a name a screen reader can say. */
  bk_ui_test_assert_all_named (GTK_WIDGET (ow));
  return ow;
}

typedef struct
{
  BkOnboardingWindow *ow;
} ConnectWait;

static gboolean
connect_settled (gpointer data)
{
  BkOnboardingWindow *ow = data;

  return bk_bridge_ui_test_find_dialog (GTK_WINDOW (ow)) != NULL ||
         g_strcmp0 (bk_onboarding_window_get_page (ow), "connect") != 0 ||
         gtk_widget_get_visible (bk_bridge_ui_test_child (ow, "connect_error"));
}

/* Fills page 1 with node @node's address and clicks Connect; accepts the
 * certificate when the trust dialog asks (checking what it shows). Returns
 * TRUE when the assistant moved on, FALSE when it shows an error. */
static gboolean
connect_to_node (BkOnboardingWindow *ow,
                 guint               node,
                 gboolean            screenshots)
{
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", bk_sim_cluster_get_node_port (sim, node));
  AdwMessageDialog *dialog;

  set_text (ow, "address_row", address);
  set_text (ow, "username_row", bk_sim_cluster_get_username (sim));
  set_text (ow, "password_row", bk_sim_cluster_get_password (sim));
  if (screenshots)
    bk_bridge_ui_test_screenshot (GTK_WIDGET (ow), "onboarding-1-connect");
  bk_bridge_ui_test_click (bk_bridge_ui_test_child (ow, "next_button"));

  bk_test_wait_until (connect_settled, ow, TIMEOUT_MS);
  dialog = bk_bridge_ui_test_find_dialog (GTK_WINDOW (ow));
  if (dialog != NULL)
    {
      GtkWidget *extra = adw_message_dialog_get_extra_child (dialog);
      GtkWidget *grid = bk_ui_test_find_by_type (extra, GTK_TYPE_GRID);
      g_autoptr(GPtrArray) cells = NULL;
      g_auto(GStrv) pairs = NULL;
      g_autoptr(GString) shown = g_string_new (NULL);

      /* The SHA-256 as a 4 x 8 grid of hex pairs, equal to the server's. */
      g_assert_nonnull (grid);
      g_assert_true (gtk_widget_has_css_class (grid, "fingerprint-grid"));
      cells = bk_ui_test_find_all_by_type (grid, GTK_TYPE_LABEL);
      g_assert_cmpuint (cells->len, ==, 32);
      for (guint i = 0; i < cells->len; i++)
        g_string_append (shown, gtk_label_get_text (g_ptr_array_index (cells, i)));
      {
        g_autofree char *lower = g_ascii_strdown (shown->str, -1);

        g_assert_cmpstr (lower, ==, bk_sim_cluster_get_certificate_sha256 (sim));
      }
      /* The reason in words: a self-signed certificate has no known authority. */
      {
        g_autofree char *reason = g_strdup_printf ("• %s", _("It is not signed by a known certificate authority (it may be self-signed)."));

        g_assert_nonnull (bk_ui_test_find_by_text (extra, reason));
      }
      g_assert_true (adw_message_dialog_has_response (dialog, "cancel"));
      g_assert_true (adw_message_dialog_has_response (dialog, "trust"));

      if (screenshots)
        bk_bridge_ui_test_screenshot (GTK_WIDGET (dialog), "onboarding-1-trust");
      adw_message_dialog_response (dialog, "trust");
      gtk_window_destroy (GTK_WINDOW (dialog));

      bk_test_wait_until (connect_settled, ow, TIMEOUT_MS);
      g_assert_null (bk_bridge_ui_test_find_dialog (GTK_WINDOW (ow)));
    }

  return g_strcmp0 (bk_onboarding_window_get_page (ow), "connect") != 0;
}

static void
close_assistant (BkOnboardingWindow *ow)
{
  g_autoptr(BkOnboardingWindow) hold = g_object_ref (ow);

  bk_bridge_ui_test_click (bk_bridge_ui_test_child (ow, "cancel_button"));
  bk_bridge_ui_test_wait_destroyed (ow);
}

/* Through the cluster page to the extended settings. */
static void
go_to_range (BkOnboardingWindow *ow,
             const char         *name,
             gboolean            screenshots)
{
  GtkWidget *next = bk_bridge_ui_test_child (ow, "next_button");
  GtkListBox *members;
  guint n_rows = 0;

  g_assert_true (connect_to_node (ow, 0, screenshots));
  wait_page (ow, "cluster");
  bk_test_wait_until (widget_sensitive, next, TIMEOUT_MS);

  /* The discovered call bridges of the cluster. */
  members = bk_bridge_ui_test_child (ow, "members_list");
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (members)); c; c = gtk_widget_get_next_sibling (c))
    n_rows++;
  g_assert_cmpuint (n_rows, ==, 2);
  g_assert_nonnull (bk_ui_test_find_by_text (GTK_WIDGET (members), bk_sim_cluster_get_node_name (sim, 1)));
  if (screenshots)
    bk_bridge_ui_test_screenshot (GTK_WIDGET (ow), "onboarding-2-cluster");
  bk_bridge_ui_test_click (next);

  wait_page (ow, "name");
  /* No name, no Next. */
  set_text (ow, "name_row", "");
  g_assert_false (gtk_widget_is_sensitive (next));
  set_text (ow, "name_row", name);
  if (screenshots)
    bk_bridge_ui_test_screenshot (GTK_WIDGET (ow), "onboarding-3-name");
  bk_bridge_ui_test_click (next);
  wait_page (ow, "range");
}

static void
test_validation (void)
{
  BkWindow *window = bk_ui_test_open_window ();
  BkOnboardingWindow *ow = open_assistant (window);
  GtkWidget *next = bk_bridge_ui_test_child (ow, "next_button");
  GtkWidget *domain_row = bk_bridge_ui_test_child (ow, "domain_row");
  GtkLabel *range_error = bk_bridge_ui_test_child (ow, "range_error");
  GtkLabel *connect_error = bk_bridge_ui_test_child (ow, "connect_error");
  guint requests;

  /* An address that is not one: said at once, inline, without a request. */
  requests = bk_sim_cluster_get_request_count (sim, -1, NULL, NULL);
  set_text (ow, "address_row", "10.0.0.5:99999");
  set_text (ow, "username_row", "admin");
  set_text (ow, "password_row", "x");
  bk_bridge_ui_test_click (next);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (connect_error)));
  g_assert_true (gtk_widget_has_css_class (bk_bridge_ui_test_child (ow, "address_row"), "error"));
  g_assert_cmpstr (bk_onboarding_window_get_page (ow), ==, "connect");
  /* Typing clears it. */
  set_text (ow, "address_row", "10.0.0.5");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (connect_error)));
  g_assert_false (gtk_widget_has_css_class (bk_bridge_ui_test_child (ow, "address_row"), "error"));
  g_assert_cmpuint (bk_sim_cluster_get_request_count (sim, -1, NULL, NULL), ==, requests);

  go_to_range (ow, "Validation Bridge", FALSE);

  /* A bad domain: the row turns red and a sentence says why, live. */
  gtk_editable_set_text (GTK_EDITABLE (domain_row), "bad domain!");
  g_assert_true (gtk_widget_has_css_class (domain_row, "error"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (range_error)));
  g_assert_cmpstr (gtk_label_get_text (range_error), !=, "");
  /* Next does not create anything with it. */
  requests = bk_sim_cluster_get_request_count (sim, -1, "POST", NULL);
  bk_bridge_ui_test_click (next);
  bk_test_spin (300);
  g_assert_cmpstr (bk_onboarding_window_get_page (ow), ==, "range");
  g_assert_cmpuint (bk_sim_cluster_get_request_count (sim, -1, "POST", NULL), ==, requests);
  bk_bridge_ui_test_screenshot (GTK_WIDGET (ow), "onboarding-4-range-invalid");

  /* A good one clears the error; the preview follows the fields. */
  gtk_editable_set_text (GTK_EDITABLE (domain_row), "acanolab2.example.com");
  g_assert_false (gtk_widget_has_css_class (domain_row, "error"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (range_error)));
  gtk_spin_button_set_value (bk_bridge_ui_test_child (ow, "base_spin"), 100);
  gtk_spin_button_set_value (bk_bridge_ui_test_child (ow, "quantity_spin"), 50);
  g_assert_nonnull (bk_ui_test_find_by_text (bk_bridge_ui_test_child (ow, "preview_list"), "TMS_Scheduled_Meeting_100"));
  g_assert_nonnull (bk_ui_test_find_by_text (bk_bridge_ui_test_child (ow, "preview_list"), "TMS_Scheduled_Meeting_149"));
  g_assert_null (bk_ui_test_find_by_text (bk_bridge_ui_test_child (ow, "preview_list"), "TMS_Scheduled_Meeting_1"));

  /* A space that already uses a number of the range: listed, nothing created. */
  g_free (bk_sim_cluster_add_cospace (sim, "Cool Bridge Space", "cool.bridge.space", "120"));
  requests = bk_sim_cluster_get_request_count (sim, -1, "POST", NULL);
  bk_bridge_ui_test_click (next);
  bk_test_wait_until (widget_visible, bk_bridge_ui_test_child (ow, "collisions_group"), TIMEOUT_MS);
  g_assert_nonnull (bk_ui_test_find_by_text (bk_bridge_ui_test_child (ow, "collisions_list"), "Cool Bridge Space"));
  g_assert_cmpstr (bk_onboarding_window_get_page (ow), ==, "range");
  g_assert_cmpuint (bk_sim_cluster_get_request_count (sim, -1, "POST", NULL), ==, requests);
  bk_bridge_ui_test_screenshot (GTK_WIDGET (ow), "onboarding-4-range-collision");

  /* A free range, but the bridge fails the bulk sync: the sentence and
   * Retry; Retry after the bridge recovers reserves the spaces. */
  gtk_spin_button_set_value (bk_bridge_ui_test_child (ow, "base_spin"), 200);
  gtk_spin_button_set_value (bk_bridge_ui_test_child (ow, "quantity_spin"), 4);
  bk_sim_cluster_add_fault (sim, "POST", "/api/v1/cospaceBulkSyncs", BK_SIM_FAULT_HTTP_500, 1.0, -1);
  bk_bridge_ui_test_click (next);
  wait_page (ow, "reserve");
  bk_test_wait_until (widget_visible, bk_bridge_ui_test_child (ow, "retry_button"), TIMEOUT_MS);
  g_assert_true (gtk_widget_get_visible (bk_bridge_ui_test_child (ow, "reserve_error")));
  g_assert_cmpstr (gtk_label_get_text (bk_bridge_ui_test_child (ow, "reserve_error")), !=, "");
  g_assert_false (gtk_widget_is_sensitive (next));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (ow), "onboarding-5-reserve-failed");
  bk_sim_cluster_clear_faults (sim);
  bk_bridge_ui_test_click (bk_bridge_ui_test_child (ow, "retry_button"));
  wait_page (ow, "failover");
  /* The 4 slots next to the person's space; nothing created twice. */
  g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (sim), ==, 5);

  close_assistant (ow);
  bk_bridge_ui_test_clear_store ();
  bk_sim_cluster_reset (sim);
  bk_ui_test_close_window (GTK_WINDOW (window));
}

static gboolean
page_has_status (gpointer data)
{
  BkBridge *bridge = bk_device_page_get_bridge (data);

  return bk_bridge_get_status (bridge) != NULL && !bk_bridge_get_busy (bridge) &&
         bk_device_get_last_checked (bk_bridge_get_device (bridge)) != NULL &&
         bk_device_get_reachability (bk_bridge_get_device (bridge)) == BK_REACHABILITY_REACHABLE;
}

static guint
count_rows (GtkWidget *list)
{
  guint n = 0;

  for (GtkWidget *c = gtk_widget_get_first_child (list); c; c = gtk_widget_get_next_sibling (c))
    if (GTK_IS_LIST_BOX_ROW (c))
      n++;
  return n;
}

static void
test_complete (void)
{
  BkWindow *window = bk_ui_test_open_window ();
  BkDeviceStore *store = bk_application_get_store (bk_ui_test_get_app ());
  BkOnboardingWindow *ow;
  GtkWidget *next;
  AdwComboRow *alternate;
  GtkListBox *bridge_list;
  GtkListBoxRow *selected;
  BkDevicePage *page;
  BkDevice *device;
  BkBridge *bridge;
  GtkWidget *tickets;
  GtkLabel *connect_error;
  guint n_nodes_rows;

  ow = open_assistant (window);
  next = bk_bridge_ui_test_child (ow, "next_button");
  go_to_range (ow, "CMS Core Primary", TRUE);

  gtk_editable_set_text (GTK_EDITABLE (bk_bridge_ui_test_child (ow, "domain_row")), "acanolab2.example.com");
  gtk_spin_button_set_value (bk_bridge_ui_test_child (ow, "base_spin"), 1);
  gtk_spin_button_set_value (bk_bridge_ui_test_child (ow, "quantity_spin"), 5);
  bk_bridge_ui_test_screenshot (GTK_WIDGET (ow), "onboarding-4-range");
  bk_bridge_ui_test_click (next);

  /* Reserve runs by itself and moves on to failover when done. */
  wait_page (ow, "reserve");
  bk_bridge_ui_test_screenshot (GTK_WIDGET (ow), "onboarding-5-reserve");
  wait_page (ow, "failover");
  g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (sim), ==, 5);

  /* "None" and the other call bridge (not the one being added). */
  alternate = bk_bridge_ui_test_child (ow, "alternate_row");
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (alternate)), ==, 2);
  adw_combo_row_set_selected (alternate, 1);
  /* The alternate's own user: not silently the primary's; the hint says
   * what an empty field means, naming the primary's user. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (bk_bridge_ui_test_child (ow, "alt_username_row"))), ==, "");
  g_assert_nonnull (strstr (gtk_label_get_text (bk_bridge_ui_test_child (ow, "failover_hint")),
                            bk_sim_cluster_get_username (sim)));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (ow), "onboarding-6-failover");
  g_object_ref (ow);
  bk_bridge_ui_test_click (next);
  bk_bridge_ui_test_wait_destroyed (ow);
  g_object_unref (ow);

  /* The sidebar lists the bridge, selected, and its page is shown. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  bridge_list = bk_bridge_ui_test_child (window, "bridge_list");
  g_assert_cmpuint (count_rows (GTK_WIDGET (bridge_list)), ==, 1);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (bk_bridge_ui_test_child (window, "sidebar_stack")), ==, "list");
  selected = gtk_list_box_get_selected_row (bridge_list);
  g_assert_true (BK_IS_BRIDGE_ROW (selected));
  page = bk_window_get_device_page (window);
  g_assert_nonnull (page);
  device = bk_device_page_get_device (page);
  g_assert_true (bk_bridge_row_get_device (BK_BRIDGE_ROW (selected)) == device);
  g_assert_cmpstr (bk_device_get_name (device), ==, "CMS Core Primary");
  g_assert_cmpstr (adw_window_title_get_title (bk_bridge_ui_test_child (window, "content_title")), ==, "CMS Core Primary");
  g_assert_cmpint (bk_device_get_onboarding_stage (device), ==, BK_ONBOARDING_STAGE_COMPLETE);
  g_assert_cmpuint (bk_device_get_numeric_id_quantity (device), ==, 5);
  g_assert_cmpstr (bk_device_get_domain (device), ==, "acanolab2.example.com");

  /* The alternate chosen in step 6 is saved on the device. */
  g_assert_cmpstr (bk_device_get_alternate_member_id (device), ==, bk_sim_cluster_get_node_id (sim, 1));

  /* Summary: no tickets (TMS's sentence shown), after a full check. */
  bridge = bk_device_page_get_bridge (page);

  /* The Logs tab has the onboarding's requests: the profiles, the
   * parameter set and the slots. */
  {
    GListModel *log = bk_device_page_get_log_model (page);
    const char *wanted[] = { "/callProfiles", "/callLegProfiles", "/cospaceBulkParameterSets", "/cospaceBulkSyncs" };

    for (guint w = 0; w < G_N_ELEMENTS (wanted); w++)
      {
        gboolean found = FALSE;

        for (guint i = 0; i < g_list_model_get_n_items (log) && !found; i++)
          {
            g_autoptr(BkCmsLogEntry) entry = g_list_model_get_item (log, i);

            found = g_str_equal (bk_cms_log_entry_get_method (entry), "POST") &&
                    g_str_has_suffix (bk_cms_log_entry_get_path (entry), wanted[w]);
          }
        if (!found)
          g_error ("POST %s is not in the Logs tab", wanted[w]);
      }
  }
  bk_test_wait_until (page_has_status, page, TIMEOUT_MS);
  g_assert_cmpuint (g_list_model_get_n_items (bk_bridge_get_tickets (bridge)), ==, 0);
  tickets = bk_bridge_ui_test_child (page, "tickets_list");
  g_assert_cmpuint (count_rows (tickets), ==, 0);
  g_assert_nonnull (bk_ui_test_find_by_text (tickets, _("System has no open or acknowledged tickets")));
  bk_ui_test_wait_mapped (bk_ui_test_find_by_text (tickets, _("System has no open or acknowledged tickets")));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "onboarding-7-done");

  /* Clustering lists both call bridges. */
  bk_device_page_show_tab (page, "clustering", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (bk_bridge_get_cluster_nodes (bridge)), ==, 2);
  n_nodes_rows = count_rows (bk_bridge_ui_test_child (page, "nodes_list"));
  g_assert_cmpuint (n_nodes_rows, ==, 2);
  g_assert_nonnull (bk_ui_test_find_by_text (bk_bridge_ui_test_child (page, "nodes_list"), _("Alternate")));
  bk_device_page_show_tab (page, "summary", NULL);

  /* Refusal: node 1 belongs to the cluster just added (TMS's sentence). */
  ow = open_assistant (window);
  connect_error = bk_bridge_ui_test_child (ow, "connect_error");
  g_assert_false (connect_to_node (ow, 1, FALSE));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (connect_error)));
  {
    g_autofree char *address0 = g_strdup_printf ("127.0.0.1:%u", bk_sim_cluster_get_node_port (sim, 0));
    g_autofree char *address1 = g_strdup_printf ("127.0.0.1:%u", bk_sim_cluster_get_node_port (sim, 1));
    g_autofree char *expected = g_strdup_printf (_("The %s is part of a clustered call bridge and has already been added through %s. Retry after entering a new IP."),
                                                 address1, address0);

    /* TMS's sentence, word for word. */
    g_assert_cmpstr (gtk_label_get_text (connect_error), ==, expected);
  }
  g_assert_true (gtk_widget_has_css_class (bk_bridge_ui_test_child (ow, "address_row"), "error"));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (ow), "onboarding-refusal");
  close_assistant (ow);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);

  bk_bridge_ui_test_clear_store ();
  g_assert_cmpstr (gtk_stack_get_visible_child_name (bk_bridge_ui_test_child (window, "sidebar_stack")), ==, "empty");
  g_assert_null (bk_window_get_device_page (window));
  bk_sim_cluster_reset (sim);
  bk_ui_test_close_window (GTK_WINDOW (window));
}

/* Node 2's own API user, as real clusters may have. */
#define NODE2_USERNAME "tms-core2"
#define NODE2_PASSWORD "core2-Secret"

static gboolean
dialog_or_error (gpointer data)
{
  BkOnboardingWindow *ow = data;

  return bk_bridge_ui_test_find_dialog (GTK_WINDOW (ow)) != NULL ||
         gtk_widget_get_visible (bk_bridge_ui_test_child (ow, "failover_error"));
}

static gboolean
failover_error_shown (gpointer data)
{
  return gtk_widget_get_visible (bk_bridge_ui_test_child (data, "failover_error")) &&
         !gtk_widget_get_visible (bk_bridge_ui_test_child (data, "finish_progress"));
}

/* The fingerprint shown in a trust or re-pin dialog's first grid. */
static char *
dialog_fingerprint (AdwMessageDialog *dialog)
{
  GtkWidget *grid = bk_ui_test_find_by_type (adw_message_dialog_get_extra_child (dialog), GTK_TYPE_GRID);
  g_autoptr(GPtrArray) cells = NULL;
  g_autoptr(GString) shown = g_string_new (NULL);

  g_assert_nonnull (grid);
  cells = bk_ui_test_find_all_by_type (grid, GTK_TYPE_LABEL);
  g_assert_cmpuint (cells->len, ==, 32);
  for (guint i = 0; i < cells->len; i++)
    g_string_append (shown, gtk_label_get_text (g_ptr_array_index (cells, i)));
  return g_ascii_strdown (shown->str, -1);
}

static gboolean
alternate_ticket_shown (gpointer data)
{
  BkBridge *bridge = bk_device_page_get_bridge (data);
  GListModel *tickets = bk_bridge_get_tickets (bridge);

  for (guint i = 0; i < g_list_model_get_n_items (tickets); i++)
    {
      g_autoptr(BkTicket) t = g_list_model_get_item (tickets, i);

      if (bk_ticket_get_kind (t) == BK_TICKET_KIND_ALTERNATE_UNREACHABLE)
        return TRUE;
    }
  return FALSE;
}

static gboolean
no_tickets_after_check (gpointer data)
{
  BkBridge *bridge = bk_device_page_get_bridge (data);

  return !bk_bridge_get_busy (bridge) && g_list_model_get_n_items (bk_bridge_get_tickets (bridge)) == 0 &&
         bk_device_get_alternate_reachability (bk_bridge_get_device (bridge)) == BK_REACHABILITY_REACHABLE;
}

static gboolean
device_has_no_alternate (gpointer data)
{
  return *bk_device_get_alternate_member_id (data) == '\0' && !bk_device_has_alternate (data);
}

/* The member id is set last, once the password is stored. */
static gboolean
device_has_alternate (gpointer data)
{
  return *bk_device_get_alternate_member_id (data) != '\0';
}

static gboolean
row_has_error (gpointer data)
{
  return gtk_widget_has_css_class (data, "error");
}

/* A cluster whose nodes have their own certificates and their own API
 * users: node 2's certificate is shown and trusted on its own, its user is
 * the one entered for it, and the finished bridge has no ticket. */
static void
test_cluster_trust (void)
{
  BkSimCluster *shared = sim;
  g_autoptr(GError) error = NULL;
  BkWindow *window;
  BkOnboardingWindow *ow;
  AdwMessageDialog *dialog;
  GtkWidget *next;
  GtkLabel *failover_error;
  BkDevicePage *page;
  BkDevice *device;
  BkBridge *bridge;
  GListModel *nodes;
  g_autofree char *node2_address = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *old_node2_pin = NULL;
  g_autofree char *primary_pin = NULL;

  sim = bk_sim_cluster_new (2);
  bk_sim_cluster_set_tls (sim, TRUE);
  bk_sim_cluster_set_per_node_certificates (sim, TRUE);
  bk_sim_cluster_set_node_credentials (sim, 1, NODE2_USERNAME, NODE2_PASSWORD);
  bk_sim_cluster_set_bulk_sync_delay (sim, 100);
  g_assert_true (bk_sim_cluster_start (sim, &error));
  g_assert_no_error (error);
  node2_address = g_strdup_printf ("127.0.0.1:%u", bk_sim_cluster_get_node_port (sim, 1));

  window = bk_ui_test_open_window ();
  ow = open_assistant (window);
  next = bk_bridge_ui_test_child (ow, "next_button");
  failover_error = bk_bridge_ui_test_child (ow, "failover_error");
  go_to_range (ow, "CMS Core Primary", FALSE);
  gtk_editable_set_text (GTK_EDITABLE (bk_bridge_ui_test_child (ow, "domain_row")), "acanolab2.example.com");
  gtk_spin_button_set_value (bk_bridge_ui_test_child (ow, "base_spin"), 1);
  gtk_spin_button_set_value (bk_bridge_ui_test_child (ow, "quantity_spin"), 3);
  bk_bridge_ui_test_click (next);
  wait_page (ow, "failover");

  adw_combo_row_set_selected (bk_bridge_ui_test_child (ow, "alternate_row"), 1);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (bk_bridge_ui_test_child (ow, "alt_username_row"))), ==, "");

  /* Finish with nothing entered: node 2 is contacted first and shows its
   * own certificate, in the same dialog as the primary's, naming it. */
  bk_bridge_ui_test_click (next);
  bk_test_wait_until (dialog_or_error, ow, TIMEOUT_MS);
  dialog = bk_bridge_ui_test_find_dialog (GTK_WINDOW (ow));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (bk_onboarding_window_get_page (ow), ==, "failover");
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), bk_sim_cluster_get_node_name (sim, 1)));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), bk_sim_cluster_get_node_name (sim, 1)));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), node2_address));
  shown = dialog_fingerprint (dialog);
  g_assert_cmpstr (shown, ==, bk_sim_cluster_get_node_certificate_sha256 (sim, 1));
  g_assert_cmpstr (shown, !=, bk_sim_cluster_get_node_certificate_sha256 (sim, 0));
  g_assert_true (adw_message_dialog_has_response (dialog, "trust"));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (dialog), "onboarding-6-trust-node2");
  adw_message_dialog_response (dialog, "trust");
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* Node 2 does not know the primary's user: said inline, on the
   * alternate's fields, naming node 2; nothing finished. */
  bk_test_wait_until (failover_error_shown, ow, TIMEOUT_MS);
  g_assert_null (bk_bridge_ui_test_find_dialog (GTK_WINDOW (ow)));
  g_assert_cmpstr (bk_onboarding_window_get_page (ow), ==, "failover");
  g_assert_nonnull (strstr (gtk_label_get_text (failover_error), bk_sim_cluster_get_node_name (sim, 1)));
  g_assert_true (gtk_widget_has_css_class (bk_bridge_ui_test_child (ow, "alt_username_row"), "error"));
  g_assert_true (gtk_widget_has_css_class (bk_bridge_ui_test_child (ow, "alt_password_row"), "error"));
  g_assert_true (gtk_widget_is_sensitive (next));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (ow), "onboarding-6-alternate-refused");

  /* A user name without its password: said at once, no request. */
  set_text (ow, "alt_username_row", NODE2_USERNAME);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (failover_error)));
  g_assert_false (gtk_widget_has_css_class (bk_bridge_ui_test_child (ow, "alt_username_row"), "error"));
  bk_bridge_ui_test_click (next);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (failover_error)));
  g_assert_true (gtk_widget_has_css_class (bk_bridge_ui_test_child (ow, "alt_password_row"), "error"));

  /* Its own user and password: no second question about the certificate. */
  set_text (ow, "alt_password_row", NODE2_PASSWORD);
  g_object_ref (ow);
  bk_bridge_ui_test_click (next);
  bk_bridge_ui_test_wait_destroyed (ow);
  g_object_unref (ow);

  page = bk_window_get_device_page (window);
  g_assert_nonnull (page);
  device = bk_device_page_get_device (page);
  g_assert_cmpint (bk_device_get_onboarding_stage (device), ==, BK_ONBOARDING_STAGE_COMPLETE);
  g_assert_cmpstr (bk_device_get_certificate_pin (device), ==, bk_sim_cluster_get_node_certificate_sha256 (sim, 0));
  g_assert_cmpstr (bk_device_get_alternate_certificate_pin (device), ==, bk_sim_cluster_get_node_certificate_sha256 (sim, 1));
  g_assert_cmpstr (bk_device_get_alternate_username (device), ==, NODE2_USERNAME);

  /* No ticket about the alternate; Clustering agrees with the Summary. */
  bridge = bk_device_page_get_bridge (page);
  bk_test_wait_until (page_has_status, page, TIMEOUT_MS);
  bk_test_wait_until (no_tickets_after_check, page, TIMEOUT_MS);
  g_assert_cmpuint (count_rows (bk_bridge_ui_test_child (page, "tickets_list")), ==, 0);
  nodes = bk_bridge_get_cluster_nodes (bridge);
  for (guint i = 0; i < g_list_model_get_n_items (nodes); i++)
    {
      g_autoptr(BkClusterNode) node = g_list_model_get_item (nodes, i);

      if (bk_cluster_node_get_alternate (node))
        g_assert_cmpint (bk_cluster_node_get_reachability (node), ==, BK_REACHABILITY_REACHABLE);
    }

  /* The device page's alternate settings: node 2's own user shown; node 2
   * chosen again with nothing entered is contacted and refuses the
   * primary's user (nothing saved); with its own user it is saved. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "device.edit-settings", NULL));
  {
    GtkWidget *edit = bk_bridge_ui_test_child (page, "edit_settings_page");
    AdwComboRow *alternate = ADW_COMBO_ROW (bk_ui_test_find_by_text (edit, _("Alternate IP")));
    GtkWidget *user_row = bk_ui_test_find_by_text (edit, _("Alternate IP Username"));
    GtkWidget *password_row = bk_ui_test_find_by_text (edit, _("Alternate IP Password"));
    GtkWidget *save = bk_ui_test_find_by_text (edit, _("_Save"));

    g_assert_true (ADW_IS_ENTRY_ROW (user_row));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (user_row)), ==, NODE2_USERNAME);
    g_assert_cmpuint (adw_combo_row_get_selected (alternate), ==, 1);

    adw_combo_row_set_selected (alternate, 0);
    bk_bridge_ui_test_click (save);
    bk_test_wait_until (device_has_no_alternate, device, TIMEOUT_MS);

    adw_combo_row_set_selected (alternate, 1);
    gtk_editable_set_text (GTK_EDITABLE (user_row), "");
    bk_bridge_ui_test_click (save);
    bk_test_wait_until (row_has_error, user_row, TIMEOUT_MS);
    g_assert_null (bk_bridge_ui_test_find_dialog (GTK_WINDOW (window)));
    g_assert_false (bk_device_has_alternate (device));
    gtk_widget_grab_focus (password_row);
    bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "device-settings-alternate-refused");

    gtk_editable_set_text (GTK_EDITABLE (user_row), NODE2_USERNAME);
    gtk_editable_set_text (GTK_EDITABLE (password_row), NODE2_PASSWORD);
    bk_bridge_ui_test_click (save);
    bk_test_wait_until (device_has_alternate, device, TIMEOUT_MS);
    /* Trusted before in this session: not asked again. */
    g_assert_null (bk_bridge_ui_test_find_dialog (GTK_WINDOW (window)));
    g_assert_cmpstr (bk_device_get_alternate_certificate_pin (device), ==, bk_sim_cluster_get_node_certificate_sha256 (sim, 1));
    g_assert_cmpstr (bk_device_get_alternate_username (device), ==, NODE2_USERNAME);
  }
  bk_device_page_show_tab (page, "summary", NULL);
  bk_test_wait_until (no_tickets_after_check, page, TIMEOUT_MS);

  /* Node 2's certificate changes: refused, with an alarming ticket naming
   * node 2; reviewing it shows both fingerprints; trusting it pins node 2
   * only. */
  old_node2_pin = g_strdup (bk_device_get_alternate_certificate_pin (device));
  primary_pin = g_strdup (bk_device_get_certificate_pin (device));
  g_assert_true (bk_sim_cluster_replace_node_certificate (sim, 1, &error));
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "device.check-now", NULL));
  bk_test_wait_until (alternate_ticket_shown, page, TIMEOUT_MS);
  {
    GtkWidget *tickets = bk_bridge_ui_test_child (page, "tickets_list");
    GtkWidget *button = bk_ui_test_find_by_text (tickets, _("Review Certificate"));
    g_autofree char *new_pin = NULL;

    g_autoptr(BkTicket) ticket = g_list_model_get_item (bk_bridge_get_tickets (bridge), 0);

    /* The only ticket: node 2's certificate, an error naming node 2. */
    g_assert_cmpuint (g_list_model_get_n_items (bk_bridge_get_tickets (bridge)), ==, 1);
    g_assert_cmpint (bk_ticket_get_severity (ticket), ==, BK_TICKET_SEVERITY_ERROR);
    g_assert_nonnull (strstr (bk_ticket_get_sentence (ticket), bk_sim_cluster_get_node_name (sim, 1)));
    g_assert_nonnull (button);
    bk_ui_test_wait_mapped (button);
    bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "device-summary-alternate-changed");
    bk_bridge_ui_test_click (button);
    dialog = bk_bridge_ui_test_wait_dialog (GTK_WINDOW (window));
    g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), bk_sim_cluster_get_node_name (sim, 1)));
    g_assert_true (adw_message_dialog_has_response (dialog, "repin"));
    new_pin = dialog_fingerprint (dialog);
    g_assert_cmpstr (new_pin, ==, bk_sim_cluster_get_node_certificate_sha256 (sim, 1));
    bk_bridge_ui_test_screenshot (GTK_WIDGET (dialog), "device-repin-node2");
    adw_message_dialog_response (dialog, "repin");
    gtk_window_destroy (GTK_WINDOW (dialog));
  }
  g_assert_cmpstr (bk_device_get_alternate_certificate_pin (device), ==, bk_sim_cluster_get_node_certificate_sha256 (sim, 1));
  g_assert_cmpstr (bk_device_get_alternate_certificate_pin (device), !=, old_node2_pin);
  g_assert_cmpstr (bk_device_get_certificate_pin (device), ==, primary_pin);
  bk_test_wait_until (no_tickets_after_check, page, TIMEOUT_MS);

  bk_bridge_ui_test_clear_store ();
  bk_ui_test_close_window (GTK_WINDOW (window));
  bk_sim_cluster_stop (sim);
  g_clear_object (&sim);
  sim = shared;
}

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
got_result (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  ((Wait *) data)->result = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return ((Wait *) data)->result != NULL;
}

static gboolean
revealed (gpointer data)
{
  return gtk_revealer_get_reveal_child (data);
}

static gboolean
not_revealed (gpointer data)
{
  return !gtk_revealer_get_reveal_child (data);
}

static void
test_resume (void)
{
  BkApplication *app = bk_ui_test_get_app ();
  BkDeviceStore *store = bk_application_get_store (app);
  BkWindow *window = bk_ui_test_open_window ();
  g_autoptr(BkOnboarding) partial = bk_onboarding_new (store, bk_application_get_secrets (app));
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", bk_sim_cluster_get_node_port (sim, 0));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) members = NULL;
  GtkWindow *except[] = { GTK_WINDOW (window), NULL };
  BkOnboardingWindow *ow;
  BkDevicePage *page;
  BkDevice *device;
  GtkWidget *next;
  Wait wait = { NULL };

  /* An onboarding interrupted after the cluster was discovered (the app
   * closed, say): the bridge is listed, its set-up not finished. */
  bk_onboarding_trust_certificate (partial, bk_sim_cluster_get_certificate_sha256 (sim));
  bk_onboarding_connect_async (partial, address, bk_sim_cluster_get_username (sim),
                               bk_sim_cluster_get_password (sim), NULL, got_result, &wait);
  bk_test_wait_until (has_result, &wait, TIMEOUT_MS);
  g_assert_true (bk_onboarding_connect_finish (partial, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  bk_onboarding_discover_async (partial, NULL, got_result, &wait);
  bk_test_wait_until (has_result, &wait, TIMEOUT_MS);
  members = bk_onboarding_discover_finish (partial, wait.result, &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  device = bk_onboarding_get_device (partial);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_cmpint (bk_device_get_onboarding_stage (device), <, BK_ONBOARDING_STAGE_COMPLETE);
  g_clear_object (&partial);

  /* Its page says so and offers to continue. */
  bk_window_select_device (window, device);
  page = bk_window_get_device_page (window);
  g_assert_nonnull (page);
  bk_test_wait_until (revealed, bk_bridge_ui_test_child (page, "setup_revealer"), TIMEOUT_MS);
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "device-setup-not-finished");
  bk_bridge_ui_test_click (bk_bridge_ui_test_child (page, "continue_button"));
  ow = BK_ONBOARDING_WINDOW (bk_ui_test_wait_for_toplevel (BK_TYPE_ONBOARDING_WINDOW, except, TIMEOUT_MS));

  /* Pre-filled; the stored password is used when none is typed. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (bk_bridge_ui_test_child (ow, "address_row"))), ==, address);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (bk_bridge_ui_test_child (ow, "username_row"))), ==,
                   bk_sim_cluster_get_username (sim));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (bk_bridge_ui_test_child (ow, "password_row"))), ==, "");
  next = bk_bridge_ui_test_child (ow, "next_button");
  bk_bridge_ui_test_click (next);
  bk_test_wait_until (connect_settled, ow, TIMEOUT_MS);
  if (gtk_widget_get_visible (bk_bridge_ui_test_child (ow, "connect_error")))
    {
      /* No keyring in this session: the sentence asks for the password. */
      g_test_message ("resume without a stored password: %s",
                      gtk_label_get_text (bk_bridge_ui_test_child (ow, "connect_error")));
      set_text (ow, "password_row", bk_sim_cluster_get_password (sim));
      bk_bridge_ui_test_click (next);
    }
  wait_page (ow, "cluster");
  bk_test_wait_until (widget_sensitive, next, TIMEOUT_MS);
  bk_bridge_ui_test_click (next);
  wait_page (ow, "name");
  set_text (ow, "name_row", "Resumed Bridge");
  bk_bridge_ui_test_click (next);
  wait_page (ow, "range");
  gtk_editable_set_text (GTK_EDITABLE (bk_bridge_ui_test_child (ow, "domain_row")), "resumed.example.com");
  gtk_spin_button_set_value (bk_bridge_ui_test_child (ow, "base_spin"), 1);
  gtk_spin_button_set_value (bk_bridge_ui_test_child (ow, "quantity_spin"), 3);
  bk_bridge_ui_test_click (next);
  wait_page (ow, "failover");
  g_object_ref (ow);
  bk_bridge_ui_test_click (next);
  bk_bridge_ui_test_wait_destroyed (ow);
  g_object_unref (ow);

  /* The same device, finished: no duplicate, no banner, the slots once. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_cmpint (bk_device_get_onboarding_stage (device), ==, BK_ONBOARDING_STAGE_COMPLETE);
  g_assert_cmpstr (bk_device_get_name (device), ==, "Resumed Bridge");
  g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (sim), ==, 3);
  g_assert_true (bk_window_get_device_page (window) == page);
  bk_test_wait_until (not_revealed, bk_bridge_ui_test_child (page, "setup_revealer"), TIMEOUT_MS);

  bk_bridge_ui_test_clear_store ();
  bk_sim_cluster_reset (sim);
  bk_ui_test_close_window (GTK_WINDOW (window));
}

static void
test_cancel (void)
{
  BkWindow *window = bk_ui_test_open_window ();
  BkDeviceStore *store = bk_application_get_store (bk_ui_test_get_app ());
  BkOnboardingWindow *ow = open_assistant (window);

  /* Cancel while the bridge does not answer: nothing is added, no hang. */
  bk_sim_cluster_add_fault (sim, NULL, "/api/v1/system/status", BK_SIM_FAULT_NO_ANSWER, 1.0, -1);
  bk_onboarding_trust_certificate (bk_onboarding_window_get_onboarding (ow), bk_sim_cluster_get_certificate_sha256 (sim));
  {
    g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", bk_sim_cluster_get_node_port (sim, 0));

    set_text (ow, "address_row", address);
  }
  set_text (ow, "username_row", bk_sim_cluster_get_username (sim));
  set_text (ow, "password_row", bk_sim_cluster_get_password (sim));
  bk_bridge_ui_test_click (bk_bridge_ui_test_child (ow, "next_button"));
  bk_test_wait_until (widget_visible, bk_bridge_ui_test_child (ow, "connect_progress"), TIMEOUT_MS);
  g_assert_false (gtk_widget_is_sensitive (bk_bridge_ui_test_child (ow, "next_button")));
  close_assistant (ow);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);

  bk_sim_cluster_clear_faults (sim);
  bk_ui_test_close_window (GTK_WINDOW (window));
}


typedef struct
{
  GtkLabel   *label;
  const char *text;
} LabelWait;

static gboolean
label_says (gpointer data)
{
  LabelWait *wait = data;

  return g_strcmp0 (gtk_label_get_text (wait->label), wait->text) == 0;
}

/* No keyring yet: the password is stored after discovery, and the keyring
 * shows its own prompt to choose the new keyring's password. The assistant
 * says so (not "looking for call bridges") and waits for the person, who
 * takes five times the keyring timeout to answer; the password is then in
 * the keyring and the set-up goes on. (A throwaway Secret Service on the
 * child's own bus: tests/bk-fake-keyring.c.) */
static void
test_keyring_prompt (void)
{
  if (g_test_subprocess ())
    {
      GTestDBus *bus = g_test_dbus_new (G_TEST_DBUS_NONE);  /* lives as long as the child */
      BkFakeKeyring *keyring;
      BkWindow *window;
      BkSecrets *secrets;
      BkOnboardingWindow *ow;
      BkDevice *device;
      LabelWait waiting;
      g_autofree char *stored = NULL;

      g_test_dbus_up (bus);
      keyring = bk_fake_keyring_start (g_test_dbus_get_bus_address (bus), FALSE, FALSE,
                                       BK_FAKE_PERSON_ANSWERS, 1500);
      window = bk_ui_test_open_window ();
      secrets = bk_application_get_secrets (bk_ui_test_get_app ());
      bk_secrets_set_timeout (secrets, 300);

      ow = open_assistant (window);
      g_assert_true (connect_to_node (ow, 0, FALSE));
      waiting.label = bk_bridge_ui_test_child (ow, "cluster_progress_label");
      waiting.text = _("Waiting for the keyring: answer its dialog to save the password…");
      bk_test_wait_until (label_says, &waiting, TIMEOUT_MS);
      g_assert_true (bk_secrets_is_prompting (secrets));
      bk_bridge_ui_test_screenshot (GTK_WIDGET (ow), "onboarding-keyring-prompt");

      /* Answered: the set-up goes on, the line says what it said. */
      wait_page (ow, "cluster");
      bk_test_wait_until (widget_sensitive, bk_bridge_ui_test_child (ow, "next_button"), TIMEOUT_MS);
      g_assert_false (bk_secrets_is_prompting (secrets));
      g_assert_cmpstr (gtk_label_get_text (waiting.label), ==, _("Looking for the other call bridges of its cluster…"));
      device = bk_onboarding_get_device (bk_onboarding_window_get_onboarding (ow));
      stored = bk_fake_keyring_find_password (keyring, bk_device_get_id (device), "primary");
      g_assert_cmpstr (stored, ==, bk_sim_cluster_get_password (sim));
      g_assert_cmpuint (keyring->n_prompts, ==, 1);
      g_assert_true (bk_secrets_is_persistent (secrets));

      close_assistant (ow);
      return;
    }

  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr_unmatched ("*did not answer*");
}

int
main (int    argc,
      char **argv)
{
  int status;

  bk_ui_test_init (&argc, &argv);
  sim = bk_bridge_ui_test_start_sim (2);

  g_test_add_func ("/onboarding-ui/validation", test_validation);
  g_test_add_func ("/onboarding-ui/complete", test_complete);
  g_test_add_func ("/onboarding-ui/cluster-trust", test_cluster_trust);
  g_test_add_func ("/onboarding-ui/resume", test_resume);
  g_test_add_func ("/onboarding-ui/cancel", test_cancel);
  g_test_add_func ("/onboarding-ui/keyring-prompt", test_keyring_prompt);

  status = g_test_run ();

  bk_sim_cluster_stop (sim);
  g_clear_object (&sim);
  return status;
}
