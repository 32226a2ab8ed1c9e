/* bk-device-store.c: the list of bridges and its file, devices.json
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkDeviceStore"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "bk-device-store.h"
#include "bk-validate.h"

#define STORE_FILE_NAME   "devices.json"
#define TEMP_PREFIX       STORE_FILE_NAME ".tmp-"
#define CORRUPT_PREFIX    STORE_FILE_NAME ".corrupt-"
#define AUTOSAVE_DELAY_MS 250

/* One write of the file, done on a worker thread.  Shared by the store
 * (main thread) and the worker: @done and @error under @lock; the rest is
 * set before the worker starts.  @handled and @store are main thread
 * only: the write's end is handled once, by whichever comes first, the
 * GTask callback or a flush waiting for it. */
typedef struct
{
  char          *directory;
  char          *path;
  GBytes        *data;
  guint64        generation;

  GMutex         lock;
  GCond          cond;
  gboolean       done;
  GError        *error;

  gboolean       handled;
  BkDeviceStore *store;
} WriteJob;

struct _BkDeviceStore
{
  GObject parent_instance;

  char *directory;
  char *path;
  GPtrArray *devices;         /* BkDevice, owned */

  char *load_error;
  char *save_error;
  char *corrupt_path;
  gboolean read_only;

  BkSecrets *secrets;

  GMainContext *context;
  GSource *autosave_source;   /* the next write, when scheduled */
  gint64 autosave_due;        /* monotonic time it fires */

  /* Every change (and every save request) raises requested_gen; a write
   * takes the list as it is and records the generation it holds:
   * attempted_gen when it ended, written_gen when it ended well.  A failed
   * write is not retried until something changes again (or flush()). */
  guint64 requested_gen;
  guint64 attempted_gen;
  guint64 written_gen;
  WriteJob *job;              /* the write in flight, or NULL */
  GPtrArray *waiters;         /* GTask of save_async(), oldest first */
};

static void bk_device_store_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BkDeviceStore, bk_device_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      bk_device_store_list_model_init))

G_DEFINE_QUARK (bk-device-store-error-quark, bk_device_store_error)

enum {
  PROP_0,
  PROP_DIRECTORY,
  PROP_LOAD_ERROR,
  PROP_SAVE_ERROR,
  PROP_READ_ONLY,
  PROP_SECRETS,
  PROP_N_ITEMS,
  PROP_SAVING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_write (BkDeviceStore *self);
static gboolean write_atomically (const char  *directory,
                                  const char  *path,
                                  const char  *data,
                                  gsize        length,
                                  GError     **error);

/* GListModel */

static GType
bk_device_store_get_item_type (GListModel *model)
{
  return BK_TYPE_DEVICE;
}

static guint
bk_device_store_get_n_items (GListModel *model)
{
  return BK_DEVICE_STORE (model)->devices->len;
}

static gpointer
bk_device_store_get_item (GListModel *model,
                          guint       position)
{
  BkDeviceStore *self = BK_DEVICE_STORE (model);

  if (position >= self->devices->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->devices, position));
}

static void
bk_device_store_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = bk_device_store_get_item_type;
  iface->get_n_items = bk_device_store_get_n_items;
  iface->get_item = bk_device_store_get_item;
}

/* Error state */

static void
set_error_string (BkDeviceStore  *self,
                  char          **field,
                  const char     *value,
                  guint           prop_id)
{
  if (g_strcmp0 (*field, value) == 0)
    return;

  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* How a load or a save ended: @problem (NULL: it went well) becomes the
 * load or save error (@field, @prop_id) and goes on to @error. */
static gboolean
outcome (BkDeviceStore  *self,
         char          **field,
         guint           prop_id,
         GError         *problem,
         GError        **error)
{
  set_error_string (self, field, problem != NULL ? problem->message : NULL, prop_id);
  if (problem == NULL)
    return TRUE;
  g_propagate_error (error, problem);
  return FALSE;
}

static void
set_read_only (BkDeviceStore *self,
               gboolean       read_only)
{
  if (self->read_only == read_only)
    return;

  self->read_only = read_only;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
}

/* Saving: coalesced writes on a worker thread.
 *
 * A change of a listed device schedules a write AUTOSAVE_DELAY_MS later
 * (further changes in that time join it); an explicit save schedules it at
 * once (in the next main loop iteration, so saves of one iteration are one
 * write).  At most one write is in flight; changes made meanwhile are
 * written by one more write after it.  flush() writes what is left on the
 * calling thread, for quit and shutdown. */

static gboolean
autosave_cb (gpointer user_data)
{
  BkDeviceStore *self = user_data;

  g_clear_pointer (&self->autosave_source, g_source_unref);
  /* A write in flight starts the next one when it ends. */
  if (self->job == NULL)
    start_write (self);
  return G_SOURCE_REMOVE;
}

static void
cancel_autosave (BkDeviceStore *self)
{
  if (self->autosave_source != NULL)
    {
      g_source_destroy (self->autosave_source);
      g_clear_pointer (&self->autosave_source, g_source_unref);
    }
}

/* A write within @delay_ms (or sooner, if one is already due sooner). */
static void
schedule_write (BkDeviceStore *self,
                guint          delay_ms)
{
  gint64 due = g_get_monotonic_time () + (gint64) delay_ms * 1000;

  if (self->read_only)
    return;
  if (self->autosave_source != NULL)
    {
      if (self->autosave_due <= due)
        return;
      cancel_autosave (self);
    }

  self->autosave_due = due;
  self->autosave_source = delay_ms > 0 ? g_timeout_source_new (delay_ms) : g_idle_source_new ();
  g_source_set_priority (self->autosave_source, G_PRIORITY_DEFAULT);
  g_source_set_callback (self->autosave_source, autosave_cb, self, NULL);
  g_source_set_static_name (self->autosave_source, "[bk] device store save");
  g_source_attach (self->autosave_source, self->context);
}

static void
request_write (BkDeviceStore *self,
               guint          delay_ms)
{
  if (self->read_only)
    return;
  self->requested_gen++;
  schedule_write (self, delay_ms);
}

static WriteJob *
write_job_ref (WriteJob *job)
{
  return g_atomic_rc_box_acquire (job);
}

static void
write_job_clear (WriteJob *job)
{
  g_free (job->directory);
  g_free (job->path);
  g_clear_pointer (&job->data, g_bytes_unref);
  g_clear_error (&job->error);
  g_mutex_clear (&job->lock);
  g_cond_clear (&job->cond);
}

static void
write_job_unref (WriteJob *job)
{
  g_atomic_rc_box_release_full (job, (GDestroyNotify) write_job_clear);
}

static GBytes *
serialize_to_bytes (BkDeviceStore *self);

static GError *
save_error_for (BkDeviceStore *self,
                const GError  *io_error)
{
  return g_error_new (BK_DEVICE_STORE_ERROR, BK_DEVICE_STORE_ERROR_IO,
                      _("The list of bridges could not be saved to %s: %s. Check that the disk is not full and the folder is writable."),
                      self->path, io_error->message);
}

/* A write holding generation @generation ended with @io_error (NULL: it
 * went well): the save error, the "saved" signal, the waiters. */
static void
write_ended (BkDeviceStore *self,
             guint64        generation,
             const GError  *io_error)
{
  g_autoptr(GError) problem = io_error != NULL ? save_error_for (self, io_error) : NULL;
  g_autoptr(GPtrArray) ready = g_ptr_array_new_with_free_func (g_object_unref);

  if (generation > self->attempted_gen)
    self->attempted_gen = generation;
  if (io_error == NULL && generation > self->written_gen)
    self->written_gen = generation;
  set_error_string (self, &self->save_error, problem != NULL ? problem->message : NULL, PROP_SAVE_ERROR);

  for (guint i = 0; i < self->waiters->len;)
    {
      GTask *waiter = g_ptr_array_index (self->waiters, i);
      guint64 wanted = *(guint64 *) g_task_get_task_data (waiter);

      if (wanted <= generation)
        g_ptr_array_add (ready, g_ptr_array_steal_index (self->waiters, i));
      else
        i++;
    }

  g_signal_emit (self, signals[SIGNAL_SAVED], 0);
  for (guint i = 0; i < ready->len; i++)
    {
      GTask *waiter = g_ptr_array_index (ready, i);

      if (problem != NULL)
        g_task_return_error (waiter, g_error_copy (problem));
      else
        g_task_return_boolean (waiter, TRUE);
    }
}

/* The worker's write ended (called on the main thread, once). */
static void
write_job_handle (BkDeviceStore *self,
                  WriteJob      *job,
                  gboolean       go_on)
{
  g_autoptr(GError) io_error = NULL;

  g_assert (!job->handled && self->job == job);
  job->handled = TRUE;
  job->store = NULL;
  self->job = NULL;

  g_mutex_lock (&job->lock);
  io_error = g_steal_pointer (&job->error);
  g_mutex_unlock (&job->lock);

  g_object_ref (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVING]);
  write_ended (self, job->generation, io_error);
  /* Changes made while it was writing: one more write, now, unless one is
   * already scheduled (or the caller writes them itself). */
  if (go_on && self->requested_gen > self->attempted_gen && self->job == NULL && self->autosave_source == NULL)
    start_write (self);
  g_object_unref (self);
  write_job_unref (job);
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteJob *job = task_data;
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data = g_bytes_get_data (job->data, &length);

  write_atomically (job->directory, job->path, data, length, &error);

  g_mutex_lock (&job->lock);
  job->error = g_steal_pointer (&error);
  job->done = TRUE;
  g_cond_broadcast (&job->cond);
  g_mutex_unlock (&job->lock);

  g_task_return_boolean (task, TRUE);
}

static void
write_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  WriteJob *job = user_data;

  /* A flush (or dispose) may have handled it already. */
  if (!job->handled)
    write_job_handle (job->store, job, TRUE);
  write_job_unref (job);
}

/* Takes the list as it is now and writes it on a worker thread. */
static void
start_write (BkDeviceStore *self)
{
  g_autoptr(GTask) task = NULL;
  WriteJob *job;

  g_assert (self->job == NULL);
  cancel_autosave (self);
  if (self->read_only)
    return;

  job = g_atomic_rc_box_new0 (WriteJob);
  g_mutex_init (&job->lock);
  g_cond_init (&job->cond);
  job->directory = g_strdup (self->directory);
  job->path = g_strdup (self->path);
  job->data = serialize_to_bytes (self);
  job->generation = self->requested_gen;
  job->store = self;   /* cleared when handled; dispose handles it first */
  self->job = job;     /* the store's reference */

  /* No source object: the store may go away while it writes (dispose
   * waits for the write and handles its end itself). */
  task = g_task_new (NULL, NULL, write_done_cb, write_job_ref (job));
  g_task_set_source_tag (task, start_write);
  g_task_set_task_data (task, write_job_ref (job), (GDestroyNotify) write_job_unref);
  g_task_set_name (task, "[bk] device store write");
  g_task_run_in_thread (task, write_thread);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SAVING]);
}

/* Blocks until the write in flight (if any) has ended, and handles it. */
static void
wait_for_write (BkDeviceStore *self)
{
  WriteJob *job = self->job;

  if (job == NULL)
    return;
  g_mutex_lock (&job->lock);
  while (!job->done)
    g_cond_wait (&job->cond, &job->lock);
  g_mutex_unlock (&job->lock);
  write_job_handle (self, job, FALSE);
}

static void
device_notify_cb (BkDevice      *device,
                  GParamSpec    *pspec,
                  BkDeviceStore *self)
{
  if ((pspec->flags & G_PARAM_WRITABLE) == 0 || bk_device_property_is_runtime (pspec))
    return;

  request_write (self, AUTOSAVE_DELAY_MS);
}

static void
watch_device (BkDeviceStore *self,
              BkDevice      *device)
{
  g_signal_connect_object (device, "notify", G_CALLBACK (device_notify_cb), self, 0);
}

static void
unwatch_device (BkDeviceStore *self,
                BkDevice      *device)
{
  g_signal_handlers_disconnect_by_func (device, device_notify_cb, self);
}

/* Serialisation.  Every writable BkDevice property is written under its own
 * name, so a new property is stored without touching this code. */

static JsonNode *
serialize_flags (GType flags_type,
                 guint value)
{
  g_autoptr(GFlagsClass) klass = g_type_class_ref (flags_type);
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < klass->n_values; i++)
    {
      const GFlagsValue *fv = &klass->values[i];

      if (fv->value != 0 && (value & fv->value) == fv->value)
        json_array_add_string_element (array, fv->value_nick);
    }

  json_node_take_array (node, array);
  return node;
}

static JsonNode *
serialize_members (GPtrArray *members)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; members != NULL && i < members->len; i++)
    {
      const BkClusterMember *member = g_ptr_array_index (members, i);
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "id", member->id);
      json_object_set_string_member (object, "name", member->name);
      json_object_set_string_member (object, "address", member->address);
      json_array_add_object_element (array, object);
    }

  json_node_take_array (node, array);
  return node;
}

static int
compare_ids (const void *a,
             const void *b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* member id -> pin, in the order of the ids (a stable file). */
static JsonNode *
serialize_pins (GHashTable *pins)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  g_autofree gpointer *keys = NULL;
  guint n = 0;

  if (pins != NULL)
    keys = g_hash_table_get_keys_as_array (pins, &n);
  if (n > 0)
    qsort (keys, n, sizeof (gpointer), compare_ids);
  for (guint i = 0; i < n; i++)
    json_object_set_string_member (object, keys[i], g_hash_table_lookup (pins, keys[i]));

  json_node_take_object (node, object);
  return node;
}

static JsonNode *
serialize_property (BkDevice   *device,
                    GParamSpec *pspec)
{
  g_auto(GValue) value = G_VALUE_INIT;
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);
  JsonNode *node = json_node_alloc ();

  g_value_init (&value, type);
  g_object_get_property (G_OBJECT (device), pspec->name, &value);

  if (type == G_TYPE_STRING)
    json_node_init_string (node, g_value_get_string (&value));
  else if (type == G_TYPE_BOOLEAN)
    json_node_init_boolean (node, g_value_get_boolean (&value));
  else if (type == G_TYPE_UINT)
    json_node_init_int (node, g_value_get_uint (&value));
  else if (type == G_TYPE_UINT64)
    json_node_init_int (node, (gint64) MIN (g_value_get_uint64 (&value), (guint64) G_MAXINT64));
  else if (G_TYPE_IS_ENUM (type))
    {
      g_autoptr(GEnumClass) klass = g_type_class_ref (type);
      const GEnumValue *ev = g_enum_get_value (klass, g_value_get_enum (&value));

      json_node_init_string (node, ev != NULL ? ev->value_nick : "");
    }
  else if (G_TYPE_IS_FLAGS (type))
    {
      json_node_unref (node);
      node = serialize_flags (type, g_value_get_flags (&value));
    }
  else if (type == G_TYPE_DATE_TIME)
    {
      GDateTime *dt = g_value_get_boxed (&value);

      if (dt != NULL)
        {
          g_autofree char *text = g_date_time_format_iso8601 (dt);
          json_node_init_string (node, text);
        }
      else
        json_node_init_null (node);
    }
  else if (type == G_TYPE_PTR_ARRAY)
    {
      json_node_unref (node);
      node = serialize_members (g_value_get_boxed (&value));
    }
  else if (type == G_TYPE_HASH_TABLE)
    {
      json_node_unref (node);
      node = serialize_pins (g_value_get_boxed (&value));
    }
  else
    g_assert_not_reached ();

  return node;
}

static JsonNode *
serialize_store (BkDeviceStore *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GTypeClass) klass_ref = g_type_class_ref (BK_TYPE_DEVICE);
  GObjectClass *klass = G_OBJECT_CLASS (klass_ref);
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs = 0;

  pspecs = g_object_class_list_properties (klass, &n_pspecs);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, BK_DEVICE_STORE_FORMAT_VERSION);
  json_builder_set_member_name (builder, "devices");
  json_builder_begin_array (builder);

  for (guint i = 0; i < self->devices->len; i++)
    {
      BkDevice *device = g_ptr_array_index (self->devices, i);

      json_builder_begin_object (builder);
      for (guint j = 0; j < n_pspecs; j++)
        {
          if ((pspecs[j]->flags & G_PARAM_WRITABLE) == 0 || bk_device_property_is_runtime (pspecs[j]))
            continue;
          json_builder_set_member_name (builder, pspecs[j]->name);
          json_builder_add_value (builder, serialize_property (device, pspecs[j]));
        }
      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static GBytes *
serialize_to_bytes (BkDeviceStore *self)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = serialize_store (self);
  gsize length = 0;
  char *data;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);
  return g_bytes_new_take (data, length);
}

/* Deserialisation: any wrong type makes the whole file unreadable. */

static gboolean
fail_corrupt (GError     **error,
              const char  *format,
              ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail_corrupt (GError     **error,
              const char  *format,
              ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error_literal (error, BK_DEVICE_STORE_ERROR, BK_DEVICE_STORE_ERROR_CORRUPT, message);
  return FALSE;
}

static gboolean
node_is_value_of (JsonNode *node,
                  GType     gtype)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == gtype;
}

static gboolean
deserialize_flags (GType        flags_type,
                   JsonNode    *node,
                   guint       *out,
                   GError     **error)
{
  g_autoptr(GFlagsClass) klass = g_type_class_ref (flags_type);
  JsonArray *array;
  guint value = 0;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail_corrupt (error, "expected a list of flag names");

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      const GFlagsValue *fv;

      if (!node_is_value_of (element, G_TYPE_STRING))
        return fail_corrupt (error, "expected a flag name");
      fv = g_flags_get_value_by_nick (klass, json_node_get_string (element));
      if (fv == NULL)
        return fail_corrupt (error, "unknown flag “%s”", json_node_get_string (element));
      value |= fv->value;
    }

  *out = value;
  return TRUE;
}

static gboolean
deserialize_members (JsonNode   *node,
                     GPtrArray **out,
                     GError    **error)
{
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_cluster_member_free);
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail_corrupt (error, "expected a list of cluster members");

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      static const char *keys[] = { "id", "name", "address" };
      const char *values[3] = { "", "", "" };
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        return fail_corrupt (error, "expected a cluster member object");
      object = json_node_get_object (element);

      for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
        {
          JsonNode *member = json_object_get_member (object, keys[k]);

          if (member == NULL)
            continue;
          if (!node_is_value_of (member, G_TYPE_STRING))
            return fail_corrupt (error, "cluster member “%s” is not a string", keys[k]);
          values[k] = json_node_get_string (member);
        }

      g_ptr_array_add (members, bk_cluster_member_new (values[0], values[1], values[2]));
    }

  *out = g_steal_pointer (&members);
  return TRUE;
}

/* An object of member id -> SHA-256; a value that is not one makes the
 * file unreadable (a pin is what keeps the password from an impostor). */
static gboolean
deserialize_pins (JsonNode    *node,
                  GHashTable **out,
                  GError     **error)
{
  g_autoptr(GHashTable) pins = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GList) ids = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail_corrupt (error, "expected the certificate pins of the cluster members");

  ids = json_object_get_members (json_node_get_object (node));
  for (const GList *l = ids; l != NULL; l = l->next)
    {
      const char *id = l->data;
      JsonNode *value = json_object_get_member (json_node_get_object (node), id);

      if (*id == '\0')
        return fail_corrupt (error, "a certificate pin has no cluster member id");
      if (!node_is_value_of (value, G_TYPE_STRING) || !bk_device_pin_is_valid (json_node_get_string (value)))
        return fail_corrupt (error, "the certificate pin of cluster member “%s” is not a SHA-256 fingerprint", id);
      g_hash_table_insert (pins, g_strdup (id), g_strdup (json_node_get_string (value)));
    }

  *out = g_steal_pointer (&pins);
  return TRUE;
}

static gboolean
deserialize_value (GParamSpec *pspec,
                   JsonNode   *node,
                   GValue     *value,
                   GError    **error)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);

  g_value_init (value, type);

  if (type == G_TYPE_STRING)
    {
      if (!node_is_value_of (node, G_TYPE_STRING))
        return fail_corrupt (error, "“%s” is not a string", pspec->name);
      g_value_set_string (value, json_node_get_string (node));
    }
  else if (type == G_TYPE_BOOLEAN)
    {
      if (!node_is_value_of (node, G_TYPE_BOOLEAN))
        return fail_corrupt (error, "“%s” is not true or false", pspec->name);
      g_value_set_boolean (value, json_node_get_boolean (node));
    }
  else if (type == G_TYPE_UINT || type == G_TYPE_UINT64)
    {
      gint64 n;

      if (!node_is_value_of (node, G_TYPE_INT64))
        return fail_corrupt (error, "“%s” is not a whole number", pspec->name);
      n = json_node_get_int (node);
      if (n < 0 || (type == G_TYPE_UINT && n > G_MAXUINT))
        return fail_corrupt (error, "“%s” is out of range", pspec->name);
      if (type == G_TYPE_UINT)
        g_value_set_uint (value, (guint) n);
      else
        g_value_set_uint64 (value, (guint64) n);
    }
  else if (G_TYPE_IS_ENUM (type))
    {
      g_autoptr(GEnumClass) klass = g_type_class_ref (type);
      const GEnumValue *ev;

      if (!node_is_value_of (node, G_TYPE_STRING))
        return fail_corrupt (error, "“%s” is not a name", pspec->name);
      ev = g_enum_get_value_by_nick (klass, json_node_get_string (node));
      if (ev == NULL)
        return fail_corrupt (error, "“%s” has an unknown value", pspec->name);
      g_value_set_enum (value, ev->value);
    }
  else if (G_TYPE_IS_FLAGS (type))
    {
      guint flags = 0;

      if (!deserialize_flags (type, node, &flags, error))
        return FALSE;
      g_value_set_flags (value, flags);
    }
  else if (type == G_TYPE_DATE_TIME)
    {
      if (JSON_NODE_HOLDS_NULL (node))
        g_value_set_boxed (value, NULL);
      else
        {
          g_autoptr(GDateTime) dt = NULL;

          if (!node_is_value_of (node, G_TYPE_STRING))
            return fail_corrupt (error, "“%s” is not a date", pspec->name);
          dt = g_date_time_new_from_iso8601 (json_node_get_string (node), NULL);
          if (dt == NULL)
            return fail_corrupt (error, "“%s” is not a date", pspec->name);
          g_value_set_boxed (value, dt);
        }
    }
  else if (type == G_TYPE_PTR_ARRAY)
    {
      g_autoptr(GPtrArray) members = NULL;

      if (!deserialize_members (node, &members, error))
        return FALSE;
      g_value_set_boxed (value, members);
    }
  else if (type == G_TYPE_HASH_TABLE)
    {
      g_autoptr(GHashTable) pins = NULL;

      if (!deserialize_pins (node, &pins, error))
        return FALSE;
      g_value_set_boxed (value, pins);
    }
  else
    g_assert_not_reached ();

  if (g_param_value_validate (pspec, value))
    return fail_corrupt (error, "“%s” is out of range", pspec->name);

  return TRUE;
}

static BkDevice *
deserialize_device (JsonNode  *node,
                    GError   **error)
{
  g_autoptr(GTypeClass) klass_ref = g_type_class_ref (BK_TYPE_DEVICE);
  GObjectClass *klass = G_OBJECT_CLASS (klass_ref);
  g_autoptr(BkDevice) device = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *object;
  JsonNode *id_node;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return (fail_corrupt (error, "a device is not an object"), NULL);
  object = json_node_get_object (node);

  id_node = json_object_get_member (object, "id");
  if (id_node == NULL || !node_is_value_of (id_node, G_TYPE_STRING) ||
      json_node_get_string (id_node)[0] == '\0')
    return (fail_corrupt (error, "a device has no id"), NULL);
  if (!json_object_has_member (object, "address"))
    return (fail_corrupt (error, "a device has no address"), NULL);

  device = g_object_new (BK_TYPE_DEVICE, "id", json_node_get_string (id_node), NULL);

  members = json_object_get_members (object);
  for (const GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      GParamSpec *pspec = g_object_class_find_property (klass, name);
      g_auto(GValue) value = G_VALUE_INIT;

      /* Unknown names (a later version 1 writer) are ignored. */
      /* Runtime state in an older file is left to the next check. */
      if (pspec == NULL || g_str_equal (name, "id") ||
          (pspec->flags & G_PARAM_WRITABLE) == 0 || bk_device_property_is_runtime (pspec) ||
          (pspec->flags & G_PARAM_CONSTRUCT_ONLY) != 0)
        continue;

      if (!deserialize_value (pspec, json_object_get_member (object, name), &value, error))
        return NULL;
      g_object_set_property (G_OBJECT (device), name, &value);
    }

  return g_steal_pointer (&device);
}

static gboolean
parse_file (const char  *contents,
            gsize        length,
            GPtrArray  **out_devices,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  JsonNode *version;
  JsonNode *list;
  JsonArray *array;
  gint64 v;

  if (!json_parser_load_from_data (parser, contents, length, &local_error))
    return fail_corrupt (error, "%s", local_error->message);

  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return fail_corrupt (error, "the file is not a JSON object");
  root = json_node_get_object (json_parser_get_root (parser));

  version = json_object_get_member (root, "version");
  if (version == NULL || !node_is_value_of (version, G_TYPE_INT64))
    return fail_corrupt (error, "the file has no version number");
  v = json_node_get_int (version);
  if (v > BK_DEVICE_STORE_FORMAT_VERSION)
    {
      g_set_error (error, BK_DEVICE_STORE_ERROR, BK_DEVICE_STORE_ERROR_TOO_NEW,
                   "%" G_GINT64_FORMAT, v);
      return FALSE;
    }
  if (v < 1)
    return fail_corrupt (error, "unknown version %" G_GINT64_FORMAT, v);

  list = json_object_get_member (root, "devices");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    return fail_corrupt (error, "the file has no list of devices");
  array = json_node_get_array (list);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      BkDevice *device = deserialize_device (json_array_get_element (array, i), error);

      if (device == NULL)
        return FALSE;
      g_ptr_array_add (devices, device);
      if (!g_hash_table_add (ids, (gpointer) bk_device_get_id (device)))
        return fail_corrupt (error, "two devices have the same id");
    }

  *out_devices = g_steal_pointer (&devices);
  return TRUE;
}

/* Files */

static void
remove_stale_temporaries (BkDeviceStore *self)
{
  g_autoptr(GDir) dir = g_dir_open (self->directory, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_prefix (name, TEMP_PREFIX))
        {
          g_autofree char *path = g_build_filename (self->directory, name, NULL);

          g_debug ("Removing an unfinished save: %s", name);
          g_unlink (path);
        }
    }
}

static char *
move_aside (BkDeviceStore  *self,
            GError        **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  for (guint n = 1; n < 1000; n++)
    {
      g_autofree char *name = NULL;
      g_autofree char *path = NULL;

      if (n == 1)
        name = g_strconcat (CORRUPT_PREFIX, stamp, NULL);
      else
        name = g_strdup_printf (CORRUPT_PREFIX "%s-%u", stamp, n);
      path = g_build_filename (self->directory, name, NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        continue;

      if (g_rename (self->path, path) != 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "%s", g_strerror (saved));
          return NULL;
        }
      return g_steal_pointer (&path);
    }

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS, "too many moved-aside files");
  return NULL;
}

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        length,
           GError     **error)
{
  while (length > 0)
    {
      gssize n = write (fd, data, length);

      if (n < 0)
        {
          int saved = errno;

          if (saved == EINTR)
            continue;
          g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
          return FALSE;
        }
      data += n;
      length -= (gsize) n;
    }

  return TRUE;
}

static gboolean
fsync_directory (const char  *directory,
                 GError     **error)
{
  int fd = open (directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int saved;

  if (fd < 0)
    goto fail;
  if (fsync (fd) != 0)
    {
      saved = errno;
      close (fd);
      errno = saved;
      goto fail;
    }
  close (fd);
  return TRUE;

fail:
  saved = errno;
  g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
  return FALSE;
}

/* Runs on a worker thread: touches nothing of the store. */
static gboolean
write_atomically (const char  *directory,
                  const char  *path,
                  const char  *data,
                  gsize        length,
                  GError     **error)
{
  g_autofree char *tmp = NULL;
  int fd;

  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
      return FALSE;
    }

  tmp = g_build_filename (directory, TEMP_PREFIX "XXXXXX", NULL);
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
      return FALSE;
    }

  if (!write_all (fd, data, length, error))
    goto fail;

  if (fsync (fd) != 0)
    {
      int saved = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
      goto fail;
    }

  if (close (fd) != 0)
    {
      int saved = errno;

      fd = -1;
      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
      goto fail;
    }
  fd = -1;

  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved), g_strerror (saved));
      goto fail;
    }

  /* The rename is durable only once the directory is on disk. */
  return fsync_directory (directory, error);

fail:
  if (fd >= 0)
    close (fd);
  g_unlink (tmp);
  return FALSE;
}

/* GObject */

static void
bk_device_store_dispose (GObject *object)
{
  BkDeviceStore *self = (BkDeviceStore *) object;

  /* Nothing is lost: the write in flight ends, and what it does not hold
   * is written now. */
  if (self->job != NULL || self->requested_gen > self->attempted_gen)
    {
      g_autoptr(GError) error = NULL;

      if (!bk_device_store_flush (self, &error))
        g_warning ("Could not save the list of bridges: %s", error->message);
    }
  cancel_autosave (self);

  for (guint i = 0; i < self->devices->len; i++)
    unwatch_device (self, g_ptr_array_index (self->devices, i));
  g_ptr_array_set_size (self->devices, 0);

  g_clear_object (&self->secrets);

  G_OBJECT_CLASS (bk_device_store_parent_class)->dispose (object);
}

static void
bk_device_store_finalize (GObject *object)
{
  BkDeviceStore *self = (BkDeviceStore *) object;

  g_assert (self->job == NULL);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);
  g_clear_pointer (&self->devices, g_ptr_array_unref);
  g_clear_pointer (&self->directory, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->load_error, g_free);
  g_clear_pointer (&self->save_error, g_free);
  g_clear_pointer (&self->corrupt_path, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (bk_device_store_parent_class)->finalize (object);
}

static void
bk_device_store_constructed (GObject *object)
{
  BkDeviceStore *self = (BkDeviceStore *) object;

  G_OBJECT_CLASS (bk_device_store_parent_class)->constructed (object);

  if (self->directory == NULL || self->directory[0] == '\0')
    {
      g_free (self->directory);
      self->directory = g_build_filename (g_get_user_data_dir (), "bridgekeeper", NULL);
    }
  self->path = g_build_filename (self->directory, STORE_FILE_NAME, NULL);
}

static void
bk_device_store_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BkDeviceStore *self = BK_DEVICE_STORE (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      g_value_set_string (value, self->directory);
      break;
    case PROP_LOAD_ERROR:
      g_value_set_string (value, self->load_error);
      break;
    case PROP_SAVE_ERROR:
      g_value_set_string (value, self->save_error);
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;
    case PROP_SECRETS:
      g_value_set_object (value, self->secrets);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->devices->len);
      break;
    case PROP_SAVING:
      g_value_set_boolean (value, self->job != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_device_store_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  BkDeviceStore *self = BK_DEVICE_STORE (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      self->directory = g_value_dup_string (value);
      break;
    case PROP_SECRETS:
      bk_device_store_set_secrets (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_device_store_class_init (BkDeviceStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bk_device_store_dispose;
  object_class->finalize = bk_device_store_finalize;
  object_class->constructed = bk_device_store_constructed;
  object_class->get_property = bk_device_store_get_property;
  object_class->set_property = bk_device_store_set_property;

  properties[PROP_DIRECTORY] =
    g_param_spec_string ("directory", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOAD_ERROR] =
    g_param_spec_string ("load-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SAVE_ERROR] =
    g_param_spec_string ("save-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECRETS] =
    g_param_spec_object ("secrets", NULL, NULL, BK_TYPE_SECRETS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SAVING] =
    g_param_spec_boolean ("saving", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bk_device_store_init (BkDeviceStore *self)
{
  self->devices = g_ptr_array_new_with_free_func (g_object_unref);
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->context = g_main_context_ref_thread_default ();
}

/* Public API */

BkDeviceStore *
bk_device_store_new (const char *dir)
{
  return g_object_new (BK_TYPE_DEVICE_STORE, "directory", dir, NULL);
}

const char *
bk_device_store_get_directory (BkDeviceStore *self)
{
  g_return_val_if_fail (BK_IS_DEVICE_STORE (self), NULL);
  return self->directory;
}

const char *
bk_device_store_get_path (BkDeviceStore *self)
{
  g_return_val_if_fail (BK_IS_DEVICE_STORE (self), NULL);
  return self->path;
}

static void
replace_devices (BkDeviceStore *self,
                 GPtrArray     *devices)
{
  guint removed = self->devices->len;

  for (guint i = 0; i < self->devices->len; i++)
    unwatch_device (self, g_ptr_array_index (self->devices, i));
  g_ptr_array_set_size (self->devices, 0);

  for (guint i = 0; devices != NULL && i < devices->len; i++)
    {
      BkDevice *device = g_ptr_array_index (devices, i);

      g_ptr_array_add (self->devices, g_object_ref (device));
      watch_device (self, device);
    }

  if (removed != 0 || self->devices->len != 0)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->devices->len);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
}

gboolean
bk_device_store_load (BkDeviceStore  *self,
                      GError        **error)
{
  g_autoptr(GError) result = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (BK_IS_DEVICE_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* What was scheduled belongs to the list being replaced. */
  wait_for_write (self);
  cancel_autosave (self);
  self->attempted_gen = self->written_gen = self->requested_gen;
  g_clear_pointer (&self->corrupt_path, g_free);

  if (!g_file_get_contents (self->path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          remove_stale_temporaries (self);
          replace_devices (self, NULL);
          set_read_only (self, FALSE);
          return outcome (self, &self->load_error, PROP_LOAD_ERROR, NULL, error);
        }

      result = g_error_new (BK_DEVICE_STORE_ERROR, BK_DEVICE_STORE_ERROR_IO,
                            _("The list of bridges could not be read: %s. Check the permissions of %s and restart Bridgekeeper."),
                            local_error->message, self->path);
      /* Nothing is known about the file: do not overwrite it. */
      replace_devices (self, NULL);
      set_read_only (self, TRUE);
      return outcome (self, &self->load_error, PROP_LOAD_ERROR, g_steal_pointer (&result), error);
    }

  if (!parse_file (contents, length, &devices, &local_error))
    {
      g_autoptr(GError) move_error = NULL;
      g_autofree char *moved = NULL;

      replace_devices (self, NULL);

      if (g_error_matches (local_error, BK_DEVICE_STORE_ERROR, BK_DEVICE_STORE_ERROR_TOO_NEW))
        {
          result = g_error_new (BK_DEVICE_STORE_ERROR, BK_DEVICE_STORE_ERROR_TOO_NEW,
                                _("The list of bridges was saved by a newer version of Bridgekeeper (format %s) and cannot be read by this one. Update Bridgekeeper; the file %s is left unchanged and nothing will be saved to it."),
                                local_error->message, self->path);
          set_read_only (self, TRUE);
          return outcome (self, &self->load_error, PROP_LOAD_ERROR, g_steal_pointer (&result), error);
        }

      g_message ("The list of bridges %s is unreadable: %s", self->path, local_error->message);

      moved = move_aside (self, &move_error);
      if (moved == NULL)
        {
          result = g_error_new (BK_DEVICE_STORE_ERROR, BK_DEVICE_STORE_ERROR_IO,
                                _("The list of bridges in %s could not be read (%s) and could not be moved aside (%s). Move the file away yourself and restart Bridgekeeper."),
                                self->path, local_error->message, move_error->message);
          set_read_only (self, TRUE);
          return outcome (self, &self->load_error, PROP_LOAD_ERROR, g_steal_pointer (&result), error);
        }

      self->corrupt_path = g_strdup (moved);
      result = g_error_new (BK_DEVICE_STORE_ERROR, BK_DEVICE_STORE_ERROR_CORRUPT,
                            _("The list of bridges could not be read and was moved aside to %s. Bridgekeeper starts with an empty list: add your bridges again, or restore them from a backup. (Problem: %s)"),
                            moved, local_error->message);
      remove_stale_temporaries (self);
      set_read_only (self, FALSE);
      return outcome (self, &self->load_error, PROP_LOAD_ERROR, g_steal_pointer (&result), error);
    }

  remove_stale_temporaries (self);
  replace_devices (self, devices);
  set_read_only (self, FALSE);
  return outcome (self, &self->load_error, PROP_LOAD_ERROR, NULL, error);
}

static GError *
read_only_error (BkDeviceStore *self)
{
  return g_error_new (BK_DEVICE_STORE_ERROR, BK_DEVICE_STORE_ERROR_READ_ONLY,
                      _("Changes to the list of bridges are not saved because %s could not be read. If a newer version of Bridgekeeper wrote it, update Bridgekeeper; otherwise move the file away and restart Bridgekeeper."),
                      self->path);
}

gboolean
bk_device_store_save (BkDeviceStore  *self,
                      GError        **error)
{
  g_return_val_if_fail (BK_IS_DEVICE_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->read_only)
    return outcome (self, &self->save_error, PROP_SAVE_ERROR, read_only_error (self), error);

  request_write (self, 0);
  return TRUE;
}

void
bk_device_store_save_async (BkDeviceStore       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  guint64 *wanted;

  g_return_if_fail (BK_IS_DEVICE_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_device_store_save_async);
  if (self->read_only)
    {
      g_autoptr(GError) error = read_only_error (self);

      set_error_string (self, &self->save_error, error->message, PROP_SAVE_ERROR);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  request_write (self, 0);
  wanted = g_new (guint64, 1);
  *wanted = self->requested_gen;
  g_task_set_task_data (task, wanted, g_free);
  g_ptr_array_add (self->waiters, g_steal_pointer (&task));
}

gboolean
bk_device_store_save_finish (BkDeviceStore  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
bk_device_store_flush (BkDeviceStore  *self,
                       GError        **error)
{
  g_autoptr(GError) io_error = NULL;
  g_autoptr(GBytes) data = NULL;
  guint64 generation;
  gsize length;
  const char *bytes;

  g_return_val_if_fail (BK_IS_DEVICE_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_object_ref (self);
  wait_for_write (self);
  cancel_autosave (self);
  if (self->requested_gen <= self->written_gen)
    {
      g_object_unref (self);
      return TRUE;
    }
  if (self->read_only)
    {
      g_object_unref (self);
      return outcome (self, &self->save_error, PROP_SAVE_ERROR, read_only_error (self), error);
    }

  generation = self->requested_gen;
  data = serialize_to_bytes (self);
  bytes = g_bytes_get_data (data, &length);
  write_atomically (self->directory, self->path, bytes, length, &io_error);
  write_ended (self, generation, io_error);
  g_object_unref (self);

  if (io_error != NULL)
    {
      g_set_error_literal (error, BK_DEVICE_STORE_ERROR, BK_DEVICE_STORE_ERROR_IO, self->save_error);
      return FALSE;
    }
  return TRUE;
}

gboolean
bk_device_store_get_saving (BkDeviceStore *self)
{
  g_return_val_if_fail (BK_IS_DEVICE_STORE (self), FALSE);
  return self->job != NULL;
}

gboolean
bk_device_store_get_pending (BkDeviceStore *self)
{
  g_return_val_if_fail (BK_IS_DEVICE_STORE (self), FALSE);
  return self->job != NULL || self->requested_gen > self->written_gen;
}

const char *
bk_device_store_get_load_error (BkDeviceStore *self)
{
  g_return_val_if_fail (BK_IS_DEVICE_STORE (self), NULL);
  return self->load_error;
}

const char *
bk_device_store_get_save_error (BkDeviceStore *self)
{
  g_return_val_if_fail (BK_IS_DEVICE_STORE (self), NULL);
  return self->save_error;
}

gboolean
bk_device_store_get_read_only (BkDeviceStore *self)
{
  g_return_val_if_fail (BK_IS_DEVICE_STORE (self), FALSE);
  return self->read_only;
}

const char *
bk_device_store_get_corrupt_path (BkDeviceStore *self)
{
  g_return_val_if_fail (BK_IS_DEVICE_STORE (self), NULL);
  return self->corrupt_path;
}

void
bk_device_store_set_secrets (BkDeviceStore *self,
                             BkSecrets     *secrets)
{
  g_return_if_fail (BK_IS_DEVICE_STORE (self));
  g_return_if_fail (secrets == NULL || BK_IS_SECRETS (secrets));

  if (g_set_object (&self->secrets, secrets))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECRETS]);
}

BkSecrets *
bk_device_store_get_secrets (BkDeviceStore *self)
{
  g_return_val_if_fail (BK_IS_DEVICE_STORE (self), NULL);
  return self->secrets;
}

gboolean
bk_device_store_add (BkDeviceStore  *self,
                     BkDevice       *device,
                     GError        **error)
{
  g_return_val_if_fail (BK_IS_DEVICE_STORE (self), FALSE);
  g_return_val_if_fail (BK_IS_DEVICE (device), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (bk_device_store_lookup (self, bk_device_get_id (device)) != NULL)
    {
      g_set_error (error, BK_DEVICE_STORE_ERROR, BK_DEVICE_STORE_ERROR_DUPLICATE,
                   _("“%s” is already in the list of bridges."),
                   bk_device_get_display_name (device));
      return FALSE;
    }

  g_ptr_array_add (self->devices, g_object_ref (device));
  watch_device (self, device);
  g_list_model_items_changed (G_LIST_MODEL (self), self->devices->len - 1, 0, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  return bk_device_store_save (self, error);
}

static void
clear_secrets_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = user_data;

  if (!bk_secrets_clear_device_finish (BK_SECRETS (object), result, &error))
    g_message ("Could not remove the passwords of a removed bridge (%s): %s", id, error->message);
}

gboolean
bk_device_store_remove (BkDeviceStore  *self,
                        BkDevice       *device,
                        GError        **error)
{
  g_autoptr(BkDevice) hold = NULL;
  guint position;

  g_return_val_if_fail (BK_IS_DEVICE_STORE (self), FALSE);
  g_return_val_if_fail (BK_IS_DEVICE (device), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!g_ptr_array_find (self->devices, device, &position))
    return TRUE;

  hold = g_object_ref (device);
  unwatch_device (self, device);
  g_ptr_array_remove_index (self->devices, position);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  if (self->secrets != NULL)
    bk_secrets_clear_device_async (self->secrets, bk_device_get_id (device), NULL,
                                   clear_secrets_cb, g_strdup (bk_device_get_id (device)));

  return bk_device_store_save (self, error);
}

guint
bk_device_store_get_n_devices (BkDeviceStore *self)
{
  g_return_val_if_fail (BK_IS_DEVICE_STORE (self), 0);
  return self->devices->len;
}

BkDevice *
bk_device_store_lookup (BkDeviceStore *self,
                        const char    *id)
{
  g_return_val_if_fail (BK_IS_DEVICE_STORE (self), NULL);

  if (id == NULL)
    return NULL;

  for (guint i = 0; i < self->devices->len; i++)
    {
      BkDevice *device = g_ptr_array_index (self->devices, i);

      if (g_str_equal (bk_device_get_id (device), id))
        return device;
    }

  return NULL;
}

static gboolean
device_has_host (BkDevice   *device,
                 const char *host)
{
  g_autofree char *own = bk_normalize_host (bk_device_get_address (device));

  return own != NULL && g_str_equal (own, host);
}

BkDevice *
bk_device_store_find_by_address (BkDeviceStore *self,
                                 const char    *host,
                                 guint          port)
{
  g_autofree char *wanted = NULL;

  g_return_val_if_fail (BK_IS_DEVICE_STORE (self), NULL);

  wanted = bk_normalize_host (host);
  if (wanted == NULL)
    return NULL;
  if (port == 0)
    port = BK_DEFAULT_PORT;

  for (guint i = 0; i < self->devices->len; i++)
    {
      BkDevice *device = g_ptr_array_index (self->devices, i);

      if (bk_device_get_port (device) == port && device_has_host (device, wanted))
        return device;
    }

  return NULL;
}
