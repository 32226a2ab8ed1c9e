/* bk-fake-keyring.c: a throwaway Secret Service for tests
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkFakeKeyring"

#include "config.h"

#include "bk-fake-keyring.h"
#include "bk-test-util.h"


#define FAKE_SERVICE_PATH "/org/freedesktop/secrets"
#define FAKE_ALIAS_PATH "/org/freedesktop/secrets/aliases/default"
#define FAKE_COLLECTION_PATH "/org/freedesktop/secrets/collection/login"
#define FAKE_SESSION_PATH "/org/freedesktop/secrets/session/1"

static const char fake_xml[] =
  "<node>"
  " <interface name='org.freedesktop.Secret.Service'>"
  "  <method name='OpenSession'><arg type='s' direction='in'/><arg type='v' direction='in'/>"
  "   <arg type='v' direction='out'/><arg type='o' direction='out'/></method>"
  "  <method name='CreateCollection'><arg type='a{sv}' direction='in'/><arg type='s' direction='in'/>"
  "   <arg type='o' direction='out'/><arg type='o' direction='out'/></method>"
  "  <method name='SearchItems'><arg type='a{ss}' direction='in'/>"
  "   <arg type='ao' direction='out'/><arg type='ao' direction='out'/></method>"
  "  <method name='Unlock'><arg type='ao' direction='in'/>"
  "   <arg type='ao' direction='out'/><arg type='o' direction='out'/></method>"
  "  <method name='GetSecrets'><arg type='ao' direction='in'/><arg type='o' direction='in'/>"
  "   <arg type='a{o(oayays)}' direction='out'/></method>"
  "  <method name='ReadAlias'><arg type='s' direction='in'/><arg type='o' direction='out'/></method>"
  "  <property name='Collections' type='ao' access='read'/>"
  " </interface>"
  " <interface name='org.freedesktop.Secret.Collection'>"
  "  <method name='CreateItem'><arg type='a{sv}' direction='in'/><arg type='(oayays)' direction='in'/>"
  "   <arg type='b' direction='in'/><arg type='o' direction='out'/><arg type='o' direction='out'/></method>"
  "  <property name='Locked' type='b' access='read'/>"
  " </interface>"
  " <interface name='org.freedesktop.Secret.Item'>"
  "  <method name='Delete'><arg type='o' direction='out'/></method>"
  "  <method name='GetSecret'><arg type='o' direction='in'/><arg type='(oayays)' direction='out'/></method>"
  "  <property name='Locked' type='b' access='read'/>"
  "  <property name='Attributes' type='a{ss}' access='read'/>"
  "  <property name='Label' type='s' access='read'/>"
  "  <property name='Created' type='t' access='read'/>"
  "  <property name='Modified' type='t' access='read'/>"
  " </interface>"
  " <interface name='org.freedesktop.Secret.Prompt'>"
  "  <method name='Prompt'><arg type='s' direction='in'/></method>"
  "  <method name='Dismiss'/>"
  "  <signal name='Completed'><arg type='b'/><arg type='v'/></signal>"
  " </interface>"
  "</node>";



typedef struct
{
  char *path;
  char *label;
  GHashTable *attributes;   /* char* -> char* */
  GBytes *secret;
  guint registration;
} FakeItem;



typedef struct
{
  BkFakeKeyring *keyring;
  char *path;
  gboolean creates;         /* creates the collection, else unlocks */
  GPtrArray *unlock_paths;  /* what an unlock prompt returns */
  guint registration;
  guint answer_source;
} FakePrompt;



static BkFakeKeyring *fake;  /* one per process */

static void
fake_item_free (FakeItem *item)
{
  g_dbus_connection_unregister_object (fake->connection, item->registration);
  g_free (item->path);
  g_free (item->label);
  g_hash_table_unref (item->attributes);
  g_bytes_unref (item->secret);
  g_free (item);
}

static gboolean
fake_item_matches (FakeItem *item,
                   GVariant *attributes)
{
  GVariantIter iter;
  const char *key;
  const char *value;

  g_variant_iter_init (&iter, attributes);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    if (g_strcmp0 (g_hash_table_lookup (item->attributes, key), value) != 0)
      return FALSE;
  return TRUE;
}

static FakeItem *
fake_item_by_path (const char *path)
{
  for (guint i = 0; i < fake->items->len; i++)
    {
      FakeItem *item = g_ptr_array_index (fake->items, i);

      if (g_str_equal (item->path, path))
        return item;
    }
  return NULL;
}

static GVariant *
fake_secret_struct (FakeItem *item)
{
  gsize size;
  gconstpointer data = g_bytes_get_data (item->secret, &size);

  return g_variant_new ("(o@ay@ays)", FAKE_SESSION_PATH,
                        g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, "", 0, 1),
                        g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, data, size, 1),
                        "text/plain");
}

static void fake_method_call (GDBusConnection *, const char *, const char *, const char *,
                              const char *, GVariant *, GDBusMethodInvocation *, gpointer);
static GVariant *fake_get_property (GDBusConnection *, const char *, const char *, const char *,
                                    const char *, GError **, gpointer);

static const GDBusInterfaceVTable fake_vtable = { fake_method_call, fake_get_property, NULL, { 0 } };

static guint
fake_register (const char *path,
               const char *interface,
               gpointer    data)
{
  GError *error = NULL;
  guint id;

  id = g_dbus_connection_register_object (fake->connection, path,
                                          g_dbus_node_info_lookup_interface (fake->info, interface),
                                          &fake_vtable, data, NULL, &error);
  g_assert_no_error (error);
  return id;
}

static void
fake_prompt_complete (FakePrompt *prompt,
                      gboolean    dismissed)
{
  GVariant *result;

  if (dismissed)
    result = g_variant_new_string ("");
  else if (prompt->creates)
    {
      fake->has_collection = TRUE;
      fake->locked = FALSE;
      result = g_variant_new_object_path (FAKE_COLLECTION_PATH);
    }
  else
    {
      fake->locked = FALSE;
      result = g_variant_new_objv ((const char * const *) prompt->unlock_paths->pdata,
                                   prompt->unlock_paths->len);
    }

  g_dbus_connection_emit_signal (fake->connection, NULL, prompt->path,
                                 "org.freedesktop.Secret.Prompt", "Completed",
                                 g_variant_new ("(bv)", dismissed, result), NULL);
}

static gboolean
fake_person_answers_cb (gpointer data)
{
  FakePrompt *prompt = data;

  prompt->answer_source = 0;
  fake_prompt_complete (prompt, fake->person == BK_FAKE_PERSON_DISMISSES);
  return G_SOURCE_REMOVE;
}

static const char *
fake_new_prompt (gboolean   creates,
                 GVariant  *unlock_paths)
{
  FakePrompt *prompt = g_new0 (FakePrompt, 1);

  prompt->keyring = fake;
  prompt->path = g_strdup_printf ("/org/freedesktop/secrets/prompt/p%u", ++fake->n_ids);
  prompt->creates = creates;
  prompt->unlock_paths = g_ptr_array_new_with_free_func (g_free);
  if (unlock_paths != NULL)
    {
      GVariantIter iter;
      const char *path;

      g_variant_iter_init (&iter, unlock_paths);
      while (g_variant_iter_next (&iter, "&o", &path))
        g_ptr_array_add (prompt->unlock_paths,
                         g_strdup (g_str_equal (path, FAKE_ALIAS_PATH) ? FAKE_COLLECTION_PATH : path));
    }
  g_ptr_array_add (prompt->unlock_paths, NULL);
  prompt->unlock_paths->len--;  /* NULL-terminated for g_variant_new_objv() */
  prompt->registration = fake_register (prompt->path, "org.freedesktop.Secret.Prompt", prompt);
  g_ptr_array_add (fake->prompts, prompt);
  return prompt->path;
}

static void
fake_method_call (GDBusConnection       *connection,
                  const char            *sender,
                  const char            *object_path,
                  const char            *interface,
                  const char            *method,
                  GVariant              *parameters,
                  GDBusMethodInvocation *invocation,
                  gpointer               user_data)
{
  if (g_str_equal (method, "OpenSession"))
    {
      const char *algorithm;

      g_variant_get (parameters, "(&sv)", &algorithm, NULL);
      if (!g_str_equal (algorithm, "plain"))
        g_dbus_method_invocation_return_dbus_error (invocation, "org.freedesktop.DBus.Error.NotSupported",
                                                    "Only plain sessions");
      else
        g_dbus_method_invocation_return_value (invocation,
                                               g_variant_new ("(vo)", g_variant_new_string (""), FAKE_SESSION_PATH));
    }
  else if (g_str_equal (method, "ReadAlias"))
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(o)", fake->has_collection ? FAKE_COLLECTION_PATH : "/"));
  else if (g_str_equal (method, "CreateCollection"))
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(oo)", "/", fake_new_prompt (TRUE, NULL)));
  else if (g_str_equal (method, "Unlock"))
    {
      g_autoptr(GVariant) objects = g_variant_get_child_value (parameters, 0);

      if (!fake->locked)
        g_dbus_method_invocation_return_value (invocation, g_variant_new ("(@aoo)", objects, "/"));
      else
        g_dbus_method_invocation_return_value (invocation,
                                               g_variant_new ("(@aoo)", g_variant_new_objv (NULL, 0),
                                                              fake_new_prompt (FALSE, objects)));
    }
  else if (g_str_equal (method, "SearchItems"))
    {
      g_autoptr(GVariant) attributes = g_variant_get_child_value (parameters, 0);
      GVariantBuilder found;

      g_variant_builder_init (&found, G_VARIANT_TYPE ("ao"));
      for (guint i = 0; i < fake->items->len; i++)
        {
          FakeItem *item = g_ptr_array_index (fake->items, i);

          if (fake_item_matches (item, attributes))
            g_variant_builder_add (&found, "o", item->path);
        }
      if (fake->locked)
        g_dbus_method_invocation_return_value (invocation,
                                               g_variant_new ("(@aoao)", g_variant_new_objv (NULL, 0), &found));
      else
        g_dbus_method_invocation_return_value (invocation,
                                               g_variant_new ("(ao@ao)", &found, g_variant_new_objv (NULL, 0)));
    }
  else if (g_str_equal (method, "GetSecrets"))
    {
      g_autoptr(GVariant) paths = g_variant_get_child_value (parameters, 0);
      GVariantBuilder secrets;
      GVariantIter iter;
      const char *path;

      g_variant_builder_init (&secrets, G_VARIANT_TYPE ("a{o(oayays)}"));
      g_variant_iter_init (&iter, paths);
      while (g_variant_iter_next (&iter, "&o", &path))
        {
          FakeItem *item = fake_item_by_path (path);

          if (item != NULL && !fake->locked)
            g_variant_builder_add (&secrets, "{o@(oayays)}", path, fake_secret_struct (item));
        }
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(a{o(oayays)})", &secrets));
    }
  else if (g_str_equal (method, "GetSecret"))
    {
      FakeItem *item = fake_item_by_path (object_path);

      if (fake->locked)
        g_dbus_method_invocation_return_dbus_error (invocation, "org.freedesktop.Secret.Error.IsLocked", "Locked");
      else
        g_dbus_method_invocation_return_value (invocation, g_variant_new ("(@(oayays))", fake_secret_struct (item)));
    }
  else if (g_str_equal (method, "CreateItem"))
    {
      g_autoptr(GVariant) properties = NULL;
      g_autoptr(GVariant) secret = NULL;
      g_autoptr(GVariant) attributes = NULL;
      g_autoptr(GVariant) value = NULL;
      FakeItem *item = NULL;
      const char *label = "";

      if (!fake->has_collection)
        {
          g_dbus_method_invocation_return_dbus_error (invocation, "org.freedesktop.Secret.Error.NoSuchObject",
                                                      "No such collection");
          return;
        }
      if (fake->locked)
        {
          g_dbus_method_invocation_return_dbus_error (invocation, "org.freedesktop.Secret.Error.IsLocked",
                                                      "The collection is locked");
          return;
        }

      g_variant_get (parameters, "(@a{sv}@(oayays)b)", &properties, &secret, NULL);
      attributes = g_variant_lookup_value (properties, "org.freedesktop.Secret.Item.Attributes", G_VARIANT_TYPE ("a{ss}"));
      g_variant_lookup (properties, "org.freedesktop.Secret.Item.Label", "&s", &label);
      value = g_variant_get_child_value (secret, 2);

      /* Replace an item with the same attributes. */
      for (guint i = 0; i < fake->items->len && item == NULL; i++)
        if (fake_item_matches (g_ptr_array_index (fake->items, i), attributes))
          item = g_ptr_array_index (fake->items, i);
      if (item == NULL)
        {
          GVariantIter iter;
          const char *k;
          const char *v;

          item = g_new0 (FakeItem, 1);
          item->path = g_strdup_printf (FAKE_COLLECTION_PATH "/i%u", ++fake->n_ids);
          item->attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
          g_variant_iter_init (&iter, attributes);
          while (g_variant_iter_next (&iter, "{&s&s}", &k, &v))
            g_hash_table_insert (item->attributes, g_strdup (k), g_strdup (v));
          item->registration = fake_register (item->path, "org.freedesktop.Secret.Item", item);
          g_ptr_array_add (fake->items, item);
        }
      g_free (item->label);
      item->label = g_strdup (label);
      g_clear_pointer (&item->secret, g_bytes_unref);
      item->secret = g_variant_get_data_as_bytes (value);

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(oo)", item->path, "/"));
    }
  else if (g_str_equal (method, "Delete"))
    {
      FakeItem *item = fake_item_by_path (object_path);

      g_ptr_array_remove (fake->items, item);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", "/"));
    }
  else if (g_str_equal (method, "Prompt"))
    {
      FakePrompt *prompt = user_data;

      fake->n_prompts++;
      if (fake->person != BK_FAKE_PERSON_AWAY)
        prompt->answer_source = g_timeout_add (fake->answer_after_ms, fake_person_answers_cb, prompt);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_str_equal (method, "Dismiss"))
    {
      FakePrompt *prompt = user_data;

      fake->n_dismissed++;
      g_clear_handle_id (&prompt->answer_source, g_source_remove);
      g_dbus_method_invocation_return_value (invocation, NULL);
      fake_prompt_complete (prompt, TRUE);
    }
  else
    g_dbus_method_invocation_return_dbus_error (invocation, "org.freedesktop.DBus.Error.UnknownMethod", method);
}

static GVariant *
fake_get_property (GDBusConnection  *connection,
                   const char       *sender,
                   const char       *object_path,
                   const char       *interface,
                   const char       *property,
                   GError          **error,
                   gpointer          user_data)
{
  FakeItem *item = g_str_equal (interface, "org.freedesktop.Secret.Item") ? user_data : NULL;

  if (g_str_equal (property, "Collections"))
    {
      const char *paths[] = { FAKE_COLLECTION_PATH, NULL };

      return g_variant_new_objv (paths, fake->has_collection ? 1 : 0);
    }
  if (g_str_equal (property, "Locked"))
    return g_variant_new_boolean (fake->locked);
  if (item != NULL && g_str_equal (property, "Attributes"))
    {
      GVariantBuilder builder;
      GHashTableIter iter;
      gpointer k, v;

      g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
      g_hash_table_iter_init (&iter, item->attributes);
      while (g_hash_table_iter_next (&iter, &k, &v))
        g_variant_builder_add (&builder, "{ss}", k, v);
      return g_variant_builder_end (&builder);
    }
  if (item != NULL && g_str_equal (property, "Label"))
    return g_variant_new_string (item->label);
  if (item != NULL)
    return g_variant_new_uint64 (0);

  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY, "No property %s", property);
  return NULL;
}

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

BkFakeKeyring *
bk_fake_keyring_start (const char   *bus_address,
                       gboolean      has_collection,
                       gboolean      locked,
                       BkFakePerson  person,
                       guint         answer_after_ms)
{
  g_autoptr(GError) error = NULL;
  gboolean acquired = FALSE;

  g_assert (fake == NULL);
  fake = g_new0 (BkFakeKeyring, 1);
  fake->has_collection = has_collection;
  fake->locked = locked;
  fake->person = person;
  fake->answer_after_ms = answer_after_ms;
  fake->items = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_item_free);
  fake->prompts = g_ptr_array_new ();
  fake->info = g_dbus_node_info_new_for_xml (fake_xml, &error);
  g_assert_no_error (error);
  fake->connection = g_dbus_connection_new_for_address_sync (bus_address,
                                                             G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                             G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                             NULL, NULL, &error);
  g_assert_no_error (error);

  fake_register (FAKE_SERVICE_PATH, "org.freedesktop.Secret.Service", NULL);
  fake_register (FAKE_ALIAS_PATH, "org.freedesktop.Secret.Collection", NULL);
  fake_register (FAKE_COLLECTION_PATH, "org.freedesktop.Secret.Collection", NULL);

  g_bus_own_name_on_connection (fake->connection, "org.freedesktop.secrets", G_BUS_NAME_OWNER_FLAGS_NONE,
                                name_acquired_cb, NULL, &acquired, NULL);
  bk_test_wait_until (flag_is_set, &acquired, 20000);
  return fake;
}

/* The password the throwaway keyring holds for a device, or NULL. */
char *
bk_fake_keyring_find_password (BkFakeKeyring *self,
                               const char    *device_id,
                               const char    *kind)
{
  for (guint i = 0; i < fake->items->len; i++)
    {
      FakeItem *item = g_ptr_array_index (fake->items, i);
      gsize size;
      const char *data = g_bytes_get_data (item->secret, &size);

      if (g_strcmp0 (g_hash_table_lookup (item->attributes, "device-id"), device_id) == 0 &&
          g_strcmp0 (g_hash_table_lookup (item->attributes, "kind"), kind) == 0)
        return g_strndup (data, size);
    }
  return NULL;
}

