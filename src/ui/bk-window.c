/* bk-window.c
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkWindow"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "bk-application.h"
#include "bk-booking-editor.h"
#include "bk-booking-export.h"
#include "bk-bridge-row.h"
#include "bk-calendar-view.h"
#include "bk-demo-strip.h"
#include "bk-device-page.h"
#include "bk-ics-export.h"
#include "bk-ics-import.h"
#include "bk-meeting-panel.h"
#include "bk-onboarding-window.h"
#include "bk-validate.h"
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
  AdwStatusPage        *welcome_page;
  GtkRevealer          *demo_revealer;
  GtkListBox           *views_list;
  GtkListBoxRow        *calendar_row;
  GtkWidget            *new_booking_button;
  GtkWidget            *export_bookings_button;
  GtkWidget            *running_section;
  GtkListBox           *running_list;

  /* The live meeting panel (made on first use) and the engine it observes. */
  BkEngine             *engine;
  GtkWidget            *meeting_panel;
  gboolean              rebuilding_running;

  /* The calendar page's view (see bk_window_set_calendar_view()). */
  GtkWidget            *calendar_view;
  BkBookingStore       *bookings;

  /* The bridge list (the application's) and the page shown. */
  BkDeviceStore        *store;
  BkSecrets            *secrets;
  BkBridgeManager      *bridges;
  GBinding             *title_binding;
  guint                 accels_id;
};

G_DEFINE_FINAL_TYPE (BkWindow, bk_window, ADW_TYPE_APPLICATION_WINDOW)

static char *bk_window_find_running (BkWindow   *self,
                                     const char *uid,
                                     GDateTime  *occurrence_start);

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

  if (self->store == NULL)
    {
      bk_window_add_toast (self, adw_toast_new (_("Adding bridges is not available in this build yet.")));
      return;
    }

  bk_window_open_onboarding (self, NULL, NULL, NULL);
}

static void
bk_window_add_demo_bridge_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  BkWindow *self = BK_WINDOW (widget);
  GtkWidget *strip = gtk_revealer_get_child (self->demo_revealer);

  if (!BK_IS_DEMO_STRIP (strip) || self->store == NULL)
    return;

  bk_window_open_onboarding (self,
                             bk_demo_strip_get_address (BK_DEMO_STRIP (strip)),
                             bk_demo_strip_get_username (BK_DEMO_STRIP (strip)),
                             bk_demo_strip_get_password (BK_DEMO_STRIP (strip)));
}

static GtkWidget *
bk_window_create_bridge_row (gpointer item,
                             gpointer user_data)
{
  return bk_bridge_row_new (BK_DEVICE (item));
}

static gboolean
bk_window_display_name (GBinding     *binding,
                        const GValue *from,
                        GValue       *to,
                        gpointer      user_data)
{
  BkDevice *device = BK_DEVICE (g_binding_dup_source (binding));

  g_value_set_string (to, device != NULL ? bk_device_get_display_name (device) : "");
  g_clear_object (&device);
  return TRUE;
}

static void
bk_window_show_device (BkWindow *self,
                       BkDevice *device)
{
  GtkWidget *page;

  if (self->title_binding != NULL)
    {
      g_binding_unbind (self->title_binding);
      self->title_binding = NULL;
    }

  if (device == NULL)
    {
      gtk_stack_set_visible_child_name (self->content_stack, "welcome");
      adw_window_title_set_title (self->content_title, _("Bridgekeeper"));
      return;
    }

  page = gtk_stack_get_child_by_name (self->content_stack, bk_device_get_id (device));
  if (page == NULL)
    {
      BkBridge *bridge = bk_bridge_manager_lookup (self->bridges, bk_device_get_id (device));

      /* The application's manager made it when the device was listed. */
      g_return_if_fail (bridge != NULL);
      page = GTK_WIDGET (bk_device_page_new (bridge, self->store, self->secrets));
      if (self->bookings != NULL)
        bk_device_page_set_bookings (BK_DEVICE_PAGE (page), self->bookings);
      gtk_stack_add_named (self->content_stack, page, bk_device_get_id (device));
    }
  gtk_stack_set_visible_child (self->content_stack, page);

  self->title_binding = g_object_bind_property_full (device, "name",
                                                     self->content_title, "title",
                                                     G_BINDING_SYNC_CREATE,
                                                     bk_window_display_name, NULL, NULL, NULL);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
bk_window_row_selected_cb (BkWindow      *self,
                           GtkListBoxRow *row)
{
  /* Choosing the calendar (or a running meeting) unselects the bridge. */
  if (row == NULL && (bk_window_get_calendar_shown (self) || bk_window_get_meeting_shown (self)))
    return;
  if (row != NULL)
    {
      gtk_list_box_unselect_all (self->views_list);
      gtk_list_box_unselect_all (self->running_list);
    }
  bk_window_show_device (self, BK_IS_BRIDGE_ROW (row) ? bk_bridge_row_get_device (BK_BRIDGE_ROW (row)) : NULL);
}

/* Ctrl+N adds a bridge beside the bridges and books a meeting in the
 * calendar: one action at a time has it, so the shortcut never means two
 * things. */
static gboolean
bk_window_update_accels_cb (gpointer data)
{
  static const char *ctrl_n[] = { "<Control>n", NULL };
  static const char *none[] = { NULL };
  BkWindow *self = data;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  gboolean calendar = bk_window_get_calendar_shown (self);

  self->accels_id = 0;
  if (app == NULL)
    return G_SOURCE_REMOVE;
  gtk_application_set_accels_for_action (app, "win.add-bridge", calendar ? none : ctrl_n);
  gtk_application_set_accels_for_action (app, "win.new-booking", calendar ? ctrl_n : none);
  return G_SOURCE_REMOVE;
}

static void
bk_window_update_for_page (BkWindow *self)
{
  gboolean calendar = bk_window_get_calendar_shown (self);

  gtk_widget_set_visible (self->new_booking_button, calendar);
  gtk_widget_set_visible (self->export_bookings_button, calendar);
  /* Accelerators are the application's: with two windows, the one the
   * person uses (the last to become active) decides.  Changed from an idle:
   * GTK 4.8 crashes when they change while a page switch is being
   * notified (a freed object is unreffed). */
  if (self->accels_id == 0)
    self->accels_id = g_idle_add (bk_window_update_accels_cb, self);
}

static void
bk_window_active_cb (BkWindow *self)
{
  if (gtk_window_is_active (GTK_WINDOW (self)))
    bk_window_update_for_page (self);
}

static void
bk_window_show_calendar (BkWindow *self)
{
  if (self->calendar_view == NULL)
    return;
  if (self->title_binding != NULL)
    {
      g_binding_unbind (self->title_binding);
      self->title_binding = NULL;
    }
  gtk_list_box_unselect_all (self->bridge_list);
  gtk_list_box_unselect_all (self->running_list);
  gtk_stack_set_visible_child (self->content_stack, self->calendar_view);
  adw_window_title_set_title (self->content_title, _("Calendar"));
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

static void
bk_window_view_selected_cb (BkWindow      *self,
                            GtkListBoxRow *row)
{
  if (row == self->calendar_row)
    bk_window_show_calendar (self);
}

static void
bk_window_create_booking_cb (BkWindow  *self,
                             GDateTime *start,
                             GDateTime *end)
{
  bk_window_new_booking (self, start, end);
}

/* A booking dragged in the calendar is checked with the application's
 * rules (its preferred bridge). */
static GPtrArray *
bk_window_calendar_rules (BkBookingRules *rules,
                          gpointer        user_data)
{
  BkWindow *self = user_data;
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GPtrArray *bridges = NULL;

  if (!BK_IS_APPLICATION (app))
    return NULL;
  bk_application_fill_rules (BK_APPLICATION (app), rules, &bridges);
  return bridges;
}

static void
bk_window_open_booking_cb (BkWindow   *self,
                           const char *uid,
                           GDateTime  *occurrence_start)
{
  bk_window_open_booking (self, uid, occurrence_start);
}

/* win.open-booking ((sx): the UID, the occurrence's start in UTC seconds):
 * for rows that show a booking outside the calendar (the bridge's Summary). */
static void
bk_window_open_booking_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  const char *uid;
  gint64 start;
  g_autoptr(GDateTime) occurrence = NULL;

  g_variant_get (parameter, "(&sx)", &uid, &start);
  if (start != 0)
    occurrence = g_date_time_new_from_unix_utc (start);
  bk_window_open_booking (BK_WINDOW (widget), uid, occurrence);
}

static void
bk_window_new_booking_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  bk_window_new_booking (BK_WINDOW (widget), NULL, NULL);
}

static gboolean
bk_window_parse_day (const char *text,
                     gint64     *utc)
{
  g_autofree char *t = g_strstrip (g_strdup (text));
  g_autoptr(GDateTime) day = NULL;
  int y, m, d;
  char extra;

  if (sscanf (t, "%d-%d-%d%c", &y, &m, &d, &extra) != 3 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  day = g_date_time_new_local (y, m, d, 0, 0, 0);
  if (day == NULL)
    return FALSE;
  *utc = g_date_time_to_unix (day);
  return TRUE;
}

static void
bk_window_export_range_response_cb (AdwMessageDialog *dialog,
                                    const char       *response,
                                    BkWindow         *self)
{
  GtkEditable *from_row = g_object_get_data (G_OBJECT (dialog), "from");
  GtkEditable *to_row = g_object_get_data (G_OBJECT (dialog), "to");
  g_autoptr(GPtrArray) bookings = NULL;
  gint64 from, to;

  if (g_strcmp0 (response, "export") != 0)
    return;
  if (!bk_window_parse_day (gtk_editable_get_text (from_row), &from) ||
      !bk_window_parse_day (gtk_editable_get_text (to_row), &to))
    {
      bk_window_add_toast (self, adw_toast_new (_("The dates are not dates: enter them as year-month-day, such as 2027-01-31.")));
      return;
    }
  if (to < from)
    {
      bk_window_add_toast (self, adw_toast_new (_("The last day is before the first: nothing was exported.")));
      return;
    }
  /* The last day is included. */
  bookings = bk_booking_export_collect (self->bookings, from, to + 24 * 3600);
  if (bookings->len == 0)
    {
      bk_window_add_toast (self, adw_toast_new (_("No bookings in these dates: there is nothing to export.")));
      return;
    }
  bk_ics_export_run (GTK_WINDOW (self), BK_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))),
                     bookings, _("Bookings"));
}

static GtkWidget *
bk_window_new_date_row (const char *title,
                        GDateTime  *day)
{
  GtkWidget *row = adw_entry_row_new ();
  g_autofree char *text = g_date_time_format (day, "%Y-%m-%d");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  return row;
}

/* The bookings of a range of days (those the calendar shows, else four
 * weeks from today, unless the person changes them), as an .ics file. */
static void
bk_window_export_bookings_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  BkWindow *self = BK_WINDOW (widget);
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autoptr(GDateTime) last = g_date_time_add_days (today, 27);
  AdwMessageDialog *dialog;
  gint64 from, to;
  GtkWidget *list;
  GtkWidget *from_row;
  GtkWidget *to_row;

  if (self->bookings == NULL)
    return;
  /* The days the calendar shows, when it is on screen. */
  if (bk_window_get_calendar_shown (self) && BK_IS_CALENDAR_VIEW (self->calendar_view))
    {
      bk_calendar_view_get_range (BK_CALENDAR_VIEW (self->calendar_view), &from, &to);
      g_clear_pointer (&today, g_date_time_unref);
      g_clear_pointer (&last, g_date_time_unref);
      today = g_date_time_new_from_unix_local (from);
      last = g_date_time_new_from_unix_local (to - 1);
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Export Bookings"),
                                                       _("The bookings with a meeting on these days are saved as an iCalendar file, with their meeting address.")));
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  from_row = bk_window_new_date_row (_("First Day (YYYY-MM-DD)"), today);
  to_row = bk_window_new_date_row (_("Last Day (YYYY-MM-DD)"), last);
  gtk_list_box_append (GTK_LIST_BOX (list), from_row);
  gtk_list_box_append (GTK_LIST_BOX (list), to_row);
  adw_message_dialog_set_extra_child (dialog, list);
  g_object_set_data (G_OBJECT (dialog), "from", from_row);
  g_object_set_data (G_OBJECT (dialog), "to", to_row);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "export", _("_Export…"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "export", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "export");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (bk_window_export_range_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
bk_window_import_bookings_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (widget));

  if (BK_IS_APPLICATION (app) && bk_application_get_bookings (BK_APPLICATION (app)) != NULL)
    bk_ics_import_run (GTK_WINDOW (widget), BK_APPLICATION (app));
}

/* The booking store's sentences (the file could not be read or written)
 * stay on screen until dismissed: nothing is replaced silently. */
static void
bk_window_bookings_error_cb (BkBookingStore *bookings,
                             GParamSpec     *pspec,
                             BkWindow       *self)
{
  g_autofree char *sentence = NULL;
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  g_object_get (bookings, pspec->name, &sentence, NULL);
  if (sentence == NULL)
    return;
  escaped = g_markup_escape_text (sentence, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 0);
  bk_window_add_toast (self, toast);
}

static void
bk_window_store_changed_cb (BkWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  GtkWidget *child;
  GtkWidget *next;

  gtk_stack_set_visible_child_name (self->sidebar_stack, n > 0 ? "list" : "empty");
  /* The welcome page speaks to what there is to do. */
  adw_status_page_set_description (self->welcome_page,
                                   n > 0 ? _("Choose a bridge from the list, or add one to be guided through its set-up.")
                                         : _("Add your first bridge to get started: Bridgekeeper guides you through its set-up."));

  /* Drop the pages of removed bridges. */
  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->content_stack)); child != NULL; child = next)
    {
      next = gtk_widget_get_next_sibling (child);
      if (BK_IS_DEVICE_PAGE (child) &&
          bk_device_store_lookup (self->store, bk_device_get_id (bk_device_page_get_device (BK_DEVICE_PAGE (child)))) == NULL)
        {
          if (gtk_stack_get_visible_child (self->content_stack) == child)
            bk_window_show_device (self, NULL);
          gtk_stack_remove (self->content_stack, child);
        }
    }
}

static void
bk_window_onboarding_finished_cb (BkOnboardingWindow *onboarding,
                                  BkDevice           *device,
                                  BkWindow           *self)
{
  g_autofree char *text = NULL;

  bk_window_select_device (self, device);
  /* Translators: %s is the bridge's name. */
  text = g_markup_printf_escaped (_("%s is ready for scheduled meetings"), bk_device_get_display_name (device));
  bk_window_add_toast (self, adw_toast_new (text));
}

/* Shows each shortcut's accelerators as the application has them (GTK
 * does this only for its own help overlay). */
static void
bk_window_set_shortcut_accels (GtkWidget      *widget,
                               GtkApplication *app)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *action = NULL;
      g_auto(GStrv) accels = NULL;

      g_object_get (widget, "action-name", &action, NULL);
      if (action != NULL && app != NULL)
        accels = gtk_application_get_accels_for_action (app, action);
      if (accels != NULL && accels[0] != NULL)
        {
          g_autofree char *joined = g_strjoinv (" ", accels);

          g_object_set (widget, "accelerator", joined, NULL);
        }
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    bk_window_set_shortcut_accels (child, app);
}

/* The keyboard shortcuts window is built when asked for and destroyed when
 * closed, instead of GTK's help overlay (a resource at gtk/help-overlay.ui),
 * which stays in the list of toplevels, hidden, for the window's lifetime:
 * GTK 4.8's accessibility root hands a screen reader asking for an index
 * past the visible windows the last toplevel, visible or not, and a hidden
 * window has no object path, so GLib got a NULL object path and the
 * application crashed (right after the Add Bridge assistant closed). */
static void
bk_window_show_shortcuts_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  g_autoptr(GtkBuilder) builder = NULL;
  GtkWindow *shortcuts;

  builder = gtk_builder_new_from_resource ("/io/github/bridgekeeper/Bridgekeeper/bk-shortcuts-window.ui");
  shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
  bk_window_set_shortcut_accels (GTK_WIDGET (shortcuts),
                                 gtk_window_get_application (GTK_WINDOW (widget)));
  gtk_window_set_modal (shortcuts, TRUE);
  gtk_window_set_hide_on_close (shortcuts, FALSE);
  gtk_window_set_transient_for (shortcuts, GTK_WINDOW (widget));
  gtk_window_present (shortcuts);
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

/* Passwords can from now on only be kept for this session (no keyring
 * service, or the person dismissed the keyring's prompt): said once. */
static void
bk_window_secrets_persistent_cb (BkSecrets  *secrets,
                                 GParamSpec *pspec,
                                 BkWindow   *self)
{
  const char *message = bk_secrets_get_status_message (secrets);
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  if (bk_secrets_is_persistent (secrets) || message == NULL)
    return;

  escaped = g_markup_escape_text (message, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 0);
  bk_window_add_toast (self, toast);
}

/* ---- Running Now and the live meeting panel ---- */

static gboolean
bk_window_state_is_running (BkEngineState state)
{
  return state == BK_ENGINE_STATE_STARTING || state == BK_ENGINE_STATE_RUNNING ||
         state == BK_ENGINE_STATE_ENDING;
}

static int
bk_window_compare_by_end (gconstpointer a,
                          gconstpointer b,
                          gpointer      data)
{
  BkEngine *engine = data;
  const char *ia = *(const char * const *) a;
  const char *ib = *(const char * const *) b;
  gint64 ea = bk_engine_get_end (engine, ia);
  gint64 eb = bk_engine_get_end (engine, ib);

  if (ea != eb)
    return ea < eb ? -1 : 1;
  return g_strcmp0 (ia, ib);
}

static GtkWidget *
bk_window_new_running_row (BkWindow   *self,
                           const char *occurrence_id)
{
  g_autofree char *uid = bk_engine_occurrence_uid (occurrence_id);
  BkBooking *booking = self->bookings != NULL ? bk_booking_store_lookup (self->bookings, uid) : NULL;
  BkMeeting *meeting = bk_engine_get_meeting (self->engine, occurrence_id);
  const char *title = booking != NULL ? booking->title
                      : meeting != NULL ? bk_meeting_get_title (meeting) : "";
  g_autoptr(GDateTime) end_utc = g_date_time_new_from_unix_utc (bk_engine_get_end (self->engine, occurrence_id));
  g_autoptr(GDateTime) end = g_date_time_to_local (end_utc);
  g_autofree char *time = g_date_time_format (end, "%H:%M");
  /* Translators: the end of a running meeting in the sidebar; %s is a time ("10:30"). */
  g_autofree char *until = g_strdup_printf (_("until %s"), time);
  g_autofree char *name = g_strdup_printf ("%s, %s", title, until);
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *icon = gtk_image_new_from_icon_name ("call-start-symbolic");
  GtkWidget *label;

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  gtk_widget_add_css_class (icon, "success");
  gtk_box_append (GTK_BOX (box), icon);
  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (labels), label);
  label = gtk_label_new (until);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "caption");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (labels), label);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_object_set_data_full (G_OBJECT (row), "bk-occurrence", g_strdup (occurrence_id), g_free);
  return row;
}

/* Rebuilt from the engine on each change (a handful of rows): the meetings
 * starting, running or ending, the earliest end first. */
static void
bk_window_update_running (BkWindow *self)
{
  g_auto(GStrv) ids = NULL;
  g_autoptr(GPtrArray) running = g_ptr_array_new ();
  GtkListBoxRow *selected;
  g_autofree char *selected_id = NULL;
  GtkWidget *child;

  if (self->engine == NULL)
    return;
  selected = gtk_list_box_get_selected_row (self->running_list);
  if (selected != NULL)
    selected_id = g_strdup (g_object_get_data (G_OBJECT (selected), "bk-occurrence"));

  ids = bk_engine_dup_occurrence_ids (self->engine);
  for (guint i = 0; ids[i] != NULL; i++)
    if (bk_window_state_is_running (bk_engine_get_state (self->engine, ids[i])))
      g_ptr_array_add (running, ids[i]);
  g_ptr_array_sort_with_data (running, bk_window_compare_by_end, self->engine);

  self->rebuilding_running = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->running_list))) != NULL)
    gtk_list_box_remove (self->running_list, child);
  for (guint i = 0; i < running->len; i++)
    {
      GtkWidget *row = bk_window_new_running_row (self, g_ptr_array_index (running, i));

      gtk_list_box_append (self->running_list, row);
      if (g_strcmp0 (selected_id, g_ptr_array_index (running, i)) == 0)
        gtk_list_box_select_row (self->running_list, GTK_LIST_BOX_ROW (row));
    }
  self->rebuilding_running = FALSE;
  gtk_widget_set_visible (self->running_section, running->len > 0);
}

static void
bk_window_engine_changed_cb (BkWindow *self)
{
  bk_window_update_running (self);
}

static void
bk_window_running_selected_cb (BkWindow      *self,
                               GtkListBoxRow *row)
{
  if (row == NULL || self->rebuilding_running)
    return;
  bk_window_show_meeting (self, g_object_get_data (G_OBJECT (row), "bk-occurrence"));
}

/* win.edit-booking ((sx): the UID, the occurrence's start in UTC seconds):
 * the booking editor, also for a running meeting (its panel's Edit Booking). */
static void
bk_window_edit_booking_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  BkWindow *self = BK_WINDOW (widget);
  BkBooking *booking;
  const char *uid;
  gint64 start;

  g_variant_get (parameter, "(&sx)", &uid, &start);
  booking = self->bookings != NULL ? bk_booking_store_lookup (self->bookings, uid) : NULL;
  if (booking == NULL)
    {
      bk_window_add_toast (self, adw_toast_new (_("This booking no longer exists: it was cancelled meanwhile.")));
      return;
    }
  gtk_window_present (GTK_WINDOW (bk_booking_editor_new (GTK_WINDOW (self),
                                                         BK_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))),
                                                         booking, NULL, NULL, start)));
}

/* The application's bridge list in the sidebar, its errors as toasts, and
 * in demo mode the strip with the simulated cluster. */
static void
bk_window_bind_store (BkWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  BkApplication *bk_app;
  BkSimCluster *cluster;

  if (self->store != NULL || !BK_IS_APPLICATION (app) ||
      bk_application_get_store (BK_APPLICATION (app)) == NULL)
    return;
  bk_app = BK_APPLICATION (app);

  self->store = g_object_ref (bk_application_get_store (bk_app));
  self->secrets = g_object_ref (bk_application_get_secrets (bk_app));
  self->bridges = g_object_ref (bk_application_get_bridge_manager (bk_app));

  gtk_list_box_bind_model (self->bridge_list, G_LIST_MODEL (self->store),
                           bk_window_create_bridge_row, self, NULL);
  g_signal_connect_swapped (self->bridge_list, "row-selected",
                            G_CALLBACK (bk_window_row_selected_cb), self);
  g_signal_connect_swapped (self->store, "items-changed",
                            G_CALLBACK (bk_window_store_changed_cb), self);
  bk_window_store_changed_cb (self);

  if (bk_device_store_get_load_error (self->store) != NULL)
    {
      /* A toast's title is markup; the sentence names a path. */
      g_autofree char *escaped = g_markup_escape_text (bk_device_store_get_load_error (self->store), -1);
      AdwToast *toast = adw_toast_new (escaped);

      adw_toast_set_timeout (toast, 0);
      bk_window_add_toast (self, toast);
    }

  self->bookings = g_object_ref (bk_application_get_bookings (bk_app));
  g_signal_connect_object (self->bookings, "notify::load-error",
                           G_CALLBACK (bk_window_bookings_error_cb), self, 0);
  g_signal_connect_object (self->bookings, "notify::save-error",
                           G_CALLBACK (bk_window_bookings_error_cb), self, 0);
  if (bk_booking_store_get_load_error (self->bookings) != NULL)
    bk_window_bookings_error_cb (self->bookings,
                                 g_object_class_find_property (G_OBJECT_GET_CLASS (self->bookings), "load-error"),
                                 self);

  bk_window_set_calendar_view (self, bk_calendar_view_new ());

  if (bk_application_get_engine (bk_app) != NULL)
    {
      self->engine = g_object_ref (bk_application_get_engine (bk_app));
      g_signal_connect_object (self->engine, "state-changed",
                               G_CALLBACK (bk_window_engine_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->engine, "end-changed",
                               G_CALLBACK (bk_window_engine_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_swapped (self->running_list, "row-selected",
                                G_CALLBACK (bk_window_running_selected_cb), self);
      /* Chosen again (already selected) when the sidebar is folded: the
       * panel again. */
      g_signal_connect_swapped (self->running_list, "row-activated",
                                G_CALLBACK (bk_window_running_selected_cb), self);
      bk_window_update_running (self);
    }

  g_signal_connect_object (self->secrets, "notify::persistent",
                           G_CALLBACK (bk_window_secrets_persistent_cb), self, 0);

  if (bk_application_is_demo (bk_app))
    {
      GtkWidget *strip;

      cluster = bk_application_get_demo_cluster (bk_app);
      if (cluster != NULL)
        {
          g_autofree char *address = bk_format_address ("127.0.0.1", bk_sim_cluster_get_node_port (cluster, 0),
                                                        BK_ADDRESS_FORMAT_DEFAULT);

          strip = bk_demo_strip_new (address, bk_sim_cluster_get_username (cluster),
                                     bk_sim_cluster_get_password (cluster), NULL);
          bk_demo_strip_set_store (BK_DEMO_STRIP (strip), self->store);
        }
      else
        {
          strip = bk_demo_strip_new (NULL, NULL, NULL, bk_application_get_demo_error (bk_app));
        }
      gtk_revealer_set_child (self->demo_revealer, strip);
      gtk_revealer_set_reveal_child (self->demo_revealer, TRUE);
    }
}

static void
bk_window_application_changed_cb (BkWindow   *self,
                                  GParamSpec *pspec,
                                  gpointer    user_data)
{
  bk_window_bind_store (self);
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

  if (self->title_binding != NULL)
    g_binding_unbind (self->title_binding);
  self->title_binding = NULL;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  /* The list may outlive the window while the store drops its rows; its
   * row-selected must not reach a disposed window. */
  if (self->views_list != NULL)
    g_signal_handlers_disconnect_by_data (self->views_list, self);
  if (self->running_list != NULL)
    g_signal_handlers_disconnect_by_data (self->running_list, self);
  if (self->content_stack != NULL)
    g_signal_handlers_disconnect_by_data (self->content_stack, self);
  if (self->bridge_list != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->bridge_list, self);
      gtk_list_box_bind_model (self->bridge_list, NULL, NULL, NULL, NULL);
    }
  g_clear_handle_id (&self->accels_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), BK_TYPE_WINDOW);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);
  g_clear_object (&self->bridges);
  g_clear_object (&self->bookings);
  g_clear_object (&self->engine);

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
  gtk_widget_class_bind_template_child (widget_class, BkWindow, welcome_page);

  gtk_widget_class_bind_template_child (widget_class, BkWindow, demo_revealer);
  gtk_widget_class_bind_template_child (widget_class, BkWindow, views_list);
  gtk_widget_class_bind_template_child (widget_class, BkWindow, calendar_row);
  gtk_widget_class_bind_template_child (widget_class, BkWindow, new_booking_button);
  gtk_widget_class_bind_template_child (widget_class, BkWindow, export_bookings_button);
  gtk_widget_class_bind_template_child (widget_class, BkWindow, running_section);
  gtk_widget_class_bind_template_child (widget_class, BkWindow, running_list);

  gtk_widget_class_install_action (widget_class, "win.add-bridge", NULL, bk_window_add_bridge_action);
  gtk_widget_class_install_action (widget_class, "win.add-demo-bridge", NULL, bk_window_add_demo_bridge_action);
  gtk_widget_class_install_action (widget_class, "win.show-sidebar", NULL, bk_window_show_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, bk_window_show_shortcuts_action);
  gtk_widget_class_install_action (widget_class, "win.new-booking", NULL, bk_window_new_booking_action);
  gtk_widget_class_install_action (widget_class, "win.open-booking", "(sx)", bk_window_open_booking_action);
  gtk_widget_class_install_action (widget_class, "win.edit-booking", "(sx)", bk_window_edit_booking_action);
  gtk_widget_class_install_action (widget_class, "win.export-bookings", NULL, bk_window_export_bookings_action);
  gtk_widget_class_install_action (widget_class, "win.import-bookings", NULL, bk_window_import_bookings_action);
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
  g_signal_connect_swapped (self->views_list, "row-selected", G_CALLBACK (bk_window_view_selected_cb), self);
  g_signal_connect_swapped (self->content_stack, "notify::visible-child",
                            G_CALLBACK (bk_window_update_for_page), self);
  g_signal_connect (self, "notify::is-active", G_CALLBACK (bk_window_active_cb), NULL);

  /* "application" is set after construction: the bridge list comes with it. */
  g_signal_connect (self, "notify::application", G_CALLBACK (bk_window_application_changed_cb), NULL);
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

/* A row with a switch bound to a boolean setting (AdwSwitchRow is
 * libadwaita 1.4). */
static GtkWidget *
bk_window_new_switch_row (GSettings  *settings,
                          const char *key,
                          const char *title,
                          const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_settings_bind (settings, key, toggle, "active", G_SETTINGS_BIND_DEFAULT);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  return row;
}

static void
bk_window_preferred_bridge_cb (AdwComboRow *row,
                               GParamSpec  *pspec,
                               BkWindow    *self)
{
  GPtrArray *ids = g_object_get_data (G_OBJECT (row), "ids");
  guint selected = adw_combo_row_get_selected (row);

  g_settings_set_string (self->settings, "preferred-bridge",
                         selected > 0 && selected <= ids->len ? g_ptr_array_index (ids, selected - 1) : "");
}

/* TMS's "Prefer MCU Type in Routing": the bridge Automatic routing tries
 * first. */
static GtkWidget *
bk_window_new_preferred_bridge_row (BkWindow *self)
{
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *preferred = g_settings_get_string (self->settings, "preferred-bridge");
  guint selected = 0;

  gtk_string_list_append (names, _("None (the Order of the List)"));
  for (guint i = 0; self->store != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (self->store)); i++)
    {
      g_autoptr(BkDevice) device = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      gtk_string_list_append (names, bk_device_get_display_name (device));
      g_ptr_array_add (ids, g_strdup (bk_device_get_id (device)));
      if (g_strcmp0 (preferred, bk_device_get_id (device)) == 0)
        selected = i + 1;
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Preferred Bridge"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _("Bookings with Automatic routing use this bridge while it has a free slot, then the others in the order of the list"));
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (names));
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), selected);
  g_object_set_data_full (G_OBJECT (row), "ids", ids, (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (bk_window_preferred_bridge_cb), self, 0);
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
  /* A handful of settings on one page: a search would find nothing more. */
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (prefs), FALSE);

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

  group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Bookings"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), bk_window_new_preferred_bridge_row (self));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             bk_window_new_spin_row (self->settings, "early-join-minutes",
                                                     _("Early Join"),
                                                     _("Minutes before its start that a meeting opens on the bridge and holds its slot"),
                                                     0, 30));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                             bk_window_new_switch_row (self->settings, "extend-automatically",
                                                       _("Extend Automatically"),
                                                       _("New bookings are extended 15 minutes at a time while someone is still connected, up to 4 hours")));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));

  /* The application's own setting: keep running meetings with no window. */
  if (BK_IS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))))
    {
      group = adw_preferences_group_new ();
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _("Background"));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group),
                                 bk_application_new_run_in_background_row (
                                   BK_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)))));
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
    }
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

BkOnboardingWindow *
bk_window_open_onboarding (BkWindow   *self,
                           const char *address,
                           const char *username,
                           const char *password)
{
  BkOnboardingWindow *onboarding;

  g_return_val_if_fail (BK_IS_WINDOW (self), NULL);
  g_return_val_if_fail (self->store != NULL, NULL);

  onboarding = bk_onboarding_window_new (GTK_WINDOW (self), self->store, self->secrets);
  bk_onboarding_window_set_credentials (onboarding, address, username, password);
  g_signal_connect_object (onboarding, "finished", G_CALLBACK (bk_window_onboarding_finished_cb), self, 0);
  gtk_window_present (GTK_WINDOW (onboarding));

  return onboarding;
}

void
bk_window_select_device (BkWindow *self,
                         BkDevice *device)
{
  g_return_if_fail (BK_IS_WINDOW (self));
  g_return_if_fail (device == NULL || BK_IS_DEVICE (device));

  if (device == NULL)
    {
      gtk_list_box_unselect_all (self->bridge_list);
      return;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->bridge_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (BK_IS_BRIDGE_ROW (child) && bk_bridge_row_get_device (BK_BRIDGE_ROW (child)) == device)
        {
          gtk_list_box_select_row (self->bridge_list, GTK_LIST_BOX_ROW (child));
          bk_window_show_device (self, device);
          return;
        }
    }
}

BkDevicePage *
bk_window_get_device_page (BkWindow *self)
{
  GtkWidget *page;

  g_return_val_if_fail (BK_IS_WINDOW (self), NULL);

  page = gtk_stack_get_visible_child (self->content_stack);
  return BK_IS_DEVICE_PAGE (page) ? BK_DEVICE_PAGE (page) : NULL;
}

gboolean
bk_window_get_calendar_shown (BkWindow *self)
{
  g_return_val_if_fail (BK_IS_WINDOW (self), FALSE);

  return self->calendar_view != NULL &&
         gtk_stack_get_visible_child (self->content_stack) == self->calendar_view;
}

void
bk_window_set_calendar_view (BkWindow  *self,
                             GtkWidget *view)
{
  g_return_if_fail (BK_IS_WINDOW (self));
  g_return_if_fail (GTK_IS_WIDGET (view));
  g_return_if_fail (self->calendar_view == NULL);
  g_return_if_fail (self->bookings != NULL);

  self->calendar_view = view;
  g_object_set (view, "store", self->bookings, NULL);
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (view), "bridges") != NULL)
    g_object_set (view, "bridges", self->bridges, NULL);
  g_signal_connect_object (view, "create-booking", G_CALLBACK (bk_window_create_booking_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (view, "open-booking", G_CALLBACK (bk_window_open_booking_cb), self,
                           G_CONNECT_SWAPPED);
  /* The view lives no longer than the window (a child of its stack). */
  if (BK_IS_CALENDAR_VIEW (view))
    bk_calendar_view_set_rules_func (BK_CALENDAR_VIEW (view), bk_window_calendar_rules, self, NULL);
  gtk_stack_add_named (self->content_stack, view, "calendar");
  gtk_widget_set_visible (GTK_WIDGET (self->views_list), TRUE);
}

void
bk_window_select_calendar (BkWindow *self)
{
  g_return_if_fail (BK_IS_WINDOW (self));

  if (self->calendar_view != NULL)
    gtk_list_box_select_row (self->views_list, self->calendar_row);
}

BkBookingEditor *
bk_window_new_booking (BkWindow  *self,
                       GDateTime *start,
                       GDateTime *end)
{
  BkBookingEditor *editor;

  g_return_val_if_fail (BK_IS_WINDOW (self), NULL);
  g_return_val_if_fail (self->bookings != NULL, NULL);

  editor = bk_booking_editor_new (GTK_WINDOW (self),
                                  BK_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))),
                                  NULL, start, end, 0);
  gtk_window_present (GTK_WINDOW (editor));
  return editor;
}

BkBookingEditor *
bk_window_open_booking (BkWindow   *self,
                        const char *uid,
                        GDateTime  *occurrence_start)
{
  BkBooking *booking;
  BkBookingEditor *editor;

  g_return_val_if_fail (BK_IS_WINDOW (self), NULL);
  g_return_val_if_fail (uid != NULL, NULL);

  booking = self->bookings != NULL ? bk_booking_store_lookup (self->bookings, uid) : NULL;
  if (booking == NULL)
    {
      bk_window_add_toast (self, adw_toast_new (_("This booking no longer exists: it was cancelled meanwhile.")));
      return NULL;
    }
  /* A meeting that runs opens in its live panel (which has Edit Booking). */
  {
    g_autofree char *running = bk_window_find_running (self, uid, occurrence_start);

    if (running != NULL)
      {
        bk_window_show_meeting (self, running);
        return NULL;
      }
  }
  editor = bk_booking_editor_new (GTK_WINDOW (self),
                                  BK_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))),
                                  booking, NULL, NULL,
                                  occurrence_start != NULL ? g_date_time_to_unix (occurrence_start) : 0);
  gtk_window_present (GTK_WINDOW (editor));
  return editor;
}

/* The running (starting, running or ending) occurrence of booking @uid at
 * @occurrence_start; without an exact match (a moved occurrence, or no
 * start given), its only running occurrence. NULL when none. */
static char *
bk_window_find_running (BkWindow   *self,
                        const char *uid,
                        GDateTime  *occurrence_start)
{
  g_auto(GStrv) ids = NULL;
  g_autofree char *exact = NULL;
  g_autofree char *prefix = NULL;
  char *only = NULL;
  guint n = 0;

  if (self->engine == NULL)
    return NULL;
  if (occurrence_start != NULL)
    {
      exact = bk_engine_occurrence_id (uid, g_date_time_to_unix (occurrence_start));
      if (bk_window_state_is_running (bk_engine_get_state (self->engine, exact)))
        return g_steal_pointer (&exact);
    }
  prefix = g_strconcat (uid, "@", NULL);
  ids = bk_engine_dup_occurrence_ids (self->engine);
  for (guint i = 0; ids[i] != NULL; i++)
    if (g_str_has_prefix (ids[i], prefix) &&
        strchr (ids[i] + strlen (prefix), '@') == NULL &&
        bk_window_state_is_running (bk_engine_get_state (self->engine, ids[i])))
      {
        only = ids[i];
        n++;
      }
  return n == 1 ? g_strdup (only) : NULL;
}

GtkWidget *
bk_window_show_meeting (BkWindow   *self,
                        const char *occurrence_id)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (BK_IS_WINDOW (self), NULL);
  g_return_val_if_fail (occurrence_id != NULL, NULL);

  if (self->engine == NULL)
    return NULL;
  if (self->meeting_panel == NULL)
    {
      self->meeting_panel = bk_meeting_panel_new (self->engine, self->bookings, self->store);
      gtk_stack_add_named (self->content_stack, self->meeting_panel, "meeting");
    }
  bk_meeting_panel_set_occurrence (BK_MEETING_PANEL (self->meeting_panel), occurrence_id);

  if (self->title_binding != NULL)
    {
      g_binding_unbind (self->title_binding);
      self->title_binding = NULL;
    }
  gtk_stack_set_visible_child (self->content_stack, self->meeting_panel);
  gtk_list_box_unselect_all (self->views_list);
  gtk_list_box_unselect_all (self->bridge_list);
  /* Its row in Running Now, selected (without showing it again). */
  self->rebuilding_running = TRUE;
  gtk_list_box_unselect_all (self->running_list);
  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->running_list, i)) != NULL; i++)
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "bk-occurrence"), occurrence_id) == 0)
      gtk_list_box_select_row (self->running_list, row);
  self->rebuilding_running = FALSE;
  self->title_binding = g_object_bind_property (self->meeting_panel, "title",
                                                self->content_title, "title",
                                                G_BINDING_SYNC_CREATE);
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
  return self->meeting_panel;
}

gboolean
bk_window_get_meeting_shown (BkWindow *self)
{
  g_return_val_if_fail (BK_IS_WINDOW (self), FALSE);

  return self->meeting_panel != NULL &&
         gtk_stack_get_visible_child (self->content_stack) == self->meeting_panel;
}

GtkListBox *
bk_window_get_running_list (BkWindow *self)
{
  g_return_val_if_fail (BK_IS_WINDOW (self), NULL);
  return self->running_list;
}
