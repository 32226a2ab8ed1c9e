/* test-device-page.c: a listed bridge's page on the simulator: the tabs
 * filled, a range change through Extended Settings, removal with clean-up
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestDevicePage"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "bk-bridge-ui-test.h"
#include "bk-format.h"
#include "bk-tickets.h"
#include "bk-value-row.h"

#define TIMEOUT_MS BK_BRIDGE_UI_TEST_TIMEOUT_MS

static BkSimCluster *sim;

static gboolean
page_checked (gpointer data)
{
  BkBridge *bridge = bk_device_page_get_bridge (data);

  return bk_bridge_get_status (bridge) != NULL && !bk_bridge_get_busy (bridge) &&
         bk_device_get_last_checked (bk_bridge_get_device (bridge)) != NULL &&
         bk_device_get_reachability (bk_bridge_get_device (bridge)) == BK_REACHABILITY_REACHABLE &&
         g_list_model_get_n_items (bk_bridge_get_cluster_nodes (bridge)) == 2;
}

static const char *
row_value (GtkWidget  *root,
           const char *title)
{
  GtkWidget *row = bk_ui_test_find_by_text (root, _(title));
  GtkLabel *value;

  g_assert_nonnull (row);
  if (BK_IS_VALUE_ROW (row))
    return bk_value_row_get_value (BK_VALUE_ROW (row));
  value = g_object_get_data (G_OBJECT (row), "bk-value");
  g_assert_nonnull (value);
  return gtk_label_get_text (value);
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

static BkDevicePage *
open_page (BkWindow **out_window,
           BkDevice **out_device)
{
  BkWindow *window = bk_ui_test_open_window ();
  BkDevice *device = bk_bridge_ui_test_onboard (sim, "CMS Core Primary", "acanolab2.example.com", 5);
  BkDevicePage *page;

  bk_window_select_device (window, device);
  page = bk_window_get_device_page (window);
  g_assert_nonnull (page);
  g_assert_true (bk_device_page_get_device (page) == device);
  bk_test_wait_until (page_checked, page, TIMEOUT_MS);

  *out_window = window;
  *out_device = device;
  return page;
}

static gboolean
no_alternate (gpointer data)
{
  return !bk_device_has_alternate (data) && *bk_device_get_alternate_member_id (data) == '\0';
}

static gboolean
has_alternate (gpointer data)
{
  /* The member id is the last thing saved. */
  return *bk_device_get_alternate_member_id (data) != '\0';
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_IS_REGULAR);
}

static gboolean
uptime_like (const char *text)
{
  return g_regex_match_simple ("^([0-9]+d, )?[0-9][0-9]:[0-5][0-9]:[0-5][0-9]$", text, 0, 0);
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} TextWait;

static gboolean
text_shown (gpointer data)
{
  TextWait *wait = data;

  return bk_ui_test_find_by_text (wait->root, wait->text) != NULL;
}

static void
test_tabs (void)
{
  BkWindow *window;
  BkDevice *device;
  BkDevicePage *page = open_page (&window, &device);
  GtkWidget *status_group = bk_bridge_ui_test_child (page, "status_group");
  GListModel *log;
  guint n_all;
  const char *uptime;

  /* The page fits a phone-sized window (the window's own minimum). */
  {
    int min_width = 0;

    gtk_widget_measure (GTK_WIDGET (page), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
    g_test_message ("device page minimum width: %d", min_width);
    g_assert_cmpint (min_width, <=, 360);
  }

  /* Header as TMS shows it. */
  g_assert_cmpstr (gtk_label_get_text (bk_bridge_ui_test_child (page, "name_label")), ==, "CMS Core Primary");
  g_assert_cmpstr (gtk_label_get_text (bk_bridge_ui_test_child (page, "status_label")), ==, _("Idle"));
  g_assert_cmpstr (gtk_label_get_text (bk_bridge_ui_test_child (page, "connectivity_label")), ==, _("Reachable"));
  g_assert_cmpstr (gtk_label_get_text (bk_bridge_ui_test_child (page, "last_checked_label")), !=, _("Never checked"));
  g_assert_cmpstr (gtk_label_get_text (bk_bridge_ui_test_child (page, "last_checked_label")), !=, "");

  /* Summary: status rows, uptime in TMS's format. */
  uptime = row_value (status_group, "Call Bridge Uptime");
  {
    const BkCmsSystemStatus *status = bk_bridge_get_status (bk_device_page_get_bridge (page));
    g_autofree char *expected = bk_format_uptime (status->uptime_seconds);

    g_assert_cmpstr (uptime, ==, expected);
    /* TMS's shape, in English (test-format checks the formatter itself). */
    if (g_str_equal (_("Idle"), "Idle"))
      g_assert_true (uptime_like (uptime));
  }
  g_assert_cmpstr (row_value (status_group, "CallLegs Active"), ==, "0");
  {
    g_autofree char *zero_rate = g_strdup_printf (_("%s kbit/s"), "0");

    g_assert_cmpstr (row_value (status_group, "Audio Bit Rate Outgoing"), ==, zero_rate);
    g_assert_cmpstr (row_value (status_group, "Video Bit Rate Incoming"), ==, zero_rate);
  }
  g_assert_nonnull (bk_ui_test_find_by_text (GTK_WIDGET (page), _("There are no bookings for this system in the next 7 days.")));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "device-summary");

  /* Settings: the view shows the saved values; Edit holds them. */
  bk_device_page_show_tab (page, "settings", "view");
  g_assert_cmpstr (row_value (bk_bridge_ui_test_child (page, "view_settings_page"), "Domain"), ==, "acanolab2.example.com");
  g_assert_cmpstr (row_value (bk_bridge_ui_test_child (page, "view_settings_page"), "Numeric ID Quantity"), ==, "5");
  g_assert_cmpstr (row_value (bk_bridge_ui_test_child (page, "view_settings_page"), "System Type"), ==, _("Cisco Meeting Server"));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "device-settings-view");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "device.edit-settings", NULL));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (bk_bridge_ui_test_child (page, "settings_stack")), ==, "edit");
  {
    GtkWidget *edit = bk_bridge_ui_test_child (page, "edit_settings_page");
    GtkWidget *name = bk_ui_test_find_by_text (edit, _("Name"));
    AdwComboRow *alternate = ADW_COMBO_ROW (bk_ui_test_find_by_text (edit, _("Alternate IP")));

    g_assert_true (ADW_IS_ENTRY_ROW (name));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, "CMS Core Primary");
    /* The alternate chosen at onboarding is selected among the members. */
    g_assert_cmpuint (adw_combo_row_get_selected (alternate), ==, 1);
    bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "device-settings-edit");

    /* Saving a new name reaches the device (and the window title). */
    gtk_editable_set_text (GTK_EDITABLE (name), "CMS Core One");
    bk_bridge_ui_test_click (bk_ui_test_find_by_text (edit, _("_Save")));
    g_assert_cmpstr (bk_device_get_name (device), ==, "CMS Core One");
    g_assert_cmpstr (adw_window_title_get_title (bk_bridge_ui_test_child (window, "content_title")), ==, "CMS Core One");

    /* Network Settings: no alternate, then the other call bridge again. */
    adw_combo_row_set_selected (alternate, 0);
    bk_bridge_ui_test_click (bk_ui_test_find_by_text (edit, _("_Save")));
    bk_test_wait_until (no_alternate, device, TIMEOUT_MS);
    adw_combo_row_set_selected (alternate, 1);
    bk_bridge_ui_test_click (bk_ui_test_find_by_text (edit, _("_Save")));
    bk_test_wait_until (has_alternate, device, TIMEOUT_MS);
    g_assert_cmpstr (bk_device_get_alternate_member_id (device), ==, bk_sim_cluster_get_node_id (sim, 1));
  }
  bk_device_page_show_tab (page, "settings", "extended");
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "device-settings-extended");
  bk_device_page_show_tab (page, "settings", "filters");
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "device-settings-filters");

  /* Clustering: both call bridges. */
  bk_device_page_show_tab (page, "clustering", NULL);
  g_assert_cmpuint (count_rows (bk_bridge_ui_test_child (page, "nodes_list")), ==, 2);
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "device-clustering");

  /* Connection: the pinned certificate as a fingerprint grid. */
  bk_device_page_show_tab (page, "connection", NULL);
  {
    GtkWidget *grid = bk_ui_test_find_by_type (bk_bridge_ui_test_child (page, "connection_page"), GTK_TYPE_GRID);

    g_assert_nonnull (grid);
    g_assert_true (gtk_widget_has_css_class (grid, "fingerprint-grid"));
  }
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "device-connection");

  /* Permissions: without Edit Settings, the settings are read-only. */
  bk_device_page_show_tab (page, "permissions", NULL);
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "device-permissions");
  bk_device_set_access_levels (device, BK_ACCESS_LEVEL_ALL & ~BK_ACCESS_LEVEL_EDIT_SETTINGS);
  g_assert_false (gtk_widget_get_sensitive (bk_bridge_ui_test_child (page, "edit_settings_page")));
  g_assert_false (gtk_widget_get_sensitive (bk_bridge_ui_test_child (page, "extended_settings_page")));
  bk_device_set_access_levels (device, BK_ACCESS_LEVEL_ALL);
  g_assert_true (gtk_widget_get_sensitive (bk_bridge_ui_test_child (page, "edit_settings_page")));

  /* Logs: the requests so far, filterable; secrets never shown. */
  bk_device_page_show_tab (page, "logs", NULL);
  log = bk_device_page_get_log_model (page);
  n_all = g_list_model_get_n_items (log);
  g_assert_cmpuint (n_all, >, 0);
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "device-logs");
  gtk_editable_set_text (GTK_EDITABLE (bk_bridge_ui_test_child (page, "log_filter")), "system/status");
  bk_test_spin (400);  /* GtkSearchEntry's search-changed delay */
  g_assert_cmpuint (g_list_model_get_n_items (log), >, 0);
  g_assert_cmpuint (g_list_model_get_n_items (log), <, n_all);
  for (guint i = 0; i < g_list_model_get_n_items (log); i++)
    {
      g_autoptr(BkCmsLogEntry) entry = g_list_model_get_item (log, i);

      g_assert_nonnull (strstr (bk_cms_log_entry_get_path (entry), "system/status"));
    }
  {
    g_autofree char *trace = bk_cms_log_export_trace (bk_bridge_get_log (bk_device_page_get_bridge (page)));

    g_assert_null (strstr (trace, bk_sim_cluster_get_password (sim)));
  }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "device.copy-log", NULL));

  /* Save asks where (the chooser opens in the current folder, with a file
   * name after the bridge) and writes the trace in the CMS log format. */
  {
    GtkWindow *except[] = { GTK_WINDOW (window), NULL };
    g_autofree char *cwd = g_get_current_dir ();
    g_autofree char *name = g_strdup_printf ("%s-api-trace.txt", bk_device_get_display_name (device));
    g_autofree char *path = g_build_filename (bk_test_get_tmpdir (), name, NULL);
    g_autofree char *contents = NULL;
    GtkWindow *chooser;

    g_assert_cmpint (g_chdir (bk_test_get_tmpdir ()), ==, 0);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "device.save-log", NULL));
    chooser = bk_ui_test_wait_for_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG, except, TIMEOUT_MS);
    g_assert_cmpstr (gtk_window_get_title (chooser), ==, _("Save API Trace"));
    g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)), ==, GTK_FILE_CHOOSER_ACTION_SAVE);
    {
      g_autofree char *current = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));

      g_assert_cmpstr (current, ==, name);
    }
    /* The chooser ignores Save until it has loaded its folder: press it
     * again until the file is written (a refused press changes nothing). */
    g_object_ref (chooser);
    for (guint i = 0; i < 40 && !file_exists (path); i++)
      {
        if (gtk_widget_get_mapped (GTK_WIDGET (chooser)))
          gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
        bk_test_spin (250);
      }
    g_object_unref (chooser);
    bk_test_wait_until (file_exists, path, TIMEOUT_MS);
    /* Written off the main thread: the toast says when it is complete. */
    {
      TextWait saved = { GTK_WIDGET (window), _("API trace saved") };

      bk_test_wait_until (text_shown, &saved, TIMEOUT_MS);
    }
    g_assert_cmpint (g_chdir (cwd), ==, 0);
    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    g_assert_nonnull (strstr (contents, "API trace"));
    g_assert_nonnull (strstr (contents, "GET for \"/api/v1/system/status\""));
    g_assert_null (strstr (contents, bk_sim_cluster_get_password (sim)));
  }

  /* Every control of every tab has a name a screen reader can say. */
  bk_ui_test_assert_all_named (GTK_WIDGET (page));

  bk_bridge_ui_test_clear_store ();
  bk_sim_cluster_reset (sim);
  bk_ui_test_close_window (GTK_WINDOW (window));
}

static gboolean
range_changed (gpointer data)
{
  BkDevicePage *page = data;

  return bk_device_get_numeric_id_quantity (bk_device_page_get_device (page)) == 7 &&
         !bk_bridge_get_busy (bk_device_page_get_bridge (page));
}

static void
test_change_range (void)
{
  BkWindow *window;
  BkDevice *device;
  BkDevicePage *page = open_page (&window, &device);
  GtkWidget *extended = bk_bridge_ui_test_child (page, "extended_settings_page");
  GtkWidget *quantity_row;
  GtkWidget *domain_row;
  GtkSpinButton *quantity;

  g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (sim), ==, 5);

  /* The ticket action opens the form. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "device.edit-extended-settings", NULL));
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (bk_bridge_ui_test_child (page, "view_stack")), ==, "settings");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (bk_bridge_ui_test_child (page, "settings_stack")), ==, "extended");

  domain_row = bk_ui_test_find_by_text (extended, _("Domain"));
  g_assert_true (ADW_IS_ENTRY_ROW (domain_row));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (domain_row)), ==, "acanolab2.example.com");

  /* A bad domain is refused inline, nothing sent. */
  gtk_editable_set_text (GTK_EDITABLE (domain_row), "not a domain");
  bk_bridge_ui_test_click (bk_ui_test_find_by_text (extended, _("_Save")));
  g_assert_true (gtk_widget_has_css_class (domain_row, "error"));
  g_assert_cmpstr (bk_device_get_domain (device), ==, "acanolab2.example.com");
  gtk_editable_set_text (GTK_EDITABLE (domain_row), "acanolab2.example.com");

  quantity_row = bk_ui_test_find_by_text (extended, _("Numeric ID Quantity"));
  quantity = GTK_SPIN_BUTTON (bk_ui_test_find_by_type (quantity_row, GTK_TYPE_SPIN_BUTTON));
  gtk_spin_button_set_value (quantity, 7);
  bk_bridge_ui_test_click (bk_ui_test_find_by_text (extended, _("_Save")));
  bk_test_wait_until (range_changed, page, TIMEOUT_MS);
  g_assert_cmpuint (bk_device_get_numeric_id_quantity (device), ==, 7);
  g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (sim), ==, 7);
  g_assert_true (bk_ui_test_window_has_toast (GTK_WIDGET (window)));

  bk_bridge_ui_test_clear_store ();
  bk_sim_cluster_reset (sim);
  bk_ui_test_close_window (GTK_WINDOW (window));
}

static gboolean
bridge_idle (gpointer data)
{
  return !bk_bridge_get_busy (data);
}

static gboolean
page_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* The bridge is core's: a range change the person started goes on to the
 * end when its page goes away (the window closes) while it runs. */
static void
test_operation_outlives_page (void)
{
  BkWindow *window;
  BkDevice *device;
  BkDevicePage *page = open_page (&window, &device);
  g_autoptr(BkBridge) bridge = g_object_ref (bk_device_page_get_bridge (page));
  GtkWidget *extended = bk_bridge_ui_test_child (page, "extended_settings_page");
  gpointer weak_page = page;
  GtkWidget *quantity_row;

  g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (sim), ==, 5);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "device.edit-extended-settings", NULL));
  quantity_row = bk_ui_test_find_by_text (extended, _("Numeric ID Quantity"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (bk_ui_test_find_by_type (quantity_row, GTK_TYPE_SPIN_BUTTON)), 7);
  bk_bridge_ui_test_click (bk_ui_test_find_by_text (extended, _("_Save")));
  g_assert_true (bk_bridge_get_busy (bridge));

  /* The page is disposed with its window, the range change still running. */
  g_object_add_weak_pointer (G_OBJECT (page), &weak_page);
  bk_ui_test_close_window (GTK_WINDOW (window));
  bk_test_wait_until (page_gone, &weak_page, TIMEOUT_MS);
  g_assert_true (bk_bridge_get_busy (bridge));

  bk_test_wait_until (bridge_idle, bridge, TIMEOUT_MS);
  g_assert_cmpuint (bk_device_get_numeric_id_quantity (device), ==, 7);
  g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (sim), ==, 7);

  bk_bridge_ui_test_clear_store ();
  bk_sim_cluster_reset (sim);
}

typedef struct
{
  BkDevicePage *page;
  BkTicketKind  kind;
  gboolean      present;
} TicketWait;

static gboolean
ticket_state (gpointer data)
{
  TicketWait *wait = data;
  BkBridge *bridge = bk_device_page_get_bridge (wait->page);
  GListModel *tickets = bk_bridge_get_tickets (bridge);
  gboolean found = FALSE;

  if (bk_bridge_get_busy (bridge))
    return FALSE;
  for (guint i = 0; i < g_list_model_get_n_items (tickets); i++)
    {
      g_autoptr(BkTicket) ticket = g_list_model_get_item (tickets, i);

      found |= bk_ticket_get_kind (ticket) == wait->kind;
    }
  return found == wait->present;
}

static void
wait_ticket (BkDevicePage *page,
             BkTicketKind  kind,
             gboolean      present)
{
  TicketWait wait = { page, kind, present };

  bk_test_wait_until (ticket_state, &wait, TIMEOUT_MS);
}

/* The button of the ticket row whose sentence contains @needle. */
static GtkWidget *
ticket_button (BkDevicePage *page,
               const char   *label)
{
  GtkWidget *tickets = bk_bridge_ui_test_child (page, "tickets_list");
  GtkWidget *button = bk_ui_test_find_by_text (tickets, label);

  g_assert_nonnull (button);
  g_assert_true (GTK_IS_BUTTON (button));
  return button;
}

static void
test_tickets (void)
{
  BkWindow *window;
  BkDevice *device;
  BkDevicePage *page = open_page (&window, &device);
  GtkWidget *button;

  /* The alternate stops answering: a warning with "Edit Alternate". */
  bk_sim_cluster_set_node_up (sim, 1, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "device.check-now", NULL));
  wait_ticket (page, BK_TICKET_KIND_ALTERNATE_UNREACHABLE, TRUE);
  g_assert_cmpuint (count_rows (bk_bridge_ui_test_child (page, "tickets_list")), ==, 1);
  g_assert_false (gtk_widget_get_mapped (bk_ui_test_find_by_text (bk_bridge_ui_test_child (page, "tickets_list"),
                                                                  _("System has no open or acknowledged tickets"))));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "device-summary-ticket");
  button = ticket_button (page, _("Edit Alternate"));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, BK_TICKET_ACTION_EDIT_ALTERNATE);
  bk_bridge_ui_test_click (button);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (bk_bridge_ui_test_child (page, "view_stack")), ==, "settings");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (bk_bridge_ui_test_child (page, "settings_stack")), ==, "edit");

  /* Ticket Filters: switching the kind off hides the ticket. */
  bk_device_page_show_tab (page, "settings", "filters");
  {
    GtkWidget *row = bk_ui_test_find_by_text (bk_bridge_ui_test_child (page, "filters_page"), _("Alternate Unreachable"));
    GtkWidget *sw = bk_ui_test_find_by_type (row, GTK_TYPE_SWITCH);

    g_assert_true (gtk_switch_get_active (GTK_SWITCH (sw)));
    gtk_switch_set_active (GTK_SWITCH (sw), FALSE);
    g_assert_true (bk_device_get_ticket_filters (device) & BK_TICKET_FILTER_ALTERNATE_UNREACHABLE);
    wait_ticket (page, BK_TICKET_KIND_ALTERNATE_UNREACHABLE, FALSE);
    gtk_switch_set_active (GTK_SWITCH (sw), TRUE);
    wait_ticket (page, BK_TICKET_KIND_ALTERNATE_UNREACHABLE, TRUE);
  }
  bk_device_page_show_tab (page, "summary", NULL);

  /* The bridge itself stops answering: an error with "Check Again"; once
   * it is back, that button clears it. */
  bk_sim_cluster_set_node_up (sim, 1, TRUE);
  bk_sim_cluster_set_node_up (sim, 0, FALSE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "device.check-now", NULL));
  wait_ticket (page, BK_TICKET_KIND_PRIMARY_UNREACHABLE, TRUE);
  g_assert_cmpstr (gtk_label_get_text (bk_bridge_ui_test_child (page, "connectivity_label")), ==, _("Unreachable"));
  bk_sim_cluster_set_node_up (sim, 0, TRUE);
  button = ticket_button (page, _("Check Again"));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, BK_TICKET_ACTION_CHECK_NOW);
  bk_bridge_ui_test_click (button);
  wait_ticket (page, BK_TICKET_KIND_PRIMARY_UNREACHABLE, FALSE);
  wait_ticket (page, BK_TICKET_KIND_ALTERNATE_UNREACHABLE, FALSE);
  g_assert_cmpstr (gtk_label_get_text (bk_bridge_ui_test_child (page, "connectivity_label")), ==, _("Reachable"));
  g_assert_cmpuint (count_rows (bk_bridge_ui_test_child (page, "tickets_list")), ==, 0);
  bk_ui_test_wait_mapped (bk_ui_test_find_by_text (bk_bridge_ui_test_child (page, "tickets_list"),
                                                   _("System has no open or acknowledged tickets")));

  bk_bridge_ui_test_clear_store ();
  bk_sim_cluster_reset (sim);
  bk_ui_test_close_window (GTK_WINDOW (window));
}

static gboolean
label_shown (gpointer data)
{
  return gtk_widget_get_visible (data) && *gtk_label_get_text (data) != '\0' &&
         !g_str_has_suffix (gtk_label_get_text (data), "…");
}

static gboolean
widget_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static void
test_connection (void)
{
  BkWindow *window;
  BkDevice *device;
  BkDevicePage *page = open_page (&window, &device);
  GtkWidget *connection = bk_bridge_ui_test_child (page, "connection_page");
  GtkWidget *test_button;
  GtkWidget *result;
  GtkWidget *repin;
  GtkWidget *username;
  GtkWidget *password;
  GtkWidget *cred_result;
  AdwMessageDialog *dialog;
  g_autofree char *old_pin = g_strdup (bk_device_get_certificate_pin (device));

  bk_device_page_show_tab (page, "connection", NULL);
  test_button = bk_ui_test_find_by_text (connection, _("_Test"));
  g_assert_nonnull (test_button);
  repin = bk_ui_test_find_by_text (connection, _("Trust _New Certificate…"));
  g_assert_nonnull (repin);
  g_assert_false (gtk_widget_get_visible (repin));

  /* Test Connection says what answered. */
  bk_bridge_ui_test_click (test_button);
  result = bk_bridge_ui_test_child (page, "test_result");
  g_assert_nonnull (result);
  bk_test_wait_until (label_shown, result, TIMEOUT_MS);
  g_assert_false (gtk_widget_has_css_class (result, "error"));

  /* A changed certificate: refused with the alarming sentence; trusting the
   * new one needs an explicit confirmation. */
  g_assert_true (bk_sim_cluster_replace_certificate (sim, NULL));
  gtk_label_set_text (GTK_LABEL (result), "");
  bk_bridge_ui_test_click (test_button);
  bk_test_wait_until (label_shown, result, TIMEOUT_MS);
  g_assert_true (gtk_widget_has_css_class (result, "error"));
  bk_test_wait_until (widget_visible, repin, TIMEOUT_MS);
  g_assert_cmpstr (bk_device_get_certificate_pin (device), ==, old_pin);

  bk_bridge_ui_test_click (repin);
  dialog = bk_bridge_ui_test_wait_dialog (GTK_WINDOW (window));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (dialog), "device-repin");
  /* Cancel changes nothing. */
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  bk_test_spin (100);
  g_assert_cmpstr (bk_device_get_certificate_pin (device), ==, old_pin);
  bk_bridge_ui_test_click (repin);
  dialog = bk_bridge_ui_test_wait_dialog (GTK_WINDOW (window));
  adw_message_dialog_response (dialog, "repin");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpstr (bk_device_get_certificate_pin (device), ==, bk_sim_cluster_get_certificate_sha256 (sim));
  g_assert_false (gtk_widget_get_visible (repin));

  /* New credentials are tried first: a wrong password is refused. */
  username = bk_ui_test_find_by_text (connection, _("API Username"));
  password = bk_ui_test_find_by_text (connection, _("Password"));
  cred_result = bk_bridge_ui_test_child (page, "cred_result");
  g_assert_true (ADW_IS_ENTRY_ROW (username));
  g_assert_true (ADW_IS_PASSWORD_ENTRY_ROW (password));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (username)), ==, bk_sim_cluster_get_username (sim));
  gtk_editable_set_text (GTK_EDITABLE (password), "wrong-password");
  bk_bridge_ui_test_click (bk_ui_test_find_by_text (connection, _("_Change Credentials")));
  bk_test_wait_until (label_shown, cred_result, TIMEOUT_MS);
  g_assert_true (gtk_widget_has_css_class (cred_result, "error"));
  gtk_editable_set_text (GTK_EDITABLE (password), bk_sim_cluster_get_password (sim));
  gtk_label_set_text (GTK_LABEL (cred_result), "");
  bk_bridge_ui_test_click (bk_ui_test_find_by_text (connection, _("_Change Credentials")));
  bk_test_wait_until (label_shown, cred_result, TIMEOUT_MS);
  g_assert_false (gtk_widget_has_css_class (cred_result, "error"));
  /* The typed password does not stay on screen. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (password)), ==, "");

  bk_bridge_ui_test_clear_store ();
  bk_sim_cluster_reset (sim);
  bk_ui_test_close_window (GTK_WINDOW (window));
}

typedef struct
{
  guint target;
} CountWait;

static gboolean
status_requests_reach (gpointer data)
{
  CountWait *wait = data;

  return bk_sim_cluster_get_request_count (sim, 0, "GET", "/api/v1/system/status") >= wait->target;
}

/* The Summary refreshes the status every status-refresh-seconds while it
 * is on screen, and stops when another tab is shown. */
static void
test_refresh (void)
{
  GSettings *settings = bk_application_get_settings (bk_ui_test_get_app ());
  BkWindow *window;
  BkDevice *device;
  BkDevicePage *page;
  CountWait wait = { 2 };

  g_settings_set_uint (settings, "status-refresh-seconds", 2);
  page = open_page (&window, &device);
  g_assert_cmpstr (adw_view_stack_get_visible_child_name (bk_bridge_ui_test_child (page, "view_stack")), ==, "summary");

  bk_sim_cluster_reset_counters (sim);
  bk_test_wait_until (status_requests_reach, &wait, TIMEOUT_MS);

  bk_device_page_show_tab (page, "logs", NULL);
  bk_test_spin (500);
  bk_sim_cluster_reset_counters (sim);
  bk_test_spin (4500);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (sim, 0, "GET", "/api/v1/system/status"), ==, 0);

  g_settings_reset (settings, "status-refresh-seconds");
  bk_bridge_ui_test_clear_store ();
  bk_sim_cluster_reset (sim);
  bk_ui_test_close_window (GTK_WINDOW (window));
}


typedef struct
{
  GListModel *log;
  guint       status;
} LogWait;

static gboolean
log_has_status (gpointer data)
{
  LogWait *wait = data;

  for (guint i = 0; i < g_list_model_get_n_items (wait->log); i++)
    {
      g_autoptr(BkCmsLogEntry) entry = g_list_model_get_item (wait->log, i);

      if (bk_cms_log_entry_get_status (entry) == wait->status &&
          strstr (bk_cms_log_entry_get_path (entry), "system/status") != NULL)
        return TRUE;
    }
  return FALSE;
}

/* The labels of the built rows of the Logs table that show @text. */
static GPtrArray *
log_labels_with_text (GtkWidget  *log_view,
                      const char *text)
{
  g_autoptr(GPtrArray) labels = bk_ui_test_find_all_by_type (log_view, GTK_TYPE_LABEL);
  GPtrArray *found = g_ptr_array_new ();

  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)), text) == 0)
      g_ptr_array_add (found, g_ptr_array_index (labels, i));
  return found;
}

static void
check_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bk_bridge_check_finish (BK_BRIDGE (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

/* The labels whose text starts with @text (a reason can be followed by
 * the note of what was checked). */
static GPtrArray *
log_labels_starting_with (GtkWidget  *log_view,
                          const char *text)
{
  g_autoptr(GPtrArray) labels = bk_ui_test_find_all_by_type (log_view, GTK_TYPE_LABEL);
  GPtrArray *found = g_ptr_array_new ();

  for (guint i = 0; i < labels->len; i++)
    if (g_str_has_prefix (gtk_label_get_text (g_ptr_array_index (labels, i)), text))
      g_ptr_array_add (found, g_ptr_array_index (labels, i));
  return found;
}

/* Logs: every row says which host the request went to, with what method
 * and path (wrapped, and cut at the end if ever, never in the middle) and
 * status; a failed request says why, on the row itself. */
static void
test_log_rows (void)
{
  BkWindow *window;
  BkDevice *device;
  BkDevicePage *page = open_page (&window, &device);
  BkBridge *bridge = bk_device_page_get_bridge (page);
  GtkWidget *log_view = bk_bridge_ui_test_child (page, "log_view");
  GListModel *log = bk_device_page_get_log_model (page);
  LogWait error_wait = { log, 500 };
  LogWait silent_wait = { log, 0 };
  g_autofree char *host = g_strdup_printf ("127.0.0.1:%u", bk_sim_cluster_get_node_port (sim, 0));
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GPtrArray) hosts = NULL;
  g_autoptr(GPtrArray) labels = NULL;
  g_autofree char *no_answer_reason = NULL;
  g_autofree char *error_reason = NULL;
  g_autofree char *probe_note = NULL;
  gboolean checked = FALSE;

  /* With no alternate chosen, the other node is only probed (asked whether
   * it answers, without a password). */
  bk_bridge_set_alternate_async (bridge, NULL, NULL, NULL, NULL, NULL, NULL);
  bk_test_wait_until (no_alternate, device, TIMEOUT_MS);
  bk_bridge_check_async (bridge, NULL, check_done_cb, &checked);
  bk_test_wait_until (flag_is_set, &checked, TIMEOUT_MS);

  /* One status request answered with an HTTP error; then the other node
   * down, so its status request gets no answer. */
  bk_sim_cluster_add_fault (sim, "GET", "/api/v1/system/status", BK_SIM_FAULT_HTTP_500, 1.0, 1);
  bk_bridge_check_async (bridge, NULL, NULL, NULL);
  bk_test_wait_until (log_has_status, &error_wait, TIMEOUT_MS);
  bk_sim_cluster_clear_faults (sim);
  bk_sim_cluster_set_node_up (sim, 1, FALSE);
  bk_bridge_check_async (bridge, NULL, NULL, NULL);
  bk_test_wait_until (log_has_status, &silent_wait, TIMEOUT_MS);
  bk_sim_cluster_set_node_up (sim, 1, TRUE);

  for (guint i = 0; i < g_list_model_get_n_items (log); i++)
    {
      g_autoptr(BkCmsLogEntry) entry = g_list_model_get_item (log, i);

      if (strstr (bk_cms_log_entry_get_path (entry), "system/status") == NULL)
        continue;
      if (bk_cms_log_entry_get_status (entry) == 0 && no_answer_reason == NULL)
        no_answer_reason = g_strdup (bk_cms_log_entry_get_failure (entry));
      if (bk_cms_log_entry_get_status (entry) == 500 && error_reason == NULL)
        /* The row says it in words, not the client's code. */
        error_reason = g_strdup (_("The bridge answered with HTTP error 500."));
    }
  g_assert_nonnull (no_answer_reason);
  g_assert_nonnull (error_reason);
  /* The other node is only asked whether it answers (no password sent):
   * its 401 is the expected answer, with a note of what was checked. */
  for (guint i = 0; i < g_list_model_get_n_items (log) && probe_note == NULL; i++)
    {
      g_autoptr(BkCmsLogEntry) entry = g_list_model_get_item (log, i);

      if (bk_cms_log_entry_get_status (entry) == 401 && bk_cms_log_entry_get_note (entry) != NULL &&
          bk_cms_log_entry_get_failure (entry) == NULL)
        probe_note = g_strdup (bk_cms_log_entry_get_note (entry));
    }
  g_assert_nonnull (probe_note);

  bk_device_page_show_tab (page, "logs", NULL);
  gtk_editable_set_text (GTK_EDITABLE (bk_bridge_ui_test_child (page, "log_filter")), "system/status");
  bk_test_spin (400);  /* GtkSearchEntry's search-changed delay */
  bk_ui_test_wait_mapped (log_view);
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "device-log-rows");

  /* Method, path, host and status on the row. */
  g_assert_cmpuint ((labels = log_labels_with_text (log_view, "GET"))->len, >, 0);
  g_clear_pointer (&labels, g_ptr_array_unref);
  paths = log_labels_with_text (log_view, "/api/v1/system/status");
  g_assert_cmpuint (paths->len, >, 0);
  for (guint i = 0; i < paths->len; i++)
    {
      GtkLabel *path = g_ptr_array_index (paths, i);

      /* Long paths wrap, and are cut at the end only. */
      g_assert_true (gtk_label_get_wrap (path));
      g_assert_cmpint (gtk_label_get_ellipsize (path), !=, PANGO_ELLIPSIZE_MIDDLE);
      g_assert_cmpint (gtk_label_get_ellipsize (path), !=, PANGO_ELLIPSIZE_START);
    }
  hosts = log_labels_with_text (log_view, host);
  g_assert_cmpuint (hosts->len, >, 0);
  g_assert_cmpuint ((labels = log_labels_with_text (log_view, "500"))->len, >, 0);
  g_assert_true (gtk_widget_has_css_class (g_ptr_array_index (labels, 0), "error"));
  g_clear_pointer (&labels, g_ptr_array_unref);
  g_assert_cmpuint ((labels = log_labels_with_text (log_view, "200"))->len, >, 0);
  g_assert_false (gtk_widget_has_css_class (g_ptr_array_index (labels, 0), "error"));
  g_clear_pointer (&labels, g_ptr_array_unref);

  /* The probe's row: 401 not marked as an error, its note shown plainly. */
  g_assert_cmpuint ((labels = log_labels_with_text (log_view, "401"))->len, >, 0);
  g_assert_false (gtk_widget_has_css_class (g_ptr_array_index (labels, 0), "error"));
  g_clear_pointer (&labels, g_ptr_array_unref);
  labels = log_labels_with_text (log_view, probe_note);
  g_assert_cmpuint (labels->len, >, 0);
  g_assert_true (gtk_widget_get_visible (g_ptr_array_index (labels, 0)));
  g_assert_false (gtk_widget_has_css_class (g_ptr_array_index (labels, 0), "error"));
  g_clear_pointer (&labels, g_ptr_array_unref);

  /* No answer: said so, and why, shown on the row (not in a tooltip). */
  g_assert_cmpuint ((labels = log_labels_with_text (log_view, _("No answer")))->len, >, 0);
  g_clear_pointer (&labels, g_ptr_array_unref);
  labels = log_labels_starting_with (log_view, no_answer_reason);
  g_assert_cmpuint (labels->len, >, 0);
  g_assert_true (gtk_widget_get_visible (g_ptr_array_index (labels, 0)));
  g_assert_true (gtk_widget_has_css_class (g_ptr_array_index (labels, 0), "error"));
  g_clear_pointer (&labels, g_ptr_array_unref);
  labels = log_labels_with_text (log_view, error_reason);
  g_assert_cmpuint (labels->len, >, 0);
  g_assert_true (gtk_widget_get_visible (g_ptr_array_index (labels, 0)));
  g_clear_pointer (&labels, g_ptr_array_unref);

  /* The filter finds requests by host and by reason too. */
  gtk_editable_set_text (GTK_EDITABLE (bk_bridge_ui_test_child (page, "log_filter")), no_answer_reason);
  bk_test_spin (400);
  g_assert_cmpuint (g_list_model_get_n_items (log), >, 0);
  for (guint i = 0; i < g_list_model_get_n_items (log); i++)
    {
      g_autoptr(BkCmsLogEntry) entry = g_list_model_get_item (log, i);

      g_assert_cmpstr (bk_cms_log_entry_get_failure (entry), ==, no_answer_reason);
    }
  gtk_editable_set_text (GTK_EDITABLE (bk_bridge_ui_test_child (page, "log_filter")), host);
  bk_test_spin (400);
  g_assert_cmpuint (g_list_model_get_n_items (log), >, 0);

  bk_ui_test_assert_all_named (GTK_WIDGET (page));

  bk_bridge_ui_test_clear_store ();
  bk_sim_cluster_reset (sim);
  bk_ui_test_close_window (GTK_WINDOW (window));
}

static gboolean
leaflet_folded (gpointer data)
{
  return adw_leaflet_get_folded (data);
}

/* A phone-sized window: the leaflet folds and shows the page alone, with
 * a way back to the list. */
static void
test_narrow (void)
{
  GSettings *settings = bk_application_get_settings (bk_ui_test_get_app ());
  BkWindow *window;
  BkDevice *device;
  BkDevicePage *page = open_page (&window, &device);
  AdwLeaflet *leaflet = bk_bridge_ui_test_child (window, "leaflet");

  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  bk_test_wait_until (leaflet_folded, leaflet, TIMEOUT_MS);
  bk_window_select_device (window, device);
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "content");
  bk_ui_test_wait_mapped (GTK_WIDGET (page));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (page)), <=, 360);
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "device-narrow");

  bk_bridge_ui_test_clear_store ();
  bk_sim_cluster_reset (sim);
  bk_ui_test_close_window (GTK_WINDOW (window));
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
}

static gboolean
store_empty (gpointer data)
{
  return g_list_model_get_n_items (G_LIST_MODEL (data)) == 0;
}

static void
test_remove (void)
{
  BkWindow *window;
  BkDevice *device;
  BkDevicePage *page = open_page (&window, &device);
  BkDeviceStore *store = bk_application_get_store (bk_ui_test_get_app ());
  AdwMessageDialog *dialog;
  GtkWidget *check;
  g_autofree char *user_space = NULL;

  /* A space people made stays. */
  user_space = bk_sim_cluster_add_cospace (sim, "Cool Bridge Space", "cool.bridge.space", "497540167");
  g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (sim), ==, 6);

  /* Cancel keeps everything. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "device.remove", NULL));
  dialog = bk_bridge_ui_test_wait_dialog (GTK_WINDOW (window));
  adw_message_dialog_response (dialog, "cancel");
  gtk_window_destroy (GTK_WINDOW (dialog));
  bk_test_spin (100);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "device.remove", NULL));
  dialog = bk_bridge_ui_test_wait_dialog (GTK_WINDOW (window));
  check = bk_ui_test_find_by_type (adw_message_dialog_get_extra_child (dialog), GTK_TYPE_CHECK_BUTTON);
  g_assert_nonnull (check);
  g_assert_cmpstr (gtk_check_button_get_label (GTK_CHECK_BUTTON (check)), ==,
                   _("Also remove the meeting spaces and profiles from the bridge"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  bk_bridge_ui_test_screenshot (GTK_WIDGET (dialog), "device-remove");
  adw_message_dialog_response (dialog, "remove");
  gtk_window_destroy (GTK_WINDOW (dialog));

  bk_test_wait_until (store_empty, store, TIMEOUT_MS);
  /* The slots are gone from the bridge, the person's space is not. */
  g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (sim), ==, 1);
  {
    g_autofree char *name = bk_sim_cluster_dup_cospace_field (sim, user_space, "name");

    g_assert_cmpstr (name, ==, "Cool Bridge Space");
  }
  /* The page is gone; the sidebar says there are no bridges; a toast says so. */
  g_assert_null (bk_window_get_device_page (window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (bk_bridge_ui_test_child (window, "sidebar_stack")), ==, "empty");
  {
    g_autofree char *expected = g_strdup_printf (_("%s was removed"), "CMS Core Primary");

    g_assert_nonnull (bk_ui_test_find_by_text (GTK_WIDGET (window), expected));
  }

  bk_sim_cluster_reset (sim);
  bk_ui_test_close_window (GTK_WINDOW (window));
}

/* The conference engine's tickets (bk_bridge_add_ticket) are rows of the
 * Summary's tickets after the bridge's own, their button carrying the
 * ticket's target (Redial: the occurrence and the participant); removed by
 * key, the row goes; a recomputation of the bridge's own keeps them. */
static void
test_engine_ticket (void)
{
  BkWindow *window;
  BkDevice *device;
  BkDevicePage *page = open_page (&window, &device);
  BkBridge *bridge = bk_device_page_get_bridge (page);
  GtkWidget *tickets = bk_bridge_ui_test_child (page, "tickets_list");
  g_autoptr(BkTicket) ticket =
    bk_ticket_new (bk_device_get_id (device), BK_TICKET_KIND_PARTICIPANT_UNANSWERED,
                   BK_TICKET_SEVERITY_WARNING, "participant-unanswered:uid@1894006800:1",
                   "broken@fail.example did not answer the call into “Design review” (called 3 times). Redial when they are ready.",
                   _("Redial"), "app.redial-participant", g_variant_new ("(su)", "uid@1894006800", 1));
  GtkWidget *button;
  GVariant *target;

  g_assert_cmpuint (count_rows (tickets), ==, 0);
  bk_bridge_add_ticket (bridge, ticket);
  g_assert_cmpuint (count_rows (tickets), ==, 1);
  g_assert_nonnull (bk_ui_test_find_by_text (tickets, bk_ticket_get_sentence (ticket)));
  button = ticket_button (page, _("Redial"));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "app.redial-participant");
  target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (button));
  g_assert_nonnull (target);
  g_assert_true (g_variant_equal (target, bk_ticket_get_action_target (ticket)));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "device-summary-engine-ticket");

  /* The same key again replaces it; a check of the bridge keeps it. */
  bk_bridge_add_ticket (bridge, ticket);
  g_assert_cmpuint (count_rows (tickets), ==, 1);
  {
    g_autoptr(GDateTime) before = g_date_time_ref (bk_device_get_last_checked (device));

    g_usleep (1100 * 1000);   /* the check's time differs (seconds) */
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "device.check-now", NULL));
    for (guint waited = 0; waited < TIMEOUT_MS && (bk_bridge_get_busy (bridge)
                                                   || g_date_time_equal (before, bk_device_get_last_checked (device)));
         waited += 10)
      bk_test_spin (10);
    g_assert_false (g_date_time_equal (before, bk_device_get_last_checked (device)));
  }
  g_assert_cmpuint (count_rows (tickets), ==, 1);

  bk_bridge_remove_ticket (bridge, "participant-unanswered:uid@1894006800:1");
  g_assert_cmpuint (count_rows (tickets), ==, 0);

  bk_bridge_ui_test_clear_store ();
  bk_sim_cluster_reset (sim);
  bk_ui_test_close_window (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  int status;

  bk_ui_test_init (&argc, &argv);
  sim = bk_bridge_ui_test_start_sim (2);

  g_test_add_func ("/device-page/tabs", test_tabs);
  g_test_add_func ("/device-page/tickets", test_tickets);
  g_test_add_func ("/device-page/engine-ticket", test_engine_ticket);
  g_test_add_func ("/device-page/connection", test_connection);
  g_test_add_func ("/device-page/refresh", test_refresh);
  g_test_add_func ("/device-page/change-range", test_change_range);
  g_test_add_func ("/device-page/operation-outlives-page", test_operation_outlives_page);
  g_test_add_func ("/device-page/remove", test_remove);
  g_test_add_func ("/device-page/narrow", test_narrow);
  g_test_add_func ("/device-page/log-rows", test_log_rows);

  status = g_test_run ();

  bk_sim_cluster_stop (sim);
  g_clear_object (&sim);
  return status;
}
