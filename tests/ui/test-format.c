/* test-format.c: the UI's GTK-free formatters (uptime, bit rates,
 * durations, fingerprint pairs, TLS reasons, last-checked times)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestFormat"

#include "config.h"

#include <locale.h>
#include <string.h>

#include "bk-format.h"
#include "bk-test-util.h"

static void
check_uptime (gint64      seconds,
              const char *expected)
{
  g_autofree char *text = bk_format_uptime (seconds);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_uptime (void)
{
  /* TMS's own example: 4d, 22:11:52. */
  check_uptime (4 * 86400 + 22 * 3600 + 11 * 60 + 52, "4d, 22:11:52");
  /* The trace's uptimeSeconds (333717 s = 3 days 20:41:57). */
  check_uptime (333717, "3d, 20:41:57");
  check_uptime (0, "00:00:00");
  check_uptime (59, "00:00:59");
  check_uptime (86399, "23:59:59");
  check_uptime (86400, "1d, 00:00:00");
  check_uptime (400 * 86400 + 1, "400d, 00:00:01");
  /* Unknown (the decoder's -1). */
  check_uptime (-1, NULL);
}

static void
test_bit_rate (void)
{
  g_autofree char *a = bk_format_bit_rate (64000);
  g_autofree char *b = bk_format_bit_rate (0);
  g_autofree char *c = bk_format_bit_rate (1499);
  g_autofree char *d = bk_format_bit_rate (1500);
  g_autofree char *e = bk_format_bit_rate (-1);

  g_assert_cmpstr (a, ==, "64 kbit/s");
  g_assert_cmpstr (b, ==, "0 kbit/s");
  g_assert_cmpstr (c, ==, "1 kbit/s");
  g_assert_cmpstr (d, ==, "2 kbit/s");
  g_assert_null (e);
}

static void
test_duration (void)
{
  g_autofree char *a = bk_format_duration_us (850);
  g_autofree char *b = bk_format_duration_us (12400);
  g_autofree char *c = bk_format_duration_us (14 * G_USEC_PER_SEC + 400000);

  g_assert_cmpstr (a, ==, "850 µs");
  g_assert_cmpstr (b, ==, "12 ms");
  g_assert_cmpstr (c, ==, "14.4 s");
}

static void
test_fingerprint_pairs (void)
{
  const char *hex = "00112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF";
  g_auto(GStrv) pairs = bk_format_fingerprint_pairs (hex);
  g_auto(GStrv) colons = bk_format_fingerprint_pairs ("00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:"
                                                      "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF");
  g_auto(GStrv) short_one = bk_format_fingerprint_pairs ("0011");
  g_auto(GStrv) bad = bk_format_fingerprint_pairs ("zz112233445566778899aabbccddeeff00112233445566778899AABBCCDDEEFF");

  g_assert_nonnull (pairs);
  /* 32 pairs: the 4 x 8 grid. */
  g_assert_cmpuint (g_strv_length (pairs), ==, 32);
  g_assert_cmpstr (pairs[0], ==, "00");
  g_assert_cmpstr (pairs[10], ==, "AA");
  g_assert_cmpstr (pairs[31], ==, "FF");
  g_assert_true (g_strv_equal ((const char * const *) pairs, (const char * const *) colons));
  g_assert_null (short_one);
  g_assert_null (bad);
  g_assert_null (bk_format_fingerprint_pairs (NULL));
}

static void
test_tls_flags (void)
{
  g_auto(GStrv) none = bk_format_tls_flags (0);
  g_auto(GStrv) two = bk_format_tls_flags (G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_EXPIRED);
  g_auto(GStrv) all = bk_format_tls_flags (G_TLS_CERTIFICATE_VALIDATE_ALL);

  g_assert_cmpuint (g_strv_length (none), ==, 0);
  g_assert_cmpuint (g_strv_length (two), ==, 2);
  g_assert_nonnull (strstr (two[0], "authority"));
  g_assert_nonnull (strstr (two[1], "expired"));
  /* Every flag has its own sentence. */
  g_assert_cmpuint (g_strv_length (all), ==, 7);
}

static void
test_last_checked (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 26, 14, 30, 0);
  g_autoptr(GDateTime) today = g_date_time_new_utc (2026, 11, 26, 14, 8, 19);
  g_autoptr(GDateTime) before = g_date_time_new_utc (2016, 7, 26, 14, 8, 19);
  g_autofree char *never = bk_format_last_checked (NULL, now);
  g_autofree char *a = bk_format_last_checked (today, now);
  g_autofree char *b = bk_format_last_checked (before, now);

  /* TZ=UTC in the test environment. */
  g_assert_cmpstr (never, ==, "Never checked");
  g_assert_cmpstr (a, ==, "Last checked at 14:08:19");
  g_assert_true (g_str_has_prefix (b, "Last checked on "));
  g_assert_nonnull (strstr (b, "14:08"));
}

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bk_test_init (&argc, &argv);

  g_test_add_func ("/format/uptime", test_uptime);
  g_test_add_func ("/format/bit-rate", test_bit_rate);
  g_test_add_func ("/format/duration", test_duration);
  g_test_add_func ("/format/fingerprint-pairs", test_fingerprint_pairs);
  g_test_add_func ("/format/tls-flags", test_tls_flags);
  g_test_add_func ("/format/last-checked", test_last_checked);

  return g_test_run ();
}
