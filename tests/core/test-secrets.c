/* test-secrets.c: passwords in a real (throwaway) keyring, the session-only
 * fallback without a Secret Service, and no password in any file
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsecret/secret.h>
#include <string.h>

#include "bk-device-store.h"
#include "bk-fake-keyring.h"
#include "bk-secrets.h"
#include "bk-test-util.h"

#define WAIT_MS 20000

typedef struct
{
  GAsyncResult *result;
} Waiter;

static void
waiter_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Waiter *waiter = user_data;

  waiter->result = g_object_ref (result);
}

static gboolean
waiter_done (gpointer data)
{
  return ((Waiter *) data)->result != NULL;
}

static gboolean
store_password (BkSecrets     *secrets,
                BkDevice      *device,
                BkSecretKind   kind,
                const char    *password,
                GError       **error)
{
  Waiter waiter = { NULL };
  gboolean ok;

  bk_secrets_store_async (secrets, device, kind, password, NULL, waiter_cb, &waiter);
  bk_test_wait_until (waiter_done, &waiter, WAIT_MS);
  ok = bk_secrets_store_finish (secrets, waiter.result, error);
  g_object_unref (waiter.result);
  return ok;
}

static char *
lookup_password (BkSecrets     *secrets,
                 const char    *device_id,
                 BkSecretKind   kind,
                 GError       **error)
{
  Waiter waiter = { NULL };
  char *password;

  bk_secrets_lookup_async (secrets, device_id, kind, NULL, waiter_cb, &waiter);
  bk_test_wait_until (waiter_done, &waiter, WAIT_MS);
  password = bk_secrets_lookup_finish (secrets, waiter.result, error);
  g_object_unref (waiter.result);
  return password;
}

static gboolean
clear_password (BkSecrets     *secrets,
                const char    *device_id,
                BkSecretKind   kind,
                GError       **error)
{
  Waiter waiter = { NULL };
  gboolean ok;

  bk_secrets_clear_async (secrets, device_id, kind, NULL, waiter_cb, &waiter);
  bk_test_wait_until (waiter_done, &waiter, WAIT_MS);
  ok = bk_secrets_clear_finish (secrets, waiter.result, error);
  g_object_unref (waiter.result);
  return ok;
}

static gboolean
clear_device (BkSecrets     *secrets,
              const char    *device_id,
              GError       **error)
{
  Waiter waiter = { NULL };
  gboolean ok;

  bk_secrets_clear_device_async (secrets, device_id, NULL, waiter_cb, &waiter);
  bk_test_wait_until (waiter_done, &waiter, WAIT_MS);
  ok = bk_secrets_clear_device_finish (secrets, waiter.result, error);
  g_object_unref (waiter.result);
  return ok;
}

static void
assert_lookup (BkSecrets    *secrets,
               const char   *device_id,
               BkSecretKind  kind,
               const char   *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *password = lookup_password (secrets, device_id, kind, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, expected);
}

static gboolean
contains_bytes (const char *haystack,
                gsize       length,
                const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; n <= length && i <= length - n; i++)
    if (memcmp (haystack + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* Fails when any file under @dir contains one of @needles. */
static guint
scan_for (const char  *dir,
          const char **needles)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n_files = 0;

  if (d == NULL)
    return 0;

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          n_files += scan_for (path, needles);
          continue;
        }

      {
        g_autofree char *contents = NULL;
        gsize length = 0;

        g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
        for (guint i = 0; needles[i] != NULL; i++)
          if (contains_bytes (contents, length, needles[i]))
            g_error ("%s contains a password", path);
        n_files++;
      }
    }

  return n_files;
}

/* Saves a list with @device (and the default location) and checks that no
 * file of this test's data, config, cache or state folders holds a
 * password. */
static void
assert_no_password_in_files (BkDevice    *device,
                             const char **passwords)
{
  g_autoptr(BkDeviceStore) store = bk_device_store_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  g_assert_true (bk_device_store_load (store, &error));
  if (bk_device_store_lookup (store, bk_device_get_id (device)) == NULL)
    g_assert_true (bk_device_store_add (store, device, &error));
  g_assert_true (bk_device_store_save (store, &error));
  g_assert_true (bk_device_store_flush (store, &error));
  g_assert_no_error (error);

  /* The list was written, with the device's user names, to the data dir. */
  g_assert_true (g_str_has_prefix (bk_device_store_get_path (store), bk_test_get_tmpdir ()));
  g_assert_true (g_file_get_contents (bk_device_store_get_path (store), &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, bk_device_get_username (device)));

  g_assert_cmpuint (scan_for (bk_test_get_tmpdir (), passwords), >=, 1);
}

static gboolean
have_private_keyring (void)
{
  /* Only the keyring of build-aux/run-headless: never the user's. */
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
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_keyring (void)
{
  g_autoptr(BkSecrets) secrets = NULL;
  g_autoptr(BkDevice) device = bk_device_new ("cms.example.com", 445);
  g_autoptr(BkDevice) other = bk_device_new ("other.example.com", 443);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  GList *items;
  const char *passwords[] = { "keyring-primary-Pa55-ÄÖ", "keyring-alternate-Pa55", NULL };
  guint notified = 0;

  if (!have_private_keyring ())
    return;

  secrets = bk_secrets_new ();
  g_signal_connect (secrets, "notify::persistent", G_CALLBACK (notify_count_cb), &notified);
  bk_device_set_name (device, "CMS Core");
  bk_device_set_username (device, "TMSadmin");
  bk_device_set_alternate_address (device, "14.80.82.31");
  bk_device_set_alternate_username (device, "TMSadmin2");

  g_assert_true (store_password (secrets, device, BK_SECRET_KIND_PRIMARY, passwords[0], &error));
  g_assert_no_error (error);
  g_assert_true (store_password (secrets, device, BK_SECRET_KIND_ALTERNATE, passwords[1], &error));
  g_assert_no_error (error);
  g_assert_true (bk_secrets_is_persistent (secrets));
  g_assert_null (bk_secrets_get_status_message (secrets));
  g_assert_cmpuint (notified, ==, 0);

  /* Read back through a fresh instance: it really is in the keyring. */
  g_clear_object (&secrets);
  secrets = bk_secrets_new ();
  assert_lookup (secrets, bk_device_get_id (device), BK_SECRET_KIND_PRIMARY, passwords[0]);
  assert_lookup (secrets, bk_device_get_id (device), BK_SECRET_KIND_ALTERNATE, passwords[1]);
  assert_lookup (secrets, bk_device_get_id (other), BK_SECRET_KIND_PRIMARY, NULL);

  /* The items carry the schema's attributes and a readable label. */
  attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (attributes, (gpointer) "device-id", (gpointer) bk_device_get_id (device));
  g_hash_table_insert (attributes, (gpointer) "kind", (gpointer) "primary");
  {
    const SecretSchema schema = {
      BK_SECRETS_SCHEMA_NAME, SECRET_SCHEMA_NONE,
      { { "device-id", SECRET_SCHEMA_ATTRIBUTE_STRING }, { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING }, { NULL, 0 } }
    };

    g_autoptr(SecretService) service = secret_service_get_sync (SECRET_SERVICE_NONE, NULL, &error);

    g_assert_no_error (error);
    items = secret_service_search_sync (service, &schema, attributes, SECRET_SEARCH_ALL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_length (items), ==, 1);
    {
      g_autofree char *label = secret_item_get_label (items->data);

      g_assert_cmpstr (label, ==, "Cisco Meeting Server API password for CMS Core");
    }
    g_list_free_full (items, g_object_unref);

    g_hash_table_insert (attributes, (gpointer) "kind", (gpointer) "alternate");
    items = secret_service_search_sync (service, &schema, attributes, SECRET_SEARCH_ALL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_length (items), ==, 1);
    {
      g_autofree char *label = secret_item_get_label (items->data);

      g_assert_cmpstr (label, ==, "Cisco Meeting Server API password for CMS Core (alternate 14.80.82.31)");
    }
    g_list_free_full (items, g_object_unref);
  }

  /* Replacing a password keeps one item. */
  g_assert_true (store_password (secrets, device, BK_SECRET_KIND_PRIMARY, "keyring-primary-2", &error));
  assert_lookup (secrets, bk_device_get_id (device), BK_SECRET_KIND_PRIMARY, "keyring-primary-2");
  g_assert_true (store_password (secrets, device, BK_SECRET_KIND_PRIMARY, passwords[0], &error));
  g_assert_no_error (error);

  assert_no_password_in_files (device, passwords);

  /* Clear one kind, then the whole device. */
  g_assert_true (clear_password (secrets, bk_device_get_id (device), BK_SECRET_KIND_PRIMARY, &error));
  g_assert_no_error (error);
  assert_lookup (secrets, bk_device_get_id (device), BK_SECRET_KIND_PRIMARY, NULL);
  assert_lookup (secrets, bk_device_get_id (device), BK_SECRET_KIND_ALTERNATE, passwords[1]);
  /* Clearing what is not there is fine. */
  g_assert_true (clear_password (secrets, bk_device_get_id (device), BK_SECRET_KIND_PRIMARY, &error));
  g_assert_no_error (error);

  g_assert_true (store_password (secrets, device, BK_SECRET_KIND_PRIMARY, passwords[0], &error));
  g_assert_true (clear_device (secrets, bk_device_get_id (device), &error));
  g_assert_no_error (error);
  assert_lookup (secrets, bk_device_get_id (device), BK_SECRET_KIND_PRIMARY, NULL);
  assert_lookup (secrets, bk_device_get_id (device), BK_SECRET_KIND_ALTERNATE, NULL);
}

typedef struct
{
  BkSecrets *secrets;
  const char *device_id;
} GoneData;

static gboolean
secrets_gone (gpointer data)
{
  GoneData *gone = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *primary = NULL;
  g_autofree char *alternate = NULL;

  primary = lookup_password (gone->secrets, gone->device_id, BK_SECRET_KIND_PRIMARY, &error);
  g_assert_no_error (error);
  alternate = lookup_password (gone->secrets, gone->device_id, BK_SECRET_KIND_ALTERNATE, &error);
  g_assert_no_error (error);

  return primary == NULL && alternate == NULL;
}

static void
check_removal_clears (BkSecrets *secrets)
{
  g_autofree char *dir = g_build_filename (bk_test_get_tmpdir (), "removal", NULL);
  g_autoptr(BkDeviceStore) store = bk_device_store_new (dir);
  g_autoptr(BkDevice) device = bk_device_new ("cms.example.com", 443);
  g_autoptr(BkDevice) kept = bk_device_new ("kept.example.com", 443);
  g_autoptr(GError) error = NULL;
  GoneData gone = { secrets, bk_device_get_id (device) };

  bk_device_store_set_secrets (store, secrets);
  g_assert_true (bk_device_store_load (store, &error));
  g_assert_true (bk_device_store_add (store, device, &error));
  g_assert_true (bk_device_store_add (store, kept, &error));
  g_assert_true (store_password (secrets, device, BK_SECRET_KIND_PRIMARY, "removal-primary", &error));
  g_assert_true (store_password (secrets, device, BK_SECRET_KIND_ALTERNATE, "removal-alternate", &error));
  g_assert_true (store_password (secrets, kept, BK_SECRET_KIND_PRIMARY, "kept-primary", &error));
  g_assert_no_error (error);

  g_assert_true (bk_device_store_remove (store, device, &error));
  g_assert_no_error (error);
  bk_test_wait_until (secrets_gone, &gone, WAIT_MS);

  /* Only that device's passwords. */
  assert_lookup (secrets, bk_device_get_id (kept), BK_SECRET_KIND_PRIMARY, "kept-primary");
}

static void
test_keyring_removal (void)
{
  g_autoptr(BkSecrets) secrets = NULL;

  if (!have_private_keyring ())
    return;

  secrets = bk_secrets_new ();
  check_removal_clears (secrets);
  g_assert_true (bk_secrets_is_persistent (secrets));
}

#define FALLBACK_PASSWORD "fallback-secret-Pa55word"

static void
test_no_service (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(BkSecrets) secrets = NULL;
      g_autoptr(BkDevice) device = bk_device_new ("cms.example.com", 443);
      g_autoptr(GError) error = NULL;
      const char *passwords[] = { FALLBACK_PASSWORD, NULL };
      guint notified = 0;

      /* A bus that does not exist: the Secret Service cannot be reached. */
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus", TRUE);
      g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);

      secrets = bk_secrets_new ();
      g_signal_connect (secrets, "notify::persistent", G_CALLBACK (notify_count_cb), &notified);
      bk_device_set_username (device, "TMSadmin");

      /* Store still succeeds (session copy), well before the timeout:
       * a timeout would be an error. */
      g_assert_true (store_password (secrets, device, BK_SECRET_KIND_PRIMARY, FALLBACK_PASSWORD, &error));
      g_assert_no_error (error);
      g_assert_false (bk_secrets_is_persistent (secrets));
      g_assert_cmpuint (notified, ==, 1);
      g_assert_cmpstr (bk_secrets_get_status_message (secrets), ==,
                       "Passwords cannot be stored because no keyring service is running. "
                       "The password will be kept until Bridgekeeper closes.");

      assert_lookup (secrets, bk_device_get_id (device), BK_SECRET_KIND_PRIMARY, FALLBACK_PASSWORD);
      assert_lookup (secrets, bk_device_get_id (device), BK_SECRET_KIND_ALTERNATE, NULL);
      assert_lookup (secrets, "no-such-device", BK_SECRET_KIND_PRIMARY, NULL);

      assert_no_password_in_files (device, passwords);

      g_assert_true (clear_password (secrets, bk_device_get_id (device), BK_SECRET_KIND_PRIMARY, &error));
      g_assert_no_error (error);
      assert_lookup (secrets, bk_device_get_id (device), BK_SECRET_KIND_PRIMARY, NULL);

      /* The session copy lives in this instance only. */
      g_assert_true (store_password (secrets, device, BK_SECRET_KIND_PRIMARY, FALLBACK_PASSWORD, &error));
      {
        g_autoptr(BkSecrets) fresh = bk_secrets_new ();

        assert_lookup (fresh, bk_device_get_id (device), BK_SECRET_KIND_PRIMARY, NULL);
        g_assert_false (bk_secrets_is_persistent (fresh));
      }

      /* Removing the device from the list clears its session passwords. */
      check_removal_clears (secrets);
      g_assert_cmpuint (notified, ==, 1);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  /* The password never reaches the log, even with all debug output on. */
  g_test_trap_assert_stdout_unmatched ("*" FALLBACK_PASSWORD "*");
  g_test_trap_assert_stderr_unmatched ("*" FALLBACK_PASSWORD "*");
  g_test_trap_assert_stderr_unmatched ("*removal-primary*");
  g_test_trap_assert_stderr ("*No Secret Service*");
}

/* A main loop that stalls longer than the timeout (a slow machine laying out
 * a big page) does not make a keyring that answered meanwhile count as
 * silent: the timeout counts ticks of the loop, not wall-clock time. */
static void
test_stalled_loop (void)
{
  g_autoptr(BkSecrets) secrets = NULL;
  g_autoptr(BkDevice) device = bk_device_new ("stall.example.com", 443);
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  Waiter waiter = { NULL };

  if (!have_private_keyring ())
    return;

  secrets = bk_secrets_new ();
  /* Warm up libsecret's session, so the store below is one round trip. */
  g_assert_true (store_password (secrets, device, BK_SECRET_KIND_PRIMARY, "stall-warm-Pa55", &error));
  g_assert_no_error (error);

  bk_secrets_set_timeout (secrets, 300);
  bk_secrets_store_async (secrets, device, BK_SECRET_KIND_PRIMARY, "stall-Pa55", NULL, waiter_cb, &waiter);
  /* The loop is blocked for twice the timeout while the keyring answers. */
  g_usleep (600 * G_TIME_SPAN_MILLISECOND);
  bk_test_wait_until (waiter_done, &waiter, WAIT_MS);
  g_assert_true (bk_secrets_store_finish (secrets, waiter.result, &error));
  g_assert_no_error (error);
  g_object_unref (waiter.result);

  password = lookup_password (secrets, bk_device_get_id (device), BK_SECRET_KIND_PRIMARY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "stall-Pa55");
  g_assert_true (clear_device (secrets, bk_device_get_id (device), &error));
  g_assert_no_error (error);
}

/* A Secret Service that owns its name but never answers. */
static GDBusMessage *
drop_method_calls_cb (GDBusConnection *connection,
                      GDBusMessage    *message,
                      gboolean         incoming,
                      gpointer         user_data)
{
  if (incoming && g_dbus_message_get_message_type (message) == G_DBUS_MESSAGE_TYPE_METHOD_CALL)
    {
      g_object_unref (message);
      return NULL;
    }
  return message;
}

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

/* The child's private bus lives as long as the child: held here, not
 * leaked, and stopped by GTestDBus's watcher when the child exits (taking it
 * down earlier would wait for libsecret's cached connection forever). */
static GTestDBus *timeout_bus;

static void
test_timeout (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GDBusConnection) silent = NULL;
      g_autoptr(BkSecrets) secrets = NULL;
      g_autoptr(BkDevice) device = bk_device_new ("cms.example.com", 443);
      g_autoptr(GError) error = NULL;
      g_autofree char *password = NULL;
      gboolean acquired = FALSE;

      /* A private bus of our own (not the keyring's). */
      timeout_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_test_dbus_up (timeout_bus);
      silent = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (timeout_bus),
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
      g_assert_no_error (error);
      g_dbus_connection_add_filter (silent, drop_method_calls_cb, NULL, NULL);
      g_bus_own_name_on_connection (silent, "org.freedesktop.secrets", G_BUS_NAME_OWNER_FLAGS_NONE,
                                    name_acquired_cb, NULL, &acquired, NULL);
      bk_test_wait_until (flag_is_set, &acquired, WAIT_MS);

      secrets = bk_secrets_new ();
      bk_secrets_set_timeout (secrets, 300);

      /* The store fails with a clear error but keeps a session copy. */
      g_assert_false (store_password (secrets, device, BK_SECRET_KIND_PRIMARY, "timeout-Pa55", &error));
      g_assert_error (error, BK_SECRETS_ERROR, BK_SECRETS_ERROR_TIMEOUT);
      g_assert_nonnull (strstr (error->message, "did not answer"));
      g_clear_error (&error);
      /* A silent service is still a service. */
      g_assert_true (bk_secrets_is_persistent (secrets));

      password = lookup_password (secrets, bk_device_get_id (device), BK_SECRET_KIND_PRIMARY, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (password, ==, "timeout-Pa55");

      /* Nothing kept: the lookup times out with an error. */
      g_clear_pointer (&password, g_free);
      password = lookup_password (secrets, bk_device_get_id (device), BK_SECRET_KIND_ALTERNATE, &error);
      g_assert_error (error, BK_SECRETS_ERROR, BK_SECRETS_ERROR_TIMEOUT);
      g_assert_null (password);
      g_clear_error (&error);

      /* Clearing drops the session copy even though the keyring is silent. */
      g_assert_false (clear_device (secrets, bk_device_get_id (device), &error));
      g_assert_error (error, BK_SECRETS_ERROR, BK_SECRETS_ERROR_TIMEOUT);
      g_clear_error (&error);
      password = lookup_password (secrets, bk_device_get_id (device), BK_SECRET_KIND_PRIMARY, &error);
      g_assert_error (error, BK_SECRETS_ERROR, BK_SECRETS_ERROR_TIMEOUT);
      g_assert_null (password);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr_unmatched ("*timeout-Pa55*");
  g_test_trap_assert_stdout_unmatched ("*timeout-Pa55*");
  /* The child really reached the timeouts (it logs each one). */
  g_test_trap_assert_stderr ("*did not answer within 300 ms*");
}



static BkFakeKeyring *fake;

/* The child's own bus, and the throwaway keyring on it. */
static void
start_fake_keyring (gboolean     has_collection,
                    gboolean     locked,
                    BkFakePerson person,
                    guint        answer_after_ms)
{
  timeout_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (timeout_bus);
  fake = bk_fake_keyring_start (g_test_dbus_get_bus_address (timeout_bus),
                                has_collection, locked, person, answer_after_ms);
}

static gboolean
prompting_cb (gpointer data)
{
  return bk_secrets_is_prompting (data);
}

static gboolean
not_prompting_cb (gpointer data)
{
  return !bk_secrets_is_prompting (data);
}

static void
notify_flag_cb (GObject    *object,
                GParamSpec *pspec,
                guint      *count)
{
  gboolean prompting = bk_secrets_is_prompting (BK_SECRETS (object));

  /* Counts the prompts seen (each FALSE -> TRUE). */
  if (prompting)
    (*count)++;
}

/* No keyring yet: storing makes the keyring ask the person to choose the
 * new keyring's password. The person takes five times the timeout to
 * answer: a prompt on screen is not a silent keyring. Later, with the
 * keyring locked, a lookup makes it ask to unlock, and waits the same. */
static void
test_prompt_answered (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(BkSecrets) secrets = NULL;
      g_autoptr(BkSecrets) fresh = NULL;
      g_autoptr(BkDevice) device = bk_device_new ("cms.example.com", 443);
      g_autoptr(GError) error = NULL;
      g_autofree char *stored = NULL;
      Waiter waiter = { NULL };
      guint prompts_seen = 0;

      start_fake_keyring (FALSE, FALSE, BK_FAKE_PERSON_ANSWERS, 1500);
      secrets = bk_secrets_new ();
      bk_secrets_set_timeout (secrets, 300);
      g_signal_connect (secrets, "notify::prompting", G_CALLBACK (notify_flag_cb), &prompts_seen);

      bk_secrets_store_async (secrets, device, BK_SECRET_KIND_PRIMARY, "answered-Pa55", NULL, waiter_cb, &waiter);
      g_assert_false (bk_secrets_is_prompting (secrets));
      bk_test_wait_until (waiter_done, &waiter, WAIT_MS);
      g_assert_true (bk_secrets_store_finish (secrets, waiter.result, &error));
      g_assert_no_error (error);
      g_clear_object (&waiter.result);

      g_assert_cmpuint (fake->n_prompts, ==, 1);
      g_assert_cmpuint (prompts_seen, ==, 1);
      g_assert_false (bk_secrets_is_prompting (secrets));
      g_assert_true (bk_secrets_is_persistent (secrets));
      g_assert_null (bk_secrets_get_status_message (secrets));
      /* In the keyring, not only in memory. */
      stored = bk_fake_keyring_find_password (fake, bk_device_get_id (device), "primary");
      g_assert_cmpstr (stored, ==, "answered-Pa55");

      /* Locked again (a new login): the lookup waits for the unlock. */
      fake->locked = TRUE;
      fresh = bk_secrets_new ();
      bk_secrets_set_timeout (fresh, 300);
      assert_lookup (fresh, bk_device_get_id (device), BK_SECRET_KIND_PRIMARY, "answered-Pa55");
      g_assert_cmpuint (fake->n_prompts, ==, 2);
      g_assert_false (fake->locked);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr_unmatched ("*did not answer*");
  g_test_trap_assert_stderr_unmatched ("*answered-Pa55*");
}

/* The person dismisses the prompt: the store still succeeds, the password
 * is kept for the session (the bridge keeps working), the status message
 * says so once, and the keyring is not asked again this session. */
static void
test_prompt_refused (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(BkSecrets) secrets = NULL;
      g_autoptr(BkDevice) device = bk_device_new ("cms.example.com", 443);
      g_autoptr(BkDevice) other = bk_device_new ("other.example.com", 443);
      g_autoptr(GError) error = NULL;
      guint notified = 0;

      start_fake_keyring (FALSE, FALSE, BK_FAKE_PERSON_DISMISSES, 500);
      secrets = bk_secrets_new ();
      bk_secrets_set_timeout (secrets, 300);
      g_signal_connect (secrets, "notify::persistent", G_CALLBACK (notify_count_cb), &notified);

      g_assert_true (store_password (secrets, device, BK_SECRET_KIND_PRIMARY, "refused-Pa55", &error));
      g_assert_no_error (error);
      g_assert_cmpuint (fake->n_prompts, ==, 1);
      g_assert_false (bk_secrets_is_persistent (secrets));
      g_assert_cmpuint (notified, ==, 1);
      g_assert_nonnull (strstr (bk_secrets_get_status_message (secrets), "not unlocked"));
      g_assert_nonnull (strstr (bk_secrets_get_status_message (secrets), "until Bridgekeeper closes"));
      assert_lookup (secrets, bk_device_get_id (device), BK_SECRET_KIND_PRIMARY, "refused-Pa55");
      g_assert_cmpuint (fake->items->len, ==, 0);

      /* Finish stores again (and the alternate): no new prompt, no new
       * message, all kept. */
      g_assert_true (store_password (secrets, device, BK_SECRET_KIND_PRIMARY, "refused-Pa55", &error));
      g_assert_true (store_password (secrets, device, BK_SECRET_KIND_ALTERNATE, "refused-alt-Pa55", &error));
      g_assert_no_error (error);
      assert_lookup (secrets, bk_device_get_id (device), BK_SECRET_KIND_ALTERNATE, "refused-alt-Pa55");
      /* A password it never had: read from the keyring only if unlocked,
       * without a prompt. */
      assert_lookup (secrets, bk_device_get_id (other), BK_SECRET_KIND_PRIMARY, NULL);
      g_assert_cmpuint (fake->n_prompts, ==, 1);
      g_assert_cmpuint (notified, ==, 1);
      g_assert_true (clear_device (secrets, bk_device_get_id (device), &error));
      assert_lookup (secrets, bk_device_get_id (device), BK_SECRET_KIND_PRIMARY, NULL);
      g_assert_cmpuint (fake->n_prompts, ==, 1);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*prompt was dismissed*");
  g_test_trap_assert_stderr_unmatched ("*refused-Pa55*");
  g_test_trap_assert_stderr_unmatched ("*refused-alt-Pa55*");
}

/* Closing the assistant while the prompt is on screen takes the prompt
 * away (Dismiss), and is not a refusal: the keyring is asked next time. */
static void
test_prompt_cancelled (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(BkSecrets) secrets = NULL;
      g_autoptr(BkDevice) device = bk_device_new ("cms.example.com", 443);
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GError) error = NULL;
      Waiter waiter = { NULL };

      start_fake_keyring (TRUE, TRUE, BK_FAKE_PERSON_AWAY, 0);
      secrets = bk_secrets_new ();
      bk_secrets_set_timeout (secrets, 300);

      bk_secrets_store_async (secrets, device, BK_SECRET_KIND_PRIMARY, "cancel-Pa55", cancellable, waiter_cb, &waiter);
      bk_test_wait_until (prompting_cb, secrets, WAIT_MS);
      /* Nobody answers for several timeouts: still waiting. */
      {
        gint64 until = g_get_monotonic_time () + 1000 * G_TIME_SPAN_MILLISECOND;

        while (g_get_monotonic_time () < until)
          g_main_context_iteration (NULL, FALSE);
      }
      g_assert_null (waiter.result);
      g_assert_true (bk_secrets_is_prompting (secrets));

      g_cancellable_cancel (cancellable);
      bk_test_wait_until (waiter_done, &waiter, WAIT_MS);
      g_assert_false (bk_secrets_store_finish (secrets, waiter.result, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_object (&waiter.result);
      g_clear_error (&error);
      bk_test_wait_until (not_prompting_cb, secrets, WAIT_MS);
      g_assert_cmpuint (fake->n_dismissed, ==, 1);
      g_assert_true (bk_secrets_is_persistent (secrets));

      /* Next time the person answers. */
      fake->person = BK_FAKE_PERSON_ANSWERS;
      fake->answer_after_ms = 100;
      g_assert_true (store_password (secrets, device, BK_SECRET_KIND_PRIMARY, "cancel-Pa55", &error));
      g_assert_no_error (error);
      g_assert_cmpuint (fake->n_prompts, ==, 2);
      g_assert_true (bk_secrets_is_persistent (secrets));
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr_unmatched ("*did not answer*");
}


static void
name_appeared_cb (GDBusConnection *connection,
                  const char      *name,
                  const char      *owner,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

/* The real gnome-keyring, on a bus of the child's own, with no keyring yet:
 * storing makes it show its real "choose a password for the new keyring"
 * prompt (gcr-prompter, on the test's X display). Nobody can type into it
 * here, so this checks that the prompt is on screen and waited for well
 * past the timeout, and that cancelling takes it away. Answering and
 * refusing it are checked with the throwaway service above. */
static void
test_gnome_keyring_prompt (void)
{
  const char *prompter_service = "/usr/share/dbus-1/services/org.gnome.keyring.SystemPrompter.service";
  g_autofree char *daemon_path = NULL;

  if (g_test_subprocess ())
    {
      g_autoptr(GSubprocess) daemon = NULL;
      g_autoptr(GSubprocessLauncher) launcher = NULL;
      g_autoptr(BkSecrets) secrets = NULL;
      g_autoptr(BkDevice) device = bk_device_new ("cms.example.com", 443);
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_autoptr(GDBusConnection) session = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *services = g_build_filename (bk_test_get_tmpdir (), "services", NULL);
      g_autofree char *data = g_build_filename (bk_test_get_tmpdir (), "gk-data", NULL);
      g_autofree char *runtime = g_build_filename (bk_test_get_tmpdir (), "gk-runtime", NULL);
      g_autofree char *service_file = NULL;
      g_autofree char *contents = NULL;
      gboolean acquired = FALSE;
      Waiter waiter = { NULL };
      guint watch;

      g_assert_cmpint (g_mkdir_with_parents (services, 0700), ==, 0);
      g_assert_cmpint (g_mkdir_with_parents (data, 0700), ==, 0);
      g_assert_cmpint (g_mkdir_with_parents (runtime, 0700), ==, 0);
      g_assert_true (g_file_get_contents (prompter_service, &contents, NULL, NULL));
      service_file = g_build_filename (services, "org.gnome.keyring.SystemPrompter.service", NULL);
      g_assert_true (g_file_set_contents (service_file, contents, -1, NULL));

      timeout_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_test_dbus_add_service_dir (timeout_bus, services);
      g_test_dbus_up (timeout_bus);

      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
      g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data, TRUE);
      g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", runtime, TRUE);
      daemon = g_subprocess_launcher_spawn (launcher, &error, "gnome-keyring-daemon", "--foreground",
                                            "--components=secrets", NULL);
      g_assert_no_error (error);

      session = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
      g_assert_no_error (error);
      watch = g_bus_watch_name_on_connection (session, "org.freedesktop.secrets", G_BUS_NAME_WATCHER_FLAGS_NONE,
                                              name_appeared_cb, NULL, &acquired, NULL);
      bk_test_wait_until (flag_is_set, &acquired, WAIT_MS);
      g_bus_unwatch_name (watch);

      secrets = bk_secrets_new ();
      bk_secrets_set_timeout (secrets, 300);
      bk_secrets_store_async (secrets, device, BK_SECRET_KIND_PRIMARY, "gk-Pa55", cancellable, waiter_cb, &waiter);
      bk_test_wait_until (prompting_cb, secrets, WAIT_MS);

      /* The system prompter came up for it. */
      acquired = FALSE;
      watch = g_bus_watch_name_on_connection (session, "org.gnome.keyring.SystemPrompter", G_BUS_NAME_WATCHER_FLAGS_NONE,
                                              name_appeared_cb, NULL, &acquired, NULL);
      bk_test_wait_until (flag_is_set, &acquired, WAIT_MS);
      g_bus_unwatch_name (watch);

      /* Waited for, well past the timeout. */
      {
        gint64 until = g_get_monotonic_time () + 1500 * G_TIME_SPAN_MILLISECOND;

        while (g_get_monotonic_time () < until)
          g_main_context_iteration (NULL, FALSE);
      }
      g_assert_null (waiter.result);
      g_assert_true (bk_secrets_is_prompting (secrets));

      g_cancellable_cancel (cancellable);
      bk_test_wait_until (waiter_done, &waiter, WAIT_MS);
      g_assert_false (bk_secrets_store_finish (secrets, waiter.result, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_clear_object (&waiter.result);
      bk_test_wait_until (not_prompting_cb, secrets, WAIT_MS);
      g_assert_true (bk_secrets_is_persistent (secrets));

      g_subprocess_force_exit (daemon);
      return;
    }

  if (!have_private_keyring ())
    return;
  daemon_path = g_find_program_in_path ("gnome-keyring-daemon");
  if (g_getenv ("DISPLAY") == NULL || !g_file_test (prompter_service, G_FILE_TEST_EXISTS) || daemon_path == NULL)
    {
      g_test_skip ("Needs a display, gnome-keyring and its system prompter (gcr)");
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr_unmatched ("*did not answer*");
}

static void
test_session_only (void)
{
  g_autoptr(BkSecrets) demo = bk_secrets_new_session_only ("Demo passwords are not saved.");
  g_autoptr(BkDevice) device = bk_device_new ("demo.example.com", 443);
  g_autoptr(GError) error = NULL;

  g_assert_false (bk_secrets_is_persistent (demo));
  g_assert_cmpstr (bk_secrets_get_status_message (demo), ==, "Demo passwords are not saved.");

  g_assert_true (store_password (demo, device, BK_SECRET_KIND_PRIMARY, "demo-Pa55", &error));
  g_assert_no_error (error);
  assert_lookup (demo, bk_device_get_id (device), BK_SECRET_KIND_PRIMARY, "demo-Pa55");

  /* With a keyring at hand: nothing reached it. */
  if (g_getenv ("BK_HEADLESS_INNER") != NULL && g_getenv ("DBUS_SESSION_BUS_ADDRESS") != NULL)
    {
      g_autoptr(BkSecrets) real = bk_secrets_new ();

      assert_lookup (real, bk_device_get_id (device), BK_SECRET_KIND_PRIMARY, NULL);
      g_assert_true (bk_secrets_is_persistent (real));
    }

  g_assert_true (clear_device (demo, bk_device_get_id (device), &error));
  assert_lookup (demo, bk_device_get_id (device), BK_SECRET_KIND_PRIMARY, NULL);
}

static void
test_label (void)
{
  g_autoptr(BkDevice) device = bk_device_new ("14.80.82.30", 445);
  g_autofree char *by_address = bk_secrets_dup_label (device, BK_SECRET_KIND_PRIMARY);
  g_autofree char *by_name = NULL;

  g_assert_cmpstr (by_address, ==, "Cisco Meeting Server API password for 14.80.82.30");
  bk_device_set_name (device, "CMS Core");
  by_name = bk_secrets_dup_label (device, BK_SECRET_KIND_PRIMARY);
  g_assert_cmpstr (by_name, ==, "Cisco Meeting Server API password for CMS Core");
  g_assert_cmpstr (bk_secret_kind_to_string (BK_SECRET_KIND_PRIMARY), ==, "primary");
  g_assert_cmpstr (bk_secret_kind_to_string (BK_SECRET_KIND_ALTERNATE), ==, "alternate");
}

int
main (int   argc,
      char *argv[])
{
  bk_test_init (&argc, &argv);

  g_test_add_func ("/core/secrets/label", test_label);
  g_test_add_func ("/core/secrets/keyring", test_keyring);
  g_test_add_func ("/core/secrets/keyring-removal", test_keyring_removal);
  g_test_add_func ("/core/secrets/no-service", test_no_service);
  g_test_add_func ("/core/secrets/timeout", test_timeout);
  g_test_add_func ("/core/secrets/stalled-loop", test_stalled_loop);
  g_test_add_func ("/core/secrets/session-only", test_session_only);
  g_test_add_func ("/core/secrets/prompt-answered", test_prompt_answered);
  g_test_add_func ("/core/secrets/prompt-refused", test_prompt_refused);
  g_test_add_func ("/core/secrets/prompt-cancelled", test_prompt_cancelled);
  g_test_add_func ("/core/secrets/gnome-keyring-prompt", test_gnome_keyring_prompt);

  return g_test_run ();
}
