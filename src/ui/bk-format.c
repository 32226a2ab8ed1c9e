/* bk-format.c: how the UI writes numbers, times and certificate facts
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkFormat"

#include "config.h"

#include <glib/gi18n.h>

#include "bk-format.h"

char *
bk_format_uptime (gint64 seconds)
{
  guint64 days, hours, minutes, secs;

  if (seconds < 0)
    return NULL;

  days = seconds / 86400;
  hours = (seconds % 86400) / 3600;
  minutes = (seconds % 3600) / 60;
  secs = seconds % 60;

  if (days > 0)
    {
      g_autofree char *day_text = g_strdup_printf ("%" G_GUINT64_FORMAT, days);

      /* Translators: uptime as TMS writes it: the number of days, then
       * hours:minutes:seconds. */
      return g_strdup_printf (_("%sd, %02u:%02u:%02u"),
                              day_text, (guint) hours, (guint) minutes, (guint) secs);
    }

  return g_strdup_printf ("%02u:%02u:%02u", (guint) hours, (guint) minutes, (guint) secs);
}

char *
bk_format_bit_rate (gint64 bits_per_second)
{
  g_autofree char *number = NULL;

  if (bits_per_second < 0)
    return NULL;

  /* Digits grouped as the locale does. */
  number = g_strdup_printf ("%'" G_GINT64_FORMAT, (bits_per_second + 500) / 1000);
  /* Translators: a bit rate; %s is the number of kilobits per second. */
  return g_strdup_printf (_("%s kbit/s"), number);
}

char *
bk_format_duration_us (gint64 microseconds)
{
  if (microseconds < 0)
    microseconds = 0;

  if (microseconds < 1000)
    /* Translators: a duration in microseconds. */
    return g_strdup_printf (_("%u µs"), (guint) microseconds);
  if (microseconds < 10 * G_USEC_PER_SEC)
    /* Translators: a duration in milliseconds. */
    return g_strdup_printf (_("%u ms"), (guint) ((microseconds + 500) / 1000));

  /* Translators: a duration in seconds. */
  return g_strdup_printf (_("%.1f s"), microseconds / (double) G_USEC_PER_SEC);
}

GStrv
bk_format_fingerprint_pairs (const char *sha256_hex)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  g_autoptr(GStrvBuilder) builder = NULL;

  if (sha256_hex == NULL)
    return NULL;

  for (const char *p = sha256_hex; *p != '\0'; p++)
    {
      if (*p == ':' || *p == ' ')
        continue;
      if (!g_ascii_isxdigit (*p))
        return NULL;
      g_string_append_c (digits, g_ascii_toupper (*p));
    }

  if (digits->len != 64)
    return NULL;

  builder = g_strv_builder_new ();
  for (guint i = 0; i < 64; i += 2)
    {
      char pair[3] = { digits->str[i], digits->str[i + 1], '\0' };

      g_strv_builder_add (builder, pair);
    }

  return g_strv_builder_end (builder);
}

GStrv
bk_format_tls_flags (GTlsCertificateFlags flags)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    g_strv_builder_add (builder, _("It is not signed by a known certificate authority (it may be self-signed)."));
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    g_strv_builder_add (builder, _("It was issued for a different name than the address you entered."));
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    g_strv_builder_add (builder, _("It is not valid yet (check the clocks of both computers)."));
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    g_strv_builder_add (builder, _("It has expired."));
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    g_strv_builder_add (builder, _("It has been revoked by its authority."));
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    g_strv_builder_add (builder, _("It uses an insecure algorithm."));
  if (flags & G_TLS_CERTIFICATE_GENERIC_ERROR)
    g_strv_builder_add (builder, _("It could not be verified."));

  return g_strv_builder_end (builder);
}

char *
bk_format_last_checked (GDateTime *when,
                        GDateTime *now)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) local_now = NULL;
  g_autofree char *text = NULL;

  if (when == NULL)
    return g_strdup (_("Never checked"));

  local = g_date_time_to_local (when);
  local_now = now != NULL ? g_date_time_to_local (now) : g_date_time_new_now_local ();

  if (g_date_time_get_year (local) == g_date_time_get_year (local_now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (local_now))
    {
      text = g_date_time_format (local, "%H:%M:%S");
      /* Translators: %s is a time of day, e.g. 14:08:19. */
      return g_strdup_printf (_("Last checked at %s"), text);
    }

  text = g_date_time_format (local, "%x %H:%M");
  /* Translators: %s is a date and time. */
  return g_strdup_printf (_("Last checked on %s"), text);
}
