/* cms-test-util.h: shared set-up for the CMS client's tests: a simulator,
 * a client pinned to it, and running an async call to completion
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bk-cms.h"
#include "bk-sim.h"

G_BEGIN_DECLS

/* A started one-node simulator over HTTPS. */
BkSimCluster *cms_test_sim_start       (void);
/* A client for node 0 of @sim with its credentials, pinned to its
 * certificate, retrying fast (3 tries, 5..20 ms apart). */
BkCmsClient  *cms_test_client_new      (BkSimCluster  *sim);

/* GAsyncReadyCallback that stores a reference to the result in the
 * GAsyncResult ** given as user data. */
void          cms_test_store_result_cb (GObject       *object,
                                        GAsyncResult  *result,
                                        gpointer       user_data);
/* Runs the main loop until *@slot is set (fails the test after 30 s). */
GAsyncResult *cms_test_wait_result     (GAsyncResult **slot);

G_END_DECLS
