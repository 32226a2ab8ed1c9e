/* bk-sim-private.h: structures shared by the simulator's source files
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "bk-sim.h"

G_BEGIN_DECLS

/* ---- Objects and collections (bk-sim-db.c) ---- */

typedef enum
{
  BK_SIM_LEG_INITIAL,         /* just made, as CMS reports a new leg */
  BK_SIM_LEG_RINGING,
  BK_SIM_LEG_CONNECTED,
} BkSimLegState;

typedef struct _BkSimObject BkSimObject;

struct _BkSimObject
{
  char          *id;
  GHashTable    *fields;      /* name -> value, both owned */
  GPtrArray     *keys;        /* field names in first-set order (owned by fields) */
  GSequenceIter *iter;        /* position in its collection */
  /* coSpaces: id of the bulk parameter set that generated it, or NULL */
  char          *bulk_set;
  /* calls, call legs, bulk syncs, alarms */
  gint64         created_us;
  guint          node;
  BkSimLegState  leg_state;
  char          *participant_id;
  guint          timeout_id;  /* leg connect timer or bulk sync timer */
  BkSimCluster  *cluster;     /* unowned, for timers */
  char          *search;      /* lowercased filter text, built on demand */
};

typedef struct
{
  GHashTable *by_id;          /* id -> BkSimObject (owned) */
  GSequence  *order;          /* BkSimObject* in creation order (unowned) */
} BkSimCollection;

BkSimCollection *bk_sim_collection_new      (void);
void             bk_sim_collection_free     (BkSimCollection *coll);
void             bk_sim_collection_clear    (BkSimCollection *coll);
BkSimObject     *bk_sim_collection_lookup   (BkSimCollection *coll,
                                             const char      *id);
BkSimObject     *bk_sim_collection_add      (BkSimCollection *coll,
                                             char            *id /* owned */);
void             bk_sim_collection_remove   (BkSimCollection *coll,
                                             BkSimObject     *obj);
guint            bk_sim_collection_size     (BkSimCollection *coll);

const char      *bk_sim_object_get          (BkSimObject     *obj,
                                             const char      *field);
void             bk_sim_object_set          (BkSimObject     *obj,
                                             const char      *field,
                                             const char      *value /* NULL unsets */);

/* The shared configuration database. */
typedef struct
{
  BkSimCollection *cospaces;
  BkSimCollection *call_profiles;
  BkSimCollection *call_leg_profiles;
  BkSimCollection *bulk_sets;
  BkSimCollection *bulk_syncs;
  BkSimCollection *alarms;
  BkSimCollection *tenants;
  GHashTable      *uri_index;      /* casefolded uri or secondaryUri -> BkSimObject */
  GHashTable      *call_id_index;  /* callId -> BkSimObject */
} BkSimDb;

void             bk_sim_db_init             (BkSimDb         *db);
void             bk_sim_db_clear            (BkSimDb         *db);
void             bk_sim_db_finalize         (BkSimDb         *db);
void             bk_sim_db_index_cospace    (BkSimDb         *db,
                                             BkSimObject     *space);
void             bk_sim_db_unindex_cospace  (BkSimDb         *db,
                                             BkSimObject     *space);
void             bk_sim_db_remove_cospace   (BkSimDb         *db,
                                             BkSimObject     *space);
/* Expands a bulk mapping ($index$, \\ and \$); NULL if @mapping is NULL/empty. */
char            *bk_sim_expand_mapping      (const char      *mapping,
                                             gint64           index);

/* ---- Nodes and cluster (bk-sim-cluster.c) ---- */

/* A TLS identity: a self-signed certificate and its key. */
typedef struct
{
  GTlsCertificate *tls;
  char            *sha256;         /* lowercase hex of SHA-256 (DER) */
  char            *pem;
  char            *file;           /* given by the user, or NULL */
  char            *key_file;
} BkSimCert;

typedef struct
{
  BkSimCluster    *cluster;
  guint            index;
  char            *name;
  char            *id;
  char            *url;
  guint            port;
  gboolean         up;
  BkSimCert        cert;           /* its own (files or per-node), else unset */
  char            *username;       /* its own API user, NULL: the cluster's */
  char            *password;
  SoupServer      *server;
  GSocketService  *listener;       /* accepts and shakes hands; see node_listen() */
  GCancellable    *accepting;      /* cancels handshakes in progress */
  GPtrArray       *sockets;        /* GSocket* of the connections served */
  BkSimCollection *calls;
  BkSimCollection *legs;
  guint            legs_max_active;
  guint            legs_completed;
  guint64          cdr_index;
  guint            trace_seq;
  GHashTable      *counters;       /* "METHOD path" -> GUINT_TO_POINTER (count) */
  GPtrArray       *pending;        /* BkSimRequest* waiting (latency) or held */
} BkSimNode;

typedef struct
{
  char        *method;     /* NULL = any */
  char        *pattern;    /* NULL = any */
  GPatternSpec *spec;      /* when pattern has * or ? */
  BkSimFault   kind;
  double       probability;
  int          count;
} BkSimFaultRule;

struct _BkSimCluster
{
  GObject           parent_instance;

  guint             n_nodes;
  GPtrArray        *nodes;           /* BkSimNode* */
  gboolean          running;
  gint64            start_us;
  guint64           uptime_offset_s;  /* demo: the bridge has been up for days */

  gboolean          tls;
  BkSimCert         cert;            /* served by every node without its own */
  gboolean          per_node_certs;

  char             *username;
  char             *password;
  guint             base_port;
  guint             page_cap;
  guint             bulk_sync_delay;
  guint             bulk_sync_rate;
  guint             leg_delay;
  char              software_version[32];  /* "" = BK_SIM_SOFTWARE_VERSION */
  char             *unanswered_glob;
  GPatternSpec     *unanswered;
  char             *failing_glob;
  GPatternSpec     *failing;
  guint32           seed;
  GRand            *id_rand;
  GRand            *fault_rand;
  char             *cluster_id;

  BkSimDb           db;

  GPtrArray        *faults;          /* BkSimFaultRule* */
  guint             latency_ms;
  guint             jitter_ms;

  GString          *trace;
  GFileOutputStream *trace_out;

  BkSimRequestHook  hook;
  gpointer          hook_data;
  GDestroyNotify    hook_destroy;

  SoupServer       *control;
  char             *control_url;
};

char            *bk_sim_cluster_new_uuid    (BkSimCluster    *self);
char            *bk_sim_cluster_new_secret  (BkSimCluster    *self);
BkSimNode       *bk_sim_cluster_get_node    (BkSimCluster    *self,
                                             guint            index);
/* The certificate @node serves (its own or the cluster's). */
BkSimCert       *bk_sim_node_get_cert       (BkSimNode       *node);
const char      *bk_sim_node_get_username   (BkSimNode       *node);
const char      *bk_sim_node_get_password   (BkSimNode       *node);
void             bk_sim_node_cdr_event      (BkSimNode       *node);
guint            bk_sim_server_get_port     (SoupServer      *server);

/* ---- Request handling (bk-sim-api.c) ---- */

typedef struct _BkSimRequest BkSimRequest;

void             bk_sim_api_handle          (SoupServer        *server,
                                             SoupServerMessage *msg,
                                             const char        *path,
                                             GHashTable        *query,
                                             gpointer           user_data /* BkSimNode */);
/* Drops requests delayed or held on this node (node going down). */
void             bk_sim_api_drop_pending    (BkSimNode         *node);
void             bk_sim_request_free        (BkSimRequest      *req);

/* Model operations used by the API and the C API (bk-sim-model.c) */
typedef struct
{
  guint    status;
  GString *body;          /* XML or NULL */
  char    *location;      /* for POST */
} BkSimReply;

void             bk_sim_reply_clear         (BkSimReply        *reply);
void             bk_sim_model_dispatch      (BkSimNode         *node,
                                             const char        *method,
                                             const char        *path,
                                             GHashTable        *query,
                                             GHashTable        *form,
                                             BkSimReply        *reply);
BkSimObject     *bk_sim_model_create_cospace (BkSimCluster     *self,
                                             GHashTable        *params,
                                             const char       **failure,
                                             const char       **bad_param);
void             bk_sim_model_end_call      (BkSimNode         *node,
                                             BkSimObject       *call);
void             bk_sim_model_end_leg       (BkSimNode         *node,
                                             BkSimObject       *leg);

/* ---- XML writing (bk-sim-xml.c) ---- */

void             bk_sim_xml_escape          (GString           *out,
                                             const char        *text);
void             bk_sim_xml_element         (GString           *out,
                                             const char        *name,
                                             const char        *text);
void             bk_sim_xml_element_uint    (GString           *out,
                                             const char        *name,
                                             guint64            value);
void             bk_sim_xml_element_bool    (GString           *out,
                                             const char        *name,
                                             gboolean           value);
GString         *bk_sim_xml_failure         (const char        *reason);
GString         *bk_sim_xml_parameter_error (const char        *parameter,
                                             const char        *error);

/* ---- Faults (bk-sim-faults.c) ---- */

void             bk_sim_fault_rule_free     (BkSimFaultRule    *rule);
/* Returns TRUE and sets @kind when a rule fires for this request. */
gboolean         bk_sim_faults_roll         (BkSimCluster      *self,
                                             const char        *method,
                                             const char        *path,
                                             BkSimFault        *kind);
guint            bk_sim_faults_delay_ms     (BkSimCluster      *self);

/* ---- Trace and counters (bk-sim-trace.c) ---- */

void             bk_sim_trace_line          (BkSimNode         *node,
                                             guint              seq,
                                             const char        *text);
void             bk_sim_trace_request       (BkSimNode         *node,
                                             guint              seq,
                                             const char        *method,
                                             const char        *path,
                                             const char        *from,
                                             const char        *content_type,
                                             GBytes            *body);
void             bk_sim_trace_response      (BkSimNode         *node,
                                             guint              seq,
                                             guint              status,
                                             const char        *location,
                                             const char        *www_authenticate,
                                             const char        *body,
                                             gsize              body_len);
/* Masks passcode/password/secret values in a form body. */
char            *bk_sim_mask_form           (const char        *form);
void             bk_sim_count_request       (BkSimNode         *node,
                                             const char        *method,
                                             const char        *path);

/* ---- Control interface (bk-sim-control.c) ---- */

void             bk_sim_control_stop        (BkSimCluster      *self);

G_END_DECLS
