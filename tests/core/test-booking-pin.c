/* test-booking-pin.c: a booking's PIN lives in the keyring, never in the file
 *
 * The keyring case needs the private keyring of build-aux/run-headless; the
 * session-only case runs anywhere.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "TestBookingPin"

#include "config.h"

#include <string.h>

#include "bk-booking-file.h"
#include "bk-booking-store.h"
#include "bk-secrets.h"
#include "bk-test-util.h"

#define WAIT_MS 20000
#define PIN "8675309"

typedef struct
{
  GAsyncResult *result;
} Waiter;

static void
waiter_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  ((Waiter *) user_data)->result = g_object_ref (result);
}

static gboolean
waiter_done (gpointer data)
{
  return ((Waiter *) data)->result != NULL;
}

static gboolean
flag_done (gpointer data)
{
  return *(gboolean *) data;
}

static void
store_flush_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_assert_true (bk_booking_store_flush_finish (BK_BOOKING_STORE (source), result, NULL));
  *(gboolean *) user_data = TRUE;
}

static void
store_load_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_assert_true (bk_booking_store_load_finish (BK_BOOKING_STORE (source), result, NULL));
  *(gboolean *) user_data = TRUE;
}

static gboolean
have_private_keyring (void)
{
  if (g_getenv ("BK_HEADLESS_INNER") != NULL && g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    return TRUE;
  if (g_getenv ("BK_TEST_REQUIRE_DISPLAY") != NULL)
    {
      g_test_fail_printf ("No private session bus with a keyring; run the tests through build-aux/run-headless");
      return FALSE;
    }
  g_test_skip ("Needs the private keyring of build-aux/run-headless");
  return FALSE;
}

static void
check_pin (BkSecrets  *secrets,
           const char *dir_name)
{
  g_autofree char *dir = g_build_filename (bk_test_get_tmpdir (), dir_name, NULL);
  g_autoptr(BkBookingFile) file = bk_booking_file_new (dir);
  g_autoptr(BkBookingStore) store = bk_booking_store_new (BK_BOOKING_BACKEND (file), BK_BOOKING_DEFAULT_EARLY_JOIN);
  g_autoptr(GDateTime) start = g_date_time_new_utc (2027, 2, 1, 9, 0, 0);
  g_autoptr(GDateTime) end = g_date_time_new_utc (2027, 2, 1, 10, 0, 0);
  g_autoptr(BkBooking) b = bk_booking_new ("Quarterly results", "UTC", start, end);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *pin = NULL;
  BkBookingRules rules = { 0 };
  Waiter w = { NULL };
  gboolean done = FALSE;

  rules.now = g_date_time_to_unix (start) - 3600;
  b->type = BK_BOOKING_TYPE_NO_CONNECT;
  b->has_pin = TRUE;

  bk_booking_store_load_async (store, NULL, store_load_cb, &done);
  bk_test_wait_until (flag_done, &done, WAIT_MS);
  g_assert_true (bk_booking_store_save (store, &rules, b, NULL, &error));
  g_assert_no_error (error);
  done = FALSE;
  bk_booking_store_flush_async (store, NULL, store_flush_cb, &done);
  bk_test_wait_until (flag_done, &done, WAIT_MS);

  bk_secrets_store_booking_pin_async (secrets, b->uid, b->title, PIN, NULL, waiter_cb, &w);
  bk_test_wait_until (waiter_done, &w, WAIT_MS);
  g_assert_true (bk_secrets_store_finish (secrets, w.result, &error));
  g_assert_no_error (error);
  g_clear_object (&w.result);

  /* The file says that there is a PIN, and never what it is. */
  g_assert_true (g_file_get_contents (bk_booking_file_get_path (file), &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "X-BRIDGEKEEPER-PIN:TRUE"));
  g_assert_null (strstr (text, PIN));

  bk_secrets_lookup_async (secrets, b->uid, BK_SECRET_KIND_BOOKING_PIN, NULL, waiter_cb, &w);
  bk_test_wait_until (waiter_done, &w, WAIT_MS);
  pin = bk_secrets_lookup_finish (secrets, w.result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (pin, ==, PIN);
  g_clear_object (&w.result);

  /* A bridge password under the same id is another secret. */
  bk_secrets_lookup_async (secrets, b->uid, BK_SECRET_KIND_PRIMARY, NULL, waiter_cb, &w);
  bk_test_wait_until (waiter_done, &w, WAIT_MS);
  g_clear_pointer (&pin, g_free);
  pin = bk_secrets_lookup_finish (secrets, w.result, &error);
  g_assert_no_error (error);
  g_assert_null (pin);
  g_clear_object (&w.result);

  bk_secrets_clear_async (secrets, b->uid, BK_SECRET_KIND_BOOKING_PIN, NULL, waiter_cb, &w);
  bk_test_wait_until (waiter_done, &w, WAIT_MS);
  g_assert_true (bk_secrets_clear_finish (secrets, w.result, &error));
  g_clear_object (&w.result);

  bk_secrets_lookup_async (secrets, b->uid, BK_SECRET_KIND_BOOKING_PIN, NULL, waiter_cb, &w);
  bk_test_wait_until (waiter_done, &w, WAIT_MS);
  pin = bk_secrets_lookup_finish (secrets, w.result, &error);
  g_assert_null (pin);
  g_clear_object (&w.result);
}

static void
test_session_only (void)
{
  g_autoptr(BkSecrets) secrets = bk_secrets_new_session_only ("test");

  check_pin (secrets, "session");
}

static void
test_keyring (void)
{
  g_autoptr(BkSecrets) secrets = NULL;

  if (!have_private_keyring ())
    return;
  secrets = bk_secrets_new ();
  check_pin (secrets, "keyring");
  g_assert_true (bk_secrets_is_persistent (secrets));
}

int
main (int   argc,
      char *argv[])
{
  bk_test_init (&argc, &argv);

  g_test_add_func ("/core/booking/pin/session-only", test_session_only);
  g_test_add_func ("/core/booking/pin/keyring", test_keyring);

  return g_test_run ();
}
