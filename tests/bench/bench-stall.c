/* bench-stall.c: the longest main-loop iteration while the app works
 *
 * Measures how long the app's main loop is kept from polling: a poll
 * function wrapper (g_main_context_set_poll_func) notes when poll returns
 * and when it is called next; the time in between is one iteration's busy
 * time (check, dispatch, prepare, and whatever the caller does between two
 * iterations). Time spent waiting inside poll is not a stall. Prints, for
 * each workload, the number of iterations, the longest one and how many
 * took over 16 ms (one frame at 60 Hz). The machine may be shared, so the
 * same figures are also given without the time the thread spent runnable
 * but waiting for a CPU (/proc/thread-self/schedstat), with the longest CPU
 * time an iteration used. Blocking (a mutex, an fsync) is not a wait for a
 * CPU and still counts. Not a test: it prints figures.
 *
 * Workloads:
 *   a) onboarding QUANTITY slots (default 1000) on a 2-node TLS cluster
 *      (each node with a certificate of its own, node 2 the alternate) with
 *      the core BkOnboarding API (as bench-onboarding does);
 *   b) listing N_SPACES coSpaces (default 10,000, page cap 20: a CMS answers
 *      10 or 20 objects a page) with
 *      bk_cms_client_list_cospaces_async(), over TLS and over plain HTTP,
 *      each with a fresh client (so connections are set up during the run,
 *      as when a page is opened).
 *
 * The simulator runs in its own thread, on the process's global default
 * main context (it schedules its latency and bulk-sync timers there with
 * g_timeout_add), and the app runs in the main thread on a context of its
 * own pushed as thread-default: the simulator's work is the bridge's, not
 * the app's. With --same-thread both share the main thread's default context
 * (how the figures in issue 10 were taken): then the simulator's work counts
 * too.
 *
 *   bench-stall [--same-thread] [--only=onboarding|tls|http]
 *               [QUANTITY [N_SPACES [LATENCY_MS [PAGE_CAP]]]]
 *
 * --only runs one workload, e.g. the TLS listing as the process's first TLS
 * work (then its first connection also loads the system trust store).
 *
 * BENCH_STALL_LOG_MS=N prints every iteration longer than N ms with its
 * CLOCK_MONOTONIC interval (to line up with `perf record -k mono`).
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "bk-cms.h"
#include "bk-onboarding.h"
#include "bk-sim.h"

#define FRAME_US 16000

/* ------------------------------------------------------------------------ */
/* The meter                                                                */

typedef struct
{
  GPollFunc  orig;
  gboolean   active;
  gint64     last_return;   /* 0: no poll returned since start */
  gint64     last_cpu;      /* the thread's CPU time then, µs */
  gint64     last_queued;   /* its time runnable but waiting for a CPU, µs */
  guint      iterations;
  guint      over;
  gint64     longest;
  gint64     longest_cpu;
  guint      over_own;      /* over 16 ms not counting the run-queue wait */
  gint64     longest_own;
  int        schedstat_fd;  /* /proc/thread-self/schedstat, or -1 */
  gint64     sum;
  gint64     log_us;        /* BENCH_STALL_LOG_MS: print longer iterations */
} Meter;

static Meter meter;

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* Time this thread spent runnable but waiting for a CPU (the machine is
 * shared): the second field of /proc/thread-self/schedstat, in ns. */
static gint64
thread_queued_us (void)
{
  char buf[128];
  ssize_t n;
  guint64 on_cpu, queued;

  if (meter.schedstat_fd < 0)
    return 0;
  n = pread (meter.schedstat_fd, buf, sizeof buf - 1, 0);
  if (n <= 0)
    return 0;
  buf[n] = '\0';
  if (sscanf (buf, "%" G_GUINT64_FORMAT " %" G_GUINT64_FORMAT, &on_cpu, &queued) != 2)
    return 0;
  return (gint64) (queued / 1000);
}

static gint
meter_poll (GPollFD *fds,
            guint    n_fds,
            gint     timeout)
{
  gint64 now = g_get_monotonic_time ();
  gint ret;

  if (meter.active && meter.last_return != 0)
    {
      gint64 busy = now - meter.last_return;
      gint64 cpu = thread_cpu_us () - meter.last_cpu;
      gint64 queued = thread_queued_us () - meter.last_queued;
      gint64 own = busy - queued;

      meter.iterations++;
      meter.sum += busy;
      meter.longest = MAX (meter.longest, busy);
      meter.longest_cpu = MAX (meter.longest_cpu, cpu);
      if (busy > FRAME_US)
        meter.over++;
      meter.longest_own = MAX (meter.longest_own, own);
      if (own > FRAME_US)
        meter.over_own++;
      if (meter.log_us > 0 && busy > meter.log_us)
        g_printerr ("long iteration: %" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT " .. %" G_GINT64_FORMAT ".%06" G_GINT64_FORMAT " (%.1f ms, CPU %.1f ms, waiting for a CPU %.1f ms)\n",
                    meter.last_return / G_USEC_PER_SEC, meter.last_return % G_USEC_PER_SEC,
                    now / G_USEC_PER_SEC, now % G_USEC_PER_SEC, busy / 1000.0, cpu / 1000.0,
                    queued / 1000.0);
    }
  ret = meter.orig (fds, n_fds, timeout);
  meter.last_return = g_get_monotonic_time ();
  if (meter.active)
    {
      meter.last_cpu = thread_cpu_us ();
      meter.last_queued = thread_queued_us ();
    }
  return ret;
}

static void
meter_start (void)
{
  meter.iterations = meter.over = meter.over_own = 0;
  meter.longest = meter.longest_cpu = meter.longest_own = meter.sum = 0;
  meter.last_return = 0;
  meter.active = TRUE;
}

static void
meter_stop (void)
{
  meter.active = FALSE;
}

static void
meter_print (const char *what,
             double      wall_s)
{
  printf ("  %s: %u iterations in %.2f s, mean %.2f ms\n"
          "    longest %6.1f ms, %3u over 16 ms   (longest CPU time %5.1f ms;"
          " without run-queue waits: longest %6.1f ms, %3u over 16 ms)\n",
          what, meter.iterations, wall_s,
          meter.iterations ? meter.sum / 1000.0 / meter.iterations : 0.0,
          meter.longest / 1000.0, meter.over, meter.longest_cpu / 1000.0,
          meter.longest_own / 1000.0, meter.over_own);
}

/* ------------------------------------------------------------------------ */
/* The simulator's thread                                                   */

static gboolean same_thread;
static GMainContext *app_context;

typedef void (*SimFunc) (gpointer data);

typedef struct
{
  SimFunc  func;
  gpointer data;
  GMutex   mutex;
  GCond    cond;
  gboolean done;
} SimCall;

static gboolean
sim_call_cb (gpointer user_data)
{
  SimCall *call = user_data;

  call->func (call->data);
  g_mutex_lock (&call->mutex);
  call->done = TRUE;
  g_cond_signal (&call->cond);
  g_mutex_unlock (&call->mutex);
  return G_SOURCE_REMOVE;
}

/* Runs @func on the simulator's context and waits for it. */
static void
sim_call (SimFunc  func,
          gpointer data)
{
  SimCall call = { func, data };

  if (same_thread)
    {
      func (data);
      return;
    }
  g_mutex_init (&call.mutex);
  g_cond_init (&call.cond);
  g_main_context_invoke (NULL, sim_call_cb, &call);
  g_mutex_lock (&call.mutex);
  while (!call.done)
    g_cond_wait (&call.cond, &call.mutex);
  g_mutex_unlock (&call.mutex);
  g_mutex_clear (&call.mutex);
  g_cond_clear (&call.cond);
}

static gpointer
sim_thread (gpointer data)
{
  GMainLoop *loop = data;

  /* Thread-default: the global default context, where the simulator's
   * g_timeout_add sources go too. */
  g_main_loop_run (loop);
  return NULL;
}

typedef struct
{
  guint          n_nodes;
  gboolean       tls;
  guint          page_cap;
  guint          latency;
  guint          n_spaces;
  BkSimCluster  *sim;
  char          *url;
  char          *pin;
  guint          port0;
  char          *node1_id;
  char          *node1_pin;
  guint          requests;
  guint          cospaces;
  GError        *error;
} SimSetup;

static void
sim_start_func (gpointer data)
{
  SimSetup *s = data;

  s->sim = bk_sim_cluster_new (s->n_nodes);
  bk_sim_cluster_set_tls (s->sim, s->tls);
  /* As in a real cluster: every node has a certificate of its own. */
  if (s->tls && s->n_nodes > 1)
    bk_sim_cluster_set_per_node_certificates (s->sim, TRUE);
  if (!bk_sim_cluster_start (s->sim, &s->error))
    return;
  for (guint i = 0; i < s->n_spaces; i++)
    {
      g_autofree char *name = g_strdup_printf ("Space %05u", i);
      g_autofree char *uri = g_strdup_printf ("space.%05u", i);
      g_autofree char *call_id = g_strdup_printf ("%u", 20000000 + i);
      g_autofree char *id = bk_sim_cluster_add_cospace (s->sim, name, uri, call_id);
    }
  if (s->page_cap > 0)
    bk_sim_cluster_set_page_cap (s->sim, s->page_cap);
  bk_sim_cluster_set_latency (s->sim, s->latency, 0);
  s->url = g_strdup (bk_sim_cluster_get_node_url (s->sim, 0));
  s->pin = g_strdup (bk_sim_cluster_get_certificate_sha256 (s->sim));
  s->port0 = bk_sim_cluster_get_node_port (s->sim, 0);
  if (s->n_nodes > 1)
    {
      s->node1_id = g_strdup (bk_sim_cluster_get_node_id (s->sim, 1));
      s->node1_pin = g_strdup (bk_sim_cluster_get_node_certificate_sha256 (s->sim, 1));
    }
}

static void
sim_count_func (gpointer data)
{
  SimSetup *s = data;

  s->requests = bk_sim_cluster_get_request_count (s->sim, -1, NULL, NULL);
  s->cospaces = bk_sim_cluster_get_n_cospaces (s->sim);
}

static void
sim_stop_func (gpointer data)
{
  SimSetup *s = data;

  bk_sim_cluster_stop (s->sim);
  g_clear_object (&s->sim);
}

static void
sim_setup_clear (SimSetup *s)
{
  if (s->sim != NULL)
    sim_call (sim_stop_func, s);
  g_free (s->url);
  g_free (s->pin);
  g_free (s->node1_id);
  g_free (s->node1_pin);
  g_clear_error (&s->error);
}

static void
die_on (GError     *error,
        const char *what)
{
  if (error != NULL)
    {
      g_printerr ("bench-stall: %s: %s\n", what, error->message);
      exit (1);
    }
}

/* ------------------------------------------------------------------------ */
/* Workloads                                                                */

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
    g_main_context_iteration (app_context, TRUE);
  return *slot;
}

static void
workload_onboarding (guint quantity,
                     guint latency)
{
  SimSetup s = { .n_nodes = 2, .tls = TRUE, .latency = latency };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  gint64 t0;
  double wall;

  sim_call (sim_start_func, &s);
  die_on (s.error, "simulator");
  dir = g_dir_make_tmp ("bench-stall-XXXXXX", &error);
  die_on (error, "tmpdir");
  {
    g_autoptr(BkDeviceStore) store = bk_device_store_new (dir);
    g_autoptr(BkSecrets) secrets = bk_secrets_new ();
    g_autoptr(BkOnboarding) ob = bk_onboarding_new (store, secrets);
    g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", s.port0);
    g_autoptr(GPtrArray) members = NULL;
    g_autoptr(GPtrArray) collisions = NULL;
    GAsyncResult *res = NULL;

    bk_onboarding_trust_certificate (ob, s.pin);
    meter_start ();
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
    for (guint i = 0; i < members->len; i++)
      {
        const BkClusterMember *m = g_ptr_array_index (members, i);

        if (g_strcmp0 (m->id, s.node1_id) == 0)
          {
            bk_onboarding_set_alternate (ob, m->id, NULL, NULL, NULL);
            bk_onboarding_trust_alternate_certificate (ob, s.node1_pin);
          }
      }
    bk_onboarding_finish_async (ob, NULL, result_cb, &res);
    bk_onboarding_finish_finish (ob, wait_for (&res), &error);
    g_clear_object (&res);
    die_on (error, "finish");
    wall = (g_get_monotonic_time () - t0) / 1e6;
    meter_stop ();
  }
  sim_call (sim_count_func, &s);
  printf ("a) onboarding %u slots on a 2-node TLS cluster (a certificate per node), %u ms latency: %u requests, %u spaces\n",
          quantity, latency, s.requests, s.cospaces);
  meter_print ("onboarding", wall);

  sim_setup_clear (&s);
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
}

static void
workload_listing (gboolean tls,
                  guint    n_spaces,
                  guint    latency,
                  guint    page_cap)
{
  SimSetup s = { .n_nodes = 1, .tls = tls, .page_cap = page_cap, .latency = latency, .n_spaces = n_spaces };
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsClient) client = NULL;
  g_autoptr(GPtrArray) spaces = NULL;
  g_autofree char *what = NULL;
  GAsyncResult *res = NULL;
  gint64 t0;
  double wall;

  sim_call (sim_start_func, &s);
  die_on (s.error, "simulator");

  meter_start ();
  t0 = g_get_monotonic_time ();
  client = bk_cms_client_new (s.url, BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD, s.pin);
  bk_cms_client_list_cospaces_async (client, NULL, NULL, NULL, NULL, NULL, result_cb, &res);
  spaces = bk_cms_client_list_cospaces_finish (client, wait_for (&res), &error);
  g_clear_object (&res);
  wall = (g_get_monotonic_time () - t0) / 1e6;
  meter_stop ();
  die_on (error, "listing");
  if (spaces->len != n_spaces)
    {
      g_printerr ("bench-stall: listed %u spaces, expected %u\n", spaces->len, n_spaces);
      exit (1);
    }
  sim_call (sim_count_func, &s);
  printf ("b) listing %u spaces over %s, page cap %u, %u ms latency: %u requests\n",
          n_spaces, tls ? "TLS" : "plain HTTP", page_cap, latency, s.requests);
  what = g_strdup_printf ("listing over %s", tls ? "TLS" : "plain HTTP");
  meter_print (what, wall);

  /* Let the client's connections close before the next run. */
  g_clear_object (&client);
  sim_setup_clear (&s);
}

int
main (int   argc,
      char *argv[])
{
  int arg = 1;
  const char *only = NULL;
  guint quantity, n_spaces, latency, page_cap;
  g_autoptr(GMainLoop) sim_loop = NULL;
  GThread *thread = NULL;

  for (; arg < argc && g_str_has_prefix (argv[arg], "--"); arg++)
    {
      if (g_str_equal (argv[arg], "--same-thread"))
        same_thread = TRUE;
      else if (g_str_has_prefix (argv[arg], "--only="))
        only = argv[arg] + strlen ("--only=");
      else
        {
          g_printerr ("Usage: bench-stall [--same-thread] [--only=onboarding|tls|http] [QUANTITY [N_SPACES [LATENCY_MS [PAGE_CAP]]]]\n");
          return 2;
        }
    }
  quantity = argc > arg ? (guint) atoi (argv[arg]) : 1000;
  n_spaces = argc > arg + 1 ? (guint) atoi (argv[arg + 1]) : 10000;
  latency = argc > arg + 2 ? (guint) atoi (argv[arg + 2]) : 20;
  page_cap = argc > arg + 3 ? (guint) atoi (argv[arg + 3]) : 20;

  if (g_getenv ("BENCH_STALL_LOG_MS") != NULL)
    meter.log_us = g_ascii_strtoll (g_getenv ("BENCH_STALL_LOG_MS"), NULL, 10) * 1000;

  /* Keep the keyring out of the figure: session-only passwords. */
  g_unsetenv ("DBUS_SESSION_BUS_ADDRESS");

  if (same_thread)
    app_context = g_main_context_ref (g_main_context_default ());
  else
    {
      sim_loop = g_main_loop_new (NULL, FALSE);
      thread = g_thread_new ("simulator", sim_thread, sim_loop);
      app_context = g_main_context_new ();
      g_main_context_push_thread_default (app_context);
    }
  meter.schedstat_fd = open ("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
  meter.orig = g_main_context_get_poll_func (app_context);
  g_main_context_set_poll_func (app_context, meter_poll);

  printf ("bench-stall: busy time of the app's main-loop iterations (simulator on %s)\n",
          same_thread ? "the same thread and context, as in issue 10" : "its own thread");
  if (only == NULL || g_str_equal (only, "onboarding"))
    workload_onboarding (quantity, latency);
  if (only == NULL || g_str_equal (only, "tls"))
    workload_listing (TRUE, n_spaces, latency, page_cap);
  if (only == NULL || g_str_equal (only, "http"))
    workload_listing (FALSE, n_spaces, latency, page_cap);

  g_main_context_set_poll_func (app_context, meter.orig);
  if (thread != NULL)
    {
      g_main_context_pop_thread_default (app_context);
      g_main_loop_quit (sim_loop);
      g_thread_join (thread);
    }
  g_main_context_unref (app_context);
  return 0;
}
