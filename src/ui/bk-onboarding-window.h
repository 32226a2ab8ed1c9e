/* bk-onboarding-window.h: the guided Add Bridge assistant
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bk-device-store.h"
#include "bk-onboarding.h"
#include "bk-secrets.h"

G_BEGIN_DECLS

#define BK_TYPE_ONBOARDING_WINDOW (bk_onboarding_window_get_type ())
G_DECLARE_FINAL_TYPE (BkOnboardingWindow, bk_onboarding_window, BK, ONBOARDING_WINDOW, AdwWindow)

/*
 * A modal window transient for @parent that walks through BkOnboarding's
 * steps on pages named "connect", "cluster", "name", "range", "reserve"
 * and "failover". Signal "finished" (BkDevice *device) is emitted once the
 * bridge is saved, just before the window closes; closing or Cancel
 * cancels the running step.
 */
BkOnboardingWindow *bk_onboarding_window_new        (GtkWindow          *parent,
                                                     BkDeviceStore      *store,
                                                     BkSecrets          *secrets);
/* Continues the set-up of a listed @device (bk_onboarding_new_resume()). */
BkOnboardingWindow *bk_onboarding_window_new_resume (GtkWindow          *parent,
                                                     BkDeviceStore      *store,
                                                     BkSecrets          *secrets,
                                                     BkDevice           *device);
/* Pre-fills the first page (the demo's "Add It"). Any may be NULL. */
void                bk_onboarding_window_set_credentials (BkOnboardingWindow *self,
                                                          const char         *address,
                                                          const char         *username,
                                                          const char         *password);
BkOnboarding       *bk_onboarding_window_get_onboarding  (BkOnboardingWindow *self);
/* The name of the page shown ("connect", ...). */
const char         *bk_onboarding_window_get_page        (BkOnboardingWindow *self);

G_END_DECLS
