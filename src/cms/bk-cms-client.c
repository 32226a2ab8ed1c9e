/* bk-cms-client.c: asynchronous CMS API client (libsoup 3)
 *
 * One request = a small state machine on a GTask: attempt -> (reply |
 * failure) -> maybe backoff -> attempt ... -> return. Each attempt has its
 * own GCancellable, cancelled by the per-attempt timeout source or by the
 * caller's cancellable (watched with a GCancellableSource), so timeouts and
 * cancellation stay distinguishable.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkCmsClient"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "bk-cms-client.h"
#include "bk-cms-private.h"

#define API_PREFIX "/api/v1"
/* Kept-alive connections are closed after this long without a request.
 * Not libsoup's own "idle-timeout": in libsoup 3.2 that timer, when it is
 * overdue because the main loop was busy, can close a connection a request
 * was just written on, and the request then never finishes (not even when
 * cancelled). Ours only runs while no request is in flight. */
#define IDLE_TIMEOUT_S 4
#define MAX_REPAIR_ROUNDS 5

struct _BkCmsClient
{
  GObject       parent_instance;

  char         *base_url;
  char         *bridge;
  char         *username;
  char         *auth_header;
  char         *pin;
  gboolean      https;         /* waits for the trust store (bk-cms-tls.c) */
  guint         timeout_ms;
  guint         max_connections;
  guint         max_attempts;
  guint         base_delay_ms;
  guint         max_delay_ms;
  SoupSession  *session;
  BkCmsLog     *log;
  guint         in_flight;     /* attempts handed to libsoup, not yet back */
  GSource      *idle_source;   /* closes the idle connections; see IDLE_TIMEOUT_S */
};

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_USERNAME,
  PROP_PIN,
  PROP_TIMEOUT,
  PROP_MAX_CONNECTIONS,
  PROP_LOG,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BkCmsClient, bk_cms_client, G_TYPE_OBJECT)

G_DEFINE_BOXED_TYPE (BkCmsReply, bk_cms_reply, bk_cms_reply_copy, bk_cms_reply_free)

BkCmsReply *
bk_cms_reply_copy (const BkCmsReply *reply)
{
  BkCmsReply *copy;

  if (reply == NULL)
    return NULL;
  copy = g_new0 (BkCmsReply, 1);
  copy->status = reply->status;
  copy->location = g_strdup (reply->location);
  copy->id = g_strdup (reply->id);
  copy->body = reply->body ? g_bytes_ref (reply->body) : NULL;
  return copy;
}

void
bk_cms_reply_free (BkCmsReply *reply)
{
  if (reply == NULL)
    return;
  g_free (reply->location);
  g_free (reply->id);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_free (reply);
}

/* ------------------------------------------------------------------------ */
/* Single request with retries                                              */

typedef enum
{
  OUTCOME_OK,
  OUTCOME_FATAL,      /* error is final */
  OUTCOME_RETRY,      /* may retry (503, reset, timeout) */
} Outcome;

typedef struct
{
  BkCmsClient     *client;
  SoupSession     *session;
  GMainContext    *context;
  char            *method;
  char            *path;            /* /api/v1/... without query */
  char            *query;           /* encoded, or NULL */
  char            *body;            /* form, or NULL */
  guint            attempt;
  gboolean         is_post;
  gboolean         maybe_done;      /* an earlier attempt may have acted (DELETE) */
  gboolean         timed_out;
  gboolean         wrote_request;
  gboolean         returned;
  gboolean         waiting_for_trust; /* the first attempt waits for the trust store */
  GCancellable    *attempt_cancellable;
  GSource         *timeout_source;
  GSource         *backoff_source;
  GSource         *cancel_source;
  SoupMessage     *msg;
  BkCmsLogEntry   *entry;
  GError          *last_error;
  /* TLS, from accept-certificate */
  GTlsCertificate *peer_cert;
  char            *peer_sha256;
  GTlsCertificateFlags peer_flags;
  gboolean         pin_mismatch;
  gboolean         probe;           /* bk_cms_client_probe_async() */
} Request;

static void start_attempt (GTask *task);

static void
request_free (gpointer data)
{
  Request *req = data;

  g_assert (req->timeout_source == NULL);
  g_assert (req->backoff_source == NULL);
  g_assert (req->cancel_source == NULL);

  g_clear_object (&req->client);
  g_clear_object (&req->session);
  g_clear_pointer (&req->context, g_main_context_unref);
  g_free (req->method);
  g_free (req->path);
  g_free (req->query);
  g_free (req->body);
  g_clear_object (&req->attempt_cancellable);
  if (req->msg != NULL)
    g_signal_handlers_disconnect_by_data (req->msg, req);
  g_clear_object (&req->msg);
  g_clear_object (&req->entry);
  g_clear_error (&req->last_error);
  g_clear_object (&req->peer_cert);
  g_free (req->peer_sha256);
  g_free (req);
}

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static GError *
cancelled_error (void)
{
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Operation was cancelled"));
}

/* An error for @req that came without an HTTP status */
static GError *
transport_error (Request        *req,
                 BkCmsErrorCode  code,
                 const char     *detail)
{
  return bk_cms_error_build (code, req->client->bridge, req->method, req->path, 0, detail);
}

/* Completes this attempt's log entry and adds it to the client's log. */
static void
log_attempt (Request    *req,
             guint       status,
             GBytes     *body,
             const char *location,
             const char *failure)
{
  bk_cms_log_entry_finish (req->entry, status, body, location, failure);
  bk_cms_log_append (req->client->log, req->entry);
}

static void
request_return (GTask      *task,
                BkCmsReply *reply,
                GError     *error)
{
  Request *req = g_task_get_task_data (task);

  g_assert (!req->returned);
  req->returned = TRUE;
  destroy_source (&req->timeout_source);
  destroy_source (&req->backoff_source);
  destroy_source (&req->cancel_source);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, reply, (GDestroyNotify) bk_cms_reply_free);
}

static char *
sha256_of_certificate (GTlsCertificate *cert)
{
  g_autoptr(GByteArray) der = NULL;

  g_object_get (cert, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
}

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *cert,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  Request *req = user_data;
  g_autofree char *sha = sha256_of_certificate (cert);

  /* A probe sends nothing secret on a connection of its own: any
   * certificate will do, and the finish says which it was. */
  if (req->probe)
    return TRUE;

  if (sha != NULL && req->client->pin != NULL &&
      g_ascii_strcasecmp (sha, req->client->pin) == 0)
    return TRUE;

  g_set_object (&req->peer_cert, cert);
  g_free (req->peer_sha256);
  req->peer_sha256 = g_steal_pointer (&sha);
  req->peer_flags = errors;
  req->pin_mismatch = req->client->pin != NULL;
  return FALSE;
}

static void
wrote_headers_cb (SoupMessage *msg,
                  gpointer     user_data)
{
  Request *req = user_data;
  req->wrote_request = TRUE;
}

static gboolean
attempt_timeout_cb (gpointer user_data)
{
  Request *req = user_data;

  req->timed_out = TRUE;
  g_cancellable_cancel (req->attempt_cancellable);
  g_clear_pointer (&req->timeout_source, g_source_unref);
  return G_SOURCE_REMOVE;
}

static gboolean
backoff_done_cb (gpointer user_data)
{
  GTask *task = user_data;
  Request *req = g_task_get_task_data (task);

  g_clear_pointer (&req->backoff_source, g_source_unref);
  start_attempt (task);
  return G_SOURCE_REMOVE;
}

static gboolean
user_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  GTask *task = user_data;
  Request *req = g_task_get_task_data (task);

  /* A cancelled GCancellableSource stays ready: always remove it. */
  g_clear_pointer (&req->cancel_source, g_source_unref);
  if (req->returned)
    return G_SOURCE_REMOVE;

  if (req->backoff_source != NULL || req->waiting_for_trust)
    {
      /* Waiting between tries or for the trust store: nothing in flight,
       * finish now. */
      request_return (task, NULL, cancelled_error ());
      return G_SOURCE_REMOVE;
    }
  /* In flight: send_cb sees the caller's cancellable and returns CANCELLED. */
  if (req->attempt_cancellable != NULL)
    g_cancellable_cancel (req->attempt_cancellable);
  return G_SOURCE_REMOVE;
}

static guint
backoff_delay_ms (BkCmsClient *client,
                  guint        attempt)
{
  guint64 step = client->base_delay_ms;

  for (guint i = 1; i < attempt && step < client->max_delay_ms; i++)
    step *= 2;
  step = MIN (step, client->max_delay_ms);
  /* Jitter: 50..100 % of the step */
  return (guint) (step / 2 + g_random_int_range (0, (gint32) (step / 2) + 1));
}

static gboolean
is_reset_error (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED) ||
         g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_EOF) ||
         error->domain == SOUP_SESSION_ERROR;
}

static gboolean
is_unreachable_error (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
         g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND) ||
         error->domain == G_RESOLVER_ERROR;
}

static gboolean
failures_all_not_found (GPtrArray *failures)
{
  if (failures == NULL || failures->len == 0)
    return FALSE;
  for (guint i = 0; i < failures->len; i++)
    {
      const BkCmsFailure *f = g_ptr_array_index (failures, i);

      if (!g_str_has_suffix (f->reason, "DoesNotExist") &&
          g_ascii_strcasecmp (f->reason, "unrecognizedObject") != 0 &&
          g_ascii_strcasecmp (f->reason, "unrecognisedObject") != 0)
        return FALSE;
    }
  return TRUE;
}

static GError *
error_for_status (Request *req,
                  guint    status,
                  GBytes  *body,
                  Outcome *outcome)
{
  BkCmsClient *client = req->client;
  g_autoptr(GPtrArray) failures = NULL;
  g_autoptr(GString) detail = NULL;
  BkCmsErrorCode code;
  GError *error;

  *outcome = OUTCOME_FATAL;

  if (body != NULL && g_bytes_get_size (body) > 0)
    failures = bk_cms_failure_details_decode (g_bytes_get_data (body, NULL), g_bytes_get_size (body));

  if (failures != NULL && failures->len > 0)
    {
      detail = g_string_new (NULL);
      for (guint i = 0; i < failures->len; i++)
        {
          const BkCmsFailure *f = g_ptr_array_index (failures, i);
          g_autofree char *sentence = bk_cms_failure_describe (f->reason, f->parameter, f->value);

          if (i > 0)
            g_string_append_c (detail, ' ');
          g_string_append (detail, sentence);
        }
    }

  if (status == SOUP_STATUS_UNAUTHORIZED)
    code = BK_CMS_ERROR_UNAUTHORIZED;
  else if (status == SOUP_STATUS_FORBIDDEN)
    code = BK_CMS_ERROR_FORBIDDEN;
  else if (status == SOUP_STATUS_SERVICE_UNAVAILABLE || status == 429)
    {
      /* 503 is the CMS's documented "busy"; 429 is not documented but
       * means the same if a proxy in front of the bridge sends it. */
      code = BK_CMS_ERROR_BUSY;
      *outcome = OUTCOME_RETRY;
    }
  else if (status >= 300 && status < 400)
    {
      /* The API never redirects: this address is probably a web page (a
       * login form, another service), not the API. */
      const char *location = soup_message_headers_get_one (soup_message_get_response_headers (req->msg), "Location");

      if (detail == NULL)
        detail = g_string_new (NULL);
      g_string_append_printf (detail, _("(It answered with a redirection to %s.)"), location ? location : "?");
      code = BK_CMS_ERROR_MALFORMED_REPLY;
    }
  else if (status == SOUP_STATUS_NOT_FOUND || failures_all_not_found (failures))
    code = BK_CMS_ERROR_NOT_FOUND;
  else if (status >= 400 && status < 500)
    code = BK_CMS_ERROR_CMS_FAILURE;
  else
    code = BK_CMS_ERROR_SERVER_ERROR;

  error = bk_cms_error_build (code, client->bridge, req->method, req->path, status,
                              detail ? detail->str : NULL);
  if (failures != NULL)
    bk_cms_error_take_failures (error, g_steal_pointer (&failures));
  return error;
}

static char *
id_from_location (const char *location)
{
  const char *slash;
  g_autofree char *trimmed = NULL;

  if (location == NULL || *location == '\0')
    return NULL;
  trimmed = g_strdup (location);
  /* drop a query and trailing slashes */
  if (strchr (trimmed, '?'))
    *strchr (trimmed, '?') = '\0';
  while (*trimmed && trimmed[strlen (trimmed) - 1] == '/')
    trimmed[strlen (trimmed) - 1] = '\0';
  slash = strrchr (trimmed, '/');
  if (slash == NULL)
    return *trimmed ? g_strdup (trimmed) : NULL;
  return slash[1] ? g_strdup (slash + 1) : NULL;
}

static gboolean
idle_close_cb (gpointer user_data)
{
  BkCmsClient *self = user_data;

  g_clear_pointer (&self->idle_source, g_source_unref);
  /* No request is in flight: this only closes kept-alive connections. */
  g_assert (self->in_flight == 0);
  soup_session_abort (self->session);
  return G_SOURCE_REMOVE;
}

static void
attempt_started (BkCmsClient *self)
{
  self->in_flight++;
  destroy_source (&self->idle_source);
}

static void
attempt_ended (BkCmsClient *self)
{
  g_assert (self->in_flight > 0);
  if (--self->in_flight > 0)
    return;
  destroy_source (&self->idle_source);
  self->idle_source = g_timeout_source_new_seconds (IDLE_TIMEOUT_S);
  g_source_set_callback (self->idle_source, idle_close_cb, self, NULL);
  g_source_attach (self->idle_source, g_main_context_get_thread_default ());
}

void
bk_cms_probe_free (BkCmsProbe *probe)
{
  if (probe == NULL)
    return;
  g_free (probe->peer_sha256);
  g_free (probe);
}

/* A probe got an HTTP answer: the node answers, whatever the status. */
static void
probe_answered (GTask  *task,
                guint   status,
                GBytes *body)
{
  Request *req = g_task_get_task_data (task);
  const char *pin = req->client->pin;
  GTlsCertificate *peer = soup_message_get_tls_peer_certificate (req->msg);
  BkCmsProbe *probe = g_new0 (BkCmsProbe, 1);
  g_autofree char *note = NULL;

  probe->status = status;
  probe->peer_sha256 = peer != NULL ? sha256_of_certificate (peer) : NULL;
  if (peer == NULL)
    probe->certificate = BK_CMS_PROBE_CERTIFICATE_NONE;
  else if (soup_message_get_tls_peer_certificate_errors (req->msg) == 0 ||
           (pin != NULL && probe->peer_sha256 != NULL && g_ascii_strcasecmp (pin, probe->peer_sha256) == 0))
    probe->certificate = BK_CMS_PROBE_CERTIFICATE_TRUSTED;
  else if (pin != NULL)
    probe->certificate = BK_CMS_PROBE_CERTIFICATE_NOT_PINNED;
  else
    probe->certificate = BK_CMS_PROBE_CERTIFICATE_UNTRUSTED;

  switch (probe->certificate)
    {
    case BK_CMS_PROBE_CERTIFICATE_UNTRUSTED:
      /* Translators: %u is an HTTP status such as 401, %s a SHA-256 in hex. */
      note = g_strdup_printf (_("Reachability check, sent without credentials: the node’s web admin answered (HTTP %u), so it is reachable. Its certificate (SHA-256 %s) is not trusted for this node; nothing was sent that needs it."),
                              status, probe->peer_sha256);
      break;
    case BK_CMS_PROBE_CERTIFICATE_NOT_PINNED:
      /* Translators: %u is an HTTP status such as 401, %s a SHA-256 in hex. */
      note = g_strdup_printf (_("Reachability check, sent without credentials: the node’s web admin answered (HTTP %u), so it is reachable. Its certificate (SHA-256 %s) is not the one you trusted for this node."),
                              status, probe->peer_sha256);
      break;
    case BK_CMS_PROBE_CERTIFICATE_NONE:
    case BK_CMS_PROBE_CERTIFICATE_TRUSTED:
    default:
      /* Translators: %u is an HTTP status such as 401. */
      note = g_strdup_printf (_("Reachability check, sent without credentials: the node’s web admin answered (HTTP %u), so it is reachable."),
                              status);
      break;
    }
  bk_cms_log_entry_set_note (req->entry, note);
  log_attempt (req, status, body, NULL, NULL);

  g_assert (!req->returned);
  req->returned = TRUE;
  destroy_source (&req->timeout_source);
  destroy_source (&req->backoff_source);
  destroy_source (&req->cancel_source);
  g_task_return_pointer (task, probe, (GDestroyNotify) bk_cms_probe_free);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *req = g_task_get_task_data (task);
  BkCmsClient *client = req->client;
  GCancellable *user_cancellable = g_task_get_cancellable (task);
  g_autoptr(GError) io_error = NULL;
  g_autoptr(GBytes) body = NULL;
  GError *error = NULL;
  Outcome outcome = OUTCOME_FATAL;
  guint status = 0;
  const char *location = NULL;
  g_autofree char *failure_text = NULL;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &io_error);
  destroy_source (&req->timeout_source);
  attempt_ended (client);

  if (req->returned)
    return;

  if (body != NULL)
    status = soup_message_get_status (req->msg);

  if (user_cancellable != NULL && g_cancellable_is_cancelled (user_cancellable))
    {
      log_attempt (req, status, body, NULL, "cancelled");
      request_return (task, NULL, cancelled_error ());
      return;
    }

  if (req->probe && body != NULL)
    {
      probe_answered (task, status, body);
      return;
    }

  if (body == NULL)
    {
      g_debug ("%s %s attempt %u: %s", req->method, req->path, req->attempt, io_error->message);

      if (req->timed_out)
        {
          if (req->is_post && req->wrote_request)
            error = transport_error (req, BK_CMS_ERROR_OUTCOME_UNKNOWN, NULL);
          else
            {
              error = transport_error (req, BK_CMS_ERROR_TIMEOUT, NULL);
              outcome = OUTCOME_RETRY;
            }
          failure_text = g_strdup ("timed out");
        }
      else if (req->peer_sha256 != NULL && !req->probe)
        {
          error = transport_error (req, req->pin_mismatch ? BK_CMS_ERROR_TLS_PIN_MISMATCH : BK_CMS_ERROR_TLS_UNTRUSTED,
                                   NULL);
          bk_cms_error_set_tls (error, req->peer_cert, req->peer_sha256, req->peer_flags,
                                req->pin_mismatch ? client->pin : NULL);
          failure_text = g_strdup_printf ("%s certificate %s",
                                          req->pin_mismatch ? "changed" : "untrusted", req->peer_sha256);
        }
      else if (is_unreachable_error (io_error))
        {
          error = transport_error (req, BK_CMS_ERROR_UNREACHABLE, NULL);
          failure_text = g_strdup (io_error->message);
        }
      else if (req->is_post && req->wrote_request)
        {
          error = transport_error (req, BK_CMS_ERROR_OUTCOME_UNKNOWN, NULL);
          failure_text = g_strdup (io_error->message);
        }
      else
        {
          g_autofree char *detail = NULL;

          /* A handshake that fails for another reason than trust (which
           * accept-certificate saw) will fail again: not retried. */
          if (io_error->domain == G_TLS_ERROR && io_error->code != G_TLS_ERROR_EOF)
            detail = g_strdup_printf (_("No secure (HTTPS) connection could be made: check that the port is the bridge's web admin port. (%s)"),
                                      io_error->message);
          else
            detail = g_strdup_printf ("(%s)", io_error->message);
          error = transport_error (req, BK_CMS_ERROR_SERVER_ERROR, detail);
          if (is_reset_error (io_error))
            outcome = OUTCOME_RETRY;
          failure_text = g_strdup (io_error->message);
        }

      if (outcome == OUTCOME_RETRY && g_strcmp0 (req->method, "DELETE") == 0)
        req->maybe_done = TRUE;
    }
  else if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      BkCmsReply *reply = g_new0 (BkCmsReply, 1);

      location = soup_message_headers_get_one (soup_message_get_response_headers (req->msg), "Location");
      reply->status = status;
      reply->location = g_strdup (location);
      reply->id = id_from_location (location);
      reply->body = g_bytes_ref (body);

      log_attempt (req, status, body, location, NULL);
      request_return (task, reply, NULL);
      return;
    }
  else
    {
      error = error_for_status (req, status, body, &outcome);
      {
        GString *text = g_string_new (bk_cms_error_code_to_string (error->code));

        for (guint i = 0; i < bk_cms_error_get_n_failures (error); i++)
          {
            const BkCmsFailure *f = bk_cms_error_get_failure (error, i);

            g_string_append_printf (text, "%s%s", i == 0 ? ": " : ", ", f->reason);
            if (f->parameter != NULL)
              g_string_append_printf (text, " %s=%s", f->parameter, f->value ? f->value : "?");
          }
        failure_text = g_string_free (text, FALSE);
      }

      /* A retried DELETE that finds nothing: the earlier try did the job. */
      if (req->maybe_done && g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_NOT_FOUND))
        {
          BkCmsReply *reply = g_new0 (BkCmsReply, 1);

          g_clear_error (&error);
          reply->status = 200;
          reply->body = g_bytes_new (NULL, 0);
          log_attempt (req, status, body, NULL, NULL);
          request_return (task, reply, NULL);
          return;
        }
    }

  if (req->probe)
    bk_cms_log_entry_set_note (req->entry, _("Reachability check, sent without credentials: the node did not answer."));
  log_attempt (req, status, body, NULL, failure_text);

  if (outcome == OUTCOME_RETRY && req->attempt < client->max_attempts && !req->probe)
    {
      guint delay = backoff_delay_ms (client, req->attempt);

      g_debug ("%s %s: retrying in %u ms after %s", req->method, req->path, delay, error->message);
      g_clear_error (&req->last_error);
      req->last_error = error;
      req->backoff_source = g_timeout_source_new (delay);
      g_source_set_callback (req->backoff_source, backoff_done_cb, g_object_ref (task), g_object_unref);
      g_source_attach (req->backoff_source, req->context);
      return;
    }

  request_return (task, NULL, error);
}

/* libsoup sends a request again by itself when a kept-alive connection
 * turns out to be closed (an idempotent method on a reused connection),
 * but libsoup 3.2 does so without the body it has already read: give it
 * the body again, or a PUT goes out empty (and "succeeds"). */
static void
bk_cms_client_restarted_cb (SoupMessage *msg,
                            gpointer     user_data)
{
  Request *req = user_data;
  g_autoptr(GBytes) bytes = NULL;

  if (req->body == NULL)
    return;
  g_debug ("%s %s: sent again by libsoup; with its body", req->method, req->path);
  bytes = g_bytes_new (req->body, strlen (req->body));
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
}

static void
start_attempt (GTask *task)
{
  Request *req = g_task_get_task_data (task);
  BkCmsClient *client = req->client;
  g_autofree char *uri_string = NULL;
  g_autofree char *path_and_query = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  req->attempt++;
  req->timed_out = FALSE;
  req->wrote_request = FALSE;
  req->pin_mismatch = FALSE;
  g_clear_pointer (&req->peer_sha256, g_free);
  g_clear_object (&req->peer_cert);
  g_clear_object (&req->attempt_cancellable);
  if (req->msg != NULL)
    g_signal_handlers_disconnect_by_data (req->msg, req);
  g_clear_object (&req->msg);
  g_clear_object (&req->entry);

  path_and_query = req->query ? g_strconcat (req->path, "?", req->query, NULL) : g_strdup (req->path);
  uri_string = g_strconcat (client->base_url, path_and_query, NULL);
  uri = g_uri_parse (uri_string, SOUP_HTTP_URI_FLAGS, &error);
  if (uri == NULL)
    {
      request_return (task, NULL, transport_error (req, BK_CMS_ERROR_UNREACHABLE, error->message));
      return;
    }

  req->entry = bk_cms_log_entry_new (client->bridge, req->method, path_and_query, req->body, req->attempt);
  req->msg = soup_message_new_from_uri (req->method, uri);
  soup_message_add_flags (req->msg, SOUP_MESSAGE_NO_REDIRECT);
  headers = soup_message_get_request_headers (req->msg);
  if (client->auth_header != NULL && !req->probe)
    soup_message_headers_replace (headers, "Authorization", client->auth_header);
  if (req->probe)
    {
      /* Its certificate may be anyone's: a connection of its own, closed
       * after the answer, so that no later request rides on it. */
      soup_message_add_flags (req->msg, SOUP_MESSAGE_NEW_CONNECTION);
      soup_message_headers_replace (headers, "Connection", "close");
    }
  soup_message_headers_replace (headers, "Accept", "text/xml, application/xml");
  if (req->body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (req->body, strlen (req->body));
      soup_message_set_request_body_from_bytes (req->msg, "application/x-www-form-urlencoded", bytes);
    }
  g_signal_connect (req->msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), req);
  g_signal_connect (req->msg, "restarted", G_CALLBACK (bk_cms_client_restarted_cb), req);
  g_signal_connect (req->msg, "wrote-headers", G_CALLBACK (wrote_headers_cb), req);

  req->attempt_cancellable = g_cancellable_new ();
  if (client->timeout_ms > 0)
    {
      req->timeout_source = g_timeout_source_new (client->timeout_ms);
      g_source_set_callback (req->timeout_source, attempt_timeout_cb, req, NULL);
      g_source_attach (req->timeout_source, req->context);
    }

  attempt_started (client);
  soup_session_send_and_read_async (req->session, req->msg, G_PRIORITY_DEFAULT,
                                    req->attempt_cancellable, send_cb, g_object_ref (task));
}

static void
trust_store_ready_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *req = g_task_get_task_data (task);

  req->waiting_for_trust = FALSE;
  if (req->returned)
    return;
  start_attempt (task);
}

/* Starts the first attempt of @task (taken). The certificate check runs on
 * this main loop (glib-networking 2.74 emits accept-certificate and
 * verifies the chain there): never let it wait for the trust store being
 * read, wait for that here, asynchronously. */
static void
start_first_attempt (GTask *owned_task)
{
  g_autoptr(GTask) task = owned_task;
  Request *req = g_task_get_task_data (task);

  if (req->client->https && !bk_cms_tls_is_ready ())
    {
      req->waiting_for_trust = TRUE;
      bk_cms_tls_ready_async (trust_store_ready_cb, g_steal_pointer (&task));
      return;
    }
  start_attempt (task);
}

static char *
encode_params (const char * const *params)
{
  GString *out;

  if (params == NULL || params[0] == NULL)
    return NULL;

  out = g_string_new (NULL);
  for (guint i = 0; params[i] != NULL; i += 2)
    {
      const char *value = params[i + 1];

      if (value == NULL)
        {
          g_critical ("Odd number of request parameters (key “%s” has no value)", params[i]);
          break;
        }
      if (out->len > 0)
        g_string_append_c (out, '&');
      g_string_append_uri_escaped (out, params[i], NULL, FALSE);
      g_string_append_c (out, '=');
      g_string_append_uri_escaped (out, value, NULL, FALSE);
    }
  return g_string_free (out, FALSE);
}

static char *
normalize_path (const char  *path,
                char       **query_out)
{
  const char *q = strchr (path, '?');
  g_autofree char *p = q ? g_strndup (path, q - path) : g_strdup (path);

  *query_out = (q && q[1]) ? g_strdup (q + 1) : NULL;
  if (g_str_has_prefix (p, API_PREFIX "/"))
    return g_steal_pointer (&p);
  return g_strconcat (API_PREFIX, p[0] == '/' ? "" : "/", p, NULL);
}

static void
request_internal_async (BkCmsClient         *self,
                        const char          *method,
                        const char          *path,
                        const char * const  *params,
                        const char * const  *params2,
                        GCancellable        *cancellable,
                        gpointer             source_tag,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *req;
  g_autofree char *encoded = NULL;
  g_autofree char *encoded2 = NULL;
  g_autofree char *path_query = NULL;
  char *merged;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  req = g_new0 (Request, 1);
  req->client = g_object_ref (self);
  req->session = g_object_ref (self->session);
  req->context = g_main_context_ref_thread_default ();
  req->method = g_ascii_strup (method, -1);
  req->is_post = g_str_equal (req->method, "POST");
  req->path = normalize_path (path, &path_query);
  g_task_set_task_data (task, req, request_free);

  encoded = encode_params (params);
  encoded2 = encode_params (params2);
  if (encoded && encoded2)
    merged = g_strconcat (encoded, "&", encoded2, NULL);
  else
    merged = g_strdup (encoded ? encoded : encoded2);

  if (g_str_equal (req->method, "POST") || g_str_equal (req->method, "PUT"))
    {
      req->body = merged ? merged : g_strdup ("");
      req->query = g_steal_pointer (&path_query);
    }
  else if (path_query && merged)
    {
      req->query = g_strconcat (path_query, "&", merged, NULL);
      g_free (merged);
    }
  else
    req->query = path_query ? g_steal_pointer (&path_query) : merged;

  if (cancellable != NULL)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          request_return (task, NULL, cancelled_error ());
          return;
        }
      req->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (req->cancel_source, (GSourceFunc) (void (*) (void)) user_cancelled_cb,
                             g_object_ref (task), g_object_unref);
      g_source_attach (req->cancel_source, req->context);
    }

  start_first_attempt (g_steal_pointer (&task));
}

void
bk_cms_client_request_async (BkCmsClient         *self,
                             const char          *method,
                             const char          *path,
                             const char * const  *params,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (BK_CMS_IS_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  request_internal_async (self, method, path, params, NULL, cancellable,
                          bk_cms_client_request_async, callback, user_data);
}

BkCmsReply *
bk_cms_client_request_finish (BkCmsClient   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (BK_CMS_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
bk_cms_client_probe_async (BkCmsClient         *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *req;

  g_return_if_fail (BK_CMS_IS_CLIENT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_cms_client_probe_async);
  req = g_new0 (Request, 1);
  req->client = g_object_ref (self);
  req->session = g_object_ref (self->session);
  req->context = g_main_context_ref_thread_default ();
  req->method = g_strdup ("GET");
  req->path = g_strdup (API_PREFIX "/system/status");
  req->probe = TRUE;
  g_task_set_task_data (task, req, request_free);

  if (cancellable != NULL)
    {
      if (g_cancellable_is_cancelled (cancellable))
        {
          request_return (task, NULL, cancelled_error ());
          return;
        }
      req->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (req->cancel_source, (GSourceFunc) (void (*) (void)) user_cancelled_cb,
                             g_object_ref (task), g_object_unref);
      g_source_attach (req->cancel_source, req->context);
    }

  start_first_attempt (g_steal_pointer (&task));
}

BkCmsProbe *
bk_cms_client_probe_finish (BkCmsClient   *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (BK_CMS_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* get / create / update / delete                                           */

typedef struct
{
  BkCmsKind kind;
  char     *path;
} GetData;

static void
get_data_free (gpointer data)
{
  GetData *gd = data;
  g_free (gd->path);
  g_free (gd);
}

static void
get_request_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkCmsClient *self = BK_CMS_CLIENT (object);
  GetData *gd = g_task_get_task_data (task);
  g_autoptr(BkCmsReply) reply = NULL;
  GError *error = NULL;
  gpointer record;
  gsize len;
  const char *data;

  reply = g_task_propagate_pointer (G_TASK (result), &error);
  if (reply == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  data = g_bytes_get_data (reply->body, &len);
  record = bk_cms_record_decode (gd->kind, data, len, &error);
  if (record == NULL)
    {
      bk_cms_error_add_context (error, self->bridge, "GET", gd->path, reply->status);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, record, bk_cms_kind_get_free_func (gd->kind));
}

void
bk_cms_client_get_async (BkCmsClient         *self,
                         BkCmsKind            kind,
                         const char          *path,
                         const char * const  *params,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GetData *gd;

  g_return_if_fail (BK_CMS_IS_CLIENT (self));
  g_return_if_fail ((guint) kind < BK_CMS_N_KINDS);
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_cms_client_get_async);
  gd = g_new0 (GetData, 1);
  gd->kind = kind;
  gd->path = g_strdup (path);
  g_task_set_task_data (task, gd, get_data_free);

  request_internal_async (self, "GET", path, params, NULL, cancellable, bk_cms_client_request_async,
                          get_request_cb, g_steal_pointer (&task));
}

gpointer
bk_cms_client_get_finish (BkCmsClient   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (BK_CMS_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bk_cms_client_get_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
create_request_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkCmsClient *self = BK_CMS_CLIENT (object);
  g_autoptr(BkCmsReply) reply = NULL;
  GError *error = NULL;

  reply = g_task_propagate_pointer (G_TASK (result), &error);
  if (reply == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (reply->id == NULL)
    {
      g_task_return_error (task, bk_cms_error_build (BK_CMS_ERROR_MALFORMED_REPLY, self->bridge, "POST",
                                                     g_task_get_task_data (task), reply->status,
                                                     _("The reply has no Location of the new object.")));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&reply->id), g_free);
}

void
bk_cms_client_create_async (BkCmsClient         *self,
                            const char          *path,
                            const char * const  *params,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BK_CMS_IS_CLIENT (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_cms_client_create_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  request_internal_async (self, "POST", path, params, NULL, cancellable, bk_cms_client_request_async,
                          create_request_cb, g_steal_pointer (&task));
}

char *
bk_cms_client_create_finish (BkCmsClient   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (BK_CMS_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bk_cms_client_create_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
boolean_request_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(BkCmsReply) reply = NULL;
  GError *error = NULL;

  reply = g_task_propagate_pointer (G_TASK (result), &error);
  if (reply == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* A request whose task (tagged @source_tag) returns TRUE on success */
static void
boolean_request_async (BkCmsClient         *self,
                       const char          *method,
                       const char          *path,
                       const char * const  *params,
                       GCancellable        *cancellable,
                       gpointer             source_tag,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  request_internal_async (self, method, path, params, NULL, cancellable, bk_cms_client_request_async,
                          boolean_request_cb, task);
}

void
bk_cms_client_update_async (BkCmsClient         *self,
                            const char          *path,
                            const char * const  *params,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (BK_CMS_IS_CLIENT (self));
  g_return_if_fail (path != NULL);

  boolean_request_async (self, "PUT", path, params, cancellable, bk_cms_client_update_async,
                         callback, user_data);
}

gboolean
bk_cms_client_update_finish (BkCmsClient   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (BK_CMS_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
bk_cms_client_delete_async (BkCmsClient         *self,
                            const char          *path,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (BK_CMS_IS_CLIENT (self));
  g_return_if_fail (path != NULL);

  boolean_request_async (self, "DELETE", path, NULL, cancellable, bk_cms_client_delete_async,
                         callback, user_data);
}

gboolean
bk_cms_client_delete_finish (BkCmsClient   *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (BK_CMS_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* Collection pager                                                         */
/*
 * Paging is not a snapshot: objects added or removed between two pages shift
 * the list. The pager makes consecutive windows overlap by one object and
 * checks, once all planned pages are in, that every pair of neighbouring
 * windows (sorted by offset, then by arrival) shares at least one id. If two
 * windows W1 and W2 share an object x, every object that existed throughout
 * and lies between W1's start and W2's end is in W1 or W2 (the list order of
 * surviving objects never changes). So a chain of overlapping windows from
 * offset 0 to a window that reached its own total covers every object that
 * existed during the whole fetch. Where a pair does not overlap (objects were
 * removed in front of the later one), the pager re-reads the stretch just in
 * front of the later window; where the list grew past the last window, it
 * reads the new tail; then it checks again (at most MAX_REPAIR_ROUNDS times).
 * Round trips: the first page, then one per (page size - 1) objects.
 */

typedef struct
{
  guint      offset;
  guint      limit;
} Range;

typedef struct
{
  guint      offset;
  guint      seq;       /* arrival order */
  guint      total;
  GPtrArray *ids;       /* owned strings, in list order */
} Window;

typedef struct
{
  BkCmsClient       *client;
  BkCmsKind          kind;
  char              *path;
  GStrv              params;
  BkCmsProgressFunc  progress;
  gpointer           progress_data;
  GCancellable      *internal;
  GCancellable      *user_cancellable;
  gulong             cancel_handler;
  GHashTable        *by_id;       /* id (the record's own string) -> record */
  GQueue             pending;     /* of Range* */
  GPtrArray         *windows;     /* of Window* */
  guint              page_size;
  guint              last_total;
  guint              in_flight;
  guint              seq;
  guint              round;
  GError            *error;
} Pager;

static void pager_pump (GTask *task);

static void
window_free (gpointer data)
{
  Window *w = data;

  g_ptr_array_unref (w->ids);
  g_free (w);
}

static void
pager_free (gpointer data)
{
  Pager *pager = data;

  if (pager->user_cancellable != NULL && pager->cancel_handler != 0)
    g_cancellable_disconnect (pager->user_cancellable, pager->cancel_handler);
  g_clear_object (&pager->user_cancellable);
  g_clear_object (&pager->internal);
  g_clear_object (&pager->client);
  g_free (pager->path);
  g_strfreev (pager->params);
  g_clear_pointer (&pager->by_id, g_hash_table_unref);
  g_queue_clear_full (&pager->pending, g_free);
  g_clear_pointer (&pager->windows, g_ptr_array_unref);
  g_clear_error (&pager->error);
  g_free (pager);
}

static void
user_cancelled_pager_cb (GCancellable *cancellable,
                         gpointer      user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static void
pager_enqueue (Pager *pager,
               guint  offset,
               guint  limit)
{
  Range *range = g_new (Range, 1);

  range->offset = offset;
  range->limit = limit;
  g_queue_push_tail (&pager->pending, range);
}

/* Windows of page_size starting at @start, each overlapping the previous by
 * one object, until one reaches @end. */
static void
pager_enqueue_span (Pager *pager,
                    guint  start,
                    guint  end)
{
  guint size = pager->page_size;
  guint stride = size > 1 ? size - 1 : 1;

  for (guint o = start; ; o += stride)
    {
      pager_enqueue (pager, o, size);
      if (o + size >= end)
        break;
    }
}

static gint
compare_windows (gconstpointer a,
                 gconstpointer b)
{
  const Window *wa = *(const Window **) a;
  const Window *wb = *(const Window **) b;

  if (wa->offset != wb->offset)
    return wa->offset < wb->offset ? -1 : 1;
  return (wa->seq > wb->seq) - (wa->seq < wb->seq);
}

/* Non-empty windows in chain order. */
static GPtrArray *
pager_sorted_windows (Pager *pager)
{
  GPtrArray *sorted = g_ptr_array_sized_new (pager->windows->len);

  for (guint i = 0; i < pager->windows->len; i++)
    {
      Window *w = g_ptr_array_index (pager->windows, i);

      if (w->ids->len > 0)
        g_ptr_array_add (sorted, w);
    }
  g_ptr_array_sort (sorted, compare_windows);
  return sorted;
}

static gboolean
windows_overlap (Window *a,
                 Window *b)
{
  g_autoptr(GHashTable) set = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < a->ids->len; i++)
    g_hash_table_add (set, g_ptr_array_index (a->ids, i));
  for (guint i = 0; i < b->ids->len; i++)
    if (g_hash_table_contains (set, g_ptr_array_index (b->ids, i)))
      return TRUE;
  return FALSE;
}

static void
pager_return (GTask *task)
{
  Pager *pager = g_task_get_task_data (task);
  g_autoptr(GPtrArray) sorted = NULL;
  g_autoptr(GPtrArray) items = NULL;
  GHashTableIter iter;
  gpointer value;

  if (pager->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&pager->error));
      return;
    }

  /* Walk the chain: list order, each object once (its newest version). */
  items = g_ptr_array_new_full (g_hash_table_size (pager->by_id), bk_cms_kind_get_free_func (pager->kind));
  sorted = pager_sorted_windows (pager);
  for (guint i = 0; i < sorted->len; i++)
    {
      Window *w = g_ptr_array_index (sorted, i);

      for (guint j = 0; j < w->ids->len; j++)
        {
          const char *id = g_ptr_array_index (w->ids, j);
          gpointer record = g_hash_table_lookup (pager->by_id, id);

          if (record != NULL)
            {
              g_hash_table_steal (pager->by_id, id);
              g_ptr_array_add (items, record);
            }
        }
    }
  g_hash_table_iter_init (&iter, pager->by_id);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      g_ptr_array_add (items, value);
      g_hash_table_iter_steal (&iter);
    }

  g_task_return_pointer (task, g_steal_pointer (&items), (GDestroyNotify) g_ptr_array_unref);
}

static void
pager_check (GTask *task)
{
  Pager *pager = g_task_get_task_data (task);
  g_autoptr(GPtrArray) sorted = pager_sorted_windows (pager);
  guint size = pager->page_size;

  if (sorted->len == 0)
    {
      pager_return (task);
      return;
    }

  /* Gaps between neighbouring windows */
  if (size > 1)
    {
      for (guint i = 0; i + 1 < sorted->len; i++)
        {
          Window *a = g_ptr_array_index (sorted, i);
          Window *b = g_ptr_array_index (sorted, i + 1);
          guint back, start;

          if (windows_overlap (a, b))
            continue;
          /* Re-read what slid in front of b: at least one window's worth,
           * more if the total says more objects went away. */
          back = (size - 1) + (a->total > b->total ? a->total - b->total : 0);
          start = b->offset > back ? b->offset - back : 0;
          g_debug ("%s: no overlap between offsets %u and %u, re-reading from %u",
                   pager->path, a->offset, b->offset, start);
          pager_enqueue_span (pager, start, b->offset + 1);
        }
    }

  /* The tail */
  {
    Window *last = g_ptr_array_index (sorted, sorted->len - 1);
    guint end = last->offset + last->ids->len;
    guint total = MAX (last->total, pager->last_total);

    if (end < total)
      {
        g_debug ("%s: list grew to %u while paging, reading the tail from %u", pager->path, total, end);
        pager_enqueue_span (pager, end > 0 ? end - 1 : 0, total);
      }
  }

  if (g_queue_is_empty (&pager->pending))
    {
      pager_return (task);
      return;
    }
  if (pager->round >= MAX_REPAIR_ROUNDS)
    {
      g_debug ("%s: list kept changing; returning %u objects after %u rounds",
               pager->path, g_hash_table_size (pager->by_id), pager->round);
      g_queue_clear_full (&pager->pending, g_free);
      pager_return (task);
      return;
    }
  pager->round++;
  pager_pump (task);
}

typedef struct
{
  GTask *task;
  Range  range;
} PageCall;

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  PageCall *call = user_data;
  g_autoptr(GTask) task = call->task;
  Range range = call->range;
  Pager *pager = g_task_get_task_data (task);
  BkCmsClient *self = BK_CMS_CLIENT (object);
  g_autoptr(BkCmsReply) reply = NULL;
  g_autoptr(GPtrArray) items = NULL;
  GError *error = NULL;
  guint total = 0;
  Window *window;

  g_free (call);
  pager->in_flight--;

  reply = g_task_propagate_pointer (G_TASK (result), &error);
  if (reply != NULL)
    {
      gsize len;
      const char *data = g_bytes_get_data (reply->body, &len);

      items = bk_cms_list_decode (pager->kind, data, len, &total, &error);
      if (items == NULL)
        bk_cms_error_add_context (error, self->bridge, "GET", pager->path, reply->status);
    }

  if (error != NULL || pager->error != NULL)
    {
      if (pager->error == NULL)
        {
          if (pager->user_cancellable && g_cancellable_is_cancelled (pager->user_cancellable))
            {
              g_clear_error (&error);
              error = cancelled_error ();
            }
          pager->error = error;
          g_cancellable_cancel (pager->internal);
        }
      else
        g_clear_error (&error);

      g_queue_clear_full (&pager->pending, g_free);
      if (pager->in_flight == 0)
        pager_return (task);
      return;
    }

  window = g_new0 (Window, 1);
  window->offset = range.offset;
  window->seq = pager->seq++;
  window->total = total;
  window->ids = g_ptr_array_new_full (items->len, g_free);
  g_ptr_array_add (pager->windows, window);

  /* Merge; the newest version of an object wins. */
  for (guint i = 0; i < items->len; i++)
    {
      BkCmsRecord *record = g_ptr_array_index (items, i);

      g_ptr_array_add (window->ids, g_strdup (record->id));
      /* The table's key is the old record's id: steal, then re-insert. */
      if (g_hash_table_lookup (pager->by_id, record->id) != NULL)
        {
          gpointer old = g_hash_table_lookup (pager->by_id, record->id);

          g_hash_table_steal (pager->by_id, record->id);
          bk_cms_kind_get_free_func (pager->kind) (old);
        }
      g_hash_table_insert (pager->by_id, record->id, record);
      g_ptr_array_index (items, i) = NULL;
    }
  g_ptr_array_set_free_func (items, NULL);
  pager->last_total = total;

  if (window->seq == 0)
    {
      /* The first reply tells the bridge's page size. */
      pager->page_size = MAX (items->len, 1);
      if (items->len > 0 && items->len < total)
        pager_enqueue_span (pager, pager->page_size > 1 ? items->len - 1 : items->len, total);
    }

  if (pager->progress)
    pager->progress (g_hash_table_size (pager->by_id), total, pager->progress_data);

  if (g_queue_is_empty (&pager->pending) && pager->in_flight == 0)
    {
      pager_check (task);
      return;
    }
  pager_pump (task);
}

static void
pager_start_page (GTask *task,
                  guint  offset,
                  guint  limit)
{
  Pager *pager = g_task_get_task_data (task);
  g_autofree char *offset_s = g_strdup_printf ("%u", offset);
  g_autofree char *limit_s = g_strdup_printf ("%u", limit);
  const char *paging[] = { "offset", offset_s, "limit", limit_s, NULL };
  PageCall *call = g_new0 (PageCall, 1);

  call->task = g_object_ref (task);
  call->range.offset = offset;
  call->range.limit = limit;
  pager->in_flight++;
  request_internal_async (pager->client, "GET", pager->path,
                          (const char * const *) pager->params,
                          offset == 0 ? paging + 2 : paging,
                          pager->internal, bk_cms_client_request_async, page_cb, call);
}

static void
pager_pump (GTask *task)
{
  Pager *pager = g_task_get_task_data (task);
  guint max = MAX (pager->client->max_connections, 1);

  while (pager->in_flight < max && !g_queue_is_empty (&pager->pending))
    {
      Range *range = g_queue_pop_head (&pager->pending);

      pager_start_page (task, range->offset, range->limit);
      g_free (range);
    }
}

void
bk_cms_client_list_async (BkCmsClient         *self,
                          BkCmsKind            kind,
                          const char          *path,
                          const char * const  *params,
                          BkCmsProgressFunc    progress,
                          gpointer             progress_data,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Pager *pager;

  g_return_if_fail (BK_CMS_IS_CLIENT (self));
  g_return_if_fail ((guint) kind < BK_CMS_N_KINDS);
  g_return_if_fail (bk_cms_kind_get_list_element (kind) != NULL);
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_cms_client_list_async);

  pager = g_new0 (Pager, 1);
  pager->client = g_object_ref (self);
  pager->kind = kind;
  pager->path = g_strdup (path);
  pager->params = g_strdupv ((char **) params);
  pager->progress = progress;
  pager->progress_data = progress_data;
  pager->internal = g_cancellable_new ();
  pager->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, bk_cms_kind_get_free_func (kind));
  pager->windows = g_ptr_array_new_with_free_func (window_free);
  g_queue_init (&pager->pending);
  g_task_set_task_data (task, pager, pager_free);

  if (cancellable != NULL)
    {
      pager->user_cancellable = g_object_ref (cancellable);
      pager->cancel_handler = g_cancellable_connect (cancellable, G_CALLBACK (user_cancelled_pager_cb),
                                                     g_object_ref (pager->internal), g_object_unref);
    }

  pager_start_page (task, 0, BK_CMS_CLIENT_PAGE_LIMIT);
}

GPtrArray *
bk_cms_client_list_finish (BkCmsClient   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (BK_CMS_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bk_cms_client_list_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ------------------------------------------------------------------------ */
/* Typed conveniences                                                       */

static char *
object_path (const char *collection,
             const char *id)
{
  g_autofree char *escaped = g_uri_escape_string (id, NULL, FALSE);
  return g_strdup_printf ("/%s/%s", collection, escaped);
}

/* GET /<collection>/<id> */
static void
get_object_async (BkCmsClient         *self,
                  BkCmsKind            kind,
                  const char          *collection,
                  const char          *id,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autofree char *path = object_path (collection, id);

  bk_cms_client_get_async (self, kind, path, NULL, cancellable, callback, user_data);
}

void
bk_cms_client_get_system_status_async (BkCmsClient *self, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  bk_cms_client_get_async (self, BK_CMS_KIND_SYSTEM_STATUS, "/system/status", NULL, cancellable, callback, user_data);
}

BkCmsSystemStatus *
bk_cms_client_get_system_status_finish (BkCmsClient *self, GAsyncResult *result, GError **error)
{
  return bk_cms_client_get_finish (self, result, error);
}

void
bk_cms_client_get_cluster_config_async (BkCmsClient *self, GCancellable *cancellable,
                                        GAsyncReadyCallback callback, gpointer user_data)
{
  bk_cms_client_get_async (self, BK_CMS_KIND_CLUSTER_CONFIG, "/system/configuration/cluster", NULL,
                           cancellable, callback, user_data);
}

BkCmsClusterConfig *
bk_cms_client_get_cluster_config_finish (BkCmsClient *self, GAsyncResult *result, GError **error)
{
  return bk_cms_client_get_finish (self, result, error);
}

void
bk_cms_client_list_call_bridges_async (BkCmsClient *self, GCancellable *cancellable,
                                       GAsyncReadyCallback callback, gpointer user_data)
{
  bk_cms_client_list_async (self, BK_CMS_KIND_CALL_BRIDGE, "/callBridges", NULL, NULL, NULL,
                            cancellable, callback, user_data);
}

GPtrArray *
bk_cms_client_list_call_bridges_finish (BkCmsClient *self, GAsyncResult *result, GError **error)
{
  return bk_cms_client_list_finish (self, result, error);
}

void
bk_cms_client_get_call_bridge_async (BkCmsClient *self, const char *id, GCancellable *cancellable,
                                     GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (id != NULL);
  get_object_async (self, BK_CMS_KIND_CALL_BRIDGE, "callBridges", id, cancellable, callback, user_data);
}

BkCmsCallBridge *
bk_cms_client_get_call_bridge_finish (BkCmsClient *self, GAsyncResult *result, GError **error)
{
  return bk_cms_client_get_finish (self, result, error);
}

void
bk_cms_client_list_alarms_async (BkCmsClient *self, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  bk_cms_client_list_async (self, BK_CMS_KIND_ALARM, "/system/alarms", NULL, NULL, NULL,
                            cancellable, callback, user_data);
}

GPtrArray *
bk_cms_client_list_alarms_finish (BkCmsClient *self, GAsyncResult *result, GError **error)
{
  return bk_cms_client_list_finish (self, result, error);
}

void
bk_cms_client_list_cospaces_async (BkCmsClient *self, const char *filter,
                                   const char * const *extra_params,
                                   BkCmsProgressFunc progress, gpointer progress_data,
                                   GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) params = NULL;

  if (filter != NULL)
    {
      g_strv_builder_add (builder, "filter");
      g_strv_builder_add (builder, filter);
    }
  if (extra_params != NULL)
    g_strv_builder_addv (builder, (const char **) extra_params);
  params = g_strv_builder_end (builder);
  bk_cms_client_list_async (self, BK_CMS_KIND_COSPACE, "/coSpaces", (const char * const *) params,
                            progress, progress_data, cancellable, callback, user_data);
}

GPtrArray *
bk_cms_client_list_cospaces_finish (BkCmsClient *self, GAsyncResult *result, GError **error)
{
  return bk_cms_client_list_finish (self, result, error);
}

void
bk_cms_client_get_cospace_async (BkCmsClient *self, const char *id, GCancellable *cancellable,
                                 GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (id != NULL);
  get_object_async (self, BK_CMS_KIND_COSPACE, "coSpaces", id, cancellable, callback, user_data);
}

BkCmsCoSpace *
bk_cms_client_get_cospace_finish (BkCmsClient *self, GAsyncResult *result, GError **error)
{
  return bk_cms_client_get_finish (self, result, error);
}

void
bk_cms_client_create_call_profile_async (BkCmsClient *self, const char * const *params,
                                         GCancellable *cancellable,
                                         GAsyncReadyCallback callback, gpointer user_data)
{
  bk_cms_client_create_async (self, "/callProfiles", params, cancellable, callback, user_data);
}

void
bk_cms_client_create_call_leg_profile_async (BkCmsClient *self, const char * const *params,
                                             GCancellable *cancellable,
                                             GAsyncReadyCallback callback, gpointer user_data)
{
  bk_cms_client_create_async (self, "/callLegProfiles", params, cancellable, callback, user_data);
}

void
bk_cms_client_create_bulk_parameter_set_async (BkCmsClient *self, const char * const *params,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data)
{
  bk_cms_client_create_async (self, "/cospaceBulkParameterSets", params, cancellable, callback, user_data);
}

void
bk_cms_client_update_bulk_parameter_set_async (BkCmsClient *self, const char *id,
                                               const char * const *params,
                                               GCancellable *cancellable,
                                               GAsyncReadyCallback callback, gpointer user_data)
{
  g_autofree char *path = NULL;

  g_return_if_fail (id != NULL);
  path = object_path ("cospaceBulkParameterSets", id);
  bk_cms_client_update_async (self, path, params, cancellable, callback, user_data);
}

void
bk_cms_client_create_bulk_sync_async (BkCmsClient *self, const char *parameter_set_id,
                                      gboolean remove_all, GCancellable *cancellable,
                                      GAsyncReadyCallback callback, gpointer user_data)
{
  const char *params[] = { "cospaceBulkParameterSet", parameter_set_id,
                           remove_all ? "removeAll" : NULL, "true", NULL };

  g_return_if_fail (parameter_set_id != NULL);
  bk_cms_client_create_async (self, "/cospaceBulkSyncs", params, cancellable, callback, user_data);
}

void
bk_cms_client_get_bulk_sync_async (BkCmsClient *self, const char *id, GCancellable *cancellable,
                                   GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (id != NULL);
  get_object_async (self, BK_CMS_KIND_BULK_SYNC, "cospaceBulkSyncs", id, cancellable, callback, user_data);
}

BkCmsBulkSync *
bk_cms_client_get_bulk_sync_finish (BkCmsClient *self, GAsyncResult *result, GError **error)
{
  return bk_cms_client_get_finish (self, result, error);
}

/* ------------------------------------------------------------------------ */
/* Object                                                                   */

static void
rebuild_session (BkCmsClient *self)
{
  g_clear_object (&self->session);
  self->session = g_object_new (SOUP_TYPE_SESSION,
                                "max-conns-per-host", self->max_connections,
                                "max-conns", MAX (self->max_connections, 10),
                                "idle-timeout", 0,
                                "timeout", 0,
                                "user-agent", "Bridgekeeper/" PACKAGE_VERSION " ",
                                NULL);
  /* We send Authorization ourselves; no challenge handling. */
  soup_session_remove_feature_by_type (self->session, SOUP_TYPE_AUTH_MANAGER);
}

static void
bk_cms_client_constructed (GObject *object)
{
  BkCmsClient *self = BK_CMS_CLIENT (object);
  g_autoptr(GUri) uri = NULL;

  G_OBJECT_CLASS (bk_cms_client_parent_class)->constructed (object);

  if (self->max_connections == 0)
    self->max_connections = BK_CMS_CLIENT_DEFAULT_MAX_CONNECTIONS;

  uri = self->base_url ? g_uri_parse (self->base_url, SOUP_HTTP_URI_FLAGS, NULL) : NULL;
  if (uri != NULL && g_uri_get_host (uri) != NULL)
    {
      int port = g_uri_get_port (uri);

      if (port < 0)
        port = g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0 ? 80 : 443;
      self->bridge = g_strdup_printf ("%s:%d", g_uri_get_host (uri), port);
    }
  else
    self->bridge = g_strdup (self->base_url ? self->base_url : "?");

  /* Before any connection is made: glib-networking's own default database
   * would read the whole trust store on the main loop for every new HTTPS
   * connection (see bk-cms-tls.c). */
  self->https = uri == NULL || g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0;
  if (self->https)
    bk_cms_tls_install_default_database ();

  rebuild_session (self);
  if (self->log == NULL)
    self->log = bk_cms_log_new (BK_CMS_LOG_DEFAULT_CAPACITY);
}

static void
bk_cms_client_finalize (GObject *object)
{
  BkCmsClient *self = BK_CMS_CLIENT (object);

  g_free (self->base_url);
  g_free (self->bridge);
  g_free (self->username);
  if (self->auth_header)
    memset (self->auth_header, 0, strlen (self->auth_header));
  g_free (self->auth_header);
  g_free (self->pin);
  destroy_source (&self->idle_source);
  g_clear_object (&self->session);
  g_clear_object (&self->log);

  G_OBJECT_CLASS (bk_cms_client_parent_class)->finalize (object);
}

static void
bk_cms_client_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  BkCmsClient *self = BK_CMS_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL: g_value_set_string (value, self->base_url); break;
    case PROP_USERNAME: g_value_set_string (value, self->username); break;
    case PROP_PIN: g_value_set_string (value, self->pin); break;
    case PROP_TIMEOUT: g_value_set_uint (value, self->timeout_ms); break;
    case PROP_MAX_CONNECTIONS: g_value_set_uint (value, self->max_connections); break;
    case PROP_LOG: g_value_set_object (value, self->log); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_cms_client_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  BkCmsClient *self = BK_CMS_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      {
        char *url = g_strdup (g_value_get_string (value));

        while (url && *url && url[strlen (url) - 1] == '/')
          url[strlen (url) - 1] = '\0';
        if (url && g_str_has_suffix (url, API_PREFIX))
          url[strlen (url) - strlen (API_PREFIX)] = '\0';
        g_free (self->base_url);
        self->base_url = url;
      }
      break;
    case PROP_MAX_CONNECTIONS: self->max_connections = g_value_get_uint (value); break;
    case PROP_PIN: bk_cms_client_set_pin (self, g_value_get_string (value)); break;
    case PROP_TIMEOUT: bk_cms_client_set_timeout (self, g_value_get_uint (value)); break;
    case PROP_LOG: bk_cms_client_set_log (self, g_value_get_object (value)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_cms_client_class_init (BkCmsClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = bk_cms_client_constructed;
  object_class->finalize = bk_cms_client_finalize;
  object_class->get_property = bk_cms_client_get_property;
  object_class->set_property = bk_cms_client_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PIN] =
    g_param_spec_string ("pin", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 0, G_MAXUINT, BK_CMS_CLIENT_DEFAULT_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_CONNECTIONS] =
    g_param_spec_uint ("max-connections", NULL, NULL, 0, 64, BK_CMS_CLIENT_DEFAULT_MAX_CONNECTIONS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOG] =
    g_param_spec_object ("log", NULL, NULL, BK_CMS_TYPE_LOG,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bk_cms_client_init (BkCmsClient *self)
{
  self->timeout_ms = BK_CMS_CLIENT_DEFAULT_TIMEOUT_MS;
  self->max_attempts = BK_CMS_CLIENT_DEFAULT_MAX_ATTEMPTS;
  self->base_delay_ms = BK_CMS_CLIENT_DEFAULT_BASE_DELAY_MS;
  self->max_delay_ms = BK_CMS_CLIENT_DEFAULT_MAX_DELAY_MS;
}

BkCmsClient *
bk_cms_client_new_full (const char *base_url,
                        const char *username,
                        const char *password,
                        const char *pin_sha256,
                        guint       max_connections)
{
  BkCmsClient *self;

  g_return_val_if_fail (base_url != NULL, NULL);

  self = g_object_new (BK_CMS_TYPE_CLIENT,
                       "base-url", base_url,
                       "max-connections", max_connections,
                       NULL);
  bk_cms_client_set_credentials (self, username, password);
  bk_cms_client_set_pin (self, pin_sha256);
  return self;
}

BkCmsClient *
bk_cms_client_new (const char *base_url,
                   const char *username,
                   const char *password,
                   const char *pin_sha256)
{
  return bk_cms_client_new_full (base_url, username, password, pin_sha256, 0);
}

const char *
bk_cms_client_get_base_url (BkCmsClient *self)
{
  g_return_val_if_fail (BK_CMS_IS_CLIENT (self), NULL);
  return self->base_url;
}

const char *
bk_cms_client_get_bridge (BkCmsClient *self)
{
  g_return_val_if_fail (BK_CMS_IS_CLIENT (self), NULL);
  return self->bridge;
}

const char *
bk_cms_client_get_username (BkCmsClient *self)
{
  g_return_val_if_fail (BK_CMS_IS_CLIENT (self), NULL);
  return self->username;
}

void
bk_cms_client_set_credentials (BkCmsClient *self,
                               const char  *username,
                               const char  *password)
{
  g_autofree char *joined = NULL;
  g_autofree char *encoded = NULL;

  g_return_if_fail (BK_CMS_IS_CLIENT (self));

  g_free (self->username);
  self->username = g_strdup (username);
  if (self->auth_header)
    memset (self->auth_header, 0, strlen (self->auth_header));
  g_clear_pointer (&self->auth_header, g_free);

  if (username != NULL)
    {
      joined = g_strdup_printf ("%s:%s", username, password ? password : "");
      encoded = g_base64_encode ((const guchar *) joined, strlen (joined));
      self->auth_header = g_strconcat ("Basic ", encoded, NULL);
      memset (joined, 0, strlen (joined));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERNAME]);
}

const char *
bk_cms_client_get_pin (BkCmsClient *self)
{
  g_return_val_if_fail (BK_CMS_IS_CLIENT (self), NULL);
  return self->pin;
}

void
bk_cms_client_set_pin (BkCmsClient *self,
                       const char  *pin_sha256)
{
  g_autofree char *pin = NULL;

  g_return_if_fail (BK_CMS_IS_CLIENT (self));

  if (pin_sha256 != NULL && *pin_sha256 != '\0')
    {
      GString *s = g_string_new (NULL);

      /* Accept "AB:CD:..." too: keep hex digits only, lowercase. */
      for (const char *p = pin_sha256; *p; p++)
        if (g_ascii_isxdigit (*p))
          g_string_append_c (s, g_ascii_tolower (*p));
      pin = g_string_free (s, FALSE);
    }

  if (g_strcmp0 (pin, self->pin) == 0)
    return;

  g_free (self->pin);
  self->pin = g_steal_pointer (&pin);
  /* Connections accepted under the old pin must not be reused. In-flight
   * requests keep their own reference to the old session. */
  if (self->session != NULL)
    rebuild_session (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PIN]);
}

guint
bk_cms_client_get_max_connections (BkCmsClient *self)
{
  g_return_val_if_fail (BK_CMS_IS_CLIENT (self), 0);
  return self->max_connections;
}

void
bk_cms_client_set_timeout (BkCmsClient *self,
                           guint        timeout_ms)
{
  g_return_if_fail (BK_CMS_IS_CLIENT (self));

  if (self->timeout_ms == timeout_ms)
    return;
  self->timeout_ms = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint
bk_cms_client_get_timeout (BkCmsClient *self)
{
  g_return_val_if_fail (BK_CMS_IS_CLIENT (self), 0);
  return self->timeout_ms;
}

void
bk_cms_client_set_retry_policy (BkCmsClient *self,
                                guint        max_attempts,
                                guint        base_delay_ms,
                                guint        max_delay_ms)
{
  g_return_if_fail (BK_CMS_IS_CLIENT (self));

  self->max_attempts = MAX (max_attempts, 1);
  self->base_delay_ms = base_delay_ms;
  self->max_delay_ms = MAX (max_delay_ms, base_delay_ms);
}

BkCmsLog *
bk_cms_client_get_log (BkCmsClient *self)
{
  g_return_val_if_fail (BK_CMS_IS_CLIENT (self), NULL);
  return self->log;
}

void
bk_cms_client_set_log (BkCmsClient *self,
                       BkCmsLog    *log)
{
  g_return_if_fail (BK_CMS_IS_CLIENT (self));
  g_return_if_fail (!log || BK_CMS_IS_LOG (log));

  if (log == NULL)
    log = g_object_new (BK_CMS_TYPE_LOG, NULL);
  else
    g_object_ref (log);
  g_clear_object (&self->log);
  self->log = log;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOG]);
}
