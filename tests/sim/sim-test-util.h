/* sim-test-util.h: a small libsoup client for the simulator's tests
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>
#include <libxml/tree.h>

#include "bk-sim.h"
#include "bk-test-util.h"

G_BEGIN_DECLS

/* A running two-node simulator and a session to talk to it. */
typedef struct
{
  BkSimCluster *sim;
  SoupSession  *session;
} SimFixture;

/* Starts the cluster with @seed, bulk syncs and call legs without delay,
 * HTTPS unless @tls is FALSE. */
void        sim_fixture_set_up    (SimFixture    *f,
                                   guint32        seed,
                                   gboolean       tls);
void        sim_fixture_tear_down (SimFixture    *f,
                                   gconstpointer  data);

typedef struct
{
  guint               status;
  char               *body;      /* NUL-terminated copy */
  gsize               len;
  SoupMessageHeaders *headers;   /* response headers */
  GError             *error;     /* transport error, status is 0 then */
  guint64             connection; /* soup_message_get_connection_id() */
} SimResp;

void        sim_resp_free         (SimResp      *resp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimResp, sim_resp_free)

SoupSession *sim_session_new      (void);

/* Sends a request to node @node and waits (main loop) for the answer.
 * @form: form-urlencoded body for POST/PUT or NULL; @auth: send the
 * node's credentials; the certificate is pinned to the node's. */
SimResp    *sim_request           (SoupSession  *session,
                                   BkSimCluster *sim,
                                   guint         node,
                                   const char   *method,
                                   const char   *path,
                                   const char   *form,
                                   gboolean      auth);
/* Same against a raw URL with explicit credentials and pin (NULL = none). */
SimResp    *sim_request_url       (SoupSession  *session,
                                   const char   *url,
                                   const char   *method,
                                   const char   *form,
                                   const char   *user,
                                   const char   *password,
                                   const char   *pin);
/* Plain request with a body of any type, no credentials, no pin. */
SimResp    *sim_request_body      (SoupSession  *session,
                                   const char   *url,
                                   const char   *method,
                                   const char   *content_type,
                                   const char   *body);
/* Starts a request and returns at once; *out is set when it completes. */
void        sim_request_start     (SoupSession  *session,
                                   BkSimCluster *sim,
                                   guint         node,
                                   const char   *method,
                                   const char   *path,
                                   SimResp     **out);

/* bk_test_wait_until() that also re-checks @predicate every 10 ms. */
void        sim_wait_until        (BkTestPredicate predicate,
                                   gpointer        data,
                                   guint           timeout_ms);

xmlDoc     *sim_resp_xml          (SimResp      *resp);   /* NULL if not XML */
char       *sim_xpath_string      (xmlDoc       *doc,
                                   const char   *xpath);
int         sim_xpath_count       (xmlDoc       *doc,
                                   const char   *xpath);
/* GET with the cluster's credentials; asserts a 200 text/xml reply. */
xmlDoc     *sim_get_xml           (SimFixture   *f,
                                   guint         node,
                                   const char   *path);
void        sim_assert_xpath      (xmlDoc       *doc,
                                   const char   *xpath,
                                   const char   *expected);
/* Polls GET @path on @node (sim_wait_until) until @xpath is @expected. */
void        sim_wait_xpath        (SimFixture   *f,
                                   guint         node,
                                   const char   *path,
                                   const char   *xpath,
                                   const char   *expected,
                                   guint         timeout_ms);
/* Last path segment of the Location header. */
char       *sim_location_id       (SimResp      *resp);
/* Asserts a failureDetails reply with @status and child element @reason. */
void        sim_assert_failure    (SimResp      *resp,
                                   guint         status,
                                   const char   *reason);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (xmlDoc, xmlFreeDoc)

/* Requests with the cluster's credentials, in a test whose fixture is f */
#define GET(node, path) sim_request (f->session, f->sim, (node), "GET", (path), NULL, TRUE)
#define SEND(node, method, path, form) sim_request (f->session, f->sim, (node), (method), (path), (form), TRUE)

G_END_DECLS
