/* onb-test-util.h: shared set-up of the onboarding and bridge tests
 * (a 2-node simulator over loopback HTTPS, a store in a temporary
 * directory, and synchronous helpers around the async steps)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib/gstdio.h>

#include "bk-bridge.h"
#include "bk-onboarding.h"
#include "bk-sim.h"
#include "bk-tickets.h"
#include "bk-test-util.h"

#define ONB_TIMEOUT_MS 90000
#define ONB_DOMAIN     "meet.example.com"

typedef struct
{
  BkSimCluster  *sim;
  BkDeviceStore *store;
  BkSecrets     *secrets;
  BkCmsClient   *probe;     /* for counting objects on the simulator */
  char          *dir;
} OnbFixture;

/* Registers a test that runs with a fresh OnbFixture. */
#define ONB_ADD(path, func) \
  g_test_add (path, OnbFixture, NULL, onb_fixture_set_up, func, onb_fixture_tear_down)

static gboolean
onb_result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
onb_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Spins the main context until the async call stored its result. */
static GAsyncResult *
onb_wait (GAsyncResult **slot)
{
  bk_test_wait_until (onb_result_ready, slot, ONB_TIMEOUT_MS);
  g_assert_nonnull (*slot);
  return *slot;
}

static void
onb_fixture_set_up (OnbFixture    *f,
                    gconstpointer  data)
{
  static guint serial;
  g_autoptr(GError) error = NULL;

  f->sim = bk_sim_cluster_new (2);
  bk_sim_cluster_set_tls (f->sim, TRUE);
  bk_sim_cluster_set_bulk_sync_delay (f->sim, 200);
  g_assert_true (bk_sim_cluster_start (f->sim, &error));
  g_assert_no_error (error);

  f->dir = g_strdup_printf ("%s/store-%u", bk_test_get_tmpdir (), ++serial);
  g_mkdir_with_parents (f->dir, 0700);
  f->store = bk_device_store_new (f->dir);
  g_assert_true (bk_device_store_load (f->store, &error));
  f->secrets = bk_secrets_new ();
  f->probe = bk_cms_client_new (bk_sim_cluster_get_node_url (f->sim, 0),
                                BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD,
                                bk_sim_cluster_get_certificate_sha256 (f->sim));
}

static void
onb_fixture_tear_down (OnbFixture    *f,
                       gconstpointer  data)
{
  g_clear_object (&f->probe);
  g_clear_object (&f->secrets);
  g_clear_object (&f->store);
  bk_sim_cluster_stop (f->sim);
  g_clear_object (&f->sim);
  bk_test_rm_rf (f->dir);
  g_free (f->dir);
}

static char *
onb_node_address (OnbFixture *f,
                  guint       node)
{
  return g_strdup_printf ("127.0.0.1:%u", bk_sim_cluster_get_node_port (f->sim, node));
}

/* Lists a collection on the simulator (through node 0). */
static GPtrArray *
onb_list (OnbFixture *f,
          BkCmsKind   kind,
          const char *path)
{
  GAsyncResult *res = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *items;

  bk_cms_client_list_async (f->probe, kind, path, NULL, NULL, NULL, NULL, onb_result_cb, &res);
  items = bk_cms_client_list_finish (f->probe, onb_wait (&res), &error);
  g_object_unref (res);
  g_assert_no_error (error);
  return items;
}

static guint
onb_count (OnbFixture *f,
           BkCmsKind   kind,
           const char *path)
{
  g_autoptr(GPtrArray) items = onb_list (f, kind, path);

  return items->len;
}

/* Asserts that exactly the slot spaces base..base+quantity-1 exist (plus
 * @n_other spaces that are not slots). */
static void
onb_assert_slots (OnbFixture *f,
                  guint64     base,
                  guint       quantity,
                  guint       n_other)
{
  g_autoptr(GPtrArray) spaces = onb_list (f, BK_CMS_KIND_COSPACE, "coSpaces");
  g_autofree gboolean *seen = g_new0 (gboolean, quantity);
  guint n_slots = 0;

  for (guint i = 0; i < spaces->len; i++)
    {
      const BkCmsCoSpace *s = g_ptr_array_index (spaces, i);
      guint64 n;

      if (!bk_slot_number_from_name (s->name, &n))
        continue;
      g_assert_cmpuint (n, >=, base);
      g_assert_cmpuint (n, <, base + quantity);
      g_assert_false (seen[n - base]);
      seen[n - base] = TRUE;
      {
        g_autofree char *want = g_strdup_printf ("%" G_GUINT64_FORMAT, n);

        g_assert_cmpstr (s->uri, ==, want);
        g_assert_cmpstr (s->call_id, ==, want);
      }
      n_slots++;
    }
  g_assert_cmpuint (n_slots, ==, quantity);
  g_assert_cmpuint (spaces->len, ==, quantity + n_other);
}

static GError *
onb_connect (BkOnboarding *ob,
             const char   *address,
             const char   *username,
             const char   *password)
{
  GAsyncResult *res = NULL;
  GError *error = NULL;

  bk_onboarding_connect_async (ob, address, username, password, NULL, onb_result_cb, &res);
  bk_onboarding_connect_finish (ob, onb_wait (&res), &error);
  g_object_unref (res);
  return error;
}

static GPtrArray *
onb_discover (BkOnboarding *ob,
              GError      **error)
{
  GAsyncResult *res = NULL;
  GPtrArray *members;

  bk_onboarding_discover_async (ob, NULL, onb_result_cb, &res);
  members = bk_onboarding_discover_finish (ob, onb_wait (&res), error);
  g_object_unref (res);
  return members;
}

static GPtrArray *
onb_check_range (BkOnboarding *ob,
                 guint64       base,
                 guint         quantity,
                 GError      **error)
{
  GAsyncResult *res = NULL;
  GPtrArray *collisions;

  bk_onboarding_check_range_async (ob, ONB_DOMAIN, base, quantity, NULL, onb_result_cb, &res);
  collisions = bk_onboarding_check_range_finish (ob, onb_wait (&res), error);
  g_object_unref (res);
  return collisions;
}

static GError *
onb_reserve (BkOnboarding *ob,
             GCancellable *cancellable)
{
  GAsyncResult *res = NULL;
  GError *error = NULL;

  bk_onboarding_reserve_async (ob, cancellable, onb_result_cb, &res);
  bk_onboarding_reserve_finish (ob, onb_wait (&res), &error);
  g_object_unref (res);
  return error;
}

static GError *
onb_finish (BkOnboarding *ob)
{
  GAsyncResult *res = NULL;
  GError *error = NULL;

  bk_onboarding_finish_async (ob, NULL, onb_result_cb, &res);
  bk_onboarding_finish_finish (ob, onb_wait (&res), &error);
  g_object_unref (res);
  return error;
}

/* Connects to @node trusting the simulator's certificate. */
static BkOnboarding *
onb_connected (OnbFixture *f,
               guint       node)
{
  BkOnboarding *ob = bk_onboarding_new (f->store, f->secrets);
  g_autofree char *address = onb_node_address (f, node);
  g_autoptr(GError) error = NULL;

  bk_onboarding_trust_certificate (ob, bk_sim_cluster_get_certificate_sha256 (f->sim));
  error = onb_connect (ob, address, BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD);
  g_assert_no_error (error);
  return ob;
}

/* Connects to @node, discovers its cluster and checks the free range
 * base..base+quantity-1: the onboarding is ready to reserve. */
static BkOnboarding *
onb_ready_to_reserve (OnbFixture *f,
                      guint       node,
                      guint64     base,
                      guint       quantity)
{
  BkOnboarding *ob = onb_connected (f, node);
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GPtrArray) collisions = NULL;
  g_autoptr(GError) error = NULL;

  members = onb_discover (ob, &error);
  g_assert_no_error (error);
  collisions = onb_check_range (ob, base, quantity, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (collisions->len, ==, 0);
  return ob;
}

/* The whole onboarding of @node with base..base+quantity-1; returns the
 * device (transfer none: it is in the store). */
static BkDevice *
onb_onboard (OnbFixture *f,
             guint       node,
             guint64     base,
             guint       quantity)
{
  g_autoptr(BkOnboarding) ob = onb_ready_to_reserve (f, node, base, quantity);
  g_autoptr(GError) error = NULL;
  BkDevice *device;

  g_assert_true (bk_onboarding_set_name (ob, "CMS Core", &error));
  error = onb_reserve (ob, NULL);
  g_assert_no_error (error);
  error = onb_finish (ob);
  g_assert_no_error (error);
  device = bk_onboarding_get_device (ob);
  g_assert_cmpint (bk_device_get_onboarding_stage (device), ==, BK_ONBOARDING_STAGE_COMPLETE);
  return device;
}
