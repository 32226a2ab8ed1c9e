/* bk-application.c
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkApplication"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <signal.h>
#include <string.h>

#include "bk-application.h"
#include "bk-background.h"
#include "bk-booking-file.h"
#include "bk-device-store.h"
#include "bk-engine.h"
#include "bk-real-clock.h"
#include "bk-secrets.h"
#include "bk-sim.h"
#include "bk-window.h"

struct _BkApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
  gboolean        demo;

  BkDeviceStore  *store;
  BkSecrets      *secrets;
  BkBridgeManager *bridges;
  /* The bookings, kept beside the bridge list (bookings.ics). */
  BkBookingStore *bookings;
  gboolean        bookings_loaded;
  char           *preferred_bridge;
  /* The conference engine: runs the bookings on their bridges whether a
   * window is open or not, on the wall clock (or a test's clock). */
  BkClock        *clock;
  BkEngine       *engine;
  /* g_application_hold() taken while meetings are pending (and the
   * "run-in-background" setting allows it). */
  gboolean        held;
  /* Making sure Bridgekeeper runs after login (autostart entry or the
   * Background portal) while it is held. */
  BkBackground   *background;
  int             sandboxed;        /* -1: detect (/.flatpak-info) */
  /* Started with --background: no window at the first activation, and a
   * hold until the engine has planned (then the engine's hold, or quit). */
  gboolean        background_launch;
  gboolean        launch_hold;
  /* The confirmation of Quit while meetings are due (weak). */
  GtkWindow      *quit_dialog;
  /* Demo mode: the in-process simulated cluster and the throwaway profile. */
  BkSimCluster   *demo_cluster;
  char           *demo_dir;
  char           *demo_error;
};

G_DEFINE_FINAL_TYPE (BkApplication, bk_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_BOOKINGS_LOADED,
  PROP_HELD_IN_BACKGROUND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void bk_application_load_bookings (BkApplication *self);
static void bk_application_update_hold (BkApplication *self);
static void bk_application_update_background (BkApplication *self);

static void
bk_application_about_action (GSimpleAction *action,
                             GVariant      *parameter,
                             gpointer       user_data)
{
  BkApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Bridgekeeper authors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "modal", TRUE,
                        "application-name", _("Bridgekeeper"),
                        /* The resource holds the icon under the base ID (also for .Devel). */
                        "application-icon", "io.github.bridgekeeper.Bridgekeeper",
                        "developer-name", _("The Bridgekeeper authors"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Schedule and run meetings on Cisco Meeting Server bridges"),
                        "website", "https://github.com/bridgekeeper/bridgekeeper",
                        "issue-url", "https://github.com/bridgekeeper/bridgekeeper/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 The Bridgekeeper authors",
                        "developers", developers,
                        /* Translators: put your names here, one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
bk_application_preferences_action (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  BkApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (BK_IS_WINDOW (window))
    {
      bk_window_show_preferences (BK_WINDOW (window));
    }
}

/* Quits now, held or not: the engine stops (its journal written) at
 * shutdown. */
static void
bk_application_really_quit (BkApplication *self)
{
  GList *windows;

  /* Close windows first so each saves its state. */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (self))))
    gtk_window_destroy (windows->data);

  g_application_quit (G_APPLICATION (self));
}

static gboolean
bk_application_really_quit_cb (gpointer user_data)
{
  bk_application_really_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
bk_application_quit_response_cb (AdwMessageDialog *dialog,
                                 const char       *response,
                                 BkApplication    *self)
{
  /* Answered: it closes (a later Quit asks again). */
  if (self->quit_dialog != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->quit_dialog), (gpointer *) &self->quit_dialog);
  self->quit_dialog = NULL;
  /* After the dialog has closed itself: destroying its parent while the
   * dialog is still being answered leaves it pointing at a freed window. */
  if (g_str_equal (response, "quit"))
    g_idle_add_full (G_PRIORITY_HIGH_IDLE, bk_application_really_quit_cb, g_object_ref (self), g_object_unref);
}

/* Quit (the window's menu, Ctrl+Q): while meetings are due it asks first,
 * since none of them starts while Bridgekeeper is not running. */
static void
bk_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  BkApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWidget *dialog;

  if (parent == NULL || self->engine == NULL || bk_engine_get_n_pending (self->engine) == 0)
    {
      bk_application_really_quit (self);
      return;
    }
  if (self->quit_dialog != NULL)
    {
      gtk_window_present (self->quit_dialog);
      return;
    }

  dialog = adw_message_dialog_new (parent, _("Quit Bridgekeeper?"),
                                   _("Meetings booked in the next 24 hours will not start while Bridgekeeper is not running."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "quit", _("_Quit"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "quit",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (bk_application_quit_response_cb), self, 0);
  self->quit_dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->quit_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void bk_application_extend_meeting_action (GSimpleAction *action,
                                                  GVariant      *parameter,
                                                  gpointer       user_data);
static void bk_application_end_meeting_action (GSimpleAction *action,
                                               GVariant      *parameter,
                                               gpointer       user_data);
static void bk_application_retry_meeting_action (GSimpleAction *action,
                                                 GVariant      *parameter,
                                                 gpointer       user_data);
static void bk_application_show_meeting_action (GSimpleAction *action,
                                                GVariant      *parameter,
                                                gpointer       user_data);
static void bk_application_redial_participant_action (GSimpleAction *action,
                                                      GVariant      *parameter,
                                                      gpointer       user_data);
static void bk_application_end_unknown_call_action (GSimpleAction *action,
                                                    GVariant      *parameter,
                                                    gpointer       user_data);

static const GActionEntry app_actions[] = {
  { "about", bk_application_about_action },
  { "preferences", bk_application_preferences_action },
  { "quit", bk_application_quit_action },
  /* The notifications' buttons; the target is the occurrence id. */
  { "extend-meeting", bk_application_extend_meeting_action, "s" },
  { "end-meeting", bk_application_end_meeting_action, "s" },
  { "retry-meeting", bk_application_retry_meeting_action, "s" },
  /* The notifications' default action: the window, on the meeting. */
  { "show-meeting", bk_application_show_meeting_action, "s" },
  /* The engine's tickets and notifications: (occurrence id, participant
   * index) and (bridge id, call id). */
  { "redial-participant", bk_application_redial_participant_action, "(su)" },
  { "end-unknown-call", bk_application_end_unknown_call_action, "(ss)" },
};

static gint
bk_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  BkApplication *self = BK_APPLICATION (app);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("bridgekeeper %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_contains (options, "demo"))
    {
      /* A demo instance never joins (or replaces) the user's real one: it
       * has an ID of its own, and is unique under it, so that launching
       * the demo again reopens the window of the one that runs (held in
       * the background while its meetings are due). */
      self->demo = TRUE;
      g_application_set_application_id (app, APPLICATION_ID ".Demo");
    }

  if (g_variant_dict_contains (options, "background"))
    {
      g_autoptr(GError) error = NULL;

      /* Already running: it runs the meetings; nothing to show. */
      if (!g_application_register (app, NULL, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      if (g_application_get_is_remote (app))
        return 0;
      self->background_launch = TRUE;
    }

  return G_APPLICATION_CLASS (bk_application_parent_class)->handle_local_options (app, options);
}

static gboolean
bk_application_launch_release_cb (gpointer user_data)
{
  BkApplication *self = user_data;

  if (self->launch_hold)
    {
      self->launch_hold = FALSE;
      g_debug ("Planned after a start in the background: %s",
               self->held ? "meetings are due" : "nothing is due, quitting");
      g_application_release (G_APPLICATION (self));
    }
  return G_SOURCE_REMOVE;
}

/* After a start with --background: let go of the launch's hold once the
 * engine has planned (after what is pending now has run its course). */
static void
bk_application_schedule_launch_release (BkApplication *self)
{
  g_idle_add_full (G_PRIORITY_LOW, bk_application_launch_release_cb, g_object_ref (self), g_object_unref);
}

static void
bk_application_activate (GApplication *app)
{
  BkApplication *self = BK_APPLICATION (app);
  GtkWindow *window;

  if (self->background_launch)
    {
      /* Started with --background (after login): no window; launching
       * Bridgekeeper again activates this instance and opens one. */
      self->background_launch = FALSE;
      self->launch_hold = TRUE;
      g_application_hold (app);
      if (self->bookings_loaded)
        bk_application_schedule_launch_release (self);
      return;
    }

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (bk_window_new (self));

  gtk_window_present (window);
}

static void
bk_application_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        bk_application_remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static gboolean
bk_application_demo_signal_cb (gpointer user_data)
{
  /* Quit cleanly (without asking) so shutdown removes the throwaway
   * profile. */
  bk_application_really_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static void
bk_application_start_demo (BkApplication *self)
{
  g_autoptr(GError) error = NULL;

  self->demo_cluster = bk_sim_cluster_new_demo (&error);
  if (self->demo_cluster == NULL)
    {
      g_warning ("Cannot start the simulated cluster: %s", error->message);
      self->demo_error = g_strdup_printf (_("The simulated bridges could not start: %s"),
                                          error->message);
      g_clear_error (&error);
    }

  self->demo_dir = g_dir_make_tmp ("bridgekeeper-demo-XXXXXX", &error);
  if (self->demo_dir == NULL)
    {
      /* Never fall back to the real profile: demo data must not mix with it. */
      g_warning ("Cannot create the demo profile: %s", error->message);
      self->demo_dir = g_build_filename (g_get_tmp_dir (), "bridgekeeper-demo-unavailable", NULL);
    }

  g_unix_signal_add (SIGINT, bk_application_demo_signal_cb, self);
  g_unix_signal_add (SIGTERM, bk_application_demo_signal_cb, self);

  self->store = bk_device_store_new (self->demo_dir);
  self->secrets = bk_secrets_new_session_only (_("Demo mode keeps passwords only until Bridgekeeper closes."));
}

static void
bk_application_bookings_loaded_cb (GObject      *object,
                                   GAsyncResult *result,
                                   gpointer      user_data)
{
  g_autoptr(BkApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  /* On failure the store keeps the sentence in "load-error" (the window
   * shows it) and is usable: empty, or read-only when the file could not
   * be read. */
  if (!bk_booking_store_load_finish (BK_BOOKING_STORE (object), result, &error))
    g_message ("The bookings were not loaded: %s", error->message);
  self->bookings_loaded = TRUE;
  /* The engine plans once it has every booking (a store that could not be
   * read is empty or read-only: the engine runs what it has). */
  if (self->engine != NULL)
    bk_engine_run (self->engine);
  if (self->launch_hold)
    bk_application_schedule_launch_release (self);
  g_object_notify (G_OBJECT (self), "bookings-loaded");
}

/* The early-join-minutes setting as the store's "early-join" (seconds). */
static gboolean
bk_application_early_join_mapping (GValue   *value,
                                   GVariant *variant,
                                   gpointer  user_data)
{
  g_value_set_int64 (value, (gint64) g_variant_get_uint32 (variant) * 60);
  return TRUE;
}

/* Bookings live in the same folder as the bridge list: the user's data
 * folder, or the demo's throwaway profile. */
static void
bk_application_load_bookings (BkApplication *self)
{
  g_autoptr(BkBookingFile) file = bk_booking_file_new (bk_device_store_get_directory (self->store));

  self->bookings = bk_booking_store_new (BK_BOOKING_BACKEND (file), BK_BOOKING_DEFAULT_EARLY_JOIN);
  /* Preferences' Early Join, followed while the application runs. */
  g_settings_bind_with_mapping (self->settings, "early-join-minutes", self->bookings, "early-join",
                                G_SETTINGS_BIND_GET, bk_application_early_join_mapping, NULL, NULL, NULL);
  bk_booking_store_load_async (self->bookings, NULL, bk_application_bookings_loaded_cb,
                               g_object_ref (self));
}

typedef gboolean (*FlushFinishFunc) (gpointer       object,
                                     GAsyncResult  *result,
                                     GError       **error);
typedef void     (*FlushStartFunc)  (gpointer             object,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);

typedef struct
{
  FlushFinishFunc finish;
  gboolean        done;
  gboolean        abandoned;   /* the wait gave up: the callback frees */
  GError         *error;
} Flush;

static void
bk_application_flushed_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  Flush *flush = user_data;

  flush->finish (object, result, &flush->error);
  flush->done = TRUE;
  if (flush->abandoned)
    {
      g_clear_error (&flush->error);
      g_free (flush);
    }
}

/* At quit: waits (iterating the main context, at most 10 s) until what
 * @object saved so far is on disk (@what names it in the warnings). */
static void
bk_application_wait_flushed (gpointer        object,
                             FlushStartFunc  start,
                             FlushFinishFunc finish,
                             const char     *what)
{
  Flush *flush;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  if (object == NULL)
    return;
  flush = g_new0 (Flush, 1);
  flush->finish = finish;
  start (object, NULL, bk_application_flushed_cb, flush);
  while (!flush->done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (!flush->done)
    {
      g_warning ("Bridgekeeper closed while it was still saving %s", what);
      flush->abandoned = TRUE;
      return;
    }
  if (flush->error != NULL)
    g_warning ("Could not save %s: %s", what, flush->error->message);
  g_clear_error (&flush->error);
  g_free (flush);
}

/* ---- the conference engine, in the background ---- */

/* Held while the engine has meetings of the next 24 hours (or running)
 * that are not over, unless "run-in-background" is off: then closing the
 * last window quits, as before. */
static void
bk_application_update_hold (BkApplication *self)
{
  gboolean want = self->engine != NULL && bk_engine_get_n_pending (self->engine) > 0
                  && self->settings != NULL
                  && g_settings_get_boolean (self->settings, "run-in-background");

  if (want == self->held)
    return;
  self->held = want;
  g_debug ("%s in the background", want ? "Staying" : "No longer staying");
  if (want)
    g_application_hold (G_APPLICATION (self));
  else
    g_application_release (G_APPLICATION (self));
  bk_application_update_background (self);
  g_object_notify (G_OBJECT (self), "held-in-background");
}

/* While held, Bridgekeeper makes sure it runs again after login (the
 * autostart entry, or the Background portal in Flatpak); the setting
 * turned off removes that. Never for the demo's throwaway profile (inside
 * Flatpak the demo only asks to run in the background). */
static void
bk_application_update_background (BkApplication *self)
{
  if (self->background == NULL || self->settings == NULL)
    return;
  if (self->demo && self->sandboxed == FALSE)
    return;
  if (!g_settings_get_boolean (self->settings, "run-in-background"))
    bk_background_disable (self->background);
  else if (self->held)
    bk_background_enable (self->background, !self->demo);
}

static void
bk_application_n_pending_cb (BkApplication *self)
{
  bk_application_update_hold (self);
}

static char *
bk_application_notification_id (const char *occurrence_id)
{
  return g_strconcat ("booking-", occurrence_id, NULL);
}

/* Sends "booking-<occurrence>"; clicking it opens the window on the
 * meeting (app.show-meeting). */
static void
bk_application_send (BkApplication *self,
                     const char    *occurrence_id,
                     GNotification *notification)
{
  g_autofree char *id = bk_application_notification_id (occurrence_id);

  g_notification_set_default_action_and_target (notification, "app.show-meeting", "s", occurrence_id);
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

/* The booking's title, or a generic name when it is gone. */
static char *
bk_application_dup_title (BkApplication *self,
                          const char    *occurrence_id)
{
  g_autofree char *uid = bk_engine_occurrence_uid (occurrence_id);
  BkBooking *booking = bk_booking_store_lookup (self->bookings, uid);

  if (booking != NULL && booking->title != NULL && booking->title[0] != '\0')
    return g_strdup (booking->title);
  return g_strdup (_("A booked meeting"));
}

/* One notification per occurrence ("booking-<occurrence>"): withdrawn when
 * its state changes, then "started" or "could not start" sent for the new
 * state. */
static void
bk_application_engine_state_cb (BkEngine      *engine,
                                const char    *occurrence_id,
                                BkEngineState  state,
                                BkApplication *self)
{
  g_autofree char *id = bk_application_notification_id (occurrence_id);
  g_autofree char *title = bk_application_dup_title (self, occurrence_id);
  g_autoptr(GNotification) notification = NULL;

  /* A meeting found running again after a restart (its start was told
   * by the run that started it): no new "started", and what was said
   * about it stays. */
  if ((state == BK_ENGINE_STATE_STARTING || state == BK_ENGINE_STATE_RUNNING)
      && bk_engine_get_adopted (engine, occurrence_id))
    return;
  g_application_withdraw_notification (G_APPLICATION (self), id);
  if (state == BK_ENGINE_STATE_RUNNING)
    {
      g_autofree char *body = NULL;

      /* Translators: %s is the meeting's title. */
      body = g_strdup_printf (_("“%s” is running on its bridge. Participants can join now."), title);
      notification = g_notification_new (_("Meeting Started"));
      g_notification_set_body (notification, body);
    }
  else if (state == BK_ENGINE_STATE_FAILED)
    {
      const char *error = bk_engine_get_error (engine, occurrence_id);
      g_autofree char *body = NULL;

      if (error != NULL)
        body = g_strdup (error);
      else
        /* Translators: %s is the meeting's title. */
        body = g_strdup_printf (_("“%s” could not be started."), title);
      /* A failed end leaves the call running: Retry ends it. */
      notification = g_notification_new (bk_engine_get_failed_at_end (engine, occurrence_id)
                                         ? _("Meeting Not Ended") : _("Meeting Not Started"));
      g_notification_set_body (notification, body);
      g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
      g_notification_add_button_with_target (notification, _("Retry"), "app.retry-meeting",
                                             "s", occurrence_id);
    }
  else if (state == BK_ENGINE_STATE_ENDED && bk_engine_get_not_extended (engine, occurrence_id) != NULL)
    {
      g_autofree char *body = NULL;

      /* Booked to extend automatically, but it ended: why. */
      /* Translators: %1$s is the meeting's title, %2$s the reason (a sentence). */
      body = g_strdup_printf (_("“%1$s” has ended. Not extended: %2$s"), title,
                              bk_engine_get_not_extended (engine, occurrence_id));
      notification = g_notification_new (_("Meeting Ended"));
      g_notification_set_body (notification, body);
    }
  if (notification != NULL)
    bk_application_send (self, occurrence_id, notification);
}

/* The check (15 minutes before the start) found something wrong: said
 * now, while there is time to act; replaced by the next state's. */
static void
bk_application_engine_problem_cb (BkEngine      *engine,
                                  const char    *occurrence_id,
                                  const char    *sentence,
                                  BkApplication *self)
{
  g_autoptr(GNotification) notification = g_notification_new (_("Problem With a Booked Meeting"));

  g_notification_set_body (notification, sentence);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  bk_application_send (self, occurrence_id, notification);
}

/* The meeting runs on another call bridge of its cluster than the one it
 * was meant for (at the start, or its node was lost during the meeting):
 * replaces the "started" notification; withdrawn on the next state. */
static void
bk_application_engine_failed_over_cb (BkEngine      *engine,
                                      const char    *occurrence_id,
                                      const char    *node_label,
                                      BkApplication *self)
{
  g_autofree char *title = bk_application_dup_title (self, occurrence_id);
  g_autoptr(GNotification) notification = g_notification_new (_("Meeting Moved to Another Call Bridge"));
  /* Translators: %1$s is the meeting's title, %2$s the call bridge's name
   * and address, e.g. "CallBridge-Core2 (10.0.0.2:443)". */
  g_autofree char *body = g_strdup_printf (_("“%1$s” now runs on %2$s: the call bridge meant for it does not answer. Its participants are being called again."),
                                           title, node_label);

  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  bk_application_send (self, occurrence_id, notification);
}

/* The end is near (5 and 1 minutes before, TMS's defaults): replaces the
 * "started" notification, with a button to extend it by 15 minutes. */
static void
bk_application_engine_ending_soon_cb (BkEngine      *engine,
                                      const char    *occurrence_id,
                                      guint          minutes,
                                      BkApplication *self)
{
  g_autofree char *title = bk_application_dup_title (self, occurrence_id);
  g_autoptr(GNotification) notification = g_notification_new (_("Ending Soon"));
  /* Translators: %1$s is the meeting's title, %2$u the minutes left. */
  g_autofree char *body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                        "“%1$s” ends in %2$u minute.",
                                                        "“%1$s” ends in %2$u minutes.",
                                                        minutes),
                                           title, minutes);

  g_notification_set_body (notification, body);
  g_notification_add_button_with_target (notification, _("Extend 15 Minutes"), "app.extend-meeting",
                                         "s", occurrence_id);
  g_notification_add_button_with_target (notification, _("End Now"), "app.end-meeting",
                                         "s", occurrence_id);
  bk_application_send (self, occurrence_id, notification);
}

/* Extended automatically (TMS's "Automatic Best Effort"): someone was
 * still connected at its end. Replaces the "ending soon" notification. */
static void
bk_application_engine_auto_extended_cb (BkEngine      *engine,
                                        const char    *occurrence_id,
                                        guint          count,
                                        BkApplication *self)
{
  g_autofree char *title = bk_application_dup_title (self, occurrence_id);
  g_autoptr(GNotification) notification = g_notification_new (_("Meeting Extended"));
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autofree char *when = bk_booking_format_time (bk_engine_get_end (engine, occurrence_id), tz);
  /* Translators: %1$s is the meeting's title, %2$s its new end (a date
   * and time), %3$u how many times it was extended, %4$u the most. */
  g_autofree char *body = g_strdup_printf (_("“%1$s” was extended by 15 minutes because participants are still connected. It now ends %2$s (extension %3$u of %4$u)."),
                                           title, when, count, (guint) BK_EXTEND_AUTOMATIC_MAX);

  g_notification_set_body (notification, body);
  /* Extended without being asked: ending it is one click away. */
  g_notification_add_button_with_target (notification, _("End Now"), "app.end-meeting",
                                         "s", occurrence_id);
  bk_application_send (self, occurrence_id, notification);
}

/* A refusal from a notification's button, said in a notification (the
 * window may be closed). */
static void
bk_application_notify_refusal (BkApplication *self,
                               const char    *occurrence_id,
                               const char    *title,
                               const char    *sentence)
{
  g_autoptr(GNotification) notification = g_notification_new (title);

  g_notification_set_body (notification, sentence);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  bk_application_send (self, occurrence_id, notification);
}

static void
bk_application_extend_meeting_action (GSimpleAction *action,
                                      GVariant      *parameter,
                                      gpointer       user_data)
{
  BkApplication *self = user_data;
  const char *occurrence_id = g_variant_get_string (parameter, NULL);
  g_autoptr(GError) error = NULL;

  if (self->engine == NULL)
    return;
  if (bk_engine_extend (self->engine, occurrence_id, 15, &error))
    {
      g_autofree char *id = bk_application_notification_id (occurrence_id);

      /* The warning is stale; the next comes before the new end. */
      g_application_withdraw_notification (G_APPLICATION (self), id);
    }
  else
    bk_application_notify_refusal (self, occurrence_id, _("Meeting Not Extended"), error->message);
}

/* A notification's button that asks the engine for something about an
 * occurrence (@parameter): a refusal is said, titled @refused. */
static void
bk_application_engine_request (BkApplication *self,
                               GVariant      *parameter,
                               gboolean     (*request) (BkEngine *, const char *, GError **),
                               const char    *refused)
{
  const char *occurrence_id = g_variant_get_string (parameter, NULL);
  g_autoptr(GError) error = NULL;

  if (self->engine != NULL && !request (self->engine, occurrence_id, &error))
    bk_application_notify_refusal (self, occurrence_id, refused, error->message);
}

/* "End Now" of the Ending Soon and Meeting Extended notifications: as the
 * live panel's End Now (the call deleted, the slot reset); the state's
 * change withdraws the notification. */
static void
bk_application_end_meeting_action (GSimpleAction *action,
                                   GVariant      *parameter,
                                   gpointer       user_data)
{
  bk_application_engine_request (user_data, parameter, bk_engine_end_now, _("Meeting Not Ended"));
}

/* Retry of "Meeting Not Started": its state changes (starting), the
 * failure notification is withdrawn, and "started" or "not started"
 * follows. */
static void
bk_application_retry_meeting_action (GSimpleAction *action,
                                     GVariant      *parameter,
                                     gpointer       user_data)
{
  bk_application_engine_request (user_data, parameter, bk_engine_retry, _("Meeting Not Started"));
}

/* A notification clicked: the window (opened again if it was closed, in
 * this same process), on the meeting's booking at its occurrence. */
static void
bk_application_show_meeting_action (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  BkApplication *self = user_data;
  const char *occurrence_id = g_variant_get_string (parameter, NULL);
  g_autofree char *uid = bk_engine_occurrence_uid (occurrence_id);
  gint64 recurrence_id = bk_engine_occurrence_recurrence_id (occurrence_id);
  g_autoptr(GDateTime) occurrence = NULL;
  GtkWindow *window;

  g_application_activate (G_APPLICATION (self));
  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (!BK_IS_WINDOW (window))
    return;
  if (recurrence_id != 0)
    occurrence = g_date_time_new_from_unix_utc (recurrence_id);
  bk_window_open_booking (BK_WINDOW (window), uid, occurrence);
}

/* One notification per participant who never answered (it may stand
 * beside the meeting's own). */
static char *
bk_application_participant_notification_id (const char *occurrence_id,
                                            guint       index)
{
  return g_strdup_printf ("participant-%s-%u", occurrence_id, index);
}

/* A participant did not answer any dial attempt: said now, with Redial. */
static void
bk_application_engine_unanswered_cb (BkEngine      *engine,
                                     const char    *occurrence_id,
                                     guint          index,
                                     const char    *uri,
                                     BkApplication *self)
{
  g_autofree char *id = bk_application_participant_notification_id (occurrence_id, index);
  g_autofree char *title = bk_application_dup_title (self, occurrence_id);
  g_autoptr(GNotification) notification = g_notification_new (_("Participant Did Not Answer"));
  /* Translators: %1$s is a participant's address, %2$s the meeting's title. */
  g_autofree char *body = g_strdup_printf (_("%1$s did not answer the call into “%2$s”."), uri, title);

  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_add_button_with_target (notification, _("Redial"), "app.redial-participant",
                                         "(su)", occurrence_id, index);
  /* Clicked: the window, on the meeting. */
  g_notification_set_default_action_and_target (notification, "app.show-meeting", "s", occurrence_id);
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

static void
bk_application_redial_participant_action (GSimpleAction *action,
                                          GVariant      *parameter,
                                          gpointer       user_data)
{
  BkApplication *self = user_data;
  const char *occurrence_id = NULL;
  guint index = 0;
  g_autofree char *id = NULL;
  BkMeeting *meeting;

  if (self->engine == NULL)
    return;
  g_variant_get (parameter, "(&su)", &occurrence_id, &index);
  id = bk_application_participant_notification_id (occurrence_id, index);
  g_application_withdraw_notification (G_APPLICATION (self), id);
  meeting = bk_engine_get_meeting (self->engine, occurrence_id);
  if (meeting == NULL || !bk_meeting_is_running (meeting)
      || index >= bk_meeting_get_n_participants (meeting))
    {
      g_autofree char *title = bk_application_dup_title (self, occurrence_id);
      /* Translators: %s is the meeting's title. */
      g_autofree char *sentence = g_strdup_printf (_("“%s” is no longer running, so nobody can be redialled into it."), title);

      bk_application_notify_refusal (self, occurrence_id, _("Participant Not Redialled"), sentence);
      return;
    }
  /* A fresh set of dial attempts, made by the next poll; the ticket goes
   * as the participant's state changes. */
  bk_meeting_redial (meeting, index);
}

/* A call on one of our slots without a booking (found at launch). */
static void
bk_application_engine_unknown_call_cb (BkEngine      *engine,
                                       const char    *bridge_id,
                                       const char    *call_id,
                                       const char    *sentence,
                                       BkApplication *self)
{
  g_autofree char *id = g_strdup_printf ("unknown-call-%s-%s", bridge_id, call_id);
  g_autoptr(GNotification) notification = g_notification_new (_("Call Without a Booking"));

  g_notification_set_body (notification, sentence);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
  g_notification_add_button_with_target (notification, _("End Call"), "app.end-unknown-call",
                                         "(ss)", bridge_id, call_id);
  g_application_send_notification (G_APPLICATION (self), id, notification);
}

static void
bk_application_unknown_call_ended_cb (GObject      *object,
                                      GAsyncResult *result,
                                      gpointer      user_data)
{
  g_autoptr(BkApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bk_engine_end_unknown_call_finish (BK_ENGINE (object), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autoptr(GNotification) notification = g_notification_new (_("Call Not Ended"));
      /* Translators: %s says why. */
      g_autofree char *body = g_strdup_printf (_("The call could not be ended: %s"), error->message);

      g_notification_set_body (notification, body);
      g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_HIGH);
      g_application_send_notification (G_APPLICATION (self), "unknown-call-not-ended", notification);
    }
}

static void
bk_application_end_unknown_call_action (GSimpleAction *action,
                                        GVariant      *parameter,
                                        gpointer       user_data)
{
  BkApplication *self = user_data;
  const char *bridge_id = NULL;
  const char *call_id = NULL;
  g_autofree char *id = NULL;

  if (self->engine == NULL)
    return;
  g_variant_get (parameter, "(&s&s)", &bridge_id, &call_id);
  id = g_strdup_printf ("unknown-call-%s-%s", bridge_id, call_id);
  g_application_withdraw_notification (G_APPLICATION (self), id);
  bk_engine_end_unknown_call_async (self->engine, bridge_id, call_id, NULL,
                                    bk_application_unknown_call_ended_cb, g_object_ref (self));
}

static void
bk_application_run_in_background_cb (GSettings     *settings,
                                     const char    *key,
                                     BkApplication *self)
{
  bk_application_update_hold (self);
  /* Turned off with nothing due: the autostart entry goes all the same. */
  bk_application_update_background (self);
}

static void
bk_application_start_engine (BkApplication *self)
{
  g_autoptr(GError) error = NULL;

  if (self->clock == NULL)
    self->clock = bk_real_clock_new (TRUE, &error);
  if (self->clock == NULL)
    {
      g_warning ("Booked meetings cannot be run: no wall clock timer: %s", error->message);
      return;
    }
  /* The journal goes beside the bookings (the demo's throwaway profile in
   * demo mode). */
  self->engine = bk_engine_new (self->bookings, self->clock, NULL);
  bk_engine_set_bridge_manager (self->engine, self->bridges);
  bk_engine_set_secrets (self->engine, self->secrets);
  g_signal_connect_object (self->engine, "state-changed",
                           G_CALLBACK (bk_application_engine_state_cb), self, 0);
  g_signal_connect_object (self->engine, "problem",
                           G_CALLBACK (bk_application_engine_problem_cb), self, 0);
  g_signal_connect_object (self->engine, "ending-soon",
                           G_CALLBACK (bk_application_engine_ending_soon_cb), self, 0);
  g_signal_connect_object (self->engine, "participant-unanswered",
                           G_CALLBACK (bk_application_engine_unanswered_cb), self, 0);
  g_signal_connect_object (self->engine, "unknown-call",
                           G_CALLBACK (bk_application_engine_unknown_call_cb), self, 0);
  g_signal_connect_object (self->engine, "failed-over",
                           G_CALLBACK (bk_application_engine_failed_over_cb), self, 0);
  g_signal_connect_object (self->engine, "auto-extended",
                           G_CALLBACK (bk_application_engine_auto_extended_cb), self, 0);
  g_signal_connect_object (self->engine, "notify::n-pending",
                           G_CALLBACK (bk_application_n_pending_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::run-in-background",
                           G_CALLBACK (bk_application_run_in_background_cb), self, 0);
  /* GSettings (dconf) reports a change only of a key read since the
   * handler was connected. */
  (void) g_settings_get_boolean (self->settings, "run-in-background");
}

static void
bk_application_start_background (BkApplication *self)
{
  if (self->sandboxed < 0)
    self->sandboxed = bk_background_is_flatpak ();
  self->background = bk_background_new (g_application_get_application_id (G_APPLICATION (self)),
                                        self->sandboxed);
  bk_background_set_connection (self->background,
                                g_application_get_dbus_connection (G_APPLICATION (self)));
  /* The setting off: an entry left from before goes. */
  bk_application_update_background (self);
}

static void
bk_application_startup (GApplication *app)
{
  BkApplication *self = BK_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *prefs_accels[] = { "<Control>comma", NULL };
  static const char *add_accels[] = { "<Control>n", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (bk_application_parent_class)->startup (app);

  self->settings = g_settings_new ("io.github.bridgekeeper.Bridgekeeper");

  if (self->demo)
    {
      bk_application_start_demo (self);
    }
  else
    {
      self->store = bk_device_store_new (NULL);
      self->secrets = g_object_ref (bk_secrets_get_default ());
    }
  bk_device_store_set_secrets (self->store, self->secrets);
  /* A load error stays in the store's "load-error": the window shows it. */
  if (!bk_device_store_load (self->store, NULL))
    g_message ("The bridge list was not loaded: %s", bk_device_store_get_load_error (self->store));
  self->bridges = bk_bridge_manager_new (self->store, self->secrets);
  bk_application_load_bookings (self);
  bk_application_start_background (self);
  bk_application_start_engine (self);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", prefs_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.add-bridge", add_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay", shortcuts_accels);
}

static void
bk_application_shutdown (GApplication *app)
{
  BkApplication *self = BK_APPLICATION (app);
  g_autoptr(GError) error = NULL;

  /* The engine stops first (its journal written: a new start carries on
   * from it), then the bridges (their requests cancelled), then whatever
   * the store has not written yet is written before the process ends. */
  bk_application_wait_flushed (self->engine, (FlushStartFunc) bk_engine_flush_async,
                               (FlushFinishFunc) bk_engine_flush_finish, "the conference engine's journal");
  if (self->engine != NULL)
    g_object_run_dispose (G_OBJECT (self->engine));
  g_clear_object (&self->engine);
  if (self->held)
    {
      self->held = FALSE;
      g_application_release (app);
    }
  if (self->launch_hold)
    {
      self->launch_hold = FALSE;
      g_application_release (app);
    }
  if (self->background != NULL)
    {
      /* The setting just turned off: its entry goes before the process. */
      bk_background_wait (self->background, 2000);
      g_object_run_dispose (G_OBJECT (self->background));
    }
  if (self->bridges != NULL)
    g_object_run_dispose (G_OBJECT (self->bridges));
  if (self->store != NULL && !bk_device_store_flush (self->store, &error))
    g_warning ("Could not save the list of bridges: %s", error->message);
  bk_application_wait_flushed (self->bookings, (FlushStartFunc) bk_booking_store_flush_async,
                               (FlushFinishFunc) bk_booking_store_flush_finish, "the bookings");

  if (self->demo_cluster != NULL)
    bk_sim_cluster_stop (self->demo_cluster);
  g_clear_object (&self->demo_cluster);
  if (self->demo_dir != NULL)
    {
      /* Save nothing more into the directory we are about to remove. */
      g_clear_object (&self->bridges);
      g_clear_object (&self->bookings);
      g_clear_object (&self->store);
      bk_application_remove_tree (self->demo_dir);
      g_clear_pointer (&self->demo_dir, g_free);
    }

  G_APPLICATION_CLASS (bk_application_parent_class)->shutdown (app);
}

static void
bk_application_finalize (GObject *object)
{
  BkApplication *self = BK_APPLICATION (object);

  g_clear_object (&self->engine);
  g_clear_object (&self->clock);
  g_clear_object (&self->background);
  g_clear_object (&self->settings);
  g_clear_object (&self->bridges);
  g_clear_object (&self->bookings);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);
  g_clear_object (&self->demo_cluster);
  g_clear_pointer (&self->demo_dir, g_free);
  g_clear_pointer (&self->demo_error, g_free);
  g_clear_pointer (&self->preferred_bridge, g_free);

  G_OBJECT_CLASS (bk_application_parent_class)->finalize (object);
}

static void
bk_application_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BkApplication *self = BK_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_BOOKINGS_LOADED:
      g_value_set_boolean (value, self->bookings_loaded);
      break;
    case PROP_HELD_IN_BACKGROUND:
      g_value_set_boolean (value, self->held);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_application_class_init (BkApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = bk_application_finalize;
  object_class->get_property = bk_application_get_property;
  app_class->activate = bk_application_activate;
  app_class->startup = bk_application_startup;
  app_class->shutdown = bk_application_shutdown;
  app_class->handle_local_options = bk_application_handle_local_options;

  /* TRUE once the bookings have been read (or failed to be: see the
   * store's "load-error"). */
  properties[PROP_BOOKINGS_LOADED] =
    g_param_spec_boolean ("bookings-loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* TRUE while the application holds itself so that meetings run with no
   * window open (see bk_application_get_held_in_background()). */
  properties[PROP_HELD_IN_BACKGROUND] =
    g_param_spec_boolean ("held-in-background", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bk_application_init (BkApplication *self)
{
  static const GOptionEntry entries[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Start with a simulated Cisco Meeting Server cluster and a throwaway profile"), NULL },
    { "background", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Start without a window, to run the meetings booked (as after login)"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
    { NULL }
  };

  self->sandboxed = -1;
  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Schedule and run meetings on Cisco Meeting Server bridges."));
}

BkApplication *
bk_application_new (void)
{
  return g_object_new (BK_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/bridgekeeper/Bridgekeeper",
                       NULL);
}

GSettings *
bk_application_get_settings (BkApplication *self)
{
  g_return_val_if_fail (BK_IS_APPLICATION (self), NULL);

  return self->settings;
}

gboolean
bk_application_is_demo (BkApplication *self)
{
  g_return_val_if_fail (BK_IS_APPLICATION (self), FALSE);

  return self->demo;
}

BkDeviceStore *
bk_application_get_store (BkApplication *self)
{
  g_return_val_if_fail (BK_IS_APPLICATION (self), NULL);

  return self->store;
}

BkSecrets *
bk_application_get_secrets (BkApplication *self)
{
  g_return_val_if_fail (BK_IS_APPLICATION (self), NULL);

  return self->secrets;
}

BkBridgeManager *
bk_application_get_bridge_manager (BkApplication *self)
{
  g_return_val_if_fail (BK_IS_APPLICATION (self), NULL);

  return self->bridges;
}

BkSimCluster *
bk_application_get_demo_cluster (BkApplication *self)
{
  g_return_val_if_fail (BK_IS_APPLICATION (self), NULL);

  return self->demo_cluster;
}

const char *
bk_application_get_demo_error (BkApplication *self)
{
  g_return_val_if_fail (BK_IS_APPLICATION (self), NULL);

  return self->demo_error;
}

BkBookingStore *
bk_application_get_bookings (BkApplication *self)
{
  g_return_val_if_fail (BK_IS_APPLICATION (self), NULL);

  return self->bookings;
}

gboolean
bk_application_get_bookings_loaded (BkApplication *self)
{
  g_return_val_if_fail (BK_IS_APPLICATION (self), FALSE);

  return self->bookings_loaded;
}

/* The rules as this application applies them now: every listed bridge (a
 * cluster is one device), the preferred bridge from the settings. */
void
bk_application_fill_rules (BkApplication  *self,
                           BkBookingRules *rules,
                           GPtrArray     **bridges_out)
{
  g_autoptr(GPtrArray) bridges = g_ptr_array_new_with_free_func (g_object_unref);
  guint n;

  g_return_if_fail (BK_IS_APPLICATION (self));
  g_return_if_fail (rules != NULL && bridges_out != NULL);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (bridges, g_list_model_get_item (G_LIST_MODEL (self->store), i));
  g_free (self->preferred_bridge);
  self->preferred_bridge = g_settings_get_string (self->settings, "preferred-bridge");

  /* The engine's clock (a test's fake one) decides what is past. */
  if (self->clock != NULL)
    {
      g_autoptr(GDateTime) now = bk_clock_now (self->clock);

      rules->now = g_date_time_to_unix (now);
    }
  else
    rules->now = g_get_real_time () / G_USEC_PER_SEC;
  rules->bridges = bridges;
  rules->preferred_bridge_id = self->preferred_bridge;
  *bridges_out = g_steal_pointer (&bridges);
}

/* The conference engine (after startup; NULL when no wall-clock timer
 * could be made). transfer none. */
BkEngine *
bk_application_get_engine (BkApplication *self)
{
  g_return_val_if_fail (BK_IS_APPLICATION (self), NULL);

  return self->engine;
}

gboolean
bk_application_get_held_in_background (BkApplication *self)
{
  g_return_val_if_fail (BK_IS_APPLICATION (self), FALSE);

  return self->held;
}

void
bk_application_set_clock_for_testing (BkApplication *self,
                                      BkClock       *clock)
{
  g_return_if_fail (BK_IS_APPLICATION (self));
  g_return_if_fail (BK_IS_CLOCK (clock));
  g_return_if_fail (self->engine == NULL);

  g_set_object (&self->clock, clock);
}

void
bk_application_set_sandboxed_for_testing (BkApplication *self,
                                          gboolean       sandboxed)
{
  g_return_if_fail (BK_IS_APPLICATION (self));
  g_return_if_fail (self->background == NULL);

  self->sandboxed = sandboxed;
}

BkBackground *
bk_application_get_background (BkApplication *self)
{
  g_return_val_if_fail (BK_IS_APPLICATION (self), NULL);

  return self->background;
}

/* The row says what it does, or, when Bridgekeeper could not make sure it
 * runs after login (the portal refused, the entry could not be written),
 * that sentence, with a warning icon. */
static void
bk_application_background_problem_cb (BkBackground *background,
                                      GParamSpec   *pspec,
                                      AdwActionRow *row)
{
  const char *problem = background != NULL ? bk_background_get_problem (background) : NULL;
  GtkWidget *icon = g_object_get_data (G_OBJECT (row), "bk-problem-icon");

  adw_action_row_set_subtitle (row, problem != NULL ? problem
                                    : _("Keep running booked meetings after the window is closed, while meetings are due in the next 24 hours"));
  gtk_widget_set_visible (icon, problem != NULL);
  if (problem != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (row), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "warning");
}

/* A row for Preferences: "Run in the Background" (the "run-in-background"
 * setting), a switch. */
GtkWidget *
bk_application_new_run_in_background_row (BkApplication *self)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  const char *title = _("Run in the Background");

  g_return_val_if_fail (BK_IS_APPLICATION (self), NULL);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  /* The subtitle can be a long sentence. */
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  g_object_set_data (G_OBJECT (row), "bk-problem-icon", icon);
  if (self->background != NULL)
    g_signal_connect_object (self->background, "notify::problem",
                             G_CALLBACK (bk_application_background_problem_cb), row, 0);
  bk_application_background_problem_cb (self->background, NULL, ADW_ACTION_ROW (row));
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  g_settings_bind (self->settings, "run-in-background", toggle, "active", G_SETTINGS_BIND_DEFAULT);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  return row;
}
