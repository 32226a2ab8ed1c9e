/* bk-booking-file.c: bookings kept in one iCalendar file
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkBookingFile"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "bk-booking-file.h"

#define FILE_NAME "bookings.ics"

struct _BkBookingFile
{
  GObject     parent_instance;

  char       *dir;
  char       *path;
  char       *corrupt_path;
  gboolean    read_only;

  GHashTable *bookings;      /* uid -> BkBooking* (the state to write) */
  gboolean    dirty;         /* changed since the last write started */
  gboolean    writing;       /* a worker thread is writing */
  guint       idle_id;       /* a write is about to start */
  GError     *last_error;    /* of the last write */
  GPtrArray  *flushes;       /* GTask*: waiting until nothing is left to write */
  guint       n_writes;
};

enum
{
  PROP_0,
  PROP_DIRECTORY,
  PROP_READ_ONLY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void backend_iface_init (BkBookingBackendInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BkBookingFile, bk_booking_file, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BK_TYPE_BOOKING_BACKEND, backend_iface_init))

static void
set_read_only (BkBookingFile *self,
               gboolean       read_only)
{
  if (self->read_only == read_only)
    return;
  self->read_only = read_only;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
}

/* Loading (in a worker thread) */

typedef struct
{
  char      *dir;
  char      *path;
  GPtrArray *bookings;
  char      *corrupt_path;
  gboolean   read_only;
} LoadData;

static void
load_data_free (LoadData *d)
{
  g_free (d->dir);
  g_free (d->path);
  g_clear_pointer (&d->bookings, g_ptr_array_unref);
  g_free (d->corrupt_path);
  g_free (d);
}

static gboolean
is_temporary (const char *name)
{
  /* g_file_set_contents_full() writes "bookings.ics.XXXXXX" first. */
  const char *suffix;

  if (!g_str_has_prefix (name, FILE_NAME "."))
    return FALSE;
  suffix = name + strlen (FILE_NAME ".");
  if (strlen (suffix) != 6)
    return FALSE;
  for (const char *p = suffix; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      return FALSE;
  return TRUE;
}

static void
remove_temporaries (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (is_temporary (name))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);

        g_debug ("Removing the unfinished write %s", path);
        g_unlink (path);
      }
}

static char *
move_aside (const char  *path,
            GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  for (guint n = 0; n < 100; n++)
    {
      g_autofree char *target = n == 0
        ? g_strdup_printf ("%s.corrupt-%s", path, stamp)
        : g_strdup_printf ("%s.corrupt-%s-%u", path, stamp, n);

      if (g_file_test (target, G_FILE_TEST_EXISTS))
        continue;
      if (g_rename (path, target) != 0)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s", g_strerror (saved));
          return NULL;
        }
      return g_steal_pointer (&target);
    }
  g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_EXIST, "too many moved-aside files");
  return NULL;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *d = task_data;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GError) move_error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *moved = NULL;

  g_mkdir_with_parents (d->dir, 0700);

  if (!g_file_get_contents (d->path, &contents, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          remove_temporaries (d->dir);
          d->bookings = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_booking_unref);
          g_task_return_boolean (task, TRUE);
          return;
        }
      d->read_only = TRUE;
      g_task_return_new_error (task, BK_BOOKING_STORE_ERROR, BK_BOOKING_STORE_ERROR_IO,
                               _("The bookings could not be read: %s. Check the permissions of %s and restart Bridgekeeper. Bookings made now are not saved."),
                               local_error->message, d->path);
      return;
    }

  d->bookings = bk_booking_ical_read (contents, &local_error);
  if (d->bookings != NULL)
    {
      remove_temporaries (d->dir);
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_error_matches (local_error, BK_BOOKING_STORE_ERROR, BK_BOOKING_STORE_ERROR_TOO_NEW))
    {
      d->read_only = TRUE;
      g_task_return_new_error (task, BK_BOOKING_STORE_ERROR, BK_BOOKING_STORE_ERROR_TOO_NEW,
                               _("The bookings were saved by a newer version of Bridgekeeper (format %s) and cannot be read by this one. Update Bridgekeeper; the file %s is left unchanged and bookings made now are not saved."),
                               local_error->message, d->path);
      return;
    }

  g_message ("The bookings file %s is unreadable: %s", d->path, local_error->message);
  moved = move_aside (d->path, &move_error);
  if (moved == NULL)
    {
      d->read_only = TRUE;
      g_task_return_new_error (task, BK_BOOKING_STORE_ERROR, BK_BOOKING_STORE_ERROR_IO,
                               _("The bookings in %s could not be read (%s) and the file could not be moved aside (%s). Move the file away yourself and restart Bridgekeeper."),
                               d->path, local_error->message, move_error->message);
      return;
    }

  remove_temporaries (d->dir);
  d->corrupt_path = g_strdup (moved);
  d->bookings = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_booking_unref);
  g_task_return_new_error (task, BK_BOOKING_STORE_ERROR, BK_BOOKING_STORE_ERROR_CORRUPT,
                           _("The bookings could not be read and the file was moved aside to %s. The calendar starts empty: restore the file from a backup, or book the meetings again. (Problem: %s)"),
                           moved, local_error->message);
}

static void
file_load_async (BkBookingBackend    *backend,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  BkBookingFile *self = BK_BOOKING_FILE (backend);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  LoadData *d = g_new0 (LoadData, 1);

  bk_booking_ical_init ();
  d->dir = g_strdup (self->dir);
  d->path = g_strdup (self->path);
  g_task_set_source_tag (task, file_load_async);
  g_task_set_task_data (task, d, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

static GPtrArray *
file_load_finish (BkBookingBackend  *backend,
                  GAsyncResult      *result,
                  GError           **error)
{
  BkBookingFile *self = BK_BOOKING_FILE (backend);
  LoadData *d = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  g_task_propagate_boolean (G_TASK (result), &local_error);

  g_hash_table_remove_all (self->bookings);
  g_clear_pointer (&self->corrupt_path, g_free);
  self->corrupt_path = g_strdup (d->corrupt_path);
  set_read_only (self, d->read_only);

  if (d->bookings != NULL)
    for (guint i = 0; i < d->bookings->len; i++)
      {
        BkBooking *b = g_ptr_array_index (d->bookings, i);

        g_hash_table_replace (self->bookings, b->uid, bk_booking_ref (b));
      }

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_ptr_array_ref (d->bookings);
}

/* Writing */

typedef struct
{
  char      *path;
  GPtrArray *bookings;
} WriteData;

static void
write_data_free (WriteData *d)
{
  g_free (d->path);
  g_ptr_array_unref (d->bookings);
  g_free (d);
}

static int
booking_order (gconstpointer a,
               gconstpointer b)
{
  const BkBooking *ba = *(BkBooking * const *) a;
  const BkBooking *bb = *(BkBooking * const *) b;
  gint64 sa = g_date_time_to_unix (ba->start), sb = g_date_time_to_unix (bb->start);

  if (sa != sb)
    return sa < sb ? -1 : 1;
  return strcmp (ba->uid, bb->uid);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteData *d = task_data;
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;

  g_ptr_array_sort (d->bookings, booking_order);
  text = bk_booking_ical_write (d->bookings);
  {
    g_autofree char *dir = g_path_get_dirname (d->path);

    g_mkdir_with_parents (dir, 0700);
  }
  if (!g_file_set_contents_full (d->path, text, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_task_return_new_error (task, BK_BOOKING_STORE_ERROR, BK_BOOKING_STORE_ERROR_IO,
                               _("The bookings could not be saved to %s: %s. Check that the disk is not full and the folder is writable."),
                               d->path, local_error->message);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void start_write (BkBookingFile *self);

static void
settle (BkBookingFile *self)
{
  g_autoptr(GPtrArray) flushes = NULL;

  if (self->writing || self->dirty || self->idle_id != 0)
    return;

  flushes = g_steal_pointer (&self->flushes);
  self->flushes = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < flushes->len; i++)
    {
      GTask *task = g_ptr_array_index (flushes, i);

      if (self->last_error != NULL)
        g_task_return_error (task, g_error_copy (self->last_error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

static void
write_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  BkBookingFile *self = BK_BOOKING_FILE (source);
  g_autoptr(GError) error = NULL;

  self->writing = FALSE;
  self->n_writes++;
  g_task_propagate_boolean (G_TASK (result), &error);
  if (error != NULL)
    g_warning ("%s", error->message);
  g_clear_error (&self->last_error);
  self->last_error = g_steal_pointer (&error);

  bk_booking_backend_emit_save_finished (BK_BOOKING_BACKEND (self), self->last_error);

  if (self->dirty)
    start_write (self);
  else
    settle (self);
}

static void
start_write (BkBookingFile *self)
{
  g_autoptr(GTask) task = NULL;
  WriteData *d;
  GHashTableIter iter;
  gpointer value;

  g_assert (!self->writing);

  self->dirty = FALSE;

  if (self->read_only)
    {
      g_clear_error (&self->last_error);
      self->last_error = g_error_new (BK_BOOKING_STORE_ERROR, BK_BOOKING_STORE_ERROR_READ_ONLY,
                                      _("Changes to the bookings are not saved because %s could not be read. If a newer version of Bridgekeeper wrote it, update Bridgekeeper; otherwise move the file away and restart Bridgekeeper."),
                                      self->path);
      bk_booking_backend_emit_save_finished (BK_BOOKING_BACKEND (self), self->last_error);
      settle (self);
      return;
    }

  d = g_new0 (WriteData, 1);
  d->path = g_strdup (self->path);
  d->bookings = g_ptr_array_new_full (g_hash_table_size (self->bookings), (GDestroyNotify) bk_booking_unref);
  g_hash_table_iter_init (&iter, self->bookings);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (d->bookings, bk_booking_ref (value));

  self->writing = TRUE;
  /* The object stays alive until the write is done. */
  task = g_task_new (self, NULL, write_done_cb, NULL);
  g_task_set_source_tag (task, start_write);
  g_task_set_task_data (task, d, (GDestroyNotify) write_data_free);
  g_task_run_in_thread (task, write_thread);
}

static gboolean
write_idle_cb (gpointer user_data)
{
  BkBookingFile *self = user_data;

  self->idle_id = 0;
  if (!self->writing)
    start_write (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_write (BkBookingFile *self)
{
  self->dirty = TRUE;
  if (self->writing || self->idle_id != 0)
    return;   /* written after the current write */
  self->idle_id = g_idle_add_full (G_PRIORITY_DEFAULT, write_idle_cb, g_object_ref (self), g_object_unref);
}

static void
file_put (BkBookingBackend *backend,
          BkBooking        *booking)
{
  BkBookingFile *self = BK_BOOKING_FILE (backend);

  g_hash_table_replace (self->bookings, booking->uid, bk_booking_ref (booking));
  schedule_write (self);
}

static void
file_remove (BkBookingBackend *backend,
             const char       *uid)
{
  BkBookingFile *self = BK_BOOKING_FILE (backend);

  if (g_hash_table_remove (self->bookings, uid))
    schedule_write (self);
}

static void
file_flush_async (BkBookingBackend    *backend,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  BkBookingFile *self = BK_BOOKING_FILE (backend);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, file_flush_async);
  g_ptr_array_add (self->flushes, g_steal_pointer (&task));
  settle (self);
}

static gboolean
file_flush_finish (BkBookingBackend  *backend,
                   GAsyncResult      *result,
                   GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, backend), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
backend_iface_init (BkBookingBackendInterface *iface)
{
  iface->load_async = file_load_async;
  iface->load_finish = file_load_finish;
  iface->put = file_put;
  iface->remove = file_remove;
  iface->flush_async = file_flush_async;
  iface->flush_finish = file_flush_finish;
}

/* GObject */

static void
bk_booking_file_finalize (GObject *object)
{
  BkBookingFile *self = BK_BOOKING_FILE (object);

  g_assert (self->idle_id == 0 && !self->writing);
  g_free (self->dir);
  g_free (self->path);
  g_free (self->corrupt_path);
  g_hash_table_unref (self->bookings);
  g_clear_error (&self->last_error);
  g_ptr_array_unref (self->flushes);

  G_OBJECT_CLASS (bk_booking_file_parent_class)->finalize (object);
}

static void
bk_booking_file_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BkBookingFile *self = BK_BOOKING_FILE (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      g_value_set_string (value, self->dir);
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_booking_file_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  BkBookingFile *self = BK_BOOKING_FILE (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      g_free (self->dir);
      self->dir = g_value_dup_string (value);
      if (self->dir == NULL)
        self->dir = g_build_filename (g_get_user_data_dir (), "bridgekeeper", NULL);
      g_free (self->path);
      self->path = g_build_filename (self->dir, FILE_NAME, NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_booking_file_class_init (BkBookingFileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bk_booking_file_finalize;
  object_class->get_property = bk_booking_file_get_property;
  object_class->set_property = bk_booking_file_set_property;

  properties[PROP_DIRECTORY] =
    g_param_spec_string ("directory", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bk_booking_file_init (BkBookingFile *self)
{
  self->bookings = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) bk_booking_unref);
  self->flushes = g_ptr_array_new_with_free_func (g_object_unref);
}

BkBookingFile *
bk_booking_file_new (const char *dir)
{
  return g_object_new (BK_TYPE_BOOKING_FILE, "directory", dir, NULL);
}

const char *
bk_booking_file_get_path (BkBookingFile *self)
{
  g_return_val_if_fail (BK_IS_BOOKING_FILE (self), NULL);
  return self->path;
}

gboolean
bk_booking_file_get_read_only (BkBookingFile *self)
{
  g_return_val_if_fail (BK_IS_BOOKING_FILE (self), FALSE);
  return self->read_only;
}

const char *
bk_booking_file_get_corrupt_path (BkBookingFile *self)
{
  g_return_val_if_fail (BK_IS_BOOKING_FILE (self), NULL);
  return self->corrupt_path;
}

guint
bk_booking_file_get_n_writes (BkBookingFile *self)
{
  g_return_val_if_fail (BK_IS_BOOKING_FILE (self), 0);
  return self->n_writes;
}
