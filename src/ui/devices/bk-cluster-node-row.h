/* bk-cluster-node-row.h: one call bridge of the cluster (Clustering tab)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bk-cluster-node.h"

G_BEGIN_DECLS

#define BK_TYPE_CLUSTER_NODE_ROW (bk_cluster_node_row_get_type ())
G_DECLARE_FINAL_TYPE (BkClusterNodeRow, bk_cluster_node_row, BK, CLUSTER_NODE_ROW, AdwActionRow)

/* A row that shows @node (name or id, address, tags, reachability) and
 * follows its changes. */
GtkWidget *bk_cluster_node_row_new (BkClusterNode *node);

G_END_DECLS
