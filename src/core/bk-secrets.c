/* bk-secrets.c: API passwords in the Secret Service, or for the session only
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkSecrets"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "bk-secrets.h"

struct _BkSecrets
{
  GObject parent_instance;

  gboolean persistent;
  gboolean refused;           /* the person refused the keyring's prompt */
  char *status_message;
  guint timeout_ms;
  guint n_prompts;            /* keyring prompts on screen for our calls */

  /* Our own connection to the Secret Service, opened on first use; the
   * calls made meanwhile wait in @waiting (GTasks). */
  SecretService *service;
  gboolean opening;
  GPtrArray *waiting;

  /* "<device-id>\n<kind>" -> password, for the session only.  Used for
   * everything when there is no Secret Service, and for the copy kept when
   * the keyring did not answer in time. */
  GHashTable *session;
};

G_DEFINE_FINAL_TYPE (BkSecrets, bk_secrets, G_TYPE_OBJECT)

G_DEFINE_QUARK (bk-secrets-error-quark, bk_secrets_error)

enum {
  PROP_0,
  PROP_PERSISTENT,
  PROP_TIMEOUT,
  PROP_PROMPTING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  OP_STORE,
  OP_LOOKUP,
  OP_CLEAR,
  OP_CLEAR_DEVICE,
} OpType;

typedef struct
{
  OpType type;
  char *device_id;
  BkSecretKind kind;
  char *password;             /* OP_STORE only; wiped */
  char *label;
  GCancellable *inner;        /* cancels the libsecret call */
  GSource *timeout_source;
  guint ticks_left;           /* of TICK_MS, until the keyring counts as silent */
  GCancellable *outer;
  gulong outer_handler;
  gboolean done;
  gboolean no_prompt;         /* OP_LOOKUP: read only what is unlocked */
} Op;

/* The keyring's time to answer is measured in ticks of the main loop. */
#define TICK_MS 100

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    BK_SECRETS_SCHEMA_NAME, SECRET_SCHEMA_NONE,
    {
      { "device-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void prompt_started (BkSecrets *self);
static void prompt_ended   (BkSecrets *self);

/* BkSecretsService: libsecret's SecretService, which tells its BkSecrets
 * while the keyring shows a prompt of its own (to unlock the keyring, or to
 * choose the password of a new one), and turns a prompt the person
 * dismissed into BK_SECRETS_ERROR_REFUSED. (libsecret 0.20 itself returns
 * no value and no error for a dismissed prompt, which its callers do not
 * expect.) */

#define BK_TYPE_SECRETS_SERVICE (bk_secrets_service_get_type ())
G_DECLARE_FINAL_TYPE (BkSecretsService, bk_secrets_service, BK, SECRETS_SERVICE, SecretService)

struct _BkSecretsService
{
  SecretService parent_instance;

  GWeakRef owner;             /* BkSecrets */
};

G_DEFINE_FINAL_TYPE (BkSecretsService, bk_secrets_service, SECRET_TYPE_SERVICE)

/* What one prompt of ours needs until libsecret reports it completed. */
typedef struct
{
  GVariantType *type;         /* the result type asked for, or NULL */
  SecretPrompt *prompt;
  GCancellable *cancellable;
  gulong        cancelled_id;
} PromptData;

static void
prompt_data_free (PromptData *pd)
{
  if (pd->cancelled_id != 0)
    g_cancellable_disconnect (pd->cancellable, pd->cancelled_id);
  g_clear_object (&pd->cancellable);
  g_clear_object (&pd->prompt);
  g_clear_pointer (&pd->type, g_variant_type_free);
  g_free (pd);
}

static void
prompt_dismissed_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  /* The keyring answers the prompt's Completed signal in any case; an error
   * here only means the prompt had already finished. */
  reply = g_dbus_proxy_call_finish (G_DBUS_PROXY (source), result, &error);
  if (error != NULL)
    g_debug ("Dismissing the keyring's prompt: %s", error->message);
}

/* Cancelling a prompt dismisses it on the keyring; its Completed signal then
 * completes the call. libsecret 0.20 is not given the cancellable: when the
 * prompt completed just before its own Dismiss, it completed the same task
 * twice (seen under load with gnome-keyring). */
static void
prompt_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  SecretPrompt *prompt = user_data;

  g_dbus_proxy_call (G_DBUS_PROXY (prompt), "Dismiss", g_variant_new ("()"),
                     G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, NULL,
                     prompt_dismissed_cb, NULL);
}

static void
service_prompt_done_cb (GObject      *source,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkSecretsService *service = g_task_get_source_object (task);
  PromptData *pd = g_task_get_task_data (task);
  g_autoptr(BkSecrets) owner = g_weak_ref_get (&service->owner);
  g_autoptr(GVariant) value = NULL;
  GError *error = NULL;

  value = secret_prompt_perform_finish (SECRET_PROMPT (source), result, &error);
  if (owner != NULL)
    prompt_ended (owner);

  if (error != NULL)
    g_task_return_error (task, error);
  else if (pd->cancellable != NULL && g_cancellable_is_cancelled (pd->cancellable))
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             "%s", _("The keyring's prompt was cancelled."));
  else if (value == NULL || (pd->type != NULL && !g_variant_is_of_type (value, pd->type)))
    /* Dismissed: the Completed signal carried no result of that type. */
    g_task_return_new_error (task, BK_SECRETS_ERROR, BK_SECRETS_ERROR_REFUSED,
                             "%s", _("The keyring was not unlocked."));
  else
    g_task_return_pointer (task, g_steal_pointer (&value), (GDestroyNotify) g_variant_unref);
}

static void
bk_secrets_service_prompt_async (SecretService       *service,
                                 SecretPrompt        *prompt,
                                 const GVariantType  *return_type,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  BkSecretsService *self = BK_SECRETS_SERVICE (service);
  g_autoptr(GTask) task = NULL;
  g_autoptr(BkSecrets) owner = g_weak_ref_get (&self->owner);
  PromptData *pd = g_new0 (PromptData, 1);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_secrets_service_prompt_async);
  /* The answer is what the prompt says, cancelled or not: GTask must not
   * turn it into a cancellation of its own before the keyring has heard. */
  g_task_set_check_cancellable (task, FALSE);
  if (return_type != NULL)
    pd->type = g_variant_type_copy (return_type);
  pd->prompt = g_object_ref (prompt);
  g_task_set_task_data (task, pd, (GDestroyNotify) prompt_data_free);

  if (g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               "%s", _("The keyring's prompt was cancelled."));
      return;
    }

  if (owner != NULL)
    prompt_started (owner);

  if (cancellable != NULL)
    {
      pd->cancellable = g_object_ref (cancellable);
      pd->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (prompt_cancelled_cb),
                                                g_object_ref (prompt), g_object_unref);
    }

  /* No type asked of libsecret: a dismissed prompt's empty result is not a
   * warning, it is checked above. */
  secret_prompt_perform (prompt, NULL, NULL, NULL,
                         service_prompt_done_cb, g_steal_pointer (&task));
}

static GVariant *
bk_secrets_service_prompt_finish (SecretService  *service,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, service), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
bk_secrets_service_finalize (GObject *object)
{
  BkSecretsService *self = BK_SECRETS_SERVICE (object);

  g_weak_ref_clear (&self->owner);

  G_OBJECT_CLASS (bk_secrets_service_parent_class)->finalize (object);
}

static void
bk_secrets_service_class_init (BkSecretsServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SecretServiceClass *service_class = SECRET_SERVICE_CLASS (klass);

  object_class->finalize = bk_secrets_service_finalize;
  service_class->prompt_async = bk_secrets_service_prompt_async;
  service_class->prompt_finish = bk_secrets_service_prompt_finish;
}

static void
bk_secrets_service_init (BkSecretsService *self)
{
  g_weak_ref_init (&self->owner, NULL);
}

void
bk_secrets_password_free (char *password)
{
  if (password == NULL)
    return;

  explicit_bzero (password, strlen (password));
  g_free (password);
}

static void
op_free (Op *op)
{
  if (op->timeout_source != NULL)
    {
      g_source_destroy (op->timeout_source);
      g_source_unref (op->timeout_source);
    }
  if (op->outer != NULL)
    {
      g_cancellable_disconnect (op->outer, op->outer_handler);
      g_object_unref (op->outer);
    }
  g_clear_object (&op->inner);
  g_free (op->device_id);
  g_free (op->label);
  bk_secrets_password_free (op->password);
  g_free (op);
}

static char *
session_key (const char   *device_id,
             BkSecretKind  kind)
{
  return g_strdup_printf ("%s\n%s", device_id, bk_secret_kind_to_string (kind));
}

static void
session_clear_device (BkSecrets  *self,
                      const char *device_id)
{
  g_autofree char *prefix = g_strdup_printf ("%s\n", device_id);
  GHashTableIter iter;
  const char *key;

  g_hash_table_iter_init (&iter, self->session);
  while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
    if (g_str_has_prefix (key, prefix))
      g_hash_table_iter_remove (&iter);
}

/* Runs @op against the session table and completes @task. */
static void
complete_from_session (BkSecrets *self,
                       GTask     *task,
                       Op        *op)
{
  g_autofree char *key = NULL;

  switch (op->type)
    {
    case OP_STORE:
      g_hash_table_replace (self->session,
                            session_key (op->device_id, op->kind),
                            g_strdup (op->password));
      g_task_return_boolean (task, TRUE);
      break;

    case OP_LOOKUP:
      key = session_key (op->device_id, op->kind);
      g_task_return_pointer (task,
                             g_strdup (g_hash_table_lookup (self->session, key)),
                             (GDestroyNotify) bk_secrets_password_free);
      break;

    case OP_CLEAR:
      key = session_key (op->device_id, op->kind);
      g_hash_table_remove (self->session, key);
      g_task_return_boolean (task, TRUE);
      break;

    case OP_CLEAR_DEVICE:
      session_clear_device (self, op->device_id);
      g_task_return_boolean (task, TRUE);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Errors that mean "there is no Secret Service to talk to". */
static gboolean
is_no_service_error (const GError *error)
{
  if (error->domain == G_DBUS_ERROR)
    {
      switch (error->code)
        {
        case G_DBUS_ERROR_SERVICE_UNKNOWN:
        case G_DBUS_ERROR_NAME_HAS_NO_OWNER:
        case G_DBUS_ERROR_NO_SERVER:
        case G_DBUS_ERROR_FILE_NOT_FOUND:
        case G_DBUS_ERROR_DISCONNECTED:
        case G_DBUS_ERROR_BAD_ADDRESS:
        case G_DBUS_ERROR_SPAWN_EXEC_FAILED:
        case G_DBUS_ERROR_SPAWN_FORK_FAILED:
        case G_DBUS_ERROR_SPAWN_CHILD_EXITED:
        case G_DBUS_ERROR_SPAWN_CHILD_SIGNALED:
        case G_DBUS_ERROR_SPAWN_FAILED:
        case G_DBUS_ERROR_SPAWN_SETUP_FAILED:
        case G_DBUS_ERROR_SPAWN_CONFIG_INVALID:
        case G_DBUS_ERROR_SPAWN_SERVICE_INVALID:
        case G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND:
        case G_DBUS_ERROR_SPAWN_PERMISSIONS_INVALID:
        case G_DBUS_ERROR_SPAWN_FILE_INVALID:
        case G_DBUS_ERROR_SPAWN_NO_MEMORY:
          return TRUE;
        default:
          return FALSE;
        }
    }

  /* Connecting to the session bus failed (no such socket, cannot
   * autolaunch, bad address). */
  if (error->domain == G_IO_ERROR)
    return error->code != G_IO_ERROR_CANCELLED && error->code != G_IO_ERROR_TIMED_OUT;

  return FALSE;
}

/* From now on passwords are kept in this process only; says why once. */
static void
become_session_only (BkSecrets  *self,
                     const char *reason)
{
  if (!self->persistent)
    return;

  self->persistent = FALSE;
  g_free (self->status_message);
  self->status_message = g_strdup (reason);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PERSISTENT]);
}

static void
prompt_started (BkSecrets *self)
{
  if (self->n_prompts++ == 0)
    {
      g_debug ("The keyring shows a prompt: waiting for the person to answer it");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROMPTING]);
    }
}

static void
prompt_ended (BkSecrets *self)
{
  g_return_if_fail (self->n_prompts > 0);

  if (--self->n_prompts == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROMPTING]);
}

static guint
full_ticks (BkSecrets *self)
{
  return (self->timeout_ms + TICK_MS - 1) / TICK_MS;
}

static gboolean
op_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  BkSecrets *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autofree char *key = NULL;
  const char *message;

  /* A prompt on screen is the person answering, not the keyring being
   * silent: the time allowed starts again once it is answered. */
  if (self->n_prompts > 0)
    {
      op->ticks_left = full_ticks (self);
      return G_SOURCE_CONTINUE;
    }

  /* Counted in ticks, not read off the clock: when the main loop stalls
   * (a slow machine laying out a big page), the answer that arrived
   * meanwhile is dispatched before the keyring is called silent. */
  if (--op->ticks_left > 0)
    return G_SOURCE_CONTINUE;

  g_assert (!op->done);
  op->done = TRUE;
  g_clear_pointer (&op->timeout_source, g_source_unref);
  g_cancellable_cancel (op->inner);

  g_message ("The keyring did not answer within %u ms", self->timeout_ms);

  switch (op->type)
    {
    case OP_STORE:
      /* Keep it for the session so the bridge stays usable. */
      g_hash_table_replace (self->session,
                            session_key (op->device_id, op->kind),
                            g_strdup (op->password));
      message = _("The keyring did not answer, so the password was not saved permanently. It will be kept until Bridgekeeper closes; unlock the keyring and enter the password again to save it.");
      break;

    case OP_LOOKUP:
      key = session_key (op->device_id, op->kind);
      if (g_hash_table_contains (self->session, key))
        {
          complete_from_session (self, task, op);
          g_object_unref (task);
          return G_SOURCE_REMOVE;
        }
      message = _("The keyring did not answer, so the password could not be read. Unlock the keyring and try again.");
      break;

    case OP_CLEAR:
    case OP_CLEAR_DEVICE:
      session_clear_device (self, op->device_id);
      message = _("The keyring did not answer, so the password could not be removed from it. Unlock the keyring and remove the password with the Passwords and Keys application.");
      break;

    default:
      g_assert_not_reached ();
    }

  g_task_return_new_error (task, BK_SECRETS_ERROR, BK_SECRETS_ERROR_TIMEOUT, "%s", message);
  g_object_unref (task);  /* the reference held by the timeout */

  return G_SOURCE_REMOVE;
}

static void
outer_cancelled_cb (GCancellable *cancellable,
                    GCancellable *inner)
{
  g_cancellable_cancel (inner);
}

/* Marks @op answered (stops its timeout). FALSE when the timeout answered
 * already, and @task must not be completed again. */
static gboolean
op_settle (GTask *task,
           Op    *op)
{
  if (op->done)
    return FALSE;

  op->done = TRUE;
  if (op->timeout_source != NULL)
    {
      g_source_destroy (op->timeout_source);
      g_clear_pointer (&op->timeout_source, g_source_unref);
      g_object_unref (task);  /* the timeout's reference */
    }
  return TRUE;
}

/* Completes a settled @op that failed with @error. */
static void
op_return_error (BkSecrets    *self,
                 GTask        *task,
                 Op           *op,
                 const GError *error)
{
  if (g_cancellable_is_cancelled (op->outer))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "%s", error->message);
      return;
    }

  if (is_no_service_error (error))
    {
      g_debug ("No Secret Service: %s", error->message);
      if (self->persistent)
        g_message ("No Secret Service: passwords are kept for this session only");
      become_session_only (self, _("Passwords cannot be stored because no keyring service is running. The password will be kept until Bridgekeeper closes."));
      complete_from_session (self, task, op);
      return;
    }

  if (g_error_matches (error, BK_SECRETS_ERROR, BK_SECRETS_ERROR_REFUSED))
    {
      /* Said once (the status message), and not asked again: the password
       * is kept for the session, so the bridge keeps working. */
      if (!self->refused)
        g_message ("The keyring's prompt was dismissed: passwords are kept for this session only");
      self->refused = TRUE;
      become_session_only (self, _("The keyring was not unlocked, so passwords are kept only until Bridgekeeper closes."));
      complete_from_session (self, task, op);
      return;
    }

  g_task_return_new_error (task, BK_SECRETS_ERROR, BK_SECRETS_ERROR_FAILED,
                           _("The keyring could not be used: %s. Check that it is unlocked and try again."),
                           error->message);
}

static char *
value_to_password (SecretValue *value)
{
  const char *text;
  char *password;

  if (value == NULL)
    return NULL;

  text = secret_value_get_text (value);
  password = g_strdup (text);
  secret_value_unref (value);
  return password;
}

static void
secret_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SecretService *service = SECRET_SERVICE (object);
  BkSecrets *self = g_task_get_source_object (task);
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *password = NULL;

  switch (op->type)
    {
    case OP_STORE:
      secret_service_store_finish (service, result, &error);
      break;
    case OP_LOOKUP:
      if (op->no_prompt)
        {
          GList *items = secret_service_search_finish (service, result, &error);

          for (GList *l = items; l != NULL && password == NULL; l = l->next)
            password = value_to_password (secret_item_get_secret (l->data));
          g_list_free_full (items, g_object_unref);
        }
      else
        password = value_to_password (secret_service_lookup_finish (service, result, &error));
      break;
    case OP_CLEAR:
    case OP_CLEAR_DEVICE:
      /* FALSE without error: nothing matched, which is fine. */
      secret_service_clear_finish (service, result, &error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (!op_settle (task, op))
    {
      /* The timeout answered already. */
      bk_secrets_password_free (password);
      return;
    }

  if (error != NULL)
    {
      bk_secrets_password_free (password);
      op_return_error (self, task, op, error);
      return;
    }

  {
    g_autofree char *key = session_key (op->device_id, op->kind);

    switch (op->type)
      {
      case OP_STORE:
        /* The keyring has it now: drop any copy left by a timeout. */
        g_hash_table_remove (self->session, key);
        g_task_return_boolean (task, TRUE);
        break;
      case OP_LOOKUP:
        if (password != NULL)
          g_task_return_pointer (task, password, (GDestroyNotify) bk_secrets_password_free);
        else
          complete_from_session (self, task, op);
        break;
      case OP_CLEAR:
        g_hash_table_remove (self->session, key);
        g_task_return_boolean (task, TRUE);
        break;
      case OP_CLEAR_DEVICE:
        session_clear_device (self, op->device_id);
        g_task_return_boolean (task, TRUE);
        break;
      default:
        g_assert_not_reached ();
      }
  }
}

/* Makes the libsecret call of @task's op on the open service. */
static void
run_op (BkSecrets *self,
        GTask     *task)
{
  Op *op = g_task_get_task_data (task);
  g_autoptr(GHashTable) attributes = NULL;

  if (op->done)
    return;  /* timed out while the service was being opened */

  attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (attributes, (gpointer) "device-id", op->device_id);
  if (op->type != OP_CLEAR_DEVICE)
    g_hash_table_insert (attributes, (gpointer) "kind", (gpointer) bk_secret_kind_to_string (op->kind));

  switch (op->type)
    {
    case OP_STORE:
      {
        SecretValue *value = secret_value_new (op->password, -1, "text/plain");

        secret_service_store (self->service, get_schema (), attributes, SECRET_COLLECTION_DEFAULT,
                              op->label, value, op->inner, secret_done_cb, g_object_ref (task));
        secret_value_unref (value);
      }
      break;
    case OP_LOOKUP:
      if (op->no_prompt)
        secret_service_search (self->service, get_schema (), attributes, SECRET_SEARCH_LOAD_SECRETS,
                               op->inner, secret_done_cb, g_object_ref (task));
      else
        secret_service_lookup (self->service, get_schema (), attributes, op->inner,
                               secret_done_cb, g_object_ref (task));
      break;
    case OP_CLEAR:
    case OP_CLEAR_DEVICE:
      secret_service_clear (self->service, get_schema (), attributes, op->inner,
                            secret_done_cb, g_object_ref (task));
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
service_open_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(BkSecrets) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->waiting);
  SecretService *service;

  self->opening = FALSE;
  service = secret_service_open_finish (result, &error);
  if (service != NULL)
    {
      self->service = service;
      g_weak_ref_set (&BK_SECRETS_SERVICE (service)->owner, self);
    }

  for (guint i = 0; i < waiting->len; i++)
    {
      GTask *task = g_ptr_array_index (waiting, i);
      Op *op = g_task_get_task_data (task);

      if (service != NULL)
        run_op (self, task);
      else if (op_settle (task, op))
        op_return_error (self, task, op, error);
    }
}

static void
start_op (BkSecrets           *self,
          Op                  *op,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag)
{
  g_autoptr(GTask) task = NULL;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);

  /* After the person refused the keyring's prompt, it is not shown again:
   * passwords go to the session, and lookups read only what is unlocked. */
  if (self->refused && op->type == OP_LOOKUP)
    {
      g_autofree char *key = session_key (op->device_id, op->kind);

      if (g_hash_table_contains (self->session, key))
        {
          complete_from_session (self, task, op);
          return;
        }
      op->no_prompt = TRUE;
    }
  else if (!self->persistent)
    {
      complete_from_session (self, task, op);
      return;
    }

  op->inner = g_cancellable_new ();
  if (cancellable != NULL)
    {
      op->outer = g_object_ref (cancellable);
      op->outer_handler = g_cancellable_connect (cancellable, G_CALLBACK (outer_cancelled_cb),
                                                 op->inner, NULL);
    }

  op->ticks_left = full_ticks (self);
  op->timeout_source = g_timeout_source_new (MIN (self->timeout_ms, TICK_MS));
  g_source_set_callback (op->timeout_source, op_timeout_cb, g_object_ref (task), NULL);
  g_source_set_static_name (op->timeout_source, "[bk] secrets timeout");
  g_source_attach (op->timeout_source, g_main_context_get_thread_default ());

  if (self->service != NULL)
    {
      run_op (self, task);
      return;
    }

  if (self->waiting == NULL)
    self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->waiting, g_object_ref (task));
  if (!self->opening)
    {
      /* Not tied to this call's cancellable: other calls wait for it too. */
      self->opening = TRUE;
      secret_service_open (BK_TYPE_SECRETS_SERVICE, NULL, SECRET_SERVICE_NONE, NULL,
                           service_open_cb, g_object_ref (self));
    }
}

static Op *
op_new (OpType        type,
        const char   *device_id,
        BkSecretKind  kind)
{
  Op *op = g_new0 (Op, 1);

  op->type = type;
  op->device_id = g_strdup (device_id);
  op->kind = kind;

  return op;
}

/* GObject */

static void
bk_secrets_finalize (GObject *object)
{
  BkSecrets *self = (BkSecrets *) object;

  if (self->service != NULL)
    g_weak_ref_set (&BK_SECRETS_SERVICE (self->service)->owner, NULL);
  g_clear_object (&self->service);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);
  g_clear_pointer (&self->session, g_hash_table_unref);
  g_clear_pointer (&self->status_message, g_free);

  G_OBJECT_CLASS (bk_secrets_parent_class)->finalize (object);
}

static void
bk_secrets_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  BkSecrets *self = BK_SECRETS (object);

  switch (prop_id)
    {
    case PROP_PERSISTENT:
      g_value_set_boolean (value, self->persistent);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout_ms);
      break;
    case PROP_PROMPTING:
      g_value_set_boolean (value, self->n_prompts > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_secrets_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  BkSecrets *self = BK_SECRETS (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      bk_secrets_set_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_secrets_class_init (BkSecretsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bk_secrets_finalize;
  object_class->get_property = bk_secrets_get_property;
  object_class->set_property = bk_secrets_set_property;

  properties[PROP_PERSISTENT] =
    g_param_spec_boolean ("persistent", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, G_MAXUINT, BK_SECRETS_DEFAULT_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  properties[PROP_PROMPTING] =
    g_param_spec_boolean ("prompting", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bk_secrets_init (BkSecrets *self)
{
  self->persistent = TRUE;
  self->timeout_ms = BK_SECRETS_DEFAULT_TIMEOUT_MS;
  self->session = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) bk_secrets_password_free);
}

/* Public API */

BkSecrets *
bk_secrets_new (void)
{
  return g_object_new (BK_TYPE_SECRETS, NULL);
}

BkSecrets *
bk_secrets_new_session_only (const char *reason)
{
  BkSecrets *self = bk_secrets_new ();

  /* Never touches the keyring: used by the demo profile, whose throwaway
   * passwords must not land in the person's real keyring. */
  self->persistent = FALSE;
  self->status_message = g_strdup (reason);
  return self;
}

BkSecrets *
bk_secrets_get_default (void)
{
  static BkSecrets *instance;

  if (g_once_init_enter (&instance))
    g_once_init_leave (&instance, bk_secrets_new ());

  return instance;
}

gboolean
bk_secrets_is_persistent (BkSecrets *self)
{
  g_return_val_if_fail (BK_IS_SECRETS (self), FALSE);
  return self->persistent;
}

const char *
bk_secrets_get_status_message (BkSecrets *self)
{
  g_return_val_if_fail (BK_IS_SECRETS (self), NULL);
  return self->status_message;
}

gboolean
bk_secrets_is_prompting (BkSecrets *self)
{
  g_return_val_if_fail (BK_IS_SECRETS (self), FALSE);
  return self->n_prompts > 0;
}

guint
bk_secrets_get_timeout (BkSecrets *self)
{
  g_return_val_if_fail (BK_IS_SECRETS (self), 0);
  return self->timeout_ms;
}

void
bk_secrets_set_timeout (BkSecrets *self,
                        guint      timeout_ms)
{
  g_return_if_fail (BK_IS_SECRETS (self));
  g_return_if_fail (timeout_ms > 0);

  if (self->timeout_ms == timeout_ms)
    return;

  self->timeout_ms = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

const char *
bk_secret_kind_to_string (BkSecretKind kind)
{
  switch (kind)
    {
    case BK_SECRET_KIND_PRIMARY:
      return "primary";
    case BK_SECRET_KIND_ALTERNATE:
      return "alternate";
    case BK_SECRET_KIND_BOOKING_PIN:
      return "booking-pin";
    default:
      g_return_val_if_reached ("primary");
    }
}

char *
bk_secrets_dup_label (BkDevice     *device,
                      BkSecretKind  kind)
{
  g_return_val_if_fail (BK_IS_DEVICE (device), NULL);

  if (kind == BK_SECRET_KIND_ALTERNATE)
    /* TRANSLATORS: the first %s is the bridge's name, the second the
     * address of its alternate call bridge */
    return g_strdup_printf (_("Cisco Meeting Server API password for %s (alternate %s)"),
                            bk_device_get_display_name (device),
                            bk_device_get_alternate_address (device));

  /* TRANSLATORS: %s is the bridge's name or address */
  return g_strdup_printf (_("Cisco Meeting Server API password for %s"),
                          bk_device_get_display_name (device));
}

void
bk_secrets_store_async (BkSecrets           *self,
                        BkDevice            *device,
                        BkSecretKind         kind,
                        const char          *password,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  Op *op;

  g_return_if_fail (BK_IS_SECRETS (self));
  g_return_if_fail (BK_IS_DEVICE (device));
  g_return_if_fail (password != NULL);

  op = op_new (OP_STORE, bk_device_get_id (device), kind);
  op->password = g_strdup (password);
  op->label = bk_secrets_dup_label (device, kind);

  start_op (self, op, cancellable, callback, user_data, bk_secrets_store_async);
}

void
bk_secrets_store_booking_pin_async (BkSecrets           *self,
                                    const char          *booking_uid,
                                    const char          *title,
                                    const char          *pin,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  Op *op;

  g_return_if_fail (BK_IS_SECRETS (self));
  g_return_if_fail (booking_uid != NULL && title != NULL);
  g_return_if_fail (pin != NULL);

  op = op_new (OP_STORE, booking_uid, BK_SECRET_KIND_BOOKING_PIN);
  op->password = g_strdup (pin);
  /* TRANSLATORS: the keyring's label of a meeting PIN; %s is the meeting's title */
  op->label = g_strdup_printf (_("Bridgekeeper meeting PIN for “%s”"), title);

  start_op (self, op, cancellable, callback, user_data, bk_secrets_store_async);
}

gboolean
bk_secrets_store_finish (BkSecrets     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bk_secrets_store_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
bk_secrets_lookup_async (BkSecrets           *self,
                         const char          *device_id,
                         BkSecretKind         kind,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (BK_IS_SECRETS (self));
  g_return_if_fail (device_id != NULL);

  start_op (self, op_new (OP_LOOKUP, device_id, kind),
            cancellable, callback, user_data, bk_secrets_lookup_async);
}

char *
bk_secrets_lookup_finish (BkSecrets     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bk_secrets_lookup_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
bk_secrets_clear_async (BkSecrets           *self,
                        const char          *device_id,
                        BkSecretKind         kind,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (BK_IS_SECRETS (self));
  g_return_if_fail (device_id != NULL);

  start_op (self, op_new (OP_CLEAR, device_id, kind),
            cancellable, callback, user_data, bk_secrets_clear_async);
}

gboolean
bk_secrets_clear_finish (BkSecrets     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bk_secrets_clear_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
bk_secrets_clear_device_async (BkSecrets           *self,
                               const char          *device_id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (BK_IS_SECRETS (self));
  g_return_if_fail (device_id != NULL);

  start_op (self, op_new (OP_CLEAR_DEVICE, device_id, BK_SECRET_KIND_PRIMARY),
            cancellable, callback, user_data, bk_secrets_clear_device_async);
}

gboolean
bk_secrets_clear_device_finish (BkSecrets     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == bk_secrets_clear_device_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
