/* test-onboarding.c: BkOnboarding against the simulator over loopback HTTPS
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libsoup/soup.h>

#include "onb-test-util.h"

static guint
posts (OnbFixture *f,
       const char *collection)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/%s", collection);

  return bk_sim_cluster_get_request_count (f->sim, -1, "POST", path);
}

/* Exactly one of each object Bridgekeeper makes, and the slots. */
static void
assert_objects_once (OnbFixture *f,
                     guint64     base,
                     guint       quantity,
                     guint       n_other_spaces)
{
  g_assert_cmpuint (onb_count (f, BK_CMS_KIND_CALL_PROFILE, "callProfiles"), ==, 1);
  g_assert_cmpuint (onb_count (f, BK_CMS_KIND_CALL_LEG_PROFILE, "callLegProfiles"), ==, 1);
  g_assert_cmpuint (onb_count (f, BK_CMS_KIND_BULK_PARAMETER_SET, "cospaceBulkParameterSets"), ==, 1);
  onb_assert_slots (f, base, quantity, n_other_spaces);
}

static void
test_happy_path (OnbFixture    *f,
                 gconstpointer  data)
{
  g_autoptr(BkOnboarding) ob = bk_onboarding_new (f->store, f->secrets);
  g_autofree char *address = onb_node_address (f, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GPtrArray) collisions = NULL;
  g_autofree char *user_space = NULL;
  g_autoptr(BkDeviceStore) reloaded = NULL;
  GAsyncResult *res = NULL;
  BkDevice *device;
  char *password;
  const BkClusterMember *other = NULL;

  user_space = bk_sim_cluster_add_cospace (f->sim, "Cool Bridge Space", "cool.bridge.space", "497540167");
  g_assert_nonnull (user_space);

  /* Untrusted certificate: the error carries the fingerprint; trust it. */
  error = onb_connect (ob, address, BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_UNTRUSTED);
  g_assert_cmpstr (bk_cms_error_get_peer_sha256 (error), ==, bk_sim_cluster_get_certificate_sha256 (f->sim));
  bk_onboarding_trust_certificate (ob, bk_cms_error_get_peer_sha256 (error));
  g_clear_error (&error);
  error = onb_connect (ob, address, BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD);
  g_assert_no_error (error);
  g_assert_cmpint (bk_onboarding_get_stage (ob), ==, BK_ONBOARDING_STAGE_CONNECTED);
  g_assert_nonnull (bk_onboarding_get_software_version (ob));
  g_assert_cmpstr (bk_onboarding_get_software_version (ob), !=, "");
  device = bk_onboarding_get_device (ob);
  g_assert_cmpstr (bk_device_get_certificate_pin (device), ==, bk_sim_cluster_get_certificate_sha256 (f->sim));
  g_assert_cmpuint (bk_device_store_get_n_devices (f->store), ==, 0);

  /* Discovery: both nodes; the device is listed now. */
  members = onb_discover (ob, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (members->len, ==, 2);
  g_assert_cmpuint (bk_device_store_get_n_devices (f->store), ==, 1);
  g_assert_cmpint (bk_device_get_onboarding_stage (device), ==, BK_ONBOARDING_STAGE_CLUSTER_DISCOVERED);
  g_assert_true (bk_device_get_cluster_flags (device) & BK_CLUSTER_FLAGS_CALL_BRIDGES);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "GET", "/api/v1/callBridges/"), ==, 2);
  for (guint i = 0; i < members->len; i++)
    {
      const BkClusterMember *m = g_ptr_array_index (members, i);

      if (g_strcmp0 (m->id, bk_sim_cluster_get_node_id (f->sim, 1)) == 0)
        other = m;
    }
  g_assert_nonnull (other);
  g_assert_cmpstr (other->address, ==, bk_sim_cluster_get_node_url (f->sim, 1));

  g_assert_false (bk_onboarding_set_name (ob, "   ", &error));
  g_assert_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_true (bk_onboarding_set_name (ob, "CMS Core Primary", &error));
  g_assert_cmpstr (bk_device_get_name (device), ==, "CMS Core Primary");

  /* Bad range input is refused before any request. */
  g_clear_pointer (&collisions, g_ptr_array_unref);
  bk_onboarding_check_range_async (ob, "not a domain", 1, 5, NULL, onb_result_cb, &res);
  collisions = bk_onboarding_check_range_finish (ob, onb_wait (&res), &error);
  g_clear_object (&res);
  g_assert_null (collisions);
  g_assert_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  collisions = onb_check_range (ob, 1, 0, &error);
  g_assert_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  collisions = onb_check_range (ob, 1, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (collisions->len, ==, 0);

  bk_sim_cluster_reset_counters (f->sim);
  error = onb_reserve (ob, NULL);
  g_assert_no_error (error);
  g_assert_cmpint (bk_device_get_onboarding_stage (device), ==, BK_ONBOARDING_STAGE_SLOTS_REQUESTED);
  g_assert_false (bk_onboarding_get_busy (ob));
  /* TMS's four POSTs, once each. */
  g_assert_cmpuint (posts (f, "callProfiles"), ==, 1);
  g_assert_cmpuint (posts (f, "callLegProfiles"), ==, 1);
  g_assert_cmpuint (posts (f, "cospaceBulkParameterSets"), ==, 1);
  g_assert_cmpuint (posts (f, "cospaceBulkSyncs"), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "PUT", NULL), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "GET", "/api/v1/cospaceBulkSyncs/"), >=, 1);
  assert_objects_once (f, 1, 5, 1);
  g_assert_cmpstr (bk_device_get_call_profile_id (device), !=, "");
  g_assert_cmpstr (bk_device_get_call_leg_profile_id (device), !=, "");
  g_assert_cmpstr (bk_device_get_bulk_parameter_set_id (device), !=, "");
  g_assert_cmpstr (bk_device_get_bulk_sync_id (device), !=, "");

  /* The alternate: the other node; the primary itself is refused. */
  g_assert_false (bk_onboarding_set_alternate (ob, "no-such-member", NULL, NULL, &error));
  g_assert_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (bk_onboarding_set_alternate (ob, bk_sim_cluster_get_node_id (f->sim, 0), NULL, NULL, &error));
  g_assert_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_true (bk_onboarding_set_alternate (ob, other->id, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (bk_device_get_alternate_member_id (device), ==, other->id);
  g_assert_cmpstr (bk_device_get_alternate_username (device), ==, BK_SIM_DEFAULT_USERNAME);

  error = onb_finish (ob);
  g_assert_no_error (error);
  g_assert_cmpint (bk_device_get_onboarding_stage (device), ==, BK_ONBOARDING_STAGE_COMPLETE);

  /* The passwords are stored, the file has the ids and no password. */
  bk_secrets_lookup_async (f->secrets, bk_device_get_id (device), BK_SECRET_KIND_PRIMARY, NULL, onb_result_cb, &res);
  password = bk_secrets_lookup_finish (f->secrets, onb_wait (&res), &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, BK_SIM_DEFAULT_PASSWORD);
  bk_secrets_password_free (password);
  bk_secrets_lookup_async (f->secrets, bk_device_get_id (device), BK_SECRET_KIND_ALTERNATE, NULL, onb_result_cb, &res);
  password = bk_secrets_lookup_finish (f->secrets, onb_wait (&res), &error);
  g_clear_object (&res);
  g_assert_cmpstr (password, ==, BK_SIM_DEFAULT_PASSWORD);
  bk_secrets_password_free (password);

  {
    g_autofree char *contents = NULL;

    /* Saves are written in the background: have them on disk now. */
    g_assert_true (bk_device_store_flush (f->store, &error));
    g_assert_true (g_file_get_contents (bk_device_store_get_path (f->store), &contents, NULL, NULL));
    g_assert_null (strstr (contents, BK_SIM_DEFAULT_PASSWORD));
    g_assert_nonnull (strstr (contents, bk_device_get_bulk_parameter_set_id (device)));
  }
  reloaded = bk_device_store_new (f->dir);
  g_assert_true (bk_device_store_load (reloaded, &error));
  g_assert_cmpuint (bk_device_store_get_n_devices (reloaded), ==, 1);
  {
    BkDevice *copy = bk_device_store_lookup (reloaded, bk_device_get_id (device));

    g_assert_nonnull (copy);
    g_assert_cmpint (bk_device_get_onboarding_stage (copy), ==, BK_ONBOARDING_STAGE_COMPLETE);
    g_assert_cmpuint (bk_device_get_numeric_id_quantity (copy), ==, 5);
    g_assert_cmpstr (bk_device_get_domain (copy), ==, ONB_DOMAIN);
    g_assert_cmpstr (bk_device_get_call_profile_id (copy), ==, bk_device_get_call_profile_id (device));
  }
}

/* A web server that is not a CMS: every path is 404. */
static void
not_found_cb (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  soup_server_message_set_status (msg, 404, NULL);
}

static void
test_not_a_cms_404 (OnbFixture    *f,
                    gconstpointer  data)
{
  g_autofree char *cert = g_build_filename (f->dir, "web.pem", NULL);
  g_autofree char *key = g_build_filename (f->dir, "web.key", NULL);
  const char *argv[] = {
    "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
    "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert, NULL,
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) tls = NULL;
  g_autoptr(GByteArray) der = NULL;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(BkOnboarding) ob = bk_onboarding_new (f->store, f->secrets);
  g_autofree char *sha = NULL;
  g_autofree char *address = NULL;
  GSList *uris;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_true (g_spawn_check_wait_status (status, &error));
  tls = g_tls_certificate_new_from_files (cert, key, &error);
  g_assert_no_error (error);
  g_object_get (tls, "certificate", &der, NULL);
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);

  server = soup_server_new ("tls-certificate", tls, NULL);
  soup_server_add_handler (server, NULL, not_found_cb, NULL, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY | SOUP_SERVER_LISTEN_HTTPS, &error));
  uris = soup_server_get_uris (server);
  address = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  bk_onboarding_trust_certificate (ob, sha);
  error = onb_connect (ob, address, "admin", "secret");
  g_assert_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_NOT_CMS);
  g_assert_nonnull (strstr (error->message, address));
  g_assert_cmpuint (bk_device_store_get_n_devices (f->store), ==, 0);
  soup_server_disconnect (server);
}

static void
test_connect_failures (OnbFixture    *f,
                       gconstpointer  data)
{
  g_autoptr(BkOnboarding) ob = bk_onboarding_new (f->store, f->secrets);
  g_autofree char *address = onb_node_address (f, 0);
  g_autofree char *down = onb_node_address (f, 1);
  g_autoptr(GError) error = NULL;

  bk_onboarding_trust_certificate (ob, bk_sim_cluster_get_certificate_sha256 (f->sim));

  error = onb_connect (ob, "not an address!", "admin", "x");
  g_assert_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  error = onb_connect (ob, address, "", "x");
  g_assert_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* Nothing listens. */
  bk_sim_cluster_set_node_up (f->sim, 1, FALSE);
  error = onb_connect (ob, down, BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_UNREACHABLE);
  g_clear_error (&error);
  bk_sim_cluster_set_node_up (f->sim, 1, TRUE);

  error = onb_connect (ob, address, BK_SIM_DEFAULT_USERNAME, "wrong password");
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  /* A 200 that is not <status>: not a CMS. */
  bk_sim_cluster_add_fault (f->sim, "GET", "/api/v1/system/status", BK_SIM_FAULT_MALFORMED_XML, 1.0, 1);
  error = onb_connect (ob, address, BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD);
  g_assert_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_NOT_CMS);
  g_assert_nonnull (strstr (error->message, "Cisco Meeting Server"));
  g_clear_error (&error);

  /* Steps out of order. */
  {
    g_autoptr(GPtrArray) members = onb_discover (ob, &error);

    g_assert_null (members);
    g_assert_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_WRONG_STEP);
    g_clear_error (&error);
  }
  error = onb_reserve (ob, NULL);
  g_assert_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_WRONG_STEP);
  g_clear_error (&error);

  /* And then it works, with nothing listed before discovery. */
  error = onb_connect (ob, address, BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD);
  g_assert_no_error (error);
  g_assert_cmpuint (bk_device_store_get_n_devices (f->store), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "POST", NULL), ==, 0);
}

/* A fresh simulator and an empty list of bridges. */
static void
start_afresh (OnbFixture *f)
{
  bk_sim_cluster_reset (f->sim);
  while (bk_device_store_get_n_devices (f->store) > 0)
    {
      g_autoptr(BkDevice) d = g_list_model_get_item (G_LIST_MODEL (f->store), 0);

      g_assert_true (bk_device_store_remove (f->store, d, NULL));
    }
}

/* Runs the onboarding up to reserve, which fails; then resumes it from the
 * store's device with a new BkOnboarding and succeeds without duplicates. */
static void
fail_then_resume (OnbFixture *f,
                  guint       expected_code_domain_is_cms)
{
  g_autoptr(BkOnboarding) ob = onb_ready_to_reserve (f, 0, 10, 5);
  g_autoptr(BkOnboarding) again = NULL;
  g_autoptr(GError) error = NULL;
  BkDevice *device;

  error = onb_reserve (ob, NULL);
  g_assert_nonnull (error);
  if (expected_code_domain_is_cms)
    g_assert_true (error->domain == BK_CMS_ERROR);
  g_clear_error (&error);
  g_assert_false (bk_onboarding_get_busy (ob));
  bk_sim_cluster_clear_faults (f->sim);

  device = bk_onboarding_get_device (ob);
  again = bk_onboarding_new_resume (f->store, f->secrets, device);
  error = onb_connect (again, NULL, NULL, NULL);
  g_assert_no_error (error);
  error = onb_reserve (again, NULL);
  g_assert_no_error (error);
  error = onb_finish (again);
  g_assert_no_error (error);
  g_assert_cmpint (bk_device_get_onboarding_stage (device), ==, BK_ONBOARDING_STAGE_COMPLETE);
  assert_objects_once (f, 10, 5, 0);
}

typedef struct
{
  const char *method;
  const char *path;
  BkSimFault  fault;
} FaultCase;

static void
test_faults_then_resume (OnbFixture    *f,
                         gconstpointer  data)
{
  static const FaultCase cases[] = {
    { "POST", "/api/v1/callProfiles", BK_SIM_FAULT_HTTP_500 },
    { "POST", "/api/v1/callProfiles", BK_SIM_FAULT_RESET },
    { "POST", "/api/v1/callLegProfiles", BK_SIM_FAULT_HTTP_500 },
    { "POST", "/api/v1/callLegProfiles", BK_SIM_FAULT_RESET },
    { "POST", "/api/v1/cospaceBulkParameterSets", BK_SIM_FAULT_HTTP_500 },
    { "POST", "/api/v1/cospaceBulkParameterSets", BK_SIM_FAULT_RESET },
    { "POST", "/api/v1/cospaceBulkSyncs", BK_SIM_FAULT_HTTP_500 },
    { "POST", "/api/v1/cospaceBulkSyncs", BK_SIM_FAULT_RESET },
    { "GET", "/api/v1/cospaceBulkSyncs/*", BK_SIM_FAULT_HTTP_500 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s %s: %s", cases[i].method, cases[i].path, bk_sim_fault_to_string (cases[i].fault));
      start_afresh (f);

      if (cases[i].fault == BK_SIM_FAULT_RESET)
        {
          /* A reset POST has an unknown outcome: Bridgekeeper lists to see
           * whether it was made, then posts again; the onboarding goes on. */
          g_autoptr(BkOnboarding) ob = NULL;
          g_autoptr(GError) error = NULL;

          bk_sim_cluster_add_fault (f->sim, cases[i].method, cases[i].path, cases[i].fault, 1.0, 1);
          ob = onb_ready_to_reserve (f, 0, 10, 5);
          error = onb_reserve (ob, NULL);
          g_assert_no_error (error);
          assert_objects_once (f, 10, 5, 0);
          continue;
        }

      bk_sim_cluster_add_fault (f->sim, cases[i].method, cases[i].path, cases[i].fault, 1.0, -1);
      fail_then_resume (f, TRUE);
    }

  /* 503 is "busy, not done": retried by the client, no duplicate. */
  start_afresh (f);
  bk_sim_cluster_add_fault (f->sim, "POST", NULL, BK_SIM_FAULT_HTTP_503, 1.0, 2);
  onb_onboard (f, 0, 10, 5);
  assert_objects_once (f, 10, 5, 0);
}

/* A space appears between our check and the bridge's sync: the sync fails
 * with failedCoSpaceUriConflict, which becomes a sentence. */
static void
add_conflict_hook (BkSimCluster *sim,
                   guint         node,
                   const char   *method,
                   const char   *path,
                   const char   *query,
                   gpointer      user_data)
{
  char **id = user_data;

  if (*id == NULL && g_str_equal (method, "POST") && g_str_has_suffix (path, "/cospaceBulkSyncs"))
    *id = bk_sim_cluster_add_cospace (sim, "Sneaky", "12", NULL);
}

static void
test_sync_failed (OnbFixture    *f,
                  gconstpointer  data)
{
  g_autoptr(BkOnboarding) ob = onb_connected (f, 0);
  g_autoptr(BkOnboarding) again = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GPtrArray) collisions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *blocker = NULL;
  char *sneaky = NULL;
  const BkSlotCollision *c;

  members = onb_discover (ob, &error);
  g_assert_no_error (error);

  /* Caught before anything is created. */
  blocker = bk_sim_cluster_add_cospace (f->sim, "Somebody's space", "13", "999");
  collisions = onb_check_range (ob, 10, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (collisions->len, ==, 1);
  c = g_ptr_array_index (collisions, 0);
  g_assert_cmpstr (c->space_id, ==, blocker);
  g_assert_cmpuint (c->number, ==, 13);
  error = onb_reserve (ob, NULL);
  g_assert_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_RANGE_COLLISION);
  g_assert_nonnull (strstr (error->message, "Somebody's space"));
  g_clear_error (&error);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "POST", NULL), ==, 0);
  g_assert_true (bk_sim_cluster_remove_cospace (f->sim, blocker));

  /* Caught by the bridge: the sync's failed status. */
  bk_sim_cluster_set_request_hook (f->sim, add_conflict_hook, &sneaky, NULL);
  g_clear_pointer (&collisions, g_ptr_array_unref);
  collisions = onb_check_range (ob, 10, 5, &error);
  g_assert_cmpuint (collisions->len, ==, 0);
  error = onb_reserve (ob, NULL);
  g_assert_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_SYNC_FAILED);
  g_assert_nonnull (strstr (error->message, "URI"));
  g_assert_nonnull (strstr (error->message, "10–14"));
  g_clear_error (&error);
  bk_sim_cluster_set_request_hook (f->sim, NULL, NULL, NULL);
  g_assert_nonnull (sneaky);

  /* Resume: the collision is still there and refused up front. */
  again = bk_onboarding_new_resume (f->store, f->secrets, bk_onboarding_get_device (ob));
  error = onb_connect (again, NULL, NULL, NULL);
  g_assert_no_error (error);
  error = onb_reserve (again, NULL);
  g_assert_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_RANGE_COLLISION);
  g_clear_error (&error);

  /* Gone: resume succeeds and reuses everything. */
  g_assert_true (bk_sim_cluster_remove_cospace (f->sim, sneaky));
  g_free (sneaky);
  bk_sim_cluster_reset_counters (f->sim);
  error = onb_reserve (again, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "POST", "/api/v1/callProfiles"), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "POST", "/api/v1/cospaceBulkParameterSets"), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "POST", "/api/v1/cospaceBulkSyncs"), ==, 1);
  assert_objects_once (f, 10, 5, 0);
}

static void
cancel_when_requested (BkDevice     *device,
                       GParamSpec   *pspec,
                       GCancellable *cancellable)
{
  if (bk_device_get_onboarding_stage (device) == BK_ONBOARDING_STAGE_SLOTS_REQUESTED)
    g_cancellable_cancel (cancellable);
}

/* Each progress text the "progress-text" property showed. */
static void
record_text_cb (GObject    *object,
                GParamSpec *pspec,
                gpointer    user_data)
{
  char *text = NULL;

  g_object_get (object, "progress-text", &text, NULL);
  if (text != NULL)
    g_ptr_array_add (user_data, text);
}

static void
test_cancel_and_resume (OnbFixture    *f,
                        gconstpointer  data)
{
  g_autoptr(BkOnboarding) ob = onb_ready_to_reserve (f, 0, 10, 5);
  g_autoptr(BkOnboarding) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray) texts = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  g_autofree char *text = NULL;
  double progress;
  gboolean busy;
  BkDevice *device;
  gulong handler;

  bk_sim_cluster_set_bulk_sync_delay (f->sim, bk_test_scale_ms (1500));
  device = bk_onboarding_get_device (ob);
  handler = g_signal_connect (device, "notify::onboarding-stage", G_CALLBACK (cancel_when_requested), cancellable);
  g_signal_connect (ob, "notify::progress-text", G_CALLBACK (record_text_cb), texts);
  error = onb_reserve (ob, cancellable);
  g_signal_handler_disconnect (device, handler);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (bk_onboarding_get_busy (ob));
  /* The properties say what the getters say; the wait for the sync was shown. */
  g_assert_true (g_strv_contains ((const char * const *) texts->pdata, "The bridge is creating 5 meeting spaces"));
  g_object_get (ob, "busy", &busy, "progress", &progress, "progress-text", &text, NULL);
  g_assert_false (busy);
  g_assert_cmpfloat (progress, ==, -1);
  g_assert_null (text);
  g_assert_cmpint (bk_device_get_onboarding_stage (device), ==, BK_ONBOARDING_STAGE_SLOTS_REQUESTED);

  /* The resumed run follows the sync already running: no new POST. */
  bk_sim_cluster_reset_counters (f->sim);
  again = bk_onboarding_new_resume (f->store, f->secrets, device);
  error = onb_connect (again, NULL, NULL, NULL);
  g_assert_no_error (error);
  error = onb_reserve (again, NULL);
  g_assert_no_error (error);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "POST", NULL), ==, 0);
  error = onb_finish (again);
  g_assert_no_error (error);
  assert_objects_once (f, 10, 5, 0);
}

/* The POST reaches the bridge but the answer is lost (client timeout): the
 * listing finds the profile it made and adopts it instead of posting again. */
static void
drop_latency_hook (BkSimCluster *sim,
                   guint         node,
                   const char   *method,
                   const char   *path,
                   const char   *query,
                   gpointer      user_data)
{
  BkCmsClient *client = user_data;

  /* The POST is being carried out now, after the client gave up on it:
   * from here on the bridge answers at once and the client waits long. */
  if (g_str_equal (method, "POST") && g_str_has_suffix (path, "/callProfiles"))
    {
      bk_sim_cluster_set_latency (sim, 0, 0);
      bk_cms_client_set_timeout (client, BK_CMS_CLIENT_DEFAULT_TIMEOUT_MS);
    }
}

static void
test_outcome_unknown_adopted (OnbFixture    *f,
                              gconstpointer  data)
{
  g_autoptr(BkOnboarding) ob = onb_ready_to_reserve (f, 0, 1, 3);
  g_autoptr(GError) error = NULL;

  /* The POST is held longer than the client waits, whatever the load: the
   * order of events does not depend on how fast the machine is (the margins
   * grow with BK_TEST_TIME_SCALE on the slow setups). */
  bk_cms_client_set_timeout (bk_onboarding_get_client (ob), bk_test_scale_ms (1000));
  bk_sim_cluster_set_latency (f->sim, bk_test_scale_ms (1500), 0);
  bk_sim_cluster_set_request_hook (f->sim, drop_latency_hook, bk_onboarding_get_client (ob), NULL);
  bk_sim_cluster_reset_counters (f->sim);
  error = onb_reserve (ob, NULL);
  g_assert_no_error (error);
  bk_sim_cluster_set_request_hook (f->sim, NULL, NULL, NULL);

  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "POST", "/api/v1/callProfiles"), ==, 1);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "GET", "/api/v1/callProfiles"), >=, 2);
  assert_objects_once (f, 1, 3, 0);
}

static void
test_idempotent (OnbFixture    *f,
                 gconstpointer  data)
{
  BkDevice *device = onb_onboard (f, 0, 1, 5);
  g_autoptr(BkOnboarding) again = NULL;
  g_autoptr(GError) error = NULL;

  assert_objects_once (f, 1, 5, 0);
  bk_sim_cluster_reset_counters (f->sim);
  again = bk_onboarding_new_resume (f->store, f->secrets, device);
  error = onb_connect (again, NULL, NULL, NULL);
  g_assert_no_error (error);
  error = onb_reserve (again, NULL);
  g_assert_no_error (error);
  error = onb_finish (again);
  g_assert_no_error (error);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "POST", NULL), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "PUT", NULL), ==, 0);
  assert_objects_once (f, 1, 5, 0);

  /* A profile deleted on the bridge is made again, once. */
  {
    GAsyncResult *res = NULL;
    g_autofree char *path = g_strdup_printf ("callLegProfiles/%s", bk_device_get_call_leg_profile_id (device));
    g_autofree char *old = g_strdup (bk_device_get_call_leg_profile_id (device));

    bk_cms_client_delete_async (f->probe, path, NULL, onb_result_cb, &res);
    g_assert_true (bk_cms_client_delete_finish (f->probe, onb_wait (&res), &error));
    g_clear_object (&res);
    error = onb_reserve (again, NULL);
    g_assert_no_error (error);
    g_assert_cmpstr (bk_device_get_call_leg_profile_id (device), !=, old);
    assert_objects_once (f, 1, 5, 0);
  }
}

static gboolean
five_spaces (gpointer data)
{
  return bk_sim_cluster_get_n_cospaces (data) == 5;
}

/* POSTs a TMS-style object on the simulator; returns its id. */
static char *
tms_create (OnbFixture         *f,
            const char         *collection,
            const char * const *params)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  char *id;

  bk_cms_client_create_async (f->probe, collection, params, NULL, onb_result_cb, &res);
  id = bk_cms_client_create_finish (f->probe, onb_wait (&res), &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  return id;
}

/* A bridge TMS set up before (its own call profile, call leg profile, bulk
 * parameter set and synced spaces 1-5): the set is taken over, not
 * duplicated (a second set's sync would clash with its spaces' URIs). On CMS
 * the list of sets carries the range only, so the set's mappings must come
 * from a GET of the set: with a simulator whose lists are summaries this
 * test is the whole defect; with one whose lists carry every field, the GET
 * is what shows the app does not rely on them. */
static void
test_takes_over_tms_set (OnbFixture    *f,
                         gconstpointer  data)
{
  const char *cp_params[] = { "participantLimit", "1000", "messageBoardEnabled", "false", NULL };
  const char *clp_params[] = {
    "defaultLayout", "telepresence", "changeLayoutAllowed", "true", "presentationContributionAllowed", "true",
    "presentationViewingAllowed", "true", "muteSelfAllowed", "true", "videoMuteSelfAllowed", "true", NULL
  };
  g_autofree char *cp = NULL;
  g_autofree char *clp = NULL;
  g_autofree char *tms_set = NULL;
  g_autofree char *sync = NULL;
  g_autofree char *set_path = NULL;
  g_autofree char *space_profile = NULL;
  g_autoptr(GPtrArray) spaces = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *res = NULL;
  BkDevice *device;

  cp = tms_create (f, "callProfiles", cp_params);
  clp = tms_create (f, "callLegProfiles", clp_params);
  {
    const char *set_params[] = {
      "startIndex", "1", "endIndex", "5", "coSpaceUriMapping", "$index$",
      "coSpaceNameMapping", "TMS_Scheduled_Meeting_$index$", "coSpaceCallIdMapping", "$index$",
      "callProfile", cp, "callLegProfile", clp, "nonMemberAccess", "false", NULL
    };

    tms_set = tms_create (f, "cospaceBulkParameterSets", set_params);
  }
  bk_cms_client_create_bulk_sync_async (f->probe, tms_set, FALSE, NULL, onb_result_cb, &res);
  sync = bk_cms_client_create_finish (f->probe, onb_wait (&res), &error);
  g_clear_object (&res);
  g_assert_no_error (error);
  bk_test_wait_until (five_spaces, f->sim, ONB_TIMEOUT_MS);

  bk_sim_cluster_reset_counters (f->sim);
  device = onb_onboard (f, 0, 1, 5);
  g_assert_cmpstr (bk_device_get_bulk_parameter_set_id (device), ==, tms_set);
  g_assert_cmpuint (onb_count (f, BK_CMS_KIND_BULK_PARAMETER_SET, "cospaceBulkParameterSets"), ==, 1);
  set_path = g_strdup_printf ("/api/v1/cospaceBulkParameterSets/%s", tms_set);
  /* The mappings were read from the set itself, not from the list. */
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "GET", set_path), >=, 1);
  /* No second set; our profiles replace TMS's in the set, and a sync applies them. */
  g_assert_cmpuint (posts (f, "cospaceBulkParameterSets"), ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "PUT", set_path), ==, 1);
  g_assert_cmpuint (posts (f, "cospaceBulkSyncs"), ==, 1);
  onb_assert_slots (f, 1, 5, 0);
  spaces = onb_list (f, BK_CMS_KIND_COSPACE, "coSpaces");
  space_profile = bk_sim_cluster_dup_cospace_field (f->sim, ((BkCmsCoSpace *) g_ptr_array_index (spaces, 0))->id,
                                                    "callProfile");
  g_assert_cmpstr (space_profile, ==, bk_device_get_call_profile_id (device));
  g_assert_cmpstr (bk_device_get_call_profile_id (device), !=, cp);
}

/* Request economy: the whole onboarding of a 2-node cluster (connect,
 * discovery, range check, reservation, finish) in at most 13 requests,
 * whatever the number of slots and the bridge's page size (TMS makes 11).
 * How many times the sync is polled depends on how long the bridge takes,
 * not on us: here the sync is done before the first poll, whatever the
 * range, so that the count is ours alone. */
static void
test_request_count (OnbFixture    *f,
                    gconstpointer  data)
{
  static const guint caps[] = { 10, 20 };
  static const guint quantities[] = { 5, 1000 };

  for (guint c = 0; c < G_N_ELEMENTS (caps); c++)
    for (guint q = 0; q < G_N_ELEMENTS (quantities); q++)
      {
        guint n;

        start_afresh (f);
        bk_sim_cluster_set_page_cap (f->sim, caps[c]);
        bk_sim_cluster_set_bulk_sync_delay (f->sim, 100);
        bk_sim_cluster_set_bulk_sync_rate (f->sim, 0);
        bk_sim_cluster_reset_counters (f->sim);
        onb_onboard (f, 0, 1, quantities[q]);
        n = bk_sim_cluster_get_request_count (f->sim, -1, NULL, NULL);
        g_test_message ("page cap %u, %u slots: %u requests", caps[c], quantities[q], n);
        g_assert_cmpuint (n, <=, 13);
        g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "GET", "/api/v1/cospaceBulkSyncs/"), ==, 1);
        /* The spaces are read twice: the range check (an empty bridge: one
         * page) and the verification (one filtered count). */
        g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "GET", "/api/v1/coSpaces"), ==, 2);
        g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (f->sim), ==, quantities[q]);
      }
  onb_assert_slots (f, 1, 1000, 0);
}

/* The verification counts the spaces named TMS_Scheduled_Meeting_*; when
 * more carry the name than there are slots (here one outside the range), a
 * count cannot tell, and the slot spaces are listed instead. */
static void
test_verify_unsure_count (OnbFixture    *f,
                          gconstpointer  data)
{
  g_autofree char *extra = bk_sim_cluster_add_cospace (f->sim, "TMS_Scheduled_Meeting_99", "old.meeting.99", "9900099");
  g_autoptr(BkOnboarding) ob = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (extra);
  ob = onb_ready_to_reserve (f, 0, 1, 5);
  bk_sim_cluster_reset_counters (f->sim);
  error = onb_reserve (ob, NULL);
  g_assert_no_error (error);
  /* The count, then the filtered listing (one page). */
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, -1, "GET", "/api/v1/coSpaces"), ==, 2);
  g_assert_cmpuint (bk_sim_cluster_get_n_cospaces (f->sim), ==, 6);
  g_assert_cmpuint (posts (f, "cospaceBulkSyncs"), ==, 1);
}

/* The two profiles are posted at once, and the bulk parameter sets are
 * looked up beside them: when the bridge starts on the first POST (held by
 * the latency), the other two requests have already come in. */
static void
both_posts_hook (BkSimCluster *sim,
                 guint         node,
                 const char   *method,
                 const char   *path,
                 const char   *query,
                 gpointer      user_data)
{
  guint *seen = user_data;

  if (*seen == 0 && g_str_equal (method, "POST") &&
      (g_str_has_suffix (path, "/callProfiles") || g_str_has_suffix (path, "/callLegProfiles")))
    *seen = bk_sim_cluster_get_request_count (sim, -1, "POST", "/api/v1/callProfiles") +
            bk_sim_cluster_get_request_count (sim, -1, "POST", "/api/v1/callLegProfiles") +
            bk_sim_cluster_get_request_count (sim, -1, "GET", "/api/v1/cospaceBulkParameterSets");
}

static void
test_profiles_in_parallel (OnbFixture    *f,
                           gconstpointer  data)
{
  g_autoptr(BkOnboarding) ob = onb_ready_to_reserve (f, 0, 1, 5);
  g_autoptr(GError) error = NULL;
  guint seen = 0;

  bk_sim_cluster_set_latency (f->sim, bk_test_scale_ms (400), 0);
  bk_sim_cluster_set_request_hook (f->sim, both_posts_hook, &seen, NULL);
  error = onb_reserve (ob, NULL);
  bk_sim_cluster_set_request_hook (f->sim, NULL, NULL, NULL);
  bk_sim_cluster_set_latency (f->sim, 0, 0);
  g_assert_no_error (error);
  g_assert_cmpuint (seen, ==, 3);
  assert_objects_once (f, 1, 5, 0);
}

static void
test_cluster_refusal (OnbFixture    *f,
                      gconstpointer  data)
{
  g_autoptr(BkOnboarding) ob = bk_onboarding_new (f->store, f->secrets);
  g_autofree char *node0 = onb_node_address (f, 0);
  g_autofree char *node1 = onb_node_address (f, 1);
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;

  onb_onboard (f, 0, 1, 5);

  bk_onboarding_trust_certificate (ob, bk_sim_cluster_get_certificate_sha256 (f->sim));
  error = onb_connect (ob, node1, BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD);
  g_assert_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_ALREADY_MANAGED);
  expected = g_strdup_printf ("The %s is part of a clustered call bridge and has already been added through %s. Retry after entering a new IP.",
                              node1, node0);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  error = onb_connect (ob, node0, BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD);
  g_assert_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_ALREADY_ADDED);
  g_clear_error (&error);
  g_assert_cmpuint (bk_device_store_get_n_devices (f->store), ==, 1);
}

/* The cluster is found only by discovery (members' ids): the device listed
 * first has no member list that names the address typed. */
static void
test_cluster_refusal_by_discovery (OnbFixture    *f,
                                   gconstpointer  data)
{
  BkDevice *first = onb_onboard (f, 0, 1, 5);
  g_autoptr(GPtrArray) only_ids = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_cluster_member_free);
  g_autoptr(BkOnboarding) ob = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GError) error = NULL;

  /* Forget the stored members' addresses: only ids remain. */
  for (guint i = 0; i < bk_sim_cluster_get_n_nodes (f->sim); i++)
    g_ptr_array_add (only_ids, bk_cluster_member_new (bk_sim_cluster_get_node_id (f->sim, i), "x", ""));
  bk_device_set_cluster_members (first, only_ids);
  ob = onb_connected (f, 1);

  members = onb_discover (ob, &error);
  g_assert_null (members);
  g_assert_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_ALREADY_MANAGED);
  g_assert_cmpuint (bk_device_store_get_n_devices (f->store), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  bk_test_init (&argc, &argv);

  ONB_ADD ("/onboarding/happy-path", test_happy_path);
  ONB_ADD ("/onboarding/connect-failures", test_connect_failures);
  ONB_ADD ("/onboarding/not-a-cms-404", test_not_a_cms_404);
  ONB_ADD ("/onboarding/faults-then-resume", test_faults_then_resume);
  ONB_ADD ("/onboarding/sync-failed", test_sync_failed);
  ONB_ADD ("/onboarding/cancel-and-resume", test_cancel_and_resume);
  ONB_ADD ("/onboarding/outcome-unknown-adopted", test_outcome_unknown_adopted);
  ONB_ADD ("/onboarding/idempotent", test_idempotent);
  ONB_ADD ("/onboarding/takes-over-tms-set", test_takes_over_tms_set);
  ONB_ADD ("/onboarding/request-count", test_request_count);
  ONB_ADD ("/onboarding/profiles-in-parallel", test_profiles_in_parallel);
  ONB_ADD ("/onboarding/verify-unsure-count", test_verify_unsure_count);
  ONB_ADD ("/onboarding/cluster-refusal", test_cluster_refusal);
  ONB_ADD ("/onboarding/cluster-refusal-by-discovery", test_cluster_refusal_by_discovery);

  return g_test_run ();
}
