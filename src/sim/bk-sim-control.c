/* bk-sim-control.c: the simulator's control interface, a small plain-HTTP
 * JSON listener on 127.0.0.1 outside /api/v1 (see bridgekeeper-cms-sim --help)
 *
 *   GET    /state                      nodes, counts, settings
 *   POST   /nodes/N/down, /nodes/N/up  take node N (0-based) down / bring it back
 *   POST   /nodes/N/credentials {"username","password"}  node N's own API user
 *                                      (no username: the cluster's again)
 *   POST   /nodes/N/certificate        a new self-signed certificate for node N
 *                                      -> {"certificateSha256"}
 *   POST   /faults   {"kind","method","path","probability","count"}
 *   DELETE /faults                     clear rules and latency
 *   POST   /latency  {"ms","jitter"}
 *   POST   /alarms   {"type"}          DELETE /alarms
 *   GET    /counters?node=&method=&path=   {"count":N}     DELETE /counters
 *   GET    /trace (text/plain)         DELETE /trace
 *   POST   /settings {"pageCap","bulkSyncDelay","bulkSyncRate","callLegConnectDelay",
 *                     "unansweredPattern","failingPattern"}
 *   POST   /cospaces {"name","uri","callId"} -> {"id"}
 *   POST   /reset
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkSimControl"

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "bk-sim-private.h"

static void
reply_json (SoupServerMessage *msg,
            guint              status,
            JsonBuilder       *builder)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  char *text;

  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, NULL);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, strlen (text));
}

static void
reply_simple (SoupServerMessage *msg,
              guint              status,
              const char        *error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "ok");
  json_builder_add_boolean_value (b, error == NULL);
  if (error != NULL)
    {
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, error);
    }
  json_builder_end_object (b);
  reply_json (msg, status, b);
}

/* {"id": "..."}: the id of what a request made */
static void
reply_id (SoupServerMessage *msg,
          const char        *id)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  json_builder_end_object (b);
  reply_json (msg, 200, b);
}

static JsonObject *
parse_body (SoupServerMessage *msg,
            JsonParser        *parser)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  JsonNode *root;

  if (g_bytes_get_size (bytes) == 0)
    return NULL;
  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL))
    return NULL;
  root = json_parser_get_root (parser);
  return JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
}

static void
write_state (BkSimCluster      *self,
             SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "nodes");
  json_builder_begin_array (b);
  for (guint i = 0; i < self->n_nodes; i++)
    {
      BkSimNode *node = g_ptr_array_index (self->nodes, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "index");
      json_builder_add_int_value (b, i);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, node->name);
      json_builder_set_member_name (b, "url");
      json_builder_add_string_value (b, node->url);
      json_builder_set_member_name (b, "up");
      json_builder_add_boolean_value (b, node->up);
      json_builder_set_member_name (b, "username");
      json_builder_add_string_value (b, bk_sim_node_get_username (node));
      json_builder_set_member_name (b, "certificateSha256");
      if (bk_sim_cluster_get_node_certificate_sha256 (self, i) != NULL)
        json_builder_add_string_value (b, bk_sim_cluster_get_node_certificate_sha256 (self, i));
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "calls");
      json_builder_add_int_value (b, bk_sim_cluster_get_n_calls (self, (int) i));
      json_builder_set_member_name (b, "callLegs");
      json_builder_add_int_value (b, bk_sim_cluster_get_n_call_legs (self, (int) i));
      json_builder_set_member_name (b, "requests");
      json_builder_add_int_value (b, bk_sim_cluster_get_request_count (self, (int) i, NULL, NULL));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "coSpaces");
  json_builder_add_int_value (b, bk_sim_cluster_get_n_cospaces (self));
  json_builder_set_member_name (b, "pageCap");
  json_builder_add_int_value (b, self->page_cap);
  json_builder_set_member_name (b, "faults");
  json_builder_add_int_value (b, self->faults->len);
  json_builder_end_object (b);
  reply_json (msg, 200, b);
}

static void
control_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  BkSimCluster *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *body = NULL;
  gboolean post = g_str_equal (method, "POST");
  gboolean del = g_str_equal (method, "DELETE");
  gboolean get = g_str_equal (method, "GET");

  if (post)
    body = parse_body (msg, parser);

  if (get && g_str_equal (path, "/state"))
    write_state (self, msg);
  else if (post && g_str_has_prefix (path, "/nodes/"))
    {
      guint64 index;
      g_auto(GStrv) parts = g_strsplit (path + strlen ("/nodes/"), "/", -1);

      if (g_strv_length (parts) != 2 ||
          !g_ascii_string_to_unsigned (parts[0], 10, 0, self->n_nodes - 1, &index, NULL) ||
          (!g_str_equal (parts[1], "up") && !g_str_equal (parts[1], "down") &&
           !g_str_equal (parts[1], "credentials") && !g_str_equal (parts[1], "certificate")))
        {
          reply_simple (msg, 400, "expected /nodes/<index>/ and up, down, credentials or certificate");
          return;
        }
      if (g_str_equal (parts[1], "credentials"))
        {
          const char *user = body ? json_object_get_string_member_with_default (body, "username", NULL) : NULL;
          const char *password = body ? json_object_get_string_member_with_default (body, "password", NULL) : NULL;

          if (user != NULL && password == NULL)
            {
              reply_simple (msg, 400, "a \"username\" needs a \"password\"");
              return;
            }
          bk_sim_cluster_set_node_credentials (self, (guint) index, user, password);
          reply_simple (msg, 200, NULL);
        }
      else if (g_str_equal (parts[1], "certificate"))
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(JsonBuilder) b = json_builder_new ();

          if (!self->tls)
            {
              reply_simple (msg, 400, "the simulator serves plain HTTP");
              return;
            }
          if (!bk_sim_cluster_replace_node_certificate (self, (guint) index, &error))
            {
              reply_simple (msg, 500, error->message);
              return;
            }
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "certificateSha256");
          json_builder_add_string_value (b, bk_sim_cluster_get_node_certificate_sha256 (self, (guint) index));
          json_builder_end_object (b);
          reply_json (msg, 200, b);
        }
      else
        {
          bk_sim_cluster_set_node_up (self, (guint) index, g_str_equal (parts[1], "up"));
          reply_simple (msg, 200, NULL);
        }
    }
  else if (post && g_str_equal (path, "/faults"))
    {
      BkSimFault kind;
      const char *kind_s = body ? json_object_get_string_member_with_default (body, "kind", NULL) : NULL;

      if (kind_s == NULL || !bk_sim_fault_from_string (kind_s, &kind))
        {
          reply_simple (msg, 400, "unknown or missing \"kind\"");
          return;
        }
      bk_sim_cluster_add_fault (self,
                                json_object_get_string_member_with_default (body, "method", NULL),
                                json_object_get_string_member_with_default (body, "path", NULL),
                                kind,
                                json_object_get_double_member_with_default (body, "probability", 1.0),
                                (int) json_object_get_int_member_with_default (body, "count", -1));
      reply_simple (msg, 200, NULL);
    }
  else if (del && g_str_equal (path, "/faults"))
    {
      bk_sim_cluster_clear_faults (self);
      reply_simple (msg, 200, NULL);
    }
  else if (post && g_str_equal (path, "/latency"))
    {
      if (body == NULL)
        {
          reply_simple (msg, 400, "expected a JSON object");
          return;
        }
      bk_sim_cluster_set_latency (self,
                                  (guint) json_object_get_int_member_with_default (body, "ms", 0),
                                  (guint) json_object_get_int_member_with_default (body, "jitter", 0));
      reply_simple (msg, 200, NULL);
    }
  else if (post && g_str_equal (path, "/alarms"))
    {
      const char *type = body ? json_object_get_string_member_with_default (body, "type", NULL) : NULL;
      g_autofree char *id = NULL;

      if (type == NULL)
        {
          reply_simple (msg, 400, "missing \"type\"");
          return;
        }
      id = bk_sim_cluster_add_alarm (self, type);
      reply_id (msg, id);
    }
  else if (del && g_str_equal (path, "/alarms"))
    {
      bk_sim_cluster_clear_alarms (self);
      reply_simple (msg, 200, NULL);
    }
  else if (get && g_str_equal (path, "/counters"))
    {
      const char *node_s = query ? g_hash_table_lookup (query, "node") : NULL;
      g_autoptr(JsonBuilder) b = json_builder_new ();
      int node = node_s ? (int) g_ascii_strtoll (node_s, NULL, 10) : -1;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "count");
      json_builder_add_int_value (b, bk_sim_cluster_get_request_count (self, node,
                                                                       query ? g_hash_table_lookup (query, "method") : NULL,
                                                                       query ? g_hash_table_lookup (query, "path") : NULL));
      json_builder_end_object (b);
      reply_json (msg, 200, b);
    }
  else if (del && g_str_equal (path, "/counters"))
    {
      bk_sim_cluster_reset_counters (self);
      reply_simple (msg, 200, NULL);
    }
  else if (get && g_str_equal (path, "/trace"))
    {
      char *trace = bk_sim_cluster_dup_trace (self);

      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_TAKE,
                                        trace, strlen (trace));
    }
  else if (del && g_str_equal (path, "/trace"))
    {
      bk_sim_cluster_clear_trace (self);
      reply_simple (msg, 200, NULL);
    }
  else if (post && g_str_equal (path, "/settings"))
    {
      if (body == NULL)
        {
          reply_simple (msg, 400, "expected a JSON object");
          return;
        }
      if (json_object_has_member (body, "pageCap"))
        bk_sim_cluster_set_page_cap (self, (guint) json_object_get_int_member (body, "pageCap"));
      if (json_object_has_member (body, "bulkSyncDelay"))
        bk_sim_cluster_set_bulk_sync_delay (self, (guint) json_object_get_int_member (body, "bulkSyncDelay"));
      if (json_object_has_member (body, "callLegConnectDelay"))
        bk_sim_cluster_set_call_leg_connect_delay (self, (guint) json_object_get_int_member (body, "callLegConnectDelay"));
      if (json_object_has_member (body, "bulkSyncRate"))
        bk_sim_cluster_set_bulk_sync_rate (self, (guint) json_object_get_int_member (body, "bulkSyncRate"));
      if (json_object_has_member (body, "unansweredPattern"))
        bk_sim_cluster_set_unanswered_pattern (self, json_object_get_string_member_with_default (body, "unansweredPattern", NULL));
      if (json_object_has_member (body, "failingPattern"))
        bk_sim_cluster_set_failing_pattern (self, json_object_get_string_member_with_default (body, "failingPattern", NULL));
      reply_simple (msg, 200, NULL);
    }
  else if (post && g_str_equal (path, "/cospaces"))
    {
      g_autofree char *id = NULL;

      if (body == NULL)
        {
          reply_simple (msg, 400, "expected a JSON object");
          return;
        }
      id = bk_sim_cluster_add_cospace (self,
                                       json_object_get_string_member_with_default (body, "name", NULL),
                                       json_object_get_string_member_with_default (body, "uri", NULL),
                                       json_object_get_string_member_with_default (body, "callId", NULL));
      if (id == NULL)
        {
          reply_simple (msg, 400, "duplicate or invalid coSpace");
          return;
        }
      reply_id (msg, id);
    }
  else if (post && g_str_equal (path, "/reset"))
    {
      bk_sim_cluster_reset (self);
      reply_simple (msg, 200, NULL);
    }
  else
    reply_simple (msg, 404, "unknown control request");
}

gboolean
bk_sim_cluster_start_control (BkSimCluster  *self,
                              guint          port,
                              GError       **error)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);

  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), FALSE);
  g_return_val_if_fail (self->control == NULL, FALSE);

  server = soup_server_new ("server-header", "", NULL);
  soup_server_add_handler (server, NULL, control_cb, self, NULL);
  if (!soup_server_listen (server, address, 0, error))
    return FALSE;
  g_free (self->control_url);
  self->control_url = g_strdup_printf ("http://127.0.0.1:%u", bk_sim_server_get_port (server));
  self->control = g_steal_pointer (&server);
  return TRUE;
}

const char *
bk_sim_cluster_get_control_url (BkSimCluster *self)
{
  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), NULL);
  return self->control_url;
}

void
bk_sim_control_stop (BkSimCluster *self)
{
  if (self->control != NULL)
    soup_server_disconnect (self->control);
  g_clear_object (&self->control);
  g_clear_pointer (&self->control_url, g_free);
}
