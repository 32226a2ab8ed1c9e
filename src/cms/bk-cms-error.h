/* bk-cms-error.h: the BK_CMS_ERROR domain and its structured details
 *
 * Every failure of the CMS client is a GError in BK_CMS_ERROR, except
 * cancellation, which is always G_IO_ERROR / G_IO_ERROR_CANCELLED (test it
 * with g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)).
 *
 * BK_CMS_ERROR is an extended error domain (G_DEFINE_EXTENDED_ERROR): each
 * error carries private data that survives g_error_copy() and GTask. Read it
 * with the bk_cms_error_get_*() accessors below; they return 0/NULL for
 * errors of other domains. error->message is already a translated sentence
 * that says what happened and what to do.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BK_CMS_ERROR (bk_cms_error_quark ())

typedef enum
{
  BK_CMS_ERROR_UNREACHABLE,      /* connection refused, no route, DNS failure */
  BK_CMS_ERROR_TIMEOUT,          /* no answer within the request timeout (after retries) */
  BK_CMS_ERROR_TLS_UNTRUSTED,    /* certificate not trusted and no pin: see peer certificate, sha256, flags */
  BK_CMS_ERROR_TLS_PIN_MISMATCH, /* certificate differs from the pinned one: see pinned and peer sha256 */
  BK_CMS_ERROR_UNAUTHORIZED,     /* 401 */
  BK_CMS_ERROR_FORBIDDEN,        /* 403 */
  BK_CMS_ERROR_NOT_FOUND,        /* 404, or failureDetails with ...DoesNotExist / unrecognizedObject */
  BK_CMS_ERROR_CMS_FAILURE,      /* 4xx with <failureDetails>: see bk_cms_error_get_failure() */
  BK_CMS_ERROR_BUSY,             /* 503 (after retries) */
  BK_CMS_ERROR_SERVER_ERROR,     /* other 5xx, unexpected status, TLS handshake failure, other I/O */
  BK_CMS_ERROR_MALFORMED_REPLY,  /* body is not the XML we expect (bad XML, wrong root, wrong types) */
  BK_CMS_ERROR_OUTCOME_UNKNOWN,  /* a POST was sent, then the connection broke or timed out */
} BkCmsErrorCode;

/* One <failureDetails> child: reason is the element name
 * ("duplicateCoSpaceUri", "parameterError", ...); parameter and value are
 * the parameterError attributes "parameter" and "error" (NULL otherwise). */
typedef struct
{
  const char *reason;
  const char *parameter;
  const char *value;
} BkCmsFailure;

GQuark               bk_cms_error_quark               (void);

/* "host:port" of the bridge the request went to (NULL if unknown). */
const char          *bk_cms_error_get_bridge          (const GError *error);
/* HTTP method and path (with /api/v1) of the failed request, or NULL. */
const char          *bk_cms_error_get_method          (const GError *error);
const char          *bk_cms_error_get_path            (const GError *error);
/* HTTP status of the reply, 0 if there was none. */
guint                bk_cms_error_get_http_status     (const GError *error);

/* TLS_UNTRUSTED and TLS_PIN_MISMATCH: the certificate the bridge presented,
 * its SHA-256 (lowercase hex over DER, no colons) and the verification flags. */
GTlsCertificate     *bk_cms_error_get_peer_certificate (const GError *error);
const char          *bk_cms_error_get_peer_sha256      (const GError *error);
GTlsCertificateFlags bk_cms_error_get_tls_flags        (const GError *error);
/* TLS_PIN_MISMATCH: the fingerprint that was pinned. */
const char          *bk_cms_error_get_pinned_sha256    (const GError *error);

/* CMS_FAILURE and NOT_FOUND: the <failureDetails> children, in order. */
guint                bk_cms_error_get_n_failures       (const GError *error);
const BkCmsFailure  *bk_cms_error_get_failure          (const GError *error,
                                                        guint         index);
gboolean             bk_cms_error_has_reason           (const GError *error,
                                                        const char   *reason);

/* Translated sentence for one failureDetails reason (with the parameterError
 * attributes when given). Unknown reasons get a generic sentence. */
char                *bk_cms_failure_describe           (const char   *reason,
                                                        const char   *parameter,
                                                        const char   *value);

/* Short translated title for a code ("Bridge unreachable", ...). */
const char          *bk_cms_error_code_to_title        (BkCmsErrorCode code);
/* "UNREACHABLE", ... (for logs and tests) */
const char          *bk_cms_error_code_to_string       (BkCmsErrorCode code);

/* Formats a fingerprint as "AB:CD:..." (uppercase, colons), as the UI shows it. */
char                *bk_cms_format_fingerprint         (const char   *sha256_hex);

G_END_DECLS
