/* bench-onboarding.c: onboarding a 2-node cluster with 1000 slots, against
 * TMS's request sequence replayed with plain libsoup, on the same simulator
 * with the same injected latency. Prints figures; not a test.
 *
 * TMS's sequence (tms-cms-workflow.md 3a + 3b): an un-authenticated GET
 * /system/status answered 401, the same with credentials, GET /callBridges,
 * every /callBridges/<id> one after the other, POST /callProfiles, POST
 * /callLegProfiles, POST /cospaceBulkParameterSets, POST /cospaceBulkSyncs,
 * GET /cospaceBulkSyncs/<id> until complete, GET /system/status. All
 * sequential. TMS polls the sync about 2 s after posting it; the replay
 * polls it on Bridgekeeper's own schedule instead (first after
 * BK_RESERVATION_POLL_FIRST_MS, then 1.5 times longer each time up to
 * BK_RESERVATION_POLL_MAX_MS), so that the wall times compare the request
 * sequences, not the poll intervals.
 *
 * Usage: bench-onboarding [QUANTITY [LATENCY_MS [PAGE_CAP]]]
 *        (defaults 1000, 50 and the simulator's page cap, 10)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "bk-onboarding.h"
#include "bk-reservation.h"
#include "bk-sim.h"

typedef struct
{
  const char *base_url;
  guint       quantity;
  gboolean    done;
  guint       requests;
  char       *error;
} TmsRun;

static gboolean
accept_any_cb (SoupMessage          *msg,
               GTlsCertificate      *cert,
               GTlsCertificateFlags  errors,
               gpointer              user_data)
{
  return TRUE;   /* TMS does not verify the Web Admin certificate */
}

/* One request, synchronously (worker thread); returns the body, or NULL. */
static char *
tms_request (SoupSession  *session,
             TmsRun       *run,
             const char   *method,
             const char   *path,
             const char   *form,
             gboolean      authenticate,
             guint        *status,
             char        **location)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v1/%s", run->base_url, path);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_cb), NULL);
  if (authenticate)
    {
      g_autofree char *pair = g_strdup_printf ("%s:%s", BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD);
      g_autofree char *b64 = g_base64_encode ((const guchar *) pair, strlen (pair));
      g_autofree char *header = g_strdup_printf ("Basic %s", b64);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
    }
  if (form != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));

      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
    }
  run->requests++;
  body = soup_session_send_and_read (session, msg, NULL, &error);
  if (body == NULL)
    {
      run->error = g_strdup_printf ("%s %s: %s", method, path, error->message);
      return NULL;
    }
  *status = soup_message_get_status (msg);
  if (location != NULL)
    {
      const char *loc = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");

      *location = loc != NULL ? g_path_get_basename (loc) : NULL;
    }
  if (g_bytes_get_size (body) == 0)
    return g_strdup ("");
  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

/* All id="..." attributes of a list body. */
static GPtrArray *
ids_of (const char *xml)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  const char *p = xml;

  while ((p = strstr (p, " id=\"")) != NULL)
    {
      const char *start = p + 5;
      const char *end = strchr (start, '"');

      if (end == NULL)
        break;
      g_ptr_array_add (ids, g_strndup (start, end - start));
      p = end;
    }
  return ids;
}

static gpointer
tms_thread (gpointer data)
{
  TmsRun *run = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *body = NULL;
  g_autofree char *cp = NULL, *clp = NULL, *set = NULL, *sync = NULL;
  g_autofree char *form = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  guint status = 0;

  g_main_context_push_thread_default (context);
  session = soup_session_new ();

#define REQ(m, p, f, auth, loc) \
  do { g_free (body); body = tms_request (session, run, m, p, f, auth, &status, loc); \
       if (body == NULL) goto out; } while (0)

  REQ ("GET", "system/status", NULL, FALSE, NULL);          /* 401 */
  REQ ("GET", "system/status", NULL, TRUE, NULL);
  REQ ("GET", "callBridges", NULL, TRUE, NULL);
  ids = ids_of (body);
  for (guint i = 0; i < ids->len; i++)
    {
      g_autofree char *p = g_strdup_printf ("callBridges/%s", (char *) g_ptr_array_index (ids, i));

      REQ ("GET", p, NULL, TRUE, NULL);
    }
  REQ ("POST", "callProfiles", "participantLimit=1000&messageBoardEnabled=false", TRUE, &cp);
  REQ ("POST", "callLegProfiles",
       "defaultLayout=telepresence&changeLayoutAllowed=true&presentationContributionAllowed=true&"
       "presentationViewingAllowed=true&muteSelfAllowed=true&videoMuteSelfAllowed=true", TRUE, &clp);
  form = g_strdup_printf ("startIndex=1&endIndex=%u&coSpaceUriMapping=$index$&"
                          "coSpaceNameMapping=TMS_Scheduled_Meeting_$index$&coSpaceCallIdMapping=$index$&"
                          "callProfile=%s&callLegProfile=%s&nonMemberAccess=false",
                          run->quantity, cp, clp);
  REQ ("POST", "cospaceBulkParameterSets", form, TRUE, &set);
  g_free (form);
  form = g_strdup_printf ("cospaceBulkParameterSet=%s", set);
  REQ ("POST", "cospaceBulkSyncs", form, TRUE, &sync);
  for (guint wait_ms = BK_RESERVATION_POLL_FIRST_MS;; wait_ms = MIN (wait_ms * 3 / 2, BK_RESERVATION_POLL_MAX_MS))
    {
      g_autofree char *p = g_strdup_printf ("cospaceBulkSyncs/%s", sync);

      g_usleep (wait_ms * (G_USEC_PER_SEC / 1000));
      REQ ("GET", p, NULL, TRUE, NULL);
      if (strstr (body, "<status>complete</status>") != NULL)
        break;
      if (strstr (body, "<status>failed") != NULL)
        {
          run->error = g_strdup ("the bulk sync failed");
          goto out;
        }
    }
  REQ ("GET", "system/status", NULL, TRUE, NULL);

out:
  g_main_context_pop_thread_default (context);
  g_atomic_int_set (&run->done, TRUE);
  return NULL;
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
die_on (GError *error,
        const char *what)
{
  if (error != NULL)
    {
      g_printerr ("%s: %s\n", what, error->message);
      exit (1);
    }
}

static guint
count_slot_spaces (BkSimCluster *sim)
{
  return bk_sim_cluster_get_n_cospaces (sim);
}

int
main (int   argc,
      char *argv[])
{
  guint quantity = argc > 1 ? (guint) atoi (argv[1]) : 1000;
  guint latency = argc > 2 ? (guint) atoi (argv[2]) : 50;
  guint page_cap = argc > 3 ? (guint) atoi (argv[3]) : BK_SIM_DEFAULT_PAGE_CAP;
  guint ours_space_pages;
  g_autoptr(BkSimCluster) sim = bk_sim_cluster_new (2);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  TmsRun tms = { 0 };
  GThread *thread;
  gint64 t0;
  double tms_s, ours_s;
  guint tms_requests, ours_requests, tms_spaces, ours_spaces;
  guint reserved_requests = 0, tms_polls;
  double reserved_s = 0;

  bk_sim_cluster_set_tls (sim, TRUE);
  if (!bk_sim_cluster_start (sim, &error))
    die_on (error, "simulator");

  /* --- TMS's sequence --- */
  bk_sim_cluster_set_latency (sim, latency, 0);
  bk_sim_cluster_set_page_cap (sim, page_cap);
  tms.base_url = bk_sim_cluster_get_node_url (sim, 0);
  tms.quantity = quantity;
  t0 = g_get_monotonic_time ();
  thread = g_thread_new ("tms", tms_thread, &tms);
  while (!g_atomic_int_get (&tms.done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
  tms_s = (g_get_monotonic_time () - t0) / 1e6;
  if (tms.error != NULL)
    {
      g_printerr ("TMS replay: %s\n", tms.error);
      return 1;
    }
  tms_requests = bk_sim_cluster_get_request_count (sim, -1, NULL, NULL);
  tms_polls = bk_sim_cluster_get_request_count (sim, -1, "GET", "/api/v1/cospaceBulkSyncs/");
  tms_spaces = count_slot_spaces (sim);

  /* --- Bridgekeeper --- */
  bk_sim_cluster_reset (sim);
  bk_sim_cluster_set_latency (sim, latency, 0);
  bk_sim_cluster_set_page_cap (sim, page_cap);
  dir = g_dir_make_tmp ("bench-onboarding-XXXXXX", &error);
  die_on (error, "tmpdir");
  {
    g_autoptr(BkDeviceStore) store = bk_device_store_new (dir);
    g_autoptr(BkSecrets) secrets = bk_secrets_new ();
    g_autoptr(BkOnboarding) ob = bk_onboarding_new (store, secrets);
    g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", bk_sim_cluster_get_node_port (sim, 0));
    g_autoptr(GPtrArray) members = NULL;
    g_autoptr(GPtrArray) collisions = NULL;
    GAsyncResult *res = NULL;

    /* Keep the keyring out of the figure: session-only passwords. */
    g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");
    bk_onboarding_trust_certificate (ob, bk_sim_cluster_get_certificate_sha256 (sim));
    t0 = g_get_monotonic_time ();
    bk_onboarding_connect_async (ob, address, BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD, NULL, result_cb, &res);
    bk_onboarding_connect_finish (ob, wait_for (&res), &error);
    g_clear_object (&res);
    die_on (error, "connect");
    bk_onboarding_discover_async (ob, NULL, result_cb, &res);
    members = bk_onboarding_discover_finish (ob, wait_for (&res), &error);
    g_clear_object (&res);
    die_on (error, "discover");
    bk_onboarding_set_name (ob, "Bench", NULL);
    bk_onboarding_check_range_async (ob, "meet.example.com", 1, quantity, NULL, result_cb, &res);
    collisions = bk_onboarding_check_range_finish (ob, wait_for (&res), &error);
    g_clear_object (&res);
    die_on (error, "check range");
    bk_onboarding_reserve_async (ob, NULL, result_cb, &res);
    bk_onboarding_reserve_finish (ob, wait_for (&res), &error);
    g_clear_object (&res);
    die_on (error, "reserve");
    reserved_s = (g_get_monotonic_time () - t0) / 1e6;
    reserved_requests = bk_sim_cluster_get_request_count (sim, -1, NULL, NULL);
    for (guint i = 0; i < members->len; i++)
      {
        const BkClusterMember *m = g_ptr_array_index (members, i);

        if (g_strcmp0 (m->id, bk_sim_cluster_get_node_id (sim, 1)) == 0)
          bk_onboarding_set_alternate (ob, m->id, NULL, NULL, NULL);
      }
    bk_onboarding_finish_async (ob, NULL, result_cb, &res);
    bk_onboarding_finish_finish (ob, wait_for (&res), &error);
    g_clear_object (&res);
    die_on (error, "finish");
    ours_s = (g_get_monotonic_time () - t0) / 1e6;
  }
  ours_requests = bk_sim_cluster_get_request_count (sim, -1, NULL, NULL);
  ours_spaces = count_slot_spaces (sim);
  ours_space_pages = bk_sim_cluster_get_request_count (sim, -1, "GET", "/api/v1/coSpaces");

  g_print ("Onboarding a 2-node cluster, %u slots, %u ms latency per request, simulator page cap %u,\n"
           "bulk sync polled by both on Bridgekeeper's schedule (first after %u ms, x1.5 up to %u ms)\n",
           quantity, latency, page_cap, BK_RESERVATION_POLL_FIRST_MS, BK_RESERVATION_POLL_MAX_MS);
  g_print ("  TMS sequence (sequential, 401 first):                  %3u requests  %6.2f s  (%u spaces)\n",
           tms_requests, tms_s, tms_spaces);
  g_print ("  Bridgekeeper (collision check, count verification):    %3u requests  %6.2f s  (%u spaces)\n",
           ours_requests, ours_s, ours_spaces);
  g_print ("    up to the reserved slots: %u requests %.2f s; then Finish (the alternate checked with its\n"
           "    own user and certificate, which TMS does not do): %u requests %.2f s\n",
           reserved_requests, reserved_s, ours_requests - reserved_requests, ours_s - reserved_s);
  g_print ("    GET /coSpaces (range check pages + one count): %u; bulk sync polls: TMS %u, Bridgekeeper %u\n",
           ours_space_pages, tms_polls, bk_sim_cluster_get_request_count (sim, -1, "GET", "/api/v1/cospaceBulkSyncs/"));
  g_print ("  time ratio Bridgekeeper / TMS: %.2f   request ratio: %.2f\n",
           ours_s / tms_s, (double) ours_requests / tms_requests);

  bk_sim_cluster_stop (sim);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *p = g_build_filename (dir, name, NULL);
        g_unlink (p);
      }
    g_rmdir (dir);
  }
  return 0;
}
