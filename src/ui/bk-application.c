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

#include "bk-application.h"
#include "bk-booking-file.h"
#include "bk-device-store.h"
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
  /* Demo mode: the in-process simulated cluster and the throwaway profile. */
  BkSimCluster   *demo_cluster;
  char           *demo_dir;
  char           *demo_error;
};

G_DEFINE_FINAL_TYPE (BkApplication, bk_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_BOOKINGS_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void bk_application_load_bookings (BkApplication *self);

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
    bk_window_show_preferences (BK_WINDOW (window));
}

static void
bk_application_quit_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  BkApplication *self = user_data;
  GList *windows;

  /* Close windows first so each saves its state. */
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (self))))
    gtk_window_destroy (windows->data);

  g_application_quit (G_APPLICATION (self));
}

static const GActionEntry app_actions[] = {
  { "about", bk_application_about_action },
  { "preferences", bk_application_preferences_action },
  { "quit", bk_application_quit_action },
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
      /* A demo instance never joins (or replaces) the user's real one. */
      self->demo = TRUE;
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }

  return G_APPLICATION_CLASS (bk_application_parent_class)->handle_local_options (app, options);
}

static void
bk_application_activate (GApplication *app)
{
  BkApplication *self = BK_APPLICATION (app);
  GtkWindow *window;

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
  /* Quit cleanly so shutdown removes the throwaway profile. */
  g_action_group_activate_action (G_ACTION_GROUP (user_data), "quit", NULL);
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
  g_object_notify (G_OBJECT (self), "bookings-loaded");
}

/* Bookings live in the same folder as the bridge list: the user's data
 * folder, or the demo's throwaway profile. */
static void
bk_application_load_bookings (BkApplication *self)
{
  g_autoptr(BkBookingFile) file = bk_booking_file_new (bk_device_store_get_directory (self->store));

  self->bookings = bk_booking_store_new (BK_BOOKING_BACKEND (file), BK_BOOKING_DEFAULT_EARLY_JOIN);
  bk_booking_store_load_async (self->bookings, NULL, bk_application_bookings_loaded_cb,
                               g_object_ref (self));
}

typedef struct
{
  gboolean  done;
  gboolean  abandoned;   /* the wait gave up: the callback frees */
  GError   *error;
} Flush;

static void
bk_application_bookings_flushed_cb (GObject      *object,
                                    GAsyncResult *result,
                                    gpointer      user_data)
{
  Flush *flush = user_data;

  bk_booking_store_flush_finish (BK_BOOKING_STORE (object), result, &flush->error);
  flush->done = TRUE;
  if (flush->abandoned)
    {
      g_clear_error (&flush->error);
      g_free (flush);
    }
}

/* Waits (iterating the main context, at most 10 s) until every booking
 * saved so far is on disk. */
static void
bk_application_flush_bookings (BkApplication *self)
{
  Flush *flush;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  if (self->bookings == NULL)
    return;
  flush = g_new0 (Flush, 1);
  bk_booking_store_flush_async (self->bookings, NULL, bk_application_bookings_flushed_cb, flush);
  while (!flush->done && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  if (!flush->done)
    {
      g_warning ("The bookings were still being saved when Bridgekeeper closed");
      flush->abandoned = TRUE;
      return;
    }
  if (flush->error != NULL)
    g_warning ("Could not save the bookings: %s", flush->error->message);
  g_clear_error (&flush->error);
  g_free (flush);
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

  /* The bridges stop first (their requests cancelled), then whatever the
   * store has not written yet is written before the process ends. */
  if (self->bridges != NULL)
    g_object_run_dispose (G_OBJECT (self->bridges));
  if (self->store != NULL && !bk_device_store_flush (self->store, &error))
    g_warning ("Could not save the list of bridges: %s", error->message);
  bk_application_flush_bookings (self);

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
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bk_application_init (BkApplication *self)
{
  static const GOptionEntry entries[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Start with a simulated Cisco Meeting Server cluster and a throwaway profile"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
    { NULL }
  };

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

  rules->now = g_get_real_time () / G_USEC_PER_SEC;
  rules->bridges = bridges;
  rules->preferred_bridge_id = self->preferred_bridge;
  *bridges_out = g_steal_pointer (&bridges);
}
