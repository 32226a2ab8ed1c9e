/* test-sim-fidelity.c: the simulator answers as a real CMS does (issue 10,
 * "Simulator fidelity"), checked against the Blueprint (apiary.apib): lists
 * are summaries and details come from a GET, the documented filters work,
 * valid values are accepted and invalid ones refused with parameterError,
 * call legs start "initial" and a failed one is gone, other API versions
 * answer invalidVersion, a bulk sync takes longer for a larger range
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
  sim_fixture_set_up (f, 2026, TRUE);
}

static char *
post_id (Fixture    *f,
         guint       node,
         const char *path,
         const char *form)
{
  g_autoptr(SimResp) r = SEND (node, "POST", path, form);

  g_assert_no_error (r->error);
  if (r->status != 200)
    g_error ("POST %s %s: %u %s", path, form, r->status, r->body);
  return sim_location_id (r);
}

static xmlDoc *
get_fmt (Fixture    *f,
         guint       node,
         const char *format,
         ...) G_GNUC_PRINTF (3, 4);

static xmlDoc *
get_fmt (Fixture    *f,
         guint       node,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *path = NULL;

  va_start (args, format);
  path = g_strdup_vprintf (format, args);
  va_end (args);
  return sim_get_xml (f, node, path);
}

/* The element names under @xpath's first match, in order, joined by ','. */
static char *
children_of (xmlDoc     *doc,
             const char *xpath)
{
  g_autofree char *expr = g_strdup_printf ("count(%s/*)", xpath);
  g_autofree char *count = sim_xpath_string (doc, expr);
  GString *names = g_string_new (NULL);
  int n = atoi (count);

  for (int i = 1; i <= n; i++)
    {
      g_autofree char *e = g_strdup_printf ("name(%s/*[%d])", xpath, i);
      g_autofree char *name = sim_xpath_string (doc, e);

      if (names->len > 0)
        g_string_append_c (names, ',');
      g_string_append (names, name);
    }
  return g_string_free (names, FALSE);
}

/* ---- lists are summaries ---- */

static void
test_list_summaries (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *tenant = post_id (f, 0, "/api/v1/tenants", "name=Engineering");
  g_autofree char *cp = post_id (f, 0, "/api/v1/callProfiles",
                                 "participantLimit=1000&messageBoardEnabled=false&lyncConferenceMode=gateway");
  g_autofree char *lp = post_id (f, 0, "/api/v1/callLegProfiles",
                                 "needsActivation=true&defaultLayout=telepresence&name=Scheduled");
  g_autofree char *lp2 = post_id (f, 0, "/api/v1/callLegProfiles", "muteSelfAllowed=true");
  g_autofree char *set_form = g_strdup_printf ("startIndex=1000&endIndex=1004&coSpaceUriMapping=$index$&"
                                               "coSpaceNameMapping=TMS_Scheduled_Meeting_$index$&"
                                               "coSpaceCallIdMapping=$index$&callProfile=%s&"
                                               "callLegProfile=%s&nonMemberAccess=false", cp, lp);
  g_autofree char *set = post_id (f, 0, "/api/v1/cospaceBulkParameterSets", set_form);
  g_autofree char *space_form = g_strdup_printf ("name=Board&uri=board&callId=77&passcode=1234&"
                                                 "cdrTag=board-room&tenant=%s&callLegProfile=%s",
                                                 tenant, lp);
  g_autofree char *space = post_id (f, 0, "/api/v1/coSpaces", space_form);
  g_autofree char *call_form = g_strdup_printf ("coSpace=%s", space);
  g_autofree char *call = post_id (f, 0, "/api/v1/calls", call_form);
  g_autofree char *legs_path = g_strdup_printf ("/api/v1/calls/%s/callLegs", call);
  g_autofree char *leg = post_id (f, 0, legs_path, "remoteParty=alice@example.com&name=Alice");

  {
    /* <callProfile id="..."/>: ids only (APIB "Retrieving call profiles"). */
    g_autoptr(xmlDoc) list = sim_get_xml (f, 1, "/api/v1/callProfiles");
    g_autoptr(xmlDoc) one = get_fmt (f, 1, "/api/v1/callProfiles/%s", cp);
    g_autofree char *kids = children_of (list, "/callProfiles/callProfile[1]");

    sim_assert_xpath (list, "/callProfiles/@total", "1");
    sim_assert_xpath (list, "/callProfiles/callProfile/@id", cp);
    g_assert_cmpstr (kids, ==, "");
    sim_assert_xpath (one, "/callProfile/participantLimit", "1000");
    sim_assert_xpath (one, "/callProfile/lyncConferenceMode", "gateway");
  }
  {
    /* ids, and needsActivation where set, as the Blueprint's sample. */
    g_autoptr(xmlDoc) list = sim_get_xml (f, 0, "/api/v1/callLegProfiles");
    g_autoptr(xmlDoc) one = get_fmt (f, 0, "/api/v1/callLegProfiles/%s", lp);
    g_autofree char *kids1 = children_of (list, "/callLegProfiles/callLegProfile[1]");
    g_autofree char *kids2 = children_of (list, "/callLegProfiles/callLegProfile[2]");

    sim_assert_xpath (list, "/callLegProfiles/@total", "2");
    sim_assert_xpath (list, "/callLegProfiles/callLegProfile[1]/@id", lp);
    g_assert_cmpstr (kids1, ==, "needsActivation");
    g_assert_cmpstr (kids2, ==, "");
    sim_assert_xpath (one, "/callLegProfile/defaultLayout", "telepresence");
    sim_assert_xpath (one, "/callLegProfile/name", "Scheduled");
    sim_assert_xpath (one, "/callLegProfile/needsActivation", "true");
  }
  {
    /* startIndex and endIndex only; the mappings and profiles need a GET. */
    g_autoptr(xmlDoc) list = sim_get_xml (f, 0, "/api/v1/cospaceBulkParameterSets");
    g_autoptr(xmlDoc) one = get_fmt (f, 0, "/api/v1/cospaceBulkParameterSets/%s", set);
    g_autofree char *kids = children_of (list, "/cospaceBulkParameterSets/cospaceBulkParameterSet");

    sim_assert_xpath (list, "/cospaceBulkParameterSets/cospaceBulkParameterSet/@id", set);
    g_assert_cmpstr (kids, ==, "startIndex,endIndex");
    sim_assert_xpath (list, "/cospaceBulkParameterSets/cospaceBulkParameterSet/startIndex", "1000");
    sim_assert_xpath (list, "/cospaceBulkParameterSets/cospaceBulkParameterSet/endIndex", "1004");
    sim_assert_xpath (one, "/cospaceBulkParameterSet/coSpaceNameMapping", "TMS_Scheduled_Meeting_$index$");
    sim_assert_xpath (one, "/cospaceBulkParameterSet/coSpaceUriMapping", "$index$");
    sim_assert_xpath (one, "/cospaceBulkParameterSet/callProfile", cp);
    sim_assert_xpath (one, "/cospaceBulkParameterSet/callLegProfile", lp);
    sim_assert_xpath (one, "/cospaceBulkParameterSet/nonMemberAccess", "false");
  }
  {
    /* coSpaces: name, autoGenerated, uri, secondaryUri, callId, tenant. */
    g_autoptr(xmlDoc) list = sim_get_xml (f, 0, "/api/v1/coSpaces");
    g_autoptr(xmlDoc) one = get_fmt (f, 0, "/api/v1/coSpaces/%s", space);
    g_autofree char *kids = children_of (list, "/coSpaces/coSpace");

    g_assert_cmpstr (kids, ==, "name,autoGenerated,uri,callId,tenant");
    sim_assert_xpath (one, "/coSpace/passcode", "1234");
    sim_assert_xpath (one, "/coSpace/cdrTag", "board-room");
    sim_assert_xpath (one, "/coSpace/callLegProfile", lp);
    g_assert_cmpint (sim_xpath_count (one, "/coSpace/secret"), ==, 1);
  }
  {
    g_autoptr(xmlDoc) list = sim_get_xml (f, 0, "/api/v1/tenants");
    g_autofree char *kids = children_of (list, "/tenants/tenant");

    sim_assert_xpath (list, "/tenants/tenant/@id", tenant);
    g_assert_cmpstr (kids, ==, "name");
  }
  {
    /* calls: name, coSpace, callCorrelator, tenant (the coSpace's). */
    g_autoptr(xmlDoc) list = sim_get_xml (f, 0, "/api/v1/calls");
    g_autofree char *kids = children_of (list, "/calls/call");

    g_assert_cmpstr (kids, ==, "name,coSpace,callCorrelator,tenant");
    sim_assert_xpath (list, "/calls/call/tenant", tenant);
  }
  {
    /* call legs: name, remoteParty, originalRemoteParty, call, tenant; the
     * state and the rest come from a GET on the leg. */
    g_autoptr(xmlDoc) list = sim_get_xml (f, 0, "/api/v1/callLegs");
    g_autoptr(xmlDoc) per_call = sim_get_xml (f, 0, legs_path);
    g_autofree char *kids = children_of (list, "/callLegs/callLeg");
    g_autofree char *kids2 = children_of (per_call, "/callLegs/callLeg");
    g_autoptr(xmlDoc) one = get_fmt (f, 0, "/api/v1/callLegs/%s", leg);

    g_assert_cmpstr (kids, ==, "name,remoteParty,originalRemoteParty,call,tenant");
    g_assert_cmpstr (kids2, ==, kids);
    sim_assert_xpath (one, "/callLeg/status/state", "connected");
  }
  {
    /* participants: name, call, tenant; "callBridge" only names a remote
     * bridge, and every participant a node lists here is its own. */
    g_autoptr(xmlDoc) list = sim_get_xml (f, 0, "/api/v1/participants");
    g_autofree char *kids = children_of (list, "/participants/participant");

    g_assert_cmpstr (kids, ==, "name,call,tenant");
    sim_assert_xpath (list, "/participants/participant/name", "Alice");
  }
  {
    /* Empty lists: <callBridges total="0"/> (APIB sample). */
    g_autoptr(SimResp) r = GET (1, "/api/v1/calls");

    g_assert_cmpstr (strstr (r->body, "<calls"), ==, "<calls total=\"0\"/>");
  }
}

/* GET /coSpaces/<id>: numAccessMethods and secret, never requireCallId,
 * which asks for a generated call ID; a secret comes with a call ID. */
static void
test_cospace_detail (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *plain = post_id (f, 0, "/api/v1/coSpaces", "name=No id&uri=noid");
  g_autofree char *required = post_id (f, 0, "/api/v1/coSpaces", "name=Needs id&uri=needsid&requireCallId=true");
  g_autoptr(xmlDoc) p = get_fmt (f, 0, "/api/v1/coSpaces/%s", plain);
  g_autoptr(xmlDoc) r = get_fmt (f, 1, "/api/v1/coSpaces/%s", required);
  g_autofree char *call_id = sim_xpath_string (r, "/coSpace/callId");

  g_assert_cmpint (sim_xpath_count (p, "/coSpace/callId"), ==, 0);
  g_assert_cmpint (sim_xpath_count (p, "/coSpace/secret"), ==, 0);
  sim_assert_xpath (p, "/coSpace/numAccessMethods", "0");
  g_assert_true (g_regex_match_simple ("^[0-9]{9}$", call_id, 0, 0));
  g_assert_cmpint (sim_xpath_count (r, "/coSpace/secret"), ==, 1);
  g_assert_cmpint (sim_xpath_count (r, "//requireCallId"), ==, 0);
  {
    /* A call ID given later brings a secret. */
    g_autofree char *path = g_strdup_printf ("/api/v1/coSpaces/%s", plain);
    g_autoptr(SimResp) put = SEND (0, "PUT", path, "callId=4711");
    g_autoptr(xmlDoc) after = NULL;

    g_assert_cmpuint (put->status, ==, 200);
    after = sim_get_xml (f, 0, path);
    g_assert_cmpint (sim_xpath_count (after, "/coSpace/secret"), ==, 1);
  }
}

/* ---- filters ---- */

static void
assert_total (Fixture    *f,
              guint       node,
              const char *path,
              const char *root,
              const char *total)
{
  g_autoptr(xmlDoc) d = sim_get_xml (f, node, path);
  g_autofree char *xp = g_strdup_printf ("/%s/@total", root);
  g_autofree char *count = g_strdup_printf ("count(/%s/*)", root);
  g_autofree char *n = sim_xpath_string (d, count);

  sim_assert_xpath (d, xp, total);
  /* Everything fits the default page here: the items are the matches. */
  g_assert_cmpstr (n, ==, total);
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *t1 = post_id (f, 0, "/api/v1/tenants", "name=Sales");
  g_autofree char *t2 = post_id (f, 0, "/api/v1/tenants", "name=Engineering");
  g_autofree char *cp_used = post_id (f, 0, "/api/v1/callProfiles", "participantLimit=10");
  g_autofree char *cp_free = post_id (f, 0, "/api/v1/callProfiles", "participantLimit=20");
  g_autofree char *cp_set = post_id (f, 0, "/api/v1/callProfiles", "participantLimit=30");
  g_autofree char *lp_used = post_id (f, 0, "/api/v1/callLegProfiles", "defaultLayout=allEqual");
  g_autofree char *lp_free = post_id (f, 0, "/api/v1/callLegProfiles", "defaultLayout=stacked");
  g_autofree char *form = NULL;
  g_autofree char *s1 = NULL;
  g_autofree char *s2 = NULL;
  g_autofree char *s3 = NULL;
  g_autofree char *set_a = NULL;
  g_autofree char *set_b = NULL;
  g_autofree char *path = NULL;

  form = g_strdup_printf ("name=Sales one&uri=sales1&tenant=%s&callLegProfile=%s&callProfile=%s",
                          t1, lp_used, cp_used);
  s1 = post_id (f, 0, "/api/v1/coSpaces", form);
  g_free (form);
  form = g_strdup_printf ("name=Sales two&uri=sales2&tenant=%s", t1);
  s2 = post_id (f, 0, "/api/v1/coSpaces", form);
  g_free (form);
  form = g_strdup_printf ("name=Engineering&uri=eng&tenant=%s&callLegProfile=%s", t2, lp_used);
  s3 = post_id (f, 0, "/api/v1/coSpaces", form);
  g_free (bk_sim_cluster_add_cospace (f->sim, "No tenant", "plain", "31"));
  g_free (form);
  form = g_strdup_printf ("startIndex=100&endIndex=199&coSpaceNameMapping=A$index$&callProfile=%s", cp_set);
  set_a = post_id (f, 0, "/api/v1/cospaceBulkParameterSets", form);
  set_b = post_id (f, 0, "/api/v1/cospaceBulkParameterSets", "startIndex=500&endIndex=599&coSpaceNameMapping=B$index$");

  /* coSpaces: tenantFilter, callLegProfileFilter, filter, and together. */
  assert_total (f, 0, "/api/v1/coSpaces", "coSpaces", "4");
  g_free (path);
  path = g_strdup_printf ("/api/v1/coSpaces?tenantFilter=%s", t1);
  assert_total (f, 0, path, "coSpaces", "2");
  g_free (path);
  path = g_strdup_printf ("/api/v1/coSpaces?callLegProfileFilter=%s", lp_used);
  assert_total (f, 1, path, "coSpaces", "2");
  g_free (path);
  path = g_strdup_printf ("/api/v1/coSpaces?callLegProfileFilter=%s&tenantFilter=%s", lp_used, t2);
  {
    g_autoptr(xmlDoc) d = sim_get_xml (f, 0, path);

    sim_assert_xpath (d, "/coSpaces/@total", "1");
    sim_assert_xpath (d, "/coSpaces/coSpace/@id", s3);
  }
  g_free (path);
  path = g_strdup_printf ("/api/v1/coSpaces?tenantFilter=%s&filter=two", t1);
  {
    g_autoptr(xmlDoc) d = sim_get_xml (f, 0, path);

    sim_assert_xpath (d, "/coSpaces/@total", "1");
    sim_assert_xpath (d, "/coSpaces/coSpace/@id", s2);
  }
  g_free (path);
  path = g_strdup_printf ("/api/v1/coSpaces?tenantFilter=%s&offset=1&limit=1", t1);
  {
    /* total counts the matches, not the page. */
    g_autoptr(xmlDoc) d = sim_get_xml (f, 0, path);

    sim_assert_xpath (d, "/coSpaces/@total", "2");
    g_assert_cmpint (sim_xpath_count (d, "/coSpaces/coSpace"), ==, 1);
    sim_assert_xpath (d, "/coSpaces/coSpace/@id", s2);
  }

  /* usageFilter: referenced by a coSpace, a tenant or a bulk parameter set. */
  {
    g_autoptr(xmlDoc) used = sim_get_xml (f, 0, "/api/v1/callProfiles?usageFilter=referenced");
    g_autoptr(xmlDoc) unused = sim_get_xml (f, 0, "/api/v1/callProfiles?usageFilter=unreferenced");
    g_autoptr(xmlDoc) lused = sim_get_xml (f, 0, "/api/v1/callLegProfiles?usageFilter=referenced");
    g_autoptr(xmlDoc) lunused = sim_get_xml (f, 0, "/api/v1/callLegProfiles?usageFilter=unreferenced");
    g_autoptr(SimResp) bad = GET (0, "/api/v1/callProfiles?usageFilter=sometimes");
    g_autoptr(xmlDoc) bd = NULL;

    sim_assert_xpath (used, "/callProfiles/@total", "2");
    sim_assert_xpath (used, "/callProfiles/callProfile[1]/@id", cp_used);
    sim_assert_xpath (used, "/callProfiles/callProfile[2]/@id", cp_set);
    sim_assert_xpath (unused, "/callProfiles/@total", "1");
    sim_assert_xpath (unused, "/callProfiles/callProfile/@id", cp_free);
    sim_assert_xpath (lused, "/callLegProfiles/@total", "1");
    sim_assert_xpath (lused, "/callLegProfiles/callLegProfile/@id", lp_used);
    sim_assert_xpath (lunused, "/callLegProfiles/callLegProfile/@id", lp_free);
    sim_assert_failure (bad, 400, "parameterError");
    bd = sim_resp_xml (bad);
    sim_assert_xpath (bd, "/failureDetails/parameterError/@parameter", "usageFilter");
  }

  /* Bulk parameter sets by index: the sets whose range meets the one asked. */
  {
    g_autoptr(xmlDoc) a = sim_get_xml (f, 0, "/api/v1/cospaceBulkParameterSets?startIndex=150&endIndex=160");
    g_autoptr(xmlDoc) b = sim_get_xml (f, 0, "/api/v1/cospaceBulkParameterSets?startIndex=300");
    g_autoptr(xmlDoc) both = sim_get_xml (f, 0, "/api/v1/cospaceBulkParameterSets?startIndex=199&endIndex=500");
    g_autoptr(xmlDoc) none = sim_get_xml (f, 0, "/api/v1/cospaceBulkParameterSets?startIndex=200&endIndex=499");
    g_autoptr(xmlDoc) below = sim_get_xml (f, 0, "/api/v1/cospaceBulkParameterSets?endIndex=100");
    g_autoptr(SimResp) bad = GET (0, "/api/v1/cospaceBulkParameterSets?startIndex=x");

    sim_assert_xpath (a, "/cospaceBulkParameterSets/@total", "1");
    sim_assert_xpath (a, "/cospaceBulkParameterSets/cospaceBulkParameterSet/@id", set_a);
    sim_assert_xpath (b, "/cospaceBulkParameterSets/@total", "1");
    sim_assert_xpath (b, "/cospaceBulkParameterSets/cospaceBulkParameterSet/@id", set_b);
    sim_assert_xpath (both, "/cospaceBulkParameterSets/@total", "2");
    sim_assert_xpath (none, "/cospaceBulkParameterSets/@total", "0");
    sim_assert_xpath (below, "/cospaceBulkParameterSets/cospaceBulkParameterSet/@id", set_a);
    sim_assert_failure (bad, 400, "parameterError");
  }

  /* Calls: coSpaceFilter and tenantFilter; legs and participants. */
  {
    g_autofree char *f1 = g_strdup_printf ("coSpace=%s", s1);
    g_autofree char *f3 = g_strdup_printf ("coSpace=%s", s3);
    g_autofree char *c1 = post_id (f, 0, "/api/v1/calls", f1);
    g_autofree char *c3 = post_id (f, 0, "/api/v1/calls", f3);
    g_autofree char *l1 = g_strdup_printf ("/api/v1/calls/%s/callLegs", c1);
    g_autofree char *l3 = g_strdup_printf ("/api/v1/calls/%s/callLegs", c3);
    g_autofree char *alice = post_id (f, 0, l1, "remoteParty=alice@sales.example&name=Alice");
    g_autofree char *bob = post_id (f, 0, l1, "remoteParty=bob@sales.example&name=Bob");
    g_autofree char *carol = post_id (f, 0, l3, "remoteParty=carol@eng.example&name=Carol");
    g_autofree char *bob_pid = NULL;

    (void) alice;
    (void) carol;
    g_free (path);
    path = g_strdup_printf ("/api/v1/calls?tenantFilter=%s", t2);
    {
      g_autoptr(xmlDoc) d = sim_get_xml (f, 0, path);

      sim_assert_xpath (d, "/calls/@total", "1");
      sim_assert_xpath (d, "/calls/call/@id", c3);
    }
    g_free (path);
    path = g_strdup_printf ("/api/v1/calls?coSpaceFilter=%s&tenantFilter=%s", s1, t2);
    assert_total (f, 0, path, "calls", "0");
    /* "filter" is not a /calls parameter: ignored, as an unknown one. */
    assert_total (f, 0, "/api/v1/calls?filter=nothing-matches-this", "calls", "2");

    assert_total (f, 0, "/api/v1/callLegs?filter=SALES.example", "callLegs", "2");
    assert_total (f, 0, "/api/v1/callLegs?filter=carol", "callLegs", "1");
    g_free (path);
    path = g_strdup_printf ("/api/v1/callLegs?tenantFilter=%s", t1);
    assert_total (f, 0, path, "callLegs", "2");
    g_free (path);
    path = g_strdup_printf ("%s?filter=bob", l1);
    assert_total (f, 0, path, "callLegs", "1");

    {
      g_autoptr(xmlDoc) parts = sim_get_xml (f, 0, "/api/v1/participants?filter=bob");

      sim_assert_xpath (parts, "/participants/@total", "1");
      bob_pid = sim_xpath_string (parts, "/participants/participant/@id");
    }
    g_free (path);
    path = g_strdup_printf ("/api/v1/callLegs?participantFilter=%s", bob_pid);
    {
      g_autoptr(xmlDoc) d = sim_get_xml (f, 0, path);

      sim_assert_xpath (d, "/callLegs/@total", "1");
      sim_assert_xpath (d, "/callLegs/callLeg/@id", bob);
    }
    g_free (path);
    path = g_strdup_printf ("/api/v1/participants?tenantFilter=%s", t2);
    assert_total (f, 0, path, "participants", "1");
    g_free (path);
    path = g_strdup_printf ("/api/v1/calls/%s/participants?filter=alice", c1);
    assert_total (f, 0, path, "participants", "1");
    g_free (path);
    path = g_strdup_printf ("/api/v1/participants?callBridgeFilter=%s",
                            bk_sim_cluster_get_node_id (f->sim, 0));
    assert_total (f, 0, path, "participants", "3");
    g_free (path);
    path = g_strdup_printf ("/api/v1/participants?callBridgeFilter=%s",
                            bk_sim_cluster_get_node_id (f->sim, 1));
    assert_total (f, 0, path, "participants", "0");
  }

  /* tenants: filter on the name */
  assert_total (f, 0, "/api/v1/tenants?filter=sal", "tenants", "1");
}

/* The count TMS's verification needs in one request. */
static void
test_filtered_count (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *set = post_id (f, 0, "/api/v1/cospaceBulkParameterSets",
                                  "startIndex=1&endIndex=1000&coSpaceUriMapping=$index$&"
                                  "coSpaceNameMapping=TMS_Scheduled_Meeting_$index$&"
                                  "coSpaceCallIdMapping=$index$");
  g_autofree char *form = g_strdup_printf ("cospaceBulkParameterSet=%s", set);
  g_autofree char *sync = post_id (f, 0, "/api/v1/cospaceBulkSyncs", form);
  g_autoptr(xmlDoc) d = NULL;

  g_free (bk_sim_cluster_add_cospace (f->sim, "Cool Bridge Space", "cool", "497540167"));
  d = sim_get_xml (f, 1, "/api/v1/coSpaces?filter=TMS_Scheduled_Meeting_&limit=1");
  sim_assert_xpath (d, "/coSpaces/@total", "1000");
  g_assert_cmpint (sim_xpath_count (d, "/coSpaces/coSpace"), ==, 1);
  (void) sync;
}

/* ---- values ---- */

static void
test_valid_values (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const call_profiles[] = {
    "lyncConferenceMode=gateway", "lyncConferenceMode=dualHomeCluster",
    "lyncConferenceMode=dualHomeCallBridge", "recordingMode=automatic", "streamingMode=disabled",
    "lockMode=needsActivation", "passcodeMode=timeout&passcodeTimeout=30",
    "gatewayAudioCallOptimization=true", "participantLimit=1000&messageBoardEnabled=false",
  };
  static const char * const leg_profiles[] = {
    "deactivationMode=disconnect", "deactivationMode=remainActivated&deactivationModeTime=60",
    "deactivationMode=deactivate", "sipMediaEncryption=required", "videoMode=disabled",
    "presentationDisplayMode=singleStream", "bfcpMode=serverAndClient", "qualityMain=max720p30",
    "qualityPresentation=max720p5", "participantCounter=always", "audioGainMode=agc",
    "joinToneParticipantThreshold=100&leaveToneParticipantThreshold=0",
    "needsActivation=false&participantLabels=true&rxAudioMute=false&txVideoMute=true",
    "defaultLayout=onePlusN&maxCallDurationTime=7200&audioPacketSizeMs=20",
  };

  for (guint i = 0; i < G_N_ELEMENTS (call_profiles); i++)
    g_free (post_id (f, 0, "/api/v1/callProfiles", call_profiles[i]));
  for (guint i = 0; i < G_N_ELEMENTS (leg_profiles); i++)
    g_free (post_id (f, 0, "/api/v1/callLegProfiles", leg_profiles[i]));
  {
    g_autofree char *cdr = g_strnfill (100, 'x');
    g_autofree char *form = g_strdup_printf ("name=Tagged&uri=tagged&cdrTag=%s&panePlacementSelfPaneMode=blank", cdr);
    g_autofree char *space = post_id (f, 0, "/api/v1/coSpaces", form);
    g_autofree char *call_form = g_strdup_printf ("coSpace=%s&messagePosition=top&messageDuration=permanent&"
                                                  "locked=false&activeWhenEmpty=true", space);
    g_autofree char *call = post_id (f, 0, "/api/v1/calls", call_form);
    g_autofree char *legs = g_strdup_printf ("/api/v1/calls/%s/callLegs", call);

    g_free (post_id (f, 0, legs, "remoteParty=alice@example.com&bandwidth=2000000&confirmation=false&"
                                 "chosenLayout=speakerOnly&dtmfSequence=123#,,*9&deactivationMode=disconnect"));
    /* An ad hoc call: a name and no coSpace. */
    g_free (post_id (f, 0, "/api/v1/calls", "name=Ad hoc"));
  }
  g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, -1), ==, 1);
}

typedef struct
{
  const char *path;
  const char *form;
  const char *parameter;   /* parameterError's parameter, or NULL */
  const char *failure;     /* else this failureDetails child */
} Refusal;

static void
test_invalid_values (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *cdr101 = g_strnfill (101, 'x');
  g_autofree char *cdr_form = g_strdup_printf ("name=x&cdrTag=%s", cdr101);
  const Refusal refusals[] = {
    { "/api/v1/coSpaces", "name=x&uri=room@example.com", "uri", NULL },
    { "/api/v1/coSpaces", "name=x&secondaryUri=room@example.com", "secondaryUri", NULL },
    { "/api/v1/coSpaces", "name=x&uri=two words", "uri", NULL },
    { "/api/v1/coSpaces", cdr_form, "cdrTag", NULL },
    { "/api/v1/coSpaces", "name=x&tenant=00000000-0000-4000-8000-000000000000", NULL, "tenantDoesNotExist" },
    { "/api/v1/coSpaces", "name=x&defaultLayout=sideways", "defaultLayout", NULL },
    { "/api/v1/coSpaces", "name=x&panePlacementSelfPaneMode=mirror", "panePlacementSelfPaneMode", NULL },
    { "/api/v1/cospaceBulkParameterSets", "startIndex=1&endIndex=5&coSpaceUriMapping=$index$@example.com",
      "coSpaceUriMapping", NULL },
    { "/api/v1/cospaceBulkParameterSets", "startIndex=1&endIndex=5&coSpaceNameMapping=Room $i$",
      "coSpaceNameMapping", NULL },
    { "/api/v1/cospaceBulkParameterSets", "startIndex=1&endIndex=5&coSpaceCallIdMapping=$index$$index$",
      "coSpaceCallIdMapping", NULL },
    { "/api/v1/cospaceBulkParameterSets", "startIndex=one&endIndex=5", "startIndex", NULL },
    { "/api/v1/cospaceBulkParameterSets", "startIndex=1&endIndex=5&tenant=00000000-0000-4000-8000-000000000000",
      NULL, "tenantDoesNotExist" },
    { "/api/v1/callProfiles", "lyncConferenceMode=true", "lyncConferenceMode", NULL },
    { "/api/v1/callProfiles", "recordingMode=sometimes", "recordingMode", NULL },
    { "/api/v1/callProfiles", "participantLimit=-1", "participantLimit", NULL },
    { "/api/v1/callLegProfiles", "deactivationMode=true", "deactivationMode", NULL },
    { "/api/v1/callLegProfiles", "sipMediaEncryption=always", "sipMediaEncryption", NULL },
    { "/api/v1/callLegProfiles", "qualityMain=max4k", "qualityMain", NULL },
    { "/api/v1/callLegProfiles", "joinToneParticipantThreshold=101", "joinToneParticipantThreshold", NULL },
    { "/api/v1/callLegProfiles", "leaveToneParticipantThreshold=1000", "leaveToneParticipantThreshold", NULL },
    { "/api/v1/callLegProfiles", "muteSelfAllowed=yes", "muteSelfAllowed", NULL },
    { "/api/v1/tenants", "name=x&callLegProfile=00000000-0000-4000-8000-000000000000",
      NULL, "callLegProfileDoesNotExist" },
    { "/api/v1/calls", "locked=false", "coSpace", NULL },
    { "/api/v1/calls", "name=x&messagePosition=left", "messagePosition", NULL },
    { "/api/v1/calls", "name=x&messageDuration=forever", "messageDuration", NULL },
  };
  g_autofree char *space = bk_sim_cluster_add_cospace (f->sim, "Room", "room", "1");
  g_autofree char *call_form = g_strdup_printf ("coSpace=%s", space);
  g_autofree char *call = post_id (f, 0, "/api/v1/calls", call_form);
  g_autofree char *legs = g_strdup_printf ("/api/v1/calls/%s/callLegs", call);
  g_autofree char *put_path = g_strdup_printf ("/api/v1/coSpaces/%s", space);

  for (guint i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autoptr(SimResp) r = SEND (i % 2, "POST", refusals[i].path, refusals[i].form);
      g_autoptr(xmlDoc) d = NULL;

      g_test_message ("POST %s %s", refusals[i].path, refusals[i].form);
      if (refusals[i].parameter != NULL)
        {
          /* <failureDetails><parameterError parameter="uri" error="invalidValue" /></failureDetails> */
          sim_assert_failure (r, 400, "parameterError");
          d = sim_resp_xml (r);
          sim_assert_xpath (d, "/failureDetails/parameterError/@parameter", refusals[i].parameter);
          sim_assert_xpath (d, "/failureDetails/parameterError/@error", "invalidValue");
          g_assert_cmpint (sim_xpath_count (d, "/failureDetails/*"), ==, 1);
        }
      else
        sim_assert_failure (r, 400, refusals[i].failure);
    }
  {
    /* On call legs and PUTs too. */
    g_autoptr(SimResp) r1 = SEND (0, "POST", legs, "remoteParty=a@b&chosenLayout=sideways");
    g_autoptr(SimResp) r2 = SEND (0, "POST", legs, "remoteParty=a@b&dtmfSequence=12AB");
    g_autoptr(SimResp) r3 = SEND (0, "PUT", put_path, "uri=room@example.com");
    g_autoptr(SimResp) r4 = SEND (0, "PUT", put_path, "tenant=00000000-0000-4000-8000-000000000000");
    g_autoptr(xmlDoc) d3 = NULL;

    sim_assert_failure (r1, 400, "parameterError");
    sim_assert_failure (r2, 400, "parameterError");
    sim_assert_failure (r3, 400, "parameterError");
    d3 = sim_resp_xml (r3);
    sim_assert_xpath (d3, "/failureDetails/parameterError/@parameter", "uri");
    sim_assert_failure (r4, 400, "tenantDoesNotExist");
  }
  /* Nothing refused was made or changed. */
  {
    g_autoptr(xmlDoc) one = sim_get_xml (f, 0, put_path);
    g_autoptr(xmlDoc) sets = sim_get_xml (f, 0, "/api/v1/cospaceBulkParameterSets");
    g_autoptr(xmlDoc) cps = sim_get_xml (f, 0, "/api/v1/callProfiles");
    g_autoptr(xmlDoc) lps = sim_get_xml (f, 0, "/api/v1/callLegProfiles");
    g_autoptr(xmlDoc) tenants = sim_get_xml (f, 0, "/api/v1/tenants");

    sim_assert_xpath (one, "/coSpace/uri", "room");
    g_assert_cmpint (sim_xpath_count (one, "/coSpace/tenant"), ==, 0);
    sim_assert_xpath (sets, "/cospaceBulkParameterSets/@total", "0");
    sim_assert_xpath (cps, "/callProfiles/@total", "0");
    sim_assert_xpath (lps, "/callLegProfiles/@total", "0");
    sim_assert_xpath (tenants, "/tenants/@total", "0");
    g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (f->sim), ==, 1);
    g_assert_cmpuint (bk_sim_cluster_get_n_calls (f->sim, -1), ==, 1);
    g_assert_cmpuint (bk_sim_cluster_get_n_call_legs (f->sim, -1), ==, 0);
  }
  {
    /* A known tenant is accepted, and its spaces carry it. */
    g_autofree char *tenant = post_id (f, 1, "/api/v1/tenants", "name=Known");
    g_autofree char *form = g_strdup_printf ("tenant=%s", tenant);
    g_autoptr(SimResp) ok = SEND (0, "PUT", put_path, form);
    g_autoptr(xmlDoc) one = NULL;

    g_assert_cmpuint (ok->status, ==, 200);
    one = sim_get_xml (f, 1, put_path);
    sim_assert_xpath (one, "/coSpace/tenant", tenant);
  }
}

/* ---- call legs ---- */

typedef struct
{
  Fixture    *f;
  const char *path;
} GoneWait;

static gboolean
leg_gone (gpointer data)
{
  GoneWait *w = data;
  g_autoptr(SimResp) r = sim_request (w->f->session, w->f->sim, 0, "GET", w->path, NULL, TRUE);

  return r->status == 404;
}

static void
test_leg_states (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *space = bk_sim_cluster_add_cospace (f->sim, "Meeting", "meeting", "123");
  g_autofree char *form = g_strdup_printf ("coSpace=%s", space);
  g_autofree char *call = post_id (f, 0, "/api/v1/calls", form);
  g_autofree char *legs = g_strdup_printf ("/api/v1/calls/%s/callLegs", call);
  g_autofree char *ok = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *ok_path = NULL;
  g_autofree char *bad_path = NULL;

  bk_sim_cluster_set_call_leg_connect_delay (f->sim, bk_test_scale_ms (3000));
  bk_sim_cluster_set_failing_pattern (f->sim, "*@unreachable.example");
  ok = post_id (f, 0, legs, "remoteParty=alice@example.com");
  bad = post_id (f, 0, legs, "remoteParty=bob@unreachable.example");
  ok_path = g_strdup_printf ("/api/v1/callLegs/%s", ok);
  bad_path = g_strdup_printf ("/api/v1/callLegs/%s", bad);
  {
    /* A new leg is "initial", as on CMS, and not yet a participant. */
    g_autoptr(xmlDoc) a = sim_get_xml (f, 0, ok_path);
    g_autoptr(xmlDoc) b = sim_get_xml (f, 0, bad_path);
    g_autoptr(xmlDoc) parts = sim_get_xml (f, 0, "/api/v1/participants");

    sim_assert_xpath (a, "/callLeg/status/state", "initial");
    sim_assert_xpath (b, "/callLeg/status/state", "initial");
    sim_assert_xpath (parts, "/participants/@total", "0");
  }
  sim_wait_xpath (f, 0, ok_path, "/callLeg/status/state", "ringing", 20000);
  sim_wait_xpath (f, 0, bad_path, "/callLeg/status/state", "ringing", 20000);
  sim_wait_xpath (f, 0, ok_path, "/callLeg/status/state", "connected", 20000);
  {
    GoneWait w = { f, bad_path };

    sim_wait_until (leg_gone, &w, 20000);
  }
  {
    /* The failed leg is gone: callLegDoesNotExist, out of every list. */
    g_autoptr(SimResp) gone = GET (0, bad_path);
    g_autoptr(xmlDoc) list = sim_get_xml (f, 0, legs);
    g_autoptr(xmlDoc) parts = sim_get_xml (f, 0, "/api/v1/participants");
    g_autoptr(xmlDoc) st = sim_get_xml (f, 0, "/api/v1/system/status");
    g_autofree char *trace = bk_sim_cluster_dup_trace (f->sim);

    sim_assert_failure (gone, 404, "callLegDoesNotExist");
    sim_assert_xpath (list, "/callLegs/@total", "1");
    sim_assert_xpath (list, "/callLegs/callLeg/@id", ok);
    sim_assert_xpath (parts, "/participants/@total", "1");
    sim_assert_xpath (st, "/status/callLegsActive", "1");
    g_assert_nonnull (strstr (trace, "call to \"bob@unreachable.example\" failed"));
  }
  {
    /* Without a delay a failing call is gone at once. */
    g_autofree char *now = NULL;
    g_autofree char *now_path = NULL;
    g_autoptr(SimResp) gone = NULL;

    bk_sim_cluster_set_call_leg_connect_delay (f->sim, 0);
    now = post_id (f, 0, legs, "remoteParty=carol@unreachable.example");
    now_path = g_strdup_printf ("/api/v1/callLegs/%s", now);
    gone = GET (0, now_path);
    sim_assert_failure (gone, 404, "callLegDoesNotExist");
    bk_sim_cluster_set_failing_pattern (f->sim, NULL);
  }
}

/* ---- versions ---- */

static void
test_invalid_version (Fixture       *f,
                      gconstpointer  data)
{
  static const char * const paths[] = {
    "/api/v2/coSpaces", "/api/v2/system/status", "/api/v0/calls", "/api/V3/", "/api/latest/coSpaces",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(SimResp) r = GET (i % 2, paths[i]);

      g_test_message ("GET %s", paths[i]);
      /* <failureDetails><invalidVersion /></failureDetails> (APIB failure table) */
      sim_assert_failure (r, 400, "invalidVersion");
    }
  {
    g_autoptr(SimResp) post = SEND (0, "POST", "/api/v2/coSpaces", "name=x");
    g_autoptr(SimResp) v1 = GET (0, "/api/V1/coSpaces");

    sim_assert_failure (post, 400, "invalidVersion");
    g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (f->sim), ==, 0);
    g_assert_cmpuint (v1->status, ==, 200);
  }
}

/* ---- bulk syncs ---- */

typedef struct
{
  Fixture    *f;
  const char *path;
} SyncWait;

static char *
sync_state (Fixture    *f,
            const char *path)
{
  g_autoptr(xmlDoc) d = sim_get_xml (f, 0, path);

  return sim_xpath_string (d, "/cospaceBulkSync/status");
}

static gboolean
sync_done (gpointer data)
{
  SyncWait *w = data;
  g_autofree char *st = sync_state (w->f, w->path);

  return !g_str_equal (st, "pending") && !g_str_equal (st, "running");
}

static void
test_bulk_sync_time (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *small = post_id (f, 0, "/api/v1/cospaceBulkParameterSets",
                                    "startIndex=1&endIndex=5&coSpaceUriMapping=small.$index$");
  g_autofree char *large = post_id (f, 0, "/api/v1/cospaceBulkParameterSets",
                                    "startIndex=1&endIndex=3000&coSpaceUriMapping=large.$index$");
  g_autofree char *fs = g_strdup_printf ("cospaceBulkParameterSet=%s", small);
  g_autofree char *fl = g_strdup_printf ("cospaceBulkParameterSet=%s", large);
  g_autofree char *ss = NULL;
  g_autofree char *sl = NULL;
  g_autofree char *ps = NULL;
  g_autofree char *pl = NULL;
  g_autofree char *st_l = NULL;
  g_autofree char *st_s = NULL;
  SyncWait ws, wl;

  /* 3000 indexes at 1000 a second: 3 s more than 5 indexes. */
  bk_sim_cluster_set_bulk_sync_delay (f->sim, 100);
  bk_sim_cluster_set_bulk_sync_rate (f->sim, 1000);
  sl = post_id (f, 0, "/api/v1/cospaceBulkSyncs", fl);
  ss = post_id (f, 1, "/api/v1/cospaceBulkSyncs", fs);
  ps = g_strdup_printf ("/api/v1/cospaceBulkSyncs/%s", ss);
  pl = g_strdup_printf ("/api/v1/cospaceBulkSyncs/%s", sl);
  ws = (SyncWait) { f, ps };
  wl = (SyncWait) { f, pl };
  sim_wait_until (sync_done, &ws, 20000);
  st_s = sync_state (f, ps);
  st_l = sync_state (f, pl);
  g_assert_cmpstr (st_s, ==, "complete");
  /* Started first, the larger range is still running. */
  g_assert_cmpstr (st_l, ==, "running");
  g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (f->sim), ==, 5);
  sim_wait_until (sync_done, &wl, 30000);
  g_free (st_l);
  st_l = sync_state (f, pl);
  g_assert_cmpstr (st_l, ==, "complete");
  g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (f->sim), ==, 3005);
}

int
main (int   argc,
      char *argv[])
{
  bk_test_init (&argc, &argv);

#define ADD(name, fn) g_test_add (name, Fixture, NULL, fixture_setup, fn, sim_fixture_tear_down)
  ADD ("/sim/fidelity/list-summaries", test_list_summaries);
  ADD ("/sim/fidelity/cospace-detail", test_cospace_detail);
  ADD ("/sim/fidelity/filters", test_filters);
  ADD ("/sim/fidelity/filtered-count", test_filtered_count);
  ADD ("/sim/fidelity/valid-values", test_valid_values);
  ADD ("/sim/fidelity/invalid-values", test_invalid_values);
  ADD ("/sim/fidelity/leg-states", test_leg_states);
  ADD ("/sim/fidelity/invalid-version", test_invalid_version);
  ADD ("/sim/fidelity/bulk-sync-time", test_bulk_sync_time);
#undef ADD

  return g_test_run ();
}
