/* test-cluster-trust.c: every node of a cluster is trusted on its own (its
 * own certificate, pinned per node, and its own API user), against a
 * simulated cluster whose nodes have different certificates and users
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

/* The shared helpers are static: this test needs only some of them. */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "onb-test-util.h"

/* Node 1's own API user, as real clusters may have. */
#define NODE2_USERNAME "tms-core2"
#define NODE2_PASSWORD "core2-Secret-ÄÖ"

static void
trust_set_up (OnbFixture    *f,
              gconstpointer  data)
{
  static guint serial;
  g_autoptr(GError) error = NULL;

  /* @data: the number of nodes (NULL: 2); nodes past the second keep the
   * cluster's user, the primary's. */
  f->sim = bk_sim_cluster_new (data != NULL ? GPOINTER_TO_UINT (data) : 2);
  bk_sim_cluster_set_tls (f->sim, TRUE);
  bk_sim_cluster_set_per_node_certificates (f->sim, TRUE);
  bk_sim_cluster_set_node_credentials (f->sim, 1, NODE2_USERNAME, NODE2_PASSWORD);
  bk_sim_cluster_set_bulk_sync_delay (f->sim, 100);
  g_assert_true (bk_sim_cluster_start (f->sim, &error));
  g_assert_no_error (error);
  /* Really two certificates. */
  g_assert_cmpstr (bk_sim_cluster_get_node_certificate_sha256 (f->sim, 0), !=,
                   bk_sim_cluster_get_node_certificate_sha256 (f->sim, 1));

  f->dir = g_strdup_printf ("%s/trust-%u", bk_test_get_tmpdir (), ++serial);
  g_mkdir_with_parents (f->dir, 0700);
  f->store = bk_device_store_new (f->dir);
  g_assert_true (bk_device_store_load (f->store, &error));
  f->secrets = bk_secrets_new ();
  f->probe = bk_cms_client_new (bk_sim_cluster_get_node_url (f->sim, 0),
                                BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD,
                                bk_sim_cluster_get_node_certificate_sha256 (f->sim, 0));
}

#define TRUST_ADD(path, func) \
  g_test_add (path, OnbFixture, NULL, trust_set_up, func, onb_fixture_tear_down)
#define TRUST3_ADD(path, func) \
  g_test_add (path, OnbFixture, GUINT_TO_POINTER (3), trust_set_up, func, onb_fixture_tear_down)

static const char *
node_sha (OnbFixture *f,
          guint       node)
{
  return bk_sim_cluster_get_node_certificate_sha256 (f->sim, node);
}

static GError *
check_alternate (BkOnboarding *ob)
{
  GAsyncResult *res = NULL;
  GError *error = NULL;

  bk_onboarding_check_alternate_async (ob, NULL, onb_result_cb, &res);
  bk_onboarding_check_alternate_finish (ob, onb_wait (&res), &error);
  g_object_unref (res);
  return error;
}

static void
check_bridge (BkBridge *bridge)
{
  GAsyncResult *res = NULL;
  g_autoptr(GError) error = NULL;

  bk_bridge_check_async (bridge, NULL, onb_result_cb, &res);
  g_assert_true (bk_bridge_check_finish (bridge, onb_wait (&res), &error));
  g_assert_no_error (error);
  g_object_unref (res);
}

static GError *
set_bridge_alternate (BkBridge   *bridge,
                      const char *member_id,
                      const char *username,
                      const char *password)
{
  GAsyncResult *res = NULL;
  GError *error = NULL;

  bk_bridge_set_alternate_async (bridge, member_id, username, password, NULL, onb_result_cb, &res);
  bk_bridge_set_alternate_finish (bridge, onb_wait (&res), &error);
  g_object_unref (res);
  return error;
}

static char *
lookup_secret (OnbFixture   *f,
               BkDevice     *device,
               BkSecretKind  kind)
{
  GAsyncResult *res = NULL;
  g_autoptr(GError) error = NULL;
  char *password;

  bk_secrets_lookup_async (f->secrets, bk_device_get_id (device), kind, NULL, onb_result_cb, &res);
  password = bk_secrets_lookup_finish (f->secrets, onb_wait (&res), &error);
  g_object_unref (res);
  g_assert_no_error (error);
  return password;
}

static BkClusterNode *
find_node (BkBridge   *bridge,
           const char *id)
{
  GListModel *nodes = bk_bridge_get_cluster_nodes (bridge);

  for (guint i = 0; i < g_list_model_get_n_items (nodes); i++)
    {
      g_autoptr(BkClusterNode) node = g_list_model_get_item (nodes, i);

      if (g_strcmp0 (bk_cluster_node_get_id (node), id) == 0)
        return node;  /* the model keeps it */
    }
  return NULL;
}

static BkTicket *
only_ticket (BkBridge *bridge)
{
  GListModel *tickets = bk_bridge_get_tickets (bridge);
  g_autoptr(BkTicket) ticket = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (tickets); i++)
    {
      g_autoptr(BkTicket) t = g_list_model_get_item (tickets, i);

      g_test_message ("ticket: %s", bk_ticket_get_sentence (t));
    }
  g_assert_cmpuint (g_list_model_get_n_items (tickets), ==, 1);
  ticket = g_list_model_get_item (tickets, 0);
  return ticket;  /* the model keeps it */
}

static BkTicket *
find_ticket (BkBridge     *bridge,
             BkTicketKind  kind)
{
  GListModel *tickets = bk_bridge_get_tickets (bridge);

  for (guint i = 0; i < g_list_model_get_n_items (tickets); i++)
    {
      g_autoptr(BkTicket) t = g_list_model_get_item (tickets, i);

      if (bk_ticket_get_kind (t) == kind)
        return t;  /* the model keeps it */
    }
  return NULL;
}

static void
store_secret (OnbFixture   *f,
              BkDevice     *device,
              BkSecretKind  kind,
              const char   *password)
{
  GAsyncResult *res = NULL;
  g_autoptr(GError) error = NULL;

  bk_secrets_store_async (f->secrets, device, kind, password, NULL, onb_result_cb, &res);
  g_assert_true (bk_secrets_store_finish (f->secrets, onb_wait (&res), &error));
  g_assert_no_error (error);
  g_object_unref (res);
}

static void
assert_no_tickets (BkBridge *bridge)
{
  GListModel *tickets = bk_bridge_get_tickets (bridge);

  for (guint i = 0; i < g_list_model_get_n_items (tickets); i++)
    {
      g_autoptr(BkTicket) t = g_list_model_get_item (tickets, i);

      g_test_message ("unexpected ticket: %s", bk_ticket_get_sentence (t));
    }
  g_assert_cmpuint (g_list_model_get_n_items (tickets), ==, 0);
}

/* Onboards node 0 up to the failover step, trusting node 0's certificate
 * only. */
static BkOnboarding *
ready_for_failover (OnbFixture *f)
{
  BkOnboarding *ob = bk_onboarding_new (f->store, f->secrets);
  g_autofree char *address = onb_node_address (f, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autoptr(GPtrArray) collisions = NULL;

  error = onb_connect (ob, address, BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_UNTRUSTED);
  g_assert_cmpstr (bk_cms_error_get_peer_sha256 (error), ==, node_sha (f, 0));
  bk_onboarding_trust_certificate (ob, bk_cms_error_get_peer_sha256 (error));
  g_clear_error (&error);
  error = onb_connect (ob, address, BK_SIM_DEFAULT_USERNAME, BK_SIM_DEFAULT_PASSWORD);
  g_assert_no_error (error);
  members = onb_discover (ob, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (members->len, ==, bk_sim_cluster_get_n_nodes (f->sim));
  g_assert_true (bk_onboarding_set_name (ob, "CMS Core", &error));
  collisions = onb_check_range (ob, 1, 5, &error);
  g_assert_no_error (error);
  error = onb_reserve (ob, NULL);
  g_assert_no_error (error);
  return ob;
}

/* The complete onboarding with node 1 as the alternate, its certificate
 * trusted and its own user; returns the device (in the store). */
static BkDevice *
onboard_with_alternate (OnbFixture *f)
{
  g_autoptr(BkOnboarding) ob = ready_for_failover (f);
  g_autoptr(GError) error = NULL;

  g_assert_true (bk_onboarding_set_alternate (ob, bk_sim_cluster_get_node_id (f->sim, 1),
                                              NODE2_USERNAME, NODE2_PASSWORD, &error));
  error = check_alternate (ob);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_UNTRUSTED);
  bk_onboarding_trust_alternate_certificate (ob, bk_cms_error_get_peer_sha256 (error));
  g_clear_error (&error);
  error = onb_finish (ob);
  g_assert_no_error (error);
  return bk_onboarding_get_device (ob);
}

/* The defect: the alternate was checked with the primary's certificate and
 * user, and the finished bridge showed "certificate changed". */
static void
test_onboarding_per_node (OnbFixture    *f,
                          gconstpointer  data)
{
  g_autoptr(BkOnboarding) ob = ready_for_failover (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(BkBridge) bridge = NULL;
  const char *node1 = bk_sim_cluster_get_node_id (f->sim, 1);
  g_autofree char *node1_address = onb_node_address (f, 1);
  BkDevice *device = bk_onboarding_get_device (ob);
  BkClusterNode *alt_node;
  char *password;
  guint node1_requests;

  /* A user name without its password (or the reverse) is refused. */
  g_assert_false (bk_onboarding_set_alternate (ob, node1, NODE2_USERNAME, NULL, &error));
  g_assert_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_false (bk_onboarding_set_alternate (ob, node1, "", NODE2_PASSWORD, &error));
  g_assert_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* Nothing entered: the primary's user, as the UI says; node 1 shows its
   * own certificate first (never "changed": it was never trusted). */
  g_assert_true (bk_onboarding_set_alternate (ob, node1, NULL, NULL, &error));
  g_assert_no_error (error);
  node1_requests = bk_sim_cluster_get_request_count (f->sim, 1, NULL, NULL);
  error = check_alternate (ob);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_UNTRUSTED);
  g_assert_cmpstr (bk_cms_error_get_peer_sha256 (error), ==, node_sha (f, 1));
  g_assert_cmpstr (bk_cms_error_get_bridge (error), ==, node1_address);
  /* The refused certificate: no request reached node 1. */
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, 1, NULL, NULL), ==, node1_requests);
  bk_onboarding_trust_alternate_certificate (ob, bk_cms_error_get_peer_sha256 (error));
  g_clear_error (&error);

  /* Node 1 does not know the primary's user: said, naming node and user. */
  error = check_alternate (ob);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, bk_sim_cluster_get_node_name (f->sim, 1)));
  g_assert_nonnull (strstr (error->message, BK_SIM_DEFAULT_USERNAME));
  g_clear_error (&error);
  /* Finish checks too: it does not finish with an alternate that refused. */
  error = onb_finish (ob);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_UNAUTHORIZED);
  g_clear_error (&error);
  g_assert_cmpint (bk_device_get_onboarding_stage (device), !=, BK_ONBOARDING_STAGE_COMPLETE);

  /* Its own user: it answers; the trusted certificate stays pinned. */
  g_assert_true (bk_onboarding_set_alternate (ob, node1, NODE2_USERNAME, NODE2_PASSWORD, &error));
  error = check_alternate (ob);
  g_assert_no_error (error);
  g_assert_cmpstr (bk_device_get_alternate_certificate_pin (device), ==, node_sha (f, 1));
  g_assert_cmpstr (bk_device_get_certificate_pin (device), ==, node_sha (f, 0));
  g_assert_cmpstr (bk_device_get_alternate_username (device), ==, NODE2_USERNAME);
  g_assert_cmpstr (bk_device_get_username (device), ==, BK_SIM_DEFAULT_USERNAME);

  /* Finish does not contact node 1 again. */
  node1_requests = bk_sim_cluster_get_request_count (f->sim, 1, NULL, NULL);
  error = onb_finish (ob);
  g_assert_no_error (error);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, 1, NULL, NULL), ==, node1_requests);
  g_assert_cmpint (bk_device_get_onboarding_stage (device), ==, BK_ONBOARDING_STAGE_COMPLETE);
  password = lookup_secret (f, device, BK_SECRET_KIND_ALTERNATE);
  g_assert_cmpstr (password, ==, NODE2_PASSWORD);
  bk_secrets_password_free (password);
  password = lookup_secret (f, device, BK_SECRET_KIND_PRIMARY);
  g_assert_cmpstr (password, ==, BK_SIM_DEFAULT_PASSWORD);
  bk_secrets_password_free (password);

  /* Both pins and the alternate's user survive a reload. */
  {
    g_autoptr(BkDeviceStore) reloaded = bk_device_store_new (f->dir);
    BkDevice *copy;

    g_assert_true (bk_device_store_load (reloaded, &error));
    copy = bk_device_store_lookup (reloaded, bk_device_get_id (device));
    g_assert_nonnull (copy);
    g_assert_cmpstr (bk_device_get_alternate_certificate_pin (copy), ==, node_sha (f, 1));
    g_assert_cmpstr (bk_device_get_certificate_pin (copy), ==, node_sha (f, 0));
    g_assert_cmpstr (bk_device_get_alternate_username (copy), ==, NODE2_USERNAME);
  }

  /* The finished bridge: no ticket about the alternate, and Clustering
   * agrees with the Summary. */
  bridge = bk_bridge_new (device, f->store, f->secrets);
  check_bridge (bridge);
  assert_no_tickets (bridge);
  g_assert_cmpint (bk_device_get_alternate_reachability (device), ==, BK_REACHABILITY_REACHABLE);
  alt_node = find_node (bridge, node1);
  g_assert_nonnull (alt_node);
  g_assert_true (bk_cluster_node_get_alternate (alt_node));
  g_assert_cmpint (bk_cluster_node_get_reachability (alt_node), ==, BK_REACHABILITY_REACHABLE);
  g_assert_null (bk_bridge_get_alternate_error (bridge));
}

/* A changed alternate certificate: refused, with its own alarming ticket
 * naming that node; re-pinning pins that node only. */
static void
test_alternate_certificate_changed (OnbFixture    *f,
                                    gconstpointer  data)
{
  BkDevice *device = onboard_with_alternate (f);
  g_autoptr(BkBridge) bridge = bk_bridge_new (device, f->store, f->secrets);
  g_autoptr(GError) error = NULL;
  g_autofree char *old_node1 = g_strdup (node_sha (f, 1));
  g_autofree char *primary_pin = g_strdup (bk_device_get_certificate_pin (device));
  const GError *alt_error;
  BkTicket *ticket;

  check_bridge (bridge);
  assert_no_tickets (bridge);

  g_assert_true (bk_sim_cluster_replace_node_certificate (f->sim, 1, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (node_sha (f, 1), !=, old_node1);
  check_bridge (bridge);

  ticket = only_ticket (bridge);
  g_assert_cmpint (bk_ticket_get_kind (ticket), ==, BK_TICKET_KIND_ALTERNATE_UNREACHABLE);
  g_assert_cmpint (bk_ticket_get_severity (ticket), ==, BK_TICKET_SEVERITY_ERROR);
  g_assert_cmpstr (bk_ticket_get_action_name (ticket), ==, BK_TICKET_ACTION_REVIEW_ALTERNATE_CERTIFICATE);
  /* Names node 1, says "changed", never "did not answer". */
  g_assert_nonnull (strstr (bk_ticket_get_sentence (ticket), bk_sim_cluster_get_node_name (f->sim, 1)));
  g_assert_nonnull (strstr (bk_ticket_get_sentence (ticket), "has changed since you trusted it"));
  g_assert_null (strstr (bk_ticket_get_sentence (ticket), "did not answer"));
  alt_error = bk_bridge_get_alternate_error (bridge);
  g_assert_error (alt_error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_PIN_MISMATCH);
  g_assert_cmpstr (bk_cms_error_get_peer_sha256 (alt_error), ==, node_sha (f, 1));
  g_assert_cmpstr (bk_cms_error_get_pinned_sha256 (alt_error), ==, old_node1);
  /* The primary is fine and its pin untouched; nothing was pinned silently. */
  g_assert_cmpint (bk_device_get_reachability (device), ==, BK_REACHABILITY_REACHABLE);
  g_assert_cmpstr (bk_device_get_certificate_pin (device), ==, primary_pin);
  g_assert_cmpstr (bk_device_get_alternate_certificate_pin (device), ==, old_node1);
  /* Clustering says the same as the Summary: node 1 is not usable. */
  g_assert_cmpint (bk_device_get_alternate_reachability (device), ==, BK_REACHABILITY_UNREACHABLE);
  g_assert_cmpint (bk_cluster_node_get_reachability (find_node (bridge, bk_sim_cluster_get_node_id (f->sim, 1))),
                   ==, BK_REACHABILITY_UNREACHABLE);

  /* Trusting node 1's new certificate pins node 1 only. */
  bk_bridge_trust_member_certificate (bridge, bk_sim_cluster_get_node_id (f->sim, 1),
                                      bk_cms_error_get_peer_sha256 (alt_error));
  g_assert_cmpstr (bk_device_get_alternate_certificate_pin (device), ==, node_sha (f, 1));
  g_assert_cmpstr (bk_device_get_certificate_pin (device), ==, primary_pin);
  check_bridge (bridge);
  assert_no_tickets (bridge);
  g_assert_cmpint (bk_device_get_alternate_reachability (device), ==, BK_REACHABILITY_REACHABLE);
}

/* Re-pinning the primary leaves the alternate's own pin alone. */
static void
test_primary_repin_keeps_alternate (OnbFixture    *f,
                                    gconstpointer  data)
{
  BkDevice *device = onboard_with_alternate (f);
  g_autoptr(BkBridge) bridge = bk_bridge_new (device, f->store, f->secrets);
  g_autoptr(GError) error = NULL;
  g_autofree char *alt_pin = g_strdup (bk_device_get_alternate_certificate_pin (device));
  GAsyncResult *res = NULL;
  g_autoptr(BkCmsSystemStatus) status = NULL;

  g_assert_true (bk_sim_cluster_replace_node_certificate (f->sim, 0, &error));
  bk_bridge_test_connection_async (bridge, NULL, onb_result_cb, &res);
  status = bk_bridge_test_connection_finish (bridge, onb_wait (&res), &error);
  g_clear_object (&res);
  g_assert_null (status);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_PIN_MISMATCH);
  bk_bridge_repin (bridge, bk_cms_error_get_peer_sha256 (error));
  g_clear_error (&error);

  g_assert_cmpstr (bk_device_get_certificate_pin (device), ==, node_sha (f, 0));
  g_assert_cmpstr (bk_device_get_alternate_certificate_pin (device), ==, alt_pin);
  check_bridge (bridge);
  assert_no_tickets (bridge);
}

/* Choosing the alternate later (device page): the node is contacted with
 * its own user and certificate before anything is saved. */
static void
test_bridge_set_alternate (OnbFixture    *f,
                           gconstpointer  data)
{
  g_autoptr(BkOnboarding) ob = ready_for_failover (f);
  g_autoptr(GError) error = NULL;
  g_autoptr(BkBridge) bridge = NULL;
  const char *node1 = bk_sim_cluster_get_node_id (f->sim, 1);
  BkDevice *device = bk_onboarding_get_device (ob);
  char *password;

  g_assert_true (bk_onboarding_set_alternate (ob, NULL, NULL, NULL, &error));
  error = onb_finish (ob);
  g_assert_no_error (error);
  g_assert_false (bk_device_has_alternate (device));

  bridge = bk_bridge_new (device, f->store, f->secrets);
  check_bridge (bridge);

  /* Its certificate first: nothing saved. */
  error = set_bridge_alternate (bridge, node1, NODE2_USERNAME, NODE2_PASSWORD);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_UNTRUSTED);
  g_assert_cmpstr (bk_cms_error_get_peer_sha256 (error), ==, node_sha (f, 1));
  g_assert_false (bk_device_has_alternate (device));
  bk_bridge_trust_member_certificate (bridge, node1, bk_cms_error_get_peer_sha256 (error));
  g_clear_error (&error);
  g_assert_false (bk_device_has_alternate (device));
  g_assert_cmpstr (bk_device_get_alternate_certificate_pin (device), ==, "");

  /* The primary's user does not exist on node 1: refused, nothing saved. */
  error = set_bridge_alternate (bridge, node1, NULL, NULL);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, bk_sim_cluster_get_node_name (f->sim, 1)));
  g_clear_error (&error);
  g_assert_false (bk_device_has_alternate (device));

  error = set_bridge_alternate (bridge, node1, NODE2_USERNAME, NODE2_PASSWORD);
  g_assert_no_error (error);
  g_assert_cmpstr (bk_device_get_alternate_member_id (device), ==, node1);
  g_assert_cmpstr (bk_device_get_alternate_certificate_pin (device), ==, node_sha (f, 1));
  g_assert_cmpstr (bk_device_get_alternate_username (device), ==, NODE2_USERNAME);
  password = lookup_secret (f, device, BK_SECRET_KIND_ALTERNATE);
  g_assert_cmpstr (password, ==, NODE2_PASSWORD);
  bk_secrets_password_free (password);

  check_bridge (bridge);
  assert_no_tickets (bridge);
  g_assert_cmpint (bk_device_get_alternate_reachability (device), ==, BK_REACHABILITY_REACHABLE);

  /* Its password changed on node 1 but not here: a ticket that names the
   * node and the user, and sends the person to the alternate's settings. */
  bk_sim_cluster_set_node_credentials (f->sim, 1, NODE2_USERNAME, "another one");
  check_bridge (bridge);
  {
    BkTicket *ticket = only_ticket (bridge);

    g_assert_cmpstr (bk_ticket_get_action_name (ticket), ==, BK_TICKET_ACTION_EDIT_ALTERNATE);
    g_assert_nonnull (strstr (bk_ticket_get_sentence (ticket), NODE2_USERNAME));
    g_assert_nonnull (strstr (bk_ticket_get_sentence (ticket), bk_sim_cluster_get_node_name (f->sim, 1)));
  }
}

/* A file written before per-node pins: it loads; the alternate has no pin
 * of its own. Its certificate is "not trusted yet", never "changed". */
static void
test_old_single_pin_file (OnbFixture    *f,
                          gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "devices.json", NULL);
  g_autofree char *json = NULL;
  g_autoptr(BkDeviceStore) store = NULL;
  g_autoptr(BkBridge) bridge = NULL;
  g_autoptr(GError) error = NULL;
  BkDevice *device;
  BkTicket *ticket;

  json = g_strdup_printf ("{\"version\": 1, \"devices\": [{"
                          "\"id\": \"old-device\", \"name\": \"Old Core\", \"address\": \"127.0.0.1\", \"port\": %u,"
                          "\"certificate-pin\": \"%s\", \"username\": \"%s\","
                          "\"cluster-members\": [{\"id\": \"%s\", \"name\": \"%s\", \"address\": \"%s\"},"
                          "                      {\"id\": \"%s\", \"name\": \"%s\", \"address\": \"%s\"}],"
                          "\"alternate-member-id\": \"%s\", \"alternate-address\": \"127.0.0.1:%u\","
                          "\"alternate-username\": \"%s\", \"onboarding-stage\": \"complete\"}]}",
                          bk_sim_cluster_get_node_port (f->sim, 0), node_sha (f, 0), BK_SIM_DEFAULT_USERNAME,
                          bk_sim_cluster_get_node_id (f->sim, 0), bk_sim_cluster_get_node_name (f->sim, 0),
                          bk_sim_cluster_get_node_url (f->sim, 0),
                          bk_sim_cluster_get_node_id (f->sim, 1), bk_sim_cluster_get_node_name (f->sim, 1),
                          bk_sim_cluster_get_node_url (f->sim, 1),
                          bk_sim_cluster_get_node_id (f->sim, 1), bk_sim_cluster_get_node_port (f->sim, 1),
                          NODE2_USERNAME);
  g_assert_true (g_file_set_contents (path, json, -1, &error));
  store = bk_device_store_new (f->dir);
  g_assert_true (bk_device_store_load (store, &error));
  g_assert_no_error (error);
  device = bk_device_store_lookup (store, "old-device");
  g_assert_nonnull (device);
  g_assert_cmpstr (bk_device_get_certificate_pin (device), ==, node_sha (f, 0));
  g_assert_cmpstr (bk_device_get_alternate_certificate_pin (device), ==, "");
  g_assert_true (bk_device_has_alternate (device));

  store_secret (f, device, BK_SECRET_KIND_PRIMARY, BK_SIM_DEFAULT_PASSWORD);
  store_secret (f, device, BK_SECRET_KIND_ALTERNATE, NODE2_PASSWORD);

  bridge = bk_bridge_new (device, store, f->secrets);
  check_bridge (bridge);
  /* (It has no slots configured: that is a ticket of its own.) */
  g_assert_null (find_ticket (bridge, BK_TICKET_KIND_PRIMARY_UNREACHABLE));
  ticket = find_ticket (bridge, BK_TICKET_KIND_ALTERNATE_UNREACHABLE);
  g_assert_nonnull (ticket);
  g_assert_cmpstr (bk_ticket_get_action_name (ticket), ==, BK_TICKET_ACTION_REVIEW_ALTERNATE_CERTIFICATE);
  g_assert_null (strstr (bk_ticket_get_sentence (ticket), "changed"));
  g_assert_nonnull (strstr (bk_ticket_get_sentence (ticket), bk_sim_cluster_get_node_name (f->sim, 1)));
  g_assert_error (bk_bridge_get_alternate_error (bridge), BK_CMS_ERROR, BK_CMS_ERROR_TLS_UNTRUSTED);
  g_assert_cmpstr (bk_device_get_alternate_certificate_pin (device), ==, "");
  g_assert_cmpint (bk_device_get_reachability (device), ==, BK_REACHABILITY_REACHABLE);
}

/* A cluster whose nodes share one certificate (the simulator's default):
 * the certificate the person trusted for the primary is the alternate's
 * too, so there is no second question, and an old file takes it over. */
static void
test_shared_certificate (void)
{
  OnbFixture fixture = { 0 };
  OnbFixture *f = &fixture;
  g_autoptr(BkOnboarding) ob = NULL;
  g_autoptr(BkBridge) bridge = NULL;
  g_autoptr(GError) error = NULL;
  BkDevice *device;

  onb_fixture_set_up (f, NULL);
  ob = onb_ready_to_reserve (f, 0, 1, 3);
  g_assert_true (bk_onboarding_set_name (ob, "Shared", &error));
  error = onb_reserve (ob, NULL);
  g_assert_no_error (error);
  g_assert_true (bk_onboarding_set_alternate (ob, bk_sim_cluster_get_node_id (f->sim, 1), NULL, NULL, &error));
  error = check_alternate (ob);
  g_assert_no_error (error);
  device = bk_onboarding_get_device (ob);
  g_assert_cmpstr (bk_device_get_alternate_certificate_pin (device), ==, bk_sim_cluster_get_certificate_sha256 (f->sim));
  error = onb_finish (ob);
  g_assert_no_error (error);

  /* As an old file would have it: no pin of its own. */
  bk_device_set_alternate_certificate_pin (device, "");
  bridge = bk_bridge_new (device, f->store, f->secrets);
  check_bridge (bridge);
  assert_no_tickets (bridge);
  g_assert_cmpstr (bk_device_get_alternate_certificate_pin (device), ==, bk_sim_cluster_get_certificate_sha256 (f->sim));

  g_clear_object (&bridge);
  g_clear_object (&ob);
  onb_fixture_tear_down (f, NULL);
}

/* The alternate's pin is kept as the primary's: lower-case hex, no
 * colons, whichever way it is set; notified only when it changes. */
static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_device_alternate_pin (void)
{
  g_autoptr(BkDevice) device = bk_device_new ("10.0.0.1", 0);
  guint notified = 0;

  g_signal_connect (device, "notify::alternate-certificate-pin", G_CALLBACK (notify_count_cb), &notified);
  g_assert_cmpstr (bk_device_get_alternate_certificate_pin (device), ==, "");
  bk_device_set_alternate_certificate_pin (device, "AB:CD:EF:01");
  g_assert_cmpstr (bk_device_get_alternate_certificate_pin (device), ==, "abcdef01");
  g_assert_cmpuint (notified, ==, 1);
  g_object_set (device, "alternate-certificate-pin", "ab cd ef 01", NULL);
  g_assert_cmpuint (notified, ==, 1);
  g_object_set (device, "alternate-certificate-pin", "12:34", NULL);
  g_assert_cmpstr (bk_device_get_alternate_certificate_pin (device), ==, "1234");
  g_assert_cmpuint (notified, ==, 2);
  /* The primary's pin is a different field. */
  g_assert_cmpstr (bk_device_get_certificate_pin (device), ==, "");
  bk_device_set_alternate_certificate_pin (device, NULL);
  g_assert_cmpstr (bk_device_get_alternate_certificate_pin (device), ==, "");
}

/* Counts, per node, the requests that passed the node's authentication. */
static void
count_authenticated_cb (BkSimCluster *sim,
                        guint         node,
                        const char   *method,
                        const char   *path,
                        const char   *query,
                        gpointer      user_data)
{
  guint *counts = user_data;

  counts[node]++;
}

static void
assert_node_reachability (OnbFixture     *f,
                          BkBridge       *bridge,
                          BkReachability  n0,
                          BkReachability  n1,
                          BkReachability  n2)
{
  BkReachability wanted[] = { n0, n1, n2 };

  for (guint i = 0; i < G_N_ELEMENTS (wanted); i++)
    {
      BkClusterNode *node = find_node (bridge, bk_sim_cluster_get_node_id (f->sim, i));

      g_assert_nonnull (node);
      g_test_message ("node %u: %s", i, bk_cluster_node_get_detail (node));
      g_assert_cmpint (bk_cluster_node_get_reachability (node), ==, wanted[i]);
      g_assert_nonnull (bk_cluster_node_get_detail (node));
    }
}

/* The log entries from @first on: none claims a changed (or untrusted)
 * certificate; those for @address are probes that say what they checked.
 * Returns the last entry for @address (the log keeps it). */
static BkCmsLogEntry *
assert_log_honest (BkCmsLog   *log,
                   guint       first,
                   const char *address)
{
  BkCmsLogEntry *last = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (log));

  g_assert_cmpuint (n, >, first);
  for (guint i = first; i < n; i++)
    {
      g_autoptr(BkCmsLogEntry) e = g_list_model_get_item (G_LIST_MODEL (log), i);
      const char *failure = bk_cms_log_entry_get_failure (e);

      g_test_message ("%s %s %s %u %s / %s", bk_cms_log_entry_get_bridge (e), bk_cms_log_entry_get_method (e),
                      bk_cms_log_entry_get_path (e), bk_cms_log_entry_get_status (e),
                      failure ? failure : "-", bk_cms_log_entry_get_note (e) ? bk_cms_log_entry_get_note (e) : "-");
      g_assert_true (failure == NULL || strstr (failure, "certificate") == NULL);
      if (g_strcmp0 (bk_cms_log_entry_get_bridge (e), address) == 0)
        {
          g_assert_nonnull (bk_cms_log_entry_get_note (e));
          g_assert_nonnull (strstr (bk_cms_log_entry_get_note (e), "without credentials"));
          last = e;
        }
    }
  g_assert_nonnull (last);
  return last;
}

/* The defect: the members other than the primary and the alternate were
 * checked with the primary's certificate and user, and every check logged
 * "changed certificate" for them. They are probed without credentials: an
 * HTTP answer (401) shows their web admin is up. */
static void
test_other_members_probed (OnbFixture    *f,
                           gconstpointer  data)
{
  BkDevice *device = onboard_with_alternate (f);
  g_autoptr(BkBridge) bridge = bk_bridge_new (device, f->store, f->secrets);
  BkCmsLog *log = bk_bridge_get_log (bridge);
  g_autofree char *node2_address = onb_node_address (f, 2);
  g_autofree char *old_node2 = g_strdup (node_sha (f, 2));
  const char *node2 = bk_sim_cluster_get_node_id (f->sim, 2);
  guint authenticated[3] = { 0 };
  BkCmsLogEntry *entry;
  guint first;

  g_assert_cmpuint (bk_device_get_cluster_members (device)->len, ==, 3);
  g_assert_cmpstr (bk_device_get_alternate_member_id (device), ==, bk_sim_cluster_get_node_id (f->sim, 1));
  /* Node 2 accepts the primary's user: a request that carried it would
   * pass node 2's authentication and be counted. */
  g_assert_cmpstr (bk_sim_cluster_get_node_username (f->sim, 2), ==, BK_SIM_DEFAULT_USERNAME);
  g_assert_cmpstr (node_sha (f, 2), !=, node_sha (f, 0));
  bk_sim_cluster_set_request_hook (f->sim, count_authenticated_cb, authenticated, NULL);
  bk_sim_cluster_reset_counters (f->sim);

  first = g_list_model_get_n_items (G_LIST_MODEL (log));
  check_bridge (bridge);
  assert_no_tickets (bridge);
  assert_node_reachability (f, bridge, BK_REACHABILITY_REACHABLE, BK_REACHABILITY_REACHABLE,
                            BK_REACHABILITY_REACHABLE);
  entry = assert_log_honest (log, first, node2_address);
  g_assert_cmpuint (bk_cms_log_entry_get_status (entry), ==, 401);
  g_assert_null (bk_cms_log_entry_get_failure (entry));
  /* One request reached node 2, and it carried no credentials; the
   * managed node was asked once (its status), not a second time. */
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, 2, NULL, NULL), ==, 1);
  g_assert_cmpuint (authenticated[2], ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, 0, "GET", "/api/v1/system/status"), ==, 1);

  /* Node 2 down: it alone is unreachable, said as such. */
  bk_sim_cluster_set_node_up (f->sim, 2, FALSE);
  first = g_list_model_get_n_items (G_LIST_MODEL (log));
  check_bridge (bridge);
  assert_node_reachability (f, bridge, BK_REACHABILITY_REACHABLE, BK_REACHABILITY_REACHABLE,
                            BK_REACHABILITY_UNREACHABLE);
  entry = assert_log_honest (log, first, node2_address);
  g_assert_cmpuint (bk_cms_log_entry_get_status (entry), ==, 0);
  g_assert_nonnull (bk_cms_log_entry_get_failure (entry));
  g_assert_cmpint (bk_device_get_reachability (device), ==, BK_REACHABILITY_REACHABLE);
  g_assert_cmpint (bk_device_get_alternate_reachability (device), ==, BK_REACHABILITY_REACHABLE);

  bk_sim_cluster_set_node_up (f->sim, 2, TRUE);
  first = g_list_model_get_n_items (G_LIST_MODEL (log));
  check_bridge (bridge);
  assert_node_reachability (f, bridge, BK_REACHABILITY_REACHABLE, BK_REACHABILITY_REACHABLE,
                            BK_REACHABILITY_REACHABLE);
  assert_log_honest (log, first, node2_address);

  /* The primary's node down: the managed node follows the primary's own
   * answer; node 2 still answers. */
  bk_sim_cluster_set_node_up (f->sim, 0, FALSE);
  first = g_list_model_get_n_items (G_LIST_MODEL (log));
  check_bridge (bridge);
  assert_node_reachability (f, bridge, BK_REACHABILITY_UNREACHABLE, BK_REACHABILITY_REACHABLE,
                            BK_REACHABILITY_REACHABLE);
  assert_log_honest (log, first, node2_address);
  g_assert_cmpint (bk_device_get_reachability (device), ==, BK_REACHABILITY_UNREACHABLE);
  bk_sim_cluster_set_node_up (f->sim, 0, TRUE);

  /* The person trusted node 2's certificate (before choosing it): the
   * probe says nothing about it any more... */
  bk_bridge_trust_member_certificate (bridge, node2, old_node2);
  first = g_list_model_get_n_items (G_LIST_MODEL (log));
  check_bridge (bridge);
  assert_no_tickets (bridge);
  entry = assert_log_honest (log, first, node2_address);
  g_assert_null (strstr (bk_cms_log_entry_get_note (entry), "SHA-256"));

  /* ...until node 2 shows another: then the probe and the Clustering tab
   * say it is not the one trusted for node 2, and node 2 still answers. */
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (bk_sim_cluster_replace_node_certificate (f->sim, 2, &error));
    g_assert_no_error (error);
  }
  first = g_list_model_get_n_items (G_LIST_MODEL (log));
  check_bridge (bridge);
  entry = assert_log_honest (log, first, node2_address);
  g_assert_nonnull (strstr (bk_cms_log_entry_get_note (entry), node_sha (f, 2)));
  g_assert_nonnull (strstr (bk_cms_log_entry_get_note (entry), "not the one you trusted"));
  g_assert_nonnull (strstr (bk_cluster_node_get_detail (find_node (bridge, node2)), "not the one you trusted"));
  g_assert_cmpint (bk_cluster_node_get_reachability (find_node (bridge, node2)), ==, BK_REACHABILITY_REACHABLE);
  /* The confirmed pin is saved: a changed certificate is a ticket, for
   * node 2 alone. */
  g_assert_cmpint (bk_ticket_get_kind (only_ticket (bridge)), ==, BK_TICKET_KIND_MEMBER_CERTIFICATE_CHANGED);

  /* Never once did a request to node 2 carry credentials. */
  g_assert_cmpuint (authenticated[2], ==, 0);
  g_assert_cmpuint (bk_sim_cluster_get_request_count (f->sim, 2, NULL, NULL), >=, 5);
  bk_sim_cluster_set_request_hook (f->sim, NULL, NULL, NULL);
}

static BkCmsProbe *
probe_member (BkBridge   *bridge,
              const char *member_id,
              GError    **error)
{
  GAsyncResult *res = NULL;
  BkCmsProbe *probe;

  bk_bridge_probe_member_async (bridge, member_id, NULL, onb_result_cb, &res);
  probe = bk_bridge_probe_member_finish (bridge, onb_wait (&res), error);
  g_object_unref (res);
  return probe;
}

static void
bridge_ready (BkBridge *bridge)
{
  GAsyncResult *res = NULL;
  g_autoptr(GError) error = NULL;

  bk_bridge_ready_async (bridge, NULL, onb_result_cb, &res);
  g_assert_true (bk_bridge_ready_finish (bridge, onb_wait (&res), &error));
  g_assert_no_error (error);
  g_object_unref (res);
}

/* The node of @member_id in a failover chain (the array keeps it). */
static BkFailoverNode *
chain_node (GPtrArray  *chain,
            const char *member_id)
{
  for (guint i = 0; i < chain->len; i++)
    {
      BkFailoverNode *n = g_ptr_array_index (chain, i);

      if (g_strcmp0 (n->member_id, member_id) == 0)
        return n;
    }
  g_assert_not_reached ();
}

static GError *
status_of (BkCmsClient *client)
{
  GAsyncResult *res = NULL;
  GError *error = NULL;
  g_autoptr(BkCmsSystemStatus) status = NULL;

  bk_cms_client_get_system_status_async (client, NULL, onb_result_cb, &res);
  status = bk_cms_client_get_system_status_finish (client, onb_wait (&res), &error);
  g_object_unref (res);
  g_assert_true ((status != NULL) == (error == NULL));
  return error;
}

/* The defect: the certificate confirmed for a member other than the
 * alternate lasted for the session only, so after a restart a self-signed
 * third member was never used for failover. Its pin is saved with the
 * device: after a reload of the store, the chain gives it a client with
 * that pin; a changed certificate is refused (before any credential) and
 * becomes a ticket naming that member, and reviewing it re-pins only it. */
static void
test_member_pin_persists (OnbFixture    *f,
                          gconstpointer  data)
{
  BkDevice *device = onboard_with_alternate (f);
  g_autofree char *device_id = g_strdup (bk_device_get_id (device));
  g_autofree char *primary_pin = g_strdup (bk_device_get_certificate_pin (device));
  g_autofree char *alt_pin = g_strdup (bk_device_get_alternate_certificate_pin (device));
  g_autofree char *old_node2 = g_strdup (node_sha (f, 2));
  g_autofree char *label2 = NULL;
  const char *node1 = bk_sim_cluster_get_node_id (f->sim, 1);
  const char *node2 = bk_sim_cluster_get_node_id (f->sim, 2);
  g_autoptr(BkDeviceStore) store2 = NULL;
  g_autoptr(BkBridge) bridge2 = NULL;
  g_autoptr(GPtrArray) chain = NULL;
  g_autoptr(GError) error = NULL;
  guint authenticated[3] = { 0 };
  BkDevice *device2;
  BkFailoverNode *n;
  BkTicket *ticket;

  {
    g_autoptr(BkBridge) bridge = bk_bridge_new (device, f->store, f->secrets);
    g_autoptr(BkCmsProbe) probe = NULL;

    check_bridge (bridge);
    /* Self-signed, never confirmed: failover would skip it. */
    g_assert_cmpint (bk_bridge_get_member_trust (bridge, node2), ==, BK_MEMBER_TRUST_NOT_CONFIRMED);
    /* The primary's node and the alternate are not "other members". */
    g_assert_cmpint (bk_bridge_get_member_trust (bridge, node1), ==, BK_MEMBER_TRUST_NOT_IN_CHAIN);
    g_assert_cmpint (bk_bridge_get_member_trust (bridge, bk_sim_cluster_get_node_id (f->sim, 0)), ==,
                     BK_MEMBER_TRUST_NOT_IN_CHAIN);
    probe = probe_member (bridge, node1, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
    g_assert_null (probe);
    g_clear_error (&error);

    /* Confirm Certificate: fetched with no credentials, then trusted. */
    bk_sim_cluster_set_request_hook (f->sim, count_authenticated_cb, authenticated, NULL);
    probe = probe_member (bridge, node2, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (probe->peer_sha256, ==, old_node2);
    g_assert_cmpint (probe->certificate, ==, BK_CMS_PROBE_CERTIFICATE_UNTRUSTED);
    g_assert_cmpuint (authenticated[2], ==, 0);
    bk_bridge_trust_member_certificate (bridge, node2, probe->peer_sha256);
    g_assert_cmpint (bk_bridge_get_member_trust (bridge, node2), ==, BK_MEMBER_TRUST_TRUSTED);
    g_assert_cmpstr (bk_device_get_member_certificate_pin (device, node2), ==, old_node2);
    /* That member only. */
    g_assert_cmpstr (bk_device_get_certificate_pin (device), ==, primary_pin);
    g_assert_cmpstr (bk_device_get_alternate_certificate_pin (device), ==, alt_pin);
    g_assert_cmpstr (bk_device_get_member_certificate_pin (device, node1), ==, "");
    g_assert_true (bk_device_store_flush (f->store, &error));
    g_assert_no_error (error);
  }

  /* A restart: the store read again from its file. */
  store2 = bk_device_store_new (f->dir);
  g_assert_true (bk_device_store_load (store2, &error));
  g_assert_no_error (error);
  device2 = bk_device_store_lookup (store2, device_id);
  g_assert_nonnull (device2);
  g_assert_true (device2 != device);
  g_assert_cmpstr (bk_device_get_member_certificate_pin (device2, node2), ==, old_node2);
  g_assert_cmpuint (g_hash_table_size (bk_device_get_member_certificate_pins (device2)), ==, 1);

  bridge2 = bk_bridge_new (device2, store2, f->secrets);
  bridge_ready (bridge2);
  /* Trusted before any check: the pin says so. */
  g_assert_cmpint (bk_bridge_get_member_trust (bridge2, node2), ==, BK_MEMBER_TRUST_TRUSTED);
  chain = bk_bridge_dup_failover_chain (bridge2);
  g_assert_cmpuint (chain->len, ==, 3);
  n = chain_node (chain, node2);
  g_assert_nonnull (n->client);
  g_assert_null (n->skip_reason);
  g_assert_cmpstr (bk_cms_client_get_pin (n->client), ==, old_node2);
  g_assert_cmpstr (bk_cms_client_get_username (n->client), ==, BK_SIM_DEFAULT_USERNAME);
  /* And it works: node 2 answers the primary's user over that pin. */
  error = status_of (n->client);
  g_assert_no_error (error);
  g_assert_cmpuint (authenticated[2], ==, 1);
  g_clear_pointer (&chain, g_ptr_array_unref);

  check_bridge (bridge2);
  assert_no_tickets (bridge2);

  /* Node 2's certificate changes: the chain's client refuses it before
   * any credential is sent... */
  g_assert_true (bk_sim_cluster_replace_node_certificate (f->sim, 2, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (node_sha (f, 2), !=, old_node2);
  chain = bk_bridge_dup_failover_chain (bridge2);
  n = chain_node (chain, node2);
  error = status_of (n->client);
  g_assert_error (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_PIN_MISMATCH);
  g_assert_cmpstr (bk_cms_error_get_peer_sha256 (error), ==, node_sha (f, 2));
  g_clear_error (&error);
  g_assert_cmpuint (authenticated[2], ==, 1);
  g_clear_pointer (&chain, g_ptr_array_unref);

  /* ...and the check makes it a ticket naming node 2, whose action
   * reviews node 2's certificate. */
  check_bridge (bridge2);
  g_assert_cmpint (bk_bridge_get_member_trust (bridge2, node2), ==, BK_MEMBER_TRUST_CHANGED);
  ticket = only_ticket (bridge2);
  g_assert_cmpint (bk_ticket_get_kind (ticket), ==, BK_TICKET_KIND_MEMBER_CERTIFICATE_CHANGED);
  g_assert_cmpint (bk_ticket_get_severity (ticket), ==, BK_TICKET_SEVERITY_ERROR);
  label2 = bk_bridge_dup_member_label (bridge2, node2);
  g_assert_nonnull (strstr (bk_ticket_get_sentence (ticket), label2));
  g_assert_nonnull (strstr (bk_ticket_get_sentence (ticket), "has changed"));
  g_assert_cmpstr (bk_ticket_get_action_name (ticket), ==, BK_TICKET_ACTION_REVIEW_MEMBER_CERTIFICATE);
  g_assert_cmpstr (g_variant_get_string (bk_ticket_get_action_target (ticket), NULL), ==, node2);
  /* The pin stays until the person decides. */
  g_assert_cmpstr (bk_device_get_member_certificate_pin (device2, node2), ==, old_node2);

  /* Review Certificate: node 2 re-pinned, nothing else. */
  {
    g_autoptr(BkCmsProbe) probe = probe_member (bridge2, node2, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (probe->peer_sha256, ==, node_sha (f, 2));
    bk_bridge_trust_member_certificate (bridge2, node2, probe->peer_sha256);
  }
  assert_no_tickets (bridge2);
  g_assert_cmpstr (bk_device_get_member_certificate_pin (device2, node2), ==, node_sha (f, 2));
  g_assert_cmpstr (bk_device_get_certificate_pin (device2), ==, primary_pin);
  g_assert_cmpstr (bk_device_get_alternate_certificate_pin (device2), ==, alt_pin);
  chain = bk_bridge_dup_failover_chain (bridge2);
  error = status_of (chain_node (chain, node2)->client);
  g_assert_no_error (error);
  check_bridge (bridge2);
  assert_no_tickets (bridge2);
  bk_sim_cluster_set_request_hook (f->sim, NULL, NULL, NULL);
}

int
main (int    argc,
      char **argv)
{
  bk_test_init (&argc, &argv);

  g_test_add_func ("/cluster-trust/device-alternate-pin", test_device_alternate_pin);
  TRUST_ADD ("/cluster-trust/onboarding-per-node", test_onboarding_per_node);
  TRUST_ADD ("/cluster-trust/alternate-certificate-changed", test_alternate_certificate_changed);
  TRUST_ADD ("/cluster-trust/primary-repin-keeps-alternate", test_primary_repin_keeps_alternate);
  TRUST_ADD ("/cluster-trust/bridge-set-alternate", test_bridge_set_alternate);
  TRUST_ADD ("/cluster-trust/old-single-pin-file", test_old_single_pin_file);
  TRUST3_ADD ("/cluster-trust/other-members-probed", test_other_members_probed);
  TRUST3_ADD ("/cluster-trust/member-pin-persists", test_member_pin_persists);
  g_test_add_func ("/cluster-trust/shared-certificate", test_shared_certificate);

  return g_test_run ();
}
