/* bk-cluster-discovery.c: the call bridges of a cluster, and which listed
 * bridge manages it
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkClusterDiscovery"

#include "config.h"

#include <string.h>

#include "bk-cluster-discovery.h"
#include "bk-validate.h"

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* ---- discovery ---- */

typedef struct
{
  GPtrArray *members;     /* BkClusterMember*, NULL while pending */
  char      *self_name;
  guint      pending;
  GError    *error;
} DiscoverData;

typedef struct
{
  GTask *task;
  guint  index;
} DiscoverItem;

static void
discover_data_free (DiscoverData *dd)
{
  g_clear_pointer (&dd->members, g_ptr_array_unref);
  g_free (dd->self_name);
  g_clear_error (&dd->error);
  g_free (dd);
}

static void
discover_done_one (GTask *task)
{
  DiscoverData *dd = g_task_get_task_data (task);
  GPtrArray *members;
  char *self_id = NULL;

  g_assert (dd->pending > 0);
  if (--dd->pending > 0)
    return;

  if (dd->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&dd->error));
      return;
    }

  members = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_cluster_member_free);
  for (guint i = 0; i < dd->members->len; i++)
    {
      BkClusterMember *m = g_ptr_array_index (dd->members, i);

      if (m == NULL)
        continue;
      if (self_id == NULL && dd->self_name != NULL && g_strcmp0 (m->name, dd->self_name) == 0)
        self_id = g_strdup (m->id);
      g_ptr_array_add (members, bk_cluster_member_copy (m));
    }
  g_object_set_data_full (G_OBJECT (task), "self-id", self_id, g_free);
  g_task_return_pointer (task, members, (GDestroyNotify) g_ptr_array_unref);
}

static void
discover_keep_error (DiscoverData *dd,
                     GError       *error)
{
  /* Cancellation wins; otherwise the first error. */
  if (dd->error == NULL || (is_cancelled (error) && !is_cancelled (dd->error)))
    {
      g_clear_error (&dd->error);
      dd->error = error;
    }
  else
    g_error_free (error);
}

static void
discover_bridge_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  DiscoverItem *item = user_data;
  g_autoptr(GTask) task = item->task;
  DiscoverData *dd = g_task_get_task_data (task);
  g_autoptr(BkCmsCallBridge) bridge = NULL;
  GError *error = NULL;

  bridge = bk_cms_client_get_call_bridge_finish (BK_CMS_CLIENT (source), result, &error);
  if (bridge == NULL)
    discover_keep_error (dd, error);
  else
    {
      BkClusterMember *m = g_ptr_array_index (dd->members, item->index);

      if (bridge->name != NULL)
        {
          g_free (m->name);
          m->name = g_strdup (bridge->name);
        }
      g_free (m->address);
      m->address = g_strdup (bridge->address != NULL ? bridge->address : "");
    }
  g_free (item);
  discover_done_one (task);
}

static void
discover_cluster_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DiscoverData *dd = g_task_get_task_data (task);
  g_autoptr(BkCmsClusterConfig) config = NULL;
  g_autoptr(GError) error = NULL;

  /* Optional: an API user may not read the cluster configuration. */
  config = bk_cms_client_get_cluster_config_finish (BK_CMS_CLIENT (source), result, &error);
  if (config != NULL)
    dd->self_name = g_strdup (config->unique_name);
  else if (is_cancelled (error))
    discover_keep_error (dd, g_steal_pointer (&error));
  else
    g_debug ("No cluster configuration: %s", error->message);
  discover_done_one (task);
}

static void
discover_listed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DiscoverData *dd = g_task_get_task_data (task);
  g_autoptr(GPtrArray) bridges = NULL;
  GError *error = NULL;

  bridges = bk_cms_client_list_call_bridges_finish (BK_CMS_CLIENT (source), result, &error);
  if (bridges == NULL)
    {
      discover_keep_error (dd, error);
      discover_done_one (task);
      return;
    }

  dd->members = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_cluster_member_free);
  for (guint i = 0; i < bridges->len; i++)
    {
      const BkCmsCallBridge *b = g_ptr_array_index (bridges, i);
      DiscoverItem *item;

      g_ptr_array_add (dd->members, bk_cluster_member_new (b->id, b->name, NULL));
      item = g_new0 (DiscoverItem, 1);
      item->task = g_object_ref (task);
      item->index = i;
      dd->pending++;
      bk_cms_client_get_call_bridge_async (BK_CMS_CLIENT (source), b->id, g_task_get_cancellable (task),
                                           discover_bridge_cb, item);
    }
  discover_done_one (task);
}

void
bk_cluster_discover_async (BkCmsClient         *client,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DiscoverData *dd;

  g_return_if_fail (BK_CMS_IS_CLIENT (client));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_cluster_discover_async);
  dd = g_new0 (DiscoverData, 1);
  dd->pending = 2;
  g_task_set_task_data (task, dd, (GDestroyNotify) discover_data_free);

  bk_cms_client_list_call_bridges_async (client, cancellable, discover_listed_cb, g_object_ref (task));
  bk_cms_client_get_cluster_config_async (client, cancellable, discover_cluster_cb, g_object_ref (task));
}

GPtrArray *
bk_cluster_discover_finish (GAsyncResult  *result,
                            char         **self_id,
                            GError       **error)
{
  GPtrArray *members = g_task_propagate_pointer (G_TASK (result), error);

  if (self_id != NULL)
    *self_id = members != NULL ? g_strdup (g_object_get_data (G_OBJECT (result), "self-id")) : NULL;
  return members;
}

/* ---- which device manages a cluster ---- */

/* The member's host (normalised) and port (443 when not given). */
static gboolean
member_host_port (const BkClusterMember *m,
                  char                 **host,
                  guint                 *port)
{
  if (m->address == NULL || *m->address == '\0')
    return FALSE;
  return bk_validate_address (m->address, host, port, NULL);
}

static gboolean
device_manages (BkDevice   *d,
                const char *host,
                guint       port,
                GPtrArray  *members)
{
  GPtrArray *dm = bk_device_get_cluster_members (d);
  g_autofree char *d_host = bk_normalize_host (bk_device_get_address (d));
  guint d_port = bk_device_get_port (d);

  for (guint i = 0; i < dm->len; i++)
    {
      const BkClusterMember *a = g_ptr_array_index (dm, i);
      g_autofree char *a_host = NULL;
      guint a_port = 0;

      /* The address typed is a member of d's cluster. */
      if (host != NULL && member_host_port (a, &a_host, &a_port) &&
          g_strcmp0 (a_host, host) == 0 && a_port == port &&
          !(g_strcmp0 (d_host, host) == 0 && d_port == port))
        return TRUE;

      /* Same call bridge ids: the same cluster. */
      for (guint k = 0; members != NULL && k < members->len; k++)
        {
          const BkClusterMember *b = g_ptr_array_index (members, k);

          if (*a->id != '\0' && g_ascii_strcasecmp (a->id, b->id) == 0)
            return TRUE;
        }
    }

  /* d itself is one of the members found. */
  for (guint k = 0; members != NULL && k < members->len; k++)
    {
      const BkClusterMember *b = g_ptr_array_index (members, k);
      g_autofree char *b_host = NULL;
      guint b_port = 0;

      if (member_host_port (b, &b_host, &b_port) && g_strcmp0 (b_host, d_host) == 0 &&
          (b_port == d_port || g_strcmp0 (b_host, host) != 0))
        return TRUE;
    }
  return FALSE;
}

/* The looser match: @host is a member of d's cluster whatever the port
 * (a member reports its clustering address, not always the Web Admin
 * port), and d is not that host itself. */
static gboolean
device_has_member_host (BkDevice   *d,
                        const char *host)
{
  g_autofree char *d_host = bk_normalize_host (bk_device_get_address (d));
  GPtrArray *dm = bk_device_get_cluster_members (d);

  if (host == NULL || g_strcmp0 (d_host, host) == 0)
    return FALSE;
  for (guint i = 0; i < dm->len; i++)
    {
      g_autofree char *a_host = bk_cluster_member_dup_host (g_ptr_array_index (dm, i));

      if (g_strcmp0 (a_host, host) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_except (BkDevice *d,
           BkDevice *except)
{
  return d == except || (except != NULL && g_strcmp0 (bk_device_get_id (d), bk_device_get_id (except)) == 0);
}

BkDevice *
bk_cluster_find_managing_device (BkDeviceStore *store,
                                 BkDevice      *except,
                                 const char    *host,
                                 guint          port,
                                 GPtrArray     *members)
{
  g_autofree char *norm = host != NULL ? bk_normalize_host (host) : NULL;
  guint n;

  g_return_val_if_fail (BK_IS_DEVICE_STORE (store), NULL);

  if (port == 0)
    port = BK_DEFAULT_PORT;
  n = g_list_model_get_n_items (G_LIST_MODEL (store));
  /* The exact rule first (address and port, ids), over every device; then
   * the host alone. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BkDevice) d = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (!is_except (d, except) && device_manages (d, norm, port, members))
        return d;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BkDevice) d = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (!is_except (d, except) && device_has_member_host (d, norm))
        return d;
    }
  return NULL;
}
