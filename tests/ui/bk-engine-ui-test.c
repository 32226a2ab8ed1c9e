/* bk-engine-ui-test.c: helpers of the GUI tests of the conference engine
 * inside the application
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkEngineUiTest"

#include "config.h"

#include "bk-engine-ui-test.h"
#include "engine-test-util.h"

BkSimCluster *
bk_engine_ui_test_start_sim (guint   leg_delay_ms,
                             char  **space)
{
  BkSimCluster *sim = et_sim_new (1);
  g_autoptr(BkCmsClient) probe = NULL;

  bk_sim_cluster_set_call_leg_connect_delay (sim, leg_delay_ms);
  et_sim_start (sim);
  probe = et_client_new (sim);
  *space = et_add_idle_slot (sim, probe, 7001);
  return sim;
}

static gboolean
loaded (gpointer data)
{
  return bk_application_get_bookings_loaded (data);
}

BkApplication *
bk_engine_ui_test_app_new (BkClock *clock)
{
  g_autoptr(GError) error = NULL;
  BkApplication *app = bk_application_new ();

  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) | G_APPLICATION_NON_UNIQUE);
  bk_application_set_clock_for_testing (app, clock);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  bk_test_wait_until (loaded, app, ET_WAIT_MS);
  g_assert_true (bk_application_get_bookings_loaded (app));
  g_assert_nonnull (bk_application_get_engine (app));
  return app;
}

BkDevice *
bk_engine_ui_test_add_bridge (BkApplication *app,
                              BkSimCluster  *sim)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  BkSecrets *secrets = bk_application_get_secrets (app);
  BkDevice *device = g_object_new (BK_TYPE_DEVICE, "id", "bridge-a", "address", "127.0.0.1",
                                   "port", bk_sim_cluster_get_node_port (sim, 0), NULL);

  bk_device_set_name (device, "CMS A");
  bk_device_set_domain (device, "meet.example.com");
  bk_device_set_numeric_id_base (device, 7001);
  bk_device_set_numeric_id_quantity (device, 1);
  bk_device_set_certificate_pin (device, bk_sim_cluster_get_certificate_sha256 (sim));
  bk_device_set_username (device, BK_SIM_DEFAULT_USERNAME);
  bk_secrets_store_async (secrets, device, BK_SECRET_KIND_PRIMARY, BK_SIM_DEFAULT_PASSWORD,
                          NULL, et_result_cb, &res);
  g_assert_true (bk_secrets_store_finish (secrets, et_wait_result (&res), &error));
  g_assert_no_error (error);
  g_object_unref (res);
  g_assert_true (bk_device_store_add (bk_application_get_store (app), device, &error));
  g_assert_no_error (error);
  return device;
}

char *
bk_engine_ui_test_book (BkApplication      *app,
                        BkClock            *clock,
                        BkDevice           *device,
                        const char         *title,
                        BkBookingType       type,
                        BkExtendMode        extend_mode,
                        GDateTime          *start,
                        int                 minutes,
                        const char * const *dial_out)
{
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, minutes);
  g_autoptr(GPtrArray) bridges = g_ptr_array_new ();
  EtBooking spec = { title, NULL, type, start, end, dial_out, NULL, 0, FALSE, extend_mode };

  g_ptr_array_add (bridges, device);
  return et_book (bk_application_get_bookings (app), clock, bridges, &spec, NULL);
}
