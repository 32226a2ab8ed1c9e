/* bk-secrets.h: API passwords in the keyring (libsecret), or for the session
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "bk-core-types.h"
#include "bk-device.h"

G_BEGIN_DECLS

#define BK_SECRETS_ERROR (bk_secrets_error_quark ())

typedef enum
{
  BK_SECRETS_ERROR_TIMEOUT,   /* the keyring did not answer in time */
  BK_SECRETS_ERROR_FAILED,    /* the keyring answered with an error */
  BK_SECRETS_ERROR_REFUSED,   /* the person dismissed the keyring's prompt
                               * (internal: calls then keep the password for
                               * the session and succeed) */
} BkSecretsError;

/* Schema name; attributes "device-id" (BkDevice id, or a booking's UID)
 * and "kind" ("primary", "alternate" or "booking-pin"). */
#define BK_SECRETS_SCHEMA_NAME "io.github.bridgekeeper.Bridgekeeper.Password"

/* Default time allowed for one keyring call. */
#define BK_SECRETS_DEFAULT_TIMEOUT_MS 10000

#define BK_TYPE_SECRETS (bk_secrets_get_type ())

G_DECLARE_FINAL_TYPE (BkSecrets, bk_secrets, BK, SECRETS, GObject)

/*
 * Passwords live only in the Secret Service.  When there is none (no
 * session bus, or nothing owns org.freedesktop.secrets), the first call
 * finds out, "persistent" turns FALSE (with ::notify) and from then on the
 * passwords are kept in this process only, with the same API:
 * bk_secrets_get_status_message() then returns the sentence to show.
 *
 * The keyring is asked when a password is stored (or read): when it is
 * locked, or there is none yet, it shows its own prompt (unlock, or choose
 * the password of a new keyring). "prompting" is TRUE while such a prompt
 * is on screen for one of our calls, so the UI can say so; the call waits
 * as long as the person takes to answer (a prompt is not a timeout). When
 * the person dismisses the prompt, the call still succeeds with the
 * password kept for the session: "persistent" turns FALSE with a status
 * message that says so (once), and the prompt is not shown again in this
 * session (lookups then read only what the keyring has unlocked).
 *
 * When the keyring does not answer within the timeout (and shows no
 * prompt), the call fails with BK_SECRETS_ERROR_TIMEOUT (a store still
 * keeps a session copy, which lookups return).  Passwords are never logged.
 *
 * Properties: "persistent" (boolean, read-only, TRUE until passwords can
 * only be kept for the session), "prompting" (boolean, read-only),
 * "timeout" (guint, milliseconds).
 */

BkSecrets   *bk_secrets_new                (void);
/* Keeps passwords in this process only, never in the keyring (the demo
 * profile). @reason is the sentence get_status_message() returns. */
BkSecrets   *bk_secrets_new_session_only   (const char    *reason);
/* One shared instance for the application. transfer none. */
BkSecrets   *bk_secrets_get_default        (void);

gboolean     bk_secrets_is_persistent      (BkSecrets     *self);
/* NULL while persistent; otherwise the sentence that says why passwords
 * are kept only until Bridgekeeper closes (no keyring service, or the
 * keyring was not unlocked), translated. */
const char  *bk_secrets_get_status_message (BkSecrets     *self);
/* TRUE while the keyring shows a prompt (unlock it, or choose the password
 * of a new one) for one of our calls. */
gboolean     bk_secrets_is_prompting       (BkSecrets     *self);
guint        bk_secrets_get_timeout        (BkSecrets     *self);
void         bk_secrets_set_timeout        (BkSecrets     *self,
                                            guint          timeout_ms);

/* "primary" / "alternate" */
const char  *bk_secret_kind_to_string      (BkSecretKind   kind);
/* The keyring label: "Cisco Meeting Server API password for <display
 * name>" (the alternate's label names the alternate address too). */
char        *bk_secrets_dup_label          (BkDevice      *device,
                                            BkSecretKind   kind);

/* Stores (replaces) the password of @device.  TRUE also when it could only
 * be kept for the session: check bk_secrets_is_persistent(). */
void         bk_secrets_store_async        (BkSecrets          *self,
                                            BkDevice           *device,
                                            BkSecretKind        kind,
                                            const char         *password,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data);
gboolean     bk_secrets_store_finish       (BkSecrets          *self,
                                            GAsyncResult       *result,
                                            GError            **error);

/* Stores (replaces) the PIN of a booked meeting under its UID (kind
 * BK_SECRET_KIND_BOOKING_PIN), labelled with @title.  Finish with
 * bk_secrets_store_finish(); look it up and clear it with the functions
 * below, passing the booking's UID as @device_id. */
void         bk_secrets_store_booking_pin_async (BkSecrets          *self,
                                                 const char         *booking_uid,
                                                 const char         *title,
                                                 const char         *pin,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);

/* The password, or NULL without error when none is stored.  Free it with
 * bk_secrets_password_free() (wipes it) or g_free(). */
void         bk_secrets_lookup_async       (BkSecrets          *self,
                                            const char         *device_id,
                                            BkSecretKind        kind,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data);
char        *bk_secrets_lookup_finish      (BkSecrets          *self,
                                            GAsyncResult       *result,
                                            GError            **error);

/* Removes one password of a device. TRUE also when there was none.  The
 * session copy (if any) is dropped even when the keyring times out. */
void         bk_secrets_clear_async        (BkSecrets          *self,
                                            const char         *device_id,
                                            BkSecretKind        kind,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data);
gboolean     bk_secrets_clear_finish       (BkSecrets          *self,
                                            GAsyncResult       *result,
                                            GError            **error);

/* Removes every password of a device (on removal of the device). */
void         bk_secrets_clear_device_async (BkSecrets          *self,
                                            const char         *device_id,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data);
gboolean     bk_secrets_clear_device_finish (BkSecrets         *self,
                                             GAsyncResult      *result,
                                             GError           **error);

void         bk_secrets_password_free      (char               *password);

GQuark       bk_secrets_error_quark        (void);

G_END_DECLS
