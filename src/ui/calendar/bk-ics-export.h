/* bk-ics-export.h: save bookings as an .ics file, chosen through the file
 * chooser (the portal in a Flatpak)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "bk-application.h"

G_BEGIN_DECLS

/* Asks where to save @bookings (BkBooking*) with a GtkFileChooserNative
 * that offers "Include PIN" (off by default), writes the file and says so
 * in a toast on the main window.  @name_hint: the suggested file name
 * (".ics" is added). */
void      bk_ics_export_run          (GtkWindow           *parent,
                                      BkApplication       *app,
                                      GPtrArray           *bookings,
                                      const char          *name_hint);

/* Writes @bookings as iCalendar (bk_booking_export_ics()) to @file: the
 * PINs are read from the keyring only when @include_pin; the text is made
 * on the main thread and written by GIO's worker (replacing @file
 * atomically).  Errors are sentences. */
void      bk_ics_export_write_async  (BkApplication       *app,
                                      GPtrArray           *bookings,
                                      gboolean             include_pin,
                                      GFile               *file,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data);
gboolean  bk_ics_export_write_finish (GAsyncResult        *result,
                                      GError             **error);

G_END_DECLS
