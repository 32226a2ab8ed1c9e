/* bk-validate.h: validation of what people type into device forms
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BK_VALIDATE_ERROR (bk_validate_error_quark ())

typedef enum
{
  BK_VALIDATE_ERROR_EMPTY,
  BK_VALIDATE_ERROR_ADDRESS,
  BK_VALIDATE_ERROR_PORT,
  BK_VALIDATE_ERROR_DOMAIN,
  BK_VALIDATE_ERROR_RANGE,
} BkValidateError;

/* The default port of the CMS Web Admin interface (and so of its API). */
#define BK_DEFAULT_PORT 443

/* Numeric ID Quantity: at most 10000 slots.  Every slot is a space on the
 * bridge, created by one bulk sync and scanned on every check; ten thousand
 * is far more concurrent scheduled meetings than one cluster carries and
 * keeps those operations bounded. */
#define BK_NUMERIC_ID_QUANTITY_MAX 10000u

/* The highest numeric ID (call ID) a slot may use: ten digits.  CMS call IDs
 * are numeric strings "typically 9 digits long" (API reference, callId);
 * allowing one digit more leaves room for a site prefix while staying inside
 * what people dial at an IVR. */
#define BK_NUMERIC_ID_MAX G_GUINT64_CONSTANT (9999999999)

GQuark    bk_validate_error_quark    (void);

/* Parses "host", "host:port", "1.2.3.4", "1.2.3.4:445", "[2001:db8::1]:445",
 * "2001:db8::1" (a bare IPv6 address has no port) or any of these after
 * "https://" and before an optional "/".  Leading and trailing white space is
 * ignored.  On success @host (optional) receives the host, lower case, IPv6
 * without brackets, and @port (optional) the port or BK_DEFAULT_PORT. */
gboolean  bk_validate_address        (const char  *text,
                                      char       **host,
                                      guint       *port,
                                      GError     **error);

/* TRUE if @host alone is a valid host name, IPv4 or IPv6 address (no port,
 * no brackets). */
gboolean  bk_validate_host           (const char  *host,
                                      GError     **error);

/* RFC 1123 host name for the SIP domain of scheduled meetings: labels of
 * letters, digits and hyphens (not at either end), 1-63 characters each,
 * at most 253 in total, and a last label that is not all digits. */
gboolean  bk_validate_domain         (const char  *text,
                                      GError     **error);

/* Numeric ID Base >= 1, 1 <= Quantity <= BK_NUMERIC_ID_QUANTITY_MAX and
 * Base + Quantity - 1 <= BK_NUMERIC_ID_MAX. */
gboolean  bk_validate_numeric_range  (guint64      base,
                                      guint64      quantity,
                                      GError     **error);

/* How bk_format_address() writes an address. */
typedef enum
{
  BK_ADDRESS_FORMAT_DEFAULT           = 0,       /* "host:port", "[v6]:port" */
  BK_ADDRESS_FORMAT_OMIT_DEFAULT_PORT = 1 << 0,  /* "host", "v6" when the port is 443 */
  BK_ADDRESS_FORMAT_URL               = 1 << 1,  /* "https://host:port" (base URL of the API) */
} BkAddressFormat;

/* The one way addresses are written, as people type them and as the API
 * client is given them: @host (a name, IPv4, or IPv6 with or without
 * brackets) and @port (0 means BK_DEFAULT_PORT).  IPv6 gets brackets
 * whenever a port or a scheme follows it.  Never NULL. */
char     *bk_format_address          (const char      *host,
                                      guint            port,
                                      BkAddressFormat  flags);

/* Normalises a host for comparisons: lower case, no brackets, no trailing
 * dot, IPv6 in canonical text form.  Returns NULL when @host is not valid. */
char     *bk_normalize_host          (const char  *host);

G_END_DECLS
