/* bk-notify-test.h: a notification server for the GUI tests:
 * org.gtk.Notifications served on the session bus of build-aux/run-headless,
 * as GNOME Shell serves it, recording what the application sends
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Owns org.gtk.Notifications on the session bus (call before the
 * application registers: GApplication picks its notification backend
 * then) and checks that every call comes from @app_id. */
void         bk_notify_test_start        (const char *app_id);

/* Every call so far: "add <id> <title> <priority>|" and "remove <id>|". */
const char  *bk_notify_test_get_calls    (void);
/* The body of the last notification added. */
const char  *bk_notify_test_get_last_body (void);
/* The buttons of the last notification: "<label> <action> <target>|"
 * each ("-" for no target; a target that is not a string as GVariant
 * text, e.g. "('id', 1)"). */
const char  *bk_notify_test_get_last_buttons (void);
/* The default action of the last notification: "<action> <target>" or "". */
const char  *bk_notify_test_get_last_default (void);

/* Waits (up to @timeout_ms) until the calls hold @text; fails if not. */
void         bk_notify_test_wait_call    (const char *text,
                                          guint       timeout_ms);
/* Fails unless the last notification has the button
 * "<label> <action> <target>". */
void         bk_notify_test_assert_button (const char *label,
                                           const char *action,
                                           const char *target);

G_END_DECLS
