/* bk-window.c
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkWindow"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "bk-window.h"

struct _BkWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkStack             *sidebar_stack;
  GtkListBox           *bridge_list;
  GtkStack             *content_stack;
  AdwWindowTitle       *content_title;
};

G_DEFINE_FINAL_TYPE (BkWindow, bk_window, ADW_TYPE_APPLICATION_WINDOW)

static void
bk_window_save_state (BkWindow *self)
{
  gboolean maximized = gtk_window_is_maximized (GTK_WINDOW (self));
  int width = 0;
  int height = 0;

  if (self->settings == NULL)
    return;

  g_settings_delay (self->settings);
  /* A maximized window keeps the size it goes back to when unmaximized. */
  if (!maximized && !gtk_window_is_fullscreen (GTK_WINDOW (self)))
    {
      gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      if (width > 0 && height > 0)
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
    }
  g_settings_set_boolean (self->settings, "window-maximized", maximized);
  g_settings_apply (self->settings);
}

static void
bk_window_restore_state (BkWindow *self)
{
  int width = g_settings_get_int (self->settings, "window-width");
  int height = g_settings_get_int (self->settings, "window-height");

  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static gboolean
bk_window_close_request (GtkWindow *window)
{
  bk_window_save_state (BK_WINDOW (window));

  return GTK_WINDOW_CLASS (bk_window_parent_class)->close_request (window);
}

static void
bk_window_add_bridge_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  BkWindow *self = BK_WINDOW (widget);

  /* The guided onboarding assistant plugs in here. */
  bk_window_add_toast (self, adw_toast_new (_("Adding bridges is not available in this build yet.")));
}

static void
bk_window_show_sidebar_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  BkWindow *self = BK_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* BK_BENCH_FIRST_FRAME=1 prints when the first frame has been painted, for
 * tests/bench/bench-startup. The time is CLOCK_MONOTONIC in microseconds. */
static void
bk_window_after_paint_cb (GdkFrameClock *frame_clock,
                          BkWindow      *self)
{
  g_print ("bridgekeeper-first-frame %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);
  g_signal_handlers_disconnect_by_func (frame_clock, bk_window_after_paint_cb, self);
}

static void
bk_window_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (bk_window_parent_class)->realize (widget);

  if (g_getenv ("BK_BENCH_FIRST_FRAME") != NULL)
    g_signal_connect_object (gtk_widget_get_frame_clock (widget), "after-paint",
                             G_CALLBACK (bk_window_after_paint_cb), widget, 0);
}

static void
bk_window_constructed (GObject *object)
{
  BkWindow *self = BK_WINDOW (object);

  G_OBJECT_CLASS (bk_window_parent_class)->constructed (object);

  /* Not in init: GtkWindow's construct-time properties ("maximized" among
   * them) are set after init and would undo the restored state. */
  bk_window_restore_state (self);
}

static void
bk_window_dispose (GObject *object)
{
  BkWindow *self = BK_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BK_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (bk_window_parent_class)->dispose (object);
}

static void
bk_window_class_init (BkWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = bk_window_constructed;
  object_class->dispose = bk_window_dispose;
  widget_class->realize = bk_window_realize;
  window_class->close_request = bk_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bridgekeeper/Bridgekeeper/bk-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BkWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BkWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, BkWindow, sidebar_stack);
  gtk_widget_class_bind_template_child (widget_class, BkWindow, bridge_list);
  gtk_widget_class_bind_template_child (widget_class, BkWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, BkWindow, content_title);

  gtk_widget_class_install_action (widget_class, "win.add-bridge", NULL, bk_window_add_bridge_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, bk_window_show_sidebar_action);
}

static void
bk_window_init (BkWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  self->settings = g_settings_new ("io.github.bridgekeeper.Bridgekeeper");

  gtk_stack_set_visible_child_name (self->sidebar_stack, "empty");
}

BkWindow *
bk_window_new (BkApplication *application)
{
  return g_object_new (BK_TYPE_WINDOW,
                       "application", application,
                       NULL);
}

static GtkWidget *
bk_window_new_spin_row (GSettings  *settings,
                        const char *key,
                        const char *title,
                        const char *subtitle,
                        double      lower,
                        double      upper)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (lower, upper, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  g_settings_bind (settings, key, spin, "value", G_SETTINGS_BIND_DEFAULT);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);

  return row;
}

void
bk_window_show_preferences (BkWindow *self)
{
  GtkWidget *prefs;
  GtkWidget *page;
  GtkWidget *group;

  g_return_if_fail (BK_IS_WINDOW (self));

  prefs = adw_preferences_window_new ();
  gtk_window_set_transient_for (GTK_WINDOW (prefs), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (prefs), TRUE);

  page = adw_preferences_page_new ();
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("General"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), "preferences-system-symbolic");

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Bridges"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             bk_window_new_spin_row (self->settings, "status-refresh-seconds",
                                                     _("Status Refresh Interval"),
                                                     _("Seconds between system status updates of the bridge on screen"),
                                                     2, 600));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             bk_window_new_spin_row (self->settings, "request-timeout-seconds",
                                                     _("Request Timeout"),
                                                     _("Seconds to wait for a bridge to answer an API request"),
                                                     2, 120));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (prefs), ADW_PREFERENCES_PAGE (page));

  gtk_window_present (GTK_WINDOW (prefs));
}

void
bk_window_add_toast (BkWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (BK_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
