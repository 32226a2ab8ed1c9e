/* bk-cms-tls.c: a default TLS database that reads the trust store once
 *
 * glib-networking 2.74 (GnuTLS, Debian 12) builds a new GnuTLS trust list
 * from the system's whole trust store for every TLS connection whose
 * database is its own system database (the default): the connection's
 * g_initable_init() calls g_tls_database_gnutls_get_credentials(), which
 * parses every CA certificate again. libsoup 3.2 creates its client
 * connections with g_initable_new() on the session's thread, without a way
 * to pass another database, so every new HTTPS connection to a bridge
 * stalled the main loop for 10-15 ms, and the first one of the process for
 * 30-40 ms (it also loads the database).
 *
 * When the database is not glib-networking's own, its connections take
 * empty GnuTLS credentials and check the peer's chain with
 * g_tls_database_verify_chain() in the handshake thread. BkCmsTlsDatabase
 * is installed as the process's default database (before the first HTTPS
 * client is used) and answers every question by asking the TLS backend's
 * own system database, which it loads once, on a worker thread. Trust
 * decisions stay the system's: the same anchors, the same chain, validity
 * and identity checks. What GnuTLS checks only inside a session (a stapled
 * OCSP reply) is not checked; no CMS bridge staples OCSP.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkCmsTls"

#include "config.h"

#include "bk-cms-private.h"

struct _BkCmsTlsDatabase
{
  GTlsDatabase  parent_instance;

  GMutex        mutex;
  gboolean      loaded;
  GTlsDatabase *system;        /* the backend's own; NULL if it has none */
};

G_DEFINE_FINAL_TYPE (BkCmsTlsDatabase, bk_cms_tls_database, G_TYPE_TLS_DATABASE)

/* The backend's system database, loaded on first use (any thread). */
static GTlsDatabase *
dup_system_database (BkCmsTlsDatabase *self)
{
  GTlsDatabase *system;

  g_mutex_lock (&self->mutex);
  if (!self->loaded)
    {
      GTlsBackend *backend = g_tls_backend_get_default ();
      GTlsBackendInterface *iface = G_TLS_BACKEND_GET_INTERFACE (backend);

      /* Ask the backend itself: g_tls_backend_get_default_database() now
       * answers with this very database. */
      if (iface->get_default_database != NULL)
        self->system = iface->get_default_database (backend);
      if (self->system == NULL)
        g_debug ("The TLS backend has no system database: no certificate is trusted without a pin");
      self->loaded = TRUE;
    }
  system = self->system != NULL ? g_object_ref (self->system) : NULL;
  g_mutex_unlock (&self->mutex);
  return system;
}

static GTlsCertificateFlags
bk_cms_tls_database_verify_chain (GTlsDatabase             *database,
                                  GTlsCertificate          *chain,
                                  const char               *purpose,
                                  GSocketConnectable       *identity,
                                  GTlsInteraction          *interaction,
                                  GTlsDatabaseVerifyFlags   flags,
                                  GCancellable             *cancellable,
                                  GError                  **error)
{
  g_autoptr(GTlsDatabase) system = dup_system_database (BK_CMS_TLS_DATABASE (database));

  if (system == NULL)
    {
      /* As glib-networking does without a database: nothing is trusted,
       * the identity and the dates are still checked. */
      return G_TLS_CERTIFICATE_UNKNOWN_CA | g_tls_certificate_verify (chain, identity, NULL);
    }
  return g_tls_database_verify_chain (system, chain, purpose, identity, interaction, flags,
                                      cancellable, error);
}

static char *
bk_cms_tls_database_create_certificate_handle (GTlsDatabase    *database,
                                               GTlsCertificate *certificate)
{
  g_autoptr(GTlsDatabase) system = dup_system_database (BK_CMS_TLS_DATABASE (database));

  return system ? g_tls_database_create_certificate_handle (system, certificate) : NULL;
}

static GTlsCertificate *
bk_cms_tls_database_lookup_certificate_for_handle (GTlsDatabase             *database,
                                                   const char               *handle,
                                                   GTlsInteraction          *interaction,
                                                   GTlsDatabaseLookupFlags   flags,
                                                   GCancellable             *cancellable,
                                                   GError                  **error)
{
  g_autoptr(GTlsDatabase) system = dup_system_database (BK_CMS_TLS_DATABASE (database));

  if (system == NULL)
    return NULL;
  return g_tls_database_lookup_certificate_for_handle (system, handle, interaction, flags,
                                                       cancellable, error);
}

static GTlsCertificate *
bk_cms_tls_database_lookup_certificate_issuer (GTlsDatabase             *database,
                                               GTlsCertificate          *certificate,
                                               GTlsInteraction          *interaction,
                                               GTlsDatabaseLookupFlags   flags,
                                               GCancellable             *cancellable,
                                               GError                  **error)
{
  g_autoptr(GTlsDatabase) system = dup_system_database (BK_CMS_TLS_DATABASE (database));

  if (system == NULL)
    return NULL;
  return g_tls_database_lookup_certificate_issuer (system, certificate, interaction, flags,
                                                   cancellable, error);
}

static GList *
bk_cms_tls_database_lookup_certificates_issued_by (GTlsDatabase             *database,
                                                   GByteArray               *issuer_raw_dn,
                                                   GTlsInteraction          *interaction,
                                                   GTlsDatabaseLookupFlags   flags,
                                                   GCancellable             *cancellable,
                                                   GError                  **error)
{
  g_autoptr(GTlsDatabase) system = dup_system_database (BK_CMS_TLS_DATABASE (database));

  if (system == NULL)
    return NULL;
  return g_tls_database_lookup_certificates_issued_by (system, issuer_raw_dn, interaction, flags,
                                                       cancellable, error);
}

static void
bk_cms_tls_database_finalize (GObject *object)
{
  BkCmsTlsDatabase *self = BK_CMS_TLS_DATABASE (object);

  g_clear_object (&self->system);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (bk_cms_tls_database_parent_class)->finalize (object);
}

static void
bk_cms_tls_database_class_init (BkCmsTlsDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GTlsDatabaseClass *database_class = G_TLS_DATABASE_CLASS (klass);

  object_class->finalize = bk_cms_tls_database_finalize;

  /* GTlsDatabase's own async variants run these in a worker thread. */
  database_class->verify_chain = bk_cms_tls_database_verify_chain;
  database_class->create_certificate_handle = bk_cms_tls_database_create_certificate_handle;
  database_class->lookup_certificate_for_handle = bk_cms_tls_database_lookup_certificate_for_handle;
  database_class->lookup_certificate_issuer = bk_cms_tls_database_lookup_certificate_issuer;
  database_class->lookup_certificates_issued_by = bk_cms_tls_database_lookup_certificates_issued_by;
}

static void
bk_cms_tls_database_init (BkCmsTlsDatabase *self)
{
  g_mutex_init (&self->mutex);
}

/* Loading state of the process's database (there is one). */
static GMutex     ready_mutex;
static gboolean   ready;        /* loaded, or nothing to load */
static GPtrArray *waiting;      /* GTask* of bk_cms_tls_ready_async() */

static void
set_ready (void)
{
  g_autoptr(GPtrArray) tasks = NULL;

  g_mutex_lock (&ready_mutex);
  ready = TRUE;
  tasks = g_steal_pointer (&waiting);
  g_mutex_unlock (&ready_mutex);

  /* Each callback runs on its own task's main context. */
  for (guint i = 0; tasks != NULL && i < tasks->len; i++)
    g_task_return_boolean (g_ptr_array_index (tasks, i), TRUE);
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  g_autoptr(GTlsDatabase) system = dup_system_database (BK_CMS_TLS_DATABASE (source_object));

  set_ready ();
  g_task_return_boolean (task, TRUE);
}

void
bk_cms_tls_install_default_database (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      GTlsBackend *backend = g_tls_backend_get_default ();

      if (g_tls_backend_supports_tls (backend))
        {
          g_autoptr(BkCmsTlsDatabase) database = g_object_new (BK_CMS_TYPE_TLS_DATABASE, NULL);
          g_autoptr(GTask) task = NULL;

          g_tls_backend_set_default_database (backend, G_TLS_DATABASE (database));
          /* Read the trust store now, away from the main loop. */
          task = g_task_new (database, NULL, NULL, NULL);
          g_task_set_source_tag (task, bk_cms_tls_install_default_database);
          g_task_run_in_thread (task, load_in_thread);
        }
      else
        set_ready ();
      g_once_init_leave (&installed, 1);
    }
}

gboolean
bk_cms_tls_is_ready (void)
{
  gboolean is_ready;

  g_mutex_lock (&ready_mutex);
  is_ready = ready;
  g_mutex_unlock (&ready_mutex);
  return is_ready;
}

void
bk_cms_tls_ready_async (GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, callback, user_data);

  g_task_set_source_tag (task, bk_cms_tls_ready_async);
  bk_cms_tls_install_default_database ();

  g_mutex_lock (&ready_mutex);
  if (!ready)
    {
      if (waiting == NULL)
        waiting = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (waiting, g_steal_pointer (&task));
    }
  g_mutex_unlock (&ready_mutex);

  if (task != NULL)
    g_task_return_boolean (task, TRUE);
}
