/* bk-cms-client.h: asynchronous client for one CMS API endpoint
 *
 * One BkCmsClient per bridge endpoint (base URL such as
 * "https://10.0.0.5:445", no /api/v1). All requests share one SoupSession
 * (keep-alive, at most "max-connections" parallel connections) and must be
 * made from the thread whose thread-default main context was current when
 * the client was created.
 *
 * Authentication is pre-emptive HTTP Basic: no round trip is spent on a 401
 * challenge. Parameters are sent form-urlencoded (POST/PUT body) or in the
 * query (GET/DELETE).
 *
 * Retries: GET, PUT and DELETE are retried on 503, connection reset and
 * timeout, up to max-attempts tries with exponential backoff (base delay,
 * doubled each time, capped, with jitter: a random 50..100 % of the step).
 * A DELETE that is retried after a reset or timeout and then gets "not
 * found" counts as done (the first try did it). 429 is treated like 503. A
 * failed TLS handshake (other than an untrusted certificate) is not retried. POST is never retried after it may have reached the bridge: a reset or
 * timeout then gives BK_CMS_ERROR_OUTCOME_UNKNOWN (list to verify). A 503 on
 * POST is retried like the others, because a 503 means the bridge did not act
 * on the request.
 *
 * Cancellation always gives G_IO_ERROR_CANCELLED (never a BK_CMS_ERROR code).
 *
 * TLS: the system trust store decides first. An untrusted certificate is
 * accepted only if its SHA-256 equals the pin (lowercase hex over DER, no
 * colons, as `openssl x509 -noout -fingerprint -sha256` without colons);
 * without a pin the request fails with BK_CMS_ERROR_TLS_UNTRUSTED (so the UI
 * can ask the person, then bk_cms_client_set_pin() and retry), with a
 * different pin it fails with BK_CMS_ERROR_TLS_PIN_MISMATCH.
 *
 * The first HTTPS client of the process installs a default GTlsDatabase
 * (g_tls_backend_set_default_database()) that answers with the TLS
 * backend's own system database, read once on a worker thread: with
 * glib-networking's own default, every new TLS connection read the whole
 * trust store again on the main loop (10-40 ms). Until that first reading
 * is done, HTTPS requests wait for it (asynchronously; cancellable).
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bk-cms-error.h"
#include "bk-cms-log.h"
#include "bk-cms-records.h"

G_BEGIN_DECLS

#define BK_CMS_CLIENT_DEFAULT_TIMEOUT_MS      15000
#define BK_CMS_CLIENT_DEFAULT_MAX_CONNECTIONS 6
#define BK_CMS_CLIENT_DEFAULT_MAX_ATTEMPTS    3
#define BK_CMS_CLIENT_DEFAULT_BASE_DELAY_MS   200
#define BK_CMS_CLIENT_DEFAULT_MAX_DELAY_MS    2000
/* The limit the pager asks for; the bridge answers with min(limit, its cap). */
#define BK_CMS_CLIENT_PAGE_LIMIT              1000

/* The answer to a request that succeeded (2xx). */
typedef struct
{
  guint   status;
  char   *location;   /* POST: the Location header, or NULL */
  char   *id;         /* POST: last path segment of Location, or NULL */
  GBytes *body;       /* never NULL (may be empty) */
} BkCmsReply;

#define BK_CMS_TYPE_REPLY (bk_cms_reply_get_type ())
GType       bk_cms_reply_get_type (void) G_GNUC_CONST;
BkCmsReply *bk_cms_reply_copy     (const BkCmsReply *reply);
void        bk_cms_reply_free     (BkCmsReply       *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BkCmsReply, bk_cms_reply_free)

/* Called on the client's main context after every page of a collection
 * fetch: @fetched distinct objects so far, @total as last reported. */
typedef void (*BkCmsProgressFunc) (guint    fetched,
                                   guint    total,
                                   gpointer user_data);

#define BK_CMS_TYPE_CLIENT (bk_cms_client_get_type ())
G_DECLARE_FINAL_TYPE (BkCmsClient, bk_cms_client, BK_CMS, CLIENT, GObject)

/* @pin_sha256 may be NULL. */
BkCmsClient *bk_cms_client_new                 (const char   *base_url,
                                                const char   *username,
                                                const char   *password,
                                                const char   *pin_sha256);
/* @max_connections: parallel connections to this bridge (also the pager's
 * number of pages in flight); 0 = default. */
BkCmsClient *bk_cms_client_new_full            (const char   *base_url,
                                                const char   *username,
                                                const char   *password,
                                                const char   *pin_sha256,
                                                guint         max_connections);

const char  *bk_cms_client_get_base_url        (BkCmsClient  *self);
/* "host:port", used in messages. */
const char  *bk_cms_client_get_bridge          (BkCmsClient  *self);
const char  *bk_cms_client_get_username        (BkCmsClient  *self);
void         bk_cms_client_set_credentials     (BkCmsClient  *self,
                                                const char   *username,
                                                const char   *password);
const char  *bk_cms_client_get_pin             (BkCmsClient  *self);
/* Accept exactly this certificate from now on (NULL: system trust only).
 * Connections opened under another pin are closed. */
void         bk_cms_client_set_pin             (BkCmsClient  *self,
                                                const char   *pin_sha256);
guint        bk_cms_client_get_max_connections (BkCmsClient  *self);
/* Per attempt, covers connect + TLS + request + reply. 0 = no timeout. */
void         bk_cms_client_set_timeout         (BkCmsClient  *self,
                                                guint         timeout_ms);
guint        bk_cms_client_get_timeout         (BkCmsClient  *self);
void         bk_cms_client_set_retry_policy    (BkCmsClient  *self,
                                                guint         max_attempts,
                                                guint         base_delay_ms,
                                                guint         max_delay_ms);
BkCmsLog    *bk_cms_client_get_log             (BkCmsClient  *self);
/* Share one log between clients (NULL: a new private log). */
void         bk_cms_client_set_log             (BkCmsClient  *self,
                                                BkCmsLog     *log);

/* Generic request. @method: "GET", "POST", "PUT" or "DELETE". @path is
 * relative to /api/v1 ("/coSpaces/ID" or "coSpaces/ID"). @params is a
 * NULL-terminated key, value, key, value, ... array (may be NULL); values
 * may be "" (PUT: unset a field). */
void         bk_cms_client_request_async       (BkCmsClient         *self,
                                                const char          *method,
                                                const char          *path,
                                                const char * const  *params,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
BkCmsReply  *bk_cms_client_request_finish      (BkCmsClient         *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* GET one object and decode it as @kind; finish returns the record (free it
 * with bk_cms_kind_get_free_func (kind) or its typed _free). */
void         bk_cms_client_get_async           (BkCmsClient         *self,
                                                BkCmsKind            kind,
                                                const char          *path,
                                                const char * const  *params,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gpointer     bk_cms_client_get_finish          (BkCmsClient         *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* Fetch a whole collection: asks for limit=1000, learns the bridge's page
 * size from the first reply, fetches the other pages concurrently (up to
 * max-connections in flight; consecutive pages overlap by one object),
 * re-reads total on every page and de-duplicates by id. When objects were
 * added or removed while paging (neighbouring pages do not overlap, or the
 * list grew past the last page) it re-reads the affected stretch and the
 * tail until stable (bounded). Every object that existed during the whole
 * fetch is returned exactly once; objects added or removed meanwhile may or
 * may not be. @params are filters (filter, coSpaceFilter, callLegProfileFilter,
 * tenantFilter, ...). Finish returns a GPtrArray of records in list order
 * (it frees its elements). */
void         bk_cms_client_list_async          (BkCmsClient         *self,
                                                BkCmsKind            kind,
                                                const char          *path,
                                                const char * const  *params,
                                                BkCmsProgressFunc    progress,
                                                gpointer             progress_data,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
GPtrArray   *bk_cms_client_list_finish         (BkCmsClient         *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* POST @params to @path; finish returns the new object's id (from Location). */
void         bk_cms_client_create_async        (BkCmsClient         *self,
                                                const char          *path,
                                                const char * const  *params,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
char        *bk_cms_client_create_finish       (BkCmsClient         *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* PUT @params to @path. */
void         bk_cms_client_update_async        (BkCmsClient         *self,
                                                const char          *path,
                                                const char * const  *params,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean     bk_cms_client_update_finish       (BkCmsClient         *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* DELETE @path ("/coSpaces/ID"). */
void         bk_cms_client_delete_async        (BkCmsClient         *self,
                                                const char          *path,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean     bk_cms_client_delete_finish       (BkCmsClient         *self,
                                                GAsyncResult        *result,
                                                GError             **error);

/* What a reachability probe learnt of the node's certificate. */
typedef enum
{
  BK_CMS_PROBE_CERTIFICATE_NONE,       /* plain HTTP: no certificate */
  BK_CMS_PROBE_CERTIFICATE_TRUSTED,    /* the system trusts it, or it is the client's pin */
  BK_CMS_PROBE_CERTIFICATE_UNTRUSTED,  /* not trusted, and the client has no pin */
  BK_CMS_PROBE_CERTIFICATE_NOT_PINNED, /* not the client's pin */
} BkCmsProbeCertificate;

typedef struct
{
  guint                  status;       /* the node's HTTP answer (401 without credentials) */
  BkCmsProbeCertificate  certificate;
  char                  *peer_sha256;  /* the certificate it showed; NULL over plain HTTP */
} BkCmsProbe;

void        bk_cms_probe_free (BkCmsProbe *probe);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BkCmsProbe, bk_cms_probe_free)

/* Whether a node's web admin answers, for a node Bridgekeeper has no user
 * or no trusted certificate for: GET /api/v1/system/status sent with no
 * credentials at all (no Authorization header, whatever this client's
 * user), one try, on a connection of its own that is closed after the
 * answer, and whatever certificate the node shows (nothing secret is sent
 * and nothing in the answer is used). Any HTTP answer, normally 401, means
 * the node answers: finish gives it. No answer fails with UNREACHABLE,
 * TIMEOUT or SERVER_ERROR (no TLS on that port, a reset). Logged as one
 * entry whose note (bk_cms_log_entry_get_note()) says what was checked;
 * an answer is not a failure there. */
void        bk_cms_client_probe_async         (BkCmsClient         *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
BkCmsProbe *bk_cms_client_probe_finish        (BkCmsClient         *self,
                                               GAsyncResult        *result,
                                               GError             **error);

/* Typed conveniences. Each _finish below is the matching generic finish
 * (get/list/create/update), typed. */
void                bk_cms_client_get_system_status_async   (BkCmsClient *self, GCancellable *cancellable,
                                                             GAsyncReadyCallback callback, gpointer user_data);
BkCmsSystemStatus  *bk_cms_client_get_system_status_finish  (BkCmsClient *self, GAsyncResult *result, GError **error);

/* GET /system/configuration/cluster (uniqueName says which /callBridges entry is this node). */
void                bk_cms_client_get_cluster_config_async  (BkCmsClient *self, GCancellable *cancellable,
                                                             GAsyncReadyCallback callback, gpointer user_data);
BkCmsClusterConfig *bk_cms_client_get_cluster_config_finish (BkCmsClient *self, GAsyncResult *result, GError **error);

void                bk_cms_client_list_call_bridges_async   (BkCmsClient *self, GCancellable *cancellable,
                                                             GAsyncReadyCallback callback, gpointer user_data);
GPtrArray          *bk_cms_client_list_call_bridges_finish  (BkCmsClient *self, GAsyncResult *result, GError **error);

void                bk_cms_client_get_call_bridge_async     (BkCmsClient *self, const char *id, GCancellable *cancellable,
                                                             GAsyncReadyCallback callback, gpointer user_data);
BkCmsCallBridge    *bk_cms_client_get_call_bridge_finish    (BkCmsClient *self, GAsyncResult *result, GError **error);

void                bk_cms_client_list_alarms_async         (BkCmsClient *self, GCancellable *cancellable,
                                                             GAsyncReadyCallback callback, gpointer user_data);
GPtrArray          *bk_cms_client_list_alarms_finish        (BkCmsClient *self, GAsyncResult *result, GError **error);

/* @filter (CMS free-text filter) may be NULL; @extra_params more filters. */
void                bk_cms_client_list_cospaces_async       (BkCmsClient *self, const char *filter,
                                                             const char * const *extra_params,
                                                             BkCmsProgressFunc progress, gpointer progress_data,
                                                             GCancellable *cancellable,
                                                             GAsyncReadyCallback callback, gpointer user_data);
GPtrArray          *bk_cms_client_list_cospaces_finish      (BkCmsClient *self, GAsyncResult *result, GError **error);

void                bk_cms_client_get_cospace_async         (BkCmsClient *self, const char *id, GCancellable *cancellable,
                                                             GAsyncReadyCallback callback, gpointer user_data);
BkCmsCoSpace       *bk_cms_client_get_cospace_finish        (BkCmsClient *self, GAsyncResult *result, GError **error);

/* POST /callProfiles, /callLegProfiles, /cospaceBulkParameterSets: finish
 * with bk_cms_client_create_finish() (the new id). */
void                bk_cms_client_create_call_profile_async       (BkCmsClient *self, const char * const *params,
                                                                   GCancellable *cancellable,
                                                                   GAsyncReadyCallback callback, gpointer user_data);
void                bk_cms_client_create_call_leg_profile_async   (BkCmsClient *self, const char * const *params,
                                                                   GCancellable *cancellable,
                                                                   GAsyncReadyCallback callback, gpointer user_data);
void                bk_cms_client_create_bulk_parameter_set_async (BkCmsClient *self, const char * const *params,
                                                                   GCancellable *cancellable,
                                                                   GAsyncReadyCallback callback, gpointer user_data);
/* PUT /cospaceBulkParameterSets/<id>: finish with bk_cms_client_update_finish(). */
void                bk_cms_client_update_bulk_parameter_set_async (BkCmsClient *self, const char *id,
                                                                   const char * const *params,
                                                                   GCancellable *cancellable,
                                                                   GAsyncReadyCallback callback, gpointer user_data);
/* POST /cospaceBulkSyncs cospaceBulkParameterSet=<id> [removeAll=true]:
 * finish with bk_cms_client_create_finish(). */
void                bk_cms_client_create_bulk_sync_async          (BkCmsClient *self, const char *parameter_set_id,
                                                                   gboolean remove_all, GCancellable *cancellable,
                                                                   GAsyncReadyCallback callback, gpointer user_data);
void                bk_cms_client_get_bulk_sync_async             (BkCmsClient *self, const char *id,
                                                                   GCancellable *cancellable,
                                                                   GAsyncReadyCallback callback, gpointer user_data);
BkCmsBulkSync      *bk_cms_client_get_bulk_sync_finish            (BkCmsClient *self, GAsyncResult *result, GError **error);

G_END_DECLS
