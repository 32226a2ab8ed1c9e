/* bk-cluster-member.h: one call bridge of a CMS cluster, as last seen
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define BK_TYPE_CLUSTER_MEMBER (bk_cluster_member_get_type ())

/**
 * BkClusterMember:
 * @id: the callBridge id (GUID) on the bridge
 * @name: its name, may be empty
 * @address: its address as the bridge reports it, e.g.
 *   "https://14.80.82.31" or "https://1.1.1.1:8443"; may be empty
 *
 * A plain boxed record; all strings are owned and never NULL.
 */
typedef struct
{
  char *id;
  char *name;
  char *address;
} BkClusterMember;

GType            bk_cluster_member_get_type   (void) G_GNUC_CONST;
BkClusterMember *bk_cluster_member_new        (const char            *id,
                                               const char            *name,
                                               const char            *address);
BkClusterMember *bk_cluster_member_copy       (const BkClusterMember *member);
void             bk_cluster_member_free       (BkClusterMember       *member);
gboolean         bk_cluster_member_equal      (const BkClusterMember *a,
                                               const BkClusterMember *b);

/* The member's host, normalised (see bk_normalize_host()), taken from its
 * address ("https://host:port/..."); NULL if the address has no valid host. */
char            *bk_cluster_member_dup_host   (const BkClusterMember *member);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BkClusterMember, bk_cluster_member_free)

G_END_DECLS
