/* test-cms-client.c: the CMS client against the simulator over loopback HTTPS
 *
 * Every error code, retry rules (counted with the simulator's counters), TLS
 * trust and pinning, cancellation, create/update/delete and the request log.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bk-test-util.h"
#include "cms-test-util.h"

#define WAIT_MS 20000

typedef struct
{
  BkSimCluster *sim;
  BkCmsClient  *client;   /* pinned to the simulator's certificate, fast retries */
  char         *url;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->sim = cms_test_sim_start ();
  bk_sim_cluster_set_bulk_sync_delay (f->sim, 10);
  f->url = g_strdup (bk_sim_cluster_get_node_url (f->sim, 0));
  f->client = cms_test_client_new (f->sim);
  bk_cms_client_set_timeout (f->client, 10000);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->client);
  bk_sim_cluster_stop (f->sim);
  g_clear_object (&f->sim);
  g_free (f->url);
  bk_test_spin (10);
}

/* Running an async call to completion */

static BkCmsSystemStatus *
get_status (BkCmsClient  *client,
            GCancellable *cancellable,
            GError      **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  bk_cms_client_get_system_status_async (client, cancellable, cms_test_store_result_cb, &res);
  return bk_cms_client_get_system_status_finish (client, cms_test_wait_result (&res), error);
}

static char *
create (BkCmsClient        *client,
        const char         *path,
        const char * const *params,
        GError            **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  bk_cms_client_create_async (client, path, params, NULL, cms_test_store_result_cb, &res);
  return bk_cms_client_create_finish (client, cms_test_wait_result (&res), error);
}

static gboolean
delete_path (BkCmsClient *client,
             const char  *path,
             GError     **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  bk_cms_client_delete_async (client, path, NULL, cms_test_store_result_cb, &res);
  return bk_cms_client_delete_finish (client, cms_test_wait_result (&res), error);
}

static guint
count (Fixture    *f,
       const char *method,
       const char *prefix)
{
  return bk_sim_cluster_get_request_count (f->sim, -1, method, prefix);
}

/* Tests */

static void
test_status (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsSystemStatus) status = get_status (f->client, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (status->software_version);
  g_assert_cmpint (status->uptime_seconds, >=, 0);
  /* Pre-emptive Basic auth: exactly one round trip, never a 401 first. */
  g_assert_cmpuint (count (f, NULL, NULL), ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (bk_cms_client_get_log (f->client))), ==, 1);
}

static void
test_onboarding_calls (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res1 = NULL;
  g_autoptr(GAsyncResult) res2 = NULL;
  g_autoptr(GAsyncResult) res3 = NULL;
  g_autoptr(GPtrArray) bridges = NULL;
  g_autoptr(BkCmsCallBridge) bridge = NULL;
  g_autoptr(BkCmsClusterConfig) cluster = NULL;
  BkCmsCallBridge *first;

  bk_cms_client_list_call_bridges_async (f->client, NULL, cms_test_store_result_cb, &res1);
  bridges = bk_cms_client_list_call_bridges_finish (f->client, cms_test_wait_result (&res1), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bridges->len, ==, 1);
  first = g_ptr_array_index (bridges, 0);
  g_assert_cmpstr (first->id, ==, bk_sim_cluster_get_node_id (f->sim, 0));
  g_assert_cmpstr (first->name, ==, bk_sim_cluster_get_node_name (f->sim, 0));

  bk_cms_client_get_call_bridge_async (f->client, first->id, NULL, cms_test_store_result_cb, &res2);
  bridge = bk_cms_client_get_call_bridge_finish (f->client, cms_test_wait_result (&res2), &error);
  g_assert_no_error (error);
  g_assert_nonnull (bridge->address);

  bk_cms_client_get_cluster_config_async (f->client, NULL, cms_test_store_result_cb, &res3);
  cluster = bk_cms_client_get_cluster_config_finish (f->client, cms_test_wait_result (&res3), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cluster->unique_name, ==, bk_sim_cluster_get_node_name (f->sim, 0));
}

static void
test_unreachable (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsSystemStatus) status = NULL;

  bk_sim_cluster_set_node_up (f->sim, 0, FALSE);
  status = get_status (f->client, NULL, &error);
  g_assert_null (status);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, bk_cms_client_get_bridge (f->client)));
  g_assert_cmpstr (bk_cms_error_get_bridge (error), ==, bk_cms_client_get_bridge (f->client));
  g_assert_cmpstr (bk_cms_error_get_path (error), ==, "/api/v1/system/status");
}

/* A kept-alive connection whose idle time ran out while the main loop was
 * busy (a long layout, a slow machine) is reused, or closed, but never
 * closed under a request: libsoup 3.2's own idle timer, overdue, closed the
 * connection a request had just been written on, and that request never
 * finished, not even when cancelled. */
static void
test_idle_connection_reuse (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsSystemStatus) status = NULL;
  g_autoptr(BkCmsSystemStatus) again = NULL;

  status = get_status (f->client, NULL, &error);
  g_assert_no_error (error);
  /* The loop stalls past the client's idle limit (4 s). */
  g_usleep (4500 * G_TIME_SPAN_MILLISECOND);
  again = get_status (f->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsSystemStatus) status = NULL;

  bk_sim_cluster_add_fault (f->sim, "GET", "/api/v1/system/status", BK_SIM_FAULT_NO_ANSWER, 1.0, -1);
  bk_cms_client_set_timeout (f->client, 300);
  status = get_status (f->client, NULL, &error);
  g_assert_null (status);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_TIMEOUT);
  /* A timed-out GET is retried: three tries in all. (Counted in our log:
   * on a very slow machine a try may time out before it reaches the
   * simulator.) */
  {
    BkCmsLog *log = bk_cms_client_get_log (f->client);

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 3);
    for (guint i = 0; i < 3; i++)
      {
        g_autoptr(BkCmsLogEntry) entry = g_list_model_get_item (G_LIST_MODEL (log), i);

        g_assert_cmpstr (bk_cms_log_entry_get_failure (entry), ==, "timed out");
        g_assert_cmpuint (bk_cms_log_entry_get_attempt (entry), ==, i + 1);
        g_assert_cmpuint (bk_cms_log_entry_get_status (entry), ==, 0);
      }
  }
  g_assert_cmpuint (count (f, "GET", "/api/v1/system/status"), <=, 3);
}

static void
test_tls_trust_flow (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsClient) client = NULL;
  g_autoptr(BkCmsSystemStatus) status = NULL;
  g_autofree char *old_sha = g_strdup (bk_sim_cluster_get_certificate_sha256 (f->sim));

  /* First contact: untrusted, with the certificate and its fingerprint. */
  client = bk_cms_client_new (f->url, BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD, NULL);
  status = get_status (client, NULL, &error);
  g_assert_null (status);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_UNTRUSTED);
  g_assert_cmpstr (bk_cms_error_get_peer_sha256 (error), ==, old_sha);
  g_assert_true (G_IS_TLS_CERTIFICATE (bk_cms_error_get_peer_certificate (error)));
  g_assert_true (bk_cms_error_get_tls_flags (error) & G_TLS_CERTIFICATE_UNKNOWN_CA);
  g_assert_null (bk_cms_error_get_pinned_sha256 (error));
  /* No HTTP request got through. */
  g_assert_cmpuint (count (f, NULL, NULL), ==, 0);

  /* The extended data survives a copy (as through GTask or a signal). */
  {
    g_autoptr(GError) copy = g_error_copy (error);
    g_assert_cmpstr (bk_cms_error_get_peer_sha256 (copy), ==, old_sha);
  }

  /* The person accepts the fingerprint shown: pinned, it works. */
  {
    g_autofree char *accepted = g_strdup (bk_cms_error_get_peer_sha256 (error));
    g_clear_error (&error);
    bk_cms_client_set_pin (client, accepted);
  }
  status = get_status (client, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (status);
  g_clear_pointer (&status, bk_cms_system_status_free);

  /* A colon/uppercase form of the pin is accepted too. */
  {
    g_autofree char *pretty = bk_cms_format_fingerprint (old_sha);
    bk_cms_client_set_pin (client, pretty);
    g_assert_cmpstr (bk_cms_client_get_pin (client), ==, old_sha);
  }

  /* The bridge's certificate changes: refused, with both fingerprints. */
  g_assert_true (bk_sim_cluster_replace_certificate (f->sim, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (bk_sim_cluster_get_certificate_sha256 (f->sim), !=, old_sha);
  status = get_status (client, NULL, &error);
  g_assert_null (status);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_PIN_MISMATCH);
  g_assert_cmpstr (bk_cms_error_get_pinned_sha256 (error), ==, old_sha);
  g_assert_cmpstr (bk_cms_error_get_peer_sha256 (error), ==, bk_sim_cluster_get_certificate_sha256 (f->sim));
}

static gboolean
plain_http_incoming_cb (GSocketService    *service,
                        GSocketConnection *connection,
                        GObject           *source,
                        gpointer           user_data)
{
  const char reply[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  guint *n_connections = user_data;

  (*n_connections)++;
  g_output_stream_write_all (out, reply, sizeof reply - 1, NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static void
test_not_tls (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(BkCmsClient) client = NULL;
  g_autoptr(BkCmsSystemStatus) status = NULL;
  g_autofree char *url = NULL;
  guint n_connections = 0;

  /* https:// to a port that answers in plain HTTP */
  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error));
  g_signal_connect (service, "incoming", G_CALLBACK (plain_http_incoming_cb), &n_connections);
  url = g_strdup_printf ("https://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  client = bk_cms_client_new (url, BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD, NULL);
  bk_cms_client_set_retry_policy (client, 3, 5, 20);
  bk_cms_client_set_timeout (client, 5000);
  status = get_status (client, NULL, &error);
  g_assert_null (status);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_SERVER_ERROR);
  g_assert_nonnull (strstr (error->message, "HTTPS"));
  g_assert_cmpuint (n_connections, ==, 1);   /* a failed handshake is not retried */
  g_socket_service_stop (service);
}

/* A tiny plain-HTTP server (own thread) that answers every request with a
 * canned response, for statuses the simulator does not make. */
typedef struct
{
  const char *response;
  gint        n_requests;
  const char *first;       /* if set, the answer to the first request; "" = hang up */
} Canned;

static gboolean
canned_run_cb (GThreadedSocketService *service,
               GSocketConnection      *connection,
               GObject                *source,
               gpointer                user_data)
{
  Canned *canned = user_data;
  GInputStream *in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  GString *request = g_string_new (NULL);
  char c;

  /* Read the request head (the test requests have no body). */
  while (!g_str_has_suffix (request->str, "\r\n\r\n") &&
         g_input_stream_read (in, &c, 1, NULL, NULL) == 1)
    g_string_append_c (request, c);
  if (g_atomic_int_add (&canned->n_requests, 1) == 0 && canned->first != NULL)
    {
      if (*canned->first != '\0')
        g_output_stream_write_all (out, canned->first, strlen (canned->first), NULL, NULL, NULL);
    }
  else
    g_output_stream_write_all (out, canned->response, strlen (canned->response), NULL, NULL, NULL);
  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  g_string_free (request, TRUE);
  return TRUE;
}

static GSocketService *
canned_server_start (Canned  *canned,
                     char   **url)
{
  g_autoptr(GError) error = NULL;
  GSocketService *service = g_threaded_socket_service_new (4);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error));
  g_signal_connect (service, "run", G_CALLBACK (canned_run_cb), canned);
  *url = g_strdup_printf ("http://127.0.0.1:%u", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  return service;
}

/* GET /system/status as @username from a canned server that answers every
 * request with @response (fast retries); checks that it failed after
 * @n_requests requests and returns the error. */
static GError *
canned_status_error (const char *response,
                     const char *username,
                     gint        n_requests)
{
  Canned canned = { response, 0 };
  g_autofree char *url = NULL;
  g_autoptr(GSocketService) service = canned_server_start (&canned, &url);
  g_autoptr(BkCmsClient) client = bk_cms_client_new (url, username, "pw", NULL);
  g_autoptr(BkCmsSystemStatus) status = NULL;
  GError *error = NULL;

  bk_cms_client_set_retry_policy (client, 3, 5, 20);
  status = get_status (client, NULL, &error);
  g_assert_null (status);
  g_assert_cmpint (g_atomic_int_get (&canned.n_requests), ==, n_requests);
  g_socket_service_stop (service);
  return error;
}

static void
test_redirect (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error =
    canned_status_error ("HTTP/1.1 302 Found\r\nLocation: /accounts/login/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                         "admin", 1);   /* not followed, not retried */

  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_MALFORMED_REPLY);
  g_assert_nonnull (strstr (error->message, "/accounts/login/"));
  g_assert_cmpuint (bk_cms_error_get_http_status (error), ==, 302);
}

static void
test_too_many_requests (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error =
    canned_status_error ("HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                         "admin", 3);   /* retried */

  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_BUSY);
}

static void
test_forbidden (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error =
    canned_status_error ("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                         "auditor", 1);   /* not retried */

  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_FORBIDDEN);
}

static void
test_not_found_as_400 (Fixture       *f,
                       gconstpointer  data)
{
  /* Some objects answer 400 + ...DoesNotExist instead of 404. */
  const char *body = "<?xml version=\"1.0\"?><failureDetails><callDoesNotExist /></failureDetails>";
  g_autofree char *response = g_strdup_printf ("HTTP/1.1 400 Bad Request\r\nContent-Type: text/xml\r\n"
                                               "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                                               strlen (body), body);
  Canned canned = { response, 0 };
  g_autofree char *url = NULL;
  g_autoptr(GSocketService) service = canned_server_start (&canned, &url);
  g_autoptr(BkCmsClient) client = bk_cms_client_new (url, "admin", "pw", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (delete_path (client, "/calls/ce5ee392", &error));
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_NOT_FOUND);
  g_assert_true (bk_cms_error_has_reason (error, "callDoesNotExist"));
  g_assert_cmpuint (bk_cms_error_get_http_status (error), ==, 400);
  g_assert_cmpstr (bk_cms_error_get_method (error), ==, "DELETE");
  g_socket_service_stop (service);
}

static void
test_delete_done_by_first_try (Fixture       *f,
                               gconstpointer  data)
{
  /* The first DELETE is carried out but the connection drops before the
   * answer; the retry finds nothing: that is success, not NOT_FOUND. */
  Canned canned = { "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", 0, "" };
  g_autofree char *url = NULL;
  g_autoptr(GSocketService) service = canned_server_start (&canned, &url);
  g_autoptr(BkCmsClient) client = bk_cms_client_new (url, "admin", "pw", NULL);
  g_autoptr(GError) error = NULL;

  bk_cms_client_set_retry_policy (client, 3, 5, 20);
  g_assert_true (delete_path (client, "/coSpaces/458075bc", &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_atomic_int_get (&canned.n_requests), ==, 2);

  /* Without an earlier broken try, 404 stays NOT_FOUND. */
  g_assert_false (delete_path (client, "/coSpaces/458075bc", &error));
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_NOT_FOUND);
  g_socket_service_stop (service);
}

static void
test_unauthorized (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsSystemStatus) status = NULL;

  bk_cms_client_set_credentials (f->client, BK_SIM_DEFAULT_USERNAME, "wrong-password");
  status = get_status (f->client, NULL, &error);
  g_assert_null (status);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (bk_cms_error_get_http_status (error), ==, 401);
  g_assert_cmpuint (count (f, NULL, NULL), ==, 1);   /* not retried */
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(BkCmsCoSpace) space = NULL;

  bk_cms_client_get_cospace_async (f->client, "00000000-0000-0000-0000-000000000000", NULL, cms_test_store_result_cb, &res);
  space = bk_cms_client_get_cospace_finish (f->client, cms_test_wait_result (&res), &error);
  g_assert_null (space);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_NOT_FOUND);
  g_assert_cmpuint (count (f, "GET", "/api/v1/coSpaces"), ==, 1);
}

static void
test_cms_failure (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *id2 = NULL;
  const char *bad[] = { "name", "Bad", "uri", "bad.space", "nonMemberAccess", "maybe", NULL };
  const char *good[] = { "name", "Sales", "uri", "sales.room", "callId", "4711", NULL };
  const char *dup[] = { "name", "Sales 2", "uri", "sales.room", NULL };
  const BkCmsFailure *failure;

  id = create (f->client, "/coSpaces", bad, &error);
  g_assert_null (id);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_CMS_FAILURE);
  g_assert_cmpuint (bk_cms_error_get_n_failures (error), ==, 1);
  failure = bk_cms_error_get_failure (error, 0);
  g_assert_cmpstr (failure->reason, ==, "parameterError");
  g_assert_cmpstr (failure->parameter, ==, "nonMemberAccess");
  g_assert_cmpstr (failure->value, ==, "invalidValue");
  g_assert_nonnull (strstr (error->message, "nonMemberAccess"));
  g_clear_error (&error);

  id = create (f->client, "/coSpaces", good, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  {
    g_autofree char *name = bk_sim_cluster_dup_cospace_field (f->sim, id, "name");
    g_assert_cmpstr (name, ==, "Sales");   /* the Location id is the real id */
  }

  id2 = create (f->client, "/coSpaces", dup, &error);
  g_assert_null (id2);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_CMS_FAILURE);
  g_assert_true (bk_cms_error_has_reason (error, "duplicateCoSpaceUri"));
  g_assert_cmpuint (count (f, "POST", "/api/v1/coSpaces"), ==, 3);   /* none retried */

  /* The log says why each failed. */
  {
    BkCmsLog *log = bk_cms_client_get_log (f->client);
    g_autoptr(BkCmsLogEntry) first = g_list_model_get_item (G_LIST_MODEL (log), 0);
    g_autoptr(BkCmsLogEntry) last = g_list_model_get_item (G_LIST_MODEL (log), 2);

    g_assert_cmpstr (bk_cms_log_entry_get_failure (first), ==, "CMS_FAILURE: parameterError nonMemberAccess=invalidValue");
    g_assert_cmpstr (bk_cms_log_entry_get_failure (last), ==, "CMS_FAILURE: duplicateCoSpaceUri");
    g_assert_cmpuint (bk_cms_log_entry_get_status (last), ==, 400);
  }
}

/* GET /system/status while the simulator always answers it with @fault:
 * fails with @code and @http_status after @tries requests. */
static void
assert_status_fault (Fixture        *f,
                     BkSimFault      fault,
                     BkCmsErrorCode  code,
                     guint           http_status,
                     guint           tries)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsSystemStatus) status = NULL;

  bk_sim_cluster_add_fault (f->sim, "GET", "/api/v1/system/status", fault, 1.0, -1);
  status = get_status (f->client, NULL, &error);
  g_assert_null (status);
  g_assert_error (error, BK_CMS_ERROR, (gint) code);
  g_assert_cmpuint (bk_cms_error_get_http_status (error), ==, http_status);
  g_assert_cmpuint (count (f, "GET", "/api/v1/system/status"), ==, tries);
}

static void
test_busy (Fixture       *f,
           gconstpointer  data)
{
  assert_status_fault (f, BK_SIM_FAULT_HTTP_503, BK_CMS_ERROR_BUSY, 503, 3);
}

static void
test_server_error (Fixture       *f,
                   gconstpointer  data)
{
  assert_status_fault (f, BK_SIM_FAULT_HTTP_500, BK_CMS_ERROR_SERVER_ERROR, 500, 1);   /* 500 is not retried */
}

static void
test_malformed (Fixture       *f,
                gconstpointer  data)
{
  BkSimFault faults[] = { BK_SIM_FAULT_MALFORMED_XML, BK_SIM_FAULT_TRUNCATED_XML };

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BkCmsSystemStatus) status = NULL;

      bk_sim_cluster_clear_faults (f->sim);
      bk_sim_cluster_add_fault (f->sim, "GET", "/api/v1/system/status", faults[i], 1.0, 1);
      status = get_status (f->client, NULL, &error);
      g_assert_null (status);
      g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_MALFORMED_REPLY);
      g_assert_nonnull (strstr (error->message, bk_cms_client_get_bridge (f->client)));
      g_assert_cmpuint (bk_cms_error_get_http_status (error), ==, 200);
    }
}

static void
test_retry_get_503_once (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsSystemStatus) status = NULL;
  BkCmsLog *log = bk_cms_client_get_log (f->client);
  g_autoptr(BkCmsLogEntry) first = NULL;
  g_autoptr(BkCmsLogEntry) second = NULL;

  bk_sim_cluster_add_fault (f->sim, "GET", "/api/v1/system/status", BK_SIM_FAULT_HTTP_503, 1.0, 1);
  status = get_status (f->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (status);
  g_assert_cmpuint (count (f, "GET", "/api/v1/system/status"), ==, 2);

  /* Both tries are in the log. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 2);
  first = g_list_model_get_item (G_LIST_MODEL (log), 0);
  second = g_list_model_get_item (G_LIST_MODEL (log), 1);
  g_assert_cmpuint (bk_cms_log_entry_get_status (first), ==, 503);
  g_assert_cmpuint (bk_cms_log_entry_get_attempt (first), ==, 1);
  g_assert_cmpuint (bk_cms_log_entry_get_status (second), ==, 200);
  g_assert_cmpuint (bk_cms_log_entry_get_attempt (second), ==, 2);
}

static void
test_retry_get_reset_once (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsSystemStatus) status = NULL;

  bk_sim_cluster_add_fault (f->sim, "GET", "/api/v1/system/status", BK_SIM_FAULT_RESET, 1.0, 1);
  status = get_status (f->client, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (status);
  g_assert_cmpuint (count (f, "GET", "/api/v1/system/status"), ==, 2);
}

static void
test_post_reset_not_retried (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  const char *params[] = { "name", "Reset", "uri", "reset.room", NULL };

  bk_sim_cluster_add_fault (f->sim, "POST", "/api/v1/coSpaces", BK_SIM_FAULT_RESET, 1.0, 1);
  id = create (f->client, "/coSpaces", params, &error);
  g_assert_null (id);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_OUTCOME_UNKNOWN);
  g_assert_cmpuint (count (f, "POST", "/api/v1/coSpaces"), ==, 1);
}

static void
test_post_timeout_outcome_unknown (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  const char *params[] = { "name", "Slow", NULL };

  /* Warm up a kept-alive connection, so the POST is surely sent before the
   * timeout fires even on a slow machine. */
  {
    g_autoptr(BkCmsSystemStatus) status = get_status (f->client, NULL, &error);
    g_assert_no_error (error);
  }
  bk_sim_cluster_add_fault (f->sim, "POST", "/api/v1/callProfiles", BK_SIM_FAULT_NO_ANSWER, 1.0, 1);
  bk_cms_client_set_timeout (f->client, bk_test_scale_ms (1000));
  id = create (f->client, "/callProfiles", params, &error);
  g_assert_null (id);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_OUTCOME_UNKNOWN);
  g_assert_cmpuint (count (f, "POST", "/api/v1/callProfiles"), ==, 1);
}

static void
test_post_503_retried (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  const char *params[] = { "name", "Busy", "uri", "busy.room", NULL };
  guint before = bk_sim_cluster_get_n_cospaces (f->sim);

  bk_sim_cluster_add_fault (f->sim, "POST", "/api/v1/coSpaces", BK_SIM_FAULT_HTTP_503, 1.0, 1);
  id = create (f->client, "/coSpaces", params, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
  g_assert_cmpuint (count (f, "POST", "/api/v1/coSpaces"), ==, 2);
  g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (f->sim), ==, before + 1);
}

static gboolean
sim_saw_request (gpointer data)
{
  Fixture *f = data;
  return count (f, "GET", "/api/v1/system/status") > 0;
}

static gboolean
log_has_entry (gpointer data)
{
  Fixture *f = data;
  return g_list_model_get_n_items (G_LIST_MODEL (bk_cms_client_get_log (f->client))) > 0;
}

static void
test_cancel_in_flight (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(BkCmsSystemStatus) status = NULL;

  bk_sim_cluster_add_fault (f->sim, "GET", "/api/v1/system/status", BK_SIM_FAULT_NO_ANSWER, 1.0, -1);
  bk_cms_client_get_system_status_async (f->client, cancellable, cms_test_store_result_cb, &res);
  bk_test_wait_until (sim_saw_request, f, WAIT_MS);
  g_assert_null (res);
  g_cancellable_cancel (cancellable);
  status = bk_cms_client_get_system_status_finish (f->client, cms_test_wait_result (&res), &error);
  g_assert_null (status);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count (f, "GET", "/api/v1/system/status"), ==, 1);

  /* Already cancelled: nothing is sent. */
  g_clear_error (&error);
  g_clear_object (&res);
  bk_sim_cluster_reset_counters (f->sim);
  bk_cms_client_get_system_status_async (f->client, cancellable, cms_test_store_result_cb, &res);
  status = bk_cms_client_get_system_status_finish (f->client, cms_test_wait_result (&res), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  bk_test_spin (50);
  g_assert_cmpuint (count (f, NULL, NULL), ==, 0);
}

static void
test_cancel_during_backoff (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(BkCmsSystemStatus) status = NULL;

  bk_cms_client_set_retry_policy (f->client, 3, 60000, 60000);
  bk_sim_cluster_add_fault (f->sim, "GET", "/api/v1/system/status", BK_SIM_FAULT_HTTP_503, 1.0, -1);
  bk_cms_client_get_system_status_async (f->client, cancellable, cms_test_store_result_cb, &res);
  bk_test_wait_until (log_has_entry, f, WAIT_MS);
  g_assert_null (res);   /* waiting 30..60 s before the second try */
  g_cancellable_cancel (cancellable);
  status = bk_cms_client_get_system_status_finish (f->client, cms_test_wait_result (&res), &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count (f, "GET", "/api/v1/system/status"), ==, 1);
}

static void
test_create_update_delete (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *profile_id = NULL;
  g_autofree char *leg_profile_id = NULL;
  g_autofree char *set_id = NULL;
  g_autofree char *sync_id = NULL;
  g_autofree char *space_path = NULL;
  g_autofree char *space_id = NULL;
  const char *profile_params[] = { "participantLimit", "1000", "messageBoardEnabled", "false", NULL };
  const char *leg_params[] = { "defaultLayout", "telepresence", "changeLayoutAllowed", "true", NULL };
  g_autoptr(BkCmsBulkSync) sync = NULL;
  g_autoptr(GAsyncResult) res = NULL;

  bk_cms_client_create_call_profile_async (f->client, profile_params, NULL, cms_test_store_result_cb, &res);
  profile_id = bk_cms_client_create_finish (f->client, cms_test_wait_result (&res), &error);
  g_assert_no_error (error);
  g_clear_object (&res);

  bk_cms_client_create_call_leg_profile_async (f->client, leg_params, NULL, cms_test_store_result_cb, &res);
  leg_profile_id = bk_cms_client_create_finish (f->client, cms_test_wait_result (&res), &error);
  g_assert_no_error (error);
  g_clear_object (&res);

  {
    const char *set_params[] = { "startIndex", "1", "endIndex", "5", "coSpaceUriMapping", "$index$",
                                 "coSpaceNameMapping", "TMS_Scheduled_Meeting_$index$",
                                 "coSpaceCallIdMapping", "$index$", "callProfile", profile_id,
                                 "callLegProfile", leg_profile_id, "nonMemberAccess", "false", NULL };
    bk_cms_client_create_bulk_parameter_set_async (f->client, set_params, NULL, cms_test_store_result_cb, &res);
    set_id = bk_cms_client_create_finish (f->client, cms_test_wait_result (&res), &error);
    g_assert_no_error (error);
    g_clear_object (&res);
  }
  {
    const char *update[] = { "endIndex", "6", NULL };
    bk_cms_client_update_bulk_parameter_set_async (f->client, set_id, update, NULL, cms_test_store_result_cb, &res);
    g_assert_true (bk_cms_client_update_finish (f->client, cms_test_wait_result (&res), &error));
    g_assert_no_error (error);
    g_clear_object (&res);
  }

  bk_cms_client_create_bulk_sync_async (f->client, set_id, FALSE, NULL, cms_test_store_result_cb, &res);
  sync_id = bk_cms_client_create_finish (f->client, cms_test_wait_result (&res), &error);
  g_assert_no_error (error);
  g_clear_object (&res);

  for (guint i = 0; i < 200; i++)
    {
      g_clear_pointer (&sync, bk_cms_bulk_sync_free);
      bk_cms_client_get_bulk_sync_async (f->client, sync_id, NULL, cms_test_store_result_cb, &res);
      sync = bk_cms_client_get_bulk_sync_finish (f->client, cms_test_wait_result (&res), &error);
      g_assert_no_error (error);
      g_clear_object (&res);
      if (bk_cms_bulk_sync_status_is_final (sync->status))
        break;
      bk_test_spin (20);
    }
  g_assert_cmpint (sync->status, ==, BK_CMS_BULK_SYNC_COMPLETE);
  g_assert_cmpstr (sync->parameter_set, ==, set_id);
  g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (f->sim), ==, 6);

  /* Delete a space, then it is gone. */
  space_id = bk_sim_cluster_add_cospace (f->sim, "Doomed", "doomed", "999");
  space_path = g_strdup_printf ("/coSpaces/%s", space_id);
  g_assert_true (delete_path (f->client, space_path, &error));
  g_assert_no_error (error);
  g_assert_null (bk_sim_cluster_dup_cospace_field (f->sim, space_id, "name"));
  g_assert_false (delete_path (f->client, space_path, &error));
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_NOT_FOUND);
}

static void
test_delete_retry_after_reset (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *space_id = bk_sim_cluster_add_cospace (f->sim, "Gone", "gone", "998");
  g_autofree char *path = g_strdup_printf ("/coSpaces/%s", space_id);

  /* 503 then success: deleted once, reported as done. */
  bk_sim_cluster_add_fault (f->sim, "DELETE", NULL, BK_SIM_FAULT_HTTP_503, 1.0, 1);
  g_assert_true (delete_path (f->client, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count (f, "DELETE", NULL), ==, 2);
  g_assert_null (bk_sim_cluster_dup_cospace_field (f->sim, space_id, "name"));
}

static void
test_log_masking_and_trace (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autofree char *space_id = bk_sim_cluster_add_cospace (f->sim, "Meeting", "meeting", "4242");
  g_autofree char *path = g_strdup_printf ("/coSpaces/%s", space_id);
  const char *params[] = { "nonMemberAccess", "true", "passcode", "24680", "name", "Board meeting",
                           "secret", "86db1bdd-5cf7-4ea8-b88d-479195f4701a", NULL };
  g_autoptr(BkCmsCoSpace) space = NULL;
  g_autofree char *trace = NULL;
  g_autofree char *auth = NULL;
  g_autofree char *auth_b64 = NULL;
  g_autoptr(BkCmsLogEntry) put = NULL;
  g_autoptr(BkCmsLogEntry) get = NULL;
  BkCmsLog *log = bk_cms_client_get_log (f->client);

  bk_cms_client_update_async (f->client, path, params, NULL, cms_test_store_result_cb, &res);
  g_assert_true (bk_cms_client_update_finish (f->client, cms_test_wait_result (&res), &error));
  g_assert_no_error (error);
  g_clear_object (&res);
  {
    g_autofree char *pc = bk_sim_cluster_dup_cospace_field (f->sim, space_id, "passcode");
    g_assert_cmpstr (pc, ==, "24680");   /* really sent */
  }

  bk_cms_client_get_cospace_async (f->client, space_id, NULL, cms_test_store_result_cb, &res);
  space = bk_cms_client_get_cospace_finish (f->client, cms_test_wait_result (&res), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (space->passcode, ==, "24680");
  g_assert_cmpstr (space->name, ==, "Board meeting");

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 2);
  put = g_list_model_get_item (G_LIST_MODEL (log), 0);
  get = g_list_model_get_item (G_LIST_MODEL (log), 1);
  g_assert_cmpstr (bk_cms_log_entry_get_method (put), ==, "PUT");
  g_assert_cmpuint (bk_cms_log_entry_get_status (put), ==, 200);
  g_assert_nonnull (strstr (bk_cms_log_entry_get_request_body (put), "passcode=*****"));
  g_assert_nonnull (strstr (bk_cms_log_entry_get_request_body (put), "secret=*****"));
  g_assert_null (strstr (bk_cms_log_entry_get_request_body (put), "24680"));
  g_assert_cmpuint (bk_cms_log_entry_get_request_bytes (put), >, 0);
  g_assert_null (strstr (bk_cms_log_entry_get_response_excerpt (get), "24680"));
  g_assert_cmpuint (bk_cms_log_entry_get_response_bytes (get), >, 0);

  trace = bk_cms_log_export_trace (log);
  auth = g_strdup_printf ("%s:%s", BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD);
  auth_b64 = g_base64_encode ((const guchar *) auth, strlen (auth));
  g_assert_nonnull (strstr (trace, "API trace 1: PUT for \"/api/v1/coSpaces/"));
  g_assert_nonnull (strstr (trace, "content data size "));
  g_assert_nonnull (strstr (trace, "type \"application/x-www-form-urlencoded\":"));
  g_assert_nonnull (strstr (trace, ": passcode=*****&\n"));
  g_assert_nonnull (strstr (trace, ": name=Board meeting&\n"));
  g_assert_nonnull (strstr (trace, "API trace 1: sending 200 response, size 0"));
  g_assert_nonnull (strstr (trace, "API trace 2: GET for \"/api/v1/coSpaces/"));
  g_assert_nonnull (strstr (trace, "<passcode>*****</passcode>"));
  g_assert_nonnull (strstr (trace, ": <coSpace id=\""));       /* the root line too */
  g_assert_nonnull (strstr (trace, ": </coSpace>\n"));
  g_assert_null (strstr (trace, "<?xml"));
  g_assert_null (strstr (trace, "24680"));
  g_assert_null (strstr (trace, "86db1bdd"));
  g_assert_null (strstr (trace, BK_SIM_DEFAULT_PASSWORD));
  g_assert_null (strstr (trace, auth_b64));
  g_assert_null (strstr (trace, "Authorization"));

  /* Export to a file */
  {
    g_autofree char *file_path = g_build_filename (bk_test_get_tmpdir (), "trace.txt", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (file_path);
    g_autofree char *contents = NULL;

    g_autoptr(GAsyncResult) result = NULL;

    bk_cms_log_export_trace_to_file_async (log, file, NULL, cms_test_store_result_cb, &result);
    g_assert_true (bk_cms_log_export_trace_to_file_finish (log, cms_test_wait_result (&result), &error));
    g_assert_no_error (error);
    g_assert_true (g_file_get_contents (file_path, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, trace);
  }
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  guint *changes = user_data;
  changes[0] += removed;
  changes[1] += added;
}

static void
test_log_ring (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(BkCmsLog) log = bk_cms_log_new (5);
  guint changes[2] = { 0, 0 };
  g_autoptr(BkCmsLogEntry) oldest = NULL;

  bk_cms_client_set_log (f->client, log);
  g_assert_true (bk_cms_client_get_log (f->client) == log);
  g_signal_connect (log, "items-changed", G_CALLBACK (items_changed_cb), changes);
  for (guint i = 0; i < 7; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BkCmsSystemStatus) status = get_status (f->client, NULL, &error);
      g_assert_no_error (error);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 5);
  g_assert_cmpuint (changes[1], ==, 7);
  g_assert_cmpuint (changes[0], ==, 2);
  oldest = g_list_model_get_item (G_LIST_MODEL (log), 0);
  g_assert_cmpuint (bk_cms_log_entry_get_serial (oldest), ==, 3);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (log)) == BK_CMS_TYPE_LOG_ENTRY);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (log), 5));
  bk_cms_log_clear (log);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (log)), ==, 0);
}

static void
test_generic_request (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(BkCmsReply) reply = NULL;
  const char *params[] = { "name", "Via generic", NULL };

  bk_cms_client_request_async (f->client, "POST", "callProfiles", params, NULL, cms_test_store_result_cb, &res);
  reply = bk_cms_client_request_finish (f->client, cms_test_wait_result (&res), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_nonnull (reply->location);
  g_assert_true (g_str_has_prefix (reply->location, "/api/v1/callProfiles/"));
  g_assert_cmpstr (reply->id, ==, reply->location + strlen ("/api/v1/callProfiles/"));
  g_clear_object (&res);
  g_clear_pointer (&reply, bk_cms_reply_free);

  bk_cms_client_request_async (f->client, "GET", "/api/v1/system/status", NULL, NULL, cms_test_store_result_cb, &res);
  reply = bk_cms_client_request_finish (f->client, cms_test_wait_result (&res), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (reply->body), >, 0);
}

/* A PUT whose kept-alive connection is reset is sent again by libsoup
 * itself; it must carry its body again (libsoup 3.2 sent it empty, and the
 * bridge answered 200 to a change that was never made). */
static void
test_put_reset_on_kept_alive_connection (Fixture       *f,
                                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(BkCmsSystemStatus) status = NULL;
  g_autofree char *space_id = bk_sim_cluster_add_cospace (f->sim, "Before", "before", "4343");
  g_autofree char *path = g_strdup_printf ("/coSpaces/%s", space_id);
  g_autofree char *name = NULL;
  const char *params[] = { "name", "After", NULL };

  /* Opens the connection the PUT will reuse. */
  status = get_status (f->client, NULL, &error);
  g_assert_no_error (error);
  bk_sim_cluster_add_fault (f->sim, "PUT", NULL, BK_SIM_FAULT_RESET, 1.0, 1);
  bk_cms_client_update_async (f->client, path, params, NULL, cms_test_store_result_cb, &res);
  g_assert_true (bk_cms_client_update_finish (f->client, cms_test_wait_result (&res), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count (f, "PUT", NULL), ==, 2);
  name = bk_sim_cluster_dup_cospace_field (f->sim, space_id, "name");
  g_assert_cmpstr (name, ==, "After");
}

int
main (int   argc,
      char *argv[])
{
  bk_test_init (&argc, &argv);

#define ADD(name, func) \
  g_test_add ("/cms/client/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("status", test_status);
  ADD ("onboarding-calls", test_onboarding_calls);
  ADD ("generic-request", test_generic_request);
  ADD ("error/unreachable", test_unreachable);
  ADD ("error/timeout", test_timeout);
  ADD ("idle-connection-reuse", test_idle_connection_reuse);
  ADD ("error/tls-trust-flow", test_tls_trust_flow);
  ADD ("error/not-tls", test_not_tls);
  ADD ("error/redirect", test_redirect);
  ADD ("error/too-many-requests", test_too_many_requests);
  ADD ("error/forbidden", test_forbidden);
  ADD ("error/not-found-as-400", test_not_found_as_400);
  ADD ("error/unauthorized", test_unauthorized);
  ADD ("error/not-found", test_not_found);
  ADD ("error/cms-failure", test_cms_failure);
  ADD ("error/busy", test_busy);
  ADD ("error/server-error", test_server_error);
  ADD ("error/malformed", test_malformed);
  ADD ("retry/get-503-once", test_retry_get_503_once);
  ADD ("retry/get-reset-once", test_retry_get_reset_once);
  ADD ("retry/post-reset-not-retried", test_post_reset_not_retried);
  ADD ("retry/post-timeout-outcome-unknown", test_post_timeout_outcome_unknown);
  ADD ("retry/post-503-retried", test_post_503_retried);
  ADD ("retry/delete-after-503", test_delete_retry_after_reset);
  ADD ("retry/delete-done-by-first-try", test_delete_done_by_first_try);
  ADD ("retry/put-reset-on-kept-alive-connection", test_put_reset_on_kept_alive_connection);
  ADD ("cancel/in-flight", test_cancel_in_flight);
  ADD ("cancel/during-backoff", test_cancel_during_backoff);
  ADD ("create-update-delete", test_create_update_delete);
  ADD ("log/masking-and-trace", test_log_masking_and_trace);
  ADD ("log/ring", test_log_ring);

  return g_test_run ();
}
