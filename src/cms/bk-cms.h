/* bk-cms.h: umbrella header of the CMS API client library (bkcms)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bk-cms-error.h"
#include "bk-cms-records.h"
#include "bk-cms-log.h"
#include "bk-cms-client.h"
