/* bk-slots.c: discovery, slot scan, reservation and clean-up on a CMS
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkSlots"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bk-onboarding.h"
#include "bk-slots.h"
#include "bk-validate.h"

#define SLOT_NAME_FILTER   "TMS_Scheduled_Meeting_"
#define NAME_MAPPING       "TMS_Scheduled_Meeting_$index$"
#define URI_MAPPING        "$index$"
#define CALL_ID_MAPPING    "$index$"

/* A POST whose outcome is unknown is verified by listing; when nothing was
 * made it is sent again, at most this many times. */
#define MAX_REPOSTS 2

/* ---- BkSlotCollision ---- */

G_DEFINE_BOXED_TYPE (BkSlotCollision, bk_slot_collision,
                     bk_slot_collision_copy, bk_slot_collision_free)

BkSlotCollision *
bk_slot_collision_copy (const BkSlotCollision *collision)
{
  BkSlotCollision *copy;

  g_return_val_if_fail (collision != NULL, NULL);

  copy = g_new0 (BkSlotCollision, 1);
  copy->space_id = g_strdup (collision->space_id);
  copy->name = g_strdup (collision->name);
  copy->uri = g_strdup (collision->uri);
  copy->call_id = g_strdup (collision->call_id);
  copy->number = collision->number;
  return copy;
}

void
bk_slot_collision_free (BkSlotCollision *collision)
{
  if (collision == NULL)
    return;
  g_free (collision->space_id);
  g_free (collision->name);
  g_free (collision->uri);
  g_free (collision->call_id);
  g_free (collision);
}

/* ---- helpers ---- */

void
bk_slots_save_device (BkDeviceStore *store,
                      BkDevice      *device)
{
  g_autoptr(GError) error = NULL;

  if (store == NULL || bk_device_store_lookup (store, bk_device_get_id (device)) != device)
    return;
  if (!bk_device_store_save (store, &error))
    g_warning ("Could not save the list of bridges: %s", error->message);
}

static void
raise_stage (BkDevice          *device,
             BkOnboardingStage  stage)
{
  if (bk_device_get_onboarding_stage (device) < stage)
    bk_device_set_onboarding_stage (device, stage);
}

/* Digits only (no sign, no space), as a number. */
static gboolean
parse_number (const char *text,
              guint64    *number)
{
  if (text == NULL || text[0] == '\0' || strspn (text, "0123456789") != strlen (text) ||
      strlen (text) > 19)
    return FALSE;
  return g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, number, NULL);
}

/* The user part of a space URI as a number ("5" or "5@example.com"). */
static gboolean
parse_uri_number (const char *uri,
                  guint64    *number)
{
  const char *at;
  g_autofree char *user = NULL;

  if (uri == NULL)
    return FALSE;
  at = strchr (uri, '@');
  user = at != NULL ? g_strndup (uri, at - uri) : g_strdup (uri);
  return parse_number (user, number);
}

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
report (BkSlotsProgressFunc  progress,
        gpointer             data,
        double               fraction,
        const char          *text)
{
  if (progress != NULL)
    progress (fraction, text, data);
}

/* A wait of @ms that ends at once with G_IO_ERROR_CANCELLED on cancel. */
typedef struct
{
  GSource *timeout;
  GSource *cancel;
} SleepData;

static void
sleep_data_free (SleepData *sd)
{
  if (sd->timeout != NULL)
    {
      g_source_destroy (sd->timeout);
      g_source_unref (sd->timeout);
    }
  if (sd->cancel != NULL)
    {
      g_source_destroy (sd->cancel);
      g_source_unref (sd->cancel);
    }
  g_free (sd);
}

static gboolean
sleep_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;

  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static gboolean
sleep_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  GTask *task = user_data;

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", _("Operation was cancelled"));
  g_object_unref (task);
  return G_SOURCE_REMOVE;
}

static void
sleep_async (guint                ms,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  SleepData *sd = g_new0 (SleepData, 1);

  g_task_set_task_data (task, sd, (GDestroyNotify) sleep_data_free);
  /* Each source holds no ref; whichever fires first drops the one ref and
   * the task data destroys both sources. */
  sd->timeout = g_timeout_source_new (ms);
  g_source_set_callback (sd->timeout, sleep_timeout_cb, task, NULL);
  g_source_attach (sd->timeout, g_main_context_get_thread_default ());
  if (cancellable != NULL)
    {
      sd->cancel = g_cancellable_source_new (cancellable);
      g_source_set_callback (sd->cancel, G_SOURCE_FUNC (sleep_cancelled_cb), task, NULL);
      g_source_attach (sd->cancel, g_main_context_get_thread_default ());
    }
}

static gboolean
sleep_finish (GAsyncResult  *result,
              GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- waiting for a bulk sync ---- */

/* Polls /bulkSyncs/<id> until its status is final: the first poll after
 * BK_SLOTS_POLL_FIRST_MS, each next wait 1.5 times longer up to
 * BK_SLOTS_POLL_MAX_MS, reporting @text before each wait. Returns the
 * final BkCmsBulkSync (complete or failed); errors are the client's. */
typedef struct
{
  BkCmsClient         *client;
  char                *sync_id;
  char                *text;
  guint                poll_ms;
  BkSlotsProgressFunc  progress;
  gpointer             progress_data;
} PollData;

static void
poll_data_free (PollData *pd)
{
  g_clear_object (&pd->client);
  g_free (pd->sync_id);
  g_free (pd->text);
  g_free (pd);
}

static void poll_next (GTask *task);

static void
poll_got_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  PollData *pd = g_task_get_task_data (task);
  GError *error = NULL;
  BkCmsBulkSync *sync;

  sync = bk_cms_client_get_bulk_sync_finish (BK_CMS_CLIENT (source), result, &error);
  if (sync == NULL)
    g_task_return_error (task, error);
  else if (bk_cms_bulk_sync_status_is_final (sync->status))
    g_task_return_pointer (task, sync, (GDestroyNotify) bk_cms_bulk_sync_free);
  else
    {
      bk_cms_bulk_sync_free (sync);
      pd->poll_ms = MIN (pd->poll_ms * 3 / 2, BK_SLOTS_POLL_MAX_MS);
      poll_next (task);
      return;
    }
  g_object_unref (task);
}

static void
poll_slept_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  PollData *pd = g_task_get_task_data (task);
  GError *error = NULL;

  if (!sleep_finish (result, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  bk_cms_client_get_bulk_sync_async (pd->client, pd->sync_id, g_task_get_cancellable (task), poll_got_cb, task);
}

static void
poll_next (GTask *task)
{
  PollData *pd = g_task_get_task_data (task);

  report (pd->progress, pd->progress_data, -1, pd->text);
  sleep_async (pd->poll_ms, g_task_get_cancellable (task), poll_slept_cb, task);
}

static void
poll_sync_async (BkCmsClient         *client,
                 const char          *sync_id,
                 const char          *text,
                 BkSlotsProgressFunc  progress,
                 gpointer             progress_data,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  GTask *task = g_task_new (client, cancellable, callback, user_data);
  PollData *pd = g_new0 (PollData, 1);

  /* A final status that comes in as the caller cancels is still returned:
   * the caller's own task decides. */
  g_task_set_check_cancellable (task, FALSE);
  pd->client = g_object_ref (client);
  pd->sync_id = g_strdup (sync_id);
  pd->text = g_strdup (text);
  pd->poll_ms = BK_SLOTS_POLL_FIRST_MS;
  pd->progress = progress;
  pd->progress_data = progress_data;
  g_task_set_task_data (task, pd, (GDestroyNotify) poll_data_free);
  poll_next (task);
}

static BkCmsBulkSync *
poll_sync_finish (GAsyncResult  *result,
                  GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- scan ---- */

void
bk_slots_scan_free (BkSlotsScan *scan)
{
  if (scan == NULL)
    return;
  g_clear_pointer (&scan->collisions, g_ptr_array_unref);
  g_free (scan);
}

gboolean
bk_slots_scan_is_complete (const BkSlotsScan *scan)
{
  return scan != NULL && scan->n_ok == scan->quantity;
}

BkSlotsScan *
bk_slots_classify (GPtrArray *spaces,
                   guint64    base,
                   guint      quantity,
                   gboolean   slot_spaces_only)
{
  BkSlotsScan *scan = g_new0 (BkSlotsScan, 1);
  g_autofree guint8 *state = g_new0 (guint8, MAX (quantity, 1));   /* 0 none, 1 changed, 2 ok */
  guint64 end = base + quantity - 1;

  scan->base = base;
  scan->quantity = quantity;
  scan->slot_spaces_only = slot_spaces_only;
  scan->collisions = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_slot_collision_free);
  scan->n_spaces = spaces->len;

  for (guint i = 0; i < spaces->len; i++)
    {
      const BkCmsCoSpace *space = g_ptr_array_index (spaces, i);
      guint64 claimed = 0, uri_n = 0, cid_n = 0;
      gboolean claims, uri_in, cid_in;

      claims = bk_slot_number_from_name (space->name, &claimed) && claimed >= base && claimed <= end;
      uri_in = parse_uri_number (space->uri, &uri_n) && uri_n >= base && uri_n <= end;
      cid_in = parse_number (space->call_id, &cid_n) && cid_n >= base && cid_n <= end;

      if (claims)
        {
          g_autofree char *want = g_strdup_printf ("%" G_GUINT64_FORMAT, claimed);
          g_autofree char *user = NULL;
          const char *at = space->uri ? strchr (space->uri, '@') : NULL;

          user = at ? g_strndup (space->uri, at - space->uri) : g_strdup (space->uri);
          if (g_strcmp0 (user, want) == 0 && g_strcmp0 (space->call_id, want) == 0)
            {
              state[claimed - base] = 2;
              continue;
            }
          if (state[claimed - base] == 0)
            state[claimed - base] = 1;
        }

      if (!slot_spaces_only && (uri_in || cid_in))
        {
          BkSlotCollision *c = g_new0 (BkSlotCollision, 1);

          c->space_id = g_strdup (space->id);
          c->name = g_strdup (space->name);
          c->uri = g_strdup (space->uri);
          c->call_id = g_strdup (space->call_id);
          c->number = uri_in ? uri_n : cid_n;
          g_ptr_array_add (scan->collisions, c);
        }
    }

  for (guint i = 0; i < quantity; i++)
    {
      if (state[i] == 2)
        scan->n_ok++;
      else if (state[i] == 1)
        scan->n_changed++;
      else
        scan->n_missing++;
    }
  return scan;
}

typedef struct
{
  guint64  base;
  guint    quantity;
  gboolean slot_spaces_only;
} ScanData;

static void
scan_listed_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ScanData *sd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) spaces = NULL;

  spaces = bk_cms_client_list_cospaces_finish (BK_CMS_CLIENT (source), result, &error);
  if (spaces == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, bk_slots_classify (spaces, sd->base, sd->quantity, sd->slot_spaces_only),
                         (GDestroyNotify) bk_slots_scan_free);
}

void
bk_slots_scan_async (BkCmsClient         *client,
                     guint64              base,
                     guint                quantity,
                     gboolean             slot_spaces_only,
                     BkCmsProgressFunc    progress,
                     gpointer             progress_data,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ScanData *sd;

  g_return_if_fail (BK_CMS_IS_CLIENT (client));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_slots_scan_async);
  sd = g_new0 (ScanData, 1);
  sd->base = base;
  sd->quantity = quantity;
  sd->slot_spaces_only = slot_spaces_only;
  g_task_set_task_data (task, sd, g_free);

  bk_cms_client_list_cospaces_async (client, slot_spaces_only ? SLOT_NAME_FILTER : NULL, NULL,
                                     progress, progress_data, cancellable,
                                     scan_listed_cb, g_steal_pointer (&task));
}

BkSlotsScan *
bk_slots_scan_finish (GAsyncResult  *result,
                      GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* "1–5": a range as the sentences show it. */
static char *
format_range (guint64 start,
              guint64 end)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT "–%" G_GUINT64_FORMAT, start, end);
}

GError *
bk_slots_collision_error (const BkSlotsScan *scan)
{
  const BkSlotCollision *first;
  g_autofree char *range = NULL;
  g_autofree char *number = NULL;

  if (scan == NULL || scan->collisions == NULL || scan->collisions->len == 0)
    return NULL;

  first = g_ptr_array_index (scan->collisions, 0);
  range = format_range (scan->base, scan->base + scan->quantity - 1);
  number = g_strdup_printf ("%" G_GUINT64_FORMAT, first->number);
  /* TRANSLATORS: %u: how many spaces; %s: the range, e.g. "1–5"; %s: the
   * name of one of those spaces; %s: the number it uses */
  return g_error_new (BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_RANGE_COLLISION,
                      g_dngettext (GETTEXT_PACKAGE,
                                   "%u space on the bridge already uses a number of the range %s (“%s”, number %s), so no slot was reserved. Choose another Numeric ID Base, or change that space on the bridge.",
                                   "%u spaces on the bridge already use numbers of the range %s (for example “%s”, number %s), so no slot was reserved. Choose another Numeric ID Base, or change those spaces on the bridge.",
                                   scan->collisions->len),
                      scan->collisions->len, range,
                      first->name != NULL ? first->name : (first->uri != NULL ? first->uri : first->space_id),
                      number);
}

char *
bk_slots_describe_sync_failure (const BkCmsBulkSync *sync,
                                guint64              start,
                                guint64              end)
{
  g_autofree char *range = format_range (start, end);

  /* TRANSLATORS: %s in these sentences is a range of numbers, e.g. "1–5" */
  switch (sync->status)
    {
    case BK_CMS_BULK_SYNC_FAILED_URI_CONFLICT:
      return g_strdup_printf (_("Another space on the bridge already uses a URI of the range %s, so the bridge created no meeting space. Choose another Numeric ID Base, or change that space’s URI on the bridge, then try again."),
                              range);
    case BK_CMS_BULK_SYNC_FAILED_CALL_ID_CONFLICT:
      return g_strdup_printf (_("Another space on the bridge already uses a call ID of the range %s, so the bridge created no meeting space. Choose another Numeric ID Base, or change that space’s call ID on the bridge, then try again."),
                              range);
    case BK_CMS_BULK_SYNC_FAILED_RANGE_INVALID:
      return g_strdup_printf (_("The bridge refused the range %s as invalid. Check the Numeric ID Base and Quantity, then try again."),
                              range);
    case BK_CMS_BULK_SYNC_FAILED_RANGE_TOO_GREAT:
      return g_strdup_printf (_("The range %s is larger than the bridge allows. Choose a smaller Numeric ID Quantity, then try again."),
                              range);
    case BK_CMS_BULK_SYNC_FAILED_NO_SUCH_SET:
      return g_strdup (_("The slot settings (bulk parameter set) disappeared from the bridge while it was creating the meeting spaces. Try again: Bridgekeeper will create them again."));
    case BK_CMS_BULK_SYNC_UNKNOWN:
    case BK_CMS_BULK_SYNC_PENDING:
    case BK_CMS_BULK_SYNC_RUNNING:
    case BK_CMS_BULK_SYNC_COMPLETE:
    case BK_CMS_BULK_SYNC_FAILED:
    default:
      return g_strdup_printf (_("The bridge could not create the meeting spaces (status “%s”). Look at the bridge’s event log, then try again."),
                              sync->status_text != NULL ? sync->status_text : "failed");
    }
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
bk_slots_discover_async (BkCmsClient         *client,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  DiscoverData *dd;

  g_return_if_fail (BK_CMS_IS_CLIENT (client));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_slots_discover_async);
  dd = g_new0 (DiscoverData, 1);
  dd->pending = 2;
  g_task_set_task_data (task, dd, (GDestroyNotify) discover_data_free);

  bk_cms_client_list_call_bridges_async (client, cancellable, discover_listed_cb, g_object_ref (task));
  bk_cms_client_get_cluster_config_async (client, cancellable, discover_cluster_cb, g_object_ref (task));
}

GPtrArray *
bk_slots_discover_finish (GAsyncResult  *result,
                          char         **self_id,
                          GError       **error)
{
  GPtrArray *members = g_task_propagate_pointer (G_TASK (result), error);

  if (self_id != NULL)
    *self_id = members != NULL ? g_strdup (g_object_get_data (G_OBJECT (result), "self-id")) : NULL;
  return members;
}

/* ---- reservation ---- */

typedef enum
{
  ADOPT_CALL_PROFILE,
  ADOPT_CALL_LEG_PROFILE,
  ADOPT_SET,
  ADOPT_SYNC,
} AdoptWhat;

typedef struct
{
  BkCmsClient         *client;
  BkDevice            *device;
  BkDeviceStore       *store;
  guint64              base;
  guint                quantity;
  BkSlotsReserveFlags  flags;
  gboolean             scan_complete;   /* a fresh scan of the caller found every slot right */
  BkSlotsProgressFunc  progress;
  gpointer             progress_data;

  guint                profile;         /* 0: call profile, 1: call leg profile, 2: done */
  gboolean             with_message_board;
  guint                reposts;
  GError              *unknown_error;   /* the OUTCOME_UNKNOWN being verified */
  AdoptWhat            adopting;
  GPtrArray           *candidates;      /* ids (char*) of profiles to look at */
} ReserveData;

static void
reserve_data_free (ReserveData *rd)
{
  g_clear_object (&rd->client);
  g_clear_object (&rd->device);
  g_clear_object (&rd->store);
  g_clear_error (&rd->unknown_error);
  g_clear_pointer (&rd->candidates, g_ptr_array_unref);
  g_free (rd);
}

static const char * const call_profile_params[] = {
  "participantLimit", "1000", "messageBoardEnabled", "false", NULL
};
static const char * const call_profile_params_v3[] = {
  "participantLimit", "1000", NULL
};
static const char * const call_leg_profile_params[] = {
  "defaultLayout", "telepresence",
  "changeLayoutAllowed", "true",
  "presentationContributionAllowed", "true",
  "presentationViewingAllowed", "true",
  "muteSelfAllowed", "true",
  "videoMuteSelfAllowed", "true",
  NULL
};

static const char *
profile_id (ReserveData *rd)
{
  return rd->profile == 0 ? bk_device_get_call_profile_id (rd->device)
                          : bk_device_get_call_leg_profile_id (rd->device);
}

static void
set_profile_id (ReserveData *rd,
                const char  *id)
{
  if (rd->profile == 0)
    bk_device_set_call_profile_id (rd->device, id);
  else
    bk_device_set_call_leg_profile_id (rd->device, id);
  bk_slots_save_device (rd->store, rd->device);
}

static const char *
profile_collection (ReserveData *rd)
{
  return rd->profile == 0 ? "callProfiles" : "callLegProfiles";
}

static BkCmsKind
profile_kind (ReserveData *rd)
{
  return rd->profile == 0 ? BK_CMS_KIND_CALL_PROFILE : BK_CMS_KIND_CALL_LEG_PROFILE;
}

static gboolean
profile_matches (ReserveData *rd,
                 gpointer     record)
{
  if (rd->profile == 0)
    {
      const BkCmsCallProfile *p = record;

      return p->participant_limit == 1000;
    }
  else
    {
      const BkCmsCallLegProfile *p = record;

      return g_strcmp0 (p->default_layout, "telepresence") == 0 &&
             p->change_layout_allowed && p->presentation_contribution_allowed &&
             p->presentation_viewing_allowed && p->mute_self_allowed && p->video_mute_self_allowed;
    }
}

static gboolean
set_matches (ReserveData                 *rd,
             const BkCmsBulkParameterSet *set)
{
  return set->start_index == (gint64) rd->base &&
         set->end_index == (gint64) (rd->base + rd->quantity - 1) &&
         g_strcmp0 (set->co_space_uri_mapping, URI_MAPPING) == 0 &&
         g_strcmp0 (set->co_space_name_mapping, NAME_MAPPING) == 0 &&
         g_strcmp0 (set->co_space_call_id_mapping, CALL_ID_MAPPING) == 0 &&
         g_strcmp0 (set->call_profile, bk_device_get_call_profile_id (rd->device)) == 0 &&
         g_strcmp0 (set->call_leg_profile, bk_device_get_call_leg_profile_id (rd->device)) == 0 &&
         !set->non_member_access;
}

static GStrv
set_params (ReserveData *rd)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_autofree char *start = g_strdup_printf ("%" G_GUINT64_FORMAT, rd->base);
  g_autofree char *end = g_strdup_printf ("%" G_GUINT64_FORMAT, rd->base + rd->quantity - 1);

  /* TMS's body, field for field (3b). */
  g_strv_builder_add_many (b,
                           "startIndex", start,
                           "endIndex", end,
                           "coSpaceUriMapping", URI_MAPPING,
                           "coSpaceNameMapping", NAME_MAPPING,
                           "coSpaceCallIdMapping", CALL_ID_MAPPING,
                           "callProfile", bk_device_get_call_profile_id (rd->device),
                           "callLegProfile", bk_device_get_call_leg_profile_id (rd->device),
                           "nonMemberAccess", "false",
                           NULL);
  return g_strv_builder_end (b);
}

/* Every id any listed device uses: never adopt another bridge's objects. */
static GHashTable *
known_ids (ReserveData *rd)
{
  GHashTable *ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (rd->store == NULL)
    return ids;
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (rd->store)); i++)
    {
      g_autoptr(BkDevice) d = g_list_model_get_item (G_LIST_MODEL (rd->store), i);
      const char *v[] = {
        bk_device_get_call_profile_id (d), bk_device_get_call_leg_profile_id (d),
        bk_device_get_bulk_parameter_set_id (d), bk_device_get_bulk_sync_id (d),
      };

      for (guint k = 0; k < G_N_ELEMENTS (v); k++)
        if (*v[k] != '\0')
          g_hash_table_add (ids, g_strdup (v[k]));
    }
  return ids;
}

static void reserve_fail (GTask *task, GError *error);

/* Finishes a listing for the reservation: the listed records that no listed
 * device uses (any record: they all start with the id), newest first. They
 * belong to *@all, which the caller frees. NULL when the listing failed:
 * the reservation has then failed. */
static GPtrArray *
list_unknown_finish (GTask         *task,
                     GObject       *source,
                     GAsyncResult  *result,
                     GPtrArray    **all)
{
  ReserveData *rd = g_task_get_task_data (task);
  g_autoptr(GHashTable) known = NULL;
  GError *error = NULL;
  GPtrArray *unknown;

  *all = bk_cms_client_list_finish (BK_CMS_CLIENT (source), result, &error);
  if (*all == NULL)
    {
      reserve_fail (task, error);
      return NULL;
    }
  known = known_ids (rd);
  unknown = g_ptr_array_new ();
  for (guint i = (*all)->len; i > 0; i--)
    {
      const BkCmsRecord *r = g_ptr_array_index (*all, i - 1);

      if (r->id != NULL && !g_hash_table_contains (known, r->id))
        g_ptr_array_add (unknown, (gpointer) r);
    }
  return unknown;
}

static void reserve_profile_step (GTask *task);
static void reserve_profile_create (GTask *task);
static void reserve_set_step (GTask *task);
static void reserve_set_create (GTask *task);
static void reserve_sync_decide (GTask *task);
static void reserve_sync_post (GTask *task);
static void reserve_poll (GTask *task, const char *sync_id);
static void reserve_verify (GTask *task);

/* The one failure path of the reservation. */
static void
reserve_fail (GTask  *task,
              GError *error)
{
  g_task_return_error (task, error);
}

static void
reserve_done (GTask *task)
{
  ReserveData *rd = g_task_get_task_data (task);

  report (rd->progress, rd->progress_data, 1.0, _("The meeting spaces are ready."));
  g_task_return_boolean (task, TRUE);
}

/* An OUTCOME_UNKNOWN POST: list to find what it made, else post again. */
static void adopt_listed_cb (GObject *source, GAsyncResult *result, gpointer user_data);

static void
reserve_verify_unknown (GTask     *task,
                        AdoptWhat  what,
                        GError    *error)
{
  ReserveData *rd = g_task_get_task_data (task);
  static const struct { BkCmsKind kind; const char *path; } lists[] = {
    [ADOPT_CALL_PROFILE] = { BK_CMS_KIND_CALL_PROFILE, "callProfiles" },
    [ADOPT_CALL_LEG_PROFILE] = { BK_CMS_KIND_CALL_LEG_PROFILE, "callLegProfiles" },
    [ADOPT_SET] = { BK_CMS_KIND_BULK_PARAMETER_SET, "cospaceBulkParameterSets" },
    [ADOPT_SYNC] = { BK_CMS_KIND_BULK_SYNC, "cospaceBulkSyncs" },
  };

  g_debug ("Outcome of a POST unknown (%s): listing %s", error->message, lists[what].path);
  g_clear_error (&rd->unknown_error);
  rd->unknown_error = error;
  rd->adopting = what;
  report (rd->progress, rd->progress_data, -1, _("The connection broke: checking what the bridge made"));
  bk_cms_client_list_async (rd->client, lists[what].kind, lists[what].path, NULL, NULL, NULL,
                            g_task_get_cancellable (task), adopt_listed_cb, task);
}

/* Nothing was made: post again (a bounded number of times). */
static void
adopt_nothing_found (GTask *task)
{
  ReserveData *rd = g_task_get_task_data (task);

  if (rd->reposts >= MAX_REPOSTS)
    {
      reserve_fail (task, g_steal_pointer (&rd->unknown_error));
      return;
    }
  rd->reposts++;
  g_clear_error (&rd->unknown_error);
  switch (rd->adopting)
    {
    case ADOPT_CALL_PROFILE:
    case ADOPT_CALL_LEG_PROFILE:
      reserve_profile_create (task);
      break;
    case ADOPT_SET:
      reserve_set_create (task);
      break;
    case ADOPT_SYNC:
    default:
      reserve_sync_post (task);
      break;
    }
}

static void adopt_next_candidate (GTask *task);

static void
adopt_profile_got_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GTask *task = user_data;
  ReserveData *rd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gpointer record;
  GDestroyNotify free_func = bk_cms_kind_get_free_func (profile_kind (rd));
  g_autofree char *id = NULL;

  record = bk_cms_client_get_finish (BK_CMS_CLIENT (source), result, &error);
  id = g_strdup (g_ptr_array_index (rd->candidates, 0));
  g_ptr_array_remove_index (rd->candidates, 0);
  if (record == NULL)
    {
      if (is_cancelled (error) || !g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_NOT_FOUND))
        {
          reserve_fail (task, g_steal_pointer (&error));
          return;
        }
      adopt_next_candidate (task);
      return;
    }
  if (profile_matches (rd, record))
    {
      free_func (record);
      g_debug ("Adopting %s/%s made by the unknown POST", profile_collection (rd), id);
      g_clear_error (&rd->unknown_error);
      set_profile_id (rd, id);
      rd->profile++;
      reserve_profile_step (task);
      return;
    }
  free_func (record);
  adopt_next_candidate (task);
}

static void
adopt_next_candidate (GTask *task)
{
  ReserveData *rd = g_task_get_task_data (task);
  g_autofree char *path = NULL;

  if (rd->candidates->len == 0)
    {
      adopt_nothing_found (task);
      return;
    }
  path = g_strdup_printf ("%s/%s", profile_collection (rd), (char *) g_ptr_array_index (rd->candidates, 0));
  bk_cms_client_get_async (rd->client, profile_kind (rd), path, NULL, g_task_get_cancellable (task),
                           adopt_profile_got_cb, task);
}

static void
adopt_listed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  ReserveData *rd = g_task_get_task_data (task);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) unknown = list_unknown_finish (task, source, result, &records);

  if (unknown == NULL)
    return;

  switch (rd->adopting)
    {
    case ADOPT_CALL_PROFILE:
    case ADOPT_CALL_LEG_PROFILE:
      /* The list has ids only: look at the newest unknown ones first. */
      g_clear_pointer (&rd->candidates, g_ptr_array_unref);
      rd->candidates = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < unknown->len && rd->candidates->len < 20; i++)
        g_ptr_array_add (rd->candidates, g_strdup (((const BkCmsRecord *) g_ptr_array_index (unknown, i))->id));
      adopt_next_candidate (task);
      return;

    case ADOPT_SET:
      for (guint i = 0; i < unknown->len; i++)
        {
          const BkCmsBulkParameterSet *set = g_ptr_array_index (unknown, i);

          if (set_matches (rd, set))
            {
              g_debug ("Adopting bulk parameter set %s made by the unknown POST", set->id);
              g_clear_error (&rd->unknown_error);
              bk_device_set_bulk_parameter_set_id (rd->device, set->id);
              bk_slots_save_device (rd->store, rd->device);
              reserve_sync_post (task);
              return;
            }
        }
      break;

    case ADOPT_SYNC:
    default:
      for (guint i = 0; i < unknown->len; i++)
        {
          const BkCmsBulkSync *sync = g_ptr_array_index (unknown, i);

          if (!sync->remove_all && g_strcmp0 (sync->parameter_set, bk_device_get_bulk_parameter_set_id (rd->device)) == 0)
            {
              g_debug ("Adopting bulk sync %s made by the unknown POST", sync->id);
              g_clear_error (&rd->unknown_error);
              bk_device_set_bulk_sync_id (rd->device, sync->id);
              raise_stage (rd->device, BK_ONBOARDING_STAGE_SLOTS_REQUESTED);
              bk_slots_save_device (rd->store, rd->device);
              reserve_poll (task, sync->id);
              return;
            }
        }
      break;
    }
  adopt_nothing_found (task);
}

/* A POST that failed: one whose outcome is unknown may have made the
 * record (@what), so look for it; any other error ends the reservation. */
static void
reserve_post_failed (GTask     *task,
                     AdoptWhat  what,
                     GError    *error)
{
  if (g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_OUTCOME_UNKNOWN))
    reserve_verify_unknown (task, what, error);
  else
    reserve_fail (task, error);
}

/* The id of what a POST made; NULL when it failed, handed on as above. */
static char *
reserve_create_finish (GTask        *task,
                       GObject      *source,
                       GAsyncResult *result,
                       AdoptWhat     what)
{
  GError *error = NULL;
  char *id = bk_cms_client_create_finish (BK_CMS_CLIENT (source), result, &error);

  if (id == NULL)
    reserve_post_failed (task, what, error);
  return id;
}

/* -- profiles -- */

static void
profile_created_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  GTask *task = user_data;
  ReserveData *rd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  id = bk_cms_client_create_finish (BK_CMS_CLIENT (source), result, &error);
  if (id == NULL)
    {
      const BkCmsFailure *f = bk_cms_error_get_n_failures (error) > 0 ? bk_cms_error_get_failure (error, 0) : NULL;

      /* CMS 3.0 removed messageBoardEnabled: send TMS's body without it. */
      if (rd->profile == 0 && rd->with_message_board &&
          g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_CMS_FAILURE) &&
          f != NULL && g_strcmp0 (f->reason, "parameterError") == 0 &&
          g_strcmp0 (f->parameter, "messageBoardEnabled") == 0)
        {
          g_debug ("The bridge has no messageBoardEnabled (CMS 3.x): creating the call profile without it");
          rd->with_message_board = FALSE;
          reserve_profile_create (task);
          return;
        }
      reserve_post_failed (task, rd->profile == 0 ? ADOPT_CALL_PROFILE : ADOPT_CALL_LEG_PROFILE,
                           g_steal_pointer (&error));
      return;
    }
  set_profile_id (rd, id);
  rd->profile++;
  reserve_profile_step (task);
}

static void
reserve_profile_create (GTask *task)
{
  ReserveData *rd = g_task_get_task_data (task);

  if (rd->profile == 0)
    {
      report (rd->progress, rd->progress_data, 0.05, _("Creating the call profile"));
      bk_cms_client_create_call_profile_async (rd->client,
                                               rd->with_message_board ? call_profile_params : call_profile_params_v3,
                                               g_task_get_cancellable (task), profile_created_cb, task);
    }
  else
    {
      report (rd->progress, rd->progress_data, 0.1, _("Creating the call leg profile"));
      bk_cms_client_create_call_leg_profile_async (rd->client, call_leg_profile_params,
                                                   g_task_get_cancellable (task), profile_created_cb, task);
    }
}

static void
profile_got_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  ReserveData *rd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gpointer record;

  record = bk_cms_client_get_finish (BK_CMS_CLIENT (source), result, &error);
  if (record != NULL)
    {
      bk_cms_kind_get_free_func (profile_kind (rd)) (record);
      rd->profile++;
      reserve_profile_step (task);
      return;
    }
  if (g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_NOT_FOUND))
    {
      g_debug ("%s/%s is gone from the bridge: creating it again", profile_collection (rd), profile_id (rd));
      set_profile_id (rd, "");
      reserve_profile_create (task);
      return;
    }
  reserve_fail (task, g_steal_pointer (&error));
}

static void
reserve_profile_step (GTask *task)
{
  ReserveData *rd = g_task_get_task_data (task);
  g_autofree char *path = NULL;

  if (rd->profile >= 2)
    {
      raise_stage (rd->device, BK_ONBOARDING_STAGE_PROFILES_CREATED);
      bk_slots_save_device (rd->store, rd->device);
      reserve_set_step (task);
      return;
    }
  rd->reposts = 0;
  if (*profile_id (rd) == '\0')
    {
      reserve_profile_create (task);
      return;
    }
  report (rd->progress, rd->progress_data, rd->profile == 0 ? 0.05 : 0.1,
          rd->profile == 0 ? _("Checking the call profile") : _("Checking the call leg profile"));
  path = g_strdup_printf ("%s/%s", profile_collection (rd), profile_id (rd));
  bk_cms_client_get_async (rd->client, profile_kind (rd), path, NULL, g_task_get_cancellable (task),
                           profile_got_cb, task);
}

/* -- bulk parameter set -- */

static void
set_created_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  ReserveData *rd = g_task_get_task_data (task);
  g_autofree char *id = reserve_create_finish (task, source, result, ADOPT_SET);

  if (id == NULL)
    return;
  bk_device_set_bulk_parameter_set_id (rd->device, id);
  bk_slots_save_device (rd->store, rd->device);
  reserve_sync_post (task);
}

static void
reserve_set_create (GTask *task)
{
  ReserveData *rd = g_task_get_task_data (task);
  g_auto(GStrv) params = set_params (rd);

  report (rd->progress, rd->progress_data, 0.15, _("Saving the slot range on the bridge"));
  bk_cms_client_create_bulk_parameter_set_async (rd->client, (const char * const *) params,
                                                 g_task_get_cancellable (task), set_created_cb, task);
}

static void
set_updated_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  if (!bk_cms_client_update_finish (BK_CMS_CLIENT (source), result, &error))
    {
      reserve_fail (task, g_steal_pointer (&error));
      return;
    }
  reserve_sync_post (task);
}

/* Our set exists: keep it as it is, or PUT the range and mappings. */
static void
set_compare (GTask                       *task,
             const BkCmsBulkParameterSet *set)
{
  ReserveData *rd = g_task_get_task_data (task);
  g_auto(GStrv) params = NULL;

  if (set_matches (rd, set))
    {
      reserve_sync_decide (task);
      return;
    }
  params = set_params (rd);
  report (rd->progress, rd->progress_data, 0.15, _("Changing the slot range on the bridge"));
  bk_cms_client_update_bulk_parameter_set_async (rd->client, bk_device_get_bulk_parameter_set_id (rd->device),
                                                 (const char * const *) params,
                                                 g_task_get_cancellable (task), set_updated_cb, task);
}

static void
set_got_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  ReserveData *rd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsBulkParameterSet) set = NULL;

  set = bk_cms_client_get_finish (BK_CMS_CLIENT (source), result, &error);
  if (set == NULL)
    {
      if (g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_NOT_FOUND))
        {
          g_debug ("Bulk parameter set %s is gone: creating it again", bk_device_get_bulk_parameter_set_id (rd->device));
          bk_device_set_bulk_parameter_set_id (rd->device, "");
          bk_device_set_bulk_sync_id (rd->device, "");
          bk_slots_save_device (rd->store, rd->device);
          reserve_set_create (task);
        }
      else
        reserve_fail (task, g_steal_pointer (&error));
      return;
    }
  set_compare (task, set);
}

/* Before creating a set: a set with TMS's mappings that no listed device
 * uses (TMS's own, when Bridgekeeper takes over from TMS) is taken over
 * instead, since a second set would clash with its spaces. */
static void
set_listed_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  ReserveData *rd = g_task_get_task_data (task);
  g_autoptr(GPtrArray) sets = NULL;
  g_autoptr(GPtrArray) unknown = list_unknown_finish (task, source, result, &sets);

  if (unknown == NULL)
    return;
  for (guint i = 0; i < unknown->len; i++)
    {
      const BkCmsBulkParameterSet *set = g_ptr_array_index (unknown, i);

      if (g_strcmp0 (set->co_space_name_mapping, NAME_MAPPING) == 0 &&
          g_strcmp0 (set->co_space_uri_mapping, URI_MAPPING) == 0 &&
          g_strcmp0 (set->co_space_call_id_mapping, CALL_ID_MAPPING) == 0)
        {
          g_debug ("Taking over the existing bulk parameter set %s", set->id);
          bk_device_set_bulk_parameter_set_id (rd->device, set->id);
          bk_slots_save_device (rd->store, rd->device);
          set_compare (task, set);
          return;
        }
    }
  reserve_set_create (task);
}

static void
reserve_set_step (GTask *task)
{
  ReserveData *rd = g_task_get_task_data (task);
  g_autofree char *path = NULL;

  rd->reposts = 0;
  report (rd->progress, rd->progress_data, 0.15, _("Checking the slot range on the bridge"));
  if (*bk_device_get_bulk_parameter_set_id (rd->device) == '\0')
    {
      bk_cms_client_list_async (rd->client, BK_CMS_KIND_BULK_PARAMETER_SET, "cospaceBulkParameterSets",
                                NULL, NULL, NULL, g_task_get_cancellable (task), set_listed_cb, task);
      return;
    }
  path = g_strdup_printf ("cospaceBulkParameterSets/%s", bk_device_get_bulk_parameter_set_id (rd->device));
  bk_cms_client_get_async (rd->client, BK_CMS_KIND_BULK_PARAMETER_SET, path, NULL,
                           g_task_get_cancellable (task), set_got_cb, task);
}

/* -- bulk sync -- */

static void
verify_or_sync_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BkSlotsScan) scan = NULL;

  scan = bk_slots_scan_finish (result, &error);
  if (scan == NULL)
    reserve_fail (task, g_steal_pointer (&error));
  else if (bk_slots_scan_is_complete (scan))
    reserve_done (task);
  else
    reserve_sync_post (task);
}

static void
verify_or_sync (GTask *task)
{
  ReserveData *rd = g_task_get_task_data (task);

  if (rd->scan_complete)
    {
      reserve_done (task);
      return;
    }
  report (rd->progress, rd->progress_data, -1, _("Checking the meeting spaces"));
  bk_slots_scan_async (rd->client, rd->base, rd->quantity, TRUE, NULL, NULL,
                       g_task_get_cancellable (task), verify_or_sync_cb, task);
}

static void
sync_existing_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  ReserveData *rd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsBulkSync) sync = NULL;

  sync = bk_cms_client_get_bulk_sync_finish (BK_CMS_CLIENT (source), result, &error);
  if (sync == NULL && !g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_NOT_FOUND))
    {
      reserve_fail (task, g_steal_pointer (&error));
      return;
    }
  if (sync != NULL && !bk_cms_bulk_sync_status_is_final (sync->status) && !sync->remove_all &&
      g_strcmp0 (sync->parameter_set, bk_device_get_bulk_parameter_set_id (rd->device)) == 0)
    {
      /* An interrupted run left it going: follow it instead of posting another. */
      reserve_poll (task, sync->id != NULL ? sync->id : bk_device_get_bulk_sync_id (rd->device));
      return;
    }
  verify_or_sync (task);
}

static void
reserve_sync_decide (GTask *task)
{
  ReserveData *rd = g_task_get_task_data (task);

  if (rd->flags & BK_SLOTS_RESERVE_FORCE_SYNC)
    {
      reserve_sync_post (task);
      return;
    }
  if (*bk_device_get_bulk_sync_id (rd->device) != '\0')
    {
      bk_cms_client_get_bulk_sync_async (rd->client, bk_device_get_bulk_sync_id (rd->device),
                                         g_task_get_cancellable (task), sync_existing_cb, task);
      return;
    }
  verify_or_sync (task);
}

static void
sync_posted_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  ReserveData *rd = g_task_get_task_data (task);
  g_autofree char *id = reserve_create_finish (task, source, result, ADOPT_SYNC);

  if (id == NULL)
    return;
  bk_device_set_bulk_sync_id (rd->device, id);
  raise_stage (rd->device, BK_ONBOARDING_STAGE_SLOTS_REQUESTED);
  bk_slots_save_device (rd->store, rd->device);
  reserve_poll (task, id);
}

static void
reserve_sync_post (GTask *task)
{
  ReserveData *rd = g_task_get_task_data (task);

  report (rd->progress, rd->progress_data, 0.2, _("Asking the bridge to create the meeting spaces"));
  bk_cms_client_create_bulk_sync_async (rd->client, bk_device_get_bulk_parameter_set_id (rd->device), FALSE,
                                        g_task_get_cancellable (task), sync_posted_cb, task);
}

static void
reserve_polled_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  ReserveData *rd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsBulkSync) sync = NULL;
  g_autofree char *sentence = NULL;

  sync = poll_sync_finish (result, &error);
  if (sync == NULL)
    {
      reserve_fail (task, g_steal_pointer (&error));
      return;
    }
  if (sync->status == BK_CMS_BULK_SYNC_COMPLETE)
    {
      reserve_verify (task);
      return;
    }
  sentence = bk_slots_describe_sync_failure (sync, rd->base, rd->base + rd->quantity - 1);
  if (sync->status == BK_CMS_BULK_SYNC_FAILED_NO_SUCH_SET)
    {
      bk_device_set_bulk_parameter_set_id (rd->device, "");
      bk_slots_save_device (rd->store, rd->device);
    }
  reserve_fail (task, g_error_new_literal (BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_SYNC_FAILED, sentence));
}

static void
reserve_poll (GTask      *task,
              const char *sync_id)
{
  ReserveData *rd = g_task_get_task_data (task);
  g_autofree char *text = NULL;

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "The bridge is creating %u meeting space",
                                       "The bridge is creating %u meeting spaces", rd->quantity),
                          rd->quantity);
  poll_sync_async (rd->client, sync_id, text, rd->progress, rd->progress_data,
                   g_task_get_cancellable (task), reserve_polled_cb, task);
}

static void
verify_progress_cb (guint    fetched,
                    guint    total,
                    gpointer user_data)
{
  ReserveData *rd = user_data;
  g_autofree char *text = NULL;

  if (total == 0)
    return;
  text = g_strdup_printf (_("Checking the meeting spaces (%u of %u)"), MIN (fetched, total), total);
  report (rd->progress, rd->progress_data, 0.8 + 0.2 * MIN (fetched, total) / total, text);
}

static void
verify_scanned_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  ReserveData *rd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(BkSlotsScan) scan = NULL;

  scan = bk_slots_scan_finish (result, &error);
  if (scan == NULL)
    {
      reserve_fail (task, g_steal_pointer (&error));
      return;
    }
  if (!bk_slots_scan_is_complete (scan))
    {
      reserve_fail (task, g_error_new (BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_VERIFY_FAILED,
                                       _("The bridge reported the meeting spaces as created, but %u of %u are missing and %u differ from the slot settings. Try again, or use Repair on the bridge’s page."),
                                       scan->n_missing, rd->quantity, scan->n_changed));
      return;
    }
  reserve_done (task);
}

static void
reserve_verify (GTask *task)
{
  ReserveData *rd = g_task_get_task_data (task);

  report (rd->progress, rd->progress_data, 0.8, _("Checking the meeting spaces"));
  bk_slots_scan_async (rd->client, rd->base, rd->quantity, TRUE, verify_progress_cb, rd,
                       g_task_get_cancellable (task), verify_scanned_cb, task);
}

/* -- start -- */

static void
reserve_collisions_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  GTask *task = user_data;
  ReserveData *rd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(BkSlotsScan) scan = NULL;

  scan = bk_slots_scan_finish (result, &error);
  if (scan == NULL)
    {
      reserve_fail (task, g_steal_pointer (&error));
      return;
    }
  error = bk_slots_collision_error (scan);
  if (error != NULL)
    {
      reserve_fail (task, g_steal_pointer (&error));
      return;
    }
  rd->scan_complete = bk_slots_scan_is_complete (scan);
  reserve_profile_step (task);
}

void
bk_slots_reserve_async (BkCmsClient         *client,
                        BkDevice            *device,
                        BkDeviceStore       *store,
                        guint64              base,
                        guint                quantity,
                        const BkSlotsScan   *scan,
                        BkSlotsReserveFlags  flags,
                        BkSlotsProgressFunc  progress,
                        gpointer             progress_data,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  GTask *task;
  ReserveData *rd;
  GError *error = NULL;

  g_return_if_fail (BK_CMS_IS_CLIENT (client));
  g_return_if_fail (BK_IS_DEVICE (device));
  g_return_if_fail (store == NULL || BK_IS_DEVICE_STORE (store));

  /* The task holds itself: the callbacks pass it on as a borrowed pointer
   * and the final return drops this reference (see reserve_task_done). */
  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_slots_reserve_async);
  rd = g_new0 (ReserveData, 1);
  rd->client = g_object_ref (client);
  rd->device = g_object_ref (device);
  rd->store = store ? g_object_ref (store) : NULL;
  rd->base = base;
  rd->quantity = quantity;
  rd->flags = flags;
  rd->progress = progress;
  rd->progress_data = progress_data;
  rd->with_message_board = TRUE;
  g_task_set_task_data (task, rd, (GDestroyNotify) reserve_data_free);
  /* Released when the task returns, whatever the path. */
  g_signal_connect (task, "notify::completed", G_CALLBACK (g_object_unref), NULL);

  if (!bk_validate_numeric_range (base, quantity, &error))
    {
      reserve_fail (task, error);
      return;
    }

  if (scan != NULL && scan->base == base && scan->quantity == quantity)
    {
      if ((flags & BK_SLOTS_RESERVE_CHECK_COLLISIONS) && (error = bk_slots_collision_error (scan)) != NULL)
        {
          reserve_fail (task, error);
          return;
        }
      rd->scan_complete = !scan->slot_spaces_only && bk_slots_scan_is_complete (scan);
      reserve_profile_step (task);
      return;
    }
  if (flags & BK_SLOTS_RESERVE_CHECK_COLLISIONS)
    {
      report (progress, progress_data, -1, _("Looking for spaces that already use the range"));
      bk_slots_scan_async (client, base, quantity, FALSE, NULL, NULL, cancellable, reserve_collisions_cb, task);
      return;
    }
  reserve_profile_step (task);
}

gboolean
bk_slots_reserve_finish (GAsyncResult  *result,
                         GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- clean-up ---- */

typedef struct
{
  BkCmsClient         *client;
  BkDevice            *device;
  BkDeviceStore       *store;
  BkSlotsProgressFunc  progress;
  gpointer             progress_data;
  guint                reposts;
  gboolean             spaces_removed;
  guint                deleting;     /* 0 set, 1 call leg profile, 2 call profile */
} RemoveData;

static void
remove_data_free (RemoveData *rd)
{
  g_clear_object (&rd->client);
  g_clear_object (&rd->device);
  g_clear_object (&rd->store);
  g_free (rd);
}

static void remove_delete_next (GTask *task);
static void remove_post_sync (GTask *task);

/* The one failure path of the clean-up: say what is left on the bridge. */
static void
remove_fail (GTask  *task,
             GError *error)
{
  RemoveData *rd = g_task_get_task_data (task);
  g_autoptr(GPtrArray) left = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *list = NULL;
  GError *full;

  if (is_cancelled (error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (!rd->spaces_removed && *bk_device_get_bulk_parameter_set_id (rd->device) != '\0')
    g_ptr_array_add (left, g_strdup (_("the meeting spaces TMS_Scheduled_Meeting_…")));
  if (*bk_device_get_bulk_parameter_set_id (rd->device) != '\0')
    g_ptr_array_add (left, g_strdup (_("the slot settings (bulk parameter set)")));
  if (*bk_device_get_call_leg_profile_id (rd->device) != '\0')
    g_ptr_array_add (left, g_strdup (_("the call leg profile")));
  if (*bk_device_get_call_profile_id (rd->device) != '\0')
    g_ptr_array_add (left, g_strdup (_("the call profile")));
  g_ptr_array_add (left, NULL);
  /* TRANSLATORS: joins the items of a list */
  list = g_strjoinv (_(", "), (char **) left->pdata);
  /* TRANSLATORS: %s: why the clean-up stopped; %s: what is still on the bridge */
  full = g_error_new (error->domain, error->code,
                      _("%s The bridge was not removed. Still on the bridge: %s. Try again, or remove the bridge without cleaning up."),
                      error->message, list);
  g_error_free (error);
  g_task_return_error (task, full);
}

static void
remove_deleted_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  RemoveData *rd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!bk_cms_client_delete_finish (BK_CMS_CLIENT (source), result, &error) &&
      !g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_NOT_FOUND))
    {
      remove_fail (task, g_steal_pointer (&error));
      return;
    }
  switch (rd->deleting)
    {
    case 0:
      bk_device_set_bulk_parameter_set_id (rd->device, "");
      bk_device_set_bulk_sync_id (rd->device, "");
      break;
    case 1:
      bk_device_set_call_leg_profile_id (rd->device, "");
      break;
    default:
      bk_device_set_call_profile_id (rd->device, "");
      break;
    }
  bk_slots_save_device (rd->store, rd->device);
  rd->deleting++;
  remove_delete_next (task);
}

static void
remove_delete_next (GTask *task)
{
  RemoveData *rd = g_task_get_task_data (task);
  const char *id;
  const char *collection;
  const char *text;
  g_autofree char *path = NULL;

  for (;;)
    {
      switch (rd->deleting)
        {
        case 0:
          id = bk_device_get_bulk_parameter_set_id (rd->device);
          collection = "cospaceBulkParameterSets";
          text = _("Deleting the slot settings");
          break;
        case 1:
          id = bk_device_get_call_leg_profile_id (rd->device);
          collection = "callLegProfiles";
          text = _("Deleting the call leg profile");
          break;
        case 2:
          id = bk_device_get_call_profile_id (rd->device);
          collection = "callProfiles";
          text = _("Deleting the call profile");
          break;
        default:
          report (rd->progress, rd->progress_data, 1.0, _("Bridgekeeper’s objects are gone from the bridge."));
          g_task_return_boolean (task, TRUE);
          return;
        }
      if (*id != '\0')
        break;
      rd->deleting++;
    }
  report (rd->progress, rd->progress_data, 0.7 + 0.1 * rd->deleting, text);
  path = g_strdup_printf ("%s/%s", collection, id);
  bk_cms_client_delete_async (rd->client, path, g_task_get_cancellable (task), remove_deleted_cb, task);
}

static void
remove_polled_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  RemoveData *rd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsBulkSync) sync = NULL;

  sync = poll_sync_finish (result, &error);
  if (sync == NULL)
    {
      remove_fail (task, g_steal_pointer (&error));
      return;
    }
  if (sync->status == BK_CMS_BULK_SYNC_COMPLETE || sync->status == BK_CMS_BULK_SYNC_FAILED_NO_SUCH_SET)
    {
      rd->spaces_removed = TRUE;
      remove_delete_next (task);
      return;
    }
  remove_fail (task, g_error_new (BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_SYNC_FAILED,
                                  _("The bridge could not delete the meeting spaces (status “%s”)."),
                                  sync->status_text != NULL ? sync->status_text : "failed"));
}

static void
remove_posted_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GTask *task = user_data;
  RemoveData *rd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  id = bk_cms_client_create_finish (BK_CMS_CLIENT (source), result, &error);
  if (id == NULL)
    {
      /* A removeAll sync twice does no harm: post it again. */
      if (g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_OUTCOME_UNKNOWN) && rd->reposts < MAX_REPOSTS)
        {
          rd->reposts++;
          remove_post_sync (task);
          return;
        }
      remove_fail (task, g_steal_pointer (&error));
      return;
    }
  poll_sync_async (rd->client, id, _("The bridge is deleting the meeting spaces"), rd->progress, rd->progress_data,
                   g_task_get_cancellable (task), remove_polled_cb, task);
}

static void
remove_post_sync (GTask *task)
{
  RemoveData *rd = g_task_get_task_data (task);

  report (rd->progress, rd->progress_data, 0.1, _("Asking the bridge to delete the meeting spaces"));
  bk_cms_client_create_bulk_sync_async (rd->client, bk_device_get_bulk_parameter_set_id (rd->device), TRUE,
                                        g_task_get_cancellable (task), remove_posted_cb, task);
}

void
bk_slots_remove_async (BkCmsClient         *client,
                       BkDevice            *device,
                       BkDeviceStore       *store,
                       BkSlotsProgressFunc  progress,
                       gpointer             progress_data,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;
  RemoveData *rd;

  g_return_if_fail (BK_CMS_IS_CLIENT (client));
  g_return_if_fail (BK_IS_DEVICE (device));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_slots_remove_async);
  rd = g_new0 (RemoveData, 1);
  rd->client = g_object_ref (client);
  rd->device = g_object_ref (device);
  rd->store = store ? g_object_ref (store) : NULL;
  rd->progress = progress;
  rd->progress_data = progress_data;
  g_task_set_task_data (task, rd, (GDestroyNotify) remove_data_free);
  g_signal_connect (task, "notify::completed", G_CALLBACK (g_object_unref), NULL);

  if (*bk_device_get_bulk_parameter_set_id (device) != '\0')
    remove_post_sync (task);
  else
    {
      rd->spaces_removed = TRUE;
      remove_delete_next (task);
    }
}

gboolean
bk_slots_remove_finish (GAsyncResult  *result,
                        GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- addresses and cluster membership ---- */

char *
bk_slots_format_address (const char *host,
                         guint       port)
{
  gboolean v6 = strchr (host, ':') != NULL;

  if (port == BK_DEFAULT_PORT)
    return g_strdup (host);
  return v6 ? g_strdup_printf ("[%s]:%u", host, port) : g_strdup_printf ("%s:%u", host, port);
}

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

BkDevice *
bk_slots_find_managing_device (BkDeviceStore *store,
                               BkDevice      *except,
                               const char    *host,
                               guint          port,
                               GPtrArray     *members)
{
  g_autofree char *norm = host != NULL ? bk_normalize_host (host) : NULL;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (store)); i++)
    {
      g_autoptr(BkDevice) d = g_list_model_get_item (G_LIST_MODEL (store), i);

      if (d == except || (except != NULL && g_strcmp0 (bk_device_get_id (d), bk_device_get_id (except)) == 0))
        continue;
      if (device_manages (d, norm, port, members))
        return d;
    }
  return NULL;
}
