/* bk-background.c: making sure Bridgekeeper runs after login
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkBackground"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "bk-background.h"

#define PORTAL_BUS_NAME     "org.freedesktop.portal.Desktop"
#define PORTAL_OBJECT_PATH  "/org/freedesktop/portal/desktop"
#define PORTAL_BACKGROUND   "org.freedesktop.portal.Background"
#define PORTAL_REQUEST      "org.freedesktop.portal.Request"

typedef enum
{
  WANT_NOTHING,   /* not decided yet */
  WANT_PRESENT,
  WANT_ABSENT,
} Want;

struct _BkBackground
{
  GObject          parent_instance;

  char            *application_id;
  gboolean         sandboxed;
  char            *problem;
  GCancellable    *cancellable;

  /* Outside Flatpak: the autostart entry, written or removed in a worker
   * thread, one operation at a time (the last wish wins). */
  char            *autostart_path;
  Want             file_want;
  Want             file_done;
  gboolean         file_busy;

  /* Inside Flatpak: the portal. */
  GDBusConnection *connection;
  Want             portal_want;       /* autostart wanted or not */
  gboolean         portal_autostart;  /* ask for autostart (not the demo) */
  Want             portal_done;       /* what the portal was last asked */
  Want             portal_asking;     /* what the request in flight asks */
  gboolean         portal_busy;
  guint            response_id;
  char            *request_path;
};

G_DEFINE_FINAL_TYPE (BkBackground, bk_background, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROBLEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const commandline[] = { "bridgekeeper", BK_BACKGROUND_OPTION, NULL };

static void bk_background_apply_file (BkBackground *self);
static void bk_background_apply_portal (BkBackground *self);

static void
bk_background_set_problem (BkBackground *self,
                           const char   *problem)
{
  if (g_strcmp0 (problem, self->problem) == 0)
    return;
  g_free (self->problem);
  self->problem = g_strdup (problem);
  if (problem != NULL)
    g_message ("%s", problem);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

/* ---- outside Flatpak: the XDG autostart entry ---- */

/* The Exec key's program, quoted as the Desktop Entry Specification says
 * when it contains a reserved character. */
static char *
bk_background_quote_exec (const char *program)
{
  GString *out;

  if (strpbrk (program, " \t\n\"'\\><~|&;$*?#()`") == NULL)
    return g_strdup (program);
  out = g_string_new ("\"");
  for (const char *p = program; *p != '\0'; p++)
    {
      if (strchr ("\"`$\\", *p) != NULL)
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

char *
bk_background_dup_autostart_contents (BkBackground *self)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *program = g_build_filename (BINDIR, "bridgekeeper", NULL);
  g_autofree char *quoted = bk_background_quote_exec (program);
  g_autofree char *exec = g_strconcat (quoted, " " BK_BACKGROUND_OPTION, NULL);
  const char *group = G_KEY_FILE_DESKTOP_GROUP;

  g_return_val_if_fail (BK_IS_BACKGROUND (self), NULL);

  g_key_file_set_string (key_file, group, G_KEY_FILE_DESKTOP_KEY_TYPE, G_KEY_FILE_DESKTOP_TYPE_APPLICATION);
  g_key_file_set_string (key_file, group, G_KEY_FILE_DESKTOP_KEY_NAME, "Bridgekeeper");
  g_key_file_set_string (key_file, group, G_KEY_FILE_DESKTOP_KEY_COMMENT,
                         _("Starts the meetings booked in Bridgekeeper on time"));
  g_key_file_set_string (key_file, group, G_KEY_FILE_DESKTOP_KEY_ICON, self->application_id);
  g_key_file_set_string (key_file, group, G_KEY_FILE_DESKTOP_KEY_EXEC, exec);
  g_key_file_set_boolean (key_file, group, G_KEY_FILE_DESKTOP_KEY_TERMINAL, FALSE);
  g_key_file_set_boolean (key_file, group, G_KEY_FILE_DESKTOP_KEY_NO_DISPLAY, TRUE);
  g_key_file_set_boolean (key_file, group, "X-GNOME-Autostart-enabled", TRUE);
  g_key_file_set_boolean (key_file, group, "X-GNOME-UsesNotifications", TRUE);
  return g_key_file_to_data (key_file, NULL, NULL);
}

typedef struct
{
  Want  want;
  char *path;
  char *contents;   /* WANT_PRESENT */
} FileOp;

static void
file_op_free (FileOp *op)
{
  g_free (op->path);
  g_free (op->contents);
  g_free (op);
}

static void
bk_background_file_thread (GTask        *task,
                           gpointer      source_object,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  FileOp *op = task_data;
  GError *error = NULL;

  if (op->want == WANT_PRESENT)
    {
      g_autofree char *dir = g_path_get_dirname (op->path);
      g_autofree char *old = NULL;

      /* Unchanged: nothing to write. */
      if (g_file_get_contents (op->path, &old, NULL, NULL) && g_str_equal (old, op->contents))
        {
          g_task_return_boolean (task, TRUE);
          return;
        }
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved = errno;

          g_task_return_new_error (task, G_FILE_ERROR, g_file_error_from_errno (saved),
                                   "%s: %s", dir, g_strerror (saved));
          return;
        }
      /* Atomic: a new file renamed over the old one. */
      if (!g_file_set_contents_full (op->path, op->contents, -1,
                                     G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                     0644, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  else if (g_unlink (op->path) != 0 && errno != ENOENT)
    {
      int saved = errno;

      g_task_return_new_error (task, G_FILE_ERROR, g_file_error_from_errno (saved),
                               "%s: %s", op->path, g_strerror (saved));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
bk_background_file_done_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  BkBackground *self = BK_BACKGROUND (source);
  FileOp *op = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->file_busy = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_autofree char *sentence = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (op->want == WANT_PRESENT)
        /* Translators: %s says why (a file and the system's reason). */
        sentence = g_strdup_printf (_("Bridgekeeper could not set itself to start after you log in (%s). "
                                      "Open it after logging in so that booked meetings start."),
                                    error->message);
      else
        /* Translators: %s says why (a file and the system's reason). */
        sentence = g_strdup_printf (_("Bridgekeeper could not stop itself from starting after you log in (%s). "
                                      "Remove that file to stop it."),
                                    error->message);
      /* Not tried again at once: at the next wish (enable() tries again
       * when the entry is missing). */
      self->file_done = op->want;
      bk_background_set_problem (self, sentence);
    }
  else
    {
      self->file_done = op->want;
      bk_background_set_problem (self, NULL);
    }
  bk_background_apply_file (self);
}

static void
bk_background_apply_file (BkBackground *self)
{
  g_autoptr(GTask) task = NULL;
  FileOp *op;

  if (self->file_busy || self->file_want == WANT_NOTHING || self->file_want == self->file_done)
    return;
  op = g_new0 (FileOp, 1);
  op->want = self->file_want;
  op->path = g_strdup (self->autostart_path);
  if (op->want == WANT_PRESENT)
    op->contents = bk_background_dup_autostart_contents (self);
  self->file_busy = TRUE;
  task = g_task_new (self, self->cancellable, bk_background_file_done_cb, NULL);
  g_task_set_source_tag (task, bk_background_apply_file);
  g_task_set_task_data (task, op, (GDestroyNotify) file_op_free);
  g_task_run_in_thread (task, bk_background_file_thread);
}

/* ---- inside Flatpak: the Background portal ---- */

static void
bk_background_unsubscribe (BkBackground *self)
{
  if (self->response_id != 0 && self->connection != NULL)
    g_dbus_connection_signal_unsubscribe (self->connection, self->response_id);
  self->response_id = 0;
  g_clear_pointer (&self->request_path, g_free);
}

static void
bk_background_portal_finished (BkBackground *self,
                               Want          asked,
                               const char   *problem)
{
  bk_background_unsubscribe (self);
  self->portal_busy = FALSE;
  self->portal_done = asked;
  bk_background_set_problem (self, problem);
  bk_background_apply_portal (self);
}

static void
bk_background_response_cb (GDBusConnection *connection,
                           const char      *sender_name,
                           const char      *object_path,
                           const char      *interface_name,
                           const char      *signal_name,
                           GVariant        *parameters,
                           gpointer         user_data)
{
  BkBackground *self = user_data;
  g_autoptr(GVariant) results = NULL;
  gboolean background = FALSE;
  gboolean autostart = FALSE;
  Want asked = self->portal_asking;
  guint32 response;

  if (!g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(ua{sv})")))
    return;
  g_variant_get (parameters, "(u@a{sv})", &response, &results);
  g_variant_lookup (results, "background", "b", &background);
  g_variant_lookup (results, "autostart", "b", &autostart);
  g_debug ("Background portal: response %u, background %d, autostart %d", response, background, autostart);

  if (asked == WANT_ABSENT)
    /* Turned off: whatever the answer, nothing is asked of the user. */
    bk_background_portal_finished (self, asked, NULL);
  else if (response != 0 || !background)
    bk_background_portal_finished (self, asked,
                                   _("Bridgekeeper is not allowed to run in the background: booked meetings "
                                     "will not start while its window is closed. Allow it in the system "
                                     "settings (Apps), or keep the window open."));
  else if (asked == WANT_PRESENT && self->portal_autostart && !autostart)
    bk_background_portal_finished (self, asked,
                                   _("Bridgekeeper may run in the background but not start by itself after you "
                                     "log in: open it after logging in so that booked meetings start."));
  else
    bk_background_portal_finished (self, asked, NULL);
}

static void
bk_background_subscribe (BkBackground *self,
                         const char   *path)
{
  bk_background_unsubscribe (self);
  self->request_path = g_strdup (path);
  self->response_id =
    g_dbus_connection_signal_subscribe (self->connection, PORTAL_BUS_NAME, PORTAL_REQUEST, "Response",
                                        path, NULL, G_DBUS_SIGNAL_FLAGS_NO_MATCH_RULE,
                                        bk_background_response_cb, self, NULL);
}

static void
bk_background_request_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  BkBackground *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  const char *handle;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = BK_BACKGROUND (user_data);
  if (reply == NULL)
    {
      g_autofree char *remote = g_dbus_error_get_remote_error (error);
      g_autofree char *sentence = NULL;

      g_dbus_error_strip_remote_error (error);
      g_debug ("RequestBackground failed (%s): %s", remote ? remote : "-", error->message);
      /* Translators: %s is the system's reason. */
      sentence = g_strdup_printf (_("Bridgekeeper could not ask to run in the background (%s): booked meetings "
                                    "will not start while its window is closed. Keep the window open."),
                                  error->message);
      bk_background_portal_finished (self, self->portal_asking, sentence);
      return;
    }
  /* An older portal answers on another path than the one predicted. */
  g_variant_get (reply, "(&o)", &handle);
  if (g_strcmp0 (handle, self->request_path) != 0)
    bk_background_subscribe (self, handle);
}

static void
bk_background_apply_portal (BkBackground *self)
{
  g_autofree char *token = NULL;
  g_autofree char *sender = NULL;
  g_autofree char *path = NULL;
  GVariantBuilder options;
  gboolean autostart;

  if (self->portal_busy || self->portal_want == WANT_NOTHING || self->portal_want == self->portal_done)
    return;
  if (self->connection == NULL)
    {
      self->portal_done = self->portal_want;
      bk_background_set_problem (self, _("Bridgekeeper could not ask to run in the background (no session bus): "
                                         "booked meetings will not start while its window is closed. "
                                         "Keep the window open."));
      return;
    }

  autostart = self->portal_want == WANT_PRESENT && self->portal_autostart;
  token = g_strdup_printf ("bridgekeeper%u", g_random_int ());
  /* The request's object path, known before the call so that the answer
   * cannot come before the subscription. */
  sender = g_strdup (g_dbus_connection_get_unique_name (self->connection) + 1);
  g_strdelimit (sender, ".", '_');
  path = g_strdup_printf (PORTAL_OBJECT_PATH "/request/%s/%s", sender, token);
  bk_background_subscribe (self, path);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  g_variant_builder_add (&options, "{sv}", "reason",
                         g_variant_new_string (_("Start and end booked meetings on time while the window is closed")));
  g_variant_builder_add (&options, "{sv}", "autostart", g_variant_new_boolean (autostart));
  g_variant_builder_add (&options, "{sv}", "commandline", g_variant_new_strv (commandline, -1));
  g_variant_builder_add (&options, "{sv}", "dbus-activatable", g_variant_new_boolean (FALSE));

  self->portal_busy = TRUE;
  self->portal_asking = self->portal_want;
  /* Asked now: a later wish (the setting turned off) waits for the answer. */
  g_debug ("RequestBackground (autostart %d)", autostart);
  g_dbus_connection_call (self->connection, PORTAL_BUS_NAME, PORTAL_OBJECT_PATH, PORTAL_BACKGROUND,
                          "RequestBackground", g_variant_new ("(sa{sv})", "", &options),
                          G_VARIANT_TYPE ("(o)"), G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable,
                          bk_background_request_cb, self);
}

/* ---- the object ---- */

static void
bk_background_dispose (GObject *object)
{
  BkBackground *self = BK_BACKGROUND (object);

  g_cancellable_cancel (self->cancellable);
  bk_background_unsubscribe (self);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (bk_background_parent_class)->dispose (object);
}

static void
bk_background_finalize (GObject *object)
{
  BkBackground *self = BK_BACKGROUND (object);

  g_clear_object (&self->cancellable);
  g_free (self->application_id);
  g_free (self->autostart_path);
  g_free (self->problem);

  G_OBJECT_CLASS (bk_background_parent_class)->finalize (object);
}

static void
bk_background_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  BkBackground *self = BK_BACKGROUND (object);

  switch (prop_id)
    {
    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_background_class_init (BkBackgroundClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bk_background_dispose;
  object_class->finalize = bk_background_finalize;
  object_class->get_property = bk_background_get_property;

  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bk_background_init (BkBackground *self)
{
  self->cancellable = g_cancellable_new ();
}

BkBackground *
bk_background_new (const char *application_id,
                   gboolean    sandboxed)
{
  BkBackground *self;
  g_autofree char *name = NULL;

  g_return_val_if_fail (application_id != NULL, NULL);

  self = g_object_new (BK_TYPE_BACKGROUND, NULL);
  self->application_id = g_strdup (application_id);
  self->sandboxed = sandboxed;
  name = g_strconcat (application_id, ".desktop", NULL);
  self->autostart_path = g_build_filename (g_get_user_config_dir (), "autostart", name, NULL);
  return self;
}

gboolean
bk_background_is_flatpak (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

void
bk_background_set_connection (BkBackground    *self,
                              GDBusConnection *connection)
{
  g_return_if_fail (BK_IS_BACKGROUND (self));
  g_return_if_fail (connection == NULL || G_IS_DBUS_CONNECTION (connection));

  g_set_object (&self->connection, connection);
}

void
bk_background_enable (BkBackground *self,
                      gboolean      autostart)
{
  g_return_if_fail (BK_IS_BACKGROUND (self));

  if (self->sandboxed)
    {
      self->portal_want = WANT_PRESENT;
      self->portal_autostart = autostart;
      bk_background_apply_portal (self);
    }
  else if (autostart)
    {
      self->file_want = WANT_PRESENT;
      /* Written again if it was removed meanwhile (by hand, by a tool). */
      if (!self->file_busy && !g_file_test (self->autostart_path, G_FILE_TEST_EXISTS))
        self->file_done = WANT_NOTHING;
      bk_background_apply_file (self);
    }
}

void
bk_background_disable (BkBackground *self)
{
  g_return_if_fail (BK_IS_BACKGROUND (self));

  if (self->sandboxed)
    {
      /* Only undo what this process asked for: asking the portal at every
       * launch could prompt the user for nothing. */
      if (self->portal_want == WANT_PRESENT || self->portal_busy)
        {
          self->portal_want = WANT_ABSENT;
          bk_background_apply_portal (self);
        }
    }
  else
    {
      self->file_want = WANT_ABSENT;
      bk_background_apply_file (self);
    }
}

static gboolean
bk_background_wait_timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
bk_background_wait (BkBackground *self,
                    guint         timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id;

  g_return_if_fail (BK_IS_BACKGROUND (self));

  if (!self->file_busy)
    return;
  id = g_timeout_add (timeout_ms, bk_background_wait_timeout_cb, &timed_out);
  /* The callback of each change starts the next one, if any. */
  while (self->file_busy && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
}

const char *
bk_background_get_problem (BkBackground *self)
{
  g_return_val_if_fail (BK_IS_BACKGROUND (self), NULL);

  return self->problem;
}

const char *
bk_background_get_autostart_path (BkBackground *self)
{
  g_return_val_if_fail (BK_IS_BACKGROUND (self), NULL);

  return self->autostart_path;
}

const char * const *
bk_background_get_commandline (void)
{
  return commandline;
}
