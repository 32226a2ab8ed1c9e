/* bk-sim-cluster.c: BkSimCluster, a simulated CMS cluster of N call bridges
 * on loopback ports sharing one configuration database
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkSimCluster"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gio/gnetworking.h>
#include <json-glib/json-glib.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "bk-sim-private.h"

G_DEFINE_FINAL_TYPE (BkSimCluster, bk_sim_cluster, G_TYPE_OBJECT)

/* ---- helpers ---- */

char *
bk_sim_cluster_new_uuid (BkSimCluster *self)
{
  guint8 b[16];

  for (guint i = 0; i < 16; i += 4)
    {
      guint32 r = g_rand_int (self->id_rand);

      memcpy (b + i, &r, 4);
    }
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

char *
bk_sim_cluster_new_secret (BkSimCluster *self)
{
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  char s[23];

  for (guint i = 0; i < 22; i++)
    s[i] = alphabet[g_rand_int_range (self->id_rand, 0, sizeof alphabet - 1)];
  s[22] = '\0';
  return g_strdup (s);
}

BkSimNode *
bk_sim_cluster_get_node (BkSimCluster *self,
                         guint         index)
{
  g_assert (index < self->n_nodes);
  return g_ptr_array_index (self->nodes, index);
}

void
bk_sim_node_cdr_event (BkSimNode *node)
{
  node->cdr_index++;
}

static void
node_update_url (BkSimNode *node)
{
  g_free (node->url);
  node->url = g_strdup_printf ("%s://127.0.0.1:%u", node->cluster->tls ? "https" : "http", node->port);
}

static void node_down (BkSimNode *node);
static void cert_clear (BkSimCert *cert);

static void
node_free (BkSimNode *node)
{
  node_down (node);
  cert_clear (&node->cert);
  g_free (node->username);
  g_free (node->password);
  g_free (node->name);
  g_free (node->id);
  g_free (node->url);
  bk_sim_collection_free (node->calls);
  bk_sim_collection_free (node->legs);
  g_hash_table_unref (node->counters);
  g_ptr_array_unref (node->pending);
  g_free (node);
}

static void
assign_ids (BkSimCluster *self)
{
  g_free (self->cluster_id);
  self->cluster_id = bk_sim_cluster_new_uuid (self);
  for (guint i = 0; i < self->n_nodes; i++)
    {
      BkSimNode *node = g_ptr_array_index (self->nodes, i);

      g_free (node->id);
      node->id = bk_sim_cluster_new_uuid (self);
    }
}

/* ---- TLS ---- */

static gboolean
generate_certificate (const char  *cert_path,
                      const char  *key_path,
                      GError     **error)
{
  const char *argv[] = {
    "openssl", "req", "-x509", "-newkey", "ec",
    "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "3650",
    "-subj", "/CN=127.0.0.1",
    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
    "-keyout", key_path, "-out", cert_path, NULL,
  };
  int status = 0;

  if (!g_spawn_sync (NULL, (char **) argv, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, NULL, NULL, &status, error))
    return FALSE;
  if (!g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, _("Could not generate a self-signed certificate with openssl: "));
      return FALSE;
    }
  g_chmod (key_path, 0600);
  return TRUE;
}

static void
cert_clear (BkSimCert *cert)
{
  g_clear_object (&cert->tls);
  g_clear_pointer (&cert->sha256, g_free);
  g_clear_pointer (&cert->pem, g_free);
  g_clear_pointer (&cert->file, g_free);
  g_clear_pointer (&cert->key_file, g_free);
}

/* Loads @cert_path/@key_path into @cert (its file names are kept as they
 * were). */
static gboolean
cert_load (BkSimCert   *cert,
           const char  *cert_path,
           const char  *key_path,
           GError     **error)
{
  g_autoptr(GTlsCertificate) tls = NULL;
  g_autoptr(GByteArray) der = NULL;
  char *pem = NULL;

  tls = g_tls_certificate_new_from_files (cert_path, key_path, error);
  if (tls == NULL)
    return FALSE;
  g_object_get (tls, "certificate", &der, "certificate-pem", &pem, NULL);
  g_free (cert->sha256);
  cert->sha256 = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  g_free (cert->pem);
  cert->pem = pem;
  g_set_object (&cert->tls, tls);
  return TRUE;
}

/* A new self-signed certificate in @cert, not cached. */
static gboolean
cert_generate (BkSimCert  *cert,
               GError    **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  gboolean ok;

  dir = g_dir_make_tmp ("bk-sim-cert-XXXXXX", error);
  if (dir == NULL)
    return FALSE;
  cert_path = g_build_filename (dir, "cert.pem", NULL);
  key_path = g_build_filename (dir, "key.pem", NULL);
  ok = generate_certificate (cert_path, key_path, error) &&
       cert_load (cert, cert_path, key_path, error);
  g_unlink (cert_path);
  g_unlink (key_path);
  g_rmdir (dir);
  return ok;
}

/* The self-signed certificate cached under @name in the user's cache
 * directory, generated on first use like a CMS keeps its certificate. */
static gboolean
cert_load_cached (BkSimCert   *cert,
                  const char  *name,
                  GError     **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *pem_path = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *cert_text = NULL;
  g_autofree char *key_text = NULL;
  g_autofree char *both = NULL;
  gboolean ok;

  dir = g_build_filename (g_get_user_cache_dir (), "bridgekeeper-cms-sim", NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  pem_path = g_build_filename (dir, name, NULL);
  if (g_file_test (pem_path, G_FILE_TEST_EXISTS) && cert_load (cert, pem_path, pem_path, NULL))
    return TRUE;

  /* Generate aside, then rename one file into place: simulators starting
   * at the same time never read half a certificate or a foreign key. */
  tmp = g_dir_make_tmp ("bk-sim-cert-XXXXXX", error);
  if (tmp == NULL)
    return FALSE;
  cert_path = g_build_filename (tmp, "cert.pem", NULL);
  key_path = g_build_filename (tmp, "key.pem", NULL);
  ok = generate_certificate (cert_path, key_path, error) &&
       g_file_get_contents (cert_path, &cert_text, NULL, error) &&
       g_file_get_contents (key_path, &key_text, NULL, error);
  g_unlink (cert_path);
  g_unlink (key_path);
  g_rmdir (tmp);
  if (!ok)
    return FALSE;
  both = g_strconcat (cert_text, key_text, NULL);
  if (!g_file_set_contents_full (pem_path, both, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return FALSE;
  return cert_load (cert, pem_path, pem_path, error);
}

/* The cluster's certificate, and each node's own when it has one: from
 * the files given, else cached (node i > 0 of a cluster with per-node
 * certificates under a name of its own). */
static gboolean
ensure_certificates (BkSimCluster  *self,
                     GError       **error)
{
  if (self->cert.tls == NULL)
    {
      if (self->cert.file != NULL)
        {
          if (!cert_load (&self->cert, self->cert.file, self->cert.key_file, error))
            return FALSE;
        }
      else if (!cert_load_cached (&self->cert, "certificate-and-key.pem", error))
        return FALSE;
    }
  for (guint i = 0; i < self->n_nodes; i++)
    {
      BkSimNode *node = g_ptr_array_index (self->nodes, i);

      if (node->cert.tls != NULL)
        continue;
      if (node->cert.file != NULL)
        {
          if (!cert_load (&node->cert, node->cert.file, node->cert.key_file, error))
            return FALSE;
        }
      else if (self->per_node_certs && i > 0)
        {
          g_autofree char *name = g_strdup_printf ("certificate-and-key-node%u.pem", i + 1);

          if (!cert_load_cached (&node->cert, name, error))
            return FALSE;
        }
    }
  return TRUE;
}

BkSimCert *
bk_sim_node_get_cert (BkSimNode *node)
{
  return node->cert.tls != NULL ? &node->cert : &node->cluster->cert;
}

const char *
bk_sim_node_get_username (BkSimNode *node)
{
  return node->username ? node->username : node->cluster->username;
}

const char *
bk_sim_node_get_password (BkSimNode *node)
{
  return node->username ? node->password : node->cluster->password;
}

/* ---- nodes ---- */

guint
bk_sim_server_get_port (SoupServer *server)
{
  GSList *listeners = soup_server_get_listeners (server);
  guint port = 0;

  /* Not soup_server_get_uris(): libsoup 3.2 leaks an address there. */
  if (listeners != NULL)
    {
      g_autoptr(GSocketAddress) address = g_socket_get_local_address (listeners->data, NULL);

      if (G_IS_INET_SOCKET_ADDRESS (address))
        port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
    }
  g_slist_free (listeners);
  return port;
}

/* The nodes accept connections and shake TLS hands themselves, then hand
 * the connection to their SoupServer. A client in the same process (the
 * tests, `bridgekeeper --demo`) verifies the certificate on its main thread
 * while glib-networking's handshake thread waits for it; SoupServer's own
 * TLS would close a half-shaken connection synchronously when a node goes
 * down, blocking that main thread for good. A handshake of ours is
 * cancelled instead, and only finished connections reach the server. */
typedef struct
{
  BkSimNode    *node;        /* valid while @accepting is not cancelled */
  GCancellable *accepting;
  GIOStream    *base;
} Handshake;

static void
handshake_free (Handshake *hs)
{
  g_object_unref (hs->accepting);
  g_object_unref (hs->base);
  g_free (hs);
}

static void
node_serve (BkSimNode *node,
            GIOStream *stream,
            GIOStream *base)
{
  GSocket *socket = g_socket_connection_get_socket (G_SOCKET_CONNECTION (base));
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_get_remote_address (socket, NULL);
  g_autoptr(GError) error = NULL;

  if (local == NULL || remote == NULL ||
      !soup_server_accept_iostream (node->server, stream, local, remote, &error))
    {
      g_debug ("%s: a connection was dropped before it was served: %s", node->name,
               error != NULL ? error->message : "no address");
      return;
    }
  /* Kept to cut when the node goes down; closed ones are forgotten. */
  for (guint i = node->sockets->len; i > 0; i--)
    if (g_socket_is_closed (g_ptr_array_index (node->sockets, i - 1)))
      g_ptr_array_remove_index_fast (node->sockets, i - 1);
  g_ptr_array_add (node->sockets, g_object_ref (socket));
}

static void
handshake_done_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Handshake *hs = user_data;
  g_autoptr(GError) error = NULL;

  if (g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error) &&
      !g_cancellable_is_cancelled (hs->accepting))
    node_serve (hs->node, G_IO_STREAM (source), hs->base);
  else if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("TLS handshake failed: %s", error->message);
  g_object_unref (source);
  handshake_free (hs);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  BkSimNode *node = user_data;
  g_autoptr(GError) error = NULL;
  GIOStream *tls;
  Handshake *hs;

  /* As SoupServer sets up the sockets it accepts itself. */
  g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP, TCP_NODELAY,
                       TRUE, NULL);
  if (!node->cluster->tls)
    {
      node_serve (node, G_IO_STREAM (connection), G_IO_STREAM (connection));
      return TRUE;
    }

  /* As SoupServer makes its own: no database (the nodes ask for no client
   * certificate, and the default one costs a reading of the system's whole
   * trust store per connection); no close_notify needed (HTTP knows its
   * own message lengths). */
  tls = g_initable_new (g_tls_backend_get_server_connection_type (g_tls_backend_get_default ()),
                        NULL, &error,
                        "base-io-stream", connection,
                        "certificate", bk_sim_node_get_cert (node)->tls,
                        "database", NULL,
                        "require-close-notify", FALSE,
                        NULL);
  if (tls == NULL)
    {
      g_warning ("%s: no TLS for a new connection: %s", node->name, error->message);
      return TRUE;
    }
  hs = g_new0 (Handshake, 1);
  hs->node = node;
  hs->accepting = g_object_ref (node->accepting);
  hs->base = g_object_ref (G_IO_STREAM (connection));
  g_tls_connection_handshake_async (G_TLS_CONNECTION (tls), G_PRIORITY_DEFAULT, hs->accepting,
                                    handshake_done_cb, hs);
  return TRUE;
}

/* SoupServer keeps a connection alive after a reply only while it has a
 * listening socket of its own (a server that stopped listening closes its
 * connections). The nodes accept on their own sockets, so the server gets
 * one it never hears from: loopback, a port the system picks and no one is
 * told. Without it, every request of a client costs a new TLS handshake. */
static gboolean
server_keep_alive (SoupServer  *server,
                   GError     **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;
  g_socket_set_listen_backlog (socket, 1);
  return g_socket_bind (socket, any_port, TRUE, error) &&
         g_socket_listen (socket, error) &&
         soup_server_listen_socket (server, socket, 0, error);
}

static gboolean
node_listen (BkSimNode  *node,
             GError    **error)
{
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GSocketService) listener = g_socket_service_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, node->port);
  g_autoptr(GSocketAddress) effective = NULL;

  if (!g_socket_listener_add_address (G_SOCKET_LISTENER (listener), address, G_SOCKET_TYPE_STREAM,
                                      G_SOCKET_PROTOCOL_TCP, NULL, &effective, error))
    {
      g_prefix_error (error, _("Node %s could not listen: "), node->name);
      return FALSE;
    }
  server = soup_server_new ("server-header", "", NULL);
  soup_server_add_handler (server, NULL, bk_sim_api_handle, node, NULL);
  if (!server_keep_alive (server, error))
    {
      g_socket_listener_close (G_SOCKET_LISTENER (listener));
      g_prefix_error (error, _("Node %s could not listen: "), node->name);
      return FALSE;
    }
  node->accepting = g_cancellable_new ();
  node->sockets = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (listener, "incoming", G_CALLBACK (incoming_cb), node);
  g_socket_service_start (listener);

  node->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  node->server = g_steal_pointer (&server);
  node->listener = g_steal_pointer (&listener);
  node->up = TRUE;
  node_update_url (node);
  return TRUE;
}

static void
node_down (BkSimNode *node)
{
  /* No new connections (the port refuses), no handshake finishes. */
  if (node->listener != NULL)
    {
      g_signal_handlers_disconnect_by_data (node->listener, node);
      g_socket_service_stop (node->listener);
      g_socket_listener_close (G_SOCKET_LISTENER (node->listener));
      g_clear_object (&node->listener);
    }
  if (node->accepting != NULL)
    g_cancellable_cancel (node->accepting);
  g_clear_object (&node->accepting);
  bk_sim_api_drop_pending (node);
  /* Every connection ends now, kept-alive or busy, as when the machine
   * goes away: the peers read the end of the stream. */
  if (node->sockets != NULL)
    for (guint i = 0; i < node->sockets->len; i++)
      {
        GSocket *socket = g_ptr_array_index (node->sockets, i);

        if (!g_socket_is_closed (socket))
          g_socket_shutdown (socket, TRUE, TRUE, NULL);
      }
  g_clear_pointer (&node->sockets, g_ptr_array_unref);
  if (node->server != NULL)
    soup_server_disconnect (node->server);
  g_clear_object (&node->server);
  node->up = FALSE;
}

/* ---- GObject ---- */

static void
bk_sim_cluster_finalize (GObject *object)
{
  BkSimCluster *self = (BkSimCluster *) object;

  bk_sim_cluster_stop (self);
  if (self->hook_destroy != NULL)
    self->hook_destroy (self->hook_data);
  g_ptr_array_unref (self->nodes);
  bk_sim_db_finalize (&self->db);
  g_ptr_array_unref (self->faults);
  g_string_free (self->trace, TRUE);
  g_clear_object (&self->trace_out);
  cert_clear (&self->cert);
  g_free (self->username);
  g_free (self->password);
  g_free (self->unanswered_glob);
  g_clear_pointer (&self->unanswered, g_pattern_spec_free);
  g_free (self->failing_glob);
  g_clear_pointer (&self->failing, g_pattern_spec_free);
  g_rand_free (self->id_rand);
  g_rand_free (self->fault_rand);
  g_free (self->cluster_id);
  g_free (self->control_url);

  G_OBJECT_CLASS (bk_sim_cluster_parent_class)->finalize (object);
}

static void
bk_sim_cluster_class_init (BkSimClusterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bk_sim_cluster_finalize;
}

static void
bk_sim_cluster_init (BkSimCluster *self)
{
  self->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) node_free);
  self->tls = TRUE;
  self->username = g_strdup (BK_SIM_DEFAULT_USERNAME);
  self->password = g_strdup (BK_SIM_DEFAULT_PASSWORD);
  self->page_cap = BK_SIM_DEFAULT_PAGE_CAP;
  self->bulk_sync_delay = 500;
  self->bulk_sync_rate = BK_SIM_DEFAULT_BULK_SYNC_RATE;
  self->leg_delay = 300;
  self->seed = g_random_int ();
  self->id_rand = g_rand_new_with_seed (self->seed);
  self->fault_rand = g_rand_new_with_seed (self->seed ^ 0x5eed5eedu);
  self->faults = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_sim_fault_rule_free);
  self->trace = g_string_new (NULL);
  self->start_us = g_get_monotonic_time ();
  bk_sim_db_init (&self->db);
}

/* ---- public API ---- */

BkSimCluster *
bk_sim_cluster_new (guint n_nodes)
{
  BkSimCluster *self;

  g_return_val_if_fail (n_nodes >= 1, NULL);

  self = g_object_new (BK_TYPE_SIM_CLUSTER, NULL);
  self->n_nodes = n_nodes;
  for (guint i = 0; i < n_nodes; i++)
    {
      BkSimNode *node = g_new0 (BkSimNode, 1);

      node->cluster = self;
      node->index = i;
      node->name = g_strdup_printf ("CallBridge-Core%u", i + 1);
      node->calls = bk_sim_collection_new ();
      node->legs = bk_sim_collection_new ();
      node->counters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      node->pending = g_ptr_array_new ();
      g_ptr_array_add (self->nodes, node);
    }
  assign_ids (self);
  return self;
}

void
bk_sim_cluster_set_tls (BkSimCluster *self,
                        gboolean      tls)
{
  g_return_if_fail (BK_IS_SIM_CLUSTER (self));
  g_return_if_fail (!self->running);

  self->tls = !!tls;
}

gboolean
bk_sim_cluster_set_certificate_files (BkSimCluster  *self,
                                      const char    *cert_file,
                                      const char    *key_file,
                                      GError       **error)
{
  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), FALSE);
  g_return_val_if_fail (cert_file != NULL, FALSE);

  cert_clear (&self->cert);
  self->cert.file = g_strdup (cert_file);
  self->cert.key_file = g_strdup (key_file ? key_file : cert_file);
  return cert_load (&self->cert, self->cert.file, self->cert.key_file, error);
}

void
bk_sim_cluster_set_credentials (BkSimCluster *self,
                                const char   *username,
                                const char   *password)
{
  g_return_if_fail (BK_IS_SIM_CLUSTER (self));
  g_return_if_fail (username != NULL && password != NULL);

  g_free (self->username);
  g_free (self->password);
  self->username = g_strdup (username);
  self->password = g_strdup (password);
}

const char *
bk_sim_cluster_get_username (BkSimCluster *self)
{
  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), NULL);
  return self->username;
}

const char *
bk_sim_cluster_get_password (BkSimCluster *self)
{
  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), NULL);
  return self->password;
}

void
bk_sim_cluster_set_base_port (BkSimCluster *self,
                              guint         base_port)
{
  g_return_if_fail (BK_IS_SIM_CLUSTER (self));
  g_return_if_fail (!self->running);

  self->base_port = base_port;
}

void
bk_sim_cluster_set_page_cap (BkSimCluster *self,
                             guint         cap)
{
  g_return_if_fail (BK_IS_SIM_CLUSTER (self));
  self->page_cap = cap;
}

void
bk_sim_cluster_set_bulk_sync_delay (BkSimCluster *self,
                                    guint         ms)
{
  g_return_if_fail (BK_IS_SIM_CLUSTER (self));
  self->bulk_sync_delay = ms;
}

void
bk_sim_cluster_set_call_leg_connect_delay (BkSimCluster *self,
                                           guint         ms)
{
  g_return_if_fail (BK_IS_SIM_CLUSTER (self));
  self->leg_delay = ms;
}

void
bk_sim_cluster_set_unanswered_pattern (BkSimCluster *self,
                                       const char   *glob)
{
  g_return_if_fail (BK_IS_SIM_CLUSTER (self));

  g_clear_pointer (&self->unanswered, g_pattern_spec_free);
  g_free (self->unanswered_glob);
  self->unanswered_glob = g_strdup (glob);
  if (glob != NULL && *glob != '\0')
    self->unanswered = g_pattern_spec_new (glob);
}

void
bk_sim_cluster_set_failing_pattern (BkSimCluster *self,
                                    const char   *glob)
{
  g_return_if_fail (BK_IS_SIM_CLUSTER (self));

  g_clear_pointer (&self->failing, g_pattern_spec_free);
  g_free (self->failing_glob);
  self->failing_glob = g_strdup (glob);
  if (glob != NULL && *glob != '\0')
    self->failing = g_pattern_spec_new (glob);
}

void
bk_sim_cluster_set_bulk_sync_rate (BkSimCluster *self,
                                   guint         per_second)
{
  g_return_if_fail (BK_IS_SIM_CLUSTER (self));
  self->bulk_sync_rate = per_second;
}

void
bk_sim_cluster_set_seed (BkSimCluster *self,
                         guint32       seed)
{
  g_return_if_fail (BK_IS_SIM_CLUSTER (self));

  self->seed = seed;
  g_rand_set_seed (self->id_rand, seed);
  g_rand_set_seed (self->fault_rand, seed ^ 0x5eed5eedu);
  assign_ids (self);
}

gboolean
bk_sim_cluster_start (BkSimCluster  *self,
                      GError       **error)
{
  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), FALSE);
  g_return_val_if_fail (!self->running, FALSE);

  if (self->tls && !ensure_certificates (self, error))
    return FALSE;

  for (guint i = 0; i < self->n_nodes; i++)
    {
      BkSimNode *node = g_ptr_array_index (self->nodes, i);

      if (node->port == 0 && self->base_port != 0)
        node->port = self->base_port + i;
      if (!node_listen (node, error))
        {
          for (guint j = 0; j < i; j++)
            node_down (g_ptr_array_index (self->nodes, j));
          return FALSE;
        }
    }
  self->running = TRUE;
  self->start_us = g_get_monotonic_time ();
  g_debug ("Started %u node(s), first at %s", self->n_nodes,
           ((BkSimNode *) g_ptr_array_index (self->nodes, 0))->url);
  return TRUE;
}

void
bk_sim_cluster_stop (BkSimCluster *self)
{
  g_return_if_fail (BK_IS_SIM_CLUSTER (self));

  for (guint i = 0; i < self->n_nodes; i++)
    node_down (g_ptr_array_index (self->nodes, i));
  bk_sim_control_stop (self);
  self->running = FALSE;
}

gboolean
bk_sim_cluster_is_running (BkSimCluster *self)
{
  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), FALSE);
  return self->running;
}

BkSimCluster *
bk_sim_cluster_new_demo (GError **error)
{
  g_autoptr(BkSimCluster) self = bk_sim_cluster_new (2);

  /* As a real cluster: every node has its own certificate, and the second
   * its own API user. */
  bk_sim_cluster_set_per_node_certificates (self, TRUE);
  bk_sim_cluster_set_node_credentials (self, 1, BK_SIM_DEMO_NODE2_USERNAME, BK_SIM_DEMO_NODE2_PASSWORD);
  bk_sim_cluster_populate_demo (self);
  if (!bk_sim_cluster_start (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

guint
bk_sim_cluster_get_n_nodes (BkSimCluster *self)
{
  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), 0);
  return self->n_nodes;
}

const char *
bk_sim_cluster_get_node_url (BkSimCluster *self,
                             guint         node)
{
  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), NULL);
  g_return_val_if_fail (node < self->n_nodes, NULL);
  return bk_sim_cluster_get_node (self, node)->url;
}

guint
bk_sim_cluster_get_node_port (BkSimCluster *self,
                              guint         node)
{
  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), 0);
  g_return_val_if_fail (node < self->n_nodes, 0);
  return bk_sim_cluster_get_node (self, node)->port;
}

const char *
bk_sim_cluster_get_node_name (BkSimCluster *self,
                              guint         node)
{
  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), NULL);
  g_return_val_if_fail (node < self->n_nodes, NULL);
  return bk_sim_cluster_get_node (self, node)->name;
}

const char *
bk_sim_cluster_get_node_id (BkSimCluster *self,
                            guint         node)
{
  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), NULL);
  g_return_val_if_fail (node < self->n_nodes, NULL);
  return bk_sim_cluster_get_node (self, node)->id;
}

void
bk_sim_cluster_set_node_up (BkSimCluster *self,
                            guint         node,
                            gboolean      up)
{
  BkSimNode *n;

  g_return_if_fail (BK_IS_SIM_CLUSTER (self));
  g_return_if_fail (node < self->n_nodes);
  g_return_if_fail (self->running);

  n = bk_sim_cluster_get_node (self, node);
  if (!up && n->up)
    {
      node_down (n);
    }
  else if (up && !n->up)
    {
      g_autoptr(GError) error = NULL;

      if (!node_listen (n, &error))
        g_warning ("Could not bring %s back up: %s", n->name, error->message);
    }
}

gboolean
bk_sim_cluster_get_node_up (BkSimCluster *self,
                            guint         node)
{
  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), FALSE);
  g_return_val_if_fail (node < self->n_nodes, FALSE);
  return bk_sim_cluster_get_node (self, node)->up;
}

const char *
bk_sim_cluster_get_certificate_sha256 (BkSimCluster *self)
{
  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), NULL);
  return bk_sim_cluster_get_node_certificate_sha256 (self, 0);
}

const char *
bk_sim_cluster_get_certificate_pem (BkSimCluster *self)
{
  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), NULL);
  return bk_sim_cluster_get_node_certificate_pem (self, 0);
}

const char *
bk_sim_cluster_get_node_certificate_sha256 (BkSimCluster *self,
                                            guint         node)
{
  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), NULL);
  g_return_val_if_fail (node < self->n_nodes, NULL);
  return self->tls ? bk_sim_node_get_cert (bk_sim_cluster_get_node (self, node))->sha256 : NULL;
}

const char *
bk_sim_cluster_get_node_certificate_pem (BkSimCluster *self,
                                         guint         node)
{
  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), NULL);
  g_return_val_if_fail (node < self->n_nodes, NULL);
  return self->tls ? bk_sim_node_get_cert (bk_sim_cluster_get_node (self, node))->pem : NULL;
}

void
bk_sim_cluster_set_per_node_certificates (BkSimCluster *self,
                                          gboolean      per_node)
{
  g_return_if_fail (BK_IS_SIM_CLUSTER (self));
  g_return_if_fail (!self->running);

  self->per_node_certs = !!per_node;
}

gboolean
bk_sim_cluster_set_node_certificate_files (BkSimCluster  *self,
                                           guint          node,
                                           const char    *cert_file,
                                           const char    *key_file,
                                           GError       **error)
{
  BkSimNode *n;

  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), FALSE);
  g_return_val_if_fail (node < self->n_nodes, FALSE);
  g_return_val_if_fail (cert_file != NULL, FALSE);
  g_return_val_if_fail (!self->running, FALSE);

  n = bk_sim_cluster_get_node (self, node);
  cert_clear (&n->cert);
  n->cert.file = g_strdup (cert_file);
  n->cert.key_file = g_strdup (key_file ? key_file : cert_file);
  if (cert_load (&n->cert, n->cert.file, n->cert.key_file, error))
    return TRUE;
  cert_clear (&n->cert);
  return FALSE;
}

/* Starts @node again on its port, with the certificate it now has. */
static gboolean
node_restart (BkSimNode  *node,
              GError    **error)
{
  if (!node->cluster->running || !node->up)
    return TRUE;
  node_down (node);
  return node_listen (node, error);
}

gboolean
bk_sim_cluster_replace_certificate (BkSimCluster  *self,
                                    GError       **error)
{
  BkSimCert fresh = { 0 };

  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), FALSE);

  if (!cert_generate (&fresh, error))
    {
      cert_clear (&fresh);
      return FALSE;
    }
  cert_clear (&self->cert);
  self->cert = fresh;

  /* Restart the listeners of the nodes that serve it, same ports. */
  for (guint i = 0; i < self->n_nodes; i++)
    {
      BkSimNode *node = g_ptr_array_index (self->nodes, i);

      if (node->cert.tls == NULL && !node_restart (node, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
bk_sim_cluster_replace_node_certificate (BkSimCluster  *self,
                                         guint          node,
                                         GError       **error)
{
  BkSimCert fresh = { 0 };
  BkSimNode *n;

  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), FALSE);
  g_return_val_if_fail (node < self->n_nodes, FALSE);

  if (!cert_generate (&fresh, error))
    {
      cert_clear (&fresh);
      return FALSE;
    }
  n = bk_sim_cluster_get_node (self, node);
  cert_clear (&n->cert);
  n->cert = fresh;
  return node_restart (n, error);
}

void
bk_sim_cluster_set_node_credentials (BkSimCluster *self,
                                     guint         node,
                                     const char   *username,
                                     const char   *password)
{
  BkSimNode *n;

  g_return_if_fail (BK_IS_SIM_CLUSTER (self));
  g_return_if_fail (node < self->n_nodes);
  g_return_if_fail (username == NULL || password != NULL);

  n = bk_sim_cluster_get_node (self, node);
  g_free (n->username);
  g_free (n->password);
  n->username = g_strdup (username);
  n->password = g_strdup (username ? password : NULL);
}

const char *
bk_sim_cluster_get_node_username (BkSimCluster *self,
                                  guint         node)
{
  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), NULL);
  g_return_val_if_fail (node < self->n_nodes, NULL);
  return bk_sim_node_get_username (bk_sim_cluster_get_node (self, node));
}

const char *
bk_sim_cluster_get_node_password (BkSimCluster *self,
                                  guint         node)
{
  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), NULL);
  g_return_val_if_fail (node < self->n_nodes, NULL);
  return bk_sim_node_get_password (bk_sim_cluster_get_node (self, node));
}

void
bk_sim_cluster_populate_demo (BkSimCluster *self)
{
  static const struct { const char *name, *uri, *call_id, *passcode; } spaces[] = {
    { "Cool Bridge Space", "cool.bridge.space", "497540167", NULL },
    { "Engineering Weekly", "engineering.weekly", "497540168", NULL },
    { "Sales Huddle", "sales.huddle", "497540169", "2468" },
    { "Board Room", "board.room", "497540170", "1357" },
  };
  BkSimObject *obj;
  g_autofree char *alarm = NULL;

  g_return_if_fail (BK_IS_SIM_CLUSTER (self));

  /* A bridge in service has been up for a while: 4d, 22:11:52 as in the
   * reference's TMS screen. */
  self->uptime_offset_s = 4 * 86400 + 22 * 3600 + 11 * 60 + 52;

  obj = bk_sim_collection_add (self->db.call_profiles, bk_sim_cluster_new_uuid (self));
  bk_sim_object_set (obj, "participantLimit", "1000");
  bk_sim_object_set (obj, "messageBoardEnabled", "false");
  obj = bk_sim_collection_add (self->db.call_leg_profiles, bk_sim_cluster_new_uuid (self));
  bk_sim_object_set (obj, "defaultLayout", "telepresence");
  bk_sim_object_set (obj, "changeLayoutAllowed", "true");
  bk_sim_object_set (obj, "muteSelfAllowed", "true");

  for (guint i = 0; i < G_N_ELEMENTS (spaces); i++)
    {
      g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);

      g_hash_table_insert (params, "name", (gpointer) spaces[i].name);
      g_hash_table_insert (params, "uri", (gpointer) spaces[i].uri);
      g_hash_table_insert (params, "callId", (gpointer) spaces[i].call_id);
      if (spaces[i].passcode != NULL)
        g_hash_table_insert (params, "passcode", (gpointer) spaces[i].passcode);
      bk_sim_model_create_cospace (self, params, NULL, NULL);
    }
  alarm = bk_sim_cluster_add_alarm (self, "cdrConnectionFailure");
}

char *
bk_sim_cluster_add_cospace (BkSimCluster *self,
                            const char   *name,
                            const char   *uri,
                            const char   *call_id)
{
  g_autoptr(GHashTable) params = g_hash_table_new (g_str_hash, g_str_equal);
  BkSimObject *space;

  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), NULL);

  if (name != NULL)
    g_hash_table_insert (params, "name", (gpointer) name);
  if (uri != NULL)
    g_hash_table_insert (params, "uri", (gpointer) uri);
  if (call_id != NULL)
    g_hash_table_insert (params, "callId", (gpointer) call_id);
  space = bk_sim_model_create_cospace (self, params, NULL, NULL);
  return space ? g_strdup (space->id) : NULL;
}

gboolean
bk_sim_cluster_remove_cospace (BkSimCluster *self,
                               const char   *id)
{
  BkSimObject *space;

  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), FALSE);

  space = bk_sim_collection_lookup (self->db.cospaces, id);
  if (space == NULL)
    return FALSE;
  bk_sim_db_remove_cospace (&self->db, space);
  return TRUE;
}

guint
bk_sim_cluster_get_n_cospaces (BkSimCluster *self)
{
  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), 0);
  return bk_sim_collection_size (self->db.cospaces);
}

char *
bk_sim_cluster_dup_cospace_field (BkSimCluster *self,
                                  const char   *id,
                                  const char   *field)
{
  BkSimObject *space;

  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), NULL);

  space = bk_sim_collection_lookup (self->db.cospaces, id);
  return space ? g_strdup (bk_sim_object_get (space, field)) : NULL;
}

char *
bk_sim_cluster_add_alarm (BkSimCluster *self,
                          const char   *type)
{
  BkSimObject *alarm;

  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), NULL);
  g_return_val_if_fail (type != NULL, NULL);

  alarm = bk_sim_collection_add (self->db.alarms, bk_sim_cluster_new_uuid (self));
  bk_sim_object_set (alarm, "type", type);
  return g_strdup (alarm->id);
}

void
bk_sim_cluster_clear_alarms (BkSimCluster *self)
{
  g_return_if_fail (BK_IS_SIM_CLUSTER (self));
  bk_sim_collection_clear (self->db.alarms);
}

guint
bk_sim_cluster_get_n_calls (BkSimCluster *self,
                            int           node)
{
  guint n = 0;

  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), 0);

  for (guint i = 0; i < self->n_nodes; i++)
    if (node < 0 || (guint) node == i)
      n += bk_sim_collection_size (bk_sim_cluster_get_node (self, i)->calls);
  return n;
}

guint
bk_sim_cluster_get_n_call_legs (BkSimCluster *self,
                                int           node)
{
  guint n = 0;

  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), 0);

  for (guint i = 0; i < self->n_nodes; i++)
    if (node < 0 || (guint) node == i)
      n += bk_sim_collection_size (bk_sim_cluster_get_node (self, i)->legs);
  return n;
}

void
bk_sim_cluster_reset (BkSimCluster *self)
{
  g_return_if_fail (BK_IS_SIM_CLUSTER (self));

  bk_sim_db_clear (&self->db);
  for (guint i = 0; i < self->n_nodes; i++)
    {
      BkSimNode *node = g_ptr_array_index (self->nodes, i);

      bk_sim_collection_clear (node->legs);
      bk_sim_collection_clear (node->calls);
      node->legs_max_active = 0;
      node->legs_completed = 0;
      g_hash_table_remove_all (node->counters);
    }
  bk_sim_cluster_clear_faults (self);
  bk_sim_cluster_clear_trace (self);
}

void
bk_sim_cluster_set_request_hook (BkSimCluster     *self,
                                 BkSimRequestHook  hook,
                                 gpointer          user_data,
                                 GDestroyNotify    destroy)
{
  g_return_if_fail (BK_IS_SIM_CLUSTER (self));

  if (self->hook_destroy != NULL)
    self->hook_destroy (self->hook_data);
  self->hook = hook;
  self->hook_data = user_data;
  self->hook_destroy = destroy;
}

gboolean
bk_sim_cluster_write_ready_file (BkSimCluster  *self,
                                 const char    *path,
                                 GError       **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  const char *sha;

  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), FALSE);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "nodes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->n_nodes; i++)
    {
      BkSimNode *node = g_ptr_array_index (self->nodes, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, node->name);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, node->id);
      json_builder_set_member_name (builder, "url");
      json_builder_add_string_value (builder, node->url);
      json_builder_set_member_name (builder, "port");
      json_builder_add_int_value (builder, node->port);
      json_builder_set_member_name (builder, "certificateSha256");
      sha = bk_sim_cluster_get_node_certificate_sha256 (self, i);
      if (sha != NULL)
        json_builder_add_string_value (builder, sha);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "username");
      json_builder_add_string_value (builder, bk_sim_node_get_username (node));
      json_builder_set_member_name (builder, "password");
      json_builder_add_string_value (builder, bk_sim_node_get_password (node));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "certificateSha256");
  sha = bk_sim_cluster_get_certificate_sha256 (self);
  if (sha != NULL)
    json_builder_add_string_value (builder, sha);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, self->username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, self->password);
  json_builder_set_member_name (builder, "tls");
  json_builder_add_boolean_value (builder, self->tls);
  json_builder_set_member_name (builder, "controlUrl");
  if (self->control_url != NULL)
    json_builder_add_string_value (builder, self->control_url);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "pid");
  json_builder_add_int_value (builder, getpid ());
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}
