/* bk-sim-model.c: the CMS object model behind /api/v1 (routing, validation,
 * collections with paging, coSpaces, profiles, bulk syncs, calls, call legs,
 * participants, status, alarms, call bridges)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkSimModel"

#include "config.h"

#include <string.h>

#include "bk-sim-private.h"

#define XML_PROLOG "<?xml version=\"1.0\"?>\n"

typedef struct
{
  guint       status;
  const char *failure;     /* failureDetails child, or NULL */
  const char *param;       /* parameterError parameter, or NULL */
  const char *error;       /* parameterError error */
} Fail;

/* ---- replies ---- */

void
bk_sim_reply_clear (BkSimReply *reply)
{
  if (reply->body != NULL)
    g_string_free (reply->body, TRUE);
  reply->body = NULL;
  g_clear_pointer (&reply->location, g_free);
  reply->status = 0;
}

static void
reply_ok (BkSimReply *reply)
{
  reply->status = 200;
}

static void
reply_xml (BkSimReply *reply,
           GString    *body)
{
  reply->status = 200;
  reply->body = body;
}

static void
reply_failure (BkSimReply *reply,
               guint       status,
               const char *reason)
{
  reply->status = status;
  reply->body = bk_sim_xml_failure (reason);
}

static void
reply_param (BkSimReply *reply,
             const char *param,
             const char *error)
{
  reply->status = 400;
  reply->body = bk_sim_xml_parameter_error (param, error);
}

static void
reply_fail (BkSimReply *reply,
            const Fail *fail)
{
  if (fail->param != NULL)
    reply_param (reply, fail->param, fail->error);
  else
    reply_failure (reply, fail->status ? fail->status : 400, fail->failure);
}

static void
reply_created (BkSimReply *reply,
               const char *collection,
               const char *id)
{
  reply->status = 200;
  reply->location = g_strdup_printf ("/api/v1/%s/%s", collection, id);
}

/* ---- validation ---- */

static const char * const bool_params[] = {
  "nonMemberAccess", "regenerateSecret", "requireCallId", "removeAll",
  "activeWhenEmpty", "locked", "lyncConferenceMode", "needsActivation",
  "deactivationMode", NULL,
};

static const char * const uint_params[] = {
  "callId", "passcode", "participantLimit", "startIndex", "endIndex",
  "maxCallLegs", NULL,
};

static const char * const layouts[] = {
  "allEqual", "speakerOnly", "telepresence", "stacked", "allEqualQuarters",
  "allEqualNinths", "allEqualSixteenths", "allEqualTwentyFifths",
  "onePlusFive", "onePlusSeven", "onePlusNine", "automatic", "onePlusN", NULL,
};

static gboolean
str_in (const char         *s,
        const char * const *list)
{
  for (guint i = 0; list[i] != NULL; i++)
    if (g_str_equal (s, list[i]))
      return TRUE;
  return FALSE;
}

static gboolean
is_digits (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

static gboolean
has_control_chars (const char *s)
{
  for (; *s != '\0'; s++)
    if ((guchar) *s < 0x20 && *s != '\t' && *s != '\n' && *s != '\r')
      return TRUE;
  return FALSE;
}

static gboolean
is_bool_param (const char *name)
{
  return str_in (name, bool_params) ||
         g_str_has_suffix (name, "Allowed") ||
         (g_str_has_suffix (name, "Enabled") && !g_str_equal (name, "clusterEnabled"));
}

static gboolean
validate_params (BkSimCluster *self,
                 GHashTable   *params,
                 Fail         *fail)
{
  GHashTableIter iter;
  const char *name, *value;

  g_hash_table_iter_init (&iter, params);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, (gpointer *) &value))
    {
      if (!g_utf8_validate (value, -1, NULL) || has_control_chars (value))
        {
          /* Could not be written into an XML reply. */
          fail->param = name;
          fail->error = "invalidValue";
          return FALSE;
        }
      if (*value == '\0')
        continue;   /* empty = unset */
      if ((is_bool_param (name) && !g_str_equal (value, "true") && !g_str_equal (value, "false")) ||
          (str_in (name, uint_params) && !is_digits (value)) ||
          ((g_str_equal (name, "uri") || g_str_equal (name, "secondaryUri")) &&
           (strpbrk (value, " \t\r\n") != NULL)) ||
          (g_str_equal (name, "defaultLayout") && !str_in (value, layouts)))
        {
          fail->param = name;
          fail->error = "invalidValue";
          return FALSE;
        }
      if (g_str_equal (name, "callProfile") &&
          bk_sim_collection_lookup (self->db.call_profiles, value) == NULL)
        {
          fail->failure = "callProfileDoesNotExist";
          return FALSE;
        }
      if (g_str_equal (name, "callLegProfile") &&
          bk_sim_collection_lookup (self->db.call_leg_profiles, value) == NULL)
        {
          fail->failure = "callLegProfileDoesNotExist";
          return FALSE;
        }
    }
  return TRUE;
}

/* A form parameter that must be there and not empty, or NULL after
 * answering the request */
static const char *
required_param (GHashTable *form,
                const char *name,
                BkSimReply *reply)
{
  const char *value = g_hash_table_lookup (form, name);

  if (value == NULL || *value == '\0')
    {
      reply_param (reply, name, "invalidValue");
      return NULL;
    }
  return value;
}

/* validate_params(), answering the request when a parameter is refused */
static gboolean
params_valid_or_reply (BkSimCluster *self,
                       GHashTable   *params,
                       BkSimReply   *reply)
{
  Fail fail = { 0 };

  if (validate_params (self, params, &fail))
    return TRUE;
  reply_fail (reply, &fail);
  return FALSE;
}

static gboolean
parse_uint_param (GHashTable *query,
                  const char *name,
                  guint64     fallback,
                  guint64    *out,
                  Fail       *fail)
{
  const char *value = query ? g_hash_table_lookup (query, name) : NULL;

  *out = fallback;
  if (value == NULL || *value == '\0')
    return TRUE;
  if (!is_digits (value) || !g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT32, out, NULL))
    {
      fail->param = name;
      fail->error = "invalidValue";
      return FALSE;
    }
  return TRUE;
}

/* ?offset= and ?limit=; the page is capped like a CMS's. Answers the
 * request when one is not a number. */
static gboolean
parse_paging (BkSimCluster *self,
              GHashTable   *query,
              guint64      *offset,
              guint64      *page,
              BkSimReply   *reply)
{
  Fail fail = { 0 };
  guint64 limit;

  if (!parse_uint_param (query, "offset", 0, offset, &fail) ||
      !parse_uint_param (query, "limit", G_MAXUINT32, &limit, &fail))
    {
      reply_fail (reply, &fail);
      return FALSE;
    }
  *page = self->page_cap > 0 ? MIN (limit, self->page_cap) : limit;
  return TRUE;
}

/* ---- collections ---- */

typedef gboolean (*Matcher) (BkSimObject *obj, gpointer data);
typedef void (*Writer) (BkSimNode *node, GString *out, BkSimObject *obj);

static gboolean
contains_ci (const char *haystack,
             const char *needle)
{
  gsize n = strlen (needle);

  if (haystack == NULL)
    return FALSE;
  for (; *haystack != '\0'; haystack++)
    if (g_ascii_strncasecmp (haystack, needle, n) == 0)
      return TRUE;
  return n == 0;
}

static const char * const default_filter_fields[] = { "name", "uri", "callId", "secondaryUri", NULL };

static void
list_collection (BkSimNode          *node,
                 GHashTable         *query,
                 BkSimReply         *reply,
                 BkSimCollection    *coll,
                 const char         *root,
                 Matcher             match,
                 gpointer            match_data,
                 const char * const *filter_fields,
                 Writer              write)
{
  guint64 offset, page;
  const char *filter = query ? g_hash_table_lookup (query, "filter") : NULL;
  GString *out;
  GString *items;
  guint total = 0, written = 0;
  g_autofree char *filter_lower = NULL;

  if (!parse_paging (node->cluster, query, &offset, &page, reply))
    return;
  if (filter != NULL && *filter == '\0')
    filter = NULL;
  if (filter_fields == NULL)
    filter_fields = default_filter_fields;

  items = g_string_new (NULL);
  filter_lower = filter ? g_ascii_strdown (filter, -1) : NULL;

  if (filter == NULL && match == NULL)
    {
      GSequenceIter *it;

      total = g_sequence_get_length (coll->order);
      it = g_sequence_get_iter_at_pos (coll->order, (int) MIN (offset, (guint64) total));
      for (; !g_sequence_iter_is_end (it) && written < page; it = g_sequence_iter_next (it))
        {
          write (node, items, g_sequence_get (it));
          written++;
        }
    }
  else
    {
      GSequenceIter *it;

      for (it = g_sequence_get_begin_iter (coll->order);
           !g_sequence_iter_is_end (it);
           it = g_sequence_iter_next (it))
        {
          BkSimObject *obj = g_sequence_get (it);
          gboolean hit = TRUE;

          if (match != NULL && !match (obj, match_data))
            continue;
          if (filter != NULL && filter_fields == default_filter_fields)
            {
              /* One lowercased string per object, rebuilt when a field changes. */
              if (obj->search == NULL)
                {
                  GString *text = g_string_new (NULL);

                  for (guint i = 0; filter_fields[i] != NULL; i++)
                    {
                      g_string_append (text, bk_sim_object_get (obj, filter_fields[i]) ?: "");
                      g_string_append_c (text, '\n');
                    }
                  obj->search = g_ascii_strdown (text->str, text->len);
                  g_string_free (text, TRUE);
                }
              hit = strstr (obj->search, filter_lower) != NULL;
            }
          else if (filter != NULL)
            {
              hit = FALSE;
              for (guint i = 0; filter_fields[i] != NULL && !hit; i++)
                hit = contains_ci (bk_sim_object_get (obj, filter_fields[i]), filter);
            }
          if (!hit)
            continue;
          if (total >= offset && written < page)
            {
              write (node, items, obj);
              written++;
            }
          total++;
        }
    }

  out = g_string_new (XML_PROLOG);
  g_string_append_printf (out, "<%s total=\"%u\">", root, total);
  g_string_append_len (out, items->str, items->len);
  g_string_append_printf (out, "</%s>", root);
  g_string_free (items, TRUE);
  reply_xml (reply, out);
}

static void
open_item (GString    *out,
           const char *element,
           const char *id)
{
  g_string_append_printf (out, "<%s id=\"", element);
  bk_sim_xml_escape (out, id);
  g_string_append (out, "\">");
}

static void
write_fields (GString            *out,
              BkSimObject        *obj,
              const char * const *only)
{
  if (only != NULL)
    {
      for (guint i = 0; only[i] != NULL; i++)
        {
          const char *v = bk_sim_object_get (obj, only[i]);

          if (v != NULL)
            bk_sim_xml_element (out, only[i], v);
        }
      return;
    }
  for (guint i = 0; i < obj->keys->len; i++)
    {
      const char *k = g_ptr_array_index (obj->keys, i);

      bk_sim_xml_element (out, k, bk_sim_object_get (obj, k));
    }
}

/* <element id="..."> with @fields (NULL: every field the object has) */
static void
write_item (GString            *out,
            const char         *element,
            BkSimObject        *obj,
            const char * const *fields)
{
  open_item (out, element, obj->id);
  write_fields (out, obj, fields);
  g_string_append_printf (out, "</%s>", element);
}

static guint64
age_seconds (BkSimObject *obj)
{
  return (guint64) ((g_get_monotonic_time () - obj->created_us) / G_USEC_PER_SEC);
}

/* ---- coSpaces ---- */

static const char * const cospace_summary[] = {
  "name", "autoGenerated", "uri", "secondaryUri", "callId", NULL,
};

static const char * const cospace_fields[] = {
  "name", "autoGenerated", "uri", "secondaryUri", "callId", "cdrTag", "passcode",
  "defaultLayout", "tenant", "callLegProfile", "callProfile", "callBrandingProfile",
  "requireCallId", "secret", "nonMemberAccess", "ownerJid", "ownerAdGuid",
  "streamUrl", "meetingScheduler", NULL,
};

static void
write_cospace_summary (BkSimNode   *node,
                       GString     *out,
                       BkSimObject *obj)
{
  write_item (out, "coSpace", obj, cospace_summary);
}

static void
write_cospace_detail (BkSimNode   *node,
                      GString     *out,
                      BkSimObject *obj)
{
  write_item (out, "coSpace", obj, cospace_fields);
}

static gboolean
cospace_check_unique (BkSimCluster *self,
                      BkSimObject  *space,
                      GHashTable   *params,
                      Fail         *fail)
{
  const char *keys[] = { "uri", "secondaryUri" };

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *v = g_hash_table_lookup (params, keys[i]);
      g_autofree char *folded = NULL;
      BkSimObject *other;

      if (v == NULL || *v == '\0')
        continue;
      folded = g_utf8_casefold (v, -1);
      other = g_hash_table_lookup (self->db.uri_index, folded);
      if (other != NULL && other != space)
        {
          fail->failure = "duplicateCoSpaceUri";
          return FALSE;
        }
    }
  {
    const char *v = g_hash_table_lookup (params, "callId");
    BkSimObject *other;

    if (v != NULL && *v != '\0' &&
        (other = g_hash_table_lookup (self->db.call_id_index, v)) != NULL &&
        other != space)
      {
        fail->failure = "duplicateCoSpaceId";
        return FALSE;
      }
  }
  return TRUE;
}

static void
cospace_apply (BkSimCluster *self,
               BkSimObject  *space,
               GHashTable   *params)
{
  const char *regen = g_hash_table_lookup (params, "regenerateSecret");

  for (guint i = 0; cospace_fields[i] != NULL; i++)
    {
      const char *v = g_hash_table_lookup (params, cospace_fields[i]);

      if (v == NULL || g_str_equal (cospace_fields[i], "autoGenerated"))
        continue;
      bk_sim_object_set (space, cospace_fields[i], *v != '\0' ? v : NULL);
    }
  if ((regen != NULL && g_str_equal (regen, "true")) ||
      bk_sim_object_get (space, "secret") == NULL)
    {
      g_autofree char *secret = bk_sim_cluster_new_secret (self);

      bk_sim_object_set (space, "secret", secret);
    }
}

/* @space: the coSpace being changed, NULL for a new one */
static gboolean
cospace_params_ok (BkSimCluster *self,
                   BkSimObject  *space,
                   GHashTable   *params,
                   Fail         *fail)
{
  return validate_params (self, params, fail) &&
         cospace_check_unique (self, space, params, fail);
}

static BkSimObject *
create_cospace (BkSimCluster *self,
                GHashTable   *params,
                Fail         *fail)
{
  BkSimObject *space;

  if (!cospace_params_ok (self, NULL, params, fail))
    return NULL;

  space = bk_sim_collection_add (self->db.cospaces, bk_sim_cluster_new_uuid (self));
  bk_sim_object_set (space, "autoGenerated", "false");
  cospace_apply (self, space, params);
  if (bk_sim_object_get (space, "nonMemberAccess") == NULL)
    bk_sim_object_set (space, "nonMemberAccess", "true");
  bk_sim_db_index_cospace (&self->db, space);
  return space;
}

BkSimObject *
bk_sim_model_create_cospace (BkSimCluster  *self,
                             GHashTable    *params,
                             const char   **failure,
                             const char   **bad_param)
{
  Fail fail = { 0 };
  BkSimObject *space = create_cospace (self, params, &fail);

  if (space == NULL)
    {
      if (failure != NULL)
        *failure = fail.failure;
      if (bad_param != NULL)
        *bad_param = fail.param;
    }
  return space;
}

static void
cospaces_post (BkSimNode  *node,
               GHashTable *form,
               BkSimReply *reply)
{
  Fail fail = { 0 };
  BkSimObject *space = create_cospace (node->cluster, form, &fail);

  if (space == NULL)
    {
      reply_fail (reply, &fail);
      return;
    }
  reply_created (reply, "coSpaces", space->id);
}

static void
cospace_put (BkSimNode   *node,
             BkSimObject *space,
             GHashTable  *form,
             BkSimReply  *reply)
{
  BkSimCluster *self = node->cluster;
  Fail fail = { 0 };

  if (!cospace_params_ok (self, space, form, &fail))
    {
      reply_fail (reply, &fail);
      return;
    }
  bk_sim_db_unindex_cospace (&self->db, space);
  cospace_apply (self, space, form);
  bk_sim_db_index_cospace (&self->db, space);
  reply_ok (reply);
}

/* ---- generic profile-like objects: store every field sent ---- */

static void
write_call_profile (BkSimNode *node, GString *out, BkSimObject *obj)
{
  write_item (out, "callProfile", obj, NULL);
}

static void
write_call_leg_profile (BkSimNode *node, GString *out, BkSimObject *obj)
{
  write_item (out, "callLegProfile", obj, NULL);
}

static void
write_bulk_set (BkSimNode *node, GString *out, BkSimObject *obj)
{
  write_item (out, "cospaceBulkParameterSet", obj, NULL);
}

static void
generic_apply (BkSimObject *obj,
               GHashTable  *form)
{
  GHashTableIter iter;
  const char *k, *v;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  /* Keep a stable order for fields first set together. */
  g_hash_table_iter_init (&iter, form);
  while (g_hash_table_iter_next (&iter, (gpointer *) &k, (gpointer *) &v))
    g_ptr_array_add (names, (gpointer) k);
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    {
      k = g_ptr_array_index (names, i);
      v = g_hash_table_lookup (form, k);
      bk_sim_object_set (obj, k, *v != '\0' ? v : NULL);
    }
}

/* ---- bulk syncs ---- */

static gboolean bulk_sync_step_cb (gpointer data);

static void
put_if (GHashTable *params,
        const char *key,
        char       *value)
{
  if (value != NULL)
    g_hash_table_insert (params, (gpointer) key, value);
}

static void
bulk_sync_set_status (BkSimObject *sync,
                      const char  *status)
{
  bk_sim_object_set (sync, "status", status);
}

static void
bulk_sync_execute (BkSimCluster *self,
                   BkSimObject  *sync)
{
  const char *set_id = bk_sim_object_get (sync, "cospaceBulkParameterSet");
  const char *remove_all = bk_sim_object_get (sync, "removeAll");
  BkSimObject *set = bk_sim_collection_lookup (self->db.bulk_sets, set_id);
  const char *s_start, *s_end;
  guint64 start = 0, end = 0;
  g_autoptr(GHashTable) new_uris = NULL;
  g_autoptr(GHashTable) new_ids = NULL;
  g_autoptr(GPtrArray) old = NULL;
  GSequenceIter *it;

  if (set == NULL)
    {
      bulk_sync_set_status (sync, "failedNoSuchParameterSet");
      return;
    }
  s_start = bk_sim_object_get (set, "startIndex");
  s_end = bk_sim_object_get (set, "endIndex");
  if (s_start != NULL)
    g_ascii_string_to_unsigned (s_start, 10, 0, G_MAXUINT32, &start, NULL);
  if (s_end != NULL)
    g_ascii_string_to_unsigned (s_end, 10, 0, G_MAXUINT32, &end, NULL);
  if (start > end)
    {
      bulk_sync_set_status (sync, "failedIndexRangeInvalid");
      return;
    }
  if (end - start + 1 > BK_SIM_BULK_SYNC_MAX_RANGE)
    {
      bulk_sync_set_status (sync, "failedIndexRangeTooGreat");
      return;
    }

  /* The spaces this set made before. */
  old = g_ptr_array_new ();
  for (it = g_sequence_get_begin_iter (self->db.cospaces->order);
       !g_sequence_iter_is_end (it); it = g_sequence_iter_next (it))
    {
      BkSimObject *space = g_sequence_get (it);

      if (g_strcmp0 (space->bulk_set, set->id) == 0)
        g_ptr_array_add (old, space);
    }

  if (remove_all != NULL && g_str_equal (remove_all, "true"))
    {
      for (guint i = 0; i < old->len; i++)
        bk_sim_db_remove_cospace (&self->db, g_ptr_array_index (old, i));
      bulk_sync_set_status (sync, "complete");
      return;
    }

  /* Check every URI and call ID before changing anything. */
  new_uris = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  new_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint64 i = start; i <= end; i++)
    {
      g_autofree char *uri = bk_sim_expand_mapping (bk_sim_object_get (set, "coSpaceUriMapping"), (gint64) i);
      g_autofree char *cid = bk_sim_expand_mapping (bk_sim_object_get (set, "coSpaceCallIdMapping"), (gint64) i);

      if (uri != NULL)
        {
          char *folded = g_utf8_casefold (uri, -1);
          BkSimObject *other = g_hash_table_lookup (self->db.uri_index, folded);

          if ((other != NULL && g_strcmp0 (other->bulk_set, set->id) != 0) ||
              g_hash_table_contains (new_uris, folded))
            {
              g_free (folded);
              bulk_sync_set_status (sync, "failedCoSpaceUriConflict");
              return;
            }
          g_hash_table_add (new_uris, folded);
        }
      if (cid != NULL)
        {
          BkSimObject *other = g_hash_table_lookup (self->db.call_id_index, cid);

          if (!is_digits (cid) ||
              (other != NULL && g_strcmp0 (other->bulk_set, set->id) != 0) ||
              g_hash_table_contains (new_ids, cid))
            {
              bulk_sync_set_status (sync, "failedCallIdConflict");
              return;
            }
          g_hash_table_add (new_ids, g_steal_pointer (&cid));
        }
    }

  for (guint i = 0; i < old->len; i++)
    bk_sim_db_remove_cospace (&self->db, g_ptr_array_index (old, i));

  for (guint64 i = start; i <= end; i++)
    {
      g_autoptr(GHashTable) params = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      BkSimObject *space;
      const char *v;

      put_if (params, "name",
              bk_sim_expand_mapping (bk_sim_object_get (set, "coSpaceNameMapping"), (gint64) i));
      put_if (params, "uri",
              bk_sim_expand_mapping (bk_sim_object_get (set, "coSpaceUriMapping"), (gint64) i));
      put_if (params, "callId",
              bk_sim_expand_mapping (bk_sim_object_get (set, "coSpaceCallIdMapping"), (gint64) i));
      if ((v = bk_sim_object_get (set, "callProfile")) != NULL &&
          bk_sim_collection_lookup (self->db.call_profiles, v) != NULL)
        put_if (params, "callProfile", g_strdup (v));
      if ((v = bk_sim_object_get (set, "callLegProfile")) != NULL &&
          bk_sim_collection_lookup (self->db.call_leg_profiles, v) != NULL)
        put_if (params, "callLegProfile", g_strdup (v));
      put_if (params, "nonMemberAccess", g_strdup (bk_sim_object_get (set, "nonMemberAccess")));
      space = bk_sim_model_create_cospace (self, params, NULL, NULL);
      if (space != NULL)
        space->bulk_set = g_strdup (set->id);
    }
  bulk_sync_set_status (sync, "complete");
}

static gboolean
bulk_sync_step_cb (gpointer data)
{
  BkSimObject *sync = data;
  BkSimCluster *self = sync->cluster;

  sync->timeout_id = 0;
  if (g_str_equal (bk_sim_object_get (sync, "status"), "pending"))
    {
      bulk_sync_set_status (sync, "running");
      sync->timeout_id = g_timeout_add (MAX (self->bulk_sync_delay / 2, 1), bulk_sync_step_cb, sync);
    }
  else
    bulk_sync_execute (self, sync);
  return G_SOURCE_REMOVE;
}

static void
write_bulk_sync (BkSimNode   *node,
                 GString     *out,
                 BkSimObject *obj)
{
  static const char * const fields[] = { "cospaceBulkParameterSet", "status", NULL };

  write_item (out, "cospaceBulkSync", obj, fields);
}

static void
bulk_syncs_post (BkSimNode  *node,
                 GHashTable *form,
                 BkSimReply *reply)
{
  BkSimCluster *self = node->cluster;
  const char *set_id = required_param (form, "cospaceBulkParameterSet", reply);
  const char *remove_all = g_hash_table_lookup (form, "removeAll");
  BkSimObject *sync;

  if (set_id == NULL)
    return;
  if (remove_all != NULL && !g_str_equal (remove_all, "true") && !g_str_equal (remove_all, "false"))
    {
      reply_param (reply, "removeAll", "invalidValue");
      return;
    }

  sync = bk_sim_collection_add (self->db.bulk_syncs, bk_sim_cluster_new_uuid (self));
  sync->cluster = self;
  bk_sim_object_set (sync, "cospaceBulkParameterSet", set_id);
  bk_sim_object_set (sync, "removeAll", remove_all ? remove_all : "false");
  if (self->bulk_sync_delay == 0)
    bulk_sync_execute (self, sync);
  else
    {
      bulk_sync_set_status (sync, "pending");
      sync->timeout_id = g_timeout_add (MAX (self->bulk_sync_delay / 2, 1), bulk_sync_step_cb, sync);
    }
  reply_created (reply, "cospaceBulkSyncs", sync->id);
}

/* ---- calls, call legs, participants ---- */

/* @call's legs on @node in list order (only the connected ones if
 * @connected_only); the array does not own them. */
static GPtrArray *
call_legs (BkSimNode   *node,
           BkSimObject *call,
           gboolean     connected_only)
{
  GPtrArray *legs = g_ptr_array_new ();
  GSequenceIter *it;

  for (it = g_sequence_get_begin_iter (node->legs->order);
       !g_sequence_iter_is_end (it); it = g_sequence_iter_next (it))
    {
      BkSimObject *leg = g_sequence_get (it);

      if (g_strcmp0 (bk_sim_object_get (leg, "call"), call->id) == 0 &&
          (!connected_only || leg->leg_state == BK_SIM_LEG_CONNECTED))
        g_ptr_array_add (legs, leg);
    }
  return legs;
}

static guint
call_count_legs (BkSimNode   *node,
                 BkSimObject *call,
                 gboolean     connected_only)
{
  g_autoptr(GPtrArray) legs = call_legs (node, call, connected_only);

  return legs->len;
}

static void
write_call_summary (BkSimNode   *node,
                    GString     *out,
                    BkSimObject *obj)
{
  static const char * const fields[] = { "name", "coSpace", "callCorrelator", NULL };

  write_item (out, "call", obj, fields);
}

static void
write_call_detail (BkSimNode   *node,
                   GString     *out,
                   BkSimObject *obj)
{
  static const char * const fields[] = { "coSpace", "callCorrelator", "name", NULL };

  open_item (out, "call", obj->id);
  write_fields (out, obj, fields);
  bk_sim_xml_element_uint (out, "durationSeconds", age_seconds (obj));
  bk_sim_xml_element_uint (out, "numCallLegs", call_count_legs (node, obj, FALSE));
  bk_sim_xml_element_uint (out, "maxCallLegs", (guint64) g_ascii_strtoull (bk_sim_object_get (obj, "maxCallLegs") ?: "0", NULL, 10));
  bk_sim_xml_element_uint (out, "numParticipantsLocal", call_count_legs (node, obj, TRUE));
  bk_sim_xml_element_uint (out, "numParticipantsRemote", 0);
  bk_sim_xml_element_uint (out, "numDistributedInstances", 0);
  bk_sim_xml_element_bool (out, "activeWhenEmpty", TRUE);
  g_string_append (out, "</call>");
}

static gboolean
call_match_cospace (BkSimObject *obj,
                    gpointer     data)
{
  return g_ascii_strcasecmp (bk_sim_object_get (obj, "coSpace") ?: "", data) == 0;
}

static void
calls_post (BkSimNode  *node,
            GHashTable *form,
            BkSimReply *reply)
{
  BkSimCluster *self = node->cluster;
  const char *cospace_id = required_param (form, "coSpace", reply);
  const char *name = g_hash_table_lookup (form, "name");
  BkSimObject *space, *call;
  g_autofree char *correlator = NULL;

  if (cospace_id == NULL || !params_valid_or_reply (self, form, reply))
    return;
  space = bk_sim_collection_lookup (self->db.cospaces, cospace_id);
  if (space == NULL)
    {
      reply_failure (reply, 400, "coSpaceDoesNotExist");
      return;
    }

  call = bk_sim_collection_add (node->calls, bk_sim_cluster_new_uuid (self));
  call->node = node->index;
  call->cluster = self;
  correlator = bk_sim_cluster_new_uuid (self);
  bk_sim_object_set (call, "name", (name != NULL && *name != '\0') ? name : (bk_sim_object_get (space, "name") ?: ""));
  bk_sim_object_set (call, "coSpace", space->id);
  bk_sim_object_set (call, "callCorrelator", correlator);
  bk_sim_node_cdr_event (node);
  reply_created (reply, "calls", call->id);
}

void
bk_sim_model_end_leg (BkSimNode   *node,
                      BkSimObject *leg)
{
  node->legs_completed++;
  bk_sim_node_cdr_event (node);
  bk_sim_collection_remove (node->legs, leg);
}

void
bk_sim_model_end_call (BkSimNode   *node,
                       BkSimObject *call)
{
  g_autoptr(GPtrArray) legs = call_legs (node, call, FALSE);

  for (guint i = 0; i < legs->len; i++)
    bk_sim_model_end_leg (node, g_ptr_array_index (legs, i));
  bk_sim_node_cdr_event (node);
  bk_sim_collection_remove (node->calls, call);
}

static gboolean
leg_connect_cb (gpointer data)
{
  BkSimObject *leg = data;
  BkSimNode *node = bk_sim_cluster_get_node (leg->cluster, leg->node);
  g_autofree char *line = NULL;

  leg->timeout_id = 0;
  leg->leg_state = BK_SIM_LEG_CONNECTED;
  bk_sim_node_cdr_event (node);
  line = g_strdup_printf ("participant \"%s\" joined space", bk_sim_object_get (leg, "remoteParty"));
  bk_sim_trace_line (node, 0, line);
  return G_SOURCE_REMOVE;
}

static guint
node_active_legs (BkSimNode *node)
{
  return bk_sim_collection_size (node->legs);
}

static void
legs_post (BkSimNode   *node,
           BkSimObject *call,
           GHashTable  *form,
           BkSimReply  *reply)
{
  BkSimCluster *self = node->cluster;
  const char *remote = required_param (form, "remoteParty", reply);
  BkSimObject *leg;

  if (remote == NULL || !params_valid_or_reply (self, form, reply))
    return;

  leg = bk_sim_collection_add (node->legs, bk_sim_cluster_new_uuid (self));
  leg->node = node->index;
  leg->cluster = self;
  leg->participant_id = bk_sim_cluster_new_uuid (self);
  leg->leg_state = BK_SIM_LEG_RINGING;
  bk_sim_object_set (leg, "name", g_hash_table_lookup (form, "name") ?: "");
  bk_sim_object_set (leg, "remoteParty", remote);
  bk_sim_object_set (leg, "call", call->id);
  if (g_hash_table_lookup (form, "callLegProfile") != NULL)
    bk_sim_object_set (leg, "callLegProfile", g_hash_table_lookup (form, "callLegProfile"));
  node->legs_max_active = MAX (node->legs_max_active, node_active_legs (node));
  bk_sim_node_cdr_event (node);

  if (self->unanswered == NULL || !g_pattern_spec_match_string (self->unanswered, remote))
    {
      if (self->leg_delay == 0)
        leg_connect_cb (leg);
      else
        leg->timeout_id = g_timeout_add (self->leg_delay, leg_connect_cb, leg);
    }
  reply_created (reply, "callLegs", leg->id);
}

static void
write_leg_summary (BkSimNode   *node,
                   GString     *out,
                   BkSimObject *obj)
{
  static const char * const fields[] = { "name", "remoteParty", "call", NULL };

  write_item (out, "callLeg", obj, fields);
}

static const char *
leg_state_name (BkSimObject *leg)
{
  return leg->leg_state == BK_SIM_LEG_CONNECTED ? "connected" : "ringing";
}

static void
write_leg_detail (BkSimNode   *node,
                  GString     *out,
                  BkSimObject *obj)
{
  open_item (out, "callLeg", obj->id);
  bk_sim_xml_element (out, "name", bk_sim_object_get (obj, "name"));
  bk_sim_xml_element (out, "remoteParty", bk_sim_object_get (obj, "remoteParty"));
  bk_sim_xml_element (out, "originalRemoteParty", bk_sim_object_get (obj, "remoteParty"));
  bk_sim_xml_element (out, "call", bk_sim_object_get (obj, "call"));
  bk_sim_xml_element (out, "type", "sip");
  bk_sim_xml_element (out, "direction", "outgoing");
  bk_sim_xml_element_bool (out, "canMove", FALSE);
  if (bk_sim_object_get (obj, "callLegProfile") != NULL)
    bk_sim_xml_element (out, "callLegProfile", bk_sim_object_get (obj, "callLegProfile"));
  g_string_append (out, "<status>");
  bk_sim_xml_element (out, "state", leg_state_name (obj));
  bk_sim_xml_element_uint (out, "durationSeconds", age_seconds (obj));
  bk_sim_xml_element (out, "direction", "outgoing");
  bk_sim_xml_element_bool (out, "encryptedMedia", TRUE);
  bk_sim_xml_element_bool (out, "unencryptedMedia", FALSE);
  g_string_append (out, "</status>");
  g_string_append (out, "</callLeg>");
}

static gboolean
leg_match_call (BkSimObject *obj,
                gpointer     data)
{
  return g_ascii_strcasecmp (bk_sim_object_get (obj, "call") ?: "", data) == 0;
}

static gboolean
leg_match_participant (BkSimObject *obj,
                       gpointer     data)
{
  const char *call = data;

  return obj->leg_state == BK_SIM_LEG_CONNECTED &&
         (call == NULL || g_ascii_strcasecmp (bk_sim_object_get (obj, "call") ?: "", call) == 0);
}

/* A leg's participant is named like the leg, or after its remote party. */
static const char *
participant_name (BkSimObject *leg)
{
  const char *name = bk_sim_object_get (leg, "name");

  return (name && *name) ? name : bk_sim_object_get (leg, "remoteParty");
}

static void
write_participant_summary (BkSimNode   *node,
                           GString     *out,
                           BkSimObject *leg)
{
  open_item (out, "participant", leg->participant_id);
  bk_sim_xml_element (out, "name", participant_name (leg));
  bk_sim_xml_element (out, "call", bk_sim_object_get (leg, "call"));
  bk_sim_xml_element (out, "callBridge", node->id);
  g_string_append (out, "</participant>");
}

static void
write_participant_detail (BkSimNode   *node,
                          GString     *out,
                          BkSimObject *leg)
{
  open_item (out, "participant", leg->participant_id);
  bk_sim_xml_element (out, "call", bk_sim_object_get (leg, "call"));
  bk_sim_xml_element_uint (out, "numCallLegs", 1);
  bk_sim_xml_element (out, "name", participant_name (leg));
  bk_sim_xml_element (out, "uri", bk_sim_object_get (leg, "remoteParty"));
  bk_sim_xml_element (out, "originalUri", bk_sim_object_get (leg, "remoteParty"));
  bk_sim_xml_element_bool (out, "isActivator", TRUE);
  bk_sim_xml_element_bool (out, "canMove", FALSE);
  g_string_append (out, "<status>");
  bk_sim_xml_element (out, "state", "connected");
  g_string_append (out, "</status></participant>");
}

static BkSimObject *
find_participant (BkSimNode  *node,
                  const char *id)
{
  GSequenceIter *it;

  for (it = g_sequence_get_begin_iter (node->legs->order);
       !g_sequence_iter_is_end (it); it = g_sequence_iter_next (it))
    {
      BkSimObject *leg = g_sequence_get (it);

      if (leg->leg_state == BK_SIM_LEG_CONNECTED &&
          g_ascii_strcasecmp (leg->participant_id, id) == 0)
        return leg;
    }
  return NULL;
}

/* ---- system ---- */

static void
write_status (BkSimNode  *node,
              BkSimReply *reply)
{
  BkSimCluster *self = node->cluster;
  GString *out = g_string_new (XML_PROLOG);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *cdr_time = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  guint active = node_active_legs (node);
  guint connected = 0;
  GSequenceIter *it;

  for (it = g_sequence_get_begin_iter (node->legs->order);
       !g_sequence_iter_is_end (it); it = g_sequence_iter_next (it))
    if (((BkSimObject *) g_sequence_get (it))->leg_state == BK_SIM_LEG_CONNECTED)
      connected++;

  g_string_append (out, "<status>");
  bk_sim_xml_element (out, "softwareVersion", "3.6.1");
  bk_sim_xml_element_uint (out, "uptimeSeconds",
                           self->uptime_offset_s +
                           (guint64) ((g_get_monotonic_time () - self->start_us) / G_USEC_PER_SEC));
  bk_sim_xml_element (out, "cdrTime", cdr_time);
  bk_sim_xml_element_bool (out, "activated", TRUE);
  bk_sim_xml_element_bool (out, "clusterEnabled", self->n_nodes > 1);
  bk_sim_xml_element (out, "clusterId", self->cluster_id);
  bk_sim_xml_element (out, "hostId", node->id);
  bk_sim_xml_element_uint (out, "cdrCorrelatorIndex", node->cdr_index);
  bk_sim_xml_element_uint (out, "callLegsActive", active);
  bk_sim_xml_element_uint (out, "callLegsMaxActive", node->legs_max_active);
  bk_sim_xml_element_uint (out, "callLegsCompleted", node->legs_completed);
  bk_sim_xml_element_uint (out, "audioBitRateOutgoing", (guint64) connected * 64000);
  bk_sim_xml_element_uint (out, "audioBitRateIncoming", (guint64) connected * 64000);
  bk_sim_xml_element_uint (out, "videoBitRateOutgoing", (guint64) connected * 1920000);
  bk_sim_xml_element_uint (out, "videoBitRateIncoming", (guint64) connected * 1536000);
  g_string_append (out, "</status>");
  reply_xml (reply, out);
}

static void
write_alarm (BkSimNode   *node,
             GString     *out,
             BkSimObject *obj)
{
  open_item (out, "alarm", obj->id);
  bk_sim_xml_element (out, "type", bk_sim_object_get (obj, "type"));
  bk_sim_xml_element_uint (out, "activeTimeSeconds", age_seconds (obj));
  if (bk_sim_object_get (obj, "failureReason") != NULL)
    bk_sim_xml_element (out, "failureReason", bk_sim_object_get (obj, "failureReason"));
  g_string_append (out, "</alarm>");
}

static void
write_call_bridges (BkSimNode  *node,
                    GHashTable *query,
                    BkSimReply *reply)
{
  BkSimCluster *self = node->cluster;
  GString *out;
  guint64 offset, page;
  guint written = 0;

  if (!parse_paging (self, query, &offset, &page, reply))
    return;
  out = g_string_new (XML_PROLOG);
  g_string_append_printf (out, "<callBridges total=\"%u\">", self->n_nodes);
  for (guint i = (guint) MIN (offset, self->n_nodes); i < self->n_nodes && written < page; i++, written++)
    {
      BkSimNode *n = g_ptr_array_index (self->nodes, i);

      open_item (out, "callBridge", n->id);
      bk_sim_xml_element (out, "name", n->name);
      g_string_append (out, "</callBridge>");
    }
  g_string_append (out, "</callBridges>");
  reply_xml (reply, out);
}

static BkSimNode *
find_node_by_id (BkSimCluster *self,
                 const char   *id)
{
  for (guint i = 0; i < self->n_nodes; i++)
    {
      BkSimNode *n = g_ptr_array_index (self->nodes, i);

      if (g_ascii_strcasecmp (n->id, id) == 0)
        return n;
    }
  return NULL;
}

/* ---- routing ---- */

static gboolean
seg_is (char      **segs,
        guint       n_segs,
        guint       i,
        const char *name)
{
  return i < n_segs && g_ascii_strcasecmp (segs[i], name) == 0;
}

static void
single_object (BkSimNode       *node,
               const char      *method,
               GHashTable      *form,
               BkSimReply      *reply,
               BkSimCollection *coll,
               BkSimObject     *obj,
               const char      *missing,
               Writer           write)
{
  if (obj == NULL)
    {
      reply_failure (reply, 404, missing);
      return;
    }
  if (g_str_equal (method, "GET"))
    {
      GString *out = g_string_new (XML_PROLOG);

      write (node, out, obj);
      reply_xml (reply, out);
    }
  else if (g_str_equal (method, "PUT"))
    {
      if (!params_valid_or_reply (node->cluster, form, reply))
        return;
      generic_apply (obj, form);
      reply_ok (reply);
    }
  else if (g_str_equal (method, "DELETE"))
    {
      bk_sim_collection_remove (coll, obj);
      reply_ok (reply);
    }
  else
    reply_failure (reply, 400, "invalidOperation");
}

static void
generic_collection (BkSimNode       *node,
                    const char      *method,
                    char           **segs,
                    guint            n_segs,
                    GHashTable      *query,
                    GHashTable      *form,
                    BkSimReply      *reply,
                    BkSimCollection *coll,
                    const char      *root,
                    const char      *missing,
                    Writer           write)
{
  BkSimCluster *self = node->cluster;

  if (n_segs == 1)
    {
      if (g_str_equal (method, "GET"))
        list_collection (node, query, reply, coll, root, NULL, NULL, NULL, write);
      else if (g_str_equal (method, "POST"))
        {
          BkSimObject *obj;

          if (!params_valid_or_reply (self, form, reply))
            return;
          obj = bk_sim_collection_add (coll, bk_sim_cluster_new_uuid (self));
          generic_apply (obj, form);
          reply_created (reply, root, obj->id);
        }
      else
        reply_failure (reply, 400, "invalidOperation");
      return;
    }
  if (n_segs == 2)
    {
      single_object (node, method, form, reply, coll,
                     bk_sim_collection_lookup (coll, segs[1]), missing, write);
      return;
    }
  reply_failure (reply, 400, "unrecognizedObject");
}

static void
route_cospaces (BkSimNode  *node,
                const char *method,
                char      **segs,
                guint       n_segs,
                GHashTable *query,
                GHashTable *form,
                BkSimReply *reply)
{
  BkSimCluster *self = node->cluster;
  BkSimObject *space;

  if (n_segs == 1)
    {
      if (g_str_equal (method, "GET"))
        list_collection (node, query, reply, self->db.cospaces, "coSpaces",
                         NULL, NULL, NULL, write_cospace_summary);
      else if (g_str_equal (method, "POST"))
        cospaces_post (node, form, reply);
      else
        reply_failure (reply, 400, "invalidOperation");
      return;
    }
  if (n_segs != 2)
    {
      reply_failure (reply, 400, "unrecognizedObject");
      return;
    }
  space = bk_sim_collection_lookup (self->db.cospaces, segs[1]);
  if (space == NULL)
    reply_failure (reply, 404, "coSpaceDoesNotExist");
  else if (g_str_equal (method, "PUT"))
    cospace_put (node, space, form, reply);
  else if (g_str_equal (method, "DELETE"))
    {
      bk_sim_db_remove_cospace (&self->db, space);
      reply_ok (reply);
    }
  else
    single_object (node, method, form, reply, self->db.cospaces, space,
                   "coSpaceDoesNotExist", write_cospace_detail);
}

static void
route_bulk_syncs (BkSimNode  *node,
                  const char *method,
                  char      **segs,
                  guint       n_segs,
                  GHashTable *query,
                  GHashTable *form,
                  BkSimReply *reply)
{
  BkSimCluster *self = node->cluster;

  if (n_segs == 1 && g_str_equal (method, "POST"))
    bulk_syncs_post (node, form, reply);
  else if (n_segs == 1 && g_str_equal (method, "GET"))
    list_collection (node, query, reply, self->db.bulk_syncs, "cospaceBulkSyncs",
                     NULL, NULL, NULL, write_bulk_sync);
  else if (n_segs == 2 && g_str_equal (method, "GET"))
    single_object (node, method, form, reply, self->db.bulk_syncs,
                   bk_sim_collection_lookup (self->db.bulk_syncs, segs[1]),
                   "cospaceBulkSyncDoesNotExist", write_bulk_sync);
  else if (n_segs <= 2)
    reply_failure (reply, 400, "invalidOperation");
  else
    reply_failure (reply, 400, "unrecognizedObject");
}

static void
route_calls (BkSimNode  *node,
             const char *method,
             char      **segs,
             guint       n_segs,
             GHashTable *query,
             GHashTable *form,
             BkSimReply *reply)
{
  BkSimObject *call;

  if (n_segs == 1)
    {
      if (g_str_equal (method, "GET"))
        {
          const char *cs = query ? g_hash_table_lookup (query, "coSpaceFilter") : NULL;

          list_collection (node, query, reply, node->calls, "calls",
                           (cs && *cs) ? call_match_cospace : NULL, (gpointer) cs,
                           NULL, write_call_summary);
        }
      else if (g_str_equal (method, "POST"))
        calls_post (node, form, reply);
      else
        reply_failure (reply, 400, "invalidOperation");
      return;
    }
  if (n_segs > 3)
    {
      reply_failure (reply, 400, "unrecognizedObject");
      return;
    }
  if (n_segs == 3 && !seg_is (segs, n_segs, 2, "callLegs") && !seg_is (segs, n_segs, 2, "participants"))
    {
      reply_failure (reply, 400, "unrecognizedObject");
      return;
    }
  call = bk_sim_collection_lookup (node->calls, segs[1]);
  if (call == NULL)
    {
      reply_failure (reply, 404, "callDoesNotExist");
      return;
    }
  if (n_segs == 3 && seg_is (segs, n_segs, 2, "callLegs"))
    {
      if (g_str_equal (method, "POST"))
        legs_post (node, call, form, reply);
      else if (g_str_equal (method, "GET"))
        list_collection (node, query, reply, node->legs, "callLegs", leg_match_call, call->id,
                         NULL, write_leg_summary);
      else
        reply_failure (reply, 400, "invalidOperation");
      return;
    }
  if (n_segs == 3)
    {
      if (g_str_equal (method, "GET"))
        list_collection (node, query, reply, node->legs, "participants", leg_match_participant,
                         call->id, NULL, write_participant_summary);
      else
        reply_failure (reply, 400, "invalidOperation");
      return;
    }
  if (g_str_equal (method, "DELETE"))
    {
      bk_sim_model_end_call (node, call);
      reply_ok (reply);
    }
  else
    single_object (node, method, form, reply, node->calls, call, "callDoesNotExist",
                   write_call_detail);
}

static void
route_legs (BkSimNode  *node,
            const char *method,
            char      **segs,
            guint       n_segs,
            GHashTable *query,
            GHashTable *form,
            BkSimReply *reply)
{
  static const char * const filter_fields[] = { "name", "remoteParty", NULL };
  BkSimObject *leg;

  if (n_segs == 1)
    {
      if (g_str_equal (method, "GET"))
        list_collection (node, query, reply, node->legs, "callLegs", NULL, NULL,
                         filter_fields, write_leg_summary);
      else
        reply_failure (reply, 400, "invalidOperation");
      return;
    }
  if (n_segs != 2)
    {
      reply_failure (reply, 400, "unrecognizedObject");
      return;
    }
  leg = bk_sim_collection_lookup (node->legs, segs[1]);
  if (leg == NULL)
    reply_failure (reply, 404, "callLegDoesNotExist");
  else if (g_str_equal (method, "DELETE"))
    {
      bk_sim_model_end_leg (node, leg);
      reply_ok (reply);
    }
  else
    single_object (node, method, form, reply, node->legs, leg, "callLegDoesNotExist",
                   write_leg_detail);
}

static void
route_participants (BkSimNode  *node,
                    const char *method,
                    char      **segs,
                    guint       n_segs,
                    GHashTable *query,
                    BkSimReply *reply)
{
  static const char * const filter_fields[] = { "name", "remoteParty", NULL };

  if (n_segs > 2)
    {
      reply_failure (reply, 400, "unrecognizedObject");
      return;
    }
  if (!g_str_equal (method, "GET"))
    {
      reply_failure (reply, 400, "invalidOperation");
      return;
    }
  if (n_segs == 1)
    {
      list_collection (node, query, reply, node->legs, "participants", leg_match_participant,
                       NULL, filter_fields, write_participant_summary);
    }
  else
    {
      BkSimObject *leg = find_participant (node, segs[1]);

      if (leg == NULL)
        reply_failure (reply, 404, "participantDoesNotExist");
      else
        {
          GString *out = g_string_new (XML_PROLOG);

          write_participant_detail (node, out, leg);
          reply_xml (reply, out);
        }
    }
}

static void
route_system (BkSimNode  *node,
              const char *method,
              char      **segs,
              guint       n_segs,
              GHashTable *query,
              BkSimReply *reply)
{
  BkSimCluster *self = node->cluster;

  if (n_segs == 2 && seg_is (segs, n_segs, 1, "status"))
    {
      if (g_str_equal (method, "GET"))
        write_status (node, reply);
      else
        reply_failure (reply, 400, "invalidOperation");
    }
  else if (n_segs == 2 && seg_is (segs, n_segs, 1, "alarms"))
    {
      if (g_str_equal (method, "GET"))
        list_collection (node, query, reply, self->db.alarms, "alarms", NULL, NULL, NULL, write_alarm);
      else
        reply_failure (reply, 400, "invalidOperation");
    }
  else if (n_segs == 3 && seg_is (segs, n_segs, 1, "configuration") && seg_is (segs, n_segs, 2, "cluster"))
    {
      GString *out;

      if (!g_str_equal (method, "GET") && !g_str_equal (method, "PUT"))
        {
          reply_failure (reply, 400, "invalidOperation");
          return;
        }
      if (g_str_equal (method, "PUT"))
        {
          reply_ok (reply);
          return;
        }
      out = g_string_new (XML_PROLOG);
      g_string_append (out, "<cluster>");
      bk_sim_xml_element (out, "uniqueName", node->name);
      bk_sim_xml_element_uint (out, "peerLinkBitRate", 0);
      bk_sim_xml_element_uint (out, "participantLimit", 0);
      bk_sim_xml_element_uint (out, "newConferenceLoadLimitBasisPoints", 5000);
      bk_sim_xml_element_uint (out, "existingConferenceLoadLimitBasisPoints", 8000);
      g_string_append (out, "</cluster>");
      reply_xml (reply, out);
    }
  else
    reply_failure (reply, 400, "unrecognizedObject");
}

void
bk_sim_model_dispatch (BkSimNode  *node,
                       const char *method,
                       const char *path,
                       GHashTable *query,
                       GHashTable *form,
                       BkSimReply *reply)
{
  BkSimCluster *self = node->cluster;
  g_auto(GStrv) raw = NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  char **segs;
  guint n;
  g_autoptr(GHashTable) empty = NULL;

  if (form == NULL)
    form = empty = g_hash_table_new (g_str_hash, g_str_equal);

  if (g_ascii_strncasecmp (path, "/api/v1/", 8) != 0)
    {
      reply_failure (reply, 400, "unrecognizedObject");
      return;
    }
  raw = g_strsplit (path + 8, "/", -1);
  for (guint i = 0; raw[i] != NULL; i++)
    if (*raw[i] != '\0')
      g_ptr_array_add (parts, raw[i]);
  g_ptr_array_add (parts, NULL);
  segs = (char **) parts->pdata;
  n = parts->len - 1;

  if (n == 0)
    reply_failure (reply, 400, "unrecognizedObject");
  else if (seg_is (segs, n, 0, "system"))
    route_system (node, method, segs, n, query, reply);
  else if (seg_is (segs, n, 0, "callBridges"))
    {
      if (!g_str_equal (method, "GET"))
        reply_failure (reply, 400, "invalidOperation");
      else if (n == 1)
        write_call_bridges (node, query, reply);
      else if (n == 2)
        {
          BkSimNode *other = find_node_by_id (self, segs[1]);
          GString *out;

          if (other == NULL)
            {
              reply_failure (reply, 404, "callBridgeDoesNotExist");
              return;
            }
          out = g_string_new (XML_PROLOG);
          open_item (out, "callBridge", other->id);
          bk_sim_xml_element (out, "name", other->name);
          bk_sim_xml_element (out, "address", other->url);
          bk_sim_xml_element (out, "sipDomain", "");
          g_string_append (out, "</callBridge>");
          reply_xml (reply, out);
        }
      else
        reply_failure (reply, 400, "unrecognizedObject");
    }
  else if (seg_is (segs, n, 0, "coSpaces"))
    route_cospaces (node, method, segs, n, query, form, reply);
  else if (seg_is (segs, n, 0, "callProfiles"))
    generic_collection (node, method, segs, n, query, form, reply, self->db.call_profiles,
                        "callProfiles", "callProfileDoesNotExist", write_call_profile);
  else if (seg_is (segs, n, 0, "callLegProfiles"))
    generic_collection (node, method, segs, n, query, form, reply, self->db.call_leg_profiles,
                        "callLegProfiles", "callLegProfileDoesNotExist", write_call_leg_profile);
  else if (seg_is (segs, n, 0, "cospaceBulkParameterSets"))
    generic_collection (node, method, segs, n, query, form, reply, self->db.bulk_sets,
                        "cospaceBulkParameterSets", "cospaceBulkParameterSetDoesNotExist",
                        write_bulk_set);
  else if (seg_is (segs, n, 0, "cospaceBulkSyncs"))
    route_bulk_syncs (node, method, segs, n, query, form, reply);
  else if (seg_is (segs, n, 0, "calls"))
    route_calls (node, method, segs, n, query, form, reply);
  else if (seg_is (segs, n, 0, "callLegs"))
    route_legs (node, method, segs, n, query, form, reply);
  else if (seg_is (segs, n, 0, "participants"))
    route_participants (node, method, segs, n, query, reply);
  else
    reply_failure (reply, 400, "unrecognizedObject");
}
