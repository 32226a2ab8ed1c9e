/* sim-test-util.c: a small libsoup client for the simulator's tests
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <string.h>

#include "bk-test-util.h"
#include "sim-test-util.h"

typedef struct
{
  SoupMessage  *msg;
  char         *pin;
  SimResp     **out;
} Pending;

void
sim_resp_free (SimResp *resp)
{
  if (resp == NULL)
    return;
  g_free (resp->body);
  g_clear_pointer (&resp->headers, soup_message_headers_unref);
  g_clear_error (&resp->error);
  g_free (resp);
}

SoupSession *
sim_session_new (void)
{
  /* No idle timeout: libsoup 3.2's can close a connection under a request
   * when the loop ran late (see IDLE_TIMEOUT_S in bk-cms-client.c). */
  return soup_session_new_with_options ("timeout", 20, "idle-timeout", 0, NULL);
}

void
sim_fixture_set_up (SimFixture *f,
                    guint32     seed,
                    gboolean    tls)
{
  g_autoptr(GError) error = NULL;

  f->sim = bk_sim_cluster_new (2);
  bk_sim_cluster_set_seed (f->sim, seed);
  bk_sim_cluster_set_bulk_sync_delay (f->sim, 0);
  bk_sim_cluster_set_call_leg_connect_delay (f->sim, 0);
  if (!tls)
    bk_sim_cluster_set_tls (f->sim, FALSE);
  g_assert_true (bk_sim_cluster_start (f->sim, &error));
  g_assert_no_error (error);
  f->session = sim_session_new ();
}

void
sim_fixture_tear_down (SimFixture    *f,
                       gconstpointer  data)
{
  g_clear_object (&f->session);
  g_clear_object (&f->sim);
}

static gboolean
accept_cb (SoupMessage          *msg,
           GTlsCertificate      *cert,
           GTlsCertificateFlags  errors,
           gpointer              data)
{
  const char *pin = data;
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *sha = NULL;

  if (pin == NULL)
    return FALSE;
  g_object_get (cert, "certificate", &der, NULL);
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  return g_str_equal (sha, pin);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Pending *p = data;
  SimResp *resp = g_new0 (SimResp, 1);
  g_autoptr(GBytes) bytes = NULL;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &resp->error);
  if (bytes != NULL)
    {
      resp->status = soup_message_get_status (p->msg);
      resp->len = g_bytes_get_size (bytes);
      resp->body = g_strndup (g_bytes_get_data (bytes, NULL), resp->len);
    }
  else
    resp->body = g_strdup ("");
  resp->headers = soup_message_headers_ref (soup_message_get_response_headers (p->msg));
  resp->connection = soup_message_get_connection_id (p->msg);
  *p->out = resp;
  g_object_unref (p->msg);
  g_free (p->pin);
  g_free (p);
}

static void
start_url (SoupSession  *session,
           const char   *url,
           const char   *method,
           const char   *content_type,
           const char   *form,
           const char   *user,
           const char   *password,
           const char   *pin,
           SimResp     **out)
{
  Pending *p = g_new0 (Pending, 1);

  *out = NULL;
  p->msg = soup_message_new (method, url);
  g_assert_nonnull (p->msg);
  p->pin = g_strdup (pin);
  p->out = out;
  g_signal_connect (p->msg, "accept-certificate", G_CALLBACK (accept_cb), p->pin);
  if (user != NULL)
    {
      g_autofree char *plain = g_strdup_printf ("%s:%s", user, password);
      g_autofree char *b64 = g_base64_encode ((const guchar *) plain, strlen (plain));
      g_autofree char *header = g_strdup_printf ("Basic %s", b64);

      soup_message_headers_replace (soup_message_get_request_headers (p->msg), "Authorization", header);
    }
  if (form != NULL)
    {
      g_autoptr(GBytes) body = g_bytes_new (form, strlen (form));

      soup_message_set_request_body_from_bytes (p->msg, content_type, body);
    }
  soup_session_send_and_read_async (session, p->msg, G_PRIORITY_DEFAULT, NULL, sent_cb, p);
}

static gboolean
resp_ready (gpointer data)
{
  return *(SimResp **) data != NULL;
}

static SimResp *
wait_resp (SimResp **resp)
{
  bk_test_wait_until (resp_ready, resp, 20000);
  return *resp;
}

SimResp *
sim_request_url (SoupSession *session,
                 const char  *url,
                 const char  *method,
                 const char  *form,
                 const char  *user,
                 const char  *password,
                 const char  *pin)
{
  SimResp *resp = NULL;

  start_url (session, url, method, "application/x-www-form-urlencoded", form, user, password, pin, &resp);
  return wait_resp (&resp);
}

SimResp *
sim_request_body (SoupSession *session,
                  const char  *url,
                  const char  *method,
                  const char  *content_type,
                  const char  *body)
{
  SimResp *resp = NULL;

  start_url (session, url, method, content_type, body, NULL, NULL, NULL, &resp);
  return wait_resp (&resp);
}

void
sim_request_start (SoupSession  *session,
                   BkSimCluster *sim,
                   guint         node,
                   const char   *method,
                   const char   *path,
                   SimResp     **out)
{
  g_autofree char *url = g_strconcat (bk_sim_cluster_get_node_url (sim, node), path, NULL);

  start_url (session, url, method, NULL, NULL,
             bk_sim_cluster_get_node_username (sim, node), bk_sim_cluster_get_node_password (sim, node),
             bk_sim_cluster_get_node_certificate_sha256 (sim, node), out);
}

SimResp *
sim_request (SoupSession  *session,
             BkSimCluster *sim,
             guint         node,
             const char   *method,
             const char   *path,
             const char   *form,
             gboolean      auth)
{
  g_autofree char *url = g_strconcat (bk_sim_cluster_get_node_url (sim, node), path, NULL);

  return sim_request_url (session, url, method, form,
                          auth ? bk_sim_cluster_get_node_username (sim, node) : NULL,
                          bk_sim_cluster_get_node_password (sim, node),
                          bk_sim_cluster_get_node_certificate_sha256 (sim, node));
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

void
sim_wait_until (BkTestPredicate predicate,
                gpointer        data,
                guint           timeout_ms)
{
  /* A ticker, so conditions that change without a main-loop event (files,
   * clocks) are re-checked. */
  guint tick = g_timeout_add (10, tick_cb, NULL);

  bk_test_wait_until (predicate, data, timeout_ms);
  g_source_remove (tick);
}

xmlDoc *
sim_resp_xml (SimResp *resp)
{
  if (resp->len == 0)
    return NULL;
  return xmlReadMemory (resp->body, (int) resp->len, "reply.xml", NULL,
                        XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
}

static xmlXPathObject *
eval (xmlDoc     *doc,
      const char *xpath)
{
  xmlXPathContext *ctx = xmlXPathNewContext (doc);
  xmlXPathObject *obj = xmlXPathEvalExpression ((const xmlChar *) xpath, ctx);

  xmlXPathFreeContext (ctx);
  g_assert_nonnull (obj);
  return obj;
}

char *
sim_xpath_string (xmlDoc     *doc,
                  const char *xpath)
{
  g_autofree char *expr = g_strdup_printf ("string(%s)", xpath);
  xmlXPathObject *obj;
  char *result;

  g_assert_nonnull (doc);
  obj = eval (doc, expr);
  result = g_strdup ((const char *) obj->stringval);
  xmlXPathFreeObject (obj);
  return result;
}

int
sim_xpath_count (xmlDoc     *doc,
                 const char *xpath)
{
  xmlXPathObject *obj;
  int n;

  g_assert_nonnull (doc);
  obj = eval (doc, xpath);
  n = obj->nodesetval ? obj->nodesetval->nodeNr : 0;
  xmlXPathFreeObject (obj);
  return n;
}

xmlDoc *
sim_get_xml (SimFixture *f,
             guint       node,
             const char *path)
{
  g_autoptr(SimResp) r = GET (node, path);
  xmlDoc *doc;

  g_assert_no_error (r->error);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (r->headers, NULL), ==, "text/xml");
  doc = sim_resp_xml (r);
  g_assert_nonnull (doc);
  return doc;
}

void
sim_assert_xpath (xmlDoc     *doc,
                  const char *xpath,
                  const char *expected)
{
  g_autofree char *value = sim_xpath_string (doc, xpath);

  g_assert_cmpstr (value, ==, expected);
}

typedef struct
{
  SimFixture *f;
  guint       node;
  const char *path;
  const char *xpath;
  const char *expected;
} XpathWait;

static gboolean
xpath_reached (gpointer data)
{
  XpathWait *w = data;
  g_autoptr(xmlDoc) doc = sim_get_xml (w->f, w->node, w->path);
  g_autofree char *value = sim_xpath_string (doc, w->xpath);

  return g_str_equal (value, w->expected);
}

void
sim_wait_xpath (SimFixture *f,
                guint       node,
                const char *path,
                const char *xpath,
                const char *expected,
                guint       timeout_ms)
{
  XpathWait w = { f, node, path, xpath, expected };

  sim_wait_until (xpath_reached, &w, timeout_ms);
}

char *
sim_location_id (SimResp *resp)
{
  const char *loc = soup_message_headers_get_one (resp->headers, "Location");
  const char *slash;

  g_assert_nonnull (loc);
  slash = strrchr (loc, '/');
  g_assert_nonnull (slash);
  return g_strdup (slash + 1);
}

void
sim_assert_failure (SimResp    *resp,
                    guint       status,
                    const char *reason)
{
  g_autoptr(xmlDoc) doc = NULL;
  g_autofree char *xpath = g_strdup_printf ("/failureDetails/%s", reason);

  g_assert_no_error (resp->error);
  g_assert_cmpuint (resp->status, ==, status);
  doc = sim_resp_xml (resp);
  g_assert_nonnull (doc);
  g_assert_cmpint (sim_xpath_count (doc, xpath), ==, 1);
}
