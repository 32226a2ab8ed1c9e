/* bench-sim.c: throughput of the CMS simulator: GET of a 20-item coSpaces
 * page out of 10,000 spaces, a few concurrent libsoup connections over
 * loopback, HTTPS and plain HTTP; prints requests per second
 *
 * Usage: bench-sim [REQUESTS] [CONCURRENCY]   (defaults 3000 and 4)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bk-sim.h"

typedef struct
{
  BkSimCluster *sim;
  SoupSession  *session;
  char         *auth;
  const char   *query_kind;
  guint         total;
  guint         started;
  guint         finished;
  guint         failed;
  gsize         bytes;
  GRand        *rand;
  GMainLoop    *loop;
} Bench;

static void start_one (Bench *b);

static gboolean
accept_cb (SoupMessage          *msg,
           GTlsCertificate      *cert,
           GTlsCertificateFlags  errors,
           gpointer              data)
{
  g_autoptr(GByteArray) der = NULL;
  g_autofree char *sha = NULL;

  g_object_get (cert, "certificate", &der, NULL);
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  return g_strcmp0 (sha, data) == 0;
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Bench *b = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);

  if (bytes == NULL)
    b->failed++;
  else
    b->bytes += g_bytes_get_size (bytes);
  b->finished++;
  if (b->finished == b->total)
    g_main_loop_quit (b->loop);
  else if (b->started < b->total)
    start_one (b);
}

static void
start_one (Bench *b)
{
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  guint offset = (guint) g_rand_int_range (b->rand, 0, 9980);

  if (g_str_equal (b->query_kind, "filter"))
    url = g_strdup_printf ("%s/api/v1/coSpaces?filter=space%%20%u&limit=20",
                           bk_sim_cluster_get_node_url (b->sim, 0), offset / 100);
  else
    url = g_strdup_printf ("%s/api/v1/coSpaces?offset=%u&limit=20",
                           bk_sim_cluster_get_node_url (b->sim, 0), offset);
  msg = soup_message_new ("GET", url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", b->auth);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_cb),
                    (gpointer) bk_sim_cluster_get_certificate_sha256 (b->sim));
  b->started++;
  soup_session_send_and_read_async (b->session, msg, G_PRIORITY_DEFAULT, NULL, done_cb, b);
}

static void
run (gboolean    tls,
     const char *kind,
     guint       requests,
     guint       concurrency)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BkSimCluster) sim = bk_sim_cluster_new (1);
  g_autofree char *plain = NULL;
  g_autofree char *b64 = NULL;
  Bench b = { 0 };
  gint64 t0, t1;
  double secs;

  bk_sim_cluster_set_tls (sim, tls);
  bk_sim_cluster_set_seed (sim, 1);
  bk_sim_cluster_set_page_cap (sim, 20);
  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *name = g_strdup_printf ("Space %05u", i);
      g_autofree char *uri = g_strdup_printf ("space.%05u", i);
      g_autofree char *cid = g_strdup_printf ("%u", 700000 + i);

      g_free (bk_sim_cluster_add_cospace (sim, name, uri, cid));
    }
  if (!bk_sim_cluster_start (sim, &error))
    {
      g_printerr ("bench-sim: %s\n", error->message);
      exit (1);
    }

  plain = g_strdup_printf ("%s:%s", bk_sim_cluster_get_username (sim), bk_sim_cluster_get_password (sim));
  b64 = g_base64_encode ((const guchar *) plain, strlen (plain));
  b.auth = g_strdup_printf ("Basic %s", b64);
  b.sim = sim;
  b.session = soup_session_new_with_options ("max-conns-per-host", (int) concurrency,
                                             "max-conns", (int) concurrency, NULL);
  b.query_kind = kind;
  b.total = requests;
  b.rand = g_rand_new_with_seed (7);
  b.loop = g_main_loop_new (NULL, FALSE);

  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < concurrency && b.started < b.total; i++)
    start_one (&b);
  g_main_loop_run (b.loop);
  t1 = g_get_monotonic_time ();
  secs = (double) (t1 - t0) / G_USEC_PER_SEC;

  printf ("%-5s %-6s 10000 coSpaces, 20-item pages: %u requests, %u connections, %.2f s, "
          "%.0f requests/s, %.1f KiB/reply, %u failed\n",
          tls ? "https" : "http", kind, requests, concurrency, secs, requests / secs,
          b.bytes / 1024.0 / MAX (requests - b.failed, 1u), b.failed);

  g_main_loop_unref (b.loop);
  g_rand_free (b.rand);
  g_object_unref (b.session);
  g_free (b.auth);
}

int
main (int   argc,
      char *argv[])
{
  guint requests = argc > 1 ? (guint) atoi (argv[1]) : 3000;
  guint concurrency = argc > 2 ? (guint) atoi (argv[2]) : 4;

  if (requests == 0 || concurrency == 0)
    {
      g_printerr ("usage: bench-sim [REQUESTS] [CONCURRENCY]\n");
      return 2;
    }
  /* Server and client share this process and its main loop, so the figures
   * are the whole round trip on one core. */
  run (TRUE, "page", requests, concurrency);
  run (FALSE, "page", requests, concurrency);
  run (FALSE, "filter", requests, concurrency);
  return 0;
}
