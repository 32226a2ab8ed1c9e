/* bk-cluster-node.h: one call bridge of a cluster, as the Clustering tab
 * lists it (BkBridge keeps them up to date)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "bk-core-types.h"

G_BEGIN_DECLS

/* Properties (read-only, notify): id, name, address, reachability
 * (BkReachability), managed (boolean: the node Bridgekeeper talks to),
 * alternate (boolean: the chosen failover), detail (string: what the last
 * check did and found, a translated sentence, or NULL before one). */
#define BK_TYPE_CLUSTER_NODE (bk_cluster_node_get_type ())
G_DECLARE_FINAL_TYPE (BkClusterNode, bk_cluster_node, BK, CLUSTER_NODE, GObject)

/* For BkBridge: a node as the last check saw it. */
BkClusterNode  *bk_cluster_node_new              (const char     *id,
                                                  const char     *name,
                                                  const char     *address,
                                                  BkReachability  reachability,
                                                  gboolean        managed,
                                                  gboolean        alternate);
const char     *bk_cluster_node_get_id           (BkClusterNode *self);
const char     *bk_cluster_node_get_name         (BkClusterNode *self);
const char     *bk_cluster_node_get_address      (BkClusterNode *self);
BkReachability  bk_cluster_node_get_reachability (BkClusterNode *self);
gboolean        bk_cluster_node_get_managed      (BkClusterNode *self);
gboolean        bk_cluster_node_get_alternate    (BkClusterNode *self);
const char     *bk_cluster_node_get_detail       (BkClusterNode *self);
/* For BkBridge: notifies "reachability" when it changes. */
void            bk_cluster_node_set_reachability (BkClusterNode  *self,
                                                  BkReachability  reachability);
/* For BkBridge: notifies "detail" when it changes. */
void            bk_cluster_node_set_detail       (BkClusterNode  *self,
                                                  const char     *detail);

G_END_DECLS
