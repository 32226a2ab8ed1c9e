/* bk-bridge.c: a listed bridge at work (status, check, maintenance)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkBridge"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bk-bridge.h"
#include "bk-busy.h"
#include "bk-core-enums.h"
#include "bk-cluster-discovery.h"
#include "bk-reservation.h"
#include "bk-tickets.h"
#include "bk-validate.h"

/* ---- BkBridge ---- */

/* Runs once the passwords are known; @user_data is the operation's GTask,
 * passed on (transfer full). */
typedef void (*ReadyFunc) (BkBridge *self, gpointer user_data);

struct _BkBridge
{
  GObject            parent_instance;

  BkDevice          *device;
  BkDeviceStore     *store;
  BkSecrets         *secrets;
  BkCmsLog          *log;
  BkCmsClient       *client;
  BkCmsClient       *alt_client;
  GHashTable        *node_clients;    /* member id -> BkCmsClient without a user, for probes */
  GHashTable        *failover_clients; /* member id -> BkCmsClient with the primary's user, for failover */
  GCancellable      *lifetime;

  char              *password;
  char              *alt_password;
  guint              lookups_pending;
  gboolean           lookup_again;    /* a password may have been stored meanwhile */
  gboolean           passwords_known; /* looked up since the last reason to doubt them */
  GPtrArray         *waiting;         /* GTask* waiting for the passwords */

  BkCmsSystemStatus *status;
  gboolean           in_call;
  BkBusy             busy;
  char              *last_error;

  GListStore        *tickets;
  GPtrArray         *outside_tickets; /* BkTicket*: the engine's (bk_bridge_add_ticket), or NULL */
  GListStore        *nodes;

  guint              refresh_interval;
  guint              refresh_id;
  gboolean           refreshing;

  /* What the last check found (ticket inputs). */
  gboolean           primary_unreachable;
  char              *primary_detail;
  gboolean           alt_unreachable;
  char              *alt_detail;
  GError            *alt_error;       /* why the alternate failed the last check, or NULL */
  GHashTable        *member_certs;    /* member id -> MemberCert: what the last probe of that member showed */
  guint              n_slots_missing;
  guint              n_slots_changed;
  GPtrArray         *alarms;          /* BkCmsAlarm* */
};

G_DEFINE_FINAL_TYPE (BkBridge, bk_bridge, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DEVICE,
  PROP_STATUS,
  PROP_IN_CALL,
  PROP_BUSY,
  PROP_PROGRESS,
  PROP_PROGRESS_TEXT,
  PROP_LAST_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
set_last_error (BkBridge   *self,
                const char *text)
{
  if (g_strcmp0 (self->last_error, text) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
set_status (BkBridge                *self,
            const BkCmsSystemStatus *status)
{
  gboolean in_call;

  g_clear_pointer (&self->status, bk_cms_system_status_free);
  self->status = status ? bk_cms_system_status_copy (status) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  in_call = status != NULL && status->call_legs_active > 0;
  if (in_call != self->in_call)
    {
      self->in_call = in_call;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IN_CALL]);
    }
}

/* What the last probe of a member (neither the managed node nor the
 * alternate) showed of its certificate. */
typedef struct
{
  BkCmsProbeCertificate certificate;
  char                 *peer_sha256;   /* NULL over plain HTTP */
} MemberCert;

static void
member_cert_free (MemberCert *mc)
{
  g_free (mc->peer_sha256);
  g_free (mc);
}

/* The certificate confirmed for member @member_id (saved with the device),
 * or NULL. */
static const char *
member_pin (BkBridge   *self,
            const char *member_id)
{
  const char *pin = bk_device_get_member_certificate_pin (self->device, member_id);

  return *pin != '\0' ? pin : NULL;
}

static BkTicketAlternateProblem
alternate_problem (const GError *error)
{
  if (g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_PIN_MISMATCH))
    return BK_TICKET_ALTERNATE_CERTIFICATE_CHANGED;
  if (g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_UNTRUSTED))
    return BK_TICKET_ALTERNATE_CERTIFICATE_UNTRUSTED;
  if (g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_UNAUTHORIZED) ||
      g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_FORBIDDEN))
    return BK_TICKET_ALTERNATE_CREDENTIALS_REFUSED;
  return BK_TICKET_ALTERNATE_NO_ANSWER;
}

static void
recompute_tickets (BkBridge *self)
{
  g_autoptr(GListModel) computed = NULL;
  g_autofree BkTicketAlarm *alarms = NULL;
  g_autofree char *alt_label = NULL;
  BkTicketInputs inputs = { 0 };
  guint n;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  inputs.primary_unreachable = self->primary_unreachable;
  inputs.primary_detail = self->primary_detail;
  inputs.alternate_unreachable = self->alt_unreachable && bk_device_has_alternate (self->device);
  inputs.alternate_detail = self->alt_detail;
  inputs.alternate_problem = alternate_problem (self->alt_error);
  alt_label = bk_bridge_dup_alternate_label (self);
  inputs.alternate_label = alt_label;
  inputs.n_slots_missing = self->n_slots_missing;
  inputs.n_slots_changed = self->n_slots_changed;
  if (self->alarms != NULL && self->alarms->len > 0)
    {
      alarms = g_new0 (BkTicketAlarm, self->alarms->len);
      for (guint i = 0; i < self->alarms->len; i++)
        {
          const BkCmsAlarm *a = g_ptr_array_index (self->alarms, i);

          alarms[i].id = a->id;
          alarms[i].type = a->type;
          alarms[i].failure_reason = a->failure_reason;
        }
      inputs.alarms = alarms;
      inputs.n_alarms = self->alarms->len;
    }

  computed = bk_tickets_compute (self->device, &inputs);
  n = g_list_model_get_n_items (computed);
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, g_list_model_get_item (computed, i));
  /* A member whose certificate is no longer the one confirmed for it: the
   * failover refuses it (the TLS handshake ends before the password). */
  {
    GPtrArray *members = bk_device_get_cluster_members (self->device);

    for (guint i = 0; i < members->len; i++)
      {
        const BkClusterMember *m = g_ptr_array_index (members, i);
        g_autofree char *label = NULL;
        g_autofree char *key = NULL;
        g_autofree char *sentence = NULL;

        if (bk_bridge_get_member_trust (self, m->id) != BK_MEMBER_TRUST_CHANGED)
          continue;
        label = bk_bridge_dup_member_label (self, m->id);
        key = g_strdup_printf ("member-certificate-changed:%s", m->id);
        /* TRANSLATORS: the first %s is a call bridge, e.g. "CallBridge-Core3 (10.0.0.3:443)"; the second the bridge's name. */
        sentence = g_strdup_printf (_("The certificate of %s, a call bridge of %s’s cluster, has changed since you confirmed it. Someone may be intercepting the connection, so meetings do not fail over to it. Trust the new certificate only if the bridge’s administrator confirms its fingerprint."),
                                    label, bk_device_get_display_name (self->device));
        g_ptr_array_add (items, bk_ticket_new (bk_device_get_id (self->device),
                                               BK_TICKET_KIND_MEMBER_CERTIFICATE_CHANGED,
                                               BK_TICKET_SEVERITY_ERROR, key, sentence,
                                               _("Review Certificate"),
                                               BK_TICKET_ACTION_REVIEW_MEMBER_CERTIFICATE,
                                               g_variant_new_string (m->id)));
      }
  }
  /* The tickets of the meetings on this bridge come after its own. */
  for (guint i = 0; self->outside_tickets != NULL && i < self->outside_tickets->len; i++)
    g_ptr_array_add (items, g_object_ref (g_ptr_array_index (self->outside_tickets, i)));
  g_list_store_splice (self->tickets, 0, g_list_model_get_n_items (G_LIST_MODEL (self->tickets)),
                       items->pdata, items->len);
}

/* "Managed": the member whose id the bridge gave as itself, or else the
 * one whose address is the device's own; NULL when none is. */
static const char *
managed_member_id (BkBridge *self)
{
  GPtrArray *members = bk_device_get_cluster_members (self->device);
  g_autofree char *own_host = bk_normalize_host (bk_device_get_address (self->device));
  const char *self_id = g_object_get_data (G_OBJECT (self->device), "bk-self-member-id");

  for (guint i = 0; i < members->len && self_id == NULL; i++)
    {
      const BkClusterMember *m = g_ptr_array_index (members, i);
      g_autofree char *host = NULL;
      guint port = 0;

      if (bk_validate_address (m->address, &host, &port, NULL) && g_strcmp0 (host, own_host) == 0 &&
          port == bk_device_get_port (self->device))
        self_id = m->id;
    }
  return self_id;
}

static void
rebuild_nodes (BkBridge *self)
{
  GPtrArray *members = bk_device_get_cluster_members (self->device);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  const char *self_id = managed_member_id (self);
  gboolean self_found = FALSE;

  for (guint i = 0; i < members->len; i++)
    {
      const BkClusterMember *m = g_ptr_array_index (members, i);
      BkReachability reachability = BK_REACHABILITY_UNKNOWN;
      g_autofree char *detail = NULL;
      gboolean managed = !self_found && g_strcmp0 (m->id, self_id) == 0;
      BkClusterNode *node;

      self_found |= managed;
      for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (self->nodes)); k++)
        {
          g_autoptr(BkClusterNode) o = g_list_model_get_item (G_LIST_MODEL (self->nodes), k);

          if (g_strcmp0 (bk_cluster_node_get_id (o), m->id) == 0)
            {
              reachability = bk_cluster_node_get_reachability (o);
              g_free (detail);
              detail = g_strdup (bk_cluster_node_get_detail (o));
            }
        }
      node = bk_cluster_node_new (m->id, m->name, m->address, reachability, managed,
                                  g_strcmp0 (m->id, bk_device_get_alternate_member_id (self->device)) == 0);
      bk_cluster_node_set_detail (node, detail);
      g_ptr_array_add (items, node);
    }
  g_list_store_splice (self->nodes, 0, g_list_model_get_n_items (G_LIST_MODEL (self->nodes)),
                       items->pdata, items->len);
}

/* @pin: the certificate trusted for that node, NULL or "" for none. */
static BkCmsClient *
make_client_pinned (BkBridge   *self,
                    const char *url,
                    const char *username,
                    const char *password,
                    const char *pin)
{
  BkCmsClient *client = bk_cms_client_new (url, username, password,
                                           pin != NULL && *pin != '\0' ? pin : NULL);

  bk_cms_client_set_log (client, self->log);
  return client;
}

/* A client of the primary's node (its pin). */
static BkCmsClient *
make_client (BkBridge   *self,
             const char *url,
             const char *username,
             const char *password)
{
  return make_client_pinned (self, url, username, password, bk_device_get_certificate_pin (self->device));
}

/* The alternate node has its own certificate and its own user: never the
 * primary's (a file from before per-node users has no alternate user: the
 * primary's user name was the one it used). */
static void
rebuild_alt_client (BkBridge *self)
{
  g_autofree char *url = bk_device_dup_alternate_base_url (self->device);

  g_clear_object (&self->alt_client);
  if (url != NULL)
    {
      const char *user = bk_device_get_alternate_username (self->device);

      self->alt_client = make_client_pinned (self, url, *user != '\0' ? user : bk_device_get_username (self->device),
                                             self->alt_password != NULL ? self->alt_password : "",
                                             bk_device_get_alternate_certificate_pin (self->device));
    }
}

char *
bk_bridge_dup_alternate_label (BkBridge *self)
{
  const BkClusterMember *member;
  const char *address;

  g_return_val_if_fail (BK_IS_BRIDGE (self), NULL);

  if (!bk_device_has_alternate (self->device))
    return NULL;
  address = bk_device_get_alternate_address (self->device);
  member = bk_device_find_cluster_member (self->device, bk_device_get_alternate_member_id (self->device));
  if (member != NULL && *member->name != '\0')
    return g_strdup_printf ("%s (%s)", member->name, address);
  return g_strdup (address);
}

const GError *
bk_bridge_get_alternate_error (BkBridge *self)
{
  g_return_val_if_fail (BK_IS_BRIDGE (self), NULL);
  return self->alt_error;
}

/* ---- waiting for the passwords ---- */

static void primary_lookup_cb (GObject *source, GAsyncResult *result, gpointer user_data);
static void alternate_lookup_cb (GObject *source, GAsyncResult *result, gpointer user_data);

/* Looks both passwords up (again).  Nothing asks the keyring before an
 * operation needs them (the manager makes a bridge for every listed
 * device at start-up).  The bridge exists from the moment its device is
 * listed, before the onboarding stores the passwords: they are looked up
 * again after the set-up moved on, and whenever an operation starts
 * without one. */
static void
start_lookups (BkBridge *self)
{
  if (self->lookups_pending > 0)
    {
      self->lookup_again = TRUE;
      return;
    }
  self->lookups_pending = 2;
  bk_secrets_lookup_async (self->secrets, bk_device_get_id (self->device), BK_SECRET_KIND_PRIMARY,
                           self->lifetime, primary_lookup_cb, g_object_ref (self));
  bk_secrets_lookup_async (self->secrets, bk_device_get_id (self->device), BK_SECRET_KIND_ALTERNATE,
                           self->lifetime, alternate_lookup_cb, g_object_ref (self));
}

/* Takes @task (transfer full) and hands it to @func once the passwords
 * are known. */
static void
when_ready (BkBridge  *self,
            GTask     *task,
            ReadyFunc  func)
{
  if (self->lookups_pending == 0 && (!self->passwords_known || self->password == NULL) &&
      !g_cancellable_is_cancelled (self->lifetime))
    start_lookups (self);
  if (self->lookups_pending == 0)
    {
      func (self, task);
      return;
    }
  g_object_set_data (G_OBJECT (task), "bk-ready-func", func);
  g_ptr_array_add (self->waiting, task);
}

static void
lookup_done (BkBridge *self)
{
  g_autoptr(GPtrArray) waiting = NULL;

  g_assert (self->lookups_pending > 0);
  if (--self->lookups_pending > 0)
    return;
  if (self->lookup_again && !g_cancellable_is_cancelled (self->lifetime))
    {
      self->lookup_again = FALSE;
      start_lookups (self);
      return;
    }
  self->passwords_known = TRUE;

  bk_cms_client_set_credentials (self->client, bk_device_get_username (self->device),
                                 self->password != NULL ? self->password : "");
  rebuild_alt_client (self);

  waiting = g_steal_pointer (&self->waiting);
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  while (waiting->len > 0)
    {
      g_autoptr(GTask) task = g_ptr_array_steal_index (waiting, 0);
      ReadyFunc func = g_object_get_data (G_OBJECT (task), "bk-ready-func");

      func (self, g_steal_pointer (&task));
    }
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BkBridge) self = user_data;
  g_autoptr(GError) error = NULL;
  char *password;
  BkSecretKind kind = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (result), "bk-kind"));

  password = bk_secrets_lookup_finish (BK_SECRETS (source), result, &error);
  if (error != NULL && !is_cancelled (error))
    g_warning ("Could not look up a password of %s: %s", bk_device_get_display_name (self->device), error->message);
  if (kind == BK_SECRET_KIND_PRIMARY)
    {
      bk_secrets_password_free (self->password);
      self->password = password;
    }
  else
    {
      bk_secrets_password_free (self->alt_password);
      self->alt_password = password;
    }
  lookup_done (self);
}

static void
primary_lookup_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_object_set_data (G_OBJECT (result), "bk-kind", GUINT_TO_POINTER (BK_SECRET_KIND_PRIMARY));
  lookup_cb (source, result, user_data);
}

static void
alternate_lookup_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_object_set_data (G_OBJECT (result), "bk-kind", GUINT_TO_POINTER (BK_SECRET_KIND_ALTERNATE));
  lookup_cb (source, result, user_data);
}

/* ---- ready ---- */

static void
ready_start (BkBridge *self,
             gpointer  user_data)
{
  g_autoptr(GTask) task = user_data;

  g_task_return_boolean (task, TRUE);
}

void
bk_bridge_ready_async (BkBridge            *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BK_IS_BRIDGE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_bridge_ready_async);
  when_ready (self, g_steal_pointer (&task), ready_start);
}

gboolean
bk_bridge_ready_finish (BkBridge      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- check ---- */

typedef struct
{
  guint       pending;
  GPtrArray  *members;       /* from discovery, or NULL */
  gboolean    slots_scanned;
  guint       n_missing;
  guint       n_changed;
  gboolean    cancelled;
  gboolean    alternate_checked;
  GHashTable *node_reach;    /* member id -> BkReachability, for the probed members */
  GHashTable *node_detail;   /* member id -> what the probe found (char*) */
} CheckData;

static void
check_data_free (CheckData *cd)
{
  g_clear_pointer (&cd->members, g_ptr_array_unref);
  g_clear_pointer (&cd->node_reach, g_hash_table_unref);
  g_clear_pointer (&cd->node_detail, g_hash_table_unref);
  g_free (cd);
}

/* One request of the check ended (@task borrowed: each request holds its
 * own reference); the last one returns the task. */
static void
check_done_one (GTask *task)
{
  BkBridge *self = g_task_get_source_object (task);
  CheckData *cd = g_task_get_task_data (task);
  g_autoptr(GDateTime) now = NULL;

  g_assert (cd->pending > 0);
  if (--cd->pending > 0)
    return;

  if (cd->cancelled)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Operation was cancelled"));
      return;
    }

  if (cd->members != NULL)
    {
      bk_device_set_cluster_members (self->device, cd->members);
      bk_device_set_cluster_flags (self->device,
                                   cd->members->len > 1 ? BK_CLUSTER_FLAGS_CALL_BRIDGES : BK_CLUSTER_FLAGS_NONE);
    }
  if (cd->slots_scanned)
    {
      self->n_slots_missing = cd->n_missing;
      self->n_slots_changed = cd->n_changed;
    }
  rebuild_nodes (self);
  /* Each node as it was checked: the managed one by the primary's status
   * request, the alternate with its own user and certificate, every other
   * one by a probe without credentials. */
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->nodes)); i++)
    {
      g_autoptr(BkClusterNode) node = g_list_model_get_item (G_LIST_MODEL (self->nodes), i);
      const char *id = bk_cluster_node_get_id (node);
      gpointer reach;

      if (g_hash_table_lookup_extended (cd->node_reach, id, NULL, &reach))
        {
          bk_cluster_node_set_reachability (node, GPOINTER_TO_UINT (reach));
          bk_cluster_node_set_detail (node, g_hash_table_lookup (cd->node_detail, id));
        }
      else if (bk_cluster_node_get_alternate (node) && cd->alternate_checked)
        {
          bk_cluster_node_set_reachability (node, self->alt_unreachable ? BK_REACHABILITY_UNREACHABLE
                                                                        : BK_REACHABILITY_REACHABLE);
          bk_cluster_node_set_detail (node, self->alt_unreachable ? self->alt_detail
                                                                  : _("Answered the check with the alternate’s own API user."));
        }
      else if (bk_cluster_node_get_managed (node))
        {
          bk_cluster_node_set_reachability (node, self->primary_unreachable ? BK_REACHABILITY_UNREACHABLE
                                                                            : BK_REACHABILITY_REACHABLE);
          bk_cluster_node_set_detail (node, self->primary_unreachable ? self->primary_detail
                                                                      : _("Answered the check with this bridge’s API user."));
        }
    }

  bk_device_set_reachability (self->device, self->primary_unreachable ? BK_REACHABILITY_UNREACHABLE
                                                                      : BK_REACHABILITY_REACHABLE);
  if (bk_device_has_alternate (self->device))
    bk_device_set_alternate_reachability (self->device, self->alt_unreachable ? BK_REACHABILITY_UNREACHABLE
                                                                              : BK_REACHABILITY_REACHABLE);
  now = g_date_time_new_now_utc ();
  bk_device_set_last_checked (self->device, now);
  set_last_error (self, self->primary_unreachable ? self->primary_detail : NULL);
  recompute_tickets (self);

  g_task_return_boolean (task, TRUE);
}

static void
check_note_error (CheckData *cd,
                  GError    *error)
{
  if (is_cancelled (error))
    cd->cancelled = TRUE;
}

/* Whether the primary or the alternate answered the check (@error NULL):
 * @unreachable and @detail say so; a cancelled request leaves @unreachable
 * as it was. */
static void
check_note_answer (CheckData     *cd,
                   const GError  *error,
                   gboolean      *unreachable,
                   char         **detail)
{
  g_clear_pointer (detail, g_free);
  if (error == NULL)
    *unreachable = FALSE;
  else if (!is_cancelled (error))
    {
      *unreachable = TRUE;
      *detail = g_strdup (error->message);
    }
  else
    cd->cancelled = TRUE;
}

static void
check_status_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkBridge *self = g_task_get_source_object (task);
  CheckData *cd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsSystemStatus) status = NULL;

  status = bk_cms_client_get_system_status_finish (BK_CMS_CLIENT (source), result, &error);
  check_note_answer (cd, error, &self->primary_unreachable, &self->primary_detail);
  if (status != NULL)
    {
      set_status (self, status);
      if (status->software_version != NULL)
        bk_device_set_software_version (self->device, status->software_version);
    }
  check_done_one (task);
}

static void
check_alarms_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkBridge *self = g_task_get_source_object (task);
  CheckData *cd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GPtrArray *alarms;

  alarms = bk_cms_client_list_alarms_finish (BK_CMS_CLIENT (source), result, &error);
  if (alarms != NULL)
    {
      g_clear_pointer (&self->alarms, g_ptr_array_unref);
      self->alarms = alarms;
    }
  else
    check_note_error (cd, error);
  check_done_one (task);
}

static void
check_alternate_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkBridge *self = g_task_get_source_object (task);
  CheckData *cd = g_task_get_task_data (task);
  BkCmsClient *client = BK_CMS_CLIENT (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsSystemStatus) status = NULL;
  const char *primary_pin = bk_device_get_certificate_pin (self->device);

  status = bk_cms_client_get_system_status_finish (client, result, &error);

  /* A file from before per-node pins has none for the alternate: the very
   * certificate trusted for the primary (nodes sharing one) is taken over
   * without a question; any other is "not trusted yet", never "changed". */
  if (g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_UNTRUSTED) &&
      client == self->alt_client && bk_cms_client_get_pin (client) == NULL &&
      *bk_device_get_alternate_certificate_pin (self->device) == '\0' && *primary_pin != '\0' &&
      g_strcmp0 (bk_cms_error_get_peer_sha256 (error), primary_pin) == 0)
    {
      bk_device_set_alternate_certificate_pin (self->device, primary_pin);
      bk_cms_client_set_pin (client, primary_pin);
      bk_reservation_save_device (self->store, self->device);
      GCancellable *cancellable = g_task_get_cancellable (task);

      bk_cms_client_get_system_status_async (client, cancellable, check_alternate_cb, g_steal_pointer (&task));
      return;
    }

  check_note_answer (cd, error, &self->alt_unreachable, &self->alt_detail);
  if (error == NULL || !is_cancelled (error))
    {
      g_clear_error (&self->alt_error);
      self->alt_error = g_steal_pointer (&error);
    }
  check_done_one (task);
}

/* A member that is neither the managed node nor the alternate: probed
 * without credentials (Bridgekeeper has no user for it, and may not trust
 * its certificate). Any HTTP answer means its web admin answers. */
static void
check_node_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CheckData *cd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsProbe) probe = NULL;
  BkBridge *self = g_task_get_source_object (task);
  const char *id = g_object_get_data (G_OBJECT (result), "bk-member-id");

  probe = bk_cms_client_probe_finish (BK_CMS_CLIENT (source), result, &error);
  if (probe != NULL)
    {
      MemberCert *mc = g_new0 (MemberCert, 1);

      mc->certificate = probe->certificate;
      mc->peer_sha256 = g_strdup (probe->peer_sha256);
      g_hash_table_insert (self->member_certs, g_strdup (id), mc);
    }
  if (error != NULL && is_cancelled (error))
    check_note_error (cd, error);
  else if (probe == NULL)
    {
      g_hash_table_insert (cd->node_reach, g_strdup (id), GUINT_TO_POINTER (BK_REACHABILITY_UNREACHABLE));
      g_hash_table_insert (cd->node_detail, g_strdup (id), g_strdup (error->message));
    }
  else
    {
      const char *detail;

      if (probe->certificate == BK_CMS_PROBE_CERTIFICATE_NOT_PINNED)
        detail = _("Its web admin answers (checked without signing in), but its certificate is not the one you trusted for it.");
      else
        detail = _("Its web admin answers (checked without signing in: Bridgekeeper has no API user for this node).");
      g_hash_table_insert (cd->node_reach, g_strdup (id), GUINT_TO_POINTER (BK_REACHABILITY_REACHABLE));
      g_hash_table_insert (cd->node_detail, g_strdup (id), g_strdup (detail));
    }
  check_done_one (task);
}

/* Each member's id travels on its own result object. */
typedef struct
{
  GTask *task;   /* owned: passed on to check_node_cb */
  char  *id;
} NodeCall;

static void
node_call_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  NodeCall *nc = user_data;

  g_object_set_data_full (G_OBJECT (result), "bk-member-id", g_steal_pointer (&nc->id), g_free);
  check_node_cb (source, result, g_steal_pointer (&nc->task));
  g_free (nc);
}

static void
check_discover_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkBridge *self = g_task_get_source_object (task);
  CheckData *cd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *self_id = NULL;

  cd->members = bk_cluster_discover_finish (result, &self_id, &error);
  if (cd->members == NULL)
    check_note_error (cd, error);
  else if (self_id != NULL)
    g_object_set_data_full (G_OBJECT (self->device), "bk-self-member-id", g_steal_pointer (&self_id), g_free);
  check_done_one (task);
}

static void
check_scan_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CheckData *cd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(BkSlotScan) scan = NULL;

  scan = bk_reservation_scan_finish (result, &error);
  if (scan != NULL)
    {
      cd->slots_scanned = TRUE;
      cd->n_missing = scan->n_missing;
      cd->n_changed = scan->n_changed;
    }
  else
    check_note_error (cd, error);
  check_done_one (task);
}

/* The client that probes member @member_id at @url: no user at all (the
 * primary's credentials never go to a node that is not trusted for them),
 * and the certificate the person trusted for that member, if any, so that
 * the probe can say whether the node still shows it. */
static BkCmsClient *
node_client (BkBridge   *self,
             const char *member_id,
             const char *url)
{
  BkCmsClient *client = g_hash_table_lookup (self->node_clients, member_id);
  const char *pin = member_pin (self, member_id);

  if (client != NULL && g_strcmp0 (bk_cms_client_get_base_url (client), url) != 0)
    client = NULL;
  if (client == NULL)
    {
      client = make_client_pinned (self, url, NULL, NULL, pin);
      /* A node that is down should not hold the check for long. */
      bk_cms_client_set_retry_policy (client, 1, 0, 0);
      g_hash_table_insert (self->node_clients, g_strdup (member_id), client);
    }
  else if (g_strcmp0 (bk_cms_client_get_pin (client), pin) != 0)
    bk_cms_client_set_pin (client, pin);
  return client;
}

static void
check_start (BkBridge *self,
             gpointer  user_data)
{
  g_autoptr(GTask) task = user_data;
  CheckData *cd = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GPtrArray *members = bk_device_get_cluster_members (self->device);
  const char *managed_id = managed_member_id (self);

  /* One count (and one reference) per request in flight, and one for
   * this function until it has sent them all. */
  cd->pending = 1;
  cd->pending++;
  bk_cms_client_get_system_status_async (self->client, cancellable, check_status_cb, g_object_ref (task));
  cd->pending++;
  bk_cms_client_list_alarms_async (self->client, cancellable, check_alarms_cb, g_object_ref (task));
  cd->pending++;
  bk_cluster_discover_async (self->client, cancellable, check_discover_cb, g_object_ref (task));
  if (self->alt_client != NULL)
    {
      cd->pending++;
      cd->alternate_checked = TRUE;
      bk_cms_client_get_system_status_async (self->alt_client, cancellable, check_alternate_cb, g_object_ref (task));
    }
  if (bk_device_has_extended_settings (self->device) &&
      bk_device_get_onboarding_stage (self->device) >= BK_ONBOARDING_STAGE_SLOTS_REQUESTED)
    {
      cd->pending++;
      /* Only the spaces named TMS_Scheduled_Meeting_* (the CMS filter): a
       * check must stay cheap on a bridge with many other spaces. A slot
       * renamed on the bridge counts as missing; Repair makes it again. */
      bk_reservation_scan_async (self->client, bk_device_get_numeric_id_base (self->device),
                                 bk_device_get_numeric_id_quantity (self->device), TRUE, NULL, NULL,
                                 cancellable, check_scan_cb, g_object_ref (task));
    }
  for (guint i = 0; i < members->len; i++)
    {
      const BkClusterMember *m = g_ptr_array_index (members, i);
      g_autofree char *host = NULL;
      guint port = 0;
      g_autofree char *url = NULL;
      NodeCall *nc;

      if (!bk_validate_address (m->address, &host, &port, NULL))
        continue;
      /* The managed node answered the primary's status request, and the
       * alternate is checked with its own certificate and user above: the
       * Clustering tab shows those answers. */
      if (g_strcmp0 (m->id, managed_id) == 0)
        continue;
      if (self->alt_client != NULL && g_strcmp0 (m->id, bk_device_get_alternate_member_id (self->device)) == 0)
        continue;
      url = bk_format_address (host, port, BK_ADDRESS_FORMAT_URL);
      nc = g_new0 (NodeCall, 1);
      nc->task = g_object_ref (task);
      nc->id = g_strdup (m->id);
      cd->pending++;
      bk_cms_client_probe_async (node_client (self, m->id, url), cancellable, node_call_cb, nc);
    }
  check_done_one (task);
}

void
bk_bridge_check_async (BkBridge            *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CheckData *cd;

  g_return_if_fail (BK_IS_BRIDGE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_bridge_check_async);
  cd = g_new0 (CheckData, 1);
  cd->node_reach = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  cd->node_detail = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_task_set_task_data (task, cd, (GDestroyNotify) check_data_free);
  when_ready (self, g_steal_pointer (&task), check_start);
}

gboolean
bk_bridge_check_finish (BkBridge      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- periodic status refresh ---- */

/* The bridge's answer to a status request (@status), or its failure. */
static void
note_status_answer (BkBridge                *self,
                    const BkCmsSystemStatus *status,
                    const GError            *error)
{
  if (status != NULL)
    {
      set_status (self, status);
      bk_device_set_reachability (self->device, BK_REACHABILITY_REACHABLE);
    }
  else if (!is_cancelled (error))
    {
      bk_device_set_reachability (self->device, BK_REACHABILITY_UNREACHABLE);
      set_last_error (self, error->message);
    }
}

static void
refresh_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BkBridge) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsSystemStatus) status = NULL;

  self->refreshing = FALSE;
  status = bk_cms_client_get_system_status_finish (BK_CMS_CLIENT (source), result, &error);
  note_status_answer (self, status, error);
}

static gboolean
refresh_tick_cb (gpointer user_data)
{
  BkBridge *self = user_data;

  /* The passwords first; the next tick refreshes. */
  if (self->lookups_pending == 0 && (!self->passwords_known || self->password == NULL) &&
      !g_cancellable_is_cancelled (self->lifetime))
    start_lookups (self);
  if (!self->refreshing && self->lookups_pending == 0)
    {
      self->refreshing = TRUE;
      bk_cms_client_get_system_status_async (self->client, self->lifetime, refresh_cb, g_object_ref (self));
    }
  return G_SOURCE_CONTINUE;
}

void
bk_bridge_set_refresh_interval (BkBridge *self,
                                guint     seconds)
{
  g_return_if_fail (BK_IS_BRIDGE (self));

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  self->refresh_interval = seconds;
  if (seconds > 0)
    {
      self->refresh_id = g_timeout_add_seconds (seconds, refresh_tick_cb, self);
      refresh_tick_cb (self);
    }
}

/* ---- maintenance: range change and repair ---- */

/* Range change, repair and removal run one at a time: TRUE (and @task
 * returned with an error) when another one is still running. */
static gboolean
refuse_when_busy (BkBridge *self,
                  GTask    *task)
{
  if (!self->busy.busy)
    return FALSE;
  g_task_return_new_error (task, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_WRONG_STEP, "%s",
                           _("Another operation on this bridge is still running. Wait for it to end."));
  return TRUE;
}

static void
maintenance_fail (BkBridge *self,
                  GTask    *task,
                  GError   *error)
{
  bk_busy_set (&self->busy, FALSE);
  g_task_return_error (task, error);
}

static void
maintenance_done (BkBridge *self,
                  GTask    *task)
{
  bk_busy_set (&self->busy, FALSE);
  g_task_return_boolean (task, TRUE);
}

typedef struct
{
  char    *domain;
  guint64  base;
  guint    quantity;
} RangeData;

static void
range_data_free (RangeData *rd)
{
  g_free (rd->domain);
  g_free (rd);
}

static void
range_after_check_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkBridge *self = BK_BRIDGE (source);
  g_autoptr(GError) error = NULL;

  if (!bk_bridge_check_finish (self, result, &error) && is_cancelled (error))
    {
      maintenance_fail (self, task, g_steal_pointer (&error));
      return;
    }
  maintenance_done (self, task);
}

static void
range_reserved_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  BkBridge *self = g_task_get_source_object (task);
  RangeData *rd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!bk_reservation_reserve_finish (result, &error))
    {
      maintenance_fail (self, task, g_steal_pointer (&error));
      return;
    }
  if (rd != NULL)
    {
      bk_device_set_domain (self->device, rd->domain);
      bk_device_set_numeric_id_base (self->device, rd->base);
      bk_device_set_numeric_id_quantity (self->device, rd->quantity);
    }
  if (bk_device_get_onboarding_stage (self->device) == BK_ONBOARDING_STAGE_SLOTS_REQUESTED)
    bk_device_set_onboarding_stage (self->device, BK_ONBOARDING_STAGE_COMPLETE);
  bk_reservation_save_device (self->store, self->device);
  self->n_slots_missing = 0;
  self->n_slots_changed = 0;
  recompute_tickets (self);

  if (g_task_get_source_tag (task) == bk_bridge_repair_async)
    {
      bk_busy_progress_cb (-1, _("Checking the bridge"), &self->busy);
      bk_bridge_check_async (self, cancellable, range_after_check_cb, g_steal_pointer (&task));
      return;
    }
  maintenance_done (self, task);
}

static void
range_start (BkBridge *self,
             gpointer  user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  RangeData *rd = g_task_get_task_data (task);

  bk_reservation_reserve_async (self->client, self->device, self->store, rd->base, rd->quantity, NULL,
                                BK_RESERVATION_CHECK_COLLISIONS, bk_busy_progress_cb, &self->busy,
                                cancellable, range_reserved_cb, g_steal_pointer (&task));
}

void
bk_bridge_change_range_async (BkBridge            *self,
                              const char          *domain,
                              guint64              base,
                              guint                quantity,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RangeData *rd;
  g_autoptr(GError) error = NULL;
  g_autofree char *trimmed = NULL;

  g_return_if_fail (BK_IS_BRIDGE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_bridge_change_range_async);
  if (refuse_when_busy (self, task))
    return;
  trimmed = g_strstrip (g_strdup (domain != NULL ? domain : ""));
  if (!bk_validate_domain (trimmed, &error) || !bk_validate_numeric_range (base, quantity, &error))
    {
      g_task_return_new_error (task, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT, "%s", error->message);
      return;
    }
  rd = g_new0 (RangeData, 1);
  rd->domain = g_steal_pointer (&trimmed);
  rd->base = base;
  rd->quantity = quantity;
  g_task_set_task_data (task, rd, (GDestroyNotify) range_data_free);
  bk_busy_set (&self->busy, TRUE);
  bk_busy_progress_cb (-1, _("Looking for spaces that already use the range"), &self->busy);
  when_ready (self, g_steal_pointer (&task), range_start);
}

gboolean
bk_bridge_change_range_finish (BkBridge      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
repair_start (BkBridge *self,
              gpointer  user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);

  bk_reservation_reserve_async (self->client, self->device, self->store,
                                bk_device_get_numeric_id_base (self->device),
                                bk_device_get_numeric_id_quantity (self->device), NULL,
                                BK_RESERVATION_FORCE_SYNC, bk_busy_progress_cb, &self->busy,
                                cancellable, range_reserved_cb, g_steal_pointer (&task));
}

void
bk_bridge_repair_async (BkBridge            *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BK_IS_BRIDGE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_bridge_repair_async);
  if (refuse_when_busy (self, task))
    return;
  if (!bk_device_has_extended_settings (self->device))
    {
      g_task_return_new_error (task, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_WRONG_STEP, "%s",
                               _("Set the domain and the numeric ID range first (Extended Settings)."));
      return;
    }
  bk_busy_set (&self->busy, TRUE);
  bk_busy_progress_cb (-1, _("Repairing the meeting spaces"), &self->busy);
  when_ready (self, g_steal_pointer (&task), repair_start);
}

gboolean
bk_bridge_repair_finish (BkBridge      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- test connection ---- */

static void
test_status_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkBridge *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  BkCmsSystemStatus *status;

  status = bk_cms_client_get_system_status_finish (BK_CMS_CLIENT (source), result, &error);
  note_status_answer (self, status, error);
  if (status == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  set_last_error (self, NULL);
  g_task_return_pointer (task, status, (GDestroyNotify) bk_cms_system_status_free);
}

static void
test_start (BkBridge *self,
            gpointer  user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);

  bk_cms_client_get_system_status_async (self->client, cancellable, test_status_cb, g_steal_pointer (&task));
}

void
bk_bridge_test_connection_async (BkBridge            *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BK_IS_BRIDGE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_bridge_test_connection_async);
  when_ready (self, g_steal_pointer (&task), test_start);
}

BkCmsSystemStatus *
bk_bridge_test_connection_finish (BkBridge      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- credentials ---- */

typedef struct
{
  BkSecretKind  kind;
  char         *username;
  char         *password;
  BkCmsClient  *probe;
} CredData;

static void
cred_data_free (CredData *cd)
{
  g_free (cd->username);
  bk_secrets_password_free (cd->password);
  g_clear_object (&cd->probe);
  g_free (cd);
}

static void
cred_fail (BkBridge *self,
           GTask    *task,
           GError   *error)
{
  g_task_return_error (task, error);
}

static void
cred_stored_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkBridge *self = g_task_get_source_object (task);
  CredData *cd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!bk_secrets_store_finish (BK_SECRETS (source), result, &error))
    {
      cred_fail (self, task, g_steal_pointer (&error));
      return;
    }
  if (cd->kind == BK_SECRET_KIND_PRIMARY)
    {
      bk_device_set_username (self->device, cd->username);
      bk_secrets_password_free (self->password);
      self->password = g_strdup (cd->password);
      bk_cms_client_set_credentials (self->client, cd->username, cd->password);
    }
  else
    {
      bk_device_set_alternate_username (self->device, cd->username);
      bk_secrets_password_free (self->alt_password);
      self->alt_password = g_strdup (cd->password);
    }
  rebuild_alt_client (self);
  bk_reservation_save_device (self->store, self->device);
  g_task_return_boolean (task, TRUE);
}

static void
cred_probe_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  BkBridge *self = g_task_get_source_object (task);
  CredData *cd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsSystemStatus) status = NULL;

  status = bk_cms_client_get_system_status_finish (BK_CMS_CLIENT (source), result, &error);
  if (status == NULL)
    {
      cred_fail (self, task, g_steal_pointer (&error));
      return;
    }
  bk_secrets_store_async (self->secrets, self->device, cd->kind, cd->password,
                          cancellable, cred_stored_cb, g_steal_pointer (&task));
}

static void
cred_start (BkBridge *self,
            gpointer  user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  CredData *cd = g_task_get_task_data (task);
  g_autofree char *url = NULL;

  url = cd->kind == BK_SECRET_KIND_PRIMARY ? bk_device_dup_base_url (self->device)
                                           : bk_device_dup_alternate_base_url (self->device);
  if (url == NULL)
    {
      cred_fail (self, task, g_error_new_literal (BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_WRONG_STEP,
                                                  _("Choose an alternate call bridge first.")));
      return;
    }
  /* Each node with the certificate trusted for it. */
  cd->probe = cd->kind == BK_SECRET_KIND_PRIMARY
              ? make_client (self, url, cd->username, cd->password)
              : make_client_pinned (self, url, cd->username, cd->password,
                                    bk_device_get_alternate_certificate_pin (self->device));
  bk_cms_client_get_system_status_async (cd->probe, cancellable, cred_probe_cb, g_steal_pointer (&task));
}

void
bk_bridge_set_credentials_async (BkBridge            *self,
                                 BkSecretKind         kind,
                                 const char          *username,
                                 const char          *password,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  CredData *cd;

  g_return_if_fail (BK_IS_BRIDGE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_bridge_set_credentials_async);
  if (username == NULL || *username == '\0' || password == NULL)
    {
      g_task_return_new_error (task, BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT, "%s",
                               _("Enter the API user name and password."));
      return;
    }
  cd = g_new0 (CredData, 1);
  cd->kind = kind;
  cd->username = g_strdup (username);
  cd->password = g_strdup (password);
  g_task_set_task_data (task, cd, (GDestroyNotify) cred_data_free);
  when_ready (self, g_steal_pointer (&task), cred_start);
}

gboolean
bk_bridge_set_credentials_finish (BkBridge      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- re-pin ---- */

static void
repin_check_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!bk_bridge_check_finish (BK_BRIDGE (source), result, &error) && !is_cancelled (error))
    g_debug ("Check after re-pin: %s", error->message);
}

void
bk_bridge_repin (BkBridge   *self,
                 const char *sha256)
{
  g_autofree char *pin = NULL;

  g_return_if_fail (BK_IS_BRIDGE (self));
  g_return_if_fail (sha256 != NULL);

  pin = g_ascii_strdown (sha256, -1);
  /* The primary's node only: every node has its own certificate. */
  bk_device_set_certificate_pin (self->device, pin);
  bk_cms_client_set_pin (self->client, pin);
  bk_reservation_save_device (self->store, self->device);
  bk_bridge_check_async (self, self->lifetime, repin_check_cb, NULL);
}

void
bk_bridge_trust_member_certificate (BkBridge   *self,
                                    const char *member_id,
                                    const char *sha256)
{
  g_autofree char *pin = NULL;

  g_return_if_fail (BK_IS_BRIDGE (self));
  g_return_if_fail (member_id != NULL);
  g_return_if_fail (sha256 != NULL);

  pin = g_ascii_strdown (sha256, -1);
  if (bk_device_has_alternate (self->device) &&
      g_strcmp0 (member_id, bk_device_get_alternate_member_id (self->device)) == 0)
    {
      /* That node only: the primary's pin and the other nodes stay. */
      bk_device_set_alternate_certificate_pin (self->device, pin);
      if (self->alt_client != NULL)
        bk_cms_client_set_pin (self->alt_client, pin);
      g_clear_error (&self->alt_error);
      bk_reservation_save_device (self->store, self->device);
      bk_bridge_check_async (self, self->lifetime, repin_check_cb, NULL);
      return;
    }
  /* Another member: its pin is saved with the device, for the failover
   * (and taken over when it is chosen as the alternate). */
  bk_device_set_member_certificate_pin (self->device, member_id, pin);
  {
    BkCmsClient *client;
    MemberCert *mc = g_hash_table_lookup (self->member_certs, member_id);

    if ((client = g_hash_table_lookup (self->node_clients, member_id)) != NULL)
      bk_cms_client_set_pin (client, pin);
    if ((client = g_hash_table_lookup (self->failover_clients, member_id)) != NULL)
      bk_cms_client_set_pin (client, pin);
    /* What the last probe saw is what was just confirmed. */
    if (mc != NULL && g_strcmp0 (mc->peer_sha256, pin) == 0)
      mc->certificate = BK_CMS_PROBE_CERTIFICATE_TRUSTED;
  }
  bk_reservation_save_device (self->store, self->device);
  recompute_tickets (self);
}

/* ---- failover chain ---- */

void
bk_failover_node_free (BkFailoverNode *node)
{
  if (node == NULL)
    return;
  g_free (node->member_id);
  g_free (node->label);
  g_clear_object (&node->client);
  g_free (node->skip_reason);
  g_free (node);
}

static BkFailoverNode *
failover_node_new (const char  *member_id,
                   char        *label,
                   BkCmsClient *client,
                   char        *skip_reason)
{
  BkFailoverNode *node = g_new0 (BkFailoverNode, 1);

  node->member_id = g_strdup (member_id != NULL ? member_id : "");
  node->label = label;
  node->client = client != NULL ? g_object_ref (client) : NULL;
  node->skip_reason = skip_reason;
  return node;
}

/* "CallBridge-Core1 (10.0.0.1:443)", or the address alone. */
static char *
member_label (const BkClusterMember *m,
              const char            *host,
              guint                  port)
{
  g_autofree char *address = host != NULL ? bk_format_address (host, port, BK_ADDRESS_FORMAT_DEFAULT)
                                          : g_strdup (m->address);

  if (*m->name != '\0')
    return g_strdup_printf ("%s (%s)", m->name, address);
  return g_steal_pointer (&address);
}

/* The client for member @m at @url: the primary's user and password; the
 * certificate must pass the system's CAs or the pin confirmed for @m. */
static BkCmsClient *
failover_client (BkBridge   *self,
                 const char *member_id,
                 const char *url)
{
  BkCmsClient *client = g_hash_table_lookup (self->failover_clients, member_id);
  const char *pin = member_pin (self, member_id);
  const char *password = self->password != NULL ? self->password : "";

  if (client != NULL && g_strcmp0 (bk_cms_client_get_base_url (client), url) != 0)
    client = NULL;
  if (client == NULL)
    {
      client = make_client_pinned (self, url, bk_device_get_username (self->device), password, pin);
      g_hash_table_insert (self->failover_clients, g_strdup (member_id), client);
      return client;
    }
  if (g_strcmp0 (bk_cms_client_get_pin (client), pin) != 0)
    bk_cms_client_set_pin (client, pin);
  bk_cms_client_set_credentials (client, bk_device_get_username (self->device), password);
  return client;
}

GPtrArray *
bk_bridge_dup_failover_chain (BkBridge *self)
{
  GPtrArray *chain = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_failover_node_free);
  GPtrArray *members;
  const char *managed_id;
  const char *alt_id;
  const BkClusterMember *managed;
  g_autofree char *alt_host = NULL;
  guint alt_port = 0;

  g_return_val_if_fail (BK_IS_BRIDGE (self), chain);

  members = bk_device_get_cluster_members (self->device);
  managed_id = managed_member_id (self);
  alt_id = bk_device_has_alternate (self->device) ? bk_device_get_alternate_member_id (self->device) : NULL;

  /* The primary. */
  managed = managed_id != NULL ? bk_device_find_cluster_member (self->device, managed_id) : NULL;
  {
    g_autofree char *address = bk_format_address (bk_device_get_address (self->device),
                                                  bk_device_get_port (self->device),
                                                  BK_ADDRESS_FORMAT_DEFAULT);
    char *label = managed != NULL && *managed->name != '\0'
                  ? g_strdup_printf ("%s (%s)", managed->name, address)
                  : g_strdup (bk_device_get_display_name (self->device));

    g_ptr_array_add (chain, failover_node_new (managed_id, label, self->client, NULL));
  }

  /* The alternate, with its own user and pin (an address typed without a
   * member of the cluster behind it is "alternate"). */
  if (bk_device_has_alternate (self->device))
    {
      char *label = bk_bridge_dup_alternate_label (self);
      const char *key = alt_id != NULL && *alt_id != '\0' ? alt_id : "alternate";

      if (self->alt_client != NULL)
        g_ptr_array_add (chain, failover_node_new (key, label, self->alt_client, NULL));
      else
        g_ptr_array_add (chain, failover_node_new (key, label, NULL,
                                                   g_strdup_printf (_("%s was not tried: its address is not valid."), label)));
    }

  if (bk_device_has_alternate (self->device))
    bk_validate_address (bk_device_get_alternate_address (self->device), &alt_host, &alt_port, NULL);

  /* Every other member, in the bridge's order. */
  for (guint i = 0; i < members->len; i++)
    {
      const BkClusterMember *m = g_ptr_array_index (members, i);
      g_autofree char *host = NULL;
      g_autofree char *url = NULL;
      guint port = 0;
      char *label;

      if (g_strcmp0 (m->id, managed_id) == 0 || g_strcmp0 (m->id, alt_id) == 0)
        continue;
      if (alt_host != NULL && bk_validate_address (m->address, &host, &port, NULL) &&
          g_strcmp0 (host, alt_host) == 0 && port == alt_port)
        continue;   /* the alternate, chosen by its address */
      g_clear_pointer (&host, g_free);
      if (g_ascii_strncasecmp (m->address, "http://", 7) == 0)
        {
          label = member_label (m, NULL, 0);
          g_ptr_array_add (chain, failover_node_new (m->id, label, NULL,
                                                     g_strdup_printf (_("%s was not tried: it is reached over plain HTTP, and a password is never sent to a node whose certificate was not confirmed."), label)));
          continue;
        }
      if (!bk_validate_address (m->address, &host, &port, NULL))
        {
          label = member_label (m, NULL, 0);
          g_ptr_array_add (chain, failover_node_new (m->id, label, NULL,
                                                     g_strdup_printf (_("%s was not tried: the bridge gives no valid address for it."), label)));
          continue;
        }
      label = member_label (m, host, port);
      url = bk_format_address (host, port, BK_ADDRESS_FORMAT_URL);
      g_ptr_array_add (chain, failover_node_new (m->id, label, failover_client (self, m->id, url), NULL));
    }
  return chain;
}

/* ---- the other members' certificates ---- */

/* TRUE when member @m is one of the "other members" of the failover chain
 * (neither the managed node nor the alternate, by id or by address), and
 * reached over HTTPS at a valid address; @url gets its URL. */
static gboolean
is_other_member (BkBridge               *self,
                 const BkClusterMember  *m,
                 char                  **url)
{
  const char *alt_id = bk_device_has_alternate (self->device) ? bk_device_get_alternate_member_id (self->device) : NULL;
  g_autofree char *host = NULL;
  g_autofree char *alt_host = NULL;
  guint port = 0;
  guint alt_port = 0;

  if (g_strcmp0 (m->id, managed_member_id (self)) == 0 || g_strcmp0 (m->id, alt_id) == 0)
    return FALSE;
  if (g_ascii_strncasecmp (m->address, "http://", 7) == 0 ||
      !bk_validate_address (m->address, &host, &port, NULL))
    return FALSE;
  if (bk_device_has_alternate (self->device) &&
      bk_validate_address (bk_device_get_alternate_address (self->device), &alt_host, &alt_port, NULL) &&
      g_strcmp0 (host, alt_host) == 0 && port == alt_port)
    return FALSE;
  if (url != NULL)
    *url = bk_format_address (host, port, BK_ADDRESS_FORMAT_URL);
  return TRUE;
}

BkMemberTrust
bk_bridge_get_member_trust (BkBridge   *self,
                            const char *member_id)
{
  const BkClusterMember *m;
  MemberCert *mc;

  g_return_val_if_fail (BK_IS_BRIDGE (self), BK_MEMBER_TRUST_NOT_IN_CHAIN);
  g_return_val_if_fail (member_id != NULL, BK_MEMBER_TRUST_NOT_IN_CHAIN);

  m = bk_device_find_cluster_member (self->device, member_id);
  if (m == NULL || g_strcmp0 (m->id, member_id) != 0 || !is_other_member (self, m, NULL))
    return BK_MEMBER_TRUST_NOT_IN_CHAIN;
  mc = g_hash_table_lookup (self->member_certs, member_id);
  if (member_pin (self, member_id) != NULL)
    return mc != NULL && mc->certificate == BK_CMS_PROBE_CERTIFICATE_NOT_PINNED
           ? BK_MEMBER_TRUST_CHANGED : BK_MEMBER_TRUST_TRUSTED;
  if (mc != NULL && mc->certificate == BK_CMS_PROBE_CERTIFICATE_TRUSTED)
    return BK_MEMBER_TRUST_TRUSTED;
  return BK_MEMBER_TRUST_NOT_CONFIRMED;
}

void
bk_bridge_note_member_certificate (BkBridge   *self,
                                   const char *member_id,
                                   const char *peer_sha256)
{
  const BkClusterMember *m;
  const char *pin;
  MemberCert *mc;

  g_return_if_fail (BK_IS_BRIDGE (self));
  g_return_if_fail (member_id != NULL);

  m = bk_device_find_cluster_member (self->device, member_id);
  if (m == NULL || g_strcmp0 (m->id, member_id) != 0 || !is_other_member (self, m, NULL))
    return;
  pin = member_pin (self, member_id);
  if (pin == NULL || peer_sha256 == NULL || g_ascii_strcasecmp (pin, peer_sha256) == 0)
    return;
  mc = g_hash_table_lookup (self->member_certs, member_id);
  if (mc != NULL && mc->certificate == BK_CMS_PROBE_CERTIFICATE_NOT_PINNED &&
      g_ascii_strcasecmp (mc->peer_sha256 != NULL ? mc->peer_sha256 : "", peer_sha256) == 0)
    return;   /* known already: its ticket is up */
  /* As the check's probe records it: the next check keeps or clears it. */
  mc = g_new0 (MemberCert, 1);
  mc->certificate = BK_CMS_PROBE_CERTIFICATE_NOT_PINNED;
  mc->peer_sha256 = g_ascii_strdown (peer_sha256, -1);
  g_hash_table_insert (self->member_certs, g_strdup (member_id), mc);
  g_message ("Cluster member %s of %s shows a certificate other than the confirmed one",
             member_id, bk_device_get_display_name (self->device));
  recompute_tickets (self);
}

char *
bk_bridge_dup_member_label (BkBridge   *self,
                            const char *member_id)
{
  const BkClusterMember *m;
  g_autofree char *host = NULL;
  guint port = 0;

  g_return_val_if_fail (BK_IS_BRIDGE (self), NULL);
  g_return_val_if_fail (member_id != NULL, NULL);

  m = bk_device_find_cluster_member (self->device, member_id);
  if (m == NULL)
    return g_strdup (member_id);
  if (bk_validate_address (m->address, &host, &port, NULL))
    return member_label (m, host, port);
  return member_label (m, NULL, 0);
}

static void
probe_member_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  BkCmsProbe *probe = bk_cms_client_probe_finish (BK_CMS_CLIENT (source), result, &error);

  if (probe == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, probe, (GDestroyNotify) bk_cms_probe_free);
}

void
bk_bridge_probe_member_async (BkBridge            *self,
                              const char          *member_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(BkCmsClient) client = NULL;
  g_autofree char *url = NULL;
  const BkClusterMember *m;

  g_return_if_fail (BK_IS_BRIDGE (self));
  g_return_if_fail (member_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_bridge_probe_member_async);

  m = bk_device_find_cluster_member (self->device, member_id);
  if (m == NULL || g_strcmp0 (m->id, member_id) != 0 || !is_other_member (self, m, &url))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("%s is not a call bridge that meetings fail over to with this bridge’s user. Check the bridge again to refresh its list of call bridges."),
                               member_id);
      return;
    }
  /* No user, no pin: whatever certificate it shows, nothing is sent that
   * needs it. */
  client = make_client_pinned (self, url, NULL, NULL, NULL);
  bk_cms_client_set_retry_policy (client, 1, 0, 0);
  bk_cms_client_probe_async (client, cancellable, probe_member_cb, g_steal_pointer (&task));
}

BkCmsProbe *
bk_bridge_probe_member_finish (BkBridge      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- alternate ---- */

typedef struct
{
  char        *member_id;
  char        *address;
  char        *url;
  char        *username;
  char        *password;
  char        *pin;          /* the node's certificate, trusted */
  char        *label;        /* "CallBridge-Core2 (10.0.0.2:443)" */
  char        *old_address;  /* restored when storing the password fails */
  gboolean     same_member;  /* the alternate chosen already */
  BkCmsClient *probe;
} AltData;

static void
alt_data_free (AltData *ad)
{
  g_free (ad->member_id);
  g_free (ad->address);
  g_free (ad->url);
  g_free (ad->username);
  g_free (ad->pin);
  g_free (ad->label);
  g_free (ad->old_address);
  bk_secrets_password_free (ad->password);
  g_clear_object (&ad->probe);
  g_free (ad);
}

/* @task: transfer none (the callers own it, with g_autoptr). */
static void
alt_fail (GTask  *task,
          GError *error)
{
  g_task_return_error (task, error);
}

static void
alt_secret_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkBridge *self = g_task_get_source_object (task);
  AltData *ad = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = ad->member_id != NULL ? bk_secrets_store_finish (BK_SECRETS (source), result, &error)
                             : bk_secrets_clear_finish (BK_SECRETS (source), result, &error);
  if (!ok)
    {
      /* Nothing changes when the password could not be stored: the address
       * set for the keyring label goes back to what it was. */
      if (ad->old_address != NULL)
        bk_device_set_alternate_address (self->device, ad->old_address);
      alt_fail (task, g_steal_pointer (&error));
      return;
    }
  /* A node no longer the alternate keeps its pin as a member: the
   * failover still uses it, and it may be chosen again. */
  if (g_strcmp0 (ad->member_id, bk_device_get_alternate_member_id (self->device)) != 0 &&
      *bk_device_get_alternate_member_id (self->device) != '\0' &&
      *bk_device_get_alternate_certificate_pin (self->device) != '\0')
    bk_device_set_member_certificate_pin (self->device, bk_device_get_alternate_member_id (self->device),
                                          bk_device_get_alternate_certificate_pin (self->device));
  bk_device_set_alternate_member_id (self->device, ad->member_id ? ad->member_id : "");
  bk_device_set_alternate_address (self->device, ad->address ? ad->address : "");
  bk_device_set_alternate_username (self->device, ad->username ? ad->username : "");
  bk_device_set_alternate_certificate_pin (self->device, ad->pin ? ad->pin : "");
  if (ad->member_id != NULL)
    {
      /* Its pin is the alternate's now: one place only. */
      bk_device_set_member_certificate_pin (self->device, ad->member_id, NULL);
      bk_device_set_alternate_reachability (self->device, BK_REACHABILITY_REACHABLE);
    }
  else
    bk_device_set_alternate_reachability (self->device, BK_REACHABILITY_UNKNOWN);
  bk_secrets_password_free (self->alt_password);
  self->alt_password = g_strdup (ad->password);
  self->alt_unreachable = FALSE;
  g_clear_pointer (&self->alt_detail, g_free);
  g_clear_error (&self->alt_error);
  rebuild_alt_client (self);
  rebuild_nodes (self);
  bk_reservation_save_device (self->store, self->device);
  recompute_tickets (self);
  g_task_return_boolean (task, TRUE);
}

/* @user_data: the GTask, transfer full. */
static void
alt_store (BkBridge *self,
           gpointer  user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  AltData *ad = g_task_get_task_data (task);

  /* The label names the alternate address: set it before storing. */
  ad->old_address = g_strdup (bk_device_get_alternate_address (self->device));
  bk_device_set_alternate_address (self->device, ad->address);
  bk_secrets_store_async (self->secrets, self->device, BK_SECRET_KIND_ALTERNATE, ad->password,
                          cancellable, alt_secret_cb, g_steal_pointer (&task));
}

static void
alt_probe_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkBridge *self = g_task_get_source_object (task);
  AltData *ad = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsSystemStatus) status = NULL;
  const char *primary_pin = bk_device_get_certificate_pin (self->device);

  status = bk_cms_client_get_system_status_finish (ad->probe, result, &error);
  if (status != NULL)
    {
      g_free (ad->pin);
      ad->pin = g_strdup (bk_cms_client_get_pin (ad->probe));
      alt_store (self, g_steal_pointer (&task));
      return;
    }
  /* The certificate already trusted for the primary (one shared by the
   * nodes) needs no second question. */
  if (g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_TLS_UNTRUSTED) &&
      bk_cms_client_get_pin (ad->probe) == NULL && *primary_pin != '\0' &&
      g_strcmp0 (bk_cms_error_get_peer_sha256 (error), primary_pin) == 0)
    {
      bk_cms_client_set_pin (ad->probe, primary_pin);
      GCancellable *cancellable = g_task_get_cancellable (task);

      bk_cms_client_get_system_status_async (ad->probe, cancellable, alt_probe_cb, g_steal_pointer (&task));
      return;
    }
  if (g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_UNAUTHORIZED) ||
      g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_FORBIDDEN))
    {
      alt_fail (task, g_error_new (BK_CMS_ERROR, error->code,
                                   _("%s refused the user “%s” or its password. Every call bridge of a cluster can have its own API user: enter the one of this call bridge."),
                                   ad->label, ad->username));
      return;
    }
  if (g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_UNREACHABLE) ||
      g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_TIMEOUT))
    {
      alt_fail (task, g_error_new (BK_CMS_ERROR, error->code,
                                   _("The alternate %s did not answer. Check that it is running and reachable from this computer, or choose None for now."),
                                   ad->label));
      return;
    }
  /* TLS errors keep the certificate for the trust dialog. */
  alt_fail (task, g_steal_pointer (&error));
}

static void
alt_start (BkBridge *self,
           gpointer  user_data)
{
  g_autoptr(GTask) task = user_data;
  AltData *ad = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (ad->member_id == NULL)
    {
      bk_secrets_clear_async (self->secrets, bk_device_get_id (self->device), BK_SECRET_KIND_ALTERNATE,
                              cancellable, alt_secret_cb, g_steal_pointer (&task));
      return;
    }
  if (ad->password == NULL)
    {
      /* The same user as now (only the node or nothing changed): its
       * stored password; none entered at all: the primary's, as the UI says. */
      if (ad->same_member && g_strcmp0 (ad->username, bk_device_get_alternate_username (self->device)) == 0 &&
          self->alt_password != NULL)
        ad->password = g_strdup (self->alt_password);
      else if (g_strcmp0 (ad->username, bk_device_get_username (self->device)) == 0 && self->password != NULL)
        ad->password = g_strdup (self->password);
      else
        {
          alt_fail (task, g_error_new (BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT,
                                       _("Enter the password of %s on %s."), ad->username, ad->label));
          return;
        }
    }

  /* Contact the node with its own user and certificate before saving. */
  ad->probe = make_client_pinned (self, ad->url, ad->username, ad->password, ad->pin);
  bk_cms_client_get_system_status_async (ad->probe, cancellable, alt_probe_cb, g_steal_pointer (&task));
}

void
bk_bridge_set_alternate_async (BkBridge            *self,
                               const char          *member_id,
                               const char          *username,
                               const char          *password,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  AltData *ad;

  g_return_if_fail (BK_IS_BRIDGE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_bridge_set_alternate_async);
  ad = g_new0 (AltData, 1);
  g_task_set_task_data (task, ad, (GDestroyNotify) alt_data_free);

  if (member_id != NULL && *member_id != '\0')
    {
      const BkClusterMember *m = bk_device_find_cluster_member (self->device, member_id);
      g_autofree char *host = NULL;
      guint port = 0;
      const char *pending;
      gboolean same = g_strcmp0 (member_id, bk_device_get_alternate_member_id (self->device)) == 0;

      if (m == NULL || !bk_validate_address (m->address, &host, &port, NULL))
        {
          alt_fail (task, g_error_new (BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT,
                                       _("%s is not a call bridge of this cluster with a usable address. Choose one of the call bridges listed."),
                                       member_id));
          return;
        }
      ad->member_id = g_strdup (m->id);
      ad->same_member = same;
      ad->address = bk_format_address (host, port, BK_ADDRESS_FORMAT_OMIT_DEFAULT_PORT);
      ad->url = bk_format_address (host, port, BK_ADDRESS_FORMAT_URL);
      ad->label = *m->name != '\0' ? g_strdup_printf ("%s (%s)", m->name, ad->address) : g_strdup (ad->address);
      if ((username == NULL || *username == '\0') && password != NULL && *password != '\0')
        {
          alt_fail (task, g_error_new (BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_INVALID_INPUT,
                                       _("Enter the API user name for %s too, or leave both the user name and the password empty to use the primary’s."),
                                       ad->label));
          return;
        }
      /* Nothing entered: the primary's user (and below its password). */
      ad->username = g_strdup (username != NULL && *username != '\0' ? username : bk_device_get_username (self->device));
      ad->password = g_strdup (password != NULL && *password != '\0' ? password : NULL);
      pending = member_pin (self, m->id);
      if (pending != NULL)
        ad->pin = g_strdup (pending);
      else if (same && g_strcmp0 (ad->address, bk_device_get_alternate_address (self->device)) == 0)
        ad->pin = g_strdup (bk_device_get_alternate_certificate_pin (self->device));
    }
  when_ready (self, g_steal_pointer (&task), alt_start);
}

gboolean
bk_bridge_set_alternate_finish (BkBridge      *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- removal ---- */

static void
remove_cleared_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkBridge *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!bk_secrets_clear_device_finish (BK_SECRETS (source), result, &error))
    g_warning ("Could not clear the passwords of %s: %s", bk_device_get_display_name (self->device), error->message);
  g_clear_error (&error);
  bk_cms_client_set_credentials (self->client, bk_device_get_username (self->device), "");
  if (!bk_device_store_remove (self->store, self->device, &error) &&
      bk_device_store_lookup (self->store, bk_device_get_id (self->device)) != NULL)
    {
      maintenance_fail (self, task, g_steal_pointer (&error));
      return;
    }
  maintenance_done (self, task);
}

static void
remove_forget (BkBridge *self,
               gpointer  user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  bk_busy_progress_cb (-1, _("Forgetting the passwords"), &self->busy);
  bk_secrets_clear_device_async (self->secrets, bk_device_get_id (self->device),
                                 cancellable, remove_cleared_cb, g_steal_pointer (&task));
}

static void
remove_cleaned_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkBridge *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!bk_reservation_remove_finish (result, &error))
    {
      maintenance_fail (self, task, g_steal_pointer (&error));
      return;
    }
  remove_forget (self, g_steal_pointer (&task));
}

static void
remove_start (BkBridge *self,
              gpointer  user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (GPOINTER_TO_INT (g_task_get_task_data (task)))
    bk_reservation_remove_async (self->client, self->device, self->store, bk_busy_progress_cb, &self->busy,
                                 cancellable, remove_cleaned_cb, g_steal_pointer (&task));
  else
    remove_forget (self, g_steal_pointer (&task));
}

void
bk_bridge_remove_async (BkBridge            *self,
                        gboolean             clean_up,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BK_IS_BRIDGE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_bridge_remove_async);
  if (refuse_when_busy (self, task))
    return;
  g_task_set_task_data (task, GINT_TO_POINTER (clean_up), NULL);
  bk_busy_set (&self->busy, TRUE);
  when_ready (self, g_steal_pointer (&task), remove_start);
}

gboolean
bk_bridge_remove_finish (BkBridge      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GObject ---- */

static void
device_notify_cb (BkDevice   *device,
                  GParamSpec *pspec,
                  BkBridge   *self)
{
  /* Name, extended settings and ticket filters change the tickets. */
  if (g_str_equal (pspec->name, "name") || g_str_equal (pspec->name, "domain") ||
      g_str_equal (pspec->name, "numeric-id-base") || g_str_equal (pspec->name, "numeric-id-quantity") ||
      g_str_equal (pspec->name, "ticket-filters"))
    recompute_tickets (self);
  else if (g_str_equal (pspec->name, "cluster-members") || g_str_equal (pspec->name, "alternate-member-id"))
    rebuild_nodes (self);
  else if (g_str_equal (pspec->name, "onboarding-stage"))
    {
      /* The set-up stores the passwords as it goes. */
      self->passwords_known = FALSE;
      if (self->lookups_pending > 0)
        self->lookup_again = TRUE;
    }
}

static void
bk_bridge_dispose (GObject *object)
{
  BkBridge *self = BK_BRIDGE (object);

  g_cancellable_cancel (self->lifetime);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->device != NULL)
    g_signal_handlers_disconnect_by_func (self->device, device_notify_cb, self);

  G_OBJECT_CLASS (bk_bridge_parent_class)->dispose (object);
}

static void
bk_bridge_finalize (GObject *object)
{
  BkBridge *self = BK_BRIDGE (object);

  g_clear_object (&self->device);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);
  g_clear_object (&self->log);
  g_clear_object (&self->client);
  g_clear_object (&self->alt_client);
  g_clear_pointer (&self->node_clients, g_hash_table_unref);
  g_clear_pointer (&self->failover_clients, g_hash_table_unref);
  g_clear_object (&self->lifetime);
  bk_secrets_password_free (self->password);
  bk_secrets_password_free (self->alt_password);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);
  g_clear_pointer (&self->status, bk_cms_system_status_free);
  bk_busy_clear (&self->busy);
  g_free (self->last_error);
  g_clear_object (&self->tickets);
  g_clear_pointer (&self->outside_tickets, g_ptr_array_unref);
  g_clear_object (&self->nodes);
  g_free (self->primary_detail);
  g_free (self->alt_detail);
  g_clear_error (&self->alt_error);
  g_clear_pointer (&self->member_certs, g_hash_table_unref);
  g_clear_pointer (&self->alarms, g_ptr_array_unref);

  G_OBJECT_CLASS (bk_bridge_parent_class)->finalize (object);
}

static void
bk_bridge_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  BkBridge *self = BK_BRIDGE (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      g_value_set_object (value, self->device);
      break;
    case PROP_STATUS:
      g_value_set_boxed (value, self->status);
      break;
    case PROP_IN_CALL:
      g_value_set_boolean (value, self->in_call);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    default:
      if (!bk_busy_get_property (&self->busy, pspec, value))
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_bridge_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  BkBridge *self = BK_BRIDGE (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      self->device = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_bridge_class_init (BkBridgeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = bk_bridge_dispose;
  object_class->finalize = bk_bridge_finalize;
  object_class->get_property = bk_bridge_get_property;
  object_class->set_property = bk_bridge_set_property;

  properties[PROP_DEVICE] =
    g_param_spec_object ("device", NULL, NULL, BK_TYPE_DEVICE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] = g_param_spec_boxed ("status", NULL, NULL, BK_CMS_TYPE_SYSTEM_STATUS, ro);
  properties[PROP_IN_CALL] = g_param_spec_boolean ("in-call", NULL, NULL, FALSE, ro);
  bk_busy_make_properties (&properties[PROP_BUSY], &properties[PROP_PROGRESS], &properties[PROP_PROGRESS_TEXT]);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bk_bridge_init (BkBridge *self)
{
  bk_busy_init (&self->busy, G_OBJECT (self), properties[PROP_BUSY], properties[PROP_PROGRESS],
                properties[PROP_PROGRESS_TEXT]);
  self->lifetime = g_cancellable_new ();
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  self->tickets = g_list_store_new (BK_TYPE_TICKET);
  self->nodes = g_list_store_new (BK_TYPE_CLUSTER_NODE);
  self->node_clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->failover_clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->member_certs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) member_cert_free);
}

/* ---- public ---- */

BkBridge *
bk_bridge_new (BkDevice      *device,
               BkDeviceStore *store,
               BkSecrets     *secrets)
{
  return bk_bridge_new_with_log (device, store, secrets, NULL);
}

BkBridge *
bk_bridge_new_with_log (BkDevice      *device,
                        BkDeviceStore *store,
                        BkSecrets     *secrets,
                        BkCmsLog      *log)
{
  BkBridge *self;
  g_autofree char *url = NULL;

  g_return_val_if_fail (BK_IS_DEVICE (device), NULL);
  g_return_val_if_fail (BK_IS_DEVICE_STORE (store), NULL);
  g_return_val_if_fail (BK_IS_SECRETS (secrets), NULL);
  g_return_val_if_fail (log == NULL || BK_CMS_IS_LOG (log), NULL);

  self = g_object_new (BK_TYPE_BRIDGE, "device", device, NULL);
  self->store = g_object_ref (store);
  self->secrets = g_object_ref (secrets);
  self->log = log != NULL ? g_object_ref (log) : bk_cms_log_new (0);

  url = bk_device_dup_base_url (device);
  self->client = make_client (self, url, bk_device_get_username (device), "");
  g_signal_connect_object (device, "notify", G_CALLBACK (device_notify_cb), self, 0);

  rebuild_nodes (self);
  recompute_tickets (self);
  return self;
}

BkDevice *
bk_bridge_get_device (BkBridge *self)
{
  g_return_val_if_fail (BK_IS_BRIDGE (self), NULL);
  return self->device;
}

BkCmsClient *
bk_bridge_get_client (BkBridge *self)
{
  g_return_val_if_fail (BK_IS_BRIDGE (self), NULL);
  return self->client;
}

BkCmsLog *
bk_bridge_get_log (BkBridge *self)
{
  g_return_val_if_fail (BK_IS_BRIDGE (self), NULL);
  return self->log;
}

const BkCmsSystemStatus *
bk_bridge_get_status (BkBridge *self)
{
  g_return_val_if_fail (BK_IS_BRIDGE (self), NULL);
  return self->status;
}

gboolean
bk_bridge_get_in_call (BkBridge *self)
{
  g_return_val_if_fail (BK_IS_BRIDGE (self), FALSE);
  return self->in_call;
}

gboolean
bk_bridge_get_busy (BkBridge *self)
{
  g_return_val_if_fail (BK_IS_BRIDGE (self), FALSE);
  return self->busy.busy;
}

double
bk_bridge_get_progress (BkBridge *self)
{
  g_return_val_if_fail (BK_IS_BRIDGE (self), -1);
  return self->busy.progress;
}

const char *
bk_bridge_get_progress_text (BkBridge *self)
{
  g_return_val_if_fail (BK_IS_BRIDGE (self), NULL);
  return self->busy.text;
}

const char *
bk_bridge_get_last_error (BkBridge *self)
{
  g_return_val_if_fail (BK_IS_BRIDGE (self), NULL);
  return self->last_error;
}

void
bk_bridge_add_ticket (BkBridge *self,
                      BkTicket *ticket)
{
  g_return_if_fail (BK_IS_BRIDGE (self));
  g_return_if_fail (BK_IS_TICKET (ticket));

  if (self->outside_tickets == NULL)
    self->outside_tickets = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < self->outside_tickets->len; i++)
    if (g_strcmp0 (bk_ticket_get_key (g_ptr_array_index (self->outside_tickets, i)),
                   bk_ticket_get_key (ticket)) == 0)
      {
        g_ptr_array_remove_index (self->outside_tickets, i);
        break;
      }
  g_ptr_array_add (self->outside_tickets, g_object_ref (ticket));
  recompute_tickets (self);
}

void
bk_bridge_remove_ticket (BkBridge   *self,
                         const char *key)
{
  g_return_if_fail (BK_IS_BRIDGE (self));
  g_return_if_fail (key != NULL);

  for (guint i = 0; self->outside_tickets != NULL && i < self->outside_tickets->len; i++)
    if (g_strcmp0 (bk_ticket_get_key (g_ptr_array_index (self->outside_tickets, i)), key) == 0)
      {
        g_ptr_array_remove_index (self->outside_tickets, i);
        recompute_tickets (self);
        return;
      }
}

GListModel *
bk_bridge_get_tickets (BkBridge *self)
{
  g_return_val_if_fail (BK_IS_BRIDGE (self), NULL);
  return G_LIST_MODEL (self->tickets);
}

GListModel *
bk_bridge_get_cluster_nodes (BkBridge *self)
{
  g_return_val_if_fail (BK_IS_BRIDGE (self), NULL);
  return G_LIST_MODEL (self->nodes);
}
