/* bench-cms-paging.c: the concurrent pager against a plain sequential pager
 *
 * Lists 10,000 coSpaces from the simulator (page cap 20, 20 ms latency per
 * request) twice with the same client: once with bk_cms_client_list_async()
 * and once with a sequential offset pager written here (GET, advance offset
 * by the number returned, stop at total). Prints request counts, wall times,
 * the ratio and the extra RSS. Not a test: it prints figures.
 *
 *   bench-cms-paging [N_SPACES [PAGE_CAP [LATENCY_MS [CONNECTIONS]]]]
 *
 * CONNECTIONS defaults to the client's default (max-connections).
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bk-cms.h"
#include "bk-sim.h"

static glong
read_status_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  if (line == NULL)
    return -1;
  return strtol (line + strlen (field), NULL, 10);
}

typedef struct
{
  GMainLoop   *loop;
  BkCmsClient *client;
  GPtrArray   *items;
  GError      *error;
  guint        offset;
  guint        requests;
} SeqState;

static void seq_next (SeqState *st);

static void
seq_page_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SeqState *st = user_data;
  g_autoptr(BkCmsReply) reply = bk_cms_client_request_finish (st->client, result, &st->error);
  g_autoptr(GPtrArray) page = NULL;
  guint total = 0;

  if (reply == NULL)
    {
      g_main_loop_quit (st->loop);
      return;
    }
  page = bk_cms_list_decode (BK_CMS_KIND_COSPACE, g_bytes_get_data (reply->body, NULL),
                             g_bytes_get_size (reply->body), &total, &st->error);
  if (page == NULL)
    {
      g_main_loop_quit (st->loop);
      return;
    }
  for (guint i = 0; i < page->len; i++)
    g_ptr_array_add (st->items, g_steal_pointer (&page->pdata[i]));
  st->offset += page->len;
  if (page->len == 0 || st->offset >= total)
    {
      g_main_loop_quit (st->loop);
      return;
    }
  seq_next (st);
}

static void
seq_next (SeqState *st)
{
  g_autofree char *offset = g_strdup_printf ("%u", st->offset);
  const char *params[] = { "offset", offset, "limit", "1000", NULL };

  st->requests++;
  bk_cms_client_request_async (st->client, "GET", "/coSpaces", params, NULL, seq_page_cb, st);
}

typedef struct
{
  GMainLoop    *loop;
  GAsyncResult *result;
} Wait;

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Wait *w = user_data;

  w->result = g_object_ref (result);
  g_main_loop_quit (w->loop);
}

int
main (int   argc,
      char *argv[])
{
  guint n_spaces = argc > 1 ? (guint) atoi (argv[1]) : 10000;
  guint page_cap = argc > 2 ? (guint) atoi (argv[2]) : 20;
  guint latency = argc > 3 ? (guint) atoi (argv[3]) : 20;
  guint connections = argc > 4 ? (guint) atoi (argv[4]) : 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(BkSimCluster) sim = NULL;
  g_autoptr(BkCmsClient) client = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GPtrArray) ours = NULL;
  SeqState seq = { 0 };
  Wait wait = { loop, NULL };
  gint64 t0, t_ours, t_seq;
  guint req_ours, req_seq;
  glong rss_before, rss_after_ours, hwm_before, hwm_after_ours;

  sim = bk_sim_cluster_new (1);
  bk_sim_cluster_set_tls (sim, TRUE);
  if (!bk_sim_cluster_start (sim, &error))
    g_error ("simulator: %s", error->message);
  for (guint i = 0; i < n_spaces; i++)
    {
      g_autofree char *name = g_strdup_printf ("Space %05u", i);
      g_autofree char *uri = g_strdup_printf ("space.%05u", i);
      g_autofree char *call_id = g_strdup_printf ("%u", 10000000 + i);
      g_autofree char *id = bk_sim_cluster_add_cospace (sim, name, uri, call_id);
    }
  bk_sim_cluster_set_page_cap (sim, page_cap);

  client = bk_cms_client_new_full (bk_sim_cluster_get_node_url (sim, 0), BK_SIM_DEFAULT_USERNAME,
                                   BK_SIM_DEFAULT_PASSWORD, bk_sim_cluster_get_certificate_sha256 (sim),
                                   connections);

  /* Warm-up: one request, so neither run pays the first TLS handshake. */
  bk_cms_client_get_system_status_async (client, NULL, store_cb, &wait);
  g_main_loop_run (loop);
  {
    g_autoptr(BkCmsSystemStatus) status = bk_cms_client_get_system_status_finish (client, wait.result, &error);
    if (status == NULL)
      g_error ("warm-up: %s", error->message);
    g_clear_object (&wait.result);
  }
  bk_sim_cluster_set_latency (sim, latency, 0);

  /* Ours */
  rss_before = read_status_kb ("VmRSS:");
  hwm_before = read_status_kb ("VmHWM:");
  bk_sim_cluster_reset_counters (sim);
  t0 = g_get_monotonic_time ();
  bk_cms_client_list_cospaces_async (client, NULL, NULL, NULL, NULL, NULL, store_cb, &wait);
  g_main_loop_run (loop);
  ours = bk_cms_client_list_cospaces_finish (client, wait.result, &error);
  t_ours = g_get_monotonic_time () - t0;
  g_clear_object (&wait.result);
  if (ours == NULL)
    g_error ("paging: %s", error->message);
  req_ours = bk_sim_cluster_get_request_count (sim, -1, "GET", "/api/v1/coSpaces");
  rss_after_ours = read_status_kb ("VmRSS:");
  hwm_after_ours = read_status_kb ("VmHWM:");

  /* Plain sequential offset pager, same client */
  bk_sim_cluster_reset_counters (sim);
  seq.loop = loop;
  seq.client = client;
  seq.items = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_cms_co_space_free);
  t0 = g_get_monotonic_time ();
  seq_next (&seq);
  g_main_loop_run (loop);
  t_seq = g_get_monotonic_time () - t0;
  if (seq.error != NULL)
    g_error ("sequential: %s", seq.error->message);
  req_seq = bk_sim_cluster_get_request_count (sim, -1, "GET", "/api/v1/coSpaces");

  printf ("bench-cms-paging: %u coSpaces, page cap %u, latency %u ms, %u connections\n",
          n_spaces, page_cap, latency, bk_cms_client_get_max_connections (client));
  printf ("  concurrent pager: %5u objects, %4u requests, %8.1f ms\n", ours->len, req_ours, t_ours / 1000.0);
  printf ("  sequential pager: %5u objects, %4u requests, %8.1f ms\n", seq.items->len, req_seq, t_seq / 1000.0);
  printf ("  speed-up: %.2fx (goal >= 4x)\n", (double) t_seq / (double) t_ours);
  printf ("  RSS: %ld kB before, %ld kB after the concurrent fetch: extra %.1f MB; peak (VmHWM) grew by %.1f MB (goal: extra <= 60 MB)\n",
          rss_before, rss_after_ours, (rss_after_ours - rss_before) / 1024.0,
          (hwm_after_ours - hwm_before) / 1024.0);

  g_ptr_array_unref (seq.items);
  bk_sim_cluster_stop (sim);
  return (ours->len == n_spaces && seq.items != NULL) ? 0 : 1;
}
