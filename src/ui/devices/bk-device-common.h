/* bk-device-common.h: small helpers shared by the device page's tabs
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bk-bridge.h"

G_BEGIN_DECLS

/* Whether @error is a cancellation. */
gboolean    bk_device_is_cancelled         (const GError   *error);

/* Shows @text in an inline message label (hidden when NULL or empty),
 * styled as an error when @error. */
void        bk_device_show_message         (GtkLabel       *label,
                                            const char     *text,
                                            gboolean        error);

/* A toast in the BkWindow that holds @widget (nothing when there is none).
 * @text is plain text, not markup. */
void        bk_device_add_toast            (GtkWidget      *widget,
                                            const char     *text);

/* "Reachable", "Unreachable", "Not checked yet". */
const char *bk_device_reachability_text    (BkReachability  reachability);

/* "In call", "Idle", or "Unknown" before the bridge's first answer. */
const char *bk_device_status_text          (BkBridge       *bridge);

/* The device's address as people type it (host, and the port unless 443). */
char       *bk_device_dup_address          (BkDevice       *device);

/* A weak reference for the callback of an operation that the page started
 * but that must not end with it (the bridge is core's and lives on):
 * new() takes a weak reference to @object; steal() frees @ref and returns
 * a strong reference, or NULL when the object is gone. */
GWeakRef   *bk_device_weak_ref_new         (gpointer        object);
gpointer    bk_device_weak_ref_steal       (GWeakRef       *ref);

G_END_DECLS
