/* bk-sim.h: public C API of the Cisco Meeting Server simulator (bksim)
 *
 * A BkSimCluster runs N simulated CMS call bridges on loopback ports. They
 * share one configuration database (coSpaces, profiles, bulk parameter sets,
 * alarms) while calls and call legs live on the node that created them, as in
 * a real CMS cluster. Everything runs on the thread-default main context of
 * the thread that calls bk_sim_cluster_start(); no threads are created.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <gio/gio.h>

G_BEGIN_DECLS

/* Demo credentials used when none are set. */
#define BK_SIM_DEFAULT_USERNAME "admin"
#define BK_SIM_DEFAULT_PASSWORD "bridgekeeper-demo"

/* The demo cluster's second node has an API user of its own, as the nodes
 * of a real cluster may (MMP users are local to each node). */
#define BK_SIM_DEMO_NODE2_USERNAME "cb2-api"
#define BK_SIM_DEMO_NODE2_PASSWORD "bridgekeeper-demo-2"

/* Indexes a bulk sync makes (or removes) per second, beyond half its
 * configured delay: a larger range takes longer, as on CMS. */
#define BK_SIM_DEFAULT_BULK_SYNC_RATE 5000

/* Default server-side cap on the number of items in one collection page. */
#define BK_SIM_DEFAULT_PAGE_CAP 10

/* A bulk sync whose range (endIndex - startIndex + 1) is larger than this
 * fails with failedIndexRangeTooGreat. */
#define BK_SIM_BULK_SYNC_MAX_RANGE 100000

typedef enum
{
  BK_SIM_FAULT_HTTP_503,        /* 503 Service Unavailable, empty body */
  BK_SIM_FAULT_HTTP_500,        /* 500 Internal Server Error, empty body */
  BK_SIM_FAULT_RESET,           /* connection closed without any answer */
  BK_SIM_FAULT_NO_ANSWER,       /* request held until the node stops/goes down */
  BK_SIM_FAULT_TRUNCATED_XML,   /* request is processed, reply body cut short */
  BK_SIM_FAULT_MALFORMED_XML,   /* request is processed, reply body is not XML */
  BK_SIM_FAULT_RESET_AFTER_EFFECT, /* request is processed (it takes effect),
                                    * then the connection is closed before the
                                    * reply: the client cannot know it did */
} BkSimFault;

#define BK_TYPE_SIM_CLUSTER (bk_sim_cluster_get_type ())
G_DECLARE_FINAL_TYPE (BkSimCluster, bk_sim_cluster, BK, SIM_CLUSTER, GObject)

/* Called for every /api/v1 request after authentication and fault
 * injection, just before the simulator computes the answer: tests may mutate
 * the data here (e.g. add a coSpace between two pages). @path is the request
 * path as sent (with /api/v1), @query the raw query string or NULL. */
typedef void (*BkSimRequestHook) (BkSimCluster *self,
                                  guint         node,
                                  const char   *method,
                                  const char   *path,
                                  const char   *query,
                                  gpointer      user_data);

/* Construction and configuration (set_* before start unless noted) */
BkSimCluster *bk_sim_cluster_new                    (guint          n_nodes);
void          bk_sim_cluster_set_tls                (BkSimCluster  *self,
                                                     gboolean       tls);
/* Use this certificate/key (PEM files) instead of a generated one: served
 * by every node that has no certificate of its own. */
gboolean      bk_sim_cluster_set_certificate_files  (BkSimCluster  *self,
                                                     const char    *cert_file,
                                                     const char    *key_file,
                                                     GError       **error);
/* TRUE: every node serves a self-signed certificate of its own (a different
 * SHA-256), as the nodes of a real cluster do. Node 0 serves the cluster's;
 * node i > 0 one generated once and cached per index. Default FALSE (one
 * certificate for all). Before start. */
void          bk_sim_cluster_set_per_node_certificates (BkSimCluster *self,
                                                     gboolean       per_node);
/* Node @node serves this certificate/key (PEM files). Before start. */
gboolean      bk_sim_cluster_set_node_certificate_files (BkSimCluster *self,
                                                     guint          node,
                                                     const char    *cert_file,
                                                     const char    *key_file,
                                                     GError       **error);
/* The API user of every node without one of its own. */
void          bk_sim_cluster_set_credentials        (BkSimCluster  *self,
                                                     const char    *username,
                                                     const char    *password);
const char   *bk_sim_cluster_get_username           (BkSimCluster  *self);
const char   *bk_sim_cluster_get_password           (BkSimCluster  *self);
/* Node @node accepts only this API user (real clusters have node-specific
 * API users); @username NULL: the cluster's again. Runtime too. */
void          bk_sim_cluster_set_node_credentials   (BkSimCluster  *self,
                                                     guint          node,
                                                     const char    *username,
                                                     const char    *password);
/* The user and password node @node accepts (its own or the cluster's). */
const char   *bk_sim_cluster_get_node_username      (BkSimCluster  *self,
                                                     guint          node);
const char   *bk_sim_cluster_get_node_password      (BkSimCluster  *self,
                                                     guint          node);
/* Wanted port of the first node; node i uses base_port + i. 0 (default):
 * every node picks a free port. */
void          bk_sim_cluster_set_base_port          (BkSimCluster  *self,
                                                     guint          base_port);
void          bk_sim_cluster_set_page_cap           (BkSimCluster  *self,
                                                     guint          cap);   /* runtime too */
void          bk_sim_cluster_set_bulk_sync_delay    (BkSimCluster  *self,
                                                     guint          ms);    /* runtime too; default 500 */
/* A sync is "pending" for half the delay, then "running" for the other half
 * plus (endIndex - startIndex + 1) / @per_second seconds. 0: no growth.
 * Runtime too; default BK_SIM_DEFAULT_BULK_SYNC_RATE. A delay of 0 still
 * syncs at once. */
void          bk_sim_cluster_set_bulk_sync_rate     (BkSimCluster  *self,
                                                     guint          per_second);
/* An outgoing call leg's status/state is "initial" for the first third of
 * this delay, then "ringing", then "connected" when the delay has passed
 * (with 0, connected at once); only connected legs are participants. */
void          bk_sim_cluster_set_call_leg_connect_delay (BkSimCluster *self,
                                                     guint          ms);    /* runtime too; default 300 */
/* Remote parties matching this glob (GPatternSpec: * and ?) ring forever.
 * NULL: everyone answers. Runtime too. */
void          bk_sim_cluster_set_unanswered_pattern (BkSimCluster  *self,
                                                     const char    *glob);
/* Calls to remote parties matching this glob fail: the leg rings, then is
 * gone (GET answers callLegDoesNotExist), as on CMS. NULL: none fail.
 * Runtime too. */
void          bk_sim_cluster_set_failing_pattern    (BkSimCluster  *self,
                                                     const char    *glob);
/* The version GET /system/status reports ("3.6.1" by default, NULL for
 * that). Before 2.1, a call has no message: messageText, messagePosition
 * and messageDuration in POST /calls or PUT /calls/<id> are refused with
 * <parameterError parameter="messageText" error="unknownParameter"/>, as a
 * bridge too old for the fields. Runtime too. */
void          bk_sim_cluster_set_software_version   (BkSimCluster  *self,
                                                     const char    *version);
void          bk_sim_cluster_set_seed               (BkSimCluster  *self,
                                                     guint32        seed);
/* Seeds the demo data (user spaces, profiles, one alarm). Any time. */
void          bk_sim_cluster_populate_demo          (BkSimCluster  *self);

/* Life cycle */
gboolean      bk_sim_cluster_start                  (BkSimCluster  *self,
                                                     GError       **error);
void          bk_sim_cluster_stop                   (BkSimCluster  *self);
gboolean      bk_sim_cluster_is_running             (BkSimCluster  *self);
/* 2 nodes, TLS with a certificate per node, demo data, the default
 * credentials on node 0 and BK_SIM_DEMO_NODE2_USERNAME/PASSWORD on node 1,
 * started. */
BkSimCluster *bk_sim_cluster_new_demo               (GError       **error);

/* Nodes */
guint         bk_sim_cluster_get_n_nodes            (BkSimCluster  *self);
const char   *bk_sim_cluster_get_node_url           (BkSimCluster  *self,
                                                     guint          node);  /* "https://127.0.0.1:PORT", no /api/v1 */
guint         bk_sim_cluster_get_node_port          (BkSimCluster  *self,
                                                     guint          node);
const char   *bk_sim_cluster_get_node_name          (BkSimCluster  *self,
                                                     guint          node);  /* "CallBridge-Core1", ... */
const char   *bk_sim_cluster_get_node_id            (BkSimCluster  *self,
                                                     guint          node);  /* its /callBridges id */
/* Down: the node's port refuses connections (listeners and open
 * connections closed, delayed or held requests dropped); up: listens again
 * on the same port. The node's calls and legs are kept, as after a network
 * outage. */
void          bk_sim_cluster_set_node_up            (BkSimCluster  *self,
                                                     guint          node,
                                                     gboolean       up);
gboolean      bk_sim_cluster_get_node_up            (BkSimCluster  *self,
                                                     guint          node);

/* TLS. The cluster's certificate is node 0's. */
const char   *bk_sim_cluster_get_certificate_sha256 (BkSimCluster  *self);  /* lowercase hex of SHA-256(DER), no colons; NULL without TLS */
const char   *bk_sim_cluster_get_certificate_pem    (BkSimCluster  *self);
/* The certificate node @node serves; NULL without TLS or before start. */
const char   *bk_sim_cluster_get_node_certificate_sha256 (BkSimCluster *self,
                                                     guint          node);
const char   *bk_sim_cluster_get_node_certificate_pem (BkSimCluster *self,
                                                     guint          node);
/* New self-signed certificate for every node that serves the cluster's,
 * same ports (for pin-mismatch tests). */
gboolean      bk_sim_cluster_replace_certificate    (BkSimCluster  *self,
                                                     GError       **error);
/* New self-signed certificate for node @node only, same port. */
gboolean      bk_sim_cluster_replace_node_certificate (BkSimCluster *self,
                                                     guint          node,
                                                     GError       **error);

/* Faults (runtime) */
void          bk_sim_cluster_set_latency            (BkSimCluster  *self,
                                                     guint          ms,
                                                     guint          jitter_ms);
/* @method NULL = any; @path_pattern NULL = any, else a glob (with * or ?)
 * or a prefix matched against the path (with /api/v1), case-insensitively;
 * @probability in [0,1]; @count -1 = unlimited, else the number of times the
 * rule fires before it retires. Rules are checked in the order added. */
void          bk_sim_cluster_add_fault              (BkSimCluster  *self,
                                                     const char    *method,
                                                     const char    *path_pattern,
                                                     BkSimFault     kind,
                                                     double         probability,
                                                     int            count);
void          bk_sim_cluster_clear_faults           (BkSimCluster  *self);
const char   *bk_sim_fault_to_string                (BkSimFault     kind);
gboolean      bk_sim_fault_from_string              (const char    *name,
                                                     BkSimFault    *kind);

/* Counters and trace. Counters count every request that reached a node
 * (including 401s and injected faults). */
guint         bk_sim_cluster_get_request_count      (BkSimCluster  *self,
                                                     int            node,       /* -1 = all */
                                                     const char    *method,     /* NULL = any */
                                                     const char    *path_prefix /* NULL = any; case-insensitive */);
void          bk_sim_cluster_reset_counters         (BkSimCluster  *self);
/* The CMS-style API trace of all nodes ("... API trace N: GET for ..."). */
char         *bk_sim_cluster_dup_trace              (BkSimCluster  *self);
void          bk_sim_cluster_clear_trace            (BkSimCluster  *self);
/* Also write each trace line to this file (append); NULL stops. */
gboolean      bk_sim_cluster_set_trace_file         (BkSimCluster  *self,
                                                     const char    *path,
                                                     GError       **error);

/* Direct data access for tests */
char         *bk_sim_cluster_add_cospace            (BkSimCluster  *self,
                                                     const char    *name,
                                                     const char    *uri,
                                                     const char    *call_id);  /* returns new id, NULL on duplicate */
gboolean      bk_sim_cluster_remove_cospace         (BkSimCluster  *self,
                                                     const char    *id);
guint         bk_sim_cluster_get_n_cospaces         (BkSimCluster  *self);
/* Value of a coSpace field ("name", "uri", "passcode", "secret", ...), or NULL. */
char         *bk_sim_cluster_dup_cospace_field      (BkSimCluster  *self,
                                                     const char    *id,
                                                     const char    *field);
/* Returns the new alarm's id. */
char         *bk_sim_cluster_add_alarm              (BkSimCluster  *self,
                                                     const char    *type);
void          bk_sim_cluster_clear_alarms           (BkSimCluster  *self);
guint         bk_sim_cluster_get_n_calls            (BkSimCluster  *self,
                                                     int            node);  /* -1 = all */
guint         bk_sim_cluster_get_n_call_legs        (BkSimCluster  *self,
                                                     int            node);  /* -1 = all */
/* Forgets all data, faults, counters and the trace; keeps nodes running. */
void          bk_sim_cluster_reset                  (BkSimCluster  *self);

void          bk_sim_cluster_set_request_hook       (BkSimCluster     *self,
                                                     BkSimRequestHook  hook,
                                                     gpointer          user_data,
                                                     GDestroyNotify    destroy);

/* Control interface (plain HTTP + JSON on 127.0.0.1, see --help) */
gboolean      bk_sim_cluster_start_control          (BkSimCluster  *self,
                                                     guint          port,   /* 0 = free port */
                                                     GError       **error);
const char   *bk_sim_cluster_get_control_url        (BkSimCluster  *self);  /* "http://127.0.0.1:PORT" or NULL */

/* Writes the ready file (JSON, atomically); see bridgekeeper-cms-sim --help. */
gboolean      bk_sim_cluster_write_ready_file       (BkSimCluster  *self,
                                                     const char    *path,
                                                     GError       **error);

G_END_DECLS
