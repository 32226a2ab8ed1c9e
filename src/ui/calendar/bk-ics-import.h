/* bk-ics-import.h: book the meetings of an .ics file
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "bk-application.h"

G_BEGIN_DECLS

/*
 * Each event of @text (iCalendar, as Bridgekeeper exports it) is booked as
 * a new booking through the rules, with Automatic routing (the slot is
 * chosen here, not taken from the file; a PIN is not in the file).  Events
 * whose UID is already booked are skipped.  Returns FALSE with @error (a
 * sentence) when the text is not a calendar; else the counts, and in
 * @first_refusal the rules' sentence for the first event refused (NULL
 * when none was).
 */
gboolean  bk_ics_import_text (BkApplication  *app,
                              const char     *text,
                              guint          *n_booked,
                              guint          *n_already,
                              guint          *n_refused,
                              char          **first_refusal,
                              GError        **error);

/* Asks for an .ics file (GtkFileChooserNative), reads it without blocking,
 * books its meetings and says what happened in a toast on the main
 * window. */
void      bk_ics_import_run  (GtkWindow      *parent,
                              BkApplication  *app);

G_END_DECLS
