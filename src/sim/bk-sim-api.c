/* bk-sim-api.c: the HTTP side of a simulated call bridge: authentication,
 * latency and fault injection, the request hook, dispatch to the model and
 * the CMS-style API trace of every request
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkSimApi"

#include "config.h"

#include <string.h>

#include "bk-sim-private.h"

struct _BkSimRequest
{
  BkSimNode         *node;
  SoupServerMessage *msg;
  guint              seq;
  char              *method;
  char              *path;
  char              *query;
  guint              timeout_id;
  gboolean           paused;
};

void
bk_sim_request_free (BkSimRequest *req)
{
  if (req->timeout_id != 0)
    g_source_remove (req->timeout_id);
  g_clear_object (&req->msg);
  g_free (req->method);
  g_free (req->path);
  g_free (req->query);
  g_free (req);
}

/* Each node checks its own API user (MMP users are local to a node). */
static gboolean
check_auth (BkSimNode         *node,
            SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  g_autofree guchar *decoded = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *given = NULL;
  gsize len = 0;

  if (header == NULL || g_ascii_strncasecmp (header, "Basic ", 6) != 0)
    return FALSE;
  decoded = g_base64_decode (header + 6, &len);
  given = g_strndup ((const char *) decoded, len);
  expected = g_strdup_printf ("%s:%s", bk_sim_node_get_username (node), bk_sim_node_get_password (node));
  return g_str_equal (given, expected);
}

static void
finish (BkSimRequest *req,
        guint         status,
        const char   *body,
        gsize         body_len,
        const char   *location,
        const char   *www_auth)
{
  SoupServerMessage *msg = req->msg;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, status, NULL);
  if (location != NULL)
    soup_message_headers_replace (headers, "Location", location);
  if (www_auth != NULL)
    soup_message_headers_replace (headers, "WWW-Authenticate", www_auth);
  if (body != NULL && body_len > 0)
    soup_server_message_set_response (msg, "text/xml", SOUP_MEMORY_COPY, body, body_len);
  else
    soup_message_headers_set_content_length (headers, 0);
  bk_sim_trace_response (req->node, req->seq, status, location, www_auth, body, body_len);
  if (req->paused)
    soup_server_message_unpause (msg);
}

static void
mangle_body (GString    *body,
             BkSimFault  fault)
{
  if (fault == BK_SIM_FAULT_TRUNCATED_XML)
    {
      /* Cut inside the document, after the prolog and root start tag. */
      gsize keep = MAX (body->len / 2, (gsize) 1);

      if (body->len > 40)
        keep = MAX (keep, (gsize) 30);
      g_string_truncate (body, MIN (keep, body->len > 1 ? body->len - 1 : 0));
    }
  else
    {
      g_string_assign (body, "<?xml version=\"1.0\"?>\n<failureDetails><unclosed attr=\"x></failureDetails");
    }
}

static const struct { const char *segment; const char *kind; } object_kinds[] = {
  { "coSpaces", "space" },
  { "callProfiles", "call profile" },
  { "callLegProfiles", "call leg profile" },
  { "cospaceBulkParameterSets", "coSpace bulk parameter set" },
  { "cospaceBulkSyncs", "coSpace bulk sync" },
  { "tenants", "tenant" },
  { "calls", "call" },
  { "callLegs", "call leg" },
};

/* The audit line CMS logs beside the API trace for a change, e.g.
 * 'API user "admin" created new call profile <id>'. */
static void
trace_audit (BkSimRequest *req,
             BkSimReply   *reply)
{
  g_auto(GStrv) segs = NULL;
  const char *verb;
  const char *id;
  const char *kind = NULL;
  const char *from = soup_server_message_get_remote_host (req->msg);
  g_autofree char *line = NULL;
  guint n;

  if (reply->status != 200 || g_str_equal (req->method, "GET") ||
      g_ascii_strncasecmp (req->path, "/api/v1/", 8) != 0)
    return;
  if (g_str_equal (req->method, "POST") && reply->location != NULL)
    {
      segs = g_strsplit (reply->location + strlen ("/api/v1/"), "/", -1);
      verb = "created new";
    }
  else if (g_str_equal (req->method, "PUT") || g_str_equal (req->method, "DELETE"))
    {
      segs = g_strsplit (req->path + strlen ("/api/v1/"), "/", -1);
      verb = g_str_equal (req->method, "PUT") ? "modified" : "deleted";
    }
  else
    return;
  n = g_strv_length (segs);
  if (n != 2)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (object_kinds); i++)
    if (g_ascii_strcasecmp (segs[0], object_kinds[i].segment) == 0)
      kind = object_kinds[i].kind;
  if (kind == NULL)
    return;
  id = segs[1];
  line = g_strdup_printf ("%s: API user \"%s\" %s %s %s", from ? from : "unknown",
                          bk_sim_node_get_username (req->node), verb, kind, id);
  bk_sim_trace_line (req->node, 0, line);
}

static void
process (BkSimRequest *req)
{
  BkSimNode *node = req->node;
  BkSimCluster *self = node->cluster;
  SoupServerMessage *msg = req->msg;
  BkSimFault fault = 0;
  gboolean has_fault;
  BkSimReply reply = { 0 };
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(GHashTable) form = NULL;

  if (g_ascii_strncasecmp (req->path, "/api/", 5) != 0)
    {
      finish (req, 404, NULL, 0, NULL, NULL);
      goto done;
    }

  if (!check_auth (node, msg))
    {
      finish (req, 401, NULL, 0, NULL, "Basic realm=\"acano\"");
      goto done;
    }

  has_fault = bk_sim_faults_roll (self, req->method, req->path, &fault);
  if (has_fault)
    {
      switch (fault)
        {
        case BK_SIM_FAULT_HTTP_503:
          finish (req, 503, NULL, 0, NULL, NULL);
          goto done;
        case BK_SIM_FAULT_HTTP_500:
          finish (req, 500, NULL, 0, NULL, NULL);
          goto done;
        case BK_SIM_FAULT_RESET:
          {
            g_autoptr(GIOStream) stream = NULL;

            bk_sim_trace_line (node, req->seq, "connection reset (injected fault)");
            stream = soup_server_message_steal_connection (msg);
            if (stream != NULL)
              g_io_stream_close (stream, NULL, NULL);
            goto done;
          }
        case BK_SIM_FAULT_NO_ANSWER:
          bk_sim_trace_line (node, req->seq, "not answering (injected fault)");
          if (!req->paused)
            {
              soup_server_message_pause (msg);
              req->paused = TRUE;
            }
          if (!g_ptr_array_find (node->pending, req, NULL))
            g_ptr_array_add (node->pending, req);
          return;
        case BK_SIM_FAULT_RESET_AFTER_EFFECT:
        case BK_SIM_FAULT_TRUNCATED_XML:
        case BK_SIM_FAULT_MALFORMED_XML:
        default:
          break;
        }
    }

  if (self->hook != NULL)
    self->hook (self, node->index, req->method, req->path, req->query, self->hook_data);

  if (req->query != NULL)
    query = soup_form_decode (req->query);
  if (g_str_equal (req->method, "POST") || g_str_equal (req->method, "PUT"))
    {
      g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

      form = soup_form_decode (text);
    }

  bk_sim_model_dispatch (node, req->method, req->path, query, form, &reply);

  trace_audit (req, &reply);

  if (has_fault && fault == BK_SIM_FAULT_RESET_AFTER_EFFECT)
    {
      g_autoptr(GIOStream) stream = NULL;

      /* Done on the bridge; the reply is lost with the connection. */
      bk_sim_trace_line (node, req->seq, "connection reset after the request took effect (injected fault)");
      bk_sim_reply_clear (&reply);
      stream = soup_server_message_steal_connection (msg);
      if (stream != NULL)
        g_io_stream_close (stream, NULL, NULL);
      goto done;
    }

  if (has_fault && reply.body != NULL)
    mangle_body (reply.body, fault);
  else if (has_fault)
    reply.body = g_string_new ("<?xml version=\"1.0\"?>\n<x");

  finish (req, reply.status, reply.body ? reply.body->str : NULL,
          reply.body ? reply.body->len : 0, reply.location, NULL);
  bk_sim_reply_clear (&reply);

done:
  g_ptr_array_remove (node->pending, req);
  bk_sim_request_free (req);
}

static gboolean
delayed_cb (gpointer data)
{
  BkSimRequest *req = data;

  req->timeout_id = 0;
  process (req);
  return G_SOURCE_REMOVE;
}

void
bk_sim_api_handle (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  BkSimNode *node = user_data;
  BkSimCluster *self = node->cluster;
  BkSimRequest *req;
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = NULL;
  guint delay;

  req = g_new0 (BkSimRequest, 1);
  req->node = node;
  req->msg = g_object_ref (msg);
  req->seq = ++node->trace_seq;
  req->method = g_strdup (soup_server_message_get_method (msg));
  req->path = g_strdup (path);
  req->query = g_strdup (g_uri_get_query (uri));

  bk_sim_count_request (node, req->method, req->path);
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  bk_sim_trace_request (node, req->seq, req->method, req->path,
                        soup_server_message_get_remote_host (msg),
                        soup_message_headers_get_content_type (headers, NULL), body);

  delay = bk_sim_faults_delay_ms (self);
  if (delay > 0)
    {
      soup_server_message_pause (msg);
      req->paused = TRUE;
      req->timeout_id = g_timeout_add (delay, delayed_cb, req);
      g_ptr_array_add (node->pending, req);
      return;
    }
  process (req);
}

void
bk_sim_api_drop_pending (BkSimNode *node)
{
  for (guint i = 0; i < node->pending->len; i++)
    {
      BkSimRequest *req = g_ptr_array_index (node->pending, i);

      /* Close the connection of every delayed or held request now, as a
       * machine that goes down does: soup_server_disconnect() alone does not
       * always end a paused message's connection, and the client would then
       * wait for its own timeout. */
      if (req->msg != NULL)
        {
          g_autoptr(GIOStream) stream = soup_server_message_steal_connection (req->msg);

          if (stream != NULL)
            g_io_stream_close (stream, NULL, NULL);
        }
      bk_sim_request_free (req);
    }
  g_ptr_array_set_size (node->pending, 0);
}
