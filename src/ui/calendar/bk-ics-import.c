/* bk-ics-import.c: book the meetings of an .ics file
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkIcsImport"

#include "config.h"

#include <glib/gi18n.h>

#include "bk-booking-ical.h"
#include "bk-ics-import.h"
#include "bk-window.h"

gboolean
bk_ics_import_text (BkApplication  *app,
                    const char     *text,
                    guint          *n_booked,
                    guint          *n_already,
                    guint          *n_refused,
                    char          **first_refusal,
                    GError        **error)
{
  BkBookingStore *store;
  g_autoptr(GPtrArray) bookings = NULL;
  g_autoptr(GPtrArray) bridges = NULL;
  g_autoptr(GError) local_error = NULL;
  BkBookingRules rules = { 0 };

  g_return_val_if_fail (BK_IS_APPLICATION (app), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  *n_booked = *n_already = *n_refused = 0;
  *first_refusal = NULL;
  store = bk_application_get_bookings (app);

  bk_booking_ical_init ();
  bookings = bk_booking_ical_read (text, &local_error);
  if (bookings == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   /* Translators: %s is a short technical reason. */
                   _("The file is not a calendar Bridgekeeper can read, so nothing was booked (%s)."),
                   local_error->message);
      return FALSE;
    }

  bk_application_fill_rules (app, &rules, &bridges);
  for (guint i = 0; i < bookings->len; i++)
    {
      BkBooking *read = g_ptr_array_index (bookings, i);
      g_autoptr(BkBooking) b = NULL;
      g_autoptr(GError) refusal = NULL;

      if (bk_booking_store_lookup (store, read->uid) != NULL)
        {
          (*n_already)++;
          continue;
        }
      /* The file's meeting address belongs to whoever exported it: the
       * rules choose a bridge and a slot here. */
      b = bk_booking_copy (read);
      b->sequence = 0;
      b->automatic_bridge = TRUE;
      bk_booking_set_string (&b->bridge_id, "");
      b->slot_number = 0;
      bk_booking_set_string (&b->slot_address, "");
      b->has_pin = FALSE;
      if (bk_booking_store_save (store, &rules, b, NULL, &refusal))
        (*n_booked)++;
      else
        {
          if (*first_refusal == NULL)
            /* Translators: “<title>”: <the rules' sentence>. */
            *first_refusal = g_strdup_printf (_("“%s”: %s"), b->title, refusal->message);
          (*n_refused)++;
        }
    }
  return TRUE;
}

static BkWindow *
main_window (BkApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  while (window != NULL && !BK_IS_WINDOW (window))
    window = gtk_window_get_transient_for (window);
  return window != NULL ? BK_WINDOW (window) : NULL;
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BkApplication) app = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *refusal = NULL;
  g_autofree char *text = NULL;
  guint booked = 0, already = 0, refused = 0;
  BkWindow *window = main_window (app);
  AdwToast *toast;

  if (!g_file_load_contents_finish (G_FILE (object), result, &contents, NULL, NULL, &error))
    {
      g_autofree char *sentence = g_strdup_printf (_("The file could not be read: %s"), error->message);

      text = g_markup_escape_text (sentence, -1);
    }
  else if (!g_utf8_validate (contents, -1, NULL))
    text = g_markup_escape_text (_("The file is not a calendar Bridgekeeper can read, so nothing was booked (it is not text)."), -1);
  else if (!bk_ics_import_text (app, contents, &booked, &already, &refused, &refusal, &error))
    text = g_markup_escape_text (error->message, -1);
  else
    {
      GString *sentence = g_string_new (NULL);

      g_string_append_printf (sentence, g_dngettext (GETTEXT_PACKAGE, "%u meeting booked.", "%u meetings booked.", booked),
                              booked);
      /* Translators: the sentences below follow the first one; each
       * starts with the space between sentences (none in Chinese). */
      if (already > 0)
        g_string_append_printf (sentence, g_dngettext (GETTEXT_PACKAGE, " %u was already booked.", " %u were already booked.", already),
                                already);
      if (refused > 0)
        g_string_append_printf (sentence, g_dngettext (GETTEXT_PACKAGE, " %u was refused: %s", " %u were refused; the first: %s", refused),
                                refused, refusal);
      text = g_markup_escape_text (sentence->str, -1);
      g_string_free (sentence, TRUE);
    }

  if (window == NULL)
    return;
  toast = adw_toast_new (text);
  if (error != NULL || refused > 0)
    adw_toast_set_timeout (toast, 0);
  bk_window_add_toast (window, toast);
}

static void
chooser_response_cb (GtkNativeDialog *dialog,
                     int              response,
                     gpointer         user_data)
{
  BkApplication *app = g_object_get_data (G_OBJECT (dialog), "app");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file != NULL)
        g_file_load_contents_async (file, NULL, loaded_cb, g_object_ref (app));
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

void
bk_ics_import_run (GtkWindow     *parent,
                   BkApplication *app)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  g_return_if_fail (BK_IS_APPLICATION (app));

  chooser = gtk_file_chooser_native_new (_("Import Bookings"), parent, GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("iCalendar Files"));
  gtk_file_filter_add_pattern (filter, "*.ics");
  gtk_file_filter_add_mime_type (filter, "text/calendar");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_object_set_data_full (G_OBJECT (chooser), "app", g_object_ref (app), g_object_unref);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), NULL);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
