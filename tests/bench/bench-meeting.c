/* bench-meeting.c: starting a meeting with 5 participants and ending it,
 * against TMS's request sequence replayed with plain libsoup, on the same
 * simulator with the same injected latency, in the same run. Prints
 * figures; not a test.
 *
 * TMS's sequences (tms-cms-workflow.md 3c and 3e), all sequential:
 *   start: GET /system/status, GET /participants, GET /coSpaces answered 401,
 *          the same with credentials, PUT /cospaces/<slot> (nonMemberAccess,
 *          passcode, name, a secret it made), POST /calls, GET /system/status,
 *          GET /coSpaces, GET /calls, GET /callLegs, then one POST
 *          /calls/<id>/callLegs per participant;
 *   end:   GET /system/status, GET /coSpaces, GET /calls, GET /coSpaces,
 *          PUT /cospaces/<slot> (placeholder, regenerateSecret), DELETE /calls/<id>.
 * Bridgekeeper: BkMeeting (2 + k requests to start, 2 to end), as the
 * engine runs it: activated at the early join with the dial held (PUT the
 * space, POST /calls: 2 requests), then dialled at the start
 * (bk_meeting_dial_async: k callLegs in parallel).
 *
 * "Start to all legs dialled" is the time spent in requests: for
 * Bridgekeeper the activation plus the dial, back to back (the 5 minutes
 * between them in production are the booking's early join, not request
 * time, and TMS waits them too: it allocates at the early join and does
 * not dial before the start), against TMS's whole sequence run straight
 * through. The dial alone (what the participants wait for at the start)
 * is printed too.
 *
 * Both then follow the same polling rule until every participant is
 * connected: every POLL_MS, read the state of each leg not yet connected
 * (TMS one GET /callLegs/<id> after the other; Bridgekeeper its poll: the
 * call's leg list plus those legs' details, in parallel).
 *
 * Usage: bench-meeting [LATENCY_MS [PARTICIPANTS [POLL_MS [plain]]]]
 *        (defaults 50, 5, 500 and HTTPS; "plain": HTTP without TLS)
 *
 * Over HTTPS every POST opens a new connection (libsoup never sends a
 * non-idempotent request on a reused one), and the simulator's side of each
 * TLS handshake runs on the same thread as the client: the parallel legs'
 * handshakes are serialised here, as they would not be against a bridge.
 * "plain" shows the round trips alone. BENCH_LOG=1 prints our start's
 * requests with their times (from the client's log).
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <libsoup/soup.h>

#include "bk-meeting.h"
#include "bk-sim.h"

#define SLOT_NAME "TMS_Scheduled_Meeting_1"
#define TITLE     "Bench meeting"

typedef struct
{
  const char *base_url;
  guint       n_participants;
  guint       poll_ms;
  gboolean    done;
  char       *error;
  gint64      t_start, t_dialled, t_connected, t_end_start, t_ended;
  guint       start_requests, end_requests, poll_requests;
} TmsRun;

static gboolean
accept_any_cb (SoupMessage          *msg,
               GTlsCertificate      *cert,
               GTlsCertificateFlags  errors,
               gpointer              user_data)
{
  return TRUE;   /* TMS does not verify the Web Admin certificate */
}

static char *
tms_request (SoupSession  *session,
             TmsRun       *run,
             guint        *counter,
             const char   *method,
             const char   *path,
             const char   *form,
             gboolean      authenticate,
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
  (*counter)++;
  body = soup_session_send_and_read (session, msg, NULL, &error);
  if (body == NULL)
    {
      run->error = g_strdup_printf ("%s %s: %s", method, path, error->message);
      return NULL;
    }
  if (location != NULL)
    {
      const char *loc = soup_message_headers_get_one (soup_message_get_response_headers (msg), "Location");

      *location = loc != NULL ? g_path_get_basename (loc) : NULL;
    }
  if (g_bytes_get_size (body) == 0)
    return g_strdup ("");
  return g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

/* The id of the <coSpace> whose <name> is @name in a list body. */
static char *
space_id_of (const char *xml,
             const char *name)
{
  g_autofree char *element = g_strdup_printf ("<name>%s</name>", name);
  const char *at = strstr (xml, element);
  const char *id;
  const char *end;

  if (at == NULL)
    return NULL;
  for (id = at; id > xml && strncmp (id, " id=\"", 5) != 0; id--)
    ;
  if (id == xml)
    return NULL;
  id += 5;
  end = strchr (id, '"');
  return end ? g_strndup (id, end - id) : NULL;
}

static gpointer
tms_thread (gpointer data)
{
  TmsRun *run = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *body = NULL;
  g_autofree char *space = NULL, *call = NULL, *form = NULL, *secret = NULL;
  g_autoptr(GPtrArray) legs = g_ptr_array_new_with_free_func (g_free);
  g_autofree gboolean *connected = NULL;
  guint *c;

  g_main_context_push_thread_default (context);
  session = soup_session_new ();

#define REQ(m, p, f, auth, loc) \
  do { g_free (body); body = tms_request (session, run, c, m, p, f, auth, loc); \
       if (body == NULL) goto out; } while (0)

  /* Start (3c). */
  c = &run->start_requests;
  run->t_start = g_get_monotonic_time ();
  REQ ("GET", "system/status", NULL, TRUE, NULL);
  REQ ("GET", "participants", NULL, TRUE, NULL);
  REQ ("GET", "coSpaces", NULL, FALSE, NULL);           /* 401 */
  REQ ("GET", "coSpaces", NULL, TRUE, NULL);
  space = space_id_of (body, SLOT_NAME);
  if (space == NULL)
    {
      run->error = g_strdup ("TMS: slot space not in the first page");
      goto out;
    }
  secret = g_uuid_string_random ();
  form = g_strdup_printf ("nonMemberAccess=true&passcode=4711&name=%s&secret=%s", TITLE, secret);
  {
    g_autofree char *p = g_strdup_printf ("cospaces/%s", space);

    REQ ("PUT", p, form, TRUE, NULL);
  }
  g_free (form);
  form = g_strdup_printf ("coSpace=%s", space);
  REQ ("POST", "calls", form, TRUE, &call);
  REQ ("GET", "system/status", NULL, TRUE, NULL);
  REQ ("GET", "coSpaces", NULL, TRUE, NULL);
  REQ ("GET", "calls", NULL, TRUE, NULL);
  REQ ("GET", "callLegs", NULL, TRUE, NULL);
  for (guint i = 0; i < run->n_participants; i++)
    {
      g_autofree char *p = g_strdup_printf ("calls/%s/calllegs", call);
      g_autofree char *f = g_strdup_printf ("remoteParty=endpoint%u@bench.example", i);
      char *leg = NULL;

      REQ ("POST", p, f, TRUE, &leg);
      g_ptr_array_add (legs, leg);
    }
  run->t_dialled = g_get_monotonic_time ();

  /* The same polling rule as ours. */
  c = &run->poll_requests;
  connected = g_new0 (gboolean, legs->len);
  for (;;)
    {
      gboolean all = TRUE;

      g_usleep (run->poll_ms * 1000);
      for (guint i = 0; i < legs->len; i++)
        {
          g_autofree char *p = NULL;

          if (connected[i])
            continue;
          p = g_strdup_printf ("callLegs/%s", (char *) g_ptr_array_index (legs, i));
          REQ ("GET", p, NULL, TRUE, NULL);
          connected[i] = strstr (body, "<state>connected</state>") != NULL;
          all = all && connected[i];
        }
      if (all)
        break;
    }
  run->t_connected = g_get_monotonic_time ();

  /* End (3e). */
  c = &run->end_requests;
  run->t_end_start = g_get_monotonic_time ();
  REQ ("GET", "system/status", NULL, TRUE, NULL);
  REQ ("GET", "coSpaces", NULL, TRUE, NULL);
  REQ ("GET", "calls", NULL, TRUE, NULL);
  REQ ("GET", "coSpaces", NULL, TRUE, NULL);
  {
    g_autofree char *p = g_strdup_printf ("cospaces/%s", space);

    REQ ("PUT", p, "nonMemberAccess=false&passcode=&name=" SLOT_NAME "&regenerateSecret=true", TRUE, NULL);
    g_free (p);
    p = g_strdup_printf ("calls/%s", call);
    REQ ("DELETE", p, NULL, TRUE, NULL);
  }
  run->t_ended = g_get_monotonic_time ();

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
die_on (GError     *error,
        const char *what)
{
  if (error != NULL)
    {
      g_printerr ("%s: %s\n", what, error->message);
      exit (1);
    }
}

static gboolean
flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
sleep_in_loop (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Slots 1..5, as TMS's bulk sync makes them. */
static void
make_slots (BkSimCluster *sim)
{
  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("TMS_Scheduled_Meeting_%u", i);
      g_autofree char *number = g_strdup_printf ("%u", i);
      g_autofree char *id = bk_sim_cluster_add_cospace (sim, name, number, number);
    }
}

static char *
slot_id (BkSimCluster *sim,
         BkCmsClient  *client)
{
  const char *params[] = { "filter", SLOT_NAME, NULL };
  GAsyncResult *res = NULL;
  g_autoptr(GPtrArray) spaces = NULL;
  g_autoptr(GError) error = NULL;

  bk_cms_client_list_async (client, BK_CMS_KIND_COSPACE, "coSpaces", params, NULL, NULL, NULL, result_cb, &res);
  spaces = bk_cms_client_list_finish (client, wait_for (&res), &error);
  g_object_unref (res);
  die_on (error, "slot lookup");
  for (guint i = 0; i < spaces->len; i++)
    {
      const BkCmsCoSpace *s = g_ptr_array_index (spaces, i);

      if (g_strcmp0 (s->name, SLOT_NAME) == 0)
        return g_strdup (s->id);
    }
  g_printerr ("no slot space\n");
  exit (1);
}

int
main (int   argc,
      char *argv[])
{
  guint latency = argc > 1 ? (guint) atoi (argv[1]) : 50;
  guint n = argc > 2 ? (guint) atoi (argv[2]) : 5;
  guint poll_ms = argc > 3 ? (guint) atoi (argv[3]) : 500;
  gboolean tls = !(argc > 4 && g_str_equal (argv[4], "plain"));
  g_autoptr(BkSimCluster) sim = bk_sim_cluster_new (1);
  g_autoptr(BkCmsClient) client = NULL;
  g_autoptr(BkMeeting) meeting = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) uris = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *space = NULL;
  TmsRun tms = { 0 };
  GThread *thread;
  GAsyncResult *res = NULL;
  gint64 t0, t_activated, t_dial0, t_dialled, t_connected, t_end0, t_ended;
  guint our_activate;
  guint our_start, our_401, our_poll, our_end, tms_401;
  gboolean all;

  bk_sim_cluster_set_tls (sim, tls);
  if (!bk_sim_cluster_start (sim, &error))
    die_on (error, "simulator");
  make_slots (sim);

  /* --- TMS's sequence --- */
  bk_sim_cluster_reset_counters (sim);
  bk_sim_cluster_set_latency (sim, latency, 0);
  tms.base_url = bk_sim_cluster_get_node_url (sim, 0);
  tms.n_participants = n;
  tms.poll_ms = poll_ms;
  thread = g_thread_new ("tms", tms_thread, &tms);
  while (!g_atomic_int_get (&tms.done))
    g_main_context_iteration (NULL, TRUE);
  g_thread_join (thread);
  if (tms.error != NULL)
    {
      g_printerr ("TMS replay: %s\n", tms.error);
      return 1;
    }
  /* TMS sends GET /coSpaces 4 times with credentials (2 to start, 2 to end). */
  tms_401 = bk_sim_cluster_get_request_count (sim, -1, "GET", "/api/v1/coSpaces") - 4;

  /* --- Bridgekeeper --- */
  bk_sim_cluster_reset (sim);
  make_slots (sim);
  client = bk_cms_client_new (bk_sim_cluster_get_node_url (sim, 0), BK_SIM_DEFAULT_USERNAME,
                              BK_SIM_DEFAULT_PASSWORD, bk_sim_cluster_get_certificate_sha256 (sim));
  space = slot_id (sim, client);    /* known from the slot binding, as in the app */
  g_object_unref (client);
  client = bk_cms_client_new (bk_sim_cluster_get_node_url (sim, 0), BK_SIM_DEFAULT_USERNAME,
                              BK_SIM_DEFAULT_PASSWORD, bk_sim_cluster_get_certificate_sha256 (sim));
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (uris, g_strdup_printf ("endpoint%u@bench.example", i));
  g_ptr_array_add (uris, NULL);
  meeting = bk_meeting_new (client, 1, space, TITLE, "4711", (const char * const *) uris->pdata);
  bk_sim_cluster_reset_counters (sim);
  bk_sim_cluster_set_latency (sim, latency, 0);

  /* The early join: the space activated and the call made, nobody called. */
  bk_meeting_set_dial_held (meeting, TRUE);
  t0 = g_get_monotonic_time ();
  bk_meeting_start_async (meeting, BK_MEETING_START_NONE, NULL, result_cb, &res);
  bk_meeting_start_finish (meeting, wait_for (&res), &error);
  g_clear_object (&res);
  die_on (error, "start");
  t_activated = g_get_monotonic_time ();
  our_activate = bk_sim_cluster_get_request_count (sim, -1, NULL, NULL);
  /* The start: every participant dialled, in parallel. */
  t_dial0 = g_get_monotonic_time ();
  bk_meeting_dial_async (meeting, NULL, result_cb, &res);
  bk_meeting_dial_finish (meeting, wait_for (&res), &error);
  g_clear_object (&res);
  die_on (error, "dial");
  t_dialled = g_get_monotonic_time ();
  if (g_getenv ("BENCH_LOG"))
    {
      GListModel *log = G_LIST_MODEL (bk_cms_client_get_log (client));

      for (guint i = 0; i < g_list_model_get_n_items (log); i++)
        {
          g_autoptr(BkCmsLogEntry) e = g_list_model_get_item (log, i);
          g_autofree char *t = g_date_time_format (bk_cms_log_entry_get_time (e), "%T.%f");

          g_printerr ("%s %s %s %.1f ms\n", t, bk_cms_log_entry_get_method (e), bk_cms_log_entry_get_path (e),
                      bk_cms_log_entry_get_duration_us (e) / 1000.0);
        }
    }
  our_start = bk_sim_cluster_get_request_count (sim, -1, NULL, NULL);
  /* A 401 would be a second request to the same path; count them by the
   * only kind of request that could take one: there are none but these. */
  our_401 = our_start - (2 + n);

  bk_sim_cluster_reset_counters (sim);
  do
    {
      sleep_in_loop (poll_ms);
      bk_meeting_poll_async (meeting, NULL, result_cb, &res);
      bk_meeting_poll_finish (meeting, wait_for (&res), &error);
      g_clear_object (&res);
      die_on (error, "poll");
      all = TRUE;
      for (guint i = 0; i < n; i++)
        all = all && bk_meeting_get_participant_state (meeting, i) == BK_PARTICIPANT_CONNECTED;
    }
  while (!all);
  t_connected = g_get_monotonic_time ();
  our_poll = bk_sim_cluster_get_request_count (sim, -1, NULL, NULL);

  bk_sim_cluster_reset_counters (sim);
  t_end0 = g_get_monotonic_time ();
  bk_meeting_end_async (meeting, NULL, result_cb, &res);
  bk_meeting_end_finish (meeting, wait_for (&res), &error);
  g_clear_object (&res);
  die_on (error, "end");
  t_ended = g_get_monotonic_time ();
  our_end = bk_sim_cluster_get_request_count (sim, -1, NULL, NULL);

  g_print ("A meeting with %u participants, %s, %u ms latency per request, legs answer after %u ms, poll every %u ms\n",
           n, tls ? "HTTPS" : "plain HTTP", latency, 300, poll_ms);
  g_print ("  Start to all legs dialled:\n");
  g_print ("    TMS sequence (sequential, 401 first):  %3u requests (%u answered 401)  %6.3f s\n",
           tms.start_requests, tms_401, (tms.t_dialled - tms.t_start) / 1e6);
  g_print ("    Bridgekeeper:                          %3u requests (%u answered 401)  %6.3f s\n",
           our_start, our_401, ((t_activated - t0) + (t_dialled - t_dial0)) / 1e6);
  g_print ("      activation at the early join:        %3u requests                 %6.3f s\n",
           our_activate, (t_activated - t0) / 1e6);
  g_print ("      dial at the start (in parallel):     %3u requests                 %6.3f s\n",
           our_start - our_activate, (t_dialled - t_dial0) / 1e6);
  g_print ("    speed-up: %.1fx\n", (double) (tms.t_dialled - tms.t_start) / ((t_activated - t0) + (t_dialled - t_dial0)));
  g_print ("  Then to all connected (same polling rule):\n");
  g_print ("    TMS:          %3u requests  %6.3f s after dialling\n",
           tms.poll_requests, (tms.t_connected - tms.t_dialled) / 1e6);
  g_print ("    Bridgekeeper: %3u requests  %6.3f s after dialling\n",
           our_poll, (t_connected - t_dialled) / 1e6);
  g_print ("  End:\n");
  g_print ("    TMS sequence: %3u requests  %6.3f s\n", tms.end_requests, (tms.t_ended - tms.t_end_start) / 1e6);
  g_print ("    Bridgekeeper: %3u requests  %6.3f s\n", our_end, (t_ended - t_end0) / 1e6);
  g_print ("    speed-up: %.1fx\n", (double) (tms.t_ended - tms.t_end_start) / (t_ended - t_end0));

  bk_sim_cluster_stop (sim);
  return 0;
}
