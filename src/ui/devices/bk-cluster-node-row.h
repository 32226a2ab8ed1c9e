/* bk-cluster-node-row.h: one call bridge of the cluster (Clustering tab)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bk-bridge.h"
#include "bk-cluster-node.h"

G_BEGIN_DECLS

#define BK_TYPE_CLUSTER_NODE_ROW (bk_cluster_node_row_get_type ())
G_DECLARE_FINAL_TYPE (BkClusterNodeRow, bk_cluster_node_row, BK, CLUSTER_NODE_ROW, AdwActionRow)

/* A row that shows @node (name or id, address, tags, reachability) and
 * follows its changes; with @bridge (may be NULL), also whether failover
 * would use the node and a "Confirm Certificate…" button
 * (device.confirm-member-certificate, target: the node's id). */
GtkWidget *bk_cluster_node_row_new (BkClusterNode *node,
                                    BkBridge      *bridge);

G_END_DECLS
