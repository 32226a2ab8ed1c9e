/* bk-cms-private.h: internals shared by the files of src/cms
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bk-cms-error.h"
#include "bk-cms-log.h"
#include "bk-cms-records.h"

G_BEGIN_DECLS

/* Builds a BK_CMS_ERROR with the code's sentence; @detail (may be NULL) is
 * appended (CMS_FAILURE: the reason sentences; MALFORMED_REPLY: what was
 * wrong; SERVER_ERROR: the underlying error). */
GError *bk_cms_error_build        (BkCmsErrorCode        code,
                                   const char           *bridge,
                                   const char           *method,
                                   const char           *path,
                                   guint                 http_status,
                                   const char           *detail);
void    bk_cms_error_set_tls      (GError               *error,
                                   GTlsCertificate      *peer,
                                   const char           *peer_sha256,
                                   GTlsCertificateFlags  flags,
                                   const char           *pinned_sha256);
/* Takes @failures (from bk_cms_failure_details_decode). */
void    bk_cms_error_take_failures (GError              *error,
                                    GPtrArray           *failures);
/* Fills context fields (bridge, method, path, status) of an error built
 * elsewhere (e.g. a decoder's MALFORMED_REPLY) if they are unset, and
 * prefixes the bridge to the message. */
void    bk_cms_error_add_context  (GError               *error,
                                   const char           *bridge,
                                   const char           *method,
                                   const char           *path,
                                   guint                 http_status);

/* Frees a BkCmsFailure whose strings are owned. */
void    bk_cms_failure_free      (gpointer data);

/* Log entry construction (by the client). */
BkCmsLogEntry *bk_cms_log_entry_new (const char *bridge,
                                     const char *method,
                                     const char *path_and_query,
                                     const char *form_body,
                                     guint       attempt);
void           bk_cms_log_entry_finish (BkCmsLogEntry *entry,
                                        guint          status,
                                        GBytes        *response,
                                        const char    *location,
                                        const char    *failure);
void           bk_cms_log_entry_set_note (BkCmsLogEntry *entry,
                                          const char    *note);
void           bk_cms_log_append    (BkCmsLog      *log,
                                     BkCmsLogEntry *entry);

/* The process's default TLS database (bk-cms-tls.c): asks the backend's
 * system database, loaded once on a worker thread, so that making a TLS
 * connection does not read the whole trust store again on the main loop. */
#define BK_CMS_TYPE_TLS_DATABASE (bk_cms_tls_database_get_type ())
G_DECLARE_FINAL_TYPE (BkCmsTlsDatabase, bk_cms_tls_database, BK_CMS, TLS_DATABASE, GTlsDatabase)

/* Installs a BkCmsTlsDatabase as g_tls_backend_get_default_database()
 * (once per process; later calls do nothing) and starts reading the trust
 * store on a worker thread. */
void           bk_cms_tls_install_default_database (void);
/* TRUE once the trust store is read (or there is no TLS): a certificate
 * check then never waits for it on the main loop. */
gboolean       bk_cms_tls_is_ready                 (void);
/* Installs if needed; @callback is called on the thread-default main
 * context once the trust store is read (at the earliest in the next
 * iteration). Never fails. */
void           bk_cms_tls_ready_async              (GAsyncReadyCallback callback,
                                                    gpointer            user_data);

G_END_DECLS
