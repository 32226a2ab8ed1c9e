/* test-sim-api.c: the simulator's /api/v1 protocol over loopback HTTPS:
 * authentication, the TMS traces replayed, errors, paging, objects
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bk-test-util.h"
#include "sim-test-util.h"

typedef SimFixture Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  sim_fixture_set_up (f, 42, TRUE);
}

static char *
post_created (Fixture    *f,
              guint       node,
              const char *path,
              const char *form,
              const char *collection)
{
  g_autoptr(SimResp) r = SEND (node, "POST", path, form);
  const char *loc;
  g_autofree char *prefix = g_strdup_printf ("/api/v1/%s/", collection);

  g_assert_no_error (r->error);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpuint (r->len, ==, 0);
  loc = soup_message_headers_get_one (r->headers, "Location");
  g_assert_nonnull (loc);
  g_assert_true (g_str_has_prefix (loc, prefix));
  g_assert_cmpuint (strlen (loc), ==, strlen (prefix) + 36);
  return sim_location_id (r);
}

static void
assert_empty_ok (SimResp *r)
{
  g_assert_no_error (r->error);
  g_assert_cmpuint (r->status, ==, 200);
  g_assert_cmpuint (r->len, ==, 0);
}

/* ---- authentication ---- */

static void
test_auth (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *url = g_strconcat (bk_sim_cluster_get_node_url (f->sim, 0), "/api/v1/coSpaces", NULL);
  const char *pin = bk_sim_cluster_get_certificate_sha256 (f->sim);
  g_autoptr(SimResp) none = sim_request_url (f->session, url, "GET", NULL, NULL, NULL, pin);
  g_autoptr(SimResp) wrong = sim_request_url (f->session, url, "GET", NULL, "admin", "wrong", pin);
  g_autoptr(SimResp) other_user = sim_request_url (f->session, url, "GET", NULL, "bob", BK_SIM_DEFAULT_PASSWORD, pin);
  g_autoptr(SimResp) good = sim_request_url (f->session, url, "GET", NULL, "admin", BK_SIM_DEFAULT_PASSWORD, pin);
  g_autoptr(SoupSession) fresh = sim_session_new ();
  g_autoptr(SimResp) unpinned = sim_request_url (fresh, url, "GET", NULL, "admin", BK_SIM_DEFAULT_PASSWORD, NULL);

  g_assert_cmpuint (none->status, ==, 401);
  g_assert_cmpstr (soup_message_headers_get_one (none->headers, "WWW-Authenticate"), ==, "Basic realm=\"acano\"");
  g_assert_cmpuint (wrong->status, ==, 401);
  g_assert_cmpstr (soup_message_headers_get_one (wrong->headers, "WWW-Authenticate"), ==, "Basic realm=\"acano\"");
  g_assert_cmpuint (other_user->status, ==, 401);
  g_assert_cmpuint (good->status, ==, 200);
  /* HTTPS with a self-signed certificate: refused without the pin. */
  g_assert_error (unpinned->error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE);
  g_assert_true (g_str_has_prefix (bk_sim_cluster_get_node_url (f->sim, 0), "https://127.0.0.1:"));
  g_assert_cmpuint (strlen (pin), ==, 64);
}

/* ---- the TMS traces, in order (tms-cms-workflow.md 3a, 3b, 3c, 3e) ---- */

static void
test_tms_replay (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(xmlDoc) status = NULL;
  g_autoptr(xmlDoc) bridges = NULL;
  g_autofree char *call_profile = NULL;
  g_autofree char *leg_profile = NULL;
  g_autofree char *set = NULL;
  g_autofree char *sync = NULL;
  g_autofree char *form = NULL;
  g_autofree char *slot = NULL;
  g_autofree char *call = NULL;
  g_autofree char *leg = NULL;
  g_autofree char *secret_before = NULL;
  g_autofree char *path = NULL;
  char *cool;

  cool = bk_sim_cluster_add_cospace (f->sim, "Cool Bridge Space", "cool.bridge.space", "497540167");
  g_free (cool);

  /* 3a: discovery and profiles */
  status = sim_get_xml (f, 0, "/api/v1/system/status");
  g_assert_cmpint (sim_xpath_count (status, "/status/softwareVersion"), ==, 1);
  g_assert_cmpint (sim_xpath_count (status, "/status/uptimeSeconds"), ==, 1);
  g_assert_cmpint (sim_xpath_count (status, "/status/cdrTime"), ==, 1);
  sim_assert_xpath (status, "/status/activated", "true");
  sim_assert_xpath (status, "/status/clusterEnabled", "true");
  sim_assert_xpath (status, "/status/callLegsActive", "0");
  g_assert_cmpint (sim_xpath_count (status, "/status/callLegsMaxActive"), ==, 1);

  bridges = sim_get_xml (f, 0, "/api/v1/callBridges");
  sim_assert_xpath (bridges, "/callBridges/@total", "2");
  g_assert_cmpint (sim_xpath_count (bridges, "/callBridges/callBridge[@id]/name"), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *xp = g_strdup_printf ("/callBridges/callBridge[%u]/@id", i + 1);
      g_autofree char *id = sim_xpath_string (bridges, xp);
      g_autofree char *p = g_strdup_printf ("/api/v1/callBridges/%s", id);
      g_autoptr(xmlDoc) one = sim_get_xml (f, 0, p);

      sim_assert_xpath (one, "/callBridge/@id", id);
      sim_assert_xpath (one, "/callBridge/name", bk_sim_cluster_get_node_name (f->sim, i));
      sim_assert_xpath (one, "/callBridge/address", bk_sim_cluster_get_node_url (f->sim, i));
      g_assert_cmpint (sim_xpath_count (one, "/callBridge/sipDomain"), ==, 1);
    }

  call_profile = post_created (f, 0, "/api/v1/callProfiles",
                               "participantLimit=1000&messageBoardEnabled=false", "callProfiles");
  leg_profile = post_created (f, 0, "/api/v1/callLegProfiles",
                              "defaultLayout=telepresence&changeLayoutAllowed=true&"
                              "presentationContributionAllowed=true&presentationViewingAllowed=true&"
                              "muteSelfAllowed=true&videoMuteSelfAllowed=true", "callLegProfiles");

  /* 3b: bulk creation of the slots */
  form = g_strdup_printf ("startIndex=1&endIndex=5&coSpaceUriMapping=$index$&"
                          "coSpaceNameMapping=TMS_Scheduled_Meeting_$index$&coSpaceCallIdMapping=$index$&"
                          "callProfile=%s&callLegProfile=%s&nonMemberAccess=false",
                          call_profile, leg_profile);
  g_assert_cmpuint (strlen (form), ==, 250);   /* the logged body size */
  set = post_created (f, 0, "/api/v1/cospaceBulkParameterSets", form, "cospaceBulkParameterSets");
  g_free (form);
  form = g_strdup_printf ("cospaceBulkParameterSet=%s", set);
  sync = post_created (f, 0, "/api/v1/cospaceBulkSyncs", form, "cospaceBulkSyncs");
  path = g_strdup_printf ("/api/v1/cospaceBulkSyncs/%s", sync);
  {
    g_autoptr(xmlDoc) s = sim_get_xml (f, 0, path);

    sim_assert_xpath (s, "/cospaceBulkSync/@id", sync);
    sim_assert_xpath (s, "/cospaceBulkSync/cospaceBulkParameterSet", set);
    sim_assert_xpath (s, "/cospaceBulkSync/status", "complete");
  }
  g_clear_pointer (&status, xmlFreeDoc);
  status = sim_get_xml (f, 0, "/api/v1/system/status");

  /* 3c: start a meeting */
  g_clear_pointer (&status, xmlFreeDoc);
  status = sim_get_xml (f, 0, "/api/v1/system/status");
  {
    g_autoptr(xmlDoc) parts = sim_get_xml (f, 0, "/api/v1/participants");
    g_autofree char *url = g_strconcat (bk_sim_cluster_get_node_url (f->sim, 0), "/api/v1/coSpaces", NULL);
    g_autoptr(SimResp) unauth = sim_request_url (f->session, url, "GET", NULL, NULL, NULL,
                                                 bk_sim_cluster_get_certificate_sha256 (f->sim));
    g_autoptr(xmlDoc) spaces = sim_get_xml (f, 0, "/api/v1/coSpaces");

    sim_assert_xpath (parts, "/participants/@total", "0");
    g_assert_cmpuint (unauth->status, ==, 401);
    g_assert_cmpstr (soup_message_headers_get_one (unauth->headers, "WWW-Authenticate"), ==, "Basic realm=\"acano\"");
    sim_assert_xpath (spaces, "/coSpaces/@total", "6");
    sim_assert_xpath (spaces, "/coSpaces/coSpace[1]/name", "Cool Bridge Space");
    sim_assert_xpath (spaces, "/coSpaces/coSpace[1]/autoGenerated", "false");
    sim_assert_xpath (spaces, "/coSpaces/coSpace[1]/uri", "cool.bridge.space");
    sim_assert_xpath (spaces, "/coSpaces/coSpace[1]/callId", "497540167");
    sim_assert_xpath (spaces, "/coSpaces/coSpace[2]/name", "TMS_Scheduled_Meeting_1");
    sim_assert_xpath (spaces, "/coSpaces/coSpace[2]/uri", "1");
    sim_assert_xpath (spaces, "/coSpaces/coSpace[2]/callId", "1");
    slot = sim_xpath_string (spaces, "/coSpaces/coSpace[2]/@id");
  }
  secret_before = bk_sim_cluster_dup_cospace_field (f->sim, slot, "secret");
  g_assert_nonnull (secret_before);
  {
    g_autofree char *p = g_strdup_printf ("/api/v1/cospaces/%s", slot);
    g_autoptr(SimResp) r = SEND (0, "PUT", p,
                                 "nonMemberAccess=true&passcode=&name=Tim Kratzke Acano TMSXE Test Meeting&"
                                 "secret=86db1bdd-5cf7-4ea8-b88d-479195f4701a");
    g_autofree char *p2 = g_strdup_printf ("/api/v1/coSpaces/%s", slot);
    g_autoptr(xmlDoc) one = NULL;

    assert_empty_ok (r);
    one = sim_get_xml (f, 0, p2);
    sim_assert_xpath (one, "/coSpace/name", "Tim Kratzke Acano TMSXE Test Meeting");
    sim_assert_xpath (one, "/coSpace/nonMemberAccess", "true");
    sim_assert_xpath (one, "/coSpace/secret", "86db1bdd-5cf7-4ea8-b88d-479195f4701a");
    sim_assert_xpath (one, "/coSpace/callProfile", call_profile);
    sim_assert_xpath (one, "/coSpace/callLegProfile", leg_profile);
    g_assert_cmpint (sim_xpath_count (one, "/coSpace/passcode"), ==, 0);
  }
  g_free (form);
  form = g_strdup_printf ("coSpace=%s", slot);
  call = post_created (f, 0, "/api/v1/calls", form, "calls");
  g_clear_pointer (&status, xmlFreeDoc);
  status = sim_get_xml (f, 0, "/api/v1/system/status");
  {
    g_autoptr(xmlDoc) spaces = sim_get_xml (f, 0, "/api/v1/coSpaces");
    g_autoptr(xmlDoc) calls = sim_get_xml (f, 0, "/api/v1/calls");
    g_autoptr(xmlDoc) legs = sim_get_xml (f, 0, "/api/v1/calllegs");

    sim_assert_xpath (spaces, "/coSpaces/@total", "6");
    sim_assert_xpath (calls, "/calls/@total", "1");
    sim_assert_xpath (calls, "/calls/call/@id", call);
    sim_assert_xpath (calls, "/calls/call/name", "Tim Kratzke Acano TMSXE Test Meeting");
    sim_assert_xpath (calls, "/calls/call/coSpace", slot);
    g_assert_cmpint (sim_xpath_count (calls, "/calls/call/callCorrelator"), ==, 1);
    sim_assert_xpath (legs, "/callLegs/@total", "0");
  }
  g_free (path);
  path = g_strdup_printf ("/api/v1/calls/%s/calllegs", call);
  leg = post_created (f, 0, path, "remoteParty=desk.ex90@tkratzke.local", "callLegs");
  {
    g_autoptr(xmlDoc) legs = sim_get_xml (f, 0, "/api/v1/callLegs");
    g_autoptr(xmlDoc) parts = sim_get_xml (f, 0, "/api/v1/participants");

    sim_assert_xpath (legs, "/callLegs/@total", "1");
    sim_assert_xpath (legs, "/callLegs/callLeg/@id", leg);
    sim_assert_xpath (legs, "/callLegs/callLeg/remoteParty", "desk.ex90@tkratzke.local");
    sim_assert_xpath (parts, "/participants/@total", "1");
  }

  /* 3e: end the meeting */
  g_clear_pointer (&status, xmlFreeDoc);
  status = sim_get_xml (f, 0, "/api/v1/system/status");
  sim_assert_xpath (status, "/status/callLegsActive", "1");
  {
    g_autoptr(xmlDoc) s1 = sim_get_xml (f, 0, "/api/v1/coSpaces");
    g_autoptr(xmlDoc) c = sim_get_xml (f, 0, "/api/v1/calls");
    g_autoptr(xmlDoc) s2 = sim_get_xml (f, 0, "/api/v1/coSpaces");
    g_autofree char *p = g_strdup_printf ("/api/v1/cospaces/%s", slot);
    g_autoptr(SimResp) put = SEND (0, "PUT", p,
                                   "nonMemberAccess=false&passcode=&name=TMS_Scheduled_Meeting_1&regenerateSecret=true");
    g_autofree char *pc = g_strdup_printf ("/api/v1/calls/%s", call);
    g_autoptr(SimResp) del = SEND (0, "DELETE", pc, NULL);
    g_autoptr(SimResp) gone = GET (0, pc);
    g_autofree char *secret_after = bk_sim_cluster_dup_cospace_field (f->sim, slot, "secret");
    g_autofree char *name_after = bk_sim_cluster_dup_cospace_field (f->sim, slot, "name");
    g_autofree char *nma_after = bk_sim_cluster_dup_cospace_field (f->sim, slot, "nonMemberAccess");
    g_autoptr(xmlDoc) st = NULL;

    sim_assert_xpath (c, "/calls/@total", "1");
    assert_empty_ok (put);
    assert_empty_ok (del);
    sim_assert_failure (gone, 404, "callDoesNotExist");
    g_assert_cmpstr (name_after, ==, "TMS_Scheduled_Meeting_1");
    g_assert_cmpstr (nma_after, ==, "false");
    g_assert_nonnull (secret_after);
    g_assert_cmpstr (secret_after, !=, "86db1bdd-5cf7-4ea8-b88d-479195f4701a");
    g_assert_cmpstr (secret_after, !=, secret_before);
    g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, -1), ==, 0);
    st = sim_get_xml (f, 0, "/api/v1/system/status");
    sim_assert_xpath (st, "/status/callLegsActive", "0");
    sim_assert_xpath (st, "/status/callLegsCompleted", "1");
    sim_assert_xpath (st, "/status/callLegsMaxActive", "1");
  }
}

/* ---- errors ---- */

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  static const struct { const char *path; const char *reason; } missing[] = {
    { "/api/v1/coSpaces/00000000-0000-4000-8000-000000000000", "coSpaceDoesNotExist" },
    { "/api/v1/calls/00000000-0000-4000-8000-000000000000", "callDoesNotExist" },
    { "/api/v1/callLegs/00000000-0000-4000-8000-000000000000", "callLegDoesNotExist" },
    { "/api/v1/callProfiles/00000000-0000-4000-8000-000000000000", "callProfileDoesNotExist" },
    { "/api/v1/callLegProfiles/00000000-0000-4000-8000-000000000000", "callLegProfileDoesNotExist" },
    { "/api/v1/callBridges/00000000-0000-4000-8000-000000000000", "callBridgeDoesNotExist" },
    { "/api/v1/participants/00000000-0000-4000-8000-000000000000", "participantDoesNotExist" },
  };
  static const char * const unknown[] = {
    "/api/v1/coSpace", "/api/v1/system/profile", "/api/v1/nothing/at/all", "/api/v1/",
  };
  char *id;

  for (guint i = 0; i < G_N_ELEMENTS (missing); i++)
    {
      g_autoptr(SimResp) r = GET (0, missing[i].path);

      sim_assert_failure (r, 404, missing[i].reason);
    }
  {
    g_autoptr(SimResp) r = SEND (0, "DELETE", missing[0].path, NULL);
    g_autoptr(SimResp) r2 = SEND (0, "PUT", missing[0].path, "name=x");

    sim_assert_failure (r, 404, "coSpaceDoesNotExist");
    sim_assert_failure (r2, 404, "coSpaceDoesNotExist");
  }
  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      g_autoptr(SimResp) r = GET (0, unknown[i]);

      sim_assert_failure (r, 400, "unrecognizedObject");
    }

  /* Bad values: parameterError with the parameter's name. */
  {
    g_autoptr(SimResp) r1 = SEND (0, "POST", "/api/v1/coSpaces", "name=x&nonMemberAccess=maybe");
    g_autoptr(SimResp) r2 = SEND (0, "POST", "/api/v1/coSpaces", "name=x&callId=12ab");
    g_autoptr(SimResp) r3 = SEND (0, "POST", "/api/v1/callLegProfiles", "defaultLayout=sideways");
    g_autoptr(SimResp) r4 = GET (0, "/api/v1/coSpaces?limit=ten");
    g_autoptr(SimResp) r5 = SEND (0, "POST", "/api/v1/coSpaces", "name=x&callProfile=00000000-0000-4000-8000-000000000000");
    g_autoptr(xmlDoc) d1 = NULL;
    g_autoptr(xmlDoc) d4 = NULL;

    sim_assert_failure (r1, 400, "parameterError");
    d1 = sim_resp_xml (r1);
    sim_assert_xpath (d1, "/failureDetails/parameterError/@parameter", "nonMemberAccess");
    sim_assert_xpath (d1, "/failureDetails/parameterError/@error", "invalidValue");
    sim_assert_failure (r2, 400, "parameterError");
    sim_assert_failure (r3, 400, "parameterError");
    sim_assert_failure (r4, 400, "parameterError");
    d4 = sim_resp_xml (r4);
    sim_assert_xpath (d4, "/failureDetails/parameterError/@parameter", "limit");
    sim_assert_failure (r5, 400, "callProfileDoesNotExist");
    {
      /* Values that cannot go into an XML reply are refused. */
      g_autoptr(SimResp) r6 = SEND (0, "POST", "/api/v1/coSpaces", "name=bad%01byte");
      g_autoptr(SimResp) r7 = SEND (0, "POST", "/api/v1/callProfiles", "x=%FF%FE");

      sim_assert_failure (r6, 400, "parameterError");
      sim_assert_failure (r7, 400, "parameterError");
    }
    g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (f->sim), ==, 0);
  }

  /* Unknown parameters are ignored. */
  id = post_created (f, 0, "/api/v1/coSpaces", "name=Plain&uri=plain&noSuchThing=1", "coSpaces");
  g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (f->sim), ==, 1);
  g_free (id);

  /* Duplicates, on POST and on PUT, case-insensitive URIs. */
  {
    g_autofree char *a = post_created (f, 0, "/api/v1/coSpaces", "name=A&uri=room.a&callId=1001", "coSpaces");
    g_autofree char *b = post_created (f, 1, "/api/v1/coSpaces", "name=B&uri=room.b&callId=1002", "coSpaces");
    g_autofree char *pb = g_strdup_printf ("/api/v1/coSpaces/%s", b);
    g_autofree char *pa = g_strdup_printf ("/api/v1/coSpaces/%s", a);
    g_autoptr(SimResp) d1 = SEND (0, "POST", "/api/v1/coSpaces", "name=C&uri=ROOM.A");
    g_autoptr(SimResp) d2 = SEND (1, "POST", "/api/v1/coSpaces", "name=C&callId=1001");
    g_autoptr(SimResp) d3 = SEND (0, "PUT", pb, "uri=room.a");
    g_autoptr(SimResp) d4 = SEND (0, "PUT", pb, "callId=1001");
    g_autoptr(SimResp) d5 = SEND (0, "POST", "/api/v1/coSpaces", "name=C&secondaryUri=room.b");
    g_autoptr(SimResp) same = SEND (0, "PUT", pa, "uri=room.a&callId=1001");
    g_autoptr(SimResp) freed = NULL;
    g_autoptr(SimResp) reuse = NULL;

    sim_assert_failure (d1, 400, "duplicateCoSpaceUri");
    sim_assert_failure (d2, 400, "duplicateCoSpaceId");
    sim_assert_failure (d3, 400, "duplicateCoSpaceUri");
    sim_assert_failure (d4, 400, "duplicateCoSpaceId");
    sim_assert_failure (d5, 400, "duplicateCoSpaceUri");
    assert_empty_ok (same);
    /* Unsetting frees the URI for others. */
    freed = SEND (0, "PUT", pa, "uri=");
    assert_empty_ok (freed);
    reuse = SEND (0, "PUT", pb, "uri=room.a");
    assert_empty_ok (reuse);
  }
}

static void
test_case_insensitive (Fixture       *f,
                       gconstpointer  data)
{
  static const char * const paths[] = {
    "/api/v1/coSpaces", "/api/v1/cospaces", "/api/v1/COSPACES", "/api/v1/callLegs",
    "/api/v1/calllegs", "/api/v1/System/Status", "/api/v1/callbridges",
    "/api/v1/coSpaceBulkParameterSets", "/api/v1/COSPACEBULKSYNCS",
  };
  g_autofree char *id = bk_sim_cluster_add_cospace (f->sim, "Mixed", "mixed", "77");
  g_autofree char *p = g_strdup_printf ("/api/v1/COSPACES/%s", id);
  g_autoptr(xmlDoc) one = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(SimResp) r = GET (0, paths[i]);

      g_assert_no_error (r->error);
      g_assert_cmpuint (r->status, ==, 200);
    }
  one = sim_get_xml (f, 1, p);
  sim_assert_xpath (one, "/coSpace/name", "Mixed");
}

/* ---- paging ---- */

static void
test_paging (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *name = g_strdup_printf ("Space %02u%s", i, i % 5 == 0 ? " Sales" : "");
      g_autofree char *uri = g_strdup_printf ("space.%02u", i);
      g_autofree char *cid = g_strdup_printf ("%u", 5000 + i);

      g_ptr_array_add (ids, bk_sim_cluster_add_cospace (f->sim, name, uri, cid));
    }

  {
    /* A client that does not page gets the server's cap, as on a real CMS. */
    g_autoptr(xmlDoc) d = sim_get_xml (f, 0, "/api/v1/coSpaces");

    sim_assert_xpath (d, "/coSpaces/@total", "25");
    g_assert_cmpint (sim_xpath_count (d, "/coSpaces/coSpace"), ==, 10);
    sim_assert_xpath (d, "/coSpaces/coSpace[1]/@id", g_ptr_array_index (ids, 0));
    sim_assert_xpath (d, "/coSpaces/coSpace[10]/@id", g_ptr_array_index (ids, 9));
  }
  {
    g_autoptr(xmlDoc) d = sim_get_xml (f, 0, "/api/v1/coSpaces?offset=20&limit=50");

    sim_assert_xpath (d, "/coSpaces/@total", "25");
    g_assert_cmpint (sim_xpath_count (d, "/coSpaces/coSpace"), ==, 5);
    sim_assert_xpath (d, "/coSpaces/coSpace[1]/@id", g_ptr_array_index (ids, 20));
  }
  {
    g_autoptr(xmlDoc) d = sim_get_xml (f, 0, "/api/v1/coSpaces?offset=3&limit=2");

    g_assert_cmpint (sim_xpath_count (d, "/coSpaces/coSpace"), ==, 2);
    sim_assert_xpath (d, "/coSpaces/coSpace[1]/@id", g_ptr_array_index (ids, 3));
    sim_assert_xpath (d, "/coSpaces/coSpace[2]/@id", g_ptr_array_index (ids, 4));
  }
  {
    g_autoptr(xmlDoc) d = sim_get_xml (f, 0, "/api/v1/coSpaces?offset=40");

    sim_assert_xpath (d, "/coSpaces/@total", "25");
    g_assert_cmpint (sim_xpath_count (d, "/coSpaces/coSpace"), ==, 0);
  }
  {
    /* filter: case-insensitive substring on name, uri and callId */
    g_autoptr(xmlDoc) d1 = sim_get_xml (f, 0, "/api/v1/coSpaces?filter=sales");
    g_autoptr(xmlDoc) d2 = sim_get_xml (f, 0, "/api/v1/coSpaces?filter=SPACE.1&limit=3");
    g_autoptr(xmlDoc) d3 = sim_get_xml (f, 0, "/api/v1/coSpaces?filter=5024");
    g_autoptr(xmlDoc) d4 = sim_get_xml (f, 0, "/api/v1/coSpaces?filter=sales&offset=3");

    sim_assert_xpath (d1, "/coSpaces/@total", "5");
    sim_assert_xpath (d1, "/coSpaces/coSpace[2]/@id", g_ptr_array_index (ids, 5));
    sim_assert_xpath (d2, "/coSpaces/@total", "10");
    g_assert_cmpint (sim_xpath_count (d2, "/coSpaces/coSpace"), ==, 3);
    sim_assert_xpath (d3, "/coSpaces/@total", "1");
    sim_assert_xpath (d3, "/coSpaces/coSpace/uri", "space.24");
    sim_assert_xpath (d4, "/coSpaces/@total", "5");
    g_assert_cmpint (sim_xpath_count (d4, "/coSpaces/coSpace"), ==, 2);
    sim_assert_xpath (d4, "/coSpaces/coSpace[1]/@id", g_ptr_array_index (ids, 15));
  }
  {
    /* The cap can be changed at run time, and 0 means none. */
    g_autoptr(xmlDoc) d1 = NULL;
    g_autoptr(xmlDoc) d2 = NULL;

    bk_sim_cluster_set_page_cap (f->sim, 20);
    d1 = sim_get_xml (f, 0, "/api/v1/coSpaces?limit=100");
    g_assert_cmpint (sim_xpath_count (d1, "/coSpaces/coSpace"), ==, 20);
    bk_sim_cluster_set_page_cap (f->sim, 0);
    d2 = sim_get_xml (f, 0, "/api/v1/coSpaces");
    g_assert_cmpint (sim_xpath_count (d2, "/coSpaces/coSpace"), ==, 25);
  }
  {
    /* Deleting shifts the list (paging is not a snapshot); order stays creation order. */
    g_autoptr(xmlDoc) d = NULL;

    g_assert_true (bk_sim_cluster_remove_cospace (f->sim, g_ptr_array_index (ids, 1)));
    bk_sim_cluster_set_page_cap (f->sim, 10);
    d = sim_get_xml (f, 0, "/api/v1/coSpaces?offset=1&limit=2");
    sim_assert_xpath (d, "/coSpaces/@total", "24");
    sim_assert_xpath (d, "/coSpaces/coSpace[1]/@id", g_ptr_array_index (ids, 2));
  }
}

typedef struct
{
  guint  seen;
  char  *added;
} HookData;

static void
paging_hook (BkSimCluster *sim,
             guint         node,
             const char   *method,
             const char   *path,
             const char   *query,
             gpointer      user_data)
{
  HookData *h = user_data;

  /* Insert a space in front of the next page while the client is paging. */
  if (query != NULL && strstr (query, "offset=10") != NULL && h->added == NULL)
    {
      g_autoptr(GError) error = NULL;

      h->added = bk_sim_cluster_add_cospace (sim, "Late", "late", "9999");
    }
  h->seen++;
}

static void
test_request_hook (Fixture       *f,
                   gconstpointer  data)
{
  HookData h = { 0 };

  for (guint i = 0; i < 15; i++)
    {
      g_autofree char *name = g_strdup_printf ("S%u", i);

      g_free (bk_sim_cluster_add_cospace (f->sim, name, NULL, NULL));
    }
  bk_sim_cluster_set_request_hook (f->sim, paging_hook, &h, NULL);
  {
    g_autoptr(xmlDoc) p1 = sim_get_xml (f, 0, "/api/v1/coSpaces?offset=0");
    g_autoptr(xmlDoc) p2 = sim_get_xml (f, 1, "/api/v1/coSpaces?offset=10");

    sim_assert_xpath (p1, "/coSpaces/@total", "15");
    sim_assert_xpath (p2, "/coSpaces/@total", "16");
    g_assert_cmpint (sim_xpath_count (p2, "/coSpaces/coSpace"), ==, 6);
    sim_assert_xpath (p2, "/coSpaces/coSpace[6]/name", "Late");
  }
  g_assert_cmpuint (h.seen, ==, 2);
  g_assert_nonnull (h.added);
  bk_sim_cluster_set_request_hook (f->sim, NULL, NULL, NULL);
  g_free (h.added);
}

/* ---- objects ---- */

static void
test_profiles (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *id = post_created (f, 0, "/api/v1/callLegProfiles",
                                      "defaultLayout=allEqual&muteSelfAllowed=false&needsActivation=true",
                                      "callLegProfiles");
  g_autofree char *path = g_strdup_printf ("/api/v1/callLegProfiles/%s", id);
  g_autoptr(xmlDoc) one = sim_get_xml (f, 1, path);
  g_autoptr(xmlDoc) list = sim_get_xml (f, 1, "/api/v1/callLegProfiles");
  g_autoptr(SimResp) put = SEND (0, "PUT", path, "defaultLayout=speakerOnly&muteSelfAllowed=");
  g_autoptr(xmlDoc) after = sim_get_xml (f, 0, path);
  g_autoptr(SimResp) del = SEND (1, "DELETE", path, NULL);
  g_autoptr(SimResp) gone = GET (0, path);

  sim_assert_xpath (one, "/callLegProfile/@id", id);
  sim_assert_xpath (one, "/callLegProfile/defaultLayout", "allEqual");
  sim_assert_xpath (one, "/callLegProfile/muteSelfAllowed", "false");
  sim_assert_xpath (one, "/callLegProfile/needsActivation", "true");
  sim_assert_xpath (list, "/callLegProfiles/@total", "1");
  assert_empty_ok (put);
  sim_assert_xpath (after, "/callLegProfile/defaultLayout", "speakerOnly");
  g_assert_cmpint (sim_xpath_count (after, "/callLegProfile/muteSelfAllowed"), ==, 0);
  assert_empty_ok (del);
  sim_assert_failure (gone, 404, "callLegProfileDoesNotExist");
}

static void
test_cospace_detail (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *cp = post_created (f, 0, "/api/v1/callProfiles", "participantLimit=10", "callProfiles");
  g_autofree char *form = g_strdup_printf ("name=Detail&uri=detail&secondaryUri=detail2&callId=4242&passcode=1234&"
                                           "nonMemberAccess=false&callProfile=%s", cp);
  g_autofree char *id = post_created (f, 0, "/api/v1/coSpaces", form, "coSpaces");
  g_autofree char *path = g_strdup_printf ("/api/v1/coSpaces/%s", id);
  g_autoptr(xmlDoc) one = sim_get_xml (f, 0, path);
  g_autoptr(xmlDoc) list = sim_get_xml (f, 0, "/api/v1/coSpaces");
  g_autofree char *secret = sim_xpath_string (one, "/coSpace/secret");
  g_autoptr(SimResp) regen = SEND (0, "PUT", path, "regenerateSecret=true");
  g_autoptr(xmlDoc) after = sim_get_xml (f, 0, path);
  g_autoptr(SimResp) del = SEND (0, "DELETE", path, NULL);

  sim_assert_xpath (one, "/coSpace/name", "Detail");
  sim_assert_xpath (one, "/coSpace/uri", "detail");
  sim_assert_xpath (one, "/coSpace/secondaryUri", "detail2");
  sim_assert_xpath (one, "/coSpace/callId", "4242");
  sim_assert_xpath (one, "/coSpace/passcode", "1234");
  sim_assert_xpath (one, "/coSpace/nonMemberAccess", "false");
  sim_assert_xpath (one, "/coSpace/callProfile", cp);
  sim_assert_xpath (one, "/coSpace/autoGenerated", "false");
  g_assert_cmpuint (strlen (secret), >, 8);
  /* The list gives the summary only. */
  sim_assert_xpath (list, "/coSpaces/coSpace/secondaryUri", "detail2");
  g_assert_cmpint (sim_xpath_count (list, "/coSpaces/coSpace/passcode"), ==, 0);
  g_assert_cmpint (sim_xpath_count (list, "/coSpaces/coSpace/secret"), ==, 0);
  g_assert_cmpint (sim_xpath_count (list, "/coSpaces/coSpace/nonMemberAccess"), ==, 0);
  assert_empty_ok (regen);
  {
    g_autofree char *secret2 = sim_xpath_string (after, "/coSpace/secret");

    g_assert_cmpstr (secret2, !=, secret);
    g_assert_cmpuint (strlen (secret2), >, 8);
  }
  assert_empty_ok (del);
  g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (f->sim), ==, 0);
}

static void
test_status_and_alarms (Fixture       *f,
                        gconstpointer  data)
{
  static const char * const fields[] = {
    "softwareVersion", "uptimeSeconds", "activated", "clusterEnabled", "clusterId", "cdrTime",
    "cdrCorrelatorIndex", "callLegsActive", "callLegsMaxActive", "callLegsCompleted",
    "audioBitRateOutgoing", "audioBitRateIncoming", "videoBitRateOutgoing", "videoBitRateIncoming",
  };
  g_autoptr(xmlDoc) st = sim_get_xml (f, 0, "/api/v1/system/status");
  g_autoptr(xmlDoc) st1 = sim_get_xml (f, 1, "/api/v1/system/status");
  g_autoptr(xmlDoc) cl0 = sim_get_xml (f, 0, "/api/v1/system/configuration/cluster");
  g_autoptr(xmlDoc) cl1 = sim_get_xml (f, 1, "/api/v1/system/configuration/cluster");
  g_autofree char *cid0 = sim_xpath_string (st, "/status/clusterId");
  g_autofree char *cid1 = sim_xpath_string (st1, "/status/clusterId");
  g_autofree char *alarm = NULL;
  g_autofree char *cdr = sim_xpath_string (st, "/status/cdrTime");

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *xp = g_strdup_printf ("/status/%s", fields[i]);

      g_assert_cmpint (sim_xpath_count (st, xp), ==, 1);
    }
  g_assert_cmpstr (cid0, ==, cid1);
  g_assert_cmpuint (strlen (cdr), ==, 20);
  g_assert_true (g_str_has_suffix (cdr, "Z"));
  sim_assert_xpath (cl0, "/cluster/uniqueName", bk_sim_cluster_get_node_name (f->sim, 0));
  sim_assert_xpath (cl1, "/cluster/uniqueName", bk_sim_cluster_get_node_name (f->sim, 1));

  {
    g_autoptr(xmlDoc) none = sim_get_xml (f, 0, "/api/v1/system/alarms");
    g_autoptr(xmlDoc) one = NULL;
    g_autoptr(xmlDoc) cleared = NULL;

    sim_assert_xpath (none, "/alarms/@total", "0");
    alarm = bk_sim_cluster_add_alarm (f->sim, "cdrConnectionFailure");
    one = sim_get_xml (f, 1, "/api/v1/system/alarms");
    sim_assert_xpath (one, "/alarms/@total", "1");
    sim_assert_xpath (one, "/alarms/alarm/@id", alarm);
    sim_assert_xpath (one, "/alarms/alarm/type", "cdrConnectionFailure");
    g_assert_cmpint (sim_xpath_count (one, "/alarms/alarm/activeTimeSeconds"), ==, 1);
    bk_sim_cluster_clear_alarms (f->sim);
    cleared = sim_get_xml (f, 0, "/api/v1/system/alarms");
    sim_assert_xpath (cleared, "/alarms/@total", "0");
  }
}

typedef struct
{
  Fixture *f;
  guint    start;
} UptimeWait;

static gboolean
uptime_advanced (gpointer data)
{
  UptimeWait *w = data;
  g_autoptr(xmlDoc) st = sim_get_xml (w->f, 0, "/api/v1/system/status");
  g_autofree char *up = sim_xpath_string (st, "/status/uptimeSeconds");

  return (guint) atoi (up) > w->start;
}

static void
test_uptime_advances (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(xmlDoc) st = sim_get_xml (f, 0, "/api/v1/system/status");
  g_autofree char *up = sim_xpath_string (st, "/status/uptimeSeconds");
  UptimeWait w = { f, (guint) atoi (up) };

  sim_wait_until (uptime_advanced, &w, 10000);
}

static void
test_scale (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *last = NULL;

  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *name = g_strdup_printf ("Scale %05u", i);
      g_autofree char *cid = g_strdup_printf ("%u", 100000 + i);
      char *id = bk_sim_cluster_add_cospace (f->sim, name, NULL, cid);

      g_assert_nonnull (id);
      if (i == 9999)
        last = id;
      else
        g_free (id);
    }
  {
    g_autoptr(xmlDoc) d = sim_get_xml (f, 0, "/api/v1/coSpaces?offset=9990&limit=20");
    g_autoptr(xmlDoc) d2 = sim_get_xml (f, 1, "/api/v1/coSpaces?filter=scale%2009999");

    sim_assert_xpath (d, "/coSpaces/@total", "10000");
    g_assert_cmpint (sim_xpath_count (d, "/coSpaces/coSpace"), ==, 10);
    sim_assert_xpath (d, "/coSpaces/coSpace[10]/@id", last);
    sim_assert_xpath (d2, "/coSpaces/@total", "1");
  }
}

static void
test_demo (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BkSimCluster) sim = bk_sim_cluster_new_demo (&error);
  g_autoptr(SoupSession) session = sim_session_new ();
  g_autoptr(SimResp) r = NULL;
  g_autoptr(xmlDoc) d = NULL;
  g_autoptr(SimResp) a = NULL;
  g_autoptr(xmlDoc) ad = NULL;

  g_assert_no_error (error);
  g_assert_true (bk_sim_cluster_is_running (sim));
  g_assert_cmpuint (bk_sim_cluster_get_n_nodes (sim), ==, 2);
  r = sim_request (session, sim, 1, "GET", "/api/v1/coSpaces?filter=cool", NULL, TRUE);
  g_assert_cmpuint (r->status, ==, 200);
  d = sim_resp_xml (r);
  sim_assert_xpath (d, "/coSpaces/coSpace/name", "Cool Bridge Space");
  sim_assert_xpath (d, "/coSpaces/coSpace/uri", "cool.bridge.space");
  sim_assert_xpath (d, "/coSpaces/coSpace/callId", "497540167");
  a = sim_request (session, sim, 0, "GET", "/api/v1/system/alarms", NULL, TRUE);
  ad = sim_resp_xml (a);
  sim_assert_xpath (ad, "/alarms/@total", "1");

  /* The demo bridge has been up for days, like one in service. */
  {
    g_autoptr(SimResp) st = sim_request (session, sim, 0, "GET", "/api/v1/system/status", NULL, TRUE);
    g_autoptr(xmlDoc) sd = sim_resp_xml (st);
    g_autofree char *up = sim_xpath_string (sd, "/status/uptimeSeconds");

    g_assert_nonnull (up);
    g_assert_cmpuint (g_ascii_strtoull (up, NULL, 10), >=, 4 * 86400);
  }
}

static void
test_seed_deterministic (void)
{
  g_autoptr(BkSimCluster) a = bk_sim_cluster_new (2);
  g_autoptr(BkSimCluster) b = bk_sim_cluster_new (2);
  g_autoptr(BkSimCluster) c = bk_sim_cluster_new (2);
  g_autofree char *ida = NULL;
  g_autofree char *idb = NULL;
  g_autofree char *idc = NULL;

  bk_sim_cluster_set_seed (a, 7);
  bk_sim_cluster_set_seed (b, 7);
  bk_sim_cluster_set_seed (c, 8);
  g_assert_cmpstr (bk_sim_cluster_get_node_id (a, 1), ==, bk_sim_cluster_get_node_id (b, 1));
  g_assert_cmpstr (bk_sim_cluster_get_node_id (a, 1), !=, bk_sim_cluster_get_node_id (c, 1));
  ida = bk_sim_cluster_add_cospace (a, "x", "x", "1");
  idb = bk_sim_cluster_add_cospace (b, "x", "x", "1");
  idc = bk_sim_cluster_add_cospace (c, "x", "x", "1");
  g_assert_cmpstr (ida, ==, idb);
  g_assert_cmpstr (ida, !=, idc);
  g_assert_true (g_regex_match_simple ("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$",
                                       ida, 0, 0));
  g_assert_null (bk_sim_cluster_add_cospace (a, "dup", "X", NULL));
}

int
main (int   argc,
      char *argv[])
{
  bk_test_init (&argc, &argv);

#define ADD(name, fn) g_test_add (name, Fixture, NULL, fixture_setup, fn, sim_fixture_tear_down)
  ADD ("/sim/api/auth", test_auth);
  ADD ("/sim/api/tms-replay", test_tms_replay);
  ADD ("/sim/api/errors", test_errors);
  ADD ("/sim/api/case-insensitive", test_case_insensitive);
  ADD ("/sim/api/paging", test_paging);
  ADD ("/sim/api/request-hook", test_request_hook);
  ADD ("/sim/api/profiles", test_profiles);
  ADD ("/sim/api/cospace-detail", test_cospace_detail);
  ADD ("/sim/api/status-alarms", test_status_and_alarms);
  ADD ("/sim/api/uptime-advances", test_uptime_advances);
  ADD ("/sim/api/scale", test_scale);
#undef ADD
  g_test_add_func ("/sim/api/demo", test_demo);
  g_test_add_func ("/sim/api/seed", test_seed_deterministic);

  return g_test_run ();
}
