/* engine-test-util.c: what the conference engine's tests share
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "EngineTestUtil"

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "bk-booking-file.h"
#include "engine-test-util.h"

static gboolean
result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

void
et_result_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

GAsyncResult *
et_wait_result (GAsyncResult **slot)
{
  bk_test_wait_until (result_ready, slot, ET_WAIT_MS);
  g_assert_nonnull (*slot);
  return *slot;
}

BkSimCluster *
et_sim_new (guint n_nodes)
{
  BkSimCluster *sim = bk_sim_cluster_new (n_nodes);

  bk_sim_cluster_set_tls (sim, TRUE);
  bk_sim_cluster_set_call_leg_connect_delay (sim, 50);
  return sim;
}

void
et_sim_start (BkSimCluster *sim)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bk_sim_cluster_start (sim, &error));
  g_assert_no_error (error);
}

BkCmsClient *
et_client_new (BkSimCluster *sim)
{
  return bk_cms_client_new (bk_sim_cluster_get_node_url (sim, 0), BK_SIM_DEFAULT_USERNAME,
                            BK_SIM_DEFAULT_PASSWORD, bk_sim_cluster_get_node_certificate_sha256 (sim, 0));
}

guint
et_count (BkSimCluster *sim,
          int           node,
          const char   *method,
          const char   *prefix)
{
  return bk_sim_cluster_get_request_count (sim, node, method, prefix);
}

guint
et_total (BkSimCluster *sim)
{
  return et_count (sim, -1, NULL, NULL);
}

guint
et_posted_calls (BkSimCluster *sim,
                 int           node)
{
  return et_count (sim, node, "POST", "/api/v1/calls") - et_count (sim, node, "POST", "/api/v1/calls/");
}

void
et_assert_field (BkSimCluster *sim,
                 const char   *space_id,
                 const char   *name,
                 const char   *want)
{
  g_autofree char *value = bk_sim_cluster_dup_cospace_field (sim, space_id, name);

  g_assert_cmpstr (value, ==, want);
}

void
et_assert_slot_idle (BkSimCluster *sim,
                     const char   *space_id,
                     guint         number)
{
  g_autofree char *idle = g_strdup_printf ("TMS_Scheduled_Meeting_%u", number);

  et_assert_field (sim, space_id, "name", idle);
  et_assert_field (sim, space_id, "passcode", NULL);
  et_assert_field (sim, space_id, "nonMemberAccess", "false");
}

void
et_probe_put_idle (BkCmsClient *probe,
                   const char  *space_id)
{
  static const char * const idle[] = { "nonMemberAccess", "false", NULL };
  g_autofree char *path = g_strdup_printf ("coSpaces/%s", space_id);
  GAsyncResult *res = NULL;
  g_autoptr(BkCmsReply) reply = NULL;
  g_autoptr(GError) error = NULL;

  bk_cms_client_request_async (probe, "PUT", path, idle, NULL, et_result_cb, &res);
  reply = bk_cms_client_request_finish (probe, et_wait_result (&res), &error);
  g_object_unref (res);
  g_assert_no_error (error);
}

char *
et_add_idle_slot (BkSimCluster *sim,
                  BkCmsClient  *probe,
                  guint         number)
{
  g_autofree char *name = g_strdup_printf ("TMS_Scheduled_Meeting_%u", number);
  g_autofree char *digits = g_strdup_printf ("%u", number);
  char *space_id = bk_sim_cluster_add_cospace (sim, name, digits, digits);

  g_assert_nonnull (space_id);
  et_probe_put_idle (probe, space_id);
  return space_id;
}

GDateTime *
et_at (int day, int h, int m, int s)
{
  return g_date_time_new_utc (2030, 1, day, h, m, s);
}

gint64
et_unix_at (int day, int h, int m, int s)
{
  g_autoptr(GDateTime) t = et_at (day, h, m, s);

  return g_date_time_to_unix (t);
}

void
et_advance_to (BkClock *clock,
               int day, int h, int m, int s)
{
  g_autoptr(GDateTime) now = bk_clock_now (clock);
  g_autoptr(GDateTime) then = et_at (day, h, m, s);
  GTimeSpan span = g_date_time_difference (then, now);

  g_assert_cmpint (span, >=, 0);
  bk_fake_clock_advance (BK_FAKE_CLOCK (clock), span);
  bk_test_spin (20);   /* anything started now has a chance to send */
}

gint64
et_deadline (BkClock *clock)
{
  GDateTime *d = bk_clock_get_deadline (clock);

  return d != NULL ? g_date_time_to_unix (d) : 0;
}

void
et_wait_deadline (BkClock *clock,
                  gint64   want)
{
  for (guint waited = 0; et_deadline (clock) != want && waited < ET_WAIT_MS; waited += 10)
    bk_test_spin (10);
  g_assert_cmpint (et_deadline (clock), ==, want);
}

BkBookingStore *
et_store_new (const char *dir)
{
  g_autoptr(BkBookingFile) file = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  BkBookingStore *store;

  bk_test_rm_rf (dir);
  g_mkdir_with_parents (dir, 0700);
  file = bk_booking_file_new (dir);
  store = bk_booking_store_new (BK_BOOKING_BACKEND (file), BK_BOOKING_DEFAULT_EARLY_JOIN);
  bk_booking_store_load_async (store, NULL, et_result_cb, &res);
  g_assert_true (bk_booking_store_load_finish (store, et_wait_result (&res), &error));
  g_assert_no_error (error);
  g_object_unref (res);
  return store;
}

BkDevice *
et_make_bridge (const char *id,
                guint       quantity)
{
  BkDevice *d = g_object_new (BK_TYPE_DEVICE, "id", id, "address", "cms.example.com", NULL);

  bk_device_set_name (d, "CMS A");
  bk_device_set_domain (d, "meet.example.com");
  bk_device_set_numeric_id_base (d, 7001);
  bk_device_set_numeric_id_quantity (d, quantity);
  return d;
}

char *
et_book (BkBookingStore  *store,
         BkClock         *clock,
         GPtrArray       *bridges,
         const EtBooking *spec,
         guint64         *slot)
{
  g_autoptr(BkBooking) b = bk_booking_new (spec->title, spec->time_zone != NULL ? spec->time_zone : "UTC",
                                           spec->start, spec->end);
  g_autoptr(GDateTime) now = bk_clock_now (clock);
  BkBookingRules rules = { g_date_time_to_unix (now), bridges, NULL };
  g_autoptr(GError) error = NULL;

  b->type = spec->type;
  b->has_pin = spec->has_pin;
  b->extend_mode = spec->extend_mode;
  for (guint i = 0; spec->dial_out != NULL && spec->dial_out[i] != NULL; i++)
    bk_booking_add_participant (b, "", spec->dial_out[i], BK_DIAL_OUT);
  for (guint i = 0; spec->dial_in != NULL && spec->dial_in[i] != NULL; i++)
    bk_booking_add_participant (b, "", spec->dial_in[i], BK_DIAL_IN);
  if (spec->daily_count > 0)
    {
      b->recurrence.kind = BK_RECURRENCE_DAILY;
      b->recurrence.interval = 1;
      b->recurrence.count = spec->daily_count;
    }
  g_assert_true (bk_booking_store_save (store, &rules, b, NULL, &error));
  g_assert_no_error (error);
  if (slot != NULL)
    *slot = b->slot_number;
  return bk_engine_occurrence_id (b->uid, g_date_time_to_unix (spec->start));
}

typedef struct
{
  BkEngine      *engine;
  const char    *id;
  BkEngineState  state;
} WaitState;

static gboolean
state_reached (gpointer data)
{
  WaitState *w = data;

  return bk_engine_get_state (w->engine, w->id) == w->state;
}

void
et_wait_state_within (BkEngine      *engine,
                      const char    *id,
                      BkEngineState  state,
                      guint          timeout_ms)
{
  WaitState w = { engine, id, state };

  bk_test_wait_until (state_reached, &w, timeout_ms);
  g_assert_cmpstr (bk_engine_state_to_string (bk_engine_get_state (engine, id)), ==,
                   bk_engine_state_to_string (state));
}

void
et_wait_state (BkEngine      *engine,
               const char    *id,
               BkEngineState  state)
{
  et_wait_state_within (engine, id, state, ET_WAIT_MS);
}

void
et_join_early (BkEngine   *engine,
               BkClock    *clock,
               const char *id)
{
  et_advance_to (clock, 7, 8, 55, 0);
  et_wait_state (engine, id, BK_ENGINE_STATE_RUNNING);
}

static void
record_state_cb (BkEngine      *engine,
                 const char    *id,
                 BkEngineState  state,
                 GString       *log)
{
  g_string_append_printf (log, "%s ", bk_engine_state_to_string (state));
}

static void
record_problem_cb (BkEngine   *engine,
                   const char *id,
                   const char *sentence,
                   GPtrArray  *problems)
{
  g_ptr_array_add (problems, g_strdup (sentence));
}

void
et_engine_record (BkEngine  *engine,
                  GString   *log,
                  GPtrArray *problems)
{
  if (log != NULL)
    g_signal_connect (engine, "state-changed", G_CALLBACK (record_state_cb), log);
  if (problems != NULL)
    g_signal_connect (engine, "problem", G_CALLBACK (record_problem_cb), problems);
}

typedef struct
{
  GString    *log;
  const char *text;
} WaitLog;

static gboolean
log_has (gpointer data)
{
  WaitLog *w = data;

  return strstr (w->log->str, w->text) != NULL;
}

void
et_wait_log (GString    *log,
             const char *text)
{
  WaitLog w = { log, text };

  bk_test_wait_until (log_has, &w, ET_WAIT_MS);
  g_assert_nonnull (strstr (log->str, text));
}

char *
et_read_journal (BkEngine *engine)
{
  g_autofree char *text = NULL;
  GAsyncResult *res = NULL;

  bk_engine_flush_async (engine, NULL, et_result_cb, &res);
  g_assert_true (bk_engine_flush_finish (engine, et_wait_result (&res), NULL));
  g_object_unref (res);
  g_assert_true (g_file_get_contents (bk_engine_get_journal_path (engine), &text, NULL, NULL));
  return g_steal_pointer (&text);
}

void
et_kill_engine (BkEngine **engine,
                BkClock   *clock)
{
  GAsyncResult *res = NULL;
  g_autoptr(GError) error = NULL;
  BkEngine *gone = NULL;

  bk_engine_flush_async (*engine, NULL, et_result_cb, &res);
  g_assert_true (bk_engine_flush_finish (*engine, et_wait_result (&res), &error));
  g_assert_no_error (error);
  g_object_unref (res);
  /* A journal write's worker thread may drop its reference just after its
   * result was delivered: the engine goes within moments, not necessarily
   * at this very instant. */
  gone = *engine;
  g_object_add_weak_pointer (G_OBJECT (gone), (gpointer *) &gone);
  g_object_unref (g_steal_pointer (engine));
  for (guint waited = 0; gone != NULL && waited < 2000; waited += 5)
    bk_test_spin (5);
  g_assert_null (gone);
  g_assert_null (bk_clock_get_deadline (clock));
}

/* ---- the fixture ---- */

void
et_fixture_set_quantity (EtFixture *f,
                         guint      quantity)
{
  g_ptr_array_set_size (f->bridges, 0);
  g_ptr_array_add (f->bridges, et_make_bridge (ET_BRIDGE, quantity));
}

void
et_fixture_set_up (gpointer      fixture,
                   gconstpointer data)
{
  EtFixture *f = fixture;
  static guint serial;
  g_autoptr(GDateTime) start = et_at (7, 8, 0, 0);

  f->sim = et_sim_new (1);
  et_sim_start (f->sim);
  f->probe = et_client_new (f->sim);
  for (guint i = 0; i < 2; i++)
    f->space[i] = et_add_idle_slot (f->sim, f->probe, 7001 + i);
  bk_sim_cluster_reset_counters (f->sim);

  f->dir = g_strdup_printf ("%s/engine-%u", bk_test_get_tmpdir (), ++serial);
  f->store = et_store_new (f->dir);

  f->clock = bk_fake_clock_new (start);
  f->bridges = g_ptr_array_new_with_free_func (g_object_unref);
  et_fixture_set_quantity (f, 2);
  f->log = g_string_new ("");
  f->problems = g_ptr_array_new_with_free_func (g_free);
  f->warnings = g_string_new ("");
}

void
et_fixture_tear_down (gpointer      fixture,
                      gconstpointer data)
{
  EtFixture *f = fixture;
  if (f->engine != NULL)
    et_kill_engine (&f->engine, f->clock);
  if (f->manager != NULL)
    g_object_run_dispose (G_OBJECT (f->manager));
  g_clear_object (&f->clock);
  g_clear_object (&f->store);
  g_clear_object (&f->probe);
  bk_sim_cluster_stop (f->sim);
  g_clear_object (&f->sim);
  for (guint i = 0; i < 2; i++)
    g_free (f->space[i]);
  bk_test_rm_rf (f->dir);
  g_free (f->dir);
  g_ptr_array_unref (f->bridges);
  g_string_free (f->log, TRUE);
  g_ptr_array_unref (f->problems);
  g_string_free (f->warnings, TRUE);
  g_clear_object (&f->manager);
}

void
et_fixture_assert_slot_idle (EtFixture *f,
                             guint      slot_index)
{
  et_assert_slot_idle (f->sim, f->space[slot_index], 7001 + slot_index);
}

char *
et_fixture_book (EtFixture          *f,
                 const char         *title,
                 BkBookingType       type,
                 GDateTime          *start,
                 GDateTime          *end,
                 const char * const *dial_out,
                 const char * const *dial_in,
                 guint               daily_count,
                 guint64            *slot)
{
  EtBooking spec = { title, f->time_zone, type, start, end, dial_out, dial_in, daily_count,
                     f->with_pin, f->extend_mode };

  return et_book (f->store, f->clock, f->bridges, &spec, slot);
}

static void
warning_cb (BkEngine   *engine,
            const char *id,
            guint       minutes,
            EtFixture  *f)
{
  g_autoptr(GDateTime) now = bk_clock_now (f->clock);
  g_autofree char *hms = g_date_time_format (now, "%H:%M:%S");

  g_string_append_printf (f->warnings, "%s=%u ", hms, minutes);
}

void
et_fixture_new_engine (EtFixture *f)
{
  g_assert_null (f->engine);
  f->engine = bk_engine_new (f->store, f->clock, NULL);
  if (f->manager != NULL)
    {
      bk_engine_set_bridge_manager (f->engine, f->manager);
    }
  else
    {
      g_autoptr(BkCmsClient) client =
        bk_cms_client_new (bk_sim_cluster_get_node_url (f->sim, 0), BK_SIM_DEFAULT_USERNAME,
                           BK_SIM_DEFAULT_PASSWORD, bk_sim_cluster_get_certificate_sha256 (f->sim));

      bk_engine_set_client (f->engine, ET_BRIDGE, client);
    }
  bk_engine_set_poll_interval (f->engine, 0);   /* the tests count every request */
  et_engine_record (f->engine, f->log, f->problems);
  g_signal_connect (f->engine, "ending-soon", G_CALLBACK (warning_cb), f);
}
