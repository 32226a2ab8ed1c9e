/* test-cms-probe.c: the reachability probe (bk_cms_client_probe_async):
 * no credentials sent, any certificate accepted for that one connection
 * only, an HTTP answer is "reachable", and the log says what was checked
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "bk-test-util.h"
#include "cms-test-util.h"

static BkCmsProbe *
probe (BkCmsClient  *client,
       GError      **error)
{
  GAsyncResult *res = NULL;
  BkCmsProbe *result;

  bk_cms_client_probe_async (client, NULL, cms_test_store_result_cb, &res);
  result = bk_cms_client_probe_finish (client, cms_test_wait_result (&res), error);
  g_object_unref (res);
  return result;
}

static BkCmsSystemStatus *
get_status (BkCmsClient  *client,
            GError      **error)
{
  GAsyncResult *res = NULL;
  BkCmsSystemStatus *status;

  bk_cms_client_get_system_status_async (client, NULL, cms_test_store_result_cb, &res);
  status = bk_cms_client_get_system_status_finish (client, cms_test_wait_result (&res), error);
  g_object_unref (res);
  return status;
}

static BkCmsLogEntry *
last_entry (BkCmsClient *client)
{
  GListModel *log = G_LIST_MODEL (bk_cms_client_get_log (client));
  guint n = g_list_model_get_n_items (log);
  g_autoptr(BkCmsLogEntry) entry = NULL;

  g_assert_cmpuint (n, >, 0);
  entry = g_list_model_get_item (log, n - 1);
  return entry;  /* the log keeps it */
}

/* A client with the node's own user, but no pin: the probe goes without
 * the user (401), accepts the certificate for itself only, and the next
 * ordinary request is refused the certificate again, never sent. */
static void
test_probe_untrusted (void)
{
  g_autoptr(BkSimCluster) sim = cms_test_sim_start ();
  g_autoptr(BkCmsClient) client = bk_cms_client_new (bk_sim_cluster_get_node_url (sim, 0),
                                                     BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD, NULL);
  g_autoptr(BkCmsProbe) result = NULL;
  g_autoptr(BkCmsSystemStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  BkCmsLogEntry *entry;

  bk_cms_client_set_retry_policy (client, 3, 5, 20);
  result = probe (client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  /* The node's user would have been let in: no credentials were sent. */
  g_assert_cmpuint (result->status, ==, 401);
  g_assert_cmpint (result->certificate, ==, BK_CMS_PROBE_CERTIFICATE_UNTRUSTED);
  g_assert_cmpstr (result->peer_sha256, ==, bk_sim_cluster_get_certificate_sha256 (sim));
  g_assert_cmpuint (bk_sim_cluster_get_request_count (sim, 0, "GET", "/api/v1/system/status"), ==, 1);

  entry = last_entry (client);
  g_assert_cmpuint (bk_cms_log_entry_get_status (entry), ==, 401);
  g_assert_null (bk_cms_log_entry_get_failure (entry));
  g_assert_nonnull (strstr (bk_cms_log_entry_get_note (entry), "without credentials"));
  g_assert_nonnull (strstr (bk_cms_log_entry_get_note (entry), result->peer_sha256));

  /* The probe's connection is gone: an ordinary request (with the user)
   * meets the untrusted certificate again and reaches nothing. */
  status = get_status (client, &error);
  g_assert_null (status);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_UNTRUSTED);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (sim, 0, NULL, NULL), ==, 1);
  g_assert_null (bk_cms_log_entry_get_note (last_entry (client)));
  g_clear_error (&error);

  /* Pinned, the same client works with its user, and a probe after an
   * ordinary request still goes without it. */
  bk_cms_client_set_pin (client, result->peer_sha256);
  status = get_status (client, &error);
  g_assert_no_error (error);
  g_assert_nonnull (status);
  g_clear_pointer (&result, bk_cms_probe_free);
  result = probe (client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 401);
  g_assert_cmpint (result->certificate, ==, BK_CMS_PROBE_CERTIFICATE_TRUSTED);
  g_assert_null (strstr (bk_cms_log_entry_get_note (last_entry (client)), "SHA-256"));

  bk_sim_cluster_stop (sim);
}

/* A pin that is not the node's certificate: the node still answers, and
 * the probe says the certificate is not the pinned one. */
static void
test_probe_not_pinned (void)
{
  g_autoptr(BkSimCluster) sim = cms_test_sim_start ();
  g_autoptr(BkCmsClient) client = bk_cms_client_new (bk_sim_cluster_get_node_url (sim, 0), NULL, NULL,
                                                     "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
  g_autoptr(BkCmsProbe) result = NULL;
  g_autoptr(GError) error = NULL;

  result = probe (client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 401);
  g_assert_cmpint (result->certificate, ==, BK_CMS_PROBE_CERTIFICATE_NOT_PINNED);
  g_assert_cmpstr (result->peer_sha256, ==, bk_sim_cluster_get_certificate_sha256 (sim));
  g_assert_nonnull (strstr (bk_cms_log_entry_get_note (last_entry (client)), "not the one you trusted"));
  g_assert_null (bk_cms_log_entry_get_failure (last_entry (client)));

  bk_sim_cluster_stop (sim);
}

/* A node that is down: unreachable after one try (no retries), logged
 * with why and what was checked. Plain HTTP: no certificate. */
static void
test_probe_down_and_plain (void)
{
  g_autoptr(BkSimCluster) sim = bk_sim_cluster_new (1);
  g_autoptr(BkCmsClient) client = NULL;
  g_autoptr(BkCmsProbe) result = NULL;
  g_autoptr(GError) error = NULL;
  BkCmsLogEntry *entry;
  guint n;

  bk_sim_cluster_set_tls (sim, FALSE);
  g_assert_true (bk_sim_cluster_start (sim, &error));
  g_assert_no_error (error);
  client = bk_cms_client_new (bk_sim_cluster_get_node_url (sim, 0), NULL, NULL, NULL);
  bk_cms_client_set_retry_policy (client, 3, 5, 20);

  result = probe (client, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->status, ==, 401);
  g_assert_cmpint (result->certificate, ==, BK_CMS_PROBE_CERTIFICATE_NONE);
  g_assert_null (result->peer_sha256);
  g_clear_pointer (&result, bk_cms_probe_free);

  bk_sim_cluster_set_node_up (sim, 0, FALSE);
  n = g_list_model_get_n_items (G_LIST_MODEL (bk_cms_client_get_log (client)));
  result = probe (client, &error);
  g_assert_null (result);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_UNREACHABLE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (bk_cms_client_get_log (client))), ==, n + 1);
  entry = last_entry (client);
  g_assert_cmpuint (bk_cms_log_entry_get_status (entry), ==, 0);
  g_assert_nonnull (bk_cms_log_entry_get_failure (entry));
  g_assert_nonnull (strstr (bk_cms_log_entry_get_note (entry), "did not answer"));

  bk_sim_cluster_stop (sim);
}

int
main (int    argc,
      char **argv)
{
  bk_test_init (&argc, &argv);

  g_test_add_func ("/cms/probe/untrusted", test_probe_untrusted);
  g_test_add_func ("/cms/probe/not-pinned", test_probe_not_pinned);
  g_test_add_func ("/cms/probe/down-and-plain", test_probe_down_and_plain);

  return g_test_run ();
}
