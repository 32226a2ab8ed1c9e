/* bk-bridge-manager.c: the live bridges, one per listed device
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkBridgeManager"

#include "config.h"

#include "bk-bridge-manager.h"

#define WATCH_KEY "bk-bridge-manager-watch"

/* An onboarding whose requests go into its bridge's log.  Owned by the
 * onboarding (object data): it lives exactly as long as the onboarding. */
typedef struct
{
  BkBridgeManager *manager;     /* weak: NULL once the manager is gone */
  BkOnboarding    *onboarding;  /* the owner */
  BkCmsLog        *log;
} Watch;

struct _BkBridgeManager
{
  GObject        parent_instance;

  BkDeviceStore *store;
  BkSecrets     *secrets;
  GPtrArray     *bridges;   /* BkBridge, owned, in the store's order */
  GPtrArray     *watches;   /* Watch*, not owned */
};

static void bk_bridge_manager_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BkBridgeManager, bk_bridge_manager, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      bk_bridge_manager_list_model_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_SECRETS,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- GListModel ---- */

static GType
bk_bridge_manager_get_item_type (GListModel *model)
{
  return BK_TYPE_BRIDGE;
}

static guint
bk_bridge_manager_get_n_items (GListModel *model)
{
  return BK_BRIDGE_MANAGER (model)->bridges->len;
}

static gpointer
bk_bridge_manager_get_item (GListModel *model,
                            guint       position)
{
  BkBridgeManager *self = BK_BRIDGE_MANAGER (model);

  if (position >= self->bridges->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->bridges, position));
}

static void
bk_bridge_manager_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = bk_bridge_manager_get_item_type;
  iface->get_n_items = bk_bridge_manager_get_n_items;
  iface->get_item = bk_bridge_manager_get_item;
}

/* ---- onboarding logs ---- */

static BkBridge *
lookup_by_device (BkBridgeManager *self,
                  BkDevice        *device)
{
  for (guint i = 0; device != NULL && i < self->bridges->len; i++)
    {
      BkBridge *bridge = g_ptr_array_index (self->bridges, i);

      if (bk_bridge_get_device (bridge) == device)
        return bridge;
    }
  return NULL;
}

static void
watch_use_log (Watch    *watch,
               BkCmsLog *log)
{
  BkCmsClient *client = bk_onboarding_get_client (watch->onboarding);

  g_set_object (&watch->log, log);
  if (client != NULL)
    bk_cms_client_set_log (client, watch->log);
}

static void
watch_free (Watch *watch)
{
  if (watch->manager != NULL)
    {
      g_ptr_array_remove (watch->manager->watches, watch);
      g_object_remove_weak_pointer (G_OBJECT (watch->manager), (gpointer *) &watch->manager);
    }
  g_clear_object (&watch->log);
  g_free (watch);
}

/* The onboarding made a new client (it does on every connect). */
static void
watch_client_cb (BkOnboarding *onboarding,
                 GParamSpec   *pspec,
                 Watch        *watch)
{
  watch_use_log (watch, watch->log);
}

/* A device that is listed already has its bridge, and so its log. */
static void
watch_device_cb (BkOnboarding *onboarding,
                 GParamSpec   *pspec,
                 Watch        *watch)
{
  BkBridge *bridge;

  if (watch->manager == NULL)
    return;
  bridge = lookup_by_device (watch->manager, bk_onboarding_get_device (onboarding));
  if (bridge != NULL)
    watch_use_log (watch, bk_bridge_get_log (bridge));
}

/* The log a new bridge for @device starts with: its onboarding's, if one
 * is watched, else NULL (a new one). */
static BkCmsLog *
log_for_new_bridge (BkBridgeManager *self,
                    BkDevice        *device)
{
  for (guint i = 0; i < self->watches->len; i++)
    {
      Watch *watch = g_ptr_array_index (self->watches, i);

      if (bk_onboarding_get_device (watch->onboarding) == device)
        return watch->log;
    }
  return NULL;
}

void
bk_bridge_manager_watch_onboarding (BkBridgeManager *self,
                                    BkOnboarding    *onboarding)
{
  Watch *watch;
  BkBridge *bridge;

  g_return_if_fail (BK_IS_BRIDGE_MANAGER (self));
  g_return_if_fail (BK_IS_ONBOARDING (onboarding));

  if (g_object_get_data (G_OBJECT (onboarding), WATCH_KEY) != NULL)
    return;

  watch = g_new0 (Watch, 1);
  watch->manager = self;
  g_object_add_weak_pointer (G_OBJECT (self), (gpointer *) &watch->manager);
  watch->onboarding = onboarding;
  g_ptr_array_add (self->watches, watch);
  g_object_set_data_full (G_OBJECT (onboarding), WATCH_KEY, watch, (GDestroyNotify) watch_free);

  bridge = lookup_by_device (self, bk_onboarding_get_device (onboarding));
  if (bridge != NULL)
    watch_use_log (watch, bk_bridge_get_log (bridge));
  else
    {
      g_autoptr(BkCmsLog) log = bk_cms_log_new (0);

      watch_use_log (watch, log);
    }

  g_signal_connect (onboarding, "notify::client", G_CALLBACK (watch_client_cb), watch);
  g_signal_connect (onboarding, "notify::device", G_CALLBACK (watch_device_cb), watch);
}

/* ---- following the store ---- */

static void
dispose_bridges (GPtrArray *bridges)
{
  /* Cancels what they still do and stops their timers; observers that
   * hold a reference keep a quiet object. */
  for (guint i = 0; i < bridges->len; i++)
    g_object_run_dispose (g_ptr_array_index (bridges, i));
}

static void
store_items_changed_cb (GListModel      *store,
                        guint            position,
                        guint            removed,
                        guint            added,
                        BkBridgeManager *self)
{
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_if_fail (position + removed <= self->bridges->len);

  for (guint i = 0; i < removed; i++)
    g_ptr_array_add (gone, g_object_ref (g_ptr_array_index (self->bridges, position + i)));
  g_ptr_array_remove_range (self->bridges, position, removed);

  for (guint i = 0; i < added; i++)
    {
      g_autoptr(BkDevice) device = g_list_model_get_item (store, position + i);
      BkBridge *bridge = NULL;

      /* A device that only moved keeps its bridge. */
      for (guint k = 0; k < gone->len && bridge == NULL; k++)
        if (bk_bridge_get_device (g_ptr_array_index (gone, k)) == device)
          bridge = g_ptr_array_steal_index (gone, k);
      if (bridge == NULL)
        bridge = bk_bridge_new_with_log (device, self->store, self->secrets,
                                         log_for_new_bridge (self, device));
      g_ptr_array_insert (self->bridges, position + i, bridge);
    }

  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  dispose_bridges (gone);
}

/* ---- GObject ---- */

static void
bk_bridge_manager_constructed (GObject *object)
{
  BkBridgeManager *self = BK_BRIDGE_MANAGER (object);
  guint n;

  G_OBJECT_CLASS (bk_bridge_manager_parent_class)->constructed (object);

  g_assert (BK_IS_DEVICE_STORE (self->store));
  g_assert (BK_IS_SECRETS (self->secrets));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->store));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BkDevice) device = g_list_model_get_item (G_LIST_MODEL (self->store), i);

      g_ptr_array_add (self->bridges, bk_bridge_new (device, self->store, self->secrets));
    }
  g_signal_connect_object (self->store, "items-changed", G_CALLBACK (store_items_changed_cb), self, 0);
}

static void
bk_bridge_manager_dispose (GObject *object)
{
  BkBridgeManager *self = BK_BRIDGE_MANAGER (object);
  guint n = self->bridges->len;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, store_items_changed_cb, self);
  if (n > 0)
    {
      g_autoptr(GPtrArray) gone = g_steal_pointer (&self->bridges);

      self->bridges = g_ptr_array_new_with_free_func (g_object_unref);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
      dispose_bridges (gone);
    }

  G_OBJECT_CLASS (bk_bridge_manager_parent_class)->dispose (object);
}

static void
bk_bridge_manager_finalize (GObject *object)
{
  BkBridgeManager *self = BK_BRIDGE_MANAGER (object);

  /* The watches stay with their onboardings; they forget the manager
   * through their weak pointers. */
  g_clear_pointer (&self->watches, g_ptr_array_unref);
  g_clear_pointer (&self->bridges, g_ptr_array_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);

  G_OBJECT_CLASS (bk_bridge_manager_parent_class)->finalize (object);
}

static void
bk_bridge_manager_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  BkBridgeManager *self = BK_BRIDGE_MANAGER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SECRETS:
      g_value_set_object (value, self->secrets);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->bridges->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_bridge_manager_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  BkBridgeManager *self = BK_BRIDGE_MANAGER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SECRETS:
      self->secrets = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_bridge_manager_class_init (BkBridgeManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = bk_bridge_manager_constructed;
  object_class->dispose = bk_bridge_manager_dispose;
  object_class->finalize = bk_bridge_manager_finalize;
  object_class->get_property = bk_bridge_manager_get_property;
  object_class->set_property = bk_bridge_manager_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, BK_TYPE_DEVICE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECRETS] =
    g_param_spec_object ("secrets", NULL, NULL, BK_TYPE_SECRETS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bk_bridge_manager_init (BkBridgeManager *self)
{
  self->bridges = g_ptr_array_new_with_free_func (g_object_unref);
  self->watches = g_ptr_array_new ();
}

/* ---- public ---- */

BkBridgeManager *
bk_bridge_manager_new (BkDeviceStore *store,
                       BkSecrets     *secrets)
{
  g_return_val_if_fail (BK_IS_DEVICE_STORE (store), NULL);
  g_return_val_if_fail (BK_IS_SECRETS (secrets), NULL);

  return g_object_new (BK_TYPE_BRIDGE_MANAGER, "store", store, "secrets", secrets, NULL);
}

BkDeviceStore *
bk_bridge_manager_get_store (BkBridgeManager *self)
{
  g_return_val_if_fail (BK_IS_BRIDGE_MANAGER (self), NULL);
  return self->store;
}

BkSecrets *
bk_bridge_manager_get_secrets (BkBridgeManager *self)
{
  g_return_val_if_fail (BK_IS_BRIDGE_MANAGER (self), NULL);
  return self->secrets;
}

BkBridge *
bk_bridge_manager_lookup (BkBridgeManager *self,
                          const char      *device_id)
{
  g_return_val_if_fail (BK_IS_BRIDGE_MANAGER (self), NULL);

  for (guint i = 0; device_id != NULL && i < self->bridges->len; i++)
    {
      BkBridge *bridge = g_ptr_array_index (self->bridges, i);

      if (g_strcmp0 (bk_device_get_id (bk_bridge_get_device (bridge)), device_id) == 0)
        return bridge;
    }
  return NULL;
}
