/* bk-fake-keyring.h: a throwaway Secret Service for tests
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A throwaway Secret Service whose keyring is locked, or not created yet,
 * and which shows a "prompt" for it as gnome-keyring does: a scripted person
 * answers it (or dismisses it) after a delay. It speaks the real
 * org.freedesktop.Secret D-Bus API, the part libsecret uses to store, look
 * up and clear with a plain session, on a private bus of the child. */

typedef enum
{
  BK_FAKE_PERSON_ANSWERS,    /* unlocks, or chooses the new keyring's password */
  BK_FAKE_PERSON_DISMISSES,  /* presses Cancel */
  BK_FAKE_PERSON_AWAY,       /* never answers */
} BkFakePerson;

/* Fields the tests read and change. */
typedef struct
{
  GDBusConnection *connection;
  GDBusNodeInfo *info;
  gboolean has_collection;
  gboolean locked;
  BkFakePerson person;
  guint answer_after_ms;
  GPtrArray *items;         /* of the keyring */
  GPtrArray *prompts;
  guint n_prompts;          /* prompts shown (Prompt called) */
  guint n_dismissed;        /* prompts dismissed by the caller */
  guint n_ids;
} BkFakeKeyring;

/* Owns org.freedesktop.secrets on the bus at @bus_address (one keyring per
 * process). */
BkFakeKeyring *bk_fake_keyring_start         (const char    *bus_address,
                                              gboolean       has_collection,
                                              gboolean       locked,
                                              BkFakePerson   person,
                                              guint          answer_after_ms);
/* The password held for a device, or NULL. */
char          *bk_fake_keyring_find_password (BkFakeKeyring *self,
                                              const char    *device_id,
                                              const char    *kind);

G_END_DECLS
