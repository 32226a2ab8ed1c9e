/* bk-format.h: how the UI writes numbers, times and certificate facts
 *
 * GTK-free (GLib/GIO only) so it is tested without a display.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* TMS's Call Bridge Uptime: "4d, 22:11:52" (days only when > 0:
 * "22:11:52"); NULL for a negative (unknown) value. */
char   *bk_format_uptime           (gint64      seconds);

/* A CMS bit rate (bits per second) in kbit/s: "1,234 kbit/s" style,
 * rounded; NULL for a negative (unknown) value. */
char   *bk_format_bit_rate         (gint64      bits_per_second);

/* A request duration: "850 µs", "12 ms", "1.4 s". */
char   *bk_format_duration_us      (gint64      microseconds);

/* The 32 upper-case hex pairs of a SHA-256 hex string (64 hex digits,
 * colons and spaces ignored); NULL when it is not one. */
GStrv   bk_format_fingerprint_pairs (const char *sha256_hex);

/* One translated phrase per problem in @flags ("The certificate is not
 * signed by a known authority.", ...); an empty vector when none. */
GStrv   bk_format_tls_flags        (GTlsCertificateFlags flags);

/* "Last checked at 14:08:19" for today, "Last checked on 26 Jul 2016,
 * 14:08" before, "Never checked" for NULL; in the local time zone. */
char   *bk_format_last_checked     (GDateTime  *when,
                                    GDateTime  *now);

G_END_DECLS
