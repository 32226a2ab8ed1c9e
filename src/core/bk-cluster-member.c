/* bk-cluster-member.c: one call bridge of a CMS cluster
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkClusterMember"

#include "config.h"

#include <string.h>

#include "bk-cluster-member.h"
#include "bk-validate.h"

G_DEFINE_BOXED_TYPE (BkClusterMember, bk_cluster_member,
                     bk_cluster_member_copy, bk_cluster_member_free)

BkClusterMember *
bk_cluster_member_new (const char *id,
                       const char *name,
                       const char *address)
{
  BkClusterMember *member = g_new0 (BkClusterMember, 1);

  member->id = g_strdup (id != NULL ? id : "");
  member->name = g_strdup (name != NULL ? name : "");
  member->address = g_strdup (address != NULL ? address : "");

  return member;
}

BkClusterMember *
bk_cluster_member_copy (const BkClusterMember *member)
{
  g_return_val_if_fail (member != NULL, NULL);

  return bk_cluster_member_new (member->id, member->name, member->address);
}

void
bk_cluster_member_free (BkClusterMember *member)
{
  if (member == NULL)
    return;

  g_free (member->id);
  g_free (member->name);
  g_free (member->address);
  g_free (member);
}

gboolean
bk_cluster_member_equal (const BkClusterMember *a,
                         const BkClusterMember *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;

  return g_str_equal (a->id, b->id) &&
         g_str_equal (a->name, b->name) &&
         g_str_equal (a->address, b->address);
}

char *
bk_cluster_member_dup_host (const BkClusterMember *member)
{
  g_autofree char *host = NULL;
  const char *start;

  g_return_val_if_fail (member != NULL, NULL);

  if (member->address == NULL || member->address[0] == '\0')
    return NULL;

  /* Any scheme: only the host matters here. */
  start = strstr (member->address, "://");
  start = start != NULL ? start + 3 : member->address;

  if (!bk_validate_address (start, &host, NULL, NULL))
    return NULL;

  return g_steal_pointer (&host);
}
