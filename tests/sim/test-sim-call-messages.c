/* test-sim-call-messages.c: the simulator's call messages (messageText,
 * messagePosition, messageDuration: "From version 2.1" in apiary.apib) and
 * the reset-after-effect fault (the request takes effect, the reply is
 * lost), over HTTPS on loopback
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestSimCallMessages"

#include "config.h"

#include <string.h>

#include "sim-test-util.h"

static void
fixture_set_up (SimFixture    *f,
                gconstpointer  data)
{
  sim_fixture_set_up (f, 42, TRUE);
}

/* A call in a new space; returns the call's id. */
static char *
post_call (SimFixture *f,
           const char *extra)
{
  g_autofree char *space = bk_sim_cluster_add_cospace (f->sim, "Messages", "messages", "4242");
  g_autofree char *form = g_strdup_printf ("coSpace=%s%s", space, extra != NULL ? extra : "");
  g_autoptr(SimResp) resp = SEND (0, "POST", "/api/v1/calls", form);

  g_assert_cmpuint (resp->status, ==, 200);
  return sim_location_id (resp);
}

/* GET /calls/<id> has messagePosition and messageDuration always (middle
 * and 0, as apiary's sample), messageText once set; PUT sets them, with
 * apiary's values (top|middle|bottom; seconds or "permanent"), and refuses
 * others with parameterError; POST takes them too. */
static void
test_call_messages (SimFixture    *f,
                    gconstpointer  data)
{
  g_autofree char *call = post_call (f, NULL);
  g_autofree char *path = g_strdup_printf ("/api/v1/calls/%s", call);
  g_autoptr(xmlDoc) before = sim_get_xml (f, 0, path);
  g_autoptr(xmlDoc) after = NULL;
  g_autoptr(xmlDoc) permanent = NULL;

  sim_assert_xpath (before, "/call/messagePosition", "middle");
  sim_assert_xpath (before, "/call/messageDuration", "0");
  g_assert_cmpint (sim_xpath_count (before, "/call/messageText"), ==, 0);

  {
    g_autoptr(SimResp) resp = SEND (0, "PUT", path,
                                    "messageText=Ends%20in%205%20minutes&messagePosition=bottom&messageDuration=30");

    g_assert_cmpuint (resp->status, ==, 200);
  }
  after = sim_get_xml (f, 0, path);
  sim_assert_xpath (after, "/call/messageText", "Ends in 5 minutes");
  sim_assert_xpath (after, "/call/messagePosition", "bottom");
  sim_assert_xpath (after, "/call/messageDuration", "30");

  {
    g_autoptr(SimResp) resp = SEND (0, "PUT", path, "messageDuration=permanent");

    g_assert_cmpuint (resp->status, ==, 200);
  }
  permanent = sim_get_xml (f, 0, path);
  sim_assert_xpath (permanent, "/call/messageDuration", "permanent");

  {
    g_autoptr(SimResp) position = SEND (0, "PUT", path, "messagePosition=left");
    g_autoptr(SimResp) duration = SEND (0, "PUT", path, "messageDuration=soon");
    g_autoptr(xmlDoc) doc = NULL;

    sim_assert_failure (position, 400, "parameterError");
    g_assert_nonnull (strstr (position->body, "parameter=\"messagePosition\""));
    sim_assert_failure (duration, 400, "parameterError");
    g_assert_nonnull (strstr (duration->body, "parameter=\"messageDuration\""));
    doc = sim_get_xml (f, 0, path);
    sim_assert_xpath (doc, "/call/messagePosition", "bottom");   /* unchanged */
  }

  {
    g_autofree char *space = bk_sim_cluster_add_cospace (f->sim, "Posted", "posted", "4343");
    g_autofree char *form = g_strdup_printf ("coSpace=%s&messageText=Hello&messageDuration=10", space);
    g_autoptr(SimResp) resp = SEND (0, "POST", "/api/v1/calls", form);
    g_autofree char *id = sim_location_id (resp);
    g_autofree char *posted = g_strdup_printf ("/api/v1/calls/%s", id);
    g_autoptr(xmlDoc) doc = sim_get_xml (f, 0, posted);

    sim_assert_xpath (doc, "/call/messageText", "Hello");
    sim_assert_xpath (doc, "/call/messageDuration", "10");
  }
}

/* A bridge before 2.1 (its status says so) has no call messages: PUT and
 * POST with one of the fields are refused, the call unchanged; the call's
 * details do not list them. */
static void
test_call_messages_old_version (SimFixture    *f,
                                gconstpointer  data)
{
  g_autofree char *call = post_call (f, NULL);
  g_autofree char *path = g_strdup_printf ("/api/v1/calls/%s", call);
  g_autoptr(xmlDoc) status = NULL;
  g_autoptr(xmlDoc) doc = NULL;

  bk_sim_cluster_set_software_version (f->sim, "2.0.5");
  status = sim_get_xml (f, 0, "/api/v1/system/status");
  sim_assert_xpath (status, "/status/softwareVersion", "2.0.5");
  {
    g_autoptr(SimResp) resp = SEND (0, "PUT", path, "messageText=Hi&messageDuration=30");

    sim_assert_failure (resp, 400, "parameterError");
    g_assert_nonnull (strstr (resp->body, "parameter=\"messageText\""));
  }
  {
    g_autoptr(SimResp) resp = SEND (0, "PUT", path, "locked=true");

    g_assert_cmpuint (resp->status, ==, 200);   /* other fields still work */
  }
  doc = sim_get_xml (f, 0, path);
  g_assert_cmpint (sim_xpath_count (doc, "/call/messageText"), ==, 0);
  g_assert_cmpint (sim_xpath_count (doc, "/call/messagePosition"), ==, 0);

  bk_sim_cluster_set_software_version (f->sim, NULL);
  {
    g_autoptr(xmlDoc) now = sim_get_xml (f, 0, "/api/v1/system/status");

    sim_assert_xpath (now, "/status/softwareVersion", "3.6.1");
  }
}

/* reset-after-effect: the POST creates the call, the client gets no
 * answer (the connection is closed); the call is there all the same. */
static void
test_reset_after_effect (SimFixture    *f,
                         gconstpointer  data)
{
  g_autofree char *space = bk_sim_cluster_add_cospace (f->sim, "Lost", "lost", "4444");
  g_autofree char *form = g_strdup_printf ("coSpace=%s", space);
  g_autoptr(SimResp) resp = NULL;
  g_autoptr(SimResp) again = NULL;
  BkSimFault kind;

  g_assert_true (bk_sim_fault_from_string ("reset-after-effect", &kind));
  g_assert_cmpint (kind, ==, BK_SIM_FAULT_RESET_AFTER_EFFECT);
  g_assert_cmpstr (bk_sim_fault_to_string (kind), ==, "reset-after-effect");
  bk_sim_cluster_add_fault (f->sim, "POST", "/api/v1/calls", BK_SIM_FAULT_RESET_AFTER_EFFECT, 1.0, 1);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 0);
  resp = SEND (0, "POST", "/api/v1/calls", form);
  g_assert_cmpuint (resp->status, ==, 0);
  g_assert_nonnull (resp->error);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 1);

  /* Once (count 1): the next POST is answered. */
  again = SEND (0, "POST", "/api/v1/calls", form);
  g_assert_cmpuint (again->status, ==, 200);
  g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 2);
}

int
main (int argc, char **argv)
{
  bk_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, SimFixture, NULL, fixture_set_up, func, sim_fixture_tear_down)
  ADD ("/sim/call-messages/fields", test_call_messages);
  ADD ("/sim/call-messages/old-version", test_call_messages_old_version);
  ADD ("/sim/faults/reset-after-effect", test_reset_after_effect);
#undef ADD

  return g_test_run ();
}
