/* bk-validate.c: validation of addresses, domains and numeric ID ranges
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkValidate"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "bk-validate.h"

G_DEFINE_QUARK (bk-validate-error-quark, bk_validate_error)

static gboolean
is_ipv4_literal (const char *text)
{
  g_auto(GStrv) parts = NULL;

  if (text[0] == '\0' || strspn (text, "0123456789.") != strlen (text))
    return FALSE;

  parts = g_strsplit (text, ".", -1);
  if (g_strv_length (parts) != 4)
    return FALSE;

  for (guint i = 0; i < 4; i++)
    {
      guint64 v;

      if (parts[i][0] == '\0' || strlen (parts[i]) > 3)
        return FALSE;
      if (!g_ascii_string_to_unsigned (parts[i], 10, 0, 255, &v, NULL))
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_ipv6_literal (const char *text)
{
  g_autoptr(GInetAddress) addr = NULL;

  if (strchr (text, ':') == NULL)
    return FALSE;

  addr = g_inet_address_new_from_string (text);
  return addr != NULL && g_inet_address_get_family (addr) == G_SOCKET_FAMILY_IPV6;
}

/* RFC 1123 labels; returns a translated reason or NULL when fine. */
static const char *
check_host_name (const char *text)
{
  g_auto(GStrv) labels = NULL;
  const char *last = NULL;
  gsize len = strlen (text);

  if (len == 0)
    return _("The name is empty.");
  if (len > 253)
    return _("The name is longer than 253 characters.");
  if (text[0] == '.' || text[len - 1] == '.' || strstr (text, "..") != NULL)
    return _("The name has an empty part between dots.");

  labels = g_strsplit (text, ".", -1);
  for (guint i = 0; labels[i] != NULL; i++)
    {
      const char *label = labels[i];
      gsize n = strlen (label);

      if (n > 63)
        return _("A part between dots is longer than 63 characters.");
      for (gsize j = 0; j < n; j++)
        if (!g_ascii_isalnum (label[j]) && label[j] != '-')
          return _("Only letters, digits, hyphens and dots are allowed.");
      if (label[0] == '-' || label[n - 1] == '-')
        return _("A part between dots starts or ends with a hyphen.");
      last = label;
    }

  if (last != NULL && strspn (last, "0123456789") == strlen (last))
    return _("The last part is all digits, which is not a valid name or IPv4 address.");

  return NULL;
}

gboolean
bk_validate_host (const char  *host,
                  GError     **error)
{
  const char *reason;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (host == NULL || host[0] == '\0')
    {
      g_set_error_literal (error, BK_VALIDATE_ERROR, BK_VALIDATE_ERROR_EMPTY,
                           _("Enter the address of the bridge, for example cms.example.com or 192.0.2.10."));
      return FALSE;
    }

  if (is_ipv4_literal (host) || is_ipv6_literal (host))
    return TRUE;

  if (strchr (host, ':') != NULL)
    {
      g_set_error (error, BK_VALIDATE_ERROR, BK_VALIDATE_ERROR_ADDRESS,
                   _("“%s” is not a valid IPv6 address. Check the address and try again."), host);
      return FALSE;
    }

  reason = check_host_name (host);
  if (reason != NULL)
    {
      /* TRANSLATORS: the first %s is what was typed, the second a reason */
      g_set_error (error, BK_VALIDATE_ERROR, BK_VALIDATE_ERROR_ADDRESS,
                   _("“%s” is not a valid host name or IP address. %s Enter a name like cms.example.com or an address like 192.0.2.10."),
                   host, reason);
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_port (const char  *text,
            const char  *whole,
            guint       *port,
            GError     **error)
{
  guint64 v = 0;

  if (text[0] == '\0' || strspn (text, "0123456789") != strlen (text) ||
      strlen (text) > 5 ||
      !g_ascii_string_to_unsigned (text, 10, 1, 65535, &v, NULL))
    {
      g_set_error (error, BK_VALIDATE_ERROR, BK_VALIDATE_ERROR_PORT,
                   _("The port in “%s” is not valid. Use a number from 1 to 65535, for example 443 or 445."),
                   whole);
      return FALSE;
    }

  *port = (guint) v;
  return TRUE;
}

gboolean
bk_validate_address (const char  *text,
                     char       **host,
                     guint       *port,
                     GError     **error)
{
  g_autofree char *copy = NULL;
  g_autofree char *out_host = NULL;
  char *p;
  char *slash;
  guint out_port = BK_DEFAULT_PORT;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  copy = g_strstrip (g_strdup (text != NULL ? text : ""));
  p = copy;

  if (g_ascii_strncasecmp (p, "https://", 8) == 0)
    p += 8;
  else if (strstr (p, "://") != NULL)
    {
      g_set_error (error, BK_VALIDATE_ERROR, BK_VALIDATE_ERROR_ADDRESS,
                   _("“%s” does not use HTTPS. The bridge’s API is reached over HTTPS: enter only the host name or address, and the port if it is not 443."),
                   text);
      return FALSE;
    }

  /* An optional path after the address (people paste URLs). */
  slash = strchr (p, '/');
  if (slash != NULL)
    *slash = '\0';

  if (*p == '\0')
    {
      g_set_error_literal (error, BK_VALIDATE_ERROR, BK_VALIDATE_ERROR_EMPTY,
                           _("Enter the address of the bridge, for example cms.example.com or 192.0.2.10:445."));
      return FALSE;
    }

  if (*p == '[')
    {
      char *close = strchr (p, ']');

      if (close == NULL)
        {
          g_set_error (error, BK_VALIDATE_ERROR, BK_VALIDATE_ERROR_ADDRESS,
                       _("“%s” has an opening bracket without a closing one. Write an IPv6 address as [2001:db8::1] or [2001:db8::1]:445."),
                       text);
          return FALSE;
        }
      *close = '\0';
      out_host = g_strdup (p + 1);
      if (!is_ipv6_literal (out_host))
        {
          g_set_error (error, BK_VALIDATE_ERROR, BK_VALIDATE_ERROR_ADDRESS,
                       _("“%s” is not a valid IPv6 address. Check the address and try again."), out_host);
          return FALSE;
        }
      if (close[1] == ':')
        {
          if (!parse_port (close + 2, text, &out_port, error))
            return FALSE;
        }
      else if (close[1] != '\0')
        {
          g_set_error (error, BK_VALIDATE_ERROR, BK_VALIDATE_ERROR_ADDRESS,
                       _("Unexpected text after the IPv6 address in “%s”. Write it as [2001:db8::1] or [2001:db8::1]:445."),
                       text);
          return FALSE;
        }
    }
  else
    {
      char *colon = strchr (p, ':');

      if (colon != NULL && strchr (colon + 1, ':') != NULL)
        {
          /* Several colons: a bare IPv6 address, which cannot carry a port. */
          out_host = g_strdup (p);
          if (!is_ipv6_literal (out_host))
            {
              g_set_error (error, BK_VALIDATE_ERROR, BK_VALIDATE_ERROR_ADDRESS,
                           _("“%s” is not a valid IPv6 address. Check the address; to give a port, write [2001:db8::1]:445."),
                           out_host);
              return FALSE;
            }
        }
      else
        {
          if (colon != NULL)
            {
              *colon = '\0';
              if (!parse_port (colon + 1, text, &out_port, error))
                return FALSE;
            }
          out_host = g_strdup (p);
          if (!bk_validate_host (out_host, error))
            return FALSE;
        }
    }

  if (host != NULL)
    *host = bk_normalize_host (out_host);
  if (port != NULL)
    *port = out_port;

  return TRUE;
}

gboolean
bk_validate_domain (const char  *text,
                    GError     **error)
{
  const char *reason;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text == NULL || text[0] == '\0')
    {
      g_set_error_literal (error, BK_VALIDATE_ERROR, BK_VALIDATE_ERROR_EMPTY,
                           _("Enter the SIP domain of scheduled meetings, for example video.example.com."));
      return FALSE;
    }

  reason = check_host_name (text);
  if (reason != NULL)
    {
      /* TRANSLATORS: the first %s is what was typed, the second a reason */
      g_set_error (error, BK_VALIDATE_ERROR, BK_VALIDATE_ERROR_DOMAIN,
                   _("“%s” is not a valid domain. %s Enter a domain like video.example.com that routes to this bridge."),
                   text, reason);
      return FALSE;
    }

  return TRUE;
}

gboolean
bk_validate_numeric_range (guint64   base,
                           guint64   quantity,
                           GError  **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (base < 1)
    {
      g_set_error_literal (error, BK_VALIDATE_ERROR, BK_VALIDATE_ERROR_RANGE,
                           _("The numeric ID base must be 1 or more. Enter the first number of the range reserved for scheduled meetings."));
      return FALSE;
    }
  if (base > BK_NUMERIC_ID_MAX)
    {
      g_set_error (error, BK_VALIDATE_ERROR, BK_VALIDATE_ERROR_RANGE,
                   _("The numeric ID base is too large. Numeric IDs have at most 10 digits: choose a base of %" G_GUINT64_FORMAT " or less."),
                   BK_NUMERIC_ID_MAX);
      return FALSE;
    }
  if (quantity < 1)
    {
      g_set_error_literal (error, BK_VALIDATE_ERROR, BK_VALIDATE_ERROR_RANGE,
                           _("The numeric ID quantity must be 1 or more. Enter how many meetings may run at the same time."));
      return FALSE;
    }
  if (quantity > BK_NUMERIC_ID_QUANTITY_MAX)
    {
      g_set_error (error, BK_VALIDATE_ERROR, BK_VALIDATE_ERROR_RANGE,
                   _("The numeric ID quantity may be at most %u. Enter a smaller number of meeting spaces."),
                   BK_NUMERIC_ID_QUANTITY_MAX);
      return FALSE;
    }
  if (base + quantity - 1 > BK_NUMERIC_ID_MAX)
    {
      g_set_error (error, BK_VALIDATE_ERROR, BK_VALIDATE_ERROR_RANGE,
                   _("The range would end at %" G_GUINT64_FORMAT ", beyond the largest numeric ID %" G_GUINT64_FORMAT ". Lower the base or the quantity."),
                   base + quantity - 1, BK_NUMERIC_ID_MAX);
      return FALSE;
    }

  return TRUE;
}

char *
bk_normalize_host (const char *host)
{
  g_autofree char *copy = NULL;
  gsize len;

  if (host == NULL)
    return NULL;

  copy = g_strstrip (g_ascii_strdown (host, -1));
  len = strlen (copy);
  if (len >= 2 && copy[0] == '[' && copy[len - 1] == ']')
    {
      copy[len - 1] = '\0';
      memmove (copy, copy + 1, len - 1);
      len -= 2;
    }
  if (len > 1 && copy[len - 1] == '.' && strchr (copy, ':') == NULL)
    copy[--len] = '\0';

  if (is_ipv6_literal (copy))
    {
      g_autoptr(GInetAddress) addr = g_inet_address_new_from_string (copy);

      return g_inet_address_to_string (addr);
    }

  if (!bk_validate_host (copy, NULL))
    return NULL;

  return g_steal_pointer (&copy);
}

char *
bk_format_address (const char      *host,
                   guint            port,
                   BkAddressFormat  flags)
{
  g_autofree char *bare = NULL;
  gsize len;
  gboolean v6;

  g_return_val_if_fail (host != NULL, NULL);

  /* Brackets, if any, are put back only where a port or scheme needs them. */
  len = strlen (host);
  if (len >= 2 && host[0] == '[' && host[len - 1] == ']')
    bare = g_strndup (host + 1, len - 2);
  else
    bare = g_strdup (host);
  v6 = strchr (bare, ':') != NULL;
  if (port == 0)
    port = BK_DEFAULT_PORT;

  if ((flags & BK_ADDRESS_FORMAT_URL) != 0)
    {
      if ((flags & BK_ADDRESS_FORMAT_OMIT_DEFAULT_PORT) != 0 && port == BK_DEFAULT_PORT)
        return g_strdup_printf (v6 ? "https://[%s]" : "https://%s", bare);
      return g_strdup_printf (v6 ? "https://[%s]:%u" : "https://%s:%u", bare, port);
    }
  if ((flags & BK_ADDRESS_FORMAT_OMIT_DEFAULT_PORT) != 0 && port == BK_DEFAULT_PORT)
    return g_steal_pointer (&bare);
  return g_strdup_printf (v6 ? "[%s]:%u" : "%s:%u", bare, port);
}
