/* bk-cluster-node.c: one call bridge of a cluster, as the Clustering tab
 * lists it
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkClusterNode"

#include "config.h"

#include "bk-cluster-node.h"
#include "bk-core-enums.h"

struct _BkClusterNode
{
  GObject         parent_instance;
  char           *id;
  char           *name;
  char           *address;
  BkReachability  reachability;
  gboolean        managed;
  gboolean        alternate;
  char           *detail;
};

G_DEFINE_FINAL_TYPE (BkClusterNode, bk_cluster_node, G_TYPE_OBJECT)

enum {
  NODE_PROP_0,
  NODE_PROP_ID,
  NODE_PROP_NAME,
  NODE_PROP_ADDRESS,
  NODE_PROP_REACHABILITY,
  NODE_PROP_MANAGED,
  NODE_PROP_ALTERNATE,
  NODE_PROP_DETAIL,
  NODE_N_PROPS
};

static GParamSpec *node_properties[NODE_N_PROPS];

static void
bk_cluster_node_finalize (GObject *object)
{
  BkClusterNode *self = BK_CLUSTER_NODE (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->address);
  g_free (self->detail);
  G_OBJECT_CLASS (bk_cluster_node_parent_class)->finalize (object);
}

static void
bk_cluster_node_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BkClusterNode *self = BK_CLUSTER_NODE (object);

  switch (prop_id)
    {
    case NODE_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case NODE_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case NODE_PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;
    case NODE_PROP_REACHABILITY:
      g_value_set_enum (value, self->reachability);
      break;
    case NODE_PROP_MANAGED:
      g_value_set_boolean (value, self->managed);
      break;
    case NODE_PROP_ALTERNATE:
      g_value_set_boolean (value, self->alternate);
      break;
    case NODE_PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_cluster_node_class_init (BkClusterNodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = bk_cluster_node_finalize;
  object_class->get_property = bk_cluster_node_get_property;

  node_properties[NODE_PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, flags);
  node_properties[NODE_PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  node_properties[NODE_PROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, NULL, flags);
  node_properties[NODE_PROP_REACHABILITY] =
    g_param_spec_enum ("reachability", NULL, NULL, BK_TYPE_REACHABILITY, BK_REACHABILITY_UNKNOWN, flags);
  node_properties[NODE_PROP_MANAGED] = g_param_spec_boolean ("managed", NULL, NULL, FALSE, flags);
  node_properties[NODE_PROP_ALTERNATE] = g_param_spec_boolean ("alternate", NULL, NULL, FALSE, flags);
  node_properties[NODE_PROP_DETAIL] = g_param_spec_string ("detail", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, NODE_N_PROPS, node_properties);
}

static void
bk_cluster_node_init (BkClusterNode *self)
{
}

const char *
bk_cluster_node_get_id (BkClusterNode *self)
{
  g_return_val_if_fail (BK_IS_CLUSTER_NODE (self), NULL);
  return self->id;
}

const char *
bk_cluster_node_get_name (BkClusterNode *self)
{
  g_return_val_if_fail (BK_IS_CLUSTER_NODE (self), NULL);
  return self->name;
}

const char *
bk_cluster_node_get_address (BkClusterNode *self)
{
  g_return_val_if_fail (BK_IS_CLUSTER_NODE (self), NULL);
  return self->address;
}

BkReachability
bk_cluster_node_get_reachability (BkClusterNode *self)
{
  g_return_val_if_fail (BK_IS_CLUSTER_NODE (self), BK_REACHABILITY_UNKNOWN);
  return self->reachability;
}

gboolean
bk_cluster_node_get_managed (BkClusterNode *self)
{
  g_return_val_if_fail (BK_IS_CLUSTER_NODE (self), FALSE);
  return self->managed;
}

gboolean
bk_cluster_node_get_alternate (BkClusterNode *self)
{
  g_return_val_if_fail (BK_IS_CLUSTER_NODE (self), FALSE);
  return self->alternate;
}

const char *
bk_cluster_node_get_detail (BkClusterNode *self)
{
  g_return_val_if_fail (BK_IS_CLUSTER_NODE (self), NULL);
  return self->detail;
}

BkClusterNode *
bk_cluster_node_new (const char     *id,
                     const char     *name,
                     const char     *address,
                     BkReachability  reachability,
                     gboolean        managed,
                     gboolean        alternate)
{
  BkClusterNode *self = g_object_new (BK_TYPE_CLUSTER_NODE, NULL);

  self->id = g_strdup (id);
  self->name = g_strdup (name);
  self->address = g_strdup (address);
  self->reachability = reachability;
  self->managed = managed;
  self->alternate = alternate;
  return self;
}

void
bk_cluster_node_set_reachability (BkClusterNode  *self,
                                  BkReachability  reachability)
{
  g_return_if_fail (BK_IS_CLUSTER_NODE (self));

  if (self->reachability == reachability)
    return;
  self->reachability = reachability;
  g_object_notify_by_pspec (G_OBJECT (self), node_properties[NODE_PROP_REACHABILITY]);
}

void
bk_cluster_node_set_detail (BkClusterNode *self,
                            const char    *detail)
{
  g_return_if_fail (BK_IS_CLUSTER_NODE (self));

  if (g_strcmp0 (self->detail, detail) == 0)
    return;
  g_free (self->detail);
  self->detail = g_strdup (detail);
  g_object_notify_by_pspec (G_OBJECT (self), node_properties[NODE_PROP_DETAIL]);
}
