/* test-sim-cluster.c: the simulator's cluster behaviour, node down/up, fault
 * injection, bulk syncs, calls and call legs, trace, counters, the control
 * interface and certificate replacement
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "bk-test-util.h"
#include "sim-test-util.h"

typedef SimFixture Fixture;

/* data != NULL: plain HTTP */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  sim_fixture_set_up (f, 1234, data == NULL);
}

static char *
post_id (Fixture    *f,
         guint       node,
         const char *path,
         const char *form)
{
  g_autoptr(SimResp) r = SEND (node, "POST", path, form);

  g_assert_no_error (r->error);
  g_assert_cmpuint (r->status, ==, 200);
  return sim_location_id (r);
}

/* ---- cluster ---- */

static void
test_shared_config (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *space = post_id (f, 0, "/api/v1/coSpaces", "name=Shared&uri=shared&callId=5555");
  g_autofree char *profile = post_id (f, 1, "/api/v1/callProfiles", "participantLimit=50");
  g_autofree char *form = g_strdup_printf ("coSpace=%s", space);
  g_autofree char *call = post_id (f, 0, "/api/v1/calls", form);
  g_autofree char *call_path = g_strdup_printf ("/api/v1/calls/%s", call);
  g_autofree char *profile_path = g_strdup_printf ("/api/v1/callProfiles/%s", profile);

  /* Configuration is shared, calls are per node. */
  {
    g_autoptr(xmlDoc) s1 = sim_get_xml (f, 1, "/api/v1/coSpaces");
    g_autoptr(xmlDoc) p0 = sim_get_xml (f, 0, profile_path);
    g_autoptr(xmlDoc) c0 = sim_get_xml (f, 0, "/api/v1/calls");
    g_autoptr(xmlDoc) c1 = sim_get_xml (f, 1, "/api/v1/calls");
    g_autoptr(SimResp) other = GET (1, call_path);

    sim_assert_xpath (s1, "/coSpaces/coSpace/@id", space);
    sim_assert_xpath (p0, "/callProfile/participantLimit", "50");
    sim_assert_xpath (c0, "/calls/@total", "1");
    sim_assert_xpath (c1, "/calls/@total", "0");
    sim_assert_failure (other, 404, "callDoesNotExist");
  }
  /* Every node lists every node, with its own address. */
  for (guint n = 0; n < 2; n++)
    {
      g_autoptr(xmlDoc) b = sim_get_xml (f, n, "/api/v1/callBridges");

      sim_assert_xpath (b, "/callBridges/@total", "2");
      for (guint i = 0; i < 2; i++)
        {
          g_autofree char *xp = g_strdup_printf ("/callBridges/callBridge[@id='%s']/name",
                                                 bk_sim_cluster_get_node_id (f->sim, i));

          sim_assert_xpath (b, xp, bk_sim_cluster_get_node_name (f->sim, i));
        }
    }
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, 0), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, 1), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_node_port (f->sim, 0), !=, bk_sim_cluster_get_node_port (f->sim, 1));
}

static void
test_node_down_up (Fixture       *f,
                   gconstpointer  data)
{
  guint port = bk_sim_cluster_get_node_port (f->sim, 1);
  g_autoptr(SimResp) before = GET (1, "/api/v1/system/status");
  g_autoptr(SimResp) down = NULL;
  g_autoptr(SimResp) other = NULL;
  g_autoptr(SimResp) after = NULL;
  g_autoptr(SoupSession) fresh = sim_session_new ();

  g_assert_cmpuint (before->status, ==, 200);
  bk_sim_cluster_set_node_up (f->sim, 1, FALSE);
  g_assert_false (bk_sim_cluster_get_node_up (f->sim, 1));
  /* Even the kept-alive connection of the old session must fail. */
  down = GET (1, "/api/v1/system/status");
  g_assert_nonnull (down->error);
  {
    g_autoptr(SimResp) refused = sim_request (fresh, f->sim, 1, "GET", "/api/v1/system/status", NULL, TRUE);

    g_assert_error (refused->error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  }
  other = GET (0, "/api/v1/system/status");
  g_assert_cmpuint (other->status, ==, 200);

  bk_sim_cluster_set_node_up (f->sim, 1, TRUE);
  g_assert_true (bk_sim_cluster_get_node_up (f->sim, 1));
  g_assert_cmpuint (bk_sim_cluster_get_node_port (f->sim, 1), ==, port);
  after = sim_request (fresh, f->sim, 1, "GET", "/api/v1/system/status", NULL, TRUE);
  g_assert_no_error (after->error);
  g_assert_cmpuint (after->status, ==, 200);
}

/* A node keeps a connection open between requests, as a bridge does: a
 * client pays for one TLS handshake, not one per request. */
static void
test_keep_alive (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(SimResp) first = GET (1, "/api/v1/system/status");
  g_autoptr(SimResp) second = GET (1, "/api/v1/coSpaces");
  g_autoptr(SimResp) other = GET (0, "/api/v1/system/status");

  g_assert_cmpuint (first->status, ==, 200);
  g_assert_cmpuint (second->status, ==, 200);
  g_assert_cmpuint (other->status, ==, 200);
  g_assert_cmpuint (first->connection, !=, 0);
  g_assert_cmpuint (second->connection, ==, first->connection);
  g_assert_cmpuint (other->connection, !=, first->connection);
}

/* A client in the same process as the simulator (the UI tests,
 * `bridgekeeper --demo`) checks the certificate in a callback on the main
 * thread while glib-networking's handshake threads wait for it. When a node
 * went down right then, with the main context not being iterated (a test
 * body, the exit of the program), SoupServer's own TLS closed the
 * half-shaken connection synchronously: it waited for the server's
 * handshake, which waited for the client's, which waited for the blocked
 * thread. Here the client runs on a context of its own, so the simulator's
 * context is not being iterated when the check runs. */
typedef struct
{
  BkSimCluster *sim;
  guint         checks;
  gboolean      done;
  SimResp      *resp;
} DownDuringHandshake;

static gboolean
down_on_check_cb (SoupMessage          *msg,
                  GTlsCertificate      *cert,
                  GTlsCertificateFlags  errors,
                  gpointer              data)
{
  DownDuringHandshake *d = data;

  d->checks++;
  bk_sim_cluster_set_node_up (d->sim, 1, FALSE);
  return TRUE;
}

static void
down_sent_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  DownDuringHandshake *d = data;
  g_autoptr(GBytes) bytes = NULL;

  d->resp = g_new0 (SimResp, 1);
  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &d->resp->error);
  d->done = TRUE;
}

static gpointer
watchdog_thread (gpointer data)
{
  volatile gboolean *done = data;

  for (guint waited = 0; waited < bk_test_scale_ms (60000); waited += 100)
    {
      if (*done)
        return NULL;
      g_usleep (100 * 1000);
    }
  /* The main thread is blocked, so the test cannot fail on its own. */
  g_printerr ("Bail out! the main thread is still blocked long after a node went down "
              "while the client was checking its certificate\n");
  abort ();
}

static void
test_down_during_handshake (Fixture       *f,
                            gconstpointer  data)
{
  DownDuringHandshake d = { .sim = f->sim };
  g_autofree char *url = g_strdup_printf ("%s/api/v1/system/status",
                                          bk_sim_cluster_get_node_url (f->sim, 1));
  g_autoptr(GMainContext) client_context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(SimResp) after = NULL;
  volatile gboolean watched_done = FALSE;
  GThread *watchdog = g_thread_new ("watchdog", watchdog_thread, (gpointer) &watched_done);
  gint64 deadline = g_get_monotonic_time () + bk_test_scale_ms (30000) * G_TIME_SPAN_MILLISECOND;

  g_main_context_push_thread_default (client_context);
  session = sim_session_new ();
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (down_on_check_cb), &d);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, down_sent_cb, &d);
  g_main_context_pop_thread_default (client_context);
  while (!d.done && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_main_context_push_thread_default (client_context);
      g_main_context_iteration (client_context, FALSE);
      g_main_context_pop_thread_default (client_context);
      g_usleep (1000);
    }
  watched_done = TRUE;
  g_thread_join (watchdog);
  g_assert_true (d.done);

  /* The check ran (so the node went down mid-handshake) and the request
   * failed as against a machine that went away. */
  g_assert_cmpuint (d.checks, ==, 1);
  g_assert_false (bk_sim_cluster_get_node_up (f->sim, 1));
  g_assert_nonnull (d.resp->error);
  sim_resp_free (d.resp);
  g_main_context_push_thread_default (client_context);
  g_clear_object (&session);
  g_main_context_pop_thread_default (client_context);

  /* The node serves again once it is back. */
  bk_sim_cluster_set_node_up (f->sim, 1, TRUE);
  after = GET (1, "/api/v1/system/status");
  g_assert_no_error (after->error);
  g_assert_cmpuint (after->status, ==, 200);
}

/* ---- faults ---- */

static void
test_fault_status (Fixture       *f,
                   gconstpointer  data)
{
  bk_sim_cluster_add_fault (f->sim, "GET", "/api/v1/coSpaces", BK_SIM_FAULT_HTTP_503, 1.0, 2);
  bk_sim_cluster_add_fault (f->sim, NULL, "/api/v1/call*", BK_SIM_FAULT_HTTP_500, 1.0, 1);
  {
    g_autoptr(SimResp) r1 = GET (0, "/api/v1/coSpaces");
    g_autoptr(SimResp) r2 = GET (1, "/api/v1/cospaces?limit=1");
    g_autoptr(SimResp) r3 = GET (0, "/api/v1/coSpaces");
    g_autoptr(SimResp) other = GET (0, "/api/v1/system/status");
    g_autoptr(SimResp) post = SEND (0, "POST", "/api/v1/coSpaces", "name=x");
    g_autoptr(SimResp) e1 = GET (0, "/api/v1/callLegs");
    g_autoptr(SimResp) e2 = GET (0, "/api/v1/callLegs");

    g_assert_cmpuint (r1->status, ==, 503);
    g_assert_cmpuint (r2->status, ==, 503);
    g_assert_cmpuint (r3->status, ==, 200);
    g_assert_cmpuint (other->status, ==, 200);
    g_assert_cmpuint (post->status, ==, 200);   /* method did not match */
    g_assert_cmpuint (e1->status, ==, 500);
    g_assert_cmpuint (e2->status, ==, 200);
  }
  /* A 503 must not have changed anything. */
  bk_sim_cluster_add_fault (f->sim, "POST", NULL, BK_SIM_FAULT_HTTP_503, 1.0, -1);
  {
    g_autoptr(SimResp) r = SEND (0, "POST", "/api/v1/coSpaces", "name=y");

    g_assert_cmpuint (r->status, ==, 503);
    g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (f->sim), ==, 1);
  }
  bk_sim_cluster_clear_faults (f->sim);
  {
    g_autoptr(SimResp) r = SEND (0, "POST", "/api/v1/coSpaces", "name=y");

    g_assert_cmpuint (r->status, ==, 200);
  }
}

static void
test_fault_reset_and_xml (Fixture       *f,
                          gconstpointer  data)
{
  g_free (bk_sim_cluster_add_cospace (f->sim, "One", "one", "1"));
  g_free (bk_sim_cluster_add_cospace (f->sim, "Two", "two", "2"));

  bk_sim_cluster_add_fault (f->sim, NULL, "/api/v1/system/status", BK_SIM_FAULT_RESET, 1.0, 1);
  {
    g_autoptr(SimResp) r = GET (0, "/api/v1/system/status");
    g_autoptr(SimResp) ok = GET (0, "/api/v1/system/status");

    g_assert_nonnull (r->error);
    g_assert_cmpuint (r->status, ==, 0);
    g_assert_cmpuint (ok->status, ==, 200);
  }
  bk_sim_cluster_add_fault (f->sim, NULL, "/api/v1/coSpaces", BK_SIM_FAULT_TRUNCATED_XML, 1.0, 1);
  {
    g_autoptr(SimResp) r = GET (0, "/api/v1/coSpaces");
    g_autoptr(xmlDoc) doc = NULL;

    g_assert_no_error (r->error);
    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpuint (r->len, >, 0);
    doc = sim_resp_xml (r);
    g_assert_null (doc);
  }
  bk_sim_cluster_add_fault (f->sim, NULL, "/api/v1/coSpaces", BK_SIM_FAULT_MALFORMED_XML, 1.0, 1);
  {
    g_autoptr(SimResp) r = GET (0, "/api/v1/coSpaces");
    g_autoptr(xmlDoc) doc = NULL;
    g_autoptr(SimResp) ok = GET (0, "/api/v1/coSpaces");
    g_autoptr(xmlDoc) okdoc = NULL;

    g_assert_cmpuint (r->status, ==, 200);
    doc = sim_resp_xml (r);
    g_assert_null (doc);
    okdoc = sim_resp_xml (ok);
    sim_assert_xpath (okdoc, "/coSpaces/@total", "2");
  }
}

static gboolean
resp_arrived (gpointer data)
{
  return *(SimResp **) data != NULL;
}

static gboolean
first_call_arrived (gpointer data)
{
  return bk_sim_cluster_get_request_count (data, 1, "GET", "/api/v1/calls") == 1;
}

static void
test_fault_no_answer (Fixture       *f,
                      gconstpointer  data)
{
  SimResp *held = NULL;
  g_autoptr(SoupSession) other_session = sim_session_new ();

  bk_sim_cluster_add_fault (f->sim, "GET", "/api/v1/calls", BK_SIM_FAULT_NO_ANSWER, 1.0, 1);
  sim_request_start (f->session, f->sim, 1, "GET", "/api/v1/calls", &held);
  /* The first request must be the one that takes the fault: the second
   * one's connection could otherwise be faster and hang instead. */
  sim_wait_until (first_call_arrived, f->sim, 20000);
  {
    /* Other requests are answered while that one hangs. */
    g_autoptr(SimResp) r = sim_request (other_session, f->sim, 1, "GET", "/api/v1/calls", NULL, TRUE);

    g_assert_cmpuint (r->status, ==, 200);
  }
  g_assert_null (held);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, 1, "GET", "/api/v1/calls"), ==, 2);
  /* Taking the node down drops the held request. */
  bk_sim_cluster_set_node_up (f->sim, 1, FALSE);
  sim_wait_until (resp_arrived, &held, 20000);
  g_assert_nonnull (held->error);
  g_assert_cmpuint (held->status, ==, 0);
  sim_resp_free (held);
}

static guint
count_faults (guint32 seed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BkSimCluster) sim = bk_sim_cluster_new (1);
  g_autoptr(SoupSession) session = sim_session_new ();
  guint mask = 0;

  bk_sim_cluster_set_tls (sim, FALSE);
  bk_sim_cluster_set_seed (sim, seed);
  g_assert_true (bk_sim_cluster_start (sim, &error));
  bk_sim_cluster_add_fault (sim, NULL, NULL, BK_SIM_FAULT_HTTP_503, 0.5, -1);
  bk_sim_cluster_set_latency (sim, 2, 3);
  for (guint i = 0; i < 16; i++)
    {
      g_autoptr(SimResp) r = sim_request (session, sim, 0, "GET", "/api/v1/system/status", NULL, TRUE);

      g_assert_true (r->status == 200 || r->status == 503);
      if (r->status == 503)
        mask |= 1u << i;
    }
  return mask;
}

static void
test_fault_probability_seeded (void)
{
  guint a = count_faults (99);
  guint b = count_faults (99);

  /* Same seed, same dice; with p = 0.5 some fire and some do not. */
  g_assert_cmpuint (a, ==, b);
  g_assert_cmpuint (a, !=, 0);
  g_assert_cmpuint (a, !=, 0xffff);
}

static void
test_latency (Fixture       *f,
              gconstpointer  data)
{
  SimResp *slow = NULL;

  bk_sim_cluster_set_latency (f->sim, 100000, 0);
  sim_request_start (f->session, f->sim, 0, "GET", "/api/v1/system/status", &slow);
  bk_test_spin (50);
  g_assert_null (slow);
  /* Delayed requests are still pending; a node going down drops them. */
  bk_sim_cluster_set_node_up (f->sim, 0, FALSE);
  sim_wait_until (resp_arrived, &slow, 20000);
  g_assert_nonnull (slow->error);
  sim_resp_free (slow);
  bk_sim_cluster_set_node_up (f->sim, 0, TRUE);
  bk_sim_cluster_set_latency (f->sim, 5, 5);
  {
    g_autoptr(SoupSession) fresh = sim_session_new ();
    g_autoptr(SimResp) r = sim_request (fresh, f->sim, 0, "GET", "/api/v1/system/status", NULL, TRUE);

    g_assert_cmpuint (r->status, ==, 200);
  }
}

/* ---- bulk syncs ---- */

static char *
bulk_sync (Fixture    *f,
           const char *set,
           const char *extra)
{
  g_autofree char *form = g_strdup_printf ("cospaceBulkParameterSet=%s%s", set, extra ? extra : "");

  return post_id (f, 0, "/api/v1/cospaceBulkSyncs", form);
}

static char *
sync_status (Fixture    *f,
             const char *sync)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/cospaceBulkSyncs/%s", sync);
  g_autoptr(xmlDoc) d = sim_get_xml (f, 1, path);

  return sim_xpath_string (d, "/cospaceBulkSync/status");
}

static void
test_bulk_sync (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *set = post_id (f, 0, "/api/v1/cospaceBulkParameterSets",
                                  "startIndex=10&endIndex=14&coSpaceUriMapping=slot.$index$&"
                                  "coSpaceNameMapping=Slot \\$$index$ \\\\&coSpaceCallIdMapping=77$index$&"
                                  "nonMemberAccess=false");
  g_autofree char *set_path = g_strdup_printf ("/api/v1/cospaceBulkParameterSets/%s", set);
  g_autofree char *sync = NULL;
  g_autofree char *status = NULL;

  {
    g_autoptr(xmlDoc) d = sim_get_xml (f, 1, set_path);

    sim_assert_xpath (d, "/cospaceBulkParameterSet/startIndex", "10");
    sim_assert_xpath (d, "/cospaceBulkParameterSet/coSpaceUriMapping", "slot.$index$");
  }

  /* Asynchronous: pending, running, complete. */
  bk_sim_cluster_set_bulk_sync_delay (f->sim, bk_test_scale_ms (2000));
  sync = bulk_sync (f, set, NULL);
  status = sync_status (f, sync);
  g_assert_true (g_str_equal (status, "pending") || g_str_equal (status, "running"));
  g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (f->sim), ==, 0);
  {
    g_autofree char *sync_path = g_strdup_printf ("/api/v1/cospaceBulkSyncs/%s", sync);

    if (g_str_equal (status, "pending"))
      sim_wait_xpath (f, 1, sync_path, "/cospaceBulkSync/status", "running", 10000);
    sim_wait_xpath (f, 1, sync_path, "/cospaceBulkSync/status", "complete", 10000);
  }
  g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (f->sim), ==, 5);
  {
    g_autoptr(xmlDoc) d = sim_get_xml (f, 0, "/api/v1/coSpaces");
    g_autoptr(xmlDoc) list = sim_get_xml (f, 0, "/api/v1/cospaceBulkSyncs");
    g_autofree char *id = sim_xpath_string (d, "/coSpaces/coSpace[1]/@id");
    g_autofree char *nma = bk_sim_cluster_dup_cospace_field (f->sim, id, "nonMemberAccess");

    sim_assert_xpath (d, "/coSpaces/coSpace[1]/name", "Slot $10 \\");
    sim_assert_xpath (d, "/coSpaces/coSpace[1]/uri", "slot.10");
    sim_assert_xpath (d, "/coSpaces/coSpace[5]/callId", "7714");
    g_assert_cmpstr (nma, ==, "false");
    sim_assert_xpath (list, "/cospaceBulkSyncs/@total", "1");
  }
  bk_sim_cluster_set_bulk_sync_delay (f->sim, 0);

  /* A re-sync regenerates from the current mappings. */
  {
    g_autoptr(SimResp) put = SEND (0, "PUT", set_path, "endIndex=12&coSpaceNameMapping=Room $index$");
    g_autofree char *s2 = NULL;
    g_autofree char *st = NULL;
    g_autoptr(xmlDoc) d = NULL;

    g_assert_cmpuint (put->status, ==, 200);
    s2 = bulk_sync (f, set, NULL);
    st = sync_status (f, s2);
    g_assert_cmpstr (st, ==, "complete");
    g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (f->sim), ==, 3);
    d = sim_get_xml (f, 0, "/api/v1/coSpaces");
    sim_assert_xpath (d, "/coSpaces/coSpace[3]/name", "Room 12");
  }

  /* Conflicts with other spaces. */
  {
    g_autofree char *clash = bk_sim_cluster_add_cospace (f->sim, "Clash", "slot.20", NULL);
    g_autofree char *clash2 = bk_sim_cluster_add_cospace (f->sim, "Clash2", NULL, "30");
    g_autofree char *uset = post_id (f, 0, "/api/v1/cospaceBulkParameterSets",
                                     "startIndex=20&endIndex=21&coSpaceUriMapping=slot.$index$");
    g_autofree char *cset = post_id (f, 0, "/api/v1/cospaceBulkParameterSets",
                                     "startIndex=29&endIndex=31&coSpaceCallIdMapping=$index$");
    g_autofree char *dset = post_id (f, 0, "/api/v1/cospaceBulkParameterSets",
                                     "startIndex=1&endIndex=2&coSpaceUriMapping=same");
    g_autofree char *bad = post_id (f, 0, "/api/v1/cospaceBulkParameterSets",
                                    "startIndex=9&endIndex=3&coSpaceUriMapping=x$index$");
    g_autofree char *big = post_id (f, 0, "/api/v1/cospaceBulkParameterSets",
                                    "startIndex=1&endIndex=100001&coSpaceUriMapping=x$index$");
    g_autofree char *edge = post_id (f, 0, "/api/v1/cospaceBulkParameterSets",
                                     "startIndex=1&endIndex=100000&coSpaceNameMapping=N$index$");
    g_autofree char *s_u = bulk_sync (f, uset, NULL);
    g_autofree char *s_c = bulk_sync (f, cset, NULL);
    g_autofree char *s_d = bulk_sync (f, dset, NULL);
    g_autofree char *s_b = bulk_sync (f, bad, NULL);
    g_autofree char *s_g = bulk_sync (f, big, NULL);
    g_autofree char *s_n = bulk_sync (f, "00000000-0000-4000-8000-000000000000", NULL);
    g_autofree char *st_u = sync_status (f, s_u);
    g_autofree char *st_c = sync_status (f, s_c);
    g_autofree char *st_d = sync_status (f, s_d);
    g_autofree char *st_b = sync_status (f, s_b);
    g_autofree char *st_g = sync_status (f, s_g);
    g_autofree char *st_n = sync_status (f, s_n);

    g_assert_cmpstr (st_u, ==, "failedCoSpaceUriConflict");
    g_assert_cmpstr (st_c, ==, "failedCallIdConflict");
    g_assert_cmpstr (st_d, ==, "failedCoSpaceUriConflict");
    g_assert_cmpstr (st_b, ==, "failedIndexRangeInvalid");
    g_assert_cmpstr (st_g, ==, "failedIndexRangeTooGreat");
    g_assert_cmpstr (st_n, ==, "failedNoSuchParameterSet");
    /* Failed syncs changed nothing. */
    g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (f->sim), ==, 5);
    (void) edge;
  }

  /* removeAll deletes the set's spaces only. */
  {
    g_autofree char *s3 = bulk_sync (f, set, "&removeAll=true");
    g_autofree char *st = sync_status (f, s3);

    g_assert_cmpstr (st, ==, "complete");
    g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (f->sim), ==, 2);
  }
}

/* ---- calls and legs ---- */

static void
test_calls_and_legs (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *space = bk_sim_cluster_add_cospace (f->sim, "Meeting", "meeting", "123");
  g_autofree char *space2 = bk_sim_cluster_add_cospace (f->sim, "Other", "other", "124");
  g_autofree char *form = g_strdup_printf ("coSpace=%s", space);
  g_autofree char *form2 = g_strdup_printf ("coSpace=%s", space2);
  g_autofree char *call = post_id (f, 0, "/api/v1/calls", form);
  g_autofree char *call2 = post_id (f, 0, "/api/v1/calls", form2);
  g_autofree char *legs_path = g_strdup_printf ("/api/v1/calls/%s/callLegs", call);
  g_autofree char *answered = NULL;
  g_autofree char *busy = NULL;
  g_autofree char *answered_path = NULL;
  g_autofree char *busy_path = NULL;

  bk_sim_cluster_set_call_leg_connect_delay (f->sim, bk_test_scale_ms (1500));
  bk_sim_cluster_set_unanswered_pattern (f->sim, "*@busy.example");
  answered = post_id (f, 0, legs_path, "remoteParty=alice@example.com");
  busy = post_id (f, 0, legs_path, "remoteParty=bob@busy.example");
  answered_path = g_strdup_printf ("/api/v1/callLegs/%s", answered);
  busy_path = g_strdup_printf ("/api/v1/callLegs/%s", busy);

  {
    g_autoptr(xmlDoc) leg = sim_get_xml (f, 0, answered_path);
    g_autoptr(xmlDoc) parts = sim_get_xml (f, 0, "/api/v1/participants");

    g_autofree char *state = sim_xpath_string (leg, "/callLeg/status/state");

    /* initial, then ringing (test-sim-fidelity checks the order) */
    g_assert_true (g_str_equal (state, "initial") || g_str_equal (state, "ringing"));
    sim_assert_xpath (leg, "/callLeg/remoteParty", "alice@example.com");
    sim_assert_xpath (leg, "/callLeg/call", call);
    sim_assert_xpath (parts, "/participants/@total", "0");
    sim_wait_xpath (f, 0, answered_path, "/callLeg/status/state", "connected", 10000);
  }
  {
    g_autoptr(xmlDoc) parts = sim_get_xml (f, 0, "/api/v1/participants");
    g_autoptr(xmlDoc) call_parts = NULL;
    g_autoptr(xmlDoc) filtered = NULL;
    g_autoptr(xmlDoc) c = NULL;
    g_autoptr(xmlDoc) st = sim_get_xml (f, 0, "/api/v1/system/status");
    g_autoptr(xmlDoc) st1 = sim_get_xml (f, 1, "/api/v1/system/status");
    g_autoptr(xmlDoc) call_legs = NULL;
    g_autofree char *cp = g_strdup_printf ("/api/v1/calls/%s/participants", call);
    g_autofree char *cpath = g_strdup_printf ("/api/v1/calls/%s", call);
    g_autofree char *fpath = g_strdup_printf ("/api/v1/calls?coSpaceFilter=%s", space2);
    g_autofree char *pid = NULL;

    /* The busy party still rings after the other one answered. */
    sim_wait_xpath (f, 0, busy_path, "/callLeg/status/state", "ringing", 10000);
    sim_assert_xpath (parts, "/participants/@total", "1");
    sim_assert_xpath (parts, "/participants/participant/name", "alice@example.com");
    sim_assert_xpath (parts, "/participants/participant/call", call);
    pid = sim_xpath_string (parts, "/participants/participant/@id");
    {
      g_autofree char *pp = g_strdup_printf ("/api/v1/participants/%s", pid);
      g_autoptr(xmlDoc) one = sim_get_xml (f, 0, pp);

      sim_assert_xpath (one, "/participant/status/state", "connected");
    }
    call_parts = sim_get_xml (f, 0, cp);
    sim_assert_xpath (call_parts, "/participants/@total", "1");
    c = sim_get_xml (f, 0, cpath);
    sim_assert_xpath (c, "/call/numCallLegs", "2");
    sim_assert_xpath (c, "/call/numParticipantsLocal", "1");
    sim_assert_xpath (c, "/call/coSpace", space);
    g_assert_cmpint (sim_xpath_count (c, "/call/durationSeconds"), ==, 1);
    filtered = sim_get_xml (f, 0, fpath);
    sim_assert_xpath (filtered, "/calls/@total", "1");
    sim_assert_xpath (filtered, "/calls/call/@id", call2);
    call_legs = sim_get_xml (f, 0, legs_path);
    sim_assert_xpath (call_legs, "/callLegs/@total", "2");
    /* Status follows the live calls of this node only. */
    sim_assert_xpath (st, "/status/callLegsActive", "2");
    sim_assert_xpath (st, "/status/callLegsMaxActive", "2");
    sim_assert_xpath (st, "/status/audioBitRateOutgoing", "64000");
    sim_assert_xpath (st, "/status/videoBitRateIncoming", "1536000");
    sim_assert_xpath (st1, "/status/callLegsActive", "0");
    sim_assert_xpath (st1, "/status/audioBitRateOutgoing", "0");
  }
  {
    g_autoptr(SimResp) del = SEND (0, "DELETE", busy_path, NULL);
    g_autoptr(SimResp) gone = GET (0, busy_path);
    g_autoptr(SimResp) bad = SEND (0, "POST", legs_path, "name=nobody");
    g_autofree char *cpath = g_strdup_printf ("/api/v1/calls/%s", call);
    g_autoptr(SimResp) end = SEND (0, "DELETE", cpath, NULL);
    g_autoptr(xmlDoc) st = sim_get_xml (f, 0, "/api/v1/system/status");
    g_autoptr(SimResp) nolegs = SEND (0, "POST", legs_path, "remoteParty=x@y");

    g_assert_cmpuint (del->status, ==, 200);
    sim_assert_failure (gone, 404, "callLegDoesNotExist");
    sim_assert_failure (bad, 400, "parameterError");
    g_assert_cmpuint (end->status, ==, 200);
    sim_assert_xpath (st, "/status/callLegsActive", "0");
    sim_assert_xpath (st, "/status/callLegsCompleted", "2");
    sim_assert_failure (nolegs, 404, "callDoesNotExist");
    g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, -1), ==, 0);
  }
  {
    g_autoptr(SimResp) r = SEND (0, "POST", "/api/v1/calls", "coSpace=00000000-0000-4000-8000-000000000000");

    sim_assert_failure (r, 400, "coSpaceDoesNotExist");
  }
}

/* ---- trace and counters ---- */

static void
test_trace_masking (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *id = bk_sim_cluster_add_cospace (f->sim, "Secretive", "secretive", "31337");
  g_autofree char *path = g_strdup_printf ("/api/v1/cospaces/%s", id);
  g_autoptr(SimResp) put = SEND (0, "PUT", path, "nonMemberAccess=true&passcode=9876&name=Hidden&secret=topsecretvalue");
  g_autofree char *pid = post_id (f, 1, "/api/v1/callProfiles", "participantLimit=1000&messageBoardEnabled=false");
  g_autoptr(SimResp) unauth = sim_request (f->session, f->sim, 0, "GET", "/api/v1/coSpaces", NULL, FALSE);
  g_autofree char *trace = bk_sim_cluster_dup_trace (f->sim);
  g_autofree char *line = NULL;
  g_autofree char *loc = NULL;

  g_assert_cmpuint (put->status, ==, 200);
  g_assert_null (strstr (trace, "9876"));
  g_assert_null (strstr (trace, "topsecretvalue"));
  g_assert_null (strstr (trace, BK_SIM_DEFAULT_PASSWORD));
  g_assert_nonnull (strstr (trace, "passcode=*****&"));
  g_assert_nonnull (strstr (trace, "secret=*****"));
  g_assert_nonnull (strstr (trace, "name=Hidden&"));
  line = g_strdup_printf ("CallBridge-Core1 host:server: INFO : API trace 1: PUT for \"%s\" (from 127.0.0.1)", path);
  g_assert_nonnull (strstr (trace, line));
  g_assert_nonnull (strstr (trace, "API trace 1: content data size 68, type \"application/x-www-form-urlencoded\":"));
  g_assert_nonnull (strstr (trace, "API trace 1: sending 200 response, size 0"));
  g_assert_nonnull (strstr (trace, "CallBridge-Core2 host:server: INFO : API trace 1: POST for \"/api/v1/callProfiles\""));
  loc = g_strdup_printf ("CallBridge-Core2 host:server: INFO : API trace 1: Location: /api/v1/callProfiles/%s", pid);
  g_assert_nonnull (strstr (trace, loc));
  {
    g_autofree char *audit = g_strdup_printf ("CallBridge-Core2 host:server: INFO : 127.0.0.1: API user \"admin\" "
                                              "created new call profile %s\n", pid);
    g_autofree char *audit2 = g_strdup_printf ("CallBridge-Core1 host:server: INFO : 127.0.0.1: API user \"admin\" "
                                               "modified space %s\n", id);

    g_assert_nonnull (strstr (trace, audit));
    g_assert_nonnull (strstr (trace, audit2));
  }
  g_assert_nonnull (strstr (trace, "API trace 2: sending 401 response, size 0"));
  g_assert_nonnull (strstr (trace, "API trace 2: WWW-Authenticate: Basic realm=\"acano\""));
  bk_sim_cluster_clear_trace (f->sim);
  g_free (trace);
  trace = bk_sim_cluster_dup_trace (f->sim);
  g_assert_cmpstr (trace, ==, "");
}

static void
test_trace_reply_lines (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *id = bk_sim_cluster_add_cospace (f->sim, "Cool Bridge Space", "cool.bridge.space", "497540167");
  g_autoptr(SimResp) r = GET (0, "/api/v1/coSpaces");
  g_autofree char *trace = bk_sim_cluster_dup_trace (f->sim);
  g_autofree char *size = g_strdup_printf ("API trace 1: sending 200 response, size %" G_GSIZE_FORMAT "\n", r->len);

  g_assert_nonnull (strstr (trace, size));
  g_assert_nonnull (strstr (trace, "API trace 1: <coSpaces total=\"1\">\n"));
  g_assert_nonnull (strstr (trace, "API trace 1: <name>Cool Bridge Space</name>\n"));
  g_assert_nonnull (strstr (trace, "API trace 1: <callId>497540167</callId>\n"));
  g_assert_nonnull (strstr (trace, "API trace 1: </coSpaces>\n"));
}

static void
test_counters (Fixture       *f,
               gconstpointer  data)
{
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SimResp) r = GET (0, "/api/v1/coSpaces");
    }
  {
    g_autoptr(SimResp) r1 = GET (1, "/api/v1/cospaces?limit=5");
    g_autoptr(SimResp) r2 = SEND (1, "POST", "/api/v1/coSpaces", "name=a");
    g_autoptr(SimResp) r3 = GET (0, "/api/v1/system/status");
  }
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, NULL, NULL), ==, 6);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, 0, NULL, NULL), ==, 4);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, 1, NULL, NULL), ==, 2);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "GET", "/api/v1/coSpaces"), ==, 4);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "POST", NULL), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, 0, NULL, "/api/v1/system"), ==, 1);
  bk_sim_cluster_reset_counters (f->sim);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, NULL, NULL), ==, 0);
}

/* ---- control interface ---- */

static JsonObject *
control (Fixture    *f,
         const char *method,
         const char *path,
         const char *json,
         guint       want_status)
{
  g_autofree char *url = g_strconcat (bk_sim_cluster_get_control_url (f->sim), path, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  SimResp *resp;

  resp = sim_request_body (f->session, url, method, "application/json", json);
  g_assert_no_error (resp->error);
  g_assert_cmpuint (resp->status, ==, want_status);
  if (!g_str_has_prefix (resp->body, "{"))
    {
      sim_resp_free (resp);
      return NULL;
    }
  g_assert_true (json_parser_load_from_data (parser, resp->body, -1, &error));
  sim_resp_free (resp);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_control (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bk_sim_cluster_start_control (f->sim, 0, &error));
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (bk_sim_cluster_get_control_url (f->sim), "http://127.0.0.1:"));
  {
    g_autoptr(JsonObject) st = control (f, "GET", "/state", NULL, 200);
    JsonArray *nodes = json_object_get_array_member (st, "nodes");

    g_assert_cmpuint (json_array_get_length (nodes), ==, 2);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (nodes, 1), "url"), ==,
                     bk_sim_cluster_get_node_url (f->sim, 1));
    g_assert_true (json_object_get_boolean_member (json_array_get_object_element (nodes, 1), "up"));
  }
  json_object_unref (control (f, "POST", "/nodes/1/down", NULL, 200));
  g_assert_false (bk_sim_cluster_get_node_up (f->sim, 1));
  json_object_unref (control (f, "POST", "/nodes/1/up", NULL, 200));
  g_assert_true (bk_sim_cluster_get_node_up (f->sim, 1));
  json_object_unref (control (f, "POST", "/nodes/7/up", NULL, 400));

  json_object_unref (control (f, "POST", "/faults",
                              "{\"kind\":\"http-503\",\"method\":\"GET\",\"path\":\"/api/v1/system\",\"count\":1}", 200));
  json_object_unref (control (f, "POST", "/faults", "{\"kind\":\"explode\"}", 400));
  {
    g_autoptr(SoupSession) s = sim_session_new ();
    g_autoptr(SimResp) r1 = sim_request (s, f->sim, 1, "GET", "/api/v1/system/status", NULL, TRUE);
    g_autoptr(SimResp) r2 = sim_request (s, f->sim, 1, "GET", "/api/v1/system/status", NULL, TRUE);

    g_assert_cmpuint (r1->status, ==, 503);
    g_assert_cmpuint (r2->status, ==, 200);
  }
  {
    g_autoptr(JsonObject) c = control (f, "GET", "/counters?node=1&method=GET&path=/api/v1/system", NULL, 200);

    g_assert_cmpint (json_object_get_int_member (c, "count"), ==, 2);
  }
  {
    g_autoptr(JsonObject) a = control (f, "POST", "/alarms", "{\"type\":\"cdrConnectionFailure\"}", 200);
    g_autoptr(xmlDoc) d = sim_get_xml (f, 0, "/api/v1/system/alarms");

    sim_assert_xpath (d, "/alarms/alarm/@id", json_object_get_string_member (a, "id"));
  }
  {
    g_autoptr(JsonObject) s = control (f, "POST", "/cospaces", "{\"name\":\"Ctl\",\"uri\":\"ctl\",\"callId\":\"42\"}", 200);
    g_autoptr(JsonObject) dup = control (f, "POST", "/cospaces", "{\"name\":\"Ctl\",\"uri\":\"ctl\"}", 400);

    g_assert_cmpuint (strlen (json_object_get_string_member (s, "id")), ==, 36);
    g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (f->sim), ==, 1);
  }
  json_object_unref (control (f, "POST", "/settings", "{\"pageCap\":3}", 200));
  {
    g_autoptr(xmlDoc) d = NULL;

    for (guint i = 0; i < 5; i++)
      {
        g_autofree char *n = g_strdup_printf ("P%u", i);

        g_free (bk_sim_cluster_add_cospace (f->sim, n, NULL, NULL));
      }
    d = sim_get_xml (f, 0, "/api/v1/coSpaces");
    g_assert_cmpint (sim_xpath_count (d, "/coSpaces/coSpace"), ==, 3);
  }
  {
    g_autofree char *url = g_strconcat (bk_sim_cluster_get_control_url (f->sim), "/trace", NULL);
    g_autoptr(SimResp) t = sim_request_url (f->session, url, "GET", NULL, NULL, NULL, NULL);

    g_assert_cmpuint (t->status, ==, 200);
    g_assert_nonnull (strstr (t->body, "API trace"));
  }
  {
    /* Per-node users and certificates. */
    g_autoptr(JsonObject) st = NULL;
    g_autoptr(JsonObject) cert = NULL;
    g_autofree char *old = g_strdup (bk_sim_cluster_get_node_certificate_sha256 (f->sim, 1));
    JsonObject *n1;

    json_object_unref (control (f, "POST", "/nodes/1/credentials",
                                "{\"username\":\"cb2-api\",\"password\":\"pw2\"}", 200));
    json_object_unref (control (f, "POST", "/nodes/1/credentials", "{\"username\":\"x\"}", 400));
    g_assert_cmpstr (bk_sim_cluster_get_node_username (f->sim, 1), ==, "cb2-api");
    cert = control (f, "POST", "/nodes/1/certificate", NULL, 200);
    g_assert_cmpstr (json_object_get_string_member (cert, "certificateSha256"), !=, old);
    g_assert_cmpstr (json_object_get_string_member (cert, "certificateSha256"), ==,
                     bk_sim_cluster_get_node_certificate_sha256 (f->sim, 1));
    st = control (f, "GET", "/state", NULL, 200);
    n1 = json_array_get_object_element (json_object_get_array_member (st, "nodes"), 1);
    g_assert_cmpstr (json_object_get_string_member (n1, "username"), ==, "cb2-api");
    g_assert_cmpstr (json_object_get_string_member (n1, "certificateSha256"), ==,
                     bk_sim_cluster_get_node_certificate_sha256 (f->sim, 1));
    {
      g_autoptr(SimResp) r = GET (1, "/api/v1/system/status");

      g_assert_cmpuint (r->status, ==, 200);
    }
    json_object_unref (control (f, "POST", "/nodes/1/credentials", "{}", 200));
    g_assert_cmpstr (bk_sim_cluster_get_node_username (f->sim, 1), ==, BK_SIM_DEFAULT_USERNAME);
  }
  json_object_unref (control (f, "POST", "/settings",
                              "{\"failingPattern\":\"*@down.example\",\"bulkSyncRate\":0,\"pageCap\":10}", 200));
  {
    g_autofree char *space = bk_sim_cluster_add_cospace (f->sim, "Fail", "fail", "4242");
    g_autofree char *form = g_strdup_printf ("coSpace=%s", space);
    g_autofree char *call = post_id (f, 0, "/api/v1/calls", form);
    g_autofree char *legs = g_strdup_printf ("/api/v1/calls/%s/callLegs", call);
    g_autofree char *leg = post_id (f, 0, legs, "remoteParty=x@down.example");
    g_autofree char *leg_path = g_strdup_printf ("/api/v1/callLegs/%s", leg);
    g_autoptr(SimResp) gone = GET (0, leg_path);

    sim_assert_failure (gone, 404, "callLegDoesNotExist");
  }
  json_object_unref (control (f, "POST", "/reset", NULL, 200));
  g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (f->sim), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, NULL, NULL), ==, 0);
  json_object_unref (control (f, "DELETE", "/faults", NULL, 200));
  json_object_unref (control (f, "GET", "/nope", NULL, 404));
}

/* ---- TLS ---- */

static void
test_replace_certificate (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *old_pin = g_strdup (bk_sim_cluster_get_certificate_sha256 (f->sim));
  g_autofree char *url = g_strconcat (bk_sim_cluster_get_node_url (f->sim, 0), "/api/v1/system/status", NULL);
  guint port = bk_sim_cluster_get_node_port (f->sim, 0);
  g_autoptr(SoupSession) s1 = sim_session_new ();
  g_autoptr(SoupSession) s2 = sim_session_new ();
  g_autoptr(SimResp) before = sim_request_url (s1, url, "GET", NULL, "admin", BK_SIM_DEFAULT_PASSWORD, old_pin);
  g_autoptr(SimResp) old = NULL;
  g_autoptr(SimResp) fresh = NULL;

  g_assert_cmpuint (before->status, ==, 200);
  g_assert_true (bk_sim_cluster_replace_certificate (f->sim, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (bk_sim_cluster_get_certificate_sha256 (f->sim), !=, old_pin);
  g_assert_cmpuint (bk_sim_cluster_get_node_port (f->sim, 0), ==, port);
  old = sim_request_url (s2, url, "GET", NULL, "admin", BK_SIM_DEFAULT_PASSWORD, old_pin);
  g_assert_error (old->error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  fresh = sim_request (s2, f->sim, 0, "GET", "/api/v1/system/status", NULL, TRUE);
  g_assert_cmpuint (fresh->status, ==, 200);
  g_assert_true (g_str_has_prefix (bk_sim_cluster_get_certificate_pem (f->sim), "-----BEGIN CERTIFICATE-----"));
}

static void
test_cached_certificate (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BkSimCluster) a = bk_sim_cluster_new (1);
  g_autoptr(BkSimCluster) b = bk_sim_cluster_new (1);
  g_autofree char *pem = g_build_filename (g_get_user_cache_dir (), "bridgekeeper-cms-sim",
                                           "certificate-and-key.pem", NULL);

  /* Generated on first start, then reused. */
  g_assert_true (bk_sim_cluster_start (a, &error));
  g_assert_true (bk_sim_cluster_start (b, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (pem, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpstr (bk_sim_cluster_get_certificate_sha256 (a), ==, bk_sim_cluster_get_certificate_sha256 (b));
}

/* ---- per-node certificates and API users ---- */

static SimResp *
request_as (SoupSession  *session,
            BkSimCluster *sim,
            guint         node,
            const char   *user,
            const char   *password,
            const char   *pin)
{
  g_autofree char *url = g_strconcat (bk_sim_cluster_get_node_url (sim, node), "/api/v1/system/status", NULL);

  return sim_request_url (session, url, "GET", NULL, user, password, pin);
}

static void
test_per_node_certificates (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BkSimCluster) sim = bk_sim_cluster_new (3);
  g_autoptr(SoupSession) session = sim_session_new ();
  g_autofree char *old1 = NULL;
  const char *u = BK_SIM_DEFAULT_USERNAME, *p = BK_SIM_DEFAULT_PASSWORD;

  bk_sim_cluster_set_per_node_certificates (sim, TRUE);
  g_assert_true (bk_sim_cluster_start (sim, &error));
  g_assert_no_error (error);

  /* Three different certificates; the cluster's is the first node's. */
  for (guint i = 0; i < 3; i++)
    {
      g_assert_true (g_regex_match_simple ("^[0-9a-f]{64}$", bk_sim_cluster_get_node_certificate_sha256 (sim, i), 0, 0));
      g_assert_true (g_str_has_prefix (bk_sim_cluster_get_node_certificate_pem (sim, i), "-----BEGIN CERTIFICATE-----"));
      for (guint j = 0; j < i; j++)
        g_assert_cmpstr (bk_sim_cluster_get_node_certificate_sha256 (sim, i), !=,
                         bk_sim_cluster_get_node_certificate_sha256 (sim, j));
    }
  g_assert_cmpstr (bk_sim_cluster_get_certificate_sha256 (sim), ==, bk_sim_cluster_get_node_certificate_sha256 (sim, 0));

  /* Each node serves its own: a pin of another node is refused. */
  for (guint i = 0; i < 3; i++)
    {
      /* A session each: a kept-alive connection is not checked again. */
      g_autoptr(SoupSession) s = sim_session_new ();
      g_autoptr(SoupSession) s2 = sim_session_new ();
      g_autoptr(SimResp) own = request_as (s, sim, i, u, p, bk_sim_cluster_get_node_certificate_sha256 (sim, i));
      g_autoptr(SimResp) other = request_as (s2, sim, i, u, p, bk_sim_cluster_get_node_certificate_sha256 (sim, (i + 1) % 3));

      g_assert_no_error (own->error);
      g_assert_cmpuint (own->status, ==, 200);
      g_assert_error (other->error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
    }

  /* A new certificate for node 1 only, on the same port. */
  old1 = g_strdup (bk_sim_cluster_get_node_certificate_sha256 (sim, 1));
  {
    g_autofree char *old0 = g_strdup (bk_sim_cluster_get_node_certificate_sha256 (sim, 0));
    guint port = bk_sim_cluster_get_node_port (sim, 1);
    g_autoptr(SimResp) stale = NULL;
    g_autoptr(SimResp) fresh = NULL;
    g_autoptr(SimResp) zero = NULL;

    g_assert_true (bk_sim_cluster_replace_node_certificate (sim, 1, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (bk_sim_cluster_get_node_certificate_sha256 (sim, 1), !=, old1);
    g_assert_cmpstr (bk_sim_cluster_get_node_certificate_sha256 (sim, 0), ==, old0);
    g_assert_cmpuint (bk_sim_cluster_get_node_port (sim, 1), ==, port);
    stale = request_as (session, sim, 1, u, p, old1);
    g_clear_object (&session);
    session = sim_session_new ();
    fresh = request_as (session, sim, 1, u, p, bk_sim_cluster_get_node_certificate_sha256 (sim, 1));
    zero = request_as (session, sim, 0, u, p, old0);
    g_assert_error (stale->error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
    g_assert_cmpuint (fresh->status, ==, 200);
    g_assert_cmpuint (zero->status, ==, 200);
  }
  /* The cluster's new certificate leaves the nodes with their own alone. */
  {
    g_autofree char *own1 = g_strdup (bk_sim_cluster_get_node_certificate_sha256 (sim, 1));
    g_autofree char *own2 = g_strdup (bk_sim_cluster_get_node_certificate_sha256 (sim, 2));
    g_autofree char *old0 = g_strdup (bk_sim_cluster_get_node_certificate_sha256 (sim, 0));

    g_assert_true (bk_sim_cluster_replace_certificate (sim, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (bk_sim_cluster_get_node_certificate_sha256 (sim, 0), !=, old0);
    g_assert_cmpstr (bk_sim_cluster_get_node_certificate_sha256 (sim, 1), ==, own1);
    g_assert_cmpstr (bk_sim_cluster_get_node_certificate_sha256 (sim, 2), ==, own2);
  }
}

static void
test_node_certificate_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BkSimCluster) sim = bk_sim_cluster_new (2);
  g_autoptr(SoupSession) session = sim_session_new ();
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *cert_path = g_build_filename (bk_test_get_tmpdir (), "node2-cert.pem", NULL);
  g_autofree char *key_path = g_build_filename (bk_test_get_tmpdir (), "node2-key.pem", NULL);
  const char *argv[] = {
    "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
    "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-keyout", key_path, "-out", cert_path, NULL,
  };
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  cert = g_tls_certificate_new_from_file (cert_path, &error);
  g_assert_no_error (error);
  g_object_get (cert, "certificate", &der, NULL);
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);

  /* Without per-node certificates, node 1 still serves the file it got. */
  g_assert_true (bk_sim_cluster_set_node_certificate_files (sim, 1, cert_path, key_path, &error));
  g_assert_no_error (error);
  g_assert_false (bk_sim_cluster_set_node_certificate_files (sim, 0, key_path, "/nonexistent", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_true (bk_sim_cluster_start (sim, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (bk_sim_cluster_get_node_certificate_sha256 (sim, 1), ==, sha);
  g_assert_cmpstr (bk_sim_cluster_get_node_certificate_sha256 (sim, 0), !=, sha);
  {
    g_autoptr(SimResp) r = request_as (session, sim, 1, BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD, sha);

    g_assert_no_error (r->error);
    g_assert_cmpuint (r->status, ==, 200);
  }
}

static void
test_per_node_credentials (Fixture       *f,
                           gconstpointer  data)
{
  const char *pin0 = bk_sim_cluster_get_node_certificate_sha256 (f->sim, 0);
  const char *pin1 = bk_sim_cluster_get_node_certificate_sha256 (f->sim, 1);
  const char *u = BK_SIM_DEFAULT_USERNAME, *p = BK_SIM_DEFAULT_PASSWORD;

  bk_sim_cluster_set_node_credentials (f->sim, 1, "cb2-api", "second-secret");
  g_assert_cmpstr (bk_sim_cluster_get_node_username (f->sim, 1), ==, "cb2-api");
  g_assert_cmpstr (bk_sim_cluster_get_node_password (f->sim, 1), ==, "second-secret");
  g_assert_cmpstr (bk_sim_cluster_get_node_username (f->sim, 0), ==, u);
  g_assert_cmpstr (bk_sim_cluster_get_username (f->sim), ==, u);
  {
    /* Each node knows its own user only, as MMP users are per node. */
    g_autoptr(SimResp) own1 = request_as (f->session, f->sim, 1, "cb2-api", "second-secret", pin1);
    g_autoptr(SimResp) primary_on_1 = request_as (f->session, f->sim, 1, u, p, pin1);
    g_autoptr(SimResp) second_on_0 = request_as (f->session, f->sim, 0, "cb2-api", "second-secret", pin0);
    g_autoptr(SimResp) own0 = request_as (f->session, f->sim, 0, u, p, pin0);
    g_autoptr(SimResp) wrong = request_as (f->session, f->sim, 1, "cb2-api", p, pin1);

    g_assert_cmpuint (own1->status, ==, 200);
    g_assert_cmpuint (primary_on_1->status, ==, 401);
    g_assert_cmpstr (soup_message_headers_get_one (primary_on_1->headers, "WWW-Authenticate"), ==,
                     "Basic realm=\"acano\"");
    g_assert_cmpuint (second_on_0->status, ==, 401);
    g_assert_cmpuint (own0->status, ==, 200);
    g_assert_cmpuint (wrong->status, ==, 401);
  }
  {
    /* The audit line names the node's own user; its password is masked. */
    g_autoptr(SimResp) r = SEND (1, "POST", "/api/v1/callProfiles", "participantLimit=5");
    g_autofree char *id = sim_location_id (r);
    g_autofree char *trace = bk_sim_cluster_dup_trace (f->sim);
    g_autofree char *audit = g_strdup_printf ("CallBridge-Core2 host:server: INFO : 127.0.0.1: API user \"cb2-api\" "
                                              "created new call profile %s\n", id);

    g_assert_nonnull (strstr (trace, audit));
    g_assert_null (strstr (trace, "second-secret"));
  }
  /* NULL: the cluster's user again. */
  bk_sim_cluster_set_node_credentials (f->sim, 1, NULL, NULL);
  {
    g_autoptr(SimResp) back = request_as (f->session, f->sim, 1, u, p, pin1);
    g_autoptr(SimResp) gone = request_as (f->session, f->sim, 1, "cb2-api", "second-secret", pin1);

    g_assert_cmpuint (back->status, ==, 200);
    g_assert_cmpuint (gone->status, ==, 401);
  }
}

static void
test_demo_cluster_nodes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BkSimCluster) sim = bk_sim_cluster_new_demo (&error);
  g_autoptr(SoupSession) session = sim_session_new ();
  const char *pin0, *pin1;

  g_assert_no_error (error);
  pin0 = bk_sim_cluster_get_node_certificate_sha256 (sim, 0);
  pin1 = bk_sim_cluster_get_node_certificate_sha256 (sim, 1);
  /* As a real cluster: a certificate per node, node 2 with its own user. */
  g_assert_cmpstr (pin0, !=, pin1);
  g_assert_cmpstr (bk_sim_cluster_get_node_username (sim, 0), ==, BK_SIM_DEFAULT_USERNAME);
  g_assert_cmpstr (bk_sim_cluster_get_node_username (sim, 1), ==, BK_SIM_DEMO_NODE2_USERNAME);
  g_assert_cmpstr (bk_sim_cluster_get_node_password (sim, 1), ==, BK_SIM_DEMO_NODE2_PASSWORD);
  g_assert_cmpstr (BK_SIM_DEMO_NODE2_USERNAME, !=, BK_SIM_DEFAULT_USERNAME);
  {
    g_autoptr(SimResp) r0 = request_as (session, sim, 0, BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD, pin0);
    g_autoptr(SimResp) r1 = request_as (session, sim, 1, BK_SIM_DEMO_NODE2_USERNAME, BK_SIM_DEMO_NODE2_PASSWORD, pin1);
    g_autoptr(SimResp) mixed = request_as (session, sim, 1, BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD, pin1);
    g_autoptr(SoupSession) fresh = sim_session_new ();
    g_autoptr(SimResp) wrong_pin = request_as (fresh, sim, 1, BK_SIM_DEMO_NODE2_USERNAME,
                                               BK_SIM_DEMO_NODE2_PASSWORD, pin0);

    g_assert_cmpuint (r0->status, ==, 200);
    g_assert_cmpuint (r1->status, ==, 200);
    g_assert_cmpuint (mixed->status, ==, 401);
    g_assert_error (wrong_pin->error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  }
}

static void
test_plain_http (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(SimResp) r = GET (0, "/api/v1/system/status");

  g_assert_true (g_str_has_prefix (bk_sim_cluster_get_node_url (f->sim, 0), "http://127.0.0.1:"));
  g_assert_null (bk_sim_cluster_get_certificate_sha256 (f->sim));
  g_assert_cmpuint (r->status, ==, 200);
}

int
main (int   argc,
      char *argv[])
{
  bk_test_init (&argc, &argv);

#define ADD(name, fn) g_test_add (name, Fixture, NULL, fixture_setup, fn, sim_fixture_tear_down)
  ADD ("/sim/cluster/shared-config", test_shared_config);
  ADD ("/sim/cluster/node-down-up", test_node_down_up);
  ADD ("/sim/faults/status", test_fault_status);
  ADD ("/sim/faults/reset-and-xml", test_fault_reset_and_xml);
  ADD ("/sim/faults/no-answer", test_fault_no_answer);
  ADD ("/sim/faults/latency", test_latency);
  ADD ("/sim/bulk/sync", test_bulk_sync);
  ADD ("/sim/calls/legs", test_calls_and_legs);
  ADD ("/sim/trace/masking", test_trace_masking);
  ADD ("/sim/trace/reply-lines", test_trace_reply_lines);
  ADD ("/sim/counters", test_counters);
  ADD ("/sim/control", test_control);
  ADD ("/sim/tls/replace-certificate", test_replace_certificate);
  ADD ("/sim/tls/down-during-handshake", test_down_during_handshake);
  ADD ("/sim/tls/keep-alive", test_keep_alive);
  ADD ("/sim/nodes/per-node-credentials", test_per_node_credentials);
#undef ADD
  g_test_add ("/sim/tls/plain-http", Fixture, GINT_TO_POINTER (1), fixture_setup, test_plain_http, sim_fixture_tear_down);
  g_test_add_func ("/sim/faults/probability-seeded", test_fault_probability_seeded);
  g_test_add_func ("/sim/tls/cached-certificate", test_cached_certificate);
  g_test_add_func ("/sim/nodes/per-node-certificates", test_per_node_certificates);
  g_test_add_func ("/sim/nodes/certificate-files", test_node_certificate_files);
  g_test_add_func ("/sim/nodes/demo", test_demo_cluster_nodes);

  return g_test_run ();
}
