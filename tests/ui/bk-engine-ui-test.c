/* bk-engine-ui-test.c: helpers of the GUI tests of the conference engine
 * inside the application
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkEngineUiTest"

#include "config.h"

#include "bk-booking-store.h"
#include "bk-engine-ui-test.h"

static gboolean
result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **res)
{
  bk_test_wait_until (result_ready, res, BK_ENGINE_UI_TEST_TIMEOUT_MS);
  g_assert_nonnull (*res);
  return *res;
}

GDateTime *
bk_engine_ui_test_at (int h,
                      int m)
{
  return g_date_time_new_utc (2030, 1, 7, h, m, 0);
}

BkSimCluster *
bk_engine_ui_test_start_sim (guint   leg_delay_ms,
                             char  **space)
{
  static const char * const idle[] = { "nonMemberAccess", "false", NULL };
  g_autoptr(GError) error = NULL;
  BkSimCluster *sim = bk_sim_cluster_new (1);
  g_autoptr(BkCmsClient) probe = NULL;
  g_autofree char *path = NULL;
  g_autoptr(BkCmsReply) reply = NULL;
  GAsyncResult *res = NULL;

  bk_sim_cluster_set_tls (sim, TRUE);
  bk_sim_cluster_set_call_leg_connect_delay (sim, leg_delay_ms);
  g_assert_true (bk_sim_cluster_start (sim, &error));
  g_assert_no_error (error);
  *space = bk_sim_cluster_add_cospace (sim, "TMS_Scheduled_Meeting_7001", "7001", "7001");
  g_assert_nonnull (*space);
  probe = bk_cms_client_new (bk_sim_cluster_get_node_url (sim, 0), BK_SIM_DEFAULT_USERNAME,
                             BK_SIM_DEFAULT_PASSWORD, bk_sim_cluster_get_certificate_sha256 (sim));
  path = g_strdup_printf ("coSpaces/%s", *space);
  bk_cms_client_request_async (probe, "PUT", path, idle, NULL, result_cb, &res);
  reply = bk_cms_client_request_finish (probe, wait_result (&res), &error);
  g_assert_no_error (error);
  g_object_unref (res);
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
  bk_test_wait_until (loaded, app, BK_ENGINE_UI_TEST_TIMEOUT_MS);
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
                          NULL, result_cb, &res);
  g_assert_true (bk_secrets_store_finish (secrets, wait_result (&res), &error));
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
                        GDateTime          *start,
                        int                 minutes,
                        const char * const *dial_out)
{
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, minutes);
  g_autoptr(BkBooking) b = bk_booking_new (title, "UTC", start, end);
  g_autoptr(GPtrArray) bridges = g_ptr_array_new ();
  g_autoptr(GDateTime) now = bk_clock_now (clock);
  BkBookingRules rules = { g_date_time_to_unix (now), bridges, NULL };
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (bridges, device);
  b->type = type;
  for (guint i = 0; dial_out != NULL && dial_out[i] != NULL; i++)
    bk_booking_add_participant (b, "", dial_out[i], BK_DIAL_OUT);
  g_assert_true (bk_booking_store_save (bk_application_get_bookings (app), &rules, b, NULL, &error));
  g_assert_no_error (error);
  return bk_engine_occurrence_id (b->uid, g_date_time_to_unix (start));
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
bk_engine_ui_test_wait_state (BkEngine      *engine,
                              const char    *id,
                              BkEngineState  state,
                              guint          timeout_ms)
{
  WaitState w = { engine, id, state };

  bk_test_wait_until (state_reached, &w, timeout_ms);
  g_assert_cmpstr (bk_engine_state_to_string (bk_engine_get_state (engine, id)), ==,
                   bk_engine_state_to_string (state));
}
