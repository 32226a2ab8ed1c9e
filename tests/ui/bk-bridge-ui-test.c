/* bk-bridge-ui-test.c: helpers of the onboarding and device page GUI tests
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkBridgeUiTest"

#include "config.h"

#include <glib/gi18n.h>

#include "bk-bridge-ui-test.h"
#include "bk-demo-strip.h"
#include "bk-onboarding.h"

BkSimCluster *
bk_bridge_ui_test_start_sim (guint n_nodes)
{
  g_autoptr(GError) error = NULL;
  BkSimCluster *sim = bk_sim_cluster_new (n_nodes);

  bk_sim_cluster_set_tls (sim, TRUE);
  bk_sim_cluster_set_bulk_sync_delay (sim, 100);
  bk_sim_cluster_start (sim, &error);
  g_assert_no_error (error);

  return sim;
}

void
bk_bridge_ui_test_screenshot (GtkWidget  *widget,
                              const char *name)
{
  const char *dir = g_getenv ("BK_SCREENSHOT_DIR");
  const char *suffix = g_getenv ("BK_SCREENSHOT_SUFFIX");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  GtkWidget *window;
  int width, height;

  if (dir == NULL)
    return;

  window = GTK_IS_WINDOW (widget) ? widget : GTK_WIDGET (gtk_widget_get_root (widget));
  /* Let transitions, spinners and the first status replies settle. */
  bk_test_spin (600);

  paintable = gtk_widget_paintable_new (window);
  /* At the paintable's own size (the window's with its shadow): another
   * size would scale the picture and blur every line in it. */
  width = gdk_paintable_get_intrinsic_width (paintable);
  height = gdk_paintable_get_intrinsic_height (paintable);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_strdup_printf ("%s%s.png", name, suffix != NULL ? suffix : "");
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot %s", path);
}

AdwMessageDialog *
bk_bridge_ui_test_find_dialog (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window)) &&
          (parent == NULL || gtk_window_get_transient_for (window) == parent))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return bk_bridge_ui_test_find_dialog (data) != NULL;
}

AdwMessageDialog *
bk_bridge_ui_test_wait_dialog (GtkWindow *parent)
{
  bk_test_wait_until (dialog_shown, parent, BK_BRIDGE_UI_TEST_TIMEOUT_MS);
  return bk_bridge_ui_test_find_dialog (parent);
}

/* Template child @name of @widget's own template, else of a composite
 * widget inside it (the device page's tabs are templates of their own),
 * searched depth first. */
static GObject *
find_template_child (GtkWidget  *widget,
                     const char *name)
{
  GObject *found = gtk_widget_get_template_child (widget, G_OBJECT_TYPE (widget), name);

  for (GtkWidget *c = gtk_widget_get_first_child (widget); found == NULL && c != NULL;
       c = gtk_widget_get_next_sibling (c))
    found = find_template_child (c, name);
  return found;
}

gpointer
bk_bridge_ui_test_child (gpointer    widget,
                         const char *name)
{
  GObject *child = find_template_child (GTK_WIDGET (widget), name);

  if (child == NULL)
    g_error ("%s has no template child %s (nor a template inside it)", G_OBJECT_TYPE_NAME (widget), name);
  return child;
}

static void
clicked_cb (GtkButton *button,
            gboolean  *clicked)
{
  *clicked = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

void
bk_bridge_ui_test_click (gpointer button)
{
  gboolean clicked = FALSE;
  gulong id;

  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_true (gtk_widget_get_mapped (button));

  /* The button may be destroyed by its own click (the window closes). */
  g_object_ref (button);
  id = g_signal_connect (button, "clicked", G_CALLBACK (clicked_cb), &clicked);
  gtk_widget_activate (button);
  bk_test_wait_until (flag_set, &clicked, BK_BRIDGE_UI_TEST_TIMEOUT_MS);
  g_signal_handler_disconnect (button, id);
  g_object_unref (button);
}

void
bk_bridge_ui_test_clear_store (void)
{
  BkDeviceStore *store = bk_application_get_store (bk_ui_test_get_app ());

  while (g_list_model_get_n_items (G_LIST_MODEL (store)) > 0)
    {
      g_autoptr(BkDevice) device = g_list_model_get_item (G_LIST_MODEL (store), 0);

      bk_device_store_remove (store, device, NULL);
    }
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
  Wait *wait = data;

  wait->result = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return ((Wait *) data)->result != NULL;
}

static GAsyncResult *
wait_result (Wait *wait)
{
  bk_test_wait_until (has_result, wait, BK_BRIDGE_UI_TEST_TIMEOUT_MS);
  return wait->result;
}

BkDevice *
bk_bridge_ui_test_onboard (BkSimCluster *sim,
                           const char   *name,
                           const char   *domain,
                           guint         quantity)
{
  BkApplication *app = bk_ui_test_get_app ();
  g_autoptr(BkOnboarding) onboarding = bk_onboarding_new (bk_application_get_store (app),
                                                          bk_application_get_secrets (app));
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GPtrArray) collisions = NULL;
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", bk_sim_cluster_get_node_port (sim, 0));
  Wait wait = { NULL };

  bk_onboarding_trust_certificate (onboarding, bk_sim_cluster_get_certificate_sha256 (sim));
  bk_onboarding_connect_async (onboarding, address, bk_sim_cluster_get_username (sim),
                               bk_sim_cluster_get_password (sim), NULL, got_result, &wait);
  bk_onboarding_connect_finish (onboarding, wait_result (&wait), &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  bk_onboarding_discover_async (onboarding, NULL, got_result, &wait);
  members = bk_onboarding_discover_finish (onboarding, wait_result (&wait), &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  bk_onboarding_set_name (onboarding, name, &error);
  g_assert_no_error (error);

  bk_onboarding_check_range_async (onboarding, domain, 1, quantity, NULL, got_result, &wait);
  collisions = bk_onboarding_check_range_finish (onboarding, wait_result (&wait), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (collisions->len, ==, 0);
  g_clear_object (&wait.result);

  bk_onboarding_reserve_async (onboarding, NULL, got_result, &wait);
  bk_onboarding_reserve_finish (onboarding, wait_result (&wait), &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  if (bk_sim_cluster_get_n_nodes (sim) > 1)
    {
      bk_onboarding_set_alternate (onboarding, bk_sim_cluster_get_node_id (sim, 1), NULL, NULL, &error);
      g_assert_no_error (error);
    }

  bk_onboarding_finish_async (onboarding, NULL, got_result, &wait);
  bk_onboarding_finish_finish (onboarding, wait_result (&wait), &error);
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  return bk_onboarding_get_device (onboarding);
}

static gboolean
not_a_toplevel (gpointer window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if ((gpointer) w == window)
        return FALSE;
    }
  return TRUE;
}

void
bk_bridge_ui_test_wait_destroyed (gpointer window)
{
  bk_test_wait_until (not_a_toplevel, window, BK_BRIDGE_UI_TEST_TIMEOUT_MS);
}


/* ---- the demo's Add Bridge assistant, as a new user goes through it ---- */

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

  bk_test_wait_until (page_is, &wait, BK_BRIDGE_UI_TEST_TIMEOUT_MS);
}

static gboolean
revealed (gpointer data)
{
  return gtk_revealer_get_reveal_child (data);
}

static gboolean
sensitive (gpointer data)
{
  return gtk_widget_is_sensitive (data);
}

static gboolean
dialog_or_page (gpointer data)
{
  PageWait *wait = data;

  return bk_bridge_ui_test_find_dialog (GTK_WINDOW (wait->ow)) != NULL || page_is (wait);
}

/* Accepts a certificate dialog over @ow if one is shown. */
static void
trust_if_asked (BkOnboardingWindow *ow)
{
  AdwMessageDialog *dialog = bk_bridge_ui_test_find_dialog (GTK_WINDOW (ow));

  if (dialog != NULL)
    {
      adw_message_dialog_response (dialog, "trust");
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
}

static gboolean
assistant_done (gpointer data)
{
  BkOnboardingWindow *ow = *(gpointer *) data;

  if (ow == NULL)
    return TRUE;
  trust_if_asked (ow);
  return gtk_widget_get_visible (bk_bridge_ui_test_child (ow, "failover_error"));
}

BkDevice *
bk_bridge_ui_test_onboard_demo (BkWindow   *window,
                                const char *domain,
                                guint       quantity)
{
  GtkWindow *except[2] = { GTK_WINDOW (window), NULL };
  GtkWidget *revealer = bk_bridge_ui_test_child (window, "demo_revealer");
  GtkWidget *strip;
  BkOnboardingWindow *ow;
  GtkWidget *next;
  PageWait wait;

  bk_test_wait_until (revealed, revealer, BK_BRIDGE_UI_TEST_TIMEOUT_MS);
  strip = gtk_revealer_get_child (GTK_REVEALER (revealer));
  g_assert_true (BK_IS_DEMO_STRIP (strip));
  bk_ui_test_wait_mapped (strip);
  bk_bridge_ui_test_screenshot (GTK_WIDGET (window), "done-1-demo");
  bk_bridge_ui_test_click (bk_ui_test_find_by_text (strip, _("_Add It")));
  ow = BK_ONBOARDING_WINDOW (bk_ui_test_wait_for_toplevel (BK_TYPE_ONBOARDING_WINDOW, except, BK_BRIDGE_UI_TEST_TIMEOUT_MS));
  next = bk_bridge_ui_test_child (ow, "next_button");

  bk_bridge_ui_test_click (next);
  wait = (PageWait) { ow, "cluster" };
  bk_test_wait_until (dialog_or_page, &wait, BK_BRIDGE_UI_TEST_TIMEOUT_MS);
  trust_if_asked (ow);
  wait_page (ow, "cluster");
  bk_test_wait_until (sensitive, next, BK_BRIDGE_UI_TEST_TIMEOUT_MS);
  bk_bridge_ui_test_click (next);

  wait_page (ow, "name");
  gtk_editable_set_text (GTK_EDITABLE (bk_bridge_ui_test_child (ow, "name_row")), "Demo Cluster");
  bk_bridge_ui_test_click (next);

  wait_page (ow, "range");
  gtk_editable_set_text (GTK_EDITABLE (bk_bridge_ui_test_child (ow, "domain_row")), domain);
  gtk_spin_button_set_value (bk_bridge_ui_test_child (ow, "base_spin"), 1);
  gtk_spin_button_set_value (bk_bridge_ui_test_child (ow, "quantity_spin"), quantity);
  bk_test_wait_until (sensitive, next, BK_BRIDGE_UI_TEST_TIMEOUT_MS);
  bk_bridge_ui_test_screenshot (GTK_WIDGET (ow), "done-2-range");
  bk_bridge_ui_test_click (next);

  wait_page (ow, "failover");
  adw_combo_row_set_selected (bk_bridge_ui_test_child (ow, "alternate_row"), 1);
  /* Node 2's own API user, as the demo strip says it. */
  {
    BkSimCluster *cluster = bk_application_get_demo_cluster (BK_APPLICATION (gtk_window_get_application (GTK_WINDOW (window))));

    gtk_editable_set_text (GTK_EDITABLE (bk_bridge_ui_test_child (ow, "alt_username_row")),
                           bk_sim_cluster_get_node_username (cluster, 1));
    gtk_editable_set_text (GTK_EDITABLE (bk_bridge_ui_test_child (ow, "alt_password_row")),
                           bk_sim_cluster_get_node_password (cluster, 1));
  }
  {
    /* Node 2's certificate may be asked about; then the assistant closes
     * (or says why not). */
    gpointer weak = ow;

    g_object_add_weak_pointer (G_OBJECT (ow), &weak);
    bk_bridge_ui_test_click (next);
    bk_test_wait_until (assistant_done, &weak, BK_BRIDGE_UI_TEST_TIMEOUT_MS);
    if (weak != NULL)
      {
        GtkLabel *error = bk_bridge_ui_test_child (weak, "failover_error");

        bk_bridge_ui_test_screenshot (weak, "done-2-failover-error");
        g_error ("the assistant did not finish: %s", gtk_label_get_text (error));
      }
  }

  g_assert_nonnull (bk_window_get_device_page (window));
  return bk_device_page_get_device (bk_window_get_device_page (window));
}

typedef struct
{
  GListModel *model;
  const char *search;
} ZoneWait;

/* Every zone listed holds the search (the search entry reports a change
 * after a pause). */
static gboolean
zones_filtered (gpointer data)
{
  ZoneWait *w = data;
  guint n = g_list_model_get_n_items (w->model);
  g_autofree char *search = g_utf8_casefold (w->search, -1);

  g_strdelimit (search, " ", '_');
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (w->model, i);
      g_autofree char *name = g_utf8_casefold (gtk_string_object_get_string (item), -1);

      if (strstr (name, search) == NULL)
        return FALSE;
    }
  return n > 0;
}

void
bk_bridge_ui_test_choose_zone (gpointer    editor,
                               const char *search,
                               const char *zone)
{
  GtkMenuButton *button = bk_bridge_ui_test_child (editor, "zone_button");
  GtkListView *list = bk_bridge_ui_test_child (editor, "zone_list");
  GtkPopover *popover = bk_bridge_ui_test_child (editor, "zone_popover");
  ZoneWait w = { G_LIST_MODEL (gtk_list_view_get_model (list)), search };
  guint n;

  /* (Not waited for on screen: a popover may take long to map on a busy
   * X server, and the list works either way.) */
  gtk_menu_button_popup (button);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  gtk_editable_set_text (bk_bridge_ui_test_child (editor, "zone_search"), search);
  bk_test_wait_until (zones_filtered, &w, BK_BRIDGE_UI_TEST_TIMEOUT_MS);
  n = g_list_model_get_n_items (w.model);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (w.model, i);

      if (g_strcmp0 (gtk_string_object_get_string (item), zone) == 0)
        {
          gtk_widget_activate_action (GTK_WIDGET (list), "list.activate-item", "u", i);
          g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));
          return;
        }
    }
  g_error ("The time zone search “%s” does not offer %s", search, zone);
}
