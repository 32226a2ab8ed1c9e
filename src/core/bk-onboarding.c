/* bk-onboarding.c: the guided set-up of one bridge
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkOnboarding"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bk-busy.h"
#include "bk-cluster-discovery.h"
#include "bk-core-enums.h"
#include "bk-onboarding.h"
#include "bk-reservation.h"
#include "bk-validate.h"

struct _BkOnboarding
{
  GObject            parent_instance;

  BkDeviceStore     *store;
  BkSecrets         *secrets;
  BkDevice          *device;
  BkCmsClient       *client;

  char              *host;
  guint              port;
  char              *password;
  char              *pending_pin;
  char              *software_version;
  gboolean           connected;      /* connect() succeeded in this session */
  gboolean           reserved;       /* reserve() succeeded in this session */
  BkOnboardingStage  stage;

  BkBusy             busy;

  /* check_range() */
  gboolean           range_set;
  char              *domain;
  guint64            base;
  guint              quantity;
  BkSlotScan        *scan;

  /* set_alternate() and check_alternate() */
  gboolean           alternate_set;
  gboolean           alternate_checked;   /* the recorded alternate answered with its credentials */
  char              *alternate_password;
  char              *alternate_pending_pin; /* trusted for the recorded alternate address */
  BkCmsClient       *alternate_client;
};

G_DEFINE_FINAL_TYPE (BkOnboarding, bk_onboarding, G_TYPE_OBJECT)

G_DEFINE_QUARK (bk-onboarding-error-quark, bk_onboarding_error)

enum {
  PROP_0,
  PROP_DEVICE,
  PROP_STAGE,
  PROP_PROGRESS,
  PROP_PROGRESS_TEXT,
  PROP_BUSY,
  PROP_SOFTWARE_VERSION,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- small helpers ---- */

static void
update_stage (BkOnboarding *self)
{
  BkOnboardingStage stage = self->device ? bk_device_get_onboarding_stage (self->device) : BK_ONBOARDING_STAGE_NEW;

  if (stage != self->stage)
    {
      self->stage = stage;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAGE]);
    }
}

static void
device_stage_changed_cb (BkDevice     *device,
                         GParamSpec   *pspec,
                         BkOnboarding *self)
{
  update_stage (self);
}

static void
set_device (BkOnboarding *self,
            BkDevice     *device)
{
  if (self->device == device)
    return;
  if (self->device != NULL)
    g_signal_handlers_disconnect_by_func (self->device, device_stage_changed_cb, self);
  g_set_object (&self->device, device);
  if (device != NULL)
    g_signal_connect_object (device, "notify::onboarding-stage", G_CALLBACK (device_stage_changed_cb), self, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE]);
  update_stage (self);
}

static gboolean
device_is_listed (BkOnboarding *self)
{
  return self->device != NULL &&
         bk_device_store_lookup (self->store, bk_device_get_id (self->device)) == self->device;
}

static GError *
already_managed_error (const char *host,
                       guint       port,
                       BkDevice   *managing)
{
  g_autofree char *typed = bk_slots_format_address (host, port);
  g_autofree char *managed = bk_slots_format_address (bk_device_get_address (managing),
                                                      bk_device_get_port (managing));

  /* TRANSLATORS: TMS's own sentence; the first %s is the address typed, the
   * second the address of the bridge already in the list. */
  return g_error_new (BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_ALREADY_MANAGED,
                      _("The %s is part of a clustered call bridge and has already been added through %s. Retry after entering a new IP."),
                      typed, managed);
}

static GError *
wrong_step_error (const char *what)
{
  return g_error_new (BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_WRONG_STEP,
                      _("This step cannot run yet: %s"), what);
}

/* ---- step 1: connect ---- */

static void
connect_fail (BkOnboarding *self,
              GTask        *task,
              GError       *error)
{
  bk_busy_set (&self->busy, FALSE);
  g_task_return_error (task, error);
}

static void
connect_status_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkOnboarding *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsSystemStatus) status = NULL;

  status = bk_cms_client_get_system_status_finish (BK_CMS_CLIENT (source), result, &error);
  if (status == NULL)
    {
      if (g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_NOT_FOUND) ||
          g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_MALFORMED_REPLY))
        {
          g_autofree char *addr = bk_slots_format_address (self->host, self->port);

          connect_fail (self, task,
                        g_error_new (BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_NOT_CMS,
                                     _("%s answered, but not as a Cisco Meeting Server: it has no CMS API at /api/v1/system/status. Check the address and the port: the API uses the Web Admin port, often 445."),
                                     addr));
          return;
        }
      connect_fail (self, task, g_steal_pointer (&error));
      return;
    }

  g_free (self->software_version);
  self->software_version = g_strdup (status->software_version != NULL ? status->software_version : "");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOFTWARE_VERSION]);

  bk_device_set_address (self->device, self->host);
  bk_device_set_port (self->device, self->port);
  bk_device_set_username (self->device, bk_cms_client_get_username (self->client));
  bk_device_set_certificate_pin (self->device, bk_cms_client_get_pin (self->client) ? bk_cms_client_get_pin (self->client) : "");
  bk_device_set_software_version (self->device, self->software_version);
  bk_device_set_reachability (self->device, BK_REACHABILITY_REACHABLE);
  if (bk_device_get_onboarding_stage (self->device) < BK_ONBOARDING_STAGE_CONNECTED)
    bk_device_set_onboarding_stage (self->device, BK_ONBOARDING_STAGE_CONNECTED);
  bk_reservation_save_device (self->store, self->device);
  self->connected = TRUE;
  update_stage (self);

  bk_busy_set (&self->busy, FALSE);
  g_task_return_boolean (task, TRUE);
}

static void
connect_probe (BkOnboarding *self,
               GTask        *task,
               const char   *username)
{
  g_autofree char *url = NULL;
  const char *pin;

  url = bk_device_dup_base_url (self->device);
  pin = self->pending_pin != NULL ? self->pending_pin
        : (*bk_device_get_certificate_pin (self->device) != '\0' ? bk_device_get_certificate_pin (self->device) : NULL);
  g_clear_object (&self->client);
  self->client = bk_cms_client_new (url, username, self->password, pin);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLIENT]);

  bk_busy_progress_cb (-1, _("Connecting to the bridge"), &self->busy);
  bk_cms_client_get_system_status_async (self->client, g_task_get_cancellable (task),
                                         connect_status_cb, task);
}

static void
connect_password_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkOnboarding *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  char *password;
  const char *username;

  password = bk_secrets_lookup_finish (BK_SECRETS (source), result, &error);
  if (password == NULL)
    {
      connect_fail (self, task, error ? g_steal_pointer (&error)
                    : g_error_new_literal (BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT,
                                           _("No password is stored for this bridge. Enter the API password.")));
      return;
    }
  bk_secrets_password_free (self->password);
  self->password = password;
  /* Kept alive by the task, which connect_probe() keeps. */
  username = g_object_get_data (G_OBJECT (task), "username");
  connect_probe (self, g_steal_pointer (&task), username);
}

void
bk_onboarding_connect_async (BkOnboarding        *self,
                             const char          *address_text,
                             const char          *username,
                             const char          *password,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *host = NULL;
  guint port = 0;
  BkDevice *other;

  g_return_if_fail (BK_IS_ONBOARDING (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_onboarding_connect_async);

  if (address_text == NULL && self->device != NULL)
    {
      host = g_strdup (bk_device_get_address (self->device));
      port = bk_device_get_port (self->device);
    }
  else if (!bk_validate_address (address_text, &host, &port, &error))
    {
      g_task_return_new_error (task, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT, "%s", error->message);
      return;
    }
  if ((username == NULL || *username == '\0') && self->device != NULL)
    username = bk_device_get_username (self->device);
  if (username == NULL || strspn (username, " \t") == strlen (username))
    {
      g_task_return_new_error (task, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT, "%s",
                               _("Enter the name of the bridge’s API user."));
      return;
    }

  other = bk_device_store_find_by_address (self->store, host, port);
  if (other != NULL && (self->device == NULL || g_strcmp0 (bk_device_get_id (other), bk_device_get_id (self->device)) != 0))
    {
      g_task_return_new_error (task, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_ALREADY_ADDED,
                               _("%s is already in the list of bridges as “%s”. Open it there instead of adding it again."),
                               address_text ? address_text : host, bk_device_get_display_name (other));
      return;
    }
  other = bk_cluster_find_managing_device (self->store, self->device, host, port, NULL);
  if (other != NULL)
    {
      g_task_return_error (task, already_managed_error (host, port, other));
      return;
    }

  g_free (self->host);
  self->host = g_steal_pointer (&host);
  self->port = port;
  if (self->device == NULL)
    set_device (self, g_object_new (BK_TYPE_DEVICE, "address", self->host, "port", self->port, NULL));

  bk_busy_set (&self->busy, TRUE);
  if (password != NULL)
    {
      bk_secrets_password_free (self->password);
      self->password = g_strdup (password);
      connect_probe (self, g_steal_pointer (&task), username);
      return;
    }
  if (self->password != NULL)
    {
      connect_probe (self, g_steal_pointer (&task), username);
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "username", g_strdup (username), g_free);
  bk_busy_progress_cb (-1, _("Looking up the password"), &self->busy);
  bk_secrets_lookup_async (self->secrets, bk_device_get_id (self->device), BK_SECRET_KIND_PRIMARY,
                           cancellable, connect_password_cb, g_steal_pointer (&task));
}

gboolean
bk_onboarding_connect_finish (BkOnboarding  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
bk_onboarding_trust_certificate (BkOnboarding *self,
                                 const char   *sha256)
{
  g_return_if_fail (BK_IS_ONBOARDING (self));
  g_return_if_fail (sha256 != NULL);

  g_free (self->pending_pin);
  self->pending_pin = g_ascii_strdown (sha256, -1);
  if (self->client != NULL)
    bk_cms_client_set_pin (self->client, self->pending_pin);
  if (self->device != NULL && self->connected)
    bk_device_set_certificate_pin (self->device, self->pending_pin);
}

/* ---- step 2: discover ---- */

static void
discover_fail (BkOnboarding *self,
               GTask        *task,
               GError       *error)
{
  bk_busy_set (&self->busy, FALSE);
  g_task_return_error (task, error);
}

static void
discover_stored_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkOnboarding *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  GPtrArray *members;

  if (!bk_secrets_store_finish (BK_SECRETS (source), result, &error))
    g_warning ("Could not store the password yet (stored again at the end): %s", error->message);

  members = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_cluster_member_free);
  for (guint i = 0; i < bk_device_get_cluster_members (self->device)->len; i++)
    g_ptr_array_add (members, bk_cluster_member_copy (g_ptr_array_index (bk_device_get_cluster_members (self->device), i)));
  bk_busy_set (&self->busy, FALSE);
  g_task_return_pointer (task, members, (GDestroyNotify) g_ptr_array_unref);
}

static void
discover_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkOnboarding *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) members = NULL;
  g_autofree char *self_id = NULL;
  BkDevice *other;

  members = bk_cluster_discover_finish (result, &self_id, &error);
  if (members == NULL)
    {
      discover_fail (self, task, g_steal_pointer (&error));
      return;
    }

  other = bk_cluster_find_managing_device (self->store, self->device, self->host, self->port, members);
  if (other != NULL)
    {
      discover_fail (self, task, already_managed_error (self->host, self->port, other));
      return;
    }

  bk_device_set_cluster_members (self->device, members);
  bk_device_set_cluster_flags (self->device, members->len > 1 ? BK_CLUSTER_FLAGS_CALL_BRIDGES : BK_CLUSTER_FLAGS_NONE);
  g_object_set_data_full (G_OBJECT (self->device), "bk-self-member-id", g_steal_pointer (&self_id), g_free);
  if (bk_device_get_onboarding_stage (self->device) < BK_ONBOARDING_STAGE_CLUSTER_DISCOVERED)
    bk_device_set_onboarding_stage (self->device, BK_ONBOARDING_STAGE_CLUSTER_DISCOVERED);

  if (!device_is_listed (self))
    {
      if (!bk_device_store_add (self->store, self->device, &error) && !device_is_listed (self))
        {
          discover_fail (self, task, g_steal_pointer (&error));
          return;
        }
      if (error != NULL)
        g_warning ("The bridge was added but the list could not be saved: %s", error->message);
    }
  else
    bk_reservation_save_device (self->store, self->device);

  bk_busy_progress_cb (-1, _("Storing the password"), &self->busy);
  bk_secrets_store_async (self->secrets, self->device, BK_SECRET_KIND_PRIMARY, self->password,
                          g_task_get_cancellable (task), discover_stored_cb, g_object_ref (task));
}

void
bk_onboarding_discover_async (BkOnboarding        *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BK_IS_ONBOARDING (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_onboarding_discover_async);
  if (!self->connected)
    {
      g_task_return_error (task, wrong_step_error (_("connect to the bridge first.")));
      return;
    }
  bk_busy_set (&self->busy, TRUE);
  bk_busy_progress_cb (-1, _("Looking for the other call bridges of the cluster"), &self->busy);
  bk_cluster_discover_async (self->client, cancellable, discover_cb, g_steal_pointer (&task));
}

GPtrArray *
bk_onboarding_discover_finish (BkOnboarding  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- step 3: name ---- */

gboolean
bk_onboarding_set_name (BkOnboarding  *self,
                        const char    *name,
                        GError       **error)
{
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (BK_IS_ONBOARDING (self), FALSE);

  if (self->device == NULL)
    {
      g_propagate_error (error, wrong_step_error (_("connect to the bridge first.")));
      return FALSE;
    }
  trimmed = g_strstrip (g_strdup (name != NULL ? name : ""));
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT,
                           _("Enter a system name: Bridgekeeper shows the bridge under this name."));
      return FALSE;
    }
  bk_device_set_name (self->device, trimmed);
  bk_reservation_save_device (self->store, self->device);
  return TRUE;
}

/* ---- step 4: range ---- */

static void
check_range_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkOnboarding *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  BkSlotScan *scan;
  GPtrArray *collisions;

  scan = bk_reservation_scan_finish (result, &error);
  bk_busy_set (&self->busy, FALSE);
  if (scan == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_clear_pointer (&self->scan, bk_slot_scan_free);
  self->scan = scan;
  collisions = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_slot_collision_free);
  for (guint i = 0; i < scan->collisions->len; i++)
    g_ptr_array_add (collisions, bk_slot_collision_copy (g_ptr_array_index (scan->collisions, i)));
  g_task_return_pointer (task, collisions, (GDestroyNotify) g_ptr_array_unref);
}

static void
scan_progress_cb (guint    fetched,
                  guint    total,
                  gpointer user_data)
{
  BkOnboarding *self = user_data;
  g_autofree char *text = NULL;

  if (total == 0)
    return;
  text = g_strdup_printf (_("Reading the bridge’s spaces (%u of %u)"), MIN (fetched, total), total);
  bk_busy_progress_cb ((double) MIN (fetched, total) / total, text, &self->busy);
}

void
bk_onboarding_check_range_async (BkOnboarding        *self,
                                 const char          *domain,
                                 guint64              base,
                                 guint                quantity,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *trimmed = NULL;

  g_return_if_fail (BK_IS_ONBOARDING (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_onboarding_check_range_async);
  if (!self->connected || self->device == NULL ||
      bk_device_get_onboarding_stage (self->device) < BK_ONBOARDING_STAGE_CLUSTER_DISCOVERED)
    {
      g_task_return_error (task, wrong_step_error (_("connect to the bridge and discover its cluster first.")));
      return;
    }
  trimmed = g_strstrip (g_strdup (domain != NULL ? domain : ""));
  if (!bk_validate_domain (trimmed, &error) || !bk_validate_numeric_range (base, quantity, &error))
    {
      g_task_return_new_error (task, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT, "%s", error->message);
      return;
    }
  g_free (self->domain);
  self->domain = g_steal_pointer (&trimmed);
  self->base = base;
  self->quantity = quantity;
  self->range_set = TRUE;
  g_clear_pointer (&self->scan, bk_slot_scan_free);

  bk_busy_set (&self->busy, TRUE);
  bk_busy_progress_cb (-1, _("Reading the bridge’s spaces"), &self->busy);
  bk_reservation_scan_async (self->client, base, quantity, FALSE, scan_progress_cb, self,
                             cancellable, check_range_cb, g_steal_pointer (&task));
}

GPtrArray *
bk_onboarding_check_range_finish (BkOnboarding  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- step 5: reserve ---- */

static void
reserve_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkOnboarding *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  /* The scan is stale once anything may have changed on the bridge. */
  g_clear_pointer (&self->scan, bk_slot_scan_free);
  bk_busy_set (&self->busy, FALSE);
  if (!bk_reservation_reserve_finish (result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  self->reserved = TRUE;
  g_task_return_boolean (task, TRUE);
}

void
bk_onboarding_reserve_async (BkOnboarding        *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BK_IS_ONBOARDING (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_onboarding_reserve_async);
  if (!self->connected || !device_is_listed (self) ||
      bk_device_get_onboarding_stage (self->device) < BK_ONBOARDING_STAGE_CLUSTER_DISCOVERED)
    {
      g_task_return_error (task, wrong_step_error (_("connect to the bridge and discover its cluster first.")));
      return;
    }
  if (!self->range_set)
    {
      if (!bk_device_has_extended_settings (self->device))
        {
          g_task_return_error (task, wrong_step_error (_("enter the domain and the numeric ID range first.")));
          return;
        }
      /* Resuming: the range saved on the device. */
      g_free (self->domain);
      self->domain = g_strdup (bk_device_get_domain (self->device));
      self->base = bk_device_get_numeric_id_base (self->device);
      self->quantity = bk_device_get_numeric_id_quantity (self->device);
      self->range_set = TRUE;
    }

  bk_device_set_domain (self->device, self->domain);
  bk_device_set_numeric_id_base (self->device, self->base);
  bk_device_set_numeric_id_quantity (self->device, self->quantity);
  bk_reservation_save_device (self->store, self->device);

  bk_busy_set (&self->busy, TRUE);
  bk_reservation_reserve_async (self->client, self->device, self->store, self->base, self->quantity,
                                self->scan, BK_RESERVATION_CHECK_COLLISIONS, bk_busy_progress_cb, &self->busy,
                                cancellable, reserve_cb, g_steal_pointer (&task));
}

gboolean
bk_onboarding_reserve_finish (BkOnboarding  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- step 6: failover ---- */

gboolean
bk_onboarding_set_alternate (BkOnboarding  *self,
                             const char    *member_id,
                             const char    *username,
                             const char    *password,
                             GError       **error)
{
  const BkClusterMember *member;
  const char *self_id;
  g_autofree char *host = NULL;
  g_autofree char *address = NULL;
  g_autofree char *trimmed_user = NULL;
  guint port = 0;

  g_return_val_if_fail (BK_IS_ONBOARDING (self), FALSE);

  if (self->device == NULL || bk_device_get_onboarding_stage (self->device) < BK_ONBOARDING_STAGE_CLUSTER_DISCOVERED)
    {
      g_propagate_error (error, wrong_step_error (_("discover the bridge’s cluster first.")));
      return FALSE;
    }

  if (member_id == NULL || *member_id == '\0')
    {
      bk_device_set_alternate_member_id (self->device, "");
      bk_device_set_alternate_address (self->device, "");
      bk_device_set_alternate_username (self->device, "");
      bk_device_set_alternate_certificate_pin (self->device, "");
      g_clear_pointer (&self->alternate_password, bk_secrets_password_free);
      g_clear_pointer (&self->alternate_pending_pin, g_free);
      g_clear_object (&self->alternate_client);
      self->alternate_set = TRUE;
      self->alternate_checked = TRUE;
      bk_reservation_save_device (self->store, self->device);
      return TRUE;
    }

  member = bk_device_find_cluster_member (self->device, member_id);
  if (member == NULL)
    {
      g_set_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT,
                   _("%s is not a call bridge of this cluster. Choose one of the call bridges found."), member_id);
      return FALSE;
    }
  self_id = g_object_get_data (G_OBJECT (self->device), "bk-self-member-id");
  if (self_id != NULL && g_strcmp0 (self_id, member->id) == 0)
    {
      g_set_error_literal (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT,
                           _("This call bridge is the one Bridgekeeper manages already. Choose another call bridge of the cluster as the alternate."));
      return FALSE;
    }
  if (!bk_validate_address (member->address, &host, &port, NULL))
    {
      g_set_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT,
                   _("The call bridge “%s” did not report a usable address. Choose another one."), member->name);
      return FALSE;
    }
  address = bk_slots_format_address (host, port);

  /* The alternate signs in with its own user: a user name without its
   * password (or the reverse) would silently mix it with the primary's. */
  trimmed_user = g_strstrip (g_strdup (username != NULL ? username : ""));
  if (*trimmed_user != '\0' && (password == NULL || *password == '\0'))
    {
      g_set_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT,
                   _("Enter the password of %s on %s, or leave both the user name and the password empty to use the primary’s."),
                   trimmed_user, *member->name != '\0' ? member->name : address);
      return FALSE;
    }
  if (*trimmed_user == '\0' && password != NULL && *password != '\0')
    {
      g_set_error (error, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT,
                   _("Enter the API user name for %s too, or leave both the user name and the password empty to use the primary’s."),
                   *member->name != '\0' ? member->name : address);
      return FALSE;
    }

  /* A pin belongs to one node: another address needs its own. */
  if (g_strcmp0 (address, bk_device_get_alternate_address (self->device)) != 0)
    {
      bk_device_set_alternate_certificate_pin (self->device, "");
      g_clear_pointer (&self->alternate_pending_pin, g_free);
    }
  bk_device_set_alternate_member_id (self->device, member->id);
  bk_device_set_alternate_address (self->device, address);
  bk_device_set_alternate_username (self->device,
                                    *trimmed_user != '\0' ? trimmed_user : bk_device_get_username (self->device));
  g_clear_pointer (&self->alternate_password, bk_secrets_password_free);
  self->alternate_password = g_strdup (*trimmed_user != '\0' ? password : self->password);
  g_clear_object (&self->alternate_client);
  self->alternate_set = TRUE;
  self->alternate_checked = FALSE;
  bk_reservation_save_device (self->store, self->device);
  return TRUE;
}

/* ---- step 6b: the alternate answers with its own certificate and user ---- */

/* "CallBridge-Core2 (127.0.0.1:9443)", or the address alone. */
static char *
dup_alternate_label (BkOnboarding *self)
{
  const BkClusterMember *member = bk_device_find_cluster_member (self->device,
                                                                 bk_device_get_alternate_member_id (self->device));
  const char *address = bk_device_get_alternate_address (self->device);

  if (member != NULL && *member->name != '\0')
    return g_strdup_printf ("%s (%s)", member->name, address);
  return g_strdup (address);
}

static void alternate_probe (BkOnboarding *self,
                             GTask        *task);

static void
alternate_status_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkOnboarding *self = g_task_get_source_object (task);
  BkCmsClient *client = BK_CMS_CLIENT (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsSystemStatus) status = NULL;
  g_autofree char *label = NULL;
  const char *primary_pin;

  status = bk_cms_client_get_system_status_finish (client, result, &error);
  if (status != NULL)
    {
      const char *pin = bk_cms_client_get_pin (client);

      bk_device_set_alternate_certificate_pin (self->device, pin != NULL ? pin : "");
      self->alternate_checked = TRUE;
      bk_reservation_save_device (self->store, self->device);
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* The very certificate the person trusted for the primary (a cluster
   * whose nodes share one certificate) needs no second question. */
  primary_pin = bk_device_get_certificate_pin (self->device);
  if (g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_UNTRUSTED) &&
      bk_cms_client_get_pin (client) == NULL && *primary_pin != '\0' &&
      g_strcmp0 (bk_cms_error_get_peer_sha256 (error), primary_pin) == 0)
    {
      bk_cms_client_set_pin (client, primary_pin);
      alternate_probe (self, g_steal_pointer (&task));
      return;
    }

  label = dup_alternate_label (self);
  if (g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_UNAUTHORIZED) ||
      g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_FORBIDDEN))
    {
      g_task_return_new_error (task, BK_CMS_ERROR, error->code,
                               /* TRANSLATORS: the first %s is a call bridge, e.g. "CallBridge-Core2 (10.0.0.2:443)"; the second a user name. */
                               _("%s refused the user “%s” or its password. Every call bridge of a cluster can have its own API user: enter the one of this call bridge."),
                               label, bk_device_get_alternate_username (self->device));
      return;
    }
  if (g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_UNREACHABLE) ||
      g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_TIMEOUT))
    {
      g_task_return_new_error (task, BK_CMS_ERROR, error->code,
                               _("The alternate %s did not answer. Check that it is running and reachable from this computer, or choose None for now."),
                               label);
      return;
    }
  /* TLS_UNTRUSTED keeps the certificate for the trust dialog. */
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
alternate_probe (BkOnboarding *self,
                 GTask        *task)
{
  bk_cms_client_get_system_status_async (self->alternate_client, g_task_get_cancellable (task),
                                         alternate_status_cb, task);
}

/* Starts the check on @task (no busy flag: the callers set it). */
static void
alternate_check_start (BkOnboarding *self,
                       GTask        *task)
{
  g_autofree char *url = bk_device_dup_alternate_base_url (self->device);
  const char *pin = self->alternate_pending_pin;

  if (pin == NULL || *pin == '\0')
    pin = bk_device_get_alternate_certificate_pin (self->device);

  g_clear_object (&self->alternate_client);
  self->alternate_client = bk_cms_client_new (url, bk_device_get_alternate_username (self->device),
                                              self->alternate_password != NULL ? self->alternate_password : "",
                                              *pin != '\0' ? pin : NULL);
  /* One log for every request of this onboarding. */
  if (self->client != NULL)
    bk_cms_client_set_log (self->alternate_client, bk_cms_client_get_log (self->client));
  alternate_probe (self, task);
}

static gboolean
alternate_needs_check (BkOnboarding *self)
{
  return self->alternate_set && !self->alternate_checked && bk_device_has_alternate (self->device);
}

static void
check_alternate_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkOnboarding *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  bk_busy_set (&self->busy, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
bk_onboarding_check_alternate_async (BkOnboarding        *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) inner = NULL;
  g_autofree char *label = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (BK_IS_ONBOARDING (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_onboarding_check_alternate_async);
  if (self->device == NULL || !self->alternate_set)
    {
      g_task_return_error (task, wrong_step_error (_("choose the alternate call bridge first.")));
      return;
    }
  if (!alternate_needs_check (self))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  label = dup_alternate_label (self);
  /* TRANSLATORS: %s is a call bridge, e.g. "CallBridge-Core2 (10.0.0.2:443)". */
  text = g_strdup_printf (_("Checking the alternate %s"), label);
  bk_busy_set (&self->busy, TRUE);
  bk_busy_progress_cb (-1, text, &self->busy);
  inner = g_task_new (self, cancellable, check_alternate_cb, g_steal_pointer (&task));
  alternate_check_start (self, g_steal_pointer (&inner));
}

gboolean
bk_onboarding_check_alternate_finish (BkOnboarding  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
bk_onboarding_trust_alternate_certificate (BkOnboarding *self,
                                           const char   *sha256)
{
  g_return_if_fail (BK_IS_ONBOARDING (self));
  g_return_if_fail (sha256 != NULL);

  g_free (self->alternate_pending_pin);
  self->alternate_pending_pin = g_ascii_strdown (sha256, -1);
  self->alternate_checked = FALSE;
}

/* ---- step 7: finish ---- */

static void
finish_fail (BkOnboarding *self,
             GTask        *task,
             GError       *error)
{
  bk_busy_set (&self->busy, FALSE);
  g_task_return_error (task, error);
}

static void
finish_complete (BkOnboarding *self,
                 GTask        *task)
{
  g_autoptr(GError) error = NULL;

  bk_device_set_onboarding_stage (self->device, BK_ONBOARDING_STAGE_COMPLETE);
  if (!bk_device_store_save (self->store, &error))
    {
      finish_fail (self, task, g_steal_pointer (&error));
      return;
    }
  bk_busy_set (&self->busy, FALSE);
  g_task_return_boolean (task, TRUE);
}

static void
finish_alternate_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkOnboarding *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (self->alternate_password != NULL)
    ok = bk_secrets_store_finish (BK_SECRETS (source), result, &error);
  else
    ok = bk_secrets_clear_finish (BK_SECRETS (source), result, &error);
  if (!ok)
    {
      finish_fail (self, task, g_steal_pointer (&error));
      return;
    }
  finish_complete (self, task);
}

static void
finish_primary_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkOnboarding *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!bk_secrets_store_finish (BK_SECRETS (source), result, &error))
    {
      finish_fail (self, task, g_steal_pointer (&error));
      return;
    }
  if (!self->alternate_set)
    {
      finish_complete (self, task);
      return;
    }
  if (self->alternate_password != NULL && bk_device_has_alternate (self->device))
    bk_secrets_store_async (self->secrets, self->device, BK_SECRET_KIND_ALTERNATE, self->alternate_password,
                            g_task_get_cancellable (task), finish_alternate_cb, g_object_ref (task));
  else
    {
      g_clear_pointer (&self->alternate_password, bk_secrets_password_free);
      bk_secrets_clear_async (self->secrets, bk_device_get_id (self->device), BK_SECRET_KIND_ALTERNATE,
                              g_task_get_cancellable (task), finish_alternate_cb, g_object_ref (task));
    }
}

static void
finish_store (BkOnboarding *self,
              GTask        *task)
{
  bk_busy_progress_cb (-1, _("Storing the passwords"), &self->busy);
  bk_secrets_store_async (self->secrets, self->device, BK_SECRET_KIND_PRIMARY, self->password,
                          g_task_get_cancellable (task), finish_primary_cb, task);
}

static void
finish_checked_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkOnboarding *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      finish_fail (self, task, g_steal_pointer (&error));
      return;
    }
  finish_store (self, g_steal_pointer (&task));
}

void
bk_onboarding_finish_async (BkOnboarding        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BK_IS_ONBOARDING (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_onboarding_finish_async);
  if (!device_is_listed (self) || self->password == NULL ||
      (!self->reserved && bk_device_get_onboarding_stage (self->device) < BK_ONBOARDING_STAGE_COMPLETE))
    {
      g_task_return_error (task, wrong_step_error (_("reserve the meeting slots first.")));
      return;
    }
  bk_busy_set (&self->busy, TRUE);
  if (alternate_needs_check (self))
    {
      /* Never finish with an alternate that was not seen to answer with
       * its own certificate and user. */
      GTask *inner = g_task_new (self, cancellable, finish_checked_cb, g_steal_pointer (&task));

      bk_busy_progress_cb (-1, _("Checking the alternate call bridge"), &self->busy);
      alternate_check_start (self, inner);
      return;
    }
  finish_store (self, g_steal_pointer (&task));
}

gboolean
bk_onboarding_finish_finish (BkOnboarding  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject ---- */

static void
bk_onboarding_finalize (GObject *object)
{
  BkOnboarding *self = BK_ONBOARDING (object);

  if (self->device != NULL)
    g_signal_handlers_disconnect_by_func (self->device, device_stage_changed_cb, self);
  g_clear_object (&self->device);
  g_clear_object (&self->client);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);
  g_free (self->host);
  bk_secrets_password_free (self->password);
  bk_secrets_password_free (self->alternate_password);
  g_free (self->alternate_pending_pin);
  g_clear_object (&self->alternate_client);
  g_free (self->pending_pin);
  g_free (self->software_version);
  bk_busy_clear (&self->busy);
  g_free (self->domain);
  g_clear_pointer (&self->scan, bk_slot_scan_free);

  G_OBJECT_CLASS (bk_onboarding_parent_class)->finalize (object);
}

static void
bk_onboarding_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  BkOnboarding *self = BK_ONBOARDING (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      g_value_set_object (value, self->device);
      break;
    case PROP_STAGE:
      g_value_set_enum (value, self->stage);
      break;
    case PROP_SOFTWARE_VERSION:
      g_value_set_string (value, self->software_version);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    default:
      if (!bk_busy_get_property (&self->busy, pspec, value))
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_onboarding_class_init (BkOnboardingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bk_onboarding_finalize;
  object_class->get_property = bk_onboarding_get_property;

  properties[PROP_DEVICE] =
    g_param_spec_object ("device", NULL, NULL, BK_TYPE_DEVICE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STAGE] =
    g_param_spec_enum ("stage", NULL, NULL, BK_TYPE_ONBOARDING_STAGE, BK_ONBOARDING_STAGE_NEW,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  bk_busy_make_properties (&properties[PROP_BUSY], &properties[PROP_PROGRESS], &properties[PROP_PROGRESS_TEXT]);
  properties[PROP_SOFTWARE_VERSION] =
    g_param_spec_string ("software-version", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, BK_CMS_TYPE_CLIENT,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bk_onboarding_init (BkOnboarding *self)
{
  bk_busy_init (&self->busy, G_OBJECT (self), properties[PROP_BUSY], properties[PROP_PROGRESS],
                properties[PROP_PROGRESS_TEXT]);
  self->port = BK_DEFAULT_PORT;
}

/* ---- public ---- */

BkOnboarding *
bk_onboarding_new (BkDeviceStore *store,
                   BkSecrets     *secrets)
{
  BkOnboarding *self;

  g_return_val_if_fail (BK_IS_DEVICE_STORE (store), NULL);
  g_return_val_if_fail (BK_IS_SECRETS (secrets), NULL);

  self = g_object_new (BK_TYPE_ONBOARDING, NULL);
  self->store = g_object_ref (store);
  self->secrets = g_object_ref (secrets);
  return self;
}

BkOnboarding *
bk_onboarding_new_resume (BkDeviceStore *store,
                          BkSecrets     *secrets,
                          BkDevice      *device)
{
  BkOnboarding *self;

  g_return_val_if_fail (BK_IS_DEVICE (device), NULL);

  self = bk_onboarding_new (store, secrets);
  self->host = g_strdup (bk_device_get_address (device));
  self->port = bk_device_get_port (device);
  set_device (self, device);
  return self;
}

BkDevice *
bk_onboarding_get_device (BkOnboarding *self)
{
  g_return_val_if_fail (BK_IS_ONBOARDING (self), NULL);
  return self->device;
}

BkCmsClient *
bk_onboarding_get_client (BkOnboarding *self)
{
  g_return_val_if_fail (BK_IS_ONBOARDING (self), NULL);
  return self->client;
}

BkOnboardingStage
bk_onboarding_get_stage (BkOnboarding *self)
{
  g_return_val_if_fail (BK_IS_ONBOARDING (self), BK_ONBOARDING_STAGE_NEW);
  return self->stage;
}

double
bk_onboarding_get_progress (BkOnboarding *self)
{
  g_return_val_if_fail (BK_IS_ONBOARDING (self), -1);
  return self->busy.progress;
}

const char *
bk_onboarding_get_progress_text (BkOnboarding *self)
{
  g_return_val_if_fail (BK_IS_ONBOARDING (self), NULL);
  return self->busy.text;
}

gboolean
bk_onboarding_get_busy (BkOnboarding *self)
{
  g_return_val_if_fail (BK_IS_ONBOARDING (self), FALSE);
  return self->busy.busy;
}

const char *
bk_onboarding_get_software_version (BkOnboarding *self)
{
  g_return_val_if_fail (BK_IS_ONBOARDING (self), NULL);
  return self->software_version;
}
