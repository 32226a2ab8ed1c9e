/* bk-booking-store.c: the bookings of this Bridgekeeper, checked and kept
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkBookingStore"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "bk-booking-store.h"

struct _BkBookingStore
{
  GObject           parent_instance;

  BkBookingBackend *backend;
  gint64            early_join;
  BkBookingIndex   *index;
  char             *load_error;
  char             *save_error;
  gulong            save_finished_id;
};

enum
{
  PROP_0,
  PROP_BACKEND,
  PROP_EARLY_JOIN,
  PROP_LOAD_ERROR,
  PROP_SAVE_ERROR,
  PROP_N_BOOKINGS,
  N_PROPS
};

enum
{
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BkBookingStore, bk_booking_store, G_TYPE_OBJECT)

static void
set_message (BkBookingStore *self,
             char          **field,
             guint           prop,
             const GError   *error)
{
  const char *text = error != NULL ? error->message : NULL;

  if (g_strcmp0 (*field, text) == 0)
    return;
  g_free (*field);
  *field = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
save_finished_cb (BkBookingBackend *backend,
                  const GError     *error,
                  BkBookingStore   *self)
{
  set_message (self, &self->save_error, PROP_SAVE_ERROR, error);
}

static void
bk_booking_store_constructed (GObject *object)
{
  BkBookingStore *self = BK_BOOKING_STORE (object);

  G_OBJECT_CLASS (bk_booking_store_parent_class)->constructed (object);

  g_assert (self->backend != NULL);
  self->index = bk_booking_index_new (self->early_join);
  self->save_finished_id = g_signal_connect (self->backend, "save-finished",
                                             G_CALLBACK (save_finished_cb), self);
}

static void
bk_booking_store_dispose (GObject *object)
{
  BkBookingStore *self = BK_BOOKING_STORE (object);

  if (self->backend != NULL)
    g_clear_signal_handler (&self->save_finished_id, self->backend);
  g_clear_object (&self->backend);

  G_OBJECT_CLASS (bk_booking_store_parent_class)->dispose (object);
}

static void
bk_booking_store_finalize (GObject *object)
{
  BkBookingStore *self = BK_BOOKING_STORE (object);

  g_clear_pointer (&self->index, bk_booking_index_free);
  g_free (self->load_error);
  g_free (self->save_error);

  G_OBJECT_CLASS (bk_booking_store_parent_class)->finalize (object);
}

static void
bk_booking_store_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BkBookingStore *self = BK_BOOKING_STORE (object);

  switch (prop_id)
    {
    case PROP_BACKEND:
      g_value_set_object (value, self->backend);
      break;
    case PROP_EARLY_JOIN:
      g_value_set_int64 (value, self->early_join);
      break;
    case PROP_LOAD_ERROR:
      g_value_set_string (value, self->load_error);
      break;
    case PROP_SAVE_ERROR:
      g_value_set_string (value, self->save_error);
      break;
    case PROP_N_BOOKINGS:
      g_value_set_uint (value, bk_booking_store_get_n_bookings (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_booking_store_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  BkBookingStore *self = BK_BOOKING_STORE (object);

  switch (prop_id)
    {
    case PROP_BACKEND:
      self->backend = g_value_dup_object (value);
      break;
    case PROP_EARLY_JOIN:
      if (self->index != NULL)
        bk_booking_store_set_early_join (self, g_value_get_int64 (value));
      else
        self->early_join = g_value_get_int64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_booking_store_class_init (BkBookingStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = bk_booking_store_constructed;
  object_class->dispose = bk_booking_store_dispose;
  object_class->finalize = bk_booking_store_finalize;
  object_class->get_property = bk_booking_store_get_property;
  object_class->set_property = bk_booking_store_set_property;

  properties[PROP_BACKEND] =
    g_param_spec_object ("backend", NULL, NULL, BK_TYPE_BOOKING_BACKEND,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EARLY_JOIN] =
    g_param_spec_int64 ("early-join", NULL, NULL, 0, 24 * 3600, BK_BOOKING_DEFAULT_EARLY_JOIN,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOAD_ERROR] =
    g_param_spec_string ("load-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SAVE_ERROR] =
    g_param_spec_string ("save-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_BOOKINGS] =
    g_param_spec_uint ("n-bookings", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
bk_booking_store_init (BkBookingStore *self)
{
  self->early_join = BK_BOOKING_DEFAULT_EARLY_JOIN;
}

BkBookingStore *
bk_booking_store_new (BkBookingBackend *backend,
                      gint64            early_join)
{
  g_return_val_if_fail (BK_IS_BOOKING_BACKEND (backend), NULL);
  return g_object_new (BK_TYPE_BOOKING_STORE, "backend", backend, "early-join", early_join, NULL);
}

gint64
bk_booking_store_get_early_join (BkBookingStore *self)
{
  g_return_val_if_fail (BK_IS_BOOKING_STORE (self), 0);
  return self->early_join;
}

void
bk_booking_store_set_early_join (BkBookingStore *self,
                                 gint64          early_join)
{
  g_return_if_fail (BK_IS_BOOKING_STORE (self));

  early_join = CLAMP (early_join, 0, 24 * 3600);
  if (early_join == self->early_join)
    return;
  self->early_join = early_join;
  bk_booking_index_set_early_join (self->index, early_join);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EARLY_JOIN]);
  /* Every booking holds its slot for a different time: views and open
   * editors check again. */
  g_signal_emit (self, signals[CHANGED], 0, NULL);
}

BkBookingBackend *
bk_booking_store_get_backend (BkBookingStore *self)
{
  g_return_val_if_fail (BK_IS_BOOKING_STORE (self), NULL);
  return self->backend;
}

BkBookingIndex *
bk_booking_store_get_index (BkBookingStore *self)
{
  g_return_val_if_fail (BK_IS_BOOKING_STORE (self), NULL);
  return self->index;
}

const char *
bk_booking_store_get_load_error (BkBookingStore *self)
{
  g_return_val_if_fail (BK_IS_BOOKING_STORE (self), NULL);
  return self->load_error;
}

const char *
bk_booking_store_get_save_error (BkBookingStore *self)
{
  g_return_val_if_fail (BK_IS_BOOKING_STORE (self), NULL);
  return self->save_error;
}

guint
bk_booking_store_get_n_bookings (BkBookingStore *self)
{
  g_return_val_if_fail (BK_IS_BOOKING_STORE (self), 0);
  return bk_booking_index_get_n_bookings (self->index);
}

typedef struct
{
  GPtrArray      *bookings;
  GError         *error;      /* of the backend's load */
  gint64          early_join;
  BkBookingIndex *index;      /* built in the worker thread */
} LoadData;

static void
load_data_free (LoadData *d)
{
  g_clear_pointer (&d->bookings, g_ptr_array_unref);
  g_clear_error (&d->error);
  g_clear_pointer (&d->index, bk_booking_index_free);
  g_free (d);
}

/* Expands every series and sorts the index away from the main loop: the
 * bookings just read are not shared with anything yet. */
static void
build_index_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  LoadData *d = task_data;

  d->index = bk_booking_index_new_from (d->early_join, d->bookings);
  g_task_return_boolean (task, TRUE);
}

static void
index_built_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkBookingStore *self = BK_BOOKING_STORE (source);
  LoadData *d = g_task_get_task_data (G_TASK (result));

  g_task_propagate_boolean (G_TASK (result), NULL);

  bk_booking_index_free (self->index);
  self->index = g_steal_pointer (&d->index);
  /* The early join may have changed while the index was built. */
  bk_booking_index_set_early_join (self->index, self->early_join);

  set_message (self, &self->load_error, PROP_LOAD_ERROR, d->error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_BOOKINGS]);
  g_signal_emit (self, signals[CHANGED], 0, NULL);

  if (d->error != NULL)
    g_task_return_error (task, g_steal_pointer (&d->error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkBookingStore *self = g_task_get_source_object (task);
  g_autoptr(GTask) build = NULL;
  LoadData *d = g_new0 (LoadData, 1);

  d->bookings = bk_booking_backend_load_finish (BK_BOOKING_BACKEND (source), result, &d->error);
  if (d->bookings == NULL)
    d->bookings = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_booking_unref);
  d->early_join = self->early_join;

  build = g_task_new (self, NULL, index_built_cb, g_steal_pointer (&task));
  g_task_set_source_tag (build, load_cb);
  g_task_set_task_data (build, d, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (build, build_index_thread);
}

void
bk_booking_store_load_async (BkBookingStore      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BK_IS_BOOKING_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_booking_store_load_async);
  bk_booking_backend_load_async (self->backend, cancellable, load_cb, g_steal_pointer (&task));
}

gboolean
bk_booking_store_load_finish (BkBookingStore  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

BkBooking *
bk_booking_store_lookup (BkBookingStore *self,
                         const char     *uid)
{
  g_return_val_if_fail (BK_IS_BOOKING_STORE (self), NULL);
  return bk_booking_index_lookup (self->index, uid);
}

GPtrArray *
bk_booking_store_dup_bookings (BkBookingStore *self)
{
  g_return_val_if_fail (BK_IS_BOOKING_STORE (self), NULL);
  return bk_booking_index_dup_bookings (self->index);
}

GArray *
bk_booking_store_query (BkBookingStore *self,
                        const char     *bridge_id,
                        gint64          from,
                        gint64          to)
{
  g_return_val_if_fail (BK_IS_BOOKING_STORE (self), NULL);
  return bk_booking_index_query (self->index, bridge_id, from, to);
}

gboolean
bk_booking_store_check (BkBookingStore       *self,
                        const BkBookingRules *rules,
                        BkBooking            *candidate,
                        BkBookingPlan       **plan,
                        BkBookingConflict   **conflict,
                        GError              **error)
{
  g_return_val_if_fail (BK_IS_BOOKING_STORE (self), FALSE);
  return bk_booking_rules_check (rules, self->index, candidate, plan, conflict, error);
}

static void
keep (BkBookingStore *self,
      BkBooking      *booking)
{
  guint before = bk_booking_index_get_n_bookings (self->index);

  bk_booking_index_put (self->index, booking);
  bk_booking_backend_put (self->backend, booking);
  if (before != bk_booking_index_get_n_bookings (self->index))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_BOOKINGS]);
  g_signal_emit (self, signals[CHANGED], 0, booking->uid);
}

gboolean
bk_booking_store_save (BkBookingStore       *self,
                       const BkBookingRules *rules,
                       BkBooking            *booking,
                       BkBookingConflict   **conflict,
                       GError              **error)
{
  g_autoptr(BkBookingPlan) plan = NULL;
  BkBooking *existing;

  g_return_val_if_fail (BK_IS_BOOKING_STORE (self), FALSE);
  g_return_val_if_fail (booking != NULL, FALSE);

  if (!bk_booking_rules_check (rules, self->index, booking, &plan, conflict, error))
    return FALSE;

  bk_booking_set_string (&booking->bridge_id, plan->bridge != NULL ? bk_device_get_id (plan->bridge) : "");
  booking->slot_number = plan->slot_number;
  bk_booking_set_string (&booking->slot_address, plan->slot_address);

  existing = bk_booking_index_lookup (self->index, booking->uid);
  if (existing != NULL)
    {
      booking->sequence = MAX (booking->sequence, existing->sequence + 1);
      g_clear_pointer (&booking->created, g_date_time_unref);
      booking->created = g_date_time_ref (existing->created);
    }
  g_clear_pointer (&booking->modified, g_date_time_unref);
  booking->modified = g_date_time_new_from_unix_utc (MAX (rules->now, g_date_time_to_unix (booking->created)));

  keep (self, booking);
  return TRUE;
}

/* The series @uid when it has an occurrence originally at @recurrence_id;
 * NULL otherwise. */
static BkBooking *
lookup_series_with (BkBookingStore *self,
                    const char     *uid,
                    gint64          recurrence_id)
{
  BkBooking *existing = bk_booking_index_lookup (self->index, uid);
  GArray *occurrences;

  if (existing == NULL || existing->recurrence.kind == BK_RECURRENCE_NONE)
    return NULL;
  occurrences = bk_booking_index_get_occurrences (self->index, uid);
  for (guint i = 0; i < occurrences->len; i++)
    if (g_array_index (occurrences, BkOccurrence, i).recurrence_id == recurrence_id)
      return existing;
  return NULL;
}

gboolean
bk_booking_store_cancel_occurrence (BkBookingStore *self,
                                    const char     *uid,
                                    gint64          recurrence_id)
{
  BkBooking *existing;
  g_autoptr(BkBooking) copy = NULL;
  g_autoptr(GDateTime) id = NULL;

  g_return_val_if_fail (BK_IS_BOOKING_STORE (self), FALSE);

  existing = lookup_series_with (self, uid, recurrence_id);
  if (existing == NULL)
    return FALSE;

  copy = bk_booking_copy (existing);
  id = g_date_time_new_from_unix_utc (recurrence_id);
  bk_booking_set_exception (copy, id, NULL, NULL);
  copy->sequence++;
  g_clear_pointer (&copy->modified, g_date_time_unref);
  copy->modified = g_date_time_new_now_utc ();
  keep (self, copy);
  return TRUE;
}

gboolean
bk_booking_store_change_occurrence (BkBookingStore       *self,
                                    const BkBookingRules *rules,
                                    const char           *uid,
                                    gint64                recurrence_id,
                                    GDateTime            *start,
                                    GDateTime            *end,
                                    const char           *title,
                                    const char           *notes,
                                    GPtrArray            *participants,
                                    BkBookingConflict   **conflict,
                                    GError              **error)
{
  BkBooking *existing;
  g_autoptr(BkBooking) copy = NULL;
  g_autoptr(GDateTime) id = NULL;

  g_return_val_if_fail (BK_IS_BOOKING_STORE (self), FALSE);
  g_return_val_if_fail (rules != NULL && uid != NULL && start != NULL && end != NULL, FALSE);

  existing = lookup_series_with (self, uid, recurrence_id);
  if (existing == NULL)
    {
      g_set_error_literal (error, BK_BOOKING_ERROR, BK_BOOKING_ERROR_RECURRENCE,
                           _("This meeting is no longer part of the series: it was changed or removed meanwhile. Open it again from the calendar."));
      return FALSE;
    }

  copy = bk_booking_copy (existing);
  id = g_date_time_new_from_unix_utc (recurrence_id);
  bk_booking_set_exception (copy, id, start, end);
  bk_booking_set_exception_details (copy, recurrence_id, title, notes);
  bk_booking_set_exception_participants (copy, recurrence_id, participants);
  return bk_booking_store_save (self, rules, copy, conflict, error);
}

gboolean
bk_booking_store_remove (BkBookingStore *self,
                         const char     *uid)
{
  g_autofree char *owned = NULL;

  g_return_val_if_fail (BK_IS_BOOKING_STORE (self), FALSE);

  owned = g_strdup (uid);
  if (!bk_booking_index_remove (self->index, owned))
    return FALSE;
  bk_booking_backend_remove (self->backend, owned);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_BOOKINGS]);
  g_signal_emit (self, signals[CHANGED], 0, owned);
  return TRUE;
}

static void
flush_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!bk_booking_backend_flush_finish (BK_BOOKING_BACKEND (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

void
bk_booking_store_flush_async (BkBookingStore      *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BK_IS_BOOKING_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_booking_store_flush_async);
  bk_booking_backend_flush_async (self->backend, cancellable, flush_cb, g_steal_pointer (&task));
}

gboolean
bk_booking_store_flush_finish (BkBookingStore  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
