/* bk-cms-log.c: bounded, observable request log with CMS API trace export
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkCmsLog"

#include "config.h"

#include <string.h>

#include "bk-cms-log.h"
#include "bk-cms-private.h"

#define EXCERPT_MAX 4096
#define MASK "*****"

struct _BkCmsLogEntry
{
  GObject    parent_instance;

  guint64    serial;
  GDateTime *time;
  gint64     start_us;
  gint64     duration_us;
  char      *bridge;
  char      *method;
  char      *path;
  char      *request_body;
  char      *response_excerpt;
  char      *location;
  char      *failure;
  char      *note;
  gsize      request_bytes;
  gsize      response_bytes;
  guint      status;
  guint      attempt;
};

G_DEFINE_FINAL_TYPE (BkCmsLogEntry, bk_cms_log_entry, G_TYPE_OBJECT)

struct _BkCmsLog
{
  GObject    parent_instance;

  GPtrArray *entries;   /* oldest first */
  guint      capacity;
  guint64    next_serial;
};

static void bk_cms_log_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BkCmsLog, bk_cms_log, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, bk_cms_log_list_model_init))

/* Masking */

static gboolean
key_is_sensitive (const char *key)
{
  g_autofree char *lower = g_ascii_strdown (key, -1);

  if (g_str_has_suffix (lower, "passcode") || g_str_has_suffix (lower, "password"))
    return TRUE;
  if (g_str_has_suffix (lower, "secret") && strcmp (lower, "regeneratesecret") != 0)
    return TRUE;
  return FALSE;
}

char *
bk_cms_mask_form (const char *form)
{
  g_auto(GStrv) pairs = NULL;
  GString *out;

  if (form == NULL)
    return NULL;

  out = g_string_new (NULL);
  pairs = g_strsplit (form, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *eq = strchr (pairs[i], '=');

      if (i > 0)
        g_string_append_c (out, '&');
      if (eq != NULL)
        {
          g_autofree char *raw_key = g_strndup (pairs[i], eq - pairs[i]);
          g_autofree char *key = g_uri_unescape_string (raw_key, NULL);

          if (key_is_sensitive (key ? key : raw_key))
            {
              g_string_append (out, raw_key);
              g_string_append (out, "=" MASK);
              continue;
            }
        }
      g_string_append (out, pairs[i]);
    }
  return g_string_free (out, FALSE);
}

char *
bk_cms_mask_xml (const char *xml,
                 gssize      len)
{
  static GRegex *regex;
  g_autofree char *copy = NULL;

  if (xml == NULL)
    return NULL;
  if (g_once_init_enter (&regex))
    {
      /* Not G_REGEX_OPTIMIZE: PCRE2's JIT code is opaque to valgrind, and
       * bodies are small (a page of a listing). */
      GRegex *r = g_regex_new ("<(passcode|password|secret)(\\s[^>]*)?>[^<]*</\\1\\s*>",
                               G_REGEX_CASELESS | G_REGEX_RAW, 0, NULL);
      g_once_init_leave (&regex, r);
    }
  if (len < 0)
    len = strlen (xml);
  copy = g_strndup (xml, len);  /* also stops at an embedded NUL */
  return g_regex_replace (regex, copy, -1, 0, "<\\1\\2>" MASK "</\\1>", 0, NULL);
}

/* Entry */

static void
bk_cms_log_entry_finalize (GObject *object)
{
  BkCmsLogEntry *self = BK_CMS_LOG_ENTRY (object);

  g_clear_pointer (&self->time, g_date_time_unref);
  g_free (self->bridge);
  g_free (self->method);
  g_free (self->path);
  g_free (self->request_body);
  g_free (self->response_excerpt);
  g_free (self->location);
  g_free (self->failure);
  g_free (self->note);

  G_OBJECT_CLASS (bk_cms_log_entry_parent_class)->finalize (object);
}

static void
bk_cms_log_entry_class_init (BkCmsLogEntryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bk_cms_log_entry_finalize;
}

static void
bk_cms_log_entry_init (BkCmsLogEntry *self)
{
}

BkCmsLogEntry *
bk_cms_log_entry_new (const char *bridge,
                      const char *method,
                      const char *path_and_query,
                      const char *form_body,
                      guint       attempt)
{
  BkCmsLogEntry *self = g_object_new (BK_CMS_TYPE_LOG_ENTRY, NULL);
  const char *q;

  self->time = g_date_time_new_now_utc ();
  self->start_us = g_get_monotonic_time ();
  self->bridge = g_strdup (bridge);
  self->method = g_strdup (method);
  q = path_and_query ? strchr (path_and_query, '?') : NULL;
  if (q != NULL)
    {
      g_autofree char *masked = bk_cms_mask_form (q + 1);
      self->path = g_strdup_printf ("%.*s?%s", (int) (q - path_and_query), path_and_query, masked);
    }
  else
    self->path = g_strdup (path_and_query);
  if (form_body != NULL)
    {
      self->request_body = bk_cms_mask_form (form_body);
      self->request_bytes = strlen (form_body);
    }
  self->attempt = attempt;
  return self;
}

void
bk_cms_log_entry_finish (BkCmsLogEntry *self,
                         guint          status,
                         GBytes        *response,
                         const char    *location,
                         const char    *failure)
{
  g_return_if_fail (BK_CMS_IS_LOG_ENTRY (self));

  self->duration_us = g_get_monotonic_time () - self->start_us;
  self->status = status;
  if (response != NULL)
    {
      gsize len;
      const char *data = g_bytes_get_data (response, &len);

      self->response_bytes = len;
      if (len > 0)
        {
          g_autofree char *masked = bk_cms_mask_xml (data, MIN (len, EXCERPT_MAX));

          /* The cut may split a character, and replies may be any bytes. */
          self->response_excerpt = g_utf8_make_valid (masked, -1);
        }
    }
  g_free (self->location);
  self->location = g_strdup (location);
  g_free (self->failure);
  self->failure = g_strdup (failure);
}

void
bk_cms_log_entry_set_note (BkCmsLogEntry *self,
                           const char    *note)
{
  g_return_if_fail (BK_CMS_IS_LOG_ENTRY (self));

  g_free (self->note);
  self->note = g_strdup (note);
}

guint64 bk_cms_log_entry_get_serial (BkCmsLogEntry *self) { g_return_val_if_fail (BK_CMS_IS_LOG_ENTRY (self), 0); return self->serial; }
GDateTime *bk_cms_log_entry_get_time (BkCmsLogEntry *self) { g_return_val_if_fail (BK_CMS_IS_LOG_ENTRY (self), NULL); return self->time; }
const char *bk_cms_log_entry_get_bridge (BkCmsLogEntry *self) { g_return_val_if_fail (BK_CMS_IS_LOG_ENTRY (self), NULL); return self->bridge; }
const char *bk_cms_log_entry_get_method (BkCmsLogEntry *self) { g_return_val_if_fail (BK_CMS_IS_LOG_ENTRY (self), NULL); return self->method; }
const char *bk_cms_log_entry_get_path (BkCmsLogEntry *self) { g_return_val_if_fail (BK_CMS_IS_LOG_ENTRY (self), NULL); return self->path; }
guint bk_cms_log_entry_get_status (BkCmsLogEntry *self) { g_return_val_if_fail (BK_CMS_IS_LOG_ENTRY (self), 0); return self->status; }
gint64 bk_cms_log_entry_get_duration_us (BkCmsLogEntry *self) { g_return_val_if_fail (BK_CMS_IS_LOG_ENTRY (self), 0); return self->duration_us; }
gsize bk_cms_log_entry_get_request_bytes (BkCmsLogEntry *self) { g_return_val_if_fail (BK_CMS_IS_LOG_ENTRY (self), 0); return self->request_bytes; }
gsize bk_cms_log_entry_get_response_bytes (BkCmsLogEntry *self) { g_return_val_if_fail (BK_CMS_IS_LOG_ENTRY (self), 0); return self->response_bytes; }
const char *bk_cms_log_entry_get_request_body (BkCmsLogEntry *self) { g_return_val_if_fail (BK_CMS_IS_LOG_ENTRY (self), NULL); return self->request_body; }
const char *bk_cms_log_entry_get_response_excerpt (BkCmsLogEntry *self) { g_return_val_if_fail (BK_CMS_IS_LOG_ENTRY (self), NULL); return self->response_excerpt; }
const char *bk_cms_log_entry_get_location (BkCmsLogEntry *self) { g_return_val_if_fail (BK_CMS_IS_LOG_ENTRY (self), NULL); return self->location; }
const char *bk_cms_log_entry_get_failure (BkCmsLogEntry *self) { g_return_val_if_fail (BK_CMS_IS_LOG_ENTRY (self), NULL); return self->failure; }
const char *bk_cms_log_entry_get_note (BkCmsLogEntry *self) { g_return_val_if_fail (BK_CMS_IS_LOG_ENTRY (self), NULL); return self->note; }
guint bk_cms_log_entry_get_attempt (BkCmsLogEntry *self) { g_return_val_if_fail (BK_CMS_IS_LOG_ENTRY (self), 0); return self->attempt; }

/* Log */

static GType
bk_cms_log_get_item_type (GListModel *model)
{
  return BK_CMS_TYPE_LOG_ENTRY;
}

static guint
bk_cms_log_get_n_items (GListModel *model)
{
  return BK_CMS_LOG (model)->entries->len;
}

static gpointer
bk_cms_log_get_item (GListModel *model,
                     guint       position)
{
  BkCmsLog *self = BK_CMS_LOG (model);

  if (position >= self->entries->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->entries, position));
}

static void
bk_cms_log_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = bk_cms_log_get_item_type;
  iface->get_n_items = bk_cms_log_get_n_items;
  iface->get_item = bk_cms_log_get_item;
}

static void
bk_cms_log_finalize (GObject *object)
{
  BkCmsLog *self = BK_CMS_LOG (object);

  g_clear_pointer (&self->entries, g_ptr_array_unref);
  G_OBJECT_CLASS (bk_cms_log_parent_class)->finalize (object);
}

static void
bk_cms_log_class_init (BkCmsLogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = bk_cms_log_finalize;
}

static void
bk_cms_log_init (BkCmsLog *self)
{
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  self->capacity = BK_CMS_LOG_DEFAULT_CAPACITY;
  self->next_serial = 1;
}

BkCmsLog *
bk_cms_log_new (guint capacity)
{
  BkCmsLog *self = g_object_new (BK_CMS_TYPE_LOG, NULL);

  self->capacity = capacity > 0 ? capacity : BK_CMS_LOG_DEFAULT_CAPACITY;
  return self;
}

guint
bk_cms_log_get_capacity (BkCmsLog *self)
{
  g_return_val_if_fail (BK_CMS_IS_LOG (self), 0);
  return self->capacity;
}

void
bk_cms_log_append (BkCmsLog      *self,
                   BkCmsLogEntry *entry)
{
  g_return_if_fail (BK_CMS_IS_LOG (self));
  g_return_if_fail (BK_CMS_IS_LOG_ENTRY (entry));

  entry->serial = self->next_serial++;
  if (self->entries->len >= self->capacity)
    {
      g_ptr_array_remove_index (self->entries, 0);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, 1, 0);
    }
  g_ptr_array_add (self->entries, g_object_ref (entry));
  g_list_model_items_changed (G_LIST_MODEL (self), self->entries->len - 1, 0, 1);
}

void
bk_cms_log_clear (BkCmsLog *self)
{
  guint n;

  g_return_if_fail (BK_CMS_IS_LOG (self));

  n = self->entries->len;
  if (n == 0)
    return;
  g_ptr_array_set_size (self->entries, 0);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, n, 0);
}

static void
trace_line (GString       *out,
            BkCmsLogEntry *entry,
            const char    *format,
            ...) G_GNUC_PRINTF (3, 4);

static void
trace_line (GString       *out,
            BkCmsLogEntry *entry,
            const char    *format,
            ...)
{
  static const char * const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
  GDateTime *t = entry->time;
  va_list args;

  g_string_append_printf (out, "%s %2d %02d:%02d:%02d user.info %s host:server: INFO : API trace %" G_GUINT64_FORMAT ": ",
                          months[g_date_time_get_month (t) - 1], g_date_time_get_day_of_month (t),
                          g_date_time_get_hour (t), g_date_time_get_minute (t), g_date_time_get_second (t),
                          entry->bridge ? entry->bridge : "-", entry->serial);
  va_start (args, format);
  g_string_append_vprintf (out, format, args);
  va_end (args);
  g_string_append_c (out, '\n');
}

static void
export_entry (GString       *out,
              BkCmsLogEntry *e)
{
  trace_line (out, e, "%s for \"%s\" (from bridgekeeper)", e->method, e->path);

  if (e->request_body != NULL)
    {
      g_auto(GStrv) pairs = g_strsplit (e->request_body, "&", -1);
      guint n = g_strv_length (pairs);

      trace_line (out, e, "content data size %" G_GSIZE_FORMAT ", type \"application/x-www-form-urlencoded\":",
                  e->request_bytes);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *plus = g_strdelimit (g_strdup (pairs[i]), "+", ' ');
          g_autofree char *text = g_uri_unescape_string (plus, NULL);

          trace_line (out, e, "%s%s", text ? text : pairs[i], i + 1 < n ? "&" : "");
        }
    }

  if (e->status != 0)
    trace_line (out, e, "sending %u response, size %" G_GSIZE_FORMAT, e->status, e->response_bytes);
  if (e->location != NULL)
    trace_line (out, e, "Location: %s", e->location);
  if (e->response_excerpt != NULL)
    {
      g_auto(GStrv) lines = NULL;
      GString *xml = g_string_new (NULL);

      /* One element a line, as the CMS prints it: split between tags
       * (ignoring the reply's own line breaks and indentation). */
      for (const char *p = e->response_excerpt; *p; p++)
        {
          if (*p == '\n' || *p == '\r')
            continue;
          g_string_append_c (xml, *p);
          if (*p == '>')
            {
              const char *next = p + 1;

              while (*next == '\n' || *next == '\r' || *next == ' ' || *next == '\t')
                next++;
              if (*next == '<')
                {
                  g_string_append_c (xml, '\n');
                  p = next - 1;
                }
            }
        }
      lines = g_strsplit (xml->str, "\n", -1);
      g_string_free (xml, TRUE);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_autofree char *line = g_strstrip (g_strdup (lines[i]));

          if (*line == '\0' || g_str_has_prefix (line, "<?xml"))
            continue;
          trace_line (out, e, "%s", line);
        }
      if (e->response_bytes > EXCERPT_MAX)
        trace_line (out, e, "[ ... ]");
    }
  if (e->note != NULL)
    trace_line (out, e, "note: %s", e->note);
  if (e->failure != NULL)
    trace_line (out, e, "failed: %s", e->failure);
}

char *
bk_cms_log_export_trace (BkCmsLog *self)
{
  GString *out;

  g_return_val_if_fail (BK_CMS_IS_LOG (self), NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < self->entries->len; i++)
    export_entry (out, g_ptr_array_index (self->entries, i));
  return g_string_free (out, FALSE);
}

static void
export_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
bk_cms_log_export_trace_to_file_async (BkCmsLog            *self,
                                       GFile               *file,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GBytes) bytes = NULL;
  GTask *task;
  char *text;

  g_return_if_fail (BK_CMS_IS_LOG (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_cms_log_export_trace_to_file_async);
  text = bk_cms_log_export_trace (self);
  bytes = g_bytes_new_take (text, strlen (text));
  g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_PRIVATE | G_FILE_CREATE_REPLACE_DESTINATION,
                                       cancellable, export_written_cb, task);
}

gboolean
bk_cms_log_export_trace_to_file_finish (BkCmsLog      *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
