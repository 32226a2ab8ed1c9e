/* test-cms-tls.c: the default TLS database installed by the CMS client
 *
 * glib-networking 2.74's own default database reads the system's whole
 * trust store again for every new TLS connection, on the main loop
 * (bk-cms-tls.c). The client installs a database that reads it once, on a
 * worker thread, and asks the system database for every verdict: these
 * tests check that it is installed, that it loads without the main loop,
 * that a first request waits for it and succeeds (or is cancelled), and
 * that its verdicts are the system database's.
 *
 * The order matters: the first test is the process's first TLS client.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "bk-cms-private.h"
#include "bk-test-util.h"
#include "cms-test-util.h"

/* The TLS backend's own system database (not the process default, which is
 * ours once a client exists). */
static GTlsDatabase *
backend_system_database (void)
{
  GTlsBackend *backend = g_tls_backend_get_default ();
  GTlsBackendInterface *iface = G_TLS_BACKEND_GET_INTERFACE (backend);

  return iface->get_default_database ? iface->get_default_database (backend) : NULL;
}

/* The process's first HTTPS client: its first requests wait for the trust
 * store (if it is still being read) and then run; one cancelled meanwhile
 * ends cancelled. */
static void
test_first_requests (void)
{
  g_autoptr(BkSimCluster) sim = cms_test_sim_start ();
  g_autoptr(BkCmsClient) client = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) cancelled_res = NULL;
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(BkCmsSystemStatus) status = NULL;
  g_autoptr(BkCmsSystemStatus) none = NULL;
  g_autoptr(GError) error = NULL;

  client = cms_test_client_new (sim);
  g_test_message ("trust store read when the first request starts: %s",
                  bk_cms_tls_is_ready () ? "yes" : "no (the requests wait)");
  bk_cms_client_get_system_status_async (client, cancellable, cms_test_store_result_cb, &cancelled_res);
  bk_cms_client_get_system_status_async (client, NULL, cms_test_store_result_cb, &res);
  g_cancellable_cancel (cancellable);

  none = bk_cms_client_get_system_status_finish (client, cms_test_wait_result (&cancelled_res), &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  status = bk_cms_client_get_system_status_finish (client, cms_test_wait_result (&res), &error);
  g_assert_no_error (error);
  g_assert_nonnull (status);
  g_assert_true (bk_cms_tls_is_ready ());

  g_clear_object (&client);
  bk_sim_cluster_stop (sim);
  bk_test_spin (10);
}

/* Once an HTTPS client exists, the default database is ours, not
 * glib-networking's (which costs a trust store reading per connection), and
 * it is read without the main loop's help. */
static void
test_default_database (void)
{
  g_autoptr(BkCmsClient) client = bk_cms_client_new ("https://127.0.0.1:1", "admin", "x", NULL);
  g_autoptr(GTlsDatabase) database = g_tls_backend_get_default_database (g_tls_backend_get_default ());
  GType gnutls_database = g_type_from_name ("GTlsDatabaseGnutls");
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  g_assert_nonnull (database);
  g_assert_true (BK_CMS_IS_TLS_DATABASE (database));
  if (gnutls_database != 0)
    g_assert_false (G_TYPE_CHECK_INSTANCE_TYPE (database, gnutls_database));

  /* No main-loop iteration here: the worker thread reads the store. */
  while (!bk_cms_tls_is_ready () && g_get_monotonic_time () < deadline)
    g_usleep (1000);
  g_assert_true (bk_cms_tls_is_ready ());
}

/* A CA certificate of the system trust store valid for a day more. */
static GTlsCertificate *
find_system_root (void)
{
  static const char *bundles[] = {
    "/etc/ssl/certs/ca-certificates.crt",   /* Debian, Ubuntu */
    "/etc/pki/tls/certs/ca-bundle.crt",     /* Fedora */
    NULL
  };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);

  for (guint i = 0; bundles[i] != NULL; i++)
    {
      GList *certs = g_tls_certificate_list_new_from_file (bundles[i], NULL);
      GTlsCertificate *found = NULL;

      for (GList *l = certs; l != NULL && found == NULL; l = l->next)
        {
          g_autoptr(GDateTime) before = g_tls_certificate_get_not_valid_before (l->data);
          g_autoptr(GDateTime) after = g_tls_certificate_get_not_valid_after (l->data);

          if (before != NULL && after != NULL &&
              g_date_time_compare (before, now) < 0 && g_date_time_compare (after, tomorrow) > 0)
            found = g_object_ref (l->data);
        }
      g_list_free_full (certs, g_object_unref);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
assert_same_verdict (GTlsDatabase       *ours,
                     GTlsDatabase       *system,
                     GTlsCertificate    *cert,
                     GSocketConnectable *identity,
                     GTlsCertificateFlags expected)
{
  GTlsCertificateFlags from_ours, from_system;

  from_system = g_tls_database_verify_chain (system, cert, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                             identity, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, NULL);
  from_ours = g_tls_database_verify_chain (ours, cert, G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                           identity, NULL, G_TLS_DATABASE_VERIFY_NONE, NULL, NULL);
  g_assert_cmphex (from_ours, ==, from_system);
  g_assert_cmphex (from_ours, ==, expected);
}

/* Trusted, untrusted and wrong-name verdicts are the system database's. */
static void
test_same_verdicts (void)
{
  g_autoptr(BkCmsClient) client = bk_cms_client_new ("https://127.0.0.1:1", "admin", "x", NULL);
  g_autoptr(GTlsDatabase) ours = g_tls_backend_get_default_database (g_tls_backend_get_default ());
  g_autoptr(GTlsDatabase) system = backend_system_database ();
  g_autoptr(BkSimCluster) sim = cms_test_sim_start ();
  g_autoptr(GTlsCertificate) self_signed = NULL;
  g_autoptr(GTlsCertificate) root = find_system_root ();
  g_autoptr(GSocketConnectable) loopback = g_network_address_new ("127.0.0.1", 443);
  g_autoptr(GSocketConnectable) other_name = g_network_address_new ("bridge.invalid", 443);
  g_autoptr(GError) error = NULL;

  g_assert_true (BK_CMS_IS_TLS_DATABASE (ours));
  if (system == NULL)
    {
      g_test_skip ("The TLS backend has no system database");
      return;
    }

  /* The simulator's self-signed certificate: unknown CA, right name. */
  self_signed = g_tls_certificate_new_from_pem (bk_sim_cluster_get_certificate_pem (sim), -1, &error);
  g_assert_no_error (error);
  assert_same_verdict (ours, system, self_signed, loopback, G_TLS_CERTIFICATE_UNKNOWN_CA);
  assert_same_verdict (ours, system, self_signed, other_name,
                       G_TLS_CERTIFICATE_UNKNOWN_CA | G_TLS_CERTIFICATE_BAD_IDENTITY);

  /* A root of the system trust store: trusted; by another name, not. */
  if (root == NULL)
    {
      g_test_message ("no system CA bundle found: trusted verdict not checked");
    }
  else
    {
      assert_same_verdict (ours, system, root, NULL, 0);
      assert_same_verdict (ours, system, root, other_name, G_TLS_CERTIFICATE_BAD_IDENTITY);
    }

  /* Lookups are answered by the system database too. */
  if (root != NULL)
    {
      g_autofree char *handle = g_tls_database_create_certificate_handle (ours, root);
      g_autofree char *system_handle = g_tls_database_create_certificate_handle (system, root);

      g_assert_cmpstr (handle, ==, system_handle);
    }

  bk_sim_cluster_stop (sim);
  bk_test_spin (10);
}

int
main (int   argc,
      char *argv[])
{
  bk_test_init (&argc, &argv);

  /* First: the process's first HTTPS client. */
  g_test_add_func ("/cms/tls/first-requests", test_first_requests);
  g_test_add_func ("/cms/tls/default-database", test_default_database);
  g_test_add_func ("/cms/tls/same-verdicts", test_same_verdicts);

  return g_test_run ();
}
