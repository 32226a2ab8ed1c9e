/* bk-sim-db.c: objects, ordered collections and the shared configuration
 * database of the simulated cluster
 *
 * Collections index objects by id in a GHashTable and keep creation order in
 * a GSequence, so a page at any offset costs O(log n + page).
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkSimDb"

#include "config.h"

#include <string.h>

#include "bk-sim-private.h"

static void
bk_sim_object_free (BkSimObject *obj)
{
  if (obj->timeout_id != 0)
    g_source_remove (obj->timeout_id);
  g_free (obj->id);
  g_hash_table_unref (obj->fields);
  g_ptr_array_unref (obj->keys);
  g_free (obj->bulk_set);
  g_free (obj->participant_id);
  g_free (obj->search);
  g_free (obj);
}

BkSimCollection *
bk_sim_collection_new (void)
{
  BkSimCollection *coll = g_new0 (BkSimCollection, 1);

  coll->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                       (GDestroyNotify) bk_sim_object_free);
  coll->order = g_sequence_new (NULL);
  return coll;
}

void
bk_sim_collection_clear (BkSimCollection *coll)
{
  g_sequence_remove_range (g_sequence_get_begin_iter (coll->order),
                           g_sequence_get_end_iter (coll->order));
  g_hash_table_remove_all (coll->by_id);
}

void
bk_sim_collection_free (BkSimCollection *coll)
{
  if (coll == NULL)
    return;
  g_sequence_free (coll->order);
  g_hash_table_unref (coll->by_id);
  g_free (coll);
}

BkSimObject *
bk_sim_collection_lookup (BkSimCollection *coll,
                          const char      *id)
{
  g_autofree char *lower = NULL;

  if (id == NULL)
    return NULL;
  lower = g_ascii_strdown (id, -1);
  return g_hash_table_lookup (coll->by_id, lower);
}

BkSimObject *
bk_sim_collection_add (BkSimCollection *coll,
                       char            *id)
{
  BkSimObject *obj = g_new0 (BkSimObject, 1);

  obj->id = id;
  obj->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  obj->keys = g_ptr_array_new ();
  obj->created_us = g_get_monotonic_time ();
  obj->iter = g_sequence_append (coll->order, obj);
  g_hash_table_insert (coll->by_id, obj->id, obj);
  return obj;
}

void
bk_sim_collection_remove (BkSimCollection *coll,
                          BkSimObject     *obj)
{
  g_sequence_remove (obj->iter);
  g_hash_table_remove (coll->by_id, obj->id);
}

guint
bk_sim_collection_size (BkSimCollection *coll)
{
  return g_hash_table_size (coll->by_id);
}

const char *
bk_sim_object_get (BkSimObject *obj,
                   const char  *field)
{
  return g_hash_table_lookup (obj->fields, field);
}

void
bk_sim_object_set (BkSimObject *obj,
                   const char  *field,
                   const char  *value)
{
  char *key;

  g_clear_pointer (&obj->search, g_free);
  if (value == NULL)
    {
      guint i;

      for (i = 0; i < obj->keys->len; i++)
        if (g_str_equal (g_ptr_array_index (obj->keys, i), field))
          {
            g_ptr_array_remove_index (obj->keys, i);
            break;
          }
      g_hash_table_remove (obj->fields, field);
      return;
    }

  if (g_hash_table_contains (obj->fields, field))
    {
      /* g_hash_table_insert() keeps the existing key: the order array stays valid. */
      g_hash_table_insert (obj->fields, g_strdup (field), g_strdup (value));
      return;
    }

  key = g_strdup (field);
  g_hash_table_insert (obj->fields, key, g_strdup (value));
  g_ptr_array_add (obj->keys, key);
}

void
bk_sim_db_init (BkSimDb *db)
{
  db->cospaces = bk_sim_collection_new ();
  db->call_profiles = bk_sim_collection_new ();
  db->call_leg_profiles = bk_sim_collection_new ();
  db->bulk_sets = bk_sim_collection_new ();
  db->bulk_syncs = bk_sim_collection_new ();
  db->alarms = bk_sim_collection_new ();
  db->tenants = bk_sim_collection_new ();
  db->uri_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  db->call_id_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

void
bk_sim_db_clear (BkSimDb *db)
{
  g_hash_table_remove_all (db->uri_index);
  g_hash_table_remove_all (db->call_id_index);
  bk_sim_collection_clear (db->cospaces);
  bk_sim_collection_clear (db->call_profiles);
  bk_sim_collection_clear (db->call_leg_profiles);
  bk_sim_collection_clear (db->bulk_sets);
  bk_sim_collection_clear (db->bulk_syncs);
  bk_sim_collection_clear (db->alarms);
  bk_sim_collection_clear (db->tenants);
}

void
bk_sim_db_finalize (BkSimDb *db)
{
  g_clear_pointer (&db->uri_index, g_hash_table_unref);
  g_clear_pointer (&db->call_id_index, g_hash_table_unref);
  g_clear_pointer (&db->cospaces, bk_sim_collection_free);
  g_clear_pointer (&db->call_profiles, bk_sim_collection_free);
  g_clear_pointer (&db->call_leg_profiles, bk_sim_collection_free);
  g_clear_pointer (&db->bulk_sets, bk_sim_collection_free);
  g_clear_pointer (&db->bulk_syncs, bk_sim_collection_free);
  g_clear_pointer (&db->alarms, bk_sim_collection_free);
  g_clear_pointer (&db->tenants, bk_sim_collection_free);
}

typedef void (*IndexFunc) (GHashTable  *index,
                           char        *key,
                           BkSimObject *space);

/* Calls @func with each index key of @space: its URIs (casefolded) in the
 * URI index, its call ID in the call ID index. @func owns the key. */
static void
cospace_keys_foreach (BkSimDb     *db,
                      BkSimObject *space,
                      IndexFunc    func)
{
  const char *uri = bk_sim_object_get (space, "uri");
  const char *uri2 = bk_sim_object_get (space, "secondaryUri");
  const char *call_id = bk_sim_object_get (space, "callId");

  if (uri != NULL && *uri != '\0')
    func (db->uri_index, g_utf8_casefold (uri, -1), space);
  if (uri2 != NULL && *uri2 != '\0')
    func (db->uri_index, g_utf8_casefold (uri2, -1), space);
  if (call_id != NULL && *call_id != '\0')
    func (db->call_id_index, g_strdup (call_id), space);
}

static void
index_one (GHashTable  *index,
           char        *key,
           BkSimObject *space)
{
  g_hash_table_insert (index, key, space);
}

static void
unindex_one (GHashTable  *index,
             char        *key,
             BkSimObject *space)
{
  if (g_hash_table_lookup (index, key) == space)
    g_hash_table_remove (index, key);
  g_free (key);
}

void
bk_sim_db_index_cospace (BkSimDb     *db,
                         BkSimObject *space)
{
  cospace_keys_foreach (db, space, index_one);
}

void
bk_sim_db_unindex_cospace (BkSimDb     *db,
                           BkSimObject *space)
{
  cospace_keys_foreach (db, space, unindex_one);
}

void
bk_sim_db_remove_cospace (BkSimDb     *db,
                          BkSimObject *space)
{
  bk_sim_db_unindex_cospace (db, space);
  bk_sim_collection_remove (db->cospaces, space);
}

char *
bk_sim_expand_mapping (const char *mapping,
                       gint64      index)
{
  GString *out;
  const char *p;

  if (mapping == NULL || *mapping == '\0')
    return NULL;

  out = g_string_new (NULL);
  for (p = mapping; *p != '\0'; p++)
    {
      if (*p == '\\' && (p[1] == '\\' || p[1] == '$'))
        {
          g_string_append_c (out, p[1]);
          p++;
        }
      else if (g_str_has_prefix (p, "$index$"))
        {
          g_string_append_printf (out, "%" G_GINT64_FORMAT, index);
          p += strlen ("$index$") - 1;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}
