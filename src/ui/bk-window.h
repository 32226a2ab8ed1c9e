/* bk-window.h
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "bk-application.h"
#include "bk-device.h"

G_BEGIN_DECLS

#define BK_TYPE_WINDOW (bk_window_get_type ())

G_DECLARE_FINAL_TYPE (BkWindow, bk_window, BK, WINDOW, AdwApplicationWindow)

BkWindow *bk_window_new              (BkApplication *application);
void      bk_window_show_preferences (BkWindow      *self);
void      bk_window_add_toast        (BkWindow      *self,
                                      AdwToast      *toast);

/* Bridges (bk-device-page.h, bk-onboarding-window.h). */
typedef struct _BkDevicePage BkDevicePage;
typedef struct _BkOnboardingWindow BkOnboardingWindow;

/* Opens the Add Bridge assistant, pre-filled with what is not NULL; on
 * success it selects the new bridge. transfer none. */
BkOnboardingWindow *bk_window_open_onboarding (BkWindow   *self,
                                               const char *address,
                                               const char *username,
                                               const char *password);
/* Selects @device in the sidebar and shows its page (NULL: none). */
void          bk_window_select_device     (BkWindow   *self,
                                           BkDevice   *device);
/* The device page shown, or NULL. transfer none. */
BkDevicePage *bk_window_get_device_page   (BkWindow   *self);

G_END_DECLS
