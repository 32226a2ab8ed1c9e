/* bk-background.h: making sure Bridgekeeper runs after login
 *
 * While booked meetings are due and the "run-in-background" setting is
 * on, Bridgekeeper must run again after the next login to start them:
 *
 * - outside Flatpak, an XDG autostart entry,
 *   $XDG_CONFIG_HOME/autostart/<application id>.desktop, that starts
 *   "<bindir>/bridgekeeper --background" (no window, the engine running);
 *   written atomically in a worker thread, removed when the setting is
 *   turned off;
 * - inside Flatpak (/.flatpak-info exists), the Background portal
 *   (org.freedesktop.portal.Background.RequestBackground with autostart,
 *   the command line "bridgekeeper --background" and a reason), over the
 *   session bus; the portal itself writes the autostart entry. A refusal
 *   is kept as a sentence in "problem" (Preferences shows it).
 *
 * Property "problem" (string or NULL): what went wrong, in a sentence
 * that says what it means for booked meetings and what to do.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The option that starts Bridgekeeper without a window. */
#define BK_BACKGROUND_OPTION "--background"

#define BK_TYPE_BACKGROUND (bk_background_get_type ())
G_DECLARE_FINAL_TYPE (BkBackground, bk_background, BK, BACKGROUND, GObject)

/* @application_id names the autostart entry; @sandboxed: TRUE to use the
 * Background portal (see bk_background_is_flatpak()). */
BkBackground *bk_background_new               (const char      *application_id,
                                               gboolean         sandboxed);
/* TRUE when running inside Flatpak. */
gboolean      bk_background_is_flatpak        (void);

/* The session bus for the portal (the application's). */
void          bk_background_set_connection    (BkBackground    *self,
                                               GDBusConnection *connection);

/* Meetings are due and the setting allows running in the background:
 * make sure Bridgekeeper starts after login (@autostart FALSE: only ask
 * to run in the background, as the demo does inside Flatpak). Asks the
 * portal once until bk_background_disable(); rewrites the autostart entry
 * only when it differs. */
void          bk_background_enable            (BkBackground    *self,
                                               gboolean         autostart);
/* The setting was turned off: no autostart entry (outside Flatpak it is
 * removed; inside, the portal is asked to remove its entry, only when this
 * process asked for one). */
void          bk_background_disable           (BkBackground    *self);

/* At quit: lets the autostart entry's last change finish (iterating the
 * main context, at most @timeout_ms). */
void          bk_background_wait              (BkBackground    *self,
                                               guint            timeout_ms);

const char   *bk_background_get_problem       (BkBackground    *self);
/* The autostart entry's path (outside Flatpak) and its contents. */
const char   *bk_background_get_autostart_path (BkBackground   *self);
char         *bk_background_dup_autostart_contents (BkBackground *self);
/* The command line the autostart entry runs, as the portal is given it. */
const char * const *bk_background_get_commandline (void);

G_END_DECLS
