/* bk-ics-export.c: save bookings as an .ics file
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkIcsExport"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bk-booking-export.h"
#include "bk-ics-export.h"
#include "bk-window.h"

typedef struct
{
  BkApplication *app;
  GPtrArray     *bookings;
  GFile         *file;
  GHashTable    *pins;      /* uid -> PIN */
  guint          next;      /* the next booking whose PIN is read */
  gboolean       include_pin;
} Write;

static void
write_free (Write *w)
{
  g_clear_object (&w->app);
  g_clear_pointer (&w->bookings, g_ptr_array_unref);
  g_clear_object (&w->file);
  g_clear_pointer (&w->pins, g_hash_table_unref);
  g_free (w);
}

static void
written_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      g_task_return_new_error (task, G_IO_ERROR, error->code,
                               /* Translators: %s is the system's reason. */
                               _("The calendar file could not be written: %s"), error->message);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
write_file (GTask *task)
{
  Write *w = g_task_get_task_data (task);
  char *text = bk_booking_export_ics (w->bookings, w->pins);
  g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));

  g_file_replace_contents_bytes_async (w->file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       g_task_get_cancellable (task), written_cb, task);
}

static void read_next_pin (GTask *task);

static void
pin_read_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Write *w = g_task_get_task_data (task);
  BkBooking *b = g_ptr_array_index (w->bookings, w->next);
  g_autoptr(GError) error = NULL;
  char *pin = bk_secrets_lookup_finish (BK_SECRETS (object), result, &error);

  if (error != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               /* Translators: %s is the keyring's reason. */
                               _("The PIN could not be read from the keyring, so nothing was exported: %s"),
                               error->message);
      return;
    }
  if (pin != NULL)
    g_hash_table_insert (w->pins, g_strdup (b->uid), pin);
  w->next++;
  read_next_pin (g_steal_pointer (&task));
}

static void
read_next_pin (GTask *task)
{
  Write *w = g_task_get_task_data (task);

  while (w->include_pin && w->next < w->bookings->len)
    {
      BkBooking *b = g_ptr_array_index (w->bookings, w->next);

      if (b->has_pin)
        {
          bk_secrets_lookup_async (bk_application_get_secrets (w->app), b->uid, BK_SECRET_KIND_BOOKING_PIN,
                                   g_task_get_cancellable (task), pin_read_cb, task);
          return;
        }
      w->next++;
    }
  write_file (task);
}

void
bk_ics_export_write_async (BkApplication       *app,
                           GPtrArray           *bookings,
                           gboolean             include_pin,
                           GFile               *file,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  Write *w;

  g_return_if_fail (BK_IS_APPLICATION (app));
  g_return_if_fail (bookings != NULL);
  g_return_if_fail (G_IS_FILE (file));

  w = g_new0 (Write, 1);
  w->app = g_object_ref (app);
  w->bookings = g_ptr_array_ref (bookings);
  w->file = g_object_ref (file);
  w->include_pin = include_pin;
  w->pins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) bk_secrets_password_free);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_ics_export_write_async);
  g_task_set_task_data (task, w, (GDestroyNotify) write_free);
  read_next_pin (task);
}

gboolean
bk_ics_export_write_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The file chooser */

static BkWindow *
main_window_of (GtkWindow *window)
{
  while (window != NULL && !BK_IS_WINDOW (window))
    window = gtk_window_get_transient_for (window);
  return window != NULL ? BK_WINDOW (window) : NULL;
}

static void
run_written_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GFile) file = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GApplication) app = g_application_get_default () ? g_object_ref (g_application_get_default ()) : NULL;
  GtkWindow *active = app != NULL ? gtk_application_get_active_window (GTK_APPLICATION (app)) : NULL;
  BkWindow *window = main_window_of (active);
  g_autofree char *text = NULL;
  AdwToast *toast;

  if (!bk_ics_export_write_finish (result, &error))
    text = g_markup_escape_text (error->message, -1);
  else
    {
      g_autofree char *name = g_file_get_basename (file);

      /* Translators: %s is a file name. */
      text = g_markup_printf_escaped (_("Saved as %s"), name);
    }
  if (window == NULL)
    return;
  toast = adw_toast_new (text);
  if (error != NULL)
    adw_toast_set_timeout (toast, 0);
  bk_window_add_toast (window, toast);
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         user_data)
{
  GPtrArray *bookings = g_object_get_data (G_OBJECT (dialog), "bookings");
  BkApplication *app = g_object_get_data (G_OBJECT (dialog), "app");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      const char *pin = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "pin");

      if (file != NULL)
        bk_ics_export_write_async (app, bookings, g_strcmp0 (pin, "true") == 0, file, NULL,
                                   run_written_cb, g_object_ref (file));
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

void
bk_ics_export_run (GtkWindow     *parent,
                   BkApplication *app,
                   GPtrArray     *bookings,
                   const char    *name_hint)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  g_return_if_fail (BK_IS_APPLICATION (app));
  g_return_if_fail (bookings != NULL);

  chooser = gtk_file_chooser_native_new (_("Export Bookings"), parent, GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("iCalendar Files"));
  gtk_file_filter_add_pattern (filter, "*.ics");
  gtk_file_filter_add_mime_type (filter, "text/calendar");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  /* Off unless asked: a PIN in a file travels further than intended. */
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "pin", _("Include PIN"), NULL, NULL);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "pin", "false");

  name = g_strdup_printf ("%s.ics", name_hint != NULL && *name_hint != '\0' ? name_hint : _("Bookings"));
  g_strdelimit (name, "/\\", '-');
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);

  g_object_set_data_full (G_OBJECT (chooser), "bookings", g_ptr_array_ref (bookings),
                          (GDestroyNotify) g_ptr_array_unref);
  g_object_set_data_full (G_OBJECT (chooser), "app", g_object_ref (app), g_object_unref);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), NULL);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
