/* bk-cms-log.h: the request log of the CMS client
 *
 * BkCmsLog is a GListModel of BkCmsLogEntry, oldest first, bounded (a ring:
 * when full, the oldest entry is dropped; items-changed reports both). One
 * entry per HTTP attempt, so retries are visible. Request fields named
 * passcode, password or secret (or ending in Passcode, Password, Secret) are masked as
 * "*****" in the request body and query, and <passcode>, <password>,
 * <secret> elements in stored reply excerpts are masked too. Headers are
 * never stored, so Authorization never reaches the log.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BK_CMS_LOG_DEFAULT_CAPACITY 2000

#define BK_CMS_TYPE_LOG_ENTRY (bk_cms_log_entry_get_type ())
G_DECLARE_FINAL_TYPE (BkCmsLogEntry, bk_cms_log_entry, BK_CMS, LOG_ENTRY, GObject)

#define BK_CMS_TYPE_LOG (bk_cms_log_get_type ())
G_DECLARE_FINAL_TYPE (BkCmsLog, bk_cms_log, BK_CMS, LOG, GObject)

/* Entry: all read-only. */
guint64      bk_cms_log_entry_get_serial         (BkCmsLogEntry *self);  /* "API trace N" */
GDateTime   *bk_cms_log_entry_get_time           (BkCmsLogEntry *self);  /* start, UTC */
const char  *bk_cms_log_entry_get_bridge         (BkCmsLogEntry *self);  /* host:port */
const char  *bk_cms_log_entry_get_method         (BkCmsLogEntry *self);
const char  *bk_cms_log_entry_get_path           (BkCmsLogEntry *self);  /* with /api/v1 and masked query */
guint        bk_cms_log_entry_get_status         (BkCmsLogEntry *self);  /* 0: no HTTP answer */
gint64       bk_cms_log_entry_get_duration_us    (BkCmsLogEntry *self);
gsize        bk_cms_log_entry_get_request_bytes  (BkCmsLogEntry *self);
gsize        bk_cms_log_entry_get_response_bytes (BkCmsLogEntry *self);
const char  *bk_cms_log_entry_get_request_body   (BkCmsLogEntry *self);  /* masked form body, or NULL */
const char  *bk_cms_log_entry_get_response_excerpt (BkCmsLogEntry *self); /* masked, first 4 KiB, or NULL */
const char  *bk_cms_log_entry_get_location       (BkCmsLogEntry *self);  /* POST Location, or NULL */
const char  *bk_cms_log_entry_get_failure        (BkCmsLogEntry *self);  /* why it failed, or NULL */
/* What the request checked, when that is not what its status says (a
 * reachability probe sent without credentials, whose 401 is the expected
 * answer), translated; NULL for ordinary requests. */
const char  *bk_cms_log_entry_get_note           (BkCmsLogEntry *self);
guint        bk_cms_log_entry_get_attempt        (BkCmsLogEntry *self);  /* 1 = first try */

BkCmsLog    *bk_cms_log_new                      (guint          capacity);
guint        bk_cms_log_get_capacity             (BkCmsLog      *self);
void         bk_cms_log_clear                    (BkCmsLog      *self);
/* Exports the entries in the CMS "API trace" format:
 *   Jul 26 14:08:23 user.info <bridge> host:server: INFO : API trace 8889: GET for "/api/v1/system/status" (from bridgekeeper)
 *   ... API trace 8889: sending 200 response, size 518
 * POST/PUT bodies are printed one field a line after
 * "content data size N, type "application/x-www-form-urlencoded":". */
char        *bk_cms_log_export_trace             (BkCmsLog      *self);
/* Writes the export to @file off the main thread (replacing it, readable
 * by the user only). */
void         bk_cms_log_export_trace_to_file_async  (BkCmsLog            *self,
                                                     GFile               *file,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean     bk_cms_log_export_trace_to_file_finish (BkCmsLog            *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* Masks passcode/password/secret values in a form-urlencoded string
 * (returns a new string). Exposed for tests and for other layers. */
char        *bk_cms_mask_form                    (const char    *form);
/* Masks <passcode>, <password>, <secret> element contents in XML text. */
char        *bk_cms_mask_xml                     (const char    *xml,
                                                  gssize         len);

G_END_DECLS
