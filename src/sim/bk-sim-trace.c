/* bk-sim-trace.c: the CMS-style "API trace" log and request counters
 *
 * Lines follow the CMS syslog shape seen with API debug logging on:
 *   Jul 26 14:08:23 user.info CallBridge-Core1 host:server: INFO : API trace 8893: POST for "/api/v1/callProfiles" (from 127.0.0.1)
 * followed by the content lines (passcode/password/secret masked as *****),
 * "sending 200 response, size N", any Location header and the reply body.
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkSimTrace"

#include "config.h"

#include <string.h>

#include "bk-sim-private.h"

#define TRACE_MAX_BYTES (4 * 1024 * 1024)
#define TRACE_MAX_BODY_LINES 60

static const char *
stamp_now (void)
{
  static gint64 last_second = -1;
  static char stamp[32];
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  /* Formatting the date per line is the dearest part of tracing: once a second. */
  if (now != last_second)
    {
      g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (now);
      g_autofree char *text = g_date_time_format (dt, "%b %e %H:%M:%S");

      g_strlcpy (stamp, text, sizeof stamp);
      last_second = now;
    }
  return stamp;
}

void
bk_sim_trace_line (BkSimNode  *node,
                   guint       seq,
                   const char *text)
{
  BkSimCluster *self = node->cluster;
  GString *trace = self->trace;
  gsize start;

  if (trace->len > TRACE_MAX_BYTES)
    {
      /* Keep the newer half. */
      const char *cut = strchr (trace->str + trace->len / 2, '\n');

      if (cut != NULL)
        g_string_erase (trace, 0, cut + 1 - trace->str);
    }
  start = trace->len;
  g_string_append (trace, stamp_now ());
  if (seq != 0)
    {
      g_string_append (trace, " user.info ");
      g_string_append (trace, node->name);
      g_string_append_printf (trace, " host:server: INFO : API trace %u: ", seq);
    }
  else
    {
      g_string_append (trace, " local0.info ");
      g_string_append (trace, node->name);
      g_string_append (trace, " host:server: INFO : ");
    }
  g_string_append (trace, text);
  g_string_append_c (trace, '\n');
  if (self->trace_out != NULL)
    g_output_stream_write_all (G_OUTPUT_STREAM (self->trace_out), trace->str + start,
                               trace->len - start, NULL, NULL, NULL);
}

static gboolean
is_secret_key (const char *key,
               gsize       len)
{
  static const char * const keys[] = { "passcode", "password", "secret" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (len == strlen (keys[i]) && g_ascii_strncasecmp (key, keys[i], len) == 0)
      return TRUE;
  return FALSE;
}

char *
bk_sim_mask_form (const char *form)
{
  g_auto(GStrv) pairs = g_strsplit (form, "&", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      const char *eq = strchr (pairs[i], '=');

      if (i > 0)
        g_string_append_c (out, '&');
      if (eq != NULL && is_secret_key (pairs[i], eq - pairs[i]))
        {
          g_string_append_len (out, pairs[i], eq - pairs[i] + 1);
          g_string_append (out, "*****");
        }
      else
        g_string_append (out, pairs[i]);
    }
  return g_string_free (out, FALSE);
}

void
bk_sim_trace_request (BkSimNode  *node,
                      guint       seq,
                      const char *method,
                      const char *path,
                      const char *from,
                      const char *content_type,
                      GBytes     *body)
{
  g_autofree char *line = g_strdup_printf ("%s for \"%s\" (from %s)", method, path, from ? from : "unknown");
  gsize size = body ? g_bytes_get_size (body) : 0;

  bk_sim_trace_line (node, seq, line);
  if (size > 0)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL), size);
      g_autofree char *masked = bk_sim_mask_form (text);
      g_autofree char *head = g_strdup_printf ("content data size %" G_GSIZE_FORMAT ", type \"%s\":",
                                               size, content_type ? content_type : "");
      g_auto(GStrv) pairs = g_strsplit (masked, "&", -1);

      bk_sim_trace_line (node, seq, head);
      for (guint i = 0; pairs[i] != NULL; i++)
        {
          g_autofree char *l = g_strconcat (pairs[i], pairs[i + 1] ? "&" : "", NULL);

          bk_sim_trace_line (node, seq, l);
        }
    }
}

void
bk_sim_trace_response (BkSimNode  *node,
                       guint       seq,
                       guint       status,
                       const char *location,
                       const char *www_authenticate,
                       const char *body,
                       gsize       body_len)
{
  g_autofree char *line = g_strdup_printf ("sending %u response, size %" G_GSIZE_FORMAT, status, body_len);

  bk_sim_trace_line (node, seq, line);
  if (location != NULL)
    {
      g_autofree char *l = g_strdup_printf ("Location: %s", location);

      bk_sim_trace_line (node, seq, l);
    }
  if (www_authenticate != NULL)
    {
      g_autofree char *l = g_strdup_printf ("WWW-Authenticate: %s", www_authenticate);

      bk_sim_trace_line (node, seq, l);
    }
  if (body != NULL && body_len > 0)
    {
      g_autofree char *text = g_strndup (body, body_len);
      const char *p = text;
      guint lines = 0;

      if (g_str_has_prefix (p, "<?xml"))
        {
          p = strchr (p, '>');
          p = p ? p + 1 : text;
          while (*p == '\n')
            p++;
        }
      /* One element per line, as CMS logs its replies. */
      while (*p != '\0')
        {
          const char *next = strstr (p + 1, "><");
          g_autofree char *l = NULL;

          if (lines == TRACE_MAX_BODY_LINES)
            {
              bk_sim_trace_line (node, seq, "[ ... ]");
              break;
            }
          if (next != NULL && *p == '<' && p[1] != '/' && next[2] == '/' &&
              memchr (p + 1, '<', next - p - 1) == NULL)
            next = strstr (next + 1, "><");   /* keep <a>text</a> together */
          l = next ? g_strndup (p, next + 1 - p) : g_strdup (p);
          bk_sim_trace_line (node, seq, l);
          lines++;
          p = next ? next + 1 : p + strlen (p);
        }
    }
}

void
bk_sim_count_request (BkSimNode  *node,
                      const char *method,
                      const char *path)
{
  g_autofree char *key = g_strdup_printf ("%s %s", method, path);
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (node->counters, key));

  g_hash_table_insert (node->counters, g_steal_pointer (&key), GUINT_TO_POINTER (n + 1));
}

guint
bk_sim_cluster_get_request_count (BkSimCluster *self,
                                  int           node,
                                  const char   *method,
                                  const char   *path_prefix)
{
  guint total = 0;

  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), 0);

  for (guint i = 0; i < self->n_nodes; i++)
    {
      BkSimNode *n = g_ptr_array_index (self->nodes, i);
      GHashTableIter iter;
      const char *key;
      gpointer value;

      if (node >= 0 && (guint) node != i)
        continue;
      g_hash_table_iter_init (&iter, n->counters);
      while (g_hash_table_iter_next (&iter, (gpointer *) &key, &value))
        {
          const char *space = strchr (key, ' ');
          gsize mlen = space - key;

          if (method != NULL && (strlen (method) != mlen || g_ascii_strncasecmp (key, method, mlen) != 0))
            continue;
          if (path_prefix != NULL && g_ascii_strncasecmp (space + 1, path_prefix, strlen (path_prefix)) != 0)
            continue;
          total += GPOINTER_TO_UINT (value);
        }
    }
  return total;
}

void
bk_sim_cluster_reset_counters (BkSimCluster *self)
{
  g_return_if_fail (BK_IS_SIM_CLUSTER (self));

  for (guint i = 0; i < self->n_nodes; i++)
    g_hash_table_remove_all (((BkSimNode *) g_ptr_array_index (self->nodes, i))->counters);
}

char *
bk_sim_cluster_dup_trace (BkSimCluster *self)
{
  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), NULL);

  return g_strndup (self->trace->str, self->trace->len);
}

void
bk_sim_cluster_clear_trace (BkSimCluster *self)
{
  g_return_if_fail (BK_IS_SIM_CLUSTER (self));

  g_string_truncate (self->trace, 0);
}

gboolean
bk_sim_cluster_set_trace_file (BkSimCluster  *self,
                               const char    *path,
                               GError       **error)
{
  g_return_val_if_fail (BK_IS_SIM_CLUSTER (self), FALSE);

  g_clear_object (&self->trace_out);
  if (path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);

      self->trace_out = g_file_append_to (file, G_FILE_CREATE_PRIVATE, NULL, error);
      if (self->trace_out == NULL)
        return FALSE;
    }
  return TRUE;
}
