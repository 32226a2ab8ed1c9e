/* test-demo-ui.c: `bridgekeeper --demo`: the simulated cluster runs
 * in-process, the profile is thrown away, the strip's "Add It" opens the
 * assistant pre-filled and it connects
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestDemoUi"

#include "config.h"

#include <glib/gi18n.h>

#include "bk-bridge-ui-test.h"
#include "bk-demo-strip.h"

#define TIMEOUT_MS BK_BRIDGE_UI_TEST_TIMEOUT_MS

typedef struct
{
  BkApplication *app;
  char          *demo_dir;
  gboolean       ran;
} Demo;

static gboolean
revealed (gpointer data)
{
  return gtk_revealer_get_reveal_child (data);
}

static gboolean
dialog_or_cluster (gpointer data)
{
  BkOnboardingWindow *ow = data;

  return bk_bridge_ui_test_find_dialog (GTK_WINDOW (ow)) != NULL ||
         g_strcmp0 (bk_onboarding_window_get_page (ow), "cluster") == 0;
}

static gboolean
discovered (gpointer data)
{
  BkOnboardingWindow *ow = data;

  return g_strcmp0 (bk_onboarding_window_get_page (ow), "cluster") == 0 &&
         gtk_widget_is_sensitive (bk_bridge_ui_test_child (ow, "next_button"));
}

/* "Add It" is offered (not "Added"), or the other way round. */
static gboolean
offers_add (GtkWidget *strip)
{
  GtkWidget *add = bk_ui_test_find_by_text (strip, _("_Add It"));

  return add != NULL && gtk_widget_get_mapped (add) && gtk_widget_is_sensitive (add) &&
         bk_ui_test_find_by_text (strip, _("Added")) == NULL;
}

/* The button reads "Added" and can no longer be used. */
static gboolean
shows_added (gpointer data)
{
  GtkWidget *added = bk_ui_test_find_by_text (data, _("Added"));

  return bk_ui_test_find_by_text (data, _("_Add It")) == NULL && added != NULL && gtk_widget_get_mapped (added) &&
         !gtk_widget_is_sensitive (added);
}

static gboolean
shows_add_it (gpointer data)
{
  return offers_add (data);
}

typedef struct
{
  GtkWidget *window;
  GtkWidget *strip;
} ToastWait;

/* A toast is shown, wholly above the strip (not over its text). */
static gboolean
toast_above_strip (gpointer data)
{
  ToastWait *w = data;
  GtkWidget *toast = bk_ui_test_find_by_type (w->window, g_type_from_name ("AdwToastWidget"));
  graphene_rect_t rt, rs;

  if (toast == NULL || !gtk_widget_get_mapped (toast) || gtk_widget_get_height (toast) == 0 ||
      !gtk_widget_compute_bounds (toast, w->window, &rt) || !gtk_widget_compute_bounds (w->strip, w->window, &rs))
    return FALSE;
  return rt.origin.y + rt.size.height <= rs.origin.y + 0.5 && rt.origin.y + rt.size.height > rs.origin.y - 100;
}

static gboolean
node1_up (gpointer data)
{
  return bk_sim_cluster_get_node_up (data, 1);
}

static void
run_demo (Demo *demo)
{
  BkApplication *app = demo->app;
  BkDeviceStore *store = bk_application_get_store (app);
  BkSecrets *secrets = bk_application_get_secrets (app);
  BkSimCluster *cluster = bk_application_get_demo_cluster (app);
  g_autofree char *real_dir = g_build_filename (g_get_user_data_dir (), "bridgekeeper", NULL);
  g_autofree char *address = NULL;
  g_autofree char *devices_json = NULL;
  GtkWindow *except[2] = { NULL, NULL };
  BkWindow *window;
  GtkWidget *revealer;
  GtkWidget *strip;
  BkOnboardingWindow *ow;
  AdwMessageDialog *dialog;

  g_assert_true (bk_application_is_demo (app));

  /* The simulated cluster runs in this process. */
  g_assert_nonnull (cluster);
  g_assert_true (bk_sim_cluster_is_running (cluster));
  g_assert_cmpuint (bk_sim_cluster_get_n_nodes (cluster), ==, 2);

  /* A throwaway profile: never the person's real bridge list, and
   * passwords kept for this run only. */
  demo->demo_dir = g_strdup (bk_device_store_get_directory (store));
  g_assert_cmpstr (demo->demo_dir, !=, real_dir);
  g_assert_true (g_str_has_prefix (demo->demo_dir, g_get_tmp_dir ()));
  g_assert_true (g_file_test (demo->demo_dir, G_FILE_TEST_IS_DIR));
  g_assert_false (bk_secrets_is_persistent (secrets));
  g_assert_cmpstr (bk_secrets_get_status_message (secrets), ==,
                   _("Demo mode keeps passwords only until Bridgekeeper closes."));

  window = BK_WINDOW (bk_ui_test_wait_for_toplevel (BK_TYPE_WINDOW, NULL, TIMEOUT_MS));
  except[0] = GTK_WINDOW (window);

  /* The strip names node 0's address, the username and password. */
  revealer = bk_bridge_ui_test_child (window, "demo_revealer");
  bk_test_wait_until (revealed, revealer, TIMEOUT_MS);
  strip = gtk_revealer_get_child (GTK_REVEALER (revealer));
  g_assert_true (BK_IS_DEMO_STRIP (strip));
  address = g_strdup_printf ("127.0.0.1:%u", bk_sim_cluster_get_node_port (cluster, 0));
  g_assert_cmpstr (bk_demo_strip_get_address (BK_DEMO_STRIP (strip)), ==, address);
  bk_ui_test_wait_mapped (strip);
  g_assert_true (offers_add (strip));
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "demo");

  /* A toast shows above the strip, not over its text. */
  {
    AdwToast *toast = adw_toast_new ("Toast");
    ToastWait w = { GTK_WIDGET (window), strip };

    adw_toast_set_timeout (toast, 0);
    bk_window_add_toast (window, g_object_ref (toast));
    bk_test_wait_until (toast_above_strip, &w, TIMEOUT_MS);
    bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "demo-toast");
    adw_toast_dismiss (toast);
    g_object_unref (toast);
  }

  /* "Simulated Bridges" lists each node with a switch that takes it down
   * (the simulator refuses connections) and brings it back. */
  {
    GtkWidget *button = bk_demo_strip_get_nodes_button (BK_DEMO_STRIP (strip));
    GtkWidget *toggle;
    g_autofree char *label = NULL;

    g_assert_nonnull (button);
    g_assert_null (bk_demo_strip_get_node_switch (BK_DEMO_STRIP (strip), 2));
    gtk_menu_button_popup (GTK_MENU_BUTTON (button));
    toggle = bk_demo_strip_get_node_switch (BK_DEMO_STRIP (strip), 1);
    bk_ui_test_wait_mapped (toggle);
    label = bk_ui_test_get_accessible_name (toggle);
    g_assert_true (g_str_has_prefix (label, bk_sim_cluster_get_node_name (cluster, 1)));
    g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));
    bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "demo-nodes");
    gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
    g_assert_false (bk_sim_cluster_get_node_up (cluster, 1));
    g_assert_true (bk_sim_cluster_get_node_up (cluster, 0));
    gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
    /* Back up by the simulator's own control: the switch follows when the
     * popover opens again. */
    bk_sim_cluster_set_node_up (cluster, 1, TRUE);
    gtk_menu_button_popup (GTK_MENU_BUTTON (button));
    bk_ui_test_wait_mapped (toggle);
    g_assert_true (gtk_switch_get_active (GTK_SWITCH (toggle)));
    gtk_switch_set_active (GTK_SWITCH (toggle), FALSE);
    g_assert_false (bk_sim_cluster_get_node_up (cluster, 1));
    /* As a click would (the switch animates, then changes). */
    gtk_widget_activate (toggle);
    bk_test_wait_until (node1_up, cluster, TIMEOUT_MS);
    g_assert_true (bk_sim_cluster_get_node_up (cluster, 1));
    gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
  }

  /* "Add It" opens the assistant, pre-filled. */
  bk_bridge_ui_test_click (bk_ui_test_find_by_text (strip, _("_Add It")));
  ow = BK_ONBOARDING_WINDOW (bk_ui_test_wait_for_toplevel (BK_TYPE_ONBOARDING_WINDOW, except, TIMEOUT_MS));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (bk_bridge_ui_test_child (ow, "address_row"))), ==, address);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (bk_bridge_ui_test_child (ow, "username_row"))), ==,
                   bk_sim_cluster_get_username (cluster));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (bk_bridge_ui_test_child (ow, "password_row"))), ==,
                   bk_sim_cluster_get_password (cluster));

  /* It connects (after the certificate is trusted) and finds the cluster. */
  bk_bridge_ui_test_click (bk_bridge_ui_test_child (ow, "next_button"));
  bk_test_wait_until (dialog_or_cluster, ow, TIMEOUT_MS);
  dialog = bk_bridge_ui_test_find_dialog (GTK_WINDOW (ow));
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "trust");
  gtk_window_destroy (GTK_WINDOW (dialog));
  bk_test_wait_until (discovered, ow, TIMEOUT_MS);

  /* The bridge went into the throwaway list only. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  devices_json = g_build_filename (demo->demo_dir, "devices.json", NULL);
  /* Saves are written in the background: have them on disk now. */
  g_assert_true (bk_device_store_flush (store, NULL));
  g_assert_true (g_file_test (devices_json, G_FILE_TEST_IS_REGULAR));
  {
    g_autofree char *real_json = g_build_filename (real_dir, "devices.json", NULL);

    g_assert_false (g_file_test (real_json, G_FILE_TEST_EXISTS));
  }

  gtk_window_destroy (GTK_WINDOW (ow));

  /* The strip no longer offers to add what is added, and offers it again
   * once the bridge is removed. */
  bk_test_wait_until (shows_added, strip, TIMEOUT_MS);
  {
    g_autoptr(GError) error = NULL;
    BkDevice *device = g_list_model_get_item (G_LIST_MODEL (store), 0);

    g_assert_true (bk_device_store_remove (store, device, &error));
    g_assert_no_error (error);
    g_object_unref (device);
  }
  bk_test_wait_until (shows_add_it, strip, TIMEOUT_MS);
  demo->ran = TRUE;
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
}

static void
activate_cb (GApplication *app,
             Demo         *demo)
{
  if (!demo->ran)
    run_demo (demo);
}

static void
test_demo (void)
{
  Demo demo = { NULL, NULL, FALSE };
  char *argv[] = { (char *) "bridgekeeper", (char *) "--demo", NULL };
  int status;

  demo.app = bk_application_new ();
  /* Tests run in parallel on one session bus: the demo's unique ID must
   * not make this one activate another test's demo. */
  g_application_set_flags (G_APPLICATION (demo.app),
                           g_application_get_flags (G_APPLICATION (demo.app)) | G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (demo.app, "activate", G_CALLBACK (activate_cb), &demo);
  status = g_application_run (G_APPLICATION (demo.app), 2, argv);

  g_assert_cmpint (status, ==, 0);
  g_assert_true (demo.ran);
  /* The throwaway profile is gone once the application quit. */
  g_assert_nonnull (demo.demo_dir);
  g_assert_false (g_file_test (demo.demo_dir, G_FILE_TEST_EXISTS));

  g_free (demo.demo_dir);
  g_object_unref (demo.app);
}

/* The real profile: an unreadable bridge list is said in a toast with the
 * store's sentence, and the app starts with an empty list. */
static void
test_load_error (void)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "bridgekeeper", NULL);
  g_autofree char *path = g_build_filename (dir, "devices.json", NULL);
  g_autoptr(GError) error = NULL;
  BkWindow *window;
  BkDeviceStore *store;
  GtkWidget *toast;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, "{ this is not JSON", -1, &error);
  g_assert_no_error (error);

  window = bk_ui_test_open_window ();
  store = bk_application_get_store (bk_ui_test_get_app ());
  g_assert_false (bk_application_is_demo (bk_ui_test_get_app ()));
  g_assert_cmpstr (bk_device_store_get_directory (store), ==, dir);
  g_assert_nonnull (bk_device_store_get_load_error (store));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);

  toast = bk_ui_test_find_by_type (GTK_WIDGET (window), g_type_from_name ("AdwToastWidget"));
  g_assert_nonnull (toast);
  g_assert_nonnull (bk_ui_test_find_by_text (toast, bk_device_store_get_load_error (store)));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (bk_bridge_ui_test_child (window, "sidebar_stack")), ==, "empty");
  /* Not in demo mode: no strip. */
  g_assert_false (gtk_revealer_get_reveal_child (bk_bridge_ui_test_child (window, "demo_revealer")));

  bk_ui_test_close_window (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  bk_ui_test_init (&argc, &argv);

  /* The demo application first: two applications of one id cannot be
   * registered on one bus connection at the same time. */
  g_test_add_func ("/demo-ui/add-it", test_demo);
  g_test_add_func ("/demo-ui/load-error", test_load_error);

  return g_test_run ();
}
