/* bk-core.h: the GTK-free domain layer in one include
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bk-core-types.h"
#include "bk-core-enums.h"
#include "bk-cluster-member.h"
#include "bk-device.h"
#include "bk-device-store.h"
#include "bk-secrets.h"
#include "bk-tickets.h"
#include "bk-validate.h"
