/* test-ui-window.c: the main window, its menu, shortcuts, dialogs and state
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestUiWindow"

#include "config.h"

#include "bk-bridge-row.h"
#include "bk-device-page.h"
#include "bk-ui-test.h"

#define TIMEOUT_MS 10000

static GSettings *
get_settings (void)
{
  return bk_application_get_settings (bk_ui_test_get_app ());
}

static void
reset_settings (void)
{
  GSettings *settings = get_settings ();
  const char *keys[] = { "window-width", "window-height", "window-maximized",
                         "status-refresh-seconds", "request-timeout-seconds" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_settings_reset (settings, keys[i]);
}

static void
test_empty_state (void)
{
  BkWindow *window = bk_ui_test_open_window ();
  GtkWidget *page;
  GtkWidget *button;

  /* The empty sidebar says so, on screen. */
  page = bk_ui_test_find_by_text (GTK_WIDGET (window), "No Bridges Yet");
  g_assert_nonnull (page);
  g_assert_true (ADW_IS_STATUS_PAGE (page));
  bk_ui_test_wait_mapped (page);
  g_assert_nonnull (adw_status_page_get_description (ADW_STATUS_PAGE (page)));

  /* Its button is visible, sensitive (GtkButton goes insensitive when its
   * action is missing or disabled) and bound to the add-bridge action. */
  button = bk_ui_test_find_by_text (page, "_Add Bridge");
  g_assert_nonnull (button);
  g_assert_true (GTK_IS_BUTTON (button));
  bk_ui_test_wait_mapped (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "win.add-bridge");
  g_assert_true (gtk_widget_has_css_class (button, "suggested-action"));

  /* The content side welcomes and says what to do first. */
  page = bk_ui_test_find_by_text (GTK_WIDGET (window), "Welcome to Bridgekeeper");
  g_assert_nonnull (page);
  bk_ui_test_wait_mapped (page);
  g_assert_cmpstr (adw_status_page_get_description (ADW_STATUS_PAGE (page)), ==,
                   "Add your first bridge to get started: Bridgekeeper guides you through its set-up.");

  /* The header bar offers the same action. */
  button = bk_ui_test_find_by_accessible_label (GTK_WIDGET (window), "Add Bridge");
  g_assert_nonnull (button);
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "win.add-bridge");
  g_assert_true (gtk_widget_is_sensitive (button));

  bk_ui_test_close_window (GTK_WINDOW (window));
}

typedef struct
{
  GtkWidget *window;
  GList     *toplevels_before;
} AddBridgeWait;

/* Either the onboarding opens a window, or (until it exists) a toast says
 * what happened: clicking must never do nothing. */
static gboolean
add_bridge_reacted (gpointer data)
{
  AddBridgeWait *wait = data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  if (bk_ui_test_window_has_toast (wait->window))
    return TRUE;

  return g_list_model_get_n_items (toplevels) > g_list_length (wait->toplevels_before);
}

static void
test_add_bridge_reacts (void)
{
  BkWindow *window = bk_ui_test_open_window ();
  GtkWidget *button;
  AddBridgeWait wait = { GTK_WIDGET (window), NULL };
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    wait.toplevels_before = g_list_prepend (wait.toplevels_before,
                                            g_list_model_get_item (toplevels, i));

  button = bk_ui_test_find_by_text (GTK_WIDGET (window), "_Add Bridge");
  g_assert_nonnull (button);
  bk_ui_test_wait_mapped (button);
  g_assert_true (gtk_widget_activate (button));
  bk_test_wait_until (add_bridge_reacted, &wait, TIMEOUT_MS);

  /* Close whatever the action opened, then the window. */
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (w != GTK_WINDOW (window) && g_list_find (wait.toplevels_before, w) == NULL)
        gtk_window_destroy (w);
    }
  g_list_free_full (wait.toplevels_before, g_object_unref);
  bk_ui_test_close_window (GTK_WINDOW (window));
}

static void
test_primary_menu (void)
{
  BkWindow *window = bk_ui_test_open_window ();
  GtkWidget *button;
  GMenuModel *model;
  GHashTable *found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GPtrArray *sections = g_ptr_array_new ();
  GtkPopover *popover;
  const struct { const char *action; const char *label; } expected[] = {
    { "app.preferences", "_Preferences" },
    { "win.show-help-overlay", "_Keyboard Shortcuts" },
    { "app.about", "_About Bridgekeeper" },
  };

  /* The window's primary menu (the calendar has menu buttons of its own). */
  {
    g_autoptr(GPtrArray) buttons = bk_ui_test_find_all_by_type (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON);

    button = NULL;
    for (guint i = 0; i < buttons->len && button == NULL; i++)
      if (gtk_menu_button_get_primary (g_ptr_array_index (buttons, i)))
        button = g_ptr_array_index (buttons, i);
  }
  g_assert_nonnull (button);
  model = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button));
  g_assert_nonnull (model);

  /* Flatten the menu (sections included) into action → label. */
  g_ptr_array_add (sections, model);
  for (guint s = 0; s < sections->len; s++)
    {
      GMenuModel *m = g_ptr_array_index (sections, s);

      for (int i = 0; i < g_menu_model_get_n_items (m); i++)
        {
          char *action = NULL;
          char *label = NULL;
          GMenuModel *section = g_menu_model_get_item_link (m, i, G_MENU_LINK_SECTION);

          if (section != NULL)
            {
              g_ptr_array_add (sections, section);
              g_object_unref (section); /* the menu keeps it alive */
            }
          if (g_menu_model_get_item_attribute (m, i, G_MENU_ATTRIBUTE_ACTION, "s", &action) &&
              g_menu_model_get_item_attribute (m, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
            g_hash_table_insert (found, action, label);
          else
            {
              g_free (action);
              g_free (label);
            }
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_cmpstr (g_hash_table_lookup (found, expected[i].action), ==, expected[i].label);
      /* Each item's action exists where the menu looks for it. */
      if (g_str_has_prefix (expected[i].action, "app."))
        g_assert_true (g_action_group_has_action (G_ACTION_GROUP (bk_ui_test_get_app ()),
                                                  expected[i].action + 4));
    }

  /* The menu really pops up with those items. */
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  g_assert_nonnull (popover);
  bk_ui_test_wait_mapped (GTK_WIDGET (popover));
  g_assert_nonnull (bk_ui_test_find_by_text (GTK_WIDGET (popover), "Preferences"));
  g_assert_nonnull (bk_ui_test_find_by_text (GTK_WIDGET (popover), "Keyboard Shortcuts"));
  g_assert_nonnull (bk_ui_test_find_by_text (GTK_WIDGET (popover), "About Bridgekeeper"));
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));

  g_ptr_array_unref (sections);
  g_hash_table_unref (found);
  bk_ui_test_close_window (GTK_WINDOW (window));
}

static gboolean
strv_has (char       **strv,
          const char  *wanted)
{
  return strv != NULL && g_strv_contains ((const char * const *) strv, wanted);
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
test_accels (void)
{
  GtkApplication *app = GTK_APPLICATION (bk_ui_test_get_app ());
  const struct { const char *action; const char *accel; } expected[] = {
    { "win.add-bridge", "<Control>n" },
    { "app.preferences", "<Control>comma" },
    { "win.show-help-overlay", "<Control>question" },
    { "window.close", "<Control>w" },
    { "app.quit", "<Control>q" },
  };
  BkWindow *window = bk_ui_test_open_window ();

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (app, expected[i].action);
      g_auto(GStrv) actions = gtk_application_get_actions_for_accel (app, expected[i].accel);
      guint key;
      GdkModifierType mods;

      g_test_message ("%s ↔ %s", expected[i].action, expected[i].accel);
      /* Compare parsed, so <Primary> and <Control> spellings both match. */
      g_assert_true (gtk_accelerator_parse (expected[i].accel, &key, &mods));
      g_assert_nonnull (accels);
      g_assert_nonnull (accels[0]);
      {
        gboolean matched = FALSE;

        for (guint j = 0; accels[j] != NULL; j++)
          {
            guint k;
            GdkModifierType m;

            if (gtk_accelerator_parse (accels[j], &k, &m) && k == key && m == mods)
              matched = TRUE;
          }
        g_assert_true (matched);
      }
      /* And the accelerator means only that action. */
      g_assert_true (strv_has (actions, expected[i].action));
      g_assert_cmpuint (g_strv_length (actions), ==, 1);
    }

  /* The window-level actions behind those accelerators exist on the window:
   * window.close really closes it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.add-bridge", NULL));
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "window.close", NULL));
  bk_test_wait_until (pointer_cleared, &window, TIMEOUT_MS);
}

static void
test_help_overlay (void)
{
  GtkApplication *app = GTK_APPLICATION (bk_ui_test_get_app ());
  BkWindow *window = bk_ui_test_open_window ();
  GtkWindow *except[] = { GTK_WINDOW (window), NULL };
  GtkWindow *overlay;
  g_autoptr(GPtrArray) shortcuts = NULL;

  /* Built when asked for, never kept hidden (see test-a11y-bus). */
  g_assert_null (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  overlay = bk_ui_test_wait_for_toplevel (GTK_TYPE_SHORTCUTS_WINDOW, except, TIMEOUT_MS);
  g_assert_true (gtk_window_get_transient_for (overlay) == GTK_WINDOW (window));

  /* Every shortcut shown has an accelerator behind it, so none shows blank. */
  shortcuts = bk_ui_test_find_all_by_type (GTK_WIDGET (overlay), GTK_TYPE_SHORTCUTS_SHORTCUT);
  g_assert_cmpuint (shortcuts->len, >=, 5);
  for (guint i = 0; i < shortcuts->len; i++)
    {
      g_autofree char *action = NULL;
      g_autofree char *title = NULL;
      g_autofree char *shown = NULL;
      g_auto(GStrv) accels = NULL;

      g_object_get (g_ptr_array_index (shortcuts, i), "action-name", &action, "title", &title,
                    "accelerator", &shown, NULL);
      g_test_message ("shortcut %s (%s)", title, action);
      /* A key of a widget, not an action (the week grid's, with a
       * booking focused): its accelerator is written in the file. */
      if (action == NULL)
        {
          g_assert_nonnull (shown);
          g_assert_cmpstr (shown, !=, "");
          continue;
        }
      accels = gtk_application_get_accels_for_action (app, action);
      g_assert_nonnull (accels);
      /* Ctrl+N belongs to Add Bridge beside the bridges and to New Booking
       * in the calendar: the one not on screen shows its accelerator from
       * the shortcuts file. */
      if (g_strcmp0 (action, "win.new-booking") == 0 && accels[0] == NULL)
        g_assert_cmpstr (shown, ==, "<Control>n");
      else
        g_assert_nonnull (accels[0]);
    }

  /* ...and every accelerator of the application is listed, so people can
   * find it. */
  {
    g_auto(GStrv) described = gtk_application_list_action_descriptions (app);

    for (guint i = 0; described[i] != NULL; i++)
      {
        gboolean listed = FALSE;

        for (guint j = 0; j < shortcuts->len && !listed; j++)
          {
            g_autofree char *action = NULL;

            g_object_get (g_ptr_array_index (shortcuts, j), "action-name", &action, NULL);
            listed = g_strcmp0 (action, described[i]) == 0;
          }
        if (!listed)
          g_error ("the accelerator of %s is not in the Keyboard Shortcuts window", described[i]);
      }
  }

  gtk_window_destroy (overlay);
  bk_ui_test_close_window (GTK_WINDOW (window));
}

/* The allocation is the default size less the client-side decoration
 * (shadow or resize border), so allow for that. */
static gboolean
window_has_size (gpointer data)
{
  int *wanted = g_object_get_data (data, "wanted-size");
  int width = gtk_widget_get_width (data);
  int height = gtk_widget_get_height (data);

  return width > wanted[0] - 64 && width <= wanted[0] &&
         height > wanted[1] - 64 && height <= wanted[1];
}

static void
close_unshown (BkWindow *window)
{
  gboolean stop = FALSE;

  g_signal_emit_by_name (window, "close-request", &stop);
  g_assert_false (stop);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_window_state (void)
{
  GSettings *settings = get_settings ();
  static int wanted[2] = { 812, 534 };
  BkWindow *window;
  int width, height;

  reset_settings ();

  /* A resized window saves its size when it closes. */
  window = bk_ui_test_open_window ();
  g_assert_false (gtk_window_is_maximized (GTK_WINDOW (window)));
  gtk_window_set_default_size (GTK_WINDOW (window), wanted[0], wanted[1]);
  g_object_set_data (G_OBJECT (window), "wanted-size", wanted);
  bk_test_wait_until (window_has_size, window, TIMEOUT_MS);
  bk_ui_test_close_window (GTK_WINDOW (window));

  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, wanted[0]);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, wanted[1]);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  /* The next window opens at that size. */
  window = bk_ui_test_open_window ();
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, wanted[0]);
  g_assert_cmpint (height, ==, wanted[1]);
  g_object_set_data (G_OBJECT (window), "wanted-size", wanted);
  bk_test_wait_until (window_has_size, window, TIMEOUT_MS);

  bk_ui_test_close_window (GTK_WINDOW (window));

  /* Maximized. Xvfb has no window manager to grant a maximize request, so
   * this part uses windows that are not shown: there GTK keeps the maximized
   * state as it does when a window manager grants it. Such a window cannot
   * be closed through gtk_window_close(), so emit close-request as that
   * would. */
  window = bk_window_new (bk_ui_test_get_app ());
  g_assert_false (gtk_window_is_maximized (GTK_WINDOW (window)));
  gtk_window_maximize (GTK_WINDOW (window));
  close_unshown (window);
  g_assert_true (g_settings_get_boolean (settings, "window-maximized"));
  /* ...without losing the size to go back to. */
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, wanted[0]);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, wanted[1]);

  /* The next window opens maximized, at the saved size once unmaximized. */
  window = bk_window_new (bk_ui_test_get_app ());
  g_assert_true (gtk_window_is_maximized (GTK_WINDOW (window)));
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, wanted[0]);
  g_assert_cmpint (height, ==, wanted[1]);
  gtk_window_unmaximize (GTK_WINDOW (window));
  close_unshown (window);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  reset_settings ();
}

static void
test_about (void)
{
  BkWindow *window = bk_ui_test_open_window ();
  GtkWindow *except[] = { GTK_WINDOW (window), NULL };
  GtkWindow *about;

  g_action_group_activate_action (G_ACTION_GROUP (bk_ui_test_get_app ()), "about", NULL);
  about = bk_ui_test_wait_for_toplevel (ADW_TYPE_ABOUT_WINDOW, except, TIMEOUT_MS);

  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "Bridgekeeper");
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==, GTK_LICENSE_GPL_3_0);
  g_assert_true (gtk_window_get_transient_for (about) == GTK_WINDOW (window));
  g_assert_true (gtk_window_get_modal (about));
  /* The version is on screen, not only in a property. */
  g_assert_nonnull (bk_ui_test_find_by_text (GTK_WIDGET (about), PACKAGE_VERSION));

  gtk_window_destroy (about);
  bk_ui_test_close_window (GTK_WINDOW (window));
}

static void
test_preferences (void)
{
  GSettings *settings = get_settings ();
  BkWindow *window = bk_ui_test_open_window ();
  GtkWindow *except[] = { GTK_WINDOW (window), NULL };
  GtkWindow *prefs;
  GtkWidget *row;
  GtkWidget *spin;

  reset_settings ();
  g_action_group_activate_action (G_ACTION_GROUP (bk_ui_test_get_app ()), "preferences", NULL);
  prefs = bk_ui_test_wait_for_toplevel (ADW_TYPE_PREFERENCES_WINDOW, except, TIMEOUT_MS);
  g_assert_true (gtk_window_get_transient_for (prefs) == GTK_WINDOW (window));
  g_assert_false (adw_preferences_window_get_search_enabled (ADW_PREFERENCES_WINDOW (prefs)));

  /* Each setting is shown with its current value and writes back. */
  row = bk_ui_test_find_by_text (GTK_WIDGET (prefs), "Status Refresh Interval");
  g_assert_nonnull (row);
  spin = bk_ui_test_find_by_type (row, GTK_TYPE_SPIN_BUTTON);
  g_assert_nonnull (spin);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (spin)), ==,
                   g_settings_get_uint (settings, "status-refresh-seconds"));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 42);
  g_assert_cmpuint (g_settings_get_uint (settings, "status-refresh-seconds"), ==, 42);
  /* The schema's range is the widget's range. */
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 100000);
  g_assert_cmpuint (g_settings_get_uint (settings, "status-refresh-seconds"), ==, 600);

  row = bk_ui_test_find_by_text (GTK_WIDGET (prefs), "Request Timeout");
  g_assert_nonnull (row);
  spin = bk_ui_test_find_by_type (row, GTK_TYPE_SPIN_BUTTON);
  g_assert_nonnull (spin);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 33);
  g_assert_cmpuint (g_settings_get_uint (settings, "request-timeout-seconds"), ==, 33);

  gtk_window_destroy (prefs);
  reset_settings ();
  bk_ui_test_close_window (GTK_WINDOW (window));
}

static void
test_accessible_names (void)
{
  BkWindow *window = bk_ui_test_open_window ();
  GtkWindow *except[] = { GTK_WINDOW (window), NULL };
  GtkWindow *prefs;
  GtkWidget *icon_button;
  g_autofree char *name = NULL;

  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (bk_ui_test_find_by_type (GTK_WIDGET (window),
                                                                                   GTK_TYPE_MENU_BUTTON)),
                                         GTK_ACCESSIBLE_PROPERTY_LABEL))
    g_error ("accessible properties cannot be read: run with GTK_A11Y=test");

  /* The checker itself fails on an icon-only button without a label. */
  icon_button = gtk_button_new_from_icon_name ("list-add-symbolic");
  g_object_ref_sink (icon_button);
  name = bk_ui_test_get_accessible_name (icon_button);
  g_test_message ("unlabelled icon button: %s", name);
  g_assert_null (name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "Add", -1);
  name = bk_ui_test_get_accessible_name (icon_button);
  g_assert_cmpstr (name, ==, "Add");
  g_object_unref (icon_button);

  /* The main window, hidden pages and popovers included. */
  bk_ui_test_assert_all_named (GTK_WIDGET (window));

  /* The preferences window. */
  g_action_group_activate_action (G_ACTION_GROUP (bk_ui_test_get_app ()), "preferences", NULL);
  prefs = bk_ui_test_wait_for_toplevel (ADW_TYPE_PREFERENCES_WINDOW, except, TIMEOUT_MS);
  /* Only our page: libadwaita 1.2's own search entry, search toggle and
   * search results list have no accessible names, and we cannot fix them. */
  bk_ui_test_assert_all_named (GTK_WIDGET (adw_preferences_window_get_visible_page (ADW_PREFERENCES_WINDOW (prefs))));
  gtk_window_destroy (prefs);

  bk_ui_test_close_window (GTK_WINDOW (window));
}

static gboolean
leaflet_folded (gpointer data)
{
  return adw_leaflet_get_folded (data);
}

static gboolean
leaflet_unfolded (gpointer data)
{
  return !adw_leaflet_get_folded (data);
}

static gboolean
leaflet_shows_sidebar (gpointer data)
{
  return g_strcmp0 (adw_leaflet_get_visible_child_name (data), "sidebar") == 0 &&
         !adw_leaflet_get_child_transition_running (data);
}

/* A narrow window (a phone, a tiled half screen) folds the sidebar and the
 * content into one column and lets people go back and forth. */
static void
test_narrow (void)
{
  BkWindow *window = bk_ui_test_open_window ();
  AdwLeaflet *leaflet;
  GtkWidget *back;
  static int narrow[2] = { 400, 640 };

  leaflet = ADW_LEAFLET (bk_ui_test_find_by_type (GTK_WIDGET (window), ADW_TYPE_LEAFLET));
  g_assert_nonnull (leaflet);
  g_assert_false (adw_leaflet_get_folded (leaflet));
  back = bk_ui_test_find_by_accessible_label (GTK_WIDGET (window), "Back to Bridges");
  g_assert_nonnull (back);
  g_assert_false (gtk_widget_get_visible (back));

  gtk_window_set_default_size (GTK_WINDOW (window), narrow[0], narrow[1]);
  g_object_set_data (G_OBJECT (window), "wanted-size", narrow);
  bk_test_wait_until (window_has_size, window, TIMEOUT_MS);
  bk_test_wait_until (leaflet_folded, leaflet, TIMEOUT_MS);

  /* Folded, the bridge list comes first, with the empty state's button. */
  g_assert_cmpstr (adw_leaflet_get_visible_child_name (leaflet), ==, "sidebar");
  bk_ui_test_wait_mapped (bk_ui_test_find_by_text (GTK_WIDGET (window), "_Add Bridge"));

  /* The content page has a way back. */
  adw_leaflet_set_visible_child_name (leaflet, "content");
  g_assert_true (gtk_widget_get_visible (back));
  bk_ui_test_wait_mapped (back);
  g_assert_true (gtk_widget_activate (back));
  bk_test_wait_until (leaflet_shows_sidebar, leaflet, TIMEOUT_MS);

  /* Wide again: side by side, no back button. */
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 680);
  bk_test_wait_until (leaflet_unfolded, leaflet, TIMEOUT_MS);
  g_assert_false (gtk_widget_get_visible (back));

  bk_ui_test_close_window (GTK_WINDOW (window));
  reset_settings ();
}

/* A bridge whose set-up stopped half-way: listed by its address, with
 * "Set-up not finished" under it; its page observes the bridge that the
 * application's manager owns. */
static void
test_half_onboarded_row (void)
{
  BkApplication *app = bk_ui_test_get_app ();
  BkDeviceStore *store = bk_application_get_store (app);
  g_autoptr(BkDevice) device = bk_device_new ("127.0.0.1", 4431);
  g_autoptr(GError) error = NULL;
  BkWindow *window;
  GtkWidget *row;
  GtkWidget *page;
  BkBridge *bridge;

  bk_device_set_onboarding_stage (device, BK_ONBOARDING_STAGE_CLUSTER_DISCOVERED);
  g_assert_true (bk_device_store_add (store, device, &error));
  g_assert_no_error (error);
  bridge = bk_bridge_manager_lookup (bk_application_get_bridge_manager (app), bk_device_get_id (device));
  g_assert_nonnull (bridge);

  window = bk_ui_test_open_window ();
  row = bk_ui_test_find_by_type (GTK_WIDGET (window), BK_TYPE_BRIDGE_ROW);
  g_assert_nonnull (row);
  g_assert_nonnull (bk_ui_test_find_by_text (row, "127.0.0.1:4431"));
  g_assert_nonnull (bk_ui_test_find_by_text (row, "Set-up not finished"));
  g_assert_null (bk_ui_test_find_by_text (row, "127.0.0.1"));

  gtk_widget_activate (row);
  page = bk_ui_test_find_by_type (GTK_WIDGET (window), BK_TYPE_DEVICE_PAGE);
  g_assert_nonnull (page);
  g_assert_true (bk_device_page_get_bridge (BK_DEVICE_PAGE (page)) == bridge);

  bk_ui_test_close_window (GTK_WINDOW (window));
  /* The bridge lives on with no window. */
  g_assert_true (bk_bridge_manager_lookup (bk_application_get_bridge_manager (app), bk_device_get_id (device)) == bridge);
  g_assert_true (bk_device_store_remove (store, device, &error));
  g_assert_null (bk_bridge_manager_lookup (bk_application_get_bridge_manager (app), bk_device_get_id (device)));
}

static void
test_devel_style (void)
{
  BkWindow *window = bk_ui_test_open_window ();

  /* A development build is striped so it is never mistaken for a release. */
  g_assert_cmpint (gtk_widget_has_css_class (GTK_WIDGET (window), "devel"), ==, DEVELOPMENT_BUILD);
  bk_ui_test_close_window (GTK_WINDOW (window));
}


static void
store_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bk_secrets_store_finish (BK_SECRETS (source), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* Without a keyring service, storing a password keeps it for the session:
 * the window says so once, in a toast that stays until dismissed. */
static void
test_session_passwords_said (void)
{
  if (g_test_subprocess ())
    {
      BkWindow *window;
      BkSecrets *secrets;
      g_autoptr(BkDevice) device = bk_device_new ("cms.example.com", 443);
      const char *message;
      gboolean stored = FALSE;

      /* A bus that does not exist: no Secret Service. */
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus", TRUE);
      window = bk_ui_test_open_window ();
      secrets = bk_application_get_secrets (bk_ui_test_get_app ());
      g_assert_false (bk_ui_test_window_has_toast (GTK_WIDGET (window)));

      bk_secrets_store_async (secrets, device, BK_SECRET_KIND_PRIMARY, "toast-Pa55", NULL,
                              store_done_cb, &stored);
      bk_test_wait_until (flag_is_true, &stored, TIMEOUT_MS);
      g_assert_false (bk_secrets_is_persistent (secrets));
      message = bk_secrets_get_status_message (secrets);
      g_assert_nonnull (bk_ui_test_find_by_text (GTK_WIDGET (window), message));

      /* Once: a second store changes nothing. */
      stored = FALSE;
      bk_secrets_store_async (secrets, device, BK_SECRET_KIND_ALTERNATE, "toast-Pa55", NULL,
                              store_done_cb, &stored);
      bk_test_wait_until (flag_is_true, &stored, TIMEOUT_MS);
      {
        g_autoptr(GPtrArray) toasts = bk_ui_test_find_all_by_type (GTK_WIDGET (window), GTK_TYPE_LABEL);
        guint n = 0;

        for (guint i = 0; i < toasts->len; i++)
          if (g_strcmp0 (gtk_label_get_text (g_ptr_array_index (toasts, i)), message) == 0)
            n++;
        g_assert_cmpuint (n, ==, 1);
      }
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  bk_ui_test_init (&argc, &argv);

  g_test_add_func ("/ui/window/empty-state", test_empty_state);
  g_test_add_func ("/ui/window/add-bridge-reacts", test_add_bridge_reacts);
  g_test_add_func ("/ui/window/primary-menu", test_primary_menu);
  g_test_add_func ("/ui/window/accels", test_accels);
  g_test_add_func ("/ui/window/help-overlay", test_help_overlay);
  g_test_add_func ("/ui/window/state", test_window_state);
  g_test_add_func ("/ui/window/about", test_about);
  g_test_add_func ("/ui/window/session-passwords-said", test_session_passwords_said);
  g_test_add_func ("/ui/window/preferences", test_preferences);
  g_test_add_func ("/ui/window/accessible-names", test_accessible_names);
  g_test_add_func ("/ui/window/narrow", test_narrow);
  g_test_add_func ("/ui/window/devel-style", test_devel_style);
  g_test_add_func ("/ui/window/half-onboarded-row", test_half_onboarded_row);

  return g_test_run ();
}
