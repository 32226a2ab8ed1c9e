/* bk-engine.c: the conference engine (one wall-clock timer, a state
 * machine per occurrence, a restart journal)
 *
 * Copyright 2026 The Bridgekeeper authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "BkEngine"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "bk-engine.h"
#include "bk-booking-file.h"

#define JOURNAL_NAME "engine-journal.json"
#define SLOT_NAME_PREFIX "TMS_Scheduled_Meeting_"
/* The window is looked at again at least this often (half the window:
 * an occurrence that enters it is still 12 h away). */
#define REPLAN_MAX (BK_ENGINE_WINDOW / 2)
/* A meeting that is over is forgotten this long after its end. */
#define KEEP_OVER (60 * 60)
/* A call left on a node that did not answer (a move, an end) is asked to
 * end there again this often after the meeting's end... */
#define LEFT_RETRY 60
/* ...for this long; then it is left to whoever runs that node. */
#define KEEP_LEFT (24 * 60 * 60)

/* Warnings before the end, in minutes, the earliest first (TMS's defaults). */
static const guint end_warnings[] = { 5, 1 };
/* How long an end warning stays on the participants' screens (seconds). */
#define END_MESSAGE_SECONDS "30"
#define TICKET_UNANSWERED_PREFIX "participant-unanswered:"
#define TICKET_UNKNOWN_CALL_PREFIX "unknown-call:"

typedef enum
{
  JOURNAL_NONE,
  JOURNAL_STARTING,   /* the first start request may have been sent */
  JOURNAL_RUNNING,
  JOURNAL_ENDED,
  JOURNAL_FAILED,
} JournalState;

static const char * const journal_names[] = { "none", "starting", "running", "ended", "failed" };

typedef struct
{
  char          *id;
  char          *uid;
  gint64         recurrence_id;
  char          *title;
  char          *bridge_id;
  guint64        slot;
  BkBookingType  type;
  gboolean       has_pin;
  GStrv          dial_out;      /* Automatic Connect's dial-out addresses */
  gint64         start;
  gint64         end;           /* extensions included */
  gint64         extension;     /* seconds added */
  gint64         warned_at;     /* when "ending-soon" was last emitted (0: never) */
  gint64         running_since; /* when it was first seen running (0: not yet) */
  gboolean       dialled;       /* its participants may have been called (journalled
                                 * before the first leg is sent): they are called
                                 * at its start, not at the early join (those added
                                 * or redialled by hand before it are marked early
                                 * in people instead) */
  BkExtendMode   extend_mode;   /* the booking's (journalled: it may have left the window) */
  guint          auto_extensions; /* automatic extensions made (journalled) */
  gboolean       ended_now;     /* End Now: never extended automatically (journalled) */
  char          *not_extended;  /* why an automatic meeting was not extended at its end */

  BkEngineState  state;
  gboolean       checked;
  gboolean       busy;
  gboolean       verify;        /* an earlier run may have started it */
  gboolean       end_failed;    /* FAILED while ending: Retry ends it */
  gboolean       seen;          /* in the last query */
  JournalState   journal;
  char          *call_id;
  char          *space_id;
  char          *error;
  char          *problem;
  BkMeeting     *meeting;
  BkEngine      *engine;        /* unowned: the engine that holds this run */
  char          *node_id;       /* the failover chain's node it runs on ("" or NULL: the primary) */
  char          *node_label;    /* that node's label, NULL when not known */
  GPtrArray     *left;          /* LeftCall: calls left on lost nodes, deleted at the end */
  GPtrArray     *people;        /* RunParticipant: who the running meeting dials, journalled */
  gboolean       adopted;       /* a previous engine had it running: not a new start */
  gint64         left_retry;    /* ENDED with calls left: when they are asked to end again */
} Run;

/* A participant of the meeting as it runs (the booking's dial-out
 * participants, those added live): journalled, so a restart or a move
 * dials the same people; one dropped (or who left) is not called again. */
typedef struct
{
  char     *uri;
  gboolean  gone;
  /* Added or redialled by hand before the start (the early join): called
   * at once, not held until the start; after a restart too. */
  gboolean  early;
} RunParticipant;

static void
run_participant_free (gpointer data)
{
  RunParticipant *rp = data;

  g_free (rp->uri);
  g_free (rp);
}

static void
run_add_participant (Run        *run,
                     const char *uri,
                     gboolean    gone,
                     gboolean    early)
{
  RunParticipant *rp = g_new0 (RunParticipant, 1);

  rp->uri = g_strdup (uri);
  rp->gone = gone;
  rp->early = early;
  if (run->people == NULL)
    run->people = g_ptr_array_new_with_free_func (run_participant_free);
  g_ptr_array_add (run->people, rp);
}

/* The call a meeting had on a node that was lost (it may come back with
 * it): deleted there at the end. */
typedef struct
{
  char *node_id;
  char *label;
  char *call_id;
} LeftCall;

static void
left_call_free (gpointer data)
{
  LeftCall *l = data;

  g_free (l->node_id);
  g_free (l->label);
  g_free (l->call_id);
  g_free (l);
}

static void
run_add_left (Run        *run,
              const char *node_id,
              const char *label,
              const char *call_id)
{
  LeftCall *l;

  if (call_id == NULL)
    return;
  for (guint i = 0; run->left != NULL && i < run->left->len; i++)
    {
      LeftCall *old = g_ptr_array_index (run->left, i);

      if (g_strcmp0 (old->call_id, call_id) == 0
          && g_strcmp0 (old->node_id, node_id != NULL ? node_id : "") == 0)
        return;   /* known already */
    }
  l = g_new0 (LeftCall, 1);
  l->node_id = g_strdup (node_id != NULL ? node_id : "");
  l->label = g_strdup (label);
  l->call_id = g_strdup (call_id);
  if (run->left == NULL)
    run->left = g_ptr_array_new_with_free_func (left_call_free);
  g_ptr_array_add (run->left, l);
}

struct _BkEngine
{
  GObject          parent_instance;

  BkBookingStore  *store;
  BkClock         *clock;
  BkBridgeManager *manager;
  BkSecrets       *secrets;
  GHashTable      *clients;       /* bridge id -> BkCmsClient */
  char            *journal_path;
  guint            poll_interval;

  GHashTable      *runs;          /* id -> Run */
  GCancellable    *cancellable;
  gboolean         running;
  gboolean         planning;
  gboolean         replan;
  guint            n_pending;     /* runs not over yet (the "n-pending" property) */

  gulong           store_handler;
  gulong           alarm_handler;
  gulong           changed_handler;

  /* The engine's tickets (BkTicket: participants who never answered,
   * calls on our slots without a booking), also given to their bridges. */
  GListStore      *tickets;
  GHashTable      *unknown_calls;  /* ticket key -> UnknownCall */
  GHashTable      *no_messages;    /* bridge ids that refused a message on a call */
  GHashTable      *sweeping;       /* bridge ids being looked at for calls without a booking */

  /* journal writing: one write at a time, the latest contents */
  gboolean         writing;
  gboolean         dirty;
  GPtrArray       *waiting;       /* GTask: done when the next write lands */
  GPtrArray       *in_flight;     /* GTask: done when this write lands */
};

G_DEFINE_FINAL_TYPE (BkEngine, bk_engine, G_TYPE_OBJECT)
G_DEFINE_QUARK (bk-engine-error-quark, bk_engine_error)

enum
{
  SIGNAL_STATE_CHANGED,
  SIGNAL_PROBLEM,
  SIGNAL_ENDING_SOON,
  SIGNAL_END_CHANGED,
  SIGNAL_PARTICIPANT_UNANSWERED,
  SIGNAL_UNKNOWN_CALL,
  SIGNAL_FAILED_OVER,
  SIGNAL_AUTO_EXTENDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum
{
  PROP_0,
  PROP_N_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void plan (BkEngine *self);
static void update_n_pending (BkEngine *self);
static void journal_save (BkEngine *self, GTask *waiter);
static void remove_tickets_with_prefix (BkEngine *self, const char *prefix);

const char *
bk_engine_state_to_string (BkEngineState state)
{
  static const char * const names[] = {
    "scheduled", "checking", "starting", "running", "ending", "ended", "failed"
  };

  g_return_val_if_fail (state <= BK_ENGINE_STATE_FAILED, "unknown");
  return names[state];
}

char *
bk_engine_occurrence_id (const char *uid,
                         gint64      recurrence_id)
{
  return g_strdup_printf ("%s@%" G_GINT64_FORMAT, uid, recurrence_id);
}

char *
bk_engine_occurrence_uid (const char *occurrence_id)
{
  const char *at = occurrence_id != NULL ? strrchr (occurrence_id, '@') : NULL;

  if (at == NULL)
    return g_strdup (occurrence_id);
  return g_strndup (occurrence_id, at - occurrence_id);
}

gint64
bk_engine_occurrence_recurrence_id (const char *occurrence_id)
{
  const char *at = occurrence_id != NULL ? strrchr (occurrence_id, '@') : NULL;

  return at != NULL ? g_ascii_strtoll (at + 1, NULL, 10) : 0;
}

static void
run_free (gpointer data)
{
  Run *run = data;

  if (run->meeting != NULL)
    {
      bk_meeting_watch (run->meeting, 0);
      g_signal_handlers_disconnect_by_data (run->meeting, run);
    }
  g_free (run->node_id);
  g_free (run->node_label);
  g_clear_pointer (&run->left, g_ptr_array_unref);
  g_clear_pointer (&run->people, g_ptr_array_unref);
  g_free (run->id);
  g_free (run->uid);
  g_free (run->title);
  g_free (run->bridge_id);
  g_strfreev (run->dial_out);
  g_free (run->call_id);
  g_free (run->space_id);
  g_free (run->error);
  g_free (run->problem);
  g_free (run->not_extended);
  g_clear_object (&run->meeting);
  g_free (run);
}

static gint64
now_unix (BkEngine *self)
{
  g_autoptr(GDateTime) now = bk_clock_now (self->clock);

  return g_date_time_to_unix (now);
}

static gint64
early_join (BkEngine *self)
{
  return bk_booking_index_get_early_join (bk_booking_store_get_index (self->store));
}

static void
set_state (BkEngine      *self,
           Run           *run,
           BkEngineState  state)
{
  if (run->state == state)
    return;
  g_debug ("%s: %s -> %s", run->id, bk_engine_state_to_string (run->state),
           bk_engine_state_to_string (state));
  run->state = state;
  if (state == BK_ENGINE_STATE_RUNNING && run->running_since == 0)
    run->running_since = now_unix (self);
  if (state == BK_ENGINE_STATE_ENDING || state == BK_ENGINE_STATE_ENDED
      || state == BK_ENGINE_STATE_FAILED)
    {
      /* Nobody is redialled in a meeting that is over. */
      g_autofree char *prefix = g_strconcat (TICKET_UNANSWERED_PREFIX, run->id, ":", NULL);

      remove_tickets_with_prefix (self, prefix);
    }
  g_signal_emit (self, signals[SIGNAL_STATE_CHANGED], 0, run->id, state);
  update_n_pending (self);
}

static void
fail (BkEngine   *self,
      Run        *run,
      const char *sentence)
{
  g_free (run->error);
  run->error = g_strdup (sentence);
  g_message ("%s", sentence);
  set_state (self, run, BK_ENGINE_STATE_FAILED);
}

static void
set_problem (BkEngine   *self,
             Run        *run,
             const char *sentence)
{
  g_free (run->problem);
  run->problem = g_strdup (sentence);
  g_message ("%s", sentence);
  g_signal_emit (self, signals[SIGNAL_PROBLEM], 0, run->id, sentence);
}

/* ---- the journal ---- */

static char *
journal_to_text (BkEngine *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  GHashTableIter iter;
  gpointer value;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "meetings");
  json_builder_begin_array (b);
  g_hash_table_iter_init (&iter, self->runs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Run *run = value;

      if (run->journal == JOURNAL_NONE)
        continue;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "occurrence");
      json_builder_add_string_value (b, run->id);
      json_builder_set_member_name (b, "uid");
      json_builder_add_string_value (b, run->uid);
      json_builder_set_member_name (b, "recurrence-id");
      json_builder_add_int_value (b, run->recurrence_id);
      json_builder_set_member_name (b, "title");
      json_builder_add_string_value (b, run->title);
      json_builder_set_member_name (b, "bridge");
      json_builder_add_string_value (b, run->bridge_id);
      json_builder_set_member_name (b, "slot");
      json_builder_add_int_value (b, (gint64) run->slot);
      json_builder_set_member_name (b, "call");
      json_builder_add_string_value (b, run->call_id);
      json_builder_set_member_name (b, "start");
      json_builder_add_int_value (b, run->start);
      json_builder_set_member_name (b, "end");
      json_builder_add_int_value (b, run->end);
      json_builder_set_member_name (b, "extension");
      json_builder_add_int_value (b, run->extension);
      /* A warning given is not given again by the next engine. */
      json_builder_set_member_name (b, "warned-at");
      json_builder_add_int_value (b, run->warned_at);
      /* Automatic extension: a restart keeps the mode (the occurrence may
       * have left the window) and how many were made (at most 16). */
      if (run->extend_mode == BK_EXTEND_AUTOMATIC)
        {
          json_builder_set_member_name (b, "extend-mode");
          json_builder_add_string_value (b, "automatic");
        }
      if (run->auto_extensions > 0)
        {
          json_builder_set_member_name (b, "auto-extensions");
          json_builder_add_int_value (b, run->auto_extensions);
        }
      if (run->ended_now)
        {
          json_builder_set_member_name (b, "ended-now");
          json_builder_add_boolean_value (b, TRUE);
        }
      json_builder_set_member_name (b, "state");
      json_builder_add_string_value (b, journal_names[run->journal]);
      /* Activated at the early join, dialled at the start: a restart in
       * between dials once, at the start; one after it adopts the legs. */
      json_builder_set_member_name (b, "dialled");
      json_builder_add_boolean_value (b, run->dialled);
      if (run->node_id != NULL && *run->node_id != '\0')
        {
          /* The cluster node it runs on (calls are node-local). */
          json_builder_set_member_name (b, "node");
          json_builder_add_string_value (b, run->node_id);
          json_builder_set_member_name (b, "node-label");
          json_builder_add_string_value (b, run->node_label);
        }
      json_builder_set_member_name (b, "running-since");
      json_builder_add_int_value (b, run->running_since);
      json_builder_set_member_name (b, "has-pin");
      json_builder_add_boolean_value (b, run->has_pin);
      if (run->people != NULL)
        {
          /* Who the meeting dials (live additions included; a dropped
           * one is marked: not called again after a restart or a move). */
          json_builder_set_member_name (b, "participants");
          json_builder_begin_array (b);
          for (guint i = 0; i < run->people->len; i++)
            {
              RunParticipant *rp = g_ptr_array_index (run->people, i);

              json_builder_begin_object (b);
              json_builder_set_member_name (b, "address");
              json_builder_add_string_value (b, rp->uri);
              if (rp->gone)
                {
                  json_builder_set_member_name (b, "dropped");
                  json_builder_add_boolean_value (b, TRUE);
                }
              if (rp->early)
                {
                  /* Called before the start by hand: a restart before
                   * the start does not hold them (and adopts their leg,
                   * so the start does not call them again). */
                  json_builder_set_member_name (b, "early");
                  json_builder_add_boolean_value (b, TRUE);
                }
              json_builder_end_object (b);
            }
          json_builder_end_array (b);
        }
      if (run->left != NULL && run->left->len > 0)
        {
          /* Calls on lost nodes, deleted at the end. */
          json_builder_set_member_name (b, "left-on");
          json_builder_begin_array (b);
          for (guint i = 0; i < run->left->len; i++)
            {
              LeftCall *l = g_ptr_array_index (run->left, i);

              json_builder_begin_object (b);
              json_builder_set_member_name (b, "node");
              json_builder_add_string_value (b, l->node_id);
              json_builder_set_member_name (b, "node-label");
              json_builder_add_string_value (b, l->label);
              json_builder_set_member_name (b, "call");
              json_builder_add_string_value (b, l->call_id);
              json_builder_end_object (b);
            }
          json_builder_end_array (b);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}

static void
write_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  BkEngine *self = source;
  const char *text = task_data;
  g_autofree char *dir = g_path_get_dirname (self->journal_path);
  GError *error = NULL;

  g_mkdir_with_parents (dir, 0700);
  if (!g_file_set_contents_full (self->journal_path, text, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void journal_write (BkEngine *self);

static void
write_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  BkEngine *self = BK_ENGINE (object);
  g_autoptr(GPtrArray) done = g_steal_pointer (&self->in_flight);
  g_autoptr(GError) error = NULL;

  self->writing = FALSE;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning ("The meeting journal %s could not be written: %s", self->journal_path, error->message);
  for (guint i = 0; i < done->len; i++)
    {
      GTask *waiter = g_ptr_array_index (done, i);

      if (error != NULL)
        g_task_return_error (waiter, g_error_copy (error));
      else
        g_task_return_boolean (waiter, TRUE);
    }
  if (self->dirty || self->waiting->len > 0)
    journal_write (self);
}

static void
journal_write (BkEngine *self)
{
  g_autoptr(GTask) task = NULL;

  self->writing = TRUE;
  self->dirty = FALSE;
  self->in_flight = g_steal_pointer (&self->waiting);
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  task = g_task_new (self, NULL, write_done_cb, NULL);
  g_task_set_source_tag (task, journal_write);
  g_task_set_task_data (task, journal_to_text (self), g_free);
  g_task_run_in_thread (task, write_thread);
}

/* Writes the journal (off the main thread); @waiter (may be NULL) is
 * completed once the contents as of now are on disk. */
static void
journal_save (BkEngine *self,
              GTask    *waiter)
{
  self->dirty = TRUE;
  if (waiter != NULL)
    g_ptr_array_add (self->waiting, g_object_ref (waiter));
  if (!self->writing)
    journal_write (self);
}

static JournalState
journal_state_from_string (const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (journal_names); i++)
    if (g_strcmp0 (text, journal_names[i]) == 0)
      return i;
  return JOURNAL_NONE;
}

static void
journal_load (BkEngine *self)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *meetings;

  if (!g_file_test (self->journal_path, G_FILE_TEST_EXISTS))
    return;
  if (!json_parser_load_from_file (parser, self->journal_path, &error)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
      || (root = json_node_get_object (json_parser_get_root (parser))) == NULL
      || !json_object_has_member (root, "meetings")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "meetings")))
    {
      g_autofree char *aside = g_strconcat (self->journal_path, ".corrupt", NULL);

      g_rename (self->journal_path, aside);
      g_warning ("The meeting journal %s could not be read (%s); it was moved to %s. "
                 "Meetings already running are adopted by checking their slots.",
                 self->journal_path, error != NULL ? error->message : "not a journal", aside);
      return;
    }

  meetings = json_object_get_array_member (root, "meetings");
  for (guint i = 0; i < json_array_get_length (meetings); i++)
    {
      JsonObject *o = json_array_get_object_element (meetings, i);
      Run *run;

      if (o == NULL || !json_object_has_member (o, "occurrence"))
        continue;
      run = g_new0 (Run, 1);
      run->id = g_strdup (json_object_get_string_member_with_default (o, "occurrence", ""));
      run->uid = g_strdup (json_object_get_string_member_with_default (o, "uid", ""));
      run->recurrence_id = json_object_get_int_member_with_default (o, "recurrence-id", 0);
      run->title = g_strdup (json_object_get_string_member_with_default (o, "title", ""));
      run->bridge_id = g_strdup (json_object_get_string_member_with_default (o, "bridge", ""));
      run->slot = (guint64) json_object_get_int_member_with_default (o, "slot", 0);
      run->call_id = g_strdup (json_object_get_string_member_with_default (o, "call", NULL));
      run->start = json_object_get_int_member_with_default (o, "start", 0);
      run->end = json_object_get_int_member_with_default (o, "end", 0);
      run->extension = json_object_get_int_member_with_default (o, "extension", 0);
      run->warned_at = json_object_get_int_member_with_default (o, "warned-at", 0);
      run->extend_mode = g_strcmp0 (json_object_get_string_member_with_default (o, "extend-mode", ""), "automatic") == 0
                         ? BK_EXTEND_AUTOMATIC : BK_EXTEND_NONE;
      run->auto_extensions = (guint) CLAMP (json_object_get_int_member_with_default (o, "auto-extensions", 0),
                                            0, BK_EXTEND_AUTOMATIC_MAX);
      run->ended_now = json_object_get_boolean_member_with_default (o, "ended-now", FALSE);
      run->journal = journal_state_from_string (json_object_get_string_member_with_default (o, "state", ""));
      /* A journal written before "dialled" existed dialled at activation. */
      run->dialled = json_object_get_boolean_member_with_default (o, "dialled", TRUE);
      run->node_id = g_strdup (json_object_get_string_member_with_default (o, "node", NULL));
      run->node_label = g_strdup (json_object_get_string_member_with_default (o, "node-label", NULL));
      run->running_since = json_object_get_int_member_with_default (o, "running-since", 0);
      run->has_pin = json_object_get_boolean_member_with_default (o, "has-pin", FALSE);
      if (json_object_has_member (o, "participants") &&
          JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "participants")))
        {
          JsonArray *people = json_object_get_array_member (o, "participants");

          run->people = g_ptr_array_new_with_free_func (run_participant_free);
          for (guint k = 0; k < json_array_get_length (people); k++)
            {
              JsonObject *po = json_array_get_object_element (people, k);
              const char *uri = po != NULL ? json_object_get_string_member_with_default (po, "address", NULL) : NULL;

              if (uri != NULL && *uri != '\0')
                run_add_participant (run, uri, json_object_get_boolean_member_with_default (po, "dropped", FALSE),
                                     json_object_get_boolean_member_with_default (po, "early", FALSE));
            }
        }
      if (json_object_has_member (o, "left-on") &&
          JSON_NODE_HOLDS_ARRAY (json_object_get_member (o, "left-on")))
        {
          JsonArray *left = json_object_get_array_member (o, "left-on");

          for (guint k = 0; k < json_array_get_length (left); k++)
            {
              JsonObject *l = json_array_get_object_element (left, k);

              if (l != NULL)
                run_add_left (run, json_object_get_string_member_with_default (l, "node", ""),
                              json_object_get_string_member_with_default (l, "node-label", ""),
                              json_object_get_string_member_with_default (l, "call", NULL));
            }
        }
      run->engine = self;
      run->type = BK_BOOKING_TYPE_RESERVATION;
      switch (run->journal)
        {
        case JOURNAL_STARTING:
        case JOURNAL_RUNNING:
          /* It may run on the bridge: adopt it (or end it when over). */
          run->state = BK_ENGINE_STATE_RUNNING;
          run->verify = TRUE;
          /* Its start was told (RUNNING is journalled as it is reached):
           * finding it again is no new start. */
          run->adopted = run->journal == JOURNAL_RUNNING;
          break;
        case JOURNAL_ENDED:
          run->state = BK_ENGINE_STATE_ENDED;
          break;
        case JOURNAL_FAILED:
          run->state = BK_ENGINE_STATE_FAILED;
          break;
        case JOURNAL_NONE:
        default:
          run_free (run);
          continue;
        }
      g_hash_table_replace (self->runs, run->id, run);
    }
}

/* ---- clients ---- */

typedef struct
{
  BkEngine *engine;
  Run      *run;
} Op;

static Op *
op_new (BkEngine *self,
        Run      *run)
{
  Op *op = g_new0 (Op, 1);

  op->engine = g_object_ref (self);
  op->run = run;
  run->busy = TRUE;
  return op;
}

/* The operation is over: the run may act again; plans again. */
static void
op_done (Op *op)
{
  BkEngine *self = op->engine;

  op->run->busy = FALSE;
  if (self->running && !g_cancellable_is_cancelled (self->cancellable))
    plan (self);
  g_object_unref (self);
  g_free (op);
}

/* ---- the failover chain ---- */

static void
chain_ready_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkBridge *bridge = BK_BRIDGE (object);
  GError *error = NULL;

  if (!bk_bridge_ready_finish (bridge, result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bk_bridge_dup_failover_chain (bridge), (GDestroyNotify) g_ptr_array_unref);
}

/* The nodes a meeting of @bridge_id may run on, in order (a GPtrArray of
 * BkFailoverNode): the bridge's failover chain; a client set for the
 * bridge id is a chain of one node. */
static void
get_chain_async (BkEngine            *self,
                 const char          *bridge_id,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, callback, user_data);
  BkCmsClient *client = g_hash_table_lookup (self->clients, bridge_id);
  BkBridge *bridge;

  g_task_set_source_tag (task, get_chain_async);
  if (client != NULL)
    {
      GPtrArray *chain = g_ptr_array_new_with_free_func ((GDestroyNotify) bk_failover_node_free);
      BkFailoverNode *node = g_new0 (BkFailoverNode, 1);

      node->member_id = g_strdup ("");
      node->label = g_strdup (bk_cms_client_get_bridge (client));
      node->client = g_object_ref (client);
      g_ptr_array_add (chain, node);
      g_task_return_pointer (task, chain, (GDestroyNotify) g_ptr_array_unref);
      return;
    }
  bridge = self->manager != NULL ? bk_bridge_manager_lookup (self->manager, bridge_id) : NULL;
  if (bridge == NULL)
    {
      g_task_return_new_error (task, BK_ENGINE_ERROR, BK_ENGINE_ERROR_UNKNOWN,
                               _("Its bridge is no longer in the list of bridges."));
      return;
    }
  bk_bridge_ready_async (bridge, self->cancellable, chain_ready_cb, g_steal_pointer (&task));
}

static GPtrArray *
get_chain_finish (BkEngine      *self,
                  GAsyncResult  *result,
                  GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the engine's tickets ---- */

/* The bridge that shows @bridge_id's tickets, or NULL (no manager: the
 * engine's own list only). */
static BkBridge *
ticket_bridge (BkEngine   *self,
               const char *bridge_id)
{
  return self->manager != NULL && bridge_id != NULL
         ? bk_bridge_manager_lookup (self->manager, bridge_id) : NULL;
}

static gboolean
find_ticket (BkEngine   *self,
             const char *key,
             guint      *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tickets));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BkTicket) ticket = g_list_model_get_item (G_LIST_MODEL (self->tickets), i);

      if (g_strcmp0 (bk_ticket_get_key (ticket), key) == 0)
        {
          if (position != NULL)
            *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
add_ticket (BkEngine *self,
            BkTicket *ticket)
{
  BkBridge *bridge = ticket_bridge (self, bk_ticket_get_device_id (ticket));
  guint position;

  if (find_ticket (self, bk_ticket_get_key (ticket), &position))
    g_list_store_splice (self->tickets, position, 1, (gpointer *) &ticket, 1);
  else
    g_list_store_append (self->tickets, ticket);
  if (bridge != NULL)
    bk_bridge_add_ticket (bridge, ticket);
}

static gboolean
remove_ticket (BkEngine   *self,
               const char *key)
{
  g_autoptr(BkTicket) ticket = NULL;
  BkBridge *bridge;
  guint position;

  if (!find_ticket (self, key, &position))
    return FALSE;
  ticket = g_list_model_get_item (G_LIST_MODEL (self->tickets), position);
  g_list_store_remove (self->tickets, position);
  bridge = ticket_bridge (self, bk_ticket_get_device_id (ticket));
  if (bridge != NULL)
    bk_bridge_remove_ticket (bridge, key);
  g_hash_table_remove (self->unknown_calls, key);
  return TRUE;
}

static void
remove_tickets_with_prefix (BkEngine   *self,
                            const char *prefix)
{
  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->tickets)); i > 0; i--)
    {
      g_autoptr(BkTicket) ticket = g_list_model_get_item (G_LIST_MODEL (self->tickets), i - 1);

      if (g_str_has_prefix (bk_ticket_get_key (ticket), prefix))
        remove_ticket (self, bk_ticket_get_key (ticket));
    }
}

/* ---- participants who never answer ---- */

static Run *
run_of_meeting (BkEngine  *self,
                BkMeeting *meeting)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->runs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((Run *) value)->meeting == meeting)
      return value;
  return NULL;
}

/* The run's participants follow its meeting's (one added live, one
 * dropped or gone): journalled when they changed, so a restart adopts the
 * meeting with the same people, and a move calls the same people. Only
 * while it runs (the end makes everyone gone). */
static void
run_sync_participants (BkEngine *self,
                       Run      *run)
{
  BkMeeting *m = run->meeting;
  guint n;
  gboolean changed = FALSE;

  if (m == NULL || (run->state != BK_ENGINE_STATE_RUNNING && run->state != BK_ENGINE_STATE_STARTING))
    return;
  n = bk_meeting_get_n_participants (m);
  if (run->people == NULL || run->people->len != n)
    changed = TRUE;
  for (guint i = 0; i < n && !changed; i++)
    {
      RunParticipant *rp = g_ptr_array_index (run->people, i);

      changed = g_strcmp0 (rp->uri, bk_meeting_get_participant_uri (m, i)) != 0
                || rp->gone != (bk_meeting_get_participant_state (m, i) == BK_PARTICIPANT_GONE)
                || rp->early != bk_meeting_get_participant_early (m, i);
    }
  if (!changed)
    return;
  g_clear_pointer (&run->people, g_ptr_array_unref);
  run->people = g_ptr_array_new_with_free_func (run_participant_free);
  for (guint i = 0; i < n; i++)
    run_add_participant (run, bk_meeting_get_participant_uri (m, i),
                         bk_meeting_get_participant_state (m, i) == BK_PARTICIPANT_GONE,
                         bk_meeting_get_participant_early (m, i));
  if (run->journal != JOURNAL_NONE)
    journal_save (self, NULL);
}

/* A participant's state changed: UNANSWERED after every dial attempt
 * raises a ticket (Redial) and "participant-unanswered"; any other state
 * (redialled, ringing, connected) takes the ticket back. */
static void
participant_changed_cb (BkMeeting *meeting,
                        guint      index,
                        BkEngine  *self)
{
  Run *run = run_of_meeting (self, meeting);
  g_autofree char *key = NULL;
  g_autofree char *sentence = NULL;
  g_autoptr(BkTicket) ticket = NULL;
  const char *uri;
  guint attempts;

  if (run == NULL || index >= bk_meeting_get_n_participants (meeting))
    return;
  run_sync_participants (self, run);
  key = g_strdup_printf (TICKET_UNANSWERED_PREFIX "%s:%u", run->id, index);
  if (bk_meeting_get_participant_state (meeting, index) != BK_PARTICIPANT_UNANSWERED)
    {
      remove_ticket (self, key);
      return;
    }
  if (find_ticket (self, key, NULL))
    return;
  uri = bk_meeting_get_participant_uri (meeting, index);
  attempts = bk_meeting_get_participant_attempts (meeting, index);
  /* Translators: %1$s is a participant's address, %2$s the meeting's
   * title, %3$u how often they were called. */
  sentence = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%1$s did not answer the call into “%2$s” (called %3$u time). Redial when they are ready.",
                                           "%1$s did not answer the call into “%2$s” (called %3$u times). Redial when they are ready.",
                                           attempts),
                              uri, run->title, attempts);
  ticket = bk_ticket_new (run->bridge_id, BK_TICKET_KIND_PARTICIPANT_UNANSWERED,
                          BK_TICKET_SEVERITY_WARNING, key, sentence, _("Redial"),
                          "app.redial-participant", g_variant_new ("(su)", run->id, index));
  g_message ("%s", sentence);
  add_ticket (self, ticket);
  g_signal_emit (self, signals[SIGNAL_PARTICIPANT_UNANSWERED], 0, run->id, index, uri);
}

/* Every meeting the engine starts is watched for participants who never
 * answer. */
static void
watch_participants (BkEngine  *self,
                    BkMeeting *meeting)
{
  g_signal_connect_object (meeting, "participant-changed",
                           G_CALLBACK (participant_changed_cb), self, 0);
}

/* ---- end warnings on the call ---- */

typedef struct
{
  BkEngine *engine;
  char     *bridge_id;
} MessageData;

static void
message_put_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  MessageData *d = user_data;
  BkEngine *self = d->engine;
  g_autoptr(GError) error = NULL;

  if (!bk_cms_client_update_finish (BK_CMS_CLIENT (object), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* A bridge before CMS 2.1 has no message on a call: said once, and
       * not asked again (the notification still warns whoever runs it). */
      if (g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_CMS_FAILURE)
          && bk_cms_error_has_reason (error, "parameterError"))
        {
          if (g_hash_table_add (self->no_messages, g_strdup (d->bridge_id)))
            g_message ("The bridge %s does not show messages on calls (%s): end warnings are given as notifications only.",
                       d->bridge_id, error->message);
        }
      else
        g_message ("An end warning could not be shown on a call of the bridge %s: %s",
                   d->bridge_id, error->message);
    }
  g_object_unref (d->engine);
  g_free (d->bridge_id);
  g_free (d);
}

/* Shows "This meeting ends in N minutes" to everyone in @run's call
 * (PUT /calls/<id> messageText, messagePosition, messageDuration: CMS 2.1
 * and later). It never fails the meeting. */
static void
show_end_message (BkEngine *self,
                  Run      *run,
                  guint     minutes)
{
  const char *call_id = run->meeting != NULL ? bk_meeting_get_call_id (run->meeting) : NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  MessageData *d;

  if (call_id == NULL || g_hash_table_contains (self->no_messages, run->bridge_id))
    return;
  /* Translators: shown on the screens of everyone in the call. */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "This meeting ends in %u minute.",
                                       "This meeting ends in %u minutes.", minutes),
                          minutes);
  {
    const char *params[] = {
      "messageText", text,
      "messagePosition", "bottom",
      "messageDuration", END_MESSAGE_SECONDS,
      NULL
    };

    path = g_strdup_printf ("calls/%s", call_id);
    d = g_new0 (MessageData, 1);
    d->engine = g_object_ref (self);
    d->bridge_id = g_strdup (run->bridge_id);
    bk_cms_client_update_async (bk_meeting_get_client (run->meeting), path, params,
                                self->cancellable, message_put_cb, d);
  }
}

/* ---- calls on our slots without a booking (looked for at launch, after
 * a resume or a clock change, on every node of the chain) ---- */

typedef struct
{
  char    *bridge_id;
  char    *node_id;     /* the node it runs on (calls are node-local) */
  char    *call_id;
  char    *space_id;
  guint64  slot;
} UnknownCall;

static void
unknown_call_free (gpointer data)
{
  UnknownCall *u = data;

  g_free (u->bridge_id);
  g_free (u->node_id);
  g_free (u->call_id);
  g_free (u->space_id);
  g_free (u);
}

/* One bridge's look: one Sweep per node of its chain. */
typedef struct
{
  BkEngine *engine;
  char     *bridge_id;
  guint64   base;
  guint     quantity;
  guint     nodes;      /* node looks still under way (+1 while the chain is read) */
} SweepBridge;

typedef struct
{
  SweepBridge *sb;
  char        *node_id;
  BkCmsClient *client;
  guint        pending;
} Sweep;

static void
sweep_bridge_done (SweepBridge *sb)
{
  if (--sb->nodes > 0)
    return;
  g_hash_table_remove (sb->engine->sweeping, sb->bridge_id);
  g_free (sb->bridge_id);
  g_object_unref (sb->engine);
  g_free (sb);
}

static void
sweep_free (Sweep *sw)
{
  SweepBridge *sb = sw->sb;

  g_clear_object (&sw->client);
  g_free (sw->node_id);
  g_free (sw);
  sweep_bridge_done (sb);
}

/* TRUE when @call_id is a call one of our meetings left on a node that
 * did not answer (it is ended there by the engine, not reported). */
static gboolean
call_is_left (BkEngine   *self,
              const char *call_id)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->runs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Run *run = value;

      for (guint i = 0; run->left != NULL && i < run->left->len; i++)
        if (g_strcmp0 (((LeftCall *) g_ptr_array_index (run->left, i))->call_id, call_id) == 0)
          return TRUE;
    }
  return FALSE;
}

/* TRUE when a meeting of ours is (or is being put) on the slot. */
static gboolean
slot_claimed (BkEngine   *self,
              const char *bridge_id,
              guint64     slot)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->runs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Run *run = value;

      if (run->slot == slot && g_strcmp0 (run->bridge_id, bridge_id) == 0
          && (run->state == BK_ENGINE_STATE_STARTING || run->state == BK_ENGINE_STATE_RUNNING
              || run->state == BK_ENGINE_STATE_ENDING || run->busy))
        return TRUE;
    }
  return FALSE;
}

typedef struct
{
  Sweep *sweep;
  char  *call_id;
} SweepCall;

static void
sweep_space_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  SweepCall *sc = user_data;
  Sweep *sw = sc->sweep;
  SweepBridge *sb = sw->sb;
  BkEngine *self = sb->engine;
  g_autoptr(GError) error = NULL;
  BkCmsCoSpace *space = bk_cms_client_get_finish (BK_CMS_CLIENT (object), result, &error);
  g_autofree char *key = g_strconcat (TICKET_UNKNOWN_CALL_PREFIX, sb->bridge_id, ":", sc->call_id, NULL);
  guint64 slot = 0;

  if (space != NULL && space->call_id != NULL
      && g_ascii_string_to_unsigned (space->call_id, 10, sb->base,
                                     sb->base + MAX (sb->quantity, 1) - 1, &slot, NULL)
      && sb->quantity > 0 && self->running
      && !slot_claimed (self, sb->bridge_id, slot)
      && !call_is_left (self, sc->call_id)
      && !find_ticket (self, key, NULL))   /* said once, not again at the next look */
    {
      g_autofree char *sentence = NULL;
      g_autoptr(BkTicket) ticket = NULL;
      UnknownCall *u = g_new0 (UnknownCall, 1);

      /* Translators: %1$s is the meeting space's name, %2$s its number. */
      sentence = g_strdup_printf (_("A call is running in the meeting space “%1$s” (%2$s), one of the spaces reserved for booked meetings, but no booking is running there (a record may have been lost). End it if nobody needs it; it is left running until then."),
                                  space->name != NULL ? space->name : "", space->call_id);
      u->bridge_id = g_strdup (sb->bridge_id);
      u->node_id = g_strdup (sw->node_id);
      u->call_id = g_strdup (sc->call_id);
      u->space_id = g_strdup (space->id);
      u->slot = slot;
      g_hash_table_replace (self->unknown_calls, g_strdup (key), u);
      ticket = bk_ticket_new (sb->bridge_id, BK_TICKET_KIND_UNKNOWN_CALL, BK_TICKET_SEVERITY_WARNING,
                              key, sentence, _("End Call"), "app.end-unknown-call",
                              g_variant_new ("(ss)", sb->bridge_id, sc->call_id));
      g_message ("%s", sentence);
      add_ticket (self, ticket);
      g_signal_emit (self, signals[SIGNAL_UNKNOWN_CALL], 0, sb->bridge_id, sc->call_id, sentence);
    }
  else if (space == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
           && !g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_NOT_FOUND))
    g_message ("The space of the call %s on the bridge %s could not be read: %s",
               sc->call_id, sb->bridge_id, error->message);
  if (space != NULL)
    bk_cms_co_space_free (space);
  g_free (sc->call_id);
  g_free (sc);
  if (--sw->pending == 0)
    sweep_free (sw);
}

static void
sweep_calls_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Sweep *sw = user_data;
  SweepBridge *sb = sw->sb;
  BkEngine *self = sb->engine;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) calls = bk_cms_client_list_finish (BK_CMS_CLIENT (object), result, &error);
  g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) gone = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key, value;

  if (calls == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("The calls on the bridge %s could not be listed: %s", sb->bridge_id, error->message);
      sweep_free (sw);
      return;
    }
  /* A call reported earlier on this node that is not there any more
   * (ended by someone else): its ticket goes. */
  for (guint i = 0; i < calls->len; i++)
    g_hash_table_add (listed, ((BkCmsCall *) g_ptr_array_index (calls, i))->id);
  g_hash_table_iter_init (&iter, self->unknown_calls);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      UnknownCall *u = value;

      if (g_strcmp0 (u->bridge_id, sb->bridge_id) == 0 && g_strcmp0 (u->node_id, sw->node_id) == 0
          && !g_hash_table_contains (listed, u->call_id))
        g_ptr_array_add (gone, g_strdup (key));
    }
  for (guint i = 0; i < gone->len; i++)
    remove_ticket (self, g_ptr_array_index (gone, i));

  /* Only a call in a space can be on a slot: its space says which. */
  sw->pending = 1;
  for (guint i = 0; i < calls->len; i++)
    {
      const BkCmsCall *call = g_ptr_array_index (calls, i);
      g_autofree char *path = NULL;
      g_autofree char *ticket_key = NULL;
      SweepCall *sc;

      if (call->co_space == NULL || call->co_space[0] == '\0')
        continue;
      /* Already reported: not asked about again. */
      ticket_key = g_strconcat (TICKET_UNKNOWN_CALL_PREFIX, sb->bridge_id, ":", call->id, NULL);
      if (find_ticket (self, ticket_key, NULL))
        continue;
      path = g_strdup_printf ("coSpaces/%s", call->co_space);
      sc = g_new0 (SweepCall, 1);
      sc->sweep = sw;
      sc->call_id = g_strdup (call->id);
      sw->pending++;
      bk_cms_client_get_async (sw->client, BK_CMS_KIND_COSPACE, path, NULL,
                               self->cancellable, sweep_space_cb, sc);
    }
  if (--sw->pending == 0)
    sweep_free (sw);
}

static void
sweep_chain_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  SweepBridge *sb = user_data;
  BkEngine *self = sb->engine;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) chain = get_chain_finish (self, result, &error);

  if (chain == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("The bridge %s was not searched for calls left without a booking: %s",
                   sb->bridge_id, error->message);
      sweep_bridge_done (sb);
      return;
    }
  /* Calls are node-local: every node that may be used is asked (one that
   * does not answer is said in the log, and asked again next time). */
  for (guint i = 0; i < chain->len; i++)
    {
      BkFailoverNode *node = g_ptr_array_index (chain, i);
      Sweep *sw;

      if (node->client == NULL)
        continue;
      sw = g_new0 (Sweep, 1);
      sw->sb = sb;
      sw->node_id = g_strdup (node->member_id);
      sw->client = g_object_ref (node->client);
      sb->nodes++;
      bk_cms_client_list_async (sw->client, BK_CMS_KIND_CALL, "calls", NULL, NULL, NULL,
                                self->cancellable, sweep_calls_cb, sw);
    }
  sweep_bridge_done (sb);
}

/* At launch, and after a resume or a clock change (the clock's "changed":
 * time passed unwatched): every listed bridge with slots is asked for its
 * calls on every node of its failover chain (GET /calls on each, and each
 * call's space once); a call on a slot that no meeting of ours holds (a
 * journal lost, a crash before the journal was written, a meeting started
 * by hand) becomes a ticket and "unknown-call", offering End, once: a
 * call already reported is not asked about again, and its ticket goes
 * when the call is no longer there. It is never ended without being
 * asked. A bridge still being looked at is not looked at twice at once. */
static void
sweep_unknown_calls (BkEngine *self)
{
  GListModel *devices;
  guint n;

  if (self->manager == NULL || !self->running)
    return;
  devices = G_LIST_MODEL (bk_bridge_manager_get_store (self->manager));
  n = g_list_model_get_n_items (devices);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BkDevice) device = g_list_model_get_item (devices, i);
      SweepBridge *sb;

      if (bk_device_get_numeric_id_quantity (device) == 0
          || !g_hash_table_add (self->sweeping, g_strdup (bk_device_get_id (device))))
        continue;
      sb = g_new0 (SweepBridge, 1);
      sb->engine = g_object_ref (self);
      sb->bridge_id = g_strdup (bk_device_get_id (device));
      sb->base = bk_device_get_numeric_id_base (device);
      sb->quantity = bk_device_get_numeric_id_quantity (device);
      sb->nodes = 1;
      get_chain_async (self, sb->bridge_id, sweep_chain_cb, sb);
    }
}

static void
end_unknown_done_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkEngine *self = g_task_get_source_object (task);
  const char *key = g_task_get_task_data (task);
  GError *error = NULL;

  if (!bk_meeting_end_finish (BK_MEETING (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  remove_ticket (self, key);
  g_task_return_boolean (task, TRUE);
}

static guint chain_find (GPtrArray *chain, const char *node_id);

static void
end_unknown_chain_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BkEngine *self = g_task_get_source_object (task);
  UnknownCall *u = g_hash_table_lookup (self->unknown_calls, g_task_get_task_data (task));
  g_autoptr(GPtrArray) chain = NULL;
  g_autoptr(BkMeeting) meeting = NULL;
  g_autofree char *title = NULL;
  BkFailoverNode *node = NULL;
  GCancellable *cancellable;
  GError *error = NULL;
  guint index;

  chain = get_chain_finish (self, result, &error);
  if (chain == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (u == NULL)
    {
      g_task_return_boolean (task, TRUE);   /* ended meanwhile */
      return;
    }
  /* On the node where it was found (calls are node-local). */
  index = chain_find (chain, u->node_id);
  if (index != G_MAXUINT)
    node = g_ptr_array_index (chain, index);
  if (node == NULL || node->client == NULL)
    {
      g_task_return_new_error (task, BK_ENGINE_ERROR, BK_ENGINE_ERROR_UNKNOWN,
                               _("The call could not be ended: the call bridge it runs on is no longer one Bridgekeeper may use. End it on that call bridge."));
      return;
    }
  /* Ended as a meeting: the call on the slot is found and deleted (one
   * already gone counts as ended), then the slot is reset. */
  title = g_strdup_printf ("%" G_GUINT64_FORMAT, u->slot);
  meeting = bk_meeting_new (node->client, u->slot, u->space_id, title, NULL, NULL);
  cancellable = g_task_get_cancellable (task);
  bk_meeting_end_async (meeting, cancellable, end_unknown_done_cb, g_steal_pointer (&task));
}

/* The index of the node @node_id in @chain (NULL or "": the first, the
 * primary); G_MAXUINT when it is not in the chain any more. */
static guint
chain_find (GPtrArray  *chain,
            const char *node_id)
{
  if (node_id == NULL || *node_id == '\0')
    return 0;
  for (guint i = 0; i < chain->len; i++)
    {
      BkFailoverNode *node = g_ptr_array_index (chain, i);

      if (g_strcmp0 (node->member_id, node_id) == 0)
        return i;
    }
  return G_MAXUINT;
}

/* Moves the node @node_id to the front of @chain (where a meeting runs
 * is looked at first), the others keep their order. */
static void
chain_put_first (GPtrArray  *chain,
                 const char *node_id)
{
  guint i = chain_find (chain, node_id);

  if (i > 0 && i != G_MAXUINT)
    {
      gpointer node = g_ptr_array_steal_index (chain, i);

      g_ptr_array_insert (chain, 0, node);
    }
}

static void
run_set_node (Run                  *run,
              const BkFailoverNode *node)
{
  g_free (run->node_id);
  run->node_id = g_strdup (node->member_id);
  g_free (run->node_label);
  run->node_label = g_strdup (node->label);
}

/* Whether the node after the one that failed with @cause is tried: when
 * this one did not answer at all; or refused us (certificate, API user)
 * while the chain is already being walked because the ones before did
 * not answer. The first node's refusal, like any HTTP answer, is a real
 * answer: it is reported, not passed over. */
static gboolean
try_next_node (const GError *cause,
               guint         index)
{
  return bk_meeting_error_is_no_answer (cause) || (index > 0 && bk_meeting_error_is_refused (cause));
}

/* One sentence about what happened on @node: it was skipped, its
 * certificate is not trusted, it did not answer, or refused us. */
static char *
describe_node_failure (const BkFailoverNode *node,
                       const GError         *cause,
                       const GError         *error)
{
  if (node->client == NULL)
    return g_strdup (node->skip_reason);
  if (g_error_matches (cause, BK_CMS_ERROR, BK_CMS_ERROR_TLS_PIN_MISMATCH) && *node->member_id != '\0')
    /* Translators: %s is a call bridge, e.g. "CallBridge-Core3 (10.0.0.3:443)". */
    return g_strdup_printf (_("%s was not tried: its certificate has changed since it was confirmed in Bridgekeeper, so nothing was sent to it. See the bridge’s tickets."),
                            node->label);
  if (bk_meeting_error_is_untrusted (cause))
    return g_strdup_printf (_("%s was not tried: its certificate was never confirmed in Bridgekeeper (or has changed), so nothing was sent to it."),
                            node->label);
  if (g_error_matches (cause, BK_CMS_ERROR, BK_CMS_ERROR_UNAUTHORIZED) ||
      g_error_matches (cause, BK_CMS_ERROR, BK_CMS_ERROR_FORBIDDEN))
    return g_strdup_printf (_("%s refused the API user Bridgekeeper has for it."), node->label);
  if (bk_meeting_error_is_no_answer (cause))
    {
      /* What may be left on it (a start it did not finish) is said too. */
      if (g_error_matches (error, BK_MEETING_ERROR, BK_MEETING_ERROR_LEFT_BEHIND))
        return g_strdup_printf (_("%s stopped answering: %s"), node->label, error->message);
      return g_strdup_printf (_("%s did not answer."), node->label);
    }
  return g_strdup_printf ("%s: %s", node->label, error->message);
}

/* What happened on @node of @bridge_id's chain, as describe_node_failure;
 * a member whose certificate is not the one confirmed for it is also
 * told to its bridge now, so its ticket is up at once (not only after
 * the next periodic check): the failover has just refused it. */
static char *
node_failure (BkEngine             *self,
              const char           *bridge_id,
              const BkFailoverNode *node,
              const GError         *cause,
              const GError         *error)
{
  BkBridge *bridge = ticket_bridge (self, bridge_id);

  if (bridge != NULL && node->member_id != NULL && *node->member_id != '\0'
      && g_error_matches (cause, BK_CMS_ERROR, BK_CMS_ERROR_TLS_PIN_MISMATCH))
    bk_bridge_note_member_certificate (bridge, node->member_id, bk_cms_error_get_peer_sha256 (cause));
  return describe_node_failure (node, cause, error);
}

/* Passes over the nodes of @chain from *@index that have no client (their
 * reason goes into @tried): *@index is then a node to try, or the end. */
static void
chain_skip_unusable (GPtrArray *chain,
                     guint     *index,
                     GPtrArray *tried)
{
  while (*index < chain->len && ((BkFailoverNode *) g_ptr_array_index (chain, *index))->client == NULL)
    {
      g_ptr_array_add (tried, describe_node_failure (g_ptr_array_index (chain, *index), NULL, NULL));
      (*index)++;
    }
}

/* The bridge's chain (get_chain_async's @result) without the node
 * @lost_id, where the meeting could not go on, for a walk to the others.
 * When the chain could not be had, an empty one, with why in @tried (the
 * walk then fails at once, saying so); NULL only when cancelled. */
static GPtrArray *
chain_without_lost (BkEngine     *self,
                    GAsyncResult *result,
                    const char   *lost_id,
                    GPtrArray    *tried)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *chain = get_chain_finish (self, result, &error);
  guint lost;

  if (chain == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return NULL;
      g_ptr_array_add (tried, g_strdup (error->message));
      return g_ptr_array_new_with_free_func ((GDestroyNotify) bk_failover_node_free);
    }
  lost = chain_find (chain, lost_id);
  if (lost != G_MAXUINT)
    g_ptr_array_remove_index (chain, lost);
  return chain;
}

/* ---- check (15 minutes before) ---- */

/* TRUE when the slot is busy with a meeting of ours that ends (and resets
 * the slot) before @run's start: back-to-back bookings share a slot. */
static gboolean
slot_freed_in_time (BkEngine *self,
                    Run      *run)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->runs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Run *other = value;

      if (other != run && other->slot == run->slot
          && g_strcmp0 (other->bridge_id, run->bridge_id) == 0
          && (other->state == BK_ENGINE_STATE_STARTING || other->state == BK_ENGINE_STATE_RUNNING
              || other->state == BK_ENGINE_STATE_ENDING)
          && other->end <= run->start - early_join (self))
        return TRUE;
    }
  return FALSE;
}

typedef struct
{
  Op        *op;
  GPtrArray *chain;     /* BkFailoverNode */
  guint      index;     /* the node asked now */
  GPtrArray *tried;     /* sentences: what the nodes before it did */
} CheckData;

static void
check_data_free (CheckData *cd)
{
  g_clear_pointer (&cd->chain, g_ptr_array_unref);
  g_clear_pointer (&cd->tried, g_ptr_array_unref);
  g_free (cd);
}

static void check_next (CheckData *cd);

static char *
join_sentences (GPtrArray *sentences)
{
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < sentences->len; i++)
    {
      if (i > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, g_ptr_array_index (sentences, i));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
check_listed_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CheckData *cd = user_data;
  Op *op = cd->op;
  BkEngine *self = op->engine;
  Run *run = op->run;
  BkFailoverNode *node = g_ptr_array_index (cd->chain, cd->index);
  g_autoptr(GPtrArray) spaces = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *slot_text = g_strdup_printf ("%" G_GUINT64_FORMAT, run->slot);
  g_autofree char *idle_name = g_strconcat (SLOT_NAME_PREFIX, slot_text, NULL);
  g_autofree char *takeover = NULL;
  const BkCmsCoSpace *space = NULL;

  spaces = bk_cms_client_list_finish (BK_CMS_CLIENT (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      check_data_free (cd);
      op_done (op);
      return;
    }
  if (spaces == NULL && try_next_node (error, cd->index) && cd->index + 1 < cd->chain->len)
    {
      /* The spaces are shared by the cluster: another node can say. */
      g_ptr_array_add (cd->tried, node_failure (self, run->bridge_id, node, error, error));
      cd->index++;
      check_next (cd);
      return;
    }
  if (spaces == NULL)
    {
      g_autofree char *s = NULL;

      if (cd->tried->len == 0)
        s = g_strdup_printf (_("The bridge did not answer the check before “%s”: %s It will be tried again at the start."),
                             run->title, error->message);
      else
        {
          g_autofree char *tried = NULL;

          g_ptr_array_add (cd->tried, node_failure (self, run->bridge_id, node, error, error));
          tried = join_sentences (cd->tried);
          s = g_strdup_printf (_("No call bridge of the cluster answered the check before “%s”. %s It will be tried again at the start."),
                               run->title, tried);
        }
      set_problem (self, run, s);
      check_data_free (cd);
      op_done (op);
      return;
    }
  if (cd->index > 0)
    {
      BkFailoverNode *first = g_ptr_array_index (cd->chain, 0);
      g_autofree char *tried = join_sentences (cd->tried);

      /* The primary is down, another node answered: say where it will run. */
      g_debug ("%s: %s does not answer, %s does", run->id, first->label, node->label);
      takeover = g_strdup_printf (_("%s The meeting “%s” will start on %s instead, which answered the check."),
                                  tried, run->title, node->label);
    }
  for (guint i = 0; i < spaces->len && space == NULL; i++)
    {
      const BkCmsCoSpace *s = g_ptr_array_index (spaces, i);

      if (g_strcmp0 (s->call_id, slot_text) == 0)
        space = s;
    }
  if (space == NULL)
    {
      g_autofree char *s = g_strdup_printf (_("The meeting space of slot %s for “%s” is missing on the bridge. Repair the bridge’s slot spaces (the device page) before the meeting starts."),
                                            slot_text, run->title);
      g_autofree char *both = takeover != NULL ? g_strconcat (takeover, " ", s, NULL) : NULL;

      set_problem (self, run, both != NULL ? both : s);
    }
  else if (g_strcmp0 (space->name, idle_name) != 0 && !slot_freed_in_time (self, run))
    {
      g_autofree char *s = g_strdup_printf (_("The meeting space of slot %s for “%s” is in use (it is named “%s”). End what runs there before the meeting starts."),
                                            slot_text, run->title, space->name != NULL ? space->name : "");
      g_autofree char *both = takeover != NULL ? g_strconcat (takeover, " ", s, NULL) : NULL;

      set_problem (self, run, both != NULL ? both : s);
    }
  else
    {
      if (takeover != NULL)
        set_problem (self, run, takeover);
      else
        g_clear_pointer (&run->problem, g_free);
      g_free (run->space_id);
      run->space_id = g_strdup (space->id);
    }
  check_data_free (cd);
  op_done (op);
}

/* Lists the slot's space on the node cd->index, or on the next one that
 * may be asked. */
static void
check_next (CheckData *cd)
{
  BkEngine *self = cd->op->engine;
  Run *run = cd->op->run;
  g_autofree char *slot_text = g_strdup_printf ("%" G_GUINT64_FORMAT, run->slot);
  const char *params[] = { "filter", slot_text, NULL };
  BkFailoverNode *node;

  chain_skip_unusable (cd->chain, &cd->index, cd->tried);
  if (cd->index >= cd->chain->len)
    {
      g_autofree char *tried = join_sentences (cd->tried);
      g_autofree char *s = g_strdup_printf (_("No call bridge of the cluster answered the check before “%s”. %s It will be tried again at the start."),
                                            run->title, tried);
      Op *op = cd->op;

      set_problem (self, run, s);
      check_data_free (cd);
      op_done (op);
      return;
    }
  node = g_ptr_array_index (cd->chain, cd->index);
  bk_cms_client_list_async (node->client, BK_CMS_KIND_COSPACE, "coSpaces", params, NULL, NULL,
                            self->cancellable, check_listed_cb, cd);
}

static void
check_client_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Op *op = user_data;
  BkEngine *self = op->engine;
  Run *run = op->run;
  g_autoptr(GError) error = NULL;
  CheckData *cd;
  GPtrArray *chain;

  chain = get_chain_finish (self, result, &error);
  if (chain == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *s = g_strdup_printf (_("The bridge of “%s” cannot be reached: %s"),
                                                run->title, error->message);
          set_problem (self, run, s);
        }
      op_done (op);
      return;
    }
  cd = g_new0 (CheckData, 1);
  cd->op = op;
  cd->chain = chain;
  cd->tried = g_ptr_array_new_with_free_func (g_free);
  check_next (cd);
}

static void
do_check (BkEngine *self,
          Run      *run)
{
  run->checked = TRUE;
  set_state (self, run, BK_ENGINE_STATE_CHECKING);
  get_chain_async (self, run->bridge_id, check_client_cb, op_new (self, run));
}

/* ---- start ---- */

typedef struct
{
  Op          *op;
  char        *pin;
  gboolean     late;
  GPtrArray   *chain;     /* BkFailoverNode */
  guint        index;     /* the node tried now */
  GPtrArray   *tried;     /* sentences: what the nodes before it did */
} StartData;

static void
start_data_free (StartData *d)
{
  if (d->pin != NULL)
    bk_secrets_password_free (d->pin);
  g_clear_pointer (&d->chain, g_ptr_array_unref);
  g_clear_pointer (&d->tried, g_ptr_array_unref);
  g_free (d);
}

static void node_lost_cb (BkMeeting *meeting, Run *run);
static void start_on_node (StartData *d);

/* The meeting runs: watch it, and move it when its node is lost. */
static void
run_watch (BkEngine *self,
           Run      *run)
{
  g_signal_connect (run->meeting, "node-lost", G_CALLBACK (node_lost_cb), run);
  if (self->poll_interval > 0)
    bk_meeting_watch (run->meeting, self->poll_interval);
}

static void
start_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  StartData *d = user_data;
  Op *op = d->op;
  BkEngine *self = op->engine;
  Run *run = op->run;
  BkMeeting *meeting = BK_MEETING (object);
  BkFailoverNode *node = g_ptr_array_index (d->chain, d->index);
  g_autoptr(GError) error = NULL;

  if (!bk_meeting_start_finish (meeting, result, &error))
    {
      const GError *cause = bk_meeting_get_start_cause (meeting);
      g_autofree char *s = NULL;

      if (!g_cancellable_is_cancelled (self->cancellable) && try_next_node (cause, d->index))
        {
          /* That node cannot run it: the next one of the chain may (the
           * slot's space is shared by the cluster). */
          g_debug ("%s: %s cannot run it: %s", run->id, node->label, error->message);
          g_ptr_array_add (d->tried, node_failure (self, run->bridge_id, node, cause, error));
          if (run->space_id == NULL && bk_meeting_get_space_id (meeting) != NULL)
            run->space_id = g_strdup (bk_meeting_get_space_id (meeting));
          g_clear_object (&run->meeting);
          d->index++;
          start_on_node (d);
          return;
        }
      if (d->tried->len == 0)
        s = g_strdup_printf (_("“%s” could not be started: %s"), run->title, error->message);
      else
        {
          g_autofree char *tried = NULL;

          g_ptr_array_add (d->tried, node_failure (self, run->bridge_id, node, cause, error));
          tried = join_sentences (d->tried);
          s = g_strdup_printf (_("“%s” could not be started. %s"), run->title, tried);
        }
      g_clear_object (&run->meeting);
      run->journal = JOURNAL_FAILED;
      journal_save (self, NULL);
      fail (self, run, s);
    }
  else
    {
      gboolean moved = d->index > 0 && d->tried->len > 0;

      g_free (run->call_id);
      run->call_id = g_strdup (bk_meeting_get_call_id (meeting));
      run->verify = FALSE;
      run->journal = JOURNAL_RUNNING;
      run_sync_participants (self, run);
      journal_save (self, NULL);
      run_watch (self, run);
      set_state (self, run, BK_ENGINE_STATE_RUNNING);
      if (moved)
        {
          g_message ("“%s” started on %s: %s", run->title, node->label, ((char *) g_ptr_array_index (d->tried, 0)));
          g_signal_emit (self, signals[SIGNAL_FAILED_OVER], 0, run->id, node->label);
        }
    }
  start_data_free (d);
  op_done (op);
}

/* The journal names the node before anything is sent to it. */
static void
start_node_journalled_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  StartData *d = user_data;
  Op *op = d->op;
  Run *run = op->run;
  BkEngine *self = op->engine;
  BkFailoverNode *node = g_ptr_array_index (d->chain, d->index);
  g_autoptr(GError) error = NULL;
  BkMeetingStartFlags flags = BK_MEETING_START_NONE;

  /* A journal that could not be written is logged; the meeting starts
   * anyway (missing it is worse than a restart having to look). */
  g_task_propagate_boolean (G_TASK (result), &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      start_data_free (d);
      op_done (op);
      return;
    }
  if (run->verify || d->late)
    flags |= BK_MEETING_START_VERIFY;
  g_clear_object (&run->meeting);
  {
    /* The journalled participants (a restart, a retry: live additions
     * included, the dropped ones not called). */
    g_autoptr(GStrvBuilder) uris = g_strv_builder_new ();
    g_auto(GStrv) list = NULL;

    for (guint i = 0; i < run->people->len; i++)
      g_strv_builder_add (uris, ((RunParticipant *) g_ptr_array_index (run->people, i))->uri);
    list = g_strv_builder_end (uris);
    run->meeting = bk_meeting_new (node->client, run->slot, run->space_id, run->title, d->pin,
                                   (const char * const *) list);
    for (guint i = 0; i < run->people->len; i++)
      {
        RunParticipant *rp = g_ptr_array_index (run->people, i);

        if (rp->gone)
          bk_meeting_set_participant_gone (run->meeting, i);
        if (rp->early)
          bk_meeting_set_participant_early (run->meeting, i);
      }
  }
  /* Activated before its start: its participants are called at the start
   * (do_dial), not now. */
  bk_meeting_set_dial_held (run->meeting, !run->dialled);
  watch_participants (self, run->meeting);
  bk_meeting_start_async (run->meeting, flags, self->cancellable, start_done_cb, d);
}

/* Starts on the node d->index, or the next one that may be used; fails
 * with what was tried when none is left. */
static void
start_on_node (StartData *d)
{
  Op *op = d->op;
  Run *run = op->run;
  BkEngine *self = op->engine;
  g_autoptr(GTask) waiter = NULL;

  chain_skip_unusable (d->chain, &d->index, d->tried);
  if (d->index >= d->chain->len)
    {
      g_autofree char *tried = join_sentences (d->tried);
      g_autofree char *s = g_strdup_printf (_("“%s” could not be started: no call bridge of its cluster could run it. %s"),
                                            run->title, tried);

      run->journal = JOURNAL_FAILED;
      journal_save (self, NULL);
      fail (self, run, s);
      start_data_free (d);
      op_done (op);
      return;
    }
  run_set_node (run, g_ptr_array_index (d->chain, d->index));
  /* A first start dials the booking's participants; an earlier run's
   * meeting (a restart, a retry) the ones it had. */
  if (run->people == NULL || !run->verify)
    {
      g_clear_pointer (&run->people, g_ptr_array_unref);
      run->people = g_ptr_array_new_with_free_func (run_participant_free);
      for (guint i = 0; run->dial_out != NULL && run->dial_out[i] != NULL; i++)
        run_add_participant (run, run->dial_out[i], FALSE, FALSE);
    }
  run->journal = JOURNAL_STARTING;
  /* Its start has come (a late start, a restart, a retry) or nobody is
   * to be called: the participants are dialled with the start's requests,
   * and the journal says so before any is sent. */
  if (!run->dialled && (run->people->len == 0 || now_unix (self) >= run->start))
    run->dialled = TRUE;
  waiter = g_task_new (self, NULL, start_node_journalled_cb, d);
  journal_save (self, waiter);
}

static void
start_pin_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  StartData *d = user_data;
  g_autoptr(GError) error = NULL;

  d->pin = bk_secrets_lookup_finish (BK_SECRETS (object), result, &error);
  if (error != NULL)
    {
      Op *op = d->op;
      g_autofree char *s = g_strdup_printf (_("“%s” could not be started: its PIN could not be read from the keyring (%s). Nothing was changed on the bridge."),
                                            op->run->title, error->message);

      fail (op->engine, op->run, s);
      start_data_free (d);
      op_done (op);
      return;
    }
  start_on_node (d);
}

static void
start_client_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  StartData *d = user_data;
  Op *op = d->op;
  BkEngine *self = op->engine;
  Run *run = op->run;
  g_autoptr(GError) error = NULL;

  d->chain = get_chain_finish (self, result, &error);
  if (d->chain == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *s = g_strdup_printf (_("“%s” could not be started: %s Nothing was changed on the bridge."),
                                                run->title, error->message);
          fail (self, run, s);
        }
      start_data_free (d);
      op_done (op);
      return;
    }
  /* An earlier start may have reached a node: look there first (calls
   * are node-local; the others are verified too). */
  if (run->verify)
    chain_put_first (d->chain, run->node_id);
  if (run->has_pin && self->secrets != NULL)
    bk_secrets_lookup_async (self->secrets, run->uid, BK_SECRET_KIND_BOOKING_PIN,
                             self->cancellable, start_pin_cb, d);
  else
    start_on_node (d);
}

static void
do_start (BkEngine *self,
          Run      *run,
          gint64    now)
{
  StartData *d = g_new0 (StartData, 1);

  d->op = op_new (self, run);
  d->late = now > run->start - early_join (self) + BK_ENGINE_LATE_GRACE;
  d->tried = g_ptr_array_new_with_free_func (g_free);
  set_state (self, run, BK_ENGINE_STATE_STARTING);
  get_chain_async (self, run->bridge_id, start_client_cb, d);
}

/* ---- dial (at the start, the meeting activated at the early join) ---- */

static void
dial_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Op *op = user_data;
  g_autoptr(GError) error = NULL;

  /* A participant whose dial failed keeps the sentence and is redialled
   * by the next poll. */
  if (!bk_meeting_dial_finish (BK_MEETING (object), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_message ("The participants of “%s” could not be called: %s", op->run->title, error->message);
  op_done (op);
}

static void
dial_journalled_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Op *op = user_data;
  BkEngine *self = op->engine;
  Run *run = op->run;

  g_task_propagate_boolean (G_TASK (result), NULL);
  if (g_cancellable_is_cancelled (self->cancellable) || run->meeting == NULL)
    {
      op_done (op);
      return;
    }
  bk_meeting_dial_async (run->meeting, self->cancellable, dial_done_cb, op);
}

/* The start: one callLeg per dial-out participant, in parallel (k
 * requests); "dialled" is journalled first, so a restart after this
 * adopts the legs (listing them) and calls only who has none. */
static void
do_dial (BkEngine *self,
         Run      *run)
{
  Op *op = op_new (self, run);
  g_autoptr(GTask) waiter = NULL;

  g_debug ("%s: its start: dialling", run->id);
  run->dialled = TRUE;
  waiter = g_task_new (self, NULL, dial_journalled_cb, op);
  journal_save (self, waiter);
}

/* ---- end ---- */

static void do_end (BkEngine *self, Run *run);

static gboolean
end_retry (gpointer data)
{
  Op *op = data;
  BkEngine *self = op->engine;
  Run *run = op->run;

  /* A poll round was under way: try again now. */
  op->run->busy = FALSE;
  if (!g_cancellable_is_cancelled (self->cancellable))
    do_end (self, run);
  g_object_unref (self);
  g_free (op);
  return G_SOURCE_REMOVE;
}

/* The end: the meeting's call is ended and its slot reset. */
static void
end_over (Op *op)
{
  BkEngine *self = op->engine;
  Run *run = op->run;
  g_autofree char *left = NULL;

  run->journal = JOURNAL_ENDED;
  g_clear_pointer (&run->call_id, g_free);
  if (run->left != NULL && run->left->len > 0)
    {
      /* What is left on a lost node is said (it may come back with it). */
      g_autoptr(GString) where = g_string_new (NULL);

      for (guint i = 0; i < run->left->len; i++)
        {
          LeftCall *l = g_ptr_array_index (run->left, i);

          if (i > 0)
            g_string_append (where, ", ");
          g_string_append (where, l->label);
        }
      left = g_strdup_printf (_("“%s” has ended, but its call on %s could not be ended there: that call bridge does not answer. Bridgekeeper ends it there as soon as it answers again."),
                              run->title, where->str);
      run->left_retry = now_unix (self) + LEFT_RETRY;
    }
  journal_save (self, NULL);
  set_state (self, run, BK_ENGINE_STATE_ENDED);
  if (left != NULL)
    set_problem (self, run, left);
  op_done (op);
}

typedef struct
{
  Op        *op;
  GPtrArray *chain;
  guint      pending;
  gboolean   after_end;   /* the meeting has ended: only its left calls */
} LeftData;

typedef struct
{
  LeftData *ld;
  LeftCall *left;
} LeftDelete;

static void
left_done_one (LeftData *ld)
{
  Op *op = ld->op;

  if (--ld->pending > 0)
    return;
  g_ptr_array_unref (ld->chain);
  if (ld->after_end)
    {
      BkEngine *self = op->engine;
      Run *run = op->run;

      g_free (ld);
      if (run->left->len == 0)
        {
          g_message ("The calls “%s” had left on call bridges that did not answer are ended.", run->title);
          g_clear_pointer (&run->problem, g_free);
        }
      else
        run->left_retry = now_unix (self) + LEFT_RETRY;
      journal_save (self, NULL);
      op_done (op);
      return;
    }
  g_free (ld);
  end_over (op);
}

static void
left_deleted_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  LeftDelete *del = user_data;
  LeftData *ld = del->ld;
  Run *run = ld->op->run;
  g_autoptr(GError) error = NULL;

  if (bk_cms_client_delete_finish (BK_CMS_CLIENT (object), result, &error) ||
      g_error_matches (error, BK_CMS_ERROR, BK_CMS_ERROR_NOT_FOUND))
    g_ptr_array_remove (run->left, del->left);
  else
    g_message ("The call %s of “%s” on %s could not be ended: %s",
               del->left->call_id, run->title, del->left->label, error->message);
  g_free (del);
  left_done_one (ld);
}

static void
left_chain_run (Op           *op,
                GAsyncResult *result,
                gboolean      after_end)
{
  BkEngine *self = op->engine;
  Run *run = op->run;
  g_autoptr(GPtrArray) left = NULL;
  LeftData *ld;
  GPtrArray *chain;

  chain = get_chain_finish (self, result, NULL);
  if (chain == NULL)
    {
      if (after_end)
        {
          run->left_retry = now_unix (self) + LEFT_RETRY;
          op_done (op);
        }
      else
        end_over (op);
      return;
    }
  ld = g_new0 (LeftData, 1);
  ld->after_end = after_end;
  ld->op = op;
  ld->chain = chain;
  ld->pending = 1;
  /* A list of its own (no free function): entries leave run->left as
   * they are deleted. */
  left = g_ptr_array_new ();
  for (guint i = 0; i < run->left->len; i++)
    g_ptr_array_add (left, g_ptr_array_index (run->left, i));
  for (guint i = 0; i < left->len; i++)
    {
      LeftCall *l = g_ptr_array_index (left, i);
      guint index = chain_find (chain, l->node_id);
      BkFailoverNode *node = index != G_MAXUINT ? g_ptr_array_index (chain, index) : NULL;
      g_autofree char *path = NULL;
      LeftDelete *del;

      if (node == NULL || node->client == NULL)
        continue;
      del = g_new0 (LeftDelete, 1);
      del->ld = ld;
      del->left = l;
      ld->pending++;
      path = g_strdup_printf ("calls/%s", l->call_id);
      bk_cms_client_delete_async (node->client, path, self->cancellable, left_deleted_cb, del);
    }
  left_done_one (ld);
}

static void
left_chain_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  left_chain_run (user_data, result, FALSE);
}

static void
left_again_chain_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  left_chain_run (user_data, result, TRUE);
}

/* An ended meeting's calls left on nodes that did not answer: asked to
 * end again (one DELETE each, on a node that may be used). */
static void
end_left_again (BkEngine *self,
                Run      *run)
{
  Op *op = op_new (self, run);

  get_chain_async (self, run->bridge_id, left_again_chain_cb, op);
}

/* ---- the end along the chain: the meeting's node does not answer ---- */

typedef struct
{
  Op        *op;
  GPtrArray *chain;     /* BkFailoverNode, without the node that did not answer */
  guint      index;
  GPtrArray *tried;     /* sentences */
  BkMeeting *meeting;   /* the end tried on chain[index] */
  char      *silent_id;     /* the node that did not answer, its label, */
  char      *silent_label;
  char      *silent_call;   /* and the meeting's call there */
} EndWalk;

static void
end_walk_free (EndWalk *w)
{
  g_clear_pointer (&w->chain, g_ptr_array_unref);
  g_clear_pointer (&w->tried, g_ptr_array_unref);
  g_clear_object (&w->meeting);
  g_free (w->silent_id);
  g_free (w->silent_label);
  g_free (w->silent_call);
  g_free (w);
}

static void end_walk_next (EndWalk *w);

static void
end_walk_fail (EndWalk *w)
{
  Op *op = w->op;
  Run *run = op->run;
  g_autofree char *tried = join_sentences (w->tried);
  g_autofree char *s = g_strdup_printf (_("“%s” could not be ended: no call bridge of its cluster answered. %s Its call may still be running: Retry ends it."),
                                        run->title, tried);

  run->end_failed = TRUE;
  /* The journal keeps it running: a restart tries the end again. */
  journal_save (op->engine, NULL);
  fail (op->engine, run, s);
  end_walk_free (w);
  op_done (op);
}

static void
end_walk_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  EndWalk *w = user_data;
  Op *op = w->op;
  BkEngine *self = op->engine;
  Run *run = op->run;
  BkFailoverNode *node = g_ptr_array_index (w->chain, w->index);
  g_autoptr(GError) error = NULL;

  if (bk_meeting_end_finish (w->meeting, result, &error))
    {
      /* Ended there (a call the meeting had there was deleted too) and
       * the shared slot reset: the call on the silent node is left,
       * ended there when it answers again (journalled by end_over). */
      run_add_left (run, w->silent_id, w->silent_label, w->silent_call);
      run_set_node (run, node);
      g_clear_object (&run->meeting);
      run->meeting = g_steal_pointer (&w->meeting);
      end_walk_free (w);
      end_over (op);
      return;
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      end_walk_free (w);
      op_done (op);
      return;
    }
  g_ptr_array_add (w->tried, node_failure (self, run->bridge_id, node, bk_meeting_get_end_cause (w->meeting), error));
  if (bk_meeting_error_is_no_answer (bk_meeting_get_end_cause (w->meeting)) ||
      bk_meeting_error_is_refused (bk_meeting_get_end_cause (w->meeting)))
    {
      g_clear_object (&w->meeting);
      w->index++;
      end_walk_next (w);
      return;
    }
  {
    /* An answer: what it said is the end's failure. */
    g_autofree char *s = g_strdup_printf (_("“%s” could not be ended: %s"), run->title, error->message);

    run->end_failed = TRUE;
    journal_save (self, NULL);
    fail (self, run, s);
  }
  end_walk_free (w);
  op_done (op);
}

static void
end_walk_next (EndWalk *w)
{
  Op *op = w->op;
  Run *run = op->run;
  BkFailoverNode *node;

  chain_skip_unusable (w->chain, &w->index, w->tried);
  if (w->index >= w->chain->len)
    {
      end_walk_fail (w);
      return;
    }
  node = g_ptr_array_index (w->chain, w->index);
  /* A fresh meeting on that node: it lists the calls on the slot there
   * (the meeting may have been moved there), deletes one it finds, and
   * resets the slot (the space is shared by the cluster). */
  w->meeting = bk_meeting_new (node->client, run->slot, run->space_id, run->title, NULL, NULL);
  bk_meeting_end_async (w->meeting, op->engine->cancellable, end_walk_cb, w);
}

static void
end_walk_chain_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  EndWalk *w = user_data;

  w->chain = chain_without_lost (w->op->engine, result, w->op->run->node_id, w->tried);
  if (w->chain == NULL)
    {
      Op *op = w->op;

      end_walk_free (w);
      op_done (op);
      return;
    }
  end_walk_next (w);
}

/* The end on the meeting's node got no answer at all (the node is lost,
 * and the watch has not said so yet, or no watch runs): the end goes on
 * along the chain: on the first node that answers, a call of the meeting
 * found there is deleted and the shared slot reset; the call on the silent
 * node is then kept in the journal, and ended there when that node
 * answers again. When no node answers, the end fails where it was (Retry
 * ends it there). */
/* The walk from the meeting's node (@call_id: its call there, or NULL),
 * which could not be used: @why says why (or NULL). */
static void
end_walk_start (Op         *op,
                const char *call_id,
                const char *why)
{
  BkEngine *self = op->engine;
  Run *run = op->run;
  EndWalk *w;

  g_message ("The call bridge running “%s” (%s) cannot end it: ending it along its cluster",
             run->title, run->node_label != NULL ? run->node_label : run->bridge_id);
  w = g_new0 (EndWalk, 1);
  w->op = op;
  w->tried = g_ptr_array_new_with_free_func (g_free);
  if (why != NULL)
    g_ptr_array_add (w->tried, g_strdup (why));
  w->silent_id = g_strdup (run->node_id);
  w->silent_label = g_strdup (run->node_label);
  w->silent_call = g_strdup (call_id);
  get_chain_async (self, run->bridge_id, end_walk_chain_cb, w);
}

static void
end_walk (Op        *op,
          BkMeeting *silent)
{
  Run *run = op->run;
  /* Its call there (not known whether it was deleted when the node went
   * silent after a fresh look: the journalled one; a DELETE of a call
   * already gone counts as done). */
  const char *call_id = bk_meeting_get_call_id (silent) != NULL ? bk_meeting_get_call_id (silent) : run->call_id;

  /* The space is shared: its id holds on every node (no look-up). */
  if (run->space_id == NULL && bk_meeting_get_space_id (silent) != NULL)
    run->space_id = g_strdup (bk_meeting_get_space_id (silent));
  end_walk_start (op, call_id, NULL);
}

static void
end_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Op *op = user_data;
  BkEngine *self = op->engine;
  Run *run = op->run;
  g_autoptr(GError) error = NULL;

  if (!bk_meeting_end_finish (BK_MEETING (object), result, &error))
    {
      const GError *cause = bk_meeting_get_end_cause (BK_MEETING (object));

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
        {
          g_timeout_add (100, end_retry, op);
          return;
        }
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          && bk_meeting_error_is_no_answer (cause))
        {
          /* Its node is lost: the end walks the chain. */
          end_walk (op, BK_MEETING (object));
          return;
        }
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *s = g_strdup_printf (_("“%s” could not be ended: %s"), run->title, error->message);

          run->end_failed = TRUE;

          /* The journal keeps it running: a restart tries the end again. */
          fail (self, run, s);
        }
    }
  else if (run->left != NULL && run->left->len > 0)
    {
      /* The calls it had on nodes that were lost: ended there too, if
       * they answer again (one DELETE each). */
      get_chain_async (self, run->bridge_id, left_chain_cb, op);
      return;
    }
  else
    {
      end_over (op);
      return;
    }
  op_done (op);
}

static void
end_client_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Op *op = user_data;
  BkEngine *self = op->engine;
  Run *run = op->run;
  g_autoptr(GPtrArray) chain = NULL;
  g_autoptr(GError) error = NULL;
  BkFailoverNode *node;
  guint index;

  chain = get_chain_finish (self, result, &error);
  if (chain == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *s = g_strdup_printf (_("“%s” could not be ended: %s"), run->title, error->message);

          run->end_failed = TRUE;
          fail (self, run, s);
        }
      op_done (op);
      return;
    }
  /* The call is on the node the journal names (calls are node-local). */
  index = chain_find (chain, run->node_id);
  node = g_ptr_array_index (chain, index != G_MAXUINT ? index : 0);
  if (node->client == NULL)
    {
      /* That node may not be used (its certificate changed, say): the
       * end goes along the chain; its call there is kept, and ended
       * there once it may be used again. */
      end_walk_start (op, run->call_id, node->skip_reason);
      return;
    }
  /* A fresh meeting (after a restart) finds the call on the slot itself. */
  g_clear_object (&run->meeting);
  run->meeting = bk_meeting_new (node->client, run->slot, run->space_id, run->title, NULL, NULL);
  bk_meeting_end_async (run->meeting, self->cancellable, end_done_cb, op);
}

static void
do_end (BkEngine *self,
        Run      *run)
{
  Op *op = op_new (self, run);

  set_state (self, run, BK_ENGINE_STATE_ENDING);
  if (run->meeting != NULL)
    {
      bk_meeting_watch (run->meeting, 0);
      bk_meeting_end_async (run->meeting, self->cancellable, end_done_cb, op);
    }
  else
    get_chain_async (self, run->bridge_id, end_client_cb, op);
}

/* ---- automatic extension (TMS's Extend Mode "Automatic Best Effort") ---- */

static gboolean extend_check (BkEngine *self, Run *run, guint minutes, gboolean automatic, GError **error);
static void extend_apply (BkEngine *self, Run *run, guint minutes);

/* At its end, an Automatic meeting that we run (not one ended with End
 * Now, nor one whose booking was deleted, nor an end missed by more than
 * an extension: the computer slept) is looked at before it is ended. */
static gboolean
wants_auto_extend (BkEngine *self,
                   Run      *run,
                   gint64    now)
{
  return run->extend_mode == BK_EXTEND_AUTOMATIC && !run->ended_now
         && run->meeting != NULL && bk_meeting_is_running (run->meeting)
         && now < run->end + BK_EXTEND_AUTOMATIC_MINUTES * 60
         && bk_booking_store_lookup (self->store, run->uid) != NULL;
}

/* Not extended: ended as any meeting, with the reason kept for the
 * application's "Meeting Ended" (bk_engine_get_not_extended). */
static void
auto_extend_refused (Op         *op,
                     const char *sentence)
{
  BkEngine *self = op->engine;
  Run *run = op->run;

  g_free (run->not_extended);
  run->not_extended = g_strdup (sentence);
  if (sentence != NULL)
    g_message ("“%s” is not extended: %s", run->title, sentence);
  run->busy = FALSE;
  do_end (self, run);
  g_object_unref (self);
  g_free (op);
}

/* Who is there is known (a fresh poll): extended by 15 minutes when at
 * least one participant is still connected. */
static void
auto_extend_decide (Op *op)
{
  BkEngine *self = op->engine;
  Run *run = op->run;
  g_autoptr(GError) error = NULL;

  /* Moved meanwhile (Extend by hand), or ended on purpose (End Now). */
  if (run->state != BK_ENGINE_STATE_RUNNING || now_unix (self) < run->end)
    {
      op_done (op);
      return;
    }
  if (!wants_auto_extend (self, run, now_unix (self)))
    {
      auto_extend_refused (op, NULL);
      return;
    }
  if (bk_meeting_get_n_connected (run->meeting) == 0)
    {
      auto_extend_refused (op, _("Nobody was connected any more."));
      return;
    }
  /* The bookings may have changed during the poll. */
  if (!extend_check (self, run, BK_EXTEND_AUTOMATIC_MINUTES, TRUE, &error))
    {
      auto_extend_refused (op, error->message);
      return;
    }
  run->auto_extensions++;
  g_clear_pointer (&run->not_extended, g_free);
  g_debug ("%s: extended automatically (%u of %u)", run->id, run->auto_extensions, BK_EXTEND_AUTOMATIC_MAX);
  extend_apply (self, run, BK_EXTEND_AUTOMATIC_MINUTES);   /* journalled with the count */
  g_signal_emit (self, signals[SIGNAL_AUTO_EXTENDED], 0, run->id, run->auto_extensions);
  op_done (op);
}

static void auto_extend_poll (Op *op);

static gboolean
auto_extend_retry (gpointer data)
{
  Op *op = data;

  /* A poll round of the watch was under way: its result is fresh now. */
  if (g_cancellable_is_cancelled (op->engine->cancellable))
    op_done (op);
  else
    auto_extend_poll (op);
  return G_SOURCE_REMOVE;
}

static void
auto_extend_poll_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Op *op = user_data;
  g_autoptr(GError) error = NULL;

  if (bk_meeting_poll_finish (BK_MEETING (object), result, &error))
    auto_extend_decide (op);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
    g_timeout_add (100, auto_extend_retry, op);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    op_done (op);
  else
    {
      /* Translators: %s says why, e.g. the bridge did not answer. */
      g_autofree char *s = g_strdup_printf (_("Who is still connected could not be read from the bridge: %s"),
                                            error->message);

      auto_extend_refused (op, s);
    }
}

/* The watch's last round, when it is recent, says who is there; otherwise
 * one round now (1 + r requests: the call's legs, and each leg not yet
 * known to be connected). */
static void
auto_extend_poll (Op *op)
{
  BkEngine *self = op->engine;
  Run *run = op->run;
  gint64 polled_at = bk_meeting_get_polled_at (run->meeting);

  if (!wants_auto_extend (self, run, now_unix (self)))
    {
      auto_extend_decide (op);
      return;
    }
  if (self->poll_interval > 0 && polled_at > 0
      && g_get_monotonic_time () - polled_at <= (gint64) self->poll_interval * 1000)
    auto_extend_decide (op);
  else
    bk_meeting_poll_async (run->meeting, self->cancellable, auto_extend_poll_cb, op);
}

/* The end of an Automatic meeting: what needs no request first (the count,
 * the bookings next), then who is still connected. */
static void
do_auto_extend (BkEngine *self,
                Run      *run)
{
  Op *op = op_new (self, run);
  g_autoptr(GError) error = NULL;

  if (run->auto_extensions >= BK_EXTEND_AUTOMATIC_MAX)
    {
      g_autofree char *s = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                         "It was extended automatically %u time, the most allowed.",
                                                         "It was extended automatically %u times, the most allowed.",
                                                         run->auto_extensions),
                                            run->auto_extensions);

      auto_extend_refused (op, s);
      return;
    }
  if (!extend_check (self, run, BK_EXTEND_AUTOMATIC_MINUTES, TRUE, &error))
    {
      auto_extend_refused (op, error->message);
      return;
    }
  auto_extend_poll (op);
}

/* ---- failover during a meeting ---- */

typedef struct
{
  Op          *op;
  GPtrArray   *chain;     /* BkFailoverNode, without the lost node */
  guint        index;     /* the node tried now */
  GPtrArray   *tried;     /* sentences */
  BkMeeting   *lost;      /* the meeting on the node that was lost */
  BkMeeting   *meeting;   /* the meeting on the node tried now */
  char        *lost_id;
  char        *lost_label;
} MoveData;

static void
move_data_free (MoveData *m)
{
  g_clear_pointer (&m->chain, g_ptr_array_unref);
  g_clear_pointer (&m->tried, g_ptr_array_unref);
  g_clear_object (&m->lost);
  g_clear_object (&m->meeting);
  g_free (m->lost_id);
  g_free (m->lost_label);
  g_free (m);
}

static void move_on_node (MoveData *m);

/* No node could take the meeting over: it failed; the journal keeps it
 * running on the lost node (a retry or a restart looks for it there
 * first, then along the chain). */
static void
move_fail (MoveData *m)
{
  Op *op = m->op;
  BkEngine *self = op->engine;
  Run *run = op->run;
  g_autofree char *tried = join_sentences (m->tried);
  g_autofree char *s = g_strdup_printf (_("“%s” stopped: %s no longer answers, and the meeting could not be moved to another call bridge of its cluster. %s"),
                                        run->title, m->lost_label != NULL ? m->lost_label : run->bridge_id, tried);

  g_free (run->node_id);
  run->node_id = g_strdup (m->lost_id);
  g_free (run->node_label);
  run->node_label = g_strdup (m->lost_label);
  journal_save (self, NULL);
  bk_meeting_watch (m->lost, 0);
  fail (self, run, s);
  move_data_free (m);
  op_done (op);
}

static void
move_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  MoveData *m = user_data;
  Op *op = m->op;
  BkEngine *self = op->engine;
  Run *run = op->run;
  BkFailoverNode *node = g_ptr_array_index (m->chain, m->index);
  g_autoptr(GError) error = NULL;

  if (!bk_meeting_start_finish (m->meeting, result, &error))
    {
      const GError *cause = bk_meeting_get_start_cause (m->meeting);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          move_data_free (m);
          op_done (op);
          return;
        }
      g_ptr_array_add (m->tried, node_failure (self, run->bridge_id, node, cause, error));
      g_clear_object (&m->meeting);
      if (bk_meeting_error_is_no_answer (cause) || bk_meeting_error_is_refused (cause))
        {
          m->index++;
          move_on_node (m);
        }
      else
        move_fail (m);
      return;
    }

  /* It runs on @node now: the lost node's meeting is let go (its call,
   * if that node comes back with it, is ended there at the end). */
  run_add_left (run, m->lost_id, m->lost_label, bk_meeting_get_call_id (m->lost));
  bk_meeting_watch (m->lost, 0);
  g_signal_handlers_disconnect_by_data (m->lost, run);
  g_clear_object (&run->meeting);
  run->meeting = g_steal_pointer (&m->meeting);
  g_free (run->call_id);
  run->call_id = g_strdup (bk_meeting_get_call_id (run->meeting));
  run->journal = JOURNAL_RUNNING;
  run_sync_participants (self, run);
  journal_save (self, NULL);
  run_watch (self, run);
  g_message ("“%s” moved from %s to %s", run->title, m->lost_label, node->label);
  g_signal_emit (self, signals[SIGNAL_FAILED_OVER], 0, run->id, node->label);
  move_data_free (m);
  op_done (op);
}

static void
move_journalled_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  MoveData *m = user_data;
  BkEngine *self = m->op->engine;
  BkFailoverNode *node = g_ptr_array_index (m->chain, m->index);

  g_task_propagate_boolean (G_TASK (result), NULL);
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      Op *op = m->op;

      move_data_free (m);
      op_done (op);
      return;
    }
  /* The space is shared and still activated: only the call is made (a
   * call an earlier attempt left on that node is adopted), and the
   * participants still to be reached are called again. */
  m->meeting = bk_meeting_new_moved (m->lost, node->client);
  watch_participants (self, m->meeting);
  bk_meeting_start_async (m->meeting, BK_MEETING_START_ACTIVATED | BK_MEETING_START_VERIFY,
                          self->cancellable, move_done_cb, m);
}

static void
move_on_node (MoveData *m)
{
  BkEngine *self = m->op->engine;
  g_autoptr(GTask) waiter = NULL;

  chain_skip_unusable (m->chain, &m->index, m->tried);
  if (m->index >= m->chain->len)
    {
      move_fail (m);
      return;
    }
  /* The journal names the node before anything is sent to it. */
  run_set_node (m->op->run, g_ptr_array_index (m->chain, m->index));
  waiter = g_task_new (self, NULL, move_journalled_cb, m);
  journal_save (self, waiter);
}

static void
move_chain_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  MoveData *m = user_data;

  m->chain = chain_without_lost (m->op->engine, result, m->lost_id, m->tried);
  if (m->chain == NULL)
    {
      Op *op = m->op;

      move_data_free (m);
      op_done (op);
      return;
    }
  move_on_node (m);
}

static void
node_lost_cb (BkMeeting *meeting,
              Run       *run)
{
  BkEngine *self = run->engine;
  MoveData *m;

  if (meeting != run->meeting || run->busy || run->state != BK_ENGINE_STATE_RUNNING ||
      !self->running || g_cancellable_is_cancelled (self->cancellable))
    return;
  g_message ("The call bridge running “%s” (%s) no longer answers: moving the meeting",
             run->title, run->node_label != NULL ? run->node_label : run->bridge_id);
  m = g_new0 (MoveData, 1);
  m->op = op_new (self, run);
  m->tried = g_ptr_array_new_with_free_func (g_free);
  m->lost = g_object_ref (meeting);
  m->lost_id = g_strdup (run->node_id);
  m->lost_label = g_strdup (run->node_label);
  get_chain_async (self, run->bridge_id, move_chain_cb, m);
}

/* ---- planning ---- */

static void
run_update_from (Run                       *run,
                 const BkIndexedOccurrence *io)
{
  BkBooking *b = io->booking;
  GPtrArray *participants = bk_booking_get_occurrence_participants (b, io->occurrence.recurrence_id);
  g_autoptr(GStrvBuilder) dial = g_strv_builder_new ();

  g_free (run->title);
  /* This meeting's own title when it has one, else the series'. */
  run->title = g_strdup (bk_booking_get_occurrence_title (b, io->occurrence.recurrence_id));
  run->has_pin = b->has_pin;
  run->type = b->type;
  run->extend_mode = b->extend_mode;
  if (run->state == BK_ENGINE_STATE_SCHEDULED || run->state == BK_ENGINE_STATE_CHECKING)
    {
      /* Not on a bridge yet: the booking's current bridge, slot and times. */
      g_free (run->bridge_id);
      run->bridge_id = g_strdup (b->bridge_id);
      if (run->slot != b->slot_number)
        g_clear_pointer (&run->space_id, g_free);
      run->slot = b->slot_number;
      run->start = io->occurrence.start;
    }
  run->end = io->occurrence.end + run->extension;
  /* This meeting's own participants when it has them, else the series'. */
  if (b->type == BK_BOOKING_TYPE_AUTOMATIC_CONNECT)
    for (guint i = 0; i < participants->len; i++)
      {
        BkParticipant *p = g_ptr_array_index (participants, i);

        if (p->direction == BK_DIAL_OUT)
          g_strv_builder_add (dial, p->address);
      }
  g_strfreev (run->dial_out);
  run->dial_out = g_strv_builder_end (dial);
}

/* TRUE while another meeting of ours is on @run's slot (starting, running
 * or ending): @run starts only once that one has ended and reset the slot
 * (back-to-back bookings: the end and the next early join are one instant). */
static gboolean
slot_held_by_other (BkEngine *self,
                    Run      *run)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->runs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Run *other = value;

      if (other != run && other->slot == run->slot
          && g_strcmp0 (other->bridge_id, run->bridge_id) == 0
          && (other->state == BK_ENGINE_STATE_STARTING || other->state == BK_ENGINE_STATE_RUNNING
              || other->state == BK_ENGINE_STATE_ENDING))
        return TRUE;
    }
  return FALSE;
}

/* The time of the next end warning not given yet (G_MAXINT64: none). A
 * warning is due when its time is after the last one given, so an
 * extension past a warning's time brings it again before the new end. */
static gint64
next_warning (Run *run)
{
  for (guint i = 0; i < G_N_ELEMENTS (end_warnings); i++)
    {
      gint64 when = run->end - (gint64) end_warnings[i] * 60;

      if (when > run->warned_at)
        return when;
    }
  return G_MAXINT64;
}

/* Emits "ending-soon" with the whole minutes left (rounded up: exactly on
 * a warning's time, its own minutes; later after a late start, fewer). */
static void
warn_end (BkEngine *self,
          Run      *run,
          gint64    now)
{
  guint minutes = (guint) ((run->end - now + 59) / 60);

  run->warned_at = now;
  g_debug ("%s: ends in %u min", run->id, minutes);
  /* Journalled: a restart does not warn again. */
  journal_save (self, NULL);
  g_signal_emit (self, signals[SIGNAL_ENDING_SOON], 0, run->id, minutes);
  show_end_message (self, run, minutes);
}

static gint64
run_due (BkEngine *self,
         Run      *run,
         gint64    now)
{
  gint64 start_at = run->start - early_join (self);
  gint64 due;

  if (run->busy)
    return G_MAXINT64;
  switch (run->state)
    {
    case BK_ENGINE_STATE_SCHEDULED:
    case BK_ENGINE_STATE_CHECKING:
      if (run->state == BK_ENGINE_STATE_SCHEDULED && !run->checked)
        due = MIN (run->start - BK_ENGINE_CHECK_BEFORE, start_at);
      else
        due = start_at;
      /* Its start waits for the slot (planned again when that one ends). */
      if (due == start_at && slot_held_by_other (self, run))
        return G_MAXINT64;
      return due;
    case BK_ENGINE_STATE_RUNNING:
      if (run->meeting == NULL && run->verify)
        return G_MININT64;
      due = MIN (run->end, next_warning (run));
      /* Activated at the early join: its participants are called at its start. */
      if (!run->dialled && run->meeting != NULL)
        due = MIN (due, run->start);
      return due;
    case BK_ENGINE_STATE_ENDED:
    case BK_ENGINE_STATE_FAILED:
      /* Calls it left on nodes that did not answer: asked to end again. */
      if (run->state == BK_ENGINE_STATE_ENDED && run->left != NULL && run->left->len > 0
          && now < run->end + KEEP_LEFT)
        return run->left_retry;
      /* Only to forget it (nothing to do), never a deadline in the past. */
      return run->end + KEEP_OVER > now ? run->end + KEEP_OVER : G_MAXINT64;
    case BK_ENGINE_STATE_STARTING:
    case BK_ENGINE_STATE_ENDING:
    default:
      return G_MAXINT64;
    }
}

static void
run_act (BkEngine *self,
         Run      *run,
         gint64    now)
{
  switch (run->state)
    {
    case BK_ENGINE_STATE_SCHEDULED:
      if (!run->checked && now < run->start - early_join (self))
        do_check (self, run);
      else
        do_start (self, run, now);
      break;
    case BK_ENGINE_STATE_CHECKING:
      do_start (self, run, now);
      break;
    case BK_ENGINE_STATE_RUNNING:
      if (now >= run->end && wants_auto_extend (self, run, now))
        do_auto_extend (self, run);
      else if (now >= run->end)
        do_end (self, run);
      else if (run->meeting == NULL && run->verify)
        do_start (self, run, now);   /* adopt (VERIFY) */
      else if (!run->dialled && run->meeting != NULL && now >= run->start)
        do_dial (self, run);
      else
        warn_end (self, run, now);
      break;
    case BK_ENGINE_STATE_ENDED:
      if (run->left != NULL && run->left->len > 0 && now >= run->left_retry
          && now < run->end + KEEP_LEFT)
        end_left_again (self, run);
      break;
    default:
      break;
    }
}

static gboolean
run_is_over (Run *run)
{
  return run->state == BK_ENGINE_STATE_ENDED || run->state == BK_ENGINE_STATE_FAILED;
}

/* "n-pending": the runs (in the next BK_ENGINE_WINDOW, or running) that
 * are not over; notified when the number changes. */
static void
update_n_pending (BkEngine *self)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  if (self->running)
    {
      g_hash_table_iter_init (&iter, self->runs);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (!run_is_over (value))
          n++;
    }
  if (n == self->n_pending)
    return;
  self->n_pending = n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PENDING]);
}

static void
plan (BkEngine *self)
{
  g_autoptr(GArray) occurrences = NULL;
  g_autoptr(GPtrArray) remove = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer value;
  gint64 now, next = G_MAXINT64;
  gboolean removed = FALSE;

  if (!self->running)
    return;
  if (self->planning)
    {
      self->replan = TRUE;
      return;
    }
  self->planning = TRUE;

again:
  self->replan = FALSE;
  g_ptr_array_set_size (remove, 0);
  removed = FALSE;
  now = now_unix (self);

  g_hash_table_iter_init (&iter, self->runs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    ((Run *) value)->seen = FALSE;

  occurrences = bk_booking_store_query (self->store, NULL, now, now + BK_ENGINE_WINDOW);
  for (guint i = 0; i < occurrences->len; i++)
    {
      const BkIndexedOccurrence *io = &g_array_index (occurrences, BkIndexedOccurrence, i);
      g_autofree char *id = NULL;
      Run *run;

      if (!bk_booking_uses_bridge (io->booking) || io->booking->slot_number == 0
          || io->booking->bridge_id[0] == '\0')
        continue;
      id = bk_engine_occurrence_id (io->booking->uid, io->occurrence.recurrence_id);
      run = g_hash_table_lookup (self->runs, id);
      if (run == NULL)
        {
          run = g_new0 (Run, 1);
          run->engine = self;
          run->id = g_steal_pointer (&id);
          run->uid = g_strdup (io->booking->uid);
          run->recurrence_id = io->occurrence.recurrence_id;
          run->state = BK_ENGINE_STATE_SCHEDULED;
          g_hash_table_replace (self->runs, run->id, run);
        }
      run->seen = TRUE;
      {
        gint64 old_end = run->end;

        run_update_from (run, io);
        /* The booking's end was edited while it runs. */
        if (old_end != 0 && old_end != run->end && run->state == BK_ENGINE_STATE_RUNNING)
          g_signal_emit (self, signals[SIGNAL_END_CHANGED], 0, run->id);
      }
    }
  g_clear_pointer (&occurrences, g_array_unref);

  g_hash_table_iter_init (&iter, self->runs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Run *run = value;

      if (run->seen || run->busy)
        continue;
      switch (run->state)
        {
        case BK_ENGINE_STATE_SCHEDULED:
        case BK_ENGINE_STATE_CHECKING:
          /* Cancelled, or moved out of the window. */
          g_ptr_array_add (remove, run);
          break;
        case BK_ENGINE_STATE_ENDED:
        case BK_ENGINE_STATE_FAILED:
          /* Over: kept a while for the UI (and the journal); one whose
           * end failed is kept (its call may run: Retry, or the next
           * launch, ends it). */
          if (now >= run->end + KEEP_OVER && !run->end_failed)
            {
              if (run->left != NULL && run->left->len > 0 && now < run->end + KEEP_LEFT)
                break;   /* calls left on silent nodes: still asked to end */
              if (run->left != NULL && run->left->len > 0)
                g_message ("“%s” still has a call on a call bridge that has not answered for a day: it is no longer asked to end it.",
                           run->title);
              g_ptr_array_add (remove, run);
            }
          break;
        case BK_ENGINE_STATE_RUNNING:
          /* Its occurrence is over (it runs on to its own end when
           * extended); a deleted booking ends now. */
          if (bk_booking_store_lookup (self->store, run->uid) == NULL)
            run->end = MIN (run->end, now);
          break;
        default:
          break;
        }
    }
  for (guint i = 0; i < remove->len; i++)
    {
      Run *run = g_ptr_array_index (remove, i);

      if (run->journal != JOURNAL_NONE)
        removed = TRUE;
      g_hash_table_remove (self->runs, run->id);
    }
  g_ptr_array_set_size (remove, 0);
  if (removed)
    journal_save (self, NULL);

  /* Act on everything due; acting may complete nothing synchronously. */
  g_hash_table_iter_init (&iter, self->runs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Run *run = value;

      if (run_due (self, run, now) <= now)
        g_ptr_array_add (remove, run);
    }
  for (guint i = 0; i < remove->len; i++)
    run_act (self, g_ptr_array_index (remove, i), now);
  if (self->replan)
    goto again;

  g_hash_table_iter_init (&iter, self->runs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    next = MIN (next, run_due (self, value, now));
  next = MIN (next, now + REPLAN_MAX);
  {
    g_autoptr(GDateTime) deadline = g_date_time_new_from_unix_utc (MAX (next, now));

    bk_clock_arm (self->clock, deadline);
  }
  self->planning = FALSE;
  update_n_pending (self);
}

static void
store_changed_cb (BkBookingStore *store,
                  const char     *uid,
                  BkEngine       *self)
{
  plan (self);
}

static void
alarm_cb (BkClock   *clock,
          GDateTime *reached,
          BkEngine  *self)
{
  plan (self);
}

static void
clock_changed_cb (BkClock  *clock,
                  BkEngine *self)
{
  plan (self);
  /* Time passed unwatched (a suspend, a clock change): calls may have
   * been left on the slots meanwhile (after the plan: the meetings that
   * should run hold their slots). */
  sweep_unknown_calls (self);
}

/* ---- public ---- */

static void
bk_engine_dispose (GObject *object)
{
  BkEngine *self = BK_ENGINE (object);

  self->running = FALSE;
  g_cancellable_cancel (self->cancellable);
  if (self->store != NULL)
    g_clear_signal_handler (&self->store_handler, self->store);
  /* The bridges show the engine's tickets only while it runs. */
  if (self->tickets != NULL)
    {
      remove_tickets_with_prefix (self, "");
      g_list_store_remove_all (self->tickets);
    }
  if (self->clock != NULL)
    {
      g_clear_signal_handler (&self->alarm_handler, self->clock);
      g_clear_signal_handler (&self->changed_handler, self->clock);
      bk_clock_disarm (self->clock);
    }
  g_clear_object (&self->store);
  g_clear_object (&self->clock);
  g_clear_object (&self->manager);
  g_clear_object (&self->secrets);
  if (self->runs != NULL)
    g_hash_table_remove_all (self->runs);

  G_OBJECT_CLASS (bk_engine_parent_class)->dispose (object);
}

static void
bk_engine_finalize (GObject *object)
{
  BkEngine *self = BK_ENGINE (object);

  g_hash_table_unref (self->runs);
  g_hash_table_unref (self->clients);
  g_clear_object (&self->tickets);
  g_hash_table_unref (self->unknown_calls);
  g_hash_table_unref (self->sweeping);
  g_hash_table_unref (self->no_messages);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);
  g_clear_pointer (&self->in_flight, g_ptr_array_unref);
  g_free (self->journal_path);

  G_OBJECT_CLASS (bk_engine_parent_class)->finalize (object);
}

static void
bk_engine_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  BkEngine *self = BK_ENGINE (object);

  switch (prop_id)
    {
    case PROP_N_PENDING:
      g_value_set_uint (value, self->n_pending);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bk_engine_class_init (BkEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bk_engine_dispose;
  object_class->get_property = bk_engine_get_property;

  properties[PROP_N_PENDING] =
    g_param_spec_uint ("n-pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  object_class->finalize = bk_engine_finalize;

  signals[SIGNAL_STATE_CHANGED] =
    g_signal_new ("state-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT);
  signals[SIGNAL_PROBLEM] =
    g_signal_new ("problem", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_ENDING_SOON] =
    g_signal_new ("ending-soon", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
  signals[SIGNAL_END_CHANGED] =
    g_signal_new ("end-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_PARTICIPANT_UNANSWERED] =
    g_signal_new ("participant-unanswered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_STRING);
  signals[SIGNAL_UNKNOWN_CALL] =
    g_signal_new ("unknown-call", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_FAILED_OVER] =
    g_signal_new ("failed-over", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_AUTO_EXTENDED] =
    g_signal_new ("auto-extended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
}

static void
bk_engine_init (BkEngine *self)
{
  self->runs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, run_free);
  self->clients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->cancellable = g_cancellable_new ();
  self->poll_interval = BK_ENGINE_DEFAULT_POLL_INTERVAL_MS;
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  self->tickets = g_list_store_new (BK_TYPE_TICKET);
  self->unknown_calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, unknown_call_free);
  self->sweeping = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->no_messages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

BkEngine *
bk_engine_new (BkBookingStore *store,
               BkClock        *clock,
               const char     *journal_path)
{
  BkEngine *self;

  g_return_val_if_fail (BK_IS_BOOKING_STORE (store), NULL);
  g_return_val_if_fail (BK_IS_CLOCK (clock), NULL);

  self = g_object_new (BK_TYPE_ENGINE, NULL);
  self->store = g_object_ref (store);
  self->clock = g_object_ref (clock);
  if (journal_path != NULL)
    self->journal_path = g_strdup (journal_path);
  else
    {
      BkBookingBackend *backend = bk_booking_store_get_backend (store);
      g_autofree char *dir = NULL;

      if (BK_IS_BOOKING_FILE (backend))
        dir = g_path_get_dirname (bk_booking_file_get_path (BK_BOOKING_FILE (backend)));
      else
        dir = g_build_filename (g_get_user_data_dir (), "bridgekeeper", NULL);
      self->journal_path = g_build_filename (dir, JOURNAL_NAME, NULL);
    }
  journal_load (self);
  return self;
}

const char *
bk_engine_get_journal_path (BkEngine *self)
{
  g_return_val_if_fail (BK_IS_ENGINE (self), NULL);
  return self->journal_path;
}

void
bk_engine_set_bridge_manager (BkEngine        *self,
                              BkBridgeManager *manager)
{
  g_return_if_fail (BK_IS_ENGINE (self));
  g_set_object (&self->manager, manager);
}

void
bk_engine_set_client (BkEngine    *self,
                      const char  *bridge_id,
                      BkCmsClient *client)
{
  g_return_if_fail (BK_IS_ENGINE (self));
  g_return_if_fail (bridge_id != NULL);

  if (client != NULL)
    g_hash_table_replace (self->clients, g_strdup (bridge_id), g_object_ref (client));
  else
    g_hash_table_remove (self->clients, bridge_id);
}

void
bk_engine_set_secrets (BkEngine  *self,
                       BkSecrets *secrets)
{
  g_return_if_fail (BK_IS_ENGINE (self));
  g_set_object (&self->secrets, secrets);
}

void
bk_engine_set_poll_interval (BkEngine *self,
                             guint     ms)
{
  g_return_if_fail (BK_IS_ENGINE (self));
  self->poll_interval = ms;
}

void
bk_engine_run (BkEngine *self)
{
  g_return_if_fail (BK_IS_ENGINE (self));

  if (self->running)
    return;
  self->running = TRUE;
  self->store_handler = g_signal_connect (self->store, "changed", G_CALLBACK (store_changed_cb), self);
  self->alarm_handler = g_signal_connect (self->clock, "alarm", G_CALLBACK (alarm_cb), self);
  self->changed_handler = g_signal_connect (self->clock, "changed", G_CALLBACK (clock_changed_cb), self);
  plan (self);
  /* After the first plan: the meetings that should run hold their slots. */
  sweep_unknown_calls (self);
}

guint
bk_engine_get_n_pending (BkEngine *self)
{
  g_return_val_if_fail (BK_IS_ENGINE (self), 0);

  return self->n_pending;
}

GStrv
bk_engine_dup_occurrence_ids (BkEngine *self)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  GHashTableIter iter;
  gpointer key;

  g_return_val_if_fail (BK_IS_ENGINE (self), NULL);
  g_hash_table_iter_init (&iter, self->runs);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_strv_builder_add (b, key);
  return g_strv_builder_end (b);
}

static Run *
lookup (BkEngine   *self,
        const char *id)
{
  return g_hash_table_lookup (self->runs, id);
}

BkEngineState
bk_engine_get_state (BkEngine   *self,
                     const char *occurrence_id)
{
  Run *run;

  g_return_val_if_fail (BK_IS_ENGINE (self), BK_ENGINE_STATE_SCHEDULED);
  run = lookup (self, occurrence_id);
  return run != NULL ? run->state : BK_ENGINE_STATE_SCHEDULED;
}

const char *
bk_engine_get_error (BkEngine   *self,
                     const char *occurrence_id)
{
  Run *run;

  g_return_val_if_fail (BK_IS_ENGINE (self), NULL);
  run = lookup (self, occurrence_id);
  return run != NULL ? run->error : NULL;
}

const char *
bk_engine_get_problem (BkEngine   *self,
                       const char *occurrence_id)
{
  Run *run;

  g_return_val_if_fail (BK_IS_ENGINE (self), NULL);
  run = lookup (self, occurrence_id);
  return run != NULL ? run->problem : NULL;
}

BkMeeting *
bk_engine_get_meeting (BkEngine   *self,
                       const char *occurrence_id)
{
  Run *run;

  g_return_val_if_fail (BK_IS_ENGINE (self), NULL);
  run = lookup (self, occurrence_id);
  return run != NULL ? run->meeting : NULL;
}

const char *
bk_engine_get_node_label (BkEngine   *self,
                          const char *occurrence_id)
{
  Run *run;

  g_return_val_if_fail (BK_IS_ENGINE (self), NULL);
  run = lookup (self, occurrence_id);
  return run != NULL ? run->node_label : NULL;
}

gint64
bk_engine_get_end (BkEngine   *self,
                   const char *occurrence_id)
{
  Run *run;

  g_return_val_if_fail (BK_IS_ENGINE (self), 0);
  run = lookup (self, occurrence_id);
  return run != NULL ? run->end : 0;
}

static GTimeZone *
zone_of (const BkBooking *booking)
{
  GTimeZone *tz = g_time_zone_new_identifier (booking->time_zone);

  return tz != NULL ? tz : g_time_zone_new_utc ();
}

/* Whether @run may run @minutes longer: refused (FALSE, with the
 * sentence) when its slot or one of its participants is booked in the
 * time added. No request. @automatic: the sentence says only what is
 * booked next (it follows "Not extended:" once the meeting has ended). */
static gboolean
extend_check (BkEngine  *self,
              Run       *run,
              guint      minutes,
              gboolean   automatic,
              GError   **error)
{
  BkBookingIndex *index;
  BkBooking *booking;
  GPtrArray *participants;
  gint64 from, to;

  index = bk_booking_store_get_index (self->store);
  from = run->end;
  to = run->end + (gint64) minutes * 60;

  /* The slot: another booking holds it (from its early join) in the time added. */
  {
    g_autoptr(GArray) holdings = bk_booking_index_query_slots (index, run->bridge_id, from, to, run->uid);

    for (guint i = 0; i < holdings->len; i++)
      {
        const BkIndexedOccurrence *io = &g_array_index (holdings, BkIndexedOccurrence, i);
        g_autoptr(GTimeZone) tz = zone_of (io->booking);
        g_autofree char *when = NULL;

        if (io->booking->slot_number != run->slot)
          continue;
        when = bk_booking_format_time (io->occurrence.start + early_join (self), tz);
        if (automatic)
          g_set_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_SLOT_BOOKED,
                       _("Its meeting space is booked next for “%s” (%s)."),
                       io->booking->title, when);
        else
          g_set_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_SLOT_BOOKED,
                       _("“%s” cannot be extended by %u minutes: its meeting space is booked next for “%s” (%s). Extend it by less, or end it on time."),
                       run->title, minutes, io->booking->title, when);
        return FALSE;
      }
  }

  /* A participant is in another booking in the time added. */
  booking = bk_booking_store_lookup (self->store, run->uid);
  /* This meeting's participants (its own, or the series'), and only the
   * other meetings they are in (one of a series may have its own). */
  participants = booking != NULL
    ? bk_booking_get_occurrence_participants (booking, bk_engine_occurrence_recurrence_id (run->id))
    : NULL;
  for (guint i = 0; participants != NULL && i < participants->len; i++)
    {
      BkParticipant *p = g_ptr_array_index (participants, i);
      g_autofree char *key = bk_participant_address_key (p->address);
      g_autoptr(GPtrArray) others = bk_booking_index_bookings_with_participant (index, key, run->uid);

      for (guint j = 0; j < others->len; j++)
        {
          BkBooking *other = g_ptr_array_index (others, j);
          g_autoptr(GArray) occ = bk_booking_expand (other, from, to, NULL);

          for (guint k = 0; occ != NULL && k < occ->len; )
            if (bk_booking_occurrence_has_participant (other, g_array_index (occ, BkOccurrence, k).recurrence_id, key))
              k++;
            else
              g_array_remove_index (occ, k);
          if (occ != NULL && occ->len > 0)
            {
              g_autoptr(GTimeZone) tz = zone_of (other);
              g_autofree char *when = bk_booking_format_time (g_array_index (occ, BkOccurrence, 0).start, tz);

              if (automatic)
                /* Translators: %1$s is a participant's address, %2$s a booking's title, %3$s its start. */
                g_set_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_PARTICIPANT_BOOKED,
                             _("%1$s is booked next in “%2$s” (%3$s)."),
                             p->address, other->title, when);
              else
                g_set_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_PARTICIPANT_BOOKED,
                             _("“%s” cannot be extended by %u minutes: %s is booked next in “%s” (%s). Extend it by less, or end it on time."),
                             run->title, minutes, p->address, other->title, when);
              return FALSE;
            }
        }
    }
  return TRUE;
}

/* Moves @run's end by @minutes (journalled, "end-changed"); the caller plans. */
static void
extend_apply (BkEngine *self,
              Run      *run,
              guint     minutes)
{
  run->extension += (gint64) minutes * 60;
  run->end += (gint64) minutes * 60;
  journal_save (self, NULL);
  g_signal_emit (self, signals[SIGNAL_END_CHANGED], 0, run->id);
}

gboolean
bk_engine_extend (BkEngine    *self,
                  const char  *occurrence_id,
                  guint        minutes,
                  GError     **error)
{
  Run *run;

  g_return_val_if_fail (BK_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (minutes > 0, FALSE);

  run = lookup (self, occurrence_id);
  if (run == NULL)
    {
      g_set_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_UNKNOWN,
                   _("This meeting is not known to the engine."));
      return FALSE;
    }
  if (run->state != BK_ENGINE_STATE_RUNNING || run->meeting == NULL)
    {
      g_set_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_NOT_RUNNING,
                   _("“%s” is not running, so it cannot be extended."), run->title);
      return FALSE;
    }
  if (!extend_check (self, run, minutes, FALSE, error))
    return FALSE;
  extend_apply (self, run, minutes);
  plan (self);
  return TRUE;
}

guint
bk_engine_get_auto_extensions (BkEngine   *self,
                               const char *occurrence_id)
{
  Run *run;

  g_return_val_if_fail (BK_IS_ENGINE (self), 0);
  run = lookup (self, occurrence_id);
  return run != NULL ? run->auto_extensions : 0;
}

const char *
bk_engine_get_not_extended (BkEngine   *self,
                            const char *occurrence_id)
{
  Run *run;

  g_return_val_if_fail (BK_IS_ENGINE (self), NULL);
  run = lookup (self, occurrence_id);
  return run != NULL ? run->not_extended : NULL;
}

gboolean
bk_engine_retry (BkEngine    *self,
                 const char  *occurrence_id,
                 GError     **error)
{
  Run *run;
  gint64 now;

  g_return_val_if_fail (BK_IS_ENGINE (self), FALSE);

  run = lookup (self, occurrence_id);
  if (run == NULL)
    {
      g_set_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_UNKNOWN,
                   _("This meeting is not known to the engine."));
      return FALSE;
    }
  if (run->state != BK_ENGINE_STATE_FAILED || run->busy)
    {
      g_set_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_NOT_FAILED,
                   _("“%s” did not fail to start, so there is nothing to retry."), run->title);
      return FALSE;
    }
  if (run->end_failed)
    {
      /* Its end failed (its call may still run on the bridge): the end is
       * what is tried again, whenever asked. */
      if (!self->running)
        {
          g_set_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_NOT_RUNNING,
                       _("“%s” cannot be ended now: the engine is stopped."), run->title);
          return FALSE;
        }
      g_clear_pointer (&run->error, g_free);
      run->end_failed = FALSE;
      do_end (self, run);
      return TRUE;
    }
  now = now_unix (self);
  if (now >= run->end)
    {
      g_set_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_OVER,
                   _("“%s” cannot be started again: its end has passed."), run->title);
      return FALSE;
    }
  if (slot_held_by_other (self, run))
    {
      g_set_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_SLOT_BOOKED,
                   _("“%s” cannot be started again yet: another meeting is still on its meeting space. Try again when that one has ended."),
                   run->title);
      return FALSE;
    }
  if (!self->running)
    {
      g_set_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_NOT_RUNNING,
                   _("“%s” cannot be started again: the engine is stopped."), run->title);
      return FALSE;
    }

  /* The failed attempt may have reached the bridge: look before acting. */
  g_clear_pointer (&run->error, g_free);
  run->verify = TRUE;
  run->adopted = FALSE;   /* started again: told again */
  do_start (self, run, now);
  return TRUE;
}

void
bk_engine_flush_async (BkEngine            *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BK_IS_ENGINE (self));
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_engine_flush_async);
  if (!self->writing && !self->dirty)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (self->writing && !self->dirty)
    g_ptr_array_add (self->in_flight, g_steal_pointer (&task));
  else
    journal_save (self, task);
}

gboolean
bk_engine_flush_finish (BkEngine      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- the live meeting panel's actions ---- */

static Run *
lookup_running (BkEngine    *self,
                const char  *occurrence_id,
                GError     **error)
{
  Run *run = lookup (self, occurrence_id);

  if (run == NULL)
    {
      g_set_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_UNKNOWN,
                   _("This meeting is not known to the engine."));
      return NULL;
    }
  if (run->state != BK_ENGINE_STATE_RUNNING || run->meeting == NULL)
    {
      g_set_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_NOT_RUNNING,
                   _("“%s” is not running any more."), run->title);
      return NULL;
    }
  return run;
}

gboolean
bk_engine_end_now (BkEngine    *self,
                   const char  *occurrence_id,
                   GError     **error)
{
  Run *run;
  gint64 now;

  g_return_val_if_fail (BK_IS_ENGINE (self), FALSE);

  run = lookup (self, occurrence_id);
  if (run == NULL)
    {
      g_set_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_UNKNOWN,
                   _("This meeting is not known to the engine."));
      return FALSE;
    }
  if (run->state != BK_ENGINE_STATE_RUNNING)
    {
      g_set_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_NOT_RUNNING,
                   _("“%s” is not running, so it cannot be ended now."), run->title);
      return FALSE;
    }
  if (!self->running)
    {
      g_set_error (error, BK_ENGINE_ERROR, BK_ENGINE_ERROR_NOT_RUNNING,
                   _("“%s” cannot be ended now: the engine is stopped."), run->title);
      return FALSE;
    }

  /* Its end is now: the one deadline ends it (DELETE the call, reset the
   * slot), journalled as any end. The extension goes negative, so a
   * planning round keeps this end. */
  now = now_unix (self);
  /* Ended on purpose: not extended automatically at this end. */
  run->ended_now = TRUE;
  if (run->end > now)
    {
      run->extension -= run->end - now;
      run->end = now;
      journal_save (self, NULL);
      g_signal_emit (self, signals[SIGNAL_END_CHANGED], 0, run->id);
    }
  plan (self);
  return TRUE;
}

gboolean
bk_engine_add_participant (BkEngine    *self,
                           const char  *occurrence_id,
                           const char  *address,
                           GError     **error)
{
  g_autofree char *text = NULL;
  Run *run;

  g_return_val_if_fail (BK_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  text = g_strstrip (g_strdup (address));
  if (!bk_participant_validate_address (text, error))
    return FALSE;
  run = lookup_running (self, occurrence_id, error);
  if (run == NULL)
    return FALSE;
  bk_meeting_add_participant (run->meeting, text);
  /* Journalled: a restart or a move calls them too. */
  run_sync_participants (self, run);
  bk_meeting_refresh (run->meeting);
  return TRUE;
}

gboolean
bk_engine_get_adopted (BkEngine   *self,
                       const char *occurrence_id)
{
  Run *run;

  g_return_val_if_fail (BK_IS_ENGINE (self), FALSE);
  run = lookup (self, occurrence_id);
  return run != NULL && run->adopted;
}

BkClock *
bk_engine_get_clock (BkEngine *self)
{
  g_return_val_if_fail (BK_IS_ENGINE (self), NULL);
  return self->clock;
}

gint64
bk_engine_get_running_since (BkEngine   *self,
                             const char *occurrence_id)
{
  Run *run;

  g_return_val_if_fail (BK_IS_ENGINE (self), 0);
  run = lookup (self, occurrence_id);
  return run != NULL ? run->running_since : 0;
}

GListModel *
bk_engine_get_tickets (BkEngine *self)
{
  g_return_val_if_fail (BK_IS_ENGINE (self), NULL);
  return G_LIST_MODEL (self->tickets);
}

void
bk_engine_end_unknown_call_async (BkEngine            *self,
                                  const char          *bridge_id,
                                  const char          *call_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;
  UnknownCall *u;

  g_return_if_fail (BK_IS_ENGINE (self));
  g_return_if_fail (bridge_id != NULL && call_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bk_engine_end_unknown_call_async);
  key = g_strconcat (TICKET_UNKNOWN_CALL_PREFIX, bridge_id, ":", call_id, NULL);
  u = g_hash_table_lookup (self->unknown_calls, key);
  if (u == NULL)
    {
      g_task_return_new_error (task, BK_ENGINE_ERROR, BK_ENGINE_ERROR_UNKNOWN,
                               _("This call is not among the calls found without a booking."));
      return;
    }
  g_task_set_task_data (task, g_steal_pointer (&key), g_free);
  get_chain_async (self, bridge_id, end_unknown_chain_cb, g_steal_pointer (&task));
}

gboolean
bk_engine_end_unknown_call_finish (BkEngine      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
bk_engine_get_failed_at_end (BkEngine   *self,
                             const char *occurrence_id)
{
  Run *run;

  g_return_val_if_fail (BK_IS_ENGINE (self), FALSE);
  run = lookup (self, occurrence_id);
  return run != NULL && run->state == BK_ENGINE_STATE_FAILED && run->end_failed;
}
