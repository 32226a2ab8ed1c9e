/* engine-test-util.h: what the conference engine's tests share: waiting
 * on an async result, counting the simulator's requests, looking at its
 * slots, the fake clock's days, the booking store, booking through the
 * rules, and waiting on the engine
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "bk-booking-store.h"
#include "bk-engine.h"
#include "bk-fake-clock.h"
#include "bk-sim.h"
#include "bk-test-util.h"

#define ET_WAIT_MS 60000

/* An async call's result: pass et_result_cb with &res (NULL before), then
 * et_wait_result (&res), which fails the test if none came; unref it. */
void           et_result_cb          (GObject       *source,
                                      GAsyncResult  *result,
                                      gpointer       user_data);
GAsyncResult  *et_wait_result        (GAsyncResult **slot);

/* A simulator of @n_nodes over loopback HTTPS whose call legs connect
 * after 50 ms; set more on it, then et_sim_start(). */
BkSimCluster  *et_sim_new            (guint          n_nodes);
void           et_sim_start          (BkSimCluster  *sim);
/* A client of node 0 with the simulator's default user, pinned to its
 * certificate. */
BkCmsClient   *et_client_new         (BkSimCluster  *sim);

/* Requests the simulator got (@node -1: all nodes). */
guint          et_count              (BkSimCluster  *sim,
                                      int            node,
                                      const char    *method,
                                      const char    *prefix);
guint          et_total              (BkSimCluster  *sim);
/* POST /calls alone (the prefix also matches /calls/<id>/callLegs). */
guint          et_posted_calls       (BkSimCluster  *sim,
                                      int            node);

/* A coSpace's field on the simulator. */
void           et_assert_field       (BkSimCluster  *sim,
                                      const char    *space_id,
                                      const char    *name,
                                      const char    *want);
/* The slot @number is idle again: its idle name (what CMS shows when no
 * meeting runs), no passcode, members only. */
void           et_assert_slot_idle   (BkSimCluster  *sim,
                                      const char    *space_id,
                                      guint          number);
/* PUTs the space members-only, as the bulk sync leaves a slot. */
void           et_probe_put_idle     (BkCmsClient   *probe,
                                      const char    *space_id);

/* Adds slot @number's space as the bulk sync leaves it (its idle name,
 * callId = URI = number, members only, PUT through @probe) and
 * returns its id. */
char          *et_add_idle_slot      (BkSimCluster  *sim,
                                      BkCmsClient   *probe,
                                      guint          number);

/* 2030-01-@day @h:@m:@s UTC. */
GDateTime     *et_at                 (int day, int h, int m, int s);
gint64         et_unix_at            (int day, int h, int m, int s);
/* Moves the fake clock forward (time passing, no jump) to the time given. */
void           et_advance_to         (BkClock       *clock,
                                      int day, int h, int m, int s);
/* The clock's armed deadline (0: none). */
gint64         et_deadline           (BkClock       *clock);
/* The engine armed its one timer for @want (after finishing what it did). */
void           et_wait_deadline      (BkClock       *clock,
                                      gint64         want);

/* A booking store on an empty folder @dir (made), loaded. */
BkBookingStore *et_store_new         (const char    *dir);
/* "CMS A" as the booking rules see it: slots 7001 up, @quantity of them. */
BkDevice      *et_make_bridge        (const char    *id,
                                      guint          quantity);

typedef struct
{
  const char          *title;
  const char          *time_zone;    /* NULL: UTC */
  BkBookingType        type;
  GDateTime           *start;
  GDateTime           *end;
  const char * const  *dial_out;
  const char * const  *dial_in;
  guint                daily_count;  /* 0: once */
  gboolean             has_pin;
  BkExtendMode         extend_mode;
} EtBooking;

/* Saves a booking through the booking rules (now: the clock's; which bind
 * the slot, returned in @slot) and returns its first occurrence's id. */
char          *et_book               (BkBookingStore  *store,
                                      BkClock         *clock,
                                      GPtrArray       *bridges,
                                      const EtBooking *spec,
                                      guint64         *slot);

/* Waits until the engine's occurrence @id is in @state (at most
 * ET_WAIT_MS, or @timeout_ms), and fails the test if it is not. */
void           et_wait_state         (BkEngine      *engine,
                                      const char    *id,
                                      BkEngineState  state);
void           et_wait_state_within  (BkEngine      *engine,
                                      const char    *id,
                                      BkEngineState  state,
                                      guint          timeout_ms);
/* The clock reaches 08:55 on the 7th, the early join of a meeting booked
 * at 09:00 (the engine tests' usual one): occurrence @id is running. */
void           et_join_early         (BkEngine      *engine,
                                      BkClock       *clock,
                                      const char    *id);
/* Appends "<state> " to @log at each of the engine's state changes, and
 * each problem's sentence to @problems (either may be NULL). */
void           et_engine_record      (BkEngine      *engine,
                                      GString       *log,
                                      GPtrArray     *problems);
/* Waits until @log holds @text. */
void           et_wait_log           (GString       *log,
                                      const char    *text);
/* The engine's journal as written (after it has written what it had). */
char          *et_read_journal       (BkEngine      *engine);
/* The application is killed: what the engine wrote is on disk (a write
 * still in flight is allowed to land), then it is gone (*@engine NULL)
 * and no timer is left armed on @clock. */
void           et_kill_engine        (BkEngine     **engine,
                                      BkClock       *clock);

/* ---- the fixture of the engine's run, extend and trust tests ---- */

/* The bridge of the fixture's bookings and engine. */
#define ET_BRIDGE "bridge-a"

/* One simulated node with slots 7001 and 7002 (idle), a booking store in
 * a folder of its own, a fake clock at 08:00 on the 7th, and "CMS A" with
 * two slots for the booking rules. A test's own fixture holds it as its
 * FIRST member (so a pointer to either is one to the other) and adds its
 * own fields after it. */
typedef struct
{
  BkSimCluster    *sim;
  BkCmsClient     *probe;
  char            *space[2];     /* slots 7001 and 7002 */
  char            *dir;
  BkBookingStore  *store;
  BkClock         *clock;
  BkEngine        *engine;
  GPtrArray       *bridges;
  GString         *log;          /* "<state> " per state change */
  GPtrArray       *problems;     /* sentences */
  GString         *warnings;     /* "<HH:MM:SS>=<minutes> " per "ending-soon" */
  gboolean         with_pin;     /* the next booking has a PIN */
  BkExtendMode     extend_mode;  /* the next booking's */
  const char      *time_zone;    /* of the next booking (NULL: UTC) */
  BkBridgeManager *manager;      /* set: the engine's bridges are its (disposed and
                                  * freed at tear-down), not a client of node 0 */
} EtFixture;

/* A GTestFixtureFunc each: @fixture is an EtFixture or a test's fixture
 * that holds one first. A test with nothing more to set up registers them
 * with g_test_add_vtable(). */
void           et_fixture_set_up     (gpointer       fixture,
                                      gconstpointer  data);
void           et_fixture_tear_down  (gpointer       fixture,
                                      gconstpointer  data);

/* The slot of f->space[@slot_index] (7001 + @slot_index) is idle. */
void           et_fixture_assert_slot_idle (EtFixture *f,
                                            guint      slot_index);
/* "CMS A" has @quantity slots for the booking rules. */
void           et_fixture_set_quantity (EtFixture *f,
                                        guint      quantity);
/* et_book() with the fixture's store, clock, bridges and the next
 * booking's PIN, extend mode and time zone. */
char          *et_fixture_book       (EtFixture          *f,
                                      const char         *title,
                                      BkBookingType       type,
                                      GDateTime          *start,
                                      GDateTime          *end,
                                      const char * const *dial_out,
                                      const char * const *dial_in,
                                      guint               daily_count,
                                      guint64            *slot);
/* A new engine on the fixture's store, clock, journal and simulator in
 * f->engine (there was none), its state log, problems and warnings
 * recorded, every request counted (no polling); not running yet: connect
 * the test's own handlers, then bk_engine_run(). */
void           et_fixture_new_engine (EtFixture     *f);
