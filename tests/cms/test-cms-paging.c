/* test-cms-paging.c: collection fetches against the simulator
 *
 * Page caps 10 and 20, round trips counted, filters, objects added and
 * removed between pages (request hook), progress, cancellation, errors.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bk-test-util.h"
#include "cms-test-util.h"

typedef struct
{
  BkSimCluster *sim;
  BkCmsClient  *client;
  GPtrArray    *ids;        /* ids in list order */
  /* hook state */
  guint         page_requests;
  GPtrArray    *added;
  GPtrArray    *removed;
  /* progress */
  guint         progress_calls;
  guint         last_fetched;
  guint         last_total;
  GCancellable *cancel_on_progress;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->sim = cms_test_sim_start ();
  f->client = cms_test_client_new (f->sim);
  f->ids = g_ptr_array_new_with_free_func (g_free);
  f->added = g_ptr_array_new_with_free_func (g_free);
  f->removed = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->client);
  bk_sim_cluster_stop (f->sim);
  g_clear_object (&f->sim);
  g_ptr_array_unref (f->ids);
  g_ptr_array_unref (f->added);
  g_ptr_array_unref (f->removed);
  bk_test_spin (10);
}

static void
populate (Fixture *f,
          guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s %04u", i % 7 == 0 ? "Sales" : "Room", i);
      g_autofree char *uri = g_strdup_printf ("room.%04u", i);
      g_autofree char *call_id = g_strdup_printf ("%u", 100000 + i);
      char *id = bk_sim_cluster_add_cospace (f->sim, name, uri, call_id);

      g_assert_nonnull (id);
      g_ptr_array_add (f->ids, id);
    }
}

static void
progress_cb (guint    fetched,
             guint    total,
             gpointer user_data)
{
  Fixture *f = user_data;

  g_assert_cmpuint (fetched, >=, f->last_fetched);
  f->progress_calls++;
  f->last_fetched = fetched;
  f->last_total = total;
  if (f->cancel_on_progress)
    g_cancellable_cancel (f->cancel_on_progress);
}

static GPtrArray *
list_spaces (Fixture      *f,
             const char   *filter,
             GCancellable *cancellable,
             GError      **error)
{
  g_autoptr(GAsyncResult) res = NULL;

  bk_cms_client_list_cospaces_async (f->client, filter, NULL, progress_cb, f, cancellable,
                                     cms_test_store_result_cb, &res);
  return bk_cms_client_list_cospaces_finish (f->client, cms_test_wait_result (&res), error);
}

static void
assert_no_duplicates (GPtrArray *items)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < items->len; i++)
    {
      BkCmsRecord *r = g_ptr_array_index (items, i);
      g_assert_true (g_hash_table_add (seen, r->id));
    }
}

static gboolean
contains_id (GPtrArray  *items,
             const char *id)
{
  for (guint i = 0; i < items->len; i++)
    if (g_str_equal (((BkCmsRecord *) g_ptr_array_index (items, i))->id, id))
      return TRUE;
  return FALSE;
}

static void
run_cap (Fixture *f,
         guint    cap,
         guint    n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  /* first page, then pages of cap overlapping by one object */
  guint expected_requests = 1 + (n > cap ? (n - cap + cap - 2) / (cap - 1) : 0);

  bk_sim_cluster_set_page_cap (f->sim, cap);
  populate (f, n);
  items = list_spaces (f, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, n);
  assert_no_duplicates (items);
  /* List order is the bridge's order. */
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (((BkCmsCoSpace *) g_ptr_array_index (items, i))->id, ==, g_ptr_array_index (f->ids, i));
  /* The page size was learnt from the first reply; no extra round trips. */
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "GET", "/api/v1/coSpaces"), ==, expected_requests);
  g_assert_cmpuint (f->last_fetched, ==, n);
  g_assert_cmpuint (f->last_total, ==, n);
  g_assert_cmpuint (f->progress_calls, ==, expected_requests);
}

static void
test_cap_10 (Fixture *f, gconstpointer data)
{
  run_cap (f, 10, 95);
}

static void
test_cap_20 (Fixture *f, gconstpointer data)
{
  run_cap (f, 20, 200);
}

static void
test_single_page_and_empty (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;

  items = list_spaces (f, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 0);
  g_clear_pointer (&items, g_ptr_array_unref);

  bk_sim_cluster_set_page_cap (f->sim, 20);
  populate (f, 7);
  bk_sim_cluster_reset_counters (f->sim);
  items = list_spaces (f, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 7);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "GET", "/api/v1/coSpaces"), ==, 1);
}

static void
test_filter (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;

  bk_sim_cluster_set_page_cap (f->sim, 10);
  populate (f, 100);
  items = list_spaces (f, "sales", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 15);   /* 0, 7, ..., 98 */
  for (guint i = 0; i < items->len; i++)
    g_assert_true (g_str_has_prefix (((BkCmsCoSpace *) g_ptr_array_index (items, i))->name, "Sales"));
  assert_no_duplicates (items);
}

/* Between pages: remove objects near the front (shifts later pages left) and
 * add new ones (shifts the tail right). */
static void
mutate_hook (BkSimCluster *sim,
             guint         node,
             const char   *method,
             const char   *path,
             const char   *query,
             gpointer      user_data)
{
  Fixture *f = user_data;

  if (!g_str_equal (method, "GET") || g_ascii_strcasecmp (path, "/api/v1/coSpaces") != 0)
    return;
  f->page_requests++;
  if (f->page_requests == 2 || f->page_requests == 4)
    {
      /* remove the 3rd and 4th original objects, once each */
      const char *victim = g_ptr_array_index (f->ids, f->page_requests == 2 ? 2 : 3);

      if (bk_sim_cluster_remove_cospace (sim, victim))
        g_ptr_array_add (f->removed, g_strdup (victim));
    }
  if (f->page_requests == 3 || f->page_requests == 5)
    {
      g_autofree char *name = g_strdup_printf ("Added %u", f->page_requests);
      g_autofree char *uri = g_strdup_printf ("added.%u", f->page_requests);
      g_autofree char *call_id = g_strdup_printf ("%u", 900000 + f->page_requests);
      char *id = bk_sim_cluster_add_cospace (sim, name, uri, call_id);

      g_ptr_array_add (f->added, id);
    }
}

static void
run_mutation (Fixture *f,
              guint    cap)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GHashTable) allowed = g_hash_table_new (g_str_hash, g_str_equal);

  bk_sim_cluster_set_page_cap (f->sim, cap);
  populate (f, 120);
  bk_sim_cluster_set_request_hook (f->sim, mutate_hook, f, NULL);
  items = list_spaces (f, NULL, NULL, &error);
  bk_sim_cluster_set_request_hook (f->sim, NULL, NULL, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (f->removed->len, ==, 2);
  g_assert_cmpuint (f->added->len, ==, 2);

  assert_no_duplicates (items);
  /* Every object that existed throughout is there exactly once ... */
  for (guint i = 0; i < f->ids->len; i++)
    {
      const char *id = g_ptr_array_index (f->ids, i);

      g_hash_table_add (allowed, (gpointer) id);
      if (i == 2 || i == 3)
        continue;
      if (!contains_id (items, id))
        g_error ("object %u (%s) missing after paging with cap %u", i, id, cap);
    }
  /* ... objects added while paging and present at the end are there too ... */
  for (guint i = 0; i < f->added->len; i++)
    {
      g_assert_true (contains_id (items, g_ptr_array_index (f->added, i)));
      g_hash_table_add (allowed, g_ptr_array_index (f->added, i));
    }
  /* ... and nothing else. */
  for (guint i = 0; i < items->len; i++)
    g_assert_true (g_hash_table_contains (allowed, ((BkCmsRecord *) g_ptr_array_index (items, i))->id));
}

static void
test_mutation_cap_10 (Fixture *f, gconstpointer data)
{
  run_mutation (f, 10);
}

static void
test_mutation_cap_20 (Fixture *f, gconstpointer data)
{
  run_mutation (f, 20);
}

static void
test_cancel (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  bk_sim_cluster_set_page_cap (f->sim, 10);
  bk_sim_cluster_set_latency (f->sim, 20, 0);
  populate (f, 200);
  f->cancel_on_progress = cancellable;   /* cancel after the first page */
  items = list_spaces (f, NULL, cancellable, &error);
  g_assert_null (items);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (f->progress_calls, ==, 1);
  /* The remaining 19 pages were never all fetched. */
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "GET", "/api/v1/coSpaces"), <, 20);
}

static void
test_error_mid_paging (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;

  bk_sim_cluster_set_page_cap (f->sim, 10);
  populate (f, 60);
  bk_sim_cluster_add_fault (f->sim, "GET", "/api/v1/coSpaces", BK_SIM_FAULT_HTTP_503, 1.0, 1);
  bk_sim_cluster_add_fault (f->sim, "GET", "/api/v1/coSpaces", BK_SIM_FAULT_HTTP_503, 0.0, -1);
  items = list_spaces (f, NULL, NULL, &error);
  g_assert_no_error (error);   /* the 503 was retried */
  g_assert_cmpuint (items->len, ==, 60);
  g_clear_pointer (&items, g_ptr_array_unref);

  bk_sim_cluster_clear_faults (f->sim);
  bk_sim_cluster_add_fault (f->sim, "GET", "/api/v1/coSpaces", BK_SIM_FAULT_HTTP_500, 0.5, -1);
  bk_sim_cluster_add_fault (f->sim, "GET", "/api/v1/coSpaces", BK_SIM_FAULT_HTTP_500, 1.0, -1);
  items = list_spaces (f, NULL, NULL, &error);
  g_assert_null (items);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_SERVER_ERROR);
}

static void
test_other_collections (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GPtrArray) alarms = NULL;
  g_autofree char *alarm_id = bk_sim_cluster_add_alarm (f->sim, "cdrConnectionFailure");

  bk_cms_client_list_alarms_async (f->client, NULL, cms_test_store_result_cb, &res);
  alarms = bk_cms_client_list_alarms_finish (f->client, cms_test_wait_result (&res), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (alarms->len, ==, 1);
  g_assert_cmpstr (((BkCmsAlarm *) alarms->pdata[0])->id, ==, alarm_id);
  g_assert_cmpstr (((BkCmsAlarm *) alarms->pdata[0])->type, ==, "cdrConnectionFailure");
}

int
main (int   argc,
      char *argv[])
{
  bk_test_init (&argc, &argv);

#define ADD(name, func) \
  g_test_add ("/cms/paging/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("cap-10", test_cap_10);
  ADD ("cap-20", test_cap_20);
  ADD ("single-page-and-empty", test_single_page_and_empty);
  ADD ("filter", test_filter);
  ADD ("mutation-cap-10", test_mutation_cap_10);
  ADD ("mutation-cap-20", test_mutation_cap_20);
  ADD ("cancel", test_cancel);
  ADD ("error-mid-paging", test_error_mid_paging);
  ADD ("other-collections", test_other_collections);

  return g_test_run ();
}
