/* bk-device-clustering.c: the device page's Clustering tab
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkDevicePage"

#include "config.h"

#include "bk-cluster-node-row.h"
#include "bk-device-clustering.h"

struct _BkDeviceClustering
{
  AdwBin      parent_instance;

  /* Template widgets */
  GtkListBox *nodes_list;
};

G_DEFINE_FINAL_TYPE (BkDeviceClustering, bk_device_clustering, ADW_TYPE_BIN)

static GtkWidget *
create_node_row (gpointer item,
                 gpointer user_data)
{
  return bk_cluster_node_row_new (item);
}

void
bk_device_clustering_set_bridge (BkDeviceClustering *self,
                                 BkBridge           *bridge)
{
  g_return_if_fail (BK_IS_DEVICE_CLUSTERING (self));
  g_return_if_fail (BK_IS_BRIDGE (bridge));

  gtk_list_box_bind_model (self->nodes_list, bk_bridge_get_cluster_nodes (bridge), create_node_row, NULL, NULL);
}

static void
bk_device_clustering_dispose (GObject *object)
{
  BkDeviceClustering *self = BK_DEVICE_CLUSTERING (object);

  if (self->nodes_list != NULL)
    gtk_list_box_bind_model (self->nodes_list, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), BK_TYPE_DEVICE_CLUSTERING);

  G_OBJECT_CLASS (bk_device_clustering_parent_class)->dispose (object);
}

static void
bk_device_clustering_class_init (BkDeviceClusteringClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bk_device_clustering_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bridgekeeper/Bridgekeeper/devices/bk-device-clustering.ui");
  gtk_widget_class_bind_template_child (widget_class, BkDeviceClustering, nodes_list);
}

static void
bk_device_clustering_init (BkDeviceClustering *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
