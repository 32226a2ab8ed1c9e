/* bk-reservation.c: the reservation of a slot range on a CMS, and its clean-up
 *
 * Every step function below takes one reference of the task and hands it
 * on (to the next request, with g_steal_pointer) or drops it when it
 * returns the result; callbacks take it back with
 * g_autoptr(GTask) task = user_data.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkReservation"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "bk-onboarding.h"
#include "bk-reservation.h"
#include "bk-validate.h"

/* A POST whose outcome is unknown is verified by listing; when nothing was
 * made it is sent again, at most this many times. */
#define MAX_REPOSTS 2

/* At most this many unknown objects of a list are looked at (GET each),
 * newest first. */
#define MAX_CANDIDATES 20

/* ---- helpers ---- */

void
bk_reservation_save_device (BkDeviceStore *store,
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

static gboolean
is_cancelled (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Keeps the error that matters of two parallel branches in *@kept:
 * cancellation wins, otherwise the first. Takes @error. */
static void
keep_error (GError **kept,
            GError  *error)
{
  if (*kept == NULL || (is_cancelled (error) && !is_cancelled (*kept)))
    {
      g_clear_error (kept);
      *kept = error;
    }
  else
    g_error_free (error);
}

static void
report (BkReservationProgressFunc  progress,
        gpointer                   data,
        double                     fraction,
        const char                *text)
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

/* Polls /cospaceBulkSyncs/<id> until its status is final: the first poll
 * after BK_RESERVATION_POLL_FIRST_MS, each next wait 1.5 times longer up to
 * BK_RESERVATION_POLL_MAX_MS, reporting @text before each wait. Returns the
 * final BkCmsBulkSync (complete or failed); errors are the client's. */
typedef struct
{
  BkCmsClient               *client;
  char                      *sync_id;
  char                      *text;
  guint                      poll_ms;
  BkReservationProgressFunc  progress;
  gpointer                   progress_data;
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
  g_autoptr(GTask) task = user_data;
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
      pd->poll_ms = MIN (pd->poll_ms * 3 / 2, BK_RESERVATION_POLL_MAX_MS);
      poll_next (g_steal_pointer (&task));
    }
}

static void
poll_slept_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable;
  PollData *pd = g_task_get_task_data (task);
  GError *error = NULL;

  if (!sleep_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  bk_cms_client_get_bulk_sync_async (pd->client, pd->sync_id, cancellable,
                                     poll_got_cb, g_steal_pointer (&task));
}

static void
poll_next (GTask *task)
{
  PollData *pd = g_task_get_task_data (task);

  report (pd->progress, pd->progress_data, -1, pd->text);
  sleep_async (pd->poll_ms, g_task_get_cancellable (task), poll_slept_cb, task);
}

static void
poll_sync_async (BkCmsClient               *client,
                 const char                *sync_id,
                 const char                *text,
                 BkReservationProgressFunc  progress,
                 gpointer                   progress_data,
                 GCancellable              *cancellable,
                 GAsyncReadyCallback        callback,
                 gpointer                   user_data)
{
  GTask *task = g_task_new (client, cancellable, callback, user_data);
  PollData *pd = g_new0 (PollData, 1);

  /* A final status that comes in as the caller cancels is still returned:
   * the caller's own task decides. */
  g_task_set_check_cancellable (task, FALSE);
  pd->client = g_object_ref (client);
  pd->sync_id = g_strdup (sync_id);
  pd->text = g_strdup (text);
  pd->poll_ms = BK_RESERVATION_POLL_FIRST_MS;
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
  g_task_return_pointer (task, bk_slot_range_classify (spaces, sd->base, sd->quantity, sd->slot_spaces_only),
                         (GDestroyNotify) bk_slot_scan_free);
}

void
bk_reservation_scan_async (BkCmsClient         *client,
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
  g_task_set_source_tag (task, bk_reservation_scan_async);
  sd = g_new0 (ScanData, 1);
  sd->base = base;
  sd->quantity = quantity;
  sd->slot_spaces_only = slot_spaces_only;
  g_task_set_task_data (task, sd, g_free);

  bk_cms_client_list_cospaces_async (client, slot_spaces_only ? BK_SLOT_NAME_FILTER : NULL, NULL,
                                     progress, progress_data, cancellable,
                                     scan_listed_cb, g_steal_pointer (&task));
}

BkSlotScan *
bk_reservation_scan_finish (GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- count ---- */

/* How many spaces carry the slot name: one request,
 * GET /coSpaces?filter=TMS_Scheduled_Meeting_&limit=1, whose root
 * element's total attribute is the answer. */
static void
count_got_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(BkCmsReply) reply = NULL;
  g_autoptr(GPtrArray) items = NULL;
  GError *error = NULL;
  gsize len = 0;
  const char *data;
  guint total = 0;

  reply = bk_cms_client_request_finish (BK_CMS_CLIENT (source), result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  data = g_bytes_get_data (reply->body, &len);
  items = bk_cms_list_decode (BK_CMS_KIND_COSPACE, data, len, &total, &error);
  if (items == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_int (task, total);
}

static void
count_slot_spaces_async (BkCmsClient         *client,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  static const char * const params[] = { "filter", BK_SLOT_NAME_FILTER, "limit", "1", NULL };
  g_autoptr(GTask) task = g_task_new (client, cancellable, callback, user_data);

  bk_cms_client_request_async (client, "GET", "coSpaces", params, cancellable,
                               count_got_cb, g_steal_pointer (&task));
}

/* The total, or -1 with @error set. */
static gssize
count_slot_spaces_finish (GAsyncResult  *result,
                          GError       **error)
{
  return g_task_propagate_int (G_TASK (result), error);
}

/* ---- the first of a list's objects that passes a test ---- */

/* The list gives ids only (as CMS's lists do): each candidate is read with
 * a GET, in order, until @test accepts one. Finish gives that record (free
 * it with bk_cms_kind_get_free_func (kind)), or NULL without an error when
 * none passed; an object gone meanwhile (404) is skipped. */
typedef gboolean (*CandidateTest) (gconstpointer record,
                                   gpointer      data);

typedef struct
{
  BkCmsClient   *client;
  BkCmsKind      kind;
  char          *collection;
  GPtrArray     *ids;
  guint          next;
  CandidateTest  test;
  gpointer       test_data;
} FindData;

static void
find_data_free (FindData *fd)
{
  g_clear_object (&fd->client);
  g_free (fd->collection);
  g_clear_pointer (&fd->ids, g_ptr_array_unref);
  g_free (fd);
}

static void find_next (GTask *task);

static void
find_got_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FindData *fd = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer record;

  record = bk_cms_client_get_finish (BK_CMS_CLIENT (source), result, &error);
  if (record == NULL)
    {
      if (!g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_NOT_FOUND))
        {
          g_task_return_error (task, error);
          return;
        }
      g_error_free (error);
    }
  else if (fd->test (record, fd->test_data))
    {
      g_task_return_pointer (task, record, bk_cms_kind_get_free_func (fd->kind));
      return;
    }
  else
    bk_cms_kind_get_free_func (fd->kind) (record);
  find_next (g_steal_pointer (&task));
}

static void
find_next (GTask *task)
{
  FindData *fd = g_task_get_task_data (task);
  g_autofree char *path = NULL;

  if (fd->next >= fd->ids->len)
    {
      g_task_return_pointer (task, NULL, NULL);
      g_object_unref (task);
      return;
    }
  path = g_strdup_printf ("%s/%s", fd->collection, (char *) g_ptr_array_index (fd->ids, fd->next++));
  bk_cms_client_get_async (fd->client, fd->kind, path, NULL, g_task_get_cancellable (task), find_got_cb, task);
}

static void
find_candidate_async (BkCmsClient         *client,
                      BkCmsKind            kind,
                      const char          *collection,
                      GPtrArray           *ids,
                      CandidateTest        test,
                      gpointer             test_data,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  GTask *task = g_task_new (client, cancellable, callback, user_data);
  FindData *fd = g_new0 (FindData, 1);

  fd->client = g_object_ref (client);
  fd->kind = kind;
  fd->collection = g_strdup (collection);
  fd->ids = g_ptr_array_ref (ids);
  fd->test = test;
  fd->test_data = test_data;
  g_task_set_task_data (task, fd, (GDestroyNotify) find_data_free);
  find_next (task);
}

static gpointer
find_candidate_finish (GAsyncResult  *result,
                       GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- reservation ---- */

typedef enum
{
  ADOPT_CALL_PROFILE,
  ADOPT_CALL_LEG_PROFILE,
  ADOPT_SET,
  ADOPT_SYNC,
} AdoptWhat;

static const struct
{
  BkCmsKind   kind;
  const char *collection;
} adopt_lists[] = {
  [ADOPT_CALL_PROFILE] = { BK_CMS_KIND_CALL_PROFILE, "callProfiles" },
  [ADOPT_CALL_LEG_PROFILE] = { BK_CMS_KIND_CALL_LEG_PROFILE, "callLegProfiles" },
  [ADOPT_SET] = { BK_CMS_KIND_BULK_PARAMETER_SET, "cospaceBulkParameterSets" },
  [ADOPT_SYNC] = { BK_CMS_KIND_BULK_SYNC, "cospaceBulkSyncs" },
};

typedef struct _ReserveData ReserveData;

/* One of the two profiles, made or checked beside the other. */
typedef struct
{
  ReserveData *rd;
  AdoptWhat    what;                /* ADOPT_CALL_PROFILE or ADOPT_CALL_LEG_PROFILE */
  gboolean     with_message_board;  /* call profile: CMS 2.x's field still sent */
  guint        reposts;
  GError      *unknown_error;       /* the OUTCOME_UNKNOWN being verified */
} ProfileJob;

struct _ReserveData
{
  BkCmsClient               *client;
  BkDevice                  *device;
  BkDeviceStore             *store;
  guint64                    base;
  guint                      quantity;
  BkReservationFlags         flags;
  gboolean                   scan_complete;   /* a fresh scan of the caller found every slot right */
  BkReservationProgressFunc  progress;
  gpointer                   progress_data;

  /* The first stage: both profiles and the look-up of the set, at once. */
  ProfileJob                 jobs[2];
  guint                      pending;
  GError                    *pending_error;
  BkCmsBulkParameterSet     *found_set;       /* ours or TMS's, from a GET; NULL: make one */

  guint                      reposts;
  GError                    *unknown_error;   /* the OUTCOME_UNKNOWN being verified */
  AdoptWhat                  adopting;
};

static void
reserve_data_free (ReserveData *rd)
{
  g_clear_object (&rd->client);
  g_clear_object (&rd->device);
  g_clear_object (&rd->store);
  for (guint i = 0; i < G_N_ELEMENTS (rd->jobs); i++)
    g_clear_error (&rd->jobs[i].unknown_error);
  g_clear_error (&rd->pending_error);
  g_clear_pointer (&rd->found_set, bk_cms_bulk_parameter_set_free);
  g_clear_error (&rd->unknown_error);
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
job_profile_id (ProfileJob *job)
{
  return job->what == ADOPT_CALL_PROFILE ? bk_device_get_call_profile_id (job->rd->device)
                                         : bk_device_get_call_leg_profile_id (job->rd->device);
}

static void
job_set_profile_id (ProfileJob *job,
                    const char *id)
{
  if (job->what == ADOPT_CALL_PROFILE)
    bk_device_set_call_profile_id (job->rd->device, id);
  else
    bk_device_set_call_leg_profile_id (job->rd->device, id);
  bk_reservation_save_device (job->rd->store, job->rd->device);
}

static gboolean
profile_matches (gconstpointer record,
                 gpointer      data)
{
  ProfileJob *job = data;

  if (job->what == ADOPT_CALL_PROFILE)
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
set_matches_ours (gconstpointer record,
                  gpointer      data)
{
  ReserveData *rd = data;

  return bk_slot_range_set_matches (record, rd->base, rd->quantity,
                                    bk_device_get_call_profile_id (rd->device),
                                    bk_device_get_call_leg_profile_id (rd->device));
}

static gboolean
set_has_slot_mappings (gconstpointer record,
                       gpointer      data)
{
  return bk_slot_range_set_has_slot_mappings (record);
}

static gboolean
sync_is_ours (gconstpointer record,
              gpointer      data)
{
  const BkCmsBulkSync *sync = record;
  ReserveData *rd = data;

  return !sync->remove_all && g_strcmp0 (sync->parameter_set, bk_device_get_bulk_parameter_set_id (rd->device)) == 0;
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

/* Finishes a listing: the ids (char*) of the listed objects that no listed
 * device uses, newest (last listed) first, at most MAX_CANDIDATES. Only the
 * ids are read: CMS's lists are summaries. NULL with @error set when the
 * listing failed. */
static GPtrArray *
list_unknown_ids_finish (ReserveData   *rd,
                         GObject       *source,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GHashTable) known = NULL;
  GPtrArray *ids;

  all = bk_cms_client_list_finish (BK_CMS_CLIENT (source), result, error);
  if (all == NULL)
    return NULL;
  known = known_ids (rd);
  ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = all->len; i > 0 && ids->len < MAX_CANDIDATES; i--)
    {
      const BkCmsRecord *r = g_ptr_array_index (all, i - 1);

      if (r->id != NULL && !g_hash_table_contains (known, r->id))
        g_ptr_array_add (ids, g_strdup (r->id));
    }
  return ids;
}

static void reserve_first_stage (GTask *task);
static void reserve_set_create (GTask *task);
static void reserve_sync_decide (GTask *task);
static void reserve_sync_post (GTask *task);
static void reserve_poll (GTask *task, const char *sync_id);
static void reserve_verify (GTask *task);
static void set_compare (GTask *task, const BkCmsBulkParameterSet *set);

/* The one failure path of the reservation; drops the task. */
static void
reserve_fail (GTask  *task,
              GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
reserve_done (GTask *task)
{
  ReserveData *rd = g_task_get_task_data (task);

  report (rd->progress, rd->progress_data, 1.0, _("The meeting spaces are ready."));
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* -- profiles: both at once -- */

static void profile_job_create (ProfileJob *job, GTask *task);

/* One branch of the first stage (a profile, or the look-up of the set) is
 * settled (@error NULL) or failed: when all are, go on with the set. */
static void
first_stage_done (GTask  *task,
                  GError *error)
{
  ReserveData *rd = g_task_get_task_data (task);

  if (error != NULL)
    keep_error (&rd->pending_error, error);
  g_assert (rd->pending > 0);
  if (--rd->pending > 0)
    {
      g_object_unref (task);
      return;
    }
  if (rd->pending_error != NULL)
    {
      reserve_fail (task, g_steal_pointer (&rd->pending_error));
      return;
    }
  raise_stage (rd->device, BK_ONBOARDING_STAGE_PROFILES_CREATED);
  bk_reservation_save_device (rd->store, rd->device);
  if (rd->found_set != NULL)
    set_compare (task, rd->found_set);
  else
    reserve_set_create (task);
}

static void
profile_job_done (ProfileJob *job,
                  GTask      *task,
                  GError     *error)
{
  g_clear_error (&job->unknown_error);
  first_stage_done (task, error);
}

/* Each job's callbacks carry the job; the task travels beside it. */
typedef struct
{
  ProfileJob *job;
  GTask      *task;
} JobCall;

static JobCall *
job_call_new (ProfileJob *job,
              GTask      *task)
{
  JobCall *call = g_new0 (JobCall, 1);

  call->job = job;
  call->task = task;
  return call;
}

/* Takes the call: its job, and its task reference in *@task. */
static ProfileJob *
job_call_take (gpointer   user_data,
               GTask    **task)
{
  JobCall *call = user_data;
  ProfileJob *job = call->job;

  *task = call->task;
  g_free (call);
  return job;
}

static void
profile_adopt_found_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = NULL;
  ProfileJob *job = job_call_take (user_data, &task);
  GError *error = NULL;
  gpointer record;

  record = find_candidate_finish (result, &error);
  if (error != NULL)
    {
      profile_job_done (job, g_steal_pointer (&task), error);
      return;
    }
  if (record != NULL)
    {
      g_debug ("Adopting %s/%s made by the unknown POST", adopt_lists[job->what].collection,
               ((const BkCmsRecord *) record)->id);
      job_set_profile_id (job, ((const BkCmsRecord *) record)->id);
      bk_cms_kind_get_free_func (adopt_lists[job->what].kind) (record);
      profile_job_done (job, g_steal_pointer (&task), NULL);
      return;
    }
  /* Nothing was made: post again (a bounded number of times). */
  if (job->reposts >= MAX_REPOSTS)
    {
      profile_job_done (job, g_steal_pointer (&task), g_steal_pointer (&job->unknown_error));
      return;
    }
  job->reposts++;
  g_clear_error (&job->unknown_error);
  profile_job_create (job, g_steal_pointer (&task));
}

static void
profile_adopt_listed_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GTask) task = NULL;
  GCancellable *cancellable;
  ProfileJob *job = job_call_take (user_data, &task);
  g_autoptr(GPtrArray) ids = NULL;
  GError *error = NULL;

  ids = list_unknown_ids_finish (job->rd, source, result, &error);
  if (ids == NULL)
    {
      profile_job_done (job, g_steal_pointer (&task), error);
      return;
    }
  /* The list has ids only: look at the newest unknown ones. */
  cancellable = g_task_get_cancellable (task);
  find_candidate_async (job->rd->client, adopt_lists[job->what].kind, adopt_lists[job->what].collection,
                        ids, profile_matches, job, cancellable,
                        profile_adopt_found_cb, job_call_new (job, g_steal_pointer (&task)));
}

static void
profile_created_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = NULL;
  GCancellable *cancellable;
  ProfileJob *job = job_call_take (user_data, &task);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  const BkCmsFailure *f;

  id = bk_cms_client_create_finish (BK_CMS_CLIENT (source), result, &error);
  if (id != NULL)
    {
      job_set_profile_id (job, id);
      profile_job_done (job, g_steal_pointer (&task), NULL);
      return;
    }

  /* CMS 3.0 removed messageBoardEnabled: send TMS's body without it. */
  f = bk_cms_error_get_n_failures (error) > 0 ? bk_cms_error_get_failure (error, 0) : NULL;
  if (job->what == ADOPT_CALL_PROFILE && job->with_message_board &&
      g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_CMS_FAILURE) &&
      f != NULL && g_strcmp0 (f->reason, "parameterError") == 0 &&
      g_strcmp0 (f->parameter, "messageBoardEnabled") == 0)
    {
      g_debug ("The bridge has no messageBoardEnabled (CMS 3.x): creating the call profile without it");
      job->with_message_board = FALSE;
      profile_job_create (job, g_steal_pointer (&task));
      return;
    }
  if (g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_OUTCOME_UNKNOWN))
    {
      /* The POST may have made it: list to find it, else post again. */
      g_debug ("Outcome of a POST unknown (%s): listing %s", error->message, adopt_lists[job->what].collection);
      g_clear_error (&job->unknown_error);
      job->unknown_error = g_steal_pointer (&error);
      report (job->rd->progress, job->rd->progress_data, -1, _("The connection broke: checking what the bridge made"));
      cancellable = g_task_get_cancellable (task);
      bk_cms_client_list_async (job->rd->client, adopt_lists[job->what].kind, adopt_lists[job->what].collection,
                                NULL, NULL, NULL, cancellable,
                                profile_adopt_listed_cb, job_call_new (job, g_steal_pointer (&task)));
      return;
    }
  profile_job_done (job, g_steal_pointer (&task), g_steal_pointer (&error));
}

static void
profile_job_create (ProfileJob *job,
                    GTask      *task)
{
  ReserveData *rd = job->rd;

  if (job->what == ADOPT_CALL_PROFILE)
    {
      report (rd->progress, rd->progress_data, 0.05, _("Creating the call profile"));
      bk_cms_client_create_call_profile_async (rd->client,
                                               job->with_message_board ? call_profile_params : call_profile_params_v3,
                                               g_task_get_cancellable (task), profile_created_cb, job_call_new (job, task));
    }
  else
    {
      report (rd->progress, rd->progress_data, 0.1, _("Creating the call leg profile"));
      bk_cms_client_create_call_leg_profile_async (rd->client, call_leg_profile_params,
                                                   g_task_get_cancellable (task), profile_created_cb,
                                                   job_call_new (job, task));
    }
}

static void
profile_got_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = NULL;
  ProfileJob *job = job_call_take (user_data, &task);
  g_autoptr(GError) error = NULL;
  gpointer record;

  record = bk_cms_client_get_finish (BK_CMS_CLIENT (source), result, &error);
  if (record != NULL)
    {
      bk_cms_kind_get_free_func (adopt_lists[job->what].kind) (record);
      profile_job_done (job, g_steal_pointer (&task), NULL);
      return;
    }
  if (g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_NOT_FOUND))
    {
      g_debug ("%s/%s is gone from the bridge: creating it again", adopt_lists[job->what].collection, job_profile_id (job));
      job_set_profile_id (job, "");
      profile_job_create (job, g_steal_pointer (&task));
      return;
    }
  profile_job_done (job, g_steal_pointer (&task), g_steal_pointer (&error));
}

static void
profile_job_start (ProfileJob *job,
                   GTask      *task)
{
  ReserveData *rd = job->rd;
  g_autofree char *path = NULL;

  job->reposts = 0;
  if (*job_profile_id (job) == '\0')
    {
      profile_job_create (job, task);
      return;
    }
  report (rd->progress, rd->progress_data, 0.05,
          job->what == ADOPT_CALL_PROFILE ? _("Checking the call profile") : _("Checking the call leg profile"));
  path = g_strdup_printf ("%s/%s", adopt_lists[job->what].collection, job_profile_id (job));
  bk_cms_client_get_async (rd->client, adopt_lists[job->what].kind, path, NULL, g_task_get_cancellable (task),
                           profile_got_cb, job_call_new (job, task));
}

static void set_lookup_start (GTask *task);

/* Both profiles and the look-up of the set at once: the set needs the
 * profiles' ids only when it is made or compared, after all three. */
static void
reserve_first_stage (GTask *task)
{
  ReserveData *rd = g_task_get_task_data (task);

  /* Each branch holds a reference of the task; the last one done goes on. */
  rd->pending = G_N_ELEMENTS (rd->jobs) + 1;
  for (guint i = 0; i < G_N_ELEMENTS (rd->jobs); i++)
    profile_job_start (&rd->jobs[i], g_object_ref (task));
  set_lookup_start (task);
}

/* -- an OUTCOME_UNKNOWN POST of the set or the sync -- */

static void
adopt_found_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReserveData *rd = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer record;
  g_autofree char *id = NULL;

  record = find_candidate_finish (result, &error);
  if (error != NULL)
    {
      reserve_fail (g_steal_pointer (&task), error);
      return;
    }
  if (record != NULL)
    {
      id = g_strdup (((const BkCmsRecord *) record)->id);
      bk_cms_kind_get_free_func (adopt_lists[rd->adopting].kind) (record);
      g_clear_error (&rd->unknown_error);
      if (rd->adopting == ADOPT_SET)
        {
          g_debug ("Adopting bulk parameter set %s made by the unknown POST", id);
          bk_device_set_bulk_parameter_set_id (rd->device, id);
          bk_reservation_save_device (rd->store, rd->device);
          reserve_sync_post (g_steal_pointer (&task));
        }
      else
        {
          g_debug ("Adopting bulk sync %s made by the unknown POST", id);
          bk_device_set_bulk_sync_id (rd->device, id);
          raise_stage (rd->device, BK_ONBOARDING_STAGE_SLOTS_REQUESTED);
          bk_reservation_save_device (rd->store, rd->device);
          reserve_poll (g_steal_pointer (&task), id);
        }
      return;
    }
  /* Nothing was made: post again (a bounded number of times). */
  if (rd->reposts >= MAX_REPOSTS)
    {
      reserve_fail (g_steal_pointer (&task), g_steal_pointer (&rd->unknown_error));
      return;
    }
  rd->reposts++;
  g_clear_error (&rd->unknown_error);
  if (rd->adopting == ADOPT_SET)
    reserve_set_create (g_steal_pointer (&task));
  else
    reserve_sync_post (g_steal_pointer (&task));
}

static void
adopt_listed_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable;
  ReserveData *rd = g_task_get_task_data (task);
  g_autoptr(GPtrArray) ids = NULL;
  GError *error = NULL;

  ids = list_unknown_ids_finish (rd, source, result, &error);
  if (ids == NULL)
    {
      reserve_fail (g_steal_pointer (&task), error);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  find_candidate_async (rd->client, adopt_lists[rd->adopting].kind, adopt_lists[rd->adopting].collection, ids,
                        rd->adopting == ADOPT_SET ? set_matches_ours : sync_is_ours, rd,
                        cancellable, adopt_found_cb, g_steal_pointer (&task));
}

/* A POST of the set or the sync failed: one whose outcome is unknown may
 * have made the object (@what), so look for it; any other error ends the
 * reservation. */
static void
reserve_post_failed (GTask     *task,
                     AdoptWhat  what,
                     GError    *error)
{
  ReserveData *rd = g_task_get_task_data (task);

  if (!g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_OUTCOME_UNKNOWN))
    {
      reserve_fail (task, error);
      return;
    }
  g_debug ("Outcome of a POST unknown (%s): listing %s", error->message, adopt_lists[what].collection);
  g_clear_error (&rd->unknown_error);
  rd->unknown_error = error;
  rd->adopting = what;
  report (rd->progress, rd->progress_data, -1, _("The connection broke: checking what the bridge made"));
  bk_cms_client_list_async (rd->client, adopt_lists[what].kind, adopt_lists[what].collection, NULL, NULL, NULL,
                            g_task_get_cancellable (task), adopt_listed_cb, task);
}

/* -- bulk parameter set -- */

static void
set_created_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReserveData *rd = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *id = bk_cms_client_create_finish (BK_CMS_CLIENT (source), result, &error);

  if (id == NULL)
    {
      reserve_post_failed (g_steal_pointer (&task), ADOPT_SET, error);
      return;
    }
  bk_device_set_bulk_parameter_set_id (rd->device, id);
  bk_reservation_save_device (rd->store, rd->device);
  reserve_sync_post (g_steal_pointer (&task));
}

static void
reserve_set_create (GTask *task)
{
  ReserveData *rd = g_task_get_task_data (task);
  g_auto(GStrv) params = bk_slot_range_set_params (rd->base, rd->quantity,
                                                   bk_device_get_call_profile_id (rd->device),
                                                   bk_device_get_call_leg_profile_id (rd->device));

  report (rd->progress, rd->progress_data, 0.15, _("Saving the slot range on the bridge"));
  bk_cms_client_create_bulk_parameter_set_async (rd->client, (const char * const *) params,
                                                 g_task_get_cancellable (task), set_created_cb, task);
}

static void
set_updated_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!bk_cms_client_update_finish (BK_CMS_CLIENT (source), result, &error))
    {
      reserve_fail (g_steal_pointer (&task), error);
      return;
    }
  /* A changed set takes effect with a sync. */
  reserve_sync_post (g_steal_pointer (&task));
}

/* Our set exists (@set from a GET): keep it as it is, or PUT the range,
 * mappings and profiles. */
static void
set_compare (GTask                       *task,
             const BkCmsBulkParameterSet *set)
{
  ReserveData *rd = g_task_get_task_data (task);
  g_auto(GStrv) params = NULL;

  if (set_matches_ours (set, rd))
    {
      reserve_sync_decide (task);
      return;
    }
  params = bk_slot_range_set_params (rd->base, rd->quantity,
                                     bk_device_get_call_profile_id (rd->device),
                                     bk_device_get_call_leg_profile_id (rd->device));
  report (rd->progress, rd->progress_data, 0.15, _("Changing the slot range on the bridge"));
  bk_cms_client_update_bulk_parameter_set_async (rd->client, bk_device_get_bulk_parameter_set_id (rd->device),
                                                 (const char * const *) params,
                                                 g_task_get_cancellable (task), set_updated_cb, task);
}

/* The look-up of the set, beside the profiles: finds our set (GET) or
 * TMS's (a list, then a GET of each unknown set), for first_stage_done. */
static void
set_got_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReserveData *rd = g_task_get_task_data (task);
  GError *error = NULL;

  rd->found_set = bk_cms_client_get_finish (BK_CMS_CLIENT (source), result, &error);
  if (rd->found_set == NULL)
    {
      if (!g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_NOT_FOUND))
        {
          first_stage_done (g_steal_pointer (&task), error);
          return;
        }
      g_error_free (error);
      g_debug ("Bulk parameter set %s is gone: creating it again", bk_device_get_bulk_parameter_set_id (rd->device));
      bk_device_set_bulk_parameter_set_id (rd->device, "");
      bk_device_set_bulk_sync_id (rd->device, "");
      bk_reservation_save_device (rd->store, rd->device);
    }
  first_stage_done (g_steal_pointer (&task), NULL);
}

/* A set with TMS's mappings that no listed device uses (TMS's own, when
 * Bridgekeeper takes over from TMS) is taken over instead of creating a
 * second one, whose sync would clash with its spaces. */
static void
set_takeover_found_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReserveData *rd = g_task_get_task_data (task);
  GError *error = NULL;

  rd->found_set = find_candidate_finish (result, &error);
  if (rd->found_set != NULL)
    {
      g_debug ("Taking over the existing bulk parameter set %s", rd->found_set->id);
      bk_device_set_bulk_parameter_set_id (rd->device, rd->found_set->id);
      bk_reservation_save_device (rd->store, rd->device);
    }
  first_stage_done (g_steal_pointer (&task), error);
}

static void
set_listed_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReserveData *rd = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autoptr(GPtrArray) ids = NULL;
  GError *error = NULL;

  ids = list_unknown_ids_finish (rd, source, result, &error);
  if (ids == NULL || ids->len == 0)
    {
      first_stage_done (g_steal_pointer (&task), error);
      return;
    }
  /* The list carries the range only: the mappings come from a GET. */
  find_candidate_async (rd->client, BK_CMS_KIND_BULK_PARAMETER_SET, "cospaceBulkParameterSets", ids,
                        set_has_slot_mappings, rd, cancellable,
                        set_takeover_found_cb, g_steal_pointer (&task));
}

static void
set_lookup_start (GTask *task)
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
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  g_autoptr(BkSlotScan) scan = NULL;

  scan = bk_reservation_scan_finish (result, &error);
  if (scan == NULL)
    reserve_fail (g_steal_pointer (&task), error);
  else if (bk_slot_scan_is_complete (scan))
    reserve_done (g_steal_pointer (&task));
  else
    reserve_sync_post (g_steal_pointer (&task));
}

/* No sync to follow: the slots as they are decide whether to post one. */
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
  bk_reservation_scan_async (rd->client, rd->base, rd->quantity, TRUE, NULL, NULL,
                             g_task_get_cancellable (task), verify_or_sync_cb, task);
}

static void
sync_existing_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReserveData *rd = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(BkCmsBulkSync) sync = NULL;

  sync = bk_cms_client_get_bulk_sync_finish (BK_CMS_CLIENT (source), result, &error);
  if (sync == NULL && !g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_NOT_FOUND))
    {
      reserve_fail (g_steal_pointer (&task), g_steal_pointer (&error));
      return;
    }
  if (sync != NULL && !bk_cms_bulk_sync_status_is_final (sync->status) && !sync->remove_all &&
      g_strcmp0 (sync->parameter_set, bk_device_get_bulk_parameter_set_id (rd->device)) == 0)
    {
      /* An interrupted run left it going: follow it instead of posting another. */
      reserve_poll (g_steal_pointer (&task), sync->id != NULL ? sync->id : bk_device_get_bulk_sync_id (rd->device));
      return;
    }
  verify_or_sync (g_steal_pointer (&task));
}

static void
reserve_sync_decide (GTask *task)
{
  ReserveData *rd = g_task_get_task_data (task);

  if (rd->flags & BK_RESERVATION_FORCE_SYNC)
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
  g_autoptr(GTask) task = user_data;
  ReserveData *rd = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *id = bk_cms_client_create_finish (BK_CMS_CLIENT (source), result, &error);

  if (id == NULL)
    {
      reserve_post_failed (g_steal_pointer (&task), ADOPT_SYNC, error);
      return;
    }
  bk_device_set_bulk_sync_id (rd->device, id);
  raise_stage (rd->device, BK_ONBOARDING_STAGE_SLOTS_REQUESTED);
  bk_reservation_save_device (rd->store, rd->device);
  reserve_poll (g_steal_pointer (&task), id);
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
  g_autoptr(GTask) task = user_data;
  ReserveData *rd = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(BkCmsBulkSync) sync = NULL;
  g_autofree char *sentence = NULL;

  sync = poll_sync_finish (result, &error);
  if (sync == NULL)
    {
      reserve_fail (g_steal_pointer (&task), error);
      return;
    }
  if (sync->status == BK_CMS_BULK_SYNC_COMPLETE)
    {
      reserve_verify (g_steal_pointer (&task));
      return;
    }
  sentence = bk_slot_range_describe_sync_failure (sync, rd->base, rd->base + rd->quantity - 1);
  if (sync->status == BK_CMS_BULK_SYNC_FAILED_NO_SUCH_SET)
    {
      bk_device_set_bulk_parameter_set_id (rd->device, "");
      bk_reservation_save_device (rd->store, rd->device);
    }
  reserve_fail (g_steal_pointer (&task),
                g_error_new_literal (BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_SYNC_FAILED, sentence));
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

/* -- verification: one filtered count -- */

static void
verify_scanned_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReserveData *rd = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(BkSlotScan) scan = NULL;

  scan = bk_reservation_scan_finish (result, &error);
  if (scan == NULL)
    reserve_fail (g_steal_pointer (&task), error);
  else if (!bk_slot_scan_is_complete (scan))
    reserve_fail (g_steal_pointer (&task), bk_slot_range_verify_error (rd->quantity, scan->n_missing, scan->n_changed));
  else
    reserve_done (g_steal_pointer (&task));
}

static void
verify_counted_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable;
  ReserveData *rd = g_task_get_task_data (task);
  GError *error = NULL;
  gssize total;

  total = count_slot_spaces_finish (result, &error);
  if (total < 0)
    {
      reserve_fail (g_steal_pointer (&task), error);
      return;
    }
  switch (bk_slot_range_judge_count (rd->quantity, (guint) total))
    {
    case BK_SLOT_COUNT_COMPLETE:
      reserve_done (g_steal_pointer (&task));
      break;
    case BK_SLOT_COUNT_MISSING:
      reserve_fail (g_steal_pointer (&task), bk_slot_range_verify_error (rd->quantity, rd->quantity - (guint) total, 0));
      break;
    case BK_SLOT_COUNT_UNSURE:
    default:
      /* Other spaces carry the slot name too: only a listing tells. */
      g_debug ("%" G_GSSIZE_FORMAT " spaces carry the slot name for %u slots: listing them", total, rd->quantity);
      cancellable = g_task_get_cancellable (task);
      bk_reservation_scan_async (rd->client, rd->base, rd->quantity, TRUE, NULL, NULL,
                                 cancellable, verify_scanned_cb, g_steal_pointer (&task));
      break;
    }
}

/* The sync said complete: one request counts the slot spaces. Each slot's
 * URI and call ID are the live bridge's background check. */
static void
reserve_verify (GTask *task)
{
  ReserveData *rd = g_task_get_task_data (task);

  report (rd->progress, rd->progress_data, 0.9, _("Checking the meeting spaces"));
  count_slot_spaces_async (rd->client, g_task_get_cancellable (task), verify_counted_cb, task);
}

/* -- start -- */

static void
reserve_collisions_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ReserveData *rd = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(BkSlotScan) scan = NULL;

  scan = bk_reservation_scan_finish (result, &error);
  if (scan == NULL)
    {
      reserve_fail (g_steal_pointer (&task), error);
      return;
    }
  error = bk_slot_range_collision_error (scan);
  if (error != NULL)
    {
      reserve_fail (g_steal_pointer (&task), error);
      return;
    }
  rd->scan_complete = bk_slot_scan_is_complete (scan);
  reserve_first_stage (g_steal_pointer (&task));
}

void
bk_reservation_reserve_async (BkCmsClient               *client,
                              BkDevice                  *device,
                              BkDeviceStore             *store,
                              guint64                    base,
                              guint                      quantity,
                              const BkSlotScan          *scan,
                              BkReservationFlags         flags,
                              BkReservationProgressFunc  progress,
                              gpointer                   progress_data,
                              GCancellable              *cancellable,
                              GAsyncReadyCallback        callback,
                              gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  ReserveData *rd;
  GError *error = NULL;

  g_return_if_fail (BK_CMS_IS_CLIENT (client));
  g_return_if_fail (BK_IS_DEVICE (device));
  g_return_if_fail (store == NULL || BK_IS_DEVICE_STORE (store));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_reservation_reserve_async);
  rd = g_new0 (ReserveData, 1);
  rd->client = g_object_ref (client);
  rd->device = g_object_ref (device);
  rd->store = store ? g_object_ref (store) : NULL;
  rd->base = base;
  rd->quantity = quantity;
  rd->flags = flags;
  rd->progress = progress;
  rd->progress_data = progress_data;
  for (guint i = 0; i < G_N_ELEMENTS (rd->jobs); i++)
    {
      rd->jobs[i].rd = rd;
      rd->jobs[i].what = i == 0 ? ADOPT_CALL_PROFILE : ADOPT_CALL_LEG_PROFILE;
      rd->jobs[i].with_message_board = TRUE;
    }
  g_task_set_task_data (task, rd, (GDestroyNotify) reserve_data_free);

  if (!bk_validate_numeric_range (base, quantity, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (scan != NULL && scan->base == base && scan->quantity == quantity)
    {
      if ((flags & BK_RESERVATION_CHECK_COLLISIONS) && (error = bk_slot_range_collision_error (scan)) != NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      rd->scan_complete = !scan->slot_spaces_only && bk_slot_scan_is_complete (scan);
      reserve_first_stage (g_steal_pointer (&task));
      return;
    }
  if (flags & BK_RESERVATION_CHECK_COLLISIONS)
    {
      report (progress, progress_data, -1, _("Looking for spaces that already use the range"));
      bk_reservation_scan_async (client, base, quantity, FALSE, NULL, NULL, cancellable,
                                 reserve_collisions_cb, g_steal_pointer (&task));
      return;
    }
  reserve_first_stage (g_steal_pointer (&task));
}

gboolean
bk_reservation_reserve_finish (GAsyncResult  *result,
                               GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- clean-up ---- */

typedef struct
{
  BkCmsClient               *client;
  BkDevice                  *device;
  BkDeviceStore             *store;
  BkReservationProgressFunc  progress;
  gpointer                   progress_data;
  guint                      reposts;
  gboolean                   spaces_removed;
  guint                      deleting;     /* 0 set, 1 call leg profile, 2 call profile */
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

/* The one failure path of the clean-up: say what is left on the bridge.
 * Drops the task. */
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
      g_object_unref (task);
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
  g_object_unref (task);
}

static void
remove_deleted_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RemoveData *rd = g_task_get_task_data (task);
  GError *error = NULL;

  if (!bk_cms_client_delete_finish (BK_CMS_CLIENT (source), result, &error))
    {
      if (!g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_NOT_FOUND))
        {
          remove_fail (g_steal_pointer (&task), error);
          return;
        }
      g_error_free (error);
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
  bk_reservation_save_device (rd->store, rd->device);
  rd->deleting++;
  remove_delete_next (g_steal_pointer (&task));
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
          g_object_unref (task);
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
  g_autoptr(GTask) task = user_data;
  RemoveData *rd = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(BkCmsBulkSync) sync = NULL;

  sync = poll_sync_finish (result, &error);
  if (sync == NULL)
    {
      remove_fail (g_steal_pointer (&task), error);
      return;
    }
  if (sync->status == BK_CMS_BULK_SYNC_COMPLETE || sync->status == BK_CMS_BULK_SYNC_FAILED_NO_SUCH_SET)
    {
      rd->spaces_removed = TRUE;
      remove_delete_next (g_steal_pointer (&task));
      return;
    }
  remove_fail (g_steal_pointer (&task),
               g_error_new (BK_ONBOARDING_ERROR, BK_ONBOARDING_ERROR_SYNC_FAILED,
                            _("The bridge could not delete the meeting spaces (status “%s”)."),
                            sync->status_text != NULL ? sync->status_text : "failed"));
}

static void
remove_posted_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable;
  RemoveData *rd = g_task_get_task_data (task);
  GError *error = NULL;
  g_autofree char *id = NULL;

  id = bk_cms_client_create_finish (BK_CMS_CLIENT (source), result, &error);
  if (id == NULL)
    {
      /* A removeAll sync twice does no harm: post it again. */
      if (g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_OUTCOME_UNKNOWN) && rd->reposts < MAX_REPOSTS)
        {
          g_error_free (error);
          rd->reposts++;
          remove_post_sync (g_steal_pointer (&task));
          return;
        }
      remove_fail (g_steal_pointer (&task), error);
      return;
    }
  cancellable = g_task_get_cancellable (task);
  poll_sync_async (rd->client, id, _("The bridge is deleting the meeting spaces"), rd->progress, rd->progress_data,
                   cancellable, remove_polled_cb, g_steal_pointer (&task));
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
bk_reservation_remove_async (BkCmsClient               *client,
                             BkDevice                  *device,
                             BkDeviceStore             *store,
                             BkReservationProgressFunc  progress,
                             gpointer                   progress_data,
                             GCancellable              *cancellable,
                             GAsyncReadyCallback        callback,
                             gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  RemoveData *rd;

  g_return_if_fail (BK_CMS_IS_CLIENT (client));
  g_return_if_fail (BK_IS_DEVICE (device));

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_reservation_remove_async);
  rd = g_new0 (RemoveData, 1);
  rd->client = g_object_ref (client);
  rd->device = g_object_ref (device);
  rd->store = store ? g_object_ref (store) : NULL;
  rd->progress = progress;
  rd->progress_data = progress_data;
  g_task_set_task_data (task, rd, (GDestroyNotify) remove_data_free);

  if (*bk_device_get_bulk_parameter_set_id (device) != '\0')
    remove_post_sync (g_steal_pointer (&task));
  else
    {
      rd->spaces_removed = TRUE;
      remove_delete_next (g_steal_pointer (&task));
    }
}

gboolean
bk_reservation_remove_finish (GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
