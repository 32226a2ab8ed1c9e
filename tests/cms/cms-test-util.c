/* cms-test-util.c: shared set-up for the CMS client's tests
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bk-test-util.h"
#include "cms-test-util.h"

#define WAIT_MS 30000

BkSimCluster *
cms_test_sim_start (void)
{
  g_autoptr(GError) error = NULL;
  BkSimCluster *sim = bk_sim_cluster_new (1);

  bk_sim_cluster_set_tls (sim, TRUE);
  g_assert_true (bk_sim_cluster_start (sim, &error));
  g_assert_no_error (error);
  return sim;
}

BkCmsClient *
cms_test_client_new (BkSimCluster *sim)
{
  BkCmsClient *client = bk_cms_client_new (bk_sim_cluster_get_node_url (sim, 0),
                                           BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD,
                                           bk_sim_cluster_get_certificate_sha256 (sim));

  bk_cms_client_set_retry_policy (client, 3, 5, 20);
  return client;
}

void
cms_test_store_result_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

static gboolean
have_result (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

GAsyncResult *
cms_test_wait_result (GAsyncResult **slot)
{
  bk_test_wait_until (have_result, slot, WAIT_MS);
  return *slot;
}
