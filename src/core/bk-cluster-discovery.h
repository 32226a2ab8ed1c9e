/* bk-cluster-discovery.h: the call bridges of a CMS cluster, and which
 * listed bridge manages a cluster
 *
 * Internal to bkcore (BkOnboarding and BkBridge use it). Discovery is
 * GET /callBridges, then every /callBridges/<id> at once, beside
 * GET /system/configuration/cluster (which member is the node asked): all
 * in parallel once the list is in.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bk-cms.h"
#include "bk-device.h"
#include "bk-device-store.h"

G_BEGIN_DECLS

/* Finish gives the members (BkClusterMember*, in list order) and the id of
 * the member that is the node asked (NULL when unknown: the API user may
 * not read the cluster configuration). */
void         bk_cluster_discover_async      (BkCmsClient         *client,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GPtrArray   *bk_cluster_discover_finish     (GAsyncResult        *result,
                                             char               **self_id,
                                             GError             **error);

/* The one rule for "this cluster is already managed": the listed device
 * (other than @except) that
 *  - has @host (with @port, or any port when the member reported none that
 *    matches: a member reports its clustering address, not always the Web
 *    Admin port) among its cluster members, other than its own node; or
 *  - has a member whose call bridge id is one of @members' ids; or
 *  - is itself one of @members (by address).
 * @host may be NULL (only @members are compared), @members may be NULL
 * (before discovery). Transfer none. */
BkDevice    *bk_cluster_find_managing_device (BkDeviceStore     *store,
                                              BkDevice          *except,
                                              const char        *host,
                                              guint              port,
                                              GPtrArray         *members);

G_END_DECLS
