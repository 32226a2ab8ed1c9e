/* bk-cms-error.c: the BK_CMS_ERROR extended error domain
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkCmsError"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bk-cms-error.h"
#include "bk-cms-private.h"

/* G_DEFINE_EXTENDED_ERROR's accessor returns NULL from a g_return_val_if_fail
 * guard, which gcc's -Wnull-dereference flags in every inlined caller. The
 * domain check happens before each use here (get_priv), so silence it. */
#pragma GCC diagnostic ignored "-Wnull-dereference"

typedef struct
{
  char                *bridge;
  char                *method;
  char                *path;
  guint                http_status;
  GTlsCertificate     *peer_certificate;
  char                *peer_sha256;
  char                *pinned_sha256;
  GTlsCertificateFlags tls_flags;
  GPtrArray           *failures;   /* of BkCmsFailure with owned strings */
} BkCmsErrorPrivate;

static void
bk_cms_error_private_init (BkCmsErrorPrivate *priv)
{
  memset (priv, 0, sizeof *priv);
}



static void
bk_cms_error_private_copy (const BkCmsErrorPrivate *src,
                           BkCmsErrorPrivate       *dest)
{
  dest->bridge = g_strdup (src->bridge);
  dest->method = g_strdup (src->method);
  dest->path = g_strdup (src->path);
  dest->http_status = src->http_status;
  dest->peer_certificate = src->peer_certificate ? g_object_ref (src->peer_certificate) : NULL;
  dest->peer_sha256 = g_strdup (src->peer_sha256);
  dest->pinned_sha256 = g_strdup (src->pinned_sha256);
  dest->tls_flags = src->tls_flags;
  dest->failures = NULL;
  if (src->failures != NULL)
    {
      dest->failures = g_ptr_array_new_with_free_func (bk_cms_failure_free);
      for (guint i = 0; i < src->failures->len; i++)
        {
          const BkCmsFailure *f = g_ptr_array_index (src->failures, i);
          BkCmsFailure *copy = g_new0 (BkCmsFailure, 1);

          copy->reason = g_strdup (f->reason);
          copy->parameter = g_strdup (f->parameter);
          copy->value = g_strdup (f->value);
          g_ptr_array_add (dest->failures, copy);
        }
    }
}

static void
bk_cms_error_private_clear (BkCmsErrorPrivate *priv)
{
  g_clear_pointer (&priv->bridge, g_free);
  g_clear_pointer (&priv->method, g_free);
  g_clear_pointer (&priv->path, g_free);
  g_clear_object (&priv->peer_certificate);
  g_clear_pointer (&priv->peer_sha256, g_free);
  g_clear_pointer (&priv->pinned_sha256, g_free);
  g_clear_pointer (&priv->failures, g_ptr_array_unref);
}

G_DEFINE_EXTENDED_ERROR (BkCmsError, bk_cms_error)

void
bk_cms_failure_free (gpointer data)
{
  BkCmsFailure *f = data;

  g_free ((char *) f->reason);
  g_free ((char *) f->parameter);
  g_free ((char *) f->value);
  g_free (f);
}

static BkCmsErrorPrivate *
get_priv (const GError *error)
{
  if (error == NULL || error->domain != BK_CMS_ERROR)
    return NULL;
  return bk_cms_error_get_private (error);
}

const char *
bk_cms_error_get_bridge (const GError *error)
{
  BkCmsErrorPrivate *priv = get_priv (error);
  return priv ? priv->bridge : NULL;
}

const char *
bk_cms_error_get_method (const GError *error)
{
  BkCmsErrorPrivate *priv = get_priv (error);
  return priv ? priv->method : NULL;
}

const char *
bk_cms_error_get_path (const GError *error)
{
  BkCmsErrorPrivate *priv = get_priv (error);
  return priv ? priv->path : NULL;
}

guint
bk_cms_error_get_http_status (const GError *error)
{
  BkCmsErrorPrivate *priv = get_priv (error);
  return priv ? priv->http_status : 0;
}

GTlsCertificate *
bk_cms_error_get_peer_certificate (const GError *error)
{
  BkCmsErrorPrivate *priv = get_priv (error);
  return priv ? priv->peer_certificate : NULL;
}

const char *
bk_cms_error_get_peer_sha256 (const GError *error)
{
  BkCmsErrorPrivate *priv = get_priv (error);
  return priv ? priv->peer_sha256 : NULL;
}

GTlsCertificateFlags
bk_cms_error_get_tls_flags (const GError *error)
{
  BkCmsErrorPrivate *priv = get_priv (error);
  return priv ? priv->tls_flags : 0;
}

const char *
bk_cms_error_get_pinned_sha256 (const GError *error)
{
  BkCmsErrorPrivate *priv = get_priv (error);
  return priv ? priv->pinned_sha256 : NULL;
}

guint
bk_cms_error_get_n_failures (const GError *error)
{
  BkCmsErrorPrivate *priv = get_priv (error);
  return (priv && priv->failures) ? priv->failures->len : 0;
}

const BkCmsFailure *
bk_cms_error_get_failure (const GError *error,
                          guint         index)
{
  BkCmsErrorPrivate *priv = get_priv (error);

  if (priv == NULL || priv->failures == NULL || index >= priv->failures->len)
    return NULL;
  return g_ptr_array_index (priv->failures, index);
}

gboolean
bk_cms_error_has_reason (const GError *error,
                         const char   *reason)
{
  guint n = bk_cms_error_get_n_failures (error);

  g_return_val_if_fail (reason != NULL, FALSE);

  for (guint i = 0; i < n; i++)
    if (g_ascii_strcasecmp (bk_cms_error_get_failure (error, i)->reason, reason) == 0)
      return TRUE;
  return FALSE;
}

/* Reason sentences: what the bridge said, and what to do. */
char *
bk_cms_failure_describe (const char *reason,
                         const char *parameter,
                         const char *value)
{
  static const struct { const char *reason; const char *text; } known[] = {
    { "duplicateCoSpaceUri", N_("Another space on the bridge already uses this URI. Choose a different URI.") },
    { "duplicateCoSpaceId", N_("Another space on the bridge already uses this call ID. Choose a different call ID or numeric ID range.") },
    { "duplicateCoSpaceIdPasscode", N_("Another space or access method already combines this call ID with this passcode. Change one of them.") },
    { "duplicateCoSpaceUriPasscode", N_("Another space or access method already combines this URI with this passcode. Change one of them.") },
    { "duplicateCoSpaceSecret", N_("Another space already uses this secret. Let the bridge generate one.") },
    { "duplicateCallBridgeName", N_("Another call bridge in the cluster already has this name. Choose a different name.") },
    { "coSpaceDoesNotExist", N_("The space no longer exists on the bridge. Refresh the list of spaces.") },
    { "callDoesNotExist", N_("The call is no longer active on the bridge. It may have ended already.") },
    { "callLegDoesNotExist", N_("The call leg is no longer active on the bridge. The participant may have left already.") },
    { "callProfileDoesNotExist", N_("The call profile no longer exists on the bridge. Save the extended settings again to recreate it.") },
    { "callLegProfileDoesNotExist", N_("The call leg profile no longer exists on the bridge. Save the extended settings again to recreate it.") },
    { "callBridgeDoesNotExist", N_("The call bridge is not part of this cluster any more. Refresh the cluster.") },
    { "tenantDoesNotExist", N_("The tenant does not exist on the bridge. Check the tenant setting.") },
    { "participantDoesNotExist", N_("The participant is no longer in the call.") },
    { "unrecognizedObject", N_("The bridge does not know this kind of object. Its software may be too old for this feature.") },
    { "unrecognisedObject", N_("The bridge does not know this kind of object. Its software may be too old for this feature.") },
    { "invalidOperation", N_("The bridge does not allow this operation on this object.") },
    { "invalidVersion", N_("The bridge does not support this API version. Check the bridge's software version.") },
    { "databaseNotReady", N_("The bridge's database is not ready yet. Try again in a minute.") },
    { "participantLimitReached", N_("The call has reached its participant limit. Raise the limit in the call profile or remove someone.") },
    { "tenantParticipantLimitReached", N_("The tenant has reached its participant limit.") },
    { "callLegCannotBeDeleted", N_("The bridge refused to disconnect this call leg.") },
    { "passcodeTooShort", N_("The passcode is shorter than the bridge's dial-in security profile allows. Use a longer passcode.") },
    { "loadBalancingDisabled", N_("Outgoing load balancing is off for this call bridge group. Turn it on, or dial out from a specific bridge.") },
    { "callBridgeUnavailable", N_("The chosen call bridge cannot take the call right now. Try another bridge.") },
    { "callBridgeGroupUnavailable", N_("No call bridge in the group can take the call right now. Try again later.") },
    { "recordingLimitReached", N_("The bridge is already recording as many calls as it can.") },
    { "streamingLimitReached", N_("The bridge is already streaming as many calls as it can.") },
  };

  g_return_val_if_fail (reason != NULL, NULL);

  if (g_strcmp0 (reason, "parameterError") == 0)
    {
      if (parameter != NULL && value != NULL)
        /* Translators: first %s is an API parameter name, second the bridge's error code for it */
        return g_strdup_printf (_("The bridge rejected the value of “%s” (%s). Correct it and try again."),
                                parameter, value);
      if (parameter != NULL)
        return g_strdup_printf (_("The bridge rejected the value of “%s”. Correct it and try again."), parameter);
      return g_strdup (_("The bridge rejected one of the values sent. Correct it and try again."));
    }

  for (gsize i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_ascii_strcasecmp (known[i].reason, reason) == 0)
      return g_strdup (_(known[i].text));

  if (g_str_has_suffix (reason, "DoesNotExist"))
    /* Translators: %s is the bridge's reason code, e.g. ivrDoesNotExist */
    return g_strdup_printf (_("An object the request refers to no longer exists on the bridge (%s). Refresh and try again."),
                            reason);

  /* Translators: %s is the bridge's reason code */
  return g_strdup_printf (_("The bridge reported “%s”."), reason);
}

const char *
bk_cms_error_code_to_string (BkCmsErrorCode code)
{
  static const char * const names[] = {
    "UNREACHABLE", "TIMEOUT", "TLS_UNTRUSTED", "TLS_PIN_MISMATCH", "UNAUTHORIZED",
    "FORBIDDEN", "NOT_FOUND", "CMS_FAILURE", "BUSY", "SERVER_ERROR",
    "MALFORMED_REPLY", "OUTCOME_UNKNOWN",
  };

  if ((guint) code < G_N_ELEMENTS (names))
    return names[code];
  return "UNKNOWN";
}

const char *
bk_cms_error_code_to_title (BkCmsErrorCode code)
{
  switch (code)
    {
    case BK_CMS_ERROR_UNREACHABLE: return _("Bridge unreachable");
    case BK_CMS_ERROR_TIMEOUT: return _("Bridge not answering");
    case BK_CMS_ERROR_TLS_UNTRUSTED: return _("Untrusted certificate");
    case BK_CMS_ERROR_TLS_PIN_MISMATCH: return _("Certificate changed");
    case BK_CMS_ERROR_UNAUTHORIZED: return _("Wrong user name or password");
    case BK_CMS_ERROR_FORBIDDEN: return _("Access denied");
    case BK_CMS_ERROR_NOT_FOUND: return _("Not found");
    case BK_CMS_ERROR_CMS_FAILURE: return _("Request refused");
    case BK_CMS_ERROR_BUSY: return _("Bridge busy");
    case BK_CMS_ERROR_SERVER_ERROR: return _("Bridge error");
    case BK_CMS_ERROR_MALFORMED_REPLY: return _("Unreadable reply");
    case BK_CMS_ERROR_OUTCOME_UNKNOWN: return _("Outcome unknown");
    default: return _("Error");
    }
}

static char *
code_sentence (BkCmsErrorCode code,
               const char    *bridge,
               guint          http_status)
{
  switch (code)
    {
    case BK_CMS_ERROR_UNREACHABLE:
      return g_strdup_printf (_("The bridge at %s did not answer. Check the address and port, and that the bridge is switched on."), bridge);
    case BK_CMS_ERROR_TIMEOUT:
      return g_strdup_printf (_("The bridge at %s took too long to answer. It may be overloaded or the network slow; try again in a moment."), bridge);
    case BK_CMS_ERROR_TLS_UNTRUSTED:
      return g_strdup_printf (_("The bridge at %s presented a certificate this computer does not trust. Compare its fingerprint with the one on the bridge before you trust it."), bridge);
    case BK_CMS_ERROR_TLS_PIN_MISMATCH:
      return g_strdup_printf (_("The certificate of the bridge at %s has changed since you trusted it. Someone may be intercepting the connection: do not continue unless the bridge's administrator confirms the new certificate."), bridge);
    case BK_CMS_ERROR_UNAUTHORIZED:
      return g_strdup_printf (_("The bridge at %s refused the user name or password. Check the API user's credentials on the bridge (MMP “user list”)."), bridge);
    case BK_CMS_ERROR_FORBIDDEN:
      return g_strdup_printf (_("The bridge at %s does not let this user use the API. Give the user the “api” or “admin” role on the bridge's MMP."), bridge);
    case BK_CMS_ERROR_NOT_FOUND:
      return g_strdup_printf (_("The bridge at %s does not have the requested object. Someone may have deleted it; refresh and try again."), bridge);
    case BK_CMS_ERROR_CMS_FAILURE:
      return g_strdup_printf (_("The bridge at %s refused the request."), bridge);
    case BK_CMS_ERROR_BUSY:
      return g_strdup_printf (_("The bridge at %s is busy. Try again in a moment."), bridge);
    case BK_CMS_ERROR_SERVER_ERROR:
      if (http_status != 0)
        return g_strdup_printf (_("The bridge at %s reported an internal error (HTTP %u). Try again; if it persists, check the bridge's logs."), bridge, http_status);
      return g_strdup_printf (_("The connection to the bridge at %s failed. Try again; if it persists, check the network and the bridge."), bridge);
    case BK_CMS_ERROR_MALFORMED_REPLY:
      return g_strdup_printf (_("The bridge at %s sent a reply Bridgekeeper cannot read. Check that the address points to the web admin port of a Cisco Meeting Server."), bridge);
    case BK_CMS_ERROR_OUTCOME_UNKNOWN:
      return g_strdup_printf (_("The connection to the bridge at %s broke after the request was sent, so it is not known whether the bridge carried it out. Refresh to check before you try again."), bridge);
    default:
      return g_strdup_printf (_("The request to the bridge at %s failed."), bridge);
    }
}

GError *
bk_cms_error_build (BkCmsErrorCode  code,
                    const char     *bridge,
                    const char     *method,
                    const char     *path,
                    guint           http_status,
                    const char     *detail)
{
  g_autofree char *sentence = code_sentence (code, bridge ? bridge : _("unknown address"), http_status);
  GError *error;
  BkCmsErrorPrivate *priv;

  if (detail != NULL && *detail != '\0')
    error = g_error_new (BK_CMS_ERROR, code, "%s %s", sentence, detail);
  else
    error = g_error_new_literal (BK_CMS_ERROR, code, sentence);

  priv = bk_cms_error_get_private (error);
  priv->bridge = g_strdup (bridge);
  priv->method = g_strdup (method);
  priv->path = g_strdup (path);
  priv->http_status = http_status;
  return error;
}

void
bk_cms_error_add_context (GError     *error,
                          const char *bridge,
                          const char *method,
                          const char *path,
                          guint       http_status)
{
  BkCmsErrorPrivate *priv = get_priv (error);

  if (priv == NULL)
    return;
  if (priv->bridge == NULL && bridge != NULL)
    {
      g_autofree char *sentence = code_sentence (error->code, bridge, http_status);
      char *message = g_strdup_printf ("%s %s", sentence, error->message);

      g_free (error->message);
      error->message = message;
      priv->bridge = g_strdup (bridge);
    }
  if (priv->method == NULL)
    priv->method = g_strdup (method);
  if (priv->path == NULL)
    priv->path = g_strdup (path);
  if (priv->http_status == 0)
    priv->http_status = http_status;
}

void
bk_cms_error_set_tls (GError               *error,
                      GTlsCertificate      *peer,
                      const char           *peer_sha256,
                      GTlsCertificateFlags  flags,
                      const char           *pinned_sha256)
{
  BkCmsErrorPrivate *priv = get_priv (error);

  g_return_if_fail (priv != NULL);

  g_set_object (&priv->peer_certificate, peer);
  g_free (priv->peer_sha256);
  priv->peer_sha256 = g_strdup (peer_sha256);
  priv->tls_flags = flags;
  g_free (priv->pinned_sha256);
  priv->pinned_sha256 = g_strdup (pinned_sha256);
}

void
bk_cms_error_take_failures (GError    *error,
                            GPtrArray *failures)
{
  BkCmsErrorPrivate *priv = get_priv (error);

  g_return_if_fail (priv != NULL);

  g_clear_pointer (&priv->failures, g_ptr_array_unref);
  priv->failures = failures;
}

char *
bk_cms_format_fingerprint (const char *sha256_hex)
{
  GString *s;

  g_return_val_if_fail (sha256_hex != NULL, NULL);

  s = g_string_new (NULL);
  for (gsize i = 0; sha256_hex[i] != '\0'; i++)
    {
      if (i > 0 && i % 2 == 0)
        g_string_append_c (s, ':');
      g_string_append_c (s, g_ascii_toupper (sha256_hex[i]));
    }
  return g_string_free (s, FALSE);
}
