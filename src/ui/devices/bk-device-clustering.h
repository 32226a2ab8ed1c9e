/* bk-device-clustering.h: the device page's Clustering tab
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bk-bridge.h"

G_BEGIN_DECLS

#define BK_TYPE_DEVICE_CLUSTERING (bk_device_clustering_get_type ())
G_DECLARE_FINAL_TYPE (BkDeviceClustering, bk_device_clustering, BK, DEVICE_CLUSTERING, AdwBin)

/* The call bridges of the cluster (BkBridge's cluster nodes), each with
 * its tags (Managed, Alternate) and reachability. */
/* Once, by the page. */
void bk_device_clustering_set_bridge (BkDeviceClustering *self,
                                      BkBridge           *bridge);

/* "Confirm Certificate…" of the member @member_id (or its ticket's Review
 * Certificate): its certificate fetched without credentials, the trust
 * dialog (or, for a changed one, the re-pin dialog) naming it, and on
 * Trust its pin saved. */
void bk_device_clustering_confirm_member (BkDeviceClustering *self,
                                          const char         *member_id);

G_END_DECLS
